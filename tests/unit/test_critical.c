/* test_critical.c: criticality by route, flow and OD pairs, by hand and against brute force. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "resilience_gen.h"
#include "route_internal.h"

/* a -1h- b -1h- d -1h- e, and a -2h- c -3h- d; capacities for flow */
static const char *const small_json =
    "{\"format\":\"corridor-model\",\"version\":1,\"name\":\"t\",\"nodes\":["
    "{\"id\":\"a\",\"kind\":\"city\"},{\"id\":\"b\",\"kind\":\"city\"},"
    "{\"id\":\"c\",\"kind\":\"city\"},{\"id\":\"d\",\"kind\":\"city\"},"
    "{\"id\":\"e\",\"kind\":\"city\"}],\"edges\":["
    "{\"id\":\"ab\",\"from\":\"a\",\"to\":\"b\",\"mode\":\"rail\",\"time_h\":1,"
    "\"capacity\":{\"freight\":5}},"
    "{\"id\":\"bd\",\"from\":\"b\",\"to\":\"d\",\"mode\":\"rail\",\"time_h\":1,"
    "\"capacity\":{\"freight\":4}},"
    "{\"id\":\"ac\",\"from\":\"a\",\"to\":\"c\",\"mode\":\"rail\",\"time_h\":2,"
    "\"capacity\":{\"freight\":2}},"
    "{\"id\":\"cd\",\"from\":\"c\",\"to\":\"d\",\"mode\":\"rail\",\"time_h\":3,"
    "\"capacity\":{\"freight\":10}},"
    "{\"id\":\"de\",\"from\":\"d\",\"to\":\"e\",\"mode\":\"rail\",\"time_h\":1,"
    "\"capacity\":{\"freight\":6}}]}";

static void expect_item(const corridor_critical_item *it, const char *type, const char *id,
                        double value, double increase, int disconnects)
{
    assert_string_equal(corridor_element_type_name(it->type), type);
    assert_string_equal(it->id, id);
    assert_int_equal(it->disconnects, disconnects);
    if (disconnects && isnan(value))
        assert_true(isnan(it->value));
    else
        assert_true(it->value == value);
    assert_true(it->increase == increase);
}

static void test_route_by_hand(void **state)
{
    (void)state;
    corridor_model *m = test_model(small_json);
    corridor_critical *c = NULL;
    corridor_critical_opts o = CORRIDOR_CRITICAL_OPTS_INIT;
    assert_int_equal(corridor_critical_rank(&c, m, "a", "e", &o), 0);
    assert_true(c->base == 3);
    assert_int_equal(c->n, 5);
    expect_item(&c->items[0], "edge", "de", NAN, INFINITY, 1);
    expect_item(&c->items[1], "node", "d", NAN, INFINITY, 1);
    expect_item(&c->items[2], "edge", "ab", 6, 3, 0);
    expect_item(&c->items[3], "edge", "bd", 6, 3, 0);
    expect_item(&c->items[4], "node", "b", 6, 3, 0);
    assert_int_equal(c->items[2].n_route_edges, 3);
    assert_string_equal(c->items[2].route_edges[0], "ac");
    assert_string_equal(c->items[2].route_edges[1], "cd");
    assert_string_equal(c->items[2].route_edges[2], "de");
    char *json = NULL;
    assert_int_equal(corridor_critical_json(&json, c), 0);
    assert_string_equal(
        json, "{\"from\":\"a\",\"to\":\"e\",\"by\":\"time\",\"base\":3,\"elements\":["
              "{\"type\":\"edge\",\"id\":\"de\",\"value\":null,\"increase\":null,"
              "\"disconnects\":true,\"route\":[]},"
              "{\"type\":\"node\",\"id\":\"d\",\"value\":null,\"increase\":null,"
              "\"disconnects\":true,\"route\":[]},"
              "{\"type\":\"edge\",\"id\":\"ab\",\"value\":6,\"increase\":3,\"disconnects\":false,"
              "\"route\":[\"ac\",\"cd\",\"de\"]},"
              "{\"type\":\"edge\",\"id\":\"bd\",\"value\":6,\"increase\":3,\"disconnects\":false,"
              "\"route\":[\"ac\",\"cd\",\"de\"]},"
              "{\"type\":\"node\",\"id\":\"b\",\"value\":6,\"increase\":3,\"disconnects\":false,"
              "\"route\":[\"ac\",\"cd\",\"de\"]}]}");
    corridor_free(json);
    corridor_critical_free(c);
    corridor_critical_free(NULL);

    /* errors: no route at all, same place, unknown place */
    const char *avoid[] = {"edge:de"};
    o.filter.avoid = avoid;
    o.filter.n_avoid = 1;
    assert_int_equal(corridor_critical_rank(&c, m, "a", "e", &o), CORRIDOR_ENOTFOUND);
    assert_null(c);
    o.filter.n_avoid = 0;
    assert_int_equal(corridor_critical_rank(&c, m, "a", "a", &o), CORRIDOR_EUSAGE);
    assert_int_equal(corridor_critical_rank(&c, m, "a", "zz", &o), CORRIDOR_EINVALID);
    assert_null(c);
    corridor_model_free(m);
}

