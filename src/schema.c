/* schema.c: the only list of the model's fields: vocabularies, bounds, tables and their accessors.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* ------------------------------------------------------------ vocabularies */

static const char *const mode_names[] = {"rail", "road", "sea", "pipeline", "power", "fiber"};
static const char *const kind_names[] = {"country",       "city",         "port",
                                         "rail-terminal", "border",       "junction",
                                         "oil-terminal",  "gas-terminal", "landing-station",
                                         "substation",    "field"};
static const char *const status_names[] = {"operational", "construction", "planned", "closed"};
static const char *const commodity_names[] = {"freight", "oil", "gas", "power", "data"};
static const char *const metric_names[] = {"time", "cost", "distance", "co2"};
static const char *const metric_keys[] = {"time_h", "cost_usd", "distance_km", "co2_kg"};

const cor_vocab corridor__modes = {"mode", mode_names, COR_NMODE};
const cor_vocab corridor__kinds = {"kind", kind_names, CORRIDOR_KIND_COUNT};
const cor_vocab corridor__statuses = {"status", status_names, CORRIDOR_STATUS_COUNT};
const cor_vocab corridor__commodities = {"commodity", commodity_names, COR_NCOM};
const cor_vocab corridor__metrics = {"metric", metric_names, COR_NMET};
const cor_vocab corridor__metric_keys = {"metric", metric_keys, COR_NMET};
const char *const corridor__commodity_units[COR_NCOM] = {"t/yr", "bbl/d", "bcm/yr", "MW", "Tbps"};

const char *const corridor__penalty_keys[3] = {"time_h", "cost_usd", "co2_kg"};
const corridor_metric corridor__penalty_metrics[3] = {CORRIDOR_BY_TIME, CORRIDOR_BY_COST,
                                                      CORRIDOR_BY_CO2};

int corridor__vocab_find(const cor_vocab *v, const char *name)
{
    for (int i = 0; name && i < v->n; i++)
        if (strcmp(name, v->names[i]) == 0)
            return i;
    return -1;
}

const char *corridor__vocab_list(char *buf, size_t size, const cor_vocab *v)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < v->n && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", v->names[i]);
    return buf;
}

double corridor__metric_max(corridor_metric m)
{
    static const double max[COR_NMET] = {COR_MAX_TIME_H, COR_MAX_COST_USD, COR_MAX_DIST_KM,
                                         COR_MAX_CO2_KG};
    return (unsigned)m < COR_NMET ? max[m] : 0;
}

/* ------------------------------------------------------------------ tables */

/*
 * One row per field, in the order of the model format (and of its
 * documentation, diagnostics and export columns). Rows that nodes and edges
 * share are macros over the element type T.
 */
// clang-format off
#define AT(T, f) offsetof(T, f)
#define ROW_TEXT(T, k, f, fl) \
    {.key = k, .type = CF_STRING, .flags = fl, .off = AT(T, f), .set = 1, .ctype = COL_STR}
#define ROW_STATUS(T) \
    {.key = "status", .type = CF_ENUM, .vocab = &corridor__statuses, .off = AT(T, status), \
     .set = 1, .ctype = COL_STR}
#define ROW_OPENS(T) \
    {.key = "opens", .type = CF_YEAR, .unit = "year", .min = COR_YEAR_MIN, .max = COR_YEAR_MAX, \
     .flags = CF_SETNULL, .off = AT(T, opens), .set = 1, .ctype = COL_INT}
#define ROW_CAPACITY(T, carried, r) \
    {.key = "capacity", .type = CF_CAPACITY, .unit = "model units", .max = COR_MAX_CAPACITY, \
     .flags = CF_SETNULL, .off = AT(T, capacity), .given = AT(T, capacity_given), \
     .aux = carried, .set = 1, .scale = 1, .ctype = COL_NUM, .rule = r}
