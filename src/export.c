/* export.c: the filtered network as GraphML, GML, GeoJSON, canonical JSON, CSV, Pajek and DOT. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compiled.h"
#include "export_ogr.h"
#include "gis_dl.h"
#include "internal.h"
#include "render_internal.h"
#include "schema.h"

/* ----------------------------------------------------------------- formats */

static const char *const format_names[] = {"graphml", "gml", "geojson", "json",
                                           "csv",     "dot", "pajek"};
#define NFORMATS (sizeof format_names / sizeof format_names[0])

int corridor_export_format_parse(corridor_export_format *out, const char *name)
{
    for (size_t i = 0; name && i < NFORMATS; i++) {
        if (corridor__strcaseeq(name, format_names[i])) {
            *out = (corridor_export_format)i;
            return 0;
        }
    }
    if (name && corridor__ogr_driver(name)) {
        *out = CORRIDOR_EXPORT_OGR;
        return 0;
    }
    int err = name ? corridor__gis_load() : 0; /* GIS formats are GDAL's: is it there? */
    if (err < 0)
        return err;
    const char *s = name ? corridor__suggest(name, format_names, NFORMATS) : NULL;
    return corridor__error(CORRIDOR_EUSAGE,
                           "unknown export format \"%s\"%s%s%s (expected graphml, gml, geojson, "
                           "json, csv, dot, pajek, or a GIS format: corridor export --formats)",
                           name ? name : "", s ? " (did you mean \"" : "", s ? s : "",
                           s ? "\"?)" : "");
}

/* ----------------------------------------------------------------- numbers */

/* The shortest decimal text that reads back as exactly `v` (finite v). */
static void fmt_num(char buf[40], double v)
{
    if (v == 0) {
        strcpy(buf, "0"); /* also for -0 */
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 40, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* Exactly (the canonical JSON model, which must read back bit for bit). */
static void add_num(cor_buf *b, double v)
{
    char buf[40];
    fmt_num(buf, v);
    corridor__buf_puts(b, buf);
}

/* To 15 significant digits (data files: 2644 * 0.3 prints as 793.2, not 793.1999999999999). */
static void add_num15(cor_buf *b, double v)
{
    corridor__buf_printf(b, "%.15g", v == 0 ? 0.0 : v);
}

/* ------------------------------------------------------------ the columns */

/*
 * Every flat format (GraphML, GML, CSV, GeoJSON properties) writes the same
 * columns, with the same names, in the order of the schema's tables
 * (corridor__columns): a penalty or capacity gives one column per metric or
 * commodity, and edges get "derived" after their metrics.
 */
#define MAX_COLS 64

/* A cell as flat text: numbers shortest, lists joined by ';', booleans true/false. */
static void add_flat(cor_buf *b, const cor_cell *c, cor_coltype t,
                     void (*add_text)(cor_buf *, const char *))
{
    switch (t) {
    case COL_STR:
        add_text(b, c->str);
        break;
    case COL_NUM:
        add_num15(b, c->num);
        break;
    case COL_INT:
        corridor__buf_printf(b, "%.0f", c->num);
        break;
    case COL_BOOL:
        corridor__buf_puts(b, c->num != 0 ? "true" : "false");
        break;
    case COL_LIST: {
        cor_buf j;
        corridor__buf_init(&j);
        for (size_t k = 0; k < c->n_list; k++) {
            if (k)
                corridor__buf_puts(&j, ";");
            corridor__buf_puts(&j, c->list[k]);
        }
        if (j.failed)
            b->failed = 1;
        add_text(b, j.data ? j.data : "");
        corridor__buf_free(&j);
        break;
    }
    }
}

/* ------------------------------------------------------------- provenance */

/* "status operational; carry any; corridors a,b; avoid x" */
static void add_filter_text(cor_buf *b, const corridor_filter *f)
{
    if (f->year > 0)
        corridor__buf_printf(b, "year %d", f->year);
    else if (f->status == CORRIDOR_STATUS_CLOSED)
        corridor__buf_puts(b, "every status");
    else
        corridor__buf_printf(b, "status %s", corridor_status_name(f->status));
    corridor__buf_printf(b, "; carry %s", corridor_commodity_name(f->carry));
    for (size_t i = 0; i < f->n_corridors; i++)
        corridor__buf_printf(b, "%s%s", i ? "," : "; corridors ", f->corridors[i]);
    for (size_t i = 0; i < f->n_avoid; i++)
        corridor__buf_printf(b, "%s%s", i ? "," : "; avoid ", f->avoid[i]);
}

/* ------------------------------------------------------------ the context */

typedef struct exporter {
    const corridor_model *m;
    const corridor_filter *f;
    cor_selection sel;
    cor_scratch s;
    cor_column cols[2][MAX_COLS]; /* [0] nodes, [1] edges */
    size_t n_cols[2];
    cor_cell cells[MAX_COLS];
    size_t n_nodes, n_edges; /* selected */
    double coslat;           /* cos of the mean latitude of the selected nodes */
    const char *layer;       /* geojson: NULL both, "nodes" or "edges" */
    cor_buf out;
} exporter;

/* Fills x->cells for node (edge = 0) or edge (edge = 1) i; returns its columns. */
static const cor_column *fill(exporter *x, int edge, size_t i)
{
    corridor__cells(x->cells, x->cols[edge], x->n_cols[edge], x->m, edge ? COR_EDGE : COR_NODE, i,
                    &x->s);
    return x->cols[edge];
}

/* A node's map position for graph tools: lon x cos(mean lat) x 100, lat x 100 (north up). */
static double node_x(const exporter *x, const cor_node *n)
{
    return n->lon * x->coslat * 100;
}

static double node_y(const cor_node *n)
{
    return n->lat * 100;
}

/* --------------------------------------------------------------------- XML */

static void add_xml(cor_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '&':
            corridor__buf_puts(b, "&amp;");
            break;
        case '<':
            corridor__buf_puts(b, "&lt;");
            break;
        case '>':
            corridor__buf_puts(b, "&gt;");
            break;
        case '"':
            corridor__buf_puts(b, "&quot;");
            break;
        default:
            if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
                corridor__buf_puts(b, " "); /* not allowed in XML 1.0 */
            else
                corridor__buf_add(b, (const char *)p, 1);
        }
    }
}

static const char *graphml_type(cor_coltype t)
{
    switch (t) {
    case COL_NUM:
        return "double";
    case COL_INT:
        return "int";
    case COL_BOOL:
        return "boolean";
    default:
        return "string";
    }
}

static void graphml_key(cor_buf *b, const char *id, const char *for_, const char *name,
                        cor_coltype t)
{
    corridor__buf_printf(b, "  <key id=\"%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n", id,
                         for_, name, graphml_type(t));
}

static void graphml_data(cor_buf *b, const char *indent, const char *key, const cor_cell *c,
                         cor_coltype t)
{
    if (!c->present)
        return;
    corridor__buf_printf(b, "%s<data key=\"%s\">", indent, key);
    add_flat(b, c, t, add_xml);
    corridor__buf_puts(b, "</data>\n");
}

