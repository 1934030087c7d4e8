/* testutil.h: shared helpers for the cmocka unit tests. */
#ifndef CORRIDOR_TESTUTIL_H
#define CORRIDOR_TESTUTIL_H

#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "corridor.h"

/* Loads a model from a JSON string; fails the test (printing diagnostics) if invalid. */
static inline corridor_model *test_model(const char *json)
{
    corridor_model *m = NULL;
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    int err = corridor_model_load_string(&m, json, strlen(json), "test", d);
    if (err != 0) {
        for (size_t i = 0; i < corridor_diags_count(d); i++)
            print_message("%s\n", corridor_diags_line(d, i));
        print_message("%s\n", corridor_error_message());
    }
    corridor_diags_free(d);
    assert_int_equal(err, 0);
    return m;
}

#endif
