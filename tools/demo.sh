#!/bin/sh
# demo.sh: the main job on the built-in Caspian model (run by `make demo`).
set -e
corridor=${1:-build/corridor}
mkdir -p out
echo "== corridor info"
"$corridor" info
echo
echo "== corridor route Khorgos Istanbul   (freight, by time)"
"$corridor" route Khorgos Istanbul
echo
echo "== corridor route Tengiz Ceyhan --carry oil"
"$corridor" route Tengiz Ceyhan --carry oil
echo
echo "== diagrams"
"$corridor" render -o out/caspian.svg
"$corridor" render --layout countries -o out/countries.svg
"$corridor" render --route Khorgos Istanbul -o out/khorgos-istanbul.svg
echo "Open out/caspian.svg, out/countries.svg and out/khorgos-istanbul.svg in a browser."
