/* test_route.c: route options on small hand-checked models (values worked out in the comments). */
#include "testutil.h"

#include <cJSON.h>
#include <igraph.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "network.h"

/*
 * The model (times in h; cost, distance, co2 in the same order below):
 *
 *   east --rail/1520-- border ==rail/1520 (30 h)== aktau ~~ferry (20 h)~~ alat --rail/1520-- ganja
 *                            \==road (16 h)======/      ~~roro (30 h)~~~     \                 |
 *   field --pipeline (oil, oneway)--> aktau             ~~tanker (oil)~~      \--(planned 2029)--
 * west rail/1435      rail/1435
 *
 *   node    country  dwell (time, cost)  transfer (time, cost, co2)
 *   east    KZ       -                   -
 *   border  KZ       8 h, 40 USD         -
 *   aktau   KZ       -                   24 h, 150 USD, 5 kg
 *   field   KZ       -                   -
 *   alat    AZ       -                   12 h, 90 USD
 *   ganja   AZ       -                   6 h, 30 USD     (break of gauge 1520 -> 1435)
 *   west    AZ       -                   -
 *
 *   edge               mode      time  cost  dist  co2  corridors
 *   east-border        rail/1520  10   300   300  150   middle
 *   border-aktau       rail/1520  30  1000   900  400   middle
 *   border-aktau-road  road       16  2500   950 1400   north
 *   aktau-alat-ferry   sea        20   700   450  150   middle
 *   aktau-alat-roro    sea        30   500   450  120   -
 *   alat-ganja         rail/1520   8   360   360  180   middle
 *   ganja-west         rail/1435   5   200   200  100   middle
 *   field-aktau-oil    pipeline    4    60   300   10   oil (oneway, carries oil)
 *   aktau-alat-tanker  sea        36   900   450  300   oil (carries oil)
 *   alat-west-new      rail/1435   9   450   400  200   middle (planned, opens 2029)
 */
