/* jsonread.c: the JSON path stack, one diagnostic style, and the typed value readers of the schema.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdint.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"

#define QUOTE_MAX 64

/* ------------------------------------------------------------------ reader */

void corridor__reader_init(cor_reader *r, const char *src, corridor_diags *d)
{
    memset(r, 0, sizeof *r);
    r->src = src ? src : "(string)";
    r->d = d;
}

void corridor__reader_free(cor_reader *r)
{
    free(r->first_error);
    for (size_t i = 0; i < r->n_warnings; i++)
        free(r->warnings[i]);
    free(r->warnings);
    r->first_error = NULL;
    r->warnings = NULL;
    r->n_warnings = r->cap_warnings = 0;
}

size_t jr_key(cor_reader *r, const char *key)
{
    size_t at = r->depth;
    if (r->depth < JR_DEPTH) {
        r->path[r->depth].key = key ? key : "";
        r->path[r->depth].index = 0;
    }
    r->depth++;
    return at;
}

size_t jr_index(cor_reader *r, size_t i)
{
    size_t at = r->depth;
    if (r->depth < JR_DEPTH) {
        r->path[r->depth].key = NULL;
        r->path[r->depth].index = i;
    }
    r->depth++;
    return at;
}

void jr_pop(cor_reader *r, size_t depth)
{
    r->depth = depth;
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

const char *jr_path(const cor_reader *r, char *buf, size_t size)
{
    size_t o = 0, n = r->depth < JR_DEPTH ? r->depth : JR_DEPTH;
    buf[0] = '\0';
    if (r->prefix && *r->prefix)
        o = (size_t)snprintf(buf, size, "%s", r->prefix);
    for (size_t i = 0; i < n && o < size; i++) {
        const char *key = r->path[i].key;
        char q[JR_QBUF];
        if (!key)
            o += (size_t)snprintf(buf + o, size - o, "[%zu]", r->path[i].index);
        else if (plain_key(key))
            o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "." : "", key);
        else
            o += (size_t)snprintf(buf + o, size - o, "[%s]", JR_Q(q, key));
    }
    return buf;
}

static void push_warning(cor_reader *r, const char *text)
{
    char *w = corridor__strdup(text);
    if (!w) {
        r->oom = 1;
        return;
    }
    if (r->n_warnings == r->cap_warnings) {
        size_t cap = r->cap_warnings ? 2 * r->cap_warnings : 8;
        char **a = realloc(r->warnings, cap * sizeof *a);
        if (!a) {
            free(w);
            r->oom = 1;
            return;
        }
        r->warnings = a;
        r->cap_warnings = cap;
    }
    r->warnings[r->n_warnings++] = w;
}

void jr_report(cor_reader *r, int warning, const char *fmt, ...)
{
    char msg[1024], path[512], line[1600];
    va_list ap;
    if (warning && r->no_warnings)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    jr_path(r, path, sizeof path);
    corridor__diag(r->d, warning, r->src, path, "%s", msg);
    /* "PATH: message" without the file, as the model keeps warnings */
    snprintf(line, sizeof line, "%s%s%s", path, *path ? ": " : "", msg);
    if (warning) {
        if (r->keep_warnings)
            push_warning(r, line);
        return;
    }
    r->errors++;
    if (!r->first_error && !(r->first_error = corridor__strdup(line)))
        r->oom = 1;
}

int jr_invalid(const cor_reader *r, const char *what)
{
    if (r->errors == 1)
        return corridor__error(CORRIDOR_EINVALID, "%s: %s: %s", r->src, what,
                               r->first_error ? r->first_error : "1 error");
    return corridor__error(CORRIDOR_EINVALID, "%s: %s: %s (and %zu more errors)", r->src, what,
                           r->first_error ? r->first_error : "", r->errors - 1);
}

/* ------------------------------------------------------------------- text */

const char *jr_quote(char *buf, size_t size, const char *s)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
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

