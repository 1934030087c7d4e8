/* route_query.h: the routing problem shared by route.c, pareto.c and route_diverse.c (internal). */
#ifndef CORRIDOR_ROUTE_QUERY_H
#define CORRIDOR_ROUTE_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "network.h"
#include "radix_heap.h"

struct cJSON;

/*
 * route.c's "How it works" describes these structures. The search over
 * partial routes, its lower bounds and the result builders are route.c's;
 * pareto.c and route_diverse.c drive them through the functions below.
 */

#define NOLAB UINT32_MAX
#define NOARC UINT32_MAX

/* ------------------------------------------------------------ binary heap */

typedef struct hentry {
    double key;
    size_t id;
} hentry;

typedef struct heap {
    hentry *a;
    size_t n, cap;
} heap;

/** Pushes (key, id); smaller keys pop first, on ties the larger id. CORRIDOR_ENOMEM only. */
int cor_heap_push(heap *h, double key, size_t id);
/** Pops the smallest entry; h->n must be > 0. */
hentry cor_heap_pop(heap *h);

/* ------------------------------------------------------------ the problem */

typedef struct label {
    double g;        /* value so far by the ranking metric */
    uint32_t parent; /* NOLAB for a route's start */
    uint32_t arc;    /* arc that reached `node`; NOARC at a leg's start */
    uint32_t node;
    uint16_t leg; /* leg index (LEG_MASK bits) and the flags below */
    uint16_t cls; /* class of arrival; q->C (NONE) at the origin */
} label;

#define LEG_MASK 0x3fffu
#define F_CLEAN  0x4000u    /* the bound's own completion is a simple path off the prefix */
#define F_EXACT  0x8000u    /* the priority was recomputed with the prefix removed */
#define SEED     UINT32_MAX /* arr_arc of a state seeded at a leg's end */
#define UNSET    SIZE_MAX   /* no element taken out; no state before a start state */

typedef struct found {
    uint32_t *arcs;
    size_t n;
    double g;
} found;

/*
 * One routing problem. The network part (net .. w_min) depends on the model,
 * the filter and the metric only; the places part (n_legs .. arr_arc) on the
 * places; rm_edge / rm_node on one search (see "How it works", 4).
 */
typedef struct query {
    const corridor_model *m;
    int by;
    size_t n, C; /* nodes, classes (class index C = NONE) */
    cor_network net;
    int has_net;              /* net and the arrays up to w_min are built */
    double *dwell, *transfer; /* ranking metric, per node */
    double *w;                /* ranking metric, per arc */
    uint64_t *want; /* bit c: some arc of class c enters v; bit C: v is an origin (NULL: all) */
    double w_min;   /* the least of w (cor_query_reweight) */

    size_t n_legs;  /* n_via + 1 */
    size_t **place; /* n_legs + 1 resolved places: origin, via..., destination */
    size_t *n_place;
    unsigned char *target; /* target[leg * n + v]: v ends leg `leg` */
    double *h;             /* h[(leg * n + v) * (C + 1) + c] */
    /* the bound's own completion: state (v, c) of leg l leaves v by arc
       arr_arc[(l * n + v) * (C + 1) + c] (SEED at the leg's end) */
    uint32_t *arr_arc;
    cor_rheap bh; /* the lower bounds' queue */

    size_t rm_edge, rm_node; /* taken out of this search as if avoided; UNSET: nothing */
    size_t max_labels;       /* MAX_LABELS unless cor_router_limit lowered it */
    struct cor_watch *watch; /* the time limit the searches poll (budget.h); NULL: none */
    /* if set, a route is kept only if accept(accept_ud, q, arcs, len) returns 1 (0: dropped,
       < 0: an error that ends the search); used by route alternatives (route_diverse.c) */
    int (*accept)(void *ud, const struct query *q, const uint32_t *arcs, size_t len);
    /* if set, a popped label for which prune(accept_ud, q, labs, li) returns 1 is dropped:
       accept would drop every route it leads to */
    int (*prune)(void *ud, const struct query *q, const struct label *labs, uint32_t li);
    void *accept_ud;
    found *found;
    size_t n_found, cap_found;
} query;

/* The penalty at an intermediate node entered by class `in`, left by class `out`. */
static inline double cor_penalty(double dwell, double transfer, size_t in, size_t out)
{
    return dwell + (in != out ? transfer : 0.0);
}

/*
 * The nodes of one leg prefix, kept marked between expansions: moving to the
 * next label only unmarks and marks the nodes below their common ancestor, so
 * expanding a label costs its distance in the label tree from the previous
 * one rather than its depth.
 */
