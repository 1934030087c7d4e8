/* filter.c: which elements a query sees (status, year, commodity, avoid, corridors) and places. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int corridor__status_ok(const corridor_filter *f, corridor_status status, int opens)
{
    if (status == CORRIDOR_STATUS_CLOSED)
        return 0;
    if (status == CORRIDOR_STATUS_OPERATIONAL)
        return 1;
    if (f->year > 0)
        return opens > 0 && opens <= f->year;
    return status <= f->status;
}

/* A "did you mean" clause (with leading space) for `word` among node ids and names. */
static void suggest_node(cor_buf *b, const corridor_model *m, const char *word)
{
    const char **cands = malloc((2 * m->n_nodes + 1) * sizeof *cands);
    if (!cands)
        return;
    for (size_t i = 0; i < m->n_nodes; i++) {
        cands[2 * i] = m->nodes[i].id;
        cands[2 * i + 1] = m->nodes[i].name;
    }
    const char *s = corridor__suggest(word, cands, 2 * m->n_nodes);
    if (s)
        corridor__buf_printf(b, " (did you mean \"%s\"?)", s);
    free(cands);
}

static void suggest_from(cor_buf *b, const char *word, const char *const *cands, size_t n)
{
    const char *s = corridor__suggest(word, cands, n);
    if (s)
        corridor__buf_printf(b, " (did you mean \"%s\"?)", s);
}

static int unknown(const char *what, const char *id, cor_buf *b)
{
    int err =
        corridor__error(CORRIDOR_EINVALID, "unknown %s \"%s\"%s", what, id, b->data ? b->data : "");
    corridor__buf_free(b);
    return err;
}

/* Finds a node by id, or by name case-insensitively; -1 if none, -2 if the name is ambiguous. */
static long node_by_id_or_name(const corridor_model *m, const char *s)
{
    long v = corridor__node_find(m, s);
    if (v >= 0)
        return v;
    for (size_t i = 0; i < m->n_nodes; i++) {
        if (corridor__strcaseeq(m->nodes[i].id, s) || corridor__strcaseeq(m->nodes[i].name, s)) {
            if (v >= 0 && v != (long)i)
                return -2;
            v = (long)i;
        }
    }
    return v;
}

int corridor__place_resolve(size_t **out, size_t *n, const corridor_model *m, const char *place)
{
    *out = NULL;
    *n = 0;
    if (!place || !*place)
        return corridor__error(CORRIDOR_EINVALID, "empty place name");
    if (strncmp(place, "country:", 8) == 0) {
        const char *code = place + 8;
        long c = corridor__country_find(m, code);
        if (c < 0) {
            for (size_t i = 0; i < m->n_countries && c < 0; i++)
                if (corridor__strcaseeq(m->countries[i].code, code))
                    c = (long)i;
        }
        if (c < 0) {
            cor_buf b;
            corridor__buf_init(&b);
            const char **codes = malloc((m->n_countries + 1) * sizeof *codes);
            for (size_t i = 0; codes && i < m->n_countries; i++)
                codes[i] = m->countries[i].code;
            if (codes)
                suggest_from(&b, code, codes, m->n_countries);
            free(codes);
            return unknown("country", code, &b);
        }
        size_t *list = malloc((m->n_nodes + 1) * sizeof *list);
        if (!list)
            return corridor__oom();
        size_t k = 0;
        for (size_t i = 0; i < m->n_nodes; i++)
            if (m->nodes[i].country == c)
                list[k++] = i;
        if (k == 0) {
            free(list);
            return corridor__error(CORRIDOR_EINVALID, "country \"%s\" has no nodes",
                                   m->countries[c].code);
        }
        *out = list;
        *n = k;
        return 0;
    }
    long v = node_by_id_or_name(m, place);
    if (v == -2) {
        cor_buf b;
        corridor__buf_init(&b);
        for (size_t i = 0; i < m->n_nodes; i++)
            if (corridor__strcaseeq(m->nodes[i].name, place))
                corridor__buf_printf(&b, "%s\"%s\"", b.len ? ", " : "", m->nodes[i].id);
        int err = corridor__error(CORRIDOR_EINVALID,
                                  "place \"%s\" is ambiguous: give the node id (one of %s)", place,
                                  b.data ? b.data : "");
        corridor__buf_free(&b);
        return err;
    }
    if (v < 0) {
        cor_buf b;
        corridor__buf_init(&b);
        suggest_node(&b, m, place);
        return unknown("place", place, &b);
    }
    size_t *list = malloc(sizeof *list);
    if (!list)
        return corridor__oom();
    list[0] = (size_t)v;
    *out = list;
    *n = 1;
    return 0;
}