static void test_flow_by_hand(void **state)
{
    (void)state;
    corridor_model *m = test_model(small_json);
    corridor_critical *c = NULL;
    corridor_critical_opts o = CORRIDOR_CRITICAL_OPTS_INIT;
    o.by_flow = 1;
    assert_int_equal(corridor_critical_rank(&c, m, "a", "e", &o), 0);
    assert_true(c->base == 6);
    assert_int_equal(c->n, 8);
    expect_item(&c->items[0], "edge", "de", 0, 6, 1);
    expect_item(&c->items[1], "node", "d", 0, 6, 1);
    expect_item(&c->items[2], "edge", "ab", 2, 4, 0);
    expect_item(&c->items[3], "edge", "bd", 2, 4, 0);
    expect_item(&c->items[4], "node", "b", 2, 4, 0);
    expect_item(&c->items[5], "edge", "ac", 4, 2, 0);
    expect_item(&c->items[6], "edge", "cd", 4, 2, 0);
    expect_item(&c->items[7], "node", "c", 4, 2, 0);
    char *json = NULL;
    assert_int_equal(corridor_critical_json(&json, c), 0);
    assert_non_null(strstr(json, "\"by\":\"flow\",\"base\":6,\"elements\":[{\"type\":\"edge\","
                                 "\"id\":\"de\",\"value\":0,\"increase\":6,\"disconnects\":true}"));
    corridor_free(json);
    /* flow needs one commodity; no flow at all leaves nothing to rank */
    corridor_critical_free(c);
    c = NULL;
    o.filter.carry = CORRIDOR_CARRY_ANY;
    assert_int_equal(corridor_critical_rank(&c, m, "a", "e", &o), CORRIDOR_EUSAGE);
    assert_null(c);
    o.filter.carry = CORRIDOR_CARRY_FREIGHT;
    const char *avoid[] = {"edge:de"};
    o.filter.avoid = avoid;
    o.filter.n_avoid = 1;
    assert_int_equal(corridor_critical_rank(&c, m, "a", "e", &o), 0);
    assert_true(c->base == 0);
    assert_int_equal(c->n, 0);
    corridor_critical_free(c);
    corridor_model_free(m);

    /* unbounded: a - b - c without capacities, plus a capacitated a - c */
    m = test_model("{\"format\":\"corridor-model\",\"version\":1,\"name\":\"u\",\"nodes\":["
                   "{\"id\":\"a\",\"kind\":\"city\"},{\"id\":\"b\",\"kind\":\"city\"},"
                   "{\"id\":\"c\",\"kind\":\"city\"}],\"edges\":["
                   "{\"id\":\"ab\",\"from\":\"a\",\"to\":\"b\",\"mode\":\"rail\",\"time_h\":1},"
                   "{\"id\":\"bc\",\"from\":\"b\",\"to\":\"c\",\"mode\":\"rail\",\"time_h\":1},"
                   "{\"id\":\"ac\",\"from\":\"a\",\"to\":\"c\",\"mode\":\"road\",\"time_h\":5,"
                   "\"capacity\":{\"freight\":3}}]}");
    o.filter.n_avoid = 0;
    assert_int_equal(corridor_critical_rank(&c, m, "a", "c", &o), 0);
    assert_true(isinf(c->base));
    assert_int_equal(c->n, 3); /* ab, bc, b: each leaves 3 */
    expect_item(&c->items[0], "edge", "ab", 3, INFINITY, 0);
    expect_item(&c->items[2], "node", "b", 3, INFINITY, 0);
    assert_int_equal(corridor_critical_json(&json, c), 0);
    assert_non_null(strstr(json, "\"base\":null,\"elements\":[{\"type\":\"edge\",\"id\":\"ab\","
                                 "\"value\":3,\"increase\":null"));
    corridor_free(json);
    corridor_critical_free(c);
    corridor_model_free(m);
}

