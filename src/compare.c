/* compare.c: base-versus-scenario differences of answers, route legs and class names. */

/*
 * An answer is a tagged union (corridor_answer): `kind` says which member is
 * set. corridor_compare dispatches on the kind to compare_routes,
 * compare_flow or compare_critical, which fill the kind's part of
 * corridor_comparison; corridor_comparison_json writes {"query", "base",
 * "scenario", "changes"}, the answers by their own writers. A new kind of
 * answer (assignment, ...) adds an enum value, a union member, a compare_*
 * function, its answer writer in answer_json and its changes in changes_json;
 * new result fields go at the end of corridor_comparison.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"
#include "network.h"

/* ---------------------------------------------------------- classes and legs */

size_t corridor_class_name(char *buf, size_t size, corridor_mode mode, int gauge)
{
    char *name = cor_network_class_name(mode, gauge);
    const char *s = name ? name : "?";
    size_t len = strlen(s);
    if (size > 0) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(buf, s, n);
        buf[n] = '\0';
    }
    free(name);
    return len;
}

int corridor_route_legs(corridor_leg **out, size_t *n, const corridor_route *route)
{
    *out = NULL;
    *n = 0;
    if (!route || route->n_edges == 0)
        return 0;
    corridor_leg *legs = calloc(route->n_edges, sizeof *legs);
    if (!legs)
        return corridor__oom();
    size_t nl = 0;
    for (size_t i = 0; i < route->n_edges; i++) {
        const corridor_hop *h = &route->hops[i];
        char cls[sizeof legs->class_name];
        corridor_class_name(cls, sizeof cls, h->mode, h->gauge);
        corridor_leg *l = nl ? &legs[nl - 1] : NULL;
        if (!l || strcmp(l->class_name, cls) != 0) {
            l = &legs[nl++];
            memcpy(l->class_name, cls, sizeof cls);
            l->first_hop = i;
            l->from = h->from;
            l->from_name = h->from_name;
        }
        l->n_hops++;
        l->to = h->to;
        l->to_name = h->to_name;
        for (int k = 0; k < CORRIDOR_METRIC_COUNT; k++)
            l->metric[k] += h->metric[k]; /* NAN stays NAN */
    }
    *out = legs;
    *n = nl;
    return 0;
}

/* ------------------------------------------------------------------ routes */

static int same_route(const corridor_route *a, const corridor_route *b)
{
    if (a->n_edges != b->n_edges)
        return 0;
    for (size_t i = 0; i < a->n_edges; i++)
        if (strcmp(a->hops[i].edge, b->hops[i].edge) != 0)
            return 0;
    return 1;
}

static int has_route(const corridor_routes *rs, const corridor_route *r)
{
    for (size_t i = 0; rs && i < rs->n; i++)
        if (same_route(&rs->routes[i], r))
            return 1;
    return 0;
}

/* Indices of the routes of `a` that `b` does not have. */
static int routes_missing(size_t **out, size_t *n, const corridor_routes *a,
                          const corridor_routes *b)
{
    *out = NULL;
    *n = 0;
    if (!a || a->n == 0)
        return 0;
    if (!(*out = malloc(a->n * sizeof **out)))
        return corridor__oom();
    for (size_t i = 0; i < a->n; i++)
        if (!has_route(b, &a->routes[i]))
            (*out)[(*n)++] = i;
    return 0;
}

static double best_value(const corridor_routes *rs, corridor_metric by)
{
    return rs && rs->n ? rs->routes[0].metric[by] : NAN;
}

static int compare_routes(corridor_comparison *c)
{
    const corridor_routes *a = c->base.u.routes, *b = c->scenario.u.routes;
    int err = 0;
    c->by = a ? a->by : b ? b->by : CORRIDOR_BY_TIME;
    c->base_value = best_value(a, c->by);
    c->scenario_value = best_value(b, c->by);
    if ((err = routes_missing(&c->gained, &c->n_gained, b, a)) < 0)
        return err;
    return routes_missing(&c->lost, &c->n_lost, a, b);
}

