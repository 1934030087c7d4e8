/* cmd_compare.c: `corridor compare`, one query on the base and the scenario model. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] compare -s SCENARIO [-s SCENARIO]... -- QUERY\n"
    "\n"
    "Runs QUERY (route FROM TO ..., flow FROM TO ..., critical FROM TO ... or\n"
    "assign --demand FILE ...) on the base model and on the model with the\n"
    "scenarios applied, and shows both with what changed: values, routes gained and\n"
    "lost, the bottleneck; for assign, totals, corridor volumes and v/c changes.\n"
    "With assign, a -s file in the demand-scaling format (graphs/demand/growth-2024.json)\n"
    "scales the scenario side's demand instead of editing the model.\n"
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

static void routes_side(const char *title, const corridor_model *m, const corridor_answer *a)
{
    const corridor_routes *rs = a->u.routes;
    printf("%s: %s\n", title, corridor_model_name(m));
    if (!rs) {
        printf("  no route (%s)\n", a->err == CORRIDOR_ENOTFOUND ? "none exists" : "error");
        return;
    }
    cli_route_table_head("  ");
    for (size_t i = 0; i < rs->n; i++)
        cli_route_table_row(rs, i, "  ");
}

/* The "best time: A -> B (+D)" line, or what replaced it. */
static void print_best_change(const corridor_comparison *cmp)
{
    corridor_metric by = cmp->by;
    double va = cmp->base_value, vb = cmp->scenario_value;
    char a[64], b[64], dd[64];
    if (isnan(va) && isnan(vb)) {
        printf("  no route in either model\n");
    } else if (isnan(va)) {
        fmt_metric(b, sizeof b, by, vb);
        printf("  a route now exists: best %s %s\n", corridor_metric_name(by), b);
    } else if (isnan(vb)) {
        fmt_metric(a, sizeof a, by, va);
        printf("  no route remains (best %s was %s)\n", corridor_metric_name(by), a);
    } else {
        fmt_metric(a, sizeof a, by, va);
        fmt_metric(b, sizeof b, by, vb);
        fmt_metric(dd, sizeof dd, by, cmp->change);
        printf("  best %s: %s -> %s (%s%s)\n", corridor_metric_name(by), a, b,
               vb < va   ? "-"
               : vb > va ? "+"
                         : "",
               vb == va ? "no change" : dd);
    }
}

static void print_route_changes(const cli *c, const corridor_model *base,
                                const corridor_comparison *cmp, const char *from, const char *to,
                                corridor_commodity carry)
{
    char label[64];
    printf("Route options from %s to %s: %s, by %s, %s\n\n", from, to,
           corridor_commodity_name(carry), corridor_metric_name(cmp->by),
           cli_filter_label(c, label, sizeof label));
    routes_side("Base", base, &cmp->base);
    printf("\n");
    routes_side("Scenario", c->model, &cmp->scenario);
    printf("\nChanges:\n");
    print_best_change(cmp);
    printf("  routes gained: %zu, routes lost: %zu (among the options shown)\n", cmp->n_gained,
           cmp->n_lost);
    for (size_t i = 0; i < cmp->n_gained; i++) {
        printf("  + ");
        print_edges(&cmp->scenario.u.routes->routes[cmp->gained[i]]);
    }
    for (size_t i = 0; i < cmp->n_lost; i++) {
        printf("  - ");
        print_edges(&cmp->base.u.routes->routes[cmp->lost[i]]);
    }
}

static void print_flow_changes(const cli *c, const corridor_model *base,
                               const corridor_comparison *cmp)
{
    const corridor_flow *fa = cmp->base.u.flow, *fb = cmp->scenario.u.flow;
    printf("Base: %s\n", corridor_model_name(base));
    cli_flow_print(c, fa, "  ");
    printf("\nScenario: %s\n", corridor_model_name(c->model));
    cli_flow_print(c, fb, "  ");
    printf("\nChanges:\n");
    if (fa->unbounded || fb->unbounded) {
        printf("  %s\n",
               fa->unbounded == fb->unbounded ? "unbounded in both" : "boundedness changed");
        return;
    }
    char a[64], b[64], dd[64];
    cli_fmt_number(a, sizeof a, fa->value, 0);
    cli_fmt_number(b, sizeof b, fb->value, 0);
    cli_fmt_number(dd, sizeof dd, cmp->change, 0);
    printf("  maximum flow: %s -> %s %s (%s%s)\n", a, b, fa->unit, fb->value > fa->value ? "+" : "",
           fb->value == fa->value ? "no change" : dd);
    for (size_t i = 0; i < cmp->n_elements; i++) {
        const corridor_element_change *e = &cmp->elements[i];
        char ca[64], cb[64];
        cli_fmt_number(ca, sizeof ca, e->base_value, 0);
        cli_fmt_number(cb, sizeof cb, e->scenario_value, 0);
        const char *t = corridor_element_type_name(e->type);
        if (!e->scenario_rank)
            printf("  left the bottleneck: %s %s (%s %s)\n", t, e->id, ca, fa->unit);
        else if (!e->base_rank)
            printf("  joined the bottleneck: %s %s (%s %s)\n", t, e->id, cb, fb->unit);
        else
            printf("  bottleneck %s %s: %s -> %s %s\n", t, e->id, ca, cb, fb->unit);
    }
}