static void test_od_by_hand(void **state)
{
    (void)state;
    corridor_model *m = test_model(small_json);
    corridor_od_pair pairs[] = {{"a", "e", 1}, {"a", "d", 2}, {"c", "b", 1}};
    corridor_od_result *r = NULL;
    corridor_critical_opts o = CORRIDOR_CRITICAL_OPTS_INIT;
    const char *avoid[] = {"node:c"};
    o.filter.avoid = avoid;
    o.filter.n_avoid = 1; /* pair 3 starts at an avoided node: no route at all */
    assert_int_equal(corridor_critical_od(&r, m, pairs, 3, &o, NULL, NULL), 0);
    assert_int_equal(r->n_pairs, 3);
    assert_int_equal(r->n_unrouted, 1);
    corridor_od_result_free(r);
    o.filter.n_avoid = 0;
    assert_int_equal(corridor_critical_od(&r, m, pairs, 2, &o, NULL, NULL), 0);
    assert_int_equal(r->n_pairs, 2);
    assert_int_equal(r->n_unrouted, 0);
    assert_int_equal(r->n, 5);
    const char *order[] = {"de", "d", "ab", "bd", "b"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(r->items[i].id, order[i]);
    assert_int_equal(r->items[0].lost, 1);
    assert_int_equal(r->items[1].lost, 1); /* a -> d ends at d: not counted */
    assert_int_equal(r->items[2].lost, 0);
    assert_int_equal(r->items[2].worse, 2);
    assert_true(r->items[2].total_increase == 9);
    char *json = NULL;
    assert_int_equal(corridor_od_result_json(&json, r), 0);
    assert_non_null(strstr(json, "{\"by\":\"time\",\"pairs\":2,\"unrouted\":0,\"elements\":["
                                 "{\"type\":\"edge\",\"id\":\"de\",\"lost\":1,\"worse\":0,"
                                 "\"total_increase\":0},"));
    corridor_free(json);
    corridor_od_result_free(r);
    corridor_od_result_free(NULL);

    pairs[1].weight = -1;
    assert_int_equal(corridor_critical_od(&r, m, pairs, 2, &o, NULL, NULL), CORRIDOR_EUSAGE);
    pairs[1].weight = 2;
    pairs[1].to = "nowhere";
    assert_int_equal(corridor_critical_od(&r, m, pairs, 2, &o, NULL, NULL), CORRIDOR_EINVALID);
    assert_non_null(strstr(corridor_error_message(), "OD pair 2"));
    assert_null(r);
    corridor_model_free(m);
}

/* ------------------------------------------------------------ brute force */

static int pick_place(const gen_net *g, char *out, int avoid_country, int *country)
{
    static const char *const cc[] = {"AA", "BB", "CC"};
    if (gen_rand(5) == 0) {
        int c = (int)gen_rand(3);
        if (c == avoid_country)
            c = (c + 1) % 3;
        for (int v = 0; v < g->n; v++) {
            if (g->country[v] == c) {
                sprintf(out, "country:%s", cc[c]);
                *country = c;
                return -1;
            }
        }
    }
    *country = -1;
    int v;
    do
        v = (int)gen_rand((unsigned)g->n);
    while (g->country[v] == avoid_country);
    sprintf(out, "n%d", v);
    return v;
}

/* Two places that share no node; 0 if the network cannot have them. */
static int pick_pair(const gen_net *g, char *from, char *to)
{
    int cf, ct;
    int a = pick_place(g, from, -1, &cf);
    int avoid = cf;
    if (cf < 0) {
        /* a single origin node: any other node, or a country not containing it */
        avoid = g->country[a];
        if (gen_rand(2)) {
            int b;
            do
                b = (int)gen_rand((unsigned)g->n);
            while (b == a);
            sprintf(to, "n%d", b);
            return 1;
        }
    }
    for (int v = 0; v < g->n; v++)
        if (g->country[v] != avoid) {
            pick_place(g, to, avoid, &ct);
            return 1;
        }
    return 0;
}

/* Best value from -> to without `removed` ("edge:e3", or NULL); NAN if none. */
static double brute_route(const corridor_model *m, const char *from, const char *to,
                          const char *removed)
{
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    const char *avoid[1] = {removed};
    o.k = 1;
    if (removed) {
        o.filter.avoid = avoid;
        o.filter.n_avoid = 1;
    }
    corridor_routes *r = NULL;
    int err = corridor_route_find(&r, m, from, to, &o);
    if (err == CORRIDOR_ENOTFOUND)
        return NAN;
    assert_int_equal(err, 0);
    double v = r->routes[0].metric[CORRIDOR_BY_TIME];
    corridor_routes_free(r);
    return v;
}

static double brute_flow(const corridor_model *m, const char *from, const char *to,
                         const char *removed)
{
    corridor_flow_opts o = CORRIDOR_FLOW_OPTS_INIT;
    const char *avoid[1] = {removed};
    if (removed) {
        o.filter.avoid = avoid;
        o.filter.n_avoid = 1;
    }
    corridor_flow *f = NULL;
    assert_int_equal(corridor_flow_max(&f, m, from, to, &o), 0);
    double v = f->value;
    corridor_flow_free(f);
    return v;
}

/* The node a place stands for if it is exactly one node, else -1. */
static int single_node(const gen_net *g, const char *place)
{
    static const char *const cc[] = {"AA", "BB", "CC"};
    if (place[0] == 'n')
        return atoi(place + 1);
    int found = -1, count = 0;
    for (int v = 0; v < g->n; v++)
        if (strncmp(place, "country:", 8) == 0 && strcmp(place + 8, cc[g->country[v]]) == 0) {
            found = v;
            count++;
        }
    return count == 1 ? found : -1;
}

/* Element names "edge:eN" / "node:nN" of a generated network, except a node that is all of
 * the origin or destination place (losing it trivially disconnects). */
static int elements(const gen_net *g, const char *from, const char *to, char names[][16])
{
    int k = 0, sf = single_node(g, from), st = single_node(g, to);
    for (int e = 0; e < g->m; e++)
        sprintf(names[k++], "edge:e%d", e);
    for (int v = 0; v < g->n; v++)
        if (v != sf && v != st)
            sprintf(names[k++], "node:n%d", v);
    return k;
}

static const corridor_critical_item *find_item(const corridor_critical *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++) {
        char buf[40];
        snprintf(buf, sizeof buf, "%s:%s", corridor_element_type_name(c->items[i].type),
                 c->items[i].id);
        if (strcmp(buf, name) == 0)
            return &c->items[i];
    }
    return NULL;
}

