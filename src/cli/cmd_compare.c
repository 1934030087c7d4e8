/* cmd_compare.c: `corridor compare`, one query on the base and the scenario model. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] compare -s SCENARIO [-s SCENARIO]... -- QUERY\n"
    "\n"
    "Runs QUERY (route FROM TO ..., flow FROM TO ... or critical FROM TO ...) on the\n"
    "base model and on the model with the scenarios applied, and shows both with\n"
    "what changed: values, routes gained and lost, the bottleneck.\n"
    "\n"
    "Example:\n"
    "  corridor compare -s graphs/scenarios/zangezur-opens.json -- route Nakhchivan Baku\n";

/* Loads the base model (no scenarios) and the scenario model. */
static int load_both(cli *c, corridor_model **base)
{
    const char **scen = c->scenarios;
    size_t n = c->n_scenarios;
    c->scenarios = NULL;
    c->n_scenarios = 0;
    int rc = cli_load(c);
    c->scenarios = scen;
    c->n_scenarios = n;
    if (rc != 0)
        return rc;
    *base = c->model;
    c->model = NULL;
    rc = cli_load(c);
    return rc;
}

static int same_route(const corridor_route *a, const corridor_route *b)
{
    if (a->n_edges != b->n_edges)
        return 0;
    for (size_t i = 0; i < a->n_edges; i++)
        if (strcmp(a->hops[i].edge, b->hops[i].edge) != 0)
            return 0;
    return 1;
}

static long find_route(const corridor_routes *rs, const corridor_route *r)
{
    for (size_t i = 0; rs && i < rs->n; i++)
        if (same_route(&rs->routes[i], r))
            return (long)i;
    return -1;
}

/* A route as its edge ids: parallel edges make routes that share every place. */
static void print_edges(const corridor_route *r)
{
    for (size_t i = 0; i < r->n_edges; i++)
        printf("%s%s", i ? " " : "", r->hops[i].edge);
    printf("\n");
}

static void fmt_metric(char *buf, size_t n, corridor_metric by, double v)
{
    if (by == CORRIDOR_BY_TIME)
        cli_fmt_duration(buf, n, fabs(v));
    else
        cli_fmt_number(buf, n, fabs(v), 0);
}

static void routes_side(const char *title, const corridor_model *m, const corridor_routes *rs,
                        int err)
{
    printf("%s: %s\n", title, corridor_model_name(m));
    if (!rs) {
        printf("  no route (%s)\n", err == CORRIDOR_ENOTFOUND ? "none exists" : "error");
        return;
    }
    cli_route_table_head("  ");
    for (size_t i = 0; i < rs->n; i++)
        cli_route_table_row(rs, i, "  ");
}

static char *json_or_null(int (*fn)(char **, const void *), const void *obj)
{
    char *t = NULL;
    if (!obj || fn(&t, obj) < 0)
        return NULL;
    return t;
}

static int json_routes(char **out, const void *p)
{
    return corridor_routes_json(out, p);
}

static int json_flow(char **out, const void *p)
{
    return corridor_flow_json(out, p);
}

static int json_critical(char **out, const void *p)
{
    return corridor_critical_json(out, p);
}

static void print_pair_json(const char *query, char *a, char *b, const char *changes)
{
    printf("{\"query\": \"%s\", \"base\": %s, \"scenario\": %s, \"changes\": %s}\n", query,
           a ? a : "null", b ? b : "null", changes);
    corridor_free(a);
    corridor_free(b);
}