/* One string attribute of an element (indent 6) or the graph (indent 4). */
static void graphml_text(cor_buf *b, const char *indent, const char *key, const char *value)
{
    cor_cell g = {value != NULL, 0, value, NULL, 0};
    graphml_data(b, indent, key, &g, COL_STR);
}

static void graphml_graph_data(cor_buf *b, const char *key, const char *value)
{
    graphml_text(b, "    ", key, value);
}

/* The header, the <desc>, and the <key>s: graph provenance, units, then the table columns. */
static void graphml_keys(exporter *x, const char *filter)
{
    cor_buf *b = &x->out;
    static const char *const graph_keys[] = {"model", "origin", "filter", "description"};
    static const char *const prefix[2] = {"n_", "e_"}, *const for_[2] = {"node", "edge"};
    corridor__buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
                          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                          "xmlns:y=\"http://www.yworks.com/xml/graphml\" "
                          "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
                          "http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd\">\n");
    corridor__buf_puts(b, "  <desc>corridor network from model ");
    add_xml(b, corridor_model_name(x->m));
    corridor__buf_puts(b, " (");
    add_xml(b, corridor_model_origin(x->m));
    corridor__buf_puts(b, "), ");
    add_xml(b, filter);
    corridor__buf_puts(b, "</desc>\n");
    for (size_t k = 0; k < 4; k++) {
        char id[32];
        snprintf(id, sizeof id, "g_%s", graph_keys[k]);
        graphml_key(b, id, "graph", graph_keys[k], COL_STR);
    }
    for (size_t k = 0; k < COR_NCOM; k++) {
        char id[32], name[32];
        snprintf(id, sizeof id, "g_unit_%s", corridor_commodity_name((corridor_commodity)k));
        snprintf(name, sizeof name, "unit_%s", corridor_commodity_name((corridor_commodity)k));
        graphml_key(b, id, "graph", name, COL_STR);
    }
    /* ids and edge ends are the elements' own attributes (igraph reads the edge id as "id") */
    for (int e = 0; e < 2; e++) {
        for (size_t k = 0; k < x->n_cols[e]; k++) {
            char id[64];
            if (x->cols[e][k].f->flags & CF_ELEMID)
                continue;
            snprintf(id, sizeof id, "%s%s", prefix[e], x->cols[e][k].name);
            graphml_key(b, id, for_[e], x->cols[e][k].name, x->cols[e][k].type);
        }
        graphml_key(b, e ? "e_label" : "n_label", for_[e], "label", COL_STR);
        if (!e) {
            graphml_key(b, "n_x", "node", "x", COL_NUM);
            graphml_key(b, "n_y", "node", "y", COL_NUM);
            corridor__buf_puts(
                b, "  <key id=\"n_yfiles\" for=\"node\" yfiles.type=\"nodegraphics\"/>\n");
        } else {
            corridor__buf_puts(
                b, "  <key id=\"e_yfiles\" for=\"edge\" yfiles.type=\"edgegraphics\"/>\n");
        }
    }
}

/* The <data> of element i's table columns. */
static void graphml_cells(exporter *x, int edge, size_t i)
{
    const cor_column *cols = fill(x, edge, i);
    for (size_t k = 0; k < x->n_cols[edge]; k++) {
        char id[64];
        if (cols[k].f->flags & CF_ELEMID)
            continue;
        snprintf(id, sizeof id, "%s%s", edge ? "e_" : "n_", cols[k].name);
        graphml_data(&x->out, "      ", id, &x->cells[k], cols[k].type);
    }
}

/*
 * yEd's drawing of a node (it ignores plain x, y data): a circle at the map
 * position (y grows downwards in yEd, so -lat) and the name as its label.
 * Written first, so that NetworkX, which reads this element's x, y and label
 * too, ends up with the typed x, y and label data that follow.
 */
static void graphml_yfiles(exporter *x, const cor_node *n)
{
    cor_buf *b = &x->out;
    corridor__buf_puts(b, "      <data key=\"n_yfiles\"><y:ShapeNode>");
    if (n->has_pos) {
        corridor__buf_puts(b, "<y:Geometry height=\"20\" width=\"20\" x=\"");
        add_num15(b, node_x(x, n) - 10);
        corridor__buf_puts(b, "\" y=\"");
        add_num15(b, -node_y(n) - 10);
        corridor__buf_puts(b, "\"/>");
    }
    corridor__buf_puts(b, "<y:Shape type=\"ellipse\"/><y:NodeLabel>");
    add_xml(b, n->name);
    corridor__buf_puts(b, "</y:NodeLabel></y:ShapeNode></data>\n");
}

/* yEd's drawing of an edge: the first corridor's colour (else grey), an arrow if one-way. */
static void graphml_edge_yfiles(exporter *x, const cor_edge *e)
{
    const char *color = NULL;
    for (size_t k = 0; k < e->n_corridors && !color; k++)
        color = x->m->corridors[e->corridors[k]].color;
    corridor__buf_printf(&x->out,
                         "      <data key=\"e_yfiles\"><y:PolyLineEdge><y:LineStyle color=\"%s\" "
                         "type=\"line\" width=\"2.0\"/><y:Arrows source=\"none\" "
                         "target=\"%s\"/></y:PolyLineEdge></data>\n",
                         color ? color : "#808080", e->oneway ? "standard" : "none");
}

static void graphml_node(exporter *x, size_t i)
{
    cor_buf *b = &x->out;
    const cor_node *n = &x->m->nodes[i];
    corridor__buf_puts(b, "    <node id=\"");
    add_xml(b, n->id);
    corridor__buf_puts(b, "\">\n");
    graphml_yfiles(x, n);
    graphml_cells(x, 0, i);
    graphml_text(b, "      ", "n_label", n->name);
    if (n->has_pos) {
        /* Gephi reads x, y: a map with north up, 100 units per degree */
        cor_cell xy = {1, node_x(x, n), NULL, NULL, 0};
        graphml_data(b, "      ", "n_x", &xy, COL_NUM);
        xy.num = node_y(n);
        graphml_data(b, "      ", "n_y", &xy, COL_NUM);
    }
    corridor__buf_puts(b, "    </node>\n");
}

static void graphml_edge(exporter *x, size_t i)
{
    cor_buf *b = &x->out;
    const cor_edge *e = &x->m->edges[i];
    corridor__buf_puts(b, "    <edge id=\"");
    add_xml(b, e->id);
    corridor__buf_puts(b, "\" source=\"");
    add_xml(b, x->m->nodes[e->from].id);
    corridor__buf_puts(b, "\" target=\"");
    add_xml(b, x->m->nodes[e->to].id);
    corridor__buf_puts(b, "\">\n");
    graphml_edge_yfiles(x, e);
    graphml_cells(x, 1, i);
    graphml_text(b, "      ", "e_label", e->name ? e->name : e->id);
    corridor__buf_puts(b, "    </edge>\n");
}

