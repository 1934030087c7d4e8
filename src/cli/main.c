/* main.c: the corridor tool's entry point, option parsing and shared output helpers. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char main_help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... [--status LEVEL | --year YYYY] COMMAND [ARGS]\n"
    "\n"
    "Models transport, energy and data corridors as one multimodal network.\n"
    "\n"
    "Commands:\n"
    "  info                 counts by kind, mode, corridor, country and status; warnings\n"
    "  validate [FILE]...   check models and scenarios (exit 3 if any is invalid)\n"
    "  route FROM TO        route options (k best by time, cost, distance or co2)\n"
    "  flow FROM TO         maximum flow of a commodity and its bottleneck (minimum cut)\n"
    "  critical FROM TO     elements ranked by the damage of their loss (also --od FILE)\n"
    "  analyze              components, bridges, articulation points, betweenness\n"
    "  matrix --from P --to P   best-route totals for every origin-destination pair\n"
    "  batch                one JSON query per input line, one JSON answer per line\n"
    "  compare -s FILE -- QUERY   a route, flow or critical query on base and scenario\n"
    "  render -o FILE       diagram (svg, png, pdf, dot)\n"
    "  export -f FORMAT -o FILE   graphml, gml, geojson, json, csv, dot, pajek, or a GIS\n"
    "                       format through GDAL: gpkg, shp, fgb, ... (export --formats)\n"
    "  import SOURCE... -o FILE   a model from GIS sources or OpenStreetMap (GDAL)\n"
    "  assign --demand FILE       demand loaded on the network: volumes, v/c, totals\n"
    "  compile [MODEL] -o FILE    the binary, memory-mapped form of a model (-m FILE)\n"
    "\n"
    "Options (anywhere on the line):\n"
    "  -m, --model MODEL    a model file (JSON, compiled, GIS), - (stdin) or a built-in\n"
    "                       name (default: caspian)\n"
    "  -s, --scenario FILE  apply a what-if scenario (repeatable, in order; - is stdin)\n"
    "  --status LEVEL       include elements up to operational|construction|planned\n"
    "                       (default: operational)\n"
    "  --year YYYY          include operational elements and those opening by YYYY\n"
    "  --format FMT         table (default), json or csv\n"
    "  --time-limit SECONDS stop after SECONDS (from the start, loading included) with\n"
    "                       what is done so far, marked incomplete; exit 5\n"
    "  --progress, --quiet  show progress on stderr even when it is not a terminal;\n"
    "                       never show it (default: shown on a terminal)\n"
    "  -h, --help           this help (corridor COMMAND --help for a command)\n"
    "  --version            the version\n"
    "\n"
    "  --snap KM            how far a LAT,LON place may be from its node (default 50)\n"
    "\n"
    "Places are a node id, a node name (case-insensitive), country:XX, or LAT,LON\n"
    "coordinates (the nearest node the query can use, within --snap km).\n"
    "FILE - is standard input for -m, -s, validate and --od, standard output for -o.\n"
    "Exit codes: 0 done, 1 no answer, 2 usage error, 3 invalid model, scenario or place,\n"
    "4 input/output error, 5 limit reached (--time-limit, search limit): the answer, if\n"
    "any, is incomplete (JSON \"complete\": false).\n";

static cli *the_cli; /* for the limit hints of cli_fail */

