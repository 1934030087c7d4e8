/* radix_heap.c: a radix heap for monotone keys (see radix_heap.h). */
#include "radix_heap.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The bits of a key; -0.0 becomes 0.0. Non-negative doubles order as their bits do. */
static uint64_t key_bits(double key)
{
    uint64_t u;
    key += 0.0;
    memcpy(&u, &key, sizeof u);
    return u;
}

/*
 * The bucket of bits u relative to `last`: 0 if equal (or less: that breaks
 * the contract, and it pops next), else by the highest digit where they
 * differ (level L) and u's value d there: 1 + L * COR_RH_DIGITS + d.
 */
static unsigned bucket_of(uint64_t last, uint64_t u)
{
    if (u <= last)
        return 0;
    unsigned level = (unsigned)(63 - __builtin_clzll(u ^ last)) / COR_RH_BITS;
    return 1 + level * COR_RH_DIGITS + (unsigned)(u >> (level * COR_RH_BITS) & (COR_RH_DIGITS - 1));
}

/* Makes room for one more entry in bucket i. */
static int room(cor_rheap *h, unsigned i)
{
    size_t nc = h->cap[i] ? 2 * h->cap[i] : 64;
    cor_rentry *nb = realloc(h->b[i], nc * sizeof *nb);
    if (!nb)
        return corridor__oom();
    h->b[i] = nb;
    h->cap[i] = nc;
    return 0;
}

/* Bucket 0 in mode by_id: a binary max-heap by id; adds e (room is made). */
static void zero_add(cor_rentry *b, size_t i, cor_rentry e)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (b[p].id >= e.id)
            break;
        b[i] = b[p];
        i = p;
    }
    b[i] = e;
}

/* Bucket 0 in mode by_id: removes and returns the entry of the largest id (n > 0). */
static cor_rentry zero_take(cor_rentry *b, size_t n)
{
    cor_rentry top = b[0], last = b[--n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && b[c + 1].id > b[c].id)
            c++;
        if (b[c].id <= last.id)
            break;
        b[i] = b[c];
        i = c;
    }
    if (n)
        b[i] = last;
    return top;
}

/* 1 if an entry (bits u, id) pops before the one recorded as bucket i's first (n[i] > 0). */
static inline int before_min(const cor_rheap *h, unsigned i, uint64_t u, uint64_t id)
{
    /* of equal keys, the last in pops first, or in mode by_id the larger id */
    return u < h->min[i] || (u == h->min[i] && (!h->by_id || id > h->min_id[i]));
}

/* Appends e, of key bits u, to bucket t (relative to h->last; room is made). */
static inline void add(cor_rheap *h, unsigned t, uint64_t u, cor_rentry e)
{
    size_t nt = h->n[t];
    if (nt == 0)
        h->full[t / 64] |= (uint64_t)1 << (t % 64);
    if (nt == 0 || before_min(h, t, u, e.id)) {
        h->min[t] = u;
        h->min_id[t] = e.id;
    }
    if (t == 0 && h->by_id)
        zero_add(h->b[0], nt, e);
    else
        h->b[t][nt] = e;
    h->n[t] = nt + 1;
}

/* Appends e, of key bits u, to its bucket relative to h->last. */
static inline int put(cor_rheap *h, uint64_t u, cor_rentry e)
{
    unsigned i = bucket_of(h->last, u);
    int err;
    if (h->n[i] == h->cap[i] && (err = room(h, i)) < 0)
        return err;
    add(h, i, u, e);
    return 0;
}

int cor_rheap_push(cor_rheap *h, double key, uint64_t id)
{
    cor_rentry e = {key, id};
    int err = put(h, key_bits(key), e);
    h->size += err == 0;
    return err;
}

/* The lowest non-empty bucket but 0 (there is one: the heap is not empty, bucket 0 is). */
static unsigned lowest(const cor_rheap *h)
{
    unsigned k = 0;
    uint64_t f = h->full[0] & ~(uint64_t)1;
    while (!f)
        f = h->full[++k];
    return k * 64 + (unsigned)__builtin_ctzll(f);
}

/* Spreads bucket i, the lowest non-empty one, over the lower ones around its least key. */
static int spread(cor_rheap *h, unsigned i)
{
    cor_rentry *b = h->b[i];
    size_t n = h->n[i];
    uint64_t last = h->min[i];
    h->full[i / 64] &= ~((uint64_t)1 << (i % 64));
    h->last = last;
    h->n[i] = 0;
    for (size_t k = 0; k < n; k++) {
        cor_rentry e = b[k];
        uint64_t u = key_bits(e.key);
        unsigned t = bucket_of(last, u);
        if (h->n[t] == h->cap[t]) {
            int err = room(h, t);
            if (err < 0)
                return err;
        }
        add(h, t, u, e);
    }
    return 0;
}

int cor_rheap_pop(cor_rheap *h, cor_rentry *out)
{
    if (!h->n[0]) {
        /* its least key is the next to pop; every other entry of it differs from that key only
           in lower digits: it goes to a lower level (or to bucket 0) */
        unsigned i = lowest(h);
        if (h->n[i] == 1) { /* the one entry is the least: no need to move it */
            *out = h->b[i][0];
            h->n[i] = 0;
            h->full[i / 64] &= ~((uint64_t)1 << (i % 64));
            h->last = h->min[i];
            h->size--;
            return 0;
        }
        int err = spread(h, i);
        if (err < 0)
            return err;
    }
    if (h->by_id)
        *out = zero_take(h->b[0], h->n[0]--);
    else
        *out = h->b[0][--h->n[0]];
    if (!h->n[0])
        h->full[0] &= ~(uint64_t)1;
    h->size--;
    return 0;
}

int cor_rheap_peek(const cor_rheap *h, uint64_t *id)
{
    if (!h->size)
        return 0;
    if (h->n[0])
        *id = h->by_id ? h->b[0][0].id : h->b[0][h->n[0] - 1].id;
    else
        *id = h->min_id[lowest(h)];
    return 1;
}

int cor_rheap_peek_key(const cor_rheap *h, double *key)
{
    if (!h->size)
        return 0;
    uint64_t u = h->n[0] ? h->last : h->min[lowest(h)];
    memcpy(key, &u, sizeof *key);
    return 1;
}

void cor_rheap_clear(cor_rheap *h)
{
    for (unsigned i = 0; i < COR_RH_BUCKETS; i++)
        h->n[i] = 0;
    memset(h->full, 0, sizeof h->full);
    h->last = 0;
    h->size = 0;
}

void cor_rheap_free(cor_rheap *h)
{
    for (unsigned i = 0; i < COR_RH_BUCKETS; i++)
        free(h->b[i]);
    memset(h, 0, sizeof *h);
}
