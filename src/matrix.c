/* matrix.c: origin-destination matrices: the best route's totals for every pair, one search per
 * origin. */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE */
#define _POSIX_C_SOURCE 200809L
#include <cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"
#include "json_internal.h"
#include "network.h"
#include "radix_heap.h"
#include "route_internal.h"
#include "route_query.h"

/*
 * How it works
 * ------------
 * The value of a route (DESIGN.md, "Route cost") depends on the path only
 * through its arcs and, at each intermediate node, the classes it arrives and
 * leaves by. A route must be a simple path (no node twice); a walk need not
 * be. Every route is a walk that never turns straight back to the node it
 * just left (a "U-turn"), so the cheapest such walk is a lower bound, and
 * when it visits no node twice it *is* a cheapest route, with the same value
 * bit for bit: values are summed in travel order, as route's search sums them.
 *
 * 1. One search per origin place: a Dijkstra from all its nodes over the
 *    walks without U-turns. Its states are (node, class of arrival); each
 *    holds two labels: the cheapest walk into the state, and the cheapest
 *    one whose last arc comes from another node than the first one's. A
 *    walk leaving node y by arc b = y -> z extends the state's first label
 *    unless that one came from z, and then the second: so the first label
 *    is extended by every arc but those back to its own tail, the second by
 *    those only. Leaving state (y, c) by b of class c' costs
 *    penalty(y, c, c') + w(b) (no penalty at the origin, whose walks start
 *    with their first arc). The value at a destination node is that of the
 *    first label settled there. A second label is queued only while it can
 *    improve some label (states only get cheaper, so one that cannot now
 *    never will): on the benchmark grid 0.65 second labels per state are
 *    queued. Without the U-turn rule (one label per state) the cheapest
 *    walk of about 10 % of the pairs on that grid loops back to a neighbour
 *    to save a transfer (arrive by rail, go on by rail to a neighbour,
 *    change to road there and come back), and each such pair needed route's
 *    search, which can take seconds: that was 97 % of the time of a
 *    1,000 x 1,000 matrix (40 minutes), and 2.6 % of its pairs hit the
 *    search limit. With it, none of 100,000 pairs checked (100 origins) loops.
 * 2. Each destination's walk is followed back and checked (mx_memo: the
 *    walks of a row share their beginnings, so each label on them is
 *    checked and summed once per row, from its predecessor); where it repeats a
 *    node (a longer loop saving a transfer, or a multi-node origin place
 *    whose walk leaves a destination node and comes back) the pair is
 *    answered by route's own search (cor_router, the same as `route -k 1`)
 *    instead. That keeps the answer exact; `n_repaired` counts such pairs.
 *    Route's search can need very many partial routes for such a pair (the
 *    loop saved a transfer, and every route within that saving is explored;
 *    `route -k 1` itself may stop at its limit of 20 million): here it is
 *    given MX_REPAIR_LABELS, and a pair over that is reported as unknown
 *    (CORRIDOR_CELL_LIMIT, counted in `n_limited`), never as a wrong value.
 *    These searches run after all origins, grouped by destination, so that
 *    each destination's lower bounds are computed once.
 * Among routes of equal value the matrix may report another one than `route`
 * (its other totals may then differ).
 *
 * A route ends at the first destination node it reaches only if the
 * destination place is one node; for a multi-node place (country:XX) it may
 * pass through one destination node to end at another, and a walk does the
 * same. Every route has an edge, so an origin node is a destination only by
 * an arrival. Origin and destination the same node: no answer (route calls
 * that a usage error).
 *
 * The search runs on the matrix's own copy of the routing network, arranged
 * for it: the arcs leaving each node side by side with their weight, head
 * and arrival state (16 bytes each, no indirection), the states of a node
 * numbered together; what a search reads for a state (values, first tail,
 * node, class) is 32 bytes, how its labels were reached another 16. The
 * queue is a radix heap (radix_heap.h): the keys only grow. The search is
 * bound by the latency of reading these arrays at random (about 17 MB on the
 * 100k-node benchmark): they are put in 2 MiB pages where the system allows
 * (mx_alloc), and read ahead with prefetches: the states (and their arcs) a
 * popped label relaxes into, and the state and arcs of the label the heap
 * would pop next (cor_rheap_peek; the heap entry's id carries its node).
 * None of this changes the order of the work, so the answer is the same
 * bit for bit.
 *
 * Origins are independent: with `threads` > 1 the origins are dealt to worker
 * threads in turn, each with its own search arrays and router, writing to its
 * own rows of the result; the answer does not depend on the thread count.
 * Time: per origin O(S + A) plus the radix heap's moves (at most 16 per
 * entry) for S (node, class) states and A arcs, plus the path checks (the
 * labels on the best walks, each once per row); memory per thread O(S)
 * (48 bytes per state for the search, up to 128 more per state for the
 * row's memo, of which a row touches only its best walks' labels).
 */