void cli_err(const char *fmt, ...)
{
    va_list ap;
    fputs("corridor: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage(cli *c, const char *fmt, ...)
{
    va_list ap;
    fputs("corridor: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (c && c->command)
        fprintf(stderr, "try 'corridor %s --help'\n", c->command);
    else
        fputs("try 'corridor --help'\n", stderr);
    return EXIT_USAGE;
}

int cli_fail(int err)
{
    if (err == CORRIDOR_ELIMIT && the_cli)
        return cli_limit(the_cli, 0);
    const char *msg = corridor_error_message();
    cli_err("%s", msg && *msg ? msg : "failed");
    switch (err) {
    case CORRIDOR_ENOTFOUND:
        return EXIT_NOANSWER;
    case CORRIDOR_EUSAGE:
        return EXIT_USAGE;
    case CORRIDOR_EINVALID:
        return EXIT_INVALID;
    case CORRIDOR_ELIMIT:
        return EXIT_LIMIT;
    default:
        return EXIT_IO;
    }
}

int cli_list_add(const char ***list, size_t *n, const char *arg)
{
    const char **l = realloc(*list, (*n + 1) * sizeof *l);
    if (!l) {
        cli_err("out of memory");
        return EXIT_IO;
    }
    l[(*n)++] = arg;
    *list = l;
    return 0;
}

/* ------------------------------------------------ progress and time limit */

/* Draws the progress: a redrawn line with rate and time left on a terminal, else a line per 10 %.
 */
static void progress_show(size_t done, size_t total, void *ud)
{
    cli *c = ud;
    double now = corridor_clock(), spent = now - c->work_start;
    int last = total && done >= total;
    size_t pct = total ? (size_t)((double)done * 100.0 / (double)total) : 0;
    const char *unit = c->unit ? c->unit : "";
    if (!c->progress_tty) {
        if (pct / 10 == c->progress_pct / 10 && !last)
            return;
        c->progress_pct = pct;
        if (c->unit)
            fprintf(stderr, "corridor: %s: %zu/%zu %s (%zu%%)\n", c->command, done, total, unit,
                    pct);
        else
            fprintf(stderr, "corridor: %s: %zu%%\n", c->command, pct);
        fflush(stderr);
        return;
    }
    if (!last && now - c->progress_last < 0.1)
        return;
    c->progress_last = now;
    char eta[32] = "";
    if (done > 0 && total > done && spent > 0)
        snprintf(eta, sizeof eta, ", %.0f s left", spent * (double)(total - done) / (double)done);
    if (c->unit)
        fprintf(stderr, "\rcorridor: %s: %zu/%zu %s (%zu%%), %.1f %s/s%s\033[K", c->command, done,
                total, unit, pct, spent > 0 ? (double)done / spent : 0.0, unit, eta);
    else
        fprintf(stderr, "\rcorridor: %s: %zu%%, %.0f s so far%s\033[K", c->command, pct, spent,
                eta);
    c->progress_open = !last;
    if (last)
        fputc('\n', stderr);
    fflush(stderr);
}

const corridor_budget *cli_budget(cli *c, const char *unit)
{
    corridor_budget init = CORRIDOR_BUDGET_INIT;
    c->budget = init;
    c->unit = unit;
    c->work_start = corridor_clock(); /* rates and time left count the work, not the loading */
    c->progress_tty = isatty(STDERR_FILENO);
    c->progress_pct = 0;
    if (c->time_limit > 0)
        c->budget.deadline = c->start + c->time_limit;
    if (c->progress == PROGRESS_ON || (c->progress == PROGRESS_AUTO && c->progress_tty)) {
        c->budget.progress = progress_show;
        c->budget.userdata = c;
    }
    return &c->budget;
}

int cli_limit(cli *c, int partial)
{
    const char *msg = corridor_error_message();
    if (c->progress_open)
        fputc('\n', stderr);
    c->progress_open = 0;
    if (c->time_limit > 0 && strncmp(msg, "time limit", 10) == 0)
        cli_err("%s (--time-limit %g)%s: raise --time-limit to finish", msg, c->time_limit,
                partial ? "; the answer above is incomplete" : "");
    else
        cli_err("%s%s", msg && *msg ? msg : "limit reached",
                partial ? " (the answer above is incomplete)" : "");
    return EXIT_LIMIT;
}

/* The hard stop of --time-limit, for work that does not check the deadline itself. */
static char watchdog_msg[160];

static void watchdog(int sig)
{
    (void)sig;
    corridor_temp_files_remove(); /* an output file being written stays as it was */
    ssize_t w = write(STDERR_FILENO, watchdog_msg, strlen(watchdog_msg));
    (void)w;
    _exit(EXIT_LIMIT);
}

/*
 * Arms the hard stop: at the limit for commands that do not check the
 * deadline, later (twice the limit plus 30 s) for those that stop by
 * themselves with a partial answer, as a backstop for their loading.
 */
static void arm_watchdog(const cli *c, const char *command)
{
    static const char *const checking[] = {"route", "flow", "critical", "analyze", NULL};
    int checks = 0;
    for (size_t i = 0; checking[i]; i++)
        checks |= strcmp(command, checking[i]) == 0;
    double after = checks ? 2 * c->time_limit + 30 : c->time_limit;
    snprintf(watchdog_msg, sizeof watchdog_msg,
             "corridor: time limit reached (--time-limit %g): %s stopped; raise --time-limit to "
             "finish\n",
             c->time_limit, command);
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = (time_t)after;
    it.it_value.tv_usec = (suseconds_t)((after - floor(after)) * 1e6);
    if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
        it.it_value.tv_usec = 1;
    signal(SIGALRM, watchdog);
    setitimer(ITIMER_REAL, &it, NULL);
}

/* ---------------------------------------------------------------- options */

static const cli_opt global_opts[] = {{"model", 'm', 1, OPT_MODEL},
                                      {"scenario", 's', 1, OPT_SCENARIO},
                                      {"status", 0, 1, OPT_STATUS},
                                      {"year", 0, 1, OPT_YEAR},
                                      {"format", 0, 1, OPT_FORMAT},
                                      {"help", 'h', 0, OPT_HELP},
                                      {"time-limit", 0, 1, OPT_TIME_LIMIT},
                                      {"progress", 0, 0, OPT_PROGRESS},
                                      {"quiet", 0, 0, OPT_QUIET},
                                      {"snap", 0, 1, OPT_PLACE_SNAP},
                                      {NULL, 0, 0, 0}};

static int global_opt(cli *c, int id, const char *arg)
{
    switch (id) {
    case OPT_MODEL:
        c->model_arg = arg;
        return 0;
    case OPT_SCENARIO:
        return cli_list_add(&c->scenarios, &c->n_scenarios, arg);
    case OPT_STATUS:
        if (c->year > 0)
            return cli_usage(c, "--status and --year exclude each other");
        if (corridor_status_parse(&c->status, arg) < 0 || c->status == CORRIDOR_STATUS_CLOSED)
            return cli_usage(c,
                             "--status: unknown level \"%s\" (expected operational, "
                             "construction or planned)",
                             arg);
        c->status_given = 1;
        return 0;
    case OPT_YEAR: {
        char *end;
        errno = 0;
        long y = strtol(arg, &end, 10);
        if (c->status_given)
            return cli_usage(c, "--status and --year exclude each other");
        if (errno || *end || end == arg || y < CORRIDOR_YEAR_MIN || y > CORRIDOR_YEAR_MAX)
            return cli_usage(c, "--year: expected a year such as 2030, got \"%s\"", arg);
        c->year = (int)y;
        return 0;
    }
    case OPT_PLACE_SNAP: {
        char *end;
        errno = 0;
        double km = strtod(arg, &end);
        if (errno || *end || end == arg || !(km > 0 && km <= CORRIDOR_SNAP_KM_MAX))
            return cli_usage(c,
                             "--snap: expected a distance in km, more than 0 and at most %g, "
                             "got \"%s\"",
                             CORRIDOR_SNAP_KM_MAX, arg);
        c->snap_km = km;
        return 0;
    }
    case OPT_FORMAT:
        if (strcmp(arg, "table") == 0)
            c->format = FMT_TABLE;
        else if (strcmp(arg, "json") == 0)
            c->format = FMT_JSON;
        else if (strcmp(arg, "csv") == 0)
            c->format = FMT_CSV;
        else if (strcmp(arg, "geojson") == 0)
            c->format = FMT_GEOJSON;
        else
            return cli_usage(c,
                             "--format: unknown format \"%s\" (expected table, json, csv, or "
                             "geojson for route)",
                             arg);
        c->format_given = 1;
        return 0;
    case OPT_TIME_LIMIT: {
        char *end;
        errno = 0;
        double t = strtod(arg, &end);
        if (errno || *end || end == arg || !(t > 0) || t > 1e7)
            return cli_usage(c, "--time-limit: expected seconds above 0 (at most 1e7), got \"%s\"",
                             arg);
        c->time_limit = t;
        return 0;
    }
    case OPT_PROGRESS:
        c->progress = PROGRESS_ON;
        return 0;
    case OPT_QUIET:
        c->progress = PROGRESS_OFF;
        return 0;
    }
    return 0;
}

/* Finds an option by long name (with optional "=value") or short letter. */
static const cli_opt *find_opt(const cli_opt *opts, const char *name, size_t len, char letter)
{
    for (const cli_opt *o = opts; o && o->name; o++) {
        if (letter ? o->letter == letter : (strlen(o->name) == len && !strncmp(o->name, name, len)))
            return o;
    }
    return NULL;
}

/*
 * Finds the option of argv[*i] among the command's and the global ones and
 * its value ("--opt=V", "-xV" or the next word, which *i then skips).
 * 0, or the exit code after printing a usage error.
 */
static int lookup_option(cli *c, const cli_opt *opts, int argc, char **argv, int *i,
                         const cli_opt **found, const char **value)
{
    const char *a = argv[*i];
    const cli_opt *o = NULL;
    const char *val = NULL;
    char shown[64];
    if (a[1] == '-') {
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        o = find_opt(opts, name, len, 0);
        if (!o)
            o = find_opt(global_opts, name, len, 0);
        snprintf(shown, sizeof shown, "--%.*s", (int)(len > 40 ? 40 : len), name);
        if (!o)
            return cli_usage(c, "unknown option '%s'", shown);
        if (eq && !o->has_arg)
            return cli_usage(c, "option '%s' takes no value", shown);
        val = eq ? eq + 1 : NULL;
    } else {
        o = find_opt(opts, NULL, 0, a[1]);
        if (!o)
            o = find_opt(global_opts, NULL, 0, a[1]);
        snprintf(shown, sizeof shown, "-%c", a[1]);
        if (!o)
            return cli_usage(c, "unknown option '%s'", shown);
        if (a[2] && !o->has_arg)
            return cli_usage(c, "unknown option '%s'", a);
        val = a[2] ? a + 2 : NULL;
    }
    if (o->has_arg && !val) {
        if (*i + 1 >= argc)
            return cli_usage(c, "option '%s' needs a value", shown);
        val = argv[++*i];
    }
    *found = o;
    *value = val;
    return 0;
}

int cli_parse(cli *c, int argc, char **argv, const cli_opt *opts, cli_opt_fn fn, void *ud,
              const char *help, char ***pos, size_t *npos)
{
    char **p = calloc((size_t)argc + 1, sizeof *p);
    size_t np = 0;
    int rc = 0, only_pos = 0;
    if (!p) {
        cli_err("out of memory");
        return EXIT_IO;
    }
    for (int i = 0; i < argc && rc == 0; i++) {
        const char *a = argv[i];
        /* "-", and "-12.5,130" (a coordinate place), are positional */
        if (only_pos || a[0] != '-' || a[1] == '\0' ||
            (strchr(a, ',') && strspn(a + 1, "0123456789.") > 0)) {
            p[np++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        const cli_opt *o = NULL;
        const char *val = NULL;
        if ((rc = lookup_option(c, opts, argc, argv, &i, &o, &val)) != 0)
            break;
        if (o->id == OPT_HELP) {
            fputs(help, stdout);
            rc = -1;
        } else if (o->id < 0) {
            rc = global_opt(c, o->id, val);
        } else {
            rc = fn ? fn(c, ud, o->id, val) : 0;
        }
    }
    if (rc == 0 && c->format == FMT_GEOJSON && (!c->command || strcmp(c->command, "route")))
        rc = cli_usage(c, "--format geojson is for route (the network: export -f geojson)");
    if (rc != 0) {
        free(p);
        return rc;
    }
    static int armed;
    if (c->time_limit > 0 && c->command && !armed) {
        arm_watchdog(c, c->command);
        armed = 1;
    }
    *pos = p;
    *npos = np;
    return 0;
}

int cli_snap_place(cli *c, const corridor_model *m, const corridor_filter *f, const char **place)
{
    corridor_snap snap;
    int err = corridor_place_snap(&snap, m, *place, f, c->snap_km);
    if (err < 0)
        return cli_fail(err);
    if (err == 1) {
        cli_err("%s: the nearest node is %s (%s), %.1f km away", *place, snap.node, snap.name,
                snap.km);
        *place = snap.node;
    }
    return 0;
}

void cli_filter(const cli *c, corridor_filter *f)
{
    f->status = c->status;
    f->year = c->year;
}

const char *cli_filter_label(const cli *c, char *buf, size_t n)
{
    if (c->year > 0)
        snprintf(buf, n, "year %d", c->year);
    else
        snprintf(buf, n, "%s", corridor_status_name(c->status));
    return buf;
}

int cli_check_format(cli *c, unsigned formats)
{
    static const char *const names[] = {"table", "json", "csv", "geojson"};
    if (formats & (1u << c->format))
        return 0;
    return cli_usage(c, "%s does not support --format %s", c->command, names[c->format]);
}

int cli_parse_size(cli *c, const char *opt, const char *arg, size_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    if (errno || *end || end == arg || v < 1 || v > 100000)
        return cli_usage(c, "%s: expected a whole number from 1 to 100000, got \"%s\"", opt, arg);
    *out = (size_t)v;
    return 0;
}

int cli_query_opt(cli *c, int id, const char *arg, corridor_metric *by, corridor_filter *f,
                  const char ***avoid)
{
    if (id == OPT_BY && by) {
        if (corridor_metric_parse(by, arg) < 0)
            return cli_usage(c, "--by: %s", corridor_error_message());
        return 0;
    }
    if (id == OPT_CARRY) {
        if (corridor_commodity_parse(&f->carry, arg) < 0)
            return cli_usage(c, "--carry: %s", corridor_error_message());
        return 0;
    }
    if (id == OPT_AVOID && avoid)
        return cli_list_add(avoid, &f->n_avoid, arg);
    return CLI_OPT_OTHER;
}

int cli_parse_shard(cli *c, const char *arg, size_t *index, size_t *count)
{
    char *end;
    errno = 0;
    long long i = strtoll(arg, &end, 10), n = 0;
    if (!errno && end != arg && *end == '/') {
        const char *d = end + 1;
        n = strtoll(d, &end, 10);
        if (errno || end == d || *end)
            n = 0;
    }
    if (n < 1 || n > 1000000 || i < 0 || i >= n)
        return cli_usage(c, "--shard: expected I/N with 0 <= I < N (e.g. 0/4), got \"%s\"", arg);
    *index = (size_t)i;
    *count = (size_t)n;
    return 0;
}

void cli_print_json(char *text)
{
    fputs(text, stdout);
    fputc('\n', stdout);
    corridor_free(text);
}

/* Beyond this magnitude numbers are printed as 1.23457e+15: all their digits would not say more. */
#define FMT_PLAIN_MAX 1e15

void cli_fmt_duration(char *buf, size_t n, double hours)
{
    if (isnan(hours)) {
        snprintf(buf, n, "-");
        return;
    }
    if (!(fabs(hours) < FMT_PLAIN_MAX)) { /* also infinities */
        snprintf(buf, n, "%.6g h", hours);
        return;
    }
    /* whole hours in double arithmetic: exact below 2^53, no long overflow */
    double total = round(fabs(hours)), days = floor(total / 24);
    snprintf(buf, n, "%s%.0fd %02.0fh", hours < 0 && total > 0 ? "-" : "", days, total - days * 24);
}

void cli_fmt_number(char *buf, size_t n, double v, int decimals)
{
    if (isnan(v)) {
        snprintf(buf, n, "-");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, n, "unbounded");
        return;
    }
    if (!(fabs(v) < FMT_PLAIN_MAX)) {
        snprintf(buf, n, "%.6g", v);
        return;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
    char *dot = strchr(raw, '.');
    size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
    char out[96];
    size_t o = 0;
    if (v < 0 && strspn(raw, "0.") != strlen(raw))
        out[o++] = '-';
    for (size_t i = 0; i < ilen; i++) {
        out[o++] = raw[i];
        size_t left = ilen - i - 1;
        if (left && left % 3 == 0)
            out[o++] = ',';
    }
    if (dot)
        for (const char *q = dot; *q && o < sizeof out - 1; q++)
            out[o++] = *q;
    out[o] = '\0';
    snprintf(buf, n, "%s", out);
}

const char *cli_num(char *buf, size_t n, double v)
{
    /* 15 significant digits at most: every value a model or a sum of a few of them holds
       survives, while sums' last-bit noise (1421.1999999999998) does not show */
    for (int prec = 10; prec <= 15; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v || isnan(v))
            break;
    }
    return buf;
}

void cli_csv_field(FILE *f, const char *s)
{
    if (!s)
        return;
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void cli_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void print_diags(const corridor_diags *d)
{
    for (size_t i = 0; i < corridor_diags_count(d); i++)
        cli_err("%s", corridor_diags_line(d, i));
}

int cli_claim_stdin(cli *c, const char *owner)
{
    if (c->stdin_owner && c->stdin_owner != owner)
        return cli_usage(c, "only one input can be '-' (standard input)");
    c->stdin_owner = owner;
    return 0;
}

int cli_read_stdin(cli *c, const char *owner, const char **text, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = NULL;
    if (c->stdin_owner == owner && c->stdin_text) {
        *text = c->stdin_text;
        *len = c->stdin_len;
        return 0;
    }
    int rc = cli_claim_stdin(c, owner);
    if (rc != 0)
        return rc;
    if (!(buf = malloc(cap))) {
        cli_err("out of memory");
        return EXIT_IO;
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                cli_err("out of memory");
                return EXIT_IO;
            }
            buf = nb;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, stdin);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(stdin)) {
        free(buf);
        cli_err("%s: cannot read: %s", CLI_STDIN_NAME, strerror(errno));
        return EXIT_IO;
    }
    buf[n] = '\0';
    c->stdin_text = buf;
    c->stdin_len = n;
    *text = buf;
    *len = n;
    return 0;
}

/* Loads a scenario from a file or, for "-", standard input: a library error (< 0) or an exit code.
 */
static int load_scenario(cli *c, corridor_scenario **s, const char *path, corridor_diags *d)
{
    if (strcmp(path, "-") != 0)
        return corridor_scenario_open(s, path, d);
    const char *text = NULL;
    size_t len = 0;
    int rc = cli_read_stdin(c, path, &text, &len);
    if (rc != 0)
        return rc;
    return corridor_scenario_load_string(s, text, len, CLI_STDIN_NAME, d);
}

const char *cli_path_ext(const char *path)
{
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base && dot[1] ? dot + 1 : NULL;
}

/* stat of an input: standard input for "-"; 0 or -1. */
static int stat_input(const char *path, struct stat *st)
{
    return strcmp(path, "-") == 0 ? fstat(STDIN_FILENO, st) : stat(path, st);
}

int cli_check_output(cli *c, const char *out, const char *const *extra_inputs, size_t n_extra)
{
    struct stat so, si;
    if (strcmp(out, "-") == 0 || stat(out, &so) != 0 || !S_ISREG(so.st_mode))
        return 0;
    const char *model = c->model_arg ? c->model_arg : "caspian";
    for (size_t i = 0; i < 1 + c->n_scenarios + n_extra; i++) {
        const char *in = i == 0                ? model
                         : i <= c->n_scenarios ? c->scenarios[i - 1]
                                               : extra_inputs[i - 1 - c->n_scenarios];
        const char *what = i == 0 ? "the model" : i <= c->n_scenarios ? "a scenario" : "an input";
        if (stat_input(in, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
            return cli_usage(c, "%s: refusing to overwrite %s this command reads (%s)", out, what,
                             in);
    }
    return 0;
}

int cli_load(cli *c)
{
    size_t n_stdin = c->model_arg && strcmp(c->model_arg, "-") == 0;
    for (size_t i = 0; i < c->n_scenarios; i++)
        n_stdin += strcmp(c->scenarios[i], "-") == 0;
    if (n_stdin > 1)
        return cli_usage(c, "only one input can be '-' (standard input)");
    corridor_diags *d = NULL;
    corridor_model *m = NULL;
    int err = corridor_diags_new(&d);
    if (err < 0)
        return cli_fail(err);
    const char *name = c->model_arg ? c->model_arg : "caspian";
    if (strcmp(name, "-") == 0) {
        const char *text = NULL;
        size_t len = 0;
        int rc = cli_read_stdin(c, name, &text, &len);
        if (rc != 0) {
            corridor_diags_free(d);
            return rc;
        }
        err = corridor_model_load_string(&m, text, len, CLI_STDIN_NAME, d);
    } else {
        err = corridor_model_open(&m, name, d);
    }
    print_diags(d);
    size_t errors = corridor_diags_errors(d);
    corridor_diags_free(d);
    d = NULL;
    if (err < 0)
        return err == CORRIDOR_EINVALID && errors ? EXIT_INVALID : cli_fail(err);
    for (size_t i = 0; i < c->n_scenarios; i++) {
        corridor_scenario *s = NULL;
        corridor_model *next = NULL;
        if ((err = corridor_diags_new(&d)) < 0)
            break;
        err = load_scenario(c, &s, c->scenarios[i], d);
        if (err > 0) { /* an exit code: stdin could not be read */
            corridor_diags_free(d);
            corridor_model_free(m);
            return err;
        }
        if (err == 0)
            err = corridor_scenario_apply(&next, m, s, d);
        print_diags(d);
        if (err == CORRIDOR_EINVALID && corridor_diags_errors(d) == 0)
            cli_err("%s", corridor_error_message());
        corridor_diags_free(d);
        corridor_scenario_free(s);
        if (err < 0)
            break;
        corridor_model_free(m);
        m = next;
    }
    if (err < 0) {
        corridor_model_free(m);
        return err == CORRIDOR_EINVALID ? EXIT_INVALID : cli_fail(err);
    }
    c->model = m;
    return 0;
}

typedef struct command {
    const char *name;
    int (*run)(cli *c, int argc, char **argv);
} command;

static const command commands[] = {
    {"info", cmd_info},       {"validate", cmd_validate}, {"route", cmd_route},
    {"flow", cmd_flow},       {"critical", cmd_critical}, {"analyze", cmd_analyze},
    {"compare", cmd_compare}, {"render", cmd_render},     {"export", cmd_export},
    {"import", cmd_import},   {"matrix", cmd_matrix},     {"batch", cmd_batch},
    {"assign", cmd_assign},   {"compile", cmd_compile},   {NULL, NULL}};

/* SIGINT/SIGTERM: remove the temporary files being written, then die of the signal. */
static void on_signal(int sig)
{
    corridor_temp_files_remove();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signal_handlers(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

int main(int argc, char **argv)
{
    cli c;
    install_signal_handlers();
    memset(&c, 0, sizeof c);
    c.status = CORRIDOR_STATUS_OPERATIONAL;
    c.start = corridor_clock();
    the_cli = &c;
    c.snap_km = CORRIDOR_SNAP_KM_DEFAULT;
    int i = 1, rc = 0;
    /* global options before the command */
    while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0) {
            printf("corridor %s\n", CORRIDOR_VERSION);
            free(c.scenarios);
            return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_DONE : EXIT_IO;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(main_help, stdout);
            free(c.scenarios);
            return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_DONE : EXIT_IO;
        }
        /* a global option takes a value ("--opt=V" and "-xV" are one word, else two),
           except --progress and --quiet */
        int take = ((a[1] == '-' && strchr(a, '=')) || (a[1] != '-' && a[2] != '\0') ||
                    strcmp(a, "--progress") == 0 || strcmp(a, "--quiet") == 0)
                       ? 1
                       : 2;
        if (i + take > argc)
            take = argc - i;
        char **pos = NULL;
        size_t npos = 0;
        rc = cli_parse(&c, take, argv + i, NULL, NULL, NULL, main_help, &pos, &npos);
        free(pos);
        if (rc != 0)
            goto done;
        i += take;
    }
    if (i >= argc) {
        rc = cli_usage(&c, "no command given");
        goto done;
    }
    for (const command *cmd = commands; cmd->name; cmd++) {
        if (strcmp(cmd->name, argv[i]) == 0) {
            c.command = cmd->name;
            rc = cmd->run(&c, argc - i - 1, argv + i + 1);
            if (rc == -1)
                rc = EXIT_DONE;
            goto done;
        }
    }
    rc = cli_usage(&c, "unknown command '%s'", argv[i]);
done:
    corridor_model_free(c.model);
    free(c.scenarios);
    free(c.stdin_text);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_err("cannot write to standard output");
        if (rc == EXIT_DONE)
            rc = EXIT_IO;
    }
    return rc;
}
