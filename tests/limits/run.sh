#!/bin/sh
# run.sh CORRIDOR: time limits and progress on a generated model (3,000 nodes, capacities):
# flow, critical, critical --od and analyze stop at a passed --time-limit with exit 5 and what
# they have (JSON "complete": false); progress goes to stderr with --progress, never with --quiet.
# The limit is 1 microsecond from the start, passed before the work begins: no timing races.
set -u
C=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/corridor-limits-XXXXXX)
trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; }
python3 "$HERE/../../bench/gen_network.py" --nodes 3000 --seed 2 -o "$T/g.json" >/dev/null 2>&1 ||
    { nok "generate model"; exit 1; }
# capacities by mode (as bench/bench_critical.sh): without them every flow is unbounded
python3 - "$T" <<'PY' || { nok "add capacities"; exit 1; }
import json, random, sys
t = sys.argv[1]
rnd = random.Random(3)
m = json.load(open(t + "/g.json"))
span = {"rail": (5, 30), "road": (2, 10), "sea": (1, 8)}
for e in m["edges"]:
    lo, hi = span[e["mode"]]
    e["capacity"] = {"freight": rnd.randint(lo, hi) * 1000000}
json.dump(m, open(t + "/m.json", "w"))
with open(t + "/od.csv", "w") as f:
    f.write("from,to,weight\nn0_0,n54_53,1\nn3_4,n40_41,2\nn10_2,n20_30,1\n")
PY
M="$T/m.json"
L="--time-limit 0.000001"

# run NAME WANT_CODE ARGS...: stdout to $T/NAME.out, stderr to $T/NAME.err; checks the exit code
run() {
    name=$1 want=$2
    shift 2
    "$C" -m "$M" "$@" >"$T/$name.out" 2>"$T/$name.err"
    code=$?
    if [ "$code" -ne "$want" ]; then
        nok "$name: exit $code, expected $want: $(head -c 300 "$T/$name.err")"
        return 1
    fi
}
has() { grep -q -- "$2" "$T/$1" || { nok "$1 lacks '$2'"; return 1; }; }
empty() { [ ! -s "$T/$1" ] || { nok "$1 is not empty: $(head -c 200 "$T/$1")"; return 1; }; }

run flow 0 flow n0_0 n54_53 --format json && has flow.out '"value":' && empty flow.err &&
    ok "flow: answer without a limit"
run flow-limit 5 $L flow n0_0 n54_53 && empty flow-limit.out &&
    has flow-limit.err "time limit reached after 1 of 3 stages (--time-limit 1e-06)" &&
    ok "flow: exit 5 at the limit, no answer"
run flow-limit-json 5 $L flow n0_0 n54_53 --format json && empty flow-limit-json.out &&
    ok "flow --format json: exit 5 at the limit, no partial JSON"
run flow-progress 0 --progress flow n0_0 n54_53 &&
    has flow-progress.err "corridor: flow: 1/3 stages (33%)" &&
    has flow-progress.err "corridor: flow: 3/3 stages (100%)" && ok "flow --progress"
run flow-quiet 0 --progress --quiet flow n0_0 n54_53 && empty flow-quiet.err && ok "flow --quiet"
run critical-limit 5 $L critical n0_0 n54_53 --format json &&
    has critical-limit.out '"complete":false' && has critical-limit.err "time limit reached" &&
    ok "critical: exit 5, complete false"
run od-limit 5 $L critical --od "$T/od.csv" --format json &&
    has od-limit.out '"complete":false' && ok "critical --od: exit 5, complete false"
run analyze-limit 5 $L analyze --format json && has analyze-limit.out '"complete":false' &&
    ok "analyze: exit 5, complete false"
exit 0