static void write_graphml(exporter *x)
{
    const corridor_model *m = x->m;
    cor_buf *b = &x->out, ft;
    corridor__buf_init(&ft);
    add_filter_text(&ft, x->f);
    if (ft.failed)
        b->failed = 1;
    graphml_keys(x, ft.data ? ft.data : "");
    corridor__buf_puts(b, "  <graph id=\"corridor\" edgedefault=\"undirected\">\n");
    graphml_graph_data(b, "g_model", corridor_model_name(m));
    graphml_graph_data(b, "g_origin", corridor_model_origin(m));
    graphml_graph_data(b, "g_filter", ft.data ? ft.data : "");
    graphml_graph_data(b, "g_description", m->description);
    corridor__buf_free(&ft);
    for (size_t k = 0; k < COR_NCOM; k++) {
        char id[32];
        snprintf(id, sizeof id, "g_unit_%s", corridor_commodity_name((corridor_commodity)k));
        graphml_graph_data(b, id, corridor_model_unit(m, (corridor_commodity)k));
    }
    for (size_t i = 0; i < m->n_nodes; i++)
        if (x->sel.node_ok[i])
            graphml_node(x, i);
    for (size_t i = 0; i < m->n_edges; i++)
        if (x->sel.edge_ok[i])
            graphml_edge(x, i);
    corridor__buf_puts(b, "  </graph>\n</graphml>\n");
}

/* --------------------------------------------------------------------- GML */

/* A GML string: quotes, '&' and non-ASCII characters as &...; references (as NetworkX). */
static void add_gml_string(cor_buf *b, const char *s)
{
    corridor__buf_puts(b, "\"");
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        if (*p == '"') {
            corridor__buf_puts(b, "&quot;");
            p++;
        } else if (*p == '&') {
            corridor__buf_puts(b, "&amp;");
            p++;
        } else if (*p < 0x20) {
            corridor__buf_printf(b, "&#%u;", (unsigned)*p);
            p++;
        } else if (*p < 0x80) {
            corridor__buf_add(b, (const char *)p, 1);
            p++;
        } else {
            /* decode one UTF-8 sequence (the loader accepted only valid UTF-8) */
            unsigned cp = 0;
            int extra = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;
            cp = *p & (0x3f >> extra);
            p++;
            for (int k = 0; k < extra && (*p & 0xc0) == 0x80; k++, p++)
                cp = (cp << 6) | (*p & 0x3f);
            corridor__buf_printf(b, "&#%u;", cp);
        }
    }
    corridor__buf_puts(b, "\"");
}

static void add_gml_text(cor_buf *b, const char *s)
{
    add_gml_string(b, s);
}

static void gml_attr(cor_buf *b, const char *name, const cor_cell *c, cor_coltype t)
{
    if (!c->present)
        return;
    if (strcmp(name, "source") == 0)
        name = "data_source"; /* "source" is an edge's first end in GML */
    corridor__buf_printf(b, "    %s ", name);
    if (t == COL_BOOL)
        corridor__buf_puts(b, c->num != 0 ? "1" : "0");
    else
        add_flat(b, c, t, add_gml_text);
    corridor__buf_puts(b, "\n");
}

/*
 * Where yEd, Cytoscape and Gephi draw a node: `graphics [x y]` in screen
 * units (y grows downwards: north up), as GraphML's yFiles geometry; and
 * `LabelGraphics [text]`, the name yEd shows (the `label` is the node id, as
 * NetworkX keys nodes by label).
 */
static void gml_graphics(exporter *x, const cor_node *n)
{
    cor_buf *b = &x->out;
    if (n->has_pos) {
        corridor__buf_puts(b, "    graphics [\n      x ");
        add_num15(b, node_x(x, n));
        corridor__buf_puts(b, "\n      y ");
        add_num15(b, -node_y(n));
        corridor__buf_puts(b, "\n      w 20\n      h 20\n      type \"ellipse\"\n    ]\n");
    }
    corridor__buf_puts(b, "    LabelGraphics [\n      text ");
    add_gml_string(b, n->name);
    corridor__buf_puts(b, "\n    ]\n");
}

static void write_gml(exporter *x)
{
    const corridor_model *m = x->m;
    cor_buf *b = &x->out;
    size_t *index = calloc(m->n_nodes + 1, sizeof *index);
    if (!index) {
        b->failed = 1;
        return;
    }
    corridor__buf_puts(b, "graph [\n  comment ");
    cor_buf ft;
    corridor__buf_init(&ft);
    corridor__buf_puts(&ft, "corridor network from model ");
    corridor__buf_puts(&ft, corridor_model_name(m));
    corridor__buf_puts(&ft, " (");
    corridor__buf_puts(&ft, corridor_model_origin(m));
    corridor__buf_puts(&ft, "), ");
    add_filter_text(&ft, x->f);
    if (ft.failed)
        b->failed = 1;
    add_gml_string(b, ft.data);
    corridor__buf_free(&ft);
    corridor__buf_puts(b, "\n  directed 0\n  multigraph 1\n  name ");
    add_gml_string(b, corridor_model_name(m));
    corridor__buf_puts(b, "\n");
    size_t next = 0;
    for (size_t i = 0; i < m->n_nodes; i++) {
        if (!x->sel.node_ok[i])
            continue;
        index[i] = next++;
        const cor_column *cols = fill(x, 0, i);
        corridor__buf_printf(b, "  node [\n    id %zu\n    label ", index[i]);
        add_gml_string(b, m->nodes[i].id);
        corridor__buf_puts(b, "\n");
        for (size_t k = 0; k < x->n_cols[0]; k++)
            if (!(cols[k].f->flags & CF_ELEMID)) /* the label says it */
                gml_attr(b, cols[k].name, &x->cells[k], cols[k].type);
        gml_graphics(x, &m->nodes[i]);
        corridor__buf_puts(b, "  ]\n");
    }
    for (size_t i = 0; i < m->n_edges; i++) {
        if (!x->sel.edge_ok[i])
            continue;
        const cor_edge *e = &m->edges[i];
        const cor_column *cols = fill(x, 1, i);
        corridor__buf_printf(b, "  edge [\n    source %zu\n    target %zu\n", index[e->from],
                             index[e->to]);
        for (size_t k = 0; k < x->n_cols[1]; k++)
            gml_attr(b, cols[k].name, &x->cells[k], cols[k].type);
        corridor__buf_puts(b, "  ]\n");
    }
    corridor__buf_puts(b, "]\n");
    free(index);
}

/* -------------------------------------------------------------------- JSON */

static void add_json_string(cor_buf *b, const char *s)
{
    if (!s) {
        corridor__buf_puts(b, "null");
        return;
    }
    corridor__buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            corridor__buf_puts(b, "\\\"");
            break;
        case '\\':
            corridor__buf_puts(b, "\\\\");
            break;
        case '\n':
            corridor__buf_puts(b, "\\n");
            break;
        case '\t':
            corridor__buf_puts(b, "\\t");
            break;
        case '\r':
            corridor__buf_puts(b, "\\r");
            break;
        default:
            if (*p < 0x20)
                corridor__buf_printf(b, "\\u%04x", (unsigned)*p);
            else
                corridor__buf_add(b, (const char *)p, 1);
        }
    }
    corridor__buf_puts(b, "\"");
}

