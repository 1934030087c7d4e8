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
    const char *stdin_owner; /* the argument "-" that read standard input */
    char *stdin_text;        /* what it read (kept: compare loads the model twice) */
    size_t stdin_len;
} cli;

/* Where `-o -` writes: the library writes into the descriptor of the file that is stdout. */
#define CLI_STDOUT_PATH "/dev/stdout"

/* How standard input is named in diagnostics. */
#define CLI_STDIN_NAME "<stdin>"

/* Option ids: the global options are negative, the commands' positive (cli_opt.id). */
enum cli_opt_id {
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
    /* import and the GIS exports */
    OPT_MAP,
    OPT_SNAP,
    OPT_LAYER,
    OPT_COUNTRIES,
    OPT_MAX_POINTS,
    OPT_FORMATS
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

/** Maps a library error to an exit code and prints its message. */
int cli_fail(int err);
/** Prints "corridor: " + message to stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Prints a usage error and the hint; returns EXIT_USAGE. */
int cli_usage(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Fills a filter from the global options. */
void cli_filter(const cli *c, corridor_filter *f);
/** Checks that `formats` (a mask of 1 << FMT_*) allows the chosen format. */
int cli_check_format(cli *c, unsigned formats);
/** Parses a positive integer option value. */
int cli_parse_size(cli *c, const char *opt, const char *arg, size_t *out);
/** Appends arg to a growing list of option values; 0 or EXIT_IO (out of memory, printed). */
int cli_list_add(const char ***list, size_t *n, const char *arg);
/** Prints text (JSON) with a newline; frees it. */
void cli_print_json(char *text);
/** "17d 04h" style duration. */
void cli_fmt_duration(char *buf, size_t n, double hours);
/** Number with thousands separators and `decimals` decimals; "-" for NAN. */
void cli_fmt_number(char *buf, size_t n, double v, int decimals);
/** Writes a CSV field with RFC 4180 quoting. */
void cli_csv_field(FILE *f, const char *s);
/** A short description of the status or year filter, e.g. "operational" or "year 2030". */
const char *cli_filter_label(const cli *c, char *buf, size_t n);

/* Route queries, shared by route, render --route and compare. */
typedef struct cli_route_query {
    corridor_route_opts opts;
    const char **via;
    const char **avoid;
} cli_route_query;

extern const cli_opt
    cli_route_opts[]; /* --by, -k, --carry, --via, --avoid: ids OPT_BY..OPT_AVOID */
void cli_route_query_init(cli_route_query *q);
int cli_route_opt(cli *c, void *ud, int id, const char *arg);
/** Fills the filter from the global options and points opts at the lists. */
void cli_route_query_finish(const cli *c, cli_route_query *q);
void cli_route_query_free(cli_route_query *q);
void cli_route_table(const cli *c, const corridor_routes *rs);
void cli_route_table_head(const char *prefix);
void cli_route_table_row(const corridor_routes *rs, size_t i, const char *prefix);
void cli_route_path(char *buf, size_t n, const corridor_route *r);
void cli_route_csv(const corridor_routes *rs);

/* Flow and criticality queries, shared with compare. */
int cli_flow_parse(cli *c, int argc, char **argv, corridor_flow_opts *opts, const char ***avoid,
                   char ***pos, size_t *npos, const char *usage);
void cli_flow_print(const cli *c, const corridor_flow *f, const char *prefix);
int cli_critical_parse(cli *c, int argc, char **argv, corridor_critical_opts *opts,
                       const char ***avoid, char ***pos, size_t *npos);
void cli_critical_print(const corridor_critical *k, size_t top, const char *prefix);

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
int cmd_import(cli *c, int argc, char **argv);

#endif
