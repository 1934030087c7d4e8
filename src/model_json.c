/* model_json.c: loads and validates models from JSON, one JSON-path diagnostic per problem. */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "json_internal.h"

/*
 * cJSON parses the text; one walk over the tree then checks every field and
 * fills the model. Sections load in the order countries, corridors, nodes,
 * edges, so every reference points into a section already loaded, whatever
 * the order in the file. Diagnostics come out in a fixed order: format and
 * version, the top-level keys, then each section in array order; inside one
 * element its unknown or repeated keys, then its fields in the order of the
 * format's documentation. Any error frees everything.
 *
 * The same walk reads the nodes and edges that a scenario's "add" edit appends
 * to a loaded model (corridor__model_add_json): the model's ids then count as
 * taken and references may point into it.
 */

#define PATH_DEPTH 16
#define QUOTE_MAX  64
/* Candidate comparisons spent on "did you mean" for references, per load. */
#define SUGGEST_BUDGET 4000000u

static const char *const commodity_list = "freight, oil, gas, power, data";

/* The sections that references point into. */
enum { SEC_COUNTRY, SEC_CORRIDOR, SEC_NODE, SEC_EDGE, SEC_COUNT };

typedef struct loader {
    const char *src; /* prefixes every diagnostic */
    corridor_diags *d;
    corridor_model *m;
    size_t errors;
    int oom;
    char *first_error; /* "PATH: message", for the error message when diags is NULL */
    /* the JSON path of what is being read, rendered only when something is reported */
    struct {
        const char *key; /* NULL: an array index */
        size_t index;
    } path[PATH_DEPTH];
    size_t depth;
    char **warnings; /* "PATH: message" */
    size_t n_warnings, cap_warnings;
    /* id -> position in its array, filled as the sections load; keys are the model's strings */
    cor_map ids[SEC_COUNT];
    const char **cands[SEC_COUNT]; /* ids by position, built for the first "did you mean" */
    int usable[SEC_COUNT];         /* the section is absent or an array: references can resolve */
    size_t suggest_spent;
    size_t *listed; /* by corridor: 1 + the last edge that listed it */
    /* adding elements to a loaded model (L->m then holds only the new ones) */
    const corridor_model *base; /* ids taken and references resolving there first, or NULL */
    const char *prefix;         /* starts every path, e.g. "edits[2]"; NULL for a whole model */
    int check_only;             /* no ids registered and no references looked up */
    int no_warnings;            /* report errors only */
} loader;

/* ------------------------------------------------------------------ text */

/* Writes s quoted, with quotes, backslashes and control characters escaped; cuts long ones. */
static const char *quote(char *buf, size_t size, const char *s)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    buf[o++] = '"';
    for (; *p && o + 8 < size; p++) {
        if (o + 12 >= size || (o > QUOTE_MAX && (*p & 0xC0) != 0x80)) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (*p == '"' || *p == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)*p;
        } else if (*p < 0x20 || *p == 0x7f) {
            o += (size_t)snprintf(buf + o, size - o, "\\u%04x", *p);
        } else {
            buf[o++] = (char)*p;
        }
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

#define QBUF      96
#define Q(buf, s) quote(buf, sizeof buf, s)

/* "a string (\"x\")", "a number (5)", "an object", ... for type errors. */
static const char *describe(char *buf, size_t size, const cJSON *v)
{
    char q[QBUF];
    if (cJSON_IsString(v))
        snprintf(buf, size, "a string (%s)", Q(q, v->valuestring));
    else if (cJSON_IsNumber(v))
        snprintf(buf, size, "a number (%.15g)", v->valuedouble);
    else if (cJSON_IsBool(v))
        snprintf(buf, size, "a boolean (%s)", cJSON_IsTrue(v) ? "true" : "false");
    else if (cJSON_IsNull(v))
        snprintf(buf, size, "null");
    else if (cJSON_IsArray(v))
        snprintf(buf, size, "an array");
    else
        snprintf(buf, size, "an object");
    return buf;
}

/* "a, b, c" of the names of an enumeration. */
static const char *name_list(char *buf, size_t size, const char *(*name)(int), int n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", name(i));
    return buf;
}

static const char *kind_name(int i)
{
    return corridor_kind_name((corridor_kind)i);
}

static const char *mode_name(int i)
{
    return corridor_mode_name((corridor_mode)i);
}

static const char *status_name(int i)
{
    return corridor_status_name((corridor_status)i);
}

static const char *commodity_name(int i)
{
    return corridor_commodity_name((corridor_commodity)i);
}

/* ---------------------------------------------------------------- paths */

/* Pushes ".key"; returns the previous depth for path_set. */
static size_t path_key(loader *L, const char *key)
{
    size_t at = L->depth;
    if (L->depth < PATH_DEPTH) {
        L->path[L->depth].key = key;
        L->path[L->depth].index = 0;
    }
    L->depth++;
    return at;
}

/* Pushes "[i]"; returns the previous depth for path_set. */
static size_t path_index(loader *L, size_t i)
{
    size_t at = L->depth;
    if (L->depth < PATH_DEPTH) {
        L->path[L->depth].key = NULL;
        L->path[L->depth].index = i;
    }
    L->depth++;
    return at;
}

static void path_set(loader *L, size_t depth)
{
    L->depth = depth;
}

static int plain_key(const char *k)
{
    if (!*k)
        return 0;
    for (const char *p = k; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            return 0;
    return 1;
}

/* The current path as text: nodes[3].capacity.oil, with ["odd key"] for other keys. */
static const char *path_text(const loader *L, char *buf, size_t size)
{
    size_t o = 0, n = L->depth < PATH_DEPTH ? L->depth : PATH_DEPTH;
    buf[0] = '\0';
    if (L->prefix)
        o = (size_t)snprintf(buf, size, "%s", L->prefix);
    for (size_t i = 0; i < n && o < size; i++) {
        const char *key = L->path[i].key;
        char q[QBUF];
        if (!key)
            o += (size_t)snprintf(buf + o, size - o, "[%zu]", L->path[i].index);
        else if (plain_key(key))
            o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "." : "", key);
        else
            o += (size_t)snprintf(buf + o, size - o, "[%s]", Q(q, key));
    }
    return buf;
}

/* ------------------------------------------------------------ reporting */

static void push_warning(loader *L, const char *text)
{
    char *w = corridor__strdup(text);
    if (!w) {
        L->oom = 1;
        return;
    }
    if (L->n_warnings == L->cap_warnings) {
        size_t cap = L->cap_warnings ? 2 * L->cap_warnings : 8;
        char **a = realloc(L->warnings, cap * sizeof *a);
        if (!a) {
            free(w);
            L->oom = 1;
            return;
        }
        L->warnings = a;
        L->cap_warnings = cap;
    }
    L->warnings[L->n_warnings++] = w;
}

