/* test_schema.c: edge geometry, the schema's tables and bounds, and the one KIND:ID target rule. */
#include "testutil.h"

#include <math.h>

#include "internal.h"
#include "schema.h"

/* a (40 N, 50 E) and b (41 N, 52 E) placed, c not; rail at 50 km/h. */
#define HEAD                                                                                       \
    "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"geo\","                          \
    " \"defaults\": {\"rail\": {\"speed_kmh\": 50}},"                                              \
    " \"countries\": [{\"code\": \"KZ\"}],"                                                        \
    " \"corridors\": [{\"id\": \"North\"}],"                                                       \
    " \"nodes\": [{\"id\": \"a\", \"name\": \"Alpha\", \"kind\": \"city\", \"lat\": 40, \"lon\": " \
    "50,"                                                                                          \
    "  \"country\": \"KZ\"},"                                                                      \
    "  {\"id\": \"b\", \"name\": \"Bravo\", \"kind\": \"port\", \"lat\": 41, \"lon\": 52},"        \
    "  {\"id\": \"c\", \"kind\": \"city\"}],"

static const char *geo =
    HEAD " \"edges\": [{\"id\": \"a-b\", \"from\": \"a\", \"to\": \"b\","
         " \"mode\": \"rail\", \"corridors\": [\"North\"],"
         " \"geometry\": [[50, 40], [51, 41], [52, 41]]},"
         " {\"id\": \"b-c\", \"from\": \"b\", \"to\": \"c\", \"mode\": \"rail\","
         " \"distance_km\": 10}]}";

static void test_geometry_distance(void **state)
{
    (void)state;
    corridor_model *m = test_model(geo);
    const cor_edge *e = &m->edges[0];
    const double *pts = NULL;
    /* the haversine sum, checked against the spherical law of cosines (Python, same radius) */
    assert_true(fabs(e->metric[CORRIDOR_BY_DISTANCE] - 223.60836135877) < 1e-6);
    assert_true(fabs(e->metric[CORRIDOR_BY_TIME] - 223.60836135877 / 50) < 1e-9);
    assert_false(e->metric_given & (1u << CORRIDOR_BY_DISTANCE)); /* derived, not given */
    assert_int_equal(corridor__edge_shape(m, 0, &pts), 3);
    assert_true(pts[2] == 51 && pts[3] == 41);
    assert_int_equal(corridor__edge_shape(m, 1, &pts), 0);
    assert_null(pts);
    /* one degree of latitude is 111.195 km on the 6371.0088 km sphere */
    assert_true(fabs(corridor__haversine_km(0, 10, 1, 10) - 111.19508023353) < 1e-6);
    corridor_model *c = corridor__model_clone(m); /* the geometry is copied, not shared */
    assert_ptr_not_equal(c->edges[0].geom, m->edges[0].geom);
    assert_int_equal(c->edges[0].geom_n, 3);
    corridor_model_free(c);
    corridor_model_free(m);
}

static void test_geometry_exported(void **state)
{
    (void)state;
    char *dir = test_tmp_dir(), path[512], *t = NULL;
    corridor_model *m = test_model(geo), *back = NULL;
    snprintf(path, sizeof path, "%s/g.geojson", dir);
    assert_int_equal(corridor_export_file(m, CORRIDOR_EXPORT_GEOJSON, path, NULL), 0);
    t = test_slurp(path, NULL);
    assert_non_null(strstr(t, "\"coordinates\": [[50, 40], [51, 41], [52, 41]]"));
    free(t);
    snprintf(path, sizeof path, "%s/g.json", dir);
    assert_int_equal(corridor_export_file(m, CORRIDOR_EXPORT_JSON, path, NULL), 0);
    t = test_slurp(path, NULL);
    assert_non_null(strstr(t, "\"geometry\": [[50, 40], [51, 41], [52, 41]]}"));
    assert_non_null(strstr(t, "\"distance_km\": null")); /* derived again on loading */
    back = test_model(t);
    assert_int_equal(back->edges[0].geom_n, 3);
    assert_true(back->edges[0].metric[CORRIDOR_BY_DISTANCE] ==
                m->edges[0].metric[CORRIDOR_BY_DISTANCE]);
    free(t);
    corridor_model_free(back);
    corridor_model_free(m);
    test_rm_dir(dir);
}

static void test_geometry_cap(void **state)
{
    (void)state;
    /* COR_MAX_GEOM + 1 points: refused before anything is stored */
    cor_buf b;
    corridor__buf_init(&b);
    corridor__buf_puts(&b, HEAD " \"edges\": [{\"id\": \"a-b\", \"from\": \"a\", \"to\": \"b\","
                                " \"mode\": \"rail\", \"geometry\": [[50, 40]");
    for (size_t i = 1; i <= COR_MAX_GEOM; i++)
        corridor__buf_puts(&b, ", [52, 41]");
    corridor__buf_puts(&b, "]}]}");
    test_model_fails(
        b.data, "t.json: edges[0].geometry: too many points: at most 100000 per edge, got 100001");
    corridor__buf_free(&b);
}

/* ---------------------------------------------------------------- targets */

