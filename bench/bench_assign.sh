#!/bin/sh
# bench_assign.sh: `corridor assign` (user equilibrium) on generated multimodal networks: to a
# relative gap of 1e-4 on 10k nodes with 1,000 OD pairs, and one iteration on 100k nodes.
#
#   sh bench/bench_assign.sh [CORRIDOR]      (default build/corridor)
#
# Models and demand go to $BENCH_OUT (default /tmp/corridor-bench): gen_network.py grids with
# capacities and 1,000 pairs among 100 origins from gen_demand.py. Prints wall time, peak
# memory (GNU time, max RSS), CPU time (user + system: on a shared machine the wall time can be
# several times larger), iterations, gap and the exact searches of each run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
tool=${1:-$here/../build/corridor}
out=${BENCH_OUT:-/tmp/corridor-bench}
mkdir -p "$out"

for n in 10000 100000; do
    [ -f "$out/multimodal-$n.json" ] ||
        python3 "$here/gen_network.py" --nodes $n --seed 1 -o "$out/multimodal-$n.json" >/dev/null
    [ -f "$out/assign-$n.csv" ] ||
        python3 "$here/gen_demand.py" "$out/multimodal-$n.json" --pairs 1000 \
            -o "$out/assign-$n.json" -d "$out/assign-$n.csv"
done

run() { # label, model size, extra options
    label=$1
    n=$2
    shift 2
    /usr/bin/time -f "%U %S %e %M" -o "$out/time.txt" "$tool" -m "$out/assign-$n.json" assign \
        --demand "$out/assign-$n.csv" --format json "$@" >"$out/assign-$n.out.json" 2>"$out/assign-$n.err" ||
        true # exit 5 when the iteration cap comes first
    python3 - "$label" "$out/time.txt" "$out/assign-$n.out.json" <<'PY'
import json, sys
label, tf, rf = sys.argv[1:4]
usr, sys_, sec, kb = open(tf).read().split()[-4:]
t = json.load(open(rf))["totals"][0]
print("%-34s %7.1f s wall %7.1f s cpu %6.0f MB  iterations %4d  gap %.2e  exact searches %d"
      " (capped %d)" % (label, float(sec), float(usr) + float(sys_), int(kb) / 1024,
                        t["iterations"], t["gap"], t["exact_searches"], t["approximate_routes"]))
PY
}

"$tool" -m "$out/assign-100000.json" info >/dev/null # warm the file cache
/usr/bin/time -f "%e %M" -o "$out/time.txt" "$tool" -m "$out/assign-100000.json" info >/dev/null
echo "load 100k-node model only:          $(cut -d' ' -f1 "$out/time.txt") s"
run "ue to gap 1e-4, 10k nodes, 1k pairs" 10000 --gap 1e-4
run "ue one iteration, 100k nodes, 1k pairs" 100000 --max-iter 1
