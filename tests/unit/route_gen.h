/* route_gen.h: random small multigraphs and brute-force route enumeration for the route tests. */
#ifndef CORRIDOR_ROUTE_GEN_H
#define CORRIDOR_ROUTE_GEN_H

#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "test_gen.h"

/*
 * Each case is a random model (seeded, reproducible: the seed is the case
 * number) of up to 9 nodes and 20 edges: parallel and oneway edges, self
 * loops, rail of two gauges, road, sea and oil pipelines, dwell and transfer,
 * every status, nodes in three countries or none, two corridors, and now and
 * then an edge whose metric cannot be derived. The query picks nodes or
 * country: places, 0 to 2 via places, an avoid target and a status or year.
 * Brute force enumerates every route by depth-first search (per-leg
 * simplicity, dedupe by arc sequence), independently of route.c.
 */

#define MAX_ROUTES 20000

/* ------------------------------------------------------------ a random case */

typedef struct bcase {
    corridor_model *m;
    char place[4][16]; /* origin, via..., destination */
    size_t n_via;
    char avoid[32];
    int has_avoid;
    corridor_filter filter;
} bcase;

static corridor_model *random_model(void)
{
    corridor_model *m = corridor__model_new();
    assert_non_null(m);
    size_t n = 3 + rn(7), ne = n + 1 + rn(n + 8);
    if (ne > 20)
        ne = 20;
    m->name = corridor__strdup("brute");
    gen_countries(m, 3);
    m->n_corridors = 2;
    m->corridors = calloc(2, sizeof *m->corridors);
    for (int i = 0; i < 2; i++) {
        m->corridors[i].id = dupf("c%d", i + 1);
        m->corridors[i].name = dupf("Corridor %d", i + 1);
    }
    m->n_nodes = n;
    m->nodes = calloc(n, sizeof *m->nodes);
    for (size_t i = 0; i < n; i++) {
        cor_node *v = &m->nodes[i];
        gen_node(v, i, rn(8) == 0 ? -1 : (long)rn(3));
        for (int met = 0; met < COR_NMET; met++) {
            if (met == CORRIDOR_BY_DISTANCE)
                continue;
            v->dwell[met] = rn(2) ? 0.0 : (double)rn(5);
            v->transfer[met] = rn(3) ? (double)rn(10) : 0.0;
        }
        v->status = rn(25) ? CORRIDOR_STATUS_OPERATIONAL : CORRIDOR_STATUS_PLANNED;
        v->opens = v->status == CORRIDOR_STATUS_PLANNED ? 2030 + (int)rn(10) : 0;
    }
    m->n_edges = ne;
    m->edges = calloc(ne, sizeof *m->edges);
    int nan_edge = rn(15) == 0 ? (int)rn((uint32_t)ne) : -1;
    for (size_t i = 0; i < ne; i++) {
        cor_edge *e = &m->edges[i];
        e->id = dupf("e%d", (int)i);
        /* a spanning-ish chain first, then random extra edges (parallel ones likely) */
        e->from = i < n - 1 && rn(4) ? i : rn((uint32_t)n);
        e->to = i < n - 1 && rn(4) ? i + 1 : rn((uint32_t)n);
        if (e->from == e->to && rn(3))
            e->to = (e->from + 1) % n;
        uint32_t md = rn(10);
        e->mode = md < 4   ? CORRIDOR_MODE_RAIL
                  : md < 7 ? CORRIDOR_MODE_ROAD
                  : md < 9 ? CORRIDOR_MODE_SEA
                           : CORRIDOR_MODE_PIPELINE;
        e->gauge = e->mode == CORRIDOR_MODE_RAIL ? (int)(rn(3) == 0 ? 1435 : 1520) : 0;
        if (e->mode == CORRIDOR_MODE_RAIL && rn(6) == 0)
            e->gauge = 0;
        e->carries = e->mode == CORRIDOR_MODE_PIPELINE ? (1u << CORRIDOR_CARRY_OIL)
                                                       : (1u << CORRIDOR_CARRY_FREIGHT);
        if (e->mode == CORRIDOR_MODE_PIPELINE && rn(2))
            e->carries |= 1u << CORRIDOR_CARRY_FREIGHT;
        e->oneway = rn(5) == 0;
        uint32_t st = rn(20);
        e->status = st < 15   ? CORRIDOR_STATUS_OPERATIONAL
                    : st < 17 ? CORRIDOR_STATUS_CONSTRUCTION
                    : st < 19 ? CORRIDOR_STATUS_PLANNED
                              : CORRIDOR_STATUS_CLOSED;
        e->opens = e->status == CORRIDOR_STATUS_OPERATIONAL ? 0 : 2025 + (int)rn(15);
        for (int k = 0; k < COR_NCOM; k++)
            e->capacity[k] = INFINITY;
        for (int met = 0; met < COR_NMET; met++) {
            e->metric[met] = 1.0 + rn(20) + (rn(4) == 0 ? 0.5 : 0.0);
            e->metric_given |= 1u << met;
        }
        if ((int)i == nan_edge) /* no value and no defaults: this metric cannot be derived */
            e->metric_given &= ~(1u << (1 + rn(3)));
        uint32_t cr = rn(4);
        e->n_corridors = cr == 3 ? 2 : cr == 2 ? 1 : 0;
        if (e->n_corridors) {
            e->corridors = malloc(e->n_corridors * sizeof *e->corridors);
            e->corridors[0] = e->n_corridors == 2 ? 0 : rn(2);
            if (e->n_corridors == 2)
                e->corridors[1] = 1;
        }
    }
    assert_int_equal(corridor__model_finish(m), 0);
    return m;
}

