/* cmd_export.c: `corridor export`, network files for GIS and graph tools. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... export -f FORMAT -o FILE [options]\n"
    "\n"
    "Writes the network (as filtered by --status/--year, --corridor and --avoid) in\n"
    "FORMAT: graphml, gml, geojson, json (the model itself, canonical), csv (two\n"
    "files: NAME-nodes.csv and NAME-edges.csv), dot or pajek. Files are written\n"
    "whole or not at all; FILE - writes to standard output (not csv).\n"
    "\n"
    "Options:\n"
    "  -f, --to FORMAT     the format (default: from FILE's extension)\n"
    "  -o, --output FILE   where to write (required; - for standard output)\n"
    "  --corridor ID       only this corridor (repeatable)\n"
    "  --avoid TARGET      leave out [node:|edge:|country:|corridor:|mode:]ID (repeatable)\n"
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   as for every command\n";

typedef struct export_query {
    corridor_export_opts opts;
    const char *format;
    const char *output;
    const char **corridors;
    const char **avoid;
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
    }
    return 0;
}

/* The extensions each format's files usually have, by corridor_export_format. */
static const char *const format_exts[][3] = {
    {"graphml", "xml", NULL}, {"gml", NULL, NULL}, {"geojson", "json", NULL}, {"json", NULL, NULL},
    {"csv", NULL, NULL},      {"dot", "gv", NULL}, {"net", "paj", NULL}};

/* Warns when FILE has an extension that is not one of the format's. */
static void check_extension(const char *path, corridor_export_format f, const char *fmt)
{
    const char *ext = cli_path_ext(path);
    if (!ext)
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
    if ((rc = check_outputs(c, f, q.output)) != 0)
        goto done;
    if (!to_stdout && q.format)
        check_extension(q.output, f, fmt);
    if ((rc = cli_load(c)) != 0)
        goto done;
    cli_filter(c, &q.opts.filter);
    q.opts.filter.corridors = q.corridors;
    q.opts.filter.avoid = q.avoid;
    fflush(stdout);
    int err = corridor_export_file(c->model, f, to_stdout ? CLI_STDOUT_PATH : q.output, &q.opts);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    if (!to_stdout)
        fprintf(stderr, "corridor: wrote %s\n", q.output);
done:
    free(q.corridors);
    free(q.avoid);
    free(pos);
    return rc;
}
