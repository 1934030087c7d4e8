#!/bin/sh
# bench_gis.sh: GIS export and import of a generated ~100k-edge model, beside ogr2ogr copying
# the same GeoPackage (the floor: GDAL reading and writing the same features, no model).
#   sh bench/bench_gis.sh build/corridor [NODES]      (default 42000 nodes, ~100k edges)
set -eu
C=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
N=${2:-42000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d /tmp/corridor-bench-gis.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T"
python3 "$ROOT/bench/gen_network.py" --nodes "$N" -o m.json >/dev/null
/usr/bin/time -f "  corridor export gpkg:   %U+%S s CPU, %M KB peak" "$C" -m m.json export -o net.gpkg 2>&1 | grep CPU
/usr/bin/time -f "  ogr2ogr gpkg -> gpkg:   %U+%S s CPU, %M KB peak (floor)" ogr2ogr -f GPKG copy.gpkg net.gpkg 2>&1 | grep CPU
/usr/bin/time -f "  corridor import gpkg:   %U+%S s CPU, %M KB peak" "$C" import net.gpkg -o back.json 2>&1 | grep CPU
/usr/bin/time -f "  corridor -m m.json info: %U+%S s CPU, %M KB peak (JSON load alone)" "$C" -m m.json info 2>&1 >/dev/null | grep CPU
