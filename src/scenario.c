/* scenario.c: what-if scenarios: reading and checking edits, applying them to a model copy. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"
#include "json_internal.h"

/* ------------------------------------------------------------ vocabulary */

enum sc_op { OP_SET, OP_SCALE, OP_CLOSE, OP_ADD, OP_COUNT };
static const char *const op_names[] = {"set", "scale", "close", "add"};

enum sc_tkind { T_NODE, T_EDGE, T_COUNTRY, T_CORRIDOR, T_MODE, T_KIND, T_COUNT };
static const char *const tkind_names[] = {"node", "edge", "country", "corridor", "mode", "kind"};
/* 1 if a target kind selects edges, 0 if it selects nodes */
static const unsigned char tkind_edges[] = {0, 1, 0, 1, 1, 0};

/* Fields of "values"; the metric fields follow corridor_metric's order. */
enum sc_field {
    F_NAME,
    F_DESCRIPTION,
    F_SOURCE,
    F_STATUS,
    F_OPENS,
    F_TIME,
    F_COST,
    F_DISTANCE,
    F_CO2,
    F_CAPACITY,
    F_DWELL,
    F_TRANSFER,
    F_GAUGE,
    F_ONEWAY,
    F_CARRIES,
    F_COUNT
};

static const struct sc_field_info {
    const char *name;
    unsigned char node, edge, scale; /* settable on nodes, on edges; scalable */
} field_info[F_COUNT] = {
    {"name", 1, 1, 0},   {"description", 1, 1, 0}, {"source", 1, 1, 0},   {"status", 1, 1, 0},
    {"opens", 1, 1, 0},  {"time_h", 0, 1, 1},      {"cost_usd", 0, 1, 1}, {"distance_km", 0, 1, 1},
    {"co2_kg", 0, 1, 1}, {"capacity", 1, 1, 1},    {"dwell", 1, 0, 1},    {"transfer", 1, 0, 1},
    {"gauge", 0, 1, 0},  {"oneway", 0, 1, 0},      {"carries", 0, 1, 0},
};

static const char *const commodity_names[] = {"freight", "oil", "gas", "power", "data"};
static const char *const metric_fields[] = {"time_h", "cost_usd", "distance_km", "co2_kg"};

#define YEAR_MIN 1800
#define YEAR_MAX 2200

/* ------------------------------------------------------------ the scenario */

/* The values of a set or scale edit (for scale, every number is a factor). */
typedef struct sc_values {
    unsigned mask; /* bit per sc_field present */
    char *str[3];  /* name, description, source */
    corridor_status status;
    int opens;               /* 0 = none (null) */
    double metric[COR_NMET]; /* NAN: null (set: derive again) */
    double capacity[COR_NCOM];
    unsigned capacity_mask; /* commodities named in an object */
    int capacity_all;       /* a bare number (or null): every commodity */
    double dwell[COR_NMET], transfer[COR_NMET];
    unsigned dwell_mask, transfer_mask; /* metrics named */
    int gauge;                          /* 0 = none (null) */
    int oneway;
    unsigned carries;
} sc_values;

typedef struct sc_edit {
    enum sc_op op;
    enum sc_tkind tkind;
    char *target;    /* as written: "kind:ID" */
    const char *tid; /* the ID part of target */
    int tval;        /* mode or node kind for mode:/kind: targets */
    sc_values v;
    cJSON *nodes, *edges; /* add: the arrays in the model's format, read again when applied */
} sc_edit;

struct corridor_scenario {
    char *name, *description, *source;
    char *origin; /* the file path or name given to the loader: prefixes diagnostics */
    sc_edit *edits;
    size_t n_edits;
};

/* ------------------------------------------------------------ diagnostics */

typedef struct sc_ctx {
    corridor_diags *d;
    const char *src;
    size_t errors;
    char first[2048]; /* the first error, "PATH: message", for the error message */
} sc_ctx;

static void report(sc_ctx *c, int warning, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(sc_ctx *c, int warning, const char *path, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!warning && c->errors++ == 0)
        snprintf(c->first, sizeof c->first, "%s%s%s", path, *path ? ": " : "", msg);
    corridor__diag(c->d, warning, c->src, path, "%s", msg);
}

/* Sets the error message: the first error and how many more; returns CORRIDOR_EINVALID. */
static int scenario_error(const sc_ctx *c, const char *what)
{
    if (c->errors == 1)
        return corridor__error(CORRIDOR_EINVALID, "%s: %s: %s", c->src, what, c->first);
    return corridor__error(CORRIDOR_EINVALID, "%s: %s: %s (and %zu more errors)", c->src, what,
                           c->first, c->errors - 1);
}

/* " (did you mean "X"?)" or "" */
static void suggestion(char *out, size_t size, const char *word, const char *const *cands, size_t n)
{
    const char *s = word ? corridor__suggest(word, cands, n) : NULL;
    if (s)
        snprintf(out, size, " (did you mean \"%s\"?)", s);
    else if (size)
        out[0] = '\0';
}

