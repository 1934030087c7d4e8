/* compiled_net.c: a compiled model's stored routing network: the default filter's arcs and CSR. */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <stddef.h>
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
 * compiled.h's NA_ list, in that order, each at a multiple of 8 bytes:
 * the network's arrays, the edges' metrics and the nodes' penalties by
 * metric, and the cards (network.h) that a route's answer reads instead of
 * the records. A search on the same filter then reads them where they lie
 * instead of building them from the records (about a fifth of a route query
 * on a 1M-edge model), and reads no record while it searches: the page
 * cache maps a file in folios of up to 2 MiB, so scattered reads of the
 * 224-byte records would map nearly all of them. Loading checks them only
 * against the checksum; cor_network_build checks them when it adopts them:
 * every index against its range, both CSR directions against the arcs, the
 * weights and penalties of the metric it routes by, every card against its
 * pools, so that a crafted file can make answers wrong but not reads go
 * astray. `corridor validate` compares every value and card with its
 * record. The arrays are the ones cor_network_build makes, byte for byte,
 * so answers are the same.
 */

/* Element size and count of array i. */
static void shape(int i, const cor_cmp_net *h, size_t *size, uint64_t *count)
{
    _Static_assert(sizeof(cor_cmp_ecard) == 20 && sizeof(cor_cmp_ncard) == 12, "card sizes");
    static const unsigned char sizes[NA_COUNT] = {4, 4, 1, 1, 4, 4, 4, 4,  1,
                                                  8, 4, 8, 4, 8, 8, 8, 20, 12};
    *size = sizes[i];
    *count = i <= NA_GAUGE                           ? h->n_classes
             : i == NA_NODE_OK                       ? h->n_nodes
             : i == NA_EDGE_OK                       ? h->n_edges
             : i == NA_OUT_START || i == NA_IN_START ? h->n_nodes + 1
             : i == NA_METRIC                        ? COR_NMET * h->n_edges
             : i == NA_DWELL || i == NA_TRANSFER     ? COR_NMET * h->n_nodes
             : i == NA_ECARD                         ? h->n_edges
             : i == NA_NCARD                         ? h->n_nodes
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

/* The pool offset held by the pointer field at `off` of encoded record i (compiled.c's encode). */
static uint64_t encoded(const cor_buf *sec, size_t i, size_t size, size_t off)
{
    uint64_t v;
    memcpy(&v, sec->data + i * size + off, sizeof v);
    return v;
}

/* The cards of the encoded nodes and edges; 0, or -1 if a pool offset does not fit 32 bits. */
static int cards(cor_cmp_ecard *ec, cor_cmp_ncard *nc, const corridor_model *m,
                 const cor_buf *nodes, const cor_buf *edges)
{
    uint64_t big = 0;
    for (size_t e = 0; e < m->n_edges; e++) {
        const cor_edge *x = &m->edges[e];
        uint64_t id = encoded(edges, e, sizeof *x, offsetof(cor_edge, id));
        uint64_t corr =
            encoded(edges, e, sizeof *x, offsetof(cor_edge, corridors)) / sizeof(size_t);
        big |= id | corr | x->n_corridors;
        ec[e] = (cor_cmp_ecard){(uint32_t)id, (uint32_t)corr, (uint32_t)x->n_corridors,
                                (int32_t)x->mode, (int32_t)x->gauge};
    }
    for (size_t v = 0; v < m->n_nodes; v++) {
        const cor_node *x = &m->nodes[v];
        uint64_t id = encoded(nodes, v, sizeof *x, offsetof(cor_node, id));
        uint64_t name = encoded(nodes, v, sizeof *x, offsetof(cor_node, name));
        big |= id | name;
        nc[v] = (cor_cmp_ncard){(uint32_t)id, (uint32_t)name, (int32_t)x->country};
    }
    return big > UINT32_MAX ? -1 : 0;
}

int corridor__cmp_net_write(cor_buf *out, const corridor_model *m, const cor_buf *nodes,
                            const cor_buf *edges, size_t str_len, size_t refs_len)
{
    corridor_filter f = CORRIDOR_FILTER_INIT;
    cor_network net;
    if (str_len > UINT32_MAX || refs_len / sizeof(size_t) > UINT32_MAX ||
        nodes->len != m->n_nodes * sizeof(cor_node) || edges->len != m->n_edges * sizeof(cor_edge))
        return nodes->failed || edges->failed ? CORRIDOR_ENOMEM : 0; /* searches build theirs */
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
    size_t ne = m->n_edges, nn = m->n_nodes;
    int32_t *cls = malloc((2 * net.n_classes + 1) * sizeof *cls);
    double *met = malloc((COR_NMET * ne + 1) * sizeof *met);
    double *pen = malloc((2 * COR_NMET * nn + 1) * sizeof *pen);
    cor_cmp_ecard *ec = malloc((ne + 1) * sizeof *ec);
    cor_cmp_ncard *nc = malloc((nn + 1) * sizeof *nc);
    if (!cls || !met || !pen || !ec || !nc) {
        err = CORRIDOR_ENOMEM;
        goto done;
    }
    if (cards(ec, nc, m, nodes, edges) < 0)
        goto done; /* pools past 32-bit offsets: no stored network (err is 0) */
    for (size_t c = 0; c < net.n_classes; c++) {
        cls[c] = (int32_t)net.class_mode[c];
        cls[net.n_classes + c] = (int32_t)net.class_gauge[c];
    }
    for (size_t k = 0; k < COR_NMET; k++) {
        for (size_t e = 0; e < ne; e++)
            met[k * ne + e] = m->edges[e].metric[k];
        for (size_t v = 0; v < nn; v++) {
            pen[k * nn + v] = m->nodes[v].dwell[k];
            pen[(COR_NMET + k) * nn + v] = m->nodes[v].transfer[k];
        }
    }
    // clang-format off
    const void *arr[NA_COUNT] = {
        cls, cls + net.n_classes, net.node_ok, net.edge_ok, net.arc_edge, net.arc_from,
        net.arc_to, net.arc_class, net.arc_reversed, net.out_start, net.out_arc, net.in_start,
        net.in_arc, met, pen, pen + COR_NMET * nn, ec, nc};
    // clang-format on
    put(out, &h, sizeof h);
    for (int i = 0; i < NA_COUNT; i++) {
        size_t size;
        uint64_t count;
        shape(i, &h, &size, &count);
        put(out, arr[i], (size_t)count * size);
    }
    err = out->failed ? CORRIDOR_ENOMEM : 0;
done:
    free(cls);
    free(met);
    free(pen);
    free(ec);
    free(nc);
    cor_network_free(&net);
    return err;
}

/* The filter a stored network answers: CORRIDOR_FILTER_INIT's. */
static int default_filter(const corridor_filter *f)
{
    return f->version == CORRIDOR_FILTER_VERSION && f->status == CORRIDOR_STATUS_OPERATIONAL &&
           f->year == 0 && f->carry == CORRIDOR_CARRY_FREIGHT && f->n_avoid == 0 &&
           f->n_corridors == 0;
}

/* 1 if the CSR start[0..n] / list[] of one direction is in range, holds `arcs` entries and
   lists under each node, in rising order, only arcs that end (or start: `end` is then the
   tails) there: every arc exactly once, as cor_network_build lists them (the searches count
   on finding each arc under its node; a list that repeated one arc and left out another made
   the matrix's state search run past its array, found by fuzz_compiled). */
static int csr_ok(const uint64_t *start, const uint32_t *list, const uint32_t *end, uint64_t n,
                  uint64_t arcs)
{
    if (start[0] != 0 || start[n] != arcs)
        return 0;
    for (uint64_t v = 0; v < n; v++) {
        if (start[v + 1] < start[v] || start[v + 1] > arcs)
            return 0;
        for (uint64_t j = start[v]; j < start[v + 1]; j++)
            if (list[j] >= arcs || end[list[j]] != v || (j > start[v] && list[j] <= list[j - 1]))
                return 0;
    }
    return 1; /* each list rises and holds only arcs of its node: each arc is listed once */
}

/*
 * What is wrong with the stored copies of the metrics and penalties, or NULL.
 * full: every value must equal the records' (which loading checked). Else
 * only metric `by` (if >= 0) is looked at, the values a search on it takes as
 * weights: an edge's of the network a number in [0, DBL_MAX] (the network is
 * complete for it), a penalty likewise. The other metrics are not read then,
 * so that their pages stay on disk: a crafted file can make their totals
 * wrong (the checksum catches accidents), not a search misbehave.
 */
static const char *check_values(const corridor_model *m, const cor_cmp_net *h,
                                const char *const p[NA_COUNT], int by, int full)
{
    const double *met = (const double *)p[NA_METRIC], *dw = (const double *)p[NA_DWELL],
                 *tr = (const double *)p[NA_TRANSFER];
    const unsigned char *edge_ok = (const unsigned char *)p[NA_EDGE_OK];
    size_t ne = (size_t)h->n_edges, nn = (size_t)h->n_nodes;
    if (full) {
        for (size_t k = 0; k < COR_NMET; k++) {
            for (size_t e = 0; e < ne; e++)
                if (memcmp(&met[k * ne + e], &m->edges[e].metric[k], sizeof(double)) != 0)
                    return "weights that differ from the edges'";
            for (size_t v = 0; v < nn; v++)
                if (memcmp(&dw[k * nn + v], &m->nodes[v].dwell[k], sizeof(double)) != 0 ||
                    memcmp(&tr[k * nn + v], &m->nodes[v].transfer[k], sizeof(double)) != 0)
                    return "penalties that differ from the nodes'";
        }
        return NULL;
    }
    if (by < 0)
        return NULL;
    int bad = 0;
    for (size_t e = 0; e < ne; e++) {
        double x = met[(size_t)by * ne + e];
        bad |= edge_ok[e] & !(x >= 0 && x <= DBL_MAX);
    }
    if (bad)
        return "a weight out of range";
    for (size_t v = 0; v < nn; v++) {
        double d = dw[(size_t)by * nn + v], t = tr[(size_t)by * nn + v];
        bad |= !(d >= 0 && d <= DBL_MAX) | !(t >= 0 && t <= DBL_MAX);
    }
    return bad ? "a penalty out of range" : NULL;
}

/*
 * What is wrong with the cards, or NULL. full: each must say what its
 * record says. Else every offset must lie in its pool, every corridor and
 * country in range (a search's answer reads them as they are).
 */
static const char *check_cards(const corridor_model *m, const cor_cmp_net *h,
                               const char *const p[NA_COUNT], int full)
{
    const cor_cmp_ecard *ec = (const cor_cmp_ecard *)p[NA_ECARD];
    const cor_cmp_ncard *nc = (const cor_cmp_ncard *)p[NA_NCARD];
    const char *str = m->cmp_str;
    const size_t *refs = m->cmp_refs;
    size_t sl = m->cmp_str_len, rn = m->cmp_refs_n;
    for (size_t e = 0; e < (size_t)h->n_edges; e++) {
        const cor_cmp_ecard *c = &ec[e];
        if (full) {
            const cor_edge *x = &m->edges[e];
            if (c->id >= sl || str + c->id != x->id || c->n_corr != x->n_corridors ||
                (c->corr && c->corr >= rn) || (c->corr ? refs + c->corr : NULL) != x->corridors ||
                c->mode != (int32_t)x->mode || c->gauge != (int32_t)x->gauge)
                return "an edge card that differs from its edge";
            continue;
        }
        if (c->id == 0 || c->id >= sl || c->n_corr > rn || c->corr > rn - c->n_corr ||
            (c->n_corr && !c->corr) || c->mode < 0 || c->mode >= COR_NMODE)
            return "an edge card out of range";
        for (size_t i = 0; i < c->n_corr; i++)
            if (refs[c->corr + i] >= m->n_corridors)
                return "an edge card out of range";
    }
    for (size_t v = 0; v < (size_t)h->n_nodes; v++) {
        const cor_cmp_ncard *c = &nc[v];
        if (full) {
            const cor_node *x = &m->nodes[v];
            if (c->id >= sl || c->name >= sl || str + c->id != x->id ||
                (c->name ? str + c->name : NULL) != x->name || c->country != x->country)
                return "a node card that differs from its node";
            continue;
        }
        if (c->id == 0 || c->id >= sl || c->name >= sl || c->country < -1 ||
            (c->country >= 0 && (size_t)c->country >= m->n_countries))
            return "a node card out of range";
    }
    return NULL;
}

/* What is wrong with the stored network's arrays (check_values for the values), or NULL. */
static const char *check(const corridor_model *m, const cor_cmp_net *h,
                         const char *const p[NA_COUNT], int by, int full)
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
    for (uint64_t a = 0; a < h->n_arcs; a++)
        bad |= !edge_ok[edge[a]];
    if (bad)
        return "an arc of an edge outside the network";
    if (!csr_ok((const uint64_t *)p[NA_OUT_START], (const uint32_t *)p[NA_OUT], from, h->n_nodes,
                h->n_arcs) ||
        !csr_ok((const uint64_t *)p[NA_IN_START], (const uint32_t *)p[NA_IN], to, h->n_nodes,
                h->n_arcs))
        return "the adjacency does not match the arcs";
    const char *why = check_cards(m, h, p, full);
    return why ? why : check_values(m, h, p, by, full);
}

