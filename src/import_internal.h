/* import_internal.h: the import mapping (attribute names and values to model fields). */
#ifndef CORRIDOR_IMPORT_INTERNAL_H
#define CORRIDOR_IMPORT_INTERNAL_H

#include <cjson/cJSON.h>
#include "gis_dl.h"

#include "internal.h"

typedef struct imp_mapping imp_mapping;

/** The JSON type an imported value is converted to. */
typedef enum imp_type {
    IMPT_STRING,
    IMPT_NUMBER,
    IMPT_INT,
    IMPT_BOOL,
    IMPT_LIST,
    IMPT_ATTRS /* an object of free attributes, or its JSON text */
} imp_type;

/** Where an attribute goes in a model element. */
typedef struct imp_target {
    char key[40]; /* the element's JSON key */
    char sub[40]; /* key inside an object field ("freight" of "capacity"), or "" */
    imp_type type;
    int ignore; /* an export column that is no model field ("element", "stroke", "derived") */
} imp_target;

/**
 * Resolves a model field name ("mode", "capacity.freight") or a flat export
 * column name ("capacity_freight") of nodes (!is_edge) or edges. 0 if found.
 */
int corridor__imp_target(imp_target *t, int is_edge, const char *name);

/**
 * Loads a mapping: `path` a file, or the name of a shipped one ("osm-rail"),
 * or NULL for the default (attributes named like model fields; for an
 * OpenStreetMap source the shipped "osm-rail"). Errors go to `d`, located
 * (`MAP.json: edges.fields.mode.values: ...`).
 */
int corridor__imp_map_load(imp_mapping **out, const char *path, const char *first_source,
                           corridor_diags *d);
void corridor__imp_map_free(imp_mapping *m);

/**
 * The fields of one feature as a model element (node if !is_edge), or *out
 * NULL when the mapping leaves the feature out (its `where`, or a layer that
 * is not for this kind of element). Errors are located at `origin`.
 */
int corridor__imp_map_feature(cJSON **out, imp_mapping *m, int is_edge, OGRFeatureH f,
                              const char *layer, const char *origin, corridor_diags *d,
                              corridor_import_summary *sum);

/** 1 if the mapping names `layer`, 0 if it names layers but not this one, -1 if it names none. */
int corridor__imp_map_names_layer(const imp_mapping *m, const char *layer);
/** The model's name: the mapping's, or "Imported from BASENAME" (caller frees). */
char *corridor__imp_map_model_name(const imp_mapping *m, const char *first_source);
/** Adds the mapping's description, units and defaults to the model document. */
int corridor__imp_map_add_sections(cJSON *doc, const imp_mapping *m);
/** The GDAL OSM driver configuration file the mapping asks for, or NULL. */
const char *corridor__imp_map_osmconf(const imp_mapping *m);
/** Whether chains of lines between places are merged into one edge. */
int corridor__imp_map_merges(const imp_mapping *m);
/** Warns once about attributes that were dropped; returns how many were. */
size_t corridor__imp_map_finish(imp_mapping *m, const char *first_source, corridor_diags *d);

/**
 * Reads a GraphML file through igraph into a GDAL memory dataset with layers
 * `nodes` and `edges` (from, to and the attributes). Caller closes *out.
 */
int corridor__graphml_dataset(GDALDatasetH *out, const char *path, corridor_diags *d);

/** A directory GDAL may read as one source (a folder of Shapefiles). */
int corridor__imp_is_dir_source(const char *path);

#endif
