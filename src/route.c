/* route.c: route options: the exact k cheapest multimodal routes (A* over partial routes). */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include <cJSON.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "budget.h"
#include "internal.h"
#include "json_internal.h"
#include "network.h"
#include "radix_heap.h"
#include "route_internal.h"
#include "route_query.h"

/*
 * How it works
 * ------------
 * A route is a sequence of legs (origin -> via 1 -> ... -> destination), each
 * a simple path with at least one edge. Its value is the sum of its arcs plus,
 * at every intermediate node (via nodes included), the node's dwell and, if
 * the class changes there, its transfer.
 *
 * 1. Lower bounds. For each leg, from the last to the first, a reverse
 *    Dijkstra over states (node, class of arrival) gives H(leg, v, c): the
 *    cheapest way to finish the route from v having arrived by class c (class
 *    NONE: standing at the origin, no dwell or transfer). The last leg is
 *    seeded with 0 at the destination nodes, leg i with H(i + 1, v, c) at the
 *    via nodes of leg i. H ignores simplicity, so it never overestimates, and
 *    being a shortest-path distance it is consistent. Only states the search
 *    can ask for are computed: (v, c) where an arc of class c enters v, and
 *    (origin, NONE). Each state also keeps the arc of its bound's own
 *    completion (the first relaxation that reached its final value), which
 *    steps 2 and 3 follow; so which of equal-valued completions a state
 *    keeps is part of the answer: states settle in a fixed order, least bound
 *    first and, among equal bounds, the larger id v * (C + 1) + c, each
 *    relaxing the arcs entering its node in arc order (tests/unit/
 *    test_route_bounds.c checks bounds and completions against a plain
 *    implementation of that order). The queue is a radix heap that pops in
 *    that order (radix_heap.h, mode by_id); the states are taken from it in
 *    batches that settle exactly as one at a time would (lower_bounds), so
 *    that the memory each needs (its arcs, their tails' states) is fetched
 *    for the whole batch at once. The arcs come from the network's own lists
 *    of arcs entering each node (nothing is built per query), and the
 *    bounds' arrays are on huge pages where the system has them (big_alloc).
 *    At 1.0M edges (812k states, 1.2M pops) this takes about 0.11 s; one
 *    state at a time on a binary heap, 0.19 s (bench/README.md, route_floor).
 * 2. Best-first search over partial routes ("labels": leg, node, class of
 *    arrival, value g, parent label, arc), by f = g + H. A label is expanded by
 *    every arc whose head is not already on the label's current leg (the leg
 *    prefix's nodes are kept marked, see struct chain). A label at a via node
 *    of its leg also switches to the next leg; a label at a destination node
 *    in the last leg is a complete route. Complete routes come out in
 *    non-decreasing value (f never overestimates and only grows along a
 *    branch), so the first k distinct ones are exactly the k best. Equal edge
 *    sequences can only come from different leg splits at via places with
 *    several nodes; they are dropped.
 * 3. Prefix-aware bounds. H may be realised only by going back through the
 *    label's own prefix (a dead end, a pocket behind the route): then every
 *    simple continuation costs more and, without care, the search would
 *    enumerate the pocket's paths. So when a label is popped, the completion
 *    that realises H is followed; if it runs into the prefix, the label's
 *    bound is recomputed by an A* that avoids the prefix (still admissible),
 *    and the label is requeued with it, or dropped if the leg's end is out of
 *    reach. The child along a clean completion inherits it without a check.
 * 4. Many searches on one network (struct cor_router, route_internal.h):
 *    criticality asks for the best route of one pair again and again, each
 *    time with one element taken out. The network and its indexes are built
 *    once, the bounds H once per destination. Taking an element out only
 *    raises costs, so H stays admissible and consistent: it is reused as is,
 *    and the element is treated like a prefix node (an arc to the node, or an
 *    arc of the edge, is never taken, and a bound's completion that uses it
 *    counts as running into the prefix). One A* from the origins that avoids
 *    the element then gives the cheapest walk; if there is none the element
 *    disconnects the pair, if it visits no node twice it is the best route.
 *    Else (a loop that saves a transfer) an A* over arcs that never turns
 *    straight back to the node it just left (the usual loop: a road out, a
 *    rail back) gives the cheapest such walk; if it is simple it is the best
 *    route, else the search of 2 decides. (Without this step a pair whose
 *    bounds all include such a loop paid a full search per element: 30 times
 *    slower, bench/bench_critical.sh.)
 *
 * The search keeps at most MAX_LABELS partial routes (24 bytes each plus 16
 * in the queue, about 800 MB at the cap) and settles at most MAX_BOUND_WORK
 * states in prefix-aware bounds, and then stops with CORRIDOR_ELIMIT
 * "search limit reached" (corridor_route_find keeps the routes found so far)
 * instead of exhausting memory or running for hours. A budget (corridor.h,
 * "Bounded time and progress") is polled every 1024 label expansions and
 * bound steps.
 */

#define MAX_LABELS     20000000u
#define MAX_BOUND_WORK 200000000u /* states settled by the prefix-aware bounds, in all */

/* ------------------------------------------------------------ binary heap */

/* Smaller key first; on ties the larger id (the later, deeper label). */
static int hless(const hentry *x, const hentry *y)
{
    return x->key < y->key || (x->key == y->key && x->id > y->id);
}

int cor_heap_push(heap *h, double key, size_t id)
{
    if (h->n == h->cap) {
        size_t nc = h->cap ? 2 * h->cap : 1024;
        hentry *na = realloc(h->a, nc * sizeof *na);
        if (!na)
            return corridor__oom();
        h->a = na;
        h->cap = nc;
    }
    hentry e = {key, id};
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!hless(&e, &h->a[p]))
            break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i] = e;
    return 0;
}

hentry cor_heap_pop(heap *h)
{
    hentry top = h->a[0];
    hentry last = h->a[--h->n];
    size_t i = 0, n = h->n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && hless(&h->a[c + 1], &h->a[c]))
            c++;
        if (!hless(&h->a[c], &last))
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (n)
        h->a[i] = last;
    return top;
}

/* ------------------------------------------------------------- the query */

/* 1 if the search may not use arc a: it belongs to the edge taken out. */
static int arc_out(const query *q, size_t a)
{
    return q->net.arc_edge[a] == q->rm_edge;
}

/*
 * The lower bounds' Dijkstra over one leg (see "How it works", 1), in
 * batches. States pop in the order of the reference binary heap (cor_heap:
 * least key, then larger id; the radix heap's mode by_id), a batch being the
 * next states to pop whose keys are below the first one's plus the least arc
 * weight w_min: settling one of them pushes only keys at or above that
 * (weights and penalties are >= 0, and rounding is monotone), so no push
 * could have come before a later state of the batch, and the batch settles
 * exactly as one pop at a time would. It only lets the arcs and the tails'
 * states of the whole batch be fetched from memory at once, instead of one
 * cache miss after the other.
 */
#define BATCH 64

typedef struct bstate {
    double key;
    uint32_t u, c;     /* node, class */
    size_t first, end; /* its node's entering arcs: net.in_arc[first .. end) */
} bstate;

typedef struct bounds_run {
    query *q;
    double *arr;   /* the leg's bounds, q->h */
    uint32_t *via; /* the leg's completions, q->arr_arc */
    unsigned S;    /* the queue's id of state (v, c) is v << S | c (see lower_bounds) */
    bstate bt[BATCH];
    size_t nb;
} bounds_run;

/* Pops the next batch into r->bt (the heap is not empty), fetching the states' bounds. */
static int bounds_pop(bounds_run *r)
{
    cor_rheap *hp = &r->q->bh;
    const size_t *in_start = r->q->net.in_start;
    const double *arr = r->arr;
    bstate *bt = r->bt;
    unsigned S = r->S;
    size_t C1 = r->q->C + 1, mask = ((size_t)1 << S) - 1, nb = 0;
    double step = r->q->w_min > 0 ? r->q->w_min : 0.0, limit = 0.0, peek;
    do {
        cor_rentry e;
        int err = cor_rheap_pop(hp, &e);
        if (err < 0)
            return err;
        size_t u = e.id >> S, c = e.id & mask;
        if (nb == 0)
            limit = e.key + step;
        bt[nb].key = e.key;
        bt[nb].u = (uint32_t)u;
        bt[nb].c = (uint32_t)c;
        nb++;
        __builtin_prefetch(&arr[u * C1 + c]);
        __builtin_prefetch(&in_start[u]);
    } while (nb < BATCH && cor_rheap_peek_key(hp, &peek) && peek < limit);
    r->nb = nb;
    return 0;
}

