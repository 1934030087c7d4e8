/* test_budget.c: time limits, cancel and progress (corridor_budget): partial answers are exact
 * prefixes. */
#include "testutil.h"

#include <math.h>

/* A W x W grid: rail and road between neighbours, transfers at every node, deterministic metrics.
 */
static corridor_model *grid_of(int W)
{
    size_t cap = 8u << 20, o = 0;
    char *j = malloc(cap);
    assert_non_null(j);
    o += (size_t)snprintf(j + o, cap - o,
                          "{\"format\":\"corridor-model\",\"version\":1,\"name\":\"grid\","
                          "\"countries\":[{\"code\":\"KZ\",\"name\":\"K\"}],\"nodes\":[");
    for (int y = 0; y < W; y++)
        for (int x = 0; x < W; x++)
            o += (size_t)snprintf(j + o, cap - o,
                                  "%s{\"id\":\"n%d_%d\",\"name\":\"N%d_%d\",\"kind\":\"city\","
                                  "\"country\":\"KZ\",\"lat\":%g,\"lon\":%g,"
                                  "\"transfer\":{\"time_h\":%d}}",
                                  x || y ? "," : "", x, y, x, y, 40 + y * 0.01, 50 + x * 0.01,
                                  1 + (x * 7 + y * 3) % 4);
    o += (size_t)snprintf(j + o, cap - o, "],\"edges\":[");
    int first = 1;
    for (int y = 0; y < W; y++)
        for (int x = 0; x < W; x++)
            for (int d = 0; d < 2; d++) {
                int x2 = x + (d == 0), y2 = y + (d == 1);
                if (x2 >= W || y2 >= W)
                    continue;
                for (int mode = 0; mode < 2; mode++) {
                    double t = 1 + ((x * 13 + y * 29 + d * 7 + mode * 5) % 17) / 4.0;
                    o += (size_t)snprintf(
                        j + o, cap - o,
                        "%s{\"id\":\"%c%d_%d_%d\",\"from\":\"n%d_%d\",\"to\":\"n%d_%d\","
                        "\"mode\":\"%s\",%s\"distance_km\":%g,\"time_h\":%g}",
                        first ? "" : ",", mode ? 'd' : 'r', x, y, d, x, y, x2, y2,
                        mode ? "road" : "rail", mode ? "" : "\"gauge\":1520,", t * 30, t);
                    first = 0;
                }
            }
    o += (size_t)snprintf(j + o, cap - o, "]}");
    assert_true(o < cap);
    corridor_model *m = test_model(j);
    free(j);
    return m;
}

static corridor_model *grid_model(void)
{
    return grid_of(24);
}

/* Cancels after `after` checks (each check is a step or 1024 search steps). */
typedef struct stopper {
    int calls, after;
    size_t progress_calls, last_done, last_total;
    int monotone;
} stopper;

static int stop_cb(void *ud)
{
    stopper *s = ud;
    return ++s->calls > s->after;
}

/* Cancels once some progress was reported (the first chunk of betweenness is done). */
static int stop_after_progress(void *ud)
{
    stopper *s = ud;
    return s->last_done > 0;
}

static void progress_cb(size_t done, size_t total, void *ud)
{
    stopper *s = ud;
    if (s->progress_calls && done < s->last_done)
        s->monotone = 0;
    s->progress_calls++;
    s->last_done = done;
    s->last_total = total;
}

static void budget_with(corridor_budget *b, stopper *s, int after)
{
    corridor_budget init = CORRIDOR_BUDGET_INIT;
    memset(s, 0, sizeof *s);
    s->after = after;
    s->monotone = 1;
    *b = init;
    b->cancel = stop_cb;
    b->progress = progress_cb;
    b->userdata = s;
}