static void report(loader *L, int warning, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One diagnostic at the current path: an error, or a warning also kept in the model. */
static void report(loader *L, int warning, const char *fmt, ...)
{
    char msg[1024], path[512], line[1600];
    va_list ap;
    if (warning && L->no_warnings)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    path_text(L, path, sizeof path);
    corridor__diag(L->d, warning, L->src, path, "%s", msg);
    /* "PATH: message" without the file, as the model keeps warnings */
    snprintf(line, sizeof line, "%s%s%s", path, *path ? ": " : "", msg);
    if (warning) {
        push_warning(L, line);
        return;
    }
    L->errors++;
    if (!L->first_error && !(L->first_error = corridor__strdup(line)))
        L->oom = 1;
}

#define ERR(L, ...)  report(L, 0, __VA_ARGS__)
#define WARN(L, ...) report(L, 1, __VA_ARGS__)

static void type_error(loader *L, const cJSON *v, const char *expected)
{
    char got[QBUF + 16];
    ERR(L, "expected %s, got %s", expected, describe(got, sizeof got, v));
}

/* -------------------------------------------------------------- helpers */

static char *dup(loader *L, const char *s)
{
    char *r = corridor__strdup(s);
    if (s && !r)
        L->oom = 1;
    return r;
}

static int absent(const cJSON *v)
{
    return !v || cJSON_IsNull(v);
}

/*
 * Sorts the members of `obj` into f[] by the names in `known` (the first of a
 * repeated key wins; a repeat is an error). Unknown members are warnings, with
 * a suggestion among the known names.
 */
static void scan_fields(loader *L, const cJSON *obj, const char *const *known, size_t n,
                        const cJSON **f)
{
    size_t next = 0; /* files mostly follow the documented order: look after the last match */
    for (size_t i = 0; i < n; i++)
        f[i] = NULL;
    for (const cJSON *c = obj->child; c; c = c->next) {
        const char *key = c->string ? c->string : "";
        size_t k = n;
        for (size_t j = 0; j < n && k == n; j++) {
            size_t t = next + j < n ? next + j : next + j - n;
            if (known[t][0] == key[0] && strcmp(key, known[t]) == 0)
                k = t;
        }
        if (k < n)
            next = k + 1 < n ? k + 1 : 0;
        if (k < n && !f[k]) {
            f[k] = c;
            continue;
        }
        size_t at = path_key(L, key);
        if (k == n) {
            const char *s = corridor__suggest(key, known, n);
            char q[QBUF];
            if (s)
                WARN(L, "unknown field (did you mean %s?)", Q(q, s));
            else
                WARN(L, "unknown field");
        } else {
            ERR(L, "duplicate key (the same field is given twice)");
        }
        path_set(L, at);
    }
}

static void missing(loader *L, const char *key)
{
    ERR(L, "missing required field \"%s\"", key);
}

/* A string member: 1 and *out if present, 0 if absent or null, -1 after an error. */
static int get_string(loader *L, const cJSON *v, const char *key, const char **out)
{
    *out = NULL;
    if (absent(v))
        return 0;
    if (!cJSON_IsString(v)) {
        size_t at = path_key(L, key);
        type_error(L, v, "a string");
        path_set(L, at);
        return -1;
    }
    *out = v->valuestring;
    return 1;
}

/* An optional string member copied into *dst (NULL if absent). */
static void copy_string(loader *L, const cJSON *v, const char *key, char **dst)
{
    const char *s;
    if (get_string(L, v, key, &s) > 0)
        *dst = dup(L, s);
}

/* A required id (`noun` for messages): a non-empty string. Returns it or NULL after an error. */
static const char *get_id(loader *L, const cJSON *v, const char *key, const char *noun)
{
    const char *s;
    if (!v) {
        missing(L, key);
        return NULL;
    }
    if (get_string(L, v, key, &s) <= 0) {
        if (cJSON_IsNull(v)) {
            size_t at = path_key(L, key);
            type_error(L, v, "a string");
            path_set(L, at);
        }
        return NULL;
    }
    if (!*s) {
        size_t at = path_key(L, key);
        ERR(L, "empty %s", noun);
        path_set(L, at);
        return NULL;
    }
    return s;
}

/*
 * A number that must be finite and >= 0 (> 0 if `positive`). 1 and *out if
 * valid, 0 if absent or null, -1 after an error. The path must already name it.
 */
static int check_amount(loader *L, const cJSON *v, double *out, int positive)
{
    if (absent(v))
        return 0;
    if (!cJSON_IsNumber(v)) {
        type_error(L, v, "a number");
        return -1;
    }
    double x = v->valuedouble;
    if (!isfinite(x)) {
        ERR(L, "number too large (must be finite)");
        return -1;
    }
    if (positive ? !(x > 0) : !(x >= 0)) {
        ERR(L, "must be %s 0, got %.15g", positive ? ">" : ">=", x);
        return -1;
    }
    *out = x;
    return 1;
}

static int get_amount(loader *L, const cJSON *v, const char *key, double *out, int positive)
{
    size_t at = path_key(L, key);
    int r = check_amount(L, v, out, positive);
    path_set(L, at);
    return r;
}

/* Index of `s` among the names of an enumeration, or -1 after an error listing the choices. */
static int get_enum(loader *L, const char *s, const char *what, const char *(*name)(int), int n)
{
    const char *names[16];
    for (int i = 0; i < n; i++) {
        names[i] = name(i);
        if (strcmp(s, names[i]) == 0)
            return i;
    }
    char q[QBUF], q2[QBUF], list[256];
    const char *sug = corridor__suggest(s, names, (size_t)n);
    name_list(list, sizeof list, name, n);
    if (sug)
        ERR(L, "unknown %s %s (did you mean %s?); expected one of: %s", what, Q(q, s), Q(q2, sug),
            list);
    else
        ERR(L, "unknown %s %s; expected one of: %s", what, Q(q, s), list);
    return -1;
}

/* An enumeration member given as a string; -1 if absent, -2 after an error. */
static int get_enum_field(loader *L, const cJSON *v, const char *key, const char *what,
                          const char *(*name)(int), int n)
{
    const char *s;
    int r = get_string(L, v, key, &s);
    if (r <= 0)
        return r == 0 ? -1 : -2;
    size_t at = path_key(L, key);
    int i = get_enum(L, s, what, name, n);
    path_set(L, at);
    return i < 0 ? -2 : i;
}

static void get_status(loader *L, const cJSON *v, corridor_status *out)
{
    int s = get_enum_field(L, v, "status", "status", status_name, CORRIDOR_STATUS_COUNT);
    *out = s >= 0 ? (corridor_status)s : CORRIDOR_STATUS_OPERATIONAL;
}

static void get_opens(loader *L, const cJSON *v, int *out)
{
    *out = 0;
    if (absent(v))
        return;
    size_t at = path_key(L, "opens");
    if (!cJSON_IsNumber(v)) {
        type_error(L, v, "an integer year");
    } else if (!isfinite(v->valuedouble) || v->valuedouble != floor(v->valuedouble)) {
        ERR(L, "expected an integer year, got %.15g", v->valuedouble);
    } else if (v->valuedouble < 1800 || v->valuedouble > 2200) {
        ERR(L, "expected a year from 1800 to 2200, got %.15g", v->valuedouble);
    } else {
        *out = (int)v->valuedouble;
    }
    path_set(L, at);
}

/*
 * Registers the id of element i of a section. Returns 1 if new, 0 if an
 * earlier element has it (*first is set), -1 when out of memory.
 */
static int id_put(loader *L, int sec, const char *id, size_t i, size_t *first)
{
    int r = corridor__map_put(&L->ids[sec], id, i);
    if (r < 0)
        L->oom = 1;
    else if (r == 0)
        corridor__map_get(&L->ids[sec], id, first);
    return r;
}

/* Number of elements in a section of model m (0 for NULL). */
static size_t sec_count(const corridor_model *m, int sec)
{
    if (!m)
        return 0;
    return sec == SEC_COUNTRY    ? m->n_countries
           : sec == SEC_CORRIDOR ? m->n_corridors
           : sec == SEC_NODE     ? m->n_nodes
                                 : m->n_edges;
}

/* The id of element i of a section of model m. */
static const char *sec_id(const corridor_model *m, int sec, size_t i)
{
    return sec == SEC_COUNTRY    ? m->countries[i].code
           : sec == SEC_CORRIDOR ? m->corridors[i].id
           : sec == SEC_NODE     ? m->nodes[i].id
                                 : m->edges[i].id;
}

/* The id index of a section of a loaded model. */
static const cor_map *sec_index(const corridor_model *m, int sec)
{
    return sec == SEC_COUNTRY    ? &m->country_index
           : sec == SEC_CORRIDOR ? &m->corridor_index
           : sec == SEC_NODE     ? &m->node_index
                                 : &m->edge_index;
}

/* The ids a reference into a section can name (the base model's first), for suggestions. */
static const char *const *candidates(loader *L, int sec, size_t *n)
{
    size_t n_base = sec_count(L->base, sec);
    *n = n_base + sec_count(L->m, sec);
    if (L->cands[sec] || !*n)
        return L->cands[sec];
    if (!(L->cands[sec] = malloc(*n * sizeof *L->cands[sec]))) {
        L->oom = 1;
        *n = 0;
        return NULL;
    }
    for (size_t i = 0; i < *n; i++)
        L->cands[sec][i] = i < n_base ? sec_id(L->base, sec, i) : sec_id(L->m, sec, i - n_base);
    return L->cands[sec];
}

/*
 * Resolves a reference into a section; returns its position (in the base
 * model, then after it), or -1 after an error (the path names the field) with
 * a "did you mean". Suggestions spend from a budget so that thousands of bad
 * references into a huge model stay fast.
 */
static long resolve(loader *L, const char *ref, const char *what, int sec)
{
    size_t pos, n = 0;
    if (L->base && corridor__map_get(sec_index(L->base, sec), ref, &pos))
        return (long)pos;
    if (corridor__map_get(&L->ids[sec], ref, &pos))
        return (long)(sec_count(L->base, sec) + pos);
    char q[QBUF], q2[QBUF];
    const char *const *cands = candidates(L, sec, &n);
    const char *s = NULL;
    if (L->suggest_spent + n <= SUGGEST_BUDGET) {
        L->suggest_spent += n;
        s = corridor__suggest(ref, cands, n);
    }
    if (s)
        ERR(L, "unknown %s %s (did you mean %s?)", what, Q(q, ref), Q(q2, s));
    else
        ERR(L, "unknown %s %s", what, Q(q, ref));
    return -1;
}

/* Copies element i's id into *dst and registers it; a repeat is an error naming the first. */
static void own_id(loader *L, int sec, const char *key, const char *id, size_t i, char **dst)
{
    static const char *const sections[] = {"countries", "corridors", "nodes", "edges"};
    size_t first = 0;
    char q[QBUF], q2[QBUF];
    if (!(*dst = dup(L, id)) || L->check_only)
        return;
    if (L->base && corridor__map_get(sec_index(L->base, sec), id, NULL)) {
        size_t at = path_key(L, key);
        ERR(L, "duplicate id %s (the model already has %s %s)", Q(q, id),
            sec == SEC_NODE ? "a node" : "an edge", Q(q2, id));
        path_set(L, at);
    } else if (id_put(L, sec, *dst, i, &first) == 0) {
        size_t at = path_key(L, key);
        ERR(L, "duplicate %s %s (first at %s%s%s[%zu])", sec == SEC_COUNTRY ? "country code" : "id",
            Q(q, id), L->prefix ? L->prefix : "", L->prefix ? "." : "", sections[sec], first);
        path_set(L, at);
    }
}

/* Element count of an array (cJSON_GetArraySize returns int). */
static size_t array_len(const cJSON *a)
{
    size_t n = 0;
    for (const cJSON *c = a->child; c; c = c->next)
        n++;
    return n;
}

/* ------------------------------------------------------------- sections */

static const char *const top_fields[] = {"format", "version",  "name",      "description",
                                         "units",  "defaults", "countries", "corridors",
                                         "nodes",  "edges"};
enum {
    T_FORMAT,
    T_VERSION,
    T_NAME,
    T_DESCRIPTION,
    T_UNITS,
    T_DEFAULTS,
    T_COUNTRIES,
    T_CORRIDORS,
    T_NODES,
    T_EDGES,
    T_COUNT
};

static const char *const node_fields[] = {"id",    "name",     "kind",       "country",  "lat",
                                          "lon",   "transfer", "dwell",      "capacity", "status",
                                          "opens", "source",   "description"};
enum {
    N_ID,
    N_NAME,
    N_KIND,
    N_COUNTRY,
    N_LAT,
    N_LON,
    N_TRANSFER,
    N_DWELL,
    N_CAPACITY,
    N_STATUS,
    N_OPENS,
    N_SOURCE,
    N_DESCRIPTION,
    N_COUNT
};

static const char *const edge_fields[] = {
    "id",          "name",   "from",     "to",     "mode",     "corridors",
    "distance_km", "time_h", "cost_usd", "co2_kg", "capacity", "carries",
    "gauge",       "oneway", "status",   "opens",  "source",   "description"};
enum {
    E_ID,
    E_NAME,
    E_FROM,
    E_TO,
    E_MODE,
    E_CORRIDORS,
    E_DISTANCE,
    E_TIME,
    E_COST,
    E_CO2,
    E_CAPACITY,
    E_CARRIES,
    E_GAUGE,
    E_ONEWAY,
    E_STATUS,
    E_OPENS,
    E_SOURCE,
    E_DESCRIPTION,
    E_COUNT
};

static const char *const country_fields[] = {"code", "name"};
static const char *const corridor_fields[] = {"id", "name", "color", "description"};
static const char *const penalty_fields[] = {"time_h", "cost_usd", "co2_kg"};
static const corridor_metric penalty_metric[] = {CORRIDOR_BY_TIME, CORRIDOR_BY_COST,
                                                 CORRIDOR_BY_CO2};
static const char *const default_fields[] = {"speed_kmh", "cost_usd_per_km", "co2_kg_per_km",
                                             "bpr_alpha", "bpr_beta"};

/* Checks that `v` is an array; reports otherwise. 1 if it is, 0 if absent or null. */
static int want_array(loader *L, const cJSON *v, const char *key)
{
    if (absent(v))
        return 0;
    if (cJSON_IsArray(v))
        return 1;
    size_t at = path_key(L, key);
    type_error(L, v, "an array");
    path_set(L, at);
    return 0;
}

/* Checks that `v` (whose path is current) is an object. */
static int want_object(loader *L, const cJSON *v)
{
    if (cJSON_IsObject(v))
        return 1;
    type_error(L, v, "an object");
    return 0;
}

static void load_units(loader *L, const cJSON *v)
{
    if (absent(v))
        return;
    size_t at = path_key(L, "units");
    if (want_object(L, v)) {
        for (const cJSON *c = v->child; c; c = c->next) {
            size_t at2 = path_key(L, c->string ? c->string : "");
            int k = get_enum(L, c->string ? c->string : "", "commodity", commodity_name, COR_NCOM);
            if (k >= 0) {
                if (!cJSON_IsString(c))
                    type_error(L, c, "a string");
                else if (!*c->valuestring)
                    ERR(L, "empty unit");
                else if (L->m->units[k])
                    ERR(L, "duplicate key (the same field is given twice)");
                else
                    L->m->units[k] = dup(L, c->valuestring);
            }
            path_set(L, at2);
        }
    }
    path_set(L, at);
}

static void load_defaults(loader *L, const cJSON *v)
{
    if (absent(v))
        return;
    size_t at = path_key(L, "defaults");
    if (want_object(L, v)) {
        for (const cJSON *c = v->child; c; c = c->next) {
            size_t at2 = path_key(L, c->string ? c->string : "");
            int mode = get_enum(L, c->string ? c->string : "", "mode", mode_name, COR_NMODE);
            if (mode >= 0 && (L->m->defaults_given & (1u << mode))) {
                ERR(L, "duplicate key (the same field is given twice)");
            } else if (mode >= 0 && want_object(L, c)) {
                const cJSON *f[5];
                cor_defaults *d = &L->m->defaults[mode];
                L->m->defaults_given |= 1u << mode;
                scan_fields(L, c, default_fields, 5, f);
                get_amount(L, f[0], "speed_kmh", &d->speed_kmh, 1);
                get_amount(L, f[1], "cost_usd_per_km", &d->cost_usd_per_km, 0);
                get_amount(L, f[2], "co2_kg_per_km", &d->co2_kg_per_km, 0);
                get_amount(L, f[3], "bpr_alpha", &d->bpr_alpha, 0);
                if (get_amount(L, f[4], "bpr_beta", &d->bpr_beta, 1) > 0 && d->bpr_beta < 1) {
                    size_t at3 = path_key(L, "bpr_beta");
                    ERR(L, "must be >= 1, got %.15g", d->bpr_beta);
                    path_set(L, at3);
                    d->bpr_beta = NAN;
                }
            }
            path_set(L, at2);
        }
    }
    path_set(L, at);
}

static int country_code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 3)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return 1;
}

