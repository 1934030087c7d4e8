/* test_flow.c: max flow and minimum cut, by hand and against an independent Edmonds-Karp. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "resilience_gen.h"

#define HEAD "{\"format\":\"corridor-model\",\"version\":1,\"name\":\"t\","

static corridor_flow *flow_of(const corridor_model *m, const char *from, const char *to)
{
    corridor_flow *f = NULL;
    corridor_flow_opts o = CORRIDOR_FLOW_OPTS_INIT;
    int err = corridor_flow_max(&f, m, from, to, &o);
    if (err)
        print_message("%s\n", corridor_error_message());
    assert_int_equal(err, 0);
    assert_non_null(f);
    return f;
}

/* ------------------------------------------------------------- by hand */

static void test_node_capacity_at_origin(void **state)
{
    (void)state;
    corridor_model *m =
        test_model(HEAD "\"nodes\":[{\"id\":\"a\",\"kind\":\"port\",\"capacity\":"
                        "{\"freight\":5}},{\"id\":\"b\",\"kind\":\"port\"}],"
                        "\"edges\":[{\"id\":\"ab\",\"from\":\"a\",\"to\":\"b\","
                        "\"mode\":\"sea\",\"time_h\":1,\"capacity\":{\"freight\":10}}"
                        "]}");
    corridor_flow *f = flow_of(m, "a", "b");
    assert_true(f->value == 5);
    assert_false(f->unbounded);
    assert_int_equal(f->n_cut, 1);
    assert_int_equal(f->cut[0].type, CORRIDOR_ELEMENT_NODE);
    assert_string_equal(f->cut[0].id, "a");
    assert_true(f->cut[0].capacity == 5);
    char *json = NULL;
    assert_int_equal(corridor_flow_json(&json, f), 0);
    assert_string_equal(json,
                        "{\"from\":\"a\",\"to\":\"b\",\"carry\":\"freight\",\"unit\":\"t/yr\","
                        "\"value\":5,\"unbounded\":false,\"cut\":{\"edges\":[],\"nodes\":[\"a\"]},"
                        "\"cut_items\":[{\"type\":\"node\",\"id\":\"a\",\"capacity\":5}]}");
    corridor_free(json);
    corridor_flow_free(f);
    /* the destination's capacity counts too */
    corridor_flow *g = flow_of(m, "b", "a");
    assert_true(g->value == 5);
    corridor_flow_free(g);
    corridor_model_free(m);
}

#define TWO_NODES "\"nodes\":[{\"id\":\"a\",\"kind\":\"city\"},{\"id\":\"b\",\"kind\":\"city\"}],"

static void test_two_way_and_oneway(void **state)
{
    (void)state;
    corridor_model *m =
        test_model(HEAD TWO_NODES "\"edges\":[{\"id\":\"ab\",\"from\":\"a\",\"to\":\"b\","
                                  "\"mode\":\"rail\",\"time_h\":1,\"capacity\":{\"freight\":10}},"
                                  "{\"id\":\"ab1\",\"from\":\"a\",\"to\":\"b\",\"mode\":\"road\","
                                  "\"time_h\":1,\"oneway\":true,\"capacity\":{\"freight\":4}}]}");
    corridor_flow *f = flow_of(m, "b", "a"); /* the oneway edge does not run b -> a */
    assert_true(f->value == 10);
    assert_int_equal(f->n_cut, 1);
    assert_string_equal(f->cut[0].id, "ab");
    corridor_flow_free(f);
    f = flow_of(m, "a", "b"); /* parallel edges add */
    assert_true(f->value == 14);
    assert_int_equal(f->n_cut, 2);
    assert_string_equal(f->cut[0].id, "ab");
    assert_string_equal(f->cut[1].id, "ab1");
    corridor_flow_free(f);
    corridor_model_free(m);
}

