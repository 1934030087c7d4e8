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
    /* with a total set (corridor__igraph_expect), each call is one unit of progress */
    if (w && w->b && w->b->progress && w->total > 0 && w->done < w->total)
        w->b->progress(++w->done, w->total, w->b->userdata);
    if (w && corridor__watch_poll(w) < 0) {
        igraph_stopped = 1;
        IGRAPH_FINALLY_FREE(); /* the interrupted call returns at once, without its cleanup */
        return IGRAPH_INTERRUPTED;
    }
    return IGRAPH_SUCCESS;
}

/* igraph's own progress, in percent, as done = 0..1000 of 1000 (only for a watch without units). */
static igraph_error_t progress_handler(const char *message, igraph_real_t percent, void *data)
{
    (void)message;
    (void)data;
    cor_watch *w = igraph_watch;
    if (w && w->b && w->b->progress && w->total == 0 && percent >= 0 && percent <= 100)
        w->b->progress((size_t)(percent * 10), 1000, w->b->userdata);
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
static igraph_progress_handler_t *saved_progress;

void corridor__igraph_enter(void)
{
    if (depth++ == 0) {
        saved_error = igraph_set_error_handler(error_handler);
        saved_warning = igraph_set_warning_handler(warning_handler);
        saved_interruption = igraph_set_interruption_handler(interruption_handler);
        saved_progress = igraph_set_progress_handler(progress_handler);
    }
}

void corridor__igraph_leave(void)
{
    if (depth > 0 && --depth == 0) {
        igraph_set_error_handler(saved_error);
        igraph_set_warning_handler(saved_warning);
        igraph_set_interruption_handler(saved_interruption);
        igraph_set_progress_handler(saved_progress);
    }
}

void corridor__igraph_expect(size_t calls)
{
    if (igraph_watch) {
        igraph_watch->total = calls;
        igraph_watch->done = 0;
    }
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
