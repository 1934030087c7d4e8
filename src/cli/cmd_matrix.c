/* cmd_matrix.c: `corridor matrix`, best-route totals for every origin-destination pair. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... matrix --from PLACES --to PLACES [options]\n"
    "\n"
    "The best route between every origin and every destination, by the chosen metric,\n"
    "with route's rules (dwell, transfers, breaks of gauge): each value equals what\n"
    "`route FROM TO -k 1` gives. Each row carries the best route's four totals.\n"
    "One search per origin, not one per pair.\n"
    "\n"
    "PLACES: node ids, node names or country:XX, comma-separated; --from and --to may\n"
    "be repeated; @FILE reads one place per line (blank lines and # comments skipped).\n"
    "\n"
    "Options:\n"
    "  --from PLACES      origins\n"
    "  --to PLACES        destinations\n"
    "  --by METRIC        time (default), cost, distance or co2\n"
    "  --carry C          freight (default), oil, gas, power or data\n"
    "  --avoid TARGET     leave out [node:|edge:|country:|corridor:|mode:]ID (repeatable)\n"
    "  --wide             CSV: one row per origin, one column per destination (the\n"
    "                     --by metric), instead of one row per pair\n"
    "  --shard I/N        only origins I, I+N, I+2N, ... (0 <= I < N); the outputs of\n"
    "                     shards 0..N-1 concatenate to the whole answer (CSV: only\n"
    "                     shard 0 writes the header line; JSON: one line per origin)\n"
    "  -j N               worker threads (default: the number of processors, at most 8);\n"
    "                     the answer does not depend on it\n"
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   as for every command\n"
    "  --format FMT       table (default), json (one line per origin) or csv\n"
    "\n"
    "No route, or origin and destination the same node: an empty CSV field, null in\n"
    "JSON, \"-\" in the table. A pair whose best walk visits a node twice is settled\n"
    "by route's own search; if that needs more than 100,000 partial routes the pair\n"
    "is left empty, its JSON line says \"complete\": false, and the exit code is 5.\n"
    "\n"
    "Exit codes: 0 done, 2 usage, 3 unknown place or invalid model, 5 some pairs\n"
    "unknown (search limit).\n";

typedef struct mx_query {
    corridor_matrix_opts opts;
    const char **from, **to, **avoid;
    size_t n_from, n_to;
    char **texts; /* @FILE contents and split copies, freed at the end */
    size_t n_texts;
    int wide;
    size_t shard, shards;
    size_t threads;
} mx_query;

static int keep_text(mx_query *q, char *text)
{
    char **t = realloc(q->texts, (q->n_texts + 1) * sizeof *t);
    if (!t) {
        free(text);
        cli_err("out of memory");
        return EXIT_IO;
    }
    t[q->n_texts++] = text;
    q->texts = t;
    return 0;
}

/* Reads @FILE: one place per line. */
static int places_file(mx_query *q, const char *path, const char ***list, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        cli_err("%s: cannot open: %s", path, strerror(errno));
        return EXIT_IO;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *copy = strdup(line);
        if (!copy || (rc = keep_text(q, copy)) != 0 || (rc = cli_list_add(list, n, copy)) != 0) {
            if (!copy) {
                cli_err("out of memory");
                rc = EXIT_IO;
            }
        }
    }
    if (rc == 0 && ferror(f)) {
        cli_err("%s: cannot read: %s", path, strerror(errno));
        rc = EXIT_IO;
    }
    free(line);
    fclose(f);
    return rc;
}

static int places_add(cli *c, mx_query *q, const char *arg, const char ***list, size_t *n)
{
    if (arg[0] == '@')
        return places_file(q, arg + 1, list, n);
    char *copy = strdup(arg);
    int rc = 0;
    if (!copy) {
        cli_err("out of memory");
        return EXIT_IO;
    }
    if ((rc = keep_text(q, copy)) != 0)
        return rc;
    for (char *p = copy, *next; p && rc == 0; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        if (*p == '\0')
            return cli_usage(c, "empty place in \"%s\"", arg);
        rc = cli_list_add(list, n, p);
    }
    return rc;
}

static int mx_opt(cli *c, void *ud, int id, const char *arg)
{
    mx_query *q = ud;
    int rc = cli_query_opt(c, id, arg, &q->opts.by, &q->opts.filter, &q->avoid);
    if (rc != CLI_OPT_OTHER)
        return rc;
    switch (id) {
    case OPT_FROM:
        return places_add(c, q, arg, &q->from, &q->n_from);
    case OPT_TO:
        return places_add(c, q, arg, &q->to, &q->n_to);
    case OPT_WIDE:
        q->wide = 1;
        return 0;
    case OPT_SHARD:
        return cli_parse_shard(c, arg, &q->shard, &q->shards);
    case OPT_JOBS:
        return cli_parse_size(c, "-j", arg, &q->threads);
    }
    return 0;
}

static const cli_opt mx_opts[] = {
    {"by", 0, 1, OPT_BY},       {"carry", 0, 1, OPT_CARRY}, {"avoid", 0, 1, OPT_AVOID},
    {"from", 0, 1, OPT_FROM},   {"to", 0, 1, OPT_TO},       {"wide", 0, 0, OPT_WIDE},
    {"shard", 0, 1, OPT_SHARD}, {"jobs", 'j', 1, OPT_JOBS}, {NULL, 0, 0, 0}};