static const char *const MODEL =
    "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"route test\","
    " \"countries\": [{\"code\": \"KZ\", \"name\": \"Kazakhstan\"},"
    "                 {\"code\": \"AZ\", \"name\": \"Azerbaijan\"}],"
    " \"corridors\": [{\"id\": \"middle\", \"name\": \"Middle\"}, {\"id\": \"north\", \"name\": "
    "\"North\"},"
    "                 {\"id\": \"oil\", \"name\": \"Oil\"}],"
    " \"nodes\": ["
    "  {\"id\": \"east\", \"name\": \"East Terminal\", \"kind\": \"rail-terminal\", \"country\": "
    "\"KZ\"},"
    "  {\"id\": \"border\", \"name\": \"Border Post\", \"kind\": \"border\", \"country\": \"KZ\","
    "   \"dwell\": {\"time_h\": 8, \"cost_usd\": 40}},"
    "  {\"id\": \"aktau\", \"name\": \"Aktau Port\", \"kind\": \"port\", \"country\": \"KZ\","
    "   \"transfer\": {\"time_h\": 24, \"cost_usd\": 150, \"co2_kg\": 5}},"
    "  {\"id\": \"field\", \"name\": \"Oil Field\", \"kind\": \"field\", \"country\": \"KZ\"},"
    "  {\"id\": \"alat\", \"name\": \"Alat Port\", \"kind\": \"port\", \"country\": \"AZ\","
    "   \"transfer\": {\"time_h\": 12, \"cost_usd\": 90}},"
    "  {\"id\": \"ganja\", \"name\": \"Ganja\", \"kind\": \"junction\", \"country\": \"AZ\","
    "   \"transfer\": {\"time_h\": 6, \"cost_usd\": 30}},"
    "  {\"id\": \"west\", \"name\": \"West Terminal\", \"kind\": \"rail-terminal\", \"country\": "
    "\"AZ\"}],"
    " \"edges\": ["
    "  {\"id\": \"east-border\", \"from\": \"east\", \"to\": \"border\", \"mode\": \"rail\", "
    "\"gauge\": 1520,"
    "   \"corridors\": [\"middle\"], \"time_h\": 10, \"cost_usd\": 300, \"distance_km\": 300, "
    "\"co2_kg\": 150},"
    "  {\"id\": \"border-aktau\", \"from\": \"border\", \"to\": \"aktau\", \"mode\": \"rail\", "
    "\"gauge\": 1520,"
    "   \"corridors\": [\"middle\"], \"time_h\": 30, \"cost_usd\": 1000, \"distance_km\": 900, "
    "\"co2_kg\": 400},"
    "  {\"id\": \"border-aktau-road\", \"from\": \"border\", \"to\": \"aktau\", \"mode\": "
    "\"road\","
    "   \"corridors\": [\"north\"], \"time_h\": 16, \"cost_usd\": 2500, \"distance_km\": 950, "
    "\"co2_kg\": 1400},"
    "  {\"id\": \"aktau-alat-ferry\", \"from\": \"aktau\", \"to\": \"alat\", \"mode\": \"sea\","
    "   \"corridors\": [\"middle\"], \"time_h\": 20, \"cost_usd\": 700, \"distance_km\": 450, "
    "\"co2_kg\": 150},"
    "  {\"id\": \"aktau-alat-roro\", \"from\": \"aktau\", \"to\": \"alat\", \"mode\": \"sea\","
    "   \"time_h\": 30, \"cost_usd\": 500, \"distance_km\": 450, \"co2_kg\": 120},"
    "  {\"id\": \"alat-ganja\", \"from\": \"alat\", \"to\": \"ganja\", \"mode\": \"rail\", "
    "\"gauge\": 1520,"
    "   \"corridors\": [\"middle\"], \"time_h\": 8, \"cost_usd\": 360, \"distance_km\": 360, "
    "\"co2_kg\": 180},"
    "  {\"id\": \"ganja-west\", \"from\": \"ganja\", \"to\": \"west\", \"mode\": \"rail\", "
    "\"gauge\": 1435,"
    "   \"corridors\": [\"middle\"], \"time_h\": 5, \"cost_usd\": 200, \"distance_km\": 200, "
    "\"co2_kg\": 100},"
    "  {\"id\": \"field-aktau-oil\", \"from\": \"field\", \"to\": \"aktau\", \"mode\": "
    "\"pipeline\","
    "   \"carries\": [\"oil\"], \"oneway\": true, \"corridors\": [\"oil\"],"
    "   \"time_h\": 4, \"cost_usd\": 60, \"distance_km\": 300, \"co2_kg\": 10},"
    "  {\"id\": \"aktau-alat-tanker\", \"from\": \"aktau\", \"to\": \"alat\", \"mode\": \"sea\","
    "   \"carries\": [\"oil\"], \"corridors\": [\"oil\"],"
    "   \"time_h\": 36, \"cost_usd\": 900, \"distance_km\": 450, \"co2_kg\": 300},"
    "  {\"id\": \"alat-west-new\", \"from\": \"alat\", \"to\": \"west\", \"mode\": \"rail\", "
    "\"gauge\": 1435,"
    "   \"corridors\": [\"middle\"], \"time_h\": 9, \"cost_usd\": 450, \"distance_km\": 400, "
    "\"co2_kg\": 200,"
    "   \"status\": \"planned\", \"opens\": 2029}]}";

static corridor_model *model;

/* cmocka 1.1 compares floats only: doubles within `eps`. */
#define assert_double_equal(a, b, eps)                                                             \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%s = %.17g, want %.17g", #a, a_, b_);                                        \
    } while (0)

static int setup(void **state)
{
    (void)state;
    model = test_model(MODEL);
    return model ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    corridor_model_free(model);
    return 0;
}

/* Runs a query; returns the error code and the routes (NULL on error). */
static int find(corridor_routes **out, const char *from, const char *to, corridor_metric by,
                size_t k, const corridor_route_opts *base)
{
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    if (base)
        o = *base;
    o.by = by;
    o.k = k;
    *out = NULL;
    int err = corridor_route_find(out, model, from, to, &o);
    if (err)
        assert_null(*out);
    return err;
}

static void assert_edges(const corridor_route *r, const char *const *edges, size_t n)
{
    assert_int_equal(r->n_edges, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(r->hops[i].edge, edges[i]);
}

static void assert_values(const corridor_routes *rs, corridor_metric by, const double *v, size_t n)
{
    assert_int_equal(rs->n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rs->routes[i].rank, i + 1);
        assert_double_equal(rs->routes[i].metric[by], v[i], 1e-9);
    }
}

/*
 * east -> west by time, operational: four routes (road or rail to aktau, times
 * ferry or roro). Each pays border dwell 8, aktau transfer 24 (into sea),
 * alat 12 (sea -> rail/1520), ganja 6 (gauge 1520 -> 1435): 50 h.
 *   road + ferry: 10 + 16 + 20 + 8 + 5 = 59 + 50 = 109
 *   road + roro:  10 + 16 + 30 + 8 + 5 = 69 + 50 = 119
 *   rail + ferry: 10 + 30 + 20 + 8 + 5 = 73 + 50 = 123
 *   rail + roro:  10 + 30 + 30 + 8 + 5 = 83 + 50 = 133
 * k = 10 gives the four, in that order.
 */
