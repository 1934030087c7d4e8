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

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "export_ogr.h"
#include "schema.h"

/* Column names longer than Shapefile's 10 characters, and the name written instead. */
static const char *const short_names[][2] = {
    {"transfer_time_h", "trf_time_h"},  {"transfer_cost_usd", "trf_cost"},
    {"transfer_co2_kg", "trf_co2_kg"},  {"dwell_time_h", "dwl_time_h"},
    {"dwell_cost_usd", "dwl_cost"},     {"dwell_co2_kg", "dwl_co2_kg"},
    {"capacity_freight", "cap_freigh"}, {"capacity_oil", "cap_oil"},
    {"capacity_gas", "cap_gas"},        {"capacity_power", "cap_power"},
    {"capacity_data", "cap_data"},      {"distance_km", "dist_km"},
    {"description", "descr"},
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

static int driver_has(GDALDriverH d, const char *item, const char *word)
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

static int gdal_fail(const char *what, const char *path)
{
    const char *msg = CPLGetLastErrorMsg();
    return corridor__error(CORRIDOR_EIO, "%s: %s%s%s", path, what, msg && *msg ? ": " : "",
                           msg && *msg ? msg : "");
}

static const char *column_name(const ogr_out *o, const cor_column *c)
{
    return o->shapefile ? corridor__column_short_name(c->name) : c->name;
}

static int create_fields(ogr_out *o, OGRLayerH layer, int edge, const char *path)
{
    for (size_t i = 0; i < o->n_cols[edge]; i++) {
        const cor_column *c = &o->cols[edge][i];
        const char *name = column_name(o, c);
        OGRFieldType t = OFTString;
        OGRFieldSubType st = OFSTNone;
        if (!name)
            return corridor__error(CORRIDOR_EINTERNAL,
                                   "column \"%s\" has no short name for %s (add it to "
                                   "short_names in src/export_ogr.c)",
                                   c->name, o->driver);
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
        OGRFieldDefnH fd = OGR_Fld_Create(name, t);
        if (!fd)
            return corridor__oom();
        OGR_Fld_SetSubType(fd, st);
        if (t == OFTString && o->shapefile)
            OGR_Fld_SetWidth(fd, 254);
        OGRErr e = OGR_L_CreateField(layer, fd, 1);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            return gdal_fail("cannot create a column", path);
    }
    return 0;
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
        if (o->lists) {
            char **l = NULL;
            for (size_t k = 0; k < v->n_list; k++)
                l = CSLAddString(l, v->list[k]);
            if (!l)
                l = CSLAddString(NULL, ""), l = CSLRemoveStrings(l, 0, 1, NULL);
            OGR_F_SetFieldStringList(f, idx, l);
            CSLDestroy(l);
        } else {
            cor_buf b;
            corridor__buf_init(&b);
            for (size_t k = 0; k < v->n_list; k++) {
                corridor__buf_puts(&b, k ? ";" : "");
                corridor__buf_puts(&b, v->list[k]);
            }
            if (b.failed) {
                corridor__buf_free(&b);
                return corridor__oom();
            }
            OGR_F_SetFieldString(f, idx, b.data ? b.data : "");
            corridor__buf_free(&b);
        }
        return 0;
    default:
        OGR_F_SetFieldString(f, idx, v->str ? v->str : "");
        return 0;
    }
}

static OGRGeometryH element_geometry(const ogr_out *o, int edge, size_t i)
{
    if (!edge) {
        const cor_node *n = &o->m->nodes[i];
        if (!n->has_pos)
            return NULL;
        OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
        if (g)
            OGR_G_SetPoint_2D(g, 0, n->lon, n->lat);
        return g;
    }
    double *p = NULL;
    size_t n = corridor__edge_line(o->m, i, &p);
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

static int write_layer(ogr_out *o, GDALDatasetH ds, int edge, const char *path)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    char **lopts = NULL;
    int err = 0;
    if (!srs || OSRImportFromEPSG(srs, 4326) != OGRERR_NONE) {
        if (srs)
            OSRDestroySpatialReference(srs);
        return gdal_fail("cannot make the WGS 84 reference system", path);
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    if (!strcmp(o->driver, "GeoJSON"))
        lopts = CSLSetNameValue(lopts, "RFC7946", "YES");
    if (!strcmp(o->driver, "FlatGeobuf")) /* its spatial index would reorder the features */
        lopts = CSLSetNameValue(lopts, "SPATIAL_INDEX", "NO");
    OGRLayerH layer = GDALDatasetCreateLayer(ds, edge ? "edges" : "nodes", srs,
                                             edge ? wkbLineString : wkbPoint, lopts);
    CSLDestroy(lopts);
    OSRDestroySpatialReference(srs);
    if (!layer)
        return gdal_fail("cannot create a layer", path);
    if ((err = create_fields(o, layer, edge, path)) < 0)
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
        OGRGeometryH g = element_geometry(o, edge, i);
        if (g)
            OGR_F_SetGeometryDirectly(f, g);
        if (err == 0 && OGR_L_CreateFeature(layer, f) != OGRERR_NONE)
            err = gdal_fail("cannot write a feature", path);
        OGR_F_Destroy(f);
    }
    return err;
}

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

