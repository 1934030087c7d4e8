/* corridor.h: the public API of libcorridor, multimodal corridor networks. */
#ifndef CORRIDOR_H
#define CORRIDOR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CORRIDOR_VERSION "0.1.0"

/*
 * Conventions
 * -----------
 * Functions return 0 (CORRIDOR_OK) on success or a negative corridor_error_code.
 * On failure, corridor_error_message() returns one line describing what went
 * wrong (for models and scenarios the per-problem lines go to a corridor_diags).
 * Out-parameters come first; an object returned through `**out` belongs to the
 * caller, who frees it with the matching `_free` function. Every `_free`
 * accepts NULL. Strings inside result structs point into the result or into
 * the model it was computed from: they stay valid while both live.
 * The library never prints, exits or aborts.
 */

/* ------------------------------------------------------------------ errors */

/** Error codes; the command-line tool maps -N to exit code N (N <= 4). */
typedef enum corridor_error_code {
    CORRIDOR_OK = 0,
    CORRIDOR_ENOTFOUND = -1, /* no answer: no route between the places */
    CORRIDOR_EUSAGE = -2,    /* invalid request (bad option value, k = 0, ...) */
    CORRIDOR_EINVALID = -3,  /* invalid model, scenario or place */
    CORRIDOR_EIO = -4,       /* a file could not be read or written */
    CORRIDOR_ENOMEM = -5,    /* out of memory */
    CORRIDOR_EINTERNAL = -6  /* a failure inside igraph or Graphviz */
} corridor_error_code;

/** The last error message of the calling thread ("" if none). */
const char *corridor_error_message(void);

/** Frees memory the library allocated for the caller (printed text, id lists). */
void corridor_free(void *ptr);

/* ------------------------------------------------------------- diagnostics */

/** A list of problems found in a model or scenario, errors and warnings. */
typedef struct corridor_diags corridor_diags;

/** Creates an empty list; the caller frees it with corridor_diags_free. */
int corridor_diags_new(corridor_diags **out);
/** Frees the list. */
void corridor_diags_free(corridor_diags *diags);
/** Number of entries (errors and warnings). */
size_t corridor_diags_count(const corridor_diags *diags);
/** Number of errors. */
size_t corridor_diags_errors(const corridor_diags *diags);
/** Entry i as one line: "FILE: path: message" (warnings: "FILE: warning: path: message"). */
const char *corridor_diags_line(const corridor_diags *diags, size_t i);
/** 1 if entry i is a warning, 0 if it is an error. */
int corridor_diags_is_warning(const corridor_diags *diags, size_t i);

/* ---------------------------------------------------------------- vocabulary */

typedef enum corridor_mode {
    CORRIDOR_MODE_RAIL,
    CORRIDOR_MODE_ROAD,
    CORRIDOR_MODE_SEA,
    CORRIDOR_MODE_PIPELINE,
    CORRIDOR_MODE_POWER,
    CORRIDOR_MODE_FIBER,
    CORRIDOR_MODE_COUNT
} corridor_mode;

typedef enum corridor_commodity {
    CORRIDOR_CARRY_ANY = -1, /* filters only: every commodity */
    CORRIDOR_CARRY_FREIGHT = 0,
    CORRIDOR_CARRY_OIL,
    CORRIDOR_CARRY_GAS,
    CORRIDOR_CARRY_POWER,
    CORRIDOR_CARRY_DATA,
    CORRIDOR_CARRY_COUNT
} corridor_commodity;

typedef enum corridor_status {
    CORRIDOR_STATUS_OPERATIONAL,
    CORRIDOR_STATUS_CONSTRUCTION,
    CORRIDOR_STATUS_PLANNED,
    CORRIDOR_STATUS_CLOSED,
    CORRIDOR_STATUS_COUNT
} corridor_status;

typedef enum corridor_kind {
    CORRIDOR_KIND_COUNTRY,
    CORRIDOR_KIND_CITY,
    CORRIDOR_KIND_PORT,
    CORRIDOR_KIND_RAIL_TERMINAL,
    CORRIDOR_KIND_BORDER,
    CORRIDOR_KIND_JUNCTION,
    CORRIDOR_KIND_OIL_TERMINAL,
    CORRIDOR_KIND_GAS_TERMINAL,
    CORRIDOR_KIND_LANDING_STATION,
    CORRIDOR_KIND_SUBSTATION,
    CORRIDOR_KIND_FIELD,
    CORRIDOR_KIND_COUNT
} corridor_kind;

