/* import.c: networks from GIS sources (any OGR vector format, OpenStreetMap) into a model. */
/*
 * How it works
 *
 * 1. Every source is opened with GDAL (GDALOpenEx, vector only) and read
 *    feature by feature with GDALDatasetGetNextFeature, which also serves
 *    OpenStreetMap files in the interleaved order GDAL's OSM driver needs.
 *    Coordinates are transformed to WGS 84 longitude/latitude through PROJ
 *    (OCTNewCoordinateTransformation, traditional GIS axis order) when the
 *    layer has another reference system.
 * 2. Points become node candidates, lines (each part of a MultiLineString)
 *    line pieces. Each element's fields are made by the mapping (imp_map.c):
 *    an attribute named like a model field or export column goes to that
 *    field; `--map` renames attributes, maps values and applies factors;
 *    everything else goes under `attrs` or is dropped with one warning.
 * 3. With chain merging (the OSM mappings), pieces are first split at every
 *    vertex where the network branches (a vertex shared by more than one
 *    piece or piece end, or a place node within the snap distance of a
 *    vertex), and then pieces that meet end to end at a vertex that is not a
 *    place and carry equal fields are joined: the model gets one edge per
 *    stretch between places, with the whole shape as its geometry. A vertex
 *    where two joined pieces' fields differ (a break of gauge) becomes a
 *    junction.
 * 4. Each piece end is attached to the node named by its `from`/`to`
 *    attributes if it has them, else to the nearest node within the snap
 *    distance (a grid index over the nodes), else to a junction within the
 *    snap distance, else to a new junction. Geometry ends are then set to
 *    the nodes' coordinates exactly, as the model requires.
 * 5. A node without a country gets the one whose polygon contains it (the
 *    Natural Earth country polygons, through OGR_G_Contains).
 * 6. The result is a model document that goes through the ordinary loader:
 *    whatever the loader rejects is reported against the feature it came
 *    from, and nothing is written.
 *
 * Limits: at most opts->max_points vertices in all (default 50 million;
 * beyond it the import stops with a located error instead of exhausting
 * memory).
 */
#define _POSIX_C_SOURCE     200809L
#define _LARGEFILE64_SOURCE 1 /* GDAL's VSIStatBufL is a struct stat64 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include "gis_dl.h"

#include "import_internal.h"
#include "internal.h"

/* ------------------------------------------------------------- elements */

typedef struct imp_node {
    cJSON *obj; /* the node's fields (owned until emitted) */
    double lon, lat;
    char *origin; /* "SRC: layer "L" feature F" */
    int junction;
    int emitted; /* obj now belongs to the model document */
} imp_node;

typedef struct imp_piece {
    cJSON *obj;  /* mapped fields without from/to/geometry */
    double *pts; /* lon, lat pairs */
    size_t n;
    char *origin;
    char *from_id, *to_id; /* from the attributes, or NULL */
    long from, to;         /* node indices once attached */
    int dead;              /* merged into another piece */
} imp_piece;

typedef struct imp_state {
    const corridor_import_opts *opts;
    imp_mapping *map;
    corridor_diags *diags;
    corridor_import_summary *sum;
    imp_node *nodes;
    size_t n_nodes, cap_nodes;
    imp_piece *pieces;
    size_t n_pieces, cap_pieces;
    size_t points_total;
    size_t junction_seq;
    cor_map node_ids;          /* id -> index */
    unsigned char *layer_seen; /* per --layer: some source has it */
} imp_state;

static char *origin_of(const char *src, const char *layer, long long fid)
{
    return corridor__asprintf("%s: layer \"%s\" feature %lld", src, layer, fid);
}

static int push_node(imp_state *st, cJSON *obj, double lon, double lat, char *origin, int junction)
{
    if (st->n_nodes == st->cap_nodes) {
        size_t cap = st->cap_nodes ? st->cap_nodes * 2 : 256;
        imp_node *n = realloc(st->nodes, cap * sizeof *n);
        if (!n)
            return corridor__oom();
        st->nodes = n;
        st->cap_nodes = cap;
    }
    st->nodes[st->n_nodes++] = (imp_node){obj, lon, lat, origin, junction, 0};
    return 0;
}

static int push_piece(imp_state *st, const imp_piece *p)
{
    if (st->n_pieces == st->cap_pieces) {
        size_t cap = st->cap_pieces ? st->cap_pieces * 2 : 256;
        imp_piece *n = realloc(st->pieces, cap * sizeof *n);
        if (!n)
            return corridor__oom();
        st->pieces = n;
        st->cap_pieces = cap;
    }
    st->pieces[st->n_pieces++] = *p;
    return 0;
}

static void state_free(imp_state *st)
{
    for (size_t i = 0; i < st->n_nodes; i++) {
        if (!st->nodes[i].emitted)
            cJSON_Delete(st->nodes[i].obj);
        free(st->nodes[i].origin);
    }
    for (size_t i = 0; i < st->n_pieces; i++) {
        cJSON_Delete(st->pieces[i].obj);
        free(st->pieces[i].pts);
        free(st->pieces[i].origin);
        free(st->pieces[i].from_id);
        free(st->pieces[i].to_id);
    }
    free(st->nodes);
    free(st->pieces);
    free(st->layer_seen);
    corridor__map_free(&st->node_ids);
}

/* ------------------------------------------------------------ geometry */

/*
 * Grid over points, cells of `cell` degrees, for "nearest within d km".
 * Points are inserted one by one (index i, coordinates in xs/ys owned by the
 * caller); the slot table is sized once for the most points it will hold.
 */
typedef struct imp_grid {
    double cell;
    int64_t *keys;
    long *head; /* per slot: first point, -1 */
    long *next; /* per point */
    size_t slots, cap;
    const double *xs, *ys;
} imp_grid;

static int64_t grid_key(long ix, long iy)
{
    return (int64_t)(((uint64_t)(uint32_t)ix << 32) | (uint32_t)iy); /* no shift of a negative */
}

static size_t grid_slot(const imp_grid *g, int64_t key)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & (g->slots - 1);
}

static int grid_init(imp_grid *g, double km, size_t max_points, const double *xs, const double *ys)
{
    memset(g, 0, sizeof *g);
    g->cell = km > 0.05 ? km / 111.0 : 0.05 / 111.0;
    g->slots = 1024;
    while (g->slots < max_points * 2)
        g->slots *= 2;
    g->cap = max_points ? max_points : 1;
    g->xs = xs;
    g->ys = ys;
    g->keys = malloc(g->slots * sizeof *g->keys);
    g->head = malloc(g->slots * sizeof *g->head);
    g->next = malloc(g->cap * sizeof *g->next);
    if (!g->keys || !g->head || !g->next)
        return corridor__oom();
    for (size_t s = 0; s < g->slots; s++)
        g->head[s] = -1;
    return 0;
}

/* Inserts point i (i < the size given to grid_init; xs/ys must hold it). */
static void grid_insert(imp_grid *g, size_t i)
{
    long ix = (long)floor(g->xs[i] / g->cell), iy = (long)floor(g->ys[i] / g->cell);
    int64_t k = grid_key(ix, iy);
    size_t s = grid_slot(g, k);
    while (g->head[s] != -1 && g->keys[s] != k)
        s = (s + 1) & (g->slots - 1);
    g->keys[s] = k;
    g->next[i] = g->head[s];
    g->head[s] = (long)i;
}

static void grid_free(imp_grid *g)
{
    free(g->keys);
    free(g->head);
    free(g->next);
}

static long grid_first(const imp_grid *g, long ix, long iy)
{
    int64_t k = grid_key(ix, iy);
    size_t s = grid_slot(g, k);
    while (g->head[s] != -1) {
        if (g->keys[s] == k)
            return g->head[s];
        s = (s + 1) & (g->slots - 1);
    }
    return -1;
}

