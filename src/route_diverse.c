/* route_diverse.c: genuinely different route options (limited overlap, other countries or seas). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "network.h"
#include "route_query.h"

/*
 * How it works
 * ------------
 * route.c's search hands out every route in non-decreasing order of value
 * (the exact k-best enumeration). Here it runs with a filter (query.accept)
 * in front of its list of routes found: a route is kept when it fits every
 * route kept before it, else skipped, and the search goes on until k routes
 * are kept or none is left. So route i is, exactly, the best route that fits
 * routes 1 .. i - 1 ("k shortest paths with limited overlap", where the
 * answer is defined greedily in this way). Ties in value are kept in the
 * search's order.
 *
 * Fitting: the distance_km of the model edges both routes use (each counted
 * once) is at most F times the smaller of the two routes' distance_km; and,
 * with differ_by, the route's set of countries (of its nodes), corridors (of
 * its edges) or sea crossings (unordered end-node pairs of its sea edges: two
 * ferry lines between the same ports are one crossing) equals no kept
 * route's set. The skipped routes count towards the search limit, so a
 * strict F on a network of near-copies ends with CORRIDOR_ELIMIT.
 */

typedef struct kept {
    size_t *edges; /* model edge indices, each once */
    size_t n_edges;
    double km;
    size_t *keys; /* the differ_by set, sorted */
    size_t n_keys;
} kept;

#define PRUNE_ROUTES 8 /* kept routes the prefix pruning looks at */

typedef struct diverse {
    const corridor_alt_opts *alt;
    kept *kept;
    size_t n_kept, cap_kept;
    unsigned char *mark; /* per model edge: in the route being checked */
    unsigned char *in;   /* per model edge: bit j set if kept route j (< PRUNE_ROUTES) uses it */
    int prune_ok;        /* one leg: a route uses an edge at most once */
    double km_cap;       /* the longest kept route's km */
} diverse;

int corridor_differ_parse(corridor_differ *out, const char *name)
{
    static const char *const names[] = {"country", "corridor", "sea"};
    for (int i = 0; i < 3; i++)
        if (name && strcmp(name, names[i]) == 0) {
            *out = (corridor_differ)(i + 1);
            return 0;
        }
    return corridor__error(CORRIDOR_EUSAGE,
                           "unknown difference \"%s\": expected country, "
                           "corridor or sea",
                           name ? name : "");
}

static int size_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The route's differ_by set, sorted and without repeats, into k->keys. */
static int route_keys(kept *k, const diverse *d, const query *q, const uint32_t *arcs, size_t len)
{
    const corridor_model *m = q->m;
    const cor_network *net = &q->net;
    size_t n = 0, cap = 2 * len + 2;
    if (!(k->keys = malloc(cap * sizeof *k->keys)))
        return corridor__oom();
    for (size_t j = 0; j < len; j++) {
        size_t a = arcs[j];
        const cor_edge *e = &m->edges[net->arc_edge[a]];
        size_t u = net->arc_from[a], v = net->arc_to[a];
        switch (d->alt->differ_by) {
        case CORRIDOR_DIFFER_COUNTRY:
            if (j == 0 && m->nodes[u].country >= 0)
                k->keys[n++] = (size_t)m->nodes[u].country;
            if (m->nodes[v].country >= 0)
                k->keys[n++] = (size_t)m->nodes[v].country;
            break;
        case CORRIDOR_DIFFER_CORRIDOR:
            if (n + e->n_corridors > cap) {
                cap = 2 * (n + e->n_corridors);
                size_t *nk = realloc(k->keys, cap * sizeof *nk);
                if (!nk)
                    return corridor__oom();
                k->keys = nk;
            }
            for (size_t c = 0; c < e->n_corridors; c++)
                k->keys[n++] = e->corridors[c];
            break;
        case CORRIDOR_DIFFER_SEA:
            if (e->mode == CORRIDOR_MODE_SEA)
                k->keys[n++] = (u < v ? u : v) * m->n_nodes + (u < v ? v : u);
            break;
        default:
            break;
        }
    }
    qsort(k->keys, n, sizeof *k->keys, size_cmp);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || k->keys[u - 1] != k->keys[i])
            k->keys[u++] = k->keys[i];
    k->n_keys = u;
    return 0;
}

static void kept_clear(kept *k)
{
    free(k->edges);
    free(k->keys);
}