static int compare_route(cli *c, corridor_model *base, int argc, char **argv)
{
    cli_route_query q;
    char **pos = NULL;
    size_t npos = 0;
    corridor_routes *ra = NULL, *rb = NULL;
    cli_route_query_init(&q);
    int rc = cli_parse(c, argc, argv, cli_route_opts, cli_route_opt, &q, help, &pos, &npos);
    if (rc != 0)
        goto done;
    if (npos != 2) {
        rc = cli_usage(c, "compare -- route needs FROM and TO");
        goto done;
    }
    cli_route_query_finish(c, &q);
    int ea = corridor_route_find(&ra, base, pos[0], pos[1], &q.opts);
    if (ea < 0 && ea != CORRIDOR_ENOTFOUND) {
        rc = cli_fail(ea);
        goto done;
    }
    int eb = corridor_route_find(&rb, c->model, pos[0], pos[1], &q.opts);
    if (eb < 0 && eb != CORRIDOR_ENOTFOUND) {
        rc = cli_fail(eb);
        goto done;
    }
    corridor_metric by = q.opts.by;
    double va = ra && ra->n ? ra->routes[0].metric[by] : NAN;
    double vb = rb && rb->n ? rb->routes[0].metric[by] : NAN;
    size_t gained = 0, lost = 0;
    for (size_t i = 0; rb && i < rb->n; i++)
        gained += find_route(ra, &rb->routes[i]) < 0;
    for (size_t i = 0; ra && i < ra->n; i++)
        lost += find_route(rb, &ra->routes[i]) < 0;
    if (c->format == FMT_JSON) {
        char changes[256];
        char d[64] = "null";
        if (!isnan(va) && !isnan(vb))
            snprintf(d, sizeof d, "%.10g", vb - va);
        snprintf(changes, sizeof changes,
                 "{\"best_%s\": %s, \"routes_gained\": %zu, \"routes_lost\": %zu}",
                 corridor_metric_field(by), d, gained, lost);
        print_pair_json("route", json_or_null(json_routes, ra), json_or_null(json_routes, rb),
                        changes);
        goto done;
    }
    char label[64];
    printf("Route options from %s to %s: %s, by %s, %s\n\n", pos[0], pos[1],
           corridor_commodity_name(q.opts.filter.carry), corridor_metric_name(by),
           cli_filter_label(c, label, sizeof label));
    routes_side("Base", base, ra, ea);
    printf("\n");
    routes_side("Scenario", c->model, rb, eb);
    printf("\nChanges:\n");
    char a[64], b[64], dd[64];
    if (isnan(va) && isnan(vb))
        printf("  no route in either model\n");
    else if (isnan(va)) {
        fmt_metric(b, sizeof b, by, vb);
        printf("  a route now exists: best %s %s\n", corridor_metric_name(by), b);
    } else if (isnan(vb)) {
        fmt_metric(a, sizeof a, by, va);
        printf("  no route remains (best %s was %s)\n", corridor_metric_name(by), a);
    } else {
        fmt_metric(a, sizeof a, by, va);
        fmt_metric(b, sizeof b, by, vb);
        fmt_metric(dd, sizeof dd, by, vb - va);
        printf("  best %s: %s -> %s (%s%s)\n", corridor_metric_name(by), a, b,
               vb < va   ? "-"
               : vb > va ? "+"
                         : "",
               vb == va ? "no change" : dd);
    }
    printf("  routes gained: %zu, routes lost: %zu (among the options shown)\n", gained, lost);
    for (size_t i = 0; rb && i < rb->n; i++) {
        if (find_route(ra, &rb->routes[i]) >= 0)
            continue;
        printf("  + ");
        print_edges(&rb->routes[i]);
    }
    for (size_t i = 0; ra && i < ra->n; i++) {
        if (find_route(rb, &ra->routes[i]) >= 0)
            continue;
        printf("  - ");
        print_edges(&ra->routes[i]);
    }
done:
    corridor_routes_free(ra);
    corridor_routes_free(rb);
    cli_route_query_free(&q);
    free(pos);
    return rc;
}

static int compare_flow(cli *c, corridor_model *base, int argc, char **argv)
{
    char **pos = NULL;
    size_t npos = 0;
    const char **avoid = NULL;
    corridor_flow_opts opts;
    corridor_flow *fa = NULL, *fb = NULL;
    int rc = cli_flow_parse(c, argc, argv, &opts, &avoid, &pos, &npos, help);
    if (rc != 0)
        goto done;
    if (npos != 2) {
        rc = cli_usage(c, "compare -- flow needs FROM and TO");
        goto done;
    }
    cli_filter(c, &opts.filter);
    opts.filter.avoid = avoid;
    int err = corridor_flow_max(&fa, base, pos[0], pos[1], &opts);
    if (err == 0)
        err = corridor_flow_max(&fb, c->model, pos[0], pos[1], &opts);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    if (c->format == FMT_JSON) {
        char changes[128], d[64] = "null";
        if (!fa->unbounded && !fb->unbounded)
            snprintf(d, sizeof d, "%.10g", fb->value - fa->value);
        snprintf(changes, sizeof changes, "{\"value\": %s}", d);
        print_pair_json("flow", json_or_null(json_flow, fa), json_or_null(json_flow, fb), changes);
        goto done;
    }
    printf("Base: %s\n", corridor_model_name(base));
    cli_flow_print(c, fa, "  ");
    printf("\nScenario: %s\n", corridor_model_name(c->model));
    cli_flow_print(c, fb, "  ");
    printf("\nChanges:\n");
    if (fa->unbounded || fb->unbounded) {
        printf("  %s\n",
               fa->unbounded == fb->unbounded ? "unbounded in both" : "boundedness changed");
    } else {
        char a[64], b[64], dd[64];
        cli_fmt_number(a, sizeof a, fa->value, 0);
        cli_fmt_number(b, sizeof b, fb->value, 0);
        cli_fmt_number(dd, sizeof dd, fb->value - fa->value, 0);
        printf("  maximum flow: %s -> %s %s (%s%s)\n", a, b, fa->unit,
               fb->value > fa->value ? "+" : "", fb->value == fa->value ? "no change" : dd);
    }
done:
    corridor_flow_free(fa);
    corridor_flow_free(fb);
    free(avoid);
    free(pos);
    return rc;
}

