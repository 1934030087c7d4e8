/* network.h: the routing graph: a model seen through a query's filter, as igraph + CSR arrays. */
#ifndef CORRIDOR_NETWORK_H
#define CORRIDOR_NETWORK_H

#include <stddef.h>
#include <stdint.h>

#include <igraph.h>

#include "internal.h"

/*
 * What a route's answer needs of an edge and a node, in 20 and 12 bytes
 * rather than the records' 224, so that the answer reads a few small pages
 * (the page cache maps whole folios of a file: a route across the network
 * that read its records would map nearly all of them).
 */
typedef struct cor_cmp_ecard {
    uint32_t id;           /* string pool offset of the id */
    uint32_t corr, n_corr; /* the corridor list: entry `corr` of the list pool, n_corr long */
    int32_t mode, gauge;
} cor_cmp_ecard;

typedef struct cor_cmp_ncard {
    uint32_t id, name; /* string pool offsets (name 0: none) */
    int32_t country;   /* -1: none */
} cor_cmp_ncard;

/*
 * The routing graph of one query. Vertex v is model node v (every model node
 * is a vertex, eligible or not). Every eligible model edge becomes one arc
 * (oneway) or two arcs (two-way): the arc from -> to first, then to -> from.
 * Arc a is igraph edge a of `graph` (built on demand by cor_network_igraph:
 * routing never needs it), so igraph results map back through arc_edge[]. Ineligible edges (filter:
 * status or year, carry, avoid, corridors, nodes outside the filter) have no arc.
 *
 * The class of an arc is its mode, and for rail its mode and gauge: a route
 * that changes class at a node pays the node's transfer there.
 *
 * Built with cor_network_build, freed with cor_network_free (which accepts a
 * zeroed or half-built network). The network points into the model: the model
 * must outlive it.
 */
typedef struct cor_network {
    const corridor_model *model;
    igraph_t graph; /* directed; n_nodes vertices, n_arcs edges; see cor_network_igraph */
    int has_graph;  /* graph was initialised (cor_network_free destroys it) */
    size_t n_nodes, n_arcs;

    /* 32-bit indices: cor_network_build refuses a network of 2^32 nodes or arcs */
    uint32_t *arc_edge;          /* model edge index of each arc */
    uint32_t *arc_from;          /* tail node, in travel direction */
    uint32_t *arc_to;            /* head node */
    unsigned char *arc_reversed; /* 1 if the arc runs the model edge's to -> from */
    uint32_t *arc_class;         /* class index, < n_classes */

    /* arcs leaving v: out_arc[out_start[v] .. out_start[v + 1]), in arc order */
    size_t *out_start;
    uint32_t *out_arc;
    /* arcs entering v: in_arc[in_start[v] .. in_start[v + 1]), in arc order */
    size_t *in_start;
    uint32_t *in_arc;

    /* classes present among the arcs, in order of first appearance */
    size_t n_classes;
    corridor_mode *class_mode;
    int *class_gauge;  /* mm for rail, 0 otherwise */
    char **class_name; /* "rail/1520", "rail" (no gauge), "sea", ... */

    /* the filter's selection: node_ok[v], edge_ok[e] (1 = the query sees it) */
    unsigned char *node_ok, *edge_ok;

    /* 1: the arrays from arc_edge to edge_ok (not the classes) are a compiled model's stored
       network (compiled_net.c), read in place and not freed */
    int borrowed;
    /* a stored network's copies of the edges' metrics (metric k of edge e at k * edges + e)
       and of the nodes' dwell and transfer (k * nodes + v), so that a search reads no record;
       NULL: read the model's records */
    const double *st_metric, *st_dwell, *st_transfer;
    /* and its cards (their offsets into the model's cmp_str and cmp_refs) */
    const cor_cmp_ecard *st_ecard;
    const cor_cmp_ncard *st_ncard;
} cor_network;

/** Arc a's value by metric `met`: its edge's (NAN if none; read from the model, not copied). */
static inline double cor_arc_w(const cor_network *net, size_t a, size_t met)
{
    if (net->st_metric)
        return net->st_metric[met * net->model->n_edges + net->arc_edge[a]];
    return net->model->edges[net->arc_edge[a]].metric[met];
}

/** Node v's dwell by metric `met` (the model's, as cor_arc_w). */
static inline double cor_node_dwell(const cor_network *net, size_t v, size_t met)
{
    return net->st_dwell ? net->st_dwell[met * net->n_nodes + v] : net->model->nodes[v].dwell[met];
}

