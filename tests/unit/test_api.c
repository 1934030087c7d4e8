/* test_api.c: compare, route legs, options versions, diagnostics parts, the file writer. */
#include "testutil.h"

#include <cjson/cJSON.h>
#include <igraph.h>
#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "internal.h"

#define TINY     "tests/fixtures/tiny.json"
#define NO_FERRY "tests/fixtures/tiny-no-ferry.json"

/* The tiny model with the "fast ferry out of service" scenario applied. */
static corridor_model *scenario_model(const corridor_model *base)
{
    corridor_scenario *s = NULL;
    corridor_model *m = NULL;
    assert_int_equal(corridor_scenario_load_file(&s, NO_FERRY, NULL), 0);
    assert_int_equal(corridor_scenario_apply(&m, base, s, NULL), 0);
    corridor_scenario_free(s);
    return m;
}

static corridor_routes *routes_of(const corridor_model *m, size_t k)
{
    corridor_routes *rs = NULL;
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    o.k = k;
    assert_int_equal(corridor_route_find(&rs, m, "east", "alat", &o), 0);
    return rs;
}

/* A route's edges joined by spaces. */
static void edges_text(char *buf, size_t n, const corridor_route *r)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n_edges; i++)
        o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? " " : "", r->hops[i].edge);
}

/* Brute force: route i of `a` is absent from `b` by edge text. */
static int absent(const corridor_routes *a, size_t i, const corridor_routes *b)
{
    char x[512], y[512];
    edges_text(x, sizeof x, &a->routes[i]);
    for (size_t j = 0; j < b->n; j++) {
        edges_text(y, sizeof y, &b->routes[j]);
        if (strcmp(x, y) == 0)
            return 0;
    }
    return 1;
}

static void test_compare_routes(void **state)
{
    (void)state;
    corridor_model *base = test_load_file(TINY), *scen = scenario_model(base);
    for (size_t k = 1; k <= 4; k++) {
        corridor_routes *ra = routes_of(base, k), *rb = routes_of(scen, k);
        corridor_answer a = {CORRIDOR_ANSWER_ROUTES, 0, {.routes = ra}};
        corridor_answer b = {CORRIDOR_ANSWER_ROUTES, 0, {.routes = rb}};
        corridor_comparison *c = NULL;
        assert_int_equal(corridor_compare(&c, &a, &b), 0);
        size_t gained = 0, lost = 0;
        for (size_t i = 0; i < rb->n; i++)
            if (absent(rb, i, ra))
                assert_int_equal(c->gained[gained++], i);
        for (size_t i = 0; i < ra->n; i++)
            if (absent(ra, i, rb))
                assert_int_equal(c->lost[lost++], i);
        assert_int_equal(c->n_gained, gained);
        assert_int_equal(c->n_lost, lost);
        double want =
            rb->routes[0].metric[CORRIDOR_BY_TIME] - ra->routes[0].metric[CORRIDOR_BY_TIME];
        assert_true(c->change == want);
        if (k == 2) { /* the golden compare-tiny: 3d 04h -> 4d 04h, one gained, one lost */
            char t[512];
            assert_true(fabs(c->change - 24) < 1e-9);
            assert_int_equal(c->n_gained, 1);
            edges_text(t, sizeof t, &rb->routes[c->gained[0]]);
            assert_string_equal(t, "east-border border-aktau aktau-alat-roro");
            edges_text(t, sizeof t, &ra->routes[c->lost[0]]);
            assert_string_equal(t, "east-border border-aktau-road aktau-alat-ferry");
            char *json = NULL;
            assert_int_equal(corridor_comparison_json(&json, c), 0);
            cJSON *root = cJSON_Parse(json);
            assert_non_null(root);
            assert_string_equal(cJSON_GetObjectItem(root, "query")->valuestring, "route");
            cJSON *ch = cJSON_GetObjectItem(root, "changes");
            assert_true(cJSON_GetObjectItem(ch, "routes_gained")->valuedouble == 1);
            assert_true(cJSON_GetObjectItem(ch, "best_time_h")->valuedouble == 24);
            assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ch, "lost")), 1);
            assert_int_equal(cJSON_GetArraySize(
                                 cJSON_GetObjectItem(cJSON_GetObjectItem(root, "base"), "routes")),
                             2);
            cJSON_Delete(root);
            corridor_free(json);
        }
        corridor_comparison_free(c);
        corridor_routes_free(ra);
        corridor_routes_free(rb);
    }
    corridor_model_free(scen);
    corridor_model_free(base);
}