/* "a, b, c" */
static void join_names(char *out, size_t size, const char *const *names, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++) {
        int w = snprintf(out + len, size - len, "%s%s", i ? ", " : "", names[i]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static const char *json_type(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return "an invalid value";
}

static long name_index(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return (long)i;
    return -1;
}

/* Reports `path: unknown WHAT "s" (expected one of: ...)`. */
static void report_unknown_name(sc_ctx *c, const char *path, const char *what, const char *s,
                                const char *const *names, size_t n)
{
    char list[256];
    join_names(list, sizeof list, names, n);
    report(c, 0, path, "unknown %s \"%s\" (expected one of: %s)", what, s, list);
}

/* -------------------------------------------------------- reading values */

/* A finite number >= 0 (set: a value; scale: a factor); 0 if fine, -1 reported. */
static int read_number(sc_ctx *c, const char *path, const cJSON *v, int scale, double *out)
{
    if (!cJSON_IsNumber(v)) {
        report(c, 0, path, "expected a number >= 0%s, got %s", scale ? " (a scale factor)" : "",
               json_type(v));
        return -1;
    }
    if (!isfinite(v->valuedouble)) {
        report(c, 0, path, "number too large (must be finite)");
        return -1;
    }
    if (v->valuedouble < 0) {
        if (scale)
            report(c, 0, path, "negative scale factor %.15g (expected a number >= 0)",
                   v->valuedouble);
        else
            report(c, 0, path, "expected a number >= 0, got %.15g", v->valuedouble);
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

/* A number, or for set null (-> NAN). */
static int read_number_or_null(sc_ctx *c, const char *path, const cJSON *v, int scale, double *out)
{
    if (!scale && cJSON_IsNull(v)) {
        *out = NAN;
        return 0;
    }
    return read_number(c, path, v, scale, out);
}

static int read_year(sc_ctx *c, const char *path, const cJSON *v, int *out)
{
    if (cJSON_IsNull(v)) {
        *out = 0;
        return 0;
    }
    if (!cJSON_IsNumber(v)) {
        report(c, 0, path, "expected an integer year or null, got %s", json_type(v));
        return -1;
    }
    if (!isfinite(v->valuedouble) || v->valuedouble != floor(v->valuedouble)) {
        report(c, 0, path, "expected an integer year, got %.15g", v->valuedouble);
        return -1;
    }
    if (v->valuedouble < YEAR_MIN || v->valuedouble > YEAR_MAX) {
        report(c, 0, path, "expected a year from %d to %d, got %.15g", YEAR_MIN, YEAR_MAX,
               v->valuedouble);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 0;
}

/* capacity: a number (every commodity), an object by commodity, or (set) null. */
static int read_capacity(sc_ctx *c, const char *path, const cJSON *v, int scale, sc_values *out)
{
    char p[512];
    int bad = 0;
    if (cJSON_IsObject(v)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, v)
        {
            if (snprintf(p, sizeof p, "%s.%s", path, it->string) < 0) /* a long path is cut */
                p[0] = '\0';
            long k = name_index(it->string, commodity_names, COR_NCOM);
            if (k < 0) {
                report_unknown_name(c, p, "commodity", it->string, commodity_names, COR_NCOM);
                bad = -1;
                continue;
            }
            if (out->capacity_mask & (1u << k)) {
                report(c, 0, p, "duplicate field");
                bad = -1;
                continue;
            }
            if (read_number_or_null(c, p, it, scale, &out->capacity[k]) < 0) {
                bad = -1;
                continue;
            }
            out->capacity_mask |= 1u << k;
        }
        if (!bad && !out->capacity_mask) {
            report(c, 0, path, "empty object: name at least one commodity");
            bad = -1;
        }
        return bad;
    }
    if (cJSON_IsNumber(v) || (!scale && cJSON_IsNull(v))) {
        double x = 0;
        if (read_number_or_null(c, path, v, scale, &x) < 0)
            return -1;
        out->capacity_all = 1;
        for (size_t k = 0; k < COR_NCOM; k++)
            out->capacity[k] = x;
        return 0;
    }
    report(c, 0, path, "expected a number >= 0%s or an object by commodity, got %s",
           scale ? " (a scale factor)" : "", json_type(v));
    return -1;
}

/* dwell / transfer: an object by metric (time_h, cost_usd, co2_kg); for scale also a number. */
static int read_penalty(sc_ctx *c, const char *path, const cJSON *v, int scale, double *vals,
                        unsigned *mask)
{
    char p[512];
    int bad = 0;
    if (scale && cJSON_IsNumber(v)) {
        double x = 0;
        if (read_number(c, path, v, 1, &x) < 0)
            return -1;
        for (size_t m = 0; m < COR_NMET; m++)
            if (m != CORRIDOR_BY_DISTANCE) {
                vals[m] = x;
                *mask |= 1u << m;
            }
        return 0;
    }
    if (!cJSON_IsObject(v)) {
        report(c, 0, path, "expected %san object with time_h, cost_usd, co2_kg, got %s",
               scale ? "a number >= 0 (a scale factor) or " : "", json_type(v));
        return -1;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, v)
    {
        snprintf(p, sizeof p, "%s.%s", path, it->string);
        long m = name_index(it->string, metric_fields, COR_NMET);
        if (m < 0 || m == CORRIDOR_BY_DISTANCE) {
            static const char *const ok[] = {"time_h", "cost_usd", "co2_kg"};
            char sug[128];
            suggestion(sug, sizeof sug, it->string, ok, 3);
            report(c, 0, p, "unknown field (expected one of: time_h, cost_usd, co2_kg)%s", sug);
            bad = -1;
            continue;
        }
        if (*mask & (1u << m)) {
            report(c, 0, p, "duplicate field");
            bad = -1;
            continue;
        }
        if (read_number(c, p, it, scale, &vals[m]) < 0) {
            bad = -1;
            continue;
        }
        *mask |= 1u << m;
    }
    if (!bad && !*mask) {
        report(c, 0, path, "empty object: name at least one of time_h, cost_usd, co2_kg");
        bad = -1;
    }
    return bad;
}

static int read_carries(sc_ctx *c, const char *path, const cJSON *v, unsigned *out)
{
    char p[512];
    int bad = 0;
    size_t i = 0;
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0) {
        report(c, 0, path, "expected a non-empty array of commodities, got %s",
               cJSON_IsArray(v) ? "an empty array" : json_type(v));
        return -1;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, v)
    {
        if (snprintf(p, sizeof p, "%s[%zu]", path, i++) < 0) /* a long path is cut */
            p[0] = '\0';
        long k = cJSON_IsString(it) ? name_index(it->valuestring, commodity_names, COR_NCOM) : -1;
        if (!cJSON_IsString(it)) {
            report(c, 0, p, "expected a commodity name, got %s", json_type(it));
            bad = -1;
        } else if (k < 0) {
            report_unknown_name(c, p, "commodity", it->valuestring, commodity_names, COR_NCOM);
            bad = -1;
        } else if (*out & (1u << k)) {
            report(c, 0, p, "\"%s\" is listed twice", it->valuestring);
            bad = -1;
        } else {
            *out |= 1u << k;
        }
    }
    return bad;
}

static int read_string(sc_ctx *c, const char *path, const cJSON *v, int nonempty, char **out)
{
    if (!cJSON_IsString(v) || (nonempty && !*v->valuestring)) {
        report(c, 0, path, "expected a %sstring, got %s", nonempty ? "non-empty " : "",
               cJSON_IsString(v) ? "an empty string" : json_type(v));
        return -1;
    }
    if (!(*out = corridor__strdup(v->valuestring)))
        return corridor__oom();
    return 0;
}

/* One field of "values". Returns 0, -1 if reported, or ENOMEM. */
static int read_field(sc_ctx *c, const char *path, enum sc_field f, const cJSON *v, int scale,
                      sc_values *out)
{
    switch (f) {
    case F_NAME:
    case F_DESCRIPTION:
    case F_SOURCE:
        return read_string(c, path, v, f == F_NAME, &out->str[f - F_NAME]);
    case F_STATUS: {
        static const char *const names[] = {"operational", "construction", "planned", "closed"};
        long s = cJSON_IsString(v) ? name_index(v->valuestring, names, 4) : -1;
        if (!cJSON_IsString(v)) {
            report(c, 0, path, "expected a status name, got %s", json_type(v));
            return -1;
        }
        if (s < 0) {
            report_unknown_name(c, path, "status", v->valuestring, names, 4);
            return -1;
        }
        out->status = (corridor_status)s;
        return 0;
    }
    case F_OPENS:
        return read_year(c, path, v, &out->opens);
    case F_TIME:
    case F_COST:
    case F_DISTANCE:
    case F_CO2:
        return read_number_or_null(c, path, v, scale, &out->metric[f - F_TIME]);
    case F_CAPACITY:
        return read_capacity(c, path, v, scale, out);
    case F_DWELL:
        return read_penalty(c, path, v, scale, out->dwell, &out->dwell_mask);
    case F_TRANSFER:
        return read_penalty(c, path, v, scale, out->transfer, &out->transfer_mask);
    case F_GAUGE:
        if (cJSON_IsNull(v)) {
            out->gauge = 0;
            return 0;
        }
        if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < 1 ||
            v->valuedouble > 10000) {
            report(c, 0, path, "expected a track gauge in mm (a whole number > 0) or null, got %s",
                   json_type(v));
            return -1;
        }
        out->gauge = (int)v->valuedouble;
        return 0;
    case F_ONEWAY:
        if (!cJSON_IsBool(v)) {
            report(c, 0, path, "expected true or false, got %s", json_type(v));
            return -1;
        }
        out->oneway = cJSON_IsTrue(v);
        return 0;
    case F_CARRIES:
        return read_carries(c, path, v, &out->carries);
    default:
        return -1;
    }
}

/* "values" of a set or scale edit whose target selects nodes or edges. */
static int read_values(sc_ctx *c, const char *path, const cJSON *v, enum sc_op op, int edges,
                       sc_values *out)
{
    char p[512];
    int bad = 0, err = 0;
    int scale = op == OP_SCALE;
    const char *what = edges ? "edges" : "nodes";
    if (!cJSON_IsObject(v)) {
        report(c, 0, path, "expected an object of fields to %s, got %s", op_names[op],
               json_type(v));
        return -1;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, v)
    {
        snprintf(p, sizeof p, "%s.%s", path, it->string);
        long f = -1;
        for (size_t i = 0; i < F_COUNT && f < 0; i++)
            if (strcmp(it->string, field_info[i].name) == 0)
                f = (long)i;
        /* the fields this op can change on this kind of element */
        const char *ok[F_COUNT];
        size_t n_ok = 0;
        for (size_t i = 0; i < F_COUNT; i++)
            if ((edges ? field_info[i].edge : field_info[i].node) &&
                (!scale || field_info[i].scale))
                ok[n_ok++] = field_info[i].name;
        char list[256];
        join_names(list, sizeof list, ok, n_ok);
        if (f < 0) {
            char sug[128];
            suggestion(sug, sizeof sug, it->string, ok, n_ok);
            report(c, 0, p, "unknown field (%s on %s: %s)%s", op_names[op], what, list, sug);
            bad = -1;
            continue;
        }
        if (!(edges ? field_info[f].edge : field_info[f].node)) {
            report(c, 0, p, "%s is not a field of %s (the target selects %s; fields: %s)",
                   it->string, what, what, list);
            bad = -1;
            continue;
        }
        if (scale && !field_info[f].scale) {
            report(c, 0, p, "%s cannot be scaled (scale on %s: %s)", it->string, what, list);
            bad = -1;
            continue;
        }
        if (out->mask & (1u << f)) {
            report(c, 0, p, "duplicate field");
            bad = -1;
            continue;
        }
        int r = read_field(c, p, (enum sc_field)f, it, scale, out);
        if (r == CORRIDOR_ENOMEM) {
            err = r;
            break;
        }
        if (r < 0) {
            bad = -1;
            continue;
        }
        out->mask |= 1u << f;
    }
    if (err)
        return err;
    if (!bad && !out->mask) {
        report(c, 0, path, "empty: name at least one field to %s", op_names[op]);
        bad = -1;
    }
    return bad;
}

/* ---------------------------------------------------------- reading edits */

/* target "kind:ID"; 0 or -1 if reported, or ENOMEM. */
static int read_target(sc_ctx *c, const char *path, const cJSON *v, sc_edit *e)
{
    char list[128];
    join_names(list, sizeof list, tkind_names, T_COUNT);
    if (!v) {
        report(c, 0, path, "missing (%s needs a target: one of %s, as KIND:ID)", op_names[e->op],
               list);
        return -1;
    }
    if (!cJSON_IsString(v)) {
        report(c, 0, path, "expected a string KIND:ID, got %s", json_type(v));
        return -1;
    }
    const char *s = v->valuestring;
    const char *colon = strchr(s, ':');
    if (!colon) {
        report(c, 0, path, "\"%s\" has no kind: write KIND:ID with KIND one of %s", s, list);
        return -1;
    }
    size_t klen = (size_t)(colon - s);
    long k = -1;
    for (size_t i = 0; i < T_COUNT; i++)
        if (strlen(tkind_names[i]) == klen && strncmp(s, tkind_names[i], klen) == 0)
            k = (long)i;
    if (k < 0) {
        char kind[64], sug[128];
        snprintf(kind, sizeof kind, "%.*s", (int)(klen < 40 ? klen : 40), s);
        suggestion(sug, sizeof sug, kind, tkind_names, T_COUNT);
        report(c, 0, path, "unknown target kind \"%s\" (expected one of: %s)%s", kind, list, sug);
        return -1;
    }
    if (!colon[1]) {
        report(c, 0, path, "\"%s\" has no id after \"%s:\"", s, tkind_names[k]);
        return -1;
    }
    if (k == T_MODE) {
        static const char *const modes[] = {"rail", "road", "sea", "pipeline", "power", "fiber"};
        e->tval = (int)name_index(colon + 1, modes, COR_NMODE);
        if (e->tval < 0) {
            report_unknown_name(c, path, "mode", colon + 1, modes, COR_NMODE);
            return -1;
        }
    } else if (k == T_KIND) {
        const char *kinds[CORRIDOR_KIND_COUNT];
        for (size_t i = 0; i < CORRIDOR_KIND_COUNT; i++)
            kinds[i] = corridor_kind_name((corridor_kind)i);
        e->tval = (int)name_index(colon + 1, kinds, CORRIDOR_KIND_COUNT);
        if (e->tval < 0) {
            report_unknown_name(c, path, "node kind", colon + 1, kinds, CORRIDOR_KIND_COUNT);
            return -1;
        }
    }
    if (!(e->target = corridor__strdup(s)))
        return corridor__oom();
    e->tkind = (enum sc_tkind)k;
    e->tid = e->target + klen + 1;
    return 0;
}

/* Reports unknown fields of an object as warnings. */
static void warn_unknown(sc_ctx *c, const char *path, const cJSON *obj, const char *const *known,
                         size_t n)
{
    const cJSON *it;
    char p[512], sug[128];
    cJSON_ArrayForEach(it, obj)
    {
        if (name_index(it->string, known, n) >= 0)
            continue;
        snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", it->string);
        suggestion(sug, sizeof sug, it->string, known, n);
        report(c, 1, p, "unknown field%s", sug);
    }
}

/* Counts the errors of corridor__model_add_json, which reported them itself. */
static void count_add_errors(sc_ctx *c, const cor_add_ctx *ac)
{
    if (ac->errors && c->errors == 0)
        snprintf(c->first, sizeof c->first, "%s", ac->first);
    c->errors += ac->errors;
}

/*
 * The "nodes" and "edges" arrays of an add edit: their own fields are checked
 * now by the model loader; ids and references when the edit is applied.
 */
static int read_add(sc_ctx *c, const char *path, const cJSON *nodes, const cJSON *edges, sc_edit *e)
{
    cor_add_ctx ac = {.src = c->src, .prefix = path, .d = c->d, .warnings = 1};
    int err = 0;
    if (cJSON_GetArraySize(nodes) + cJSON_GetArraySize(edges) == 0) {
        report(c, 0, path, "add with no nodes and no edges: nothing to add");
        return -1;
    }
    if ((err = corridor__model_add_json(NULL, nodes, edges, &ac)) < 0)
        return err;
    count_add_errors(c, &ac);
    if (ac.errors)
        return -1;
    if ((nodes && !(e->nodes = cJSON_Duplicate(nodes, 1))) ||
        (edges && !(e->edges = cJSON_Duplicate(edges, 1))))
        return corridor__oom();
    return 0;
}

static int read_edit(sc_ctx *c, size_t i, const cJSON *v, sc_edit *e)
{
    char path[64], p[128];
    int err = 0, bad = 0;
    snprintf(path, sizeof path, "edits[%zu]", i);
    if (!cJSON_IsObject(v)) {
        report(c, 0, path, "expected an object {\"op\": ..., ...}, got %s", json_type(v));
        return -1;
    }
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(v, "op");
    char list[64];
    join_names(list, sizeof list, op_names, OP_COUNT);
    snprintf(p, sizeof p, "%s.op", path);
    if (!op) {
        report(c, 0, p, "missing (expected one of: %s)", list);
        return -1;
    }
    long k = cJSON_IsString(op) ? name_index(op->valuestring, op_names, OP_COUNT) : -1;
    if (!cJSON_IsString(op)) {
        report(c, 0, p, "expected one of: %s, got %s", list, json_type(op));
        return -1;
    }
    if (k < 0) {
        report_unknown_name(c, p, "op", op->valuestring, op_names, OP_COUNT);
        return -1;
    }
    e->op = (enum sc_op)k;
    static const char *const keys[OP_COUNT][6] = {
        {"op", "target", "values", "description", "source", NULL},
        {"op", "target", "values", "description", "source", NULL},
        {"op", "target", "description", "source", NULL, NULL},
        {"op", "nodes", "edges", "description", "source", NULL},
    };
    static const size_t n_keys[OP_COUNT] = {5, 5, 4, 5};
    warn_unknown(c, path, v, keys[e->op], n_keys[e->op]);
    static const char *const doc[] = {"description", "source"};
    for (size_t f = 0; f < 2; f++) {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(v, doc[f]);
        snprintf(p, sizeof p, "%s.%s", path, doc[f]);
        if (d && !cJSON_IsString(d)) {
            report(c, 0, p, "expected a string, got %s", json_type(d));
            bad = -1;
        }
    }
    if (e->op == OP_ADD) {
        const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(v, "nodes");
        const cJSON *edges = cJSON_GetObjectItemCaseSensitive(v, "edges");
        if (!nodes && !edges) {
            report(c, 0, path, "add needs \"nodes\" or \"edges\" (arrays in the model's format)");
            return -1;
        }
        const cJSON *arr[2] = {nodes, edges};
        static const char *const arr_names[2] = {"nodes", "edges"};
        for (size_t a = 0; a < 2; a++) {
            snprintf(p, sizeof p, "%s.%s", path, arr_names[a]);
            if (arr[a] && !cJSON_IsArray(arr[a])) {
                report(c, 0, p, "expected an array of %s, got %s", arr_names[a], json_type(arr[a]));
                bad = -1;
            }
        }
        if (bad)
            return bad;
        return read_add(c, path, nodes, edges, e);
    }
    snprintf(p, sizeof p, "%s.target", path);
    err = read_target(c, p, cJSON_GetObjectItemCaseSensitive(v, "target"), e);
    if (err)
        return err;
    if (e->op == OP_CLOSE)
        return bad;
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(v, "values");
    snprintf(p, sizeof p, "%s.values", path);
    if (!values) {
        report(c, 0, p, "missing (%s needs an object of fields, e.g. %s)", op_names[e->op],
               e->op == OP_SET ? "{\"status\": \"operational\"}" : "{\"capacity\": 0.75}");
        return -1;
    }
    err = read_values(c, p, values, e->op, tkind_edges[e->tkind], &e->v);
    return err ? err : bad;
}

static void values_free(sc_values *v)
{
    for (size_t i = 0; i < 3; i++)
        free(v->str[i]);
}

static void edit_free(sc_edit *e)
{
    free(e->target);
    values_free(&e->v);
    cJSON_Delete(e->nodes);
    cJSON_Delete(e->edges);
}

void corridor_scenario_free(corridor_scenario *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->description);
    free(s->source);
    free(s->origin);
    for (size_t i = 0; i < s->n_edits; i++)
        edit_free(&s->edits[i]);
    free(s->edits);
    free(s);
}

static int read_scenario(sc_ctx *c, corridor_scenario *s, const cJSON *root)
{
    int err = 0;
    static const char *const keys[] = {"format",      "version", "name",
                                       "description", "source",  "edits"};
    if (!cJSON_IsObject(root)) {
        report(c, 0, "", "expected a JSON object {\"format\": \"corridor-scenario\", ...}, got %s",
               json_type(root));
        return 0;
    }
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format");
    if (!format) {
        report(c, 0, "format", "missing (expected \"corridor-scenario\")");
    } else if (!cJSON_IsString(format) || strcmp(format->valuestring, "corridor-scenario") != 0) {
        if (cJSON_IsString(format) && strcmp(format->valuestring, "corridor-model") == 0)
            report(c, 0, "format",
                   "this is a model, not a scenario (load it with -m; scenarios have format "
                   "\"corridor-scenario\")");
        else if (cJSON_IsString(format))
            report(c, 0, "format", "unknown format \"%s\" (expected \"corridor-scenario\")",
                   format->valuestring);
        else
            report(c, 0, "format", "expected \"corridor-scenario\", got %s", json_type(format));
        return 0; /* not a scenario: the rest would be noise */
    }
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!version)
        report(c, 0, "version", "missing (expected 1)");
    else if (!cJSON_IsNumber(version))
        report(c, 0, "version", "expected 1, got %s", json_type(version));
    else if (version->valuedouble != 1)
        report(c, 0, "version", "unsupported version %.15g (this build reads version 1)",
               version->valuedouble);
    warn_unknown(c, "", root, keys, sizeof keys / sizeof *keys);

    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (!name)
        report(c, 0, "name", "missing (a short title, e.g. \"Zangezur opens\")");
    else if ((err = read_string(c, "name", name, 1, &s->name)) == CORRIDOR_ENOMEM)
        return err;
    const char *const opt[] = {"description", "source"};
    char **dst[] = {&s->description, &s->source};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, opt[i]);
        if (v && (err = read_string(c, opt[i], v, 0, dst[i])) == CORRIDOR_ENOMEM)
            return err;
    }

    const cJSON *edits = cJSON_GetObjectItemCaseSensitive(root, "edits");
    if (!edits) {
        report(c, 0, "edits", "missing (an array of edits: set, scale, close, add)");
        return 0;
    }
    if (!cJSON_IsArray(edits)) {
        report(c, 0, "edits", "expected an array of edits, got %s", json_type(edits));
        return 0;
    }
    size_t n = (size_t)cJSON_GetArraySize(edits);
    if (n == 0) {
        report(c, 1, "edits", "no edits: the scenario changes nothing");
        return 0;
    }
    if (!(s->edits = calloc(n, sizeof *s->edits)))
        return corridor__oom();
    s->n_edits = n;
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, edits)
    {
        if ((err = read_edit(c, i, it, &s->edits[i])) == CORRIDOR_ENOMEM)
            return err;
        i++;
    }
    return 0;
}