const char *jr_describe(char *buf, size_t size, const cJSON *v)
{
    char q[JR_QBUF];
    if (cJSON_IsString(v))
        snprintf(buf, size, "a string (%s)", JR_Q(q, v->valuestring));
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

void jr_type_error(cor_reader *r, const cJSON *v, const char *expected)
{
    char got[JR_QBUF + 16];
    JR_ERR(r, "expected %s, got %s", expected, jr_describe(got, sizeof got, v));
}

char *jr_dup(cor_reader *r, const char *s)
{
    char *c = corridor__strdup(s);
    if (s && !c)
        r->oom = 1;
    return c;
}

int jr_absent(const cJSON *v)
{
    return !v || cJSON_IsNull(v);
}

/* ------------------------------------------------------------------- keys */

/* An unknown key: a warning with a "did you mean" among the known keys. */
static void unknown_key(cor_reader *r, const char *key, const char *const *keys, size_t n)
{
    const char *known[64];
    size_t n_known = 0;
    char q[JR_QBUF];
    for (size_t i = 0; i < n && n_known < 64; i++)
        if (keys[i])
            known[n_known++] = keys[i];
    const char *s = corridor__suggest(key, known, n_known);
    if (s)
        JR_WARN(r, "unknown field (did you mean %s?)", JR_Q(q, s));
    else
        JR_WARN(r, "unknown field");
}

void jr_scan(cor_reader *r, const cJSON *obj, const char *const *keys, size_t n, const cJSON **f)
{
    size_t next = 0; /* files mostly follow the documented order: look after the last match */
    for (size_t i = 0; i < n; i++)
        f[i] = NULL;
    for (const cJSON *c = obj->child; c; c = c->next) {
        const char *key = c->string ? c->string : "";
        size_t k = n;
        for (size_t j = 0; j < n && k == n; j++) {
            size_t t = next + j < n ? next + j : next + j - n;
            if (keys[t] && keys[t][0] == key[0] && strcmp(key, keys[t]) == 0)
                k = t;
        }
        if (k < n)
            next = k + 1 < n ? k + 1 : 0;
        if (k < n && !f[k]) {
            f[k] = c;
            continue;
        }
        size_t at = jr_key(r, key);
        if (k == n)
            unknown_key(r, key, keys, n);
        else
            JR_ERR(r, "duplicate key (the same field is given twice)");
        jr_pop(r, at);
    }
}

void jr_scan_fields(cor_reader *r, const cJSON *obj, const cor_field *rows, size_t n,
                    const cJSON **f)
{
    const char *keys[64];
    for (size_t i = 0; i < n && i < 64; i++)
        keys[i] = rows[i].key;
    jr_scan(r, obj, keys, n < 64 ? n : 64, f);
}

int jr_enum(cor_reader *r, const char *s, const cor_vocab *v)
{
    int i = corridor__vocab_find(v, s);
    if (i >= 0)
        return i;
    char q[JR_QBUF], q2[JR_QBUF], list[256];
    const char *sug = corridor__suggest(s, v->names, (size_t)v->n);
    corridor__vocab_list(list, sizeof list, v);
    if (sug)
        JR_ERR(r, "unknown %s %s (did you mean %s?); expected one of: %s", v->what, JR_Q(q, s),
               JR_Q(q2, sug), list);
    else
        JR_ERR(r, "unknown %s %s; expected one of: %s", v->what, JR_Q(q, s), list);
    return -1;
}

/* ----------------------------------------------------------------- numbers */

/*
 * A number for row f with bounds [min, max] and unit: finite, >= min (> min
 * for CF_POSITIVE), <= max. For a scale factor: [0, COR_MAX_SCALE]. The path
 * names it. 0 if fine, -1 reported.
 */
static int check_number(cor_reader *r, const cJSON *v, double min, double max, unsigned flags,
                        const char *unit, cor_op op, const char *expected, double *out)
{
    if (!cJSON_IsNumber(v)) {
        jr_type_error(r, v, expected);
        return -1;
    }
    double x = v->valuedouble;
    const char *u = unit && *unit ? " " : "", *un = unit ? unit : "";
    if (!isfinite(x)) {
        JR_ERR(r, "number too large (must be finite)");
        return -1;
    }
    if (op == COR_OP_SCALE) {
        if (!(x >= 0)) {
            JR_ERR(r, "scale factor must be >= 0, got %.15g", x);
            return -1;
        }
        if (x > COR_MAX_SCALE) {
            JR_ERR(r, "scale factor must be <= %g, got %.15g", COR_MAX_SCALE, x);
            return -1;
        }
        *out = x;
        return 0;
    }
    if ((flags & CF_POSITIVE) ? !(x > 0) : !(x >= (min < 0 ? min : 0))) {
        JR_ERR(r, "must be %s 0, got %.15g", (flags & CF_POSITIVE) ? ">" : ">=", x);
        return -1;
    }
    if (x < min) {
        JR_ERR(r, "must be >= %g%s%s, got %.15g", min, u, un, x);
        return -1;
    }
    if (x > max) {
        JR_ERR(r, "must be <= %g%s%s, got %.15g", max, u, un, x);
        return -1;
    }
    *out = x;
    return 0;
}

/* An amount row (or a sub-key of a penalty or capacity) at the current path. */
static int read_amount(cor_reader *r, const cor_field *f, const cJSON *v, cor_op op, double max,
                       double *out)
{
    if (op == COR_OP_SET && cJSON_IsNull(v) && (f->flags & CF_SETNULL)) {
        *out = NAN;
        return 0;
    }
    return check_number(r, v, f->min, max, f->flags, f->unit, op,
                        op == COR_OP_SCALE ? "a number (a scale factor)" : "a number", out);
}

static int read_coord(cor_reader *r, const cor_field *f, const cJSON *v, double *out)
{
    if (!cJSON_IsNumber(v)) {
        jr_type_error(r, v, "a number");
        return -1;
    }
    if (!(v->valuedouble >= f->min && v->valuedouble <= f->max)) {
        JR_ERR(r, "%s must be between %g and %g, got %.15g", f->hint, f->min, f->max,
               v->valuedouble);
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

static int read_year(cor_reader *r, const cor_field *f, const cJSON *v, double *out)
{
    if (!cJSON_IsNumber(v)) {
        jr_type_error(r, v, "an integer year");
        return -1;
    }
    if (!isfinite(v->valuedouble) || v->valuedouble != floor(v->valuedouble)) {
        JR_ERR(r, "expected an integer year, got %.15g", v->valuedouble);
        return -1;
    }
    if (v->valuedouble < f->min || v->valuedouble > f->max) {
        JR_ERR(r, "expected a year from %g to %g, got %.15g", f->min, f->max, v->valuedouble);
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

static int read_int(cor_reader *r, const cor_field *f, const cJSON *v, double *out)
{
    char t[128];
    if (!cJSON_IsNumber(v)) {
        snprintf(t, sizeof t, "a positive integer (%s)", f->hint);
        jr_type_error(r, v, t);
        return -1;
    }
    if (!(v->valuedouble >= f->min && v->valuedouble <= f->max) ||
        v->valuedouble != floor(v->valuedouble)) {
        JR_ERR(r, "expected a positive integer (%s, e.g. 1435 or 1520), got %.15g", f->hint,
               v->valuedouble);
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

/* -------------------------------------------------------------- compounds */

/* A penalty: an object by time_h, cost_usd, co2_kg (scale: also one number for all three). */
static int read_penalty(cor_reader *r, const cor_field *f, const cJSON *v, cor_op op,
                        cor_value *out)
{
    int bad = 0;
    if (op == COR_OP_SCALE && cJSON_IsNumber(v)) {
        double x = 0;
        if (check_number(r, v, 0, 0, 0, NULL, op, "a number", &x) < 0)
            return -1;
        for (size_t k = 0; k < 3; k++) {
            out->sub[corridor__penalty_metrics[k]] = x;
            out->mask |= 1u << corridor__penalty_metrics[k];
        }
        return 0;
    }
    if (!cJSON_IsObject(v)) {
        jr_type_error(r, v,
                      op == COR_OP_SCALE
                          ? "a number (a scale factor) or an object with time_h, cost_usd, co2_kg"
                          : "an object");
        return -1;
    }
    const cJSON *sub[3];
    jr_scan(r, v, corridor__penalty_keys, 3, sub);
    for (size_t k = 0; k < 3; k++) {
        corridor_metric m = corridor__penalty_metrics[k];
        if (jr_absent(sub[k]))
            continue;
        size_t at = jr_key(r, corridor__penalty_keys[k]);
        if (check_number(r, sub[k], 0, corridor__metric_max(m), 0,
                         m == CORRIDOR_BY_TIME   ? "h"
                         : m == CORRIDOR_BY_COST ? "USD"
                                                 : "kg",
                         op, "a number", &out->sub[m]) < 0)
            bad = -1;
        else
            out->mask |= 1u << m;
        jr_pop(r, at);
    }
    if (!bad && !out->mask && op != COR_OP_LOAD) {
        JR_ERR(r, "empty object: name at least one of time_h, cost_usd, co2_kg");
        bad = -1;
    }
    (void)f;
    return bad;
}

/* "a, b" of the commodities in mask. */
static const char *commodity_names(char *buf, size_t size, unsigned mask)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int j = 0; j < COR_NCOM && o < size; j++)
        if (mask & (1u << j))
            o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "",
                                  corridor__commodities.names[j]);
    return buf;
}

/* A capacity: a bare number, or an object by commodity; set: null means unlimited. */
static int read_capacity(cor_reader *r, const cor_field *f, const cJSON *v, cor_op op,
                         unsigned allowed, cor_value *out)
{
    double x = 0;
    int bad = 0;
    if (cJSON_IsNumber(v) || (op == COR_OP_SET && cJSON_IsNull(v))) {
        if (cJSON_IsNull(v))
            x = NAN;
        else if (check_number(r, v, f->min, f->max, 0, NULL, op, "a number", &x) < 0)
            return -1;
        out->all = 1;
        for (size_t k = 0; k < COR_NCOM; k++)
            out->sub[k] = x;
        return 0;
    }
    if (!cJSON_IsObject(v)) {
        jr_type_error(r, v,
                      op == COR_OP_SCALE ? "a number (a scale factor) or an object by commodity"
                                         : "a number or an object by commodity");
        return -1;
    }
    for (const cJSON *c = v->child; c; c = c->next) {
        const char *key = c->string ? c->string : "";
        size_t at = jr_key(r, key);
        int k = jr_enum(r, key, &corridor__commodities);
        char list[64];
        if (k < 0) {
            bad = -1;
        } else if (out->mask & (1u << k)) {
            JR_ERR(r, "duplicate key (the same field is given twice)");
            bad = -1;
        } else if (allowed && !(allowed & (1u << k))) {
            JR_ERR(r, "the edge does not carry %s (it carries: %s)", key,
                   commodity_names(list, sizeof list, allowed));
            bad = -1;
        } else if (cJSON_IsNull(c) && op == COR_OP_LOAD) {
            /* null: as if absent */
        } else if (cJSON_IsNull(c) && op == COR_OP_SET) {
            out->sub[k] = NAN;
            out->mask |= 1u << k;
        } else if (check_number(r, c, f->min, f->max, 0, NULL, op, "a number", &out->sub[k]) < 0) {
            bad = -1;
        } else {
            out->mask |= 1u << k;
        }
        jr_pop(r, at);
    }
    if (!bad && !out->mask && op != COR_OP_LOAD) {
        JR_ERR(r, "empty object: name at least one commodity");
        bad = -1;
    }
    return bad;
}

/* A list of vocabulary names: non-empty, a repeat is a warning. */
static int read_list(cor_reader *r, const cor_field *f, const cJSON *v, cor_value *out)
{
    int bad = 0;
    size_t i = 0;
    char t[64], list[256];
    if (!cJSON_IsArray(v)) {
        jr_type_error(r, v, "an array");
        return -1;
    }
    if (!v->child) {
        JR_ERR(r, "empty list: an edge must carry at least one %s (%s)", f->vocab->what,
               corridor__vocab_list(list, sizeof list, f->vocab));
        bad = -1;
    }
    snprintf(t, sizeof t, "a %s (a string)", f->vocab->what);
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        size_t at = jr_index(r, i);
        char q[JR_QBUF];
        if (!cJSON_IsString(c)) {
            jr_type_error(r, c, t);
            bad = -1;
        } else {
            int k = jr_enum(r, c->valuestring, f->vocab);
            if (k < 0)
                bad = -1;
            else if (out->mask & (1u << k))
                JR_WARN(r, "%s %s listed twice", f->vocab->what, JR_Q(q, c->valuestring));
            else
                out->mask |= 1u << k;
        }
        jr_pop(r, at);
    }
    return bad;
}

/* A geometry: [[lon, lat], ...], 2 to COR_MAX_GEOM points within range. */
static int read_geometry(cor_reader *r, const cJSON *v, cor_value *out)
{
    static const cor_field lonf = {.min = -180, .max = 180, .hint = "longitude"};
    static const cor_field latf = {.min = -90, .max = 90, .hint = "latitude"};
    size_t n = 0, i = 0;
    int bad = 0;
    if (!cJSON_IsArray(v)) {
        jr_type_error(r, v, "an array of [lon, lat] points");
        return -1;
    }
    for (const cJSON *c = v->child; c; c = c->next)
        n++;
    if (n < 2) {
        JR_ERR(r, "a line needs at least 2 points, got %zu", n);
        return -1;
    }
    if (n > COR_MAX_GEOM) {
        JR_ERR(r, "too many points: at most %d per edge, got %zu", COR_MAX_GEOM, n);
        return -1;
    }
    if (!(out->pts = malloc(2 * n * sizeof *out->pts))) {
        r->oom = 1;
        return -1;
    }
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        size_t at = jr_index(r, i);
        const cJSON *lon = cJSON_IsArray(c) ? c->child : NULL;
        const cJSON *lat = lon ? lon->next : NULL;
        if (!lat || lat->next) {
            jr_type_error(r, c, "a [lon, lat] pair");
            bad = -1;
        } else {
            size_t a = jr_index(r, 0);
            if (read_coord(r, &lonf, lon, &out->pts[2 * i]) < 0)
                bad = -1;
            jr_pop(r, a);
            a = jr_index(r, 1);
            if (read_coord(r, &latf, lat, &out->pts[2 * i + 1]) < 0)
                bad = -1;
            jr_pop(r, a);
        }
        jr_pop(r, at);
        if (bad)
            break; /* one located error per geometry is enough */
    }
    out->n_pts = n;
    return bad;
}

/* A string; CF_NONEMPTY rows refuse "". */
static int read_string(cor_reader *r, const cor_field *f, const cJSON *v, cor_value *out)
{
    if (!cJSON_IsString(v)) {
        jr_type_error(r, v, "a string");
        return -1;
    }
    if ((f->flags & CF_NONEMPTY) && !*v->valuestring) {
        JR_ERR(r, "empty %s", f->hint ? f->hint : f->key);
        return -1;
    }
    return (out->str = jr_dup(r, v->valuestring)) ? 0 : -1;
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

static int read_color(cor_reader *r, const cJSON *v, cor_value *out)
{
    char norm[8], q[JR_QBUF];
    if (!cJSON_IsString(v)) {
        jr_type_error(r, v, "a string");
        return -1;
    }
    if (!color_ok(v->valuestring, norm)) {
        JR_ERR(r, "expected a colour \"#rrggbb\" or \"#rgb\", got %s", JR_Q(q, v->valuestring));
        return -1;
    }
    return (out->str = jr_dup(r, norm)) ? 0 : -1;
}

/* Free attributes: an object whose values are text, numbers, booleans or null. */
static int read_attrs(cor_reader *r, const cJSON *v, cor_value *out)
{
    const cJSON *x;
    if (!cJSON_IsObject(v)) {
        jr_type_error(r, v, "an object of attributes ({\"name\": value, ...})");
        return -1;
    }
    cJSON_ArrayForEach(x, v)
    {
        if (!x->string || !*x->string) {
            JR_ERR(r, "an attribute needs a name; give it one");
            return -1;
        }
        if (!cJSON_IsString(x) && !cJSON_IsNumber(x) && !cJSON_IsBool(x) && !cJSON_IsNull(x)) {
            char q[96];
            JR_ERR(r, "attribute %s: expected text, a number, true/false or null, got a list or "
                      "object; flatten it",
                   JR_Q(q, x->string));
            return -1;
        }
    }
    char *text = cJSON_PrintUnformatted(v);
    if (!text) {
        r->oom = 1;
        return -1;
    }
    out->str = jr_dup(r, text);
    cJSON_free(text);
    return out->str ? 0 : -1;
}

/* The value of row f by its type; the path names it. */
static int read_typed(cor_reader *r, const cor_field *f, const cJSON *v, cor_op op,
                      unsigned allowed, cor_value *out)
{
    switch (f->type) {
    case CF_STRING:
        return read_string(r, f, v, out);
    case CF_COLOR:
        return read_color(r, v, out);
    case CF_ENUM: {
        if (!cJSON_IsString(v)) {
            jr_type_error(r, v, "a string");
            return -1;
        }
        int k = jr_enum(r, v->valuestring, f->vocab);
        out->num = k;
        return k < 0 ? -1 : 0;
    }
    case CF_AMOUNT:
        return read_amount(r, f, v, op, f->max, &out->num);
    case CF_COORD:
        return read_coord(r, f, v, &out->num);
    case CF_YEAR:
        return read_year(r, f, v, &out->num);
    case CF_INT:
        return read_int(r, f, v, &out->num);
    case CF_BOOL:
        if (!cJSON_IsBool(v)) {
            jr_type_error(r, v, "a boolean (true or false)");
            return -1;
        }
        out->num = cJSON_IsTrue(v) ? 1 : 0;
        return 0;
    case CF_PENALTY:
        return read_penalty(r, f, v, op, out);
    case CF_CAPACITY:
        return read_capacity(r, f, v, op, allowed, out);
    case CF_LIST:
        return read_list(r, f, v, out);
    case CF_GEOMETRY:
        return read_geometry(r, v, out);
    case CF_ATTRS:
        return read_attrs(r, v, out);
    default:
        jr_type_error(r, v, "nothing (this field is not read here)");
        return -1;
    }
}

int corridor__read_value(cor_reader *r, const cor_field *f, const cJSON *v, cor_op op,
                         unsigned allowed, cor_value *out)
{
    memset(out, 0, sizeof *out);
    if (!v)
        return 0;
    if (cJSON_IsNull(v)) {
        if (op == COR_OP_LOAD && !(f->flags & CF_REQUIRED))
            return 0; /* null = absent */
        if (op == COR_OP_SET && (f->flags & CF_SETNULL)) {
            out->is_null = 1;
            out->num = NAN;
            for (size_t k = 0; k < sizeof out->sub / sizeof *out->sub; k++)
                out->sub[k] = NAN;
            out->all = 1;
            return 1;
        }
    }
    size_t at = jr_key(r, f->key);
    int res = read_typed(r, f, v, op, allowed, out);
    jr_pop(r, at);
    if (res < 0) {
        corridor__value_free(out);
        return -1;
    }
    return 1;
}

/* ------------------------------------------------------------------- NULs */

size_t corridor__json_nul_escape(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
        if (end - p >= 6 && p[1] == 'u' && memcmp(p + 2, "0000", 4) == 0)
            return (size_t)(p - text);
        p += 2; /* the escaped character: a backslash, a quote, 'u', ... */
        if (p >= end)
            break;
    }
    return len;
}

/* ------------------------------------------------------------- raw text */

static void text_error(cor_reader *L, const char *text, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An error at a byte offset: "SRC:LINE:COL: invalid JSON: ..." */
static void text_error(cor_reader *L, const char *text, size_t pos, const char *fmt, ...)
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
    JR_ERR(L, "%s%s", strncmp(msg, "string holds", 12) ? "invalid JSON: " : "", msg);
    L->src = saved;
    free(src);
}

/* NUL bytes and invalid UTF-8: reports the first one. 0 if the text is clean. */
static int check_bytes(cor_reader *L, const char *text, size_t len)
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

/*
 * A `\u0000` escape: cJSON would cut the string there ("A\u0000B" read as
 * "A"), so it is refused where it stands. 0 if there is none.
 */
static int check_nul_escape_(cor_reader *L, const char *text, size_t len)
{
    size_t i = corridor__json_nul_escape(text, len);
    if (i == len)
        return 0;
    text_error(L, text, i, "string holds \\u0000 (a NUL character), which no name or id may hold");
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
static void explain_syntax(cor_reader *L, const char *text, size_t len, size_t pos)
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
/*
 * The checks every JSON input gets before its tree is read: not empty
 * (`what` names the expected object), no NUL byte, valid UTF-8, JSON syntax
 * (explained where cJSON stopped), no \u0000 in a string. With parsed NULL
 * the text is parsed here (text[len] must be a NUL if `terminated`) and *root
 * is the caller's to delete; otherwise *root is NULL and parsed is checked.
 * Returns 1 if the tree may be read, 0 after a reported problem, or ENOMEM.
 */
int corridor__json_text(cor_reader *r, const char *text, size_t len, int terminated,
                        const char *what, const cJSON *parsed, cJSON **root)
{
    size_t first = 0;
    char *copy = NULL;
    *root = NULL;
    if (!text)
        len = 0;
    while (first < len && isspace((unsigned char)text[first]))
        first++;
    if (first == len) {
        JR_ERR(r, "empty file: expected a %s JSON object", what);
        return 0;
    }
    if (check_bytes(r, text, len) < 0)
        return 0;
    if (!parsed) {
        /* parse the text with its terminating NUL: the end of the file is then a position */
        if (!terminated && !(text = copy = corridor__strndup(text, len)))
            return corridor__oom();
        const char *end = NULL;
        *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
        if (!*root)
            explain_syntax(r, text, len, end ? (size_t)(end - text) : len);
    }
    int ok = (parsed || *root) && check_nul_escape_(r, text, len) == 0;
    free(copy);
    if (!ok) {
        cJSON_Delete(*root);
        *root = NULL;
    }
    return r->oom ? corridor__oom() : ok;
}

/* ---------------------------------------------------------------- header */

int corridor__json_header(cor_reader *r, const cJSON *root, const char *format, const char *other,
                          const char *other_noun, const char *other_option)
{
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
    char q[JR_QBUF], want[64];
    snprintf(want, sizeof want, "\"%s\"", format);
    if (!fmt) {
        JR_ERR(r, "missing required field \"format\" (expected %s)", want);
    } else {
        size_t at = jr_key(r, "format");
        if (!cJSON_IsString(fmt)) {
            jr_type_error(r, fmt, want);
        } else if (strcmp(fmt->valuestring, format) != 0) {
            if (strcmp(fmt->valuestring, other) == 0)
                JR_ERR(r, "expected %s, got \"%s\" (this is a %s: load it with %s)", want, other,
                       other_noun, other_option);
            else
                JR_ERR(r, "expected %s, got %s", want, JR_Q(q, fmt->valuestring));
            jr_pop(r, at);
            return -1;
        }
        jr_pop(r, at);
    }
    if (!ver) {
        JR_ERR(r, "missing required field \"version\" (expected 1)");
    } else {
        size_t at = jr_key(r, "version");
        if (!cJSON_IsNumber(ver)) {
            jr_type_error(r, ver, "the number 1");
        } else if (ver->valuedouble != 1) {
            JR_ERR(r, "unsupported version %.15g (this corridor reads version 1)",
                   ver->valuedouble);
            jr_pop(r, at);
            return -1;
        }
        jr_pop(r, at);
    }
    return 0;
}
