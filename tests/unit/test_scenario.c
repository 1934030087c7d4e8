/* test_scenario.c: unit tests of what-if scenarios: parsing, each edit, ordering, errors. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

/*
 * A small model checkable by hand:
 *   a(AA city) -rail 100 km, derived- b(AA port, cap 1000) -sea- c(BB port) -road- d(BB city)
 *   a -rail- d planned (opens 2030); b -pipeline (oil)- c.
 * Rail defaults: 50 km/h, 2 $/km, 1 kg/km, so a-b derives 2 h, 200 $, 100 kg.
 */
static const char *mini =
    "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"mini\","
    " \"defaults\": {\"rail\": {\"speed_kmh\": 50, \"cost_usd_per_km\": 2, \"co2_kg_per_km\": 1}},"
    " \"countries\": [{\"code\": \"AA\", \"name\": \"Aland\"}, {\"code\": \"BB\", \"name\": "
    "\"Bland\"}, {\"code\": \"CC\", \"name\": \"Cland\"}],"
    " \"corridors\": [{\"id\": \"east\", \"name\": \"East\"}, {\"id\": \"west\", \"name\": "
    "\"West\"}],"
    " \"nodes\": ["
    "  {\"id\": \"a\", \"name\": \"A\", \"kind\": \"city\", \"country\": \"AA\"},"
    "  {\"id\": \"b\", \"name\": \"B\", \"kind\": \"port\", \"country\": \"AA\","
    "   \"capacity\": {\"freight\": 1000}},"
    "  {\"id\": \"c\", \"name\": \"C\", \"kind\": \"port\", \"country\": \"BB\"},"
    "  {\"id\": \"d\", \"name\": \"D\", \"kind\": \"city\", \"country\": \"BB\"}],"
    " \"edges\": ["
    "  {\"id\": \"a-b\", \"from\": \"a\", \"to\": \"b\", \"mode\": \"rail\", \"distance_km\": 100,"
    "   \"gauge\": 1520, \"corridors\": [\"east\"]},"
    "  {\"id\": \"b-c\", \"from\": \"b\", \"to\": \"c\", \"mode\": \"sea\", \"distance_km\": 400,"
    "   \"time_h\": 20, \"cost_usd\": 500, \"co2_kg\": 50, \"capacity\": {\"freight\": 800},"
    "   \"corridors\": [\"east\"]},"
    "  {\"id\": \"c-d\", \"from\": \"c\", \"to\": \"d\", \"mode\": \"road\", \"distance_km\": 50,"
    "   \"time_h\": 1, \"cost_usd\": 100, \"co2_kg\": 30},"
    "  {\"id\": \"a-d\", \"from\": \"a\", \"to\": \"d\", \"mode\": \"rail\", \"distance_km\": 300,"
    "   \"status\": \"planned\", \"opens\": 2030},"
    "  {\"id\": \"p\", \"from\": \"b\", \"to\": \"c\", \"mode\": \"pipeline\", \"carries\": "
    "[\"oil\"],"
    "   \"distance_km\": 400, \"capacity\": {\"oil\": 5000}}]}";

/* Scenario text with the given edits (a JSON array body). */
static char *scenario_text(const char *edits)
{
    char *s = corridor__asprintf("{\"format\": \"corridor-scenario\", \"version\": 1, \"name\": "
                                 "\"Test\", \"edits\": [%s]}",
                                 edits);
    assert_non_null(s);
    return s;
}

static corridor_scenario *load_ok(const char *edits)
{
    char *text = scenario_text(edits);
    corridor_scenario *s = NULL;
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    int err = corridor_scenario_load_string(&s, text, strlen(text), "t.json", d);
    for (size_t i = 0; i < corridor_diags_count(d); i++)
        print_message("%s\n", corridor_diags_line(d, i));
    assert_int_equal(err, 0);
    assert_int_equal(corridor_diags_errors(d), 0);
    corridor_diags_free(d);
    free(text);
    return s;
}

/* Applies `edits` to the mini model; returns the new model (the base is freed). */
static corridor_model *apply_ok(const char *edits)
{
    corridor_model *base = test_model(mini), *out = NULL;
    corridor_scenario *s = load_ok(edits);
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    int err = corridor_scenario_apply(&out, base, s, d);
    for (size_t i = 0; i < corridor_diags_count(d); i++)
        print_message("%s\n", corridor_diags_line(d, i));
    assert_int_equal(err, 0);
    corridor_diags_free(d);
    corridor_scenario_free(s);
    corridor_model_free(base);
    return out;
}

/* Loading fails with EINVALID and the diagnostics hold `line`. */
static void load_fails(const char *edits, const char *line)
{
    char *text = scenario_text(edits);
    corridor_scenario *s = NULL;
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_scenario_load_string(&s, text, strlen(text), "t.json", d),
                     CORRIDOR_EINVALID);
    assert_null(s);
    assert_true(test_has_line(d, line));
    corridor_diags_free(d);
    free(text);
}

/* Loading succeeds, applying fails with EINVALID and the diagnostics hold `line`. */
static void apply_fails(const char *edits, const char *line)
{
    corridor_model *base = test_model(mini), *out = (corridor_model *)1;
    corridor_scenario *s = load_ok(edits);
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_scenario_apply(&out, base, s, d), CORRIDOR_EINVALID);
    assert_null(out);
    assert_true(test_has_line(d, line));
    corridor_diags_free(d);
    corridor_scenario_free(s);
    corridor_model_free(base);
}

static const cor_edge *edge(const corridor_model *m, const char *id)
{
    long i = corridor__edge_find(m, id);
    assert_true(i >= 0);
    return &m->edges[i];
}

