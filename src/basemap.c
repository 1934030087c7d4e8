/* basemap.c: land, lakes, borders and country label points under a map, read with GDAL/OGR.
 *
 * How it works: the built-in data (the GeoJSON files of graphs/basemap/, Natural Earth,
 * clipped and simplified at development time, see graphs/basemap/README.md)
 * is compiled into the library and opened by GDAL from memory (/vsimem/). A
 * user's file is opened with the GeoJSON driver only. Every feature whose
 * envelope meets the frame's lon/lat box is clipped to that box (GEOS, through
 * OGR), densified to 0.5 degrees so that straight lon/lat edges bend with the
 * projection, projected point by point with PROJ and written as xdot drawing
 * operations. xdot polygons have no holes, so each polygon is drawn as its
 * outer ring in the land colour, then its holes (the Caspian Sea is a hole in
 * Eurasia) in the water colour; polygons are drawn largest first so islands
 * lie on top of the water around them. Whatever falls outside the frame is
 * clipped to the frame on the page (Sutherland-Hodgman for rings, Liang-Barsky
 * for lines), so the drawing never grows the page.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gis_dl.h"

#include "map_internal.h"

#define WATER  "#cfe2f0"
#define LAND   "#f4f1ea"
#define BORDER "#9a9a9a"

/* graphs/basemap/NAME.geojson, linked in by basemap_data.c */
extern const char corridor__bm_land[], corridor__bm_land_end[];
extern const char corridor__bm_lakes[], corridor__bm_lakes_end[];
extern const char corridor__bm_borders[], corridor__bm_borders_end[];
extern const char corridor__bm_countries[], corridor__bm_countries_end[];
extern const char corridor__bm_world_land[], corridor__bm_world_land_end[];
extern const char corridor__bm_world_borders[], corridor__bm_world_borders_end[];

/* The box the 1:50m files were clipped to (lon0, lat0, lon1, lat1). */
static const double region[4] = {-25, -5, 160, 78};

static const struct {
    const char *name;
    const char *start, *end;
} builtin[] = {
    {"land", corridor__bm_land, corridor__bm_land_end},
    {"lakes", corridor__bm_lakes, corridor__bm_lakes_end},
    {"borders", corridor__bm_borders, corridor__bm_borders_end},
    {"countries", corridor__bm_countries, corridor__bm_countries_end},
    {"world-land", corridor__bm_world_land, corridor__bm_world_land_end},
    {"world-borders", corridor__bm_world_borders, corridor__bm_world_borders_end},
};

static int gdal_ready;

/* Registers the drivers and the in-memory files once per process. */
static void gdal_init(void)
{
    if (gdal_ready)
        return;
    GDALAllRegister();
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "/vsimem/corridor/%s.geojson", builtin[i].name);
        VSILFILE *f =
            VSIFileFromMemBuffer(path, (GByte *)builtin[i].start,
                                 (vsi_l_offset)(builtin[i].end - builtin[i].start), FALSE);
        if (f)
            VSIFCloseL(f);
    }
    gdal_ready = 1;
}

static GDALDatasetH open_geojson(const char *path)
{
    static const char *const drivers[] = {"GeoJSON", NULL};
    return GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
}

/* --------------------------------------------------------------- drawing */

typedef struct drawing {
    const cor_mapview *v;
    OGRGeometryH clip; /* the frame's lon/lat box */
    double box[4];     /* the same: lon0, lat0, lon1, lat1 */
    cor_buf *out;
    double *pts, *tmp; /* scratch: projected ring, clipping */
    size_t cap;
} drawing;

static int grow(drawing *dr, size_t n)
{
    if (n <= dr->cap)
        return 0;
    size_t nc = n + n / 2 + 16;
    double *p = realloc(dr->pts, 2 * nc * sizeof *p), *q = realloc(dr->tmp, 2 * nc * sizeof *q);
    if (p)
        dr->pts = p;
    if (q)
        dr->tmp = q;
    if (!p || !q)
        return corridor__oom();
    dr->cap = nc;
    return 0;
}

