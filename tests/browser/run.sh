#!/bin/sh
# run.sh: the interactive HTML map in headless Chromium (see check.py); 'ok NAME' lines.
exec python3 "$(dirname "$0")/check.py" "$@"