int corridor_place_check(const corridor_model *m, const char *place)
{
    size_t *list = NULL, n = 0;
    int err = corridor__place_resolve(&list, &n, m, place);
    free(list);
    return err;
}

/* ------------------------------------------------------------- avoid list */

enum avoid_kind { AV_NODE, AV_EDGE, AV_COUNTRY, AV_CORRIDOR, AV_MODE };

/* Applies one avoid target to the selection. */
static int apply_avoid(cor_selection *sel, const corridor_model *m, const char *target)
{
    static const char *const prefixes[] = {"node:", "edge:", "country:", "corridor:", "mode:"};
    const char *id = target;
    int kind = -1;
    for (int k = 0; k < 5; k++) {
        size_t l = strlen(prefixes[k]);
        if (strncmp(target, prefixes[k], l) == 0) {
            kind = k;
            id = target + l;
            break;
        }
    }
    long found[5] = {-1, -1, -1, -1, -1};
    found[AV_NODE] = node_by_id_or_name(m, id);
    if (found[AV_NODE] == -2)
        found[AV_NODE] = -1;
    found[AV_EDGE] = corridor__edge_find(m, id);
    found[AV_COUNTRY] = corridor__country_find(m, id);
    found[AV_CORRIDOR] = corridor__corridor_find(m, id);
    corridor_mode mode;
    char saved[1024];
    snprintf(saved, sizeof saved, "%s", corridor_error_message());
    found[AV_MODE] = corridor_mode_parse(&mode, id) == 0 ? (long)mode : -1;
    corridor__error(0, "%s", saved);

    if (kind < 0) {
        int hits = 0;
        cor_buf b;
        corridor__buf_init(&b);
        for (int k = 0; k < 5; k++) {
            if (found[k] >= 0) {
                hits++;
                kind = k;
                corridor__buf_printf(&b, "%s\"%s%s\"", b.len ? ", " : "", prefixes[k], id);
            }
        }
        if (hits > 1) {
            int err = corridor__error(
                CORRIDOR_EINVALID, "avoid target \"%s\" is ambiguous: write one of %s", id, b.data);
            corridor__buf_free(&b);
            return err;
        }
        corridor__buf_free(&b);
        if (hits == 0) {
            cor_buf s;
            corridor__buf_init(&s);
            suggest_node(&s, m, id);
            int err = corridor__error(
                CORRIDOR_EINVALID,
                "unknown avoid target \"%s\": not a node, edge, country, corridor or mode%s", id,
                s.data ? s.data : "");
            corridor__buf_free(&s);
            return err;
        }
    }
    if (found[kind] < 0) {
        static const char *const what[] = {"node", "edge", "country", "corridor", "mode"};
        cor_buf b;
        corridor__buf_init(&b);
        if (kind == AV_NODE)
            suggest_node(&b, m, id);
        return unknown(what[kind], id, &b);
    }
    size_t x = (size_t)found[kind];
    switch (kind) {
    case AV_NODE:
        sel->node_ok[x] = 0;
        break;
    case AV_EDGE:
        sel->edge_ok[x] = 0;
        break;
    case AV_COUNTRY:
        for (size_t i = 0; i < m->n_nodes; i++)
            if (m->nodes[i].country == (long)x)
                sel->node_ok[i] = 0;
        break;
    case AV_CORRIDOR:
        for (size_t i = 0; i < m->n_edges; i++)
            for (size_t c = 0; c < m->edges[i].n_corridors; c++)
                if (m->edges[i].corridors[c] == x)
                    sel->edge_ok[i] = 0;
        break;
    case AV_MODE:
        for (size_t i = 0; i < m->n_edges; i++)
            if (m->edges[i].mode == (corridor_mode)x)
                sel->edge_ok[i] = 0;
        break;
    }
    return 0;
}