/* Drops the batch's stale states and NONE states, then fetches their arcs and the tails' states. */
static void bounds_fetch(bounds_run *r)
{
    const query *q = r->q;
    const cor_network *net = &q->net;
    const uint32_t *in_arc = net->in_arc, *from = net->arc_from;
    const size_t *in_start = net->in_start;
    const double *arr = r->arr;
    bstate *bt = r->bt;
    size_t C = q->C, C1 = C + 1, m = 0, nb = r->nb;
    for (size_t k = 0; k < nb; k++) {
        bstate b = bt[k];
        if (b.key > arr[b.u * C1 + b.c] || b.c == C)
            continue;
        b.first = in_start[b.u];
        b.end = in_start[b.u + 1];
        __builtin_prefetch(&in_arc[b.first]);
        bt[m++] = b;
    }
    r->nb = m;
    for (size_t k = 0; k < m; k++) {
        for (size_t i = bt[k].first; i < bt[k].end; i++) {
            size_t a = in_arc[i];
            __builtin_prefetch(&from[a]);
            __builtin_prefetch(&net->arc_class[a]);
            __builtin_prefetch(&q->w[a]);
        }
    }
    for (size_t k = 0; k < m; k++) {
        for (size_t i = bt[k].first; i < bt[k].end; i++) {
            size_t v = from[in_arc[i]];
            __builtin_prefetch(&arr[v * C1]);
            __builtin_prefetch(&r->via[v * C1]);
            __builtin_prefetch(&q->dwell[v]);
            __builtin_prefetch(&q->transfer[v]);
        }
    }
}

/*
 * Settles state b: along each arc a = v -> u of its class,
 * H(v, c2) <= cor_penalty(v, c2, class(a)) + w(a) + H(u, class(a)),
 * for the states (v, c2) the search can ask for (q->want).
 */
static int bounds_settle(bounds_run *r, const bstate *b)
{
    const query *q = r->q;
    const cor_network *net = &q->net;
    const uint32_t *in_arc = net->in_arc, *from = net->arc_from, *cls = net->arc_class;
    const double *w = q->w, *dwell = q->dwell, *transfer = q->transfer;
    double *arr = r->arr, key = b->key;
    uint32_t *via = r->via;
    size_t C = q->C, C1 = C + 1, c = b->c, end = b->end;
    unsigned S = r->S;
    cor_rheap *hp = &r->q->bh;
    for (size_t i = b->first; i < end; i++) {
        uint32_t a = in_arc[i];
        if (cls[a] != c)
            continue;
        size_t v = from[a];
        double base = w[a] + key;
        for (size_t c2 = 0; c2 < C1; c2++) {
            double d = c2 == C ? base : cor_penalty(dwell[v], transfer[v], c2, c) + base;
            size_t s2 = v * C1 + c2;
            if (d < arr[s2]) { /* never for a state the search does not ask for (NaN) */
                arr[s2] = d;
                via[s2] = a;
                int err = cor_rheap_push(hp, d, v << S | c2);
                if (err < 0)
                    return err;
            }
        }
    }
    return 0;
}

/*
 * Cost-to-go lower bounds of one leg (see "How it works", 1): Dijkstra from
 * the leg's end over arrival states, backwards along each arc (bounds_settle).
 */
static int lower_bounds(query *q, size_t leg)
{
    const cor_network *net = &q->net;
    size_t n = q->n, C = q->C, C1 = C + 1;
    const double *next = leg + 1 < q->n_legs ? &q->h[(leg + 1) * n * C1] : NULL;
    bounds_run run, *r = &run;
    int err = 0;
    r->q = q;
    r->arr = &q->h[leg * n * C1];
    r->via = &q->arr_arc[leg * n * C1];
    /* ids ordered as v * C1 + c (so ties break alike) but taken apart with a shift */
    for (r->S = 0; ((size_t)1 << r->S) < C1;)
        r->S++;
    /* NaN marks the states the search never asks for (q->want): no value is below it, so
       bounds_settle needs no test of its own; they read INFINITY again at the end */
    for (size_t v = 0; v < n; v++)
        for (size_t c = 0; c < C1; c++)
            r->arr[v * C1 + c] = !q->want || (q->want[v] >> c & 1) ? INFINITY : NAN;
    cor_rheap_clear(&q->bh);
    q->bh.by_id = 1; /* the order of cor_heap */
    for (size_t v = 0; v < n && err == 0; v++) {
        if (!q->target[leg * n + v] || !net->node_ok[v])
            continue;
        for (size_t c = 0; c < C1 && err == 0; c++) {
            double val = next ? (c < C ? next[v * C1 + c] : INFINITY) : 0.0;
            if (val < INFINITY) { /* each state once; may be one the search never asks for */
                r->arr[v * C1 + c] = val;
                r->via[v * C1 + c] = SEED;
                err = cor_rheap_push(&q->bh, val, v << r->S | c);
            }
        }
    }
    while (err == 0 && q->bh.size && (err = bounds_pop(r)) == 0) {
        bounds_fetch(r);
        for (size_t k = 0; k < r->nb && err == 0; k++)
            err = bounds_settle(r, &r->bt[k]);
    }
    for (size_t i = 0; i < n * C1; i++)
        if (isnan(r->arr[i]))
            r->arr[i] = INFINITY;
    return err;
}

/*
 * H(o, NONE) of the first leg for the origins that the last lower_bounds run
 * skipped (a new origin with the same destination): the cheapest first arc
 * plus the bound of the state it reaches, as lower_bounds would have set it.
 */
static void origin_bounds(query *q)
{
    const cor_network *net = &q->net;
    size_t C = q->C, C1 = C + 1;
    if (!q->want)
        return; /* every state was computed */
    for (size_t i = 0; i < q->n_place[0]; i++) {
        size_t o = q->place[0][i];
        if (q->want[o] >> C & 1)
            continue;
        q->want[o] |= (uint64_t)1 << C;
        double best = INFINITY;
        uint32_t via = SEED;
        if (q->n_legs == 1 && q->target[o] && net->node_ok[o])
            best = 0.0;
        for (size_t j = net->out_start[o]; j < net->out_start[o + 1]; j++) {
            size_t a = net->out_arc[j];
            double d = q->w[a] + q->h[net->arc_to[a] * C1 + net->arc_class[a]];
            if (d < best) {
                best = d;
                via = (uint32_t)a;
            }
        }
        q->h[o * C1 + C] = best;
        q->arr_arc[o * C1 + C] = via;
    }
}

/* Makes the chain the leg prefix of label li. */
void cor_chain_set(chain *ch, const label *labs, uint32_t li)
{
    size_t nt = 0, keep = 0;
    for (uint32_t x = li;; x = labs[x].parent) {
        uint32_t v = labs[x].node;
        if (ch->on[v] && ch->lab[ch->pos[v]] == x) {
            keep = ch->pos[v] + 1;
            break;
        }
        ch->tmp[nt++] = x;
        if (labs[x].arc == NOARC)
            break;
    }
    while (ch->len > keep)
        ch->on[labs[ch->lab[--ch->len]].node] = 0;
    while (nt) {
        uint32_t y = ch->tmp[--nt], v = labs[y].node;
        ch->on[v] = 1;
        ch->pos[v] = (uint32_t)ch->len;
        ch->lab[ch->len++] = y;
    }
}

/* Unmarks the whole prefix (the labels are about to be reused). */
void cor_chain_clear(chain *ch, const label *labs)
{
    while (ch->len > 0)
        ch->on[labs[ch->lab[--ch->len]].node] = 0;
}

/* Marks (on = 1) or unmarks the node taken out: to the search it is like a prefix node. */
static void mark_removed(const query *q, unsigned char *on, unsigned char val)
{
    if (q->rm_node != UNSET)
        on[q->rm_node] = val;
}

int cor_found_add(query *q, uint32_t *arcs, size_t len, double g)
{
    for (size_t f = 0; f < q->n_found; f++) {
        if (q->found[f].n == len && memcmp(q->found[f].arcs, arcs, len * sizeof *arcs) == 0) {
            free(arcs);
            return 0;
        }
    }
    if (q->accept) {
        int ok = q->accept(q->accept_ud, q, arcs, len);
        if (ok <= 0) {
            free(arcs);
            return ok < 0 ? ok : 0;
        }
    }
    if (q->n_found == q->cap_found) {
        size_t nc = q->cap_found ? 2 * q->cap_found : 16;
        found *nf = realloc(q->found, nc * sizeof *nf);
        if (!nf) {
            free(arcs);
            return corridor__oom();
        }
        q->found = nf;
        q->cap_found = nc;
    }
    q->found[q->n_found].arcs = arcs;
    q->found[q->n_found].n = len;
    q->found[q->n_found].g = g;
    q->n_found++;
    return 0;
}

void cor_found_clear(query *q)
{
    for (size_t i = 0; q->found && i < q->n_found; i++)
        free(q->found[i].arcs);
    q->n_found = 0;
}

int cor_label_arcs(uint32_t **out, size_t *len, const label *labs, uint32_t li)
{
    size_t n = 0;
    for (uint32_t x = li; x != NOLAB; x = labs[x].parent)
        n += labs[x].arc != NOARC;
    uint32_t *arcs = malloc((n + 1) * sizeof *arcs);
    *out = NULL;
    *len = 0;
    if (!arcs)
        return corridor__oom();
    size_t i = n;
    for (uint32_t x = li; x != NOLAB; x = labs[x].parent)
        if (labs[x].arc != NOARC)
            arcs[--i] = labs[x].arc;
    *out = arcs;
    *len = n;
    return 0;
}

/* Records the route ending at label `li` unless an equal edge sequence was found. */
static int emit(query *q, const label *labs, uint32_t li)
{
    uint32_t *arcs = NULL;
    size_t len = 0;
    int err = cor_label_arcs(&arcs, &len, labs, li);
    return err < 0 ? err : cor_found_add(q, arcs, len, labs[li].g);
}