/* Nearest point within `km` of (qlon, qlat) by geodesic distance (ties: lowest index); -1 if none.
 */
static long grid_nearest(const imp_grid *g, double qlon, double qlat, double km, double *dist)
{
    double dlat = km / 111.0;
    double c = cos(qlat * M_PI / 180.0);
    double dlon = c > 0.01 ? dlat / c : 360.0;
    long ry = (long)ceil(dlat / g->cell), rx = (long)ceil(dlon / g->cell);
    if (rx > 400)
        rx = 400;
    long cx = (long)floor(qlon / g->cell), cy = (long)floor(qlat / g->cell);
    long best = -1;
    double bd = km;
    for (long y = cy - ry; y <= cy + ry; y++)
        for (long x = cx - rx; x <= cx + rx; x++)
            for (long i = grid_first(g, x, y); i != -1; i = g->next[i]) {
                double d = corridor__haversine_km(qlat, qlon, g->ys[i], g->xs[i]);
                if (d < bd || (d == bd && (best == -1 || i < best))) {
                    bd = d;
                    best = i;
                }
            }
    if (dist)
        *dist = bd;
    return best;
}

/* ------------------------------------------------------------- reading */

/* Transformation of a layer to WGS 84 lon/lat, or NULL when none is needed. */
static OGRCoordinateTransformationH layer_transform(OGRLayerH layer, int *failed)
{
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(layer), dst = NULL;
    OGRCoordinateTransformationH ct = NULL;
    *failed = 0;
    if (!src)
        return NULL;
    dst = OSRNewSpatialReference(NULL);
    if (!dst || OSRImportFromEPSG(dst, 4326) != OGRERR_NONE) {
        *failed = 1;
        goto done;
    }
    OSRSetAxisMappingStrategy(dst, OAMS_TRADITIONAL_GIS_ORDER);
    if (OSRIsSame(src, dst) && OSRGetAxisMappingStrategy(src) == OAMS_TRADITIONAL_GIS_ORDER)
        goto done;
    {
        OGRSpatialReferenceH s2 = OSRClone(src);
        if (!s2) {
            *failed = 1;
            goto done;
        }
        OSRSetAxisMappingStrategy(s2, OAMS_TRADITIONAL_GIS_ORDER);
        ct = OCTNewCoordinateTransformation(s2, dst);
        OSRDestroySpatialReference(s2);
        if (!ct)
            *failed = 1;
    }
done:
    if (dst)
        OSRDestroySpatialReference(dst);
    return ct;
}

/* Appends the points of a simple line geometry to *pts; checks ranges. */
static int line_points(imp_state *st, OGRGeometryH g, double **pts, size_t *n, const char *origin)
{
    int np = OGR_G_GetPointCount(g);
    if (np < 2) {
        corridor__diag(st->diags, 0, origin, "geometry", "a line needs at least two points, got %d",
                       np);
        return CORRIDOR_EINVALID;
    }
    if (st->points_total + (size_t)np > st->opts->max_points) {
        corridor__diag(st->diags, 0, origin, "geometry",
                       "more than %zu points in all: too large to import (split the source, or "
                       "select layers with --layer)",
                       st->opts->max_points);
        return CORRIDOR_EINVALID;
    }
    double *p = malloc((size_t)np * 2 * sizeof *p);
    if (!p)
        return corridor__oom();
    for (int i = 0; i < np; i++) {
        p[2 * i] = OGR_G_GetX(g, i);
        p[2 * i + 1] = OGR_G_GetY(g, i);
        if (!isfinite(p[2 * i]) || !isfinite(p[2 * i + 1]) || fabs(p[2 * i]) > 180 ||
            fabs(p[2 * i + 1]) > 90) {
            corridor__diag(st->diags, 0, origin, "geometry",
                           "point %d (%g, %g) is not a longitude/latitude (give the layer a "
                           "coordinate reference system)",
                           i, p[2 * i], p[2 * i + 1]);
            free(p);
            return CORRIDOR_EINVALID;
        }
    }
    st->points_total += (size_t)np;
    *pts = p;
    *n = (size_t)np;
    return 0;
}

static const char *geom_name(OGRwkbGeometryType t)
{
    const char *s = OGRGeometryTypeToName(t);
    return s ? s : "unknown geometry";
}

static int add_point(imp_state *st, OGRGeometryH g, OGRFeatureH f, const char *layer, char *origin)
{
    double lon = OGR_G_GetX(g, 0), lat = OGR_G_GetY(g, 0);
    cJSON *obj = NULL;
    int err;
    if (!isfinite(lon) || !isfinite(lat) || fabs(lon) > 180 || fabs(lat) > 90) {
        corridor__diag(st->diags, 0, origin, "geometry",
                       "(%g, %g) is not a longitude/latitude (give the layer a coordinate "
                       "reference system)",
                       lon, lat);
        free(origin);
        return CORRIDOR_EINVALID;
    }
    st->points_total++;
    if ((err = corridor__imp_map_feature(&obj, st->map, 0, f, layer, origin, st->diags, st->sum)) <
        0) {
        free(origin);
        return err;
    }
    if (!obj) { /* filtered out by the mapping */
        free(origin);
        return 0;
    }
    return push_node(st, obj, lon, lat, origin, 0);
}

static int add_line(imp_state *st, OGRGeometryH g, OGRFeatureH f, const char *layer, char *origin,
                    int part)
{
    imp_piece p = {0};
    int err;
    p.origin = origin;
    p.from = p.to = -1;
    if ((err = line_points(st, g, &p.pts, &p.n, origin)) < 0)
        goto fail;
    if ((err = corridor__imp_map_feature(&p.obj, st->map, 1, f, layer, origin, st->diags,
                                         st->sum)) < 0)
        goto fail;
    if (!p.obj) {
        err = 0;
        goto fail;
    }
    cJSON *from = cJSON_DetachItemFromObjectCaseSensitive(p.obj, "from");
    cJSON *to = cJSON_DetachItemFromObjectCaseSensitive(p.obj, "to");
    if (cJSON_IsString(from))
        p.from_id = corridor__strdup(from->valuestring);
    if (cJSON_IsString(to))
        p.to_id = corridor__strdup(to->valuestring);
    cJSON_Delete(from);
    cJSON_Delete(to);
    cJSON_DeleteItemFromObjectCaseSensitive(p.obj, "geometry");
    if (part > 0) {
        /* one id per part of a MultiLineString */
        cJSON *id = cJSON_GetObjectItemCaseSensitive(p.obj, "id");
        if (cJSON_IsString(id)) {
            char *nid = corridor__asprintf("%s-%d", id->valuestring, part + 1);
            if (!nid ||
                !cJSON_ReplaceItemInObjectCaseSensitive(p.obj, "id", cJSON_CreateString(nid))) {
                free(nid);
                err = corridor__oom();
                goto fail;
            }
            free(nid);
        }
    }
    if ((err = push_piece(st, &p)) < 0)
        goto fail;
    return 0;
fail:
    cJSON_Delete(p.obj);
    free(p.pts);
    free(p.from_id);
    free(p.to_id);
    free(origin);
    return err;
}

