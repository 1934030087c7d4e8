/* render.c: diagrams: the filtered model as a styled cgraph graph, laid out and drawn by gvc. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gvc.h>

#include "internal.h"
#include "label_internal.h"
#include "map_internal.h"
#include "render_internal.h"

#define PI 3.14159265358979323846

/* ------------------------------------------------------- Graphviz messages */

static char gv_msg[1024];
static size_t gv_len;
static agusererrf gv_prev;

/* Keeps what Graphviz reports (it calls this with pieces: "Error", ": ", text). */
static int gv_capture(char *s)
{
    for (; s && *s && gv_len + 1 < sizeof gv_msg; s++)
        gv_msg[gv_len++] = (*s == '\n' || *s == '\r') ? ' ' : *s;
    gv_msg[gv_len] = '\0';
    return 0;
}

void corridor__gv_begin(void)
{
    gv_len = 0;
    gv_msg[0] = '\0';
    gv_prev = agseterrf(gv_capture);
}

void corridor__gv_end(void)
{
    agseterrf(gv_prev);
    gv_prev = NULL;
}

const char *corridor__gv_message(void)
{
    while (gv_len > 0 && gv_msg[gv_len - 1] == ' ')
        gv_msg[--gv_len] = '\0';
    return gv_msg;
}

/* ------------------------------------------------------------------- style */

#define FONT              "Helvetica"
#define FONT_BOLD         "Helvetica-Bold"
#define NO_CORRIDOR_COLOR "#555555"
#define FADED_EDGE        "#9e9e9e55"
#define FADED_LINE        "#bdbdbd"
#define FADED_TEXT        "#9e9e9e"
#define LIGHT_ALPHA       "66" /* construction and planned elements */
#define SYMBOL            14.0 /* size of a place's symbol on maps, points */
/* Graphviz 2.42 draws the colours of "c1:c2" 2 points apart: bands of this width touch */
#define BAND       2.0
#define LABEL_FONT 10.0

/* Node look by kind (corridor_kind order): a symbol on maps, a shape around the name in
 * schematics, and a fill by sector (transport white, sea blue, oil, gas, power, data). */
static const struct {
    const char *geo, *schematic, *fill;
} kind_style[CORRIDOR_KIND_COUNT] = {
    {"doubleoctagon", "doubleoctagon", "#ffffff"}, /* country */
    {"circle", "ellipse", "#ffffff"},              /* city */
    {"house", "house", "#d6eaf8"},                 /* port */
    {"box", "box", "#ffffff"},                     /* rail-terminal */
    {"diamond", "hexagon", "#ffffff"},             /* border */
    {"point", "ellipse", "#000000"},               /* junction */
    {"cylinder", "cylinder", "#f5cba7"},           /* oil-terminal */
    {"triangle", "cylinder", "#d5f5e3"},           /* gas-terminal */
    {"invtriangle", "invhouse", "#e8daef"},        /* landing-station */
    {"Msquare", "Msquare", "#fcf3cf"},             /* substation */
    {"star", "octagon", "#f6ddcc"},                /* field */
};

/* Line style and width by mode (corridor_mode order). */
static const struct {
    const char *style;
    double penwidth;
    const char *describe;
} mode_style[COR_NMODE] = {
    {"solid", 2.5, "solid"},       /* rail */
    {"solid", 1.0, "thin"},        /* road */
    {"dashed", 2.0, "dashed"},     /* sea */
    {"solid", 5.0, "thick"},       /* pipeline */
    {"dotted", 2.5, "dotted"},     /* power */
    {"dotted", 1.0, "thin dotted"} /* fiber */
};

/* Corridors without a colour, and route options, take colours from these. */
static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                      "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
static const char *const route_palette[] = {"#e41a1c", "#377eb8", "#4daf4a", "#984ea3",
                                            "#ff7f00", "#a65628", "#f781bf", "#666666"};
#define NPALETTE       (sizeof palette / sizeof palette[0])
#define NROUTE_PALETTE (sizeof route_palette / sizeof route_palette[0])

static const char *corridor_color(const corridor_model *m, size_t c)
{
    const char *col = m->corridors[c].color;
    int ok = col && strlen(col) == 7 && col[0] == '#';
    for (size_t i = 1; ok && i < 7; i++)
        ok = isxdigit((unsigned char)col[i]) != 0;
    return ok ? col : palette[c % NPALETTE];
}

static double route_penwidth(size_t rank0)
{
    double w = 6.0 - 1.5 * (double)rank0;
    return w < 2.5 ? 2.5 : w;
}

/* ------------------------------------------------------------- the builder */

typedef struct diag {
    const corridor_model *m;
    const corridor_render_opts *o;
    corridor_layout layout;
    cor_selection sel;
    Agraph_t *g;
    Agraph_t *legend; /* where legend items go */
    int pinned;       /* every item has a position in points ("nop" layout) */
    double *x, *y;    /* positions of the items (nodes or countries), points */
    unsigned char *placed;
    Agnode_t **an;            /* drawn graph node per model node (or per country group) */
    uint32_t *hl_mask;        /* per edge: bit r if on route option r (r < 32) */
    size_t *hl_best;          /* per edge: best (lowest) 0-based rank + 1, 0 if on none */
    unsigned char *hl_node;   /* per node: on some route option */
    unsigned char *corr_used; /* per corridor: drawn */
    unsigned modes_used, kinds_used;
    int any_light;  /* construction or planned elements drawn */
    int any_oneway; /* one-way edges drawn */
    int any_nocorr; /* edges in no corridor drawn */
    cor_buf hidden; /* ids left out for lack of coordinates */
    size_t n_hidden;
    size_t *unlinked; /* schematic: places on no drawn line (drawn in the legend) */
    size_t n_unlinked;
    double lx, ly, ltop; /* legend: left edge, next row, top (pinned layouts) */
    double lwidth;
    double flow_max; /* flow map: the largest edge volume (0: not computed yet) */
    double right;    /* right edge of the drawing (pinned layouts), points */
    int own_labels;  /* names placed by place_labels, not as Graphviz xlabels */
    size_t uid;      /* counter for helper node names */
    int err;
    /* geographic maps on a page (geo layout with coordinates) */
    int map;
    cor_page page;
    cor_mapview view;
    double frame[4];    /* the map frame on the page, points */
    double fs, sym, ls; /* name font size, symbol size (points), legend scale */
    cor_buf bg;         /* xdot drawing under the network (_background) */
    double *seg;        /* drawn line segments x0, y0, x1, y1, for label placement */
    size_t nseg, segcap;
    size_t labels_dropped;
    int huge; /* more than HUGE_MAP elements: no tooltips (the HTML map has its own) */
} diag;

#define HUGE_MAP 20000

/*
 * Attribute symbols already looked up, by graph, kind and name (the address of the
 * name: callers pass literals): agsafeset searches the attribute dictionary by
 * strcmp on every call, a third of the time of a 100,000-node map. Emptied when
 * a diagram is begun, so a graph at a reused address never meets stale symbols.
 */
static struct {
    Agraph_t *g;
    int kind;
    const char *name;
    Agsym_t *sym;
} sym_cache[64];
static size_t sym_used;

static void sym_cache_reset(void)
{
    sym_used = 0;
}

/* Sets a graph, node or edge attribute, declaring it (default "") if new. */
static void set(void *obj, const char *name, const char *value)
{
    Agraph_t *g = agraphof(obj);
    int kind = agobjkind(obj);
    for (size_t i = 0; i < sym_used; i++)
        if (sym_cache[i].name == name && sym_cache[i].g == g && sym_cache[i].kind == kind) {
            agxset(obj, sym_cache[i].sym, (char *)value);
            return;
        }
    Agsym_t *a = agattr(g, kind, (char *)name, NULL);
    if (!a)
        a = agattr(g, kind, (char *)name, (char *)"");
    if (!a)
        return;
    if (sym_used < sizeof sym_cache / sizeof sym_cache[0]) {
        sym_cache[sym_used].g = g;
        sym_cache[sym_used].kind = kind;
        sym_cache[sym_used].name = name;
        sym_cache[sym_used++].sym = a;
    }
    agxset(obj, a, (char *)value);
}

static void setf(void *obj, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void setf(void *obj, const char *name, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    set(obj, name, buf);
}

/* Text as a Graphviz escString: backslashes doubled, so names print as they are. */
static void add_escaped(cor_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\\')
            corridor__buf_add(b, "\\\\", 2);
        else
            corridor__buf_add(b, s, 1);
    }
}

/* Sets attribute `name` to the escaped text in `b` (then empties b). */
static void set_buf(diag *d, void *obj, const char *name, cor_buf *b)
{
    if (b->failed) {
        d->err = corridor__oom();
        corridor__buf_free(b);
        return;
    }
    set(obj, name, b->data ? b->data : "");
    corridor__buf_free(b);
}

static void set_escaped(diag *d, void *obj, const char *name, const char *text)
{
    cor_buf b;
    corridor__buf_init(&b);
    add_escaped(&b, text);
    set_buf(d, obj, name, &b);
}

/* A new graph node with a unique name. */
static Agnode_t *new_node(diag *d, Agraph_t *g, const char *prefix)
{
    char name[64];
    do /* never a model node's id */
        snprintf(name, sizeof name, "%s%zu", prefix, d->uid++);
    while (agnode(d->g, name, 0));
    Agnode_t *n = agnode(g, name, 1);
    if (!n)
        d->err = corridor__error(CORRIDOR_EINTERNAL, "Graphviz: cannot add a node: %s",
                                 corridor__gv_message());
    return n;
}

static Agedge_t *new_edge(diag *d, Agraph_t *g, Agnode_t *t, Agnode_t *h)
{
    Agedge_t *e = agedge(g, t, h, NULL, 1);
    if (!e)
        d->err = corridor__error(CORRIDOR_EINTERNAL, "Graphviz: cannot add an edge: %s",
                                 corridor__gv_message());
    return e;
}

static void set_pos(void *obj, double x, double y)
{
    setf(obj, "pos", "%.2f,%.2f!", x, y);
}

static void add_number(cor_buf *b, double v)
{
    corridor__buf_printf(b, "%.6g", v);
}

/* ------------------------------------------------------------------ legend */

/* Helvetica advance widths (1/1000 em) of ASCII 32..126, from its AFM file. */
static const unsigned short helvetica[95] = {
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333,  278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,  611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278,  556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,  500, 334, 260, 334, 584};

/*
 * The Graphviz context, one for the process. Graphviz 2.42's pango plugin
 * remembers the last font name, which points into the context that drew last;
 * after gvFreeContext the next drawing reads freed memory (valgrind: invalid
 * read in textspan_size). A context that lives as long as the process avoids
 * that; it stays reachable, so leak checkers do not count it.
 */
static GVC_t *gv_context;

static GVC_t *context(void)
{
    if (!gv_context)
        gv_context = gvContext();
    return gv_context;
}

/*
 * Advance widths (per point of font size) of ASCII 32..126 in the font that
 * Graphviz's text layout (pango for PNG and PDF) uses for FONT, measured once
 * per process by laying out each character ten times; until then, or without
 * a text layout plugin, Helvetica's AFM widths.
 */
static double glyph[95], glyph_avg;
static int glyph_ready;

static void measure_init(void)
{
    GVC_t *gvc = context();
    Agraph_t *g = NULL;
    for (int i = 0; i < 95; i++)
        glyph[i] = helvetica[i] / 1000.0;
    glyph_avg = 0.556;
    glyph_ready = 1;
    if (!gvc || !(g = agopen((char *)"measure", Agundirected, NULL)))
        return;
    agattr(g, AGNODE, (char *)"shape", (char *)"plaintext");
    agattr(g, AGNODE, (char *)"margin", (char *)"0");
    agattr(g, AGNODE, (char *)"fontname", (char *)FONT);
    agattr(g, AGNODE, (char *)"fontsize", (char *)"100");
    agattr(g, AGNODE, (char *)"pos", (char *)"0,0");
    agattr(g, AGNODE, (char *)"label", (char *)"");
    Agnode_t *nodes[95] = {0};
    for (int i = 0; i < 95; i++) {
        char name[16], label[32];
        size_t k = 0;
        snprintf(name, sizeof name, "c%d", i);
        for (int r = 0; r < 10; r++) {
            if (i + 32 == '\\')
                label[k++] = '\\';
            label[k++] = (char)(i + 32);
        }
        label[k] = '\0';
        if ((nodes[i] = agnode(g, name, 1)) != NULL)
            agsafeset(nodes[i], (char *)"label", label, (char *)"");
    }
    /* nop2, not nop: see finish_graph */
    if (gvLayout(gvc, g, "nop2") == 0) {
        double sum = 0;
        for (int i = 0; i < 95; i++)
            if (nodes[i] && ND_label(nodes[i]) && ND_label(nodes[i])->dimen.x > 0)
                glyph[i] = ND_label(nodes[i])->dimen.x / 1000.0;
        for (int i = 'a' - 32; i <= 'z' - 32; i++)
            sum += glyph[i];
        glyph_avg = sum / 26;
        gvFreeLayout(gvc, g);
    }
    agclose(g);
}

/* Width of a text in points (other characters as an average letter), with 3% to spare. */
static double text_width(const char *s, double fontsize)
{
    double w = 0;
    if (!glyph_ready)
        measure_init();
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 32 && *p < 127)
            w += glyph[*p - 32];
        else if ((*p & 0xc0) != 0x80) /* first byte of a UTF-8 character */
            w += glyph_avg;
    }
    return w * fontsize * 1.03;
}