static void csv_num(double v)
{
    if (!isnan(v))
        printf("%.12g", v);
}

static void print_csv(const corridor_matrix *mx, int wide, int header)
{
    size_t nt = mx->n_to;
    if (wide) {
        if (header) {
            printf("from");
            for (size_t j = 0; j < nt; j++) {
                putchar(',');
                cli_csv_field(stdout, mx->to[j]);
            }
            putchar('\n');
        }
        for (size_t i = 0; i < mx->n_from; i++) {
            cli_csv_field(stdout, mx->from[i]);
            for (size_t j = 0; j < nt; j++) {
                putchar(',');
                csv_num(mx->value[(i * nt + j) * CORRIDOR_METRIC_COUNT + mx->by]);
            }
            putchar('\n');
        }
        return;
    }
    if (header)
        printf("from,to,time_h,cost_usd,distance_km,co2_kg\n");
    for (size_t i = 0; i < mx->n_from; i++) {
        for (size_t j = 0; j < nt; j++) {
            cli_csv_field(stdout, mx->from[i]);
            putchar(',');
            cli_csv_field(stdout, mx->to[j]);
            for (int met = 0; met < CORRIDOR_METRIC_COUNT; met++) {
                putchar(',');
                csv_num(mx->value[(i * nt + j) * CORRIDOR_METRIC_COUNT + met]);
            }
            putchar('\n');
        }
    }
}

static void print_table(const cli *c, const corridor_matrix *mx)
{
    char label[64];
    size_t nt = mx->n_to;
    printf("Best routes by %s for %s (%s): %zu origins x %zu destinations\n",
           corridor_metric_name(mx->by), corridor_commodity_name(mx->carry),
           cli_filter_label(c, label, sizeof label), mx->n_from, nt);
    printf("%-20s %-20s %10s %12s %12s %12s\n", "from", "to", "time", "cost_usd", "distance_km",
           "co2_kg");
    for (size_t i = 0; i < mx->n_from; i++) {
        for (size_t j = 0; j < nt; j++) {
            const double *v = &mx->value[(i * nt + j) * CORRIDOR_METRIC_COUNT];
            char t[32], co[48], d[48], co2[48];
            cli_fmt_duration(t, sizeof t, v[CORRIDOR_BY_TIME]);
            cli_fmt_number(co, sizeof co, v[CORRIDOR_BY_COST], 0);
            cli_fmt_number(d, sizeof d, v[CORRIDOR_BY_DISTANCE], 0);
            cli_fmt_number(co2, sizeof co2, v[CORRIDOR_BY_CO2], 0);
            printf("%-20s %-20s %10s %12s %12s %12s\n", mx->from[i], mx->to[j], t, co, d, co2);
        }
    }
}

static size_t default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (size_t)n;
}

int cmd_matrix(cli *c, int argc, char **argv)
{
    mx_query q;
    corridor_matrix_opts init = CORRIDOR_MATRIX_OPTS_INIT;
    char **pos = NULL;
    size_t npos = 0, n_mine = 0;
    const char **mine = NULL;
    corridor_matrix *mx = NULL;
    memset(&q, 0, sizeof q);
    q.opts = init;
    q.shards = 1;
    int rc = cli_parse(c, argc, argv, mx_opts, mx_opt, &q, help, &pos, &npos);
    if (rc != 0)
        goto done;
    if (npos != 0) {
        rc = cli_usage(c, "matrix takes no positional arguments: use --from and --to");
        goto done;
    }
    if (q.n_from == 0 || q.n_to == 0) {
        rc = cli_usage(c, "matrix needs --from PLACES and --to PLACES");
        goto done;
    }
    if (q.wide && c->format != FMT_CSV) {
        rc = cli_usage(c, "--wide is a CSV layout: add --format csv");
        goto done;
    }
    if ((rc = cli_load(c)) != 0)
        goto done;
    cli_filter(c, &q.opts.filter);
    q.opts.filter.avoid = q.avoid;
    q.opts.threads = (unsigned)(q.threads ? q.threads : default_threads());
    for (size_t i = q.shard; i < q.n_from; i += q.shards)
        if ((rc = cli_list_add(&mine, &n_mine, q.from[i])) != 0)
            goto done;
    int err = corridor_matrix_compute(&mx, c->model, mine, n_mine, q.to, q.n_to, &q.opts);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    if (c->format == FMT_JSON) {
        for (size_t i = 0; i < mx->n_from; i++) {
            char *text = NULL;
            if ((err = corridor_matrix_row_json(&text, mx, i)) < 0) {
                rc = cli_fail(err);
                goto done;
            }
            cli_print_json(text);
        }
    } else if (c->format == FMT_CSV) {
        print_csv(mx, q.wide, q.shard == 0);
    } else {
        print_table(c, mx);
    }
    if (mx->n_limited) {
        cli_err("%zu of %zu pairs unknown (empty): route's search reached its limit for them",
                mx->n_limited, mx->n_from * mx->n_to);
        rc = EXIT_LIMIT;
    }
done:
    corridor_matrix_free(mx);
    for (size_t i = 0; i < q.n_texts; i++)
        free(q.texts[i]);
    free(q.texts);
    free(q.from);
    free(q.to);
    free(q.avoid);
    free(mine);
    free(pos);
    return rc;
}