/*
 * Adds a label and queues it with priority f; ELIMIT at the cap `max` (a
 * router's scratch may already hold more room than a lowered cap allows).
 */
static int add_label(label **labs, size_t *n, size_t *cap, heap *hp, label l, double f, size_t max)
{
    if (*n == *cap || *n >= max) {
        if (*n >= max)
            return corridor__error(CORRIDOR_ELIMIT,
                                   "search limit reached (%zu partial routes): ask for fewer "
                                   "options or narrow the network (--avoid, --status)",
                                   max);
        size_t nc = *cap ? 2 * *cap : 4096;
        if (nc > max)
            nc = max;
        label *nl = realloc(*labs, nc * sizeof *nl);
        if (!nl)
            return corridor__oom();
        *labs = nl;
        *cap = nc;
    }
    (*labs)[*n] = l;
    int err = cor_heap_push(hp, f, *n);
    if (err == 0)
        (*n)++;
    return err;
}

void cor_scratch_free(scratch *s)
{
    free(s->labs);
    free(s->hp.a);
    free(s->ch.lab);
    free(s->ch.pos);
    free(s->ch.on);
    free(s->ch.tmp);
    free(s->tt.g);
    free(s->tt.seen);
    free(s->tt.closed);
    free(s->tt.wstamp);
    free(s->tt.from);
    free(s->tt.arc);
    free(s->tt.hp.a);
    free(s->tw.g);
    free(s->tw.seen);
    free(s->tw.closed);
    free(s->tw.parent);
    memset(s, 0, sizeof *s);
}

int cor_scratch_alloc(scratch *s, size_t n, size_t C1)
{
    if (s->ch.on)
        return 0; /* all allocated (a failed attempt frees everything) */
    size_t ns = n * C1 + 1;
    s->ch.lab = malloc((n + 1) * sizeof *s->ch.lab);
    s->ch.pos = malloc((n + 1) * sizeof *s->ch.pos);
    s->ch.tmp = malloc((n + 1) * sizeof *s->ch.tmp);
    s->tt.g = malloc(ns * sizeof *s->tt.g);
    s->tt.seen = calloc(ns, sizeof *s->tt.seen);
    s->tt.closed = calloc(ns, sizeof *s->tt.closed);
    s->tt.wstamp = calloc(n + 1, sizeof *s->tt.wstamp);
    s->tt.from = malloc(ns * sizeof *s->tt.from);
    s->tt.arc = malloc(ns * sizeof *s->tt.arc);
    if (!s->ch.lab || !s->ch.pos || !s->ch.tmp || !s->tt.g || !s->tt.seen || !s->tt.closed ||
        !s->tt.wstamp || !s->tt.from || !s->tt.arc || !(s->ch.on = calloc(n + 1, 1))) {
        cor_scratch_free(s);
        return corridor__oom();
    }
    return 0;
}

/* What the lower bound's own completion from a state runs into first. */
enum { PATH_PREFIX, PATH_CLEAN, PATH_REPEAT };

/*
 * Follows the lower bound's own completion from state (v, c) of `leg`:
 * PATH_CLEAN if it is a simple path that avoids the prefix `on` and the edge
 * taken out (then H is exactly achievable), PATH_PREFIX if it first runs into
 * one of them, PATH_REPEAT if it first comes back to one of its own nodes (a
 * walk that saves a transfer by a loop: H is loose there, whatever the prefix).
 */
static int bound_path(const query *q, tight *t, const unsigned char *on, size_t leg, size_t v,
                      size_t c)
{
    size_t n = q->n, C = q->C, C1 = C + 1;
    const uint32_t *via = &q->arr_arc[leg * n * C1];
    if (++t->wgen == 0) {
        memset(t->wstamp, 0, (n + 1) * sizeof *t->wstamp);
        t->wgen = 1;
    }
    for (;;) {
        uint32_t a = via[v * C1 + c];
        if (a == SEED)
            return PATH_CLEAN;
        size_t u = q->net.arc_to[a];
        if (on[u] || arc_out(q, a))
            return PATH_PREFIX;
        if (t->wstamp[u] == t->wgen)
            return PATH_REPEAT;
        t->wstamp[u] = t->wgen;
        v = u;
        c = q->net.arc_class[a];
    }
}

/*
 * The cheapest completion from the start states (value 0 at each) to the end
 * of `leg` that avoids the nodes marked in `on` (a partial route's prefix, the
 * node taken out) and the edge taken out: an A* over (node, class) states
 * guided by H, which stays consistent when nodes and arcs are removed. It
 * still ignores repeats after the prefix, so it is a lower bound, never below
 * H. *out = INFINITY if the leg's end cannot be reached; else, if end is not
 * NULL, *end is the state the completion ends in (follow t->from back to a
 * start). A start state does not end a completion (a route has an edge).
 */
static int bound_without_prefix(double *out, size_t *end, const query *q, tight *t,
                                const unsigned char *on, size_t leg, const size_t *start,
                                size_t n_start)
{
    const cor_network *net = &q->net;
    size_t n = q->n, C = q->C, C1 = C + 1, NS = n * C1;
    const double *hl = &q->h[leg * n * C1];
    const double *next = leg + 1 < q->n_legs ? &q->h[(leg + 1) * n * C1] : NULL;
    const unsigned char *tgt = &q->target[leg * n];
    const double *w = q->w;
    int single = q->n_place[leg + 1] == 1, err = 0;
    double lo = INFINITY;

    *out = INFINITY;
    if (++t->gen == 0) {
        memset(t->seen, 0, (NS + 1) * sizeof *t->seen);
        memset(t->closed, 0, (NS + 1) * sizeof *t->closed);
        t->gen = 1;
    }
    t->hp.n = 0;
    for (size_t i = 0; i < n_start; i++) {
        size_t s0 = start[i];
        if (!isfinite(hl[s0]) || t->seen[s0] == t->gen)
            continue;
        t->g[s0] = 0.0;
        t->seen[s0] = t->gen;
        t->from[s0] = UNSET;
        if (hl[s0] < lo)
            lo = hl[s0];
        if ((err = cor_heap_push(&t->hp, hl[s0], s0)) < 0)
            return err;
    }
    while (t->hp.n) {
        hentry e = cor_heap_pop(&t->hp);
        if (e.id >= NS) { /* a completion: the first one out is the cheapest */
            *out = e.key;
            if (end)
                *end = e.id - NS;
            break;
        }
        size_t s = e.id, x = s / C1, cx = s % C1;
        if (t->closed[s] == t->gen)
            continue;
        t->closed[s] = t->gen;
        t->work++;
        if ((err = corridor__watch_poll(q->watch)) < 0)
            return err;
        double gx = t->g[s];
        /* only starts have class NONE; a start of class c is on the prefix */
        if (cx != C && s != start[0] && tgt[x]) {
            double term = next ? next[s] : 0.0;
            if (isfinite(term) && (err = cor_heap_push(&t->hp, gx + term, NS + s)) < 0)
                return err;
            if (single)
                continue;
        }
        for (size_t i = net->out_start[x]; i < net->out_start[x + 1]; i++) {
            size_t a = net->out_arc[i], y = net->arc_to[a], cy = net->arc_class[a];
            size_t ns = y * C1 + cy;
            if (on[y] || arc_out(q, a) || !isfinite(hl[ns]))
                continue;
            double gy =
                cx == C ? gx + w[a] : gx + cor_penalty(q->dwell[x], q->transfer[x], cx, cy) + w[a];
            if (t->seen[ns] == t->gen && gy >= t->g[ns])
                continue;
            t->seen[ns] = t->gen;
            t->g[ns] = gy;
            t->from[ns] = s;
            t->arc[ns] = (uint32_t)a;
            if ((err = cor_heap_push(&t->hp, gy + hl[ns], ns)) < 0)
                return err;
        }
    }
    if (*out < lo)
        *out = lo; /* rounding only */
    return 0;
}

/* The prefix-aware bounds' work allowed: MAX_BOUND_WORK, lowered with the label limit. */
static size_t bound_work_max(const query *q)
{
    return q->max_labels * (MAX_BOUND_WORK / MAX_LABELS);
}

/* The search limit on the prefix-aware bounds' work. */
static int bound_limit(const query *q)
{
    return corridor__error(CORRIDOR_ELIMIT,
                           "search limit reached (%zu states in bounds): ask for fewer options or "
                           "narrow the network (--avoid, --status)",
                           bound_work_max(q));
}

/* Queues a start label at every origin of the first leg. */
static int search_start(query *q, scratch *s, size_t *n_labs)
{
    size_t C = q->C, C1 = C + 1;
    int err = 0;
    for (size_t i = 0; i < q->n_place[0]; i++) {
        size_t o = q->place[0][i];
        double h0 = q->h[o * C1 + C];
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            dup |= q->place[0][j] == o;
        if (dup || !isfinite(h0) || s->ch.on[o])
            continue;
        label l = {0.0, NOLAB, NOARC, (uint32_t)o, 0, (uint16_t)C};
        if ((err = add_label(&s->labs, n_labs, &s->cap_labs, &s->hp, l, h0, q->max_labels)) < 0)
            return err;
    }
    return 0;
}

/* What to do with a popped label after its bound was checked against its prefix. */
enum { LABEL_EXPAND, LABEL_DROP, LABEL_REQUEUED };

