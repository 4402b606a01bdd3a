"""Actor metrics: igraph computes, networkx defines. Every metric is checked against networkx
(the independent implementation) on seeded random graphs — weighted and unweighted, connected
or not, with isolated actors — to 1e-9 (PageRank 1e-6), and the engine's edge cases (empty
graphs, isolates, self-loops, the conversion cache) are pinned. Published values are in
``tests/test_metrics_published.py``."""

from __future__ import annotations

import math
import random
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.analytics import engine
from maillage.analytics.metrics import (METRICS, NORMALISED, actor_metrics, betweenness, closeness, community,
                                        components, constraint, core_number, degree, effective_size, eigenvector,
                                        harmonic, modularity, pagerank, sample_sources, strength)

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


def test_tied_only_normalises_over_the_actors_with_a_tie():
    """``tied_only``: betweenness, closeness and PageRank are those of the graph without its
    isolated actors (networkx's on that subgraph), the isolated get 0 and every other metric is
    as without the option — adding isolated actors then changes no value."""
    G = nx.krackhardt_kite_graph()
    plain = actor_metrics(G)
    G.add_nodes_from(["seul", "aussi seul"])
    with_isolated = actor_metrics(G)
    m = actor_metrics(G, tied_only=True)
    assert with_isolated[3]["betweenness"] < plain[3]["betweenness"]  # divided by 11 actors, not 9
    for v in range(10):
        for name in METRICS:
            like = plain if name in (*NORMALISED, "community") else with_isolated
            assert m[v][name] == pytest.approx(like[v][name], abs=1e-12), (v, name)
    for v in ("seul", "aussi seul"):
        assert [m[v][k] for k in ("betweenness", "closeness", "pagerank", "degree")] == [0, 0, 0, 0]
        assert m[v]["component_size"] == 1
    assert with_isolated[0]["community"] != plain[0]["community"]  # Leiden's draws depend on the node set
    assert {m[v]["community"] for v in ("seul", "aussi seul")} == {3.0, 4.0}  # after the kite's three
    assert m[3]["closeness"] == pytest.approx(nx.closeness_centrality(nx.krackhardt_kite_graph())[3])




def test_tied_only_gives_no_eigenvector_to_a_lens_without_ties():
    """A lens with no tie (the funding lens in a year without grants): networkx's iteration
    gives every actor 1/√n, which would rank actors the lens does not tie as central. Over the
    actors with a tie — none — every actor gets 0, as for betweenness and PageRank."""
    G = nx.Graph()
    G.add_nodes_from(["a", "b", "c", "d"])
    assert actor_metrics(G)["a"]["eigenvector"] == pytest.approx(0.5)  # networkx's limit, 1/√4
    m = actor_metrics(G, tied_only=True)
    assert {v: m[v]["eigenvector"] for v in G} == {"a": 0.0, "b": 0.0, "c": 0.0, "d": 0.0}
    assert {m[v]["pagerank"] for v in G} == {0.0}
    G.add_edge("a", "b")  # one tie: the untied actors already get 0
    m = actor_metrics(G, tied_only=True)
    assert m["c"]["eigenvector"] == 0 and m["a"]["eigenvector"] == pytest.approx(2 ** -0.5)
def _karate_with_untied() -> nx.Graph:
    G = nx.karate_club_graph()  # weighted: interaction counts
    G.add_nodes_from([100, 101, 102])
    G.add_edge(103, 103, weight=2)  # a self-loop alone is not a tie
    G.add_edge(0, 0, weight=5)  # a tied actor's self-loop (ignored by the normalised metrics)
    return G


