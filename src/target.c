/* target.c: parses and resolves `KIND:ID` targets for --avoid, --via, places and scenario edits. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

static const char *const tkind_names[] = {"node", "edge", "country", "corridor", "mode", "kind"};
const cor_vocab corridor__target_kinds = {"target kind", tkind_names, COR_T_COUNT};

int corridor__target_edges(cor_tkind kind)
{
    return kind == COR_T_EDGE || kind == COR_T_CORRIDOR || kind == COR_T_MODE;
}

/* " (did you mean "X"?)" for word among cands, or nothing. */
static void suggest(cor_buf *b, const char *word, const char *const *cands, size_t n)
{
    const char *s = cands ? corridor__suggest(word, cands, n) : NULL;
    if (s)
        corridor__buf_printf(b, " (did you mean \"%s\"?)", s);
}

/* `unknown WHAT "s" (did you mean ...?); expected one of: ...` for a vocabulary. */
static int unknown_name(cor_buf *msg, const cor_vocab *v, const char *s)
{
    char list[256];
    const char *sug = corridor__suggest(s, v->names, (size_t)v->n);
    corridor__buf_printf(msg, "unknown %s \"%s\"", v->what, s);
    if (sug)
        corridor__buf_printf(msg, " (did you mean \"%s\"?)", sug);
    corridor__buf_printf(msg, "; expected one of: %s", corridor__vocab_list(list, sizeof list, v));
    return -1;
}

int corridor__target_parse(cor_target *t, const char *text, int require_kind, cor_buf *msg)
{
    char list[128];
    const char *colon = strchr(text, ':');
    memset(t, 0, sizeof *t);
    t->kind = -1;
    t->id = text;
    corridor__vocab_list(list, sizeof list, &corridor__target_kinds);
    for (int k = 0; colon && k < COR_T_COUNT; k++)
        if (strlen(tkind_names[k]) == (size_t)(colon - text) &&
            strncmp(text, tkind_names[k], (size_t)(colon - text)) == 0)
            t->kind = k;
    if (t->kind < 0 && require_kind) {
        if (!colon) {
            corridor__buf_printf(msg, "\"%s\" has no kind: write KIND:ID with KIND one of %s", text,
                                 list);
            return -1;
        }
        char kind[48];
        snprintf(kind, sizeof kind, "%.*s", (int)(colon - text < 40 ? colon - text : 40), text);
        return unknown_name(msg, &corridor__target_kinds, kind);
    }
    if (t->kind >= 0)
        t->id = colon + 1;
    if (!*t->id) {
        corridor__buf_printf(msg, t->kind >= 0 ? "\"%s\" has no id after \"%s:\"" : "empty %s",
                             text, t->kind >= 0 ? tkind_names[t->kind] : "target");
        return -1;
    }
    if (t->kind == COR_T_MODE || t->kind == COR_T_KIND) {
        const cor_vocab *v = t->kind == COR_T_MODE ? &corridor__modes : &corridor__kinds;
        if ((t->value = corridor__vocab_find(v, t->id)) < 0)
            return unknown_name(msg, v, t->id);
    }
    return 0;
}

/* --------------------------------------------------------------- finding */

/* The id (or code) of element i of a kind's section. */
static const char *elem_id(const corridor_model *m, int kind, size_t i)
{
    return kind == COR_T_NODE      ? m->nodes[i].id
           : kind == COR_T_EDGE    ? m->edges[i].id
           : kind == COR_T_COUNTRY ? m->countries[i].code
                                   : m->corridors[i].id;
}

static size_t elem_count(const corridor_model *m, int kind)
{
    return kind == COR_T_NODE      ? m->n_nodes
           : kind == COR_T_EDGE    ? m->n_edges
           : kind == COR_T_COUNTRY ? m->n_countries
                                   : m->n_corridors;
}

/*
 * Element of node/edge/country/corridor `kind` named `id`: the exact id,
 * else the one equal ignoring case (nodes: id or name). -1 if none, -2 if
 * several match ignoring case.
 */
static long find(const corridor_model *m, int kind, const char *id)
{
    long v = kind == COR_T_NODE      ? corridor__node_find(m, id)
             : kind == COR_T_EDGE    ? corridor__edge_find(m, id)
             : kind == COR_T_COUNTRY ? corridor__country_find(m, id)
                                     : corridor__corridor_find(m, id);
    if (v >= 0)
        return v;
    for (size_t i = 0, n = elem_count(m, kind); i < n; i++) {
        if (!corridor__strcaseeq(elem_id(m, kind, i), id) &&
            !(kind == COR_T_NODE && corridor__strcaseeq(m->nodes[i].name, id)))
            continue;
        if (v >= 0 && v != (long)i)
            return -2;
        v = (long)i;
    }
    return v;
}

/* " (did you mean ...)" among a section's ids (nodes: ids and names). */
static void suggest_in(cor_buf *b, const corridor_model *m, int kind, const char *word)
{
    size_t n = elem_count(m, kind), k = 0;
    const char **cands = malloc((2 * n + 1) * sizeof *cands);
    if (!cands)
        return;
    for (size_t i = 0; i < n; i++) {
        cands[k++] = elem_id(m, kind, i);
        if (kind == COR_T_NODE)
            cands[k++] = m->nodes[i].name;
    }
    suggest(b, word, cands, k);
    free(cands);
}