static void load_countries(loader *L, const cJSON *v)
{
    if (!want_array(L, v, "countries"))
        return;
    corridor_model *m = L->m;
    size_t n = array_len(v), i = 0;
    if (n && !(m->countries = calloc(n, sizeof *m->countries))) {
        L->oom = 1;
        return;
    }
    m->n_countries = n;
    size_t at = path_key(L, "countries");
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        size_t at2 = path_index(L, i);
        const cJSON *f[2];
        if (want_object(L, c)) {
            scan_fields(L, c, country_fields, 2, f);
            const char *code = get_id(L, f[0], "code", "country code");
            if (code && !country_code_ok(code)) {
                size_t at3 = path_key(L, "code");
                char q[QBUF];
                ERR(L, "expected 2 or 3 uppercase letters (ISO 3166 code), got %s", Q(q, code));
                path_set(L, at3);
            }
            if (code)
                own_id(L, SEC_COUNTRY, "code", code, i, &m->countries[i].code);
            copy_string(L, f[1], "name", &m->countries[i].name);
            if (code && !m->countries[i].name)
                m->countries[i].name = dup(L, code);
        }
        path_set(L, at2);
    }
    path_set(L, at);
}

/* 1 and out = "#rrggbb" for "#rrggbb" or "#rgb" (expanded); 0 for anything else. */
static int color_ok(const char *s, char out[8])
{
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 4 && n != 7))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    if (n == 7) {
        memcpy(out, s, 8);
    } else {
        out[0] = '#';
        for (size_t i = 0; i < 3; i++)
            out[1 + 2 * i] = out[2 + 2 * i] = s[1 + i];
        out[7] = '\0';
    }
    return 1;
}