/* ------------------------------------------------- flow cuts and rankings */

typedef struct side_item {
    corridor_element_type type;
    const char *id;
    double value;
    int disconnects;
} side_item;

/* Position (0-based) of (type, id) in items, or -1. */
static long find_item(const side_item *items, size_t n, corridor_element_type type, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (items[i].type == type && strcmp(items[i].id, id) == 0)
            return (long)i;
    return -1;
}

static int same_value(double x, double y)
{
    return x == y || (isnan(x) && isnan(y));
}

/*
 * The elements of two ranked lists whose presence, rank, value or disconnection
 * differs (by_rank: a rank change alone counts), scenario order first.
 */
static int element_changes(corridor_comparison *c, const side_item *a, size_t na,
                           const side_item *b, size_t nb, int by_rank)
{
    c->elements = calloc(na + nb + 1, sizeof *c->elements);
    if (!c->elements)
        return corridor__oom();
    for (int pass = 0; pass < 2; pass++) {
        const side_item *list = pass ? a : b;
        size_t n = pass ? na : nb;
        for (size_t i = 0; i < n; i++) {
            long ia = pass ? (long)i : find_item(a, na, list[i].type, list[i].id);
            long ib = pass ? find_item(b, nb, list[i].type, list[i].id) : (long)i;
            if (pass && ib >= 0)
                continue; /* seen in the first pass */
            int differs = ia < 0 || ib < 0 || (by_rank && ia != ib) ||
                          !same_value(a[ia].value, b[ib].value) ||
                          a[ia].disconnects != b[ib].disconnects;
            if (!differs)
                continue;
            corridor_element_change *e = &c->elements[c->n_elements++];
            e->type = list[i].type;
            e->id = list[i].id;
            e->base_rank = ia >= 0 ? (size_t)ia + 1 : 0;
            e->scenario_rank = ib >= 0 ? (size_t)ib + 1 : 0;
            e->base_value = ia >= 0 ? a[ia].value : NAN;
            e->scenario_value = ib >= 0 ? b[ib].value : NAN;
            e->base_disconnects = ia >= 0 && a[ia].disconnects;
            e->scenario_disconnects = ib >= 0 && b[ib].disconnects;
        }
    }
    return 0;
}

static side_item *cut_items(const corridor_flow *f)
{
    side_item *s = calloc(f->n_cut + 1, sizeof *s);
    for (size_t i = 0; s && i < f->n_cut; i++)
        s[i] = (side_item){f->cut[i].type, f->cut[i].id, f->cut[i].capacity, 0};
    return s;
}

static side_item *critical_items(const corridor_critical *k, size_t *disconnects)
{
    side_item *s = calloc(k->n + 1, sizeof *s);
    *disconnects = 0;
    for (size_t i = 0; s && i < k->n; i++) {
        const corridor_critical_item *it = &k->items[i];
        s[i] = (side_item){it->type, it->id, it->increase, it->disconnects};
        *disconnects += it->disconnects != 0;
    }
    return s;
}

static int compare_flow(corridor_comparison *c)
{
    const corridor_flow *a = c->base.u.flow, *b = c->scenario.u.flow;
    side_item *sa = NULL, *sb = NULL;
    int err = 0;
    c->base_value = a ? a->value : NAN;
    c->scenario_value = b ? b->value : NAN;
    if (!a || !b)
        return 0;
    if (!(sa = cut_items(a)) || !(sb = cut_items(b)))
        err = corridor__oom();
    else
        err = element_changes(c, sa, a->n_cut, sb, b->n_cut, 0);
    free(sa);
    free(sb);
    return err;
}

static int compare_critical(corridor_comparison *c)
{
    const corridor_critical *a = c->base.u.critical, *b = c->scenario.u.critical;
    side_item *sa = NULL, *sb = NULL;
    int err = 0;
    c->by = a ? a->by : b ? b->by : CORRIDOR_BY_TIME;
    c->base_value = a ? a->base : NAN;
    c->scenario_value = b ? b->base : NAN;
    if (!a || !b)
        return 0;
    if (!(sa = critical_items(a, &c->base_disconnects)) ||
        !(sb = critical_items(b, &c->scenario_disconnects)))
        err = corridor__oom();
    else
        err = element_changes(c, sa, a->n, sb, b->n, 1);
    free(sa);
    free(sb);
    return err;
}