typedef enum corridor_metric {
    CORRIDOR_BY_TIME,     /* hours */
    CORRIDOR_BY_COST,     /* US dollars */
    CORRIDOR_BY_DISTANCE, /* kilometres; never includes dwell or transfer */
    CORRIDOR_BY_CO2,      /* kilograms */
    CORRIDOR_METRIC_COUNT
} corridor_metric;

/** Names as used in the model and on the command line ("rail", "freight", ...). */
const char *corridor_mode_name(corridor_mode mode);
const char *corridor_commodity_name(corridor_commodity c);
const char *corridor_status_name(corridor_status s);
const char *corridor_kind_name(corridor_kind k);
/** "time", "cost", "distance", "co2". */
const char *corridor_metric_name(corridor_metric m);
/** JSON field of a metric total: "time_h", "cost_usd", "distance_km", "co2_kg". */
const char *corridor_metric_field(corridor_metric m);

/** Parse a name; return 0 and set *out, or CORRIDOR_EUSAGE with a message listing the choices. */
int corridor_mode_parse(corridor_mode *out, const char *name);
int corridor_commodity_parse(corridor_commodity *out, const char *name);
int corridor_status_parse(corridor_status *out, const char *name);
int corridor_kind_parse(corridor_kind *out, const char *name);
int corridor_metric_parse(corridor_metric *out, const char *name);

/* ---------------------------------------------------------------- the model */

/** A loaded, validated, immutable model. */
typedef struct corridor_model corridor_model;

/**
 * Loads a model from a JSON file. Every problem found goes to `diags` (may be
 * NULL), one line each, prefixed with `path`; warnings too. Returns
 * CORRIDOR_EINVALID if there was any error (nothing is loaded), CORRIDOR_EIO if
 * the file cannot be read. The caller frees *out with corridor_model_free.
 * Time complexity: O(size of the file).
 */
int corridor_model_load_file(corridor_model **out, const char *path, corridor_diags *diags);

/** As corridor_model_load_file, from text; `name` prefixes the diagnostics. */
int corridor_model_load_string(corridor_model **out, const char *text, size_t len, const char *name,
                               corridor_diags *diags);

/** Loads a model shipped inside the library ("caspian"). CORRIDOR_EINVALID if unknown. */
int corridor_model_load_builtin(corridor_model **out, const char *name, corridor_diags *diags);

/** NULL-terminated list of the built-in model names. */
const char *const *corridor_builtin_models(void);

/**
 * Opens `name_or_path`: a built-in model name if it is one and no such file
 * exists, otherwise a file.
 */
int corridor_model_open(corridor_model **out, const char *name_or_path, corridor_diags *diags);

/** Frees a model. */
void corridor_model_free(corridor_model *model);

/** The model's name (never NULL). */
const char *corridor_model_name(const corridor_model *model);
/** The model's description ("" if none). */
const char *corridor_model_description(const corridor_model *model);
/** Where the model came from: a file path or "builtin:NAME". */
const char *corridor_model_origin(const corridor_model *model);
/** The unit of a commodity's capacities ("t/yr", ...). */
const char *corridor_model_unit(const corridor_model *model, corridor_commodity c);
size_t corridor_model_node_count(const corridor_model *model);
size_t corridor_model_edge_count(const corridor_model *model);

/** Count of elements by one key. */
typedef struct corridor_count {
    const char *key;
    size_t count;
} corridor_count;

/** Summary of a model (`corridor info`). */
typedef struct corridor_info {
    const char *name;
    size_t nodes, edges, corridors, countries;
    corridor_count *by_kind;
    size_t n_by_kind;
    corridor_count *by_mode;
    size_t n_by_mode;
    corridor_count *by_corridor; /* edges per corridor */
    size_t n_by_corridor;
    corridor_count *by_country; /* nodes per country */
    size_t n_by_country;
    corridor_count *by_status; /* nodes and edges */
    size_t n_by_status;
    const char **warnings; /* the loader's warnings, without file prefix */
    size_t n_warnings;
} corridor_info;

/** Summarises a model; keys with a zero count are left out. Free with corridor_info_free. */
int corridor_model_info(corridor_info **out, const corridor_model *model);
void corridor_info_free(corridor_info *info);
/** `info` as JSON text (DESIGN.md); the caller frees *out with corridor_free. */
int corridor_info_json(char **out, const corridor_info *info);