/* A text line of the legend, left-aligned after `indent` points. */
static Agnode_t *legend_text(diag *d, const char *text, double indent, int heading)
{
    Agnode_t *n = new_node(d, d->legend, "legend_text_");
    if (!n)
        return NULL;
    double k = d->map ? d->ls : 1;
    double fs = (heading ? 11 : 10) * k;
    double w = text_width(text, fs) + 4 * k;
    set(n, "shape", "plaintext");
    set(n, "margin", "0");
    setf(n, "fontsize", "%g", fs);
    if (heading)
        set(n, "fontname", FONT_BOLD);
    cor_buf b;
    corridor__buf_init(&b);
    add_escaped(&b, text);
    corridor__buf_puts(&b, "\\l");
    set_buf(d, n, "label", &b);
    set(n, "height", "0.2");
    if (!d->pinned && indent == 0) {
        /* dot: every legend row is (sample or nothing, text) in two ranks, so rows align */
        Agnode_t *a = new_node(d, d->legend, "legend_a_");
        Agedge_t *link = a ? new_edge(d, d->legend, a, n) : NULL;
        if (link) {
            set(a, "shape", "point");
            set(a, "style", "invis");
            set(a, "width", "0.01");
            set(link, "style", "invis");
        }
    }
    if (indent * k + w > d->lwidth)
        d->lwidth = indent * k + w;
    if (d->pinned) {
        setf(n, "width", "%.2f", w / 72.0);
        set_pos(n, d->lx + indent * k + w / 2, d->ly);
        d->ly -= (heading ? 20 : 16) * k;
    }
    return n;
}

/* A sample of an edge style followed by its meaning. */
static Agedge_t *legend_edge(diag *d, const char *text)
{
    Agnode_t *a = new_node(d, d->legend, "legend_a_");
    if (!a)
        return NULL;
    set(a, "shape", "point");
    set(a, "width", "0.01");
    set(a, "style", "invis");
    if (!d->pinned) {
        /* dot: the sample runs from an invisible point into the text */
        Agnode_t *t = legend_text(d, text, 52, 0);
        Agedge_t *e = t ? new_edge(d, d->legend, a, t) : NULL;
        if (e)
            set(e, "dir", "none");
        return e;
    }
    Agnode_t *b = new_node(d, d->legend, "legend_b_");
    if (!b)
        return NULL;
    set(b, "shape", "point");
    set(b, "width", "0.01");
    set(b, "style", "invis");
    double k = d->map ? d->ls : 1;
    set_pos(a, d->lx + 8 * k, d->ly);
    set_pos(b, d->lx + 44 * k, d->ly);
    Agedge_t *e = new_edge(d, d->legend, a, b);
    if (e)
        set(e, "dir", "none");
    legend_text(d, text, 52, 0);
    return e;
}

/* A sample of a node shape followed by its meaning. */
static void legend_node(diag *d, corridor_kind k)
{
    Agnode_t *n = new_node(d, d->legend, "legend_k_");
    if (!n)
        return;
    int junction = k == CORRIDOR_KIND_JUNCTION && d->pinned;
    double size = d->map ? d->sym : SYMBOL, sc = d->map ? d->ls : 1;
    set(n, "shape", d->pinned ? kind_style[k].geo : kind_style[k].schematic);
    set(n, "label", "");
    set(n, "fixedsize", "true");
    setf(n, "width", "%.3f", (junction ? 0.45 : d->pinned ? 1.0 : 2.0) * size / 72);
    setf(n, "height", "%.3f", (junction ? 0.45 : 1.0) * size / 72);
    if (d->map)
        set(n, "penwidth", "0.7");
    set(n, "style", "filled");
    set(n, "fillcolor", k == CORRIDOR_KIND_JUNCTION && !d->pinned ? "#eeeeee" : kind_style[k].fill);
    if (d->pinned)
        set_pos(n, d->lx + 26 * sc, d->ly);
    Agnode_t *t = legend_text(d, corridor_kind_name((corridor_kind)k), 52, 0);
    if (t && !d->pinned) {
        Agedge_t *link = new_edge(d, d->legend, n, t);
        if (link)
            set(link, "style", "invis");
    }
}

static const char *metric_unit(corridor_metric by)
{
    static const char *const units[] = {"h", "USD", "km", "kg CO2"};
    return (unsigned)by < COR_NMET ? units[by] : "";
}

/* The legend's container: the graph itself (pinned layouts) or a cluster (dot). */
static int legend_open(diag *d)
{
    if (d->pinned) {
        d->legend = d->g;
    } else {
        d->legend = agsubg(d->g, "cluster_legend", 1);
        if (!d->legend) {
            return d->err = corridor__oom();
        }
        set(d->legend, "label", "Legend");
        set(d->legend, "fontname", FONT_BOLD);
        set(d->legend, "fontsize", "14");
        set(d->legend, "style", "rounded");
        set(d->legend, "color", "#7f7f7f");
    }
    return 0;
}

/* Route options: one line per option in its colour, with its value. */
static void legend_routes(diag *d)
{
    if (d->o->highlight && d->o->highlight->n) {
        const corridor_routes *r = d->o->highlight;
        cor_buf b;
        corridor__buf_init(&b);
        corridor__buf_printf(&b, "Route options %s to %s", r->from ? r->from : "",
                             r->to ? r->to : "");
        legend_text(d, b.data ? b.data : "Route options", 0, 1);
        corridor__buf_free(&b);
        for (size_t i = 0; i < r->n && !d->err; i++) {
            double v = r->routes[i].metric[r->by];
            corridor__buf_init(&b);
            corridor__buf_printf(&b, "%zu: ", r->routes[i].rank);
            if (isnan(v)) {
                corridor__buf_printf(&b, "? %s", metric_unit(r->by));
            } else if (r->by == CORRIDOR_BY_TIME) {
                long hours = lround(v);
                corridor__buf_printf(&b, "%ld d %02ld h", hours / 24, hours % 24);
            } else {
                add_number(&b, v);
                corridor__buf_printf(&b, " %s", metric_unit(r->by));
            }
            Agedge_t *e = legend_edge(d, b.data ? b.data : "");
            corridor__buf_free(&b);
            if (e) {
                set(e, "color", route_palette[i % NROUTE_PALETTE]);
                setf(e, "penwidth", "%g", route_penwidth(i));
            }
        }
        legend_text(d, "other elements faded", 0, 0);
    }
}

/* Flow map colours by v/c: below 0.5, 0.8, 1, above, no capacity, no volume. */
static const char *const flow_palette[] = {"#1a9850", "#d9c21c", "#fc8d59",
                                           "#d73027", "#4575b4", "#cccccc"};
static const char *const flow_band[] = {"v/c < 0.5", "v/c 0.5-0.8", "v/c 0.8-1",
                                        "v/c > 1 (over capacity)", "no capacity"};

static const char *flow_colour(double volume, double vc)
{
    if (!(volume > 0))
        return flow_palette[5];
    if (isnan(vc))
        return flow_palette[4];
    return flow_palette[vc < 0.5 ? 0 : vc < 0.8 ? 1 : vc <= 1.0 ? 2 : 3];
}

/* The largest volume of the flow map (computed once). */
static double flow_max(diag *d)
{
    if (d->flow_max == 0) {
        d->flow_max = 1e-300;
        for (size_t e = 0; e < d->m->n_edges; e++)
            d->flow_max = fmax(d->flow_max, d->o->edge_volume[e]);
    }
    return d->flow_max;
}

/* Flow map: pen width by volume (square root, 0.5 to 12 points), colour by v/c. */
static double flow_width(diag *d, double volume)
{
    return volume > 0 ? 0.8 + 11.2 * sqrt(volume / flow_max(d)) : 0.5;
}

/* Flow map legend: the width of the largest volume and the v/c colours. */
static void flow_legend(diag *d)
{
    cor_buf b;
    corridor__buf_init(&b);
    corridor__buf_printf(&b, "Flow, %s", d->o->volume_unit ? d->o->volume_unit : "volume");
    legend_text(d, b.data ? b.data : "Flow", 0, 1);
    corridor__buf_free(&b);
    corridor__buf_init(&b);
    double top = flow_max(d) > 1e-300 ? flow_max(d) : 0.0;
    if (top >= 1000)
        corridor__buf_printf(&b, "width: up to %.0f", top);
    else
        corridor__buf_printf(&b, "width: up to %.3g", top);
    Agedge_t *e = legend_edge(d, b.data ? b.data : "");
    corridor__buf_free(&b);
    if (e) {
        set(e, "color", "#333333");
        setf(e, "penwidth", "%g", flow_width(d, flow_max(d)));
    }
    for (size_t k = 0; k < 5 && !d->err; k++) {
        e = legend_edge(d, flow_band[k]);
        if (e) {
            set(e, "color", flow_palette[k]);
            set(e, "penwidth", "4");
        }
    }
}

/* Corridors drawn, in their colours. */
static void legend_corridors(diag *d)
{
    const corridor_model *m = d->m;
    int any_corr = 0;
    for (size_t c = 0; c < m->n_corridors; c++)
        any_corr |= d->corr_used[c];
    if (d->o->edge_volume) {
        flow_legend(d);
        any_corr = d->any_nocorr = 0; /* colours are v/c now */
    }
    if (any_corr || d->any_nocorr) {
        legend_text(d, "Corridors", 0, 1);
        for (size_t c = 0; c < m->n_corridors && !d->err; c++) {
            if (!d->corr_used[c])
                continue;
            const char *name = m->corridors[c].name ? m->corridors[c].name : m->corridors[c].id;
            Agedge_t *e = legend_edge(d, name);
            if (e) {
                set(e, "color", corridor_color(m, c));
                set(e, "penwidth", "3");
            }
        }
        if (d->any_nocorr) {
            Agedge_t *e = legend_edge(d, "no corridor");
            if (e) {
                set(e, "color", NO_CORRIDOR_COLOR);
                set(e, "penwidth", "3");
            }
        }
    }
}

/* Modes (line styles), one-way, construction and planned. */
static void legend_modes(diag *d, int countries)
{
    if (!countries && d->modes_used) {
        legend_text(d, "Modes", 0, 1);
        for (size_t k = 0; k < COR_NMODE && !d->err; k++) {
            if (!(d->modes_used & (1u << k)))
                continue;
            Agedge_t *e = legend_edge(d, corridor_mode_name((corridor_mode)k));
            if (e) {
                set(e, "color", "#333333");
                set(e, "style", mode_style[k].style);
                setf(e, "penwidth", "%g", mode_style[k].penwidth);
            }
        }
        if (d->any_oneway) {
            Agedge_t *e = legend_edge(d, "one-way");
            if (e) {
                set(e, "color", "#333333");
                set(e, "dir", "forward");
                set(e, "arrowsize", "0.7");
            }
        }
    }
    if (d->any_light) {
        Agedge_t *e = legend_edge(d, "construction / planned");
        if (e) {
            set(e, "color", "#333333" LIGHT_ALPHA);
            set(e, "style", "dashed");
            set(e, "penwidth", "2.5");
        }
    }
}

/* Kinds of places (symbols), the countries' note, places not drawn. */
static void legend_places(diag *d, int countries)
{
    if (!countries && d->kinds_used) {
        legend_text(d, "Places", 0, 1);
        for (size_t k = 0; k < CORRIDOR_KIND_COUNT && !d->err; k++)
            if (d->kinds_used & (1u << k))
                legend_node(d, (corridor_kind)k);
    }
    if (countries) {
        legend_text(d, "Links between countries:", 0, 1);
        legend_text(d, "corridors; modes; number of links", 0, 0);
    }
    if (d->n_hidden) {
        cor_buf b;
        corridor__buf_init(&b);
        corridor__buf_printf(&b, "not drawn (no coordinates): %s", d->hidden.data);
        legend_text(d, b.data ? b.data : "", 0, 0);
        corridor__buf_free(&b);
    }
}

static void style_node(diag *d, Agnode_t *gn, size_t ni);

/* Schematic: places on no drawn line, in the legend rather than alone under it. */
static void legend_unlinked(diag *d)
{
    if (!d->n_unlinked || d->pinned)
        return;
    legend_text(d, "Not linked", 0, 1);
    for (size_t k = 0; k < d->n_unlinked && !d->err; k++) {
        size_t i = d->unlinked[k];
        Agnode_t *a = new_node(d, d->legend, "legend_a_");
        Agnode_t *n = a ? agnode(d->legend, d->m->nodes[i].id, 1) : NULL;
        if (!n) {
            d->err = d->err ? d->err : corridor__oom();
            return;
        }
        d->an[i] = n;
        style_node(d, n, i);
        set(a, "shape", "point");
        set(a, "style", "invis");
        set(a, "width", "0.01");
        Agedge_t *e = new_edge(d, d->legend, a, n);
        if (e)
            set(e, "style", "invis");
    }
}

/* dot: aligned texts; pinned layouts: a frame around the legend. */
static void legend_close(diag *d)
{
    if (!d->pinned && !d->err) {
        /* dot: texts of one width, so that they line up on the left */
        for (Agnode_t *n = agfstnode(d->legend); n; n = agnxtnode(d->legend, n))
            if (strncmp(agnameof(n), "legend_text_", 12) == 0)
                setf(n, "width", "%.2f", (d->lwidth - 52) / 72.0);
    }
    if (d->pinned && !d->err) {
        /* a frame around the legend */
        Agnode_t *f = new_node(d, d->g, "legend_frame_");
        double k = d->map ? d->ls : 1;
        if (f) {
            double w = d->lwidth + 24 * k, h = d->ltop - d->ly + 12 * k;
            set(f, "shape", "box");
            set(f, "style", "rounded");
            set(f, "color", "#7f7f7f");
            set(f, "label", "");
            set(f, "fixedsize", "true");
            setf(f, "width", "%.2f", w / 72);
            setf(f, "height", "%.2f", h / 72);
            set_pos(f, d->lx - 12 * k + w / 2, d->ltop + 14 * k - h / 2);
        }
    }
}

static void build_legend(diag *d)
{
    int countries = d->layout == CORRIDOR_LAYOUT_COUNTRIES;
    if (legend_open(d) < 0)
        return;
    legend_routes(d);
    legend_corridors(d);
    legend_modes(d, countries);
    legend_places(d, countries);
    legend_unlinked(d);
    legend_close(d);
}

/* ------------------------------------------------------------------- title */

