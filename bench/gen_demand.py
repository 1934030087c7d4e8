#!/usr/bin/env python3
"""gen_demand.py: capacities and an OD demand table for the assignment benchmark.

Usage: gen_demand.py MODEL --pairs N [--origins K] [--seed S] [--load F] -o OUT_MODEL -d DEMAND.csv

Reads a gen_network.py model and writes OUT_MODEL with freight capacities (rail 4-12 Mt/yr,
road 1-3 Mt/yr, sea 2-6 Mt/yr, ports 5-15 Mt/yr) and DEMAND.csv with N origin-destination pairs
among K origins (default N / 10, so each origin is one shortest-path tree for about ten
destinations). Origins and destinations are drawn at least a third of the grid apart, so routes
cross many links; quantities are uniform in [0.5, 1.5] x F x 1e5 t/yr (F: --load, default 1),
which congests the busiest links (v/c above 1) without making every link saturated.
"""
import argparse
import json
import random


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--pairs", type=int, required=True)
    ap.add_argument("--origins", type=int)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--load", type=float, default=1.0)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("-d", "--demand", required=True)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    m = json.load(open(a.model))
    caps = {"rail": (4e6, 12e6), "road": (1e6, 3e6), "sea": (2e6, 6e6)}
    for e in m["edges"]:
        lo, hi = caps.get(e["mode"], (1e6, 3e6))
        e["capacity"] = {"freight": round(rnd.uniform(lo, hi), -3)}
    for n in m["nodes"]:
        if n.get("kind") == "port":
            n["capacity"] = {"freight": round(rnd.uniform(5e6, 15e6), -3)}
            n.setdefault("dwell", {"time_h": round(rnd.uniform(6, 24), 3)})
    with open(a.output, "w") as f:
        json.dump(m, f, separators=(",", ":"))

    def xy(nid):
        x, y = nid[1:].split("_")
        return int(x), int(y)

    ids = [n["id"] for n in m["nodes"]]
    w = max(xy(i)[0] for i in ids) + 1
    k = a.origins or max(1, a.pairs // 10)
    origins = rnd.sample(ids, k)
    seen = set()
    rows = []
    while len(rows) < a.pairs:
        o = origins[len(rows) % k]
        d = rnd.choice(ids)
        (ox, oy), (dx, dy) = xy(o), xy(d)
        if (o, d) in seen or abs(ox - dx) + abs(oy - dy) < w // 3:
            continue
        seen.add((o, d))
        rows.append("%s,%s,freight,%d\n" % (o, d, rnd.uniform(0.5, 1.5) * a.load * 1e5))
    with open(a.demand, "w") as f:
        f.write("origin,destination,commodity,quantity\n")
        f.writelines(rows)


if __name__ == "__main__":
    main()
