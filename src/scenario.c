/* scenario.c: what-if scenarios: edits read through the schema's readers, applied through its
 * accessors. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"
#include "json_internal.h"
#include "jsonread.h"
#include "schema.h"
#include "target.h"

/*
 * A scenario is read in one pass over its JSON with the model's readers
 * (jsonread.c): every value of a set or scale edit is read by the reader of
 * its row in the node or edge table, so a scenario and a model word the same
 * mistake the same way. Applying an edit resolves its target (target.c) and
 * stores or multiplies each value through the row's accessor (schema.c);
 * the edited elements are then checked against the rules that tie fields
 * together and against the schema's bounds.
 */

enum sc_op { OP_SET, OP_SCALE, OP_CLOSE, OP_ADD, OP_COUNT };
static const char *const op_names[] = {"set", "scale", "close", "add"};
static const cor_vocab ops = {"op", op_names, OP_COUNT};

/* The keys of an edit by op (NULL: none). */
static const char *const edit_keys[OP_COUNT][5] = {
    {"op", "target", "values", "description", "source"},
    {"op", "target", "values", "description", "source"},
    {"op", "target", NULL, "description", "source"},
    {"op", "nodes", "edges", "description", "source"},
};

/* The scenario's own text fields (its header is checked by corridor__json_header). */
static const cor_field text_rows[] = {
    {.key = "name", .type = CF_STRING, .flags = CF_REQUIRED | CF_NONEMPTY},
    {.key = "description", .type = CF_STRING},
    {.key = "source", .type = CF_STRING},
};

/* One value of a set or scale edit. */
typedef struct sc_value {
    const cor_field *f;
    cor_value v;
} sc_value;

typedef struct sc_edit {
    enum sc_op op;
    char *target; /* as written: "kind:ID" */
    cor_target t; /* t.id points into target */
    sc_value *vals;
    size_t n_vals;
    cJSON *nodes, *edges; /* add: the arrays in the model's format, read again when applied */
} sc_edit;

struct corridor_scenario {
    char *name, *description, *source;
    char *origin; /* the file path or name given to the loader: prefixes diagnostics */
    sc_edit *edits;
    size_t n_edits;
};

/* -------------------------------------------------------------- reading */

/* "a, b, c" of the rows of kind that an op may change. */
static const char *changeable(char *buf, size_t size, cor_elem kind, int scale)
{
    size_t n = 0, o = 0;
    const cor_field *rows = corridor__fields(kind, &n);
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < size; i++)
        if (rows[i].key && (scale ? rows[i].scale : rows[i].set))
            o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "", rows[i].key);
    return buf;
}

/* Why key is no field a `scale`/`set` can change on `kind` (the path names it). */
static void not_changeable(cor_reader *r, const char *key, cor_elem kind, int scale)
{
    const char *what = kind == COR_EDGE ? "edges" : "nodes", *op = scale ? "scale" : "set";
    const cor_field *row = corridor__field(kind, key);
    const cor_field *other = corridor__field(kind == COR_EDGE ? COR_NODE : COR_EDGE, key);
    char list[512], q[JR_QBUF];
    changeable(list, sizeof list, kind, scale);
    if (row && scale && row->set) {
        JR_ERR(r, "%s cannot be scaled (scale on %s: %s)", key, what, list);
    } else if (row) {
        JR_ERR(r, "%s cannot be changed by a scenario (%s on %s: %s)", key, op, what, list);
    } else if (other && (other->set || other->scale)) {
        JR_ERR(r, "%s is not a field of %s (the target selects %s; %s on %s: %s)", key, what, what,
               op, what, list);
    } else {
        const char *cands[64];
        size_t n = 0, nr = 0;
        const cor_field *rows = corridor__fields(kind, &nr);
        for (size_t i = 0; i < nr && n < 64; i++)
            if (rows[i].key && (scale ? rows[i].scale : rows[i].set))
                cands[n++] = rows[i].key;
        const char *s = corridor__suggest(key, cands, n);
        if (s)
            JR_ERR(r, "unknown field (did you mean %s?); %s on %s: %s", JR_Q(q, s), op, what, list);
        else
            JR_ERR(r, "unknown field; %s on %s: %s", op, what, list);
    }
}

