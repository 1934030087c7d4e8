#!/bin/sh
# run.sh: `make install` into a staging folder, a program built against it with pkg-config,
# the man page, then `make uninstall`. Prints "ok NAME" / "not ok NAME" lines.
# usage: tests/install/run.sh BUILD_DIR
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
check() { if eval "$2" >/dev/null 2>&1; then echo "ok $1"; else echo "not ok $1"; fi; }

make -C "$root" --no-print-directory BUILD="$build" install PREFIX=/usr/local DESTDIR="$stage" \
    >"$stage/install.log" 2>&1
rc=$?
check install-exit-0 "test $rc = 0"
p="$stage/usr/local"
check install-binary "test -x '$p/bin/corridor'"
check install-header "test -f '$p/include/corridor.h'"
check install-static "test -f '$p/lib/libcorridor.a'"
check install-shared "test -f '$p/lib/libcorridor.so.0' && test -L '$p/lib/libcorridor.so'"
check install-pc "grep -q '^Libs: -L\${libdir} -lcorridor' '$p/lib/pkgconfig/corridor.pc'"
check install-man "test -f '$p/share/man/man1/corridor.1'"
check install-models "test -f '$p/share/corridor/graphs/caspian.json'"
check install-scenarios "test -f '$p/share/corridor/graphs/scenarios/zangezur-opens.json'"
check installed-binary-runs "'$p/bin/corridor' route khorgos istanbul -k 1 --format csv | grep -q '^1,'"
check install-docs "test -f '$p/share/doc/corridor/README.md' && test -f '$p/share/doc/corridor/export-formats.md' && test -f '$p/share/doc/corridor/model-format.md'"
# shipped data by name from the staged share folder ($CORRIDOR_DATA comes first)
check installed-scenario-by-name "cd / && CORRIDOR_DATA='$p/share/corridor' '$p/bin/corridor' -s zangezur-opens -m caspian info | grep -q 'Zangezur opens'"
mkdir -p "$stage/data/graphs" && cp "$root/tests/fixtures/tiny.json" "$stage/data/graphs/tiny-shipped.json"
check installed-model-by-name "cd / && CORRIDOR_DATA='$stage/data' '$p/bin/corridor' -m tiny-shipped info | grep -q 'Tiny test model'"
check installed-unknown-scenario-exit-4 "cd / && CORRIDOR_DATA='$p/share/corridor' '$p/bin/corridor' -s zangezur-closes info; test \$? = 4"

# A build for PREFIX=$stage/opt that does not know the source tree (DATA_SRCDIR=): the
# objects are copied (only src/datadir.o is compiled again), installed, and must find the
# shipped scenario in $stage/opt/share/corridor with no $CORRIDOR_DATA set.
case $build in /*) bdir=$build ;; *) bdir=$root/$build ;; esac
mkdir -p "$stage/b"
cp -a "$bdir/src" "$bdir/gen" "$bdir/tools" "$stage/b/" 2>/dev/null
make -C "$root" --no-print-directory BUILD="$stage/b" PREFIX="$stage/opt" DATA_SRCDIR= install \
    >>"$stage/install.log" 2>&1
check install-prefix-build "test -x '$stage/opt/bin/corridor'"
no_srcdir() { grep -q 'CORRIDOR_SRCDIR=$' "$stage/b/gen/datadirs"; }
check install-prefix-no-source-tree no_srcdir
check installed-prefix-scenario-by-name "cd / && env -u CORRIDOR_DATA '$stage/opt/bin/corridor' -s zangezur-opens -m caspian info | grep -q 'Zangezur opens'"
check installed-prefix-scenario-gone "mv '$stage/opt/share/corridor' '$stage/opt/share/moved' && cd / && ! env -u CORRIDOR_DATA '$stage/opt/bin/corridor' -s zangezur-opens info; rc=\$?; mv '$stage/opt/share/moved' '$stage/opt/share/corridor'; test \$rc = 0"

# a client program built with the installed pkg-config file, against the shared library
cat >"$stage/client.c" <<'C'
#include <corridor.h>
#include <stdio.h>
int main(void)
{
    corridor_model *m = NULL;
    corridor_routes *rs = NULL;
    corridor_route_opts opts = CORRIDOR_ROUTE_OPTS_INIT;
    opts.k = 2;
    int err = corridor_model_load_builtin(&m, "caspian", NULL);
    if (!err)
        err = corridor_route_find(&rs, m, "khorgos", "istanbul", &opts);
    if (!err)
        printf("%zu\n", rs->n);
    corridor_routes_free(rs);
    corridor_model_free(m);
    return err ? 1 : 0;
}
C
pcdir="$p/lib/pkgconfig"
flags=$(PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$stage" pkg-config --cflags --libs corridor 2>/dev/null)
check pkg-config-client-builds "cc -std=c11 -o '$stage/client' '$stage/client.c' $flags"
check pkg-config-client-runs "LD_LIBRARY_PATH='$p/lib' '$stage/client' | grep -qx 2"
check man-page-renders "MANWIDTH=80 man -l '$root/docs/corridor.1' | grep -q 'EXIT STATUS'"

make -C "$root" --no-print-directory BUILD="$build" uninstall PREFIX=/usr/local DESTDIR="$stage" \
    >>"$stage/install.log" 2>&1
check uninstall-removes "test ! -e '$p/bin/corridor' && test ! -e '$p/lib/libcorridor.a' && test ! -e '$p/share/corridor'"