#define NOPRED UINT32_MAX
/* the route search's limit for a cell whose best walk repeats a node (route's own: 20 million) */
#define MX_REPAIR_LABELS 100000u

/* An arc of the search graph, stored with its tail's other arcs. */
typedef struct mx_slot {
    double w;       /* weight by the ranking metric */
    uint32_t head;  /* node it enters */
    uint32_t state; /* the state it arrives in: (head, its class) */
} mx_slot;

/* A state (node, class of arrival): its two labels (see "How it works", 1). */
typedef struct mx_state {
    double g[2];    /* INFINITY: none */
    uint32_t tail0; /* node the first label's last arc comes from (NOPRED: none) */
    uint32_t node;  /* the state's node and class (set once per worker) */
    uint16_t cls;
    uint16_t queued; /* the second label is queued with its value g[1] */
} mx_state;

/* How a label was reached (written by the search, read when its walk is followed). */
typedef struct mx_from {
    uint32_t slot[2]; /* the label's last arc */
    uint32_t pred[2]; /* label before: state * 2 + 0 or 1; NOPRED at the origin */
} mx_from;

/* What every worker shares (read only while the workers run). */
typedef struct mx_job {
    const corridor_model *m;
    const corridor_filter *filter;
    int by;
    cor_network net;
    size_t n, n_states;
    uint32_t *out_start; /* slots of node v: out_start[v] .. out_start[v + 1] */
    mx_slot *slot;       /* in net->out_arc order */
    uint32_t *slot_arc;  /* the network arc of each slot */
    uint32_t *state_node;
    uint16_t *state_class;
    double *pen; /* node v's penalty by the ranking metric (0 for distance): pen[2 * v] keeping
                    the class (its dwell), pen[2 * v + 1] changing it (dwell + transfer) */
    size_t **from_nodes, *n_from_nodes;
    size_t **to_nodes, *n_to_nodes;
    unsigned char *is_target; /* node is in some destination place */
    size_t *todo, n_todo;     /* phase 2: cells for the route search, by destination */
    size_t n_targets;
    corridor_matrix *mx;
    size_t n_threads;
} mx_job;

/* A settled label on the best walk of some cell of the row (see mx_memo). */
typedef struct mx_memo_entry {
    uint32_t lab;    /* the label */
    uint32_t pred;   /* its predecessor's entry (NOPRED: none) */
    uint32_t depth;  /* arcs on its walk */
    uint32_t root;   /* the origin node its walk starts at */
    uint32_t next;   /* the entry before it at the same node (NOPRED: none) */
    uint32_t simple; /* 1 if its walk visits no node twice */
} mx_memo_entry;

/* One worker's arrays. */
typedef struct mx_work {
    mx_job *job;
    size_t first; /* origins first, first + n_threads, ... */
    mx_state *st;
    mx_from *fr;
    uint32_t *node_lab; /* first label settled at target node v (if node_stamp[v] == gen) */
    uint32_t *node_stamp, gen;
    /* the labels on the best walks of the row (see mx_memo): label -> entry (NOPRED: none) */
    uint32_t *memo_of, *path, n_memo;
    mx_memo_entry *memo;
    double *memo_tot;  /* entry e: its walk's totals, memo_tot[e * COR_NMET + metric] */
    uint32_t *at_node; /* node v: the last entry at v (NOPRED: none) */
    cor_rheap hp;
    cor_router *router;
    size_t *todo; /* cells (i * n_to + j) whose best walk repeats a node, for phase 2 */
    size_t n_todo, cap_todo;
    size_t repaired, limited;
    int err;
    char msg[512];
} mx_work;

/*
 * malloc for the arrays the search reads at random: from 256 KiB, aligned to
 * and advised into 2 MiB pages where the system has them, so that the
 * lookups of the addresses (TLB misses) do not dominate. Freed by free().
 */
static void *mx_alloc(size_t bytes)
{
    const size_t huge = (size_t)2 << 20;
    void *p = NULL;
    if (bytes < huge / 8)
        return malloc(bytes);
    bytes = (bytes + huge - 1) / huge * huge;
    if (posix_memalign(&p, huge, bytes) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE); /* advice only: failure is harmless */
#endif
    return p;
}

/* mx_alloc of n zeroed elements of `size` bytes. */
static void *mx_calloc(size_t n, size_t size)
{
    void *p = n <= SIZE_MAX / size ? mx_alloc(n * size) : NULL;
    if (p)
        memset(p, 0, n * size);
    return p;
}

/* The penalty at an intermediate node, as route.c counts it. */
static double penalty(double dwell, double transfer, size_t in, size_t out)
{
    return cor_penalty(dwell, transfer, in, out);
}

/*
 * 1 if the second label of state s can improve a state now: only the arcs
 * back to its first label's tail extend it (see "How it works", 1). States
 * only get cheaper, so a label that cannot improve any now never will, and
 * need not be queued (most second labels are of no use).
 */
