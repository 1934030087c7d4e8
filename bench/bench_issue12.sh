#!/bin/sh
# bench_issue12.sh CORRIDOR: the figures of issue 12 in one run: JSON and compiled models (load,
# route -k 10, peak memory at 239k and 1M edges; the search next to a plain Dijkstra, the floor
# built as BUILD/bench/route_floor by `make bench`), OD matrix, batch throughput, analyze (exact
# and sampled) next to python-igraph.
#
#   sh bench/bench_issue12.sh build/corridor
#
# Environment: BENCH_OUT (work dir, default /tmp/corridor-bench; networks are generated
# there once by gen_network.py and reused), MATRIX_N (origins = destinations, default
# 1000), BATCH_N (route queries, default 1000), JOBS (the second matrix run's -j, default 2;
# the first runs -j 1), CC (for the floor, default cc).
# Times are CPU seconds (user + system) from /usr/bin/time, and peak memory (RSS).
set -u
C=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${BENCH_OUT:-/tmp/corridor-bench}
MATRIX_N=${MATRIX_N:-1000}
BATCH_N=${BATCH_N:-1000}
JOBS=${JOBS:-2}
mkdir -p "$OUT"
M100="$OUT/multimodal-100000.json"
M10="$OUT/multimodal-10000.json"
[ -f "$M100" ] || python3 "$HERE/gen_network.py" --nodes 100000 -o "$M100" >/dev/null
[ -f "$M10" ] || python3 "$HERE/gen_network.py" --nodes 10000 -o "$M10" >/dev/null

# cpu MESSAGE CMD...: runs CMD, prints "MESSAGE: CPU s, wall s, peak MB" on the script's own
# standard output (fd 3), whatever CMD's output is redirected to
exec 3>&1
cpu() {
    msg=$1
    shift
    /usr/bin/time -f "%U %S %e %M" -o "$OUT/time.txt" "$@"
    rc=$?
    awk -v m="$msg" -v rc="$rc" '{printf "%-58s %7.2f s CPU %7.1f s wall %6.0f MB peak (exit %d)\n",
        m, $1 + $2, $3, $4 / 1024, rc}' "$OUT/time.txt" >&3
}

M1M="$OUT/multimodal-420000.json"
[ -f "$M1M" ] || python3 "$HERE/gen_network.py" --nodes 420000 -o "$M1M" >/dev/null
FLOOR=$(dirname "$C")/bench/route_floor

# peak MODEL: "CPU s, peak MB, bytes of peak per edge" of the last cpu run
per_edge() {
    awk -v e="$1" '{printf "  %.0f bytes of peak memory per edge\n", $4 * 1024 / e}' "$OUT/time.txt" >&3
}
echo "== JSON and compiled models (corridor compile), load = \`info\`, route corner to corner"
for spec in "100000 239291 n315_315" "420000 1007479 n647_647"; do
    set -- $spec
    J="$OUT/multimodal-$1.json" B="$OUT/multimodal-$1.corridor"
    cpu "compile ($2 edges)" "$C" compile "$J" -o "$B" 2>/dev/null
    echo "  file: $(wc -c <"$J") bytes JSON, $(wc -c <"$B") bytes compiled"
    cpu "load JSON ($2 edges)" "$C" -m "$J" info >/dev/null
    cpu "load compiled ($2 edges)" "$C" -m "$B" info >/dev/null
    cpu "route -k 10 JSON ($2 edges)" "$C" -m "$J" route n0_0 "$3" -k 10 >/dev/null
    per_edge "$2"
    cpu "route -k 10 compiled ($2 edges)" "$C" -m "$B" route n0_0 "$3" -k 10 >/dev/null
    per_edge "$2"
    # in one process: loading either form, and the search next to the floor
    [ -x "$FLOOR" ] && "$FLOOR" "$J" n0_0 "$3" 10 | head -1
    [ -x "$FLOOR" ] && "$FLOOR" "$B" n0_0 "$3" 10
done

python3 - "$M100" "$OUT" "$MATRIX_N" "$BATCH_N" <<'PY'
import json, random, sys
m, out, nm, nb = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
model = json.load(open(m))
ids = [n["id"] for n in model["nodes"]]
r = random.Random(1)
origins = r.sample(ids, nm)
open(out + "/from.txt", "w").write("\n".join(origins) + "\n")
open(out + "/to.txt", "w").write("\n".join(r.sample(ids, nm)) + "\n")
# the floor's input: the same graph (freight arcs, time_h) and origins, as node numbers
idx = {v: i for i, v in enumerate(ids)}
with open(out + "/arcs.txt", "w") as f:
    for e in model["edges"]:
        if "freight" not in e.get("carries", ["freight"]):
            continue
        a, b = idx[e["from"]], idx[e["to"]]
        f.write("%d %d %r\n" % (a, b, e["time_h"]))
        if not e.get("oneway"):
            f.write("%d %d %r\n" % (b, a, e["time_h"]))
