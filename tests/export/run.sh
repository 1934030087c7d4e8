#!/bin/sh
# run.sh: `corridor render` and `corridor export` checked with outside readers.
#
#   sh tests/export/run.sh path/to/corridor
#
# Prints one line per check, "ok NAME" or "not ok NAME" (then the details as
# "# ..." lines), and exits 1 if any check failed. Uses xmllint, Graphviz's dot
# and python3 with NetworkX, python-igraph and pygraphviz (tools/check_export.py).

CORRIDOR=${1:?usage: sh tests/export/run.sh CORRIDOR}
case $CORRIDOR in /*) ;; *) CORRIDOR=$(pwd)/$CORRIDOR ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
T=$(mktemp -d /tmp/corridor-export-test.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
export LC_ALL=C
export SOURCE_DATE_EPOCH=1767225600 # the date in the source line of maps: 2026-01-01
failed=0

# check NAME COMMAND...: runs the command, reports its result
check() {
    name=$1
    shift
    if "$@" >"$T/log" 2>&1; then
        echo "ok $name"
    else
        echo "not ok $name"
        sed 's/^/# /' "$T/log"
        failed=1
    fi
}

# A python3 that has NetworkX, igraph and pygraphviz (Debian's, if the first python3 on PATH
# lacks them).
PY=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import networkx, igraph, pygraphviz' 2>/dev/null; then
        PY=$p
        break
    fi
done
check python3-networkx-igraph-pygraphviz test -n "$PY"
CHECK="${PY:-python3} tools/check_export.py"

# The bytes at the start of FILE (as hex) are HEX and the file is larger than MIN bytes.
magic() {
    test "$(head -c "$(( ${#2} / 2 ))" "$1" | od -An -tx1 | tr -d ' \n')" = "$2" &&
        test "$(wc -c <"$1")" -gt "$3"
}

# The command fails with exit status WANT and leaves no FILE (nor a temporary file).
fails() {
    want=$1 file=$2
    shift 2
    "$@"
    got=$?
    test "$got" -eq "$want" || { echo "exit status $got, want $want"; return 1; }
    test ! -e "$file" || { echo "$file was written"; return 1; }
    ! ls "$(dirname "$file")" 2>/dev/null | grep -q '\.tmp\.' || { echo "temporary file left"; return 1; }
}

# --------------------------------------------------------------- diagrams
for status in operational planned; do
    S=$T/$status
    mkdir -p "$S"
    check "export-json-$status" "$CORRIDOR" --status $status export -f json -o "$S/ref.json"
    for layout in geo schematic countries; do
        check "render-$layout-$status-svg" "$CORRIDOR" --status $status render --layout $layout \
            -o "$S/$layout.svg"
        check "render-$layout-$status-svg-wellformed" xmllint --noout "$S/$layout.svg"
    done
    "$CORRIDOR" --status $status render -o "$S/geo-names.svg" 2>"$S/geo.err"
    dropped=$(sed -n 's/^corridor: \([0-9]*\) place names* w.*/\1/p' "$S/geo.err")
    check "render-geo-$status-names" env NAMES_DROPPED="${dropped:-0}" $CHECK svg "$S/geo-names.svg" \
        "$S/ref.json"
    check "render-schematic-$status-names" $CHECK svg "$S/schematic.svg" "$S/ref.json"
    check "render-geo-$status-png" "$CORRIDOR" --status $status render -o "$S/geo.png"
    check "render-geo-$status-png-magic" magic "$S/geo.png" 89504e470d0a1a0a 20000
    check "render-countries-$status-pdf" "$CORRIDOR" --status $status render --layout countries \
        -o "$S/countries.pdf"
    check "render-countries-$status-pdf-magic" magic "$S/countries.pdf" 255044462d 5000
    check "render-geo-$status-dot" "$CORRIDOR" --status $status render -o "$S/geo.dot"
    check "render-geo-$status-dot-canon" dot -Tcanon -o "$S/geo.canon" "$S/geo.dot"
done
check render-route-highlight "$CORRIDOR" render --route khorgos istanbul -k 3 -o "$T/route.svg"
check render-route-highlight-wellformed xmllint --noout "$T/route.svg"
check render-corridor-filter "$CORRIDOR" render --corridor middle-corridor -T png -o "$T/mc.out"
check render-corridor-filter-png-magic magic "$T/mc.out" 89504e470d0a1a0a 10000

