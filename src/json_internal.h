/* json_internal.h: shared JSON code: reader entry points (loader, scenarios, validate) and writers.
 */
#ifndef CORRIDOR_JSON_INTERNAL_H
#define CORRIDOR_JSON_INTERNAL_H

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

/**
 * corridor_model_load_string for a caller that parsed the text already:
 * `root` is what cJSON_ParseWithLengthOpts(text, len + 1, &end, 1) gave, or
 * NULL to parse here (text[len] must then be a NUL, as corridor__read_file
 * leaves it). The text is still checked for NUL bytes, invalid UTF-8 and
 * \u0000 escapes first: same results and diagnostics. root stays the
 * caller's to delete, but the loader deletes the elements of its "nodes",
 * "edges", ... arrays as it reads them (peak memory: the tree shrinks as the
 * model grows); read nothing else from root afterwards.
 */
int corridor__model_load_parsed(corridor_model **out, const char *text, size_t len, cJSON *root,
                                const char *name, corridor_diags *diags);

/** The same for corridor_scenario_load_string (root NULL: parsed here). */
int corridor__scenario_load_parsed(corridor_scenario **out, const char *text, size_t len,
                                   const cJSON *root, const char *name, corridor_diags *diags);

/** Where corridor__model_add_json reports, and what it found. */
typedef struct cor_add_ctx {
    const char *src;    /* in: starts every diagnostic (the file) */
    const char *prefix; /* in: JSON path of the arrays' parent, e.g. "edits[2]"; may be "" */
    corridor_diags *d;  /* in: may be NULL */
    int warnings;       /* in: 0 reports errors only (an earlier check reported the warnings) */
    size_t errors;      /* out: the number of errors; nothing was added if any */
    char first[1024];   /* out: the first error as "PATH: message", or "" */
} cor_add_ctx;

/**
 * Reads `nodes` and `edges` (arrays in the model format; either may be NULL)
 * with the model loader's own rules and appends them to `m`: their ids must
 * be new to the model, "from", "to", "country" and "corridors" resolve
 * against the model and the nodes added with them. Diagnostics read
 * "SRC: PREFIX.nodes[0].kind: message". All or nothing: with any error the
 * model is unchanged. With m NULL only each element's own fields are checked
 * (no ids or references are looked up) and nothing is added.
 * Returns 0 (see ctx->errors) or CORRIDOR_ENOMEM (the model is unchanged).
 * Time: O(added elements), plus O(|model|) once for a "did you mean".
 */
int corridor__model_add_json(corridor_model *m, const cJSON *nodes, const cJSON *edges,
                             cor_add_ctx *ctx);

/* ------------------------------------------------- writing answers as JSON */

/** Adds `item` to object `obj` under `key` (or to an array if key is NULL); frees it on failure. */
static inline int cor_json_add(cJSON *obj, const char *key, cJSON *item)
{
    if (!item)
        return corridor__oom();
    cJSON_bool ok = key ? cJSON_AddItemToObject(obj, key, item) : cJSON_AddItemToArray(obj, item);
    if (!ok) {
        cJSON_Delete(item);
        return corridor__oom();
    }
    return 0;
}

static inline int cor_json_str(cJSON *obj, const char *key, const char *s)
{
    return cor_json_add(obj, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

/**
 * A result number rounded to 12 significant digits (sums of decimal figures
 * carry binary noise: 342.80799999999965), or null when it is not finite.
 * For answers only: exports keep every digit.
 */
static inline int cor_json_num(cJSON *obj, const char *key, double v)
{
    if (!isfinite(v))
        return cor_json_add(obj, key, cJSON_CreateNull());
    char buf[32];
    snprintf(buf, sizeof buf, "%.12g", v);
    return cor_json_add(obj, key, cJSON_CreateNumber(strtod(buf, NULL)));
}

/** An array of strings under `key`. */
static inline int cor_json_strings(cJSON *obj, const char *key, const char *const *s, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    int err = cor_json_add(obj, key, arr);
    for (size_t i = 0; err == 0 && i < n; i++)
        err = cor_json_str(arr, NULL, s[i]);
    return err;
}

static inline int cor_json_bool(cJSON *obj, const char *key, int v)
{
    return cor_json_add(obj, key, cJSON_CreateBool(v ? 1 : 0));
}

/** Prints `root` (which it deletes) into a malloc'd string for the caller (corridor_free). */
static inline int cor_json_finish(char **out, cJSON *root)
{
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!text)
        return corridor__oom();
    *out = corridor__strdup(text);
    cJSON_free(text);
    return *out ? 0 : corridor__oom();
}

#endif