static const cor_node *node(const corridor_model *m, const char *id)
{
    long i = corridor__node_find(m, id);
    assert_true(i >= 0);
    return &m->nodes[i];
}

/* ------------------------------------------------------------------ set */

static void test_set_status_and_clone(void **state)
{
    (void)state;
    corridor_model *base = test_model(mini), *out = NULL;
    corridor_scenario *s = load_ok("{\"op\": \"set\", \"target\": \"edge:a-d\", \"values\": "
                                   "{\"status\": \"operational\", \"opens\": null, \"name\": "
                                   "\"A-D line\"}}");
    assert_string_equal(corridor_scenario_name(s), "Test");
    assert_int_equal(corridor_scenario_edit_count(s), 1);
    assert_int_equal(corridor_scenario_apply(&out, base, s, NULL), 0);
    assert_int_equal(edge(out, "a-d")->status, CORRIDOR_STATUS_OPERATIONAL);
    assert_int_equal(edge(out, "a-d")->opens, 0);
    assert_string_equal(edge(out, "a-d")->name, "A-D line");
    assert_string_equal(corridor_model_name(out), "mini + Test");
    /* the base is unchanged */
    assert_int_equal(edge(base, "a-d")->status, CORRIDOR_STATUS_PLANNED);
    assert_int_equal(edge(base, "a-d")->opens, 2030);
    assert_null(edge(base, "a-d")->name);
    assert_string_equal(corridor_model_name(base), "mini");
    /* applying twice gives the same, independent result */
    corridor_model *out2 = NULL;
    assert_int_equal(corridor_scenario_apply(&out2, base, s, NULL), 0);
    assert_int_equal(edge(out2, "a-d")->status, CORRIDOR_STATUS_OPERATIONAL);
    corridor_model_free(out);
    assert_string_equal(edge(out2, "a-d")->name, "A-D line");
    corridor_model_free(out2);
    corridor_scenario_free(s);
    corridor_model_free(base);
}

static void test_set_metrics_rederive(void **state)
{
    (void)state;
    /* a-b: time derived from distance; setting distance moves it, setting time fixes it */
    corridor_model *m = apply_ok("{\"op\": \"set\", \"target\": \"edge:a-b\", \"values\": "
                                 "{\"distance_km\": 150}}");
    assert_true(fabs(edge(m, "a-b")->metric[CORRIDOR_BY_TIME] - 3.0) < 1e-9);
    assert_true(fabs(edge(m, "a-b")->metric[CORRIDOR_BY_COST] - 300.0) < 1e-9);
    corridor_model_free(m);
    m = apply_ok("{\"op\": \"set\", \"target\": \"edge:a-b\", \"values\": {\"time_h\": 7}},"
                 "{\"op\": \"set\", \"target\": \"edge:a-b\", \"values\": {\"distance_km\": 50}}");
    assert_true(fabs(edge(m, "a-b")->metric[CORRIDOR_BY_TIME] - 7.0) < 1e-9);
    assert_true(fabs(edge(m, "a-b")->metric[CORRIDOR_BY_COST] - 100.0) < 1e-9);
    corridor_model_free(m);
    /* null: derive again (b-c has no sea defaults: not derivable) */
    m = apply_ok("{\"op\": \"set\", \"target\": \"edge:b-c\", \"values\": {\"time_h\": null}}");
    assert_true(isnan(edge(m, "b-c")->metric[CORRIDOR_BY_TIME]));
    corridor_model_free(m);
}

static void test_set_capacity_gauge_carries(void **state)
{
    (void)state;
    corridor_model *m = apply_ok(
        "{\"op\": \"set\", \"target\": \"mode:rail\", \"values\": {\"capacity\": 2500, "
        "\"gauge\": 1435}},"
        "{\"op\": \"set\", \"target\": \"edge:p\", \"values\": {\"carries\": [\"oil\", \"gas\"], "
        "\"capacity\": {\"gas\": 9, \"oil\": null}}},"
        "{\"op\": \"set\", \"target\": \"node:b\", \"values\": {\"capacity\": {\"freight\": 5},"
        " \"dwell\": {\"time_h\": 4}, \"transfer\": {\"time_h\": 10, \"cost_usd\": 50}}},"
        "{\"op\": \"set\", \"target\": \"edge:c-d\", \"values\": {\"oneway\": true}}");
    const cor_edge *ab = edge(m, "a-b"), *ad = edge(m, "a-d"), *p = edge(m, "p");
    assert_true(ab->capacity[CORRIDOR_CARRY_FREIGHT] == 2500);
    assert_true(ad->capacity[CORRIDOR_CARRY_FREIGHT] == 2500);
    assert_true(isinf(ab->capacity[CORRIDOR_CARRY_OIL])); /* bare number: carried ones only */
    assert_int_equal(ab->gauge, 1435);
    assert_int_equal(ad->gauge, 1435);
    assert_int_equal(p->carries, (1u << CORRIDOR_CARRY_OIL) | (1u << CORRIDOR_CARRY_GAS));
    assert_true(p->capacity[CORRIDOR_CARRY_GAS] == 9);
    assert_true(isinf(p->capacity[CORRIDOR_CARRY_OIL]));
    assert_int_equal(p->capacity_given, 1u << CORRIDOR_CARRY_GAS);
    const cor_node *b = node(m, "b");
    assert_true(b->capacity[CORRIDOR_CARRY_FREIGHT] == 5);
    assert_true(b->dwell[CORRIDOR_BY_TIME] == 4);
    assert_true(b->transfer[CORRIDOR_BY_TIME] == 10);
    assert_true(b->transfer[CORRIDOR_BY_COST] == 50);
    assert_int_equal(edge(m, "c-d")->oneway, 1);
    assert_int_equal(edge(m, "b-c")->oneway, 0);
    corridor_model_free(m);
}