/* ----------------------------------------------------------------- filters */

/**
 * Which elements a query sees. Status: elements up to `status` (default
 * operational; closed never). If `year` > 0 it replaces `status`: operational
 * elements and those whose `opens` <= year. `carry`: only edges that carry the
 * commodity (CORRIDOR_CARRY_ANY for all). `avoid`: "node:ID", "edge:ID",
 * "country:XX", "corridor:ID", "mode:MODE", or a bare id resolved when
 * unambiguous. `corridors`: if any, only edges of these corridors.
 * A node outside the filter takes its edges with it.
 */
typedef struct corridor_filter {
    int version;
    corridor_status status;
    int year;
    corridor_commodity carry;
    const char *const *avoid;
    size_t n_avoid;
    const char *const *corridors;
    size_t n_corridors;
} corridor_filter;

#define CORRIDOR_FILTER_VERSION 1
#define CORRIDOR_FILTER_INIT_CARRY(carry)                                                          \
    {                                                                                              \
        CORRIDOR_FILTER_VERSION, CORRIDOR_STATUS_OPERATIONAL, 0, (carry), NULL, 0, NULL, 0         \
    }
/** Operational elements that carry freight. */
#define CORRIDOR_FILTER_INIT CORRIDOR_FILTER_INIT_CARRY(CORRIDOR_CARRY_FREIGHT)
/** Operational elements, whatever they carry (diagrams, exports, analysis). */
#define CORRIDOR_FILTER_INIT_ANY CORRIDOR_FILTER_INIT_CARRY(CORRIDOR_CARRY_ANY)

/** Checks a filter against a model (unknown avoid targets or corridors: CORRIDOR_EINVALID). */
int corridor_filter_check(const corridor_model *model, const corridor_filter *filter);

/**
 * Checks a place: a node id, a node name (case-insensitive) or "country:XX".
 * CORRIDOR_EINVALID with a "did you mean" message if it matches nothing.
 */
int corridor_place_check(const corridor_model *model, const char *place);

/* ------------------------------------------------------------------ routes */

typedef struct corridor_route_opts {
    int version;
    corridor_filter filter;
    corridor_metric by;
    size_t k;               /* number of options, >= 1 */
    const char *const *via; /* places to pass, in order */
    size_t n_via;
} corridor_route_opts;

#define CORRIDOR_ROUTE_OPTS_VERSION 1
#define CORRIDOR_ROUTE_OPTS_INIT                                                                   \
    {                                                                                              \
        CORRIDOR_ROUTE_OPTS_VERSION, CORRIDOR_FILTER_INIT, CORRIDOR_BY_TIME, 3, NULL, 0            \
    }

/** One edge of a route, in travel order. */
typedef struct corridor_hop {
    const char *edge;
    const char *from, *to;           /* node ids, in travel direction */
    const char *from_name, *to_name; /* node names */
    corridor_mode mode;
    int gauge;                            /* mm, 0 if none */
    double metric[CORRIDOR_METRIC_COUNT]; /* the edge's values; NAN if not derivable */
} corridor_hop;

/** A change of class at a node: "rail/1520" -> "sea". */
typedef struct corridor_transfer {
    const char *node;
    const char *from_class;
    const char *to_class;
} corridor_transfer;

/** One route option. */
typedef struct corridor_route {
    size_t rank;                          /* 1-based */
    double metric[CORRIDOR_METRIC_COUNT]; /* totals; NAN if not derivable */
    const char **nodes;                   /* node ids, n_edges + 1 of them */
    const char **node_names;
    size_t n_nodes;
    corridor_hop *hops;
    size_t n_edges;
    corridor_transfer *transfers;
    size_t n_transfers;
    const char **countries; /* codes in order of travel, consecutive repeats merged */
    size_t n_countries;
    const char **corridors; /* ids, in order of first use */
    size_t n_corridors;
    size_t borders; /* consecutive nodes in different countries */
} corridor_route;

typedef struct corridor_routes {
    const char *from, *to; /* the places as given */
    corridor_metric by;
    corridor_commodity carry;
    corridor_route *routes;
    size_t n;
} corridor_routes;

