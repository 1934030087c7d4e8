# Makefile: builds libcorridor (static and shared), the corridor tool, tests, docs; installs.
#
#   make            build into $(BUILD) (default: build/)
#   make deps       install the Debian packages that are missing (as root)
#   make demo       deps + build + run the main job on the built-in Caspian model
#   make check      deps + build + every test (normal, sanitizer and valgrind runs)
#   make install    PREFIX=/usr/local DESTDIR=
#   make bench      benchmarks (not part of check)
#   make fuzz       build the libFuzzer harnesses (clang) and run each for FUZZ_TIME seconds

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
CFLAGS  ?= -O2 -g
SAN     ?=

PKGS     = igraph libcgraph libgvc libcjson gdal libxml-2.0
# maps (issue 10): projections (the basemap is read with gdal, above)
PKGS    += proj
# Debian packages: build and run, tests, demo/docs tools
DEB_PKGS = gcc make pkg-config libigraph-dev libgraphviz-dev graphviz libcjson-dev \
           libcmocka-dev valgrind libxml2-utils python3 python3-networkx man-db groff-base
# fuzzers (tests/fuzz/README.md): clang with libFuzzer and the sanitizer runtimes
DEB_PKGS += clang
DEB_PKGS += libclang-rt-14-dev
# --shard test (tests/shard) runs shards with GNU parallel
DEB_PKGS += parallel
DEB_PKGS += libgdal-dev gdal-bin libxml2-dev
# export tests read GraphML, GML, Pajek and DOT back with igraph and pygraphviz
DEB_PKGS += python3-igraph
DEB_PKGS += python3-pygraphviz
DEB_PKGS += libproj-dev proj-data
DEB_PKGS += chromium

WARN     = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
DEPFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null | sed 's/-I/-isystem /g')
# GDAL and PROJ are not linked: the library loads them at their first use (src/gis_dl.c), by
# the sonames of the versions it was built against (worked out once, when first needed)
LINK_PKGS = $(filter-out gdal proj,$(PKGS))
LIBS     = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null) -lm -pthread -ldl
soname   = $(shell objdump -p $$($(CC) -print-file-name=$(1).so) 2>/dev/null | \
             awk '$$1 == "SONAME" {print $$2}')
GISFLAGS = $(eval GISFLAGS := -DCORRIDOR_GDAL_SONAME='"$(or $(call soname,libgdal),libgdal.so)"' \
             -DCORRIDOR_PROJ_SONAME='"$(or $(call soname,libproj),libproj.so)"')$(GISFLAGS)
ifeq ($(SAN),fuzz)
SANFLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=undefined
else ifneq ($(SAN),)
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
# Shipped data by name (corridor_data_path, src/datadir.c): the install prefix's share/corridor,
# then this source tree. DATA_SRCDIR= builds a library that does not look in the source tree.
DATA_SRCDIR ?= $(CURDIR)
DATAFLAGS  = -DCORRIDOR_DATADIR='"$(PREFIX)/share/corridor"' -DCORRIDOR_SRCDIR='"$(DATA_SRCDIR)"'
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SANFLAGS) -fPIC -Iinclude -Isrc $(DEPFLAGS) $(DATAFLAGS) $(GISFLAGS)

