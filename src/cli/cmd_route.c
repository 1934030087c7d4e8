/* cmd_route.c: `corridor route`, the k best route options between two places. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... route FROM TO [options]\n"
    "\n"
    "The k cheapest routes from FROM to TO, exact, in non-decreasing order. A route's\n"
    "value adds its edges, each intermediate node's dwell, and a node's transfer where\n"
    "the route changes class (mode; for rail, mode and gauge).\n"
    "\n"
    "Options:\n"
    "  --by METRIC        time (default), cost, distance or co2\n"
    "  -k N               number of options (default 3)\n"
    "  --carry C          freight (default), oil, gas, power or data\n"
    "  --via PLACE        pass through PLACE (repeatable, in order)\n"
    "  --avoid TARGET     leave out [node:|edge:|country:|corridor:|mode:]ID (repeatable)\n"
    "  --pareto CRITERIA  every Pareto-optimal route instead: no other route beats it on\n"
    "                     all of CRITERIA at once (2 or more of time, cost, distance,\n"
    "                     co2, transfers, borders, comma-separated), exact\n"
    "  --max N            with --pareto: at most N options (default 50)\n"
    "  --max-overlap F    genuinely different options: each is the best route sharing at\n"
    "                     most F (0 < F < 1) of the shorter one's km with every earlier one\n"
    "  --differ-by WHAT   each option passes a set of countries, corridors or sea\n"
    "                     crossings (country, corridor, sea) no earlier option passes\n"
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   as for every command\n"
    "  --format FMT       table (default), json, csv, or geojson (each option a Feature,\n"
    "                     a MultiLineString along its edges' shapes, with its totals)\n"
    "\n"
    "Places are a node id, a node name (case-insensitive), country:XX, or LAT,LON\n"
    "(the nearest node the query can use, within --snap KM, default 50; stderr says which).\n"
    "Exit codes: 0 routes found (also a Pareto set cut by --max, marked incomplete), 1 no\n"
    "route, 2 usage error, 3 unknown place or invalid model, 4 input/output error, 5 limit\n"
    "reached (a search limit; a Pareto set cut by it is printed, marked incomplete).\n";

/* --max-overlap F: a fraction strictly between 0 and 1. */
static int route_overlap(cli *c, cli_route_query *q, const char *arg)
{
    char *end;
    errno = 0;
    double f = strtod(arg, &end);
    if (errno || *end || end == arg || !(f > 0.0 && f < 1.0))
        return cli_usage(c,
                         "--max-overlap: expected a fraction above 0 and below 1 (e.g. 0.5), "
                         "got \"%s\"",
                         arg);
    q->alt.max_overlap = f;
    q->alt_given = 1;
    return 0;
}

int cli_route_opt(cli *c, void *ud, int id, const char *arg)
{
    cli_route_query *q = ud;
    int rc = cli_query_opt(c, id, arg, &q->opts.by, &q->opts.filter, &q->avoid);
    if (rc != CLI_OPT_OTHER)
        return rc;
    switch (id) {
    case OPT_K:
        return cli_parse_size(c, "-k", arg, &q->opts.k);
    case OPT_VIA:
        return cli_list_add(&q->via, &q->opts.n_via, arg);
    case OPT_PARETO:
        q->pareto_given = 1;
        if (corridor_criteria_parse(q->pareto.criteria, &q->pareto.n_criteria, arg) < 0)
            return cli_usage(c, "--pareto: %s", corridor_error_message());
        return 0;
    case OPT_MAX:
        q->max_given = 1;
        return cli_parse_size(c, "--max", arg, &q->pareto.max);
    case OPT_MAX_OVERLAP:
        return route_overlap(c, q, arg);
    case OPT_DIFFER_BY:
        q->alt_given = 1;
        if (corridor_differ_parse(&q->alt.differ_by, arg) < 0)
            return cli_usage(c, "--differ-by: %s", corridor_error_message());
        return 0;
    }
    return 0;
}

const cli_opt cli_route_opts[] = {{"by", 0, 1, OPT_BY},       {"k", 'k', 1, OPT_K},
                                  {"carry", 0, 1, OPT_CARRY}, {"via", 0, 1, OPT_VIA},
                                  {"avoid", 0, 1, OPT_AVOID}, {NULL, 0, 0, 0}};

static const cli_opt route_opts[] = {
    {"by", 0, 1, OPT_BY},   {"k", 'k', 1, OPT_K},       {"carry", 0, 1, OPT_CARRY},
    {"via", 0, 1, OPT_VIA}, {"avoid", 0, 1, OPT_AVOID}, CLI_ROUTE_CHOICE_OPTS,
    {NULL, 0, 0, 0}};

