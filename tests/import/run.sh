#!/bin/sh
# run.sh: `corridor import` and the GIS exports, checked against hand-made answers.
#   sh tests/import/run.sh path/to/corridor      (prints "ok NAME" / "not ok NAME" lines)
exec python3 "$(dirname "$0")/check_import.py" "$@"
