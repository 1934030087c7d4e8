/* cmd_critical.c: `corridor critical`, elements ranked by the damage of their loss. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "od_file.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... critical FROM TO [options]\n"
    "       corridor [-m MODEL] [-s SCENARIO]... critical --od FILE [options]\n"
    "\n"
    "For the best route from FROM to TO: every edge and intermediate node whose loss\n"
    "alone changes it, ranked by how much the best value rises (\"disconnects\" when\n"
    "no route remains). With --flow, ranked by the drop of the maximum flow instead.\n"
    "With --od FILE (CSV lines from,to[,weight]; a header line is allowed): for each\n"
    "element, over all the pairs, how many lose their route, how many get worse, and\n"
    "the weighted total increase.\n"
    "\n"
    "Options:\n"
    "  --by METRIC        time (default), cost, distance or co2\n"
    "  --carry C          freight (default), oil, gas, power or data\n"
    "  --flow             rank by the drop of the maximum flow\n"
    "  --od FILE          network-wide ranking over origin-destination pairs (- reads\n"
    "                     standard input)\n"
    "  --top N            show the N highest-ranked elements (default: all; every format)\n"
    "  --shard I/N        with --od: only pairs I, I+N, I+2N, ... (0 <= I < N); prints\n"
    "                     this part's sums per element (CSV: type,id,lost,worse,\n"
    "                     total_increase, header on shard 0 only; JSON: one line per\n"
    "                     element), unranked, by type and id: the whole answer is the\n"
    "                     sum over the shards' lines of each element (docs/sharding.md)\n"
    "  --avoid TARGET     leave out [node:|edge:|country:|corridor:|mode:]ID (repeatable)\n"
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   as for every command\n"
    "  --format FMT       table (default), json or csv\n";

typedef struct crit_query {
    corridor_critical_opts opts;
    const char **avoid;
    const char *od;
    size_t top;
    size_t shard, shards; /* shards 0: no --shard */
} crit_query;

static int crit_opt(cli *c, void *ud, int id, const char *arg)
{
    crit_query *q = ud;
    int rc = cli_query_opt(c, id, arg, &q->opts.by, &q->opts.filter, &q->avoid);
    if (rc != CLI_OPT_OTHER)
        return rc;
    switch (id) {
    case OPT_FLOW:
        q->opts.by_flow = 1;
        return 0;
    case OPT_OD:
        q->od = arg;
        return 0;
    case OPT_TOP:
        return cli_parse_size(c, "--top", arg, &q->top);
    case OPT_SHARD:
        return cli_parse_shard(c, arg, &q->shard, &q->shards);
    }
    return 0;
}

static const cli_opt crit_opts[] = {{"by", 0, 1, OPT_BY},       {"carry", 0, 1, OPT_CARRY},
                                    {"avoid", 0, 1, OPT_AVOID}, {"flow", 0, 0, OPT_FLOW},
                                    {"od", 0, 1, OPT_OD},       {"top", 0, 1, OPT_TOP},
                                    {"shard", 0, 1, OPT_SHARD}, {NULL, 0, 0, 0}};

static void fmt_value(char *buf, size_t n, double v, int by_flow, corridor_metric by)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else if (!by_flow && by == CORRIDOR_BY_TIME)
        cli_fmt_duration(buf, n, v);
    else
        cli_fmt_number(buf, n, v, 0);
}

void cli_critical_print(const corridor_critical *k, size_t top, const char *prefix)
{
    char base[64];
    fmt_value(base, sizeof base, k->base, k->by_flow, k->by);
    printf("%sCritical elements from %s to %s, by %s (base: %s)\n", prefix, k->from, k->to,
           k->by_flow ? "maximum flow" : corridor_metric_name(k->by), base);
    if (k->n == 0) {
        printf("%s  no single loss changes the answer\n", prefix);
        return;
    }
    printf("%s%3s  %-4s  %-36s %14s %14s\n", prefix, "#", "type", "id",
           k->by_flow ? "flow after" : "best after", k->by_flow ? "drop" : "increase");
    for (size_t i = 0; i < k->n && (top == 0 || i < top); i++) {
        const corridor_critical_item *it = &k->items[i];
        char v[64], inc[64];
        if (it->disconnects && !k->by_flow) {
            snprintf(v, sizeof v, "disconnects");
            snprintf(inc, sizeof inc, "-");
        } else {
            fmt_value(v, sizeof v, it->value, k->by_flow, k->by);
            fmt_value(inc, sizeof inc, it->increase, k->by_flow, k->by);
        }
        printf("%s%3zu  %-4s  %-36s %14s %14s\n", prefix, i + 1,
               corridor_element_type_name(it->type), it->id, v, inc);
    }
}