/* A number, or null if not finite. */
static void add_json_num(cor_buf *b, double v)
{
    if (isnan(v) || isinf(v))
        corridor__buf_puts(b, "null");
    else
        add_num(b, v);
}

static void json_cell(cor_buf *b, const cor_cell *c, cor_coltype t)
{
    if (!c->present) {
        corridor__buf_puts(b, "null");
        return;
    }
    switch (t) {
    case COL_STR:
        add_json_string(b, c->str);
        break;
    case COL_NUM:
    case COL_INT:
        add_num15(b, c->num);
        break;
    case COL_BOOL:
        corridor__buf_puts(b, c->num != 0 ? "true" : "false");
        break;
    case COL_LIST:
        corridor__buf_puts(b, "[");
        for (size_t k = 0; k < c->n_list; k++) {
            if (k)
                corridor__buf_puts(b, ", ");
            add_json_string(b, c->list[k]);
        }
        corridor__buf_puts(b, "]");
        break;
    }
}

/* "key": */
static void json_key(cor_buf *b, int first, const char *key)
{
    if (!first)
        corridor__buf_puts(b, ", ");
    add_json_string(b, key);
    corridor__buf_puts(b, ": ");
}

/* {"time_h": 1, "cost_usd": null, "co2_kg": 2} of the given ones, or null if none. */
static void json_penalty(cor_buf *b, const double *v, unsigned given)
{
    if (!given) {
        corridor__buf_puts(b, "null");
        return;
    }
    corridor__buf_puts(b, "{");
    for (size_t k = 0; k < 3; k++) {
        corridor_metric m = corridor__penalty_metrics[k];
        json_key(b, k == 0, corridor__penalty_keys[k]);
        add_json_num(b, (given & (1u << m)) ? v[m] : NAN);
    }
    corridor__buf_puts(b, "}");
}

/* {"freight": 4100000} of the given capacities, or null if none. */
static void json_capacity(cor_buf *b, const double *cap, unsigned given)
{
    if (!given) {
        corridor__buf_puts(b, "null");
        return;
    }
    corridor__buf_puts(b, "{");
    int first = 1;
    for (size_t k = 0; k < COR_NCOM; k++) {
        if (!(given & (1u << k)))
            continue;
        json_key(b, first, corridor_commodity_name((corridor_commodity)k));
        add_json_num(b, cap[k]);
        first = 0;
    }
    corridor__buf_puts(b, "}");
}

/* ["a", "b"] of the names of the bits set in `bits`. */
static void json_names(cor_buf *b, const cor_vocab *v, unsigned bits)
{
    corridor__buf_puts(b, "[");
    for (int k = 0, first = 1; k < v->n; k++) {
        if (!(bits & (1u << k)))
            continue;
        if (!first)
            corridor__buf_puts(b, ", ");
        add_json_string(b, v->names[k]);
        first = 0;
    }
    corridor__buf_puts(b, "]");
}

/* [[lon, lat], ...] exactly, or null. */
static void json_points(cor_buf *b, const double *p, size_t n)
{
    if (!p || !n) {
        corridor__buf_puts(b, "null");
        return;
    }
    corridor__buf_puts(b, "[");
    for (size_t i = 0; i < n; i++) {
        corridor__buf_puts(b, i ? ", [" : "[");
        add_num(b, p[2 * i]);
        corridor__buf_puts(b, ", ");
        add_num(b, p[2 * i + 1]);
        corridor__buf_puts(b, "]");
    }
    corridor__buf_puts(b, "]");
}

/* The value of row f of an element, as the model format writes it (given values only). */
static void json_field(cor_buf *b, const corridor_model *m, const cor_field *f, const void *el)
{
    int i = 0;
    switch (f->type) {
    case CF_ID:
    case CF_STRING:
    case CF_COLOR:
        add_json_string(b, *COR_CAT(el, f->off, char *));
        break;
    case CF_REF:
        if (f->sec == COR_COUNTRY) {
            long c = *COR_CAT(el, f->off, long);
            add_json_string(b, c >= 0 ? m->countries[c].code : NULL);
        } else {
            add_json_string(b, m->nodes[*COR_CAT(el, f->off, size_t)].id);
        }
        break;
    case CF_REFLIST:
        corridor__buf_puts(b, "[");
        for (size_t k = 0; k < *COR_CAT(el, f->aux, size_t); k++) {
            corridor__buf_puts(b, k ? ", " : "");
            add_json_string(b, m->corridors[(*COR_CAT(el, f->off, size_t *))[k]].id);
        }
        corridor__buf_puts(b, "]");
        break;
    case CF_ENUM:
        add_json_string(b, f->vocab->names[*COR_CAT(el, f->off, int)]);
        break;
    case CF_AMOUNT:
        add_json_num(b, f->given == COR_NO_OFF || (*COR_CAT(el, f->given, unsigned) & f->bit)
                            ? *COR_CAT(el, f->off, double)
                            : NAN);
        break;
    case CF_COORD:
        add_json_num(b, *COR_CAT(el, f->aux, int) ? *COR_CAT(el, f->off, double) : NAN);
        break;
    case CF_YEAR:
    case CF_INT:
        if ((i = *COR_CAT(el, f->off, int)) != 0)
            corridor__buf_printf(b, "%d", i);
        else
            corridor__buf_puts(b, "null");
        break;
    case CF_BOOL:
        corridor__buf_puts(b, *COR_CAT(el, f->off, int) ? "true" : "false");
        break;
    case CF_PENALTY:
        json_penalty(b, COR_CAT(el, f->off, double), *COR_CAT(el, f->given, unsigned));
        break;
    case CF_CAPACITY:
        json_capacity(b, COR_CAT(el, f->off, double), *COR_CAT(el, f->given, unsigned));
        break;
    case CF_LIST:
        json_names(b, f->vocab, *COR_CAT(el, f->off, unsigned));
        break;
    case CF_GEOMETRY:
        json_points(b, *COR_CAT(el, f->off, double *), *COR_CAT(el, f->aux, size_t));
        break;
    case CF_ATTRS: {
        const char *a = *COR_CAT(el, f->off, char *);
        corridor__buf_puts(b, a ? a : "null"); /* compact JSON, checked when it was read */
        break;
    }
    default:
        break;
    }
}

/* {"key": value, ...} of an element, every row of its table in order. */
static void json_element(cor_buf *b, const corridor_model *m, cor_elem kind, const void *el)
{
    size_t n = 0;
    const cor_field *rows =
        kind == COR_TOP ? corridor__default_fields(&n) : corridor__fields(kind, &n);
    int first = 1;
    corridor__buf_puts(b, "{");
    for (size_t k = 0; k < n; k++) {
        if (!rows[k].key)
            continue;
        json_key(b, first, rows[k].key);
        json_field(b, m, &rows[k], el);
        first = 0;
    }
    corridor__buf_puts(b, "}");
}