static void test_compare_no_route_and_kinds(void **state)
{
    (void)state;
    corridor_model *base = test_load_file(TINY);
    corridor_routes *ra = routes_of(base, 2);
    corridor_answer a = {CORRIDOR_ANSWER_ROUTES, 0, {.routes = ra}};
    corridor_answer none = {CORRIDOR_ANSWER_ROUTES, CORRIDOR_ENOTFOUND, {.routes = NULL}};
    corridor_comparison *c = NULL;
    assert_int_equal(corridor_compare(&c, &a, &none), 0);
    assert_int_equal(c->n_lost, ra->n);
    assert_int_equal(c->n_gained, 0);
    assert_true(isnan(c->scenario_value) && isnan(c->change));
    char *json = NULL;
    assert_int_equal(corridor_comparison_json(&json, c), 0);
    assert_non_null(strstr(json, "\"scenario\":null"));
    corridor_free(json);
    corridor_comparison_free(c);
    corridor_answer flow = {CORRIDOR_ANSWER_FLOW, 0, {.flow = NULL}};
    assert_int_equal(corridor_compare(&c, &a, &flow), CORRIDOR_EUSAGE);
    assert_null(c);
    corridor_comparison_free(NULL);
    corridor_routes_free(ra);
    corridor_model_free(base);
}

static void test_compare_flow_and_critical(void **state)
{
    (void)state;
    corridor_model *base = test_load_file(TINY), *scen = scenario_model(base);
    corridor_flow *fa = NULL, *fb = NULL;
    assert_int_equal(corridor_flow_max(&fa, base, "east", "alat", NULL), 0);
    assert_int_equal(corridor_flow_max(&fb, scen, "east", "alat", NULL), 0);
    corridor_answer a = {CORRIDOR_ANSWER_FLOW, 0, {.flow = fa}};
    corridor_answer b = {CORRIDOR_ANSWER_FLOW, 0, {.flow = fb}};
    corridor_comparison *c = NULL;
    assert_int_equal(corridor_compare(&c, &a, &b), 0);
    assert_true(c->change == fb->value - fa->value);
    /* the ferry left the cut, the ro-ro stayed with the same capacity */
    assert_int_equal(c->n_elements, 1);
    assert_string_equal(c->elements[0].id, "aktau-alat-ferry");
    assert_int_equal(c->elements[0].scenario_rank, 0);
    assert_true(c->elements[0].base_rank > 0);
    corridor_comparison_free(c);

    corridor_critical *ka = NULL, *kb = NULL;
    assert_int_equal(corridor_critical_rank(&ka, base, "east", "alat", NULL), 0);
    assert_int_equal(corridor_critical_rank(&kb, scen, "east", "alat", NULL), 0);
    corridor_answer ca = {CORRIDOR_ANSWER_CRITICAL, 0, {.critical = ka}};
    corridor_answer cb = {CORRIDOR_ANSWER_CRITICAL, 0, {.critical = kb}};
    assert_int_equal(corridor_compare(&c, &ca, &ca), 0); /* against itself: nothing changed */
    assert_int_equal(c->n_elements, 0);
    assert_true(c->change == 0);
    corridor_comparison_free(c);
    assert_int_equal(corridor_compare(&c, &ca, &cb), 0);
    size_t da = 0, db = 0;
    for (size_t i = 0; i < ka->n; i++)
        da += ka->items[i].disconnects != 0;
    for (size_t i = 0; i < kb->n; i++)
        db += kb->items[i].disconnects != 0;
    assert_int_equal(c->base_disconnects, da);
    assert_int_equal(c->scenario_disconnects, db);
    /* every element in only one list is reported, with rank 0 on the other side */
    for (size_t i = 0; i < c->n_elements; i++) {
        const corridor_element_change *e = &c->elements[i];
        assert_true(e->base_rank || e->scenario_rank);
        if (e->base_rank)
            assert_string_equal(ka->items[e->base_rank - 1].id, e->id);
        if (e->scenario_rank)
            assert_string_equal(kb->items[e->scenario_rank - 1].id, e->id);
    }
    corridor_comparison_free(c);
    corridor_critical_free(ka);
    corridor_critical_free(kb);
    corridor_flow_free(fa);
    corridor_flow_free(fb);
    corridor_model_free(scen);
    corridor_model_free(base);
}

