/* pareto.c: Pareto-optimal route options, an exact multi-criteria label-setting search. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_internal.h"
#include "network.h"
#include "route_query.h"

/*
 * How it works
 * ------------
 * A route and its value are those of route.c (legs origin -> via... ->
 * destination, each a node-simple path of at least one edge; arcs plus dwell
 * and, on a change of class, transfer at every intermediate node). Here a
 * route has a vector of D values, one per criterion: a metric (arcs, dwell,
 * transfer), `transfers` (1 per change of class, nothing per arc) or
 * `borders` (1 per arc between nodes of two different countries). Each is a
 * sum of non-negative terms, so route.c's lower bounds apply per criterion:
 * H_k(leg, v, c), a reverse Dijkstra over (node, class of arrival) states
 * with criterion k's weights, admissible and consistent.
 *
 * Labels are partial routes (route.c's label: leg, node, class of arrival,
 * parent, arc) with a vector g (D values so far) and f = g + H. One priority
 * queue orders them lexicographically by f (first criterion first; ties: the
 * later label first). f only grows along a branch, in every criterion, and a
 * vector that dominates another is lexicographically smaller: so the
 * prefixes of a route come out before any complete route with a larger
 * vector (the argument of Martins' label-setting algorithm). A state is
 * (leg, node, class of arrival, whether the label starts a leg).
 *
 * 1. Walk phase: Martins / NAMOA* over walks (nodes may repeat). A popped
 *    label is dropped if an option found so far dominates or equals its f,
 *    or a label already popped at its state dominates or equals its g; else
 *    it is kept at its state, a complete route becomes an option (with that
 *    route), and it is expanded by every arc. This finds every Pareto-optimal
 *    vector of walks W, one walk each, in lexicographic order. It is fast:
 *    labels at a state are compared by g alone.
 * 2. Routes are walks, so every route is dominated by or equal to a vector
 *    of W. If the walk found for a vector of W is node-simple (per leg), that
 *    vector is Pareto-optimal for routes too. If all of them are, W is the
 *    whole answer. If moreover the walk phase never dropped a label for being
 *    equal to another one (at a state or to an option), no two walks share a
 *    Pareto-optimal vector (the second one would have been dropped for
 *    equality somewhere, never for strict dominance, which would contradict
 *    optimality), so there are no ties: done. This is the common case with
 *    real-valued metrics.
 * 3. Route phase (some walk repeats a node, or ties are possible): the same
 *    search over node-simple routes, starting from the options of 2 that are
 *    known to be right (with their routes). A popped label
 *    - is dropped if an option strictly dominates f (every completion then
 *      is strictly dominated), or, when 2 found the whole set, if f is below
 *      none of the options wanted (no completion can equal one);
 *    - is dropped if a label already popped at the same state has g' <= g in
 *      every criterion and < in one, and its leg prefix's nodes are a subset
 *      of this label's leg prefix's nodes. The subset condition is what makes
 *      this exact: the future of a partial route depends only on its state
 *      and on the nodes its current leg has used, so every completion of the
 *      dropped label is also one of the dominating label, at a strictly
 *      dominating value. (Plain Martins, which compares g alone, drops labels
 *      whose rival cannot use the same continuation, and loses routes.)
 *      Labels with equal g are never dropped: their completions tie;
 *    - else is kept; at the destination it is a route: of an option with
 *      the same vector (a tie), or a new option if none strictly dominates
 *      it (by the argument above every smaller option is known by then).
 *    None of the prefixes of a Pareto-optimal route is ever dropped (that
 *    would give a route strictly dominating it), so the options and their
 *    ties are exact. Equal vectors are compared exactly (bitwise, after the
 *    same sums in the same order): sums of decimal figures equal on paper but
 *    rounded differently count as two options.
 *
 * The cap `max` keeps the first `max` options in lexicographic order: the
 * walk phase stops at a node-simple option beyond them (then more exist and,
 * if the first ones are node-simple, they are those of the routes), the
 * route phase once the queue is past the last of them (all their ties are
 * found by then); cut = CAP says that more exist. The labels of a
 * phase are kept below PARETO_MEMORY bytes (about 40 + 16 D bytes each);
 * beyond that the search stops with cut = LIMIT and the options found so
 * far, which are Pareto-optimal (some may miss ties).
 */

#define PARETO_MEMORY ((size_t)1 << 30)
#define CRIT_NMET     ((corridor_criterion)CORRIDOR_CRIT_TRANSFERS) /* criteria below are metrics */

