/* cmd_batch.c: `corridor batch`, one JSON query per input line, one JSON answer per output line. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... batch [--input FILE] [--shard I/N]\n"
    "\n"
    "Many queries on one loaded model: each input line (standard input, or FILE) is\n"
    "one JSON query, each output line the JSON answer to the query on that line, in\n"
    "order:\n"
    "\n"
    "  {\"id\": 7, \"query\": \"route\", \"from\": \"khorgos\", \"to\": \"istanbul\", \"k\": 3}\n"
    "  {\"id\": 7, \"line\": 1, \"result\": {...what route --format json prints...}}\n"
    "\n"
    "Queries: route, flow, critical, matrix, with the keys from, to (matrix: arrays\n"
    "of places), by, k, carry, via, avoid (a string or an array), status, year, flow\n"
    "(critical by flow) and any \"id\", copied to the answer. A bad or unanswerable\n"
    "query gets {\"id\", \"line\", \"error\": {\"exit\": N, \"message\": ...}} with the\n"
    "exit code the command would give, and the rest go on. Blank lines and lines\n"
    "starting with # are skipped (they keep their line numbers). Route queries with\n"
    "the same filter and metric share one routing network.\n"
    "\n"
    "Options:\n"
    "  --input FILE       read the queries from FILE instead of standard input\n"
    "  --shard I/N        answer only queries I, I+N, I+2N, ... (counting queries, not\n"
    "                     blank lines; 0 <= I < N): the outputs of shards 0..N-1 together\n"
    "                     hold every answer once, each with its \"line\"\n"
    "  --status LEVEL, --year YYYY, -m MODEL, -s SCENARIO   defaults for the queries\n"
    "\n"
    "Exit codes: 0 every line answered (some perhaps with an error object), 2 usage,\n"
    "3 invalid model, 4 input/output error.\n";

typedef struct batch_query {
    const char *input;
    size_t shard, shards;
} batch_query;

static int batch_opt(cli *c, void *ud, int id, const char *arg)
{
    batch_query *q = ud;
    if (id == OPT_INPUT)
        q->input = arg;
    else if (id == OPT_SHARD)
        return cli_parse_shard(c, arg, &q->shard, &q->shards);
    return 0;
}

static const cli_opt batch_opts[] = {
    {"input", 0, 1, OPT_INPUT}, {"shard", 0, 1, OPT_SHARD}, {NULL, 0, 0, 0}};

int cmd_batch(cli *c, int argc, char **argv)
{
    batch_query q = {NULL, 0, 1};
    char **pos = NULL, *line = NULL;
    size_t npos = 0, cap = 0, lineno = 0, nquery = 0;
    corridor_batch *b = NULL;
    FILE *in = stdin;
    int rc = cli_parse(c, argc, argv, batch_opts, batch_opt, &q, help, &pos, &npos);
    if (rc != 0)
        goto done;
    if (npos != 0) {
        rc = cli_usage(c, "batch takes no positional arguments (queries come one per line)");
        goto done;
    }
    if (c->format_given && c->format != FMT_JSON) {
        rc = cli_usage(c, "batch answers in JSON lines only");
        goto done;
    }
    if (q.input && !(in = fopen(q.input, "r"))) {
        cli_err("%s: cannot open: %s", q.input, strerror(errno));
        rc = EXIT_IO;
        goto done;
    }
    if ((rc = cli_load(c)) != 0)
        goto done;
    corridor_filter base = CORRIDOR_FILTER_INIT;
    cli_filter(c, &base);
    int err = corridor_batch_new(&b, c->model, &base);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    ssize_t len;
    while ((len = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t skip = strspn(line, " \t");
        if ((size_t)len <= skip || line[skip] == '#')
            continue;
        if (nquery++ % q.shards != q.shard)
            continue;
        char *ans = NULL;
        int code = 0;
        if ((err = corridor_batch_answer(&ans, &code, b, line, (size_t)len, lineno)) < 0) {
            rc = cli_fail(err);
            goto done;
        }
        puts(ans);
        corridor_free(ans);
    }
    if (ferror(in)) {
        cli_err("%s: cannot read: %s", q.input ? q.input : "standard input", strerror(errno));
        rc = EXIT_IO;
    }
done:
    if (in && in != stdin)
        fclose(in);
    free(line);
    corridor_batch_free(b);
    free(pos);
    return rc;
}
