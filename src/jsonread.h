/* jsonread.h: reading JSON into the model: a path stack, one message style, typed value readers. */
#ifndef CORRIDOR_JSONREAD_H
#define CORRIDOR_JSONREAD_H

#include <cjson/cJSON.h>

#include "schema.h"

/*
 * Models and scenarios are read through one cor_reader: it knows the JSON
 * path of what is being read and reports every problem as one line,
 * "SRC: PATH: message" (warnings "SRC: warning: PATH: message"), in one
 * style: `edges[3].mode: unknown mode "ferry"; expected one of: rail, ...`.
 * The path is rendered only when something is reported.
 */

#define JR_DEPTH 24
#define JR_QBUF  96

typedef struct cor_reader {
    const char *src;    /* prefixes every diagnostic */
    const char *prefix; /* starts every path ("edits[2]"), or NULL */
    corridor_diags *d;  /* may be NULL */
    int no_warnings;    /* report errors only */
    int keep_warnings;  /* collect warnings as "PATH: message" (models keep them) */
    size_t errors;
    int oom;
    char *first_error; /* "PATH: message" of the first error */
    char **warnings;
    size_t n_warnings, cap_warnings;
    struct {
        const char *key; /* NULL: an array index */
        size_t index;
    } path[JR_DEPTH];
    size_t depth;
} cor_reader;

/** An empty reader for `src` (not owned) reporting to d (may be NULL). */
void corridor__reader_init(cor_reader *r, const char *src, corridor_diags *d);
void corridor__reader_free(cor_reader *r);

/** Pushes ".key" / "[i]"; each returns the depth to give back to jr_pop. */
size_t jr_key(cor_reader *r, const char *key);
size_t jr_index(cor_reader *r, size_t i);
void jr_pop(cor_reader *r, size_t depth);
/** The current path as text ("nodes[3].capacity.oil"). */
const char *jr_path(const cor_reader *r, char *buf, size_t size);

/** One diagnostic at the current path. */
void jr_report(cor_reader *r, int warning, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define JR_ERR(r, ...)  jr_report(r, 0, __VA_ARGS__)
#define JR_WARN(r, ...) jr_report(r, 1, __VA_ARGS__)

/**
 * The error message after a read found r->errors errors:
 * "SRC: WHAT: first (and N more errors)"; returns CORRIDOR_EINVALID.
 */
int jr_invalid(const cor_reader *r, const char *what);

/** s quoted, escaped and cut to about 64 characters, into buf. */
const char *jr_quote(char *buf, size_t size, const char *s);
#define JR_Q(buf, s) jr_quote(buf, sizeof buf, s)
/** "a string (\"x\")", "a number (5)", "null", "an array", ... */
const char *jr_describe(char *buf, size_t size, const cJSON *v);
/** "expected EXPECTED, got DESCRIPTION" at the current path. */
void jr_type_error(cor_reader *r, const cJSON *v, const char *expected);
/** Copies s (ENOMEM noted in r->oom). */
char *jr_dup(cor_reader *r, const char *s);

/** 1 if v is absent or null. */
int jr_absent(const cJSON *v);

/**
 * Sorts the members of obj into f[] by `keys` (n of them; NULL keys are
 * skipped). A repeated key is an error, an unknown one a warning with a
 * "did you mean" among the keys.
 */
void jr_scan(cor_reader *r, const cJSON *obj, const char *const *keys, size_t n, const cJSON **f);
/** jr_scan over the JSON keys of a table. f has room for every row. */
void jr_scan_fields(cor_reader *r, const cJSON *obj, const cor_field *rows, size_t n,
                    const cJSON **f);

/** Index of s in v, or -1 after `unknown WHAT "s" (did you mean ...?); expected one of: ...`. */
int jr_enum(cor_reader *r, const char *s, const cor_vocab *v);

/** How a value is read: as a model gives it, or as a scenario sets or scales it. */
typedef enum cor_op { COR_OP_LOAD, COR_OP_SET, COR_OP_SCALE } cor_op;

/**
 * Reads member v of row f (its key is pushed here) into *out. `allowed`:
 * for a CF_CAPACITY row of an edge, the commodities the edge carries (0:
 * any). Returns 1 if read, 0 if absent (or null where that means absent),
 * -1 after a reported error. For COR_OP_SCALE every number is a factor in
 * [0, COR_MAX_SCALE]. The caller frees *out with corridor__value_free.
 */
int corridor__read_value(cor_reader *r, const cor_field *f, const cJSON *v, cor_op op,
                         unsigned allowed, cor_value *out);

/**
 * The checks every JSON input gets before its tree is read: not empty
 * (`what` names the expected object: "corridor-model"), no NUL byte, valid
 * UTF-8, JSON syntax (explained where cJSON stopped: "FILE:LINE:COL:
 * invalid JSON: ..."), no \u0000 inside a string. With parsed NULL the text
 * is parsed here (text[len] must be a readable NUL if `terminated`; else it
 * is copied) and *root is the caller's to delete; otherwise *root is NULL
 * and `parsed` is what gets read. Returns 1 if the tree may be read, 0 after
 * a reported problem, or CORRIDOR_ENOMEM. Time: O(len).
 */
int corridor__json_text(cor_reader *r, const char *text, size_t len, int terminated,
                        const char *what, const cJSON *parsed, cJSON **root);

/**
 * Checks "format" (must be `format`; `other`, the other file kind, gets the
 * hint "this is a OTHER_NOUN: load it with OTHER_OPTION") and "version" (1).
 * Returns 0 to read on, -1 (reported) if the file is nothing this reads.
 */
int corridor__json_header(cor_reader *r, const cJSON *root, const char *format, const char *other,
                          const char *other_noun, const char *other_option);

/**
 * Checks text[0..len) for a `\u0000` escape (a NUL inside a JSON string,
 * which cJSON would silently cut the string at). Returns its offset, or len.
 * The text must be JSON that cJSON accepted (escapes only occur in strings).
 */
size_t corridor__json_nul_escape(const char *text, size_t len);

#endif