/* ------------------------------------------------------------------- API */

/* The answer's pointer, whatever its kind. */
static const void *answer_ptr(const corridor_answer *a)
{
    switch (a->kind) {
    case CORRIDOR_ANSWER_ROUTES:
        return a->u.routes;
    case CORRIDOR_ANSWER_FLOW:
        return a->u.flow;
    case CORRIDOR_ANSWER_CRITICAL:
        return a->u.critical;
    }
    return NULL;
}

int corridor_compare(corridor_comparison **out, const corridor_answer *base,
                     const corridor_answer *scenario)
{
    int err = 0;
    corridor_comparison *c = NULL;
    *out = NULL;
    if (!base || !scenario || base->kind != scenario->kind ||
        (unsigned)base->kind > CORRIDOR_ANSWER_CRITICAL)
        return corridor__error(CORRIDOR_EUSAGE, "compare needs two answers of the same kind");
    if (!(c = calloc(1, sizeof *c)))
        return corridor__oom();
    c->kind = base->kind;
    c->base = *base;
    c->scenario = *scenario;
    switch (c->kind) {
    case CORRIDOR_ANSWER_ROUTES:
        err = compare_routes(c);
        break;
    case CORRIDOR_ANSWER_FLOW:
        err = compare_flow(c);
        break;
    case CORRIDOR_ANSWER_CRITICAL:
        err = compare_critical(c);
        break;
    }
    c->change = isfinite(c->base_value) && isfinite(c->scenario_value)
                    ? c->scenario_value - c->base_value
                    : NAN;
    if (err < 0) {
        corridor_comparison_free(c);
        return err;
    }
    *out = c;
    return 0;
}

void corridor_comparison_free(corridor_comparison *c)
{
    if (!c)
        return;
    free(c->gained);
    free(c->lost);
    free(c->elements);
    free(c);
}

/* ------------------------------------------------------------------ JSON */

/* The answer as its own writer prints it, parsed back into a tree (null if none). */
static int answer_json(cJSON *obj, const char *key, const corridor_answer *a)
{
    int err = 0;
    char *text = NULL;
    if (!answer_ptr(a))
        return cor_json_add(obj, key, cJSON_CreateNull());
    switch (a->kind) {
    case CORRIDOR_ANSWER_ROUTES:
        err = corridor_routes_json(&text, a->u.routes);
        break;
    case CORRIDOR_ANSWER_FLOW:
        err = corridor_flow_json(&text, a->u.flow);
        break;
    case CORRIDOR_ANSWER_CRITICAL:
        err = corridor_critical_json(&text, a->u.critical);
        break;
    }
    if (err < 0)
        return err;
    err = cor_json_add(obj, key, cJSON_Parse(text));
    free(text);
    return err;
}

static int route_list_json(cJSON *obj, const char *key, const corridor_routes *rs,
                           const size_t *idx, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    int err = cor_json_add(obj, key, arr);
    for (size_t i = 0; err == 0 && i < n; i++) {
        const corridor_route *r = &rs->routes[idx[i]];
        cJSON *o = cJSON_CreateObject(), *edges = NULL;
        if ((err = cor_json_add(arr, NULL, o)) < 0 ||
            (err = cor_json_num(o, "rank", (double)r->rank)) < 0 ||
            (err = cor_json_num(o, corridor_metric_field(rs->by), r->metric[rs->by])) < 0 ||
            (err = cor_json_add(o, "edges", edges = cJSON_CreateArray())) < 0)
            break;
        for (size_t e = 0; err == 0 && e < r->n_edges; e++)
            err = cor_json_str(edges, NULL, r->hops[e].edge);
    }
    return err;
}

