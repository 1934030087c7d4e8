/* assign.c: traffic assignment: demand loaded all-or-nothing or at user equilibrium (BPR, BFW). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign_internal.h"
#include "internal.h"
#include "network.h"
#include "route_internal.h"

/*
 * How it works
 * ------------
 * Each commodity is assigned on its own routing network (cor_network with the
 * filter's status, year, avoid and corridors, carry = the commodity): the
 * commodities share no capacity (capacities are per commodity).
 *
 * Elements and costs. The solution is a vector x over the arcs (volume per
 * direction), the nodes (volume passing through: a route's intermediate
 * nodes, the only ones that pay dwell) and three scalars (the transfer
 * penalties paid: in the objective, in hours, in USD). With K the weight of
 * time (1 when ranking by time, the value of time when ranking by cost, 0
 * otherwise) and F the fixed part (the ranking metric when it is not time):
 *     arc a:  c_a(x) = F_a + K t0_a (1 + alpha (x / cap_a)^beta)
 *     node v: d_v(x) = F_v + K dwell0_v (1 + alpha (x / cap_v)^beta)
 * (no capacity: the free-flow value; capacity 0: the arc is unusable), and a
 * transfer costs its fixed penalty. alpha and beta are the element's own
 * (bpr_alpha, bpr_beta in the model), else its mode's defaults (edges), else
 * the options'. A route's cost is then exactly the route
 * value of `route` at the loaded times.
 *
 * Shortest routes. Per origin node, one Dijkstra over states (node, class of
 * arrival) with the origin as a state of its own, paying dwell and transfer
 * at intermediate nodes as route.c does; it stops when every destination of
 * the origin is settled. It finds the cheapest walk; if a walk visits a node
 * twice (a loop that saves a transfer: rare), the exact search of route.c
 * (cor_router, with the current weights through cor_router_set_weights)
 * gives the best simple route instead. So the routes are those of `route`.
 *
 * Equilibrium. Beckmann's objective Z(x) = sum of the integrals of the cost
 * functions (transfers: linear) is convex; its minimum is the user
 * equilibrium. Bi-conjugate Frank-Wolfe (Mitradjieva and Lindberg 2013, the
 * form AequilibraE uses): y = all-or-nothing at the costs of x; the target
 * s = b0 y + b1 s1 + b2 s2 (s1, s2: the last two targets) with weights that
 * make s - x conjugate to the last two directions under the Hessian
 * diag(c'(x)); after a Frank-Wolfe step (the first, and after any full step
 * l = 1) one conjugate step (s = a s1 + (1 - a) y, a clipped to [0, 0.99999])
 * comes before the bi-conjugate ones. x moves to x + l (s - x) with l in
 * [0, 1] minimising Z (bisection on the derivative). Method fw always takes
 * s = y. The relative gap
 *     gap = (sum_e x_e c_e(x_e) - sum_od q_od min cost_od) / sum_e x_e c_e(x_e)
 * is measured at every iterate; the loop stops at gap <= target or at the
 * iteration cap. AON is the first iterate (free-flow costs); its gap is
 * reported too.
 *
 * Route shares (keep_paths): each OD pair keeps the distinct routes the
 * all-or-nothing steps gave it and their volume in x and in s, combined with
 * the same weights as the element volumes.
 */

#define LINE_SEARCH_STEPS 60
#define CFW_MAX_ALPHA     0.99999
#define N_EXTRA           3      /* transfer penalties: objective, hours, USD */
#define FALLBACK_LABELS   200000 /* cap of one exact search for a walk that repeats a node */
#define SWITCH            (UINT32_MAX - 1) /* pred of a state entered by passing a via place */

/* ------------------------------------------------------------ small heap */

typedef struct hitem {
    double key;
    size_t id;
} hitem;

typedef struct aheap {
    hitem *a;
    size_t n, cap;
} aheap;

static int aheap_push(aheap *h, double key, size_t id)
{
    if (h->n == h->cap) {
        size_t nc = h->cap ? 2 * h->cap : 1024;
        hitem *na = realloc(h->a, nc * sizeof *na);
        if (!na)
            return corridor__oom();
        h->a = na;
        h->cap = nc;
    }
    size_t i = h->n++;
    while (i > 0 && h->a[(i - 1) / 2].key > key) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i].key = key;
    h->a[i].id = id;
    return 0;
}

static hitem aheap_pop(aheap *h)
{
    hitem top = h->a[0], last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->a[c + 1].key < h->a[c].key)
            c++;
        if (h->a[c].key >= last.key)
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n)
        h->a[i] = last;
    return top;
}

/* ------------------------------------------------------------- the problem */

/* A route kept for an OD pair: its arcs, and its volume in x and in s. */
typedef struct kpath {
    uint32_t *arcs;
    size_t n;
    double xv, sv, s2v; /* volume in x, in the target s1 and in the target before it */
} kpath;

/* One OD pair of one commodity. */
typedef struct pod {
    size_t o, d;          /* nodes */
    size_t n_legs;        /* 1 + via places */
    unsigned char *vmark; /* with via: vmark[l * n + v] = 1 if v ends leg l (l < n_legs - 1) */
    double q;
    size_t res; /* index in the result's ods */
    int served;
    double cost; /* cheapest at the last all-or-nothing */
    size_t last; /* path chosen by the last all-or-nothing */
    kpath *paths;
    size_t n_paths, cap_paths;
} pod;

/* The cost function parameters of one element (arc or node). */
typedef struct bpr {
    double fixed, t0, cap, alpha, beta;
} bpr;

typedef struct prob {
    const corridor_model *m;
    const corridor_assign_opts *opts;
    corridor_filter filter;
    corridor_commodity carry;
    cor_network net;
    size_t n, na, C, L; /* nodes, arcs, classes, solution length */
    size_t max_legs;    /* state arrays hold max_legs layers of n * (C + 1) states */
    bpr *el;            /* na arcs, then n nodes */
    double *tr;         /* transfer penalty per node (objective) */
    double *tr_h, *tr_usd;
    double K;
    double *w, *dw; /* current arc and dwell costs */
    pod *ods;
    size_t n_ods;
    size_t *by_origin; /* ods sorted by origin */
    /* Dijkstra scratch */
    double *dist;
    uint32_t *pred; /* arc that reached the state; UINT32_MAX at the origin */
    size_t *pstate; /* the state that arc left */
    unsigned char *done;
    size_t *touched;
    size_t n_touched;
    size_t *dest_mark, *best_state;
    size_t *stamp;
    size_t stamp_now;
    uint32_t *pbuf; /* a path's arcs */
    aheap hp;
    cor_router *router; /* exact search for a walk that repeats a node */
    size_t n_fallback;  /* exact searches run */
    size_t n_approx;    /* of which hit their cap: the walk with its loops cut was used */
    size_t *cut_pos;    /* loop cutting: position of a node on the path so far */
} prob;

