/* test_assign.c: assignment: all or nothing by hand, equilibria solved by hand, an independent MSA.
 */
#include "testutil.h"

#include <cJSON.h>
#include <math.h>

/* |a - b| <= tol, printing both values when it fails */
#define assert_double_equal(a, b, tol)                                                             \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (tol)))                                                             \
            print_message("%s = %.12g, expected %.12g\n", #a, a_, b_);                             \
        assert_true(fabs(a_ - b_) <= (tol));                                                       \
    } while (0)

/* ------------------------------------------------------------- helpers */

typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->n + (size_t)k + 1 > b->cap) {
        b->cap = 2 * (b->n + (size_t)k + 1);
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

static corridor_demand *demand(const corridor_model *m, const char *csv)
{
    corridor_demand *d = NULL;
    corridor_diags *dg = NULL;
    assert_int_equal(corridor_diags_new(&dg), 0);
    int err = corridor_demand_load_string(&d, csv, strlen(csv), "demand", m, dg);
    for (size_t i = 0; i < corridor_diags_count(dg); i++)
        print_message("%s\n", corridor_diags_line(dg, i));
    corridor_diags_free(dg);
    assert_int_equal(err, 0);
    return d;
}

static const corridor_assign_element *element(const corridor_assignment *a, const char *type,
                                              const char *id)
{
    for (size_t i = 0; i < a->n_elements; i++)
        if (strcmp(a->elements[i].type, type) == 0 && strcmp(a->elements[i].id, id) == 0)
            return &a->elements[i];
    return NULL;
}

static double volume(const corridor_assignment *a, const char *id)
{
    const corridor_assign_element *e = element(a, "edge", id);
    return e ? e->volume : 0.0;
}

static corridor_assignment *run(const corridor_model *m, const corridor_demand *d,
                                corridor_assign_opts *o)
{
    corridor_assignment *a = NULL;
    int err = corridor_assign(&a, m, d, o);
    if (err)
        print_message("%s\n", corridor_error_message());
    assert_int_equal(err, 0);
    return a;
}

/* ------------------------------------------------------ all or nothing */

/* o -> d directly (10 h, 100 km) or via m (4 h + dwell 2 h at m + 3 h, 70 km): 9 h wins. */
static const char *const small_model =
    "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"aon\","
    " \"nodes\": [{\"id\": \"o\", \"kind\": \"city\"}, {\"id\": \"m\", \"kind\": \"city\","
    "             \"dwell\": {\"time_h\": 2}}, {\"id\": \"d\", \"kind\": \"city\"}],"
    " \"edges\": ["
    "  {\"id\": \"od\", \"from\": \"o\", \"to\": \"d\", \"mode\": \"road\", \"time_h\": 10,"
    "   \"distance_km\": 100, \"cost_usd\": 5, \"capacity\": {\"freight\": 1000}},"
    "  {\"id\": \"om\", \"from\": \"o\", \"to\": \"m\", \"mode\": \"road\", \"time_h\": 4,"
    "   \"distance_km\": 40, \"cost_usd\": 1, \"capacity\": {\"freight\": 100}},"
    "  {\"id\": \"md\", \"from\": \"m\", \"to\": \"d\", \"mode\": \"road\", \"time_h\": 3,"
    "   \"distance_km\": 30, \"cost_usd\": 1}]}";

static void test_aon_by_hand(void **state)
{
    (void)state;
    corridor_model *m = test_model(small_model);
    corridor_demand *d = demand(m, "origin,destination,commodity,quantity\n"
                                   "o,d,freight,300\n"
                                   "d,o,freight,50\n");
    corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
    o.method = CORRIDOR_ASSIGN_AON;
    corridor_assignment *a = run(m, d, &o);
    assert_double_equal(volume(a, "od"), 0, 1e-9);
    assert_double_equal(volume(a, "om"), 350, 1e-9);
    const corridor_assign_element *om = element(a, "edge", "om");
    assert_double_equal(om->volume_forward, 300, 1e-9);
    assert_double_equal(om->volume_backward, 50, 1e-9);
    assert_double_equal(om->vc, 3.0, 1e-12); /* the larger direction over the capacity */
    /* loaded time of the more loaded direction: 4 (1 + 0.15 * 3^4) */
    assert_double_equal(om->time, 4 * (1 + 0.15 * 81), 1e-9);
    assert_double_equal(element(a, "node", "m")->volume, 350, 1e-9);
    assert_int_equal(a->n_totals, 1);
    assert_double_equal(a->totals[0].unit_km, 350 * 70, 1e-6);
    /* cost: edges 2 USD per unit, no dwell cost */
    assert_double_equal(a->totals[0].cost_usd, 350 * 2, 1e-6);
    assert_int_equal(a->n_ods, 2);
    /* the cheapest route at the loaded times is now the direct one */
    assert_double_equal(a->ods[0].cost, 10, 1e-9);
    assert_true(a->totals[0].gap > 0.5); /* far from equilibrium */

    /* by cost the direct edge (5 USD) loses too (2 USD); by distance the via route wins (70 km) */
    corridor_assignment_free(a);
    o.by = CORRIDOR_BY_DISTANCE;
    a = run(m, d, &o);
    assert_double_equal(volume(a, "om"), 350, 1e-9);
    corridor_assignment_free(a);
    corridor_demand_free(d);
    corridor_model_free(m);
}

/* The cost of an assignment's OD pair equals the best route of `route` at free flow. */
static void test_aon_matches_route(void **state)
{
    (void)state;
    corridor_model *m = test_load_file("graphs/caspian.json");
    corridor_demand *d = NULL;
    assert_int_equal(corridor_demand_load_file(&d, "graphs/demand/caspian-2024.csv", m, NULL), 0);
    corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
    o.method = CORRIDOR_ASSIGN_AON;
    o.alpha = 0; /* free-flow times */
    o.keep_paths = 1;
    corridor_assignment *a = run(m, d, &o);
    assert_true(a->n_ods >= 10);
    for (size_t i = 0; i < a->n_ods; i++) {
        corridor_route_opts ro = CORRIDOR_ROUTE_OPTS_INIT;
        corridor_routes *rs = NULL;
        ro.k = 1;
        ro.filter.carry = a->ods[i].carry;
        assert_int_equal(corridor_route_find(&rs, m, a->ods[i].from, a->ods[i].to, &ro), 0);
        assert_double_equal(a->ods[i].cost, rs->routes[0].metric[CORRIDOR_BY_TIME], 1e-6);
        assert_int_equal(a->ods[i].n_paths, 1);
        assert_int_equal(a->ods[i].paths[0].n_edges, rs->routes[0].n_edges);
        corridor_routes_free(rs);
    }
    corridor_assignment_free(a);
    corridor_demand_free(d);
    corridor_model_free(m);
}

/*
 * The cheapest walk o -rail- a -rail- c (transfer 1) -sea- a -sea- d visits a twice; the route
 * semantics forbid it, so the simple route o -rail- a -sea- d (transfer 100 at a) is taken.
 */
static void test_walk_with_loop_falls_back(void **state)
{
    (void)state;
    corridor_model *m = test_model(
        "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"loop\","
        " \"nodes\": [{\"id\": \"o\", \"kind\": \"city\"},"
        "  {\"id\": \"a\", \"kind\": \"port\", \"transfer\": {\"time_h\": 100}},"
        "  {\"id\": \"c\", \"kind\": \"port\", \"transfer\": {\"time_h\": 1}},"
        "  {\"id\": \"d\", \"kind\": \"city\"}],"
        " \"edges\": ["
        "  {\"id\": \"oa\", \"from\": \"o\", \"to\": \"a\", \"mode\": \"rail\", \"time_h\": 1},"
        "  {\"id\": \"ac\", \"from\": \"a\", \"to\": \"c\", \"mode\": \"rail\", \"time_h\": 1},"
        "  {\"id\": \"ca\", \"from\": \"c\", \"to\": \"a\", \"mode\": \"sea\", \"time_h\": 1},"
        "  {\"id\": \"ad\", \"from\": \"a\", \"to\": \"d\", \"mode\": \"sea\", \"time_h\": 1}]}");
    corridor_demand *d = demand(m, "origin,destination,commodity,quantity\no,d,freight,10\n");
    corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
    o.keep_paths = 1;
    corridor_assignment *a = run(m, d, &o);
    assert_double_equal(a->ods[0].cost, 102, 1e-9);
    assert_double_equal(volume(a, "ac"), 0, 1e-12);
    assert_double_equal(volume(a, "ad"), 10, 1e-12);
    assert_int_equal(a->ods[0].paths[0].n_edges, 2);
    corridor_assignment_free(a);
    corridor_demand_free(d);
    corridor_model_free(m);
}

/* A via column forces the route through a place; legs may meet again (out and back). */
static void test_via(void **state)
{
    (void)state;
    corridor_model *m = test_model(small_model);
    corridor_demand *d = demand(m, "origin,destination,commodity,quantity,via\n"
                                   "o,d,freight,10,\n"
                                   "d,o,freight,20,m\n"
                                   "o,o,freight,5,d\n");
    corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
    o.method = CORRIDOR_ASSIGN_AON;
    o.alpha = 0;
    o.keep_paths = 1;
    corridor_assignment *a = run(m, d, &o);
    assert_int_equal(a->n_ods, 3);
    /* o -> d: via m is 4 + 2 + 3 = 9 h, cheaper than the direct 10 h */
    assert_double_equal(a->ods[0].cost, 9, 1e-9);
    assert_double_equal(a->ods[1].cost, 9, 1e-9); /* d -> m -> o, dwell at m */
    /* o -> d -> o: each leg takes m (9 h), and d is an intermediate node without dwell */
    assert_double_equal(a->ods[2].cost, 18, 1e-9);
    assert_int_equal(a->ods[2].paths[0].n_edges, 4);
    assert_string_equal(a->ods[2].paths[0].nodes[2], "d");
    assert_double_equal(volume(a, "om"), 10 + 20 + 2 * 5, 1e-9);
    assert_double_equal(element(a, "node", "m")->volume, 10 + 20 + 2 * 5, 1e-9);
    assert_int_equal(a->totals[0].approximate_routes, 0);
    corridor_assignment_free(a);
    corridor_demand_free(d);

    /* a via place that does not exist */
    const char *bad = "origin,destination,commodity,quantity,via\no,d,freight,1,m;zz\n";
    corridor_diags *dg = NULL;
    assert_int_equal(corridor_diags_new(&dg), 0);
    assert_int_equal(corridor_demand_load_string(&d, bad, strlen(bad), "v.csv", m, dg),
                     CORRIDOR_EINVALID);
    /* run-time place errors name the model (issue 15) */
    assert_true(strncmp(corridor_diags_line(dg, 0), "v.csv:2: via: unknown place \"zz\" in model",
                        41) == 0);
    corridor_diags_free(dg);
    corridor_model_free(m);
}

/* ------------------------------------------------- equilibria by hand */

/* Two parallel routes o-d: A t0 = 1, capacity cA; B t0 = 2, capacity cB. */
static corridor_model *two_routes(double ca, double cb)
{
    char json[1024];
    snprintf(json, sizeof json,
             "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"two\","
             " \"nodes\": [{\"id\": \"o\", \"kind\": \"city\"}, {\"id\": \"d\", \"kind\": "
             "\"city\"}],"
             " \"edges\": [{\"id\": \"A\", \"from\": \"o\", \"to\": \"d\", \"mode\": \"road\","
             "  \"time_h\": 1, \"capacity\": {\"freight\": %g}},"
             " {\"id\": \"B\", \"from\": \"o\", \"to\": \"d\", \"mode\": \"road\","
             "  \"time_h\": 2, \"capacity\": {\"freight\": %g}}]}",
             ca, cb);
    return test_model(json);
}

static void test_two_routes_linear(void **state)
{
    (void)state;
    /* alpha 1, beta 1: tA = 1 + x / 100, tB = 2 + (300 - x) / 100, equal at x = 200, t = 3 */
    corridor_model *m = two_routes(100, 200);
    corridor_demand *d = demand(m, "origin,destination,commodity,quantity\no,d,freight,300\n");
    corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
    o.alpha = 1;
    o.beta = 1;
    o.gap = 1e-9;
    o.keep_paths = 1;
    corridor_assignment *a = run(m, d, &o);
    assert_double_equal(volume(a, "A"), 200, 1e-4);
    assert_double_equal(volume(a, "B"), 100, 1e-4);
    assert_double_equal(a->ods[0].cost, 3, 1e-6);
    assert_true(a->totals[0].gap <= 1e-9);
    assert_true(a->complete);
    assert_int_equal(a->ods[0].n_paths, 2);
    assert_double_equal(a->ods[0].paths[0].share, 2.0 / 3, 1e-6);
    assert_double_equal(a->ods[0].paths[0].cost, a->ods[0].paths[1].cost, 1e-6);
    corridor_assignment_free(a);

    /* the iteration cap: not complete, gap reported */
    o.max_iter = 1;
    a = run(m, d, &o);
    assert_false(a->complete);
    assert_int_equal(a->totals[0].iterations, 1);
    assert_true(a->totals[0].gap > 0.1);
    corridor_assignment_free(a);
    corridor_demand_free(d);
    corridor_model_free(m);
}

/* Per-mode BPR parameters from the model's defaults replace the options' (linear case again). */
static void test_bpr_mode_defaults(void **state)
{
    (void)state;
    const char *json =
        "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"two\","
        " \"defaults\": {\"road\": {\"bpr_alpha\": 1, \"bpr_beta\": 1}},"
        " \"nodes\": [{\"id\": \"o\", \"kind\": \"city\"}, {\"id\": \"d\", \"kind\": \"city\"}],"
        " \"edges\": [{\"id\": \"A\", \"from\": \"o\", \"to\": \"d\", \"mode\": \"road\","
        "  \"time_h\": 1, \"capacity\": {\"freight\": 100}},"
        " {\"id\": \"B\", \"from\": \"o\", \"to\": \"d\", \"mode\": \"road\","
        "  \"time_h\": 2, \"capacity\": {\"freight\": 200}}]}";
    corridor_model *m = test_model(json);
    corridor_demand *d = demand(m, "origin,destination,commodity,quantity\no,d,freight,300\n");
    corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT; /* alpha 0.15, beta 4: overridden */
    o.gap = 1e-9;
    corridor_assignment *a = run(m, d, &o);
    assert_double_equal(volume(a, "A"), 200, 1e-4);
    assert_double_equal(element(a, "edge", "A")->beta, 1, 0);
    corridor_assignment_free(a);
    corridor_demand_free(d);
    corridor_model_free(m);

    /* beta below 1 is refused by the loader */
    corridor_diags *dg = NULL;
    const char *bad =
        "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"b\","
        " \"defaults\": {\"rail\": {\"bpr_beta\": 0.5}}, \"nodes\": [], \"edges\": []}";
    assert_int_equal(corridor_diags_new(&dg), 0);
    assert_int_equal(corridor_model_load_string(&m, bad, strlen(bad), "b.json", dg),
                     CORRIDOR_EINVALID);
    assert_true(test_has_line(dg, "b.json: defaults.rail.bpr_beta: must be >= 1, got 0.5"));
    corridor_diags_free(dg);
}

/*
 * Per-element BPR: A and B (o -> d, 1 h, capacity 100) with alpha 1 from the query, beta 2
 * from defaults.road, and A's own bpr_beta 1. At equilibrium, with u = xA / 100:
 *     tA = 1 + u = tB = 1 + (3 - u)^2   =>   u^2 - 7u + 9 = 0   =>   u = (7 - sqrt 13) / 2
 * so xA = 100 (7 - sqrt 13) / 2 = 169.7224362, xB = 130.2775638 (both 2.6972 h). Without A's
 * own beta the two are alike: 150 each.
 */
#define BPR_HEAD                                                                                   \
    "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"bpr\","                          \
    " \"defaults\": {\"road\": {\"bpr_beta\": 2}},"                                                \
    " \"nodes\": [{\"id\": \"o\", \"kind\": \"city\"}, {\"id\": \"d\", \"kind\": \"city\"}],"      \
    " \"edges\": [{\"id\": \"A\", \"from\": \"o\", \"to\": \"d\", \"mode\": \"road\","             \
    "  \"time_h\": 1, \"capacity\": {\"freight\": 100}"
#define BPR_TAIL                                                                                   \
    "}, {\"id\": \"B\", \"from\": \"o\", \"to\": \"d\", \"mode\": \"road\", \"time_h\": 1,"        \
    "  \"capacity\": {\"freight\": 100}}]}"

static const double bpr_xa = 100 * (7 - 3.605551275463989) / 2; /* sqrt 13 = 3.6055512754640 */

/* The volume on A at equilibrium of 300 t o -> d with alpha 1 from the query. */
static double bpr_split(const corridor_model *m, double *beta_a, double *beta_b)
{
    corridor_demand *d = demand(m, "origin,destination,commodity,quantity\no,d,freight,300\n");
    corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
    o.alpha = 1;
    o.gap = 1e-10;
    corridor_assignment *a = run(m, d, &o);
    double xa = volume(a, "A");
    assert_double_equal(xa + volume(a, "B"), 300, 1e-6);
    assert_double_equal(element(a, "edge", "A")->alpha, 1, 0);
    assert_double_equal(element(a, "edge", "B")->alpha, 1, 0);
    *beta_a = element(a, "edge", "A")->beta;
    *beta_b = element(a, "edge", "B")->beta;
    /* both routes cost the same at equilibrium */
    assert_double_equal(element(a, "edge", "A")->time, element(a, "edge", "B")->time, 1e-6);
    corridor_assignment_free(a);
    corridor_demand_free(d);
    return xa;
}

/* The model m after one scenario edit. */
static corridor_model *edited(const corridor_model *m, const char *edit)
{
    char text[1024];
    snprintf(text, sizeof text,
             "{\"format\": \"corridor-scenario\", \"version\": 1, \"name\": \"S\", \"edits\": "
             "[%s]}",
             edit);
    corridor_model *out = NULL;
    corridor_scenario *s = NULL;
    assert_int_equal(corridor_scenario_load_string(&s, text, strlen(text), "s.json", NULL), 0);
    int err = corridor_scenario_apply(&out, m, s, NULL);
    if (err)
        print_message("%s\n", corridor_error_message());
    assert_int_equal(err, 0);
    corridor_scenario_free(s);
    return out;
}

static void test_bpr_element_overrides(void **state)
{
    (void)state;
    double ba = 0, bb = 0;
    assert_double_equal(bpr_xa, 169.7224362268, 1e-9);
    corridor_model *own = test_model(BPR_HEAD ", \"bpr_beta\": 1" BPR_TAIL);
    assert_double_equal(bpr_split(own, &ba, &bb), bpr_xa, 1e-4);
    assert_double_equal(ba, 1, 0); /* A's own */
    assert_double_equal(bb, 2, 0); /* the mode's */
    corridor_model *plain = test_model(BPR_HEAD BPR_TAIL);
    assert_double_equal(bpr_split(plain, &ba, &bb), 150, 1e-4);
    assert_double_equal(ba, 2, 0);

    /* a scenario sets A's beta: the same split as the model that says it; null takes it back */
    corridor_model *set = edited(plain, "{\"op\": \"set\", \"target\": \"edge:A\", \"values\": "
                                        "{\"bpr_beta\": 1}}");
    assert_double_equal(bpr_split(set, &ba, &bb), bpr_xa, 1e-4);
    corridor_model *unset = edited(set, "{\"op\": \"set\", \"target\": \"edge:A\", \"values\": "
                                        "{\"bpr_beta\": null}}");
    assert_double_equal(bpr_split(unset, &ba, &bb), 150, 1e-4);
    assert_double_equal(ba, 2, 0);
    /* alpha too: A's alpha 0 makes it congestion-free, so A takes all 300 at 1 h (B empty) */
    corridor_model *free_a = edited(plain, "{\"op\": \"set\", \"target\": \"edge:A\", \"values\": "
                                           "{\"bpr_alpha\": 0}}");
    corridor_demand *d = demand(free_a, "origin,destination,commodity,quantity\no,d,freight,300\n");
    corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
    o.alpha = 1;
    o.gap = 1e-10;
    corridor_assignment *a = run(free_a, d, &o);
    assert_double_equal(volume(a, "A"), 300, 1e-6);
    assert_double_equal(element(a, "edge", "A")->alpha, 0, 0);
    corridor_assignment_free(a);
    corridor_demand_free(d);
    corridor_model_free(free_a);
    corridor_model_free(unset);
    corridor_model_free(set);
    corridor_model_free(plain);
    corridor_model_free(own);

    /* bounds: beta >= 1, alpha >= 0, both at most the defaults' bounds */
    test_model_fails(BPR_HEAD ", \"bpr_beta\": 0.5" BPR_TAIL,
                     "t.json: edges[0].bpr_beta: must be >= 1, got 0.5");
    test_model_fails(BPR_HEAD ", \"bpr_alpha\": -1" BPR_TAIL,
                     "t.json: edges[0].bpr_alpha: must be >= 0, got -1");
    test_model_fails(BPR_HEAD ", \"bpr_beta\": 101" BPR_TAIL,
                     "t.json: edges[0].bpr_beta: must be <= 100, got 101");
}

/*
 * A node's own BPR on its dwell: o -> m1 -> d and o -> m2 -> d, edges 0.5 h without capacity,
 * m1 and m2 dwell 1 h with capacity 100. m1 says alpha 1, beta 1; m2 alpha 1 and the query's
 * beta 2: the same equation as above, so m1 carries 169.72 of 300.
 */
static void test_bpr_node_overrides(void **state)
{
    (void)state;
    const char *json =
        "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"nodes\","
        " \"nodes\": [{\"id\": \"o\", \"kind\": \"city\"}, {\"id\": \"d\", \"kind\": \"city\"},"
        "  {\"id\": \"m1\", \"kind\": \"port\", \"dwell\": {\"time_h\": 1},"
        "   \"capacity\": {\"freight\": 100}, \"bpr_alpha\": 1, \"bpr_beta\": 1},"
        "  {\"id\": \"m2\", \"kind\": \"port\", \"dwell\": {\"time_h\": 1},"
        "   \"capacity\": {\"freight\": 100}, \"bpr_alpha\": 1}],"
        " \"edges\": ["
        "  {\"id\": \"o1\", \"from\": \"o\", \"to\": \"m1\", \"mode\": \"road\", \"time_h\": 0.5},"
        "  {\"id\": \"1d\", \"from\": \"m1\", \"to\": \"d\", \"mode\": \"road\", \"time_h\": 0.5},"
        "  {\"id\": \"o2\", \"from\": \"o\", \"to\": \"m2\", \"mode\": \"road\", \"time_h\": 0.5},"
        "  {\"id\": \"2d\", \"from\": \"m2\", \"to\": \"d\", \"mode\": \"road\", \"time_h\": "
        "0.5}]}";
    corridor_model *m = test_model(json);
    corridor_demand *d = demand(m, "origin,destination,commodity,quantity\no,d,freight,300\n");
    corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
    o.beta = 2;
    o.gap = 1e-10;
    corridor_assignment *a = run(m, d, &o);
    const corridor_assign_element *m1 = element(a, "node", "m1"), *m2 = element(a, "node", "m2");
    assert_non_null(m1);
    assert_non_null(m2);
    assert_double_equal(m1->volume, bpr_xa, 1e-4);
    assert_double_equal(m2->volume, 300 - bpr_xa, 1e-4);
    assert_double_equal(m1->beta, 1, 0);
    assert_double_equal(m2->beta, 2, 0);
    assert_double_equal(m2->alpha, 1, 0);
    assert_double_equal(a->ods[0].cost, 1 + 1 + bpr_xa / 100, 1e-6);
    corridor_assignment_free(a);
    /* a scenario takes m1's beta away: the two ports are alike again */
    corridor_model *e = edited(m, "{\"op\": \"set\", \"target\": \"node:m1\", \"values\": "
                                  "{\"bpr_beta\": null}}");
    a = run(e, d, &o);
    assert_double_equal(element(a, "node", "m1")->volume, 150, 1e-4);
    corridor_assignment_free(a);
    corridor_model_free(e);
    corridor_demand_free(d);
    corridor_model_free(m);
}

/* BPR beta 4: the equilibrium solved here by bisection on tA(x) = tB(q - x). */
static void test_two_routes_bpr(void **state)
{
    (void)state;
    double q = 5000, ca = 2000, cb = 3000, lo = 0, hi = q;
    for (int i = 0; i < 200; i++) {
        double x = 0.5 * (lo + hi);
        double ta = 1 * (1 + 0.15 * pow(x / ca, 4)), tb = 2 * (1 + 0.15 * pow((q - x) / cb, 4));
        if (ta < tb)
            lo = x;
        else
            hi = x;
    }
    double xa = 0.5 * (lo + hi);
    corridor_model *m = two_routes(ca, cb);
    corridor_demand *d = demand(m, "origin,destination,commodity,quantity\no,d,freight,5000\n");
    for (int method = 0; method < 2; method++) {
        corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
        o.method = method ? CORRIDOR_ASSIGN_FW : CORRIDOR_ASSIGN_UE;
        o.gap = 1e-8;
        corridor_assignment *a = run(m, d, &o);
        assert_double_equal(volume(a, "A"), xa, 1e-3 * q);
        assert_double_equal(volume(a, "A") + volume(a, "B"), q, 1e-6);
        assert_true(a->complete);
        corridor_assignment_free(a);
    }
    corridor_demand_free(d);
    corridor_model_free(m);
}

/*
 * Braess: s-a and b-t cost 1 + x/100 (t0 1, capacity 100, alpha 1, beta 1), a-t and s-b 46,
 * demand 4000. Without a-b: 2000 each way, 67 h. With a-b (0 h): all take s-a-b-t, 82 h,
 * and s-a-t would cost 87: the new link makes everyone slower.
 */
static void test_braess(void **state)
{
    (void)state;
    const char *fmt =
        "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"braess\","
        " \"nodes\": [{\"id\": \"s\", \"kind\": \"city\"}, {\"id\": \"a\", \"kind\": \"city\"},"
        "  {\"id\": \"b\", \"kind\": \"city\"}, {\"id\": \"t\", \"kind\": \"city\"}],"
        " \"edges\": ["
        "  {\"id\": \"sa\", \"from\": \"s\", \"to\": \"a\", \"mode\": \"road\", \"oneway\": true,"
        "   \"time_h\": 1, \"capacity\": {\"freight\": 100}},"
        "  {\"id\": \"at\", \"from\": \"a\", \"to\": \"t\", \"mode\": \"road\", \"oneway\": true,"
        "   \"time_h\": 46},"
        "  {\"id\": \"sb\", \"from\": \"s\", \"to\": \"b\", \"mode\": \"road\", \"oneway\": true,"
        "   \"time_h\": 46},"
        "  {\"id\": \"bt\", \"from\": \"b\", \"to\": \"t\", \"mode\": \"road\", \"oneway\": true,"
        "   \"time_h\": 1, \"capacity\": {\"freight\": 100}},"
        "  {\"id\": \"ab\", \"from\": \"a\", \"to\": \"b\", \"mode\": \"road\", \"oneway\": true,"
        "   \"time_h\": 0, \"status\": \"%s\"}]}";
    for (int with = 0; with < 2; with++) {
        char json[2048];
        snprintf(json, sizeof json, fmt, with ? "operational" : "planned");
        corridor_model *m = test_model(json);
        corridor_demand *d = demand(m, "origin,destination,commodity,quantity\ns,t,freight,4000\n");
        corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
        o.alpha = 1;
        o.beta = 1;
        o.gap = 1e-8;
        corridor_assignment *a = run(m, d, &o);
        assert_double_equal(volume(a, "sa"), with ? 4000 : 2000, 0.5);
        assert_double_equal(volume(a, "ab"), with ? 4000 : 0, 0.5);
        assert_double_equal(volume(a, "at"), with ? 0 : 2000, 0.5);
        assert_double_equal(a->ods[0].cost, with ? 82 : 67, 1e-3);
        assert_true(a->complete);
        corridor_assignment_free(a);
        corridor_demand_free(d);
        corridor_model_free(m);
    }
}

/* ------------------------------------------- an independent solver: MSA */

typedef struct rnet {
    int n, ne;
    int *from, *to;
    double *t0, *cap;
    int n_od;
    int *oo, *dd;
    double *q;
} rnet;

static unsigned rng_state = 12345;
static double urand(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return ((rng_state >> 8) & 0xffffff) / (double)0x1000000;
}

/* A random strongly connected road network: a ring plus chords, every edge capacitated. */
static rnet random_net(int n, int chords, int n_od)
{
    rnet r;
    r.n = n;
    r.ne = n + chords;
    r.from = malloc(sizeof(int) * (size_t)r.ne);
    r.to = malloc(sizeof(int) * (size_t)r.ne);
    r.t0 = malloc(sizeof(double) * (size_t)r.ne);
    r.cap = malloc(sizeof(double) * (size_t)r.ne);
    for (int e = 0; e < r.ne; e++) {
        r.from[e] = e < n ? e : (int)(urand() * n);
        r.to[e] = e < n ? (e + 1) % n : (int)(urand() * n);
        if (r.to[e] == r.from[e])
            r.to[e] = (r.from[e] + 2) % n;
        r.t0[e] = 1 + 9 * urand();
        r.cap[e] = 200 + 800 * urand();
    }
    r.n_od = n_od;
    r.oo = malloc(sizeof(int) * (size_t)n_od);
    r.dd = malloc(sizeof(int) * (size_t)n_od);
    r.q = malloc(sizeof(double) * (size_t)n_od);
    for (int k = 0; k < n_od; k++) {
        r.oo[k] = (int)(urand() * n);
        r.dd[k] = (r.oo[k] + 1 + (int)(urand() * (n - 1))) % n;
        r.q[k] = 100 + 900 * urand();
    }
    return r;
}

static void rnet_free(rnet *r)
{
    free(r->from);
    free(r->to);
    free(r->t0);
    free(r->cap);
    free(r->oo);
    free(r->dd);
    free(r->q);
}

/* The network as a model: two-way road edges, no dwell, one class. */
static corridor_model *rnet_model(const rnet *r)
{
    sbuf b = {0};
    sb_printf(&b, "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"random\", "
                  "\"nodes\": [");
    for (int v = 0; v < r->n; v++)
        sb_printf(&b, "%s{\"id\": \"n%d\", \"kind\": \"city\"}", v ? "," : "", v);
    sb_printf(&b, "], \"edges\": [");
    for (int e = 0; e < r->ne; e++)
        sb_printf(&b,
                  "%s{\"id\": \"e%d\", \"from\": \"n%d\", \"to\": \"n%d\", \"mode\": \"road\", "
                  "\"time_h\": %.17g, \"capacity\": {\"freight\": %.17g}}",
                  e ? "," : "", e, r->from[e], r->to[e], r->t0[e], r->cap[e]);
    sb_printf(&b, "]}");
    corridor_model *m = test_model(b.s);
    free(b.s);
    return m;
}

static corridor_demand *rnet_demand(const corridor_model *m, const rnet *r)
{
    sbuf b = {0};
    sb_printf(&b, "origin,destination,commodity,quantity\n");
    for (int k = 0; k < r->n_od; k++)
        sb_printf(&b, "n%d,n%d,freight,%.17g,t/yr,k%d\n", r->oo[k], r->dd[k], r->q[k], k);
    sb_printf(&b, "\n");
    /* the unit and tag columns are headed below; rewrite the header */
    char *csv = malloc(b.n + 64);
    snprintf(csv, b.n + 64, "origin,destination,commodity,quantity,unit,tags\n%s",
             strchr(b.s, '\n') + 1);
    corridor_demand *d = demand(m, csv);
    free(csv);
    free(b.s);
    return d;
}

/* Arc a: edge a / 2, forward if a is even. Plain Dijkstra (O(n^2)) from o; pred arcs. */
static void msa_dijkstra(const rnet *r, const double *w, int o, double *dist, int *pred)
{
    char *done = calloc((size_t)r->n, 1);
    for (int v = 0; v < r->n; v++) {
        dist[v] = INFINITY;
        pred[v] = -1;
    }
    dist[o] = 0;
    for (;;) {
        int u = -1;
        for (int v = 0; v < r->n; v++)
            if (!done[v] && dist[v] < INFINITY && (u < 0 || dist[v] < dist[u]))
                u = v;
        if (u < 0)
            break;
        done[u] = 1;
        for (int a = 0; a < 2 * r->ne; a++) {
            int e = a / 2, f = a % 2 ? r->to[e] : r->from[e], t = a % 2 ? r->from[e] : r->to[e];
            if (f == u && dist[u] + w[a] < dist[t]) {
                dist[t] = dist[u] + w[a];
                pred[t] = a;
            }
        }
    }
    free(done);
}

/* Method of successive averages, link based, `iters` iterations: arc volumes into x. */
static void msa(const rnet *r, int iters, double *x)
{
    size_t na = 2 * (size_t)r->ne;
    double *w = malloc(na * sizeof *w), *y = malloc(na * sizeof *y);
    double *dist = malloc(sizeof(double) * (size_t)r->n);
    int *pred = malloc(sizeof(int) * (size_t)r->n);
    memset(x, 0, na * sizeof *x);
    for (int it = 1; it <= iters; it++) {
        for (size_t a = 0; a < na; a++)
            w[a] = r->t0[a / 2] * (1 + 0.15 * pow(x[a] / r->cap[a / 2], 4));
        memset(y, 0, na * sizeof *y);
        for (int k = 0; k < r->n_od; k++) {
            msa_dijkstra(r, w, r->oo[k], dist, pred);
            for (int v = r->dd[k]; v != r->oo[k];) {
                int a = pred[v];
                y[a] += r->q[k];
                v = a % 2 ? r->to[a / 2] : r->from[a / 2];
            }
        }
        for (size_t a = 0; a < na; a++)
            x[a] += (y[a] - x[a]) / it;
    }
    free(w);
    free(y);
    free(dist);
    free(pred);
}

static void test_random_against_msa(void **state)
{
    (void)state;
    for (int trial = 0; trial < 3; trial++) {
        rnet r = random_net(12 + 4 * trial, 14, 8);
        corridor_model *m = rnet_model(&r);
        corridor_demand *d = rnet_demand(m, &r);
        corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
        o.gap = 1e-7;
        o.keep_paths = 1;
        corridor_assignment *a = run(m, d, &o);
        assert_true(a->complete);
        double *x = malloc(sizeof(double) * 2 * (size_t)r.ne), maxv = 0, maxdiff = 0;
        msa(&r, 3000, x);
        for (int e = 0; e < r.ne; e++) {
            char id[16];
            snprintf(id, sizeof id, "e%d", e);
            const corridor_assign_element *el = element(a, "edge", id);
            double fw = el ? el->volume_forward : 0, bw = el ? el->volume_backward : 0;
            maxv = fmax(maxv, fmax(x[2 * e], x[2 * e + 1]));
            maxdiff = fmax(maxdiff, fmax(fabs(fw - x[2 * e]), fabs(bw - x[2 * e + 1])));
        }
        print_message("trial %d: %zu iterations, gap %.2e, max |BFW - MSA| = %.3g of %.3g\n", trial,
                      a->totals[0].iterations, a->totals[0].gap, maxdiff, maxv);
        assert_true(maxdiff <= 0.002 * maxv);
        /* Wardrop: every route with a share of 1% or more costs within 0.1% of the cheapest */
        for (size_t i = 0; i < a->n_ods; i++)
            for (size_t k = 0; k < a->ods[i].n_paths; k++)
                if (a->ods[i].paths[k].share >= 0.01)
                    assert_true(a->ods[i].paths[k].cost <= a->ods[i].cost * (1 + 1e-3));
        free(x);
        corridor_assignment_free(a);
        corridor_demand_free(d);
        corridor_model_free(m);
        rnet_free(&r);
    }
}

static void test_few_hundred_nodes_gap(void **state)
{
    (void)state;
    rnet r = random_net(300, 450, 60);
    corridor_model *m = rnet_model(&r);
    corridor_demand *d = rnet_demand(m, &r);
    double last = INFINITY;
    size_t caps[] = {5, 20, 80, 1000};
    for (size_t i = 0; i < 4; i++) {
        corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
        o.max_iter = caps[i];
        corridor_assignment *a = run(m, d, &o);
        double gap = a->totals[0].gap;
        print_message("max_iter %zu: %zu iterations, gap %.3e\n", caps[i], a->totals[0].iterations,
                      gap);
        assert_true(gap < last || gap <= 1e-4);
        last = gap;
        if (i == 3) {
            assert_true(gap <= 1e-4);
            assert_true(a->complete);
        }
        corridor_assignment_free(a);
    }
    corridor_demand_free(d);
    corridor_model_free(m);
    rnet_free(&r);
}

/* ------------------------------------------------------- demand table */

static void test_demand_errors(void **state)
{
    (void)state;
    corridor_model *m = test_model(small_model);
    corridor_diags *dg = NULL;
    corridor_demand *d = NULL;
    const char *csv = "# comment\n"
                      "origin,destination,commodity,quantity\n"
                      "o,dd,freight,1\n"
                      "o,d,coal,1\n"
                      "o,d,freight,-5\n"
                      "o,d,freight,3\n"
                      "O,d,freight,4\n";
    assert_int_equal(corridor_diags_new(&dg), 0);
    assert_int_equal(corridor_demand_load_string(&d, csv, strlen(csv), "t.csv", m, dg),
                     CORRIDOR_EINVALID);
    assert_null(d);
    assert_int_equal(corridor_diags_errors(dg), 3);
    assert_string_equal(corridor_diags_line(dg, 0),
                        "t.csv:3: destination: unknown place \"dd\" in model \"aon\" (did you "
                        "mean \"d\"?)");
    assert_true(strncmp(corridor_diags_line(dg, 1), "t.csv:4: unknown commodity \"coal\"", 33) ==
                0);
    assert_true(strncmp(corridor_diags_line(dg, 2), "t.csv:5: quantity -5 is negative", 31) == 0);
    corridor_diags_free(dg);

    /* duplicates (a node named in two ways is the same place) */
    const char *dup = "origin,destination,commodity,quantity\no,d,freight,3\nO,d,freight,4\n";
    assert_int_equal(corridor_diags_new(&dg), 0);
    assert_int_equal(corridor_demand_load_string(&d, dup, strlen(dup), "t.csv", m, dg),
                     CORRIDOR_EINVALID);
    assert_int_equal(corridor_diags_errors(dg), 1);
    assert_true(strncmp(corridor_diags_line(dg, 0), "t.csv:3: duplicate of line 2", 28) == 0);
    corridor_diags_free(dg);
    corridor_model_free(m);
}

static void test_demand_json_units_and_scaling(void **state)
{
    (void)state;
    corridor_model *m = test_model(small_model);
    const char *js = "{\"format\": \"corridor-demand\", \"version\": 1, \"demand\": ["
                     "{\"origin\": \"o\", \"destination\": \"d\", \"commodity\": \"freight\","
                     " \"quantity\": 2, \"unit\": \"Mt/yr\", \"tags\": [\"transit\", \"rail\"]},"
                     "{\"origin\": \"d\", \"destination\": \"o\", \"commodity\": \"freight\","
                     " \"quantity\": 100}]}";
    corridor_demand *d = demand(m, js);
    assert_int_equal(corridor_demand_count(d), 2);
    assert_double_equal(corridor_demand_total(d, CORRIDOR_CARRY_FREIGHT), 2e6 + 100, 1e-6);
    size_t hit = 0;
    assert_int_equal(corridor_demand_scale(d, "tag=rail:1.5", &hit), 0);
    assert_int_equal(hit, 1);
    assert_int_equal(corridor_demand_scale(d, "origin=D,destination=*:2", &hit), 0);
    assert_int_equal(hit, 1);
    assert_double_equal(corridor_demand_total(d, CORRIDOR_CARRY_FREIGHT), 3e6 + 200, 1e-6);
    assert_int_equal(corridor_demand_scale(d, "0.5", &hit), 0);
    assert_int_equal(hit, 2);
    assert_int_equal(corridor_demand_scale(d, "color=red:2", &hit), CORRIDOR_EUSAGE);
    assert_int_equal(corridor_demand_scale(d, "-1", &hit), CORRIDOR_EUSAGE);
    corridor_demand_free(d);

    /* a unit the model does not use */
    const char *bad = "origin,destination,commodity,quantity,unit\no,d,freight,1,bbl/d\n";
    corridor_diags *dg = NULL;
    assert_int_equal(corridor_diags_new(&dg), 0);
    assert_int_equal(corridor_demand_load_string(&d, bad, strlen(bad), "u.csv", m, dg),
                     CORRIDOR_EINVALID);
    assert_true(strstr(corridor_diags_line(dg, 0), "u.csv:2: unit \"bbl/d\"") != NULL);
    corridor_diags_free(dg);
    corridor_model_free(m);
}

/* Country places are spread over the country's nodes that are not borders or junctions. */
static void test_country_spread(void **state)
{
    (void)state;
    corridor_model *m = test_model(
        "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"spread\","
        " \"countries\": [{\"code\": \"AA\", \"name\": \"A\"}, {\"code\": \"BB\", \"name\": "
        "\"B\"}],"
        " \"nodes\": [{\"id\": \"a1\", \"kind\": \"city\", \"country\": \"AA\"},"
        "  {\"id\": \"a2\", \"kind\": \"port\", \"country\": \"AA\"},"
        "  {\"id\": \"ab\", \"kind\": \"border\", \"country\": \"AA\"},"
        "  {\"id\": \"b1\", \"kind\": \"city\", \"country\": \"BB\"}],"
        " \"edges\": ["
        "  {\"id\": \"e1\", \"from\": \"a1\", \"to\": \"ab\", \"mode\": \"road\", \"time_h\": 1},"
        "  {\"id\": \"e2\", \"from\": \"a2\", \"to\": \"ab\", \"mode\": \"road\", \"time_h\": 1},"
        "  {\"id\": \"e3\", \"from\": \"ab\", \"to\": \"b1\", \"mode\": \"road\", \"time_h\": "
        "1}]}");
    corridor_demand *d =
        demand(m, "origin,destination,commodity,quantity\ncountry:AA,country:BB,freight,100\n");
    corridor_assignment *a = run(m, d, NULL);
    assert_int_equal(a->n_ods, 2);
    assert_double_equal(volume(a, "e1"), 50, 1e-9);
    assert_double_equal(volume(a, "e2"), 50, 1e-9);
    assert_double_equal(volume(a, "e3"), 100, 1e-9);
    corridor_assignment_free(a);
    corridor_demand_free(d);
    corridor_model_free(m);
}

/* The shipped 2024 demand reproduces the corridor totals within the ranges of docs/data-sources.md.
 */
static void test_caspian_2024_ranges(void **state)
{
    (void)state;
    static const struct {
        const char *edges[3];
        double lo, hi;
    } ranges[] = {
        {{"aktau-alat-ferry", "kuryk-alat-ferry", "aktau-alat-feeder"}, 4.0e6, 4.9e6}, /* MC */
        {{"brest-malaszewicze", NULL, NULL}, 3.7e6, 4.5e6},        /* Northern route, t/yr */
        {{"aktau-sangachal-tanker", NULL, NULL}, 26000, 32000},    /* Kazakh crude in BTC */
        {{"tengiz-novorossiysk-cpc", NULL, NULL}, 1.20e6, 1.33e6}, /* CPC, bbl/d */
        {{"sangachal-gardabani-scp", NULL, NULL}, 22, 25.5},       /* SCP, bcm/yr */
        {{"kipoi-melendugno-tap", NULL, NULL}, 10, 12.5},          /* TAP, bcm/yr */
    };
    corridor_model *m = test_load_file("graphs/caspian.json");
    corridor_demand *d = NULL;
    assert_int_equal(corridor_demand_load_file(&d, "graphs/demand/caspian-2024.csv", m, NULL), 0);
    corridor_assignment *a = run(m, d, NULL);
    assert_true(a->complete);
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        double v = 0;
        for (size_t k = 0; k < 3 && ranges[i].edges[k]; k++)
            v += volume(a, ranges[i].edges[k]);
        if (v < ranges[i].lo || v > ranges[i].hi)
            print_message("%s: %g outside [%g, %g]\n", ranges[i].edges[0], v, ranges[i].lo,
                          ranges[i].hi);
        assert_true(v >= ranges[i].lo && v <= ranges[i].hi);
    }
    for (size_t i = 0; i < a->n_totals; i++)
        assert_double_equal(a->totals[i].unserved, 0, 0);
    corridor_assignment_free(a);
    corridor_demand_free(d);
    corridor_model_free(m);
}

