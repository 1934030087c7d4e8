#!/usr/bin/env python3
"""check_caspian.py: checks graphs/caspian.json and prints its calibration routes (dev aid).

Not part of the build. Standard library only.

    python3 tools/check_caspian.py                 # structure + calibration report
    python3 tools/check_caspian.py -m FILE         # another model file
    python3 tools/check_caspian.py --from tengiz --to ceyhan --carry oil --by time -k 3
    python3 tools/check_caspian.py --from khorgos --to kars --status planned
    python3 tools/check_caspian.py --from khorgos --to kars --year 2029

Route values follow DESIGN.md ("What the answers mean"): the sum over the
route's edges, plus at every intermediate node its dwell, plus its transfer
where the route changes class there (class = mode, and for rail mode/gauge).
Missing edge metrics come from the mode defaults. Routes are simple paths,
found exactly by depth-first search with branch and bound.

Exit status: 0 when the model passes every check and the calibration is in
range, 1 otherwise, 2 on usage errors.
"""
import argparse
import json
import math
import os
import re
import sys

KINDS = {"country", "city", "port", "rail-terminal", "border", "junction", "oil-terminal",
         "gas-terminal", "landing-station", "substation", "field"}
MODES = ["rail", "road", "sea", "pipeline", "power", "fiber"]
COMMODITIES = {"freight", "oil", "gas", "power", "data"}
STATUSES = ["operational", "construction", "planned", "closed"]
DEFAULT_CARRIES = {"rail": ["freight"], "road": ["freight"], "sea": ["freight"],
                   "power": ["power"], "fiber": ["data"]}
TOP_KEYS = {"format", "version", "name", "description", "units", "defaults", "countries",
            "corridors", "nodes", "edges"}
NODE_KEYS = {"id", "name", "kind", "country", "lat", "lon", "transfer", "dwell", "capacity",
             "status", "opens", "source", "description"}
EDGE_KEYS = {"id", "name", "from", "to", "mode", "corridors", "distance_km", "time_h", "cost_usd",
             "co2_kg", "capacity", "carries", "gauge", "oneway", "status", "opens", "source",
             "description"}
COUNTRY_KEYS = {"code", "name"}
CORRIDOR_KEYS = {"id", "name", "color", "description"}
COST_KEYS = {"time_h", "cost_usd", "co2_kg"}
DEFAULT_KEYS = {"speed_kmh", "cost_usd_per_km", "co2_kg_per_km"}
REQUIRED_COUNTRIES = {"CN", "KZ", "AZ", "GE", "TR", "AM", "RU", "IR", "TM", "UZ", "RO", "BY", "PL"}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")

# metric name -> (edge field, node dwell/transfer field)
METRICS = {"time": ("time_h", "time_h"), "cost": ("cost_usd", "cost_usd"),
           "distance": ("distance_km", None), "co2": ("co2_kg", "co2_kg")}

# calibration targets (issue 11): xian -> budapest (the EU hub) by the Middle Corridor (Russia
# avoided), freight, operational; the full table is tools/calibrate.py
CAL_TIME_H = (288.0, 600.0)
CAL_COST = (2500.0, 3500.0)


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