# actor_metrics(_karate_with_untied(), tied_only=True) as computed before the tied subgraph was
# taken from the one igraph conversion (a second networkx → igraph conversion then), actors 0…33
KARATE_TIED = {
    "betweenness": [
        0.43763528138528146, 0.053936688311688304, 0.14365680615680618, 0.011909271284271283, 0.0006313131313131313,
        0.02998737373737374, 0.029987373737373736, 0.0, 0.05592682780182781, 0.0008477633477633478,
        0.0006313131313131313, 0.0, 0.0, 0.04586339586339586, 0.0, 0.0, 0.0, 0.0, 0.0, 0.03247504810004811, 0.0, 0.0,
        0.0, 0.017613636363636363, 0.0022095959595959595, 0.0038404882154882154, 0.0, 0.02233345358345358,
        0.0017947330447330447, 0.0029220779220779218, 0.014411976911976909, 0.13827561327561325, 0.145247113997114,
        0.30407497594997596],
    "closeness": [
        0.5689655172413793, 0.4852941176470589, 0.559322033898305, 0.4647887323943662, 0.3793103448275862,
        0.38372093023255816, 0.38372093023255816, 0.44, 0.515625, 0.4342105263157895, 0.3793103448275862,
        0.36666666666666664, 0.3707865168539326, 0.515625, 0.3707865168539326, 0.3707865168539326, 0.28448275862068967,
        0.375, 0.3707865168539326, 0.5, 0.3707865168539326, 0.375, 0.3707865168539326, 0.39285714285714285, 0.375,
        0.375, 0.3626373626373626, 0.4583333333333333, 0.4520547945205479, 0.38372093023255816, 0.4583333333333333,
        0.5409836065573771, 0.515625, 0.55],
    "pagerank": [
        0.08850031542802161, 0.057412319362886204, 0.06276562384809, 0.03721003481796369, 0.02050080108059833,
        0.03380387305163139, 0.031523018964506294, 0.02646320268602694, 0.033382483465546835, 0.009463494950839146,
        0.02068568469490919, 0.009784998142583667, 0.011474264117327646, 0.03347292496547691, 0.012942403848310476,
        0.01637744378202859, 0.016752260138269467, 0.009676695208227592, 0.009545337709170468, 0.013076990052964347,
        0.011224883881451419, 0.011359470086105291, 0.01296139074559953, 0.04114975820304192, 0.01663573275578516,
        0.02867644885355465, 0.01524171740848012, 0.027237726789705416, 0.014479228223760635, 0.02827466646924573,
        0.02303284609075695, 0.041988177761964014, 0.07593441958077661, 0.09698936283439379],
    "community": [1, 1, 1, 1, 3, 3, 3, 1, 0, 0, 3, 1, 1, 1, 0, 0, 3, 1, 0, 1, 0, 1, 0, 2, 2, 2, 0, 2, 2, 0, 0, 2, 0, 0],
}
# the same with betweenness_k=5, seed=3 (sources drawn among the tied actors in the graph's order)
KARATE_TIED_SAMPLED_BETWEENNESS = [
    0.39246527777777773, 0.07270833333333333, 0.09348214285714286, 0.0050347222222222225, 0.0, 0.0125,
    0.020833333333333332, 0.0, 0.09360119047619048, 0.0, 0.0020833333333333333, 0.0, 0.0, 0.033968253968253974, 0.0,
    0.0, 0.0, 0.0, 0.0, 0.02754464285714286, 0.0, 0.0, 0.0, 0.0109375, 0.0, 0.012118055555555556, 0.0,
    0.027430555555555555, 0.0, 0.003125, 0.013020833333333332, 0.09033234126984127, 0.21155753968253968,
    0.34451884920634923]


