/* test_map.c: maps: names never overlap (measured from the laid-out graph), bad requests, basemaps.
 */
#include "testutil.h"

#include <math.h>

#include "label_internal.h"
#include "render_internal.h"

typedef struct box {
    double x0, y0, x1, y1;
    const char *what;
} box;

/* Reads "x,y" (maybe with "!") of a node's pos. */
static int node_pos(Agnode_t *n, double *x, double *y)
{
    char *p = agget(n, (char *)"pos");
    return p && sscanf(p, "%lf,%lf", x, y) == 2;
}

static double attr(Agnode_t *n, const char *name)
{
    char *v = agget(n, (char *)name);
    return v && *v ? atof(v) : 0;
}

/*
 * Builds the map, then collects every placed name's box and every place symbol's box
 * from the graph (positions and sizes as Graphviz will draw them) and checks, by
 * comparing every pair, that no name overlaps another name or a symbol and that
 * every name lies on the page. Returns the number of names.
 */
static size_t check_no_overlaps(const corridor_model *m, const corridor_render_opts *o)
{
    Agraph_t *g = NULL;
    const char *engine = NULL;
    corridor_render_info info;
    int err = corridor__diagram_build(&g, &engine, &info, m, o);
    if (err)
        print_message("%s\n", corridor_error_message());
    assert_int_equal(err, 0);
    assert_string_equal(engine, "nop2");
    double W = 0, H = 0;
    assert_int_equal(sscanf(agget(g, (char *)"bb"), "0,0,%lf,%lf", &W, &H), 2);
    size_t nn = 0, ns = 0, cap = (size_t)agnnodes(g) + 1;
    box *names = calloc(cap, sizeof *names), *syms = calloc(cap, sizeof *syms);
    assert_non_null(names);
    assert_non_null(syms);
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
        double x, y;
        const char *name = agnameof(n);
        if (!node_pos(n, &x, &y))
            continue;
        double w = attr(n, "width") * 72, h = attr(n, "height") * 72;
        box b = {x - w / 2, y - h / 2, x + w / 2, y + h / 2, name};
        if (strncmp(name, "name_", 5) == 0)
            names[nn++] = b;
        else if (corridor_model_node_count(m) && agget(n, (char *)"id") &&
                 agget(n, (char *)"id")[0] == 'n')
            syms[ns++] = b;
    }
    for (size_t i = 0; i < nn; i++) {
        assert_true(names[i].x0 >= 0 && names[i].y0 >= 0 && names[i].x1 <= W && names[i].y1 <= H);
        for (size_t j = i + 1; j < nn; j++)
            if (names[i].x0 < names[j].x1 && names[j].x0 < names[i].x1 &&
                names[i].y0 < names[j].y1 && names[j].y0 < names[i].y1)
                fail_msg("names overlap: %s (%s) and %s (%s)", names[i].what,
                         agget(agnode(g, (char *)names[i].what, 0), (char *)"label"), names[j].what,
                         agget(agnode(g, (char *)names[j].what, 0), (char *)"label"));
        for (size_t j = 0; j < ns; j++)
            if (names[i].x0 < syms[j].x1 && syms[j].x0 < names[i].x1 && names[i].y0 < syms[j].y1 &&
                syms[j].y0 < names[i].y1)
                fail_msg("name %s overlaps the symbol of %s", names[i].what, syms[j].what);
    }
    /* every drawn place has its name, or is counted as dropped */
    assert_int_equal(nn + info.labels_dropped, ns);
    free(names);
    free(syms);
    agclose(g);
    return nn;
}

