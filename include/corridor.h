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
 * The library never prints, exits or aborts. Options structs carry a
 * `version`: fill them with their _INIT macro or _init function; a struct
 * with any other version is refused with CORRIDOR_EUSAGE and a message naming
 * the struct (see "Options versions" below). Costs are given as
 * "Time:" with |V| nodes, |E| edges of the model, O(1) where not said.
 *
 * Options versions
 * ----------------
 * Each options struct has a CORRIDOR_*_VERSION. It is raised whenever the
 * struct's layout changes (a field added, removed, moved or retyped), so a
 * program compiled against an older corridor.h cannot pass a struct of the
 * old size, which the library would read past. The library accepts exactly
 * its own version of each struct: an older or newer one is CORRIDOR_EUSAGE
 * ("corridor_route_opts: version 1 is from an older corridor.h ...");
 * recompiling against the installed header fixes it. The comment beside
 * each *_VERSION says what each version added. docs/api.md has the table.
 *
 * Threads and global state
 * ------------------------
 * - Models, scenarios and results are never changed after they are made: any
 *   number of threads may read the same one at once. The last error message
 *   is per thread (corridor_error_message).
 * - igraph keeps its error and warning handlers, its "finally" stack and its
 *   random generator in process-wide variables (Debian builds igraph 0.10
 *   with IGRAPH_THREAD_SAFE 0). The functions that call igraph --
 *   corridor_flow_max, corridor_critical_rank by flow and corridor_analyze
 *   (components, bridges, articulation points) -- must not run concurrently
 *   with each other nor with the host program's own igraph calls. Each installs the library's
 * handlers (they neither abort nor print) for the duration of its igraph work and puts the host's
 * handlers back before it returns; a host handler is never replaced for good.
 * - Graphviz: corridor_render_file and corridor_export_file (DOT) share one
 *   GVC_t context kept for the life of the process (Debian's Graphviz
 *   2.42/2.43 misbehaves when a context is freed and another made; it is
 *   never freed) and route Graphviz's error function (agseterrf) to the
 *   library during the call. Do not call them concurrently, nor alongside
 *   the host's own Graphviz use.
 * - Output files: the list of temporary files being written is
 *   process-wide and lock-free (corridor_temp_files_remove).
 * - Everything else (loading, validation, scenarios, compare, the JSON
 *   writers, options) may run concurrently.
 */

/* ------------------------------------------------------------------ errors */

/**
 * Error codes; the command-line tool maps -N to exit code N for N <= 4,
 * CORRIDOR_ELIMIT to exit code 5, the others to 4.
 */
typedef enum corridor_error_code {
    CORRIDOR_OK = 0,
    CORRIDOR_ENOTFOUND = -1, /* no answer: no route between the places */
    CORRIDOR_EUSAGE = -2,    /* invalid request (bad option value, k = 0, ...) */
    CORRIDOR_EINVALID = -3,  /* invalid model, scenario or place */
    CORRIDOR_EIO = -4,       /* a file could not be read or written */
    CORRIDOR_ENOMEM = -5,    /* out of memory */
    CORRIDOR_EINTERNAL = -6, /* a failure inside igraph or Graphviz */
    CORRIDOR_ELIMIT = -7     /* a time limit, a cancel request or a search limit stopped the
                                work; see "Bounded time and progress" (CLI exit code 5) */
} corridor_error_code;

/** The last error message of the calling thread ("" if none); valid until its next failing call. */
const char *corridor_error_message(void);

/** Frees what the library allocated for the caller (printed text, legs); NULL is fine. */
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

/** What an element of a result is (cuts, criticality, betweenness). */
typedef enum corridor_element_type {
    CORRIDOR_ELEMENT_EDGE, /* sorts before nodes */
    CORRIDOR_ELEMENT_NODE
} corridor_element_type;

/** "edge" or "node". */
const char *corridor_element_type_name(corridor_element_type t);

/** Names as used in the model and on the command line ("rail", "freight", ...). */
const char *corridor_mode_name(corridor_mode mode);
const char *corridor_commodity_name(corridor_commodity c);
const char *corridor_status_name(corridor_status s);
const char *corridor_kind_name(corridor_kind k);
/** "time", "cost", "distance", "co2". */
const char *corridor_metric_name(corridor_metric m);
/** JSON field of a metric total: "time_h", "cost_usd", "distance_km", "co2_kg". */
const char *corridor_metric_field(corridor_metric m);

/**
 * Parse a name; return 0 and set *out, or CORRIDOR_EUSAGE with a message
 * listing the choices. Time: O(number of names).
 */
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

/**
 * As corridor_model_load_file, from `len` bytes of text (need not end with a
 * NUL; copied); `name` prefixes the diagnostics ("<stdin>"). No CORRIDOR_EIO.
 * Time: O(len).
 */
int corridor_model_load_string(corridor_model **out, const char *text, size_t len, const char *name,
                               corridor_diags *diags);

/**
 * Loads a model shipped inside the library ("caspian"). CORRIDOR_EINVALID if
 * unknown. The caller frees *out with corridor_model_free. Time: O(its size).
 */
int corridor_model_load_builtin(corridor_model **out, const char *name, corridor_diags *diags);

/** NULL-terminated list of the built-in model names (static; do not free). */
const char *const *corridor_builtin_models(void);

/**
 * Opens `name_or_path`: a built-in model name if it is one and no such file
 * exists, otherwise a file. Errors and ownership as corridor_model_load_file
 * (an unknown name that is no file: CORRIDOR_EIO). Time: O(size of the model).
 */
int corridor_model_open(corridor_model **out, const char *name_or_path, corridor_diags *diags);

/** Frees a model; NULL is fine. Results computed from it must be freed first. */
void corridor_model_free(corridor_model *model);

/** The model's name (never NULL). */
const char *corridor_model_name(const corridor_model *model);
/** The model's description ("" if none). */
const char *corridor_model_description(const corridor_model *model);
/** Where the model came from: a file path or "builtin:NAME". */
const char *corridor_model_origin(const corridor_model *model);
/** The unit of a commodity's capacities ("t/yr", ...). */
const char *corridor_model_unit(const corridor_model *model, corridor_commodity c);
/** Number of nodes. */
size_t corridor_model_node_count(const corridor_model *model);
/** Number of edges. */
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

/**
 * Summarises a model; keys with a zero count are left out. Strings point into
 * the model. The caller frees *out with corridor_info_free. CORRIDOR_ENOMEM
 * only. Time: O(|V| + |E| + corridors + countries).
 */
int corridor_model_info(corridor_info **out, const corridor_model *model);
/** Frees a summary; NULL is fine. */
void corridor_info_free(corridor_info *info);
/** `info` as JSON text (DESIGN.md); the caller frees *out with corridor_free. Time: O(output). */
int corridor_info_json(char **out, const corridor_info *info);

/* ----------------------------------------------------------------- filters */

/**
 * Which elements a query sees. Status: elements up to `status` (default
 * operational; closed never; CORRIDOR_STATUS_CLOSED as the level means every
 * element whatever its status, as exports use it). If `year` > 0 it replaces `status`: operational
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

/**
 * Checks a filter against a model (unknown avoid targets or corridors:
 * CORRIDOR_EINVALID with a "did you mean"; unknown version: CORRIDOR_EUSAGE).
 * Time: O(|V| + |E| + avoid targets).
 */
int corridor_filter_check(const corridor_model *model, const corridor_filter *filter);

/**
 * Checks a place: a node id, a node name (case-insensitive) or "country:XX".
 * CORRIDOR_EINVALID with a "did you mean" message if it matches nothing.
 * Time: O(1) for an id, O(|V|) for a name or country.
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
    const struct corridor_budget *budget; /* time limit, progress, cancel; NULL: none */
} corridor_route_opts;

/* version 2: `budget` */
#define CORRIDOR_ROUTE_OPTS_VERSION 2
#define CORRIDOR_ROUTE_OPTS_INIT                                                                   \
    {                                                                                              \
        CORRIDOR_ROUTE_OPTS_VERSION, CORRIDOR_FILTER_INIT, CORRIDOR_BY_TIME, 3, NULL, 0, NULL      \
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
    int complete; /* 0: a limit stopped the search (CORRIDOR_ELIMIT); fewer than k routes */
} corridor_routes;