/* A number field of an element, or NAN. */
static double obj_num(const cJSON *obj, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

/*
 * A feature without geometry (a CSV row, a GraphML element): an edge if its
 * attributes name both ends (from, to), else a node, placed by its lat/lon
 * attributes if it has them.
 */
static int add_unplaced(imp_state *st, OGRFeatureH f, const char *layer, char *origin)
{
    cJSON *obj = NULL;
    int err = corridor__imp_map_feature(&obj, st->map, 1, f, layer, origin, st->diags, st->sum);
    if (err == 0 && obj && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(obj, "from")) &&
        cJSON_IsString(cJSON_GetObjectItemCaseSensitive(obj, "to"))) {
        imp_piece p = {0};
        cJSON *from = cJSON_DetachItemFromObjectCaseSensitive(obj, "from");
        cJSON *to = cJSON_DetachItemFromObjectCaseSensitive(obj, "to");
        p.obj = obj;
        p.origin = origin;
        p.from = p.to = -1;
        p.from_id = corridor__strdup(from->valuestring);
        p.to_id = corridor__strdup(to->valuestring);
        cJSON_Delete(from);
        cJSON_Delete(to);
        cJSON_DeleteItemFromObjectCaseSensitive(obj, "geometry");
        if (!p.from_id || !p.to_id || (err = push_piece(st, &p)) < 0) {
            free(p.from_id);
            free(p.to_id);
            cJSON_Delete(obj);
            free(origin);
            return err < 0 ? err : corridor__oom();
        }
        return 0;
    }
    cJSON_Delete(obj);
    obj = NULL;
    if (err < 0) {
        free(origin);
        return err;
    }
    if ((err = corridor__imp_map_feature(&obj, st->map, 0, f, layer, origin, st->diags, st->sum)) <
            0 ||
        !obj) {
        free(origin);
        return err;
    }
    double lat = obj_num(obj, "lat"), lon = obj_num(obj, "lon");
    if (!isfinite(lat) || !isfinite(lon) || fabs(lat) > 90 || fabs(lon) > 180)
        lat = lon = NAN; /* the loader reports out-of-range values */
    return push_node(st, obj, lon, lat, origin, 0);
}

/* One feature: points to nodes, lines to pieces, anything else an error. */
static int add_feature(imp_state *st, OGRFeatureH f, const char *src, const char *layer)
{
    long long fid = (long long)OGR_F_GetFID(f);
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    char *origin = origin_of(src, layer, fid);
    if (!origin)
        return corridor__oom();
    if (!g || OGR_G_IsEmpty(g)) {
        st->sum->features++;
        return add_unplaced(st, f, layer, origin);
    }
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    st->sum->features++;
    switch (t) {
    case wkbPoint:
        return add_point(st, g, f, layer, origin);
    case wkbLineString:
        return add_line(st, g, f, layer, origin, 0);
    case wkbMultiLineString: {
        int n = OGR_G_GetGeometryCount(g), err = 0;
        for (int i = 0; i < n && err == 0; i++) {
            char *o = i == 0 ? origin : corridor__asprintf("%s part %d", origin, i + 1);
            if (!o)
                return corridor__oom();
            err = add_line(st, OGR_G_GetGeometryRef(g, i), f, layer, o, i);
        }
        if (n == 0)
            free(origin);
        return err;
    }
    default:
        corridor__diag(st->diags, 0, origin, "geometry", "is a %s, expected a point or a line",
                       geom_name(t));
        free(origin);
        return CORRIDOR_EINVALID;
    }
}

/* Whether a layer is to be read (the --layer list and the mapping's layers). */
static int layer_wanted(const imp_state *st, const char *name, int is_osm)
{
    if (st->opts->n_layers > 0) {
        for (size_t i = 0; i < st->opts->n_layers; i++)
            if (strcmp(st->opts->layers[i], name) == 0)
                return 1;
        return 0;
    }
    if (corridor__imp_map_names_layer(st->map, name) >= 0)
        return corridor__imp_map_names_layer(st->map, name);
    if (is_osm) /* relations are not network elements */
        return strcmp(name, "points") == 0 || strcmp(name, "lines") == 0;
    return 1;
}

/* Every --layer must name a layer of at least one source. */
static int check_layers_seen(imp_state *st, const char *first_src)
{
    int err = 0;
    for (size_t i = 0; i < st->opts->n_layers; i++) {
        if (!st->layer_seen[i]) {
            corridor__diag(st->diags, 0, first_src, "--layer",
                           "no source has a layer \"%s\" (ogrinfo SOURCE lists the layers)",
                           st->opts->layers[i]);
            err = CORRIDOR_EINVALID;
        }
    }
    return err;
}

