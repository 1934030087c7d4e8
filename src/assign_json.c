/* assign_json.c: an assignment result as JSON (corridor assign --format json). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"

static int element_json(cJSON *arr, const corridor_assign_element *e)
{
    cJSON *o = cJSON_CreateObject();
    int err = cor_json_add(arr, NULL, o);
    if (err == 0)
        err = cor_json_str(o, "type", e->type);
    if (err == 0)
        err = cor_json_str(o, "id", e->id);
    if (err == 0)
        err = cor_json_str(o, "carry", corridor_commodity_name(e->carry));
    if (err == 0)
        err = cor_json_num(o, "volume", e->volume);
    if (err == 0 && e->type[0] == 'e')
        err = cor_json_num(o, "volume_forward", e->volume_forward);
    if (err == 0 && e->type[0] == 'e')
        err = cor_json_num(o, "volume_backward", e->volume_backward);
    if (err == 0)
        err = cor_json_num(o, "capacity", e->capacity); /* null: unlimited */
    if (err == 0)
        err = e->capacity < INFINITY ? cor_json_num(o, "vc", e->vc) : cor_json_num(o, "vc", NAN);
    if (err == 0)
        err = cor_json_num(o, "time0_h", e->time0);
    if (err == 0)
        err = cor_json_num(o, "time_h", e->time);
    /* BPR applies with a capacity only, as in the GIS layer */
    if (err == 0)
        err = cor_json_num(o, "bpr_alpha", e->capacity < INFINITY ? e->alpha : NAN);
    if (err == 0)
        err = cor_json_num(o, "bpr_beta", e->capacity < INFINITY ? e->beta : NAN);
    return err;
}

static int od_json(cJSON *arr, const corridor_assign_od *d)
{
    cJSON *o = cJSON_CreateObject();
    int err = cor_json_add(arr, NULL, o);
    if (err == 0)
        err = cor_json_str(o, "origin", d->origin);
    if (err == 0)
        err = cor_json_str(o, "destination", d->destination);
    if (err == 0)
        err = cor_json_str(o, "from", d->from);
    if (err == 0)
        err = cor_json_str(o, "to", d->to);
    if (err == 0)
        err = cor_json_str(o, "carry", corridor_commodity_name(d->carry));
    if (err == 0)
        err = cor_json_num(o, "row", (double)d->row + 1);
    if (err == 0)
        err = cor_json_num(o, "quantity", d->quantity);
    if (err == 0)
        err = cor_json_bool(o, "served", d->served);
    if (err == 0)
        err = cor_json_num(o, "cost", d->cost);
    cJSON *paths = d->n_paths ? cJSON_CreateArray() : NULL;
    if (err == 0 && paths)
        err = cor_json_add(o, "paths", paths);
    for (size_t k = 0; err == 0 && k < d->n_paths; k++) {
        const corridor_assign_path *p = &d->paths[k];
        cJSON *po = cJSON_CreateObject();
        if ((err = cor_json_add(paths, NULL, po)) == 0)
            err = cor_json_num(po, "share", p->share);
        if (err == 0)
            err = cor_json_num(po, "cost", p->cost);
        if (err == 0)
            err = cor_json_strings(po, "nodes", p->nodes, p->n_edges + 1);
        if (err == 0)
            err = cor_json_strings(po, "edges", p->edges, p->n_edges);
    }
    return err;
}

static int total_json(cJSON *arr, const corridor_assign_total *t)
{
    cJSON *o = cJSON_CreateObject();
    int err = cor_json_add(arr, NULL, o);
    if (err == 0)
        err = cor_json_str(o, "carry", corridor_commodity_name(t->carry));
    if (err == 0)
        err = cor_json_str(o, "unit", t->unit);
    if (err == 0)
        err = cor_json_num(o, "demand", t->demand);
    if (err == 0)
        err = cor_json_num(o, "served", t->served);
    if (err == 0)
        err = cor_json_num(o, "unserved", t->unserved);
    if (err == 0)
        err = cor_json_num(o, "unit_km", t->unit_km);
    if (err == 0)
        err = cor_json_num(o, "unit_h", t->unit_h);
    if (err == 0)
        err = cor_json_num(o, "cost_usd", t->cost_usd);
    if (err == 0)
        err = cor_json_num(o, "iterations", (double)t->iterations);
    if (err == 0)
        err = cor_json_add(o, "gap", cJSON_CreateNumber(t->gap));
    if (err == 0)
        err = cor_json_bool(o, "converged", t->converged);
    if (err == 0)
        err = cor_json_num(o, "exact_searches", (double)t->exact_searches);
    if (err == 0)
        err = cor_json_num(o, "approximate_routes", (double)t->approximate_routes);
    return err;
}

