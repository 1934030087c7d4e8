/* compiled_net.c: a compiled model's stored routing network: the default filter's arcs and CSR. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compiled.h"
#include "network.h"

/*
 * How it works
 * ------------
 * `corridor compile` builds the routing network of the default filter
 * (operational elements that carry freight: what route, critical, matrix
 * and assign see unless told otherwise) with cor_network_build and stores its
 * arrays in section COR_SEC_NET: a cor_cmp_net header, then the arrays of
 * compiled.h's NA_ list, in that order, each at a multiple of 8 bytes.
 * A search on the same filter then reads them where they lie instead of
 * building them from the records (about a fifth of a route query on a
 * 1M-edge model). Loading does not look at them (the checksum covers them);
 * cor_network_build checks them when it adopts them: every index against
 * its range, both CSR directions against the arcs, so that a crafted file
 * can make answers wrong but not reads go astray. The arrays are the ones
 * cor_network_build makes, byte for byte, so answers are the same.
 */

/* Element size and count of array i. */
static void shape(int i, const cor_cmp_net *h, size_t *size, uint64_t *count)
{
    static const unsigned char sizes[NA_COUNT] = {4, 4, 1, 1, 4, 4, 4, 4, 1, 8, 4, 8, 4};
    *size = sizes[i];
    *count = i <= NA_GAUGE                           ? h->n_classes
             : i == NA_NODE_OK                       ? h->n_nodes
             : i == NA_EDGE_OK                       ? h->n_edges
             : i == NA_OUT_START || i == NA_IN_START ? h->n_nodes + 1
                                                     : h->n_arcs;
}

/* The arrays' offsets in the section and its length (counts below 2^32: no overflow). */
uint64_t corridor__cmp_net_layout(const cor_cmp_net *h, uint64_t off[NA_COUNT])
{
    uint64_t at = sizeof *h;
    for (int i = 0; i < NA_COUNT; i++) {
        size_t size;
        uint64_t count;
        shape(i, h, &size, &count);
        off[i] = at;
        at += (count * size + 7) / 8 * 8;
    }
    return at;
}

static void put(cor_buf *out, const void *data, size_t n)
{
    static const char zeros[8];
    if (n)
        corridor__buf_add(out, data, n);
    corridor__buf_add(out, zeros, (8 - n % 8) % 8);
}

int corridor__cmp_net_write(cor_buf *out, const corridor_model *m)
{
    corridor_filter f = CORRIDOR_FILTER_INIT;
    cor_network net;
    int err = cor_network_build(&net, m, &f, -1);
    if (err == CORRIDOR_EUSAGE)
        return 0; /* too large for 32-bit indices: searches build theirs (and say so) */
    if (err < 0)
        return err;
    cor_cmp_net h;
    memset(&h, 0, sizeof h);
    h.n_nodes = net.n_nodes;
    h.n_edges = m->n_edges;
    h.n_arcs = net.n_arcs;
    h.n_classes = net.n_classes;
    for (int k = 0; k < COR_NMET; k++) {
        int all = 1;
        for (size_t e = 0; e < m->n_edges && all; e++)
            all = !net.edge_ok[e] || !isnan(m->edges[e].metric[k]);
        h.complete |= (uint64_t)all << k;
    }
    int32_t *cls = malloc((2 * net.n_classes + 1) * sizeof *cls);
    if (!cls) {
        cor_network_free(&net);
        return CORRIDOR_ENOMEM;
    }
    for (size_t c = 0; c < net.n_classes; c++) {
        cls[c] = (int32_t)net.class_mode[c];
        cls[net.n_classes + c] = (int32_t)net.class_gauge[c];
    }
    const void *arr[NA_COUNT] = {
        cls,          cls + net.n_classes, net.node_ok,   net.edge_ok,      net.arc_edge,
        net.arc_from, net.arc_to,          net.arc_class, net.arc_reversed, net.out_start,
        net.out_arc,  net.in_start,        net.in_arc};
    put(out, &h, sizeof h);
    for (int i = 0; i < NA_COUNT; i++) {
        size_t size;
        uint64_t count;
        shape(i, &h, &size, &count);
        put(out, arr[i], (size_t)count * size);
    }
    free(cls);
    cor_network_free(&net);
    return out->failed ? CORRIDOR_ENOMEM : 0;
}

/* The filter a stored network answers: CORRIDOR_FILTER_INIT's. */
static int default_filter(const corridor_filter *f)
{
    return f->version == CORRIDOR_FILTER_VERSION && f->status == CORRIDOR_STATUS_OPERATIONAL &&
           f->year == 0 && f->carry == CORRIDOR_CARRY_FREIGHT && f->n_avoid == 0 &&
           f->n_corridors == 0;
}

/* 1 if the CSR start[0..n] / list[] of one direction is in range, holds `arcs` entries and
   lists under each node only arcs that end (or start: `end` is then the tails) there. */
static int csr_ok(const uint64_t *start, const uint32_t *list, const uint32_t *end, uint64_t n,
                  uint64_t arcs)
{
    if (start[0] != 0 || start[n] != arcs)
        return 0;
    for (uint64_t v = 0; v < n; v++) {
        if (start[v + 1] < start[v] || start[v + 1] > arcs)
            return 0;
        for (uint64_t j = start[v]; j < start[v + 1]; j++)
            if (list[j] >= arcs || end[list[j]] != v)
                return 0;
    }
    return 1;
}

