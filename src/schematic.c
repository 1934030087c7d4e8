/* schematic.c: the octilinear layout of the schematic view (places on a grid, lines at 45 degrees).
 *
 * How it works (after Stott, Rodgers et al., "Automatic metro map layout using
 * multicriteria optimization", IEEE TVCG 2011, much simplified):
 *
 * 0. Seed (corridor__octi_seed). Projected coordinates are relaxed, per
 *    connected part: springs as long as the square root of each line's length
 *    (the median line 1), places pushed `spread` apart, a weak pull back to the
 *    map position; dense clusters open up, the map's shape stays. Models
 *    without coordinates start from igraph's Kamada-Kawai layout instead, parts
 *    side by side.
 * 1. Scale. The positions are scaled so that the median line is L = 2 grid
 *    steps long.
 * 2. Snap. Places are put, busiest first, on the free grid point nearest to
 *    their scaled position (a spiral search over a hashed occupancy table), so
 *    no two places share a point.
 * 3. Hill-climb. In rounds, each place tries every free grid point within a
 *    square of radius r (4, 3, 3, 2, 2, 2, then 1 until nothing moves) and moves to
 *    the one of least cost, if that is less than where it is. The cost of a
 *    place counts, for each of its lines: 3 if not at a multiple of 45 degrees
 *    (plus up to 3 more by how far off it is: sin 4a), |log(length / L)|,
 *    2 * (1 - cos) of the turn from the line's input direction (so that the
 *    diagram keeps east east and north north), and 30 for each crossing with
 *    another line, each place the line runs over and each line of a
 *    neighbour it would run along (two lines leaving a place less than 40
 *    degrees apart); plus 30 if the place sits on another line. Moves are local
 *    and strictly improving, so the rounds end; `effort` caps the work.
 * 4. Bends (corridor__octi_bend). A line still not octilinear is drawn as two
 *    octilinear pieces: a diagonal and a straight one, in the order that
 *    crosses fewer lines and passes over no place.
 *
 * Grid coordinates are whole numbers, so "octilinear" (dx = 0, dy = 0 or
 * |dx| = |dy|) and crossings are exact tests.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <igraph.h>

#include "internal.h"
#include "schematic_internal.h"

#define OCTI_L    2.0  /* wanted line length, grid steps */
#define W_OCTI    3.0  /* a line not at a multiple of 45 degrees */
#define W_GEO     4.0  /* turning a line away from its input direction */
#define W_CLASH   30.0 /* a crossing, a line over a place, two lines along each other */
#define NONE      SIZE_MAX
#define PI        3.14159265358979323846
#define SPREAD    1.0
#define MIN_ANGLE (40.0 * PI / 180.0)

typedef struct octi {
    size_t n, ne;
    long *gx, *gy;
    size_t *eu, *ev;     /* the distinct lines, eu < ev */
    double *phi;         /* input direction of each line, from eu to ev, radians */
    size_t *aoff, *aedg; /* lines at each place: aedg[aoff[i] .. aoff[i + 1]) */
    size_t nb, *head, *next;
    double work;
} octi;

int corridor__octi_is(double dx, double dy, double deg)
{
    if (dx == 0 && dy == 0)
        return 1;
    double a = atan2(dy, dx) * 180 / PI;
    double r = fmod(fabs(a), 45.0);
    return r <= deg || 45.0 - r <= deg;
}

/* ---------------------------------------------------------- occupancy table */

static size_t bucket(const octi *o, long x, long y)
{
    uint64_t h = (uint64_t)x * 0x9E3779B97F4A7C15ull ^ (uint64_t)y * 0xC2B2AE3D27D4EB4Full;
    return (size_t)((h ^ (h >> 29)) & (o->nb - 1));
}

/* The place at grid point (x, y), NONE if it is free. */
static size_t at(const octi *o, long x, long y)
{
    for (size_t k = o->head[bucket(o, x, y)]; k != NONE; k = o->next[k])
        if (o->gx[k] == x && o->gy[k] == y)
            return k;
    return NONE;
}

