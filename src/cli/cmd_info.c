/* cmd_info.c: `corridor info`, counts by kind, mode, corridor, country and status. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char help[] =
    "usage: corridor [-m MODEL] [-s SCENARIO]... info [--format table|json|csv]\n"
    "\n"
    "Counts the model's nodes by kind and country, edges by mode and corridor, and\n"
    "elements by status, and lists the loader's warnings.\n";

static void section(const char *title, const corridor_count *c, size_t n)
{
    printf("\n%s\n", title);
    for (size_t i = 0; i < n; i++)
        printf("  %-28s %6zu\n", c[i].key, c[i].count);
}

static void csv_rows(const char *what, const corridor_count *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("%s,", what);
        cli_csv_field(stdout, c[i].key);
        printf(",%zu\n", c[i].count);
    }
}

int cmd_info(cli *c, int argc, char **argv)
{
    char **pos = NULL;
    size_t npos = 0;
    corridor_info *info = NULL;
    int rc = cli_parse(c, argc, argv, NULL, NULL, NULL, help, &pos, &npos);
    if (rc != 0)
        return rc;
    if (npos > 0) {
        rc = cli_usage(c, "info takes no arguments (got '%s')", pos[0]);
        goto done;
    }
    if ((rc = cli_load(c)) != 0)
        goto done;
    int err = corridor_model_info(&info, c->model);
    if (err < 0) {
        rc = cli_fail(err);
        goto done;
    }
    if (c->format == FMT_JSON) {
        char *text = NULL;
        if ((err = corridor_info_json(&text, info)) < 0) {
            rc = cli_fail(err);
            goto done;
        }
        cli_print_json(text);
    } else if (c->format == FMT_CSV) {
        printf("section,key,count\n");
        printf("total,nodes,%zu\ntotal,edges,%zu\ntotal,corridors,%zu\ntotal,countries,%zu\n",
               info->nodes, info->edges, info->corridors, info->countries);
        csv_rows("kind", info->by_kind, info->n_by_kind);
        csv_rows("mode", info->by_mode, info->n_by_mode);
        csv_rows("corridor", info->by_corridor, info->n_by_corridor);
        csv_rows("country", info->by_country, info->n_by_country);
        csv_rows("status", info->by_status, info->n_by_status);
    } else {
        printf("%s (%s)\n", info->name, corridor_model_origin(c->model));
        printf("  %zu nodes, %zu edges, %zu corridors, %zu countries\n", info->nodes, info->edges,
               info->corridors, info->countries);
        section("Nodes by kind", info->by_kind, info->n_by_kind);
        section("Edges by mode", info->by_mode, info->n_by_mode);
        section("Edges by corridor", info->by_corridor, info->n_by_corridor);
        section("Nodes by country", info->by_country, info->n_by_country);
        section("Nodes and edges by status", info->by_status, info->n_by_status);
        printf("\nWarnings: %zu\n", info->n_warnings);
        for (size_t i = 0; i < info->n_warnings; i++)
            printf("  %s\n", info->warnings[i]);
    }
done:
    corridor_info_free(info);
    free(pos);
    return rc;
}
