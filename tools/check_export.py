#!/usr/bin/env python3
"""check_export.py: reads corridor's exports back with outside readers and compares them
with the canonical JSON export of the same network (same model, same filter).

    check_export.py KIND FILE... REFERENCE.json

KIND is graphml, gml, geojson, csv (FILE = NODES.csv EDGES.csv), pajek, dot or svg
(every place's name is drawn). Prints nothing and exits 0 when the file agrees with
the reference, else prints the differences and exits 1. graphml, gml and pajek are
read with NetworkX and python-igraph, dot with NetworkX over pygraphviz (Debian:
python3-networkx, python3-igraph, python3-pygraphviz); the other checks use the
standard library only.
"""
import csv
import json
import math
import os
import sys
import warnings
import xml.etree.ElementTree as ET

METRICS = ["time_h", "cost_usd", "distance_km", "co2_kg"]
COMMODITIES = ["freight", "oil", "gas", "power", "data"]

problems = []


def problem(msg):
    problems.append(msg)


def close(a, b):
    return a == b or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-12))


class Reference:
    """The network as the canonical JSON export says, with derived metrics worked out."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.model = json.load(f)
        self.nodes = {n["id"]: n for n in self.model["nodes"]}
        self.edges = {e["id"]: e for e in self.model["edges"]}
        self.defaults = self.model.get("defaults") or {}

    def metric(self, e, field):
        """The edge's value (given, or derived from distance and the mode's defaults)."""
        if e.get(field) is not None:
            return float(e[field])
        dist = e.get("distance_km")
        if field == "distance_km" or dist is None:
            return None
        d = self.defaults.get(e["mode"]) or {}
        if field == "time_h":
            v = d.get("speed_kmh")
            return dist / v if v else None
        key = {"cost_usd": "cost_usd_per_km", "co2_kg": "co2_kg_per_km"}[field]
        return dist * d[key] if d.get(key) is not None else None

    def capacity(self, elem, commodity):
        cap = elem.get("capacity") or {}
        return float(cap[commodity]) if commodity in cap else None


def compare_node(ref, nid, got, where):
    n = ref.nodes[nid]
    for key in ["name", "kind", "country", "status"]:
        if got.get(key) != n[key]:
            problem(f"{where}: node {nid}: {key} {got.get(key)!r}, want {n[key]!r}")
    for key in ["lat", "lon"]:
        g = got.get(key)
        if not close(None if g is None else float(g), n[key]):
            problem(f"{where}: node {nid}: {key} {g!r}, want {n[key]!r}")
    for c in COMMODITIES:
        g = got.get("capacity_" + c)
        if not close(None if g is None else float(g), ref.capacity(n, c)):
            problem(f"{where}: node {nid}: capacity_{c} {g!r}")


def compare_edge(ref, eid, got, where):
    e = ref.edges[eid]
    for key in ["mode", "status"]:
        if got.get(key) != e[key]:
            problem(f"{where}: edge {eid}: {key} {got.get(key)!r}, want {e[key]!r}")
    corridors = got.get("corridors")
    if isinstance(corridors, str):
        corridors = corridors.split(";") if corridors else []
    if (corridors or []) != e["corridors"]:
        problem(f"{where}: edge {eid}: corridors {corridors!r}, want {e['corridors']!r}")
    for field in METRICS:
        g = got.get(field)
        want = ref.metric(e, field)
        if not close(None if g is None else float(g), want):
            problem(f"{where}: edge {eid}: {field} {g!r}, want {want!r}")
    for c in COMMODITIES:
        g = got.get("capacity_" + c)
        if not close(None if g is None else float(g), ref.capacity(e, c)):
            problem(f"{where}: edge {eid}: capacity_{c} {g!r}")
    oneway = got.get("oneway")
    if oneway is not None and bool(oneway) != e["oneway"]:
        problem(f"{where}: edge {eid}: oneway {oneway!r}, want {e['oneway']!r}")


def check_counts(where, nodes, edges, ref):
    if nodes != len(ref.nodes) or edges != len(ref.edges):
        problem(f"{where}: {nodes} nodes and {edges} edges, want {len(ref.nodes)} and "
                f"{len(ref.edges)}")


def check_graphml(path, ref):
    import networkx as nx
    g = nx.read_graphml(path)
    if not g.is_multigraph() and len(ref.edges) != g.number_of_edges():
        problem("graphml: read as a simple graph")
    check_counts("graphml", g.number_of_nodes(), g.number_of_edges(), ref)
    for nid, data in g.nodes(data=True):
        compare_node(ref, nid, data, "graphml")
        n = ref.nodes[nid]
        if n["lat"] is not None and not close(data.get("y"), n["lat"] * 100):
            problem(f"graphml: node {nid}: y {data.get('y')!r}")
    for u, v, key, data in g.edges(keys=True, data=True):
        e = ref.edges.get(key)
        if e is None:
            problem(f"graphml: unknown edge key {key!r}")
            continue
        if {u, v} != {e["from"], e["to"]}:
            problem(f"graphml: edge {key}: joins {u}, {v}")
        compare_edge(ref, key, data, "graphml")
    for key in ["model", "origin", "filter"]:
        if key not in g.graph:
            problem(f"graphml: no graph attribute {key}")
    for nid, data in g.nodes(data=True):
        if data.get("label") != ref.nodes[nid]["name"]:
            problem(f"graphml: node {nid}: label {data.get('label')!r}")
    check_yfiles(path, ref)
    import igraph
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Ignoring <key id="n_yfiles">": yEd's key has no type
        ig = igraph.Graph.Read_GraphML(path)
    check_igraph("graphml", ig, ig.vs["id"], ref, both_ways=True)
    if ig.vs["name"] != [ref.nodes[i]["name"] for i in ig.vs["id"]]:
        problem("graphml: igraph's vertex names are not the model's names")


Y = "{http://www.yworks.com/xml/graphml}"
G = "{http://graphml.graphdrawing.org/xmlns}"


def check_yfiles(path, ref):
    """yEd's graphics: nodes a 20 x 20 circle centred on (x, -y) of the Gephi data, the name as
    label; one-way edges an arrow."""
    for node in ET.parse(path).iter(G + "node"):
        nid = node.get("id")
        n = ref.nodes[nid]
        shape = node.find(f"{G}data/{Y}ShapeNode")
        if shape is None:
            problem(f"graphml: node {nid}: no y:ShapeNode")
            continue
        if shape.findtext(Y + "NodeLabel") != n["name"]:
            problem(f"graphml: node {nid}: y:NodeLabel {shape.findtext(Y + 'NodeLabel')!r}")
        geo = shape.find(Y + "Geometry")
        if (geo is None) != (n["lat"] is None):
            problem(f"graphml: node {nid}: y:Geometry {'missing' if geo is None else 'without coordinates'}")
        elif geo is not None and not math.isclose(float(geo.get("y")) + 10, -n["lat"] * 100,
                                                  abs_tol=1e-9):
            problem(f"graphml: node {nid}: y:Geometry y {geo.get('y')}")


    for edge in ET.parse(path).iter(G + "edge"):
        e = ref.edges[edge.get("id")]
        arrows = edge.find(f"{G}data/{Y}PolyLineEdge/{Y}Arrows")
        want = "standard" if e["oneway"] else "none"
        if arrows is None or arrows.get("target") != want:
            problem(f"graphml: edge {e['id']}: y:Arrows target "
                    f"{None if arrows is None else arrows.get('target')!r}, want {want!r}")


def reach_sets(n, arcs):
    """For each of n vertices, the set reachable from it over the directed arcs."""
    out = [[] for _ in range(n)]
    for a, b in arcs:
        out[a].append(b)
    sets = []
    for s in range(n):
        seen, stack = {s}, [s]
        while stack:
            for w in out[stack.pop()]:
                if w not in seen:
                    seen.add(w)
                    stack.append(w)
        sets.append(seen)
    return sets


def check_igraph(where, g, ids, ref, both_ways):
    """Ids, and reachability between every pair as igraph reads it against the model's (with
    every edge two-way if both_ways: the format is undirected, `oneway` an attribute)."""
    if sorted(ids) != sorted(ref.nodes):
        problem(f"{where}: igraph reads vertices {sorted(ids)[:5]}..., want the model's node ids")
        return
    index = {v: i for i, v in enumerate(ids)}
    want = []
    for e in ref.edges.values():
        a, b = index[e["from"]], index[e["to"]]
        want.append((a, b))
        if not e["oneway"] or both_ways:
            want.append((b, a))
    got = []
    for a, b in g.get_edgelist():
        got.append((a, b))
        if not g.is_directed():
            got.append((b, a))
    ws, gs = reach_sets(len(ids), want), reach_sets(len(ids), got)
    bad = [(ids[a], ids[b]) for a in range(len(ids)) for b in range(len(ids))
           if (b in ws[a]) != (b in gs[a])]
    if bad:
        problem(f"{where}: igraph reads reachability differently for {len(bad)} pairs, e.g. "
                f"{bad[0][0]} -> {bad[0][1]}")
    if "istanbul" in index and "khorgos" in index:
        if g.get_shortest_paths(index["istanbul"], index["khorgos"])[0] == []:
            problem(f"{where}: igraph finds no path istanbul -> khorgos")


def check_gml(path, ref):
    import networkx as nx
    g = nx.read_gml(path)  # labels are the node ids
    check_counts("gml", g.number_of_nodes(), g.number_of_edges(), ref)
    for nid, data in g.nodes(data=True):
        compare_node(ref, nid, data, "gml")
    for u, v, data in g.edges(data=True):
        eid = data.get("id")
        if eid not in ref.edges:
            problem(f"gml: unknown edge {eid!r}")
            continue
        if {u, v} != {ref.edges[eid]["from"], ref.edges[eid]["to"]}:
            problem(f"gml: edge {eid}: joins {u}, {v}")
        compare_edge(ref, eid, data, "gml")
    for nid, data in g.nodes(data=True):
        n, gr = ref.nodes[nid], data.get("graphics")
        if (data.get("LabelGraphics") or {}).get("text") != n["name"]:
            problem(f"gml: node {nid}: LabelGraphics {data.get('LabelGraphics')!r}")
        if n["lat"] is None:
            if gr is not None:
                problem(f"gml: node {nid}: graphics without coordinates")
        elif gr is None or not close(gr.get("y"), -n["lat"] * 100):
            problem(f"gml: node {nid}: graphics {gr!r}, want y = -lat x 100")
    import igraph
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # composite attributes (graphics) ignored
        ig = igraph.Graph.Read_GML(path)
    check_igraph("gml", ig, ig.vs["label"], ref, both_ways=True)


def check_pajek(path, ref):
    import networkx as nx
    g = nx.read_pajek(path)
    directed = any(e["oneway"] for e in ref.edges.values())
    # with a one-way edge, all arcs: a two-way edge is two of them
    arcs = sum(1 if e["oneway"] or not directed else 2 for e in ref.edges.values())
    check_counts("pajek", g.number_of_nodes(), g.number_of_edges() - arcs + len(ref.edges), ref)
    if g.is_directed() != directed:
        problem(f"pajek: NetworkX reads directed={g.is_directed()}, want {directed}")
    import igraph
    ig = igraph.Graph.Read_Pajek(path)
    check_igraph("pajek", ig, ig.vs["id"], ref, both_ways=False)
    for nid, data in g.nodes(data=True):
        if nid not in ref.nodes:
            problem(f"pajek: unknown vertex {nid!r}")
        elif ref.nodes[nid]["lat"] is not None:
            x, y = float(data.get("x", -1)), float(data.get("y", -1))
            if not (0 <= x <= 1 and 0 <= y <= 1):
                problem(f"pajek: vertex {nid}: coordinates {x}, {y} not in 0..1")


def check_dot(path, ref):
    """The graph itself: the model's nodes and edges with their attributes (text in DOT)."""
    import networkx as nx
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = nx.nx_agraph.read_dot(path)
    check_counts("dot", g.number_of_nodes(), g.number_of_edges(), ref)
    for nid, data in g.nodes(data=True):
        if nid not in ref.nodes:
            problem(f"dot: unknown node {nid!r}")
            continue
        compare_node(ref, nid, data, "dot")
        if data.get("label") != ref.nodes[nid]["name"]:
            problem(f"dot: node {nid}: label {data.get('label')!r}")
    for u, v, key, data in g.edges(keys=True, data=True):
        e = ref.edges.get(key)
        if e is None:
            problem(f"dot: unknown edge key {key!r}")
            continue
        if {u, v} != {e["from"], e["to"]}:
            problem(f"dot: edge {key}: joins {u}, {v}")
        data["oneway"] = data.get("oneway") == "true"
        compare_edge(ref, key, data, "dot")
        if (data.get("dir") == "forward") != e["oneway"]:
            problem(f"dot: edge {key}: dir {data.get('dir')!r}")


