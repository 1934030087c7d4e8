/* assign_ogr.c: an assignment as a GIS layer through GDAL (corridor assign -o FILE). */
/*
 * One feature per loaded element and commodity. Edges are lines with the
 * shape export gives them (the model's geometry, or a great-circle arc:
 * corridor__edge_line); nodes with a capacity are points. The columns are
 * one table below (a column is on edges, nodes or both); the files are made
 * by export's writer (corridor__ogr_write: whole or not at all), so the
 * formats, the layer layout and Shapefile's short names are export's, but
 * for GeoJSON, which gets one collection of points and lines.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gis_dl.h"

#include "ogr_internal.h"
#include "schema.h"

#define ON_EDGES 1u
#define ON_NODES 2u

typedef enum acol {
    AC_ELEMENT,
    AC_ID,
    AC_NAME,
    AC_MODE,
    AC_KIND,
    AC_CORRIDORS,
    AC_CARRY,
    AC_UNIT,
    AC_VOLUME,
    AC_VOL_FWD,
    AC_VOL_BWD,
    AC_CAPACITY,
    AC_VC,
    AC_TIME0,
    AC_TIME,
    AC_ALPHA,
    AC_BETA,
    AC_COUNT
} acol;

/* The columns, in order: name, type (OFTStringList: a list) and the features that have it. */
static const struct {
    const char *name;
    OGRFieldType type;
    unsigned on;
} columns[AC_COUNT] = {
    {"element", OFTString, ON_EDGES | ON_NODES},
    {"id", OFTString, ON_EDGES | ON_NODES},
    {"name", OFTString, ON_EDGES | ON_NODES},
    {"mode", OFTString, ON_EDGES},
    {"kind", OFTString, ON_NODES},
    {"corridors", OFTStringList, ON_EDGES},
    {"carry", OFTString, ON_EDGES | ON_NODES},
    {"unit", OFTString, ON_EDGES | ON_NODES},
    {"volume", OFTReal, ON_EDGES | ON_NODES},
    {"volume_forward", OFTReal, ON_EDGES},
    {"volume_backward", OFTReal, ON_EDGES},
    {"capacity", OFTReal, ON_EDGES | ON_NODES},
    {"vc", OFTReal, ON_EDGES | ON_NODES},
    {"time0_h", OFTReal, ON_EDGES | ON_NODES},
    {"time_h", OFTReal, ON_EDGES | ON_NODES},
    {"bpr_alpha", OFTReal, ON_EDGES | ON_NODES},
    {"bpr_beta", OFTReal, ON_EDGES | ON_NODES},
};

static const char *const layer_names[2] = {"edges", "nodes"};

typedef struct gis_out {
    const corridor_assignment *a;
    const corridor_model *m;
    const char *driver;
    int shapefile, lists, mixed; /* mixed: one layer of points and lines (GeoJSON) */
    long *where;                 /* per element: its model edge or node; -1: not written */
    size_t n_edges, n_nodes;     /* features written */
    const char **ids;            /* scratch: an edge's corridor ids */
} gis_out;

/* 1 if the element is written: every loaded edge, and nodes with a capacity. */
static int written(const corridor_assign_element *e)
{
    return e->type[0] == 'e' || e->capacity < INFINITY;
}

/* Creates one layer with the columns of `on`; idx gets each column's index (-1: none). */
static int make_layer(gis_out *o, OGRLayerH *layer, GDALDatasetH ds, const char *name,
                      OGRwkbGeometryType type, unsigned on, int idx[AC_COUNT], const char *shown)
{
    int err = corridor__ogr_layer(layer, ds, o->driver, name, type, shown), k = 0;
    for (int c = 0; c < AC_COUNT && err == 0; c++) {
        idx[c] = -1;
        if (!(columns[c].on & on))
            continue;
        OGRFieldType t =
            columns[c].type == OFTStringList && !o->lists ? OFTString : columns[c].type;
        if ((err = corridor__ogr_field(*layer, columns[c].name, t, OFSTNone, o->shapefile,
                                       shown)) == 0)
            idx[c] = k++;
    }
    return err;
}

