/* test_loader.c: unit tests of the model loader, validator, info JSON and built-in models. */
#include "testutil.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

#define HEAD "\"format\": \"corridor-model\", \"version\": 1, \"name\": \"t\""

/* A model with one of everything; values chosen to be checked by hand. */
static const char full_json[] =
    "{" HEAD ", \"description\": \"full\","
    " \"units\": {\"oil\": \"t/d\"},"
    " \"defaults\": {\"rail\": {\"speed_kmh\": 40, \"cost_usd_per_km\": 2, \"co2_kg_per_km\": 0.5},"
    "              \"sea\": {\"speed_kmh\": 20}},"
    " \"countries\": [{\"code\": \"KZ\", \"name\": \"Kazakhstan\"}, {\"code\": \"AZ\"}],"
    " \"corridors\": [{\"id\": \"mc\", \"name\": \"Middle\", \"color\": \"#C03\","
    "                  \"description\": \"d\"}, {\"id\": \"oil\"}],"
    " \"nodes\": ["
    "  {\"id\": \"aktau\", \"name\": \"Aktau port\", \"kind\": \"port\", \"country\": \"KZ\","
    "   \"lat\": 43.65, \"lon\": 51.15, \"transfer\": {\"time_h\": 24, \"cost_usd\": 150},"
    "   \"dwell\": {\"co2_kg\": 3}, \"capacity\": {\"freight\": 11000000}, \"source\": \"s\","
    "   \"description\": \"nd\"},"
    "  {\"id\": \"alat\", \"kind\": \"port\", \"country\": \"AZ\", \"capacity\": 7,"
    "   \"status\": \"construction\", \"opens\": 2027},"
    "  {\"id\": \"field\", \"kind\": \"field\", \"lat\": null, \"lon\": null}],"
    " \"edges\": ["
    "  {\"id\": \"r\", \"name\": \"Rail\", \"from\": \"aktau\", \"to\": \"alat\", \"mode\": "
    "\"rail\","
    "   \"gauge\": 1520, \"corridors\": [\"mc\", \"oil\"], \"distance_km\": 100},"
    "  {\"id\": \"s\", \"from\": \"aktau\", \"to\": \"alat\", \"mode\": \"sea\", \"distance_km\": "
    "400,"
    "   \"time_h\": 22, \"capacity\": 4100000, \"oneway\": true, \"status\": \"planned\","
    "   \"opens\": 2030, \"source\": \"es\", \"description\": \"ed\"},"
    "  {\"id\": \"p\", \"from\": \"field\", \"to\": \"aktau\", \"mode\": \"pipeline\","
    "   \"carries\": [\"oil\", \"gas\"], \"capacity\": {\"gas\": 5}, \"cost_usd\": 9, \"co2_kg\": "
    "0},"
    "  {\"id\": \"w\", \"from\": \"alat\", \"to\": \"field\", \"mode\": \"power\", \"gauge\": null,"
    "   \"opens\": null, \"status\": null},"
    "  {\"id\": \"f\", \"from\": \"alat\", \"to\": \"field\", \"mode\": \"fiber\", \"oneway\": "
    "false,"
    "   \"distance_km\": 0}]}";

/* Loads text expected to be invalid; returns the diagnostics (caller frees). */
static corridor_diags *load_bad(const char *json, size_t len)
{
    corridor_model *m = (corridor_model *)1;
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_model_load_string(&m, json, len, "bad.json", d), CORRIDOR_EINVALID);
    assert_null(m);
    assert_true(corridor_diags_errors(d) > 0);
    return d;
}

