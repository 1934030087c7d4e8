/* cli.h: shared state and helpers of the corridor command-line tool. */
#ifndef CORRIDOR_CLI_H
#define CORRIDOR_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "corridor.h"

/* Exit codes (DESIGN.md, docs/corridor.1). */
enum {
    EXIT_DONE = 0,
    EXIT_NOANSWER = 1,
    EXIT_USAGE = 2,
    EXIT_INVALID = 3,
    EXIT_IO = 4,
    EXIT_LIMIT = 5 /* time limit, search limit or cap reached ("complete": false) */
};

/* --progress / --quiet: progress on stderr when it is a terminal (AUTO), always, never. */
typedef enum { PROGRESS_AUTO, PROGRESS_ON, PROGRESS_OFF } cli_progress;

typedef enum { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_GEOJSON } cli_format;

/** Options shared by every command, and the loaded model. */
typedef struct cli {
    const char *model_arg; /* -m: file or built-in name; NULL = caspian */
    const char **scenarios;
    size_t n_scenarios;
    corridor_status status;
    int year;
    int status_given;
    cli_format format;
    int format_given;
    const char *command;
    corridor_model *model;
    double time_limit;       /* --time-limit seconds; 0: none */
    double start;            /* corridor_clock() when the tool started */
    double work_start;       /* when the library call that reports progress began */
    cli_progress progress;   /* --progress, --quiet */
    corridor_budget budget;  /* what cli_budget hands to the library */
    const char *unit;        /* what the progress counts ("elements"); NULL: per mille */
    double progress_last;    /* when the progress line was last drawn */
    size_t progress_pct;     /* last percentage printed on a non-terminal */
    int progress_tty;        /* stderr is a terminal: one line redrawn with \r */
    int progress_open;       /* a progress line is on the terminal without its newline */
    const char *stdin_owner; /* the argument "-" that read standard input */
    char *stdin_text;        /* what it read (kept: compare loads the model twice) */
    size_t stdin_len;
    double snap_km; /* --snap: how far a coordinate place may be from its node */
} cli;

/* Where `-o -` writes: the library writes into the descriptor of the file that is stdout. */
#define CLI_STDOUT_PATH "/dev/stdout"

/* How standard input is named in diagnostics. */
#define CLI_STDIN_NAME "<stdin>"

/* Option ids: the global options are negative, the commands' positive (cli_opt.id). */
enum cli_opt_id {
    OPT_QUIET = -10,
    OPT_PROGRESS = -9,
    OPT_TIME_LIMIT = -8,
    OPT_PLACE_SNAP = -7, /* --snap KM of coordinate places (import has its own --snap) */
    OPT_HELP = -6,
    OPT_FORMAT = -5,
    OPT_YEAR = -4,
    OPT_STATUS = -3,
    OPT_SCENARIO = -2,
    OPT_MODEL = -1,
    /* route options first: render passes ids up to OPT_AVOID on to cli_route_opt */
    OPT_BY = 1,
    OPT_K,
    OPT_CARRY,
    OPT_VIA,
    OPT_AVOID,
    OPT_PARETO, /* route and render only, up to OPT_DIFFER_BY */
    OPT_MAX,
    OPT_MAX_OVERLAP,
    OPT_DIFFER_BY,
    OPT_FLOW,
    OPT_OD,
    OPT_TOP,
    OPT_OUTPUT,
    OPT_T,
    OPT_LAYOUT,
    OPT_CORRIDOR,
    OPT_TITLE,
    OPT_ROUTE,
    OPT_TO,
    /* matrix, batch, --shard, analyze --sample (issue 12) */
    OPT_FROM,
    OPT_WIDE,
    OPT_SHARD,
    OPT_JOBS,
    OPT_INPUT,
    OPT_SAMPLE,
    OPT_SEED,
    /* import and the GIS exports */
    OPT_MAP,
    OPT_SNAP,
    OPT_LAYER,
    OPT_COUNTRIES,
    OPT_MAX_POINTS,
    OPT_FORMATS,
    OPT_ASSIGN, /* render: flow map sources (issue 14) */
    OPT_DEMAND
};

/** One option of a command: long name, short letter (or 0), takes an argument, id (OPT_*). */
typedef struct cli_opt {
    const char *name;
    char letter;
    int has_arg;
    int id;
} cli_opt;

/** Called for each command option; returns 0 or an exit code. */
typedef int (*cli_opt_fn)(cli *c, void *ud, int id, const char *arg);

/**
 * Parses argv (after the command name): global options (-m, -s, --status, --year, --format)
 * anywhere, the command's options, and positional arguments into pos (caller frees *pos).
 * "--" ends the options: the rest is positional. Returns 0, or an exit code after printing
 * the usage error. --help prints `help` and returns -1 (caller exits 0).
 */
int cli_parse(cli *c, int argc, char **argv, const cli_opt *opts, cli_opt_fn fn, void *ud,
              const char *help, char ***pos, size_t *npos);