/* A rank: null when absent. */
static int rank_json(cJSON *o, const char *key, size_t rank)
{
    return rank ? cor_json_num(o, key, (double)rank) : cor_json_add(o, key, cJSON_CreateNull());
}

static int elements_json(cJSON *obj, const char *key, const corridor_comparison *c,
                         const char *value_key)
{
    cJSON *arr = cJSON_CreateArray();
    int err = cor_json_add(obj, key, arr);
    char bk[48], sk[48];
    snprintf(bk, sizeof bk, "base_%s", value_key);
    snprintf(sk, sizeof sk, "scenario_%s", value_key);
    for (size_t i = 0; err == 0 && i < c->n_elements; i++) {
        const corridor_element_change *e = &c->elements[i];
        cJSON *o = cJSON_CreateObject();
        if ((err = cor_json_add(arr, NULL, o)) < 0 ||
            (err = cor_json_str(o, "type", corridor_element_type_name(e->type))) < 0 ||
            (err = cor_json_str(o, "id", e->id)) < 0 ||
            (err = rank_json(o, "base_rank", e->base_rank)) < 0 ||
            (err = rank_json(o, "scenario_rank", e->scenario_rank)) < 0 ||
            (err = cor_json_num(o, bk, e->base_value)) < 0 ||
            (err = cor_json_num(o, sk, e->scenario_value)) < 0)
            break;
        if (c->kind == CORRIDOR_ANSWER_CRITICAL &&
            ((err = cor_json_bool(o, "base_disconnects", e->base_disconnects)) < 0 ||
             (err = cor_json_bool(o, "scenario_disconnects", e->scenario_disconnects)) < 0))
            break;
    }
    return err;
}

static int changes_json(cJSON *ch, const corridor_comparison *c)
{
    int err = 0;
    char key[48];
    switch (c->kind) {
    case CORRIDOR_ANSWER_ROUTES:
        snprintf(key, sizeof key, "best_%s", corridor_metric_field(c->by));
        if ((err = cor_json_num(ch, key, c->change)) < 0 ||
            (err = cor_json_num(ch, "routes_gained", (double)c->n_gained)) < 0 ||
            (err = cor_json_num(ch, "routes_lost", (double)c->n_lost)) < 0 ||
            (err = route_list_json(ch, "gained", c->scenario.u.routes, c->gained, c->n_gained)) < 0)
            return err;
        return route_list_json(ch, "lost", c->base.u.routes, c->lost, c->n_lost);
    case CORRIDOR_ANSWER_FLOW:
        if ((err = cor_json_num(ch, "value", c->change)) < 0)
            return err;
        return elements_json(ch, "cut", c, "capacity");
    case CORRIDOR_ANSWER_CRITICAL: {
        size_t na = c->base.u.critical ? c->base.u.critical->n : 0;
        size_t nb = c->scenario.u.critical ? c->scenario.u.critical->n : 0;
        if ((err = cor_json_num(ch, "base", c->change)) < 0 ||
            (err = cor_json_num(ch, "elements", (double)nb - (double)na)) < 0 ||
            (err = cor_json_num(ch, "base_disconnects", (double)c->base_disconnects)) < 0 ||
            (err = cor_json_num(ch, "scenario_disconnects", (double)c->scenario_disconnects)) < 0)
            return err;
        return elements_json(ch, "ranking", c, "increase");
    }
    }
    return 0;
}

int corridor_comparison_json(char **out, const corridor_comparison *c)
{
    static const char *const query[] = {"route", "flow", "critical"};
    int err = 0;
    cJSON *root = cJSON_CreateObject(), *ch = NULL;
    *out = NULL;
    if (!root)
        return corridor__oom();
    if ((err = cor_json_str(root, "query", query[c->kind])) < 0 ||
        (err = answer_json(root, "base", &c->base)) < 0 ||
        (err = answer_json(root, "scenario", &c->scenario)) < 0 ||
        (err = cor_json_add(root, "changes", ch = cJSON_CreateObject())) < 0 ||
        (err = changes_json(ch, c)) < 0) {
        cJSON_Delete(root);
        return err;
    }
    return cor_json_finish(out, root);
}
