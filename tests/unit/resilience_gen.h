/* resilience_gen.h: random small networks (as model JSON) for the flow and criticality tests. */
#ifndef CORRIDOR_RESILIENCE_GEN_H
#define CORRIDOR_RESILIENCE_GEN_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_MAXN 10
#define GEN_MAXE 24

/* A random network: nodes "n0".., edges "e0"..; capacities INFINITY = unlimited. */
typedef struct gen_net {
    int n, m;
    int country[GEN_MAXN]; /* 0..2: "AA", "BB", "CC" */
    double ncap[GEN_MAXN];
    double dwell[GEN_MAXN], transfer[GEN_MAXN];
    int from[GEN_MAXE], to[GEN_MAXE], oneway[GEN_MAXE], mode[GEN_MAXE]; /* 0 rail, 1 road, 2 sea */
    double ecap[GEN_MAXE], time[GEN_MAXE];
} gen_net;

/* Small deterministic generator (xorshift), so failures reproduce. */
static unsigned long long gen_state = 88172645463325252ULL;

static unsigned gen_rand(unsigned n)
{
    gen_state ^= gen_state << 13;
    gen_state ^= gen_state >> 7;
    gen_state ^= gen_state << 17;
    return (unsigned)(gen_state % n);
}

/* A random network of 2..GEN_MAXN nodes. */
static void gen_random(gen_net *g)
{
    memset(g, 0, sizeof *g);
    g->n = 2 + (int)gen_rand(GEN_MAXN - 1);
    g->m = (int)gen_rand((unsigned)(2 * g->n + 3));
    for (int v = 0; v < g->n; v++) {
        g->country[v] = (int)gen_rand(3);
        g->ncap[v] = gen_rand(3) ? INFINITY : 1 + gen_rand(15);
        g->dwell[v] = gen_rand(2) ? 0 : gen_rand(4);
        g->transfer[v] = gen_rand(2) ? 0 : gen_rand(6);
    }
    for (int e = 0; e < g->m; e++) {
        g->from[e] = (int)gen_rand((unsigned)g->n);
        do
            g->to[e] = (int)gen_rand((unsigned)g->n);
        while (g->to[e] == g->from[e]);
        g->oneway[e] = gen_rand(4) == 0;
        g->mode[e] = (int)gen_rand(3);
        g->ecap[e] = gen_rand(4) == 0 ? INFINITY : 1 + gen_rand(10);
        g->time[e] = 1 + gen_rand(9);
    }
}

typedef struct gen_buf {
    char *s;
    size_t len, cap;
} gen_buf;

static void gen_printf(gen_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = 2 * (b->len + (size_t)n + 1);
        b->s = realloc(b->s, b->cap);
        if (!b->s)
            abort();
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* The network as model JSON (caller frees). */
static char *gen_json(const gen_net *g)
{
    static const char *const modes[] = {"rail", "road", "sea"};
    static const char *const cc[] = {"AA", "BB", "CC"};
    gen_buf b = {NULL, 0, 0};
    gen_printf(&b,
               "{\"format\":\"corridor-model\",\"version\":1,\"name\":\"gen\","
               "\"countries\":[{\"code\":\"AA\",\"name\":\"A\"},{\"code\":\"BB\",\"name\":\"B\"},"
               "{\"code\":\"CC\",\"name\":\"C\"}],\"nodes\":[");
    for (int v = 0; v < g->n; v++) {
        gen_printf(&b, "%s{\"id\":\"n%d\",\"kind\":\"city\",\"country\":\"%s\"", v ? "," : "", v,
                   cc[g->country[v]]);
        gen_printf(&b, ",\"dwell\":{\"time_h\":%g},\"transfer\":{\"time_h\":%g}", g->dwell[v],
                   g->transfer[v]);
        if (isfinite(g->ncap[v]))
            gen_printf(&b, ",\"capacity\":{\"freight\":%g}", g->ncap[v]);
        gen_printf(&b, "}");
    }
    gen_printf(&b, "],\"edges\":[");
    for (int e = 0; e < g->m; e++) {
        gen_printf(&b,
                   "%s{\"id\":\"e%d\",\"from\":\"n%d\",\"to\":\"n%d\",\"mode\":\"%s\","
                   "\"time_h\":%g,\"cost_usd\":1,\"distance_km\":1,\"co2_kg\":1,\"oneway\":%s",
                   e ? "," : "", e, g->from[e], g->to[e], modes[g->mode[e]], g->time[e],
                   g->oneway[e] ? "true" : "false");
        if (isfinite(g->ecap[e]))
            gen_printf(&b, ",\"capacity\":{\"freight\":%g}", g->ecap[e]);
        gen_printf(&b, "}");
    }
    gen_printf(&b, "]}");
    return b.s;
}

#endif
