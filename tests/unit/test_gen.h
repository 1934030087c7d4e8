/* test_gen.h: the random numbers and the names of the unit tests' generated models, once. */
#ifndef CORRIDOR_TEST_GEN_H
#define CORRIDOR_TEST_GEN_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "internal.h"

/* xorshift64*: a case sets rng_state (to its number) and is then reproducible */
static uint64_t rng_state;

static inline uint32_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static inline uint32_t rn(uint32_t n)
{
    return rnd() % n;
}

/* A copy of fmt with i (names like "n3", "Node 3"). */
static inline char *dupf(const char *fmt, int i)
{
    char buf[64];
    snprintf(buf, sizeof buf, fmt, i);
    return corridor__strdup(buf);
}

/* The k countries of a generated model: "A", "B", ... named "Country A", ... */
static inline void gen_countries(corridor_model *m, int k)
{
    m->n_countries = (size_t)k;
    m->countries = calloc((size_t)k, sizeof *m->countries);
    for (int i = 0; m->countries && i < k; i++) {
        m->countries[i].code = dupf("%c", 'A' + i);
        m->countries[i].name = dupf("Country %c", 'A' + i);
    }
}

/* Node i of a generated model: "nI", "Node I", a city of country `country`, no capacity limit. */
static inline void gen_node(cor_node *v, size_t i, long country)
{
    v->id = dupf("n%d", (int)i);
    v->name = dupf("Node %d", (int)i);
    v->kind = CORRIDOR_KIND_CITY;
    v->country = country;
    for (int k = 0; k < COR_NCOM; k++)
        v->capacity[k] = INFINITY;
}

#endif
