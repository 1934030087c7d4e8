/* test_route_bounds.c: route's lower bounds and their completions against a reference Dijkstra. */
/* route_gen.h's random cases, not its brute force */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "route_gen.h"
#include "route_query.h"

/*
 * The lower bounds (route.c, "How it works", 1) decide not only the search's
 * priorities but, through the completion each state stores (q->arr_arc),
 * which of equal-valued routes the search follows first. Whatever queue and
 * layout route.c uses, both must equal, bit for bit, those of the plain
 * reference below: a Dijkstra over (node, class) states that settles the
 * state of least bound and, among equal bounds, of the larger id v * (C + 1)
 * + c, relaxes its entering arcs in arc order and keeps the first arc that
 * reaches a state's final value. It is written independently of route.c and
 * settles states by a linear scan (no queue). Cases: the random small
 * multigraphs of route_gen.h (via places, filters, several metrics), and
 * grids with small integer weights, zero weights and penalties, parallel
 * edges and three classes: many equal bounds.
 */

static size_t stat_states, stat_ties;

/* The reference bounds of every leg of q into h and via (sized like q->h). */
static void ref_bounds(const query *q, double *h, uint32_t *via)
{
    const cor_network *net = &q->net;
    size_t n = q->n, C = q->C, C1 = C + 1, NS = n * C1, na = net->n_arcs;
    uint64_t *want = calloc(n + 1, sizeof *want);
    unsigned char *done = malloc(NS + 1);
    for (size_t a = 0; a < na; a++)
        want[net->arc_to[a]] |= (uint64_t)1 << net->arc_class[a];
    for (size_t i = 0; i < q->n_place[0]; i++)
        want[q->place[0][i]] |= (uint64_t)1 << C;
    for (size_t leg = q->n_legs; leg-- > 0;) {
        double *arr = &h[leg * NS];
        uint32_t *vi = &via[leg * NS];
        const double *next = leg + 1 < q->n_legs ? &h[(leg + 1) * NS] : NULL;
        memset(done, 0, NS);
        for (size_t s = 0; s < NS; s++)
            arr[s] = INFINITY;
        for (size_t v = 0; v < n; v++) {
            if (!q->target[leg * n + v] || !net->node_ok[v])
                continue;
            for (size_t c = 0; c < C1; c++) {
                arr[v * C1 + c] = next ? (c < C ? next[v * C1 + c] : INFINITY) : 0.0;
                vi[v * C1 + c] = SEED;
            }
        }
        for (;;) {
            size_t best = SIZE_MAX;
            for (size_t s = 0; s < NS; s++) /* the least bound, the larger id on ties */
                if (!done[s] && isfinite(arr[s]) && (best == SIZE_MAX || arr[s] <= arr[best]))
                    best = s;
            if (best == SIZE_MAX)
                break;
            done[best] = 1;
            stat_states++;
            size_t u = best / C1, c = best % C1;
            if (c == C)
                continue;
            for (size_t a = 0; a < na; a++) {
                if (net->arc_to[a] != u || net->arc_class[a] != c)
                    continue;
                size_t v = net->arc_from[a];
                for (size_t c2 = 0; c2 < C1; c2++) {
                    if (!(want[v] >> c2 & 1))
                        continue;
                    double pen = q->dwell[v] + (c2 != c ? q->transfer[v] : 0.0);
                    double d = c2 == C ? q->w[a] + arr[best] : pen + (q->w[a] + arr[best]);
                    if (d < arr[v * C1 + c2]) {
                        arr[v * C1 + c2] = d;
                        vi[v * C1 + c2] = (uint32_t)a;
                    } else if (d == arr[v * C1 + c2]) {
                        stat_ties++;
                    }
                }
            }
        }
    }
    free(want);
    free(done);
}