class Checker:
    def __init__(self, path):
        self.path = path
        self.problems = []
        self.warnings = []

    def err(self, where, msg):
        self.problems.append("%s: %s: %s" % (self.path, where, msg))

    def warn(self, where, msg):
        self.warnings.append("%s: %s: %s" % (self.path, where, msg))

    def check(self, m):
        if not isinstance(m, dict):
            self.err("$", "top level is not an object")
            return
        for k in m:
            if k not in TOP_KEYS:
                self.err(k, "unknown field")
        if m.get("format") != "corridor-model":
            self.err("format", 'must be "corridor-model"')
        if m.get("version") != 1:
            self.err("version", "must be 1")
        desc = m.get("description", "")
        if "40-ft container" not in desc:
            self.err("description", "must say freight metrics are per 40-ft container")
        units = m.get("units", {})
        want_units = {"freight": "t/yr", "oil": "bbl/d", "gas": "bcm/yr", "power": "MW", "data": "Tbps"}
        if units != want_units:
            self.err("units", "expected %s" % json.dumps(want_units))
        defaults = m.get("defaults", {})
        for mode in MODES:
            d = defaults.get(mode)
            if not isinstance(d, dict):
                self.err("defaults", "missing mode %s" % mode)
                continue
            for k in d:
                if k not in DEFAULT_KEYS:
                    self.err("defaults.%s.%s" % (mode, k), "unknown field")
            for k in DEFAULT_KEYS:
                if not is_num(d.get(k)) or d[k] < 0:
                    self.err("defaults.%s.%s" % (mode, k), "missing or not a number >= 0")
            if is_num(d.get("speed_kmh")) and d["speed_kmh"] <= 0:
                self.err("defaults.%s.speed_kmh" % mode, "must be > 0")
        for mode in defaults:
            if mode not in MODES:
                self.err("defaults.%s" % mode, "unknown mode")

        countries = set()
        for i, c in enumerate(m.get("countries", [])):
            w = "countries[%d]" % i
            for k in c:
                if k not in COUNTRY_KEYS:
                    self.err("%s.%s" % (w, k), "unknown field")
            code = c.get("code")
            if not isinstance(code, str) or not re.match(r"^[A-Z]{2}$", code):
                self.err(w + ".code", "not a two-letter ISO code")
            elif code in countries:
                self.err(w + ".code", "duplicate %s" % code)
            countries.add(code)
            if not c.get("name"):
                self.err(w + ".name", "missing")
        missing = REQUIRED_COUNTRIES - countries
        if missing:
            self.err("countries", "missing required %s" % ", ".join(sorted(missing)))

        corridors = set()
        for i, c in enumerate(m.get("corridors", [])):
            w = "corridors[%d]" % i
            for k in c:
                if k not in CORRIDOR_KEYS:
                    self.err("%s.%s" % (w, k), "unknown field")
            cid = c.get("id")
            if not isinstance(cid, str) or not ID_RE.match(cid):
                self.err(w + ".id", "bad id %r" % cid)
            elif cid in corridors:
                self.err(w + ".id", "duplicate %s" % cid)
            corridors.add(cid)
            if not c.get("name"):
                self.err(w + ".name", "missing")
            if not isinstance(c.get("color"), str) or not COLOR_RE.match(c["color"]):
                self.err(w + ".color", 'must be "#rrggbb"')
        if len(corridors) < 8:
            self.err("corridors", "need at least 8, have %d" % len(corridors))

        nodes = {}
        for i, n in enumerate(m.get("nodes", [])):
            w = "nodes[%d]" % i
            for k in n:
                if k not in NODE_KEYS:
                    self.err("%s.%s" % (w, k), "unknown field")
            nid = n.get("id")
            if not isinstance(nid, str) or not ID_RE.match(nid):
                self.err(w + ".id", "bad id %r" % nid)
                continue
            if nid in nodes:
                self.err(w + ".id", "duplicate %s" % nid)
            nodes[nid] = n
            w = 'nodes[%d] "%s"' % (i, nid)
            if not isinstance(n.get("name"), str) or not n["name"]:
                self.err(w + ".name", "missing")
            elif not n["name"].isascii():
                self.warn(w + ".name", "not ASCII")
            if n.get("kind") not in KINDS:
                self.err(w + ".kind", "unknown kind %r" % n.get("kind"))
            if n.get("country") not in countries:
                self.err(w + ".country", "unknown country %r" % n.get("country"))
            if not is_num(n.get("lat")) or not -90 <= n["lat"] <= 90:
                self.err(w + ".lat", "missing or out of [-90, 90]")
            if not is_num(n.get("lon")) or not -180 <= n["lon"] <= 180:
                self.err(w + ".lon", "missing or out of [-180, 180]")
            if n.get("status") not in STATUSES:
                self.err(w + ".status", "bad status %r" % n.get("status"))
            self.check_opens(w, n)
            if not isinstance(n.get("source"), str) or not n["source"].strip():
                self.err(w + ".source", "missing")
            for f in ("transfer", "dwell"):
                if f in n:
                    self.check_costs(w + "." + f, n[f])
            if "capacity" in n:
                self.check_capacity(w, n["capacity"], COMMODITIES)
        freight_nodes = set()
        for e in m.get("edges", []):
            if "freight" in (e.get("carries") or DEFAULT_CARRIES.get(e.get("mode"), [])):
                freight_nodes.update((e.get("from"), e.get("to")))
        for nid, n in nodes.items():
            if n.get("kind") in ("port", "border") and nid in freight_nodes:
                for f in ("transfer", "dwell"):
                    if f not in n:
                        self.warn('nodes "%s"' % nid, "freight %s without %s" % (n["kind"], f))
        if len(nodes) < 40:
            self.err("nodes", "need at least 40, have %d" % len(nodes))

        edge_ids = set()
        modes_seen = set()
        gauges_at = {}
        for i, e in enumerate(m.get("edges", [])):
            w = "edges[%d]" % i
            for k in e:
                if k not in EDGE_KEYS:
                    self.err("%s.%s" % (w, k), "unknown field")
            eid = e.get("id")
            if not isinstance(eid, str) or not ID_RE.match(eid):
                self.err(w + ".id", "bad id %r" % eid)
                continue
            if eid in edge_ids:
                self.err(w + ".id", "duplicate %s" % eid)
            edge_ids.add(eid)
            w = 'edges[%d] "%s"' % (i, eid)
            for end in ("from", "to"):
                if e.get(end) not in nodes:
                    self.err("%s.%s" % (w, end), "unknown node %r" % e.get(end))
            if e.get("from") == e.get("to"):
                self.err(w, "self-loop")
            mode = e.get("mode")
            if mode not in MODES:
                self.err(w + ".mode", "unknown mode %r" % mode)
                continue
            modes_seen.add(mode)
            corrs = e.get("corridors")
            if not isinstance(corrs, list):
                self.err(w + ".corridors", "must be a list")
            else:
                for c in corrs:
                    if c not in corridors:
                        self.err(w + ".corridors", "unknown corridor %r" % c)
                if not corrs:
                    self.warn(w + ".corridors", "in no corridor")
            for f in ("distance_km", "time_h", "cost_usd", "co2_kg"):
                if f in e and (not is_num(e[f]) or e[f] < 0):
                    self.err("%s.%s" % (w, f), "not a number >= 0")
            if not is_num(e.get("distance_km")):
                self.err(w + ".distance_km", "missing")
            carries = e.get("carries")
            if mode == "pipeline" and not carries:
                self.err(w + ".carries", "a pipeline must say what it carries")
            if carries is not None:
                if not isinstance(carries, list) or not carries or \
                        any(c not in COMMODITIES for c in carries):
                    self.err(w + ".carries", "bad list %r" % carries)
            carried = set(carries or DEFAULT_CARRIES.get(mode, []))
            if "capacity" in e:
                self.check_capacity(w, e["capacity"], carried)
            gauge = e.get("gauge")
            if mode == "rail":
                if gauge not in (1520, 1435):
                    self.err(w + ".gauge", "rail edge needs gauge 1520 or 1435")
                for end in ("from", "to"):
                    gauges_at.setdefault(e.get(end), set()).add(gauge)
            elif gauge is not None:
                self.err(w + ".gauge", "gauge on a %s edge" % mode)
            if not isinstance(e.get("oneway"), bool):
                self.err(w + ".oneway", "must be true or false")
            if mode == "pipeline" and e.get("oneway") is not True:
                self.warn(w + ".oneway", "two-way pipeline")
            if e.get("status") not in STATUSES:
                self.err(w + ".status", "bad status %r" % e.get("status"))
            self.check_opens(w, e)
            if not isinstance(e.get("source"), str) or not e["source"].strip():
                self.err(w + ".source", "missing")
        if len(edge_ids) < 50:
            self.err("edges", "need at least 50, have %d" % len(edge_ids))
        for mode in MODES:
            if mode not in modes_seen:
                self.err("edges", "no %s edge" % mode)
        for nid, gs in gauges_at.items():
            if len(gs) > 1 and "transfer" not in nodes.get(nid, {}):
                self.err('nodes "%s"' % nid, "break of gauge without transfer")

    def check_opens(self, w, o):
        v = o.get("opens")
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or not 1800 <= v <= 2100):
            self.err(w + ".opens", "not a year")
        if o.get("status") in ("construction", "planned") and v is None:
            self.warn(w + ".opens", "%s without an opening year" % o.get("status"))

    def check_costs(self, w, d):
        if not isinstance(d, dict):
            self.err(w, "must be an object")
            return
        for k, v in d.items():
            if k not in COST_KEYS:
                self.err("%s.%s" % (w, k), "unknown field")
            elif not is_num(v) or v < 0:
                self.err("%s.%s" % (w, k), "not a number >= 0")

    def check_capacity(self, w, cap, allowed):
        if is_num(cap):
            return
        if not isinstance(cap, dict):
            self.err(w + ".capacity", "must be a number or an object")
            return
        for k, v in cap.items():
            if k not in allowed:
                self.err("%s.capacity.%s" % (w, k), "commodity not carried here")
            if not is_num(v) or v < 0:
                self.err("%s.capacity.%s" % (w, k), "not a number >= 0")


