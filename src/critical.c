/* critical.c: N-1 criticality: which single loss hurts a route, a flow or a set of OD pairs. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "resilience_internal.h"
#include "route_internal.h"

/*
 * Elements are numbered edges first (0 .. n_edges - 1), then nodes
 * (n_edges + v), as in cor_flownet. Removing an element that the best route
 * (or the max flow) does not use cannot change the answer: the old route (or
 * flow) is still there and nothing got cheaper (or wider). So only the
 * elements of the best route (or those carrying flow) are recomputed.
 */

static corridor_element_type elem_type(const corridor_model *m, size_t el)
{
    return el < m->n_edges ? CORRIDOR_ELEMENT_EDGE : CORRIDOR_ELEMENT_NODE;
}

static const char *elem_id(const corridor_model *m, size_t el)
{
    return el < m->n_edges ? m->edges[el].id : m->nodes[el - m->n_edges].id;
}

/* --------------------------------------------------- best route, minus one */

/*
 * Best route of the router's current pair with element `removed` (-1: none)
 * taken out. Returns 0 and sets *found = 1, *value and (if route is not NULL)
 * *route; *found = 0 when there is no route; other errors are passed up.
 */
static int best_route(cor_router *r, long removed, int *found, double *value, cor_path *route)
{
    int err = cor_router_best(r, removed, value, route);
    *found = err == 0;
    return err == CORRIDOR_ENOTFOUND ? 0 : err;
}

/* 1 if the place names more than one node (a country). */
static int place_is_multi(const corridor_model *m, const char *place, int *multi)
{
    size_t *list = NULL, n = 0;
    int err = corridor__place_resolve(&list, &n, m, place);
    free(list);
    *multi = n > 1;
    return err;
}

static int path_visits(const cor_path *p, long v)
{
    for (size_t i = 0; i <= p->n_edges; i++)
        if (p->nodes[i] == v)
            return 1;
    return 0;
}

/* The best route without one element of a base route. */
typedef struct repl {
    long el;
    int found;
    double value;
    cor_path route; /* the new best route, if found (and kept) */
} repl;

static void repls_free(repl *x, size_t n)
{
    for (size_t i = 0; x && i < n; i++)
        cor_path_free(&x[i].route);
    free(x);
}

static int repl_copy(repl *dst, const repl *src, long el, int keep)
{
    *dst = *src;
    dst->el = el;
    memset(&dst->route, 0, sizeof dst->route);
    if (!keep || !src->found)
        return 0;
    size_t n = src->route.n_edges;
    dst->route.n_edges = n;
    dst->route.edges = malloc((n + 1) * sizeof *dst->route.edges);
    dst->route.nodes = malloc((n + 2) * sizeof *dst->route.nodes);
    if (!dst->route.edges || !dst->route.nodes) {
        cor_path_free(&dst->route);
        return corridor__oom();
    }
    memcpy(dst->route.edges, src->route.edges, n * sizeof *dst->route.edges);
    memcpy(dst->route.nodes, src->route.nodes, (n + 1) * sizeof *dst->route.nodes);
    return 0;
}

/*
 * For each element of `base` (its edges, its intermediate nodes, and an end
 * node whose place has other nodes): the best route without it. Edges are
 * recomputed first. A node's loss also takes the route's edges at it, so it
 * can never do better than losing one of them; if the best route without such
 * an edge does not pass the node (or there is none), it is also the answer
 * without the node, and the node is not recomputed. Routes are kept only if
 * keep_routes. *out: edges in route order, then nodes; free with repls_free.
 * The watch `w` (may be NULL) counts one step per element. At a limit
 * (CORRIDOR_ELIMIT, from `w` or from the router's own watch) *out still holds
 * the elements finished so far.
 */
