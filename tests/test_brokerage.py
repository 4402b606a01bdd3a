"""Gould–Fernandez brokerage roles (maillage.analytics.brokerage), checked against:
a brute-force enumeration of every ordered triple (written here, independently of the module);
hand-worked tables; the number of open two-paths counted from the adjacency matrix; every
digraph on five actors (exact moments of the Bernoulli null model); and sna's R formulas
transcribed literally, loops and all."""

from __future__ import annotations

import itertools
import json
import math
import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maillage.analytics.brokerage import (ROLES, SNA_NAMES, TOTAL, brokerage, brokerage_analysis,
                                          brokerage_permutation, brokerage_roles_fr, role_labels)
from maillage.graph import open_store
from maillage.graph.projection import project, to_graph
from maillage.loaders import load_file

ALL = (*ROLES, TOTAL)


# -- independent reference: every ordered triple ------------------------------------------------

def role_of(ga, gb, gc) -> str:
    if ga == gb == gc:
        return "coordinator"
    if ga == gb:
        return "representative"
    if gb == gc:
        return "gatekeeper"
    if ga == gc:
        return "consultant"
    return "liaison"


def arcs_of(G) -> set:
    """Ordered pairs tied in G: no self-loops, parallel edges once, an undirected edge both ways."""
    arcs = {(u, v) for u, v in G.edges() if u != v}
    if not G.is_directed():
        arcs |= {(v, u) for u, v in arcs}
    return arcs


def group_of(G, groups, v):
    g = G.nodes[v].get(groups) if isinstance(groups, str) else groups.get(v)
    return None if g is None or g != g else g          # NaN counts as no group


def brute(G, groups) -> dict:
    arcs = arcs_of(G)
    g = {v: group_of(G, groups, v) for v in G}
    out = {v: dict.fromkeys(ALL, 0.0) for v in G}
    for a, b, c in itertools.permutations(G.nodes, 3):
        if (a, b) in arcs and (b, c) in arcs and (a, c) not in arcs:
            if None in (g[a], g[b], g[c]):
                continue
            out[b][role_of(g[a], g[b], g[c])] += 1
            out[b][TOTAL] += 1
    return out


def random_case(rng: random.Random):
    n = rng.randint(0, 11)
    kind = rng.choice([nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph])
    G = kind()
    names = [f"n{i}" for i in range(n)] if rng.random() < 0.5 else list(range(n))
    G.add_nodes_from(names)                                 # isolated actors included
    p = rng.random()
    for u, v in itertools.product(names, repeat=2):
        if rng.random() < p / 2:
            G.add_edge(u, v)                                 # self-loops and reversed duplicates
    for u, v in list(G.edges())[: rng.randint(0, 3)]:
        G.add_edge(u, v)                                     # parallel edges (multigraphs)
    labels = rng.choice([["a"], ["a", "b"], ["a", "b", "c"], [1, 2, 3, 4, 5], [("t", 1), ("t", 2)]])
    missing = rng.choice([[], [None], [None, float("nan")]])
    groups = {v: rng.choice(labels + missing) for v in names if rng.random() < 0.9}
    return G, groups


def assert_tables_equal(got, want):
    assert got.keys() == want.keys()
    for v in want:
        assert got[v] == want[v], (v, got[v], want[v])


# -- counts against the brute force -------------------------------------------------------------

def test_counts_match_brute_force_on_random_graphs():
    rng = random.Random(20240611)
    for _ in range(400):
        G, groups = random_case(rng)
        assert_tables_equal(brokerage(G, groups), brute(G, groups))


def test_sparse_histograms_path_matches_brute_force(monkeypatch):
    # many groups (e.g. communes) switch the group histograms to their sparse form
    import maillage.analytics.brokerage as module

    monkeypatch.setattr(module, "_DENSE_HISTOGRAMS", 0)
    rng = random.Random(99)
    for _ in range(100):
        G, groups = random_case(rng)
        assert_tables_equal(brokerage(G, groups), brute(G, groups))


@settings(max_examples=150, deadline=None)
@given(directed=st.booleans(),
       edges=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=40),
       labels=st.lists(st.sampled_from([None, "ess", "collectivite", "state", "pole"]), min_size=9, max_size=9))
