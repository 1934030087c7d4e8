/* demand.c: the demand table reader (CSV or JSON), its checks, and demand scaling. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign_internal.h"
#include "internal.h"

/*
 * Rules (docs/assignment.md):
 * - CSV: lines starting with '#' and blank lines are skipped; the first other
 *   line is the header and must name origin, destination, commodity and
 *   quantity (any order); optional columns: unit, tags (';'-separated), note,
 *   source. Other columns are a warning. Fields follow RFC 4180 quoting.
 * - JSON: {"format": "corridor-demand", "version": 1, "name": ..., "demand":
 *   [{"origin", "destination", "commodity", "quantity", "unit", "tags": []}]}
 *   or the bare array.
 * - A quantity is a finite number >= 0 per year in the model's unit of the
 *   commodity; `unit` may give another unit with a known factor (Mt/yr, kb/d).
 * - Two rows with the same origin, destination, commodity and tags are an
 *   error (a demand table is a matrix: say the sum once, or tag them apart).
 */

#define MAX_FIELDS 64

/* What json_text gives for a value of the wrong type (already reported). */
static const char wrong_type[] = "";

void corridor_demand_free(corridor_demand *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        cor_demand_row *r = &d->rows[i];
        free(r->origin);
        free(r->destination);
        for (size_t t = 0; t < r->n_tags; t++)
            free(r->tags[t]);
        free(r->tags);
        for (size_t t = 0; t < r->n_via; t++)
            free(r->via[t]);
        free(r->via);
    }
    free(d->rows);
    free(d->name);
    free(d);
}

size_t corridor_demand_count(const corridor_demand *d)
{
    return d ? d->n : 0;
}

double corridor_demand_total(const corridor_demand *d, corridor_commodity carry)
{
    double s = 0.0;
    for (size_t i = 0; d && i < d->n; i++)
        if (d->rows[i].carry == carry)
            s += d->rows[i].quantity;
    return s;
}

/* ------------------------------------------------------------ row checks */

/* Where a row's problems are reported: "FILE:LINE" (CSV) or "FILE" + "demand[i]" (JSON). */
typedef struct loc {
    const char *name;
    size_t line;  /* CSV line; 0 for JSON */
    size_t index; /* JSON array index */
    corridor_diags *d;
    size_t errors;
} loc;

static void problem(loc *l, int warning, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(loc *l, int warning, const char *key, const char *fmt, ...)
{
    char msg[900], src[512], path[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!warning)
        l->errors++;
    if (l->line) {
        snprintf(src, sizeof src, "%s:%zu", l->name, l->line);
        corridor__diag(l->d, warning, src, NULL, "%s", msg);
    } else {
        snprintf(path, sizeof path, "demand[%zu]%s%s", l->index, key ? "." : "", key ? key : "");
        corridor__diag(l->d, warning, l->name, path, "%s", msg);
    }
}

/* Factor from `unit` to the model's unit `model_unit`; 0 if unknown. */
static double unit_factor(const char *unit, const char *model_unit)
{
    static const struct {
        const char *from, *to;
        double f;
    } table[] = {{"t", "t/yr", 1},       {"t/yr", "t", 1},       {"Mt", "t/yr", 1e6},
                 {"Mt/yr", "t/yr", 1e6}, {"kt/yr", "t/yr", 1e3}, {"kt", "t/yr", 1e3},
                 {"kb/d", "bbl/d", 1e3}, {"mb/d", "bbl/d", 1e6}, {"bbl/d", "kb/d", 1e-3},
                 {"bcm", "bcm/yr", 1},   {"GW", "MW", 1e3},      {"Gbps", "Tbps", 1e-3}};
    if (corridor__strcaseeq(unit, model_unit))
        return 1.0;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(unit, table[i].from) == 0 && corridor__strcaseeq(model_unit, table[i].to))
            return table[i].f;
    return 0.0;
}

/* Canonical text of a place for duplicate detection: the node id or "country:XX". */
static char *place_key(const corridor_model *m, const char *place)
{
    size_t *nodes = NULL, n = 0;
    if (strncmp(place, "country:", 8) == 0) {
        char *k = corridor__strdup(place);
        for (char *p = k ? k + 8 : NULL; p && *p; p++)
            *p = (char)toupper((unsigned char)*p);
        return k;
    }
    if (corridor__place_resolve(&nodes, &n, m, place) < 0 || n != 1) {
        free(nodes);
        return corridor__strdup(place);
    }
    char *k = corridor__strdup(m->nodes[nodes[0]].id);
    free(nodes);
    return k;
}