static int mx_useful(const mx_work *w, uint32_t s)
{
    const mx_job *j = w->job;
    const mx_state *x = &w->st[s];
    uint32_t y = x->node, cy = x->cls, back = x->tail0;
    double pen_same = j->pen[2 * y], pen_other = j->pen[2 * y + 1];
    for (uint32_t b = j->out_start[y]; b < j->out_start[y + 1]; b++) {
        const mx_slot *sb = &j->slot[b];
        if (sb->head != back)
            continue;
        const mx_state *t = &w->st[sb->state];
        double g = x->g[1] + (t->cls == cy ? pen_same : pen_other) + sb->w;
        if (g < t->g[0] || (y != t->tail0 && g < t->g[1]))
            return 1;
    }
    return 0;
}

/* Queues the second label of state s if it is of use and not queued with its value yet. */
static int mx_queue2(mx_work *w, uint32_t s)
{
    mx_state *x = &w->st[s];
    if (x->queued || !mx_useful(w, s))
        return 0;
    x->queued = 1;
    return cor_rheap_push(&w->hp, x->g[1], (2 * (uint64_t)s + 1) | (uint64_t)x->node << 32);
}

/* Offers a walk of value g into state s, by the slot from `tail` after label `pred`. */
static int mx_offer(mx_work *w, uint32_t s, double g, uint32_t tail, uint32_t slot, uint32_t pred)
{
    mx_state *x = &w->st[s];
    mx_from *f = &w->fr[s];
    if (g < x->g[0]) {
        int moved = tail != x->tail0 && x->g[0] < INFINITY;
        if (moved) { /* the first label becomes the second (it comes from another node) */
            if (x->g[0] < x->g[1])
                x->queued = 0; /* else its entry, if any, is still right */
            x->g[1] = x->g[0];
            f->slot[1] = f->slot[0];
            f->pred[1] = f->pred[0];
        }
        x->g[0] = g;
        x->tail0 = tail;
        f->slot[0] = slot;
        f->pred[0] = pred;
        int err = cor_rheap_push(&w->hp, g, 2 * (uint64_t)s | (uint64_t)x->node << 32);
        return err < 0 || !moved ? err : mx_queue2(w, s);
    }
    if (tail == x->tail0 || !(g < x->g[1]))
        return 0;
    x->g[1] = g;
    x->queued = 0;
    f->slot[1] = slot;
    f->pred[1] = pred;
    return mx_queue2(w, s);
}

/* One-to-all search from origin place i (see "How it works", 1). */
static int mx_search(mx_work *w, size_t i)
{
    const mx_job *j = w->job;
    size_t left = j->n_targets;
    int err = 0;

    for (size_t s = 0; s < j->n_states; s++) {
        w->st[s].g[0] = w->st[s].g[1] = INFINITY;
        w->st[s].tail0 = NOPRED;
        w->st[s].queued = 0;
    }
    if (++w->gen == 0) {
        memset(w->node_stamp, 0, (j->n + 1) * sizeof *w->node_stamp);
        w->gen = 1;
    }
    cor_rheap_clear(&w->hp);
    for (size_t k = 0; k < j->n_from_nodes[i]; k++) {
        size_t o = j->from_nodes[i][k];
        for (uint32_t b = j->out_start[o]; b < j->out_start[o + 1]; b++)
            if ((err = mx_offer(w, j->slot[b].state, j->slot[b].w, (uint32_t)o, b, NOPRED)) < 0)
                return err;
    }
    while (w->hp.size && left) {
        cor_rentry e;
        if ((err = cor_rheap_pop(&w->hp, &e)) < 0)
            return err;
        uint32_t lab = (uint32_t)e.id, s = lab / 2, k = lab % 2;
        uint64_t next;
        if (cor_rheap_peek(&w->hp, &next)) { /* fetch the next label's state and node ahead */
            __builtin_prefetch(&w->st[(uint32_t)next / 2]);
            __builtin_prefetch(&j->slot[j->out_start[next >> 32]]);
            __builtin_prefetch(&j->pen[2 * (next >> 32)]);
        }
        const mx_state *x = &w->st[s];
        if (e.key > x->g[k])
            continue; /* a stale entry */
        uint32_t y = x->node, cy = x->cls, back = x->tail0;
        if (k == 0 && j->is_target[y] && w->node_stamp[y] != w->gen) {
            w->node_stamp[y] = w->gen;
            w->node_lab[y] = lab;
            left -= j->is_target[y];
        }
        double pen_same = j->pen[2 * y], pen_other = j->pen[2 * y + 1];
        uint32_t b0 = j->out_start[y], b1 = j->out_start[y + 1];
        for (uint32_t b = b0; b < b1 && k == 0; b++) { /* fetch in parallel, not one by one */
            const mx_slot *sb = &j->slot[b];
            __builtin_prefetch(&w->st[sb->state]);
            __builtin_prefetch(&w->fr[sb->state], 1);
            __builtin_prefetch(&j->slot[j->out_start[sb->head]]); /* for mx_useful */
        }
        for (uint32_t b = b0; b < b1; b++) {
            const mx_slot *sb = &j->slot[b];
            if ((sb->head == back) != (k == 1))
                continue; /* the first label: all arcs but U-turns; the second: those only */
            double g = e.key + (w->st[sb->state].cls == cy ? pen_same : pen_other) + sb->w;
            if ((err = mx_offer(w, sb->state, g, y, b, lab)) < 0)
                return err;
        }
    }
    return 0;
}