/*
 * H ignores the prefix. If its own completion from popped label li (key
 * `key`) runs into the prefix (marked in s->ch), recomputes the label's bound
 * without the prefix and requeues the label if that raised it, or drops it if
 * the leg's end is out of reach: this keeps dead ends and pockets behind the
 * prefix from being explored. *path: what the bound's completion ran into.
 */
static int search_tighten(int *action, int *path, const query *q, scratch *s, uint32_t li,
                          double key)
{
    label L = s->labs[li];
    size_t leg = L.leg & LEG_MASK, C1 = q->C + 1;
    int err = 0;
    *action = LABEL_EXPAND;
    *path = PATH_CLEAN;
    if (L.leg & (F_CLEAN | F_EXACT))
        return 0;
    *path = bound_path(q, &s->tt, s->ch.on, leg, L.node, L.cls);
    if (*path != PATH_PREFIX)
        return 0;
    double hx;
    size_t s0 = L.node * C1 + L.cls;
    if (s->tt.work > bound_work_max(q))
        return bound_limit(q);
    if ((err = bound_without_prefix(&hx, NULL, q, &s->tt, s->ch.on, leg, &s0, 1)) < 0)
        return err;
    if (!isfinite(hx)) {
        *action = LABEL_DROP;
        return 0;
    }
    s->labs[li].leg |= F_EXACT;
    if (L.g + hx > key) {
        *action = LABEL_REQUEUED;
        return cor_heap_push(&s->hp, L.g + hx, li);
    }
    return 0;
}

/*
 * Queues the children of label li: one per arc to a node off the prefix whose
 * leg end is reachable. `path` is what the bound's own completion ran into:
 * if it was clean, the child along its next arc inherits that.
 */
static int search_expand(const query *q, scratch *s, size_t *n_labs, uint32_t li, int path)
{
    const cor_network *net = &q->net;
    label L = s->labs[li];
    size_t n = q->n, C = q->C, C1 = C + 1, v = L.node, leg = L.leg & LEG_MASK;
    const double *hl = &q->h[leg * n * C1];
    size_t tree_arc = SIZE_MAX;
    int err = 0;
    if (path == PATH_CLEAN && !(L.leg & F_EXACT)) {
        uint32_t ta = q->arr_arc[(leg * n + v) * C1 + L.cls];
        if (ta != SEED)
            tree_arc = ta;
    }
    for (size_t i = net->out_start[v]; i < net->out_start[v + 1]; i++) {
        size_t a = net->out_arc[i], to = net->arc_to[a], c = net->arc_class[a];
        if (s->ch.on[to] || arc_out(q, a))
            continue;
        double ht = hl[to * C1 + c];
        if (!isfinite(ht))
            continue;
        double g = L.cls == C ? L.g + q->w[a]
                              : L.g + cor_penalty(q->dwell[v], q->transfer[v], L.cls, c) + q->w[a];
        uint16_t lf = (uint16_t)(leg | (a == tree_arc ? F_CLEAN : 0));
        label l = {g, li, (uint32_t)a, (uint32_t)to, lf, (uint16_t)c};
        if ((err = add_label(&s->labs, n_labs, &s->cap_labs, &s->hp, l, g + ht, q->max_labels)) < 0)
            return err;
    }
    return 0;
}

/*
 * Fails early, with the routes found so far kept, when the partial routes
 * used per route found so far, times the routes wanted, exceed the cap
 * (labels per route only grow as the search goes on, so the cap would be
 * reached): a huge k then stops in seconds instead of filling memory first.
 */
static int labels_projected(const query *q, size_t k, size_t n_labs)
{
    if (n_labs < ((size_t)1 << 20) || q->n_found == 0)
        return 0;
    double per = (double)n_labs / (double)q->n_found;
    if (per * (double)k <= (double)q->max_labels)
        return 0;
    return corridor__error(CORRIDOR_ELIMIT,
                           "search limit: %zu routes took %zu partial routes, %zu would take "
                           "about %.0f million, over the limit of %.0f million: ask for fewer "
                           "options or narrow the network (--avoid, --status)",
                           q->n_found, n_labs, k, per * (double)k / 1e6,
                           (double)q->max_labels / 1e6);
}

/*
 * Label li has reached the end of its leg: records the route (last leg) or
 * queues the start of the next leg. Sets *stop when the k-th route is found.
 */
static int search_leg_end(query *q, scratch *s, size_t *n_labs, uint32_t li, size_t k, int *stop)
{
    label L = s->labs[li];
    size_t n = q->n, C1 = q->C + 1, leg = L.leg & LEG_MASK, v = L.node;
    int err = 0;
    if (leg + 1 == q->n_legs) {
        if ((err = emit(q, s->labs, li)) < 0)
            return err;
        *stop = q->n_found == k;
        return *stop ? 0 : labels_projected(q, k, *n_labs);
    }
    double h1 = q->h[((leg + 1) * n + v) * C1 + L.cls];
    label sl = {L.g, li, NOARC, L.node, (uint16_t)(leg + 1), L.cls};
    if (isfinite(h1))
        err = add_label(&s->labs, n_labs, &s->cap_labs, &s->hp, sl, L.g + h1, q->max_labels);
    return err;
}

/* The search proper (see "How it works", 2); adds up to k routes to q->found. */
int cor_query_search(query *q, size_t k, scratch *s)
{
    size_t n = q->n, n_labs = 0;
    int err = 0, stop = 0;

    if ((err = cor_scratch_alloc(s, n, q->C + 1)) < 0)
        return err;
    s->hp.n = 0;
    s->tt.work = 0;
    mark_removed(q, s->ch.on, 1);
    if ((err = search_start(q, s, &n_labs)) < 0)
        goto done;

    while (s->hp.n && q->n_found < k && !stop) {
        if ((err = corridor__watch_poll(q->watch)) < 0)
            goto done;
        hentry top = cor_heap_pop(&s->hp);
        uint32_t li = (uint32_t)top.id;
        const label *L = &s->labs[li];
        size_t leg = L->leg & LEG_MASK;
        int action, path;
        cor_chain_set(&s->ch, s->labs, li);
        if ((err = search_tighten(&action, &path, q, s, li, top.key)) < 0)
            goto done;
        if (action != LABEL_EXPAND || (q->prune && q->prune(q->accept_ud, q, s->labs, li)))
            continue;
        L = &s->labs[li];
        if (L->arc != NOARC && q->target[leg * n + L->node]) {
            if ((err = search_leg_end(q, s, &n_labs, li, k, &stop)) < 0 || stop)
                goto done;
            if (q->n_place[leg + 1] == 1)
                continue; /* a leg ending at one node cannot pass through it and come back */
        }
        if ((err = search_expand(q, s, &n_labs, li, path)) < 0)
            goto done;
    }
done:
    cor_chain_clear(&s->ch, s->labs);
    mark_removed(q, s->ch.on, 0);
    return err;
}

/* 1 if the arcs visit no node twice (the first arc's tail included). */
static int walk_simple(const query *q, tight *t, const uint32_t *arcs, size_t len)
{
    const cor_network *net = &q->net;
    if (++t->wgen == 0) {
        memset(t->wstamp, 0, (q->n + 1) * sizeof *t->wstamp);
        t->wgen = 1;
    }
    t->wstamp[net->arc_from[arcs[0]]] = t->wgen;
    for (size_t j = 0; j < len; j++) {
        size_t v = net->arc_to[arcs[j]];
        if (t->wstamp[v] == t->wgen)
            return 0;
        t->wstamp[v] = t->wgen;
    }
    return 1;
}

/*
 * The cheapest walk of a one-leg query from the origins to the destination
 * that avoids the element taken out and never turns straight back to the node
 * it just left: an A* over arcs (the state is the arc just taken), guided by
 * H, which stays consistent on this subgraph of moves. Every simple route is
 * such a walk, so if the walk found is simple it is the best route: it is
 * added to q->found and *done = 1. Else (no walk, or one with a longer loop)
 * *done = 0 and nothing is added. This settles the common case where the
 * (node, class) walk saves a transfer by going to a neighbour and back (a
 * road out, a rail back); without it that case needs the full search, whose
 * bounds are then loose all along the route.
 * Time: O((arcs + heap) log) over the arcs whose f is below the walk's value.
 */
/* Makes the per-arc arrays of the walk without U-turns ready for a new search. */
static int turnless_reset(turnless *t, size_t NA)
{
    if (t->n_arcs != NA || !t->g) {
        free(t->g);
        free(t->seen);
        free(t->closed);
        free(t->parent);
        memset(t, 0, sizeof *t);
        t->g = malloc((NA + 1) * sizeof *t->g);
        t->seen = calloc(NA + 1, sizeof *t->seen);
        t->closed = calloc(NA + 1, sizeof *t->closed);
        t->parent = malloc((NA + 1) * sizeof *t->parent);
        if (!t->g || !t->seen || !t->closed || !t->parent)
            return corridor__oom();
        t->n_arcs = NA;
    }
    if (++t->gen == 0) {
        memset(t->seen, 0, (NA + 1) * sizeof *t->seen);
        memset(t->closed, 0, (NA + 1) * sizeof *t->closed);
        t->gen = 1;
    }
    return 0;
}