static int replacements(repl **out, size_t *n_out, cor_router *r, const corridor_model *m,
                        const cor_path *base, int multi_from, int multi_to, int keep_routes,
                        cor_watch *w)
{
    size_t L = base->n_edges, n = 0;
    repl *x = calloc(2 * L + 2, sizeof *x);
    int err = 0;
    *out = NULL;
    *n_out = 0;
    if (!x)
        return corridor__oom();
    for (size_t j = 0; j < 2 * L + 1; j++) {
        long el;
        const repl *same = NULL;
        if (j < L) {
            el = base->edges[j];
        } else {
            size_t k = j - L; /* node k of the route */
            if ((k == 0 && !multi_from) || (k == L && !multi_to))
                continue;
            el = (long)m->n_edges + base->nodes[k];
            const repl *in = k > 0 ? &x[k - 1] : NULL, *outr = k < L ? &x[k] : NULL;
            if (in && (!in->found || !path_visits(&in->route, base->nodes[k])))
                same = in;
            else if (outr && (!outr->found || !path_visits(&outr->route, base->nodes[k])))
                same = outr;
        }
        repl *y = &x[n];
        if (same) {
            err = repl_copy(y, same, el, keep_routes);
        } else {
            y->el = el;
            err = best_route(r, el, &y->found, &y->value, j < L || keep_routes ? &y->route : NULL);
        }
        if (err < 0) {
            cor_path_free(&y->route);
            goto done;
        }
        n++;
        if ((err = corridor__watch_step(w, n)) < 0)
            goto done;
    }
done:
    if (err < 0 && err != CORRIDOR_ELIMIT) {
        repls_free(x, n);
        return err;
    }
    /* edge routes were only needed to decide about the nodes */
    for (size_t j = 0; !keep_routes && j < L && j < n; j++)
        cor_path_free(&x[j].route);
    *out = x;
    *n_out = n;
    return err;
}

/* -------------------------------------------------------------- ranking */

void corridor_critical_free(corridor_critical *crit)
{
    if (!crit)
        return;
    for (size_t i = 0; crit->items && i < crit->n; i++)
        free(crit->items[i].route_edges);
    free(crit->items);
    free((char *)crit->from);
    free((char *)crit->to);
    free(crit);
}

static int item_cmp(const void *pa, const void *pb)
{
    const corridor_critical_item *a = pa, *b = pb;
    if (a->disconnects != b->disconnects)
        return a->disconnects ? -1 : 1;
    if (a->increase != b->increase)
        return a->increase > b->increase ? -1 : 1;
    int c = (int)a->type - (int)b->type; /* edges first */
    return c ? c : strcmp(a->id, b->id);
}

/*
 * Route mode: every element of the best route, with the best value without it.
 * At a limit after the best route was found: CORRIDOR_ELIMIT, the elements
 * done so far in cr, *partial = 1.
 */
static int rank_route(corridor_critical *cr, int *partial, const corridor_model *m,
                      const char *from, const char *to, const corridor_critical_opts *opts)
{
    int err = 0, multi_from = 0, multi_to = 0, limit = 0;
    cor_router *r = NULL;
    cor_path bp = {NULL, NULL, 0};
    repl *x = NULL;
    size_t n_x = 0;
    cor_watch w;
    corridor__watch_init(&w, opts->budget, 0, "elements");
    if ((err = cor_router_new(&r, m, &opts->filter, opts->by)) < 0 ||
        (err = place_is_multi(m, from, &multi_from)) < 0 ||
        (err = place_is_multi(m, to, &multi_to)) < 0 || (err = cor_router_pair(r, from, to)) < 0)
        goto done;
    cor_router_watch(r, &w);
    /* no route at all: pass the route finder's reason up */
    if ((err = cor_router_best(r, -1, &cr->base, &bp)) < 0)
        goto done;
    w.total = 2 * bp.n_edges - 1 + (size_t)multi_from + (size_t)multi_to;
    err = replacements(&x, &n_x, r, m, &bp, multi_from, multi_to, 1, &w);
    if (err < 0 && err != CORRIDOR_ELIMIT)
        goto done;
    limit = err == CORRIDOR_ELIMIT;
    err = 0;
    if (!(cr->items = calloc(n_x + 1, sizeof *cr->items))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t i = 0; i < n_x; i++) {
        corridor_critical_item *it = &cr->items[cr->n++];
        it->type = elem_type(m, (size_t)x[i].el);
        it->id = elem_id(m, (size_t)x[i].el);
        it->disconnects = !x[i].found;
        it->value = x[i].found ? x[i].value : NAN;
        it->increase = x[i].found ? x[i].value - cr->base : INFINITY;
        if (!x[i].found)
            continue;
        size_t ne = x[i].route.n_edges;
        if (!(it->route_edges = malloc((ne + 1) * sizeof *it->route_edges))) {
            err = corridor__oom();
            goto done;
        }
        for (size_t h = 0; h < ne; h++)
            it->route_edges[h] = m->edges[x[i].route.edges[h]].id;
        it->n_route_edges = ne;
    }
    *partial = limit;
    err = limit ? CORRIDOR_ELIMIT : 0; /* its message is still the last error */
done:
    cor_path_free(&bp);
    repls_free(x, n_x);
    cor_router_free(r);
    return err;
}

