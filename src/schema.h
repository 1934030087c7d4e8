/* schema.h: the model format described once: vocabularies, bounds and one table of fields per
 * element kind. */
#ifndef CORRIDOR_SCHEMA_H
#define CORRIDOR_SCHEMA_H

#include <stddef.h>

#include "internal.h"

/*
 * Every field of the model format is one row of a table below (schema.c).
 * The loader, the scenario reader and applier, the canonical JSON writer and
 * the flat exports (CSV, GraphML, GML, GeoJSON properties) loop over these
 * rows; none of them lists fields by hand. A row says the JSON key, the type,
 * the unit and allowed range, where the value lives in the in-memory element
 * (offsets into cor_node / cor_edge / ...), whether a scenario may set or
 * scale it, and its column in flat exports. Rules that tie two fields
 * together (a gauge only on rail, a capacity only for what an edge carries)
 * are named by the row's `rule` and enforced by the loader and the scenario applier.
 */

/* ------------------------------------------------------------ vocabularies */

/** A closed list of names (modes, kinds, statuses, commodities, metrics). */
typedef struct cor_vocab {
    const char *what; /* in messages: "unknown WHAT ..." */
    const char *const *names;
    int n;
} cor_vocab;

extern const cor_vocab corridor__modes;       /* rail, road, sea, pipeline, power, fiber */
extern const cor_vocab corridor__kinds;       /* node kinds */
extern const cor_vocab corridor__statuses;    /* operational, construction, planned, closed */
extern const cor_vocab corridor__commodities; /* freight, oil, gas, power, data */
extern const cor_vocab corridor__metrics;     /* time, cost, distance, co2 (command line) */
extern const cor_vocab corridor__metric_keys; /* time_h, cost_usd, distance_km, co2_kg */
/** The default unit label of each commodity ("t/yr", ...). */
extern const char *const corridor__commodity_units[COR_NCOM];

/** Index of `name` in v, or -1. Exact, case-sensitive. */
int corridor__vocab_find(const cor_vocab *v, const char *name);
/** "a, b, c" of v's names into buf (cut to size). */
const char *corridor__vocab_list(char *buf, size_t size, const cor_vocab *v);

/* ------------------------------------------------------------------ bounds */

/*
 * Upper bounds no real network reaches (docs/model-format.md, "Bounds"):
 * checked at load and again after a scenario, so that sums along routes,
 * flows and weighted totals stay finite (1e6 edges x 1e12 = 1e18).
 */
#define COR_YEAR_MIN     CORRIDOR_YEAR_MIN
#define COR_YEAR_MAX     CORRIDOR_YEAR_MAX
#define COR_MAX_TIME_H   1e9       /* hours (114,000 years) */
#define COR_MAX_COST_USD 1e12      /* US dollars */
#define COR_MAX_DIST_KM  1e6       /* km (25 times round the Earth) */
#define COR_MAX_CO2_KG   1e12      /* kg */
#define COR_MAX_CAPACITY 1e15      /* any commodity unit */
#define COR_MAX_PER_KM   1e6       /* defaults: USD/km and kg/km */
#define COR_MIN_SPEED    1e-3      /* defaults: km/h (so that 1e6 km takes at most 1e9 h) */
#define COR_MAX_SPEED    1e9       /* km/h (light: 1.08e9; models use it for power and data) */
#define COR_MAX_SCALE    1e6       /* a scenario's scale factor */
#define COR_MAX_GEOM     100000    /* points in one edge geometry */
#define COR_GEOM_TOL     1e-6      /* degrees: geometry ends against the nodes */
#define COR_EARTH_KM     6371.0088 /* mean Earth radius (IUGG) for geodesic lengths */

/* assignment's BPR parameters (defaults, nodes, edges); below beta 1 the cost is not convex */
#define COR_MAX_BPR_ALPHA 1000
#define COR_MIN_BPR_BETA  1
#define COR_MAX_BPR_BETA  100

/** The upper bound of metric m (time, cost, distance, co2). */
double corridor__metric_max(corridor_metric m);

/* ------------------------------------------------------------------ fields */

/** The element kinds that have a table. */
typedef enum cor_elem {
    COR_TOP,
    COR_COUNTRY,
    COR_CORRIDOR,
    COR_NODE,
    COR_EDGE,
    COR_ELEM_COUNT
} cor_elem;

