/* import_graphml.c: GraphML (ours, NetworkX, yEd, Gephi) read by igraph into a GDAL memory source.
 */
/*
 * igraph's GraphML reader, with its C attribute handler, gives the vertex
 * and edge attributes by name; node positions that igraph does not read
 * (yEd's <y:Geometry>, Gephi's <viz:position>) are read with libxml2's XPath.
 * The graph becomes a GDAL "Memory" dataset with two layers, `nodes`
 * (points where a position is known) and `edges` (no geometry, with `from`
 * and `to` columns holding the node ids), which the ordinary import reads
 * like any other source: one mapping, one set of checks.
 *
 * Positions: our own `lon`/`lat` attributes are model fields and map by
 * name. yEd and Gephi positions are drawing coordinates; they are used as
 * longitude (x) and latitude (y, or -y for yEd, whose y axis points down)
 * only when every one of them is within range, else the nodes get none.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igraph.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "import_internal.h"

typedef struct gpos {
    char *id;
    double x, y;
} gpos;

/* An edge's ends as the file gives them (igraph keeps no order in an undirected graph). */
typedef struct gends {
    char **source, **target;
    size_t n;
} gends;

static void gends_free(gends *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->source[i]);
        free(e->target[i]);
    }
    free(e->source);
    free(e->target);
    e->n = 0;
}

/* The source and target of every <edge>, in document order (igraph's edge order). */
static int read_ends(gends *out, xmlXPathContextPtr ctx)
{
    xmlXPathObjectPtr edges = xmlXPathEvalExpression(BAD_CAST "//*[local-name()='edge']", ctx);
    int count = edges && edges->nodesetval ? edges->nodesetval->nodeNr : 0, err = 0;
    memset(out, 0, sizeof *out);
    if (count > 0) {
        out->source = calloc((size_t)count, sizeof *out->source);
        out->target = calloc((size_t)count, sizeof *out->target);
        if (!out->source || !out->target)
            err = corridor__oom();
    }
    for (int i = 0; err == 0 && i < count; i++) {
        xmlNodePtr e = edges->nodesetval->nodeTab[i];
        xmlChar *s = xmlGetProp(e, BAD_CAST "source"), *t = xmlGetProp(e, BAD_CAST "target");
        out->source[i] = corridor__strdup(s ? (const char *)s : "");
        out->target[i] = corridor__strdup(t ? (const char *)t : "");
        out->n = (size_t)i + 1;
        if (!out->source[i] || !out->target[i])
            err = corridor__oom();
        xmlFree(s);
        xmlFree(t);
    }
    xmlXPathFreeObject(edges);
    if (err < 0)
        gends_free(out);
    return err;
}

static void gpos_free(gpos *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i].id);
    free(p);
}

/* Reads yEd / Gephi node positions (*n 0 when there are none) and the edges' ends. */
static int read_positions(gpos **out, size_t *n, gends *ends, const char *path, int *yed)
{
    xmlDocPtr doc =
        xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlXPathContextPtr ctx = NULL;
    xmlXPathObjectPtr nodes = NULL;
    gpos *p = NULL;
    size_t len = 0;
    int err = 0;
    *out = NULL;
    *n = 0;
    *yed = 0;
    if (!doc)
        return 0; /* igraph says what is wrong with the file */
    if (!(ctx = xmlXPathNewContext(doc)))
        goto done;
    if ((err = read_ends(ends, ctx)) < 0)
        goto done;
    ctx->node = NULL;
    if (!(nodes = xmlXPathEvalExpression(BAD_CAST "//*[local-name()='node']", ctx)))
        goto done;
    int count = nodes->nodesetval ? nodes->nodesetval->nodeNr : 0;
    if (count > 0 && !(p = calloc((size_t)count, sizeof *p))) {
        err = corridor__oom();
        goto done;
    }
    for (int i = 0; i < count; i++) {
        xmlNodePtr node = nodes->nodesetval->nodeTab[i];
        ctx->node = node;
        xmlXPathObjectPtr g = xmlXPathEvalExpression(
            BAD_CAST ".//*[local-name()='Geometry' or local-name()='position'][1]", ctx);
        xmlNodePtr geo =
            g && g->nodesetval && g->nodesetval->nodeNr > 0 ? g->nodesetval->nodeTab[0] : NULL;
        xmlChar *id = xmlGetProp(node, BAD_CAST "id");
        xmlChar *x = geo ? xmlGetProp(geo, BAD_CAST "x") : NULL;
        xmlChar *y = geo ? xmlGetProp(geo, BAD_CAST "y") : NULL;
        if (id && x && y) {
            double fx = strtod((const char *)x, NULL), fy = strtod((const char *)y, NULL);
            if (!strcmp((const char *)geo->name, "Geometry")) {
                xmlChar *w = xmlGetProp(geo, BAD_CAST "width"),
                        *h = xmlGetProp(geo, BAD_CAST "height");
                fx += w ? strtod((const char *)w, NULL) / 2 : 0;
                fy += h ? strtod((const char *)h, NULL) / 2 : 0;
                xmlFree(w);
                xmlFree(h);
                *yed = 1;
            }
            p[len].id = corridor__strdup((const char *)id);
            p[len].x = fx;
            p[len].y = fy;
            if (!p[len].id)
                err = corridor__oom();
            else
                len++;
        }
        xmlFree(id);
        xmlFree(x);
        xmlFree(y);
        xmlXPathFreeObject(g);
        if (err < 0)
            break;
    }
done:
    xmlXPathFreeObject(nodes);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    if (err < 0) {
        gpos_free(p, len);
        return err;
    }
    *out = p;
    *n = len;
    return 0;
}