/* 1 if element el of the flow network needs a recomputation: it carries flow, not an end. */
static int flow_candidate(const cor_flownet *net, const cor_flowres *base,
                          const unsigned char *endpoint, size_t el)
{
    return base->elem_flow[el] > 0 &&
           !(el >= net->model->n_edges && endpoint[el - net->model->n_edges]);
}

/*
 * Flow mode: every element carrying flow in the max flow found whose loss
 * lowers it. At a limit after the base flow: CORRIDOR_ELIMIT, *partial = 1.
 */
static int rank_flow(corridor_critical *cr, int *partial, const corridor_model *m, const char *from,
                     const char *to, const corridor_critical_opts *opts)
{
    int err = 0, have_net = 0;
    cor_flownet net;
    cor_flowres base = {0, 0, NULL, NULL, 0}, alt = {0, 0, NULL, NULL, 0};
    unsigned char *endpoint = NULL;
    cor_watch w;
    corridor__watch_init(&w, opts->budget, 0, "elements");
    corridor__igraph_watch(&w);
    if ((err = corridor__flownet_build(&net, m, from, to, &opts->filter)) < 0)
        goto done;
    have_net = 1;
    if ((err = corridor__flownet_solve(&base, &net, -1, 1, 0, NULL)) < 0)
        goto done;
    cr->base = base.value;
    size_t n_elem = m->n_edges + m->n_nodes;
    if (!(endpoint = calloc(m->n_nodes + 1, 1)) ||
        !(cr->items = calloc(n_elem + 1, sizeof *cr->items))) {
        err = corridor__oom();
        goto done;
    }
    /* a place of one node: losing it trivially stops everything */
    if (net.n_src == 1)
        endpoint[net.src[0]] = 1;
    if (net.n_dst == 1)
        endpoint[net.dst[0]] = 1;
    for (size_t el = 0; el < n_elem; el++)
        w.total += (size_t)flow_candidate(&net, &base, endpoint, el);
    for (size_t el = 0; el < n_elem; el++) {
        if (!flow_candidate(&net, &base, endpoint, el))
            continue;
        if ((err = corridor__flownet_solve(&alt, &net, (long)el, 0, 0, NULL)) < 0) {
            *partial = err == CORRIDOR_ELIMIT;
            goto done;
        }
        double drop = base.unbounded ? (alt.unbounded ? 0 : INFINITY) : base.value - alt.value;
        if (base.unbounded ? drop > 0 : drop > 1e-9 * fmax(1, base.value)) {
            corridor_critical_item *it = &cr->items[cr->n++];
            it->type = elem_type(m, el);
            it->id = elem_id(m, el);
            it->value = alt.value;
            it->increase = drop;
            it->disconnects = alt.value == 0;
        }
        corridor__flowres_free(&alt);
        if ((err = corridor__watch_step(&w, w.done + 1)) < 0) {
            *partial = 1;
            goto done;
        }
    }
done:
    corridor__igraph_watch(NULL);
    corridor__flowres_free(&base);
    corridor__flowres_free(&alt);
    free(endpoint);
    if (have_net)
        corridor__flownet_free(&net);
    return err;
}

/*
 * Route mode (opts->by_flow == 0): each element of the best route (edges,
 * intermediate nodes, and end nodes of a country place) with the best value
 * without it; CORRIDOR_ENOTFOUND if there is no route at all. Flow mode: each
 * element whose loss lowers the max flow (only those carrying flow are
 * recomputed); a zero base flow gives an empty list. Ranked: disconnects
 * first, then by increase (drop), then type and id.
 * With a budget (opts->budget): progress after each element; at its limit
 * CORRIDOR_ELIMIT with the elements done so far in *out (complete = 0), or
 * with *out NULL if the limit came before the best route (the base flow).
 * Time complexity: (length of the route + 1) route searches, or (elements
 * carrying flow + 1) max-flow computations.
 */