# ------------------------------------------------------------------ files
S=$T/planned
for f in graphml gml geojson csv dot pajek; do
    check "export-$f" "$CORRIDOR" --status planned export -f $f -o "$S/net.$f"
done
check export-graphml-wellformed xmllint --noout "$S/net.graphml"
check export-graphml-networkx-igraph $CHECK graphml "$S/net.graphml" "$S/ref.json"
check export-gml-networkx-igraph $CHECK gml "$S/net.gml" "$S/ref.json"
check export-pajek-networkx-igraph $CHECK pajek "$S/net.pajek" "$S/ref.json"
check export-dot-networkx $CHECK dot "$S/net.dot" "$S/ref.json"
check export-geojson $CHECK geojson "$S/net.geojson" "$S/ref.json"
check export-csv $CHECK csv "$S/net-nodes.csv" "$S/net-edges.csv" "$S/ref.json"
check export-dot-canon dot -Tcanon -o "$S/net.canon" "$S/net.dot"
check export-json-round-trip sh -c '"$1" -m "$2/ref.json" --status planned export -f json \
    -o "$2/again.json" && cmp "$2/ref.json" "$2/again.json"' sh "$CORRIDOR" "$S"
S=$T/operational
check export-json-round-trip-operational sh -c '"$1" -m "$2/ref.json" export -f json \
    -o "$2/again.json" && cmp "$2/ref.json" "$2/again.json"' sh "$CORRIDOR" "$S"
check export-corridor-filter "$CORRIDOR" export -f graphml --corridor btc -o "$T/btc.graphml"
check export-corridor-filter-content sh -c '! grep -q "middle-corridor" "$1" &&
    grep -q "<edge id=" "$1"' sh "$T/btc.graphml"

# Pajek: the operational network has one-way edges (all *Arcs, two per two-way edge); the
# network without pipelines, Budapest and one tanker line has none (all *Edges, undirected)
check export-pajek-operational "$CORRIDOR" --status operational export -f pajek -o "$S/net.pajek"
check export-pajek-operational-igraph $CHECK pajek "$S/net.pajek" "$S/ref.json"
check export-pajek-arcs-only sh -c 'grep -qx "\*Arcs" "$1" && ! grep -qx "\*Edges" "$1"' sh "$S/net.pajek"
check export-pajek-undirected sh -c '"$1" export --avoid mode:pipeline --avoid budapest --avoid aktau-makhachkala-tanker -f pajek -o "$2/mc.net" &&
    "$1" export --avoid mode:pipeline --avoid budapest --avoid aktau-makhachkala-tanker -f json -o "$2/mc.json" &&
    grep -qx "\*Edges" "$2/mc.net" && ! grep -qx "\*Arcs" "$2/mc.net" && $3 pajek "$2/mc.net" "$2/mc.json"' \
    sh "$CORRIDOR" "$T" "$CHECK"

# the graph of a tiny model (export -f dot), so that a change shows as a diff
check export-dot-golden-tiny sh -c '"$1" -m tests/fixtures/render-tiny.json export -f dot \
    -o "$2/tiny.dot" && diff -u tests/export/golden/tiny.dot "$2/tiny.dot"' sh "$CORRIDOR" "$T"

# ---------------------------------------------------------- bad requests
mkdir -p "$T/bad"
check render-unknown-format fails 2 "$T/bad/x.jpg" "$CORRIDOR" render -o "$T/bad/x.jpg"
check export-unknown-format fails 2 "$T/bad/x.xls" "$CORRIDOR" export -f xls -o "$T/bad/x.xls"
check render-unwritable fails 4 /nonexistent/x.svg "$CORRIDOR" render -o /nonexistent/x.svg
check export-unwritable fails 4 /nonexistent/x.graphml "$CORRIDOR" export -f graphml \
    -o /nonexistent/x.graphml
check render-unknown-corridor fails 3 "$T/bad/x.svg" "$CORRIDOR" render --corridor nowhere \
    -o "$T/bad/x.svg"
check export-unknown-corridor fails 3 "$T/bad/x.csv" "$CORRIDOR" export -f csv \
    --corridor nowhere -o "$T/bad/x.csv"
check bad-requests-leave-nothing test -z "$(ls "$T/bad")"

exit $failed