static void put_op(drawing *dr, char op, const double *p, size_t k)
{
    if (k < (op == 'P' ? 3u : 2u))
        return;
    corridor__buf_printf(dr->out, "%c %zu", op, k);
    for (size_t i = 0; i < k; i++)
        corridor__buf_printf(dr->out, " %.1f %.1f", p[2 * i], p[2 * i + 1]);
    corridor__buf_puts(dr->out, " ");
}

/* Sutherland-Hodgman: the ring in dr->pts (k points) clipped to one side of the frame. */
static size_t clip_side(drawing *dr, size_t k, int axis, double lim, int keep_below)
{
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        const double *a = dr->pts + 2 * ((i + k - 1) % k), *b = dr->pts + 2 * i;
        int ina = keep_below ? a[axis] <= lim : a[axis] >= lim;
        int inb = keep_below ? b[axis] <= lim : b[axis] >= lim;
        if (ina != inb) {
            double t = (lim - a[axis]) / (b[axis] - a[axis]);
            dr->tmp[2 * m] = a[0] + t * (b[0] - a[0]);
            dr->tmp[2 * m + 1] = a[1] + t * (b[1] - a[1]);
            m++;
        }
        if (inb) {
            dr->tmp[2 * m] = b[0];
            dr->tmp[2 * m + 1] = b[1];
            m++;
        }
    }
    double *t = dr->pts;
    dr->pts = dr->tmp;
    dr->tmp = t;
    return m;
}

/* Clips a segment to the frame (Liang-Barsky); 0 if nothing is left. */
static int clip_segment(const cor_mapview *v, double *s)
{
    const double box[4] = {v->fx0, v->fy0, v->fx1, v->fy1};
    return corridor__clip_segment(s, box);
}

/* A line clipped to the frame: one "L" op per piece inside. */
static void emit_clipped_line(drawing *dr, size_t k)
{
    size_t start = 0, n = 0;
    double *out = dr->tmp;
    for (size_t i = 0; i + 1 < k; i++) {
        double s[4] = {dr->pts[2 * i], dr->pts[2 * i + 1], dr->pts[2 * i + 2], dr->pts[2 * i + 3]};
        if (!clip_segment(dr->v, s)) {
            put_op(dr, 'L', out + 2 * start, n - start);
            start = n;
            continue;
        }
        if (n == start || out[2 * n - 2] != s[0] || out[2 * n - 1] != s[1]) {
            put_op(dr, 'L', out + 2 * start, n - start);
            start = n;
            out[2 * n] = s[0];
            out[2 * n + 1] = s[1];
            n++;
        }
        out[2 * n] = s[2];
        out[2 * n + 1] = s[3];
        n++;
    }
    put_op(dr, 'L', out + 2 * start, n - start);
}

/* xdot "P" (ring) or "L" (line) op, projected and clipped to the frame. */
static int emit_points(drawing *dr, OGRGeometryH g, char op)
{
    int n = OGR_G_GetPointCount(g);
    size_t k = 0;
    if (n < 2)
        return 0;
    if (grow(dr, 2 * (size_t)n + 8) < 0)
        return corridor__oom();
    for (int i = 0; i < n; i++) {
        double x, y;
        if (corridor__mapview_xy(dr->v, OGR_G_GetX(g, i), OGR_G_GetY(g, i), &x, &y) < 0)
            continue;
        /* drop points closer than a quarter point to the last one */
        if (k > 0 && fabs(x - dr->pts[2 * (k - 1)]) < 0.25 && fabs(y - dr->pts[2 * k - 1]) < 0.25 &&
            i != n - 1)
            continue;
        dr->pts[2 * k] = x;
        dr->pts[2 * k + 1] = y;
        k++;
    }
    if (op == 'L') {
        emit_clipped_line(dr, k);
    } else if (k >= 3) {
        k = clip_side(dr, k, 0, dr->v->fx0, 0);
        k = k ? clip_side(dr, k, 0, dr->v->fx1, 1) : 0;
        k = k ? clip_side(dr, k, 1, dr->v->fy0, 0) : 0;
        k = k ? clip_side(dr, k, 1, dr->v->fy1, 1) : 0;
        put_op(dr, 'P', dr->pts, k);
    }
    return dr->out->failed ? corridor__oom() : 0;
}