def test_counts_match_brute_force_hypothesis(directed, edges, labels):
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(9))
    G.add_edges_from(edges)
    groups = dict(enumerate(labels))
    assert_tables_equal(brokerage(G, groups), brute(G, groups))


def test_groups_read_from_a_node_attribute():
    rng = random.Random(7)
    for _ in range(30):
        G, groups = random_case(rng)
        for v in G:
            G.nodes[v]["family"] = groups.get(v)
        assert_tables_equal(brokerage(G, "family"), brokerage(G, groups))
        assert_tables_equal(brokerage(G, "family"), brute(G, "family"))


# -- hand-worked example ------------------------------------------------------------------------
#
# Groups: A = {a1, a2, a3, a4}, B = {b1, b2}, C = {c1, d1}; x has no group; d1 is isolated.
# Directed ties: the cycle b1 → a1 → a2 → a3 → b2 → c1 → b1, the chords a1 → a3 and a3 → a4,
# the reciprocal tie a2 → a1, a self-loop a4 → a4 and x → a1, b2 → x.
#
# Broker by broker (in-neighbours × out-neighbours, x ignored, loops ignored):
#   a1: in {b1, a2}, out {a2, a3}
#       (b1, a2) open, B A A → gatekeeper      (b1, a3) open, B A A → gatekeeper
#       (a2, a2) same actor → no               (a2, a3) closed by a2 → a3 → no
#   a2: in {a1}, out {a3, a1}: (a1, a3) closed by a1 → a3; (a1, a1) same actor → nothing
#   a3: in {a2, a1}, out {b2, a4}
#       (a2, b2) A A B → representative         (a1, b2) A A B → representative
#       (a2, a4) A A A → coordinator            (a1, a4) A A A → coordinator
#   a4: in {a3}, out {} → nothing
#   b2: (a3, c1) A B C → liaison;  c1: (b2, b1) B C B → consultant;  b1: (c1, a1) C B A → liaison
#
#          coordinator consultant representative gatekeeper liaison total
#   a1          0          0            0             2          0      2
#   a3          2          0            2             0          0      4
#   b1          0          0            0             0          1      1
#   b2          0          0            0             0          1      1
#   c1          0          1            0             0          0      1
#   others      0 everywhere                                               (9 open two-paths)

HAND_GROUPS = {"a1": "A", "a2": "A", "a3": "A", "a4": "A", "b1": "B", "b2": "B", "c1": "C", "d1": "C",
               "x": None}
HAND_ARCS = [("b1", "a1"), ("a1", "a2"), ("a2", "a3"), ("a3", "b2"), ("b2", "c1"), ("c1", "b1"),
             ("a1", "a3"), ("a3", "a4"), ("a2", "a1"), ("a4", "a4"), ("x", "a1"), ("b2", "x")]


def row(**kw):
    r = dict.fromkeys(ROLES, 0.0)
    r.update({k: float(v) for k, v in kw.items()})
    r[TOTAL] = float(sum(r.values()))
    return r


def hand_graph(kind):
    G = kind()
    G.add_nodes_from(HAND_GROUPS)
    G.add_edges_from(HAND_ARCS)
    return G


def test_hand_worked_directed_table():
    want = {v: row() for v in HAND_GROUPS}
    want["a1"] = row(gatekeeper=2)
    want["a3"] = row(coordinator=2, representative=2)
    want["b1"] = row(liaison=1)
    want["b2"] = row(liaison=1)
    want["c1"] = row(consultant=1)
    got = brokerage(hand_graph(nx.DiGraph), HAND_GROUPS)
    assert_tables_equal(got, want)
    assert sum(r[TOTAL] for r in got.values()) == 9


