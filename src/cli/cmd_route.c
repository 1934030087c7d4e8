/* cmd_route.c: `corridor route`, the k best route options between two places. */
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
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   as for every command\n"
    "  --format FMT       table (default), json, csv, or geojson (each option a Feature,\n"
    "                     a MultiLineString along its edges' shapes, with its totals)\n"
    "\n"
    "Places are a node id, a node name (case-insensitive) or country:XX.\n"
    "Exit codes: 0 routes found, 1 no route, 2 usage error, 3 unknown place or invalid model,\n"
    "4 input/output error, 5 limit reached.\n";

int cli_route_opt(cli *c, void *ud, int id, const char *arg)
{
    cli_route_query *q = ud;
    const char ***list = NULL;
    size_t *n = NULL;
    switch (id) {
    case OPT_BY:
        if (corridor_metric_parse(&q->opts.by, arg) < 0)
            return cli_usage(c, "--by: %s", corridor_error_message());
        return 0;
    case OPT_K:
        return cli_parse_size(c, "-k", arg, &q->opts.k);
    case OPT_CARRY:
        if (corridor_commodity_parse(&q->opts.filter.carry, arg) < 0)
            return cli_usage(c, "--carry: %s", corridor_error_message());
        return 0;
    case OPT_VIA:
        list = &q->via;
        n = &q->opts.n_via;
        break;
    case OPT_AVOID:
        list = &q->avoid;
        n = &q->opts.filter.n_avoid;
        break;
    default:
        return 0;
    }
    return cli_list_add(list, n, arg);
}

const cli_opt cli_route_opts[] = {{"by", 0, 1, OPT_BY},       {"k", 'k', 1, OPT_K},
                                  {"carry", 0, 1, OPT_CARRY}, {"via", 0, 1, OPT_VIA},
                                  {"avoid", 0, 1, OPT_AVOID}, {NULL, 0, 0, 0}};

void cli_route_query_init(cli_route_query *q)
{
    corridor_route_opts init = CORRIDOR_ROUTE_OPTS_INIT;
    memset(q, 0, sizeof *q);
    q->opts = init;
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

/* Length of a UTF-8 string in characters (for column padding). */
static size_t u8len(const char *s)
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
        size_t w = u8len(legs[i].from_name) + 4 + u8len(legs[i].to_name);
        width = w > width ? w : width;
    }
    for (size_t i = 0; i < n; i++) {
        const corridor_leg *l = &legs[i];
        char t[32], cost[32], dist[32], from_to[512];
        cli_fmt_duration(t, sizeof t, l->metric[CORRIDOR_BY_TIME]);
        cli_fmt_number(cost, sizeof cost, l->metric[CORRIDOR_BY_COST], 0);
        cli_fmt_number(dist, sizeof dist, l->metric[CORRIDOR_BY_DISTANCE], 0);
        snprintf(from_to, sizeof from_to, "%s -> %s", l->from_name, l->to_name);
        size_t pad = width - u8len(from_to);
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
        printf(",%.10g", v);
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

int cmd_route(cli *c, int argc, char **argv)
{
    cli_route_query q;
    char **pos = NULL;
    size_t npos = 0;
    corridor_routes *rs = NULL;
    cli_route_query_init(&q);
    int rc = cli_parse(c, argc, argv, cli_route_opts, cli_route_opt, &q, help, &pos, &npos);
    if (rc != 0)
        goto done;
    if (npos != 2) {
        rc = cli_usage(c, "route needs FROM and TO (got %zu place%s)", npos, npos == 1 ? "" : "s");
        goto done;
    }
    if ((rc = cli_load(c)) != 0)
        goto done;
    cli_route_query_finish(c, &q);
    int err = corridor_route_find(&rs, c->model, pos[0], pos[1], &q.opts);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    if (c->format == FMT_JSON) {
        char *text = NULL;
        if ((err = corridor_routes_json(&text, rs)) < 0) {
            rc = cli_fail(err);
            goto done;
        }
        cli_print_json(text);
    } else if (c->format == FMT_CSV) {
        cli_route_csv(rs);
    } else if (c->format == FMT_GEOJSON) {
        char *text = NULL;
        if ((err = corridor_routes_geojson(&text, c->model, rs)) < 0) {
            rc = cli_fail(err);
            goto done;
        }
        cli_print_json(text);
    } else {
        cli_route_table(c, rs);
    }
done:
    corridor_routes_free(rs);
    cli_route_query_free(&q);
    free(pos);
    return rc;
}
