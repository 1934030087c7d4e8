/* cmd_export.c: `corridor export`, network files for GIS and graph tools. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... export -f FORMAT -o FILE [options]\n"
    "       corridor export --formats\n"
    "\n"
    "Writes the whole network, every element with its status and opening year, in\n"
    "FORMAT: graphml, gml, geojson, json (the model itself, canonical), csv (two\n"
    "files: NAME-nodes.csv and NAME-edges.csv), dot (the graph), pajek, or any GIS\n"
    "vector format GDAL writes: gpkg, shp, fgb, kml, ... (--formats lists them):\n"
    "layers nodes (points) and edges (lines with their real shape), typed columns,\n"
    "or NAME-nodes.EXT and NAME-edges.EXT where the format has one layer per file.\n"
    "An explicit --status, --year, --corridor, --avoid or scenario filters, and the\n"
    "summary says how many elements the filter left out. Files are written whole or\n"
    "not at all; FILE - writes to standard output (not csv or GIS formats).\n"
    "\n"
    "Options:\n"
    "  -f, --to FORMAT     the format (default: from FILE's extension)\n"
    "  -o, --output FILE   where to write (required; - for standard output)\n"
    "  --layer nodes|edges geojson: only that layer (one geometry type per file)\n"
    "  --formats           list the formats, GIS ones with their GDAL driver\n"
    "  --corridor ID       only this corridor (repeatable)\n"
    "  --avoid TARGET      leave out [node:|edge:|country:|corridor:|mode:]ID (repeatable)\n"
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   as for every command\n";

typedef struct export_query {
    corridor_export_opts opts;
    const char *format;
    const char *output;
    const char **corridors;
    const char **avoid;
    int formats;
} export_query;

static int export_opt(cli *c, void *ud, int id, const char *arg)
{
    (void)c;
    export_query *q = ud;
    switch (id) {
    case OPT_TO:
        q->format = arg;
        return 0;
    case OPT_OUTPUT:
        q->output = arg;
        return 0;
    case OPT_CORRIDOR:
        return cli_list_add(&q->corridors, &q->opts.filter.n_corridors, arg);
    case OPT_AVOID:
        return cli_list_add(&q->avoid, &q->opts.filter.n_avoid, arg);
    case OPT_LAYER:
        if (strcmp(arg, "nodes") && strcmp(arg, "edges"))
            return cli_usage(c, "--layer: expected nodes or edges, got \"%s\"", arg);
        q->opts.layer = arg;
        return 0;
    case OPT_FORMATS:
        q->formats = 1;
        return 0;
    }
    return 0;
}

/* `export --formats`: ours, then every vector format GDAL writes here. */
static int list_formats(void)
{
    char *gdal = NULL;
    int err = corridor_export_ogr_formats(&gdal);
    if (err < 0)
        return cli_fail(err);
    printf("graphml\tgraphml\tGraphML (Gephi, yEd, igraph, NetworkX)\n"
           "gml\tgml\tGraph Modelling Language\n"
           "geojson\tgeojson\tGeoJSON, RFC 7946 (--layer nodes|edges for one layer)\n"
           "json\tjson\tthe corridor model, canonical\n"
           "csv\tcsv\ttwo CSV files, NAME-nodes.csv and NAME-edges.csv\n"
           "dot\tdot\tGraphviz DOT, the graph\n"
           "pajek\tnet\tPajek\n"
           "gpkg\tgpkg\tGeoPackage (GDAL GPKG)\n"
           "shp\tshp\tESRI Shapefile (GDAL; NAME-nodes.shp and NAME-edges.shp, short column "
           "names)\n"
           "fgb\tfgb\tFlatGeobuf (GDAL)\n");
    fputs(gdal, stdout);
    corridor_free(gdal);
    return 0;
}

/* The extensions each format's files usually have, by corridor_export_format. */
static const char *const format_exts[][3] = {
    {"graphml", "xml", NULL}, {"gml", NULL, NULL}, {"geojson", "json", NULL}, {"json", NULL, NULL},
    {"csv", NULL, NULL},      {"dot", "gv", NULL}, {"net", "paj", NULL},      {NULL, NULL, NULL}};

/* Warns when FILE has an extension that is not one of the format's. */
static void check_extension(const char *path, corridor_export_format f, const char *fmt)
{
    const char *ext = cli_path_ext(path);
    if (!ext || f == CORRIDOR_EXPORT_OGR)
        return;
    for (size_t i = 0; i < 3 && format_exts[f][i]; i++)
        if (strcmp(ext, format_exts[f][i]) == 0)
            return;
    cli_err("warning: %s: writing %s to a file named .%s", path, fmt, ext);
}