/* What a route's answer says of edge e and node v: the model's, from the cards where stored. */
static inline const char *cor_edge_id(const cor_network *net, size_t e)
{
    return net->st_ecard ? net->model->cmp_str + net->st_ecard[e].id : net->model->edges[e].id;
}

static inline corridor_mode cor_edge_mode(const cor_network *net, size_t e)
{
    return net->st_ecard ? (corridor_mode)net->st_ecard[e].mode : net->model->edges[e].mode;
}

static inline int cor_edge_gauge(const cor_network *net, size_t e)
{
    return net->st_ecard ? net->st_ecard[e].gauge : net->model->edges[e].gauge;
}

static inline double cor_edge_metric(const cor_network *net, size_t e, size_t met)
{
    return net->st_metric ? net->st_metric[met * net->model->n_edges + e]
                          : net->model->edges[e].metric[met];
}

/* Edge e's corridors (indices into model->corridors), *n of them. */
static inline const size_t *cor_edge_corridors(const cor_network *net, size_t e, size_t *n)
{
    if (!net->st_ecard) {
        *n = net->model->edges[e].n_corridors;
        return net->model->edges[e].corridors;
    }
    *n = net->st_ecard[e].n_corr;
    return net->model->cmp_refs + net->st_ecard[e].corr;
}

static inline const char *cor_node_id(const cor_network *net, size_t v)
{
    return net->st_ncard ? net->model->cmp_str + net->st_ncard[v].id : net->model->nodes[v].id;
}

static inline const char *cor_node_name(const cor_network *net, size_t v)
{
    if (!net->st_ncard)
        return net->model->nodes[v].name;
    return net->st_ncard[v].name ? net->model->cmp_str + net->st_ncard[v].name : NULL;
}

static inline long cor_node_country(const cor_network *net, size_t v)
{
    return net->st_ncard ? net->st_ncard[v].country : net->model->nodes[v].country;
}

/** Node v's transfer by metric `met` (the model's, as cor_arc_w). */
static inline double cor_node_transfer(const cor_network *net, size_t v, size_t met)
{
    return net->st_transfer ? net->st_transfer[met * net->n_nodes + v]
                            : net->model->nodes[v].transfer[met];
}

/**
 * Builds the routing graph of `m` under filter `f` (corridor__selection_build
 * semantics). If `by` is a metric (not -1), every eligible edge must have a
 * value for it: otherwise CORRIDOR_EINVALID naming the first such edge and how
 * to fix it. Also CORRIDOR_EINVALID for a bad avoid list or corridor filter,
 * CORRIDOR_EUSAGE for 2^32 nodes or arcs or more, CORRIDOR_ENOMEM, CORRIDOR_EINTERNAL (igraph). On
 * failure *net is left freed (cor_network_free is still safe). The igraph graph is not built: see
 * cor_network_igraph. Time complexity: O(|V| + |E| * classes).
 */
int cor_network_build(cor_network *net, const corridor_model *m, const corridor_filter *f, int by);

/**
 * For cor_network_build: takes the network from a compiled model that stores
 * it, if `f` is the default filter (CORRIDOR_FILTER_INIT) and every edge of
 * the network has a value for metric `by` (-1: none needed). Returns 1 with
 * *net built (borrowed), 0 if the model has no stored network for this
 * query (build it), or CORRIDOR_EINVALID if the stored network fails its
 * checks (a damaged or crafted file), CORRIDOR_ENOMEM. Checks every array
 * against the model: O(|V| + arcs), sequential. (compiled_net.c)
 */
int corridor__cmp_net_adopt(cor_network *net, const corridor_model *m, const corridor_filter *f,
                            int by);

/**
 * CORRIDOR_EINVALID, worded as cor_network_build's, if an edge the network sees
 * has no value for metric `by` (for queries on several metrics: build with -1,
 * then check each). Time complexity: O(|E|).
 */
int cor_network_check_metric(const cor_network *net, int by);

/**
 * Builds net->graph (arc a = igraph edge a) unless it exists. Calls
 * corridor__igraph_init. CORRIDOR_EINTERNAL or CORRIDOR_ENOMEM from igraph.
 * Time complexity: O(|V| + |arcs|).
 */
int cor_network_igraph(cor_network *net);

/** Frees everything the network holds and zeroes it; accepts a zeroed network. */
void cor_network_free(cor_network *net);

/** The class name of mode + gauge as used in routes ("rail/1520", "rail", "sea"); caller frees. */
char *cor_network_class_name(corridor_mode mode, int gauge);

#endif