/* ---------------------------------------------------------------- scale */

static void test_scale(void **state)
{
    (void)state;
    corridor_model *m = apply_ok(
        "{\"op\": \"scale\", \"target\": \"mode:sea\", \"values\": {\"capacity\": 0.75, "
        "\"time_h\": 1.5}},"
        "{\"op\": \"scale\", \"target\": \"kind:port\", \"values\": {\"capacity\": 0.5}},"
        "{\"op\": \"scale\", \"target\": \"edge:p\", \"values\": {\"capacity\": {\"oil\": 2}}}");
    assert_true(fabs(edge(m, "b-c")->capacity[CORRIDOR_CARRY_FREIGHT] - 600) < 1e-9);
    assert_true(fabs(edge(m, "b-c")->metric[CORRIDOR_BY_TIME] - 30) < 1e-9);
    assert_true(fabs(edge(m, "b-c")->metric[CORRIDOR_BY_COST] - 500) < 1e-9);
    assert_true(fabs(node(m, "b")->capacity[CORRIDOR_CARRY_FREIGHT] - 500) < 1e-9);
    assert_true(isinf(node(m, "c")->capacity[CORRIDOR_CARRY_FREIGHT])); /* unlimited stays so */
    assert_true(fabs(edge(m, "p")->capacity[CORRIDOR_CARRY_OIL] - 10000) < 1e-9);
    /* rail and road edges untouched */
    assert_true(fabs(edge(m, "a-b")->metric[CORRIDOR_BY_TIME] - 2) < 1e-9);
    assert_true(fabs(edge(m, "c-d")->metric[CORRIDOR_BY_TIME] - 1) < 1e-9);
    corridor_model_free(m);
}

static void test_scale_derived_metric(void **state)
{
    (void)state;
    /* scaling a derived time keeps the scaled value once the distance changes later */
    corridor_model *m = apply_ok(
        "{\"op\": \"scale\", \"target\": \"edge:a-b\", \"values\": {\"time_h\": 3}},"
        "{\"op\": \"set\", \"target\": \"edge:a-b\", \"values\": {\"distance_km\": 1000}}");
    const cor_edge *ab = edge(m, "a-b");
    assert_true(fabs(ab->metric[CORRIDOR_BY_TIME] - 6) < 1e-9);
    assert_true(ab->metric_given & (1u << CORRIDOR_BY_TIME));
    assert_true(fabs(ab->metric[CORRIDOR_BY_COST] - 2000) < 1e-9); /* still derived */
    corridor_model_free(m);
    /* scaling a distance moves the metrics derived from it */
    m = apply_ok("{\"op\": \"scale\", \"target\": \"corridor:east\", \"values\": "
                 "{\"distance_km\": 2}}");
    assert_true(fabs(edge(m, "a-b")->metric[CORRIDOR_BY_TIME] - 4) < 1e-9);
    assert_true(fabs(edge(m, "b-c")->metric[CORRIDOR_BY_TIME] - 20) < 1e-9);
    assert_true(fabs(edge(m, "b-c")->metric[CORRIDOR_BY_DISTANCE] - 800) < 1e-9);
    corridor_model_free(m);
}

/* ---------------------------------------------------------------- close */

static void test_close(void **state)
{
    (void)state;
    corridor_model *m = apply_ok("{\"op\": \"close\", \"target\": \"country:BB\"}");
    assert_int_equal(node(m, "c")->status, CORRIDOR_STATUS_CLOSED);
    assert_int_equal(node(m, "d")->status, CORRIDOR_STATUS_CLOSED);
    assert_int_equal(node(m, "a")->status, CORRIDOR_STATUS_OPERATIONAL);
    /* a closed node takes its edges with it in queries */
    cor_selection sel;
    corridor_filter f = CORRIDOR_FILTER_INIT;
    assert_int_equal(corridor__selection_build(&sel, m, &f), 0);
    assert_int_equal(sel.edge_ok[corridor__edge_find(m, "b-c")], 0);
    assert_int_equal(sel.edge_ok[corridor__edge_find(m, "a-b")], 1);
    corridor__selection_free(&sel);
    corridor_model_free(m);

    m = apply_ok("{\"op\": \"close\", \"target\": \"corridor:east\"}");
    assert_int_equal(edge(m, "a-b")->status, CORRIDOR_STATUS_CLOSED);
    assert_int_equal(edge(m, "b-c")->status, CORRIDOR_STATUS_CLOSED);
    assert_int_equal(edge(m, "c-d")->status, CORRIDOR_STATUS_OPERATIONAL);
    assert_int_equal(node(m, "b")->status, CORRIDOR_STATUS_OPERATIONAL);
    corridor_model_free(m);
}

/* ------------------------------------------------------------------ add */