def test_tied_only_values_are_unchanged_by_the_single_conversion():
    """The tied subgraph is igraph's induced subgraph of the whole graph's conversion: the
    values are the ones the second conversion gave (stored above) and networkx's on the tied
    subgraph, to 1e-12; the untied actors get 0 and communities of their own after the four."""
    G = _karate_with_untied()
    engine.clear_cache()
    m = actor_metrics(G, tied_only=True)
    for name, expected in KARATE_TIED.items():
        assert [m[v][name] for v in range(34)] == pytest.approx(expected, abs=1e-12, rel=0), name
    assert [m[v]["community"] for v in (100, 101, 102, 103)] == [4, 5, 6, 7]
    assert all(m[v][name] == 0 for v in (100, 101, 102, 103) for name in NORMALISED)
    sampled = actor_metrics(G, tied_only=True, betweenness_k=5, seed=3)
    assert [sampled[v]["betweenness"] for v in range(34)] == pytest.approx(KARATE_TIED_SAMPLED_BETWEENNESS,
                                                                           abs=1e-12, rel=0)
    H = nx.Graph(nx.karate_club_graph())  # networkx on the tied subgraph (self-loops ignored)
    for name, ref in (("betweenness", nx.betweenness_centrality(H)), ("closeness", nx.closeness_centrality(H)),
                      ("pagerank", nx.pagerank(H, weight="weight", tol=1e-16, max_iter=100_000))):
        assert [m[v][name] for v in range(34)] == pytest.approx([ref[v] for v in range(34)], abs=1e-12, rel=0), name
    ref = nx.betweenness_centrality(H, k=5, seed=3)
    assert [sampled[v]["betweenness"] for v in range(34)] == pytest.approx([ref[v] for v in range(34)], abs=1e-12)
    # every metric not normalised over the tied actors is the whole graph's
    whole = actor_metrics(G)
    assert all(m[v][name] == whole[v][name] or math.isnan(whole[v][name])
               for v in G for name in METRICS if name not in (*NORMALISED, "community"))


def test_tied_subgraph_keeps_every_edge_in_order():
    """The weights read for the whole graph serve the tied subgraph only if igraph keeps the
    edges' order (its create_from_scratch induced subgraph reorders them)."""
    G = _karate_with_untied()
    c = engine.to_igraph(G)
    t = c.tied()
    assert t.nodes == list(range(34)) and t.loops.tolist() == [1] + [0] * 33
    assert t.graph.get_edgelist() == [tuple(e) for e in c.edges.tolist()]  # vertices 0…33 keep their index
    assert t.weights_for(G, "weight") == c.weights_for(G, "weight") == [float(w) for u, v, w in
                                                                        G.edges(data="weight") if u != v]
    K = nx.karate_club_graph()
    assert engine.to_igraph(K).tied() is engine.to_igraph(K)


HASH_SEED_CHILD = """
import json, networkx as nx
from maillage.analytics.metrics import actor_metrics
G = nx.Graph()
G.add_nodes_from(f"seul{i}" for i in range(40))  # more actors without a tie than with one
G.add_edges_from((f"a{u}", f"a{v}", {"weight": w}) for u, v, w in nx.karate_club_graph().edges(data="weight"))
m = actor_metrics(G, tied_only=True, betweenness_k=5, seed=0)
print(json.dumps({v: [m[v]["community"], m[v]["betweenness"]] for v in G}))
"""


def test_tied_only_does_not_depend_on_the_hash_seed(tmp_path):
    """With more untied than tied actors, networkx's subgraph view listed the tied actors in
    set order, so Leiden's communities and the sampled betweenness changed with
    PYTHONHASHSEED from one run of ``analyse`` to the next; the induced subgraph keeps the
    graph's order."""
    import json
    import os
    import subprocess
    import sys

    outs = []
    for hash_seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed,  # this tree's maillage, whatever is installed
               "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent.parent),
                                              os.environ.get("PYTHONPATH", "")])}
        proc = subprocess.run([sys.executable, "-c", HASH_SEED_CHILD], env=env, capture_output=True, text=True,
                              check=True, cwd=tmp_path)
        outs.append(json.loads(proc.stdout))
    assert outs[0] == outs[1] == outs[2]
    G = nx.Graph()  # the tied actors alone, in the graph's order: the same values
    G.add_edges_from((f"a{u}", f"a{v}", {"weight": w}) for u, v, w in nx.karate_club_graph().edges(data="weight"))
    alone = actor_metrics(G, betweenness_k=5, seed=0)
    assert {v: outs[0][v] for v in G} == {v: [alone[v]["community"], alone[v]["betweenness"]] for v in G}
    assert len({outs[0][f"a{i}"][0] for i in range(34)}) >= 2