static int compare_critical(cli *c, corridor_model *base, int argc, char **argv)
{
    char **pos = NULL;
    size_t npos = 0;
    const char **avoid = NULL;
    corridor_critical_opts opts;
    corridor_critical *ka = NULL, *kb = NULL;
    int rc = cli_critical_parse(c, argc, argv, &opts, &avoid, &pos, &npos);
    if (rc != 0)
        goto done;
    if (npos != 2) {
        rc = cli_usage(c, "compare -- critical needs FROM and TO");
        goto done;
    }
    cli_filter(c, &opts.filter);
    opts.filter.avoid = avoid;
    int err = corridor_critical_rank(&ka, base, pos[0], pos[1], &opts);
    if (err == 0)
        err = corridor_critical_rank(&kb, c->model, pos[0], pos[1], &opts);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    if (c->format == FMT_JSON) {
        char changes[128];
        snprintf(changes, sizeof changes, "{\"base\": %.10g, \"elements\": %zd}",
                 kb->base - ka->base, (ssize_t)kb->n - (ssize_t)ka->n);
        print_pair_json("critical", json_or_null(json_critical, ka),
                        json_or_null(json_critical, kb), changes);
        goto done;
    }
    printf("Base: %s\n", corridor_model_name(base));
    cli_critical_print(ka, 10, "  ");
    printf("\nScenario: %s\n", corridor_model_name(c->model));
    cli_critical_print(kb, 10, "  ");
    size_t disc_a = 0, disc_b = 0;
    for (size_t i = 0; i < ka->n; i++)
        disc_a += ka->items[i].disconnects;
    for (size_t i = 0; i < kb->n; i++)
        disc_b += kb->items[i].disconnects;
    printf("\nChanges:\n  single points of failure (disconnect on loss): %zu -> %zu\n", disc_a,
           disc_b);
done:
    corridor_critical_free(ka);
    corridor_critical_free(kb);
    free(avoid);
    free(pos);
    return rc;
}

int cmd_compare(cli *c, int argc, char **argv)
{
    corridor_model *base = NULL;
    int split = -1;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            split = i;
            break;
        }
    }
    char **pos = NULL;
    size_t npos = 0;
    int rc = cli_parse(c, split < 0 ? argc : split, argv, NULL, NULL, NULL, help, &pos, &npos);
    free(pos);
    if (rc != 0)
        return rc;
    if (split < 0 || split + 1 >= argc)
        return cli_usage(c, "compare needs a query after '--' (route, flow or critical)");
    if (npos)
        return cli_usage(c, "compare: put the query after '--'");
    if (c->n_scenarios == 0)
        return cli_usage(c, "compare needs at least one -s SCENARIO");
    const char *query = argv[split + 1];
    int (*run)(cli *, corridor_model *, int, char **) = NULL;
    if (strcmp(query, "route") == 0)
        run = compare_route;
    else if (strcmp(query, "flow") == 0)
        run = compare_flow;
    else if (strcmp(query, "critical") == 0)
        run = compare_critical;
    else
        return cli_usage(c, "compare: unknown query '%s' (expected route, flow or critical)",
                         query);
    if ((rc = load_both(c, &base)) != 0)
        goto done;
    rc = run(c, base, argc - split - 2, argv + split + 2);
done:
    corridor_model_free(base);
    return rc;
}
