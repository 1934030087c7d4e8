/* od_file.c: reads origin-destination files ("from,to[,weight]" lines) for critical --od. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "od_file.h"

static int od_msg(char *msg, size_t size, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes one message line into msg and returns `code`. */
static int od_msg(char *msg, size_t size, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
    return code;
}

/* Splits "from,to[,weight]" in place; 0, or EXIT_INVALID with msg set. */
static int od_line(corridor_od_pair *p, char *line, const char *path, size_t lineno, char *msg,
                   size_t size)
{
    char *b = strchr(line, ',');
    if (!b)
        return od_msg(msg, size, EXIT_INVALID, "%s:%zu: expected from,to[,weight]", path, lineno);
    *b++ = '\0';
    char *w = strchr(b, ',');
    p->from = line;
    p->to = b;
    p->weight = 1;
    if (!w)
        return 0;
    *w++ = '\0';
    char *end;
    errno = 0;
    p->weight = strtod(w, &end);
    if (errno || end == w || *end || !(p->weight >= 0) || p->weight > CLI_OD_MAX_WEIGHT)
        return od_msg(msg, size, EXIT_INVALID,
                      "%s:%zu: weight \"%.40s\" is not a number from 0 to %g", path, lineno, w,
                      CLI_OD_MAX_WEIGHT);
    return 0;
}

int cli_od_parse(corridor_od_pair **out, size_t *n, char *text, size_t len, const char *path,
                 const corridor_model *model, char *msg, size_t size)
{
    int rc = 0;
    size_t lines = 1, k = 0, lineno = 0;
    corridor_od_pair *pairs = NULL;
    *out = NULL;
    *n = 0;
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        for (const char *p = text; p < nul; p++)
            lines += *p == '\n';
        return od_msg(msg, size, EXIT_INVALID, "%s:%zu: NUL byte in the line", path, lines);
    }
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    if (!(pairs = calloc(lines, sizeof *pairs)))
        return od_msg(msg, size, EXIT_IO, "out of memory");
    for (char *line = text, *next = NULL; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[--l] = '\0';
        if (l == 0 || line[0] == '#' || (lineno == 1 && strncmp(line, "from,", 5) == 0))
            continue;
        if ((rc = od_line(&pairs[k], line, path, lineno, msg, size)) != 0)
            goto done;
        int err = corridor_place_check(model, pairs[k].from);
        if (err == 0)
            err = corridor_place_check(model, pairs[k].to);
        if (err < 0) {
            rc = od_msg(msg, size, EXIT_INVALID, "%s:%zu: %s", path, lineno,
                        corridor_error_message());
            goto done;
        }
        k++;
    }
    if (k == 0) {
        rc = od_msg(msg, size, EXIT_INVALID, "%s: no pairs: expected lines from,to[,weight]", path);
        goto done;
    }
    *out = pairs;
    *n = k;
    pairs = NULL;
done:
    free(pairs);
    return rc;
}

/* Reads a whole file into one buffer of its size (plus a NUL); a pipe grows the buffer. */
static int od_slurp(char **out, size_t *len, const char *path, char *msg, size_t size)
{
    int rc = 0;
    struct stat st;
    int from_stdin = strcmp(path, "-") == 0; /* claimed by the caller (cli_claim_stdin) */
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, l = 0;
    *out = NULL;
    *len = 0;
    if (!f)
        return od_msg(msg, size, EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        rc =
            od_msg(msg, size, EXIT_IO, "%s: is a directory: give an OD file (lines from,to)", path);
        goto done;
    }
    cap = st.st_size > 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 4096;
    for (;;) {
        if (!buf || l + 1 >= cap) {
            size_t nc = buf ? cap * 2 : cap;
            char *nb = realloc(buf, nc);
            if (!nb) {
                rc = od_msg(msg, size, EXIT_IO, "out of memory");
                goto done;
            }
            buf = nb;
            cap = nc;
        }
        size_t r = fread(buf + l, 1, cap - l - 1, f);
        l += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        rc = od_msg(msg, size, EXIT_IO, "%s: cannot read: %s", path, strerror(errno));
        goto done;
    }
    buf[l] = '\0';
    *out = buf;
    *len = l;
    buf = NULL;
done:
    free(buf);
    if (!from_stdin)
        fclose(f);
    return rc;
}

int cli_od_read(corridor_od_pair **out, size_t *n, char **text, const char *path,
                const corridor_model *model, char *msg, size_t size)
{
    size_t len = 0;
    *out = NULL;
    *n = 0;
    int rc = od_slurp(text, &len, path, msg, size);
    if (rc != 0)
        return rc;
    if (len == 0)
        return od_msg(msg, size, EXIT_INVALID, "%s: empty file: expected lines from,to[,weight]",
                      path);
    return cli_od_parse(out, n, *text, len, path, model, msg, size);
}
