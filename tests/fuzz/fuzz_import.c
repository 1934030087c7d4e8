/* fuzz_import.c: libFuzzer harness for `corridor import` (GDAL sources and mapping files). */
/*
 * The first byte chooses what the rest is:
 *   0: a GeoJSON source, imported with the default mapping;
 *   1: an OpenStreetMap XML source, with the shipped osm-rail mapping;
 *   2: a mapping file, applied to a small fixed stations-and-lines source.
 * Sources go through GDAL's in-memory files (/vsimem/), the mapping through a
 * temporary file. Country polygons are left out (they cost time, not code).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpl_vsi.h>

#include "corridor.h"

static const char fixture[] =
    "{\"type\": \"FeatureCollection\", \"name\": \"lines\", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"ID\": \"A\", \"T\": \"ST\"},"
    " \"geometry\": {\"type\": \"Point\", \"coordinates\": [45.0, 40.0]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ID\": \"B\", \"T\": \"PT\"},"
    " \"geometry\": {\"type\": \"Point\", \"coordinates\": [46.0, 40.0]}},"
    "{\"type\": \"Feature\", \"properties\": {\"LINE\": \"L1\", \"T\": \"RAIL\", \"LEN\": 90000},"
    " \"geometry\": {\"type\": \"LineString\", \"coordinates\": [[45.0, 40.0], [45.5, 40.1], "
    "[46.0, 40.0]]}}]}";

static void run_import(const char *source, const char *mapping)
{
    corridor_import_opts opts = CORRIDOR_IMPORT_OPTS_INIT;
    corridor_diags *d = NULL;
    char *text = NULL;
    opts.mapping = mapping;
    opts.max_points = 20000; /* keep one input cheap */
    if (corridor_diags_new(&d) == 0 && corridor_import(&text, NULL, &source, 1, &opts, d) == 0) {
        corridor_model *m = NULL;
        if (corridor_model_load_string(&m, text, strlen(text), "fuzz", NULL) == 0)
            corridor_model_free(m);
    }
    corridor_free(text);
    corridor_diags_free(d);
}

/* Puts `size` bytes at /vsimem/NAME (a copy GDAL may keep until unlinked). */
static void vsimem_put(const char *name, const void *data, size_t size)
{
    GByte *copy = VSIMalloc(size ? size : 1);
    if (!copy)
        return;
    memcpy(copy, data, size);
    VSIFCloseL(VSIFileFromMemBuffer(name, copy, (vsi_l_offset)size, TRUE));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char map_path[64];
    if (size < 1 || size > 200000)
        return 0;
    const uint8_t mode = data[0] % 3;
    data++;
    size--;
    if (mode == 2) {
        if (!map_path[0])
            snprintf(map_path, sizeof map_path, "/tmp/corridor-fuzz-map.%d.json", (int)getpid());
        FILE *f = fopen(map_path, "wb");
        if (!f)
            return 0;
        fwrite(data, 1, size, f);
        fclose(f);
        vsimem_put("/vsimem/fixture.geojson", fixture, strlen(fixture));
        run_import("/vsimem/fixture.geojson", map_path);
        VSIUnlink("/vsimem/fixture.geojson");
        return 0;
    }
    const char *name = mode == 0 ? "/vsimem/in.geojson" : "/vsimem/in.osm";
    vsimem_put(name, data, size);
    run_import(name, mode == 1 ? "osm-rail" : NULL);
    VSIUnlink(name);
    return 0;
}