static void check_sorted(const corridor_critical *c)
{
    for (size_t i = 1; i < c->n; i++) {
        const corridor_critical_item *a = &c->items[i - 1], *b = &c->items[i];
        assert_true(a->disconnects >= b->disconnects);
        if (a->disconnects == b->disconnects)
            assert_true(a->increase >= b->increase);
    }
}

#define EPS 1e-9

static void test_route_brute_force(void **state)
{
    (void)state;
    int checked = 0, listed = 0;
    for (int round = 0; round < 250; round++) {
        gen_net g;
        gen_random(&g);
        char *json = gen_json(&g), from[32], to[32];
        corridor_model *m = test_model(json);
        if (!pick_pair(&g, from, to))
            goto next;
        corridor_critical *c = NULL;
        corridor_critical_opts o = CORRIDOR_CRITICAL_OPTS_INIT;
        double base = brute_route(m, from, to, NULL);
        int err = corridor_critical_rank(&c, m, from, to, &o);
        if (isnan(base)) {
            assert_int_equal(err, CORRIDOR_ENOTFOUND);
            goto next;
        }
        assert_int_equal(err, 0);
        assert_true(fabs(c->base - base) < EPS);
        check_sorted(c);
        char names[GEN_MAXE + GEN_MAXN][16];
        int k = elements(&g, from, to, names);
        for (int i = 0; i < k; i++) {
            double v = brute_route(m, from, to, names[i]);
            const corridor_critical_item *it = find_item(c, names[i]);
            if (isnan(v) || v > base + EPS) {
                if (!it)
                    fprintf(stderr, "round %d: %s missing\n%s\n", round, names[i], json);
                assert_non_null(it); /* hurts: must be listed */
            }
            if (!it)
                continue;
            listed++;
            if (isnan(v)) {
                assert_true(it->disconnects);
            } else {
                assert_false(it->disconnects);
                assert_true(fabs(it->value - v) < EPS);
                assert_true(fabs(it->increase - (v - base)) < EPS);
                /* the new route avoids the element */
                for (size_t h = 0; h < it->n_route_edges; h++)
                    assert_false(it->type == CORRIDOR_ELEMENT_EDGE &&
                                 strcmp(it->route_edges[h], it->id) == 0);
            }
        }
        checked++;
        corridor_critical_free(c);
    next:
        corridor_model_free(m);
        free(json);
    }
    print_message("route: %d cases, %d elements listed\n", checked, listed);
    assert_true(checked >= 100);
}