# The same ties read as undirected (a1 — a2 once): neighbours, x ignored
#   a1 {b1, a2, a3}: a2 — a3 tied; b1–a2 and b1–a3 open, each both ways:
#       (b1, a2), (b1, a3): B A A → gatekeeper 2; (a2, b1), (a3, b1): A A B → representative 2
#   a2 {a1, a3}: a1 — a3 tied → nothing
#   a3 {a2, b2, a1, a4}: a2 — a1 tied; open pairs a2–a4, a1–a4 (A A A → coordinator, ×2 each = 4),
#       a2–b2, a1–b2, a4–b2 (representative one way, gatekeeper the other: 3 and 3)
#   b1 {a1, c1}: A B C both ways → liaison 2;  b2 {a3, c1}: liaison 2;  c1 {b2, b1}: B C B → consultant 2
#   (10 open unordered two-paths, each counted twice: 20)

def test_hand_worked_undirected_table():
    want = {v: row() for v in HAND_GROUPS}
    want["a1"] = row(representative=2, gatekeeper=2)
    want["a3"] = row(coordinator=4, representative=3, gatekeeper=3)
    want["b1"] = row(liaison=2)
    want["b2"] = row(liaison=2)
    want["c1"] = row(consultant=2)
    got = brokerage(hand_graph(nx.Graph), HAND_GROUPS)
    assert_tables_equal(got, want)
    assert sum(r[TOTAL] for r in got.values()) == 20


def test_roles_selection_and_unknown_role():
    G = hand_graph(nx.DiGraph)
    got = brokerage(G, HAND_GROUPS, roles=("liaison",))
    assert got["b1"] == {"liaison": 1.0, TOTAL: 1.0}
    assert got["a3"] == {"liaison": 0.0, TOTAL: 4.0}       # total always sums all five roles
    with pytest.raises(ValueError, match="broker"):
        brokerage(G, HAND_GROUPS, roles=("broker",))


# -- a real store: actor families (art. 9) on the cooperation graph -------------------------------

def _actor(key, name, family, kind):
    return {"record": "actor", "key": key, "name": name, "family": family, "kind": kind,
            "provenance": {"document": "etude", "locator": "L1", "certainty": "stated"}}


def _rel(rtype, source, target, **fields):
    return {"record": "relation", "type": rtype, "source": source, "target": target, "fields": fields,
            "provenance": {"document": "etude", "locator": "L2", "certainty": "stated"}}


ECOSYSTEM = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Courtage",
     "documents": {"etude": {"title": "Étude", "sha256": "cd" * 32}}},
    _actor("pole", "Pôle Coop'Est", "pole", "ptce"),
    _actor("jardins", "Les Jardins", "ess", "association"),
    _actor("scop", "SCOP Bâtisseurs", "ess", "scop"),
    _actor("pme", "Menuiserie Durand", "enterprise", "pme"),
    _actor("region", "Région Grand Est", "collectivite", "region"),
    _actor("cc", "Communauté de communes", "collectivite", "epci"),
    _actor("fondation", "Fondation Solidaire", "ess", "fondation"),
    _actor("elue", "Jeanne Dupont", "person", "elu"),
    _rel("membership", "jardins", "pole"), _rel("membership", "scop", "pole"),
    _rel("membership", "pme", "pole"), _rel("funds", "region", "pole", amount=30000, year=2015),
    _rel("partner", "cc", "pole"), _rel("cooperates", "scop", "pme"),
    _rel("funds", "fondation", "jardins", amount=5000), _rel("represents", "elue", "region"),
    _rel("membership", "elue", "pole"),
]


def test_families_on_a_real_store(tmp_path):
    # The pôle is tied to jardins, scop (ess), pme (enterprise), region, cc (collectivite);
    # only scop — pme are tied among them. Its 9 open pairs (×2 directions): jardins–scop and
    # region–cc are same-family pairs around a pôle → consultant 4; the other 7 → liaison 14.
    # Les Jardins (ess) links the Fondation (ess) to the pôle: representative 1, gatekeeper 1.
    # The elected official (personal data) is not in the projection.
    path = tmp_path / "eco.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ECOSYSTEM), encoding="utf-8")
    store = open_store(str(tmp_path / "essai.db"))
    try:
        load_file(store, path, rejects_dir=tmp_path / "rejets")
        G = to_graph(project(store, "all"))
        ids = {a.name: a.id for a in store.iter_actors()}
    finally:
        store.close()
    got = brokerage(G, "family")
    assert "Jeanne Dupont" not in ids
    assert got[ids["Pôle Coop'Est"]] == row(consultant=4, liaison=14)
    assert got[ids["Les Jardins"]] == row(representative=1, gatekeeper=1)
    for name in ("SCOP Bâtisseurs", "Menuiserie Durand", "Région Grand Est", "Fondation Solidaire"):
        assert got[ids[name]] == row()
    assert_tables_equal(got, brute(G, "family"))