/* The row being read, as strings; NULL = absent. */
typedef struct raw_row {
    const char *origin, *destination, *commodity, *quantity, *unit, *tags, *via;
    double qnum;  /* JSON: the number, if quantity is NULL */
    int has_qnum; /* JSON: quantity was a number */
} raw_row;

/* Appends the ';'-separated items of `list` (trimmed, empty ones skipped) to *items. */
static int split_list(char ***items, size_t *n, const char *list)
{
    const char *p = list;
    while (p && *p) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        if (len) {
            char **nt = realloc(*items, (*n + 1) * sizeof *nt);
            if (!nt)
                return corridor__oom();
            *items = nt;
            if (!(nt[*n] = corridor__strndup(p, len)))
                return corridor__oom();
            ++*n;
        }
        p = e ? e + 1 : NULL;
    }
    return 0;
}

/* Checks one place field; reports and returns 0 if it is bad. */
static int place_ok(loc *l, const corridor_model *m, const char *key, const char *place)
{
    if (place == wrong_type)
        return 0;
    if (!place || !*place) {
        problem(l, 0, key, "%s is empty: give a node id, a node name or country:XX", key);
        return 0;
    }
    if (corridor_place_check(m, place) < 0) {
        problem(l, 0, key, "%s: %s", key, corridor_error_message());
        return 0;
    }
    return 1;
}

/* Checks each place of a ';'-separated via list; reports bad ones. <0 on ENOMEM. */
static int via_ok(loc *l, const corridor_model *m, const char *list)
{
    char **items = NULL;
    size_t n = 0;
    int err = split_list(&items, &n, list);
    for (size_t i = 0; err == 0 && i < n; i++)
        place_ok(l, m, "via", items[i]);
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    return err;
}

/* Parses the quantity text or number into *q; reports and returns 0 if it is bad. */
static int quantity_ok(loc *l, const raw_row *raw, double *q)
{
    if (raw->has_qnum) {
        *q = raw->qnum;
    } else {
        char *end = NULL;
        const char *s = raw->quantity ? raw->quantity : "";
        errno = 0;
        *q = strtod(s, &end);
        while (end && isspace((unsigned char)*end))
            end++;
        if (!*s || end == s || *end) {
            problem(l, 0, "quantity", "quantity \"%s\" is not a number: give a number >= 0", s);
            return 0;
        }
    }
    if (!isfinite(*q) || *q < 0) {
        problem(l, 0, "quantity", "quantity %g is %s: give a finite number >= 0", *q,
                *q < 0 ? "negative" : "not finite");
        return 0;
    }
    return 1;
}

/* Checks and appends one row; problems are reported, and the row is not added if any. */
static int add_row(corridor_demand *d, const corridor_model *m, loc *l, const raw_row *raw)
{
    size_t before = l->errors;
    corridor_commodity carry = CORRIDOR_CARRY_FREIGHT;
    double q = 0, f = 1.0;
    int ok_o = place_ok(l, m, "origin", raw->origin);
    int ok_d = place_ok(l, m, "destination", raw->destination);
    if (raw->commodity == wrong_type)
        ;
    else if (!raw->commodity || corridor_commodity_parse(&carry, raw->commodity) < 0)
        problem(l, 0, "commodity",
                "unknown commodity \"%s\": give freight, oil, gas, power or data",
                raw->commodity ? raw->commodity : "");
    else if (raw->unit && *raw->unit) {
        const char *mu = corridor_model_unit(m, carry);
        if ((f = unit_factor(raw->unit, mu)) == 0.0)
            problem(l, 0, "unit", "unit \"%s\" is not the model's unit of %s (\"%s\"): give %s",
                    raw->unit, corridor_commodity_name(carry), mu, mu);
    }
    quantity_ok(l, raw, &q);
    if (raw->via && via_ok(l, m, raw->via) < 0)
        return corridor__oom();
    if (ok_o && ok_d && strcmp(raw->origin, raw->destination) == 0 && !(raw->via && *raw->via))
        problem(l, 0, NULL, "origin and destination are the same place \"%s\"", raw->origin);
    if (l->errors > before)
        return 0;
    if (d->n == d->cap) {
        size_t nc = d->cap ? 2 * d->cap : 64;
        cor_demand_row *nr = realloc(d->rows, nc * sizeof *nr);
        if (!nr)
            return corridor__oom();
        d->rows = nr;
        d->cap = nc;
    }
    cor_demand_row *r = &d->rows[d->n];
    memset(r, 0, sizeof *r);
    d->n++;
    r->carry = carry;
    r->quantity = q * f;
    r->line = l->line ? l->line : l->index + 1;
    if (!(r->origin = corridor__strdup(raw->origin)) ||
        !(r->destination = corridor__strdup(raw->destination)))
        return corridor__oom();
    int err = split_list(&r->tags, &r->n_tags, raw->tags);
    return err < 0 ? err : split_list(&r->via, &r->n_via, raw->via);
}

