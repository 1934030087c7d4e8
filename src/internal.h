/* internal.h: shared internals of libcorridor: the model's layout and small helpers. */
#ifndef CORRIDOR_INTERNAL_H
#define CORRIDOR_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "corridor.h"

/* ------------------------------------------------------------------ errors */

/** Sets the thread's last error message (printf-style) and returns `code`. */
int corridor__error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Sets an out-of-memory message and returns CORRIDOR_ENOMEM. */
int corridor__oom(void);
/** CORRIDOR_EUSAGE naming the struct `what` unless got == want (GIT_ERROR_CHECK_VERSION). */
int corridor__check_version(int got, int want, const char *what);
/** corridor__check_version for a filter. */
int corridor__check_filter(const corridor_filter *f);
/** Checks an options struct's version and its filter's; 0 or CORRIDOR_EUSAGE. */
#define CORRIDOR__CHECK_OPTS(opts, want, what)                                                     \
    ((opts) ? (corridor__check_version((opts)->version, (want), (what)) < 0                        \
                   ? CORRIDOR_EUSAGE                                                               \
                   : corridor__check_filter(&(opts)->filter))                                      \
            : 0)
/** corridor__check_version for a budget; NULL (no budget) is fine. */
int corridor__check_budget(const corridor_budget *b);
/** CORRIDOR__CHECK_OPTS for an options struct with a `budget` field: checks the budget too. */
#define CORRIDOR__CHECK_BUDGETED_OPTS(opts, want, what)                                            \
    ((opts) ? (CORRIDOR__CHECK_OPTS((opts), (want), (what)) < 0                                    \
                   ? CORRIDOR_EUSAGE                                                               \
                   : corridor__check_budget((opts)->budget))                                       \
            : 0)

/* --------------------------------------------------------------- memory etc */

/**
 * Grows array `p` to `n` elements with realloc while `ok` is nonzero; if that
 * fails, `p` keeps its old block and `ok` becomes 0. For parallel arrays:
 * CORRIDOR__GROW each of them, then check `ok` once (the ones grown stay grown).
 */
#define CORRIDOR__GROW(p, n, ok)                                                                   \
    do {                                                                                           \
        void *grown_ = (ok) ? realloc((p), (n) * sizeof *(p)) : NULL;                              \
        if (grown_)                                                                                \
            (p) = grown_;                                                                          \
        else                                                                                       \
            (ok) = 0;                                                                              \
    } while (0)

char *corridor__strdup(const char *s);
char *corridor__strndup(const char *s, size_t n);
/** printf into a new string; NULL on failure. */
char *corridor__asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int corridor__strcaseeq(const char *a, const char *b);
/** Levenshtein distance, capped at `cap` (returns cap + 1 when larger). */
size_t corridor__edit_distance(const char *a, const char *b, size_t cap);

/** Growable byte buffer; `data` is always NUL-terminated once anything was added. */
typedef struct cor_buf {
    char *data;
    size_t len, cap;
    int failed; /* an allocation failed: the content is incomplete */
} cor_buf;

