/* route_internal.h: a reusable router: many best-route searches on one network, elements taken out.
 */
#ifndef CORRIDOR_ROUTE_INTERNAL_H
#define CORRIDOR_ROUTE_INTERNAL_H

#include <stddef.h>

#include "internal.h"

/** A route as model indices: n_edges edges and the n_edges + 1 nodes they join, in order. */
typedef struct cor_path {
    long *edges, *nodes;
    size_t n_edges;
} cor_path;

/** Frees the arrays and zeroes the path; accepts a zeroed path. */
void cor_path_free(cor_path *p);

/**
 * Best routes (k = 1, no via) on one routing network, many times: what
 * criticality needs. The network, its reverse arc index and the dwell and
 * transfer arrays are built once (on the first cor_router_pair); the lower
 * bounds are computed once per destination place and reused by every search
 * to it; cor_router_best takes one element out of a search without rebuilding
 * anything. Results equal those of corridor_route_find with k = 1 and the
 * element added to the filter's avoid list (the same value; among routes of
 * equal value it may pick another one).
 */
typedef struct cor_router cor_router;

/**
 * A router for `m` under filter `f`, ranking by `by`. Nothing is checked or
 * built yet: filter and metric errors come from the first cor_router_pair.
 * The model, the filter and the strings it points to must outlive the router.
 * Free with cor_router_free. CORRIDOR_ENOMEM only.
 */
int cor_router_new(cor_router **out, const corridor_model *m, const corridor_filter *f,
                   corridor_metric by);

/**
 * Makes the router's searches poll `w` (NULL: none; it must outlive the
 * searches): they then stop with CORRIDOR_ELIMIT at its deadline.
 */
struct cor_watch;
void cor_router_watch(cor_router *r, struct cor_watch *w);

/** Frees the router; accepts NULL. */
void cor_router_free(cor_router *r);

/**
 * Sets the origin and destination places of the next searches. Errors as
 * corridor_route_find: CORRIDOR_EINVALID for an unknown place (or, on the
 * first call, a bad filter or an edge without the metric), CORRIDOR_EUSAGE if
 * both places are the same node. After an error no pair is set.
 * Time complexity: O(|V| + |E| * classes) for the first pair (the network),
 * then that of resolving the places.
 */
int cor_router_pair(cor_router *r, const char *from, const char *to);

/**
 * The best route of the current pair with element `removed` taken out, as if
 * it were on the avoid list: -1 for none, e < n_edges for edge e, n_edges + v
 * for node v (which takes its edges with it). Sets *value (by the router's
 * metric) and, if route is not NULL, *route (the caller frees it with
 * cor_path_free). CORRIDOR_ENOTFOUND if no route remains (for removed == -1
 * with corridor_route_find's reason); CORRIDOR_ELIMIT at the search limit or the
 * watch's deadline (cor_router_watch).
 * Time complexity: for a destination other than the previous pair's, first the
 * lower bounds (a Dijkstra over (node, class) states, O((|V| + |E|) * classes
 * * log)); then one search over partial routes guided by them; with an element
 * out, usually one A* over the states whose bound is below the new best value.
 */
int cor_router_best(cor_router *r, long removed, double *value, cor_path *route);

/**
 * Lowers the router's search limit to `max_labels` partial routes (and the
 * prefix-aware bounds' work in proportion); 0 restores the default (20
 * million). A search over the limit fails with CORRIDOR_ELIMIT "search
 * limit reached", as corridor_route_find does at its limit.
 */
void cor_router_limit(cor_router *r, size_t max_labels);

/**
 * The k best routes from `from` via `via` to `to`, as corridor_route_find
 * with the router's filter and metric, on the router's network (built on
 * first use, then kept) and, without via places, the router's bounds for the
 * destination (kept until another destination). Many route queries per load:
 * what `corridor batch` needs. Errors as corridor_route_find. The caller frees
 * *out with corridor_routes_free. Leaves no pair set for cor_router_best when
 * via places are given.
 */
int cor_router_routes(corridor_routes **out, cor_router *r, const char *from, const char *to,
                      size_t k, const char *const *via, size_t n_via);

/**
 * Replaces the router's weights (hook for assignment): arc_w[a] for each arc
 * of the routing network (the arc numbering of cor_network_build with the
 * router's filter), dwell[v] and transfer[v] for each node; the values are
 * copied. Call after cor_router_pair; the bounds of the next search are
 * recomputed. The network must have been built (EUSAGE otherwise).
 * Time complexity: O(|V| + arcs).
 */
int cor_router_set_weights(cor_router *r, const double *arc_w, const double *dwell,
                           const double *transfer);

#endif