/**
 * The k cheapest routes from `from` to `to` by opts->by (DESIGN.md, "Route
 * cost"): exact, in non-decreasing order, each a distinct edge sequence.
 * CORRIDOR_ENOTFOUND with a reason if there is none; CORRIDOR_EINVALID for
 * unknown places or a metric that cannot be derived for an eligible edge;
 * CORRIDOR_EUSAGE for k = 0 or origin equal to destination; CORRIDOR_EINTERNAL
 * "search limit reached" if more than 20 million partial routes would be needed.
 * The caller frees *out with corridor_routes_free.
 */
int corridor_route_find(corridor_routes **out, const corridor_model *model, const char *from,
                        const char *to, const corridor_route_opts *opts);
void corridor_routes_free(corridor_routes *routes);
/** Routes as JSON text (DESIGN.md); free with corridor_free. */
int corridor_routes_json(char **out, const corridor_routes *routes);

/* -------------------------------------------------------------------- flow */

typedef struct corridor_flow_opts {
    int version;
    corridor_filter filter;
} corridor_flow_opts;

#define CORRIDOR_FLOW_OPTS_VERSION 1
#define CORRIDOR_FLOW_OPTS_INIT                                                                    \
    {                                                                                              \
        CORRIDOR_FLOW_OPTS_VERSION, CORRIDOR_FILTER_INIT                                           \
    }

/** One element of a minimum cut. */
typedef struct corridor_cut_item {
    const char *type; /* "edge" or "node" */
    const char *id;
    double capacity;
} corridor_cut_item;

typedef struct corridor_flow {
    const char *from, *to;
    corridor_commodity carry;
    const char *unit;
    double value;  /* INFINITY if unbounded */
    int unbounded; /* an uncapacitated path exists */
    corridor_cut_item *cut;
    size_t n_cut;
} corridor_flow;

/**
 * Maximum flow of opts->filter.carry from `from` to `to` with edge and node
 * capacities, and a minimum cut. No path at all: value 0, empty cut (not an
 * error). Free with corridor_flow_free.
 */
int corridor_flow_max(corridor_flow **out, const corridor_model *model, const char *from,
                      const char *to, const corridor_flow_opts *opts);
void corridor_flow_free(corridor_flow *flow);
int corridor_flow_json(char **out, const corridor_flow *flow);

/* -------------------------------------------------------------- criticality */

typedef struct corridor_critical_opts {
    int version;
    corridor_filter filter;
    corridor_metric by;
    int by_flow; /* rank by the drop of the maximum flow instead */
} corridor_critical_opts;

#define CORRIDOR_CRITICAL_OPTS_VERSION 1
#define CORRIDOR_CRITICAL_OPTS_INIT                                                                \
    {                                                                                              \
        CORRIDOR_CRITICAL_OPTS_VERSION, CORRIDOR_FILTER_INIT, CORRIDOR_BY_TIME, 0                  \
    }

typedef struct corridor_critical_item {
    const char *type; /* "edge" or "node" */
    const char *id;
    double value;    /* the new best value (route) or max flow (flow); NAN if disconnects */
    double increase; /* value - base (route) or base - value (flow drop) */
    int disconnects;
    const char **route_edges; /* the new best route's edge ids (route mode) */
    size_t n_route_edges;
} corridor_critical_item;

typedef struct corridor_critical {
    const char *from, *to;
    corridor_metric by;
    int by_flow;
    double base;
    corridor_critical_item *items; /* ranked, most damaging first */
    size_t n;
} corridor_critical;

int corridor_critical_rank(corridor_critical **out, const corridor_model *model, const char *from,
                           const char *to, const corridor_critical_opts *opts);
void corridor_critical_free(corridor_critical *crit);
int corridor_critical_json(char **out, const corridor_critical *crit);

/** An origin-destination pair for network-wide criticality. */
typedef struct corridor_od_pair {
    const char *from, *to;
    double weight;
} corridor_od_pair;

typedef struct corridor_od_item {
    const char *type; /* "edge" or "node" */
    const char *id;
    size_t lost;           /* pairs left with no route */
    size_t worse;          /* pairs whose best value increased */
    double total_increase; /* sum of weight * increase over the pairs that still have a route */
} corridor_od_item;

typedef struct corridor_od_result {
    corridor_metric by;
    size_t n_pairs;
    size_t n_unrouted;       /* pairs with no route even before any loss */
    corridor_od_item *items; /* ranked: lost, then weighted increase */
    size_t n;
} corridor_od_result;

