#!/usr/bin/env python3
"""check_import.py: `corridor import`, `-m SOURCE` and the GIS exports, checked by hand-made answers.

    python3 tests/import/check_import.py path/to/corridor

Prints 'ok NAME' or 'not ok NAME' (with '# ...' detail lines) per check; exit 1 if any failed.
Uses GDAL's command-line tools (ogr2ogr, ogrinfo) to make sources and to read exports back.
The expected answers are worked out by hand in the comments (tests/import/README.md).
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
failed = 0


def report(ok, name, detail=""):
    global failed
    print(("ok " if ok else "not ok ") + name)
    if not ok:
        failed += 1
        for line in str(detail).splitlines()[:30]:
            print("# " + line)


def run(args, cwd=None, stdin=None):
    env = dict(os.environ, LC_ALL="C")
    p = subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, env=env, timeout=600)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def haversine(a, b):
    r, d = 6371.0088, math.pi / 180
    dlat, dlon = (b[1] - a[1]) * d, (b[0] - a[0]) * d
    h = math.sin(dlat / 2) ** 2 + math.cos(a[1] * d) * math.cos(b[1] * d) * math.sin(dlon / 2) ** 2
    return 2 * r * math.asin(math.sqrt(min(1.0, h)))


def length(points):
    return sum(haversine(points[i], points[i + 1]) for i in range(len(points) - 1))


def near(a, b, tol=1e-6):
    return a is not None and b is not None and abs(a - b) <= tol * max(1.0, abs(b))


class Tester:
    def __init__(self, corridor, tmp):
        self.c = corridor
        self.t = tmp

    def corridor(self, *args, stdin=None):
        return run([self.c] + list(args), cwd=self.t, stdin=stdin)

    def model(self, path):
        with open(os.path.join(self.t, path)) as f:
            return json.load(f)

    def routes(self, model, frm, to, *extra):
        code, out, err = self.corridor("-m", model, "route", frm, to, "--format", "json", *extra)
        if code != 0:
            return None, err
        return json.loads(out)["routes"], err


def qgis_checks(t, src_args, label):
    """The QGIS-style stations/lines network (tests/import/*.geojson) with qgis-map.json."""
    code, out, err = t.corridor("import", *src_args, "--map", os.path.join(HERE, "qgis-map.json"),
                                "-o", label + ".json")
    report(code == 0, f"{label}/import", f"exit {code}\n{err}")
    if code != 0:
        return
    m = t.model(label + ".json")
    nodes = {n["id"]: n for n in m["nodes"]}
    edges = {e["id"]: e for e in m["edges"]}
    # 4 stations + 1 junction at L5's open end (47.5, 41.5); L4's end is 0.19 km from Charlie
    report(sorted(nodes) == ["S1", "S2", "S3", "S4", "junction-1"], f"{label}/nodes", sorted(nodes))
    report(sorted(edges) == ["L1", "L2", "L3", "L4", "L5"], f"{label}/edges", sorted(edges))
    report("1 new junctions" in err and "1 line ends snapped" in err, f"{label}/summary", err)
    ok = (nodes.get("S3", {}).get("kind") == "port" and nodes.get("S1", {}).get("kind") == "rail-terminal"
          and edges.get("L1", {}).get("mode") == "rail" and edges.get("L3", {}).get("mode") == "road"
          and edges.get("L1", {}).get("gauge") == 1520 and edges.get("L1", {}).get("distance_km") == 90)
    report(ok, f"{label}/mapped-values", json.dumps([nodes.get("S3"), edges.get("L1")])[:600])
    # geometry kept, ends on the nodes; L4's last point moved from (47.002, 40.001) to Charlie
    g = edges.get("L4", {}).get("geometry")
    report(g == [[46.0, 41.0], [46.6, 40.5], [47.0, 40.0]], f"{label}/geometry-snapped", g)
    report(edges.get("L1", {}).get("geometry") == [[45.0, 40.0], [45.5, 40.05], [46.0, 40.0]],
           f"{label}/geometry", edges.get("L1", {}).get("geometry"))
    # unmapped attribute kept
    report(edges.get("L1", {}).get("attrs", {}).get("OWNER") == "ADY", f"{label}/attrs", edges.get("L1"))
    # Delta has no CTRY: its country comes from the polygons; (46.0, 41.0) lies in Azerbaijan
    report(nodes.get("S4", {}).get("country") == "AZ", f"{label}/country-by-position", nodes.get("S4"))
    # Routes by hand: rail Alpha-Bravo-Charlie 90 + 85 = 175 km at 60 km/h = 2.91667 h;
    # road Alpha-Delta-Charlie 150 + 140 = 290 km at 50 km/h = 5.8 h.
    r, err = t.routes(label + ".json", "Alpha", "Charlie", "-k", "3")
    ok = (r is not None and len(r) == 2 and r[0]["nodes"] == ["S1", "S2", "S3"]
          and near(r[0]["distance_km"], 175) and near(r[0]["time_h"], 175 / 60)
          and near(r[0]["cost_usd"], 175.0) and r[1]["nodes"] == ["S1", "S4", "S3"]
          and near(r[1]["distance_km"], 290) and near(r[1]["time_h"], 5.8) and near(r[1]["cost_usd"], 580))
    report(ok, f"{label}/routes-by-hand", json.dumps(r)[:800] if r else err)


def osm_checks(t):
    """tests/import/small.osm with the shipped osm-rail mapping (the default for .osm)."""
    code, out, err = t.corridor("import", os.path.join(HERE, "small.osm"), "-o", "osm.json")
    report(code == 0, "osm/import", f"exit {code}\n{err}")
    if code != 0:
        return
    m = t.model("osm.json")
    nodes = {n["id"]: n for n in m["nodes"]}
    edges = {e["id"]: e for e in m["edges"]}
    # stations 1, 5, 7, 10; junctions at node 3 (a branch) and node 8 (a break of gauge)
    names = sorted(n.get("name", n["id"]) for n in m["nodes"])
    report(len(nodes) == 6 and names[:4] == ["Eastgate", "Farpoint", "Northyard", "Westport"],
           "osm/nodes", names)
    # ways 100+101 merged; 102, 103, 104, 105 as they are; siding 106 and pipelines left out
    report(sorted(edges) == ["osm-way-100", "osm-way-102", "osm-way-103", "osm-way-104",
                             "osm-way-105"], "osm/edges", sorted(edges))
    w100 = edges.get("osm-way-100", {})
    report(w100.get("geometry") == [[44.0, 42.0], [44.1, 42.0], [44.2, 42.0]] and w100.get("gauge") == 1520,
           "osm/merged-chain", w100)
    report(edges.get("osm-way-105", {}).get("gauge") == 1435, "osm/gauge", edges.get("osm-way-105"))
    # Westport -> Farpoint: along latitude 42 from 44.0 to 44.7; one transfer at the break of gauge
    pts = [[44.0 + 0.1 * i, 42.0] for i in range(8)]
    want = length(pts)
    r, err = t.routes("osm.json", "Westport", "Farpoint", "--by", "distance")
    ok = (r is not None and near(r[0]["distance_km"], want, 1e-9) and len(r[0]["transfers"]) == 1
          and r[0]["transfers"][0]["from"] == "rail/1520" and r[0]["transfers"][0]["to"] == "rail/1435"
          and near(r[0]["time_h"], want / 60))
    report(ok, "osm/route-by-hand", (json.dumps(r[0]) if r else err) + f"\nwant {want} km")
    code, out, err = t.corridor("import", os.path.join(HERE, "small.osm"), "--map", "osm-energy",
                                "-o", "energy.json")
    report(code == 0, "osm-energy/import", err)
    if code == 0:
        m = t.model("energy.json")
        e = m["edges"]
        ok = (len(m["nodes"]) == 2 and len(e) == 1 and e[0]["mode"] == "pipeline"
              and e[0]["carries"] == ["oil"] and len(e[0]["geometry"]) == 3)
        report(ok, "osm-energy/pipeline", json.dumps(m["edges"])[:500])
        want = length([[44.0, 41.5], [44.5, 41.5], [45.0, 41.5]])
        r, err = t.routes("energy.json", "Oil Terminal West", "Oil Terminal East", "--carry", "oil",
                          "--by", "distance")
        report(r is not None and near(r[0]["distance_km"], want, 1e-9), "osm-energy/route", r or err)


def export_checks(t):
    """GIS exports of the built-in model: layers, typed columns, shapes, round trips, -m SOURCE."""
    code, out, err = t.corridor("export", "-o", "c.gpkg")
    report(code == 0 and "wrote c.gpkg: 95 nodes, 121 edges" in err, "export/gpkg", err)
    code, info, err = run(["ogrinfo", "-ro", "-so", "-al", os.path.join(t.t, "c.gpkg")])
    layers = [l.split(": ", 1)[1] for l in info.splitlines() if l.startswith("Layer name: ")]
    report(layers == ["nodes", "edges"], "export/gpkg-layers", info[:400])
    # typed columns: numbers stay Real even where every value is empty (capacity_data on edges)
    ok = ("Geometry: Point" in info and "Geometry: Line String" in info
          and "capacity_data: Real" in info and "gauge: Integer" in info
          and "corridors: String " in info and "oneway: Integer(Boolean)" in info)  # no list type: ";"
    report(ok, "export/gpkg-typed-columns", info)
    # the whole model: planned and closed elements too, each with its status
    code, out, err = t.corridor("--status", "operational", "export", "-o", "op.gpkg")
    report(code == 0 and "the filter left out" in err, "export/filter-count", err)
    # real shapes: an edge with a geometry keeps it; one without is a great-circle arc, not a chord
    code, out, err = run(["ogrinfo", "-ro", "-q", os.path.join(t.t, "c.gpkg"), "edges",
                          "-where", "id = 'xian-urumqi'"])
    n = out.count(",") + 1 if "LINESTRING" in out else 0
    report(n > 20, "export/great-circle", out[-300:])
    # Shapefile: one layer per file, short names, and ogr2ogr takes our GeoJSON edges layer
    code, out, err = t.corridor("export", "-f", "shp", "-o", "c.shp")
    code2, info, _ = run(["ogrinfo", "-ro", "-so", os.path.join(t.t, "c-nodes.shp"), "c-nodes"])
    report(code == 0 and "trf_time_h: Real" in info and "cap_freigh: Real" in info, "export/shp-short-names",
           err + info)
    code, out, err = t.corridor("export", "-f", "geojson", "--layer", "edges", "-o", "e.geojson")
    code2, out2, err2 = run(["ogr2ogr", "-f", "ESRI Shapefile", os.path.join(t.t, "e.shp"),
                             os.path.join(t.t, "e.geojson"), "-mapFieldType", "StringList=String"])
    report(code == 0 and code2 == 0 and os.path.exists(os.path.join(t.t, "e.shp")), "export/geojson-to-shp",
           err + err2)
    with open(os.path.join(t.t, "e.geojson")) as f:
        g = json.load(f)
    report(all(x["geometry"]["type"] == "LineString" for x in g["features"]) and len(g["features"]) == 121,
           "export/geojson-one-layer", len(g["features"]))
    # export, import, export, import: the second pass is byte-identical, in every format
    code, text, err = t.corridor("export", "-f", "json", "-o", "-")
    ref = json.loads(text)
    for fmt in ["gpkg", "geojson", "csv", "graphml", "shp", "fgb"]:
        texts = []
        for p in ["p1", "p2"]:
            d = os.path.join(t.t, fmt + p)
            os.mkdir(d)
            src = os.path.join(t.t, fmt + "p1", "m.json") if p == "p2" else "caspian"
            code, out, err = t.corridor("-m", src, "export", "-f", fmt, "-o", os.path.join(d, "r." + fmt))
            files = ([os.path.join(d, "r-nodes." + fmt), os.path.join(d, "r-edges." + fmt)]
                     if fmt in ("csv", "shp", "fgb") else [os.path.join(d, "r." + fmt)])
            code2, out2, err2 = t.corridor("import", *files, "-o", os.path.join(d, "m.json"))
            code3, out3, err3 = t.corridor("-m", os.path.join(d, "m.json"), "export", "-f", "json", "-o", "-")
            texts.append(out3 if code == code2 == code3 == 0 else err + err2 + err3)
        report(texts[0] == texts[1] and texts[0].startswith("{"), f"roundtrip/{fmt}",
               "\n".join(texts)[:600])
        # the first pass keeps every edge's ends in order (one-way edges keep their direction)
        if texts[0].startswith("{"):
            got = {e["id"]: (e["from"], e["to"], e["oneway"]) for e in json.loads(texts[0])["edges"]}
            want = {e["id"]: (e["from"], e["to"], e["oneway"]) for e in ref["edges"]}
            report(got == want, f"roundtrip/{fmt}-ends",
                   str([(k, got.get(k), want[k]) for k in want if got.get(k) != want[k]][:5]))
    # -m takes a GIS source: the same routes as the model it was exported from
    code, a, err = t.corridor("-m", "c.gpkg", "route", "Khorgos", "Istanbul", "--format", "json")
    code2, b, err2 = t.corridor("route", "Khorgos", "Istanbul", "--format", "json")
    ra = json.loads(a)["routes"] if code == 0 else None
    rb = json.loads(b)["routes"] if code2 == 0 else None
    ok = ra is not None and rb is not None and [r["edges"] for r in ra] == [r["edges"] for r in rb] and all(
        near(x[k], y[k], 1e-9) for x, y in zip(ra, rb) for k in ("time_h", "cost_usd", "distance_km", "co2_kg"))
    report(ok, "m-source/same-routes", err + err2)


def graphml_checks(t):
    """GraphML written by yEd (y:Geometry), Gephi (viz:position) and NetworkX, read through igraph."""
    code, out, err = t.corridor("import", os.path.join(HERE, "yed.graphml"), "--countries", "none",
                                "-o", "yed.json")
    ok = False
    if code == 0:
        m = t.model("yed.json")
        n = {x["id"]: x for x in m["nodes"]}
        # y:Geometry x=43, y=-42, 2 x 2: centre (44, -41); yEd's y points down, so lat 41
        ok = (n["west"]["lon"] == 44 and n["west"]["lat"] == 41 and n["east"]["lon"] == 46
              and m["edges"][0]["from"] == "west" and m["edges"][0]["to"] == "east"
              and m["edges"][0]["distance_km"] == 170 and n["west"]["kind"] == "port")
    report(code == 0 and ok, "graphml/yed", err + out)
    code, out, err = t.corridor("import", os.path.join(HERE, "gephi.graphml"), "--countries", "none",
                                "-o", "gephi.json")
    ok = False
    if code == 0:
        m = t.model("gephi.json")
        n = {x["id"]: x for x in m["nodes"]}
        ok = (n["a"]["lon"] == 44 and n["a"]["lat"] == 41 and n["b"]["lat"] == 41.5
              and m["edges"][0]["gauge"] == 1520 and m["edges"][0]["from"] == "a")
    report(ok, "graphml/gephi", err)
    # NetworkX writes GraphML with its own keys; Debian's python3 has NetworkX
    script = ("import networkx as nx, sys\n"
              "g = nx.MultiGraph()\n"
              "g.add_node('p', kind='port', lat=41.0, lon=44.0)\n"
              "g.add_node('q', kind='city', lat=41.0, lon=45.0)\n"
              "g.add_edge('p', 'q', key='r1', mode='road', distance_km=84.0)\n"
              "g.add_edge('p', 'q', key='s1', mode='rail', distance_km=90.0, gauge=1520)\n"
              "nx.write_graphml(g, sys.argv[1])\n")
    py = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    c2, o2, e2 = run([py, "-c", script, os.path.join(t.t, "nx.graphml")])
    code, out, err = t.corridor("import", "nx.graphml", "--countries", "none", "-o", "nx.json")
    ok = False
    if c2 == 0 and code == 0:
        m = t.model("nx.json")
        modes = sorted(e["mode"] for e in m["edges"])
        ok = len(m["nodes"]) == 2 and modes == ["rail", "road"]
        r, err = t.routes("nx.json", "p", "q", "--by", "distance")
        ok = ok and r is not None and near(r[0]["distance_km"], 84)
    report(ok, "graphml/networkx", e2 + err)


def route_geojson_checks(t):
    """route --format geojson: a Feature per option, lines that follow the edges' shapes."""
    code, out, err = t.corridor("route", "Khorgos", "Istanbul", "-k", "2", "--format", "geojson")
    path = os.path.join(t.t, "route.geojson")
    with open(path, "w") as f:
        f.write(out)
    code2, info, err2 = run(["ogrinfo", "-ro", "-so", "-al", path])
    report(code == 0 and code2 == 0 and "Multi Line String" in info and "Feature Count: 2" in info,
           "route-geojson/gdal", err + info[:500] + err2)
    if code == 0:
        g = json.loads(out)
        f0 = g["features"][0]
        lines = f0["geometry"]["coordinates"]
        # consecutive legs meet, and the first starts at Khorgos (80.41, 44.13)
        ok = (lines[0][0] == [80.41, 44.13] and all(lines[i][-1] == lines[i + 1][0] for i in range(len(lines) - 1))
              and f0["properties"]["rank"] == 1 and len(lines) == len(f0["properties"]["edges"]))
        report(ok, "route-geojson/shape", json.dumps(f0["properties"])[:400])


def assign_gis_checks(t):
    """assign -o: the GIS layer of the caspian 2024 assignment holds the JSON answer's volumes."""
    demand = os.path.join(ROOT, "graphs", "demand", "caspian-2024.csv")
    code, out, err = t.corridor("assign", "--demand", demand, "--format", "json", "-o", "a.geojson")
    report(code == 0 and "wrote a.geojson: " in err, "assign-gis/geojson", err)
    if code != 0:
        return
    ref = json.loads(out)
    # what the layer must hold: every loaded edge, and the loaded nodes with a capacity
    want = {(e["type"], e["id"], e["carry"]): e for e in ref["elements"]
            if e["type"] == "edge" or e["capacity"] is not None}
    n_edges = sum(1 for k in want if k[0] == "edge")
    n_nodes = len(want) - n_edges
    report(n_edges > 40 and n_nodes > 0 and any(e["type"] == "node" and e["capacity"] is None
                                                for e in ref["elements"]),
           "assign-gis/reference", f"{n_edges} edges, {n_nodes} nodes")

    def compare(features, label):
        got = {}
        for f in features:
            p = f["properties"]
            got[(p["element"], p["id"], p["carry"])] = f
        bad = []
        for k, e in want.items():
            f = got.get(k)
            if f is None:
                bad.append(f"{k}: missing")
                continue
            p, g = f["properties"], f["geometry"]
            for key in ("volume", "capacity", "vc", "time0_h", "time_h", "bpr_alpha", "bpr_beta") + (
                    ("volume_forward", "volume_backward") if k[0] == "edge" else ()):
                if e[key] is None and p.get(key) is None:
                    continue
                if not near(p.get(key), e[key], 1e-9):
                    bad.append(f"{k}: {key} {p.get(key)} != {e[key]}")
            want_geom = "LineString" if k[0] == "edge" else "Point"
            if not g or g["type"] != want_geom:
                bad.append(f"{k}: geometry {g and g['type']}")
        extra = sorted(set(got) - set(want))
        report(not bad and not extra, f"assign-gis/{label}-volumes", "\n".join(bad + [f"extra {x}" for x in extra]))

    with open(os.path.join(t.t, "a.geojson")) as f:
        g = json.load(f)
    compare(g["features"], "geojson")
    # the edges run from their "from" node: the first point of xian-urumqi is Xi'an (108.9, 34.2667)
    f0 = [f for f in g["features"] if f["properties"]["id"] == "xian-urumqi"]
    report(f0 and f0[0]["geometry"]["coordinates"][0] == [108.9, 34.2667]
           and len(f0[0]["geometry"]["coordinates"]) > 20
           and f0[0]["properties"]["corridors"] == ["middle-corridor", "northern-route"],
           "assign-gis/geojson-arc", json.dumps(f0[0]["properties"]) if f0 else "no xian-urumqi")

    # GeoPackage: layers edges and nodes, read back with ogr2ogr
    code, out, err = t.corridor("assign", "--demand", demand, "-o", "a.gpkg")
    code2, info, err2 = run(["ogrinfo", "-ro", "-so", "-al", os.path.join(t.t, "a.gpkg")])
    layers = [l.split(": ", 1)[1] for l in info.splitlines() if l.startswith("Layer name: ")]
    report(code == 0 and layers == ["edges", "nodes"] and "Geometry: Line String" in info
           and "Geometry: Point" in info and "volume: Real" in info, "assign-gis/gpkg", err + info[:600])
    features = []
    for layer in ("edges", "nodes"):
        path = os.path.join(t.t, f"gpkg-{layer}.geojson")
        c, o, e = run(["ogr2ogr", "-f", "GeoJSON", path, os.path.join(t.t, "a.gpkg"), layer])
        if c == 0:
            with open(path) as f:
                features += json.load(f)["features"]
    compare(features, "gpkg")

    # Shapefile: two files, short column names
    code, out, err = t.corridor("assign", "--demand", demand, "-o", "s.shp")
    code2, info, err2 = run(["ogrinfo", "-ro", "-so", os.path.join(t.t, "s-edges.shp"), "s-edges"])
    report(code == 0 and code2 == 0 and "vol_fwd: Real" in info
           and os.path.exists(os.path.join(t.t, "s-nodes.shp")), "assign-gis/shp", err + info[-400:])

    # bad outputs: refused before any work (exit 2) or failed (exit 4), nothing left behind
    os.mkdir(os.path.join(t.t, "bad"))
    for args, want_code, name in [(["-o", "bad/x.json"], 2, "json"), (["-o", "bad/x.xyz"], 2, "unknown"),
                                  (["-o", "bad/noext"], 2, "no-extension"), (["-o", "-"], 2, "stdout"),
                                  (["-o", "bad/no/such/x.gpkg"], 4, "unwritable"),
                                  (["-o", "bad/x.gpkg", "--to", "NoSuchDriver"], 2, "unknown-driver")]:
        code, out, err = t.corridor("assign", "--demand", demand, *args)
        left = os.listdir(os.path.join(t.t, "bad"))
        report(code == want_code and not left, f"assign-gis/bad-{name}", f"exit {code}\n{err}\n{left}")
    # a model file is never overwritten by the layer
    code, out, err = t.corridor("-m", "a.gpkg", "assign", "--demand", demand, "-o", "a.gpkg")
    report(code == 2 and "a.gpkg" in err, "assign-gis/not-over-input", f"exit {code}\n{err}")


def write(t, name, text):
    with open(os.path.join(t.t, name), "w") as f:
        f.write(text)


def bad_checks(t):
    """Bad sources: located exit-3 messages, exit 4 for unreadable files, nothing written."""
    fc = '{"type": "FeatureCollection", "features": [%s]}'
    feat = '{"type": "Feature", "properties": {%s}, "geometry": %s}'
    cases = {
        "polygon": (fc % feat % ('"id": "p"', '{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}'),
                    3, 'is a Polygon, expected a point or a line'),
        "out-of-range": (fc % feat % ('"id": "a", "kind": "city"', '{"type": "Point", "coordinates": [200, 10]}'),
                         3, 'is not a longitude/latitude'),
        "no-geometry": (fc % feat % ('"id": "a"', 'null'), 3, 'missing required field "kind"'),
        "unknown-value": (None, 3, 'value "XX" has no entry'),
        "not-gis": ("this is not a GIS file\n", 3, 'not a vector source GDAL can read'),
    }
    for name, (text, want_code, want_msg) in cases.items():
        src = name + ".geojson"
        if name == "unknown-value":
            with open(os.path.join(HERE, "lines.geojson")) as f:
                text = f.read().replace('"TYPE": "RD", "GAUGE_MM": null, "LEN_M": 60000', '"TYPE": "XX", "GAUGE_MM": null, "LEN_M": 60000')
        if name == "not-gis":
            src = name + ".txt"
        write(t, src, text)
        write(t, "keep.json", "precious\n")
        args = ["import", src, "-o", "keep.json"]
        if name == "unknown-value":
            args = ["import", os.path.join(HERE, "stations.geojson"), src, "--map",
                    os.path.join(HERE, "qgis-map.json"), "-o", "keep.json"]
        code, out, err = t.corridor(*args)
        with open(os.path.join(t.t, "keep.json")) as f:
            kept = f.read() == "precious\n"
        located = src in err and ("feature" in err or name == "not-gis")
        report(code == want_code and want_msg in err and located and kept and err.count("\n") < 8,
               f"bad/{name}", f"exit {code}, kept {kept}\n{err}")
    code, out, err = t.corridor("import", "no-such-file.gpkg", "-o", "x.json")
    report(code == 4 and "no-such-file.gpkg" in err and not os.path.exists(os.path.join(t.t, "x.json")),
           "bad/unreadable", f"exit {code}\n{err}")
    # a source larger than the cap stops early with a located error
    code, out, err = t.corridor("import", os.path.join(HERE, "lines.geojson"), "--max-points", "5",
                                "-o", "x.json")
    report(code == 3 and "too large to import" in err and not os.path.exists(os.path.join(t.t, "x.json")),
           "bad/too-large", f"exit {code}\n{err}")
    # a --layer that no source has
    code, out, err = t.corridor("import", os.path.join(HERE, "lines.geojson"), "--layer", "rails", "-o", "x.json")
    report(code == 3 and 'no source has a layer "rails"' in err, "bad/unknown-layer", f"exit {code}\n{err}")
    # a line with one point (GDAL reads it; the importer refuses it)
    write(t, "onepoint.geojson", fc % feat % ('"id": "l", "mode": "road"', '{"type": "LineString", "coordinates": [[1, 1]]}'))
    code, out, err = t.corridor("import", "onepoint.geojson", "-o", "x.json")
    report(code == 3 and "at least two points" in err, "bad/one-point-line", f"exit {code}\n{err}")
    # a bad mapping file: located in the mapping
    write(t, "badmap.json", '{"format": "corridor-import-map", "version": 1, "edges": {"fields": {"mood": {"from": "X"}}}}')
    code, out, err = t.corridor("import", os.path.join(HERE, "lines.geojson"), "--map", "badmap.json", "-o", "x.json")
    report(code == 3 and 'badmap.json: edges.fields.mood: "mood" is not a field of edges' in err,
           "bad/mapping-field", f"exit {code}\n{err}")


def main():
    corridor = os.path.abspath(sys.argv[1])
    if not shutil.which("ogr2ogr"):
        report(False, "gdal-bin", "ogr2ogr not found (make deps installs gdal-bin)")
        return 1
    tmp = tempfile.mkdtemp(prefix="corridor-import-test.")
    try:
        t = Tester(corridor, tmp)
        st, ln = os.path.join(HERE, "stations.geojson"), os.path.join(HERE, "lines.geojson")
        # a QGIS-style GeoPackage: layers "stations" and "lines"
        gpkg = os.path.join(tmp, "net.gpkg")
        c1 = run(["ogr2ogr", "-f", "GPKG", gpkg, st, "-nln", "stations"])
        c2 = run(["ogr2ogr", "-update", "-f", "GPKG", gpkg, ln, "-nln", "lines"])
        report(c1[0] == 0 and c2[0] == 0, "make-gpkg", c1[2] + c2[2])
        qgis_checks(t, [gpkg], "gpkg")
        # the same as a Shapefile pair
        shp = os.path.join(tmp, "shp")
        os.mkdir(shp)
        c1 = run(["ogr2ogr", "-f", "ESRI Shapefile", os.path.join(shp, "stations.shp"), st])
        c2 = run(["ogr2ogr", "-f", "ESRI Shapefile", os.path.join(shp, "lines.shp"), ln])
        report(c1[0] == 0 and c2[0] == 0, "make-shp", c1[2] + c2[2])
        qgis_checks(t, [os.path.join(shp, "stations.shp"), os.path.join(shp, "lines.shp")], "shp")
        osm_checks(t)
        bad_checks(t)
        export_checks(t)
        graphml_checks(t)
        route_geojson_checks(t)
        assign_gis_checks(t)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