static void test_oneway_reverse_is_zero(void **state)
{
    (void)state;
    corridor_model *m =
        test_model(HEAD TWO_NODES "\"edges\":[{\"id\":\"ab\",\"from\":\"a\",\"to\":\"b\","
                                  "\"mode\":\"rail\",\"time_h\":1,\"oneway\":true}]}");
    corridor_flow *f = flow_of(m, "b", "a");
    assert_true(f->value == 0);
    assert_false(f->unbounded);
    assert_int_equal(f->n_cut, 0);
    corridor_flow_free(f);
    f = flow_of(m, "a", "b");
    assert_true(isinf(f->value));
    assert_true(f->unbounded);
    assert_int_equal(f->n_cut, 0);
    char *json = NULL;
    assert_int_equal(corridor_flow_json(&json, f), 0);
    assert_non_null(strstr(json, "\"value\":null,\"unbounded\":true"));
    corridor_free(json);
    corridor_flow_free(f);
    corridor_model_free(m);
}

static void test_commodity_and_status(void **state)
{
    (void)state;
    /* the pipeline carries oil, not freight; the planned rail line is not operational */
    corridor_model *m = test_model(
        HEAD TWO_NODES "\"edges\":[{\"id\":\"p\",\"from\":\"a\",\"to\":\"b\",\"mode\":\"pipeline\","
                       "\"carries\":[\"oil\"],\"time_h\":1,\"capacity\":{\"oil\":7}},"
                       "{\"id\":\"r\",\"from\":\"a\",\"to\":\"b\",\"mode\":\"rail\",\"time_h\":1,"
                       "\"status\":\"planned\",\"capacity\":{\"freight\":3}}]}");
    corridor_flow *f = flow_of(m, "a", "b");
    assert_true(f->value == 0);
    corridor_flow_free(f);
    corridor_flow_opts o = CORRIDOR_FLOW_OPTS_INIT;
    o.filter.carry = CORRIDOR_CARRY_OIL;
    assert_int_equal(corridor_flow_max(&f, m, "a", "b", &o), 0);
    assert_true(f->value == 7);
    assert_string_equal(f->unit, "bbl/d");
    corridor_flow_free(f);
    o.filter.carry = CORRIDOR_CARRY_FREIGHT;
    o.filter.status = CORRIDOR_STATUS_PLANNED;
    assert_int_equal(corridor_flow_max(&f, m, "a", "b", &o), 0);
    assert_true(f->value == 3);
    corridor_flow_free(f);
    corridor_model_free(m);
}

static void test_country_places(void **state)
{
    (void)state;
    corridor_model *m = test_model(
        HEAD "\"countries\":[{\"code\":\"KZ\",\"name\":\"K\"},{\"code\":\"AZ\",\"name\":\"A\"}],"
             "\"nodes\":[{\"id\":\"k1\",\"kind\":\"port\",\"country\":\"KZ\"},"
             "{\"id\":\"k2\",\"kind\":\"port\",\"country\":\"KZ\",\"capacity\":{\"freight\":2}},"
             "{\"id\":\"z\",\"kind\":\"port\",\"country\":\"AZ\"}],"
             "\"edges\":[{\"id\":\"a\",\"from\":\"k1\",\"to\":\"z\",\"mode\":\"sea\",\"time_h\":1,"
             "\"capacity\":{\"freight\":3}},{\"id\":\"b\",\"from\":\"k2\",\"to\":\"z\","
             "\"mode\":\"sea\",\"time_h\":1,\"capacity\":{\"freight\":4}},"
             "{\"id\":\"c\",\"from\":\"k1\",\"to\":\"k2\",\"mode\":\"rail\",\"time_h\":1}]}");
    corridor_flow *f = flow_of(m, "country:KZ", "country:AZ");
    assert_true(f->value == 5); /* 3 from k1, 2 through k2's own cap */
    assert_int_equal(f->n_cut, 2);
    assert_string_equal(f->cut[0].id, "a");
    assert_int_equal(f->cut[1].type, CORRIDOR_ELEMENT_NODE);
    assert_string_equal(f->cut[1].id, "k2");
    corridor_flow_free(f);
    f = flow_of(m, "k1", "country:AZ"); /* via k2 as well: 3 + min(2, 4) */
    assert_true(f->value == 5);
    corridor_flow_free(f);

    corridor_flow_opts o = CORRIDOR_FLOW_OPTS_INIT;
    assert_int_equal(corridor_flow_max(&f, m, "k1", "k1", &o), CORRIDOR_EUSAGE);
    assert_null(f);
    assert_int_equal(corridor_flow_max(&f, m, "k1", "country:KZ", &o), CORRIDOR_EUSAGE);
    assert_int_equal(corridor_flow_max(&f, m, "k1", "nowhere", &o), CORRIDOR_EINVALID);
    assert_int_equal(corridor_flow_max(&f, m, "country:XX", "z", &o), CORRIDOR_EINVALID);
    o.filter.carry = CORRIDOR_CARRY_ANY;
    assert_int_equal(corridor_flow_max(&f, m, "k1", "z", &o), CORRIDOR_EUSAGE);
    assert_null(f);
    corridor_flow_free(NULL);
    corridor_model_free(m);
}

