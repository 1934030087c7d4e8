/* model_json.c: loads and validates models from JSON by looping over the schema's field tables. */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiled.h"
#include "internal.h"
#include "json_internal.h"
#include "jsonread.h"

/*
 * cJSON parses the text; one walk over the tree then checks every field and
 * fills the model. A file is read by the streamed path ("streaming" below:
 * cJSON parses each node and edge on its own, never the whole tree), which
 * hands over to the whole-tree path wherever their results could differ.
 * Sections load in the order of the top-level table (countries, corridors,
 * nodes, edges), so every reference points into a section already loaded,
 * whatever the order in the file. Inside an element the fields are read in
 * the order of its table (schema.c), each by the reader of its type
 * (jsonread.c); ids and references, which need the sections, are read here.
 * Diagnostics come out in a fixed order: format and version, the top-level
 * keys, then each section in array order; inside one element its unknown or
 * repeated keys, then its fields in table order. Any error frees everything.
 *
 * The same walk reads the nodes and edges that a scenario's "add" edit appends
 * to a loaded model (corridor__model_add_json): the model's ids then count as
 * taken and references may point into it.
 */

/* Candidate comparisons spent on "did you mean" for references, per load. */
#define SUGGEST_BUDGET 4000000u

typedef struct loader {
    cor_reader r; /* the JSON path and the diagnostics */
    corridor_model *m;
    /* id -> position in its array, filled as the sections load; keys are the model's strings */
    cor_map ids[COR_ELEM_COUNT];
    const char **cands[COR_ELEM_COUNT]; /* ids by position, built for the first "did you mean" */
    int usable[COR_ELEM_COUNT];         /* the section is absent or an array: references resolve */
    size_t suggest_spent;
    size_t *listed; /* by corridor: 1 + the last edge that listed it */
    /* adding elements to a loaded model (L->m then holds only the new ones) */
    const corridor_model *base; /* ids taken and references resolving there first, or NULL */
    int check_only;             /* no ids registered and no references looked up */
    int owns_tree;              /* the tree is the loader's: each element is freed once read */
} loader;

/* What one element's fields said, for the rules that tie fields together. */
typedef struct el_state {
    const char *id;
    const char *ref[2]; /* an edge's "from" and "to" ids as written */
    long end[2];        /* their node positions, -1 if unresolved */
    int mode;           /* the edge's mode, -1 if not valid */
    int carries;        /* "carries": 1 valid, 0 absent, -1 invalid */
    unsigned coords;    /* bit per coordinate row present; 4 + 8: read and valid */
    const cJSON *coord_rows[2];
    const char *coord_keys[2];
    size_t n_coord;
} el_state;

#define ERR(L, ...)  JR_ERR(&(L)->r, __VA_ARGS__)
#define WARN(L, ...) JR_WARN(&(L)->r, __VA_ARGS__)
#define Q            JR_Q
#define QBUF         JR_QBUF

static size_t path_key(loader *L, const char *key)
{
    return jr_key(&L->r, key);
}

static size_t path_index(loader *L, size_t i)
{
    return jr_index(&L->r, i);
}

static void path_set(loader *L, size_t depth)
{
    jr_pop(&L->r, depth);
}

static void type_error(loader *L, const cJSON *v, const char *expected)
{
    jr_type_error(&L->r, v, expected);
}

static char *dup(loader *L, const char *s)
{
    return jr_dup(&L->r, s);
}

static void missing(loader *L, const char *key)
{
    ERR(L, "missing required field \"%s\"", key);
}