static int has_name(const igraph_strvector_t *names, const char *name)
{
    for (igraph_integer_t i = 0; i < igraph_strvector_size(names); i++)
        if (!strcmp(igraph_strvector_get(names, i), name))
            return 1;
    return 0;
}

/*
 * Whether a vertex (or edge) attribute is left out: the node id (a column of
 * its own), x/y beside lon/lat (our own export's drawing positions) and
 * `label` beside a node's `name` or an edge's `mode` (our own export's label
 * for Gephi: the name, or the edge id).
 */
static int skip_attr(const igraph_strvector_t *names, const char *name, int vertices)
{
    if (!strcmp(name, "label"))
        return has_name(names, vertices ? "name" : "mode");
    if (!vertices)
        return 0;
    if (!strcmp(name, "id"))
        return 1;
    return (!strcmp(name, "x") || !strcmp(name, "y")) && has_name(names, "lon") &&
           has_name(names, "lat");
}

/* Adds one column per attribute of igraph's list (names, types) to a layer. */
static int add_columns(OGRLayerH layer, const igraph_strvector_t *names,
                       const igraph_vector_int_t *types, int vertices)
{
    for (igraph_integer_t i = 0; i < igraph_strvector_size(names); i++) {
        const char *name = igraph_strvector_get(names, i);
        if (skip_attr(names, name, vertices))
            continue;
        OGRFieldType t = VECTOR(*types)[i] == IGRAPH_ATTRIBUTE_NUMERIC ? OFTReal : OFTString;
        OGRFieldDefnH fd = OGR_Fld_Create(name, t);
        if (VECTOR(*types)[i] == IGRAPH_ATTRIBUTE_BOOLEAN) {
            OGR_Fld_SetType(fd, OFTInteger);
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        }
        OGRErr e = OGR_L_CreateField(layer, fd, 1);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            return corridor__oom();
    }
    return 0;
}

/* Sets attribute `name` of vertex/edge i on feature f (unset for NaN and ""). */
static void set_attr(OGRFeatureH f, const igraph_t *g, int edge, const char *name, int type,
                     igraph_integer_t i)
{
    int idx = OGR_F_GetFieldIndex(f, name);
    if (idx < 0)
        return;
    if (type == IGRAPH_ATTRIBUTE_NUMERIC) {
        double v = edge ? EAN(g, name, i) : VAN(g, name, i);
        if (isfinite(v))
            OGR_F_SetFieldDouble(f, idx, v);
    } else if (type == IGRAPH_ATTRIBUTE_BOOLEAN) {
        OGR_F_SetFieldInteger(f, idx, edge ? EAB(g, name, i) : VAB(g, name, i));
    } else if (type == IGRAPH_ATTRIBUTE_STRING) {
        const char *s = edge ? EAS(g, name, i) : VAS(g, name, i);
        if (s && *s)
            OGR_F_SetFieldString(f, idx, s);
    }
}

static const char *vertex_id(const igraph_t *g, igraph_integer_t v, int has_id, char *buf)
{
    if (has_id) {
        const char *s = VAS(g, "id", v);
        if (s && *s)
            return s;
    }
    snprintf(buf, 32, "n%lld", (long long)v);
    return buf;
}