static void print_critical_changes(const corridor_model *base, const corridor_model *scen,
                                   const corridor_comparison *cmp)
{
    printf("Base: %s\n", corridor_model_name(base));
    cli_critical_print(cmp->base.u.critical, 10, "  ");
    printf("\nScenario: %s\n", corridor_model_name(scen));
    cli_critical_print(cmp->scenario.u.critical, 10, "  ");
    printf("\nChanges:\n  single points of failure (disconnect on loss): %zu -> %zu\n",
           cmp->base_disconnects, cmp->scenario_disconnects);
    for (size_t i = 0; i < cmp->n_elements; i++) {
        const corridor_element_change *e = &cmp->elements[i];
        const char *t = corridor_element_type_name(e->type);
        if (!e->base_rank)
            printf("  new: %s %s (rank %zu)\n", t, e->id, e->scenario_rank);
        else if (!e->scenario_rank)
            printf("  gone: %s %s (was rank %zu)\n", t, e->id, e->base_rank);
        else
            printf("  changed: %s %s (rank %zu -> %zu)\n", t, e->id, e->base_rank,
                   e->scenario_rank);
    }
}

/* Compares two answers; prints the comparison as JSON or hands it to the caller. */
static int compare_answers(corridor_comparison **out, const cli *c, const corridor_answer *a,
                           const corridor_answer *b)
{
    int err = corridor_compare(out, a, b);
    if (err < 0)
        return cli_fail(err);
    if (c->format != FMT_JSON)
        return 0;
    char *text = NULL;
    if ((err = corridor_comparison_json(&text, *out)) < 0)
        return cli_fail(err);
    cli_print_json(text);
    return 0;
}

static int compare_route(cli *c, corridor_model *base, int argc, char **argv)
{
    cli_route_query q;
    char **pos = NULL;
    size_t npos = 0;
    corridor_routes *ra = NULL, *rb = NULL;
    corridor_comparison *cmp = NULL;
    cli_route_query_init(&q);
    int rc = cli_parse(c, argc, argv, cli_route_opts, cli_route_opt, &q, help, &pos, &npos);
    if (rc == 0 && npos != 2)
        rc = cli_usage(c, "compare -- route needs FROM and TO");
    if (rc != 0)
        goto done;
    cli_route_query_finish(c, &q);
    /* coordinates become nodes of the base model, so that both sides answer for the same */
    if ((rc = cli_route_snap(c, base, &q, (const char **)&pos[0], (const char **)&pos[1])) != 0)
        goto done;
    corridor_answer a = {CORRIDOR_ANSWER_ROUTES, 0, {NULL}}, b = a;
    a.err = corridor_route_find(&ra, base, pos[0], pos[1], &q.opts);
    b.err = a.err < 0 && a.err != CORRIDOR_ENOTFOUND
                ? 0
                : corridor_route_find(&rb, c->model, pos[0], pos[1], &q.opts);
    int bad = a.err < 0 && a.err != CORRIDOR_ENOTFOUND ? a.err : b.err;
    if (bad < 0 && bad != CORRIDOR_ENOTFOUND) {
        rc = cli_fail(bad);
        goto done;
    }
    a.u.routes = ra;
    b.u.routes = rb;
    if ((rc = compare_answers(&cmp, c, &a, &b)) == 0 && c->format != FMT_JSON)
        print_route_changes(c, base, cmp, pos[0], pos[1], q.opts.filter.carry);
done:
    corridor_comparison_free(cmp);
    corridor_routes_free(ra);
    corridor_routes_free(rb);
    cli_route_query_free(&q);
    free(pos);
    return rc;
}

/*
 * The FROM and TO of compare -- flow / critical: exactly two, the command's filter with its
 * avoid list, and coordinates snapped to nodes of the base model (so that both sides answer
 * for the same places).
 */