static void test_route_legs_and_class_names(void **state)
{
    (void)state;
    char buf[32];
    assert_int_equal(corridor_class_name(buf, sizeof buf, CORRIDOR_MODE_RAIL, 1520), 9);
    assert_string_equal(buf, "rail/1520");
    corridor_class_name(buf, sizeof buf, CORRIDOR_MODE_RAIL, 0);
    assert_string_equal(buf, "rail");
    corridor_class_name(buf, sizeof buf, CORRIDOR_MODE_SEA, 1520);
    assert_string_equal(buf, "sea");
    assert_int_equal(corridor_class_name(buf, 4, CORRIDOR_MODE_RAIL, 1435), 9);
    assert_string_equal(buf, "rai");

    corridor_model *m = test_load_file(TINY);
    corridor_routes *rs = routes_of(m, 3);
    for (size_t r = 0; r < rs->n; r++) {
        const corridor_route *route = &rs->routes[r];
        corridor_leg *legs = NULL;
        size_t n = 0, hops = 0;
        assert_int_equal(corridor_route_legs(&legs, &n, route), 0);
        /* legs tile the hops; neighbours differ in class; one leg per transfer + 1 */
        assert_int_equal(n, route->n_transfers + 1);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(legs[i].first_hop, hops);
            double sum = 0;
            for (size_t h = hops; h < hops + legs[i].n_hops; h++) {
                const corridor_hop *hp = &route->hops[h];
                corridor_class_name(buf, sizeof buf, hp->mode, hp->gauge);
                assert_string_equal(buf, legs[i].class_name);
                sum += hp->metric[CORRIDOR_BY_DISTANCE];
            }
            assert_true(fabs(sum - legs[i].metric[CORRIDOR_BY_DISTANCE]) < 1e-9);
            assert_string_equal(legs[i].from, route->hops[hops].from);
            hops += legs[i].n_hops;
            assert_string_equal(legs[i].to, route->hops[hops - 1].to);
            if (i > 0) {
                assert_string_not_equal(legs[i - 1].class_name, legs[i].class_name);
                assert_string_equal(route->transfers[i - 1].from_class, legs[i - 1].class_name);
                assert_string_equal(route->transfers[i - 1].to_class, legs[i].class_name);
            }
        }
        assert_int_equal(hops, route->n_edges);
        corridor_free(legs);
    }
    corridor_routes_free(rs);
    corridor_model_free(m);
}

static void same_filter(const corridor_filter *a, const corridor_filter *b)
{
    assert_int_equal(a->version, b->version);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->year, b->year);
    assert_int_equal(a->carry, b->carry);
    assert_ptr_equal(a->avoid, b->avoid);
    assert_int_equal(a->n_avoid, b->n_avoid);
    assert_ptr_equal(a->corridors, b->corridors);
    assert_int_equal(a->n_corridors, b->n_corridors);
}