# -- agreement with networkx on random graphs -------------------------------------------------------

NX_SAMPLED_SCALING = tuple(int(x) for x in nx.__version__.split(".")[:2]) >= (3, 5)  # networkx PR #7908/#7949


def random_graph(n: int, p: float, seed: int, weighted: bool, isolates: int = 2) -> nx.Graph:
    """G(n, p) with string ids (as the store's), integer weights 1–5 when ``weighted``, and
    ``isolates`` actors without ties; several components at these densities."""
    rnd = random.Random(seed)
    G = nx.relabel_nodes(nx.gnp_random_graph(n, p, seed=seed), lambda i: f"acteur-{i:03d}")
    if weighted:
        for u, v in G.edges:
            G[u][v]["weight"] = rnd.randint(1, 5)
    for i in range(isolates):
        G.add_node(f"isolé-{i}")
    return G


GRAPHS = [(n, p, seed, weighted) for seed, (n, p) in enumerate([(60, 0.03), (80, 0.05), (120, 0.04), (150, 0.08)])
          for weighted in (False, True)]


def assert_same(ours: dict, ref: dict, tol: float) -> None:
    assert set(ours) == set(ref)
    for v, x in ref.items():
        if math.isnan(x):
            assert math.isnan(ours[v]), v
        else:
            assert ours[v] == pytest.approx(x, abs=tol, rel=0), v


@pytest.fixture(params=GRAPHS, ids=lambda g: f"n{g[0]}-p{g[1]}-{'w' if g[3] else 'u'}")
def rgraph(request) -> nx.Graph:
    G = random_graph(*request.param)
    assert nx.number_connected_components(G) > 1
    return G


def test_exact_metrics_agree_with_networkx(rgraph):
    G = rgraph
    assert_same(degree(G), {v: float(d) for v, d in G.degree()}, 0)
    assert_same(strength(G), {v: float(d) for v, d in G.degree(weight="weight")}, 1e-9)
    assert_same(betweenness(G), nx.betweenness_centrality(G), 1e-9)
    assert_same(betweenness(G, normalized=False), nx.betweenness_centrality(G, normalized=False), 1e-9)
    assert_same(closeness(G), nx.closeness_centrality(G, wf_improved=True), 1e-9)
    assert_same(harmonic(G), nx.harmonic_centrality(G), 1e-9)
    assert_same(core_number(G), nx.core_number(G), 0)
    assert_same(pagerank(G), nx.pagerank(G, weight="weight", tol=1e-12, max_iter=10_000), 1e-6)
    assert_same(pagerank(G, alpha=0.6), nx.pagerank(G, alpha=0.6, weight="weight", tol=1e-12, max_iter=10_000), 1e-6)


def test_eigenvector_agrees_with_networkx_power_iteration(rgraph):
    G = rgraph  # disconnected: the power iteration's limit lives on the dominant component
    for weight in ("weight", None):
        ref = nx.eigenvector_centrality(G, weight=weight, max_iter=100_000, tol=1e-15)
        assert_same(eigenvector(G, weight=weight), ref, 1e-9)
    x = eigenvector(G)
    assert math.fsum(v * v for v in x.values()) == pytest.approx(1.0, abs=1e-12)


def test_structural_holes_agree_with_networkx(rgraph):
    G = rgraph
    nodes = list(G)  # networkx's per-node path: the definition (see test_effective_size_vectorised_networkx_bug)
    for weight in ("weight", None):
        assert_same(constraint(G, weight=weight), nx.constraint(G, weight=weight), 1e-9)
        assert_same(constraint(G, weight=weight), nx.constraint(G, nodes=nodes, weight=weight), 1e-9)
        assert_same(effective_size(G, weight=weight), nx.effective_size(G, nodes=nodes, weight=weight), 1e-9)
    assert math.isnan(constraint(G)["isolé-0"]) and math.isnan(effective_size(G)["isolé-0"])


