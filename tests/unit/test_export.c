/* test_export.c: network files read back by igraph, cJSON, cgraph and our own loader. */
#include "testutil.h"

#include <cJSON.h>
#include <cgraph.h>
#include <dirent.h>
#include <igraph.h>
#include <internal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define TINY "tests/fixtures/render-tiny.json"

/* Exports `m` into dir/name; returns the path (static buffer). */
static const char *export_to(const corridor_model *m, corridor_export_format f, const char *dir,
                             const char *name, const corridor_export_opts *o)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int err = corridor_export_file(m, f, path, o);
    if (err)
        print_message("%s\n", corridor_error_message());
    assert_int_equal(err, 0);
    return path;
}

/* ------------------------------------------------------------ model equality */

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fail_msg(__VA_ARGS__);                                                                 \
    } while (0)

/* Everything the model says (what was given and what follows from it) is the same. */
static void assert_same_model(const corridor_model *a, const corridor_model *b)
{
    CHECK(same_str(a->name, b->name), "name");
    CHECK(same_str(a->description, b->description), "description");
    for (int c = 0; c < COR_NCOM; c++)
        CHECK(strcmp(corridor_model_unit(a, (corridor_commodity)c),
                     corridor_model_unit(b, (corridor_commodity)c)) == 0,
              "unit %d", c);
    CHECK(a->defaults_given == b->defaults_given, "defaults given");
    for (int k = 0; k < COR_NMODE; k++)
        CHECK(same_num(a->defaults[k].speed_kmh, b->defaults[k].speed_kmh) &&
                  same_num(a->defaults[k].cost_usd_per_km, b->defaults[k].cost_usd_per_km) &&
                  same_num(a->defaults[k].co2_kg_per_km, b->defaults[k].co2_kg_per_km),
              "defaults of mode %d", k);
    CHECK(a->n_countries == b->n_countries, "countries");
    for (size_t i = 0; i < a->n_countries; i++)
        CHECK(same_str(a->countries[i].code, b->countries[i].code) &&
                  same_str(a->countries[i].name, b->countries[i].name),
              "country %zu", i);
    CHECK(a->n_corridors == b->n_corridors, "corridors");
    for (size_t i = 0; i < a->n_corridors; i++) {
        const cor_corridor *x = &a->corridors[i], *y = &b->corridors[i];
        CHECK(same_str(x->id, y->id) && same_str(x->name, y->name) &&
                  same_str(x->color, y->color) && same_str(x->description, y->description),
              "corridor %zu", i);
    }
    CHECK(a->n_nodes == b->n_nodes, "nodes %zu vs %zu", a->n_nodes, b->n_nodes);
    for (size_t i = 0; i < a->n_nodes; i++) {
        const cor_node *x = &a->nodes[i], *y = &b->nodes[i];
        CHECK(same_str(x->id, y->id) && same_str(x->name, y->name) && x->kind == y->kind &&
                  x->country == y->country && x->has_pos == y->has_pos &&
                  (!x->has_pos || (x->lat == y->lat && x->lon == y->lon)) &&
                  x->status == y->status && x->opens == y->opens &&
                  same_str(x->source, y->source) && same_str(x->description, y->description),
              "node %s", x->id);
        CHECK(x->transfer_given == y->transfer_given && x->dwell_given == y->dwell_given &&
                  x->capacity_given == y->capacity_given,
              "node %s: given", x->id);
        for (int k = 0; k < COR_NMET; k++)
            CHECK((!(x->transfer_given & (1u << k)) || x->transfer[k] == y->transfer[k]) &&
                      (!(x->dwell_given & (1u << k)) || x->dwell[k] == y->dwell[k]),
                  "node %s: penalty %d", x->id, k);
        for (int c = 0; c < COR_NCOM; c++)
            CHECK(same_num(x->capacity[c], y->capacity[c]), "node %s: capacity %d", x->id, c);
    }
    CHECK(a->n_edges == b->n_edges, "edges %zu vs %zu", a->n_edges, b->n_edges);
    for (size_t i = 0; i < a->n_edges; i++) {
        const cor_edge *x = &a->edges[i], *y = &b->edges[i];
        CHECK(same_str(x->id, y->id) && same_str(x->name, y->name) && x->from == y->from &&
                  x->to == y->to && x->mode == y->mode && x->n_corridors == y->n_corridors &&
                  x->metric_given == y->metric_given && x->capacity_given == y->capacity_given &&
                  x->carries == y->carries && x->gauge == y->gauge && x->oneway == y->oneway &&
                  x->status == y->status && x->opens == y->opens &&
                  same_str(x->source, y->source) && same_str(x->description, y->description),
              "edge %s", x->id);
        for (size_t c = 0; c < x->n_corridors; c++)
            CHECK(x->corridors[c] == y->corridors[c], "edge %s: corridor %zu", x->id, c);
        for (int k = 0; k < COR_NMET; k++) /* given and derived alike */
            CHECK(same_num(x->metric[k], y->metric[k]), "edge %s: metric %d", x->id, k);
        for (int c = 0; c < COR_NCOM; c++)
            CHECK(same_num(x->capacity[c], y->capacity[c]), "edge %s: capacity %d", x->id, c);
    }
}