/* Orders values as their rows stand in the table. */
static int by_row(const void *a, const void *b)
{
    const cor_field *x = ((const sc_value *)a)->f, *y = ((const sc_value *)b)->f;
    return x < y ? -1 : x > y;
}

/* "values" of a set or scale edit whose target selects nodes or edges. ENOMEM only. */
static int read_values(cor_reader *r, const cJSON *v, sc_edit *e, cor_elem kind)
{
    int scale = e->op == OP_SCALE;
    size_t at = jr_key(r, "values"), n = 0;
    if (!cJSON_IsObject(v)) {
        jr_type_error(r, v, "an object of fields");
        jr_pop(r, at);
        return 0;
    }
    size_t errors = r->errors;
    for (const cJSON *c = v->child; c; c = c->next)
        n++;
    if (n && !(e->vals = calloc(n, sizeof *e->vals)))
        return corridor__oom();
    for (const cJSON *c = v->child; c; c = c->next) {
        const char *key = c->string ? c->string : "";
        const cor_field *row = corridor__field(kind, key);
        int dup = 0;
        for (size_t k = 0; row && k < e->n_vals; k++)
            dup |= e->vals[k].f == row;
        if (!row || !(scale ? row->scale : row->set) || dup) {
            size_t at2 = jr_key(r, key);
            if (dup)
                JR_ERR(r, "duplicate key (the same field is given twice)");
            else
                not_changeable(r, key, kind, scale);
            jr_pop(r, at2);
            continue;
        }
        sc_value *sv = &e->vals[e->n_vals];
        if (corridor__read_value(r, row, c, scale ? COR_OP_SCALE : COR_OP_SET, 0, &sv->v) > 0) {
            sv->f = row;
            e->n_vals++;
        }
    }
    if (r->errors == errors && !e->n_vals)
        JR_ERR(r, "empty object: name at least one field to %s", op_names[e->op]);
    /* applied in table order, whatever the order in the file (carries before capacity) */
    if (e->n_vals > 1)
        qsort(e->vals, e->n_vals, sizeof *e->vals, by_row);
    jr_pop(r, at);
    return r->oom ? corridor__oom() : 0;
}

/* Counts the errors of corridor__model_add_json, which reported them itself. */
static void count_add_errors(cor_reader *r, const cor_add_ctx *ac)
{
    if (ac->errors && !r->first_error && !(r->first_error = corridor__strdup(ac->first)))
        r->oom = 1;
    r->errors += ac->errors;
}

/*
 * The "nodes" and "edges" arrays of an add edit: their own fields are checked
 * now by the model loader; ids and references when the edit is applied.
 */
static int read_add(cor_reader *r, const cJSON *nodes, const cJSON *edges, sc_edit *e)
{
    char path[256];
    cor_add_ctx ac = {
        .src = r->src, .prefix = jr_path(r, path, sizeof path), .d = r->d, .warnings = 1};
    const cJSON *arr[2] = {nodes, edges};
    static const char *const names[2] = {"nodes", "edges"};
    int err = 0;
    if (!nodes && !edges) {
        JR_ERR(r, "missing required field \"nodes\" or \"edges\" (arrays in the model's format)");
        return 0;
    }
    for (size_t a = 0; a < 2; a++) {
        if (arr[a] && !cJSON_IsArray(arr[a])) {
            size_t at = jr_key(r, names[a]);
            jr_type_error(r, arr[a], a ? "an array of edges" : "an array of nodes");
            jr_pop(r, at);
            return 0;
        }
    }
    if (cJSON_GetArraySize(nodes) + cJSON_GetArraySize(edges) == 0) {
        JR_ERR(r, "add with no nodes and no edges: nothing to add (give \"nodes\" or \"edges\", "
                  "arrays in the model's format)");
        return 0;
    }
    if ((err = corridor__model_add_json(NULL, nodes, edges, &ac)) < 0)
        return err;
    count_add_errors(r, &ac);
    if (ac.errors)
        return 0;
    if ((nodes && !(e->nodes = cJSON_Duplicate(nodes, 1))) ||
        (edges && !(e->edges = cJSON_Duplicate(edges, 1))))
        return corridor__oom();
    return 0;
}