/**
 * The k cheapest routes from `from` to `to` by opts->by (DESIGN.md, "Route
 * cost"): exact, in non-decreasing order, each a distinct edge sequence.
 * CORRIDOR_ENOTFOUND with a reason if there is none; CORRIDOR_EINVALID for
 * unknown places or a metric that cannot be derived for an eligible edge;
 * CORRIDOR_EUSAGE for k = 0 or origin equal to destination; CORRIDOR_ELIMIT
 * "search limit" if more than 20 million partial routes would be needed (or are
 * projected to be, from the routes found so far), or at opts->budget's limit:
 * then *out holds the routes found so far (complete = 0), or is NULL if none;
 * CORRIDOR_EUSAGE for an unknown options version. The caller frees *out with
 * corridor_routes_free; its strings point into the model. Time: building the
 * routing graph O(|V| + |E|), then the A* search of src/route.c ("How it
 * works"), about O(k (|V| + |E|) log |V|) on road-like networks, at most 20
 * million partial routes.
 */
int corridor_route_find(corridor_routes **out, const corridor_model *model, const char *from,
                        const char *to, const corridor_route_opts *opts);
/** Frees routes; NULL is fine. */
void corridor_routes_free(corridor_routes *routes);
/** Routes as JSON text (DESIGN.md); the caller frees *out with corridor_free. Time: O(output). */
int corridor_routes_json(char **out, const corridor_routes *routes);

/* -------------------------------------------------------------------- flow */

typedef struct corridor_flow_opts {
    int version;
    corridor_filter filter;
    const struct corridor_budget *budget; /* time limit, progress, cancel; NULL: none */
} corridor_flow_opts;

/* version 2: `budget` */
#define CORRIDOR_FLOW_OPTS_VERSION 2
#define CORRIDOR_FLOW_OPTS_INIT                                                                    \
    {                                                                                              \
        CORRIDOR_FLOW_OPTS_VERSION, CORRIDOR_FILTER_INIT, NULL                                     \
    }

/** One element of a minimum cut. */
typedef struct corridor_cut_item {
    corridor_element_type type;
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
 * error). CORRIDOR_EINVALID for unknown places, CORRIDOR_EUSAGE for an
 * unknown options version. opts->budget: progress in three stages (network
 * built, reachability checked, max flow and cut found); its limit is checked
 * between them and gives CORRIDOR_ELIMIT and no result (the answer is all or
 * nothing). igraph_maxflow (igraph 0.10) can be neither watched nor stopped:
 * once started, it runs to its end, so a call may overrun the deadline by
 * the max flow's own time. The caller frees *out with corridor_flow_free.
 * Time: that of igraph_maxflow (push-relabel) on 2|V| + 2 vertices and up to
 * |V| + 2|E| arcs: O(|V|^3) at worst.
 */
int corridor_flow_max(corridor_flow **out, const corridor_model *model, const char *from,
                      const char *to, const corridor_flow_opts *opts);
/** Frees a flow answer; NULL is fine. */
void corridor_flow_free(corridor_flow *flow);
/** The flow answer as JSON (DESIGN.md); the caller frees *out with corridor_free. Time: O(output).
 */
int corridor_flow_json(char **out, const corridor_flow *flow);

/* -------------------------------------------------------------- criticality */

typedef struct corridor_critical_opts {
    int version;
    corridor_filter filter;
    corridor_metric by;
    int by_flow;                          /* rank by the drop of the maximum flow instead */
    const struct corridor_budget *budget; /* time limit, progress, cancel; NULL: none */
} corridor_critical_opts;

/* version 2: `budget` */
#define CORRIDOR_CRITICAL_OPTS_VERSION 2
#define CORRIDOR_CRITICAL_OPTS_INIT                                                                \
    {                                                                                              \
        CORRIDOR_CRITICAL_OPTS_VERSION, CORRIDOR_FILTER_INIT, CORRIDOR_BY_TIME, 0, NULL            \
    }

typedef struct corridor_critical_item {
    corridor_element_type type;
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
    int complete; /* 0: a limit stopped it (CORRIDOR_ELIMIT); items holds the elements done */
} corridor_critical;

/**
 * Ranks the elements whose loss alone hurts the answer from `from` to `to`
 * (DESIGN.md, "Criticality"): route mode, each element of the best route with
 * the best value without it; flow mode (by_flow), each element carrying flow
 * with the maximum flow without it. Disconnections first, then by increase
 * (drop). CORRIDOR_ENOTFOUND if there is no route at all (route mode),
 * CORRIDOR_EINVALID for unknown places, CORRIDOR_EUSAGE for bad options.
 * opts->budget: progress per element; at its limit CORRIDOR_ELIMIT with the
 * elements done so far in *out (complete = 0), or *out NULL before the best
 * route (the base flow) was known. The caller frees *out with
 * corridor_critical_free. Time: (route length + 1) route searches, or
 * (elements carrying flow + 1) max-flow computations.
 */
int corridor_critical_rank(corridor_critical **out, const corridor_model *model, const char *from,
                           const char *to, const corridor_critical_opts *opts);
/** Frees a ranking; NULL is fine. */
void corridor_critical_free(corridor_critical *crit);
/** The ranking as JSON (DESIGN.md); the caller frees *out with corridor_free. Time: O(output). */
int corridor_critical_json(char **out, const corridor_critical *crit);

/** An origin-destination pair for network-wide criticality. */
typedef struct corridor_od_pair {
    const char *from, *to;
    double weight;
} corridor_od_pair;

typedef struct corridor_od_item {
    corridor_element_type type;
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
    size_t n_done; /* pairs evaluated: n_pairs, or fewer if a limit stopped the work */
    int complete;  /* 0: a limit stopped it (CORRIDOR_ELIMIT); items cover the first n_done pairs */
} corridor_od_result;

/** Progress: `done` of `total` units of work finished (see corridor_budget); may be NULL. */
typedef void (*corridor_progress_fn)(size_t done, size_t total, void *userdata);

/**
 * Network-wide criticality over `n_pairs` weighted origin-destination pairs
 * (route mode only: by_flow is CORRIDOR_EUSAGE): for each element, the pairs
 * that lose their route, those that get worse and the weighted increase.
 * `progress` (may be NULL) is called after each pair, on the calling thread.
 * CORRIDOR_EINVALID for unknown places. The caller frees *out with
 * corridor_od_result_free. Time: per pair, (route length + 1) route searches.
 */
int corridor_critical_od(corridor_od_result **out, const corridor_model *model,
                         const corridor_od_pair *pairs, size_t n_pairs,
                         const corridor_critical_opts *opts, corridor_progress_fn progress,
                         void *userdata);
/** Frees an OD ranking; NULL is fine. */
void corridor_od_result_free(corridor_od_result *res);
/** The OD ranking as JSON; the caller frees *out with corridor_free. Time: O(output). */
int corridor_od_result_json(char **out, const corridor_od_result *res);

/* ----------------------------------------------------------------- analysis */

typedef struct corridor_score {
    corridor_element_type type;
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
    int complete; /* 0: a limit stopped it (CORRIDOR_ELIMIT): the last entry has no betweenness,
                     later commodities are missing */
} corridor_analysis;

typedef struct corridor_analyze_opts {
    int version;
    corridor_filter filter; /* carry ANY: every commodity the model carries */
    corridor_metric by;     /* weights for betweenness */
    size_t top;             /* betweenness: nodes kept, and edges kept, per commodity */
    /* version 2: betweenness from `sample` source nodes drawn with `seed`, scaled
       to estimate the exact scores (0: every node, exact) */
    size_t sample;
    unsigned long seed;
    const struct corridor_budget *budget; /* time limit, progress, cancel; NULL: none */
} corridor_analyze_opts;

/* version 2: `sample`, `seed`; version 3: `budget` */
#define CORRIDOR_ANALYZE_OPTS_VERSION 3
#define CORRIDOR_ANALYZE_OPTS_INIT                                                                 \
    {                                                                                              \
        CORRIDOR_ANALYZE_OPTS_VERSION, CORRIDOR_FILTER_INIT_ANY, CORRIDOR_BY_TIME, 10, 0, 1, NULL  \
    }

/**
 * Components, bridges, articulation points and betweenness, per commodity
 * (filter.carry, or every commodity an eligible edge carries). CORRIDOR_EUSAGE
 * for bad options, CORRIDOR_EINVALID for unknown avoid targets. opts->budget:
 * progress per betweenness source; at its limit CORRIDOR_ELIMIT with the
 * commodities done in *out (complete = 0; the last without betweenness if that
 * was cut short), or *out NULL. The caller frees *out with
 * corridor_analysis_free. Time: O(|V| |E| log |V|) per commodity (weighted
 * betweenness); the rest O(|V| + |E|).
 */
int corridor_analyze(corridor_analysis **out, const corridor_model *model,
                     const corridor_analyze_opts *opts);
