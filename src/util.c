/* util.c: error messages, strings, buffers, files, id maps and diagnostics. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static _Thread_local char last_error[1024];

const char *corridor_error_message(void)
{
    return last_error;
}

int corridor__error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return code;
}

int corridor__oom(void)
{
    return corridor__error(CORRIDOR_ENOMEM, "out of memory");
}

void corridor_free(void *ptr)
{
    free(ptr);
}

char *corridor__strdup(const char *s)
{
    return s ? corridor__strndup(s, strlen(s)) : NULL;
}

char *corridor__strndup(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

char *corridor__asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *r = malloc((size_t)n + 1);
    if (!r)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(r, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return r;
}

int corridor__strcaseeq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

size_t corridor__edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    if (lb > 255 || la > 255)
        return cap + 1;
    size_t row[256];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0], best = i;
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub =
                prev + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t v = row[j - 1] + 1 < cur + 1 ? row[j - 1] + 1 : cur + 1;
            row[j] = sub < v ? sub : v;
            prev = cur;
            if (row[j] < best)
                best = row[j];
        }
        if (best > cap)
            return cap + 1;
    }
    return row[lb] > cap ? cap + 1 : row[lb];
}

const char *corridor__suggest(const char *word, const char *const *cands, size_t n)
{
    size_t len = strlen(word);
    size_t cap = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = cap + 1;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i])
            continue;
        size_t d = corridor__edit_distance(word, cands[i], cap);
        if (d < best_d || (d == best_d && best && strcmp(cands[i], best) < 0)) {
            best_d = d;
            best = cands[i];
        }
    }
    return best_d <= cap ? best : NULL;
}

/* ----------------------------------------------------------------- buffers */

void corridor__buf_init(cor_buf *b)
{
    memset(b, 0, sizeof *b);
}

