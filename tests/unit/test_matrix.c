/* test_matrix.c: corridor_matrix_compute against corridor_route_find -k 1 on random models. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "radix_heap.h"
#include "test_gen.h"

/*
 * Each case is a random model (seeded by the case number) of up to 12 nodes:
 * parallel and oneway edges, rail of two gauges, road and sea, dwell and
 * large transfers (so that the cheapest walk often loops to save a transfer
 * and the matrix has to fall back on the route search), three countries.
 * Metrics are random reals, so best routes are unique and all four totals of
 * every cell must equal route -k 1's bit for bit; no route and same node
 * must match ENOTFOUND and EUSAGE. Every case runs with 1 and 3 threads,
 * which must agree byte for byte.
 */

#define N_CASES 400

static double rreal(double lo, double hi)
{
    return lo + (hi - lo) * (rnd() / 4294967296.0);
}

static corridor_model *random_model(void)
{
    corridor_model *m = corridor__model_new();
    assert_non_null(m);
    size_t n = 3 + rn(10), ne = n + rn(2 * n + 4);
    m->name = corridor__strdup("matrix");
    gen_countries(m, 3);
    m->n_nodes = n;
    m->nodes = calloc(n, sizeof *m->nodes);
    for (size_t i = 0; i < n; i++) {
        cor_node *v = &m->nodes[i];
        gen_node(v, i, i < 3 ? (long)i : rn(6) == 0 ? -1 : (long)rn(3));
        for (int met = 0; met < COR_NMET; met++) {
            if (met == CORRIDOR_BY_DISTANCE)
                continue;
            v->dwell[met] = rn(3) ? 0.0 : rreal(0, 4);
            v->transfer[met] = rn(2) ? rreal(5, 40) : 0.0;
        }
        v->status = rn(20) ? CORRIDOR_STATUS_OPERATIONAL : CORRIDOR_STATUS_PLANNED;
    }
    m->n_edges = ne;
    m->edges = calloc(ne, sizeof *m->edges);
    for (size_t i = 0; i < ne; i++) {
        cor_edge *e = &m->edges[i];
        e->id = dupf("e%d", (int)i);
        e->from = i < n - 1 && rn(3) ? i : rn((uint32_t)n);
        e->to = i < n - 1 && rn(3) ? i + 1 : rn((uint32_t)n);
        uint32_t md = rn(10);
        e->mode = md < 5 ? CORRIDOR_MODE_RAIL : md < 8 ? CORRIDOR_MODE_ROAD : CORRIDOR_MODE_SEA;
        e->gauge = e->mode == CORRIDOR_MODE_RAIL ? (rn(3) == 0 ? 1435 : 1520) : 0;
        e->carries = 1u << CORRIDOR_CARRY_FREIGHT;
        e->oneway = rn(5) == 0;
        e->status = rn(12) ? CORRIDOR_STATUS_OPERATIONAL : CORRIDOR_STATUS_CLOSED;
        for (int k = 0; k < COR_NCOM; k++)
            e->capacity[k] = INFINITY;
        for (int met = 0; met < COR_NMET; met++) {
            e->metric[met] = rreal(0.5, 20);
            e->metric_given |= 1u << met;
        }
    }
    assert_int_equal(corridor__model_finish(m), 0);
    return m;
}

static void random_place(char *out, const corridor_model *m)
{
    if (rn(8) == 0)
        snprintf(out, 16, "country:%c", 'A' + rn(3));
    else
        snprintf(out, 16, "n%u", rn((uint32_t)m->n_nodes));
}

static size_t n_repaired, n_routes, n_none;