def burt_effective_size(G: nx.Graph, i, weight: str | None) -> float:
    """Burt (1992) written out: Σ_j (1 − Σ_q p_iq m_jq), p by sums, m by maxima."""
    w = lambda a, b: (G[a][b].get(weight, 1) if weight else 1) if G.has_edge(a, b) else 0  # noqa: E731
    N = list(G[i])
    if not N:
        return math.nan
    s_i = sum(w(i, q) for q in N)
    total = 0.0
    for j in N:
        wmax_j = max(w(j, x) for x in G[j])
        total += 1 - sum(w(i, q) / s_i * w(j, q) / wmax_j for q in N if q != j)
    return total


def test_effective_size_matches_burts_formula_written_out(rgraph):
    G = rgraph
    for weight in ("weight", None):
        ours = effective_size(G, weight=weight)
        assert_same(ours, {v: burt_effective_size(G, v, weight) for v in G}, 1e-9)


def test_effective_size_vectorised_networkx_bug():
    """networkx 3.6's vectorised weighted ``effective_size`` (``nodes=None``) divides by the
    column's maximum instead of the row's (networkx PR #8906): it disagrees with its own
    per-node path. Ours follows the definition (the per-node path, UCINET, igraph)."""
    G = random_graph(80, 0.05, 1, weighted=True)
    ours = effective_size(G)
    per_node = nx.effective_size(G, nodes=list(G), weight="weight")
    assert_same(ours, per_node, 1e-9)
    # the reason ours exists: with the lock's networkx the two paths disagree. On a networkx
    # that fixed it this fails — then maillage.analytics.metrics.effective_size can call it
    vectorised = nx.effective_size(G, weight="weight")
    assert not all(math.isnan(x) and math.isnan(per_node[v]) or abs(x - per_node[v]) < 1e-9
                   for v, x in vectorised.items()), f"networkx {nx.__version__} fixed its vectorised effective_size"


def test_modularity_and_communities_agree_with_networkx(rgraph):
    G = rgraph
    for weight in ("weight", None):
        com = community(G, seed=3, weight=weight)
        groups: dict[float, set] = {}
        for v, c in com.items():
            groups.setdefault(c, set()).add(v)
        q = modularity(G, com, weight=weight)
        assert q == pytest.approx(nx.community.modularity(G, groups.values(), weight=weight), abs=1e-9)
        assert modularity(G, list(groups.values()), weight=weight) == pytest.approx(q, abs=1e-12)
        # Leiden reaches at least what networkx's Louvain finds, up to a hair
        louvain = nx.community.louvain_communities(G, weight=weight, seed=1)
        assert q >= nx.community.modularity(G, louvain, weight=weight) - 0.02


@pytest.mark.skipif(not NX_SAMPLED_SCALING, reason="networkx < 3.5 scales the k-sample differently")
@pytest.mark.parametrize("k", [1, 2, 9, 40])
def test_sampled_betweenness_is_networkx_estimator(rgraph, k):
    G = rgraph
    for normalized in (True, False):
        ours = betweenness(G, k=k, seed=11, normalized=normalized)
        ref = nx.betweenness_centrality(G, k=k, seed=11, normalized=normalized)
        assert_same(ours, ref, 1e-9)


def test_sampled_sources_are_networkx_draw():
    G = random_graph(50, 0.1, 2, weighted=False)
    assert sample_sources(G, 7, seed=5) == random.Random(5).sample(list(G), 7)
    b = betweenness(G, k=1, seed=5)
    (src,) = sample_sources(G, 1, seed=5)
    assert math.isnan(b[src])  # 0/0 for the only source, as networkx
    assert sum(1 for x in b.values() if math.isnan(x)) == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edges=st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14), st.integers(1, 4)), max_size=40),
       extra=st.integers(0, 3))
