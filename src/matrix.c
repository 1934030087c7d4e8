/* matrix.c: origin-destination matrices: the best route's totals for every pair, one search per
 * origin. */
#define _POSIX_C_SOURCE 200809L
#include <cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_internal.h"
#include "network.h"
#include "route_internal.h"

/*
 * How it works
 * ------------
 * The value of a route (DESIGN.md, "Route cost") depends on the path only
 * through its arcs and, at each intermediate node, the classes it arrives and
 * leaves by. So the cheapest *walk* from an origin to every node is a
 * Dijkstra over states (node, class of arrival), started at (origin, NONE)
 * with 0: leaving state (x, cx) by arc a = x -> y of class cy costs
 * penalty(x, cx, cy) + w(a) (no penalty when leaving the origin), and the
 * value at a destination node is the least value over its arrival states. One
 * such search per origin place (all its nodes as starts) answers every
 * destination at once, instead of one route search per pair.
 *
 * Where it agrees with `route -k 1`: a route must be a simple path (no node
 * twice), a walk need not be. Every route is a walk, so the walk's value is a
 * lower bound; when the cheapest walk to a destination visits no node twice
 * it *is* a cheapest route, and its value and totals (summed in route order,
 * as route does, so bit for bit the same) are route's. The cheapest walk can
 * repeat a node only when a loop saves a dwell or a transfer that costs more
 * than the loop (arrive by rail, loop back by road to leave by road without
 * the rail-road transfer). Each destination's walk is followed back and
 * checked; where it repeats a node the pair is answered by route's own search
 * (cor_router, the same as `route -k 1`) instead. That keeps the answer exact;
 * `n_repaired` counts such pairs. Route's search can need very many partial
 * routes for such a pair (the loop saved a transfer, and every route within
 * that saving is explored; `route -k 1` itself may stop at its limit of 20
 * million): here it is given MX_REPAIR_LABELS, and a pair over that is
 * reported as unknown (CORRIDOR_CELL_LIMIT, counted in `n_limited`), never
 * as a wrong value. These searches run after all origins, grouped by
 * destination, so that each destination's lower bounds are computed once. Among routes of equal
 * value the matrix may report another one than `route` (its other totals may then differ).
 *
 * A route ends at the first destination node it reaches only if the
 * destination place is one node; for a multi-node place (country:XX) it may
 * pass through one destination node to end at another, and a walk does the
 * same. The origin state has class NONE and is never a destination state, so
 * every route has an edge. Origin and destination the same node: no answer
 * (route calls that a usage error).
 *
 * Origins are independent: with `threads` > 1 the origins are dealt to worker
 * threads in turn, each with its own search arrays and router, writing to its
 * own rows of the result; the answer does not depend on the thread count.
 * Time: per origin O((|V| + |E|) C log(|V| C)) for C classes, plus the path
 * checks (the total length of the best walks); memory per thread O(|V| C).
 */

typedef struct mx_heap {
    double *key;
    uint32_t *id;
    size_t n, cap;
} mx_heap;

static int mx_push(mx_heap *h, double key, uint32_t id)
{
    if (h->n == h->cap) {
        size_t nc = h->cap ? 2 * h->cap : 4096;
        double *nk = realloc(h->key, nc * sizeof *nk);
        if (nk)
            h->key = nk;
        uint32_t *ni = realloc(h->id, nc * sizeof *ni);
        if (ni)
            h->id = ni;
        if (!nk || !ni)
            return corridor__oom();
        h->cap = nc;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!(key < h->key[p]))
            break;
        h->key[i] = h->key[p];
        h->id[i] = h->id[p];
        i = p;
    }
    h->key[i] = key;
    h->id[i] = id;
    return 0;
}

static uint32_t mx_pop(mx_heap *h, double *key)
{
    uint32_t top = h->id[0];
    *key = h->key[0];
    double lk = h->key[--h->n];
    uint32_t li = h->id[h->n];
    size_t i = 0, n = h->n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h->key[c + 1] < h->key[c])
            c++;
        if (!(h->key[c] < lk))
            break;
        h->key[i] = h->key[c];
        h->id[i] = h->id[c];
        i = c;
    }
    if (n) {
        h->key[i] = lk;
        h->id[i] = li;
    }
    return top;
}

#define NOPRED UINT32_MAX
/* the route search's limit for a cell whose best walk repeats a node (route's own: 20 million) */
#define MX_REPAIR_LABELS 100000u

/* What every worker shares (read only while the workers run). */
typedef struct mx_job {
    const corridor_model *m;
    const corridor_filter *filter;
    int by;
    cor_network net;
    size_t C, C1;
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
    double *dist;
    uint32_t *pred, *pred_arc, *stamp, gen;
    uint32_t *node_stamp, *walk_stamp, wgen, *path;
    mx_heap hp;
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
    return dwell + (in != out ? transfer : 0.0);
}