typedef struct psearch {
    query q;
    size_t D;
    corridor_criterion crit[CORRIDOR_CRITERION_COUNT];
    double *w[CORRIDOR_CRITERION_COUNT], *dwell[CORRIDOR_CRITERION_COUNT];
    double *transfer[CORRIDOR_CRITERION_COUNT], *h[CORRIDOR_CRITERION_COUNT];

    label *labs;    /* partial routes; labs[i].g is unused */
    double *g, *f;  /* g[i * D + k], f[i * D + k] */
    uint32_t *next; /* the next permanent label at the same state (NOLAB: none) */
    size_t n_labs, cap_labs, max_labs;
    uint32_t *heap; /* label ids, lexicographically smallest f first */
    size_t hn, hcap;
    uint32_t *head; /* head[state]: the last permanent label at the state, or NOLAB */
    chain ch;

    double *opt;   /* opt[o * D + k]: option o's vector */
    uint32_t *rep; /* walk phase: the label of option o's route */
    size_t n_opt, cap_opt, max;
    int walk;        /* the walk phase (see "How it works") */
    int tie_seen;    /* the walk phase dropped a label for being equal to another */
    int walk_capped; /* the walk phase stopped at a node-simple option beyond the cap */
    int all_known;   /* the route phase: the options are the whole set */
    size_t n_want;   /* with all_known: the options wanted (up to the cap) */
    int stop;        /* the search ends past option stop_index (the cap's last option) */
    size_t stop_index;
    corridor_pareto_cut cut;
    size_t labels; /* labels of the phases before this one */
} psearch;

/* ------------------------------------------------------------- criteria */

static const char *const crit_names[CORRIDOR_CRITERION_COUNT] = {"time", "cost",      "distance",
                                                                 "co2",  "transfers", "borders"};

const char *corridor_criterion_name(corridor_criterion c)
{
    return (unsigned)c < CORRIDOR_CRITERION_COUNT ? crit_names[c] : "?";
}

/* The JSON key of a criterion's value: the metric's field, or the criterion's name. */
static const char *crit_field(corridor_criterion c)
{
    return c < CRIT_NMET ? corridor_metric_field((corridor_metric)c) : crit_names[c];
}

int corridor_criteria_parse(corridor_criterion out[CORRIDOR_CRITERION_COUNT], size_t *n,
                            const char *list)
{
    size_t count = 0;
    *n = 0;
    for (const char *p = list ? list : ""; *p || count == 0;) {
        size_t len = strcspn(p, ",");
        int hit = -1;
        for (int c = 0; c < CORRIDOR_CRITERION_COUNT; c++)
            if (len == strlen(crit_names[c]) && strncmp(p, crit_names[c], len) == 0)
                hit = c;
        if (hit < 0)
            return corridor__error(CORRIDOR_EUSAGE,
                                   "unknown criterion \"%.*s\": expected a comma-separated list "
                                   "of time, cost, distance, co2, transfers, borders",
                                   (int)len, p);
        for (size_t i = 0; i < count; i++)
            if (out[i] == (corridor_criterion)hit)
                return corridor__error(CORRIDOR_EUSAGE, "criterion \"%s\" is given twice",
                                       crit_names[hit]);
        out[count++] = (corridor_criterion)hit;
        p += len;
        if (*p == ',' && !*++p)
            return corridor__error(CORRIDOR_EUSAGE, "empty criterion at the end of \"%s\"", list);
        if (!*p)
            break;
    }
    if (count < 2)
        return corridor__error(CORRIDOR_EUSAGE,
                               "a trade-off needs at least two criteria (got \"%s\"): e.g. "
                               "time,cost",
                               list);
    *n = count;
    return 0;
}

double corridor_route_criterion(const corridor_route *r, corridor_criterion c)
{
    if (c < CRIT_NMET)
        return r->metric[c];
    return c == CORRIDOR_CRIT_TRANSFERS ? (double)r->n_transfers : (double)r->borders;
}

/* Criterion k's weights: per arc, and dwell and transfer per node. */
static int crit_weights(psearch *ps, size_t k)
{
    const query *q = &ps->q;
    const cor_network *net = &q->net;
    const corridor_model *m = q->m;
    corridor_criterion c = ps->crit[k];
    int met = c < CRIT_NMET && c != CORRIDOR_CRIT_DISTANCE;
    ps->w[k] = malloc((net->n_arcs + 1) * sizeof *ps->w[k]);
    ps->dwell[k] = malloc((q->n + 1) * sizeof *ps->dwell[k]);
    ps->transfer[k] = malloc((q->n + 1) * sizeof *ps->transfer[k]);
    if (!ps->w[k] || !ps->dwell[k] || !ps->transfer[k])
        return corridor__oom();
    for (size_t v = 0; v < q->n; v++) {
        ps->dwell[k][v] = met ? cor_node_dwell(net, v, c) : 0.0;
        ps->transfer[k][v] = met                            ? cor_node_transfer(net, v, c)
                             : c == CORRIDOR_CRIT_TRANSFERS ? 1.0
                                                            : 0.0;
    }
    for (size_t a = 0; a < net->n_arcs; a++) {
        long ca = m->nodes[net->arc_from[a]].country, cb = m->nodes[net->arc_to[a]].country;
        ps->w[k][a] = c < CRIT_NMET                ? cor_arc_w(net, a, c)
                      : c == CORRIDOR_CRIT_BORDERS ? (ca >= 0 && cb >= 0 && ca != cb ? 1.0 : 0.0)
                                                   : 0.0;
    }
    return 0;
}