/* Runs the query's bounds and compares them (and their completions) with the reference. */
static void check_bounds(query *q, const char *what)
{
    heap hp = {0};
    size_t NS = q->n * (q->C + 1), total = q->n_legs * NS;
    assert_int_equal(cor_query_bounds(q, &hp), 0);
    free(hp.a);
    double *h = malloc((total + 1) * sizeof *h);
    uint32_t *via = malloc((total + 1) * sizeof *via);
    ref_bounds(q, h, via);
    for (size_t s = 0; s < total; s++) {
        if (memcmp(&h[s], &q->h[s], sizeof h[s]) != 0)
            fail_msg("%s: state %zu (leg %zu, node %zu, class %zu): bound %.17g, want %.17g", what,
                     s, s / NS, s % NS / (q->C + 1), s % (q->C + 1), q->h[s], h[s]);
        if (isfinite(h[s]) && via[s] != q->arr_arc[s])
            fail_msg("%s: state %zu (leg %zu, node %zu, class %zu): completion arc %u, want %u",
                     what, s, s / NS, s % NS / (q->C + 1), s % (q->C + 1), q->arr_arc[s], via[s]);
    }
    free(h);
    free(via);
}

/* ------------------------------------------------------- random multigraphs */

static void test_random_multigraphs(void **state)
{
    (void)state;
    unsigned checked = 0;
    for (unsigned seed = 1; seed <= 1500; seed++) {
        bcase c;
        const char *avoid[1], *via[2];
        rng_state = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)seed * 0xD1B54A32D192ED03ULL);
        for (int i = 0; i < 4; i++)
            rnd();
        random_case(&c);
        avoid[0] = c.avoid;
        c.filter.avoid = c.has_avoid ? avoid : NULL;
        c.filter.n_avoid = c.has_avoid ? 1 : 0;
        via[0] = c.place[1];
        via[1] = c.place[2];
        for (int by = 0; by < COR_NMET; by++) {
            query q;
            char what[64];
            cor_query_init(&q, c.m, by);
            if (cor_query_places(&q, c.place[0], c.place[c.n_via + 1], via, c.n_via) == 0 &&
                cor_query_network(&q, &c.filter) == 0) {
                snprintf(what, sizeof what, "seed %u by %d", seed, by);
                check_bounds(&q, what);
                checked++;
            }
            cor_query_free(&q);
        }
        corridor_model_free(c.m);
    }
    print_message("%u random queries, %zu states settled, %zu equal relaxations\n", checked,
                  stat_states, stat_ties);
    assert_true(checked > 3000);
}

/* ---------------------------------------------------------------- grids */

/* A w x h grid, integer weights 0..3, three classes, parallel edges: equal bounds everywhere. */
static corridor_model *tie_grid(size_t w, size_t h)
{
    corridor_model *m = corridor__model_new();
    assert_non_null(m);
    m->name = corridor__strdup("ties");
    gen_countries(m, 2);
    size_t n = w * h;
    m->n_nodes = n;
    m->nodes = calloc(n, sizeof *m->nodes);
    for (size_t i = 0; i < n; i++) {
        cor_node *v = &m->nodes[i];
        gen_node(v, i, (long)(i % w < w / 2 ? 0 : 1));
        for (int met = 0; met < COR_NMET; met++) {
            if (met == CORRIDOR_BY_DISTANCE)
                continue;
            v->dwell[met] = rn(3) ? 0.0 : (double)rn(2);
            v->transfer[met] = (double)rn(3);
        }
        v->status = CORRIDOR_STATUS_OPERATIONAL;
    }
    m->edges = calloc(4 * n + 1, sizeof *m->edges);
    size_t ne = 0;
    for (size_t i = 0; i < n; i++) {
        for (int dir = 0; dir < 2; dir++) {
            size_t j = dir ? i + w : i + 1;
            if ((dir && j >= n) || (!dir && (i + 1) % w == 0))
                continue;
            for (int par = 0; par < 2; par++) {
                if (par && rn(3))
                    continue;
                cor_edge *e = &m->edges[ne];
                e->id = dupf("e%d", (int)ne);
                ne++;
                e->from = rn(2) ? i : j;
                e->to = e->from == i ? j : i;
                uint32_t md = rn(3);
                e->mode = md == 0   ? CORRIDOR_MODE_RAIL
                          : md == 1 ? CORRIDOR_MODE_ROAD
                                    : CORRIDOR_MODE_SEA;
                e->gauge = e->mode == CORRIDOR_MODE_RAIL ? 1520 : 0;
                e->carries = 1u << CORRIDOR_CARRY_FREIGHT;
                e->oneway = rn(6) == 0;
                e->status = CORRIDOR_STATUS_OPERATIONAL;
                for (int k = 0; k < COR_NCOM; k++)
                    e->capacity[k] = INFINITY;
                for (int met = 0; met < COR_NMET; met++) {
                    e->metric[met] = (double)rn(4);
                    e->metric_given |= 1u << met;
                }
            }
        }
    }
    m->n_edges = ne;
    assert_int_equal(corridor__model_finish(m), 0);
    return m;
}