def test_any_small_graph_agrees_with_networkx(edges, extra):
    G = nx.Graph()
    G.add_nodes_from(range(15 + extra))
    G.add_weighted_edges_from((u, v, w) for u, v, w in edges if u != v)
    assert_same(betweenness(G), nx.betweenness_centrality(G), 1e-9)
    assert_same(closeness(G), nx.closeness_centrality(G), 1e-9)
    assert_same(harmonic(G), nx.harmonic_centrality(G), 1e-9)
    assert_same(core_number(G), nx.core_number(G), 0)
    assert_same(constraint(G), nx.constraint(G, weight="weight"), 1e-9)
    assert_same(effective_size(G), nx.effective_size(G, nodes=list(G), weight="weight"), 1e-9)
    assert_same(pagerank(G), nx.pagerank(G, weight="weight", tol=1e-12, max_iter=10_000), 1e-6)
    cid, size = components(G)
    assert len(set(cid.values())) == nx.number_connected_components(G)
    com = community(G)
    assert all(any(com[u] == com[v] for v in G[u]) for u in G if G.degree(u))  # no actor alone beside its ties
    for u, v in G.edges:
        assert cid[u] == cid[v]


# -- eigenvector on disconnected graphs, ties --------------------------------------------------------

def test_eigenvector_with_tied_components_is_the_power_iteration_limit():
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)])  # two triangles: λ = 2 twice
    G.add_node(6)
    ref = nx.eigenvector_centrality(G, max_iter=10_000, tol=1e-15, weight=None)
    ours = eigenvector(G, weight=None)
    assert_same(ours, ref, 1e-9)
    assert ours[0] == pytest.approx(1 / math.sqrt(6)) and ours[6] == 0.0


def test_eigenvector_on_a_graph_without_ties():
    G = nx.empty_graph(4)
    assert_same(eigenvector(G), nx.eigenvector_centrality(G), 1e-9)  # 1/2 each
    assert eigenvector(nx.Graph()) == {}


def test_eigenvector_weighted_star():
    G = nx.Graph()
    G.add_edge("c", "a", weight=3)
    G.add_edge("c", "b", weight=4)  # λ = 5, x ∝ (5, 3, 4)
    x = eigenvector(G)
    assert x["c"] == pytest.approx(5 / math.sqrt(50)) and x["b"] == pytest.approx(4 / math.sqrt(50))


# -- communities ------------------------------------------------------------------------------------

def test_community_is_deterministic_and_numbered_by_size():
    G = nx.connected_caveman_graph(6, 5)
    G = nx.relabel_nodes(G, lambda i: f"a{i:02d}")
    G.add_edge("x", "y")
    G.add_node("seul")
    a = community(G, seed=4)
    assert a == community(G, seed=4)
    sizes = {}
    for v, c in a.items():
        sizes.setdefault(c, []).append(v)
    assert sorted(sizes) == list(range(len(sizes)))
    ordered = [sizes[c] for c in sorted(sizes)]
    assert [len(g) for g in ordered] == sorted((len(g) for g in ordered), reverse=True)
    same_size = [g for g in ordered if len(g) == 5]
    assert [min(g) for g in same_size] == sorted(min(g) for g in same_size)  # ties: smallest id first
    assert len(sizes) == 8  # six caves, the pair, the isolated actor
    assert a["x"] == a["y"] == 6.0 and a["seul"] == 7.0


def test_community_leaves_pythons_random_alone():
    G = nx.karate_club_graph()
    random.seed(123)
    expected = [random.random() for _ in range(3)]
    random.seed(123)
    community(G, seed=9)
    eigenvector(G)
    assert [random.random() for _ in range(3)] == expected
    # igraph's generator is Python's random module again
    random.seed(5)
    x = __import__("igraph").Graph.Erdos_Renyi(20, 0.2).get_edgelist()
    random.seed(5)
    assert __import__("igraph").Graph.Erdos_Renyi(20, 0.2).get_edgelist() == x