static void test_transfer_gauge_dwell(void **state)
{
    (void)state;
    corridor_routes *rs = NULL;
    assert_int_equal(find(&rs, "east", "west", CORRIDOR_BY_TIME, 10, NULL), 0);
    const double want[] = {109, 119, 123, 133};
    assert_values(rs, CORRIDOR_BY_TIME, want, 4);

    const corridor_route *r = &rs->routes[0];
    const char *const e1[] = {"east-border", "border-aktau-road", "aktau-alat-ferry", "alat-ganja",
                              "ganja-west"};
    assert_edges(r, e1, 5);
    /* cost: 300 + 2500 + 700 + 360 + 200 = 4060, + border 40 + aktau 150 + alat 90 + ganja 30 */
    assert_double_equal(r->metric[CORRIDOR_BY_COST], 4370, 1e-9);
    /* distance never includes dwell or transfer */
    assert_double_equal(r->metric[CORRIDOR_BY_DISTANCE], 2260, 1e-9);
    /* co2: 150 + 1400 + 150 + 180 + 100 = 1980, + aktau transfer 5 */
    assert_double_equal(r->metric[CORRIDOR_BY_CO2], 1985, 1e-9);

    assert_int_equal(r->n_nodes, 6);
    const char *const nodes[] = {"east", "border", "aktau", "alat", "ganja", "west"};
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(r->nodes[i], nodes[i]);
    assert_string_equal(r->node_names[2], "Aktau Port");
    assert_string_equal(r->hops[1].from, "border");
    assert_string_equal(r->hops[1].to, "aktau");
    assert_int_equal(r->hops[1].mode, CORRIDOR_MODE_ROAD);
    assert_int_equal(r->hops[4].gauge, 1435);
    assert_double_equal(r->hops[2].metric[CORRIDOR_BY_TIME], 20, 0);

    /* every change of class is a transfer, also where it costs nothing (border) */
    assert_int_equal(r->n_transfers, 4);
    const char *const tr[4][3] = {{"border", "rail/1520", "road"},
                                  {"aktau", "road", "sea"},
                                  {"alat", "sea", "rail/1520"},
                                  {"ganja", "rail/1520", "rail/1435"}};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(r->transfers[i].node, tr[i][0]);
        assert_string_equal(r->transfers[i].from_class, tr[i][1]);
        assert_string_equal(r->transfers[i].to_class, tr[i][2]);
    }
    assert_int_equal(r->n_countries, 2);
    assert_string_equal(r->countries[0], "KZ");
    assert_string_equal(r->countries[1], "AZ");
    assert_int_equal(r->borders, 1);
    /* corridors in order of first use: east-border (middle), the road (north) */
    assert_int_equal(r->n_corridors, 2);
    assert_string_equal(r->corridors[0], "middle");
    assert_string_equal(r->corridors[1], "north");

    /* the rail route: border is no transfer (rail/1520 both sides) */
    assert_int_equal(rs->routes[2].n_transfers, 3);
    assert_int_equal(rs->routes[2].n_corridors, 1);
    corridor_routes_free(rs);
}

/*
 * By cost the two ferries are two routes: rail + roro 300 + 1000 + 500 + 360 +
 * 200 = 2360 + penalties 310 = 2670; rail + ferry 2560 + 310 = 2870.
 */
static void test_parallel_edges(void **state)
{
    (void)state;
    corridor_routes *rs = NULL;
    assert_int_equal(find(&rs, "east", "west", CORRIDOR_BY_COST, 2, NULL), 0);
    const double want[] = {2670, 2870};
    assert_values(rs, CORRIDOR_BY_COST, want, 2);
    assert_string_equal(rs->routes[0].hops[2].edge, "aktau-alat-roro");
    assert_string_equal(rs->routes[1].hops[2].edge, "aktau-alat-ferry");
    /* the same nodes, distinct edge sequences */
    for (size_t i = 0; i < rs->routes[0].n_nodes; i++)
        assert_string_equal(rs->routes[0].nodes[i], rs->routes[1].nodes[i]);
    corridor_routes_free(rs);
}

/*
 * Oil: field -> alat is field-aktau-oil (4) + aktau transfer pipeline -> sea
 * (24) + tanker (36) = 64. The pipeline is oneway: alat -> field has no route.
 * Freight cannot leave the field at all.
 */