static void test_add(void **state)
{
    (void)state;
    corridor_model *m = apply_ok(
        "{\"op\": \"add\", \"nodes\": [{\"id\": \"e\", \"name\": \"E\", \"kind\": \"junction\","
        " \"country\": \"CC\"}],"
        " \"edges\": [{\"id\": \"d-e\", \"from\": \"d\", \"to\": \"e\", \"mode\": \"rail\","
        " \"distance_km\": 25, \"corridors\": [\"west\"], \"capacity\": 70}]},"
        "{\"op\": \"scale\", \"target\": \"corridor:west\", \"values\": {\"capacity\": 2}}");
    assert_int_equal(corridor_model_node_count(m), 5);
    assert_int_equal(corridor_model_edge_count(m), 6);
    const cor_edge *de = edge(m, "d-e");
    assert_int_equal(de->from, (size_t)corridor__node_find(m, "d"));
    assert_int_equal(de->to, (size_t)corridor__node_find(m, "e"));
    assert_true(fabs(de->metric[CORRIDOR_BY_TIME] - 0.5) < 1e-9); /* derived: 25 km / 50 km/h */
    assert_true(fabs(de->capacity[CORRIDOR_CARRY_FREIGHT] - 140) < 1e-9);
    assert_string_equal(node(m, "e")->name, "E");
    assert_int_equal(node(m, "e")->country, corridor__country_find(m, "CC"));
    /* routing sees the new edge */
    corridor_routes *r = NULL;
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    o.k = 1;
    assert_int_equal(corridor_route_find(&r, m, "a", "e", &o), 0);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->routes[0].nodes[r->routes[0].n_nodes - 1], "e");
    corridor_routes_free(r);
    corridor_model_free(m);
}

static void test_add_errors(void **state)
{
    (void)state;
    apply_fails("{\"op\": \"add\", \"nodes\": [{\"id\": \"b\", \"name\": \"B2\", \"kind\": "
                "\"city\"}]}",
                "t.json: edits[0].nodes[0].id: duplicate id \"b\" (the model already has a "
                "node \"b\")");
    apply_fails("{\"op\": \"add\", \"edges\": [{\"id\": \"x\", \"from\": \"a\", \"to\": \"dd\", "
                "\"mode\": \"road\"}]}",
                "t.json: edits[0].edges[0].to: unknown node \"dd\" (did you mean \"d\"?)");
    apply_fails("{\"op\": \"add\", \"edges\": [{\"id\": \"a-b\", \"from\": \"a\", \"to\": \"b\", "
                "\"mode\": \"road\"}]}",
                "t.json: edits[0].edges[0].id: duplicate id \"a-b\" (the model already has "
                "an edge \"a-b\")");
    /* the format's own rules are checked when the scenario is read */
    load_fails("{\"op\": \"add\", \"edges\": [{\"id\": \"x\", \"from\": \"a\", \"to\": \"a\", "
               "\"mode\": \"road\"}]}",
               "t.json: edits[0].edges[0]: self-loop: from and to are both \"a\"");
    load_fails("{\"op\": \"add\", \"edges\": [{\"id\": \"x\", \"from\": \"a\", \"to\": \"c\", "
               "\"mode\": \"pipeline\"}]}",
               "t.json: edits[0].edges[0]: missing required field \"carries\" (a pipeline must say "
               "what it carries: freight, oil, gas, power, data)");
    load_fails("{\"op\": \"add\", \"edges\": [{\"id\": \"x\", \"from\": \"a\", \"to\": \"c\", "
               "\"mode\": \"sea\", \"gauge\": 1520, \"capacity\": {\"gas\": 1}}]}",
               "t.json: edits[0].edges[0].gauge: gauge is for rail edges only (this edge is sea)");
    /* added elements are read by the model loader: its messages, at the edit's paths */
    load_fails("{\"op\": \"add\", \"nodes\": [{\"id\": \"x\", \"kind\": \"town\"}]}",
               "t.json: edits[0].nodes[0].kind: unknown kind \"town\"; expected one of: "
               "country, city, port, rail-terminal, border, junction, oil-terminal, gas-terminal, "
               "landing-station, substation, field");
    load_fails("{\"op\": \"add\"}",
               "t.json: edits[0]: missing required field \"nodes\" or \"edges\" (arrays in the "
               "model's format)");
}

/* ------------------------------------------------------------- ordering */

static void test_order(void **state)
{
    (void)state;
    corridor_model *m =
        apply_ok("{\"op\": \"set\", \"target\": \"edge:b-c\", \"values\": {\"capacity\": 1000}},"
                 "{\"op\": \"scale\", \"target\": \"edge:b-c\", \"values\": {\"capacity\": 0.5}}");
    assert_true(fabs(edge(m, "b-c")->capacity[CORRIDOR_CARRY_FREIGHT] - 500) < 1e-9);
    corridor_model_free(m);
    m = apply_ok("{\"op\": \"scale\", \"target\": \"edge:b-c\", \"values\": {\"capacity\": 0.5}},"
                 "{\"op\": \"set\", \"target\": \"edge:b-c\", \"values\": {\"capacity\": 1000}}");
    assert_true(fabs(edge(m, "b-c")->capacity[CORRIDOR_CARRY_FREIGHT] - 1000) < 1e-9);
    corridor_model_free(m);
    /* close, then reopen */
    m = apply_ok("{\"op\": \"close\", \"target\": \"node:c\"},"
                 "{\"op\": \"set\", \"target\": \"kind:port\", \"values\": {\"status\": "
                 "\"operational\"}}");
    assert_int_equal(node(m, "c")->status, CORRIDOR_STATUS_OPERATIONAL);
    corridor_model_free(m);
    /* a later edit may target what an earlier one added */
    m = apply_ok("{\"op\": \"add\", \"nodes\": [{\"id\": \"e\", \"name\": \"E\", \"kind\": "
                 "\"city\"}]},"
                 "{\"op\": \"close\", \"target\": \"node:e\"}");
    assert_int_equal(node(m, "e")->status, CORRIDOR_STATUS_CLOSED);
    corridor_model_free(m);
}

/* -------------------------------------------------------- bad scenarios */