/* Refuses an output that is an input of this command (either CSV file). */
static int check_outputs(cli *c, corridor_export_format f, const char *path)
{
    char *first = NULL, *second = NULL;
    int err = corridor_export_paths(&first, &second, f, path);
    if (err < 0)
        return cli_fail(err);
    int rc = cli_check_output(c, first, NULL, 0);
    if (rc == 0 && second)
        rc = cli_check_output(c, second, NULL, 0);
    corridor_free(first);
    corridor_free(second);
    return rc;
}

static const cli_opt export_opts[] = {{"to", 'f', 1, OPT_TO},
                                      {"output", 'o', 1, OPT_OUTPUT},
                                      {"corridor", 0, 1, OPT_CORRIDOR},
                                      {"avoid", 0, 1, OPT_AVOID},
                                      {"layer", 0, 1, OPT_LAYER},
                                      {"formats", 0, 0, OPT_FORMATS},
                                      {NULL, 0, 0, 0}};

int cmd_export(cli *c, int argc, char **argv)
{
    export_query q;
    corridor_export_opts init = CORRIDOR_EXPORT_OPTS_INIT;
    char **pos = NULL;
    size_t npos = 0;
    memset(&q, 0, sizeof q);
    q.opts = init;
    int rc = cli_parse(c, argc, argv, export_opts, export_opt, &q, help, &pos, &npos);
    if (rc != 0)
        goto done;
    if (npos) {
        rc = cli_usage(c, "unexpected argument '%s'", pos[0]);
        goto done;
    }
    if (q.formats) {
        rc = list_formats();
        goto done;
    }
    if (!q.output) {
        rc = cli_usage(c, "export needs -o FILE");
        goto done;
    }
    const char *fmt = q.format;
    int to_stdout = strcmp(q.output, "-") == 0;
    if (!fmt && to_stdout) {
        rc = cli_usage(c, "export -o - needs -f FORMAT");
        goto done;
    }
    if (!fmt) {
        fmt = strrchr(q.output, '.');
        if (!fmt || strchr(fmt, '/')) {
            rc = cli_usage(c, "export needs -f FORMAT (graphml, gml, geojson, json, csv, dot, "
                              "pajek) or a FILE with one of those extensions");
            goto done;
        }
        fmt++;
        if (strcmp(fmt, "net") == 0)
            fmt = "pajek";
    }
    corridor_export_format f;
    if (corridor_export_format_parse(&f, fmt) < 0) {
        rc = cli_usage(c, "%s", corridor_error_message());
        goto done;
    }
    if (to_stdout && f == CORRIDOR_EXPORT_CSV) {
        rc = cli_usage(c, "export -f csv writes two files: give -o FILE, not -");
        goto done;
    }
    if (to_stdout && f == CORRIDOR_EXPORT_OGR) {
        rc = cli_usage(c, "export -f %s writes GIS files through GDAL: give -o FILE, not -", fmt);
        goto done;
    }
    if (q.opts.layer && f != CORRIDOR_EXPORT_GEOJSON) {
        rc = cli_usage(c, "--layer goes with -f geojson (GIS formats write both layers)");
        goto done;
    }
    q.opts.gdal_format = fmt;
    if ((rc = check_outputs(c, f, q.output)) != 0)
        goto done;
    if (!to_stdout && q.format)
        check_extension(q.output, f, fmt);
    if ((rc = cli_load(c)) != 0)
        goto done;
    cli_filter(c, &q.opts.filter);
    q.opts.filter.corridors = q.corridors;
    q.opts.filter.avoid = q.avoid;
    /* the whole model unless a status, year or scenario says otherwise */
    q.opts.all_statuses = !c->status_given && c->year <= 0 && c->n_scenarios == 0;
    size_t nn = 0, ne = 0;
    int err = corridor_export_count(&nn, &ne, c->model, &q.opts);
    if (err == 0) {
        fflush(stdout);
        err = corridor_export_file(c->model, f, to_stdout ? CLI_STDOUT_PATH : q.output, &q.opts);
    }
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    if (!to_stdout) {
        size_t tn = corridor_model_node_count(c->model), te = corridor_model_edge_count(c->model);
        if (nn == tn && ne == te)
            cli_err("wrote %s: %zu nodes, %zu edges", q.output, nn, ne);
        else
            cli_err("wrote %s: %zu nodes, %zu edges (the filter left out %zu nodes, %zu edges)",
                    q.output, nn, ne, tn - nn, te - ne);
    }
done:
    free(q.corridors);
    free(q.avoid);
    free(pos);
    return rc;
}
