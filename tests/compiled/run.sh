#!/bin/sh
# run.sh CORRIDOR: compiled models (corridor compile) answer every command exactly as the JSON
# model they were compiled from, on the built-in caspian model and a generated one; damaged,
# truncated and foreign files are exit-3 errors naming the file. Prints ok / not ok lines.
set -u
C=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
T=$(mktemp -d /tmp/corridor-compiled-XXXXXX)
trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; }
python3 "$ROOT/bench/gen_network.py" --nodes 900 --seed 3 -o "$T/gen.json" >/dev/null 2>&1 ||
    { nok "generate model"; exit 1; }
cp "$ROOT/graphs/caspian.json" "$T/caspian.json"
for m in caspian gen; do
    (cd "$T" && $C compile "$m.json" -o "$m.corridor" 2>"$T/compile.err") &&
        grep -q "model hash [0-9a-f]\{16\}" "$T/compile.err" && ok "compile $m" ||
        { nok "compile $m"; cat "$T/compile.err"; }
done

# same NAME MODEL ARGS...: stdout and exit code equal from the JSON and the compiled form,
# and stderr equal once the model's file name is replaced
same() {
    name=$1 m=$2
    shift 2
    (cd "$T" && $C -m "$m.json" "$@" >"$T/j.out" 2>"$T/j.err"; echo $? >"$T/j.code")
    (cd "$T" && $C -m "$m.corridor" "$@" >"$T/c.out" 2>"$T/c.err"; echo $? >"$T/c.code")
    # the file's own name (validate's summary, messages) is the one expected difference
    sed "s/$m\.corridor/$m.json/g" "$T/c.err" >"$T/c.err2"
    sed "s/$m\.corridor/$m.json/g" "$T/c.out" >"$T/c.out2"
    if cmp -s "$T/j.out" "$T/c.out2" && cmp -s "$T/j.code" "$T/c.code" &&
        cmp -s "$T/j.err" "$T/c.err2" && { [ -s "$T/j.out" ] || [ "$(cat "$T/j.code")" != 0 ]; }; then
        ok "same answer: $m $name"
    else
        nok "same answer: $m $name (exit $(cat "$T/j.code") vs $(cat "$T/c.code"))"
        diff "$T/j.out" "$T/c.out2" | head -5
        diff "$T/j.err" "$T/c.err2" | head -5
    fi
}

# bad FILE CODE PATTERN: `info` on FILE exits CODE with a message matching PATTERN
bad() {
    (cd "$T" && $C -m "$1" info >/dev/null 2>"$T/bad.err"; echo $? >"$T/bad.code")
    if [ "$(cat "$T/bad.code")" = "$2" ] && grep -q "$3" "$T/bad.err" &&
        [ "$(wc -l <"$T/bad.err")" -le 2 ]; then
        ok "rejected: $4"
    else
        nok "rejected: $4 (exit $(cat "$T/bad.code"))"
        cat "$T/bad.err"
    fi
}

printf 'from,to,weight\nKhorgos,Istanbul,2\nAktau,Poti,1\n' >"$T/od.csv"
printf '{"id": 1, "query": "route", "from": "Khorgos", "to": "Istanbul", "k": 3}\n{bad\n{"id": 2, "query": "flow", "from": "Aktau", "to": "Baku"}\n' >"$T/q.jsonl"
S="$ROOT/graphs/scenarios"
same info caspian info --format json
same route caspian route Khorgos Istanbul -k 5
same "route json by cost" caspian route Khorgos Istanbul -k 3 --by cost --format json
same "route year" caspian --year 2030 route Khorgos Istanbul -k 3 --format csv
same "route pareto" caspian route Khorgos Istanbul --pareto time,cost --format json
same "route geojson" caspian route Khorgos Istanbul -k 2 --format geojson
same "route unknown place" caspian route Khorgos Nowhere
same flow caspian flow Aktau Baku --format json
same critical caspian critical Khorgos Istanbul --format json
same "critical od" caspian critical --od "$T/od.csv" --format json
same analyze caspian analyze --format json
same matrix caspian matrix --from Khorgos,Aktau --to Istanbul,Poti --format csv
same batch caspian batch --input "$T/q.jsonl"
same assign caspian assign --demand "$ROOT/graphs/demand/caspian-2024.csv" --format json
same "scenario" caspian -s "$S/zangezur-opens.json" route Khorgos Istanbul -k 3
same "compare" caspian compare -s "$S/northern-route-closed.json" -- route Khorgos Istanbul
same "export json" caspian export -f json -o -
same "export geojson" caspian export -f geojson -o -
same "export graphml" caspian export -f graphml -o -
same "render svg" caspian render -T svg -o -
same "validate" caspian validate
same "gen info" gen info --format json
same "gen route" gen route n0_0 n29_29 -k 10 --format json
same "gen route by co2" gen route n3_4 n25_20 -k 4 --by co2
same "gen flow" gen flow n0_0 n29_29 --format json
same "gen critical" gen critical n0_0 n29_29 --format json
same "gen analyze" gen analyze --format json
same "gen matrix" gen matrix --from n0_0,n5_5,n9_1 --to n29_29,n20_3 --format json
same "gen export json" gen export -f json -o -
same "gen export graphml" gen export -f graphml -o -
printf 'from,to,weight\nn0_0,n29_29,2\nn3_4,n25_20,1\n' >"$T/god.csv"
printf '{"id": 1, "query": "route", "from": "n0_0", "to": "n29_29", "k": 4}\n{"query": "critical", "from": "n3_4", "to": "n25_20"}\n' >"$T/gq.jsonl"
same "gen critical od" gen critical --od "$T/god.csv" --format json
same "gen batch" gen batch --input "$T/gq.jsonl"
same "gen pareto" gen route n0_0 n29_29 --pareto time,cost,transfers --format json
same "gen diverse" gen route n0_0 n29_29 -k 4 --max-overlap 0.5 --format json
same "gen render" gen render -T svg -o -
printf 'origin,destination,commodity,quantity\nn0_0,n29_29,freight,1000000\nn3_4,n25_20,freight,500000\n' >"$T/gd.csv"
same "gen assign" gen assign --demand "$T/gd.csv" --format json

