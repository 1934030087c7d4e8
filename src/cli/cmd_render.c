/* cmd_render.c: `corridor render`, corridor diagrams through Graphviz. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... render -o FILE [options]\n"
    "\n"
    "Draws the network. The format comes from FILE's extension (svg, png, pdf, dot,\n"
    "html) unless -T is given. The file is written whole or not at all; FILE - writes\n"
    "to standard output (then -T is needed). The geo layout is a map on a page:\n"
    "land, sea, borders and country names under the network, a legend, a scale bar\n"
    "and a source line. html is that map in one self-contained page with pan, zoom,\n"
    "tooltips and layer toggles.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   where to write (required; - for standard output)\n"
    "  -T FORMAT           svg, png, pdf, dot or html, whatever the extension\n"
    "  --layout L          geo (default: nodes at their coordinates), schematic\n"
    "                      (a line diagram, lines at 45 degrees) or countries (one\n"
    "                      node per country)\n"
    "  --corridor ID       draw only this corridor (repeatable)\n"
    "  --title TEXT        the diagram's title (default: model name and status or year)\n"
    "  --route FROM TO     highlight the route options from FROM to TO, best boldest;\n"
    "                      with --by, -k, --carry, --via and --avoid as for `route`\n"
    "  --pareto CRITERIA, --max N, --max-overlap F, --differ-by WHAT\n"
    "                      with --route: highlight the Pareto options or the genuinely\n"
    "                      different alternatives instead, as `route` finds them\n"
    "  --assign RESULT     flow map of an assignment (`assign --format json` output):\n"
    "                      edge width by volume, colour by v/c, for --carry (freight)\n"
    "  --demand FILE       flow map of FILE assigned here (`assign` defaults, ue)\n"

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
    const char *assign, *demand; /* flow map sources */
} render_query;

/* option ids of the map options (after cli.h's) */
enum {
    OPT_SIZE = 100,
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
    if (id <= OPT_DIFFER_BY)
        return cli_route_opt(c, &q->rq, id, arg);
    switch (id) {
    case OPT_OUTPUT:
        q->output = arg;
        return 0;
    case OPT_T:
        q->opts.format = arg;
        return 0;
    case OPT_LAYOUT:
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
    case OPT_CORRIDOR:
        return cli_list_add(&q->corridors, &q->opts.filter.n_corridors, arg);
    case OPT_TITLE:
        q->opts.title = arg;
        return 0;
    case OPT_ROUTE:
        q->route_from = arg;
        return 0;
    case OPT_ASSIGN:
        q->assign = arg;
        return 0;
    case OPT_DEMAND:
        q->demand = arg;
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

/* Warns when FILE has an extension other than the -T format. */
static void check_extension(const char *path, const char *format)
{
    const char *ext = cli_path_ext(path);
    if (ext && strcmp(ext, format) != 0 && !(strcmp(format, "dot") == 0 && strcmp(ext, "gv") == 0))
        cli_err("warning: %s: writing %s to a file named .%s", path, format, ext);
}

static const cli_opt render_opts[] = {{"by", 0, 1, OPT_BY},
                                      {"k", 'k', 1, OPT_K},
                                      {"carry", 0, 1, OPT_CARRY},
                                      {"via", 0, 1, OPT_VIA},
                                      {"avoid", 0, 1, OPT_AVOID},
                                      {"output", 'o', 1, OPT_OUTPUT},
                                      {"T", 'T', 1, OPT_T},
                                      {"layout", 0, 1, OPT_LAYOUT},
                                      {"corridor", 0, 1, OPT_CORRIDOR},
                                      {"title", 0, 1, OPT_TITLE},
                                      {"route", 0, 1, OPT_ROUTE},
                                      CLI_ROUTE_CHOICE_OPTS,
                                      {"assign", 0, 1, OPT_ASSIGN},
                                      {"demand", 0, 1, OPT_DEMAND},
                                      {"size", 0, 1, OPT_SIZE},
                                      {"landscape", 0, 0, OPT_LANDSCAPE},
                                      {"portrait", 0, 0, OPT_PORTRAIT},
                                      {"dpi", 0, 1, OPT_DPI},
                                      {"extent", 0, 1, OPT_EXTENT},
                                      {"projection", 0, 1, OPT_PROJECTION},
                                      {"basemap", 0, 1, OPT_BASEMAP},
                                      {NULL, 0, 0, 0}};

/* Reads a whole file into a new string; 0 or EXIT_IO (printed). */
static int read_text(char **out, const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    *out = NULL;
    if (!f) {
        cli_err("%s: cannot open", path);
        return EXIT_IO;
    }
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = 2 * (len + 4096 + 1);
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                cli_err("out of memory");
                return EXIT_IO;
            }
            buf = nb;
        }
        size_t k = fread(buf + len, 1, 4096, f);
        len += k;
        if (k < 4096)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        cli_err("%s: cannot read", path);
        return EXIT_IO;
    }
    buf[len] = '\0';
    *out = buf;
    return 0;
}