/* The route's edges (each once, marked in d->mark) and distance into k. */
static int route_edges(kept *k, diverse *d, const query *q, const uint32_t *arcs, size_t len)
{
    if (!(k->edges = malloc((len + 1) * sizeof *k->edges)))
        return corridor__oom();
    for (size_t j = 0; j < len; j++) {
        size_t e = q->net.arc_edge[arcs[j]];
        if (!d->mark[e])
            k->edges[k->n_edges++] = e;
        d->mark[e] = 1;
    }
    k->km = cor_route_total(q, arcs, len, CORRIDOR_BY_DISTANCE);
    return 0;
}

/* 1 if the route in `k` (its edges marked) fits kept route `o`. */
static int fits(const diverse *d, const query *q, const kept *k, const kept *o)
{
    if (d->alt->differ_by != CORRIDOR_DIFFER_NONE && k->n_keys == o->n_keys &&
        memcmp(k->keys, o->keys, k->n_keys * sizeof *k->keys) == 0)
        return 0;
    if (d->alt->max_overlap >= 1.0)
        return 1;
    double shared = 0.0;
    for (size_t i = 0; i < o->n_edges; i++)
        if (d->mark[o->edges[i]])
            shared += q->m->edges[o->edges[i]].metric[CORRIDOR_BY_DISTANCE];
    return shared <= d->alt->max_overlap * (k->km < o->km ? k->km : o->km);
}

/* query.accept: keeps the route if it fits every route kept so far. */
static int accept(void *ud, const query *q, const uint32_t *arcs, size_t len)
{
    diverse *d = ud;
    kept k;
    int err = 0, ok = 1;
    memset(&k, 0, sizeof k);
    if ((err = route_edges(&k, d, q, arcs, len)) < 0 || (err = route_keys(&k, d, q, arcs, len)) < 0)
        goto done;
    for (size_t i = 0; i < d->n_kept && ok; i++)
        ok = fits(d, q, &k, &d->kept[i]);
    if (ok && d->n_kept == d->cap_kept) {
        size_t nc = d->cap_kept ? 2 * d->cap_kept : 8;
        kept *nk = realloc(d->kept, nc * sizeof *nk);
        if (!nk) {
            err = corridor__oom();
            goto done;
        }
        d->kept = nk;
        d->cap_kept = nc;
    }
done:
    for (size_t i = 0; i < k.n_edges; i++)
        d->mark[k.edges[i]] = 0;
    if (err < 0 || !ok) {
        kept_clear(&k);
        return err < 0 ? err : 0;
    }
    if (k.km > d->km_cap)
        d->km_cap = k.km;
    if (d->n_kept < PRUNE_ROUTES)
        for (size_t i = 0; i < k.n_edges; i++)
            d->in[k.edges[i]] |= (unsigned char)(1u << d->n_kept);
    d->kept[d->n_kept++] = k;
    return 1;
}

/*
 * query.prune: 1 if the partial route of label li already shares more than
 * F times the distance of a kept route with it. Every route it leads to
 * shares at least as much, more than F times the shorter of the two: accept
 * would drop it. Only for one leg (the shared length is then a plain sum).
 */