/* A string member: 1 and *out if present, 0 if absent or null, -1 after an error. */
static int get_string(loader *L, const cJSON *v, const char *key, const char **out)
{
    *out = NULL;
    if (jr_absent(v))
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

/*
 * A required string (an id or a reference; `noun` for messages): present,
 * not null, non-empty. Returns it or NULL after an error.
 */
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

static int id_put(loader *L, cor_elem sec, const char *id, size_t i, size_t *first)
{
    int r = corridor__map_put(&L->ids[sec], id, i);
    if (r < 0)
        L->r.oom = 1;
    else if (r == 0)
        corridor__map_get(&L->ids[sec], id, first);
    return r;
}

/* Number of elements in a section of model m (0 for NULL). */
static size_t sec_count(const corridor_model *m, cor_elem sec)
{
    if (!m)
        return 0;
    return sec == COR_COUNTRY    ? m->n_countries
           : sec == COR_CORRIDOR ? m->n_corridors
           : sec == COR_NODE     ? m->n_nodes
                                 : m->n_edges;
}

/* The id of element i of a section of model m. */
static const char *sec_id(const corridor_model *m, cor_elem sec, size_t i)
{
    return sec == COR_COUNTRY    ? m->countries[i].code
           : sec == COR_CORRIDOR ? m->corridors[i].id
           : sec == COR_NODE     ? m->nodes[i].id
                                 : m->edges[i].id;
}

/* The id index of a section of a loaded model. */
static const cor_map *sec_index(const corridor_model *m, cor_elem sec)
{
    return sec == COR_COUNTRY    ? &m->country_index
           : sec == COR_CORRIDOR ? &m->corridor_index
           : sec == COR_NODE     ? &m->node_index
                                 : &m->edge_index;
}

/* The ids a reference into a section can name (the base model's first), for suggestions. */
static const char *const *candidates(loader *L, cor_elem sec, size_t *n)
{
    size_t n_base = sec_count(L->base, sec);
    *n = n_base + sec_count(L->m, sec);
    if (L->cands[sec] || !*n)
        return L->cands[sec];
    if (!(L->cands[sec] = malloc(*n * sizeof *L->cands[sec]))) {
        L->r.oom = 1;
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
static long resolve(loader *L, const char *ref, const char *what, cor_elem sec)
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
static void own_id(loader *L, cor_elem sec, const char *key, const char *id, size_t i, char **dst)
{
    static const char *const sections[] = {"", "countries", "corridors", "nodes", "edges"};
    size_t first = 0;
    char q[QBUF], q2[QBUF];
    if (!(*dst = dup(L, id)) || L->check_only)
        return;
    if (L->base && corridor__map_get(sec_index(L->base, sec), id, NULL)) {
        size_t at = path_key(L, key);
        ERR(L, "duplicate id %s (the model already has %s %s)", Q(q, id),
            sec == COR_NODE ? "a node" : "an edge", Q(q2, id));
        path_set(L, at);
    } else if (id_put(L, sec, *dst, i, &first) == 0) {
        size_t at = path_key(L, key);
        ERR(L, "duplicate %s %s (first at %s%s%s[%zu])", sec == COR_COUNTRY ? "country code" : "id",
            Q(q, id), L->r.prefix ? L->r.prefix : "", L->r.prefix ? "." : "", sections[sec], first);
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

/* Checks that `v` is an array; reports otherwise. 1 if it is, 0 if absent or null. */
static int want_array(loader *L, const cJSON *v, const char *key)
{
    if (jr_absent(v))
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
    if (jr_absent(v))
        return;
    size_t at = path_key(L, "units");
    if (want_object(L, v)) {
        for (const cJSON *c = v->child; c; c = c->next) {
            size_t at2 = path_key(L, c->string ? c->string : "");
            int k = jr_enum(&L->r, c->string ? c->string : "", &corridor__commodities);
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

/* The fields of one mode's defaults, read by the rows of the defaults table. */
static void load_mode_defaults(loader *L, const cJSON *obj, cor_defaults *d)
{
    size_t n = 0;
    const cor_field *rows = corridor__default_fields(&n);
    const cJSON *f[8];
    jr_scan_fields(&L->r, obj, rows, n, f);
    for (size_t k = 0; k < n; k++) {
        cor_value v;
        if (corridor__read_value(&L->r, &rows[k], f[k], COR_OP_LOAD, 0, &v) > 0)
            corridor__field_store(&rows[k], d, &v, 0);
        corridor__value_free(&v);
    }
}

static void load_defaults(loader *L, const cJSON *v)
{
    if (jr_absent(v))
        return;
    size_t at = path_key(L, "defaults");
    if (want_object(L, v)) {
        for (const cJSON *c = v->child; c; c = c->next) {
            size_t at2 = path_key(L, c->string ? c->string : "");
            int mode = jr_enum(&L->r, c->string ? c->string : "", &corridor__modes);
            if (mode >= 0 && (L->m->defaults_given & (1u << mode))) {
                ERR(L, "duplicate key (the same field is given twice)");
            } else if (mode >= 0 && want_object(L, c)) {
                L->m->defaults_given |= 1u << mode;
                load_mode_defaults(L, c, &L->m->defaults[mode]);
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

/* -------------------------------------------------------------- elements */

/* The element's own id. */
static void load_id(loader *L, const cor_field *f, const cJSON *v, void *elem, size_t i,
                    el_state *st)
{
    st->id = get_id(L, v, f->key, f->hint ? f->hint : "id");
    if (st->id && f->sec == COR_COUNTRY && !country_code_ok(st->id)) {
        size_t at = path_key(L, f->key);
        char q[QBUF];
        ERR(L, "expected 2 or 3 uppercase letters (ISO 3166 code), got %s", Q(q, st->id));
        path_set(L, at);
    }
    if (st->id)
        own_id(L, (cor_elem)f->sec, f->key, st->id, i, COR_AT(elem, f->off, char *));
}

/* A reference: a country code (optional) or an edge end (a required node id). */
static void load_ref(loader *L, const cor_field *f, const cJSON *v, void *elem, el_state *st)
{
    const char *ref = NULL;
    if (f->sec == COR_COUNTRY) {
        if (get_string(L, v, f->key, &ref) <= 0)
            return;
        size_t at = path_key(L, f->key);
        if (!*ref)
            ERR(L, "empty %s", f->hint);
        else if (L->usable[COR_COUNTRY])
            *COR_AT(elem, f->off, long) = resolve(L, ref, "country", COR_COUNTRY);
        path_set(L, at);
        return;
    }
    int which = f->rule == COR_RULE_NOT_FROM; /* "to" */
    ref = get_id(L, v, f->key, f->hint);
    st->ref[which] = ref;
    if (!ref || !L->usable[COR_NODE])
        return;
    size_t at = path_key(L, f->key);
    long pos = resolve(L, ref, "node", COR_NODE);
    if (pos >= 0)
        *COR_AT(elem, f->off, size_t) = (size_t)pos;
    st->end[which] = pos;
    path_set(L, at);
}

/* The edge's corridor ids; `i_edge` is its position (to mark corridors already listed). */
static void load_reflist(loader *L, const cor_field *f, const cJSON *v, void *elem, size_t i_edge)
{
    if (!want_array(L, v, f->key))
        return;
    size_t n = array_len(v), i = 0;
    size_t **list = COR_AT(elem, f->off, size_t *), *count = COR_AT(elem, f->aux, size_t);
    if (n && !(*list = malloc(n * sizeof **list))) {
        L->r.oom = 1;
        return;
    }
    size_t at = path_key(L, f->key);
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        size_t at2 = path_index(L, i);
        char q[QBUF];
        if (!cJSON_IsString(c)) {
            type_error(L, c, "a corridor id (a string)");
        } else if (!*c->valuestring) {
            ERR(L, "empty corridor id");
        } else if (L->usable[COR_CORRIDOR]) {
            long pos = resolve(L, c->valuestring, "corridor", COR_CORRIDOR);
            if (pos >= 0 && L->listed[pos] == i_edge + 1) {
                WARN(L, "corridor %s listed twice", Q(q, c->valuestring));
            } else if (pos >= 0) {
                L->listed[pos] = i_edge + 1;
                (*list)[(*count)++] = (size_t)pos;
            }
        }
        path_set(L, at2);
    }
    path_set(L, at);
}

/* The position of node `pos` (base model first, then the nodes loaded here). */
static const cor_node *node_at(const loader *L, long pos)
{
    size_t n_base = L->base ? L->base->n_nodes : 0;
    return (size_t)pos < n_base ? &L->base->nodes[pos] : &L->m->nodes[(size_t)pos - n_base];
}

/* A geometry's ends are its edge's nodes (both placed), within COR_GEOM_TOL degrees. */
static int check_ends(loader *L, const cor_field *f, const cor_value *v, const el_state *st)
{
    static const char *const end_name[2] = {"from", "to"};
    int ok = 1;
    size_t at = path_key(L, f->key);
    for (int k = 0; k < 2 && ok; k++) {
        if (st->end[k] < 0)
            continue;
        const cor_node *n = node_at(L, st->end[k]);
        const double *p = &v->pts[k ? 2 * (v->n_pts - 1) : 0];
        char q[QBUF];
        if (!n->has_pos) {
            ERR(L, "the %s node %s has no lat and lon: a geometry needs both ends placed",
                end_name[k], Q(q, n->id));
            ok = 0;
        } else if (fabs(p[0] - n->lon) > COR_GEOM_TOL || fabs(p[1] - n->lat) > COR_GEOM_TOL) {
            size_t at2 = path_index(L, k ? v->n_pts - 1 : 0);
            ERR(L,
                "[%.15g, %.15g] is not the %s node %s at [%.15g, %.15g] (lon, lat; within %g "
                "degrees)",
                p[0], p[1], end_name[k], Q(q, n->id), n->lon, n->lat, COR_GEOM_TOL);
            path_set(L, at2);
            ok = 0;
        }
    }
    path_set(L, at);
    return ok;
}

/* Rules checked before a read value is stored; 0 refuses it (reported). */
static int rule_ok(loader *L, const cor_field *f, const cor_value *v, void *elem,
                   const el_state *st)
{
    if (f->rule == COR_RULE_RAIL && st->mode >= 0 && st->mode != CORRIDOR_MODE_RAIL) {
        size_t at = path_key(L, f->key);
        ERR(L, "%s is for rail edges only (this edge is %s)", f->key,
            corridor__modes.names[st->mode]);
        path_set(L, at);
        return 0;
    }
    if (f->rule == COR_RULE_ENDS) {
        const cor_edge *e = elem;
        double km = corridor__geometry_km(v->pts, v->n_pts);
        if (!check_ends(L, f, v, st))
            return 0;
        if (!(e->metric_given & (1u << CORRIDOR_BY_DISTANCE)) && km > COR_MAX_DIST_KM) {
            size_t at = path_key(L, f->key);
            ERR(L, "the line is %.15g km long, more than %g km: give distance_km", km,
                COR_MAX_DIST_KM);
            path_set(L, at);
            return 0;
        }
    }
    return 1;
}

/* Rules checked after a row was read (or found absent). */
static void rule_after(loader *L, const cor_field *f, const cJSON *json, int res, void *elem,
                       el_state *st)
{
    char q[QBUF], list[128];
    if (f->rule == COR_RULE_NOT_FROM && st->ref[0] && st->ref[1] &&
        strcmp(st->ref[0], st->ref[1]) == 0)
        ERR(L, "self-loop: from and to are both %s", Q(q, st->ref[0]));
    if (f->rule == COR_RULE_CARRIES) {
        st->carries = res;
        if (res == 0 && st->mode >= 0) {
            unsigned d = corridor__mode_default_carries((corridor_mode)st->mode);
            *COR_AT(elem, f->off, unsigned) = d;
            if (!d)
                ERR(L, "missing required field \"%s\" (a %s must say what it carries: %s)", f->key,
                    corridor__modes.names[st->mode],
                    corridor__vocab_list(list, sizeof list, f->vocab));
        }
    }
    if (f->type == CF_COORD) {
        if (!jr_absent(json))
            st->coords |= 1u << st->n_coord;
        if (res > 0)
            st->coords |= 4u << st->n_coord;
        st->coord_keys[st->n_coord++ & 1] = f->key;
    }
    if (f->rule == COR_RULE_LATLON) {
        unsigned given = st->coords & 3u;
        if (given == 1u || given == 2u)
            ERR(L, "%s without %s (give both or neither)", st->coord_keys[given == 1u ? 0 : 1],
                st->coord_keys[given == 1u ? 1 : 0]);
        *COR_AT(elem, f->aux, int) = (st->coords & 12u) == 12u;
    }
}

/* An enumeration that must be given (kind, mode): absent or null is an error. */
static int required_present(loader *L, const cor_field *f, const cJSON *v)
{
    if (!(f->flags & CF_REQUIRED) || (v && !cJSON_IsNull(v)))
        return 1;
    if (!v) {
        missing(L, f->key);
    } else {
        size_t at = path_key(L, f->key);
        type_error(L, v, "a string");
        path_set(L, at);
    }
    return 0;
}

/* One field of an element, by its row. */
static void load_field(loader *L, const cor_field *f, const cJSON *v, void *elem, size_t i,
                       el_state *st)
{
    cor_value val;
    int res = 0;
    switch (f->type) {
    case CF_ID:
        load_id(L, f, v, elem, i, st);
        return;
    case CF_REF:
        load_ref(L, f, v, elem, st);
        rule_after(L, f, v, 0, elem, st);
        return;
    case CF_REFLIST:
        load_reflist(L, f, v, elem, i);
        return;
    case CF_DERIVED:
    case CF_HEADER:
    case CF_SECTION:
        return;
    default:
        break;
    }
    if (!required_present(L, f, v))
        return;
    unsigned allowed = 0, store_for = (1u << COR_NCOM) - 1;
    if (f->rule == COR_RULE_CARRIED) {
        /* a capacity is checked against what the edge carries only if that is known */
        allowed = st->carries >= 0 && st->mode >= 0 ? *COR_AT(elem, f->aux, unsigned) : 0;
        store_for = allowed;
    }
    res = corridor__read_value(&L->r, f, v, COR_OP_LOAD, allowed, &val);
    if (res > 0 && rule_ok(L, f, &val, elem, st)) {
        corridor__field_store(f, elem, &val, store_for);
        if (f->type == CF_ENUM && f->vocab == &corridor__modes)
            st->mode = (int)val.num;
    }
    corridor__value_free(&val);
    if (res == 0 && (f->flags & CF_NAME_ID) && st->id)
        *COR_AT(elem, f->off, char *) = dup(L, st->id);
    rule_after(L, f, v, res, elem, st);
}

/* Element i of a section, field by field in table order. */
static void load_element(loader *L, cor_elem kind, const char *const *keys, const cJSON *obj,
                         void *elem, size_t i)
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(kind, &n);
    const cJSON *f[64];
    el_state st = {.end = {-1, -1}, .mode = -1};
    corridor__fields_init(kind, elem);
    if (!want_object(L, obj))
        return;
    jr_scan(&L->r, obj, keys, n, f);
    for (size_t k = 0; k < n && !L->r.oom; k++)
        load_field(L, &rows[k], f[k], elem, i, &st);
}

/* The array of a section (countries, corridors, nodes, edges). */
static void load_section(loader *L, const cJSON *v, const char *key, cor_elem kind)
{
    static const size_t size[COR_ELEM_COUNT] = {0, sizeof(cor_country), sizeof(cor_corridor),
                                                sizeof(cor_node), sizeof(cor_edge)};
    if (!want_array(L, v, key))
        return;
    corridor_model *m = L->m;
    size_t n = array_len(v), i = 0;
    void **arr = kind == COR_COUNTRY    ? (void **)&m->countries
                 : kind == COR_CORRIDOR ? (void **)&m->corridors
                 : kind == COR_NODE     ? (void **)&m->nodes
                                        : (void **)&m->edges;
    size_t *count = kind == COR_COUNTRY    ? &m->n_countries
                    : kind == COR_CORRIDOR ? &m->n_corridors
                    : kind == COR_NODE     ? &m->n_nodes
                                           : &m->n_edges;
    if (n && !(*arr = calloc(n, size[kind]))) {
        L->r.oom = 1;
        return;
    }
    *count = n;
    /* the size is known: the id index never grows on the way */
    if (!L->check_only && corridor__map_reserve(&L->ids[kind], n) < 0) {
        L->r.oom = 1;
        return;
    }
    size_t nrows = 0;
    const cor_field *rows = corridor__fields(kind, &nrows);
    const char *keys[64];
    for (size_t k = 0; k < nrows && k < 64; k++)
        keys[k] = rows[k].key;
    size_t at = path_key(L, key);
    for (const cJSON *c = v->child, *next = NULL; c && !L->r.oom; c = next, i++) {
        size_t at2 = path_index(L, i);
        next = c->next;
        load_element(L, kind, keys, c, (char *)*arr + i * size[kind], i);
        path_set(L, at2);
        /* what was read is in the model now: a tree of our own shrinks as it is read */
        if (L->owns_tree)
            cJSON_Delete(cJSON_DetachItemViaPointer((cJSON *)v, (cJSON *)c));
    }
    path_set(L, at);
}

/* One row of the top-level table. */
static void load_top(loader *L, const cor_field *row, const cJSON *v)
{
    corridor_model *m = L->m;
    if (row->type == CF_STRING) {
        if (!required_present(L, row, v))
            return;
        cor_value val;
        if (corridor__read_value(&L->r, row, v, COR_OP_LOAD, 0, &val) > 0)
            corridor__field_store(row, m, &val, 0);
        corridor__value_free(&val);
    } else if (row->type == CF_SECTION && row->sec == COR_TOP) {
        if (strcmp(row->key, "units") == 0)
            load_units(L, v);
        else
            load_defaults(L, v);
    } else if (row->type == CF_SECTION) {
        if (row->sec == COR_EDGE && m->n_corridors &&
            !(L->listed = calloc(m->n_corridors, sizeof *L->listed)))
            L->r.oom = 1;
        if (!L->r.oom)
            load_section(L, v, row->key, (cor_elem)row->sec);
    }
}

/*
 * What comes before the rows of the top level: the object, the header, its
 * unknown or repeated keys. 0 to load the rows, -1 if reported otherwise.
 */
static int root_begin(loader *L, const cJSON *root)
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(COR_TOP, &n);
    const cJSON *f[16];
    if (!cJSON_IsObject(root)) {
        char got[QBUF + 16];
        ERR(L, "expected a corridor-model JSON object at the top level, got %s",
            jr_describe(got, sizeof got, root));
        return -1;
    }
    if (corridor__json_header(&L->r, root, "corridor-model", "corridor-scenario", "scenario",
                              "-s") < 0)
        return -1;
    jr_scan_fields(&L->r, root, rows, n, f);
    /* a section that is there but no array makes its references unresolvable: skip them */
    for (size_t k = 0; k < n; k++)
        if (rows[k].type == CF_SECTION)
            L->usable[rows[k].sec] = jr_absent(f[k]) || cJSON_IsArray(f[k]);
    return 0;
}

/* Rows [from, to) of the top-level table, each from the first member of its key in root. */
static void load_rows(loader *L, const cJSON *root, size_t from, size_t to)
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(COR_TOP, &n);
    for (size_t k = from; k < to && k < n && !L->r.oom; k++)
        load_top(L, &rows[k], cJSON_GetObjectItemCaseSensitive(root, rows[k].key));
}

static void root_end(loader *L)
{
    if (!L->r.oom && L->m->n_nodes == 0 && L->usable[COR_NODE])
        WARN(L, "model has no nodes");
}

static void load_root(loader *L, const cJSON *root)
{
    size_t n = 0;
    corridor__fields(COR_TOP, &n);
    if (root_begin(L, root) < 0)
        return;
    load_rows(L, root, 0, n);
    root_end(L);
}

/* --------------------------------------------------------------- loading */

static void loader_free(loader *L)
{
    corridor__reader_free(&L->r);
    for (size_t i = 0; i < COR_ELEM_COUNT; i++) {
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

/* Starts a load of `name` reporting to diags: an empty model. 0 or CORRIDOR_ENOMEM. */
static int loader_start(loader *L, const char *name, corridor_diags *diags)
{
    memset(L, 0, sizeof *L);
    corridor__reader_init(&L->r, name, diags);
    L->r.keep_warnings = 1;
    for (size_t i = 0; i < COR_ELEM_COUNT; i++)
        corridor__map_init(&L->ids[i]);
    if (!(L->m = corridor__model_new()) || !(L->m->origin = corridor__strdup(L->r.src)))
        return corridor__oom();
    return 0;
}

/* Ends a load begun by loader_start: the model into *out if all went well; frees the loader. */
static int loader_finish(loader *L, corridor_model **out, int err)
{
    if (err || L->r.oom || L->r.errors)
        goto done;
    if (!L->m->name && !(L->m->name = corridor__strdup(""))) {
        err = corridor__oom();
        goto done;
    }
    L->m->warnings = L->r.warnings;
    L->m->n_warnings = L->r.n_warnings;
    L->r.warnings = NULL;
    L->r.n_warnings = L->r.cap_warnings = 0;
    /* without errors the loader's id maps are the model's indexes: every id once, at its place */
    move_map(&L->m->country_index, &L->ids[COR_COUNTRY]);
    move_map(&L->m->corridor_index, &L->ids[COR_CORRIDOR]);
    move_map(&L->m->node_index, &L->ids[COR_NODE]);
    move_map(&L->m->edge_index, &L->ids[COR_EDGE]);
    corridor__model_derive(L->m);
    *out = L->m;
    L->m = NULL;
done:
    if (!err && L->r.oom)
        err = corridor__oom();
    if (!err && L->r.errors)
        err = jr_invalid(&L->r, "invalid model");
    corridor_model_free(L->m);
    loader_free(L);
    return err;
}

/*
 * Loads `len` bytes of text through one cJSON tree of the whole text (the
 * reference path); `terminated`: text[len] is a readable NUL (no copy
 * needed). `parsed`: the text parsed already, or NULL. `owned`: the text is
 * the loader's to free as soon as it is parsed (the caller lets go).
 */
static int load_text(corridor_model **out, const char *text, size_t len, int terminated,
                     const cJSON *parsed, const char *name, corridor_diags *diags, char *owned)
{
    loader L;
    cJSON *root = NULL;
    *out = NULL;
    int err = loader_start(&L, name, diags);
    if (err == 0) {
        int ok = corridor__json_text(&L.r, text, len, terminated, "corridor-model", parsed, &root);
        free(owned); /* parsed and checked: the tree holds what is read from here on */
        owned = NULL;
        L.owns_tree = 1; /* parsed here, or handed over by corridor__model_load_parsed */
        if (ok < 0)
            err = ok;
        else if (ok > 0)
            load_root(&L, parsed ? parsed : root);
    }
    err = loader_finish(&L, out, err);
    cJSON_Delete(root);
    free(owned);
    return err;
}

/* ------------------------------------------------------------ streaming */

/*
 * How it works: the whole-tree path above holds the file's cJSON tree at
 * once, about 1.5 KiB per edge. The streamed path walks the structure of the
 * top-level object itself ('{', keys, ':', ',', '}', whitespace as cJSON
 * skips it: every byte <= 32) and has cJSON parse every key and every member
 * value, except that a "nodes" or "edges" array is walked too and cJSON
 * parses its elements one at a time, each read into the model by
 * load_element and freed at once. So the peak is the text, the model and one
 * element's tree.
 *
 * The result must equal the whole-tree path's, diagnostics included, so the
 * diagnostics go to a private list that is handed on only at the end, and
 * the walk gives up (and the caller takes the whole-tree path) wherever the
 * two could differ: any byte cJSON would reject (a syntax error, a value or
 * key that does not start right, a byte-order mark before a value, text
 * after the object), nesting deep enough to reach cJSON's limit in the
 * whole text, a NUL, invalid UTF-8 or \u0000 anywhere, a missing header
 * before the first array, and any top-level key after the first streamed
 * array that is unknown, repeated or belongs before a row already loaded
 * (the whole-tree path reports unknown keys first and loads the rows in
 * table order). Otherwise the rows are loaded in the same order from equal
 * trees: the rows up to a streamed section when its array starts, the
 * section element by element, and the remaining rows at the end.
 */

typedef struct streamer {
    loader *L;
    const char *text, *p, *end; /* the text, the walk's position, text + len (a NUL) */
    cJSON *root;                /* the top-level members read; a streamed array as [] */
    size_t next_row;            /* the next row of the top-level table to load */
    int started;                /* root_begin ran (at the first streamed array) */
    int give_up;                /* the text needs the whole-tree path */
} streamer;

static void skip_space(streamer *S)
{
    while (S->p < S->end && (unsigned char)*S->p <= 32)
        S->p++;
}

/* Levels of nested arrays and objects in v (v itself included), counting up to `limit`. */
static int tree_depth(const cJSON *v, int limit)
{
    int most = 0;
    if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
        return 0;
    if (limit <= 1)
        return 1;
    for (const cJSON *c = v->child; c && most < limit - 1; c = c->next) {
        int d = tree_depth(c, limit - 1);
        if (d > most)
            most = d;
    }
    return most + 1;
}

/*
 * One JSON value parsed by cJSON at the position (after whitespace), nested
 * `level` containers deep in the whole text; NULL if the walk gives up.
 */
static cJSON *parse_at(streamer *S, int level)
{
    const char *end = NULL;
    skip_space(S);
    if (S->give_up || S->p >= S->end || !*S->p || !strchr("{[\"-0123456789tfn", *S->p)) {
        S->give_up = 1;
        return NULL;
    }
    /* the length reaches the text's NUL, as the whole-tree parse sees it */
    cJSON *v = cJSON_ParseWithLengthOpts(S->p, (size_t)(S->end - S->p) + 1, &end, 0);
    if (!v || !end || end > S->end ||
        tree_depth(v, CJSON_NESTING_LIMIT) > CJSON_NESTING_LIMIT - level - 1) {
        cJSON_Delete(v);
        S->give_up = 1;
        return NULL;
    }
    S->p = end;
    return v;
}

/* The next structural byte is `c`: steps over it, else the walk gives up. */
static int expect(streamer *S, char c)
{
    skip_space(S);
    if (S->p < S->end && *S->p == c) {
        S->p++;
        return 1;
    }
    S->give_up = 1;
    return 0;
}

/* The top-level row of key, or -1. */
static long top_row(const char *key)
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(COR_TOP, &n);
    for (size_t k = 0; k < n; k++)
        if (strcmp(rows[k].key, key) == 0)
            return (long)k;
    return -1;
}

/* Room for element i of a section (zeroed, counted), growing the array by half. */
static void *section_slot(loader *L, void **arr, size_t *count, size_t *cap, size_t size, size_t i)
{
    if (i == *cap) {
        size_t c = *cap ? *cap + *cap / 2 : 1024;
        void *a = realloc(*arr, c * size);
        if (!a) {
            L->r.oom = 1;
            return NULL;
        }
        *arr = a;
        *cap = c;
    }
    char *e = (char *)*arr + i * size;
    memset(e, 0, size);
    *count = i + 1;
    return e;
}

/* The elements of the array at the position (its '['), as load_section reads a tree's. */
static void stream_section(streamer *S, const char *key, cor_elem kind)
{
    static const size_t size[COR_ELEM_COUNT] = {0, sizeof(cor_country), sizeof(cor_corridor),
                                                sizeof(cor_node), sizeof(cor_edge)};
    loader *L = S->L;
    corridor_model *m = L->m;
    void **arr = kind == COR_NODE ? (void **)&m->nodes : (void **)&m->edges;
    size_t *count = kind == COR_NODE ? &m->n_nodes : &m->n_edges, cap = 0, i = 0;
    size_t nrows = 0;
    const cor_field *rows = corridor__fields(kind, &nrows);
    const char *keys[64];
    for (size_t k = 0; k < nrows && k < 64; k++)
        keys[k] = rows[k].key;
    size_t at = path_key(L, key);
    S->p++; /* the '[' */
    skip_space(S);
    if (S->p < S->end && *S->p == ']')
        S->p++;
    else
        for (; !S->give_up && !L->r.oom; i++) {
            cJSON *c = parse_at(S, 2);
            void *elem = c ? section_slot(L, arr, count, &cap, size[kind], i) : NULL;
            if (elem) {
                size_t at2 = path_index(L, i);
                load_element(L, kind, keys, c, elem, i);
                path_set(L, at2);
            }
            cJSON_Delete(c);
            skip_space(S);
            if (S->p < S->end && *S->p == ']') {
                S->p++;
                break;
            }
            expect(S, ',');
        }
    path_set(L, at);
    /* the array keeps no spare room */
    if (*count && *count < cap) {
        void *a = realloc(*arr, *count * size[kind]);
        if (a)
            *arr = a;
    }
}

/*
 * A member whose value starts with '[' at the position: streams it if it is
 * "nodes" or "edges" and nothing stands in the way. 1 if streamed (or given up).
 */
static int stream_member(streamer *S, const char *key)
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(COR_TOP, &n);
    long row = top_row(key);
    if (row < 0 || rows[row].type != CF_SECTION ||
        (rows[row].sec != COR_NODE && rows[row].sec != COR_EDGE))
        return 0;
    loader *L = S->L;
    if (!S->started) {
        /* the header comes first in the whole-tree path; without it here, no streaming */
        if (!cJSON_GetObjectItemCaseSensitive(S->root, "format") ||
            !cJSON_GetObjectItemCaseSensitive(S->root, "version") || root_begin(L, S->root) < 0) {
            S->give_up = 1;
            return 1;
        }
        S->started = 1;
    }
    L->usable[rows[row].sec] = 1;
    load_rows(L, S->root, S->next_row, (size_t)row);
    if (rows[row].sec == COR_EDGE && L->m->n_corridors && !L->listed &&
        !(L->listed = calloc(L->m->n_corridors, sizeof *L->listed)))
        L->r.oom = 1;
    if (!L->r.oom)
        stream_section(S, key, (cor_elem)rows[row].sec);
    S->next_row = (size_t)row + 1;
    return 1;
}

/* One top-level member at the position (its key). */
static void walk_member(streamer *S)
{
    cJSON *key = NULL, *v = NULL;
    skip_space(S);
    if (S->p >= S->end || *S->p != '"') {
        S->give_up = 1;
        goto done;
    }
    if (!(key = parse_at(S, 1)) || !expect(S, ':'))
        goto done;
    const char *k = key->valuestring;
    if (S->started) {
        /* after the first streamed array, only known keys of rows still to load */
        long row = top_row(k);
        if (row < 0 || (size_t)row < S->next_row || cJSON_GetObjectItemCaseSensitive(S->root, k)) {
            S->give_up = 1;
            goto done;
        }
    }
    skip_space(S);
    if (S->p < S->end && *S->p == '[' && !cJSON_GetObjectItemCaseSensitive(S->root, k) &&
        stream_member(S, k))
        v = cJSON_CreateArray(); /* the key is taken, the section loaded */
    else
        v = parse_at(S, 1);
    if (!v) {
        S->L->r.oom |= !S->give_up;
        goto done;
    }
    if (S->started) {
        /* a late section: usable as root_begin would have found it */
        size_t n = 0;
        const cor_field *row = &corridor__fields(COR_TOP, &n)[top_row(k)];
        if (row->type == CF_SECTION && row->sec != COR_TOP)
            S->L->usable[row->sec] = jr_absent(v) || cJSON_IsArray(v);
    }
    if (!cJSON_AddItemToObject(S->root, k, v)) {
        cJSON_Delete(v);
        S->L->r.oom = 1;
    }
done:
    cJSON_Delete(key);
}

/* The top-level object: its members, then nothing but whitespace. */
static void walk_root(streamer *S)
{
    if (S->end - S->p >= 3 && memcmp(S->p, "\xEF\xBB\xBF", 3) == 0)
        S->p += 3; /* cJSON skips a byte-order mark at the start of the text */
    if (!expect(S, '{'))
        return;
    skip_space(S);
    if (S->p < S->end && *S->p == '}') {
        S->p++;
    } else {
        for (;;) {
            walk_member(S);
            if (S->give_up || S->L->r.oom)
                return;
            skip_space(S);
            if (S->p < S->end && *S->p == ',') {
                S->p++;
                continue;
            }
            if (!expect(S, '}'))
                return;
            break;
        }
    }
    skip_space(S);
    if (S->p != S->end)
        S->give_up = 1;
}

/*
 * The streamed path (text[len] is a NUL). *done: 0 if it gave up and nothing
 * was reported (take the whole-tree path), 1 if its result stands.
 */
static int load_streamed(corridor_model **out, const char *text, size_t len, const char *name,
                         corridor_diags *diags, int *done)
{
    size_t first = 0, n = 0;
    int is_nul = 0, err = 0;
    loader L;
    streamer S = {.L = &L, .text = text, .p = text, .end = text + len};
    corridor_diags *mine = NULL;
    *out = NULL;
    *done = 0;
    corridor__fields(COR_TOP, &n);
    while (first < len && isspace((unsigned char)text[first]))
        first++;
    /* what corridor__json_text reports first is the whole-tree path's to report */
    if (first == len || corridor__text_bad_byte(text, len, &is_nul) != len ||
        corridor__json_nul_escape(text, len) != len || corridor_diags_new(&mine) < 0)
        return 0;
    err = loader_start(&L, name, mine);
    L.owns_tree = 1;
    if (!err && !(S.root = cJSON_CreateObject()))
        err = corridor__oom();
    if (!err)
        walk_root(&S);
    if (!err && !S.give_up && !L.r.oom) {
        if (!S.started) {
            load_root(&L, S.root);
        } else {
            load_rows(&L, S.root, S.next_row, n);
            root_end(&L);
        }
    }
    cJSON_Delete(S.root);
    if (!err && S.give_up && !L.r.oom) {
        corridor_model_free(L.m);
        loader_free(&L);
        corridor_diags_free(mine);
        return 0;
    }
    *done = 1;
    err = loader_finish(&L, out, err);
    int moved = corridor__diags_move(diags, mine);
    if (moved < 0 && !err) {
        corridor_model_free(*out);
        *out = NULL;
        err = moved;
    }
    corridor_diags_free(mine);
    return err;
}

int corridor__model_load_text(corridor_model **out, char *text, size_t len, const char *name,
                              corridor_diags *diags, int whole_tree, int *streamed, int owned)
{
    int done = 0, err = 0;
    if (len >= COR_CMP_MAGIC_LEN && memcmp(text, COR_CMP_MAGIC, COR_CMP_MAGIC_LEN) == 0) {
        /* a compiled model read from a pipe: the buffer becomes the model's */
        char *buf = text;
        if (streamed)
            *streamed = 0;
        if (!owned && !(buf = malloc(len ? len : 1)))
            return corridor__oom();
        if (!owned)
            memcpy(buf, text, len);
        return corridor__cmp_load(out, buf, len, 0, name, diags);
    }
    if (!whole_tree)
        err = load_streamed(out, text, len, name, diags, &done);
    if (streamed)
        *streamed = done;
    if (done) {
        if (owned)
            free(text);
        return err;
    }
    return load_text(out, text, len, 1, NULL, name, diags, owned ? text : NULL);
}

int corridor_model_load_string(corridor_model **out, const char *text, size_t len, const char *name,
                               corridor_diags *diags)
{
    char *copy = corridor__strndup(text ? text : "", text ? len : 0);
    *out = NULL;
    if (!copy)
        return corridor__oom();
    return corridor__model_load_text(out, copy, text ? len : 0, name, diags, 0, NULL, 1);
}

int corridor__model_load_parsed(corridor_model **out, const char *text, size_t len, cJSON *root,
                                const char *name, corridor_diags *diags)
{
    return load_text(out, text, len, 1, root, name, diags, NULL);
}

int corridor_model_load_file(corridor_model **out, const char *path, corridor_diags *diags)
{
    char *text = NULL;
    size_t len = 0;
    int compiled = 0;
    *out = NULL;
    int err = corridor__cmp_open(out, path, &compiled, diags);
    if (compiled)
        return err;
    err = corridor__read_file(&text, &len, path);
    if (err == 0) /* read_file adds a NUL; the text is freed once read */
        err = corridor__model_load_text(out, text, len, path, diags, 0, NULL, 1);
    return err;
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
    corridor__reader_init(&L.r, ctx->src, ctx->d);
    L.base = m;
    L.r.prefix = ctx->prefix && *ctx->prefix ? ctx->prefix : NULL;
    L.check_only = !m;
    L.r.no_warnings = !ctx->warnings;
    ctx->errors = 0;
    ctx->first[0] = '\0';
    for (size_t i = 0; i < COR_ELEM_COUNT; i++) {
        corridor__map_init(&L.ids[i]);
        L.usable[i] = m != NULL; /* checking alone: references are not looked up */
    }
    if (!(L.m = corridor__model_new()) ||
        (m && m->n_corridors && !(L.listed = calloc(m->n_corridors, sizeof *L.listed)))) {
        err = corridor__oom();
        goto done;
    }
    load_section(&L, nodes, "nodes", COR_NODE);
    if (!L.r.oom)
        load_section(&L, edges, "edges", COR_EDGE);
    if (L.r.oom) {
        err = corridor__oom();
        goto done;
    }
    ctx->errors = L.r.errors;
    if (L.r.first_error)
        snprintf(ctx->first, sizeof ctx->first, "%s", L.r.first_error);
    if (m && !L.r.errors)
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