static void occupy(octi *o, size_t i)
{
    size_t b = bucket(o, o->gx[i], o->gy[i]);
    o->next[i] = o->head[b];
    o->head[b] = i;
}

static void vacate(octi *o, size_t i)
{
    size_t *p = &o->head[bucket(o, o->gx[i], o->gy[i])];
    while (*p != i)
        p = &o->next[*p];
    *p = o->next[i];
}

/* ----------------------------------------------------------------- geometry */

static long orient(long ax, long ay, long bx, long by, long cx, long cy)
{
    long long v = (long long)(bx - ax) * (cy - ay) - (long long)(by - ay) * (cx - ax);
    return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/* 1 if segments ab and cd cross or overlap along a stretch (they share no end). */
static int seg_cross(long ax, long ay, long bx, long by, long cx, long cy, long dx, long dy)
{
    long o1 = orient(ax, ay, bx, by, cx, cy), o2 = orient(ax, ay, bx, by, dx, dy);
    long o3 = orient(cx, cy, dx, dy, ax, ay), o4 = orient(cx, cy, dx, dy, bx, by);
    if (o1 * o2 < 0 && o3 * o4 < 0)
        return 1;
    if (o1 == 0 && o2 == 0) { /* collinear: overlapping projections */
        int horiz = labs(bx - ax) + labs(dx - cx) >= labs(by - ay) + labs(dy - cy);
        long a0 = horiz ? ax : ay, a1 = horiz ? bx : by, c0 = horiz ? cx : cy, c1 = horiz ? dx : dy;
        if (a0 > a1) {
            long t = a0;
            a0 = a1;
            a1 = t;
        }
        if (c0 > c1) {
            long t = c0;
            c0 = c1;
            c1 = t;
        }
        return a0 < c1 && c0 < a1;
    }
    /* an end of one on the other (T-junction through a line) */
    if ((o1 == 0 || o2 == 0) && o3 * o4 < 0)
        return 1;
    if ((o3 == 0 || o4 == 0) && o1 * o2 < 0)
        return 1;
    return 0;
}

/* 1 if point p lies within 0.35 steps of segment ab (not at its ends). */
static int near_seg(long px, long py, long ax, long ay, long bx, long by)
{
    double vx = (double)(bx - ax), vy = (double)(by - ay), wx = (double)(px - ax),
           wy = (double)(py - ay), l2 = vx * vx + vy * vy;
    if (l2 == 0 || (px == ax && py == ay) || (px == bx && py == by))
        return 0;
    double t = (wx * vx + wy * vy) / l2;
    if (t <= 0 || t >= 1)
        return 0;
    double ex = wx - t * vx, ey = wy - t * vy;
    return ex * ex + ey * ey < 0.35 * 0.35;
}

static double angle_between(double ax, double ay, double bx, double by)
{
    double c = (ax * bx + ay * by) / (hypot(ax, ay) * hypot(bx, by));
    return acos(c > 1 ? 1 : c < -1 ? -1 : c);
}

static size_t other_end(const octi *o, size_t e, size_t i)
{
    return o->eu[e] == i ? o->ev[e] : o->eu[e];
}

/* ---------------------------------------------------------------------- cost */

/* The costs of one line from place i (at px, py) to place j. */
static double line_cost(octi *o, size_t e, size_t i, long px, long py)
{
    size_t j = other_end(o, e, i);
    long qx = o->gx[j], qy = o->gy[j], dx = qx - px, dy = qy - py;
    double c = 0, len = hypot((double)dx, (double)dy), th = atan2((double)dy, (double)dx);
    if (!(dx == 0 || dy == 0 || labs(dx) == labs(dy)))
        c += W_OCTI * (1 + fabs(sin(4 * th)));
    c += len < OCTI_L ? 2 * log(OCTI_L / len) : log(len / OCTI_L);
    double phi = o->eu[e] == i ? o->phi[e] : o->phi[e] + PI;
    c += W_GEO * (1 - cos(th - phi));
    for (size_t f = 0; f < o->ne; f++) {
        size_t u = o->eu[f], v = o->ev[f];
        if (u == i || v == i || u == j || v == j)
            continue;
        if (seg_cross(px, py, qx, qy, o->gx[u], o->gy[u], o->gx[v], o->gy[v]))
            c += W_CLASH;
    }
    for (size_t k = 0; k < o->n; k++)
        if (k != i && k != j && near_seg(o->gx[k], o->gy[k], px, py, qx, qy))
            c += W_CLASH;
    for (size_t a = o->aoff[j]; a < o->aoff[j + 1]; a++) {
        size_t k = other_end(o, o->aedg[a], j);
        if (k != i && angle_between((double)(px - qx), (double)(py - qy), (double)(o->gx[k] - qx),
                                    (double)(o->gy[k] - qy)) < MIN_ANGLE)
            c += W_CLASH;
    }
    o->work += (double)(o->ne + o->n);
    return c;
}

/* The cost of place i at (px, py): its lines, their angles, and lines it would sit on. */
static double place_cost(octi *o, size_t i, long px, long py)
{
    double c = 0;
    for (size_t a = o->aoff[i]; a < o->aoff[i + 1]; a++) {
        c += line_cost(o, o->aedg[a], i, px, py);
        size_t j = other_end(o, o->aedg[a], i);
        for (size_t b = a + 1; b < o->aoff[i + 1]; b++) {
            size_t k = other_end(o, o->aedg[b], i);
            if (angle_between((double)(o->gx[j] - px), (double)(o->gy[j] - py),
                              (double)(o->gx[k] - px), (double)(o->gy[k] - py)) < MIN_ANGLE)
                c += W_CLASH;
        }
    }
    for (size_t f = 0; f < o->ne; f++) {
        size_t u = o->eu[f], v = o->ev[f];
        if (u != i && v != i && near_seg(px, py, o->gx[u], o->gy[u], o->gx[v], o->gy[v]))
            c += W_CLASH;
    }
    return c;
}

/* ---------------------------------------------------------------- the steps */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int cmp_pair(const void *a, const void *b)
{
    const size_t *p = a, *q = b;
    return p[0] != q[0] ? (p[0] < q[0] ? -1 : 1) : p[1] < q[1] ? -1 : p[1] > q[1];
}

/* The distinct lines, their input directions and the lines at each place. */
static int octi_lines(octi *o, const double *x, const double *y, const size_t *pairs, size_t np)
{
    size_t *p = malloc((2 * np + 2) * sizeof *p), *fill = calloc(o->n + 1, sizeof *fill), k2 = 0;
    int err = 0;
    o->eu = malloc((np + 1) * sizeof *o->eu);
    o->ev = malloc((np + 1) * sizeof *o->ev);
    o->phi = malloc((np + 1) * sizeof *o->phi);
    o->aoff = calloc(o->n + 2, sizeof *o->aoff);
    o->aedg = malloc((2 * np + 1) * sizeof *o->aedg);
    if (!p || !fill || !o->eu || !o->ev || !o->phi || !o->aoff || !o->aedg) {
        err = corridor__oom();
        goto done;
    }
    for (size_t k = 0; k < np; k++) {
        size_t u = pairs[2 * k], v = pairs[2 * k + 1];
        if (u == v || u >= o->n || v >= o->n)
            continue;
        p[2 * k2] = u < v ? u : v;
        p[2 * k2 + 1] = u < v ? v : u;
        k2++;
    }
    qsort(p, k2, 2 * sizeof *p, cmp_pair);
    for (size_t k = 0; k < k2; k++) {
        size_t u = p[2 * k], v = p[2 * k + 1];
        if (k && p[2 * k - 2] == u && p[2 * k - 1] == v)
            continue;
        o->eu[o->ne] = u;
        o->ev[o->ne] = v;
        o->phi[o->ne] = atan2(y[v] - y[u], x[v] - x[u]);
        o->aoff[u + 1]++;
        o->aoff[v + 1]++;
        o->ne++;
    }
    for (size_t i = 0; i < o->n; i++)
        o->aoff[i + 1] += o->aoff[i];
    for (size_t e = 0; e < o->ne; e++) {
        o->aedg[o->aoff[o->eu[e]] + fill[o->eu[e]]++] = e;
        o->aedg[o->aoff[o->ev[e]] + fill[o->ev[e]]++] = e;
    }
done:
    free(p);
    free(fill);
    return err;
}

/* Scales the input so that the median line is OCTI_L long, and snaps places to free points. */
static int octi_snap(octi *o, const double *x, const double *y)
{
    double *len = malloc((o->ne + 1) * sizeof *len), med = 0;
    size_t *order = malloc((o->n + 1) * sizeof *order), nl = 0;
    if (!len || !order) {
        free(len);
        free(order);
        return corridor__oom();
    }
    for (size_t e = 0; e < o->ne; e++) {
        double l = hypot(x[o->ev[e]] - x[o->eu[e]], y[o->ev[e]] - y[o->eu[e]]);
        if (l > 0)
            len[nl++] = l;
    }
    if (nl) {
        qsort(len, nl, sizeof *len, cmp_double);
        med = len[nl / 2];
    }
    double s = med > 0 ? OCTI_L / med : 1;
    for (size_t i = 0; i < o->n; i++)
        order[i] = i;
    /* busiest first (counting sort by degree, stable) */
    size_t maxdeg = 0, k = 0;
    for (size_t i = 0; i < o->n; i++)
        if (o->aoff[i + 1] - o->aoff[i] > maxdeg)
            maxdeg = o->aoff[i + 1] - o->aoff[i];
    for (size_t dgr = maxdeg + 1; dgr-- > 0;)
        for (size_t i = 0; i < o->n; i++)
            if (o->aoff[i + 1] - o->aoff[i] == dgr)
                order[k++] = i;
    for (size_t t = 0; t < o->n; t++) {
        size_t i = order[t];
        double fx = x[i] * s, fy = y[i] * s;
        long cx = lround(fx), cy = lround(fy);
        for (long r = 0;; r++) {
            double best = INFINITY;
            long bx = 0, by = 0;
            for (long dx = -r; dx <= r; dx++)
                for (long dy = -r; dy <= r; dy++) {
                    if (labs(dx) != r && labs(dy) != r)
                        continue;
                    if (at(o, cx + dx, cy + dy) != NONE)
                        continue;
                    double dd = hypot((double)(cx + dx) - fx, (double)(cy + dy) - fy);
                    if (dd < best) {
                        best = dd;
                        bx = cx + dx;
                        by = cy + dy;
                    }
                }
            if (isfinite(best)) {
                o->gx[i] = bx;
                o->gy[i] = by;
                occupy(o, i);
                break;
            }
        }
    }
    free(len);
    free(order);
    return 0;
}

/* One round of moves within radius r; returns the number of places moved. */
static size_t octi_round(octi *o, long r, double effort)
{
    size_t moved = 0;
    for (size_t i = 0; i < o->n && o->work < effort; i++) {
        if (o->aoff[i + 1] == o->aoff[i])
            continue;
        long x0 = o->gx[i], y0 = o->gy[i], bx = x0, by = y0;
        double best = place_cost(o, i, x0, y0) - 1e-9;
        for (long dx = -r; dx <= r; dx++)
            for (long dy = -r; dy <= r; dy++) {
                if ((dx == 0 && dy == 0) || at(o, x0 + dx, y0 + dy) != NONE)
                    continue;
                double c = place_cost(o, i, x0 + dx, y0 + dy);
                if (c < best) {
                    best = c - 1e-9;
                    bx = x0 + dx;
                    by = y0 + dy;
                }
            }
        if (bx != x0 || by != y0) {
            vacate(o, i);
            o->gx[i] = bx;
            o->gy[i] = by;
            occupy(o, i);
            moved++;
        }
    }
    return moved;
}

int corridor__octi_layout(double *x, double *y, size_t n, const size_t *pairs, size_t npairs,
                          double effort)
{
    octi o;
    int err = 0;
    memset(&o, 0, sizeof o);
    o.n = n;
    if (n == 0)
        return 0;
    if (effort <= 0)
        effort = 4e8;
    for (o.nb = 16; o.nb < 2 * n; o.nb *= 2)
        ;
    o.gx = calloc(n, sizeof *o.gx);
    o.gy = calloc(n, sizeof *o.gy);
    o.head = malloc(o.nb * sizeof *o.head);
    o.next = malloc(n * sizeof *o.next);
    if (!o.gx || !o.gy || !o.head || !o.next) {
        err = corridor__oom();
        goto done;
    }
    for (size_t b = 0; b < o.nb; b++)
        o.head[b] = NONE;
    if ((err = octi_lines(&o, x, y, pairs, npairs)) < 0 || (err = octi_snap(&o, x, y)) < 0)
        goto done;
    static const long radii[] = {4, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1};
    for (size_t k = 0; k < sizeof radii / sizeof radii[0] && o.work < effort; k++)
        if (octi_round(&o, radii[k], effort) == 0 && radii[k] == 1)
            break;
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)o.gx[i];
        y[i] = (double)o.gy[i];
    }
