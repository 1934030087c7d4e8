/* cmd_critical.c: `corridor critical`, elements ranked by the damage of their loss. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... critical FROM TO [options]\n"
    "       corridor [-m MODEL] [-s SCENARIO]... critical --od FILE [options]\n"
    "\n"
    "For the best route from FROM to TO: every edge and intermediate node whose loss\n"
    "alone changes it, ranked by how much the best value rises (\"disconnects\" when\n"
    "no route remains). With --flow, ranked by the drop of the maximum flow instead.\n"
    "With --od FILE (CSV lines from,to[,weight]; a header line is allowed): for each\n"
    "element, over all the pairs, how many lose their route, how many get worse, and\n"
    "the weighted total increase.\n"
    "\n"
    "Options:\n"
    "  --by METRIC        time (default), cost, distance or co2\n"
    "  --carry C          freight (default), oil, gas, power or data\n"
    "  --flow             rank by the drop of the maximum flow\n"
    "  --od FILE          network-wide ranking over origin-destination pairs (- reads\n"
    "                     standard input)\n"
    "  --top N            show the N highest-ranked elements (default: all; every format)\n"
    "  --avoid TARGET     leave out [node:|edge:|country:|corridor:|mode:]ID (repeatable)\n"
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   as for every command\n"
    "  --format FMT       table (default), json or csv\n";

typedef struct crit_query {
    corridor_critical_opts opts;
    const char **avoid;
    const char *od;
    size_t top;
} crit_query;

static int crit_opt(cli *c, void *ud, int id, const char *arg)
{
    crit_query *q = ud;
    switch (id) {
    case OPT_BY:
        if (corridor_metric_parse(&q->opts.by, arg) < 0)
            return cli_usage(c, "--by: %s", corridor_error_message());
        return 0;
    case OPT_CARRY:
        if (corridor_commodity_parse(&q->opts.filter.carry, arg) < 0)
            return cli_usage(c, "--carry: %s", corridor_error_message());
        return 0;
    case OPT_AVOID:
        return cli_list_add(&q->avoid, &q->opts.filter.n_avoid, arg);
    case OPT_FLOW:
        q->opts.by_flow = 1;
        return 0;
    case OPT_OD:
        q->od = arg;
        return 0;
    case OPT_TOP:
        return cli_parse_size(c, "--top", arg, &q->top);
    }
    return 0;
}

static const cli_opt crit_opts[] = {
    {"by", 0, 1, OPT_BY},     {"carry", 0, 1, OPT_CARRY}, {"avoid", 0, 1, OPT_AVOID},
    {"flow", 0, 0, OPT_FLOW}, {"od", 0, 1, OPT_OD},       {"top", 0, 1, OPT_TOP},
    {NULL, 0, 0, 0}};

static void fmt_value(char *buf, size_t n, double v, int by_flow, corridor_metric by)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else if (!by_flow && by == CORRIDOR_BY_TIME)
        cli_fmt_duration(buf, n, v);
    else
        cli_fmt_number(buf, n, v, 0);
}

void cli_critical_print(const corridor_critical *k, size_t top, const char *prefix)
{
    char base[64];
    fmt_value(base, sizeof base, k->base, k->by_flow, k->by);
    printf("%sCritical elements from %s to %s, by %s (base: %s)\n", prefix, k->from, k->to,
           k->by_flow ? "maximum flow" : corridor_metric_name(k->by), base);
    if (k->n == 0) {
        printf("%s  no single loss changes the answer\n", prefix);
        return;
    }
    printf("%s%3s  %-4s  %-36s %14s %14s\n", prefix, "#", "type", "id",
           k->by_flow ? "flow after" : "best after", k->by_flow ? "drop" : "increase");
    for (size_t i = 0; i < k->n && (top == 0 || i < top); i++) {
        const corridor_critical_item *it = &k->items[i];
        char v[64], inc[64];
        if (it->disconnects && !k->by_flow) {
            snprintf(v, sizeof v, "disconnects");
            snprintf(inc, sizeof inc, "-");
        } else {
            fmt_value(v, sizeof v, it->value, k->by_flow, k->by);
            fmt_value(inc, sizeof inc, it->increase, k->by_flow, k->by);
        }
        printf("%s%3zu  %-4s  %-36s %14s %14s\n", prefix, i + 1,
               corridor_element_type_name(it->type), it->id, v, inc);
    }
}

/* Reads "from,to[,weight]" lines; a first line starting with "from" is a header. */
static int read_od(cli *c, const char *path, corridor_od_pair **out, size_t *n, char **text)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    *out = NULL;
    *n = 0;
    *text = NULL;
    if (!f) {
        cli_err("%s: cannot open: %s", path, strerror(errno));
        return EXIT_IO;
    }
    size_t cap = 0, len = 0;
    char *buf = NULL;
    char chunk[4096];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + r + 1 > cap) {
            cap = (len + r + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                cli_err("out of memory");
                return EXIT_IO;
            }
            buf = nb;
        }
        memcpy(buf + len, chunk, r);
        len += r;
    }
    if (f != stdin)
        fclose(f);
    if (!buf) {
        cli_err("%s: empty file: expected lines from,to[,weight]", path);
        return EXIT_INVALID;
    }
    buf[len] = '\0';
    *text = buf;
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    corridor_od_pair *pairs = calloc(lines, sizeof *pairs);
    if (!pairs) {
        cli_err("out of memory");
        return EXIT_IO;
    }
    size_t k = 0, lineno = 0;
    char *save = NULL;
    for (char *line = buf; line; line = save) {
        save = strchr(line, '\n');
        if (save)
            *save++ = '\0';
        lineno++;
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[--l] = '\0';
        if (l == 0 || line[0] == '#')
            continue;
        if (lineno == 1 && strncmp(line, "from,", 5) == 0)
            continue;
        char *a = line, *b = strchr(a, ',');
        if (!b) {
            free(pairs);
            cli_err("%s:%zu: expected from,to[,weight]", path, lineno);
            return EXIT_INVALID;
        }
        *b++ = '\0';
        char *w = strchr(b, ',');
        double weight = 1;
        if (w) {
            *w++ = '\0';
            char *end;
            errno = 0;
            weight = strtod(w, &end);
            if (errno || end == w || *end || !(weight >= 0) || isinf(weight)) {
                free(pairs);
                cli_err("%s:%zu: weight \"%s\" is not a number >= 0", path, lineno, w);
                return EXIT_INVALID;
            }
        }
        int err = corridor_place_check(c->model, a);
        if (err == 0)
            err = corridor_place_check(c->model, b);
        if (err < 0) {
            free(pairs);
            cli_err("%s:%zu: %s", path, lineno, corridor_error_message());
            return EXIT_INVALID;
        }
        pairs[k].from = a;
        pairs[k].to = b;
        pairs[k].weight = weight;
        k++;
    }
    if (k == 0) {
        free(pairs);
        cli_err("%s: no pairs: expected lines from,to[,weight]", path);
        return EXIT_INVALID;
    }
    *out = pairs;
    *n = k;
    return 0;
}

