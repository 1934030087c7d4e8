/* compiled.c: the compiled model: a checksummed binary form of a model that is memory-mapped. */
#define _DEFAULT_SOURCE /* MAP_FIXED_NOREPLACE */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compiled.h"
#include "schema.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000 /* Linux 4.17; older kernels take the address as a hint */
#endif

/*
 * How it works. A compiled model is the in-memory model (internal.h) laid out
 * in one file, so that loading it is a map, a check and a relocation, not a
 * parse (OSRM and GraphHopper do the same with their preprocessed graphs):
 *
 *   header (cor_cmp_header) | section table | sections, each 8-byte aligned
 *
 * The node, edge, country and corridor sections hold the elements' structs
 * byte for byte (the header records the byte order, the word size and a hash
 * of the struct layouts, so that only a build that lays them out alike reads
 * them), with every pointer a struct holds replaced by the address its target
 * has when the file is mapped at COR_CMP_BASE (0 stays NULL): text in
 * the string pool (each string once: ids, names and sources repeat), corridor
 * lists into the size_t pool, geometries into the double pool. The schema's
 * rows (schema.c) say which fields are pointers, so a field added there is
 * compiled with no change here. Derived metrics are stored as derived.
 *
 * Loading maps the file private (copy on write) at COR_CMP_BASE, the address
 * the records' pointers were written for, so that they are used as they lie:
 * no page is written, and the pages stay the page cache's, shared with other
 * processes. It checks the header and the section table, then walks the
 * file once in windows, two threads taking them in file order (see walk):
 * each window's checksum blocks and the records that start in it, every
 * pointer against its pool,
 * every index against its section, every enumeration, coordinate, year and
 * amount against the schema's range; then its pages are unmapped again, so
 * that a load holds a few windows, not the file. A checksum mismatch is
 * reported before anything else. Mapped elsewhere (the address is taken), a second walk,
 * after the checks and the checksum, relocates the pointers in place. The
 * id tables are stored as cor_map lays them out and used where they lie.
 * Nothing is allocated per element; the model points into the mapping until
 * it is freed. A file that fails any check is a CORRIDOR_EINVALID naming the
 * file and what is wrong: the checksum catches damage, and the checks after
 * it make a file crafted with a valid checksum safe to read
 * (tests/fuzz/fuzz_compiled.c).
 */

/* ------------------------------------------------------------- checksum */

static uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

enum { LANES = 16 };
#define K1 0x9E3779B97F4A7C15ULL
#define K2 0xC2B2AE3D27D4EB4FULL

/* The lanes' steps over `steps` runs of 128 bytes: lane l takes the l-th 8 bytes of each. */
static void lanes_plain(uint64_t h[LANES], const unsigned char *p, size_t steps)
{
    for (size_t s = 0; s < steps; s++, p += 8 * LANES)
        for (int l = 0; l < LANES; l++) {
            uint64_t w;
            memcpy(&w, p + 8 * (size_t)l, 8);
            h[l] = rotl(h[l] ^ w, 29) * K1;
        }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
/* The same steps, 8 lanes to a 512-bit register (AVX-512F rotate, AVX-512DQ multiply). */
__attribute__((target("avx512f,avx512dq"))) static void
lanes_avx512(uint64_t h[LANES], const unsigned char *p, size_t steps)
{
    __m512i a = _mm512_loadu_si512((const void *)h), b = _mm512_loadu_si512((const void *)(h + 8));
    const __m512i k1 = _mm512_set1_epi64((long long)K1);
    for (size_t s = 0; s < steps; s++, p += 8 * LANES) {
        __m512i wa = _mm512_loadu_si512((const void *)p);
        __m512i wb = _mm512_loadu_si512((const void *)(p + 64));
        a = _mm512_mullo_epi64(_mm512_rol_epi64(_mm512_xor_si512(a, wa), 29), k1);
        b = _mm512_mullo_epi64(_mm512_rol_epi64(_mm512_xor_si512(b, wb), 29), k1);
    }
    _mm512_storeu_si512((void *)h, a);
    _mm512_storeu_si512((void *)(h + 8), b);
}

static int have_avx512(void)
{
    static int have = -1; /* a race between two loads only computes it twice */
    if (have < 0)
        have = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
    return have;
}
#endif

/* The hash of one block: 16 independent lanes, so that each step's multiply waits only for its
   own lane and the hash runs at about the speed memory delivers. simd: 0 forces the plain C
   steps (the tests compare both). */
uint64_t corridor__cmp_block_sum(const unsigned char *p, size_t n, int simd)
{
    const uint64_t k1 = K1, k2 = K2;
    uint64_t h[LANES];
    for (int l = 0; l < LANES; l++)
        h[l] = k1 * (uint64_t)(l + 1) ^ k2;
    size_t steps = n / (8 * LANES), i = steps * 8 * LANES;
#if defined(__x86_64__) && defined(__GNUC__)
    if (simd && have_avx512())
        lanes_avx512(h, p, steps);
    else
        lanes_plain(h, p, steps);
#else
    (void)simd;
    lanes_plain(h, p, steps);
#endif
    uint64_t t = 0;
    for (; i < n; i++)
        t = (rotl(t, 8) ^ p[i]) * k2 + 1; /* a rotation: every byte of the tail counts */
    uint64_t r = t ^ (uint64_t)n;
    for (int l = 0; l < LANES; l++)
        r = rotl(r ^ h[l] * k2, 31) * k1;
    return r ^ (r >> 29);
}

/* The checksum of n bytes from the hashes of their nb blocks. */
static uint64_t join_sums(const uint64_t *bh, size_t nb, size_t n)
{
    const uint64_t k1 = 0x9E3779B97F4A7C15ULL, k2 = 0xC2B2AE3D27D4EB4FULL;
    uint64_t r = k2 ^ (uint64_t)n;
    for (size_t b = 0; b < nb; b++)
        r = rotl(r ^ bh[b] * k2, 31) * k1;
    return r ^ (r >> 29);
}

uint64_t corridor__cmp_checksum(const unsigned char *p, size_t n)
{
    /* format version 3: blocks of COR_CMP_BLOCK bytes are hashed apart, so that a load can
       check the file a window at a time on either thread (version 2 hashed it in one run) */
    const uint64_t k1 = 0x9E3779B97F4A7C15ULL, k2 = 0xC2B2AE3D27D4EB4FULL;
    uint64_t r = k2 ^ (uint64_t)n;
    for (size_t at = 0; at < n; at += COR_CMP_BLOCK)
        r = rotl(r ^ corridor__cmp_block_sum(p + at,
                                             n - at < COR_CMP_BLOCK ? n - at : COR_CMP_BLOCK, 1) *
                         k2,
                 31) *
            k1;
    return r ^ (r >> 29);
}

/* FNV-1a 64 over bytes, continuing from h. */
static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

#define FNV0 1469598103934665603ULL

uint32_t corridor__cmp_layout(void)
{
    uint64_t h = FNV0;
    size_t sizes[] = {sizeof(cor_country),
                      sizeof(cor_corridor),
                      sizeof(cor_node),
                      sizeof(cor_edge),
                      sizeof(cor_defaults),
                      sizeof(cor_cmp_top),
                      COR_NCOM,
                      COR_NMET,
                      COR_NMODE};
    h = fnv(h, sizes, sizeof sizes);
    for (int k = COR_COUNTRY; k <= COR_EDGE; k++) {
        size_t n = 0;
        const cor_field *rows = corridor__fields((cor_elem)k, &n);
        for (size_t i = 0; i < n; i++) {
            const cor_field *f = &rows[i];
            uint64_t v[6] = {(uint64_t)f->type,
                             f->off,
                             f->given,
                             f->aux,
                             f->bit,
                             f->vocab ? (uint64_t)f->vocab->n : 0};
            if (f->key)
                h = fnv(h, f->key, strlen(f->key));
            h = fnv(h, v, sizeof v);
        }
    }
    return (uint32_t)(h ^ (h >> 32));
}

/* ----------------------------------------------------------------- writer */

static int is_text(cor_ftype t)
{
    return t == CF_ID || t == CF_STRING || t == CF_COLOR || t == CF_ATTRS;
}

typedef struct writer {
    cor_buf str, refs, geom; /* the pools */
    cor_map interned;        /* string (the model's) -> its offset in str */
} writer;

/* The pool offset of s, adding it the first time (0 for NULL). */
static uint64_t put_str(writer *w, const char *s)
{
    size_t off;
    if (!s)
        return 0;
    if (corridor__map_get(&w->interned, s, &off))
        return off;
    off = w->str.len;
    corridor__buf_add(&w->str, s, strlen(s) + 1);
    if (corridor__map_put(&w->interned, s, off) < 0)
        w->str.failed = 1;
    return off;
}

/* Appends n bytes to a pool; their offset (0 for none). */
static uint64_t put_bytes(cor_buf *pool, const void *data, size_t n)
{
    if (!data || !n)
        return 0;
    uint64_t off = pool->len;
    corridor__buf_add(pool, data, n);
    return off;
}

/* Replaces the pointers of one element copy (the schema's rows) by pool offsets. */
static void encode(writer *w, cor_elem kind, char *elem)
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(kind, &n);
    for (size_t i = 0; i < n; i++) {
        const cor_field *f = &rows[i];
        uint64_t off;
        if (is_text(f->type)) {
            off = put_str(w, *COR_AT(elem, f->off, char *));
        } else if (f->type == CF_REFLIST) {
            size_t cnt = *COR_AT(elem, f->aux, size_t);
            off = put_bytes(&w->refs, *COR_AT(elem, f->off, size_t *), cnt * sizeof(size_t));
        } else if (f->type == CF_GEOMETRY) {
            size_t cnt = *COR_AT(elem, f->aux, size_t);
            off = put_bytes(&w->geom, *COR_AT(elem, f->off, double *), cnt * 2 * sizeof(double));
        } else {
            continue;
        }
        memcpy(elem + f->off, &off, sizeof off);
    }
}

