/* test_pareto_brute.c: Pareto sets and route alternatives against brute force on random
 * multigraphs. */
#include "route_gen.h"

/*
 * The random cases of route_gen.h (transfers, gauges, via, avoid, status and
 * year, country places). Per case:
 *  - three Pareto queries, with 2, 3 and 4 random distinct criteria in a
 *    random order: the options must be exactly the distinct non-dominated
 *    vectors of all enumerated routes, in lexicographic order, each with
 *    exactly the enumerated routes of that vector (ties); then once with a
 *    cap below the number of options (the first options, cut = CAP);
 *  - four alternatives queries (max-overlap F and/or differ-by, random k):
 *    checked against the definition: route i is valid, fits every earlier
 *    one, and no enumerated route that fits them all is cheaper; fewer than
 *    k only if no other route fits.
 */

#define N_CASES 1000

static size_t stat_q[5], stat_opts, stat_ties, stat_alt, stat_capped, stat_err[8];

/* The value of enumerated route r by criterion c. */
static double crit_value(const broute *r, corridor_criterion c)
{
    if (c < CORRIDOR_CRIT_TRANSFERS)
        return r->v[c];
    return c == CORRIDOR_CRIT_TRANSFERS ? r->transfers : r->borders;
}

/* 1 if a dominates b strictly on the criteria. */
static int dom(const double *a, const double *b, size_t D)
{
    int less = 0;
    for (size_t k = 0; k < D; k++) {
        if (a[k] > b[k])
            return 0;
        less |= a[k] < b[k];
    }
    return less;
}

static size_t g_D; /* for lex_cmp */

static int lex_cmp(const void *pa, const void *pb)
{
    const double *a = pa, *b = pb;
    for (size_t k = 0; k < g_D; k++)
        if (a[k] != b[k])
            return a[k] < b[k] ? -1 : 1;
    return 0;
}

/*
 * Brute force: *vec, the criteria vectors of all enumerated routes, and
 * *opt, their distinct non-dominated vectors in lexicographic order (*n_opt).
 * The caller frees both.
 */
static void brute_pareto(double **vec_out, double **opt_out, size_t *n_opt_out, const brute *b,
                         const corridor_criterion *crit, size_t D)
{
    size_t n = b->n_routes, n_opt = 0;
    double *vec = malloc((n + 1) * D * sizeof *vec), *opt = malloc((n + 1) * D * sizeof *opt);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < D; k++)
            vec[i * D + k] = crit_value(&b->routes[i], crit[k]);
    for (size_t i = 0; i < n; i++) {
        int dominated = 0;
        for (size_t j = 0; j < n && !dominated; j++)
            dominated = dom(&vec[j * D], &vec[i * D], D);
        int seen = 0;
        for (size_t j = 0; j < n_opt && !seen; j++)
            seen = memcmp(&opt[j * D], &vec[i * D], D * sizeof *vec) == 0;
        if (!dominated && !seen)
            memcpy(&opt[n_opt++ * D], &vec[i * D], D * sizeof *vec);
    }
    g_D = D;
    qsort(opt, n_opt, D * sizeof *opt, lex_cmp);
    *vec_out = vec;
    *opt_out = opt;
    *n_opt_out = n_opt;
}