/* The walk ending with arc `last`: added to q->found (*done = 1) if it is simple. */
static int turnless_emit(int *done, query *q, scratch *s, size_t last)
{
    const turnless *t = &s->tw;
    size_t len = 0;
    for (uint32_t x = (uint32_t)last; x != NOARC; x = t->parent[x])
        len++;
    uint32_t *arcs = malloc((len + 1) * sizeof *arcs);
    if (!arcs)
        return corridor__oom();
    size_t i = len;
    for (uint32_t x = (uint32_t)last; x != NOARC; x = t->parent[x])
        arcs[--i] = x;
    if (!walk_simple(q, &s->tt, arcs, len)) {
        free(arcs);
        return 0;
    }
    *done = 1;
    return cor_found_add(q, arcs, len, t->g[last]);
}

static int turnless_walk(int *done, query *q, scratch *s)
{
    const cor_network *net = &q->net;
    turnless *t = &s->tw;
    size_t C = q->C, C1 = C + 1, NA = net->n_arcs;
    const double *hl = q->h;
    int single = q->n_place[1] == 1, err = 0;
    *done = 0;
    if ((err = turnless_reset(t, NA)) < 0)
        return err;
    heap *hp = &s->tt.hp;
    hp->n = 0;
    for (size_t i = 0; i < q->n_place[0]; i++) {
        size_t o = q->place[0][i];
        if (o == q->rm_node)
            continue;
        for (size_t j = net->out_start[o]; j < net->out_start[o + 1]; j++) {
            size_t a = net->out_arc[j], y = net->arc_to[a];
            double hy = hl[y * C1 + net->arc_class[a]];
            if (y == q->rm_node || arc_out(q, a) || !isfinite(hy))
                continue;
            if (t->seen[a] == t->gen && q->w[a] >= t->g[a])
                continue;
            t->seen[a] = t->gen;
            t->g[a] = q->w[a];
            t->parent[a] = NOARC;
            if ((err = cor_heap_push(hp, q->w[a] + hy, a)) < 0)
                return err;
        }
    }
    while (hp->n) {
        hentry e = cor_heap_pop(hp);
        if ((err = corridor__watch_poll(q->watch)) < 0)
            return err;
        if (e.id >= NA) /* a completion: the first one out is the cheapest walk */
            return turnless_emit(done, q, s, e.id - NA);
        size_t a = e.id, x = net->arc_from[a], y = net->arc_to[a], c = net->arc_class[a];
        if (t->closed[a] == t->gen)
            continue;
        t->closed[a] = t->gen;
        double ga = t->g[a];
        if (q->target[y]) {
            if ((err = cor_heap_push(hp, ga, NA + a)) < 0)
                return err;
            if (single)
                continue;
        }
        for (size_t j = net->out_start[y]; j < net->out_start[y + 1]; j++) {
            size_t b = net->out_arc[j], z = net->arc_to[b], cb = net->arc_class[b];
            double hz = hl[z * C1 + cb];
            if (z == x || z == q->rm_node || arc_out(q, b) || !isfinite(hz))
                continue;
            double gb = ga + cor_penalty(q->dwell[y], q->transfer[y], c, cb) + q->w[b];
            if (t->seen[b] == t->gen && gb >= t->g[b])
                continue;
            t->seen[b] = t->gen;
            t->g[b] = gb;
            t->parent[b] = (uint32_t)a;
            if ((err = cor_heap_push(hp, gb + hz, b)) < 0)
                return err;
        }
    }
    return 0;
}

/*
 * The best route of a one-leg query with an element taken out (q->rm_*), into
 * q->found (see "How it works", 4): one A* from the origins that avoids the
 * element gives the cheapest walk over (node, class) states; if there is none
 * there is no route, if it visits no node twice it is the best route, else
 * (a walk that saves a transfer by a loop) the walk without U-turns
 * (turnless_walk) decides if it is simple, and otherwise the search.
 */
static int best_without(query *q, scratch *s)
{
    const cor_network *net = &q->net;
    size_t C = q->C, C1 = C + 1, n_start = 0, end = 0, len = 0;
    size_t *start = malloc((q->n_place[0] + 1) * sizeof *start);
    uint32_t *arcs = NULL;
    double hx = INFINITY;
    int err = 0;

    if (!start)
        return corridor__oom();
    if ((err = cor_scratch_alloc(s, q->n, C1)) < 0)
        goto done;
    for (size_t i = 0; i < q->n_place[0]; i++)
        if (q->place[0][i] != q->rm_node)
            start[n_start++] = q->place[0][i] * C1 + C;
    mark_removed(q, s->ch.on, 1);
    err = bound_without_prefix(&hx, &end, q, &s->tt, s->ch.on, 0, start, n_start);
    mark_removed(q, s->ch.on, 0);
    if (err < 0 || !isfinite(hx))
        goto done;

    tight *t = &s->tt;
    for (size_t x = end; t->from[x] != UNSET; x = t->from[x])
        len++;
    if (!(arcs = malloc((len + 1) * sizeof *arcs))) {
        err = corridor__oom();
        goto done;
    }
    size_t i = len, first = end;
    for (size_t x = end; t->from[x] != UNSET; x = t->from[x]) {
        arcs[--i] = t->arc[x];
        first = t->from[x];
    }
    if (++t->wgen == 0) {
        memset(t->wstamp, 0, (q->n + 1) * sizeof *t->wstamp);
        t->wgen = 1;
    }
    int simple = 1;
    t->wstamp[first / C1] = t->wgen;
    for (size_t j = 0; j < len && simple; j++) {
        size_t v = net->arc_to[arcs[j]];
        simple = t->wstamp[v] != t->wgen;
        t->wstamp[v] = t->wgen;
    }
    if (simple) {
        err = cor_found_add(q, arcs, len, t->g[end]);
        arcs = NULL;
    } else {
        int done = 0;
        if ((err = turnless_walk(&done, q, s)) == 0 && !done)
            err = cor_query_search(q, 1, s);
    }
done:
    free(start);
    free(arcs);
    return err;
}

/* ------------------------------------------------------------- the result */

static void route_clear(corridor_route *r)
{
    free(r->nodes);
    free(r->node_names);
    free(r->hops);
    for (size_t i = 0; r->transfers && i < r->n_transfers; i++) {
        free((void *)r->transfers[i].from_class);
        free((void *)r->transfers[i].to_class);
    }
    free(r->transfers);
    free(r->countries);
    free(r->corridors);
}

void corridor_routes_free(corridor_routes *routes)
{
    if (!routes)
        return;
    for (size_t i = 0; i < routes->n; i++)
        route_clear(&routes->routes[i]);
    free(routes->routes);
    free((void *)routes->from);
    free((void *)routes->to);
    free(routes);
}

/* A route's value by metric `met`: its arcs plus dwell and transfer at its intermediate nodes. */
double cor_route_total(const query *q, const uint32_t *arcs, size_t len, int met)
{
    const cor_network *net = &q->net;
    double t = 0.0;
    for (size_t j = 0; j < len; j++) {
        size_t a = arcs[j];
        if (j > 0 && met != CORRIDOR_BY_DISTANCE) {
            size_t v = net->arc_from[a];
            t = t + cor_penalty(cor_node_dwell(net, v, (size_t)met),
                                cor_node_transfer(net, v, (size_t)met), net->arc_class[arcs[j - 1]],
                                net->arc_class[a]);
        }
        t = t + cor_arc_w(net, a, (size_t)met);
    }
    return t;
}

static void route_countries(corridor_route *r, const query *q, const found *fd);
static int route_corridors(corridor_route *r, const query *q, const found *fd);

/* Fills one route from its arcs. */
static int cor_route_fill(corridor_route *r, const query *q, const found *fd, size_t rank)
{
    const cor_network *net = &q->net;
    size_t len = fd->n;

    r->rank = rank;
    r->n_edges = len;
    r->n_nodes = len + 1;
    r->nodes = malloc((len + 1) * sizeof *r->nodes);
    r->node_names = malloc((len + 1) * sizeof *r->node_names);
    r->hops = calloc(len + 1, sizeof *r->hops);
    r->transfers = calloc(len + 1, sizeof *r->transfers);
    r->countries = malloc((len + 1) * sizeof *r->countries);
    if (!r->nodes || !r->node_names || !r->hops || !r->transfers || !r->countries)
        return corridor__oom();

    for (int met = 0; met < COR_NMET; met++)
        r->metric[met] = cor_route_total(q, fd->arcs, len, met);
    for (size_t j = 0; j < len; j++) {
        size_t a = fd->arcs[j];
        size_t e = net->arc_edge[a];
        corridor_hop *h = &r->hops[j];
        h->edge = cor_edge_id(net, e);
        h->from = cor_node_id(net, net->arc_from[a]);
        h->to = cor_node_id(net, net->arc_to[a]);
        h->from_name = cor_node_name(net, net->arc_from[a]);
        h->to_name = cor_node_name(net, net->arc_to[a]);
        h->mode = cor_edge_mode(net, e);
        h->gauge = cor_edge_gauge(net, e);
        for (size_t k = 0; k < COR_NMET; k++)
            h->metric[k] = cor_edge_metric(net, e, k);
        r->nodes[j] = h->from;
        r->node_names[j] = h->from_name;
        if (j > 0 && net->arc_class[fd->arcs[j - 1]] != net->arc_class[a]) {
            corridor_transfer *t = &r->transfers[r->n_transfers++];
            t->node = h->from;
            t->from_class = corridor__strdup(net->class_name[net->arc_class[fd->arcs[j - 1]]]);
            t->to_class = corridor__strdup(net->class_name[net->arc_class[a]]);
            if (!t->from_class || !t->to_class)
                return corridor__oom();
        }
    }
    size_t last = net->arc_to[fd->arcs[len - 1]];
    r->nodes[len] = cor_node_id(net, last);
    r->node_names[len] = cor_node_name(net, last);
    route_countries(r, q, fd);
    return route_corridors(r, q, fd);
}

