/* test_refactor_json.c: what the JSON readers share: id maps, byte check, adding elements. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"
#include "json_internal.h"

/*
 * a(AA) -rail 100 km- b(AA) -road- c(BB); rail defaults 50 km/h, 2 $/km, so a
 * rail edge of 30 km derives 0.6 h and 60 $.
 */
static const char *mini =
    "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"mini\","
    " \"defaults\": {\"rail\": {\"speed_kmh\": 50, \"cost_usd_per_km\": 2}},"
    " \"countries\": [{\"code\": \"AA\"}, {\"code\": \"BB\"}],"
    " \"corridors\": [{\"id\": \"east\"}, {\"id\": \"west\"}],"
    " \"nodes\": [{\"id\": \"a\", \"kind\": \"city\", \"country\": \"AA\"},"
    "  {\"id\": \"b\", \"kind\": \"port\", \"country\": \"AA\"},"
    "  {\"id\": \"c\", \"kind\": \"city\", \"country\": \"BB\"}],"
    " \"edges\": [{\"id\": \"a-b\", \"from\": \"a\", \"to\": \"b\", \"mode\": \"rail\","
    "   \"distance_km\": 100, \"corridors\": [\"east\"]},"
    "  {\"id\": \"b-c\", \"from\": \"b\", \"to\": \"c\", \"mode\": \"road\"}]}";

/* ------------------------------------------------------------------ maps */

static void test_map_reserve(void **state)
{
    (void)state;
    enum { N = 1000 };
    static char ids[N][8];
    cor_map m;
    corridor__map_init(&m);
    assert_int_equal(corridor__map_reserve(&m, 0), 0);
    assert_null(m.keys); /* nothing to make room for */
    assert_int_equal(corridor__map_reserve(&m, N), 0);
    size_t cap = m.cap;
    const char **keys = m.keys;
    assert_true(cap >= 2 * N && (cap & (cap - 1)) == 0);
    for (size_t i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "k%zu", i);
        assert_int_equal(corridor__map_put(&m, ids[i], i), 1);
    }
    assert_int_equal(m.cap, cap); /* never grew */
    assert_ptr_equal(m.keys, keys);
    assert_int_equal(corridor__map_put(&m, "k7", 99), 0); /* exists: unchanged */
    assert_int_equal(corridor__map_reserve(&m, 10), 0);   /* smaller: no change */
    assert_int_equal(m.cap, cap);
    assert_int_equal(corridor__map_reserve(&m, 2 * N), 0); /* grows, keeps entries */
    assert_true(m.cap >= 4 * N);
    for (size_t i = 0; i < N; i++) {
        size_t v = 0;
        assert_int_equal(corridor__map_get(&m, ids[i], &v), 1);
        assert_int_equal(v, i);
    }
    assert_int_equal(corridor__map_get(&m, "k1000", NULL), 0);
    corridor__map_free(&m);
}

/* ------------------------------------------------------------ byte check */

static void bad(const char *text, size_t len, size_t want, int want_nul)
{
    int is_nul = -1;
    assert_int_equal(corridor__text_bad_byte(text, len, &is_nul), want);
    assert_int_equal(is_nul, want_nul);
}