/* A dense generated model: a 24 x 24 grid of places 0.15 degrees apart, linked to neighbours. */
static corridor_model *dense_model(void)
{
    size_t cap = 1 << 20, o = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    o += (size_t)snprintf(s + o, cap - o,
                          "{\"format\":\"corridor-model\",\"version\":1,\"name\":\"dense\","
                          "\"corridors\":[{\"id\":\"c\",\"name\":\"Grid\"}],\"nodes\":[");
    for (int i = 0; i < 24; i++)
        for (int j = 0; j < 24; j++)
            o += (size_t)snprintf(s + o, cap - o,
                                  "%s{\"id\":\"p%d_%d\",\"name\":\"Place %d-%d\",\"kind\":\"%s\","
                                  "\"lat\":%.3f,\"lon\":%.3f}",
                                  i || j ? "," : "", i, j, i, j,
                                  (i + j) % 3 == 0   ? "city"
                                  : (i + j) % 3 == 1 ? "junction"
                                                     : "port",
                                  40 + 0.15 * i, 45 + 0.15 * j);
    o += (size_t)snprintf(s + o, cap - o, "],\"edges\":[");
    int first = 1;
    for (int i = 0; i < 24; i++)
        for (int j = 0; j < 24; j++) {
            if (j + 1 < 24) {
                o += (size_t)snprintf(s + o, cap - o,
                                      "%s{\"id\":\"h%d_%d\",\"from\":\"p%d_%d\",\"to\":\"p%d_%d\","
                                      "\"mode\":\"rail\",\"corridors\":[\"c\"],\"distance_km\":12}",
                                      first ? "" : ",", i, j, i, j, i, j + 1);
                first = 0;
            }
            if (i + 1 < 24)
                o += (size_t)snprintf(s + o, cap - o,
                                      ",{\"id\":\"v%d_%d\",\"from\":\"p%d_%d\",\"to\":\"p%d_%d\","
                                      "\"mode\":\"road\",\"distance_km\":17}",
                                      i, j, i, j, i + 1, j);
        }
    o += (size_t)snprintf(s + o, cap - o, "]}");
    assert_true(o < cap);
    corridor_model *m = test_model(s);
    free(s);
    return m;
}

static void test_no_overlaps(void **state)
{
    (void)state;
    static const char *const sizes[] = {"A4", "A3"};
    static const char *const formats[] = {"svg", "png", "pdf"};
    corridor_model *caspian = NULL, *dense = dense_model();
    assert_int_equal(corridor_model_load_builtin(&caspian, "caspian", NULL), 0);
    corridor_model *models[] = {caspian, dense};
    for (size_t mi = 0; mi < 2; mi++)
        for (size_t si = 0; si < 2; si++)
            for (size_t fi = 0; fi < 3; fi++) {
                corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
                o.size = sizes[si];
                o.format = formats[fi]; /* names are measured with the same fonts for all */
                o.filter.status = CORRIDOR_STATUS_PLANNED;
                size_t placed = check_no_overlaps(models[mi], &o);
                assert_true(placed >= 20); /* not "no overlaps" by drawing nothing */
                if (mi == 0 && si == 0) {
                    o.extent = "country:AZ,GE,AM";
                    check_no_overlaps(models[mi], &o);
                }
            }
    corridor_model_free(caspian);
    corridor_model_free(dense);
}

