/* radix_heap.h: the priority queue of the one-to-all searches (monotone keys): a radix heap. */
#ifndef CORRIDOR_RADIX_HEAP_H
#define CORRIDOR_RADIX_HEAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * A radix heap (Ahuja, Mehlhorn, Orlin and Tarjan 1990) over the bit
 * patterns of non-negative doubles, which order as the numbers do. It needs
 * every key pushed to be at least the last key popped, as in Dijkstra's
 * algorithm with non-negative weights (the OD matrix's search, route's lower
 * bounds in mode by_id below); route's A* search, whose keys may step back
 * by a rounding error and whose ties must break by label, keeps cor_heap
 * (route_query.h).
 *
 * The 64 bits are read as 16 digits of COR_RH_BITS = 4 bits. Bucket 0 holds
 * the entries whose key equals the last popped one; the others, by the
 * highest digit where the key differs from it (the level) and the key's
 * value of that digit, ordered so that every key in a lower bucket is
 * smaller. A pop takes from bucket 0; if that is empty, the lowest non-empty
 * bucket (a bit map) holds the least key (kept per bucket): that becomes the
 * last popped key, and the bucket's other entries move to lower levels
 * (bucket 0 for equal keys), since they now agree with it down to its level;
 * a bucket of one entry pops without a move. Each entry moves at most 16
 * times, on the matrix's benchmark about 3 (binary digits: 6.4): push O(1),
 * pop O(1) amortised plus the moves, no comparisons between entries.
 *
 * Order among equal keys: equal keys are always in the same bucket, each
 * bucket keeps its entries in the order they came and a spread keeps that
 * order, so a pop gives the least key and, among equal ones, the one pushed
 * last (last in, first out). That order is a contract (tests/unit/test_matrix.c
 * checks it against a brute-force queue): which of equal-valued walks the
 * matrix reports depends on it.
 *
 * Mode by_id (set h->by_id = 1 on an empty heap): among equal keys the
 * larger id pops first, as in route's binary heap (cor_heap), so that a
 * Dijkstra driven by either pops the same sequence. Bucket 0 is then a
 * binary max-heap by id (O(log) per entry of equal key, usually none or
 * one), and each bucket records, of its least key, the larger id.
 */
typedef struct cor_rentry {
    double key;
    uint64_t id;
} cor_rentry;

#define COR_RH_BITS    4                                      /* bits per digit */
#define COR_RH_DIGITS  (1u << COR_RH_BITS)                    /* values of a digit */
#define COR_RH_BUCKETS (1 + 64 / COR_RH_BITS * COR_RH_DIGITS) /* 257 */

typedef struct cor_rheap {
    cor_rentry *b[COR_RH_BUCKETS];
    size_t n[COR_RH_BUCKETS], cap[COR_RH_BUCKETS];
    uint64_t min[COR_RH_BUCKETS];    /* bits of the least key in bucket i (if not empty) */
    uint64_t min_id[COR_RH_BUCKETS]; /* the id of the entry of bucket i that pops first */
    uint64_t full[(COR_RH_BUCKETS + 63) / 64]; /* bit i % 64 of word i / 64: bucket i not empty */
    uint64_t last;                             /* bits of the last key popped */
    size_t size;                               /* entries in all buckets */
    int by_id; /* 0: of equal keys the last pushed pops first; 1: the larger id (see above) */
} cor_rheap;

/** Pushes (key, id); key >= 0, not NaN, and >= the last key popped. CORRIDOR_ENOMEM only. O(1). */
int cor_rheap_push(cor_rheap *h, double key, uint64_t id);
/**
 * Pops an entry of least key into *out (h->size must be > 0). CORRIDOR_ENOMEM
 * only (spreading a bucket); after an error the heap is only fit for
 * cor_rheap_clear or cor_rheap_free.
 */
int cor_rheap_pop(cor_rheap *h, cor_rentry *out);
/**
 * The id of the entry cor_rheap_pop would pop now into *id; 0 if the heap is
 * empty, else 1. For prefetching what that entry needs. O(1) (a scan of the
 * bit map's 5 words at most).
 */
int cor_rheap_peek(const cor_rheap *h, uint64_t *id);
/**
 * The key cor_rheap_pop would pop now into *key (as pushed; -0.0 reads 0.0);
 * 0 if the heap is empty, else 1. O(1), as cor_rheap_peek.
 */
int cor_rheap_peek_key(const cor_rheap *h, double *key);
/** Empties the heap for a new search (keeps its memory and mode). O(1). */
void cor_rheap_clear(cor_rheap *h);
/** Frees the buckets and zeroes the heap; accepts a zeroed heap. */
void cor_rheap_free(cor_rheap *h);

#endif