static void random_place(char *out, const corridor_model *m)
{
    if (rn(5) == 0)
        snprintf(out, 16, "country:%c", 'A' + rn(3));
    else
        snprintf(out, 16, "n%u", rn((uint32_t)m->n_nodes));
}

static void random_case(bcase *c)
{
    static const corridor_filter init = CORRIDOR_FILTER_INIT;
    memset(c, 0, sizeof *c);
    c->m = random_model();
    uint32_t nv = rn(20);
    c->n_via = nv < 14 ? 0 : nv < 19 ? 1 : 2;
    for (size_t p = 0; p < c->n_via + 2; p++) {
        random_place(c->place[p], c->m);
        /* mostly two different places in a row; now and then the same (a usage error) */
        if (p > 0 && strcmp(c->place[p], c->place[p - 1]) == 0 && rn(10))
            random_place(c->place[p], c->m);
    }
    c->filter = init;
    uint32_t f = rn(10);
    if (f == 0)
        c->filter.status = CORRIDOR_STATUS_CONSTRUCTION;
    else if (f == 1)
        c->filter.status = CORRIDOR_STATUS_PLANNED;
    else if (f == 2)
        c->filter.year = 2030 + (int)rn(6);
    uint32_t cr = rn(10);
    c->filter.carry = cr == 0   ? CORRIDOR_CARRY_OIL
                      : cr == 1 ? CORRIDOR_CARRY_ANY
                                : CORRIDOR_CARRY_FREIGHT;
    if (rn(4) == 0) {
        c->has_avoid = 1;
        switch (rn(5)) {
        case 0:
            snprintf(c->avoid, sizeof c->avoid, "node:n%u", rn((uint32_t)c->m->n_nodes));
            break;
        case 1:
            snprintf(c->avoid, sizeof c->avoid, "edge:e%u", rn((uint32_t)c->m->n_edges));
            break;
        case 2:
            snprintf(c->avoid, sizeof c->avoid, "country:%c", 'A' + rn(3));
            break;
        case 3:
            snprintf(c->avoid, sizeof c->avoid, "mode:%s", rn(2) ? "sea" : "road");
            break;
        default:
            snprintf(c->avoid, sizeof c->avoid, "corridor:c%u", 1 + rn(2));
            break;
        }
    }
}

/* ------------------------------------------------------------- brute force */

typedef struct arc {
    size_t edge, from, to;
} arc;

typedef struct broute {
    uint16_t arcs[40]; /* arc indices */
    size_t n;
    double v[COR_NMET];
    double transfers, borders; /* changes of class; arcs between two countries */
} broute;

typedef struct brute {
    const corridor_model *m;
    arc *arcs;
    size_t n_arcs;
    unsigned char *target[4]; /* per leg */
    size_t n_legs;
    broute *routes;
    size_t n_routes;
    int overflow;
    uint16_t path[40];
    unsigned char visited[16];
} brute;

static int class_key(const cor_edge *e)
{
    return (int)e->mode * 100000 + (e->mode == CORRIDOR_MODE_RAIL ? e->gauge : 0);
}