static void check_case(int seed)
{
    rng_state = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)seed * 0x100000001B3ULL);
    for (int i = 0; i < 4; i++)
        rnd();
    corridor_model *m = random_model();
    char fb[6][16], tb[6][16];
    const char *from[6], *to[6];
    size_t nf = 1 + rn(5), nt = 1 + rn(5);
    for (size_t i = 0; i < nf; i++) {
        random_place(fb[i], m);
        from[i] = fb[i];
    }
    for (size_t i = 0; i < nt; i++) {
        random_place(tb[i], m);
        to[i] = tb[i];
    }
    corridor_matrix_opts mo = CORRIDOR_MATRIX_OPTS_INIT;
    mo.by = (corridor_metric)rn(COR_NMET);
    if (rn(4) == 0)
        mo.filter.status = CORRIDOR_STATUS_PLANNED;
    corridor_matrix *mx = NULL, *mx3 = NULL;
    int err = corridor_matrix_compute(&mx, m, from, nf, to, nt, &mo);
    if (err)
        print_message("case %d: %s\n", seed, corridor_error_message());
    assert_int_equal(err, 0);
    mo.threads = 3;
    assert_int_equal(corridor_matrix_compute(&mx3, m, from, nf, to, nt, &mo), 0);
    assert_memory_equal(mx->status, mx3->status, nf * nt);
    assert_memory_equal(mx->value, mx3->value, nf * nt * COR_NMET * sizeof(double));
    n_repaired += mx->n_repaired;

    corridor_route_opts ro = CORRIDOR_ROUTE_OPTS_INIT;
    ro.k = 1;
    ro.by = mo.by;
    ro.filter = mo.filter;
    for (size_t i = 0; i < nf; i++) {
        for (size_t j = 0; j < nt; j++) {
            corridor_routes *rs = NULL;
            int rerr = corridor_route_find(&rs, m, from[i], to[j], &ro);
            unsigned char st = mx->status[i * nt + j];
            const double *v = &mx->value[(i * nt + j) * COR_NMET];
            if (rerr == CORRIDOR_EUSAGE) {
                assert_int_equal(st, CORRIDOR_CELL_SAME);
            } else if (rerr == CORRIDOR_ENOTFOUND) {
                if (st != CORRIDOR_CELL_NONE)
                    print_message("case %d %s->%s: matrix has a route\n", seed, from[i], to[j]);
                assert_int_equal(st, CORRIDOR_CELL_NONE);
                n_none++;
            } else {
                assert_int_equal(rerr, 0);
                if (st != CORRIDOR_CELL_ROUTE ||
                    memcmp(v, rs->routes[0].metric, sizeof rs->routes[0].metric) != 0)
                    print_message("case %d %s->%s by %d: matrix %d %.17g route %.17g\n", seed,
                                  from[i], to[j], (int)mo.by, st, v[mo.by],
                                  rs->routes[0].metric[mo.by]);
                assert_int_equal(st, CORRIDOR_CELL_ROUTE);
                assert_memory_equal(v, rs->routes[0].metric, sizeof rs->routes[0].metric);
                n_routes++;
            }
            corridor_routes_free(rs);
        }
    }
    char *json = NULL;
    assert_int_equal(corridor_matrix_row_json(&json, mx, 0), 0);
    assert_null(strchr(json, '\n'));
    corridor_free(json);
    corridor_matrix_free(mx);
    corridor_matrix_free(mx3);
    corridor_model_free(m);
}

static void test_random(void **state)
{
    (void)state;
    for (int c = 0; c < N_CASES; c++)
        check_case(c);
    print_message("matrix: %zu routes, %zu without a route, %zu repaired by the route search\n",
                  n_routes, n_none, n_repaired);
    assert_true(n_routes > 1000);
    assert_true(n_none > 10);
    assert_true(n_repaired > 0); /* the fallback for looping walks was exercised */
}

/* A model from a table: edges "from to mode" (r: rail 1520, d: road), every metric 1; transfers. */
static corridor_model *small_model(size_t n, const double *transfer, const char *const *edges,
                                   size_t ne)
{
    corridor_model *m = corridor__model_new();
    assert_non_null(m);
    m->name = corridor__strdup("loops");
    m->n_countries = 1;
    m->countries = calloc(1, sizeof *m->countries);
    m->countries[0].code = dupf("%c", 'A');
    m->countries[0].name = dupf("Country %c", 'A');
    m->n_nodes = n;
    m->nodes = calloc(n, sizeof *m->nodes);
    for (size_t i = 0; i < n; i++) {
        cor_node *v = &m->nodes[i];
        gen_node(v, i, 0);
        v->status = CORRIDOR_STATUS_OPERATIONAL;
        for (int met = 0; met < COR_NMET; met++)
            v->transfer[met] = met == CORRIDOR_BY_DISTANCE ? 0.0 : transfer[i];
    }
    m->n_edges = ne;
    m->edges = calloc(ne, sizeof *m->edges);
    for (size_t i = 0; i < ne; i++) {
        cor_edge *e = &m->edges[i];
        e->id = dupf("e%d", (int)i);
        e->from = (size_t)(edges[i][0] - '0');
        e->to = (size_t)(edges[i][2] - '0');
        e->mode = edges[i][4] == 'r' ? CORRIDOR_MODE_RAIL : CORRIDOR_MODE_ROAD;
        e->gauge = e->mode == CORRIDOR_MODE_RAIL ? 1520 : 0;
        e->carries = 1u << CORRIDOR_CARRY_FREIGHT;
        e->status = CORRIDOR_STATUS_OPERATIONAL;
        for (int k = 0; k < COR_NCOM; k++)
            e->capacity[k] = INFINITY;
        for (int met = 0; met < COR_NMET; met++) {
            e->metric[met] = 1.0;
            e->metric_given |= 1u << met;
        }
    }
    assert_int_equal(corridor__model_finish(m), 0);
    return m;
}

/* n0 -> n3 by the matrix: its time, and how many cells needed route's search. */
static double loop_case(const corridor_model *m, size_t *repaired)
{
    const char *from[] = {"n0"}, *to[] = {"n3"};
    corridor_matrix *mx = NULL;
    assert_int_equal(corridor_matrix_compute(&mx, m, from, 1, to, 1, NULL), 0);
    assert_int_equal(mx->status[0], CORRIDOR_CELL_ROUTE);
    corridor_routes *rs = NULL;
    assert_int_equal(corridor_route_find(&rs, m, "n0", "n3", NULL), 0);
    assert_memory_equal(mx->value, rs->routes[0].metric, sizeof rs->routes[0].metric);
    double t = mx->value[CORRIDOR_BY_TIME];
    *repaired = mx->n_repaired;
    corridor_routes_free(rs);
    corridor_matrix_free(mx);
    return t;
}

