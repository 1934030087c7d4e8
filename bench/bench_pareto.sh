#!/bin/sh
# bench_pareto.sh: times `route --pareto` (2 and 3 criteria) and `route --max-overlap 0.5 -k 5`
# on the generated multimodal networks (10k and 100k nodes), corner to corner.
#
#   sh bench/bench_pareto.sh [BUILD]
#
# BUILD: the build folder holding corridor (default: build). Prints one line per query: exit
# code, seconds and peak memory (GNU time, end to end: process start and JSON load included),
# and for Pareto sets the options, whether the set is complete and the partial routes the
# search created ("labels"). Models go to $BENCH_OUT (default /tmp/corridor-bench, shared with
# run.sh; kept). BENCH_SIZES (default "10000 100000"), BENCH_TIMEOUT (seconds, default 300;
# exit 124 = timed out).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
tool=$build/corridor
out=${BENCH_OUT:-/tmp/corridor-bench}
sizes=${BENCH_SIZES:-10000 100000}
limit=${BENCH_TIMEOUT:-300}
mkdir -p "$out"

printf '%-22s %-30s %5s %9s %9s  %s\n' network query exit seconds "peak MB" answer
for n in $sizes; do
    model=$out/multimodal-$n.json
    [ -f "$model" ] || python3 "$here/gen_network.py" --nodes "$n" --seed 1 -o "$model" >/dev/null
    to=$(python3 -c "import math; w = max(2, int(round(math.sqrt($n)))); print('n%d_%d' % (w - 1, w - 1))")
    for q in "--pareto time,cost" "--pareto time,cost,co2" "--pareto time,cost --max 100000" \
        "--max-overlap 0.5 -k 5"; do
        # shellcheck disable=SC2086
        code=0
        /usr/bin/time -f '%e %M' -o "$out/time.txt" timeout "$limit" \
            "$tool" -m "$model" route n0_0 "$to" $q --format json >"$out/answer.json" \
            2>"$out/err.txt" || code=$?
        # the last line of GNU time's output: "%e %M" (a killed run may leave less)
        set -- $(tail -1 "$out/time.txt") 0 0
        answer=$(python3 -c '
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError:
    print(open(sys.argv[2]).read().strip()[:80]); sys.exit()
if "options" in d:
    print("%d options, complete %s, %d labels" % (len(d["options"]), d["complete"], d["labels"]))
else:
    print("%d routes, km %s" % (len(d["routes"]), [round(r["distance_km"]) for r in d["routes"]]))
' "$out/answer.json" "$out/err.txt")
        printf '%-22s %-30s %5s %9s %9.0f  %s\n' "multimodal-$n" "$q" "$code" "$1" "$(($2 / 1024))" "$answer"
    done
done