/* The weights and lower bounds of every criterion (route.c's bounds, one run each). */
static int crit_bounds(psearch *ps)
{
    query *q = &ps->q;
    double *w0 = q->w, *d0 = q->dwell, *t0 = q->transfer;
    heap hp = {NULL, 0, 0};
    int err = 0;
    for (size_t k = 0; k < ps->D; k++) {
        if ((err = crit_weights(ps, k)) < 0)
            goto done;
        q->w = ps->w[k];
        q->dwell = ps->dwell[k];
        q->transfer = ps->transfer[k];
        cor_query_reweight(q);
        free(q->h);
        q->h = NULL; /* cor_query_bounds allocates a new one */
        if ((err = cor_query_bounds(q, &hp)) < 0)
            goto done;
        ps->h[k] = q->h;
        q->h = NULL;
    }
done:
    q->w = w0;
    q->dwell = d0;
    q->transfer = t0;
    free(hp.a);
    return err;
}

/* ------------------------------------------------------------- the queue */

/* 1 if label a comes out before label b: smaller f lexicographically, then the later label. */
static int pless(const psearch *ps, uint32_t a, uint32_t b)
{
    const double *fa = &ps->f[(size_t)a * ps->D], *fb = &ps->f[(size_t)b * ps->D];
    for (size_t k = 0; k < ps->D; k++)
        if (fa[k] != fb[k])
            return fa[k] < fb[k];
    return a > b;
}

static int ppush(psearch *ps, uint32_t id)
{
    if (ps->hn == ps->hcap) {
        size_t nc = ps->hcap ? 2 * ps->hcap : 1024;
        int ok = 1;
        CORRIDOR__GROW(ps->heap, nc, ok);
        if (!ok)
            return corridor__oom();
        ps->hcap = nc;
    }
    size_t i = ps->hn++;
    while (i > 0 && pless(ps, id, ps->heap[(i - 1) / 2])) {
        ps->heap[i] = ps->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    ps->heap[i] = id;
    return 0;
}

static uint32_t ppop(psearch *ps)
{
    uint32_t top = ps->heap[0], last = ps->heap[--ps->hn];
    size_t i = 0, n = ps->hn;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && pless(ps, ps->heap[c + 1], ps->heap[c]))
            c++;
        if (!pless(ps, ps->heap[c], last))
            break;
        ps->heap[i] = ps->heap[c];
        i = c;
    }
    if (n)
        ps->heap[i] = last;
    return top;
}

/* ------------------------------------------------------------- dominance */

/* 1 if a <= b in every criterion and a != b (or a == b too, if `equal`). */
static int dominates(const double *a, const double *b, size_t D, int equal)
{
    int less = equal;
    for (size_t k = 0; k < D; k++) {
        if (a[k] > b[k])
            return 0;
        less |= a[k] < b[k];
    }
    return less;
}

/* -1, 0, 1: a before, equal to, after b in lexicographic order. */
static int lex(const double *a, const double *b, size_t D)
{
    for (size_t k = 0; k < D; k++)
        if (a[k] != b[k])
            return a[k] < b[k] ? -1 : 1;
    return 0;
}

/*
 * 1 if vector f (a label's, a lower bound of its completions) can lead to no
 * option: an option strictly dominates it (in the walk phase: or equals it),
 * or the whole set is known and f is below none of the options wanted.
 */
static int hopeless(psearch *ps, const double *f)
{
    size_t D = ps->D;
    for (size_t o = 0; o < ps->n_opt; o++) {
        if (!dominates(&ps->opt[o * D], f, D, ps->walk))
            continue;
        if (ps->walk && memcmp(&ps->opt[o * D], f, D * sizeof *f) == 0)
            ps->tie_seen = 1;
        return 1;
    }
    if (!ps->all_known)
        return 0;
    for (size_t o = 0; o < ps->n_want; o++)
        if (dominates(f, &ps->opt[o * D], D, 1))
            return 0;
    return 1;
}

/* The dominance state of a label: leg, node, class of arrival, leg start or not. */
static size_t state_of(const psearch *ps, const label *l)
{
    size_t C1 = ps->q.C + 1, leg = l->leg & LEG_MASK;
    return ((leg * ps->q.n + l->node) * C1 + l->cls) * 2 + (l->arc == NOARC);
}

/*
 * 1 if a permanent label at li's state dominates it: strictly, and having used
 * no node that li's leg prefix (marked in ps->ch) did not ("How it works",
 * 3); in the walk phase, whatever nodes they used and also if equal.
 */
