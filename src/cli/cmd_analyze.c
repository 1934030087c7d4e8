/* cmd_analyze.c: `corridor analyze`, components, bridges, articulation points, betweenness. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... analyze [options]\n"
    "\n"
    "For each commodity: the connected components, the bridges (edges whose loss\n"
    "splits the network) and articulation points (nodes whose loss does), and the\n"
    "nodes and edges with the highest betweenness, weighted by --by.\n"
    "\n"
    "Options:\n"
    "  --carry C          only this commodity (default: every one the model carries)\n"
    "  --by METRIC        weight for betweenness: time (default), cost, distance, co2\n"
    "  --top N            betweenness entries per commodity (default 10)\n"
    "  --sample N         betweenness from N source nodes drawn at random, scaled to\n"
    "                     estimate the exact scores (large networks; the relative error\n"
    "                     shrinks like 1/sqrt(N), see docs/sharding.md)\n"
    "  --seed S           the sample's seed (default 1): the same seed, the same answer\n"
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   as for every command\n"
    "  --format FMT       table (default), json or csv\n";

static int an_opt(cli *c, void *ud, int id, const char *arg)
{
    corridor_analyze_opts *o = ud;
    int rc = cli_query_opt(c, id, arg, &o->by, &o->filter, NULL);
    if (rc != CLI_OPT_OTHER)
        return rc;
    switch (id) {
    case OPT_TOP:
        return cli_parse_size(c, "--top", arg, &o->top);
    case OPT_SAMPLE:
        return cli_parse_size(c, "--sample", arg, &o->sample);
    case OPT_SEED: {
        size_t seed = 0;
        rc = cli_parse_size(c, "--seed", arg, &seed);
        o->seed = (unsigned long)seed;
        return rc;
    }
    }
    return 0;
}

static const cli_opt an_opts[] = {{"by", 0, 1, OPT_BY},     {"carry", 0, 1, OPT_CARRY},
                                  {"top", 0, 1, OPT_TOP},   {"sample", 0, 1, OPT_SAMPLE},
                                  {"seed", 0, 1, OPT_SEED}, {NULL, 0, 0, 0}};

static void list(const char *title, const char **ids, size_t n)
{
    printf("  %s (%zu):", title, n);
    for (size_t i = 0; i < n; i++)
        printf("%s %s", i ? "," : "", ids[i]);
    printf("\n");
}

int cmd_analyze(cli *c, int argc, char **argv)
{
    corridor_analyze_opts opts = CORRIDOR_ANALYZE_OPTS_INIT;
    char **pos = NULL;
    size_t npos = 0;
    corridor_analysis *a = NULL;
    int rc = cli_parse(c, argc, argv, an_opts, an_opt, &opts, help, &pos, &npos);
    if (rc != 0)
        goto done;
    if (npos) {
        rc = cli_usage(c, "analyze takes no arguments (got '%s')", pos[0]);
        goto done;
    }
    if ((rc = cli_load(c)) != 0)
        goto done;
    cli_filter(c, &opts.filter);
    opts.budget = cli_budget(c, "sources"); /* betweenness, on networks over 2000 nodes */
    int err = corridor_analyze(&a, c->model, &opts);
    if (err < 0 && !(err == CORRIDOR_ELIMIT && a)) {
        rc = cli_fail(err);
        goto done;
    }
    int limit = err == CORRIDOR_ELIMIT;
    if (c->format == FMT_JSON) {
        char *text = NULL;
        if ((err = corridor_analysis_json(&text, a)) < 0) {
            rc = cli_fail(err);
            goto done;
        }
        cli_print_json(text);
    } else if (c->format == FMT_CSV) {
        printf("commodity,measure,type,id,value\n");
        for (size_t i = 0; i < a->n; i++) {
            const corridor_commodity_analysis *p = &a->per[i];
            const char *cm = corridor_commodity_name(p->carry);
            printf("%s,components,,,%zu\n", cm, p->n_components);
            for (size_t j = 0; j < p->n_bridges; j++) {
                printf("%s,bridge,edge,", cm);
                cli_csv_field(stdout, p->bridges[j]);
                printf(",1\n");
            }
            for (size_t j = 0; j < p->n_articulation_points; j++) {
                printf("%s,articulation_point,node,", cm);
                cli_csv_field(stdout, p->articulation_points[j]);
                printf(",1\n");
            }
            for (size_t j = 0; j < p->n_betweenness; j++) {
                printf("%s,betweenness,%s,", cm,
                       corridor_element_type_name(p->betweenness[j].type));
                cli_csv_field(stdout, p->betweenness[j].id);
                printf(",%s\n", CLI_NUM(p->betweenness[j].score));
            }
        }
    } else {
        char label[64];
        printf("Network structure (%s; betweenness weighted by %s)\n",
               cli_filter_label(c, label, sizeof label), corridor_metric_name(a->by));
        for (size_t i = 0; i < a->n; i++) {
            const corridor_commodity_analysis *p = &a->per[i];
            printf("\n%s: %zu nodes, %zu edges, %zu component%s", corridor_commodity_name(p->carry),
                   p->nodes, p->edges, p->n_components, p->n_components == 1 ? "" : "s");
            if (p->n_components > 1) {
                printf(" (sizes");
                for (size_t j = 0; j < p->n_components; j++)
                    printf("%s %zu", j ? "," : "", p->component_sizes[j]);
                printf(")");
            }
            printf("\n");
            list("bridges", p->bridges, p->n_bridges);
            list("articulation points", p->articulation_points, p->n_articulation_points);
            printf("  highest betweenness:\n");
            for (size_t j = 0; j < p->n_betweenness; j++)
                printf("    %-4s  %-36s %12.1f\n",
                       corridor_element_type_name(p->betweenness[j].type), p->betweenness[j].id,
                       p->betweenness[j].score);
        }
    }
    if (limit)
        rc = cli_limit(c, 1);
done:
    corridor_analysis_free(a);
    free(pos);
    return rc;
}