/**
 * All of standard input, for the input argument `owner` (the "-" string of -m, -s, --od or
 * validate). Read once and kept; a second, different owner is a usage error. 0 or an exit code.
 */
int cli_read_stdin(cli *c, const char *owner, const char **text, size_t *len);
/** Reserves standard input for `owner` before it is read; a usage error if another has it. */
int cli_claim_stdin(cli *c, const char *owner);
/**
 * Refuses (EXIT_USAGE, printed) an output path that is the same file (device and inode)
 * as the model, a scenario or one of `extra_inputs` this command reads; 0 otherwise.
 */
int cli_check_output(cli *c, const char *out, const char *const *extra_inputs, size_t n_extra);
/** The extension of a file name without its dot ("svg"), NULL if none. */
const char *cli_path_ext(const char *path);
/** Loads the model and applies the scenarios; prints diagnostics; returns 0 or an exit code. */
int cli_load(cli *c);

/** Maps a library error to an exit code and prints its message (with the limit's hint). */
int cli_fail(int err);

/**
 * The budget for a library call: --time-limit's deadline (counted from the
 * tool's start) and, if shown (--progress, or stderr a terminal without
 * --quiet), a progress display counting `unit` ("elements", "pairs"; NULL:
 * per mille). Points into c.
 */
const corridor_budget *cli_budget(cli *c, const char *unit);

/**
 * After a library call returned CORRIDOR_ELIMIT: prints its message, says
 * whether the answer printed above is incomplete (`partial`) and how to raise
 * the limit; returns EXIT_LIMIT.
 */
