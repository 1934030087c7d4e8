/* floor_dijkstra.c: the floor for one-to-all searches: a plain binary-heap Dijkstra in C. */
/*
 * floor_dijkstra ARCS ORIGINS
 *
 * ARCS: one arc per line, "FROM TO WEIGHT" (0-based node numbers; a two-way
 * edge is two lines). ORIGINS: one node number per line. Runs one Dijkstra
 * from each origin over the whole graph (a binary heap of (distance, node)
 * with lazy deletion, CSR adjacency, no classes, no transfers) and prints the
 * CPU seconds of the searches alone, and a checksum of the distances. This
 * is what a one-to-all search costs at the least on the same graph: what the
 * OD matrix's search per origin is compared with (bench/bench_issue12.sh).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct entry {
    double key;
    unsigned id;
} entry;

static entry *heap;
static size_t heap_n;

static void push(double key, unsigned id)
{
    size_t i = heap_n++;
    while (i > 0 && key < heap[(i - 1) / 2].key) {
        heap[i] = heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    heap[i].key = key;
    heap[i].id = id;
}

static entry pop(void)
{
    entry top = heap[0], last = heap[--heap_n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= heap_n)
            break;
        if (c + 1 < heap_n && heap[c + 1].key < heap[c].key)
            c++;
        if (!(heap[c].key < last.key))
            break;
        heap[i] = heap[c];
        i = c;
    }
    if (heap_n)
        heap[i] = last;
    return top;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: floor_dijkstra ARCS ORIGINS\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 4;
    }
    size_t na = 0, cap = 1024, n = 0;
    unsigned *from = malloc(cap * sizeof *from), *to = malloc(cap * sizeof *to);
    double *w = malloc(cap * sizeof *w);
    unsigned a, b;
    double x;
    while (from && to && w && fscanf(f, "%u %u %lf", &a, &b, &x) == 3) {
        if (na == cap) {
            cap *= 2;
            from = realloc(from, cap * sizeof *from);
            to = realloc(to, cap * sizeof *to);
            w = realloc(w, cap * sizeof *w);
            if (!from || !to || !w)
                break;
        }
        from[na] = a;
        to[na] = b;
        w[na++] = x;
        n = a + 1 > n ? a + 1 : n;
        n = b + 1 > n ? b + 1 : n;
    }
    fclose(f);
    size_t *start = calloc(n + 2, sizeof *start);
    unsigned *adj_to = malloc((na + 1) * sizeof *adj_to);
    double *adj_w = malloc((na + 1) * sizeof *adj_w), *dist = malloc((n + 1) * sizeof *dist);
    heap = malloc((na + n + 1) * sizeof *heap);
    if (!from || !to || !w || !start || !adj_to || !adj_w || !dist || !heap) {
        fprintf(stderr, "floor_dijkstra: out of memory\n");
        return 4;
    }
    for (size_t i = 0; i < na; i++)
        start[from[i] + 2]++;
    for (size_t v = 0; v < n; v++)
        start[v + 2] += start[v + 1];
    for (size_t i = 0; i < na; i++) {
        size_t k = start[from[i] + 1]++;
        adj_to[k] = to[i];
        adj_w[k] = w[i];
    }
    if (!(f = fopen(argv[2], "r"))) {
        perror(argv[2]);
        return 4;
    }
    size_t n_orig = 0, pops = 0;
    double t = 0.0, check = 0.0;
    while (fscanf(f, "%u", &a) == 1 && a < n) {
        double t0 = cpu();
        for (size_t v = 0; v < n; v++)
            dist[v] = INFINITY;
        heap_n = 0;
        dist[a] = 0.0;
        push(0.0, a);
        while (heap_n) {
            entry e = pop();
            pops++;
            if (e.key > dist[e.id])
                continue;
            for (size_t k = start[e.id]; k < start[e.id + 1]; k++) {
                double d = e.key + adj_w[k];
                if (d < dist[adj_to[k]]) {
                    dist[adj_to[k]] = d;
                    push(d, adj_to[k]);
                }
            }
        }
        t += cpu() - t0;
        for (size_t v = 0; v < n; v++)
            check += isfinite(dist[v]) ? dist[v] : 0.0;
        n_orig++;
    }
    fclose(f);
    printf("floor: %zu nodes, %zu arcs, %zu origins: %.3f s CPU (%.1f ms per origin), %zu pops, "
           "checksum %.6g\n",
           n, na, n_orig, t, n_orig ? 1000 * t / n_orig : 0.0, pops, check);
    return 0;
}
