/* batch.c: many queries per load: one JSON query in, one JSON answer out, routers kept between
 * them. */
#define _POSIX_C_SOURCE 200809L
#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_internal.h"
#include "route_internal.h"

/*
 * A route query is answered by a cor_router (route_internal.h) kept for its
 * filter and metric: the routing network is built for the first query with a
 * given filter and metric and reused by the next ones, and the lower bounds
 * are reused while the destination stays the same. ROUTER_CACHE routers are
 * kept, the least recently used one replaced. Flow, critical and matrix
 * queries call the library's functions as the commands do.
 */

#define ROUTER_CACHE 4

typedef struct cached_router {
    char *key;    /* by, status, year, carry, avoid list: see filter_key */
    char **avoid; /* the filter's own copies (the router points at them) */
    size_t n_avoid;
    cor_router *r;
    unsigned long last_use;
} cached_router;

struct corridor_batch {
    const corridor_model *m;
    corridor_filter base;
    cached_router cache[ROUTER_CACHE];
    unsigned long clock;
};

int corridor_batch_new(corridor_batch **out, const corridor_model *model,
                       const corridor_filter *base)
{
    static const corridor_filter defaults = CORRIDOR_FILTER_INIT;
    corridor_batch *b = calloc(1, sizeof *b);
    *out = NULL;
    if (!b)
        return corridor__oom();
    b->m = model;
    b->base = base ? *base : defaults;
    b->base.avoid = NULL; /* a query's own lists replace these */
    b->base.n_avoid = 0;
    b->base.corridors = NULL;
    b->base.n_corridors = 0;
    *out = b;
    return 0;
}

static void cache_clear(cached_router *c)
{
    free(c->key);
    for (size_t i = 0; i < c->n_avoid; i++)
        free(c->avoid[i]);
    free(c->avoid);
    cor_router_free(c->r);
    memset(c, 0, sizeof *c);
}

void corridor_batch_free(corridor_batch *b)
{
    if (!b)
        return;
    for (int i = 0; i < ROUTER_CACHE; i++)
        cache_clear(&b->cache[i]);
    free(b);
}

/* ------------------------------------------------------------ the query */

/* What one query line asks; strings point into the parsed cJSON tree. */
typedef struct bquery {
    const char *kind; /* route, flow, critical, matrix */
    corridor_filter filter;
    corridor_metric by;
    size_t k;
    int by_flow;
    const char **via, **avoid, **from_list, **to_list;
    size_t n_via, n_from, n_to;
    const char *from, *to;
} bquery;

static void bquery_free(bquery *q)
{
    free(q->via);
    free(q->avoid);
    free(q->from_list);
    free(q->to_list);
}

/* A string or an array of strings into a new list. */
static int str_list(const char ***out, size_t *n, const cJSON *v, const char *key, int one_ok)
{
    size_t cnt = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : 1;
    if (!cJSON_IsArray(v) && !(one_ok && cJSON_IsString(v)))
        return corridor__error(CORRIDOR_EUSAGE, "\"%s\" must be %s", key,
                               one_ok ? "a string or an array of strings" : "an array of strings");
    const char **l = calloc(cnt + 1, sizeof *l);
    if (!l)
        return corridor__oom();
    *out = l;
    *n = 0;
    if (!cJSON_IsArray(v)) {
        l[(*n)++] = v->valuestring;
        return 0;
    }
    for (const cJSON *it = v->child; it; it = it->next) {
        if (!cJSON_IsString(it))
            return corridor__error(CORRIDOR_EUSAGE, "\"%s\" must hold strings only", key);
        l[(*n)++] = it->valuestring;
    }
    return 0;
}

/* Parses one option of a query. */
static int query_key(bquery *q, const cJSON *v)
{
    const char *key = v->string;
    int is_str = cJSON_IsString(v);
    if (strcmp(key, "id") == 0)
        return 0;
    if (strcmp(key, "query") == 0 && is_str)
        q->kind = v->valuestring;
    else if ((strcmp(key, "from") == 0 || strcmp(key, "to") == 0) && !is_str)
        return str_list(key[0] == 'f' ? &q->from_list : &q->to_list,
                        key[0] == 'f' ? &q->n_from : &q->n_to, v, key, 0);
    else if (strcmp(key, "from") == 0)
        q->from = v->valuestring;
    else if (strcmp(key, "to") == 0)
        q->to = v->valuestring;
    else if (strcmp(key, "by") == 0 && is_str)
        return corridor_metric_parse(&q->by, v->valuestring);
    else if (strcmp(key, "carry") == 0 && is_str)
        return corridor_commodity_parse(&q->filter.carry, v->valuestring);
    else if (strcmp(key, "status") == 0 && is_str) {
        q->filter.year = 0;
        return corridor_status_parse(&q->filter.status, v->valuestring);
    } else if (strcmp(key, "year") == 0 && cJSON_IsNumber(v) && v->valuedouble >= 1800 &&
               v->valuedouble <= 2200 && v->valuedouble == floor(v->valuedouble))
        q->filter.year = (int)v->valuedouble;
    else if (strcmp(key, "k") == 0 && cJSON_IsNumber(v) && v->valuedouble >= 1 &&
             v->valuedouble <= 100000 && v->valuedouble == floor(v->valuedouble))
        q->k = (size_t)v->valuedouble;
    else if (strcmp(key, "flow") == 0 && cJSON_IsBool(v))
        q->by_flow = cJSON_IsTrue(v);
    else if (strcmp(key, "via") == 0)
        return str_list(&q->via, &q->n_via, v, key, 1);
    else if (strcmp(key, "avoid") == 0)
        return str_list(&q->avoid, &q->filter.n_avoid, v, key, 1);
    else
        return corridor__error(CORRIDOR_EUSAGE,
                               "unknown or ill-typed key \"%s\" (expected id, query, from, to, by, "
                               "k, carry, via, avoid, status, year, flow)",
                               key);
    return 0;
}

