/* export_ogr.c: the network in any vector format GDAL writes (GeoPackage, Shapefile, FlatGeobuf,
 * ...). */
/*
 * Two layers: `nodes` (Point) and `edges` (LineString, the edge's geometry,
 * or a great-circle arc between its nodes densified to 50 km steps). Columns
 * come from the model's field tables (corridor__columns), typed: numbers stay
 * Real even when every value is empty; whole numbers Integer; true/false
 * Integer with the Boolean subtype where the format has it; lists StringList
 * where the format has it, else one String joined with ';'. Formats that hold
 * one layer per file (Shapefile, FlatGeobuf, GeoJSON, CSV, ...) get two files,
 * NAME-nodes.EXT and NAME-edges.EXT. Shapefile's column names are at most 10
 * characters: longer names go through one short-name table (short_names
 * below, documented in docs/export-formats.md), never by truncation.
 *
 * Written whole or not at all: GDAL writes into a fresh folder beside the
 * target, and the files are moved into place when all of them are complete.
 * That writer (corridor__ogr_write) and the layer, column and geometry helpers
 * (ogr_internal.h) also serve the assignment's layer (assign_ogr.c).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gis_dl.h"

#include "ogr_internal.h"
#include "schema.h"

/* Column names longer than Shapefile's 10 characters, and the name written instead. */
static const char *const short_names[][2] = {
    {"transfer_time_h", "trf_time_h"},
    {"transfer_cost_usd", "trf_cost"},
    {"transfer_co2_kg", "trf_co2_kg"},
    {"dwell_time_h", "dwl_time_h"},
    {"dwell_cost_usd", "dwl_cost"},
    {"dwell_co2_kg", "dwl_co2_kg"},
    {"capacity_freight", "cap_freigh"},
    {"capacity_oil", "cap_oil"},
    {"capacity_gas", "cap_gas"},
    {"capacity_power", "cap_power"},
    {"capacity_data", "cap_data"},
    {"distance_km", "dist_km"},
    {"description", "descr"},
    /* the assignment layer (corridor assign -o) */
    {"volume_forward", "vol_fwd"},
    {"volume_backward", "vol_bwd"},
};

const char *corridor__column_short_name(const char *name)
{
    for (size_t i = 0; i < sizeof short_names / sizeof short_names[0]; i++)
        if (!strcmp(short_names[i][0], name))
            return short_names[i][1];
    return strlen(name) <= 10 ? name : NULL;
}

const char *corridor__column_long_name(const char *name)
{
    for (size_t i = 0; i < sizeof short_names / sizeof short_names[0]; i++)
        if (!strcmp(short_names[i][1], name))
            return short_names[i][0];
    return NULL;
}

/* ---------------------------------------------------------------- drivers */

static void gdal_ready(void)
{
    static int done = 0;
    if (!done) {
        GDALAllRegister();
        done = 1;
    }
}

/* Our names for common formats; anything else is a GDAL driver name. */
static const char *const aliases[][2] = {
    {"gpkg", "GPKG"},
    {"shp", "ESRI Shapefile"},
    {"shapefile", "ESRI Shapefile"},
    {"fgb", "FlatGeobuf"},
    {"kml", "KML"},
    {"sqlite", "SQLite"},
    {"ogr-geojson", "GeoJSON"},
    {"geojsonseq", "GeoJSONSeq"},
    {"ogr-csv", "CSV"},
    {"ogr-gml", "GML"},
    {"gpx", "GPX"},
    {"mapinfo", "MapInfo File"},
};

static int can_write_vector(GDALDriverH d)
{
    return d && GDALGetMetadataItem(d, GDAL_DCAP_VECTOR, NULL) &&
           GDALGetMetadataItem(d, GDAL_DCAP_CREATE, NULL);
}

const char *corridor__ogr_driver(const char *name)
{
    if (!corridor__gis())
        return NULL; /* the caller's entry point said why (COR_GIS_NEEDED) */
    gdal_ready();
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcasecmp(aliases[i][0], name))
            return aliases[i][1];
    GDALDriverH d = GDALGetDriverByName(name);
    if (can_write_vector(d))
        return GDALGetDriverShortName(d);
    /* a driver's usual extension ("gpkg", "fgb") */
    for (int i = 0; i < GDALGetDriverCount(); i++) {
        GDALDriverH x = GDALGetDriver(i);
        const char *ext = GDALGetMetadataItem(x, GDAL_DMD_EXTENSIONS, NULL);
        if (!can_write_vector(x) || !ext)
            continue;
        char **list = CSLTokenizeString2(ext, " ", 0);
        int hit = 0;
        for (int k = 0; list && list[k]; k++)
            hit |= !strcasecmp(list[k], name);
        CSLDestroy(list);
        if (hit)
            return GDALGetDriverShortName(x);
    }
    return NULL;
}

