/* map.c: page sizes, the map projection (through PROJ) fitted to a frame, and segment clipping. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gis_dl.h"

#include "map_internal.h"

#define MM_PT (72.0 / 25.4)

/* ------------------------------------------------------------------- pages */

static const struct {
    const char *name;
    double w, h; /* mm, portrait */
} pages[] = {{"A5", 148, 210}, {"A4", 210, 297},         {"A3", 297, 420},         {"A2", 420, 594},
             {"A1", 594, 841}, {"letter", 215.9, 279.4}, {"tabloid", 279.4, 431.8}};

int corridor__page_parse(cor_page *out, const char *size, int orientation, double dpi)
{
    double w = 0, h = 0;
    int named = 0;
    char unit[8] = "";
    if (!(dpi >= 0) || dpi > 2400)
        return corridor__error(CORRIDOR_EUSAGE, "--dpi %g: expected a resolution from 1 to 2400",
                               dpi);
    out->dpi = dpi > 0 ? dpi : 150;
    if (!size || !*size)
        size = "A3";
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        if (strcasecmp(size, pages[i].name) == 0) {
            w = pages[i].w * MM_PT;
            h = pages[i].h * MM_PT;
            named = 1;
        }
    }
    if (!named) {
        /* "WxHmm": the x apart, so that "0x0" is not read as a hexadecimal number */
        char text[64];
        int used = 0;
        snprintf(text, sizeof text, "%s", size);
        char *x = strchr(text, 'x');
        if (x)
            *x = ' ';
        if (!x || strlen(size) >= sizeof text ||
            sscanf(text, "%lf %lf%7[a-z]%n", &w, &h, unit, &used) != 3 || text[used] != '\0' ||
            (strcmp(unit, "mm") != 0 && strcmp(unit, "px") != 0))
            return corridor__error(CORRIDOR_EUSAGE,
                                   "--size \"%s\": expected A4, A3, A2, letter, WxHmm or WxHpx "
                                   "(e.g. 400x300mm)",
                                   size);
        if (!(w > 0 && h > 0 && isfinite(w) && isfinite(h)))
            return corridor__error(CORRIDOR_EUSAGE,
                                   "--size \"%s\": width and height must be above 0", size);
        double k = strcmp(unit, "mm") == 0 ? MM_PT : 72.0 / out->dpi;
        w *= k;
        h *= k;
        if (w < 144 || h < 144 || w > 14400 || h > 14400)
            return corridor__error(CORRIDOR_EUSAGE,
                                   "--size \"%s\": a page from 51 mm (2 inches) to 5 m a side, "
                                   "please",
                                   size);
    }
    if ((named && orientation != 2 && w < h) || (orientation == 1 && w < h) ||
        (orientation == 2 && w > h)) {
        double t = w;
        w = h;
        h = t;
    }
    out->w = w;
    out->h = h;
    return 0;
}

/* -------------------------------------------------------------- projection */

static int proj_fail(PJ_CONTEXT *ctx, const char *what)
{
    int e = proj_context_errno(ctx);
    return corridor__error(CORRIDOR_EUSAGE,
                           "--projection \"%s\": PROJ cannot use it (%s); give a PROJ string "
                           "such as \"+proj=eqc\" or a code such as EPSG:3857",
                           what,
                           e == 0 || e == 4096 ? "unknown, or not a map projection"
                                               : proj_context_errno_string(ctx, e));
}

/* lon, lat -> projected x, y (HUGE_VAL if it cannot) */
static int fwd(PJ *pj, double lon, double lat, double *x, double *y)
{
    PJ_COORD c = proj_coord(lon, lat, 0, 0);
    c = proj_trans(pj, PJ_FWD, c);
    if (!isfinite(c.xy.x) || !isfinite(c.xy.y) || fabs(c.xy.x) > 1e12 || fabs(c.xy.y) > 1e12)
        return -1;
    *x = c.xy.x;
    *y = c.xy.y;
    return 0;
}

static int inv(PJ *pj, double x, double y, double *lon, double *lat)
{
    PJ_COORD c = proj_coord(x, y, 0, 0);
    c = proj_trans(pj, PJ_INV, c);
    if (!isfinite(c.lp.lam) || !isfinite(c.lp.phi) || fabs(c.lp.lam) > 1e6)
        return -1;
    *lon = c.lp.lam;
    *lat = c.lp.phi;
    return 0;
}

