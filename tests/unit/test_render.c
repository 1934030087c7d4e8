/* test_render.c: diagrams: formats, layouts, styling, highlighted routes, bad requests. */
#include "testutil.h"

#include <dirent.h>
#include <internal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define TINY "tests/fixtures/render-tiny.json"

/* Renders the tiny model into dir/name and returns the file's text. */
static char *render(const char *dir, const char *name, const corridor_render_opts *o, size_t *len)
{
    corridor_model *m = test_load_file(TINY);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int err = corridor_render_file(m, path, o);
    if (err)
        print_message("%s\n", corridor_error_message());
    assert_int_equal(err, 0);
    corridor_model_free(m);
    return test_slurp(path, len);
}

static void test_formats_from_extension(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
    size_t len = 0;
    char *svg = render(dir, "a.svg", &o, &len);
    assert_non_null(strstr(svg, "<svg"));
    assert_non_null(strstr(svg, "</svg>"));
    free(svg);
    char *png = render(dir, "a.PNG", &o, &len);
    assert_true(len > 5000);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    free(png);
    char *pdf = render(dir, "a.pdf", &o, &len);
    assert_true(len > 2000);
    assert_memory_equal(pdf, "%PDF-", 5);
    free(pdf);
    char *dot = render(dir, "a.dot", &o, &len);
    assert_non_null(strstr(dot, "graph corridor {"));
    assert_non_null(strstr(dot, "bb=")); /* laid out */
    free(dot);
    o.format = "svg"; /* the format given wins over the extension */
    char *forced = render(dir, "b.png", &o, &len);
    assert_non_null(strstr(forced, "<svg"));
    free(forced);
    assert_int_equal(test_count_files(dir), 5); /* no temporary files left */
    test_rm_dir(dir);
}

static void test_bad_requests_leave_nothing(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_model *m = test_load_file(TINY);
    corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
    char path[512];

    snprintf(path, sizeof path, "%s/x.jpg", dir);
    assert_int_equal(corridor_render_file(m, path, &o), CORRIDOR_EUSAGE);
    assert_string_equal(corridor_error_message(),
                        "unknown format \"jpg\" (expected svg, png, pdf, dot or html)");
    o.format = "gif";
    snprintf(path, sizeof path, "%s/x.svg", dir);
    assert_int_equal(corridor_render_file(m, path, &o), CORRIDOR_EUSAGE);
    assert_string_equal(corridor_error_message(),
                        "unknown format \"gif\" (expected svg, png, pdf, dot or html)");
    o.format = NULL;
    snprintf(path, sizeof path, "%s/noextension", dir);
    assert_int_equal(corridor_render_file(m, path, &o), CORRIDOR_EUSAGE);

    assert_int_equal(corridor_render_file(m, "/nonexistent/x.svg", &o), CORRIDOR_EIO);
    assert_non_null(strstr(corridor_error_message(), "/nonexistent/x.svg"));

    const char *corr[] = {"nowhere"};
    o.filter.corridors = corr;
    o.filter.n_corridors = 1;
    snprintf(path, sizeof path, "%s/x.svg", dir);
    assert_int_equal(corridor_render_file(m, path, &o), CORRIDOR_EINVALID);
    assert_non_null(strstr(corridor_error_message(), "nowhere"));
    o.filter.n_corridors = 0;

    /* a route that is not in this model */
    corridor_hop hop;
    memset(&hop, 0, sizeof hop);
    hop.edge = "no-such-edge";
    corridor_route r;
    memset(&r, 0, sizeof r);
    r.rank = 1;
    r.hops = &hop;
    r.n_edges = 1;
    corridor_routes rs;
    memset(&rs, 0, sizeof rs);
    rs.from = "a";
    rs.to = "c";
    rs.routes = &r;
    rs.n = 1;
    o.highlight = &rs;
    assert_int_equal(corridor_render_file(m, path, &o), CORRIDOR_EINVALID);
    assert_non_null(strstr(corridor_error_message(), "no-such-edge"));
    o.highlight = NULL;

    o.layout = (corridor_layout)7;
    assert_int_equal(corridor_render_file(m, path, &o), CORRIDOR_EUSAGE);

    assert_int_equal(test_count_files(dir), 0);
    corridor_model_free(m);
    test_rm_dir(dir);
}