/** Called after each pair; may be NULL. */
typedef void (*corridor_progress_fn)(size_t done, size_t total, void *userdata);

int corridor_critical_od(corridor_od_result **out, const corridor_model *model,
                         const corridor_od_pair *pairs, size_t n_pairs,
                         const corridor_critical_opts *opts, corridor_progress_fn progress,
                         void *userdata);
void corridor_od_result_free(corridor_od_result *res);
int corridor_od_result_json(char **out, const corridor_od_result *res);

/* ----------------------------------------------------------------- analysis */

typedef struct corridor_score {
    const char *type; /* "edge" or "node" */
    const char *id;
    double score;
} corridor_score;

/** Structure of the network for one commodity. */
typedef struct corridor_commodity_analysis {
    corridor_commodity carry;
    size_t nodes, edges;      /* nodes touching an eligible edge, eligible edges */
    size_t n_components;      /* weakly connected components among those nodes */
    const char ***components; /* node ids of each component, largest first */
    size_t *component_sizes;
    const char **bridges; /* edge ids */
    size_t n_bridges;
    const char **articulation_points; /* node ids */
    size_t n_articulation_points;
    corridor_score *betweenness; /* the top nodes, then the top edges, each highest first */
    size_t n_betweenness;
} corridor_commodity_analysis;

typedef struct corridor_analysis {
    corridor_metric by;
    corridor_commodity_analysis *per;
    size_t n;
} corridor_analysis;

typedef struct corridor_analyze_opts {
    int version;
    corridor_filter filter; /* carry ANY: every commodity the model carries */
    corridor_metric by;     /* weights for betweenness */
    size_t top;             /* betweenness: nodes kept, and edges kept, per commodity */
} corridor_analyze_opts;

#define CORRIDOR_ANALYZE_OPTS_VERSION 1
#define CORRIDOR_ANALYZE_OPTS_INIT                                                                 \
    {                                                                                              \
        CORRIDOR_ANALYZE_OPTS_VERSION, CORRIDOR_FILTER_INIT_ANY, CORRIDOR_BY_TIME, 10              \
    }

int corridor_analyze(corridor_analysis **out, const corridor_model *model,
                     const corridor_analyze_opts *opts);
void corridor_analysis_free(corridor_analysis *a);
int corridor_analysis_json(char **out, const corridor_analysis *a);

/* ---------------------------------------------------------------- scenarios */

/** A parsed what-if scenario: edits applied in order to a model. */
typedef struct corridor_scenario corridor_scenario;

/** Loads and checks a scenario file's syntax; problems go to `diags`. */
int corridor_scenario_load_file(corridor_scenario **out, const char *path, corridor_diags *diags);
int corridor_scenario_load_string(corridor_scenario **out, const char *text, size_t len,
                                  const char *name, corridor_diags *diags);
void corridor_scenario_free(corridor_scenario *s);
const char *corridor_scenario_name(const corridor_scenario *s);
const char *corridor_scenario_description(const corridor_scenario *s);

/**
 * Applies a scenario to a model, giving a new model (the base is unchanged).
 * Targets that match nothing and edits that make the model invalid are
 * reported in `diags` with the edit's index; CORRIDOR_EINVALID then.
 */
int corridor_scenario_apply(corridor_model **out, const corridor_model *base,
                            const corridor_scenario *s, corridor_diags *diags);

/** Number of edits in a scenario. */
size_t corridor_scenario_edit_count(const corridor_scenario *s);

/* --------------------------------------------------------------- validation */

/** What `validate` found in a file. */
typedef struct corridor_validation {
    int is_scenario;
    char *name;              /* the model's or scenario's name; owned, see _clear */
    size_t count_a, count_b; /* nodes and edges, or edits and 0 */
} corridor_validation;

/**
 * Checks a model or scenario file (told apart by its "format"; a built-in model
 * name is accepted too). A scenario is applied to `base_model` (a file or
 * built-in name; NULL: caspian) so that its targets are checked. Problems go
 * to `diags`. On success fills *out; free its contents with
 * corridor_validation_clear.
 */
int corridor_validate_file(corridor_validation *out, const char *path, const char *base_model,
                           corridor_diags *diags);
void corridor_validation_clear(corridor_validation *v);

/* ------------------------------------------------------- diagrams and files */

