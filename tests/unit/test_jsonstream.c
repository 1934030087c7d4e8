/* test_jsonstream.c: the streamed JSON loader gives what the whole-tree loader gives, byte for
 * byte. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"

/* What one load gave: its code, error message, diagnostics and canonical export. */
typedef struct outcome {
    int err, streamed;
    char *message, *diags, *exported;
} outcome;

static char *join_diags(const corridor_diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    for (size_t i = 0; i < corridor_diags_count(d); i++)
        fprintf(f, "%c %s\n", corridor_diags_is_warning(d, i) ? 'W' : 'E',
                corridor_diags_line(d, i));
    fclose(f);
    return buf;
}

/* Loads text (a copy: text[len] a NUL) by one path; the export goes through dir. */
static outcome load_by(const char *text, size_t len, int whole_tree, const char *dir)
{
    outcome o = {0};
    corridor_model *m = NULL;
    corridor_diags *d = NULL;
    char *copy = malloc(len + 1);
    assert_non_null(copy);
    memcpy(copy, text, len);
    copy[len] = '\0';
    assert_int_equal(corridor_diags_new(&d), 0);
    o.err = corridor__model_load_text(&m, copy, len, "m.json", d, whole_tree, &o.streamed, 1);
    o.message = strdup(o.err ? corridor_error_message() : "");
    o.diags = join_diags(d);
    corridor_diags_free(d);
    if (m) {
        char path[600];
        corridor_export_opts opts = CORRIDOR_EXPORT_OPTS_INIT;
        snprintf(path, sizeof path, "%s/export.json", dir);
        assert_int_equal(corridor_export_file(m, CORRIDOR_EXPORT_JSON, path, &opts), 0);
        o.exported = test_slurp(path, NULL);
        /* the warnings a model keeps */
        corridor_info *info = NULL;
        assert_int_equal(corridor_model_info(&info, m), 0);
        char *j = NULL;
        assert_int_equal(corridor_info_json(&j, info), 0);
        size_t n = strlen(o.exported);
        o.exported = realloc(o.exported, n + strlen(j) + 1);
        assert_non_null(o.exported);
        memcpy(o.exported + n, j, strlen(j) + 1);
        corridor_free(j);
        corridor_info_free(info);
    }
    corridor_model_free(m);
    return o;
}

static void outcome_free(outcome *o)
{
    free(o->message);
    free(o->diags);
    free(o->exported);
}

/*
 * Both paths give the same code, message, diagnostics and model. Returns
 * whether the streamed path gave its result itself (no hand-over).
 */
static int same_both_ways(const char *what, const char *text, size_t len, const char *dir)
{
    outcome a = load_by(text, len, 1, dir), b = load_by(text, len, 0, dir);
    if (a.err != b.err || strcmp(a.message, b.message) || strcmp(a.diags, b.diags) ||
        (a.exported == NULL) != (b.exported == NULL) ||
        (a.exported && strcmp(a.exported, b.exported)))
        fail_msg("%s: whole tree %d \"%s\"\n%s\nstreamed %d \"%s\"\n%s", what, a.err, a.message,
                 a.diags, b.err, b.message, b.diags);
    assert_false(a.streamed);
    int streamed = b.streamed;
    outcome_free(&a);
    outcome_free(&b);
    return streamed;
}

static int same_text(const char *what, const char *text, const char *dir)
{
    return same_both_ways(what, text, strlen(text), dir);
}

/*
 * A model of about `n_edges` edges on a grid, with every kind of field, a
 * few unknown keys and repeated corridors (warnings), escapes and non-ASCII
 * names.
 */