static int tag_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reports rows with the same origin, destination, commodity and tags as an earlier row. */
static int check_duplicates(corridor_demand *d, const corridor_model *m, loc *l)
{
    cor_map seen;
    char **keys = calloc(d->n + 1, sizeof *keys);
    int err = 0;
    corridor__map_init(&seen);
    if (!keys || corridor__map_reserve(&seen, d->n) < 0) {
        err = corridor__oom();
        goto done;
    }
    for (size_t i = 0; i < d->n; i++) {
        cor_demand_row *r = &d->rows[i];
        char *o = place_key(m, r->origin), *de = place_key(m, r->destination);
        cor_buf b;
        corridor__buf_init(&b);
        if (r->n_tags > 1)
            qsort(r->tags, r->n_tags, sizeof *r->tags, tag_cmp);
        corridor__buf_printf(&b, "%s\x1f%s\x1f%s", o ? o : "", de ? de : "",
                             corridor_commodity_name(r->carry));
        for (size_t t = 0; t < r->n_tags; t++)
            corridor__buf_printf(&b, "\x1f%s", r->tags[t]);
        corridor__buf_puts(&b, "\x1e");
        for (size_t t = 0; t < r->n_via; t++) {
            char *v = place_key(m, r->via[t]);
            corridor__buf_printf(&b, "\x1f%s", v ? v : "");
            free(v);
        }
        free(o);
        free(de);
        if (!(keys[i] = corridor__buf_take(&b))) {
            err = corridor__oom();
            goto done;
        }
        size_t first = 0;
        if (corridor__map_get(&seen, keys[i], &first)) {
            loc here = *l;
            if (l->line)
                here.line = r->line;
            else
                here.index = r->line - 1;
            problem(&here, 0, NULL,
                    "duplicate of %s %zu (same origin, destination, commodity, tags and via): "
                    "give the sum in one row, or tell them apart with tags",
                    l->line ? "line" : "demand item",
                    l->line ? d->rows[first].line : d->rows[first].line - 1);
            l->errors = here.errors;
        } else if (corridor__map_put(&seen, keys[i], i) < 0) {
            err = corridor__oom();
            goto done;
        }
    }
done:
    for (size_t i = 0; keys && i < d->n; i++)
        free(keys[i]);
    free(keys);
    corridor__map_free(&seen);
    return err;
}

/* ------------------------------------------------------------------- CSV */

/* Splits one CSV record starting at *p into fields (written into `buf`); advances *p. */
static void csv_record(const char **p, const char *end, char *buf, char **fields, size_t *nf,
                       size_t *lines, int *bad_quote, int *too_many)
{
    const char *s = *p;
    char *o = buf;
    *nf = 0;
    *bad_quote = 0;
    *too_many = 0;
    fields[(*nf)++] = o;
    while (s < end && *s != '\n') {
        if (*s == '"' && o == fields[*nf - 1]) {
            s++;
            for (;;) {
                if (s >= end) {
                    *bad_quote = 1;
                    break;
                }
                if (*s == '"' && s + 1 < end && s[1] == '"') {
                    *o++ = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    if (*s == '\n')
                        (*lines)++;
                    *o++ = *s++;
                }
            }
            continue;
        }
        if (*s == ',' && *nf == MAX_FIELDS) { /* too many: the rest joins the last field */
            *too_many = 1;
            *o++ = *s++;
            continue;
        }
        if (*s == ',') {
            *o++ = '\0';
            fields[(*nf)++] = o;
            s++;
            continue;
        }
        if (*s != '\r')
            *o++ = *s;
        s++;
    }
    *o = '\0';
    *p = s < end ? s + 1 : end;
    (*lines)++;
}

/* Trims spaces in place. */
static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