static void test_oneway_pipeline(void **state)
{
    (void)state;
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    o.filter.carry = CORRIDOR_CARRY_OIL;
    corridor_routes *rs = NULL;
    assert_int_equal(find(&rs, "field", "alat", CORRIDOR_BY_TIME, 3, &o), 0);
    const double want[] = {64};
    assert_values(rs, CORRIDOR_BY_TIME, want, 1);
    assert_int_equal(rs->carry, CORRIDOR_CARRY_OIL);
    corridor_routes_free(rs);

    assert_int_equal(find(&rs, "alat", "field", CORRIDOR_BY_TIME, 3, &o), CORRIDOR_ENOTFOUND);
    assert_non_null(strstr(corridor_error_message(), "no route from \"alat\" to \"field\""));

    assert_int_equal(find(&rs, "field", "alat", CORRIDOR_BY_TIME, 3, NULL), CORRIDOR_ENOTFOUND);
    assert_string_equal(corridor_error_message(),
                        "no route from \"field\" to \"alat\" for "
                        "freight: nothing carries freight from \"field\"");
}

/*
 * alat-west-new (planned, opens 2029) gives east -> west by road + ferry +
 * alat-west-new: 10 + 16 + 20 + 9 = 55, + border 8 + aktau 24 + alat 12
 * (sea -> rail/1435) = 99, when it is included.
 */
static void test_status_and_year(void **state)
{
    (void)state;
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    corridor_routes *rs = NULL;
    struct {
        corridor_status status;
        int year;
        double best;
    } cases[] = {{CORRIDOR_STATUS_OPERATIONAL, 0, 109},
                 {CORRIDOR_STATUS_CONSTRUCTION, 0, 109},
                 {CORRIDOR_STATUS_PLANNED, 0, 99},
                 {CORRIDOR_STATUS_OPERATIONAL, 2028, 109},
                 {CORRIDOR_STATUS_OPERATIONAL, 2029, 99}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        o.filter.status = cases[i].status;
        o.filter.year = cases[i].year;
        assert_int_equal(find(&rs, "east", "west", CORRIDOR_BY_TIME, 1, &o), 0);
        assert_double_equal(rs->routes[0].metric[CORRIDOR_BY_TIME], cases[i].best, 1e-9);
        corridor_routes_free(rs);
    }
}

/*
 * Via. With 2030 rail, west -> alat is alat-west-new (9). Via ganja, each leg
 * on its own: west -> ganja is ganja-west (5) or alat-west-new + alat-ganja
 * (9 + alat 1435 -> 1520 transfer 12 + 8 = 29); ganja -> alat is alat-ganja
 * (8) or ganja-west + alat-west-new (5 + 9 = 14). Totals, with ganja's
 * transfer (6) where the class changes there:
 *   5 + 6 + 8 = 19;  5 + 0 + 14 = 19;  29 + 0 + 8 = 37;  29 + 6 + 14 = 49.
 * A round trip east -> east via aktau: legs may meet again. Going by road
 * both ways: 10 + 8 + 16 + 16 + 8 + 10 = 68 (no transfer at aktau, road ->
 * road); rail both ways 96; road one way and rail the other pay aktau's 24:
 * 10 + 8 + 16 + 24 + 30 + 8 + 10 = 106, twice.
 */