# -- properties ---------------------------------------------------------------------------------

def open_two_paths(G) -> int:
    """Ordered open two-paths from the adjacency matrix: Σ_{a≠c} (A²)_{ac} (1 − A_{ac})."""
    nodes = list(G)
    A = np.zeros((len(nodes), len(nodes)), dtype=np.int64)
    pos = {v: i for i, v in enumerate(nodes)}
    for u, v in arcs_of(G):
        A[pos[u], pos[v]] = 1
    A2 = A @ A
    np.fill_diagonal(A2, 0)
    return int((A2 * (1 - A)).sum())


def test_role_sums_equal_the_open_two_paths():
    rng = random.Random(11)
    for _ in range(60):
        n = rng.randint(3, 25)
        G = nx.gnp_random_graph(n, rng.random() * 0.6, seed=rng.randint(0, 10 ** 6), directed=rng.random() < 0.5)
        groups = {v: rng.randrange(4) for v in G}
        got = brokerage(G, groups)
        want = open_two_paths(G)
        assert sum(r[TOTAL] for r in got.values()) == want
        assert sum(sum(r[k] for k in ROLES) for r in got.values()) == want
        if not G.is_directed():     # each unordered open path twice; representative = gatekeeper
            tri = nx.triangles(G)
            assert want == sum(2 * (math.comb(d, 2) - tri[v]) for v, d in G.degree())
            assert all(r["representative"] == r["gatekeeper"] for r in got.values())


def test_one_group_is_all_coordination_own_groups_all_liaison():
    rng = random.Random(3)
    for _ in range(20):
        G = nx.gnp_random_graph(rng.randint(3, 20), 0.3, seed=rng.randint(0, 10 ** 6), directed=rng.random() < 0.5)
        one = brokerage(G, dict.fromkeys(G, "ess"))
        own = brokerage(G, {v: v for v in G})
        for v in G:
            assert one[v] == row(coordinator=one[v][TOTAL])
            assert own[v] == row(liaison=own[v][TOTAL])
            assert one[v][TOTAL] == own[v][TOTAL]


def test_renaming_groups_changes_nothing():
    rng = random.Random(5)
    G = nx.gnp_random_graph(15, 0.3, seed=1, directed=True)
    groups = {v: rng.choice("abc") for v in G}
    renamed = {v: {"a": 10, "b": ("x",), "c": "z"}[g] for v, g in groups.items()}
    assert_tables_equal(brokerage(G, groups), brokerage(G, renamed))


def test_empty_and_tiny_graphs():
    assert brokerage(nx.Graph(), {}) == {}
    assert brokerage(nx.DiGraph([(1, 2)]), {}) == {1: row(), 2: row()}
    r = brokerage_analysis(nx.Graph([(1, 2)]), {1: "a"})
    assert r.n_actors == 1 and r.density == 0.0 and math.isnan(r.z[2][TOTAL])


# -- labels --------------------------------------------------------------------------------------

def test_labels():
    assert dict(brokerage_roles_fr) == role_labels("fr")
    assert [brokerage_roles_fr[r] for r in ROLES] == [
        "coordinateur", "consultant (itinérant)", "représentant", "gardien (gatekeeper)", "agent de liaison"]
    assert role_labels("en")["gatekeeper"] == "gatekeeper"
    assert set(role_labels("en")) == set(ALL) == set(SNA_NAMES)
    assert role_labels("de") == role_labels("fr")
    assert [SNA_NAMES[r] for r in ALL] == ["w_I", "w_O", "b_IO", "b_OI", "b_O", "t"]


# -- null model (Gould & Fernandez / sna): expectations, sds, z ----------------------------------