done:
    free(o.gx);
    free(o.gy);
    free(o.head);
    free(o.next);
    free(o.eu);
    free(o.ev);
    free(o.phi);
    free(o.aoff);
    free(o.aedg);
    return err;
}

/* ---------------------------------------------------------------------- bends */

/* Crossings of the two pieces a-c, c-b with the lines not at a or b, and places on them. */
static size_t bend_clashes(const double *x, const double *y, size_t n, const size_t *pairs,
                           size_t np, size_t a, size_t b, long cx, long cy)
{
    long ax = lround(x[a]), ay = lround(y[a]), bx = lround(x[b]), by = lround(y[b]);
    size_t c = 0;
    for (size_t k = 0; k < np; k++) {
        size_t u = pairs[2 * k], v = pairs[2 * k + 1];
        if (u == a || u == b || v == a || v == b || u >= n || v >= n)
            continue;
        long ux = lround(x[u]), uy = lround(y[u]), vx = lround(x[v]), vy = lround(y[v]);
        c += (size_t)seg_cross(ax, ay, cx, cy, ux, uy, vx, vy) +
             (size_t)seg_cross(cx, cy, bx, by, ux, uy, vx, vy);
    }
    for (size_t k = 0; k < n; k++) {
        long px = lround(x[k]), py = lround(y[k]);
        if (k == a || k == b)
            continue;
        if ((px == cx && py == cy) || near_seg(px, py, ax, ay, cx, cy) ||
            near_seg(px, py, cx, cy, bx, by))
            c += 10;
    }
    return c;
}