static void test_via(void **state)
{
    (void)state;
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    corridor_routes *rs = NULL;
    o.filter.year = 2030;
    assert_int_equal(find(&rs, "west", "alat", CORRIDOR_BY_TIME, 1, &o), 0);
    assert_double_equal(rs->routes[0].metric[CORRIDOR_BY_TIME], 9, 1e-9);
    corridor_routes_free(rs);

    const char *via[] = {"ganja"};
    o.via = via;
    o.n_via = 1;
    assert_int_equal(find(&rs, "west", "alat", CORRIDOR_BY_TIME, 5, &o), 0);
    const double want[] = {19, 19, 37, 49};
    assert_values(rs, CORRIDOR_BY_TIME, want, 4);
    /* one of the two 19s is ganja-west + alat-ganja with the gauge transfer at ganja */
    size_t i = rs->routes[0].n_edges == 2 ? 0 : 1;
    const char *const e19[] = {"ganja-west", "alat-ganja"};
    assert_edges(&rs->routes[i], e19, 2);
    assert_int_equal(rs->routes[i].n_transfers, 1);
    assert_string_equal(rs->routes[i].transfers[0].node, "ganja");
    /* the other comes back through west: west -> ganja, then ganja -> west -> alat */
    const char *const e19b[] = {"ganja-west", "ganja-west", "alat-west-new"};
    assert_edges(&rs->routes[1 - i], e19b, 3);
    corridor_routes_free(rs);

    const char *via2[] = {"Aktau Port"}; /* a node name works as a place */
    corridor_route_opts r = CORRIDOR_ROUTE_OPTS_INIT;
    r.via = via2;
    r.n_via = 1;
    assert_int_equal(find(&rs, "east", "east", CORRIDOR_BY_TIME, 10, &r), 0);
    const double trip[] = {68, 96, 106, 106};
    assert_values(rs, CORRIDOR_BY_TIME, trip, 4);
    assert_int_equal(rs->routes[0].n_edges, 4);
    assert_string_equal(rs->routes[0].nodes[2], "aktau");
    assert_string_equal(rs->routes[0].nodes[4], "east");
    assert_int_equal(rs->routes[0].n_transfers, 2); /* border: rail -> road, road -> rail */
    corridor_routes_free(rs);

    /* a leg from a place to the same place */
    const char *via3[] = {"aktau"};
    r.via = via3;
    assert_int_equal(find(&rs, "east", "aktau", CORRIDOR_BY_TIME, 1, &r), CORRIDOR_EUSAGE);
}

