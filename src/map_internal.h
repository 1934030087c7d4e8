/* map_internal.h: the page, the projection and the basemap of a geographic map (map.c, basemap.c).
 */
#ifndef CORRIDOR_MAP_INTERNAL_H
#define CORRIDOR_MAP_INTERNAL_H

#include <stddef.h>

#include "internal.h"

/** A printed page: size in points (1/72 inch), raster resolution. */
typedef struct cor_page {
    double w, h; /* points */
    double dpi;  /* dots per inch for raster output */
} cor_page;

/**
 * Parses a page size ("A4", "A3", "A2", "letter", "WxHmm", "WxHpx"; NULL: A3)
 * with an orientation (0: landscape for named sizes, as given for WxH;
 * 1 landscape; 2 portrait) and a dpi (0: 150). CORRIDOR_EUSAGE with the
 * reason for an unknown name or a size that is not positive.
 */
int corridor__page_parse(cor_page *out, const char *size, int orientation, double dpi);

/**
 * A projection fitted to a frame on the page: page = (proj - c) * s + p.
 * Filled by corridor__mapview_open, released by corridor__mapview_close.
 */
typedef struct cor_mapview {
    void *ctx, *pj;                /* PJ_CONTEXT, PJ (lon, lat in degrees -> x, y) */
    char *definition;              /* the projection used, as PROJ text */
    double fx0, fy0, fx1, fy1;     /* the map frame on the page, points */
    double s, cx, cy, px, py;      /* projection -> page */
    double lon0, lat0, lon1, lat1; /* the extent shown (lon/lat bounding box of the frame) */
    double lon_c;                  /* longitude at the frame's centre */
    double north;                  /* angle of north from page up at the centre, degrees */
    double km_per_pt;              /* ground distance of a page point at the centre */
} cor_mapview;

/**
 * Fits `projection` (NULL or "": a Lambert conformal conic with standard
 * parallels at 1/6 and 5/6 of the extent; else any PROJ string or "EPSG:N")
 * so that the extent ext = {lon0, lat0, lon1, lat1} fills the frame
 * {x0, y0, x1, y1} (points) and is centred in it. CORRIDOR_EUSAGE for a
 * projection PROJ does not know or one that cannot show the extent.
 * Time: O(1) (a few dozen projected points).
 */
int corridor__mapview_open(cor_mapview *v, const char *projection, const double ext[4],
                           const double frame[4]);
void corridor__mapview_close(cor_mapview *v);

/** Page position of lon, lat; -1 (x, y untouched) if the projection cannot show it. */
int corridor__mapview_xy(const cor_mapview *v, double lon, double lat, double *x, double *y);

/** A country name to draw at a point inside the country's polygon. */
typedef struct cor_country_pt {
    size_t country; /* index into the model's countries */
    double x, y;    /* page points */
} cor_country_pt;

/**
 * Draws the basemap under the map frame as xdot drawing operations appended
 * to `xdot`: water, land, lakes, borders. `basemap`: NULL for the built-in
 * Natural Earth data, "none" for nothing, else a GeoJSON file (polygons as
 * land, lines as borders). For the built-in data, fills *pts (malloc'd,
 * caller frees) with a point inside each of the `codes` (ISO 3166 alpha-2)
 * countries visible in the frame. CORRIDOR_EIO if the file cannot be read,
 * CORRIDOR_EINVALID if it is not GeoJSON. Time: O(basemap vertices).
 */
int corridor__basemap_xdot(cor_buf *xdot, cor_country_pt **pts, size_t *npts, const cor_mapview *v,
                           const char *basemap, const char *const *codes, size_t ncodes);

#endif