# a model large enough (7,000 edges) to be checked on two threads (src/compiled.c)
if python3 "$ROOT/bench/gen_network.py" --nodes 3000 --seed 4 -o "$T/big.json" >/dev/null 2>&1 &&
    (cd "$T" && $C compile big.json -o big.corridor 2>/dev/null); then
    same "two threads: info" big info --format json
    same "two threads: route" big route n0_0 n54_53 -k 3 --format json
    same "two threads: export json" big export -f json -o -
    cp "$T/big.corridor" "$T/bigflip.corridor"
    size=$(wc -c <"$T/bigflip.corridor")
    printf 'Z' | dd of="$T/bigflip.corridor" bs=1 seek=$((size - 5000)) conv=notrunc 2>/dev/null
    bad bigflip.corridor 3 "checksum mismatch" "a changed byte in a large model"
else
    nok "generate and compile a 3,000-node model"
fi

# geometries and free attributes (an imported GIS model)
I="$ROOT/tests/import"
if (cd "$T" && $C import "$I/lines.geojson" "$I/stations.geojson" --map "$I/qgis-map.json" \
    -o geo.json 2>/dev/null && $C compile geo.json -o geo.corridor 2>/dev/null) &&
    grep -q '"geometry"' "$T/geo.json" && grep -q '"attrs"' "$T/geo.json"; then
    same "geometry and attrs: export geojson" geo export -f geojson -o -
    same "geometry and attrs: export json" geo export -f json -o -
    same "geometry and attrs: render" geo render -T svg -o -
else
    nok "import a model with geometry and attrs"
fi

# compiling the compiled model again gives the same bytes
$C compile "$T/gen.corridor" -o "$T/again.corridor" 2>/dev/null &&
    cmp -s "$T/gen.corridor" "$T/again.corridor" && ok "compile is reproducible" ||
    nok "compile is reproducible"
# a compiled model through a pipe
$C -m - route Khorgos Istanbul -k 2 <"$T/caspian.corridor" >"$T/pipe.out" 2>&1 &&
    $C route Khorgos Istanbul -k 2 | cmp -s - "$T/pipe.out" && ok "compiled model on stdin" ||
    nok "compiled model on stdin"

size=$(wc -c <"$T/caspian.corridor")
head -c $((size / 2)) "$T/caspian.corridor" >"$T/half.corridor"
bad half.corridor 3 "half.corridor: compiled model: truncated" "truncated file"
head -c 20 "$T/caspian.corridor" >"$T/tiny.corridor"
bad tiny.corridor 3 "tiny.corridor: compiled model: truncated header" "truncated header"
cp "$T/caspian.corridor" "$T/flip.corridor"
printf 'X' | dd of="$T/flip.corridor" bs=1 seek=$((size - 1000)) conv=notrunc 2>/dev/null
bad flip.corridor 3 "flip.corridor: compiled model: checksum mismatch" "a changed byte"
cp "$T/caspian.corridor" "$T/new.corridor"
printf '\143' | dd of="$T/new.corridor" bs=1 seek=8 conv=notrunc 2>/dev/null
bad new.corridor 3 "format version 99 is newer" "a newer format version"
cp "$T/caspian.corridor" "$T/long.corridor"
printf 'trailing' >>"$T/long.corridor"
bad long.corridor 3 "trailing bytes" "trailing bytes"
cp "$T/caspian.corridor" "$T/be.corridor"
printf '\001\002\003\004' | dd of="$T/be.corridor" bs=1 seek=12 conv=notrunc 2>/dev/null
bad be.corridor 3 "other byte order" "the other byte order"
# no output file when the model is invalid or the output is the input
$C compile "$T/half.corridor" -o "$T/out.corridor" 2>/dev/null
[ $? = 3 ] && [ ! -e "$T/out.corridor" ] && ok "no file from a bad model" ||
    nok "no file from a bad model"
cp "$T/gen.corridor" "$T/keep.corridor"
$C compile "$T/gen.corridor" -o "$T/gen.corridor" 2>/dev/null
[ $? = 2 ] && cmp -s "$T/gen.corridor" "$T/keep.corridor" && ok "refuses to write over its input" ||
    nok "refuses to write over its input"
$C compile "$T/gen.json" 2>/dev/null
[ $? = 2 ] && ok "compile without -o: usage" || nok "compile without -o: usage"
exit 0