/* fn(&got, ver) equals the _INIT macro field by field (`extra` compares the rest); bad versions
 * fail. */
#define SAME_AS_MACRO(type, fn, init, ver, extra)                                                  \
    do {                                                                                           \
        type want = init, got;                                                                     \
        memset(&got, 0xAB, sizeof got);                                                            \
        assert_int_equal(fn(&got, ver), 0);                                                        \
        assert_int_equal(got.version, want.version);                                               \
        extra;                                                                                     \
        assert_int_equal(fn(&got, ver + 1), CORRIDOR_EUSAGE);                                      \
        assert_int_equal(fn(&got, 0), CORRIDOR_EUSAGE);                                            \
        assert_non_null(strstr(corridor_error_message(), #type));                                  \
    } while (0)

static void test_opts_init(void **state)
{
    (void)state;
    SAME_AS_MACRO(corridor_filter, corridor_filter_init, CORRIDOR_FILTER_INIT,
                  CORRIDOR_FILTER_VERSION, same_filter(&got, &want));
    SAME_AS_MACRO(corridor_route_opts, corridor_route_opts_init, CORRIDOR_ROUTE_OPTS_INIT,
                  CORRIDOR_ROUTE_OPTS_VERSION, {
                      same_filter(&got.filter, &want.filter);
                      assert_int_equal(got.by, want.by);
                      assert_int_equal(got.k, 3);
                      assert_null(got.via);
                      assert_int_equal(got.n_via, 0);
                  });
    SAME_AS_MACRO(corridor_flow_opts, corridor_flow_opts_init, CORRIDOR_FLOW_OPTS_INIT,
                  CORRIDOR_FLOW_OPTS_VERSION, same_filter(&got.filter, &want.filter));
    SAME_AS_MACRO(corridor_critical_opts, corridor_critical_opts_init, CORRIDOR_CRITICAL_OPTS_INIT,
                  CORRIDOR_CRITICAL_OPTS_VERSION, {
                      same_filter(&got.filter, &want.filter);
                      assert_int_equal(got.by, want.by);
                      assert_int_equal(got.by_flow, 0);
                  });
    SAME_AS_MACRO(corridor_analyze_opts, corridor_analyze_opts_init, CORRIDOR_ANALYZE_OPTS_INIT,
                  CORRIDOR_ANALYZE_OPTS_VERSION, {
                      same_filter(&got.filter, &want.filter);
                      assert_int_equal(got.filter.carry, CORRIDOR_CARRY_ANY);
                      assert_int_equal(got.top, 10);
                  });
    SAME_AS_MACRO(corridor_render_opts, corridor_render_opts_init, CORRIDOR_RENDER_OPTS_INIT,
                  CORRIDOR_RENDER_OPTS_VERSION, {
                      same_filter(&got.filter, &want.filter);
                      assert_int_equal(got.layout, CORRIDOR_LAYOUT_GEO);
                      assert_null(got.format);
                      assert_null(got.highlight);
                      assert_null(got.title);
                  });
    SAME_AS_MACRO(corridor_export_opts, corridor_export_opts_init, CORRIDOR_EXPORT_OPTS_INIT,
                  CORRIDOR_EXPORT_OPTS_VERSION, same_filter(&got.filter, &want.filter));
}

/* A model, every options struct that reads one at its defaults, and the results they fill. */
typedef struct with_opts {
    corridor_model *m;
    corridor_routes *rs;
    corridor_flow *f;
    corridor_critical *k;
    corridor_od_result *od;
    corridor_analysis *an;
    corridor_route_opts ro;
    corridor_flow_opts fo;
    corridor_critical_opts co;
    corridor_analyze_opts ao;
    corridor_render_opts rdo;
    corridor_export_opts eo;
    corridor_od_pair pair;
} with_opts;

static void with_opts_init(with_opts *w)
{
    with_opts init = {.ro = CORRIDOR_ROUTE_OPTS_INIT,
                      .fo = CORRIDOR_FLOW_OPTS_INIT,
                      .co = CORRIDOR_CRITICAL_OPTS_INIT,
                      .ao = CORRIDOR_ANALYZE_OPTS_INIT,
                      .rdo = CORRIDOR_RENDER_OPTS_INIT,
                      .eo = CORRIDOR_EXPORT_OPTS_INIT,
                      .pair = {"east", "alat", 1}};
    *w = init;
    w->m = test_load_file(TINY);
}

/* No refused call made a result. */
static void with_opts_done(with_opts *w)
{
    assert_null(w->rs);
    assert_null(w->f);
    assert_null(w->k);
    assert_null(w->od);
    assert_null(w->an);
    corridor_model_free(w->m);
}

static void test_version_checked(void **state)
{
    (void)state;
    with_opts w;
    with_opts_init(&w);
    corridor_filter fi = CORRIDOR_FILTER_INIT;
    w.ro.version = CORRIDOR_ROUTE_OPTS_VERSION + 1;
    assert_int_equal(corridor_route_find(&w.rs, w.m, "east", "alat", &w.ro), CORRIDOR_EUSAGE);
    assert_non_null(strstr(corridor_error_message(), "corridor_route_opts: unknown version 3"));
    w.ro.version = CORRIDOR_ROUTE_OPTS_VERSION;
    w.ro.filter.version = 0; /* a struct filled by hand, without the macro */
    assert_int_equal(corridor_route_find(&w.rs, w.m, "east", "alat", &w.ro), CORRIDOR_EUSAGE);
    assert_non_null(strstr(corridor_error_message(), "corridor_filter"));
    w.fo.version = 7;
    assert_int_equal(corridor_flow_max(&w.f, w.m, "east", "alat", &w.fo), CORRIDOR_EUSAGE);
    w.co.version = 0;
    assert_int_equal(corridor_critical_rank(&w.k, w.m, "east", "alat", &w.co), CORRIDOR_EUSAGE);
    assert_int_equal(corridor_critical_od(&w.od, w.m, &w.pair, 1, &w.co, NULL, NULL),
                     CORRIDOR_EUSAGE);
    w.ao.filter.version = 9;
    assert_int_equal(corridor_analyze(&w.an, w.m, &w.ao), CORRIDOR_EUSAGE);
    w.rdo.version = CORRIDOR_RENDER_OPTS_VERSION + 1;
    assert_int_equal(corridor_render_file(w.m, "/nonexistent/x.svg", &w.rdo), CORRIDOR_EUSAGE);
    w.eo.version = CORRIDOR_EXPORT_OPTS_VERSION + 1;
    assert_int_equal(corridor_export_file(w.m, CORRIDOR_EXPORT_JSON, "/nonexistent/x.json", &w.eo),
                     CORRIDOR_EUSAGE);
    fi.version = 5;
    assert_int_equal(corridor_filter_check(w.m, &fi), CORRIDOR_EUSAGE);
    with_opts_done(&w);
}

/* The message of the last call names `what` and says the struct is from an older header. */
static void assert_old(int err, const char *what, int old)
{
    char want[96];
    snprintf(want, sizeof want, "%s: version %d is from an older corridor.h", what, old);
    assert_int_equal(err, CORRIDOR_EUSAGE);
    assert_non_null(strstr(corridor_error_message(), want));
}

/* The structs whose layout changed (corridor.h's "Options versions"): the version before the
 * change is refused by the function that reads the struct and by its _init, naming the struct.
 * The old numbers are written out: they must not move when the macros move again. */
static void test_old_version_rejected(void **state)
{
    (void)state;
    with_opts w;
    with_opts_init(&w);
    /* the current versions, which the tests below step back from */
    assert_int_equal(CORRIDOR_ROUTE_OPTS_VERSION, 2);
    assert_int_equal(CORRIDOR_FLOW_OPTS_VERSION, 2);
    assert_int_equal(CORRIDOR_CRITICAL_OPTS_VERSION, 2);
    assert_int_equal(CORRIDOR_ANALYZE_OPTS_VERSION, 3);
    assert_int_equal(CORRIDOR_RENDER_OPTS_VERSION, 3);
    assert_int_equal(CORRIDOR_EXPORT_OPTS_VERSION, 2);
    w.ro.version = 1;
    assert_old(corridor_route_find(&w.rs, w.m, "east", "alat", &w.ro), "corridor_route_opts", 1);
    assert_old(corridor_route_opts_init(&w.ro, 1), "corridor_route_opts", 1);
    w.fo.version = 1;
    assert_old(corridor_flow_max(&w.f, w.m, "east", "alat", &w.fo), "corridor_flow_opts", 1);
    assert_old(corridor_flow_opts_init(&w.fo, 1), "corridor_flow_opts", 1);
    w.co.version = 1;
    assert_old(corridor_critical_rank(&w.k, w.m, "east", "alat", &w.co), "corridor_critical_opts",
               1);
    assert_old(corridor_critical_od(&w.od, w.m, &w.pair, 1, &w.co, NULL, NULL),
               "corridor_critical_opts", 1);
    assert_old(corridor_critical_opts_init(&w.co, 1), "corridor_critical_opts", 1);
    for (int v = 1; v <= 2; v++) {
        w.ao.version = v;
        assert_old(corridor_analyze(&w.an, w.m, &w.ao), "corridor_analyze_opts", v);
        assert_old(corridor_analyze_opts_init(&w.ao, v), "corridor_analyze_opts", v);
        w.rdo.version = v;
        assert_old(corridor_render_file(w.m, "/nonexistent/x.svg", &w.rdo), "corridor_render_opts",
                   v);
        assert_old(corridor_render_opts_init(&w.rdo, v), "corridor_render_opts", v);
    }
    w.eo.version = 1;
    assert_old(corridor_export_file(w.m, CORRIDOR_EXPORT_JSON, "/nonexistent/x.json", &w.eo),
               "corridor_export_opts", 1);
    assert_old(corridor_export_opts_init(&w.eo, 1), "corridor_export_opts", 1);
    /* a newer number is refused as unknown, also naming the struct */
    w.fo.version = CORRIDOR_FLOW_OPTS_VERSION + 1;
    assert_int_equal(corridor_flow_max(&w.f, w.m, "east", "alat", &w.fo), CORRIDOR_EUSAGE);
    assert_non_null(strstr(corridor_error_message(), "corridor_flow_opts: unknown version 3"));
    /* the budget a struct points to is checked too */
    corridor_budget bu = CORRIDOR_BUDGET_INIT;
    bu.version = CORRIDOR_BUDGET_VERSION + 1;
    w.fo.version = CORRIDOR_FLOW_OPTS_VERSION;
    w.fo.budget = &bu;
    assert_int_equal(corridor_flow_max(&w.f, w.m, "east", "alat", &w.fo), CORRIDOR_EUSAGE);
    assert_non_null(strstr(corridor_error_message(), "corridor_budget: unknown version 2"));
    w.ro = (corridor_route_opts)CORRIDOR_ROUTE_OPTS_INIT;
    w.ro.budget = &bu;
    assert_int_equal(corridor_route_find(&w.rs, w.m, "east", "alat", &w.ro), CORRIDOR_EUSAGE);
    assert_non_null(strstr(corridor_error_message(), "corridor_budget"));
    with_opts_done(&w);
}

static void test_diags_parts_and_json(void **state)
{
    (void)state;
    const char *bad =
        "{\"format\":\"corridor-model\",\"version\":1,\"name\":\"t\","
        "\"nodes\":[{\"id\":\"a\",\"kind\":\"port\"},{\"id\":\"b\",\"kind\":\"port\"}],"
        "\"edges\":[{\"id\":\"ab\",\"from\":\"a\",\"to\":\"bb\",\"mode\":\"sea\"}]}";
    corridor_model *m = NULL;
    corridor_diags *d = NULL;
    corridor_diag e;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_model_load_string(&m, bad, strlen(bad), "bad.json", d),
                     CORRIDOR_EINVALID);
    assert_true(corridor_diags_count(d) >= 1);
    size_t i = 0;
    while (i < corridor_diags_count(d) && corridor_diags_is_warning(d, i))
        i++;
    assert_int_equal(corridor_diags_entry(&e, d, i), 0);
    assert_int_equal(e.severity, CORRIDOR_SEVERITY_ERROR);
    assert_string_equal(e.file, "bad.json");
    assert_string_equal(e.path, "edges[0].to");
    assert_non_null(strstr(e.message, "\"bb\""));
    assert_non_null(strstr(e.suggestion, "\"b\"")); /* did you mean "b" */
    /* the parts make up the line */
    char line[1024];
    snprintf(line, sizeof line, "%s: %s: %s", e.file, e.path, e.message);
    assert_memory_equal(corridor_diags_line(d, i), line, strlen(line));
    assert_int_equal(corridor_diags_entry(&e, d, 999), CORRIDOR_EUSAGE);
    char *json = NULL;
    assert_int_equal(corridor_diags_json(&json, d), 0);
    cJSON *root = cJSON_Parse(json);
    assert_true(cJSON_IsArray(root));
    assert_int_equal((size_t)cJSON_GetArraySize(root), corridor_diags_count(d));
    cJSON *it = cJSON_GetArrayItem(root, (int)i);
    assert_string_equal(cJSON_GetObjectItem(it, "path")->valuestring, "edges[0].to");
    assert_string_equal(cJSON_GetObjectItem(it, "severity")->valuestring, "error");
    cJSON_Delete(root);
    corridor_free(json);
    corridor_diags_free(d);
}

static void test_validate_string(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    corridor_validation v;
    assert_int_equal(corridor__read_file(&text, &len, NO_FERRY), 0);
    assert_int_equal(corridor_validate_string(&v, text, len, "<stdin>", TINY, NULL), 0);
    assert_true(v.is_scenario);
    assert_int_equal(v.edits, 2);
    assert_int_equal(v.nodes, 0);
    corridor_validation_clear(&v);
    free(text);
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_validate_file(&v, "/nonexistent/m.json", NULL, d), CORRIDOR_EIO);
    assert_int_equal(corridor_diags_errors(d), 1); /* the failure is in the list too */
    corridor_diags_free(d);
}