/* Each avoid kind on east -> west (best 109 uses the road, corridor north). */
static void test_avoid(void **state)
{
    (void)state;
    struct {
        const char *avoid;
        int err;
        double best;
    } cases[] = {{"edge:border-aktau-road", 0, 123}, /* rail + ferry */
                 {"mode:road", 0, 123},
                 {"corridor:north", 0, 123},
                 {"aktau-alat-ferry", 0, 119}, /* bare edge id: road + roro */
                 {"node:border", CORRIDOR_ENOTFOUND, 0},
                 {"country:AZ", CORRIDOR_ENOTFOUND, 0},
                 {"node:nowhere", CORRIDOR_EINVALID, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
        const char *avoid[] = {cases[i].avoid};
        o.filter.avoid = avoid;
        o.filter.n_avoid = 1;
        corridor_routes *rs = NULL;
        int err = find(&rs, "east", "west", CORRIDOR_BY_TIME, 1, &o);
        if (err != cases[i].err)
            fail_msg("avoid %s: got %d (%s)", cases[i].avoid, err, corridor_error_message());
        if (err == 0)
            assert_double_equal(rs->routes[0].metric[CORRIDOR_BY_TIME], cases[i].best, 1e-9);
        corridor_routes_free(rs);
    }
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    const char *avoid[] = {"country:AZ"};
    o.filter.avoid = avoid;
    o.filter.n_avoid = 1;
    corridor_routes *rs = NULL;
    assert_int_equal(find(&rs, "east", "west", CORRIDOR_BY_TIME, 1, &o), CORRIDOR_ENOTFOUND);
    assert_string_equal(corridor_error_message(), "no route from \"east\" to \"west\" for freight: "
                                                  "\"west\" is excluded by the filter");
}

/*
 * country:KZ -> country:AZ: any KZ node to any AZ node. From aktau (no penalty
 * at the origin): ferry 20, roro 30, ferry + alat-ganja 20 + 12 + 8 = 40
 * (passing alat, itself an AZ node), roro + alat-ganja 50, ferry + ganja +
 * west 20 + 12 + 8 + 6 + 5 = 51, then from border by road 16 + 24 + 20 = 60.
 */
static void test_country_places(void **state)
{
    (void)state;
    corridor_routes *rs = NULL;
    assert_int_equal(find(&rs, "country:KZ", "country:AZ", CORRIDOR_BY_TIME, 6, NULL), 0);
    const double want[] = {20, 30, 40, 50, 51, 60};
    assert_values(rs, CORRIDOR_BY_TIME, want, 6);
    assert_string_equal(rs->routes[0].nodes[0], "aktau");
    assert_string_equal(rs->routes[2].nodes[2], "ganja");
    assert_string_equal(rs->routes[5].nodes[0], "border");
    assert_string_equal(rs->from, "country:KZ");
    corridor_routes_free(rs);
}

/* Wrong requests: k = 0, the same place twice, unknown places. */
static void test_usage_errors(void **state)
{
    (void)state;
    corridor_routes *rs = NULL;
    assert_int_equal(find(&rs, "east", "west", CORRIDOR_BY_TIME, 0, NULL), CORRIDOR_EUSAGE);
    assert_int_equal(find(&rs, "east", "East Terminal", CORRIDOR_BY_TIME, 3, NULL),
                     CORRIDOR_EUSAGE);
    assert_int_equal(find(&rs, "aktua", "west", CORRIDOR_BY_TIME, 3, NULL), CORRIDOR_EINVALID);
    assert_non_null(strstr(corridor_error_message(), "did you mean \"aktau\""));
    assert_int_equal(find(&rs, "east", "country:XX", CORRIDOR_BY_TIME, 3, NULL), CORRIDOR_EINVALID);
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    const char *via[] = {"nowhere"};
    o.via = via;
    o.n_via = 1;
    assert_int_equal(find(&rs, "east", "west", CORRIDOR_BY_TIME, 3, &o), CORRIDOR_EINVALID);
}

/*
 * A metric that cannot be derived: "b-c" has only time_h and there are no
 * defaults. Ranking by cost fails naming the edge; by time it works and the
 * cost total is NAN (null in JSON).
 */
static void test_nan_metric(void **state)
{
    (void)state;
    corridor_model *m = test_model(
        "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"nan\","
        " \"nodes\": [{\"id\": \"a\", \"kind\": \"city\"}, {\"id\": \"b\", \"kind\": \"city\"},"
        "            {\"id\": \"c\", \"kind\": \"city\"}],"
        " \"edges\": [{\"id\": \"a-b\", \"from\": \"a\", \"to\": \"b\", \"mode\": \"rail\","
        "              \"time_h\": 2, \"cost_usd\": 3, \"distance_km\": 4, \"co2_kg\": 5},"
        "             {\"id\": \"b-c\", \"from\": \"b\", \"to\": \"c\", \"mode\": \"rail\", "
        "\"time_h\": 7}]}");
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    corridor_routes *rs = NULL;
    o.by = CORRIDOR_BY_COST;
    assert_int_equal(corridor_route_find(&rs, m, "a", "c", &o), CORRIDOR_EINVALID);
    assert_string_equal(corridor_error_message(),
                        "edge \"b-c\" has no cost_usd and it cannot be derived: give cost_usd or "
                        "distance_km and defaults.rail.cost_usd_per_km");
    o.by = CORRIDOR_BY_TIME;
    assert_int_equal(corridor_route_find(&rs, m, "a", "c", &o), 0);
    assert_int_equal(rs->n, 1);
    assert_double_equal(rs->routes[0].metric[CORRIDOR_BY_TIME], 9, 1e-9);
    assert_true(isnan(rs->routes[0].metric[CORRIDOR_BY_COST]));
    assert_true(isnan(rs->routes[0].hops[1].metric[CORRIDOR_BY_CO2]));
    char *js = NULL;
    assert_int_equal(corridor_routes_json(&js, rs), 0);
    cJSON *root = cJSON_Parse(js);
    assert_non_null(root);
    cJSON *r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "routes"), 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r0, "cost_usd")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r0, "co2_kg")));
    assert_double_equal(cJSON_GetObjectItem(r0, "time_h")->valuedouble, 9, 1e-9);
    /* no countries in this model: empty lists, no borders */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r0, "countries")), 0);
    assert_int_equal(cJSON_GetObjectItem(r0, "borders")->valueint, 0);
    cJSON_Delete(root);
    corridor_free(js);
    corridor_routes_free(rs);
    corridor_model_free(m);
}