/* The title as plain text, lines separated by '\n': the first line is the title proper. */
static void title_text(diag *d, cor_buf *b)
{
    const corridor_render_opts *o = d->o;
    const corridor_filter *f = &o->filter;
    if (o->title) {
        corridor__buf_puts(b, o->title);
        return;
    }
    const char *name = corridor_model_name(d->m);
    corridor__buf_puts(b, *name ? name : "corridor network");
    corridor__buf_puts(b, d->map ? "\n" : ": ");
    if (f->year > 0)
        corridor__buf_printf(b, "network in %d (operational and opened by %d)", f->year, f->year);
    else if (f->status == CORRIDOR_STATUS_OPERATIONAL)
        corridor__buf_puts(b, "operational network");
    else if (f->status == CORRIDOR_STATUS_CONSTRUCTION)
        corridor__buf_puts(b, "operational and under construction");
    else
        corridor__buf_puts(b, "operational, under construction and planned");
    if (d->layout == CORRIDOR_LAYOUT_COUNTRIES)
        corridor__buf_puts(b, ", by country");
    if (f->carry != CORRIDOR_CARRY_ANY)
        corridor__buf_printf(b, ", %s", corridor_commodity_name(f->carry));
    for (size_t i = 0; i < f->n_corridors; i++) {
        corridor__buf_puts(b, i ? ", " : "\ncorridors: ");
        corridor__buf_puts(b, f->corridors[i]);
    }
    for (size_t i = 0; i < f->n_avoid; i++) {
        corridor__buf_puts(b, i ? ", " : "\navoiding ");
        corridor__buf_puts(b, f->avoid[i]);
    }
    if (o->highlight && o->highlight->n) {
        corridor__buf_puts(b, "\nroute options from ");
        corridor__buf_puts(b, o->highlight->from ? o->highlight->from : "?");
        corridor__buf_puts(b, " to ");
        corridor__buf_puts(b, o->highlight->to ? o->highlight->to : "?");
        corridor__buf_printf(b, " by %s", corridor_metric_name(o->highlight->by));
    }
}

/* The title as the graph's label (maps draw it themselves, see map_decor). */
static void build_title(diag *d)
{
    cor_buf raw, b;
    corridor__buf_init(&raw);
    corridor__buf_init(&b);
    title_text(d, &raw);
    for (const char *p = raw.data; p && *p; p++) {
        if (*p == '\n')
            corridor__buf_puts(&b, "\\n");
        else if (*p == '\\')
            corridor__buf_puts(&b, "\\\\");
        else
            corridor__buf_add(&b, p, 1);
    }
    if (raw.failed)
        b.failed = 1;
    corridor__buf_free(&raw);
    set_buf(d, d->g, "label", &b);
}

/* --------------------------------------------------------------- positions */

/*
 * Places the items without a position at the mean of their placed neighbours
 * (a little apart), repeating while that places more. pairs: 2 * npairs item
 * indices.
 */
static void place_rest(diag *d, size_t n, const size_t *pairs, size_t npairs)
{
    int progress = 1;
    while (progress) {
        progress = 0;
        for (size_t i = 0; i < n; i++) {
            if (d->placed[i] != 0)
                continue;
            double sx = 0, sy = 0;
            size_t k = 0;
            for (size_t p = 0; p < npairs; p++) {
                size_t a = pairs[2 * p], b = pairs[2 * p + 1], other;
                if (a == i)
                    other = b;
                else if (b == i)
                    other = a;
                else
                    continue;
                if (d->placed[other] == 1) {
                    sx += d->x[other];
                    sy += d->y[other];
                    k++;
                }
            }
            if (k == 0)
                continue;
            double angle = 2.39996 * (double)i; /* golden angle: neighbours spread out */
            d->x[i] = sx / (double)k + 28 * cos(angle);
            d->y[i] = sy / (double)k + 28 * sin(angle);
            d->placed[i] = 2; /* placed this round; a neighbour of the next */
            progress = 1;
        }
        for (size_t i = 0; i < n; i++)
            if (d->placed[i] == 2)
                d->placed[i] = 1;
    }
}

/* Starts the legend to the right of the placed items. */
static void legend_origin(diag *d, size_t n)
{
    double xmax = 0, ymax = 0;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!d->placed[i])
            continue;
        xmax = any ? fmax(xmax, d->x[i]) : d->x[i];
        ymax = any ? fmax(ymax, d->y[i]) : d->y[i];
        any = 1;
    }
    /* beyond the easternmost names (own_labels: d->right is known; xlabels: allow for them) */
    d->lx = fmax(xmax + (d->own_labels ? 0 : 140), d->right) + 40;
    d->ltop = d->ly = ymax;
}

static void note_hidden(diag *d, const char *id)
{
    if (d->n_hidden < 6)
        corridor__buf_printf(&d->hidden, "%s%s", d->n_hidden ? ", " : "",
                             d->n_hidden < 5 ? id : "...");
    d->n_hidden++;
}

/* ------------------------------------------------------ overlaps and labels */

typedef struct rect {
    double x0, y0, x1, y1;
} rect;

static rect rect_at(double cx, double cy, double w, double h)
{
    rect r = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
    return r;
}