int corridor_critical_rank(corridor_critical **out, const corridor_model *model, const char *from,
                           const char *to, const corridor_critical_opts *opts)
{
    int err = 0, partial = 0;
    corridor_critical *cr = NULL;
    corridor_critical_opts defaults = CORRIDOR_CRITICAL_OPTS_INIT;
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if ((err = CORRIDOR__CHECK_BUDGETED_OPTS(opts, CORRIDOR_CRITICAL_OPTS_VERSION,
                                             "corridor_critical_opts")) < 0)
        return err;
    if (!from || !to)
        return corridor__error(CORRIDOR_EUSAGE, "criticality needs an origin and a destination");
    if ((unsigned)opts->by >= COR_NMET)
        return corridor__error(CORRIDOR_EUSAGE, "unknown metric %d", (int)opts->by);
    if (!(cr = calloc(1, sizeof *cr)) || !(cr->from = corridor__strdup(from)) ||
        !(cr->to = corridor__strdup(to))) {
        err = corridor__oom();
        goto done;
    }
    cr->by = opts->by;
    cr->by_flow = opts->by_flow != 0;
    err = cr->by_flow ? rank_flow(cr, &partial, model, from, to, opts)
                      : rank_route(cr, &partial, model, from, to, opts);
    if (err < 0 && !(err == CORRIDOR_ELIMIT && partial))
        goto done;
    cr->complete = !partial;
    qsort(cr->items, cr->n, sizeof *cr->items, item_cmp);
    *out = cr;
    cr = NULL;
done:
    corridor_critical_free(cr);
    return err;
}