static void test_bad_syntax(void **state)
{
    (void)state;
    load_fails("{\"op\": \"close\", \"target\": \"node:a\"}, {\"op\": \"remove\", \"target\": "
               "\"node:a\"}",
               "t.json: edits[1].op: unknown op \"remove\"; expected one of: set, scale, close, "
               "add");
    load_fails("{\"op\": \"set\", \"target\": \"edge:a-b\", \"values\": {\"capacity\": \"big\"}}",
               "t.json: edits[0].values.capacity: expected a number or an object by commodity, "
               "got a string (\"big\")");
    load_fails("{\"op\": \"set\", \"target\": \"edge:a-b\", \"values\": {\"time_h\": -1}}",
               "t.json: edits[0].values.time_h: must be >= 0, got -1");
    load_fails("{\"op\": \"scale\", \"target\": \"mode:sea\", \"values\": {\"capacity\": -0.5}}",
               "t.json: edits[0].values.capacity: scale factor must be >= 0, got -0.5");
    load_fails("{\"op\": \"scale\", \"target\": \"mode:sea\", \"values\": {\"status\": 2}}",
               "t.json: edits[0].values.status: status cannot be scaled (scale on edges: "
               "distance_km, time_h, cost_usd, co2_kg, capacity)");
    load_fails("{\"op\": \"close\"}",
               "t.json: edits[0]: missing required field \"target\" (close needs a target: one of "
               "node, edge, country, corridor, mode, kind, as KIND:ID)");
    load_fails("{\"op\": \"close\", \"target\": \"a-b\"}",
               "t.json: edits[0].target: \"a-b\" has no kind: write KIND:ID with KIND one of "
               "node, edge, country, corridor, mode, kind");
    load_fails("{\"op\": \"close\", \"target\": \"port:b\"}",
               "t.json: edits[0].target: unknown target kind \"port\"; expected one of: node, "
               "edge, country, corridor, mode, kind");
    load_fails("{\"op\": \"close\", \"target\": \"mode:ral\"}",
               "t.json: edits[0].target: unknown mode \"ral\" (did you mean \"rail\"?); expected "
               "one of: rail, road, sea, pipeline, power, fiber");
    load_fails("{\"op\": \"set\", \"target\": \"kind:port\", \"values\": {\"gauge\": 1520}}",
               "t.json: edits[0].values.gauge: gauge is not a field of nodes (the target selects "
               "nodes; set on nodes: name, transfer, dwell, capacity, bpr_alpha, bpr_beta, status, "
               "opens, source, description)");
    load_fails(
        "{\"op\": \"set\", \"target\": \"edge:a-b\", \"values\": {\"capcity\": 5}}",
        "t.json: edits[0].values.capcity: unknown field (did you mean \"capacity\"?); set "
        "on edges: name, distance_km, time_h, cost_usd, co2_kg, carries, capacity, bpr_alpha, "
        "bpr_beta, gauge, oneway, status, opens, source, description");
    load_fails("{\"op\": \"set\", \"target\": \"edge:a-b\", \"values\": {\"status\": \"open\"}}",
               "t.json: edits[0].values.status: unknown status \"open\"; expected one of: "
               "operational, construction, planned, closed");
    load_fails("{\"op\": \"set\", \"target\": \"edge:a-b\"}",
               "t.json: edits[0]: missing required field \"values\" (set needs an object of "
               "fields, e.g. {\"status\": \"operational\"})");
    /* the model's bounds: a number too large, a factor too large, \u0000 in a string */
    load_fails("{\"op\": \"set\", \"target\": \"edge:a-b\", \"values\": {\"time_h\": 1e308}}",
               "t.json: edits[0].values.time_h: must be <= 1e+09 h, got 1e+308");
    load_fails("{\"op\": \"scale\", \"target\": \"edge:a-b\", \"values\": {\"time_h\": 1e300}}",
               "t.json: edits[0].values.time_h: scale factor must be <= 1e+06, got 1e+300");
    /* not even JSON */
    corridor_scenario *s = NULL;
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_scenario_load_string(&s, "{\"format\": ", 11, "t.json", d),
                     CORRIDOR_EINVALID);
    assert_int_equal(corridor_diags_errors(d), 1);
    corridor_diags_free(d);
    /* text problems: nothing after the value, no NUL, valid UTF-8, not empty */
    static const struct {
        const char *text;
        size_t len;
        const char *line;
    } texts[] = {
        {"{\"format\": \"corridor-scenario\"} x", 33,
         "t.json:1:33: invalid JSON: unexpected text after the end of the JSON value"},
        {"{\"name\": \"a\0b\"}", 15,
         "t.json:1:12: invalid JSON: NUL byte in the file (is it binary?)"},
        {"\n{\"name\": \"\xc3\x28\"}", 15, "t.json:2:11: invalid JSON: invalid UTF-8 byte 0xc3"},
        {"{\"name\": \"a\\u0000b\"}", 20,
         "t.json:1:12: string holds \\u0000 (a NUL character), which no name or id may hold"},
        {" \n\t", 3, "t.json: empty file: expected a corridor-scenario JSON object"},
        {"{\"format\": ", 11, "t.json:1:11: invalid JSON: unexpected end of file"},
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        assert_int_equal(corridor_diags_new(&d), 0);
        assert_int_equal(
            corridor_scenario_load_string(&s, texts[i].text, texts[i].len, "t.json", d),
            CORRIDOR_EINVALID);
        assert_int_equal(corridor_diags_count(d), 1);
        assert_true(test_has_line(d, texts[i].line));
        corridor_diags_free(d);
    }
    /* a model given as a scenario */
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_scenario_load_string(&s, mini, strlen(mini), "m.json", d),
                     CORRIDOR_EINVALID);
    assert_true(test_has_line(d, "m.json: format: expected \"corridor-scenario\", got "
                                 "\"corridor-model\" (this is a model: load it with -m)"));
    corridor_diags_free(d);
}