def possible_pairs(G, groups, b) -> dict:
    """Ordered pairs (a, c) of distinct grouped actors other than b, by role."""
    g = {v: group_of(G, groups, v) for v in G}
    out = dict.fromkeys(ALL, 0)
    if g[b] is None:
        return out
    for a, c in itertools.permutations([v for v in G if v != b and g[v] is not None], 2):
        out[role_of(g[a], g[b], g[c])] += 1
        out[TOTAL] += 1
    return out


def test_expected_counts_are_density_terms_times_possible_pairs():
    rng = random.Random(17)
    for _ in range(40):
        G, groups = random_case(rng)
        r = brokerage_analysis(G, groups)
        grouped = [v for v in G if group_of(G, groups, v) is not None]
        arcs = {(u, v) for u, v in arcs_of(G) if u in grouped and v in grouped}
        N = len(grouped)
        d = len(arcs) / (N * (N - 1)) if N > 1 else 0.0
        assert (r.n_actors, r.n_arcs) == (N, len(arcs)) and r.density == pytest.approx(d)
        p = d * d * (1 - d)
        raw = brute(G, groups)
        for v in G:
            assert r.raw[v] == raw[v]
            if group_of(G, groups, v) is None:
                assert all(math.isnan(r.expected[v][k]) and math.isnan(r.z[v][k]) for k in ALL)
                continue
            pairs = possible_pairs(G, groups, v)
            for k in ALL:
                assert r.expected[v][k] == pytest.approx(p * pairs[k], abs=1e-12)
                if r.sd[v][k] > 0:
                    assert r.z[v][k] == pytest.approx((raw[v][k] - r.expected[v][k]) / r.sd[v][k])
                else:
                    assert math.isnan(r.z[v][k])
        for k in ALL:
            assert r.global_raw[k] == sum(raw[v][k] for v in G)
            assert r.global_expected[k] == pytest.approx(sum(r.expected[v][k] for v in grouped), abs=1e-9)


def exact_moments(codes: list[int], densities) -> dict:
    """Mean and variance of every count over all 2^20 digraphs on 5 actors, each arc present
    independently with probability d: exact, by enumeration."""
    n = len(codes)
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    bit = {pr: k for k, pr in enumerate(pairs)}
    X = np.arange(2 ** len(pairs), dtype=np.uint32)
    present = {pr: ((X >> np.uint32(k)) & np.uint32(1)).astype(bool) for pr, k in bit.items()}
    counts = np.zeros((n, 6, X.size), dtype=np.int16)
    for a, b, c in itertools.permutations(range(n), 3):
        hit = present[(a, b)] & present[(b, c)] & ~present[(a, c)]
        k = ROLES.index(role_of(codes[a], codes[b], codes[c]))
        counts[b, k] += hit
        counts[b, 5] += hit
    ones = np.bitwise_count(X).astype(float)
    glob = counts.sum(axis=0, dtype=np.int64).astype(float)
    out = {}
    for d in densities:
        w = d ** ones * (1 - d) ** (len(pairs) - ones)
        c = counts.astype(float)
        mean = c @ w
        out[d] = (mean, (c ** 2) @ w - mean ** 2, glob @ w, (glob ** 2) @ w - (glob @ w) ** 2)
    return out


@pytest.mark.parametrize("codes", [[0, 0, 0, 1, 1], [0, 0, 1, 1, 2]])
def test_moments_are_exact_on_every_digraph_of_five_actors(codes):
    densities = {4: 0.2, 10: 0.5, 16: 0.8}          # arcs of the observed graph -> its density
    exact = exact_moments(codes, densities.values())
    rng = random.Random(1)
    pairs = [(i, j) for i in range(5) for j in range(5) if i != j]
    for m, d in densities.items():
        G = nx.DiGraph()
        G.add_nodes_from(range(5))
        G.add_edges_from(rng.sample(pairs, m))
        r = brokerage_analysis(G, dict(enumerate(codes)))
        assert r.density == pytest.approx(d)
        mean, var, gmean, gvar = exact[d]
        for v in range(5):
            for k, role in enumerate(ALL):
                assert r.expected[v][role] == pytest.approx(mean[v, k], abs=1e-12)
                assert r.sd[v][role] == pytest.approx(math.sqrt(max(var[v, k], 0)), abs=1e-9)
        for k, role in enumerate(ALL):
            assert r.global_expected[role] == pytest.approx(gmean[k], abs=1e-12)
            assert r.global_sd[role] == pytest.approx(math.sqrt(max(gvar[k], 0)), abs=1e-9)


