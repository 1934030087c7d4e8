/* igraph_glue.c: makes igraph report errors to us instead of aborting or printing. */
#include <igraph.h>

#include "internal.h"

static _Thread_local char igraph_reason[512];

static void error_handler(const char *reason, const char *file, int line, igraph_error_t err)
{
    (void)file;
    (void)line;
    snprintf(igraph_reason, sizeof igraph_reason, "igraph: %s (%s)", reason ? reason : "",
             igraph_strerror((igraph_error_t)err));
    IGRAPH_FINALLY_FREE();
}

static void warning_handler(const char *reason, const char *file, int line)
{
    (void)reason;
    (void)file;
    (void)line;
}

void corridor__igraph_init(void)
{
    igraph_set_error_handler(error_handler);
    igraph_set_warning_handler(warning_handler);
}

int corridor__igraph_error(int err)
{
    if (err == (int)IGRAPH_ENOMEM)
        return corridor__oom();
    return corridor__error(CORRIDOR_EINTERNAL, "%s",
                           igraph_reason[0] ? igraph_reason : igraph_strerror((igraph_error_t)err));
}
