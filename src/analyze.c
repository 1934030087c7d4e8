/* analyze.c: per commodity: components, bridges, articulation points, betweenness. */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "network.h"
#include "resilience_internal.h"

static void free_one(corridor_commodity_analysis *ca)
{
    for (size_t i = 0; ca->components && i < ca->n_components; i++)
        free(ca->components[i]);
    free(ca->components);
    free(ca->component_sizes);
    free(ca->bridges);
    free(ca->articulation_points);
    free(ca->betweenness);
}

void corridor_analysis_free(corridor_analysis *a)
{
    if (!a)
        return;
    for (size_t i = 0; a->per && i < a->n; i++)
        free_one(&a->per[i]);
    free(a->per);
    free(a);
}

static int str_cmp(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static int score_cmp(const void *pa, const void *pb)
{
    const corridor_score *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* Components, largest first (ties: by smallest id); ids sorted within each. */
typedef struct comp_ref {
    size_t size;
    const char **ids;
} comp_ref;

static int comp_cmp(const void *pa, const void *pb)
{
    const comp_ref *a = pa, *b = pb;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return strcmp(a->ids[0], b->ids[0]);
}

/* The undirected multigraph of the eligible edges over the touched nodes (compact ids). */
typedef struct undirected_view {
    igraph_t g;
    int have_g;
    size_t n_v;
    size_t *vertex_node; /* compact vertex -> model node */
    size_t *edge_of;     /* igraph edge -> model edge */
} undirected_view;

static void view_free(undirected_view *u)
{
    if (u->have_g)
        igraph_destroy(&u->g);
    free(u->vertex_node);
    free(u->edge_of);
    memset(u, 0, sizeof *u);
}

static int view_build(undirected_view *u, const corridor_model *m, const cor_network *net)
{
    int err = 0;
    igraph_error_t rc;
    long *compact = NULL;
    igraph_vector_int_t el;
    int have_el = 0;
    size_t n_e = 0;
    memset(u, 0, sizeof *u);
    if (!(compact = malloc((m->n_nodes + 1) * sizeof *compact)) ||
        !(u->vertex_node = malloc((m->n_nodes + 1) * sizeof *u->vertex_node)) ||
        !(u->edge_of = malloc((m->n_edges + 1) * sizeof *u->edge_of))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t v = 0; v < m->n_nodes; v++)
        compact[v] = -1;
    for (size_t e = 0; e < m->n_edges; e++) {
        if (!net->edge_ok[e])
            continue;
        size_t ends[2] = {m->edges[e].from, m->edges[e].to};
        for (int k = 0; k < 2; k++) {
            if (compact[ends[k]] < 0) {
                compact[ends[k]] = (long)u->n_v;
                u->vertex_node[u->n_v++] = ends[k];
            }
        }
        u->edge_of[n_e++] = e;
    }
    if ((rc = igraph_vector_int_init(&el, (igraph_integer_t)(2 * n_e))) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_el = 1;
    for (size_t i = 0; i < n_e; i++) {
        VECTOR(el)[2 * i] = compact[m->edges[u->edge_of[i]].from];
        VECTOR(el)[2 * i + 1] = compact[m->edges[u->edge_of[i]].to];
    }
    if ((rc = igraph_create(&u->g, &el, (igraph_integer_t)u->n_v, IGRAPH_UNDIRECTED)) !=
        IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    u->have_g = 1;
done:
    if (have_el)
        igraph_vector_int_destroy(&el);
    free(compact);
    if (err < 0)
        view_free(u);
    return err;
}

static int components(corridor_commodity_analysis *ca, const corridor_model *m,
                      const undirected_view *u)
{
    int err = 0;
    igraph_error_t rc;
    igraph_vector_int_t memb, csize;
    int have_memb = 0, have_csize = 0;
    igraph_integer_t no = 0;
    comp_ref *refs = NULL;
    size_t *fill = NULL;
    if ((rc = igraph_vector_int_init(&memb, 0)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_memb = 1;
    if ((rc = igraph_vector_int_init(&csize, 0)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_csize = 1;
    if ((rc = igraph_connected_components(&u->g, &memb, &csize, &no, IGRAPH_WEAK)) !=
        IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    size_t k = (size_t)no;
    if (!(refs = calloc(k + 1, sizeof *refs)) || !(fill = calloc(k + 1, sizeof *fill))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t c = 0; c < k; c++) {
        refs[c].size = (size_t)VECTOR(csize)[c];
        if (!(refs[c].ids = malloc(refs[c].size * sizeof *refs[c].ids))) {
            err = corridor__oom();
            goto done;
        }
    }
    for (size_t v = 0; v < u->n_v; v++) {
        size_t c = (size_t)VECTOR(memb)[v];
        refs[c].ids[fill[c]++] = m->nodes[u->vertex_node[v]].id;
    }
    for (size_t c = 0; c < k; c++)
        qsort(refs[c].ids, refs[c].size, sizeof *refs[c].ids, str_cmp);
    qsort(refs, k, sizeof *refs, comp_cmp);
    if (!(ca->components = calloc(k + 1, sizeof *ca->components)) ||
        !(ca->component_sizes = calloc(k + 1, sizeof *ca->component_sizes))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t c = 0; c < k; c++) {
        ca->components[c] = refs[c].ids;
        ca->component_sizes[c] = refs[c].size;
        refs[c].ids = NULL;
    }
    ca->n_components = k;
done:
    for (size_t c = 0; refs && c < (size_t)no; c++)
        free(refs[c].ids);
    free(refs);
    free(fill);
    if (have_memb)
        igraph_vector_int_destroy(&memb);
    if (have_csize)
        igraph_vector_int_destroy(&csize);
    return err;
}

/* Bridges (igraph_bridges handles parallel edges: neither of a parallel pair is a bridge)
 * and articulation points of the undirected view, ids sorted. */
static int cut_elements(corridor_commodity_analysis *ca, const corridor_model *m,
                        const undirected_view *u)
{
    int err = 0;
    igraph_error_t rc;
    igraph_vector_int_t res;
    int have_res = 0;
    if ((rc = igraph_vector_int_init(&res, 0)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_res = 1;
    if ((rc = igraph_bridges(&u->g, &res)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    size_t n = (size_t)igraph_vector_int_size(&res);
    if (!(ca->bridges = malloc((n + 1) * sizeof *ca->bridges))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        ca->bridges[i] = m->edges[u->edge_of[VECTOR(res)[i]]].id;
    ca->n_bridges = n;
    qsort(ca->bridges, n, sizeof *ca->bridges, str_cmp);

    if ((rc = igraph_articulation_points(&u->g, &res)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    n = (size_t)igraph_vector_int_size(&res);
    if (!(ca->articulation_points = malloc((n + 1) * sizeof *ca->articulation_points))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        ca->articulation_points[i] = m->nodes[u->vertex_node[VECTOR(res)[i]]].id;
    ca->n_articulation_points = n;
    qsort(ca->articulation_points, n, sizeof *ca->articulation_points, str_cmp);
done:
    if (have_res)
        igraph_vector_int_destroy(&res);
    return err;
}

/*
 * How it works (betweenness)
 * --------------------------
 * Brandes' algorithm, weighted, on the routing graph (directed: a two-way
 * edge is two arcs), node and edge scores in one pass: from each source s a
 * Dijkstra gives the distances, the number of shortest paths sigma and the
 * order in which nodes were settled; then, in reverse order, each node v
 * hands sigma[u] / sigma[v] * (1 + delta[v]) back over every arc u -> v on a
 * shortest path: that is the arc's share for source s, and it adds to
 * delta[u]; delta[v] is v's share (v != s). Two lengths count as equal as in
 * igraph (relative difference below 1e-10), so the scores are igraph's
 * (igraph_betweenness and igraph_edge_betweenness, which made two passes).
 * Ordered pairs are counted and the result halved, so an all-two-way network
 * gives the undirected values.
 *
 * With `sample` = N > 0 (fewer than the nodes with an arc), N distinct
 * sources are drawn with the seed (xorshift, Fisher-Yates over the nodes that
 * have an arc) and the sums are scaled by n / N: an unbiased estimate of the
 * exact score whose relative error shrinks like 1 / sqrt(N) (docs).
 * Time: O(sources * (|V| + |E|) log |V|); memory O(|V| + |E|).
 */

typedef struct bheap {
    double *key;
    size_t *id;
    size_t n;
} bheap;

static void bh_push(bheap *h, double key, size_t id)
{
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
}

static size_t bh_pop(bheap *h, double *key)
{
    size_t top = h->id[0];
    *key = h->key[0];
    double lk = h->key[--h->n];
    size_t li = h->id[h->n], i = 0, n = h->n;
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

/* igraph_cmp_epsilon with igraph's shortest-path epsilon: -1, 0 or 1. */
static int cmp_eps(double a, double b)
{
    const double eps = 1e-10;
    if (a == b)
        return 0;
    double diff = a - b, ad = fabs(diff), sum = fabs(a) + fabs(b);
    if (a == 0 || b == 0 || sum < DBL_MIN)
        return ad < eps * DBL_MIN ? 0 : diff < 0 ? -1 : 1;
    if (!isfinite(sum))
        return ad < eps * fabs(a) ? 0 : diff < 0 ? -1 : 1;
    return ad / sum < eps ? 0 : diff < 0 ? -1 : 1;
}

/* Work arrays of the Brandes pass. */
typedef struct brandes {
    double *dist, *sigma, *delta;
    size_t *order;
    unsigned char *state; /* 0 unseen, 1 queued, 2 settled */
    bheap h;
} brandes;

/* One source's contribution added to vb[] and eb[] (see "How it works"). */
static void brandes_source(brandes *b, const cor_network *net, const double *w, size_t s,
                           double *vb, double *eb)
{
    size_t n = net->n_nodes, n_order = 0;
    for (size_t v = 0; v < n; v++) {
        b->state[v] = 0;
        b->sigma[v] = 0;
        b->delta[v] = 0;
    }
    b->h.n = 0;
    b->dist[s] = 0;
    b->sigma[s] = 1;
    b->state[s] = 1;
    bh_push(&b->h, 0.0, s);
    while (b->h.n) {
        double d;
        size_t u = bh_pop(&b->h, &d);
        if (b->state[u] == 2 || d > b->dist[u])
            continue;
        b->state[u] = 2;
        b->order[n_order++] = u;
        for (size_t k = net->out_start[u]; k < net->out_start[u + 1]; k++) {
            size_t a = net->out_arc[k], v = net->arc_to[a];
            double alt = d + w[a];
            if (b->state[v] == 0) {
                b->dist[v] = alt;
                b->sigma[v] = b->sigma[u];
                b->state[v] = 1;
                bh_push(&b->h, alt, v);
            } else if (b->state[v] == 1) {
                int c = cmp_eps(alt, b->dist[v]);
                if (c < 0) {
                    b->dist[v] = alt;
                    b->sigma[v] = b->sigma[u];
                    bh_push(&b->h, alt, v);
                } else if (c == 0) {
                    b->sigma[v] += b->sigma[u];
                }
            }
        }
    }
    while (n_order > 0) {
        size_t v = b->order[--n_order];
        double coeff = (1 + b->delta[v]) / b->sigma[v];
        for (size_t k = net->in_start[v]; k < net->in_start[v + 1]; k++) {
            size_t a = net->in_arc[k], u = net->arc_from[a];
            if (b->state[u] != 2 || u == v || cmp_eps(b->dist[u] + w[a], b->dist[v]) != 0)
                continue;
            double c = b->sigma[u] * coeff;
            eb[a] += c;
            b->delta[u] += c;
        }
        if (v != s)
            vb[v] += b->delta[v];
    }
}

static uint64_t xorshift(uint64_t *st)
{
    *st ^= *st >> 12;
    *st ^= *st << 25;
    *st ^= *st >> 27;
    return *st * 2685821657736338717ULL;
}

/*
 * Node and edge betweenness of the routing graph in one pass, weighted by the
 * edge metric `by` (dwell and transfer are not counted). igraph's rules for
 * weights: a zero weight becomes a millionth of the smallest positive one (all
 * zero: unweighted). Keeps the `top` highest nodes, then the `top` highest
 * edges, zero scores left out.
 */
static int betweenness(corridor_commodity_analysis *ca, const corridor_model *m,
                       const cor_network *net, const corridor_analyze_opts *opts, cor_watch *wt)
{
    int err = 0;
    int by = (int)opts->by;
    size_t top = opts->top, n = net->n_nodes;
    corridor_score *nodes = NULL, *edges = NULL;
    double *per_edge = NULL, *w = NULL, *vb = NULL, *eb = NULL;
    size_t *src = NULL, nn = 0, ne = 0, n_src = 0;
    brandes b;
    memset(&b, 0, sizeof b);
    w = malloc((net->n_arcs + 1) * sizeof *w);
    vb = calloc(n + 1, sizeof *vb);
    eb = calloc(net->n_arcs + 1, sizeof *eb);
    src = malloc((n + 1) * sizeof *src);
    b.dist = malloc((n + 1) * sizeof *b.dist);
    b.sigma = malloc((n + 1) * sizeof *b.sigma);
    b.delta = malloc((n + 1) * sizeof *b.delta);
    b.order = malloc((n + 1) * sizeof *b.order);
    b.state = malloc(n + 1);
    b.h.key = malloc((net->n_arcs + 2) * sizeof *b.h.key);
    b.h.id = malloc((net->n_arcs + 2) * sizeof *b.h.id);
    if (!w || !vb || !eb || !src || !b.dist || !b.sigma || !b.delta || !b.order || !b.state ||
        !b.h.key || !b.h.id) {
        err = corridor__oom();
        goto done;
    }
    double minpos = INFINITY;
    for (size_t a = 0; a < net->n_arcs; a++) {
        double x = cor_arc_w(net, a, (size_t)by);
        w[a] = x;
        if (x > 0 && x < minpos)
            minpos = x;
    }
    for (size_t a = 0; a < net->n_arcs; a++)
        if (!(w[a] > 0))
            w[a] = isfinite(minpos) ? minpos * 1e-6 : 1;
    /* sources: every node with an arc, or a sample of them */
    for (size_t v = 0; v < n; v++)
        if (net->out_start[v + 1] > net->out_start[v])
            src[n_src++] = v;
    size_t n_all = n_src;
    double scale = 1.0;
    if (opts->version >= 2 && opts->sample > 0 && opts->sample < n_src) {
        uint64_t st = opts->seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
        for (size_t i = 0; i < opts->sample; i++) {
            size_t k = i + (size_t)(xorshift(&st) % (n_src - i));
            size_t t = src[i];
            src[i] = src[k];
            src[k] = t;
        }
        n_src = opts->sample;
        scale = (double)n_all / (double)n_src;
    }
    /* a budget's progress and limit: one step per source (after its whole Brandes pass) */
    wt->total = n_src;
    for (size_t i = 0; i < n_src; i++) {
        brandes_source(&b, net, w, src[i], vb, eb);
        if ((err = corridor__watch_step(wt, i + 1)) < 0)
            goto done;
    }

    if (!(nodes = malloc((m->n_nodes + 1) * sizeof *nodes)) ||
        !(edges = malloc((m->n_edges + 1) * sizeof *edges)) ||
        !(per_edge = calloc(m->n_edges + 1, sizeof *per_edge))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t v = 0; v < m->n_nodes; v++) {
        double sc = vb[v] * scale / 2;
        if (sc > 0)
            nodes[nn++] = (corridor_score){CORRIDOR_ELEMENT_NODE, m->nodes[v].id, sc};
    }
    for (size_t a = 0; a < net->n_arcs; a++)
        per_edge[net->arc_edge[a]] += eb[a] * scale / 2;
    for (size_t e = 0; e < m->n_edges; e++)
        if (per_edge[e] > 0)
            edges[ne++] = (corridor_score){CORRIDOR_ELEMENT_EDGE, m->edges[e].id, per_edge[e]};
    qsort(nodes, nn, sizeof *nodes, score_cmp);
    qsort(edges, ne, sizeof *edges, score_cmp);
    if (nn > top)
        nn = top;
    if (ne > top)
        ne = top;
    if (!(ca->betweenness = malloc((nn + ne + 1) * sizeof *ca->betweenness))) {
        err = corridor__oom();
        goto done;
    }
    memcpy(ca->betweenness, nodes, nn * sizeof *nodes);
    memcpy(ca->betweenness + nn, edges, ne * sizeof *edges);
    ca->n_betweenness = nn + ne;
done:
    free(nodes);
    free(edges);
    free(per_edge);
    free(w);
    free(vb);
    free(eb);
    free(src);
    free(b.dist);
    free(b.sigma);
    free(b.delta);
    free(b.order);
    free(b.state);
    free(b.h.key);
    free(b.h.id);
    return err;
}

/* One commodity; *partial = 1 if a limit stopped betweenness (the rest is complete). */
static int analyze_one(corridor_commodity_analysis *ca, int *partial, const corridor_model *m,
                       const corridor_analyze_opts *opts, corridor_commodity c, cor_watch *wt)
{
    int err = 0;
    cor_network net;
    undirected_view u;
    int have_u = 0;
    corridor_filter f = opts->filter;
    f.carry = c;
    memset(&net, 0, sizeof net);
    ca->carry = c;
    if ((err = cor_network_build(&net, m, &f, (int)opts->by)) < 0)
        goto done;
    if ((err = view_build(&u, m, &net)) < 0)
        goto done;
    have_u = 1;
    ca->nodes = u.n_v;
    ca->edges = (size_t)igraph_ecount(&u.g);
    if ((err = components(ca, m, &u)) < 0 || (err = cut_elements(ca, m, &u)) < 0)
        goto done;
    err = betweenness(ca, m, &net, opts, wt);
    *partial = err == CORRIDOR_ELIMIT;
done:
    if (have_u)
        view_free(&u);
    cor_network_free(&net);
    return err;
}

/*
 * One entry per commodity: filter.carry if set, otherwise every commodity an
 * eligible edge carries. With a budget: progress per betweenness source (per
 * commodity); at its limit CORRIDOR_ELIMIT with the commodities done in *out
 * (complete = 0; the last one without betweenness if that was cut short), or
 * *out NULL if none was done. Time complexity: O(|V| |E| log |V|) per
 * commodity (weighted betweenness); the rest is O(|V| + |E|).
 */
int corridor_analyze(corridor_analysis **out, const corridor_model *model,
                     const corridor_analyze_opts *opts)
{
    int err = 0;
    corridor_analysis *a = NULL;
    cor_selection sel = {NULL, NULL};
    corridor_analyze_opts defaults = CORRIDOR_ANALYZE_OPTS_INIT;
    corridor_commodity list[COR_NCOM];
    size_t n_list = 0;
    int entered = 0;
    cor_watch w;
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if ((err = CORRIDOR__CHECK_BUDGETED_OPTS(opts, CORRIDOR_ANALYZE_OPTS_VERSION,
                                             "corridor_analyze_opts")) < 0)
        return err;
    if ((unsigned)opts->by >= COR_NMET) {
        err = corridor__error(CORRIDOR_EUSAGE, "unknown metric %d for betweenness", (int)opts->by);
        goto done;
    }
    corridor__igraph_enter();
    entered = 1;
    if (opts->filter.carry != CORRIDOR_CARRY_ANY) {
        if ((unsigned)opts->filter.carry >= COR_NCOM) {
            err = corridor__error(CORRIDOR_EUSAGE, "unknown commodity %d", (int)opts->filter.carry);
            goto done;
        }
        list[n_list++] = opts->filter.carry;
    } else {
        unsigned carried = 0;
        if ((err = corridor__selection_build(&sel, model, &opts->filter)) < 0)
            goto done;
        for (size_t e = 0; e < model->n_edges; e++)
            if (sel.edge_ok[e])
                carried |= model->edges[e].carries;
        for (int c = 0; c < COR_NCOM; c++)
            if (carried & (1u << c))
                list[n_list++] = (corridor_commodity)c;
    }
    if (!(a = calloc(1, sizeof *a)) || !(a->per = calloc(n_list + 1, sizeof *a->per))) {
        err = corridor__oom();
        goto done;
    }
    a->by = opts->by;
    a->complete = 1;
    corridor__watch_init(&w, opts->budget, 0, "betweenness sources");
    for (size_t i = 0; i < n_list; i++) {
        int partial = 0;
        a->n = i + 1;
        if ((err = analyze_one(&a->per[i], &partial, model, opts, list[i], &w)) < 0) {
            if (err != CORRIDOR_ELIMIT)
                goto done;
            if (!partial) { /* cut short before betweenness: leave the commodity out */
                free_one(&a->per[i]);
                a->n = i;
            }
            a->complete = 0;
            break;
        }
    }
    if (a->n > 0 || err == 0) {
        *out = a;
        a = NULL;
    }
done:
    if (entered)
        corridor__igraph_leave();
    corridor__selection_free(&sel);
    corridor_analysis_free(a);
    return err;
}

static int id_array(cJSON *obj, const char *key, const char *const *ids, size_t n)
{
    int err = 0;
    cJSON *arr = cJSON_CreateArray();
    if ((err = cor_json_add(obj, key, arr)) < 0)
        return err;
    for (size_t i = 0; i < n; i++)
        if ((err = cor_json_str(arr, NULL, ids[i])) < 0)
            return err;
    return 0;
}

static int one_json(cJSON *arr, const corridor_commodity_analysis *ca)
{
    int err = 0;
    cJSON *o = cJSON_CreateObject(), *comps = NULL, *bt = NULL, *bn = NULL, *be = NULL;
    if ((err = cor_json_add(arr, NULL, o)) < 0)
        return err;
    if ((err = cor_json_str(o, "carry", corridor_commodity_name(ca->carry))) < 0 ||
        (err = cor_json_num(o, "nodes", (double)ca->nodes)) < 0 ||
        (err = cor_json_num(o, "edges", (double)ca->edges)) < 0 ||
        (err = cor_json_num(o, "n_components", (double)ca->n_components)) < 0 ||
        (err = cor_json_add(o, "components", comps = cJSON_CreateArray())) < 0)
        return err;
    for (size_t c = 0; c < ca->n_components; c++) {
        cJSON *holder = cJSON_CreateObject();
        if ((err = cor_json_add(comps, NULL, holder)) < 0 ||
            (err = cor_json_num(holder, "size", (double)ca->component_sizes[c])) < 0 ||
            (err = id_array(holder, "nodes", ca->components[c], ca->component_sizes[c])) < 0)
            return err;
    }
    if ((err = id_array(o, "bridges", ca->bridges, ca->n_bridges)) < 0 ||
        (err = id_array(o, "articulation_points", ca->articulation_points,
                        ca->n_articulation_points)) < 0 ||
        (err = cor_json_add(o, "betweenness", bt = cJSON_CreateObject())) < 0 ||
        (err = cor_json_add(bt, "nodes", bn = cJSON_CreateArray())) < 0 ||
        (err = cor_json_add(bt, "edges", be = cJSON_CreateArray())) < 0)
        return err;
    for (size_t i = 0; i < ca->n_betweenness; i++) {
        const corridor_score *s = &ca->betweenness[i];
        cJSON *item = cJSON_CreateObject();
        if ((err = cor_json_add(s->type == CORRIDOR_ELEMENT_NODE ? bn : be, NULL, item)) < 0 ||
            (err = cor_json_str(item, "id", s->id)) < 0 ||
            (err = cor_json_num(item, "score", s->score)) < 0)
            return err;
    }
    return 0;
}

int corridor_analysis_json(char **out, const corridor_analysis *a)
{
    int err = 0;
    cJSON *root = cJSON_CreateObject(), *arr = NULL;
    *out = NULL;
    if (!root)
        return corridor__oom();
    if ((err = cor_json_str(root, "by", corridor_metric_name(a->by))) < 0 ||
        (!a->complete && (err = cor_json_bool(root, "complete", 0)) < 0) ||
        (err = cor_json_add(root, "commodities", arr = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t i = 0; i < a->n; i++)
        if ((err = one_json(arr, &a->per[i])) < 0)
            goto done;
    err = cor_json_finish(out, root);
    root = NULL;
done:
    cJSON_Delete(root);
    return err;
}