/* The route's countries in order of travel and its border crossings. */
static void route_countries(corridor_route *r, const query *q, const found *fd)
{
    const corridor_model *m = q->m;
    const cor_network *net = &q->net;
    size_t len = fd->n, last = net->arc_to[fd->arcs[len - 1]];
    long prev = -1;
    for (size_t j = 0; j <= len; j++) {
        size_t v = j < len ? net->arc_from[fd->arcs[j]] : last;
        long c = cor_node_country(net, v);
        if (c >= 0 && c != prev)
            r->countries[r->n_countries++] = m->countries[c].code;
        if (c >= 0)
            prev = c;
        if (j > 0) {
            long pc = cor_node_country(net, net->arc_from[fd->arcs[j - 1]]);
            if (c >= 0 && pc >= 0 && c != pc)
                r->borders++;
        }
    }
}

/* The route's corridors in order of first use. */
static int route_corridors(corridor_route *r, const query *q, const found *fd)
{
    const corridor_model *m = q->m;
    const cor_network *net = &q->net;
    size_t len = fd->n, n_corr = 0;
    for (size_t j = 0; j < len; j++) {
        size_t nc;
        (void)cor_edge_corridors(net, net->arc_edge[fd->arcs[j]], &nc);
        n_corr += nc;
    }
    r->corridors = malloc((n_corr + 1) * sizeof *r->corridors);
    if (!r->corridors)
        return corridor__oom();
    for (size_t j = 0; j < len; j++) {
        size_t nc;
        const size_t *list = cor_edge_corridors(net, net->arc_edge[fd->arcs[j]], &nc);
        for (size_t c = 0; c < nc; c++) {
            const char *id = m->corridors[list[c]].id;
            int seen = 0;
            for (size_t i = 0; i < r->n_corridors && !seen; i++)
                seen = r->corridors[i] == id;
            if (!seen)
                r->corridors[r->n_corridors++] = id;
        }
    }
    return 0;
}

int cor_query_routes(corridor_routes **out, const query *q, size_t n, const char *from,
                     const char *to, corridor_metric by, corridor_commodity carry)
{
    corridor_routes *res = calloc(1, sizeof *res);
    int err = 0;
    *out = NULL;
    if (!res || !(res->routes = calloc(n + 1, sizeof *res->routes)) ||
        !(res->from = corridor__strdup(from)) || !(res->to = corridor__strdup(to))) {
        err = corridor__oom();
        goto done;
    }
    res->by = by;
    res->carry = carry;
    res->complete = 1;
    for (size_t i = 0; i < n; i++) {
        res->n = i + 1;
        if ((err = cor_route_fill(&res->routes[i], q, &q->found[i], i + 1)) < 0)
            goto done;
    }
    *out = res;
    res = NULL;
done:
    corridor_routes_free(res);
    return err;
}

/* ------------------------------------------------------------ entry point */

/* Sets the "no route" error with the most specific reason we can name. */
int cor_query_no_route(const query *q, const char *from, const char *to, const corridor_filter *f,
                       const char *const *via_names, size_t n_via)
{
    const corridor_model *m = q->m;
    const cor_network *net = &q->net;
    const char *carry =
        f->carry == CORRIDOR_CARRY_ANY ? "any commodity" : corridor_commodity_name(f->carry);
    const char *ends[2] = {from, to};
    for (int side = 0; side < 2; side++) {
        size_t p = side ? q->n_legs : 0;
        int any_ok = 0, any_arc = 0;
        for (size_t i = 0; i < q->n_place[p]; i++) {
            size_t v = q->place[p][i];
            any_ok |= net->node_ok[v];
            any_arc |= side ? net->in_start[v + 1] > net->in_start[v]
                            : net->out_start[v + 1] > net->out_start[v];
        }
        if (!any_ok && q->n_place[p] == 1) {
            const cor_node *nd = &m->nodes[q->place[p][0]];
            if (!corridor__status_ok(f, nd->status, nd->opens))
                return corridor__error(CORRIDOR_ENOTFOUND,
                                       "no route from \"%s\" to \"%s\" for %s: \"%s\" is %s", from,
                                       to, carry, ends[side], corridor_status_name(nd->status));
            return corridor__error(CORRIDOR_ENOTFOUND,
                                   "no route from \"%s\" to \"%s\" for %s: \"%s\" is excluded by "
                                   "the filter",
                                   from, to, carry, ends[side]);
        }
        if (!any_arc)
            return corridor__error(CORRIDOR_ENOTFOUND,
                                   "no route from \"%s\" to \"%s\" for %s: nothing carries %s %s "
                                   "\"%s\"",
                                   from, to, carry, carry, side ? "to" : "from", ends[side]);
    }
    cor_buf via;
    corridor__buf_init(&via);
    for (size_t i = 0; i < n_via; i++)
        corridor__buf_printf(&via, "%s\"%s\"", i ? ", " : " via ", via_names[i]);
    int err;
    if (f->year > 0)
        err = corridor__error(CORRIDOR_ENOTFOUND, "no route from \"%s\" to \"%s\"%s for %s in %d",
                              from, to, via.data ? via.data : "", carry, f->year);
    else
        err = corridor__error(CORRIDOR_ENOTFOUND,
                              "no route from \"%s\" to \"%s\"%s for %s at status %s", from, to,
                              via.data ? via.data : "", carry, corridor_status_name(f->status));
    corridor__buf_free(&via);
    return err;
}

void cor_query_init(query *q, const corridor_model *m, int by)
{
    memset(q, 0, sizeof *q);
    q->m = m;
    q->by = by;
    q->n = m->n_nodes;
    q->rm_edge = q->rm_node = UNSET;
    q->max_labels = MAX_LABELS;
}

/* EUSAGE if the model does not fit the search's 32-bit indices. */
int cor_query_check_size(const corridor_model *m)
{
    if (m->n_nodes >= UINT32_MAX || m->n_edges >= UINT32_MAX / 2)
        return corridor__error(CORRIDOR_EUSAGE, "model too large to route (%zu nodes)", m->n_nodes);
    return 0;
}

static void places_free(query *q)
{
    for (size_t i = 0; q->place && i <= q->n_legs; i++)
        free(q->place[i]);
    free(q->place);
    free(q->n_place);
    q->place = NULL;
    q->n_place = NULL;
}

/* Resolves origin, via places and destination; EUSAGE if two consecutive ones are one node. */
int cor_query_places(query *q, const char *from, const char *to, const char *const *via,
                     size_t n_via)
{
    int err = 0;
    places_free(q);
    q->n_legs = n_via + 1;
    q->place = calloc(q->n_legs + 1, sizeof *q->place);
    q->n_place = calloc(q->n_legs + 1, sizeof *q->n_place);
    if (!q->place || !q->n_place)
        return corridor__oom();
    for (size_t p = 0; p <= q->n_legs; p++) {
        const char *name = p == 0 ? from : p == q->n_legs ? to : via[p - 1];
        if ((err = corridor__place_resolve(&q->place[p], &q->n_place[p], q->m, name)) < 0)
            return err;
    }
    for (size_t p = 0; p < q->n_legs; p++) {
        if (q->n_place[p] == 1 && q->n_place[p + 1] == 1 && q->place[p][0] == q->place[p + 1][0]) {
            const char *a = p == 0 ? from : via[p - 1];
            const char *b = p + 1 == q->n_legs ? to : via[p];
            if (q->n_legs == 1)
                return corridor__error(CORRIDOR_EUSAGE,
                                       "origin and destination are the same place (\"%s\", "
                                       "\"%s\"): give two different places",
                                       a, b);
            return corridor__error(CORRIDOR_EUSAGE,
                                   "consecutive places \"%s\" and \"%s\" are the same node: "
                                   "a leg needs two different places",
                                   a, b);
        }
    }
    return 0;
}

static void network_free(query *q)
{
    cor_network_free(&q->net);
    free(q->dwell);
    free(q->transfer);
    free(q->w);
    free(q->want);
    q->dwell = q->transfer = q->w = NULL;
    q->want = NULL;
    q->has_net = 0;
}