/* What is wrong with m's stored network (NULL: nothing); *h and p[] set. by, full: check. */
static const char *examine(const corridor_model *m, cor_cmp_net *h, const char *p[NA_COUNT], int by,
                           int full)
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
    return check(m, h, p, by, full);
}

const char *corridor__cmp_net_problem(const corridor_model *m)
{
    cor_cmp_net h;
    const char *p[NA_COUNT];
    return m->net_stored ? examine(m, &h, p, -1, 1) : NULL;
}

int corridor__cmp_net_adopt(cor_network *net, const corridor_model *m, const corridor_filter *f,
                            int by)
{
    cor_cmp_net h;
    const char *p[NA_COUNT];
    if (!m->net_stored || !default_filter(f))
        return 0;
    /* the weights are checked only where the search will take them */
    int weights = by >= 0 && m->net_stored_len >= sizeof h &&
                  (memcpy(&h, m->net_stored, sizeof h), h.complete >> by & 1);
    const char *why = examine(m, &h, p, weights ? by : -1, 0);
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
    net->st_metric = (const double *)p[NA_METRIC];
    net->st_dwell = (const double *)p[NA_DWELL];
    net->st_transfer = (const double *)p[NA_TRANSFER];
    net->st_ecard = (const cor_cmp_ecard *)p[NA_ECARD];
    net->st_ncard = (const cor_cmp_ncard *)p[NA_NCARD];
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
