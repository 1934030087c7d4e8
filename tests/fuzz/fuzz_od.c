/* fuzz_od.c: libFuzzer harness: the OD file reader of `critical --od`, then the ranking itself. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "corridor.h"
#include "od_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static corridor_model *base;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    corridor_od_pair *pairs = NULL;
    corridor_od_result *res = NULL;
    size_t n = 0;
    char msg[512];
    char *text = malloc(size + 1);
    if (!base && corridor_model_load_builtin(&base, "caspian", NULL) < 0)
        abort();
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (cli_od_parse(&pairs, &n, text, size, "fuzz.csv", base, msg, sizeof msg) == 0 && n <= 8 &&
        corridor_critical_od(&res, base, pairs, n, NULL, NULL, NULL) == 0) {
        char *json = NULL;
        if (corridor_od_result_json(&json, res) == 0)
            corridor_free(json);
    }
    corridor_od_result_free(res);
    free(pairs);
    free(text);
    return 0;
}
