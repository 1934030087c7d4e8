/* test_compiled.c: the compiled model (src/compiled.c): the same model back, and every damaged or
 * crafted file an exit-3 error that names the file and what is wrong. */
#include "testutil.h"

#include <math.h>

#include "compiled.h"
#include "internal.h"
#include "network.h"

typedef struct blob {
    char *data;
    size_t len;
} blob;

/* The built-in model compiled into a file, read back as bytes. */
static blob compiled_caspian(void)
{
    corridor_model *m = NULL;
    blob b = {0};
    char *dir = test_tmp_dir(), path[512];
    snprintf(path, sizeof path, "%s/c.corridor", dir);
    assert_int_equal(corridor_model_load_builtin(&m, "caspian", NULL), 0);
    assert_int_equal(corridor_model_compile(m, path), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    b.len = (size_t)ftell(f);
    rewind(f);
    b.data = malloc(b.len);
    assert_non_null(b.data);
    assert_int_equal(fread(b.data, 1, b.len, f), b.len);
    fclose(f);
    unlink(path);
    rmdir(dir);
    free(dir);
    corridor_model_free(m);
    return b;
}

/* Loads bytes; returns the error (0) and copies the first diagnostic into msg. */
static int load(const blob *b, char *msg, size_t size)
{
    corridor_diags *d = NULL;
    corridor_model *m = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    int err = corridor_model_load_string(&m, b->data, b->len, "x.corridor", d);
    snprintf(msg, size, "%s", corridor_diags_count(d) ? corridor_diags_line(d, 0) : "");
    corridor_model_free(m);
    corridor_diags_free(d);
    return err;
}

static void expect_error(const blob *b, const char *want)
{
    char msg[1024];
    assert_int_equal(load(b, msg, sizeof msg), CORRIDOR_EINVALID);
    if (!strstr(msg, want))
        print_message("got: %s\nwant: %s\n", msg, want);
    assert_non_null(strstr(msg, want));
    assert_non_null(strstr(msg, "x.corridor: compiled model: "));
}

static cor_cmp_section section(const blob *b, int id)
{
    cor_cmp_section s;
    memcpy(&s, b->data + sizeof(cor_cmp_header) + (size_t)(id - 1) * sizeof s, sizeof s);
    return s;
}

/* A copy of b with `len` bytes at `off` replaced, and the checksum made right again. */
static blob patched(const blob *b, size_t off, const void *bytes, size_t len)
{
    blob c = {malloc(b->len), b->len};
    assert_non_null(c.data);
    memcpy(c.data, b->data, b->len);
    memcpy(c.data + off, bytes, len);
    corridor__cmp_fix_checksum(c.data, c.len);
    return c;
}

/* The same model: canonical JSON and hash equal the JSON form's. */
static void test_round_trip(void **state)
{
    (void)state;
    blob b = compiled_caspian();
    corridor_model *j = NULL, *c = NULL;
    char *tj = NULL, *tc = NULL, hj[17], hc[17];
    size_t lj = 0, lc = 0;
    assert_int_equal(corridor_model_load_builtin(&j, "caspian", NULL), 0);
    assert_int_equal(corridor_model_load_string(&c, b.data, b.len, "x.corridor", NULL), 0);
    assert_true(corridor_model_is_compiled(c));
    assert_false(corridor_model_is_compiled(j));
    assert_int_equal(corridor__model_canonical(&tj, &lj, j), 0);
    assert_int_equal(corridor__model_canonical(&tc, &lc, c), 0);
    assert_int_equal(lj, lc);
    assert_memory_equal(tj, tc, lj);
    assert_int_equal(corridor_model_hash(hj, j), 0);
    assert_int_equal(corridor_model_hash(hc, c), 0);
    assert_string_equal(hj, hc);
    assert_int_equal(strlen(hj), 16);
    /* the compiled model can be cloned (as a scenario does) and freed apart */
    corridor_model *k = corridor__model_clone(c);
    assert_non_null(k);
    corridor_model_free(c);
    free(tc);
    tc = NULL;
    assert_int_equal(corridor__model_canonical(&tc, &lc, k), 0);
    assert_int_equal(lj, lc);
    assert_memory_equal(tj, tc, lj);
    corridor_model_free(k);
    free(tj);
    free(tc);
    corridor_model_free(j);
    free(b.data);
}

static void test_header(void **state)
{
    (void)state;
    blob b = compiled_caspian(), c;
    uint32_t v = COR_CMP_VERSION + 1, be = 0x04030201u, word = 4, layout = 12345;
    c = patched(&b, offsetof(cor_cmp_header, version), &v, sizeof v);
    expect_error(&c, "is newer than this corridor reads");
    free(c.data);
    c = patched(&b, offsetof(cor_cmp_header, endian), &be, sizeof be);
    expect_error(&c, "other byte order");
    free(c.data);
    c = patched(&b, offsetof(cor_cmp_header, word), &word, sizeof word);
    expect_error(&c, "4-byte words");
    free(c.data);
    c = patched(&b, offsetof(cor_cmp_header, layout), &layout, sizeof layout);
    expect_error(&c, "another element layout");
    free(c.data);
    /* one byte changed anywhere after the header: the checksum */
    for (size_t off = sizeof(cor_cmp_header); off < b.len; off += b.len / 7) {
        b.data[off] ^= 0x20;
        expect_error(&b, "checksum mismatch");
        b.data[off] ^= 0x20;
    }
    /* cut short at every 1/13th */
    for (size_t n = 8; n < b.len; n += b.len / 13) {
        blob t = {b.data, n};
        expect_error(&t, n < sizeof(cor_cmp_header) ? "truncated header" : "truncated");
    }
    free(b.data);
}

/* Files with a right checksum but wrong content (crafted): each check is reached. */
static void test_crafted(void **state)
{
    (void)state;
    blob b = compiled_caspian(), c;
    cor_cmp_section nodes = section(&b, COR_SEC_NODE), edges = section(&b, COR_SEC_EDGE),
                    str = section(&b, COR_SEC_STR), table = section(&b, COR_SEC_TOP);
    size_t e1 = edges.off + sizeof(cor_edge); /* edges[1] */
    size_t big = 100000, off;
    long neg = -5;
    double minus = -1, nan = NAN;
    int mode = 99;
    uint64_t far = str.len + 10, zero = 0;

    c = patched(&b, e1 + offsetof(cor_edge, from), &big, sizeof big);
    expect_error(&c, "edges[1]: \"from\": node 100000 of 95");
    free(c.data);
    c = patched(&b, e1 + offsetof(cor_edge, mode), &mode, sizeof mode);
    expect_error(&c, "edges[1]: \"mode\": value 99 out of range");
    free(c.data);
    c = patched(&b, e1 + offsetof(cor_edge, id), &far, sizeof far);
    expect_error(&c, "edges[1]: \"id\": text offset outside the string pool");
    free(c.data);
    c = patched(&b, e1 + offsetof(cor_edge, id), &zero, sizeof zero);
    expect_error(&c, "edges[1]: \"id\": missing");
    free(c.data);
    c = patched(&b, e1 + offsetof(cor_edge, metric) + CORRIDOR_BY_TIME * sizeof(double), &minus,
                sizeof minus);
    expect_error(&c, "edges[1]: \"time_h\": -1 out of range");
    free(c.data);
    c = patched(&b, e1 + offsetof(cor_edge, n_corridors), &big, sizeof big);
    expect_error(&c, "edges[1]: \"corridors\": 100000 items");
    free(c.data);
    c = patched(&b, nodes.off + offsetof(cor_node, country), &neg, sizeof neg);
    expect_error(&c, "nodes[0]: \"country\": reference -5 out of range");
    free(c.data);
    c = patched(&b, nodes.off + offsetof(cor_node, transfer), &nan, sizeof nan);
    expect_error(&c, "nodes[0]: \"transfer\"");
    free(c.data);
    /* id tables: an entry past the elements, an entry dropped, a capacity not a power of two */
    cor_cmp_section idx = section(&b, COR_SEC_IDX_EDGE);
    size_t slot = idx.off + sizeof(uint64_t), v;
    for (memcpy(&v, b.data + slot, sizeof v); v == SIZE_MAX; memcpy(&v, b.data + slot, sizeof v))
        slot += sizeof v;
    c = patched(&b, slot, &big, sizeof big);
    expect_error(&c, "the edges id table points past the edges");
    free(c.data);
    size_t empty = SIZE_MAX;
    c = patched(&b, slot, &empty, sizeof empty);
    expect_error(&c, "the edges id table has 120 ids for 121 edges");
    free(c.data);
    uint64_t cap3 = 3;
    c = patched(&b, idx.off, &cap3, sizeof cap3);
    expect_error(&c, "the edges id table is malformed");
    free(c.data);
    (void)off;
    /* counts that do not match the sections */
    c = patched(&b, table.off + offsetof(cor_cmp_top, n_edges), &big, sizeof big);
    expect_error(&c, "the edges section has");
    free(c.data);
    /* a section that runs past the end */
    uint64_t huge = b.len;
    c = patched(&b,
                sizeof(cor_cmp_header) + (COR_SEC_EDGE - 1) * sizeof(cor_cmp_section) +
                    offsetof(cor_cmp_section, len),
                &huge, sizeof huge);
    expect_error(&c, "do not fit the file");
    free(c.data);
    /* invalid UTF-8 in the string pool: at its end, a continuation byte alone in a run of
       ASCII (the pool is checked 8 bytes at a time), a character cut short */
    unsigned char ff = 0xff, cont = 0x80;
    char want[64];
    c = patched(&b, str.off + str.len - 2, &ff, 1);
    expect_error(&c, "invalid UTF-8");
    free(c.data);
    size_t ascii = 0; /* a byte 3 into a run of 8 printable ASCII bytes */
    for (size_t i = 8; i + 8 < str.len && !ascii; i++) {
        int run = 1;
        for (size_t k = 0; k < 8; k++)
            run &= b.data[str.off + i - 3 + k] > 0x20 && b.data[str.off + i - 3 + k] < 0x7f;
        if (run)
            ascii = i;
    }
    assert_true(ascii > 0);
    c = patched(&b, str.off + ascii, &cont, 1);
    snprintf(want, sizeof want, "invalid UTF-8 at byte %zu;", ascii);
    expect_error(&c, want);
    free(c.data);
    unsigned char u_umlaut[2] = {0xc3, 0xbc}, cut[2] = {0xc3, 'a'};
    c = patched(&b, str.off + ascii, u_umlaut, 2); /* valid: loads */
    char msg[1024];
    assert_int_equal(load(&c, msg, sizeof msg), 0);
    free(c.data);
    c = patched(&b, str.off + ascii, cut, 2);
    expect_error(&c, want);
    free(c.data);
    free(b.data);
}

/* Routes aktau -> baku (k = 3) on a compiled model in bytes, with filter f; the JSON answer. */
static int route_json(char **json, const blob *b, const corridor_filter *f)
{
    corridor_model *m = NULL;
    corridor_routes *r = NULL;
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    *json = NULL;
    assert_int_equal(corridor_model_load_string(&m, b->data, b->len, "x.corridor", NULL), 0);
    o.k = 3;
    o.filter = *f;
    int err = corridor_route_find(&r, m, "aktau", "baku", &o);
    if (err == 0)
        assert_int_equal(corridor_routes_json(json, r), 0);
    corridor_routes_free(r);
    corridor_model_free(m);
    return err;
}

/*
 * The stored routing network (compiled_net.c): the default filter's routes read it and equal
 * the JSON model's; a damaged one is an error, never a wild read; other filters build their own.
 */
static void test_stored_network(void **state)
{
    (void)state;
    blob b = compiled_caspian(), c;
    corridor_filter def = CORRIDOR_FILTER_INIT, any = CORRIDOR_FILTER_INIT_ANY;
    cor_cmp_section net = section(&b, COR_SEC_NET);
    cor_cmp_net h;
    uint64_t off[NA_COUNT];
    memcpy(&h, b.data + net.off, sizeof h);
    assert_int_equal(corridor__cmp_net_layout(&h, off), net.len);
    assert_true(h.n_arcs > 100 && h.n_classes >= 3);

    /* the same routes as the JSON model */
    corridor_model *j = NULL;
    corridor_routes *r = NULL;
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    char *want = NULL, *got = NULL, *any_want = NULL;
    assert_int_equal(corridor_model_load_builtin(&j, "caspian", NULL), 0);
    o.k = 3;
    assert_int_equal(corridor_route_find(&r, j, "aktau", "baku", &o), 0);
    assert_int_equal(corridor_routes_json(&want, r), 0);
    corridor_routes_free(r);
    corridor_model_free(j);
    assert_int_equal(route_json(&got, &b, &def), 0);
    assert_string_equal(got, want);
    free(got);
    assert_int_equal(route_json(&any_want, &b, &any), 0);

    /* damage: an arc's head past the nodes, an arc listed under the wrong node, a count, a
       negative weight and penalty of the metric routed by (validate compares every value with
       the records instead), a card's string past the pool, a card's country past the countries */
    uint32_t far = (uint32_t)h.n_nodes + 7, arc0 = 0, past = 0xfffffff0u;
    uint64_t big = h.n_nodes + 1, more = h.n_arcs + 8;
    uint32_t e0; /* an edge of the network: arc 0's */
    memcpy(&e0, b.data + net.off + off[NA_EDGE], sizeof e0);
    int32_t country = 9999;
    double minus = -1;
    size_t t = CORRIDOR_BY_TIME;
    char msg[1024];
    struct {
        size_t at;
        const void *bytes;
        size_t len;
        const char *why, *vwhy; /* what route says, what validate says (NULL: the same) */
    } cases[] = {
        {off[NA_TO] + 4 * 5, &far, 4, "an arc out of range", NULL},
        {off[NA_OUT] + 4 * (h.n_arcs - 1), &arc0, 4, "the adjacency does not match the arcs", NULL},
        {offsetof(cor_cmp_net, n_nodes), &big, 8, "counts that do not match the model", NULL},
        {offsetof(cor_cmp_net, n_arcs), &more, 8, "a length that does not match", NULL},
        {off[NA_METRIC] + 8 * (t * h.n_edges + e0), &minus, 8, "a weight out of range",
         "weights that differ from the edges'"},
        {off[NA_TRANSFER] + 8 * (t * h.n_nodes + 3), &minus, 8, "a penalty out of range",
         "penalties that differ from the nodes'"},
        {off[NA_ECARD] + sizeof(cor_cmp_ecard) * e0 + offsetof(cor_cmp_ecard, id), &past, 4,
         "an edge card out of range", "an edge card that differs from its edge"},
        {off[NA_NCARD] + sizeof(cor_cmp_ncard) * 2 + offsetof(cor_cmp_ncard, country), &country, 4,
         "a node card out of range", "a node card that differs from its node"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        c = patched(&b, net.off + cases[i].at, cases[i].bytes, cases[i].len);
        assert_int_equal(load(&c, msg, sizeof msg), 0); /* loading does not look at it */
        assert_int_equal(route_json(&got, &c, &def), CORRIDOR_EINVALID);
        if (!strstr(corridor_error_message(), cases[i].why))
            print_message("got: %s\nwant: %s\n", corridor_error_message(), cases[i].why);
        assert_non_null(strstr(corridor_error_message(), cases[i].why));
        assert_non_null(
            strstr(corridor_error_message(),
                   "x.corridor: compiled model: the stored routing network is damaged"));
        assert_non_null(strstr(corridor_error_message(), "compile the model again"));
        /* validate reads the stored network too */
        corridor_diags *d = NULL;
        corridor_validation v;
        assert_int_equal(corridor_diags_new(&d), 0);
        assert_int_equal(corridor_validate_string(&v, c.data, c.len, "x.corridor", NULL, d),
                         CORRIDOR_EINVALID);
        const char *vwhy = cases[i].vwhy ? cases[i].vwhy : cases[i].why;
        if (!strstr(corridor_diags_line(d, 0), vwhy))
            print_message("got: %s\nwant: %s\n", corridor_diags_line(d, 0), vwhy);
        assert_non_null(strstr(corridor_diags_line(d, 0), vwhy));
        assert_non_null(strstr(corridor_diags_line(d, 0), "x.corridor"));
        corridor_validation_clear(&v);
        corridor_diags_free(d);
        /* another filter builds its network from the records: unaffected */
        assert_int_equal(route_json(&got, &c, &any), 0);
        assert_string_equal(got, any_want);
        free(got);
        free(c.data);
    }
    /* a card in range but not its edge's: answers read it as it is (the checksum is what
       catches accidents); validate compares it with the record */
    cor_cmp_ncard n0;
    memcpy(&n0, b.data + net.off + off[NA_NCARD], sizeof n0);
    c = patched(&b, net.off + off[NA_ECARD] + sizeof(cor_cmp_ecard) * e0, &n0.id, 4);
    assert_int_equal(route_json(&got, &c, &def), 0);
    free(got);
    corridor_diags *d = NULL;
    corridor_validation v;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_validate_string(&v, c.data, c.len, "x.corridor", NULL, d),
                     CORRIDOR_EINVALID);
    assert_non_null(strstr(corridor_diags_line(d, 0), "an edge card that differs from its edge"));
    corridor_validation_clear(&v);
    corridor_diags_free(d);
    free(c.data);
    free(want);
    free(any_want);
    free(b.data);
}

/* A chain of n nodes as model JSON (rail, 1 h and 10 km a link); the caller frees it. */
static char *chain_json(size_t n)
{
    size_t cap = 200 * n + 256, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    len += (size_t)snprintf(s + len, cap - len,
                            "{\"format\": \"corridor-model\", \"version\": 1, \"name\": \"chain\", "
                            "\"countries\": [{\"code\": \"KZ\"}], "
                            "\"nodes\": [");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(s + len, cap - len,
                                "%s{\"id\": \"n%zu\", \"kind\": \"city\", \"country\": \"KZ\"}",
                                i ? ", " : "", i);
    len += (size_t)snprintf(s + len, cap - len, "], \"edges\": [");
    for (size_t i = 0; i + 1 < n; i++)
        len += (size_t)snprintf(s + len, cap - len,
                                "%s{\"id\": \"e%zu\", \"from\": \"n%zu\", \"to\": \"n%zu\", "
                                "\"mode\": \"rail\", \"time_h\": 1, \"distance_km\": 10}",
                                i ? ", " : "", i, i, i + 1);
    snprintf(s + len, cap - len, "]}");
    return s;
}

/*
 * A model of several load windows (compiled.c's walk: two threads, each window checked and
 * unmapped again): read back from a file (mapped) and from bytes, it routes as its JSON
 * form does; damage in a later window is found and named, and of two damaged records the
 * first in the file is the one reported, whichever thread met it.
 */
static void test_windows(void **state)
{
    (void)state;
    size_t n = 60000; /* 60k edges of 224 bytes: 13 MB, two windows and more */
    char *text = chain_json(n), *dir = test_tmp_dir(), path[512], *want = NULL, *got = NULL;
    corridor_model *j = NULL, *m = NULL;
    corridor_routes *r = NULL;
    corridor_route_opts o = CORRIDOR_ROUTE_OPTS_INIT;
    o.k = 1;
    assert_int_equal(corridor_model_load_string(&j, text, strlen(text), "chain.json", NULL), 0);
    snprintf(path, sizeof path, "%s/w.corridor", dir);
    assert_int_equal(corridor_model_compile(j, path), 0);
    assert_int_equal(corridor_route_find(&r, j, "n5", "n59990", &o), 0);
    assert_int_equal(corridor_routes_json(&want, r), 0);
    corridor_routes_free(r);
    assert_int_equal(corridor_model_open(&m, path, NULL), 0);
    assert_true(corridor_model_is_compiled(m));
    assert_int_equal(corridor_route_find(&r, m, "n5", "n59990", &o), 0);
    assert_int_equal(corridor_routes_json(&got, r), 0);
    assert_string_equal(got, want);
    corridor_routes_free(r);
    corridor_model_free(m);
    free(got);
    free(want);

    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    blob b = {NULL, (size_t)ftell(f)}, c;
    rewind(f);
    b.data = malloc(b.len);
    assert_non_null(b.data);
    assert_int_equal(fread(b.data, 1, b.len, f), b.len);
    fclose(f);
    cor_cmp_section edges = section(&b, COR_SEC_EDGE);
    assert_true(edges.off + edges.len > 2 * (8u << 20)); /* the records span three windows */
    size_t late = 50000, early = 100, huge = 1000000;
    size_t at_late = edges.off + late * sizeof(cor_edge) + offsetof(cor_edge, to);
    size_t at_early = edges.off + early * sizeof(cor_edge) + offsetof(cor_edge, to);
    char msg[1024];
    c = patched(&b, at_late, &huge, sizeof huge);
    expect_error(&c, "edges[50000]: \"to\": node 1000000 of 60000");
    /* the same from the file, mapped */
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(c.data, 1, c.len, f), c.len);
    fclose(f);
    corridor_diags *d = NULL;
    assert_int_equal(corridor_diags_new(&d), 0);
    assert_int_equal(corridor_model_open(&m, path, d), CORRIDOR_EINVALID);
    assert_non_null(strstr(corridor_diags_line(d, 0), "edges[50000]: \"to\": node 1000000"));
    corridor_diags_free(d);
    memcpy(c.data + at_early, &huge, sizeof huge);
    corridor__cmp_fix_checksum(c.data, c.len);
    expect_error(&c, "edges[100]: \"to\": node 1000000 of 60000");
    /* a damaged byte in the last window: the checksum */
    c.data[c.len - 3] ^= 1;
    assert_int_equal(load(&c, msg, sizeof msg), CORRIDOR_EINVALID);
    assert_non_null(strstr(msg, "checksum mismatch"));
    free(c.data);
    free(b.data);
    unlink(path);
    rmdir(dir);
    free(dir);
    free(text);
    corridor_model_free(j);
}

/* The checksum's AVX-512 steps give the plain C steps' hash, at every length and alignment. */
static void test_block_sum(void **state)
{
    (void)state;
    size_t cap = COR_CMP_BLOCK + 64;
    unsigned char *buf = malloc(cap);
    assert_non_null(buf);
    uint64_t x = 88172645463325252ULL;
    for (size_t i = 0; i < cap; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        buf[i] = (unsigned char)x;
    }
    const size_t lens[] = {0, 1, 127, 128, 129, 255, 256, 1000, 65536 + 3, COR_CMP_BLOCK};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++)
        for (size_t at = 0; at < 3; at++) {
            uint64_t plain = corridor__cmp_block_sum(buf + at, lens[k], 0);
            assert_true(plain == corridor__cmp_block_sum(buf + at, lens[k], 1));
            if (lens[k]) { /* and every byte counts */
                buf[at + lens[k] / 2] ^= 4;
                assert_true(plain != corridor__cmp_block_sum(buf + at, lens[k], 1));
                buf[at + lens[k] / 2] ^= 4;
            }
        }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stored_network), cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_header),         cmocka_unit_test(test_crafted),
        cmocka_unit_test(test_windows),
        cmocka_unit_test(test_block_sum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