/* ------------------------------------------------------------------- tests */

static void test_format_parse(void **state)
{
    (void)state;
    static const char *const names[] = {"graphml", "gml", "geojson", "json", "csv", "dot", "pajek"};
    for (int i = 0; i < 7; i++) {
        corridor_export_format f = (corridor_export_format)-1;
        assert_int_equal(corridor_export_format_parse(&f, names[i]), 0);
        assert_int_equal((int)f, i);
    }
    corridor_export_format f;
    assert_int_equal(corridor_export_format_parse(&f, "GraphML"), 0);
    assert_int_equal(f, CORRIDOR_EXPORT_GRAPHML);
    assert_int_equal(corridor_export_format_parse(&f, "graphmll"), CORRIDOR_EUSAGE);
    assert_non_null(strstr(corridor_error_message(), "did you mean \"graphml\""));
    assert_int_equal(corridor_export_format_parse(&f, "nosuchformat"), CORRIDOR_EUSAGE);
    assert_non_null(strstr(corridor_error_message(), "unknown export format \"nosuchformat\""));
    /* a GIS format GDAL writes, by our short name or its driver name */
    assert_int_equal(corridor_export_format_parse(&f, "gpkg"), 0);
    assert_int_equal(f, CORRIDOR_EXPORT_OGR);
    assert_int_equal(corridor_export_format_parse(&f, "FlatGeobuf"), 0);
    assert_int_equal(f, CORRIDOR_EXPORT_OGR);
    assert_int_equal(corridor_export_format_parse(&f, NULL), CORRIDOR_EUSAGE);
}