/* The class of an edge as the network names it: mode, and gauge for rail. */
static int same_class(const cor_edge *a, const cor_edge *b)
{
    return a->mode == b->mode && (a->mode != CORRIDOR_MODE_RAIL || a->gauge == b->gauge);
}

/* Totals of a route given by model edges and nodes (the router's answer). */
static void path_totals(const corridor_model *m, const cor_path *p, double *tot)
{
    for (int met = 0; met < COR_NMET; met++) {
        double t = 0.0;
        for (size_t k = 0; k < p->n_edges; k++) {
            const cor_edge *e = &m->edges[p->edges[k]];
            if (k > 0 && met != CORRIDOR_BY_DISTANCE) {
                const cor_node *nd = &m->nodes[p->nodes[k]];
                int same = same_class(&m->edges[p->edges[k - 1]], e);
                t = t + penalty(nd->dwell[met], nd->transfer[met], 0, same ? 0 : 1);
            }
            t = t + e->metric[met];
        }
        tot[met] = t;
    }
}

/* Cell (i, jj) by route's own search, for a best walk that repeats a node. */
static int mx_repair(mx_work *w, size_t cell)
{
    mx_job *j = w->job;
    corridor_matrix *mx = j->mx;
    size_t i = cell / mx->n_to, jj = cell % mx->n_to;
    double *tot = &mx->value[cell * COR_NMET];
    cor_path p = {NULL, NULL, 0};
    double value;
    int err = 0;
    mx->status[cell] = CORRIDOR_CELL_NONE;
    if (!w->router) {
        if ((err = cor_router_new(&w->router, j->m, j->filter, (corridor_metric)j->by)) < 0)
            return err;
        cor_router_limit(w->router, MX_REPAIR_LABELS);
    }
    if ((err = cor_router_pair(w->router, mx->from[i], mx->to[jj])) < 0 ||
        (err = cor_router_best(w->router, -1, &value, &p)) < 0) {
        if (err == CORRIDOR_EINTERNAL || err == CORRIDOR_ELIMIT) { /* the search limit */
            mx->status[cell] = CORRIDOR_CELL_LIMIT;
            w->limited++;
        }
        return err == CORRIDOR_ENOTFOUND || err == CORRIDOR_EINTERNAL || err == CORRIDOR_ELIMIT
                   ? 0
                   : err;
    }
    path_totals(j->m, &p, tot);
    cor_path_free(&p);
    mx->status[cell] = CORRIDOR_CELL_ROUTE;
    w->repaired++;
    return 0;
}

/* Notes a cell for the route search of phase 2. */
static int mx_todo(mx_work *w, size_t cell)
{
    if (w->n_todo == w->cap_todo) {
        size_t nc = w->cap_todo ? 2 * w->cap_todo : 64;
        size_t *nt = realloc(w->todo, nc * sizeof *nt);
        if (!nt)
            return corridor__oom();
        w->todo = nt;
        w->cap_todo = nc;
    }
    w->todo[w->n_todo++] = cell;
    return 0;
}

/*
 * 1 if node y is on the walk of memo entry `pe` after its origin node: some
 * entry at y (all of them are on w->at_node[y]'s list) is an ancestor of pe,
 * that is, pe's ancestor at its depth.
 */
static int mx_on_walk(const mx_work *w, uint32_t pe, uint32_t y)
{
    for (uint32_t e = w->at_node[y]; e != NOPRED; e = w->memo[e].next) {
        uint32_t a = pe;
        while (a != NOPRED && w->memo[a].depth > w->memo[e].depth)
            a = w->memo[a].pred;
        if (a == e)
            return 1;
    }
    return 0;
}

/*
 * The memo entry of settled label `best`: its walk's totals, and whether it
 * visits no node twice (then it is a route). The walks of a row's labels
 * share their beginnings (a label's walk is its predecessor's and one arc),
 * so each label is done once per row, after its predecessor: the totals are
 * summed in travel order as route.c's route_total sums them (a prefix's sum
 * is the same bits), and the walk of label L into node y repeats a node if
 * its predecessor's does, or y is its origin node, or an entry at y is an
 * ancestor of L (mx_on_walk; entries at y are few, and the check walks up
 * only from L's depth to theirs).
 */
