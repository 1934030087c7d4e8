/* network.c: builds the routing graph of a query (arcs, classes, CSR adjacency, igraph graph). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "network.h"

char *cor_network_class_name(corridor_mode mode, int gauge)
{
    if (mode == CORRIDOR_MODE_RAIL && gauge > 0)
        return corridor__asprintf("rail/%d", gauge);
    return corridor__strdup(corridor_mode_name(mode));
}

void cor_network_free(cor_network *net)
{
    if (!net)
        return;
    if (net->has_graph)
        igraph_destroy(&net->graph);
    for (size_t c = 0; net->class_name && c < net->n_classes; c++)
        free(net->class_name[c]);
    free(net->class_name);
    free(net->class_mode);
    free(net->class_gauge);
    if (net->borrowed) { /* the rest lies in a compiled model */
        memset(net, 0, sizeof *net);
        return;
    }
    free(net->arc_edge);
    free(net->arc_from);
    free(net->arc_to);
    free(net->arc_reversed);
    free(net->arc_class);
    free(net->out_start);
    free(net->out_arc);
    free(net->in_start);
    free(net->in_arc);
    cor_selection sel = {net->node_ok, net->edge_ok};
    corridor__selection_free(&sel);
    memset(net, 0, sizeof *net);
}

/* The fix for a metric that cannot be derived, e.g. "give time_h or distance_km and ...". */
static int underivable(const cor_edge *e, int by)
{
    static const char *const knob[] = {"speed_kmh", "cost_usd_per_km", NULL, "co2_kg_per_km"};
    const char *field = corridor_metric_field((corridor_metric)by);
    if (by == CORRIDOR_BY_DISTANCE)
        return corridor__error(CORRIDOR_EINVALID, "edge \"%s\" has no %s: give %s", e->id, field,
                               field);
    return corridor__error(CORRIDOR_EINVALID,
                           "edge \"%s\" has no %s and it cannot be derived: give %s or "
                           "distance_km and defaults.%s.%s",
                           e->id, field, field, corridor_mode_name(e->mode), knob[by]);
}

int cor_network_check_metric(const cor_network *net, int by)
{
    const corridor_model *m = net->model;
    for (size_t e = 0; e < m->n_edges; e++)
        if (net->edge_ok[e] && isnan(m->edges[e].metric[by]))
            return underivable(&m->edges[e], by);
    return 0;
}

/* Finds or adds the class of (mode, gauge); returns its index or -1 on ENOMEM. */
static long class_of(cor_network *net, size_t *cap, corridor_mode mode, int gauge)
{
    if (mode != CORRIDOR_MODE_RAIL)
        gauge = 0;
    for (size_t c = 0; c < net->n_classes; c++)
        if (net->class_mode[c] == mode && net->class_gauge[c] == gauge)
            return (long)c;
    if (net->n_classes == *cap) {
        size_t nc = *cap ? 2 * *cap : 8;
        corridor_mode *cm = realloc(net->class_mode, nc * sizeof *cm);
        if (cm)
            net->class_mode = cm;
        int *cg = realloc(net->class_gauge, nc * sizeof *cg);
        if (cg)
            net->class_gauge = cg;
        char **cn = realloc(net->class_name, nc * sizeof *cn);
        if (cn)
            net->class_name = cn;
        if (!cm || !cg || !cn)
            return -1;
        *cap = nc;
    }
    char *name = cor_network_class_name(mode, gauge);
    if (!name)
        return -1;
    net->class_mode[net->n_classes] = mode;
    net->class_gauge[net->n_classes] = gauge;
    net->class_name[net->n_classes] = name;
    return (long)net->n_classes++;
}

/* Fills start[0..n] and list[] so that list[start[v]..start[v+1]) are the arcs with key[a] == v. */
static void csr_fill(size_t *start, uint32_t *list, const uint32_t *key, size_t n, size_t n_arcs)
{
    memset(start, 0, (n + 1) * sizeof *start);
    for (size_t a = 0; a < n_arcs; a++)
        start[key[a] + 1]++;
    for (size_t v = 0; v < n; v++)
        start[v + 1] += start[v];
    /* place arcs using start[] as cursors, then shift back */
    for (size_t a = 0; a < n_arcs; a++)
        list[start[key[a]]++] = (uint32_t)a;
    for (size_t v = n; v > 0; v--)
        start[v] = start[v - 1];
    start[0] = 0;
}