/* A section's array, one element per line; nodes and edges as the filter selects. */
static void json_section(exporter *x, cor_elem kind)
{
    const corridor_model *m = x->m;
    cor_buf *b = &x->out;
    size_t n = kind == COR_COUNTRY    ? m->n_countries
               : kind == COR_CORRIDOR ? m->n_corridors
               : kind == COR_NODE     ? m->n_nodes
                                      : m->n_edges;
    int first = 1;
    corridor__buf_puts(b, "[");
    for (size_t i = 0; i < n; i++) {
        const void *el = kind == COR_COUNTRY    ? (const void *)&m->countries[i]
                         : kind == COR_CORRIDOR ? (const void *)&m->corridors[i]
                         : kind == COR_NODE     ? (const void *)&m->nodes[i]
                                                : (const void *)&m->edges[i];
        if ((kind == COR_NODE && !x->sel.node_ok[i]) || (kind == COR_EDGE && !x->sel.edge_ok[i]))
            continue;
        corridor__buf_puts(b, first ? "\n    " : ",\n    ");
        json_element(b, m, kind, el);
        first = 0;
    }
    corridor__buf_puts(b, first ? "]" : "\n  ]");
}

/* "units" (every commodity, defaults written out) and "defaults" (the modes given). */
static void json_units_defaults(exporter *x, int units)
{
    const corridor_model *m = x->m;
    cor_buf *b = &x->out;
    int first = 1;
    corridor__buf_puts(b, "{");
    for (size_t k = 0; k < (units ? COR_NCOM : COR_NMODE); k++) {
        if (units) {
            json_key(b, k == 0, corridor_commodity_name((corridor_commodity)k));
            add_json_string(b, corridor_model_unit(m, (corridor_commodity)k));
            continue;
        }
        if (!(m->defaults_given & (1u << k)))
            continue;
        corridor__buf_puts(b, first ? "\n    " : ",\n    ");
        add_json_string(b, corridor_mode_name((corridor_mode)k));
        corridor__buf_puts(b, ": ");
        json_element(b, m, COR_TOP, &m->defaults[k]);
        first = 0;
    }
    corridor__buf_puts(b, units || first ? "}" : "\n  }");
}

/*
 * The model in canonical form: every field in the order of the schema's
 * tables, absent values as null, only given (not derived) metrics, capacities
 * as objects, one element per line. Loading it and writing it again gives
 * the same bytes.
 */
static void write_json(exporter *x)
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(COR_TOP, &n);
    cor_buf *b = &x->out;
    for (size_t k = 0; k < n; k++) {
        const cor_field *f = &rows[k];
        corridor__buf_puts(b, k ? ",\n  " : "{\n  ");
        add_json_string(b, f->key);
        corridor__buf_puts(b, ": ");
        if (f->type == CF_HEADER)
            corridor__buf_puts(b, strcmp(f->key, "format") == 0 ? "\"corridor-model\"" : "1");
        else if (f->type == CF_STRING)
            add_json_string(b, f->flags & CF_REQUIRED ? corridor_model_name(x->m)
                                                      : *COR_CAT(x->m, f->off, char *));
        else if (f->sec == COR_TOP)
            json_units_defaults(x, strcmp(f->key, "units") == 0);
        else
            json_section(x, (cor_elem)f->sec);
    }
    corridor__buf_puts(b, "\n}\n");
}

/* ----------------------------------------------------------------- GeoJSON */

static void geojson_props(exporter *x, int edge, size_t i)
{
    const cor_column *cols = fill(x, edge, i);
    corridor__buf_printf(&x->out, "\"properties\": {\"element\": \"%s\"", edge ? "edge" : "node");
    for (size_t k = 0; k < x->n_cols[edge]; k++) {
        json_key(&x->out, 0, cols[k].name);
        json_cell(&x->out, &x->cells[k], cols[k].type);
    }
}

static void geojson_lonlat(cor_buf *b, double lon, double lat)
{
    corridor__buf_puts(b, "[");
    add_num15(b, lon);
    corridor__buf_puts(b, ", ");
    add_num15(b, lat);
    corridor__buf_puts(b, "]");
}

/* "{"type": "Feature", "id": "KIND:ID", "geometry": " */
static void geojson_feature(cor_buf *b, int *first, const char *kind, const char *id)
{
    cor_buf fid;
    corridor__buf_puts(b, *first ? "\n  " : ",\n  ");
    *first = 0;
    corridor__buf_puts(b, "{\"type\": \"Feature\", \"id\": ");
    corridor__buf_init(&fid);
    corridor__buf_printf(&fid, "%s:%s", kind, id);
    add_json_string(b, fid.data);
    if (fid.failed)
        b->failed = 1;
    corridor__buf_free(&fid);
    corridor__buf_puts(b, ", \"geometry\": ");
}

/* The FeatureCollection's provenance member. */
static void geojson_header(exporter *x)
{
    const corridor_model *m = x->m;
    const corridor_filter *f = x->f;
    cor_buf *b = &x->out;
    corridor__buf_puts(b, "{\"type\": \"FeatureCollection\",\n \"corridor\": {\"model\": ");
    add_json_string(b, corridor_model_name(m));
    corridor__buf_puts(b, ", \"origin\": ");
    add_json_string(b, corridor_model_origin(m));
    corridor__buf_puts(b, ", \"filter\": {\"status\": ");
    if (f->year > 0)
        corridor__buf_printf(b, "null, \"year\": %d", f->year);
    else if (f->status == CORRIDOR_STATUS_CLOSED) /* the whole model */
        corridor__buf_puts(b, "\"all\", \"year\": null");
    else
        corridor__buf_printf(b, "\"%s\", \"year\": null", corridor_status_name(f->status));
    corridor__buf_printf(b, ", \"carry\": \"%s\", \"corridors\": [",
                         corridor_commodity_name(f->carry));
    for (size_t i = 0; i < f->n_corridors; i++) {
        if (i)
            corridor__buf_puts(b, ", ");
        add_json_string(b, f->corridors[i]);
    }
    corridor__buf_puts(b, "], \"avoid\": [");
    for (size_t i = 0; i < f->n_avoid; i++) {
        if (i)
            corridor__buf_puts(b, ", ");
        add_json_string(b, f->avoid[i]);
    }
    corridor__buf_printf(b, "]}, \"nodes\": %zu, \"edges\": %zu, \"units\": {", x->n_nodes,
                         x->n_edges);
    for (size_t k = 0; k < COR_NCOM; k++) {
        json_key(b, k == 0, corridor_commodity_name((corridor_commodity)k));
        add_json_string(b, corridor_model_unit(m, (corridor_commodity)k));
    }
    corridor__buf_puts(b, "}},\n \"features\": [");
}

static void geojson_node(exporter *x, int *first, size_t i)
{
    cor_buf *b = &x->out;
    const cor_node *n = &x->m->nodes[i];
    geojson_feature(b, first, "node", n->id);
    if (n->has_pos) {
        corridor__buf_puts(b, "{\"type\": \"Point\", \"coordinates\": ");
        geojson_lonlat(b, n->lon, n->lat);
        corridor__buf_puts(b, "}, ");
    } else {
        corridor__buf_puts(b, "null, ");
    }
    geojson_props(x, 0, i);
    corridor__buf_puts(b, "}}");
}