#define ROW_PENALTY(k, f) \
    {.key = k, .type = CF_PENALTY, .off = AT(cor_node, f), .given = AT(cor_node, f##_given), \
     .set = 1, .scale = 1, .ctype = COL_NUM}
#define ROW_COORD(k, f, lim, h, r) \
    {.key = k, .type = CF_COORD, .unit = "degrees", .min = -(lim), .max = lim, \
     .off = AT(cor_node, f), .aux = AT(cor_node, has_pos), .ctype = COL_NUM, .hint = h, .rule = r}
#define ROW_ENDS(k, f, r) \
    {.key = k, .type = CF_REF, .sec = COR_NODE, .flags = CF_REQUIRED | CF_ELEMID, \
     .off = AT(cor_edge, f), .ctype = COL_STR, .hint = "node id", .rule = r}
#define ROW_METRIC(k, m, u, mx) \
    {.key = k, .type = CF_AMOUNT, .unit = u, .max = mx, .flags = CF_SETNULL, \
     .off = AT(cor_edge, metric) + (size_t)(m) * sizeof(double), .given = AT(cor_edge, metric_given), \
     .bit = 1u << (m), .set = 1, .scale = 1, .ctype = COL_NUM}
#define ROW_ATTRS(T) \
    {.key = "attrs", .type = CF_ATTRS, .off = AT(T, attrs), .ctype = COL_STR, \
     .hint = "free attributes"}
#define ROW_BPR(T, k, f, mn, mx, h) \
    {.key = k, .type = CF_AMOUNT, .min = mn, .max = mx, .flags = CF_SETNULL, .off = AT(T, f), \
     .given = COR_NO_OFF, .set = 1, .ctype = COL_NUM, .hint = h}
#define ROW_DEFAULT(k, f, u, mn, mx, fl) \
    {.key = k, .type = CF_AMOUNT, .unit = u, .min = mn, .max = mx, .flags = fl, \
     .off = AT(cor_defaults, f), .given = COR_NO_OFF}

static const cor_field top_rows[] = {
    {.key = "format", .type = CF_HEADER, .flags = CF_REQUIRED},
    {.key = "version", .type = CF_HEADER, .flags = CF_REQUIRED},
    {.key = "name", .type = CF_STRING, .flags = CF_REQUIRED, .off = AT(corridor_model, name)},
    {.key = "description", .type = CF_STRING, .off = AT(corridor_model, description)},
    {.key = "units", .type = CF_SECTION, .sec = COR_TOP},
    {.key = "defaults", .type = CF_SECTION, .sec = COR_TOP},
    {.key = "countries", .type = CF_SECTION, .sec = COR_COUNTRY},
    {.key = "corridors", .type = CF_SECTION, .sec = COR_CORRIDOR},
    {.key = "nodes", .type = CF_SECTION, .sec = COR_NODE},
    {.key = "edges", .type = CF_SECTION, .sec = COR_EDGE},
};

static const cor_field country_rows[] = {
    {.key = "code", .type = CF_ID, .sec = COR_COUNTRY, .flags = CF_REQUIRED,
     .off = AT(cor_country, code), .ctype = COL_STR, .hint = "country code"},
    ROW_TEXT(cor_country, "name", name, CF_NAME_ID),
};

static const cor_field corridor_rows[] = {
    {.key = "id", .type = CF_ID, .sec = COR_CORRIDOR, .flags = CF_REQUIRED,
     .off = AT(cor_corridor, id), .ctype = COL_STR},
    ROW_TEXT(cor_corridor, "name", name, CF_NAME_ID),
    {.key = "color", .type = CF_COLOR, .off = AT(cor_corridor, color), .ctype = COL_STR},
    ROW_TEXT(cor_corridor, "description", description, 0),
};

static const cor_field node_rows[] = {
    {.key = "id", .type = CF_ID, .sec = COR_NODE, .flags = CF_REQUIRED | CF_ELEMID,
     .off = AT(cor_node, id), .ctype = COL_STR},
    ROW_TEXT(cor_node, "name", name, CF_NAME_ID),
    {.key = "kind", .type = CF_ENUM, .vocab = &corridor__kinds, .flags = CF_REQUIRED,
     .off = AT(cor_node, kind), .ctype = COL_STR},
    {.key = "country", .type = CF_REF, .sec = COR_COUNTRY, .off = AT(cor_node, country),
     .ctype = COL_STR, .hint = "country code"},
    ROW_COORD("lat", lat, 90, "latitude", COR_RULE_NONE),
    ROW_COORD("lon", lon, 180, "longitude", COR_RULE_LATLON),
    ROW_PENALTY("transfer", transfer),
    ROW_PENALTY("dwell", dwell),
    ROW_CAPACITY(cor_node, COR_NO_OFF, COR_RULE_NONE),
    ROW_BPR(cor_node, "bpr_alpha", bpr_alpha, 0, COR_MAX_BPR_ALPHA, "BPR alpha"),
    ROW_BPR(cor_node, "bpr_beta", bpr_beta, COR_MIN_BPR_BETA, COR_MAX_BPR_BETA, "BPR beta"),
    ROW_STATUS(cor_node),
    ROW_OPENS(cor_node),
    ROW_TEXT(cor_node, "source", source, 0),
    ROW_TEXT(cor_node, "description", description, 0),
    ROW_ATTRS(cor_node),
};

static const cor_field edge_rows[] = {
    {.key = "id", .type = CF_ID, .sec = COR_EDGE, .flags = CF_REQUIRED | CF_ELEMID,
     .off = AT(cor_edge, id), .ctype = COL_STR},
    ROW_TEXT(cor_edge, "name", name, 0),
    ROW_ENDS("from", from, COR_RULE_NONE),
    ROW_ENDS("to", to, COR_RULE_NOT_FROM),
    {.key = "mode", .type = CF_ENUM, .vocab = &corridor__modes, .flags = CF_REQUIRED,
     .off = AT(cor_edge, mode), .ctype = COL_STR},
    {.key = "corridors", .type = CF_REFLIST, .sec = COR_CORRIDOR, .off = AT(cor_edge, corridors),
     .aux = AT(cor_edge, n_corridors), .ctype = COL_LIST},
    ROW_METRIC("distance_km", CORRIDOR_BY_DISTANCE, "km", COR_MAX_DIST_KM),
    ROW_METRIC("time_h", CORRIDOR_BY_TIME, "h", COR_MAX_TIME_H),
    ROW_METRIC("cost_usd", CORRIDOR_BY_COST, "USD", COR_MAX_COST_USD),
    ROW_METRIC("co2_kg", CORRIDOR_BY_CO2, "kg", COR_MAX_CO2_KG),
    {.key = NULL, .type = CF_DERIVED, .ctype = COL_LIST, .hint = "derived"},
    {.key = "carries", .type = CF_LIST, .vocab = &corridor__commodities,
     .off = AT(cor_edge, carries), .given = AT(cor_edge, carries_given), .set = 1,
     .ctype = COL_LIST, .rule = COR_RULE_CARRIES},
    ROW_CAPACITY(cor_edge, AT(cor_edge, carries), COR_RULE_CARRIED),
    ROW_BPR(cor_edge, "bpr_alpha", bpr_alpha, 0, COR_MAX_BPR_ALPHA, "BPR alpha"),
    ROW_BPR(cor_edge, "bpr_beta", bpr_beta, COR_MIN_BPR_BETA, COR_MAX_BPR_BETA, "BPR beta"),
    {.key = "gauge", .type = CF_INT, .unit = "mm", .min = 1, .max = 10000, .flags = CF_SETNULL,
     .off = AT(cor_edge, gauge), .set = 1, .ctype = COL_INT, .hint = "track gauge in mm",
     .rule = COR_RULE_RAIL},
    {.key = "oneway", .type = CF_BOOL, .off = AT(cor_edge, oneway), .set = 1, .ctype = COL_BOOL},
    ROW_STATUS(cor_edge),
    ROW_OPENS(cor_edge),
    ROW_TEXT(cor_edge, "source", source, 0),
    ROW_TEXT(cor_edge, "description", description, 0),
    ROW_ATTRS(cor_edge),
#ifdef CORRIDOR_TEST_EXTRA_FIELD
    /* a made-up field, compiled only into tests/unit/test_schema_field.c */
    {.key = "test_toll_usd", .type = CF_AMOUNT, .unit = "USD", .max = COR_MAX_COST_USD,
     .flags = CF_SETNULL, .off = AT(cor_edge, test_toll), .given = AT(cor_edge, test_toll_given),
     .bit = 1, .set = 1, .scale = 1, .ctype = COL_NUM},
#endif
    {.key = "geometry", .type = CF_GEOMETRY, .unit = "degrees", .flags = CF_NOEXPORT,
     .off = AT(cor_edge, geom), .aux = AT(cor_edge, geom_n), .rule = COR_RULE_ENDS},
};

static const cor_field default_rows[] = {
    ROW_DEFAULT("speed_kmh", speed_kmh, "km/h", COR_MIN_SPEED, COR_MAX_SPEED, CF_POSITIVE),
    ROW_DEFAULT("cost_usd_per_km", cost_usd_per_km, "USD/km", 0, COR_MAX_PER_KM, 0),
    ROW_DEFAULT("co2_kg_per_km", co2_kg_per_km, "kg/km", 0, COR_MAX_PER_KM, 0),
    /* corridor assign: BPR t = t0 (1 + alpha (v/c)^beta) on the mode's edges (issue 14) */
    ROW_DEFAULT("bpr_alpha", bpr_alpha, "", 0, COR_MAX_BPR_ALPHA, 0),
    ROW_DEFAULT("bpr_beta", bpr_beta, "", COR_MIN_BPR_BETA, COR_MAX_BPR_BETA, 0),
};
// clang-format on

#define LEN(a) (sizeof a / sizeof *a)

const cor_field *corridor__fields(cor_elem kind, size_t *n)
{
    switch (kind) {
    case COR_TOP:
        *n = LEN(top_rows);
        return top_rows;
    case COR_COUNTRY:
        *n = LEN(country_rows);
        return country_rows;
    case COR_CORRIDOR:
        *n = LEN(corridor_rows);
        return corridor_rows;
    case COR_NODE:
        *n = LEN(node_rows);
        return node_rows;
    case COR_EDGE:
        *n = LEN(edge_rows);
        return edge_rows;
    default:
        *n = 0;
        return NULL;
    }
}

const cor_field *corridor__field(cor_elem kind, const char *key)
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(kind, &n);
    for (size_t i = 0; i < n; i++)
        if (rows[i].key && strcmp(rows[i].key, key) == 0)
            return &rows[i];
    return NULL;
}