static double el_cost(const bpr *b, double K, double v)
{
    if (!(b->cap < INFINITY) || b->t0 == 0 || K == 0)
        return b->fixed + K * b->t0;
    return b->fixed + K * b->t0 * (1 + b->alpha * pow(v / b->cap, b->beta));
}

static double el_deriv(const bpr *b, double K, double v)
{
    if (!(b->cap < INFINITY) || b->t0 == 0 || K == 0 || v <= 0)
        return 0.0;
    return K * b->t0 * b->alpha * b->beta / b->cap * pow(v / b->cap, b->beta - 1);
}

/* Loaded time in hours of an element at volume v (no fixed part). */
static double el_time(const bpr *b, double v)
{
    if (!(b->cap < INFINITY) || b->t0 == 0)
        return b->t0;
    return b->t0 * (1 + b->alpha * pow(v / b->cap, b->beta));
}

/*
 * The BPR parameters of an element: its own (`own`, NAN where not given), else the model's
 * defaults for its mode (edges; mode -1: a node), else the options'.
 */
static void bpr_params(const prob *p, int mode, const double own[2], double *alpha, double *beta)
{
    const cor_defaults *d = mode >= 0 ? &p->m->defaults[mode] : NULL;
    double mode_a = d ? d->bpr_alpha : NAN, mode_b = d ? d->bpr_beta : NAN;
    *alpha = !isnan(own[0]) ? own[0] : !isnan(mode_a) ? mode_a : p->opts->alpha;
    *beta = !isnan(own[1]) ? own[1] : !isnan(mode_b) ? mode_b : p->opts->beta;
}

/* Fills the cost parameters of arcs and nodes; EINVALID for an edge without the time. */
static int prob_costs(prob *p)
{
    const corridor_model *m = p->m;
    int by = p->opts->by, c = p->carry;
    p->K = by == CORRIDOR_BY_TIME ? 1.0 : by == CORRIDOR_BY_COST ? p->opts->value_of_time : 0.0;
    for (size_t a = 0; a < p->na; a++) {
        const cor_edge *e = &m->edges[p->net.arc_edge[a]];
        bpr *b = &p->el[a];
        double own[2] = {e->bpr_alpha, e->bpr_beta};
        bpr_params(p, (int)e->mode, own, &b->alpha, &b->beta);
        b->t0 = e->metric[CORRIDOR_BY_TIME];
        b->fixed = by == CORRIDOR_BY_TIME ? 0.0 : e->metric[by];
        b->cap = e->capacity[c];
        if (p->K > 0 && isnan(b->t0))
            return corridor__error(CORRIDOR_EINVALID,
                                   "edge \"%s\" has no time_h and none can be derived: give "
                                   "time_h, or distance_km and a speed for its mode",
                                   e->id);
        if (b->cap <= 0)
            b->fixed = INFINITY; /* carries none of it */
    }
    for (size_t v = 0; v < p->n; v++) {
        const cor_node *nd = &m->nodes[v];
        bpr *b = &p->el[p->na + v];
        int dist = by == CORRIDOR_BY_DISTANCE;
        double own[2] = {nd->bpr_alpha, nd->bpr_beta};
        bpr_params(p, -1, own, &b->alpha, &b->beta);
        b->t0 = dist && p->K == 0 ? 0.0 : nd->dwell[CORRIDOR_BY_TIME];
        b->fixed = by == CORRIDOR_BY_TIME || dist ? 0.0 : nd->dwell[by];
        b->cap = nd->capacity[c] > 0 ? nd->capacity[c] : INFINITY;
        p->tr_h[v] = nd->transfer[CORRIDOR_BY_TIME];
        p->tr_usd[v] = nd->transfer[CORRIDOR_BY_COST];
        p->tr[v] =
            dist ? 0.0 : (by == CORRIDOR_BY_TIME ? 0.0 : nd->transfer[by]) + p->K * p->tr_h[v];
    }
    return 0;
}

/* Sets p->w and p->dw to the costs at x. */
static void set_costs(prob *p, const double *x)
{
    for (size_t a = 0; a < p->na; a++)
        p->w[a] = el_cost(&p->el[a], p->K, x[a]);
    for (size_t v = 0; v < p->n; v++)
        p->dw[v] = el_cost(&p->el[p->na + v], p->K, x[p->na + v]);
}

/* ------------------------------------------------------------- routes */

/* Reaches state t at nd by arc a from state st, if that is better: the Dijkstras' one step. */
static int relax(prob *p, size_t t, double nd, size_t a, size_t st)
{
    if (!(nd < p->dist[t]))
        return 0;
    if (p->dist[t] == INFINITY)
        p->touched[p->n_touched++] = t;
    p->dist[t] = nd;
    p->pred[t] = (uint32_t)a;
    p->pstate[t] = st;
    return aheap_push(&p->hp, nd, t);
}

/* Dijkstra over (node, class) states from origin o until every marked destination is settled. */
static int dijkstra(prob *p, size_t o, size_t n_dest)
{
    const cor_network *net = &p->net;
    size_t C1 = p->C + 1, found = 0;
    int err = 0;
    for (size_t i = 0; i < p->n_touched; i++) {
        p->dist[p->touched[i]] = INFINITY;
        p->done[p->touched[i]] = 0;
    }
    p->n_touched = 0;
    p->hp.n = 0;
    size_t s0 = o * C1 + p->C;
    p->dist[s0] = 0;
    p->pred[s0] = UINT32_MAX;
    p->touched[p->n_touched++] = s0;
    if ((err = aheap_push(&p->hp, 0, s0)) < 0)
        return err;
    while (p->hp.n && found < n_dest) {
        hitem it = aheap_pop(&p->hp);
        size_t st = it.id, u = st / C1, cin = st % C1;
        if (p->done[st])
            continue;
        p->done[st] = 1;
        if (p->dest_mark[u] == p->stamp_now && p->best_state[u] == SIZE_MAX) {
            p->best_state[u] = st;
            found++;
        }
        for (size_t j = net->out_start[u]; j < net->out_start[u + 1]; j++) {
            size_t a = net->out_arc[j], cl = net->arc_class[a];
            double pen = cin == p->C ? 0.0 : p->dw[u] + (cin != cl ? p->tr[u] : 0.0);
            double nd = it.key + pen + p->w[a];
            size_t t = net->arc_to[a] * C1 + cl;
            if ((err = relax(p, t, nd, a, st)) < 0)
                return err;
        }
    }
    return 0;
}

/* The arcs of the walk to state st into p->pbuf (in travel order); returns their number. */
static size_t walk(prob *p, size_t st)
{
    size_t len = 0;
    while (p->pred[st] != UINT32_MAX) {
        uint32_t a = p->pred[st];
        p->pbuf[len++] = a;
        st = p->pstate[st];
    }
    for (size_t i = 0; i < len / 2; i++) {
        uint32_t t = p->pbuf[i];
        p->pbuf[i] = p->pbuf[len - 1 - i];
        p->pbuf[len - 1 - i] = t;
    }
    return len;
}

