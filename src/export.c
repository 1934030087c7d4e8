/* export.c: the filtered network as GraphML, GML, GeoJSON, canonical JSON, CSV, Pajek and DOT. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "render_internal.h"

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
    const char *s = name ? corridor__suggest(name, format_names, NFORMATS) : NULL;
    return corridor__error(CORRIDOR_EUSAGE,
                           "unknown export format \"%s\"%s%s%s (expected graphml, gml, geojson, "
                           "json, csv, dot or pajek)",
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
 * columns, with the same names, from these tables.
 */
typedef enum { T_STR, T_NUM, T_INT, T_BOOL, T_LIST } col_type;

typedef struct col {
    const char *name;
    col_type type;
} col;

typedef struct cell {
    int present;
    double num; /* T_NUM, T_INT, T_BOOL */
    const char *str;
    const char *const *list; /* T_LIST */
    size_t n_list;
} cell;

enum {
    NC_ID,
    NC_NAME,
    NC_KIND,
    NC_COUNTRY,
    NC_LAT,
    NC_LON,
    NC_STATUS,
    NC_OPENS,
    NC_TRANSFER, /* 3: time, cost, co2 */
    NC_DWELL = NC_TRANSFER + 3,
    NC_CAPACITY = NC_DWELL + 3, /* COR_NCOM */
    NC_SOURCE = NC_CAPACITY + COR_NCOM,
    NC_DESCRIPTION,
    NC_COUNT
};

static const col node_cols[NC_COUNT] = {
    {"id", T_STR},
    {"name", T_STR},
    {"kind", T_STR},
    {"country", T_STR},
    {"lat", T_NUM},
    {"lon", T_NUM},
    {"status", T_STR},
    {"opens", T_INT},
    {"transfer_time_h", T_NUM},
    {"transfer_cost_usd", T_NUM},
    {"transfer_co2_kg", T_NUM},
    {"dwell_time_h", T_NUM},
    {"dwell_cost_usd", T_NUM},
    {"dwell_co2_kg", T_NUM},
    {"capacity_freight", T_NUM},
    {"capacity_oil", T_NUM},
    {"capacity_gas", T_NUM},
    {"capacity_power", T_NUM},
    {"capacity_data", T_NUM},
    {"source", T_STR},
    {"description", T_STR},
};

enum {
    EC_ID,
    EC_NAME,
    EC_FROM,
    EC_TO,
    EC_MODE,
    EC_CORRIDORS,
    EC_METRIC, /* COR_NMET, in corridor_metric order */
    EC_DERIVED = EC_METRIC + COR_NMET,
    EC_CAPACITY,
    EC_CARRIES = EC_CAPACITY + COR_NCOM,
    EC_GAUGE,
    EC_ONEWAY,
    EC_STATUS,
    EC_OPENS,
    EC_SOURCE,
    EC_DESCRIPTION,
    EC_COUNT
};

static const col edge_cols[EC_COUNT] = {
    {"id", T_STR},
    {"name", T_STR},
    {"from", T_STR},
    {"to", T_STR},
    {"mode", T_STR},
    {"corridors", T_LIST},
    {"time_h", T_NUM},
    {"cost_usd", T_NUM},
    {"distance_km", T_NUM},
    {"co2_kg", T_NUM},
    {"derived", T_LIST},
    {"capacity_freight", T_NUM},
    {"capacity_oil", T_NUM},
    {"capacity_gas", T_NUM},
    {"capacity_power", T_NUM},
    {"capacity_data", T_NUM},
    {"carries", T_LIST},
    {"gauge", T_INT},
    {"oneway", T_BOOL},
    {"status", T_STR},
    {"opens", T_INT},
    {"source", T_STR},
    {"description", T_STR},
};

#define MAX_COLS ((size_t)EC_COUNT > (size_t)NC_COUNT ? (size_t)EC_COUNT : (size_t)NC_COUNT)

/* Per-export scratch space for the list cells of one edge. */
typedef struct scratch {
    const char **corridors; /* n_corridors of the model */
    const char *carries[COR_NCOM];
    const char *derived[COR_NMET];
} scratch;

