/* cli.h: shared state and helpers of the corridor command-line tool. */
#ifndef CORRIDOR_CLI_H
#define CORRIDOR_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "corridor.h"

/* Exit codes (DESIGN.md, docs/corridor.1). */
enum { EXIT_DONE = 0, EXIT_NOANSWER = 1, EXIT_USAGE = 2, EXIT_INVALID = 3, EXIT_IO = 4 };

typedef enum { FMT_TABLE, FMT_JSON, FMT_CSV } cli_format;

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
} cli;

/** One option of a command: long name, short letter (or 0), takes an argument, id (> 0). */
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

extern const cli_opt cli_route_opts[]; /* --by, -k, --carry, --via, --avoid: ids 1..5 */
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

/* Assignment queries, shared with compare. */
typedef struct cli_assign_query {
    corridor_assign_opts opts;
    const char *demand;
    const char **scale; /* --scale-demand values, in order */
    size_t n_scale;
    const char **avoid;
    size_t top;
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
int cmd_assign(cli *c, int argc, char **argv);

#endif
