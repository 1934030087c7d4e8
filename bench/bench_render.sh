#!/bin/sh
# bench_render.sh: time and memory of a big geo map (render), next to Graphviz alone drawing the same graph.
#
#   sh bench/bench_render.sh [CORRIDOR]     (default build/corridor)
#
# Environment: BENCH_OUT (work dir, default /tmp/corridor-bench), BENCH_RENDER_NODES
# (default 100000). For each of SVG and PNG it prints wall time, user + sys CPU and
# maximum resident memory of `corridor -m MODEL render -o map.FMT` (load, projection,
# basemap, label placement, Graphviz layout and drawing), then the floor: Graphviz's
# own `neato -n2` reading the laid-out graph that `render -T dot` writes (same
# positions, lines and names) and drawing it. The machine's load average is printed
# too: wall time on a shared machine is CPU time stretched by the other jobs.
set -eu

CORRIDOR=${1:-build/corridor}
OUT=${BENCH_OUT:-/tmp/corridor-bench}
N=${BENCH_RENDER_NODES:-100000}
HERE=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C

[ -x "$CORRIDOR" ] || { echo "bench_render.sh: no corridor binary at $CORRIDOR" >&2; exit 2; }
command -v neato >/dev/null 2>&1 || { echo "bench_render.sh: needs Graphviz's neato" >&2; exit 2; }
mkdir -p "$OUT"
M="$OUT/geo-$N.json"
[ -s "$M" ] || python3 "$HERE/gen_network.py" --nodes "$N" --geo -o "$M" >/dev/null

# one run: label, then the command; prints wall s, CPU s (user + sys), max RSS MB
measure() {
    label=$1
    shift
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" >/dev/null 2>&1 || {
        printf '%-44s FAILED\n' "$label"
        return
    }
    read -r wall user sys rss < "$OUT/time.txt"
    awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
        'BEGIN { printf "%-44s %7.2f %7.2f %8.0f\n", l, w, u + s, r / 1024 }'
}

echo "== geo map of $N places ($(grep -o '"from"' "$M" | wc -l) lines), A3, defaults"
echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-44s %7s %7s %8s\n' "" "wall s" "CPU s" "RSS MB"
"$CORRIDOR" -m "$M" render -T dot -o "$OUT/map.dot" 2>/dev/null
for fmt in svg png; do
    measure "corridor render -o map.$fmt" "$CORRIDOR" -m "$M" render -o "$OUT/map.$fmt"
    measure "floor: neato -n2 -T$fmt map.dot (same graph)" neato -n2 -T"$fmt" -o "$OUT/floor.$fmt" \
        "$OUT/map.dot"
done