enum { COL_ORIGIN, COL_DEST, COL_COMMODITY, COL_QUANTITY, COL_UNIT, COL_TAGS, COL_VIA, COL_COUNT };

/* Reads the header: col[k] = field index of column k, or -1. */
static void csv_header(loc *l, char **fields, size_t nf, int *col)
{
    static const char *const names[COL_COUNT] = {"origin", "destination", "commodity", "quantity",
                                                 "unit",   "tags",        "via"};
    for (int k = 0; k < COL_COUNT; k++)
        col[k] = -1;
    for (size_t i = 0; i < nf; i++) {
        char *f = trim(fields[i]);
        int k = 0;
        for (; k < COL_COUNT && !corridor__strcaseeq(f, names[k]); k++)
            ;
        if (k < COL_COUNT && col[k] < 0)
            col[k] = (int)i;
        else if (k < COL_COUNT)
            problem(l, 0, NULL, "column \"%s\" appears twice", f);
        else if (!corridor__strcaseeq(f, "note") && !corridor__strcaseeq(f, "source"))
            problem(l, 1, NULL, "unknown column \"%s\" is ignored", f);
    }
    for (int k = 0; k < 4; k++)
        if (col[k] < 0)
            problem(l, 0, NULL,
                    "the header has no \"%s\" column: the first line must name origin, "
                    "destination, commodity and quantity",
                    names[k]);
}

static int load_csv(corridor_demand *d, const corridor_model *m, const char *text, size_t len,
                    loc *l)
{
    const char *p = text, *end = text + len;
    char *buf = malloc(len + 1);
    char *fields[MAX_FIELDS];
    int col[COL_COUNT], have_header = 0, err = 0;
    size_t line = 1;
    if (!buf)
        return corridor__oom();
    while (p < end && err == 0) {
        size_t nf = 0, start = line;
        int bad_quote = 0, too_many = 0;
        csv_record(&p, end, buf, fields, &nf, &line, &bad_quote, &too_many);
        l->line = start;
        if (too_many) {
            problem(l, 0, NULL, "more than %d fields", MAX_FIELDS);
            continue;
        }
        if (bad_quote) {
            problem(l, 0, NULL, "a quoted field is not closed: end it with '\"'");
            break;
        }
        char *first = trim(fields[0]);
        if ((nf == 1 && !*first) || *first == '#')
            continue;
        if (!have_header) {
            csv_header(l, fields, nf, col);
            have_header = 1;
            if (l->errors)
                break;
            continue;
        }
        raw_row raw;
        memset(&raw, 0, sizeof raw);
        const char **slot[COL_COUNT] = {&raw.origin,   &raw.destination, &raw.commodity,
                                        &raw.quantity, &raw.unit,        &raw.tags,
                                        &raw.via};
        for (int k = 0; k < COL_COUNT; k++)
            *slot[k] = col[k] >= 0 && (size_t)col[k] < nf ? trim(fields[col[k]]) : NULL;
        if (nf < 4 || !raw.quantity) {
            problem(l, 0, NULL,
                    "%zu field%s: a row needs origin, destination, commodity and "
                    "quantity",
                    nf, nf == 1 ? "" : "s");
            continue;
        }
        err = add_row(d, m, l, &raw);
    }
    if (!have_header && err == 0) {
        l->line = line > 1 ? line - 1 : 1;
        problem(l, 0, NULL,
                "no header: the first line must be origin,destination,commodity,"
                "quantity");
    }
    free(buf);
    l->line = 1; /* duplicates are located by their own lines */
    return err;
}

/* ------------------------------------------------------------------ JSON */

static const char *json_text(const cJSON *o, const char *key, loc *l)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || cJSON_IsNull(v))
        return NULL;
    if (!cJSON_IsString(v)) {
        problem(l, 0, key, "%s must be a string", key);
        return wrong_type;
    }
    return v->valuestring;
}