/* The default: Lambert conformal conic with standard parallels at 1/6 and 5/6 of the extent. */
static char *default_projection(const double ext[4])
{
    double lat1 = ext[1] + (ext[3] - ext[1]) / 6, lat2 = ext[3] - (ext[3] - ext[1]) / 6;
    double lon0 = (ext[0] + ext[2]) / 2, lat0 = (ext[1] + ext[3]) / 2;
    if (fabs(lat1 + lat2) < 2) /* nearly symmetric about the equator: the cone degenerates */
        return corridor__asprintf("+proj=merc +lon_0=%.4f +datum=WGS84 +units=m +no_defs "
                                  "+type=crs",
                                  lon0);
    return corridor__asprintf("+proj=lcc +lat_1=%.4f +lat_2=%.4f +lat_0=%.4f +lon_0=%.4f "
                              "+datum=WGS84 +units=m +no_defs +type=crs",
                              lat1, lat2, lat0, lon0);
}

/* Creates the lon/lat -> projection transformation (axis order: lon, lat -> easting, northing). */
static int make_transform(cor_mapview *v, const char *def, const char *given)
{
    PJ_CONTEXT *ctx = v->ctx;
    char *crs = NULL;
    int err = 0;
    PJ *to = NULL, *norm = NULL;
    /* a bare "+proj=..." string is an operation to PROJ; ask for the CRS it defines */
    if (def[0] == '+' && !strstr(def, "type=crs"))
        crs = corridor__asprintf("%s +type=crs", def);
    else
        crs = corridor__strdup(def);
    if (!crs)
        return corridor__oom();
    to = proj_create(ctx, crs);
    if (!to || (proj_get_type(to) != PJ_TYPE_PROJECTED_CRS &&
                proj_get_type(to) != PJ_TYPE_GEOGRAPHIC_2D_CRS &&
                proj_get_type(to) != PJ_TYPE_BOUND_CRS)) {
        err = proj_fail(ctx, given ? given : def);
        goto done;
    }
    PJ *op = proj_create_crs_to_crs(ctx, "EPSG:4326", crs, NULL);
    if (!op) {
        err = proj_fail(ctx, given ? given : def);
        goto done;
    }
    norm = proj_normalize_for_visualization(ctx, op);
    proj_destroy(op);
    if (!norm) {
        err = proj_fail(ctx, given ? given : def);
        goto done;
    }
    v->pj = norm;
    norm = NULL;
done:
    proj_destroy(to);
    free(crs);
    return err;
}

/* Projected bounding box of the extent's outline (20 points a side) and a grid inside it. */
static int extent_bbox(PJ *pj, const double ext[4], double bb[4])
{
    size_t k = 0;
    bb[0] = bb[1] = INFINITY;
    bb[2] = bb[3] = -INFINITY;
    for (int i = 0; i <= 20; i++) {
        for (int j = 0; j <= 20; j++) {
            double lon = ext[0] + (ext[2] - ext[0]) * i / 20.0;
            double lat = ext[1] + (ext[3] - ext[1]) * j / 20.0, x, y;
            if (fwd(pj, lon, lat, &x, &y) < 0)
                continue;
            bb[0] = fmin(bb[0], x);
            bb[1] = fmin(bb[1], y);
            bb[2] = fmax(bb[2], x);
            bb[3] = fmax(bb[3], y);
            k++;
        }
    }
    return k >= 4 && bb[2] > bb[0] && bb[3] > bb[1] ? 0 : -1;
}

/* lon/lat bounding box of the frame (its outline and a grid inside, inverse-projected). */
static void frame_extent(cor_mapview *v)
{
    v->lon0 = v->lat0 = INFINITY;
    v->lon1 = v->lat1 = -INFINITY;
    for (int i = 0; i <= 24; i++) {
        for (int j = 0; j <= 24; j++) {
            double px = v->fx0 + (v->fx1 - v->fx0) * i / 24.0,
                   py = v->fy0 + (v->fy1 - v->fy0) * j / 24.0;
            double lon, lat;
            if (inv(v->pj, (px - v->px) / v->s + v->cx, (py - v->py) / v->s + v->cy, &lon, &lat) <
                0)
                continue;
            v->lon0 = fmin(v->lon0, lon);
            v->lat0 = fmin(v->lat0, lat);
            v->lon1 = fmax(v->lon1, lon);
            v->lat1 = fmax(v->lat1, lat);
        }
    }
    if (!isfinite(v->lon0)) { /* nothing inverts: take the whole world */
        v->lon0 = -180;
        v->lat0 = -90;
        v->lon1 = 180;
        v->lat1 = 90;
    }
}

