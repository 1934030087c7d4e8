/* cmd_flow.c: `corridor flow`, maximum flow of a commodity and its bottleneck. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... flow FROM TO [options]\n"
    "\n"
    "The maximum flow of one commodity from FROM to TO over the eligible edges, with\n"
    "edge and node capacities (a node's capacity limits all that it handles), and the\n"
    "bottleneck: a minimum cut of edges and nodes whose capacities add up to the flow.\n"
    "\"unbounded\" when a path without any capacity limit exists.\n"
    "\n"
    "Options:\n"
    "  --carry C          freight (default), oil, gas, power or data\n"
    "  --avoid TARGET     leave out [node:|edge:|country:|corridor:|mode:]ID (repeatable)\n"
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   as for every command\n"
    "  --format FMT       table (default), json or csv\n"
    "\n"
    "Progress (--progress, --quiet) goes by three stages: network built, reachability\n"
    "checked, max flow and cut found. --time-limit stops flow between stages with no\n"
    "answer (exit 5); the max flow itself (one igraph call) runs to its end once started.\n";

typedef struct flow_query {
    corridor_flow_opts opts;
    const char **avoid;
} flow_query;

static int flow_opt(cli *c, void *ud, int id, const char *arg)
{
    flow_query *q = ud;
    int rc = cli_query_opt(c, id, arg, NULL, &q->opts.filter, &q->avoid);
    return rc == CLI_OPT_OTHER ? 0 : rc;
}

static const cli_opt flow_opts[] = {
    {"carry", 0, 1, OPT_CARRY}, {"avoid", 0, 1, OPT_AVOID}, {NULL, 0, 0, 0}};

void cli_flow_print(const cli *c, const corridor_flow *f, const char *prefix)
{
    char v[64], label[64];
    cli_fmt_number(v, sizeof v, f->value, 0);
    printf("%sMaximum flow of %s from %s to %s (%s): %s%s%s\n", prefix,
           corridor_commodity_name(f->carry), f->from, f->to,
           cli_filter_label(c, label, sizeof label), v, f->unbounded ? "" : " ",
           f->unbounded ? "" : f->unit);
    if (f->unbounded) {
        printf("%s  a path with no capacity limit joins them: give capacities to bound it\n",
               prefix);
        return;
    }
    if (f->n_cut == 0) {
        printf("%s  nothing can flow: no eligible path joins them\n", prefix);
        return;
    }
    printf("%sBottleneck (minimum cut):\n", prefix);
    for (size_t i = 0; i < f->n_cut; i++) {
        cli_fmt_number(v, sizeof v, f->cut[i].capacity, 0);
        printf("%s  %-4s  %-36s %14s %s\n", prefix, corridor_element_type_name(f->cut[i].type),
               f->cut[i].id, v, f->unit);
    }
}

int cli_flow_parse(cli *c, int argc, char **argv, corridor_flow_opts *opts, const char ***avoid,
                   char ***pos, size_t *npos, const char *usage)
{
    flow_query q;
    corridor_flow_opts init = CORRIDOR_FLOW_OPTS_INIT;
    memset(&q, 0, sizeof q);
    q.opts = init;
    int rc = cli_parse(c, argc, argv, flow_opts, flow_opt, &q, usage ? usage : help, pos, npos);
    *opts = q.opts;
    *avoid = q.avoid;
    return rc;
}

int cmd_flow(cli *c, int argc, char **argv)
{
    char **pos = NULL;
    size_t npos = 0;
    const char **avoid = NULL;
    corridor_flow_opts opts;
    corridor_flow *f = NULL;
    int rc = cli_flow_parse(c, argc, argv, &opts, &avoid, &pos, &npos, NULL);
    if (rc != 0)
        goto done;
    if (npos != 2) {
        rc = cli_usage(c, "flow needs FROM and TO (got %zu place%s)", npos, npos == 1 ? "" : "s");
        goto done;
    }
    if ((rc = cli_load(c)) != 0)
        goto done;
    cli_filter(c, &opts.filter);
    opts.filter.avoid = avoid;
    if ((rc = cli_snap_place(c, c->model, &opts.filter, (const char **)&pos[0])) != 0 ||
        (rc = cli_snap_place(c, c->model, &opts.filter, (const char **)&pos[1])) != 0)
        goto done;
    opts.budget = cli_budget(c, "stages");
    int err = corridor_flow_max(&f, c->model, pos[0], pos[1], &opts);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    if (c->format == FMT_JSON) {
        char *text = NULL;
        if ((err = corridor_flow_json(&text, f)) < 0) {
            rc = cli_fail(err);
            goto done;
        }
        cli_print_json(text);
    } else if (c->format == FMT_CSV) {
        printf("type,id,capacity,unit\n");
        char pair[1024];
        snprintf(pair, sizeof pair, "%s->%s", f->from, f->to);
        printf("flow,");
        cli_csv_field(stdout, pair);
        if (f->unbounded)
            printf(",unbounded,");
        else
            printf(",%s,", CLI_NUM(f->value));
        cli_csv_field(stdout, f->unit);
        printf("\n");
        for (size_t i = 0; i < f->n_cut; i++) {
            printf("%s,", corridor_element_type_name(f->cut[i].type));
            cli_csv_field(stdout, f->cut[i].id);
            printf(",%s,", CLI_NUM(f->cut[i].capacity));
            cli_csv_field(stdout, f->unit);
            printf("\n");
        }
    } else {
        cli_flow_print(c, f, "");
    }
done:
    corridor_flow_free(f);
    free(avoid);
    free(pos);
    return rc;
}
