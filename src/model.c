/* model.c: the in-memory model: names, lifetime, indexes, derived metrics, summary. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compiled.h"
#include "internal.h"
#include "schema.h"

/* ---------------------------------------------------------------- names */

const char *corridor_mode_name(corridor_mode m)
{
    return (unsigned)m < COR_NMODE ? corridor__modes.names[m] : "?";
}

const char *corridor_commodity_name(corridor_commodity c)
{
    if (c == CORRIDOR_CARRY_ANY)
        return "any";
    return (unsigned)c < COR_NCOM ? corridor__commodities.names[c] : "?";
}

const char *corridor_status_name(corridor_status s)
{
    return (unsigned)s < CORRIDOR_STATUS_COUNT ? corridor__statuses.names[s] : "?";
}

const char *corridor_kind_name(corridor_kind k)
{
    return (unsigned)k < CORRIDOR_KIND_COUNT ? corridor__kinds.names[k] : "?";
}

const char *corridor_metric_name(corridor_metric m)
{
    return (unsigned)m < COR_NMET ? corridor__metrics.names[m] : "?";
}

const char *corridor_metric_field(corridor_metric m)
{
    return (unsigned)m < COR_NMET ? corridor__metric_keys.names[m] : "?";
}

/* Index of name in v; CORRIDOR_EUSAGE listing the choices (command-line style) if none. */
static int parse_name(int *out, const char *name, const cor_vocab *v, const char *what)
{
    char list[256];
    int i = corridor__vocab_find(v, name);
    if (i >= 0) {
        *out = i;
        return 0;
    }
    return corridor__error(CORRIDOR_EUSAGE, "unknown %s \"%s\" (expected one of: %s)", what,
                           name ? name : "", corridor__vocab_list(list, sizeof list, v));
}

int corridor_mode_parse(corridor_mode *out, const char *name)
{
    int v = 0, err = parse_name(&v, name, &corridor__modes, "mode");
    if (!err)
        *out = (corridor_mode)v;
    return err;
}

int corridor_commodity_parse(corridor_commodity *out, const char *name)
{
    int v = 0, err = parse_name(&v, name, &corridor__commodities, "commodity");
    if (!err)
        *out = (corridor_commodity)v;
    return err;
}

int corridor_status_parse(corridor_status *out, const char *name)
{
    int v = 0, err = parse_name(&v, name, &corridor__statuses, "status");
    if (!err)
        *out = (corridor_status)v;
    return err;
}

int corridor_kind_parse(corridor_kind *out, const char *name)
{
    int v = 0, err = parse_name(&v, name, &corridor__kinds, "node kind");
    if (!err)
        *out = (corridor_kind)v;
    return err;
}

int corridor_metric_parse(corridor_metric *out, const char *name)
{
    int v = 0, err = parse_name(&v, name, &corridor__metrics, "metric");
    if (!err)
        *out = (corridor_metric)v;
    return err;
}

unsigned corridor__mode_default_carries(corridor_mode mode)
{
    switch (mode) {
    case CORRIDOR_MODE_RAIL:
    case CORRIDOR_MODE_ROAD:
    case CORRIDOR_MODE_SEA:
        return 1u << CORRIDOR_CARRY_FREIGHT;
    case CORRIDOR_MODE_POWER:
        return 1u << CORRIDOR_CARRY_POWER;
    case CORRIDOR_MODE_FIBER:
        return 1u << CORRIDOR_CARRY_DATA;
    default:
        return 0;
    }
}

/* ------------------------------------------------------------- lifetime */

corridor_model *corridor__model_new(void)
{
    corridor_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    for (size_t i = 0; i < COR_NMODE; i++)
        m->defaults[i].speed_kmh = m->defaults[i].cost_usd_per_km = m->defaults[i].co2_kg_per_km =
            NAN;
    for (size_t i = 0; i < COR_NMODE; i++)
        m->defaults[i].bpr_alpha = m->defaults[i].bpr_beta = NAN;
    corridor__map_init(&m->node_index);
    corridor__map_init(&m->edge_index);
    corridor__map_init(&m->country_index);
    corridor__map_init(&m->corridor_index);
    return m;
}

