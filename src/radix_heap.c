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

/* The bucket of bits u relative to `last`: 0 if equal, else 1 + the highest differing bit. */
static int bucket_of(uint64_t last, uint64_t u)
{
    if (u <= last)
        return 0; /* equal (a smaller key breaks the contract: it pops next) */
    return 64 - __builtin_clzll(u ^ last);
}

static int put(cor_rheap *h, int i, cor_rentry e)
{
    if (h->n[i] == h->cap[i]) {
        size_t nc = h->cap[i] ? 2 * h->cap[i] : 256;
        cor_rentry *nb = realloc(h->b[i], nc * sizeof *nb);
        if (!nb)
            return corridor__oom();
        h->b[i] = nb;
        h->cap[i] = nc;
    }
    h->b[i][h->n[i]++] = e;
    return 0;
}

int cor_rheap_push(cor_rheap *h, double key, size_t id)
{
    cor_rentry e = {key, id};
    int err = put(h, bucket_of(h->last, key_bits(key)), e);
    h->size += err == 0;
    return err;
}

int cor_rheap_pop(cor_rheap *h, cor_rentry *out)
{
    if (!h->n[0]) {
        int i = 1;
        while (!h->n[i])
            i++;
        uint64_t m = UINT64_MAX;
        for (size_t k = 0; k < h->n[i]; k++) {
            uint64_t u = key_bits(h->b[i][k].key);
            if (u < m)
                m = u;
        }
        h->last = m;
        /* every entry of bucket i now first differs from m below bit i - 1: a lower bucket */
        for (size_t k = 0; k < h->n[i]; k++) {
            int err = put(h, bucket_of(m, key_bits(h->b[i][k].key)), h->b[i][k]);
            if (err < 0)
                return err;
        }
        h->n[i] = 0;
    }
    *out = h->b[0][--h->n[0]];
    h->size--;
    return 0;
}

void cor_rheap_clear(cor_rheap *h)
{
    for (int i = 0; i < 65; i++)
        h->n[i] = 0;
    h->last = 0;
    h->size = 0;
}

void cor_rheap_free(cor_rheap *h)
{
    for (int i = 0; i < 65; i++)
        free(h->b[i]);
    memset(h, 0, sizeof *h);
}