def sna_literal(n: list[float], N: float, d: float):
    """sna::brokerage's moments, transcribed line by line from its R source (brokerage.R)."""
    def choose(x, k):
        return math.comb(int(x), k) if x >= k else 0
    G = len(n)
    q, a3, a4, a5 = d ** 2 * (1 - d), d ** 3 * (1 - d) ** 3, d ** 4 * (1 - d) ** 2, d ** 5 * (1 - d)
    ebr, vbr = np.zeros((G, 6)), np.zeros((G, 6))
    for i in range(G):
        o, ni = [n[j] for j in range(G) if j != i], n[i]
        ebr[i, 0] = q * (ni - 1) * (ni - 2)
        vbr[i, 0] = ebr[i, 0] * (1 - q) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * a3
        ebr[i, 1] = q * sum(x * (x - 1) for x in o)
        vbr[i, 1] = ebr[i, 1] * (1 - q) + 2 * sum(x * (x - 1) * (x - 2) for x in o) * a3
        ebr[i, 2] = q * (N - ni) * (ni - 1)
        vbr[i, 2] = ebr[i, 2] * (1 - q) + 2 * ((ni - 1) * choose(N - ni, 2) + (N - ni) * choose(ni - 1, 2)) * a3
        ebr[i, 3], vbr[i, 3] = ebr[i, 2], vbr[i, 2]
        ebr[i, 4] = q * (sum(x * y for x in o for y in o) - sum(x * x for x in o))
        vbr[i, 4] = ebr[i, 4] * (1 - q) + 4 * sum(x * choose(N - x - ni, 2) for x in o) * a3
        ebr[i, 5] = q * (N - 1) * (N - 2)
        vbr[i, 5] = ebr[i, 5] * (1 - q) + 2 * (N - 1) * (N - 2) * (N - 3) * a3
    eg, vg = [0.0] * 6, [0.0] * 6
    eg[0] = q * sum(x * (x - 1) * (x - 2) for x in n)
    vg[0] = eg[0] * (1 - q) + sum(x * (x - 1) * (x - 2) * ((4 * x - 10) * a3 - 4 * (x - 3) * a4 + (x - 3) * a5)
                                  for x in n)
    eg[1] = q * sum(x * (N - x) * (x - 1) for x in n)
    vg[1] = eg[1] * (1 - q) + (sum(x * y * (x - 1) * ((2 * x + 2 * y - 6) * a3 + (N - x - 1) * a5)
                                   for x in n for y in n)
                               - sum(x * x * (x - 1) * ((4 * x - 6) * a3 + (N - x - 1) * a5) for x in n))
    eg[2] = q * sum(x * (N - x) * (x - 1) for x in n)
    vg[2] = eg[2] * (1 - q) + sum(x * (N - x) * (x - 1) * ((N - 3) * a3 + (x - 2) * a5) for x in n)
    eg[3], vg[3] = eg[2], vg[2]
    eg[4] = q * (sum(x * y * (N - x - y) for x in n for y in n) - sum(x * x * (N - 2 * x) for x in n))
    vg[4] = eg[4] * (1 - q)
    for i, j, k in itertools.product(range(G), repeat=3):
        if i != j and j != k and i != k:
            vg[4] += n[i] * n[j] * n[k] * ((4 * (N - n[j]) - 2 * (n[i] + n[k] + 1)) * a3
                                           - (4 * (N - n[k]) - 2 * (n[i] + n[j] + 1)) * a4
                                           + (N - (n[i] + n[k] + 1)) * a5)
    eg[5] = q * N * (N - 1) * (N - 2)
    vg[5] = eg[5] * (1 - q) + N * (N - 1) * (N - 2) * ((4 * N - 10) * a3 - 4 * (N - 3) * a4 + (N - 3) * a5)
    return ebr, vbr, eg, vg