static void brute_value(const brute *b, broute *r)
{
    for (int met = 0; met < COR_NMET; met++) {
        double t = 0;
        for (size_t j = 0; j < r->n; j++) {
            const arc *a = &b->arcs[r->arcs[j]];
            const cor_edge *e = &b->m->edges[a->edge];
            t += e->metric[met];
            if (j > 0 && met != CORRIDOR_BY_DISTANCE) {
                const cor_node *v = &b->m->nodes[a->from];
                t += v->dwell[met];
                if (class_key(&b->m->edges[b->arcs[r->arcs[j - 1]].edge]) != class_key(e))
                    t += v->transfer[met];
            }
        }
        r->v[met] = t;
    }
    r->transfers = r->borders = 0;
    for (size_t j = 0; j < r->n; j++) {
        const arc *a = &b->arcs[r->arcs[j]];
        long ca = b->m->nodes[a->from].country, cb = b->m->nodes[a->to].country;
        r->borders += ca >= 0 && cb >= 0 && ca != cb;
        if (j > 0 && class_key(&b->m->edges[b->arcs[r->arcs[j - 1]].edge]) !=
                         class_key(&b->m->edges[a->edge]))
            r->transfers++;
    }
}

static void dfs(brute *b, size_t leg, size_t v, size_t depth, size_t leg_len)
{
    if (b->overflow)
        return;
    if (leg_len > 0 && b->target[leg][v]) {
        if (leg + 1 == b->n_legs) {
            if (b->n_routes == MAX_ROUTES) {
                b->overflow = 1;
                return;
            }
            broute *r = &b->routes[b->n_routes++];
            memcpy(r->arcs, b->path, depth * sizeof *r->arcs);
            r->n = depth;
            brute_value(b, r);
        } else {
            unsigned char saved[16];
            memcpy(saved, b->visited, sizeof saved);
            memset(b->visited, 0, sizeof b->visited);
            b->visited[v] = 1;
            dfs(b, leg + 1, v, depth, 0);
            memcpy(b->visited, saved, sizeof saved);
        }
    }
    for (size_t i = 0; i < b->n_arcs; i++) {
        const arc *a = &b->arcs[i];
        if (a->from != v || b->visited[a->to] || depth >= 40)
            continue;
        b->visited[a->to] = 1;
        b->path[depth] = (uint16_t)i;
        dfs(b, leg, a->to, depth + 1, leg_len + 1);
        b->visited[a->to] = 0;
    }
}

static int broute_cmp(const void *pa, const void *pb)
{
    const broute *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    return memcmp(a->arcs, b->arcs, a->n * sizeof a->arcs[0]);
}

static int close_enough(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= 1e-9 * (1.0 + fabs(a) + fabs(b));
}

/* Index of the route with these arcs, or -1. */
static long brute_find(const brute *b, const broute *key)
{
    const broute *r = bsearch(key, b->routes, b->n_routes, sizeof *key, broute_cmp);
    return r ? (long)(r - b->routes) : -1;
}

/* ------------------------------------------------------------ one case */

typedef struct brute_case {
    bcase c;
    brute b;
    cor_selection sel;
    size_t *places[4], n_places[4];
    const char *avoid[1];
    const char *via[2];
    const char *from, *to;
    int same;    /* two consecutive places are one node (a usage error) */
    int unknown; /* a place resolves to nothing (an invalid place) */
} brute_case;

/*
 * Makes case `seed` and enumerates its routes, sorted by arcs, without
 * repeats. Returns 0, or -1 if there are too many routes to enumerate (skip
 * the case; free it all the same).
 */