void corridor_model_free(corridor_model *m)
{
    if (!m)
        return;
    if (m->mapping_kind) { /* compiled: the parts live in the mapping */
        free(m->warnings);
        corridor__map_free(&m->node_index);
        corridor__map_free(&m->edge_index);
        corridor__map_free(&m->country_index);
        corridor__map_free(&m->corridor_index);
        corridor__cmp_release(m->mapping, m->mapping_len, m->mapping_kind == 1);
        free(m->mapping_name);
        free(m);
        return;
    }
    free(m->name);
    free(m->description);
    free(m->origin);
    for (size_t i = 0; i < COR_NCOM; i++)
        free(m->units[i]);
    for (size_t i = 0; i < m->n_countries; i++)
        corridor__fields_free(COR_COUNTRY, &m->countries[i]);
    free(m->countries);
    for (size_t i = 0; i < m->n_corridors; i++)
        corridor__fields_free(COR_CORRIDOR, &m->corridors[i]);
    free(m->corridors);
    for (size_t i = 0; i < m->n_nodes; i++)
        corridor__fields_free(COR_NODE, &m->nodes[i]);
    free(m->nodes);
    for (size_t i = 0; i < m->n_edges; i++)
        corridor__fields_free(COR_EDGE, &m->edges[i]);
    free(m->edges);
    for (size_t i = 0; i < m->n_warnings; i++)
        free(m->warnings[i]);
    free(m->warnings);
    corridor__map_free(&m->node_index);
    corridor__map_free(&m->edge_index);
    corridor__map_free(&m->country_index);
    corridor__map_free(&m->corridor_index);
    free(m);
}

void corridor__edge_derive(const corridor_model *m, cor_edge *e)
{
    const cor_defaults *d = &m->defaults[e->mode];
    /* distance: as given, else the geodesic length of the geometry, else unknown */
    double dist = (e->metric_given & (1u << CORRIDOR_BY_DISTANCE)) ? e->metric[CORRIDOR_BY_DISTANCE]
                  : e->geom_n >= 2 ? corridor__geometry_km(e->geom, e->geom_n)
                                   : NAN;
    e->metric[CORRIDOR_BY_DISTANCE] = dist;
    if (!(e->metric_given & (1u << CORRIDOR_BY_TIME)))
        e->metric[CORRIDOR_BY_TIME] =
            (isnan(dist) || isnan(d->speed_kmh) || d->speed_kmh <= 0) ? NAN : dist / d->speed_kmh;
    if (!(e->metric_given & (1u << CORRIDOR_BY_COST)))
        e->metric[CORRIDOR_BY_COST] =
            (isnan(dist) || isnan(d->cost_usd_per_km)) ? NAN : dist * d->cost_usd_per_km;
    if (!(e->metric_given & (1u << CORRIDOR_BY_CO2)))
        e->metric[CORRIDOR_BY_CO2] =
            (isnan(dist) || isnan(d->co2_kg_per_km)) ? NAN : dist * d->co2_kg_per_km;
}

void corridor__model_derive(corridor_model *m)
{
    for (size_t i = 0; i < m->n_edges; i++)
        corridor__edge_derive(m, &m->edges[i]);
}

int corridor__model_finish(corridor_model *m)
{
    corridor__map_free(&m->node_index);
    corridor__map_free(&m->edge_index);
    corridor__map_free(&m->country_index);
    corridor__map_free(&m->corridor_index);
    /* the sizes are known: no table grows on the way */
    if (corridor__map_reserve(&m->node_index, m->n_nodes) < 0 ||
        corridor__map_reserve(&m->edge_index, m->n_edges) < 0 ||
        corridor__map_reserve(&m->country_index, m->n_countries) < 0 ||
        corridor__map_reserve(&m->corridor_index, m->n_corridors) < 0)
        return corridor__oom();
    for (size_t i = 0; i < m->n_nodes; i++)
        if (corridor__map_put(&m->node_index, m->nodes[i].id, i) < 0)
            return corridor__oom();
    for (size_t i = 0; i < m->n_edges; i++)
        if (corridor__map_put(&m->edge_index, m->edges[i].id, i) < 0)
            return corridor__oom();
    for (size_t i = 0; i < m->n_countries; i++)
        if (corridor__map_put(&m->country_index, m->countries[i].code, i) < 0)
            return corridor__oom();
    for (size_t i = 0; i < m->n_corridors; i++)
        if (corridor__map_put(&m->corridor_index, m->corridors[i].id, i) < 0)
            return corridor__oom();
    corridor__model_derive(m);
    return 0;
}