/* ------------------------------------------------- against a reference */

#define REF_INF 1e12
#define REF_V   (2 * GEN_MAXN + 2)

/* Plain Edmonds-Karp on a capacity matrix with node splitting (v_in = 2v, v_out = 2v + 1). */
static double ref_maxflow(const gen_net *g, const int *is_src, const int *is_dst)
{
    static double cap[REF_V][REF_V];
    int nv = 2 * g->n + 2, s = 2 * g->n, t = s + 1;
    memset(cap, 0, sizeof cap);
    for (int v = 0; v < g->n; v++) {
        cap[2 * v][2 * v + 1] = isinf(g->ncap[v]) ? REF_INF : g->ncap[v];
        if (is_src[v])
            cap[s][2 * v] = REF_INF;
        if (is_dst[v])
            cap[2 * v + 1][t] = REF_INF;
    }
    for (int e = 0; e < g->m; e++) {
        double c = isinf(g->ecap[e]) ? REF_INF : g->ecap[e];
        cap[2 * g->from[e] + 1][2 * g->to[e]] += c;
        if (!g->oneway[e])
            cap[2 * g->to[e] + 1][2 * g->from[e]] += c;
    }
    double total = 0;
    for (;;) {
        int prev[REF_V], queue[REF_V], head = 0, tail = 0;
        for (int i = 0; i < nv; i++)
            prev[i] = -1;
        prev[s] = s;
        queue[tail++] = s;
        while (head < tail && prev[t] < 0) {
            int u = queue[head++];
            for (int w = 0; w < nv; w++)
                if (prev[w] < 0 && cap[u][w] > 0) {
                    prev[w] = u;
                    queue[tail++] = w;
                }
        }
        if (prev[t] < 0)
            break;
        double aug = INFINITY;
        for (int w = t; w != s; w = prev[w])
            if (cap[prev[w]][w] < aug)
                aug = cap[prev[w]][w];
        for (int w = t; w != s; w = prev[w]) {
            cap[prev[w]][w] -= aug;
            cap[w][prev[w]] += aug;
        }
        total += aug;
        if (total >= REF_INF)
            break;
    }
    return total;
}