static void test_flow_brute_force(void **state)
{
    (void)state;
    int checked = 0, listed = 0;
    for (int round = 0; round < 250; round++) {
        gen_net g;
        gen_random(&g);
        char *json = gen_json(&g), from[32], to[32];
        corridor_model *m = test_model(json);
        if (!pick_pair(&g, from, to))
            goto next;
        corridor_critical *c = NULL;
        corridor_critical_opts o = CORRIDOR_CRITICAL_OPTS_INIT;
        o.by_flow = 1;
        double base = brute_flow(m, from, to, NULL);
        assert_int_equal(corridor_critical_rank(&c, m, from, to, &o), 0);
        assert_true(c->base == base);
        check_sorted(c);
        char names[GEN_MAXE + GEN_MAXN][16];
        int k = elements(&g, from, to, names);
        size_t want = 0;
        for (int i = 0; i < k; i++) {
            double v = brute_flow(m, from, to, names[i]);
            const corridor_critical_item *it = find_item(c, names[i]);
            int hurts = isinf(base) ? !isinf(v) : v < base;
            if (hurts != (it != NULL))
                fprintf(stderr, "round %d: %s: base %g, without %g, listed %d %s -> %s\n%s\n",
                        round, names[i], base, v, it != NULL, from, to, json);
            assert_int_equal(hurts, it != NULL);
            if (!it)
                continue;
            want++;
            assert_true(it->value == v);
            assert_int_equal(it->disconnects, v == 0);
            assert_true(it->increase == (isinf(base) ? INFINITY : base - v));
        }
        assert_int_equal(c->n, want);
        listed += (int)want;
        checked++;
        corridor_critical_free(c);
    next:
        corridor_model_free(m);
        free(json);
    }
    print_message("flow: %d cases, %d elements listed\n", checked, listed);
    assert_true(checked >= 100);
    assert_true(listed >= 100);
}

static size_t progress_calls;
static void count_progress(size_t done, size_t total, void *userdata)
{
    (void)userdata;
    assert_true(done <= total);
    progress_calls++;
}