/* The JSON of east -> west, k = 2, parsed back. */
static void test_json(void **state)
{
    (void)state;
    corridor_routes *rs = NULL;
    assert_int_equal(find(&rs, "east", "west", CORRIDOR_BY_TIME, 2, NULL), 0);
    char *js = NULL;
    assert_int_equal(corridor_routes_json(&js, rs), 0);
    cJSON *root = cJSON_Parse(js);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "from")->valuestring, "east");
    assert_string_equal(cJSON_GetObjectItem(root, "to")->valuestring, "west");
    assert_string_equal(cJSON_GetObjectItem(root, "by")->valuestring, "time");
    assert_string_equal(cJSON_GetObjectItem(root, "carry")->valuestring, "freight");
    cJSON *routes = cJSON_GetObjectItem(root, "routes");
    assert_int_equal(cJSON_GetArraySize(routes), 2);
    cJSON *r = cJSON_GetArrayItem(routes, 0);
    assert_int_equal(cJSON_GetObjectItem(r, "rank")->valueint, 1);
    assert_double_equal(cJSON_GetObjectItem(r, "time_h")->valuedouble, 109, 1e-9);
    assert_double_equal(cJSON_GetObjectItem(r, "cost_usd")->valuedouble, 4370, 1e-9);
    assert_double_equal(cJSON_GetObjectItem(r, "distance_km")->valuedouble, 2260, 1e-9);
    assert_double_equal(cJSON_GetObjectItem(r, "co2_kg")->valuedouble, 1985, 1e-9);
    cJSON *nodes = cJSON_GetObjectItem(r, "nodes");
    assert_int_equal(cJSON_GetArraySize(nodes), 6);
    assert_string_equal(cJSON_GetArrayItem(nodes, 5)->valuestring, "west");
    cJSON *edges = cJSON_GetObjectItem(r, "edges");
    assert_int_equal(cJSON_GetArraySize(edges), 5);
    assert_string_equal(cJSON_GetArrayItem(edges, 1)->valuestring, "border-aktau-road");
    cJSON *tr = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "transfers"), 3);
    assert_string_equal(cJSON_GetObjectItem(tr, "node")->valuestring, "ganja");
    assert_string_equal(cJSON_GetObjectItem(tr, "from")->valuestring, "rail/1520");
    assert_string_equal(cJSON_GetObjectItem(tr, "to")->valuestring, "rail/1435");
    cJSON *countries = cJSON_GetObjectItem(r, "countries");
    assert_int_equal(cJSON_GetArraySize(countries), 2);
    assert_string_equal(cJSON_GetArrayItem(countries, 1)->valuestring, "AZ");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "corridors"), 1)->valuestring,
                        "north");
    assert_int_equal(cJSON_GetObjectItem(r, "borders")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(routes, 1), "rank")->valueint, 2);
    cJSON_Delete(root);
    corridor_free(js);
    corridor_routes_free(rs);
    corridor_routes_free(NULL);
}

/*
 * A pocket: the line o - b - a - d (1 h each) and a 14 x 14 grid (1 h per
 * step) hanging from a (at its corner r0_0) and b (at r13_13). The best route
 * is o b a d = 3; the second goes b -> r13_13 -> ... -> r0_0 -> a: 1 + 1 + 26
 * + 1 + 1 = 30. Every path that enters the grid from a after o b a is a dead
 * end, and H (which ignores simplicity) calls each cheap: without the
 * prefix-aware bound the search enumerates them (millions) before finding
 * the second route.
 */
static void test_pocket(void **state)
{
    (void)state;
    enum { S = 14 };
    size_t cap = 200000, len = 0;
    char *js = malloc(cap);
    assert_non_null(js);
#define OUT(...) (len += (size_t)snprintf(js + len, cap - len, __VA_ARGS__))
    OUT("{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"pocket\", \"nodes\": [");
    OUT("{\"id\": \"o\", \"kind\": \"city\"}, {\"id\": \"b\", \"kind\": \"city\"},");
    OUT("{\"id\": \"a\", \"kind\": \"city\"}, {\"id\": \"d\", \"kind\": \"city\"}");
    for (int i = 0; i < S * S; i++)
        OUT(", {\"id\": \"r%d_%d\", \"kind\": \"city\"}", i % S, i / S);
    OUT("], \"edges\": [");
    int ne = 0;
#define EDGE(f, t)                                                                                 \
    OUT("%s{\"id\": \"e%d\", \"from\": \"%s\", \"to\": \"%s\", \"mode\": \"road\", "               \
        "\"time_h\": 1, \"distance_km\": 1}",                                                      \
        ne ? ", " : "", ne, f, t),                                                                 \
        ne++
    char f[16], t[16];
    EDGE("o", "b");
    EDGE("b", "a");
    EDGE("a", "d");
    EDGE("a", "r0_0");
    snprintf(f, sizeof f, "r%d_%d", S - 1, S - 1);
    EDGE("b", f);
    for (int y = 0; y < S; y++) {
        for (int x = 0; x < S; x++) {
            snprintf(f, sizeof f, "r%d_%d", x, y);
            if (x + 1 < S) {
                snprintf(t, sizeof t, "r%d_%d", x + 1, y);
                EDGE(f, t);
            }
            if (y + 1 < S) {
                snprintf(t, sizeof t, "r%d_%d", x, y + 1);
                EDGE(f, t);
            }
        }
    }
    OUT("]}");
#undef EDGE
#undef OUT
    assert_true(len < cap);
    corridor_model *m = test_model(js);
    free(js);
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    corridor_routes *rs = NULL;
    o.k = 2;
    assert_int_equal(corridor_route_find(&rs, m, "o", "d", &o), 0);
    assert_int_equal(rs->n, 2);
    assert_double_equal(rs->routes[0].metric[CORRIDOR_BY_TIME], 3, 1e-9);
    assert_double_equal(rs->routes[1].metric[CORRIDOR_BY_TIME], 2 * S + 2, 1e-9);
    corridor_routes_free(rs);
    corridor_model_free(m);
}