static void test_fields_land(void **state)
{
    (void)state;
    corridor_model *m = test_model(full_json);
    assert_string_equal(corridor_model_name(m), "t");
    assert_string_equal(corridor_model_description(m), "full");
    assert_string_equal(corridor_model_origin(m), "test");
    assert_string_equal(corridor_model_unit(m, CORRIDOR_CARRY_OIL), "t/d");
    assert_string_equal(corridor_model_unit(m, CORRIDOR_CARRY_FREIGHT), "t/yr");
    assert_int_equal(m->defaults_given, (1u << CORRIDOR_MODE_RAIL) | (1u << CORRIDOR_MODE_SEA));
    assert_true(isnan(m->defaults[CORRIDOR_MODE_SEA].cost_usd_per_km));

    assert_int_equal(m->n_countries, 2);
    assert_string_equal(m->countries[0].name, "Kazakhstan");
    assert_string_equal(m->countries[1].name, "AZ"); /* defaults to the code */
    assert_int_equal(m->n_corridors, 2);
    assert_string_equal(m->corridors[0].color, "#CC0033"); /* #rgb expanded */
    assert_string_equal(m->corridors[0].description, "d");
    assert_null(m->corridors[1].color);
    assert_string_equal(m->corridors[1].name, "oil");

    assert_int_equal(corridor_model_node_count(m), 3);
    const cor_node *a = &m->nodes[0], *b = &m->nodes[1], *f = &m->nodes[2];
    assert_string_equal(a->name, "Aktau port");
    assert_string_equal(b->name, "alat"); /* defaults to the id */
    assert_int_equal(a->kind, CORRIDOR_KIND_PORT);
    assert_int_equal(f->kind, CORRIDOR_KIND_FIELD);
    assert_int_equal(a->country, 0);
    assert_int_equal(b->country, 1);
    assert_int_equal(f->country, -1);
    assert_true(a->has_pos);
    assert_true(a->lat == 43.65 && a->lon == 51.15);
    assert_false(b->has_pos);
    assert_false(f->has_pos);
    assert_true(a->transfer[CORRIDOR_BY_TIME] == 24 && a->transfer[CORRIDOR_BY_COST] == 150);
    assert_true(a->transfer[CORRIDOR_BY_CO2] == 0 && a->transfer[CORRIDOR_BY_DISTANCE] == 0);
    assert_int_equal(a->transfer_given, (1u << CORRIDOR_BY_TIME) | (1u << CORRIDOR_BY_COST));
    assert_true(a->dwell[CORRIDOR_BY_CO2] == 3 && a->dwell[CORRIDOR_BY_TIME] == 0);
    assert_int_equal(a->dwell_given, 1u << CORRIDOR_BY_CO2);
    assert_int_equal(b->transfer_given | b->dwell_given, 0);
    assert_true(a->capacity[CORRIDOR_CARRY_FREIGHT] == 11000000);
    assert_true(isinf(a->capacity[CORRIDOR_CARRY_OIL]));
    assert_int_equal(a->capacity_given, 1u << CORRIDOR_CARRY_FREIGHT);
    for (int c = 0; c < CORRIDOR_CARRY_COUNT; c++) /* a bare number: every commodity */
        assert_true(b->capacity[c] == 7);
    assert_int_equal(b->capacity_given, (1u << CORRIDOR_CARRY_COUNT) - 1);
    assert_int_equal(f->capacity_given, 0);
    assert_int_equal(a->status, CORRIDOR_STATUS_OPERATIONAL);
    assert_int_equal(b->status, CORRIDOR_STATUS_CONSTRUCTION);
    assert_int_equal(b->opens, 2027);
    assert_int_equal(a->opens, 0);
    assert_string_equal(a->source, "s");
    assert_string_equal(a->description, "nd");
    assert_null(b->source);

    assert_int_equal(corridor_model_edge_count(m), 5);
    const cor_edge *r = &m->edges[0], *s = &m->edges[1], *p = &m->edges[2], *w = &m->edges[3],
                   *fb = &m->edges[4];
    assert_string_equal(r->name, "Rail");
    assert_null(s->name);
    assert_int_equal(r->from, 0);
    assert_int_equal(r->to, 1);
    assert_int_equal(p->from, 2);
    assert_int_equal(r->mode, CORRIDOR_MODE_RAIL);
    assert_int_equal(r->gauge, 1520);
    assert_int_equal(s->gauge, 0);
    assert_int_equal(w->gauge, 0);
    assert_int_equal(r->n_corridors, 2);
    assert_int_equal(r->corridors[0], 0);
    assert_int_equal(r->corridors[1], 1);
    assert_int_equal(s->n_corridors, 0);
    assert_true(s->oneway);
    assert_false(r->oneway);
    assert_false(fb->oneway);
    assert_int_equal(s->status, CORRIDOR_STATUS_PLANNED);
    assert_int_equal(s->opens, 2030);
    assert_int_equal(w->status, CORRIDOR_STATUS_OPERATIONAL);
    assert_int_equal(w->opens, 0);
    assert_string_equal(s->source, "es");
    assert_string_equal(s->description, "ed");

    /* carries: defaults by mode, or as given */
    assert_int_equal(r->carries, 1u << CORRIDOR_CARRY_FREIGHT);
    assert_false(r->carries_given);
    assert_int_equal(s->carries, 1u << CORRIDOR_CARRY_FREIGHT);
    assert_int_equal(w->carries, 1u << CORRIDOR_CARRY_POWER);
    assert_int_equal(fb->carries, 1u << CORRIDOR_CARRY_DATA);
    assert_int_equal(p->carries, (1u << CORRIDOR_CARRY_OIL) | (1u << CORRIDOR_CARRY_GAS));
    assert_true(p->carries_given);

    /* capacity: bare number = every carried commodity; object; missing = unlimited */
    assert_true(s->capacity[CORRIDOR_CARRY_FREIGHT] == 4100000);
    assert_true(isinf(s->capacity[CORRIDOR_CARRY_OIL]));
    assert_int_equal(s->capacity_given, 1u << CORRIDOR_CARRY_FREIGHT);
    assert_true(p->capacity[CORRIDOR_CARRY_GAS] == 5);
    assert_true(isinf(p->capacity[CORRIDOR_CARRY_OIL]));
    assert_int_equal(p->capacity_given, 1u << CORRIDOR_CARRY_GAS);
    assert_true(isinf(r->capacity[CORRIDOR_CARRY_FREIGHT]));
    assert_int_equal(r->capacity_given, 0);

    /* metrics: given or derived from distance and the mode's defaults; NAN if not derivable */
    assert_int_equal(r->metric_given, 1u << CORRIDOR_BY_DISTANCE);
    assert_true(r->metric[CORRIDOR_BY_DISTANCE] == 100);
    assert_true(r->metric[CORRIDOR_BY_TIME] == 2.5); /* 100 / 40 */
    assert_true(r->metric[CORRIDOR_BY_COST] == 200); /* 100 * 2 */
    assert_true(r->metric[CORRIDOR_BY_CO2] == 50);   /* 100 * 0.5 */
    assert_true(s->metric[CORRIDOR_BY_TIME] == 22);  /* given beats derived (400 / 20) */
    assert_true(isnan(s->metric[CORRIDOR_BY_COST])); /* sea has no cost default */
    assert_true(isnan(s->metric[CORRIDOR_BY_CO2]));
    assert_true(isnan(p->metric[CORRIDOR_BY_DISTANCE]));
    assert_true(isnan(p->metric[CORRIDOR_BY_TIME]));
    assert_true(p->metric[CORRIDOR_BY_COST] == 9);
    assert_true(p->metric[CORRIDOR_BY_CO2] == 0);
    assert_int_equal(p->metric_given, (1u << CORRIDOR_BY_COST) | (1u << CORRIDOR_BY_CO2));
    assert_true(fb->metric[CORRIDOR_BY_DISTANCE] == 0);
    assert_true(isnan(fb->metric[CORRIDOR_BY_TIME])); /* no fiber defaults */

    /* indexes */
    assert_int_equal(corridor__node_find(m, "field"), 2);
    assert_int_equal(corridor__edge_find(m, "f"), 4);
    assert_int_equal(corridor__country_find(m, "AZ"), 1);
    assert_int_equal(corridor__corridor_find(m, "oil"), 1);
    assert_int_equal(corridor__node_find(m, "nowhere"), -1);
    assert_int_equal(m->n_warnings, 0);
    corridor_model_free(m);
}

