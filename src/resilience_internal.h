/* resilience_internal.h: the split flow network and JSON helpers of flow, critical, analyze. */
#ifndef CORRIDOR_RESILIENCE_INTERNAL_H
#define CORRIDOR_RESILIENCE_INTERNAL_H

#include <cJSON.h>
#include <igraph.h>
#include <math.h>

#include "budget.h"
#include "internal.h"
#include "json_internal.h"

/**
 * The flow network of one commodity: each eligible node v is split into
 * v_in = 2v and v_out = 2v + 1 joined by an arc of the node's capacity; an
 * eligible edge a-b gives a_out -> b_in (and b_out -> a_in unless oneway);
 * a super source feeds every origin node's v_in and every destination node's
 * v_out drains into a super sink. Elements are numbered edges first
 * (0 .. n_edges - 1), then nodes (n_edges + v).
 */
typedef struct cor_flownet {
    const corridor_model *model;
    corridor_commodity carry;
    size_t *src, n_src; /* origin node indices */
    size_t *dst, n_dst; /* destination node indices */
    igraph_t graph;
    int have_graph;
    size_t n_arcs;
    igraph_integer_t *arc_from, *arc_to;
    double *arc_cap;              /* INFINITY = unlimited; 0 arcs are left out */
    long *arc_elem;               /* element of each arc, -1 for the super arcs */
    size_t *out_start, *out_arcs; /* arcs leaving each vertex (CSR) */
    igraph_integer_t n_vertices, source, sink;
} cor_flownet;

/** Result of one max-flow computation on a cor_flownet. */
typedef struct cor_flowres {
    double value; /* INFINITY if unbounded */
    int unbounded;
    double *elem_flow;      /* if requested: flow through each element (n_edges + n_nodes) */
    corridor_cut_item *cut; /* if requested and bounded: the minimum cut, edges then nodes by id */
    size_t n_cut;
} cor_flowres;

/**
 * Builds the network for `carry` = f->carry between two places.
 * CORRIDOR_EUSAGE if carry is ANY or the places share a node; CORRIDOR_EINVALID
 * for unknown places or filter targets. Free with corridor__flownet_free.
 * Time complexity: O(|V| + |E|).
 */
int corridor__flownet_build(cor_flownet *net, const corridor_model *m, const char *from,
                            const char *to, const corridor_filter *f);
void corridor__flownet_free(cor_flownet *net);

/**
 * Max flow with element `removed` (or -1 for none) taken out. Fills `res`
 * (elem_flow only if want_flow, cut only if want_cut); free with
 * corridor__flowres_free. `stages` (may be NULL): stepped to
 * COR_FLOW_STAGE_REACH once the reachability checks are done, before the max
 * flow (CORRIDOR_ELIMIT at its limit, `res` empty). Time complexity: that of
 * igraph_maxflow (push-relabel, O(|V|^3) worst case), O(|V| + |E|) when the
 * answer is 0 or unbounded and no flow is wanted.
 */
int corridor__flownet_solve(cor_flowres *res, const cor_flownet *net, long removed, int want_flow,
                            int want_cut, cor_watch *stages);

/*
 * The stages of one max flow, as corridor_flow_max reports them to a budget:
 * the network built, the source-sink reachability checked (the answer is
 * known when it is 0 or unbounded), the max flow and its cut found. igraph
 * 0.10's igraph_maxflow neither reports progress nor polls for interruption,
 * so its stage is one step, and the time limit is checked between stages.
 */
enum { COR_FLOW_STAGE_BUILT = 1, COR_FLOW_STAGE_REACH = 2, COR_FLOW_STAGES = 3 };
void corridor__flowres_free(cor_flowres *res);

#endif