static void test_bad_byte(void **state)
{
    (void)state;
    const char *ok = "{\"name\": \"Ba\xc5\x9f \xe2\x82\xac \xf0\x9f\x98\x80\", \"x\": 1}";
    bad(ok, strlen(ok), strlen(ok), 0);
    bad("", 0, 0, 0);
    bad("0123456789abcdef\0xyz", 20, 16, 1); /* NUL after the 8-byte fast path */
    bad("0123456789abc\xc0\x80", 15, 13, 0); /* overlong 2-byte */
    bad("ab\xe0\x80\xafz", 6, 2, 0);         /* overlong 3-byte */
    bad("ab\xed\xa0\x80z", 6, 2, 0);         /* surrogate */
    bad("\xf4\x90\x80\x80", 4, 0, 0);        /* above U+10FFFF */
    bad("abcdefgh\xe2\x82", 10, 8, 0);       /* cut short at the end */
    bad("abc\xff", 4, 3, 0);
    bad("abc\x80", 4, 3, 0); /* continuation byte alone */
    bad("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 9, 9, 0);

    size_t line = 0, col = 0;
    corridor__line_col("ab\ncd\n", 4, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 2);
    corridor__line_col("ab", 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
}

/* ------------------------------------------------------ loaded indexes */

/* The loader hands its id maps to the model: they must answer as rebuilt ones do. */
static void test_loaded_indexes(void **state)
{
    (void)state;
    char buf[256];
    cor_buf b;
    corridor__buf_init(&b);
    corridor__buf_puts(&b, "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"g\","
                           " \"defaults\": {\"rail\": {\"speed_kmh\": 40}},"
                           " \"countries\": [{\"code\": \"AA\"}], \"nodes\": [");
    for (int i = 0; i < 500; i++)
        corridor__buf_printf(&b, "%s{\"id\": \"n%d\", \"kind\": \"city\", \"country\": \"AA\"}",
                             i ? "," : "", i);
    corridor__buf_puts(&b, "], \"edges\": [");
    for (int i = 0; i < 499; i++)
        corridor__buf_printf(&b,
                             "%s{\"id\": \"e%d\", \"from\": \"n%d\", \"to\": \"n%d\", "
                             "\"mode\": \"rail\", \"distance_km\": %d}",
                             i ? "," : "", i, i, (i * 7 + 1) % 500, 10 + i);
    corridor__buf_puts(&b, "]}");
    assert_false(b.failed);
    corridor_model *m = test_model(b.data);
    corridor__buf_free(&b);
    for (int i = 0; i < 500; i++) {
        snprintf(buf, sizeof buf, "n%d", i);
        assert_int_equal(corridor__node_find(m, buf), i);
    }
    for (int i = 0; i < 499; i++) {
        snprintf(buf, sizeof buf, "e%d", i);
        assert_int_equal(corridor__edge_find(m, buf), i);
        /* derived once, by corridor__model_derive: distance / speed */
        assert_true(fabs(m->edges[i].metric[CORRIDOR_BY_TIME] - (10 + i) / 40.0) < 1e-12);
    }
    assert_int_equal(corridor__node_find(m, "n500"), -1);
    assert_int_equal(corridor__country_find(m, "AA"), 0);
    /* rebuilding gives the same answers */
    assert_int_equal(corridor__model_finish(m), 0);
    assert_int_equal(corridor__node_find(m, "n499"), 499);
    assert_int_equal(corridor__edge_find(m, "e0"), 0);
    corridor_model_free(m);
}

/* ------------------------------------------------------------ adding */

/* Runs corridor__model_add_json on JSON arrays (NULL for none); returns the error count. */
static size_t add(corridor_model *m, const char *nodes, const char *edges, corridor_diags *d,
                  int warnings, char *first, size_t size)
{
    cJSON *n = nodes ? cJSON_Parse(nodes) : NULL, *e = edges ? cJSON_Parse(edges) : NULL;
    assert_true(!nodes || n);
    assert_true(!edges || e);
    cor_add_ctx ac = {.src = "s.json", .prefix = "edits[3]", .d = d, .warnings = warnings};
    assert_int_equal(corridor__model_add_json(m, n, e, &ac), 0);
    if (first)
        snprintf(first, size, "%s", ac.first);
    cJSON_Delete(n);
    cJSON_Delete(e);
    return ac.errors;
}

static void test_add_json(void **state)
{
    (void)state;
    corridor_model *m = test_model(mini);
    corridor_diags *d = NULL;
    char first[1024];
    assert_int_equal(corridor_diags_new(&d), 0);

    /* a new node, and edges to it and between old nodes */
    assert_int_equal(add(m, "[{\"id\": \"x\", \"kind\": \"junction\", \"country\": \"BB\"}]",
                         "[{\"id\": \"c-x\", \"from\": \"c\", \"to\": \"x\", \"mode\": \"rail\","
                         "  \"distance_km\": 30, \"corridors\": [\"west\"], \"capacity\": 7},"
                         " {\"id\": \"a-c\", \"from\": \"a\", \"to\": \"c\", \"mode\": \"road\"}]",
                         d, 1, NULL, 0),
                     0);
    assert_int_equal(corridor_diags_count(d), 0);
    assert_int_equal(m->n_nodes, 4);
    assert_int_equal(m->n_edges, 4);
    assert_int_equal(corridor__node_find(m, "x"), 3);
    assert_int_equal(corridor__edge_find(m, "c-x"), 2);
    assert_int_equal(corridor__edge_find(m, "a-c"), 3);
    const cor_edge *cx = &m->edges[2];
    assert_int_equal(cx->from, 2);
    assert_int_equal(cx->to, 3);
    assert_int_equal(cx->n_corridors, 1);
    assert_int_equal(cx->corridors[0], 1);
    assert_true(fabs(cx->metric[CORRIDOR_BY_TIME] - 0.6) < 1e-12); /* derived with the defaults */
    assert_true(fabs(cx->metric[CORRIDOR_BY_COST] - 60) < 1e-12);
    assert_true(fabs(cx->capacity[CORRIDOR_CARRY_FREIGHT] - 7) < 1e-12);
    assert_int_equal(m->nodes[3].country, 1);
    assert_string_equal(m->nodes[3].name, "x"); /* the loader's default */

    /* any error: nothing added, the model unchanged; paths carry the prefix */
    assert_int_equal(
        add(m, "[{\"id\": \"y\", \"kind\": \"city\"}, {\"id\": \"y\", \"kind\": \"city\"}]",
            "[{\"id\": \"y-q\", \"from\": \"y\", \"to\": \"nowhere-at-all\", \"mode\": \"road\"},"
            " {\"id\": \"a-b\", \"from\": \"a\", \"to\": \"y\", \"mode\": \"road\"}]",
            d, 1, first, sizeof first),
        3);
    assert_string_equal(first,
                        "edits[3].nodes[1].id: duplicate id \"y\" (first at edits[3].nodes[0])");
    assert_true(test_has_line(d, "s.json: edits[3].edges[0].to: unknown node \"nowhere-at-all\""));
    assert_true(test_has_line(d, "s.json: edits[3].edges[1].id: duplicate id \"a-b\" (the model "
                                 "already has an edge \"a-b\")"));
    assert_int_equal(m->n_nodes, 4);
    assert_int_equal(m->n_edges, 4);
    assert_int_equal(corridor__node_find(m, "y"), -1);
    assert_int_equal(corridor__edge_find(m, "y-q"), -1);

    /* an id taken by the model, and a "did you mean" among old and new nodes */
    corridor_diags_free(d);
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(
        add(m, "[{\"id\": \"a\", \"kind\": \"city\"}, {\"id\": \"zeta\", \"kind\": \"city\"}]",
            "[{\"id\": \"e\", \"from\": \"zetta\", \"to\": \"x\", \"mode\": \"road\"}]", d, 1, NULL,
            0),
        2);
    assert_true(test_has_line(d,
                              "s.json: edits[3].nodes[0].id: duplicate id \"a\" (the model already "
                              "has a node \"a\")"));
    assert_true(test_has_line(
        d, "s.json: edits[3].edges[0].from: unknown node \"zetta\" (did you mean \"zeta\"?)"));
    assert_int_equal(m->n_nodes, 4);

    /* checking alone: own fields only, no references; warnings only if asked */
    corridor_diags_free(d);
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(
        add(NULL, "[{\"id\": \"a\", \"kind\": \"city\", \"country\": \"ZZ\", \"colour\": 1}]",
            "[{\"id\": \"p\", \"from\": \"a\", \"to\": \"nowhere\", \"mode\": \"pipeline\"}]", d, 0,
            first, sizeof first),
        1);
    assert_int_equal(corridor_diags_count(d), 1); /* no warning for "colour" */
    assert_string_equal(first, "edits[3].edges[0]: missing required field \"carries\" (a pipeline "
                               "must say what it carries: freight, oil, gas, power, data)");
    assert_int_equal(
        add(NULL, "[{\"id\": \"a\", \"kind\": \"city\", \"colour\": 1}]", NULL, d, 1, NULL, 0), 0);
    assert_true(test_has_line(d, "s.json: warning: edits[3].nodes[0].colour: unknown field"));

    corridor_diags_free(d);
    corridor_model_free(m);
}

/* ------------------------------------------------------------ validate */

/* Validates `text` written to a temporary file; returns the error code and the first line. */
static int validate_text(const char *text, corridor_validation *v, char *first, size_t size)
{
    char path[] = "/tmp/corridor-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    int err = corridor_validate_file(v, path, "caspian", d);
    const char *l = corridor_diags_count(d) ? corridor_diags_line(d, 0) : "";
    const char *colon = strchr(l, ':'); /* drop the file name */
    snprintf(first, size, "%s", colon ? colon + 2 : l);
    corridor_diags_free(d);
    unlink(path);
    return err;
}

static void test_validate_parse_once(void **state)
{
    (void)state;
    corridor_validation v;
    char first[512];
    assert_int_equal(validate_text(mini, &v, first, sizeof first), 0);
    assert_false(v.is_scenario);
    assert_int_equal(v.nodes, 3);
    assert_int_equal(v.edges, 2);
    corridor_validation_clear(&v);

    const char *sc = "{\"format\": \"corridor-scenario\", \"version\": 1, \"name\": \"S\","
                     " \"edits\": [{\"op\": \"close\", \"target\": \"node:baku\"}]}";
    assert_int_equal(validate_text(sc, &v, first, sizeof first), 0);
    assert_true(v.is_scenario);
    assert_int_equal(v.edits, 1);
    corridor_validation_clear(&v);

    /* text after the value: both loaders explain it in the same words */
    char *text = corridor__asprintf("%s x", sc);
    assert_int_equal(validate_text(text, &v, first, sizeof first), CORRIDOR_EINVALID);
    assert_non_null(strstr(first, "invalid JSON: unexpected text after the end of the JSON value"));
    free(text);
    text = corridor__asprintf("%s x", mini);
    assert_int_equal(validate_text(text, &v, first, sizeof first), CORRIDOR_EINVALID);
    assert_non_null(strstr(first, "invalid JSON: unexpected text after the end of the JSON value"));
    free(text);
    /* parses, but bad bytes: still caught before loading */
    assert_int_equal(validate_text("{\"format\": \"corridor-model\", \"version\": 1, \"name\": "
                                   "\"\xc0\xaf\", \"nodes\": []}",
                                   &v, first, sizeof first),
                     CORRIDOR_EINVALID);
    assert_non_null(strstr(first, "invalid UTF-8 byte 0xc0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_reserve),         cmocka_unit_test(test_bad_byte),
        cmocka_unit_test(test_loaded_indexes),      cmocka_unit_test(test_add_json),
        cmocka_unit_test(test_validate_parse_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