static void test_bad_requests_write_nothing(void **state)
{
    (void)state;
    char *dir = test_tmp_dir(), path[512];
    corridor_model *m = NULL;
    assert_int_equal(corridor_model_load_builtin(&m, "caspian", NULL), 0);
    snprintf(path, sizeof path, "%s/map.png", dir);
    struct {
        const char *projection, *extent, *size, *basemap;
        int want;
    } cases[] = {
        {"+proj=nonsense", NULL, NULL, NULL, CORRIDOR_EUSAGE},
        {"EPSG:999999", NULL, NULL, NULL, CORRIDOR_EUSAGE},
        {NULL, "country:ZZ", NULL, NULL, CORRIDOR_EINVALID},
        {NULL, "corridor:no-such-corridor", NULL, NULL, CORRIDOR_EINVALID},
        {NULL, "1,2,3", NULL, NULL, CORRIDOR_EUSAGE},
        {NULL, NULL, "0x0mm", NULL, CORRIDOR_EUSAGE},
        {NULL, NULL, "0x100px", NULL, CORRIDOR_EUSAGE},
        {NULL, NULL, "A9", NULL, CORRIDOR_EUSAGE},
        {NULL, NULL, NULL, "tests/fixtures/not-geojson.txt", CORRIDOR_EINVALID},
        {NULL, NULL, NULL, "tests/fixtures/broken.geojson", CORRIDOR_EINVALID},
        {NULL, NULL, NULL, "tests/fixtures/tiny.json", CORRIDOR_EINVALID},
        {NULL, NULL, NULL, "tests/fixtures/no-such-file.geojson", CORRIDOR_EIO},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
        o.projection = cases[i].projection;
        o.extent = cases[i].extent;
        o.size = cases[i].size;
        o.basemap = cases[i].basemap;
        int err = corridor_render(NULL, m, path, &o);
        if (err != cases[i].want)
            fail_msg("case %zu: %d, want %d (%s)", i, err, cases[i].want, corridor_error_message());
        assert_int_equal(test_count_files(dir), 0);
    }
    corridor_model_free(m);
    test_rm_dir(dir);
}

static void test_user_basemap_and_projection(void **state)
{
    (void)state;
    char *dir = test_tmp_dir(), path[512], bm[512];
    corridor_model *m = test_load_file("tests/fixtures/render-tiny.json");
    snprintf(bm, sizeof bm, "%s/island.geojson", dir);
    FILE *f = fopen(bm, "w");
    assert_non_null(f);
    fputs("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
          "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[49,39],[53,39],[53,42],[49,42],"
          "[49,39]]]}},{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":"
          "\"LineString\",\"coordinates\":[[51.5,39],[51.5,42]]}}]}",
          f);
    fclose(f);
    corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
    o.basemap = bm;
    o.projection = "EPSG:3857";
    o.size = "200x150mm";
    snprintf(path, sizeof path, "%s/map.svg", dir);
    int err = corridor_render(NULL, m, path, &o);
    if (err)
        print_message("%s\n", corridor_error_message());
    assert_int_equal(err, 0);
    char *svg = test_slurp(path, NULL);
    /* 200 x 150 mm is 566.9 x 425.2 points; the land, the line, the source line */
    assert_non_null(strstr(svg, "viewBox=\"0.00 0.00 566.93 425.20\""));
    assert_non_null(strstr(svg, "fill=\"#f4f1ea\""));
    assert_non_null(strstr(svg, "<polyline fill=\"none\" stroke=\"#9a9a9a\""));
    assert_non_null(strstr(svg, "Projection: EPSG:3857"));
    free(svg);
    /* no basemap: the sea only, no land */
    o.basemap = "none";
    assert_int_equal(corridor_render(NULL, m, path, &o), 0);
    svg = test_slurp(path, NULL);
    assert_null(strstr(svg, "fill=\"#f4f1ea\""));
    free(svg);
    corridor_model_free(m);
    test_rm_dir(dir);
}

/* 1 if the segment a-b passes through the box (sampled every 0.5 points: independent of
 * the clipping used by the library). */
static int crosses(const box *r, double ax, double ay, double bx, double by)
{
    double len = hypot(bx - ax, by - ay);
    int steps = (int)(len / 0.5) + 1;
    for (int i = 0; i <= steps; i++) {
        double x = ax + (bx - ax) * i / steps, y = ay + (by - ay) * i / steps;
        if (x > r->x0 && x < r->x1 && y > r->y0 && y < r->y1)
            return 1;
    }
    return 0;
}

/* Countries on the map: no link runs through the box of a country it does not join. */
/*
 * The leader rule: a symbol whose surroundings (30 pt each way) are taken. A name
 * below LABEL_LEADER, which may go 24 pt from its symbol at most, is dropped; a
 * name of higher priority goes 38 pt out, on a leader line, clear of the box.
 */