static int two_places(cli *c, corridor_model *base, corridor_filter *f, const char **avoid,
                      char **pos, size_t npos, const char *command)
{
    int rc = 0;
    if (npos != 2)
        return cli_usage(c, "compare -- %s needs FROM and TO", command);
    cli_filter(c, f);
    f->avoid = avoid;
    if ((rc = cli_snap_place(c, base, f, (const char **)&pos[0])) == 0)
        rc = cli_snap_place(c, base, f, (const char **)&pos[1]);
    return rc;
}

static int compare_flow(cli *c, corridor_model *base, int argc, char **argv)
{
    char **pos = NULL;
    size_t npos = 0;
    const char **avoid = NULL;
    corridor_flow_opts opts;
    corridor_flow *fa = NULL, *fb = NULL;
    corridor_comparison *cmp = NULL;
    int rc = cli_flow_parse(c, argc, argv, &opts, &avoid, &pos, &npos, help);
    if (rc != 0 || (rc = two_places(c, base, &opts.filter, avoid, pos, npos, "flow")) != 0)
        goto done;
    int err = corridor_flow_max(&fa, base, pos[0], pos[1], &opts);
    if (err == 0)
        err = corridor_flow_max(&fb, c->model, pos[0], pos[1], &opts);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    corridor_answer a = {CORRIDOR_ANSWER_FLOW, 0, {NULL}}, b = a;
    a.u.flow = fa;
    b.u.flow = fb;
    if ((rc = compare_answers(&cmp, c, &a, &b)) == 0 && c->format != FMT_JSON)
        print_flow_changes(c, base, cmp);
done:
    corridor_comparison_free(cmp);
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
    corridor_comparison *cmp = NULL;
    int rc = cli_critical_parse(c, argc, argv, &opts, &avoid, &pos, &npos);
    if (rc != 0 || (rc = two_places(c, base, &opts.filter, avoid, pos, npos, "critical")) != 0)
        goto done;
    int err = corridor_critical_rank(&ka, base, pos[0], pos[1], &opts);
    if (err == 0)
        err = corridor_critical_rank(&kb, c->model, pos[0], pos[1], &opts);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    corridor_answer a = {CORRIDOR_ANSWER_CRITICAL, 0, {NULL}}, b = a;
    a.u.critical = ka;
    b.u.critical = kb;
    if ((rc = compare_answers(&cmp, c, &a, &b)) == 0 && c->format != FMT_JSON)
        print_critical_changes(base, c->model, cmp);
done:
    corridor_comparison_free(cmp);
    corridor_critical_free(ka);
    corridor_critical_free(kb);
    free(avoid);
    free(pos);
    return rc;
}

static void print_assign_changes(const corridor_comparison *cmp)
{
    char a[64], b[64], d[64];
    printf("Changes (base -> scenario):\n");
    for (size_t i = 0; i < cmp->n_assign_changes; i++) {
        const corridor_assign_change *r = &cmp->assign_changes[i];
        cli_fmt_number(a, sizeof a, r->base_volume, 0);
        cli_fmt_number(b, sizeof b, r->scenario_volume, 0);
        cli_fmt_number(d, sizeof d, r->scenario_volume - r->base_volume, 0);
        if (!r->corridor) {
            char h1[64], h2[64];
            cli_fmt_number(h1, sizeof h1, r->base_unit_h, 0);
            cli_fmt_number(h2, sizeof h2, r->scenario_unit_h, 0);
            printf("  %-8s served %s -> %s; volume x hours %s -> %s\n",
                   corridor_commodity_name(r->carry), a, b, h1, h2);
        }
    }
    printf("Corridors (busiest edge volume):\n");
    for (size_t i = 0; i < cmp->n_assign_changes; i++) {
        const corridor_assign_change *r = &cmp->assign_changes[i];
        if (!r->corridor)
            continue;
        cli_fmt_number(a, sizeof a, r->base_volume, 0);
        cli_fmt_number(b, sizeof b, r->scenario_volume, 0);
        cli_fmt_number(d, sizeof d, r->scenario_volume - r->base_volume, 0);
        printf("  %-28s %-7s %15s -> %15s  (%s)\n", r->corridor, corridor_commodity_name(r->carry),
               a, b, d);
    }
    printf("Elements whose v/c changed (by scenario v/c):\n");
    for (size_t i = 0; i < cmp->n_elements && i < 15; i++) {
        const corridor_element_change *e = &cmp->elements[i];
        printf("  %-4s  %-30s %5.2f -> %5.2f%s\n", corridor_element_type_name(e->type), e->id,
               e->base_value, e->scenario_value,
               e->scenario_value > 1 && !(e->base_value > 1)   ? "  now over capacity"
               : e->base_value > 1 && !(e->scenario_value > 1) ? "  relieved"
                                                               : "");
    }
    if (cmp->n_elements > 15)
        printf("  ... %zu more (--format json lists all)\n", cmp->n_elements - 15);
}

