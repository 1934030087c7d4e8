/* analyze.c: per commodity: components, bridges, articulation points, betweenness. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "network.h"
#include "resilience_internal.h"

static void free_one(corridor_commodity_analysis *ca)
{
    for (size_t i = 0; ca->components && i < ca->n_components; i++)
        free(ca->components[i]);
    free(ca->components);
    free(ca->component_sizes);
    free(ca->bridges);
    free(ca->articulation_points);
    free(ca->betweenness);
}

void corridor_analysis_free(corridor_analysis *a)
{
    if (!a)
        return;
    for (size_t i = 0; a->per && i < a->n; i++)
        free_one(&a->per[i]);
    free(a->per);
    free(a);
}

static int str_cmp(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static int score_cmp(const void *pa, const void *pb)
{
    const corridor_score *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* Components, largest first (ties: by smallest id); ids sorted within each. */
typedef struct comp_ref {
    size_t size;
    const char **ids;
} comp_ref;

static int comp_cmp(const void *pa, const void *pb)
{
    const comp_ref *a = pa, *b = pb;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return strcmp(a->ids[0], b->ids[0]);
}

/* The undirected multigraph of the eligible edges over the touched nodes (compact ids). */
typedef struct undirected_view {
    igraph_t g;
    int have_g;
    size_t n_v;
    size_t *vertex_node; /* compact vertex -> model node */
    size_t *edge_of;     /* igraph edge -> model edge */
} undirected_view;

static void view_free(undirected_view *u)
{
    if (u->have_g)
        igraph_destroy(&u->g);
    free(u->vertex_node);
    free(u->edge_of);
    memset(u, 0, sizeof *u);
}