/** Frees an analysis; NULL is fine. */
void corridor_analysis_free(corridor_analysis *a);
/** The analysis as JSON; the caller frees *out with corridor_free. Time: O(output). */
int corridor_analysis_json(char **out, const corridor_analysis *a);

/* ---------------------------------------------------------------- scenarios */

/** A parsed what-if scenario: edits applied in order to a model. */
typedef struct corridor_scenario corridor_scenario;

/**
 * Loads and checks a scenario file's syntax; problems go to `diags` (may be
 * NULL). CORRIDOR_EINVALID if there was any error, CORRIDOR_EIO if the file
 * cannot be read. The caller frees *out with corridor_scenario_free.
 * Time: O(size of the file).
 */
int corridor_scenario_load_file(corridor_scenario **out, const char *path, corridor_diags *diags);
/** As corridor_scenario_load_file, from `len` bytes of text named `name`. Time: O(len). */
int corridor_scenario_load_string(corridor_scenario **out, const char *text, size_t len,
                                  const char *name, corridor_diags *diags);
/** Frees a scenario; NULL is fine. */
void corridor_scenario_free(corridor_scenario *s);
/** The scenario's name (never NULL). */
const char *corridor_scenario_name(const corridor_scenario *s);
/** The scenario's description ("" if none). */
const char *corridor_scenario_description(const corridor_scenario *s);

/**
 * Applies a scenario to a model, giving a new model (the base is unchanged).
 * Targets that match nothing and edits that make the model invalid are
 * reported in `diags` with the edit's index; CORRIDOR_EINVALID then. The
 * caller frees *out with corridor_model_free. Time: O(|V| + |E|) to copy the
 * model, plus per edit O(elements it targets) (O(|V| + |E|) for a kind,
 * mode, country or corridor target).
 */
int corridor_scenario_apply(corridor_model **out, const corridor_model *base,
                            const corridor_scenario *s, corridor_diags *diags);

/** Number of edits in a scenario. */
size_t corridor_scenario_edit_count(const corridor_scenario *s);

/* --------------------------------------------------------------- validation */

/** What `validate` found in a file. */
typedef struct corridor_validation {
    int is_scenario;
    char *name;   /* the model's or scenario's name; owned, see _clear */
    size_t nodes; /* a model's nodes (0 for a scenario) */
    size_t edges; /* a model's edges (0 for a scenario) */
    size_t edits; /* a scenario's edits (0 for a model) */
} corridor_validation;

/**
 * Checks a model or scenario file (told apart by its "format"; a built-in model
 * name is accepted too). A scenario is applied to `base_model` (a file or
 * built-in name; NULL: caspian) so that its targets are checked. Problems go
 * to `diags`; a failure with no error of its own there (the file cannot be
 * read) is added to it too. On success fills *out; free its contents with
 * corridor_validation_clear. CORRIDOR_EINVALID, CORRIDOR_EIO. Time: O(size
 * of the file), plus for a scenario loading the base model and applying it.
 */
int corridor_validate_file(corridor_validation *out, const char *path, const char *base_model,
                           corridor_diags *diags);
/** Frees what a validation holds and zeroes it; NULL is fine. */
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
    /* flow map (issue 14): per model edge, the volume and the v/c (NAN: no capacity), as
       corridor_assignment_edge_values gives them; NULL: no flow map. Width by volume, colour
       by v/c, and a legend in volume_unit. */
    const double *edge_volume;
    const double *edge_vc;
    const char *volume_unit;
    /* maps (geo layout; issue 10); zero/NULL: the defaults */
    const char *projection; /* PROJ string or "EPSG:N"; NULL: Lambert conic fitted to the extent */
    const char *extent;     /* "country:AZ,GE", "corridor:ID", "route", "lon0,lat0,lon1,lat1";
                               NULL: the drawn elements */
    const char *basemap;    /* NULL: built-in Natural Earth; "none"; or a GeoJSON file */
    const char *size;       /* "A4", "A3", "A2", "letter", "WxHmm", "WxHpx"; NULL: A3 */
    int orientation;        /* 0: landscape (named sizes), 1: landscape, 2: portrait */
    double dpi;             /* PNG resolution; 0: 150 */
} corridor_render_opts;

/* version 2: the map fields `projection` .. `dpi`; version 3: the flow map fields
   `edge_volume`, `edge_vc`, `volume_unit` (placed before them) */
#define CORRIDOR_RENDER_OPTS_VERSION 3
#define CORRIDOR_RENDER_OPTS_INIT                                                                  \
    {                                                                                              \
        CORRIDOR_RENDER_OPTS_VERSION, CORRIDOR_FILTER_INIT_ANY, CORRIDOR_LAYOUT_GEO, NULL, NULL,   \
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0                                   \
    }

/**
 * Renders a diagram to `path` through Graphviz (see "Threads"); corridor_render
 * without its report (the formats and maps are described there). The file is
 * written whole or not at all by the library's one writer: a regular file (or
 * none) is replaced atomically through a temporary file beside it (symlinks
 * followed, mode kept, fsync before rename); a FIFO, device or socket is
 * written through; a path that names the process's stdout ("/dev/stdout")
 * is written into that descriptor. CORRIDOR_EUSAGE for an unknown format or
 * bad options, CORRIDOR_EINVALID for unknown corridors or avoid targets,
 * CORRIDOR_EINTERNAL when Graphviz fails, CORRIDOR_EIO. Time: see
 * corridor_render.
 */
int corridor_render_file(const corridor_model *model, const char *path,
                         const corridor_render_opts *opts);

typedef enum corridor_export_format {
    CORRIDOR_EXPORT_GRAPHML,
    CORRIDOR_EXPORT_GML,
    CORRIDOR_EXPORT_GEOJSON,
    CORRIDOR_EXPORT_JSON,
    CORRIDOR_EXPORT_CSV,
    CORRIDOR_EXPORT_DOT,
    CORRIDOR_EXPORT_PAJEK,
    CORRIDOR_EXPORT_OGR /* any vector format GDAL writes: opts.gdal_format names it */
} corridor_export_format;

/** "graphml", "gml", "geojson", "json", "csv", "dot", "pajek" (or "net"); CORRIDOR_EUSAGE
 * otherwise. */
int corridor_export_format_parse(corridor_export_format *out, const char *name);

/**
 * Export options. `filter`: which elements (carry ANY by default).
 * `all_statuses` (default 1): every element whatever its status and opening
 * year, each with its status and opening year as attributes; 0 applies the
 * filter's status or year. `gdal_format`: for CORRIDOR_EXPORT_OGR, a GDAL
 * vector driver ("GPKG", "ESRI Shapefile", "FlatGeobuf", ...) or one of our
 * short names ("gpkg", "shp", "fgb", "kml"); corridor_export_ogr_formats
 * lists them. `layer`: for geojson, NULL writes nodes and edges in one
 * FeatureCollection, "nodes" or "edges" only that layer (so that a
 * one-geometry-type tool such as ogr2ogr to Shapefile takes it).
 */
typedef struct corridor_export_opts {
    int version;
    corridor_filter filter;
    int all_statuses;
    const char *gdal_format;
    const char *layer;
} corridor_export_opts;

/* version 2: `all_statuses`, `gdal_format`, `layer` */
#define CORRIDOR_EXPORT_OPTS_VERSION 2
#define CORRIDOR_EXPORT_OPTS_INIT                                                                  \
    {                                                                                              \
        CORRIDOR_EXPORT_OPTS_VERSION, CORRIDOR_FILTER_INIT_ANY, 1, NULL, NULL                      \
    }

/**
 * How many nodes and edges corridor_export_file would write with `opts`
 * (NULL: the defaults). CORRIDOR_EINVALID for unknown avoid targets or
 * corridors. Time: O(|V| + |E|).
 */
int corridor_export_count(size_t *nodes, size_t *edges, const corridor_model *model,
                          const corridor_export_opts *opts);

/**
 * Writes the (filtered) network to `path` in `format`, whole or not at all.
 * CSV writes two files: PATH-without-extension + "-nodes.csv" and "-edges.csv",
 * both or neither (corridor_export_paths names them). Files are written as by
 * corridor_render_file. CORRIDOR_EUSAGE for an unknown format or bad options,
 * CORRIDOR_EINVALID for unknown corridors or avoid targets, CORRIDOR_EIO.
 * Time: O(|V| + |E| + size of the output).
 */
int corridor_export_file(const corridor_model *model, corridor_export_format format,
                         const char *path, const corridor_export_opts *opts);

/* ---- Bounded time and progress (issue 15) ---- */