static __attribute__((noinline)) char *gen_model(size_t n_edges, size_t *len)
{
    static const char *const modes[] = {"rail", "road", "sea", "pipeline"};
    static const char *const kinds[] = {"city", "port", "border", "junction"};
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    size_t w = 100, h = n_edges / (2 * w) + 1;
    fprintf(f,
            "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"gen \\u00e9\",\n"
            " \"description\": \"d\", \"units\": {\"oil\": \"t/d\"},\n"
            " \"defaults\": {\"rail\": {\"speed_kmh\": 50}},\n"
            " \"countries\": [{\"code\": \"KZ\"}, {\"code\": \"AZ\", \"name\": \"Azərbaycan\"}],\n"
            " \"corridors\": [{\"id\": \"c0\", \"color\": \"#123456\"}, {\"id\": \"c1\"}],\n"
            " \"nodes\": [\n");
    for (size_t i = 0; i < w * h; i++)
        fprintf(f,
                "%s {\"id\": \"n%zu\", \"kind\": \"%s\", \"country\": \"%s\", \"lat\": %.4f, "
                "\"lon\": %.4f, \"transfer\": {\"time_h\": %zu, \"cost_usd\": %.3f}%s%s}",
                i ? ",\n" : "", i, kinds[i % 4], i % 3 ? "KZ" : "AZ", 40 + (double)(i / w) * 1e-3,
                50 + (double)(i % w) * 1e-3, i % 5, (double)i * 0.125,
                i % 997 == 3 ? ", \"colour\": 1" : "",
                i % 7 == 0 ? ", \"source\": \"s \\\"q\\\"\", \"status\": \"planned\"" : "");
    fprintf(f, "\n ],\n \"edges\": [\n");
    for (size_t e = 0; e < n_edges; e++) {
        size_t a = e / 2, b = e % 2 ? a + 1 : a + w;
        if (b >= w * h)
            b = a ? a - 1 : 1;
        const char *mode = modes[e % 4];
        fprintf(f, "%s{\"id\":\"e%zu\",\"from\":\"n%zu\",\"to\":\"n%zu\",\"mode\":\"%s\"",
                e ? ",\n" : "", e, a, b, mode);
        if (e % 4 == 0)
            fprintf(f, ",\"gauge\":%d", e % 8 ? 1435 : 1520);
        if (e % 4 == 3)
            fprintf(f, ",\"carries\":[\"oil\"],\"capacity\":{\"oil\":%zu}", e);
        fprintf(f, ",\"distance_km\":%.3f,\"time_h\":%.2f", 1 + (double)e * 1e-3, (double)e * 1e-4);
        if (e % 3 == 0)
            fprintf(f, ",\"corridors\":[\"c%zu\"%s]", e % 2, e % 1001 == 0 ? ",\"c0\",\"c0\"" : "");
        if (e % 11 == 0)
            fprintf(f, ",\"oneway\":true,\"name\":\"Линия %zu\",\"description\":null", e);
        if (e % 1009 == 5)
            fprintf(f, ",\"spead\":3");
        fprintf(f, "}");
    }
    fprintf(f, "\n ]\n}\n");
    fclose(f);
    return buf;
}

/* 50k edges: the streamed path loads them itself, to the same model and warnings. */
static void test_large_model(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    size_t len = 0;
    char *text = gen_model(50000, &len);
    assert_true(same_both_ways("generated", text, len, dir));
    /* the same with the sections in another order and an error: handed over, same diagnostics */
    char *edges = strstr(text, "\"edges\"");
    assert_non_null(edges);
    edges[1] = 'E';
    assert_false(same_both_ways("misspelt edges", text, len, dir));
    edges[1] = 'e';
    char *bad = strstr(text, "\"to\":\"n7\"");
    assert_non_null(bad);
    bad[7] = 'x'; /* "nx": unknown node, with a "did you mean" */
    assert_true(same_both_ways("unknown node", text, len, dir));
    free(text);
    test_rm_dir(dir);
}

#define HEAD "\"format\": \"corridor-model\", \"version\": 1, \"name\": \"t\""
#define NODES                                                                                      \
    "\"nodes\": [{\"id\": \"a\", \"kind\": \"city\"}, {\"id\": \"b\", \"kind\": \"port\"}]"
#define EDGES "\"edges\": [{\"id\": \"e\", \"from\": \"a\", \"to\": \"b\", \"mode\": \"road\"}]"

