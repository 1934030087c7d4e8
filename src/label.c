/* label.c: placing names beside map symbols without overlaps, with a grid as spatial index.
 *
 * How it works: labels are taken in priority order (highest first; ties keep
 * their input order). For each, up to 88 candidate boxes are tried: 8
 * directions around the anchor (right, upper right, lower right, left, ...)
 * touching it, then 16 directions at 5 growing distances (4 to 38 pt; beyond 4 pt
 * with a leader line; labels below LABEL_LEADER stop at 24 pt, so that in a crowd
 * they are dropped rather than led far away). A candidate is allowed only if it
 * lies inside the frame and covers no obstacle (node symbols, fixed texts) and no
 * label placed before. Among allowed candidates the cheapest wins: distance, then
 * direction preference, then a cost per line it crosses (12 unless the label says
 * otherwise; lines are avoided where possible, not at any price). A label with no
 * allowed candidate is dropped and counted. A cap bounds the number of labels
 * tried, so a 100,000-node map does not spend its time on names that cannot fit;
 * the rest count as dropped.
 *
 * Obstacles, placed labels and line segments are kept in a uniform grid of
 * square cells; a query looks only at the cells a box covers. With a bounded
 * number of items per cell a query is O(1), so placement is
 * O(n + cap * 88 * items per cell).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "label_internal.h"

#define CELL 24.0

typedef struct cell {
    uint32_t *ids;
    uint32_t n, cap;
} cell;

typedef struct grid {
    double x0, y0;
    size_t nx, ny;
    cell *rects, *segs;
    double *r; /* boxes: x0, y0, x1, y1 */
    size_t nr, rcap;
    const double *seg; /* x0, y0, x1, y1 */
    uint32_t *seen;    /* per segment: last query stamp */
    uint32_t stamp;
} grid;

static int cell_add(cell *c, uint32_t id)
{
    if (c->n == c->cap) {
        uint32_t nc = c->cap ? 2 * c->cap : 4;
        uint32_t *p = realloc(c->ids, nc * sizeof *p);
        if (!p)
            return -1;
        c->ids = p;
        c->cap = nc;
    }
    c->ids[c->n++] = id;
    return 0;
}

static void cell_range(const grid *g, double x0, double y0, double x1, double y1, size_t *i0,
                       size_t *j0, size_t *i1, size_t *j1)
{
    double a = floor((x0 - g->x0) / CELL), b = floor((y0 - g->y0) / CELL);
    double c = floor((x1 - g->x0) / CELL), d = floor((y1 - g->y0) / CELL);
    *i0 = a < 0 ? 0 : a >= (double)g->nx ? g->nx - 1 : (size_t)a;
    *j0 = b < 0 ? 0 : b >= (double)g->ny ? g->ny - 1 : (size_t)b;
    *i1 = c < 0 ? 0 : c >= (double)g->nx ? g->nx - 1 : (size_t)c;
    *j1 = d < 0 ? 0 : d >= (double)g->ny ? g->ny - 1 : (size_t)d;
}

static int add_rect(grid *g, const double *r)
{
    if (g->nr == g->rcap) {
        size_t nc = g->rcap ? 2 * g->rcap : 256;
        double *p = realloc(g->r, 4 * nc * sizeof *p);
        if (!p)
            return -1;
        g->r = p;
        g->rcap = nc;
    }
    memcpy(g->r + 4 * g->nr, r, 4 * sizeof *r);
    size_t i0, j0, i1, j1;
    cell_range(g, r[0], r[1], r[2], r[3], &i0, &j0, &i1, &j1);
    for (size_t j = j0; j <= j1; j++)
        for (size_t i = i0; i <= i1; i++)
            if (cell_add(&g->rects[j * g->nx + i], (uint32_t)g->nr) < 0)
                return -1;
    g->nr++;
    return 0;
}

static int rect_hit(const grid *g, const double *r)
{
    size_t i0, j0, i1, j1;
    cell_range(g, r[0], r[1], r[2], r[3], &i0, &j0, &i1, &j1);
    for (size_t j = j0; j <= j1; j++)
        for (size_t i = i0; i <= i1; i++) {
            const cell *c = &g->rects[j * g->nx + i];
            for (uint32_t k = 0; k < c->n; k++) {
                const double *o = g->r + 4 * (size_t)c->ids[k];
                if (r[0] < o[2] && o[0] < r[2] && r[1] < o[3] && o[1] < r[3])
                    return 1;
            }
        }
    return 0;
}

/* 1 if the segment passes through the box (Liang-Barsky). */
static int segment_hits(const double *r, const double *s)
{
    double c[4] = {s[0], s[1], s[2], s[3]};
    return corridor__clip_segment(c, r);
}

static size_t seg_crossings(grid *g, const double *r)
{
    size_t i0, j0, i1, j1, n = 0;
    if (!g->segs)
        return 0;
    cell_range(g, r[0], r[1], r[2], r[3], &i0, &j0, &i1, &j1);
    g->stamp++;
    for (size_t j = j0; j <= j1; j++)
        for (size_t i = i0; i <= i1; i++) {
            const cell *c = &g->segs[j * g->nx + i];
            for (uint32_t k = 0; k < c->n; k++) {
                uint32_t id = c->ids[k];
                if (g->seen[id] == g->stamp)
                    continue;
                g->seen[id] = g->stamp;
                n += (size_t)segment_hits(r, g->seg + 4 * (size_t)id);
            }
        }
    return n;
}

