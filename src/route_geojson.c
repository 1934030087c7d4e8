/* route_geojson.c: route options as GeoJSON, one Feature (MultiLineString) per option. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "export_ogr.h"
#include "internal.h"

static cJSON *string_list(const char *const *items, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++) {
        cJSON *s = cJSON_CreateString(items[i]);
        if (!s || !cJSON_AddItemToArray(a, s)) {
            cJSON_Delete(s);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

/* One hop's line in travel direction, as a JSON array of [lon, lat]; NULL if it has none. */
static cJSON *hop_line(const corridor_model *m, const corridor_hop *h, int *oom)
{
    long e = corridor__edge_find(m, h->edge);
    double *p = NULL;
    size_t n = e >= 0 ? corridor__edge_line(m, (size_t)e, &p) : 0;
    cJSON *line = NULL;
    if (n < 2) {
        free(p);
        return NULL;
    }
    int reverse = strcmp(m->nodes[m->edges[e].from].id, h->from) != 0;
    if (!(line = cJSON_CreateArray()))
        goto oom;
    for (size_t k = 0; k < n; k++) {
        size_t j = reverse ? n - 1 - k : k;
        double xy[2] = {p[2 * j], p[2 * j + 1]};
        cJSON *pt = cJSON_CreateDoubleArray(xy, 2);
        if (!pt || !cJSON_AddItemToArray(line, pt)) {
            cJSON_Delete(pt);
            goto oom;
        }
    }
    free(p);
    return line;
oom:
    free(p);
    cJSON_Delete(line);
    *oom = 1;
    return NULL;
}

static int add_metric(cJSON *o, const char *key, double v)
{
    return isfinite(v) ? cJSON_AddNumberToObject(o, key, v) != NULL
                       : cJSON_AddNullToObject(o, key) != NULL;
}

cJSON *corridor__route_feature(const corridor_model *m, const corridor_routes *rs,
                               const corridor_route *r)
{
    cJSON *f = cJSON_CreateObject(), *g = NULL, *lines = NULL, *props = NULL;
    int oom = 0;
    if (!f || !cJSON_AddStringToObject(f, "type", "Feature") ||
        !(g = cJSON_AddObjectToObject(f, "geometry")) ||
        !cJSON_AddStringToObject(g, "type", "MultiLineString") ||
        !(lines = cJSON_AddArrayToObject(g, "coordinates")))
        goto fail;
    for (size_t i = 0; i < r->n_edges; i++) {
        cJSON *line = hop_line(m, &r->hops[i], &oom);
        if (oom)
            goto fail;
        if (line && !cJSON_AddItemToArray(lines, line)) {
            cJSON_Delete(line);
            goto fail;
        }
    }
    if (!(props = cJSON_AddObjectToObject(f, "properties")) ||
        !cJSON_AddNumberToObject(props, "rank", (double)r->rank) ||
        !cJSON_AddStringToObject(props, "from", rs->from) ||
        !cJSON_AddStringToObject(props, "to", rs->to) ||
        !cJSON_AddStringToObject(props, "by", corridor_metric_name(rs->by)) ||
        !cJSON_AddStringToObject(props, "carry", corridor_commodity_name(rs->carry)))
        goto fail;
    for (int k = 0; k < CORRIDOR_METRIC_COUNT; k++)
        if (!add_metric(props, corridor_metric_field((corridor_metric)k), r->metric[k]))
            goto fail;
    const char **edges = malloc((r->n_edges + 1) * sizeof *edges);
    if (!edges)
        goto fail;
    for (size_t i = 0; i < r->n_edges; i++)
        edges[i] = r->hops[i].edge;
    cJSON *a = string_list(r->nodes, r->n_nodes), *b = string_list(edges, r->n_edges);
    cJSON *c = string_list(r->countries, r->n_countries);
    cJSON *d = string_list(r->corridors, r->n_corridors);
    free(edges);
    int ok = a && b && c && d;
    if (ok) {
        cJSON_AddItemToObject(props, "nodes", a);
        cJSON_AddItemToObject(props, "edges", b);
        cJSON_AddItemToObject(props, "countries", c);
        cJSON_AddItemToObject(props, "corridors", d);
    } else {
        cJSON_Delete(a);
        cJSON_Delete(b);
        cJSON_Delete(c);
        cJSON_Delete(d);
        goto fail;
    }
    if (!cJSON_AddNumberToObject(props, "borders", (double)r->borders) ||
        !cJSON_AddNumberToObject(props, "transfers", (double)r->n_transfers))
        goto fail;
    return f;
fail:
    cJSON_Delete(f);
    return NULL;
}

int corridor_routes_geojson(char **out, const corridor_model *m, const corridor_routes *rs)
{
    cJSON *doc = cJSON_CreateObject(), *feats = NULL;
    *out = NULL;
    if (!doc || !cJSON_AddStringToObject(doc, "type", "FeatureCollection") ||
        !(feats = cJSON_AddArrayToObject(doc, "features")))
        goto fail;
    for (size_t i = 0; i < rs->n; i++) {
        cJSON *f = corridor__route_feature(m, rs, &rs->routes[i]);
        if (!f || !cJSON_AddItemToArray(feats, f)) {
            cJSON_Delete(f);
            goto fail;
        }
    }
    if (!(*out = cJSON_PrintUnformatted(doc)))
        goto fail;
    cJSON_Delete(doc);
    return 0;
fail:
    cJSON_Delete(doc);
    return corridor__oom();
}