def check_geojson(path, ref):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    if d.get("type") != "FeatureCollection":
        problem("geojson: not a FeatureCollection")
    meta = d.get("corridor") or {}
    if meta.get("model") != ref.model["name"]:
        problem(f"geojson: corridor.model {meta.get('model')!r}")
    nodes = edges = 0
    for ft in d.get("features", []):
        props, geom = ft.get("properties") or {}, ft.get("geometry")
        if ft.get("type") != "Feature":
            problem("geojson: a member of features is not a Feature")
        if props.get("element") == "node":
            nodes += 1
            n = ref.nodes.get(props.get("id"))
            if n is None:
                problem(f"geojson: unknown node {props.get('id')!r}")
                continue
            compare_node(ref, n["id"], props, "geojson")
            want = None if n["lat"] is None else {"type": "Point",
                                                  "coordinates": [n["lon"], n["lat"]]}
            if geom != want:
                problem(f"geojson: node {n['id']}: geometry {geom!r}, want {want!r}")
        else:
            edges += 1
            e = ref.edges.get(props.get("id"))
            if e is None:
                problem(f"geojson: unknown edge {props.get('id')!r}")
                continue
            compare_edge(ref, e["id"], props, "geojson")
            a, z = ref.nodes[e["from"]], ref.nodes[e["to"]]
            if a["lat"] is None or z["lat"] is None:
                if geom is not None:
                    problem(f"geojson: edge {e['id']}: geometry {geom!r}, want null")
                continue
            why = check_arc(geom, (a["lon"], a["lat"]), (z["lon"], z["lat"]))
            if why:
                problem(f"geojson: edge {e['id']}: {why}")
    check_counts("geojson", nodes, edges, ref)


