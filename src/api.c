/* api.c: options initialisers and version checks, element type names. */
#include <string.h>

#include "internal.h"

const char *corridor_element_type_name(corridor_element_type t)
{
    return t == CORRIDOR_ELEMENT_NODE ? "node" : "edge";
}

/* Only the current version is read: an older struct is smaller or laid out
 * otherwise (see "Options versions" in corridor.h), so reading it as the
 * current one could read past its end. */
int corridor__check_version(int got, int want, const char *what)
{
    if (got == want)
        return 0;
    if (got > 0 && got < want)
        return corridor__error(CORRIDOR_EUSAGE,
                               "%s: version %d is from an older corridor.h (its layout changed; "
                               "this library reads version %d only); recompile against this "
                               "corridor.h and initialise it with its _INIT macro or _init "
                               "function",
                               what, got, want);
    return corridor__error(CORRIDOR_EUSAGE,
                           "%s: unknown version %d (this library knows version %d); initialise "
                           "it with its _INIT macro or _init function",
                           what, got, want);
}

int corridor__check_filter(const corridor_filter *f)
{
    return corridor__check_version(f->version, CORRIDOR_FILTER_VERSION, "corridor_filter");
}

int corridor__check_budget(const corridor_budget *b)
{
    return b ? corridor__check_version(b->version, CORRIDOR_BUDGET_VERSION, "corridor_budget") : 0;
}

/* Defines corridor_NAME_init(TYPE *opts, int version) from TYPE's _INIT macro. */
#define OPTS_INIT_FN(fn, type, init, ver)                                                          \
    int fn(type *opts, int version)                                                                \
    {                                                                                              \
        const type defaults = init;                                                                \
        int err = corridor__check_version(version, ver, #type);                                    \
        if (err < 0)                                                                               \
            return err;                                                                            \
        memcpy(opts, &defaults, sizeof defaults);                                                  \
        return 0;                                                                                  \
    }

OPTS_INIT_FN(corridor_filter_init, corridor_filter, CORRIDOR_FILTER_INIT, CORRIDOR_FILTER_VERSION)
OPTS_INIT_FN(corridor_route_opts_init, corridor_route_opts, CORRIDOR_ROUTE_OPTS_INIT,
             CORRIDOR_ROUTE_OPTS_VERSION)
OPTS_INIT_FN(corridor_flow_opts_init, corridor_flow_opts, CORRIDOR_FLOW_OPTS_INIT,
             CORRIDOR_FLOW_OPTS_VERSION)
OPTS_INIT_FN(corridor_critical_opts_init, corridor_critical_opts, CORRIDOR_CRITICAL_OPTS_INIT,
             CORRIDOR_CRITICAL_OPTS_VERSION)
OPTS_INIT_FN(corridor_analyze_opts_init, corridor_analyze_opts, CORRIDOR_ANALYZE_OPTS_INIT,
             CORRIDOR_ANALYZE_OPTS_VERSION)
OPTS_INIT_FN(corridor_render_opts_init, corridor_render_opts, CORRIDOR_RENDER_OPTS_INIT,
             CORRIDOR_RENDER_OPTS_VERSION)
OPTS_INIT_FN(corridor_export_opts_init, corridor_export_opts, CORRIDOR_EXPORT_OPTS_INIT,
             CORRIDOR_EXPORT_OPTS_VERSION)