static void progress(size_t done, size_t total, void *ud)
{
    (void)ud;
    int width = 40, filled = total ? (int)(done * (size_t)width / total) : width;
    fprintf(stderr, "\rcorridor: [%.*s%*s] %zu/%zu pairs", filled,
            "########################################", width - filled, "", done, total);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int run_od(cli *c, crit_query *q)
{
    corridor_od_pair *pairs = NULL;
    size_t n = 0;
    char *text = NULL;
    corridor_od_result *res = NULL;
    int rc = read_od(c, q->od, &pairs, &n, &text);
    if (rc != 0)
        goto done;
    int err = corridor_critical_od(&res, c->model, pairs, n, &q->opts,
                                   isatty(STDERR_FILENO) ? progress : NULL, NULL);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    if (c->format == FMT_JSON) {
        char *json = NULL;
        corridor_od_result shown = *res; /* --top limits the list as it limits the table */
        if (q->top && shown.n > q->top)
            shown.n = q->top;
        if ((err = corridor_od_result_json(&json, &shown)) < 0) {
            rc = cli_fail(err);
            goto done;
        }
        cli_print_json(json);
    } else if (c->format == FMT_CSV) {
        printf("rank,type,id,lost,worse,total_increase\n");
        for (size_t i = 0; i < res->n && (q->top == 0 || i < q->top); i++) {
            printf("%zu,%s,", i + 1, corridor_element_type_name(res->items[i].type));
            cli_csv_field(stdout, res->items[i].id);
            printf(",%zu,%zu,%.10g\n", res->items[i].lost, res->items[i].worse,
                   res->items[i].total_increase);
        }
    } else {
        printf("Network-wide criticality over %zu pairs, by %s (%zu pairs have no route at all)\n",
               res->n_pairs, corridor_metric_name(res->by), res->n_unrouted);
        printf("%4s  %-4s  %-36s %6s %6s %16s\n", "#", "type", "id", "lost", "worse",
               "total increase");
        for (size_t i = 0; i < res->n && (q->top == 0 || i < q->top); i++) {
            char inc[64];
            if (res->by == CORRIDOR_BY_TIME)
                cli_fmt_duration(inc, sizeof inc, res->items[i].total_increase);
            else
                cli_fmt_number(inc, sizeof inc, res->items[i].total_increase, 0);
            printf("%4zu  %-4s  %-36s %6zu %6zu %16s\n", i + 1,
                   corridor_element_type_name(res->items[i].type), res->items[i].id,
                   res->items[i].lost, res->items[i].worse, inc);
        }
    }
done:
    corridor_od_result_free(res);
    free(pairs);
    free(text);
    return rc;
}

int cli_critical_parse(cli *c, int argc, char **argv, corridor_critical_opts *opts,
                       const char ***avoid, char ***pos, size_t *npos)
{
    crit_query q;
    corridor_critical_opts init = CORRIDOR_CRITICAL_OPTS_INIT;
    memset(&q, 0, sizeof q);
    q.opts = init;
    int rc = cli_parse(c, argc, argv, crit_opts, crit_opt, &q, help, pos, npos);
    *opts = q.opts;
    *avoid = q.avoid;
    return rc;
}

int cmd_critical(cli *c, int argc, char **argv)
{
    crit_query q;
    corridor_critical_opts init = CORRIDOR_CRITICAL_OPTS_INIT;
    char **pos = NULL;
    size_t npos = 0;
    corridor_critical *k = NULL;
    memset(&q, 0, sizeof q);
    q.opts = init;
    int rc = cli_parse(c, argc, argv, crit_opts, crit_opt, &q, help, &pos, &npos);
    if (rc != 0)
        goto done;
    if (q.od ? npos != 0 : npos != 2) {
        rc = q.od ? cli_usage(c, "critical --od FILE takes no places")
                  : cli_usage(c, "critical needs FROM and TO, or --od FILE");
        goto done;
    }
    if (q.od && q.opts.by_flow) {
        rc = cli_usage(c, "--od ranks by route values: it does not combine with --flow");
        goto done;
    }
    if (q.od && strcmp(q.od, "-") == 0 && (rc = cli_claim_stdin(c, q.od)) != 0)
        goto done;
    if ((rc = cli_load(c)) != 0)
        goto done;
    cli_filter(c, &q.opts.filter);
    q.opts.filter.avoid = q.avoid;
    if (q.od) {
        rc = run_od(c, &q);
        goto done;
    }
    int err = corridor_critical_rank(&k, c->model, pos[0], pos[1], &q.opts);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    if (c->format == FMT_JSON) {
        char *text = NULL;
        corridor_critical shown = *k; /* --top limits the list as it limits the table */
        if (q.top && shown.n > q.top)
            shown.n = q.top;
        if ((err = corridor_critical_json(&text, &shown)) < 0) {
            rc = cli_fail(err);
            goto done;
        }
        cli_print_json(text);
    } else if (c->format == FMT_CSV) {
        printf("rank,type,id,value,increase,disconnects\n");
        for (size_t i = 0; i < k->n && (q.top == 0 || i < q.top); i++) {
            const corridor_critical_item *it = &k->items[i];
            printf("%zu,%s,", i + 1, corridor_element_type_name(it->type));
            cli_csv_field(stdout, it->id);
            if (isnan(it->value))
                printf(",,");
            else
                printf(",%.10g,%.10g", it->value, it->increase);
            printf(",%s\n", it->disconnects ? "true" : "false");
        }
    } else {
        cli_critical_print(k, q.top, "");
    }
done:
    corridor_critical_free(k);
    free(q.avoid);
    free(pos);
    return rc;
}