/*
 * Turns the records' pool offsets into the addresses the pools have when the
 * file is mapped at COR_CMP_BASE: pools[0..2] for strings, lists, geometries.
 */
static void rebase(cor_buf *sec, cor_elem kind, size_t size, const uint64_t pools[3])
{
    size_t n = 0;
    const cor_field *rows = corridor__fields(kind, &n);
    for (size_t e = 0; e + size <= sec->len && !sec->failed; e += size)
        for (size_t i = 0; i < n; i++) {
            const cor_field *f = &rows[i];
            int pool = is_text(f->type)         ? 0
                       : f->type == CF_REFLIST  ? 1
                       : f->type == CF_GEOMETRY ? 2
                                                : -1;
            uint64_t v;
            if (pool < 0)
                continue;
            memcpy(&v, sec->data + e + f->off, sizeof v);
            if (v)
                v += pools[pool];
            memcpy(sec->data + e + f->off, &v, sizeof v);
        }
}

/* A section: its encoded elements. */
static void put_section(writer *w, cor_buf *out, cor_elem kind, const void *elems, size_t n,
                        size_t size)
{
    char *tmp = calloc(1, size);
    if (!tmp) {
        out->failed = 1;
        return;
    }
    for (size_t i = 0; i < n && !out->failed; i++) {
        memcpy(tmp, (const char *)elems + i * size, size);
        encode(w, kind, tmp);
        corridor__buf_add(out, tmp, size);
    }
    free(tmp);
}