/* What is wrong with the stored network's arrays, or NULL. */
static const char *check(const cor_cmp_net *h, const char *const p[NA_COUNT])
{
    const int32_t *mode = (const int32_t *)p[NA_MODE], *gauge = (const int32_t *)p[NA_GAUGE];
    const uint32_t *edge = (const uint32_t *)p[NA_EDGE], *from = (const uint32_t *)p[NA_FROM],
                   *to = (const uint32_t *)p[NA_TO], *cls = (const uint32_t *)p[NA_CLASS];
    const unsigned char *rev = (const unsigned char *)p[NA_REVERSED];
    for (uint64_t c = 0; c < h->n_classes; c++)
        if (mode[c] < 0 || mode[c] >= COR_NMODE || gauge[c] < 0)
            return "a class out of range";
    const unsigned char *node_ok = (const unsigned char *)p[NA_NODE_OK],
                        *edge_ok = (const unsigned char *)p[NA_EDGE_OK];
    for (uint64_t v = 0; v < h->n_nodes; v++)
        if (node_ok[v] > 1)
            return "a node flag out of range";
    for (uint64_t e = 0; e < h->n_edges; e++)
        if (edge_ok[e] > 1)
            return "an edge flag out of range";
    int bad = 0;
    for (uint64_t a = 0; a < h->n_arcs; a++)
        bad |= (edge[a] >= h->n_edges) | (from[a] >= h->n_nodes) | (to[a] >= h->n_nodes) |
               (cls[a] >= h->n_classes) | (rev[a] > 1);
    if (bad)
        return "an arc out of range";
    if (!csr_ok((const uint64_t *)p[NA_OUT_START], (const uint32_t *)p[NA_OUT], from, h->n_nodes,
                h->n_arcs) ||
        !csr_ok((const uint64_t *)p[NA_IN_START], (const uint32_t *)p[NA_IN], to, h->n_nodes,
                h->n_arcs))
        return "the adjacency does not match the arcs";
    return NULL;
}

/* What is wrong with m's stored network (NULL: nothing, or none stored); *h and p[] set. */
static const char *examine(const corridor_model *m, cor_cmp_net *h, const char *p[NA_COUNT])
{
    uint64_t off[NA_COUNT];
    if (m->net_stored_len < sizeof *h)
        return "truncated";
    memcpy(h, m->net_stored, sizeof *h);
    if (h->n_nodes != m->n_nodes || h->n_edges != m->n_edges || h->n_arcs >= UINT32_MAX ||
        h->n_classes > UINT16_MAX || (h->n_arcs && !h->n_classes))
        return "counts that do not match the model";
    if (corridor__cmp_net_layout(h, off) != m->net_stored_len)
        return "a length that does not match";
    for (int i = 0; i < NA_COUNT; i++)
        p[i] = m->net_stored + off[i];
    return check(h, p);
}

const char *corridor__cmp_net_problem(const corridor_model *m)
{
    cor_cmp_net h;
    const char *p[NA_COUNT];
    return m->net_stored ? examine(m, &h, p) : NULL;
}

int corridor__cmp_net_adopt(cor_network *net, const corridor_model *m, const corridor_filter *f,
                            int by)
{
    cor_cmp_net h;
    const char *p[NA_COUNT];
    if (!m->net_stored || !default_filter(f))
        return 0;
    const char *why = examine(m, &h, p);
    if (why)
        return corridor__error(CORRIDOR_EINVALID, "%s: " COR_NET_DAMAGED, m->mapping_name, why);
    if (by >= 0 && !(h.complete >> by & 1))
        return 0; /* cor_network_build names the edge without a value */

    memset(net, 0, sizeof *net);
    net->model = m;
    net->borrowed = 1;
    net->n_nodes = (size_t)h.n_nodes;
    net->n_arcs = (size_t)h.n_arcs;
    /* read only, though the struct's pointers are not const: nothing writes a network */
    net->node_ok = (unsigned char *)p[NA_NODE_OK];
    net->edge_ok = (unsigned char *)p[NA_EDGE_OK];
    net->arc_edge = (uint32_t *)p[NA_EDGE];
    net->arc_from = (uint32_t *)p[NA_FROM];
    net->arc_to = (uint32_t *)p[NA_TO];
    net->arc_class = (uint32_t *)p[NA_CLASS];
    net->arc_reversed = (unsigned char *)p[NA_REVERSED];
    net->out_start = (size_t *)p[NA_OUT_START];
    net->out_arc = (uint32_t *)p[NA_OUT];
    net->in_start = (size_t *)p[NA_IN_START];
    net->in_arc = (uint32_t *)p[NA_IN];
    size_t nc = (size_t)h.n_classes;
    net->class_mode = malloc((nc + 1) * sizeof *net->class_mode);
    net->class_gauge = malloc((nc + 1) * sizeof *net->class_gauge);
    net->class_name = calloc(nc + 1, sizeof *net->class_name);
    if (!net->class_mode || !net->class_gauge || !net->class_name) {
        cor_network_free(net);
        return corridor__oom();
    }
    for (size_t c = 0; c < nc; c++) {
        net->class_mode[c] = (corridor_mode)((const int32_t *)p[NA_MODE])[c];
        net->class_gauge[c] = ((const int32_t *)p[NA_GAUGE])[c];
        if (!(net->class_name[c] =
                  cor_network_class_name(net->class_mode[c], net->class_gauge[c]))) {
            cor_network_free(net);
            return corridor__oom();
        }
        net->n_classes = c + 1;
    }
    net->n_classes = nc;
    return 1;
}