static int emit_polygon(drawing *dr, OGRGeometryH poly, const char *fill, const char *hole)
{
    int err = 0, nr = OGR_G_GetGeometryCount(poly);
    for (int r = 0; r < nr && err == 0; r++) {
        corridor__buf_printf(dr->out, "c 7 -%s C 7 -%s ", r ? hole : fill, r ? hole : fill);
        err = emit_points(dr, OGR_G_GetGeometryRef(poly, r), 'P');
    }
    return err;
}

/* A polygon of some layer, kept to sort by area. */
typedef struct poly_item {
    double area;
    OGRGeometryH g; /* owned */
} poly_item;

static int by_area_desc(const void *a, const void *b)
{
    double x = ((const poly_item *)a)->area, y = ((const poly_item *)b)->area;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The feature's geometry clipped to the frame's box and densified (owned), or NULL. */
static OGRGeometryH clipped(drawing *dr, OGRFeatureH f)
{
    OGRGeometryH g = OGR_F_GetGeometryRef(f), c = NULL;
    OGREnvelope e;
    if (!g)
        return NULL;
    OGR_G_GetEnvelope(g, &e);
    const double *b = dr->box;
    if (e.MaxX < b[0] || e.MinX > b[2] || e.MaxY < b[1] || e.MinY > b[3])
        return NULL;
    if (e.MinX >= b[0] && e.MaxX <= b[2] && e.MinY >= b[1] && e.MaxY <= b[3])
        c = OGR_G_Clone(g);
    else
        c = OGR_G_Intersection(g, dr->clip);
    if (!c)
        c = OGR_G_Clone(g); /* GEOS refused (invalid ring): draw it whole */
    if (c)
        OGR_G_Segmentize(c, 0.5);
    return c;
}

/* Collects the polygons of a geometry (polygon, multipolygon or collection). */
static int collect_polygons(poly_item **items, size_t *n, size_t *cap, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPolygon) {
        if (*n == *cap) {
            size_t nc = *cap ? 2 * *cap : 64;
            poly_item *p = realloc(*items, nc * sizeof *p);
            if (!p)
                return corridor__oom();
            *items = p;
            *cap = nc;
        }
        OGRGeometryH c = OGR_G_Clone(g);
        if (!c)
            return corridor__oom();
        (*items)[*n].area = OGR_G_Area(c);
        (*items)[(*n)++].g = c;
        return 0;
    }
    if (t == wkbMultiPolygon || t == wkbGeometryCollection)
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            int err = collect_polygons(items, n, cap, OGR_G_GetGeometryRef(g, i));
            if (err < 0)
                return err;
        }
    return 0;
}

/* Lines of a geometry (line, multiline, collection; polygon rings when `rings`). */
static int emit_lines(drawing *dr, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbLineString || t == wkbLinearRing)
        return emit_points(dr, g, 'L');
    if (t == wkbMultiLineString || t == wkbGeometryCollection)
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            int err = emit_lines(dr, OGR_G_GetGeometryRef(g, i));
            if (err < 0)
                return err;
        }
    return 0;
}

