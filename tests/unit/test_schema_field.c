/* test_schema_field.c: a field added once, in the schema's table, is loaded, checked, settable and
 * exported. */
#include "testutil.h"

#include <math.h>

#include "internal.h"
#include "schema.h"

/*
 * This test is built with the whole library compiled again with
 * -DCORRIDOR_TEST_EXTRA_FIELD (see the Makefile): cor_edge then has a member
 * test_toll (double) and test_toll_given, and the edge table one row
 * "test_toll_usd" (an amount in USD, settable and scalable). Nothing else in
 * the library knows of it: everything below comes from that one row.
 */

#ifndef CORRIDOR_TEST_EXTRA_FIELD
#error "build this test with -DCORRIDOR_TEST_EXTRA_FIELD (make does)"
#endif

#define HEAD                                                                                       \
    "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"toll\","                         \
    " \"nodes\": [{\"id\": \"a\", \"kind\": \"city\"}, {\"id\": \"b\", \"kind\": \"city\"}],"      \
    " \"edges\": [{\"id\": \"a-b\", \"from\": \"a\", \"to\": \"b\", \"mode\": \"road\", "

static const char *toll = HEAD "\"test_toll_usd\": 12.5}]}";

static const cor_edge *edge0(const corridor_model *m)
{
    assert_int_equal(corridor_model_edge_count(m), 1);
    return &m->edges[0];
}

static void test_loaded(void **state)
{
    (void)state;
    corridor_model *m = test_model(toll);
    assert_true(edge0(m)->test_toll == 12.5);
    assert_int_equal(edge0(m)->test_toll_given, 1);
    corridor_model_free(m);
    m = test_model(HEAD "\"test_toll_usd\": null}]}");
    assert_true(isnan(edge0(m)->test_toll));
    assert_int_equal(edge0(m)->test_toll_given, 0);
    corridor_model_free(m);
}

static void test_validated(void **state)
{
    (void)state;
    test_model_fails(HEAD "\"test_toll_usd\": -1}]}",
                     "t.json: edges[0].test_toll_usd: must be >= 0, got -1");
    test_model_fails(HEAD "\"test_toll_usd\": 1e308}]}",
                     "t.json: edges[0].test_toll_usd: must be <= 1e+12 USD, got 1e+308");
    test_model_fails(HEAD "\"test_toll_usd\": \"5\"}]}",
                     "t.json: edges[0].test_toll_usd: expected a number, got a string (\"5\")");
}

/* Applies `edits` to the toll model; returns the new model. */
static corridor_model *apply(const char *edits)
{
    char text[1024];
    snprintf(
        text, sizeof text,
        "{\"format\": \"corridor-scenario\", \"version\": 1, \"name\": \"S\", \"edits\": [%s]}",
        edits);
    corridor_model *base = test_model(toll), *out = NULL;
    corridor_scenario *s = NULL;
    assert_int_equal(corridor_scenario_load_string(&s, text, strlen(text), "s.json", NULL), 0);
    assert_int_equal(corridor_scenario_apply(&out, base, s, NULL), 0);
    corridor_scenario_free(s);
    corridor_model_free(base);
    return out;
}

static void test_scenario_settable(void **state)
{
    (void)state;
    corridor_model *m = apply("{\"op\": \"set\", \"target\": \"edge:a-b\", \"values\": "
                              "{\"test_toll_usd\": 20}}");
    assert_true(edge0(m)->test_toll == 20);
    corridor_model_free(m);
    m = apply("{\"op\": \"scale\", \"target\": \"mode:road\", \"values\": {\"test_toll_usd\": 3}}");
    assert_true(edge0(m)->test_toll == 37.5);
    corridor_model_free(m);
    m = apply("{\"op\": \"set\", \"target\": \"edge:a-b\", \"values\": {\"test_toll_usd\": null}}");
    assert_int_equal(edge0(m)->test_toll_given, 0);
    corridor_model_free(m);
}

/* The file `name` that exporting the toll model as `format` writes into dir. */
static char *exported(const char *dir, corridor_export_format format, const char *name,
                      const char *read)
{
    char path[512], back[512];
    corridor_model *m = test_model(toll);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(corridor_export_file(m, format, path, NULL), 0);
    corridor_model_free(m);
    snprintf(back, sizeof back, "%s/%s", dir, read ? read : name);
    return test_slurp(back, NULL);
}

static void test_exported(void **state)
{
    (void)state;
    char *dir = test_tmp_dir(), *t = NULL;
    t = exported(dir, CORRIDOR_EXPORT_JSON, "m.json", NULL);
    assert_non_null(strstr(t, "\"test_toll_usd\": 12.5"));
    /* the canonical JSON reads back with the field */
    corridor_model *m = test_model(t);
    assert_true(edge0(m)->test_toll == 12.5);
    corridor_model_free(m);
    free(t);
    t = exported(dir, CORRIDOR_EXPORT_CSV, "m.csv", "m-edges.csv");
    assert_non_null(strstr(t, ",test_toll_usd\n")); /* the last row of the table exported */
    assert_non_null(strstr(t, ",12.5\n"));
    free(t);
    t = exported(dir, CORRIDOR_EXPORT_GEOJSON, "m.geojson", NULL);
    assert_non_null(strstr(t, "\"test_toll_usd\": 12.5"));
    free(t);
    t = exported(dir, CORRIDOR_EXPORT_GRAPHML, "m.graphml", NULL);
    assert_non_null(strstr(t, "attr.name=\"test_toll_usd\" attr.type=\"double\""));
    assert_non_null(strstr(t, "<data key=\"e_test_toll_usd\">12.5</data>"));
    free(t);
    t = exported(dir, CORRIDOR_EXPORT_GML, "m.gml", NULL);
    assert_non_null(strstr(t, "test_toll_usd 12.5"));
    free(t);
    test_rm_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loaded),
        cmocka_unit_test(test_validated),
        cmocka_unit_test(test_scenario_settable),
        cmocka_unit_test(test_exported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