static void set_str(OGRFeatureH f, int i, const char *s)
{
    if (i < 0)
        return;
    if (s)
        OGR_F_SetFieldString(f, i, s);
    else
        OGR_F_SetFieldNull(f, i);
}

static void set_num(OGRFeatureH f, int i, double v)
{
    if (i < 0)
        return;
    if (isfinite(v))
        OGR_F_SetFieldDouble(f, i, v);
    else
        OGR_F_SetFieldNull(f, i);
}

/* Fills the columns of element k (edge or node) into f. */
static int set_fields(gis_out *o, OGRFeatureH f, const int idx[AC_COUNT], size_t k)
{
    const corridor_assign_element *e = &o->a->elements[k];
    const corridor_model *m = o->m;
    int edge = e->type[0] == 'e', capped = e->capacity < INFINITY;
    long w = o->where[k];
    set_str(f, idx[AC_ELEMENT], e->type);
    set_str(f, idx[AC_ID], e->id);
    set_str(f, idx[AC_NAME], edge ? m->edges[w].name : m->nodes[w].name);
    set_str(f, idx[AC_CARRY], corridor_commodity_name(e->carry));
    set_str(f, idx[AC_UNIT], corridor_model_unit(m, e->carry));
    set_num(f, idx[AC_VOLUME], e->volume);
    set_num(f, idx[AC_CAPACITY], e->capacity);
    set_num(f, idx[AC_VC], capped ? e->vc : NAN);
    set_num(f, idx[AC_TIME0], e->time0);
    set_num(f, idx[AC_TIME], e->time);
    set_num(f, idx[AC_ALPHA], capped ? e->alpha : NAN); /* BPR applies with a capacity only */
    set_num(f, idx[AC_BETA], capped ? e->beta : NAN);
    if (!edge) {
        set_str(f, idx[AC_KIND], corridor_kind_name(m->nodes[w].kind));
        return 0;
    }
    const cor_edge *ed = &m->edges[w];
    set_str(f, idx[AC_MODE], corridor_mode_name(ed->mode));
    set_num(f, idx[AC_VOL_FWD], e->volume_forward);
    set_num(f, idx[AC_VOL_BWD], e->volume_backward);
    for (size_t c = 0; c < ed->n_corridors; c++)
        o->ids[c] = m->corridors[ed->corridors[c]].id;
    return idx[AC_CORRIDORS] < 0
               ? 0
               : corridor__ogr_set_list(f, idx[AC_CORRIDORS], o->lists, o->ids, ed->n_corridors);
}

/* Writes the elements of `on` (edges, nodes or both) into layer. */
static int write_features(gis_out *o, OGRLayerH layer, const int idx[AC_COUNT], unsigned on,
                          const char *shown)
{
    OGRFeatureDefnH def = OGR_L_GetLayerDefn(layer);
    int err = 0;
    for (size_t k = 0; k < o->a->n_elements && err == 0; k++) {
        const corridor_assign_element *e = &o->a->elements[k];
        int edge = e->type[0] == 'e';
        if (o->where[k] < 0 || !((edge ? ON_EDGES : ON_NODES) & on))
            continue;
        OGRFeatureH f = OGR_F_Create(def);
        if (!f)
            return corridor__oom();
        err = set_fields(o, f, idx, k);
        OGRGeometryH g = edge ? corridor__ogr_edge_line(o->m, (size_t)o->where[k])
                              : corridor__ogr_point(&o->m->nodes[o->where[k]]);
        if (g)
            OGR_F_SetGeometryDirectly(f, g);
        if (err == 0 && OGR_L_CreateFeature(layer, f) != OGRERR_NONE)
            err = corridor__ogr_fail("cannot write a feature", shown);
        OGR_F_Destroy(f);
        if (err == 0)
            ++*(edge ? &o->n_edges : &o->n_nodes);
    }
    return err;
}