static void load_corridors(loader *L, const cJSON *v)
{
    if (!want_array(L, v, "corridors"))
        return;
    corridor_model *m = L->m;
    size_t n = array_len(v), i = 0;
    if (n && !(m->corridors = calloc(n, sizeof *m->corridors))) {
        L->oom = 1;
        return;
    }
    m->n_corridors = n;
    size_t at = path_key(L, "corridors");
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        size_t at2 = path_index(L, i);
        const cJSON *f[4];
        cor_corridor *cor = &m->corridors[i];
        if (want_object(L, c)) {
            scan_fields(L, c, corridor_fields, 4, f);
            const char *id = get_id(L, f[0], "id", "id");
            if (id)
                own_id(L, SEC_CORRIDOR, "id", id, i, &cor->id);
            copy_string(L, f[1], "name", &cor->name);
            if (id && !cor->name)
                cor->name = dup(L, id);
            const char *color;
            if (get_string(L, f[2], "color", &color) > 0) {
                char norm[8], q[QBUF];
                if (color_ok(color, norm)) {
                    cor->color = dup(L, norm);
                } else {
                    size_t at3 = path_key(L, "color");
                    ERR(L, "expected a colour \"#rrggbb\" or \"#rgb\", got %s", Q(q, color));
                    path_set(L, at3);
                }
            }
            copy_string(L, f[3], "description", &cor->description);
        }
        path_set(L, at2);
    }
    path_set(L, at);
}

/* A transfer or dwell object: time_h, cost_usd, co2_kg. */
static void load_penalty(loader *L, const cJSON *v, const char *key, double *vals, unsigned *given)
{
    if (absent(v))
        return;
    size_t at = path_key(L, key);
    if (want_object(L, v)) {
        const cJSON *f[3];
        scan_fields(L, v, penalty_fields, 3, f);
        for (size_t k = 0; k < 3; k++) {
            double x;
            if (get_amount(L, f[k], penalty_fields[k], &x, 0) > 0) {
                vals[penalty_metric[k]] = x;
                *given |= 1u << penalty_metric[k];
            }
        }
    }
    path_set(L, at);
}

/*
 * A capacity: a bare number for every commodity in `allowed`, or an object by
 * commodity; a commodity outside `allowed` is an error naming `carried`.
 */
static void load_capacity(loader *L, const cJSON *v, unsigned allowed, int is_edge, double *cap,
                          unsigned *given)
{
    for (size_t k = 0; k < COR_NCOM; k++)
        cap[k] = INFINITY;
    *given = 0;
    if (absent(v))
        return;
    size_t at = path_key(L, "capacity");
    double x;
    if (cJSON_IsNumber(v)) {
        if (check_amount(L, v, &x, 0) > 0) {
            for (size_t k = 0; k < COR_NCOM; k++)
                if (allowed & (1u << k))
                    cap[k] = x;
            *given = allowed;
        }
    } else if (cJSON_IsObject(v)) {
        for (const cJSON *c = v->child; c; c = c->next) {
            const char *key = c->string ? c->string : "";
            size_t at2 = path_key(L, key);
            int k = get_enum(L, key, "commodity", commodity_name, COR_NCOM);
            if (k >= 0 && (*given & (1u << k))) {
                ERR(L, "duplicate key (the same field is given twice)");
            } else if (k >= 0 && is_edge && allowed && !(allowed & (1u << k))) {
                char list[64];
                size_t o = 0;
                list[0] = '\0';
                for (int j = 0; j < COR_NCOM; j++)
                    if (allowed & (1u << j))
                        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "",
                                              corridor_commodity_name((corridor_commodity)j));
                ERR(L, "the edge does not carry %s (it carries: %s)", key, list);
            } else if (k >= 0 && check_amount(L, c, &x, 0) > 0) {
                cap[k] = x;
                *given |= 1u << k;
            }
            path_set(L, at2);
        }
    } else {
        type_error(L, v, "a number or an object by commodity");
    }
    path_set(L, at);
}