static int json_item(corridor_demand *d, const corridor_model *m, const cJSON *it, loc *l)
{
    static const char *const known[] = {"origin", "destination", "commodity", "quantity", "unit",
                                        "tags",   "via",         "note",      "source"};
    raw_row raw;
    cor_buf tags, via;
    int err = 0;
    memset(&raw, 0, sizeof raw);
    corridor__buf_init(&tags);
    corridor__buf_init(&via);
    if (!cJSON_IsObject(it)) {
        problem(l, 0, NULL, "a demand item must be an object");
        return 0;
    }
    for (const cJSON *c = it->child; c; c = c->next) {
        size_t k = 0;
        for (; k < sizeof known / sizeof known[0] && strcmp(c->string, known[k]) != 0; k++)
            ;
        if (k == sizeof known / sizeof known[0])
            problem(l, 1, c->string, "unknown key \"%s\" is ignored", c->string);
    }
    raw.origin = json_text(it, "origin", l);
    raw.destination = json_text(it, "destination", l);
    raw.commodity = json_text(it, "commodity", l);
    raw.unit = json_text(it, "unit", l);
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(it, "quantity");
    if (cJSON_IsNumber(q)) {
        raw.qnum = q->valuedouble;
        raw.has_qnum = 1;
    } else {
        raw.quantity = cJSON_IsString(q) ? q->valuestring : "";
    }
    const cJSON *tg = cJSON_GetObjectItemCaseSensitive(it, "tags");
    for (const cJSON *t = tg ? tg->child : NULL; t; t = t->next) {
        if (!cJSON_IsString(t) || strchr(t->valuestring, ';'))
            problem(l, 0, "tags", "tags must be strings without ';'");
        else
            corridor__buf_printf(&tags, "%s%s", tags.len ? ";" : "", t->valuestring);
    }
    if (tg && !cJSON_IsArray(tg))
        problem(l, 0, "tags", "tags must be an array of strings");
    raw.tags = tags.data;
    const cJSON *vi = cJSON_GetObjectItemCaseSensitive(it, "via");
    for (const cJSON *t = vi ? vi->child : NULL; t; t = t->next) {
        if (!cJSON_IsString(t) || strchr(t->valuestring, ';'))
            problem(l, 0, "via", "via must be place names without ';'");
        else
            corridor__buf_printf(&via, "%s%s", via.len ? ";" : "", t->valuestring);
    }
    if (vi && !cJSON_IsArray(vi))
        problem(l, 0, "via", "via must be an array of places");
    raw.via = via.data;
    err = add_row(d, m, l, &raw);
    corridor__buf_free(&tags);
    corridor__buf_free(&via);
    return err;
}

static int load_json(corridor_demand *d, const corridor_model *m, const char *text, size_t len,
                     loc *l)
{
    const char *endp = NULL;
    int err = 0;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &endp, 1);
    if (!root) {
        size_t off = endp ? (size_t)(endp - text) : 0, line = 1, colno = 1;
        corridor__line_col(text, off > len ? len : off, &line, &colno);
        char src[512];
        snprintf(src, sizeof src, "%s:%zu:%zu", l->name, line, colno);
        corridor__diag(l->d, 0, src, NULL, "not valid JSON here");
        l->errors++;
        return 0;
    }
    const cJSON *arr = root;
    if (cJSON_IsObject(root)) {
        const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
        if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "corridor-demand") != 0) {
            corridor__diag(l->d, 0, l->name, "format",
                           "not a demand table: \"format\" must be "
                           "\"corridor-demand\"");
            l->errors++;
            goto done;
        }
        arr = cJSON_GetObjectItemCaseSensitive(root, "demand");
    }
    if (!cJSON_IsArray(arr)) {
        corridor__diag(l->d, 0, l->name, "demand", "must be an array of demand items");
        l->errors++;
        goto done;
    }
    size_t i = 0;
    for (const cJSON *it = arr->child; it && err == 0; it = it->next, i++) {
        l->index = i;
        err = json_item(d, m, it, l);
    }
done:
    cJSON_Delete(root);
    return err;
}

/* ------------------------------------------------------------------ entry */