int corridor_export_ogr_formats(char **out)
{
    COR_GIS_NEEDED();
    cor_buf b;
    gdal_ready();
    corridor__buf_init(&b);
    for (int i = 0; i < GDALGetDriverCount(); i++) {
        GDALDriverH d = GDALGetDriver(i);
        if (!can_write_vector(d))
            continue;
        const char *ext = GDALGetMetadataItem(d, GDAL_DMD_EXTENSION, NULL);
        corridor__buf_printf(&b, "%s\t%s\t%s\n", GDALGetDriverShortName(d), ext ? ext : "",
                             GDALGetDriverLongName(d));
    }
    return (*out = corridor__buf_take(&b)) ? 0 : CORRIDOR_ENOMEM;
}

/* --------------------------------------------------------------- geometry */

size_t corridor__edge_line(const corridor_model *m, size_t e, double **out)
{
    const double *shape = NULL;
    size_t n = corridor__edge_shape(m, e, &shape);
    *out = NULL;
    if (n >= 2) {
        if ((*out = malloc(n * 2 * sizeof **out)))
            memcpy(*out, shape, n * 2 * sizeof **out);
        return *out ? n : 0;
    }
    const cor_node *a = &m->nodes[m->edges[e].from], *b = &m->nodes[m->edges[e].to];
    if (!a->has_pos || !b->has_pos ||
        corridor__great_circle_points(out, &n, a->lon, a->lat, b->lon, b->lat, 50, 0) < 0)
        return 0;
    return n;
}

/* ---------------------------------------------------------------- writing */

typedef struct ogr_out {
    const corridor_model *m;
    const cor_selection *sel;
    GDALDriverH drv;
    const char *driver;
    int lists, booleans, shapefile;
    cor_column cols[2][96];
    size_t n_cols[2];
    cor_scratch scratch;
    cor_cell cells[96];
} ogr_out;

int corridor__ogr_driver_has(GDALDriverH d, const char *item, const char *word)
{
    const char *v = GDALGetMetadataItem(d, item, NULL);
    if (!v)
        return 0;
    char **list = CSLTokenizeString2(v, " ", 0);
    int hit = 0;
    for (int k = 0; list && list[k]; k++)
        hit |= !strcmp(list[k], word);
    CSLDestroy(list);
    return hit;
}

int corridor__ogr_fail(const char *what, const char *path)
{
    const char *msg = CPLGetLastErrorMsg();
    return corridor__error(CORRIDOR_EIO, "%s: %s%s%s", path, what, msg && *msg ? ": " : "",
                           msg && *msg ? msg : "");
}

/* ------------------------------------------------------- shared helpers */

int corridor__ogr_field(OGRLayerH layer, const char *name, OGRFieldType t, OGRFieldSubType st,
                        int shapefile, const char *shown)
{
    const char *written = shapefile ? corridor__column_short_name(name) : name;
    if (!written)
        return corridor__error(CORRIDOR_EINTERNAL,
                               "column \"%s\" has no short name for Shapefile (add it to "
                               "short_names in src/export_ogr.c)",
                               name);
    OGRFieldDefnH fd = OGR_Fld_Create(written, t);
    if (!fd)
        return corridor__oom();
    OGR_Fld_SetSubType(fd, st);
    if (t == OFTString && shapefile)
        OGR_Fld_SetWidth(fd, 254);
    OGRErr e = OGR_L_CreateField(layer, fd, 1);
    OGR_Fld_Destroy(fd);
    return e == OGRERR_NONE ? 0 : corridor__ogr_fail("cannot create a column", shown);
}

int corridor__ogr_set_list(OGRFeatureH f, int idx, int lists, const char *const *list, size_t n)
{
    if (lists) {
        char **l = NULL;
        for (size_t k = 0; k < n; k++)
            l = CSLAddString(l, list[k]);
        if (!l)
            l = CSLAddString(NULL, ""), l = CSLRemoveStrings(l, 0, 1, NULL);
        OGR_F_SetFieldStringList(f, idx, l);
        CSLDestroy(l);
        return 0;
    }
    cor_buf b;
    corridor__buf_init(&b);
    for (size_t k = 0; k < n; k++) {
        corridor__buf_puts(&b, k ? ";" : "");
        corridor__buf_puts(&b, list[k]);
    }
    if (b.failed) {
        corridor__buf_free(&b);
        return corridor__oom();
    }
    OGR_F_SetFieldString(f, idx, b.data ? b.data : "");
    corridor__buf_free(&b);
    return 0;
}