void corridor__selection_free(cor_selection *sel)
{
    free(sel->node_ok);
    free(sel->edge_ok);
    sel->node_ok = sel->edge_ok = NULL;
}

int corridor__selection_build(cor_selection *sel, const corridor_model *m, const corridor_filter *f)
{
    int err = 0;
    sel->node_ok = sel->edge_ok = NULL;
    if ((err = corridor__check_filter(f)) < 0)
        return err;
    sel->node_ok = malloc(m->n_nodes + 1);
    sel->edge_ok = malloc(m->n_edges + 1);
    if (!sel->node_ok || !sel->edge_ok) {
        corridor__selection_free(sel);
        return corridor__oom();
    }
    for (size_t i = 0; i < m->n_nodes; i++)
        sel->node_ok[i] =
            (unsigned char)corridor__status_ok(f, m->nodes[i].status, m->nodes[i].opens);
    for (size_t i = 0; i < m->n_edges; i++) {
        const cor_edge *e = &m->edges[i];
        int ok = corridor__status_ok(f, e->status, e->opens);
        if (f->carry != CORRIDOR_CARRY_ANY && !(e->carries & (1u << f->carry)))
            ok = 0;
        sel->edge_ok[i] = (unsigned char)ok;
    }
    for (size_t a = 0; a < f->n_avoid; a++)
        if ((err = apply_avoid(sel, m, f->avoid[a])) < 0)
            goto done;
    if (f->n_corridors) {
        unsigned char *want = calloc(m->n_corridors + 1, 1);
        if (!want) {
            err = corridor__oom();
            goto done;
        }
        for (size_t c = 0; c < f->n_corridors; c++) {
            long x = corridor__corridor_find(m, f->corridors[c]);
            if (x < 0) {
                cor_buf b;
                corridor__buf_init(&b);
                const char **ids = malloc((m->n_corridors + 1) * sizeof *ids);
                for (size_t i = 0; ids && i < m->n_corridors; i++)
                    ids[i] = m->corridors[i].id;
                if (ids)
                    suggest_from(&b, f->corridors[c], ids, m->n_corridors);
                free(ids);
                free(want);
                err = unknown("corridor", f->corridors[c], &b);
                goto done;
            }
            want[x] = 1;
        }
        unsigned char *touched = calloc(m->n_nodes + 1, 1);
        if (!touched) {
            free(want);
            err = corridor__oom();
            goto done;
        }
        for (size_t i = 0; i < m->n_edges; i++) {
            const cor_edge *e = &m->edges[i];
            int in = 0;
            for (size_t c = 0; c < e->n_corridors; c++)
                in |= want[e->corridors[c]];
            if (!in)
                sel->edge_ok[i] = 0;
            if (sel->edge_ok[i])
                touched[e->from] = touched[e->to] = 1;
        }
        for (size_t i = 0; i < m->n_nodes; i++)
            sel->node_ok[i] &= touched[i];
        free(touched);
        free(want);
    }
    /* a node outside the selection takes its edges with it */
    for (size_t i = 0; i < m->n_edges; i++)
        if (!sel->node_ok[m->edges[i].from] || !sel->node_ok[m->edges[i].to])
            sel->edge_ok[i] = 0;
done:
    if (err < 0)
        corridor__selection_free(sel);
    return err;
}

int corridor_filter_check(const corridor_model *m, const corridor_filter *f)
{
    cor_selection sel;
    int err = corridor__selection_build(&sel, m, f);
    if (err == 0)
        corridor__selection_free(&sel);
    return err;
}