static void set_str(cell *c, const char *s)
{
    c->present = s != NULL;
    c->str = s;
}

static void set_num(cell *c, double v)
{
    c->present = !isnan(v) && !isinf(v);
    c->num = v;
}

static void fill_node(cell *c, const corridor_model *m, size_t i)
{
    static const corridor_metric pen[3] = {CORRIDOR_BY_TIME, CORRIDOR_BY_COST, CORRIDOR_BY_CO2};
    const cor_node *n = &m->nodes[i];
    memset(c, 0, NC_COUNT * sizeof *c);
    set_str(&c[NC_ID], n->id);
    set_str(&c[NC_NAME], n->name);
    set_str(&c[NC_KIND], corridor_kind_name(n->kind));
    set_str(&c[NC_COUNTRY], n->country >= 0 ? m->countries[n->country].code : NULL);
    if (n->has_pos) {
        set_num(&c[NC_LAT], n->lat);
        set_num(&c[NC_LON], n->lon);
    }
    set_str(&c[NC_STATUS], corridor_status_name(n->status));
    if (n->opens)
        set_num(&c[NC_OPENS], n->opens);
    for (size_t k = 0; k < 3; k++) {
        if (n->transfer_given & (1u << pen[k]))
            set_num(&c[NC_TRANSFER + k], n->transfer[pen[k]]);
        if (n->dwell_given & (1u << pen[k]))
            set_num(&c[NC_DWELL + k], n->dwell[pen[k]]);
    }
    for (size_t k = 0; k < COR_NCOM; k++)
        set_num(&c[NC_CAPACITY + k], n->capacity[k]);
    set_str(&c[NC_SOURCE], n->source);
    set_str(&c[NC_DESCRIPTION], n->description);
}

static void fill_edge(cell *c, scratch *s, const corridor_model *m, size_t i)
{
    const cor_edge *e = &m->edges[i];
    memset(c, 0, EC_COUNT * sizeof *c);
    set_str(&c[EC_ID], e->id);
    set_str(&c[EC_NAME], e->name);
    set_str(&c[EC_FROM], m->nodes[e->from].id);
    set_str(&c[EC_TO], m->nodes[e->to].id);
    set_str(&c[EC_MODE], corridor_mode_name(e->mode));
    for (size_t k = 0; k < e->n_corridors; k++)
        s->corridors[k] = m->corridors[e->corridors[k]].id;
    c[EC_CORRIDORS] = (cell){1, 0, NULL, s->corridors, e->n_corridors};
    size_t nd = 0;
    for (size_t k = 0; k < COR_NMET; k++) {
        set_num(&c[EC_METRIC + k], e->metric[k]);
        if (!(e->metric_given & (1u << k)) && !isnan(e->metric[k]))
            s->derived[nd++] = corridor_metric_field((corridor_metric)k);
    }
    c[EC_DERIVED] = (cell){1, 0, NULL, s->derived, nd};
    for (size_t k = 0; k < COR_NCOM; k++)
        set_num(&c[EC_CAPACITY + k], e->capacity[k]);
    size_t nc = 0;
    for (size_t k = 0; k < COR_NCOM; k++)
        if (e->carries & (1u << k))
            s->carries[nc++] = corridor_commodity_name((corridor_commodity)k);
    c[EC_CARRIES] = (cell){1, 0, NULL, s->carries, nc};
    if (e->gauge)
        set_num(&c[EC_GAUGE], e->gauge);
    c[EC_ONEWAY] = (cell){1, e->oneway ? 1 : 0, NULL, NULL, 0};
    set_str(&c[EC_STATUS], corridor_status_name(e->status));
    if (e->opens)
        set_num(&c[EC_OPENS], e->opens);
    set_str(&c[EC_SOURCE], e->source);
    set_str(&c[EC_DESCRIPTION], e->description);
}