/*
 * Long work (route, flow, critical, critical over OD pairs, analyze; and any
 * command that adopts it) takes an optional budget through its options'
 * `budget` field. The work checks it between units (a route search, a pair,
 * an element) and inside long loops (every few thousand steps of a route
 * search; igraph's betweenness through its interruption hook):
 *
 *   - progress(done, total, userdata) after each unit of work, `total` the
 *     units expected (it may grow once the size is known: critical learns it
 *     from the best route); never more often than the units themselves;
 *   - at `deadline` (a corridor_clock() value; 0: none), or when cancel
 *     returns nonzero, the work stops and the function returns
 *     CORRIDOR_ELIMIT. This is the one error that still gives a result:
 *     *out then holds what was finished, with `complete` = 0 (the JSON
 *     writers add "complete": false); the caller frees it as usual. Without
 *     anything finished yet *out is NULL. The message says what stopped it.
 *
 * The search limits of the route finder (partial routes, bound work) are
 * reported the same way: CORRIDOR_ELIMIT, the routes found so far in *out.
 * A budget is read, never written: one budget may serve many calls (and
 * threads, if its callbacks allow). Checking it costs one clock read per
 * unit or per few thousand search steps.
 */
typedef struct corridor_budget {
    int version;
    double deadline;               /* corridor_clock() value at which to stop; 0: no limit */
    corridor_progress_fn progress; /* after each unit of work; may be NULL */
    int (*cancel)(void *userdata); /* polled with the deadline; nonzero: stop; may be NULL */
    void *userdata;                /* passed to progress and cancel */
} corridor_budget;

#define CORRIDOR_BUDGET_VERSION 1
#define CORRIDOR_BUDGET_INIT                                                                       \
    {                                                                                              \
        CORRIDOR_BUDGET_VERSION, 0.0, NULL, NULL, NULL                                             \
    }

/** Seconds on a monotonic clock (CLOCK_MONOTONIC): add a time limit to get a deadline. O(1). */
double corridor_clock(void);

/* ---- OD matrices (issue 12) ----
 * Routing (route, critical by route, matrix, batch route queries) calls no
 * igraph. corridor_matrix_compute may run opts->threads threads of its own,
 * joined before it returns. */

typedef struct corridor_matrix_opts {
    int version;
    corridor_filter filter;
    corridor_metric by; /* the metric that picks each pair's best route */
    unsigned threads;   /* worker threads; 0 or 1: the calling thread only */
} corridor_matrix_opts;

#define CORRIDOR_MATRIX_OPTS_VERSION 1
#define CORRIDOR_MATRIX_OPTS_INIT                                                                  \
    {                                                                                              \
        CORRIDOR_MATRIX_OPTS_VERSION, CORRIDOR_FILTER_INIT, CORRIDOR_BY_TIME, 1                    \
    }

/** What a matrix cell holds. */
typedef enum corridor_cell_status {
    CORRIDOR_CELL_ROUTE, /* a best route: its four totals */
    CORRIDOR_CELL_NONE,  /* no route between the places */
    CORRIDOR_CELL_SAME,  /* origin and destination are the same node */
    CORRIDOR_CELL_LIMIT  /* unknown: route's search reached its limit (see corridor_route_find) */
} corridor_cell_status;

/** Best-route totals for every origin-destination pair. */
typedef struct corridor_matrix {
    corridor_metric by;
    corridor_commodity carry;
    const char **from, **to; /* the places as given */
    size_t n_from, n_to;
    /* value[(i * n_to + j) * CORRIDOR_METRIC_COUNT + metric]: the totals of the
       best route from from[i] to to[j] by `by`, as `route -k 1` gives them; NAN
       unless status[i * n_to + j] is CORRIDOR_CELL_ROUTE (or not derivable) */
    double *value;
    unsigned char *status; /* corridor_cell_status per cell */
    size_t n_repaired;     /* cells answered by route's search (see src/matrix.c) */
    size_t n_limited;      /* cells left unknown at that search's limit: CORRIDOR_CELL_LIMIT */
} corridor_matrix;

/**
 * The best route between every origin place and every destination place
 * (node ids, names or country:XX), with route's semantics (DESIGN.md, "Route
 * cost"): one search over (node, class) states per origin, checked against
 * and where needed completed by route's own search, so each value equals
 * `route -k 1`'s; a pair whose route search needs more than 100,000 partial
 * routes is CORRIDOR_CELL_LIMIT (n_limited). Errors: CORRIDOR_EINVALID for an unknown place (the
 * message names it), a bad filter or an edge without the metric; CORRIDOR_EUSAGE for bad options.
 * The caller frees *out with corridor_matrix_free. Time complexity: O(n_from (|V| + |E|) C log(|V|
 * C)) for C mode/gauge classes, spread over opts->threads threads; memory O(|V| C) per thread plus
 * the n_from * n_to cells.
 */
int corridor_matrix_compute(corridor_matrix **out, const corridor_model *model,
                            const char *const *from, size_t n_from, const char *const *to,
                            size_t n_to, const corridor_matrix_opts *opts);
void corridor_matrix_free(corridor_matrix *mx);
/**
 * Row i as one line of JSON (no newline): {"from", "by", "carry", "to": [{"to",
 * "time_h", "cost_usd", "distance_km", "co2_kg"}, ...]}, null where no route,
 * and "complete": false after "carry" if a cell of the row is CORRIDOR_CELL_LIMIT.
 * Free with corridor_free. O(n_to).
 */
int corridor_matrix_row_json(char **out, const corridor_matrix *mx, size_t i);

/* ---- Batch queries (issue 12) ---- */

/** Answers many queries on one loaded model, keeping routing networks between them. */
typedef struct corridor_batch corridor_batch;

/**
 * A batch answerer for `model` (which must outlive it). `base` (may be NULL:
 * operational, freight) gives the status or year and commodity of queries
 * that do not set them; its avoid and corridor lists are not used. Free with
 * corridor_batch_free. CORRIDOR_ENOMEM only.
 */
int corridor_batch_new(corridor_batch **out, const corridor_model *model,
                       const corridor_filter *base);
void corridor_batch_free(corridor_batch *b);

/**
 * Answers one query: a JSON object {"query": "route"|"flow"|"critical"|"matrix",
 * "id": any, "from", "to", "by", "k", "carry", "via", "avoid", "status",
 * "year", "flow"} (matrix: "from" and "to" are arrays of places). *out is
 * one line of JSON without a newline: {"id": ..., "line": lineno, "result":
 * the command's JSON answer} or, for a bad or unanswerable query, {"id", "line",
 * "error": {"exit": N, "message": "..."}} with *code the exit code N the
 * command would give (else 0). Returns 0, or CORRIDOR_ENOMEM (then no answer).
 * Route queries with the same filter and metric share a routing network, and
 * their lower bounds while the destination is the same. Free *out with
 * corridor_free. Time: that of the query.
 */
int corridor_batch_answer(char **out, int *code, corridor_batch *b, const char *line, size_t len,
                          size_t lineno);

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

/* ---- import from GIS and OpenStreetMap (issue 9) ---- */

/**
 * Options of corridor_import. `mapping`: a mapping file or the name of a
 * shipped one ("osm-rail", "osm-energy"), NULL for the default (attributes
 * named like model fields; an OpenStreetMap source uses "osm-rail").
 * `snap_km`: line ends within this distance of a node end there (default
 * 0.5). `layers`: only these layers (all if none). `countries`: a polygon
 * source (iso_a2, adm0_a3, name) giving nodes without a country theirs by
 * point in polygon, or NULL. `max_points`: the most vertices read in all.
 */
typedef struct corridor_import_opts {
    int version;
    const char *mapping;
    double snap_km;
    const char *const *layers;
    size_t n_layers;
    const char *countries;
    size_t max_points;
} corridor_import_opts;

#define CORRIDOR_IMPORT_OPTS_VERSION 1
#define CORRIDOR_IMPORT_OPTS_INIT                                                                  \
    {                                                                                              \
        CORRIDOR_IMPORT_OPTS_VERSION, NULL, 0.5, NULL, 0, NULL, 50000000                           \
    }
/** Sets *opts to CORRIDOR_IMPORT_OPTS_INIT; CORRIDOR_EUSAGE for an unknown version. */
int corridor_import_opts_init(corridor_import_opts *opts, int version);

/** What an import read and made. */
typedef struct corridor_import_summary {
    size_t sources, layers, features; /* features read from the wanted layers */
    size_t filtered;                  /* left out by the mapping's "where" */
    size_t nodes, edges;              /* in the model */
    size_t snapped;                   /* line ends attached to a node at a distance */
    size_t junctions;                 /* nodes made where line ends met no node */
    size_t merged;                    /* line pieces joined into longer edges */
    size_t skipped;                   /* lines left out (loops) */
    size_t countries_found;           /* nodes given a country by point in polygon */
    size_t dropped_attrs;             /* attribute values matching no field, dropped */
} corridor_import_summary;