static void test_unknown_field_warns(void **state)
{
    (void)state;
    char *text = scenario_text("{\"op\": \"close\", \"target\": \"node:a\", \"taget\": 1}");
    corridor_scenario *s = NULL;
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_scenario_load_string(&s, text, strlen(text), "t.json", d), 0);
    assert_int_equal(corridor_diags_errors(d), 0);
    assert_int_equal(corridor_diags_count(d), 1);
    assert_true(corridor_diags_is_warning(d, 0));
    assert_true(test_has_line(d, "t.json: warning: edits[0].taget: unknown field (did you mean "
                                 "\"target\"?)"));
    corridor_diags_free(d);
    corridor_scenario_free(s);
    free(text);
}

static void test_bad_apply(void **state)
{
    (void)state;
    /* without diagnostics, the error message names the first problem */
    corridor_model *base = test_model(mini), *out = NULL;
    corridor_scenario *s = load_ok("{\"op\": \"close\", \"target\": \"node:zzz\"},"
                                   "{\"op\": \"close\", \"target\": \"node:y\"}");
    assert_int_equal(corridor_scenario_apply(&out, base, s, NULL), CORRIDOR_EINVALID);
    assert_string_equal(
        corridor_error_message(),
        "t.json: scenario does not apply: edits[0].target: unknown node \"zzz\" in model "
        "\"test\" (and 1 more errors)");
    corridor_scenario_free(s);
    corridor_model_free(base);

    apply_fails("{\"op\": \"close\", \"target\": \"node:a\"},"
                "{\"op\": \"close\", \"target\": \"edge:b-cc\"}",
                "t.json: edits[1].target: unknown edge \"b-cc\" in model \"test\" (did you mean "
                "\"b-c\"?)");
    apply_fails("{\"op\": \"close\", \"target\": \"country:XX\"}",
                "t.json: edits[0].target: unknown country \"XX\" in model \"test\"");
    apply_fails("{\"op\": \"close\", \"target\": \"mode:fiber\"}",
                "t.json: edits[0].target: no edge of mode \"fiber\" in model \"test\"");
    apply_fails("{\"op\": \"close\", \"target\": \"country:CC\"}",
                "t.json: edits[0].target: country \"CC\" has no nodes in model \"test\"");
    apply_fails("{\"op\": \"close\", \"target\": \"corridor:west\"}",
                "t.json: edits[0].target: corridor \"west\" has no edges in model \"test\"");
    apply_fails("{\"op\": \"close\", \"target\": \"kind:field\"}",
                "t.json: edits[0].target: no node of kind \"field\" in model \"test\"");
    /* edits that break the model's rules */
    apply_fails("{\"op\": \"close\", \"target\": \"node:a\"},"
                "{\"op\": \"set\", \"target\": \"edge:c-d\", \"values\": {\"gauge\": 1520}}",
                "t.json: edits[1].values.gauge: gauge is for rail edges only: edge \"c-d\" is "
                "road");
    apply_fails("{\"op\": \"set\", \"target\": \"corridor:east\", \"values\": {\"capacity\": "
                "{\"oil\": 5}}}",
                "t.json: edits[0].values.capacity: edge \"a-b\" (and 1 more edge) does not carry "
                "oil but has a capacity for it");
    apply_fails("{\"op\": \"set\", \"target\": \"edge:p\", \"values\": {\"carries\": "
                "[\"gas\"]}}",
                "t.json: edits[0].values.carries: edge \"p\" does not carry oil but has a "
                "capacity for it");
    /* a scale within the factor bound that takes a value past the model's bound */
    apply_fails("{\"op\": \"scale\", \"target\": \"edge:a-b\", \"values\": {\"distance_km\": "
                "1e6}}",
                "t.json: edits[0].values.distance_km: must be <= 1e+06 km, got 100000000 on edge "
                "\"a-b\"");
}

/* ---------------------------------------------------- shipped scenarios */

/* Path of a shipped scenario, from the source tree root or the build tree. */
static char *shipped(const char *name)
{
    static const char *const roots[] = {".", "..", "../..", "../../..", "/work/main"};
    const char *env = getenv("CORRIDOR_SRCDIR");
    for (size_t i = 0; i < 6; i++) {
        const char *root = i == 0 ? env : roots[i - 1];
        if (!root)
            continue;
        char *p = corridor__asprintf("%s/graphs/scenarios/%s.json", root, name);
        assert_non_null(p);
        if (access(p, R_OK) == 0)
            return p;
        free(p);
    }
    fail_msg("graphs/scenarios/%s.json not found (set CORRIDOR_SRCDIR)", name);
    return NULL;
}

static corridor_model *apply_shipped(const corridor_model *base, const char *name)
{
    char *path = shipped(name);
    corridor_scenario *s = NULL;
    corridor_model *out = NULL;
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    int err = corridor_scenario_load_file(&s, path, d);
    if (err == 0)
        err = corridor_scenario_apply(&out, base, s, d);
    for (size_t i = 0; i < corridor_diags_count(d); i++)
        print_message("%s\n", corridor_diags_line(d, i));
    assert_int_equal(err, 0);
    assert_int_equal(corridor_diags_count(d), 0); /* not even a warning */
    assert_true(strlen(corridor_scenario_description(s)) > 40);
    corridor_diags_free(d);
    corridor_scenario_free(s);
    free(path);
    return out;
}