/* 1 if the walk of len arcs visits a node twice. */
static int repeats_in(prob *p, const uint32_t *arcs, size_t len)
{
    if (++p->stamp_now == 0)
        p->stamp_now = 1;
    for (size_t i = 0; i <= len; i++) {
        size_t v = i == 0 ? p->net.arc_from[arcs[0]] : p->net.arc_to[arcs[i - 1]];
        if (p->stamp[v] == p->stamp_now)
            return 1;
        p->stamp[v] = p->stamp_now;
    }
    return 0;
}

static int repeats(prob *p, size_t len)
{
    return repeats_in(p, p->pbuf, len);
}

/*
 * Cuts the loops of the walk of *len arcs: whenever the walk comes back to a node of the path so
 * far, the path is cut back to that node. The result is a route (no node twice), not always the
 * cheapest one. *len is updated.
 */
static void cut_loops_in(prob *p, uint32_t *arcs, size_t *len)
{
    size_t n = 0;
    if (*len == 0)
        return;
    if (++p->stamp_now == 0)
        p->stamp_now = 1;
    size_t o = p->net.arc_from[arcs[0]];
    p->stamp[o] = p->stamp_now;
    p->cut_pos[o] = 0;
    for (size_t i = 0; i < *len; i++) {
        uint32_t a = arcs[i];
        size_t to = p->net.arc_to[a];
        if (p->stamp[to] == p->stamp_now && p->cut_pos[to] <= n &&
            (p->cut_pos[to] == 0 ? to == o : p->net.arc_to[arcs[p->cut_pos[to] - 1]] == to)) {
            n = p->cut_pos[to]; /* back at a node of the path: drop the loop */
            continue;
        }
        arcs[n++] = a;
        p->stamp[to] = p->stamp_now;
        p->cut_pos[to] = n;
    }
    *len = n;
}

static int cut_loops(prob *p, size_t *len)
{
    cut_loops_in(p, p->pbuf, len);
    return 0;
}

/* The best simple route of pair od by the exact search, into p->pbuf; *len 0 if none. */
static int exact_route(prob *p, const pod *od, size_t *len)
{
    const corridor_model *m = p->m;
    cor_path path;
    double val = 0;
    int err = 0;
    memset(&path, 0, sizeof path);
    if (!p->router) {
        corridor_metric by = p->opts->by == CORRIDOR_BY_TIME ? CORRIDOR_BY_TIME : p->opts->by;
        if ((err = cor_router_new(&p->router, m, &p->filter, by)) < 0)
            return err;
        cor_router_limit(p->router, FALLBACK_LABELS);
    }
    if ((err = cor_router_pair(p->router, m->nodes[od->o].id, m->nodes[od->d].id)) < 0 ||
        (err = cor_router_set_weights(p->router, p->w, p->dw, p->tr)) < 0)
        return err;
    err = cor_router_best(p->router, -1, &val, &path);
    if (err == CORRIDOR_ENOTFOUND) {
        *len = 0;
        return 0;
    }
    if (err == CORRIDOR_ELIMIT) { /* the cap: keep the walk, loops cut */
        p->n_fallback++;
        p->n_approx++;
        return cut_loops(p, len);
    }
    if (err < 0)
        return err;
    *len = 0;
    for (size_t j = 0; j < path.n_edges; j++) {
        size_t u = (size_t)path.nodes[j];
        for (size_t k = p->net.out_start[u]; k < p->net.out_start[u + 1]; k++) {
            size_t a = p->net.out_arc[k];
            if (p->net.arc_edge[a] == (size_t)path.edges[j] &&
                p->net.arc_to[a] == (size_t)path.nodes[j + 1]) {
                p->pbuf[(*len)++] = (uint32_t)a;
                break;
            }
        }
    }
    cor_path_free(&path);
    p->n_fallback++;
    return 0;
}

/* The cost of a route at the current costs, and the transfer penalties it pays. */
static double route_cost(const prob *p, const uint32_t *arcs, size_t len, double tr[N_EXTRA])
{
    double c = 0;
    for (size_t i = 0; i < N_EXTRA; i++)
        tr[i] = 0;
    for (size_t i = 0; i < len; i++) {
        c += p->w[arcs[i]];
        if (i == 0)
            continue;
        size_t v = p->net.arc_from[arcs[i]];
        c += p->dw[v];
        if (p->net.arc_class[arcs[i]] != p->net.arc_class[arcs[i - 1]]) {
            c += p->tr[v];
            tr[0] += p->tr[v];
            tr[1] += p->tr_h[v];
            tr[2] += p->tr_usd[v];
        }
    }
    return c;
}

/* Finds (or adds) the route among the pair's kept routes; returns its index or -1 (ENOMEM). */
static long keep_path(pod *od, const uint32_t *arcs, size_t len)
{
    for (size_t i = 0; i < od->n_paths; i++)
        if (od->paths[i].n == len && memcmp(od->paths[i].arcs, arcs, len * sizeof *arcs) == 0)
            return (long)i;
    if (od->n_paths == od->cap_paths) {
        size_t nc = od->cap_paths ? 2 * od->cap_paths : 4;
        kpath *np = realloc(od->paths, nc * sizeof *np);
        if (!np)
            return -1;
        od->paths = np;
        od->cap_paths = nc;
    }
    kpath *k = &od->paths[od->n_paths];
    memset(k, 0, sizeof *k);
    if (!(k->arcs = malloc((len + 1) * sizeof *arcs)))
        return -1;
    memcpy(k->arcs, arcs, len * sizeof *arcs);
    k->n = len;
    return (long)od->n_paths++;
}

/* Adds q on the route in p->pbuf to y. */
static void load_route(prob *p, size_t len, double q, double *y)
{
    double tr[N_EXTRA];
    route_cost(p, p->pbuf, len, tr);
    for (size_t i = 0; i < len; i++) {
        y[p->pbuf[i]] += q;
        if (i > 0)
            y[p->na + p->net.arc_from[p->pbuf[i]]] += q;
    }
    for (size_t i = 0; i < N_EXTRA; i++)
        y[p->na + p->n + i] += q * tr[i];
}

/* Routes one OD pair whose origin's Dijkstra has run; loads it on y. */
static int route_pair(prob *p, pod *od, double *y, double *sptt)
{
    size_t st = p->best_state[od->d], len = 0;
    int err = 0;
    od->served = st != SIZE_MAX;
    if (!od->served) {
        od->cost = NAN;
        return 0;
    }
    len = walk(p, st);
    if (repeats(p, len)) {
        if ((err = exact_route(p, od, &len)) < 0)
            return err;
        if (len == 0) {
            od->served = 0;
            od->cost = NAN;
            return 0;
        }
    }
    double tr[N_EXTRA];
    od->cost = route_cost(p, p->pbuf, len, tr);
    *sptt += od->q * od->cost;
    load_route(p, len, od->q, y);
    if (p->opts->keep_paths) {
        long k = keep_path(od, p->pbuf, len);
        if (k < 0)
            return corridor__oom();
        od->last = (size_t)k;
    }
    return 0;
}