void cli_route_query_init(cli_route_query *q)
{
    corridor_route_opts init = CORRIDOR_ROUTE_OPTS_INIT;
    corridor_pareto_opts pinit = CORRIDOR_PARETO_OPTS_INIT;
    corridor_alt_opts ainit = CORRIDOR_ALT_OPTS_INIT;
    memset(q, 0, sizeof *q);
    q->opts = init;
    q->pareto = pinit;
    q->alt = ainit;
}

int cli_route_choice_check(cli *c, const cli_route_query *q)
{
    if (q->pareto_given && q->alt_given)
        return cli_usage(c, "--pareto cannot be combined with --max-overlap or --differ-by");
    if (q->max_given && !q->pareto_given)
        return cli_usage(c, "--max is the number of Pareto options: give it with --pareto");
    return 0;
}

int cli_route_run(const cli *c, cli_route_query *q, const char *from, const char *to,
                  corridor_routes **rs, corridor_pareto **pareto)
{
    int err;
    *rs = NULL;
    *pareto = NULL;
    if (q->pareto_given) {
        q->pareto.filter = q->opts.filter;
        q->pareto.via = q->opts.via;
        q->pareto.n_via = q->opts.n_via;
        err = corridor_pareto_find(pareto, c->model, from, to, &q->pareto);
        if (err == 0 && (*pareto)->cut == CORRIDOR_PARETO_LIMIT) {
            cli_err("search limit reached after %zu partial routes: the options shown are "
                    "Pareto-optimal, others may be missing",
                    (*pareto)->labels);
            return EXIT_LIMIT;
        }
    } else if (q->alt_given) {
        err = corridor_route_alternatives(rs, c->model, from, to, &q->opts, &q->alt);
    } else {
        err = corridor_route_find(rs, c->model, from, to, &q->opts);
        if (err == CORRIDOR_ELIMIT && *rs)
            return EXIT_LIMIT; /* the caller prints the routes, then cli_limit */
    }
    return err < 0 ? cli_fail(err) : 0;
}

void cli_route_query_free(cli_route_query *q)
{
    free(q->via);
    free(q->avoid);
}

void cli_route_query_finish(const cli *c, cli_route_query *q)
{
    cli_filter(c, &q->opts.filter);
    q->opts.via = q->via;
    q->opts.filter.avoid = q->avoid;
}

int cli_route_snap(cli *c, const corridor_model *m, cli_route_query *q, const char **from,
                   const char **to)
{
    int rc = cli_snap_place(c, m, &q->opts.filter, from);
    if (rc == 0)
        rc = cli_snap_place(c, m, &q->opts.filter, to);
    for (size_t i = 0; rc == 0 && i < q->opts.n_via; i++)
        rc = cli_snap_place(c, m, &q->opts.filter, &q->via[i]);
    return rc;
}

size_t cli_u8len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int is_transfer_node(const corridor_route *r, const char *id)
{
    for (size_t t = 0; t < r->n_transfers; t++)
        if (strcmp(r->transfers[t].node, id) == 0)
            return 1;
    return 0;
}

/* The path as place names joined by arrows; long paths keep the ends and the transfers. */
void cli_route_path(char *buf, size_t n, const corridor_route *r)
{
    size_t full = 0;
    for (size_t i = 0; i < r->n_nodes; i++)
        full += strlen(r->node_names[i]) + 4;
    int shorten = full > 90 && r->n_nodes > 4;
    size_t o = 0;
    int gap = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n_nodes && o < n; i++) {
        int keep = !shorten || i == 0 || i + 1 == r->n_nodes || is_transfer_node(r, r->nodes[i]);
        if (!keep) {
            gap = 1;
            continue;
        }
        int w = snprintf(buf + o, n - o, "%s%s%s", i ? (gap ? " -> .. -> " : " -> ") : "",
                         r->node_names[i], "");
        if (w < 0)
            break;
        o += (size_t)w;
        gap = 0;
    }
}

/* 1 if two routes pass the same places in the same order. */
static int same_places(const corridor_route *a, const corridor_route *b)
{
    if (a->n_nodes != b->n_nodes)
        return 0;
    for (size_t i = 0; i < a->n_nodes; i++)
        if (strcmp(a->nodes[i], b->nodes[i]) != 0)
            return 0;
    return 1;
}

/*
 * Route i of rs as a table row. Where an earlier option passes the same places
 * (parallel edges: two ferry lines), the row names the edges that differ.
 */