static int prune(void *ud, const query *q, const label *labs, uint32_t li)
{
    diverse *d = ud;
    size_t nk = d->n_kept < PRUNE_ROUTES ? d->n_kept : PRUNE_ROUTES;
    double shared[PRUNE_ROUTES] = {0};
    if (!d->prune_ok || nk == 0 || d->alt->max_overlap >= 1.0)
        return 0;
    for (uint32_t x = li; labs[x].arc != NOARC; x = labs[x].parent) {
        size_t e = q->net.arc_edge[labs[x].arc];
        unsigned bits = d->in[e];
        for (size_t j = 0; bits && j < nk; j++, bits >>= 1) {
            if (!(bits & 1))
                continue;
            shared[j] += q->m->edges[e].metric[CORRIDOR_BY_DISTANCE];
            if (shared[j] > d->alt->max_overlap * d->kept[j].km * (1 + 1e-12) + 1e-9) /* rounding */
                return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ walk search */

#define WALK_LABELS 10000000u /* labels of one walk search before CORRIDOR_ELIMIT */

/* The walk search's labels: route.c's label (g: value), then per label the shared km with
   each kept route and the km so far (res[i * (m + 1) ..]), and the next label at its state. */
typedef struct wsearch {
    label *labs;
    double *res;
    uint32_t *next, *head;
    size_t n, cap, m;
    heap hp;
} wsearch;

static void wsearch_free(wsearch *w)
{
    free(w->labs);
    free(w->res);
    free(w->next);
    free(w->head);
    free(w->hp.a);
}

/* Adds a label (res: its m + 1 values) with priority f. */
static int wadd(wsearch *w, label l, const double *res, double f)
{
    size_t m1 = w->m + 1;
    if (w->n == w->cap) {
        if (w->cap >= WALK_LABELS)
            return corridor__error(CORRIDOR_ELIMIT,
                                   "search limit reached (%u partial routes): ask for fewer "
                                   "options, a larger overlap, or narrow the network",
                                   WALK_LABELS);
        size_t nc = w->cap ? 2 * w->cap : 4096;
        int ok = 1;
        CORRIDOR__GROW(w->labs, nc, ok);
        CORRIDOR__GROW(w->res, nc * m1, ok);
        CORRIDOR__GROW(w->next, nc, ok);
        if (!ok)
            return corridor__oom();
        w->cap = nc;
    }
    w->labs[w->n] = l;
    memcpy(&w->res[w->n * m1], res, m1 * sizeof *res);
    w->next[w->n] = NOLAB;
    int err = cor_heap_push(&w->hp, f, w->n);
    if (err == 0)
        w->n++;
    return err;
}

/* 1 if a label already kept at li's state is at least as good in every respect. */
static int wdominated(const wsearch *w, const diverse *d, uint32_t li, size_t st)
{
    size_t m = w->m, m1 = m + 1;
    const double *r = &w->res[(size_t)li * m1], F = d->alt->max_overlap;
    for (uint32_t p = w->head[st]; p != NOLAB; p = w->next[p]) {
        const double *rp = &w->res[(size_t)p * m1];
        int dom = w->labs[p].g <= w->labs[li].g;
        for (size_t j = 0; j < m && dom; j++)
            dom = rp[j] <= r[j] && rp[j] - F * rp[m] <= r[j] - F * r[m];
        if (dom)
            return 1;
    }
    return 0;
}

/* 1 if a complete walk with these values fits every kept route (as fits() for a route). */
static int wfits(const diverse *d, const double *r, size_t m)
{
    for (size_t j = 0; j < m; j++) {
        double km = d->kept[j].km;
        if (!(r[j] <= d->alt->max_overlap * (r[m] < km ? r[m] : km)))
            return 0;
    }
    return 1;
}

/* Queues label li's children; a child that shares too much with a kept route is dropped. */
static int wexpand(wsearch *w, const query *q, const diverse *d, uint32_t li)
{
    const cor_network *net = &q->net;
    label L = w->labs[li];
    size_t m = w->m, C = q->C, C1 = C + 1, v = L.node;
    double r[PRUNE_ROUTES + 1];
    int err = 0;
    for (size_t i = net->out_start[v]; i < net->out_start[v + 1]; i++) {
        size_t a = net->out_arc[i], to = net->arc_to[a], c = net->arc_class[a],
               e = net->arc_edge[a];
        double km = q->m->edges[e].metric[CORRIDOR_BY_DISTANCE], h = q->h[to * C1 + c];
        int over = 0;
        if (!isfinite(h))
            continue;
        memcpy(r, &w->res[(size_t)li * (m + 1)], (m + 1) * sizeof *r);
        for (size_t j = 0; j < m; j++) {
            r[j] += (d->in[e] >> j & 1) ? km : 0.0;
            over |= r[j] > d->alt->max_overlap * d->kept[j].km * (1 + 1e-12) + 1e-9;
        }
        /* km matters only up to the longest kept route's (fits uses min(km, kept km)):
           clamped there, a loop that only adds km is dominated and the search ends */
        r[m] = r[m] + km < d->km_cap ? r[m] + km : d->km_cap;
        if (over)
            continue;
        double g = L.cls == C ? L.g + q->w[a]
                              : L.g + cor_penalty(q->dwell[v], q->transfer[v], L.cls, c) + q->w[a];
        label l = {g, li, (uint32_t)a, (uint32_t)to, 0, (uint16_t)c};
        if ((err = wadd(w, l, r, g + h)) < 0)
            return err;
    }
    return 0;
}

/*
 * The cheapest walk (nodes may repeat) from the origins to the destination
 * that fits every kept route, by an A* over labels (state: node, class of
 * arrival, leg start) with the resources shared km per kept route and km: a
 * label is dropped if one at its state has no more value, no more shared km
 * with each kept route and no more (shared km - F km) for each (then every
 * completion of it fits that one too, at no more value). *li_out: its last
 * label, NOLAB if no walk fits. One leg, no differ_by, at most PRUNE_ROUTES
 * kept routes.
 */
static int walk_best(wsearch *w, const query *q, const diverse *d, uint32_t *li_out)
{
    size_t n = q->n, C = q->C, C1 = C + 1, m = d->n_kept;
    double zero[PRUNE_ROUTES + 1] = {0};
    int err = 0;
    *li_out = NOLAB;
    if (w->cap && m != w->m) { /* res holds m + 1 values per label */
        double *nr = realloc(w->res, w->cap * (m + 1) * sizeof *nr);
        if (!nr)
            return corridor__oom();
        w->res = nr;
    }
    w->m = m;
    w->n = 0;
    w->hp.n = 0;
    if (!w->head && !(w->head = malloc((n * C1 * 2 + 1) * sizeof *w->head)))
        return corridor__oom();
    memset(w->head, 0xff, (n * C1 * 2 + 1) * sizeof *w->head);
    for (size_t i = 0; i < q->n_place[0]; i++) {
        size_t o = q->place[0][i];
        label l = {0.0, NOLAB, NOARC, (uint32_t)o, 0, (uint16_t)C};
        if (isfinite(q->h[o * C1 + C]) && (err = wadd(w, l, zero, q->h[o * C1 + C])) < 0)
            return err;
    }
    while (w->hp.n) {
        uint32_t li = (uint32_t)cor_heap_pop(&w->hp).id;
        label L = w->labs[li];
        size_t st = (L.node * C1 + L.cls) * 2 + (L.arc == NOARC);
        if (wdominated(w, d, li, st))
            continue;
        w->next[li] = w->head[st];
        w->head[st] = li;
        if (L.arc != NOARC && q->target[L.node]) {
            if (wfits(d, &w->res[(size_t)li * (m + 1)], m)) {
                *li_out = li;
                return 0;
            }
            if (q->n_place[1] == 1)
                continue;
        }
        if ((err = wexpand(w, q, d, li)) < 0)
            return err;
    }
    return 0;
}

/* 1 if the walk ending at label li visits no node twice. */
static int walk_simple(const wsearch *w, uint32_t li, unsigned char *seen)
{
    int simple = 1;
    uint32_t x = li;
    for (; x != NOLAB && simple; x = w->labs[x].parent) {
        simple = !seen[w->labs[x].node];
        seen[w->labs[x].node] = 1;
    }
    for (uint32_t y = li; y != x; y = w->labs[y].parent)
        seen[w->labs[y].node] = 0;
    return simple;
}

/*
 * Routes 2..k by walk searches: the cheapest fitting walk, if node-simple, is
 * the cheapest fitting route (routes are walks and fit exactly as their
 * walks do); if not, the enumeration of route.c decides that route.
 */
static int alternatives_by_walks(query *q, diverse *d, scratch *s, size_t k)
{
    wsearch w;
    unsigned char *seen = calloc(q->n + 1, 1);
    int err = 0;
    memset(&w, 0, sizeof w);
    if (!seen)
        return corridor__oom();
    if ((err = cor_query_search(q, 1, s)) < 0)
        goto done;
    while (q->n_found > 0 && q->n_found < k && d->n_kept <= PRUNE_ROUTES) {
        uint32_t li = NOLAB, *arcs = NULL;
        size_t len = 0, before = q->n_found;
        if ((err = walk_best(&w, q, d, &li)) < 0 || li == NOLAB)
            break; /* no walk fits, so no route does */
        if (walk_simple(&w, li, seen)) {
            if ((err = cor_label_arcs(&arcs, &len, w.labs, li)) < 0 ||
                (err = cor_found_add(q, arcs, len, w.labs[li].g)) < 0)
                break;
        } else if ((err = cor_query_search(q, q->n_found + 1, s)) < 0) {
            break;
        }
        if (q->n_found == before)
            break; /* the enumeration found no fitting route */
    }
    if (err == 0 && q->n_found > 0 && q->n_found < k && d->n_kept > PRUNE_ROUTES)
        err = cor_query_search(q, k, s);
done:
    wsearch_free(&w);
    free(seen);
    return err;
}

int corridor_alt_opts_init(corridor_alt_opts *opts, int version)
{
    const corridor_alt_opts defaults = CORRIDOR_ALT_OPTS_INIT;
    int err = corridor__check_version(version, CORRIDOR_ALT_OPTS_VERSION, "corridor_alt_opts");
    if (err == 0)
        *opts = defaults;
    return err;
}

static int check_alt(const query *q, const corridor_alt_opts *alt)
{
    int err = corridor__check_version(alt->version, CORRIDOR_ALT_OPTS_VERSION, "corridor_alt_opts");
    if (err < 0)
        return err;
    if (!(alt->max_overlap > 0.0 && alt->max_overlap <= 1.0))
        return corridor__error(CORRIDOR_EUSAGE,
                               "the overlap limit must be above 0 and at most 1 (got %g)",
                               alt->max_overlap);
    if ((unsigned)alt->differ_by > CORRIDOR_DIFFER_SEA)
        return corridor__error(CORRIDOR_EUSAGE, "unknown difference %d", (int)alt->differ_by);
    if (q && alt->max_overlap < 1.0)
        return cor_network_check_metric(&q->net, CORRIDOR_BY_DISTANCE);
    return 0;
}

int corridor_route_alternatives(corridor_routes **out, const corridor_model *model,
                                const char *from, const char *to, const corridor_route_opts *ropts,
                                const corridor_alt_opts *alt)
{
    static const corridor_route_opts rdefaults = CORRIDOR_ROUTE_OPTS_INIT;
    static const corridor_alt_opts adefaults = CORRIDOR_ALT_OPTS_INIT;
    query q;
    scratch s;
    diverse d;
    int err = 0;

    memset(&s, 0, sizeof s);
    memset(&d, 0, sizeof d);
    *out = NULL;
    ropts = ropts ? ropts : &rdefaults;
    d.alt = alt = alt ? alt : &adefaults;
    if (!from || !to)
        return corridor__error(CORRIDOR_EUSAGE, "a route needs an origin and a destination");
    if (ropts->k == 0)
        return corridor__error(CORRIDOR_EUSAGE, "the number of route options must be at least 1");
    if ((unsigned)ropts->by >= COR_NMET)
        return corridor__error(CORRIDOR_EUSAGE, "unknown route metric %d", (int)ropts->by);
    if (ropts->n_via >= 0x3fffu)
        return corridor__error(CORRIDOR_EUSAGE, "too many via places (%zu)", ropts->n_via);
    if ((err = CORRIDOR__CHECK_BUDGETED_OPTS(ropts, CORRIDOR_ROUTE_OPTS_VERSION,
                                             "corridor_route_opts")) < 0 ||
        (err = check_alt(NULL, alt)) < 0 || (err = cor_query_check_size(model)) < 0)
        return err;

    cor_query_init(&q, model, (int)ropts->by);
    q.accept = accept;
    q.prune = prune;
    q.accept_ud = &d;
    d.prune_ok = ropts->n_via == 0;
    if (!(d.mark = calloc(model->n_edges + 1, 1)) || !(d.in = calloc(model->n_edges + 1, 1))) {
        err = corridor__oom();
        goto done;
    }
    if ((err = cor_query_places(&q, from, to, ropts->via, ropts->n_via)) < 0 ||
        (err = cor_query_network(&q, &ropts->filter)) < 0 || (err = check_alt(&q, alt)) < 0 ||
        (err = cor_query_bounds(&q, &s.hp)) < 0)
        goto done;
    if (ropts->n_via == 0 && alt->differ_by == CORRIDOR_DIFFER_NONE && alt->max_overlap < 1.0)
        err = alternatives_by_walks(&q, &d, &s, ropts->k);
    else
        err = cor_query_search(&q, ropts->k, &s);
    if (err < 0)
        goto done;
    if (q.n_found == 0) {
        err = cor_query_no_route(&q, from, to, &ropts->filter, ropts->via, ropts->n_via);
        goto done;
    }
    err = cor_query_routes(out, &q, q.n_found, from, to, ropts->by, ropts->filter.carry);
done:
    for (size_t i = 0; i < d.n_kept; i++)
        kept_clear(&d.kept[i]);
    free(d.kept);
    free(d.mark);
    free(d.in);
    cor_scratch_free(&s);
    cor_query_free(&q);
    return err;
}