/*
 * Reads a scenario from `len` bytes of text; `terminated`: text[len] is a
 * readable NUL (no copy needed); `parsed`: the text parsed already, or NULL.
 */
static int load_text(corridor_scenario **out, const char *text, size_t len, int terminated,
                     const cJSON *parsed, const char *name, corridor_diags *diags)
{
    int err = 0, is_nul = 0;
    cJSON *root = NULL;
    char *copy = NULL;
    corridor_scenario *s = NULL;
    sc_ctx c = {diags, name ? name : "scenario", 0, ""};
    size_t first = 0, bad, line, col;
    *out = NULL;
    if (!text)
        len = 0;
    if (!(s = calloc(1, sizeof *s)) || !(s->origin = corridor__strdup(c.src))) {
        err = corridor__oom();
        goto done;
    }
    while (first < len && strchr(" \t\r\n", text[first]) && text[first])
        first++;
    if (first == len) {
        report(&c, 0, "", "empty file: expected a corridor-scenario JSON object");
    } else if ((bad = corridor__text_bad_byte(text, len, &is_nul)) < len) {
        corridor__line_col(text, bad, &line, &col);
        report(&c, 0, "", "line %zu, column %zu: %s", line, col,
               is_nul ? "NUL byte in the text" : "invalid UTF-8");
    } else if (parsed) {
        if ((err = read_scenario(&c, s, parsed)) < 0)
            goto done;
    } else {
        /* parse NUL-terminated text (a copy unless it is), so that anything after the JSON
           value is an error */
        const char *end = NULL, *src = text;
        if (!terminated && !(src = copy = corridor__strndup(text, len))) {
            err = corridor__oom();
            goto done;
        }
        root = cJSON_ParseWithLengthOpts(src, len + 1, &end, 1);
        if (!root) {
            size_t off = end && end >= src ? (size_t)(end - src) : 0;
            corridor__line_col(src, off > len ? len : off, &line, &col);
            report(&c, 0, "", "invalid JSON near line %zu, column %zu%s", line, col,
                   off >= len ? " (the text ends too early)" : "");
        } else if ((err = read_scenario(&c, s, root)) < 0) {
            goto done;
        }
    }
    if (c.errors)
        err = scenario_error(&c, "invalid scenario");
done:
    cJSON_Delete(root);
    free(copy);
    if (err < 0)
        corridor_scenario_free(s);
    else
        *out = s;
    return err;
}