/* -s files that are demand-scaling files (compare -- assign): the scenario side's demand. */
static const char **demand_scales;
static size_t n_demand_scales;

/* 1 if the file at path is a demand-scaling file ("format": "corridor-demand-scale"). */
static int is_demand_scale(const char *path)
{
    char buf[4096];
    FILE *f = strcmp(path, "-") == 0 ? NULL : fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, "\"corridor-demand-scale\"") != NULL;
}

/* Moves the demand-scaling files out of c->scenarios (they scale the scenario's demand). */
static int split_demand_scales(cli *c)
{
    size_t k = 0;
    for (size_t i = 0; i < c->n_scenarios; i++) {
        if (is_demand_scale(c->scenarios[i])) {
            int rc = cli_list_add(&demand_scales, &n_demand_scales, c->scenarios[i]);
            if (rc != 0)
                return rc;
        } else {
            c->scenarios[k++] = c->scenarios[i];
        }
    }
    c->n_scenarios = k;
    return 0;
}

/*
 * compare -- assign --demand D ...: the same demand on the base and the scenario model; a -s
 * demand-scaling file scales the scenario side's demand only.
 */
static int compare_assign(cli *c, corridor_model *base, int argc, char **argv)
{
    cli_assign_query q;
    char **pos = NULL;
    size_t npos = 0;
    corridor_assignment *aa = NULL, *ab = NULL;
    corridor_comparison *cmp = NULL;
    corridor_model *scen = c->model;
    const char **scale = NULL;
    size_t n_scale = 0;
    int rc = cli_assign_parse(c, argc, argv, &q, &pos, &npos, help);
    if (rc == 0 && npos)
        rc = cli_usage(c, "compare -- assign takes no places: give --demand FILE");
    if (rc == 0 && q.output)
        rc = cli_usage(c, "compare -- assign writes no GIS layer: run assign -o FILE on each "
                          "model instead");
    if (rc != 0)
        goto done;
    c->model = base;
    rc = cli_assign_run(c, &q, &aa);
    c->model = scen;
    for (size_t i = 0; rc == 0 && i < q.n_scale + n_demand_scales; i++)
        rc = cli_list_add(&scale, &n_scale,
                          i < q.n_scale ? q.scale[i] : demand_scales[i - q.n_scale]);
    if (rc != 0)
        goto done;
    const char **own = q.scale;
    size_t n_own = q.n_scale;
    q.scale = scale;
    q.n_scale = n_scale;
    rc = cli_assign_run(c, &q, &ab);
    q.scale = own;
    q.n_scale = n_own;
    if (rc != 0)
        goto done;
    corridor_answer a = {CORRIDOR_ANSWER_ASSIGNMENT, 0, {NULL}}, b = a;
    a.u.assignment = aa;
    b.u.assignment = ab;
    if ((rc = compare_answers(&cmp, c, &a, &b)) == 0 && c->format != FMT_JSON) {
        printf("== Base\n");
        cli_assign_print(c, aa, 8, "  ");
        printf("== Scenario\n");
        cli_assign_print(c, ab, 8, "  ");
        print_assign_changes(cmp);
    }
    if (rc == 0 && (!aa->complete || !ab->complete))
        rc = EXIT_LIMIT;
done:
    c->model = scen;
    free(scale);
    corridor_comparison_free(cmp);
    corridor_assignment_free(aa);
    corridor_assignment_free(ab);
    cli_assign_query_free(&q);
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
    else if (strcmp(query, "assign") == 0)
        run = compare_assign;
    else
        return cli_usage(
            c, "compare: unknown query '%s' (expected route, flow, critical or assign)", query);
    if (run == compare_assign && (rc = split_demand_scales(c)) != 0)
        goto done;
    if ((rc = load_both(c, &base)) != 0)
        goto done;
    rc = run(c, base, argc - split - 2, argv + split + 2);
done:
    corridor_model_free(base);
    free(demand_scales);
    demand_scales = NULL;
    n_demand_scales = 0;
    return rc;
}
