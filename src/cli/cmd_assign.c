/* cmd_assign.c: `corridor assign`, demand loaded on the network (all or nothing, equilibrium). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... assign --demand FILE [options]\n"
    "\n"
    "Loads a demand table (CSV origin,destination,commodity,quantity[,unit,tags,via]\n"
    "or JSON; quantities per year in the model's unit) on the network: each commodity\n"
    "on the edges that carry it, routes as `route` makes them. `ue` (default) finds the\n"
    "user equilibrium where edge times, and the dwell at nodes with a capacity, grow\n"
    "as t0 (1 + alpha (v/c)^beta), by bi-conjugate Frank-Wolfe to the relative gap.\n"
    "\n"
    "Options:\n"
    "  --demand FILE        the demand table (required; - for standard input)\n"
    "  --method M           ue (default), aon (all or nothing), fw (plain Frank-Wolfe)\n"
    "  --by METRIC          route choice: time (default), cost, distance or co2\n"
    "  --value-of-time USD  with --by cost: generalised cost = cost + USD per hour x time\n"
    "  --gap G              relative gap to reach (default 1e-4)\n"
    "  --max-iter N         iterations at most (default 1000; exit 5 if the gap is not met)\n"
    "  --alpha A, --beta B  BPR parameters (default 0.15 and 4) where the model gives\n"
    "                       none: an element's bpr_alpha, bpr_beta, then its mode's come first\n"
    "  --scale-demand S     FACTOR, KEY=VALUE[,KEY=VALUE]:FACTOR (keys commodity, origin,\n"
    "                       destination, tag) or a scaling file (.json); repeatable\n"
    "  --avoid TARGET       leave out [node:|edge:|country:|corridor:|mode:]ID (repeatable)\n"
    "  --paths              the routes of each OD pair and their shares\n"
    "  --top N              table: the N most loaded elements (default 15)\n"
    "  -o, --output FILE    also write a GIS layer of the result: loaded edges as lines,\n"
    "                       nodes with a capacity as points, volume, capacity, v/c and\n"
    "                       times per commodity; the format by FILE's extension: .gpkg\n"
    "                       (layers edges, nodes), .geojson (one collection), .shp, .fgb\n"
    "                       (FILE-edges.EXT, FILE-nodes.EXT) or any GDAL vector format\n"
    "  --to FORMAT          the GIS format of -o (a GDAL driver or export's names)\n"
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   as for every command\n"
    "  --format FMT         table (default), json or csv (standard output)\n"
    "\n"
    "Exit codes: 0 done, 2 usage, 3 invalid model, scenario or demand, 4 input/output,\n"
    "5 the iteration cap was reached before the gap (the answer is printed).\n";

static const cli_opt assign_opts[] = {
    {"demand", 0, 1, 1},        {"method", 0, 1, 2}, {"by", 0, 1, 3},
    {"value-of-time", 0, 1, 4}, {"gap", 0, 1, 5},    {"max-iter", 0, 1, 6},
    {"alpha", 0, 1, 7},         {"beta", 0, 1, 8},   {"scale-demand", 0, 1, 9},
    {"avoid", 0, 1, 10},        {"paths", 0, 0, 11}, {"top", 0, 1, 12},
    {"output", 'o', 1, 13},     {"to", 0, 1, 14},    {NULL, 0, 0, 0}};

/* Parses a finite number >= 0 (or >= min_one: 1). */
static int parse_num(cli *c, const char *opt, const char *arg, double min, double *out)
{
    char *end = NULL;
    errno = 0;
    *out = strtod(arg, &end);
    if (errno || !*arg || *end || !isfinite(*out) || *out < min)
        return cli_usage(c, "--%s: expected a number >= %g, got \"%s\"", opt, min, arg);
    return 0;
}