/* The message for a target that names nothing, or several nodes. */
static long not_found(const corridor_model *m, int kind, const char *id, long r,
                      const cor_target_ctx *c, cor_buf *msg)
{
    if (r == -2) {
        corridor__buf_printf(msg, "%s \"%s\" is ambiguous: give the node id (one of ",
                             c->noun ? c->noun : "node", id);
        for (size_t i = 0, first = 1; i < m->n_nodes; i++)
            if (corridor__strcaseeq(m->nodes[i].name, id) ||
                corridor__strcaseeq(m->nodes[i].id, id)) {
                corridor__buf_printf(msg, "%s\"%s\"", first ? "" : ", ", m->nodes[i].id);
                first = 0;
            }
        corridor__buf_puts(msg, ")");
        return -1;
    }
    corridor__buf_printf(msg, "unknown %s \"%s\"%s", tkind_names[kind], id,
                         c->model ? c->model : "");
    suggest_in(msg, m, kind, id);
    return -1;
}

/* Marks what a resolved target selects; returns the count. */
static size_t mark(unsigned char *nsel, unsigned char *esel, const corridor_model *m, int kind,
                   long x)
{
    size_t n = 0;
    for (size_t i = 0; corridor__target_edges((cor_tkind)kind) && i < m->n_edges; i++) {
        const cor_edge *e = &m->edges[i];
        int hit = kind == COR_T_EDGE ? (long)i == x : kind == COR_T_MODE ? (long)e->mode == x : 0;
        for (size_t k = 0; kind == COR_T_CORRIDOR && k < e->n_corridors; k++)
            hit |= (long)e->corridors[k] == x;
        if (hit && !esel[i]++)
            n++;
    }
    for (size_t i = 0; !corridor__target_edges((cor_tkind)kind) && i < m->n_nodes; i++) {
        const cor_node *nd = &m->nodes[i];
        int hit = kind == COR_T_NODE      ? (long)i == x
                  : kind == COR_T_COUNTRY ? nd->country == x
                                          : (long)nd->kind == x;
        if (hit && !nsel[i]++)
            n++;
    }
    return n;
}

/* A target whose kind is known. */
static long select_kind(unsigned char *nsel, unsigned char *esel, const corridor_model *m, int kind,
                        const cor_target *t, const cor_target_ctx *c, cor_buf *msg)
{
    long x = kind == COR_T_MODE || kind == COR_T_KIND ? t->value : find(m, kind, t->id);
    if (x < 0)
        return not_found(m, kind, t->id, x, c, msg);
    size_t n = mark(nsel, esel, m, kind, x);
    if (n || !c->need_some)
        return (long)n;
    const char *model = c->model ? c->model : "";
    if (kind == COR_T_COUNTRY)
        corridor__buf_printf(msg, "country \"%s\" has no nodes%s", m->countries[x].code, model);
    else if (kind == COR_T_CORRIDOR)
        corridor__buf_printf(msg, "corridor \"%s\" has no edges%s", m->corridors[x].id, model);
    else
        corridor__buf_printf(msg, "no %s of %s \"%s\"%s", kind == COR_T_MODE ? "edge" : "node",
                             tkind_names[kind], t->id, model);
    return -1;
}

long corridor__target_select(unsigned char *nsel, unsigned char *esel, int *kind_out,
                             const corridor_model *m, const cor_target *t, const cor_target_ctx *c,
                             cor_buf *msg)
{
    int kind = t->kind, hits = 0, ambiguous = 0;
    if (kind < 0) {
        cor_buf forms;
        corridor__buf_init(&forms);
        for (int k = 0; k < COR_T_COUNT; k++) {
            if (!(c->bare & (1u << k)))
                continue;
            long x = k == COR_T_MODE   ? corridor__vocab_find(&corridor__modes, t->id)
                     : k == COR_T_KIND ? corridor__vocab_find(&corridor__kinds, t->id)
                                       : find(m, k, t->id);
            ambiguous |= x == -2 && k == COR_T_NODE;
            if (x < 0)
                continue;
            hits++;
            kind = k;
            corridor__buf_printf(&forms, "%s\"%s:%s\"", forms.len ? ", " : "", tkind_names[k],
                                 t->id);
        }
        if (hits > 1)
            corridor__buf_printf(msg, "%s \"%s\" is ambiguous: write one of %s", c->noun, t->id,
                                 forms.data ? forms.data : "");
        corridor__buf_free(&forms);
        if (hits > 1)
            return -1;
        if (hits == 0 && ambiguous)
            return not_found(m, COR_T_NODE, t->id, -2, c, msg);
        if (hits == 0) {
            corridor__buf_printf(msg, "unknown %s \"%s\"", c->noun, t->id);
            for (int k = 0, n = 0, left = __builtin_popcount(c->bare); left > 1 && k < COR_T_COUNT;
                 k++)
                if (c->bare & (1u << k))
                    corridor__buf_printf(msg, "%s%s",
                                         n++ ? (n == left ? " or " : ", ") : ": not a ",
                                         tkind_names[k]);
            suggest_in(msg, m, COR_T_NODE, t->id);
            return -1;
        }
        if (kind == COR_T_MODE) {
            cor_target tm = *t;
            tm.value = corridor__vocab_find(&corridor__modes, t->id);
            t = &tm;
            if (kind_out)
                *kind_out = kind;
            return select_kind(nsel, esel, m, kind, &tm, c, msg);
        }
    }
    if (kind_out)
        *kind_out = kind;
    return select_kind(nsel, esel, m, kind, t, c, msg);
}