/* One Pareto query with D random criteria, compared with the enumerated routes. */
static void check_pareto(const brute_case *bc, unsigned seed, size_t D)
{
    const brute *b = &bc->b;
    corridor_pareto_opts o = CORRIDOR_PARETO_OPTS_INIT;
    corridor_pareto *p = NULL;
    unsigned metrics = 0;
    int pick[CORRIDOR_CRITERION_COUNT] = {0, 1, 2, 3, 4, 5};
    for (int i = CORRIDOR_CRITERION_COUNT - 1; i > 0; i--) {
        int j = (int)rn((uint32_t)i + 1), t = pick[i];
        pick[i] = pick[j];
        pick[j] = t;
    }
    for (size_t k = 0; k < D; k++) {
        o.criteria[k] = (corridor_criterion)pick[k];
        if (pick[k] < COR_NMET)
            metrics |= 1u << pick[k];
    }
    o.n_criteria = D;
    o.filter = bc->c.filter;
    o.via = bc->via;
    o.n_via = bc->c.n_via;
    o.max = 100000;

    size_t n = b->n_routes, n_opt = 0;
    double *vec = NULL, *opt = NULL;
    brute_pareto(&vec, &opt, &n_opt, b, o.criteria, D);
    int err = corridor_pareto_find(&p, bc->c.m, bc->from, bc->to, &o);
    int want = brute_want_error(bc, metrics);
    if (err != want)
        fail_msg("seed %u pareto D %zu: got %d (%s), want %d", seed, D, err,
                 corridor_error_message(), want);
    stat_err[-err]++;
    if (err) {
        assert_null(p);
        goto done;
    }
    if (p->n_options != n_opt || p->cut != CORRIDOR_PARETO_COMPLETE)
        fail_msg("seed %u pareto D %zu: %zu options (cut %d), want %zu", seed, D, p->n_options,
                 (int)p->cut, n_opt);
    for (size_t x = 0; x < n_opt; x++) {
        size_t ties = 0;
        for (size_t i = 0; i < n; i++)
            ties += memcmp(&vec[i * D], &opt[x * D], D * sizeof *vec) == 0;
        if (p->first[x + 1] - p->first[x] != ties)
            fail_msg("seed %u pareto D %zu: option %zu has %zu routes, want %zu", seed, D, x + 1,
                     p->first[x + 1] - p->first[x], ties);
        stat_ties += ties > 1;
        for (size_t i = p->first[x]; i < p->first[x + 1]; i++) {
            broute key;
            const corridor_route *r = &p->routes->routes[i];
            long idx = brute_route_of(bc, r, &key, seed);
            assert_int_equal(r->rank, x + 1);
            if (memcmp(&vec[(size_t)idx * D], &opt[x * D], D * sizeof *vec) != 0)
                fail_msg("seed %u pareto D %zu: a route of option %zu has other values", seed, D,
                         x + 1);
            for (size_t j = p->first[x]; j < i; j++)
                if (strcmp(p->routes->routes[j].hops[0].edge, r->hops[0].edge) == 0 &&
                    p->routes->routes[j].n_edges == r->n_edges) {
                    broute k2;
                    brute_route_of(bc, &p->routes->routes[j], &k2, seed);
                    if (broute_cmp(&k2, &key) == 0)
                        fail_msg("seed %u pareto: a route is listed twice", seed);
                }
        }
    }
    stat_q[D]++;
    stat_opts += n_opt;
    corridor_pareto_free(p);
    p = NULL;
    if (n_opt >= 2) { /* the cap: the first options, marked */
        o.max = 1 + rn((uint32_t)n_opt - 1);
        assert_int_equal(corridor_pareto_find(&p, bc->c.m, bc->from, bc->to, &o), 0);
        if (p->n_options != o.max || p->cut != CORRIDOR_PARETO_CAP)
            fail_msg("seed %u pareto D %zu max %zu: %zu options, cut %d; want the cap", seed, D,
                     o.max, p->n_options, (int)p->cut);
        for (size_t x = 0; x < o.max; x++)
            for (size_t k = 0; k < D; k++)
                assert_true(corridor_route_criterion(&p->routes->routes[p->first[x]],
                                                     o.criteria[k]) == opt[x * D + k]);
        stat_capped++;
    }
done:
    corridor_pareto_free(p);
    free(vec);
    free(opt);
}

/* ------------------------------------------------------------ alternatives */

/* The differ_by set of an enumerated route, as a bit set (keys < 128) in set[2]. */
static void differ_set(uint64_t set[2], const brute_case *bc, const broute *r, corridor_differ d)
{
    const corridor_model *m = bc->c.m;
    set[0] = set[1] = 0;
    size_t nn = m->n_nodes;
    for (size_t j = 0; j < r->n; j++) {
        const arc *a = &bc->b.arcs[r->arcs[j]];
        const cor_edge *e = &m->edges[a->edge];
        if (d == CORRIDOR_DIFFER_COUNTRY) {
            long c1 = m->nodes[a->from].country, c2 = m->nodes[a->to].country;
            set[0] |= (c1 >= 0 ? 1ull << c1 : 0) | (c2 >= 0 ? 1ull << c2 : 0);
        } else if (d == CORRIDOR_DIFFER_CORRIDOR) {
            for (size_t c = 0; c < e->n_corridors; c++)
                set[0] |= 1ull << e->corridors[c];
        } else if (d == CORRIDOR_DIFFER_SEA && e->mode == CORRIDOR_MODE_SEA) {
            size_t lo = a->from < a->to ? a->from : a->to, hi = a->from ^ a->to ^ lo;
            size_t key = lo * nn + hi; /* at most 9 nodes: below 81 */
            set[key / 64] |= 1ull << (key % 64);
        }
    }
}