static void test_warnings_kept(void **state)
{
    (void)state;
    static const char json[] = "{" HEAD ", \"colour\": 1, \"nodes\": [{\"id\": \"a1\", \"kind\": "
                               "\"city\", \"lattitude\": 3}, {\"id\": \"b1\", \"kind\": \"city\"}],"
                               " \"edges\": [{\"id\": \"e\", \"from\": \"a1\", \"to\": \"b1\","
                               " \"mode\": \"road\", \"distnace_km\": 5, \"zzz\": {}}]}";
    corridor_model *m = NULL;
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_model_load_string(&m, json, sizeof json - 1, "w.json", d), 0);
    assert_non_null(m);
    assert_int_equal(corridor_diags_errors(d), 0);
    assert_int_equal(corridor_diags_count(d), 4);
    for (size_t i = 0; i < 4; i++)
        assert_true(corridor_diags_is_warning(d, i));
    assert_string_equal(corridor_diags_line(d, 0), "w.json: warning: colour: unknown field");
    assert_string_equal(corridor_diags_line(d, 1),
                        "w.json: warning: nodes[0].lattitude: unknown field");
    assert_string_equal(corridor_diags_line(d, 2), "w.json: warning: edges[0].distnace_km: "
                                                   "unknown field (did you mean \"distance_km\"?)");
    assert_string_equal(corridor_diags_line(d, 3), "w.json: warning: edges[0].zzz: unknown field");
    /* the model keeps them without the file prefix */
    assert_int_equal(m->n_warnings, 4);
    assert_string_equal(m->warnings[0], "colour: unknown field");
    assert_string_equal(m->warnings[2],
                        "edges[0].distnace_km: unknown field (did you mean \"distance_km\"?)");
    assert_true(isnan(m->edges[0].metric[CORRIDOR_BY_DISTANCE])); /* the typo is not used */

    corridor_info *info = NULL;
    assert_int_equal(corridor_model_info(&info, m), 0);
    assert_int_equal(info->n_warnings, 4);
    assert_string_equal(info->warnings[3], "edges[0].zzz: unknown field");
    char *text = NULL;
    assert_int_equal(corridor_info_json(&text, info), 0);
    cJSON *j = cJSON_Parse(text);
    cJSON *w = cJSON_GetObjectItem(j, "warnings");
    assert_int_equal(cJSON_GetArraySize(w), 4);
    assert_string_equal(cJSON_GetArrayItem(w, 1)->valuestring, "nodes[0].lattitude: unknown field");
    cJSON_Delete(j);
    corridor_free(text);
    corridor_info_free(info);

    /* a model without nodes is valid, with a warning */
    corridor_model *e = NULL;
    static const char empty[] = "{" HEAD "}";
    assert_int_equal(corridor_model_load_string(&e, empty, sizeof empty - 1, "e.json", d), 0);
    assert_int_equal(e->n_warnings, 1);
    assert_string_equal(e->warnings[0], "model has no nodes");
    assert_string_equal(corridor_diags_line(d, 4), "e.json: warning: model has no nodes");
    corridor_model_free(e);
    corridor_diags_free(d);
    corridor_model_free(m);
}