/* ------------------------------------------------------------ file writer */

static void write_text(const char *path, const char *s)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(s, f);
    fclose(f);
}

static int has_text(const char *path, const char *s)
{
    char *t = NULL;
    size_t n = 0;
    int ok = corridor__read_file(&t, &n, path) == 0 && n == strlen(s) && memcmp(t, s, n) == 0;
    free(t);
    return ok;
}

/* The second rename fails (its target became a non-empty folder): the first file is put back. */
static void test_filebuf_pair_rolls_back(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    char a[512], b[512], inside[600];
    snprintf(a, sizeof a, "%s/a.csv", dir);
    snprintf(b, sizeof b, "%s/b.csv", dir);
    snprintf(inside, sizeof inside, "%s/x", b);
    write_text(a, "old a");
    write_text(b, "old b");
    cor_filebuf fb[2];
    assert_int_equal(corridor__filebuf_open(&fb[0], a), 0);
    assert_int_equal(corridor__filebuf_open(&fb[1], b), 0);
    assert_int_equal(corridor__filebuf_write(&fb[0], "new a", 5), 0);
    assert_int_equal(corridor__filebuf_write(&fb[1], "new b", 5), 0);
    assert_int_equal(unlink(b), 0);
    assert_int_equal(mkdir(b, 0700), 0);
    write_text(inside, "x");
    assert_int_equal(corridor__filebuf_commit_all(fb, 2), CORRIDOR_EIO);
    assert_true(has_text(a, "old a"));
    assert_int_equal(test_count_files(dir), 2); /* a.csv and the folder: no temporary, no backup */
    /* and when both can be renamed, both change */
    assert_int_equal(unlink(inside), 0);
    assert_int_equal(rmdir(b), 0);
    assert_int_equal(corridor__filebuf_open(&fb[0], a), 0);
    assert_int_equal(corridor__filebuf_open(&fb[1], b), 0);
    assert_int_equal(corridor__filebuf_write(&fb[0], "new a", 5), 0);
    assert_int_equal(corridor__filebuf_write(&fb[1], "new b", 5), 0);
    assert_int_equal(corridor__filebuf_commit_all(fb, 2), 0);
    assert_true(has_text(a, "new a") && has_text(b, "new b"));
    assert_int_equal(test_count_files(dir), 2);
    corridor__filebuf_discard(&fb[0]); /* cleared: a no-op */
    test_rm_dir(dir);
}

