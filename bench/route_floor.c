/* route_floor.c: corridor's route -k K search against a plain binary-heap Dijkstra on the same
 * graph. */
/*
 *   build/bench/route_floor MODEL FROM TO [K]
 *
 * Loads MODEL (JSON or compiled) 3 times and prints the best load (CPU time of all
 * threads, and elapsed time), then times in this process, by CPU time, the best of 5
 * runs each of:
 *   - floor: one plain Dijkstra from FROM (binary heap, CSR arrays of the
 *     model's operational freight edges, both directions unless one-way, by
 *     time_h; no classes, transfers or dwell), run to the whole graph, the
 *     CSR built once outside the timer: the least any route search costs;
 *   - corridor_route_find(FROM, TO, k = 1 and k = K) by time for freight,
 *     everything included (routing network, lower bounds, search).
 * and prints the times and the ratio to the floor (issue 12: k = 10 within
 * 3x the floor).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "corridor.h"
#include "internal.h"

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct {
    double d;
    size_t v;
} item;

/* A plain binary heap of (distance, node), lazy deletion. */
typedef struct {
    item *a;
    size_t n, cap;
} heap;

static void push(heap *h, double d, size_t v)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 1024;
        h->a = realloc(h->a, h->cap * sizeof *h->a);
        if (!h->a)
            exit(1);
    }
    size_t i = h->n++;
    while (i && h->a[(i - 1) / 2].d > d) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i].d = d;
    h->a[i].v = v;
}

static item pop(heap *h)
{
    item top = h->a[0], last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->a[c + 1].d < h->a[c].d)
            c++;
        if (h->a[c].d >= last.d)
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n)
        h->a[i] = last;
    return top;
}

typedef struct {
    size_t n, *start, *to;
    double *w;
} csr;

static void build(csr *g, const corridor_model *m)
{
    size_t n = m->n_nodes, arcs = 0;
    g->n = n;
    g->to = NULL;
    g->w = NULL;
    g->start = calloc(n + 2, sizeof *g->start);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < m->n_edges; i++) {
            const cor_edge *e = &m->edges[i];
            if (e->status != CORRIDOR_STATUS_OPERATIONAL || !(e->carries & 1u) ||
                isnan(e->metric[CORRIDOR_BY_TIME]))
                continue;
            for (int dir = 0; dir < (e->oneway ? 1 : 2); dir++) {
                size_t u = dir ? e->to : e->from, v = dir ? e->from : e->to;
                if (pass == 0) {
                    g->start[u + 2]++;
                } else {
                    g->to[g->start[u + 1]] = v;
                    g->w[g->start[u + 1]++] = e->metric[CORRIDOR_BY_TIME];
                }
            }
        }
        if (pass == 0) {
            for (size_t v = 0; v < n; v++)
                g->start[v + 2] += g->start[v + 1];
            arcs = g->start[n + 1];
            g->to = malloc((arcs + 1) * sizeof *g->to);
            g->w = malloc((arcs + 1) * sizeof *g->w);
        }
    }
}

static double dijkstra(const csr *g, size_t s, double *dist, heap *h)
{
    for (size_t v = 0; v < g->n; v++)
        dist[v] = INFINITY;
    dist[s] = 0;
    h->n = 0;
    push(h, 0, s);
    size_t settled = 0;
    while (h->n) {
        item it = pop(h);
        if (it.d > dist[it.v])
            continue;
        settled++;
        for (size_t a = g->start[it.v]; a < g->start[it.v + 1]; a++) {
            double d = it.d + g->w[a];
            if (d < dist[g->to[a]]) {
                dist[g->to[a]] = d;
                push(h, d, g->to[a]);
            }
        }
    }
    return (double)settled;
}

int main(int argc, char **argv)
{
    corridor_model *m = NULL;
    if (argc < 4) {
        fprintf(stderr, "usage: route_floor MODEL FROM TO [K]\n");
        return 2;
    }
    int k = argc > 4 ? atoi(argv[4]) : 10;
    double t0, w0, load = INFINITY, load_wall = INFINITY;
    for (int run = 0; run < 3; run++) { /* the best of 3, as the searches' best of 5 */
        corridor_model_free(m);
        m = NULL;
        t0 = cpu();
        w0 = corridor_clock();
        if (corridor_model_open(&m, argv[1], NULL) < 0) {
            fprintf(stderr, "route_floor: %s\n", corridor_error_message());
            return 3;
        }
        load = fmin(load, cpu() - t0);
        load_wall = fmin(load_wall, corridor_clock() - w0);
    }
    long s = corridor__node_find(m, argv[2]);
    if (s < 0) {
        fprintf(stderr, "route_floor: unknown node %s\n", argv[2]);
        return 3;
    }
    csr g;
    build(&g, m);
    double *dist = malloc(g.n * sizeof *dist);
    heap h = {0};
    double best_floor = INFINITY, best[2] = {INFINITY, INFINITY}, settled = 0;
    for (int run = 0; run < 5; run++) {
        t0 = cpu();
        settled = dijkstra(&g, (size_t)s, dist, &h);
        best_floor = fmin(best_floor, cpu() - t0);
        for (int j = 0; j < 2; j++) {
            corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
            corridor_routes *r = NULL;
            o.k = j ? k : 1;
            t0 = cpu();
            int err = corridor_route_find(&r, m, argv[2], argv[3], &o);
            best[j] = fmin(best[j], cpu() - t0);
            if (err < 0) {
                fprintf(stderr, "route_floor: %s\n", corridor_error_message());
                return 1;
            }
            corridor_routes_free(r);
        }
    }
    printf("%s: %zu nodes, %zu edges (%s), load %.3f s CPU, %.3f s wall\n", argv[1], m->n_nodes,
           m->n_edges, corridor_model_is_compiled(m) ? "compiled" : "JSON", load, load_wall);
    printf("  floor: plain Dijkstra, %.0f nodes settled   %.4f s\n", settled, best_floor);
    printf("  corridor route -k 1                          %.4f s  (%.1fx the floor)\n", best[0],
           best[0] / best_floor);
    printf("  corridor route -k %-2d                         %.4f s  (%.1fx the floor)\n", k,
           best[1], best[1] / best_floor);
    free(dist);
    free(h.a);
    free(g.start);
    free(g.to);
    free(g.w);
    corridor_model_free(m);
    return 0;
}
