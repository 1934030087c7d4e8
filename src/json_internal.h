/* json_internal.h: entry points shared by the JSON readers (model loader, scenarios, validate). */
#ifndef CORRIDOR_JSON_INTERNAL_H
#define CORRIDOR_JSON_INTERNAL_H

#include <cjson/cJSON.h>

#include "internal.h"

/**
 * corridor_model_load_string for a caller that parsed the text already:
 * `root` is what cJSON_ParseWithLengthOpts(text, len + 1, &end, 1) gave, or
 * NULL to parse here (text[len] must then be a NUL, as corridor__read_file
 * leaves it). The text is still checked for NUL bytes and invalid UTF-8
 * first: same results and diagnostics. root stays the caller's.
 */
int corridor__model_load_parsed(corridor_model **out, const char *text, size_t len,
                                const cJSON *root, const char *name, corridor_diags *diags);

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

#endif