OGRGeometryH corridor__ogr_point(const cor_node *n)
{
    if (!n->has_pos)
        return NULL;
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    if (g)
        OGR_G_SetPoint_2D(g, 0, n->lon, n->lat);
    return g;
}

OGRGeometryH corridor__ogr_edge_line(const corridor_model *m, size_t e)
{
    double *p = NULL;
    size_t n = corridor__edge_line(m, e, &p);
    if (n < 2) {
        free(p);
        return NULL;
    }
    OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);
    if (g) {
        OGR_G_SetPointCount(g, (int)n);
        for (size_t k = 0; k < n; k++)
            OGR_G_SetPoint_2D(g, (int)k, p[2 * k], p[2 * k + 1]);
    }
    free(p);
    return g;
}

int corridor__ogr_layer(OGRLayerH *out, GDALDatasetH ds, const char *driver, const char *name,
                        OGRwkbGeometryType type, const char *shown)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    char **lopts = NULL;
    *out = NULL;
    if (!srs || OSRImportFromEPSG(srs, 4326) != OGRERR_NONE) {
        if (srs)
            OSRDestroySpatialReference(srs);
        return corridor__ogr_fail("cannot make the WGS 84 reference system", shown);
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    if (!strcmp(driver, "GeoJSON"))
        lopts = CSLSetNameValue(lopts, "RFC7946", "YES");
    if (!strcmp(driver, "FlatGeobuf")) /* its spatial index would reorder the features */
        lopts = CSLSetNameValue(lopts, "SPATIAL_INDEX", "NO");
    *out = GDALDatasetCreateLayer(ds, name, srs, type, lopts);
    CSLDestroy(lopts);
    OSRDestroySpatialReference(srs);
    return *out ? 0 : corridor__ogr_fail("cannot create a layer", shown);
}

/* --------------------------------------------------------- the model's layers */

static int create_fields(ogr_out *o, OGRLayerH layer, int edge, const char *path)
{
    int err = 0;
    for (size_t i = 0; i < o->n_cols[edge] && err == 0; i++) {
        const cor_column *c = &o->cols[edge][i];
        OGRFieldType t = OFTString;
        OGRFieldSubType st = OFSTNone;
        switch (c->type) {
        case COL_NUM:
            t = OFTReal;
            break;
        case COL_INT:
            t = OFTInteger;
            break;
        case COL_BOOL:
            t = OFTInteger;
            st = o->booleans ? OFSTBoolean : OFSTNone;
            break;
        case COL_LIST:
            t = o->lists ? OFTStringList : OFTString;
            break;
        default:
            t = OFTString;
        }
        err = corridor__ogr_field(layer, c->name, t, st, o->shapefile, path);
    }
    return err;
}

static int set_cell(ogr_out *o, OGRFeatureH f, int idx, const cor_column *c, const cor_cell *v)
{
    if (!v->present) {
        OGR_F_SetFieldNull(f, idx);
        return 0;
    }
    switch (c->type) {
    case COL_NUM:
        OGR_F_SetFieldDouble(f, idx, v->num);
        return 0;
    case COL_INT:
    case COL_BOOL:
        OGR_F_SetFieldInteger(f, idx, (int)v->num);
        return 0;
    case COL_LIST:
        return corridor__ogr_set_list(f, idx, o->lists, v->list, v->n_list);
    default:
        OGR_F_SetFieldString(f, idx, v->str ? v->str : "");
        return 0;
    }
}

static int write_layer(ogr_out *o, GDALDatasetH ds, int edge, const char *path)
{
    OGRLayerH layer = NULL;
    int err = corridor__ogr_layer(&layer, ds, o->driver, edge ? "edges" : "nodes",
                                  edge ? wkbLineString : wkbPoint, path);
    if (err < 0 || (err = create_fields(o, layer, edge, path)) < 0)
        return err;
    size_t count = edge ? o->m->n_edges : o->m->n_nodes;
    const unsigned char *ok = edge ? o->sel->edge_ok : o->sel->node_ok;
    OGRFeatureDefnH def = OGR_L_GetLayerDefn(layer);
    for (size_t i = 0; i < count && err == 0; i++) {
        if (!ok[i])
            continue;
        OGRFeatureH f = OGR_F_Create(def);
        if (!f)
            return corridor__oom();
        corridor__cells(o->cells, o->cols[edge], o->n_cols[edge], o->m, edge ? COR_EDGE : COR_NODE,
                        i, &o->scratch);
        for (size_t c = 0; c < o->n_cols[edge] && err == 0; c++)
            err = set_cell(o, f, (int)c, &o->cols[edge][c], &o->cells[c]);
        OGRGeometryH g =
            edge ? corridor__ogr_edge_line(o->m, i) : corridor__ogr_point(&o->m->nodes[i]);
        if (g)
            OGR_F_SetGeometryDirectly(f, g);
        if (err == 0 && OGR_L_CreateFeature(layer, f) != OGRERR_NONE)
            err = corridor__ogr_fail("cannot write a feature", path);
        OGR_F_Destroy(f);
    }
    return err;
}