/* Flow map: edge values from an assignment and from its JSON agree; the diagram colours by v/c. */
static void test_flow_map(void **state)
{
    (void)state;
    corridor_model *m = test_load_file("tests/fixtures/tiny.json");
    corridor_demand *d = NULL;
    assert_int_equal(corridor_demand_load_file(&d, "tests/fixtures/demand-tiny.csv", m, NULL), 0);
    corridor_assignment *a = run(m, d, NULL);
    double *v1 = NULL, *r1 = NULL, *v2 = NULL, *r2 = NULL;
    char *json = NULL;
    assert_int_equal(corridor_assignment_json(&json, a), 0);
    assert_int_equal(corridor_assignment_edge_values(&v1, &r1, a, NULL, m, CORRIDOR_CARRY_FREIGHT),
                     0);
    assert_int_equal(
        corridor_assignment_edge_values(&v2, &r2, NULL, json, m, CORRIDOR_CARRY_FREIGHT), 0);
    size_t n = corridor_model_edge_count(m), loaded = 0;
    for (size_t e = 0; e < n; e++) {
        assert_double_equal(v1[e], v2[e], 1e-6 * (1 + v1[e]));
        assert_true(isnan(r1[e]) == isnan(r2[e]));
        loaded += v1[e] > 0;
    }
    assert_int_equal(loaded, 6);
    corridor_free(v2);
    corridor_free(r2);
    assert_int_equal(
        corridor_assignment_edge_values(&v2, &r2, NULL, "{\"x\": 1}", m, CORRIDOR_CARRY_FREIGHT),
        CORRIDOR_EINVALID);

    char *dir = test_tmp_dir(), path[512];
    snprintf(path, sizeof path, "%s/flow.dot", dir);
    corridor_render_opts ro = CORRIDOR_RENDER_OPTS_INIT;
    ro.edge_volume = v1;
    ro.edge_vc = r1;
    ro.volume_unit = "t/yr";
    assert_int_equal(corridor_render_file(m, path, &ro), 0);
    char *dot = test_slurp(path, NULL);
    assert_non_null(strstr(dot, "#d73027")); /* the ferry is over capacity */
    assert_non_null(strstr(dot, "Flow, t/yr"));
    assert_non_null(strstr(dot, "width: up to 4800000"));
    free(dot);
    test_rm_dir(dir);
    corridor_free(v1);
    corridor_free(r1);
    corridor_free(json);
    corridor_assignment_free(a);
    corridor_demand_free(d);
    corridor_model_free(m);
}

