#!/usr/bin/env python3
"""gen_network.py: writes large synthetic corridor models (model JSON, format 1) for benchmarks.

Usage: gen_network.py --nodes N [--seed S] [--single-class] [--geo] -o FILE

Multimodal (default): a W x H grid (W * H ~ N) of nodes split into five
countries by vertical strips (KZ-like 1520 mm gauge in the first three,
1435 mm in the last two). Rail links join grid neighbours (70 %, always along
row 0 and the last column so the corners are connected), roads join grid
neighbours (50 %, parallel to rail where both exist), about 1 % of the nodes
are ports joined by sea links to ports 5-40 columns away. Every node pays a
transfer when the route changes class (1-3 h, ports 12-24 h); nodes next to a
country boundary are border posts with a dwell (2-8 h). Metrics are random
reals, so ties are rare.

Single class (--single-class): the same grid, rail only, no gauge, no dwell or
transfer, every grid neighbour joined once (85 %, with the same spine): a
simple weighted undirected graph that python-igraph and NetworkX can route
too. Its time_h equals the weight written to FILE.edges.tsv (from to weight).

Coordinates (--geo): the grid spread evenly over 40-80 E, 35-55 N (for map
renders); without it nodes have none.

Place names: the corners are "n0_0" (origin) and "n{W-1}_{H-1}" (destination);
the script prints them.
"""
import argparse
import json
import math
import random
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--single-class", action="store_true")
    ap.add_argument("--geo", action="store_true", help="give nodes coordinates")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()

    rnd = random.Random(a.seed)
    w = max(2, int(round(math.sqrt(a.nodes))))
    h = max(2, a.nodes // w)
    countries = ["KZ", "AZ", "GE", "TR", "BG"]
    strip = max(1, (w + len(countries) - 1) // len(countries))

    def nid(x, y):
        return "n%d_%d" % (x, y)

    def country(x):
        return countries[min(x // strip, len(countries) - 1)]

    def gauge(x):
        return 1520 if x // strip < 3 else 1435

    def r3(v):
        return round(v, 3)

    nodes, edges = [], []
    tsv = []
    single = a.single_class
    for y in range(h):
        for x in range(w):
            n = {"id": nid(x, y), "kind": "city", "country": country(x)}
            if a.geo:
                n["lon"] = r3(40 + 40 * x / max(1, w - 1))
                n["lat"] = r3(35 + 20 * y / max(1, h - 1))
            if not single:
                border = (x % strip == 0 and x > 0) or (x % strip == strip - 1 and x < w - 1)
                if border:
                    n["kind"] = "border"
                    n["dwell"] = {"time_h": r3(rnd.uniform(2, 8)), "cost_usd": r3(rnd.uniform(20, 80))}
                n["transfer"] = {"time_h": r3(rnd.uniform(1, 3)), "cost_usd": r3(rnd.uniform(10, 40)),
                                 "co2_kg": r3(rnd.uniform(1, 5))}
            nodes.append(n)

    ports = []
    if not single:
        for n in nodes:
            if rnd.random() < 0.01:
                n["kind"] = "port"
                n["transfer"] = {"time_h": r3(rnd.uniform(12, 24)),
                                 "cost_usd": r3(rnd.uniform(100, 200)), "co2_kg": r3(rnd.uniform(5, 10))}
                ports.append(n["id"])

    def add(eid, f, t, mode, dist, speed, cost_km, co2_km, g=None):
        e = {"id": eid, "from": f, "to": t, "mode": mode, "distance_km": r3(dist),
             "time_h": r3(dist / speed * rnd.uniform(0.8, 1.25))}
        if not single:
            e["cost_usd"] = r3(dist * cost_km * rnd.uniform(0.8, 1.25))
            e["co2_kg"] = r3(dist * co2_km * rnd.uniform(0.8, 1.25))
        if g:
            e["gauge"] = g
        edges.append(e)
        if single:
            tsv.append("%s\t%s\t%r\n" % (f, t, e["time_h"]))

    ne = 0
    for y in range(h):
        for x in range(w):
            for dx, dy in ((1, 0), (0, 1)):
                x2, y2 = x + dx, y + dy
                if x2 >= w or y2 >= h:
                    continue
                spine = (y == 0 and dy == 0) or (x == w - 1 and dx == 0)
                f, t = nid(x, y), nid(x2, y2)
                dist = rnd.uniform(10, 40)
                if single:
                    if spine or rnd.random() < 0.85:
                        add("e%d" % ne, f, t, "rail", dist, 40, 0, 0)
                        ne += 1
                    continue
                if spine or rnd.random() < 0.7:
                    # a link across the gauge boundary takes one side's gauge: a break of gauge
                    add("r%d" % ne, f, t, "rail", dist, 40, 1.0, 0.5, gauge(x if rnd.random() < 0.5 else x2))
                    ne += 1
                if rnd.random() < 0.5:
                    add("d%d" % ne, f, t, "road", dist * rnd.uniform(0.9, 1.2), 60, 2.0, 1.5)
                    ne += 1
    if not single:
        pos = {}
        for p in ports:
            x, y = (int(v) for v in p[1:].split("_"))
            pos[p] = (x, y)
        for p in ports:
            for _ in range(2):
                q = rnd.choice(ports)
                dx = abs(pos[p][0] - pos[q][0])
                if q == p or not 5 <= dx <= 40:
                    continue
                dist = 30.0 * math.hypot(pos[p][0] - pos[q][0], pos[p][1] - pos[q][1])
                add("s%d" % ne, p, q, "sea", dist, 25, 0.8, 0.3)
                ne += 1

    model = {
        "format": "corridor-model", "version": 1,
        "name": "synthetic %s %dx%d" % ("single-class" if single else "multimodal", w, h),
        "description": "gen_network.py --nodes %d --seed %d%s" % (a.nodes, a.seed,
                                                                  " --single-class" if single else ""),
        "countries": [{"code": c, "name": c} for c in countries],
        "nodes": nodes, "edges": edges,
    }
    with open(a.output, "w") as f:
        json.dump(model, f, separators=(",", ":"))
    if single:
        with open(a.output + ".edges.tsv", "w") as f:
            f.writelines(tsv)
    print("%s: %d nodes, %d edges; from %s to %s" % (a.output, len(nodes), len(edges), nid(0, 0),
                                                   nid(w - 1, h - 1)), file=sys.stderr)
    print(nid(0, 0), nid(w - 1, h - 1))


if __name__ == "__main__":
    main()