const cor_field *corridor__default_fields(size_t *n)
{
    *n = LEN(default_rows);
    return default_rows;
}

/* -------------------------------------------------------------- accessors */

void corridor__value_free(cor_value *v)
{
    free(v->str);
    free(v->pts);
    v->str = NULL;
    v->pts = NULL;
}

static void store_capacity(const cor_field *f, void *elem, const cor_value *v, unsigned allowed)
{
    double *cap = COR_AT(elem, f->off, double);
    unsigned *given = COR_AT(elem, f->given, unsigned);
    for (size_t k = 0; k < COR_NCOM; k++) {
        unsigned bit = 1u << k;
        if (!(v->all ? (allowed & bit) != 0 : (v->mask & bit) != 0))
            continue;
        if (isnan(v->sub[k])) {
            cap[k] = INFINITY;
            *given &= ~bit;
        } else {
            cap[k] = v->sub[k];
            *given |= bit;
        }
    }
}

int corridor__field_store(const cor_field *f, void *elem, cor_value *v, unsigned allowed)
{
    switch (f->type) {
    case CF_STRING:
    case CF_COLOR:
    case CF_ATTRS:
        free(*COR_AT(elem, f->off, char *));
        *COR_AT(elem, f->off, char *) = v->str;
        v->str = NULL;
        break;
    case CF_ENUM:
    case CF_YEAR:
    case CF_INT:
    case CF_BOOL:
        *COR_AT(elem, f->off, int) = v->is_null ? 0 : (int)v->num;
        break;
    case CF_COORD:
        *COR_AT(elem, f->off, double) = v->num;
        break;
    case CF_AMOUNT:
        *COR_AT(elem, f->off, double) = v->num;
        if (f->given != COR_NO_OFF) {
            if (isnan(v->num))
                *COR_AT(elem, f->given, unsigned) &= ~f->bit;
            else
                *COR_AT(elem, f->given, unsigned) |= f->bit;
        }
        break;
    case CF_PENALTY:
        for (size_t m = 0; m < COR_NMET; m++) {
            if (!(v->mask & (1u << m)))
                continue;
            COR_AT(elem, f->off, double)[m] = v->sub[m];
            *COR_AT(elem, f->given, unsigned) |= 1u << m;
        }
        break;
    case CF_CAPACITY:
        store_capacity(f, elem, v, allowed);
        break;
    case CF_LIST:
        *COR_AT(elem, f->off, unsigned) = v->mask;
        *COR_AT(elem, f->given, int) = 1;
        break;
    case CF_GEOMETRY:
        free(*COR_AT(elem, f->off, double *));
        *COR_AT(elem, f->off, double *) = v->pts;
        *COR_AT(elem, f->aux, size_t) = v->n_pts;
        v->pts = NULL;
        break;
    default:
        break;
    }
    return 0;
}