static int rects_overlap(const rect *a, const rect *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* 1 if the segment (ax,ay)-(bx,by) passes through the rectangle (Liang-Barsky). */
static int segment_hits(const rect *r, double ax, double ay, double bx, double by)
{
    double s[4] = {ax, ay, bx, by};
    const double box[4] = {r->x0, r->y0, r->x1, r->y1};
    return corridor__clip_segment(s, box);
}

/*
 * Moves overlapping items apart (w[i] x h[i] boxes around x[i], y[i]) along
 * the axis that needs the smaller move, a few rounds; places stay close to
 * their coordinates. O(rounds * n^2); skipped for large n.
 */
static void spread(diag *d, size_t n, const double *w, const double *h)
{
    if (n > 3000)
        return;
    for (int round = 0; round < 200; round++) {
        int moved = 0;
        for (size_t i = 0; i < n; i++) {
            if (!d->placed[i])
                continue;
            for (size_t j = i + 1; j < n; j++) {
                if (!d->placed[j])
                    continue;
                double dx = d->x[j] - d->x[i], dy = d->y[j] - d->y[i];
                double ox = (w[i] + w[j]) / 2 + 2 - fabs(dx), oy = (h[i] + h[j]) / 2 + 2 - fabs(dy);
                if (ox <= 0 || oy <= 0)
                    continue;
                moved = 1;
                if (ox < oy) {
                    double s = dx > 0 || (dx == 0 && i % 2) ? 1 : -1;
                    d->x[i] -= s * ox / 2;
                    d->x[j] += s * ox / 2;
                } else {
                    double s = dy > 0 || (dy == 0 && i % 2) ? 1 : -1;
                    d->y[i] -= s * oy / 2;
                    d->y[j] += s * oy / 2;
                }
            }
        }
        if (!moved)
            break;
    }
}

/* A label to place beside an anchor (a place's symbol or the middle of a link). */
typedef struct label_job {
    double x, y; /* anchor */
    double r;    /* half the size of the anchor's symbol */
    double w, h; /* label size */
    rect at;     /* result: where the label goes */
    double gap;  /* result: distance from the anchor; > 4 wants a leader line */
} label_job;

/*
 * Places labels: tries boxes beside each anchor in 8, then 16 directions at
 * growing distances and takes the cheapest that covers no obstacle and no
 * label placed before (cost: distance, crossed segments, direction); crowded
 * anchors choose first. Greedy; O(n * candidates * (n + obstacles + segments)).
 * seg: nseg segments as x0, y0, x1, y1.
 */
static int place_boxes(label_job *jobs, size_t n, const rect *obst, size_t nobst, const double *seg,
                       size_t nseg)
{
    static const double gaps[] = {0, 8, 18, 30, 45, 65, 90, 120, 160, 210};
    static const int pref8[8] = {0, 1, 7, 4, 3, 5, 2, 6}; /* right, upper right, lower right, .. */
    rect *lab = malloc((n + 1) * sizeof *lab);
    size_t *order = malloc((n + 1) * sizeof *order), *crowd = calloc(n + 1, sizeof *crowd);
    size_t nlab = 0;
    if (!lab || !order || !crowd) {
        free(lab);
        free(order);
        free(crowd);
        return corridor__oom();
    }
    for (size_t a = 0; a < n; a++) {
        order[a] = a;
        for (size_t b = 0; b < n; b++)
            if (a != b && fabs(jobs[a].x - jobs[b].x) < 60 && fabs(jobs[a].y - jobs[b].y) < 60)
                crowd[a]++;
    }
    for (size_t a = 1; a < n; a++) { /* insertion sort: stable */
        size_t v = order[a], b = a;
        while (b > 0 && crowd[order[b - 1]] < crowd[v]) {
            order[b] = order[b - 1];
            b--;
        }
        order[b] = v;
    }
    for (size_t a = 0; a < n; a++) {
        label_job *j = &jobs[order[a]];
        double best = INFINITY, best_bad = INFINITY, w = j->w, h = j->h;
        j->at = rect_at(j->x + j->r + 2 + w / 2, j->y, w, h);
        j->gap = 0;
        for (size_t gi = 0; gi < sizeof gaps / sizeof gaps[0]; gi++) {
            int ndir = gi < 2 ? 8 : 16;
            for (int k = 0; k < ndir; k++) {
                int step = ndir == 8 ? pref8[k] * 2 : k; /* in 16ths of a turn */
                double ang = step * 3.14159265358979323846 / 8;
                double ux = cos(ang), uy = sin(ang), g = j->r + 2 + gaps[gi];
                double cx = j->x + ux * g + (ux > 0.3 ? w / 2 : ux < -0.3 ? -w / 2 : 0);
                double cy = j->y + uy * g + (uy > 0.3 ? h / 2 : uy < -0.3 ? -h / 2 : 0);
                rect r = rect_at(cx, cy, w, h);
                size_t hits = 0, crossings = 0;
                for (size_t o = 0; o < nobst; o++)
                    hits += rects_overlap(&r, &obst[o]);
                for (size_t l = 0; l < nlab; l++)
                    hits += rects_overlap(&r, &lab[l]);
                for (size_t e = 0; e < nseg; e++)
                    crossings += segment_hits(&r, seg[4 * e], seg[4 * e + 1], seg[4 * e + 2],
                                              seg[4 * e + 3]);
                double cost = gaps[gi] + 10.0 * (double)crossings + 0.5 * (double)k;
                if (hits == 0 && cost < best) {
                    best = cost;
                    j->at = r;
                    j->gap = gaps[gi];
                } else if (!isfinite(best) && (double)hits * 1000 + cost < best_bad) {
                    best_bad = (double)hits * 1000 + cost;
                    j->at = r;
                    j->gap = gaps[gi];
                }
            }
        }
        lab[nlab++] = j->at;
    }
    free(lab);
    free(order);
    free(crowd);
    return 0;
}

/* A pinned text node over `r`, with a thin leader line from `anchor` if it is set apart. */
static Agnode_t *label_node(diag *d, const label_job *j, Agnode_t *anchor, const char *text,
                            double fontsize)
{
    Agnode_t *t = new_node(d, d->g, "name_");
    if (!t)
        return NULL;
    set(t, "shape", "plaintext");
    set(t, "margin", "0");
    set(t, "width", "0");
    set(t, "height", "0");
    if (fontsize != LABEL_FONT)
        setf(t, "fontsize", "%g", fontsize);
    set(t, "label", text);
    set_pos(t, (j->at.x0 + j->at.x1) / 2, (j->at.y0 + j->at.y1) / 2);
    if (j->at.x1 > d->right)
        d->right = j->at.x1;
    if (j->gap > 4 && anchor) {
        Agedge_t *e = new_edge(d, d->g, anchor, t);
        if (e) {
            set(e, "color", "#888888");
            set(e, "penwidth", "0.6");
            set(e, "dir", "none");
        }
    }
    return t;
}

/* ------------------------------------------------------------ network view */

static int edge_light(const cor_edge *e)
{
    return e->status == CORRIDOR_STATUS_CONSTRUCTION || e->status == CORRIDOR_STATUS_PLANNED;
}

static void edge_tooltip(diag *d, Agedge_t *ge, const cor_edge *e)
{
    const corridor_model *m = d->m;
    cor_buf b;
    corridor__buf_init(&b);
    add_escaped(&b, e->name ? e->name : e->id);
    corridor__buf_puts(&b, ": ");
    add_escaped(&b, m->nodes[e->from].name);
    corridor__buf_puts(&b, e->oneway ? " -> " : " - ");
    add_escaped(&b, m->nodes[e->to].name);
    corridor__buf_printf(&b, " (%s", corridor_mode_name(e->mode));
    if (e->gauge)
        corridor__buf_printf(&b, " %d mm", e->gauge);
    corridor__buf_printf(&b, ", %s", corridor_status_name(e->status));
    if (e->opens)
        corridor__buf_printf(&b, " %d", e->opens);
    corridor__buf_puts(&b, ")");
    for (size_t c = 0; c < e->n_corridors; c++) {
        corridor__buf_puts(&b, c ? ", " : "\\n");
        add_escaped(&b, m->corridors[e->corridors[c]].id);
    }
    int first = 1;
    for (size_t k = 0; k < COR_NMET; k++) {
        if (isnan(e->metric[k]))
            continue;
        corridor__buf_printf(&b, "%s%s ", first ? "\\n" : ", ",
                             corridor_metric_field((corridor_metric)k));
        add_number(&b, e->metric[k]);
        first = 0;
    }
    set_buf(d, ge, "tooltip", &b);
}

static void style_edge(diag *d, Agedge_t *ge, size_t ei)
{
    const corridor_model *m = d->m;
    const cor_edge *e = &m->edges[ei];
    int light = edge_light(e);
    cor_buf col;
    corridor__buf_init(&col);
    if (d->o->edge_volume) {
        double v = d->o->edge_volume[ei];
        corridor__buf_puts(&col, flow_colour(v, d->o->edge_vc ? d->o->edge_vc[ei] : NAN));
        setf(ge, "penwidth", "%g", flow_width(d, v));
    } else if (d->hl_best && d->hl_best[ei]) {
        size_t n = 0;
        for (size_t r = 0; r < 32; r++)
            if (d->hl_mask[ei] & (1u << r))
                corridor__buf_printf(&col, "%s%s", n++ ? ":" : "",
                                     route_palette[r % NROUTE_PALETTE]);
        if (n == 0)
            corridor__buf_puts(&col, route_palette[(d->hl_best[ei] - 1) % NROUTE_PALETTE]);
        setf(ge, "penwidth", "%g", n > 1 ? BAND : route_penwidth(d->hl_best[ei] - 1));
    } else if (d->hl_best) {
        corridor__buf_puts(&col, FADED_EDGE);
        setf(ge, "penwidth", "%g", fmin(mode_style[e->mode].penwidth, 1.5));
    } else {
        for (size_t c = 0; c < e->n_corridors; c++)
            corridor__buf_printf(&col, "%s%s%s", c ? ":" : "", corridor_color(m, e->corridors[c]),
                                 light ? LIGHT_ALPHA : "");
        if (e->n_corridors == 0)
            corridor__buf_printf(&col, "%s%s", NO_CORRIDOR_COLOR, light ? LIGHT_ALPHA : "");
        setf(ge, "penwidth", "%g", e->n_corridors > 1 ? BAND : mode_style[e->mode].penwidth);
    }
    set_buf(d, ge, "color", &col);
    const char *style = mode_style[e->mode].style;
    if (light && strcmp(style, "solid") == 0)
        style = "dashed";
    set(ge, "style", style);
    set(ge, "dir", e->oneway ? "forward" : "none");
    if (e->oneway)
        set(ge, "arrowsize", "0.7");
    if (!d->huge)
        edge_tooltip(d, ge, e);
    setf(ge, "id", "e%zu", ei); /* the HTML map finds its data by these ids */
    if (d->layout == CORRIDOR_LAYOUT_SCHEMATIC && (light || e->status == CORRIDOR_STATUS_CLOSED)) {
        if (e->opens)
            setf(ge, "label", "%s %d", corridor_status_name(e->status), e->opens);
        else
            set(ge, "label", corridor_status_name(e->status));
        set(ge, "fontsize", "8");
    }
    d->modes_used |= 1u << e->mode;
    d->any_light |= light;
    d->any_oneway |= e->oneway;
    d->any_nocorr |= e->n_corridors == 0;
    for (size_t c = 0; c < e->n_corridors; c++)
        d->corr_used[e->corridors[c]] = 1;
}

static void style_node(diag *d, Agnode_t *gn, size_t ni)
{
    const corridor_model *m = d->m;
    const cor_node *n = &m->nodes[ni];
    int light = n->status == CORRIDOR_STATUS_CONSTRUCTION || n->status == CORRIDOR_STATUS_PLANNED;
    int faded = d->hl_best && !d->hl_node[ni];
    int junction = n->kind == CORRIDOR_KIND_JUNCTION;
    const char *fill = kind_style[n->kind].fill;
    if (d->pinned) {
        /* a small symbol at the place, the name beside it */
        set(gn, "shape", kind_style[n->kind].geo);
        set(gn, "label", "");
        if (!d->own_labels)
            set_escaped(d, gn, "xlabel", n->name);
        set(gn, "fixedsize", "true");
        double size = d->map ? d->sym : SYMBOL;
        setf(gn, "width", "%.3f", (junction ? 0.45 : 1.0) * size / 72);
        setf(gn, "height", "%.3f", (junction ? 0.45 : 1.0) * size / 72);
        if (d->map)
            set(gn, "penwidth", "0.7");
        set_pos(gn, d->x[ni], d->y[ni]);
    } else {
        set(gn, "shape", kind_style[n->kind].schematic);
        set_escaped(d, gn, "label", n->name);
        set(gn, "margin", "0.05,0.03");
        if (junction)
            fill = "#eeeeee";
    }
    set(gn, "style", light ? "filled,dashed" : "filled");
    set(gn, "fillcolor", fill);
    if (faded) {
        set(gn, "color", FADED_LINE);
        set(gn, "fontcolor", FADED_TEXT);
        set(gn, "fillcolor", junction && d->pinned ? FADED_LINE : "#ffffff");
    } else if (light) {
        set(gn, "color", "#00000088");
        set(gn, "fontcolor", "#555555");
    }
    setf(gn, "id", "n%zu", ni);
    d->kinds_used |= 1u << n->kind;
    if (d->huge)
        return;
    cor_buf b;
    corridor__buf_init(&b);
    add_escaped(&b, n->name);
    corridor__buf_printf(&b, " (%s", corridor_kind_name(n->kind));
    if (n->country >= 0)
        corridor__buf_printf(&b, ", %s", m->countries[n->country].code);
    if (n->status != CORRIDOR_STATUS_OPERATIONAL)
        corridor__buf_printf(&b, ", %s", corridor_status_name(n->status));
    if (n->opens)
        corridor__buf_printf(&b, " %d", n->opens);
    corridor__buf_puts(&b, ")");
    set_buf(d, gn, "tooltip", &b);
}

/* -------------------------------------------------------------- map mode */

/* Label priorities (label.c places higher first): ends of routes and corridors always kept. */
static int name_priority(diag *d, size_t ni, const unsigned char *corridor_end)
{
    static const int by_kind[CORRIDOR_KIND_COUNT] = {
        70, /* country */ 60, /* city */ 55,      /* port */ 50, /* rail-terminal */
        45, /* border */ 10,  /* junction */ 45,  /* oil */ 45,  /* gas */
        40, /* landing */ 35, /* substation */ 40 /* field */};
    const corridor_routes *r = d->o->highlight;
    if (r && r->n && d->hl_node && d->hl_node[ni]) {
        for (size_t i = 0; i < r->n; i++) {
            const corridor_route *rt = &r->routes[i];
            if (rt->n_edges == 0)
                continue;
            long a = corridor__edge_find(d->m, rt->hops[0].edge);
            long b = corridor__edge_find(d->m, rt->hops[rt->n_edges - 1].edge);
            const cor_edge *ea = a >= 0 ? &d->m->edges[a] : NULL,
                           *eb = b >= 0 ? &d->m->edges[b] : NULL;
            if ((ea && (ea->from == ni || ea->to == ni)) ||
                (eb && (eb->from == ni || eb->to == ni)))
                return LABEL_KEEP + 20;
        }
        return 80;
    }
    if (corridor_end && corridor_end[ni])
        return LABEL_KEEP;
    return by_kind[d->m->nodes[ni].kind];
}

/* Nodes at the end of a corridor (on exactly one of its drawn edges). */
static unsigned char *corridor_ends(diag *d)
{
    const corridor_model *m = d->m;
    unsigned char *end = calloc(m->n_nodes + 1, 1);
    unsigned *deg = calloc(m->n_nodes + 1, sizeof *deg);
    if (!end || !deg) {
        free(end);
        free(deg);
        return NULL;
    }
    for (size_t c = 0; c < m->n_corridors && m->n_corridors <= 64; c++) {
        memset(deg, 0, (m->n_nodes + 1) * sizeof *deg);
        for (size_t i = 0; i < m->n_edges; i++) {
            const cor_edge *e = &m->edges[i];
            for (size_t k = 0; k < e->n_corridors && d->sel.edge_ok[i]; k++)
                if (e->corridors[k] == c) {
                    deg[e->from]++;
                    deg[e->to]++;
                }
        }
        for (size_t i = 0; i < m->n_nodes; i++)
            end[i] |= deg[i] == 1;
    }
    free(deg);
    return end;
}

/* The lon/lat box to show: opts->extent, else the drawn elements; then a margin. */
static int map_extent(diag *d, double ext[4])
{
    const corridor_model *m = d->m;
    const char *x = d->o->extent;
    unsigned char *want = calloc(m->n_nodes + 1, 1);
    int err = 0, explicit_box = 0;
    if (!want)
        return corridor__oom();
    if (x && sscanf(x, "%lf,%lf,%lf,%lf", &ext[0], &ext[1], &ext[2], &ext[3]) == 4) {
        if (!(ext[0] < ext[2] && ext[1] < ext[3] && ext[0] >= -180 && ext[2] <= 180 &&
              ext[1] >= -90 && ext[3] <= 90)) {
            err = corridor__error(CORRIDOR_EUSAGE,
                                  "--extent \"%s\": expected lon0,lat0,lon1,lat1 with lon0 < lon1 "
                                  "and lat0 < lat1, in degrees",
                                  x);
            goto done;
        }
        explicit_box = 1;
    } else if (x && strncmp(x, "country:", 8) == 0) {
        for (size_t i = 0; i < m->n_nodes; i++) {
            long c = m->nodes[i].country;
            if (c < 0 || !d->sel.node_ok[i])
                continue;
            const char *code = m->countries[c].code;
            for (const char *p = x + 8; *p;) {
                size_t len = strcspn(p, ",");
                if (len == strlen(code) && strncasecmp(p, code, len) == 0)
                    want[i] = 1;
                p += len + (p[len] == ',');
            }
        }
    } else if (x && strncmp(x, "corridor:", 9) == 0) {
        long c = corridor__corridor_find(m, x + 9);
        for (size_t i = 0; c >= 0 && i < m->n_edges; i++)
            for (size_t k = 0; k < m->edges[i].n_corridors; k++)
                if (m->edges[i].corridors[k] == (size_t)c && d->sel.edge_ok[i])
                    want[m->edges[i].from] = want[m->edges[i].to] = 1;
    } else if (x && strcmp(x, "route") == 0) {
        for (size_t i = 0; d->hl_node && i < m->n_nodes; i++)
            want[i] = d->hl_node[i];
    } else if (x && *x) {
        err = corridor__error(CORRIDOR_EUSAGE,
                              "--extent \"%s\": expected country:CODE[,CODE...], corridor:ID, "
                              "route or lon0,lat0,lon1,lat1",
                              x);
        goto done;
    } else {
        for (size_t i = 0; i < m->n_nodes; i++)
            want[i] = d->sel.node_ok[i];
    }
    if (!explicit_box) {
        ext[0] = ext[1] = INFINITY;
        ext[2] = ext[3] = -INFINITY;
        for (size_t i = 0; i < m->n_nodes; i++) {
            if (!want[i] || !m->nodes[i].has_pos)
                continue;
            ext[0] = fmin(ext[0], m->nodes[i].lon);
            ext[1] = fmin(ext[1], m->nodes[i].lat);
            ext[2] = fmax(ext[2], m->nodes[i].lon);
            ext[3] = fmax(ext[3], m->nodes[i].lat);
        }
        if (!isfinite(ext[0])) {
            err = corridor__error(CORRIDOR_EINVALID,
                                  "--extent \"%s\": no drawn place with coordinates is in it; "
                                  "check the codes and ids, or the filters",
                                  x ? x : "");
            goto done;
        }
        /* a margin of 6% (at least 0.5 degrees) on each side */
        double mx = fmax((ext[2] - ext[0]) * 0.06, 0.5), my = fmax((ext[3] - ext[1]) * 0.06, 0.5);
        ext[0] = fmax(ext[0] - mx, -180);
        ext[2] = fmin(ext[2] + mx, 180);
        ext[1] = fmax(ext[1] - my, -89);
        ext[3] = fmin(ext[3] + my, 89);
    }
done:
    free(want);
    return err;
}

/* Width of the legend panel: the longest text it may show. */
static double legend_width(diag *d)
{
    const corridor_model *m = d->m;
    double w = text_width("construction / planned", 10);
    for (size_t c = 0; c < m->n_corridors; c++)
        w = fmax(w,
                 text_width(m->corridors[c].name ? m->corridors[c].name : m->corridors[c].id, 10));
    if (d->o->highlight && d->o->highlight->n)
        w = fmax(w, text_width("Route options from Khorgos to Istanbul", 11));
    return fmin((52 + w + 36) * d->ls, 0.3 * d->page.w);
}

/* Page, fonts, frame and projection. */
static int map_setup(diag *d)
{
    const corridor_render_opts *o = d->o;
    double ext[4];
    int err;
    if ((err = corridor__page_parse(&d->page, o->size, o->orientation, o->dpi)) < 0)
        return err;
    if ((err = map_extent(d, ext)) < 0)
        return err;
    /* names 8 pt on A3, scaled with the page's diagonal, from 6.5 to 9 pt */
    double diag_a3 = hypot(1190.55, 841.89), k = hypot(d->page.w, d->page.h) / diag_a3;
    d->fs = fmin(fmax(8 * k, 6.5), 9);
    d->sym = d->fs * 0.85;
    d->ls = d->fs / 9;
    double margin = fmax(0.025 * fmin(d->page.w, d->page.h), 14);
    double title_h = d->fs * 2.4 * 1.2 + d->fs * 1.3 * 1.25 * 2 + 6;
    double source_h = d->fs * 1.9;
    double lw = legend_width(d);
    d->frame[0] = margin;
    d->frame[1] = margin + source_h;
    d->frame[2] = d->page.w - margin - lw - 10;
    d->frame[3] = d->page.h - margin - title_h;
    if (d->frame[2] - d->frame[0] < 72 || d->frame[3] - d->frame[1] < 72)
        return corridor__error(CORRIDOR_EUSAGE, "--size: the page is too small for a map");
    return corridor__mapview_open(&d->view, o->projection, ext, d->frame);
}

static int in_frame(const diag *d, double x, double y)
{
    return x >= d->frame[0] && x <= d->frame[2] && y >= d->frame[1] && y <= d->frame[3];
}

/* Nodes to page points; those outside the frame are not drawn. */
static int map_place_nodes(diag *d)
{
    const corridor_model *m = d->m;
    size_t *pairs = malloc((2 * m->n_edges + 1) * sizeof *pairs), np = 0;
    double *box = malloc((m->n_nodes + 1) * sizeof *box);
    if (!pairs || !box) {
        free(pairs);
        free(box);
        return corridor__oom();
    }
    for (size_t i = 0; i < m->n_nodes; i++) {
        const cor_node *n = &m->nodes[i];
        if (d->sel.node_ok[i] && n->has_pos &&
            corridor__mapview_xy(&d->view, n->lon, n->lat, &d->x[i], &d->y[i]) == 0)
            d->placed[i] = in_frame(d, d->x[i], d->y[i]) ? 1 : 3; /* 3: outside, not drawn */
        box[i] = d->sym + 1;
    }
    for (size_t i = 0; i < m->n_edges; i++) {
        if (!d->sel.edge_ok[i])
            continue;
        pairs[2 * np] = m->edges[i].from;
        pairs[2 * np + 1] = m->edges[i].to;
        np++;
    }
    place_rest(d, m->n_nodes, pairs, np);
    for (size_t i = 0; i < m->n_nodes; i++)
        if (d->placed[i] == 1 && !in_frame(d, d->x[i], d->y[i]))
            d->placed[i] = 3;
    /* places on top of each other a little apart, but never far from where they are */
    double *x0 = malloc((2 * m->n_nodes + 1) * sizeof *x0);
    if (x0) {
        memcpy(x0, d->x, m->n_nodes * sizeof *x0);
        memcpy(x0 + m->n_nodes, d->y, m->n_nodes * sizeof *x0);
        spread(d, m->n_nodes, box, box);
        for (size_t i = 0; i < m->n_nodes; i++) {
            double dx = d->x[i] - x0[i], dy = d->y[i] - x0[m->n_nodes + i], r = hypot(dx, dy);
            if (r > d->sym) {
                d->x[i] = x0[i] + dx * d->sym / r;
                d->y[i] = x0[m->n_nodes + i] + dy * d->sym / r;
            }
        }
        free(x0);
    }
    free(pairs);
    free(box);
    return 0;
}

static int add_seg(diag *d, double x0, double y0, double x1, double y1)
{
    if (d->nseg == d->segcap) {
        size_t nc = d->segcap ? 2 * d->segcap : 1024;
        double *p = realloc(d->seg, 4 * nc * sizeof *p);
        if (!p)
            return corridor__oom();
        d->seg = p;
        d->segcap = nc;
    }
    double *s = d->seg + 4 * d->nseg++;
    s[0] = x0;
    s[1] = y0;
    s[2] = x1;
    s[3] = y1;
    return 0;
}

/* Clips a segment to the frame (Liang-Barsky); 0 if nothing is left. */
static int clip_segment(const diag *d, double *s)
{
    return corridor__clip_segment(s, d->frame);
}

/* The edge's shape as given in the model ([lon, lat] pairs; 0 if none: a great-circle arc is
   drawn). */
static size_t edge_shape(const corridor_model *m, size_t e, const double **lonlat)
{
    return corridor__edge_shape(m, e, lonlat);
}

/* The edge's line on the page: its shape or great-circle points, projected (or a straight line).
 */
static int edge_line(diag *d, size_t ei, double **pts, size_t *n)
{
    const cor_edge *e = &d->m->edges[ei];
    const cor_node *a = &d->m->nodes[e->from], *b = &d->m->nodes[e->to];
    const double *shape = NULL;
    size_t k = 0, ns = edge_shape(d->m, ei, &shape);
    int err = 0;
    if (ns >= 2) {
        if (!(*pts = malloc(2 * ns * sizeof **pts)))
            return corridor__oom();
        memcpy(*pts, shape, 2 * ns * sizeof **pts);
        *n = ns;
    }
    if (ns >= 2 || (a->has_pos && b->has_pos && d->placed[e->from] != 2 && d->placed[e->to] != 2)) {
        if (ns < 2 && (err = corridor__great_circle_points(pts, n, a->lon, a->lat, b->lon, b->lat,
                                                           60, 1)) < 0)
            return err;
        for (size_t i = 0; i < *n; i++) {
            double x, y;
            if (corridor__mapview_xy(&d->view, (*pts)[2 * i], (*pts)[2 * i + 1], &x, &y) < 0)
                continue;
            (*pts)[2 * k] = x;
            (*pts)[2 * k + 1] = y;
            k++;
        }
        *n = k;
        /* the ends exactly on the symbols (spread may have moved them a little) */
        if (k >= 2 && d->placed[e->from] == 1) {
            (*pts)[0] = d->x[e->from];
            (*pts)[1] = d->y[e->from];
        }
        if (k >= 2 && d->placed[e->to] == 1) {
            (*pts)[2 * k - 2] = d->x[e->to];
            (*pts)[2 * k - 1] = d->y[e->to];
        }
        return 0;
    }
    if (!(*pts = malloc(4 * sizeof **pts)))
        return corridor__oom();
    (*pts)[0] = d->x[e->from];
    (*pts)[1] = d->y[e->from];
    (*pts)[2] = d->x[e->to];
    (*pts)[3] = d->y[e->to];
    *n = 2;
    return 0;
}

/* An invisible end for a line that leaves the frame. */
static Agnode_t *clip_end(diag *d, double x, double y)
{
    Agnode_t *n = new_node(d, d->g, "clip_");
    if (n) {
        set(n, "shape", "point");
        set(n, "style", "invis");
        set(n, "width", "0");
        set(n, "height", "0");
        set_pos(n, x, y);
    }
    return n;
}

/* One edge of the map: its line clipped to the frame, as Bezier pieces in "pos". */
static int map_edge(diag *d, size_t ei)
{
    const cor_edge *e = &d->m->edges[ei];
    double *p = NULL;
    size_t n = 0;
    int err;
    cor_buf pos;
    double first[2] = {0, 0}, last[2] = {0, 0};
    int any = 0, open = 0;
    if ((err = edge_line(d, ei, &p, &n)) < 0)
        return err;
    corridor__buf_init(&pos);
    for (size_t i = 0; i + 1 < n; i++) {
        double s[4] = {p[2 * i], p[2 * i + 1], p[2 * i + 2], p[2 * i + 3]};
        int whole_start = 1;
        if (!clip_segment(d, s)) {
            open = 0;
            continue;
        }
        whole_start = s[0] == p[2 * i] && s[1] == p[2 * i + 1];
        if (!open || !whole_start) {
            corridor__buf_printf(&pos, "%s%.2f,%.2f", any ? ";" : "", s[0], s[1]);
            if (!any) {
                first[0] = s[0];
                first[1] = s[1];
            }
        }
        corridor__buf_printf(&pos, " %.2f,%.2f %.2f,%.2f %.2f,%.2f", s[0] + (s[2] - s[0]) / 3,
                             s[1] + (s[3] - s[1]) / 3, s[0] + 2 * (s[2] - s[0]) / 3,
                             s[1] + 2 * (s[3] - s[1]) / 3, s[2], s[3]);
        last[0] = s[2];
        last[1] = s[3];
        open = s[2] == p[2 * i + 2] && s[3] == p[2 * i + 3];
        any = 1;
        if ((err = add_seg(d, s[0], s[1], s[2], s[3])) < 0)
            break;
    }
    free(p);
    if (err == 0 && any && !pos.failed) {
        Agnode_t *t = d->placed[e->from] == 1 ? d->an[e->from] : clip_end(d, first[0], first[1]);
        Agnode_t *h = d->placed[e->to] == 1 ? d->an[e->to] : clip_end(d, last[0], last[1]);
        Agedge_t *ge = t && h ? new_edge(d, d->g, t, h) : NULL;
        if (ge) {
            style_edge(d, ge, ei);
            set(ge, "pos", pos.data);
            if (e->oneway) /* no room for arrowheads in pinned lines: the legend says "one-way" */
                set(ge, "dir", "none");
        }
    }
    if (err == 0 && pos.failed)
        err = corridor__oom();
    corridor__buf_free(&pos);
    return err;
}

/* A text op for the background: x, y baseline, j -1 left, 0 centre, 1 right. */
static void bg_text(diag *d, double x, double y, int j, double size, const char *font,
                    const char *color, const char *text)
{
    corridor__buf_printf(&d->bg, "F %g %zu -%s c %zu -%s T %.1f %.1f %d %.1f %zu -%s ", size,
                         strlen(font), font, strlen(color), color, x, y, j, text_width(text, size),
                         strlen(text), text);
}

static void bg_rect(diag *d, double x0, double y0, double x1, double y1, const char *fill,
                    const char *line)
{
    corridor__buf_printf(&d->bg, "c %zu -%s C %zu -%s P 4 %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f ",
                         strlen(line), line, strlen(fill), fill, x0, y0, x1, y0, x1, y1, x0, y1);
}

/* A placed name as a text node, with a leader line if it is set apart from its symbol. */
static void name_node(diag *d, const cor_label *L, size_t i)
{
    const corridor_model *m = d->m;
    Agnode_t *t = new_node(d, d->g, "name_");
    if (!t)
        return;
    set(t, "shape", "plaintext");
    set(t, "margin", "0");
    set(t, "fixedsize", "true");
    setf(t, "width", "%.3f", L->w / 72);
    setf(t, "height", "%.3f", L->h / 72);
    setf(t, "fontsize", "%.2f", d->fs);
    set_escaped(d, t, "label", m->nodes[i].name);
    set_pos(t, L->cx, L->cy);
    setf(t, "id", "l%zu", i);
    char *fc = agget(d->an[i], (char *)"fontcolor");
    if (fc && *fc)
        set(t, "fontcolor", fc);
    if (L->gap > 4) {
        Agedge_t *e = new_edge(d, d->g, d->an[i], t);
        if (e) {
            set(e, "color", "#777777");
            set(e, "penwidth", "0.5");
            set(e, "dir", "none");
        }
    }
}

/* Names of places and countries, placed by label.c; count the places' names dropped. */
static int map_labels(diag *d, const cor_country_pt *cp, size_t ncp)
{
    const corridor_model *m = d->m;
    size_t n = 0, nobst = 0, dropped = 0;
    cor_label *L = calloc(m->n_nodes + ncp + 1, sizeof *L);
    size_t *who = calloc(m->n_nodes + ncp + 1, sizeof *who);
    double *obst = malloc((4 * m->n_nodes + 8) * sizeof *obst);
    unsigned char *ends = corridor_ends(d);
    int err = 0;
    if (!L || !who || !obst || !ends) {
        err = corridor__oom();
        goto done;
    }
    /* the scale bar's corner */
    double sb[4] = {d->frame[0], d->frame[1], d->frame[0] + 160 * d->ls, d->frame[1] + 30 * d->ls};
    memcpy(obst, sb, sizeof sb);
    nobst = 1;
    for (size_t c = 0; c < ncp; c++) {
        const char *name = m->countries[cp[c].country].name ? m->countries[cp[c].country].name
                                                            : m->countries[cp[c].country].code;
        L[n].x = cp[c].x;
        L[n].y = cp[c].y;
        L[n].w = text_width(name, d->fs * 1.2);
        L[n].h = d->fs * 1.2 * 1.2;
        L[n].priority = LABEL_KEEP + 50;
        L[n].centred = 1;
        who[n++] = m->n_nodes + c;
    }
    for (size_t i = 0; i < m->n_nodes; i++) {
        if (!d->an[i])
            continue;
        double r = (m->nodes[i].kind == CORRIDOR_KIND_JUNCTION ? 0.45 : 1) * d->sym / 2;
        double *o = obst + 4 * nobst++;
        o[0] = d->x[i] - r - 0.5;
        o[1] = d->y[i] - r - 0.5;
        o[2] = d->x[i] + r + 0.5;
        o[3] = d->y[i] + r + 0.5;
        L[n].x = d->x[i];
        L[n].y = d->y[i];
        L[n].r = r + 0.5;
        L[n].w = text_width(m->nodes[i].name, d->fs) + 1;
        L[n].h = d->fs * 1.2;
        L[n].priority = name_priority(d, i, ends);
        who[n++] = i;
    }
    if ((err = corridor__labels_place(&dropped, L, n, obst, nobst, d->seg, d->nseg, d->frame,
                                      4000)) < 0)
        goto done;
    for (size_t k = 0; k < n && !d->err; k++) {
        if (who[k] >= m->n_nodes) {
            if (L[k].placed)
                bg_text(d, L[k].cx, L[k].cy - d->fs * 1.2 * 0.3, 0, d->fs * 1.2, FONT, "#8c8c8c",
                        m->countries[cp[who[k] - m->n_nodes].country].name
                            ? m->countries[cp[who[k] - m->n_nodes].country].name
                            : m->countries[cp[who[k] - m->n_nodes].country].code);
            continue;
        }
        if (!L[k].placed) {
            d->labels_dropped++;
            continue;
        }
        name_node(d, &L[k], who[k]);
    }
done:
    free(L);
    free(who);
    free(obst);
    free(ends);
    return err;
}

/* A length near `v` of the form 1, 2 or 5 times a power of ten. */
static double nice_length(double v)
{
    double p = pow(10, floor(log10(v))), f = v / p;
    return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * p;
}

/* Scale bar (km), north arrow (only if north is not up), frame, title, source line. */
static void map_decor(diag *d)
{
    const double *f = d->frame;
    double W = d->page.w, H = d->page.h, fs = d->fs;
    /* the page outside the frame, white, over whatever the basemap drew there */
    bg_rect(d, 0, 0, W, f[1], "#ffffff", "#ffffff");
    bg_rect(d, 0, f[3], W, H, "#ffffff", "#ffffff");
    bg_rect(d, 0, f[1], f[0], f[3], "#ffffff", "#ffffff");
    bg_rect(d, f[2], f[1], W, f[3], "#ffffff", "#ffffff");
    corridor__buf_printf(&d->bg,
                         "S 17 -setlinewidth(0.8) c 7 -#6e6e6e p 4 %.1f %.1f %.1f %.1f "
                         "%.1f %.1f %.1f %.1f ",
                         f[0], f[1], f[2], f[1], f[2], f[3], f[0], f[3]);
    if (d->view.km_per_pt > 0) {
        double km = nice_length(d->view.km_per_pt * 100 * d->ls), len = km / d->view.km_per_pt;
        double x = f[0] + 10 * d->ls, y = f[1] + 10 * d->ls, h = 4 * d->ls;
        char text[64];
        bg_rect(d, f[0] + 1, f[1] + 1, x + len + 40 * d->ls, y + h + fs * 1.6, "#ffffffcc",
                "#ffffff00");
        bg_rect(d, x, y, x + len / 2, y + h, "#333333", "#333333");
        bg_rect(d, x + len / 2, y, x + len, y + h, "#ffffff", "#333333");
        snprintf(text, sizeof text, "%g km", km);
        bg_text(d, x, y + h + 2, -1, fs * 0.9, FONT, "#333333", "0");
        bg_text(d, x + len, y + h + 2, 0, fs * 0.9, FONT, "#333333", text);
    }
    if (fabs(d->view.north) > 2) {
        double cx = f[2] - 18 * d->ls, cy = f[3] - 30 * d->ls, L = 14 * d->ls;
        double a = d->view.north * 3.14159265358979323846 / 180, ux = sin(a), uy = cos(a);
        corridor__buf_printf(&d->bg, "c 7 -#333333 C 7 -#333333 P 3 %.1f %.1f %.1f %.1f %.1f %.1f ",
                             cx + ux * L, cy + uy * L, cx - ux * L + uy * L * 0.35,
                             cy - uy * L - ux * L * 0.35, cx - ux * L - uy * L * 0.35,
                             cy - uy * L + ux * L * 0.35);
        bg_text(d, cx + ux * (L + fs), cy + uy * (L + fs) - fs * 0.35, 0, fs * 1.1, FONT_BOLD,
                "#333333", "N");
    }
    cor_buf t;
    corridor__buf_init(&t);
    title_text(d, &t);
    double y = H - (0.025 * fmin(W, H) > 14 ? 0.025 * fmin(W, H) : 14) - fs * 2.4;
    size_t line = 0;
    for (char *p = t.data; p && *p; line++) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        double size = line == 0 ? fs * 2.4 : fs * 1.3;
        bg_text(d, f[0], y, -1, size, line == 0 ? FONT_BOLD : FONT, line ? "#444444" : "#111111",
                p);
        y -= line == 0 ? fs * 1.3 * 1.45 : fs * 1.3 * 1.25;
        p = nl ? nl + 1 : p + strlen(p);
    }
    corridor__buf_free(&t);
    /* the source line, and the projection on the right */
    char date[32] = "";
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t now = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(date, sizeof date, "%Y-%m-%d", &tm);
    cor_buf s;
    corridor__buf_init(&s);
    if (!d->o->basemap)
        corridor__buf_puts(&s, "Map data: Natural Earth (borders indicative); ");
    else if (strcmp(d->o->basemap, "none") != 0)
        corridor__buf_printf(&s, "Map data: %s; ", d->o->basemap);
    corridor__buf_printf(&s, "network: %s, %s", corridor_model_name(d->m), date);
    if (s.data)
        bg_text(d, f[0], f[1] - fs * 1.35, -1, fs * 0.9, FONT, "#555555", s.data);
    corridor__buf_free(&s);
    corridor__buf_init(&s);
    corridor__buf_printf(&s, "Projection: %s",
                         d->o->projection && *d->o->projection ? d->o->projection
                         : strstr(d->view.definition, "lcc")   ? "Lambert conformal conic"
                                                               : "Mercator");
    if (s.data)
        bg_text(d, f[2], f[1] - fs * 1.35, 1, fs * 0.9, FONT, "#555555", s.data);
    corridor__buf_free(&s);
}