static void test_tie_grids(void **state)
{
    (void)state;
    static const corridor_filter init = CORRIDOR_FILTER_INIT;
    for (unsigned seed = 1; seed <= 40; seed++) {
        rng_state = 0x2545F4914F6CDD1DULL ^ ((uint64_t)seed * 0x9E3779B97F4A7C15ULL);
        size_t w = 3 + rn(12), h = 2 + rn(10);
        corridor_model *m = tie_grid(w, h);
        char from[16], to[16], mid[16];
        const char *via[1] = {mid};
        snprintf(from, sizeof from, "n%u", rn((uint32_t)(w * h)));
        snprintf(to, sizeof to, "%s", seed % 4 == 0 ? "country:B" : "n0");
        snprintf(mid, sizeof mid, "n%u", rn((uint32_t)(w * h)));
        for (int by = 0; by < COR_NMET; by++) {
            query q;
            char what[64];
            cor_query_init(&q, m, by);
            if (cor_query_places(&q, from, to, via, seed % 3 == 0) == 0) {
                assert_int_equal(cor_query_network(&q, &init), 0);
                snprintf(what, sizeof what, "grid seed %u by %d", seed, by);
                check_bounds(&q, what);
            }
            cor_query_free(&q);
        }
        corridor_model_free(m);
    }
    print_message("%zu states settled, %zu equal relaxations in all\n", stat_states, stat_ties);
    assert_true(stat_ties > 10000); /* the point of these grids */
}

/* ------------------------------------------------------ the queue's order */

/* The radix heap in mode by_id pops what cor_heap pops: monotone keys with many ties. */
static void test_radix_by_id(void **state)
{
    (void)state;
    rng_state = 0x853C49E6748FEA9BULL;
    cor_rheap rh = {0};
    heap bh = {0};
    size_t pops = 0;
    for (int round = 0; round < 200; round++) {
        cor_rheap_clear(&rh);
        rh.by_id = 1;
        bh.n = 0;
        double last = 0.0;
        size_t ops = 1 + rn(3000);
        for (size_t i = 0; i < ops; i++) {
            if (rn(5) < 3 || bh.n == 0) {
                /* a key at or above the last popped: often equal, sometimes far (another level) */
                uint32_t r = rn(10);
                double key = r < 4 ? last : r < 8 ? last + rn(4) : last + ldexp(1.0, (int)rn(40));
                if (round % 3 == 0)
                    key = last + 0.1 * rn(3); /* fractions: keys that are not integers */
                size_t id = rn(round % 2 ? 50 : 100000);
                assert_int_equal(cor_rheap_push(&rh, key, id), 0);
                assert_int_equal(cor_heap_push(&bh, key, id), 0);
                continue;
            }
            uint64_t peek = 0;
            assert_int_equal(cor_rheap_peek(&rh, &peek), 1);
            hentry want = cor_heap_pop(&bh);
            cor_rentry got;
            assert_int_equal(cor_rheap_pop(&rh, &got), 0);
            if (got.key != want.key || got.id != want.id || peek != want.id)
                fail_msg("round %d pop %zu: (%.17g, %llu) peeked %llu, want (%.17g, %zu)", round,
                         pops, got.key, (unsigned long long)got.id, (unsigned long long)peek,
                         want.key, want.id);
            last = want.key;
            pops++;
        }
        assert_int_equal(rh.size, bh.n);
    }
    cor_rheap_free(&rh);
    free(bh.a);
    print_message("%zu pops compared\n", pops);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_multigraphs),
        cmocka_unit_test(test_tie_grids),
        cmocka_unit_test(test_radix_by_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
