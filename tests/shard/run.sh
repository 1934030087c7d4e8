#!/bin/sh
# run.sh CORRIDOR: --shard I/N run as 4 processes by GNU parallel gives exactly the
# single-process answer (matrix CSV and JSON lines, batch, critical --od); prints ok/not ok lines.
set -u
C=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/corridor-shard-XXXXXX)
trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; }
if ! command -v parallel >/dev/null 2>&1; then
    nok "GNU parallel is not installed (Debian package parallel)"
    exit 1
fi
python3 "$HERE/../../bench/gen_network.py" --nodes 900 --seed 3 -o "$T/m.json" >/dev/null 2>&1 ||
    { nok "generate model"; exit 1; }
# origins and destinations: every 7th node, a country place; OD pairs and batch queries
python3 - "$T" <<'PY'
import json, random, sys
t = sys.argv[1]
m = json.load(open(t + "/m.json"))
ids = [n["id"] for n in m["nodes"]]
rng = random.Random(5)
with open(t + "/from.txt", "w") as f:
    f.write("\n".join(ids[::37] + ["country:GE"]) + "\n")
with open(t + "/to.txt", "w") as f:
    f.write("\n".join(ids[5::23] + ["country:TR"]) + "\n")
with open(t + "/od.csv", "w") as f:
    f.write("from,to,weight\n")
    for _ in range(24):
        a, b = rng.sample(ids, 2)
        f.write(f"{a},{b},{rng.randint(1, 5)}\n")
with open(t + "/q.jsonl", "w") as f:
    for i in range(40):
        a, b = rng.sample(ids, 2)
        kind = ["route", "route", "route", "flow", "critical"][i % 5]
        q = {"id": i, "query": kind, "from": a, "to": b}
        if kind == "route":
            q["k"] = 1 + i % 3
            q["by"] = ["time", "cost", "co2"][i % 3]
        f.write(json.dumps(q) + "\n")
        if i % 13 == 0:
            f.write("{broken\n")
PY
M="-m $T/m.json"

# sorted lines after an identical first line (CSV header), or sorted lines (JSON lines)
same_csv() { [ "$(head -n 1 "$1")" = "$(head -n 1 "$2")" ] &&
    [ "$(tail -n +2 "$1" | sort)" = "$(tail -n +2 "$2" | sort)" ] && [ -s "$1" ]; }
same_lines() { [ "$(sort "$1")" = "$(sort "$2")" ] && [ -s "$1" ]; }

$C $M matrix --from @"$T/from.txt" --to @"$T/to.txt" --format csv > "$T/single.csv"
parallel -k $C $M matrix --from @"$T/from.txt" --to @"$T/to.txt" --format csv \
    --shard {}/4 ::: 0 1 2 3 > "$T/sharded.csv"
same_csv "$T/single.csv" "$T/sharded.csv" && ok "matrix csv: 4 shards == 1 process" ||
    nok "matrix csv: 4 shards == 1 process"
[ "$(grep -c '^from,' "$T/sharded.csv")" = 1 ] && ok "matrix csv: one header" ||
    nok "matrix csv: one header"

$C $M matrix --from @"$T/from.txt" --to @"$T/to.txt" --format csv --wide > "$T/single-w.csv"
parallel -k $C $M matrix --from @"$T/from.txt" --to @"$T/to.txt" --format csv --wide \
    --shard {}/4 ::: 0 1 2 3 > "$T/sharded-w.csv"
same_csv "$T/single-w.csv" "$T/sharded-w.csv" && ok "matrix wide csv: 4 shards == 1 process" ||
    nok "matrix wide csv: 4 shards == 1 process"

$C $M matrix --from @"$T/from.txt" --to @"$T/to.txt" --format json -j 1 > "$T/single.jsonl"
parallel -k $C $M matrix --from @"$T/from.txt" --to @"$T/to.txt" --format json -j 2 \
    --shard {}/4 ::: 0 1 2 3 > "$T/sharded.jsonl"
same_lines "$T/single.jsonl" "$T/sharded.jsonl" && ok "matrix json lines: 4 shards == 1 process" ||
    nok "matrix json lines: 4 shards == 1 process"
$C $M matrix --from @"$T/from.txt" --to @"$T/to.txt" --format json -j 2 > "$T/single-j2.jsonl"
cmp -s "$T/single.jsonl" "$T/single-j2.jsonl" && ok "matrix: -j 1 == -j 2" || nok "matrix: -j 1 == -j 2"

$C $M batch --input "$T/q.jsonl" > "$T/single.batch"
parallel -k $C $M batch --input "$T/q.jsonl" --shard {}/4 ::: 0 1 2 3 > "$T/sharded.batch"
same_lines "$T/single.batch" "$T/sharded.batch" && ok "batch: 4 shards == 1 process" ||
    nok "batch: 4 shards == 1 process"
[ "$(wc -l < "$T/single.batch")" = 44 ] && ok "batch: one answer per query" ||
    nok "batch: one answer per query"

# critical --od: each shard's per-element sums add up to the single process's
$C $M critical --od "$T/od.csv" --format csv --shard 0/1 > "$T/single.od"
parallel -k $C $M critical --od "$T/od.csv" --format csv --shard {}/4 ::: 0 1 2 3 > "$T/sharded.od"
$C $M critical --od "$T/od.csv" --format csv > "$T/ranked.od"
python3 - "$T" <<'PY' && ok "critical --od: 4 shards sum to 1 process" || nok "critical --od: 4 shards sum to 1 process"
import csv, sys
t = sys.argv[1]
def sums(path, skip_rank=False):
    out = {}
    for r in csv.DictReader(open(path)):
        k = (r["type"], r["id"])
        a = out.setdefault(k, [0, 0, 0.0])
        a[0] += int(r["lost"]); a[1] += int(r["worse"]); a[2] += float(r["total_increase"])
    return out
one, many, ranked = sums(t + "/single.od"), sums(t + "/sharded.od"), sums(t + "/ranked.od")
assert len(one) > 10, len(one)
assert one.keys() == many.keys() == ranked.keys()
for k in one:
    assert one[k][:2] == many[k][:2] == ranked[k][:2], k
    for x in (many[k][2], ranked[k][2]):
        assert abs(one[k][2] - x) <= 1e-6 * max(1, abs(x)), (k, one[k], x)
PY