def check_arc(geom, a, z):
    """An edge without geometry is a great-circle arc from a to z, a point every 50 km at most.

    Checked independently of the exporter: each point lies on the great circle through
    a and z (cross-track distance under 1 m) and between them, and the steps are <= 50 km.
    Returns what is wrong, or None."""
    if not geom or geom.get("type") != "LineString":
        return f"geometry {geom!r} is not a LineString"
    pts = geom["coordinates"]
    if pts[0] != [a[0], a[1]] or pts[-1] != [z[0], z[1]]:
        return f"the line runs {pts[0]} .. {pts[-1]}, not {list(a)} .. {list(z)}"
    r, d = 6371.0088, math.pi / 180

    def vec(p):
        return (math.cos(p[1] * d) * math.cos(p[0] * d), math.cos(p[1] * d) * math.sin(p[0] * d),
                math.sin(p[1] * d))

    def hav(p, q):
        h = (math.sin((q[1] - p[1]) * d / 2) ** 2
             + math.cos(p[1] * d) * math.cos(q[1] * d) * math.sin((q[0] - p[0]) * d / 2) ** 2)
        return 2 * r * math.asin(math.sqrt(min(1.0, h)))

    va, vz = vec(a), vec(z)
    nrm = (va[1] * vz[2] - va[2] * vz[1], va[2] * vz[0] - va[0] * vz[2], va[0] * vz[1] - va[1] * vz[0])
    ln = math.sqrt(sum(c * c for c in nrm))
    total = hav(a, z)
    for i, p in enumerate(pts):
        if ln > 1e-12:
            off = abs(sum(x * y for x, y in zip(vec(p), nrm)) / ln) * r
            if off > 0.001:
                return f"point {i} {p} is {off:.3f} km off the great circle"
        if hav(a, p) > total + 1e-6:
            return f"point {i} {p} lies beyond the end"
        if i and hav(pts[i - 1], p) > 50.0 + 1e-6:
            return f"step {i} is {hav(pts[i - 1], p):.1f} km, over 50 km"
    return None


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    for i, r in enumerate(body):
        if len(r) != len(header):
            problem(f"{path}: row {i + 2} has {len(r)} fields, the header {len(header)}")
    return [{k: (v if v != "" else None) for k, v in zip(header, r)} for r in body]