static void test_errors_load_nothing(void **state)
{
    (void)state;
    static const char json[] =
        "{" HEAD ",\n \"nodes\": [{\"id\": \"alat\", \"kind\": \"port\"},"
        " {\"id\": \"aktau\", \"kind\": \"port\"}],\n"
        " \"edges\": [{\"id\": \"x\", \"from\": \"aktau\", \"to\": \"alatt\", \"mode\": \"sea\"},"
        " {\"id\": \"y\", \"from\": \"aktau\", \"to\": \"alat\", \"mode\": \"sea\","
        " \"distance_km\": -1}]}";
    corridor_diags *d = load_bad(json, sizeof json - 1);
    assert_int_equal(corridor_diags_errors(d), 2);
    assert_string_equal(corridor_diags_line(d, 0),
                        "bad.json: edges[0].to: unknown node \"alatt\" (did you mean \"alat\"?)");
    assert_string_equal(corridor_diags_line(d, 1),
                        "bad.json: edges[1].distance_km: must be >= 0, got -1");
    assert_string_equal(
        corridor_error_message(),
        "bad.json: invalid model: edges[0].to: unknown node \"alatt\" (did you mean "
        "\"alat\"?) (and 1 more errors)");
    corridor_diags_free(d);

    /* without a diags list: still rejected, with the first problem in the message */
    corridor_model *m = NULL;
    assert_int_equal(corridor_model_load_string(&m, json, sizeof json - 1, "b", NULL),
                     CORRIDOR_EINVALID);
    assert_null(m);
    assert_non_null(strstr(corridor_error_message(), "edges[0].to: unknown node"));
}