/* 1 if enumerated routes x and y fit each other under the options. */
static int fit(const brute_case *bc, const broute *x, const broute *y, const corridor_alt_opts *a)
{
    const corridor_model *m = bc->c.m;
    if (a->differ_by != CORRIDOR_DIFFER_NONE) {
        uint64_t sx[2], sy[2];
        differ_set(sx, bc, x, a->differ_by);
        differ_set(sy, bc, y, a->differ_by);
        if (sx[0] == sy[0] && sx[1] == sy[1])
            return 0;
    }
    if (a->max_overlap >= 1.0)
        return 1;
    unsigned char in_x[64] = {0}, counted[64] = {0};
    double shared = 0;
    for (size_t j = 0; j < x->n; j++)
        in_x[bc->b.arcs[x->arcs[j]].edge] = 1;
    for (size_t j = 0; j < y->n; j++) {
        size_t e = bc->b.arcs[y->arcs[j]].edge;
        if (in_x[e] && !counted[e])
            shared += m->edges[e].metric[CORRIDOR_BY_DISTANCE];
        counted[e] = 1;
    }
    double dx = x->v[CORRIDOR_BY_DISTANCE], dy = y->v[CORRIDOR_BY_DISTANCE];
    return shared <= a->max_overlap * (dx < dy ? dx : dy);
}

static void check_alternatives(const brute_case *bc, unsigned seed)
{
    static const double fs[] = {0.2, 0.5, 0.8, 0.35, 0.65, 1.0};
    const brute *b = &bc->b;
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    corridor_alt_opts a = CORRIDOR_ALT_OPTS_INIT;
    corridor_routes *res = NULL;
    long idx[8];
    o.filter = bc->c.filter;
    o.via = bc->via;
    o.n_via = bc->c.n_via;
    o.by = (corridor_metric)rn(COR_NMET);
    o.k = 1 + rn(6);
    a.max_overlap = fs[rn(6)];
    a.differ_by = a.max_overlap == 1.0 ? (corridor_differ)(1 + rn(3))
                  : rn(3)              ? CORRIDOR_DIFFER_NONE
                                       : (corridor_differ)(1 + rn(3));
    unsigned metrics = (1u << o.by) | (a.max_overlap < 1.0 ? 1u << CORRIDOR_BY_DISTANCE : 0);
    int err = corridor_route_alternatives(&res, bc->c.m, bc->from, bc->to, &o, &a);
    int want = brute_want_error(bc, metrics);
    if (err != want)
        fail_msg("seed %u alternatives: got %d (%s), want %d", seed, err, corridor_error_message(),
                 want);
    if (err) {
        assert_null(res);
        return;
    }
    assert_true(res->n >= 1 && res->n <= o.k);
    for (size_t i = 0; i < res->n; i++) {
        broute key;
        idx[i] = brute_route_of(bc, &res->routes[i], &key, seed);
        const broute *ri = &b->routes[idx[i]];
        for (size_t j = 0; j < i; j++)
            if (!fit(bc, ri, &b->routes[idx[j]], &a))
                fail_msg("seed %u alternatives: route %zu does not fit route %zu", seed, i + 1,
                         j + 1);
        /* no route that fits routes 1 .. i - 1 is cheaper than route i */
        for (size_t r = 0; r < b->n_routes; r++) {
            int ok = b->routes[r].v[o.by] < ri->v[o.by];
            for (size_t j = 0; j < i && ok; j++)
                ok = (long)r != idx[j] && fit(bc, &b->routes[r], &b->routes[idx[j]], &a);
            if (ok)
                fail_msg("seed %u alternatives: route %zu costs %g, a fitting route %g", seed,
                         i + 1, ri->v[o.by], b->routes[r].v[o.by]);
        }
    }
    if (res->n < o.k) /* no other route fits them all */
        for (size_t r = 0; r < b->n_routes; r++) {
            int ok = 1;
            for (size_t j = 0; j < res->n && ok; j++)
                ok = (long)r != idx[j] && fit(bc, &b->routes[r], &b->routes[idx[j]], &a);
            if (ok)
                fail_msg("seed %u alternatives: %zu routes, but another fits", seed, res->n);
        }
    stat_alt += res->n;
    corridor_routes_free(res);
}