static int read_source(imp_state *st, const char *src)
{
    VSIStatBufL sb; /* GDAL's stat: also /vsizip/, /vsimem/, /vsicurl/ paths */
    int err = 0, is_osm;
    GDALDatasetH ds = NULL;
    if (VSIStatL(src, &sb) != 0)
        return corridor__error(CORRIDOR_EIO, "%s: %s", src, strerror(errno));
    if (VSI_ISDIR(sb.st_mode) && !corridor__imp_is_dir_source(src))
        return corridor__error(CORRIDOR_EIO, "%s: is a directory", src);
    size_t sl = strlen(src);
    if (sl > 8 && strcasecmp(src + sl - 8, ".graphml") == 0) {
        if ((err = corridor__graphml_dataset(&ds, src, st->diags)) < 0)
            return err;
    } else {
        ds = GDALOpenEx(src, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    }
    if (!ds) {
        const char *m = CPLGetLastErrorMsg();
        corridor__diag(st->diags, 0, src, "source",
                       "not a vector source GDAL can read%s%s (see 'corridor export --formats')",
                       m && *m ? ": " : "", m && *m ? m : "");
        return CORRIDOR_EINVALID;
    }
    GDALDriverH drv = GDALGetDatasetDriver(ds);
    is_osm = drv && strcmp(GDALGetDriverShortName(drv), "OSM") == 0;
    st->sum->sources++;
    for (int l = 0; l < GDALDatasetGetLayerCount(ds); l++) {
        OGRLayerH layer = GDALDatasetGetLayer(ds, l);
        if (layer_wanted(st, OGR_L_GetName(layer), is_osm))
            st->sum->layers++;
        for (size_t i = 0; i < st->opts->n_layers; i++)
            if (strcmp(st->opts->layers[i], OGR_L_GetName(layer)) == 0)
                st->layer_seen[i] = 1;
    }
    GDALDatasetResetReading(ds);
    OGRLayerH cur = NULL;
    OGRCoordinateTransformationH ct = NULL;
    int wanted = 0;
    for (;;) {
        OGRLayerH layer = NULL;
        OGRFeatureH f = GDALDatasetGetNextFeature(ds, &layer, NULL, NULL, NULL);
        if (!f)
            break;
        if (layer != cur) {
            int failed;
            if (ct)
                OCTDestroyCoordinateTransformation(ct);
            ct = NULL;
            cur = layer;
            wanted = layer_wanted(st, OGR_L_GetName(layer), is_osm);
            if (wanted) {
                ct = layer_transform(layer, &failed);
                if (failed) {
                    corridor__diag(st->diags, 0, src, OGR_L_GetName(layer),
                                   "its coordinate reference system cannot be transformed to "
                                   "WGS 84: %s",
                                   CPLGetLastErrorMsg());
                    err = CORRIDOR_EINVALID;
                    OGR_F_Destroy(f);
                    break;
                }
            }
        }
        if (wanted) {
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            if (g && ct && OGR_G_Transform(g, ct) != OGRERR_NONE) {
                corridor__diag(st->diags, 0, src, OGR_L_GetName(layer),
                               "feature %lld: cannot transform to WGS 84",
                               (long long)OGR_F_GetFID(f));
                err = CORRIDOR_EINVALID;
            } else {
                int e = add_feature(st, f, src, OGR_L_GetName(layer));
                if (e < 0 && e != CORRIDOR_EINVALID)
                    err = e;
                else if (e < 0 && err == 0)
                    err = e;
                if (corridor_diags_errors(st->diags) >= 200 && err == 0)
                    err = CORRIDOR_EINVALID;
            }
        }
        OGR_F_Destroy(f);
        if (err < 0 && err != CORRIDOR_EINVALID)
            break;
        if (corridor_diags_errors(st->diags) >= 200)
            break;
    }
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    GDALClose(ds);
    return err;
}

/* -------------------------------------------------------------- node ids */

static const char *node_id(const imp_node *n)
{
    cJSON *id = cJSON_GetObjectItemCaseSensitive(n->obj, "id");
    return cJSON_IsString(id) ? id->valuestring : NULL;
}

/* Gives every node an id (its own, or "node-N") and indexes them; duplicates are errors. */
static int index_nodes(imp_state *st)
{
    int err = 0;
    if (corridor__map_reserve(&st->node_ids, st->n_nodes + 2 * st->n_pieces + 16) < 0)
        return corridor__oom();
    for (size_t i = 0; i < st->n_nodes; i++) {
        imp_node *n = &st->nodes[i];
        if (!node_id(n)) {
            char buf[40];
            snprintf(buf, sizeof buf, "node-%zu", i + 1);
            cJSON_DeleteItemFromObjectCaseSensitive(n->obj, "id");
            if (!cJSON_AddStringToObject(n->obj, "id", buf))
                return corridor__oom();
        }
        int r = corridor__map_put(&st->node_ids, node_id(n), i);
        if (r < 0)
            return corridor__oom();
        if (r == 0) {
            size_t first = 0;
            corridor__map_get(&st->node_ids, node_id(n), &first);
            corridor__diag(st->diags, 0, n->origin, "id",
                           "duplicate node id \"%s\" (also %s); give each point its own id",
                           node_id(n), st->nodes[first].origin);
            err = CORRIDOR_EINVALID;
        }
    }
    return err;
}

/* A new junction node at (lon, lat); returns its index or < 0. */
static long new_junction(imp_state *st, double lon, double lat, const char *origin)
{
    char id[48];
    size_t dummy;
    do
        snprintf(id, sizeof id, "junction-%zu", ++st->junction_seq);
    while (corridor__map_get(&st->node_ids, id, &dummy));
    cJSON *obj = cJSON_CreateObject();
    char *o = corridor__asprintf("%s (junction)", origin);
    if (!obj || !o || !cJSON_AddStringToObject(obj, "id", id) ||
        !cJSON_AddStringToObject(obj, "kind", "junction")) {
        cJSON_Delete(obj);
        free(o);
        return corridor__oom();
    }
    if (push_node(st, obj, lon, lat, o, 1) < 0) {
        cJSON_Delete(obj);
        free(o);
        return corridor__oom();
    }
    if (corridor__map_put(&st->node_ids, node_id(&st->nodes[st->n_nodes - 1]), st->n_nodes - 1) < 0)
        return corridor__oom();
    st->sum->junctions++;
    return (long)(st->n_nodes - 1);
}

/* --------------------------------------------------------- chain merging */

/* Vertex key: coordinates rounded to 1e-7 degree (OpenStreetMap's precision). */
typedef struct vkey {
    int64_t x, y;
} vkey;

static vkey vkey_of(double lon, double lat)
{
    return (vkey){(int64_t)llround(lon * 1e7), (int64_t)llround(lat * 1e7)};
}

/* Open-addressing table vertex -> (degree, place node, incident piece ends). */
typedef struct vinfo {
    vkey k;
    int used;
    int degree;        /* ends count 1, interior vertices 2 */
    long place;        /* node index bound to the vertex, -1 */
    long end_piece[2]; /* the first two piece ends at the vertex */
    int end_which[2];  /* 0 start, 1 end */
    int n_ends;
} vinfo;

typedef struct vtable {
    vinfo *v;
    size_t slots;
} vtable;

static vinfo *vt_get(vtable *t, vkey k, int create)
{
    uint64_t h = ((uint64_t)k.x * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)k.y * 0xC2B2AE3D27D4EB4Full);
    size_t s = (size_t)(h >> 13) & (t->slots - 1);
    while (t->v[s].used) {
        if (t->v[s].k.x == k.x && t->v[s].k.y == k.y)
            return &t->v[s];
        s = (s + 1) & (t->slots - 1);
    }
    if (!create)
        return NULL;
    t->v[s] = (vinfo){k, 1, 0, -1, {-1, -1}, {0, 0}, 0};
    return &t->v[s];
}

static void vt_note_end(vinfo *v, long piece, int which)
{
    if (v->n_ends < 2) {
        v->end_piece[v->n_ends] = piece;
        v->end_which[v->n_ends] = which;
    }
    v->n_ends++;
}

static int fields_equal(const cJSON *a, const cJSON *b)
{
    /* equal mapped fields, ignoring the element's own id, name and source */
    const cJSON *x;
    cJSON_ArrayForEach(x, a)
    {
        if (!strcmp(x->string, "id") || !strcmp(x->string, "name") ||
            !strcmp(x->string, "source") || !strcmp(x->string, "attrs"))
            continue;
        const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
        if (!y || !cJSON_Compare(x, y, 1))
            return 0;
    }
    cJSON_ArrayForEach(x, b)
    {
        if (!strcmp(x->string, "id") || !strcmp(x->string, "name") ||
            !strcmp(x->string, "source") || !strcmp(x->string, "attrs"))
            continue;
        if (!cJSON_GetObjectItemCaseSensitive(a, x->string))
            return 0;
    }
    return 1;
}

/* Splits piece p at interior vertex j (0 < j < n-1): p keeps [0..j], a new piece gets [j..]. */
static int split_piece(imp_state *st, size_t p, size_t j)
{
    imp_piece np = {0};
    imp_piece *old = &st->pieces[p];
    np.n = old->n - j;
    np.pts = malloc(np.n * 2 * sizeof *np.pts);
    np.obj = cJSON_Duplicate(old->obj, 1);
    np.origin = corridor__strdup(old->origin);
    np.to_id = old->to_id;
    np.from = np.to = -1;
    if (!np.pts || !np.obj || !np.origin) {
        free(np.pts);
        cJSON_Delete(np.obj);
        free(np.origin);
        return corridor__oom();
    }
    memcpy(np.pts, old->pts + 2 * j, np.n * 2 * sizeof *np.pts);
    old->to_id = NULL;
    old->n = j + 1;
    if (push_piece(st, &np) < 0) {
        st->pieces[p].to_id = np.to_id;
        free(np.pts);
        cJSON_Delete(np.obj);
        free(np.origin);
        return corridor__oom();
    }
    return 0;
}

/* Reverses a piece's points (and its from/to ids). */
static void reverse_piece(imp_piece *p)
{
    for (size_t i = 0, j = p->n - 1; i < j; i++, j--) {
        double x = p->pts[2 * i], y = p->pts[2 * i + 1];
        p->pts[2 * i] = p->pts[2 * j];
        p->pts[2 * i + 1] = p->pts[2 * j + 1];
        p->pts[2 * j] = x;
        p->pts[2 * j + 1] = y;
    }
    char *t = p->from_id;
    p->from_id = p->to_id;
    p->to_id = t;
}

static int is_oneway(const imp_piece *p)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p->obj, "oneway"));
}

/* Appends b (which starts where a ends) to a; b dies. */
static int join_pieces(imp_state *st, size_t a, size_t b)
{
    imp_piece *pa = &st->pieces[a], *pb = &st->pieces[b];
    double *pts = realloc(pa->pts, (pa->n + pb->n - 1) * 2 * sizeof *pts);
    if (!pts)
        return corridor__oom();
    memcpy(pts + 2 * pa->n, pb->pts + 2, (pb->n - 1) * 2 * sizeof *pts);
    pa->pts = pts;
    pa->n += pb->n - 1;
    free(pa->to_id);
    pa->to_id = pb->to_id;
    pb->to_id = NULL;
    pb->dead = 1;
    st->sum->merged++;
    return 0;
}