int corridor_assignment_json(char **out, const corridor_assignment *a)
{
    cJSON *root = cJSON_CreateObject(), *arr = NULL;
    int err = 0;
    *out = NULL;
    if (!root)
        return corridor__oom();
    if ((err = cor_json_str(root, "method", corridor_assign_method_name(a->method))) < 0 ||
        (err = cor_json_str(root, "by", corridor_metric_name(a->by))) < 0 ||
        (err = cor_json_num(root, "value_of_time", a->value_of_time)) < 0 ||
        (err = cor_json_add(root, "gap_target", cJSON_CreateNumber(a->gap_target))) < 0 ||
        (err = cor_json_bool(root, "complete", a->complete)) < 0)
        goto done;
    if ((err = cor_json_add(root, "totals", arr = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t i = 0; err == 0 && i < a->n_totals; i++)
        err = total_json(arr, &a->totals[i]);
    if (err < 0 || (err = cor_json_add(root, "corridors", arr = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t i = 0; err == 0 && i < a->n_corridors; i++) {
        cJSON *o = cJSON_CreateObject();
        const corridor_assign_corridor *c = &a->corridors[i];
        if ((err = cor_json_add(arr, NULL, o)) == 0 && (err = cor_json_str(o, "id", c->id)) == 0 &&
            (err = cor_json_str(o, "carry", corridor_commodity_name(c->carry))) == 0 &&
            (err = cor_json_num(o, "max_volume", c->max_volume)) == 0)
            err = cor_json_num(o, "unit_km", c->unit_km);
    }
    if (err < 0 || (err = cor_json_add(root, "elements", arr = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t i = 0; err == 0 && i < a->n_elements; i++)
        err = element_json(arr, &a->elements[i]);
    if (err < 0 || (err = cor_json_add(root, "ods", arr = cJSON_CreateArray())) < 0)
        goto done;
    for (size_t i = 0; err == 0 && i < a->n_ods; i++)
        err = od_json(arr, &a->ods[i]);
    if (err == 0)
        return cor_json_finish(out, root);
done:
    cJSON_Delete(root);
    return err;
}

/* Sets volume and vc of model edge `id` (CORRIDOR_EINVALID if the model has no such edge). */
static int put_edge(double *volume, double *vc, const corridor_model *m, const char *id, double v,
                    double r)
{
    long e = corridor__edge_find(m, id);
    if (e < 0)
        return corridor__error(CORRIDOR_EINVALID,
                               "the assignment's edge \"%s\" is not in the model: render it with "
                               "the model (and scenarios) it was computed on",
                               id);
    volume[e] = v;
    vc[e] = r;
    return 0;
}

/* The edges of the JSON text of an assignment. */
static int values_from_json(double *volume, double *vc, const char *json, const corridor_model *m,
                            corridor_commodity carry)
{
    cJSON *root = cJSON_Parse(json);
    const cJSON *els = root ? cJSON_GetObjectItemCaseSensitive(root, "elements") : NULL;
    int err = 0;
    if (!cJSON_IsArray(els)) {
        cJSON_Delete(root);
        return corridor__error(CORRIDOR_EINVALID, "not an assignment result (corridor assign "
                                                  "--format json): no \"elements\" array");
    }
    for (const cJSON *it = els->child; it && err == 0; it = it->next) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(it, "type");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "carry");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "volume");
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(it, "vc");
        if (!cJSON_IsString(type) || !cJSON_IsString(id) || !cJSON_IsString(c) ||
            !cJSON_IsNumber(v)) {
            err = corridor__error(CORRIDOR_EINVALID, "not an assignment result: an element "
                                                     "lacks type, id, carry or volume");
            break;
        }
        if (strcmp(type->valuestring, "edge") != 0 ||
            strcmp(c->valuestring, corridor_commodity_name(carry)) != 0)
            continue;
        err = put_edge(volume, vc, m, id->valuestring, v->valuedouble,
                       cJSON_IsNumber(r) ? r->valuedouble : NAN);
    }
    cJSON_Delete(root);
    return err;
}

int corridor_assignment_edge_values(double **volume, double **vc, const corridor_assignment *a,
                                    const char *json, const corridor_model *model,
                                    corridor_commodity carry)
{
    size_t n = model->n_edges;
    double *v = calloc(n + 1, sizeof *v), *r = malloc((n + 1) * sizeof *r);
    int err = 0;
    *volume = *vc = NULL;
    if (!v || !r) {
        err = corridor__oom();
        goto done;
    }
    for (size_t e = 0; e < n; e++)
        r[e] = NAN;
    if (a) {
        for (size_t i = 0; i < a->n_elements && err == 0; i++) {
            const corridor_assign_element *el = &a->elements[i];
            if (el->type[0] == 'e' && el->carry == carry)
                err = put_edge(v, r, model, el->id, el->volume,
                               el->capacity < INFINITY ? el->vc : NAN);
        }
    } else if (json) {
        err = values_from_json(v, r, json, model, carry);
    } else {
        err = corridor__error(CORRIDOR_EUSAGE, "edge values need an assignment or its JSON");
    }
done:
    if (err < 0) {
        free(v);
        free(r);
        return err;
    }
    *volume = v;
    *vc = r;
    return 0;
}