static int brute_setup(brute_case *bc, unsigned seed)
{
    bcase *c = &bc->c;
    brute *b = &bc->b;
    memset(bc, 0, sizeof *bc);
    rng_state = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)seed * 0xD1B54A32D192ED03ULL);
    for (int i = 0; i < 4; i++)
        rnd();
    random_case(c);
    b->m = c->m;
    bc->avoid[0] = c->avoid;
    c->filter.avoid = c->has_avoid ? bc->avoid : NULL;
    c->filter.n_avoid = c->has_avoid ? 1 : 0;
    bc->via[0] = c->place[1];
    bc->via[1] = c->place[2];
    bc->from = c->place[0];
    bc->to = c->place[c->n_via + 1];

    int sel_err = corridor__selection_build(&bc->sel, c->m, &c->filter);
    assert_int_equal(sel_err, 0); /* every generated avoid target exists */
    b->n_legs = c->n_via + 1;
    for (size_t p = 0; p <= b->n_legs; p++)
        if (corridor__place_resolve(&bc->places[p], &bc->n_places[p], c->m, c->place[p]))
            bc->unknown = 1; /* a country without nodes: the query must fail the same way */
    for (size_t p = 0; p + 1 <= b->n_legs && !bc->unknown; p++)
        if (bc->n_places[p] == 1 && bc->n_places[p + 1] == 1 &&
            bc->places[p][0] == bc->places[p + 1][0])
            bc->same = 1;
    if (bc->unknown)
        return 0;
    for (size_t l = 0; l < b->n_legs; l++) {
        b->target[l] = calloc(16, 1);
        for (size_t i = 0; i < bc->n_places[l + 1]; i++)
            b->target[l][bc->places[l + 1][i]] = 1;
    }
    b->arcs = calloc(2 * c->m->n_edges + 1, sizeof *b->arcs);
    for (size_t e = 0; e < c->m->n_edges; e++) {
        if (!bc->sel.edge_ok[e])
            continue;
        const cor_edge *ed = &c->m->edges[e];
        b->arcs[b->n_arcs++] = (arc){e, ed->from, ed->to};
        if (!ed->oneway)
            b->arcs[b->n_arcs++] = (arc){e, ed->to, ed->from};
    }
    b->routes = malloc(MAX_ROUTES * sizeof *b->routes);
    for (size_t i = 0; i < bc->n_places[0]; i++) {
        memset(b->visited, 0, sizeof b->visited);
        b->visited[bc->places[0][i]] = 1;
        dfs(b, 0, bc->places[0][i], 0, 0);
    }
    if (b->overflow)
        return -1;
    if (b->n_routes) {
        qsort(b->routes, b->n_routes, sizeof *b->routes, broute_cmp);
        size_t u = 1;
        for (size_t i = 1; i < b->n_routes; i++)
            if (broute_cmp(&b->routes[i], &b->routes[u - 1]) != 0)
                b->routes[u++] = b->routes[i];
        b->n_routes = u;
    }
    return 0;
}

static void brute_teardown(brute_case *bc)
{
    for (int p = 0; p < 4; p++)
        free(bc->places[p]);
    for (int l = 0; l < 4; l++)
        free(bc->b.target[l]);
    free(bc->b.arcs);
    free(bc->b.routes);
    corridor__selection_free(&bc->sel);
    corridor_model_free(bc->c.m);
}

/* The error a query must give (route.c's order of checks), given the metrics it needs (bits). */
static int brute_want_error(const brute_case *bc, unsigned metrics)
{
    if (bc->unknown)
        return CORRIDOR_EINVALID;
    if (bc->same)
        return CORRIDOR_EUSAGE;
    for (size_t e = 0; e < bc->c.m->n_edges; e++)
        for (int met = 0; met < COR_NMET; met++)
            if ((metrics >> met & 1) && bc->sel.edge_ok[e] && isnan(bc->c.m->edges[e].metric[met]))
                return CORRIDOR_EINVALID;
    return bc->b.n_routes == 0 ? CORRIDOR_ENOTFOUND : 0;
}

/* Maps a returned route back to its arcs (*key) and its index among the enumerated; fails if none.
 */
static long brute_route_of(const brute_case *bc, const corridor_route *r, broute *key,
                           unsigned seed)
{
    const brute *b = &bc->b;
    memset(key, 0, sizeof *key);
    key->n = r->n_edges;
    assert_true(key->n <= 40);
    assert_int_equal(r->n_nodes, r->n_edges + 1);
    for (size_t j = 0; j < r->n_edges; j++) {
        assert_string_equal(r->nodes[j], r->hops[j].from);
        assert_string_equal(r->nodes[j + 1], r->hops[j].to);
        long e = corridor__edge_find(bc->c.m, r->hops[j].edge);
        long fr = corridor__node_find(bc->c.m, r->hops[j].from);
        long a = -1;
        for (size_t x = 0; x < b->n_arcs && a < 0; x++)
            if (b->arcs[x].edge == (size_t)e && b->arcs[x].from == (size_t)fr)
                a = (long)x;
        if (a < 0)
            fail_msg("seed %u: route uses ineligible edge %s", seed, r->hops[j].edge);
        key->arcs[j] = (uint16_t)a;
    }
    long idx = brute_find(b, key);
    if (idx < 0)
        fail_msg("seed %u: a returned route is not a valid route", seed);
    for (int met = 0; met < COR_NMET; met++)
        if (!close_enough(r->metric[met], b->routes[idx].v[met]))
            fail_msg("seed %u: route %s total %.17g, want %.17g", seed, corridor_metric_name(met),
                     r->metric[met], b->routes[idx].v[met]);
    if ((double)r->n_transfers != b->routes[idx].transfers ||
        (double)r->borders != b->routes[idx].borders)
        fail_msg("seed %u: route has %zu transfers and %zu borders, want %g and %g", seed,
                 r->n_transfers, r->borders, b->routes[idx].transfers, b->routes[idx].borders);
    return idx;
}

#endif