int corridor__octi_bend(double *bx, double *by, const double *x, const double *y, size_t n,
                        const size_t *pairs, size_t npairs, size_t a, size_t b)
{
    long dx = lround(x[b] - x[a]), dy = lround(y[b] - y[a]);
    if (dx == 0 || dy == 0 || labs(dx) == labs(dy))
        return 0;
    long m = labs(dx) < labs(dy) ? labs(dx) : labs(dy);
    long sx = dx > 0 ? 1 : -1, sy = dy > 0 ? 1 : -1;
    /* diagonal first, or straight first */
    long c1x = lround(x[a]) + sx * m, c1y = lround(y[a]) + sy * m;
    long c2x = lround(x[b]) - sx * m, c2y = lround(y[b]) - sy * m;
    size_t k1 = bend_clashes(x, y, n, pairs, npairs, a, b, c1x, c1y);
    size_t k2 = bend_clashes(x, y, n, pairs, npairs, a, b, c2x, c2y);
    *bx = (double)(k2 < k1 ? c2x : c1x);
    *by = (double)(k2 < k1 ? c2y : c1y);
    return 1;
}

/* ------------------------------------------------------------------ seeding */

/* Kamada-Kawai of one component (places cx, cy, lines cp) with spring lengths w; in place. */
static int kk_run(double *cx, double *cy, size_t n, const size_t *cp, const double *w, size_t np)
{
    igraph_t g;
    igraph_vector_int_t el;
    igraph_vector_t wv;
    igraph_matrix_t res;
    int err = 0, have_g = 0, have_el = 0, have_res = 0, have_w = 0;
    igraph_error_t rc;
    if ((rc = igraph_vector_int_init(&el, (igraph_integer_t)(2 * np))) != IGRAPH_SUCCESS)
        goto fail;
    have_el = 1;
    if ((rc = igraph_vector_init(&wv, (igraph_integer_t)np)) != IGRAPH_SUCCESS)
        goto fail;
    have_w = 1;
    for (size_t k = 0; k < np; k++) {
        VECTOR(el)[2 * k] = (igraph_integer_t)cp[2 * k];
        VECTOR(el)[2 * k + 1] = (igraph_integer_t)cp[2 * k + 1];
        VECTOR(wv)[k] = w[k];
    }
    if ((rc = igraph_create(&g, &el, (igraph_integer_t)n, IGRAPH_UNDIRECTED)) != IGRAPH_SUCCESS)
        goto fail;
    have_g = 1;
    if ((rc = igraph_matrix_init(&res, (igraph_integer_t)n, 2)) != IGRAPH_SUCCESS)
        goto fail;
    have_res = 1;
    /* unseeded: a circle to start from, so the result is the same on every run */
    if ((rc = igraph_layout_kamada_kawai(&g, &res, 0, 50 * (igraph_integer_t)n + 100, 0, (double)n,
                                         &wv, NULL, NULL, NULL, NULL)) != IGRAPH_SUCCESS)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        cx[i] = MATRIX(res, i, 0);
        cy[i] = MATRIX(res, i, 1);
    }
    goto done;
