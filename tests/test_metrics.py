"""Actor metrics checked against published values (networkx is the engine; these tests pin
the definitions and normalisations maillage relies on)."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from maillage.analytics.metrics import (METRICS, actor_metrics, betweenness, closeness, components,
                                        core_number, degree, pagerank, strength)

KITE = ["Andre", "Beverly", "Carol", "Diane", "Ed", "Fernando", "Garth", "Heather", "Ike", "Jane"]


@pytest.fixture
def kite() -> nx.Graph:
    return nx.relabel_nodes(nx.krackhardt_kite_graph(), dict(enumerate(KITE)))


def test_krackhardt_kite_betweenness_unnormalised(kite):
    # Krackhardt (1990), "Assessing the political landscape"; values as usually quoted
    b = betweenness(kite, normalized=False)
    assert b["Heather"] == pytest.approx(14.0)
    assert b["Fernando"] == pytest.approx(8.333, abs=1e-3)
    assert b["Garth"] == pytest.approx(8.333, abs=1e-3)
    assert b["Ike"] == pytest.approx(8.0)
    assert b["Diane"] == pytest.approx(3.667, abs=1e-3)
    assert b["Andre"] == pytest.approx(0.833, abs=1e-3)
    assert b["Jane"] == 0.0
    assert max(b, key=b.get) == "Heather"


def test_krackhardt_kite_degree_and_closeness(kite):
    d = degree(kite)
    assert d["Diane"] == 6 and max(d, key=d.get) == "Diane"
    c = closeness(kite)
    # Fernando and Garth are the closest (0.643 = 9/14), Jane the farthest (0.310 = 9/29)
    assert c["Fernando"] == pytest.approx(9 / 14) and c["Garth"] == pytest.approx(9 / 14)
    assert c["Jane"] == pytest.approx(9 / 29)


def test_krackhardt_kite_normalised_betweenness(kite):
    # normalised like networkx: divided by (n-1)(n-2)/2 = 36 pairs
    assert betweenness(kite)["Heather"] == pytest.approx(14 / 36)


def test_florentine_families():
    G = nx.florentine_families_graph()
    b = betweenness(G)
    assert max(b, key=b.get) == "Medici"
    assert b["Medici"] == pytest.approx(0.522, abs=1e-3)
    assert degree(G)["Medici"] == 6
    assert max(degree(G).values()) == 6


def test_karate_club_degree_and_cores():
    G = nx.karate_club_graph()
    d = degree(G)
    assert d[33] == 17 and d[0] == 16
    assert sorted(d.values(), reverse=True)[:2] == [17, 16]
    cores = core_number(G)
    assert max(cores.values()) == 4
    assert cores[0] == 4 and cores[33] == 4
    assert cores[11] == 1  # node 11 has a single tie, to node 0


def test_strength_sums_weights():
    G = nx.Graph()
    G.add_edge("a", "b", weight=3)
    G.add_edge("a", "c", weight=1)
    G.add_edge("c", "d")  # no weight: counts 1
    s = strength(G)
    assert s == {"a": 4.0, "b": 3.0, "c": 2.0, "d": 1.0}
    assert degree(G)["a"] == 2.0


def test_sampled_betweenness_with_k_equal_n_is_exact():
    G = nx.karate_club_graph()
    exact = betweenness(G)
    sampled = betweenness(G, k=G.number_of_nodes(), seed=1)
    assert sampled == pytest.approx(exact)
    assert betweenness(G, k=10 * G.number_of_nodes(), seed=1) == pytest.approx(exact)


def test_sampled_betweenness_is_deterministic_for_a_seed():
    G = nx.karate_club_graph()
    a = betweenness(G, k=8, seed=42)
    b = betweenness(G, k=8, seed=42)
    assert a == b
    assert a != pytest.approx(betweenness(G))  # it is an estimate, not the exact value
    with pytest.raises(ValueError):
        betweenness(G, k=0)


def _power_iteration(G: nx.Graph, alpha: float = 0.85, weight: str = "weight", tol: float = 1e-13) -> dict:
    """Independent PageRank: x ← α·x·P + (α·dangling + 1 − α)/n, P row-stochastic by weight."""
    nodes = list(G)
    n = len(nodes)
    out_w = {u: sum(d.get(weight, 1) for _, _, d in G.edges(u, data=True)) for u in nodes}
    x = {u: 1.0 / n for u in nodes}
    for _ in range(10_000):
        dangling = sum(x[u] for u in nodes if out_w[u] == 0)
        nxt = {u: (1 - alpha) / n + alpha * dangling / n for u in nodes}
        for u in nodes:
            if out_w[u] == 0:
                continue
            for _, v, d in G.edges(u, data=True):
                nxt[v] += alpha * x[u] * d.get(weight, 1) / out_w[u]
        err = sum(abs(nxt[u] - x[u]) for u in nodes)
        x = nxt
        if err < tol:
            break
    return x


@pytest.mark.parametrize("make", [nx.karate_club_graph, nx.florentine_families_graph,
                                  lambda: nx.relabel_nodes(nx.krackhardt_kite_graph(), dict(enumerate(KITE)))])
def test_pagerank_matches_an_independent_power_iteration(make):
    G = make()
    G.add_node("isolé")  # a dangling node
    ours = pagerank(G)
    ref = _power_iteration(G)
    assert math.fsum(ours.values()) == pytest.approx(1.0)
    for v in G:
        assert ours[v] == pytest.approx(ref[v], abs=1e-8)


def test_pagerank_uses_weights():
    G = nx.Graph()
    G.add_edge("a", "b", weight=10)
    G.add_edge("a", "c", weight=1)
    pr = pagerank(G)
    assert pr["b"] > pr["c"]
    assert pagerank(nx.Graph()) == {}


def test_components_numbered_from_largest():
    G = nx.Graph([("x", "y"), ("a", "b"), ("b", "c")])
    G.add_node("seul")
    cid, size = components(G)
    assert cid["a"] == cid["c"] == 0.0 and size["a"] == 3.0
    assert cid["x"] == 1.0 and size["x"] == 2.0
    assert cid["seul"] == 2.0 and size["seul"] == 1.0


def test_actor_metrics_table():
    G = nx.karate_club_graph()
    m = actor_metrics(G)
    assert set(m) == set(G)
    assert all(tuple(row) == METRICS for row in m.values())
    assert m[33]["degree"] == 17.0
    assert m[0]["betweenness"] == pytest.approx(max(r["betweenness"] for r in m.values()))
    assert m[0]["component_size"] == 34.0
    sampled = actor_metrics(G, betweenness_k=5, seed=3)
    assert sampled == actor_metrics(G, betweenness_k=5, seed=3)


def test_isolated_and_empty_graphs():
    G = nx.Graph()
    G.add_node("seul")
    m = actor_metrics(G)["seul"]
    assert m["degree"] == 0 and m["betweenness"] == 0 and m["closeness"] == 0
    assert m["pagerank"] == pytest.approx(1.0) and m["core_number"] == 0 and m["component_size"] == 1
    assert actor_metrics(nx.Graph()) == {}