static void load_node(loader *L, const cJSON *obj, size_t i)
{
    cor_node *n = &L->m->nodes[i];
    const cJSON *f[N_COUNT];
    n->country = -1;
    for (size_t k = 0; k < COR_NCOM; k++)
        n->capacity[k] = INFINITY;
    if (!want_object(L, obj))
        return;
    scan_fields(L, obj, node_fields, N_COUNT, f);

    const char *id = get_id(L, f[N_ID], "id", "id");
    if (id)
        own_id(L, SEC_NODE, "id", id, i, &n->id);
    copy_string(L, f[N_NAME], "name", &n->name);
    if (!n->name && id)
        n->name = dup(L, id);

    if (!f[N_KIND]) {
        missing(L, "kind");
    } else {
        int k = get_enum_field(L, f[N_KIND], "kind", "kind", kind_name, CORRIDOR_KIND_COUNT);
        if (k == -1) { /* null */
            size_t at = path_key(L, "kind");
            type_error(L, f[N_KIND], "a string");
            path_set(L, at);
        }
        n->kind = k >= 0 ? (corridor_kind)k : CORRIDOR_KIND_CITY;
    }

    const char *country;
    if (get_string(L, f[N_COUNTRY], "country", &country) > 0) {
        size_t at = path_key(L, "country");
        if (!*country)
            ERR(L, "empty country code");
        else if (L->usable[SEC_COUNTRY])
            n->country = resolve(L, country, "country", SEC_COUNTRY);
        path_set(L, at);
    }

    int has_lat = 0, has_lon = 0;
    if (!absent(f[N_LAT])) {
        size_t at = path_key(L, "lat");
        if (!cJSON_IsNumber(f[N_LAT]))
            type_error(L, f[N_LAT], "a number");
        else if (!(f[N_LAT]->valuedouble >= -90 && f[N_LAT]->valuedouble <= 90))
            ERR(L, "latitude must be between -90 and 90, got %.15g", f[N_LAT]->valuedouble);
        else
            n->lat = f[N_LAT]->valuedouble, has_lat = 1;
        path_set(L, at);
    }
    if (!absent(f[N_LON])) {
        size_t at = path_key(L, "lon");
        if (!cJSON_IsNumber(f[N_LON]))
            type_error(L, f[N_LON], "a number");
        else if (!(f[N_LON]->valuedouble >= -180 && f[N_LON]->valuedouble <= 180))
            ERR(L, "longitude must be between -180 and 180, got %.15g", f[N_LON]->valuedouble);
        else
            n->lon = f[N_LON]->valuedouble, has_lon = 1;
        path_set(L, at);
    }
    if (!absent(f[N_LAT]) && absent(f[N_LON]))
        ERR(L, "lat without lon (give both or neither)");
    if (absent(f[N_LAT]) && !absent(f[N_LON]))
        ERR(L, "lon without lat (give both or neither)");
    n->has_pos = has_lat && has_lon;

    load_penalty(L, f[N_TRANSFER], "transfer", n->transfer, &n->transfer_given);
    load_penalty(L, f[N_DWELL], "dwell", n->dwell, &n->dwell_given);
    load_capacity(L, f[N_CAPACITY], (1u << COR_NCOM) - 1, 0, n->capacity, &n->capacity_given);
    get_status(L, f[N_STATUS], &n->status);
    get_opens(L, f[N_OPENS], &n->opens);
    copy_string(L, f[N_SOURCE], "source", &n->source);
    copy_string(L, f[N_DESCRIPTION], "description", &n->description);
}

/* An edge's "from" or "to": a known node. Returns the node's id or NULL. */
static const char *edge_end(loader *L, const cJSON *v, const char *key, size_t *out)
{
    const char *ref = get_id(L, v, key, "node id");
    if (!ref || !L->usable[SEC_NODE])
        return ref;
    size_t at = path_key(L, key);
    long pos = resolve(L, ref, "node", SEC_NODE);
    if (pos >= 0)
        *out = (size_t)pos;
    path_set(L, at);
    return ref;
}

/* The edge's corridor ids; `i_edge` is its position (to mark corridors already listed). */
static void load_edge_corridors(loader *L, const cJSON *v, cor_edge *e, size_t i_edge)
{
    if (!want_array(L, v, "corridors"))
        return;
    size_t n = array_len(v), i = 0;
    if (n && !(e->corridors = malloc(n * sizeof *e->corridors))) {
        L->oom = 1;
        return;
    }
    size_t at = path_key(L, "corridors");
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        size_t at2 = path_index(L, i);
        char q[QBUF];
        if (!cJSON_IsString(c)) {
            type_error(L, c, "a corridor id (a string)");
        } else if (!*c->valuestring) {
            ERR(L, "empty corridor id");
        } else if (L->usable[SEC_CORRIDOR]) {
            long pos = resolve(L, c->valuestring, "corridor", SEC_CORRIDOR);
            if (pos >= 0 && L->listed[pos] == i_edge + 1) {
                WARN(L, "corridor %s listed twice", Q(q, c->valuestring));
            } else if (pos >= 0) {
                L->listed[pos] = i_edge + 1;
                e->corridors[e->n_corridors++] = (size_t)pos;
            }
        }
        path_set(L, at2);
    }
    path_set(L, at);
}

/* "carries": a non-empty list of commodities. Returns 0 if absent, 1 if valid, -1 on error. */
static int load_carries(loader *L, const cJSON *v, unsigned *out)
{
    *out = 0;
    if (absent(v))
        return 0;
    if (!want_array(L, v, "carries"))
        return -1;
    size_t at = path_key(L, "carries"), i = 0;
    int bad = 0;
    if (!v->child) {
        ERR(L, "empty list: an edge must carry at least one commodity (%s)", commodity_list);
        bad = 1;
    }
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        size_t at2 = path_index(L, i);
        char q[QBUF];
        if (!cJSON_IsString(c)) {
            type_error(L, c, "a commodity (a string)");
            bad = 1;
        } else {
            int k = get_enum(L, c->valuestring, "commodity", commodity_name, COR_NCOM);
            if (k < 0)
                bad = 1;
            else if (*out & (1u << k))
                WARN(L, "commodity %s listed twice", Q(q, c->valuestring));
            else
                *out |= 1u << k;
        }
        path_set(L, at2);
    }
    path_set(L, at);
    return bad ? -1 : 1;
}

