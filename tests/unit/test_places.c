/* test_places.c: coordinate places (corridor_place_snap) and shipped data found by name. */
#include "testutil.h"

#include <math.h>
#include <sys/stat.h>

/*
 * Four nodes on the equator, 1 degree of longitude apart (111.195 km on the
 * mean Earth sphere, 6371.0088 km): a at 0, b at 1, c at 2 (planned), d at 3
 * with no edge. A node named "1,1" has coordinates far away.
 */
static const char *const MODEL =
    "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"equator\","
    " \"nodes\": ["
    "  {\"id\": \"a\", \"kind\": \"city\", \"lat\": 0, \"lon\": 0},"
    "  {\"id\": \"b\", \"kind\": \"city\", \"lat\": 0, \"lon\": 1},"
    "  {\"id\": \"c\", \"kind\": \"city\", \"lat\": 0, \"lon\": 2, \"status\": \"planned\"},"
    "  {\"id\": \"d\", \"kind\": \"city\", \"lat\": 0, \"lon\": 3},"
    "  {\"id\": \"1,1\", \"kind\": \"city\", \"lat\": 50, \"lon\": 50}],"
    " \"edges\": ["
    "  {\"id\": \"ab\", \"from\": \"a\", \"to\": \"b\", \"mode\": \"road\", \"distance_km\": 111},"
    "  {\"id\": \"bc\", \"from\": \"b\", \"to\": \"c\", \"mode\": \"road\", \"distance_km\": 111,"
    "   \"status\": \"planned\"},"
    "  {\"id\": \"b1\", \"from\": \"b\", \"to\": \"1,1\", \"mode\": \"road\", \"distance_km\": "
    "9}]}";

#define DEG_KM (6371.0088 * 3.14159265358979323846 / 180)

static void test_snap_nearest_eligible(void **state)
{
    (void)state;
    corridor_model *m = test_model(MODEL);
    corridor_filter f = CORRIDOR_FILTER_INIT_ANY;
    corridor_snap s;
    /* 0.4 degrees east of a: a is nearest */
    assert_int_equal(corridor_place_snap(&s, m, "0,0.4", &f, 100), 1);
    assert_string_equal(s.node, "a");
    assert_true(fabs(s.km - 0.4 * DEG_KM) < 1e-6);
    /* near c, but c is planned: b (operational query) */
    assert_int_equal(corridor_place_snap(&s, m, " 0 , 2.1 ", &f, 200), 1);
    assert_string_equal(s.node, "b");
    assert_true(fabs(s.km - 1.1 * DEG_KM) < 1e-6);
    /* the planned network has c */
    f.status = CORRIDOR_STATUS_PLANNED;
    assert_int_equal(corridor_place_snap(&s, m, "0,2.1", &f, 200), 1);
    assert_string_equal(s.node, "c");
    /* d has no edge: never chosen, even on top of it; c is 1 degree away */
    assert_int_equal(corridor_place_snap(&s, m, "0,3", &f, 200), 1);
    assert_string_equal(s.node, "c");
    /* a tie (halfway between a and b) goes to the first in the model */
    assert_int_equal(corridor_place_snap(&s, m, "0,0.5", &f, 200), 1);
    assert_string_equal(s.node, "a");
    corridor_model_free(m);
}

static void test_snap_bounds_and_forms(void **state)
{
    (void)state;
    corridor_model *m = test_model(MODEL);
    corridor_filter f = CORRIDOR_FILTER_INIT_ANY;
    corridor_snap s = {0};
    /* beyond the bound: exit-3 error naming the nearest */
    assert_int_equal(corridor_place_snap(&s, m, "0,-1", &f, 100), CORRIDOR_EINVALID);
    assert_non_null(strstr(corridor_error_message(), "nearest: a"));
    assert_int_equal(corridor_place_snap(&s, m, "0,-1", &f, 112), 1);
    /* out of range */
    assert_int_equal(corridor_place_snap(&s, m, "-90.5,0", &f, 50), CORRIDOR_EINVALID);
    assert_int_equal(corridor_place_snap(&s, m, "0,180.01", &f, 50), CORRIDOR_EINVALID);
    /* not coordinates: left alone */
    s.node = NULL;
    assert_int_equal(corridor_place_snap(&s, m, "a", &f, 50), 0);
    assert_int_equal(corridor_place_snap(&s, m, "1,1", &f, 50), 0); /* a node's id */
    assert_int_equal(corridor_place_snap(&s, m, "1,2,3", &f, 50), 0);
    assert_int_equal(corridor_place_snap(&s, m, "1e3,2", &f, 50), 0);
    assert_int_equal(corridor_place_snap(&s, m, "nan,2", &f, 50), 0);
    assert_int_equal(corridor_place_snap(&s, m, ",", &f, 50), 0);
    assert_null(s.node);
    /* a bad bound */
    assert_int_equal(corridor_place_snap(&s, m, "0,0", &f, 0), CORRIDOR_EUSAGE);
    assert_int_equal(corridor_place_snap(&s, m, "0,0", &f, NAN), CORRIDOR_EUSAGE);
    /* the queries refuse unsnapped coordinates with a clear message */
    corridor_routes *rs = NULL;
    corridor_route_opts ro = CORRIDOR_ROUTE_OPTS_INIT;
    ro.filter.carry = CORRIDOR_CARRY_ANY;
    assert_int_equal(corridor_route_find(&rs, m, "0,0", "b", &ro), CORRIDOR_EINVALID);
    assert_non_null(strstr(corridor_error_message(), "corridor_place_snap"));
    corridor_model_free(m);
}

static void test_data_path(void **state)
{
    (void)state;
    char *p = NULL;
    char dir[] = "/tmp/corridor-data-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[64], file[96];
    snprintf(sub, sizeof sub, "%s/graphs", dir);
    snprintf(file, sizeof file, "%s/graphs/x-only-here.json", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
    setenv("CORRIDOR_DATA", dir, 1);
    assert_int_equal(corridor_data_path(&p, "graphs/x-only-here.json"), 0);
    assert_string_equal(p, file);
    corridor_free(p);
    assert_int_equal(corridor_data_path(&p, "graphs/nowhere.json"), CORRIDOR_EIO);
    assert_null(p);
    assert_non_null(strstr(corridor_error_message(), dir));
    assert_int_equal(corridor_data_path(&p, "../etc/passwd"), CORRIDOR_EUSAGE);
    assert_int_equal(corridor_data_path(&p, "/etc/passwd"), CORRIDOR_EUSAGE);
    assert_int_equal(corridor_data_path(&p, ""), CORRIDOR_EUSAGE);
    /* a folder is not a data file */
    assert_int_equal(corridor_data_path(&p, "graphs"), CORRIDOR_EIO);
    unsetenv("CORRIDOR_DATA");
    remove(file);
    rmdir(sub);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snap_nearest_eligible),
        cmocka_unit_test(test_snap_bounds_and_forms),
        cmocka_unit_test(test_data_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