/* The flow map arrays: from --assign RESULT or by assigning --demand FILE here. */
static int flow_values(cli *c, render_query *q, double **vol, double **vc)
{
    corridor_commodity carry = q->rq.opts.filter.carry;
    corridor_assignment *a = NULL;
    char *text = NULL;
    int rc = 0, err = 0;
    if (carry == CORRIDOR_CARRY_ANY)
        carry = CORRIDOR_CARRY_FREIGHT;
    if (q->demand) {
        cli_assign_query aq;
        corridor_assign_opts init = CORRIDOR_ASSIGN_OPTS_INIT;
        memset(&aq, 0, sizeof aq);
        aq.opts = init;
        aq.demand = q->demand;
        if ((rc = cli_assign_run(c, &aq, &a)) != 0)
            return rc;
    } else if ((rc = read_text(&text, q->assign)) != 0) {
        return rc;
    }
    err = corridor_assignment_edge_values(vol, vc, a, text, c->model, carry);
    corridor_assignment_free(a);
    free(text);
    if (err < 0)
        return cli_fail(err);
    q->opts.edge_volume = *vol;
    q->opts.edge_vc = *vc;
    q->opts.volume_unit = corridor_model_unit(c->model, carry);
    return 0;
}

int cmd_render(cli *c, int argc, char **argv)
{
    render_query q;
    corridor_render_opts init = CORRIDOR_RENDER_OPTS_INIT;
    char **pos = NULL;
    size_t npos = 0;
    corridor_routes *rs = NULL;
    corridor_pareto *pareto = NULL;
    double *vol = NULL, *vc = NULL;
    memset(&q, 0, sizeof q);
    cli_route_query_init(&q.rq);
    q.opts = init;
    int rc = cli_parse(c, argc, argv, render_opts, render_opt, &q, help, &pos, &npos);
    if (rc != 0 || (rc = cli_route_choice_check(c, &q.rq)) != 0)
        goto done;
    if ((q.rq.pareto_given || q.rq.alt_given) && !q.route_from) {
        rc = cli_usage(c, "--pareto, --max-overlap and --differ-by need --route FROM TO");
        goto done;
    }
    if (!q.output) {
        rc = cli_usage(c, "render needs -o FILE");
        goto done;
    }
    if (q.route_from ? npos != 1 : npos != 0) {
        rc = q.route_from ? cli_usage(c, "--route needs FROM and TO")
                          : cli_usage(c, "unexpected argument '%s'", pos[0]);
        goto done;
    }
    if ((q.assign || q.demand) && (q.route_from || (q.assign && q.demand))) {
        rc = cli_usage(c, "give one of --route, --assign and --demand");
        goto done;
    }
    int to_stdout = strcmp(q.output, "-") == 0;
    if (to_stdout && !q.opts.format) {
        rc = cli_usage(c, "render -o - needs -T FORMAT (svg, png, pdf, dot or html)");
        goto done;
    }
    if ((rc = cli_check_output(c, q.output, NULL, 0)) != 0)
        goto done;
    if (!to_stdout && q.opts.format)
        check_extension(q.output, q.opts.format);
    if ((rc = cli_load(c)) != 0)
        goto done;
    if ((q.assign || q.demand) && (rc = flow_values(c, &q, &vol, &vc)) != 0)
        goto done;
    cli_filter(c, &q.opts.filter);
    q.opts.filter.corridors = q.corridors;
    int err = 0;
    if (q.route_from) {
        cli_route_query_finish(c, &q.rq);
        if ((rc = cli_route_snap(c, c->model, &q.rq, &q.route_from, (const char **)&pos[0])) != 0)
            goto done;
        /* a Pareto set cut by the search limit is still drawn; the exit code says so */
        if ((rc = cli_route_run(c, &q.rq, q.route_from, pos[0], &rs, &pareto)) != 0 &&
            !(rc == EXIT_LIMIT && pareto)) {
            if (rc == EXIT_LIMIT && rs) /* a search limit: nothing drawn, its message shown */
                rc = cli_limit(c, 0);
            goto done;
        }
        q.opts.highlight = pareto ? pareto->routes : rs;
    }
    fflush(stdout);
    corridor_render_info info;
    if ((err = corridor_render(&info, c->model, to_stdout ? CLI_STDOUT_PATH : q.output, &q.opts)) <
        0) {
        rc = cli_fail(err);
        goto done;
    }
    if (info.labels_dropped)
        fprintf(stderr,
                "corridor: %zu place name%s left out for lack of room (a larger --size or "
                "a smaller --extent shows more)\n",
                info.labels_dropped, info.labels_dropped == 1 ? " was" : "s were");
    if (!to_stdout)
        fprintf(stderr, "corridor: wrote %s\n", q.output);
done:
    corridor_free(vol);
    corridor_free(vc);
    corridor_routes_free(rs);
    corridor_pareto_free(pareto);
    cli_route_query_free(&q.rq);
    free(q.corridors);
    free(pos);
    return rc;
}
