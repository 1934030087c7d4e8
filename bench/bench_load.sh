#!/bin/sh
# bench_load.sh: JSON model loading: peak memory per edge and speed (MB of JSON per CPU second).
#
#   sh bench/bench_load.sh [CORRIDOR [OTHER_CORRIDOR]]   (default build/corridor)
#
# Runs `/usr/bin/time -v CORRIDOR -m FILE info` (the best of BENCH_RUNS runs, default 3, by CPU
# time) on the multimodal models of gen_network.py and prints the file size, the edges, user + sys
# seconds, MB/s of CPU time, peak RSS and bytes of peak RSS per edge. OTHER_CORRIDOR (e.g. a build
# of an older commit) is measured the same way, on the same files, for a before/after table.
# Environment: BENCH_OUT (work dir, default /tmp/corridor-bench; models are kept and reused),
# BENCH_LOAD_NODES (default "100000 420000": about 239k and 1.0M edges, 44 and 188 MB).
set -eu

CORRIDOR=${1:-build/corridor}
OTHER=${2:-}
OUT=${BENCH_OUT:-/tmp/corridor-bench}
NODES=${BENCH_LOAD_NODES:-"100000 420000"}
RUNS=${BENCH_RUNS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C

[ -x "$CORRIDOR" ] || { echo "bench_load.sh: no corridor binary at $CORRIDOR" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench_load.sh: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
mkdir -p "$OUT"

# "cpu_seconds peak_kb" of the best of $RUNS runs of `BIN -m FILE info`
measure() {
    best=""
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        /usr/bin/time -v "$1" -m "$2" info >/dev/null 2>"$OUT/load-time.txt" ||
            { echo "FAIL FAIL"; return; }
        r=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2}
                        /Maximum resident/ {m = $2} END {printf "%.2f %d\n", u + s, m}' \
            "$OUT/load-time.txt")
        best=$(printf '%s\n%s\n' "$best" "$r" | awk 'NF == 2' | sort -n | head -1)
        i=$((i + 1))
    done
    echo "$best"
}

printf '| binary | model | MB | edges | CPU s | MB/s | peak RSS MB | bytes/edge |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for n in $NODES; do
    f="$OUT/multimodal-$n.json"
    [ -s "$f" ] || python3 "$HERE/gen_network.py" --nodes "$n" -o "$f" >/dev/null
    edges=$("$CORRIDOR" -m "$f" info --format json |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["edges"])')
    bytes=$(stat -L -c %s "$f")
    for bin in "$CORRIDOR" $OTHER; do
        set -- $(measure "$bin" "$f")
        awk -v b="$bin" -v f="multimodal-$n" -v by="$bytes" -v e="$edges" -v c="$1" -v kb="$2" \
            'BEGIN {printf "| %s | %s | %.0f | %d | %.2f | %.0f | %.0f | %.0f |\n",
                    b, f, by / 1e6, e, c, by / 1e6 / c, kb / 1024, kb * 1024 / e}'
    done
done
