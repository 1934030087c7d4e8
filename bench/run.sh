#!/bin/sh
# run.sh: benchmarks (not part of `make check`). Route options: corridor end to end on synthetic
# networks, and python-igraph / NetworkX k shortest paths on the single-class ones.
#
#   sh bench/run.sh [CORRIDOR]        (default build/corridor; `make bench` passes it)
#
# Environment: BENCH_OUT (work dir, default /tmp/corridor-bench), BENCH_SIZES (default
# "10000 100000"), BENCH_TIMEOUT (seconds per peer run, default 300), BENCH_PEERS (default
# "igraph networkx"; empty to skip). Needs /usr/bin/python3 with python3-igraph and
# python3-networkx for the peers; uses hyperfine if installed, else /usr/bin/time.
set -eu

CORRIDOR=${1:-build/corridor}
OUT=${BENCH_OUT:-/tmp/corridor-bench}
SIZES=${BENCH_SIZES:-"10000 100000"}
TIMEOUT=${BENCH_TIMEOUT:-300}
PEERS=${BENCH_PEERS-"igraph networkx"}
PY=/usr/bin/python3
HERE=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C

[ -x "$CORRIDOR" ] || { echo "run.sh: no corridor binary at $CORRIDOR (run make first)" >&2; exit 2; }
mkdir -p "$OUT"

# seconds (mean) of one command run end to end: hyperfine if present, else the best of 3
time_cmd() {
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine -N --warmup 1 --runs 5 --export-json "$OUT/hf.json" "$*" >/dev/null 2>&1 ||
            { echo "FAIL"; return; }
        $PY -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["mean"])' \
            "$OUT/hf.json"
    else
        best=""
        for _ in 1 2 3; do
            t=$( { /usr/bin/time -f "%e" "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -1) || { echo "FAIL"; return; }
            best=$($PY -c 'import sys; a=sys.argv[1:]; print(min(float(x) for x in a if x))' $best "$t")
        done
        echo "$best"
    fi
}

# route values (the ranking metric, time_h) of corridor's JSON answer, one per line
corridor_values() {
    "$CORRIDOR" -m "$1" route "$2" "$3" -k "$4" --format json |
        $PY -c 'import json,sys; [print(r["time_h"]) for r in json.load(sys.stdin)["routes"]]'
}

# ---------------------------------------------------------------- route options
echo "== route options: corridor -m FILE route FROM TO -k K, end to end (load included)"
echo "   timing: $(command -v hyperfine >/dev/null 2>&1 && echo 'hyperfine, mean of 5 runs' || echo '/usr/bin/time, best of 3')"
printf '%-26s %8s %8s %10s %10s %10s\n' network nodes edges "k=1 s" "k=5 s" "k=10 s"
for n in $SIZES; do
    for kind in multimodal single-class; do
        f="$OUT/$kind-$n.json"
        flag=""
        [ "$kind" = single-class ] && flag=--single-class
        if [ ! -s "$f" ]; then
            $PY "$HERE/gen_network.py" --nodes "$n" $flag -o "$f" > "$f.ends" 2>/dev/null
        fi
        read -r A B < "$f.ends"
        counts=$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["nodes"]), len(d["edges"]))' "$f")
        row=""
        for k in 1 5 10; do
            t=$(time_cmd "$CORRIDOR" -m "$f" route "$A" "$B" -k "$k" --format json)
            row="$row $(printf '%10s' "$t")"
            echo "$t" > "$f.k$k.time"
        done
        printf '%-26s %8s %8s%s\n' "$kind-$n" $counts "$row"
    done
done

[ -n "$PEERS" ] || exit 0
echo
echo "== single-class networks: the same query with python-igraph and NetworkX (timeout ${TIMEOUT} s)"
echo "   peer times: load = read TSV + build graph, query = the k shortest paths call"
printf '%-22s %3s %-9s %9s %9s %12s %12s  %s\n' network k tool "load s" "query s" "corridor s" "query/corr" agree
for n in $SIZES; do
    f="$OUT/single-class-$n.json"
    read -r A B < "$f.ends"
    for tool in $PEERS; do
        skip=""
        for k in 1 10; do
            if [ -n "$skip" ]; then
                printf '%-22s %3s %-9s %9s\n' "single-class-$n" "$k" "$tool" "skipped ($skip)"
                continue
            fi
            res=$(timeout "$TIMEOUT" $PY "$HERE/peers.py" "$tool" "$f.edges.tsv" "$A" "$B" "$k" 2>/dev/null) || res=""
            if [ -z "$res" ]; then
                skip="k=$k took over ${TIMEOUT} s"
                printf '%-22s %3s %-9s %9s\n' "single-class-$n" "$k" "$tool" "timeout (> ${TIMEOUT} s): skipped"
                continue
            fi
            corridor_values "$f" "$A" "$B" "$k" > "$OUT/corridor.values"
            echo "$res" | $PY -c '
import json, sys
peer = json.loads(sys.stdin.readline())
mine = [float(x) for x in open(sys.argv[1]).read().split()]
corr_s = float(open(sys.argv[2]).read())
theirs = peer["values"]
agree = len(mine) == len(theirs) and all(abs(a - b) <= 1e-6 * max(1.0, abs(b))
                                         for a, b in zip(mine, theirs))
print("%-22s %3s %-9s %9.3f %9.3f %12.3f %11.1fx  %s" % (
    sys.argv[3], sys.argv[4], peer["tool"], peer["load_s"], peer["query_s"], corr_s,
    peer["query_s"] / corr_s, "yes" if agree else "NO: %s vs %s" % (mine, theirs)))
' "$OUT/corridor.values" "$f.k$k.time" "single-class-$n" "$k"
        done
    done
done