static void test_syntax_errors(void **state)
{
    (void)state;
    corridor_diags *d = load_bad("", 0);
    assert_true(test_has_line(d, "bad.json: empty file: expected a corridor-model JSON object"));
    corridor_diags_free(d);

    static const char commas[] = "{\n  \"format\": \"corridor-model\",\n  \"version\": 1,,\n}";
    d = load_bad(commas, sizeof commas - 1);
    assert_true(test_has_line(d, "bad.json:3:16: invalid JSON: unexpected character ','"));
    corridor_diags_free(d);

    d = load_bad("{\"a\": [1, 2", 11);
    assert_true(test_has_line(d, "bad.json:1:12: invalid JSON: unexpected end of file"));
    corridor_diags_free(d);

    static const char nul[] = "{\"format\"\0: 1}";
    d = load_bad(nul, sizeof nul - 1);
    assert_true(
        test_has_line(d, "bad.json:1:10: invalid JSON: NUL byte in the file (is it binary?)"));
    corridor_diags_free(d);

    d = load_bad("{\"name\": \"\xc3\x28\"}", 14);
    assert_true(test_has_line(d, "bad.json:1:11: invalid JSON: invalid UTF-8 byte 0xc3"));
    corridor_diags_free(d);

    d = load_bad("{\"a\": 1,}", 9); /* cJSON reports the byte after the '}' */
    assert_true(test_has_line(d, "bad.json:1:9: invalid JSON: unexpected character '}'"));
    corridor_diags_free(d);

    d = load_bad("{\"a\": \"abc\\\"", 12);
    assert_true(test_has_line(d, "bad.json:1:7: invalid JSON: unterminated string"));
    corridor_diags_free(d);

    d = load_bad("[] []", 5);
    assert_true(test_has_line(d, "bad.json:1:4: invalid JSON: unexpected text after the end of the "
                                 "JSON value"));
    corridor_diags_free(d);

    d = load_bad("{\"x\": tru}", 10);
    assert_true(test_has_line(d, "bad.json:1:7: invalid JSON: unexpected word \"tru\""));
    corridor_diags_free(d);

    d = load_bad("{\"x\": \"a\\qb\"}", 13);
    assert_true(test_has_line(d, "bad.json:1:7: invalid JSON: invalid escape sequence in string"));
    corridor_diags_free(d);

    /* control characters and odd keys are escaped in paths and values */
    static const char odd[] =
        "{" HEAD ", \"nodes\": [{\"id\": \"a\\u0001\", \"kind\": \"c\\\"ity\","
        " \"we ird\": 1}]}";
    d = load_bad(odd, sizeof odd - 1);
    assert_true(test_has_line(d, "bad.json: warning: nodes[0][\"we ird\"]: unknown field"));
    assert_true(test_has_line(d, "bad.json: nodes[0].kind: unknown kind \"c\\\"ity\" (did you mean "
                                 "\"city\"?); expected one of: country, city, port, rail-terminal, "
                                 "border, junction, oil-terminal, gas-terminal, landing-station, "
                                 "substation, field"));
    corridor_diags_free(d);
}

/* The text is not read past `len` and needs no NUL terminator. */
static void test_length_respected(void **state)
{
    (void)state;
    static const char json[] = "{" HEAD "}garbage that is not part of the text";
    corridor_model *m = NULL;
    size_t len = strlen("{" HEAD "}");
    char *copy = malloc(len); /* exactly len bytes: valgrind/ASan catch a read past the end */
    assert_non_null(copy);
    memcpy(copy, json, len);
    assert_int_equal(corridor_model_load_string(&m, copy, len, "x", NULL), 0);
    assert_string_equal(corridor_model_name(m), "t");
    corridor_model_free(m);
    assert_int_equal(corridor_model_load_string(&m, json, sizeof json - 1, "x", NULL),
                     CORRIDOR_EINVALID);
    assert_null(m);
    free(copy);
}

/* Every prefix of a valid model, and many one-byte changes: no crash, a clear yes or no. */
static void test_no_crash_on_damage(void **state)
{
    (void)state;
    size_t len = strlen(full_json);
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    for (size_t n = 0; n < len; n++) {
        corridor_model *m = NULL;
        corridor_diags *d = NULL;
        assert_int_equal(corridor_diags_new(&d), 0);
        memcpy(buf, full_json, n);
        assert_int_equal(corridor_model_load_string(&m, buf, n, "cut", d), CORRIDOR_EINVALID);
        assert_null(m);
        assert_true(corridor_diags_errors(d) >= 1);
        corridor_diags_free(d);
    }
    static const char subst[] = "\"{}[],:0-9e.x\\\x01\xff nul";
    unsigned seed = 12345;
    for (size_t t = 0; t < 3000; t++) {
        memcpy(buf, full_json, len + 1);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            buf[at] = subst[(seed >> 8) % (sizeof subst - 1)];
        }
        corridor_model *m = NULL;
        corridor_diags *d = NULL;
        assert_int_equal(corridor_diags_new(&d), 0);
        int err = corridor_model_load_string(&m, buf, len, "mut", d);
        assert_true(err == 0 || err == CORRIDOR_EINVALID);
        assert_true((err == 0) == (m != NULL));
        assert_true((err == 0) == (corridor_diags_errors(d) == 0));
        corridor_model_free(m);
        corridor_diags_free(d);
    }
    free(buf);
}