void corridor__field_scale(const cor_field *f, void *elem, const cor_value *v)
{
    if (f->type == CF_AMOUNT) {
        /* a derived value becomes a given one, so that it keeps the factor */
        double *x = COR_AT(elem, f->off, double);
        if (!isnan(*x)) {
            *x *= v->num;
            if (f->given != COR_NO_OFF)
                *COR_AT(elem, f->given, unsigned) |= f->bit;
        }
    } else if (f->type == CF_PENALTY) {
        for (size_t m = 0; m < COR_NMET; m++)
            if (v->mask & (1u << m))
                COR_AT(elem, f->off, double)[m] *= v->sub[m];
    } else if (f->type == CF_CAPACITY) {
        /* an unlimited capacity stays unlimited */
        unsigned given = *COR_CAT(elem, f->given, unsigned);
        for (size_t k = 0; k < COR_NCOM; k++)
            if ((v->all || (v->mask & (1u << k))) && (given & (1u << k)))
                COR_AT(elem, f->off, double)[k] *= v->sub[k];
    }
}

/* 1 if the row owns memory in the element. */
static int owns(const cor_field *f)
{
    return f->type == CF_ID || f->type == CF_STRING || f->type == CF_COLOR || f->type == CF_ATTRS ||
           f->type == CF_REFLIST || f->type == CF_GEOMETRY;
}

