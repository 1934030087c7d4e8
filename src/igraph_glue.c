/* igraph_glue.c: makes igraph report errors to us instead of aborting or printing. */
#include <igraph.h>

#include "budget.h"
#include "internal.h"

static _Thread_local char igraph_reason[512];
static _Thread_local cor_watch *igraph_watch; /* the budget long igraph calls check, or NULL */
static _Thread_local int igraph_stopped;      /* the last interruption came from the watch */

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

/* igraph polls this in its long loops: stop at the watch's deadline or on cancel. */
static igraph_error_t interruption_handler(void *data)
{
    (void)data;
    cor_watch *w = igraph_watch;
    if (w && corridor__watch_poll(w) < 0) {
        igraph_stopped = 1;
        IGRAPH_FINALLY_FREE(); /* the interrupted call returns at once, without its cleanup */
        return IGRAPH_INTERRUPTED;
    }
    return IGRAPH_SUCCESS;
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
static igraph_interruption_handler_t *saved_interruption;

void corridor__igraph_enter(void)
{
    if (depth++ == 0) {
        saved_error = igraph_set_error_handler(error_handler);
        saved_warning = igraph_set_warning_handler(warning_handler);
        saved_interruption = igraph_set_interruption_handler(interruption_handler);
    }
}

void corridor__igraph_leave(void)
{
    if (depth > 0 && --depth == 0) {
        igraph_set_error_handler(saved_error);
        igraph_set_warning_handler(saved_warning);
        igraph_set_interruption_handler(saved_interruption);
    }
}

int corridor__igraph_watching(void)
{
    cor_watch *w = igraph_watch;
    return w && w->b && (w->b->progress || corridor__watch_active(w));
}

int corridor__igraph_step(size_t done, size_t total)
{
    cor_watch *w = igraph_watch;
    if (!w)
        return 0;
    w->total = total;
    return corridor__watch_step(w, done);
}

void corridor__igraph_watch(cor_watch *w)
{
    igraph_watch = w;
    igraph_stopped = 0;
}

int corridor__igraph_error(int err)
{
    if (err == (int)IGRAPH_ENOMEM)
        return corridor__oom();
    if (err == (int)IGRAPH_INTERRUPTED && igraph_stopped) {
        char why[256]; /* the watch's message, copied: corridor__error overwrites it */
        snprintf(why, sizeof why, "%s", corridor_error_message());
        return corridor__error(CORRIDOR_ELIMIT, "%s", why[0] ? why : "time limit reached");
    }
    return corridor__error(CORRIDOR_EINTERNAL, "%s",
                           igraph_reason[0] ? igraph_reason : igraph_strerror((igraph_error_t)err));
}