/* Draws a layer: polygons filled (largest first), lines stroked in BORDER. */
static int draw_layer(drawing *dr, OGRLayerH layer, const char *fill, const char *hole)
{
    poly_item *items = NULL;
    size_t n = 0, cap = 0;
    int err = 0;
    OGRFeatureH f;
    OGR_L_ResetReading(layer);
    corridor__buf_printf(dr->out, "c 7 -%s S 17 -setlinewidth(0.5) ", BORDER);
    while (err == 0 && (f = OGR_L_GetNextFeature(layer)) != NULL) {
        OGRGeometryH c = clipped(dr, f), g = OGR_F_GetGeometryRef(f);
        OGRwkbGeometryType t = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbUnknown;
        if (c) {
            /* clipping may leave stray lines of a polygon: draw lines of line features only */
            err = collect_polygons(&items, &n, &cap, c);
            if (err == 0 && (t == wkbLineString || t == wkbMultiLineString))
                err = emit_lines(dr, c);
            OGR_G_DestroyGeometry(c);
        }
        OGR_F_Destroy(f);
    }
    if (err == 0 && n > 1)
        qsort(items, n, sizeof *items, by_area_desc);
    for (size_t i = 0; i < n; i++) {
        if (err == 0)
            err = emit_polygon(dr, items[i].g, fill, hole);
        OGR_G_DestroyGeometry(items[i].g);
    }
    free(items);
    return err;
}

static int draw_file(drawing *dr, const char *path, const char *fill, const char *hole, int user)
{
    GDALDatasetH ds = open_geojson(path);
    int err = 0;
    if (!ds) {
        if (!user)
            return corridor__error(CORRIDOR_EINTERNAL, "basemap: cannot open the built-in %s: %s",
                                   path, CPLGetLastErrorMsg());
        FILE *probe = fopen(path, "rb");
        if (!probe)
            return corridor__error(CORRIDOR_EIO,
                                   "--basemap %s: cannot read the file; check the path", path);
        fclose(probe);
        return corridor__error(CORRIDOR_EINVALID,
                               "--basemap %s: not a GeoJSON file (%s); give a GeoJSON "
                               "FeatureCollection of polygons and lines, or --basemap none",
                               path, *CPLGetLastErrorMsg() ? CPLGetLastErrorMsg() : "unreadable");
    }
    for (int l = 0; l < GDALDatasetGetLayerCount(ds) && err == 0; l++)
        err = draw_layer(dr, GDALDatasetGetLayer(ds, l), fill, hole);
    GDALClose(ds);
    return err;
}

/* ---------------------------------------------------------- country names */

static int country_points(drawing *dr, cor_country_pt **pts, size_t *npts, const char *const *codes,
                          size_t ncodes)
{
    GDALDatasetH ds = open_geojson("/vsimem/corridor/countries.geojson");
    int err = 0;
    if (!ds)
        return corridor__error(CORRIDOR_EINTERNAL, "basemap: cannot open the built-in countries");
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    cor_country_pt *p = calloc(ncodes + 1, sizeof *p);
    size_t n = 0;
    OGRFeatureH f;
    if (!p) {
        GDALClose(ds);
        return corridor__oom();
    }
    while (layer && (f = OGR_L_GetNextFeature(layer)) != NULL) {
        const char *iso = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "iso_a2"));
        size_t c = 0;
        while (c < ncodes && !(codes[c] && iso && corridor__strcaseeq(codes[c], iso)))
            c++;
        OGRGeometryH g = c < ncodes ? clipped(dr, f) : NULL;
        if (g) {
            /* the largest visible part, and a point inside it */
            poly_item *items = NULL;
            size_t ni = 0, cap = 0;
            if (collect_polygons(&items, &ni, &cap, g) == 0 && ni > 0) {
                qsort(items, ni, sizeof *items, by_area_desc);
                OGRGeometryH in = OGR_G_PointOnSurface(items[0].g);
                double x, y;
                if (in &&
                    corridor__mapview_xy(dr->v, OGR_G_GetX(in, 0), OGR_G_GetY(in, 0), &x, &y) ==
                        0 &&
                    x > dr->v->fx0 && x < dr->v->fx1 && y > dr->v->fy0 && y < dr->v->fy1) {
                    p[n].country = c;
                    p[n].x = x;
                    p[n].y = y;
                    n++;
                }
                if (in)
                    OGR_G_DestroyGeometry(in);
            }
            for (size_t i = 0; i < ni; i++)
                OGR_G_DestroyGeometry(items[i].g);
            free(items);
            OGR_G_DestroyGeometry(g);
        }
        OGR_F_Destroy(f);
        if (n == ncodes)
            break;
    }
    GDALClose(ds);
    *pts = p;
    *npts = n;
    return err;
}