static void test_brute(void **state)
{
    (void)state;
    unsigned checked = 0, seed = 1;
    while (checked < N_CASES) {
        brute_case bc;
        if (brute_setup(&bc, seed) == 0) {
            for (size_t D = 2; D <= 4; D++)
                check_pareto(&bc, seed, D);
            for (int i = 0; i < 4; i++)
                check_alternatives(&bc, seed);
            checked++;
        }
        brute_teardown(&bc);
        seed++;
    }
    print_message("checked %u random cases (seeds 1..%u): Pareto sets with 2, 3, 4 criteria: "
                  "%zu, %zu, %zu (%zu options, %zu with ties, %zu capped); %zu no route, %zu "
                  "invalid, %zu usage; %zu alternatives\n",
                  checked, seed - 1, stat_q[2], stat_q[3], stat_q[4], stat_opts, stat_ties,
                  stat_capped, stat_err[1], stat_err[3], stat_err[2], stat_alt);
    assert_true(stat_q[2] >= 500 && stat_q[3] >= 500 && stat_q[4] >= 500 && stat_ties > 50 &&
                stat_capped > 100);
}

/* Bad requests: usage errors with a message. */
static void test_bad_requests(void **state)
{
    (void)state;
    corridor_criterion c[CORRIDOR_CRITERION_COUNT];
    size_t n = 0;
    assert_int_equal(corridor_criteria_parse(c, &n, "time,cost,co2"), 0);
    assert_int_equal(n, 3);
    assert_int_equal(c[2], CORRIDOR_CRIT_CO2);
    assert_int_equal(corridor_criteria_parse(c, &n, "time"), CORRIDOR_EUSAGE);
    assert_int_equal(corridor_criteria_parse(c, &n, "time,speed"), CORRIDOR_EUSAGE);
    assert_non_null(strstr(corridor_error_message(), "\"speed\""));
    assert_int_equal(corridor_criteria_parse(c, &n, "time,time"), CORRIDOR_EUSAGE);
    assert_int_equal(corridor_criteria_parse(c, &n, "time,"), CORRIDOR_EUSAGE);
    assert_int_equal(corridor_criteria_parse(c, &n, ""), CORRIDOR_EUSAGE);
    corridor_differ d;
    assert_int_equal(corridor_differ_parse(&d, "sea"), 0);
    assert_int_equal(d, CORRIDOR_DIFFER_SEA);
    assert_int_equal(corridor_differ_parse(&d, "ocean"), CORRIDOR_EUSAGE);

    corridor_model *m = NULL;
    assert_int_equal(corridor_model_load_builtin(&m, "caspian", NULL), 0);
    corridor_pareto_opts po = CORRIDOR_PARETO_OPTS_INIT;
    corridor_pareto *p = NULL;
    po.max = 0;
    assert_int_equal(corridor_pareto_find(&p, m, "Khorgos", "Istanbul", &po), CORRIDOR_EUSAGE);
    po.max = 5;
    po.n_criteria = 1;
    assert_int_equal(corridor_pareto_find(&p, m, "Khorgos", "Istanbul", &po), CORRIDOR_EUSAGE);
    assert_null(p);
    corridor_alt_opts ao = CORRIDOR_ALT_OPTS_INIT;
    corridor_routes *rs = NULL;
    ao.max_overlap = 0.0;
    assert_int_equal(corridor_route_alternatives(&rs, m, "Khorgos", "Istanbul", NULL, &ao),
                     CORRIDOR_EUSAGE);
    ao.max_overlap = 1.5;
    assert_int_equal(corridor_route_alternatives(&rs, m, "Khorgos", "Istanbul", NULL, &ao),
                     CORRIDOR_EUSAGE);
    assert_null(rs);
    corridor_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_brute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