static int vtable_fill(imp_state *st, vtable *t)
{
    size_t total = 0;
    for (size_t i = 0; i < st->n_pieces; i++)
        total += st->pieces[i].n;
    t->slots = 1024;
    while (t->slots < total * 2 + 16)
        t->slots *= 2;
    free(t->v);
    t->v = calloc(t->slots, sizeof *t->v);
    if (!t->v)
        return corridor__oom();
    for (size_t i = 0; i < st->n_pieces; i++) {
        imp_piece *p = &st->pieces[i];
        if (p->dead)
            continue;
        for (size_t j = 0; j < p->n; j++) {
            vinfo *v = vt_get(t, vkey_of(p->pts[2 * j], p->pts[2 * j + 1]), 1);
            v->degree += (j == 0 || j == p->n - 1) ? 1 : 2;
            if (j == 0)
                vt_note_end(v, (long)i, 0);
            if (j == p->n - 1)
                vt_note_end(v, (long)i, 1);
        }
    }
    return 0;
}

/* Binds each (non-junction) node to the nearest line vertex within the snap distance. */
static int bind_places(imp_state *st, vtable *t)
{
    size_t nv = 0, k = 0;
    for (size_t s = 0; s < t->slots; s++)
        nv += t->v[s].used;
    double *xs = calloc(nv + 1, sizeof *xs), *ys = calloc(nv + 1, sizeof *ys);
    vinfo **vs = malloc((nv + 1) * sizeof *vs);
    imp_grid g = {0};
    int err = 0;
    if (!xs || !ys || !vs) {
        err = corridor__oom();
        goto done;
    }
    for (size_t s = 0; s < t->slots; s++)
        if (t->v[s].used) {
            xs[k] = (double)t->v[s].k.x / 1e7;
            ys[k] = (double)t->v[s].k.y / 1e7;
            vs[k++] = &t->v[s];
        }
    if ((err = grid_init(&g, st->opts->snap_km, nv, xs, ys)) < 0)
        goto done;
    for (size_t i = 0; i < nv; i++)
        grid_insert(&g, i);
    for (size_t i = 0; i < st->n_nodes; i++) {
        if (!isfinite(st->nodes[i].lon) || !isfinite(st->nodes[i].lat))
            continue;
        long v = grid_nearest(&g, st->nodes[i].lon, st->nodes[i].lat, st->opts->snap_km, NULL);
        if (v >= 0 && vs[v]->place == -1)
            vs[v]->place = (long)i;
    }
done:
    grid_free(&g);
    free(xs);
    free(ys);
    free(vs);
    return err;
}

/* Splits every piece at its interior vertices that are places or branch points. */
static int split_at_places(imp_state *st, vtable *t)
{
    size_t n0 = st->n_pieces;
    for (size_t i = 0; i < st->n_pieces; i++) {
        (void)n0;
        for (size_t j = 1; j + 1 < st->pieces[i].n; j++) {
            imp_piece *p = &st->pieces[i];
            vinfo *v = vt_get(t, vkey_of(p->pts[2 * j], p->pts[2 * j + 1]), 0);
            if (v && (v->degree > 2 || v->place >= 0)) {
                int err = split_piece(st, i, j);
                if (err < 0)
                    return err;
                break; /* the rest is the new piece, split in its own turn */
            }
        }
    }
    return 0;
}

/* Joins pieces end to end at vertices of degree 2 that are not places. */
static int merge_chains(imp_state *st, vtable *t)
{
    int err;
    for (size_t s = 0; s < t->slots; s++) {
        vinfo *v = &t->v[s];
        if (!v->used || v->degree != 2 || v->n_ends != 2 || v->place >= 0)
            continue;
        long a = v->end_piece[0], b = v->end_piece[1];
        int wa = v->end_which[0], wb = v->end_which[1];
        if (a == b)
            continue; /* a closed loop */
        imp_piece *pa = &st->pieces[a], *pb = &st->pieces[b];
        if (!fields_equal(pa->obj, pb->obj)) {
            v->place = -2; /* becomes a junction when ends are attached */
            continue;
        }
        if (is_oneway(pa) && wa == wb)
            continue; /* opposite directions */
        /* orient: a ends at v, b starts at v */
        if (wa == 0 && wb == 1) {
            long x = a;
            a = b;
            b = x;
        } else if (wa == 0 && wb == 0) {
            reverse_piece(&st->pieces[a]);
        } else if (wa == 1 && wb == 1) {
            reverse_piece(&st->pieces[b]);
        }
        vkey far = vkey_of(st->pieces[b].pts[2 * (st->pieces[b].n - 1)],
                           st->pieces[b].pts[2 * (st->pieces[b].n - 1) + 1]);
        vkey near = vkey_of(st->pieces[a].pts[0], st->pieces[a].pts[1]);
        if ((err = join_pieces(st, (size_t)a, (size_t)b)) < 0)
            return err;
        /* the far end of b now belongs to a's end; a's start may have been reversed */
        vinfo *fv = vt_get(t, far, 0), *nv = vt_get(t, near, 0);
        for (int e = 0; fv && e < 2 && e < fv->n_ends; e++)
            if (fv->end_piece[e] == b) {
                fv->end_piece[e] = a;
                fv->end_which[e] = 1;
            }
        for (int e = 0; nv && e < 2 && e < nv->n_ends; e++)
            if (nv->end_piece[e] == a)
                nv->end_which[e] = 0;
    }
    return 0;
}

/* ---------------------------------------------------------- attaching ends */

typedef struct attach_ctx {
    imp_grid grid;
    double *xs, *ys;
    size_t cap;
    vtable *vt; /* with chain merging: places and branch points, else NULL */
} attach_ctx;

static int attach_init(attach_ctx *a, imp_state *st)
{
    a->cap = st->n_nodes + 2 * st->n_pieces + 1;
    a->xs = malloc(a->cap * sizeof *a->xs);
    a->ys = malloc(a->cap * sizeof *a->ys);
    if (!a->xs || !a->ys)
        return corridor__oom();
    int err = grid_init(&a->grid, st->opts->snap_km, a->cap, a->xs, a->ys);
    if (err < 0)
        return err;
    for (size_t i = 0; i < st->n_nodes; i++) {
        a->xs[i] = st->nodes[i].lon;
        a->ys[i] = st->nodes[i].lat;
        if (isfinite(a->xs[i]) && isfinite(a->ys[i]))
            grid_insert(&a->grid, i);
    }
    return 0;
}

static void attach_free(attach_ctx *a)
{
    grid_free(&a->grid);
    free(a->xs);
    free(a->ys);
}

/* The node for one end of a piece: by id, by a bound place, by snapping, or a new junction. */
static long attach_end(imp_state *st, attach_ctx *a, imp_piece *p, int which)
{
    const char *want = which ? p->to_id : p->from_id;
    size_t idx;
    if (want && corridor__map_get(&st->node_ids, want, &idx))
        return (long)idx;
    if (p->n < 2) {
        corridor__diag(st->diags, 0, p->origin, which ? "to" : "from",
                       "no node \"%s\" in the sources (an edge without a line needs both ends "
                       "among the nodes)",
                       want ? want : "");
        return CORRIDOR_EINVALID;
    }
    if (want)
        corridor__diag(st->diags, 1, p->origin, which ? "to" : "from",
                       "no node \"%s\" in the sources; the line end is snapped instead", want);
    double lon = p->pts[which ? 2 * (p->n - 1) : 0], lat = p->pts[which ? 2 * (p->n - 1) + 1 : 1];
    if (a->vt) {
        vinfo *v = vt_get(a->vt, vkey_of(lon, lat), 0);
        if (v && v->place >= 0)
            return v->place;
    }
    double d = 0;
    long n = grid_nearest(&a->grid, lon, lat, st->opts->snap_km, &d);
    if (n >= 0) {
        if (!st->nodes[n].junction && d > 0)
            st->sum->snapped++;
        return n;
    }
    n = new_junction(st, lon, lat, p->origin);
    if (n < 0)
        return n;
    a->xs[n] = lon;
    a->ys[n] = lat;
    grid_insert(&a->grid, (size_t)n);
    return n;
}