/* compare: two assignments give totals, corridor rows and the v/c changes. */
static void test_compare_assignments(void **state)
{
    (void)state;
    corridor_model *m = test_load_file("tests/fixtures/tiny.json");
    corridor_demand *d = NULL;
    assert_int_equal(corridor_demand_load_file(&d, "tests/fixtures/demand-tiny.csv", m, NULL), 0);
    corridor_assignment *a = run(m, d, NULL);
    assert_int_equal(corridor_demand_scale(d, "commodity=freight:0.5", NULL), 0);
    corridor_assignment *b = run(m, d, NULL);
    corridor_answer x = {CORRIDOR_ANSWER_ASSIGNMENT, 0, {NULL}}, y = x;
    x.u.assignment = a;
    y.u.assignment = b;
    corridor_comparison *cmp = NULL;
    assert_int_equal(corridor_compare(&cmp, &x, &y), 0);
    assert_double_equal(cmp->base_value, a->totals[0].unit_h, 1e-6);
    size_t totals = 0;
    for (size_t i = 0; i < cmp->n_assign_changes; i++)
        if (!cmp->assign_changes[i].corridor) {
            totals++;
            if (cmp->assign_changes[i].carry == CORRIDOR_CARRY_FREIGHT)
                assert_double_equal(cmp->assign_changes[i].scenario_volume,
                                    cmp->assign_changes[i].base_volume / 2, 1e-6);
        }
    assert_int_equal(totals, 2);
    /* the ferry drops from v/c 1.2 to 0.6: first in the list is the highest scenario v/c */
    int ferry = 0;
    for (size_t i = 0; i < cmp->n_elements; i++)
        if (strcmp(cmp->elements[i].id, "aktau-alat-ferry") == 0) {
            assert_double_equal(cmp->elements[i].base_value, 1.2, 1e-9);
            assert_double_equal(cmp->elements[i].scenario_value, 0.6, 1e-9);
            ferry = 1;
        }
    assert_true(ferry);
    char *json = NULL;
    assert_int_equal(corridor_comparison_json(&json, cmp), 0);
    assert_non_null(strstr(json, "\"query\":\"assign\""));
    corridor_free(json);
    corridor_comparison_free(cmp);
    corridor_assignment_free(a);
    corridor_assignment_free(b);
    corridor_demand_free(d);
    corridor_model_free(m);
}