/* One-to-all search from origin place i (see "How it works"). */
static int mx_search(mx_work *w, size_t i)
{
    mx_job *j = w->job;
    const cor_network *net = &j->net;
    size_t C = j->C, C1 = j->C1, left = j->n_targets;
    const double *warc = net->arc_w;
    int by = j->by, err = 0;

    if (++w->gen == 0) {
        memset(w->stamp, 0, (net->n_nodes * C1 + 1) * sizeof *w->stamp);
        memset(w->node_stamp, 0, (net->n_nodes + 1) * sizeof *w->node_stamp);
        w->gen = 1;
    }
    w->hp.n = 0;
    for (size_t k = 0; k < j->n_from_nodes[i]; k++) {
        size_t s = j->from_nodes[i][k] * C1 + C;
        if (w->stamp[s] == w->gen)
            continue;
        w->stamp[s] = w->gen;
        w->dist[s] = 0.0;
        w->pred[s] = NOPRED;
        if ((err = mx_push(&w->hp, 0.0, (uint32_t)s)) < 0)
            return err;
    }
    /* node_stamp[v] == gen: v reached by an arrival state that was settled */
    while (w->hp.n && left) {
        double d;
        uint32_t s = mx_pop(&w->hp, &d);
        if (d > w->dist[s])
            continue;
        size_t x = s / C1, cx = s % C1;
        if (w->node_stamp[x] != w->gen) {
            w->node_stamp[x] = w->gen;
            if (j->is_target[x] && cx != C)
                left--;
            else if (j->is_target[x])
                w->node_stamp[x] = 0; /* a start: its arrival states still count */
        }
        for (size_t k = net->out_start[x]; k < net->out_start[x + 1]; k++) {
            size_t a = net->out_arc[k], y = net->arc_to[a], cy = net->arc_class[a];
            size_t t = y * C1 + cy;
            double g = cx == C ? d + warc[a * COR_NMET + by]
                               : d + penalty(j->dwell[x], j->transfer[x], cx, cy) +
                                     warc[a * COR_NMET + by];
            if (w->stamp[t] == w->gen && !(g < w->dist[t]))
                continue;
            w->stamp[t] = w->gen;
            w->dist[t] = g;
            w->pred[t] = s;
            w->pred_arc[t] = (uint32_t)a;
            if ((err = mx_push(&w->hp, g, (uint32_t)t)) < 0)
                return err;
        }
    }
    return 0;
}

/* Totals of a route given by its arcs, summed in travel order as route.c's route_total. */
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
            t = t + net->arc_w[a * COR_NMET + met];
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

/* Fills row i from the search's states. */
static int mx_row(mx_work *w, size_t i)
{
    mx_job *j = w->job;
    corridor_matrix *mx = j->mx;
    const cor_network *net = &j->net;
    size_t C = j->C, C1 = j->C1;
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
        for (size_t k = 0; k < j->n_to_nodes[jj]; k++) {
            size_t v = j->to_nodes[jj][k];
            for (size_t c = 0; c < C; c++) {
                size_t s = v * C1 + c;
                if (w->stamp[s] == w->gen && (best == NOPRED || w->dist[s] < w->dist[best]))
                    best = (uint32_t)s;
            }
        }
        *st = CORRIDOR_CELL_NONE;
        if (best == NOPRED)
            continue;
        /* follow the walk back; a node seen twice means it is not a route */
        size_t len = 0;
        int simple = 1;
        if (++w->wgen == 0) {
            memset(w->walk_stamp, 0, (net->n_nodes + 1) * sizeof *w->walk_stamp);
            w->wgen = 1;
        }
        for (uint32_t s = best; s != NOPRED; s = w->pred[s]) {
            size_t v = s / C1;
            if (w->walk_stamp[v] == w->wgen)
                simple = 0;
            w->walk_stamp[v] = w->wgen;
            if (w->pred[s] != NOPRED)
                w->path[len++] = w->pred_arc[s];
        }
        if (!simple) {
            if ((err = mx_todo(w, i * mx->n_to + jj)) < 0)
                return err;
            continue;
        }
        for (size_t a = 0, b = len; a + 1 < b; a++, b--) {
            uint32_t t = w->path[a];
            w->path[a] = w->path[b - 1];
            w->path[b - 1] = t;
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
    size_t ns = j->net.n_nodes * j->C1 + 1;
    w->dist = malloc(ns * sizeof *w->dist);
    w->pred = malloc(ns * sizeof *w->pred);
    w->pred_arc = malloc(ns * sizeof *w->pred_arc);
    w->stamp = calloc(ns, sizeof *w->stamp);
    w->node_stamp = calloc(j->net.n_nodes + 1, sizeof *w->node_stamp);
    w->walk_stamp = calloc(j->net.n_nodes + 1, sizeof *w->walk_stamp);
    w->path = malloc(ns * sizeof *w->path); /* a walk has at most one arc per state */
    if (!w->dist || !w->pred || !w->pred_arc || !w->stamp || !w->node_stamp || !w->walk_stamp ||
        !w->path) {
        w->err = corridor__oom();
        goto done;
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
    free(w->dist);
    free(w->pred);
    free(w->pred_arc);
    free(w->stamp);
    free(w->node_stamp);
    free(w->walk_stamp);
    free(w->path);
    free(w->hp.key);
    free(w->hp.id);
    w->dist = NULL;
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

/* Builds the network and the per-node penalties of the job. */
static int job_network(mx_job *j)
{
    int err = 0;
    if ((err = cor_network_build(&j->net, j->m, j->filter, j->by)) < 0)
        return err;
    if (j->m->n_nodes >= UINT32_MAX / (j->net.n_classes + 1) || j->net.n_arcs >= 0x7fffffffu)
        return corridor__error(CORRIDOR_EUSAGE, "model too large for a matrix (%zu nodes)",
                               j->m->n_nodes);
    j->C = j->net.n_classes;
    j->C1 = j->C + 1;
    size_t n = j->m->n_nodes;
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
    return 0;
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
