/* matrix.c: origin-destination matrices: the best route's totals for every pair, one search per
 * origin. */
#define _POSIX_C_SOURCE 200809L
#include <cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
 * 2. Each destination's walk is followed back and checked; where it repeats a
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
 * queue is a radix heap (radix_heap.h): the keys only grow.
 *
 * Origins are independent: with `threads` > 1 the origins are dealt to worker
 * threads in turn, each with its own search arrays and router, writing to its
 * own rows of the result; the answer does not depend on the thread count.
 * Time: per origin O(S + A) plus the radix heap's moves (at most 64 per
 * entry) for S (node, class) states and A arcs, plus the path checks (the
 * total length of the best walks); memory per thread O(S) (about 50 bytes
 * per state).
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
    double *dwell, *transfer; /* ranking metric per node (0 for distance) */
    size_t **from_nodes, *n_from_nodes;
    size_t **to_nodes, *n_to_nodes;
    unsigned char *is_target; /* node is in some destination place */
    size_t *todo, n_todo;     /* phase 2: cells for the route search, by destination */
    size_t n_targets;
    corridor_matrix *mx;
    size_t n_threads;
} mx_job;

/* One worker's arrays. */
typedef struct mx_work {
    mx_job *job;
    size_t first; /* origins first, first + n_threads, ... */
    mx_state *st;
    mx_from *fr;
    uint32_t *node_lab; /* first label settled at node v (valid if node_stamp[v] == gen) */
    uint32_t *node_stamp, gen;
    uint32_t *walk_stamp, wgen, *path;
    cor_rheap hp;
    cor_router *router;
    size_t *todo; /* cells (i * n_to + j) whose best walk repeats a node, for phase 2 */
    size_t n_todo, cap_todo;
    size_t repaired, limited;
    int err;
    char msg[512];
} mx_work;

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
    double pen_same = j->dwell[y], pen_other = j->dwell[y] + j->transfer[y];
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
    return cor_rheap_push(&w->hp, x->g[1], 2 * (size_t)s + 1);
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
        int err = cor_rheap_push(&w->hp, g, 2 * (size_t)s);
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
        const mx_state *x = &w->st[s];
        if (e.key > x->g[k])
            continue; /* a stale entry */
        uint32_t y = x->node, cy = x->cls, back = x->tail0;
        if (k == 0 && w->node_stamp[y] != w->gen) {
            w->node_stamp[y] = w->gen;
            w->node_lab[y] = lab;
            left -= j->is_target[y];
        }
        double pen_same = j->dwell[y], pen_other = j->dwell[y] + j->transfer[y];
        uint32_t b0 = j->out_start[y], b1 = j->out_start[y + 1];
        for (uint32_t b = b0; b < b1; b++) /* fetch the states in parallel, not one by one */
            __builtin_prefetch(&w->st[j->slot[b].state]);
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

/* Totals of a route given by its network arcs, summed in travel order as route.c's route_total. */
static void arc_totals(const mx_job *j, const uint32_t *arcs, size_t len, double *tot)
{
    const cor_network *net = &j->net;
    for (int met = 0; met < COR_NMET; met++) {
        double t = 0.0;
        for (size_t k = 0; k < len; k++) {
            size_t a = arcs[k];
            if (k > 0 && met != CORRIDOR_BY_DISTANCE) {
                const cor_node *nd = &j->m->nodes[net->arc_from[a]];
                t = t + penalty(nd->dwell[met], nd->transfer[met], net->arc_class[arcs[k - 1]],
                                net->arc_class[a]);
            }
            t = t + cor_arc_w(net, a, met);
        }
        tot[met] = t;
    }
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
 * The walk ending with label `best` into w->path as network arcs in travel
 * order; 1 if it visits no node twice (then it is a route), else 0.
 */
static int mx_walk(mx_work *w, uint32_t best, size_t *len)
{
    const mx_job *j = w->job;
    int simple = 1;
    if (++w->wgen == 0) {
        memset(w->walk_stamp, 0, (j->n + 1) * sizeof *w->walk_stamp);
        w->wgen = 1;
    }
    *len = 0;
    w->walk_stamp[j->state_node[best / 2]] = w->wgen;
    for (uint32_t lab = best; lab != NOPRED;) {
        const mx_from *x = &w->fr[lab / 2];
        uint32_t k = lab % 2, v = (uint32_t)j->net.arc_from[j->slot_arc[x->slot[k]]];
        if (w->walk_stamp[v] == w->wgen)
            simple = 0;
        w->walk_stamp[v] = w->wgen;
        w->path[(*len)++] = j->slot_arc[x->slot[k]];
        lab = x->pred[k];
    }
    for (size_t a = 0, b = *len; a + 1 < b; a++, b--) {
        uint32_t t = w->path[a];
        w->path[a] = w->path[b - 1];
        w->path[b - 1] = t;
    }
    return simple;
}

/* Fills row i from the search's labels. */
static int mx_row(mx_work *w, size_t i)
{
    mx_job *j = w->job;
    corridor_matrix *mx = j->mx;
    int err = 0;
    for (size_t jj = 0; jj < mx->n_to; jj++) {
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
        size_t len = 0;
        if (!mx_walk(w, best, &len)) { /* not a route: phase 2 */
            if ((err = mx_todo(w, i * mx->n_to + jj)) < 0)
                return err;
            continue;
        }
        arc_totals(j, w->path, len, tot);
        *st = CORRIDOR_CELL_ROUTE;
    }
    return 0;
}

static void mx_work_free(mx_work *w);

static void *mx_worker(void *arg)
{
    mx_work *w = arg;
    mx_job *j = w->job;
    w->st = malloc((j->n_states + 1) * sizeof *w->st);
    w->fr = malloc((j->n_states + 1) * sizeof *w->fr);
    w->node_lab = malloc((j->n + 1) * sizeof *w->node_lab);
    w->node_stamp = calloc(j->n + 1, sizeof *w->node_stamp);
    w->walk_stamp = calloc(j->n + 1, sizeof *w->walk_stamp);
    w->path = malloc((2 * j->n_states + 1) * sizeof *w->path); /* one arc per label at most */
    if (!w->st || !w->fr || !w->node_lab || !w->node_stamp || !w->walk_stamp || !w->path) {
        w->err = corridor__oom();
        goto done;
    }
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
    free(w->walk_stamp);
    free(w->path);
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
    j->out_start = malloc((n + 1) * sizeof *j->out_start);
    j->slot = malloc((na + 1) * sizeof *j->slot);
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
    j->dwell = malloc((n + 1) * sizeof *j->dwell);
    j->transfer = malloc((n + 1) * sizeof *j->transfer);
    j->is_target = calloc(n + 1, 1);
    if (!j->dwell || !j->transfer || !j->is_target)
        return corridor__oom();
    for (size_t v = 0; v < n; v++) {
        int dist = j->by == CORRIDOR_BY_DISTANCE;
        j->dwell[v] = dist ? 0.0 : j->m->nodes[v].dwell[j->by];
        j->transfer[v] = dist ? 0.0 : j->m->nodes[v].transfer[j->by];
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
    free(j.dwell);
    free(j.transfer);
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