/* The page's corners (so that the drawing is the page) and the legend's place. */
static void map_page(diag *d)
{
    clip_end(d, 0, 0);
    clip_end(d, d->page.w, d->page.h);
    setf(d->g, "bb", "0,0,%.2f,%.2f", d->page.w, d->page.h);
    set(d->g, "pad", "0");
    set(d->g, "margin", "0");
    d->lx = d->frame[2] + 10 + 12 * d->ls;
    d->ltop = d->ly = d->frame[3] - 12 * d->ls;
}

/* The geo layout on a page: basemap, projected places and lines, names, decorations. */
static int build_map(diag *d)
{
    const corridor_model *m = d->m;
    cor_country_pt *cp = NULL;
    const char **codes = NULL;
    size_t ncp = 0, ncodes = 0;
    int err = 0;
    d->map = d->pinned = d->own_labels = 1;
    if ((err = map_setup(d)) < 0 || (err = map_place_nodes(d)) < 0)
        goto done;
    for (size_t i = 0; i < m->n_nodes && !d->err; i++) {
        if (!d->sel.node_ok[i])
            continue;
        if (!d->placed[i]) {
            note_hidden(d, m->nodes[i].id);
            continue;
        }
        if (d->placed[i] != 1)
            continue;
        if (!(d->an[i] = agnode(d->g, m->nodes[i].id, 1))) {
            err = corridor__error(CORRIDOR_EINTERNAL, "Graphviz: cannot add node \"%s\": %s",
                                  m->nodes[i].id, corridor__gv_message());
            goto done;
        }
        style_node(d, d->an[i], i);
    }
    for (size_t i = 0; i < m->n_edges && !d->err && err == 0; i++)
        if (d->sel.edge_ok[i] && d->placed[m->edges[i].from] && d->placed[m->edges[i].to])
            err = map_edge(d, i);
    if (err < 0 || (err = d->err) < 0)
        goto done;
    if (!(codes = calloc(m->n_countries + 1, sizeof *codes))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t c = 0; c < m->n_countries; c++)
        codes[ncodes++] = m->countries[c].code;
    if ((err = corridor__basemap_xdot(&d->bg, &cp, &ncp, &d->view, d->o->basemap, codes, ncodes)) <
        0)
        goto done;
    if ((err = map_labels(d, cp, ncp)) < 0)
        goto done;
    map_page(d);
done:
    free(cp);
    free(codes);
    return err;
}