static int query_parse(bquery *q, const corridor_batch *b, const cJSON *root)
{
    int err = 0;
    memset(q, 0, sizeof *q);
    q->filter = b->base;
    q->by = CORRIDOR_BY_TIME;
    q->k = 3;
    if (!cJSON_IsObject(root))
        return corridor__error(CORRIDOR_EUSAGE, "a query is a JSON object");
    for (const cJSON *v = root->child; v; v = v->next)
        if ((err = query_key(q, v)) < 0)
            return err;
    q->filter.avoid = q->avoid;
    if (!q->kind)
        return corridor__error(CORRIDOR_EUSAGE,
                               "missing \"query\": route, flow, critical or matrix");
    int is_matrix = strcmp(q->kind, "matrix") == 0;
    if (is_matrix && (q->from || q->to)) /* a single place is a list of one */
        return corridor__error(CORRIDOR_EUSAGE, "matrix: \"from\" and \"to\" are arrays of places");
    if (!is_matrix && (q->from_list || q->to_list))
        return corridor__error(CORRIDOR_EUSAGE, "%s: \"from\" and \"to\" are places (strings)",
                               q->kind);
    if (is_matrix ? !q->n_from || !q->n_to : !q->from || !q->to)
        return corridor__error(CORRIDOR_EUSAGE, "%s needs \"from\" and \"to\"", q->kind);
    return 0;
}

/* ------------------------------------------------------------ answering */

/* The cache key of a route query's router. */
static char *filter_key(const bquery *q)
{
    cor_buf k;
    corridor__buf_init(&k);
    corridor__buf_printf(&k, "%d|%d|%d|%d", (int)q->by, (int)q->filter.status, q->filter.year,
                         (int)q->filter.carry);
    for (size_t i = 0; i < q->filter.n_avoid; i++) {
        corridor__buf_add(&k, "\x1f", 1);
        corridor__buf_puts(&k, q->avoid[i]);
    }
    if (!k.data)
        corridor__buf_puts(&k, "");
    return corridor__buf_take(&k);
}

/* The router for a query's filter and metric: a cached one or a new one. */
static int router_for(cor_router **out, corridor_batch *b, const bquery *q)
{
    int err = 0;
    char *key = filter_key(q);
    cached_router *slot = &b->cache[0];
    if (!key)
        return corridor__oom();
    b->clock++;
    for (int i = 0; i < ROUTER_CACHE; i++) {
        cached_router *c = &b->cache[i];
        if (c->key && strcmp(c->key, key) == 0) {
            c->last_use = b->clock;
            *out = c->r;
            free(key);
            return 0;
        }
        if (!c->key || (slot->key && c->last_use < slot->last_use))
            slot = c;
    }
    cache_clear(slot);
    slot->key = key;
    corridor_filter f = q->filter;
    if (!(slot->avoid = calloc(q->filter.n_avoid + 1, sizeof *slot->avoid))) {
        cache_clear(slot);
        return corridor__oom();
    }
    for (size_t i = 0; i < q->filter.n_avoid; i++, slot->n_avoid++)
        if (!(slot->avoid[i] = corridor__strdup(q->avoid[i]))) {
            cache_clear(slot);
            return corridor__oom();
        }
    f.avoid = (const char *const *)slot->avoid;
    if ((err = cor_router_new(&slot->r, b->m, &f, q->by)) < 0) {
        cache_clear(slot);
        return err;
    }
    slot->last_use = b->clock;
    *out = slot->r;
    return 0;
}

static int answer_route(char **text, corridor_batch *b, const bquery *q)
{
    cor_router *r = NULL;
    corridor_routes *rs = NULL;
    int err = router_for(&r, b, q);
    if (err == 0 && (err = cor_router_routes(&rs, r, q->from, q->to, q->k, q->via, q->n_via)) == 0)
        err = corridor_routes_json(text, rs);
    corridor_routes_free(rs);
    return err;
}