static int label_dominated(psearch *ps, uint32_t li, size_t st)
{
    const double *g = &ps->g[(size_t)li * ps->D];
    for (uint32_t p = ps->head[st]; p != NOLAB; p = ps->next[p]) {
        if (!dominates(&ps->g[(size_t)p * ps->D], g, ps->D, ps->walk))
            continue;
        if (ps->walk && memcmp(&ps->g[(size_t)p * ps->D], g, ps->D * sizeof *g) == 0)
            ps->tie_seen = 1;
        int subset = 1;
        for (uint32_t x = p; subset && !ps->walk; x = ps->labs[x].parent) {
            subset = ps->ch.on[ps->labs[x].node];
            if (ps->labs[x].arc == NOARC)
                break;
        }
        if (subset)
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------- the search */

/*
 * Adds a label with the given g (f from the bounds of its state), unless a
 * bound is infinite or f is hopeless. Sets ps->cut at the search limit.
 */
static int add_label(psearch *ps, label l, const double *g)
{
    size_t D = ps->D, hs = ((size_t)(l.leg & LEG_MASK) * ps->q.n + l.node) * (ps->q.C + 1) + l.cls;
    double f[CORRIDOR_CRITERION_COUNT];
    for (size_t k = 0; k < D; k++) {
        f[k] = g[k] + ps->h[k][hs];
        if (!isfinite(f[k]))
            return 0;
    }
    if (hopeless(ps, f))
        return 0;
    if (ps->n_labs == ps->cap_labs) {
        if (ps->n_labs >= ps->max_labs) {
            ps->cut = CORRIDOR_PARETO_LIMIT;
            return 0;
        }
        size_t nc = ps->cap_labs ? 2 * ps->cap_labs : 4096;
        if (nc > ps->max_labs)
            nc = ps->max_labs;
        int ok = 1;
        CORRIDOR__GROW(ps->labs, nc, ok);
        CORRIDOR__GROW(ps->g, nc * D, ok);
        CORRIDOR__GROW(ps->f, nc * D, ok);
        CORRIDOR__GROW(ps->next, nc, ok);
        if (!ok)
            return corridor__oom();
        ps->cap_labs = nc;
    }
    size_t i = ps->n_labs++;
    ps->labs[i] = l;
    memcpy(&ps->g[i * D], g, D * sizeof *g);
    memcpy(&ps->f[i * D], f, D * sizeof *f);
    ps->next[i] = NOLAB;
    return ppush(ps, (uint32_t)i);
}

/* Appends option vector g (route: label li, for the walk phase). */
static int option_add(psearch *ps, const double *g, uint32_t li)
{
    size_t D = ps->D;
    if (ps->n_opt == ps->cap_opt) {
        size_t nc = ps->cap_opt ? 2 * ps->cap_opt : 16;
        int ok = 1;
        CORRIDOR__GROW(ps->opt, nc * D, ok);
        CORRIDOR__GROW(ps->rep, nc, ok);
        if (!ok)
            return corridor__oom();
        ps->cap_opt = nc;
    }
    memcpy(&ps->opt[ps->n_opt * D], g, D * sizeof *g);
    ps->rep[ps->n_opt++] = li;
    return 0;
}

/* The `max`-th option in lexicographic order (options beyond it are cut): ps->stop_index. */
static void stop_at_update(psearch *ps)
{
    size_t D = ps->D, below = 0;
    if (ps->n_opt <= ps->max)
        return;
    for (size_t o = 0; o < ps->n_opt; o++) { /* the option with exactly max - 1 before it */
        below = 0;
        for (size_t x = 0; x < ps->n_opt; x++)
            below += lex(&ps->opt[x * D], &ps->opt[o * D], D) < 0;
        if (below == ps->max - 1) {
            ps->stop = 1;
            ps->stop_index = o;
            return;
        }
    }
}

/* 1 if the route of label li (walk phase) visits no node twice within a leg. */
static int route_simple(psearch *ps, uint32_t li)
{
    unsigned char *seen = ps->ch.on; /* all clear between the phases */
    int simple = 1;
    uint32_t start = li; /* the last label of the leg being checked */
    for (uint32_t x = li; x != NOLAB; x = ps->labs[x].parent) {
        uint32_t v = ps->labs[x].node;
        simple = simple && !seen[v];
        seen[v] = 1;
        if (ps->labs[x].arc == NOARC || !simple) { /* a leg's start: the next may come back */
            for (uint32_t y = start;; y = ps->labs[y].parent) {
                seen[ps->labs[y].node] = 0;
                if (y == x)
                    break;
            }
            start = ps->labs[x].parent;
            if (!simple)
                break;
        }
    }
    return simple;
}

/* A complete route at label li: a new option, or a route of one, by the phase's rules. */
static int complete(psearch *ps, uint32_t li)
{
    size_t D = ps->D, o = 0;
    const double *g = &ps->g[(size_t)li * D];
    int err = 0;
    if (ps->walk) { /* hopeless() let it through: not dominated by any option, nor equal */
        if ((err = option_add(ps, g, li)) < 0)
            return err;
        /* a node-simple option beyond the cap: more options exist, the first ones are known */
        if (ps->n_opt > ps->max && route_simple(ps, li))
            ps->walk_capped = 1;
        return 0;
    }
    for (; o < ps->n_opt; o++)
        if (memcmp(&ps->opt[o * D], g, D * sizeof *g) == 0)
            break;
    if (o == ps->n_opt) {
        if (ps->all_known)
            return 0; /* cannot happen: the walk phase found every option */
        if ((err = option_add(ps, g, li)) < 0)
            return err;
        stop_at_update(ps);
    }
    uint32_t *arcs = NULL;
    size_t len = 0;
    err = cor_label_arcs(&arcs, &len, ps->labs, li);
    /* found.g holds the option's index; equal edge sequences (leg splits, walk routes) dropped */
    return err < 0 ? err : cor_found_add(&ps->q, arcs, len, (double)o);
}

/* Queues the children of label li (its g copied: adding labels may move the arrays). */
static int expand(psearch *ps, uint32_t li)
{
    const query *q = &ps->q;
    const cor_network *net = &q->net;
    label L = ps->labs[li];
    size_t D = ps->D, v = L.node, C = q->C;
    double g0[CORRIDOR_CRITERION_COUNT], g[CORRIDOR_CRITERION_COUNT];
    int err = 0;
    memcpy(g0, &ps->g[(size_t)li * D], D * sizeof *g0);
    for (size_t i = net->out_start[v]; i < net->out_start[v + 1] && ps->cut == 0; i++) {
        size_t a = net->out_arc[i], to = net->arc_to[a], c = net->arc_class[a];
        if (ps->ch.on[to]) /* never set in the walk phase */
            continue;
        for (size_t k = 0; k < D; k++)
            g[k] = L.cls == C ? g0[k] + ps->w[k][a]
                              : g0[k] + cor_penalty(ps->dwell[k][v], ps->transfer[k][v], L.cls, c) +
                                    ps->w[k][a];
        label l = {0.0, li, (uint32_t)a, (uint32_t)to, L.leg, (uint16_t)c};
        if ((err = add_label(ps, l, g)) < 0)
            return err;
    }
    return 0;
}

/* Label li's turn ("How it works", the steps of the search). */
static int step(psearch *ps, uint32_t li)
{
    const query *q = &ps->q;
    size_t D = ps->D;
    label L = ps->labs[li];
    size_t leg = L.leg & LEG_MASK, st = state_of(ps, &L);
    int err = 0;
    if (hopeless(ps, &ps->f[(size_t)li * D]))
        return 0;
    if (!ps->walk)
        cor_chain_set(&ps->ch, ps->labs, li);
    if (label_dominated(ps, li, st))
        return 0;
    ps->next[li] = ps->head[st];
    ps->head[st] = li;
    if (L.arc != NOARC && q->target[leg * q->n + L.node]) {
        if (leg + 1 == q->n_legs) {
            if ((err = complete(ps, li)) < 0)
                return err;
        } else {
            double g[CORRIDOR_CRITERION_COUNT];
            memcpy(g, &ps->g[(size_t)li * D], D * sizeof *g);
            label sl = {0.0, li, NOARC, L.node, (uint16_t)(leg + 1), L.cls};
            if ((err = add_label(ps, sl, g)) < 0)
                return err;
        }
        if (q->n_place[leg + 1] == 1)
            return 0; /* a leg ending at one node cannot pass through it and come back */
    }
    return expand(ps, li);
}

/* Allocates the search's arrays (once) and empties the labels, the queue and the states. */
static int search_reset(psearch *ps)
{
    const query *q = &ps->q;
    size_t n = q->n, ns = q->n_legs * n * (q->C + 1) * 2;
    if (!ps->head) {
        ps->max_labs = PARETO_MEMORY / (sizeof(label) + 16 * ps->D + 8);
        if (ps->max_labs >= UINT32_MAX)
            ps->max_labs = UINT32_MAX - 1;
        ps->head = malloc((ns + 1) * sizeof *ps->head);
        ps->ch.lab = malloc((n + 1) * sizeof *ps->ch.lab);
        ps->ch.pos = malloc((n + 1) * sizeof *ps->ch.pos);
        ps->ch.tmp = malloc((n + 1) * sizeof *ps->ch.tmp);
        ps->ch.on = calloc(n + 1, 1);
        if (!ps->head || !ps->ch.lab || !ps->ch.pos || !ps->ch.tmp || !ps->ch.on)
            return corridor__oom();
    }
    cor_chain_clear(&ps->ch, ps->labs);
    memset(ps->head, 0xff, (ns + 1) * sizeof *ps->head);
    ps->labels += ps->n_labs;
    ps->n_labs = 0;
    ps->hn = 0;
    return 0;
}

/* One phase: labels from the origins until the queue is empty, the cut or the limit. */
static int search_run(psearch *ps)
{
    query *q = &ps->q;
    double zero[CORRIDOR_CRITERION_COUNT] = {0};
    int err = 0;
    if ((err = search_reset(ps)) < 0)
        return err;
    for (size_t i = 0; i < q->n_place[0]; i++) {
        size_t o = q->place[0][i];
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            dup |= q->place[0][j] == o;
        label l = {0.0, NOLAB, NOARC, (uint32_t)o, 0, (uint16_t)q->C};
        if (!dup && (err = add_label(ps, l, zero)) < 0)
            return err;
    }
    while (ps->hn && ps->cut == CORRIDOR_PARETO_COMPLETE && !ps->walk_capped) {
        uint32_t li = ppop(ps);
        if (ps->stop &&
            lex(&ps->f[(size_t)li * ps->D], &ps->opt[ps->stop_index * ps->D], ps->D) > 0)
            break; /* every option up to the cap and all its routes are found */
        if ((err = step(ps, li)) < 0)
            break;
    }
    cor_chain_clear(&ps->ch, ps->labs);
    return err;
}

/*
 * Between the phases: keeps the walk options whose route is node-simple (they
 * are options of the routes too) with that route, in their (lexicographic)
 * order; the others are dropped and the route phase searches again. If all
 * are simple they are the whole set and ps->n_want the ones up to the cap.
 */
static int keep_simple_options(psearch *ps)
{
    size_t D = ps->D, kept = 0, first = ps->n_opt < ps->max ? ps->n_opt : ps->max;
    int err = 0, first_simple = 1;
    for (size_t o = 0; o < ps->n_opt; o++) {
        if (!route_simple(ps, ps->rep[o])) {
            first_simple &= o >= first;
            continue;
        }
        uint32_t *arcs = NULL;
        size_t len = 0;
        if ((err = cor_label_arcs(&arcs, &len, ps->labs, ps->rep[o])) < 0 ||
            (err = cor_found_add(&ps->q, arcs, len, (double)kept)) < 0)
            return err;
        memmove(&ps->opt[kept * D], &ps->opt[o * D], D * sizeof *ps->opt);
        kept++;
    }
    /* the first `max` options of the walks are those of the routes, and the rest is known */
    ps->all_known = first_simple && (ps->walk_capped || ps->n_opt <= ps->max);
    ps->n_opt = kept;
    ps->n_want = kept < ps->max ? kept : ps->max;
    if (ps->all_known && ps->walk_capped)
        ps->cut = CORRIDOR_PARETO_CAP;
    if (ps->all_known && kept) {
        ps->stop = 1;
        ps->stop_index = ps->n_want - 1;
    }
    stop_at_update(ps);
    return 0;
}

/* The two phases ("How it works"). */
static int pareto_search(psearch *ps)
{
    int err = 0;
    ps->walk = 1;
    if ((err = search_run(ps)) < 0)
        return err;
    ps->walk = 0;
    corridor_pareto_cut walk_cut = ps->cut;
    ps->cut = CORRIDOR_PARETO_COMPLETE;
    if ((err = keep_simple_options(ps)) < 0)
        return err;
    if (walk_cut == CORRIDOR_PARETO_LIMIT) { /* the walk phase's routes, one per option */
        ps->cut = walk_cut;
        ps->labels += ps->n_labs;
        return 0;
    }
    corridor_pareto_cut cap = ps->cut;
    ps->walk_capped = 0;                  /* it stops a search */
    if (ps->all_known && !ps->tie_seen) { /* no ties: the walk phase's routes are the answer */
        ps->labels += ps->n_labs;
        ps->n_labs = 0;
        return 0;
    }
    ps->cut = CORRIDOR_PARETO_COMPLETE;
    if ((err = search_run(ps)) < 0)
        return err;
    if (ps->cut == CORRIDOR_PARETO_COMPLETE &&
        (cap != CORRIDOR_PARETO_COMPLETE || ps->n_opt > ps->max))
        ps->cut = CORRIDOR_PARETO_CAP;
    ps->labels += ps->n_labs;
    return 0;
}

/* ------------------------------------------------------------- the result */

static const psearch *g_sort; /* for option_cmp */

static int option_cmp(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return lex(&g_sort->opt[a * g_sort->D], &g_sort->opt[b * g_sort->D], g_sort->D);
}

/*
 * Orders the options lexicographically, keeps the first `max`, and orders
 * q->found by option (found.g), keeping the order of discovery among ties.
 * Sets ps->n_opt to the options kept and *n_found to their routes.
 */
static int group_by_option(psearch *ps, size_t *first, size_t *n_found)
{
    query *q = &ps->q;
    size_t n_opt = ps->n_opt, keep = n_opt < ps->max ? n_opt : ps->max;
    found *sorted = malloc((q->n_found + 1) * sizeof *sorted);
    size_t *order = malloc((n_opt + 1) * sizeof *order), *rank = malloc((n_opt + 1) * sizeof *rank);
    int err = 0;
    if (!sorted || !order || !rank) {
        err = corridor__oom();
        goto done;
    }
    for (size_t o = 0; o < n_opt; o++)
        order[o] = o;
    g_sort = ps;
    qsort(order, n_opt, sizeof *order, option_cmp);
    for (size_t o = 0; o < n_opt; o++)
        rank[order[o]] = o;
    memset(first, 0, (keep + 1) * sizeof *first);
    for (size_t i = 0; i < q->n_found; i++)
        if (rank[(size_t)q->found[i].g] < keep)
            first[rank[(size_t)q->found[i].g] + 1]++;
    for (size_t o = 0; o < keep; o++)
        first[o + 1] += first[o];
    *n_found = first[keep];
    size_t cut_at = *n_found;
    for (size_t i = 0; i < q->n_found; i++) {
        size_t r = rank[(size_t)q->found[i].g];
        sorted[r < keep ? first[r]++ : cut_at++] = q->found[i];
    }
    for (size_t o = keep; o > 0; o--)
        first[o] = first[o - 1];
    first[0] = 0;
    memcpy(q->found, sorted, q->n_found * sizeof *sorted);
    ps->n_opt = keep;
done:
    free(sorted);
    free(order);
    free(rank);
    return err;
}

static int pareto_result(corridor_pareto **out, psearch *ps, const char *from, const char *to,
                         const corridor_pareto_opts *opts)
{
    corridor_pareto *p = calloc(1, sizeof *p);
    size_t n_found = 0;
    int err = 0;
    if (!p || !(p->first = malloc((ps->n_opt + 1) * sizeof *p->first))) {
        err = corridor__oom();
        goto done;
    }
    memcpy(p->criteria, ps->crit, sizeof p->criteria);
    p->n_criteria = ps->D;
    p->cut = ps->cut;
    p->labels = ps->labels;
    corridor_metric by = ps->crit[0] < CRIT_NMET ? (corridor_metric)ps->crit[0] : CORRIDOR_BY_TIME;
    if ((err = group_by_option(ps, p->first, &n_found)) < 0 ||
        (err = cor_query_routes(&p->routes, &ps->q, n_found, from, to, by, opts->filter.carry)) < 0)
        goto done;
    p->n_options = ps->n_opt;
    for (size_t o = 0; o < ps->n_opt; o++)
        for (size_t i = p->first[o]; i < p->first[o + 1]; i++)
            p->routes->routes[i].rank = o + 1;
    *out = p;
    p = NULL;
done:
    corridor_pareto_free(p);
    return err;
}

static void psearch_free(psearch *ps)
{
    for (size_t k = 0; k < CORRIDOR_CRITERION_COUNT; k++) {
        free(ps->w[k]);
        free(ps->dwell[k]);
        free(ps->transfer[k]);
        free(ps->h[k]);
    }
    free(ps->labs);
    free(ps->g);
    free(ps->f);
    free(ps->next);
    free(ps->heap);
    free(ps->head);
    free(ps->ch.lab);
    free(ps->ch.pos);
    free(ps->ch.tmp);
    free(ps->ch.on);
    free(ps->opt);
    free(ps->rep);
    cor_query_free(&ps->q);
}

int corridor_pareto_opts_init(corridor_pareto_opts *opts, int version)
{
    const corridor_pareto_opts defaults = CORRIDOR_PARETO_OPTS_INIT;
    int err =
        corridor__check_version(version, CORRIDOR_PARETO_OPTS_VERSION, "corridor_pareto_opts");
    if (err == 0)
        *opts = defaults;
    return err;
}

static int check_opts(const corridor_pareto_opts *o)
{
    int err = CORRIDOR__CHECK_OPTS(o, CORRIDOR_PARETO_OPTS_VERSION, "corridor_pareto_opts");
    if (err < 0)
        return err;
    if (o->n_criteria < 2 || o->n_criteria > CORRIDOR_CRITERION_COUNT)
        return corridor__error(CORRIDOR_EUSAGE,
                               "a trade-off needs 2 to %d distinct criteria (got %zu)",
                               CORRIDOR_CRITERION_COUNT, o->n_criteria);
    for (size_t i = 0; i < o->n_criteria; i++) {
        if ((unsigned)o->criteria[i] >= CORRIDOR_CRITERION_COUNT)
            return corridor__error(CORRIDOR_EUSAGE, "unknown criterion %d", (int)o->criteria[i]);
        for (size_t j = 0; j < i; j++)
            if (o->criteria[j] == o->criteria[i])
                return corridor__error(CORRIDOR_EUSAGE, "criterion \"%s\" is given twice",
                                       crit_names[o->criteria[i]]);
    }
    if (o->max == 0)
        return corridor__error(CORRIDOR_EUSAGE, "the number of options must be at least 1");
    if (o->n_via >= LEG_MASK)
        return corridor__error(CORRIDOR_EUSAGE, "too many via places (%zu)", o->n_via);
    return 0;
}

int corridor_pareto_find(corridor_pareto **out, const corridor_model *model, const char *from,
                         const char *to, const corridor_pareto_opts *opts)
{
    static const corridor_pareto_opts defaults = CORRIDOR_PARETO_OPTS_INIT;
    psearch ps;
    int err = 0;

    memset(&ps, 0, sizeof ps);
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if (!from || !to)
        return corridor__error(CORRIDOR_EUSAGE, "a route needs an origin and a destination");
    if ((err = check_opts(opts)) < 0 || (err = cor_query_check_size(model)) < 0)
        return err;
    ps.D = opts->n_criteria;
    memcpy(ps.crit, opts->criteria, sizeof ps.crit);
    ps.max = opts->max;
    cor_query_init(&ps.q, model, -1);
    if ((err = cor_query_places(&ps.q, from, to, opts->via, opts->n_via)) < 0 ||
        (err = cor_query_network(&ps.q, &opts->filter)) < 0)
        goto done;
    for (size_t k = 0; k < ps.D; k++)
        if (ps.crit[k] < CRIT_NMET &&
            (err = cor_network_check_metric(&ps.q.net, (int)ps.crit[k])) < 0)
            goto done;
    if ((err = crit_bounds(&ps)) < 0 || (err = pareto_search(&ps)) < 0)
        goto done;
    if (ps.n_opt == 0 && ps.cut == CORRIDOR_PARETO_LIMIT) {
        err = corridor__error(CORRIDOR_ELIMIT,
                              "search limit reached (%zu partial routes) before the first option: "
                              "use fewer criteria or narrow the network (--avoid, --status)",
                              ps.labels);
        goto done;
    }
    if (ps.n_opt == 0) {
        err = cor_query_no_route(&ps.q, from, to, &opts->filter, opts->via, opts->n_via);
        goto done;
    }
    err = pareto_result(out, &ps, from, to, opts);
done:
    psearch_free(&ps);
    return err;
}

void corridor_pareto_free(corridor_pareto *p)
{
    if (!p)
        return;
    corridor_routes_free(p->routes);
    free(p->first);
    free(p);
}

/* ------------------------------------------------------------------- JSON */

/* One option: its values, the change from the previous option, its routes. */
static int option_json(cJSON *arr, const corridor_pareto *p, size_t o)
{
    const corridor_route *r = &p->routes->routes[p->first[o]];
    const corridor_route *prev = o ? &p->routes->routes[p->first[o - 1]] : NULL;
    cJSON *obj = cJSON_CreateObject(), *vals = NULL, *trade = NULL, *routes = NULL;
    int err = 0;
    if ((err = cor_json_add(arr, NULL, obj)) < 0 ||
        (err = cor_json_add(obj, "option", cJSON_CreateNumber((double)o + 1))) < 0 ||
        (err = cor_json_add(obj, "values", vals = cJSON_CreateObject())) < 0 ||
        (err = cor_json_add(obj, "tradeoff",
                            prev ? (trade = cJSON_CreateObject()) : cJSON_CreateNull())) < 0)
        return err;
    for (size_t k = 0; k < p->n_criteria; k++) {
        corridor_criterion c = p->criteria[k];
        double v = corridor_route_criterion(r, c);
        if ((err = cor_json_num(vals, crit_field(c), v)) < 0 ||
            (trade &&
             (err = cor_json_num(trade, crit_field(c), v - corridor_route_criterion(prev, c))) < 0))
            return err;
    }
    size_t ties = p->first[o + 1] - p->first[o];
    if ((err = cor_json_add(obj, "ties", cJSON_CreateNumber((double)ties))) < 0 ||
        (err = cor_json_add(obj, "routes", routes = cJSON_CreateArray())) < 0)
        return err;
    for (size_t i = p->first[o]; i < p->first[o + 1]; i++)
        if ((err = cor_route_json(routes, &p->routes->routes[i])) < 0)
            return err;
    return 0;
}

int corridor_pareto_json(char **out, const corridor_pareto *p)
{
    static const char *const cut_names[] = {NULL, "cap", "search limit"};
    cJSON *root = cJSON_CreateObject(), *crit = NULL, *opts = NULL;
    int err = 0;
    *out = NULL;
    if (!root)
        return corridor__oom();
    if ((err = cor_json_str(root, "from", p->routes->from)) < 0 ||
        (err = cor_json_str(root, "to", p->routes->to)) < 0 ||
        (err = cor_json_str(root, "carry", corridor_commodity_name(p->routes->carry))) < 0 ||
        (err = cor_json_add(root, "criteria", crit = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t k = 0; k < p->n_criteria; k++)
        if ((err = cor_json_str(crit, NULL, crit_names[p->criteria[k]])) < 0)
            goto done;
    if ((err = cor_json_bool(root, "complete", p->cut == CORRIDOR_PARETO_COMPLETE)) < 0 ||
        (err = cor_json_str(root, "cut", cut_names[p->cut])) < 0 ||
        (err = cor_json_add(root, "labels", cJSON_CreateNumber((double)p->labels))) < 0 ||
        (err = cor_json_add(root, "options", opts = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t o = 0; o < p->n_options; o++)
        if ((err = option_json(opts, p, o)) < 0)
            goto done;
    err = cor_json_finish(out, root);
    root = NULL;
done:
    cJSON_Delete(root);
    return err;
}