static int attach_all(imp_state *st, vtable *vt)
{
    attach_ctx a = {0};
    int err = attach_init(&a, st);
    a.vt = vt;
    for (size_t i = 0; (err == 0 || err == CORRIDOR_EINVALID) && i < st->n_pieces; i++) {
        imp_piece *p = &st->pieces[i];
        if (p->dead)
            continue;
        long f = attach_end(st, &a, p, 0), t = f < 0 ? f : attach_end(st, &a, p, 1);
        if (f == CORRIDOR_EINVALID || t == CORRIDOR_EINVALID) {
            err = CORRIDOR_EINVALID; /* located already; look at the other lines too */
            p->dead = 1;
            continue;
        }
        if (f < 0 || t < 0) {
            err = (int)(f < 0 ? f : t);
            break;
        }
        p->from = f;
        p->to = t;
        if (f == t)
            goto loop;
        if (p->n < 2)
            continue;
        /* the geometry's ends are the nodes' coordinates exactly */
        p->pts[0] = st->nodes[f].lon;
        p->pts[1] = st->nodes[f].lat;
        p->pts[2 * (p->n - 1)] = st->nodes[t].lon;
        p->pts[2 * (p->n - 1) + 1] = st->nodes[t].lat;
        if (f == t) {
        loop:
            corridor__diag(st->diags, 1, p->origin, "geometry",
                           "starts and ends at node \"%s\": a loop is not a route; left out",
                           node_id(&st->nodes[f]));
            p->dead = 1;
            st->sum->skipped++;
        }
    }
    attach_free(&a);
    return err;
}

/* ---------------------------------------------------------------- output */

static cJSON *geometry_json(const imp_piece *p)
{
    cJSON *g = cJSON_CreateArray();
    for (size_t i = 0; g && i < p->n; i++) {
        double xy[2] = {p->pts[2 * i], p->pts[2 * i + 1]};
        cJSON *pt = cJSON_CreateDoubleArray(xy, 2);
        if (!pt || !cJSON_AddItemToArray(g, pt)) {
            cJSON_Delete(pt);
            cJSON_Delete(g);
            return NULL;
        }
    }
    return g;
}

/* Unique edge id: the mapped one, else LAYER-FEATURE; "-2", "-3"... on repeats. */
static int edge_ids(imp_state *st)
{
    cor_map seen;
    int err = 0;
    corridor__map_init(&seen);
    char **made = calloc(st->n_pieces + 1, sizeof *made);
    if (!made || corridor__map_reserve(&seen, st->n_pieces + 1) < 0) {
        err = corridor__oom();
        goto done;
    }
    for (size_t i = 0; i < st->n_pieces && err == 0; i++) {
        imp_piece *p = &st->pieces[i];
        if (p->dead)
            continue;
        cJSON *id = cJSON_GetObjectItemCaseSensitive(p->obj, "id");
        const char *base = cJSON_IsString(id) ? id->valuestring : NULL;
        char *cand = base ? corridor__strdup(base) : corridor__asprintf("edge-%zu", i + 1);
        for (int k = 2; cand && corridor__map_get(&seen, cand, &(size_t){0}); k++) {
            free(cand);
            cand = corridor__asprintf("%s-%d", base ? base : "edge", k);
        }
        if (!cand) {
            err = corridor__oom();
            break;
        }
        cJSON_DeleteItemFromObjectCaseSensitive(p->obj, "id");
        if (!cJSON_AddStringToObject(p->obj, "id", cand)) {
            free(cand);
            err = corridor__oom();
            break;
        }
        free(cand);
        made[i] = cJSON_GetObjectItemCaseSensitive(p->obj, "id")->valuestring;
        if (corridor__map_put(&seen, made[i], i) < 0)
            err = corridor__oom();
    }
done:
    free(made);
    corridor__map_free(&seen);
    return err;
}

/* ------------------------------------------------------------- countries */

/* Natural Earth marks a few codes -99; these are the ISO codes for them. */
static const char *const ne_code_fix[][2] = {
    {"FRA", "FR"}, {"NOR", "NO"}, {"KOS", "XK"}, {"CYN", "CY"}, {"SOL", "SO"}};

typedef struct imp_country {
    OGRGeometryH geom;
    OGREnvelope env;
    char code[3];
    char *name;
} imp_country;

static void countries_free(imp_country *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        OGR_G_DestroyGeometry(c[i].geom);
        free(c[i].name);
    }
    free(c);
}