static int fill_dataset(GDALDatasetH ds, const igraph_t *g, const gpos *pos, size_t n_pos, int yed,
                        const gends *ends)
{
    igraph_strvector_t gn, vn, en;
    igraph_vector_int_t gt, vt, et;
    int err = 0, has_id = 0, use_pos = n_pos > 0;
    char buf[32];
    igraph_strvector_init(&gn, 0);
    igraph_strvector_init(&vn, 0);
    igraph_strvector_init(&en, 0);
    igraph_vector_int_init(&gt, 0);
    igraph_vector_int_init(&vt, 0);
    igraph_vector_int_init(&et, 0);
    if (igraph_cattribute_list(g, &gn, &gt, &vn, &vt, &en, &et) != IGRAPH_SUCCESS) {
        err = corridor__oom();
        goto done;
    }
    for (size_t k = 0; k < n_pos; k++) {
        double lat = yed ? -pos[k].y : pos[k].y;
        if (!(fabs(pos[k].x) <= 180 && fabs(lat) <= 90))
            use_pos = 0;
    }
    OGRLayerH nl = GDALDatasetCreateLayer(ds, "nodes", NULL, wkbPoint, NULL);
    OGRLayerH el = GDALDatasetCreateLayer(ds, "edges", NULL, wkbNone, NULL);
    if (!nl || !el) {
        err = corridor__oom();
        goto done;
    }
    OGRFieldDefnH idf = OGR_Fld_Create("id", OFTString);
    OGR_L_CreateField(nl, idf, 1);
    OGR_Fld_Destroy(idf);
    for (igraph_integer_t i = 0; i < igraph_strvector_size(&vn); i++)
        has_id |= !strcmp(igraph_strvector_get(&vn, i), "id");
    if ((err = add_columns(nl, &vn, &vt, 1)) < 0)
        goto done;
    OGRFieldDefnH ff = OGR_Fld_Create("from", OFTString), tf = OGR_Fld_Create("to", OFTString);
    OGR_L_CreateField(el, ff, 1);
    OGR_L_CreateField(el, tf, 1);
    OGR_Fld_Destroy(ff);
    OGR_Fld_Destroy(tf);
    if ((err = add_columns(el, &en, &et, 0)) < 0)
        goto done;
    for (igraph_integer_t v = 0; v < igraph_vcount(g) && err == 0; v++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(nl));
        const char *id = vertex_id(g, v, has_id, buf);
        OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "id"), id);
        for (igraph_integer_t a = 0; a < igraph_strvector_size(&vn); a++)
            if (!skip_attr(&vn, igraph_strvector_get(&vn, a), 1))
                set_attr(f, g, 0, igraph_strvector_get(&vn, a), (int)VECTOR(vt)[a], v);
        for (size_t k = 0; use_pos && k < n_pos; k++)
            if (!strcmp(pos[k].id, id)) {
                OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
                OGR_G_SetPoint_2D(pt, 0, pos[k].x, yed ? -pos[k].y : pos[k].y);
                OGR_F_SetGeometryDirectly(f, pt);
                break;
            }
        if (OGR_L_CreateFeature(nl, f) != OGRERR_NONE)
            err = corridor__oom();
        OGR_F_Destroy(f);
    }
    for (igraph_integer_t e = 0; e < igraph_ecount(g) && err == 0; e++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(el));
        char b2[32];
        int by_file = ends->n == (size_t)igraph_ecount(g); /* the file's order of the ends */
        OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "from"),
                             by_file ? ends->source[e]
                                     : vertex_id(g, IGRAPH_FROM(g, e), has_id, buf));
        OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "to"),
                             by_file ? ends->target[e] : vertex_id(g, IGRAPH_TO(g, e), has_id, b2));
        for (igraph_integer_t a = 0; a < igraph_strvector_size(&en); a++)
            if (!skip_attr(&en, igraph_strvector_get(&en, a), 0))
                set_attr(f, g, 1, igraph_strvector_get(&en, a), (int)VECTOR(et)[a], e);
        if (OGR_L_CreateFeature(el, f) != OGRERR_NONE)
            err = corridor__oom();
        OGR_F_Destroy(f);
    }
done:
    igraph_strvector_destroy(&gn);
    igraph_strvector_destroy(&vn);
    igraph_strvector_destroy(&en);
    igraph_vector_int_destroy(&gt);
    igraph_vector_int_destroy(&vt);
    igraph_vector_int_destroy(&et);
    return err;
}

int corridor__graphml_dataset(GDALDatasetH *out, const char *path, corridor_diags *d)
{
    COR_GIS_NEEDED();
    igraph_t g;
    int have_graph = 0, err = 0, yed = 0;
    gpos *pos = NULL;
    size_t n_pos = 0;
    gends ends = {0};
    GDALDatasetH ds = NULL;
    FILE *f = fopen(path, "rb");
    *out = NULL;
    if (!f)
        return corridor__error(CORRIDOR_EIO, "%s: cannot read", path);
    corridor__igraph_enter();
    igraph_attribute_table_t *old = igraph_set_attribute_table(&igraph_cattribute_table);
    igraph_error_t ie = igraph_read_graph_graphml(&g, f, 0);
    fclose(f);
    if (ie != IGRAPH_SUCCESS) {
        corridor__diag(d, 0, path, "graphml", "not a GraphML file igraph can read: %s",
                       igraph_strerror(ie));
        err = CORRIDOR_EINVALID;
        goto done;
    }
    have_graph = 1;
    if ((err = read_positions(&pos, &n_pos, &ends, path, &yed)) < 0)
        goto done;
    GDALDriverH mem = GDALGetDriverByName("Memory");
    if (!mem || !(ds = GDALCreate(mem, "", 0, 0, 0, GDT_Unknown, NULL))) {
        err = corridor__error(CORRIDOR_EINTERNAL, "GDAL has no Memory driver");
        goto done;
    }
    if ((err = fill_dataset(ds, &g, pos, n_pos, yed, &ends)) < 0)
        goto done;
    *out = ds;
    ds = NULL;
done:
    if (ds)
        GDALClose(ds);
    if (have_graph)
        igraph_destroy(&g);
    igraph_set_attribute_table(old);
    corridor__igraph_leave();
    gpos_free(pos, n_pos);
    gends_free(&ends);
    return err;
}