static void load_edge(loader *L, const cJSON *obj, size_t i)
{
    cor_edge *e = &L->m->edges[i];
    const cJSON *f[E_COUNT];
    char q[QBUF];
    for (size_t k = 0; k < COR_NMET; k++)
        e->metric[k] = NAN;
    for (size_t k = 0; k < COR_NCOM; k++)
        e->capacity[k] = INFINITY;
    if (!want_object(L, obj))
        return;
    scan_fields(L, obj, edge_fields, E_COUNT, f);

    const char *id = get_id(L, f[E_ID], "id", "id");
    if (id)
        own_id(L, SEC_EDGE, "id", id, i, &e->id);
    copy_string(L, f[E_NAME], "name", &e->name);
    const char *from = edge_end(L, f[E_FROM], "from", &e->from);
    const char *to = edge_end(L, f[E_TO], "to", &e->to);
    if (from && to && strcmp(from, to) == 0)
        ERR(L, "self-loop: from and to are both %s", Q(q, from));

    int mode = -1;
    if (!f[E_MODE]) {
        missing(L, "mode");
    } else {
        mode = get_enum_field(L, f[E_MODE], "mode", "mode", mode_name, COR_NMODE);
        if (mode == -1) { /* null */
            size_t at = path_key(L, "mode");
            type_error(L, f[E_MODE], "a string");
            path_set(L, at);
        }
    }
    e->mode = mode >= 0 ? (corridor_mode)mode : CORRIDOR_MODE_ROAD;

    load_edge_corridors(L, f[E_CORRIDORS], e, i);

    static const struct {
        int field;
        const char *key;
        corridor_metric metric;
    } metrics[] = {{E_DISTANCE, "distance_km", CORRIDOR_BY_DISTANCE},
                   {E_TIME, "time_h", CORRIDOR_BY_TIME},
                   {E_COST, "cost_usd", CORRIDOR_BY_COST},
                   {E_CO2, "co2_kg", CORRIDOR_BY_CO2}};
    for (size_t k = 0; k < sizeof metrics / sizeof *metrics; k++) {
        double x;
        if (get_amount(L, f[metrics[k].field], metrics[k].key, &x, 0) > 0) {
            e->metric[metrics[k].metric] = x;
            e->metric_given |= 1u << metrics[k].metric;
        }
    }

    int carries = load_carries(L, f[E_CARRIES], &e->carries);
    e->carries_given = carries != 0;
    if (carries == 0 && mode >= 0) {
        e->carries = corridor__mode_default_carries((corridor_mode)mode);
        if (!e->carries)
            ERR(L, "missing required field \"carries\" (a %s must say what it carries: %s)",
                corridor_mode_name((corridor_mode)mode), commodity_list);
    }
    /* a capacity is checked against what the edge carries only if that is known */
    load_capacity(L, f[E_CAPACITY], carries >= 0 && mode >= 0 ? e->carries : 0, 1, e->capacity,
                  &e->capacity_given);

    if (!absent(f[E_GAUGE])) {
        size_t at = path_key(L, "gauge");
        const cJSON *g = f[E_GAUGE];
        if (!cJSON_IsNumber(g))
            type_error(L, g, "a positive integer (track gauge in mm)");
        else if (!(g->valuedouble >= 1 && g->valuedouble <= 10000) ||
                 g->valuedouble != floor(g->valuedouble))
            ERR(L, "expected a positive integer (track gauge in mm, e.g. 1435 or 1520), got %.15g",
                g->valuedouble);
        else if (mode >= 0 && mode != CORRIDOR_MODE_RAIL)
            ERR(L, "gauge is for rail edges only (this edge is %s)",
                corridor_mode_name((corridor_mode)mode));
        else
            e->gauge = (int)g->valuedouble;
        path_set(L, at);
    }
    if (!absent(f[E_ONEWAY])) {
        if (cJSON_IsBool(f[E_ONEWAY])) {
            e->oneway = cJSON_IsTrue(f[E_ONEWAY]);
        } else {
            size_t at = path_key(L, "oneway");
            type_error(L, f[E_ONEWAY], "a boolean (true or false)");
            path_set(L, at);
        }
    }
    get_status(L, f[E_STATUS], &e->status);
    get_opens(L, f[E_OPENS], &e->opens);
    copy_string(L, f[E_SOURCE], "source", &e->source);
    copy_string(L, f[E_DESCRIPTION], "description", &e->description);
}

static void load_elements(loader *L, const cJSON *v, const char *key, int nodes)
{
    if (!want_array(L, v, key))
        return;
    corridor_model *m = L->m;
    size_t n = array_len(v), i = 0;
    if (nodes) {
        if (n && !(m->nodes = calloc(n, sizeof *m->nodes))) {
            L->oom = 1;
            return;
        }
        m->n_nodes = n;
    } else {
        if (n && !(m->edges = calloc(n, sizeof *m->edges))) {
            L->oom = 1;
            return;
        }
        m->n_edges = n;
    }
    /* the size is known: the id index never grows on the way */
    if (!L->check_only && corridor__map_reserve(&L->ids[nodes ? SEC_NODE : SEC_EDGE], n) < 0) {
        L->oom = 1;
        return;
    }
    size_t at = path_key(L, key);
    for (const cJSON *c = v->child; c && !L->oom; c = c->next, i++) {
        size_t at2 = path_index(L, i);
        if (nodes)
            load_node(L, c, i);
        else
            load_edge(L, c, i);
        path_set(L, at2);
    }
    path_set(L, at);
}

/* format and version; returns 0 to go on, -1 if the file is no model this loader can read. */
static int check_header(loader *L, const cJSON *root)
{
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
    char q[QBUF];
    if (!fmt) {
        ERR(L, "missing required field \"format\" (expected \"corridor-model\")");
    } else {
        size_t at = path_key(L, "format");
        if (!cJSON_IsString(fmt)) {
            type_error(L, fmt, "\"corridor-model\"");
        } else if (strcmp(fmt->valuestring, "corridor-model") != 0) {
            if (strcmp(fmt->valuestring, "corridor-scenario") == 0)
                ERR(L, "expected \"corridor-model\", got \"corridor-scenario\" (this is a "
                       "scenario: load it with -s)");
            else
                ERR(L, "expected \"corridor-model\", got %s", Q(q, fmt->valuestring));
            path_set(L, at);
            return -1;
        }
        path_set(L, at);
    }
    if (!ver) {
        ERR(L, "missing required field \"version\" (expected 1)");
    } else {
        size_t at = path_key(L, "version");
        if (!cJSON_IsNumber(ver)) {
            type_error(L, ver, "the number 1");
        } else if (ver->valuedouble != 1) {
            ERR(L, "unsupported version %.15g (this corridor reads version 1)", ver->valuedouble);
            path_set(L, at);
            return -1;
        }
        path_set(L, at);
    }
    return 0;
}

static void load_root(loader *L, const cJSON *root)
{
    corridor_model *m = L->m;
    const cJSON *f[T_COUNT];
    if (!cJSON_IsObject(root)) {
        char got[QBUF + 16];
        ERR(L, "expected a corridor-model JSON object at the top level, got %s",
            describe(got, sizeof got, root));
        return;
    }
    if (check_header(L, root) < 0)
        return;
    scan_fields(L, root, top_fields, T_COUNT, f);

    /* a section that is there but no array makes its references unresolvable: skip them */
    L->usable[SEC_COUNTRY] = absent(f[T_COUNTRIES]) || cJSON_IsArray(f[T_COUNTRIES]);
    L->usable[SEC_CORRIDOR] = absent(f[T_CORRIDORS]) || cJSON_IsArray(f[T_CORRIDORS]);
    L->usable[SEC_NODE] = absent(f[T_NODES]) || cJSON_IsArray(f[T_NODES]);

    const char *name;
    if (!f[T_NAME]) {
        missing(L, "name");
    } else if (get_string(L, f[T_NAME], "name", &name) > 0) {
        m->name = dup(L, name);
    } else if (cJSON_IsNull(f[T_NAME])) {
        size_t at = path_key(L, "name");
        type_error(L, f[T_NAME], "a string");
        path_set(L, at);
    }
    copy_string(L, f[T_DESCRIPTION], "description", &m->description);
    load_units(L, f[T_UNITS]);
    load_defaults(L, f[T_DEFAULTS]);
    load_countries(L, f[T_COUNTRIES]);
    load_corridors(L, f[T_CORRIDORS]);
    load_elements(L, f[T_NODES], "nodes", 1);
    if (m->n_corridors && !(L->listed = calloc(m->n_corridors, sizeof *L->listed)))
        L->oom = 1;
    if (!L->oom)
        load_elements(L, f[T_EDGES], "edges", 0);
    if (!L->oom && m->n_nodes == 0 && L->usable[SEC_NODE])
        WARN(L, "model has no nodes");
}