void corridor__buf_free(cor_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void corridor__buf_add(cor_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) {
            b->failed = 1;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void corridor__buf_puts(cor_buf *b, const char *s)
{
    corridor__buf_add(b, s, strlen(s));
}

void corridor__buf_printf(cor_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        corridor__buf_add(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    corridor__buf_add(b, big, (size_t)n);
    free(big);
}

char *corridor__buf_take(cor_buf *b)
{
    if (b->failed) {
        corridor__buf_free(b);
        corridor__oom();
        return NULL;
    }
    if (!b->data)
        corridor__buf_add(b, "", 0);
    if (b->failed) {
        corridor__buf_free(b);
        corridor__oom();
        return NULL;
    }
    char *r = b->data;
    memset(b, 0, sizeof *b);
    return r;
}

/* ------------------------------------------------------------------- files */

int corridor__read_file(char **out, size_t *len, const char *path)
{
    struct stat st;
    char *data = NULL;
    size_t cap = 0, l = 0;
    int err = 0;
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return corridor__error(CORRIDOR_EIO, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return corridor__error(CORRIDOR_EIO, "%s: is a directory: give a file", path);
    }
    /* one buffer of the file's size (plus the NUL); only a pipe or a growing file grows it */
    cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
    for (;;) {
        if (!data || l + 1 >= cap) {
            size_t nc = data ? cap * 2 : cap;
            char *nd = realloc(data, nc);
            if (!nd) {
                err = corridor__oom();
                goto done;
            }
            data = nd;
            cap = nc;
        }
        size_t n = fread(data + l, 1, cap - l - 1, f);
        l += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        err = corridor__error(CORRIDOR_EIO, "%s: cannot read: %s", path, strerror(errno));
        goto done;
    }
    data[l] = '\0';
    *out = data;
    *len = l;
    data = NULL;
done:
    free(data);
    fclose(f);
    return err;
}

/* -------------------------------------------------------------------- text */

/* Length of the valid UTF-8 sequence at p (at most `left` bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
    unsigned c = p[0];
    size_t n;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, min = 0x10000;
    else
        return 0;
    if (left < n)
        return 0;
    unsigned cp = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

size_t corridor__text_bad_byte(const char *text, size_t len, int *is_nul)
{
    const unsigned char *p = (const unsigned char *)text;
    *is_nul = 0;
    for (size_t i = 0; i < len;) {
        /* fast path: 8 bytes of ASCII without NUL */
        if (len - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (!(w & 0x8080808080808080ull) &&
                !((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull)) {
                i += 8;
                continue;
            }
        }
        if (p[i] == 0) {
            *is_nul = 1;
            return i;
        }
        size_t n = utf8_len(p + i, len - i);
        if (!n)
            return i;
        i += n;
    }
    return len;
}

void corridor__line_col(const char *text, size_t off, size_t *line, size_t *col)
{
    size_t l = 1, start = 0;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n')
            l++, start = i + 1;
    *line = l;
    *col = off - start + 1;
}

/* -------------------------------------------------------------------- maps */

uint64_t corridor__map_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void corridor__map_init(cor_map *m)
{
    memset(m, 0, sizeof *m);
}

void corridor__map_free(cor_map *m)
{
    if (!m->view) {
        free(m->keys);
        free(m->vals);
    }
    memset(m, 0, sizeof *m);
}

void corridor__map_view(cor_map *m, size_t *slots, size_t cap, size_t len, const char *base,
                        size_t stride)
{
    memset(m, 0, sizeof *m);
    m->vals = slots;
    m->cap = cap;
    m->len = len;
    m->view_base = base;
    m->view_stride = stride;
    m->view = 1;
}

/* The key of slot j of a view; NULL if empty. */
static const char *view_key(const cor_map *m, size_t j)
{
    size_t v = m->vals[j];
    return v == SIZE_MAX ? NULL : *(const char *const *)(m->view_base + v * m->view_stride);
}

/* Moves the entries into a table of `cap` slots (a power of two, more than len). */
static int map_resize(cor_map *m, size_t cap)
{
    const char **keys = calloc(cap, sizeof *keys);
    size_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return CORRIDOR_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = corridor__map_hash(m->keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

int corridor__map_reserve(cor_map *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 64;
    if (n > SIZE_MAX / 4 / sizeof *m->vals)
        return CORRIDOR_ENOMEM;
    while (cap < 2 * n) /* put keeps the table at most half full */
        cap *= 2;
    return n == 0 || cap == m->cap ? 0 : map_resize(m, cap);
}

int corridor__map_put(cor_map *m, const char *key, size_t val)
{
    if (m->view)
        return CORRIDOR_EINTERNAL; /* a compiled model's table is read-only */
    if ((m->len + 1) * 2 > m->cap && map_resize(m, m->cap ? m->cap * 2 : 64) < 0)
        return CORRIDOR_ENOMEM;
    size_t j = corridor__map_hash(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0)
            return 0;
        j = (j + 1) & (m->cap - 1);
    }
    m->keys[j] = key;
    m->vals[j] = val;
    m->len++;
    return 1;
}

int corridor__map_get(const cor_map *m, const char *key, size_t *val)
{
    if (!m->cap || !key)
        return 0;
    size_t j = corridor__map_hash(key) & (m->cap - 1);
    if (m->view) {
        for (const char *k; (k = view_key(m, j)); j = (j + 1) & (m->cap - 1))
            if (strcmp(k, key) == 0) {
                if (val)
                    *val = m->vals[j];
                return 1;
            }
        return 0;
    }
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0) {
            if (val)
                *val = m->vals[j];
            return 1;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return 0;
}

/* ------------------------------------------------------------- diagnostics */

int corridor_diags_new(corridor_diags **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : corridor__oom();
}

static void diag_clear(cor_diag *e)
{
    free(e->line);
    free(e->file);
    free(e->path);
    free(e->message);
    free(e->suggestion);
}

void corridor_diags_free(corridor_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        diag_clear(&d->items[i]);
    free(d->items);
    free(d);
}

int corridor__diags_move(corridor_diags *to, corridor_diags *from)
{
    if (to && from->n) {
        if (to->n + from->n > to->cap) {
            size_t cap = to->n + from->n;
            cor_diag *items = realloc(to->items, cap * sizeof *items);
            if (!items)
                return corridor__oom();
            to->items = items;
            to->cap = cap;
        }
        memcpy(to->items + to->n, from->items, from->n * sizeof *from->items);
        to->n += from->n;
        from->n = 0;
    }
    if (to)
        to->errors += from->errors;
    for (size_t i = 0; i < from->n; i++)
        diag_clear(&from->items[i]);
    from->n = from->errors = 0;
    return 0;
}

size_t corridor_diags_count(const corridor_diags *d)
{
    return d ? d->n : 0;
}

size_t corridor_diags_errors(const corridor_diags *d)
{
    return d ? d->errors : 0;
}

const char *corridor_diags_line(const corridor_diags *d, size_t i)
{
    return d && i < d->n ? d->items[i].line : NULL;
}

int corridor_diags_is_warning(const corridor_diags *d, size_t i)
{
    return d && i < d->n ? d->items[i].warning : 0;
}

int corridor_diags_entry(corridor_diag *out, const corridor_diags *d, size_t i)
{
    if (!d || i >= d->n)
        return corridor__error(CORRIDOR_EUSAGE, "no diagnostic %zu", i);
    const cor_diag *e = &d->items[i];
    out->severity = e->warning ? CORRIDOR_SEVERITY_WARNING : CORRIDOR_SEVERITY_ERROR;
    out->file = e->file;
    out->path = e->path;
    out->message = e->message;
    out->suggestion = e->suggestion;
    return 0;
}

/*
 * Splits a message into what is wrong and how to fix it: the fix follows the
 * first "; " ("unknown mode \"air\"; expected one of: ..."), or is a trailing
 * " (did you mean ...)" clause.
 */
static int split_message(cor_diag *e, const char *msg)
{
    const char *semi = strstr(msg, "; ");
    const char *dym = strstr(msg, " (did you mean ");
    size_t len = strlen(msg);
    if (semi) {
        e->message = corridor__strndup(msg, (size_t)(semi - msg));
        e->suggestion = corridor__strdup(semi + 2);
    } else if (dym && msg[len - 1] == ')') {
        e->message = corridor__strndup(msg, (size_t)(dym - msg));
        e->suggestion = corridor__strndup(dym + 2, len - (size_t)(dym - msg) - 3);
    } else {
        e->message = corridor__strdup(msg);
        e->suggestion = corridor__strdup("");
    }
    return e->message && e->suggestion ? 0 : -1;
}

void corridor__diag(corridor_diags *d, int warning, const char *src, const char *path,
                    const char *fmt, ...)
{
    if (!d)
        return;
    if (!warning)
        d->errors++;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        cor_diag *items = realloc(d->items, cap * sizeof *items);
        if (!items)
            return;
        d->items = items;
        d->cap = cap;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cor_diag e;
    memset(&e, 0, sizeof e);
    e.warning = (unsigned char)(warning != 0);
    if (path && *path)
        e.line = corridor__asprintf("%s: %s%s: %s", src, warning ? "warning: " : "", path, msg);
    else
        e.line = corridor__asprintf("%s: %s%s", src, warning ? "warning: " : "", msg);
    e.file = corridor__strdup(src ? src : "");
    e.path = corridor__strdup(path ? path : "");
    if (!e.line || !e.file || !e.path || split_message(&e, msg) < 0) {
        diag_clear(&e);
        return;
    }
    d->items[d->n++] = e;
}