/*
 * The only route n0 -> n3 changes from rail to road at n1 (transfer 10):
 * 1 + 10 + 1 = 12. The cheapest walk changes at n2 instead (transfer 1) and
 * comes back: 5 (by n2 and back, a U-turn) or 6 (round the triangle n1 n2
 * n4). The search without U-turns must settle the first case itself (no
 * route search: a regression to walks with U-turns sends it to the route
 * search, which on the benchmark grid took 97 % of the time); the triangle
 * is a longer loop and must go to route's search. Both must give route's 12.
 */
static void test_loops(void **state)
{
    (void)state;
    const double transfer[] = {0, 10, 1, 0, 0};
    const char *uturn[] = {"0 1 r", "1 2 r", "1 2 d", "1 3 d"};
    const char *triangle[] = {"0 1 r", "1 2 r", "2 4 d", "4 1 d", "1 3 d"};
    size_t repaired = 99;
    corridor_model *m = small_model(4, transfer, uturn, 4);
    assert_true(loop_case(m, &repaired) == 12.0);
    assert_int_equal(repaired, 0);
    corridor_model_free(m);
    m = small_model(5, transfer, triangle, 5);
    assert_true(loop_case(m, &repaired) == 12.0);
    assert_int_equal(repaired, 1);
    corridor_model_free(m);
}

/*
 * The radix heap against a brute-force queue. The matrix's answer (which of
 * equal-valued walks it reports) depends on the order of pops among equal
 * keys, so that order is part of the contract: least key first, and among
 * equal keys the last pushed. Keys are the last popped plus a few exact
 * steps (many ties) or a random real, sometimes far above (high levels of
 * the heap), -0.0 at the start; peek must name the entry pop then gives.
 */
static void test_radix_heap(void **state)
{
    (void)state;
    enum { N = 5000 };
    double *key = malloc(N * sizeof *key);
    unsigned char *live = calloc(N, 1);
    cor_rheap h;
    memset(&h, 0, sizeof h);
    assert_non_null(key);
    assert_non_null(live);
    rng_state = 7;
    for (int round = 0; round < 2; round++) {
        size_t n_pushed = 0, n_live = 0;
        double last = 0.0;
        cor_rheap_clear(&h);
        memset(live, 0, N);
        while (n_pushed < N || n_live > 0) {
            if (n_pushed < N && (n_live == 0 || rn(5) < 3)) {
                uint32_t r = rn(8);
                double k = n_pushed == 0 ? -0.0
                           : r < 2       ? last
                           : r < 6       ? last + rn(40) * 0.125
                           : r < 7       ? last + rreal(0, 3)
                                         : last + rreal(0, 1) * 1e6;
                key[n_pushed] = k;
                live[n_pushed] = 1;
                assert_int_equal(cor_rheap_push(&h, k, n_pushed), 0);
                n_pushed++;
                n_live++;
                continue;
            }
            size_t want = N;
            for (size_t i = 0; i < n_pushed; i++)
                if (live[i] && (want == N || key[i] <= key[want]))
                    want = i; /* the least key, the last pushed of equal ones */
            uint64_t peek = N;
            cor_rentry e;
            assert_int_equal(cor_rheap_peek(&h, &peek), 1);
            assert_int_equal(peek, want);
            assert_int_equal(cor_rheap_pop(&h, &e), 0);
            assert_int_equal(e.id, want);
            assert_true(e.key == key[want]);
            live[want] = 0;
            n_live--;
            last = key[want];
        }
        uint64_t none;
        assert_int_equal(cor_rheap_peek(&h, &none), 0);
        assert_int_equal(h.size, 0);
    }
    cor_rheap_free(&h);
    free(key);
    free(live);
}

static void test_errors(void **state)
{
    (void)state;
    rng_state = 42;
    corridor_model *m = random_model();
    const char *good[] = {"n0"}, *bad[] = {"n0", "nowhere"};
    corridor_matrix *mx = NULL;
    assert_int_equal(corridor_matrix_compute(&mx, m, good, 1, bad, 2, NULL), CORRIDOR_EINVALID);
    assert_null(mx);
    assert_non_null(strstr(corridor_error_message(), "nowhere"));
    corridor_matrix_opts mo = CORRIDOR_MATRIX_OPTS_INIT;
    mo.version = 99;
    assert_int_equal(corridor_matrix_compute(&mx, m, good, 1, good, 1, &mo), CORRIDOR_EUSAGE);
    corridor_matrix_free(NULL);
    corridor_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_random), cmocka_unit_test(test_loops),
                                       cmocka_unit_test(test_radix_heap),
                                       cmocka_unit_test(test_errors)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