static int part_cmp(const void *pa, const void *pb)
{
    const corridor_od_item *a = pa, *b = pb;
    int t = strcmp(corridor_element_type_name(a->type), corridor_element_type_name(b->type));
    return t ? t : strcmp(a->id, b->id);
}

/* One shard's per-element sums, by type and id (see --shard in the help). */
static void print_part(const cli *c, const crit_query *q, corridor_od_result *res)
{
    qsort(res->items, res->n, sizeof *res->items, part_cmp);
    if (c->format == FMT_CSV && q->shard == 0)
        printf("type,id,lost,worse,total_increase\n");
    for (size_t i = 0; i < res->n; i++) {
        const corridor_od_item *it = &res->items[i];
        if (c->format == FMT_CSV) {
            printf("%s,", corridor_element_type_name(it->type));
            cli_csv_field(stdout, it->id);
            printf(",%zu,%zu,%.17g\n", it->lost, it->worse, it->total_increase);
        } else {
            printf("{\"type\":\"%s\",\"id\":", corridor_element_type_name(it->type));
            cli_json_string(stdout, it->id);
            printf(",\"lost\":%zu,\"worse\":%zu,\"total_increase\":%.17g}\n", it->lost, it->worse,
                   it->total_increase);
        }
    }
}

static int run_od(cli *c, crit_query *q)
{
    corridor_od_pair *pairs = NULL;
    size_t n = 0;
    char *text = NULL;
    corridor_od_result *res = NULL;
    char msg[512];
    int rc = cli_od_read(&pairs, &n, &text, q->od, c->model, msg, sizeof msg);
    if (rc != 0) {
        cli_err("%s", msg);
        goto done;
    }
    if (q->shards) { /* keep pairs shard, shard + shards, ... in place */
        size_t k = 0;
        for (size_t i = q->shard; i < n; i += q->shards)
            pairs[k++] = pairs[i];
        n = k;
    }
    q->opts.budget = cli_budget(c, "pairs");
    int err = corridor_critical_od(&res, c->model, pairs, n, &q->opts, NULL, NULL);
    if (err < 0 && !(err == CORRIDOR_ELIMIT && res)) {
        rc = cli_fail(err);
        goto done;
    }
    int limit = err == CORRIDOR_ELIMIT;
    if (q->shards) {
        print_part(c, q, res);
    } else if (c->format == FMT_JSON) {
        char *json = NULL;
        corridor_od_result shown = *res; /* --top limits the list as it limits the table */
        if (q->top && shown.n > q->top)
            shown.n = q->top;
        if ((err = corridor_od_result_json(&json, &shown)) < 0) {
            rc = cli_fail(err);
            goto done;
        }
        cli_print_json(json);
    } else if (c->format == FMT_CSV) {
        printf("rank,type,id,lost,worse,total_increase\n");
        for (size_t i = 0; i < res->n && (q->top == 0 || i < q->top); i++) {
            printf("%zu,%s,", i + 1, corridor_element_type_name(res->items[i].type));
            cli_csv_field(stdout, res->items[i].id);
            printf(",%zu,%zu,%s\n", res->items[i].lost, res->items[i].worse,
                   CLI_NUM(res->items[i].total_increase));
        }
    } else {
        printf("Network-wide criticality over %zu pairs, by %s (%zu pairs have no route at all)\n",
               res->n_pairs, corridor_metric_name(res->by), res->n_unrouted);
        printf("%4s  %-4s  %-36s %6s %6s %16s\n", "#", "type", "id", "lost", "worse",
               "total increase");
        for (size_t i = 0; i < res->n && (q->top == 0 || i < q->top); i++) {
            char inc[64];
            if (res->by == CORRIDOR_BY_TIME)
                cli_fmt_duration(inc, sizeof inc, res->items[i].total_increase);
            else
                cli_fmt_number(inc, sizeof inc, res->items[i].total_increase, 0);
            printf("%4zu  %-4s  %-36s %6zu %6zu %16s\n", i + 1,
                   corridor_element_type_name(res->items[i].type), res->items[i].id,
                   res->items[i].lost, res->items[i].worse, inc);
        }
    }
    if (limit)
        rc = cli_limit(c, 1);
done:
    corridor_od_result_free(res);
    free(pairs);
    free(text);
    return rc;
}