static void test_svg_names_and_status(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
    char *svg = render(dir, "op.svg", &o, NULL);
    /* every operational place's name, escaped for XML; the planned one is not drawn */
    assert_non_null(strstr(svg, ">Alpha &quot;port&quot;</text>"));
    assert_non_null(strstr(svg, ">Bravo, junction</text>"));
    assert_non_null(strstr(svg, ">Çharlie</text>"));
    assert_non_null(strstr(svg, ">Delta (no coordinates)</text>"));
    assert_null(strstr(svg, ">Echo field</text>"));
    assert_non_null(strstr(svg, ">tiny</text>"));                /* title */
    assert_non_null(strstr(svg, ">operational network</text>")); /* subtitle */
    assert_non_null(strstr(svg, ">South &amp; sea</text>"));     /* legend */
    free(svg);
    o.filter.status = CORRIDOR_STATUS_PLANNED;
    svg = render(dir, "planned.svg", &o, NULL);
    assert_non_null(strstr(svg, ">Echo field</text>"));
    assert_non_null(strstr(svg, "#c0392b"));              /* corridor colour */
    assert_non_null(strstr(svg, "stroke-opacity=\"0.4")); /* the planned link is lighter */
    free(svg);
    o.filter.status = CORRIDOR_STATUS_OPERATIONAL;
    o.filter.year = 2030; /* opens in 2030: drawn */
    svg = render(dir, "y2030.svg", &o, NULL);
    assert_non_null(strstr(svg, ">Echo field</text>"));
    assert_non_null(strstr(svg, "network in 2030"));
    free(svg);
    o.filter.year = 2029;
    svg = render(dir, "y2029.svg", &o, NULL);
    assert_null(strstr(svg, ">Echo field</text>"));
    free(svg);
    test_rm_dir(dir);
}

/* The styled graph, not laid out, as the DOT exporter writes it. */
static void test_styles(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
    o.filter.status = CORRIDOR_STATUS_PLANNED;
    char *dot = render(dir, "s.dot", &o, NULL);
    /* shape by kind */
    assert_non_null(strstr(dot, "shape=house"));   /* port a */
    assert_non_null(strstr(dot, "shape=point"));   /* junction b */
    assert_non_null(strstr(dot, "shape=diamond")); /* border d */
    assert_non_null(strstr(dot, "shape=star"));    /* field e */
    /* two corridors on one link: two colours side by side */
    assert_non_null(strstr(dot, "color=\"#c0392b:#2980b9\""));
    /* sea dashed, pipeline one-way and thick, planned power light */
    assert_non_null(strstr(dot, "style=dashed"));
    assert_non_null(strstr(dot, "dir=forward"));
    assert_non_null(strstr(dot, "penwidth=5"));
    assert_non_null(strstr(dot, "color=\"#c0392b66\""));
    /* pinned positions */
    assert_non_null(strstr(dot, "layout=nop"));
    free(dot);
    test_rm_dir(dir);
}

static void test_layouts(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
    o.layout = CORRIDOR_LAYOUT_SCHEMATIC;
    char *dot = render(dir, "schematic.dot", &o, NULL);
    assert_non_null(strstr(dot, "layout=nop2"));
    assert_non_null(strstr(dot, "legend_frame_"));
    assert_non_null(strstr(dot, "label=\"Bravo, junction\""));
    free(dot);
    char *svg = render(dir, "schematic.svg", &o, NULL);
    assert_non_null(strstr(svg, ">Çharlie</text>"));
    free(svg);
    o.layout = CORRIDOR_LAYOUT_COUNTRIES;
    dot = render(dir, "countries.dot", &o, NULL);
    assert_non_null(strstr(dot, "\"country:AA\""));
    assert_non_null(strstr(dot, "\"country:BB\""));
    assert_non_null(strstr(dot, "Aland (AA)\\n2 places"));
    /* one link AA-BB (b-c), with its corridor, mode and count */
    assert_non_null(strstr(dot, "south\\nsea\\n1 link"));
    assert_null(strstr(dot, "\"country:AA\" -- \"country:AA\""));
    free(dot);
    test_rm_dir(dir);
}