static void test_od_brute_force(void **state)
{
    (void)state;
    int checked = 0;
    for (int round = 0; round < 80; round++) {
        gen_net g;
        gen_random(&g);
        char *json = gen_json(&g);
        corridor_model *m = test_model(json);
        char from[6][32], to[6][32];
        corridor_od_pair pairs[6];
        size_t np = 0;
        for (int i = 0; i < 6; i++) {
            if (!pick_pair(&g, from[np], to[np]))
                continue;
            pairs[np].from = from[np];
            pairs[np].to = to[np];
            pairs[np].weight = 1 + gen_rand(3);
            np++;
        }
        corridor_od_result *r = NULL;
        corridor_critical_opts o = CORRIDOR_CRITICAL_OPTS_INIT;
        progress_calls = 0;
        assert_int_equal(corridor_critical_od(&r, m, pairs, np, &o, count_progress, NULL), 0);
        assert_true(progress_calls >= np);
        double base[6];
        size_t unrouted = 0;
        for (size_t i = 0; i < np; i++) {
            base[i] = brute_route(m, pairs[i].from, pairs[i].to, NULL);
            unrouted += isnan(base[i]);
        }
        assert_int_equal(r->n_unrouted, unrouted);
        char names[GEN_MAXE + GEN_MAXN][16];
        int k = elements(&g, "-", "-", names);
        size_t want = 0;
        for (int e = 0; e < k; e++) {
            size_t lost = 0, worse = 0;
            double total = 0;
            for (size_t i = 0; i < np; i++) {
                /* a pair's own single end node does not count */
                int sf = single_node(&g, pairs[i].from), st = single_node(&g, pairs[i].to);
                if ((names[e][0] == 'n' &&
                     (atoi(names[e] + 6) == sf || atoi(names[e] + 6) == st)) ||
                    isnan(base[i]))
                    continue;
                double v = brute_route(m, pairs[i].from, pairs[i].to, names[e]);
                if (isnan(v)) {
                    lost++;
                } else if (v > base[i] + EPS) {
                    worse++;
                    total += pairs[i].weight * (v - base[i]);
                }
            }
            const corridor_od_item *it = NULL;
            for (size_t j = 0; j < r->n; j++) {
                char buf[40];
                snprintf(buf, sizeof buf, "%s:%s", corridor_element_type_name(r->items[j].type),
                         r->items[j].id);
                if (strcmp(buf, names[e]) == 0)
                    it = &r->items[j];
            }
            if (!lost && !worse) {
                assert_null(it);
                continue;
            }
            want++;
            assert_non_null(it);
            assert_int_equal(it->lost, lost);
            assert_int_equal(it->worse, worse);
            assert_true(fabs(it->total_increase - total) < 1e-6);
        }
        assert_int_equal(r->n, want);
        for (size_t j = 1; j < r->n; j++)
            assert_true(r->items[j - 1].lost > r->items[j].lost ||
                        (r->items[j - 1].lost == r->items[j].lost &&
                         r->items[j - 1].total_increase >= r->items[j].total_increase));
        checked++;
        corridor_od_result_free(r);
        corridor_model_free(m);
        free(json);
    }
    assert_true(checked >= 50);
}

/* --------------------------------------------------------------- the router */

/* The nodes a place stands for, as flags; returns how many. */
static int place_nodes(const gen_net *g, const char *place, int *in)
{
    static const char *const cc[] = {"AA", "BB", "CC"};
    int k = 0;
    for (int v = 0; v < g->n; v++) {
        in[v] = place[0] == 'n' ? atoi(place + 1) == v
                                : strncmp(place, "country:", 8) == 0 &&
                                      strcmp(place + 8, cc[g->country[v]]) == 0;
        k += in[v];
    }
    return k;
}

/* Checks that `p` is a route from `from` to `to` in g that avoids element `el` and is worth
 * `value`. */
static void check_path(const gen_net *g, const cor_path *p, const char *from, const char *to,
                       long el, int by_time, double value)
{
    int in_from[GEN_MAXN], in_to[GEN_MAXN], seen[GEN_MAXN] = {0};
    place_nodes(g, from, in_from);
    place_nodes(g, to, in_to);
    assert_true(p->n_edges >= 1);
    assert_true(in_from[p->nodes[0]]);
    assert_true(in_to[p->nodes[p->n_edges]]);
    double t = 0;
    for (size_t j = 0; j < p->n_edges; j++) {
        long e = p->edges[j], a = p->nodes[j], b = p->nodes[j + 1];
        assert_true(e >= 0 && e < g->m && e != el);
        assert_true((g->from[e] == a && g->to[e] == b) ||
                    (!g->oneway[e] && g->from[e] == b && g->to[e] == a));
        if (j > 0 && by_time)
            t += g->dwell[a] + (g->mode[p->edges[j - 1]] != g->mode[e] ? g->transfer[a] : 0);
        t += by_time ? g->time[e] : 1;
    }
    for (size_t j = 0; j <= p->n_edges; j++) {
        assert_false(seen[p->nodes[j]]); /* simple */
        seen[p->nodes[j]] = 1;
        assert_true(p->nodes[j] != el - g->m);
    }
    assert_true(t == value);
}