/* "target": KIND:ID, the kind required. */
static void read_target(cor_reader *r, const cJSON *v, sc_edit *e)
{
    char list[128];
    cor_buf msg;
    if (!v) {
        JR_ERR(r, "missing required field \"target\" (%s needs a target: one of %s, as KIND:ID)",
               op_names[e->op], corridor__vocab_list(list, sizeof list, &corridor__target_kinds));
        return;
    }
    size_t at = jr_key(r, "target");
    corridor__buf_init(&msg);
    if (!cJSON_IsString(v))
        jr_type_error(r, v, "a string KIND:ID");
    else if (!(e->target = jr_dup(r, v->valuestring)))
        ;
    else if (corridor__target_parse(&e->t, e->target, 1, &msg) < 0)
        JR_ERR(r, "%s", msg.data ? msg.data : "invalid target");
    corridor__buf_free(&msg);
    jr_pop(r, at);
}

/* The op of an edit; -1 after an error. */
static int read_op(cor_reader *r, const cJSON *op)
{
    char list[64];
    if (!op) {
        JR_ERR(r, "missing required field \"op\" (one of: %s)",
               corridor__vocab_list(list, sizeof list, &ops));
        return -1;
    }
    size_t at = jr_key(r, "op");
    int k = -1;
    if (!cJSON_IsString(op))
        jr_type_error(r, op, "a string");
    else
        k = jr_enum(r, op->valuestring, &ops);
    jr_pop(r, at);
    return k;
}

/* One edit (its path is current). ENOMEM only. */
static int read_edit(cor_reader *r, const cJSON *v, sc_edit *e)
{
    const cJSON *f[5];
    cor_value text;
    if (!cJSON_IsObject(v)) {
        jr_type_error(r, v, "an object {\"op\": ..., ...}");
        return 0;
    }
    int op = read_op(r, cJSON_GetObjectItemCaseSensitive(v, "op"));
    if (op < 0)
        return 0;
    e->op = (enum sc_op)op;
    jr_scan(r, v, edit_keys[op], 5, f);
    for (size_t k = 3; k < 5; k++) { /* description, source: checked, not kept */
        corridor__read_value(r, &text_rows[k - 2], f[k], COR_OP_LOAD, 0, &text);
        corridor__value_free(&text);
    }
    if (e->op == OP_ADD)
        return read_add(r, f[1], f[2], e);
    read_target(r, f[1], e);
    if (e->op == OP_CLOSE || !e->target)
        return r->oom ? corridor__oom() : 0;
    if (!f[2]) {
        JR_ERR(r, "missing required field \"values\" (%s needs an object of fields, e.g. %s)",
               op_names[e->op],
               e->op == OP_SET ? "{\"status\": \"operational\"}" : "{\"capacity\": 0.75}");
        return 0;
    }
    return read_values(r, f[2], e,
                       corridor__target_edges((cor_tkind)e->t.kind) ? COR_EDGE : COR_NODE);
}

static void edit_free(sc_edit *e)
{
    free(e->target);
    for (size_t i = 0; i < e->n_vals; i++)
        corridor__value_free(&e->vals[i].v);
    free(e->vals);
    cJSON_Delete(e->nodes);
    cJSON_Delete(e->edges);
}

void corridor_scenario_free(corridor_scenario *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->description);
    free(s->source);
    free(s->origin);
    for (size_t i = 0; i < s->n_edits; i++)
        edit_free(&s->edits[i]);
    free(s->edits);
    free(s);
}

/* The edits array. ENOMEM only. */
static int read_edits(cor_reader *r, corridor_scenario *s, const cJSON *edits)
{
    int err = 0;
    size_t at = jr_key(r, "edits"), n = 0, i = 0;
    if (!cJSON_IsArray(edits)) {
        jr_type_error(r, edits, "an array of edits");
    } else if (!(n = (size_t)cJSON_GetArraySize(edits))) {
        JR_WARN(r, "no edits: the scenario changes nothing");
    } else if (!(s->edits = calloc(n, sizeof *s->edits))) {
        err = corridor__oom();
    } else {
        s->n_edits = n;
        for (const cJSON *c = edits->child; c && !err; c = c->next, i++) {
            size_t at2 = jr_index(r, i);
            err = read_edit(r, c, &s->edits[i]);
            jr_pop(r, at2);
        }
    }
    jr_pop(r, at);
    return err;
}