/* An edge: its geometry when the model gives one, else the line between its nodes. */
static void geojson_edge(exporter *x, int *first, size_t i)
{
    const corridor_model *m = x->m;
    cor_buf *b = &x->out;
    const cor_edge *e = &m->edges[i];
    const cor_node *a = &m->nodes[e->from], *z = &m->nodes[e->to];
    double *pts = NULL;
    /* the edge's shape, or a great-circle arc between its nodes (points every 50 km) */
    size_t n = a->has_pos && z->has_pos ? corridor__edge_line(m, i, &pts) : 0;
    geojson_feature(b, first, "edge", e->id);
    if (a->has_pos && z->has_pos && n < 2)
        b->failed = 1; /* out of memory */
    if (n >= 2) {
        corridor__buf_puts(b, "{\"type\": \"LineString\", \"coordinates\": [");
        for (size_t k = 0; k < n; k++) {
            corridor__buf_puts(b, k ? ", " : "");
            geojson_lonlat(b, pts[2 * k], pts[2 * k + 1]);
        }
        corridor__buf_puts(b, "]}, ");
        free(pts);
    } else {
        corridor__buf_puts(b, "null, ");
    }
    geojson_props(x, 1, i);
    /* simplestyle: the first corridor's colour, for geojson.io and similar viewers */
    const char *stroke = NULL;
    for (size_t k = 0; k < e->n_corridors && !stroke; k++)
        stroke = m->corridors[e->corridors[k]].color;
    json_key(b, 0, "stroke");
    add_json_string(b, stroke);
    corridor__buf_puts(b, "}}");
}

static void write_geojson(exporter *x)
{
    int first = 1;
    geojson_header(x);
    for (size_t i = 0; i < x->m->n_nodes; i++)
        if (x->sel.node_ok[i] && (!x->layer || !strcmp(x->layer, "nodes")))
            geojson_node(x, &first, i);
    for (size_t i = 0; i < x->m->n_edges; i++)
        if (x->sel.edge_ok[i] && (!x->layer || !strcmp(x->layer, "edges")))
            geojson_edge(x, &first, i);
    corridor__buf_puts(&x->out, first ? "]}\n" : "\n ]}\n");
}

/* --------------------------------------------------------------------- CSV */

/* An RFC 4180 field: quoted when it holds a comma, quote, CR or LF (or starts with a space). */
static void add_csv(cor_buf *b, const char *s)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\r\n") == NULL && s[0] != ' ' && s[0] != '\t') {
        corridor__buf_puts(b, s);
        return;
    }
    corridor__buf_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"')
            corridor__buf_puts(b, "\"\"");
        else
            corridor__buf_add(b, s, 1);
    }
    corridor__buf_puts(b, "\"");
}

static void csv_table(exporter *x, cor_buf *b, int nodes)
{
    const corridor_model *m = x->m;
    const cor_column *cols = x->cols[!nodes];
    size_t ncols = x->n_cols[!nodes];
    for (size_t k = 0; k < ncols; k++)
        corridor__buf_printf(b, "%s%s", k ? "," : "", cols[k].name);
    corridor__buf_puts(b, "\n");
    size_t n = nodes ? m->n_nodes : m->n_edges;
    for (size_t i = 0; i < n; i++) {
        if (!(nodes ? x->sel.node_ok[i] : x->sel.edge_ok[i]))
            continue;
        fill(x, !nodes, i);
        for (size_t k = 0; k < ncols; k++) {
            if (k)
                corridor__buf_puts(b, ",");
            if (x->cells[k].present)
                add_flat(b, &x->cells[k], cols[k].type, add_csv);
        }
        corridor__buf_puts(b, "\n");
    }
}

/* PATH without its extension + suffix ("net.csv" -> "net-nodes.csv"). */
static char *csv_path(const char *path, const char *suffix)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot != base ? (size_t)(dot - path) : strlen(path);
    return corridor__asprintf("%.*s%s", (int)stem, path, suffix);
}

int corridor_export_paths(char **first, char **second, corridor_export_format format,
                          const char *path)
{
    *first = NULL;
    *second = NULL;
    if (format == CORRIDOR_EXPORT_OGR)
        return corridor__export_ogr_paths(first, second, path);
    if (format != CORRIDOR_EXPORT_CSV)
        return (*first = corridor__strdup(path)) ? 0 : corridor__oom();
    if (!(*first = csv_path(path, "-nodes.csv")) || !(*second = csv_path(path, "-edges.csv"))) {
        free(*first);
        *first = NULL;
        return corridor__oom();
    }
    return 0;
}

/* Both CSV files, or neither: both are written, then committed as one. */
static int write_csv(exporter *x, const char *path)
{
    int err = 0;
    char *pn = csv_path(path, "-nodes.csv"), *pe = csv_path(path, "-edges.csv");
    cor_filebuf fb[2];
    size_t n_open = 0;
    cor_buf bn, be;
    corridor__buf_init(&bn);
    corridor__buf_init(&be);
    if (!pn || !pe) {
        err = corridor__oom();
        goto done;
    }
    csv_table(x, &bn, 1);
    csv_table(x, &be, 0);
    if (bn.failed || be.failed) {
        err = corridor__oom();
        goto done;
    }
    if ((err = corridor__filebuf_open(&fb[0], pn)) < 0)
        goto done;
    n_open = 1;
    if ((err = corridor__filebuf_open(&fb[1], pe)) < 0)
        goto done;
    n_open = 2;
    if ((err = corridor__filebuf_write(&fb[0], bn.data ? bn.data : "", bn.len)) < 0 ||
        (err = corridor__filebuf_write(&fb[1], be.data ? be.data : "", be.len)) < 0)
        goto done;
    n_open = 0;
    err = corridor__filebuf_commit_all(fb, 2);
done:
    for (size_t i = 0; i < n_open; i++)
        corridor__filebuf_discard(&fb[i]);
    free(pn);
    free(pe);
    corridor__buf_free(&bn);
    corridor__buf_free(&be);
    return err;
}

/* ------------------------------------------------------------------- Pajek */

static void add_pajek_string(cor_buf *b, const char *s)
{
    corridor__buf_puts(b, "\"");
    for (; s && *s; s++)
        corridor__buf_add(b, *s == '"' || *s == '\n' || *s == '\r' ? "'" : s, 1);
    corridor__buf_puts(b, "\"");
}

/* One Pajek edge or arc line "A B [distance]". */
static void pajek_line(cor_buf *b, size_t a, size_t z, const cor_edge *e)
{
    corridor__buf_printf(b, "%zu %zu", a, z);
    if (!isnan(e->metric[CORRIDOR_BY_DISTANCE])) {
        corridor__buf_puts(b, " ");
        add_num15(b, e->metric[CORRIDOR_BY_DISTANCE]);
    }
    corridor__buf_puts(b, "\n");
}

