#!/bin/sh
# bench_critical.sh: times `critical --od` (1,000 pairs, 10k nodes), `critical FROM TO` (two pairs)
# and `flow` (100k nodes), and estimates what a naive N-1 (every element out, every pair recomputed) would cost.
#
#   sh bench/bench_critical.sh [BUILD] [PAIRS]
#
# BUILD: the build folder holding corridor and libcorridor.a (default: build); PAIRS: OD pairs
# (default 1000). Needs python3, cc and pkg-config. Models, pair files and a small timing
# driver go to $BENCH_OUT (default /tmp/corridor-bench, shared with run.sh; models are kept).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
tool=$build/corridor
pairs=${2:-1000}
out=${BENCH_OUT:-/tmp/corridor-bench}
mkdir -p "$out"

now() { python3 -c 'import time; print("%.3f" % time.time())'; }
elapsed() { python3 -c "print('%.2f' % ($2 - $1))"; }
count() { python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print($2)" "$1"; }

# --- models ---------------------------------------------------------------------------------
[ -f "$out/multimodal-10000.json" ] ||
    python3 "$here/gen_network.py" --nodes 10000 --seed 1 -o "$out/multimodal-10000.json" >/dev/null
[ -f "$out/multimodal-100000.json" ] ||
    python3 "$here/gen_network.py" --nodes 100000 --seed 1 -o "$out/multimodal-100000.json" >/dev/null
# gen_network.py writes no capacities (every flow would be unbounded): add some, by mode and kind
[ -f "$out/multimodal-100000-cap.json" ] || python3 -c '
import json, random, sys
rnd = random.Random(3)
m = json.load(open(sys.argv[1]))
span = {"rail": (5, 30), "road": (2, 10), "sea": (1, 8)}
for e in m["edges"]:
    lo, hi = span[e["mode"]]
    e["capacity"] = {"freight": rnd.randint(lo, hi) * 1000000}
for n in m["nodes"]:
    if n["kind"] in ("port", "border"):
        n["capacity"] = {"freight": rnd.randint(10, 40) * 1000000}
m["name"] += " with capacities"
json.dump(m, open(sys.argv[2], "w"), separators=(",", ":"))
' "$out/multimodal-100000.json" "$out/multimodal-100000-cap.json"

# --- OD pairs: random distinct nodes, weights 1-5 ----------------------------------------------
python3 -c '
import json, random, sys
rnd = random.Random(7)
ids = [n["id"] for n in json.load(open(sys.argv[1]))["nodes"]]
with open(sys.argv[2], "w") as f:
    f.write("from,to,weight\n")
    for _ in range(int(sys.argv[3])):
        a, b = rnd.sample(ids, 2)
        f.write("%s,%s,%d\n" % (a, b, rnd.randint(1, 5)))
' "$out/multimodal-10000.json" "$out/od$pairs.csv" "$pairs"

echo "corridor: $tool"
echo "10k model: $(count "$out/multimodal-10000.json" "len(m['nodes']), 'nodes,', len(m['edges']), 'edges'")"

# --- the naive way, sampled in process: route searches with one element avoided ---------------
cat >"$out/naive.c" <<'EOF'
/* naive.c: mean time of one "element out, pair recomputed" route search (k = 1). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "corridor.h"
int main(int argc, char **argv)
{
    corridor_model *m = NULL;
    if (argc < 4 || corridor_model_open(&m, argv[1], NULL) != 0)
        return 3;
    FILE *f = fopen(argv[2], "r");
    int n_el = atoi(argv[3]), n_pairs = 0;
    char from[20][64], to[20][64], line[256], avoid[64];
    while (f && n_pairs < 20 && fgets(line, sizeof line, f))
        if (sscanf(line, "%63[^,],%63[^,\n]", from[n_pairs], to[n_pairs]) == 2 &&
            strcmp(from[n_pairs], "from") != 0)
            n_pairs++;
    const char *av[1] = {avoid};
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    o.k = 1;
    o.filter.avoid = av;
    o.filter.n_avoid = 1;
    srand(11);
    struct timespec t0, t1;
    long searches = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int e = 0; e < n_el; e++) {
        snprintf(avoid, sizeof avoid, "node:n%d_%d", rand() % 100, rand() % 100);
        for (int p = 0; p < n_pairs; p++, searches++) {
            corridor_routes *r = NULL;
            corridor_route_find(&r, m, from[p], to[p], &o);
            corridor_routes_free(r);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%.6f\n", ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9) / searches);
    corridor_model_free(m);
    return 0;
}
EOF
cc -O2 -I"$here/../include" -o "$out/naive" "$out/naive.c" "$build/libcorridor.a" \
    $(pkg-config --libs igraph libcgraph libgvc libcjson) -lm
per=$("$out/naive" "$out/multimodal-10000.json" "$out/od$pairs.csv" 10)
echo "one route search with one (random) node avoided, mean of 10 x 20: ${per} s"

# --- critical --od ----------------------------------------------------------------------------
t0=$(now)
"$tool" -m "$out/multimodal-10000.json" critical --od "$out/od$pairs.csv" --format json >"$out/od$pairs.json"
t1=$(now)
echo "critical --od, $pairs pairs: $(elapsed "$t0" "$t1") s including the load" \
    "($(count "$out/od$pairs.json" "len(m['elements'])") elements hurt some pair)"

elements=$(count "$out/multimodal-10000.json" "len(m['nodes']) + len(m['edges'])")
python3 -c "
n = $elements * $pairs; t = n * $per
print('naive N-1, estimated: %d elements x %d pairs = %d searches x %.4f s = %.0f s (%.1f days);'
      % ($elements, $pairs, n, $per, t, t / 86400))
print('  extrapolated from the sampled search time above, not run')"

# --- single pair and flow on 100k nodes ---------------------------------------------------------
echo "100k model: $(count "$out/multimodal-100000-cap.json" "len(m['nodes']), 'nodes,', len(m['edges']), 'edges'")"
t0=$(now)
"$tool" -m "$out/multimodal-100000-cap.json" info >/dev/null
t1=$(now)
echo "load + info (100k): $(elapsed "$t0" "$t1") s"
last=$(count "$out/multimodal-100000-cap.json" "m['nodes'][-1]['id']")
t0=$(now)
"$tool" -m "$out/multimodal-100000-cap.json" critical n0_0 "$last" --format json >"$out/critical.json"
t1=$(now)
echo "critical n0_0 -> $last: $(elapsed "$t0" "$t1") s including the load;" \
    "$(count "$out/critical.json" "len(m['elements']), 'elements, base', m['base']")"
# a pair whose cheapest walk saves a transfer by a road-out, rail-back loop at n107_203: before
# the walk without U-turns (src/route.c, turnless_walk) every element fell back to a full search
# (over 90 s); now within a small factor of `route -k 1` (issue 15)
t0=$(now)
"$tool" -m "$out/multimodal-100000-cap.json" route n166_88 n69_261 -k 1 --format json >"$out/route1.json"
t1=$(now)
"$tool" -m "$out/multimodal-100000-cap.json" critical n166_88 n69_261 --format json >"$out/critical2.json"
t2=$(now)
echo "route -k 1 n166_88 -> n69_261: $(elapsed "$t0" "$t1") s; critical: $(elapsed "$t1" "$t2") s" \
    "including the load; $(count "$out/critical2.json" "len(m['elements']), 'elements'")"
for q in "n0_0 $last" "country:KZ country:BG"; do
    set -- $q
    t0=$(now)
    "$tool" -m "$out/multimodal-100000-cap.json" flow "$1" "$2" --format json >"$out/flow.json"
    t1=$(now)
    echo "flow $1 -> $2: $(elapsed "$t0" "$t1") s including the load;" \
        "$(count "$out/flow.json" "'value', m['value'], 'cut:', len(m['cut']['edges']), 'edges', len(m['cut']['nodes']), 'nodes'")"
done
