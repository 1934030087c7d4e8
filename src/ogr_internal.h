/* ogr_internal.h: what the GIS writers share (export_ogr.c, assign_ogr.c): GDAL types, files. */
#ifndef CORRIDOR_OGR_INTERNAL_H
#define CORRIDOR_OGR_INTERNAL_H

#include "gis_dl.h"

#include "export_ogr.h"

/**
 * Puts features into a dataset being written by corridor__ogr_write: every
 * layer (`which` -1: a format with several layers per file, or one layer for
 * all in a `mixed` file) or layer `which` (0, 1) alone. `shown` names the file
 * in messages. 0 or an error (set).
 */
typedef int (*cor_ogr_fill_fn)(void *ctx, GDALDatasetH ds, int which, const char *shown);

/**
 * Writes a GIS output through GDAL `driver` (a short name), whole or not at
 * all: into a fresh folder beside `path`, each file moved into place once
 * all are complete. One file when the format holds several layers, or when
 * `mixed` and the format is GeoJSON or GeoJSONSeq (one collection holding
 * points and lines); else one file per layer, PATH-NAME.EXT with NAME from
 * `names`. CORRIDOR_EUSAGE if GDAL cannot write it, CORRIDOR_EIO.
 * O(what fill writes).
 */
int corridor__ogr_write(const char *driver, const char *path, const char *const names[2], int mixed,
                        cor_ogr_fill_fn fill, void *ctx);
/** 1 if corridor__ogr_write writes one file for `driver` (see `mixed` there). */
int corridor__ogr_one_file(const char *driver, int mixed);
/**
 * The files corridor__ogr_write writes for `path`: *first = path itself, or
 * PATH-names[0].EXT and *second = PATH-names[1].EXT. Caller frees both. ENOMEM.
 */
int corridor__ogr_paths(char **first, char **second, const char *path, const char *driver,
                        const char *const names[2], int mixed);

/** Creates layer `name` in WGS 84 (GeoJSON: RFC 7946; FlatGeobuf: no spatial index). */
int corridor__ogr_layer(OGRLayerH *out, GDALDatasetH ds, const char *driver, const char *name,
                        OGRwkbGeometryType type, const char *shown);
/** Adds a column (Shapefile: its short name, corridor__column_short_name). */
int corridor__ogr_field(OGRLayerH layer, const char *name, OGRFieldType t, OGRFieldSubType st,
                        int shapefile, const char *shown);
/** Sets a list: a StringList where the format has them (`lists`), else "a;b;c". ENOMEM. */
int corridor__ogr_set_list(OGRFeatureH f, int idx, int lists, const char *const *list, size_t n);
/** The node's point, NULL if it has no position. The caller owns it. */
OGRGeometryH corridor__ogr_point(const cor_node *n);
/** Edge e's line (corridor__edge_line), NULL if it has none. The caller owns it. */
OGRGeometryH corridor__ogr_edge_line(const corridor_model *m, size_t e);
/** 1 if the driver's metadata `item` lists `word` (space-separated). */
int corridor__ogr_driver_has(GDALDriverH d, const char *item, const char *word);
/** CORRIDOR_EIO "PATH: what: GDAL's last message". */
int corridor__ogr_fail(const char *what, const char *path);

#endif
