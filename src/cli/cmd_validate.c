/* cmd_validate.c: `corridor validate`, checks model and scenario files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] validate [FILE]...\n"
    "\n"
    "Checks each FILE, a model or a scenario (told apart by its \"format\"), and\n"
    "prints every problem on its own line. A scenario is also applied to MODEL\n"
    "(default: the built-in caspian) so that its targets are checked. Without FILE,\n"
    "checks MODEL. FILE - reads standard input. With --format json, prints one JSON\n"
    "list of the problems of all the files: {\"file\", \"path\", \"severity\", \"message\",\n"
    "\"suggestion\"} each. Exit 3 if any file is invalid, 4 if one cannot be read.\n";

/* Validates one file (or standard input for "-") into d; an exit code. */
static int validate_one(cli *c, const char *path, corridor_diags *d, corridor_validation *v)
{
    int err;
    if (strcmp(path, "-") == 0) {
        const char *text = NULL;
        size_t len = 0;
        int rc = cli_read_stdin(c, path, &text, &len);
        if (rc != 0)
            return rc;
        err = corridor_validate_string(v, text, len, CLI_STDIN_NAME, c->model_arg, d);
    } else {
        err = corridor_validate_file(v, path, c->model_arg, d);
    }
    switch (err) {
    case 0:
        return 0;
    case CORRIDOR_EINVALID:
        return EXIT_INVALID;
    case CORRIDOR_EUSAGE:
        return EXIT_USAGE;
    default:
        return EXIT_IO;
    }
}

/* The table form: the problems on stderr, a summary line per valid file. */
static void report_text(const char *path, const corridor_diags *d, const corridor_validation *v,
                        int code)
{
    for (size_t j = 0; j < corridor_diags_count(d); j++)
        cli_err("%s", corridor_diags_line(d, j));
    if (code != 0)
        return;
    if (v->is_scenario)
        printf("%s: valid scenario \"%s\": %zu edits\n", path, v->name, v->edits);
    else
        printf("%s: valid model \"%s\": %zu nodes, %zu edges\n", path, v->name, v->nodes, v->edges);
}

/* Appends the elements of a JSON list ("[a,b]") to the list being printed. */
static int report_json(const corridor_diags *d, int *first)
{
    char *text = NULL;
    int err = corridor_diags_json(&text, d);
    if (err < 0)
        return cli_fail(err);
    size_t len = strlen(text);
    if (len > 2) {
        printf("%s%.*s", *first ? "" : ",", (int)(len - 2), text + 1);
        *first = 0;
    }
    corridor_free(text);
    return 0;
}

int cmd_validate(cli *c, int argc, char **argv)
{
    char **pos = NULL;
    size_t npos = 0;
    int rc = cli_parse(c, argc, argv, NULL, NULL, NULL, help, &pos, &npos);
    if (rc != 0)
        return rc;
    if ((rc = cli_check_format(c, (1u << FMT_TABLE) | (1u << FMT_JSON))) != 0)
        goto done;
    if (npos == 0)
        pos[npos++] = (char *)(c->model_arg ? c->model_arg : "caspian");
    int worst = 0, first = 1;
    if (c->format == FMT_JSON)
        printf("[");
    for (size_t i = 0; i < npos && rc == 0; i++) {
        corridor_diags *d = NULL;
        corridor_validation v;
        memset(&v, 0, sizeof v);
        if (corridor_diags_new(&d) < 0) {
            rc = cli_fail(CORRIDOR_ENOMEM);
            break;
        }
        int code = validate_one(c, pos[i], d, &v);
        if (code == EXIT_USAGE && corridor_diags_count(d) == 0)
            rc = code; /* stdin taken twice: printed already */
        else if (c->format == FMT_JSON)
            rc = report_json(d, &first);
        else
            report_text(strcmp(pos[i], "-") == 0 ? CLI_STDIN_NAME : pos[i], d, &v, code);
        corridor_validation_clear(&v);
        corridor_diags_free(d);
        if (code == EXIT_IO || (code == EXIT_INVALID && worst != EXIT_IO))
            worst = code;
    }
    if (c->format == FMT_JSON)
        printf("]\n");
    if (rc == 0)
        rc = worst;
done:
    free(pos);
    return rc;
}