/*
 * Dijkstra for a pair with via places, over layers of states (leg, node, class): a state at a
 * node that ends its leg (reached by an arc) also moves to the next layer, as route.c's legs do.
 * Sets *best to the destination's state in the last layer, SIZE_MAX if there is none.
 */
static int dijkstra_via(prob *p, const pod *od, size_t *best)
{
    const cor_network *net = &p->net;
    size_t C1 = p->C + 1, nsl = p->n * C1, last = od->n_legs - 1;
    int err = 0;
    for (size_t i = 0; i < p->n_touched; i++) {
        p->dist[p->touched[i]] = INFINITY;
        p->done[p->touched[i]] = 0;
    }
    p->n_touched = 0;
    p->hp.n = 0;
    *best = SIZE_MAX;
    size_t s0 = od->o * C1 + p->C;
    p->dist[s0] = 0;
    p->pred[s0] = UINT32_MAX;
    p->touched[p->n_touched++] = s0;
    if ((err = aheap_push(&p->hp, 0, s0)) < 0)
        return err;
    while (p->hp.n) {
        hitem it = aheap_pop(&p->hp);
        size_t st = it.id, l = st / nsl, u = st % nsl / C1, cin = st % C1;
        if (p->done[st])
            continue;
        p->done[st] = 1;
        int by_arc = cin != p->C && p->pred[st] != SWITCH; /* a leg has at least one edge */
        if (l == last && u == od->d && by_arc) {
            *best = st;
            break;
        }
        if (l < last && by_arc && od->vmark[l * p->n + u] && it.key < p->dist[st + nsl]) {
            if (p->dist[st + nsl] == INFINITY)
                p->touched[p->n_touched++] = st + nsl;
            p->dist[st + nsl] = it.key;
            p->pred[st + nsl] = SWITCH;
            p->pstate[st + nsl] = st;
            if ((err = aheap_push(&p->hp, it.key, st + nsl)) < 0)
                return err;
        }
        for (size_t j = net->out_start[u]; j < net->out_start[u + 1]; j++) {
            size_t a = net->out_arc[j], cl = net->arc_class[a];
            double pen = cin == p->C ? 0.0 : p->dw[u] + (cin != cl ? p->tr[u] : 0.0);
            double nd = it.key + pen + p->w[a];
            size_t t = l * nsl + net->arc_to[a] * C1 + cl;
            if ((err = relax(p, t, nd, a, st)) < 0)
                return err;
        }
    }
    return 0;
}

/*
 * Routes a pair with via places and loads it on y. Each leg must be simple on its own (legs may
 * meet again); a leg whose walk repeats a node has its loops cut (no exact search for legs yet;
 * counted as approximate).
 */
static int route_via(prob *p, pod *od, double *y, double *sptt)
{
    size_t best = SIZE_MAX, len = 0, out = 0, start = 0;
    int err = dijkstra_via(p, od, &best);
    if (err < 0)
        return err;
    od->served = best != SIZE_MAX;
    od->cost = NAN;
    if (!od->served)
        return 0;
    len = walk(p, best);
    for (size_t i = 0; i <= len; i++) {
        if (i < len && p->pbuf[i] != SWITCH)
            continue;
        size_t seg = i - start;
        memmove(p->pbuf + out, p->pbuf + start, seg * sizeof *p->pbuf);
        if (seg && repeats_in(p, p->pbuf + out, seg)) {
            cut_loops_in(p, p->pbuf + out, &seg);
            p->n_approx++;
        }
        out += seg;
        start = i + 1;
    }
    len = out;
    double tr[N_EXTRA];
    od->cost = route_cost(p, p->pbuf, len, tr);
    *sptt += od->q * od->cost;
    load_route(p, len, od->q, y);
    if (p->opts->keep_paths) {
        long k = keep_path(od, p->pbuf, len);
        if (k < 0)
            return corridor__oom();
        od->last = (size_t)k;
    }
    return 0;
}

/* All or nothing at the current costs: y (zeroed here) and the cheapest total *sptt. */
static int aon(prob *p, double *y, double *sptt)
{
    int err = 0;
    memset(y, 0, p->L * sizeof *y);
    *sptt = 0;
    for (size_t i = 0; i < p->n_ods;) {
        size_t o = p->ods[p->by_origin[i]].o, j = i, nd = 0;
        if (++p->stamp_now == 0)
            p->stamp_now = 1;
        size_t dst = p->stamp_now;
        for (; j < p->n_ods && p->ods[p->by_origin[j]].o == o; j++) {
            const pod *od = &p->ods[p->by_origin[j]];
            if (od->n_legs == 1 && p->dest_mark[od->d] != dst) {
                p->dest_mark[od->d] = dst;
                p->best_state[od->d] = SIZE_MAX;
                nd++;
            }
        }
        if (nd && (err = dijkstra(p, o, nd)) < 0)
            return err;
        for (size_t k = i; k < j; k++)
            if (p->ods[p->by_origin[k]].n_legs == 1 &&
                (err = route_pair(p, &p->ods[p->by_origin[k]], y, sptt)) < 0)
                return err;
        i = j;
    }
    for (size_t k = 0; k < p->n_ods; k++)
        if (p->ods[k].n_legs > 1 && (err = route_via(p, &p->ods[k], y, sptt)) < 0)
            return err;
    return 0;
}

/* ------------------------------------------------------------ the solver */

/* Total cost at x (costs must be those of x): sum x_e c_e(x_e) + transfers. */
static double total_cost(const prob *p, const double *x)
{
    double t = x[p->na + p->n];
    for (size_t a = 0; a < p->na; a++)
        if (x[a] > 0)
            t += x[a] * p->w[a];
    for (size_t v = 0; v < p->n; v++)
        if (x[p->na + v] > 0)
            t += x[p->na + v] * p->dw[v];
    return t;
}

/* dZ/dl at x + l (s - x). */
static double slope(const prob *p, const double *x, const double *s, double l)
{
    double g = s[p->na + p->n] - x[p->na + p->n];
    for (size_t e = 0; e < p->na + p->n; e++) {
        double d = s[e] - x[e];
        if (d != 0)
            g += d * el_cost(&p->el[e], p->K, x[e] + l * d);
    }
    return g;
}

