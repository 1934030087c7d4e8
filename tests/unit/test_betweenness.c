/* test_betweenness.c: analyze's one-pass Brandes against igraph's two betweenness calls, and
 * sampling. */
#include "testutil.h"

#include <igraph.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "network.h"
#include "test_gen.h"

/*
 * Random multigraphs (seeded by the case number): up to 30 nodes, parallel,
 * oneway and self-loop edges, small integer weights (many equal-length
 * paths, so sigma counts matter) and now and then a zero weight. Every node
 * and edge score of corridor_analyze must equal igraph_betweenness and
 * igraph_edge_betweenness (halved, arcs summed per edge) on the same routing
 * graph to 1e-9 relative. Sampling: sample >= nodes is exact; a sample is
 * reproducible from its seed and its scaled estimate is near the exact value.
 */

static corridor_model *random_model(size_t n, size_t ne)
{
    corridor_model *m = corridor__model_new();
    m->name = corridor__strdup("bt");
    m->n_nodes = n;
    m->nodes = calloc(n, sizeof *m->nodes);
    for (size_t i = 0; i < n; i++) {
        m->nodes[i].id = dupf("n%d", (int)i);
        m->nodes[i].name = dupf("n%d", (int)i);
        m->nodes[i].country = -1;
        for (int k = 0; k < COR_NCOM; k++)
            m->nodes[i].capacity[k] = INFINITY;
    }
    m->n_edges = ne;
    m->edges = calloc(ne, sizeof *m->edges);
    for (size_t i = 0; i < ne; i++) {
        cor_edge *e = &m->edges[i];
        e->id = dupf("e%d", (int)i);
        e->from = i + 1 < n && rn(3) ? i : rn((uint32_t)n);
        e->to = i + 1 < n && rn(3) ? i + 1 : rn((uint32_t)n);
        e->mode = CORRIDOR_MODE_RAIL;
        e->carries = 1u << CORRIDOR_CARRY_FREIGHT;
        e->oneway = rn(4) == 0;
        for (int k = 0; k < COR_NCOM; k++)
            e->capacity[k] = INFINITY;
        for (int met = 0; met < COR_NMET; met++) {
            e->metric[met] = rn(12) == 0 ? 0.0 : 1.0 + rn(3);
            e->metric_given |= 1u << met;
        }
    }
    assert_int_equal(corridor__model_finish(m), 0);
    return m;
}

static corridor_analysis *run(const corridor_model *m, size_t sample, unsigned long seed)
{
    corridor_analyze_opts o = CORRIDOR_ANALYZE_OPTS_INIT;
    corridor_analysis *a = NULL;
    o.filter.carry = CORRIDOR_CARRY_FREIGHT;
    o.top = 100000;
    o.sample = sample;
    o.seed = seed;
    assert_int_equal(corridor_analyze(&a, m, &o), 0);
    assert_int_equal(a->n, 1);
    return a;
}

static double score_of(const corridor_commodity_analysis *ca, corridor_element_type type,
                       const char *id)
{
    for (size_t i = 0; i < ca->n_betweenness; i++)
        if (ca->betweenness[i].type == type && strcmp(ca->betweenness[i].id, id) == 0)
            return ca->betweenness[i].score;
    return 0.0;
}

static void close_to(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want))))
        print_message("%s: got %.17g, igraph %.17g\n", what, got, want);
    assert_true(fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want)));
}