/* route a -> b with one avoid target: the error message, or "" if it resolves. */
static const char *avoid(corridor_model *m, const char *target)
{
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    const char *list[] = {target};
    o.filter.avoid = list;
    o.filter.n_avoid = 1;
    int err = corridor_filter_check(m, &o.filter);
    return err ? corridor_error_message() : "";
}

static void test_target_rule(void **state)
{
    (void)state;
    corridor_model *m = test_model(geo);
    size_t *list = NULL, n = 0;
    /* case: exact first, else ignoring case, for every kind */
    assert_string_equal(avoid(m, "country:kz"), "");
    assert_string_equal(avoid(m, "corridor:north"), "");
    assert_string_equal(avoid(m, "edge:A-B"), "");
    assert_string_equal(avoid(m, "node:BRAVO"), ""); /* names too, for nodes */
    assert_string_equal(avoid(m, "kind:port"), "");  /* kind: works for --avoid too */
    assert_string_equal(avoid(m, "KZ"), "");         /* bare: the one kind it names */
    assert_string_equal(avoid(m, "mode:ral"),
                        "unknown mode \"ral\" (did you mean \"rail\"?); expected one of: rail, "
                        "road, sea, pipeline, power, fiber");
    /* run-time messages name the model looked in (issue 15) */
    assert_string_equal(avoid(m, "node:zulu"), "unknown node \"zulu\" in model \"geo\"");
    /* places: nodes by id or name, country:, kind: */
    assert_int_equal(corridor__place_resolve(&list, &n, m, "kind:port"), 0);
    assert_int_equal(n, 1);
    assert_int_equal(list[0], 1);
    free(list);
    assert_int_equal(corridor__place_resolve(&list, &n, m, "Country:KZ"), CORRIDOR_EINVALID);
    assert_string_equal(corridor_error_message(), "unknown place \"Country:KZ\" in model \"geo\"");
    assert_int_equal(corridor__place_resolve(&list, &n, m, "edge:a-b"), CORRIDOR_EINVALID);
    assert_string_equal(corridor_error_message(),
                        "\"edge:a-b\" is not a place: give a node, country:CODE or kind:KIND");
    corridor_model_free(m);
}

/* Values of a set apply in table order: a bare capacity after the new carries. */
static void test_scenario_value_order(void **state)
{
    (void)state;
    const char *text =
        "{\"format\": \"corridor-scenario\", \"version\": 1, \"name\": \"S\","
        " \"edits\": [{\"op\": \"set\", \"target\": \"edge:b-c\", \"values\":"
        " {\"capacity\": 5, \"carries\": [\"oil\"]}},"
        " {\"op\": \"set\", \"target\": \"node:bravo\", \"values\": {\"name\": \"B\"}}]}";
    corridor_model *m = test_model(geo), *out = NULL;
    corridor_scenario *s = NULL;
    assert_int_equal(corridor_scenario_load_string(&s, text, strlen(text), "s.json", NULL), 0);
    assert_int_equal(corridor_scenario_apply(&out, m, s, NULL), 0);
    assert_int_equal(out->edges[1].carries, 1u << CORRIDOR_CARRY_OIL);
    assert_int_equal(out->edges[1].capacity_given, 1u << CORRIDOR_CARRY_OIL);
    assert_true(out->edges[1].capacity[CORRIDOR_CARRY_OIL] == 5);
    assert_string_equal(out->nodes[1].name, "B"); /* node:NAME, ignoring case, in a scenario too */
    corridor_model_free(out);
    corridor_scenario_free(s);
    corridor_model_free(m);
}

static void test_tables(void **state)
{
    (void)state;
    cor_column cols[64];
    size_t n = corridor__columns(cols, 64, COR_NODE), rows = 0;
    const cor_field *f = corridor__fields(COR_EDGE, &rows);
    /* every row of the edge table has a JSON key but the export-only "derived" column */
    for (size_t i = 0; i < rows; i++)
        assert_true(f[i].key != NULL || f[i].type == CF_DERIVED);
    /* penalties and capacities: one column per metric or commodity, named KEY_SUB */
    assert_int_equal(n, 2 + 2 + 2 + 3 + 3 + COR_NCOM + 2 + 4 + 1); /* ... bpr, ..., attrs */
    assert_string_equal(cols[6].name, "transfer_time_h");
    assert_string_equal(cols[12].name, "capacity_freight");
    assert_string_equal(cols[12 + COR_NCOM].name, "bpr_alpha");
    assert_true(corridor__field(COR_EDGE, "gauge")->rule == COR_RULE_RAIL);
    assert_null(corridor__field(COR_NODE, "gauge"));
    assert_int_equal(corridor__vocab_find(&corridor__modes, "fiber"), CORRIDOR_MODE_FIBER);
    assert_int_equal(corridor__vocab_find(&corridor__modes, "Fiber"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geometry_distance),    cmocka_unit_test(test_geometry_exported),
        cmocka_unit_test(test_geometry_cap),         cmocka_unit_test(test_target_rule),
        cmocka_unit_test(test_scenario_value_order), cmocka_unit_test(test_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