int cli_limit(cli *c, int partial);
/** Prints "corridor: " + message to stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Prints a usage error and the hint; returns EXIT_USAGE. */
int cli_usage(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/**
 * Replaces a coordinate place ("LAT,LON") by the id of the nearest node the
 * query with filter f can use (within --snap km) and says which on stderr.
 * Other places are left as they are. 0 or an exit code (3 beyond --snap).
 */
int cli_snap_place(cli *c, const corridor_model *m, const corridor_filter *f, const char **place);
/** Fills a filter from the global options. */
void cli_filter(const cli *c, corridor_filter *f);
/** Checks that `formats` (a mask of 1 << FMT_*) allows the chosen format. */
int cli_check_format(cli *c, unsigned formats);
/** Parses a positive integer option value. */
int cli_parse_size(cli *c, const char *opt, const char *arg, size_t *out);
/**
 * Parses --shard I/N (0 <= I < N): the caller keeps items I, I + N, I + 2N, ...
 * of its origins or queries. Returns 0 or EXIT_USAGE (printed).
 */
int cli_parse_shard(cli *c, const char *arg, size_t *index, size_t *count);
/** Appends arg to a growing list of option values; 0 or EXIT_IO (out of memory, printed). */
int cli_list_add(const char ***list, size_t *n, const char *arg);
/** What cli_query_opt returns for an option that is not one of its own. */
#define CLI_OPT_OTHER (-1)
/**
 * The options the queries share: --by into *by, --carry into f->carry,
 * --avoid appended to *avoid and counted in f->n_avoid (`by` or `avoid` NULL:
 * that option is not the caller's). Returns 0 or an exit code (printed) for
 * those, CLI_OPT_OTHER for any other option id.
 */
int cli_query_opt(cli *c, int id, const char *arg, corridor_metric *by, corridor_filter *f,
                  const char ***avoid);
/** Prints text (JSON) with a newline; frees it. */
void cli_print_json(char *text);
/** "17d 04h" style duration; "1.2e+15 h" from 1e15 h on (no overflow, no cut digits). */
void cli_fmt_duration(char *buf, size_t n, double hours);
/**
 * Number with thousands separators and `decimals` decimals; "-" for NAN,
 * "unbounded" for infinity, %.6g from 1e15 on (so it always fits 32 bytes).
 */
void cli_fmt_number(char *buf, size_t n, double v, int decimals);
/**
 * v in the fewest significant digits from 10 to 15 that read back as v (else
 * 15): CSV never cuts a number to 10 digits (1,234,567,890,123 stays whole),
 * and rounding noise of sums does not show. buf needs 32 bytes; returns buf.
 */
const char *cli_num(char *buf, size_t n, double v);
#define CLI_NUM(v) cli_num((char[32]){0}, 32, (v))
/** Length of a UTF-8 string in characters (for column padding). */
size_t cli_u8len(const char *s);
/** Writes a JSON string (quoted, escaped) for UTF-8 text s. */
void cli_json_string(FILE *f, const char *s);
/** Writes a CSV field with RFC 4180 quoting. */
void cli_csv_field(FILE *f, const char *s);
/** A short description of the status or year filter, e.g. "operational" or "year 2030". */
const char *cli_filter_label(const cli *c, char *buf, size_t n);

/* Route queries, shared by route, render --route and compare. */
typedef struct cli_route_query {
    corridor_route_opts opts;
    const char **via;
    const char **avoid;
    /* route and render only: --pareto, --max, --max-overlap, --differ-by */
    corridor_pareto_opts pareto;
    int pareto_given, max_given;
    corridor_alt_opts alt;
    int alt_given;
} cli_route_query;

extern const cli_opt
    cli_route_opts[]; /* --by, -k, --carry, --via, --avoid: ids OPT_BY..OPT_AVOID */
/* The route options route and render add: --pareto, --max, --max-overlap, --differ-by. */
#define CLI_ROUTE_CHOICE_OPTS                                                                      \
    {"pareto", 0, 1, OPT_PARETO}, {"max", 0, 1, OPT_MAX}, {"max-overlap", 0, 1, OPT_MAX_OVERLAP},  \
    {                                                                                              \
        "differ-by", 0, 1, OPT_DIFFER_BY                                                           \
    }
void cli_route_query_init(cli_route_query *q);
int cli_route_opt(cli *c, void *ud, int id, const char *arg);
/** Fills the filter from the global options and points opts at the lists. */
void cli_route_query_finish(const cli *c, cli_route_query *q);
void cli_route_query_free(cli_route_query *q);
/** Snaps coordinate places (from, to, --via) to nodes (cli_snap_place); 0 or an exit code. */
int cli_route_snap(cli *c, const corridor_model *m, cli_route_query *q, const char **from,
                   const char **to);
void cli_route_table(const cli *c, const corridor_routes *rs);
void cli_route_table_head(const char *prefix);
void cli_route_table_row(const corridor_routes *rs, size_t i, const char *prefix);
void cli_route_path(char *buf, size_t n, const corridor_route *r);
void cli_route_csv(const corridor_routes *rs);
/** Prints the CSV columns countries,corridors,nodes,edges of a route (no newline). */
void cli_route_csv_lists(const corridor_route *r);
/** Checks the combination of route options given (OPT_PARETO..OPT_DIFFER_BY); 0 or EXIT_USAGE. */
int cli_route_choice_check(cli *c, const cli_route_query *q);
/**
 * Runs the route query: Pareto (*pareto set), alternatives or k best (*rs set).
 * Returns 0, EXIT_LIMIT if a search limit cut a Pareto set, or an exit code after
 * printing the error.
 */
int cli_route_run(const cli *c, cli_route_query *q, const char *from, const char *to,
                  corridor_routes **rs, corridor_pareto **pareto);
/* Pareto sets (cmd_pareto.c). */
void cli_pareto_table(const cli *c, const corridor_pareto *p);
void cli_pareto_csv(const corridor_pareto *p);

/* Flow and criticality queries, shared with compare. */
int cli_flow_parse(cli *c, int argc, char **argv, corridor_flow_opts *opts, const char ***avoid,
                   char ***pos, size_t *npos, const char *usage);
void cli_flow_print(const cli *c, const corridor_flow *f, const char *prefix);
int cli_critical_parse(cli *c, int argc, char **argv, corridor_critical_opts *opts,
                       const char ***avoid, char ***pos, size_t *npos);
void cli_critical_print(const corridor_critical *k, size_t top, const char *prefix);

/* Assignment queries, shared with compare. */
typedef struct cli_assign_query {
    corridor_assign_opts opts;
    const char *demand;
    const char **scale; /* --scale-demand values, in order */
    size_t n_scale;
    const char **avoid;
    size_t top;
    const char *output;     /* -o FILE: the GIS layer (assign only) */
    const char *gis_format; /* --to FORMAT: its GDAL format (NULL: by FILE's extension) */
} cli_assign_query;

int cli_assign_parse(cli *c, int argc, char **argv, cli_assign_query *q, char ***pos, size_t *npos,
                     const char *usage);
/** Loads the demand for c->model, scales it and assigns it; returns 0 or an exit code. */
int cli_assign_run(cli *c, cli_assign_query *q, corridor_assignment **out);
void cli_assign_print(const cli *c, const corridor_assignment *a, size_t top, const char *prefix);
void cli_assign_query_free(cli_assign_query *q);

/* Commands: each returns an exit code. */
int cmd_info(cli *c, int argc, char **argv);
int cmd_validate(cli *c, int argc, char **argv);
int cmd_route(cli *c, int argc, char **argv);
int cmd_flow(cli *c, int argc, char **argv);
int cmd_critical(cli *c, int argc, char **argv);
int cmd_analyze(cli *c, int argc, char **argv);
int cmd_compare(cli *c, int argc, char **argv);
int cmd_render(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_compile(cli *c, int argc, char **argv);
int cmd_matrix(cli *c, int argc, char **argv);
int cmd_batch(cli *c, int argc, char **argv);
int cmd_import(cli *c, int argc, char **argv);
int cmd_assign(cli *c, int argc, char **argv);

#endif