def check_csv(nodes_path, edges_path, ref):
    nodes, edges = read_csv(nodes_path), read_csv(edges_path)
    check_counts("csv", len(nodes), len(edges), ref)
    for row in nodes:
        if row["id"] not in ref.nodes:
            problem(f"csv: unknown node {row['id']!r}")
            continue
        compare_node(ref, row["id"], row, "csv")
    for row in edges:
        if row["id"] not in ref.edges:
            problem(f"csv: unknown edge {row['id']!r}")
            continue
        row["oneway"] = row["oneway"] == "true"
        compare_edge(ref, row["id"], row, "csv")


def check_svg(path, ref):
    texts = set()
    for el in ET.parse(path).iter():
        if el.tag.endswith("}text") and el.text:
            texts.add(el.text)
    missing = [n for n in ref.nodes.values() if n["name"] not in texts]
    # a map may leave names out for lack of room; it says how many (NAMES_DROPPED)
    dropped = int(os.environ.get("NAMES_DROPPED", "0"))
    if len(missing) != dropped:
        problem(f"svg: {len(missing)} names not drawn, {dropped} reported dropped")
        for n in missing:
            problem(f"svg: the name of {n['id']} ({n['name']!r}) is not drawn")


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    kind, files, ref = argv[1], argv[2:-1], Reference(argv[-1])
    checks = {"graphml": check_graphml, "gml": check_gml, "pajek": check_pajek,
              "geojson": check_geojson, "csv": check_csv, "svg": check_svg, "dot": check_dot}
    if kind not in checks:
        print(f"check_export.py: unknown kind {kind!r}", file=sys.stderr)
        return 2
    checks[kind](*files, ref)
    for p in problems[:20]:
        print(p)
    if len(problems) > 20:
        print(f"... and {len(problems) - 20} more")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
