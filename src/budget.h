/* budget.h: checking a corridor_budget (time limit, cancel, progress) inside long work. */
#ifndef CORRIDOR_BUDGET_H
#define CORRIDOR_BUDGET_H

#include <stddef.h>

#include "corridor.h"

/**
 * One piece of long work watched against a budget (NULL: never stops, reports
 * nothing). Zero-initialise or corridor__watch_init it; nothing to free.
 */
typedef struct cor_watch {
    const corridor_budget *b;
    const char *unit; /* what a step is, for the message ("elements", "pairs") */
    size_t done, total;
    unsigned polls; /* corridor__watch_poll calls since the last clock read */
    int stopped;    /* a limit was reached: every later check fails too */
} cor_watch;

/** Starts watching `b` (may be NULL) over `total` units of work called `unit` ("pairs"). */
void corridor__watch_init(cor_watch *w, const corridor_budget *b, size_t total, const char *unit);

/**
 * A unit of work is finished (done = units finished so far, total may be
 * changed by the caller first): reports progress, then checks the deadline
 * and cancel, unless done has reached a nonzero total (the answer is complete
 * then, whatever the clock says). CORRIDOR_ELIMIT (message: what stopped it,
 * and how far it got) or 0. O(1).
 */
int corridor__watch_step(cor_watch *w, size_t done);

/**
 * Reports progress (done = units finished so far) without checking any limit:
 * for the last unit of work, whose answer is complete whatever the clock says. O(1).
 */
void corridor__watch_report(cor_watch *w, size_t done);

/**
 * For inner loops: every 1024th call reads the clock and checks as
 * corridor__watch_step does, without reporting progress. CORRIDOR_ELIMIT or 0.
 * Accepts NULL (never stops).
 */
int corridor__watch_poll(cor_watch *w);

/** 1 if the budget has a deadline or a cancel callback, i.e. polling can stop anything. */
int corridor__watch_active(const cor_watch *w);

/**
 * Makes igraph's interruption and progress hooks check `w` (NULL: stop) for
 * the calling thread: long igraph calls (betweenness, max flow) then stop with
 * IGRAPH_INTERRUPTED at the deadline; corridor__igraph_error turns that into
 * CORRIDOR_ELIMIT. (igraph 0.10 polls in few places: betweenness is split into
 * parts by analyze.c, which reports them with corridor__igraph_step.)
 */
void corridor__igraph_watch(cor_watch *w);

/** 1 if the calling thread's igraph watch has a deadline, a cancel or a progress callback. */
int corridor__igraph_watching(void);

/**
 * For work split into parts around igraph calls: `done` of `total` parts are
 * finished; reports progress and checks the limit of the calling thread's
 * igraph watch (corridor__watch_step). CORRIDOR_ELIMIT or 0; 0 without a watch.
 */
int corridor__igraph_step(size_t done, size_t total);

#endif