/* A limited k-best search returns exactly the first routes of the unlimited one. */
static void test_route_prefix(void **state)
{
    (void)state;
    corridor_model *m = grid_model();
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    corridor_routes *full = NULL, *part = NULL;
    o.k = 400;
    assert_int_equal(corridor_route_find(&full, m, "n0_0", "n23_23", &o), 0);
    assert_int_equal(full->n, 400);
    assert_true(full->complete);
    corridor_budget b;
    stopper s;
    budget_with(&b, &s, 3);
    o.budget = &b;
    assert_int_equal(corridor_route_find(&part, m, "n0_0", "n23_23", &o), CORRIDOR_ELIMIT);
    assert_non_null(part);
    assert_false(part->complete);
    assert_true(part->n > 0 && part->n < full->n);
    assert_non_null(strstr(corridor_error_message(), "cancelled"));
    for (size_t i = 0; i < part->n; i++) {
        assert_true(part->routes[i].metric[CORRIDOR_BY_TIME] ==
                    full->routes[i].metric[CORRIDOR_BY_TIME]);
        assert_int_equal(part->routes[i].n_edges, full->routes[i].n_edges);
    }
    char *json = NULL;
    assert_int_equal(corridor_routes_json(&json, part), 0);
    assert_non_null(strstr(json, "\"complete\":false"));
    corridor_free(json);
    assert_int_equal(corridor_routes_json(&json, full), 0);
    assert_null(strstr(json, "complete"));
    corridor_free(json);
    corridor_routes_free(part);
    /* stopped at the first check: an answer only if it has routes */
    part = NULL;
    budget_with(&b, &s, 0);
    assert_int_equal(corridor_route_find(&part, m, "n0_0", "n23_23", &o), CORRIDOR_ELIMIT);
    assert_true(!part || (part->n > 0 && !part->complete));
    corridor_routes_free(part);
    corridor_routes_free(full);
    corridor_model_free(m);
}

/* A limited criticality ranking holds elements of the full one, with the same values. */
static void test_critical_partial(void **state)
{
    (void)state;
    corridor_model *m = grid_model();
    corridor_critical_opts o = CORRIDOR_CRITICAL_OPTS_INIT;
    corridor_critical *full = NULL, *part = NULL;
    corridor_budget b;
    stopper s;
    budget_with(&b, &s, 1000000);
    o.budget = &b;
    assert_int_equal(corridor_critical_rank(&full, m, "n0_0", "n23_23", &o), 0);
    assert_true(full->complete);
    /* progress: one call per element, up to the total, never backwards */
    assert_true(s.monotone);
    assert_int_equal(s.last_done, s.last_total);
    assert_true(s.progress_calls >= full->n);
    size_t total = s.last_total;
    budget_with(&b, &s, 5);
    int err = corridor_critical_rank(&part, m, "n0_0", "n23_23", &o);
    assert_int_equal(err, CORRIDOR_ELIMIT);
    assert_non_null(part);
    assert_false(part->complete);
    assert_true(s.last_done < total);
    assert_true(part->n <= s.last_done);
    for (size_t i = 0; i < part->n; i++) {
        size_t j = 0;
        while (j < full->n && strcmp(full->items[j].id, part->items[i].id) != 0)
            j++;
        assert_true(j < full->n);
        assert_true(full->items[j].disconnects == part->items[i].disconnects);
        if (!part->items[i].disconnects)
            assert_true(full->items[j].value == part->items[i].value);
    }
    char *json = NULL;
    assert_int_equal(corridor_critical_json(&json, part), 0);
    assert_non_null(strstr(json, "\"complete\":false"));
    corridor_free(json);
    corridor_critical_free(part);
    corridor_critical_free(full);
    corridor_model_free(m);
}