/* North's direction and the ground length of a page point at the frame's centre. */
static void centre_facts(cor_mapview *v)
{
    double mx = (v->fx0 + v->fx1) / 2, my = (v->fy0 + v->fy1) / 2;
    double lon, lat, lon_a, lat_a, lon_b, lat_b, x, y, s12 = 0;
    v->north = 0;
    v->km_per_pt = 0;
    if (inv(v->pj, (mx - v->px) / v->s + v->cx, (my - v->py) / v->s + v->cy, &lon, &lat) < 0)
        return;
    v->lon_c = lon;
    if (fwd(v->pj, lon, fmin(lat + 0.05, 89.99), &x, &y) == 0) {
        double nx = (x - v->cx) * v->s + v->px - mx, ny = (y - v->cy) * v->s + v->py - my;
        v->north = atan2(nx, ny) * 180 / 3.14159265358979323846;
    }
    if (inv(v->pj, (mx - 50 - v->px) / v->s + v->cx, (my - v->py) / v->s + v->cy, &lon_a, &lat_a) ==
            0 &&
        inv(v->pj, (mx + 50 - v->px) / v->s + v->cx, (my - v->py) / v->s + v->cy, &lon_b, &lat_b) ==
            0) {
        struct geod_geodesic g;
        geod_init(&g, 6378137, 1 / 298.257223563);
        geod_inverse(&g, lat_a, lon_a, lat_b, lon_b, &s12, NULL, NULL);
        v->km_per_pt = s12 / 1000 / 100;
    }
}

int corridor__mapview_open(cor_mapview *v, const char *projection, const double ext[4],
                           const double frame[4])
{
    COR_GIS_NEEDED();
    int err = 0;
    char *def = NULL;
    double bb[4];
    memset(v, 0, sizeof *v);
    if (!(v->ctx = proj_context_create()))
        return corridor__oom();
    proj_log_level(v->ctx, PJ_LOG_NONE);
    def = projection && *projection ? corridor__strdup(projection) : default_projection(ext);
    if (!def) {
        err = corridor__oom();
        goto done;
    }
    if ((err = make_transform(v, def, projection && *projection ? projection : NULL)) < 0)
        goto done;
    if (extent_bbox(v->pj, ext, bb) < 0) {
        err = corridor__error(CORRIDOR_EUSAGE,
                              "--projection \"%s\" cannot show the extent %.4g,%.4g,%.4g,%.4g; "
                              "choose a projection for this part of the world",
                              def, ext[0], ext[1], ext[2], ext[3]);
        goto done;
    }
    v->fx0 = frame[0];
    v->fy0 = frame[1];
    v->fx1 = frame[2];
    v->fy1 = frame[3];
    v->s = fmin((frame[2] - frame[0]) / (bb[2] - bb[0]), (frame[3] - frame[1]) / (bb[3] - bb[1]));
    v->cx = (bb[0] + bb[2]) / 2;
    v->cy = (bb[1] + bb[3]) / 2;
    v->px = (frame[0] + frame[2]) / 2;
    v->py = (frame[1] + frame[3]) / 2;
    frame_extent(v);
    centre_facts(v);
    v->definition = def;
    def = NULL;
done:
    free(def);
    if (err < 0)
        corridor__mapview_close(v);
    return err;
}

void corridor__mapview_close(cor_mapview *v)
{
    if (!v)
        return;
    if (v->pj)
        proj_destroy(v->pj);
    if (v->ctx)
        proj_context_destroy(v->ctx);
    free(v->definition);
    memset(v, 0, sizeof *v);
}

int corridor__mapview_xy(const cor_mapview *v, double lon, double lat, double *x, double *y)
{
    double px, py;
    if (fwd(v->pj, lon, lat, &px, &py) < 0)
        return -1;
    *x = (px - v->cx) * v->s + v->px;
    *y = (py - v->cy) * v->s + v->py;
    return 0;
}

int corridor__clip_segment(double s[4], const double box[4])
{
    double t0 = 0, t1 = 1, dx = s[2] - s[0], dy = s[3] - s[1];
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {s[0] - box[0], box[2] - s[0], s[1] - box[1], box[3] - s[1]};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return 0;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0 && t > t0)
            t0 = t;
        else if (p[i] > 0 && t < t1)
            t1 = t;
        if (t0 > t1)
            return 0;
    }
    double x0 = s[0], y0 = s[1];
    s[0] = x0 + t0 * dx;
    s[1] = y0 + t0 * dy;
    s[2] = x0 + t1 * dx;
    s[3] = y0 + t1 * dy;
    return 1;
}