/*
 * The router with an element taken out against corridor_route_find with that
 * element on the avoid list: one router per network, several pairs (some
 * sharing the destination, so the bounds are reused with a new origin), every
 * element in turn, in a random order.
 */
static void test_router_vs_avoid(void **state)
{
    (void)state;
    int checked = 0, lost = 0;
    for (int round = 0; round < 300; round++) {
        gen_net g;
        gen_random(&g);
        char *json = gen_json(&g);
        corridor_model *m = test_model(json);
        corridor_filter f = CORRIDOR_FILTER_INIT;
        corridor_metric by = gen_rand(4) ? CORRIDOR_BY_TIME : CORRIDOR_BY_DISTANCE;
        cor_router *r = NULL;
        assert_int_equal(cor_router_new(&r, m, &f, by), 0);
        char from[32] = "", to[32] = "";
        for (int pair = 0; pair < 4; pair++) {
            if (pair == 0 || gen_rand(2)) {
                if (!pick_pair(&g, from, to))
                    break;
            } else {
                /* the same destination from another origin */
                int v = (int)gen_rand((unsigned)g.n);
                sprintf(from, "n%d", v);
            }
            corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
            o.k = 1;
            o.by = by;
            corridor_routes *rt = NULL;
            int want = corridor_route_find(&rt, m, from, to, &o);
            corridor_routes_free(rt);
            int err = cor_router_pair(r, from, to);
            if (want == CORRIDOR_EUSAGE) { /* the same node twice */
                assert_int_equal(err, CORRIDOR_EUSAGE);
                continue;
            }
            assert_int_equal(err, 0);
            int n_el = g.m + g.n;
            long order[GEN_MAXE + GEN_MAXN + 1];
            for (int i = 0; i <= n_el; i++)
                order[i] = i - 1; /* -1: nothing taken out */
            for (int i = n_el; i > 0; i--) {
                int j = (int)gen_rand((unsigned)i + 1);
                long x = order[i];
                order[i] = order[j];
                order[j] = x;
            }
            for (int i = 0; i <= n_el; i++) {
                long el = order[i];
                char name[40];
                const char *avoid[1] = {name};
                if (el >= 0) {
                    if (el < g.m)
                        snprintf(name, sizeof name, "edge:e%ld", el);
                    else
                        snprintf(name, sizeof name, "node:n%ld", el - g.m);
                    o.filter.avoid = avoid;
                    o.filter.n_avoid = 1;
                } else {
                    o.filter.n_avoid = 0;
                }
                rt = NULL;
                want = corridor_route_find(&rt, m, from, to, &o);
                double value = -1;
                cor_path p = {NULL, NULL, 0};
                err = cor_router_best(r, el, &value, &p);
                if (want == CORRIDOR_ENOTFOUND) {
                    assert_int_equal(err, CORRIDOR_ENOTFOUND);
                    assert_true(isnan(value));
                    assert_null(p.edges);
                    lost++;
                } else {
                    assert_int_equal(want, 0);
                    if (err != 0 || value != rt->routes[0].metric[by])
                        fprintf(stderr, "round %d: %s -> %s without %ld: %g, want %g\n%s\n", round,
                                from, to, el, value, rt->routes[0].metric[by], json);
                    assert_int_equal(err, 0);
                    assert_true(value == rt->routes[0].metric[by]);
                    check_path(&g, &p, from, to, el, by == CORRIDOR_BY_TIME, value);
                    checked++;
                }
                cor_path_free(&p);
                corridor_routes_free(rt);
            }
        }
        cor_router_free(r);
        corridor_model_free(m);
        free(json);
    }
    print_message("router: %d routes, %d disconnected, as corridor_route_find\n", checked, lost);
    assert_true(checked >= 2000 && lost >= 500);
}