/* ------------------------------------------------------------ raw text */

static void text_error(loader *L, const char *text, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An error at a byte offset: "SRC:LINE:COL: invalid JSON: ..." */
static void text_error(loader *L, const char *text, size_t pos, const char *fmt, ...)
{
    char msg[512];
    size_t line, col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    corridor__line_col(text, pos, &line, &col);
    char *src = corridor__asprintf("%s:%zu:%zu", L->src, line, col);
    if (!src) {
        L->oom = 1;
        return;
    }
    const char *saved = L->src;
    L->src = src;
    ERR(L, "invalid JSON: %s", msg);
    L->src = saved;
    free(src);
}

/* NUL bytes and invalid UTF-8: reports the first one. 0 if the text is clean. */
static int check_bytes(loader *L, const char *text, size_t len)
{
    int is_nul = 0;
    size_t i = corridor__text_bad_byte(text, len, &is_nul);
    if (i == len)
        return 0;
    if (is_nul)
        text_error(L, text, i, "NUL byte in the file (is it binary?)");
    else
        text_error(L, text, i, "invalid UTF-8 byte 0x%02x", (unsigned char)text[i]);
    return -1;
}

/* What a walk over the text up to some offset saw (strings and nesting, not full syntax). */
typedef struct walk {
    size_t depth;     /* open brackets */
    size_t str_start; /* offset of the opening quote, if in_str */
    size_t end;       /* offset just past the last non-space byte seen */
    char top;         /* innermost open bracket, or 0 */
    char last;        /* last non-space byte outside strings (a string counts as '"'), or 0 */
    int in_str;
} walk;

static void walk_to(walk *w, const char *text, size_t pos)
{
    char stack[CJSON_NESTING_LIMIT + 2];
    int esc = 0;
    memset(w, 0, sizeof *w);
    for (size_t i = 0; i < pos; i++) {
        char c = text[i];
        if (!isspace((unsigned char)c))
            w->end = i + 1;
        if (w->in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                w->in_str = 0;
            continue;
        }
        if (isspace((unsigned char)c))
            continue;
        w->last = c;
        if (c == '"') {
            w->in_str = 1;
            w->str_start = i;
        } else if (c == '[' || c == '{') {
            if (w->depth < sizeof stack)
                stack[w->depth] = c;
            w->depth++;
        } else if ((c == ']' || c == '}') && w->depth) {
            w->depth--;
        }
        w->top = w->depth && w->depth <= sizeof stack ? stack[w->depth - 1] : 0;
    }
}

/* Explains why cJSON stopped at `pos` (the text has no NUL before len). */
static void explain_syntax(loader *L, const char *text, size_t len, size_t pos)
{
    walk w;
    if (pos > len)
        pos = len;
    /* where an object key is due, cJSON reports the byte after the offending one */
    if (pos > 0 && pos - 1 < len && !isspace((unsigned char)text[pos - 1]) &&
        text[pos - 1] != '"') {
        walk_to(&w, text, pos - 1);
        if (!w.in_str && w.top == '{' && (w.last == '{' || w.last == ','))
            pos--;
    }
    walk_to(&w, text, pos);
    if (w.in_str) {
        /* cJSON stops inside a string only if it has no end or a bad escape */
        int esc = 0;
        size_t i = w.str_start + 1;
        for (; i < len; i++) {
            if (esc)
                esc = 0;
            else if (text[i] == '\\')
                esc = 1;
            else if (text[i] == '"')
                break;
        }
        text_error(L, text, w.str_start,
                   i < len ? "invalid escape sequence in string" : "unterminated string");
        return;
    }
    if (pos >= len) {
        text_error(L, text, w.end, "unexpected end of file");
        return;
    }
    unsigned char c = (unsigned char)text[pos];
    if (w.depth >= CJSON_NESTING_LIMIT && (c == '[' || c == '{')) {
        text_error(L, text, pos, "nested deeper than %d levels", CJSON_NESTING_LIMIT);
    } else if (w.depth == 0 && w.last) {
        text_error(L, text, pos, "unexpected text after the end of the JSON value");
    } else if (isalpha(c)) {
        size_t n = 0;
        while (pos + n < len && n < 24 && isalnum((unsigned char)text[pos + n]))
            n++;
        text_error(L, text, pos, "unexpected word \"%.*s\"", (int)n, text + pos);
    } else if (c >= 0x20 && c < 0x7f) {
        text_error(L, text, pos, "unexpected character '%c'", c);
    } else {
        text_error(L, text, pos, "unexpected byte 0x%02x", c);
    }
}

/* --------------------------------------------------------------- loading */

static void loader_free(loader *L)
{
    free(L->first_error);
    for (size_t i = 0; i < L->n_warnings; i++)
        free(L->warnings[i]);
    free(L->warnings);
    for (size_t i = 0; i < SEC_COUNT; i++) {
        corridor__map_free(&L->ids[i]);
        free(L->cands[i]);
    }
    free(L->listed);
}

/* Hands the map in *from over to *to. */
static void move_map(cor_map *to, cor_map *from)
{
    corridor__map_free(to);
    *to = *from;
    corridor__map_init(from);
}

/* The error message after a load or an add found `L->errors` errors. */
static int invalid(const loader *L, const char *what)
{
    if (L->errors == 1)
        return corridor__error(CORRIDOR_EINVALID, "%s: %s: %s", L->src, what,
                               L->first_error ? L->first_error : "1 error");
    return corridor__error(CORRIDOR_EINVALID, "%s: %s: %s (and %zu more errors)", L->src, what,
                           L->first_error ? L->first_error : "", L->errors - 1);
}

/*
 * Loads `len` bytes of text; `terminated`: text[len] is a readable NUL (no
 * copy needed). `parsed`: the text parsed already, or NULL.
 */
static int load_text(corridor_model **out, const char *text, size_t len, int terminated,
                     const cJSON *parsed, const char *name, corridor_diags *diags)
{
    int err = 0;
    loader L;
    char *copy = NULL;
    cJSON *root = NULL;
    memset(&L, 0, sizeof L);
    *out = NULL;
    L.src = name ? name : "(string)";
    L.d = diags;
    for (size_t i = 0; i < SEC_COUNT; i++)
        corridor__map_init(&L.ids[i]);
    if (!text)
        len = 0;
    if (!(L.m = corridor__model_new()) || !(L.m->origin = corridor__strdup(L.src))) {
        err = corridor__oom();
        goto done;
    }

    size_t first = 0;
    while (first < len && isspace((unsigned char)text[first]))
        first++;
    if (first == len) {
        ERR(&L, "empty file: expected a corridor-model JSON object");
        goto done;
    }
    if (check_bytes(&L, text, len) < 0)
        goto done;
    if (!parsed) {
        /* parse the text with its terminating NUL: the end of the file is then a position */
        if (!terminated && !(text = copy = corridor__strndup(text, len))) {
            err = corridor__oom();
            goto done;
        }
        const char *end = NULL;
        root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
        if (!root) {
            explain_syntax(&L, text, len, end ? (size_t)(end - text) : len);
            goto done;
        }
        parsed = root;
    }
    load_root(&L, parsed);
    if (L.oom) {
        err = corridor__oom();
        goto done;
    }
    if (L.errors)
        goto done;
    if (!L.m->name && !(L.m->name = corridor__strdup(""))) {
        err = corridor__oom();
        goto done;
    }
    L.m->warnings = L.warnings;
    L.m->n_warnings = L.n_warnings;
    L.warnings = NULL;
    L.n_warnings = 0;
    /* without errors the loader's id maps are the model's indexes: every id once, at its place */
    move_map(&L.m->country_index, &L.ids[SEC_COUNTRY]);
    move_map(&L.m->corridor_index, &L.ids[SEC_CORRIDOR]);
    move_map(&L.m->node_index, &L.ids[SEC_NODE]);
    move_map(&L.m->edge_index, &L.ids[SEC_EDGE]);
    corridor__model_derive(L.m);
    *out = L.m;
    L.m = NULL;
done:
    if (!err && L.oom)
        err = corridor__oom();
    if (!err && L.errors)
        err = invalid(&L, "invalid model");
    cJSON_Delete(root);
    free(copy);
    corridor_model_free(L.m);
    loader_free(&L);
    return err;
}

int corridor_model_load_string(corridor_model **out, const char *text, size_t len, const char *name,
                               corridor_diags *diags)
{
    return load_text(out, text, len, 0, NULL, name, diags);
}

int corridor__model_load_parsed(corridor_model **out, const char *text, size_t len,
                                const cJSON *root, const char *name, corridor_diags *diags)
{
    return load_text(out, text, len, 1, root, name, diags);
}

int corridor_model_load_file(corridor_model **out, const char *path, corridor_diags *diags)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    int err = corridor__read_file(&text, &len, path);
    if (err == 0)
        err = load_text(out, text, len, 1, NULL, path, diags); /* read_file adds a NUL */
    free(text);
    return err;
}