int corridor__fields_copy(cor_elem kind, void *dst, const void *src)
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(kind, &n);
    for (size_t i = 0; i < n; i++) /* first: nothing shared with src, whatever fails below */
        if (owns(&rows[i]))
            *COR_AT(dst, rows[i].off, void *) = NULL;
    for (size_t i = 0; i < n; i++) {
        const cor_field *f = &rows[i];
        if (f->type == CF_ID || f->type == CF_STRING || f->type == CF_COLOR ||
            f->type == CF_ATTRS) {
            const char *s = *COR_CAT(src, f->off, char *);
            *COR_AT(dst, f->off, char *) = NULL;
            if (s && !(*COR_AT(dst, f->off, char *) = corridor__strdup(s)))
                return CORRIDOR_ENOMEM;
        } else if (f->type == CF_REFLIST || f->type == CF_GEOMETRY) {
            size_t count = *COR_CAT(src, f->aux, size_t);
            size_t size = f->type == CF_REFLIST ? sizeof(size_t) : 2 * sizeof(double);
            const void *from = *COR_CAT(src, f->off, void *);
            void *copy = NULL;
            *COR_AT(dst, f->off, void *) = NULL;
            if (count && from) {
                if (!(copy = malloc(count * size)))
                    return CORRIDOR_ENOMEM;
                memcpy(copy, from, count * size);
            }
            *COR_AT(dst, f->off, void *) = copy;
        }
    }
    return 0;
}

void corridor__fields_init(cor_elem kind, void *elem)
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(kind, &n);
    for (size_t i = 0; i < n; i++) {
        const cor_field *f = &rows[i];
        if (f->type == CF_AMOUNT)
            *COR_AT(elem, f->off, double) = NAN;
        else if (f->type == CF_CAPACITY)
            for (size_t k = 0; k < COR_NCOM; k++)
                COR_AT(elem, f->off, double)[k] = INFINITY;
        else if (f->type == CF_REF && f->sec == COR_COUNTRY)
            *COR_AT(elem, f->off, long) = -1;
    }
}

void corridor__fields_free(cor_elem kind, void *elem)
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(kind, &n);
    for (size_t i = 0; i < n; i++) {
        const cor_field *f = &rows[i];
        if (owns(f)) {
            free(*COR_AT(elem, f->off, void *));
            *COR_AT(elem, f->off, void *) = NULL;
        }
    }
}

double corridor__field_max(const cor_field *f, int sub)
{
    return f->type == CF_PENALTY ? corridor__metric_max((corridor_metric)sub) : f->max;
}