static int read_scenario(cor_reader *r, corridor_scenario *s, const cJSON *root)
{
    static const char *const keys[] = {"format",      "version", "name",
                                       "description", "source",  "edits"};
    const cJSON *f[6];
    char **dst[3] = {&s->name, &s->description, &s->source};
    char got[JR_QBUF + 16];
    if (!cJSON_IsObject(root)) {
        JR_ERR(r, "expected a corridor-scenario JSON object at the top level, got %s",
               jr_describe(got, sizeof got, root));
        return 0;
    }
    if (corridor__json_header(r, root, "corridor-scenario", "corridor-model", "model", "-m") < 0)
        return 0; /* not a scenario: the rest would be noise */
    jr_scan(r, root, keys, 6, f);
    for (size_t k = 0; k < 3; k++) {
        cor_value v;
        if (!f[2 + k] && (text_rows[k].flags & CF_REQUIRED))
            JR_ERR(r, "missing required field \"%s\" (a short title, e.g. \"Zangezur opens\")",
                   text_rows[k].key);
        if (corridor__read_value(r, &text_rows[k], f[2 + k], COR_OP_LOAD, 0, &v) > 0) {
            *dst[k] = v.str;
            v.str = NULL;
        }
        corridor__value_free(&v);
    }
    if (!f[5]) {
        JR_ERR(r, "missing required field \"edits\" (an array of edits: set, scale, close, add)");
        return 0;
    }
    return read_edits(r, s, f[5]);
}

/* Reads a scenario from `len` bytes of text; `parsed`: the text parsed already, or NULL. */
static int load_text(corridor_scenario **out, const char *text, size_t len, int terminated,
                     const cJSON *parsed, const char *name, corridor_diags *diags)
{
    int err = 0, ok = 0;
    cJSON *root = NULL;
    corridor_scenario *s = NULL;
    cor_reader r;
    corridor__reader_init(&r, name ? name : "scenario", diags);
    *out = NULL;
    if (!(s = calloc(1, sizeof *s)) || !(s->origin = corridor__strdup(r.src))) {
        err = corridor__oom();
        goto done;
    }
    ok = corridor__json_text(&r, text, len, terminated, "corridor-scenario", parsed, &root);
    if (ok < 0)
        err = ok;
    else if (ok > 0)
        err = read_scenario(&r, s, parsed ? parsed : root);
    if (!err && r.oom)
        err = corridor__oom();
    if (!err && r.errors)
        err = jr_invalid(&r, "invalid scenario");
done:
    cJSON_Delete(root);
    corridor__reader_free(&r);
    if (err < 0)
        corridor_scenario_free(s);
    else
        *out = s;
    return err;
}

int corridor_scenario_load_string(corridor_scenario **out, const char *text, size_t len,
                                  const char *name, corridor_diags *diags)
{
    return load_text(out, text, len, 0, NULL, name, diags);
}

int corridor__scenario_load_parsed(corridor_scenario **out, const char *text, size_t len,
                                   const cJSON *root, const char *name, corridor_diags *diags)
{
    return load_text(out, text, len, 1, root, name, diags);
}

int corridor_scenario_load_file(corridor_scenario **out, const char *path, corridor_diags *diags)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    int err = corridor__read_file(&text, &len, path);
    if (err == 0)
        err = load_text(out, text, len, 1, NULL, path, diags); /* read_file adds a NUL */
    free(text);
    return err;
}

const char *corridor_scenario_name(const corridor_scenario *s)
{
    return s && s->name ? s->name : "";
}

const char *corridor_scenario_description(const corridor_scenario *s)
{
    return s && s->description ? s->description : "";
}

size_t corridor_scenario_edit_count(const corridor_scenario *s)
{
    return s ? s->n_edits : 0;
}

/* ---------------------------------------------------------------- applying */

/* ` in model "caspian"` for builtin:caspian, a file's base name, or the model's name. */
static void model_label(char *out, size_t size, const corridor_model *m)
{
    const char *o = corridor_model_origin(m);
    if (strncmp(o, "builtin:", 8) == 0 && o[8]) {
        snprintf(out, size, " in model \"%s\"", o + 8);
        return;
    }
    if (*o) {
        const char *base = strrchr(o, '/');
        base = base ? base + 1 : o;
        size_t l = strlen(base);
        if (l > 5 && strcmp(base + l - 5, ".json") == 0)
            l -= 5;
        snprintf(out, size, " in model \"%.*s\"", (int)(l < 200 ? l : 200), base);
        return;
    }
    snprintf(out, size, " in model \"%s\"", corridor_model_name(m));
}