void cli_route_table_row(const corridor_routes *rs, size_t i, const char *prefix)
{
    const corridor_route *r = &rs->routes[i];
    char t[32], cost[32], dist[32], co2[32], path[2048];
    cli_fmt_duration(t, sizeof t, r->metric[CORRIDOR_BY_TIME]);
    cli_fmt_number(cost, sizeof cost, r->metric[CORRIDOR_BY_COST], 0);
    cli_fmt_number(dist, sizeof dist, r->metric[CORRIDOR_BY_DISTANCE], 0);
    cli_fmt_number(co2, sizeof co2, r->metric[CORRIDOR_BY_CO2], 0);
    cli_route_path(path, sizeof path, r);
    printf("%s%2zu  %8s  %9s  %9s  %9s  %9zu  %s", prefix, r->rank, t, cost, dist, co2,
           r->n_transfers, path);
    for (size_t j = 0; j < i; j++) {
        const corridor_route *o = &rs->routes[j];
        if (!same_places(r, o))
            continue;
        printf(" [by");
        for (size_t e = 0; e < r->n_edges; e++)
            if (strcmp(r->hops[e].edge, o->hops[e].edge) != 0)
                printf(" %s", r->hops[e].edge);
        printf("]");
        break;
    }
    printf("\n");
}

void cli_route_table_head(const char *prefix)
{
    printf("%s%2s  %8s  %9s  %9s  %9s  %9s  %s\n", prefix, "#", "time", "cost $", "km", "CO2 kg",
           "transfers", "path");
}

/* The legs of a route (from the library), one line each. */
static void print_leg_lines(const corridor_route *r)
{
    corridor_leg *legs = NULL;
    size_t n = 0;
    if (corridor_route_legs(&legs, &n, r) < 0) {
        cli_err("%s", corridor_error_message());
        return;
    }
    size_t width = 0; /* of the widest "A -> B" column */
    for (size_t i = 0; i < n; i++) {
        size_t w = cli_u8len(legs[i].from_name) + 4 + cli_u8len(legs[i].to_name);
        width = w > width ? w : width;
    }
    for (size_t i = 0; i < n; i++) {
        const corridor_leg *l = &legs[i];
        char t[32], cost[32], dist[32], from_to[512];
        cli_fmt_duration(t, sizeof t, l->metric[CORRIDOR_BY_TIME]);
        cli_fmt_number(cost, sizeof cost, l->metric[CORRIDOR_BY_COST], 0);
        cli_fmt_number(dist, sizeof dist, l->metric[CORRIDOR_BY_DISTANCE], 0);
        snprintf(from_to, sizeof from_to, "%s -> %s", l->from_name, l->to_name);
        size_t pad = width - cli_u8len(from_to);
        printf("  %-10s %s%*s %8s  $%8s  %7s km  (%zu edge%s)\n", l->class_name, from_to, (int)pad,
               "", t, cost, dist, l->n_hops, l->n_hops == 1 ? "" : "s");
    }
    corridor_free(legs);
}

/* Route 1 by leg, its transfers, countries and corridors. */
static void print_legs(const corridor_route *r)
{
    printf("\nRoute 1 by leg:\n");
    print_leg_lines(r);
    if (r->n_transfers) {
        printf("Transfers:");
        for (size_t t = 0; t < r->n_transfers; t++)
            printf("%s %s (%s -> %s)", t ? "," : "", r->transfers[t].node,
                   r->transfers[t].from_class, r->transfers[t].to_class);
        printf("\n");
    }
    printf("Countries: ");
    for (size_t k = 0; k < r->n_countries; k++)
        printf("%s%s", k ? " > " : "", r->countries[k]);
    printf(" (%zu border crossing%s)\n", r->borders, r->borders == 1 ? "" : "s");
    printf("Corridors: ");
    for (size_t k = 0; k < r->n_corridors; k++)
        printf("%s%s", k ? ", " : "", r->corridors[k]);
    printf("%s\n", r->n_corridors ? "" : "-");
}