static const char *ne_code(OGRFeatureH f)
{
    int i = OGR_F_GetFieldIndex(f, "iso_a2");
    const char *c = i >= 0 ? OGR_F_GetFieldAsString(f, i) : "";
    if (strlen(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z')
        return c;
    i = OGR_F_GetFieldIndex(f, "adm0_a3");
    const char *a3 = i >= 0 ? OGR_F_GetFieldAsString(f, i) : "";
    for (size_t k = 0; k < sizeof ne_code_fix / sizeof ne_code_fix[0]; k++)
        if (strcmp(a3, ne_code_fix[k][0]) == 0)
            return ne_code_fix[k][1];
    return NULL;
}

/* Reads the country polygons (any OGR source with iso_a2 / adm0_a3 / name). */
static int countries_read(imp_country **out, size_t *n, const char *path)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    imp_country *c = NULL;
    size_t len = 0, cap = 0;
    int err = 0;
    *out = NULL;
    *n = 0;
    if (!ds)
        return corridor__error(CORRIDOR_EIO, "%s: cannot read the country polygons: %s", path,
                               CPLGetLastErrorMsg());
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureH f;
    OGR_L_ResetReading(layer);
    while (layer && (f = OGR_L_GetNextFeature(layer)) != NULL) {
        const char *code = ne_code(f);
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (code && g) {
            if (len == cap) {
                cap = cap ? cap * 2 : 256;
                imp_country *nc = realloc(c, cap * sizeof *nc);
                if (!nc) {
                    OGR_F_Destroy(f);
                    err = corridor__oom();
                    break;
                }
                c = nc;
            }
            int ni = OGR_F_GetFieldIndex(f, "name");
            c[len].geom = OGR_G_Clone(g);
            OGR_G_GetEnvelope(g, &c[len].env);
            memcpy(c[len].code, code, 3);
            c[len].name = corridor__strdup(ni >= 0 ? OGR_F_GetFieldAsString(f, ni) : code);
            len++;
        }
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    if (err < 0) {
        countries_free(c, len);
        return err;
    }
    *out = c;
    *n = len;
    return 0;
}

/* Sets "country" on nodes that lack one, by point in polygon; returns codes used via `used`. */
static int assign_countries(imp_state *st, imp_country *c, size_t nc)
{
    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
    if (!pt)
        return corridor__oom();
    for (size_t i = 0; i < st->n_nodes; i++) {
        imp_node *n = &st->nodes[i];
        if (cJSON_GetObjectItemCaseSensitive(n->obj, "country") || !isfinite(n->lon) ||
            !isfinite(n->lat))
            continue;
        OGR_G_SetPoint_2D(pt, 0, n->lon, n->lat);
        for (size_t k = 0; k < nc; k++) {
            if (n->lon < c[k].env.MinX || n->lon > c[k].env.MaxX || n->lat < c[k].env.MinY ||
                n->lat > c[k].env.MaxY || !OGR_G_Contains(c[k].geom, pt))
                continue;
            if (!cJSON_AddStringToObject(n->obj, "country", c[k].code)) {
                OGR_G_DestroyGeometry(pt);
                return corridor__oom();
            }
            st->sum->countries_found++;
            break;
        }
    }
    OGR_G_DestroyGeometry(pt);
    return 0;
}

/* Appends {key: value, "name": name} to arr and notes value in `seen`; 0 or -1 (out of memory). */
static int add_named(cJSON *arr, cor_map *seen, const char *key, const char *value,
                     const char *name)
{
    cJSON *o = NULL;
    if (corridor__map_put(seen, value, 0) < 0 || !(o = cJSON_CreateObject()) ||
        !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        return -1;
    }
    if (!cJSON_AddStringToObject(o, key, value) || !cJSON_AddStringToObject(o, "name", name))
        return -1;
    return 0;
}

/* Ends a section built with add_named: frees `seen`; arr, or NULL (arr deleted) if `failed`. */
static cJSON *section_end(cJSON *arr, cor_map *seen, int failed)
{
    corridor__map_free(seen);
    if (!failed)
        return arr;
    cJSON_Delete(arr);
    return NULL;
}

/* The "countries" section: every code the nodes use, named from the polygons where known. */
static cJSON *countries_json(imp_state *st, imp_country *c, size_t nc)
{
    cJSON *arr = cJSON_CreateArray();
    cor_map seen;
    int failed = !arr;
    corridor__map_init(&seen);
    for (size_t i = 0; !failed && i < st->n_nodes; i++) {
        cJSON *code = cJSON_GetObjectItemCaseSensitive(st->nodes[i].obj, "country");
        if (!cJSON_IsString(code) || corridor__map_get(&seen, code->valuestring, &(size_t){0}))
            continue;
        const char *name = code->valuestring;
        for (size_t k = 0; k < nc; k++)
            if (strcmp(c[k].code, code->valuestring) == 0 && c[k].name)
                name = c[k].name;
        failed = add_named(arr, &seen, "code", code->valuestring, name) < 0;
    }
    return section_end(arr, &seen, failed);
}

/* The "corridors" section: every corridor id the edges name (name = id). */
static cJSON *corridors_json(imp_state *st)
{
    cJSON *arr = cJSON_CreateArray();
    cor_map seen;
    int failed = !arr;
    corridor__map_init(&seen);
    for (size_t i = 0; !failed && i < st->n_pieces; i++) {
        cJSON *list = cJSON_GetObjectItemCaseSensitive(st->pieces[i].obj, "corridors"), *x;
        if (st->pieces[i].dead)
            continue;
        cJSON_ArrayForEach(x, list)
        {
            if (failed || !cJSON_IsString(x) ||
                corridor__map_get(&seen, x->valuestring, &(size_t){0}))
                continue;
            failed = add_named(arr, &seen, "id", x->valuestring, x->valuestring) < 0;
        }
    }
    return section_end(arr, &seen, failed);
}

static int build_document(cJSON **out, imp_state *st, const char *first_src, imp_country *c,
                          size_t nc)
{
    cJSON *doc = cJSON_CreateObject(), *nodes = NULL, *edges = NULL, *x = NULL;
    int err = CORRIDOR_ENOMEM;
    *out = NULL;
    if (!doc || !cJSON_AddStringToObject(doc, "format", "corridor-model") ||
        !cJSON_AddNumberToObject(doc, "version", 1))
        goto fail;
    {
        char *name = corridor__imp_map_model_name(st->map, first_src);
        if (!name || !cJSON_AddStringToObject(doc, "name", name)) {
            free(name);
            goto fail;
        }
        free(name);
    }
    if ((err = corridor__imp_map_add_sections(doc, st->map)) < 0)
        goto fail;
    err = CORRIDOR_ENOMEM;
    if (!(x = countries_json(st, c, nc)) || !cJSON_AddItemToObject(doc, "countries", x))
        goto fail_x;
    if (!(x = corridors_json(st)) || !cJSON_AddItemToObject(doc, "corridors", x))
        goto fail_x;
    if (!(nodes = cJSON_AddArrayToObject(doc, "nodes")) ||
        !(edges = cJSON_AddArrayToObject(doc, "edges")))
        goto fail;
    for (size_t i = 0; i < st->n_nodes; i++) {
        imp_node *n = &st->nodes[i];
        if (isfinite(n->lat) && isfinite(n->lon)) {
            cJSON_DeleteItemFromObjectCaseSensitive(n->obj, "lat");
            cJSON_DeleteItemFromObjectCaseSensitive(n->obj, "lon");
            if (!cJSON_AddNumberToObject(n->obj, "lat", n->lat) ||
                !cJSON_AddNumberToObject(n->obj, "lon", n->lon))
                goto fail;
        }
        if (!cJSON_AddItemToArray(nodes, n->obj))
            goto fail;
        n->emitted = 1; /* the document owns it; its id is still read below */
        st->sum->nodes++;
    }
    for (size_t i = 0; i < st->n_pieces; i++) {
        imp_piece *p = &st->pieces[i];
        if (p->dead)
            continue;
        if (!cJSON_AddStringToObject(p->obj, "from", node_id(&st->nodes[p->from])))
            goto fail;
        if (!cJSON_AddStringToObject(p->obj, "to", node_id(&st->nodes[p->to])))
            goto fail;
        if (p->n >= 2 && (!(x = geometry_json(p)) || !cJSON_AddItemToObject(p->obj, "geometry", x)))
            goto fail_x;
        if (!cJSON_AddItemToArray(edges, p->obj))
            goto fail;
        p->obj = NULL;
        st->sum->edges++;
    }
    *out = doc;
    return 0;
fail_x:
    cJSON_Delete(x);
fail:
    cJSON_Delete(doc);
    return err == CORRIDOR_ENOMEM ? corridor__oom() : err;
}

/*
 * Node ids are read from st->nodes[i].obj, which build_document hands over to
 * the document; this keeps the origins for the loader's messages.
 */
typedef struct origin_list {
    char **nodes, **edges;
    size_t n_nodes, n_edges;
} origin_list;

static void origins_free(origin_list *o)
{
    for (size_t i = 0; i < o->n_nodes; i++)
        free(o->nodes[i]);
    for (size_t i = 0; i < o->n_edges; i++)
        free(o->edges[i]);
    free(o->nodes);
    free(o->edges);
}

static int origins_take(origin_list *o, imp_state *st)
{
    o->nodes = calloc(st->n_nodes + 1, sizeof *o->nodes);
    o->edges = calloc(st->n_pieces + 1, sizeof *o->edges);
    if (!o->nodes || !o->edges)
        return corridor__oom();
    for (size_t i = 0; i < st->n_nodes; i++) {
        o->nodes[o->n_nodes++] = st->nodes[i].origin;
        st->nodes[i].origin = NULL;
    }
    for (size_t i = 0; i < st->n_pieces; i++)
        if (!st->pieces[i].dead) {
            o->edges[o->n_edges++] = st->pieces[i].origin;
            st->pieces[i].origin = NULL;
        }
    return 0;
}

/* Copies the loader's diagnostics, naming the feature an element came from. */
static void translate_diags(corridor_diags *to, const corridor_diags *from, const origin_list *o)
{
    for (size_t i = 0; to && i < from->n; i++) {
        const cor_diag *e = &from->items[i];
        /* the message is what follows "FILE: [warning: ][PATH: ]" in the line */
        const char *msg = e->line + strlen(e->file) + 2;
        if (e->warning && strncmp(msg, "warning: ", 9) == 0)
            msg += 9;
        if (*e->path)
            msg += strlen(e->path) + 2;
        size_t idx;
        char kind[6];
        int used = 0;
        if (sscanf(e->path, "%5[a-z][%zu]%n", kind, &idx, &used) == 2 && used > 0 &&
            (e->path[used] == '\0' || e->path[used] == '.')) {
            const char *rest = e->path + used + (e->path[used] == '.');
            const char *origin = !strcmp(kind, "nodes") && idx < o->n_nodes   ? o->nodes[idx]
                                 : !strcmp(kind, "edges") && idx < o->n_edges ? o->edges[idx]
                                                                              : NULL;
            if (origin) {
                corridor__diag(to, e->warning, origin, rest, "%s", msg);
                continue;
            }
        }
        corridor__diag(to, e->warning, e->file, e->path, "%s", msg);
    }
}

static int gdal_ready(void)
{
    static int done = 0; /* GDALAllRegister is idempotent; the flag only saves time */
    if (!done) {
        GDALAllRegister();
        done = 1;
    }
    return 0;
}

int corridor_import_opts_init(corridor_import_opts *opts, int version)
{
    if (!opts)
        return corridor__error(CORRIDOR_EUSAGE, "corridor_import_opts_init: no struct given");
    int err =
        corridor__check_version(version, CORRIDOR_IMPORT_OPTS_VERSION, "corridor_import_opts");
    if (err < 0)
        return err;
    corridor_import_opts init = CORRIDOR_IMPORT_OPTS_INIT;
    *opts = init;
    return 0;
}

static int import_read_all(imp_state *st, const char *const *sources, size_t n_sources)
{
    int err = 0;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    const char *osmconf = corridor__imp_map_osmconf(st->map);
    char *old_osm = NULL;
    if (osmconf) {
        const char *o = CPLGetThreadLocalConfigOption("OSM_CONFIG_FILE", NULL);
        old_osm = o ? corridor__strdup(o) : NULL;
        CPLSetThreadLocalConfigOption("OSM_CONFIG_FILE", osmconf);
    }
    for (size_t i = 0; i < n_sources; i++) {
        int e = read_source(st, sources[i]);
        if (e < 0 && (err == 0 || err == CORRIDOR_EINVALID))
            err = e;
        if (e < 0 && e != CORRIDOR_EINVALID)
            break;
    }
    if (osmconf) {
        CPLSetThreadLocalConfigOption("OSM_CONFIG_FILE", old_osm);
        free(old_osm);
    }
    CPLPopErrorHandler();
    return err;
}

static int import_network(imp_state *st)
{
    int err;
    vtable vt = {0};
    if ((err = index_nodes(st)) < 0)
        return err;
    if (corridor__imp_map_merges(st->map)) {
        if ((err = vtable_fill(st, &vt)) < 0 || (err = bind_places(st, &vt)) < 0 ||
            (err = split_at_places(st, &vt)) < 0 || (err = vtable_fill(st, &vt)) < 0 ||
            (err = bind_places(st, &vt)) < 0 || (err = merge_chains(st, &vt)) < 0)
            goto done;
        /* merge_chains refilled the table; bind the places on the final pieces */
        if ((err = vtable_fill(st, &vt)) < 0 || (err = bind_places(st, &vt)) < 0)
            goto done;
    }
    if ((err = edge_ids(st)) < 0)
        goto done;
    err = attach_all(st, vt.v ? &vt : NULL);
done:
    free(vt.v);
    return err;
}

/* Imports the sources into model text (*text) and, through the loader, a model (*model). */
static int import_run(char **text, corridor_model **model, corridor_import_summary *summary,
                      const char *const *sources, size_t n_sources,
                      const corridor_import_opts *opts, corridor_diags *diags)
{
    imp_state st = {0};
    corridor_import_summary sum = {0};
    corridor_import_opts defaults = CORRIDOR_IMPORT_OPTS_INIT;
    imp_country *countries = NULL;
    size_t n_countries = 0;
    origin_list origins = {0};
    corridor_diags *tmp = NULL;
    corridor_model *m = NULL;
    cJSON *doc = NULL;
    char *out = NULL;
    int err = 0;
    *text = NULL;
    if (model)
        *model = NULL;
    if (!opts)
        opts = &defaults;
    if (corridor__check_version(opts->version, CORRIDOR_IMPORT_OPTS_VERSION,
                                "corridor_import_opts") < 0)
        return CORRIDOR_EUSAGE;
    if (n_sources == 0)
        return corridor__error(CORRIDOR_EUSAGE, "import: no source given");
    if (!(opts->snap_km >= 0) || opts->snap_km > 1000)
        return corridor__error(
            CORRIDOR_EUSAGE, "import: --snap must be between 0 and 1000 km, got %g", opts->snap_km);
    gdal_ready();
    st.opts = opts;
    st.diags = diags;
    st.sum = &sum;
    corridor__map_init(&st.node_ids);
    if ((err = corridor__imp_map_load(&st.map, opts->mapping, sources[0], diags)) < 0)
        goto done;
    if (!(st.layer_seen = calloc(opts->n_layers + 1, 1))) {
        err = corridor__oom();
        goto done;
    }
    if ((err = import_read_all(&st, sources, n_sources)) < 0 ||
        (err = check_layers_seen(&st, sources[0])) < 0)
        goto done;
    sum.dropped_attrs = corridor__imp_map_finish(st.map, sources[0], diags);
    if ((err = import_network(&st)) < 0)
        goto done;
    if (opts->countries) {
        if ((err = countries_read(&countries, &n_countries, opts->countries)) < 0 ||
            (err = assign_countries(&st, countries, n_countries)) < 0)
            goto done;
    }
    if ((err = origins_take(&origins, &st)) < 0 ||
        (err = build_document(&doc, &st, sources[0], countries, n_countries)) < 0)
        goto done;
    if (!(out = cJSON_Print(doc))) {
        err = corridor__oom();
        goto done;
    }
    /* the loader checks everything a model file is checked for */
    if ((err = corridor_diags_new(&tmp)) < 0)
        goto done;
    err = corridor_model_load_string(&m, out, strlen(out), sources[0], tmp);
    translate_diags(diags, tmp, &origins);
    if (err < 0)
        goto done;
    if (model) {
        *model = m;
        m = NULL;
    }
    *text = out;
    out = NULL;
done:
    if (err == CORRIDOR_EINVALID && corridor_diags_errors(diags) > 0)
        corridor__error(CORRIDOR_EINVALID, "%s: cannot be imported (see the messages above)",
                        sources[0]);
    if (summary)
        *summary = sum;
    free(out);
    corridor_model_free(m);
    corridor_diags_free(tmp);
    cJSON_Delete(doc);
    origins_free(&origins);
    countries_free(countries, n_countries);
    corridor__imp_map_free(st.map);
    state_free(&st);
    return err;
}

int corridor_import(char **out, corridor_import_summary *summary, const char *const *sources,
                    size_t n_sources, const corridor_import_opts *opts, corridor_diags *diags)
{
    COR_GIS_NEEDED();
    return import_run(out, NULL, summary, sources, n_sources, opts, diags);
}

int corridor_model_import(corridor_model **out, corridor_import_summary *summary,
                          const char *const *sources, size_t n_sources,
                          const corridor_import_opts *opts, corridor_diags *diags)
{
    COR_GIS_NEEDED();
    char *text = NULL;
    int err = import_run(&text, out, summary, sources, n_sources, opts, diags);
    free(text);
    return err;
}

int corridor_import_file(const char *path, corridor_import_summary *summary,
                         const char *const *sources, size_t n_sources,
                         const corridor_import_opts *opts, corridor_diags *diags)
{
    COR_GIS_NEEDED();
    char *text = NULL;
    int err = import_run(&text, NULL, summary, sources, n_sources, opts, diags);
    if (err == 0) {
        size_t len = strlen(text);
        text[len] = '\n'; /* end the file with a newline: the text's own NUL is replaced */
        err = corridor__write_file_atomic(path, text, len + 1);
    }
    free(text);
    return err;
}