/* The model export's fill: nodes (which 0), edges (1), or both (-1). */
static int fill_model(void *ctx, GDALDatasetH ds, int which, const char *shown)
{
    int err = 0;
    for (int edge = 0; edge < 2 && err == 0; edge++)
        if (which < 0 || which == edge)
            err = write_layer(ctx, ds, edge, shown);
    return err;
}

/* ---------------------------------------------------------------- writing */

/* Removes a folder and the files in it (the temporary export folder). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *p = corridor__asprintf("%s/%s", dir, de->d_name);
        if (p)
            unlink(p);
        free(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Moves every file of `tmp` into `dir`, fsynced first. */
static int commit_dir(const char *tmp, const char *dir)
{
    DIR *d = opendir(tmp);
    struct dirent *de;
    int err = 0;
    if (!d)
        return corridor__error(CORRIDOR_EIO, "%s: %s", tmp, strerror(errno));
    while (err == 0 && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *from = corridor__asprintf("%s/%s", tmp, de->d_name);
        char *to = corridor__asprintf("%s/%s", dir, de->d_name);
        if (!from || !to)
            err = corridor__oom();
        else if (rename(from, to) != 0)
            err = corridor__error(CORRIDOR_EIO, "%s: cannot move into place: %s", to,
                                  strerror(errno));
        free(from);
        free(to);
    }
    closedir(d);
    return err;
}

/* Splits PATH into folder, stem and extension (".gpkg"), newly allocated. */
static int split_path(const char *path, char **dir, char **stem, char **ext)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    *dir = slash ? corridor__strndup(path, (size_t)(slash - path)) : corridor__strdup(".");
    if (*dir && !**dir) {
        free(*dir);
        *dir = corridor__strdup("/");
    }
    *stem = corridor__strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
    *ext = corridor__strdup(dot && dot != base ? dot : "");
    return *dir && *stem && *ext ? 0 : corridor__oom();
}