/* A limited OD ranking equals the full ranking over the pairs it finished. */
static void test_od_partial(void **state)
{
    (void)state;
    corridor_model *m = grid_model();
    corridor_od_pair pairs[4] = {
        {"n0_0", "n23_23", 1}, {"n5_0", "n0_17", 2}, {"n23_0", "n0_23", 1}, {"n3_3", "n20_9", 3}};
    corridor_critical_opts o = CORRIDOR_CRITICAL_OPTS_INIT;
    corridor_od_result *part = NULL, *ref = NULL;
    corridor_budget b;
    stopper s;
    /* the deadline has passed: stops after the first pair (steps check the clock every time) */
    budget_with(&b, &s, 1000000);
    b.deadline = 1e-9;
    o.budget = &b;
    int err = corridor_critical_od(&part, m, pairs, 4, &o, NULL, NULL);
    assert_int_equal(err, CORRIDOR_ELIMIT);
    assert_non_null(strstr(corridor_error_message(), "time limit reached"));
    assert_non_null(part);
    assert_false(part->complete);
    assert_true(part->n_done < 4);
    o.budget = NULL;
    assert_int_equal(corridor_critical_od(&ref, m, pairs, part->n_done, &o, NULL, NULL), 0);
    assert_true(ref->complete);
    assert_int_equal(ref->n, part->n);
    for (size_t i = 0; i < ref->n; i++) {
        assert_string_equal(ref->items[i].id, part->items[i].id);
        assert_int_equal(ref->items[i].lost, part->items[i].lost);
        assert_true(ref->items[i].total_increase == part->items[i].total_increase);
    }
    char *json = NULL;
    assert_int_equal(corridor_od_result_json(&json, part), 0);
    assert_non_null(strstr(json, "\"complete\":false"));
    corridor_free(json);
    corridor_od_result_free(part);
    corridor_od_result_free(ref);
    corridor_model_free(m);
}

/* Cancels once the progress says everything is done. */
static int stop_when_done(void *ud)
{
    stopper *s = ud;
    return s->last_total && s->last_done >= s->last_total;
}

/* A limit reached with the last unit of work does not mark the finished answer incomplete. */
static void test_limit_after_last_unit(void **state)
{
    (void)state;
    corridor_model *m = grid_model();
    corridor_od_pair pairs[2] = {{"n0_0", "n23_23", 1}, {"n5_0", "n0_17", 2}};
    corridor_critical_opts o = CORRIDOR_CRITICAL_OPTS_INIT;
    corridor_od_result *res = NULL;
    corridor_budget b;
    stopper s;
    budget_with(&b, &s, 0);
    b.cancel = stop_when_done;
    o.budget = &b;
    assert_int_equal(corridor_critical_od(&res, m, pairs, 2, &o, NULL, NULL), 0);
    assert_true(res->complete);
    assert_int_equal(res->n_done, 2);
    assert_int_equal(s.last_done, 2);
    corridor_od_result_free(res);
    corridor_model_free(m);
}

/* analyze stops inside igraph at a passed deadline; nothing leaks. */
static void test_igraph_interrupt(void **state)
{
    (void)state;
    corridor_model *m = grid_model();
    corridor_budget b = CORRIDOR_BUDGET_INIT;
    b.deadline = 1e-9;
    corridor_analyze_opts ao = CORRIDOR_ANALYZE_OPTS_INIT;
    corridor_analysis *a = NULL;
    ao.budget = &b;
    int err = corridor_analyze(&a, m, &ao);
    assert_int_equal(err, CORRIDOR_ELIMIT);
    if (a) {
        assert_false(a->complete);
        assert_int_equal(a->per[a->n - 1].n_betweenness, 0);
    }
    corridor_analysis_free(a);
    /* without a budget the same call completes */
    ao.budget = NULL;
    assert_int_equal(corridor_analyze(&a, m, &ao), 0);
    assert_true(a->complete);
    corridor_analysis_free(a);
    assert_true(corridor_clock() > 0);
    corridor_model_free(m);
}

/*
 * Flow goes in three stages (network, reachability, max flow): progress 0..3,
 * and a cancel or a passed deadline stops it between stages, before igraph's
 * max flow (which cannot be stopped), with no result.
 */
