#!/usr/bin/env python3
"""check.py: the HTML map (`corridor render -o map.html`) in headless Chromium.

usage: check.py CORRIDOR

For each case, renders an HTML map, opens it as FILE#selftest (the page then checks
itself: tooltips for a place and a line, zoom changes the viewBox, mode and corridor
toggles hide exactly the right lines, a route option click highlights it, no errors)
and reads the results from the DOM (--dump-dom); then takes a screenshot and checks
that it is not blank. Prints 'ok NAME' / 'not ok NAME' lines.
"""
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CASES = [
    ("tiny", ["-m", "tests/fixtures/render-tiny.json", "--status", "planned", "render"], False),
    ("caspian-route", ["render", "--route", "Khorgos", "Istanbul"], True),
]


def report(ok, name, detail=""):
    print(("ok " if ok else "not ok ") + name)
    if not ok and detail:
        for line in str(detail).splitlines()[:20]:
            print("# " + line)
    return ok


def chromium(tmp, args):
    profile = tempfile.mkdtemp(dir=tmp)
    p = subprocess.run(["chromium"] + FLAGS + ["--user-data-dir=" + profile] + args,
                       capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB/RGBA PNG."""
    d = open(path, "rb").read()
    i, idat, w = 8, b"", 0
    while i < len(d):
        n, t = struct.unpack(">I4s", d[i:i + 8])
        c = d[i + 8:i + 8 + n]
        i += 12 + n
        if t == b"IHDR":
            w, h, bd, ct = struct.unpack(">IIBB", c[:10])
        elif t == b"IDAT":
            idat += c
    bpp = {2: 3, 6: 4}[ct]
    raw, stride, rows, prev, o = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp), 0
    for _ in range(h):
        f, line = raw[o], bytearray(raw[o + 1:o + 1 + stride])
        o += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def main(argv):
    corridor = os.path.abspath(argv[1])
    if not shutil.which("chromium"):
        report(False, "chromium", "chromium is not installed (Debian package chromium; make deps)")
        return 1
    tmp = tempfile.mkdtemp(prefix="corridor-browser.")
    ok = True
    try:
        for name, args, routes in CASES:
            out = os.path.join(tmp, name + ".html")
            p = subprocess.run([corridor] + args + ["-o", out], cwd=ROOT, capture_output=True)
            if not report(p.returncode == 0 and os.path.exists(out), f"html-{name}-written",
                          p.stderr.decode()):
                ok = False
                continue
            page = open(out, encoding="utf-8").read()
            ok &= report(not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page),
                         f"html-{name}-self-contained", "the page refers to the network")
            code, dom = chromium(tmp, ["--virtual-time-budget=5000", "--dump-dom",
                                       "file://" + out + "#selftest"])
            m = re.search(r'<pre id="selftest">([^<]*)</pre>', dom)
            res = json.loads(html.unescape(m.group(1))) if m and m.group(1) else None
            if not report(res is not None, f"html-{name}-selftest-ran", f"exit {code}\n{dom[-2000:]}"):
                ok = False
                continue
            want = ["node_tooltip", "edge_tooltip", "zoom", "reset", "mode_toggle",
                    "corridor_toggle", "shown_again"] + (["route_click"] if routes else [])
            for check in want:
                ok &= report(res["checks"].get(check) is True, f"html-{name}-{check}",
                             json.dumps(res))
            ok &= report(not res["errors"], f"html-{name}-no-errors", json.dumps(res["errors"]))
            shot = os.path.join(tmp, name + ".png")
            chromium(tmp, ["--window-size=900,600", "--screenshot=" + shot, "file://" + out])
            if not report(os.path.exists(shot), f"html-{name}-screenshot"):
                ok = False
                continue
            w, h, bpp, rows = png_pixels(shot)
            colours, ink = set(), 0
            for r in rows[::3]:
                for x in range(0, w * bpp, 3 * bpp):
                    px = bytes(r[x:x + 3])
                    colours.add(px)
                    ink += px != b"\xff\xff\xff"
            total = len(rows[::3]) * len(range(0, w * bpp, 3 * bpp))
            ok &= report(len(colours) > 30 and ink > total * 0.2, f"html-{name}-screenshot-not-blank",
                         f"{len(colours)} colours, {ink} of {total} pixels not white")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