/**
 * Reads GIS sources through GDAL/OGR (every vector format it has: GeoPackage,
 * Shapefile, GeoJSON, FlatGeobuf, CSV, KML, OpenStreetMap .osm/.osm.pbf) into
 * model JSON text (*out, the caller frees it with corridor_free) that the
 * loader accepts: points become nodes, lines edges with their geometry
 * (docs/import.md). Problems go to `diags` located at the source, layer and
 * feature; CORRIDOR_EINVALID if any (nothing is returned), CORRIDOR_EIO if a
 * source cannot be read. `summary` may be NULL. Not thread-safe while GDAL's
 * OSM configuration option is set (a thread-local option; other GDAL use in
 * the same thread sees it during the call). Time: O(P log P) for P points.
 */
int corridor_import(char **out, corridor_import_summary *summary, const char *const *sources,
                    size_t n_sources, const corridor_import_opts *opts, corridor_diags *diags);

/** As corridor_import, straight into a model (free with corridor_model_free). */
int corridor_model_import(corridor_model **out, corridor_import_summary *summary,
                          const char *const *sources, size_t n_sources,
                          const corridor_import_opts *opts, corridor_diags *diags);

/**
 * As corridor_import, writing the model to `path` whole or not at all (the
 * library's file writer; "-" is standard output).
 */
int corridor_import_file(const char *path, corridor_import_summary *summary,
                         const char *const *sources, size_t n_sources,
                         const corridor_import_opts *opts, corridor_diags *diags);

/**
 * Route options as a GeoJSON FeatureCollection (RFC 7946): one Feature per
 * option, a MultiLineString of its edges' shapes in travel direction (edges
 * without geometry as great-circle arcs), with its totals, nodes, edges,
 * countries and corridors as properties. The caller frees *out with
 * corridor_free. O(total points of the routes' edges).
 */
int corridor_routes_geojson(char **out, const corridor_model *model, const corridor_routes *routes);

/**
 * The vector formats GDAL can write here, one per line: driver name, usual
 * extension, long name, separated by tabs. The caller frees *out with
 * corridor_free.
 */
int corridor_export_ogr_formats(char **out);

/** 1 if `path` names a GIS source that -m imports (by its extension), else 0. */
int corridor_import_is_source(const char *path);

/* ---- Pipes, files, compare, options (issue 8) ---- */

/**
 * Removes every temporary file the library is writing at this moment (the
 * `FILE.tmp.XXXXXX` beside an output that is not yet complete). Meant for a
 * SIGINT/SIGTERM handler: async-signal-safe (atomic loads and unlink(2)
 * only), so call it from the handler and then re-raise the signal. An
 * interrupted write then leaves the old file as it was and no temporary file.
 * Up to 64 files being written at once are tracked. Time: O(1).
 */
void corridor_temp_files_remove(void);

/** Severity of a diagnostic. */
typedef enum corridor_severity {
    CORRIDOR_SEVERITY_ERROR,
    CORRIDOR_SEVERITY_WARNING
} corridor_severity;

/** One diagnostic, split into its parts. Strings point into the list. */
typedef struct corridor_diag {
    corridor_severity severity;
    const char *file;       /* the file (or "<stdin>", "builtin:NAME") */
    const char *path;       /* JSON path ("edges[3].mode"), "" if none */
    const char *message;    /* what is wrong */
    const char *suggestion; /* how to fix it ("did you mean ..."), "" if none */
} corridor_diag;

/** Entry i in parts; CORRIDOR_EUSAGE if i is out of range. Time: O(1). */
int corridor_diags_entry(corridor_diag *out, const corridor_diags *diags, size_t i);

/**
 * The list as a JSON array of {"file", "path", "severity" ("error" or
 * "warning"), "message", "suggestion"} objects (path and suggestion null when
 * empty). The caller frees *out with corridor_free. Time: O(total length).
 */
int corridor_diags_json(char **out, const corridor_diags *diags);

/**
 * As corridor_validate_file, for text already in memory (standard input):
 * `name` names it in the diagnostics. Time: that of loading the text (and,
 * for a scenario, loading `base_model` and applying the edits).
 */
int corridor_validate_string(corridor_validation *out, const char *text, size_t len,
                             const char *name, const char *base_model, corridor_diags *diags);

/**
 * The files corridor_export_file writes for `path` in `format`: *first is
 * `path` itself, or for CSV the nodes file, *second NULL or for CSV the edges
 * file. The caller frees both with corridor_free. CORRIDOR_ENOMEM only.
 */
int corridor_export_paths(char **first, char **second, corridor_export_format format,
                          const char *path);

/**
 * A class name as in transfers: the mode, for rail with a gauge "rail/GAUGE"
 * ("rail/1520", "sea"). Writes at most `size` bytes to buf (always
 * terminated) and returns the full length, as snprintf does.
 */
size_t corridor_class_name(char *buf, size_t size, corridor_mode mode, int gauge);

/** A leg of a route: consecutive hops of one class. */
typedef struct corridor_leg {
    char class_name[32];                  /* "rail/1520", "sea", ... */
    size_t first_hop, n_hops;             /* route->hops[first_hop .. first_hop + n_hops) */
    const char *from, *to;                /* node ids at the leg's ends */
    const char *from_name, *to_name;      /* their names */
    double metric[CORRIDOR_METRIC_COUNT]; /* sums of the hops' values (no dwell, no transfer);
                                             NAN if a hop's value is NAN */
} corridor_leg;

/**
 * Splits a route into its legs (a new leg where the class changes). *out is
 * an array the caller frees with corridor_free; its strings point into the
 * route. A route without hops gives 0 legs (*out NULL). Time: O(hops).
 */
int corridor_route_legs(corridor_leg **out, size_t *n, const corridor_route *route);

/** The kind of an answer that can be compared. */
typedef enum corridor_answer_kind {
    CORRIDOR_ANSWER_ROUTES,
    CORRIDOR_ANSWER_FLOW,
    CORRIDOR_ANSWER_CRITICAL,
    CORRIDOR_ANSWER_ASSIGNMENT /* issue 14 */
} corridor_answer_kind;

/**
 * One answer of any kind, borrowed (a tagged union: `kind` says which member
 * is set). An answer pointer may be NULL when the query had no answer; then
 * `err` is its error (CORRIDOR_ENOTFOUND: no route).
 */
typedef struct corridor_answer {
    corridor_answer_kind kind;
    int err;
    union {
        const corridor_routes *routes;
        const corridor_flow *flow;
        const corridor_critical *critical;
        const struct corridor_assignment *assignment;
    } u;
} corridor_answer;

/**
 * Assignment comparison, one row per commodity (corridor NULL: its totals) and per corridor
 * and commodity with volume on either side. Values are NAN where a side has none.
 */
typedef struct corridor_assign_change {
    const char *corridor;                /* NULL: the commodity's totals */
    int carry;                           /* corridor_commodity */
    double base_volume, scenario_volume; /* totals: served demand; corridor: busiest edge */
    double base_unit_km, scenario_unit_km;
    double base_unit_h, scenario_unit_h; /* totals only */
} corridor_assign_change;

/** An element whose place in a ranking or a cut changed between base and scenario. */
typedef struct corridor_element_change {
    corridor_element_type type;
    const char *id;
    size_t base_rank, scenario_rank;   /* 1-based position; 0: absent on that side */
    double base_value, scenario_value; /* critical: increase; cut: capacity; NAN if absent */
    int base_disconnects, scenario_disconnects; /* critical: its loss disconnects */
} corridor_element_change;

/** What changed from a base answer to a scenario answer of the same kind. */
typedef struct corridor_comparison {
    corridor_answer_kind kind;
    corridor_answer base, scenario; /* the answers compared (borrowed, see corridor_compare) */
    corridor_metric by;             /* routes and critical: the metric */
    /*
     * The headline value on each side: routes: the best route's value by `by`;
     * flow: the maximum flow (INFINITY if unbounded); critical: the base value
     * of the best route (or flow). NAN when that side has no answer.
     */
    double base_value, scenario_value;
    double change; /* scenario_value - base_value; NAN unless both are finite */
    /* routes: indices of the scenario's routes not among the base's (gained), and back */
    size_t *gained;
    size_t n_gained;
    size_t *lost;
    size_t n_lost;
    /*
     * flow: elements that entered or left the minimum cut or whose capacity in
     * it changed; critical: elements whose rank, increase or disconnection
     * changed, in the scenario's order, then those only in the base.
     */
    corridor_element_change *elements;
    size_t n_elements;
    size_t base_disconnects, scenario_disconnects; /* critical: single points of failure */
    /* assignment: totals and corridor volumes on both sides; `elements` then lists the edges
       and nodes whose v/c changed by 0.01 or more (values: v/c; ranks: by scenario v/c) */
    corridor_assign_change *assign_changes;
    size_t n_assign_changes;
} corridor_comparison;

