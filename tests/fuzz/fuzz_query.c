/* fuzz_query.c: libFuzzer harness: load a model, then route, flow, critical and analyze on it. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "corridor.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The oracle: each element's "best after" equals a plain route search with the
 * element avoided (k = 1), or that search finds no route if it disconnects.
 */
static void check_critical(const corridor_model *m, const corridor_critical *k,
                           const corridor_critical_opts *co)
{
    for (size_t i = 0; i < k->n; i++) {
        char avoid[600];
        const char *list[1] = {avoid};
        snprintf(avoid, sizeof avoid, "%s:%s", corridor_element_type_name(k->items[i].type),
                 k->items[i].id);
        corridor_route_opts ro = CORRIDOR_ROUTE_OPTS_INIT;
        corridor_routes *r = NULL;
        ro.k = 1;
        ro.by = co->by;
        ro.filter = co->filter;
        ro.filter.avoid = list;
        ro.filter.n_avoid = 1;
        int err = corridor_route_find(&r, m, k->from, k->to, &ro);
        if (err == CORRIDOR_ELIMIT) {
            corridor_routes_free(r);
            continue;
        }
        /* equal values up to rounding (another route of the same value may sum differently) */
        if (k->items[i].disconnects
                ? err != CORRIDOR_ENOTFOUND
                : err != 0 || fabs(r->routes[0].metric[co->by] - k->items[i].value) >
                                  1e-9 * fmax(1, fabs(k->items[i].value)))
            abort();
        corridor_routes_free(r);
    }
}

/* A cancel after `left` checks (-1: never): the partial answers must be whole too. */
static int cancel_cb(void *ud)
{
    int *left = ud;
    return *left >= 0 && (*left)-- == 0;
}

/*
 * Every query on the first and the last node; errors are fine, crashes and
 * leaks are not. One input in four runs with a budget that cancels after a
 * few checks, so that the partial answers (CORRIDOR_ELIMIT) are built, printed
 * and freed as well.
 */
static void queries(const corridor_model *m, unsigned seed)
{
    int left = seed / 64 % 4 == 0 ? (int)(seed / 256 % 4) : -1;
    corridor_budget budget = CORRIDOR_BUDGET_INIT;
    budget.cancel = cancel_cb;
    budget.userdata = &left;
    const char *from = m->nodes[0].id, *to = m->nodes[m->n_nodes - 1].id;
    char *json = NULL;
    corridor_routes *r = NULL;
    corridor_route_opts ro = CORRIDOR_ROUTE_OPTS_INIT;
    ro.by = (corridor_metric)(seed % CORRIDOR_METRIC_COUNT);
    ro.filter.carry = (corridor_commodity)(seed / 4 % CORRIDOR_CARRY_COUNT);
    ro.budget = &budget;
    if (corridor_route_find(&r, m, from, to, &ro) <= 0 && r && corridor_routes_json(&json, r) == 0)
        corridor_free(json);
    corridor_routes_free(r);

    corridor_flow *f = NULL;
    corridor_flow_opts fo = CORRIDOR_FLOW_OPTS_INIT;
    fo.filter.carry = ro.filter.carry;
    if (corridor_flow_max(&f, m, from, to, &fo) == 0 && corridor_flow_json(&json, f) == 0)
        corridor_free(json);
    corridor_flow_free(f);

    corridor_critical *k = NULL;
    corridor_critical_opts co = CORRIDOR_CRITICAL_OPTS_INIT;
    co.by = ro.by;
    co.filter.carry = ro.filter.carry;
    co.by_flow = seed / 32 % 2;
    co.budget = &budget;
    if (corridor_critical_rank(&k, m, from, to, &co) <= 0 && k &&
        corridor_critical_json(&json, k) == 0)
        corridor_free(json);
    if (k && !co.by_flow && m->n_nodes <= 64)
        check_critical(m, k, &co);
    corridor_critical_free(k);

    corridor_analysis *a = NULL;
    corridor_analyze_opts ao = CORRIDOR_ANALYZE_OPTS_INIT;
    ao.by = ro.by;
    ao.budget = &budget;
    if (corridor_analyze(&a, m, &ao) <= 0 && a && corridor_analysis_json(&json, a) == 0)
        corridor_free(json);
    corridor_analysis_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    corridor_model *m = NULL;
    unsigned seed = 0;
    for (size_t i = 0; i < size; i++)
        seed = seed * 31u + data[i];
    if (corridor_model_load_string(&m, (const char *)data, size, "fuzz.json", NULL) == 0 &&
        m->n_nodes >= 2)
        queries(m, seed);
    corridor_model_free(m);
    return 0;
}