fail:
    err = corridor__igraph_error((int)rc);
done:
    if (have_res)
        igraph_matrix_destroy(&res);
    if (have_g)
        igraph_destroy(&g);
    if (have_w)
        igraph_vector_destroy(&wv);
    if (have_el)
        igraph_vector_int_destroy(&el);
    return err;
}

static size_t uf_find(size_t *up, size_t i)
{
    while (up[i] != i)
        i = up[i] = up[up[i]];
    return i;
}

/*
 * Seeded by geography: springs towards sqrt(input length) (median line 1), places
 * pushed apart to at least `spread`, and a weak pull back to the input position, in 300
 * shrinking steps. Opens dense clusters, keeps the map's shape. O(300 n^2).
 */
static void relax(double *x, double *y, const double *gx, const double *gy, size_t n,
                  const size_t *pairs, const double *w, size_t np, double spread)
{
    for (int it = 0; it < 300; it++) {
        double step = 0.5 * (1 - it / 300.0) + 0.05;
        for (size_t k = 0; k < np; k++) {
            size_t u = pairs[2 * k], v = pairs[2 * k + 1];
            double dx = x[v] - x[u], dy = y[v] - y[u], d = hypot(dx, dy);
            if (d < 1e-9)
                continue;
            double f = (d - w[k]) / d * 0.5 * step;
            x[u] += f * dx;
            y[u] += f * dy;
            x[v] -= f * dx;
            y[v] -= f * dy;
        }
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                double dx = x[j] - x[i], dy = y[j] - y[i], d = hypot(dx, dy);
                if (d >= spread)
                    continue;
                if (d < 1e-9) {
                    dx = 1e-3 * (double)(j - i);
                    dy = 0;
                    d = fabs(dx);
                }
                double f = (spread - d) / d * 0.5 * step;
                x[i] -= f * dx;
                y[i] -= f * dy;
                x[j] += f * dx;
                y[j] += f * dy;
            }
        for (size_t i = 0; i < n; i++) {
            x[i] += (gx[i] - x[i]) * 0.02;
            y[i] += (gy[i] - y[i]) * 0.02;
        }
    }
}