static int create_and_fill(ogr_out *o, const char *file, int which, const char *shown)
{
    CPLErrorReset();
    GDALDatasetH ds = GDALCreate(o->drv, file, 0, 0, 0, GDT_Unknown, NULL);
    int err = 0;
    if (!ds)
        return gdal_fail("cannot create", shown);
    /* one transaction where the format has them (GeoPackage: not one commit per feature) */
    int in_tx = GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE;
    for (int edge = 0; edge < 2 && err == 0; edge++)
        if (which < 0 || which == edge)
            err = write_layer(o, ds, edge, shown);
    if (in_tx && err == 0 && GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
        err = gdal_fail("cannot commit", shown);
    GDALClose(ds);
    if (err == 0 && CPLGetLastErrorType() >= CE_Failure)
        err = gdal_fail("writing failed", shown);
    return err;
}

static int is_multi_layer(GDALDriverH drv, const char *driver)
{
    return GDALGetMetadataItem(drv, GDAL_DCAP_MULTIPLE_VECTOR_LAYERS, NULL) != NULL &&
           strcmp(driver, "ESRI Shapefile") != 0;
}

int corridor__export_ogr_paths(char **first, char **second, const char *path)
{
    char *dir = NULL, *stem = NULL, *ext = NULL;
    int err = split_path(path, &dir, &stem, &ext);
    const char *driver = err == 0 && *ext ? corridor__ogr_driver(ext + 1) : NULL;
    int multi = driver && is_multi_layer(GDALGetDriverByName(driver), driver);
    *first = *second = NULL;
    if (err == 0 && multi) {
        if (!(*first = corridor__strdup(path)))
            err = corridor__oom();
    } else if (err == 0) {
        const char *sep = strcmp(dir, "/") ? "/" : "";
        *first = corridor__asprintf("%s%s%s-nodes%s", dir, sep, stem, ext);
        *second = corridor__asprintf("%s%s%s-edges%s", dir, sep, stem, ext);
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

int corridor__export_ogr(const corridor_model *m, const cor_selection *sel, const char *driver,
                         const char *path)
{
    ogr_out o;
    char *dir = NULL, *stem = NULL, *ext = NULL, *tmp = NULL, *file = NULL;
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
    o.lists = driver_has(o.drv, GDAL_DMD_CREATIONFIELDDATATYPES, "StringList");
    o.booleans = driver_has(o.drv, GDAL_DMD_CREATIONFIELDDATASUBTYPES, "Boolean");
    o.n_cols[0] = corridor__columns(o.cols[0], 96, COR_NODE);
    o.n_cols[1] = corridor__columns(o.cols[1], 96, COR_EDGE);
    o.scratch.ids = calloc(m->n_corridors + 1, sizeof *o.scratch.ids);
    int multi = is_multi_layer(o.drv, driver);
    if (!o.scratch.ids || (err = split_path(path, &dir, &stem, &ext)) < 0) {
        err = err < 0 ? err : corridor__oom();
        goto done;
    }
    if (!(tmp = corridor__asprintf("%s/.%s.tmp.XXXXXX", dir, stem)) || !mkdtemp(tmp)) {
        err = tmp ? corridor__error(CORRIDOR_EIO, "%s: cannot write here: %s", dir, strerror(errno))
                  : corridor__oom();
        free(tmp);
        tmp = NULL;
        goto done;
    }
    CPLPushErrorHandler(CPLQuietErrorHandler);
    if (multi) {
        if (!(file = corridor__asprintf("%s/%s%s", tmp, stem, ext)))
            err = corridor__oom();
        else
            err = create_and_fill(&o, file, -1, path);
    } else {
        for (int edge = 0; edge < 2 && err == 0; edge++) {
            free(file);
            char *shown =
                corridor__asprintf("%s/%s-%s%s", dir, stem, edge ? "edges" : "nodes", ext);
            file = corridor__asprintf("%s/%s-%s%s", tmp, stem, edge ? "edges" : "nodes", ext);
            err = file && shown ? create_and_fill(&o, file, edge, shown) : corridor__oom();
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
    free(o.scratch.ids);
    return err;
}