static int build_network(diag *d)
{
    const corridor_model *m = d->m;
    int err = 0;
    if (d->layout == CORRIDOR_LAYOUT_GEO) {
        for (size_t i = 0; i < m->n_nodes; i++)
            if (d->sel.node_ok[i] && m->nodes[i].has_pos)
                return build_map(d);
        d->layout = CORRIDOR_LAYOUT_SCHEMATIC; /* no coordinates at all */
    }
    if (d->layout == CORRIDOR_LAYOUT_SCHEMATIC) {
        set(d->g, "rankdir", "LR");
        set(d->g, "nodesep", "0.3");
        set(d->g, "ranksep", "0.6");
    }
    /* places on no drawn line would stand alone in a line diagram: named in the legend */
    unsigned char *linked = calloc(m->n_nodes + 1, 1);
    if (!linked || !(d->unlinked = calloc(m->n_nodes + 1, sizeof *d->unlinked))) {
        free(linked);
        return corridor__oom();
    }
    for (size_t i = 0; i < m->n_edges; i++)
        if (d->sel.edge_ok[i] && d->sel.node_ok[m->edges[i].from] && d->sel.node_ok[m->edges[i].to])
            linked[m->edges[i].from] = linked[m->edges[i].to] = 1;
    for (size_t i = 0; i < m->n_nodes && !d->err; i++) {
        if (!d->sel.node_ok[i])
            continue;
        if (!linked[i]) {
            d->unlinked[d->n_unlinked++] = i; /* drawn in the legend, see legend_unlinked */
            continue;
        }
        d->an[i] = agnode(d->g, m->nodes[i].id, 1);
        if (!d->an[i]) {
            err = corridor__error(CORRIDOR_EINTERNAL, "Graphviz: cannot add node \"%s\": %s",
                                  m->nodes[i].id, corridor__gv_message());
            goto done;
        }
        style_node(d, d->an[i], i);
    }
    for (size_t i = 0; i < m->n_edges && !d->err; i++) {
        const cor_edge *e = &m->edges[i];
        if (!d->sel.edge_ok[i] || !d->an[e->from] || !d->an[e->to])
            continue;
        Agedge_t *ge = new_edge(d, d->g, d->an[e->from], d->an[e->to]);
        if (ge)
            style_edge(d, ge, i);
    }
done:
    free(linked);
    return err;
}

/* ------------------------------------------------------------ country view */

typedef struct country_link {
    size_t a, b; /* groups, a < b */
    size_t count;
    unsigned modes;
    int all_light;
    unsigned char *corr; /* per corridor */
    uint32_t hl_mask;
    size_t hl_best;
    int drawn;
    char *label; /* pinned layouts: the label, placed by place_link_labels */
    label_job job;
} country_link;

/* Places the labels of the links between countries clear of the boxes and of each other. */
static int place_link_labels(diag *d, country_link *links, size_t nlinks, size_t ng,
                             const double *box_w)
{
    int err = 0;
    size_t nj = 0, nb = 0;
    label_job *jobs = malloc((nlinks + 1) * sizeof *jobs);
    size_t *who = malloc((nlinks + 1) * sizeof *who);
    rect *boxes = malloc((ng + 1) * sizeof *boxes);
    double *seg = malloc((4 * nlinks + 1) * sizeof *seg);
    if (!jobs || !who || !boxes || !seg) {
        err = corridor__oom();
        goto done;
    }
    for (size_t gi = 0; gi < ng; gi++)
        if (d->an[gi])
            boxes[nb++] = rect_at(d->x[gi], d->y[gi], box_w[gi] + 4, d->map ? (d->fs + 1) * 4 : 40);
    for (size_t l = 0; l < nlinks; l++) {
        if (!links[l].drawn || !links[l].label)
            continue;
        seg[4 * nj] = d->x[links[l].a];
        seg[4 * nj + 1] = d->y[links[l].a];
        seg[4 * nj + 2] = d->x[links[l].b];
        seg[4 * nj + 3] = d->y[links[l].b];
        who[nj] = l;
        jobs[nj++] = links[l].job;
    }
    if ((err = place_boxes(jobs, nj, boxes, nb, seg, nj)) < 0)
        goto done;
    for (size_t k = 0; k < nj && d->map; k++) { /* on maps, labels stay in the frame */
        double w = jobs[k].at.x1 - jobs[k].at.x0, h = jobs[k].at.y1 - jobs[k].at.y0;
        double cx = fmin(fmax((jobs[k].at.x0 + jobs[k].at.x1) / 2, d->frame[0] + w / 2),
                         d->frame[2] - w / 2);
        double cy = fmin(fmax((jobs[k].at.y0 + jobs[k].at.y1) / 2, d->frame[1] + h / 2),
                         d->frame[3] - h / 2);
        jobs[k].at = rect_at(cx, cy, w, h);
    }
    for (size_t k = 0; k < nj && !d->err; k++) {
        country_link *L = &links[who[k]];
        Agnode_t *mid = NULL;
        if (jobs[k].gap > 4) {
            /* the leader line starts at an invisible point in the middle of the link */
            if (!(mid = new_node(d, d->g, "mid_")))
                break;
            set(mid, "shape", "point");
            set(mid, "style", "invis");
            set(mid, "width", "0.01");
            set_pos(mid, jobs[k].x, jobs[k].y);
        }
        Agnode_t *t = label_node(d, &jobs[k], mid, L->label, 9);
        if (t && d->hl_best && !L->hl_best)
            set(t, "fontcolor", FADED_TEXT);
    }
done:
    free(jobs);
    free(who);
    free(boxes);
    free(seg);
    return err;
}

/* The groups (countries, and "no country" last) and the links between them. */
typedef struct cview {
    size_t ng;           /* groups: countries + 1 */
    size_t *group_nodes; /* per group: drawn places */
    unsigned char *has;  /* per group: some place has coordinates */
    double *lat, *lon;   /* per group: mean coordinates (then box sizes, see country_place) */
    size_t *npos;
    double *box_w; /* per group: box width, points */
    country_link *links;
    size_t nlinks;
    size_t *pairs; /* 2 * nlinks group indices */
} cview;

/* Places per group and the mean of their coordinates. */
static void country_groups(diag *d, cview *v)
{
    const corridor_model *m = d->m;
    size_t ng = v->ng, *group_nodes = v->group_nodes, *npos = v->npos;
    unsigned char *has = v->has;
    double *lat = v->lat, *lon = v->lon;
    for (size_t i = 0; i < m->n_nodes; i++) {
        if (!d->sel.node_ok[i])
            continue;
        size_t gi = m->nodes[i].country >= 0 ? (size_t)m->nodes[i].country : ng - 1;
        group_nodes[gi]++;
        if (m->nodes[i].has_pos) {
            lat[gi] += m->nodes[i].lat;
            lon[gi] += m->nodes[i].lon;
            npos[gi]++;
        }
    }
    for (size_t gi = 0; gi < ng; gi++) {
        if (npos[gi]) {
            has[gi] = 1;
            lat[gi] /= (double)npos[gi];
            lon[gi] /= (double)npos[gi];
        }
    }
}

/* One link per connected pair of groups, with its corridors, modes and routes. */
static int country_links(diag *d, cview *v)
{
    const corridor_model *m = d->m;
    size_t ng = v->ng;
    country_link *links = v->links;
    size_t nlinks = v->nlinks;
    int err = 0;
    /* one link per connected pair of groups */
    for (size_t i = 0; i < m->n_edges; i++) {
        const cor_edge *e = &m->edges[i];
        if (!d->sel.edge_ok[i])
            continue;
        long ca = m->nodes[e->from].country, cb = m->nodes[e->to].country;
        size_t a = ca >= 0 ? (size_t)ca : ng - 1, b = cb >= 0 ? (size_t)cb : ng - 1;
        if (a == b)
            continue;
        if (a > b) {
            size_t t = a;
            a = b;
            b = t;
        }
        size_t l = 0;
        while (l < nlinks && !(links[l].a == a && links[l].b == b))
            l++;
        if (l == nlinks) {
            country_link *nl = realloc(links, (nlinks + 1) * sizeof *links);
            if (!nl) {
                err = corridor__oom();
                break;
            }
            links = nl;
            memset(&links[l], 0, sizeof links[l]);
            nlinks++;
            links[l].a = a;
            links[l].b = b;
            links[l].all_light = 1;
            if (!(links[l].corr = calloc(m->n_corridors + 1, 1))) {
                err = corridor__oom();
                break;
            }
        }
        country_link *L = &links[l];
        L->count++;
        L->modes |= 1u << e->mode;
        L->all_light &= edge_light(e);
        for (size_t c = 0; c < e->n_corridors; c++)
            L->corr[e->corridors[c]] = 1;
        if (d->hl_best && d->hl_best[i]) {
            L->hl_mask |= d->hl_mask[i];
            if (!L->hl_best || d->hl_best[i] < L->hl_best)
                L->hl_best = d->hl_best[i];
        }
    }
    v->links = links;
    v->nlinks = nlinks;
    return err;
}