static void test_deep_and_huge(void **state)
{
    (void)state;
    size_t depth = 100000;
    char *buf = malloc(2 * depth + 64);
    assert_non_null(buf);
    size_t n = (size_t)sprintf(buf, "{\"junk\": ");
    memset(buf + n, '[', depth);
    n += depth;
    corridor_diags *d = load_bad(buf, n);
    assert_non_null(strstr(corridor_diags_line(d, 0), "nested deeper than 1000 levels"));
    corridor_diags_free(d);
    free(buf);

    static const char huge[] = "{" HEAD ", \"nodes\": [{\"id\": \"a\", \"kind\": \"city\","
                               " \"lat\": 1e999, \"lon\": -1e999, \"capacity\": 1e999}]}";
    d = load_bad(huge, sizeof huge - 1);
    assert_true(test_has_line(d, "bad.json: nodes[0].lat: latitude must be between -90 and 90, "
                                 "got inf"));
    assert_true(test_has_line(d, "bad.json: nodes[0].lon: longitude must be between -180 and 180, "
                                 "got -inf"));
    assert_true(test_has_line(d, "bad.json: nodes[0].capacity: number too large (must be finite)"));
    corridor_diags_free(d);
}

static void test_info(void **state)
{
    (void)state;
    corridor_model *m = test_model(full_json);
    corridor_info *info = NULL;
    assert_int_equal(corridor_model_info(&info, m), 0);
    assert_int_equal(info->nodes, 3);
    assert_int_equal(info->edges, 5);
    assert_int_equal(info->countries, 2);
    assert_int_equal(info->corridors, 2);
    char *text = NULL;
    assert_int_equal(corridor_info_json(&text, info), 0);
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "name")->valuestring, "t");
    assert_int_equal(cJSON_GetObjectItem(j, "nodes")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(j, "edges")->valueint, 5);
    assert_int_equal(cJSON_GetObjectItem(j, "corridors")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(j, "countries")->valueint, 2);
    cJSON *k = cJSON_GetObjectItem(j, "by_kind");
    assert_int_equal(cJSON_GetArraySize(k), 2);
    assert_int_equal(cJSON_GetObjectItem(k, "port")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(k, "field")->valueint, 1);
    cJSON *md = cJSON_GetObjectItem(j, "by_mode");
    assert_int_equal(cJSON_GetArraySize(md), 5);
    assert_int_equal(cJSON_GetObjectItem(md, "rail")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(md, "fiber")->valueint, 1);
    cJSON *co = cJSON_GetObjectItem(j, "by_corridor");
    assert_int_equal(cJSON_GetObjectItem(co, "mc")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(co, "oil")->valueint, 1);
    cJSON *cn = cJSON_GetObjectItem(j, "by_country");
    assert_int_equal(cJSON_GetArraySize(cn), 2);
    assert_int_equal(cJSON_GetObjectItem(cn, "KZ")->valueint, 1);
    cJSON *st = cJSON_GetObjectItem(j, "by_status");
    assert_int_equal(cJSON_GetObjectItem(st, "operational")->valueint, 6);
    assert_int_equal(cJSON_GetObjectItem(st, "construction")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(st, "planned")->valueint, 1);
    assert_null(cJSON_GetObjectItem(st, "closed"));
    cJSON *w = cJSON_GetObjectItem(j, "warnings");
    assert_true(cJSON_IsArray(w));
    assert_int_equal(cJSON_GetArraySize(w), 0);
    cJSON_Delete(j);
    corridor_free(text);
    corridor_info_free(info);
    corridor_model_free(m);
}

