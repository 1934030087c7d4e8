/* fuzz_demand.c: libFuzzer harness for the demand table reader (CSV and JSON) and scaling specs.
 *
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude tests/fuzz/fuzz_demand.c \
 *       build/fuzz/libcorridor.a $(pkg-config --libs igraph libcgraph libgvc libcjson) -lm
 *   ./a.out tests/fuzz/corpus/demand -max_total_time=60
 *
 * The input is a demand table checked against a small built-in model (ids, names, a country);
 * a loaded table is then scaled and assigned, so that every row the reader accepts also goes
 * through the solver.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "corridor.h"

static const char model_json[] =
    "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"fuzz\","
    " \"countries\": [{\"code\": \"KZ\", \"name\": \"Kazakhstan\"}, {\"code\": \"AZ\", \"name\": "
    "\"Azerbaijan\"}],"
    " \"nodes\": [{\"id\": \"a\", \"name\": \"Alpha\", \"kind\": \"city\", \"country\": \"KZ\"},"
    "  {\"id\": \"b\", \"kind\": \"port\", \"country\": \"KZ\", \"capacity\": {\"freight\": 100},"
    "   \"dwell\": {\"time_h\": 2}, \"transfer\": {\"time_h\": 5}},"
    "  {\"id\": \"c\", \"kind\": \"port\", \"country\": \"AZ\"},"
    "  {\"id\": \"d\", \"kind\": \"city\", \"country\": \"AZ\"}],"
    " \"edges\": ["
    "  {\"id\": \"ab\", \"from\": \"a\", \"to\": \"b\", \"mode\": \"rail\", \"time_h\": 3,"
    "   \"capacity\": {\"freight\": 50}},"
    "  {\"id\": \"ab2\", \"from\": \"a\", \"to\": \"b\", \"mode\": \"road\", \"time_h\": 2,"
    "   \"capacity\": {\"freight\": 20}},"
    "  {\"id\": \"bc\", \"from\": \"b\", \"to\": \"c\", \"mode\": \"sea\", \"time_h\": 10,"
    "   \"capacity\": {\"freight\": 80}},"
    "  {\"id\": \"cd\", \"from\": \"c\", \"to\": \"d\", \"mode\": \"rail\", \"time_h\": 4},"
    "  {\"id\": \"oil\", \"from\": \"a\", \"to\": \"d\", \"mode\": \"pipeline\", \"carries\": "
    "[\"oil\"], \"time_h\": 30, \"capacity\": {\"oil\": 10}}]}";

static corridor_model *model;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    corridor_demand *d = NULL;
    corridor_diags *dg = NULL;
    corridor_assignment *a = NULL;
    if (!model &&
        corridor_model_load_string(&model, model_json, strlen(model_json), "fuzz", NULL) != 0)
        __builtin_trap();
    if (corridor_diags_new(&dg) != 0)
        return 0;
    if (corridor_demand_load_string(&d, (const char *)data, size, "fuzz", model, dg) == 0) {
        corridor_demand_scale(d, "tag=t:2", NULL);
        corridor_demand_scale(d, "0.5", NULL);
        corridor_assign_opts o = CORRIDOR_ASSIGN_OPTS_INIT;
        o.max_iter = 20;
        o.keep_paths = 1;
        if (corridor_assign(&a, model, d, &o) == 0) {
            char *json = NULL;
            if (corridor_assignment_json(&json, a) == 0)
                corridor_free(json);
        }
        corridor_assignment_free(a);
    }
    for (size_t i = 0; i < corridor_diags_count(dg); i++)
        (void)corridor_diags_line(dg, i);
    corridor_demand_free(d);
    corridor_diags_free(dg);
    return 0;
}