/*
 * Pajek .net: vertices labelled with their ids, coordinates scaled into 0..1
 * (north up: Pajek's y grows downwards) and a shape (NetworkX reads x, y only
 * with one; igraph reads it too). A network without one-way edges is all
 * *Edges (undirected). With one, it is all *Arcs: one arc for a one-way edge,
 * two (one each way) for a two-way one. Pajek allows *Edges and *Arcs in one
 * file, but igraph and NetworkX then read every line in one direction (the
 * kind of the last section wins), which made two-way routes one-way.
 * The weight is the distance in km when known.
 */
static void write_pajek(exporter *x)
{
    const corridor_model *m = x->m;
    cor_buf *b = &x->out;
    size_t *index = calloc(m->n_nodes + 1, sizeof *index);
    if (!index) {
        b->failed = 1;
        return;
    }
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (size_t i = 0; i < m->n_nodes; i++) {
        const cor_node *n = &m->nodes[i];
        if (!x->sel.node_ok[i] || !n->has_pos)
            continue;
        xmin = fmin(xmin, n->lon * x->coslat);
        xmax = fmax(xmax, n->lon * x->coslat);
        ymin = fmin(ymin, n->lat);
        ymax = fmax(ymax, n->lat);
    }
    double span = fmax(xmax - xmin, ymax - ymin);
    if (!(span > 0))
        span = 1;
    corridor__buf_puts(b, "% corridor network from model ");
    corridor__buf_puts(b, corridor_model_name(m));
    corridor__buf_puts(b, " (");
    corridor__buf_puts(b, corridor_model_origin(m));
    corridor__buf_puts(b, "), ");
    add_filter_text(b, x->f);
    corridor__buf_printf(b, "\n*Vertices %zu\n", x->n_nodes);
    size_t next = 0;
    for (size_t i = 0; i < m->n_nodes; i++) {
        const cor_node *n = &m->nodes[i];
        if (!x->sel.node_ok[i])
            continue;
        index[i] = ++next;
        corridor__buf_printf(b, "%zu ", index[i]);
        add_pajek_string(b, n->id);
        if (n->has_pos)
            corridor__buf_printf(b, " %.4f %.4f ellipse",
                                 0.05 + 0.9 * (n->lon * x->coslat - xmin) / span,
                                 0.05 + 0.9 * (ymax - n->lat) / span);
        corridor__buf_puts(b, "\n");
    }
    int directed = 0;
    for (size_t i = 0; i < m->n_edges && !directed; i++)
        directed = x->sel.edge_ok[i] && m->edges[i].oneway;
    corridor__buf_puts(b, directed ? "*Arcs\n" : "*Edges\n");
    for (size_t i = 0; i < m->n_edges; i++) {
        const cor_edge *e = &m->edges[i];
        if (!x->sel.edge_ok[i])
            continue;
        pajek_line(b, index[e->from], index[e->to], e);
        if (directed && !e->oneway)
            pajek_line(b, index[e->to], index[e->from], e);
    }
    free(index);
}

/* --------------------------------------------------------------------- DOT */

/* A cell as one DOT attribute value (lists joined by ';'). */
static void plain_text(cor_buf *b, const char *s)
{
    corridor__buf_puts(b, s ? s : "");
}

/*
 * Declares each column of a kind as an attribute (default "") and sets the
 * present cells of one element. `scratch` holds the text of one cell.
 */
static int dot_cells(exporter *x, int edge, size_t i, void *obj, cor_buf *scratch)
{
    const cor_column *cols = fill(x, edge, i);
    for (size_t k = 0; k < x->n_cols[edge]; k++) {
        if ((cols[k].f->flags & CF_ELEMID) || !x->cells[k].present)
            continue;
        scratch->len = 0;
        add_flat(scratch, &x->cells[k], cols[k].type, plain_text);
        corridor__buf_add(scratch, "", 1);
        if (scratch->failed)
            return corridor__oom();
        agsafeset(obj, (char *)cols[k].name, scratch->data, (char *)"");
    }
    return 0;
}

/* Builds the graph itself: a node per node (named by id), an edge per edge (keyed by id). */
static int dot_build(exporter *x, Agraph_t *g)
{
    const corridor_model *m = x->m;
    cor_buf t;
    int err = 0;
    corridor__buf_init(&t);
    agattr(g, AGNODE, (char *)"label", (char *)"");
    agattr(g, AGNODE, (char *)"pos", (char *)"");
    agattr(g, AGEDGE, (char *)"dir", (char *)"none");
    for (size_t i = 0; i < m->n_nodes && err == 0; i++) {
        const cor_node *n = &m->nodes[i];
        Agnode_t *v = NULL;
        if (!x->sel.node_ok[i])
            continue;
        if (!(v = agnode(g, n->id, 1)) || (err = dot_cells(x, 0, i, v, &t)) < 0) {
            err = err < 0 ? err : corridor__oom();
            break;
        }
        agsafeset(v, (char *)"label", n->name, (char *)"");
        if (n->has_pos) {
            char pos[96];
            snprintf(pos, sizeof pos, "%.2f,%.2f", node_x(x, n), node_y(n));
            agsafeset(v, (char *)"pos", pos, (char *)"");
        }
    }
    for (size_t i = 0; i < m->n_edges && err == 0; i++) {
        const cor_edge *e = &m->edges[i];
        Agedge_t *ed = NULL;
        if (!x->sel.edge_ok[i])
            continue;
        ed = agedge(g, agnode(g, m->nodes[e->from].id, 0), agnode(g, m->nodes[e->to].id, 0), e->id,
                    1);
        if (!ed || (err = dot_cells(x, 1, i, ed, &t)) < 0) {
            err = err < 0 ? err : corridor__oom();
            break;
        }
        if (e->oneway)
            agsafeset(ed, (char *)"dir", (char *)"forward", (char *)"none");
    }
    corridor__buf_free(&t);
    return err;
}

/*
 * The graph itself (not the drawing, which `render -T dot` writes): an
 * undirected multigraph, nodes named by id with every column as an
 * attribute, `label` the name and `pos` the map position in points; edges
 * keyed by id (`key=`), one-way ones with `dir=forward`.
 */
static int write_dot(exporter *x)
{
    int err = 0;
    Agraph_t *g = NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *f = NULL;
    corridor__gv_begin();
    if (!(g = agopen((char *)"corridor", Agundirected, NULL))) {
        err = corridor__oom();
        goto done;
    }
    if ((err = dot_build(x, g)) < 0)
        goto done;
    if (!(f = open_memstream(&text, &len))) {
        err = corridor__oom();
        goto done;
    }
    int bad = agwrite(g, f) != 0;
    if (fclose(f) != 0 || bad) {
        f = NULL;
        err = corridor__error(CORRIDOR_EINTERNAL, "Graphviz: cannot write DOT: %s",
                              corridor__gv_message());
        goto done;
    }
    f = NULL;
    cor_buf *b = &x->out;
    corridor__buf_puts(b, "// corridor network from model ");
    for (const char *p = corridor_model_name(x->m); *p; p++)
        corridor__buf_add(b, *p == '\n' || *p == '\r' ? " " : p, 1);
    corridor__buf_puts(b, " (");
    for (const char *p = corridor_model_origin(x->m); *p; p++)
        corridor__buf_add(b, *p == '\n' || *p == '\r' ? " " : p, 1);
    corridor__buf_puts(b, "), ");
    add_filter_text(b, x->f);
    corridor__buf_puts(b, "\n// the graph, not a drawing: corridor render -T dot writes the "
                          "diagram\n");
    corridor__buf_add(b, text, len);
    if (len == 0 || text[len - 1] != '\n')
        corridor__buf_puts(b, "\n");
done:
    if (f)
        fclose(f);
    free(text);
    if (g)
        agclose(g);
    corridor__gv_end();
    return err;
}