static void test_against_igraph(void **state)
{
    (void)state;
    for (int c = 0; c < 300; c++) {
        rng_state = 0x2545F4914F6CDD1DULL ^ (uint64_t)(c + 1) * 0x9E3779B97F4A7C15ULL;
        size_t n = 2 + rn(29);
        corridor_model *m = random_model(n, n + rn((uint32_t)(2 * n)));
        corridor_analysis *a = run(m, 0, 1);
        cor_network net;
        corridor_filter f = CORRIDOR_FILTER_INIT;
        assert_int_equal(cor_network_build(&net, m, &f, CORRIDOR_BY_TIME), 0);
        assert_int_equal(cor_network_igraph(&net), 0);
        igraph_vector_t w, vb, eb;
        igraph_vector_init(&w, (igraph_integer_t)net.n_arcs);
        double minpos = INFINITY;
        for (size_t k = 0; k < net.n_arcs; k++)
            if (cor_arc_w(&net, k, CORRIDOR_BY_TIME) > 0 &&
                cor_arc_w(&net, k, CORRIDOR_BY_TIME) < minpos)
                minpos = cor_arc_w(&net, k, CORRIDOR_BY_TIME);
        for (size_t k = 0; k < net.n_arcs; k++) {
            double x = cor_arc_w(&net, k, CORRIDOR_BY_TIME);
            VECTOR(w)[k] = x > 0 ? x : isfinite(minpos) ? minpos * 1e-6 : 1;
        }
        igraph_vector_init(&vb, 0);
        igraph_vector_init(&eb, 0);
        assert_int_equal(igraph_betweenness(&net.graph, &vb, igraph_vss_all(), 1, &w), 0);
        assert_int_equal(igraph_edge_betweenness(&net.graph, &eb, 1, &w), 0);
        for (size_t v = 0; v < n; v++)
            close_to(score_of(&a->per[0], CORRIDOR_ELEMENT_NODE, m->nodes[v].id), VECTOR(vb)[v] / 2,
                     "node");
        double *pe = calloc(m->n_edges + 1, sizeof *pe);
        for (size_t k = 0; k < net.n_arcs; k++)
            pe[net.arc_edge[k]] += VECTOR(eb)[k] / 2;
        for (size_t e = 0; e < m->n_edges; e++)
            close_to(score_of(&a->per[0], CORRIDOR_ELEMENT_EDGE, m->edges[e].id), pe[e], "edge");
        free(pe);
        igraph_vector_destroy(&w);
        igraph_vector_destroy(&vb);
        igraph_vector_destroy(&eb);
        cor_network_free(&net);
        corridor_analysis_free(a);
        corridor_model_free(m);
    }
}

static void test_sample(void **state)
{
    (void)state;
    rng_state = 77;
    corridor_model *m = random_model(400, 900);
    corridor_analysis *exact = run(m, 0, 1), *all = run(m, 400, 5);
    corridor_analysis *s1 = run(m, 200, 9), *s2 = run(m, 200, 9), *s3 = run(m, 200, 10);
    /* a sample of every node is the exact answer */
    assert_int_equal(all->per[0].n_betweenness, exact->per[0].n_betweenness);
    for (size_t i = 0; i < exact->per[0].n_betweenness; i++)
        assert_true(all->per[0].betweenness[i].score == exact->per[0].betweenness[i].score);
    /* same seed, same answer; another seed, another one */
    assert_int_equal(s1->per[0].n_betweenness, s2->per[0].n_betweenness);
    int differs = 0;
    for (size_t i = 0; i < s1->per[0].n_betweenness; i++) {
        assert_true(s1->per[0].betweenness[i].score == s2->per[0].betweenness[i].score);
        differs |=
            s1->per[0].betweenness[i].score !=
            score_of(&s3->per[0], s1->per[0].betweenness[i].type, s1->per[0].betweenness[i].id);
    }
    assert_true(differs);
    /* the estimate of the top node (half the sources) is within 25 % */
    const corridor_score *top = &exact->per[0].betweenness[0];
    double est = score_of(&s1->per[0], top->type, top->id);
    print_message("top node %s: exact %.1f, sampled (200 of 400) %.1f\n", top->id, top->score, est);
    assert_true(fabs(est - top->score) <= 0.25 * top->score);
    corridor_analysis_free(exact);
    corridor_analysis_free(all);
    corridor_analysis_free(s1);
    corridor_analysis_free(s2);
    corridor_analysis_free(s3);
    corridor_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_igraph),
                                       cmocka_unit_test(test_sample)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
