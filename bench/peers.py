#!/usr/bin/python3
"""peers.py: k shortest simple paths with python-igraph or NetworkX, for bench/run.sh.

Usage: peers.py igraph|networkx EDGES.tsv FROM TO K

EDGES.tsv is written by gen_network.py --single-class (from, to, weight per
line; undirected, no parallel edges). Prints one JSON line:
{"tool": ..., "load_s": ..., "query_s": ..., "values": [path weights]}.
igraph: Graph.get_k_shortest_paths (Yen's algorithm in C). NetworkX:
shortest_simple_paths (Yen-style, pure Python), first K paths.
"""
import itertools
import json
import sys
import time


def read_edges(path):
    edges = []
    with open(path) as f:
        for line in f:
            a, b, w = line.rstrip("\n").split("\t")
            edges.append((a, b, float(w)))
    return edges


def run_igraph(edges, src, dst, k):
    import igraph
    t0 = time.perf_counter()
    ids = {}
    pairs, weights = [], []
    for a, b, w in edges:
        pairs.append((ids.setdefault(a, len(ids)), ids.setdefault(b, len(ids))))
        weights.append(w)
    g = igraph.Graph(n=len(ids), edges=pairs, directed=False)
    t1 = time.perf_counter()
    paths = g.get_k_shortest_paths(ids[src], ids[dst], k=k, weights=weights, mode="all",
                                   output="epath")
    t2 = time.perf_counter()
    values = [sum(weights[e] for e in p) for p in paths]
    return t1 - t0, t2 - t1, values


def run_networkx(edges, src, dst, k):
    import networkx as nx
    t0 = time.perf_counter()
    g = nx.Graph()
    g.add_weighted_edges_from(edges)
    t1 = time.perf_counter()
    paths = list(itertools.islice(nx.shortest_simple_paths(g, src, dst, weight="weight"), k))
    t2 = time.perf_counter()
    values = [sum(g[u][v]["weight"] for u, v in zip(p, p[1:])) for p in paths]
    return t1 - t0, t2 - t1, values


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    tool, tsv, src, dst, k = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    t0 = time.perf_counter()
    edges = read_edges(tsv)
    read_s = time.perf_counter() - t0
    fn = {"igraph": run_igraph, "networkx": run_networkx}[tool]
    build_s, query_s, values = fn(edges, src, dst, k)
    print(json.dumps({"tool": tool, "load_s": read_s + build_s, "query_s": query_s,
                      "values": values}))


if __name__ == "__main__":
    main()