/**
 * Compares a base answer with a scenario answer of the same kind. Routes are
 * the same when they have the same edge sequence. The comparison borrows the
 * answers (and their strings): free it before them. CORRIDOR_EUSAGE if the
 * kinds differ or are unknown; CORRIDOR_ENOMEM. The caller frees *out with
 * corridor_comparison_free. Time: routes O(k^2 * route length); flow
 * O(c^2) for cuts of c elements; critical O(n^2) for n ranked elements.
 */
int corridor_compare(corridor_comparison **out, const corridor_answer *base,
                     const corridor_answer *scenario);
/** Frees a comparison (not the answers it borrows). */
void corridor_comparison_free(corridor_comparison *cmp);
/**
 * The comparison as JSON: {"query": "route"|"flow"|"critical", "base": ANSWER
 * or null, "scenario": ANSWER or null, "changes": {...}} with each answer as
 * its own _json writer gives it. Free with corridor_free. Time: O(output).
 */
int corridor_comparison_json(char **out, const corridor_comparison *cmp);

/*
 * Options initialisers, beside the _INIT macros (libgit2's git_*_options_init):
 * each fills *opts with its defaults for `version`, which must be the
 * CORRIDOR_*_VERSION the caller was compiled with; any other version (older
 * or newer: see "Options versions" at the top) is CORRIDOR_EUSAGE with a
 * message naming the struct. Every function taking an options struct checks
 * its `version` (and its filter's) the same way. Time: O(1).
 */
int corridor_filter_init(corridor_filter *filter, int version);
int corridor_route_opts_init(corridor_route_opts *opts, int version);
int corridor_flow_opts_init(corridor_flow_opts *opts, int version);
int corridor_critical_opts_init(corridor_critical_opts *opts, int version);
int corridor_analyze_opts_init(corridor_analyze_opts *opts, int version);
int corridor_render_opts_init(corridor_render_opts *opts, int version);
int corridor_export_opts_init(corridor_export_opts *opts, int version);

/* ---- Model schema (issue 8) ---- */

/** The years a model's "opens", a scenario and `--year` may name (docs/model-format.md). */
#define CORRIDOR_YEAR_MIN 1800
#define CORRIDOR_YEAR_MAX 2200

/* ---- Installed data and coordinate places (issue 9) ---- */

/**
 * The path of the shipped data file `rel` (a relative path such as
 * "graphs/scenarios/zangezur-opens.json"): the first regular file among
 * $CORRIDOR_DATA/rel, CORRIDOR_DATADIR/rel (PREFIX/share/corridor, fixed at
 * build time) and CORRIDOR_SRCDIR/rel (the source tree it was built from).
 * The caller frees *out with corridor_free. CORRIDOR_EIO (the message
 * names the folders searched) if none has it; CORRIDOR_EUSAGE for an empty
 * or absolute `rel` or one with ".."; CORRIDOR_ENOMEM. Time: at most three stat calls.
 */
int corridor_data_path(char **out, const char *rel);

/**
 * Loads a scenario from a file, or, when no file has that name and it has
 * no '/', the shipped scenario NAME (graphs/scenarios/NAME.json found by
 * corridor_data_path). Errors as corridor_scenario_load_file; a name found
 * nowhere is CORRIDOR_EIO naming the folders searched. Time: as loading.
 */
int corridor_scenario_open(corridor_scenario **out, const char *name_or_path,
                           corridor_diags *diags);

/** The default and largest --snap distance of a coordinate place, in km. */
#define CORRIDOR_SNAP_KM_DEFAULT 50.0
#define CORRIDOR_SNAP_KM_MAX     20050.0

/** A coordinate place resolved to a node. */
typedef struct corridor_snap {
    double lat, lon;  /* as given */
    const char *node; /* the node's id (points into the model) */
    const char *name; /* its name */
    double km;        /* great-circle distance from the coordinates to the node */
} corridor_snap;

/**
 * Resolves a place written as coordinates, "LAT,LON" in decimal degrees
 * (for example "43.65,51.17"), to the nearest node the query with `filter`
 * can use: a node inside the filter, with coordinates, and with at least one
 * edge inside it (so that routes and flows can leave it). Returns 1 with
 * *out filled; 0 if `place` is not coordinates (or is a node's id), *out
 * untouched; CORRIDOR_EINVALID for coordinates out of range or no such node
 * within max_km (the message names the nearest and its distance);
 * CORRIDOR_EUSAGE for max_km not in (0, CORRIDOR_SNAP_KM_MAX]. Ties go to the
 * node first in the model. Time: O(|V| + |E|).
 */
int corridor_place_snap(corridor_snap *out, const corridor_model *model, const char *place,
                        const corridor_filter *filter, double max_km);

/* ---- Pareto routes and route alternatives (issue 13) ---- */

/** What a Pareto search trades off: the four metrics (same order), transfers, border crossings. */
typedef enum corridor_criterion {
    CORRIDOR_CRIT_TIME,      /* hours, as CORRIDOR_BY_TIME */
    CORRIDOR_CRIT_COST,      /* US dollars */
    CORRIDOR_CRIT_DISTANCE,  /* kilometres */
    CORRIDOR_CRIT_CO2,       /* kilograms */
    CORRIDOR_CRIT_TRANSFERS, /* changes of class (mode; rail: mode and gauge) */
    CORRIDOR_CRIT_BORDERS,   /* consecutive nodes in different countries */
    CORRIDOR_CRITERION_COUNT
} corridor_criterion;

/** "time", "cost", "distance", "co2", "transfers", "borders". */
const char *corridor_criterion_name(corridor_criterion c);

/**
 * Parses a comma-separated list of 2 to 6 distinct criteria ("time,cost,co2")
 * into out[0 .. *n). CORRIDOR_EUSAGE with a message naming the problem (an
 * unknown or repeated criterion, fewer than two). O(length of the list).
 */
int corridor_criteria_parse(corridor_criterion out[CORRIDOR_CRITERION_COUNT], size_t *n,
                            const char *list);

/** A route's value by one criterion (its metric total, n_transfers or borders). O(1). */
double corridor_route_criterion(const corridor_route *r, corridor_criterion c);

typedef struct corridor_pareto_opts {
    int version;
    corridor_filter filter;
    corridor_criterion criteria[CORRIDOR_CRITERION_COUNT]; /* the first n_criteria, distinct */
    size_t n_criteria;                                     /* 2 .. 6 */
    size_t max;                                            /* options kept, >= 1 */
    const char *const *via;                                /* places to pass, in order */
    size_t n_via;
} corridor_pareto_opts;

#define CORRIDOR_PARETO_OPTS_VERSION 1
#define CORRIDOR_PARETO_OPTS_INIT                                                                  \
    {                                                                                              \
        CORRIDOR_PARETO_OPTS_VERSION, CORRIDOR_FILTER_INIT,                                        \
            {CORRIDOR_CRIT_TIME, CORRIDOR_CRIT_COST}, 2, 50, NULL, 0                               \
    }

/** Fills *opts with CORRIDOR_PARETO_OPTS_INIT; CORRIDOR_EUSAGE for an unknown version. O(1). */
int corridor_pareto_opts_init(corridor_pareto_opts *opts, int version);

/** Why a Pareto set is incomplete. */
typedef enum corridor_pareto_cut {
    CORRIDOR_PARETO_COMPLETE, /* every option, every tie */
    CORRIDOR_PARETO_CAP,      /* more options exist than opts->max */
    CORRIDOR_PARETO_LIMIT     /* the search limit stopped it (the CLI exits 5) */
} corridor_pareto_cut;

/**
 * The Pareto-optimal route options. An option is one vector of criteria
 * values; the routes that share it (ties) are listed together. Options come
 * in lexicographic order of their vectors (first criterion first).
 */
typedef struct corridor_pareto {
    corridor_criterion criteria[CORRIDOR_CRITERION_COUNT];
    size_t n_criteria;
    corridor_routes *routes; /* every route, option by option; a route's rank is its option's */
    size_t *first;           /* option i: routes->routes[first[i] .. first[i + 1]), n_options + 1 */
    size_t n_options;
    corridor_pareto_cut cut; /* the options found are Pareto-optimal even if cut */
    size_t labels;           /* partial routes created by the search */
} corridor_pareto;