static uint32_t mx_memo(mx_work *w, uint32_t best)
{
    const mx_job *j = w->job;
    const cor_network *net = &j->net;
    size_t depth = 0;
    for (uint32_t a = best; a != NOPRED && w->memo_of[a] == NOPRED; a = w->fr[a / 2].pred[a % 2])
        w->path[depth++] = a;
    while (depth) {
        uint32_t lab = w->path[--depth], e = w->n_memo++;
        uint32_t slot = w->fr[lab / 2].slot[lab % 2], pred = w->fr[lab / 2].pred[lab % 2];
        uint32_t y = j->state_node[lab / 2];
        size_t a = j->slot_arc[slot];
        double *t = &w->memo_tot[(size_t)e * COR_NMET];
        mx_memo_entry *me = &w->memo[e];
        w->memo_of[lab] = e;
        me->lab = lab;
        if (pred == NOPRED) {
            me->pred = NOPRED;
            me->depth = 1;
            me->root = (uint32_t)net->arc_from[a];
            me->simple = me->root != y;
            for (int met = 0; met < COR_NMET; met++)
                t[met] = 0.0 + cor_arc_w(net, a, (size_t)met);
        } else {
            uint32_t pe = w->memo_of[pred];
            size_t pa = j->slot_arc[w->fr[pred / 2].slot[pred % 2]];
            const cor_node *nd = &j->m->nodes[net->arc_from[a]];
            const double *tp = &w->memo_tot[(size_t)pe * COR_NMET];
            me->pred = pe;
            me->depth = w->memo[pe].depth + 1;
            me->root = w->memo[pe].root;
            me->simple = w->memo[pe].simple && me->root != y &&
                         (w->at_node[y] == NOPRED || !mx_on_walk(w, pe, y));
            for (int met = 0; met < COR_NMET; met++) {
                double x = tp[met];
                if (met != CORRIDOR_BY_DISTANCE)
                    x = x + penalty(nd->dwell[met], nd->transfer[met], net->arc_class[pa],
                                    net->arc_class[a]);
                t[met] = x + cor_arc_w(net, a, (size_t)met);
            }
        }
        me->next = w->at_node[y];
        w->at_node[y] = e;
    }
    return w->memo_of[best];
}

/* Fills row i from the search's labels. */
static int mx_row(mx_work *w, size_t i)
{
    mx_job *j = w->job;
    corridor_matrix *mx = j->mx;
    int err = 0;
    for (size_t jj = 0; jj < mx->n_to && err == 0; jj++) {
        double *tot = &mx->value[(i * mx->n_to + jj) * COR_NMET];
        unsigned char *st = &mx->status[i * mx->n_to + jj];
        for (int met = 0; met < COR_NMET; met++)
            tot[met] = NAN;
        if (j->n_from_nodes[i] == 1 && j->n_to_nodes[jj] == 1 &&
            j->from_nodes[i][0] == j->to_nodes[jj][0]) {
            *st = CORRIDOR_CELL_SAME;
            continue;
        }
        uint32_t best = NOPRED;
        double bg = INFINITY;
        for (size_t k = 0; k < j->n_to_nodes[jj]; k++) {
            size_t v = j->to_nodes[jj][k];
            if (w->node_stamp[v] != w->gen)
                continue;
            uint32_t lab = w->node_lab[v];
            double g = w->st[lab / 2].g[lab % 2];
            if (best == NOPRED || g < bg) {
                best = lab;
                bg = g;
            }
        }
        *st = CORRIDOR_CELL_NONE;
        if (best == NOPRED)
            continue;
        uint32_t e = mx_memo(w, best);
        if (!w->memo[e].simple) { /* not a route: phase 2 */
            err = mx_todo(w, i * mx->n_to + jj);
            continue;
        }
        memcpy(tot, &w->memo_tot[(size_t)e * COR_NMET], COR_NMET * sizeof *tot);
        *st = CORRIDOR_CELL_ROUTE;
    }
    for (uint32_t e = 0; e < w->n_memo; e++) { /* clear what the row touched */
        w->memo_of[w->memo[e].lab] = NOPRED;
        w->at_node[j->state_node[w->memo[e].lab / 2]] = NOPRED;
    }
    w->n_memo = 0;
    return err;
}

static void mx_work_free(mx_work *w);

static void *mx_worker(void *arg)
{
    mx_work *w = arg;
    mx_job *j = w->job;
    w->st = mx_alloc((j->n_states + 1) * sizeof *w->st);
    w->fr = mx_alloc((j->n_states + 1) * sizeof *w->fr);
    w->node_lab = mx_alloc((j->n + 1) * sizeof *w->node_lab);
    w->node_stamp = mx_calloc(j->n + 1, sizeof *w->node_stamp);
    size_t nl = 2 * j->n_states + 1; /* labels */
    w->memo_of = mx_alloc(nl * sizeof *w->memo_of);
    w->memo = mx_alloc(nl * sizeof *w->memo);
    w->path = malloc(nl * sizeof *w->path);
    w->memo_tot = mx_alloc(nl * COR_NMET * sizeof *w->memo_tot);
    w->at_node = mx_alloc((j->n + 1) * sizeof *w->at_node);
    if (!w->st || !w->fr || !w->node_lab || !w->node_stamp || !w->memo_of || !w->memo || !w->path ||
        !w->memo_tot || !w->at_node) {
        w->err = corridor__oom();
        goto done;
    }
    memset(w->memo_of, 0xff, nl * sizeof *w->memo_of); /* NOPRED */
    memset(w->at_node, 0xff, (j->n + 1) * sizeof *w->at_node);
    for (size_t s = 0; s < j->n_states; s++) {
        w->st[s].node = j->state_node[s];
        w->st[s].cls = j->state_class[s];
    }
    for (size_t i = w->first; i < j->mx->n_from; i += j->n_threads) {
        if ((w->err = mx_search(w, i)) < 0 || (w->err = mx_row(w, i)) < 0)
            goto done;
    }
done:
    if (w->err < 0)
        snprintf(w->msg, sizeof w->msg, "%s", corridor_error_message());
    mx_work_free(w);
    return NULL;
}