/* corridor__ogr_write's fill: edges (which 0), nodes (1), both (-1: two layers, or one mixed). */
static int fill(void *ctx, GDALDatasetH ds, int which, const char *shown)
{
    gis_out *o = ctx;
    int idx[AC_COUNT], err = 0;
    OGRLayerH layer = NULL;
    if (which < 0 && o->mixed) {
        unsigned both = ON_EDGES | ON_NODES;
        if ((err = make_layer(o, &layer, ds, "assignment", wkbUnknown, both, idx, shown)) == 0)
            err = write_features(o, layer, idx, both, shown);
        return err;
    }
    for (int k = 0; k < 2 && err == 0; k++) {
        unsigned on = k == 0 ? ON_EDGES : ON_NODES;
        if (which >= 0 && which != k)
            continue;
        if ((err = make_layer(o, &layer, ds, layer_names[k], k == 0 ? wkbLineString : wkbPoint, on,
                              idx, shown)) == 0)
            err = write_features(o, layer, idx, on, shown);
    }
    return err;
}

/* The GDAL driver of `format`, or of path's extension; CORRIDOR_EUSAGE if there is none. */
static int gis_driver(const char **driver, const char *path, const char *format)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    const char *dot = path ? strrchr(slash ? slash + 1 : path, '.') : NULL;
    if (!path || !*path)
        return corridor__error(CORRIDOR_EUSAGE, "a GIS layer needs an output file name");
    if (!format && (!dot || dot == (slash ? slash + 1 : path) || !dot[1]))
        return corridor__error(CORRIDOR_EUSAGE,
                               "%s: cannot tell the GIS format without an extension: name it "
                               ".gpkg, .geojson, .shp, .fgb, ... or give the format",
                               path);
    const char *name = format ? format : dot + 1;
    COR_GIS_NEEDED();
    if (!(*driver = corridor__ogr_driver(name)))
        return corridor__error(CORRIDOR_EUSAGE,
                               "GIS format \"%s\" is not one GDAL writes here (corridor export "
                               "--formats lists them)",
                               name);
    return 0;
}

int corridor_assignment_gis_paths(char **first, char **second, const char *path, const char *format)
{
    COR_GIS_NEEDED();
    const char *driver = NULL;
    int err = gis_driver(&driver, path, format);
    *first = *second = NULL;
    return err < 0 ? err : corridor__ogr_paths(first, second, path, driver, layer_names, 1);
}

int corridor_assignment_write_gis(size_t *n_edges, size_t *n_nodes, const corridor_assignment *a,
                                  const corridor_model *model, const char *path, const char *format)
{
    COR_GIS_NEEDED();
    gis_out o;
    int err = 0;
    memset(&o, 0, sizeof o);
    if (n_edges)
        *n_edges = 0;
    if (n_nodes)
        *n_nodes = 0;
    if (!a || !model)
        return corridor__error(CORRIDOR_EUSAGE, "a GIS layer needs an assignment and its model");
    if ((err = gis_driver(&o.driver, path, format)) < 0)
        return err;
    GDALDriverH drv = GDALGetDriverByName(o.driver);
    o.a = a;
    o.m = model;
    o.shapefile = !strcmp(o.driver, "ESRI Shapefile");
    o.lists = corridor__ogr_driver_has(drv, GDAL_DMD_CREATIONFIELDDATATYPES, "StringList");
    o.mixed = corridor__ogr_one_file(o.driver, 1) && !corridor__ogr_one_file(o.driver, 0);
    o.where = malloc((a->n_elements + 1) * sizeof *o.where);
    o.ids = malloc((model->n_corridors + 1) * sizeof *o.ids);
    if (!o.where || !o.ids) {
        err = corridor__oom();
        goto done;
    }
    for (size_t k = 0; k < a->n_elements; k++) {
        const corridor_assign_element *e = &a->elements[k];
        int edge = e->type[0] == 'e';
        long w = edge ? corridor__edge_find(model, e->id) : corridor__node_find(model, e->id);
        if (w < 0) {
            err = corridor__error(CORRIDOR_EINVALID,
                                  "the assignment's %s \"%s\" is not in the model: write it "
                                  "with the model it was computed on",
                                  e->type, e->id);
            goto done;
        }
        o.where[k] = written(e) ? w : -1;
    }
    if ((err = corridor__ogr_write(o.driver, path, layer_names, 1, fill, &o)) < 0)
        goto done;
    if (n_edges)
        *n_edges = o.n_edges;
    if (n_nodes)
        *n_nodes = o.n_nodes;
done:
    free(o.where);
    free(o.ids);
    return err;
}