int corridor__basemap_xdot(cor_buf *xdot, cor_country_pt **pts, size_t *npts, const cor_mapview *v,
                           const char *basemap, const char *const *codes, size_t ncodes)
{
    COR_GIS_NEEDED();
    drawing dr = {v, NULL, {0, 0, 0, 0}, xdot, NULL, NULL, 0};
    int err = 0;
    *pts = NULL;
    *npts = 0;
    if (basemap && strcmp(basemap, "none") == 0)
        return 0;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    gdal_init();
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    dr.clip = OGR_G_CreateGeometry(wkbPolygon);
    if (!ring || !dr.clip) {
        err = corridor__oom();
        goto done;
    }
    /* no further than 179.5 degrees from the centre: lines across the projection's cut
     * (opposite the centre) would run across the whole map */
    dr.box[0] = fmax(v->lon0 - 1, v->lon_c - 179.5);
    dr.box[1] = v->lat0 - 1;
    dr.box[2] = fmin(v->lon1 + 1, v->lon_c + 179.5);
    dr.box[3] = v->lat1 + 1;
    OGR_G_AddPoint_2D(ring, dr.box[0], dr.box[1]);
    OGR_G_AddPoint_2D(ring, dr.box[2], dr.box[1]);
    OGR_G_AddPoint_2D(ring, dr.box[2], dr.box[3]);
    OGR_G_AddPoint_2D(ring, dr.box[0], dr.box[3]);
    OGR_G_AddPoint_2D(ring, dr.box[0], dr.box[1]);
    OGR_G_AddGeometryDirectly(dr.clip, ring);
    ring = NULL;
    /* the sea under everything, over the whole frame */
    corridor__buf_printf(xdot, "c 7 -%s C 7 -%s P 4 %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f ",
                         WATER, WATER, v->fx0, v->fy0, v->fx1, v->fy0, v->fx1, v->fy1, v->fx0,
                         v->fy1);
    if (basemap) {
        err = draw_file(&dr, basemap, LAND, WATER, 1);
        goto done;
    }
    int regional = v->lon0 >= region[0] && v->lon1 <= region[2] && v->lat0 >= region[1] &&
                   v->lat1 <= region[3];
    if ((err = draw_file(&dr,
                         regional ? "/vsimem/corridor/land.geojson"
                                  : "/vsimem/corridor/world-land.geojson",
                         LAND, WATER, 0)) < 0)
        goto done;
    if (regional && (err = draw_file(&dr, "/vsimem/corridor/lakes.geojson", WATER, LAND, 0)) < 0)
        goto done;
    if ((err = draw_file(&dr,
                         regional ? "/vsimem/corridor/borders.geojson"
                                  : "/vsimem/corridor/world-borders.geojson",
                         LAND, WATER, 0)) < 0)
        goto done;
    if (ncodes)
        err = country_points(&dr, pts, npts, codes, ncodes);
done:
    if (ring)
        OGR_G_DestroyGeometry(ring);
    if (dr.clip)
        OGR_G_DestroyGeometry(dr.clip);
    free(dr.pts);
    free(dr.tmp);
    CPLPopErrorHandler();
    if (err == 0 && xdot->failed)
        err = corridor__oom();
    return err;
}