static void test_leader_rule(void **state)
{
    (void)state;
    const double frame[4] = {0, 0, 400, 400}, obst[4] = {170, 170, 230, 230};
    for (int k = 0; k < 2; k++) {
        cor_label L;
        memset(&L, 0, sizeof L);
        L.x = L.y = 200;
        L.r = 1;
        L.w = 40;
        L.h = 10;
        L.priority = k ? LABEL_LEADER : LABEL_LEADER - 1;
        size_t dropped = 9;
        assert_int_equal(corridor__labels_place(&dropped, &L, 1, obst, 1, NULL, 0, frame, 10), 0);
        assert_int_equal(dropped, k ? 0 : 1);
        assert_int_equal(L.placed, k);
        if (k) {
            assert_true(L.gap > 24);
            assert_false(L.cx - L.w / 2 < 230 && L.cx + L.w / 2 > 170 && L.cy - L.h / 2 < 230 &&
                         L.cy + L.h / 2 > 170);
        }
    }
}

static void test_countries_links_avoid_boxes(void **state)
{
    (void)state;
    corridor_model *m = NULL;
    assert_int_equal(corridor_model_load_builtin(&m, "caspian", NULL), 0);
    corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
    o.layout = CORRIDOR_LAYOUT_COUNTRIES;
    Agraph_t *g = NULL;
    const char *engine = NULL;
    assert_int_equal(corridor__diagram_build(&g, &engine, NULL, m, &o), 0);
    box boxes[64];
    size_t nb = 0, links = 0, bent = 0;
    for (Agnode_t *n = agfstnode(g); n && nb < 64; n = agnxtnode(g, n)) {
        double x, y;
        if (strncmp(agnameof(n), "country:", 8) != 0 || !node_pos(n, &x, &y))
            continue;
        /* the box as Graphviz sizes it: its label's lines (measured from the DOT after
         * layout would need a layout; the library's own estimate is checked instead) */
        double w = attr(n, "width") * 72, h = attr(n, "height") * 72;
        if (w == 0) { /* not fixed: use the label length as a lower bound */
            w = 30;
            h = 20;
        }
        boxes[nb++] = (box){x - w / 2, y - h / 2, x + w / 2, y + h / 2, agnameof(n)};
    }
    assert_true(nb >= 10);
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
            const char *t = agnameof(agtail(e)), *h = agnameof(aghead(e));
            if (strncmp(t, "country:", 8) != 0 || strncmp(h, "country:", 8) != 0)
                continue;
            double pts[64];
            size_t np = 0;
            char *pos = agget(e, (char *)"pos");
            double ax, ay, bx, by;
            node_pos(agtail(e), &ax, &ay);
            node_pos(aghead(e), &bx, &by);
            if (pos && *pos) {
                for (char *p = pos; np < 64 && sscanf(p, "%lf,%lf", &pts[np], &pts[np + 1]) == 2;
                     np += 2) {
                    p = strchr(p, ' ');
                    if (!p)
                        break;
                    p++;
                }
                bent++;
            } else {
                pts[0] = ax, pts[1] = ay, pts[2] = bx, pts[3] = by;
                np = 4;
            }
            links++;
            for (size_t i = 0; i + 3 < np + 2 && i + 3 < 64 && i + 2 < np; i += 2)
                for (size_t k = 0; k < nb; k++) {
                    if (strcmp(boxes[k].what, t) == 0 || strcmp(boxes[k].what, h) == 0)
                        continue;
                    if (crosses(&boxes[k], pts[i], pts[i + 1], pts[i + 2], pts[i + 3]))
                        fail_msg("link %s - %s crosses the box of %s", t, h, boxes[k].what);
                }
        }
    assert_true(links >= 10);
    assert_true(bent >= 1); /* some link had to bend (AZ - IR around Armenia) */
    agclose(g);
    corridor_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_overlaps),
        cmocka_unit_test(test_bad_requests_write_nothing),
        cmocka_unit_test(test_user_basemap_and_projection),
        cmocka_unit_test(test_countries_links_avoid_boxes),
        cmocka_unit_test(test_leader_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