/* export -f json, load, export -f json: the same bytes and the same model. */
static void round_trip(const corridor_model *m, const corridor_export_opts *o)
{
    char *dir = test_tmp_dir();
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s", export_to(m, CORRIDOR_EXPORT_JSON, dir, "one.json", o));
    corridor_model *again = test_load_file(p1);
    snprintf(p2, sizeof p2, "%s", export_to(again, CORRIDOR_EXPORT_JSON, dir, "two.json", o));
    size_t l1, l2;
    char *t1 = test_slurp(p1, &l1), *t2 = test_slurp(p2, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(t1, t2, l1);
    /* and once more: the reloaded model equals the first reload */
    corridor_model *third = test_load_file(p2);
    assert_same_model(again, third);
    free(t1);
    free(t2);
    corridor_model_free(third);
    corridor_model_free(again);
    test_rm_dir(dir);
}

static void test_json_round_trip(void **state)
{
    (void)state;
    corridor_model *m = test_load_file(TINY);
    corridor_export_opts o = CORRIDOR_EXPORT_OPTS_INIT;
    /* the default is the whole model: the reloaded model is the model */
    round_trip(m, &o);
    o.all_statuses = 0;                        /* below: the filter's status applies */
    o.filter.status = CORRIDOR_STATUS_PLANNED; /* everything: the reloaded model is the model */
    round_trip(m, &o);
    char *dir = test_tmp_dir();
    corridor_model *again = test_load_file(export_to(m, CORRIDOR_EXPORT_JSON, dir, "all.json", &o));
    assert_same_model(m, again);
    corridor_model_free(again);
    /* the default filter (operational) leaves out the planned field and power line */
    o.filter.status = CORRIDOR_STATUS_OPERATIONAL;
    again = test_load_file(export_to(m, CORRIDOR_EXPORT_JSON, dir, "op.json", &o));
    assert_int_equal(corridor_model_node_count(again), 4);
    assert_int_equal(corridor_model_edge_count(again), 4);
    assert_int_equal(corridor__node_find(again, "e"), -1);
    corridor_model_free(again);
    round_trip(m, &o);
    /* derived metrics are not written: rail a-b gives only its distance */
    char *text = test_slurp(export_to(m, CORRIDOR_EXPORT_JSON, dir, "op2.json", &o), NULL);
    assert_non_null(strstr(text, "{\"id\": \"a-b\", \"name\": null, \"from\": \"a\", \"to\": "
                                 "\"b\", \"mode\": \"rail\", \"corridors\": [\"east\", "
                                 "\"south\"], \"distance_km\": 100, \"time_h\": null"));
    assert_non_null(strstr(text, "\"capacity\": {\"freight\": 5000}")); /* a bare number */
    free(text);
    test_rm_dir(dir);
    corridor_model_free(m);

    assert_int_equal(corridor_model_load_builtin(&m, "caspian", NULL), 0);
    o.filter.status = CORRIDOR_STATUS_PLANNED;
    round_trip(m, &o);
    o.filter.status = CORRIDOR_STATUS_OPERATIONAL;
    round_trip(m, &o);
    corridor_model_free(m);
}

/* Edge e of an undirected igraph graph joins a and b (igraph may store them swapped). */
static int same_ends(const igraph_t *g, igraph_integer_t e, size_t a, size_t b)
{
    igraph_integer_t f = IGRAPH_FROM(g, e), t = IGRAPH_TO(g, e);
    return ((size_t)f == a && (size_t)t == b) || ((size_t)f == b && (size_t)t == a);
}

/* 1 if igraph finds a path from a to b (following arc directions). */
static int reaches(const igraph_t *g, igraph_integer_t a, igraph_integer_t b)
{
    igraph_vector_int_t res;
    int found = 0;
    assert_int_equal(igraph_vector_int_init(&res, 0), IGRAPH_SUCCESS);
    assert_int_equal(igraph_subcomponent(g, &res, a, IGRAPH_OUT), IGRAPH_SUCCESS);
    for (igraph_integer_t i = 0; i < igraph_vector_int_size(&res); i++)
        found |= VECTOR(res)[i] == b;
    igraph_vector_int_destroy(&res);
    return found;
}

static void test_graphml_igraph(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_model *m = test_load_file(TINY);
    corridor_export_opts o = CORRIDOR_EXPORT_OPTS_INIT;
    o.all_statuses = 0; /* the filter's status applies, and the file says which */
    o.filter.status = CORRIDOR_STATUS_PLANNED;
    FILE *f = fopen(export_to(m, CORRIDOR_EXPORT_GRAPHML, dir, "t.graphml", &o), "r");
    assert_non_null(f);
    igraph_t g;
    igraph_error_t ierr = igraph_read_graph_graphml(&g, f, 0);
    fclose(f);
    assert_int_equal(ierr, IGRAPH_SUCCESS);
    assert_int_equal(igraph_vcount(&g), 5);
    assert_int_equal(igraph_ecount(&g), 5);
    assert_false(igraph_is_directed(&g));
    assert_string_equal(GAS(&g, "model"), "tiny");
    assert_string_equal(GAS(&g, "filter"), "status planned; carry any");
    assert_string_equal(GAS(&g, "unit_oil"), "t/yr");
    for (igraph_integer_t v = 0; v < igraph_vcount(&g); v++) {
        const cor_node *n = &m->nodes[v];
        assert_string_equal(VAS(&g, "id", v), n->id);
        assert_string_equal(VAS(&g, "name", v), n->name);
        assert_string_equal(VAS(&g, "kind", v), corridor_kind_name(n->kind));
        assert_string_equal(VAS(&g, "country", v), m->countries[n->country].code);
        if (n->has_pos) {
            assert_true(VAN(&g, "lat", v) == n->lat);
            assert_true(VAN(&g, "lon", v) == n->lon);
            assert_true(VAN(&g, "y", v) == n->lat * 100);
        } else {
            assert_true(isnan(VAN(&g, "lat", v)));
        }
    }
    assert_true(VAN(&g, "capacity_freight", 0) == 1000);
    assert_true(isnan(VAN(&g, "capacity_oil", 0)));
    assert_true(VAN(&g, "transfer_cost_usd", 0) == 50);
    assert_true(VAN(&g, "dwell_time_h", 0) == 1.5);
    assert_string_equal(VAS(&g, "source", 0), "test, line 1\nline 2");
    assert_string_equal(VAS(&g, "status", 4), "planned");
    assert_true(VAN(&g, "opens", 4) == 2030);
    for (igraph_integer_t e = 0; e < igraph_ecount(&g); e++) {
        const cor_edge *x = &m->edges[e];
        assert_string_equal(EAS(&g, "id", e), x->id);
        assert_string_equal(EAS(&g, "mode", e), corridor_mode_name(x->mode));
        for (int k = 0; k < COR_NMET; k++) {
            double v = EAN(&g, corridor_metric_field((corridor_metric)k), e);
            assert_true(isnan(x->metric[k]) ? isnan(v) : fabs(v - x->metric[k]) < 1e-9);
        }
        assert_int_equal(EAB(&g, "oneway", e), x->oneway);
        assert_true(same_ends(&g, e, x->from, x->to));
    }
    assert_string_equal(EAS(&g, "corridors", 0), "east;south");
    assert_string_equal(EAS(&g, "derived", 0), "time_h;cost_usd;co2_kg");
    assert_true(EAN(&g, "gauge", 0) == 1520);
    assert_true(EAN(&g, "cost_usd", 2) == 400.25);
    assert_true(EAN(&g, "capacity_freight", 2) == 5000);
    assert_string_equal(EAS(&g, "carries", 3), "oil");
    assert_true(EAN(&g, "capacity_oil", 3) == 100000);
    igraph_destroy(&g);
    corridor_model_free(m);
    test_rm_dir(dir);
}

static void test_gml_and_pajek_igraph(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_model *m = test_load_file(TINY);
    corridor_export_opts o = CORRIDOR_EXPORT_OPTS_INIT;
    o.all_statuses = 0; /* operational: 4 nodes, 4 edges */
    FILE *f = fopen(export_to(m, CORRIDOR_EXPORT_GML, dir, "t.gml", &o), "r");
    assert_non_null(f);
    igraph_t g;
    assert_int_equal(igraph_read_graph_gml(&g, f), IGRAPH_SUCCESS);
    fclose(f);
    assert_int_equal(igraph_vcount(&g), 4);
    assert_int_equal(igraph_ecount(&g), 4);
    assert_string_equal(VAS(&g, "label", 1), "b");
    assert_string_equal(VAS(&g, "name", 1), "Bravo, junction");
    assert_string_equal(VAS(&g, "name", 0), "Alpha \"port\""); /* &quot; decoded */
    assert_string_equal(EAS(&g, "id", 3), "c-d");
    assert_true(EAN(&g, "oneway", 3) == 1);
    assert_true(EAN(&g, "cost_usd", 2) == 400.25);
    assert_true(same_ends(&g, 3, 2, 3));
    igraph_destroy(&g);

    f = fopen(export_to(m, CORRIDOR_EXPORT_PAJEK, dir, "t.net", &o), "r");
    assert_non_null(f);
    assert_int_equal(igraph_read_graph_pajek(&g, f), IGRAPH_SUCCESS);
    fclose(f);
    assert_int_equal(igraph_vcount(&g), 4);
    /* c-d is one-way: all arcs, the three two-way edges two each (igraph reads a file
       mixing *Edges and *Arcs in one direction) */
    assert_true(igraph_is_directed(&g));
    assert_int_equal(igraph_ecount(&g), 7);
    assert_true(reaches(&g, 0, 3) && reaches(&g, 2, 0) && reaches(&g, 1, 0));
    assert_false(reaches(&g, 3, 2)); /* d -> c: against the one-way pipeline */
    assert_string_equal(VAS(&g, "id", 0), "a");
    for (igraph_integer_t v = 0; v < 3; v++) { /* d has no coordinates */
        assert_true(VAN(&g, "x", v) >= 0 && VAN(&g, "x", v) <= 1);
        assert_true(VAN(&g, "y", v) >= 0 && VAN(&g, "y", v) <= 1);
    }
    assert_true(VAN(&g, "y", 2) < VAN(&g, "y", 0)); /* c is north of a: higher up */
    assert_true(EAN(&g, "weight", 0) == 100);       /* distance */
    igraph_destroy(&g);
    corridor_model_free(m);
    test_rm_dir(dir);
}

static const cJSON *member(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        fail_msg("no member %s", key);
    return v;
}

static void test_geojson(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_model *m = test_load_file(TINY);
    corridor_export_opts o = CORRIDOR_EXPORT_OPTS_INIT;
    o.all_statuses = 0; /* operational elements only, as the counts below say */
    char *text = test_slurp(export_to(m, CORRIDOR_EXPORT_GEOJSON, dir, "t.geojson", &o), NULL);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    assert_string_equal(member(root, "type")->valuestring, "FeatureCollection");
    const cJSON *meta = member(root, "corridor");
    assert_string_equal(member(meta, "model")->valuestring, "tiny");
    assert_string_equal(member(member(meta, "filter"), "status")->valuestring, "operational");
    const cJSON *features = member(root, "features");
    assert_int_equal(cJSON_GetArraySize(features), 4 + 4);
    size_t nodes = 0, edges = 0;
    for (const cJSON *ft = features->child; ft; ft = ft->next) {
        const cJSON *props = member(ft, "properties"), *geom = member(ft, "geometry");
        const char *element = member(props, "element")->valuestring;
        const char *id = member(props, "id")->valuestring;
        if (strcmp(element, "node") == 0) {
            const cor_node *n = &m->nodes[corridor__node_find(m, id)];
            nodes++;
            if (!n->has_pos) {
                assert_true(cJSON_IsNull(geom));
                continue;
            }
            assert_string_equal(member(geom, "type")->valuestring, "Point");
            const cJSON *c = member(geom, "coordinates");
            assert_true(cJSON_GetArrayItem(c, 0)->valuedouble == n->lon);
            assert_true(cJSON_GetArrayItem(c, 1)->valuedouble == n->lat);
            assert_string_equal(member(props, "name")->valuestring, n->name);
        } else {
            const cor_edge *e = &m->edges[corridor__edge_find(m, id)];
            const cor_node *a = &m->nodes[e->from], *z = &m->nodes[e->to];
            edges++;
            if (!a->has_pos || !z->has_pos) {
                assert_true(cJSON_IsNull(geom));
                continue;
            }
            assert_string_equal(member(geom, "type")->valuestring, "LineString");
            const cJSON *c = member(geom, "coordinates");
            /* from the first node to the last (a great-circle arc, or the edge's geometry) */
            int last = cJSON_GetArraySize(c) - 1;
            assert_true(last >= 1);
            assert_true(cJSON_GetArrayItem(cJSON_GetArrayItem(c, 0), 0)->valuedouble == a->lon);
            assert_true(cJSON_GetArrayItem(cJSON_GetArrayItem(c, last), 1)->valuedouble == z->lat);
            assert_int_equal(cJSON_GetArraySize(member(props, "corridors")), (int)e->n_corridors);
        }
    }
    assert_int_equal(nodes, 4);
    assert_int_equal(edges, 4);
    cJSON_Delete(root);
    free(text);
    corridor_model_free(m);
    test_rm_dir(dir);
}

/* A minimal RFC 4180 reader: rows of fields. */
typedef struct csv_table {
    char *fields[64][32];
    size_t nfields[64];
    size_t rows;
} csv_table;

static void csv_parse(csv_table *t, const char *s)
{
    memset(t, 0, sizeof *t);
    char cell[512];
    size_t n = 0;
    int quoted = 0, any = 0;
    for (;; s++) {
        if (quoted) {
            assert_true(*s != '\0');
            if (*s == '"' && s[1] == '"')
                cell[n++] = *s++;
            else if (*s == '"')
                quoted = 0;
            else
                cell[n++] = *s;
            continue;
        }
        if (*s == '"') {
            quoted = 1;
            any = 1;
        } else if (*s == ',' || *s == '\n' || *s == '\0') {
            if (*s == '\0' && !any && n == 0 && t->nfields[t->rows] == 0)
                break;
            cell[n] = '\0';
            t->fields[t->rows][t->nfields[t->rows]++] = strdup(cell);
            n = 0;
            any = 0;
            if (*s != ',')
                t->rows++;
            if (*s == '\0')
                break;
        } else {
            cell[n++] = *s;
            any = 1;
        }
    }
}

static void csv_free(csv_table *t)
{
    for (size_t r = 0; r < t->rows; r++)
        for (size_t c = 0; c < t->nfields[r]; c++)
            free(t->fields[r][c]);
}

static void test_csv(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_model *m = test_load_file(TINY);
    corridor_export_opts o = CORRIDOR_EXPORT_OPTS_INIT;
    o.all_statuses = 0; /* operational elements only, as the counts below say */
    export_to(m, CORRIDOR_EXPORT_CSV, dir, "net.csv", &o);
    assert_int_equal(test_count_files(dir), 2);
    char p[512];
    snprintf(p, sizeof p, "%s/net-nodes.csv", dir);
    char *text = test_slurp(p, NULL);
    csv_table t;
    csv_parse(&t, text);
    assert_int_equal(t.rows, 1 + 4);
    for (size_t r = 1; r < t.rows; r++)
        assert_int_equal(t.nfields[r], t.nfields[0]);
    assert_string_equal(t.fields[0][0], "id");
    assert_string_equal(t.fields[1][1], "Alpha \"port\"");
    assert_string_equal(t.fields[2][1], "Bravo, junction");
    size_t src = 0;
    while (strcmp(t.fields[0][src], "source") != 0)
        src++;
    assert_string_equal(t.fields[1][src], "test, line 1\nline 2");
    csv_free(&t);
    free(text);
    snprintf(p, sizeof p, "%s/net-edges.csv", dir);
    text = test_slurp(p, NULL);
    csv_parse(&t, text);
    assert_int_equal(t.rows, 1 + 4);
    for (size_t r = 1; r < t.rows; r++)
        assert_int_equal(t.nfields[r], t.nfields[0]);
    assert_string_equal(t.fields[1][0], "a-b");
    assert_string_equal(t.fields[1][5], "east;south");
    size_t cost = 0; /* columns follow the schema's table: found by name */
    while (strcmp(t.fields[0][cost], "cost_usd") != 0)
        cost++;
    assert_string_equal(t.fields[3][cost], "400.25"); /* b-c cost_usd */
    csv_free(&t);
    free(text);
    /* a path without an extension works the same */
    export_to(m, CORRIDOR_EXPORT_CSV, dir, "plain", &o);
    snprintf(p, sizeof p, "%s/plain-edges.csv", dir);
    assert_int_equal(access(p, F_OK), 0);
    corridor_model_free(m);
    test_rm_dir(dir);
}

static void test_csv_both_or_neither(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_model *m = test_load_file(TINY);
    corridor_export_opts o = CORRIDOR_EXPORT_OPTS_INIT;
    char p[512];
    /* the edges file cannot be written (a folder is in the way) */
    snprintf(p, sizeof p, "%s/x-edges.csv", dir);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/x.csv", dir);
    assert_int_equal(corridor_export_file(m, CORRIDOR_EXPORT_CSV, p, &o), CORRIDOR_EIO);
    assert_non_null(strstr(corridor_error_message(), "x-edges.csv"));
    assert_int_equal(test_count_files(dir), 1); /* no nodes file, no temporary files */
    assert_int_equal(corridor_export_file(m, CORRIDOR_EXPORT_CSV, "/nonexistent/x.csv", &o),
                     CORRIDOR_EIO);
    corridor_model_free(m);
    test_rm_dir(dir);
}

static void test_dot(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_model *m = test_load_file(TINY);
    corridor_export_opts o = CORRIDOR_EXPORT_OPTS_INIT;
    o.all_statuses = 0; /* operational */
    const char *path = export_to(m, CORRIDOR_EXPORT_DOT, dir, "t.dot", &o);
    char *text = test_slurp(path, NULL);
    assert_memory_equal(
        text, "// corridor network from model tiny (" TINY "), status operational",
        strlen("// corridor network from model tiny (" TINY "), status operational"));
    free(text);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    Agraph_t *g = agread(f, NULL);
    fclose(f);
    assert_non_null(g);
    for (const char *const *id = (const char *const[]){"a", "b", "c", "d", NULL}; *id; id++)
        assert_non_null(agnode(g, (char *)*id, 0));
    assert_null(agnode(g, (char *)"e", 0)); /* planned */
    assert_int_equal(agnnodes(g), 4);       /* the graph itself: no legend helpers */
    assert_int_equal(agnedges(g), 4);
    Agnode_t *a = agnode(g, (char *)"a", 0), *b = agnode(g, (char *)"b", 0);
    assert_string_equal(agget(a, (char *)"name"), "Alpha \"port\"");
    assert_string_equal(agget(a, (char *)"label"), "Alpha \"port\"");
    assert_string_equal(agget(a, (char *)"kind"), "port");
    assert_null(agget(a, (char *)"shape")); /* no drawing style */
    int parallel = 0;
    for (Agedge_t *e = agfstedge(g, a); e; e = agnxtedge(g, e, a))
        parallel += aghead(e) == b || agtail(e) == b;
    assert_int_equal(parallel, 2); /* a-b and a-b-road */
    Agedge_t *cd = agfstedge(g, agnode(g, (char *)"d", 0));
    assert_non_null(cd);
    assert_string_equal(agget(cd, (char *)"oneway"), "true");
    assert_string_equal(agget(cd, (char *)"dir"), "forward");
    assert_string_equal(agnameof(cd), "c-d");
    agclose(g);
    corridor_model_free(m);
    test_rm_dir(dir);
}

static void test_filters_and_errors(void **state)
{
    (void)state;
    char *dir = test_tmp_dir();
    corridor_model *m = test_load_file(TINY);
    corridor_export_opts o = CORRIDOR_EXPORT_OPTS_INIT;
    const char *south[] = {"south"};
    o.filter.corridors = south;
    o.filter.n_corridors = 1;
    char *text = test_slurp(export_to(m, CORRIDOR_EXPORT_GRAPHML, dir, "s.graphml", &o), NULL);
    assert_non_null(strstr(text, "<edge id=\"a-b\""));
    assert_non_null(strstr(text, "<edge id=\"b-c\""));
    assert_null(strstr(text, "<edge id=\"a-b-road\""));
    assert_null(strstr(text, "<node id=\"d\""));
    assert_non_null(strstr(text, "every status; carry any; corridors south"));
    free(text);
    o.filter.n_corridors = 0;
    const char *avoid[] = {"node:b"};
    o.filter.avoid = avoid;
    o.filter.n_avoid = 1;
    text = test_slurp(export_to(m, CORRIDOR_EXPORT_GEOJSON, dir, "a.geojson", &o), NULL);
    assert_null(strstr(text, "\"id\": \"node:b\""));
    assert_null(strstr(text, "\"id\": \"edge:a-b\""));
    assert_non_null(strstr(text, "\"id\": \"edge:c-d\""));
    assert_non_null(strstr(text, "\"avoid\": [\"node:b\"]"));
    free(text);
    o.filter.n_avoid = 0;
    size_t before = test_count_files(dir);

    char p[512];
    snprintf(p, sizeof p, "%s/bad.graphml", dir);
    const char *nowhere[] = {"nowhere"};
    o.filter.corridors = nowhere;
    o.filter.n_corridors = 1;
    assert_int_equal(corridor_export_file(m, CORRIDOR_EXPORT_GRAPHML, p, &o), CORRIDOR_EINVALID);
    o.filter.n_corridors = 0;
    assert_int_equal(corridor_export_file(m, (corridor_export_format)99, p, &o), CORRIDOR_EUSAGE);
    assert_int_equal(corridor_export_file(m, CORRIDOR_EXPORT_GML, NULL, &o), CORRIDOR_EUSAGE);
    for (int f = 0; f <= CORRIDOR_EXPORT_PAJEK; f++) {
        assert_int_equal(
            corridor_export_file(m, (corridor_export_format)f, "/nonexistent/x.out", &o),
            CORRIDOR_EIO);
        assert_non_null(strstr(corridor_error_message(), "/nonexistent/"));
    }
    assert_int_equal(test_count_files(dir), before);
    corridor_model_free(m);
    test_rm_dir(dir);
}

int main(void)
{
    igraph_set_attribute_table(&igraph_cattribute_table);
    igraph_set_error_handler(igraph_error_handler_printignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parse),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_graphml_igraph),
        cmocka_unit_test(test_gml_and_pajek_igraph),
        cmocka_unit_test(test_geojson),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_both_or_neither),
        cmocka_unit_test(test_dot),
        cmocka_unit_test(test_filters_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