/*
 * The GIS layer: the linear two-route case (A 200, B 100) written as GeoJSON and read back.
 * A has a geometry (kept as given); B none (a great-circle arc from o to d, a point every 50 km
 * at most: o (45, 40) to d (47, 41) is 202.4 km, so 5 steps, 6 points). Port p (capacity, no volume) and
 * o, d (no capacity) are not written.
 */
static void test_gis_layer(void **state)
{
    (void)state;
    const char *json =
        "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"gis\","
        " \"nodes\": [{\"id\": \"o\", \"kind\": \"city\", \"lat\": 40, \"lon\": 45},"
        "  {\"id\": \"d\", \"kind\": \"city\", \"lat\": 41, \"lon\": 47},"
        "  {\"id\": \"p\", \"kind\": \"port\", \"lat\": 41, \"lon\": 46, \"capacity\": 5}],"
        " \"edges\": [{\"id\": \"A\", \"name\": \"Route A\", \"from\": \"o\", \"to\": \"d\","
        "  \"mode\": \"road\", \"time_h\": 1, \"capacity\": {\"freight\": 100},"
        "  \"geometry\": [[45, 40], [46, 40.8], [47, 41]]},"
        " {\"id\": \"B\", \"from\": \"o\", \"to\": \"d\", \"mode\": \"road\","
        "  \"time_h\": 2, \"capacity\": {\"freight\": 200}}]}";
    corridor_model *m = test_model(json), *other = NULL;
    corridor_demand *d = demand(m, "origin,destination,commodity,quantity\no,d,freight,300\n");
    corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
    o.alpha = 1;
    o.beta = 1;
    o.gap = 1e-9;
    corridor_assignment *a = run(m, d, &o);
    char *dir = test_tmp_dir(), path[512], *first = NULL, *second = NULL;
    size_t ne = 0, nn = 0;
    snprintf(path, sizeof path, "%s/a.geojson", dir);
    assert_int_equal(corridor_assignment_write_gis(&ne, &nn, a, m, path, NULL), 0);
    assert_int_equal(ne, 2);
    assert_int_equal(nn, 0);
    char *text = test_slurp(path, NULL);
    cJSON *g = cJSON_Parse(text), *f = NULL;
    assert_non_null(g);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(g, "features")), 2);
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(g, "features"))
    {
        cJSON *p = cJSON_GetObjectItem(f, "properties");
        cJSON *pts = cJSON_GetObjectItem(cJSON_GetObjectItem(f, "geometry"), "coordinates");
        int is_a = strcmp(cJSON_GetObjectItem(p, "id")->valuestring, "A") == 0;
        int n = cJSON_GetArraySize(pts);
        assert_double_equal(cJSON_GetObjectItem(p, "volume")->valuedouble, is_a ? 200 : 100, 1e-4);
        assert_double_equal(cJSON_GetObjectItem(p, "vc")->valuedouble, is_a ? 2 : 0.5, 1e-6);
        assert_double_equal(cJSON_GetObjectItem(p, "time_h")->valuedouble, 3, 1e-6);
        assert_string_equal(cJSON_GetObjectItem(p, "mode")->valuestring, "road");
        assert_int_equal(n, is_a ? 3 : 6);
        assert_double_equal(cJSON_GetArrayItem(cJSON_GetArrayItem(pts, 1), 0)->valuedouble,
                            is_a ? 46 : 45.4, is_a ? 0 : 0.02);
        assert_double_equal(cJSON_GetArrayItem(cJSON_GetArrayItem(pts, n - 1), 1)->valuedouble, 41,
                            0);
        if (is_a)
            assert_string_equal(cJSON_GetObjectItem(p, "name")->valuestring, "Route A");
    }
    cJSON_Delete(g);

    /* written on another model (no edge A): refused, the old file stays, nothing else left */
    other = test_model("{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"x\","
                       " \"nodes\": [{\"id\": \"o\", \"kind\": \"city\"}], \"edges\": []}");
    assert_int_equal(corridor_assignment_write_gis(&ne, &nn, a, other, path, NULL),
                     CORRIDOR_EINVALID);
    char *again = test_slurp(path, NULL);
    assert_string_equal(again, text);
    assert_int_equal(test_count_files(dir), 1);
    assert_int_equal(corridor_assignment_write_gis(NULL, NULL, a, m, path, "no-such-format"),
                     CORRIDOR_EUSAGE);

    /* the files written: one for GeoJSON and GeoPackage, two for Shapefile */
    assert_int_equal(corridor_assignment_gis_paths(&first, &second, "r/a.gpkg", NULL), 0);
    assert_string_equal(first, "r/a.gpkg");
    assert_null(second);
    corridor_free(first);
    assert_int_equal(corridor_assignment_gis_paths(&first, &second, "r/a.shp", NULL), 0);
    assert_string_equal(first, "r/a-edges.shp");
    assert_string_equal(second, "r/a-nodes.shp");
    corridor_free(first);
    corridor_free(second);
    assert_int_equal(corridor_assignment_gis_paths(&first, &second, "r/a", NULL), CORRIDOR_EUSAGE);
    free(again);
    free(text);
    test_rm_dir(dir);
    corridor_model_free(other);
    corridor_assignment_free(a);
    corridor_demand_free(d);
    corridor_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aon_by_hand),
        cmocka_unit_test(test_aon_matches_route),
        cmocka_unit_test(test_walk_with_loop_falls_back),
        cmocka_unit_test(test_via),
        cmocka_unit_test(test_two_routes_linear),
        cmocka_unit_test(test_two_routes_bpr),
        cmocka_unit_test(test_bpr_mode_defaults),
        cmocka_unit_test(test_bpr_element_overrides),
        cmocka_unit_test(test_bpr_node_overrides),
        cmocka_unit_test(test_braess),
        cmocka_unit_test(test_random_against_msa),
        cmocka_unit_test(test_few_hundred_nodes_gap),
        cmocka_unit_test(test_demand_errors),
        cmocka_unit_test(test_demand_json_units_and_scaling),
        cmocka_unit_test(test_country_spread),
        cmocka_unit_test(test_caspian_2024_ranges),
        cmocka_unit_test(test_flow_map),
        cmocka_unit_test(test_compare_assignments),
        cmocka_unit_test(test_gis_layer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