int corridor__fields_in_range(cor_elem kind, const void *elem, const cor_field **bad, int *sub,
                              double *value)
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(kind, &n);
    for (size_t i = 0; i < n; i++) {
        const cor_field *f = &rows[i];
        const double *x = f->type == CF_AMOUNT || f->type == CF_PENALTY || f->type == CF_CAPACITY
                              ? COR_CAT(elem, f->off, double)
                              : NULL;
        size_t count = f->type == CF_AMOUNT ? 1 : f->type == CF_PENALTY ? COR_NMET : COR_NCOM;
        for (size_t k = 0; x && k < count; k++) {
            double max = corridor__field_max(f, (int)k);
            if (isnan(x[k]) || (f->type == CF_CAPACITY && isinf(x[k])))
                continue; /* not given, or unlimited */
            if (!(x[k] <= max)) {
                *bad = f;
                *sub = (int)k;
                *value = x[k];
                return 0;
            }
        }
    }
    return 1;
}

/* ------------------------------------------------------------- exports */

size_t corridor__columns(cor_column *out, size_t max, cor_elem kind)
{
    size_t n = 0, k = 0;
    const cor_field *rows = corridor__fields(kind, &n);
    for (size_t i = 0; i < n; i++) {
        const cor_field *f = &rows[i];
        const char *name = f->key ? f->key : f->hint;
        if (f->flags & CF_NOEXPORT)
            continue;
        if (f->type == CF_PENALTY || f->type == CF_CAPACITY) {
            size_t subs = f->type == CF_PENALTY ? 3 : COR_NCOM;
            for (size_t s = 0; s < subs && k < max; s++, k++) {
                const char *sub = f->type == CF_PENALTY ? corridor__penalty_keys[s]
                                                        : corridor__commodities.names[s];
                snprintf(out[k].name, sizeof out[k].name, "%s_%s", name, sub);
                out[k].type = f->ctype;
                out[k].f = f;
                out[k].sub = f->type == CF_PENALTY ? (int)corridor__penalty_metrics[s] : (int)s;
            }
        } else if (k < max) {
            snprintf(out[k].name, sizeof out[k].name, "%s", name);
            out[k].type = f->ctype;
            out[k].f = f;
            out[k].sub = -1;
            k++;
        }
    }
    return k;
}

static void cell_num(cor_cell *c, double v)
{
    c->present = isfinite(v);
    c->num = v;
}

static void cell_str(cor_cell *c, const char *s)
{
    c->present = s != NULL;
    c->str = s;
}

static void cell_list(cor_cell *c, const char *const *list, size_t n)
{
    c->present = 1;
    c->list = list;
    c->n_list = n;
}

/* The id a reference row points to. */
static const char *ref_id(const corridor_model *m, const cor_field *f, const void *elem)
{
    if (f->sec == COR_COUNTRY) {
        long c = *COR_CAT(elem, f->off, long);
        return c >= 0 ? m->countries[c].code : NULL;
    }
    return m->nodes[*COR_CAT(elem, f->off, size_t)].id;
}

/* One cell of one element. */
static void cell(cor_cell *c, const cor_column *col, const corridor_model *m, const void *elem,
                 cor_scratch *s)
{
    const cor_field *f = col->f;
    size_t nl = 0;
    memset(c, 0, sizeof *c);
    switch (f->type) {
    case CF_ID:
    case CF_STRING:
    case CF_COLOR:
    case CF_ATTRS:
        cell_str(c, *COR_CAT(elem, f->off, char *));
        break;
    case CF_REF:
        cell_str(c, ref_id(m, f, elem));
        break;
    case CF_ENUM:
        cell_str(c, f->vocab->names[*COR_CAT(elem, f->off, int)]);
        break;
    case CF_COORD:
        if (*COR_CAT(elem, f->aux, int))
            cell_num(c, *COR_CAT(elem, f->off, double));
        break;
    case CF_AMOUNT: /* the effective value, given or derived (NAN: neither) */
        cell_num(c, *COR_CAT(elem, f->off, double));
        break;
    case CF_YEAR:
    case CF_INT:
        if (*COR_CAT(elem, f->off, int))
            cell_num(c, *COR_CAT(elem, f->off, int));
        break;
    case CF_BOOL:
        c->present = 1;
        c->num = *COR_CAT(elem, f->off, int) ? 1 : 0;
        break;
    case CF_PENALTY:
        if (*COR_CAT(elem, f->given, unsigned) & (1u << col->sub))
            cell_num(c, COR_CAT(elem, f->off, double)[col->sub]);
        break;
    case CF_CAPACITY:
        cell_num(c, COR_CAT(elem, f->off, double)[col->sub]);
        break;
    case CF_LIST:
        for (int k = 0; k < f->vocab->n && nl < 16; k++)
            if (*COR_CAT(elem, f->off, unsigned) & (1u << k))
                s->names[nl++] = f->vocab->names[k];
        cell_list(c, s->names, nl);
        break;
    case CF_REFLIST: {
        const size_t *ix = *COR_CAT(elem, f->off, size_t *);
        size_t count = *COR_CAT(elem, f->aux, size_t);
        for (size_t k = 0; k < count; k++)
            s->ids[k] = m->corridors[ix[k]].id;
        cell_list(c, s->ids, count);
        break;
    }
    case CF_DERIVED: {
        const cor_edge *e = elem;
        for (size_t k = 0; k < COR_NMET; k++)
            if (!(e->metric_given & (1u << k)) && !isnan(e->metric[k]))
                s->derived[nl++] = corridor__metric_keys.names[k];
        cell_list(c, s->derived, nl);
        break;
    }
    default:
        break;
    }
}