static void test_highlight(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_model *m = test_load_file(TINY);
    corridor_route_opts ro = CORRIDOR_ROUTE_OPTS_INIT;
    ro.k = 3;
    corridor_routes *rs = NULL;
    int err = corridor_route_find(&rs, m, "a", "c", &ro);
    if (err)
        print_message("%s\n", corridor_error_message());
    assert_int_equal(err, 0);
    assert_true(rs->n >= 2);
    corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
    o.highlight = rs;
    char path[512];
    snprintf(path, sizeof path, "%s/h.dot", dir);
    assert_int_equal(corridor_render_file(m, path, &o), 0);
    char *dot = test_slurp(path, NULL);
    /* option 1 red and boldest, option 2 blue, shared b-c both; the rest faded */
    assert_non_null(strstr(dot, "#e41a1c"));
    assert_non_null(strstr(dot, "#377eb8"));
    assert_non_null(strstr(dot, "color=\"#e41a1c:#377eb8"));
    assert_non_null(strstr(dot, "penwidth=6"));
    assert_non_null(strstr(dot, "#9e9e9e55")); /* c-d is on no route */
    free(dot);
    snprintf(path, sizeof path, "%s/h.svg", dir);
    assert_int_equal(corridor_render_file(m, path, &o), 0);
    char *svg = test_slurp(path, NULL);
    assert_non_null(strstr(svg, ">route options from a to c by time</text>")); /* subtitle */
    free(svg);
    corridor_routes_free(rs);
    corridor_model_free(m);
    test_rm_dir(dir);
}

static void test_corridor_filter(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
    const char *only[] = {"south"};
    o.filter.corridors = only;
    o.filter.n_corridors = 1;
    char *svg = render(dir, "south.svg", &o, NULL);
    assert_non_null(strstr(svg, "corridors: south"));
    assert_non_null(strstr(svg, "a&#45;b: "));        /* the rail link is in south */
    assert_null(strstr(svg, "Alpha&#45;Bravo road")); /* the road is east only */
    assert_null(strstr(svg, ">Delta (no coordinates)</text>"));
    free(svg);
    test_rm_dir(dir);
}

static void test_coordinates_missing(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    char path[512];
    corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
    /* no coordinates at all: the geo layout falls back to a schematic */
    corridor_model *m = test_model(
        "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"flat\","
        " \"nodes\": [{\"id\": \"p\", \"kind\": \"city\"}, {\"id\": \"q\", \"kind\": \"city\"}],"
        " \"edges\": [{\"id\": \"p-q\", \"from\": \"p\", \"to\": \"q\", \"mode\": \"road\"}]}");
    snprintf(path, sizeof path, "%s/flat.dot", dir);
    assert_int_equal(corridor_render_file(m, path, &o), 0);
    char *dot = test_slurp(path, NULL);
    assert_non_null(strstr(dot, "layout=nop2")); /* the schematic, laid out by schematic.c */
    assert_non_null(strstr(dot, "legend_frame_"));
    free(dot);
    corridor_model_free(m);
    /* a place with neither coordinates nor placed neighbours is left out, with a note */
    m = test_model("{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"lost\","
                   " \"nodes\": [{\"id\": \"p\", \"kind\": \"city\", \"lat\": 1, \"lon\": 2},"
                   "  {\"id\": \"q\", \"kind\": \"city\", \"lat\": 1.5, \"lon\": 2.5},"
                   "  {\"id\": \"r\", \"kind\": \"city\"}, {\"id\": \"s\", \"kind\": \"port\"}],"
                   " \"edges\": [{\"id\": \"p-q\", \"from\": \"p\", \"to\": \"q\", \"mode\": "
                   "\"road\"}, {\"id\": \"r-s\", \"from\": \"r\", \"to\": \"s\", \"mode\": "
                   "\"sea\"}]}");
    snprintf(path, sizeof path, "%s/lost.svg", dir);
    assert_int_equal(corridor_render_file(m, path, &o), 0);
    char *svg = test_slurp(path, NULL);
    assert_non_null(strstr(svg, "not drawn (no coordinates): r, s"));
    free(svg);
    /* empty selection: still a diagram */
    const char *avoid[] = {"node:p", "node:q", "node:r", "node:s"};
    o.filter.avoid = avoid;
    o.filter.n_avoid = 4;
    snprintf(path, sizeof path, "%s/empty.png", dir);
    assert_int_equal(corridor_render_file(m, path, &o), 0);
    corridor_model_free(m);
    test_rm_dir(dir);
}