int corridor_scenario_load_string(corridor_scenario **out, const char *text, size_t len,
                                  const char *name, corridor_diags *diags)
{
    return load_text(out, text, len, 0, NULL, name, diags);
}

int corridor__scenario_load_parsed(corridor_scenario **out, const char *text, size_t len,
                                   const cJSON *root, const char *name, corridor_diags *diags)
{
    return load_text(out, text, len, 1, root, name, diags);
}

int corridor_scenario_load_file(corridor_scenario **out, const char *path, corridor_diags *diags)
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

const char *corridor_scenario_name(const corridor_scenario *s)
{
    return s && s->name ? s->name : "";
}

const char *corridor_scenario_description(const corridor_scenario *s)
{
    return s && s->description ? s->description : "";
}

/* ---------------------------------------------------------------- applying */

/* How diagnostics name the model: "caspian" for builtin:caspian, a file's base name, or the name.
 */
static void model_label(char *out, size_t size, const corridor_model *m)
{
    const char *o = corridor_model_origin(m);
    if (strncmp(o, "builtin:", 8) == 0 && o[8]) {
        snprintf(out, size, "%s", o + 8);
        return;
    }
    if (*o) {
        const char *base = strrchr(o, '/');
        base = base ? base + 1 : o;
        size_t l = strlen(base);
        if (l > 5 && strcmp(base + l - 5, ".json") == 0)
            l -= 5;
        snprintf(out, size, "%.*s", (int)(l < 200 ? l : 200), base);
        return;
    }
    snprintf(out, size, "%s", corridor_model_name(m));
}

