/* validate.c: `validate` of one file: a model or a scenario, told apart by its "format". */
#define _POSIX_C_SOURCE 200809L
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int corridor_validate_file(corridor_validation *out, const char *path, const char *base_model,
                           corridor_diags *diags)
{
    int err = 0;
    char *text = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    corridor_model *model = NULL, *base = NULL, *applied = NULL;
    corridor_scenario *sc = NULL;
    struct stat st;
    memset(out, 0, sizeof *out);

    if (stat(path, &st) != 0) {
        /* not a file: a built-in model name, or a missing file */
        if ((err = corridor_model_open(&model, path, diags)) < 0)
            goto done;
    } else {
        if ((err = corridor__read_file(&text, &len, path)) < 0)
            goto done;
        /*
         * Parsed once, as both loaders parse (read_file ends the text with a NUL),
         * and the tree handed on. Text that does not parse so goes to the loader
         * that explains the error: the scenario one if the text still reads as a
         * scenario with anything after it ignored.
         */
        root = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1);
        int scenario = is_scenario(root);
        if (!root) {
            cJSON *lenient = cJSON_ParseWithLength(text, len);
            scenario = is_scenario(lenient);
            cJSON_Delete(lenient);
        }
        if (scenario) {
            if ((err = corridor__scenario_load_parsed(&sc, text, len, root, path, diags)) < 0)
                goto done;
            if ((err = corridor_model_open(&base, base_model ? base_model : "caspian", NULL)) < 0)
                goto done;
            if ((err = corridor_scenario_apply(&applied, base, sc, diags)) < 0)
                goto done;
            out->is_scenario = 1;
            out->name = corridor__strdup(corridor_scenario_name(sc));
            out->count_a = corridor_scenario_edit_count(sc);
            if (!out->name)
                err = corridor__oom();
            goto done;
        }
        if ((err = corridor__model_load_parsed(&model, text, len, root, path, diags)) < 0)
            goto done;
    }
    out->name = corridor__strdup(corridor_model_name(model));
    out->count_a = model->n_nodes;
    out->count_b = model->n_edges;
    if (!out->name)
        err = corridor__oom();
done:
    if (err < 0)
        corridor_validation_clear(out);
    cJSON_Delete(root);
    free(text);
    corridor_model_free(model);
    corridor_model_free(base);
    corridor_model_free(applied);
    corridor_scenario_free(sc);
    return err;
}