static int answer_matrix(char **text, const corridor_batch *b, const bquery *q)
{
    corridor_matrix_opts o = CORRIDOR_MATRIX_OPTS_INIT;
    corridor_matrix *mx = NULL;
    cor_buf out;
    corridor__buf_init(&out);
    o.filter = q->filter;
    o.by = q->by;
    int err = corridor_matrix_compute(&mx, b->m, q->from_list, q->n_from, q->to_list, q->n_to, &o);
    corridor__buf_puts(&out, "[");
    for (size_t i = 0; err == 0 && i < mx->n_from; i++) {
        char *row = NULL;
        if ((err = corridor_matrix_row_json(&row, mx, i)) == 0) {
            corridor__buf_puts(&out, i ? "," : "");
            corridor__buf_puts(&out, row);
        }
        corridor_free(row);
    }
    corridor__buf_puts(&out, "]");
    corridor_matrix_free(mx);
    if (err == 0 && !(*text = corridor__buf_take(&out)))
        err = CORRIDOR_ENOMEM;
    corridor__buf_free(&out);
    return err;
}

static int answer(char **text, corridor_batch *b, const bquery *q)
{
    int err = 0;
    if (strcmp(q->kind, "route") == 0) {
        if (q->by_flow)
            return corridor__error(CORRIDOR_EUSAGE, "\"flow\" goes with critical queries");
        return answer_route(text, b, q);
    }
    if (q->n_via && strcmp(q->kind, "route") != 0)
        return corridor__error(CORRIDOR_EUSAGE, "\"via\" goes with route queries");
    if (strcmp(q->kind, "flow") == 0) {
        corridor_flow_opts o = CORRIDOR_FLOW_OPTS_INIT;
        corridor_flow *f = NULL;
        o.filter = q->filter;
        if ((err = corridor_flow_max(&f, b->m, q->from, q->to, &o)) == 0)
            err = corridor_flow_json(text, f);
        corridor_flow_free(f);
        return err;
    }
    if (strcmp(q->kind, "critical") == 0) {
        corridor_critical_opts o = CORRIDOR_CRITICAL_OPTS_INIT;
        corridor_critical *k = NULL;
        o.filter = q->filter;
        o.by = q->by;
        o.by_flow = q->by_flow;
        if ((err = corridor_critical_rank(&k, b->m, q->from, q->to, &o)) == 0)
            err = corridor_critical_json(text, k);
        corridor_critical_free(k);
        return err;
    }
    if (strcmp(q->kind, "matrix") == 0)
        return answer_matrix(text, b, q);
    return corridor__error(CORRIDOR_EUSAGE,
                           "unknown query \"%s\" (expected route, flow, critical or matrix)",
                           q->kind);
}

int corridor_batch_answer(char **out, int *code, corridor_batch *b, const char *line, size_t len,
                          size_t lineno)
{
    cJSON *root = NULL;
    char *id = NULL, *text = NULL, *msg = NULL;
    bquery q;
    int err = 0, oom = 0;
    cor_buf ans;
    corridor__buf_init(&ans);
    memset(&q, 0, sizeof q);
    *out = NULL;
    *code = 0;

    int is_nul = 0;
    if (corridor__text_bad_byte(line, len, &is_nul) < len)
        err = corridor__error(CORRIDOR_EINVALID, "line %zu: %s", lineno,
                              is_nul ? "NUL byte in the query" : "invalid UTF-8 in the query");
    else if (!(root = cJSON_ParseWithLength(line, len)))
        err = corridor__error(CORRIDOR_EINVALID, "line %zu: not JSON", lineno);
    else {
        const cJSON *idv =
            cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "id") : NULL;
        if (idv && !(id = cJSON_PrintUnformatted(idv)))
            oom = 1;
        if ((err = query_parse(&q, b, root)) == 0)
            err = answer(&text, b, &q);
    }
    if (err < 0 && err != CORRIDOR_ENOMEM) {
        /* exit codes as the commands give them: 5 for a search limit, 4 for other failures */
        int limit =
            err == CORRIDOR_ELIMIT || strncmp(corridor_error_message(), "search limit", 12) == 0;
        *code = err >= CORRIDOR_EIO ? -err : limit ? 5 : 4;
        cJSON *m = cJSON_CreateString(corridor_error_message());
        if (!m || !(msg = cJSON_PrintUnformatted(m)))
            oom = 1;
        cJSON_Delete(m);
    }
    if (err == CORRIDOR_ENOMEM || oom) {
        err = corridor__oom();
        goto done;
    }
    corridor__buf_printf(&ans, "{\"id\":%s,\"line\":%zu,", id ? id : "null", lineno);
    if (text)
        corridor__buf_printf(&ans, "\"result\":%s}", text);
    else
        corridor__buf_printf(&ans, "\"error\":{\"exit\":%d,\"message\":%s}}", *code, msg);
    if (!(*out = corridor__buf_take(&ans)))
        err = CORRIDOR_ENOMEM;
    else
        err = 0;
done:
    corridor__buf_free(&ans);
    bquery_free(&q);
    cJSON_Delete(root);
    if (id)
        cJSON_free(id);
    if (msg)
        cJSON_free(msg);
    corridor_free(text);
    return err;
}