/* The step in [0, 1] that minimises Z along s - x (bisection on the slope). */
static double line_search(const prob *p, const double *x, const double *s)
{
    if (slope(p, x, s, 1.0) <= 0)
        return 1.0;
    if (slope(p, x, s, 0.0) >= 0)
        return 0.0;
    double lo = 0, hi = 1;
    for (int i = 0; i < LINE_SEARCH_STEPS; i++) {
        double mid = 0.5 * (lo + hi);
        if (slope(p, x, s, mid) < 0)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* The conjugate weight of the previous target s1 (Mitradjieva and Lindberg): s = a s1 + (1 - a) y.
 */
static double cfw_alpha(const prob *p, const double *x, const double *s1, const double *y)
{
    double num = 0, den = 0;
    for (size_t e = 0; e < p->na + p->n; e++) {
        double h = el_deriv(&p->el[e], p->K, x[e]);
        if (h == 0)
            continue;
        num += (s1[e] - x[e]) * (y[e] - x[e]) * h;
        den += (s1[e] - x[e]) * (y[e] - s1[e]) * h;
    }
    if (den == 0 || !isfinite(num / den))
        return 0.0;
    double a = num / den;
    return a < 0 ? 0.0 : a > CFW_MAX_ALPHA ? CFW_MAX_ALPHA : a;
}

/*
 * The bi-conjugate weights b[0..2] of y, s1 and s2 (Mitradjieva and Lindberg 2013; the form
 * of AequilibraE's BFW): s = b0 y + b1 s1 + b2 s2, conjugate to the last two directions.
 * `l` is the last step size (< 1).
 */
static void bfw_betas(const prob *p, const double *x, const double *s1, const double *s2,
                      const double *y, double l, double b[3])
{
    double mn = 0, md = 0, nn = 0, nd = 0, mu = 0, nu = 0;
    for (size_t e = 0; e < p->na + p->n; e++) {
        double h = el_deriv(&p->el[e], p->K, x[e]);
        if (h == 0)
            continue;
        double xe = l * s1[e] + (1 - l) * s2[e] - x[e], ye = y[e] - x[e];
        double ze = s1[e] - x[e], we = s2[e] - s1[e];
        mn += xe * ye * h;
        md += xe * we * h;
        nn += ze * ye * h;
        nd += ze * ze * h;
    }
    if (md != 0 && isfinite(mn / md))
        mu = fmax(0.0, -mn / md);
    if (nd != 0 && isfinite(nn / nd))
        nu = fmax(0.0, -nn / nd + mu * l / (1 - l));
    b[0] = 1.0 / (1.0 + nu + mu);
    b[1] = nu * b[0];
    b[2] = mu * b[0];
}

/* Moves the targets: s2 = s1, s1 = b0 y + b1 s1 + b2 s2 (old s2); route volumes too. */
static void move_target(prob *p, double *s1, double *s2, const double *y, const double b[3])
{
    for (size_t e = 0; e < p->L; e++) {
        double old = s1[e];
        s1[e] = b[0] * y[e] + b[1] * s1[e] + b[2] * s2[e];
        s2[e] = old;
    }
    for (size_t i = 0; p->opts->keep_paths && i < p->n_ods; i++) {
        pod *od = &p->ods[i];
        for (size_t k = 0; k < od->n_paths; k++) {
            kpath *kp = &od->paths[k];
            double old = kp->sv;
            kp->sv =
                b[0] * (od->served && k == od->last ? od->q : 0) + b[1] * kp->sv + b[2] * kp->s2v;
            kp->s2v = old;
        }
    }
}

/* Moves x: x = x + l (s - x), route volumes too. */
static void move_x(prob *p, double *x, const double *s, double l)
{
    for (size_t e = 0; e < p->L; e++)
        x[e] += l * (s[e] - x[e]);
    for (size_t i = 0; p->opts->keep_paths && i < p->n_ods; i++) {
        pod *od = &p->ods[i];
        for (size_t k = 0; k < od->n_paths; k++)
            od->paths[k].xv += l * (od->paths[k].sv - od->paths[k].xv);
    }
}

/*
 * The next target: a Frank-Wolfe step (s = y) at the start, after a full step (l = 1) and for
 * method fw; then one conjugate step; then bi-conjugate steps. *stage counts the steps since
 * the last Frank-Wolfe step.
 */
static void next_target(prob *p, double *x, double *s1, double *s2, const double *y, double l,
                        int *stage)
{
    double b[3] = {1, 0, 0};
    if (p->opts->method != CORRIDOR_ASSIGN_UE || *stage == 0 || l >= 1.0) {
        *stage = 1;
    } else if (*stage == 1) {
        double a = cfw_alpha(p, x, s1, y);
        b[0] = 1 - a;
        b[1] = a;
        *stage = 2;
    } else {
        bfw_betas(p, x, s1, s2, y, l, b);
    }
    move_target(p, s1, s2, y, b);
}

/* Runs the assignment of one commodity into x; sets *iters and *gap. */
static int solve(prob *p, double *x, size_t *iters, double *gap)
{
    const corridor_assign_opts *o = p->opts;
    double *y = calloc(p->L, sizeof *y), *s1 = calloc(p->L, sizeof *s1);
    double *s2 = calloc(p->L, sizeof *s2), sptt = 0, l = 1.0;
    int err = 0, stage = 0;
    *iters = 1;
    *gap = 0;
    if (!y || !s1 || !s2) {
        err = corridor__oom();
        goto done;
    }
    memset(x, 0, p->L * sizeof *x);
    set_costs(p, x);
    if ((err = aon(p, y, &sptt)) < 0)
        goto done;
    next_target(p, x, s1, s2, y, 1.0, &stage);
    move_x(p, x, s1, 1.0);
    for (;;) {
        set_costs(p, x);
        if ((err = aon(p, y, &sptt)) < 0)
            goto done;
        double tstt = total_cost(p, x);
        *gap = tstt > 0 ? (tstt - sptt) / tstt : 0.0;
        if (*gap < 1e-12)
            *gap = 0; /* rounding: the costs carry 16 digits */
        if (o->progress)
            o->progress(*iters, o->max_iter, o->userdata);
        if (o->method == CORRIDOR_ASSIGN_AON || *gap <= o->gap || *iters >= o->max_iter)
            break;
        next_target(p, x, s1, s2, y, l, &stage);
        l = line_search(p, x, s1);
        move_x(p, x, s1, l);
        ++*iters;
    }
done:
    free(y);
    free(s1);
    free(s2);
    return err;
}

/* --------------------------------------------------------------- set up */

/* An OD pair's origin and index, sorted by origin to group the pairs of one Dijkstra. */
typedef struct okey {
    size_t o, i;
} okey;

static int cmp_origin(const void *a, const void *b)
{
    const okey *x = a, *y = b;
    if (x->o != y->o)
        return x->o < y->o ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static void prob_free(prob *p)
{
    cor_network_free(&p->net);
    free(p->el);
    free(p->tr);
    free(p->tr_h);
    free(p->tr_usd);
    free(p->w);
    free(p->dw);
    for (size_t i = 0; p->ods && i < p->n_ods; i++) {
        for (size_t k = 0; k < p->ods[i].n_paths; k++)
            free(p->ods[i].paths[k].arcs);
        free(p->ods[i].paths);
        free(p->ods[i].vmark);
    }
    free(p->ods);
    free(p->by_origin);
    free(p->dist);
    free(p->pred);
    free(p->pstate);
    free(p->done);
    free(p->touched);
    free(p->dest_mark);
    free(p->best_state);
    free(p->stamp);
    free(p->pbuf);
    free(p->cut_pos);
    free(p->hp.a);
    cor_router_free(p->router);
    memset(p, 0, sizeof *p);
}

/* Builds the network and the arrays of one commodity (the OD pairs come later). */
static int prob_init(prob *p, const corridor_model *m, const corridor_assign_opts *o,
                     corridor_commodity carry, size_t max_legs)
{
    int err = 0;
    memset(p, 0, sizeof *p);
    p->m = m;
    p->opts = o;
    p->carry = carry;
    p->filter = o->filter;
    p->filter.carry = carry;
    int need = o->by == CORRIDOR_BY_TIME ? CORRIDOR_BY_TIME : (int)o->by;
    if ((err = cor_network_build(&p->net, m, &p->filter, need)) < 0)
        return err;
    p->n = m->n_nodes;
    p->na = p->net.n_arcs;
    p->C = p->net.n_classes;
    p->L = p->na + p->n + N_EXTRA;
    p->max_legs = max_legs;
    size_t ns = max_legs * p->n * (p->C + 1);
    p->el = calloc(p->na + p->n + 1, sizeof *p->el);
    p->tr = calloc(p->n + 1, sizeof *p->tr);
    p->tr_h = calloc(p->n + 1, sizeof *p->tr_h);
    p->tr_usd = calloc(p->n + 1, sizeof *p->tr_usd);
    p->w = calloc(p->na + 1, sizeof *p->w);
    p->dw = calloc(p->n + 1, sizeof *p->dw);
    p->dist = malloc((ns + 1) * sizeof *p->dist);
    p->pred = malloc((ns + 1) * sizeof *p->pred);
    p->pstate = malloc((ns + 1) * sizeof *p->pstate);
    p->done = calloc(ns + 1, 1);
    p->touched = malloc((ns + 1) * sizeof *p->touched);
    p->dest_mark = calloc(p->n + 1, sizeof *p->dest_mark);
    p->best_state = calloc(p->n + 1, sizeof *p->best_state);
    p->stamp = calloc(p->n + 1, sizeof *p->stamp);
    p->pbuf = malloc((ns + 1) * sizeof *p->pbuf);
    p->cut_pos = malloc((p->n + 1) * sizeof *p->cut_pos);
    if (!p->el || !p->tr || !p->tr_h || !p->tr_usd || !p->w || !p->dw || !p->dist || !p->pred ||
        !p->pstate || !p->done || !p->touched || !p->dest_mark || !p->best_state || !p->stamp ||
        !p->pbuf || !p->cut_pos)
        return corridor__oom();
    for (size_t i = 0; i < ns; i++)
        p->dist[i] = INFINITY;
    return prob_costs(p);
}

/* 1 if node v can start (out) or end (in) a route of the commodity. */
static int node_usable(const prob *p, size_t v, int in)
{
    const cor_network *net = &p->net;
    if (!net->node_ok[v])
        return 0;
    return in ? net->in_start[v + 1] > net->in_start[v] : net->out_start[v + 1] > net->out_start[v];
}

/*
 * The nodes a place stands for, with the spreading rule of a country: its
 * usable nodes that are not borders or junctions, or, if there are none, its
 * usable borders and junctions. A single node is kept even if unusable (the
 * pair is then unserved).
 */
static int place_nodes(size_t **out, size_t *n, const prob *p, const char *place, int in)
{
    int err = corridor__place_resolve(out, n, p->m, place);
    if (err < 0 || strncmp(place, "country:", 8) != 0)
        return err;
    size_t k = 0;
    for (int pass = 0; pass < 2 && k == 0; pass++)
        for (size_t i = 0; i < *n; i++) {
            size_t v = (*out)[i];
            corridor_kind kd = p->m->nodes[v].kind;
            int pass_through = kd == CORRIDOR_KIND_BORDER || kd == CORRIDOR_KIND_JUNCTION;
            if (node_usable(p, v, in) && (pass == 1 || !pass_through))
                (*out)[k++] = v;
        }
    *n = k;
    return 0;
}

/* The result being built: growing arrays. */
typedef struct res_build {
    corridor_assignment *a;
    size_t cap_el, cap_od, cap_co;
} res_build;

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? 2 * *cap : 16;
    void *na = realloc(*arr, nc * size);
    if (!na)
        return corridor__oom();
    memset((char *)na + *cap * size, 0, (nc - *cap) * size);
    *arr = na;
    *cap = nc;
    return 0;
}

/* Adds one result OD pair and, if both nodes exist, one solver pair. */
static int add_pair(prob *p, res_build *rb, const cor_demand_row *row, size_t r, const char *from,
                    const char *to, long o, long d, double q, size_t *cap_pods)
{
    corridor_assignment *a = rb->a;
    int err = grow((void **)&a->ods, &rb->cap_od, a->n_ods, sizeof *a->ods);
    if (err < 0)
        return err;
    corridor_assign_od *ro = &a->ods[a->n_ods++];
    if (!(ro->origin = corridor__strdup(row->origin)) ||
        !(ro->destination = corridor__strdup(row->destination)))
        return corridor__oom();
    ro->from = from;
    ro->to = to;
    ro->carry = row->carry;
    ro->row = r;
    ro->quantity = q;
    ro->cost = NAN;
    ro->served = o >= 0 && d >= 0 && q <= 0; /* nothing to carry: not unserved */
    if (o < 0 || d < 0 || (o == d && row->n_via == 0) || q <= 0)
        return 0; /* unserved (or nothing to carry) */
    if ((err = grow((void **)&p->ods, cap_pods, p->n_ods, sizeof *p->ods)) < 0)
        return err;
    pod *od = &p->ods[p->n_ods++];
    od->o = (size_t)o;
    od->d = (size_t)d;
    od->q = q;
    od->res = a->n_ods - 1;
    od->n_legs = row->n_via + 1;
    if (row->n_via == 0)
        return 0;
    if (!(od->vmark = calloc(row->n_via * p->n + 1, 1)))
        return corridor__oom();
    for (size_t l = 0; l < row->n_via; l++) { /* a via place: any of its nodes, as for route */
        size_t *nodes = NULL, nn = 0;
        if ((err = corridor__place_resolve(&nodes, &nn, p->m, row->via[l])) < 0)
            return err;
        for (size_t i = 0; i < nn; i++)
            od->vmark[l * p->n + nodes[i]] = 1;
        free(nodes);
    }
    return 0;
}

/* Turns the demand rows of the commodity into OD pairs (countries spread over their nodes). */
static int build_pairs(prob *p, res_build *rb, const corridor_demand *dem)
{
    size_t cap = 0;
    int err = 0;
    for (size_t r = 0; r < dem->n && err == 0; r++) {
        const cor_demand_row *row = &dem->rows[r];
        size_t *on = NULL, *dn = NULL, no = 0, nd = 0;
        if (row->carry != p->carry)
            continue;
        if ((err = place_nodes(&on, &no, p, row->origin, 0)) < 0 ||
            (err = place_nodes(&dn, &nd, p, row->destination, 1)) < 0) {
            free(on);
            free(dn);
            return err;
        }
        if (no == 0 || nd == 0) /* a country with no usable node: unserved */
            err =
                add_pair(p, rb, row, r, row->origin, row->destination, -1, -1, row->quantity, &cap);
        for (size_t i = 0; i < no && err == 0; i++)
            for (size_t j = 0; j < nd && err == 0; j++)
                err = add_pair(p, rb, row, r, p->m->nodes[on[i]].id, p->m->nodes[dn[j]].id,
                               (long)on[i], (long)dn[j], row->quantity / (double)(no * nd), &cap);
        free(on);
        free(dn);
    }
    if (err < 0)
        return err;
    okey *keys = malloc((p->n_ods + 1) * sizeof *keys);
    if (!keys || !(p->by_origin = malloc((p->n_ods + 1) * sizeof *p->by_origin))) {
        free(keys);
        return corridor__oom();
    }
    for (size_t i = 0; i < p->n_ods; i++)
        keys[i] = (okey){p->ods[i].o, i};
    if (p->n_ods > 1)
        qsort(keys, p->n_ods, sizeof *keys, cmp_origin);
    for (size_t i = 0; i < p->n_ods; i++)
        p->by_origin[i] = keys[i].i;
    free(keys);
    return 0;
}

static int path_cmp(const void *x, const void *y)
{
    double a = ((const corridor_assign_path *)x)->share,
           b = ((const corridor_assign_path *)y)->share;
    return a > b ? -1 : a < b;
}

/* Copies the kept routes of one pair (share >= 1e-9) into the result. */
static int fill_paths(const prob *p, const pod *od, corridor_assign_od *ro)
{
    double tr[N_EXTRA];
    if (!(ro->paths = calloc(od->n_paths + 1, sizeof *ro->paths)))
        return corridor__oom();
    for (size_t k = 0; k < od->n_paths; k++) {
        const kpath *kp = &od->paths[k];
        if (kp->xv < 1e-9 * od->q)
            continue;
        corridor_assign_path *rp = &ro->paths[ro->n_paths++];
        rp->share = kp->xv / od->q;
        rp->cost = route_cost(p, kp->arcs, kp->n, tr);
        rp->n_edges = kp->n;
        rp->edges = malloc((kp->n + 1) * sizeof *rp->edges);
        rp->nodes = malloc((kp->n + 2) * sizeof *rp->nodes);
        if (!rp->edges || !rp->nodes)
            return corridor__oom();
        rp->nodes[0] = p->m->nodes[od->o].id; /* a path of no edge (origin = destination, via) */
        for (size_t i = 0; i < kp->n; i++) {
            rp->edges[i] = p->m->edges[p->net.arc_edge[kp->arcs[i]]].id;
            rp->nodes[i] = p->m->nodes[p->net.arc_from[kp->arcs[i]]].id;
            rp->nodes[i + 1] = p->m->nodes[p->net.arc_to[kp->arcs[i]]].id;
        }
    }
    qsort(ro->paths, ro->n_paths, sizeof *ro->paths, path_cmp);
    return 0;
}

/* Adds an element with its volume to the result. */
static int add_element(res_build *rb, corridor_assign_element el)
{
    corridor_assignment *a = rb->a;
    int err = grow((void **)&a->elements, &rb->cap_el, a->n_elements, sizeof *a->elements);
    if (err == 0)
        a->elements[a->n_elements++] = el;
    return err;
}

/* Element volumes and totals of one commodity from x. */
static int fill_elements(const prob *p, res_build *rb, const double *x, corridor_assign_total *t)
{
    const corridor_model *m = p->m;
    double *fw = calloc(m->n_edges + 1, sizeof *fw), *bw = calloc(m->n_edges + 1, sizeof *bw);
    long *arc_of = malloc((2 * m->n_edges + 1) * sizeof *arc_of);
    int err = 0;
    if (!fw || !bw || !arc_of) {
        err = corridor__oom();
        goto done;
    }
    for (size_t e = 0; e < 2 * m->n_edges; e++)
        arc_of[e] = -1;
    for (size_t a = 0; a < p->na; a++) {
        size_t e = p->net.arc_edge[a];
        (p->net.arc_reversed[a] ? bw : fw)[e] += x[a];
        arc_of[2 * e + p->net.arc_reversed[a]] = (long)a;
        t->unit_km += x[a] * m->edges[e].metric[CORRIDOR_BY_DISTANCE];
        t->unit_h += x[a] * el_time(&p->el[a], x[a]);
        t->cost_usd += x[a] * m->edges[e].metric[CORRIDOR_BY_COST];
    }
    for (size_t e = 0; e < m->n_edges && err == 0; e++) {
        if (fw[e] + bw[e] <= 0)
            continue;
        long a = arc_of[2 * e + (bw[e] > fw[e])];
        const bpr *b = &p->el[a];
        double vmax = fw[e] > bw[e] ? fw[e] : bw[e];
        corridor_assign_element el = {"edge",   m->edges[e].id,
                                      p->carry, fw[e] + bw[e],
                                      fw[e],    bw[e],
                                      b->cap,   b->cap < INFINITY ? vmax / b->cap : 0.0,
                                      b->t0,    el_time(b, vmax),
                                      b->alpha, b->beta};
        err = add_element(rb, el);
    }
    for (size_t v = 0; v < p->n && err == 0; v++) {
        double xv = x[p->na + v];
        const bpr *b = &p->el[p->na + v];
        t->unit_h += xv * el_time(b, xv);
        t->cost_usd += xv * m->nodes[v].dwell[CORRIDOR_BY_COST];
        if (xv <= 0)
            continue;
        corridor_assign_element el = {"node",   m->nodes[v].id,
                                      p->carry, xv,
                                      xv,       0,
                                      b->cap,   b->cap < INFINITY ? xv / b->cap : 0.0,
                                      b->t0,    el_time(b, xv),
                                      b->alpha, b->beta};
        err = add_element(rb, el);
    }
    t->unit_h += x[p->na + p->n + 1];
    t->cost_usd += x[p->na + p->n + 2];
    for (size_t c = 0; c < m->n_corridors && err == 0; c++) {
        corridor_assign_corridor co = {m->corridors[c].id, p->carry, 0, 0};
        for (size_t e = 0; e < m->n_edges; e++)
            for (size_t k = 0; k < m->edges[e].n_corridors; k++)
                if (m->edges[e].corridors[k] == c) {
                    double v = fw[e] + bw[e];
                    co.max_volume = v > co.max_volume ? v : co.max_volume;
                    co.unit_km += v * m->edges[e].metric[CORRIDOR_BY_DISTANCE];
                }
        if (co.max_volume <= 0)
            continue;
        corridor_assignment *a = rb->a;
        if ((err = grow((void **)&a->corridors, &rb->cap_co, a->n_corridors,
                        sizeof *a->corridors)) == 0)
            a->corridors[a->n_corridors++] = co;
    }
done:
    free(fw);
    free(bw);
    free(arc_of);
    return err;
}

/* Assigns one commodity and adds its results. */
static int assign_commodity(const corridor_model *m, const corridor_demand *dem,
                            const corridor_assign_opts *o, corridor_commodity carry, res_build *rb)
{
    prob p;
    double *x = NULL;
    int err = 0;
    corridor_assignment *a = rb->a;
    corridor_assign_total *t = &a->totals[a->n_totals++];
    memset(t, 0, sizeof *t);
    t->carry = carry;
    t->unit = corridor_model_unit(m, carry);
    size_t legs = 1;
    for (size_t r = 0; r < dem->n; r++)
        if (dem->rows[r].carry == carry && dem->rows[r].n_via + 1 > legs)
            legs = dem->rows[r].n_via + 1;
    if ((err = prob_init(&p, m, o, carry, legs)) < 0 || (err = build_pairs(&p, rb, dem)) < 0)
        goto done;
    if (!(x = calloc(p.L, sizeof *x))) {
        err = corridor__oom();
        goto done;
    }
    if (p.n_ods && (err = solve(&p, x, &t->iterations, &t->gap)) < 0)
        goto done;
    t->converged = o->method == CORRIDOR_ASSIGN_AON || t->gap <= o->gap;
    t->exact_searches = p.n_fallback;
    t->approximate_routes = p.n_approx;
    for (size_t i = 0; i < p.n_ods; i++) {
        const pod *od = &p.ods[i];
        corridor_assign_od *ro = &a->ods[od->res];
        ro->served = od->served;
        ro->cost = od->served ? od->cost : NAN;
        if (od->served && o->keep_paths && (err = fill_paths(&p, od, ro)) < 0)
            goto done;
    }
    for (size_t i = 0; i < a->n_ods; i++)
        if (a->ods[i].carry == carry) {
            t->demand += a->ods[i].quantity;
            (a->ods[i].served ? &t->served : &t->unserved)[0] += a->ods[i].quantity;
        }
    err = fill_elements(&p, rb, x, t);
done:
    free(x);
    prob_free(&p);
    return err;
}

int corridor_assign_opts_init(corridor_assign_opts *opts, int version)
{
    const corridor_assign_opts defaults = CORRIDOR_ASSIGN_OPTS_INIT;
    int err =
        corridor__check_version(version, CORRIDOR_ASSIGN_OPTS_VERSION, "corridor_assign_opts");
    if (err == 0)
        memcpy(opts, &defaults, sizeof defaults);
    return err;
}

static int check_opts(const corridor_assign_opts *o)
{
    int err =
        corridor__check_version(o->version, CORRIDOR_ASSIGN_OPTS_VERSION, "corridor_assign_opts");
    if (err < 0 || (err = corridor__check_filter(&o->filter)) < 0)
        return err;
    if ((unsigned)o->method > CORRIDOR_ASSIGN_FW || (unsigned)o->by >= COR_NMET)
        return corridor__error(CORRIDOR_EUSAGE, "unknown assignment method or metric");
    if (!(o->gap >= 0) || !isfinite(o->gap))
        return corridor__error(CORRIDOR_EUSAGE, "the gap must be a finite number >= 0");
    if (o->max_iter == 0)
        return corridor__error(CORRIDOR_EUSAGE, "the iteration cap must be at least 1");
    if (!(o->alpha >= 0) || !isfinite(o->alpha) || !(o->beta >= 1) || !isfinite(o->beta))
        return corridor__error(CORRIDOR_EUSAGE, "BPR alpha must be >= 0 and beta >= 1");
    if (!(o->value_of_time >= 0) || !isfinite(o->value_of_time))
        return corridor__error(CORRIDOR_EUSAGE, "the value of time must be a finite number >= 0");
    if (o->value_of_time > 0 && o->by != CORRIDOR_BY_COST)
        return corridor__error(CORRIDOR_EUSAGE,
                               "a value of time makes a generalised cost: rank by cost with it");
    return 0;
}

static int cmp_od(const void *x, const void *y)
{
    const corridor_assign_od *a = x, *b = y;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    int c = strcmp(a->from, b->from);
    return c ? c : strcmp(a->to, b->to);
}

int corridor_assign(corridor_assignment **out, const corridor_model *model,
                    const corridor_demand *demand, const corridor_assign_opts *opts)
{
    static const corridor_assign_opts defaults = CORRIDOR_ASSIGN_OPTS_INIT;
    res_build rb;
    int err = 0;
    *out = NULL;
    memset(&rb, 0, sizeof rb);
    if (!opts)
        opts = &defaults;
    if (!model || !demand)
        return corridor__error(CORRIDOR_EUSAGE, "an assignment needs a model and a demand table");
    if ((err = check_opts(opts)) < 0)
        return err;
    if (!(rb.a = calloc(1, sizeof *rb.a)) ||
        !(rb.a->totals = calloc(COR_NCOM, sizeof *rb.a->totals)))
        goto oom;
    rb.a->method = opts->method;
    rb.a->by = opts->by;
    rb.a->value_of_time = opts->value_of_time;
    rb.a->gap_target = opts->gap;
    rb.a->complete = 1;
    for (int c = 0; c < COR_NCOM; c++) {
        size_t k = 0;
        for (; k < demand->n && demand->rows[k].carry != (corridor_commodity)c; k++)
            ;
        if (k == demand->n)
            continue;
        if ((err = assign_commodity(model, demand, opts, (corridor_commodity)c, &rb)) < 0)
            goto done;
        if (!rb.a->totals[rb.a->n_totals - 1].converged)
            rb.a->complete = 0;
    }
    if (rb.a->n_ods > 1)
        qsort(rb.a->ods, rb.a->n_ods, sizeof *rb.a->ods, cmp_od);
    *out = rb.a;
    rb.a = NULL;
    goto done;
oom:
    err = corridor__oom();
done:
    corridor_assignment_free(rb.a);
    return err;
}

void corridor_assignment_free(corridor_assignment *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_ods; i++) {
        free((char *)a->ods[i].origin);
        free((char *)a->ods[i].destination);
        for (size_t k = 0; k < a->ods[i].n_paths; k++) {
            free(a->ods[i].paths[k].edges);
            free(a->ods[i].paths[k].nodes);
        }
        free(a->ods[i].paths);
    }
    free(a->ods);
    free(a->elements);
    free(a->totals);
    free(a->corridors);
    free(a);
}

static const char *const method_names[] = {"ue", "aon", "fw"};

const char *corridor_assign_method_name(corridor_assign_method m)
{
    return (unsigned)m <= CORRIDOR_ASSIGN_FW ? method_names[m] : "?";
}

int corridor_assign_method_parse(corridor_assign_method *out, const char *name)
{
    for (int i = 0; i <= CORRIDOR_ASSIGN_FW; i++)
        if (name && strcmp(name, method_names[i]) == 0) {
            *out = (corridor_assign_method)i;
            return 0;
        }
    return corridor__error(CORRIDOR_EUSAGE, "unknown method \"%s\": give ue, aon or fw",
                           name ? name : "");
}