int corridor_critical_json(char **out, const corridor_critical *crit)
{
    int err = 0;
    cJSON *root = cJSON_CreateObject(), *arr = NULL;
    *out = NULL;
    if (!root)
        return corridor__oom();
    if ((err = cor_json_str(root, "from", crit->from)) < 0 ||
        (err = cor_json_str(root, "to", crit->to)) < 0 ||
        (err = cor_json_str(root, "by", crit->by_flow ? "flow" : corridor_metric_name(crit->by))) <
            0 ||
        (err = cor_json_num(root, "base", crit->base)) < 0 ||
        (!crit->complete && (err = cor_json_bool(root, "complete", 0)) < 0) ||
        (err = cor_json_add(root, "elements", arr = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t i = 0; i < crit->n; i++) {
        const corridor_critical_item *it = &crit->items[i];
        cJSON *o = cJSON_CreateObject(), *route = NULL;
        if ((err = cor_json_add(arr, NULL, o)) < 0 ||
            (err = cor_json_str(o, "type", corridor_element_type_name(it->type))) < 0 ||
            (err = cor_json_str(o, "id", it->id)) < 0 ||
            (err = cor_json_num(o, "value", it->value)) < 0 ||
            (err = cor_json_num(o, "increase", it->increase)) < 0 ||
            (err = cor_json_bool(o, "disconnects", it->disconnects)) < 0)
            goto done;
        if (crit->by_flow)
            continue;
        if ((err = cor_json_add(o, "route", route = cJSON_CreateArray())) < 0)
            goto done;
        for (size_t h = 0; h < it->n_route_edges; h++)
            if ((err = cor_json_str(route, NULL, it->route_edges[h])) < 0)
                goto done;
    }
    err = cor_json_finish(out, root);
    root = NULL;
done:
    cJSON_Delete(root);
    return err;
}

/* ----------------------------------------------------------- OD pairs */

void corridor_od_result_free(corridor_od_result *res)
{
    if (!res)
        return;
    free(res->items);
    free(res);
}

static int od_cmp(const void *pa, const void *pb)
{
    const corridor_od_item *a = pa, *b = pb;
    if (a->lost != b->lost)
        return a->lost > b->lost ? -1 : 1;
    if (a->total_increase != b->total_increase)
        return a->total_increase > b->total_increase ? -1 : 1;
    if (a->worse != b->worse)
        return a->worse > b->worse ? -1 : 1;
    int c = (int)a->type - (int)b->type; /* edges first */
    return c ? c : strcmp(a->id, b->id);
}

/* Prefixes the current error message with the pair it concerns. */
static int pair_error(int err, size_t i, const corridor_od_pair *p)
{
    char *msg = corridor__strdup(corridor_error_message());
    if (!msg)
        return corridor__oom();
    err = corridor__error(err, "OD pair %zu (\"%s\" -> \"%s\"): %s", i + 1, p->from, p->to, msg);
    free(msg);
    return err;
}

/* Checks every pair (places; with the first pair the filter and metric); fills multi[]. */
static int od_check(cor_router *r, const corridor_model *m, const corridor_od_pair *pairs,
                    size_t n_pairs, unsigned char *multi)
{
    int err = 0;
    for (size_t i = 0; i < n_pairs; i++) {
        int mf = 0, mt = 0;
        if ((err = place_is_multi(m, pairs[i].from, &mf)) < 0 ||
            (err = place_is_multi(m, pairs[i].to, &mt)) < 0 ||
            (err = cor_router_pair(r, pairs[i].from, pairs[i].to)) < 0)
            return pair_error(err, i, &pairs[i]);
        multi[i] = (unsigned char)(mf | mt << 1);
    }
    return 0;
}

/*
 * Pair i: its best route, then the pair without each element of that route,
 * added to agg (per element) and res->n_unrouted. Nothing is added if it
 * fails (a limit in the middle of the pair included). CORRIDOR_EINVALID
 * "total too large" if a weighted total overflows.
 */
static int od_pair(corridor_od_result *res, corridor_od_item *agg, cor_router *r,
                   const corridor_model *m, const corridor_od_pair *p, unsigned multi)
{
    int err = 0, found = 0;
    double base = NAN;
    cor_path bp = {NULL, NULL, 0};
    repl *x = NULL;
    size_t n_x = 0;
    if ((err = cor_router_pair(r, p->from, p->to)) < 0 ||
        (err = best_route(r, -1, &found, &base, &bp)) < 0 ||
        (found && (err = replacements(&x, &n_x, r, m, &bp, multi & 1, multi >> 1, 0, NULL)) < 0))
        goto done;
    for (size_t j = 0; j < n_x; j++) {
        double inc = p->weight * (x[j].value - base);
        if (x[j].found && x[j].value - base > 1e-9 * fmax(1, fabs(base)) &&
            !isfinite(agg[x[j].el].total_increase + inc)) {
            err = corridor__error(CORRIDOR_EINVALID,
                                  "total too large: the weighted increase for %s \"%s\" exceeds "
                                  "%g; lower the weights",
                                  corridor_element_type_name(elem_type(m, (size_t)x[j].el)),
                                  elem_id(m, (size_t)x[j].el), 1.7976931348623157e308);
            goto done;
        }
    }
    res->n_unrouted += !found;
    for (size_t j = 0; j < n_x; j++) {
        corridor_od_item *it = &agg[x[j].el];
        if (!x[j].found) {
            it->lost++;
        } else if (x[j].value - base > 1e-9 * fmax(1, fabs(base))) {
            it->worse++;
            it->total_increase += p->weight * (x[j].value - base);
        }
    }
done:
    repls_free(x, n_x);
    cor_path_free(&bp);
    return err;
}

/* Moves the elements that hurt some pair to the front of agg, ranked, into res. */
static void od_collect(corridor_od_result *res, corridor_od_item *agg, const corridor_model *m)
{
    for (size_t el = 0; el < m->n_edges + m->n_nodes; el++) {
        if (!agg[el].lost && !agg[el].worse)
            continue;
        agg[el].type = elem_type(m, el);
        agg[el].id = elem_id(m, el);
        agg[res->n++] = agg[el];
    }
    res->items = agg;
    qsort(res->items, res->n, sizeof *res->items, od_cmp);
}

/*
 * For every element: how many pairs lose their last route, how many get a
 * worse best route, and the weighted sum of the increases. Every pair is
 * checked first (places, and with the first pair the filter and metric), so
 * a bad pair fails at once. Then, pair by pair on one router (one network,
 * the lower bounds once per pair), the best route is found and only the
 * elements of that route are taken out, one at a time (see replacements: a
 * node is often settled by an edge's answer). A pair's own single end node is
 * not counted (losing it trivially loses the pair); elements that hurt no
 * pair are left out. The progress callback (and opts->budget's) runs after
 * each pair (total = n_pairs). At the budget's limit: CORRIDOR_ELIMIT with
 * the pairs finished so far in *out (n_done of them, complete = 0).
 * Time complexity: at most n_pairs + sum over pairs of (2 * route edges + 1)
 * route searches (cor_router_best), n_pairs lower-bound computations.
 */
int corridor_critical_od(corridor_od_result **out, const corridor_model *model,
                         const corridor_od_pair *pairs, size_t n_pairs,
                         const corridor_critical_opts *opts, corridor_progress_fn progress,
                         void *userdata)
{
    int err = 0;
    cor_router *r = NULL;
    corridor_od_result *res = NULL;
    corridor_critical_opts defaults = CORRIDOR_CRITICAL_OPTS_INIT;
    unsigned char *multi = NULL;  /* bit 0: origin, bit 1: destination place has several nodes */
    corridor_od_item *agg = NULL; /* per element */
    cor_watch w;
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if ((err = CORRIDOR__CHECK_BUDGETED_OPTS(opts, CORRIDOR_CRITICAL_OPTS_VERSION,
                                             "corridor_critical_opts")) < 0)
        return err;
    if (opts->by_flow)
        return corridor__error(CORRIDOR_EUSAGE,
                               "network-wide criticality ranks routes, not flows: drop by_flow");
    if ((unsigned)opts->by >= COR_NMET)
        return corridor__error(CORRIDOR_EUSAGE, "unknown metric %d", (int)opts->by);
    for (size_t i = 0; i < n_pairs; i++)
        if (!pairs[i].from || !pairs[i].to || !(pairs[i].weight >= 0) || isinf(pairs[i].weight))
            return corridor__error(CORRIDOR_EUSAGE,
                                   "OD pair %zu: needs an origin, a destination and a finite "
                                   "weight >= 0",
                                   i + 1);
    corridor__watch_init(&w, opts->budget, n_pairs, "pairs");
    if ((err = cor_router_new(&r, model, &opts->filter, opts->by)) < 0)
        goto done;
    cor_router_watch(r, &w);
    if (!(res = calloc(1, sizeof *res)) || !(multi = calloc(n_pairs + 1, 1)) ||
        !(agg = calloc(model->n_edges + model->n_nodes + 1, sizeof *agg))) {
        err = corridor__oom();
        goto done;
    }
    res->by = opts->by;
    res->n_pairs = n_pairs;
    if ((err = od_check(r, model, pairs, n_pairs, multi)) < 0)
        goto done;
    for (size_t i = 0; i < n_pairs && err == 0; i++) {
        if ((err = od_pair(res, agg, r, model, &pairs[i], multi[i])) < 0) {
            if (err != CORRIDOR_ELIMIT)
                err = pair_error(err, i, &pairs[i]);
            break;
        }
        res->n_done = i + 1;
        if (progress)
            progress(i + 1, n_pairs, userdata);
        err = corridor__watch_step(&w, i + 1);
    }
    if (err < 0 && err != CORRIDOR_ELIMIT)
        goto done;
    res->complete = err == 0;
    od_collect(res, agg, model);
    agg = NULL;
    *out = res;
    res = NULL;
done:
    free(multi);
    free(agg);
    cor_router_free(r);
    corridor_od_result_free(res);
    return err;
}

int corridor_od_result_json(char **out, const corridor_od_result *res)
{
    int err = 0;
    cJSON *root = cJSON_CreateObject(), *arr = NULL;
    *out = NULL;
    if (!root)
        return corridor__oom();
    if ((err = cor_json_str(root, "by", corridor_metric_name(res->by))) < 0 ||
        (err = cor_json_num(root, "pairs", (double)res->n_pairs)) < 0 ||
        (err = cor_json_num(root, "unrouted", (double)res->n_unrouted)) < 0 ||
        (!res->complete && (err = cor_json_bool(root, "complete", 0)) < 0) ||
        (!res->complete && (err = cor_json_num(root, "pairs_done", (double)res->n_done)) < 0) ||
        (err = cor_json_add(root, "elements", arr = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t i = 0; i < res->n; i++) {
        const corridor_od_item *it = &res->items[i];
        cJSON *o = cJSON_CreateObject();
        if ((err = cor_json_add(arr, NULL, o)) < 0 ||
            (err = cor_json_str(o, "type", corridor_element_type_name(it->type))) < 0 ||
            (err = cor_json_str(o, "id", it->id)) < 0 ||
            (err = cor_json_num(o, "lost", (double)it->lost)) < 0 ||
            (err = cor_json_num(o, "worse", (double)it->worse)) < 0 ||
            (err = cor_json_num(o, "total_increase", it->total_increase)) < 0)
            goto done;
    }
    err = cor_json_finish(out, root);
    root = NULL;
done:
    cJSON_Delete(root);
    return err;
}