/* Builds the routing network and what depends on it only (the origin bits of want come later). */
int cor_query_network(query *q, const corridor_filter *f)
{
    const corridor_model *m = q->m;
    int err = 0;
    if ((err = cor_network_build(&q->net, m, f, q->by)) < 0)
        return err;
    q->C = q->net.n_classes;
    if (q->C >= UINT16_MAX) {
        err = corridor__error(CORRIDOR_EUSAGE, "too many mode and gauge classes (%zu)", q->C);
        goto done;
    }
    size_t n = q->n, na = q->net.n_arcs;
    q->dwell = malloc((n + 1) * sizeof *q->dwell);
    q->transfer = malloc((n + 1) * sizeof *q->transfer);
    q->w = malloc((na + 1) * sizeof *q->w);
    if (!q->dwell || !q->transfer || !q->w) {
        err = corridor__oom();
        goto done;
    }
    for (size_t v = 0; v < n; v++) {
        int dist = q->by == CORRIDOR_BY_DISTANCE || q->by < 0;
        q->dwell[v] = dist ? 0.0 : cor_node_dwell(&q->net, v, (size_t)q->by);
        q->transfer[v] = dist ? 0.0 : cor_node_transfer(&q->net, v, (size_t)q->by);
    }
    /* a route uses each arc and each node's penalty at most once: if all of them add up to a
       finite number no route total can overflow to infinity (and read as "no route") */
    double all = 0.0;
    for (size_t a = 0; a < na; a++) {
        q->w[a] = q->by < 0 ? 0.0 : cor_arc_w(&q->net, a, (size_t)q->by);
        all += q->w[a];
    }
    for (size_t v = 0; v < n; v++)
        all += q->dwell[v] + q->transfer[v];
    if (isinf(all)) {
        err = corridor__error(CORRIDOR_EINVALID,
                              "total too large: the %s values of this network add up beyond "
                              "%g, so route totals could overflow; use smaller units",
                              corridor_metric_name((corridor_metric)q->by), DBL_MAX);
        goto done;
    }
    if (q->C + 1 <= 64) {
        if (!(q->want = calloc(n + 1, sizeof *q->want))) {
            err = corridor__oom();
            goto done;
        }
        for (size_t a = 0; a < na; a++)
            q->want[q->net.arc_to[a]] |= (uint64_t)1 << q->net.arc_class[a];
    }
    cor_query_reweight(q);
    q->has_net = 1;
done:
    if (err < 0)
        network_free(q);
    return err;
}

void cor_query_reweight(query *q)
{
    double lo = INFINITY;
    for (size_t a = 0; a < q->net.n_arcs; a++)
        lo = q->w[a] < lo ? q->w[a] : lo;
    q->w_min = lo;
}

/*
 * Memory for the bounds' arrays (freed with free): from 2 MiB on, on
 * transparent huge pages where the system offers them (Linux, madvise; a
 * hint, without effect elsewhere). The bounds write these arrays whole, so
 * 2 MiB pages cost the same zeroing with a page fault per 2 MiB instead of
 * per 4 KiB: 0.02 s less per route at 1.0M edges (bench/README.md).
 */
static void *big_alloc(size_t size)
{
#ifdef MADV_HUGEPAGE
    const size_t huge = (size_t)2 << 20;
    if (size >= huge) {
        size_t rounded = (size + huge - 1) / huge * huge;
        void *p = aligned_alloc(huge, rounded);
        if (p)
            (void)madvise(p, rounded, MADV_HUGEPAGE);
        return p;
    }
#endif
    return malloc(size);
}

/* The lower bounds of every leg for the current places (see "How it works", 1). */
int cor_query_bounds(query *q, heap *hp)
{
    size_t n = q->n, C = q->C, C1 = C + 1;
    int err = 0;
    if (!q->target || !q->h || !q->arr_arc) { /* first call, or the last one ran out of memory */
        free(q->target);
        free(q->h);
        free(q->arr_arc);
        q->target = malloc(q->n_legs * n + 1);
        q->h = big_alloc((q->n_legs * n * C1 + 1) * sizeof *q->h);
        q->arr_arc = big_alloc((q->n_legs * n * C1 + 1) * sizeof *q->arr_arc);
        if (!q->target || !q->h || !q->arr_arc)
            return corridor__oom();
    }
    memset(q->target, 0, q->n_legs * n);
    for (size_t l = 0; l < q->n_legs; l++)
        for (size_t i = 0; i < q->n_place[l + 1]; i++)
            q->target[l * n + q->place[l + 1][i]] = 1;
    if (q->want) {
        for (size_t v = 0; v < n; v++)
            q->want[v] &= ~((uint64_t)1 << C);
        for (size_t i = 0; i < q->n_place[0]; i++)
            q->want[q->place[0][i]] |= (uint64_t)1 << C;
    }
    (void)hp;
    for (size_t l = q->n_legs; l-- > 0;)
        if ((err = lower_bounds(q, l)) < 0)
            return err;
    return 0;
}

void cor_query_free(query *q)
{
    network_free(q);
    places_free(q);
    free(q->target);
    free(q->h);
    free(q->arr_arc);
    cor_rheap_free(&q->bh);
    cor_found_clear(q);
    free(q->found);
    memset(q, 0, sizeof *q);
}

/* Values come out sorted; a stable insertion sort guards against rounding. */
static void found_sort(query *q)
{
    for (size_t i = 1; i < q->n_found; i++) {
        found f = q->found[i];
        size_t j = i;
        for (; j > 0 && q->found[j - 1].g > f.g; j--)
            q->found[j] = q->found[j - 1];
        q->found[j] = f;
    }
}

int corridor_route_find(corridor_routes **out, const corridor_model *model, const char *from,
                        const char *to, const corridor_route_opts *opts)
{
    static const corridor_route_opts defaults = CORRIDOR_ROUTE_OPTS_INIT;
    query q;
    scratch s;
    cor_watch watch;
    int err = 0, limit = 0;

    memset(&q, 0, sizeof q);
    memset(&s, 0, sizeof s);
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if ((err = CORRIDOR__CHECK_BUDGETED_OPTS(opts, CORRIDOR_ROUTE_OPTS_VERSION,
                                             "corridor_route_opts")) < 0)
        return err;
    if (!from || !to)
        return corridor__error(CORRIDOR_EUSAGE, "a route needs an origin and a destination");
    if (opts->k == 0)
        return corridor__error(CORRIDOR_EUSAGE, "the number of route options must be at least 1");
    if ((unsigned)opts->by >= COR_NMET)
        return corridor__error(CORRIDOR_EUSAGE, "unknown route metric %d", (int)opts->by);
    if (opts->n_via >= LEG_MASK)
        return corridor__error(CORRIDOR_EUSAGE, "too many via places (%zu)", opts->n_via);
    if ((err = cor_query_check_size(model)) < 0)
        return err;

    cor_query_init(&q, model, (int)opts->by);
    corridor__watch_init(&watch, opts->budget, 0, NULL);
    q.watch = &watch;
    if ((err = cor_query_places(&q, from, to, opts->via, opts->n_via)) < 0 ||
        (err = cor_query_network(&q, &opts->filter)) < 0 || (err = cor_query_bounds(&q, &s.hp)) < 0)
        goto done;
    /* a limit keeps the routes found so far: they are the best ones, in order */
    if ((err = cor_query_search(&q, opts->k, &s)) == CORRIDOR_ELIMIT && q.n_found > 0)
        limit = 1;
    else if (err < 0)
        goto done;
    if (q.n_found == 0) {
        err = cor_query_no_route(&q, from, to, &opts->filter, opts->via, opts->n_via);
        goto done;
    }
    found_sort(&q);
    err = cor_query_routes(out, &q, q.n_found, from, to, opts->by, opts->filter.carry);
    if (err == 0 && limit) {
        (*out)->complete = 0;
        err = CORRIDOR_ELIMIT; /* the limit's message is still the last error */
    }
done:
    cor_scratch_free(&s);
    cor_query_free(&q);
    return err;
}

/* ------------------------------------------------------------------ router */

struct cor_router {
    query q;
    scratch s;
    corridor_filter filter;
    char *from, *to; /* the current pair, for messages; NULL: no pair set */
    size_t *dest;    /* the destination nodes whose bounds q.h holds (NULL: none) */
    size_t n_dest;
    int bounds_ok;   /* q.h is complete for the current pair */
    size_t legs_cap; /* legs q.h, q.target and q.arr_arc have room for */
};

void cor_router_watch(cor_router *r, cor_watch *w)
{
    r->q.watch = w;
}

void cor_path_free(cor_path *p)
{
    if (!p)
        return;
    free(p->edges);
    free(p->nodes);
    memset(p, 0, sizeof *p);
}

int cor_router_new(cor_router **out, const corridor_model *m, const corridor_filter *f,
                   corridor_metric by)
{
    static const corridor_filter defaults = CORRIDOR_FILTER_INIT;
    cor_router *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r)
        return corridor__oom();
    cor_query_init(&r->q, m, (int)by);
    r->filter = f ? *f : defaults;
    *out = r;
    return 0;
}

void cor_router_free(cor_router *r)
{
    if (!r)
        return;
    cor_query_free(&r->q);
    cor_scratch_free(&r->s);
    free(r->from);
    free(r->to);
    free(r->dest);
    free(r);
}

int cor_router_pair(cor_router *r, const char *from, const char *to)
{
    query *q = &r->q;
    int err = 0;
    free(r->from);
    free(r->to);
    r->from = r->to = NULL;
    if (!from || !to)
        return corridor__error(CORRIDOR_EUSAGE, "a route needs an origin and a destination");
    if ((unsigned)q->by >= COR_NMET)
        return corridor__error(CORRIDOR_EUSAGE, "unknown route metric %d", q->by);
    if ((err = cor_query_check_size(q->m)) < 0 ||
        (err = cor_query_places(q, from, to, NULL, 0)) < 0)
        return err;
    if (!q->has_net && (err = cor_query_network(q, &r->filter)) < 0)
        return err;
    if (!(r->from = corridor__strdup(from)) || !(r->to = corridor__strdup(to))) {
        free(r->from);
        r->from = NULL;
        return corridor__oom();
    }
    r->bounds_ok = 0;
    return 0;
}