open(out + "/origins.txt", "w").write("".join("%d\n" % idx[o] for o in origins))
with open(out + "/queries.jsonl", "w") as f:
    for i in range(nb):
        a, b = r.sample(ids, 2)
        f.write(json.dumps({"id": i, "query": "route", "from": a, "to": b, "k": 1}) + "\n")
PY

echo "== load only (info), 100k nodes / 239k edges (JSON)"
cpu "info (JSON load)" "$C" -m "$M100" info >/dev/null
echo "== OD matrix ${MATRIX_N}x${MATRIX_N}, 100k nodes (target: < 60 s CPU)"
cpu "matrix -j 1" "$C" -m "$M100" matrix --from @"$OUT/from.txt" --to @"$OUT/to.txt" \
    --format csv -j 1 >"$OUT/matrix.csv" 2>"$OUT/matrix.err"
cat "$OUT/matrix.err"
echo "  cells: $(($(wc -l <"$OUT/matrix.csv") - 1)), empty: $(grep -c ',,,,$' "$OUT/matrix.csv")"
cpu "matrix -j $JOBS" "$C" -m "$M100" matrix --from @"$OUT/from.txt" --to @"$OUT/to.txt" \
    --format csv -j "$JOBS" >"$OUT/matrix-j.csv" 2>"$OUT/matrix.err"
cmp -s "$OUT/matrix.csv" "$OUT/matrix-j.csv" && echo "  -j $JOBS: the same answer" ||
    echo "  -j $JOBS: ANSWERS DIFFER"
# the floor: a plain binary-heap Dijkstra in C (no classes, transfers or U-turn rule) from
# the same origins over the same arcs, searches alone (no loading, no output)
${CC:-cc} -O2 -o "$OUT/floor_dijkstra" "$HERE/floor_dijkstra.c" -lm &&
    "$OUT/floor_dijkstra" "$OUT/arcs.txt" "$OUT/origins.txt" | sed 's/^/  /'
echo "== batch: $BATCH_N random route queries (k = 1), 100k nodes"
cpu "batch" "$C" -m "$M100" batch --input "$OUT/queries.jsonl" >"$OUT/batch.out"
echo "  answers: $(grep -c '"result"' "$OUT/batch.out"), errors: $(grep -c '"error"' "$OUT/batch.out")"
awk -v n="$BATCH_N" '{printf "  throughput: %.1f queries/s of CPU (load included)\n", n / ($1 + $2)}' "$OUT/time.txt"
echo "== analyze, freight, by time"
cpu "analyze exact, 10k nodes" "$C" -m "$M10" analyze --carry freight --format json >/dev/null
cpu "analyze --sample 500, 10k nodes" "$C" -m "$M10" analyze --carry freight --sample 500 --format json >/dev/null
cpu "analyze --sample 500, 100k nodes (target < 60 s)" "$C" -m "$M100" analyze --carry freight --sample 500 --format json >/dev/null
PY3=python3
python3 -c "import igraph" 2>/dev/null || PY3=/usr/bin/python3 # Debian's python3-igraph
if $PY3 -c "import igraph" 2>/dev/null; then
    $PY3 - "$M10" <<'PY'
import json, sys, time
import igraph
m = json.load(open(sys.argv[1]))
idx = {n["id"]: i for i, n in enumerate(m["nodes"])}
arcs, w = [], []
for e in m["edges"]:
    if "freight" not in e.get("carries", ["freight"]):
        continue
    arcs.append((idx[e["from"]], idx[e["to"]])); w.append(e["time_h"])
    if not e.get("oneway"):
        arcs.append((idx[e["to"]], idx[e["from"]])); w.append(e["time_h"])
t0 = time.process_time()
g = igraph.Graph(n=len(idx), edges=arcs, directed=True)
t1 = time.process_time()
g.betweenness(weights=w, directed=True)
g.edge_betweenness(weights=w, directed=True)
t2 = time.process_time()
print("%-58s %7.1f s CPU (graph %.1f s)" % ("python-igraph betweenness + edge_betweenness, 10k", t2 - t1, t1 - t0))
PY
else
    echo "python-igraph: not installed (apt-get install python3-igraph)"
fi