void corridor__buf_init(cor_buf *b);
void corridor__buf_free(cor_buf *b);
void corridor__buf_add(cor_buf *b, const char *s, size_t n);
void corridor__buf_puts(cor_buf *b, const char *s);
void corridor__buf_printf(cor_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Takes the buffer's text (caller frees with free); NULL and ENOMEM message if failed. */
char *corridor__buf_take(cor_buf *b);

/**
 * The one writer of output files (src/filebuf.c; libgit2's git_filebuf):
 * open, write, then commit or discard. A regular file (or none) is written to
 * a temporary file beside it and renamed over it on commit (symlinks followed,
 * mode kept, fsync first); a FIFO, device or socket is written through; the
 * process's own stdout/stderr is written into its descriptor. Errors:
 * CORRIDOR_EIO with a message naming the path. After commit or discard the
 * struct is cleared.
 */
typedef struct cor_filebuf {
    char *path;   /* as given, for messages */
    char *target; /* the file replaced: path with symlinks resolved */
    char *tmp;    /* the temporary file; NULL when written through */
    char *backup; /* a hard link to the old target while several files commit */
    int fd;
    int slot;        /* in the registry of live temporary files, -1 if none */
    int backup_slot; /* the backup's, -1 if none */
    int through;     /* written directly (not a regular file) */
    int borrowed;    /* fd is the process's stdout or stderr: never closed */
    int existed;     /* a regular file was there: its mode is kept */
    unsigned mode;
} cor_filebuf;

int corridor__filebuf_open(cor_filebuf *fb, const char *path);
int corridor__filebuf_write(cor_filebuf *fb, const void *data, size_t len);
/** Makes the file appear whole; on failure the old file stays and the temporary one goes. */
int corridor__filebuf_commit(cor_filebuf *fb);
/**
 * Commits n files as one: all appear or none changes (the old files are kept
 * as hard links until every rename succeeded). Always clears every fbs[i].
 */
int corridor__filebuf_commit_all(cor_filebuf *fbs, size_t n);
/** Removes the temporary file and clears fb; NULL or a cleared fb is fine. */
void corridor__filebuf_discard(cor_filebuf *fb);
/** open + write + commit of one buffer. */
int corridor__write_file_atomic(const char *path, const char *data, size_t len);
/** Reads a whole file; caller frees *out. CORRIDOR_EIO with a message. */
int corridor__read_file(char **out, size_t *len, const char *path);

/**
 * Offset of the first NUL byte or invalid UTF-8 sequence (overlong, surrogate,
 * above U+10FFFF, cut short) in text[0..len), or len if there is none; *is_nul
 * says whether it is a NUL. The JSON readers reject such text before parsing.
 */
size_t corridor__text_bad_byte(const char *text, size_t len, int *is_nul);
/** 1-based line and column (in bytes) of byte offset `off` in text. */
void corridor__line_col(const char *text, size_t off, size_t *line, size_t *col);

/* ------------------------------------------------------- string -> index map */

typedef struct cor_map {
    const char **keys; /* not owned */
    size_t *vals;
    size_t cap, len;
    /* a view (corridor__map_view): vals are the slots of a table in a compiled model,
       SIZE_MAX where empty, and the key of value v is the string pointer at
       view_base + v * view_stride; keys is NULL, nothing is owned, put fails */
    const char *view_base;
    size_t view_stride;
    int view;
} cor_map;

void corridor__map_init(cor_map *m);
void corridor__map_free(cor_map *m);
/** Makes room for `n` keys in all, so that putting them never grows the table. <0 on ENOMEM. */
int corridor__map_reserve(cor_map *m, size_t n);
/** Inserts key -> val; returns 1 if inserted, 0 if the key existed (unchanged), <0 on ENOMEM. */
int corridor__map_put(cor_map *m, const char *key, size_t val);
/** Finds key; returns 1 and sets *val if present. */
int corridor__map_get(const cor_map *m, const char *key, size_t *val);
/** The table's hash of a key (a slot is hash & (cap - 1), probed linearly). */
uint64_t corridor__map_hash(const char *key);
/**
 * Makes m a read-only view of a table laid out as described at cor_map (cap a
 * power of two, at least one slot empty: the caller checks). O(1).
 */
void corridor__map_view(cor_map *m, size_t *slots, size_t cap, size_t len, const char *base,
                        size_t stride);

/* -------------------------------------------------------------- diagnostics */

/** One diagnostic: its line and its parts (all owned). */
typedef struct cor_diag {
    char *line, *file, *path, *message, *suggestion;
    unsigned char warning;
} cor_diag;

struct corridor_diags {
    cor_diag *items;
    size_t n, cap, errors;
};

/** Adds "SRC: PATH: message" (error) or "SRC: warning: PATH: message". */
void corridor__diag(corridor_diags *d, int warning, const char *src, const char *path,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/**
 * Appends the diagnostics of `from` to `to` (which may be NULL: they are
 * dropped) in order and empties `from`. CORRIDOR_ENOMEM: both unchanged.
 */
int corridor__diags_move(corridor_diags *to, corridor_diags *from);

/* ---------------------------------------------------------------- the model */

#define COR_NCOM  CORRIDOR_CARRY_COUNT
#define COR_NMET  CORRIDOR_METRIC_COUNT
#define COR_NMODE CORRIDOR_MODE_COUNT

typedef struct cor_country {
    char *code, *name;
} cor_country;

typedef struct cor_corridor {
    char *id, *name, *color, *description; /* color "#rrggbb" or NULL */
} cor_corridor;

/** Per-mode defaults used to derive missing edge metrics. NAN = not given. */
typedef struct cor_defaults {
    double speed_kmh, cost_usd_per_km, co2_kg_per_km;
    double bpr_alpha, bpr_beta; /* assignment's BPR for the mode; NAN: the query's (issue 14) */
} cor_defaults;

typedef struct cor_node {
    char *id, *name, *source, *description; /* name never NULL (defaults to id) */
    char *attrs; /* free attributes as compact JSON ({"k": v, ...}), or NULL */
    corridor_kind kind;
    long country; /* index into model->countries, -1 if none */
    int has_pos;
    double lat, lon;
    /* penalties by metric; [CORRIDOR_BY_DISTANCE] is always 0 */
    double transfer[COR_NMET];
    double dwell[COR_NMET];
    unsigned transfer_given, dwell_given; /* bit per metric given in the file */
    double capacity[COR_NCOM];            /* INFINITY = unlimited */
    unsigned capacity_given;              /* bit per commodity */
    double bpr_alpha, bpr_beta;           /* assignment's BPR for its dwell; NAN: not given */
    corridor_status status;
    int opens; /* year, 0 = none */
} cor_node;

typedef struct cor_edge {
    char *id, *name, *source, *description; /* name may be NULL */
    char *attrs; /* free attributes as compact JSON ({"k": v, ...}), or NULL */
    size_t from, to;
    corridor_mode mode;
    size_t *corridors; /* indices into model->corridors */
    size_t n_corridors;
    double metric[COR_NMET]; /* effective: given or derived; NAN if not derivable */
    unsigned metric_given;   /* bit per metric given in the file */
    double capacity[COR_NCOM];
    unsigned capacity_given;
    double bpr_alpha, bpr_beta; /* assignment's BPR for the edge; NAN: its mode's, or the query's */
    unsigned carries;           /* bit per commodity */
    int carries_given;
    int gauge; /* mm, 0 = none */
    int oneway;
    corridor_status status;
    int opens;
    double *geom;  /* the shape: geom_n [lon, lat] pairs from `from` to `to`; NULL if none */
    size_t geom_n; /* points (0 or >= 2) */
#ifdef CORRIDOR_TEST_EXTRA_FIELD
    double test_toll; /* a made-up field, only in the build of tests/unit/test_schema_field.c */
    unsigned test_toll_given;
#endif
} cor_edge;

struct corridor_model {
    char *name, *description, *origin;
    char *units[COR_NCOM];
    cor_defaults defaults[COR_NMODE];
    unsigned defaults_given; /* bit per mode present in "defaults" */
    cor_country *countries;
    size_t n_countries;
    cor_corridor *corridors;
    size_t n_corridors;
    cor_node *nodes;
    size_t n_nodes;
    cor_edge *edges;
    size_t n_edges;
    cor_map node_index, edge_index, country_index, corridor_index;
    char **warnings; /* without file prefix: "PATH: message" */
    size_t n_warnings;
    /* a compiled model (compiled.c): every element and string lives in this
     * buffer (1: mapped, 2: malloc'd; 0: none, the model owns its parts) */
    void *mapping;
    size_t mapping_len;
    int mapping_kind;
    char *mapping_name; /* the compiled file's name, for messages */
    uint64_t hash;      /* compiled: the canonical JSON hash from the file */
    /* compiled: the stored routing network of the default filter (compiled_net.c), checked
       when a search adopts it; NULL if none */
    const char *net_stored;
    size_t net_stored_len;
    /* a compiled model's string and list pools (the stored network's cards point into them) */
    const char *cmp_str;
    const size_t *cmp_refs;
    size_t cmp_str_len, cmp_refs_n;
};

/** An empty model (caller fills arrays, then calls corridor__model_finish). */
corridor_model *corridor__model_new(void);
/** Builds the id indexes and derives missing metrics. ENOMEM only. */
int corridor__model_finish(corridor_model *m);
/** Derives missing metrics only, for a caller that built the id indexes itself. */
void corridor__model_derive(corridor_model *m);
/** Deep copy (indexes rebuilt). NULL on ENOMEM. */
corridor_model *corridor__model_clone(const corridor_model *m);
/** Derives edge e's effective metrics from what was given and the defaults. */
void corridor__edge_derive(const corridor_model *m, cor_edge *e);

/** Node / edge index by id; -1 if none. */
long corridor__node_find(const corridor_model *m, const char *id);
long corridor__edge_find(const corridor_model *m, const char *id);
long corridor__country_find(const corridor_model *m, const char *code);
long corridor__corridor_find(const corridor_model *m, const char *id);

/** The default commodity set of a mode (bitmask; 0 for pipeline). */
unsigned corridor__mode_default_carries(corridor_mode mode);

/* ---------------------------------------------------------------- geometry */

/**
 * The shape of edge e as given in the model: *lonlat points to n [lon, lat]
 * pairs (n >= 2) from its "from" node to its "to" node. Returns 0 (and
 * *lonlat NULL) when the edge has no geometry: draw or export a great-circle
 * arc between its nodes then. The points belong to the model.
 */
size_t corridor__edge_shape(const corridor_model *m, size_t e, const double **lonlat);
/**
 * Clips the segment s = {x0, y0, x1, y1} to the box {x0, y0, x1, y1}
 * (Liang-Barsky), in place; 0 if no part of it is inside. O(1).
 */
int corridor__clip_segment(double s[4], const double box[4]);
/** Great-circle distance in km between two points in degrees, on a 6371.0088 km sphere. */
double corridor__haversine_km(double lat1, double lon1, double lat2, double lon2);
/** Sum of the haversine lengths of the n - 1 segments of n [lon, lat] points. O(n). */
double corridor__geometry_km(const double *lonlat, size_t n);
/**
 * Points along the great circle from (lon0, lat0) to (lon1, lat1) on the
 * sphere distances are measured on (corridor__haversine_km), one every
 * `step_km` at most (> 0), 2 to 2001 points, the ends exactly as given:
 * lon, lat pairs into *out (caller frees), their count into *n. Longitudes
 * in between run on from the start (`continuous`: a line across 180 degrees
 * goes past it, for drawing) or lie in -180 .. 180 (for GIS files).
 * The one densifier of lines: exports, route GeoJSON and maps. ENOMEM. O(points).
 */
int corridor__great_circle_points(double **out, size_t *n, double lon0, double lat0, double lon1,
                                  double lat1, double step_km, int continuous);

/* ------------------------------------------------------------ eligibility */

/** 1 if an element of this status/opens is within the filter's status or year. */
int corridor__status_ok(const corridor_filter *f, corridor_status status, int opens);

/**
 * Resolved filter: which nodes and edges a query sees. Arrays of n_nodes /
 * n_edges flags. Built by corridor__selection_build, which checks the avoid
 * list and corridors (CORRIDOR_EINVALID with candidates listed).
 */
typedef struct cor_selection {
    unsigned char *node_ok;
    unsigned char *edge_ok;
} cor_selection;

int corridor__selection_build(cor_selection *sel, const corridor_model *m,
                              const corridor_filter *f);
void corridor__selection_free(cor_selection *sel);

/**
 * Resolves a place to a list of node indices (one for an id or name, every
 * node of the country for "country:XX"). CORRIDOR_EINVALID with "did you mean".
 * Caller frees *out with free.
 */
int corridor__place_resolve(size_t **out, size_t *n, const corridor_model *m, const char *place);

/** Sorted "did you mean" suggestion among `n` candidate strings; NULL if none close. */
const char *corridor__suggest(const char *word, const char *const *cands, size_t n);

/* ------------------------------------------------------------------ igraph */

/**
 * Installs igraph handlers that neither abort nor print, for the calls up to
 * the matching corridor__igraph_leave, which puts the host's handlers back.
 * Scopes nest. Every function that calls igraph opens one.
 */
void corridor__igraph_enter(void);
void corridor__igraph_leave(void);
/** Turns a failed igraph_error_t into a corridor error with igraph's reason; returns the code. */
int corridor__igraph_error(int igraph_err);

#endif