typedef enum cor_ftype {
    CF_HEADER,   /* top level: "format" and "version" */
    CF_SECTION,  /* top level: units, defaults, countries, corridors, nodes, edges (sec) */
    CF_ID,       /* the element's own id: a required non-empty string, unique (char *) */
    CF_REF,      /* an id of another section: country (long, -1 none), node (size_t) */
    CF_REFLIST,  /* a list of corridor ids (size_t *, count at aux) */
    CF_STRING,   /* text (char *) */
    CF_COLOR,    /* "#rrggbb" or "#rgb", stored "#rrggbb" (char *) */
    CF_ENUM,     /* one name of `vocab` (an enum, int-sized) */
    CF_AMOUNT,   /* a number in [min, max] (double), "given" bit at given/bit */
    CF_COORD,    /* a latitude or longitude (double); has_pos at aux */
    CF_YEAR,     /* an integer year in [min, max] (int, 0 = none) */
    CF_INT,      /* a whole number in [min, max] (int, 0 = none) */
    CF_BOOL,     /* true or false (int) */
    CF_PENALTY,  /* an object by metric time_h, cost_usd, co2_kg (double[4]), given bits */
    CF_CAPACITY, /* a number or an object by commodity (double[5], INFINITY = none), given bits */
    CF_LIST,     /* a list of `vocab` names (unsigned bits); "given" int at given */
    CF_GEOMETRY, /* [[lon, lat], ...] (double *, point count at aux) */
    CF_ATTRS,    /* free attributes: an object of text, numbers, booleans (char *: compact JSON) */
    CF_DERIVED   /* no JSON key: the export column naming metrics derived from defaults */
} cor_ftype;

/* cor_field.flags */
#define CF_REQUIRED 0x01u /* missing or null is an error */
#define CF_POSITIVE 0x02u /* > min rather than >= min */
#define CF_NONEMPTY 0x04u /* "" is an error */
#define CF_NAME_ID  0x08u /* absent: the element's id (names of nodes, countries, corridors) */
#define CF_SETNULL  0x10u /* a scenario may set it to null (back to "not given") */
#define CF_NOEXPORT 0x20u /* no column in flat exports */
#define CF_ELEMID   0x40u /* GraphML: the element's own attribute (id, source, target) */

#define COR_NO_OFF ((size_t)-1)

/** Rules that tie a row to other fields; the loader and the scenario applier enforce them. */
typedef enum cor_rule {
    COR_RULE_NONE,
    COR_RULE_LATLON,   /* lat and lon come together */
    COR_RULE_NOT_FROM, /* "to" differs from "from" (no self-loop) */
    COR_RULE_CARRIES,  /* absent: the mode's default; a pipeline must say it */
    COR_RULE_CARRIED,  /* a capacity only for what the edge carries */
    COR_RULE_RAIL,     /* rail edges only (gauge) */
    COR_RULE_ENDS      /* a geometry runs from the "from" node to the "to" node */
} cor_rule;

/** Flat-export column types. */
typedef enum cor_coltype { COL_STR, COL_NUM, COL_INT, COL_BOOL, COL_LIST } cor_coltype;

/** One field of one element kind. */
typedef struct cor_field {
    const char *key; /* JSON key; NULL for CF_DERIVED */
    cor_ftype type;
    const cor_vocab *vocab; /* CF_ENUM, CF_LIST */
    int sec;                /* CF_ID, CF_REF, CF_REFLIST: the section (cor_elem) */
    const char *unit;       /* "h", "km", "USD", ...; NULL if none */
    double min, max;        /* allowed range */
    unsigned flags;
    size_t off;          /* the value in the element */
    size_t given;        /* CF_AMOUNT/PENALTY/CAPACITY: unsigned bits; CF_LIST: int */
    unsigned bit;        /* CF_AMOUNT: its bit in `given` */
    size_t aux;          /* REFLIST/GEOMETRY: count; COORD: has_pos; CAPACITY: carries */
    unsigned char set;   /* a scenario's set may change it */
    unsigned char scale; /* a scenario's scale may multiply it */
    cor_coltype ctype;   /* flat-export column type (PENALTY, CAPACITY: one per sub-key) */
    const char *hint;    /* wording in messages ("latitude", "track gauge in mm") */
    cor_rule rule;       /* a rule tying it to other fields */
} cor_field;