/* Stores a copy of v (set) or multiplies by it (scale) in one element. ENOMEM only. */
static int apply_value(const sc_value *sv, void *elem, int scale, unsigned allowed)
{
    cor_value copy = sv->v;
    if (scale) {
        corridor__field_scale(sv->f, elem, &sv->v);
        return 0;
    }
    copy.pts = NULL;
    if (sv->v.str && !(copy.str = corridor__strdup(sv->v.str)))
        return corridor__oom();
    corridor__field_store(sv->f, elem, &copy, allowed);
    corridor__value_free(&copy);
    return 0;
}

/* One edit on one element. ENOMEM only. */
static int edit_element(const sc_edit *e, cor_elem kind, void *elem)
{
    int err = 0;
    if (e->op == OP_CLOSE) {
        sc_value closed = {corridor__field(kind, "status"), {.num = CORRIDOR_STATUS_CLOSED}};
        return apply_value(&closed, elem, 0, 0);
    }
    for (size_t k = 0; k < e->n_vals && !err; k++) {
        /* a bare capacity stands for what the edge carries now (carries is set first) */
        unsigned allowed = kind == COR_EDGE ? ((cor_edge *)elem)->carries : (1u << COR_NCOM) - 1;
        err = apply_value(&e->vals[k], elem, e->op == OP_SCALE, allowed);
    }
    return err;
}

/* One class of problem found after an edit: the first element and how many more. */
typedef struct sc_problem {
    const char *first;
    size_t more;
    const cor_field *f; /* bounds: the row out of range */
    double value;
    unsigned what; /* the edge's mode, or the commodity not carried */
} sc_problem;

static void note(sc_problem *p, const char *id, const cor_field *f, double value, unsigned what)
{
    if (p->first) {
        p->more++;
        return;
    }
    p->first = id;
    p->f = f;
    p->value = value;
    p->what = what;
}

/* Reports a problem at values.KEY: "MESSAGE on edge "x" (and N more edges)". */
static void report_problem(cor_reader *r, const sc_problem *p, const char *key, const char *noun)
{
    char more[64] = "", q[JR_QBUF];
    if (!p->first)
        return;
    if (p->more)
        snprintf(more, sizeof more, " (and %zu more %s%s)", p->more, noun, p->more == 1 ? "" : "s");
    size_t at = jr_key(r, "values"), at2 = jr_key(r, key);
    if (p->f)
        JR_ERR(r, "must be <= %g%s%s, got %.15g on %s %s%s",
               corridor__field_max(p->f, (int)p->what), p->f->unit ? " " : "",
               p->f->unit ? p->f->unit : "", p->value, noun, JR_Q(q, p->first), more);
    else if (strcmp(key, "gauge") == 0)
        JR_ERR(r, "gauge is for rail edges only: edge %s%s is %s", JR_Q(q, p->first), more,
               corridor__modes.names[p->what]);
    else
        JR_ERR(r, "edge %s%s does not carry %s but has a capacity for it", JR_Q(q, p->first), more,
               corridor__commodities.names[p->what]);
    jr_pop(r, at2);
    jr_pop(r, at);
}

/* The schema's bounds on the edited elements of one kind. */
static void check_bounds(cor_reader *r, const corridor_model *m, cor_elem kind,
                         const unsigned char *sel)
{
    sc_problem p = {0};
    size_t n = kind == COR_EDGE ? m->n_edges : m->n_nodes;
    for (size_t i = 0; i < n; i++) {
        const void *el = kind == COR_EDGE ? (const void *)&m->edges[i] : (const void *)&m->nodes[i];
        const cor_field *bad = NULL;
        double v = 0;
        int sub = -1;
        if (sel[i] && !corridor__fields_in_range(kind, el, &bad, &sub, &v))
            note(&p, kind == COR_EDGE ? m->edges[i].id : m->nodes[i].id, bad, v, (unsigned)sub);
    }
    if (p.first)
        report_problem(r, &p, p.f->key, kind == COR_EDGE ? "edge" : "node");
}