/* Suggestion among a column of strings spaced `stride` bytes apart. */
static void suggest_among(char *out, size_t size, const char *word, const void *base, size_t n,
                          size_t stride, size_t offset)
{
    const char **cands = malloc((n + 1) * sizeof *cands);
    out[0] = '\0';
    if (!cands)
        return;
    for (size_t i = 0; i < n; i++)
        cands[i] = *(char *const *)((const char *)base + i * stride + offset);
    suggestion(out, size, word, cands, n);
    free(cands);
}

/*
 * Marks in nsel / esel the nodes / edges that edit e's target selects.
 * Returns the number selected; 0 (reported) if none.
 */
static size_t select_target(sc_ctx *c, const char *path, const corridor_model *m, const sc_edit *e,
                            unsigned char *nsel, unsigned char *esel)
{
    char label[256], sug[256] = "";
    size_t n = 0;
    long x = -1;
    model_label(label, sizeof label, m);
    switch (e->tkind) {
    case T_NODE:
        if ((x = corridor__node_find(m, e->tid)) >= 0) {
            nsel[x] = 1;
            return 1;
        }
        suggest_among(sug, sizeof sug, e->tid, m->nodes, m->n_nodes, sizeof *m->nodes,
                      offsetof(cor_node, id));
        report(c, 0, path, "no node \"%s\" in model \"%s\"%s", e->tid, label, sug);
        return 0;
    case T_EDGE:
        if ((x = corridor__edge_find(m, e->tid)) >= 0) {
            esel[x] = 1;
            return 1;
        }
        suggest_among(sug, sizeof sug, e->tid, m->edges, m->n_edges, sizeof *m->edges,
                      offsetof(cor_edge, id));
        report(c, 0, path, "no edge \"%s\" in model \"%s\"%s", e->tid, label, sug);
        return 0;
    case T_COUNTRY:
        x = corridor__country_find(m, e->tid);
        for (size_t i = 0; i < m->n_countries && x < 0; i++)
            if (corridor__strcaseeq(m->countries[i].code, e->tid))
                x = (long)i;
        if (x < 0) {
            suggest_among(sug, sizeof sug, e->tid, m->countries, m->n_countries,
                          sizeof *m->countries, offsetof(cor_country, code));
            report(c, 0, path, "no country \"%s\" in model \"%s\"%s", e->tid, label, sug);
            return 0;
        }
        for (size_t i = 0; i < m->n_nodes; i++)
            if (m->nodes[i].country == x) {
                nsel[i] = 1;
                n++;
            }
        if (!n)
            report(c, 0, path, "country \"%s\" has no nodes in model \"%s\"", m->countries[x].code,
                   label);
        return n;
    case T_CORRIDOR:
        if ((x = corridor__corridor_find(m, e->tid)) < 0) {
            suggest_among(sug, sizeof sug, e->tid, m->corridors, m->n_corridors,
                          sizeof *m->corridors, offsetof(cor_corridor, id));
            report(c, 0, path, "no corridor \"%s\" in model \"%s\"%s", e->tid, label, sug);
            return 0;
        }
        for (size_t i = 0; i < m->n_edges; i++)
            for (size_t k = 0; k < m->edges[i].n_corridors; k++)
                if (m->edges[i].corridors[k] == (size_t)x && !esel[i]) {
                    esel[i] = 1;
                    n++;
                }
        if (!n)
            report(c, 0, path, "corridor \"%s\" has no edges in model \"%s\"", e->tid, label);
        return n;
    case T_MODE:
        for (size_t i = 0; i < m->n_edges; i++)
            if (m->edges[i].mode == (corridor_mode)e->tval) {
                esel[i] = 1;
                n++;
            }
        if (!n)
            report(c, 0, path, "no edge of mode \"%s\" in model \"%s\"", e->tid, label);
        return n;
    case T_KIND:
        for (size_t i = 0; i < m->n_nodes; i++)
            if (m->nodes[i].kind == (corridor_kind)e->tval) {
                nsel[i] = 1;
                n++;
            }
        if (!n)
            report(c, 0, path, "no node of kind \"%s\" in model \"%s\"", e->tid, label);
        return n;
    default:
        return 0;
    }
}

