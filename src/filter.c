/* filter.c: which elements a query sees (status, year, commodity, avoid, corridors) and places. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "target.h"

int corridor__status_ok(const corridor_filter *f, corridor_status status, int opens)
{
    if (f->status == CORRIDOR_STATUS_CLOSED && f->year <= 0)
        return 1; /* every element (exports of the whole model) */
    if (status == CORRIDOR_STATUS_CLOSED)
        return 0;
    if (status == CORRIDOR_STATUS_OPERATIONAL)
        return 1;
    if (f->year > 0)
        return opens > 0 && opens <= f->year;
    return status <= f->status;
}

/*
 * Resolves a target (a place, an avoid target, a corridor) into the flag
 * arrays nsel / esel, with the message of a problem as the thread's error.
 * Returns the number selected or CORRIDOR_EINVALID.
 */
static long resolve(unsigned char *nsel, unsigned char *esel, int *kind, const corridor_model *m,
                    const char *text, int forced_kind, const cor_target_ctx *c)
{
    cor_target t;
    cor_buf msg;
    long n = -1;
    corridor__buf_init(&msg);
    if (forced_kind >= 0) /* --corridor X: the kind is the option's */
        t = (cor_target){forced_kind, text, 0};
    if (forced_kind >= 0 || corridor__target_parse(&t, text, 0, &msg) == 0)
        n = corridor__target_select(nsel, esel, kind, m, &t, c, &msg);
    if (n < 0)
        n = corridor__error(CORRIDOR_EINVALID, "%s", msg.data ? msg.data : "invalid target");
    corridor__buf_free(&msg);
    return n;
}

int corridor__place_resolve(size_t **out, size_t *n, const corridor_model *m, const char *place)
{
    static const cor_target_ctx places = {1u << COR_T_NODE, "place", NULL, 1};
    unsigned char *nsel = NULL, *esel = NULL;
    int kind = -1;
    long k = 0;
    *out = NULL;
    *n = 0;
    if (!place || !*place)
        return corridor__error(CORRIDOR_EINVALID, "empty place name");
    if (!(nsel = calloc(m->n_nodes + 1, 1)) || !(esel = calloc(m->n_edges + 1, 1))) {
        k = corridor__oom();
        goto done;
    }
    if ((k = resolve(nsel, esel, &kind, m, place, -1, &places)) < 0)
        goto done;
    if (corridor__target_edges((cor_tkind)kind)) {
        k = corridor__error(CORRIDOR_EINVALID,
                            "\"%s\" is not a place: give a node, country:CODE or kind:KIND", place);
        goto done;
    }
    if (!(*out = malloc((size_t)k * sizeof **out))) {
        k = corridor__oom();
        goto done;
    }
    for (size_t i = 0; i < m->n_nodes; i++)
        if (nsel[i])
            (*out)[(*n)++] = i;
    k = 0;
done:
    free(nsel);
    free(esel);
    return (int)k;
}

int corridor_place_check(const corridor_model *m, const char *place)
{
    size_t *list = NULL, n = 0;
    int err = corridor__place_resolve(&list, &n, m, place);
    free(list);
    return err;
}

/* ------------------------------------------------------------- avoid list */

/*
 * Takes out of the selection what the avoid targets and the corridor list
 * (only these corridors' edges) say. nsel / esel: scratch flags.
 */
static int apply_targets(cor_selection *sel, const corridor_model *m, const corridor_filter *f,
                         unsigned char *nsel, unsigned char *esel)
{
    static const cor_target_ctx avoid = {(1u << COR_T_NODE) | (1u << COR_T_EDGE) |
                                             (1u << COR_T_COUNTRY) | (1u << COR_T_CORRIDOR) |
                                             (1u << COR_T_MODE),
                                         "avoid target", NULL, 0};
    static const cor_target_ctx corridors = {0, "corridor", NULL, 0};
    long r = 0;
    for (size_t a = 0; a < f->n_avoid && r >= 0; a++)
        r = resolve(nsel, esel, NULL, m, f->avoid[a], -1, &avoid);
    for (size_t i = 0; r >= 0 && i < m->n_nodes; i++)
        sel->node_ok[i] &= !nsel[i];
    for (size_t i = 0; r >= 0 && i < m->n_edges; i++)
        sel->edge_ok[i] &= !esel[i];
    if (r < 0 || !f->n_corridors)
        return r < 0 ? (int)r : 0;
    memset(esel, 0, m->n_edges);
    for (size_t c = 0; c < f->n_corridors && r >= 0; c++)
        r = resolve(nsel, esel, NULL, m, f->corridors[c], COR_T_CORRIDOR, &corridors);
    if (r < 0)
        return (int)r;
    /* only these corridors' edges, and the nodes they touch */
    memset(nsel, 0, m->n_nodes);
    for (size_t i = 0; i < m->n_edges; i++) {
        sel->edge_ok[i] &= esel[i];
        if (sel->edge_ok[i])
            nsel[m->edges[i].from] = nsel[m->edges[i].to] = 1;
    }
    for (size_t i = 0; i < m->n_nodes; i++)
        sel->node_ok[i] &= nsel[i];
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
    unsigned char *nsel = NULL, *esel = NULL;
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
    if (!(nsel = calloc(m->n_nodes + 1, 1)) || !(esel = calloc(m->n_edges + 1, 1))) {
        err = corridor__oom();
        goto done;
    }
    if ((err = apply_targets(sel, m, f, nsel, esel)) < 0)
        goto done;
    /* a node outside the selection takes its edges with it */
    for (size_t i = 0; i < m->n_edges; i++)
        if (!sel->node_ok[m->edges[i].from] || !sel->node_ok[m->edges[i].to])
            sel->edge_ok[i] = 0;
done:
    free(nsel);
    free(esel);
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
