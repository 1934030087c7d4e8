/* validate.c: `validate` of one file: a model or a scenario, told apart by its "format". */
#define _POSIX_C_SOURCE 200809L
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compiled.h"
#include "internal.h"
#include "json_internal.h"

/* 1 if root is a JSON object whose "format" is "corridor-scenario". */
static int is_scenario(const cJSON *root)
{
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    return cJSON_IsString(fmt) && strcmp(fmt->valuestring, "corridor-scenario") == 0;
}

void corridor_validation_clear(corridor_validation *v)
{
    if (!v)
        return;
    free(v->name);
    memset(v, 0, sizeof *v);
}

/* Fills *out from a loaded model. */
static int describe_model(corridor_validation *out, const corridor_model *model)
{
    out->name = corridor__strdup(corridor_model_name(model));
    out->nodes = model->n_nodes;
    out->edges = model->n_edges;
    return out->name ? 0 : corridor__oom();
}

/* A scenario: read, then applied to base_model so that its targets are checked. */
static int validate_scenario(corridor_validation *out, const char *text, size_t len,
                             const cJSON *root, const char *name, const char *base_model,
                             corridor_diags *diags)
{
    int err = 0;
    corridor_model *base = NULL, *applied = NULL;
    corridor_scenario *sc = NULL;
    if ((err = corridor__scenario_load_parsed(&sc, text, len, root, name, diags)) < 0)
        goto done;
    if ((err = corridor_model_open(&base, base_model ? base_model : "caspian", NULL)) < 0)
        goto done;
    if ((err = corridor_scenario_apply(&applied, base, sc, diags)) < 0)
        goto done;
    out->is_scenario = 1;
    out->edits = corridor_scenario_edit_count(sc);
    if (!(out->name = corridor__strdup(corridor_scenario_name(sc))))
        err = corridor__oom();
done:
    corridor_model_free(base);
    corridor_model_free(applied);
    corridor_scenario_free(sc);
    return err;
}

/* text[len] must be a NUL (as corridor__read_file leaves it). */
static int validate_text(corridor_validation *out, const char *text, size_t len, const char *name,
                         const char *base_model, corridor_diags *diags)
{
    int err = 0;
    corridor_model *model = NULL;
    if (len >= COR_CMP_MAGIC_LEN && memcmp(text, COR_CMP_MAGIC, COR_CMP_MAGIC_LEN) == 0) {
        /* a compiled model: loading it checks all of it but the stored routing network,
           which searches check when they take it */
        const char *why = NULL;
        if ((err = corridor_model_load_string(&model, text, len, name, diags)) == 0 &&
            (why = corridor__cmp_net_problem(model)) != NULL) {
            corridor__diag(diags, 0, name, NULL, COR_NET_DAMAGED, why);
            err = corridor__error(CORRIDOR_EINVALID, "%s: " COR_NET_DAMAGED, name, why);
        }
        if (err == 0)
            err = describe_model(out, model);
        corridor_model_free(model);
        return err;
    }
    /*
     * Parsed once, as both loaders parse, and the tree handed on. Text that
     * does not parse so goes to the loader that explains the error: the
     * scenario one if the text still reads as a scenario with anything after
     * it ignored.
     */
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1);
    int scenario = is_scenario(root);
    if (!root) {
        cJSON *lenient = cJSON_ParseWithLength(text, len);
        scenario = is_scenario(lenient);
        cJSON_Delete(lenient);
    }
    if (scenario)
        err = validate_scenario(out, text, len, root, name, base_model, diags);
    else if ((err = corridor__model_load_parsed(&model, text, len, root, name, diags)) == 0)
        err = describe_model(out, model);
    cJSON_Delete(root);
    corridor_model_free(model);
    return err;
}

/*
 * A failure that left no error in diags (the file cannot be read, an unknown
 * built-in name, out of memory) becomes one, so that the list says it all.
 */
static void note_failure(corridor_diags *diags, const char *name, int err)
{
    if (err >= 0 || !diags || corridor_diags_errors(diags) > 0)
        return;
    char msg[1024];
    const char *m = corridor_error_message();
    size_t n = strlen(name);
    if (strncmp(m, name, n) == 0 && strncmp(m + n, ": ", 2) == 0)
        m += n + 2;                     /* the message names the file already */
    snprintf(msg, sizeof msg, "%s", m); /* corridor__diag may overwrite the message */
    corridor__diag(diags, 0, name, NULL, "%s", msg);
    corridor__error(err, "%s: %s", name, msg);
}

/*
 * Time: O(size of the file), plus for a scenario loading the base model and
 * applying the edits.
 */
int corridor_validate_file(corridor_validation *out, const char *path, const char *base_model,
                           corridor_diags *diags)
{
    int err = 0;
    char *text = NULL;
    size_t len = 0;
    corridor_model *model = NULL;
    struct stat st;
    memset(out, 0, sizeof *out);
    if (stat(path, &st) != 0) {
        /* not a file: a built-in model name, or a missing file */
        if ((err = corridor_model_open(&model, path, diags)) == 0)
            err = describe_model(out, model);
    } else if ((err = corridor__read_file(&text, &len, path)) == 0) {
        err = validate_text(out, text, len, path, base_model, diags);
    }
    note_failure(diags, path, err);
    if (err < 0)
        corridor_validation_clear(out);
    free(text);
    corridor_model_free(model);
    return err;
}

int corridor_validate_string(corridor_validation *out, const char *text, size_t len,
                             const char *name, const char *base_model, corridor_diags *diags)
{
    int err = 0;
    memset(out, 0, sizeof *out);
    char *copy = corridor__strndup(text, len); /* the parsers want a NUL after the text */
    if (!copy)
        return corridor__oom();
    err = validate_text(out, copy, len, name, base_model, diags);
    note_failure(diags, name, err);
    if (err < 0)
        corridor_validation_clear(out);
    free(copy);
    return err;
}

int corridor_diags_json(char **out, const corridor_diags *diags)
{
    int err = 0;
    cJSON *root = cJSON_CreateArray();
    *out = NULL;
    if (!root)
        return corridor__oom();
    for (size_t i = 0; i < corridor_diags_count(diags) && err == 0; i++) {
        corridor_diag e;
        cJSON *o = cJSON_CreateObject();
        corridor_diags_entry(&e, diags, i);
        if ((err = cor_json_add(root, NULL, o)) < 0 ||
            (err = cor_json_str(o, "file", e.file)) < 0 ||
            (err = cor_json_str(o, "path", *e.path ? e.path : NULL)) < 0 ||
            (err = cor_json_str(o, "severity",
                                e.severity == CORRIDOR_SEVERITY_WARNING ? "warning" : "error")) <
                0 ||
            (err = cor_json_str(o, "message", e.message)) < 0)
            break;
        err = cor_json_str(o, "suggestion", *e.suggestion ? e.suggestion : NULL);
    }
    if (err < 0) {
        cJSON_Delete(root);
        return err;
    }
    return cor_json_finish(out, root);
}