static int view_build(undirected_view *u, const corridor_model *m, const cor_network *net)
{
    int err = 0;
    igraph_error_t rc;
    long *compact = NULL;
    igraph_vector_int_t el;
    int have_el = 0;
    size_t n_e = 0;
    memset(u, 0, sizeof *u);
    if (!(compact = malloc((m->n_nodes + 1) * sizeof *compact)) ||
        !(u->vertex_node = malloc((m->n_nodes + 1) * sizeof *u->vertex_node)) ||
        !(u->edge_of = malloc((m->n_edges + 1) * sizeof *u->edge_of))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t v = 0; v < m->n_nodes; v++)
        compact[v] = -1;
    for (size_t e = 0; e < m->n_edges; e++) {
        if (!net->edge_ok[e])
            continue;
        size_t ends[2] = {m->edges[e].from, m->edges[e].to};
        for (int k = 0; k < 2; k++) {
            if (compact[ends[k]] < 0) {
                compact[ends[k]] = (long)u->n_v;
                u->vertex_node[u->n_v++] = ends[k];
            }
        }
        u->edge_of[n_e++] = e;
    }
    if ((rc = igraph_vector_int_init(&el, (igraph_integer_t)(2 * n_e))) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_el = 1;
    for (size_t i = 0; i < n_e; i++) {
        VECTOR(el)[2 * i] = compact[m->edges[u->edge_of[i]].from];
        VECTOR(el)[2 * i + 1] = compact[m->edges[u->edge_of[i]].to];
    }
    if ((rc = igraph_create(&u->g, &el, (igraph_integer_t)u->n_v, IGRAPH_UNDIRECTED)) !=
        IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    u->have_g = 1;
done:
    if (have_el)
        igraph_vector_int_destroy(&el);
    free(compact);
    if (err < 0)
        view_free(u);
    return err;
}

static int components(corridor_commodity_analysis *ca, const corridor_model *m,
                      const undirected_view *u)
{
    int err = 0;
    igraph_error_t rc;
    igraph_vector_int_t memb, csize;
    int have_memb = 0, have_csize = 0;
    igraph_integer_t no = 0;
    comp_ref *refs = NULL;
    size_t *fill = NULL;
    if ((rc = igraph_vector_int_init(&memb, 0)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_memb = 1;
    if ((rc = igraph_vector_int_init(&csize, 0)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_csize = 1;
    if ((rc = igraph_connected_components(&u->g, &memb, &csize, &no, IGRAPH_WEAK)) !=
        IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    size_t k = (size_t)no;
    if (!(refs = calloc(k + 1, sizeof *refs)) || !(fill = calloc(k + 1, sizeof *fill))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t c = 0; c < k; c++) {
        refs[c].size = (size_t)VECTOR(csize)[c];
        if (!(refs[c].ids = malloc(refs[c].size * sizeof *refs[c].ids))) {
            err = corridor__oom();
            goto done;
        }
    }
    for (size_t v = 0; v < u->n_v; v++) {
        size_t c = (size_t)VECTOR(memb)[v];
        refs[c].ids[fill[c]++] = m->nodes[u->vertex_node[v]].id;
    }
    for (size_t c = 0; c < k; c++)
        qsort(refs[c].ids, refs[c].size, sizeof *refs[c].ids, str_cmp);
    qsort(refs, k, sizeof *refs, comp_cmp);
    if (!(ca->components = calloc(k + 1, sizeof *ca->components)) ||
        !(ca->component_sizes = calloc(k + 1, sizeof *ca->component_sizes))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t c = 0; c < k; c++) {
        ca->components[c] = refs[c].ids;
        ca->component_sizes[c] = refs[c].size;
        refs[c].ids = NULL;
    }
    ca->n_components = k;
done:
    for (size_t c = 0; refs && c < (size_t)no; c++)
        free(refs[c].ids);
    free(refs);
    free(fill);
    if (have_memb)
        igraph_vector_int_destroy(&memb);
    if (have_csize)
        igraph_vector_int_destroy(&csize);
    return err;
}

/* Bridges (igraph_bridges handles parallel edges: neither of a parallel pair is a bridge)
 * and articulation points of the undirected view, ids sorted. */
static int cut_elements(corridor_commodity_analysis *ca, const corridor_model *m,
                        const undirected_view *u)
{
    int err = 0;
    igraph_error_t rc;
    igraph_vector_int_t res;
    int have_res = 0;
    if ((rc = igraph_vector_int_init(&res, 0)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_res = 1;
    if ((rc = igraph_bridges(&u->g, &res)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    size_t n = (size_t)igraph_vector_int_size(&res);
    if (!(ca->bridges = malloc((n + 1) * sizeof *ca->bridges))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        ca->bridges[i] = m->edges[u->edge_of[VECTOR(res)[i]]].id;
    ca->n_bridges = n;
    qsort(ca->bridges, n, sizeof *ca->bridges, str_cmp);

    if ((rc = igraph_articulation_points(&u->g, &res)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    n = (size_t)igraph_vector_int_size(&res);
    if (!(ca->articulation_points = malloc((n + 1) * sizeof *ca->articulation_points))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        ca->articulation_points[i] = m->nodes[u->vertex_node[VECTOR(res)[i]]].id;
    ca->n_articulation_points = n;
    qsort(ca->articulation_points, n, sizeof *ca->articulation_points, str_cmp);
done:
    if (have_res)
        igraph_vector_int_destroy(&res);
    return err;
}

/*
 * Betweenness on the routing graph (directed: a two-way edge is two arcs),
 * weighted by the edge metric `by` (dwell and transfer are not counted). Counts
 * ordered pairs and halves the result, so an all-two-way network gives igraph's
 * undirected values. igraph needs positive weights: a zero weight becomes a
 * millionth of the smallest positive one (all zero: unweighted). Keeps the
 * `top` highest nodes, then the `top` highest edges, zero scores left out.
 */
static int betweenness(corridor_commodity_analysis *ca, const corridor_model *m,
                       const cor_network *net, int by, size_t top)
{
    int err = 0;
    igraph_error_t rc;
    igraph_vector_t w, vb, eb;
    int have_w = 0, have_vb = 0, have_eb = 0;
    corridor_score *nodes = NULL, *edges = NULL;
    double *per_edge = NULL;
    size_t nn = 0, ne = 0;
    if ((rc = igraph_vector_init(&w, (igraph_integer_t)net->n_arcs)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_w = 1;
    double minpos = INFINITY;
    for (size_t a = 0; a < net->n_arcs; a++) {
        double x = net->arc_w[a * COR_NMET + (size_t)by];
        VECTOR(w)[a] = x;
        if (x > 0 && x < minpos)
            minpos = x;
    }
    for (size_t a = 0; a < net->n_arcs; a++)
        if (!(VECTOR(w)[a] > 0))
            VECTOR(w)[a] = isfinite(minpos) ? minpos * 1e-6 : 1;
    if ((rc = igraph_vector_init(&vb, 0)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_vb = 1;
    if ((rc = igraph_vector_init(&eb, 0)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_eb = 1;
    if ((rc = igraph_betweenness(&net->graph, &vb, igraph_vss_all(), 1, &w)) != IGRAPH_SUCCESS ||
        (rc = igraph_edge_betweenness(&net->graph, &eb, 1, &w)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    if (!(nodes = malloc((m->n_nodes + 1) * sizeof *nodes)) ||
        !(edges = malloc((m->n_edges + 1) * sizeof *edges)) ||
        !(per_edge = calloc(m->n_edges + 1, sizeof *per_edge))) {
        err = corridor__oom();
        goto done;
    }
    for (size_t v = 0; v < m->n_nodes; v++) {
        double s = VECTOR(vb)[v] / 2;
        if (s > 0)
            nodes[nn++] = (corridor_score){CORRIDOR_ELEMENT_NODE, m->nodes[v].id, s};
    }
    for (size_t a = 0; a < net->n_arcs; a++)
        per_edge[net->arc_edge[a]] += VECTOR(eb)[a] / 2;
    for (size_t e = 0; e < m->n_edges; e++)
        if (per_edge[e] > 0)
            edges[ne++] = (corridor_score){CORRIDOR_ELEMENT_EDGE, m->edges[e].id, per_edge[e]};
    qsort(nodes, nn, sizeof *nodes, score_cmp);
    qsort(edges, ne, sizeof *edges, score_cmp);
    if (nn > top)
        nn = top;
    if (ne > top)
        ne = top;
    if (!(ca->betweenness = malloc((nn + ne + 1) * sizeof *ca->betweenness))) {
        err = corridor__oom();
        goto done;
    }
    memcpy(ca->betweenness, nodes, nn * sizeof *nodes);
    memcpy(ca->betweenness + nn, edges, ne * sizeof *edges);
    ca->n_betweenness = nn + ne;
done:
    free(nodes);
    free(edges);
    free(per_edge);
    if (have_w)
        igraph_vector_destroy(&w);
    if (have_vb)
        igraph_vector_destroy(&vb);
    if (have_eb)
        igraph_vector_destroy(&eb);
    return err;
}

static int analyze_one(corridor_commodity_analysis *ca, const corridor_model *m,
                       const corridor_analyze_opts *opts, corridor_commodity c)
{
    int err = 0;
    cor_network net;
    undirected_view u;
    int have_u = 0;
    corridor_filter f = opts->filter;
    f.carry = c;
    memset(&net, 0, sizeof net);
    ca->carry = c;
    if ((err = cor_network_build(&net, m, &f, (int)opts->by)) < 0)
        goto done;
    if ((err = view_build(&u, m, &net)) < 0)
        goto done;
    have_u = 1;
    ca->nodes = u.n_v;
    ca->edges = (size_t)igraph_ecount(&u.g);
    if ((err = components(ca, m, &u)) < 0 || (err = cut_elements(ca, m, &u)) < 0 ||
        (err = betweenness(ca, m, &net, (int)opts->by, opts->top)) < 0)
        goto done;
done:
    if (have_u)
        view_free(&u);
    cor_network_free(&net);
    return err;
}

/*
 * One entry per commodity: filter.carry if set, otherwise every commodity an
 * eligible edge carries. Time complexity: O(|V| |E| log |V|) per commodity
 * (weighted betweenness); the rest is O(|V| + |E|).
 */
int corridor_analyze(corridor_analysis **out, const corridor_model *model,
                     const corridor_analyze_opts *opts)
{
    int err = 0;
    corridor_analysis *a = NULL;
    cor_selection sel = {NULL, NULL};
    corridor_analyze_opts defaults = CORRIDOR_ANALYZE_OPTS_INIT;
    corridor_commodity list[COR_NCOM];
    size_t n_list = 0;
    int entered = 0;
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if ((err = CORRIDOR__CHECK_OPTS(opts, CORRIDOR_ANALYZE_OPTS_VERSION, "corridor_analyze_opts")) <
        0)
        return err;
    if ((unsigned)opts->by >= COR_NMET) {
        err = corridor__error(CORRIDOR_EUSAGE, "unknown metric %d for betweenness", (int)opts->by);
        goto done;
    }
    corridor__igraph_enter();
    entered = 1;
    if (opts->filter.carry != CORRIDOR_CARRY_ANY) {
        if ((unsigned)opts->filter.carry >= COR_NCOM) {
            err = corridor__error(CORRIDOR_EUSAGE, "unknown commodity %d", (int)opts->filter.carry);
            goto done;
        }
        list[n_list++] = opts->filter.carry;
    } else {
        unsigned carried = 0;
        if ((err = corridor__selection_build(&sel, model, &opts->filter)) < 0)
            goto done;
        for (size_t e = 0; e < model->n_edges; e++)
            if (sel.edge_ok[e])
                carried |= model->edges[e].carries;
        for (int c = 0; c < COR_NCOM; c++)
            if (carried & (1u << c))
                list[n_list++] = (corridor_commodity)c;
    }
    if (!(a = calloc(1, sizeof *a)) || !(a->per = calloc(n_list + 1, sizeof *a->per))) {
        err = corridor__oom();
        goto done;
    }
    a->by = opts->by;
    for (size_t i = 0; i < n_list; i++) {
        a->n = i + 1;
        if ((err = analyze_one(&a->per[i], model, opts, list[i])) < 0)
            goto done;
    }
    *out = a;
    a = NULL;
done:
    if (entered)
        corridor__igraph_leave();
    corridor__selection_free(&sel);
    corridor_analysis_free(a);
    return err;
}

static int id_array(cJSON *obj, const char *key, const char *const *ids, size_t n)
{
    int err = 0;
    cJSON *arr = cJSON_CreateArray();
    if ((err = cor_json_add(obj, key, arr)) < 0)
        return err;
    for (size_t i = 0; i < n; i++)
        if ((err = cor_json_str(arr, NULL, ids[i])) < 0)
            return err;
    return 0;
}

static int one_json(cJSON *arr, const corridor_commodity_analysis *ca)
{
    int err = 0;
    cJSON *o = cJSON_CreateObject(), *comps = NULL, *bt = NULL, *bn = NULL, *be = NULL;
    if ((err = cor_json_add(arr, NULL, o)) < 0)
        return err;
    if ((err = cor_json_str(o, "carry", corridor_commodity_name(ca->carry))) < 0 ||
        (err = cor_json_num(o, "nodes", (double)ca->nodes)) < 0 ||
        (err = cor_json_num(o, "edges", (double)ca->edges)) < 0 ||
        (err = cor_json_num(o, "n_components", (double)ca->n_components)) < 0 ||
        (err = cor_json_add(o, "components", comps = cJSON_CreateArray())) < 0)
        return err;
    for (size_t c = 0; c < ca->n_components; c++) {
        cJSON *holder = cJSON_CreateObject();
        if ((err = cor_json_add(comps, NULL, holder)) < 0 ||
            (err = cor_json_num(holder, "size", (double)ca->component_sizes[c])) < 0 ||
            (err = id_array(holder, "nodes", ca->components[c], ca->component_sizes[c])) < 0)
            return err;
    }
    if ((err = id_array(o, "bridges", ca->bridges, ca->n_bridges)) < 0 ||
        (err = id_array(o, "articulation_points", ca->articulation_points,
                        ca->n_articulation_points)) < 0 ||
        (err = cor_json_add(o, "betweenness", bt = cJSON_CreateObject())) < 0 ||
        (err = cor_json_add(bt, "nodes", bn = cJSON_CreateArray())) < 0 ||
        (err = cor_json_add(bt, "edges", be = cJSON_CreateArray())) < 0)
        return err;
    for (size_t i = 0; i < ca->n_betweenness; i++) {
        const corridor_score *s = &ca->betweenness[i];
        cJSON *item = cJSON_CreateObject();
        if ((err = cor_json_add(s->type == CORRIDOR_ELEMENT_NODE ? bn : be, NULL, item)) < 0 ||
            (err = cor_json_str(item, "id", s->id)) < 0 ||
            (err = cor_json_num(item, "score", s->score)) < 0)
            return err;
    }
    return 0;
}

int corridor_analysis_json(char **out, const corridor_analysis *a)
{
    int err = 0;
    cJSON *root = cJSON_CreateObject(), *arr = NULL;
    *out = NULL;
    if (!root)
        return corridor__oom();
    if ((err = cor_json_str(root, "by", corridor_metric_name(a->by))) < 0 ||
        (err = cor_json_add(root, "commodities", arr = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t i = 0; i < a->n; i++)
        if ((err = one_json(arr, &a->per[i])) < 0)
            goto done;
    err = cor_json_finish(out, root);
    root = NULL;
done:
    cJSON_Delete(root);
    return err;
}