static void on_term(int sig)
{
    (void)sig;
    corridor_temp_files_remove();
    _exit(7);
}

/* A process killed while writing leaves the old file and no temporary file. */
static void test_temp_removed_on_signal(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    char path[512];
    snprintf(path, sizeof path, "%s/out.json", dir);
    write_text(path, "old");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        cor_filebuf fb;
        signal(SIGTERM, on_term);
        if (corridor__filebuf_open(&fb, path) != 0 || corridor__filebuf_write(&fb, "new", 3) != 0)
            _exit(1);
        if (test_count_files(dir) != 2) /* the temporary file exists */
            _exit(2);
        raise(SIGTERM);
        _exit(3);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 7);
    assert_int_equal(test_count_files(dir), 1);
    assert_true(has_text(path, "old"));
    test_rm_dir(dir);
}

/* ----------------------------------------------------------------- igraph */

static void host_handler(const char *reason, const char *file, int line, igraph_error_t err)
{
    (void)reason;
    (void)file;
    (void)line;
    (void)err;
}

static void test_igraph_handlers_restored(void **state)
{
    (void)state;
    corridor_model *m = test_load_file(TINY);
    igraph_error_handler_t *before = igraph_set_error_handler(host_handler);
    corridor_flow *f = NULL;
    corridor_analysis *a = NULL;
    corridor_critical *k = NULL;
    corridor_critical_opts co = CORRIDOR_CRITICAL_OPTS_INIT;
    co.by_flow = 1;
    assert_int_equal(corridor_flow_max(&f, m, "east", "alat", NULL), 0);
    assert_int_equal(corridor_analyze(&a, m, NULL), 0);
    assert_int_equal(corridor_critical_rank(&k, m, "east", "alat", &co), 0);
    /* the host's handler is in place again */
    assert_ptr_equal(igraph_set_error_handler(before), host_handler);
    corridor_critical_free(k);
    corridor_analysis_free(a);
    corridor_flow_free(f);
    corridor_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_routes),
        cmocka_unit_test(test_compare_no_route_and_kinds),
        cmocka_unit_test(test_compare_flow_and_critical),
        cmocka_unit_test(test_route_legs_and_class_names),
        cmocka_unit_test(test_opts_init),
        cmocka_unit_test(test_version_checked),
        cmocka_unit_test(test_old_version_rejected),
        cmocka_unit_test(test_diags_parts_and_json),
        cmocka_unit_test(test_validate_string),
        cmocka_unit_test(test_filebuf_pair_rolls_back),
        cmocka_unit_test(test_temp_removed_on_signal),
        cmocka_unit_test(test_igraph_handlers_restored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