static int assign_opt(cli *c, void *ud, int id, const char *arg)
{
    cli_assign_query *q = ud;
    switch (id) {
    case 1:
        q->demand = arg;
        return 0;
    case 2:
        if (corridor_assign_method_parse(&q->opts.method, arg) < 0)
            return cli_usage(c, "--method: %s", corridor_error_message());
        return 0;
    case 3:
        if (corridor_metric_parse(&q->opts.by, arg) < 0)
            return cli_usage(c, "--by: %s", corridor_error_message());
        return 0;
    case 4:
        return parse_num(c, "value-of-time", arg, 0, &q->opts.value_of_time);
    case 5:
        return parse_num(c, "gap", arg, 0, &q->opts.gap);
    case 6:
        return cli_parse_size(c, "--max-iter", arg, &q->opts.max_iter);
    case 7:
        return parse_num(c, "alpha", arg, 0, &q->opts.alpha);
    case 8:
        return parse_num(c, "beta", arg, 1, &q->opts.beta);
    case 9:
        return cli_list_add(&q->scale, &q->n_scale, arg);
    case 10:
        return cli_list_add(&q->avoid, &q->opts.filter.n_avoid, arg);
    case 11:
        q->opts.keep_paths = 1;
        return 0;
    case 12:
        return cli_parse_size(c, "--top", arg, &q->top);
    case 13:
        q->output = arg;
        return 0;
    case 14:
        q->gis_format = arg;
        return 0;
    default:
        return 0;
    }
}

int cli_assign_parse(cli *c, int argc, char **argv, cli_assign_query *q, char ***pos, size_t *npos,
                     const char *usage)
{
    corridor_assign_opts init = CORRIDOR_ASSIGN_OPTS_INIT;
    memset(q, 0, sizeof *q);
    q->opts = init;
    q->top = 15;
    int rc = cli_parse(c, argc, argv, assign_opts, assign_opt, q, usage ? usage : help, pos, npos);
    if (rc == 0 && !q->demand)
        rc = cli_usage(c, "assign needs --demand FILE");
    return rc;
}

void cli_assign_query_free(cli_assign_query *q)
{
    free(q->scale);
    free(q->avoid);
    memset(q, 0, sizeof *q);
}

static void print_diags(const corridor_diags *d)
{
    for (size_t i = 0; i < corridor_diags_count(d); i++)
        cli_err("%s", corridor_diags_line(d, i));
}

/* Applies one --scale-demand: a file if it ends in .json, else a spec. */
static int scale_one(corridor_demand *dem, const char *spec)
{
    size_t len = strlen(spec), hit = 0;
    int err = 0;
    if (len > 5 && strcmp(spec + len - 5, ".json") == 0) {
        corridor_diags *d = NULL;
        if ((err = corridor_diags_new(&d)) == 0)
            err = corridor_demand_scale_file(dem, spec, d, &hit);
        print_diags(d);
        size_t errors = corridor_diags_errors(d);
        corridor_diags_free(d);
        if (err == CORRIDOR_EINVALID && errors)
            return EXIT_INVALID;
    } else {
        err = corridor_demand_scale(dem, spec, &hit);
    }
    if (err < 0)
        return cli_fail(err);
    if (hit == 0)
        cli_err("warning: --scale-demand %s matches no demand row", spec);
    return 0;
}

int cli_assign_run(cli *c, cli_assign_query *q, corridor_assignment **out)
{
    corridor_diags *d = NULL;
    corridor_demand *dem = NULL;
    int rc = 0, err = corridor_diags_new(&d);
    *out = NULL;
    if (err < 0)
        return cli_fail(err);
    if (strcmp(q->demand, "-") == 0) { /* standard input */
        const char *text = NULL;
        size_t len = 0;
        if ((rc = cli_read_stdin(c, q->demand, &text, &len)) != 0) {
            corridor_diags_free(d);
            return rc;
        }
        err = corridor_demand_load_string(&dem, text, len, CLI_STDIN_NAME, c->model, d);
    } else {
        err = corridor_demand_load_file(&dem, q->demand, c->model, d);
    }
    print_diags(d);
    size_t errors = corridor_diags_errors(d);
    corridor_diags_free(d);
    if (err < 0) {
        rc = err == CORRIDOR_EINVALID && errors ? EXIT_INVALID : cli_fail(err);
        goto done;
    }
    for (size_t i = 0; i < q->n_scale; i++)
        if ((rc = scale_one(dem, q->scale[i])) != 0)
            goto done;
    cli_filter(c, &q->opts.filter);
    q->opts.filter.carry = CORRIDOR_CARRY_ANY;
    q->opts.filter.avoid = q->avoid;
    if ((err = corridor_assign(out, c->model, dem, &q->opts)) < 0)
        rc = cli_fail(err);
done:
    corridor_demand_free(dem);
    return rc;
}

/* ------------------------------------------------------------------ output */