int corridor_demand_load_string(corridor_demand **out, const char *text, size_t len,
                                const char *name, const corridor_model *model,
                                corridor_diags *diags)
{
    corridor_demand *d = NULL;
    char *copy = NULL;
    int err = 0, is_nul = 0;
    loc l = {name ? name : "demand", 0, 0, diags, 0};
    *out = NULL;
    if (!text || !model)
        return corridor__error(CORRIDOR_EUSAGE, "a demand table needs text and a model");
    size_t bad = corridor__text_bad_byte(text, len, &is_nul);
    if (bad < len) {
        size_t line = 1, col = 1;
        corridor__line_col(text, bad, &line, &col);
        char src[512];
        snprintf(src, sizeof src, "%s:%zu", l.name, line);
        corridor__diag(diags, 0, src, NULL, "%s at byte %zu: save the file as UTF-8 text",
                       is_nul ? "NUL byte" : "invalid UTF-8", bad + 1);
        return corridor__error(CORRIDOR_EINVALID, "%s: line %zu: not UTF-8 text", l.name, line);
    }
    if (!(copy = corridor__strndup(text, len)) || !(d = calloc(1, sizeof *d)) ||
        !(d->name = corridor__strdup(l.name))) {
        err = corridor__oom();
        goto done;
    }
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        i = 3; /* a byte order mark */
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    if (i < len && (text[i] == '{' || text[i] == '['))
        err = load_json(d, model, copy, len, &l);
    else
        err = load_csv(d, model, copy + (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0),
                       len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? len - 3 : len, &l);
    if (err == 0 && l.errors == 0)
        err = check_duplicates(d, model, &l);
    if (err == 0 && l.errors)
        err = corridor__error(CORRIDOR_EINVALID, "%s: %zu problem%s in the demand table", l.name,
                              l.errors, l.errors == 1 ? "" : "s");
    if (err == 0) {
        *out = d;
        d = NULL;
    }
done:
    free(copy);
    corridor_demand_free(d);
    return err;
}

int corridor_demand_load_file(corridor_demand **out, const char *path, const corridor_model *model,
                              corridor_diags *diags)
{
    char *text = NULL;
    size_t len = 0;
    int err = corridor__read_file(&text, &len, path);
    *out = NULL;
    if (err < 0)
        return err;
    err = corridor_demand_load_string(out, text, len, path, model, diags);
    free(text);
    return err;
}

/* --------------------------------------------------------------- scaling */

/* One scaling rule: keys that must match (NULL = any) and a factor. */
typedef struct rule {
    char *commodity, *origin, *destination, *tag;
    double factor;
} rule;

static void rule_clear(rule *r)
{
    free(r->commodity);
    free(r->origin);
    free(r->destination);
    free(r->tag);
    memset(r, 0, sizeof *r);
}

static int rule_matches(const rule *r, const cor_demand_row *row)
{
    if (r->commodity && !corridor__strcaseeq(r->commodity, corridor_commodity_name(row->carry)))
        return 0;
    if (r->origin && strcmp(r->origin, "*") && !corridor__strcaseeq(r->origin, row->origin))
        return 0;
    if (r->destination && strcmp(r->destination, "*") &&
        !corridor__strcaseeq(r->destination, row->destination))
        return 0;
    if (r->tag) {
        size_t t = 0;
        for (; t < row->n_tags && !corridor__strcaseeq(r->tag, row->tags[t]); t++)
            ;
        if (t == row->n_tags)
            return 0;
    }
    return 1;
}

/* Sets one key of a rule; -1 if the key is unknown. */
static int rule_set(rule *r, const char *key, const char *val)
{
    char **slot = strcmp(key, "commodity") == 0     ? &r->commodity
                  : strcmp(key, "origin") == 0      ? &r->origin
                  : strcmp(key, "destination") == 0 ? &r->destination
                  : strcmp(key, "tag") == 0         ? &r->tag
                                                    : NULL;
    if (!slot)
        return -1;
    free(*slot);
    *slot = corridor__strdup(val);
    return *slot ? 0 : corridor__oom();
}

static int parse_factor(double *out, const char *s)
{
    char *end = NULL;
    errno = 0;
    *out = strtod(s, &end);
    return *s && end && !*end && isfinite(*out) && *out >= 0 ? 0 : -1;
}

int corridor_demand_scale(corridor_demand *d, const char *spec, size_t *matched)
{
    rule r;
    char *copy = NULL;
    int err = 0;
    size_t hit = 0;
    memset(&r, 0, sizeof r);
    if (matched)
        *matched = 0;
    if (!d || !spec)
        return corridor__error(CORRIDOR_EUSAGE, "scaling needs a demand table and a spec");
    if (!(copy = corridor__strdup(spec)))
        return corridor__oom();
    char *colon = strrchr(copy, ':'), *fac = copy;
    if (colon && strchr(copy, '=')) {
        *colon = '\0';
        fac = colon + 1;
        for (char *kv = strtok(copy, ","); kv; kv = strtok(NULL, ",")) {
            char *eq = strchr(kv, '=');
            if (!eq || (*eq = '\0', (err = rule_set(&r, trim(kv), trim(eq + 1))) == -1)) {
                err = corridor__error(CORRIDOR_EUSAGE,
                                      "scale \"%s\": \"%s\" is not KEY=VALUE with KEY commodity, "
                                      "origin, destination or tag",
                                      spec, kv);
                goto done;
            }
            if (err < 0)
                goto done;
        }
    }
    if (parse_factor(&r.factor, trim(fac)) < 0) {
        err = corridor__error(CORRIDOR_EUSAGE,
                              "scale \"%s\": give FACTOR or KEY=VALUE[,KEY=VALUE]:FACTOR with a "
                              "finite FACTOR >= 0",
                              spec);
        goto done;
    }
    if (r.commodity) {
        corridor_commodity c;
        if ((err = corridor_commodity_parse(&c, r.commodity)) < 0)
            goto done;
    }
    for (size_t i = 0; i < d->n; i++)
        if (rule_matches(&r, &d->rows[i])) {
            d->rows[i].quantity *= r.factor;
            hit++;
        }
    if (matched)
        *matched = hit;
done:
    rule_clear(&r);
    free(copy);
    return err;
}