/* A cell as flat text: numbers shortest, lists joined by ';', booleans true/false. */
static void add_flat(cor_buf *b, const cell *c, col_type t,
                     void (*add_text)(cor_buf *, const char *))
{
    switch (t) {
    case T_STR:
        add_text(b, c->str);
        break;
    case T_NUM:
        add_num15(b, c->num);
        break;
    case T_INT:
        corridor__buf_printf(b, "%.0f", c->num);
        break;
    case T_BOOL:
        corridor__buf_puts(b, c->num != 0 ? "true" : "false");
        break;
    case T_LIST: {
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
    scratch s;
    size_t n_nodes, n_edges; /* selected */
    double coslat;           /* cos of the mean latitude of the selected nodes */
    cor_buf out;
} exporter;

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

static const char *graphml_type(col_type t)
{
    switch (t) {
    case T_NUM:
        return "double";
    case T_INT:
        return "int";
    case T_BOOL:
        return "boolean";
    default:
        return "string";
    }
}

static void graphml_key(cor_buf *b, const char *id, const char *for_, const char *name, col_type t)
{
    corridor__buf_printf(b, "  <key id=\"%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n", id,
                         for_, name, graphml_type(t));
}

static void graphml_data(cor_buf *b, const char *indent, const char *key, const cell *c, col_type t)
{
    if (!c->present)
        return;
    corridor__buf_printf(b, "%s<data key=\"%s\">", indent, key);
    add_flat(b, c, t, add_xml);
    corridor__buf_puts(b, "</data>\n");
}

static void write_graphml(exporter *x)
{
    const corridor_model *m = x->m;
    cor_buf *b = &x->out;
    cell c[MAX_COLS];
    corridor__buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
                          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                          "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
                          "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    corridor__buf_puts(b, "  <desc>corridor network from model ");
    add_xml(b, corridor_model_name(m));
    corridor__buf_puts(b, " (");
    add_xml(b, corridor_model_origin(m));
    corridor__buf_puts(b, "), ");
    cor_buf ft;
    corridor__buf_init(&ft);
    add_filter_text(&ft, x->f);
    if (ft.failed)
        b->failed = 1;
    add_xml(b, ft.data);
    corridor__buf_puts(b, "</desc>\n");
    static const char *const graph_keys[] = {"model", "origin", "filter", "description"};
    for (size_t k = 0; k < 4; k++) {
        char id[32];
        snprintf(id, sizeof id, "g_%s", graph_keys[k]);
        graphml_key(b, id, "graph", graph_keys[k], T_STR);
    }
    for (size_t k = 0; k < COR_NCOM; k++) {
        char id[32], name[32];
        snprintf(id, sizeof id, "g_unit_%s", corridor_commodity_name((corridor_commodity)k));
        snprintf(name, sizeof name, "unit_%s", corridor_commodity_name((corridor_commodity)k));
        graphml_key(b, id, "graph", name, T_STR);
    }
    /* the node id is the <node id>: no data key for it */
    for (size_t k = 1; k < NC_COUNT; k++) {
        char id[48];
        snprintf(id, sizeof id, "n_%s", node_cols[k].name);
        graphml_key(b, id, "node", node_cols[k].name, node_cols[k].type);
    }
    graphml_key(b, "n_x", "node", "x", T_NUM);
    graphml_key(b, "n_y", "node", "y", T_NUM);
    /* the edge id is the <edge id> (igraph reads it as "id", NetworkX as the edge key) */
    for (size_t k = 0; k < EC_COUNT; k++) {
        if (k == EC_ID || k == EC_FROM || k == EC_TO) /* source and target say it */
            continue;
        char id[48];
        snprintf(id, sizeof id, "e_%s", edge_cols[k].name);
        graphml_key(b, id, "edge", edge_cols[k].name, edge_cols[k].type);
    }
    corridor__buf_puts(b, "  <graph id=\"corridor\" edgedefault=\"undirected\">\n");
    cell g;
    set_str(&g, corridor_model_name(m));
    graphml_data(b, "    ", "g_model", &g, T_STR);
    set_str(&g, corridor_model_origin(m));
    graphml_data(b, "    ", "g_origin", &g, T_STR);
    set_str(&g, ft.data ? ft.data : "");
    graphml_data(b, "    ", "g_filter", &g, T_STR);
    set_str(&g, m->description);
    graphml_data(b, "    ", "g_description", &g, T_STR);
    corridor__buf_free(&ft);
    for (size_t k = 0; k < COR_NCOM; k++) {
        char id[32];
        snprintf(id, sizeof id, "g_unit_%s", corridor_commodity_name((corridor_commodity)k));
        set_str(&g, corridor_model_unit(m, (corridor_commodity)k));
        graphml_data(b, "    ", id, &g, T_STR);
    }
    for (size_t i = 0; i < m->n_nodes; i++) {
        if (!x->sel.node_ok[i])
            continue;
        fill_node(c, m, i);
        corridor__buf_puts(b, "    <node id=\"");
        add_xml(b, m->nodes[i].id);
        corridor__buf_puts(b, "\">\n");
        for (size_t k = 1; k < NC_COUNT; k++) {
            char id[48];
            snprintf(id, sizeof id, "n_%s", node_cols[k].name);
            graphml_data(b, "      ", id, &c[k], node_cols[k].type);
        }
        if (m->nodes[i].has_pos) {
            /* Gephi and yEd read x, y: a map with north up, 100 units per degree */
            cell xy;
            set_num(&xy, m->nodes[i].lon * x->coslat * 100);
            graphml_data(b, "      ", "n_x", &xy, T_NUM);
            set_num(&xy, m->nodes[i].lat * 100);
            graphml_data(b, "      ", "n_y", &xy, T_NUM);
        }
        corridor__buf_puts(b, "    </node>\n");
    }
    for (size_t i = 0; i < m->n_edges; i++) {
        if (!x->sel.edge_ok[i])
            continue;
        const cor_edge *e = &m->edges[i];
        fill_edge(c, &x->s, m, i);
        corridor__buf_puts(b, "    <edge id=\"");
        add_xml(b, e->id);
        corridor__buf_puts(b, "\" source=\"");
        add_xml(b, m->nodes[e->from].id);
        corridor__buf_puts(b, "\" target=\"");
        add_xml(b, m->nodes[e->to].id);
        corridor__buf_puts(b, "\">\n");
        for (size_t k = 0; k < EC_COUNT; k++) {
            if (k == EC_ID || k == EC_FROM || k == EC_TO)
                continue;
            char id[48];
            snprintf(id, sizeof id, "e_%s", edge_cols[k].name);
            graphml_data(b, "      ", id, &c[k], edge_cols[k].type);
        }
        corridor__buf_puts(b, "    </edge>\n");
    }
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

static void gml_attr(cor_buf *b, const char *name, const cell *c, col_type t)
{
    if (!c->present)
        return;
    if (strcmp(name, "source") == 0)
        name = "data_source"; /* "source" is an edge's first end in GML */
    corridor__buf_printf(b, "    %s ", name);
    if (t == T_BOOL)
        corridor__buf_puts(b, c->num != 0 ? "1" : "0");
    else
        add_flat(b, c, t, add_gml_text);
    corridor__buf_puts(b, "\n");
}

static void write_gml(exporter *x)
{
    const corridor_model *m = x->m;
    cor_buf *b = &x->out;
    cell c[MAX_COLS];
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
        fill_node(c, m, i);
        corridor__buf_printf(b, "  node [\n    id %zu\n    label ", index[i]);
        add_gml_string(b, m->nodes[i].id);
        corridor__buf_puts(b, "\n");
        for (size_t k = 1; k < NC_COUNT; k++)
            gml_attr(b, node_cols[k].name, &c[k], node_cols[k].type);
        corridor__buf_puts(b, "  ]\n");
    }
    for (size_t i = 0; i < m->n_edges; i++) {
        if (!x->sel.edge_ok[i])
            continue;
        const cor_edge *e = &m->edges[i];
        fill_edge(c, &x->s, m, i);
        corridor__buf_printf(b, "  edge [\n    source %zu\n    target %zu\n", index[e->from],
                             index[e->to]);
        for (size_t k = 0; k < EC_COUNT; k++)
            gml_attr(b, edge_cols[k].name, &c[k], edge_cols[k].type);
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

static void json_cell(cor_buf *b, const cell *c, col_type t)
{
    if (!c->present) {
        corridor__buf_puts(b, "null");
        return;
    }
    switch (t) {
    case T_STR:
        add_json_string(b, c->str);
        break;
    case T_NUM:
    case T_INT:
        add_num15(b, c->num);
        break;
    case T_BOOL:
        corridor__buf_puts(b, c->num != 0 ? "true" : "false");
        break;
    case T_LIST:
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
    static const corridor_metric pen[3] = {CORRIDOR_BY_TIME, CORRIDOR_BY_COST, CORRIDOR_BY_CO2};
    if (!given) {
        corridor__buf_puts(b, "null");
        return;
    }
    corridor__buf_puts(b, "{");
    for (size_t k = 0; k < 3; k++) {
        json_key(b, k == 0, corridor_metric_field(pen[k]));
        if (given & (1u << pen[k]))
            add_json_num(b, v[pen[k]]);
        else
            corridor__buf_puts(b, "null");
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

static void json_opt_int(cor_buf *b, int v)
{
    if (v)
        corridor__buf_printf(b, "%d", v);
    else
        corridor__buf_puts(b, "null");
}

/*
 * The model in canonical form: every field in the documented order, absent
 * values as null, only given (not derived) metrics, capacities as objects, one
 * element per line. Loading it and writing it again gives the same bytes.
 */
static void write_json(exporter *x)
{
    const corridor_model *m = x->m;
    cor_buf *b = &x->out;
    corridor__buf_puts(b, "{\n  \"format\": \"corridor-model\",\n  \"version\": 1,\n  \"name\": ");
    add_json_string(b, corridor_model_name(m));
    corridor__buf_puts(b, ",\n  \"description\": ");
    add_json_string(b, m->description);
    corridor__buf_puts(b, ",\n  \"units\": {");
    for (size_t k = 0; k < COR_NCOM; k++) {
        json_key(b, k == 0, corridor_commodity_name((corridor_commodity)k));
        add_json_string(b, corridor_model_unit(m, (corridor_commodity)k));
    }
    corridor__buf_puts(b, "},\n  \"defaults\": {");
    int first = 1;
    for (size_t k = 0; k < COR_NMODE; k++) {
        if (!(m->defaults_given & (1u << k)))
            continue;
        const cor_defaults *d = &m->defaults[k];
        corridor__buf_puts(b, first ? "\n    " : ",\n    ");
        add_json_string(b, corridor_mode_name((corridor_mode)k));
        corridor__buf_puts(b, ": {\"speed_kmh\": ");
        add_json_num(b, d->speed_kmh);
        corridor__buf_puts(b, ", \"cost_usd_per_km\": ");
        add_json_num(b, d->cost_usd_per_km);
        corridor__buf_puts(b, ", \"co2_kg_per_km\": ");
        add_json_num(b, d->co2_kg_per_km);
        corridor__buf_puts(b, "}");
        first = 0;
    }
    corridor__buf_puts(b, first ? "},\n" : "\n  },\n");

    corridor__buf_puts(b, "  \"countries\": [");
    for (size_t i = 0; i < m->n_countries; i++) {
        corridor__buf_puts(b, i ? ",\n    {\"code\": " : "\n    {\"code\": ");
        add_json_string(b, m->countries[i].code);
        corridor__buf_puts(b, ", \"name\": ");
        add_json_string(b, m->countries[i].name);
        corridor__buf_puts(b, "}");
    }
    corridor__buf_puts(b, m->n_countries ? "\n  ],\n" : "],\n");

    corridor__buf_puts(b, "  \"corridors\": [");
    for (size_t i = 0; i < m->n_corridors; i++) {
        const cor_corridor *c = &m->corridors[i];
        corridor__buf_puts(b, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
        add_json_string(b, c->id);
        corridor__buf_puts(b, ", \"name\": ");
        add_json_string(b, c->name);
        corridor__buf_puts(b, ", \"color\": ");
        add_json_string(b, c->color);
        corridor__buf_puts(b, ", \"description\": ");
        add_json_string(b, c->description);
        corridor__buf_puts(b, "}");
    }
    corridor__buf_puts(b, m->n_corridors ? "\n  ],\n" : "],\n");

    corridor__buf_puts(b, "  \"nodes\": [");
    first = 1;
    for (size_t i = 0; i < m->n_nodes; i++) {
        if (!x->sel.node_ok[i])
            continue;
        const cor_node *n = &m->nodes[i];
        corridor__buf_puts(b, first ? "\n    {\"id\": " : ",\n    {\"id\": ");
        first = 0;
        add_json_string(b, n->id);
        corridor__buf_puts(b, ", \"name\": ");
        add_json_string(b, n->name);
        corridor__buf_printf(b, ", \"kind\": \"%s\", \"country\": ", corridor_kind_name(n->kind));
        add_json_string(b, n->country >= 0 ? m->countries[n->country].code : NULL);
        corridor__buf_puts(b, ", \"lat\": ");
        add_json_num(b, n->has_pos ? n->lat : NAN);
        corridor__buf_puts(b, ", \"lon\": ");
        add_json_num(b, n->has_pos ? n->lon : NAN);
        corridor__buf_puts(b, ", \"transfer\": ");
        json_penalty(b, n->transfer, n->transfer_given);
        corridor__buf_puts(b, ", \"dwell\": ");
        json_penalty(b, n->dwell, n->dwell_given);
        corridor__buf_puts(b, ", \"capacity\": ");
        json_capacity(b, n->capacity, n->capacity_given);
        corridor__buf_printf(b,
                             ", \"status\": \"%s\", \"opens\": ", corridor_status_name(n->status));
        json_opt_int(b, n->opens);
        corridor__buf_puts(b, ", \"source\": ");
        add_json_string(b, n->source);
        corridor__buf_puts(b, ", \"description\": ");
        add_json_string(b, n->description);
        corridor__buf_puts(b, "}");
    }
    corridor__buf_puts(b, first ? "],\n" : "\n  ],\n");

    static const corridor_metric order[] = {CORRIDOR_BY_DISTANCE, CORRIDOR_BY_TIME,
                                            CORRIDOR_BY_COST, CORRIDOR_BY_CO2};
    corridor__buf_puts(b, "  \"edges\": [");
    first = 1;
    for (size_t i = 0; i < m->n_edges; i++) {
        if (!x->sel.edge_ok[i])
            continue;
        const cor_edge *e = &m->edges[i];
        corridor__buf_puts(b, first ? "\n    {\"id\": " : ",\n    {\"id\": ");
        first = 0;
        add_json_string(b, e->id);
        corridor__buf_puts(b, ", \"name\": ");
        add_json_string(b, e->name);
        corridor__buf_puts(b, ", \"from\": ");
        add_json_string(b, m->nodes[e->from].id);
        corridor__buf_puts(b, ", \"to\": ");
        add_json_string(b, m->nodes[e->to].id);
        corridor__buf_printf(b, ", \"mode\": \"%s\", \"corridors\": [",
                             corridor_mode_name(e->mode));
        for (size_t c = 0; c < e->n_corridors; c++) {
            if (c)
                corridor__buf_puts(b, ", ");
            add_json_string(b, m->corridors[e->corridors[c]].id);
        }
        corridor__buf_puts(b, "]");
        for (size_t k = 0; k < COR_NMET; k++) {
            corridor__buf_printf(b, ", \"%s\": ", corridor_metric_field(order[k]));
            add_json_num(b, (e->metric_given & (1u << order[k])) ? e->metric[order[k]] : NAN);
        }
        corridor__buf_puts(b, ", \"capacity\": ");
        json_capacity(b, e->capacity, e->capacity_given);
        corridor__buf_puts(b, ", \"carries\": [");
        int fc = 1;
        for (size_t k = 0; k < COR_NCOM; k++) {
            if (!(e->carries & (1u << k)))
                continue;
            corridor__buf_printf(b, "%s\"%s\"", fc ? "" : ", ",
                                 corridor_commodity_name((corridor_commodity)k));
            fc = 0;
        }
        corridor__buf_puts(b, "], \"gauge\": ");
        json_opt_int(b, e->gauge);
        corridor__buf_printf(b, ", \"oneway\": %s, \"status\": \"%s\", \"opens\": ",
                             e->oneway ? "true" : "false", corridor_status_name(e->status));
        json_opt_int(b, e->opens);
        corridor__buf_puts(b, ", \"source\": ");
        add_json_string(b, e->source);
        corridor__buf_puts(b, ", \"description\": ");
        add_json_string(b, e->description);
        corridor__buf_puts(b, "}");
    }
    corridor__buf_puts(b, first ? "]\n}\n" : "\n  ]\n}\n");
}

/* ----------------------------------------------------------------- GeoJSON */

static void geojson_props(cor_buf *b, const char *element, const col *cols, const cell *c, size_t n)
{
    corridor__buf_printf(b, "\"properties\": {\"element\": \"%s\"", element);
    for (size_t k = 0; k < n; k++) {
        json_key(b, 0, cols[k].name);
        json_cell(b, &c[k], cols[k].type);
    }
}

static void geojson_point(cor_buf *b, const cor_node *n)
{
    corridor__buf_puts(b, "[");
    add_num15(b, n->lon);
    corridor__buf_puts(b, ", ");
    add_num15(b, n->lat);
    corridor__buf_puts(b, "]");
}

static void write_geojson(exporter *x)
{
    const corridor_model *m = x->m;
    const corridor_filter *f = x->f;
    cor_buf *b = &x->out;
    cell c[MAX_COLS];
    corridor__buf_puts(b, "{\"type\": \"FeatureCollection\",\n \"corridor\": {\"model\": ");
    add_json_string(b, corridor_model_name(m));
    corridor__buf_puts(b, ", \"origin\": ");
    add_json_string(b, corridor_model_origin(m));
    corridor__buf_puts(b, ", \"filter\": {\"status\": ");
    if (f->year > 0)
        corridor__buf_printf(b, "null, \"year\": %d", f->year);
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
    int first = 1;
    for (size_t i = 0; i < m->n_nodes; i++) {
        if (!x->sel.node_ok[i])
            continue;
        const cor_node *n = &m->nodes[i];
        fill_node(c, m, i);
        corridor__buf_puts(b, first ? "\n  " : ",\n  ");
        first = 0;
        corridor__buf_puts(b, "{\"type\": \"Feature\", \"id\": ");
        cor_buf id;
        corridor__buf_init(&id);
        corridor__buf_printf(&id, "node:%s", n->id);
        add_json_string(b, id.data);
        if (id.failed)
            b->failed = 1;
        corridor__buf_free(&id);
        corridor__buf_puts(b, ", \"geometry\": ");
        if (n->has_pos) {
            corridor__buf_puts(b, "{\"type\": \"Point\", \"coordinates\": ");
            geojson_point(b, n);
            corridor__buf_puts(b, "}, ");
        } else {
            corridor__buf_puts(b, "null, ");
        }
        geojson_props(b, "node", node_cols, c, NC_COUNT);
        corridor__buf_puts(b, "}}");
    }
    for (size_t i = 0; i < m->n_edges; i++) {
        if (!x->sel.edge_ok[i])
            continue;
        const cor_edge *e = &m->edges[i];
        const cor_node *a = &m->nodes[e->from], *z = &m->nodes[e->to];
        fill_edge(c, &x->s, m, i);
        corridor__buf_puts(b, first ? "\n  " : ",\n  ");
        first = 0;
        corridor__buf_puts(b, "{\"type\": \"Feature\", \"id\": ");
        cor_buf id;
        corridor__buf_init(&id);
        corridor__buf_printf(&id, "edge:%s", e->id);
        add_json_string(b, id.data);
        if (id.failed)
            b->failed = 1;
        corridor__buf_free(&id);
        corridor__buf_puts(b, ", \"geometry\": ");
        if (a->has_pos && z->has_pos) {
            corridor__buf_puts(b, "{\"type\": \"LineString\", \"coordinates\": [");
            geojson_point(b, a);
            corridor__buf_puts(b, ", ");
            geojson_point(b, z);
            corridor__buf_puts(b, "]}, ");
        } else {
            corridor__buf_puts(b, "null, ");
        }
        geojson_props(b, "edge", edge_cols, c, EC_COUNT);
        /* simplestyle: the first corridor's colour, for geojson.io and similar viewers */
        const char *stroke = NULL;
        for (size_t k = 0; k < e->n_corridors && !stroke; k++)
            stroke = m->corridors[e->corridors[k]].color;
        json_key(b, 0, "stroke");
        add_json_string(b, stroke);
        corridor__buf_puts(b, "}}");
    }
    corridor__buf_puts(b, first ? "]}\n" : "\n ]}\n");
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
    const col *cols = nodes ? node_cols : edge_cols;
    size_t ncols = nodes ? NC_COUNT : EC_COUNT;
    cell c[MAX_COLS];
    for (size_t k = 0; k < ncols; k++)
        corridor__buf_printf(b, "%s%s", k ? "," : "", cols[k].name);
    corridor__buf_puts(b, "\n");
    size_t n = nodes ? m->n_nodes : m->n_edges;
    for (size_t i = 0; i < n; i++) {
        if (!(nodes ? x->sel.node_ok[i] : x->sel.edge_ok[i]))
            continue;
        if (nodes)
            fill_node(c, m, i);
        else
            fill_edge(c, &x->s, m, i);
        for (size_t k = 0; k < ncols; k++) {
            if (k)
                corridor__buf_puts(b, ",");
            if (c[k].present)
                add_flat(b, &c[k], cols[k].type, add_csv);
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

/*
 * Pajek .net: vertices labelled with their ids, coordinates scaled into 0..1
 * (north up: Pajek's y grows downwards) and a shape (NetworkX reads x, y only
 * with one; igraph reads it too), two-way edges under *Edges and
 * one-way ones under *Arcs, the weight the distance in km when known.
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
    for (int arcs = 0; arcs < 2; arcs++) {
        corridor__buf_puts(b, arcs ? "*Arcs\n" : "*Edges\n");
        for (size_t i = 0; i < m->n_edges; i++) {
            const cor_edge *e = &m->edges[i];
            if (!x->sel.edge_ok[i] || (e->oneway != 0) != arcs)
                continue;
            corridor__buf_printf(b, "%zu %zu", index[e->from], index[e->to]);
            if (!isnan(e->metric[CORRIDOR_BY_DISTANCE])) {
                corridor__buf_puts(b, " ");
                add_num15(b, e->metric[CORRIDOR_BY_DISTANCE]);
            }
            corridor__buf_puts(b, "\n");
        }
    }
    free(index);
}

/* --------------------------------------------------------------------- DOT */

/* The styled graph of the geo diagram, not laid out: `neato -n` or `dot` draw it. */
static int write_dot(exporter *x)
{
    int err = 0;
    corridor_render_opts ro = CORRIDOR_RENDER_OPTS_INIT;
    Agraph_t *g = NULL;
    const char *engine = NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *f = NULL;
    ro.filter = *x->f;
    ro.basemap = "none"; /* the network only; `render -T dot` keeps the basemap */
    corridor__gv_begin();
    if ((err = corridor__diagram_build(&g, &engine, NULL, x->m, &ro)) < 0)
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
    corridor__buf_printf(b, "\n// draw with: %s -Tsvg FILE (layout \"%s\" is set in the file)\n",
                         strcmp(engine, "nop") == 0    ? "neato -n"
                         : strcmp(engine, "nop2") == 0 ? "neato -n2"
                                                       : engine,
                         engine);
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
    if ((unsigned)format >= NFORMATS)
        return corridor__error(CORRIDOR_EUSAGE,
                               "unknown export format %d (expected graphml, gml, geojson, json, "
                               "csv, dot or pajek)",
                               (int)format);
    if (!path || !*path)
        return corridor__error(CORRIDOR_EUSAGE, "export needs an output file name");
    x.m = model;
    x.f = &opts->filter;
    if ((err = corridor__selection_build(&x.sel, model, x.f)) < 0)
        return err;
    x.s.corridors = calloc(model->n_corridors + 1, sizeof *x.s.corridors);
    if (!x.s.corridors) {
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
    free(x.s.corridors);
    return err;
}