/*
 * Countries on the map: each box at a point inside the country's polygon (from the
 * basemap), else at the projection of the mean of its places; boxes outside the frame
 * are not drawn.
 */
static int country_map_place(diag *d, cview *v)
{
    const corridor_model *m = d->m;
    cor_country_pt *cp = NULL;
    size_t ncp = 0;
    const char **codes = calloc(m->n_countries + 1, sizeof *codes);
    int err = 0;
    if (!codes)
        return corridor__oom();
    d->map = 1;
    if ((err = map_setup(d)) < 0)
        goto done;
    for (size_t c = 0; c < m->n_countries; c++)
        codes[c] = v->group_nodes[c] ? m->countries[c].code : NULL;
    if ((err = corridor__basemap_xdot(&d->bg, &cp, &ncp, &d->view, d->o->basemap, codes,
                                      m->n_countries)) < 0)
        goto done;
    for (size_t gi = 0; gi < v->ng; gi++)
        if (v->has[gi] &&
            corridor__mapview_xy(&d->view, v->lon[gi], v->lat[gi], &d->x[gi], &d->y[gi]) == 0)
            d->placed[gi] = in_frame(d, d->x[gi], d->y[gi]);
    for (size_t k = 0; k < ncp; k++) {
        d->x[cp[k].country] = cp[k].x;
        d->y[cp[k].country] = cp[k].y;
        d->placed[cp[k].country] = 1;
    }
done:
    free(cp);
    free(codes);
    return err;
}

/* Positions of the boxes: projected means, moved apart; or a dot layout without coordinates. */
static int country_place(diag *d, cview *v)
{
    const corridor_model *m = d->m;
    size_t ng = v->ng, *group_nodes = v->group_nodes;
    unsigned char *has = v->has;
    double *lat = v->lat, *lon = v->lon, *box_w = v->box_w;
    country_link *links = v->links;
    size_t nlinks = v->nlinks, *pairs;
    if (!(pairs = v->pairs = malloc((2 * nlinks + 1) * sizeof *pairs)))
        return corridor__oom();
    for (size_t l = 0; l < nlinks; l++) {
        pairs[2 * l] = links[l].a;
        pairs[2 * l + 1] = links[l].b;
    }
    int any = 0, err = 0;
    for (size_t gi = 0; gi < ng; gi++)
        any |= has[gi];
    if (any && (err = country_map_place(d, v)) < 0)
        return err;
    any = 0;
    for (size_t gi = 0; gi < ng; gi++)
        any |= d->placed[gi];
    if (any) {
        d->pinned = 1;
        d->own_labels = 1; /* names are inside the boxes */
        place_rest(d, ng, pairs, nlinks);
        /* box sizes as Graphviz will make them, to move overlapping boxes apart */
        for (size_t gi = 0; gi < ng; gi++) {
            char line[300];
            const char *name =
                gi < m->n_countries && m->countries[gi].name ? m->countries[gi].name : "no country";
            snprintf(line, sizeof line, "%s (%s)", name,
                     gi < m->n_countries ? m->countries[gi].code : "");
            double fs = d->map ? d->fs + 1 : 10;
            lat[gi] = box_w[gi] = fmax(fs * 5.4, text_width(line, fs) + 2 * fs);
            lon[gi] = fs * 4;
        }
        /* room around each box for the labels of its links (on maps: keep near the place) */
        for (size_t gi = 0; gi < ng; gi++) {
            lat[gi] += d->map ? 6 : 60;
            lon[gi] += d->map ? 4 : 40;
        }
        spread(d, ng, lat, lon);
        for (size_t gi = 0; gi < ng; gi++) {
            if (d->map) { /* boxes stay inside the frame */
                d->x[gi] = fmin(fmax(d->x[gi], d->frame[0] + box_w[gi] / 2 + 4),
                                d->frame[2] - box_w[gi] / 2 - 4);
                d->y[gi] = fmin(fmax(d->y[gi], d->frame[1] + 24), d->frame[3] - 24);
            }
            if (d->placed[gi] && group_nodes[gi])
                d->right = fmax(d->right, d->x[gi] + lat[gi] / 2);
        }
    } else {
        set(d->g, "rankdir", "LR");
    }
    return 0;
}

/* One box per group: name, code, number of places. */
static int country_nodes(diag *d, cview *v)
{
    const corridor_model *m = d->m;
    size_t ng = v->ng, *group_nodes = v->group_nodes;
    int err = 0;
    for (size_t gi = 0; gi < ng && !d->err; gi++) {
        if (!group_nodes[gi])
            continue;
        const char *code = gi < m->n_countries ? m->countries[gi].code : "none";
        if (d->pinned && !d->placed[gi]) {
            note_hidden(d, code);
            continue;
        }
        char name[300];
        snprintf(name, sizeof name, "country:%s", code);
        Agnode_t *n = agnode(d->g, name, 1);
        if (!n) {
            err = corridor__error(CORRIDOR_EINTERNAL, "Graphviz: cannot add node \"%s\": %s", name,
                                  corridor__gv_message());
            return err;
        }
        d->an[gi] = n;
        cor_buf b;
        corridor__buf_init(&b);
        if (gi < m->n_countries) {
            add_escaped(&b, m->countries[gi].name ? m->countries[gi].name : code);
            corridor__buf_puts(&b, " (");
            add_escaped(&b, code);
            corridor__buf_puts(&b, ")");
        } else {
            corridor__buf_puts(&b, "no country");
        }
        corridor__buf_printf(&b, "\\n%zu place%s", group_nodes[gi],
                             group_nodes[gi] == 1 ? "" : "s");
        set_buf(d, n, "label", &b);
        set(n, "shape", "box");
        set(n, "style", "rounded,filled");
        set(n, "fillcolor", "#f5f5f5");
        if (d->map) {
            setf(n, "fontsize", "%.2f", d->fs + 1);
            set(n, "margin", "0.06,0.03");
            set(n, "penwidth", "0.8");
        }
        if (d->pinned)
            set_pos(n, d->x[gi], d->y[gi]);
    }
    return err;
}

/* The edge of one link: corridors' colours, label (placed later on pinned layouts), routes. */
/*
 * The text of a link (its corridors, wrapped; its modes; its count) into *b and its
 * colours into *col; *nc: corridors, *lw: widest line in points.
 */
static void link_text(diag *d, const country_link *L, cor_buf *b, cor_buf *col, size_t *nc,
                      double *lw)
{
    const corridor_model *m = d->m;
    size_t line = 0; /* characters on the current label line */
    *nc = 0;
    *lw = 0;
    for (size_t c = 0; c < m->n_corridors; c++) {
        if (!L->corr[c])
            continue;
        const char *id = m->corridors[c].id;
        if (*nc && line + strlen(id) > 30) { /* wrap long lists of corridors */
            corridor__buf_puts(b, ",\\n");
            line = 0;
        } else if (*nc) {
            corridor__buf_puts(b, ", ");
            line += 2;
        }
        add_escaped(b, id);
        line += strlen(id);
        *lw = fmax(*lw, text_width("m", 9) * (double)line);
        corridor__buf_printf(col, "%s%s%s", *nc ? ":" : "", corridor_color(m, c),
                             L->all_light ? LIGHT_ALPHA : "");
        d->corr_used[c] = 1;
        (*nc)++;
    }
    if (*nc == 0) {
        corridor__buf_puts(b, "no corridor");
        corridor__buf_printf(col, "%s%s", NO_CORRIDOR_COLOR, L->all_light ? LIGHT_ALPHA : "");
        d->any_nocorr = 1;
    }
    corridor__buf_puts(b, "\\n");
    size_t nm = 0;
    for (size_t k = 0; k < COR_NMODE; k++)
        if (L->modes & (1u << k))
            corridor__buf_printf(b, "%s%s", nm++ ? ", " : "", corridor_mode_name((corridor_mode)k));
    corridor__buf_printf(b, "\\n%zu link%s", L->count, L->count == 1 ? "" : "s");
}

/* Colours and width of a link: the routes' colours when routes are highlighted. */
static void link_style(diag *d, Agedge_t *e, const country_link *L, cor_buf *col, size_t nc)
{
    if (d->hl_best) {
        corridor__buf_free(col);
        if (L->hl_best) {
            size_t n = 0;
            for (size_t r = 0; r < 32; r++)
                if (L->hl_mask & (1u << r))
                    corridor__buf_printf(col, "%s%s", n++ ? ":" : "",
                                         route_palette[r % NROUTE_PALETTE]);
            if (n == 0)
                corridor__buf_puts(col, route_palette[(L->hl_best - 1) % NROUTE_PALETTE]);
            setf(e, "penwidth", "%g", n > 1 ? BAND : route_penwidth(L->hl_best - 1));
        } else {
            corridor__buf_puts(col, FADED_EDGE);
            set(e, "fontcolor", FADED_TEXT);
        }
    }
    if (!d->hl_best || !L->hl_best) {
        double w = 1.5 + 0.5 * (double)L->count;
        setf(e, "penwidth", "%g", nc > 1 && !d->hl_best ? BAND : w > 6 ? 6 : w);
    }
    set_buf(d, e, "color", col);
    set(e, "dir", "none");
    if (L->all_light) {
        set(e, "style", "dashed");
        d->any_light = 1;
    }
}

/*
 * On maps, a link that would cross the box of a country it does not join bends
 * around it: up to 6 times, a waypoint at the corner of the box (8 points out)
 * that keeps the detour shortest is inserted (two corners when one does not
 * clear the box); the polyline is the edge's "pos".
 */
static void route_link(diag *d, Agedge_t *e, const country_link *L, const double *box_w, size_t ng)
{
    double p[2 * 8] = {d->x[L->a], d->y[L->a], d->x[L->b], d->y[L->b]};
    size_t n = 2;
    double bh = (d->fs + 1) * 3.2;
    for (int round = 0; round < 6 && n < 8; round++) {
        int bent = 0;
        for (size_t i = 0; i + 1 < n && !bent; i++) {
            for (size_t g = 0; g < ng && !bent; g++) {
                if (g == L->a || g == L->b || !d->an[g])
                    continue;
                rect r = rect_at(d->x[g], d->y[g], box_w[g] + 4, bh + 4);
                if (!segment_hits(&r, p[2 * i], p[2 * i + 1], p[2 * i + 2], p[2 * i + 3]))
                    continue;
                /* a corner clear on both sides; else one clear on the way in (the next
                 * round bends the way out around the next corner) */
                double best = INFINITY, bx = 0, by = 0;
                for (int c = 0; c < 8; c++) {
                    double cx = d->x[g] + (c & 1 ? 1 : -1) * (box_w[g] / 2 + 8);
                    double cy = d->y[g] + (c & 2 ? 1 : -1) * (bh / 2 + 8);
                    if (c == 4 && isfinite(best))
                        break;
                    if (segment_hits(&r, p[2 * i], p[2 * i + 1], cx, cy) ||
                        (c < 4 && segment_hits(&r, cx, cy, p[2 * i + 2], p[2 * i + 3])))
                        continue;
                    double len = hypot(cx - p[2 * i], cy - p[2 * i + 1]) +
                                 hypot(p[2 * i + 2] - cx, p[2 * i + 3] - cy);
                    if (len < best) {
                        best = len;
                        bx = cx;
                        by = cy;
                    }
                }
                if (!isfinite(best))
                    continue;
                memmove(p + 2 * (i + 2), p + 2 * (i + 1), 2 * (n - i - 1) * sizeof *p);
                p[2 * i + 2] = bx;
                p[2 * i + 3] = by;
                n++;
                bent = 1;
            }
        }
        if (!bent)
            break;
    }
    if (n == 2)
        return;
    cor_buf pos;
    corridor__buf_init(&pos);
    corridor__buf_printf(&pos, "%.2f,%.2f", p[0], p[1]);
    for (size_t i = 0; i + 1 < n; i++)
        corridor__buf_printf(
            &pos, " %.2f,%.2f %.2f,%.2f %.2f,%.2f", p[2 * i] + (p[2 * i + 2] - p[2 * i]) / 3,
            p[2 * i + 1] + (p[2 * i + 3] - p[2 * i + 1]) / 3,
            p[2 * i] + 2 * (p[2 * i + 2] - p[2 * i]) / 3,
            p[2 * i + 1] + 2 * (p[2 * i + 3] - p[2 * i + 1]) / 3, p[2 * i + 2], p[2 * i + 3]);
    if (!pos.failed)
        set(e, "pos", pos.data);
    corridor__buf_free(&pos);
}