int cli_critical_parse(cli *c, int argc, char **argv, corridor_critical_opts *opts,
                       const char ***avoid, char ***pos, size_t *npos)
{
    crit_query q;
    corridor_critical_opts init = CORRIDOR_CRITICAL_OPTS_INIT;
    memset(&q, 0, sizeof q);
    q.opts = init;
    int rc = cli_parse(c, argc, argv, crit_opts, crit_opt, &q, help, pos, npos);
    *opts = q.opts;
    *avoid = q.avoid;
    return rc;
}

int cmd_critical(cli *c, int argc, char **argv)
{
    crit_query q;
    corridor_critical_opts init = CORRIDOR_CRITICAL_OPTS_INIT;
    char **pos = NULL;
    size_t npos = 0;
    corridor_critical *k = NULL;
    memset(&q, 0, sizeof q);
    q.opts = init;
    int rc = cli_parse(c, argc, argv, crit_opts, crit_opt, &q, help, &pos, &npos);
    if (rc != 0)
        goto done;
    if (q.od ? npos != 0 : npos != 2) {
        rc = q.od ? cli_usage(c, "critical --od FILE takes no places")
                  : cli_usage(c, "critical needs FROM and TO, or --od FILE");
        goto done;
    }
    if (q.shards && (!q.od || c->format == FMT_TABLE)) {
        rc = cli_usage(c, "--shard goes with --od and --format csv or json");
        goto done;
    }
    if (q.od && q.opts.by_flow) {
        rc = cli_usage(c, "--od ranks by route values: it does not combine with --flow");
        goto done;
    }
    if (q.od && strcmp(q.od, "-") == 0 && (rc = cli_claim_stdin(c, q.od)) != 0)
        goto done;
    if ((rc = cli_load(c)) != 0)
        goto done;
    cli_filter(c, &q.opts.filter);
    q.opts.filter.avoid = q.avoid;
    if (q.od) {
        rc = run_od(c, &q);
        goto done;
    }
    if ((rc = cli_snap_place(c, c->model, &q.opts.filter, (const char **)&pos[0])) != 0 ||
        (rc = cli_snap_place(c, c->model, &q.opts.filter, (const char **)&pos[1])) != 0)
        goto done;
    q.opts.budget = cli_budget(c, "elements");
    int err = corridor_critical_rank(&k, c->model, pos[0], pos[1], &q.opts);
    if (err < 0 && !(err == CORRIDOR_ELIMIT && k)) {
        rc = cli_fail(err);
        goto done;
    }
    int limit = err == CORRIDOR_ELIMIT;
    if (c->format == FMT_JSON) {
        char *text = NULL;
        corridor_critical shown = *k; /* --top limits the list as it limits the table */
        if (q.top && shown.n > q.top)
            shown.n = q.top;
        if ((err = corridor_critical_json(&text, &shown)) < 0) {
            rc = cli_fail(err);
            goto done;
        }
        cli_print_json(text);
    } else if (c->format == FMT_CSV) {
        printf("rank,type,id,value,increase,disconnects\n");
        for (size_t i = 0; i < k->n && (q.top == 0 || i < q.top); i++) {
            const corridor_critical_item *it = &k->items[i];
            printf("%zu,%s,", i + 1, corridor_element_type_name(it->type));
            cli_csv_field(stdout, it->id);
            if (isnan(it->value))
                printf(",,");
            else
                printf(",%s,%s", CLI_NUM(it->value), CLI_NUM(it->increase));
            printf(",%s\n", it->disconnects ? "true" : "false");
        }
    } else {
        cli_critical_print(k, q.top, "");
    }
    if (limit)
        rc = cli_limit(c, 1);
done:
    corridor_critical_free(k);
    free(q.avoid);
    free(pos);
    return rc;
}