/* ------------------------------------------------------------------ export */

/* The filter an export applies: the given one, with every status when all_statuses. */
static corridor_filter export_filter(const corridor_export_opts *opts)
{
    corridor_filter f = opts->filter;
    if (opts->all_statuses) {
        f.status = CORRIDOR_STATUS_CLOSED; /* every status (corridor__status_ok) */
        f.year = 0;
    }
    return f;
}

/* The elements an export writes. */
static int export_selection(cor_selection *sel, const corridor_model *m,
                            const corridor_export_opts *opts)
{
    corridor_filter f = export_filter(opts);
    return corridor__selection_build(sel, m, &f);
}

int corridor_export_count(size_t *nodes, size_t *edges, const corridor_model *model,
                          const corridor_export_opts *opts)
{
    const corridor_export_opts defaults = CORRIDOR_EXPORT_OPTS_INIT;
    cor_selection sel;
    int err;
    *nodes = *edges = 0;
    if (!opts)
        opts = &defaults;
    if ((err = CORRIDOR__CHECK_OPTS(opts, CORRIDOR_EXPORT_OPTS_VERSION, "corridor_export_opts")) <
            0 ||
        (err = export_selection(&sel, model, opts)) < 0)
        return err;
    for (size_t i = 0; i < model->n_nodes; i++)
        *nodes += sel.node_ok[i];
    for (size_t i = 0; i < model->n_edges; i++)
        *edges += sel.edge_ok[i];
    corridor__selection_free(&sel);
    return 0;
}

int corridor_export_file(const corridor_model *model, corridor_export_format format,
                         const char *path, const corridor_export_opts *opts)
{
    const corridor_export_opts defaults = CORRIDOR_EXPORT_OPTS_INIT;
    exporter x;
    int err = 0;
    memset(&x, 0, sizeof x);
    corridor__buf_init(&x.out);
    if (!opts)
        opts = &defaults;
    if ((err = CORRIDOR__CHECK_OPTS(opts, CORRIDOR_EXPORT_OPTS_VERSION, "corridor_export_opts")) <
        0)
        return err;
    if ((unsigned)format > CORRIDOR_EXPORT_OGR)
        return corridor__error(CORRIDOR_EUSAGE,
                               "unknown export format %d (expected graphml, gml, geojson, json, "
                               "csv, dot, pajek or a GIS format)",
                               (int)format);
    if (!path || !*path)
        return corridor__error(CORRIDOR_EUSAGE, "export needs an output file name");
    if (opts->layer && strcmp(opts->layer, "nodes") && strcmp(opts->layer, "edges"))
        return corridor__error(CORRIDOR_EUSAGE, "export layer \"%s\": expected nodes or edges",
                               opts->layer);
    const char *driver = NULL;
    if (format == CORRIDOR_EXPORT_OGR && (err = corridor__gis_load()) < 0)
        return err;
    if (format == CORRIDOR_EXPORT_OGR &&
        !(driver = opts->gdal_format ? corridor__ogr_driver(opts->gdal_format) : NULL))
        return corridor__error(CORRIDOR_EUSAGE,
                               "GIS export format \"%s\" is not one GDAL writes here "
                               "(corridor export --formats lists them)",
                               opts->gdal_format ? opts->gdal_format : "");
    x.m = model;
    corridor_filter applied = export_filter(opts);
    x.f = &applied; /* provenance: what was applied */
    x.layer = opts->layer;
    if ((err = export_selection(&x.sel, model, opts)) < 0)
        return err;
    if (format == CORRIDOR_EXPORT_OGR) {
        err = corridor__export_ogr(model, &x.sel, driver, path);
        goto done;
    }
    x.n_cols[0] = corridor__columns(x.cols[0], MAX_COLS, COR_NODE);
    x.n_cols[1] = corridor__columns(x.cols[1], MAX_COLS, COR_EDGE);
    x.s.ids = calloc(model->n_corridors + 1, sizeof *x.s.ids);
    if (!x.s.ids) {
        err = corridor__oom();
        goto done;
    }
    double lat_sum = 0;
    size_t n_pos = 0;
    for (size_t i = 0; i < model->n_nodes; i++) {
        if (!x.sel.node_ok[i])
            continue;
        x.n_nodes++;
        if (model->nodes[i].has_pos) {
            lat_sum += model->nodes[i].lat;
            n_pos++;
        }
    }
    for (size_t i = 0; i < model->n_edges; i++)
        x.n_edges += x.sel.edge_ok[i];
    x.coslat = n_pos ? cos(lat_sum / (double)n_pos * 3.14159265358979323846 / 180) : 1;
    switch (format) {
    case CORRIDOR_EXPORT_GRAPHML:
        write_graphml(&x);
        break;
    case CORRIDOR_EXPORT_GML:
        write_gml(&x);
        break;
    case CORRIDOR_EXPORT_GEOJSON:
        write_geojson(&x);
        break;
    case CORRIDOR_EXPORT_JSON:
        write_json(&x);
        break;
    case CORRIDOR_EXPORT_CSV:
        err = write_csv(&x, path);
        goto done;
    case CORRIDOR_EXPORT_DOT:
        if ((err = write_dot(&x)) < 0)
            goto done;
        break;
    case CORRIDOR_EXPORT_PAJEK:
        write_pajek(&x);
        break;
    case CORRIDOR_EXPORT_OGR:
        break; /* written above */
    }
    size_t len = x.out.len;
    char *data = corridor__buf_take(&x.out);
    if (!data) {
        err = CORRIDOR_ENOMEM;
        goto done;
    }
    err = corridor__write_file_atomic(path, data, len);
    free(data);
done:
    corridor__selection_free(&x.sel);
    corridor__buf_free(&x.out);
    free(x.s.ids);
    return err;
}

int corridor__model_canonical(char **out, size_t *len, const corridor_model *m)
{
    const corridor_export_opts opts = CORRIDOR_EXPORT_OPTS_INIT;
    corridor_filter applied = export_filter(&opts);
    exporter x;
    int err;
    *out = NULL;
    *len = 0;
    memset(&x, 0, sizeof x);
    corridor__buf_init(&x.out);
    x.m = m;
    x.f = &applied;
    if ((err = export_selection(&x.sel, m, &opts)) < 0)
        return err;
    write_json(&x);
    corridor__selection_free(&x.sel);
    *len = x.out.len;
    if (!(*out = corridor__buf_take(&x.out)))
        return CORRIDOR_ENOMEM;
    return 0;
}