/* Router errors: places, filter, metric, calls out of order; nothing leaks. */
static void test_router_errors(void **state)
{
    (void)state;
    corridor_model *m = test_model(small_json);
    corridor_filter f = CORRIDOR_FILTER_INIT;
    cor_router *r = NULL;
    double v = 0;
    cor_path p = {NULL, NULL, 0};
    assert_int_equal(cor_router_new(&r, m, &f, CORRIDOR_BY_TIME), 0);
    assert_int_equal(cor_router_best(r, -1, &v, &p), CORRIDOR_EUSAGE); /* no pair yet */
    assert_int_equal(cor_router_pair(r, "a", "zz"), CORRIDOR_EINVALID);
    assert_int_equal(cor_router_best(r, -1, &v, NULL), CORRIDOR_EUSAGE);
    assert_int_equal(cor_router_pair(r, "a", "a"), CORRIDOR_EUSAGE);
    assert_int_equal(cor_router_pair(r, NULL, "a"), CORRIDOR_EUSAGE);
    assert_int_equal(cor_router_pair(r, "a", "e"), 0);
    assert_int_equal(cor_router_best(r, 99, &v, &p), CORRIDOR_EUSAGE);
    assert_int_equal(cor_router_best(r, -1, &v, &p), 0);
    assert_true(v == 3);
    assert_int_equal(p.n_edges, 3);
    cor_path_free(&p);
    cor_path_free(&p);
    /* de is a bridge: no route without it, and the message says so */
    assert_int_equal(cor_router_best(r, 4, &v, &p), CORRIDOR_ENOTFOUND);
    assert_non_null(strstr(corridor_error_message(), "without edge \"de\""));
    assert_int_equal(cor_router_best(r, 5 + 1, &v, &p), 0); /* node b */
    assert_true(v == 6);
    cor_path_free(&p);
    assert_int_equal(cor_router_best(r, 5 + 4, &v, NULL), CORRIDOR_ENOTFOUND); /* node e */
    /* a pair after errors still works; the same destination reuses the bounds */
    assert_int_equal(cor_router_pair(r, "b", "e"), 0);
    assert_int_equal(cor_router_best(r, -1, &v, NULL), 0);
    assert_true(v == 2);
    assert_int_equal(cor_router_best(r, 1, &v, NULL), 0); /* without bd: b-a-c-d-e */
    assert_true(v == 7);
    cor_router_free(r);
    cor_router_free(NULL);

    /* filter and metric errors come with the first pair, as from corridor_route_find */
    const char *avoid[] = {"edge:nope"};
    f.avoid = avoid;
    f.n_avoid = 1;
    assert_int_equal(cor_router_new(&r, m, &f, CORRIDOR_BY_TIME), 0);
    assert_int_equal(cor_router_pair(r, "a", "e"), CORRIDOR_EINVALID);
    assert_non_null(strstr(corridor_error_message(), "nope"));
    cor_router_free(r);
    f.n_avoid = 0;
    assert_int_equal(cor_router_new(&r, m, &f, CORRIDOR_BY_COST), 0);
    assert_int_equal(cor_router_pair(r, "a", "e"), CORRIDOR_EINVALID); /* no cost_usd */
    assert_non_null(strstr(corridor_error_message(), "cost_usd"));
    cor_router_free(r);
    /* no route at all: corridor_route_find's reason */
    avoid[0] = "node:d";
    f.n_avoid = 1;
    assert_int_equal(cor_router_new(&r, m, &f, CORRIDOR_BY_TIME), 0);
    assert_int_equal(cor_router_pair(r, "a", "e"), 0);
    assert_int_equal(cor_router_best(r, -1, &v, &p), CORRIDOR_ENOTFOUND);
    assert_non_null(strstr(corridor_error_message(), "no route from \"a\" to \"e\""));
    assert_null(p.edges);
    cor_router_free(r);
    corridor_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_by_hand),    cmocka_unit_test(test_flow_by_hand),
        cmocka_unit_test(test_od_by_hand),       cmocka_unit_test(test_route_brute_force),
        cmocka_unit_test(test_flow_brute_force), cmocka_unit_test(test_od_brute_force),
        cmocka_unit_test(test_router_vs_avoid),  cmocka_unit_test(test_router_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