/**
 * Every route from `from` to `to` that no other route beats on all
 * opts->criteria at once (route semantics of corridor_route_find: dwell,
 * transfers, node-simple legs, via, filter), by an exact multi-criteria
 * label-setting search (src/pareto.c). At most opts->max options: if more
 * exist, cut = CORRIDOR_PARETO_CAP; at the search limit, cut =
 * CORRIDOR_PARETO_LIMIT; both still return 0 with the options found so far.
 * Errors as corridor_route_find, and CORRIDOR_EUSAGE for bad criteria, max 0
 * or an unknown options version.
 * Time: exponential in the worst case (Pareto sets can be), bounded by the
 * search limit; memory about 40 + 16 * criteria bytes per partial route.
 * The caller frees *out with corridor_pareto_free.
 */
int corridor_pareto_find(corridor_pareto **out, const corridor_model *model, const char *from,
                         const char *to, const corridor_pareto_opts *opts);
void corridor_pareto_free(corridor_pareto *p);
/** The Pareto set as JSON text ("complete", options with trade-offs and ties); corridor_free. */
int corridor_pareto_json(char **out, const corridor_pareto *p);

/** How route alternatives must differ from every earlier one (besides the overlap limit). */
typedef enum corridor_differ {
    CORRIDOR_DIFFER_NONE,
    CORRIDOR_DIFFER_COUNTRY,  /* the set of countries passed */
    CORRIDOR_DIFFER_CORRIDOR, /* the set of corridors used */
    CORRIDOR_DIFFER_SEA       /* the set of sea crossings (unordered port pairs of sea edges) */
} corridor_differ;

/** Parses "country", "corridor" or "sea"; CORRIDOR_EUSAGE listing the choices otherwise. */
int corridor_differ_parse(corridor_differ *out, const char *name);

typedef struct corridor_alt_opts {
    int version;
    double max_overlap;        /* 0 < F < 1, or 1: no overlap limit */
    corridor_differ differ_by; /* CORRIDOR_DIFFER_NONE: no such condition */
} corridor_alt_opts;

#define CORRIDOR_ALT_OPTS_VERSION 1
#define CORRIDOR_ALT_OPTS_INIT                                                                     \
    {                                                                                              \
        CORRIDOR_ALT_OPTS_VERSION, 1.0, CORRIDOR_DIFFER_NONE                                       \
    }

/** Fills *opts with CORRIDOR_ALT_OPTS_INIT; CORRIDOR_EUSAGE for an unknown version. O(1). */
int corridor_alt_opts_init(corridor_alt_opts *opts, int version);

/**
 * Genuinely different route options: the routes in order of value by
 * ropts->by (exactly as corridor_route_find) of which one is kept when it
 * shares at most alt->max_overlap of the shorter one's distance_km with every
 * route kept before it (shared: the model edges both use, each counted once)
 * and, with differ_by, has a set of countries, corridors or sea crossings that
 * no kept route has. Stops at ropts->k routes: route i is the best route that
 * fits routes 1 .. i - 1. Fewer than k if no more fit. Errors as
 * corridor_route_find; CORRIDOR_EUSAGE for F outside (0, 1]; CORRIDOR_ELIMIT
 * at the search limit (the routes it passes over count towards it).
 * The caller frees *out with corridor_routes_free.
 */
int corridor_route_alternatives(corridor_routes **out, const corridor_model *model,
                                const char *from, const char *to, const corridor_route_opts *ropts,
                                const corridor_alt_opts *alt);

/* ---- Demand and assignment (issue 14) ---- */

/**
 * A demand table: quantities per year between places, by commodity, in the
 * model's unit of the commodity (corridor_model_unit). Read from CSV
 * (`origin,destination,commodity,quantity` and optional `unit`, `tags`,
 * `note`, `source` columns) or JSON (docs/assignment.md). Places are node ids,
 * node names or "country:XX", checked against the model at load time.
 */
typedef struct corridor_demand corridor_demand;

/**
 * Loads a demand table from a file (JSON if the text starts with '{' or '[',
 * else CSV) and checks it against `model`. Every problem goes to `diags` (may
 * be NULL) as "FILE:LINE: message" (CSV) or "FILE: demand[i].key: message"
 * (JSON): unknown place or commodity, negative or non-finite quantity, unit
 * other than the model's, duplicate rows (same origin, destination, commodity
 * and tags: an error, not summed). CORRIDOR_EINVALID if any, CORRIDOR_EIO if
 * the file cannot be read. The caller frees *out with corridor_demand_free.
 * Time complexity: O(size of the file + rows * places).
 */
int corridor_demand_load_file(corridor_demand **out, const char *path, const corridor_model *model,
                              corridor_diags *diags);
/** As corridor_demand_load_file, from text; `name` starts the diagnostics. */
int corridor_demand_load_string(corridor_demand **out, const char *text, size_t len,
                                const char *name, const corridor_model *model,
                                corridor_diags *diags);
/** Frees a demand table; accepts NULL. */
void corridor_demand_free(corridor_demand *d);
/** Number of rows. */
size_t corridor_demand_count(const corridor_demand *d);
/** Sum of the quantities of one commodity. O(rows). */
double corridor_demand_total(const corridor_demand *d, corridor_commodity carry);

/**
 * Scales rows: `spec` is "FACTOR" (every row) or "KEY=VALUE[,KEY=VALUE...]:FACTOR"
 * with keys commodity, origin, destination (as written in the table, case-
 * insensitive, or "*") and tag (one of the row's tags). Rows matching every
 * key are multiplied by FACTOR (finite, >= 0). Sets *matched (may be NULL) to
 * the number of rows scaled. CORRIDOR_EUSAGE for a malformed spec. O(rows).
 */
int corridor_demand_scale(corridor_demand *d, const char *spec, size_t *matched);

/**
 * Applies a demand-scaling file ({"format": "corridor-demand-scale",
 * "version": 1, "rules": [{"tag": "rail-transit", "factor": 1.33}, ...]}):
 * each row is scaled by the FIRST rule that matches it (keys as for
 * corridor_demand_scale). Problems go to `diags`; CORRIDOR_EINVALID then,
 * nothing scaled. O(rows * rules).
 */
int corridor_demand_scale_file(corridor_demand *d, const char *path, corridor_diags *diags,
                               size_t *matched);

typedef enum corridor_assign_method {
    CORRIDOR_ASSIGN_UE,  /* user equilibrium with BPR congestion (default) */
    CORRIDOR_ASSIGN_AON, /* all or nothing on the free-flow best route */
    CORRIDOR_ASSIGN_FW   /* user equilibrium by plain Frank-Wolfe (for comparison) */
} corridor_assign_method;

typedef struct corridor_assign_opts {
    int version;
    corridor_filter filter; /* status, year, avoid, corridors; carry: each row's own */
    corridor_assign_method method;
    corridor_metric by;            /* route choice metric (time default) */
    double value_of_time;          /* USD/h; > 0 with by cost: generalised cost cost + vot * time */
    double gap;                    /* relative gap to reach (default 1e-4) */
    size_t max_iter;               /* iterations at most (default 1000) */
    double alpha, beta;            /* BPR defaults (0.15, 4) unless the model overrides them */
    int keep_paths;                /* keep the routes of each OD pair and their shares */
    corridor_progress_fn progress; /* after each iteration (done = iteration, total = max_iter) */
    void *userdata;
} corridor_assign_opts;

#define CORRIDOR_ASSIGN_OPTS_VERSION 1
/** Fills *opts with the defaults of `version` (CORRIDOR_ASSIGN_OPTS_VERSION); EUSAGE otherwise. */
int corridor_assign_opts_init(corridor_assign_opts *opts, int version);
#define CORRIDOR_ASSIGN_OPTS_INIT                                                                  \
    {                                                                                              \
        CORRIDOR_ASSIGN_OPTS_VERSION, CORRIDOR_FILTER_INIT_ANY, CORRIDOR_ASSIGN_UE,                \
            CORRIDOR_BY_TIME, 0.0, 1e-4, 1000, 0.15, 4.0, 0, NULL, NULL                            \
    }

/** One loaded element (an edge or a node) for one commodity. */
typedef struct corridor_assign_element {
    const char *type; /* "edge" or "node" */
    const char *id;
    corridor_commodity carry;
    double volume; /* edges: both directions; nodes: volume passing through */
    double volume_forward, volume_backward; /* edges: from -> to, to -> from */
    double capacity;                        /* per direction; INFINITY if none */
    double vc;          /* volume / capacity (edges: the larger direction); 0 without capacity */
    double time0;       /* free-flow time, h (nodes: dwell) */
    double time;        /* loaded time, h (edges: the more loaded direction) */
    double alpha, beta; /* the BPR parameters used */
} corridor_assign_element;