LIB_SRC   = $(sort $(wildcard src/*.c))
CLI_SRC   = $(sort $(wildcard src/cli/*.c))
TEST_SRC  = $(sort $(wildcard tests/unit/test_*.c))
MODELS    = $(sort $(wildcard graphs/*.json))

LIB_OBJ   = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/builtin_models.o
CLI_OBJ   = $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN  = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# fuzzers: tests/fuzz/fuzz_NAME.c -> $(FUZZ_DIR)/fuzz_NAME, built by clang with libFuzzer
FUZZ_SRC  = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_DIR  = $(BUILD)/fuzz
FUZZ_CC  ?= clang
FUZZ_TIME ?= 60
FUZZ_CHECK_TIME ?= 20

.PHONY: all deps demo check test install uninstall clean format bench bench-deps FORCE \
        fuzz fuzz-bin fuzz-link

all: $(BUILD)/libcorridor.a $(BUILD)/libcorridor.so $(BUILD)/corridor

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "corridor: installing:$$missing"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null || exit 1; \
	  else \
	    echo "corridor: missing Debian packages:$$missing" >&2; \
	    echo "corridor: run: sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi

$(BUILD)/%.o: %.c include/corridor.h $(wildcard src/*.h src/cli/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# the files that use the data folders are compiled again when PREFIX or DATA_SRCDIR change
$(BUILD)/src/datadir.o $(BUILD)/src/import_map.o: $(BUILD)/gen/datadirs
$(BUILD)/gen/datadirs: FORCE
	@mkdir -p $(dir $@)
	@echo '$(DATAFLAGS)' | cmp -s - $@ || echo '$(DATAFLAGS)' >$@
# the basemap files are linked in with .incbin (src/basemap_data.c)
$(BUILD)/src/basemap_data.o: $(wildcard graphs/basemap/*.geojson)

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(BUILD)/gen/builtin_models.c: $(BUILD)/tools/embed $(MODELS)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ $(foreach f,$(MODELS),$(basename $(notdir $(f))) $(f))

$(BUILD)/gen/builtin_models.o: $(BUILD)/gen/builtin_models.c
	$(CC) $(CFLAGS) $(SANFLAGS) -fPIC -c $< -o $@

$(BUILD)/libcorridor.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libcorridor.so: $(LIB_OBJ)
	$(CC) -shared $(CFLAGS) $(SANFLAGS) -Wl,-soname,libcorridor.so.0 -o $@ $^ $(LIBS)

$(BUILD)/corridor: $(CLI_OBJ) $(BUILD)/libcorridor.a
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libcorridor.a $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/libcorridor.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libcorridor.a $(LIBS) -lcmocka

# "Add a field once": the library compiled again with a made-up edge field (src/schema.c).
$(BUILD)/tests/test_schema_field: tests/unit/test_schema_field.c tests/unit/testutil.h $(LIB_SRC) \
  $(wildcard src/*.h) include/corridor.h $(BUILD)/gen/builtin_models.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DCORRIDOR_TEST_EXTRA_FIELD -Itests/unit -o $@ $< $(LIB_SRC) \
	  $(BUILD)/gen/builtin_models.o $(LIBS) -lcmocka

tests-bin: $(TEST_BIN)

# The harnesses link the library built by clang with -fsanitize=fuzzer-no-link,address,undefined
# (in $(FUZZ_DIR)), plus the CLI's OD reader; -Werror is left out: another compiler's warnings
# must not stop a fuzzing run.
fuzz-bin:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_DIR) SAN=fuzz CC=$(FUZZ_CC) \
	  WARN="-std=c11 -Wall -Wextra -Werror=format -Wno-unused-command-line-argument" fuzz-link

fuzz-link: $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/%)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(BUILD)/libcorridor.a $(BUILD)/src/cli/od_file.o
	$(CC) $(ALL_CFLAGS) -Isrc/cli -fsanitize=fuzzer -o $@ $< $(BUILD)/src/cli/od_file.o \
	  $(BUILD)/libcorridor.a $(LIBS)

# Runs every harness for FUZZ_TIME seconds (one after the other); see tests/fuzz/README.md.
fuzz: fuzz-bin
	@sh tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_TIME)

demo: deps
	@$(MAKE) --no-print-directory all
	@sh tools/demo.sh $(BUILD)/corridor

# Every test: the normal build, then the sanitizer build, then the CLI tests under valgrind.
check: deps
	@$(MAKE) --no-print-directory all tests-bin
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan SAN=1 all tests-bin
	@if command -v $(FUZZ_CC) >/dev/null 2>&1; then $(MAKE) --no-print-directory fuzz-bin; fi
	@python3 tests/run.py --build $(BUILD) --asan $(BUILD)/asan --valgrind \
	  --fuzz $(FUZZ_DIR) --fuzz-time $(FUZZ_CHECK_TIME)

test: all tests-bin
	@python3 tests/run.py --build $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/corridor/graphs/scenarios
	install -m 755 $(BUILD)/corridor $(DESTDIR)$(PREFIX)/bin/corridor
	install -m 644 include/corridor.h $(DESTDIR)$(PREFIX)/include/corridor.h
	install -m 644 $(BUILD)/libcorridor.a $(DESTDIR)$(PREFIX)/lib/libcorridor.a
	install -m 755 $(BUILD)/libcorridor.so $(DESTDIR)$(PREFIX)/lib/libcorridor.so.0
	ln -sf libcorridor.so.0 $(DESTDIR)$(PREFIX)/lib/libcorridor.so
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/^#define CORRIDOR_VERSION "\(.*\)"/\1/p' include/corridor.h)|g' \
	  tools/corridor.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/corridor.pc
	install -m 644 docs/corridor.1 $(DESTDIR)$(PREFIX)/share/man/man1/corridor.1
	install -m 644 $(MODELS) $(DESTDIR)$(PREFIX)/share/corridor/graphs/
	for f in graphs/scenarios/*.json; do [ -f "$$f" ] && install -m 644 "$$f" $(DESTDIR)$(PREFIX)/share/corridor/graphs/scenarios/; done; true
	install -d $(DESTDIR)$(PREFIX)/share/corridor/graphs/import $(DESTDIR)$(PREFIX)/share/corridor/graphs/basemap
	install -m 644 graphs/import/* $(DESTDIR)$(PREFIX)/share/corridor/graphs/import/
	install -m 644 graphs/basemap/* $(DESTDIR)$(PREFIX)/share/corridor/graphs/basemap/
	install -d $(DESTDIR)$(PREFIX)/share/doc/corridor
	install -m 644 README.md docs/*.md docs/*.png $(DESTDIR)$(PREFIX)/share/doc/corridor/
	install -d $(DESTDIR)$(PREFIX)/share/corridor/graphs/demand
	for f in graphs/demand/*; do [ -f "$$f" ] && install -m 644 "$$f" $(DESTDIR)$(PREFIX)/share/corridor/graphs/demand/; done; true

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/corridor $(DESTDIR)$(PREFIX)/include/corridor.h \
	  $(DESTDIR)$(PREFIX)/lib/libcorridor.a $(DESTDIR)$(PREFIX)/lib/libcorridor.so \
	  $(DESTDIR)$(PREFIX)/lib/libcorridor.so.0 $(DESTDIR)$(PREFIX)/lib/pkgconfig/corridor.pc \
	  $(DESTDIR)$(PREFIX)/share/man/man1/corridor.1
	rm -rf $(DESTDIR)$(PREFIX)/share/corridor $(DESTDIR)$(PREFIX)/share/doc/corridor

format:
	clang-format -i include/*.h src/*.c src/*.h src/cli/*.c src/cli/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c tools/*.c bench/*.c 2>/dev/null; true

bench-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="python3 python3-igraph python3-networkx hyperfine"

bench: all bench-deps $(BUILD)/bench/route_floor
	@sh bench/run.sh $(BUILD)/corridor

# bench/route_floor.c: corridor's route search next to a plain Dijkstra (bench/README.md)
$(BUILD)/bench/route_floor: bench/route_floor.c $(BUILD)/libcorridor.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libcorridor.a $(LIBS)

clean:
	rm -rf $(BUILD) out