/* The edge of one link; on pinned layouts its label is placed later (place_link_labels). */
static int country_link_edge(diag *d, country_link *L, const double *box_w, size_t ng)
{
    if (!d->an[L->a] || !d->an[L->b])
        return 0;
    Agedge_t *e = new_edge(d, d->g, d->an[L->a], d->an[L->b]);
    if (!e)
        return d->err;
    cor_buf b, col;
    size_t nc = 0;
    double lw = 0;
    corridor__buf_init(&b);
    corridor__buf_init(&col);
    link_text(d, L, &b, &col, &nc, &lw);
    if (b.failed) {
        corridor__buf_free(&b);
        corridor__buf_free(&col);
        return corridor__oom();
    }
    set(e, "tooltip", b.data);
    if (d->pinned) {
        /* placed beside the middle of the link later, clear of boxes and other labels */
        size_t lines = 3;
        for (const char *p = b.data; (p = strstr(p, ",\\n")) != NULL; p++)
            lines++;
        L->label = corridor__buf_take(&b);
        if (!L->label) {
            corridor__buf_free(&col);
            return CORRIDOR_ENOMEM;
        }
        L->job.x = (d->x[L->a] + d->x[L->b]) / 2;
        L->job.y = (d->y[L->a] + d->y[L->b]) / 2;
        L->job.r = 2;
        L->job.w = fmax(lw, text_width("mmmmmmmmmmmm", 9)) + 4;
        L->job.h = 9 * 1.2 * (double)lines + 2;
    } else {
        set_buf(d, e, "label", &b);
    }
    set(e, "fontsize", "9");
    link_style(d, e, L, &col, nc);
    if (d->map)
        route_link(d, e, L, box_w, ng);
    L->drawn = 1;
    return 0;
}

static int build_countries(diag *d)
{
    const corridor_model *m = d->m;
    cview cv, *v = &cv;
    int err = 0;
    memset(&cv, 0, sizeof cv);
    cv.ng = m->n_countries + 1; /* the last group: nodes without a country */
    cv.group_nodes = calloc(cv.ng, sizeof *cv.group_nodes);
    cv.has = calloc(cv.ng, 1);
    cv.lat = calloc(cv.ng, sizeof *cv.lat);
    cv.lon = calloc(cv.ng, sizeof *cv.lon);
    cv.npos = calloc(cv.ng, sizeof *cv.npos);
    cv.box_w = calloc(cv.ng, sizeof *cv.box_w);
    if (!cv.group_nodes || !cv.has || !cv.lat || !cv.lon || !cv.npos || !cv.box_w) {
        err = corridor__oom();
        goto done;
    }
    country_groups(d, v);
    if ((err = country_links(d, v)) < 0 || (err = country_place(d, v)) < 0 ||
        (err = country_nodes(d, v)) < 0)
        goto done;
    for (size_t l = 0; l < cv.nlinks && !d->err && err == 0; l++)
        err = country_link_edge(d, &cv.links[l], cv.box_w, cv.ng);
    if (err < 0)
        goto done;
    if (d->pinned && !d->err &&
        (err = place_link_labels(d, cv.links, cv.nlinks, cv.ng, cv.box_w)) < 0)
        goto done;
    if (d->map)
        map_page(d);
    else if (d->pinned)
        legend_origin(d, cv.ng);
done:
    if (cv.links)
        for (size_t l = 0; l < cv.nlinks; l++) {
            free(cv.links[l].corr);
            free(cv.links[l].label);
        }
    free(cv.links);
    free(cv.pairs);
    free(cv.group_nodes);
    free(cv.has);
    free(cv.lat);
    free(cv.lon);
    free(cv.npos);
    free(cv.box_w);
    return err;
}

/* ---------------------------------------------------------------- routes */

/* Marks the edges and nodes of the highlighted routes; they are drawn even if filtered out. */
static int mark_routes(diag *d)
{
    const corridor_model *m = d->m;
    const corridor_routes *r = d->o->highlight;
    d->hl_mask = calloc(m->n_edges + 1, sizeof *d->hl_mask);
    d->hl_best = calloc(m->n_edges + 1, sizeof *d->hl_best);
    d->hl_node = calloc(m->n_nodes + 1, 1);
    if (!d->hl_mask || !d->hl_best || !d->hl_node)
        return corridor__oom();
    for (size_t i = 0; i < r->n; i++) {
        const corridor_route *rt = &r->routes[i];
        for (size_t h = 0; h < rt->n_edges; h++) {
            const char *id = rt->hops[h].edge;
            long e = id ? corridor__edge_find(m, id) : -1;
            if (e < 0)
                return corridor__error(CORRIDOR_EINVALID,
                                       "route option %zu uses edge \"%s\", which is not in "
                                       "model \"%s\": highlight routes found in this model",
                                       rt->rank, id ? id : "", corridor_model_name(m));
            if (i < 32)
                d->hl_mask[e] |= 1u << i;
            if (!d->hl_best[e] || i + 1 < d->hl_best[e])
                d->hl_best[e] = i + 1;
            d->sel.edge_ok[e] = 1;
            d->sel.node_ok[m->edges[e].from] = d->sel.node_ok[m->edges[e].to] = 1;
            d->hl_node[m->edges[e].from] = d->hl_node[m->edges[e].to] = 1;
        }
    }
    return 0;
}

/* ----------------------------------------------------------------- builder */

/* Graph-wide attributes, declared first so that they come once at the top of a DOT file. */
static void graph_defaults(Agraph_t *g)
{
    agattr(g, AGRAPH, (char *)"fontname", (char *)FONT);
    agattr(g, AGNODE, (char *)"fontname", (char *)FONT);
    agattr(g, AGEDGE, (char *)"fontname", (char *)FONT);
    agattr(g, AGNODE, (char *)"fontsize", (char *)"10");
    /* Graphviz's own default, so that an empty label is written out as such */
    agattr(g, AGNODE, (char *)"label", (char *)"\\N");
    agattr(g, AGEDGE, (char *)"fontsize", (char *)"9");
    set(g, "fontsize", "24");
    set(g, "labelloc", "t");
    set(g, "outputorder", "edgesfirst");
    set(g, "pad", "0.3");
    set(g, "bgcolor", "white");
}

/* The drawing engine and, on maps, the background with the decorations. */
static int finish_graph(diag *d, const char **engine)
{
    if (d->map) {
        set(d->g, "layout", "nop2");
        *engine = "nop2";
    } else if (d->pinned) {
        /*
         * nop2, not nop: nop (neato -n1) runs neato's overlap removal, which calls a
         * function named normalize; with GDAL in the process that name binds to
         * librttopo's normalize (valgrind: uninitialised reads in librttopo). nop2 takes
         * the positions as they are and routes the edges that have none.
         */
        set(d->g, "layout", "nop2");
        set(d->g, "forcelabels", "true");
        *engine = "nop2";
    } else {
        set(d->g, "layout", "dot");
    }
    if (!d->map)
        build_title(d);
    build_legend(d);
    if (d->map) {
        map_decor(d);
        if (d->bg.failed)
            return corridor__oom();
        set(d->g, "_background", d->bg.data ? d->bg.data : "");
    }
    if (d->err < 0)
        return d->err;
    return d->hidden.failed ? corridor__oom() : 0;
}

static void diag_free(diag *d)
{
    if (d->g)
        agclose(d->g);
    corridor__selection_free(&d->sel);
    corridor__buf_free(&d->hidden);
    free(d->x);
    free(d->y);
    free(d->placed);
    free(d->an);
    free(d->corr_used);
    free(d->hl_mask);
    free(d->hl_best);
    free(d->hl_node);
    free(d->seg);
    free(d->unlinked);
    corridor__buf_free(&d->bg);
    corridor__mapview_close(&d->view);
}

int corridor__diagram_build(Agraph_t **out, const char **engine, corridor_render_info *info,
                            const corridor_model *m, const corridor_render_opts *opts)
{
    int err = 0;
    diag d;
    memset(&d, 0, sizeof d);
    *out = NULL;
    *engine = "dot";
    d.m = m;
    d.o = opts;
    d.layout = opts->layout;
    corridor__buf_init(&d.hidden);
    corridor__buf_init(&d.bg);
    sym_cache_reset();
    if ((unsigned)d.layout > CORRIDOR_LAYOUT_COUNTRIES)
        return corridor__error(CORRIDOR_EUSAGE,
                               "unknown layout %d (expected geo, schematic or countries)",
                               (int)d.layout);
    if ((err = corridor__selection_build(&d.sel, m, &opts->filter)) < 0)
        return err;
    d.huge = m->n_nodes + m->n_edges > HUGE_MAP;
    size_t nitems = (d.layout == CORRIDOR_LAYOUT_COUNTRIES ? m->n_countries : m->n_nodes) + 1;
    d.x = calloc(nitems, sizeof *d.x);
    d.y = calloc(nitems, sizeof *d.y);
    d.placed = calloc(nitems, 1);
    d.an = calloc(nitems, sizeof *d.an);
    d.corr_used = calloc(m->n_corridors + 1, 1);
    if (!d.x || !d.y || !d.placed || !d.an || !d.corr_used) {
        err = corridor__oom();
        goto done;
    }
    if (opts->highlight && (err = mark_routes(&d)) < 0)
        goto done;
    d.g = agopen((char *)"corridor", Agundirected, NULL);
    if (!d.g) {
        err = corridor__error(CORRIDOR_EINTERNAL, "Graphviz: cannot create a graph: %s",
                              corridor__gv_message());
        goto done;
    }
    graph_defaults(d.g);
    if (d.layout == CORRIDOR_LAYOUT_COUNTRIES)
        err = build_countries(&d);
    else
        err = build_network(&d);
    if (err < 0 || (err = d.err) < 0)
        goto done;
    if ((err = finish_graph(&d, engine)) < 0)
        goto done;
    if (info)
        info->labels_dropped = d.labels_dropped;
    *out = d.g;
    d.g = NULL;
done:
    diag_free(&d);
    return err;
}

/* ------------------------------------------------------------------ render */

/* The output format: opts->format, else the path's extension. */
static int pick_format(const char **out, const char *path, const char *given)
{
    static const char *const formats[] = {"svg", "png", "pdf", "dot", "html"};
    char ext[16] = "";
    const char *f = given;
    if (!f) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        const char *dot = strrchr(base, '.');
        if (!dot || dot == base)
            return corridor__error(CORRIDOR_EUSAGE,
                                   "cannot tell the format of \"%s\" (name it .svg, .png, .pdf, "
                                   ".dot or .html, or give the format)",
                                   path);
        size_t i = 0;
        for (dot++; *dot && i + 1 < sizeof ext; dot++)
            ext[i++] = (char)tolower((unsigned char)*dot);
        ext[i] = '\0';
        f = ext;
    }
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(f, formats[i]) == 0) {
            *out = formats[i];
            return 0;
        }
    }
    return corridor__error(CORRIDOR_EUSAGE,
                           "unknown format \"%s\" (expected svg, png, pdf, dot or html)", f);
}

int corridor_render_file(const corridor_model *model, const char *path,
                         const corridor_render_opts *opts)
{
    return corridor_render(NULL, model, path, opts);
}

/* Lays out and draws `g` as `format` into *data (the caller frees it with free). */
static int draw(char **data, unsigned int *len, Agraph_t *g, const char *engine, const char *format,
                int *laid)
{
    GVC_t *gvc = context();
    if (!gvc)
        return corridor__error(CORRIDOR_EINTERNAL, "Graphviz: cannot start: %s",
                               corridor__gv_message());
    if (gvLayout(gvc, g, engine) != 0)
        return corridor__error(CORRIDOR_EINTERNAL,
                               "Graphviz: %s layout failed: %s (is the Graphviz %s plugin "
                               "installed? Debian package libgvc6; then run `dot -c` as root)",
                               engine, corridor__gv_message(),
                               strcmp(engine, "dot") == 0 ? "dot_layout" : "neato_layout");
    *laid = 1;
    /* into a stream that grows by doubling (gvRenderData grows its buffer a page at a
     * time, copying a 100 MB drawing over and over) */
    size_t n = 0;
    FILE *f = open_memstream(data, &n);
    if (!f)
        return corridor__oom();
    int bad = gvRender(gvc, g, format, f) != 0;
    if (fclose(f) != 0 || n > UINT_MAX)
        bad = 1;
    *len = (unsigned)n;
    if (bad || !*data)
        /* usually a missing plugin: "renderer for png is unavailable" */
        return corridor__error(CORRIDOR_EINTERNAL,
                               "Graphviz cannot write %s: %s (png and pdf come from the cairo "
                               "plugin, Debian package libgvc6; then run `dot -c` as root)",
                               format, corridor__gv_message());
    return 0;
}

int corridor_render(corridor_render_info *info, const corridor_model *model, const char *path,
                    const corridor_render_opts *opts)
{
    const corridor_render_opts defaults = CORRIDOR_RENDER_OPTS_INIT;
    const char *format = NULL, *engine = NULL;
    Agraph_t *g = NULL;
    char *data = NULL;
    unsigned int len = 0;
    int laid = 0, err = 0;
    cor_buf page;
    corridor__buf_init(&page);
    if (info)
        memset(info, 0, sizeof *info);
    if (!opts)
        opts = &defaults;
    if ((err = CORRIDOR__CHECK_OPTS(opts, CORRIDOR_RENDER_OPTS_VERSION, "corridor_render_opts")) <
        0)
        return err;
    if (!path || !*path)
        return corridor__error(CORRIDOR_EUSAGE, "render needs an output file name");
    if ((err = pick_format(&format, path, opts->format)) < 0)
        return err;
    corridor__gv_begin();
    if ((err = corridor__diagram_build(&g, &engine, info, model, opts)) < 0)
        goto done;
    if (strcmp(format, "png") == 0)
        setf(g, "dpi", "%g", opts->dpi > 0 ? opts->dpi : 150);
    if ((err = draw(&data, &len, g, engine, strcmp(format, "html") == 0 ? "svg" : format, &laid)) <
        0)
        goto done;
    if (strcmp(format, "html") == 0) {
        if ((err = corridor__html_page(&page, data, len, model, opts)) < 0)
            goto done;
        err = corridor__write_file_atomic(path, page.data, page.len);
    } else {
        err = corridor__write_file_atomic(path, data, len);
    }
done:
    corridor__buf_free(&page);
    if (data)
        free(data);
    if (laid)
        gvFreeLayout(context(), g);
    if (g)
        agclose(g);
    corridor__gv_end();
    return err;
}