static void test_shipped_apply(void **state)
{
    (void)state;
    static const char *const names[] = {"zangezur-opens",
                                        "caspian-shallowing-2030",
                                        "northern-route-closed",
                                        "middle-corridor-2027",
                                        "alat-25mt",
                                        "transit-growth-2024"};
    corridor_model *base = NULL;
    assert_int_equal(corridor_model_load_builtin(&base, "caspian", NULL), 0);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        corridor_model *m = apply_shipped(base, names[i]);
        assert_int_equal(corridor_model_node_count(m), corridor_model_node_count(base));
        assert_true(strstr(corridor_model_name(m), " + ") != NULL);
        corridor_model_free(m);
    }
    corridor_model_free(base);
}

/* Max flow of `carry` from `from` to `to`, without road if `no_road`. */
static double max_flow(const corridor_model *m, const char *from, const char *to,
                       corridor_commodity carry, int no_road)
{
    static const char *const avoid[] = {"mode:road"};
    corridor_flow *f = NULL;
    corridor_flow_opts o = CORRIDOR_FLOW_OPTS_INIT;
    o.filter.carry = carry;
    o.filter.avoid = avoid;
    o.filter.n_avoid = no_road ? 1 : 0;
    assert_int_equal(corridor_flow_max(&f, m, from, to, &o), 0);
    double v = f->value;
    corridor_flow_free(f);
    return v;
}

static void test_shipped_middle_corridor_2027(void **state)
{
    (void)state;
    corridor_model *base = NULL;
    assert_int_equal(corridor_model_load_builtin(&base, "caspian", NULL), 0);
    corridor_model *m = apply_shipped(base, "middle-corridor-2027");
    /* by rail and sea, Khorgos -> Kars is held to 5 Mt/yr by Marabda-Akhalkalaki; then 10 */
    assert_true(max_flow(base, "khorgos", "kars", CORRIDOR_CARRY_FREIGHT, 1) == 5e6);
    assert_true(max_flow(m, "khorgos", "kars", CORRIDOR_CARRY_FREIGHT, 1) == 10e6);
    /* with road too, the Caspian fleets are the limit: 3.0 + 1.0 + 0.5 + 0.89 Mt/yr, then
       5.56 + 1.86 + 0.93 + 1.65 = 10 */
    assert_true(fabs(max_flow(base, "khorgos", "kars", CORRIDOR_CARRY_FREIGHT, 0) - 5.39e6) < 1);
    assert_true(fabs(max_flow(m, "khorgos", "kars", CORRIDOR_CARRY_FREIGHT, 0) - 10e6) < 1);
    corridor_model_free(m);
    corridor_model_free(base);
}

static void test_shipped_shallowing(void **state)
{
    (void)state;
    corridor_model *base = NULL;
    assert_int_equal(corridor_model_load_builtin(&base, "caspian", NULL), 0);
    corridor_model *m = apply_shipped(base, "caspian-shallowing-2030");
    /* Kazakh crude into BTC: the tanker leg's 140,600 bbl/d (7 Mt/yr) becomes 105,450 */
    assert_true(fabs(max_flow(base, "tengiz", "ceyhan", CORRIDOR_CARRY_OIL, 0) - 140600) < 1e-6);
    assert_true(fabs(max_flow(m, "tengiz", "ceyhan", CORRIDOR_CARRY_OIL, 0) - 105450) < 1e-6);
    assert_true(fabs(node(m, "aktau")->capacity[CORRIDOR_CARRY_FREIGHT] - 2.625e6) < 1e-6);
    /* the fleets are the crossing's bottleneck: Kazakhstan -> Azerbaijan and Khorgos -> Kars
       fall from 5.39 to 0.75 * 5.39 = 4.0425 Mt/yr */
    assert_true(
        fabs(max_flow(base, "country:KZ", "country:AZ", CORRIDOR_CARRY_FREIGHT, 0) - 5.39e6) < 1);
    assert_true(
        fabs(max_flow(m, "country:KZ", "country:AZ", CORRIDOR_CARRY_FREIGHT, 0) - 4.0425e6) < 1);
    assert_true(fabs(max_flow(m, "khorgos", "kars", CORRIDOR_CARRY_FREIGHT, 0) - 4.0425e6) < 1);
    /* the ferry's derived cost becomes a given, 1.333 times larger; its time is unchanged */
    const cor_edge *b = edge(base, "aktau-alat-ferry"), *e = edge(m, "aktau-alat-ferry");
    assert_true(fabs(e->metric[CORRIDOR_BY_COST] - 1.333 * b->metric[CORRIDOR_BY_COST]) < 1e-6);
    assert_true(e->metric[CORRIDOR_BY_TIME] == b->metric[CORRIDOR_BY_TIME]);
    assert_true(fabs(e->capacity[CORRIDOR_CARRY_FREIGHT] - 750000) < 1e-6);
    /* the Black Sea is not the Caspian */
    assert_true(edge(m, "poti-constanta-feeder")->metric[CORRIDOR_BY_COST] ==
                edge(base, "poti-constanta-feeder")->metric[CORRIDOR_BY_COST]);
    corridor_model_free(m);
    corridor_model_free(base);
}

