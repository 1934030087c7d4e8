/* budget.c: time limits, cancel requests and progress reports for long work. */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "budget.h"
#include "internal.h"

double corridor_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void corridor__watch_init(cor_watch *w, const corridor_budget *b, size_t total, const char *unit)
{
    w->b = b;
    w->unit = unit ? unit : "steps";
    w->done = 0;
    w->total = total;
    w->polls = 0;
    w->stopped = 0;
}

int corridor__watch_active(const cor_watch *w)
{
    return w && w->b && (w->b->deadline > 0 || w->b->cancel);
}

/* The deadline and the cancel callback; sets the message once. */
static int check(cor_watch *w)
{
    const corridor_budget *b = w->b;
    if (!w->stopped) {
        if (b->cancel && b->cancel(b->userdata))
            w->stopped = 2;
        else if (b->deadline > 0 && corridor_clock() >= b->deadline)
            w->stopped = 1;
        else
            return 0;
    }
    if (w->total)
        return corridor__error(CORRIDOR_ELIMIT, "%s after %zu of %zu %s",
                               w->stopped == 1 ? "time limit reached" : "cancelled", w->done,
                               w->total, w->unit);
    return corridor__error(CORRIDOR_ELIMIT, "%s",
                           w->stopped == 1 ? "time limit reached" : "cancelled");
}

void corridor__watch_report(cor_watch *w, size_t done)
{
    if (!w || !w->b)
        return;
    w->done = done;
    if (w->b->progress)
        w->b->progress(done, w->total, w->b->userdata);
}

int corridor__watch_step(cor_watch *w, size_t done)
{
    if (!w || !w->b)
        return 0;
    corridor__watch_report(w, done);
    w->polls = 0;
    if (w->total && done >= w->total && !w->stopped)
        return 0; /* the work is finished: a limit reached now cuts nothing */
    return corridor__watch_active(w) ? check(w) : 0;
}

int corridor__watch_poll(cor_watch *w)
{
    if (!corridor__watch_active(w))
        return 0;
    if (!w->stopped && (++w->polls & 1023u) != 0)
        return 0;
    return check(w);
}