static void csv_list(const char **items, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(items[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return;
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(s, ";");
        strcat(s, items[i]);
    }
    cli_csv_field(stdout, s);
    free(s);
}

static void csv_num(double v)
{
    if (isnan(v))
        printf(",");
    else
        printf(",%s", CLI_NUM(v));
}

void cli_route_csv_lists(const corridor_route *r)
{
    csv_list(r->countries, r->n_countries);
    printf(",");
    csv_list(r->corridors, r->n_corridors);
    printf(",");
    csv_list(r->nodes, r->n_nodes);
    printf(",");
    const char **edges = malloc((r->n_edges + 1) * sizeof *edges);
    if (edges) {
        for (size_t e = 0; e < r->n_edges; e++)
            edges[e] = r->hops[e].edge;
        csv_list(edges, r->n_edges);
        free(edges);
    }
}

void cli_route_csv(const corridor_routes *rs)
{
    printf("rank,time_h,cost_usd,distance_km,co2_kg,transfers,borders,countries,corridors,nodes,"
           "edges\n");
    for (size_t i = 0; i < rs->n; i++) {
        const corridor_route *r = &rs->routes[i];
        printf("%zu", r->rank);
        for (int k = 0; k < CORRIDOR_METRIC_COUNT; k++)
            csv_num(r->metric[k]);
        printf(",%zu,%zu,", r->n_transfers, r->borders);
        cli_route_csv_lists(r);
        printf("\n");
    }
}

void cli_route_table(const cli *c, const corridor_routes *rs)
{
    char label[64];
    const corridor_route *r0 = rs->n ? &rs->routes[0] : NULL;
    printf("Route options from %s to %s: %s, by %s, %s\n\n", r0 ? r0->node_names[0] : rs->from,
           r0 ? r0->node_names[r0->n_nodes - 1] : rs->to, corridor_commodity_name(rs->carry),
           corridor_metric_name(rs->by), cli_filter_label(c, label, sizeof label));
    cli_route_table_head("");
    for (size_t i = 0; i < rs->n; i++)
        cli_route_table_row(rs, i, "");
    if (r0)
        print_legs(r0);
}

/* The table of alternatives: the route table, with the condition they meet. */
static void alt_table(const cli *c, const cli_route_query *q, const corridor_routes *rs)
{
    static const char *const differ[] = {"", "countries", "corridors", "sea crossings"};
    cli_route_table(c, rs);
    printf("\nEach option is the best route that");
    if (q->alt.max_overlap < 1.0)
        printf(" shares at most %g%% of the shorter route's km with each earlier option%s",
               q->alt.max_overlap * 100.0, q->alt.differ_by ? " and" : "");
    if (q->alt.differ_by)
        printf(" passes a set of %s no earlier option passes", differ[q->alt.differ_by]);
    printf("; %zu found (-k %zu).\n", rs->n, q->opts.k);
}

int cmd_route(cli *c, int argc, char **argv)
{
    cli_route_query q;
    char **pos = NULL;
    size_t npos = 0;
    corridor_routes *rs = NULL;
    corridor_pareto *pareto = NULL;
    char *text = NULL;
    cli_route_query_init(&q);
    int rc = cli_parse(c, argc, argv, route_opts, cli_route_opt, &q, help, &pos, &npos);
    if (rc != 0 || (rc = cli_route_choice_check(c, &q)) != 0)
        goto done;
    if (npos != 2) {
        rc = cli_usage(c, "route needs FROM and TO (got %zu place%s)", npos, npos == 1 ? "" : "s");
        goto done;
    }
    if ((rc = cli_load(c)) != 0)
        goto done;
    cli_route_query_finish(c, &q);
    if ((rc = cli_route_snap(c, c->model, &q, (const char **)&pos[0], (const char **)&pos[1])) != 0)
        goto done;
    q.opts.budget = cli_budget(c, NULL);
    rc = cli_route_run(c, &q, pos[0], pos[1], &rs, &pareto);
    /* a cut Pareto set, or the routes found before a limit, are still printed */
    if (rc != 0 && !(rc == EXIT_LIMIT && (pareto || rs)))
        goto done;
    int limit = rc == EXIT_LIMIT && rs;
    int err = 0;
    if (c->format == FMT_JSON) {
        err = pareto ? corridor_pareto_json(&text, pareto) : corridor_routes_json(&text, rs);
        if (err < 0) {
            rc = cli_fail(err);
            goto done;
        }
        cli_print_json(text);
    } else if (c->format == FMT_CSV) {
        if (pareto)
            cli_pareto_csv(pareto);
        else
            cli_route_csv(rs);
    } else if (c->format == FMT_GEOJSON) {
        /* a Pareto set: one feature per route, its rank the option's number */
        if ((err = corridor_routes_geojson(&text, c->model, pareto ? pareto->routes : rs)) < 0) {
            rc = cli_fail(err);
            goto done;
        }
        cli_print_json(text);
    } else if (pareto) {
        cli_pareto_table(c, pareto);
    } else if (q.alt_given) {
        alt_table(c, &q, rs);
    } else {
        cli_route_table(c, rs);
    }
    if (limit)
        rc = cli_limit(c, 1);
done:
    corridor_routes_free(rs);
    corridor_pareto_free(pareto);
    cli_route_query_free(&q);
    free(pos);
    return rc;
}
