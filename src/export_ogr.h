/* export_ogr.h: exports through GDAL/OGR, edge lines, and Shapefile's short column names. */
#ifndef CORRIDOR_EXPORT_OGR_H
#define CORRIDOR_EXPORT_OGR_H

#include "internal.h"

/** The GDAL driver that writes format `name` ("gpkg", "shp", "FlatGeobuf", ...), or NULL. */
const char *corridor__ogr_driver(const char *name);
/**
 * Writes the selected nodes and edges of m with GDAL `driver` to `path`
 * (two layers, or NAME-nodes.EXT and NAME-edges.EXT for one-layer formats),
 * whole or not at all. O(N + E + total geometry points).
 */
int corridor__export_ogr(const corridor_model *m, const cor_selection *sel, const char *driver,
                         const char *path);
/**
 * The files corridor__export_ogr writes for `path` (the format told by its
 * extension): the path itself for formats with several layers per file,
 * else PATH-nodes.EXT and PATH-edges.EXT. Caller frees both.
 */
int corridor__export_ogr_paths(char **first, char **second, const char *path);

/**
 * The line of edge e: its geometry, or a great-circle arc between its nodes
 * with a point every 50 km at most. *out (n lon, lat pairs) is the caller's to
 * free; 0 (and *out NULL) when a node has no position or memory ran out.
 */
size_t corridor__edge_line(const corridor_model *m, size_t e, double **out);
/** Shapefile's name for an export column (<= 10 characters); NULL if it has none. */
const char *corridor__column_short_name(const char *name);
/** The export column a Shapefile short name stands for, or NULL. */
const char *corridor__column_long_name(const char *name);

#endif
