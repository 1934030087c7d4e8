/* cmd_render.c: `corridor render`, corridor diagrams through Graphviz. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... render -o FILE [options]\n"
    "\n"
    "Draws the network. The format comes from FILE's extension (svg, png, pdf, dot,\n"
    "html) unless -T is given. The file is written whole or not at all. The geo\n"
    "layout is a map on a page: land, sea, borders and country names under the\n"
    "network, a legend, a scale bar and a source line. html is that map in one\n"
    "self-contained page with pan, zoom, tooltips and layer toggles.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   where to write (required)\n"
    "  -T FORMAT           svg, png, pdf, dot or html, whatever the extension\n"
    "  --layout L          geo (default: nodes at their coordinates), schematic\n"
    "                      (a line diagram) or countries (one node per country)\n"
    "  --corridor ID       draw only this corridor (repeatable)\n"
    "  --title TEXT        the diagram's title (default: model name and status or year)\n"
    "  --route FROM TO     highlight the route options from FROM to TO, best boldest;\n"
    "                      with --by, -k, --carry, --via and --avoid as for `route`\n"
    "  --size S            page: A4, A3 (default), A2, letter, WxHmm or WxHpx\n"
    "  --landscape, --portrait   orientation of a named page size (default landscape)\n"
    "  --dpi N             resolution of PNG output (default 150)\n"
    "  --extent E          country:CODE[,CODE...], corridor:ID, route, or\n"
    "                      lon0,lat0,lon1,lat1 (default: the drawn places)\n"
    "  --projection P      a PROJ string or EPSG:N (default: Lambert conformal conic\n"
    "                      fitted to the extent)\n"
    "  --basemap B         none, or a GeoJSON file of polygons and lines (default:\n"
    "                      Natural Earth land, lakes and borders)\n"
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   as for every command\n"
    "\n"
    "Names that do not fit without overlapping are left out; their number is\n"
    "reported on stderr.\n";

typedef struct render_query {
    cli_route_query rq;
    corridor_render_opts opts;
    const char *output;
    const char *route_from;
    const char **corridors;
} render_query;

/* option ids of the map options (below 10: the route options, see cli_route_opt) */
enum {
    OPT_SIZE = 20,
    OPT_LANDSCAPE,
    OPT_PORTRAIT,
    OPT_DPI,
    OPT_EXTENT,
    OPT_PROJECTION,
    OPT_BASEMAP
};

static int render_opt(cli *c, void *ud, int id, const char *arg)
{
    render_query *q = ud;
    if (id <= 5)
        return cli_route_opt(c, &q->rq, id, arg);
    switch (id) {
    case 10:
        q->output = arg;
        return 0;
    case 11:
        q->opts.format = arg;
        return 0;
    case 12:
        if (strcmp(arg, "geo") == 0)
            q->opts.layout = CORRIDOR_LAYOUT_GEO;
        else if (strcmp(arg, "schematic") == 0)
            q->opts.layout = CORRIDOR_LAYOUT_SCHEMATIC;
        else if (strcmp(arg, "countries") == 0)
            q->opts.layout = CORRIDOR_LAYOUT_COUNTRIES;
        else
            return cli_usage(c,
                             "--layout: unknown layout \"%s\" (expected geo, schematic or "
                             "countries)",
                             arg);
        return 0;
    case 13:
        return cli_list_add(&q->corridors, &q->opts.filter.n_corridors, arg);
    case 14:
        q->opts.title = arg;
        return 0;
    case 15:
        q->route_from = arg;
        return 0;
    case OPT_SIZE:
        q->opts.size = arg;
        return 0;
    case OPT_LANDSCAPE:
        q->opts.orientation = 1;
        return 0;
    case OPT_PORTRAIT:
        q->opts.orientation = 2;
        return 0;
    case OPT_DPI: {
        char *end = NULL;
        double v = strtod(arg, &end);
        if (end == arg || *end || !(v >= 1 && v <= 2400))
            return cli_usage(c, "--dpi: expected a number from 1 to 2400, not \"%s\"", arg);
        q->opts.dpi = v;
        return 0;
    }
    case OPT_EXTENT:
        q->opts.extent = arg;
        return 0;
    case OPT_PROJECTION:
        q->opts.projection = arg;
        return 0;
    case OPT_BASEMAP:
        q->opts.basemap = arg;
        return 0;
    }
    return 0;
}

static const cli_opt render_opts[] = {{"by", 0, 1, 1},
                                      {"k", 'k', 1, 2},
                                      {"carry", 0, 1, 3},
                                      {"via", 0, 1, 4},
                                      {"avoid", 0, 1, 5},
                                      {"output", 'o', 1, 10},
                                      {"T", 'T', 1, 11},
                                      {"layout", 0, 1, 12},
                                      {"corridor", 0, 1, 13},
                                      {"title", 0, 1, 14},
                                      {"route", 0, 1, 15},
                                      {"size", 0, 1, OPT_SIZE},
                                      {"landscape", 0, 0, OPT_LANDSCAPE},
                                      {"portrait", 0, 0, OPT_PORTRAIT},
                                      {"dpi", 0, 1, OPT_DPI},
                                      {"extent", 0, 1, OPT_EXTENT},
                                      {"projection", 0, 1, OPT_PROJECTION},
                                      {"basemap", 0, 1, OPT_BASEMAP},
                                      {NULL, 0, 0, 0}};

int cmd_render(cli *c, int argc, char **argv)
{
    render_query q;
    corridor_render_opts init = CORRIDOR_RENDER_OPTS_INIT;
    char **pos = NULL;
    size_t npos = 0;
    corridor_routes *rs = NULL;
    memset(&q, 0, sizeof q);
    cli_route_query_init(&q.rq);
    q.opts = init;
    int rc = cli_parse(c, argc, argv, render_opts, render_opt, &q, help, &pos, &npos);
    if (rc != 0)
        goto done;
    if (!q.output) {
        rc = cli_usage(c, "render needs -o FILE");
        goto done;
    }
    if (q.route_from ? npos != 1 : npos != 0) {
        rc = q.route_from ? cli_usage(c, "--route needs FROM and TO")
                          : cli_usage(c, "unexpected argument '%s'", pos[0]);
        goto done;
    }
    if ((rc = cli_load(c)) != 0)
        goto done;
    cli_filter(c, &q.opts.filter);
    q.opts.filter.corridors = q.corridors;
    int err = 0;
    if (q.route_from) {
        cli_route_query_finish(c, &q.rq);
        err = corridor_route_find(&rs, c->model, q.route_from, pos[0], &q.rq.opts);
        if (err < 0) {
            rc = cli_fail(err);
            goto done;
        }
        q.opts.highlight = rs;
    }
    corridor_render_info info;
    if ((err = corridor_render(&info, c->model, q.output, &q.opts)) < 0) {
        rc = cli_fail(err);
        goto done;
    }
    if (info.labels_dropped)
        fprintf(stderr,
                "corridor: %zu place name%s left out for lack of room (a larger --size or "
                "a smaller --extent shows more)\n",
                info.labels_dropped, info.labels_dropped == 1 ? " was" : "s were");
    fprintf(stderr, "corridor: wrote %s\n", q.output);
done:
    corridor_routes_free(rs);
    cli_route_query_free(&q.rq);
    free(q.corridors);
    free(pos);
    return rc;
}