typedef struct chain {
    uint32_t *lab;     /* the prefix's labels, from the leg's start */
    uint32_t *pos;     /* pos[v]: index in lab of the label at node v (valid if on[v]) */
    unsigned char *on; /* on[v]: v is on the prefix (or is the node taken out) */
    uint32_t *tmp;
    size_t len;
} chain;

/* Scratch space of the prefix-aware bounds. */
typedef struct tight {
    size_t work; /* states settled so far in this search */
    double *g;
    uint32_t *seen, *closed, gen;
    uint32_t *wstamp, wgen;
    size_t *from;  /* from[s]: the state before s on its cheapest way (UNSET at a start) */
    uint32_t *arc; /* arc[s]: the arc from from[s] to s */
    heap hp;
} tight;

/*
 * Working memory of searches, kept between the searches of a router: the
 * labels, the queue, the prefix marks, the prefix-aware bounds' arrays.
 * Allocated on first use by cor_scratch_alloc.
 */
/* Scratch space of the walk without U-turns (turnless_walk in route.c): per arc. */
typedef struct turnless {
    double *g;
    uint32_t *seen, *closed, gen;
    uint32_t *parent; /* the arc before, NOARC at an origin */
    size_t n_arcs;
} turnless;

typedef struct scratch {
    label *labs;
    size_t cap_labs;
    heap hp; /* the search's queue; also the lower bounds' */
    chain ch;
    tight tt;
    turnless tw;
} scratch;

/** Makes the chain the leg prefix of label li (marks its nodes in ch->on). */
void cor_chain_set(chain *ch, const label *labs, uint32_t li);
/** Unmarks the whole prefix. */
void cor_chain_clear(chain *ch, const label *labs);
/** Frees the scratch space and zeroes it. */
void cor_scratch_free(scratch *s);
/** Allocates the prefix marks and bound arrays for n nodes, C1 classes + 1 (once). */
int cor_scratch_alloc(scratch *s, size_t n, size_t C1);

/** The arcs of the route ending at label li, in order (caller frees *out). ENOMEM only. */
int cor_label_arcs(uint32_t **out, size_t *len, const label *labs, uint32_t li);
/** Records a route (taking `arcs`) unless an equal edge sequence was found or accept drops it. */
int cor_found_add(query *q, uint32_t *arcs, size_t len, double g);
/** Frees the recorded routes. */
void cor_found_clear(query *q);

/** A zeroed query for model m ranking by metric `by` (-1: no ranking metric, weights 0). */
void cor_query_init(query *q, const corridor_model *m, int by);
/** EUSAGE if the model does not fit the search's 32-bit indices. */
int cor_query_check_size(const corridor_model *m);
/** Resolves origin, via places and destination; EUSAGE if two consecutive ones are one node. */
int cor_query_places(query *q, const char *from, const char *to, const char *const *via,
                     size_t n_via);
/** Builds the routing network and the arrays that depend on it only. */
int cor_query_network(query *q, const corridor_filter *f);
/** Refreshes what the lower bounds keep of the arc weights (w_min) after q->w changed. */
void cor_query_reweight(query *q);
/**
 * The lower bounds q->h (and q->arr_arc) of every leg, from q->w, q->dwell,
 * q->transfer (all >= 0). The queue is q->bh; hp is not used (kept for the
 * callers). CORRIDOR_ENOMEM only.
 */
int cor_query_bounds(query *q, heap *hp);
/** Frees everything the query holds. */
void cor_query_free(query *q);
/** The k best routes into q->found (route.c, "How it works", 2). */
int cor_query_search(query *q, size_t k, scratch *s);
/** Sets the "no route" error with the most specific reason it can name; returns ENOTFOUND. */
int cor_query_no_route(const query *q, const char *from, const char *to, const corridor_filter *f,
                       const char *const *via_names, size_t n_via);
/** A route's value by metric `met`: its arcs plus dwell and transfer at its intermediate nodes. */
double cor_route_total(const query *q, const uint32_t *arcs, size_t len, int met);
/**
 * The routes q->found[0 .. n) as a result (ranks 1..n, by `by`), the caller
 * frees *out with corridor_routes_free. CORRIDOR_ENOMEM only.
 */
int cor_query_routes(corridor_routes **out, const query *q, size_t n, const char *from,
                     const char *to, corridor_metric by, corridor_commodity carry);

/** Appends route r to JSON array arr as corridor_routes_json writes it. CORRIDOR_ENOMEM only. */
int cor_route_json(struct cJSON *arr, const corridor_route *r);

#endif
