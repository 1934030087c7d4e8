/* fuzz_scenario.c: libFuzzer harness: the scenario loader, then applying it to the built-in model.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "corridor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static corridor_model *base;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    corridor_diags *d = NULL;
    corridor_scenario *s = NULL;
    corridor_model *m = NULL;
    if (!base && corridor_model_load_builtin(&base, "caspian", NULL) < 0)
        abort();
    if (corridor_diags_new(&d) < 0)
        return 0;
    if (corridor_scenario_load_string(&s, (const char *)data, size, "fuzz.json", d) == 0 &&
        corridor_scenario_apply(&m, base, s, d) == 0) {
        /* the changed model must answer queries like any loaded one */
        corridor_routes *r = NULL;
        corridor_route_opts ro = CORRIDOR_ROUTE_OPTS_INIT;
        ro.k = 2;
        corridor_route_find(&r, m, "Baku", "Aktau", &ro);
        corridor_routes_free(r);
    }
    corridor_model_free(m);
    corridor_scenario_free(s);
    corridor_diags_free(d);
    return 0;
}
