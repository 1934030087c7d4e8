/* fuzz_model.c: libFuzzer harness: the model loader (JSON text), then info and the JSON export. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "corridor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    corridor_diags *d = NULL;
    corridor_model *m = NULL;
    corridor_info *info = NULL;
    char *json = NULL;
    if (corridor_diags_new(&d) < 0)
        return 0;
    if (corridor_model_load_string(&m, (const char *)data, size, "fuzz.json", d) == 0) {
        for (size_t i = 0; i < corridor_diags_count(d); i++)
            (void)corridor_diags_line(d, i);
        if (corridor_model_info(&info, m) == 0 && corridor_info_json(&json, info) == 0)
            corridor_free(json);
        corridor_info_free(info);
    }
    corridor_model_free(m);
    corridor_diags_free(d);
    return 0;
}