/* Replaces name / description / source as the values say. */
static int set_texts(char **name, char **description, char **source, const sc_values *v)
{
    char **dst[3] = {name, description, source};
    for (size_t i = 0; i < 3; i++) {
        if (!(v->mask & (1u << (F_NAME + i))))
            continue;
        char *t = corridor__strdup(v->str[i]);
        if (!t)
            return corridor__oom();
        free(*dst[i]);
        *dst[i] = t;
    }
    return 0;
}

/* Capacity: set (bare value: every commodity in `all`) or scale (given capacities only). */
static void apply_capacity(double *cap, unsigned *given, unsigned all, const sc_values *v,
                           int scale)
{
    if (!(v->mask & (1u << F_CAPACITY)))
        return;
    for (size_t k = 0; k < COR_NCOM; k++) {
        unsigned bit = 1u << k;
        if (!(v->capacity_all ? (scale ? 1 : (all & bit) != 0) : (v->capacity_mask & bit) != 0))
            continue;
        double x = v->capacity[k];
        if (scale) {
            if (*given & bit)
                cap[k] *= x;
        } else if (isnan(x)) {
            cap[k] = INFINITY;
            *given &= ~bit;
        } else {
            cap[k] = x;
            *given |= bit;
        }
    }
}

static void apply_penalty(double *vals, unsigned *given, unsigned mask, const double *x, int scale)
{
    for (size_t m = 0; m < COR_NMET; m++) {
        if (!(mask & (1u << m)))
            continue;
        if (scale) {
            vals[m] *= x[m];
        } else {
            vals[m] = x[m];
            *given |= 1u << m;
        }
    }
}