def test_modularity_checks_the_partition():
    G = nx.path_graph(4)
    assert modularity(G, [{0, 1}, {2, 3}], weight=None) == pytest.approx(
        nx.community.modularity(G, [{0, 1}, {2, 3}], weight=None))
    with pytest.raises(nx.NetworkXError):
        modularity(G, [{0, 1}, {1, 2, 3}])
    with pytest.raises(nx.NetworkXError):
        modularity(G, [{0, 1}, {2}])
    with pytest.raises(nx.NetworkXError):
        modularity(G, {0: 0, 1: 0, 2: 1})
    assert math.isnan(modularity(nx.empty_graph(3), [{0}, {1}, {2}]))


# -- the engine: conversion once, edge cases -----------------------------------------------------------

def test_the_suite_converts_a_graph_once(monkeypatch):
    G = random_graph(40, 0.1, 3, weighted=True)
    engine.clear_cache()
    calls = []
    real = engine._convert
    monkeypatch.setattr(engine, "_convert", lambda g: calls.append(g) or real(g))
    actor_metrics(G)
    assert len(calls) == 1
    G.add_edge("acteur-000", "nouveau")  # a size change is a new graph
    m = actor_metrics(G)
    assert len(calls) == 2 and m["nouveau"]["degree"] == 1.0


def test_conversion_keeps_node_order_and_weights():
    G = nx.Graph()
    G.add_nodes_from(["z", "a", "m"])
    G.add_edge("m", "z", weight=3)
    G.add_edge("a", "a", weight=2)  # a self-loop
    c = engine.to_igraph(G)
    assert c.nodes == ["z", "a", "m"]
    assert c.graph.get_edgelist() == [(0, 2)]
    assert c.weights_for(G, "weight") == [3.0] and c.weights_for(G, None) is None
    assert c.loops.tolist() == [0, 1, 0] and c.loop_weight.tolist() == [0.0, 2.0, 0.0]
    with pytest.raises(nx.NetworkXNotImplemented):
        engine.to_igraph(nx.DiGraph([(1, 2)]))
    with pytest.raises(nx.NetworkXNotImplemented):
        engine.to_igraph(nx.MultiGraph([(1, 2)]))


def test_self_loops_count_in_degree_and_strength_only():
    G = random_graph(50, 0.08, 4, weighted=True)
    H = G.copy()
    H.add_edge("acteur-001", "acteur-001", weight=3)
    H.add_edge("isolé-0", "isolé-0")
    assert_same(degree(H), {v: float(d) for v, d in H.degree()}, 0)
    assert_same(strength(H), {v: float(d) for v, d in H.degree(weight="weight")}, 1e-12)
    assert strength(H)["acteur-001"] == strength(G)["acteur-001"] + 6
    for f in (betweenness, closeness, harmonic, pagerank, core_number, eigenvector, constraint, effective_size):
        assert_same(f(H), f(G), 1e-9)


def test_metrics_on_the_smallest_graphs():
    for f in (degree, strength, betweenness, closeness, harmonic, pagerank, core_number, eigenvector,
              constraint, effective_size, community):
        assert f(nx.Graph()) == {}
    one = nx.Graph()
    one.add_node("seul")
    m = actor_metrics(one)["seul"]
    assert m["eigenvector"] == 1.0 and m["harmonic"] == 0.0 and m["community"] == 0.0
    assert math.isnan(m["constraint"]) and math.isnan(m["effective_size"])
    pair = nx.Graph([("a", "b")])
    m = actor_metrics(pair)
    assert m["a"]["betweenness"] == 0.0 and m["a"]["closeness"] == 1.0 and m["a"]["constraint"] == 1.0
    assert m["a"]["effective_size"] == 1.0 and m["a"]["eigenvector"] == pytest.approx(math.sqrt(0.5))
    assert betweenness(pair, k=1, seed=0, normalized=False) == nx.betweenness_centrality(
        pair, k=1, seed=0, normalized=False)