/* Phase 2: the cells j->todo[k] with k % n_threads == first (grouped by destination). */
static void *mx_repairer(void *arg)
{
    mx_work *w = arg;
    mx_job *j = w->job;
    for (size_t k = 0; k < j->n_todo && w->err == 0; k++)
        if (j->todo[k] % j->mx->n_to % j->n_threads == w->first)
            w->err = mx_repair(w, j->todo[k]);
    if (w->err < 0)
        snprintf(w->msg, sizeof w->msg, "%s", corridor_error_message());
    cor_router_free(w->router);
    w->router = NULL;
    return NULL;
}

static void mx_work_free(mx_work *w)
{
    free(w->st);
    free(w->fr);
    free(w->node_lab);
    free(w->node_stamp);
    free(w->memo_of);
    free(w->memo);
    free(w->path);
    free(w->memo_tot);
    free(w->at_node);
    cor_rheap_free(&w->hp);
    w->st = NULL;
}

void corridor_matrix_free(corridor_matrix *mx)
{
    if (!mx)
        return;
    for (size_t i = 0; mx->from && i < mx->n_from; i++)
        free((void *)mx->from[i]);
    for (size_t i = 0; mx->to && i < mx->n_to; i++)
        free((void *)mx->to[i]);
    free(mx->from);
    free(mx->to);
    free(mx->value);
    free(mx->status);
    free(mx);
}

static void places_free(size_t **nodes, size_t n)
{
    for (size_t i = 0; nodes && i < n; i++)
        free(nodes[i]);
    free(nodes);
}

/* Resolves places and copies their names; CORRIDOR_EINVALID names the bad one. */
static int resolve_all(const char ***names, size_t ***nodes, size_t **counts,
                       const corridor_model *m, const char *const *places, size_t n)
{
    int err = 0;
    if (!(*names = calloc(n + 1, sizeof **names)) || !(*nodes = calloc(n + 1, sizeof **nodes)) ||
        !(*counts = calloc(n + 1, sizeof **counts)))
        return corridor__oom();
    for (size_t i = 0; i < n; i++) {
        if (!places[i])
            return corridor__error(CORRIDOR_EUSAGE, "place %zu of the matrix is missing", i + 1);
        if ((err = corridor__place_resolve(&(*nodes)[i], &(*counts)[i], m, places[i])) < 0)
            return err;
        if (!((*names)[i] = corridor__strdup(places[i])))
            return corridor__oom();
    }
    return 0;
}

/*
 * The search graph (see "How it works"): the states of each node (the classes
 * of the arcs entering it, numbered together) and the slots, the arcs in
 * net->out_arc order.
 */
static int job_graph(mx_job *j)
{
    const cor_network *net = &j->net;
    size_t n = j->n, na = net->n_arcs;
    uint32_t *first = malloc((n + 1) * sizeof *first); /* first state of node v */
    int err = 0;
    j->out_start = mx_alloc((n + 1) * sizeof *j->out_start);
    j->slot = mx_alloc((na + 1) * sizeof *j->slot);
    j->slot_arc = malloc((na + 1) * sizeof *j->slot_arc);
    j->state_node = malloc((na + 1) * sizeof *j->state_node);
    j->state_class = malloc((na + 1) * sizeof *j->state_class);
    if (!first || !j->out_start || !j->slot || !j->slot_arc || !j->state_node || !j->state_class) {
        err = corridor__oom();
        goto done;
    }
    /* states: per node, the classes of its entering arcs in order of first appearance */
    size_t ns = 0;
    for (size_t v = 0; v < n; v++) {
        first[v] = (uint32_t)ns;
        for (size_t k = net->in_start[v]; k < net->in_start[v + 1]; k++) {
            uint16_t c = (uint16_t)net->arc_class[net->in_arc[k]];
            uint32_t s = first[v];
            while (s < ns && j->state_class[s] != c)
                s++;
            if (s == ns) {
                j->state_node[ns] = (uint32_t)v;
                j->state_class[ns++] = c;
            }
        }
    }
    first[n] = (uint32_t)ns;
    j->n_states = ns;
    for (size_t v = 0; v <= n; v++)
        j->out_start[v] = (uint32_t)net->out_start[v];
    for (size_t k = 0; k < na; k++) {
        size_t a = net->out_arc[k], y = net->arc_to[a];
        uint16_t c = (uint16_t)net->arc_class[a];
        uint32_t s = first[y];
        while (j->state_class[s] != c)
            s++;
        j->slot[k].w = cor_arc_w(net, a, (size_t)j->by);
        j->slot[k].head = (uint32_t)y;
        j->slot[k].state = s;
        j->slot_arc[k] = (uint32_t)a;
    }
done:
    free(first);
    return err;
}