static int edit_node(cor_node *n, const sc_edit *e)
{
    const sc_values *v = &e->v;
    int scale = e->op == OP_SCALE;
    if (e->op == OP_CLOSE) {
        n->status = CORRIDOR_STATUS_CLOSED;
        return 0;
    }
    if (!scale) {
        int err = set_texts(&n->name, &n->description, &n->source, v);
        if (err)
            return err;
        if (v->mask & (1u << F_STATUS))
            n->status = v->status;
        if (v->mask & (1u << F_OPENS))
            n->opens = v->opens;
    }
    apply_capacity(n->capacity, &n->capacity_given, (1u << COR_NCOM) - 1, v, scale);
    if (v->mask & (1u << F_DWELL))
        apply_penalty(n->dwell, &n->dwell_given, v->dwell_mask, v->dwell, scale);
    if (v->mask & (1u << F_TRANSFER))
        apply_penalty(n->transfer, &n->transfer_given, v->transfer_mask, v->transfer, scale);
    return 0;
}

static int edit_edge(const corridor_model *m, cor_edge *ed, const sc_edit *e)
{
    const sc_values *v = &e->v;
    int scale = e->op == OP_SCALE;
    if (e->op == OP_CLOSE) {
        ed->status = CORRIDOR_STATUS_CLOSED;
        return 0;
    }
    if (!scale) {
        int err = set_texts(&ed->name, &ed->description, &ed->source, v);
        if (err)
            return err;
        if (v->mask & (1u << F_STATUS))
            ed->status = v->status;
        if (v->mask & (1u << F_OPENS))
            ed->opens = v->opens;
        if (v->mask & (1u << F_CARRIES)) {
            ed->carries = v->carries;
            ed->carries_given = 1;
        }
        if (v->mask & (1u << F_GAUGE))
            ed->gauge = v->gauge;
        if (v->mask & (1u << F_ONEWAY))
            ed->oneway = v->oneway;
    }
    for (size_t k = 0; k < COR_NMET; k++) {
        unsigned bit = 1u << k;
        if (!(v->mask & (1u << (F_TIME + k))))
            continue;
        if (scale) {
            /* a derived value becomes a given one, so that it keeps the factor */
            if (!isnan(ed->metric[k])) {
                ed->metric[k] *= v->metric[k];
                ed->metric_given |= bit;
            }
        } else if (isnan(v->metric[k])) {
            ed->metric_given &= ~bit;
        } else {
            ed->metric[k] = v->metric[k];
            ed->metric_given |= bit;
        }
    }
    apply_capacity(ed->capacity, &ed->capacity_given, ed->carries, v, scale);
    corridor__edge_derive(m, ed);
    return 0;
}