class Network:
    """The routing view of a model for one commodity and status level."""

    def __init__(self, m, carry="freight", level="operational", year=None):
        self.m = m
        self.nodes = {n["id"]: n for n in m["nodes"]}
        self.defaults = m["defaults"]
        self.adj = {nid: [] for nid in self.nodes}

        def ok(o):
            st = o.get("status", "operational")
            if st == "closed":
                return False
            if year is not None:
                return st == "operational" or (o.get("opens") is not None and o["opens"] <= year)
            return STATUSES.index(st) <= STATUSES.index(level)

        live = {nid for nid, n in self.nodes.items() if ok(n)}
        for e in m["edges"]:
            carries = e.get("carries") or DEFAULT_CARRIES.get(e["mode"], [])
            if carry not in carries or not ok(e):
                continue
            if e["from"] not in live or e["to"] not in live:
                continue
            self.adj[e["from"]].append((e, e["to"]))
            if not e.get("oneway"):
                self.adj[e["to"]].append((e, e["from"]))

    def edge_value(self, e, metric):
        field = METRICS[metric][0]
        if field in e:
            return float(e[field])
        d = self.defaults[e["mode"]]
        dist = float(e["distance_km"])
        if metric == "time":
            return dist / d["speed_kmh"]
        if metric == "cost":
            return dist * d["cost_usd_per_km"]
        if metric == "co2":
            return dist * d["co2_kg_per_km"]
        return dist

    def node_value(self, nid, metric, changes_class):
        field = METRICS[metric][1]
        if field is None:
            return 0.0
        n = self.nodes[nid]
        v = float(n.get("dwell", {}).get(field, 0))
        if changes_class:
            v += float(n.get("transfer", {}).get(field, 0))
        return v

    @staticmethod
    def edge_class(e):
        if e["mode"] == "rail":
            return "rail/%s" % e.get("gauge")
        return e["mode"]

    def totals(self, route):
        """All four metrics of a route given as [(edge, next_node), ...] from origin."""
        out = {}
        for metric in METRICS:
            out[metric] = self.route_value(route, metric)
        return out

    def route_value(self, route, metric):
        total = 0.0
        for i, (e, _) in enumerate(route):
            total += self.edge_value(e, metric)
            if i > 0:
                prev = route[i - 1][0]
                node = route[i - 1][1]
                total += self.node_value(node, metric,
                                         self.edge_class(prev) != self.edge_class(e))
        return total

    def best(self, src, dst, metric="time", k=3):
        """The k best simple routes by metric (exact; branch and bound on k-th best)."""
        found = []  # (value, route)
        path = []
        visited = {src}

        def bound():
            return found[-1][0] if len(found) >= k else math.inf

        def dfs(u, value, prev_edge):
            if u == dst:
                found.append((value, list(path)))
                found.sort(key=lambda x: x[0])
                del found[k:]
                return
            for e, v in self.adj.get(u, []):
                if v in visited:
                    continue
                add = self.edge_value(e, metric)
                if prev_edge is not None:
                    add += self.node_value(u, metric,
                                           self.edge_class(prev_edge) != self.edge_class(e))
                if value + add >= bound():
                    continue
                visited.add(v)
                path.append((e, v))
                dfs(v, value + add, e)
                path.pop()
                visited.discard(v)

        if src in self.adj and dst in self.adj:
            dfs(src, 0.0, None)
        return found

    def describe(self, src, route):
        t = self.totals(route)
        lines = ["%.1f days (%.0f h), US$%.0f, %.0f km, %.0f kg CO2" %
                 (t["time"] / 24.0, t["time"], t["cost"], t["distance"], t["co2"])]
        parts = [src]
        transfers = []
        for i, (e, v) in enumerate(route):
            parts.append("-[%s %s]-> %s" % (self.edge_class(e), e["id"], v))
            if i > 0 and self.edge_class(route[i - 1][0]) != self.edge_class(e):
                transfers.append("%s (%s -> %s)" % (route[i - 1][1], self.edge_class(route[i - 1][0]),
                                                    self.edge_class(e)))
        lines.append("  " + " ".join(parts))
        if transfers:
            lines.append("  transfers: " + ", ".join(transfers))
        return lines