static void test_flow_stages(void **state)
{
    (void)state;
    corridor_model *m = test_load_file("tests/fixtures/tiny.json");
    corridor_flow_opts fo = CORRIDOR_FLOW_OPTS_INIT;
    corridor_flow *plain = NULL, *f = NULL;
    corridor_budget b;
    stopper s;
    assert_int_equal(corridor_flow_max(&plain, m, "east", "west", &fo), 0);
    assert_true(plain->value > 0 && !plain->unbounded);
    budget_with(&b, &s, 1000000);
    fo.budget = &b;
    assert_int_equal(corridor_flow_max(&f, m, "east", "west", &fo), 0);
    assert_true(f->value == plain->value);
    assert_int_equal(f->n_cut, plain->n_cut);
    assert_int_equal(s.progress_calls, 4); /* 0, 1, 2, 3 */
    assert_true(s.monotone);
    assert_int_equal(s.last_done, 3);
    assert_int_equal(s.last_total, 3);
    assert_int_equal(s.calls, 2); /* checked after stages 1 and 2, not after the answer */
    corridor_flow_free(f);
    f = NULL;
    for (int after = 0; after < 2; after++) {
        char want[64];
        budget_with(&b, &s, after);
        assert_int_equal(corridor_flow_max(&f, m, "east", "west", &fo), CORRIDOR_ELIMIT);
        assert_null(f);
        snprintf(want, sizeof want, "cancelled after %d of 3 stages", after + 1);
        assert_string_equal(corridor_error_message(), want);
        assert_int_equal(s.last_done, (size_t)after + 1);
    }
    corridor_budget late = CORRIDOR_BUDGET_INIT;
    late.deadline = 1e-9; /* long past */
    fo.budget = &late;
    assert_int_equal(corridor_flow_max(&f, m, "east", "west", &fo), CORRIDOR_ELIMIT);
    assert_null(f);
    assert_string_equal(corridor_error_message(), "time limit reached after 1 of 3 stages");
    corridor_flow_free(plain);
    corridor_model_free(m);
}

/*
 * On more than 2,000 nodes, with a progress callback, betweenness goes in
 * chunks of sources: the same scores as the single igraph call, and a cancel
 * stops it between chunks.
 */
static void test_betweenness_chunks(void **state)
{
    (void)state;
    corridor_model *m = grid_of(46); /* 2,116 nodes */
    corridor_analyze_opts ao = CORRIDOR_ANALYZE_OPTS_INIT;
    corridor_analysis *plain = NULL, *chunked = NULL, *part = NULL;
    ao.top = 30;
    assert_int_equal(corridor_analyze(&plain, m, &ao), 0);
    corridor_budget b;
    stopper s;
    budget_with(&b, &s, 1000000);
    ao.budget = &b;
    assert_int_equal(corridor_analyze(&chunked, m, &ao), 0);
    assert_true(s.progress_calls > 2);
    assert_int_equal(s.last_done, s.last_total);
    assert_int_equal(plain->n, chunked->n);
    for (size_t c = 0; c < plain->n; c++) {
        const corridor_commodity_analysis *x = &plain->per[c], *y = &chunked->per[c];
        assert_int_equal(x->n_betweenness, y->n_betweenness);
        for (size_t i = 0; i < x->n_betweenness; i++) {
            assert_string_equal(x->betweenness[i].id, y->betweenness[i].id);
            assert_true(fabs(x->betweenness[i].score - y->betweenness[i].score) <=
                        1e-9 * fabs(x->betweenness[i].score));
        }
    }
    budget_with(&b, &s, 0);
    b.cancel = stop_after_progress;
    assert_int_equal(corridor_analyze(&part, m, &ao), CORRIDOR_ELIMIT);
    assert_true(s.last_done > 0 && s.last_done < s.last_total);
    assert_non_null(part);
    assert_false(part->complete);
    assert_int_equal(part->per[part->n - 1].n_betweenness, 0);
    assert_int_equal(part->per[0].n_bridges, plain->per[0].n_bridges);
    corridor_analysis_free(part);
    corridor_analysis_free(chunked);
    corridor_analysis_free(plain);
    corridor_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_prefix),
        cmocka_unit_test(test_critical_partial),
        cmocka_unit_test(test_od_partial),
        cmocka_unit_test(test_igraph_interrupt),
        cmocka_unit_test(test_betweenness_chunks),
        cmocka_unit_test(test_flow_stages),
        cmocka_unit_test(test_limit_after_last_unit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
