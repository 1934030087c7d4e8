/* test_analyze.c: components, bridges, articulation points, betweenness on hand-built networks. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define HEAD "{\"format\":\"corridor-model\",\"version\":1,\"name\":\"t\","

/* A node list "a".."z" of the given ids (comma-separated in `ids`). */
static char *nodes_json(const char *ids)
{
    static char buf[4096];
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", ids);
    size_t len = (size_t)snprintf(buf, sizeof buf, "\"nodes\":[");
    int first = 1;
    for (char *tok = strtok(tmp, ","); tok; tok = strtok(NULL, ",")) {
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s{\"id\":\"%s\",\"kind\":\"city\"}",
                                first ? "" : ",", tok);
        first = 0;
    }
    snprintf(buf + len, sizeof buf - len, "],");
    return buf;
}

/* Edges from a spec "id from to [oneway]; ..." (rail, 1 h each), plus `extra` raw JSON items. */
static corridor_model *model_of(const char *ids, const char *spec, const char *extra)
{
    char json[8192], tmp[1024];
    size_t len = (size_t)snprintf(json, sizeof json, HEAD "%s\"edges\":[", nodes_json(ids));
    snprintf(tmp, sizeof tmp, "%s", spec);
    int first = 1;
    char *save = NULL;
    for (char *item = strtok_r(tmp, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
        char id[32], a[32], b[32], flag[32] = "";
        assert_true(sscanf(item, "%31s %31s %31s %31s", id, a, b, flag) >= 3);
        len +=
            (size_t)snprintf(json + len, sizeof json - len,
                             "%s{\"id\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"mode\":\"rail\","
                             "\"time_h\":1,\"oneway\":%s}",
                             first ? "" : ",", id, a, b, strcmp(flag, "oneway") ? "false" : "true");
        first = 0;
    }
    snprintf(json + len, sizeof json - len, "%s%s]}", extra && !first ? "," : "",
             extra ? extra : "");
    return test_model(json);
}

static corridor_analysis *analyze(const corridor_model *m, corridor_commodity carry, size_t top)
{
    corridor_analysis *a = NULL;
    corridor_analyze_opts o = CORRIDOR_ANALYZE_OPTS_INIT;
    o.filter.carry = carry;
    o.top = top;
    int err = corridor_analyze(&a, m, &o);
    if (err)
        print_message("%s\n", corridor_error_message());
    assert_int_equal(err, 0);
    return a;
}

static void test_bridges_and_parallel_edges(void **state)
{
    (void)state;
    /* a =(two parallel)= b, triangle b-c-d, d - e; separately f - g; and an oil pipeline x - y */
    corridor_model *m =
        model_of("a,b,c,d,e,f,g,x,y", "ab1 a b; ab2 b a; bc b c; cd c d; db d b; de d e; fg f g",
                 "{\"id\":\"p\",\"from\":\"x\",\"to\":\"y\",\"mode\":\"pipeline\","
                 "\"carries\":[\"oil\"],\"time_h\":1}");
    corridor_analysis *a = analyze(m, CORRIDOR_CARRY_ANY, 10);
    assert_int_equal(a->n, 2);
    const corridor_commodity_analysis *fr = &a->per[0], *oil = &a->per[1];
    assert_int_equal(fr->carry, CORRIDOR_CARRY_FREIGHT);
    assert_int_equal(fr->nodes, 7);
    assert_int_equal(fr->edges, 7);
    assert_int_equal(fr->n_components, 2);
    assert_int_equal(fr->component_sizes[0], 5);
    assert_int_equal(fr->component_sizes[1], 2);
    assert_string_equal(fr->components[0][0], "a");
    assert_string_equal(fr->components[0][4], "e");
    assert_string_equal(fr->components[1][0], "f");
    /* neither of the parallel pair is a bridge */
    assert_int_equal(fr->n_bridges, 2);
    assert_string_equal(fr->bridges[0], "de");
    assert_string_equal(fr->bridges[1], "fg");
    assert_int_equal(fr->n_articulation_points, 2);
    assert_string_equal(fr->articulation_points[0], "b");
    assert_string_equal(fr->articulation_points[1], "d");

    assert_int_equal(oil->carry, CORRIDOR_CARRY_OIL);
    assert_int_equal(oil->nodes, 2);
    assert_int_equal(oil->edges, 1);
    assert_int_equal(oil->n_components, 1);
    assert_int_equal(oil->n_bridges, 1);
    assert_string_equal(oil->bridges[0], "p");
    assert_int_equal(oil->n_articulation_points, 0);
    corridor_analysis_free(a);

    /* only one commodity when asked */
    a = analyze(m, CORRIDOR_CARRY_OIL, 10);
    assert_int_equal(a->n, 1);
    assert_int_equal(a->per[0].carry, CORRIDOR_CARRY_OIL);
    corridor_analysis_free(a);

    /* without one of the parallel edges, the other becomes a bridge and b an articulation point
     * still; a is not */
    const char *avoid[] = {"edge:ab2"};
    corridor_analyze_opts o = CORRIDOR_ANALYZE_OPTS_INIT;
    o.filter.carry = CORRIDOR_CARRY_FREIGHT;
    o.filter.avoid = avoid;
    o.filter.n_avoid = 1;
    assert_int_equal(corridor_analyze(&a, m, &o), 0);
    assert_int_equal(a->per[0].n_bridges, 3);
    assert_string_equal(a->per[0].bridges[0], "ab1");
    corridor_analysis_free(a);
    corridor_analysis_free(NULL);
    corridor_model_free(m);
}

static double score_of(const corridor_commodity_analysis *ca, const char *type, const char *id)
{
    for (size_t i = 0; i < ca->n_betweenness; i++)
        if (strcmp(corridor_element_type_name(ca->betweenness[i].type), type) == 0 &&
            strcmp(ca->betweenness[i].id, id) == 0)
            return ca->betweenness[i].score;
    return 0;
}

static void test_betweenness_path(void **state)
{
    (void)state;
    corridor_model *m = model_of("a,b,c,d", "ab a b; bc b c; cd c d", NULL);
    corridor_analysis *a = analyze(m, CORRIDOR_CARRY_FREIGHT, 10);
    const corridor_commodity_analysis *ca = &a->per[0];
    /* nodes b, c (2 each, by id), then edges bc (4), ab, cd (3 each) */
    assert_int_equal(ca->n_betweenness, 5);
    assert_string_equal(ca->betweenness[0].id, "b");
    assert_string_equal(ca->betweenness[1].id, "c");
    assert_true(ca->betweenness[0].score == 2);
    assert_true(ca->betweenness[1].score == 2);
    assert_int_equal(ca->betweenness[2].type, CORRIDOR_ELEMENT_EDGE);
    assert_string_equal(ca->betweenness[2].id, "bc");
    assert_true(ca->betweenness[2].score == 4);
    assert_string_equal(ca->betweenness[3].id, "ab");
    assert_string_equal(ca->betweenness[4].id, "cd");
    assert_true(ca->betweenness[4].score == 3);
    assert_int_equal(ca->n_bridges, 3);
    assert_int_equal(ca->n_articulation_points, 2);
    corridor_analysis_free(a);

    a = analyze(m, CORRIDOR_CARRY_FREIGHT, 1); /* top 1 node and 1 edge */
    assert_int_equal(a->per[0].n_betweenness, 2);
    assert_string_equal(a->per[0].betweenness[0].id, "b");
    assert_string_equal(a->per[0].betweenness[1].id, "bc");
    char *json = NULL;
    assert_int_equal(corridor_analysis_json(&json, a), 0);
    assert_string_equal(
        json,
        "{\"by\":\"time\",\"commodities\":[{\"carry\":\"freight\",\"nodes\":4,\"edges\":3,"
        "\"n_components\":1,\"components\":[{\"size\":4,\"nodes\":[\"a\",\"b\",\"c\",\"d\"]}],"
        "\"bridges\":[\"ab\",\"bc\",\"cd\"],\"articulation_points\":[\"b\",\"c\"],"
        "\"betweenness\":{\"nodes\":[{\"id\":\"b\",\"score\":2}],"
        "\"edges\":[{\"id\":\"bc\",\"score\":4}]}}]}");
    corridor_free(json);
    corridor_analysis_free(a);
    corridor_model_free(m);
}

static void test_betweenness_star_weighted_oneway(void **state)
{
    (void)state;
    /* star: s in the middle; a slow direct link l1-l2 (time 5) is not used */
    corridor_model *m = model_of("s,l1,l2,l3,l4", "s1 s l1; s2 s l2; s3 s l3; s4 s l4",
                                 "{\"id\":\"slow\",\"from\":\"l1\",\"to\":\"l2\","
                                 "\"mode\":\"road\",\"time_h\":5}");
    corridor_analysis *a = analyze(m, CORRIDOR_CARRY_FREIGHT, 10);
    const corridor_commodity_analysis *ca = &a->per[0];
    assert_true(score_of(ca, "node", "s") == 6); /* every leaf pair, l1-l2 too (2 h < 5 h) */
    assert_true(score_of(ca, "edge", "slow") == 0);
    assert_true(score_of(ca, "edge", "s1") == 4);
    assert_string_equal(ca->betweenness[0].id, "s");
    corridor_analysis_free(a);
    corridor_model_free(m);

    /* a -> b oneway, b - c: only a to c passes b (and c to a cannot): half a pair */
    m = model_of("a,b,c", "ab a b oneway; bc b c", NULL);
    a = analyze(m, CORRIDOR_CARRY_FREIGHT, 10);
    assert_true(score_of(&a->per[0], "node", "b") == 0.5);
    assert_int_equal(a->per[0].n_components, 1);
    corridor_analysis_free(a);
    corridor_model_free(m);
}

static void test_errors_and_empty(void **state)
{
    (void)state;
    /* no time and no distance: analysis by time cannot weigh it */
    corridor_model *m = model_of("a,b", "",
                                 "{\"id\":\"ab\",\"from\":\"a\",\"to\":\"b\","
                                 "\"mode\":\"rail\",\"cost_usd\":0}");
    corridor_analysis *a = NULL;
    corridor_analyze_opts o = CORRIDOR_ANALYZE_OPTS_INIT;
    assert_int_equal(corridor_analyze(&a, m, &o), CORRIDOR_EINVALID);
    assert_null(a);
    assert_non_null(strstr(corridor_error_message(), "ab"));
    /* zero weights are fine (cost 0 everywhere) */
    o.by = CORRIDOR_BY_COST;
    assert_int_equal(corridor_analyze(&a, m, &o), 0);
    assert_int_equal(a->n, 1);
    assert_int_equal(a->per[0].n_bridges, 1);
    corridor_analysis_free(a);
    /* nothing operational carries data: no entry */
    const char *avoid[] = {"mode:rail"};
    o.filter.avoid = avoid;
    o.filter.n_avoid = 1;
    assert_int_equal(corridor_analyze(&a, m, &o), 0);
    assert_int_equal(a->n, 0);
    char *json = NULL;
    assert_int_equal(corridor_analysis_json(&json, a), 0);
    assert_string_equal(json, "{\"by\":\"cost\",\"commodities\":[]}");
    corridor_free(json);
    corridor_analysis_free(a);
    const char *bad[] = {"node:nowhere"};
    o.filter.avoid = bad;
    assert_int_equal(corridor_analyze(&a, m, &o), CORRIDOR_EINVALID);
    corridor_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bridges_and_parallel_edges),
        cmocka_unit_test(test_betweenness_path),
        cmocka_unit_test(test_betweenness_star_weighted_oneway),
        cmocka_unit_test(test_errors_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