/* The lower bounds of the current pair: computed for a new destination, else completed. */
static int router_bounds(cor_router *r)
{
    query *q = &r->q;
    size_t nd = q->n_place[1];
    int err = 0;
    if (r->bounds_ok)
        return 0;
    if (r->dest && r->n_dest == nd && memcmp(r->dest, q->place[1], nd * sizeof *r->dest) == 0) {
        origin_bounds(q);
    } else {
        free(r->dest);
        r->dest = NULL;
        if ((err = cor_query_bounds(q, &r->s.hp)) < 0)
            return err;
        if (!(r->dest = malloc((nd + 1) * sizeof *r->dest)))
            return corridor__oom();
        memcpy(r->dest, q->place[1], nd * sizeof *r->dest);
        r->n_dest = nd;
    }
    r->bounds_ok = 1;
    return 0;
}

int cor_router_best(cor_router *r, long removed, double *value, cor_path *route)
{
    query *q = &r->q;
    const corridor_model *m = q->m;
    int err = 0;

    *value = NAN;
    if (route)
        memset(route, 0, sizeof *route);
    if (!r->from)
        return corridor__error(CORRIDOR_EUSAGE, "no origin and destination set for the router");
    if (removed >= 0 && (size_t)removed >= m->n_edges + m->n_nodes)
        return corridor__error(CORRIDOR_EUSAGE, "no element %ld to take out", removed);
    if ((err = router_bounds(r)) < 0)
        return err;
    cor_found_clear(q);
    if (removed >= 0 && (size_t)removed < m->n_edges)
        q->rm_edge = (size_t)removed;
    else if (removed >= 0)
        q->rm_node = (size_t)removed - m->n_edges;
    if ((err = removed < 0 ? cor_query_search(q, 1, &r->s) : best_without(q, &r->s)) < 0)
        goto done;
    if (q->n_found == 0) {
        if (removed < 0)
            err = cor_query_no_route(q, r->from, r->to, &r->filter, NULL, 0);
        else
            err = corridor__error(
                CORRIDOR_ENOTFOUND, "no route from \"%s\" to \"%s\" without %s \"%s\"", r->from,
                r->to, q->rm_node == UNSET ? "edge" : "node",
                q->rm_node == UNSET ? m->edges[q->rm_edge].id : m->nodes[q->rm_node].id);
        goto done;
    }
    const found *fd = &q->found[0];
    *value = cor_route_total(q, fd->arcs, fd->n, q->by);
    if (route) {
        route->edges = malloc((fd->n + 1) * sizeof *route->edges);
        route->nodes = malloc((fd->n + 2) * sizeof *route->nodes);
        if (!route->edges || !route->nodes) {
            cor_path_free(route);
            err = corridor__oom();
            goto done;
        }
        route->n_edges = fd->n;
        for (size_t j = 0; j < fd->n; j++) {
            size_t a = fd->arcs[j];
            route->edges[j] = (long)q->net.arc_edge[a];
            route->nodes[j] = (long)q->net.arc_from[a];
            route->nodes[j + 1] = (long)q->net.arc_to[a];
        }
    }
done:
    q->rm_edge = q->rm_node = UNSET;
    /* do not keep the memory of an exceptionally large search */
    if (r->s.cap_labs > ((size_t)1 << 22)) {
        free(r->s.labs);
        r->s.labs = NULL;
        r->s.cap_labs = 0;
    }
    return err;
}

void cor_router_limit(cor_router *r, size_t max_labels)
{
    r->q.max_labels = max_labels && max_labels < MAX_LABELS ? max_labels : MAX_LABELS;
}

int cor_router_set_weights(cor_router *r, const double *arc_w, const double *dwell,
                           const double *transfer)
{
    query *q = &r->q;
    if (!q->has_net)
        return corridor__error(CORRIDOR_EUSAGE, "the router has no network yet");
    memcpy(q->w, arc_w, q->net.n_arcs * sizeof *q->w);
    memcpy(q->dwell, dwell, q->n * sizeof *q->dwell);
    memcpy(q->transfer, transfer, q->n * sizeof *q->transfer);
    cor_query_reweight(q);
    free(r->dest); /* the bounds depend on the weights */
    r->dest = NULL;
    r->bounds_ok = 0;
    return 0;
}

int cor_router_routes(corridor_routes **out, cor_router *r, const char *from, const char *to,
                      size_t k, const char *const *via, size_t n_via)
{
    query *q = &r->q;
    int err = 0;
    *out = NULL;
    if (k == 0)
        return corridor__error(CORRIDOR_EUSAGE, "the number of route options must be at least 1");
    if (n_via >= LEG_MASK)
        return corridor__error(CORRIDOR_EUSAGE, "too many via places (%zu)", n_via);
    if (n_via == 0) {
        if ((err = cor_router_pair(r, from, to)) < 0 || (err = router_bounds(r)) < 0)
            return err;
    } else {
        free(r->from);
        free(r->to);
        r->from = r->to = NULL;
        free(r->dest);
        r->dest = NULL; /* the bounds are about to hold another query's legs */
        r->bounds_ok = 0;
        if (!from || !to)
            return corridor__error(CORRIDOR_EUSAGE, "a route needs an origin and a destination");
        if ((err = cor_query_check_size(q->m)) < 0 ||
            (err = cor_query_places(q, from, to, via, n_via)) < 0)
            return err;
        if (!q->has_net && (err = cor_query_network(q, &r->filter)) < 0)
            return err;
        if (q->n_legs > r->legs_cap) {
            free(q->target);
            free(q->h);
            free(q->arr_arc);
            q->target = NULL;
            q->h = NULL;
            q->arr_arc = NULL;
        }
        if ((err = cor_query_bounds(q, &r->s.hp)) < 0)
            return err;
    }
    if (q->n_legs > r->legs_cap)
        r->legs_cap = q->n_legs;
    cor_found_clear(q);
    if ((err = cor_query_search(q, k, &r->s)) < 0)
        return err;
    if (q->n_found == 0)
        return cor_query_no_route(q, from, to, &r->filter, via, n_via);
    found_sort(q);
    return cor_query_routes(out, q, q->n_found, from, to, (corridor_metric)q->by, r->filter.carry);
}

/* ------------------------------------------------------------------- JSON */

int cor_route_json(cJSON *arr, const corridor_route *r)
{
    cJSON *o = cJSON_CreateObject(), *tr = NULL, *ed = NULL;
    int err = 0;
    if ((err = cor_json_add(arr, NULL, o)) < 0 ||
        (err = cor_json_add(o, "rank", cJSON_CreateNumber((double)r->rank))) < 0)
        return err;
    for (int met = 0; met < COR_NMET; met++)
        if ((err = cor_json_num(o, corridor_metric_field((corridor_metric)met), r->metric[met])) <
            0)
            return err;
    if ((err = cor_json_strings(o, "nodes", r->nodes, r->n_nodes)) < 0 ||
        (err = cor_json_add(o, "edges", ed = cJSON_CreateArray())) < 0)
        return err;
    for (size_t j = 0; j < r->n_edges; j++)
        if ((err = cor_json_str(ed, NULL, r->hops[j].edge)) < 0)
            return err;
    if ((err = cor_json_add(o, "transfers", tr = cJSON_CreateArray())) < 0)
        return err;
    for (size_t j = 0; j < r->n_transfers; j++) {
        cJSON *t = cJSON_CreateObject();
        if ((err = cor_json_add(tr, NULL, t)) < 0 ||
            (err = cor_json_str(t, "node", r->transfers[j].node)) < 0 ||
            (err = cor_json_str(t, "from", r->transfers[j].from_class)) < 0 ||
            (err = cor_json_str(t, "to", r->transfers[j].to_class)) < 0)
            return err;
    }
    if ((err = cor_json_strings(o, "countries", r->countries, r->n_countries)) < 0 ||
        (err = cor_json_strings(o, "corridors", r->corridors, r->n_corridors)) < 0 ||
        (err = cor_json_add(o, "borders", cJSON_CreateNumber((double)r->borders))) < 0)
        return err;
    return 0;
}

int corridor_routes_json(char **out, const corridor_routes *routes)
{
    int err = 0;
    cJSON *root = cJSON_CreateObject(), *arr = NULL;
    *out = NULL;
    if (!root)
        return corridor__oom();
    if ((err = cor_json_str(root, "from", routes->from)) < 0 ||
        (err = cor_json_str(root, "to", routes->to)) < 0 ||
        (err = cor_json_str(root, "by", corridor_metric_name(routes->by))) < 0 ||
        (err = cor_json_str(root, "carry", corridor_commodity_name(routes->carry))) < 0 ||
        (!routes->complete && (err = cor_json_bool(root, "complete", 0)) < 0) ||
        (err = cor_json_add(root, "routes", arr = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t i = 0; i < routes->n; i++)
        if ((err = cor_route_json(arr, &routes->routes[i])) < 0)
            goto done;
    err = cor_json_finish(out, root);
    root = NULL;
done:
    cJSON_Delete(root);
    return err;
}