/* An id table: cap, then the slots of a cor_map of the n ids (SIZE_MAX where empty). */
static void put_index(cor_buf *out, const void *elems, size_t n, size_t size, size_t off)
{
    cor_map map;
    corridor__map_init(&map);
    if (corridor__map_reserve(&map, n ? n : 1) < 0) {
        out->failed = 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (corridor__map_put(&map, *(char *const *)((const char *)elems + i * size + off), i) < 0)
            out->failed = 1;
    uint64_t cap = map.cap;
    corridor__buf_add(out, (const char *)&cap, sizeof cap);
    for (size_t j = 0; j < map.cap; j++) {
        uint64_t v = map.keys[j] ? map.vals[j] : UINT64_MAX;
        corridor__buf_add(out, (const char *)&v, sizeof v);
    }
    corridor__map_free(&map);
}

/* Pads a buffer to a multiple of 8 bytes. */
static void pad8(cor_buf *b)
{
    static const char zeros[8];
    if (b->len % 8)
        corridor__buf_add(b, zeros, 8 - b->len % 8);
}

static int model_hash(uint64_t *out, const corridor_model *m)
{
    char *text = NULL;
    size_t len = 0;
    int err = corridor__model_canonical(&text, &len, m);
    if (err == 0)
        *out = fnv(FNV0, text, len);
    free(text);
    return err;
}

/* Builds the whole file in *file. */
static int build(cor_buf *file, const corridor_model *m, uint64_t hash)
{
    writer w;
    cor_buf sec[COR_SEC_COUNT];
    cor_cmp_top top;
    int err = 0;
    memset(&w, 0, sizeof w);
    memset(&top, 0, sizeof top);
    for (int i = 0; i < COR_SEC_COUNT; i++)
        corridor__buf_init(&sec[i]);
    corridor__map_init(&w.interned);
    corridor__buf_add(&w.str, "", 1); /* offset 0: NULL */
    static const char zeros[16];
    corridor__buf_add(&w.refs, zeros, sizeof(size_t));
    corridor__buf_add(&w.geom, zeros, 2 * sizeof(double));

    top.name = put_str(&w, m->name);
    top.description = put_str(&w, m->description);
    top.origin = put_str(&w, m->origin);
    for (int i = 0; i < COR_NCOM; i++)
        top.units[i] = put_str(&w, m->units[i]);
    top.n_countries = m->n_countries;
    top.n_corridors = m->n_corridors;
    top.n_nodes = m->n_nodes;
    top.n_edges = m->n_edges;
    top.n_warnings = m->n_warnings;
    top.defaults_given = m->defaults_given;
    memcpy(top.defaults, m->defaults, sizeof top.defaults);
    corridor__buf_add(&sec[COR_SEC_TOP], (const char *)&top, sizeof top);
    put_section(&w, &sec[COR_SEC_COUNTRY], COR_COUNTRY, m->countries, m->n_countries,
                sizeof *m->countries);
    put_section(&w, &sec[COR_SEC_CORRIDOR], COR_CORRIDOR, m->corridors, m->n_corridors,
                sizeof *m->corridors);
    put_section(&w, &sec[COR_SEC_NODE], COR_NODE, m->nodes, m->n_nodes, sizeof *m->nodes);
    put_section(&w, &sec[COR_SEC_EDGE], COR_EDGE, m->edges, m->n_edges, sizeof *m->edges);
    for (size_t i = 0; i < m->n_warnings; i++) {
        uint64_t off = put_str(&w, m->warnings[i]);
        corridor__buf_add(&sec[COR_SEC_WARN], (const char *)&off, sizeof off);
    }
    put_index(&sec[COR_SEC_IDX_COUNTRY], m->countries, m->n_countries, sizeof *m->countries,
              offsetof(cor_country, code));
    put_index(&sec[COR_SEC_IDX_CORRIDOR], m->corridors, m->n_corridors, sizeof *m->corridors,
              offsetof(cor_corridor, id));
    put_index(&sec[COR_SEC_IDX_NODE], m->nodes, m->n_nodes, sizeof *m->nodes,
              offsetof(cor_node, id));
    put_index(&sec[COR_SEC_IDX_EDGE], m->edges, m->n_edges, sizeof *m->edges,
              offsetof(cor_edge, id));
    if ((err = corridor__cmp_net_write(&sec[COR_SEC_NET], m, &sec[COR_SEC_NODE], &sec[COR_SEC_EDGE],
                                       w.str.len, w.refs.len)) < 0)
        goto done;
    sec[COR_SEC_STR] = w.str;
    sec[COR_SEC_REFS] = w.refs;
    sec[COR_SEC_GEOM] = w.geom;
    memset(&w.str, 0, sizeof w.str);
    memset(&w.refs, 0, sizeof w.refs);
    memset(&w.geom, 0, sizeof w.geom);

    /* header and table, then the sections */
    cor_cmp_header h;
    cor_cmp_section table[COR_SEC_COUNT - 1];
    memset(&h, 0, sizeof h);
    memset(table, 0, sizeof table);
    memcpy(h.magic, COR_CMP_MAGIC, COR_CMP_MAGIC_LEN);
    h.version = COR_CMP_VERSION;
    h.endian = COR_CMP_ENDIAN;
    h.word = (uint32_t)sizeof(size_t);
    h.layout = corridor__cmp_layout();
    h.model_hash = hash;
    h.n_sections = COR_SEC_COUNT - 1;
    uint64_t off = sizeof h + sizeof table;
    for (int i = 1; i < COR_SEC_COUNT; i++) {
        if (sec[i].failed)
            err = CORRIDOR_ENOMEM;
        table[i - 1].id = (uint32_t)i;
        table[i - 1].off = off;
        table[i - 1].len = sec[i].len;
        off += (sec[i].len + 7) / 8 * 8;
    }
    h.file_len = off;
    h.base = COR_CMP_BASE;
    uint64_t pools[3] = {COR_CMP_BASE + table[COR_SEC_STR - 1].off,
                         COR_CMP_BASE + table[COR_SEC_REFS - 1].off,
                         COR_CMP_BASE + table[COR_SEC_GEOM - 1].off};
    rebase(&sec[COR_SEC_COUNTRY], COR_COUNTRY, sizeof *m->countries, pools);
    rebase(&sec[COR_SEC_CORRIDOR], COR_CORRIDOR, sizeof *m->corridors, pools);
    rebase(&sec[COR_SEC_NODE], COR_NODE, sizeof *m->nodes, pools);
    rebase(&sec[COR_SEC_EDGE], COR_EDGE, sizeof *m->edges, pools);
    corridor__buf_add(file, (const char *)&h, sizeof h);
    corridor__buf_add(file, (const char *)table, sizeof table);
    for (int i = 1; i < COR_SEC_COUNT && !err; i++) {
        if (sec[i].len)
            corridor__buf_add(file, sec[i].data, sec[i].len);
        pad8(file);
    }
    if (file->failed)
        err = CORRIDOR_ENOMEM;
    if (!err) {
        h.checksum =
            corridor__cmp_checksum((unsigned char *)file->data + sizeof h, file->len - sizeof h);
        memcpy(file->data, &h, sizeof h);
    }
done:
    for (int i = 0; i < COR_SEC_COUNT; i++)
        corridor__buf_free(&sec[i]);
    corridor__buf_free(&w.str);
    corridor__buf_free(&w.refs);
    corridor__buf_free(&w.geom);
    corridor__map_free(&w.interned);
    return err;
}

int corridor_model_compile(const corridor_model *m, const char *path)
{
    cor_buf file;
    uint64_t hash = 0;
    int err;
    if (!m || !path || !*path)
        return corridor__error(CORRIDOR_EUSAGE, "compile needs a model and an output file name");
    corridor__buf_init(&file);
    if ((err = model_hash(&hash, m)) < 0 || (err = build(&file, m, hash)) < 0) {
        corridor__buf_free(&file);
        return err == CORRIDOR_ENOMEM ? corridor__oom() : err;
    }
    err = corridor__write_file_atomic(path, file.data, file.len);
    corridor__buf_free(&file);
    return err;
}

/* ----------------------------------------------------------------- reader */

typedef struct loader {
    const char *name;
    corridor_diags *diags;
    char *base;
    size_t len;
    const char *str; /* the string pool, str_len bytes, ending with a NUL */
    size_t str_len;
    uint64_t want;                      /* the address the records' pointers assume */
    size_t str_abs, refs_abs, geom_abs; /* the pools' offsets in the file */
    char *refs, *geom;
    size_t refs_len, geom_len;
    size_t count[COR_ELEM_COUNT]; /* elements of each kind */
    char *quiet; /* if set, bad() keeps its first message here (COR_MSG bytes) instead */
    int write;   /* relocate pointers (the second pass); else only note that some must move */
    int dirty;   /* a pointer must move: the file is not mapped where it asked to be */
    int mapped;  /* base is a file mapping (its pages may be unmapped again once checked) */
} loader;

#define COR_MSG      512
#define COR_MAX_ROWS 64 /* rows of one element kind the fast checks take (schema.c has ~25) */

/* A located CORRIDOR_EINVALID: "NAME: compiled model: MESSAGE". */
static int bad(loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(loader *L, const char *fmt, ...)
{
    char msg[COR_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (L->quiet) { /* kept for later: the checksum's verdict comes first */
        if (!*L->quiet)
            snprintf(L->quiet, COR_MSG, "%s", msg);
        return CORRIDOR_EINVALID;
    }
    corridor__diag(L->diags, 0, L->name, NULL, "compiled model: %s", msg);
    return corridor__error(CORRIDOR_EINVALID, "%s: compiled model: %s", L->name, msg);
}

#define RECOMPILE "; compile the model again (corridor compile MODEL -o FILE)"

static int check_header(loader *L, const cor_cmp_header *h)
{
    if (L->len < sizeof *h || memcmp(h->magic, COR_CMP_MAGIC, COR_CMP_MAGIC_LEN) != 0)
        return bad(L, "%s",
                   L->len < sizeof *h ? "truncated header" RECOMPILE
                                      : "not a compiled corridor model (no magic number)");
    if (h->endian != COR_CMP_ENDIAN)
        return bad(L, "written on a machine of the other byte order" RECOMPILE " on this one");
    if (h->version > COR_CMP_VERSION)
        return bad(L,
                   "format version %u is newer than this corridor reads (%u); upgrade "
                   "corridor or compile the model with this one",
                   h->version, COR_CMP_VERSION);
    if (h->version != COR_CMP_VERSION)
        return bad(L, "format version %u is older than this corridor reads (%u)" RECOMPILE,
                   h->version, COR_CMP_VERSION);
    if (h->word != sizeof(size_t))
        return bad(L, "written with %u-byte words, this machine has %zu" RECOMPILE " on this one",
                   h->word, sizeof(size_t));
    if (h->layout != corridor__cmp_layout())
        return bad(L, "written by a corridor build with another element layout" RECOMPILE);
    if (h->file_len != L->len)
        return bad(L, "%s: %zu bytes, the header says %llu" RECOMPILE,
                   h->file_len > L->len ? "truncated" : "trailing bytes", L->len,
                   (unsigned long long)h->file_len);
    if (h->n_sections != COR_SEC_COUNT - 1 ||
        sizeof *h + h->n_sections * sizeof(cor_cmp_section) > L->len)
        return bad(L, "section table: %u sections, expected %d" RECOMPILE, h->n_sections,
                   COR_SEC_COUNT - 1);
    return 0;
}

/* Finds the sections; sec[id] = {start, len}. */
static int check_table(loader *L, char *sec[COR_SEC_COUNT], size_t len[COR_SEC_COUNT])
{
    const char *t = L->base + sizeof(cor_cmp_header);
    uint64_t end = sizeof(cor_cmp_header) + (COR_SEC_COUNT - 1) * sizeof(cor_cmp_section);
    for (int i = 1; i < COR_SEC_COUNT; i++) {
        cor_cmp_section s;
        memcpy(&s, t + (size_t)(i - 1) * sizeof s, sizeof s);
        if (s.id != (uint32_t)i)
            return bad(L, "section table: entry %d has id %u, expected %d" RECOMPILE, i, s.id, i);
        if (s.off % 8 || s.off < end || s.off > L->len || s.len > L->len - s.off)
            return bad(L, "section %d: %llu bytes at %llu do not fit the file" RECOMPILE, i,
                       (unsigned long long)s.len, (unsigned long long)s.off);
        end = s.off + s.len;
        sec[i] = L->base + s.off;
        len[i] = (size_t)s.len;
    }
    return 0;
}

/* The string pool: a NUL first and last, valid UTF-8 between the NULs. */
static int check_strings(loader *L)
{
    if (L->str_len < 1 || L->str[0] != '\0' || L->str[L->str_len - 1] != '\0')
        return bad(L, "the string pool is not NUL-terminated" RECOMPILE);
    size_t off = 0, len = L->str_len;
    while (off < len) {
        uint64_t w = 0x8080808080808080ull;
        if (len - off >= 8)
            memcpy(&w, L->str + off, 8);
        if (!(w & 0x8080808080808080ull)) { /* ASCII, NULs included: all valid */
            off += 8;
            continue;
        }
        if (!(L->str[off] & 0x80)) {
            off++;
            continue;
        }
        int is_nul = 0; /* a multi-byte character: checked up to its string's NUL */
        size_t b = corridor__text_bad_byte(L->str + off, len - off, &is_nul);
        if (b < len - off && !is_nul)
            return bad(L, "the string pool has invalid UTF-8 at byte %zu" RECOMPILE, off + b);
        off += b + 1;
    }
    return 0;
}

/*
 * The pointer stored at p, written for the file at L->want, as a file offset
 * into the pool at pool_abs (pool_len bytes): 0 and *rel set, or -1 if it is
 * outside (0 is NULL).
 */
static int pool_offset(const loader *L, const void *p, size_t pool_abs, size_t pool_len,
                       size_t *rel)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    *rel = 0;
    if (v == 0)
        return 0;
    if (v < L->want || v - L->want <= pool_abs || v - L->want - pool_abs >= pool_len)
        return -1;
    *rel = (size_t)(v - L->want - pool_abs);
    return 0;
}

/* Stores the pointer q at p unless it is there already (so that no page is copied). */
static void put_ptr(loader *L, void *p, const void *q)
{
    if (memcmp(p, &q, sizeof q) == 0)
        return;
    if (L->write)
        memcpy(p, &q, sizeof q);
    else
        L->dirty = 1; /* the relocation pass will write it */
}

/* Checks the text pointer at p and relocates it. */
static int fix_text(loader *L, void *p, int required, const char *what, size_t i, const char *key)
{
    size_t rel;
    int out = pool_offset(L, p, L->str_abs, L->str_len, &rel) < 0;
    if (out || (rel == 0 && required))
        return bad(L, "%s[%zu]: \"%s\": %s" RECOMPILE, what, i, key,
                   out ? "text offset outside the string pool" : "missing");
    put_ptr(L, p, rel ? L->str + rel : NULL);
    return 0;
}

/* Checks the pointer at p to cnt items of `size` bytes in a pool and relocates it. */
static int fix_pool(loader *L, void *p, size_t cnt, size_t size, char *pool, size_t pool_abs,
                    size_t pool_len, const void **got, const char *what, size_t i, const char *key)
{
    *got = NULL;
    size_t rel;
    int out = pool_offset(L, p, pool_abs, pool_len, &rel) < 0;
    if (out || (cnt && (rel == 0 || rel % 8 || cnt > (pool_len - rel) / size)))
        return bad(L, "%s[%zu]: \"%s\": %zu items at %zu outside their pool" RECOMPILE, what, i,
                   key, cnt, rel);
    *got = cnt ? pool + rel : NULL;
    put_ptr(L, p, *got);
    return 0;
}

/* A schema row as the checks use it: the row, and the largest allowed value of each amount. */
typedef struct row_check {
    const cor_field *f;
    cor_ftype type;  /* f's, kept here: one load less per value */
    size_t off, aux; /* likewise */
    int required;    /* a text that must be present */
    const char *key; /* f->key, or "" */
    double max[(int)COR_NCOM > (int)COR_NMET ? (int)COR_NCOM : (int)COR_NMET];
} row_check;

/*
 * Amounts in [min, max] as the loader has them: a metric may be NAN (not
 * derivable), a capacity INFINITY (unlimited); a penalty is always a number.
 * Negative or NaN weights would break the searches' assumptions.
 */
static inline int check_amounts(loader *L, const row_check *rc, const char *e, const char *what,
                                size_t i)
{
    const cor_field *f = rc->f;
    const double *x = COR_CAT(e, rc->off, double);
    size_t count = rc->type == CF_AMOUNT ? 1 : rc->type == CF_PENALTY ? COR_NMET : COR_NCOM;
    for (size_t k = 0; k < count; k++) {
        double v = x[k];
        if ((rc->type == CF_AMOUNT && isnan(v)) || (rc->type == CF_CAPACITY && v == INFINITY))
            continue;
        double lo = rc->type == CF_AMOUNT ? f->min : 0;
        if (!(v >= lo && v <= rc->max[k]) ||
            (rc->type == CF_PENALTY && k == CORRIDOR_BY_DISTANCE && v != 0))
            return bad(L, "%s[%zu]: \"%s\": %g out of range" RECOMPILE, what, i, f->key, v);
    }
    return 0;
}

/* Checks one row's value of element i and relocates it. */
static inline __attribute__((always_inline)) int fix_row(loader *L, const row_check *rc, char *e,
                                                         const char *what, size_t i)
{
    const cor_field *f = rc->f;
    const char *key = rc->key;
    switch (rc->type) {
    case CF_ID:
    case CF_STRING:
    case CF_COLOR:
    case CF_ATTRS:
        return fix_text(L, e + rc->off, rc->required, what, i, key);
    case CF_REF: {
        if (f->sec == COR_NODE) {
            size_t v = *COR_AT(e, rc->off, size_t);
            if (v >= L->count[COR_NODE])
                return bad(L, "%s[%zu]: \"%s\": node %zu of %zu" RECOMPILE, what, i, key, v,
                           L->count[COR_NODE]);
        } else {
            long v = *COR_AT(e, rc->off, long);
            if (v < -1 || (v >= 0 && (size_t)v >= L->count[f->sec]))
                return bad(L, "%s[%zu]: \"%s\": reference %ld out of range" RECOMPILE, what, i, key,
                           v);
        }
        return 0;
    }
    case CF_REFLIST: {
        size_t cnt = *COR_AT(e, rc->aux, size_t);
        const void *got;
        int err = fix_pool(L, e + rc->off, cnt, sizeof(size_t), L->refs, L->refs_abs, L->refs_len,
                           &got, what, i, key);
        const size_t *list = got;
        for (size_t k = 0; err == 0 && k < cnt; k++)
            if (list[k] >= L->count[f->sec])
                err = bad(L, "%s[%zu]: \"%s\": reference %zu out of range" RECOMPILE, what, i, key,
                          list[k]);
        return err;
    }
    case CF_GEOMETRY: {
        size_t cnt = *COR_AT(e, rc->aux, size_t);
        if (cnt == 1 || cnt > COR_MAX_GEOM)
            return bad(L, "%s[%zu]: \"%s\": %zu points" RECOMPILE, what, i, key, cnt);
        const void *got;
        int err = fix_pool(L, e + rc->off, cnt, 2 * sizeof(double), L->geom, L->geom_abs,
                           L->geom_len, &got, what, i, key);
        const double *pts = got;
        for (size_t k = 0; err == 0 && k < cnt; k++)
            if (!(fabs(pts[2 * k]) <= 180) || !(fabs(pts[2 * k + 1]) <= 90))
                err = bad(L, "%s[%zu]: \"%s\": point %zu out of range" RECOMPILE, what, i, key, k);
        return err;
    }
    case CF_ENUM: {
        int v = *COR_AT(e, rc->off, int);
        if (v < 0 || v >= f->vocab->n)
            return bad(L, "%s[%zu]: \"%s\": value %d out of range" RECOMPILE, what, i, key, v);
        return 0;
    }
    case CF_COORD: {
        double v = *COR_AT(e, rc->off, double);
        int has = *COR_AT(e, rc->aux, int);
        if ((has != 0 && has != 1) || (has && !(v >= f->min && v <= f->max)))
            return bad(L, "%s[%zu]: \"%s\": out of range" RECOMPILE, what, i, key);
        return 0;
    }
    case CF_YEAR:
    case CF_INT: {
        int v = *COR_AT(e, rc->off, int);
        if (v != 0 && (v < f->min || v > f->max))
            return bad(L, "%s[%zu]: \"%s\": %d out of range" RECOMPILE, what, i, key, v);
        return 0;
    }
    case CF_BOOL: {
        int v = *COR_AT(e, rc->off, int);
        if (v != 0 && v != 1)
            return bad(L, "%s[%zu]: \"%s\": %d is not a boolean" RECOMPILE, what, i, key, v);
        return 0;
    }
    case CF_LIST: {
        unsigned v = *COR_AT(e, rc->off, unsigned);
        if (v >> f->vocab->n)
            return bad(L, "%s[%zu]: \"%s\": unknown names" RECOMPILE, what, i, key);
        return 0;
    }
    case CF_AMOUNT:
    case CF_PENALTY:
    case CF_CAPACITY:
        return check_amounts(L, rc, e, what, i);
    default:
        return 0;
    }
}

/*
 * The common rows of a kind, grouped by type so that an element is checked by
 * a few short loops without a branch per row (fast_ok): texts, node and other
 * references, enumerations, single amounts. The other rows go through
 * fix_row. An element that fails is checked again by fix_row, row by row,
 * for the message.
 */
typedef struct fast_plan {
    size_t n_text, n_node, n_ref, n_enum, n_amount, n_rest;
    size_t text[COR_MAX_ROWS], node[COR_MAX_ROWS], ref[COR_MAX_ROWS], en[COR_MAX_ROWS];
    size_t amount[COR_MAX_ROWS];
    unsigned char required[COR_MAX_ROWS];
    size_t ref_count[COR_MAX_ROWS];
    int en_n[COR_MAX_ROWS];
    double lo[COR_MAX_ROWS], hi[COR_MAX_ROWS];
    const row_check *rest[COR_MAX_ROWS];
    uint64_t str_at; /* the address the string pool's offset 0 has in the records */
    size_t str_len, nodes;
} fast_plan;

static void fast_build(fast_plan *fp, const loader *L, const row_check *plan, size_t nrows)
{
    memset(fp, 0, sizeof *fp);
    fp->str_at = L->want + L->str_abs;
    fp->str_len = L->str_len;
    fp->nodes = L->count[COR_NODE];
    for (size_t r = 0; r < nrows; r++) {
        const row_check *rc = &plan[r];
        switch (rc->type) {
        case CF_ID:
        case CF_STRING:
        case CF_COLOR:
        case CF_ATTRS:
            fp->required[fp->n_text] = (unsigned char)rc->required;
            fp->text[fp->n_text++] = rc->off;
            break;
        case CF_REF:
            if (rc->f->sec == COR_NODE) {
                fp->node[fp->n_node++] = rc->off;
            } else {
                fp->ref_count[fp->n_ref] = L->count[rc->f->sec];
                fp->ref[fp->n_ref++] = rc->off;
            }
            break;
        case CF_ENUM:
            fp->en_n[fp->n_enum] = rc->f->vocab->n;
            fp->en[fp->n_enum++] = rc->off;
            break;
        case CF_AMOUNT:
            fp->lo[fp->n_amount] = rc->f->min;
            fp->hi[fp->n_amount] = rc->max[0];
            fp->amount[fp->n_amount++] = rc->off;
            break;
        default:
            fp->rest[fp->n_rest++] = rc;
        }
    }
}

/* 1 if element e passes fast_plan's rows (with fix_row's verdicts), else 0. */
static int fast_ok(loader *L, const fast_plan *fp, char *e, const char *what, size_t i)
{
    int bad = 0;
    for (size_t k = 0; k < fp->n_text; k++) {
        uint64_t v;
        memcpy(&v, e + fp->text[k], sizeof v);
        /* 0 (NULL) where allowed, else an offset in (0, str_len) of the pool */
        bad |= v ? v - fp->str_at - 1 >= fp->str_len - 1 : fp->required[k];
    }
    for (size_t k = 0; k < fp->n_node; k++)
        bad |= *COR_AT(e, fp->node[k], size_t) >= fp->nodes;
    for (size_t k = 0; k < fp->n_ref; k++) {
        long v = *COR_AT(e, fp->ref[k], long);
        bad |= v < -1 || (v >= 0 && (size_t)v >= fp->ref_count[k]);
    }
    for (size_t k = 0; k < fp->n_enum; k++) {
        int v = *COR_AT(e, fp->en[k], int);
        bad |= v < 0 || v >= fp->en_n[k];
    }
    for (size_t k = 0; k < fp->n_amount; k++) {
        double v = *COR_AT(e, fp->amount[k], double);
        bad |= !isnan(v) && !(v >= fp->lo[k] && v <= fp->hi[k]);
    }
    for (size_t k = 0; k < fp->n_rest && !bad; k++)
        bad = fix_row(L, fp->rest[k], e, what, i) != 0;
    return !bad;
}

/* Checks and relocates the n elements of a section. */
static int fix_range(loader *L, cor_elem kind, char *elems, size_t from, size_t n, size_t size)
{
    static const char *const what[COR_ELEM_COUNT] = {"", "countries", "corridors", "nodes",
                                                     "edges"};
    size_t nrows = 0;
    const cor_field *rows = corridor__fields(kind, &nrows);
    row_check *plan = malloc((nrows + 1) * sizeof *plan);
    fast_plan *fp = malloc(sizeof *fp);
    int err = 0;
    if (!plan || !fp) {
        free(plan);
        free(fp);
        return corridor__oom();
    }
    for (size_t r = 0; r < nrows; r++) {
        plan[r].f = &rows[r];
        plan[r].type = rows[r].type;
        plan[r].off = rows[r].off;
        plan[r].aux = rows[r].aux;
        plan[r].required =
            rows[r].type == CF_ID || (rows[r].flags & (CF_REQUIRED | CF_NAME_ID)) != 0;
        plan[r].key = rows[r].key ? rows[r].key : "";
        for (size_t k = 0; k < sizeof plan[r].max / sizeof plan[r].max[0]; k++)
            plan[r].max[k] = corridor__field_max(&rows[r], (int)k);
    }
    /* the fast rows only while checking (fix_row writes the pointers when relocating); they
       check the offsets the records hold, wherever the file lies, but do not note that a
       pointer must move: mapped elsewhere, every text must */
    int fast = !L->write && nrows <= COR_MAX_ROWS;
    if (fast) {
        fast_build(fp, L, plan, nrows);
        if ((uintptr_t)L->base != L->want && from < n)
            L->dirty = 1;
    }
    for (size_t i = from; i < n && !err; i++) {
        char *e = elems + i * size;
        if (fast && fast_ok(L, fp, e, what[kind], i) &&
            !(kind == COR_EDGE && ((cor_edge *)e)->from == ((cor_edge *)e)->to))
            continue;
        for (size_t r = 0; r < nrows && !err; r++)
            err = fix_row(L, &plan[r], e, what[kind], i);
        if (!err && kind == COR_EDGE && ((cor_edge *)e)->from == ((cor_edge *)e)->to)
            err = bad(L, "edges[%zu]: \"to\" equals \"from\"" RECOMPILE, i);
    }
    free(plan);
    free(fp);
    return err;
}

/* The countries, the corridors, the nodes and edges [0, edges_to), in file order. */
static int fix_upto(loader *L, const corridor_model *m, size_t edges_to)
{
    int err;
    if ((err = fix_range(L, COR_COUNTRY, (char *)m->countries, 0, m->n_countries,
                         sizeof *m->countries)) == 0 &&
        (err = fix_range(L, COR_CORRIDOR, (char *)m->corridors, 0, m->n_corridors,
                         sizeof *m->corridors)) == 0 &&
        (err = fix_range(L, COR_NODE, (char *)m->nodes, 0, m->n_nodes, sizeof *m->nodes)) == 0)
        err = fix_range(L, COR_EDGE, (char *)m->edges, 0, edges_to, sizeof *m->edges);
    return err;
}

/*
 * The walk over the file after the header: windows of COR_CMP_WINDOW bytes,
 * taken in file order by whichever thread is free. A window is mapped (one
 * madvise for its pages instead of a fault per few), its checksum blocks
 * hashed, the records that start in it checked, and its pages unmapped
 * again, so that a load holds a few windows of the file, not all of it
 * (the pages stay in the page cache; a search maps back only what it reads).
 */
#define COR_CMP_WINDOW (8 * COR_CMP_BLOCK)

typedef struct walk {
    corridor_model *m;
    const char *data; /* what the checksum covers: the file after the header */
    size_t data_len, n_win;
    uint64_t *sums; /* each block's hash */
    size_t next;    /* the next window to take (atomic) */
    size_t page;
    int mapped;
} walk;

/* One thread's share: its messages are kept, the first one with its window. */
typedef struct worker {
    walk *w;
    loader L;
    char msg[COR_MSG];
    size_t err_win;
    int err;
} worker;

/* madvise on the whole pages inside [p, p + n) (in: 1) or touched by it (in: 0). */
static void advise(const walk *w, const char *p, size_t n, int in, int advice)
{
    uintptr_t lo = (uintptr_t)p, hi = lo + n, pg = w->page;
    lo = in ? (lo + pg - 1) / pg * pg : lo / pg * pg;
    hi = in ? hi / pg * pg : (hi + pg - 1) / pg * pg;
    if (w->mapped && hi > lo)
        (void)madvise((void *)lo, hi - lo, advice);
}

static void window(worker *k, size_t wi)
{
    walk *w = k->w;
    size_t off = wi * COR_CMP_WINDOW;
    size_t n = w->data_len - off < COR_CMP_WINDOW ? w->data_len - off : COR_CMP_WINDOW;
    const char *lo = w->data + off, *hi = lo + n;
#ifdef MADV_POPULATE_READ
    advise(w, lo, n, 0, MADV_POPULATE_READ); /* read-only: no page is copied */
#endif
    for (size_t at = off; at < off + n; at += COR_CMP_BLOCK)
        w->sums[at / COR_CMP_BLOCK] = corridor__cmp_block_sum(
            (const unsigned char *)w->data + at,
            w->data_len - at < COR_CMP_BLOCK ? w->data_len - at : COR_CMP_BLOCK, 1);
    const corridor_model *m = w->m;
    if (!m) {
        advise(w, lo, n, 1, MADV_DONTNEED);
        return;
    }
    const struct {
        cor_elem kind;
        const char *elems;
        size_t n, size;
    } sec[] = {{COR_COUNTRY, (const char *)m->countries, m->n_countries, sizeof *m->countries},
               {COR_CORRIDOR, (const char *)m->corridors, m->n_corridors, sizeof *m->corridors},
               {COR_NODE, (const char *)m->nodes, m->n_nodes, sizeof *m->nodes},
               {COR_EDGE, (const char *)m->edges, m->n_edges, sizeof *m->edges}};
    for (size_t i = 0; i < sizeof sec / sizeof sec[0] && !k->err; i++) {
        const char *e = sec[i].elems;
        if (!e || e + sec[i].n * sec[i].size <= lo || e >= hi)
            continue;
        /* the elements that start in [lo, hi) */
        size_t from = e >= lo ? 0 : ((size_t)(lo - e) + sec[i].size - 1) / sec[i].size;
        size_t to = ((size_t)(hi - e) + sec[i].size - 1) / sec[i].size;
        if (to > sec[i].n)
            to = sec[i].n;
        if (from < to &&
            (k->err = fix_range(&k->L, sec[i].kind, (char *)e, from, to, sec[i].size)) < 0)
            k->err_win = wi;
    }
    advise(w, lo, n, 1, MADV_DONTNEED);
}

static void *work(void *arg)
{
    worker *k = arg;
    size_t wi;
    while ((wi = __atomic_fetch_add(&k->w->next, 1, __ATOMIC_RELAXED)) < k->w->n_win)
        window(k, wi);
    return NULL;
}

static int load_top(loader *L, corridor_model *m, const char *sec, size_t len);
static int place(loader *L, void **arr, size_t *n, cor_elem kind, char *sec, size_t len,
                 size_t size, const char *what);

/*
 * The records, checked and relocated, a window at a time on two threads (see
 * walk). A checksum mismatch is the one error reported then (a damaged file
 * fails the other checks too, with a less useful message); else the first
 * error in file order.
 */
static int fix_records(loader *L, corridor_model *m, char *sec[COR_SEC_COUNT],
                       const size_t len[COR_SEC_COUNT], uint64_t checksum)
{
    char msg[COR_MSG] = "";
    walk w;
    worker k[2];
    pthread_t thread;
    int threaded = 0, err;
    memset(&w, 0, sizeof w);
    memset(k, 0, sizeof k);
    L->quiet = msg;
    if ((err = check_strings(L)) == 0 &&
        (err = load_top(L, m, sec[COR_SEC_TOP], len[COR_SEC_TOP])) == 0 &&
        (err = place(L, (void **)&m->countries, &m->n_countries, COR_COUNTRY, sec[COR_SEC_COUNTRY],
                     len[COR_SEC_COUNTRY], sizeof *m->countries, "countries")) == 0 &&
        (err =
             place(L, (void **)&m->corridors, &m->n_corridors, COR_CORRIDOR, sec[COR_SEC_CORRIDOR],
                   len[COR_SEC_CORRIDOR], sizeof *m->corridors, "corridors")) == 0 &&
        (err = place(L, (void **)&m->nodes, &m->n_nodes, COR_NODE, sec[COR_SEC_NODE],
                     len[COR_SEC_NODE], sizeof *m->nodes, "nodes")) == 0)
        err = place(L, (void **)&m->edges, &m->n_edges, COR_EDGE, sec[COR_SEC_EDGE],
                    len[COR_SEC_EDGE], sizeof *m->edges, "edges");
    L->quiet = NULL;
    w.m = err ? NULL : m; /* else the records are not where they should be: only the checksum */
    w.data = L->base + sizeof(cor_cmp_header);
    w.data_len = L->len - sizeof(cor_cmp_header);
    w.n_win = (w.data_len + COR_CMP_WINDOW - 1) / COR_CMP_WINDOW;
    w.page = (size_t)sysconf(_SC_PAGESIZE);
    w.mapped = L->mapped && w.page > 0 && (w.page & (w.page - 1)) == 0;
    size_t nb = (w.data_len + COR_CMP_BLOCK - 1) / COR_CMP_BLOCK;
    if (!(w.sums = malloc((nb + 1) * sizeof *w.sums)))
        return corridor__oom();
    for (int t = 0; t < 2; t++) {
        k[t].w = &w;
        k[t].L = *L;
        k[t].L.quiet = k[t].msg;
    }
    /* a thread only where it pays: for one window it costs more than it saves */
    threaded = w.n_win > 1 && pthread_create(&thread, NULL, work, &k[1]) == 0;
    work(&k[0]);
    if (threaded)
        pthread_join(thread, NULL);
    uint64_t sum = join_sums(w.sums, nb, w.data_len);
    free(w.sums);
    if (sum != checksum)
        return bad(L, "checksum mismatch: the file is damaged" RECOMPILE);
    if (err)
        return bad(L, "%s", msg);
    const worker *first = k[1].err && (!k[0].err || k[1].err_win < k[0].err_win) ? &k[1] : &k[0];
    if (first->err)
        return bad(L, "%s", first->msg);
    L->dirty = k[0].L.dirty || k[1].L.dirty;
    if (!L->dirty)
        return 0; /* mapped where the pointers assume: used as it lies */
    /* the relocation pass, after the checks and the checksum (which must see the bytes as
       written): the same walk, now writing each pointer */
    L->write = 1;
    err = fix_upto(L, m, m->n_edges);
    L->write = 0;
    return err;
}

/*
 * The id table of n elements from its section: cap a power of two, n slots
 * holding each index below n, the others empty (so a lookup ends). A table
 * crafted to point an id at the wrong element makes lookups miss, nothing
 * worse; the ids are not hashed again (that is the point of storing it).
 */
static int view_ids(loader *L, cor_map *map, char *sec, size_t len, const char *elems, size_t n,
                    size_t size, size_t off, const char *what)
{
    uint64_t cap = 0;
    if (len >= sizeof cap)
        memcpy(&cap, sec, sizeof cap);
    if (len < sizeof cap || cap == 0 || (cap & (cap - 1)) || cap <= n ||
        cap != (len - sizeof cap) / sizeof(size_t) || (len - sizeof cap) % sizeof(size_t))
        return bad(L, "the %s id table is malformed" RECOMPILE, what);
    size_t *slots = (size_t *)(sec + sizeof cap), used = 0, past = 0;
    for (size_t j = 0; j < cap; j++) { /* no branch: an empty slot (SIZE_MAX) wraps to 0 */
        size_t x = slots[j] + 1;
        past |= x > n;
        used += x != 0;
    }
    if (past)
        return bad(L, "the %s id table points past the %s" RECOMPILE, what, what);
    if (used != n)
        return bad(L, "the %s id table has %zu ids for %zu %s" RECOMPILE, what, used, n, what);
    corridor__map_view(map, slots, (size_t)cap, n, elems ? elems + off : NULL, size);
    return 0;
}

/* The model's own fields from the top section. */
static int load_top(loader *L, corridor_model *m, const char *sec, size_t len)
{
    cor_cmp_top top;
    if (len != sizeof top)
        return bad(L, "the top section has %zu bytes, expected %zu" RECOMPILE, len, sizeof top);
    memcpy(&top, sec, sizeof top);
    uint64_t *text[] = {&top.name, &top.description, &top.origin};
    char **dst[] = {&m->name, &m->description, &m->origin};
    for (size_t i = 0; i < 3; i++) {
        if (*text[i] >= L->str_len || (i == 0 && *text[i] == 0))
            return bad(L, "the model's %s is outside the string pool" RECOMPILE,
                       i == 0   ? "name"
                       : i == 1 ? "description"
                                : "origin");
        *dst[i] = *text[i] ? (char *)L->str + *text[i] : NULL;
    }
    for (size_t i = 0; i < COR_NCOM; i++) {
        if (top.units[i] >= L->str_len)
            return bad(L, "a unit is outside the string pool" RECOMPILE);
        m->units[i] = top.units[i] ? (char *)L->str + top.units[i] : NULL;
    }
    size_t nd = 0;
    const cor_field *drows = corridor__default_fields(&nd);
    for (size_t k = 0; k < COR_NMODE; k++)
        for (size_t r = 0; r < nd; r++) {
            double v = *COR_CAT(&top.defaults[k], drows[r].off, double);
            if (!isnan(v) && !(v >= drows[r].min && v <= drows[r].max))
                return bad(L, "defaults.%s.%s: %g out of range" RECOMPILE, corridor__modes.names[k],
                           drows[r].key, v);
        }
    memcpy(m->defaults, top.defaults, sizeof m->defaults);
    m->defaults_given = top.defaults_given;
    L->count[COR_COUNTRY] = top.n_countries;
    L->count[COR_CORRIDOR] = top.n_corridors;
    L->count[COR_NODE] = top.n_nodes;
    L->count[COR_EDGE] = top.n_edges;
    m->n_warnings = top.n_warnings;
    return 0;
}

/* Points the model at section `id` holding count[kind] elements of `size` bytes. */
static int place(loader *L, void **arr, size_t *n, cor_elem kind, char *sec, size_t len,
                 size_t size, const char *what)
{
    if (len / size != L->count[kind] || len % size)
        return bad(L, "the %s section has %zu bytes for %zu %s" RECOMPILE, what, len,
                   L->count[kind], what);
    *arr = L->count[kind] ? sec : NULL;
    *n = L->count[kind];
    return 0;
}

static int load_all(loader *L, corridor_model *m)
{
    char *sec[COR_SEC_COUNT] = {0};
    size_t len[COR_SEC_COUNT] = {0};
    cor_cmp_header h;
    int err;
    memcpy(&h, L->base, L->len < sizeof h ? L->len : sizeof h);
    if ((err = check_header(L, &h)) < 0)
        return err;
    char msg[COR_MSG] = "";
    L->quiet = msg;
    err = check_table(L, sec, len);
    L->quiet = NULL;
    if (err < 0) /* a damaged file says so first */
        return corridor__cmp_checksum((unsigned char *)L->base + sizeof h, L->len - sizeof h) !=
                       h.checksum
                   ? bad(L, "checksum mismatch: the file is damaged" RECOMPILE)
                   : bad(L, "%s", msg);
    m->hash = h.model_hash;
    L->want = h.base;
    L->str_abs = (size_t)(sec[COR_SEC_STR] - L->base);
    L->refs_abs = (size_t)(sec[COR_SEC_REFS] - L->base);
    L->geom_abs = (size_t)(sec[COR_SEC_GEOM] - L->base);
    L->str = sec[COR_SEC_STR];
    L->str_len = len[COR_SEC_STR];
    L->refs = sec[COR_SEC_REFS];
    L->refs_len = len[COR_SEC_REFS];
    L->geom = sec[COR_SEC_GEOM];
    L->geom_len = len[COR_SEC_GEOM];
    if ((err = fix_records(L, m, sec, len, h.checksum)) < 0)
        return err;
    if ((err = view_ids(L, &m->country_index, sec[COR_SEC_IDX_COUNTRY], len[COR_SEC_IDX_COUNTRY],
                        (char *)m->countries, m->n_countries, sizeof *m->countries,
                        offsetof(cor_country, code), "countries")) < 0 ||
        (err = view_ids(L, &m->corridor_index, sec[COR_SEC_IDX_CORRIDOR], len[COR_SEC_IDX_CORRIDOR],
                        (char *)m->corridors, m->n_corridors, sizeof *m->corridors,
                        offsetof(cor_corridor, id), "corridors")) < 0 ||
        (err = view_ids(L, &m->node_index, sec[COR_SEC_IDX_NODE], len[COR_SEC_IDX_NODE],
                        (char *)m->nodes, m->n_nodes, sizeof *m->nodes, offsetof(cor_node, id),
                        "nodes")) < 0 ||
        (err = view_ids(L, &m->edge_index, sec[COR_SEC_IDX_EDGE], len[COR_SEC_IDX_EDGE],
                        (char *)m->edges, m->n_edges, sizeof *m->edges, offsetof(cor_edge, id),
                        "edges")) < 0)
        return err;
    if (L->mapped && !L->dirty) /* the id tables' pages too (the windows unmapped the rest) */
        (void)madvise(L->base, L->len, MADV_DONTNEED);
    m->net_stored = len[COR_SEC_NET] ? sec[COR_SEC_NET] : NULL; /* checked when adopted */
    m->cmp_str = L->str;
    m->cmp_str_len = L->str_len;
    m->cmp_refs = (const size_t *)L->refs;
    m->cmp_refs_n = L->refs_len / sizeof(size_t);
    m->net_stored_len = len[COR_SEC_NET];
    /* warnings: pointers into the pool, in an array of the model's own */
    size_t nw = m->n_warnings;
    m->n_warnings = 0;
    if (len[COR_SEC_WARN] != nw * sizeof(uint64_t) || nw > len[COR_SEC_WARN])
        return bad(L, "the warnings section has %zu bytes for %zu warnings" RECOMPILE,
                   len[COR_SEC_WARN], nw);
    if (nw && !(m->warnings = calloc(nw, sizeof *m->warnings)))
        return corridor__oom();
    for (size_t i = 0; i < nw; i++) {
        uint64_t off;
        memcpy(&off, sec[COR_SEC_WARN] + i * sizeof off, sizeof off);
        if (off == 0 || off >= L->str_len)
            return bad(L, "warning %zu is outside the string pool" RECOMPILE, i);
        m->warnings[i] = (char *)L->str + off;
        m->n_warnings++;
        corridor__diag(L->diags, 1, L->name, NULL, "%s", m->warnings[i]);
    }
    return 0;
}

void corridor__cmp_release(void *buf, size_t len, int mapped)
{
    if (mapped)
        munmap(buf, len);
    else
        free(buf);
}

int corridor__cmp_load(corridor_model **out, void *buf, size_t len, int mapped, const char *name,
                       corridor_diags *diags)
{
    loader L;
    corridor_model *m = corridor__model_new();
    *out = NULL;
    if (!m) {
        corridor__cmp_release(buf, len, mapped);
        return corridor__oom();
    }
    m->mapping = buf;
    m->mapping_len = len;
    m->mapping_kind = mapped ? 1 : 2;
    if (!(m->mapping_name = corridor__strdup(name ? name : "<compiled>"))) {
        corridor_model_free(m);
        return corridor__oom();
    }
    memset(&L, 0, sizeof L);
    L.name = name ? name : "<compiled>";
    L.diags = diags;
    L.base = buf;
    L.len = len;
    L.mapped = mapped;
    int err = load_all(&L, m);
    if (err < 0) {
        corridor_model_free(m);
        return err;
    }
    *out = m;
    return 0;
}

int corridor__cmp_open(corridor_model **out, const char *path, int *is_compiled,
                       corridor_diags *diags)
{
    unsigned char magic[COR_CMP_MAGIC_LEN];
    struct stat st;
    *out = NULL;
    *is_compiled = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0; /* the JSON reader reports it */
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < COR_CMP_MAGIC_LEN ||
        pread(fd, magic, sizeof magic, 0) != (ssize_t)sizeof magic ||
        memcmp(magic, COR_CMP_MAGIC, sizeof magic) != 0) {
        close(fd);
        return 0;
    }
    *is_compiled = 1;
    size_t len = (size_t)st.st_size;
    /* where the file asks to be (then its pages are used as they are), else anywhere */
    cor_cmp_header h;
    void *buf = MAP_FAILED;
    if (len >= sizeof h && pread(fd, &h, sizeof h, 0) == (ssize_t)sizeof h &&
        h.endian == COR_CMP_ENDIAN && h.base && h.base % 65536 == 0 && h.base < UINTPTR_MAX - len) {
        buf = mmap((void *)(uintptr_t)h.base, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);
        if (buf != MAP_FAILED && (uintptr_t)buf != h.base) { /* a kernel that took it as a hint */
            munmap(buf, len);
            buf = MAP_FAILED;
        }
    }
    if (buf == MAP_FAILED)
        buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (buf == MAP_FAILED)
        return corridor__error(CORRIDOR_EIO, "%s: cannot map the compiled model: %s", path,
                               strerror(e));
    return corridor__cmp_load(out, buf, len, 1, path, diags);
}

void corridor__cmp_fix_checksum(void *buf, size_t len)
{
    cor_cmp_header h;
    if (len < sizeof h)
        return;
    memcpy(&h, buf, sizeof h);
    h.checksum = corridor__cmp_checksum((unsigned char *)buf + sizeof h, len - sizeof h);
    memcpy(buf, &h, sizeof h);
}

/* -------------------------------------------------------------- public */

int corridor_model_is_compiled(const corridor_model *m)
{
    return m && m->mapping_kind != 0;
}

int corridor_model_hash(char buf[17], const corridor_model *m)
{
    uint64_t h = m->hash;
    int err = 0;
    if (!m->mapping_kind)
        err = model_hash(&h, m);
    if (err == 0)
        snprintf(buf, 17, "%016llx", (unsigned long long)h);
    else
        buf[0] = '\0';
    return err == CORRIDOR_ENOMEM ? corridor__oom() : err;
}
