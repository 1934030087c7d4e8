/* test_schematic.c: the octilinear schematic: hand-checked layouts and bends, the Caspian diagram
 * measured. */
#include "testutil.h"

#include <math.h>

#include "render_internal.h"
#include "schematic_internal.h"

/* Twice the signed area of the polygon x, y (n corners): its sign is the turning direction. */
static double signed_area(const double *x, const double *y, size_t n)
{
    double a = 0;
    for (size_t i = 0; i < n; i++)
        a += x[i] * y[(i + 1) % n] - x[(i + 1) % n] * y[i];
    return a;
}

/* A skewed square and a skewed path come out octilinear, on distinct grid points, same turn. */
static void test_small_layouts(void **state)
{
    (void)state;
    double x[4] = {0, 10, 11, 1}, y[4] = {0, 1, 10, 9};
    size_t sq[8] = {0, 1, 1, 2, 2, 3, 3, 0};
    double before = signed_area(x, y, 4);
    assert_int_equal(corridor__octi_layout(x, y, 4, sq, 4, 0), 0);
    for (size_t k = 0; k < 4; k++) {
        size_t a = sq[2 * k], b = sq[2 * k + 1];
        assert_true(corridor__octi_is(x[b] - x[a], y[b] - y[a], 0));
        assert_true(x[a] == floor(x[a]) && y[a] == floor(y[a]));
        for (size_t j = k + 1; j < 4; j++)
            assert_false(x[k] == x[j] && y[k] == y[j]);
    }
    assert_true(signed_area(x, y, 4) * before > 0); /* counter-clockwise stays so */
    /* a path running a little north of east: every piece east or north-east, left to right */
    double px[5] = {0, 10, 20, 30, 40}, py[5] = {0, 2, 3, 5, 7};
    size_t path[8] = {0, 1, 1, 2, 2, 3, 3, 4};
    assert_int_equal(corridor__octi_layout(px, py, 5, path, 4, 0), 0);
    for (size_t k = 0; k < 4; k++) {
        assert_true(corridor__octi_is(px[k + 1] - px[k], py[k + 1] - py[k], 0));
        assert_true(px[k + 1] > px[k]);
        assert_true(py[k + 1] >= py[k]);
    }
    /* repeated lines and loops are ignored; nothing at all is fine */
    double qx[2] = {0, 5}, qy[2] = {0, 0};
    size_t rep[6] = {0, 1, 1, 0, 1, 1};
    assert_int_equal(corridor__octi_layout(qx, qy, 2, rep, 3, 0), 0);
    assert_true(qy[0] == qy[1] && qx[1] > qx[0]);
    assert_int_equal(corridor__octi_layout(NULL, NULL, 0, NULL, 0, 0), 0);
}

/* A line 3 east, 1 north gets one bend; both pieces octilinear, together the whole line. */
static void test_bend(void **state)
{
    (void)state;
    double x[2] = {0, 3}, y[2] = {0, 1}, bx = -1, by = -1;
    size_t p[2] = {0, 1};
    assert_int_equal(corridor__octi_bend(&bx, &by, x, y, 2, p, 1, 0, 1), 1);
    assert_true(corridor__octi_is(bx - x[0], by - y[0], 0));
    assert_true(corridor__octi_is(x[1] - bx, y[1] - by, 0));
    assert_true((bx == 1 && by == 1) || (bx == 2 && by == 0));
    /* a place on the diagonal-first corner makes the other order win */
    double x3[3] = {0, 3, 1}, y3[3] = {0, 1, 1};
    assert_int_equal(corridor__octi_bend(&bx, &by, x3, y3, 3, p, 1, 0, 1), 1);
    assert_true(bx == 2 && by == 0);
    double sx[2] = {0, 2}, sy[2] = {0, 2};
    assert_int_equal(corridor__octi_bend(&bx, &by, sx, sy, 2, p, 1, 0, 1), 0);
}

typedef struct box {
    double x0, y0, x1, y1;
} box;

static int overlap(const box *a, const box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static box node_box(Agnode_t *n)
{
    double x = 0, y = 0;
    char *p = agget(n, (char *)"pos");
    assert_non_null(p);
    assert_int_equal(sscanf(p, "%lf,%lf", &x, &y), 2);
    double w = atof(agget(n, (char *)"width")) * 72, h = atof(agget(n, (char *)"height")) * 72;
    box b = {x - w / 2, y - h / 2, x + w / 2, y + h / 2};
    return b;
}

/*
 * The Caspian schematic, measured from the laid-out graph: every drawn piece of
 * every line at a multiple of 45 degrees (within 1 degree), at least 85% of the
 * lines straight (no bend), and the legend box over no place, no name and with
 * the places on no line (and only those) inside it.
 */
static void test_caspian(void **state)
{
    (void)state;
    corridor_model *m = NULL;
    assert_int_equal(corridor_model_load_builtin(&m, "caspian", NULL), 0);
    corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
    o.layout = CORRIDOR_LAYOUT_SCHEMATIC;
    for (int status = 0; status < 2; status++) {
        o.filter.status = status ? CORRIDOR_STATUS_PLANNED : CORRIDOR_STATUS_OPERATIONAL;
        Agraph_t *g = NULL;
        const char *engine = NULL;
        assert_int_equal(corridor__diagram_build(&g, &engine, NULL, m, &o), 0);
        assert_string_equal(engine, "nop2");
        size_t lines = 0, straight = 0, pieces = 0, octi = 0;
        box legend = {0, 0, 0, 0};
        int have_legend = 0;
        for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
            if (strncmp(agnameof(n), "legend_frame_", 13) == 0) {
                legend = node_box(n);
                have_legend = 1;
            }
            for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
                char *id = agget(e, (char *)"id"), *pos = agget(e, (char *)"pos");
                if (!id || id[0] != 'e' || !pos)
                    continue;
                double pt[64];
                size_t np = 0;
                for (char *p = pos; *p && np + 2 <= 64;) {
                    int used = 0;
                    assert_int_equal(sscanf(p, "%lf,%lf%n", &pt[np], &pt[np + 1], &used), 2);
                    np += 2;
                    p += used;
                    while (*p == ' ')
                        p++;
                }
                size_t k = (np / 2 - 1) / 3; /* Bezier pieces: 3 points each after the first */
                lines++;
                straight += k == 1;
                for (size_t i = 0; i < k; i++) {
                    double dx = pt[6 * i + 6] - pt[6 * i], dy = pt[6 * i + 7] - pt[6 * i + 1];
                    pieces++;
                    octi += (size_t)corridor__octi_is(dx, dy, 1.0);
                }
            }
        }
        assert_true(have_legend);
        assert_true(lines > 80);
        assert_int_equal(octi, pieces);
        if (straight * 100 < lines * 85)
            fail_msg("only %zu of %zu lines straight", straight, lines);
        for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
            char *id = agget(n, (char *)"id");
            int place = id && id[0] == 'n', name = strncmp(agnameof(n), "name_", 5) == 0;
            if (!place && !name)
                continue;
            box b = node_box(n);
            int on_line = place && agfstedge(g, n) != NULL;
            if (name || on_line)
                assert_false(overlap(&b, &legend));
            else
                assert_true(b.x0 >= legend.x0 && b.x1 <= legend.x1 && b.y0 >= legend.y0 &&
                            b.y1 <= legend.y1);
        }
        agclose(g);
    }
    corridor_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_layouts),
        cmocka_unit_test(test_bend),
        cmocka_unit_test(test_caspian),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