/* Field by field: the clone equals the original and shares no memory with it. */
static void assert_models_equal(const corridor_model *a, const corridor_model *b)
{
    assert_string_equal(a->name, b->name);
    assert_string_equal(corridor_model_description(a), corridor_model_description(b));
    assert_string_equal(a->origin, b->origin);
    assert_ptr_not_equal(a->name, b->name);
    for (int c = 0; c < CORRIDOR_CARRY_COUNT; c++)
        assert_string_equal(corridor_model_unit(a, c), corridor_model_unit(b, c));
    assert_memory_equal(a->defaults, b->defaults, sizeof a->defaults);
    assert_int_equal(a->n_countries, b->n_countries);
    for (size_t i = 0; i < a->n_countries; i++)
        assert_string_equal(a->countries[i].code, b->countries[i].code);
    assert_int_equal(a->n_corridors, b->n_corridors);
    for (size_t i = 0; i < a->n_corridors; i++) {
        assert_string_equal(a->corridors[i].id, b->corridors[i].id);
        assert_string_equal(a->corridors[i].name, b->corridors[i].name);
    }
    assert_int_equal(a->n_nodes, b->n_nodes);
    for (size_t i = 0; i < a->n_nodes; i++) {
        const cor_node *x = &a->nodes[i], *y = &b->nodes[i];
        assert_string_equal(x->id, y->id);
        assert_string_equal(x->name, y->name);
        assert_ptr_not_equal(x->id, y->id);
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->country, y->country);
        assert_memory_equal(x->transfer, y->transfer, sizeof x->transfer);
        assert_memory_equal(x->dwell, y->dwell, sizeof x->dwell);
        assert_memory_equal(x->capacity, y->capacity, sizeof x->capacity);
        assert_int_equal(x->status, y->status);
        assert_int_equal(x->opens, y->opens);
        assert_int_equal(x->has_pos, y->has_pos);
    }
    assert_int_equal(a->n_edges, b->n_edges);
    for (size_t i = 0; i < a->n_edges; i++) {
        const cor_edge *x = &a->edges[i], *y = &b->edges[i];
        assert_string_equal(x->id, y->id);
        assert_int_equal(x->from, y->from);
        assert_int_equal(x->to, y->to);
        assert_int_equal(x->mode, y->mode);
        assert_int_equal(x->n_corridors, y->n_corridors);
        if (x->n_corridors)
            assert_memory_equal(x->corridors, y->corridors, x->n_corridors * sizeof *x->corridors);
        for (int k = 0; k < CORRIDOR_METRIC_COUNT; k++)
            assert_true(x->metric[k] == y->metric[k] ||
                        (isnan(x->metric[k]) && isnan(y->metric[k])));
        assert_int_equal(x->metric_given, y->metric_given);
        assert_memory_equal(x->capacity, y->capacity, sizeof x->capacity);
        assert_int_equal(x->carries, y->carries);
        assert_int_equal(x->gauge, y->gauge);
        assert_int_equal(x->oneway, y->oneway);
        assert_int_equal(x->status, y->status);
        assert_int_equal(x->opens, y->opens);
    }
    assert_int_equal(a->n_warnings, b->n_warnings);
}

static void test_clone(void **state)
{
    (void)state;
    corridor_model *m = test_model(full_json);
    corridor_model *c = corridor__model_clone(m);
    assert_non_null(c);
    assert_models_equal(m, c);
    assert_int_equal(corridor__node_find(c, "alat"), 1);
    corridor_model_free(c);
    corridor_model_free(m);
}

static int has_builtin(const char *name)
{
    const char *const *names = corridor_builtin_models();
    assert_non_null(names);
    for (size_t i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

static void test_builtin(void **state)
{
    (void)state;
    corridor_model *m = NULL;
    assert_int_equal(corridor_model_load_builtin(&m, "no-such-model", NULL), CORRIDOR_EINVALID);
    assert_null(m);
    assert_non_null(strstr(corridor_error_message(), "no-such-model"));
    assert_true(has_builtin("caspian"));
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_model_load_builtin(&m, "caspian", d), 0);
    assert_int_equal(corridor_diags_errors(d), 0);
    assert_string_equal(corridor_model_origin(m), "builtin:caspian");
    assert_true(corridor_model_node_count(m) > 10);
    assert_true(corridor_model_edge_count(m) > 10);
    corridor_model *c = corridor__model_clone(m);
    assert_non_null(c);
    assert_models_equal(m, c);
    corridor_model_free(c);
    corridor_model_free(m);
    /* open() takes a built-in name when no such file exists */
    assert_int_equal(access("caspian", F_OK), -1);
    assert_int_equal(corridor_model_open(&m, "caspian", d), 0);
    assert_string_equal(corridor_model_origin(m), "builtin:caspian");
    corridor_model_free(m);
    corridor_diags_free(d);
}

static void test_open_file(void **state)
{
    (void)state;
    corridor_model *m = NULL;
    assert_int_equal(corridor_model_open(&m, "/nonexistent/dir/model.json", NULL), CORRIDOR_EIO);
    assert_null(m);
    assert_non_null(strstr(corridor_error_message(), "/nonexistent/dir/model.json"));
    assert_int_equal(corridor_model_load_file(&m, "/nonexistent/model.json", NULL), CORRIDOR_EIO);
    assert_null(m);

    char path[] = "/tmp/test_loader_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(full_json, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(corridor_model_open(&m, path, NULL), 0);
    assert_string_equal(corridor_model_origin(m), path);
    assert_int_equal(corridor_model_edge_count(m), 5);
    corridor_model_free(m);
    /* a broken file: the diagnostics carry its path */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"format\": \"corridor-model\", \"version\": 1}", f);
    assert_int_equal(fclose(f), 0);
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_model_load_file(&m, path, d), CORRIDOR_EINVALID);
    char want[128];
    snprintf(want, sizeof want, "%s: missing required field \"name\"", path);
    assert_true(test_has_line(d, want));
    corridor_diags_free(d);
    unlink(path);
    /* a directory is read as a folder of GIS files: one with none is not a model */
    char *empty = test_tmp_dir();
    assert_true(corridor_model_open(&m, empty, NULL) < 0);
    assert_null(m);
    test_rm_dir(empty);
}