#define DUP(field)                                                                                 \
    do {                                                                                           \
        if (src->field && !(dst->field = corridor__strdup(src->field)))                            \
            goto oom;                                                                              \
    } while (0)

/*
 * Copies n elements of a section: the bytes, then each row's owned data.
 * On ENOMEM *dst and *count still describe a freeable section (elements not
 * reached are zero, the one that failed holds copies or NULLs).
 */
static int clone_section(cor_elem kind, void **dst, size_t *count, const void *src, size_t n,
                         size_t size)
{
    if (!n)
        return 0;
    if (!(*dst = calloc(n, size)))
        return CORRIDOR_ENOMEM;
    *count = n;
    for (size_t i = 0; i < n; i++) {
        char *d = (char *)*dst + i * size;
        memcpy(d, (const char *)src + i * size, size);
        if (corridor__fields_copy(kind, d, (const char *)src + i * size) < 0)
            return CORRIDOR_ENOMEM;
    }
    return 0;
}

corridor_model *corridor__model_clone(const corridor_model *m)
{
    corridor_model *c = corridor__model_new();
    if (!c)
        return NULL;
    {
        const corridor_model *src = m;
        corridor_model *dst = c;
        DUP(name);
        DUP(description);
        DUP(origin);
        for (size_t i = 0; i < COR_NCOM; i++)
            DUP(units[i]);
    }
    memcpy(c->defaults, m->defaults, sizeof c->defaults);
    c->defaults_given = m->defaults_given;
    if (clone_section(COR_COUNTRY, (void **)&c->countries, &c->n_countries, m->countries,
                      m->n_countries, sizeof *m->countries) < 0 ||
        clone_section(COR_CORRIDOR, (void **)&c->corridors, &c->n_corridors, m->corridors,
                      m->n_corridors, sizeof *m->corridors) < 0 ||
        clone_section(COR_NODE, (void **)&c->nodes, &c->n_nodes, m->nodes, m->n_nodes,
                      sizeof *m->nodes) < 0 ||
        clone_section(COR_EDGE, (void **)&c->edges, &c->n_edges, m->edges, m->n_edges,
                      sizeof *m->edges) < 0)
        goto oom;
    if (m->n_warnings && !(c->warnings = calloc(m->n_warnings, sizeof *c->warnings)))
        goto oom;
    for (size_t i = 0; i < m->n_warnings; i++) {
        if (!(c->warnings[i] = corridor__strdup(m->warnings[i])))
            goto oom;
        c->n_warnings++;
    }
    if (corridor__model_finish(c) < 0)
        goto oom;
    return c;
oom:
    corridor_model_free(c);
    return NULL;
}

#undef DUP

/* -------------------------------------------------------------- lookups */

static long map_find(const cor_map *map, const char *key)
{
    size_t v;
    return corridor__map_get(map, key, &v) ? (long)v : -1;
}

long corridor__node_find(const corridor_model *m, const char *id)
{
    return map_find(&m->node_index, id);
}

long corridor__edge_find(const corridor_model *m, const char *id)
{
    return map_find(&m->edge_index, id);
}

long corridor__country_find(const corridor_model *m, const char *code)
{
    return map_find(&m->country_index, code);
}

long corridor__corridor_find(const corridor_model *m, const char *id)
{
    return map_find(&m->corridor_index, id);
}

const char *corridor_model_name(const corridor_model *m)
{
    return m->name ? m->name : "";
}

const char *corridor_model_description(const corridor_model *m)
{
    return m->description ? m->description : "";
}

const char *corridor_model_origin(const corridor_model *m)
{
    return m->origin ? m->origin : "";
}

const char *corridor_model_unit(const corridor_model *m, corridor_commodity c)
{
    if ((unsigned)c >= COR_NCOM)
        return "";
    return m->units[c] ? m->units[c] : corridor__commodity_units[c];
}

size_t corridor_model_node_count(const corridor_model *m)
{
    return m->n_nodes;
}

size_t corridor_model_edge_count(const corridor_model *m)
{
    return m->n_edges;
}

/* -------------------------------------------------------------- summary */

