#!/bin/sh
# run.sh: output files and pipes: '-', FIFOs, devices, symlinks, modes, inputs never overwritten.
#
#   sh tests/files/run.sh path/to/corridor
#
# Prints one line per check, "ok NAME" or "not ok NAME" (then the details as
# "# ..." lines), and exits 1 if any check failed. Checks that need root
# (mknod, /dev/stdout) print "ok NAME # skip ..." when not run as root.

CORRIDOR=${1:?usage: sh tests/files/run.sh CORRIDOR}
case $CORRIDOR in /*) ;; *) CORRIDOR=$(pwd)/$CORRIDOR ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
T=$(mktemp -d /tmp/corridor-files-test.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
export LC_ALL=C
failed=0
C=$CORRIDOR
MODEL=$ROOT/tests/fixtures/tiny.json

# check NAME COMMAND...: runs the command (a shell function), reports its result
check() {
    name=$1
    shift
    if "$@" >"$T/log" 2>&1; then
        echo "ok $name"
    else
        echo "not ok $name"
        sed 's/^/# /' "$T/log"
        failed=1
    fi
}

no_temp() {
    ! ls -a "$1" | grep -q '\.tmp\.' || { echo "temporary file left in $1"; ls -la "$1"; return 1; }
}

# export -o - | -m - info: the model goes through a pipe both ways
pipe_json() {
    "$C" -m "$MODEL" export -f json -o - | "$C" -m - info >"$T/info.txt" || return 1
    grep -q '^Tiny test model (<stdin>)' "$T/info.txt" || { cat "$T/info.txt"; return 1; }
}
check pipe-export-info pipe_json

# cat model | validate -
validate_stdin() {
    out=$(cat "$MODEL" | "$C" validate -) || return 1
    test "$out" = '<stdin>: valid model "Tiny test model": 7 nodes, 10 edges' || { echo "$out"; return 1; }
}
check validate-stdin validate_stdin

# two inputs cannot both be standard input
two_stdin() {
    "$C" -m - -s - info </dev/null
    test $? -eq 2
}
check two-stdin-refused two_stdin

# -o /dev/stdout as root: written through the descriptor, the symlink stays
dev_stdout() {
    "$C" -m caspian export -f geojson -o /dev/stdout | head -c 100 >"$T/head.txt"
    grep -q FeatureCollection "$T/head.txt" || return 1
    test -L /dev/stdout || { echo "/dev/stdout is no longer a symlink"; return 1; }
}
if [ "$(id -u)" = 0 ] && [ -L /dev/stdout ]; then
    check dev-stdout-stays-symlink dev_stdout
else
    echo "ok dev-stdout-stays-symlink # skip not root"
fi

# stdout redirected to a file: -o /dev/stdout writes into it, no temp, no rename
stdout_file() {
    "$C" -m "$MODEL" export -f json -o /dev/stdout >"$T/redirected.json" || return 1
    "$C" -m "$T/redirected.json" info >/dev/null && no_temp "$T"
}
check stdout-redirected-file stdout_file

# a FIFO is written through and stays a FIFO
fifo() {
    mkfifo "$T/fifo" || return 1
    cat "$T/fifo" >"$T/from-fifo.json" &
    reader=$!
    "$C" -m "$MODEL" export -f json -o "$T/fifo" || return 1
    wait "$reader"
    test -p "$T/fifo" || { echo "the FIFO was replaced"; return 1; }
    "$C" -m "$T/from-fifo.json" info >/dev/null && no_temp "$T"
}
check fifo-written-through fifo

# a character device (made here, like /dev/null) is written through and stays one
chardev() {
    mknod "$T/null" c 1 3 || return 1
    "$C" -m "$MODEL" export -f graphml -o "$T/null" 2>/dev/null || return 1
    test -c "$T/null" || { echo "the device was replaced"; return 1; }
    no_temp "$T"
}
if [ "$(id -u)" = 0 ]; then
    check chardev-written-through chardev
else
    echo "ok chardev-written-through # skip not root (mknod)"
fi

# a symlink is followed: its target is replaced, the link stays; a dangling one is created
symlink() {
    mkdir "$T/ln" && echo old >"$T/ln/target.geojson" && ln -s target.geojson "$T/ln/link.geojson" &&
        ln -s new.geojson "$T/ln/dangling.geojson" || return 1
    "$C" -m "$MODEL" export -o "$T/ln/link.geojson" 2>/dev/null || return 1
    "$C" -m "$MODEL" export -o "$T/ln/dangling.geojson" 2>/dev/null || return 1
    test -L "$T/ln/link.geojson" && test -L "$T/ln/dangling.geojson" || { echo "link replaced"; return 1; }
    grep -q FeatureCollection "$T/ln/target.geojson" || { echo "target not written"; return 1; }
    grep -q FeatureCollection "$T/ln/new.geojson" || { echo "dangling target not created"; return 1; }
    no_temp "$T/ln"
}
check symlink-followed symlink

# a replaced file keeps its mode; a new one gets 0666 less the umask
modes() {
    mkdir "$T/mode" && echo old >"$T/mode/secret.geojson" && chmod 600 "$T/mode/secret.geojson" || return 1
    "$C" -m "$MODEL" export -o "$T/mode/secret.geojson" 2>/dev/null || return 1
    m=$(stat -c %a "$T/mode/secret.geojson")
    test "$m" = 600 || { echo "mode $m, want 600"; return 1; }
    (umask 027 && "$C" -m "$MODEL" export -o "$T/mode/new.geojson" 2>/dev/null) || return 1
    m=$(stat -c %a "$T/mode/new.geojson")
    test "$m" = 640 || { echo "new file mode $m, want 640"; return 1; }
}
check mode-kept modes

# the command's own inputs are never overwritten (also through a symlink or another name)
own_input() {
    mkdir "$T/own" && cp "$MODEL" "$T/own/m.json" && ln -s m.json "$T/own/alias.json" &&
        cp tests/fixtures/tiny-no-ferry.json "$T/own/s.json" || return 1
    for args in "-m $T/own/m.json export -f graphml -o $T/own/m.json" \
        "-m $T/own/m.json render -T dot -o $T/own/m.json" \
        "-m $T/own/alias.json export -f json -o $T/own/m.json" \
        "-m $T/own/m.json -s $T/own/s.json export -f json -o $T/own/s.json"; do
        # shellcheck disable=SC2086
        "$C" $args 2>"$T/own.err"
        rc=$?
        test $rc -eq 2 || { echo "$args: exit $rc, want 2"; return 1; }
        grep -q "refusing to overwrite" "$T/own.err" || { cat "$T/own.err"; return 1; }
    done
    cmp "$MODEL" "$T/own/m.json" && cmp tests/fixtures/tiny-no-ferry.json "$T/own/s.json"
}
check own-input-refused own_input

# stdin read as the model, stdout redirected over the same file: refused too
own_stdin() {
    cp "$MODEL" "$T/in.json" || return 1
    "$C" -m - export -f json -o "$T/in.json" <"$T/in.json" 2>/dev/null
    test $? -eq 2 && cmp "$MODEL" "$T/in.json"
}
check own-stdin-refused own_stdin

# a format that does not match the extension is written, with a warning
ext_warning() {
    "$C" -m "$MODEL" export -f graphml -o "$T/odd.json" 2>"$T/ext.err" || return 1
    grep -q "warning: .*odd.json: writing graphml to a file named .json" "$T/ext.err"
}
check extension-warning ext_warning

# the CSV pair: if the edges file cannot be written, the old nodes file stays
csv_pair() {
    mkdir "$T/csv" && echo old >"$T/csv/net-nodes.csv" && mkdir "$T/csv/net-edges.csv" || return 1
    "$C" -m "$MODEL" export -f csv -o "$T/csv/net.csv" 2>/dev/null
    test $? -eq 4 || return 1
    test "$(cat "$T/csv/net-nodes.csv")" = old || { echo "nodes file replaced"; return 1; }
    no_temp "$T/csv"
}
check csv-both-or-neither csv_pair

# csv to standard output is refused (two files)
csv_stdout() {
    "$C" -m "$MODEL" export -f csv -o - 2>/dev/null
    test $? -eq 2
}
check csv-stdout-refused csv_stdout

# SIGTERM while the temporary file exists: it is removed, the old file stays (the
# first five runs in which the temporary file was seen before the command ended)
killed() {
    mkdir "$T/kill" && echo old >"$T/kill/out.graphml" || return 1
    python3 bench/gen_network.py --nodes 20000 -o "$T/kill/big.json" >/dev/null || return 1
    for attempt in 1 2 3 4 5; do
        "$C" -m "$T/kill/big.json" export -o "$T/kill/out.graphml" 2>/dev/null &
        pid=$!
        seen=
        while kill -0 "$pid" 2>/dev/null; do
            for f in "$T"/kill/out.graphml.tmp.*; do
                [ -e "$f" ] && seen=$f
            done
            [ -n "$seen" ] && break
        done
        [ -n "$seen" ] && kill -TERM "$pid"
        wait "$pid"
        rc=$?
        if [ -n "$seen" ] && [ $rc -eq 143 ]; then
            # the old file, or (if the signal came after the rename) the whole new one
            test "$(cat "$T/kill/out.graphml")" = old ||
                tail -c 20 "$T/kill/out.graphml" | grep -q '</graphml>' ||
                { echo "out.graphml is neither the old file nor a whole new one"; return 1; }
            test ! -e "$seen" || { echo "$seen left"; return 1; }
            no_temp "$T/kill"
            return
        fi
        echo old >"$T/kill/out.graphml"
    done
    echo "never caught the temporary file in 5 runs"
    return 1
}
check killed-run-leaves-no-temp killed

exit $failed