static int cmp_load(const void *x, const void *y)
{
    const corridor_assign_element *a = *(const corridor_assign_element *const *)x;
    const corridor_assign_element *b = *(const corridor_assign_element *const *)y;
    if (a->vc != b->vc)
        return a->vc > b->vc ? -1 : 1;
    if (a->volume != b->volume)
        return a->volume > b->volume ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* A volume with as many decimals as its size needs (bcm/yr and t/yr alike). */
static void fmt_volume(char *buf, size_t n, double v)
{
    double a = fabs(v);
    cli_fmt_number(buf, n, v, a >= 1000 || a == 0 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
}

static const char *unit_of(const corridor_assignment *a, corridor_commodity carry)
{
    for (size_t i = 0; i < a->n_totals; i++)
        if (a->totals[i].carry == carry)
            return a->totals[i].unit;
    return "";
}

static void print_totals(const corridor_assignment *a, const char *prefix)
{
    char b1[64], b2[64], b3[64], b4[64], b5[64];
    for (size_t i = 0; i < a->n_totals; i++) {
        const corridor_assign_total *t = &a->totals[i];
        fmt_volume(b1, sizeof b1, t->demand);
        fmt_volume(b2, sizeof b2, t->unserved);
        cli_fmt_number(b3, sizeof b3, t->unit_km, 0);
        cli_fmt_number(b4, sizeof b4, t->unit_h, 0);
        cli_fmt_number(b5, sizeof b5, t->cost_usd, 0);
        printf("%s%-8s demand %s %s, unserved %s; %s %s x km, %s %s x h, cost %s USD\n", prefix,
               corridor_commodity_name(t->carry), b1, t->unit, b2, b3, t->unit, b4, t->unit, b5);
        if (a->method == CORRIDOR_ASSIGN_AON)
            printf("%s         all or nothing; relative gap of this loading %.2e\n", prefix,
                   t->gap);
        else
            printf("%s         %zu iteration%s, relative gap %.2e (%s %.0e)\n", prefix,
                   t->iterations, t->iterations == 1 ? "" : "s", t->gap,
                   t->converged ? "reached" : "NOT reached:", a->gap_target);
    }
}

static void print_elements(const corridor_assignment *a, size_t top, const char *prefix)
{
    const corridor_assign_element **order = malloc((a->n_elements + 1) * sizeof *order);
    char v[64], cap[64], t0[32], t1[32];
    if (!order)
        return;
    for (size_t i = 0; i < a->n_elements; i++)
        order[i] = &a->elements[i];
    qsort(order, a->n_elements, sizeof *order, cmp_load);
    size_t n = a->n_elements < top ? a->n_elements : top;
    printf("%sMost loaded elements (%zu of %zu, by v/c then volume):\n", prefix, n, a->n_elements);
    printf("%s  %-4s  %-30s %-7s %15s %15s %6s %9s %9s\n", prefix, "type", "id", "carry", "volume",
           "capacity", "v/c", "time0 h", "time h");
    for (size_t i = 0; i < n; i++) {
        const corridor_assign_element *e = order[i];
        fmt_volume(v, sizeof v, e->volume);
        if (e->capacity < INFINITY)
            fmt_volume(cap, sizeof cap, e->capacity);
        else
            snprintf(cap, sizeof cap, "-");
        snprintf(t0, sizeof t0, "%.1f", e->time0);
        snprintf(t1, sizeof t1, "%.1f", e->time);
        char vc[16];
        if (e->capacity < INFINITY)
            snprintf(vc, sizeof vc, "%.2f", e->vc);
        else
            snprintf(vc, sizeof vc, "-");
        printf("%s  %-4s  %-30s %-7s %15s %15s %6s %9s %9s%s\n", prefix, e->type, e->id,
               corridor_commodity_name(e->carry), v, cap, vc, t0, t1, e->vc > 1 ? "  over" : "");
    }
    free(order);
}

static void print_corridors(const corridor_assignment *a, const char *prefix)
{
    char v[64], k[64];
    if (a->n_corridors == 0)
        return;
    printf("%sCorridors (busiest edge, volume x km):\n", prefix);
    for (size_t i = 0; i < a->n_corridors; i++) {
        const corridor_assign_corridor *c = &a->corridors[i];
        fmt_volume(v, sizeof v, c->max_volume);
        cli_fmt_number(k, sizeof k, c->unit_km, 0);
        printf("%s  %-28s %-7s %15s %-7s %18s\n", prefix, c->id, corridor_commodity_name(c->carry),
               v, unit_of(a, c->carry), k);
    }
}

/* 1 if another route of the pair passes the same nodes (it differs by a parallel edge). */
static int same_nodes_elsewhere(const corridor_assign_od *d, size_t k)
{
    const corridor_assign_path *p = &d->paths[k];
    for (size_t i = 0; i < d->n_paths; i++) {
        const corridor_assign_path *q = &d->paths[i];
        size_t j = 0;
        if (i == k || q->n_edges != p->n_edges)
            continue;
        for (; j <= p->n_edges && strcmp(p->nodes[j], q->nodes[j]) == 0; j++)
            ;
        if (j > p->n_edges)
            return 1;
    }
    return 0;
}

static void print_unserved_and_paths(const corridor_assignment *a, const char *prefix)
{
    char q[64];
    size_t n_un = 0;
    for (size_t i = 0; i < a->n_ods; i++)
        n_un += !a->ods[i].served;
    if (n_un)
        printf("%sUnserved demand (no route):\n", prefix);
    for (size_t i = 0; i < a->n_ods; i++) {
        const corridor_assign_od *d = &a->ods[i];
        if (d->served)
            continue;
        fmt_volume(q, sizeof q, d->quantity);
        printf("%s  row %zu  %s -> %s  %s %s %s\n", prefix, d->row + 1, d->from, d->to, q,
               unit_of(a, d->carry), corridor_commodity_name(d->carry));
    }
    for (size_t i = 0; i < a->n_ods; i++) {
        const corridor_assign_od *d = &a->ods[i];
        if (!d->n_paths)
            continue;
        fmt_volume(q, sizeof q, d->quantity);
        printf("%s%s -> %s (%s, %s %s):\n", prefix, d->from, d->to,
               corridor_commodity_name(d->carry), q, unit_of(a, d->carry));
        for (size_t k = 0; k < d->n_paths; k++) {
            const corridor_assign_path *p = &d->paths[k];
            printf("%s  %5.1f%%  %10.1f  ", prefix, 100 * p->share, p->cost);
            if (same_nodes_elsewhere(d, k)) /* parallel edges: the edges tell them apart */
                for (size_t j = 0; j < p->n_edges; j++)
                    printf("%s[%s]", j ? " " : "", p->edges[j]);
            else
                for (size_t j = 0; j < p->n_edges + 1; j++)
                    printf("%s%s", j ? " > " : "", p->nodes[j]);
            printf("\n");
        }
    }
}

void cli_assign_print(const cli *c, const corridor_assignment *a, size_t top, const char *prefix)
{
    char label[64];
    printf("%sAssignment (%s, by %s%s; %s)\n", prefix, corridor_assign_method_name(a->method),
           corridor_metric_name(a->by), a->value_of_time > 0 ? " with value of time" : "",
           cli_filter_label(c, label, sizeof label));
    print_totals(a, prefix);
    print_corridors(a, prefix);
    print_elements(a, top, prefix);
    print_unserved_and_paths(a, prefix);
}

static void print_csv(const corridor_assignment *a, int paths)
{
    if (paths) {
        printf("origin,destination,from,to,carry,quantity,served,share,cost,edges\n");
        for (size_t i = 0; i < a->n_ods; i++) {
            const corridor_assign_od *d = &a->ods[i];
            for (size_t k = 0; k < (d->n_paths ? d->n_paths : 1); k++) {
                const char *f[] = {d->origin, d->destination, d->from, d->to};
                for (size_t j = 0; j < 4; j++) {
                    cli_csv_field(stdout, f[j]);
                    putchar(',');
                }
                printf("%s,%.10g,%d,", corridor_commodity_name(d->carry), d->quantity, d->served);
                if (!d->n_paths) {
                    printf(",,\n");
                    continue;
                }
                printf("%.10g,%.10g,", d->paths[k].share, d->paths[k].cost);
                for (size_t j = 0; j < d->paths[k].n_edges; j++)
                    printf("%s%s", j ? ";" : "", d->paths[k].edges[j]);
                putchar('\n');
            }
        }
        return;
    }
    printf("type,id,carry,volume,volume_forward,volume_backward,capacity,vc,time0_h,time_h,"
           "bpr_alpha,bpr_beta\n");
    for (size_t i = 0; i < a->n_elements; i++) {
        const corridor_assign_element *e = &a->elements[i];
        printf("%s,", e->type);
        cli_csv_field(stdout, e->id);
        printf(",%s,%.10g,%.10g,%.10g,", corridor_commodity_name(e->carry), e->volume,
               e->volume_forward, e->volume_backward);
        if (e->capacity < INFINITY)
            printf("%.10g,%.6g,", e->capacity, e->vc);
        else
            printf(",,");
        printf("%.6g,%.6g,", e->time0, e->time);
        if (e->capacity < INFINITY) /* BPR applies with a capacity only */
            printf("%.10g,%.10g\n", e->alpha, e->beta);
        else
            printf(",\n");
    }
}

/* Checks -o FILE before anything runs: a GIS format, not an input of this command. */
static int check_gis_output(cli *c, const cli_assign_query *q)
{
    const char *ext = cli_path_ext(q->output);
    char *first = NULL, *second = NULL;
    if (strcmp(q->output, "-") == 0)
        return cli_usage(c, "assign -o writes GIS files through GDAL: give -o FILE, not - (the "
                            "answer itself goes to standard output)");
    if (!q->gis_format && ext && (strcmp(ext, "json") == 0 || strcmp(ext, "csv") == 0))
        return cli_usage(c,
                         "-o %s: -o writes a GIS layer (.gpkg, .geojson, .shp, ...); for the "
                         "assignment as %s, use --format %s > %s",
                         q->output, ext, ext, q->output);
    int err = corridor_assignment_gis_paths(&first, &second, q->output, q->gis_format);
    if (err == CORRIDOR_EUSAGE)
        return cli_usage(c, "-o: %s", corridor_error_message());
    if (err < 0)
        return cli_fail(err);
    const char *inputs[1] = {q->demand};
    int rc = cli_check_output(c, first, inputs, strcmp(q->demand, "-") ? 1 : 0);
    if (rc == 0 && second)
        rc = cli_check_output(c, second, inputs, strcmp(q->demand, "-") ? 1 : 0);
    corridor_free(first);
    corridor_free(second);
    return rc;
}

/* Writes the GIS layer of -o and says what it wrote. */
static int write_gis(cli *c, const cli_assign_query *q, const corridor_assignment *a)
{
    size_t ne = 0, nn = 0;
    int err = corridor_assignment_write_gis(&ne, &nn, a, c->model, q->output, q->gis_format);
    if (err < 0)
        return cli_fail(err);
    cli_err("wrote %s: %zu edge%s, %zu node%s (loaded elements, one per commodity)", q->output, ne,
            ne == 1 ? "" : "s", nn, nn == 1 ? "" : "s");
    return 0;
}

int cmd_assign(cli *c, int argc, char **argv)
{
    char **pos = NULL;
    size_t npos = 0;
    cli_assign_query q;
    corridor_assignment *a = NULL;
    int rc = cli_assign_parse(c, argc, argv, &q, &pos, &npos, NULL);
    if (rc != 0)
        goto done;
    if (npos != 0) {
        rc = cli_usage(c, "assign takes no places (got \"%s\"): give --demand FILE", pos[0]);
        goto done;
    }
    if (strcmp(q.demand, "-") == 0 && (rc = cli_claim_stdin(c, q.demand)) != 0)
        goto done;
    if (q.output && (rc = check_gis_output(c, &q)) != 0)
        goto done;
    if ((rc = cli_load(c)) != 0 || (rc = cli_assign_run(c, &q, &a)) != 0)
        goto done;
    if (c->format == FMT_JSON) {
        char *text = NULL;
        int err = corridor_assignment_json(&text, a);
        if (err < 0) {
            rc = cli_fail(err);
            goto done;
        }
        cli_print_json(text);
    } else if (c->format == FMT_CSV) {
        print_csv(a, q.opts.keep_paths);
    } else {
        cli_assign_print(c, a, q.top, "");
    }
    for (size_t i = 0; i < a->n_totals; i++)
        if (a->totals[i].approximate_routes)
            cli_err(
                "warning: %s: %zu route%s of walks that visit a node twice could not be settled "
                "exactly (search cap): their loops were cut",
                corridor_commodity_name(a->totals[i].carry), a->totals[i].approximate_routes,
                a->totals[i].approximate_routes == 1 ? "" : "s");
    fflush(stdout);
    if (q.output && (rc = write_gis(c, &q, a)) != 0)
        goto done;
    if (!a->complete) {
        cli_err("the gap %.0e was not reached in %zu iterations: raise --max-iter or --gap",
                q.opts.gap, q.opts.max_iter);
        rc = EXIT_LIMIT;
    }
done:
    corridor_assignment_free(a);
    cli_assign_query_free(&q);
    free(pos);
    return rc;
}