/* Builds the network, the search graph and the per-node penalties of the job. */
static int job_network(mx_job *j)
{
    int err = 0;
    if ((err = cor_network_build(&j->net, j->m, j->filter, j->by)) < 0)
        return err;
    size_t n = j->n = j->m->n_nodes;
    if (n >= UINT32_MAX / 2 || j->net.n_arcs >= 0x7fffffffu)
        return corridor__error(CORRIDOR_EUSAGE, "model too large for a matrix (%zu nodes)", n);
    if (j->net.n_classes >= UINT16_MAX)
        return corridor__error(CORRIDOR_EUSAGE, "too many mode and gauge classes (%zu)",
                               j->net.n_classes);
    j->pen = mx_alloc((n + 1) * 2 * sizeof *j->pen);
    j->is_target = mx_calloc(n + 1, 1);
    if (!j->pen || !j->is_target)
        return corridor__oom();
    for (size_t v = 0; v < n; v++) {
        int dist = j->by == CORRIDOR_BY_DISTANCE;
        double dwell = dist ? 0.0 : cor_node_dwell(&j->net, v, (size_t)j->by);
        double transfer = dist ? 0.0 : cor_node_transfer(&j->net, v, (size_t)j->by);
        j->pen[2 * v] = dwell;
        j->pen[2 * v + 1] = dwell + transfer;
    }
    for (size_t jj = 0; jj < j->mx->n_to; jj++)
        for (size_t k = 0; k < j->n_to_nodes[jj]; k++) {
            size_t v = j->to_nodes[jj][k];
            j->n_targets += !j->is_target[v];
            j->is_target[v] = 1;
        }
    return job_graph(j);
}