/* The model's rules on the edges a set edit changed: gauge on rail only, capacity only carried. */
static void check_edges(cor_reader *r, const corridor_model *m, const sc_edit *e,
                        const unsigned char *esel)
{
    sc_problem gauge = {0}, cap = {0};
    int capacity_set = 0;
    for (size_t k = 0; k < e->n_vals; k++)
        capacity_set |= e->vals[k].f->type == CF_CAPACITY;
    for (size_t i = 0; i < m->n_edges; i++) {
        const cor_edge *ed = &m->edges[i];
        unsigned extra = ed->capacity_given & ~ed->carries, c = 0;
        if (!esel[i])
            continue;
        if (ed->gauge && ed->mode != CORRIDOR_MODE_RAIL)
            note(&gauge, ed->id, NULL, 0, (unsigned)ed->mode);
        while (extra && !(extra & (1u << c)))
            c++;
        if (extra)
            note(&cap, ed->id, NULL, 0, c);
    }
    report_problem(r, &gauge, "gauge", "edge");
    report_problem(r, &cap, capacity_set ? "capacity" : "carries", "edge");
}

static int apply_add(cor_reader *r, corridor_model *m, const sc_edit *e)
{
    char path[256];
    cor_add_ctx ac = {
        .src = r->src, .prefix = jr_path(r, path, sizeof path), .d = r->d, .warnings = 0};
    int err = corridor__model_add_json(m, e->nodes, e->edges, &ac);
    count_add_errors(r, &ac);
    return err;
}

/* Applies one edit (its path is current); problems are reported. ENOMEM only. */
static int apply_edit(cor_reader *r, corridor_model *m, const sc_edit *e)
{
    int err = 0;
    char label[256];
    unsigned char *nsel = NULL, *esel = NULL;
    cor_buf msg;
    cor_target_ctx c = {0, NULL, label, 1};
    if (e->op == OP_ADD)
        return apply_add(r, m, e);
    model_label(label, sizeof label, m);
    corridor__buf_init(&msg);
    if (!(nsel = calloc(m->n_nodes + 1, 1)) || !(esel = calloc(m->n_edges + 1, 1))) {
        err = corridor__oom();
        goto done;
    }
    if (corridor__target_select(nsel, esel, NULL, m, &e->t, &c, &msg) < 0) {
        size_t at = jr_key(r, "target");
        JR_ERR(r, "%s", msg.data ? msg.data : "invalid target");
        jr_pop(r, at);
        goto done;
    }
    for (size_t i = 0; i < m->n_nodes && !err; i++)
        if (nsel[i])
            err = edit_element(e, COR_NODE, &m->nodes[i]);
    for (size_t i = 0; i < m->n_edges && !err; i++) {
        if (!esel[i])
            continue;
        err = edit_element(e, COR_EDGE, &m->edges[i]);
        corridor__edge_derive(m, &m->edges[i]);
    }
    if (!err && e->op == OP_SET)
        check_edges(r, m, e, esel);
    if (!err && e->op != OP_CLOSE) {
        check_bounds(r, m, COR_NODE, nsel);
        check_bounds(r, m, COR_EDGE, esel);
    }
done:
    corridor__buf_free(&msg);
    free(nsel);
    free(esel);
    return err;
}

int corridor_scenario_apply(corridor_model **out, const corridor_model *base,
                            const corridor_scenario *s, corridor_diags *diags)
{
    int err = 0;
    cor_reader r;
    corridor_model *m = NULL;
    char *name = NULL;
    *out = NULL;
    corridor__reader_init(&r, s->origin, diags);
    if (!(m = corridor__model_clone(base))) {
        err = corridor__oom();
        goto done;
    }
    size_t at = jr_key(&r, "edits");
    for (size_t i = 0; i < s->n_edits && !err; i++) {
        size_t at2 = jr_index(&r, i);
        err = apply_edit(&r, m, &s->edits[i]);
        jr_pop(&r, at2);
    }
    jr_pop(&r, at);
    if (!err && r.oom)
        err = corridor__oom();
    if (!err && r.errors)
        err = jr_invalid(&r, "scenario does not apply");
    if (err < 0)
        goto done;
    /* no index to rebuild: the clone has them, edits keep ids, add indexes what it appends */
    if (!(name = corridor__asprintf("%s + %s", corridor_model_name(base),
                                    corridor_scenario_name(s)))) {
        err = corridor__oom();
        goto done;
    }
    free(m->name);
    m->name = name;
    *out = m;
    m = NULL;
done:
    corridor__reader_free(&r);
    corridor_model_free(m);
    return err;
}