int corridor__octi_seed(double *x, double *y, size_t n, const size_t *pairs, size_t npairs,
                        int use_seed, double spread)
{
    size_t *up = malloc((n + 1) * sizeof *up), *loc = malloc((n + 1) * sizeof *loc);
    size_t *nodes = malloc((n + 1) * sizeof *nodes), *cp = malloc((2 * npairs + 1) * sizeof *cp);
    double *len = malloc((npairs + 1) * sizeof *len), *w = malloc((npairs + 1) * sizeof *w);
    double *cx = malloc((n + 1) * sizeof *cx), *cy = malloc((n + 1) * sizeof *cy);
    double *gx = malloc((n + 1) * sizeof *gx), *gy = malloc((n + 1) * sizeof *gy), med = 0;
    size_t nl = 0;
    int err = 0;
    if (!up || !loc || !nodes || !cp || !len || !w || !cx || !cy || !gx || !gy) {
        err = corridor__oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        up[i] = i;
    for (size_t k = 0; k < npairs; k++) {
        size_t a = uf_find(up, pairs[2 * k]), b = uf_find(up, pairs[2 * k + 1]);
        if (a != b)
            up[a < b ? b : a] = a < b ? a : b;
        double l =
            hypot(x[pairs[2 * k + 1]] - x[pairs[2 * k]], y[pairs[2 * k + 1]] - y[pairs[2 * k]]);
        if (use_seed && l > 0)
            len[nl++] = l;
    }
    if (nl) {
        qsort(len, nl, sizeof *len, cmp_double);
        med = len[nl / 2];
    }
    corridor__igraph_enter();
    double offset = 0; /* unseeded components side by side */
    for (size_t root = 0; root < n && err == 0; root++) {
        if (uf_find(up, root) != root)
            continue;
        size_t nc = 0, np = 0;
        for (size_t i = 0; i < n; i++)
            if (uf_find(up, i) == root) {
                loc[i] = nc;
                nodes[nc] = i;
                cx[nc] = gx[nc] = med > 0 ? x[i] / med : x[i];
                cy[nc] = gy[nc] = med > 0 ? y[i] / med : y[i];
                nc++;
            }
        for (size_t k = 0; k < npairs; k++) {
            if (uf_find(up, pairs[2 * k]) != root)
                continue;
            cp[2 * np] = loc[pairs[2 * k]];
            cp[2 * np + 1] = loc[pairs[2 * k + 1]];
            /* springs as long as the square root of the input length: long lines stay
             * longer, dense clusters open up */
            double l = med > 0 ? hypot(gx[cp[2 * np + 1]] - gx[cp[2 * np]],
                                       gy[cp[2 * np + 1]] - gy[cp[2 * np]])
                               : 1;
            w[np++] = fmin(fmax(sqrt(l), 0.7), 4);
        }
        if (use_seed)
            relax(cx, cy, gx, gy, nc, cp, w, np, spread);
        else if (nc > 1 && (err = kk_run(cx, cy, nc, cp, w, np)) < 0)
            break;
        double xmin = INFINITY, xmax = -INFINITY;
        for (size_t c = 0; c < nc; c++) {
            xmin = fmin(xmin, cx[c]);
            xmax = fmax(xmax, cx[c]);
        }
        for (size_t c = 0; c < nc; c++) {
            x[nodes[c]] = use_seed ? cx[c] : cx[c] - xmin + offset;
            y[nodes[c]] = cy[c];
        }
        offset += xmax - xmin + 3;
    }
    corridor__igraph_leave();
done:
    free(up);
    free(loc);
    free(nodes);
    free(cp);
    free(len);
    free(w);
    free(cx);
    free(cy);
    free(gx);
    free(gy);
    return err;
}

size_t corridor__octi_crossings(const double *x, const double *y, size_t n, const size_t *pairs,
                                size_t npairs)
{
    size_t c = 0;
    for (size_t a = 0; a < npairs; a++)
        for (size_t b = a + 1; b < npairs; b++) {
            size_t p = pairs[2 * a], q = pairs[2 * a + 1], r = pairs[2 * b], t = pairs[2 * b + 1];
            if (p >= n || q >= n || r >= n || t >= n || p == r || p == t || q == r || q == t)
                continue;
            c += (size_t)seg_cross(lround(x[p]), lround(y[p]), lround(x[q]), lround(y[q]),
                                   lround(x[r]), lround(y[r]), lround(x[t]), lround(y[t]));
        }
    return c;
}