/* Runs fn on every worker, on threads where they start (else here); 0 or the first error. */
static int run_phase(mx_work *ws, size_t nt, void *(*fn)(void *))
{
    pthread_t *tid = calloc(nt, sizeof *tid);
    unsigned char *started = calloc(nt, 1);
    int err = 0;
    if (!tid || !started) {
        err = corridor__oom();
        goto done;
    }
    for (size_t t = 1; t < nt; t++)
        started[t] = pthread_create(&tid[t], NULL, fn, &ws[t]) == 0;
    for (size_t t = 0; t < nt; t++)
        if (t == 0 || !started[t])
            fn(&ws[t]);
    for (size_t t = 1; t < nt; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
    for (size_t t = 0; t < nt; t++)
        if (ws[t].err < 0 && err == 0)
            err = corridor__error(ws[t].err, "%s", ws[t].msg);
done:
    free(tid);
    free(started);
    return err;
}

static int size_cmp(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return a < b ? -1 : a > b;
}

/*
 * Phase 1: one search per origin, origins dealt to the workers in turn.
 * Phase 2: the cells whose best walk repeats a node, by route's search,
 * grouped by destination (the router keeps a destination's bounds), each
 * destination's cells on one worker.
 */
static int run_workers(mx_job *j, unsigned threads)
{
    size_t nt = threads > 1 ? threads : 1;
    if (nt > j->mx->n_from)
        nt = j->mx->n_from ? j->mx->n_from : 1;
    mx_work *ws = calloc(nt, sizeof *ws);
    int err = 0;
    if (!ws)
        return corridor__oom();
    j->n_threads = nt;
    for (size_t t = 0; t < nt; t++) {
        ws[t].job = j;
        ws[t].first = t;
    }
    if ((err = run_phase(ws, nt, mx_worker)) < 0)
        goto done;
    size_t total = 0;
    for (size_t t = 0; t < nt; t++)
        total += ws[t].n_todo;
    if (!(j->todo = malloc((total + 1) * sizeof *j->todo))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t t = 0; t < nt; t++) {
        if (ws[t].n_todo)
            memcpy(j->todo + j->n_todo, ws[t].todo, ws[t].n_todo * sizeof *j->todo);
        j->n_todo += ws[t].n_todo;
    }
    /* by destination, then origin: sort on j * n_from + i, then back to cells */
    size_t nf = j->mx->n_from, nto = j->mx->n_to;
    for (size_t k = 0; k < j->n_todo; k++)
        j->todo[k] = j->todo[k] % nto * nf + j->todo[k] / nto;
    qsort(j->todo, j->n_todo, sizeof *j->todo, size_cmp);
    for (size_t k = 0; k < j->n_todo; k++)
        j->todo[k] = j->todo[k] % nf * nto + j->todo[k] / nf;
    if ((err = run_phase(ws, nt, mx_repairer)) < 0)
        goto done;
    for (size_t t = 0; t < nt; t++) {
        j->mx->n_repaired += ws[t].repaired;
        j->mx->n_limited += ws[t].limited;
    }
done:
    for (size_t t = 0; t < nt; t++)
        free(ws[t].todo);
    free(ws);
    return err;
}

int corridor_matrix_compute(corridor_matrix **out, const corridor_model *model,
                            const char *const *from, size_t n_from, const char *const *to,
                            size_t n_to, const corridor_matrix_opts *opts)
{
    static const corridor_matrix_opts defaults = CORRIDOR_MATRIX_OPTS_INIT;
    mx_job j;
    int err = 0;
    memset(&j, 0, sizeof j);
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if ((err = CORRIDOR__CHECK_OPTS(opts, CORRIDOR_MATRIX_OPTS_VERSION, "corridor_matrix_opts")) <
        0)
        return err;
    if ((unsigned)opts->by >= COR_NMET)
        return corridor__error(CORRIDOR_EUSAGE, "unknown metric %d", (int)opts->by);
    if (n_to && n_from > SIZE_MAX / n_to / COR_NMET / sizeof(double))
        return corridor__error(CORRIDOR_EUSAGE, "matrix too large (%zu x %zu)", n_from, n_to);
    j.m = model;
    j.filter = &opts->filter;
    j.by = (int)opts->by;
    if (!(j.mx = calloc(1, sizeof *j.mx))) {
        err = corridor__oom();
        goto done;
    }
    j.mx->by = opts->by;
    j.mx->carry = opts->filter.carry;
    j.mx->n_from = n_from;
    j.mx->n_to = n_to;
    if ((err = resolve_all(&j.mx->from, &j.from_nodes, &j.n_from_nodes, model, from, n_from)) < 0 ||
        (err = resolve_all(&j.mx->to, &j.to_nodes, &j.n_to_nodes, model, to, n_to)) < 0)
        goto done;
    if (!(j.mx->value = malloc((n_from * n_to * COR_NMET + 1) * sizeof *j.mx->value)) ||
        !(j.mx->status = calloc(n_from * n_to + 1, 1))) {
        err = corridor__oom();
        goto done;
    }
    if ((err = job_network(&j)) < 0 || (err = run_workers(&j, opts->threads)) < 0)
        goto done;
    *out = j.mx;
    j.mx = NULL;
done:
    corridor_matrix_free(j.mx);
    places_free(j.from_nodes, n_from);
    places_free(j.to_nodes, n_to);
    free(j.n_from_nodes);
    free(j.n_to_nodes);
    free(j.pen);
    free(j.is_target);
    free(j.out_start);
    free(j.slot);
    free(j.slot_arc);
    free(j.state_node);
    free(j.state_class);
    free(j.todo);
    cor_network_free(&j.net);
    return err;
}

int corridor_matrix_row_json(char **out, const corridor_matrix *mx, size_t i)
{
    int err = 0;
    cJSON *root = cJSON_CreateObject(), *arr = NULL;
    *out = NULL;
    if (!root)
        return corridor__oom();
    if (i >= mx->n_from) {
        err = corridor__error(CORRIDOR_EUSAGE, "no row %zu in the matrix", i);
        goto done;
    }
    int complete = 1;
    for (size_t jj = 0; jj < mx->n_to; jj++)
        complete &= mx->status[i * mx->n_to + jj] != CORRIDOR_CELL_LIMIT;
    if ((err = cor_json_str(root, "from", mx->from[i])) < 0 ||
        (err = cor_json_str(root, "by", corridor_metric_name(mx->by))) < 0 ||
        (err = cor_json_str(root, "carry", corridor_commodity_name(mx->carry))) < 0 ||
        (!complete && (err = cor_json_add(root, "complete", cJSON_CreateFalse())) < 0) ||
        (err = cor_json_add(root, "to", arr = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t jj = 0; jj < mx->n_to; jj++) {
        cJSON *o = cJSON_CreateObject();
        const double *tot = &mx->value[(i * mx->n_to + jj) * COR_NMET];
        if ((err = cor_json_add(arr, NULL, o)) < 0 || (err = cor_json_str(o, "to", mx->to[jj])) < 0)
            goto done;
        for (int met = 0; met < COR_NMET; met++) {
            const char *key = corridor_metric_field((corridor_metric)met);
            if (mx->status[i * mx->n_to + jj] != CORRIDOR_CELL_ROUTE)
                err = cor_json_add(o, key, cJSON_CreateNull());
            else
                err = cor_json_num(o, key, tot[met]);
            if (err < 0)
                goto done;
        }
    }
    err = cor_json_finish(out, root); /* unformatted: one line */
    root = NULL;
done:
    cJSON_Delete(root);
    return err;
}