void corridor__cells(cor_cell *out, const cor_column *cols, size_t n, const corridor_model *m,
                     cor_elem kind, size_t i, cor_scratch *s)
{
    const void *elem = kind == COR_NODE ? (const void *)&m->nodes[i] : (const void *)&m->edges[i];
    for (size_t k = 0; k < n; k++)
        cell(&out[k], &cols[k], m, elem, s);
}

/* ---------------------------------------------------------------- geometry */

double corridor__haversine_km(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = 3.14159265358979323846 / 180;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    if (a > 1)
        a = 1;
    return 2 * COR_EARTH_KM * asin(sqrt(a));
}

double corridor__geometry_km(const double *p, size_t n)
{
    double sum = 0;
    for (size_t i = 1; i < n; i++)
        sum += corridor__haversine_km(p[2 * i - 1], p[2 * i - 2], p[2 * i + 1], p[2 * i]);
    return sum;
}

int corridor__great_circle_points(double **out, size_t *n, double lon0, double lat0, double lon1,
                                  double lat1, double step_km, int continuous)
{
    const double d2r = 3.14159265358979323846 / 180.0;
    double km = corridor__haversine_km(lat0, lon0, lat1, lon1);
    size_t steps = step_km > 0 ? (size_t)ceil(km / step_km) : 1;
    *out = NULL;
    *n = 0;
    if (steps < 1)
        steps = 1;
    if (steps > 2000)
        steps = 2000;
    double *p = malloc((steps + 1) * 2 * sizeof *p);
    if (!p)
        return corridor__oom();
    /* spherical linear interpolation between the two unit vectors */
    double la1 = lat0 * d2r, lo1 = lon0 * d2r, la2 = lat1 * d2r, lo2 = lon1 * d2r;
    double d = km / COR_EARTH_KM;
    p[0] = lon0;
    p[1] = lat0;
    for (size_t i = 1; i < steps; i++) {
        double f = (double)i / (double)steps, A = 1 - f, B = f;
        if (d >= 1e-12) {
            A = sin((1 - f) * d) / sin(d);
            B = sin(f * d) / sin(d);
        }
        double x = A * cos(la1) * cos(lo1) + B * cos(la2) * cos(lo2);
        double y = A * cos(la1) * sin(lo1) + B * cos(la2) * sin(lo2);
        double z = A * sin(la1) + B * sin(la2);
        double lon = atan2(y, x) / d2r;
        /* drawing: keep longitudes continuous with the start, so lines do not jump the page */
        while (continuous && lon - p[2 * (i - 1)] > 180)
            lon -= 360;
        while (continuous && lon - p[2 * (i - 1)] < -180)
            lon += 360;
        p[2 * i] = lon;
        p[2 * i + 1] = atan2(z, sqrt(x * x + y * y)) / d2r;
    }
    p[2 * steps] = lon1;
    p[2 * steps + 1] = lat1;
    *out = p;
    *n = steps + 1;
    return 0;
}

size_t corridor__edge_shape(const corridor_model *m, size_t e, const double **lonlat)
{
    const cor_edge *ed = &m->edges[e];
    *lonlat = ed->geom_n >= 2 ? ed->geom : NULL;
    return *lonlat ? ed->geom_n : 0;
}