static int grid_init(grid *g, const double frame[4], const double *seg, size_t nseg)
{
    memset(g, 0, sizeof *g);
    g->x0 = frame[0];
    g->y0 = frame[1];
    g->nx = (size_t)ceil((frame[2] - frame[0]) / CELL) + 1;
    g->ny = (size_t)ceil((frame[3] - frame[1]) / CELL) + 1;
    if (g->nx > 4000 || g->ny > 4000)
        return -1;
    g->rects = calloc(g->nx * g->ny, sizeof *g->rects);
    if (!g->rects)
        return -1;
    g->seg = seg;
    if (nseg == 0)
        return 0;
    g->segs = calloc(g->nx * g->ny, sizeof *g->segs);
    g->seen = calloc(nseg, sizeof *g->seen);
    if (!g->segs || !g->seen)
        return -1;
    for (size_t s = 0; s < nseg; s++) {
        const double *p = seg + 4 * s;
        size_t i0, j0, i1, j1;
        cell_range(g, fmin(p[0], p[2]), fmin(p[1], p[3]), fmax(p[0], p[2]), fmax(p[1], p[3]), &i0,
                   &j0, &i1, &j1);
        for (size_t j = j0; j <= j1; j++)
            for (size_t i = i0; i <= i1; i++)
                if (cell_add(&g->segs[j * g->nx + i], (uint32_t)s) < 0)
                    return -1;
    }
    return 0;
}

static void grid_free(grid *g)
{
    for (size_t i = 0; g->rects && i < g->nx * g->ny; i++)
        free(g->rects[i].ids);
    for (size_t i = 0; g->segs && i < g->nx * g->ny; i++)
        free(g->segs[i].ids);
    free(g->rects);
    free(g->segs);
    free(g->r);
    free(g->seen);
}

static const cor_label *sort_base;

static int by_priority(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int pi = sort_base[i].priority, pj = sort_base[j].priority;
    if (pi != pj)
        return pi > pj ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* Tries the candidates around one label; 1 if placed. */
static int place_one(grid *g, cor_label *L, const double frame[4])
{
    static const double gaps[] = {1, 4, 8, 14, 24, 38};
    double best = INFINITY, w = L->w, h = L->h;
    /* centred labels (country names) stay near their point: no far candidates; names
     * below LABEL_LEADER get short leaders only: in a crowd they are dropped, not led away */
    size_t ngaps = L->centred ? 2 : L->priority < LABEL_LEADER ? 5 : sizeof gaps / sizeof gaps[0];
    for (size_t gi = 0; gi < ngaps; gi++) {
        int ndir = gi < 1 ? 8 : 16;
        for (int k = 0; k < ndir; k++) {
            /* 8 directions: right, upper right, lower right, left, ..., then 16 around */
            static const int pref8[8] = {0, 2, 14, 8, 6, 10, 4, 12};
            int step = ndir == 8 ? pref8[k] : k;
            double ang = step * 3.14159265358979323846 / 8, ux = cos(ang), uy = sin(ang);
            double d = L->r + gaps[gi];
            double cx = L->x + ux * d + (ux > 0.3 ? w / 2 : ux < -0.3 ? -w / 2 : 0);
            double cy = L->y + uy * d + (uy > 0.3 ? h / 2 : uy < -0.3 ? -h / 2 : 0);
            if (L->centred && gi == 0 && k == 0) {
                cx = L->x;
                cy = L->y;
            }
            double r[4] = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
            double cost = 3 * gaps[gi] + 0.5 * k;
            if (cost >= best || r[0] < frame[0] || r[1] < frame[1] || r[2] > frame[2] ||
                r[3] > frame[3] || rect_hit(g, r))
                continue;
            cost += (L->cross > 0 ? L->cross : 12.0) * (double)seg_crossings(g, r);
            if (cost < best) {
                best = cost;
                L->cx = cx;
                L->cy = cy;
                L->gap = gaps[gi];
            }
        }
    }
    return isfinite(best);
}

int corridor__labels_place(size_t *dropped, cor_label *labels, size_t n, const double *obst,
                           size_t nobst, const double *seg, size_t nseg, const double frame[4],
                           size_t cap)
{
    grid g;
    size_t *order = NULL, tried = 0;
    int err = 0;
    *dropped = 0;
    if (grid_init(&g, frame, seg, nseg) < 0 || !(order = malloc((n + 1) * sizeof *order))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t i = 0; i < nobst && err == 0; i++)
        if (add_rect(&g, obst + 4 * i) < 0)
            err = corridor__oom();
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
        labels[i].placed = 0;
    }
    sort_base = labels;
    qsort(order, n, sizeof *order, by_priority);
    for (size_t k = 0; k < n && err == 0; k++) {
        cor_label *L = &labels[order[k]];
        if ((tried++ < cap || L->priority >= LABEL_KEEP) && place_one(&g, L, frame)) {
            double r[4] = {L->cx - L->w / 2, L->cy - L->h / 2, L->cx + L->w / 2, L->cy + L->h / 2};
            L->placed = 1;
            if (add_rect(&g, r) < 0)
                err = corridor__oom();
        } else {
            (*dropped)++;
        }
    }
done:
    grid_free(&g);
    free(order);
    return err;
}