def report(net, src, dst, metric, k, title):
    print("== %s: %s -> %s by %s" % (title, src, dst, metric))
    res = net.best(src, dst, metric, k)
    if not res:
        print("  no route")
    for rank, (_, route) in enumerate(res, 1):
        lines = net.describe(src, route)
        print("  %d. %s" % (rank, lines[0]))
        for line in lines[1:]:
            print("   " + line)
    return res


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-m", "--model", default=os.path.join(here, "..", "graphs", "caspian.json"))
    ap.add_argument("--from", dest="src")
    ap.add_argument("--to", dest="dst")
    ap.add_argument("--carry", default="freight", choices=sorted(COMMODITIES))
    ap.add_argument("--by", default="time", choices=sorted(METRICS))
    ap.add_argument("-k", type=int, default=3)
    ap.add_argument("--status", default="operational", choices=STATUSES[:3])
    ap.add_argument("--year", type=int)
    args = ap.parse_args()
    if (args.src is None) != (args.dst is None):
        ap.error("--from and --to go together")

    path = os.path.normpath(args.model)
    try:
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, ValueError) as ex:
        print("check_caspian: %s: %s" % (path, ex), file=sys.stderr)
        return 1

    chk = Checker(os.path.relpath(path))
    chk.check(m)
    for w in chk.warnings:
        print("warning: " + w)
    for p in chk.problems:
        print("error: " + p)
    if chk.problems:
        return 1

    if args.src:
        net = Network(m, args.carry, args.status, args.year)
        for place in (args.src, args.dst):
            if place not in net.nodes:
                print("check_caspian: unknown node %r" % place, file=sys.stderr)
                return 2
        res = report(net, args.src, args.dst, args.by, args.k, "%s, %s" % (args.carry,
                     "year %d" % args.year if args.year else args.status))
        return 0 if res else 1

    def count(key, items):
        c = {}
        for o in items:
            vals = o.get(key)
            for v in (vals if isinstance(vals, list) else [vals]):
                c[v] = c.get(v, 0) + 1
        return ", ".join("%s %d" % kv for kv in sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0]))))

    print("model: %s: %d nodes, %d edges, %d corridors, %d countries" %
          (m.get("name"), len(m["nodes"]), len(m["edges"]), len(m["corridors"]), len(m["countries"])))
    print("  by kind:     " + count("kind", m["nodes"]))
    print("  by mode:     " + count("mode", m["edges"]))
    print("  by status:   " + count("status", m["edges"]))
    print("  by corridor: " + count("corridors", m["edges"]))
    print("  by country:  " + count("country", m["nodes"]))
    print("structure: OK")
    print()

    net = Network(m, "freight", "operational")
    mc = Network({**m, "nodes": [n for n in m["nodes"] if n.get("country") != "RU"]}, "freight",
                 "operational")
    ok = True
    by_time = report(mc, "xian", "budapest", "time", 3, "Middle Corridor calibration, freight, operational, no RU")
    by_cost = report(mc, "xian", "budapest", "cost", 3, "Middle Corridor calibration, freight, operational, no RU")
    if not by_time or not by_cost:
        ok = False
    else:
        t = mc.totals(by_time[0][1])
        c = mc.totals(by_cost[0][1])
        t_ok = CAL_TIME_H[0] <= t["time"] <= CAL_TIME_H[1]
        c_ok = CAL_COST[0] <= c["cost"] <= CAL_COST[1]
        ct_ok = CAL_COST[0] <= t["cost"] <= CAL_COST[1]
        print("calibration: best by time %.1f days (%.0f h) in 12-25 days: %s; its cost US$%.0f in "
              "2,500-3,500: %s; best by cost US$%.0f in 2,500-3,500: %s" %
              (t["time"] / 24, t["time"], "yes" if t_ok else "NO", t["cost"], "yes" if ct_ok else "NO",
               c["cost"], "yes" if c_ok else "NO"))
        ok = t_ok and c_ok and ct_ok
    print()
    report(net, "xian", "budapest", "time", 1, "Northern route, freight, operational")
    report(net, "khorgos", "istanbul", "time", 1, "Khorgos-Istanbul, freight, operational")
    report(net, "dostyk", "malaszewicze", "time", 1, "Northern route, freight, operational")
    report(net, "xian", "alat", "time", 1, "Xi'an-Baku service (S74: 11 days), freight, operational")
    report(net, "alat", "istanbul", "time", 1, "Alat onward, freight, operational")
    print()
    net_oil = Network(m, "oil", "operational")
    if not report(net_oil, "tengiz", "ceyhan", "time", 1, "Kazakh crude, oil, operational"):
        ok = False
    report(net_oil, "tengiz", "ceyhan", "cost", 1, "Kazakh crude (US$ per tonne), oil, operational")
    report(Network(m, "gas", "operational"), "shah-deniz", "melendugno", "time", 1, "Southern Gas Corridor, gas")
    print()
    for y in (2026, 2028, 2029):
        report(Network(m, "freight", year=y), "alat", "kars", "time", 2, "Zangezur vs BTK, freight, year %d" % y)
    report(Network(m, "freight", "planned"), "alat", "bandar-abbas", "time", 2, "INSTC, freight, planned")
    report(Network(m, "power", "planned"), "tashkent", "constanta", "distance", 1, "Green power, planned")
    report(Network(m, "data", "planned"), "kuryk-landing", "sumgait", "distance", 2, "Trans-Caspian data, planned")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