/* The shared fixture tests/fixtures/tiny.json (run from the source tree). */
static void test_tiny_fixture(void **state)
{
    (void)state;
    corridor_model *m = NULL;
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_model_load_file(&m, "tests/fixtures/tiny.json", d), 0);
    assert_int_equal(corridor_diags_count(d), 0);
    assert_int_equal(corridor_model_node_count(m), 7);
    assert_int_equal(corridor_model_edge_count(m), 10);
    const cor_edge *e = &m->edges[corridor__edge_find(m, "east-border")];
    assert_true(e->metric[CORRIDOR_BY_TIME] == 7.5);
    assert_true(e->metric[CORRIDOR_BY_COST] == 300);
    assert_true(e->metric[CORRIDOR_BY_CO2] == 150);
    e = &m->edges[corridor__edge_find(m, "ganja-west")];
    assert_int_equal(e->gauge, 1435);
    assert_true(isnan(e->metric[CORRIDOR_BY_COST]));
    e = &m->edges[corridor__edge_find(m, "field-aktau-oil")];
    assert_true(e->oneway);
    assert_int_equal(e->carries, 1u << CORRIDOR_CARRY_OIL);
    e = &m->edges[corridor__edge_find(m, "aktau-alat-roro")];
    assert_true(e->capacity[CORRIDOR_CARRY_FREIGHT] == 1000000);
    const cor_node *n = &m->nodes[corridor__node_find(m, "border")];
    assert_true(n->dwell[CORRIDOR_BY_TIME] == 8);
    corridor_model_free(m);
    corridor_diags_free(d);
}

/* A bigger generated model: ids resolve through the hash maps, every edge lands. */
static void test_generated(void **state)
{
    (void)state;
    size_t nn = 3000, ne = 9000;
    cor_buf b;
    corridor__buf_init(&b);
    corridor__buf_puts(&b, "{" HEAD ", \"nodes\": [");
    for (size_t i = 0; i < nn; i++)
        corridor__buf_printf(&b, "%s{\"id\": \"n%zu\", \"kind\": \"city\"}", i ? "," : "", i);
    corridor__buf_puts(&b, "], \"edges\": [");
    for (size_t i = 0; i < ne; i++)
        corridor__buf_printf(&b,
                             "%s{\"id\": \"e%zu\", \"from\": \"n%zu\", \"to\": \"n%zu\", "
                             "\"mode\": \"road\", \"distance_km\": %zu}",
                             i ? "," : "", i, i % nn, (i * 7 + 1) % nn, i);
    corridor__buf_puts(&b, "]}");
    assert_false(b.failed);
    corridor_model *m = test_model(b.data);
    assert_int_equal(corridor_model_edge_count(m), ne);
    for (size_t i = 0; i < ne; i += 97) {
        assert_int_equal(m->edges[i].from, i % nn);
        assert_int_equal(m->edges[i].to, (i * 7 + 1) % nn);
        assert_true(m->edges[i].metric[CORRIDOR_BY_DISTANCE] == (double)i);
    }
    corridor_model_free(m);
    corridor__buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_land),
        cmocka_unit_test(test_warnings_kept),
        cmocka_unit_test(test_errors_load_nothing),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_length_respected),
        cmocka_unit_test(test_no_crash_on_damage),
        cmocka_unit_test(test_deep_and_huge),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_clone),
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_open_file),
        cmocka_unit_test(test_tiny_fixture),
        cmocka_unit_test(test_generated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