def test_actor_metrics_keeps_the_old_columns_first():
    assert METRICS[:8] == ("degree", "strength", "betweenness", "closeness", "pagerank", "core_number",
                           "component", "component_size")
    assert set(METRICS[8:]) == {"eigenvector", "harmonic", "constraint", "effective_size", "community"}
    G = random_graph(60, 0.06, 5, weighted=True)
    m = actor_metrics(G, betweenness_k=10, seed=2)
    ref = nx.betweenness_centrality(G, k=10, seed=2) if NX_SAMPLED_SCALING else None
    for v, row in m.items():
        assert tuple(row) == METRICS
        if ref is not None:
            assert row["betweenness"] == pytest.approx(ref[v], abs=1e-9)
        assert row["community"] == community(G, seed=2)[v]


# -- sampled closeness and harmonic centrality ------------------------------------------------------------

def test_sampled_distances_are_exact_when_k_covers_every_component():
    G = random_graph(120, 0.04, 2, weighted=False)
    largest = max(len(c) for c in nx.connected_components(G))
    assert closeness(G, k=largest, seed=3) == closeness(G)
    assert harmonic(G, k=largest, seed=3) == pytest.approx(harmonic(G), abs=1e-12)
    with pytest.raises(ValueError):
        closeness(G, k=1)


def test_sampled_distances_estimate_only_the_large_components():
    big = nx.relabel_nodes(nx.connected_watts_strogatz_graph(80, 4, 0.2, seed=1), lambda i: f"g{i:02d}")
    G = nx.union(big, nx.Graph([("p", "q"), ("q", "r")]))
    G.add_node("seul")
    exact_c, exact_h = closeness(G), harmonic(G)
    c, h = closeness(G, k=10, seed=2), harmonic(G, k=10, seed=2)
    for v in ("p", "q", "r", "seul"):  # components of ≤ k actors: exact
        assert c[v] == exact_c[v] and h[v] == pytest.approx(exact_h[v], abs=1e-12)
    assert any(abs(c[v] - exact_c[v]) > 1e-6 for v in big)  # the large one: an estimate
    assert c == closeness(G, k=10, seed=2)  # deterministic for a seed
    assert c != closeness(G, k=10, seed=3)


def test_sampled_harmonic_is_unbiased():
    """Averaged over 300 seeds the estimate of every actor is within a few % of the exact value
    (sd of one estimate with k = 5 of 60 is ≈ 30 %, so ≈ 2 % for the mean)."""
    G = nx.relabel_nodes(nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=1), str)
    exact = harmonic(G)
    mean = dict.fromkeys(G, 0.0)
    for seed in range(300):
        for v, x in harmonic(G, k=5, seed=seed).items():
            mean[v] += x / 300
    assert max(abs(mean[v] - exact[v]) / exact[v] for v in G) < 0.05
    # the closeness estimate inverts an unbiased mean distance: close, slightly above on average
    cmean = dict.fromkeys(G, 0.0)
    cexact = closeness(G)
    for seed in range(300):
        for v, x in closeness(G, k=5, seed=seed).items():
            cmean[v] += x / 300
    assert max(abs(cmean[v] - cexact[v]) / cexact[v] for v in G) < 0.05


def test_actor_metrics_distance_sampling():
    G = random_graph(150, 0.08, 6, weighted=True)
    m = actor_metrics(G, distance_k=20, seed=4)
    c, h = closeness(G, k=20, seed=4), harmonic(G, k=20, seed=4)
    assert all(row["closeness"] == c[v] and row["harmonic"] == h[v] for v, row in m.items())
    big_k, exact = actor_metrics(G, distance_k=10_000), actor_metrics(G)
    for v, row in exact.items():
        for name, x in row.items():
            assert big_k[v][name] == x or (math.isnan(x) and math.isnan(big_k[v][name])), (v, name)