/* Appends the nonzero counts[i] (keys[i]) to *arr. */
static int add_counts(corridor_count **arr, size_t *n, const size_t *counts, size_t k,
                      const char *(*key)(const corridor_model *, size_t), const corridor_model *m)
{
    size_t nz = 0;
    for (size_t i = 0; i < k; i++)
        nz += counts[i] != 0;
    if (!nz)
        return 0;
    if (!(*arr = calloc(nz, sizeof **arr)))
        return corridor__oom();
    for (size_t i = 0; i < k; i++)
        if (counts[i]) {
            (*arr)[*n].key = key(m, i);
            (*arr)[(*n)++].count = counts[i];
        }
    return 0;
}

static const char *kind_key(const corridor_model *m, size_t i)
{
    (void)m;
    return corridor__kinds.names[i];
}

static const char *mode_key(const corridor_model *m, size_t i)
{
    (void)m;
    return corridor__modes.names[i];
}

static const char *status_key(const corridor_model *m, size_t i)
{
    (void)m;
    return corridor__statuses.names[i];
}

static const char *corridor_key(const corridor_model *m, size_t i)
{
    return m->corridors[i].id;
}

static const char *country_key(const corridor_model *m, size_t i)
{
    return m->countries[i].code;
}

static int count_cmp(const void *pa, const void *pb)
{
    const corridor_count *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->key, b->key);
}

int corridor_model_info(corridor_info **out, const corridor_model *m)
{
    int err = 0;
    corridor_info *info = calloc(1, sizeof *info);
    *out = NULL;
    if (!info)
        return corridor__oom();
    info->name = corridor_model_name(m);
    info->nodes = m->n_nodes;
    info->edges = m->n_edges;
    info->corridors = m->n_corridors;
    info->countries = m->n_countries;
    /* kinds, modes and statuses in their fixed order; corridors and countries by count */
    size_t kinds[CORRIDOR_KIND_COUNT] = {0}, modes[COR_NMODE] = {0},
           statuses[CORRIDOR_STATUS_COUNT] = {0};
    size_t *corr = calloc(m->n_corridors + 1, sizeof *corr);
    size_t *ctry = calloc(m->n_countries + 1, sizeof *ctry);
    if (!corr || !ctry) {
        free(corr);
        free(ctry);
        err = corridor__oom();
        goto done;
    }
    for (size_t i = 0; i < m->n_nodes; i++) {
        const cor_node *nd = &m->nodes[i];
        kinds[nd->kind]++;
        statuses[nd->status]++;
        if (nd->country >= 0)
            ctry[nd->country]++;
    }
    for (size_t i = 0; i < m->n_edges; i++) {
        const cor_edge *e = &m->edges[i];
        modes[e->mode]++;
        statuses[e->status]++;
        for (size_t c = 0; c < e->n_corridors; c++)
            corr[e->corridors[c]]++;
    }
    err = add_counts(&info->by_kind, &info->n_by_kind, kinds, CORRIDOR_KIND_COUNT, kind_key, m);
    if (!err)
        err = add_counts(&info->by_mode, &info->n_by_mode, modes, COR_NMODE, mode_key, m);
    if (!err)
        err = add_counts(&info->by_corridor, &info->n_by_corridor, corr, m->n_corridors,
                         corridor_key, m);
    if (!err)
        err = add_counts(&info->by_country, &info->n_by_country, ctry, m->n_countries, country_key,
                         m);
    if (!err)
        err = add_counts(&info->by_status, &info->n_by_status, statuses, CORRIDOR_STATUS_COUNT,
                         status_key, m);
    free(corr);
    free(ctry);
    if (err < 0)
        goto done;
    if (info->n_by_corridor)
        qsort(info->by_corridor, info->n_by_corridor, sizeof *info->by_corridor, count_cmp);
    if (info->n_by_country)
        qsort(info->by_country, info->n_by_country, sizeof *info->by_country, count_cmp);
    if (m->n_warnings) {
        info->warnings = malloc(m->n_warnings * sizeof *info->warnings);
        if (!info->warnings) {
            err = corridor__oom();
            goto done;
        }
        for (size_t i = 0; i < m->n_warnings; i++)
            info->warnings[i] = m->warnings[i];
        info->n_warnings = m->n_warnings;
    }
done:
    if (err < 0) {
        corridor_info_free(info);
        return err;
    }
    *out = info;
    return 0;
}

void corridor_info_free(corridor_info *info)
{
    if (!info)
        return;
    free(info->by_kind);
    free(info->by_mode);
    free(info->by_corridor);
    free(info->by_country);
    free(info->by_status);
    free(info->warnings);
    free(info);
}