/** One route of an OD pair at the end of the assignment. */
typedef struct corridor_assign_path {
    const char **edges; /* edge ids, travel order */
    size_t n_edges;
    const char **nodes; /* node ids, n_edges + 1 */
    double share;       /* of the pair's quantity */
    double cost;        /* by the route choice metric, at the final loaded times */
} corridor_assign_path;

/** One origin-destination pair (a demand row, or a part of one spread over a country). */
typedef struct corridor_assign_od {
    const char *origin, *destination; /* as written in the demand table (owned by the result) */
    const char *from, *to;            /* node ids (or the place, if it has no usable node) */
    corridor_commodity carry;
    size_t row; /* 0-based demand row */
    double quantity;
    int served;                  /* 0: no route (unserved) */
    double cost;                 /* cheapest route at the final loaded times; NAN if unserved */
    corridor_assign_path *paths; /* only with keep_paths; largest share first */
    size_t n_paths;
} corridor_assign_od;

/** Totals of one commodity. */
typedef struct corridor_assign_total {
    corridor_commodity carry;
    const char *unit;
    double demand, served, unserved;
    double unit_km;  /* volume x distance over the edges (t.km for freight) */
    double unit_h;   /* volume x loaded time, dwell and transfers included */
    double cost_usd; /* volume x cost (edges, dwell, transfers) */
    size_t iterations;
    double gap;    /* relative gap reached (0 for aon) */
    int converged; /* gap <= opts->gap */
    /* shortest walks that visited a node twice and went to route.c's exact search, over all
       iterations; and those whose search hit its cap of 200,000 partial routes, for which the
       walk with its loops cut was used (a route, maybe not the cheapest) */
    size_t exact_searches, approximate_routes;
} corridor_assign_total;

/** Volume on one corridor for one commodity. */
typedef struct corridor_assign_corridor {
    const char *id;
    corridor_commodity carry;
    double max_volume; /* the largest edge volume on the corridor */
    double unit_km;
} corridor_assign_corridor;

typedef struct corridor_assignment {
    corridor_assign_method method;
    corridor_metric by;
    double value_of_time;
    double gap_target;
    corridor_assign_element *elements; /* volume > 0, edges then nodes, model order */
    size_t n_elements;
    corridor_assign_total *totals; /* commodities with demand */
    size_t n_totals;
    corridor_assign_corridor *corridors; /* corridor x commodity with volume */
    size_t n_corridors;
    corridor_assign_od *ods;
    size_t n_ods;
    int complete; /* every commodity reached the gap */
} corridor_assignment;

/**
 * Loads `demand` onto the network (DESIGN.md "Assignment", docs/assignment.md):
 * each commodity separately on the edges that carry it, routes as `route`
 * defines them (transfers, gauges, dwell, status, year, avoid). AON puts each
 * pair on its best route; UE solves the user equilibrium with BPR times on
 * edges and on the dwell of nodes with a capacity by bi-conjugate Frank-Wolfe
 * until the relative gap is <= opts->gap or opts->max_iter iterations.
 * A "country:XX" place is spread over the country's eligible nodes (equal
 * shares; border and junction nodes only if nothing else is eligible).
 * Pairs without a route are unserved, not an error. CORRIDOR_EINVALID for an
 * edge without the metric, CORRIDOR_EUSAGE for bad options. The caller frees
 * *out with corridor_assignment_free; its ids point into the model, which must
 * outlive it (the demand table need not).
 * Time complexity: per iteration, one Dijkstra over (node, class) states per
 * origin node: O(origins * (|V| + |E|) * classes * log).
 */
int corridor_assign(corridor_assignment **out, const corridor_model *model,
                    const corridor_demand *demand, const corridor_assign_opts *opts);
void corridor_assignment_free(corridor_assignment *a);
/** The assignment as JSON text; free with corridor_free. */
int corridor_assignment_json(char **out, const corridor_assignment *a);
/**
 * Per model edge, the volume and v/c of one commodity for a flow map: from an assignment
 * (`a`, computed on `model`) or, if `a` is NULL, from the JSON text of one (`json`, as
 * corridor_assignment_json writes it; its edge ids must be the model's: CORRIDOR_EINVALID
 * otherwise, and for text that is not an assignment). *volume and *vc get model->n_edges
 * values each (0 and NAN where nothing flows); the caller frees both with corridor_free.
 * Time complexity: O(elements + edges).
 */
int corridor_assignment_edge_values(double **volume, double **vc, const corridor_assignment *a,
                                    const char *json, const corridor_model *model,
                                    corridor_commodity carry);

/** "ue", "aon", "fw"; parse returns CORRIDOR_EUSAGE listing the choices. */
const char *corridor_assign_method_name(corridor_assign_method m);
int corridor_assign_method_parse(corridor_assign_method *out, const char *name);

/* ---- Compiled models (issue 12) ---- */

/*
 * A compiled model is a binary form of a loaded model (after its scenarios)
 * that loads by memory-mapping: elements, strings, corridor lists and
 * geometries laid out as the library holds them, with a magic number, a
 * format version, the byte order, the word size, a hash of the element
 * layout, section lengths and a checksum (docs/compiled.md). It is not an
 * interchange format: it is read only by a corridor build of the same
 * format version and layout on a machine of the same byte order and word
 * size, and compiled again otherwise. corridor_model_load_file,
 * corridor_model_load_string and corridor_model_open recognise it by its
 * magic number; every query answers on it exactly as on the JSON model it was
 * compiled from.
 */

/**
 * Writes `model` to `path` in the compiled form, whole or not at all (as
 * corridor_export_file writes). CORRIDOR_EUSAGE without a path, CORRIDOR_EIO,
 * CORRIDOR_ENOMEM. Time: O(size of the model), including one canonical JSON
 * writing for the model's hash; memory: about the size of the file.
 */
int corridor_model_compile(const corridor_model *model, const char *path);

/** 1 if `model` was loaded from a compiled file, 0 otherwise (also for NULL). O(1). */
int corridor_model_is_compiled(const corridor_model *model);

/**
 * The model's hash: 16 hex digits (and a NUL) of the 64-bit FNV-1a hash of
 * its canonical JSON (corridor export -f json), into `buf`. Two models with
 * the same hash give the same answers. Read from the file for a compiled
 * model (O(1)); computed for any other (O(size of the model)). CORRIDOR_ENOMEM.
 */
int corridor_model_hash(char buf[17], const corridor_model *model);

/* ---- Assignment as a GIS layer (issue 14) ---- */

/**
 * Writes assignment `a`, computed on `model`, as a GIS layer through GDAL
 * (docs/assignment.md, "GIS layer"). `format` is a GDAL vector driver or one
 * of export's names (gpkg, shp, fgb, geojson, ...); NULL takes it from the
 * extension of `path`. One feature per loaded element and commodity: edges as
 * lines (their geometry, or a great-circle arc between their nodes), nodes
 * with a capacity as points; columns element, id, name, mode (edges), kind
 * (nodes), corridors (edges), carry, unit, volume, volume_forward,
 * volume_backward (edges), capacity, vc, time0_h, time_h, bpr_alpha, bpr_beta
 * (null without a capacity). Layers `edges` and `nodes` where the format holds
 * several per file (GeoPackage); GeoJSON: one collection with both; other
 * formats: PATH-edges.EXT and PATH-nodes.EXT. Unserved demand has no
 * geometry and is not written (it is in the JSON). Written whole or not at
 * all (a fresh folder beside `path`, moved into place when complete).
 * *n_edges and *n_nodes (either may be NULL) get the features written.
 * CORRIDOR_EUSAGE for a format GDAL cannot write here or a path without an
 * extension and no format, CORRIDOR_EINVALID for an element not in `model`,
 * CORRIDOR_EIO when a file cannot be written.
 * Time complexity: O(model ids + elements + the points of their lines).
 */
int corridor_assignment_write_gis(size_t *n_edges, size_t *n_nodes, const corridor_assignment *a,
                                  const corridor_model *model, const char *path,
                                  const char *format);
/**
 * The files corridor_assignment_write_gis writes for `path` and `format`
 * (NULL: by the extension): *first, and *second or NULL when it writes one
 * file. The caller frees both with corridor_free. CORRIDOR_EUSAGE as there.
 * O(1).
 */
int corridor_assignment_gis_paths(char **first, char **second, const char *path,
                                  const char *format);

#ifdef __cplusplus
}
#endif

#endif
