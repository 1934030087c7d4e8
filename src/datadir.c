/* datadir.c: shipped data (models, scenarios, mappings) found by name in the install prefix or the
 * source tree. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "datadir.h"
#include "internal.h"

/* Set by the Makefile: PREFIX/share/corridor and the source tree ("" to leave one out). */
#ifndef CORRIDOR_DATADIR
#define CORRIDOR_DATADIR "/usr/local/share/corridor"
#endif
#ifndef CORRIDOR_SRCDIR
#define CORRIDOR_SRCDIR ""
#endif

/* 1 if rel is a plain relative path: not empty, not absolute, no ".." component. */
static int rel_ok(const char *rel)
{
    if (!rel || !*rel || rel[0] == '/')
        return 0;
    for (const char *p = rel; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 0;
        p += n;
        p += *p == '/';
    }
    return 1;
}

int corridor_data_path(char **out, const char *rel)
{
    const char *env = getenv("CORRIDOR_DATA");
    const char *dirs[3] = {env, CORRIDOR_DATADIR, CORRIDOR_SRCDIR};
    const char *what[3] = {"$CORRIDOR_DATA", NULL, NULL};
    cor_buf searched;
    int err = 0;
    *out = NULL;
    if (!rel_ok(rel))
        return corridor__error(CORRIDOR_EUSAGE,
                               "data file \"%s\": expected a relative path without \"..\"",
                               rel ? rel : "");
    corridor__buf_init(&searched);
    for (size_t i = 0; i < 3; i++) {
        struct stat st;
        char *path = NULL;
        if (!dirs[i] || !*dirs[i])
            continue;
        if (!(path = corridor__asprintf("%s/%s", dirs[i], rel))) {
            err = corridor__oom();
            goto done;
        }
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            *out = path;
            goto done;
        }
        free(path);
        corridor__buf_printf(&searched, "%s%s%s%s", searched.len ? ", " : "", dirs[i],
                             what[i] ? " = " : "", what[i] ? what[i] : "");
    }
    err = corridor__error(CORRIDOR_EIO, "no shipped data file %s (searched: %s)", rel,
                          searched.data ? searched.data : "nothing: no data folder is set");
done:
    corridor__buf_free(&searched);
    return err;
}

/*
 * The shipped file DIR/NAME.json of a name that is no file (ENOENT) and has
 * no '/': 0 with *path set, 1 if not a name to look up, < 0 on error.
 */
int corridor__data_named(char **path, const char *dir, const char *name)
{
    struct stat st;
    char *rel = NULL;
    int err = 0;
    *path = NULL;
    if (!name || !*name || strchr(name, '/') || stat(name, &st) == 0 || errno != ENOENT)
        return 1;
    size_t n = strlen(name);
    int has_ext = n > 5 && strcmp(name + n - 5, ".json") == 0;
    if (!(rel = corridor__asprintf("%s/%s%s", dir, name, has_ext ? "" : ".json")))
        return corridor__oom();
    err = corridor_data_path(path, rel);
    free(rel);
    return err;
}

/* "NAME: no such file, and no shipped KIND of that name (searched: ...)", CORRIDOR_EIO. */
int corridor__data_not_found(const char *name, const char *kind)
{
    char *why = corridor__strdup(corridor_error_message());
    const char *s = why ? strstr(why, "(searched") : NULL;
    int err = corridor__error(CORRIDOR_EIO, "%s: no such file, and no shipped %s of that name %s",
                              name, kind, s ? s : "");
    free(why);
    return err;
}

int corridor_scenario_open(corridor_scenario **out, const char *name_or_path, corridor_diags *diags)
{
    char *path = NULL;
    *out = NULL;
    int err = corridor__data_named(&path, "graphs/scenarios", name_or_path);
    if (err == 1)
        return corridor_scenario_load_file(out, name_or_path, diags);
    if (err == CORRIDOR_EIO)
        return corridor__data_not_found(name_or_path, "scenario");
    if (err < 0)
        return err;
    err = corridor_scenario_load_file(out, path, diags);
    free(path);
    return err;
}
