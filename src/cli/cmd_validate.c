/* cmd_validate.c: `corridor validate`, checks model and scenario files. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] validate [FILE]...\n"
    "\n"
    "Checks each FILE, a model or a scenario (told apart by its \"format\"), and\n"
    "prints every problem on its own line. A scenario is also applied to MODEL\n"
    "(default: the built-in caspian) so that its targets are checked. Without FILE,\n"
    "checks MODEL. Exit 3 if any file is invalid, 4 if one cannot be read.\n";

int cmd_validate(cli *c, int argc, char **argv)
{
    char **pos = NULL;
    size_t npos = 0;
    corridor_model *base = NULL;
    int rc = cli_parse(c, argc, argv, NULL, NULL, NULL, help, &pos, &npos);
    if (rc != 0)
        return rc;
    if (npos == 0) {
        pos[npos++] = (char *)(c->model_arg ? c->model_arg : "caspian");
    }
    int worst = 0;
    for (size_t i = 0; i < npos; i++) {
        corridor_diags *d = NULL;
        corridor_validation v;
        int err = corridor_diags_new(&d);
        if (err == 0)
            err = corridor_validate_file(&v, pos[i], c->model_arg, d);
        for (size_t j = 0; j < corridor_diags_count(d); j++)
            cli_err("%s", corridor_diags_line(d, j));
        int code = 0;
        if (err == 0) {
            if (v.is_scenario)
                printf("%s: valid scenario \"%s\": %zu edits\n", pos[i], v.name, v.edits);
            else
                printf("%s: valid model \"%s\": %zu nodes, %zu edges\n", pos[i], v.name, v.nodes,
                       v.edges);
            corridor_validation_clear(&v);
        } else if (err == CORRIDOR_EINVALID) {
            if (corridor_diags_errors(d) == 0)
                cli_err("%s", corridor_error_message());
            code = EXIT_INVALID;
        } else {
            code = cli_fail(err);
        }
        corridor_diags_free(d);
        if (code == EXIT_IO || (code == EXIT_INVALID && worst != EXIT_IO))
            worst = code;
    }
    rc = worst;
    corridor_model_free(base);
    free(pos);
    return rc;
}
