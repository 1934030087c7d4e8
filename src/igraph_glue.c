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

/*
 * The host program's handlers, put back when the outermost scope ends. igraph
 * keeps its handlers in process-wide variables (Debian builds it with
 * IGRAPH_THREAD_SAFE 0), so these are process-wide too: see "Threads" in
 * corridor.h.
 */
static int depth;
static igraph_error_handler_t *saved_error;
static igraph_warning_handler_t *saved_warning;

void corridor__igraph_enter(void)
{
    if (depth++ == 0) {
        saved_error = igraph_set_error_handler(error_handler);
        saved_warning = igraph_set_warning_handler(warning_handler);
    }
}

void corridor__igraph_leave(void)
{
    if (depth > 0 && --depth == 0) {
        igraph_set_error_handler(saved_error);
        igraph_set_warning_handler(saved_warning);
    }
}

int corridor__igraph_error(int err)
{
    if (err == (int)IGRAPH_ENOMEM)
        return corridor__oom();
    return corridor__error(CORRIDOR_EINTERNAL, "%s",
                           igraph_reason[0] ? igraph_reason : igraph_strerror((igraph_error_t)err));
}
