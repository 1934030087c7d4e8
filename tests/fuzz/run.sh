#!/bin/sh
# run.sh: runs every libFuzzer harness built in DIR for SECONDS each; prints "ok NAME" / "not ok NAME".
#
#   sh tests/fuzz/run.sh DIR SECONDS [NAME...]
#
# Each harness tests/fuzz/fuzz_NAME.c is built as DIR/fuzz_NAME (make fuzz-bin). It starts
# from the checked-in seeds tests/fuzz/corpus/NAME/ (every one is run first: they are the
# regression cases) and writes what it finds to DIR/corpus/NAME/; a crash, leak, timeout or
# out-of-memory input goes to DIR/artifacts/NAME-*. Copy such inputs into
# tests/fuzz/corpus/NAME/ once fixed. The log of each run is DIR/NAME.log.
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
secs=${2:-60}
shift 2 2>/dev/null
names=$*
if [ -z "$names" ]; then
    for src in "$here"/fuzz_*.c; do
        n=$(basename "$src" .c)
        names="$names ${n#fuzz_}"
    done
fi
# leaks inside third-party libraries we cannot free (tests/lsan.supp) are not findings
LSAN_OPTIONS="suppressions=$here/../lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
status=0
for name in $names; do
    bin="$dir/fuzz_$name"
    log="$dir/$name.log"
    if [ ! -x "$bin" ]; then
        echo "not ok $name (not built: make fuzz-bin)"
        status=1
        continue
    fi
    mkdir -p "$dir/corpus/$name" "$dir/artifacts"
    dict=
    [ -f "$here/$name.dict" ] && dict="-dict=$here/$name.dict"
    maxlen=65536
    [ "$name" = compiled ] && maxlen=262144 # the compiled caspian model is 83 KB
    if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=$maxlen \
        -print_final_stats=1 $dict -artifact_prefix="$dir/artifacts/$name-" \
        "$dir/corpus/$name" "$here/corpus/$name" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
        echo "ok $name"
        echo "#  $name: $runs runs in $secs s, $cov"
    else
        echo "not ok $name"
        tail -40 "$log" | sed 's/^/#  /'
        status=1
    fi
done
exit $status