def test_per_actor_moments_and_sna_global_sd_match_sna_formulas():
    rng = random.Random(23)
    for _ in range(30):
        n_groups = rng.randint(1, 6)
        sizes = [rng.randint(1, 7) for _ in range(n_groups)]
        codes = [g for g, s in enumerate(sizes) for _ in range(s)]
        N = len(codes)
        G = nx.gnp_random_graph(N, rng.uniform(0.05, 0.95), seed=rng.randint(0, 10 ** 6),
                                directed=rng.random() < 0.7)
        r = brokerage_analysis(G, dict(enumerate(codes)))
        ebr, vbr, eg, vg = sna_literal([float(s) for s in sizes], float(N), r.density)
        for v in G:
            for k, role in enumerate(ALL):
                assert r.expected[v][role] == pytest.approx(ebr[codes[v], k], rel=1e-9, abs=1e-12)
                assert r.sd[v][role] == pytest.approx(math.sqrt(vbr[codes[v], k]), rel=1e-9, abs=1e-12)
        for k, role in enumerate(ALL):
            assert r.global_expected[role] == pytest.approx(eg[k], rel=1e-9, abs=1e-12)
            assert r.global_sd_sna[role] == pytest.approx(math.sqrt(max(vg[k], 0)), rel=1e-9, abs=1e-12)
        for g in range(n_groups):
            assert r.group_expected[g]["liaison"] == pytest.approx(ebr[g, 4], rel=1e-9, abs=1e-12)


def test_sna_global_sd_is_off_for_coordinator_and_total_only():
    # one group of five, density 1/2: coordinator = total. The exact sd (checked above on every
    # digraph) is below sna's, which omits the orderings (a, c, b) and (b, a, c) of each triple.
    G = nx.DiGraph([(i, j) for i in range(5) for j in range(5) if i < j])     # 10 arcs of 20
    r = brokerage_analysis(G, dict.fromkeys(G, "ess"))
    assert r.global_sd["total"] < r.global_sd_sna["total"]
    assert r.global_sd["coordinator"] == pytest.approx(r.global_sd["total"])
    # all in own groups: liaison = total; sna's liaison sd is exact, its total sd is not
    r = brokerage_analysis(G, {v: v for v in G})
    assert r.global_sd["liaison"] == pytest.approx(r.global_sd_sna["liaison"])
    assert r.global_sd["total"] == pytest.approx(r.global_sd["liaison"])
    assert r.global_sd_sna["total"] > r.global_sd_sna["liaison"]


# -- permutation null ---------------------------------------------------------------------------

def test_permutation_null_estimates_the_exact_permutation_mean():
    G = nx.DiGraph([(0, 1), (1, 2), (2, 3), (3, 1), (1, 4), (4, 5), (5, 0), (2, 5)])
    labels = ["ess", "ess", "collectivite", "collectivite", "pole", "ess"]
    groups = dict(enumerate(labels))
    R = 3000
    r = brokerage_permutation(G, groups, n_permutations=R, seed=42)
    # exact: average over every distinct relabelling (sizes kept)
    tables = [brute(G, dict(enumerate(p))) for p in set(itertools.permutations(labels))]
    for v in G:
        for role in ALL:
            xs = np.array([t[v][role] for t in tables])
            assert r.raw[v][role] == brute(G, groups)[v][role]
            assert abs(r.expected[v][role] - xs.mean()) <= 5 * xs.std() / math.sqrt(R) + 1e-12
            assert r.sd[v][role] == pytest.approx(xs.std(), rel=0.1, abs=1e-12)
            assert 0 < r.p_upper[v][role] <= 1
    again = brokerage_permutation(G, groups, n_permutations=R, seed=42)
    assert again.expected == r.expected and again.p_upper == r.p_upper


def test_permutation_null_with_one_group_has_no_variation():
    G = nx.gnp_random_graph(12, 0.3, seed=2)
    r = brokerage_permutation(G, dict.fromkeys(G, "ess"), n_permutations=10)
    for v in G:
        assert r.sd[v][TOTAL] == 0.0 and math.isnan(r.z[v][TOTAL]) and r.p_upper[v][TOTAL] == 1.0
    with pytest.raises(ValueError):
        brokerage_permutation(G, dict.fromkeys(G, "ess"), n_permutations=1)