int corridor_model_open(corridor_model **out, const char *name_or_path, corridor_diags *diags)
{
    struct stat st;
    *out = NULL;
    if (stat(name_or_path, &st) != 0 && errno == ENOENT) {
        const char *const *names = corridor_builtin_models();
        char list[256];
        size_t o = 0;
        list[0] = '\0';
        for (size_t i = 0; names[i]; i++) {
            if (strcmp(names[i], name_or_path) == 0)
                return corridor_model_load_builtin(out, name_or_path, diags);
            if (o < sizeof list)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", names[i]);
        }
        return corridor__error(CORRIDOR_EIO,
                               "%s: no such file, and no built-in model of that name (built-in: "
                               "%s)",
                               name_or_path, o ? list : "none");
    }
    return corridor_model_load_file(out, name_or_path, diags);
}

/* ------------------------------------------------------------ additions */

/* Moves the elements loaded into `add` to the end of m and indexes them. ENOMEM: m unchanged. */
static int append(corridor_model *m, corridor_model *add)
{
    size_t nn = m->n_nodes + add->n_nodes, ne = m->n_edges + add->n_edges;
    if (add->n_nodes) {
        cor_node *nodes = realloc(m->nodes, nn * sizeof *nodes);
        if (!nodes)
            return corridor__oom();
        m->nodes = nodes;
    }
    if (add->n_edges) {
        cor_edge *edges = realloc(m->edges, ne * sizeof *edges);
        if (!edges)
            return corridor__oom();
        m->edges = edges;
    }
    /* room made: nothing below can fail */
    if (corridor__map_reserve(&m->node_index, nn) < 0 ||
        corridor__map_reserve(&m->edge_index, ne) < 0)
        return corridor__oom();
    if (add->n_nodes)
        memcpy(m->nodes + m->n_nodes, add->nodes, add->n_nodes * sizeof *add->nodes);
    for (size_t i = m->n_nodes; i < nn; i++) {
        int r = corridor__map_put(&m->node_index, m->nodes[i].id, i);
        assert(r == 1);
        (void)r;
    }
    if (add->n_edges)
        memcpy(m->edges + m->n_edges, add->edges, add->n_edges * sizeof *add->edges);
    for (size_t i = m->n_edges; i < ne; i++) {
        int r = corridor__map_put(&m->edge_index, m->edges[i].id, i);
        assert(r == 1);
        (void)r;
        corridor__edge_derive(m, &m->edges[i]);
    }
    m->n_nodes = nn;
    m->n_edges = ne;
    add->n_nodes = add->n_edges = 0; /* what they hold belongs to m now */
    return 0;
}

int corridor__model_add_json(corridor_model *m, const cJSON *nodes, const cJSON *edges,
                             cor_add_ctx *ctx)
{
    int err = 0;
    loader L;
    memset(&L, 0, sizeof L);
    L.src = ctx->src ? ctx->src : "(string)";
    L.d = ctx->d;
    L.base = m;
    L.prefix = ctx->prefix && *ctx->prefix ? ctx->prefix : NULL;
    L.check_only = !m;
    L.no_warnings = !ctx->warnings;
    ctx->errors = 0;
    ctx->first[0] = '\0';
    for (size_t i = 0; i < SEC_COUNT; i++) {
        corridor__map_init(&L.ids[i]);
        L.usable[i] = m != NULL; /* checking alone: references are not looked up */
    }
    if (!(L.m = corridor__model_new()) ||
        (m && m->n_corridors && !(L.listed = calloc(m->n_corridors, sizeof *L.listed)))) {
        err = corridor__oom();
        goto done;
    }
    load_elements(&L, nodes, "nodes", 1);
    if (!L.oom)
        load_elements(&L, edges, "edges", 0);
    if (L.oom) {
        err = corridor__oom();
        goto done;
    }
    ctx->errors = L.errors;
    if (L.first_error)
        snprintf(ctx->first, sizeof ctx->first, "%s", L.first_error);
    if (m && !L.errors)
        err = append(m, L.m);
done:
    corridor_model_free(L.m);
    loader_free(&L);
    return err;
}

/* ------------------------------------------------------------ info JSON */

static int add_counts(cJSON *obj, const char *key, const corridor_count *c, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    int err = cor_json_add(obj, key, o);
    for (size_t i = 0; err == 0 && i < n; i++)
        err = cor_json_add(o, c[i].key, cJSON_CreateNumber((double)c[i].count));
    return err;
}

int corridor_info_json(char **out, const corridor_info *info)
{
    int err = 0;
    cJSON *root = cJSON_CreateObject();
    *out = NULL;
    if (!root)
        return corridor__oom();
    if ((err = cor_json_str(root, "name", info->name ? info->name : "")) < 0 ||
        (err = cor_json_add(root, "nodes", cJSON_CreateNumber((double)info->nodes))) < 0 ||
        (err = cor_json_add(root, "edges", cJSON_CreateNumber((double)info->edges))) < 0 ||
        (err = cor_json_add(root, "corridors", cJSON_CreateNumber((double)info->corridors))) < 0 ||
        (err = cor_json_add(root, "countries", cJSON_CreateNumber((double)info->countries))) < 0 ||
        (err = add_counts(root, "by_kind", info->by_kind, info->n_by_kind)) < 0 ||
        (err = add_counts(root, "by_mode", info->by_mode, info->n_by_mode)) < 0 ||
        (err = add_counts(root, "by_corridor", info->by_corridor, info->n_by_corridor)) < 0 ||
        (err = add_counts(root, "by_country", info->by_country, info->n_by_country)) < 0 ||
        (err = add_counts(root, "by_status", info->by_status, info->n_by_status)) < 0 ||
        (err = cor_json_strings(root, "warnings", info->warnings, info->n_warnings)) < 0)
        goto done;
    err = cor_json_finish(out, root);
    root = NULL;
done:
    cJSON_Delete(root);
    return err;
}