/* Texts where the two paths could part; each compared, some known to stream. */
static void test_orders_and_damage(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    static const struct {
        const char *text;
        int streams; /* 1 streamed, 0 handed over, -1 either */
    } cases[] = {
        {"{" HEAD ", " NODES ", " EDGES "}", 1},
        {"\xEF\xBB\xBF{" HEAD ", " NODES ", " EDGES "}\n\t\x01 ", 1},
        {"{" HEAD ", " EDGES ", " NODES "}", 0},
        {"{" NODES ", " EDGES ", " HEAD "}", 0},
        {"{" HEAD ", " NODES ", " EDGES ", \"extra\": 1}", 0},
        {"{" HEAD ", \"extra\": 1, " NODES ", " EDGES "}", 1},
        {"{" HEAD ", " NODES ", " EDGES ", \"countries\": []}", 0},
        {"{" HEAD ", " NODES ", " NODES ", " EDGES "}", 0},
        {"{" HEAD ", \"nodes\": 5, " EDGES "}", 1},
        {"{" HEAD ", \"nodes\": null, " EDGES "}", 1},
        {"{" HEAD ", " NODES ", \"edges\": []}", 1},
        {"{" HEAD ", \"nodes\": [], \"edges\": []}", 1},
        {"{" HEAD ", \"nodes\": [ ] , \"edges\" : [ 3 , null, [] , {}]}", 1},
        {"{" HEAD ", " NODES ", \"edges\": [{}], \"description\": 4}", 0},
        {"{" HEAD ", " NODES ", " EDGES "} x", 0},
        {"{" HEAD ", " NODES ", " EDGES "", 0},
        {"{" HEAD ", " NODES ", \"edges\": [{\"id\": \"e\",}]}", 0},
        {"{" HEAD ", " NODES ", \"edges\": [{\"id\": \"e\"} {}]}", 0},
        {"{" HEAD ", " NODES ", \"edges\": [{\"id\": \"e\\u0000\"}]}", 0},
        {"{" HEAD ", " NODES ", \"edges\": [\xEF\xBB\xBF{}]}", 0},
        {"{" HEAD ", " NODES ", \"edges\": [01]}", -1},
        {"{" HEAD ", " NODES ", \"edges\": [tru]}", 0},
        {"{" HEAD ", " NODES ", \"edges\": [\"\xC3\"]}", 0},
        {"{\"format\": \"corridor-scenario\", \"version\": 1, " NODES "}", 0},
        {"{\"format\": \"corridor-model\", \"version\": 2, " NODES "}", 0},
        {"{\"version\": 1, \"format\": \"corridor-model\", " NODES "}", 1},
        {"{}", 1},
        {"[]", 0},
        {"  ", 0},
        {"{\"nodes\": [{\"id\": \"a\"}]}", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char what[32];
        snprintf(what, sizeof what, "case %zu", i);
        int s = same_text(what, cases[i].text, dir);
        if (cases[i].streams >= 0 && s != cases[i].streams)
            fail_msg("%s: streamed %d, expected %d", what, s, cases[i].streams);
    }
    test_rm_dir(dir);
}

/* Nesting near cJSON's limit inside an element: the limit counts from the top of the file. */
static void test_deep_element(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    for (int depth = CJSON_NESTING_LIMIT - 4; depth <= CJSON_NESTING_LIMIT + 1; depth++) {
        size_t cap = 256 + 2 * (size_t)depth;
        char *t = malloc(cap);
        assert_non_null(t);
        int o =
            snprintf(t, cap, "{" HEAD ", \"nodes\": [{\"id\": \"a\", \"kind\": \"city\", \"x\": ");
        for (int k = 0; k < depth - 1; k++)
            t[o++] = '[';
        for (int k = 0; k < depth - 1; k++)
            t[o++] = ']';
        o += snprintf(t + o, cap - (size_t)o, "}]}");
        char what[32];
        snprintf(what, sizeof what, "depth %d", depth);
        same_both_ways(what, t, (size_t)o, dir);
        free(t);
    }
    test_rm_dir(dir);
}

/* Every model of the broken-model corpus and the fixtures (run from the source tree). */
static void test_corpus(void **state)
{
    (void)state;
    static const char *const dirs[] = {"tests/broken", "tests/fixtures"};
    char *dir = test_tmp_dir();
    size_t files = 0;
    for (size_t k = 0; k < 2; k++) {
        DIR *dp = opendir(dirs[k]);
        assert_non_null(dp);
        for (struct dirent *e; (e = readdir(dp));) {
            size_t n = strlen(e->d_name), len = 0;
            if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
                continue;
            char path[600];
            snprintf(path, sizeof path, "%s/%s", dirs[k], e->d_name);
            char *text = test_slurp(path, &len);
            same_both_ways(path, text, len, dir);
            free(text);
            files++;
        }
        closedir(dp);
    }
    assert_true(files > 50);
    test_rm_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_model),
        cmocka_unit_test(test_orders_and_damage),
        cmocka_unit_test(test_deep_element),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
