/* test_route_brute.c: corridor_route_find against brute force on random small multigraphs. */
#include "route_gen.h"

/* The answers for k = 1..6 and all four metrics must match brute force
 * (route_gen.h): the values, the count, and every returned route must be one
 * of the enumerated ones with the same totals. */

#define N_CASES 1000

static size_t stat_err[8], stat_routes; /* outcomes by -error code, routes compared */

static int dbl_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* ------------------------------------------------------------------- the test */

/* Runs one case; returns 1 if it was checked, 0 if skipped (too many routes). */
static int run_case(unsigned seed)
{
    brute_case bc;
    brute *b = &bc.b;
    const bcase *c = &bc.c;
    if (brute_setup(&bc, seed) < 0) {
        brute_teardown(&bc);
        return 0;
    }
    for (int by = 0; by < COR_NMET; by++) {
        double *vals = malloc((b->n_routes + 1) * sizeof *vals);
        for (size_t i = 0; i < b->n_routes; i++)
            vals[i] = b->routes[i].v[by];
        qsort(vals, b->n_routes, sizeof *vals, dbl_cmp);
        for (size_t k = 1; k <= 6; k++) {
            corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
            corridor_routes *res = NULL;
            o.filter = c->filter;
            o.by = (corridor_metric)by;
            o.k = k;
            o.via = bc.via;
            o.n_via = c->n_via;
            int err = corridor_route_find(&res, c->m, bc.from, bc.to, &o);
            int want = brute_want_error(&bc, 1u << by);
            if (err != want)
                fail_msg("seed %u by %d k %zu: %s -> %s (%zu via): got %d (%s), want %d with %zu "
                         "routes",
                         seed, by, k, bc.from, bc.to, c->n_via, err, corridor_error_message(), want,
                         b->n_routes);
            stat_err[-err]++;
            if (err) {
                assert_null(res);
                continue;
            }
            size_t want_n = b->n_routes < k ? b->n_routes : k;
            if (res->n != want_n)
                fail_msg("seed %u by %d k %zu: %zu routes, want %zu", seed, by, k, res->n, want_n);
            broute seen[6];
            for (size_t i = 0; i < res->n; i++) {
                const corridor_route *r = &res->routes[i];
                if (!close_enough(r->metric[by], vals[i]))
                    fail_msg("seed %u by %d k %zu: route %zu value %.17g, want %.17g", seed, by, k,
                             i + 1, r->metric[by], vals[i]);
                assert_int_equal(r->rank, i + 1);
                broute key;
                brute_route_of(&bc, r, &key, seed);
                for (size_t j = 0; j < i; j++)
                    if (broute_cmp(&seen[j], &key) == 0)
                        fail_msg("seed %u by %d k %zu: route %zu repeats route %zu", seed, by, k,
                                 i + 1, j + 1);
                seen[i] = key;
                stat_routes++;
            }
            corridor_routes_free(res);
        }
        free(vals);
    }
    brute_teardown(&bc);
    return 1;
}

static void test_brute(void **state)
{
    (void)state;
    unsigned checked = 0, seed = 1;
    while (checked < N_CASES)
        checked += (unsigned)run_case(seed++);
    print_message("checked %u random cases (seeds 1..%u): %zu answers with %zu routes, %zu no "
                  "route, %zu invalid, %zu usage\n",
                  checked, seed - 1, stat_err[0], stat_routes, stat_err[1], stat_err[3],
                  stat_err[2]);
    /* the generator must exercise every outcome, mostly real answers */
    assert_true(stat_err[0] > 6000 && stat_err[1] > 500 && stat_err[3] > 100 && stat_err[2] > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_brute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