/** The table of an element kind and its length. */
const cor_field *corridor__fields(cor_elem kind, size_t *n);
/** The row of `key` in kind's table, or NULL. */
const cor_field *corridor__field(cor_elem kind, const char *key);
/** The rows of a mode's "defaults" entry (speed_kmh, cost_usd_per_km, co2_kg_per_km). */
const cor_field *corridor__default_fields(size_t *n);

/** The sub-keys of a penalty (time_h, cost_usd, co2_kg) and the metric of each. */
extern const char *const corridor__penalty_keys[3];
extern const corridor_metric corridor__penalty_metrics[3];

/* -------------------------------------------------------------- accessors */

#define COR_AT(elem, off, type)  ((type *)((char *)(elem) + (off)))
#define COR_CAT(elem, off, type) ((const type *)((const char *)(elem) + (off)))

/**
 * A value read from JSON for one row (loader and scenario alike). For a
 * scale edit every number is a factor.
 */
typedef struct cor_value {
    int is_null;   /* null (scenario set: back to "not given") */
    double num;    /* AMOUNT, COORD, YEAR, INT, BOOL, ENUM (its index) */
    char *str;     /* STRING, COLOR (owned) */
    double sub[8]; /* PENALTY by metric, CAPACITY by commodity */
    unsigned mask; /* PENALTY / CAPACITY: sub-keys given; LIST: names */
    int all;       /* CAPACITY: a bare number (every commodity the element allows) */
    double *pts;   /* GEOMETRY: lon, lat pairs (owned) */
    size_t n_pts;
} cor_value;

void corridor__value_free(cor_value *v);

/**
 * Stores v into the element as a load or a scenario `set` does (rows of
 * CF_STRING .. CF_GEOMETRY; ids and references are the loader's). Takes
 * v->str / v->pts. `allowed`: CAPACITY only, the commodities a bare number
 * stands for. ENOMEM only.
 */
int corridor__field_store(const cor_field *f, void *elem, cor_value *v, unsigned allowed);
/** Multiplies the row's value in the element by v's factors (scenario `scale`). */
void corridor__field_scale(const cor_field *f, void *elem, const cor_value *v);
/** Deep copy of the rows' owned data (strings, lists, geometry) of src into dst. ENOMEM. */
int corridor__fields_copy(cor_elem kind, void *dst, const void *src);
/** Sets an element's "not given" values: amounts NAN, capacities unlimited, no country. */
void corridor__fields_init(cor_elem kind, void *elem);
/** Frees the rows' owned data of an element. */
void corridor__fields_free(cor_elem kind, void *elem);

/**
 * Checks every bounded amount of an element (metrics, penalties, capacities)
 * against its row's range; fills `bad` with the first row out of range, the
 * metric or commodity (`sub`, 0 for a single amount) and its value. 1 if all
 * are within range.
 */
int corridor__fields_in_range(cor_elem kind, const void *elem, const cor_field **bad, int *sub,
                              double *value);
/** The upper bound of row f (sub: the metric of a penalty). */
double corridor__field_max(const cor_field *f, int sub);

/* ------------------------------------------------------------- exports */

/** One flat-export column: a row, or one sub-key of a penalty or capacity row. */
typedef struct cor_column {
    char name[48];
    cor_coltype type;
    const cor_field *f;
    int sub; /* PENALTY: metric; CAPACITY: commodity; else -1 */
} cor_column;

/** One cell of a flat export. Strings point into the model or the scratch. */
typedef struct cor_cell {
    int present;
    double num;
    const char *str;
    const char *const *list;
    size_t n_list;
} cor_cell;

/** Room for the list cells of one element (corridors of an edge, carries, derived). */
typedef struct cor_scratch {
    const char **ids; /* at least the model's corridor count */
    const char *names[16];
    const char *derived[COR_NMET];
} cor_scratch;

/**
 * The flat columns of a kind (nodes or edges), in table order; `out` has
 * room for `max`. Returns their number.
 */
size_t corridor__columns(cor_column *out, size_t max, cor_elem kind);
/**
 * The cells of element i (node or edge) of m for `cols`: effective metric
 * values, absent values not present. O(columns).
 */
void corridor__cells(cor_cell *out, const cor_column *cols, size_t n, const corridor_model *m,
                     cor_elem kind, size_t i, cor_scratch *s);

#endif