/* ">text<" as Graphviz writes it into SVG (it also escapes '-' and '\''). */
static void gv_escape(char *out, size_t n, const char *s)
{
    size_t o = 0;
    out[o++] = '>';
    for (; *s && o + 8 < n; s++) {
        const char *r = *s == '&'    ? "&amp;"
                        : *s == '<'  ? "&lt;"
                        : *s == '>'  ? "&gt;"
                        : *s == '"'  ? "&quot;"
                        : *s == '\'' ? "&#39;"
                        : *s == '-'  ? "&#45;"
                                     : NULL;
        if (r) {
            memcpy(out + o, r, strlen(r));
            o += strlen(r);
        } else {
            out[o++] = *s;
        }
    }
    out[o] = '\0';
}

static void test_builtin_model(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_model *m = NULL;
    assert_int_equal(corridor_model_load_builtin(&m, "caspian", NULL), 0);
    corridor_render_opts o = CORRIDOR_RENDER_OPTS_INIT;
    o.filter.status = CORRIDOR_STATUS_PLANNED;
    for (int layout = 0; layout < 3; layout++) {
        char path[512];
        o.layout = (corridor_layout)layout;
        snprintf(path, sizeof path, "%s/caspian%d.svg", dir, layout);
        corridor_render_info info;
        int err = corridor_render(&info, m, path, &o);
        if (err)
            print_message("%s\n", corridor_error_message());
        assert_int_equal(err, 0);
        char *svg = test_slurp(path, NULL);
        /* every place's (or country's) name is on the diagram, but those the map reports
         * dropped for lack of room */
        size_t n = layout == CORRIDOR_LAYOUT_COUNTRIES ? m->n_countries : m->n_nodes, missing = 0;
        for (size_t i = 0; i < n; i++) {
            if (layout != CORRIDOR_LAYOUT_COUNTRIES && m->nodes[i].status == CORRIDOR_STATUS_CLOSED)
                continue;
            char want[600];
            gv_escape(want, sizeof want,
                      layout == CORRIDOR_LAYOUT_COUNTRIES ? m->countries[i].name
                                                          : m->nodes[i].name);
            if (!strstr(svg, want) && layout != CORRIDOR_LAYOUT_GEO)
                fail_msg("layout %d: no %s in the SVG", layout, want);
            missing += strstr(svg, want) == NULL;
        }
        assert_int_equal(missing, info.labels_dropped);
        if (layout == CORRIDOR_LAYOUT_GEO)
            assert_true(missing < n / 3);
        free(svg);
    }
    corridor_model_free(m);
    test_rm_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats_from_extension),
        cmocka_unit_test(test_bad_requests_leave_nothing),
        cmocka_unit_test(test_svg_names_and_status),
        cmocka_unit_test(test_styles),
        cmocka_unit_test(test_layouts),
        cmocka_unit_test(test_highlight),
        cmocka_unit_test(test_corridor_filter),
        cmocka_unit_test(test_coordinates_missing),
        cmocka_unit_test(test_builtin_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