/* One class of problem found after an edit: the first element and how many more. */
typedef struct sc_problem {
    const char *first;
    size_t more;
    corridor_mode mode;
    corridor_commodity commodity;
} sc_problem;

static void note_problem(sc_problem *p, const char *id)
{
    if (p->first)
        p->more++;
    else
        p->first = id;
}

static void report_problem(sc_ctx *c, const char *path, const sc_problem *p, const char *fmt)
{
    char more[64] = "";
    if (!p->first)
        return;
    if (p->more)
        snprintf(more, sizeof more, " (and %zu more edge%s)", p->more, p->more == 1 ? "" : "s");
    if (strcmp(fmt, "gauge") == 0)
        report(c, 0, path, "edge \"%s\"%s is %s: only rail edges have a gauge", p->first, more,
               corridor_mode_name(p->mode));
    else
        report(c, 0, path, "edge \"%s\"%s has a capacity for %s, which it does not carry", p->first,
               more, corridor_commodity_name(p->commodity));
}

/* Checks the model's edge invariants on the edges a set edit changed. */
static void check_edges(sc_ctx *c, size_t idx, const corridor_model *m, const sc_edit *e,
                        const unsigned char *esel)
{
    char path[128];
    sc_problem gauge = {0}, cap = {0};
    for (size_t i = 0; i < m->n_edges; i++) {
        const cor_edge *ed = &m->edges[i];
        if (!esel[i])
            continue;
        if (ed->gauge && ed->mode != CORRIDOR_MODE_RAIL) {
            if (!gauge.first)
                gauge.mode = ed->mode;
            note_problem(&gauge, ed->id);
        }
        unsigned extra = ed->capacity_given & ~ed->carries;
        if (extra) {
            if (!cap.first)
                for (size_t k = COR_NCOM; k-- > 0;)
                    if (extra & (1u << k))
                        cap.commodity = (corridor_commodity)k;
            note_problem(&cap, ed->id);
        }
    }
    snprintf(path, sizeof path, "edits[%zu].values.gauge", idx);
    report_problem(c, path, &gauge, "gauge");
    snprintf(path, sizeof path, "edits[%zu].values.%s", idx,
             (e->v.mask & (1u << F_CAPACITY)) ? "capacity" : "carries");
    report_problem(c, path, &cap, "capacity");
}

static int apply_add(sc_ctx *c, size_t idx, corridor_model *m, const sc_edit *e);

/* Applies edit idx; problems are reported. ENOMEM only. */
static int apply_edit(sc_ctx *c, size_t idx, corridor_model *m, const sc_edit *e)
{
    int err = 0;
    char path[64];
    unsigned char *nsel = NULL, *esel = NULL;
    if (e->op == OP_ADD)
        return apply_add(c, idx, m, e);
    nsel = calloc(m->n_nodes + 1, 1);
    esel = calloc(m->n_edges + 1, 1);
    if (!nsel || !esel) {
        err = corridor__oom();
        goto done;
    }
    snprintf(path, sizeof path, "edits[%zu].target", idx);
    if (!select_target(c, path, m, e, nsel, esel))
        goto done;
    for (size_t i = 0; i < m->n_nodes && !err; i++)
        if (nsel[i])
            err = edit_node(&m->nodes[i], e);
    for (size_t i = 0; i < m->n_edges && !err; i++)
        if (esel[i])
            err = edit_edge(m, &m->edges[i], e);
    if (!err && e->op == OP_SET)
        check_edges(c, idx, m, e, esel);
done:
    free(nsel);
    free(esel);
    return err;
}

int corridor_scenario_apply(corridor_model **out, const corridor_model *base,
                            const corridor_scenario *s, corridor_diags *diags)
{
    int err = 0;
    sc_ctx c = {diags, s->origin, 0, ""};
    corridor_model *m = NULL;
    char *name = NULL;
    *out = NULL;
    if (!(m = corridor__model_clone(base))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t i = 0; i < s->n_edits; i++)
        if ((err = apply_edit(&c, i, m, &s->edits[i])) < 0)
            goto done;
    if (c.errors) {
        err = scenario_error(&c, "scenario does not apply");
        goto done;
    }
    /* no index to rebuild: the clone has them, edits keep ids, add indexes what it appends */
    if (!(name = corridor__asprintf("%s + %s", corridor_model_name(base),
                                    corridor_scenario_name(s)))) {
        err = corridor__oom();
        goto done;
    }
    free(m->name);
    m->name = name;
done:
    if (err < 0) {
        corridor_model_free(m);
        return err;
    }
    *out = m;
    return 0;
}

size_t corridor_scenario_edit_count(const corridor_scenario *s)
{
    return s ? s->n_edits : 0;
}

/* ------------------------------------------------------------------- add */

/* Appends the nodes and edges of add edit idx if they all check out; problems are reported. */
static int apply_add(sc_ctx *c, size_t idx, corridor_model *m, const sc_edit *e)
{
    char path[64];
    cor_add_ctx ac = {.src = c->src, .prefix = path, .d = c->d, .warnings = 0};
    snprintf(path, sizeof path, "edits[%zu]", idx);
    int err = corridor__model_add_json(m, e->nodes, e->edges, &ac);
    count_add_errors(c, &ac);
    return err;
}