/* Picks places: two distinct nodes, or two countries that both have nodes. */
static void pick_places(const gen_net *g, char *from, char *to, int *is_src, int *is_dst)
{
    static const char *const cc[] = {"AA", "BB", "CC"};
    memset(is_src, 0, GEN_MAXN * sizeof *is_src);
    memset(is_dst, 0, GEN_MAXN * sizeof *is_dst);
    if (gen_rand(4) == 0) {
        int ca = (int)gen_rand(3), cb = (ca + 1 + (int)gen_rand(2)) % 3, na = 0, nb = 0;
        for (int v = 0; v < g->n; v++) {
            na += g->country[v] == ca;
            nb += g->country[v] == cb;
        }
        if (na && nb) {
            sprintf(from, "country:%s", cc[ca]);
            sprintf(to, "country:%s", cc[cb]);
            for (int v = 0; v < g->n; v++) {
                is_src[v] = g->country[v] == ca;
                is_dst[v] = g->country[v] == cb;
            }
            return;
        }
    }
    int a = (int)gen_rand((unsigned)g->n), b;
    do
        b = (int)gen_rand((unsigned)g->n);
    while (b == a);
    sprintf(from, "n%d", a);
    sprintf(to, "n%d", b);
    is_src[a] = is_dst[b] = 1;
}

static double model_capacity(const gen_net *g, const corridor_cut_item *it)
{
    int x = atoi(it->id + 1);
    return it->type == CORRIDOR_ELEMENT_EDGE ? g->ecap[x] : g->ncap[x];
}

static void test_random_against_reference(void **state)
{
    (void)state;
    int bounded_positive = 0, zero = 0, unbounded = 0;
    for (int round = 0; round < 400; round++) {
        gen_net g;
        gen_random(&g);
        char *json = gen_json(&g);
        corridor_model *m = test_model(json);
        char from[32], to[32];
        int is_src[GEN_MAXN], is_dst[GEN_MAXN];
        pick_places(&g, from, to, is_src, is_dst);
        double ref = ref_maxflow(&g, is_src, is_dst);
        corridor_flow *f = flow_of(m, from, to);
        if (ref >= REF_INF) {
            assert_true(f->unbounded);
            assert_true(isinf(f->value));
            assert_int_equal(f->n_cut, 0);
            unbounded++;
        } else {
            if (f->value != ref)
                print_message("round %d: %s -> %s: got %g, expected %g\n%s\n", round, from, to,
                              f->value, ref, json);
            assert_true(f->value == ref);
            assert_false(f->unbounded);
            double sum = 0;
            const char *avoid[2 * GEN_MAXE + GEN_MAXN];
            char names[2 * GEN_MAXE + GEN_MAXN][16];
            for (size_t i = 0; i < f->n_cut; i++) {
                assert_true(f->cut[i].capacity == model_capacity(&g, &f->cut[i]));
                if (i)
                    assert_true(f->cut[i - 1].type < f->cut[i].type ||
                                (f->cut[i - 1].type == f->cut[i].type &&
                                 strcmp(f->cut[i - 1].id, f->cut[i].id) < 0));
                sum += f->cut[i].capacity;
                snprintf(names[i], sizeof names[i], "%s:%s",
                         corridor_element_type_name(f->cut[i].type), f->cut[i].id);
                avoid[i] = names[i];
            }
            assert_true(sum == f->value);
            if (ref == 0)
                zero++;
            else
                bounded_positive++;
            /* taking the cut away leaves nothing */
            corridor_flow_opts o = CORRIDOR_FLOW_OPTS_INIT;
            o.filter.avoid = avoid;
            o.filter.n_avoid = f->n_cut;
            corridor_flow *after = NULL;
            assert_int_equal(corridor_flow_max(&after, m, from, to, &o), 0);
            assert_true(after->value == 0);
            corridor_flow_free(after);
        }
        corridor_flow_free(f);
        corridor_model_free(m);
        free(json);
    }
    print_message("flow: %d bounded > 0, %d zero, %d unbounded\n", bounded_positive, zero,
                  unbounded);
    assert_true(bounded_positive >= 100);
    assert_true(zero >= 10);
    assert_true(unbounded >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_node_capacity_at_origin),
        cmocka_unit_test(test_two_way_and_oneway),
        cmocka_unit_test(test_oneway_reverse_is_zero),
        cmocka_unit_test(test_commodity_and_status),
        cmocka_unit_test(test_country_places),
        cmocka_unit_test(test_random_against_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
