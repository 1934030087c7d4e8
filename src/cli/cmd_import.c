/* cmd_import.c: `corridor import`, a model from GIS sources and OpenStreetMap through GDAL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor import SOURCE... -o MODEL.json [options]\n"
    "\n"
    "Reads GIS sources through GDAL (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, CSV,\n"
    "KML, OpenStreetMap .osm/.osm.pbf, ...) and writes a model: points become nodes,\n"
    "lines become edges with their shape; line ends are snapped to the nearest node\n"
    "within --snap km, and a new junction node is made where none is near.\n"
    "Attributes named like model fields (or our own export columns) are read as\n"
    "those fields; --map renames attributes and maps values (docs/import.md); the\n"
    "rest is kept under \"attrs\". Nodes without a country get the one their point\n"
    "lies in. Nothing is written unless the whole model is valid.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE    the model to write (required; - for standard output)\n"
    "  --map MAPPING        a mapping file, or a shipped one: osm-rail, osm-energy\n"
    "                       (OpenStreetMap sources use osm-rail unless told)\n"
    "  --snap KM            snap distance in km (default 0.5)\n"
    "  --layer NAME         read only this layer (repeatable)\n"
    "  --countries FILE     country polygons for nodes without a country (default:\n"
    "                       the shipped Natural Earth 1:50m countries; 'none' for none)\n"
    "  --max-points N       stop with an error past N vertices in all (default 50000000)\n"
    "\n"
    "Exit 3 with located messages (SOURCE: layer \"L\" feature N: ...) if a source or\n"
    "the model made of it is invalid, 4 if a file cannot be read or written.\n";

typedef struct import_query {
    corridor_import_opts opts;
    const char *output;
    const char **layers;
    size_t n_layers;
    const char *countries;
} import_query;

static int import_opt(cli *c, void *ud, int id, const char *arg)
{
    import_query *q = ud;
    char *end;
    switch (id) {
    case OPT_OUTPUT:
        q->output = arg;
        return 0;
    case OPT_MAP:
        q->opts.mapping = arg;
        return 0;
    case OPT_SNAP:
        q->opts.snap_km = strtod(arg, &end);
        if (end == arg || *end || !(q->opts.snap_km >= 0) || q->opts.snap_km > 1000)
            return cli_usage(c, "--snap: expected a distance in km from 0 to 1000, got \"%s\"",
                             arg);
        return 0;
    case OPT_LAYER:
        return cli_list_add(&q->layers, &q->n_layers, arg);
    case OPT_COUNTRIES:
        q->countries = arg;
        return 0;
    case OPT_MAX_POINTS:
        return cli_parse_size(c, "--max-points", arg, &q->opts.max_points);
    }
    return 0;
}

static const cli_opt import_opts[] = {{"output", 'o', 1, OPT_OUTPUT},
                                      {"map", 0, 1, OPT_MAP},
                                      {"snap", 0, 1, OPT_SNAP},
                                      {"layer", 0, 1, OPT_LAYER},
                                      {"countries", 0, 1, OPT_COUNTRIES},
                                      {"max-points", 0, 1, OPT_MAX_POINTS},
                                      {NULL, 0, 0, 0}};

static void print_summary(const corridor_import_summary *s, const char *output)
{
    cli_err("read %zu source%s, %zu layer%s, %zu feature%s (%zu left out by the mapping)",
            s->sources, s->sources == 1 ? "" : "s", s->layers, s->layers == 1 ? "" : "s",
            s->features, s->features == 1 ? "" : "s", s->filtered);
    cli_err("%zu nodes (%zu new junctions, %zu given a country by position), %zu edges (%zu "
            "pieces merged, %zu line ends snapped, %zu loops left out), %zu attribute values "
            "dropped",
            s->nodes, s->junctions, s->countries_found, s->edges, s->merged, s->snapped,
            s->skipped, s->dropped_attrs);
    if (output)
        cli_err("wrote %s", output);
}

int cmd_import(cli *c, int argc, char **argv)
{
    import_query q;
    corridor_import_opts init = CORRIDOR_IMPORT_OPTS_INIT;
    corridor_import_summary sum;
    corridor_diags *d = NULL;
    char **pos = NULL, *found = NULL;
    size_t npos = 0;
    int rc;
    memset(&q, 0, sizeof q);
    q.opts = init;
    rc = cli_parse(c, argc, argv, import_opts, import_opt, &q, help, &pos, &npos);
    if (rc != 0)
        goto done;
    if (npos == 0) {
        rc = cli_usage(c, "import: give at least one SOURCE");
        goto done;
    }
    if (!q.output) {
        rc = cli_usage(c, "import: -o FILE is required (the model to write)");
        goto done;
    }
    q.opts.layers = q.layers;
    q.opts.n_layers = q.n_layers;
    q.opts.countries = q.countries && strcmp(q.countries, "none") == 0 ? NULL : q.countries;
    if (!q.countries) {
        if (corridor_data_path(&found, "graphs/basemap/ne_50m_admin_0_countries.geojson") < 0)
            cli_err("warning: %s; nodes without a country keep none", corridor_error_message());
        q.opts.countries = found;
    }
    if ((rc = corridor_diags_new(&d)) < 0) {
        rc = cli_fail(rc);
        goto done;
    }
    int err = corridor_import_file(q.output, &sum, (const char *const *)pos, npos, &q.opts, d);
    for (size_t i = 0; i < corridor_diags_count(d); i++)
        cli_err("%s", corridor_diags_line(d, i));
    if (err < 0) {
        if (err == CORRIDOR_EINVALID && corridor_diags_errors(d) > 0)
            rc = EXIT_INVALID;
        else
            rc = cli_fail(err);
        goto done;
    }
    print_summary(&sum, strcmp(q.output, "-") ? q.output : NULL);
    rc = 0;
done:
    corridor_free(found);
    corridor_diags_free(d);
    free(q.layers);
    free(pos);
    return rc;
}