typedef enum corridor_layout {
    CORRIDOR_LAYOUT_GEO,
    CORRIDOR_LAYOUT_SCHEMATIC,
    CORRIDOR_LAYOUT_COUNTRIES
} corridor_layout;

typedef struct corridor_render_opts {
    int version;
    corridor_filter filter; /* carry ANY by default: draw everything */
    corridor_layout layout;
    const char *format;               /* "svg", "png", "pdf", "dot"; NULL: from the path */
    const corridor_routes *highlight; /* routes to highlight, or NULL */
    const char *title;                /* NULL: the model name and the status or year */
    /* maps (geo layout; issue 10); zero/NULL: the defaults */
    const char *projection; /* PROJ string or "EPSG:N"; NULL: Lambert conic fitted to the extent */
    const char *extent;     /* "country:AZ,GE", "corridor:ID", "route", "lon0,lat0,lon1,lat1";
                               NULL: the drawn elements */
    const char *basemap;    /* NULL: built-in Natural Earth; "none"; or a GeoJSON file */
    const char *size;       /* "A4", "A3", "A2", "letter", "WxHmm", "WxHpx"; NULL: A3 */
    int orientation;        /* 0: landscape (named sizes), 1: landscape, 2: portrait */
    double dpi;             /* PNG resolution; 0: 150 */
} corridor_render_opts;

#define CORRIDOR_RENDER_OPTS_VERSION 2
#define CORRIDOR_RENDER_OPTS_INIT                                                                  \
    {                                                                                              \
        CORRIDOR_RENDER_OPTS_VERSION, CORRIDOR_FILTER_INIT_ANY, CORRIDOR_LAYOUT_GEO, NULL, NULL,   \
            NULL, NULL, NULL, NULL, NULL, 0, 0                                                     \
    }

/** Renders a diagram to `path`, written whole or not at all (see corridor_render). */
int corridor_render_file(const corridor_model *model, const char *path,
                         const corridor_render_opts *opts);

typedef enum corridor_export_format {
    CORRIDOR_EXPORT_GRAPHML,
    CORRIDOR_EXPORT_GML,
    CORRIDOR_EXPORT_GEOJSON,
    CORRIDOR_EXPORT_JSON,
    CORRIDOR_EXPORT_CSV,
    CORRIDOR_EXPORT_DOT,
    CORRIDOR_EXPORT_PAJEK
} corridor_export_format;

int corridor_export_format_parse(corridor_export_format *out, const char *name);

typedef struct corridor_export_opts {
    int version;
    corridor_filter filter; /* carry ANY by default */
} corridor_export_opts;

#define CORRIDOR_EXPORT_OPTS_VERSION 1
#define CORRIDOR_EXPORT_OPTS_INIT                                                                  \
    {                                                                                              \
        CORRIDOR_EXPORT_OPTS_VERSION, CORRIDOR_FILTER_INIT_ANY                                     \
    }

/**
 * Writes the (filtered) network to `path` in `format`, whole or not at all.
 * CSV writes two files: PATH-without-extension + "-nodes.csv" and "-edges.csv".
 */
int corridor_export_file(const corridor_model *model, corridor_export_format format,
                         const char *path, const corridor_export_opts *opts);

/* ---- Maps (issue 10) ---- */

/** What a render did that the caller may want to report. */
typedef struct corridor_render_info {
    size_t labels_dropped; /* place names left out for lack of room (maps) */
} corridor_render_info;

/**
 * Renders a diagram to `path`, written whole or not at all; the format is
 * opts->format or the extension: svg, png, pdf, dot, or html (the SVG map in
 * one self-contained page with pan, zoom, tooltips and layer toggles). The geo
 * layout of a model with coordinates is a map on a page: basemap, projection,
 * names placed without overlaps (those that do not fit are dropped and counted
 * in *info, which may be NULL), legend, scale bar, source line.
 * Errors: CORRIDOR_EUSAGE for a bad format, size, dpi, extent text or
 * projection; CORRIDOR_EINVALID for an extent with no drawn place or a
 * basemap that is not GeoJSON; CORRIDOR_EIO if a file cannot be read or
 * written. Nothing is written on error. Not thread-safe (Graphviz).
 * Time: O(|V| + |E| + basemap vertices), names O(|V| log |V|).
 */
int corridor_render(corridor_render_info *info, const corridor_model *model, const char *path,
                    const corridor_render_opts *opts);

#ifdef __cplusplus
}
#endif

#endif