static int create_and_fill(GDALDriverH drv, const char *file, int which, const char *shown,
                           cor_ogr_fill_fn fill, void *ctx)
{
    CPLErrorReset();
    GDALDatasetH ds = GDALCreate(drv, file, 0, 0, 0, GDT_Unknown, NULL);
    int err = 0;
    if (!ds)
        return corridor__ogr_fail("cannot create", shown);
    /* one transaction where the format has them (GeoPackage: not one commit per feature) */
    int in_tx = GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE;
    err = fill(ctx, ds, which, shown);
    if (in_tx && err == 0 && GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
        err = corridor__ogr_fail("cannot commit", shown);
    GDALClose(ds);
    if (err == 0 && CPLGetLastErrorType() >= CE_Failure)
        err = corridor__ogr_fail("writing failed", shown);
    return err;
}

static int is_multi_layer(GDALDriverH drv, const char *driver)
{
    return GDALGetMetadataItem(drv, GDAL_DCAP_MULTIPLE_VECTOR_LAYERS, NULL) != NULL &&
           strcmp(driver, "ESRI Shapefile") != 0;
}

int corridor__ogr_one_file(const char *driver, int mixed)
{
    if (!corridor__gis())
        return 0;
    gdal_ready();
    GDALDriverH drv = GDALGetDriverByName(driver);
    return drv && (is_multi_layer(drv, driver) ||
                   (mixed && (!strcmp(driver, "GeoJSON") || !strcmp(driver, "GeoJSONSeq"))));
}

int corridor__ogr_paths(char **first, char **second, const char *path, const char *driver,
                        const char *const names[2], int mixed)
{
    COR_GIS_NEEDED();
    char *dir = NULL, *stem = NULL, *ext = NULL;
    int err = split_path(path, &dir, &stem, &ext);
    *first = *second = NULL;
    if (err == 0 && driver && corridor__ogr_one_file(driver, mixed)) {
        if (!(*first = corridor__strdup(path)))
            err = corridor__oom();
    } else if (err == 0) {
        const char *sep = strcmp(dir, "/") ? "/" : "";
        *first = corridor__asprintf("%s%s%s-%s%s", dir, sep, stem, names[0], ext);
        *second = corridor__asprintf("%s%s%s-%s%s", dir, sep, stem, names[1], ext);
        if (!*first || !*second)
            err = corridor__oom();
    }
    if (err < 0) {
        free(*first);
        free(*second);
        *first = *second = NULL;
    }
    free(dir);
    free(stem);
    free(ext);
    return err;
}

int corridor__export_ogr_paths(char **first, char **second, const char *path)
{
    COR_GIS_NEEDED();
    static const char *const names[2] = {"nodes", "edges"};
    const char *ext = strrchr(path, '.');
    const char *driver = ext && !strchr(ext, '/') ? corridor__ogr_driver(ext + 1) : NULL;
    return corridor__ogr_paths(first, second, path, driver, names, 0);
}

int corridor__ogr_write(const char *driver, const char *path, const char *const names[2], int mixed,
                        cor_ogr_fill_fn fill, void *ctx)
{
    COR_GIS_NEEDED();
    char *dir = NULL, *stem = NULL, *ext = NULL, *tmp = NULL, *file = NULL;
    int err = 0;
    gdal_ready();
    GDALDriverH drv = GDALGetDriverByName(driver);
    if (!can_write_vector(drv))
        return corridor__error(CORRIDOR_EUSAGE, "GDAL cannot write %s here", driver);
    if ((err = split_path(path, &dir, &stem, &ext)) < 0)
        goto done;
    if (!(tmp = corridor__asprintf("%s/.%s.tmp.XXXXXX", dir, stem)) || !mkdtemp(tmp)) {
        err = tmp ? corridor__error(CORRIDOR_EIO, "%s: cannot write here: %s", dir, strerror(errno))
                  : corridor__oom();
        free(tmp);
        tmp = NULL;
        goto done;
    }
    CPLPushErrorHandler(CPLQuietErrorHandler);
    if (corridor__ogr_one_file(driver, mixed)) {
        if (!(file = corridor__asprintf("%s/%s%s", tmp, stem, ext)))
            err = corridor__oom();
        else
            err = create_and_fill(drv, file, -1, path, fill, ctx);
    } else {
        for (int k = 0; k < 2 && err == 0; k++) {
            free(file);
            char *shown = corridor__asprintf("%s/%s-%s%s", dir, stem, names[k], ext);
            file = corridor__asprintf("%s/%s-%s%s", tmp, stem, names[k], ext);
            err = file && shown ? create_and_fill(drv, file, k, shown, fill, ctx) : corridor__oom();
            free(shown);
        }
    }
    CPLPopErrorHandler();
    if (err == 0)
        err = commit_dir(tmp, dir);
done:
    if (tmp)
        remove_dir(tmp);
    free(tmp);
    free(file);
    free(dir);
    free(stem);
    free(ext);
    return err;
}

int corridor__export_ogr(const corridor_model *m, const cor_selection *sel, const char *driver,
                         const char *path)
{
    COR_GIS_NEEDED();
    static const char *const names[2] = {"nodes", "edges"};
    ogr_out o;
    int err = 0;
    gdal_ready();
    memset(&o, 0, sizeof o);
    o.m = m;
    o.sel = sel;
    o.driver = driver;
    o.drv = GDALGetDriverByName(driver);
    if (!can_write_vector(o.drv))
        return corridor__error(CORRIDOR_EUSAGE, "GDAL cannot write %s here", driver);
    o.shapefile = !strcmp(driver, "ESRI Shapefile");
    o.lists = corridor__ogr_driver_has(o.drv, GDAL_DMD_CREATIONFIELDDATATYPES, "StringList");
    o.booleans = corridor__ogr_driver_has(o.drv, GDAL_DMD_CREATIONFIELDDATASUBTYPES, "Boolean");
    o.n_cols[0] = corridor__columns(o.cols[0], 96, COR_NODE);
    o.n_cols[1] = corridor__columns(o.cols[1], 96, COR_EDGE);
    if (!(o.scratch.ids = calloc(m->n_corridors + 1, sizeof *o.scratch.ids)))
        return corridor__oom();
    err = corridor__ogr_write(driver, path, names, 0, fill_model, &o);
    free(o.scratch.ids);
    return err;
}