/* Reads the rules of a scaling file; problems to diags. */
static int read_rules(rule **out, size_t *n, const cJSON *root, const char *path,
                      corridor_diags *diags, size_t *errors)
{
    static const char *const keys[] = {"commodity", "origin", "destination", "tag"};
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(root, "rules");
    char p[64];
    *out = NULL;
    *n = 0;
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "corridor-demand-scale") != 0) {
        corridor__diag(diags, 0, path, "format", "must be \"corridor-demand-scale\"");
        (*errors)++;
        return 0;
    }
    if (!cJSON_IsArray(rules)) {
        corridor__diag(diags, 0, path, "rules", "must be an array of rules");
        (*errors)++;
        return 0;
    }
    size_t cnt = (size_t)cJSON_GetArraySize(rules), i = 0;
    rule *rs = calloc(cnt + 1, sizeof *rs);
    if (!rs)
        return corridor__oom();
    *out = rs;
    for (const cJSON *it = rules->child; it; it = it->next, i++) {
        *n = i + 1;
        snprintf(p, sizeof p, "rules[%zu]", i);
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(it, "factor");
        if (!cJSON_IsNumber(f) || !isfinite(f->valuedouble) || f->valuedouble < 0) {
            corridor__diag(diags, 0, path, p, "\"factor\" must be a finite number >= 0");
            (*errors)++;
        } else {
            rs[i].factor = f->valuedouble;
        }
        for (size_t k = 0; k < 4; k++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, keys[k]);
            if (!v)
                continue;
            int err = cJSON_IsString(v) ? rule_set(&rs[i], keys[k], v->valuestring) : -1;
            if (err == -1) {
                corridor__diag(diags, 0, path, p, "\"%s\" must be a string", keys[k]);
                (*errors)++;
            } else if (err < 0) {
                return err;
            }
        }
        corridor_commodity c;
        if (rs[i].commodity && corridor_commodity_parse(&c, rs[i].commodity) < 0) {
            corridor__diag(diags, 0, path, p, "unknown commodity \"%s\"", rs[i].commodity);
            (*errors)++;
        }
    }
    return 0;
}

int corridor_demand_scale_file(corridor_demand *d, const char *path, corridor_diags *diags,
                               size_t *matched)
{
    char *text = NULL;
    size_t len = 0, n = 0, errors = 0, hit = 0;
    rule *rs = NULL;
    cJSON *root = NULL;
    int err = 0;
    if (matched)
        *matched = 0;
    if ((err = corridor__read_file(&text, &len, path)) < 0)
        return err;
    if (!(root = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1)) || !cJSON_IsObject(root)) {
        corridor__diag(diags, 0, path, NULL, "not a JSON object");
        errors++;
    } else if ((err = read_rules(&rs, &n, root, path, diags, &errors)) < 0) {
        goto done;
    }
    if (errors) {
        err = corridor__error(CORRIDOR_EINVALID, "%s: invalid demand scaling", path);
        goto done;
    }
    for (size_t i = 0; i < d->n; i++)
        for (size_t k = 0; k < n; k++)
            if (rule_matches(&rs[k], &d->rows[i])) {
                d->rows[i].quantity *= rs[k].factor;
                hit++;
                break;
            }
    if (matched)
        *matched = hit;
done:
    for (size_t k = 0; rs && k < n; k++)
        rule_clear(&rs[k]);
    free(rs);
    cJSON_Delete(root);
    free(text);
    return err;
}