/* The routing graph other modules reuse: arcs, classes, CSR and the igraph graph agree. */
static void test_network(void **state)
{
    (void)state;
    cor_network net;
    corridor_filter f = CORRIDOR_FILTER_INIT;
    /* operational freight: the 7 two-way freight edges, 14 arcs */
    assert_int_equal(cor_network_build(&net, model, &f, CORRIDOR_BY_TIME), 0);
    assert_int_equal(net.n_arcs, 14);
    assert_false(net.has_graph); /* routing does not need it: built on demand */
    assert_int_equal(cor_network_igraph(&net), 0);
    assert_int_equal(cor_network_igraph(&net), 0); /* once */
    assert_int_equal(igraph_vcount(&net.graph), 7);
    assert_int_equal(igraph_ecount(&net.graph), 14);
    assert_true(igraph_is_directed(&net.graph));
    /* classes in order of first appearance */
    assert_int_equal(net.n_classes, 4);
    assert_string_equal(net.class_name[0], "rail/1520");
    assert_string_equal(net.class_name[1], "road");
    assert_string_equal(net.class_name[2], "sea");
    assert_string_equal(net.class_name[3], "rail/1435");
    assert_int_equal(net.class_gauge[3], 1435);
    for (size_t a = 0; a < net.n_arcs; a++) {
        igraph_integer_t from, to;
        assert_int_equal(igraph_edge(&net.graph, (igraph_integer_t)a, &from, &to), 0);
        assert_int_equal((size_t)from, net.arc_from[a]);
        assert_int_equal((size_t)to, net.arc_to[a]);
        assert_double_equal(cor_arc_w(&net, a, CORRIDOR_BY_TIME),
                            cor_arc_w(&net, a ^ 1, CORRIDOR_BY_TIME), 0);
        assert_double_equal(cor_arc_w(&net, a, CORRIDOR_BY_TIME),
                            model->edges[net.arc_edge[a]].metric[CORRIDOR_BY_TIME], 0);
        assert_int_equal(net.arc_edge[a], net.arc_edge[a ^ 1]); /* both ways of one edge */
        assert_int_equal(net.arc_reversed[a], a & 1);
    }
    size_t seen = 0;
    for (size_t v = 0; v < net.n_nodes; v++) {
        for (size_t i = net.out_start[v]; i < net.out_start[v + 1]; i++, seen++)
            assert_int_equal(net.arc_from[net.out_arc[i]], v);
        for (size_t i = net.in_start[v]; i < net.in_start[v + 1]; i++)
            assert_int_equal(net.arc_to[net.in_arc[i]], v);
    }
    assert_int_equal(seen, net.n_arcs);
    assert_int_equal(net.node_ok[3], 1); /* field: operational, only its edges are oil */
    cor_network_free(&net);
    cor_network_free(&net); /* a freed network is zeroed: freeing again is safe */

    /* every commodity and status planned: + oneway pipeline (1 arc), tanker, alat-west-new */
    f.carry = CORRIDOR_CARRY_ANY;
    f.status = CORRIDOR_STATUS_PLANNED;
    assert_int_equal(cor_network_build(&net, model, &f, -1), 0);
    assert_int_equal(net.n_arcs, 19);
    assert_int_equal(net.n_classes, 5);
    cor_network_free(&net);

    /* a bad avoid target fails and leaves nothing to free */
    const char *avoid[] = {"node:nowhere"};
    f.avoid = avoid;
    f.n_avoid = 1;
    assert_int_equal(cor_network_build(&net, model, &f, -1), CORRIDOR_EINVALID);
    cor_network_free(&net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transfer_gauge_dwell),
        cmocka_unit_test(test_parallel_edges),
        cmocka_unit_test(test_oneway_pipeline),
        cmocka_unit_test(test_status_and_year),
        cmocka_unit_test(test_via),
        cmocka_unit_test(test_avoid),
        cmocka_unit_test(test_country_places),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_nan_metric),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_pocket),
        cmocka_unit_test(test_network),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