static void test_shipped_alat_and_growth(void **state)
{
    (void)state;
    corridor_model *base = NULL;
    assert_int_equal(corridor_model_load_builtin(&base, "caspian", NULL), 0);
    corridor_model *alat = apply_shipped(base, "alat-25mt");
    corridor_model *grow = apply_shipped(base, "transit-growth-2024");
    /* Alat's own throughput 15 -> 25 Mt/yr, but the fleets still hold the crossing to 5.39 */
    assert_true(max_flow(base, "alat", "baku", CORRIDOR_CARRY_FREIGHT, 0) == 15e6);
    assert_true(max_flow(alat, "alat", "baku", CORRIDOR_CARRY_FREIGHT, 0) == 25e6);
    assert_true(
        fabs(max_flow(alat, "country:KZ", "country:AZ", CORRIDOR_CARRY_FREIGHT, 0) - 5.39e6) < 1);
    /* growth as capacity stress: the fleets x 0.826 (5.39 -> 4.45214); rail BTK x 0.752 */
    assert_true(fabs(max_flow(grow, "khorgos", "kars", CORRIDOR_CARRY_FREIGHT, 0) - 4452140) < 1);
    assert_true(fabs(max_flow(grow, "alat", "kars", CORRIDOR_CARRY_FREIGHT, 1) - 3.76e6) < 1);
    corridor_model_free(grow);
    corridor_model_free(alat);
    corridor_model_free(base);
}

/* Whether node id is on route r. */
static int route_has_node(const corridor_route *r, const char *id)
{
    for (size_t i = 0; i < r->n_nodes; i++)
        if (strcmp(r->nodes[i], id) == 0)
            return 1;
    return 0;
}

static void test_shipped_northern_closed(void **state)
{
    (void)state;
    corridor_model *base = NULL;
    assert_int_equal(corridor_model_load_builtin(&base, "caspian", NULL), 0);
    corridor_model *m = apply_shipped(base, "northern-route-closed");
    corridor_routes *r = NULL;
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    o.k = 1;
    assert_int_equal(corridor_route_find(&r, base, "dostyk", "warsaw", &o), 0);
    corridor_routes_free(r);
    r = NULL;
    assert_int_equal(corridor_route_find(&r, m, "dostyk", "warsaw", &o), CORRIDOR_ENOTFOUND);
    assert_null(r);
    /* China -> the EU hub: through Russia before, across the Caspian (Alat) after */
    assert_int_equal(corridor_route_find(&r, base, "xian", "budapest", &o), 0);
    assert_true(route_has_node(&r->routes[0], "moscow") && !route_has_node(&r->routes[0], "alat"));
    double before = r->routes[0].metric[CORRIDOR_BY_TIME];
    corridor_routes_free(r);
    r = NULL;
    assert_int_equal(corridor_route_find(&r, m, "xian", "budapest", &o), 0);
    assert_true(route_has_node(&r->routes[0], "alat") && !route_has_node(&r->routes[0], "moscow"));
    assert_true(r->routes[0].metric[CORRIDOR_BY_TIME] > before);
    corridor_routes_free(r);
    r = NULL;
    long ru = corridor__country_find(m, "RU");
    assert_true(ru >= 0);
    size_t closed = 0;
    for (size_t i = 0; i < m->n_nodes; i++) {
        if (m->nodes[i].country == ru) {
            assert_int_equal(m->nodes[i].status, CORRIDOR_STATUS_CLOSED);
            closed++;
        }
    }
    assert_true(closed >= 1);
    corridor_model_free(m);
    corridor_model_free(base);
}

/* Best rail-only freight route Nakhchivan -> Baku (by time, status up to construction). */
static int nakhchivan_baku(const corridor_model *m, double *hours, int *via_meghri)
{
    static const char *const avoid[] = {"mode:road", "mode:sea"};
    corridor_routes *r = NULL;
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    o.k = 1;
    o.filter.avoid = avoid;
    o.filter.n_avoid = 2;
    int err = corridor_route_find(&r, m, "nakhchivan", "baku", &o);
    if (err == 0) {
        *hours = r->routes[0].metric[CORRIDOR_BY_TIME];
        *via_meghri = 0;
        for (size_t i = 0; i < r->routes[0].n_nodes; i++)
            if (strcmp(r->routes[0].nodes[i], "meghri") == 0)
                *via_meghri = 1;
    }
    corridor_routes_free(r);
    return err;
}

static void test_shipped_zangezur_route(void **state)
{
    (void)state;
    corridor_model *base = NULL;
    assert_int_equal(corridor_model_load_builtin(&base, "caspian", NULL), 0);
    corridor_model *m = apply_shipped(base, "zangezur-opens");
    double before = INFINITY, after = INFINITY;
    int meghri_before = 0, meghri_after = 0;
    int err_before = nakhchivan_baku(base, &before, &meghri_before);
    assert_int_equal(nakhchivan_baku(m, &after, &meghri_after), 0);
    assert_int_equal(meghri_after, 1);
    assert_int_equal(meghri_before, 0);
    /* no rail route before, or a slower one */
    assert_true(err_before == CORRIDOR_ENOTFOUND || (err_before == 0 && after < before));
    corridor_model_free(m);
    corridor_model_free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_status_and_clone),
        cmocka_unit_test(test_set_metrics_rederive),
        cmocka_unit_test(test_set_capacity_gauge_carries),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_scale_derived_metric),
        cmocka_unit_test(test_close),
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_add_errors),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_bad_syntax),
        cmocka_unit_test(test_unknown_field_warns),
        cmocka_unit_test(test_bad_apply),
        cmocka_unit_test(test_shipped_apply),
        cmocka_unit_test(test_shipped_middle_corridor_2027),
        cmocka_unit_test(test_shipped_shallowing),
        cmocka_unit_test(test_shipped_alat_and_growth),
        cmocka_unit_test(test_shipped_northern_closed),
        cmocka_unit_test(test_shipped_zangezur_route),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