int cor_network_build(cor_network *net, const corridor_model *m, const corridor_filter *f, int by)
{
    int err = 0;
    size_t class_cap = 0;
    cor_selection sel = {NULL, NULL};

    memset(net, 0, sizeof *net);
    if ((err = corridor__cmp_net_adopt(net, m, f, by)) != 0)
        return err < 0 ? err : 0;
    net->model = m;
    net->n_nodes = m->n_nodes;

    if ((err = corridor__selection_build(&sel, m, f)) < 0)
        goto done;
    net->node_ok = sel.node_ok;
    net->edge_ok = sel.edge_ok;

    size_t n_arcs = 0;
    for (size_t e = 0; e < m->n_edges; e++) {
        if (!net->edge_ok[e])
            continue;
        if (by >= 0 && isnan(m->edges[e].metric[by])) {
            err = underivable(&m->edges[e], by);
            goto done;
        }
        n_arcs += m->edges[e].oneway ? 1 : 2;
    }
    if (m->n_nodes >= UINT32_MAX || n_arcs >= UINT32_MAX || m->n_edges >= UINT32_MAX) {
        err = corridor__error(CORRIDOR_EUSAGE,
                              "the network is too large (%zu nodes, %zu arcs): at most %u each",
                              m->n_nodes, n_arcs, UINT32_MAX - 1);
        goto done;
    }
    size_t na = n_arcs + 1, nn = m->n_nodes + 1;
    net->arc_edge = malloc(na * sizeof *net->arc_edge);
    net->arc_from = malloc(na * sizeof *net->arc_from);
    net->arc_to = malloc(na * sizeof *net->arc_to);
    net->arc_reversed = malloc(na);
    net->arc_class = malloc(na * sizeof *net->arc_class);
    net->out_start = malloc((nn + 1) * sizeof *net->out_start);
    net->in_start = malloc((nn + 1) * sizeof *net->in_start);
    net->out_arc = malloc(na * sizeof *net->out_arc);
    net->in_arc = malloc(na * sizeof *net->in_arc);
    if (!net->arc_edge || !net->arc_from || !net->arc_to || !net->arc_reversed || !net->arc_class ||
        !net->out_start || !net->in_start || !net->out_arc || !net->in_arc) {
        err = corridor__oom();
        goto done;
    }

    size_t a = 0;
    for (size_t e = 0; e < m->n_edges; e++) {
        if (!net->edge_ok[e])
            continue;
        const cor_edge *ed = &m->edges[e];
        long c = class_of(net, &class_cap, ed->mode, ed->gauge);
        if (c < 0) {
            err = corridor__oom();
            goto done;
        }
        for (int dir = 0; dir < (ed->oneway ? 1 : 2); dir++, a++) {
            net->arc_edge[a] = (uint32_t)e;
            net->arc_from[a] = (uint32_t)(dir ? ed->to : ed->from);
            net->arc_to[a] = (uint32_t)(dir ? ed->from : ed->to);
            net->arc_reversed[a] = (unsigned char)dir;
            net->arc_class[a] = (uint32_t)c;
        }
    }
    net->n_arcs = n_arcs;
    csr_fill(net->out_start, net->out_arc, net->arc_from, m->n_nodes, n_arcs);
    csr_fill(net->in_start, net->in_arc, net->arc_to, m->n_nodes, n_arcs);

done:
    if (err < 0) {
        if (!net->node_ok)
            corridor__selection_free(&sel);
        cor_network_free(net);
    }
    return err;
}

int cor_network_igraph(cor_network *net)
{
    igraph_vector_int_t ends;
    int err = 0;
    if (net->has_graph)
        return 0;
    corridor__igraph_enter();
    igraph_error_t ierr = igraph_vector_int_init(&ends, (igraph_integer_t)(2 * net->n_arcs));
    if (ierr != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(ierr);
        goto done;
    }
    for (size_t i = 0; i < net->n_arcs; i++) {
        VECTOR(ends)[2 * i] = (igraph_integer_t)net->arc_from[i];
        VECTOR(ends)[2 * i + 1] = (igraph_integer_t)net->arc_to[i];
    }
    ierr = igraph_create(&net->graph, &ends, (igraph_integer_t)net->n_nodes, IGRAPH_DIRECTED);
    igraph_vector_int_destroy(&ends);
    if (ierr != IGRAPH_SUCCESS)
        err = corridor__igraph_error(ierr);
    else
        net->has_graph = 1;
done:
    corridor__igraph_leave();
    return err;
}
