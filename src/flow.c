/* flow.c: maximum flow and minimum cut of one commodity, with edge and node capacities. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "resilience_internal.h"

/* ------------------------------------------------------------ the network */

void corridor__flownet_free(cor_flownet *net)
{
    if (!net)
        return;
    if (net->have_graph)
        igraph_destroy(&net->graph);
    free(net->src);
    free(net->dst);
    free(net->arc_from);
    free(net->arc_to);
    free(net->arc_cap);
    free(net->arc_elem);
    free(net->out_start);
    free(net->out_arcs);
    memset(net, 0, sizeof *net);
}

static void add_arc(cor_flownet *net, igraph_integer_t from, igraph_integer_t to, double cap,
                    long elem)
{
    size_t a = net->n_arcs++;
    net->arc_from[a] = from;
    net->arc_to[a] = to;
    net->arc_cap[a] = cap;
    net->arc_elem[a] = elem;
}

/* Builds the CSR list of arcs leaving each vertex and the igraph graph. */
static int finish_graph(cor_flownet *net)
{
    int err = 0;
    igraph_error_t rc;
    igraph_vector_int_t el;
    int have_el = 0;
    size_t nv = (size_t)net->n_vertices;
    corridor__igraph_enter();
    net->out_start = calloc(nv + 1, sizeof *net->out_start);
    net->out_arcs = malloc((net->n_arcs + 1) * sizeof *net->out_arcs);
    if (!net->out_start || !net->out_arcs) {
        err = corridor__oom();
        goto done;
    }
    for (size_t a = 0; a < net->n_arcs; a++)
        net->out_start[net->arc_from[a] + 1]++;
    for (size_t v = 0; v < nv; v++)
        net->out_start[v + 1] += net->out_start[v];
    size_t *fill = malloc((nv + 1) * sizeof *fill);
    if (!fill) {
        err = corridor__oom();
        goto done;
    }
    memcpy(fill, net->out_start, nv * sizeof *fill);
    for (size_t a = 0; a < net->n_arcs; a++)
        net->out_arcs[fill[net->arc_from[a]]++] = a;
    free(fill);

    if ((rc = igraph_vector_int_init(&el, (igraph_integer_t)(2 * net->n_arcs))) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_el = 1;
    for (size_t a = 0; a < net->n_arcs; a++) {
        VECTOR(el)[2 * a] = net->arc_from[a];
        VECTOR(el)[2 * a + 1] = net->arc_to[a];
    }
    if ((rc = igraph_create(&net->graph, &el, net->n_vertices, IGRAPH_DIRECTED)) !=
        IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    net->have_graph = 1;
done:
    if (have_el)
        igraph_vector_int_destroy(&el);
    corridor__igraph_leave();
    return err;
}

/* Resolves the origin and destination places; they must not share a node. */
static int resolve_ends(cor_flownet *net, const corridor_model *m, const char *from, const char *to)
{
    int err = 0;
    unsigned char *is_src = NULL;
    if ((err = corridor__place_resolve(&net->src, &net->n_src, m, from)) < 0 ||
        (err = corridor__place_resolve(&net->dst, &net->n_dst, m, to)) < 0)
        return err;
    if (!(is_src = calloc(m->n_nodes + 1, 1)))
        return corridor__oom();
    for (size_t i = 0; i < net->n_src; i++)
        is_src[net->src[i]] = 1;
    for (size_t i = 0; i < net->n_dst && !err; i++) {
        if (is_src[net->dst[i]] && net->n_src == 1 && net->n_dst == 1)
            err = corridor__error(CORRIDOR_EUSAGE,
                                  "origin and destination are the same place (\"%s\", \"%s\"): "
                                  "give two different places",
                                  from, to);
        else if (is_src[net->dst[i]])
            err = corridor__error(CORRIDOR_EUSAGE,
                                  "origin \"%s\" and destination \"%s\" share node \"%s\": "
                                  "give two different places",
                                  from, to, m->nodes[net->dst[i]].id);
    }
    free(is_src);
    return err;
}

/* The arcs: eligible edges (both ways unless oneway), node capacities, source and sink. */
static int add_arcs(cor_flownet *net, const corridor_model *m, const cor_selection *sel, int c)
{
    size_t max_arcs = m->n_nodes + 2 * m->n_edges + net->n_src + net->n_dst;
    net->arc_from = malloc((max_arcs + 1) * sizeof *net->arc_from);
    net->arc_to = malloc((max_arcs + 1) * sizeof *net->arc_to);
    net->arc_cap = malloc((max_arcs + 1) * sizeof *net->arc_cap);
    net->arc_elem = malloc((max_arcs + 1) * sizeof *net->arc_elem);
    if (!net->arc_from || !net->arc_to || !net->arc_cap || !net->arc_elem)
        return corridor__oom();
    net->n_vertices = (igraph_integer_t)(2 * m->n_nodes + 2);
    net->source = (igraph_integer_t)(2 * m->n_nodes);
    net->sink = net->source + 1;
    for (size_t e = 0; e < m->n_edges; e++) {
        const cor_edge *ed = &m->edges[e];
        double cap = ed->capacity[c];
        if (!sel->edge_ok[e] || !(cap > 0))
            continue;
        igraph_integer_t a = (igraph_integer_t)ed->from, b = (igraph_integer_t)ed->to;
        add_arc(net, 2 * a + 1, 2 * b, cap, (long)e);
        if (!ed->oneway)
            add_arc(net, 2 * b + 1, 2 * a, cap, (long)e);
    }
    for (size_t v = 0; v < m->n_nodes; v++) {
        double cap = m->nodes[v].capacity[c];
        if (sel->node_ok[v] && cap > 0)
            add_arc(net, (igraph_integer_t)(2 * v), (igraph_integer_t)(2 * v + 1), cap,
                    (long)(m->n_edges + v));
    }
    for (size_t i = 0; i < net->n_src; i++)
        if (sel->node_ok[net->src[i]])
            add_arc(net, net->source, (igraph_integer_t)(2 * net->src[i]), INFINITY, -1);
    for (size_t i = 0; i < net->n_dst; i++)
        if (sel->node_ok[net->dst[i]])
            add_arc(net, (igraph_integer_t)(2 * net->dst[i] + 1), net->sink, INFINITY, -1);
    return 0;
}

int corridor__flownet_build(cor_flownet *net, const corridor_model *m, const char *from,
                            const char *to, const corridor_filter *f)
{
    int err = 0;
    cor_selection sel = {NULL, NULL};
    memset(net, 0, sizeof *net);
    net->model = m;
    net->carry = f->carry;
    if (f->carry == CORRIDOR_CARRY_ANY || (unsigned)f->carry >= COR_NCOM) {
        err = corridor__error(CORRIDOR_EUSAGE,
                              "max flow needs one commodity: choose one with --carry");
        goto done;
    }
    if ((err = resolve_ends(net, m, from, to)) < 0 ||
        (err = corridor__selection_build(&sel, m, f)) < 0 ||
        (err = add_arcs(net, m, &sel, f->carry)) < 0)
        goto done;
    err = finish_graph(net);
done:
    corridor__selection_free(&sel);
    if (err < 0)
        corridor__flownet_free(net);
    return err;
}

/* ------------------------------------------------------------- solving */

void corridor__flowres_free(cor_flowres *res)
{
    if (!res)
        return;
    free(res->elem_flow);
    free(res->cut);
    memset(res, 0, sizeof *res);
}

/* Capacity of arc a with `removed` taken out. */
static double arc_capacity(const cor_flownet *net, size_t a, long removed)
{
    return (removed >= 0 && net->arc_elem[a] == removed) ? 0 : net->arc_cap[a];
}

/* 1 if the sink is reachable from the source over arcs of positive capacity (only
 * uncapacitated ones if `unlimited_only`). `seen` has n_vertices bytes, `queue` n_vertices. */
static int sink_reachable(const cor_flownet *net, long removed, int unlimited_only,
                          unsigned char *seen, size_t *queue)
{
    size_t head = 0, tail = 0;
    memset(seen, 0, (size_t)net->n_vertices);
    seen[net->source] = 1;
    queue[tail++] = (size_t)net->source;
    while (head < tail) {
        size_t v = queue[head++];
        for (size_t i = net->out_start[v]; i < net->out_start[v + 1]; i++) {
            size_t a = net->out_arcs[i];
            double cap = arc_capacity(net, a, removed);
            if (unlimited_only ? !isinf(cap) : !(cap > 0))
                continue;
            size_t w = (size_t)net->arc_to[a];
            if (!seen[w]) {
                if (w == (size_t)net->sink)
                    return 1;
                seen[w] = 1;
                queue[tail++] = w;
            }
        }
    }
    return 0;
}

static int cut_cmp(const void *pa, const void *pb)
{
    const corridor_cut_item *a = pa, *b = pb;
    int c = (int)a->type - (int)b->type; /* edges first */
    return c ? c : strcmp(a->id, b->id);
}

/* Turns igraph's source-side partition into the list of cut elements and the cut value. */
static int make_cut(cor_flowres *res, const cor_flownet *net, long removed,
                    const igraph_vector_int_t *partition, unsigned char *side)
{
    const corridor_model *m = net->model;
    size_t n_elem = m->n_edges + m->n_nodes;
    unsigned char *in_cut = NULL;
    int err = 0;
    memset(side, 0, (size_t)net->n_vertices);
    for (igraph_integer_t i = 0; i < igraph_vector_int_size(partition); i++)
        side[VECTOR(*partition)[i]] = 1;
    if (!(in_cut = calloc(n_elem + 1, 1)) ||
        !(res->cut = malloc((n_elem + 1) * sizeof *res->cut))) {
        err = corridor__oom();
        goto done;
    }
    res->value = 0;
    for (size_t a = 0; a < net->n_arcs; a++) {
        double cap = arc_capacity(net, a, removed);
        if (!(cap > 0) || !side[net->arc_from[a]] || side[net->arc_to[a]])
            continue;
        long el = net->arc_elem[a];
        if (el < 0 || isinf(cap)) {
            /* cannot happen for a bounded network: the cut is cheaper than any such arc */
            err = corridor__error(CORRIDOR_EINTERNAL, "minimum cut crosses an unlimited arc");
            goto done;
        }
        res->value += cap;
        if (in_cut[el])
            continue;
        in_cut[el] = 1;
        corridor_cut_item *it = &res->cut[res->n_cut++];
        if ((size_t)el < m->n_edges) {
            it->type = CORRIDOR_ELEMENT_EDGE;
            it->id = m->edges[el].id;
        } else {
            it->type = CORRIDOR_ELEMENT_NODE;
            it->id = m->nodes[(size_t)el - m->n_edges].id;
        }
        it->capacity = cap;
    }
    qsort(res->cut, res->n_cut, sizeof *res->cut, cut_cmp);
done:
    free(in_cut);
    return err;
}

/* igraph_maxflow with `removed` taken out; `seen` is scratch of n_vertices bytes. */
static int run_maxflow(cor_flowres *res, const cor_flownet *net, long removed, int want_flow,
                       int want_cut, unsigned char *seen)
{
    int err = 0;
    igraph_error_t rc;
    igraph_vector_t cap, flow;
    igraph_vector_int_t partition;
    int have_cap = 0, have_flow = 0, have_part = 0;
    corridor__igraph_enter();

    /* igraph needs finite capacities: "unlimited" becomes more than all the others together */
    double big = 1;
    for (size_t a = 0; a < net->n_arcs; a++) {
        double c = arc_capacity(net, a, removed);
        if (isfinite(c))
            big += c;
    }
    if ((rc = igraph_vector_init(&cap, (igraph_integer_t)net->n_arcs)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_cap = 1;
    for (size_t a = 0; a < net->n_arcs; a++) {
        double c = arc_capacity(net, a, removed);
        VECTOR(cap)[a] = isinf(c) ? big : c;
    }
    if ((rc = igraph_vector_init(&flow, 0)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_flow = 1;
    if ((rc = igraph_vector_int_init(&partition, 0)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    have_part = 1;
    igraph_real_t value = 0;
    igraph_maxflow_stats_t stats;
    if ((rc = igraph_maxflow(&net->graph, &value, want_flow ? &flow : NULL, NULL, &partition, NULL,
                             net->source, net->sink, &cap, &stats)) != IGRAPH_SUCCESS) {
        err = corridor__igraph_error(rc);
        goto done;
    }
    if (want_flow) {
        for (size_t a = 0; a < net->n_arcs; a++)
            if (net->arc_elem[a] >= 0)
                res->elem_flow[net->arc_elem[a]] += VECTOR(flow)[a];
    }
    if (res->unbounded)
        goto done;
    if (want_cut)
        err = make_cut(res, net, removed, &partition, seen);
    else
        res->value = value;
done:
    if (have_cap)
        igraph_vector_destroy(&cap);
    if (have_flow)
        igraph_vector_destroy(&flow);
    if (have_part)
        igraph_vector_int_destroy(&partition);
    corridor__igraph_leave();
    return err;
}

int corridor__flownet_solve(cor_flowres *res, const cor_flownet *net, long removed, int want_flow,
                            int want_cut, cor_watch *stages)
{
    int err = 0;
    const corridor_model *m = net->model;
    size_t n_elem = m->n_edges + m->n_nodes;
    unsigned char *seen = NULL;
    size_t *queue = NULL;
    memset(res, 0, sizeof *res);
    if (!(seen = malloc((size_t)net->n_vertices)) ||
        !(queue = malloc((size_t)net->n_vertices * sizeof *queue))) {
        err = corridor__oom();
        goto done;
    }
    if (want_flow && !(res->elem_flow = calloc(n_elem + 1, sizeof *res->elem_flow))) {
        err = corridor__oom();
        goto done;
    }
    if (!sink_reachable(net, removed, 0, seen, queue))
        goto done; /* value 0, empty cut */
    res->unbounded = sink_reachable(net, removed, 1, seen, queue);
    if (res->unbounded && !want_flow) {
        res->value = INFINITY;
        goto done;
    }
    if ((err = corridor__watch_step(stages, COR_FLOW_STAGE_REACH)) < 0)
        goto done; /* igraph_maxflow cannot be stopped once started: check before it */
    err = run_maxflow(res, net, removed, want_flow, want_cut, seen);
    if (res->unbounded)
        res->value = INFINITY;
done:
    free(seen);
    free(queue);
    if (err < 0)
        corridor__flowres_free(res);
    return err;
}

/* ------------------------------------------------------------ public API */

void corridor_flow_free(corridor_flow *flow)
{
    if (!flow)
        return;
    free((char *)flow->from);
    free((char *)flow->to);
    free(flow->cut);
    free(flow);
}

/*
 * A place pair with no eligible path between them has flow 0 and an empty
 * cut (CORRIDOR_OK: "nothing can flow" is an answer). Time complexity: that
 * of igraph_maxflow on 2|V| + 2 vertices and up to |V| + 2|E| arcs.
 * Progress and the time limit go by COR_FLOW_STAGES stages: the answer is
 * all or nothing (a limit gives CORRIDOR_ELIMIT and no result).
 */
int corridor_flow_max(corridor_flow **out, const corridor_model *model, const char *from,
                      const char *to, const corridor_flow_opts *opts)
{
    int err = 0;
    cor_flownet net;
    int have_net = 0;
    cor_flowres res = {0, 0, NULL, NULL, 0};
    corridor_flow *fl = NULL;
    corridor_flow_opts defaults = CORRIDOR_FLOW_OPTS_INIT;
    cor_watch w;
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if ((err = CORRIDOR__CHECK_BUDGETED_OPTS(opts, CORRIDOR_FLOW_OPTS_VERSION,
                                             "corridor_flow_opts")) < 0)
        return err;
    corridor__watch_init(&w, opts->budget, COR_FLOW_STAGES, "stages");
    corridor__igraph_watch(&w); /* igraph calls that poll stop at the limit too */
    corridor__watch_report(&w, 0);
    if ((err = corridor__flownet_build(&net, model, from, to, &opts->filter)) < 0)
        goto done;
    have_net = 1;
    if ((err = corridor__watch_step(&w, COR_FLOW_STAGE_BUILT)) < 0 ||
        (err = corridor__flownet_solve(&res, &net, -1, 0, 1, &w)) < 0)
        goto done;
    corridor__watch_report(&w, COR_FLOW_STAGES); /* the answer is complete: no limit now */
    if (!(fl = calloc(1, sizeof *fl)) || !(fl->from = corridor__strdup(from)) ||
        !(fl->to = corridor__strdup(to))) {
        err = corridor__oom();
        goto done;
    }
    fl->carry = opts->filter.carry;
    fl->unit = corridor_model_unit(model, fl->carry);
    fl->value = res.value;
    fl->unbounded = res.unbounded;
    fl->cut = res.cut;
    fl->n_cut = res.n_cut;
    res.cut = NULL;
    *out = fl;
    fl = NULL;
done:
    corridor__igraph_watch(NULL);
    corridor__flowres_free(&res);
    if (have_net)
        corridor__flownet_free(&net);
    corridor_flow_free(fl);
    return err;
}

int corridor_flow_json(char **out, const corridor_flow *flow)
{
    int err = 0;
    cJSON *root = cJSON_CreateObject(), *cut = NULL, *edges = NULL, *nodes = NULL, *items = NULL;
    *out = NULL;
    if (!root)
        return corridor__oom();
    if ((err = cor_json_str(root, "from", flow->from)) < 0 ||
        (err = cor_json_str(root, "to", flow->to)) < 0 ||
        (err = cor_json_str(root, "carry", corridor_commodity_name(flow->carry))) < 0 ||
        (err = cor_json_str(root, "unit", flow->unit)) < 0 ||
        (err = cor_json_num(root, "value", flow->value)) < 0 ||
        (err = cor_json_bool(root, "unbounded", flow->unbounded)) < 0)
        goto done;
    if ((err = cor_json_add(root, "cut", cut = cJSON_CreateObject())) < 0 ||
        (err = cor_json_add(cut, "edges", edges = cJSON_CreateArray())) < 0 ||
        (err = cor_json_add(cut, "nodes", nodes = cJSON_CreateArray())) < 0 ||
        (err = cor_json_add(root, "cut_items", items = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t i = 0; i < flow->n_cut; i++) {
        const corridor_cut_item *it = &flow->cut[i];
        cJSON *o = NULL;
        if ((err = cor_json_str(it->type == CORRIDOR_ELEMENT_EDGE ? edges : nodes, NULL, it->id)) <
                0 ||
            (err = cor_json_add(items, NULL, o = cJSON_CreateObject())) < 0 ||
            (err = cor_json_str(o, "type", corridor_element_type_name(it->type))) < 0 ||
            (err = cor_json_str(o, "id", it->id)) < 0 ||
            (err = cor_json_num(o, "capacity", it->capacity)) < 0)
            goto done;
    }
    err = cor_json_finish(out, root);
    root = NULL;
done:
    cJSON_Delete(root);
    return err;
}
