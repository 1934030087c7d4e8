/* cmd_render.c: `corridor render`, corridor diagrams through Graphviz. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... render -o FILE [options]\n"
    "\n"
    "Draws the network. The format comes from FILE's extension (svg, png, pdf, dot)\n"
    "unless -T is given. The file is written whole or not at all.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   where to write (required)\n"
    "  -T FORMAT           svg, png, pdf or dot, whatever the extension\n"
    "  --layout L          geo (default: nodes at their coordinates), schematic\n"
    "                      (a line diagram) or countries (one node per country)\n"
    "  --corridor ID       draw only this corridor (repeatable)\n"
    "  --title TEXT        the diagram's title (default: model name and status or year)\n"
    "  --route FROM TO     highlight the route options from FROM to TO, best boldest;\n"
    "                      with --by, -k, --carry, --via and --avoid as for `route`\n"
    "  --pareto CRITERIA, --max N, --max-overlap F, --differ-by WHAT\n"
    "                      with --route: highlight the Pareto options or the genuinely\n"
    "                      different alternatives instead, as `route` finds them\n"
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   as for every command\n";

typedef struct render_query {
    cli_route_query rq;
    corridor_render_opts opts;
    const char *output;
    const char *route_from;
    const char **corridors;
} render_query;

static int render_opt(cli *c, void *ud, int id, const char *arg)
{
    render_query *q = ud;
    if (id <= 9)
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
    }
    return 0;
}

static const cli_opt render_opts[] = {
    {"by", 0, 1, 1},        {"k", 'k', 1, 2},       {"carry", 0, 1, 3},  {"via", 0, 1, 4},
    {"avoid", 0, 1, 5},     {"output", 'o', 1, 10}, {"T", 'T', 1, 11},   {"layout", 0, 1, 12},
    {"corridor", 0, 1, 13}, {"title", 0, 1, 14},    {"route", 0, 1, 15}, CLI_ROUTE_CHOICE_OPTS,
    {NULL, 0, 0, 0}};

int cmd_render(cli *c, int argc, char **argv)
{
    render_query q;
    corridor_render_opts init = CORRIDOR_RENDER_OPTS_INIT;
    char **pos = NULL;
    size_t npos = 0;
    corridor_routes *rs = NULL;
    corridor_pareto *pareto = NULL;
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
    if ((rc = cli_load(c)) != 0)
        goto done;
    cli_filter(c, &q.opts.filter);
    q.opts.filter.corridors = q.corridors;
    int err = 0;
    if (q.route_from) {
        cli_route_query_finish(c, &q.rq);
        /* a Pareto set cut by the search limit is still drawn; the exit code says so */
        if ((rc = cli_route_run(c, &q.rq, q.route_from, pos[0], &rs, &pareto)) != 0 &&
            !(rc == EXIT_LIMIT && pareto))
            goto done;
        q.opts.highlight = pareto ? pareto->routes : rs;
    }
    if ((err = corridor_render_file(c->model, q.output, &q.opts)) < 0) {
        rc = cli_fail(err);
        goto done;
    }
    fprintf(stderr, "corridor: wrote %s\n", q.output);
done:
    corridor_routes_free(rs);
    corridor_pareto_free(pareto);
    cli_route_query_free(&q.rq);
    free(q.corridors);
    free(pos);
    return rc;
}
