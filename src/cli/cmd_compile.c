/* cmd_compile.c: `corridor compile`, the binary, memory-mapped form of a model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-s SCENARIO]... compile [MODEL] -o FILE.corridor\n"
    "\n"
    "Writes MODEL (default: -m MODEL, else the built-in caspian), after any\n"
    "scenarios, in the compiled form: a checksummed binary file that -m FILE loads\n"
    "by memory-mapping, with no parsing, and on which every command gives the same\n"
    "answers as on the JSON model. Compile again after upgrading corridor or\n"
    "moving to a machine of another byte order: an unreadable compiled file is an\n"
    "error (exit 3) that says so. docs/compiled.md describes the format.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   where to write (required; written whole or not at all)\n"
    "  -m MODEL, -s SCENARIO   as for every command\n";

static int compile_opt(cli *c, void *ud, int id, const char *arg)
{
    (void)c;
    if (id == OPT_OUTPUT)
        *(const char **)ud = arg;
    return 0;
}

static const cli_opt compile_opts[] = {{"output", 'o', 1, OPT_OUTPUT}, {NULL, 0, 0, 0}};

int cmd_compile(cli *c, int argc, char **argv)
{
    const char *output = NULL;
    char **pos = NULL;
    size_t npos = 0;
    int rc = cli_parse(c, argc, argv, compile_opts, compile_opt, &output, help, &pos, &npos);
    if (rc != 0)
        goto done;
    if (npos > 1 || (npos == 1 && c->model_arg)) {
        rc = cli_usage(c, "compile takes one model (MODEL or -m MODEL)");
        goto done;
    }
    if (npos == 1)
        c->model_arg = pos[0];
    if (!output || strcmp(output, "-") == 0) {
        rc = cli_usage(c, "compile needs -o FILE (a binary file, not standard output)");
        goto done;
    }
    if ((rc = cli_check_output(c, output, NULL, 0)) != 0 || (rc = cli_load(c)) != 0)
        goto done;
    int err = corridor_model_compile(c->model, output);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    char hash[17];
    struct stat st;
    if (corridor_model_hash(hash, c->model) < 0)
        hash[0] = '\0';
    cli_err("wrote %s: %zu nodes, %zu edges, %lld bytes, model hash %s", output,
            corridor_model_node_count(c->model), corridor_model_edge_count(c->model),
            stat(output, &st) == 0 ? (long long)st.st_size : -1LL, hash);
done:
    free(pos);
    return rc;
}
