/* assign_internal.h: the demand table's layout, shared by the reader (demand.c) and assignment. */
#ifndef CORRIDOR_ASSIGN_INTERNAL_H
#define CORRIDOR_ASSIGN_INTERNAL_H

#include <stddef.h>

#include "internal.h"

/** One demand row: a quantity per year between two places, in the model's unit. */
typedef struct cor_demand_row {
    char *origin, *destination; /* as written */
    char **tags;                /* may be empty */
    size_t n_tags;
    char **via; /* places to pass, in order (route --via semantics); may be empty */
    size_t n_via;
    corridor_commodity carry;
    double quantity;
    size_t line; /* CSV line, or JSON array index + 1 */
} cor_demand_row;

struct corridor_demand {
    char *name; /* where it came from, for messages */
    cor_demand_row *rows;
    size_t n, cap;
};

#endif
