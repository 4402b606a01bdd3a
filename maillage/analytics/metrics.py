"""Actor metrics on the cooperation graph (igraph computes, networkx defines).

Every function takes the undirected weighted graph of
:func:`maillage.graph.projection.to_graph` (one edge per tied pair; ``weight`` = number of
distinct (relation type, source) statements behind the tie) and returns ``{actor id: value}``.
The graph is converted once to igraph (:func:`maillage.analytics.engine.to_igraph`, cached)
and the computation runs in igraph's C core; each value equals networkx's definition and
normalisation of the same metric (the tests check it to 1e-9, PageRank to 1e-6).
``docs/analytics-metrics.md`` lists every metric with its definition and references.

**Weights.** ``weight`` is the *strength* of a tie, not a length: it is used where a tie
strength belongs — :func:`strength`, :func:`pagerank`, :func:`eigenvector`,
:func:`constraint`, :func:`effective_size`, :func:`community` and :func:`modularity` — and
never as a distance: :func:`betweenness`, :func:`closeness` and :func:`harmonic` count
**ties (hops)** (using it as a distance would make the strongest ties the longest).

**Self-loops** (which ``to_graph`` never makes) count in :func:`degree` and
:func:`strength` as networkx counts them (twice) and are ignored by every other metric.

>>> import networkx as nx
>>> G = nx.path_graph(3)          # 0 — 1 — 2
>>> betweenness(G)[1]             # the middle node is on the only 0–2 path
1.0
>>> actor_metrics(G)[0]["degree"]
1.0
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable, Mapping

import igraph
import networkx as nx
import numpy as np
import scipy.sparse as sp

from .engine import WEIGHT, Converted, seeded, to_igraph

Metrics = dict[Hashable, float]

#: The metrics :func:`actor_metrics` computes, in display order.
METRICS = ("degree", "strength", "betweenness", "closeness", "pagerank", "core_number",
           "component", "component_size", "eigenvector", "harmonic", "constraint", "effective_size",
           "community")
#: Those whose values are whole numbers by definition (counts, k-core levels, component and
#: community numbers): exports declare them integer, so Gephi offers a community as a partition.
INTEGER_METRICS = frozenset({"degree", "core_number", "component", "component_size", "community"})


def degree(G: nx.Graph) -> Metrics:
    """Degree: the number of distinct actors an actor is tied to.

    :math:`k_i = |N(i)|`, parallel statements between the same pair counting once
    (Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
    *Social Networks* 1(3), 215–239). A self-loop counts 2, as in networkx.

    >>> degree(nx.star_graph(3))[0]
    3.0
    """
    c = to_igraph(G)
    return c.values(np.asarray(c.graph.degree(), dtype=np.float64) + 2 * c.loops)


def strength(G: nx.Graph, weight: str = "weight") -> Metrics:
    """Strength (weighted degree): the sum of the weights of an actor's ties,
    :math:`s_i = \\sum_j w_{ij}`; an edge without ``weight`` counts 1 (a self-loop twice, as
    in networkx).

    Barrat, A., Barthélemy, M., Pastor-Satorras, R., Vespignani, A. (2004). The architecture
    of complex weighted networks. *PNAS* 101(11), 3747–3752.

    >>> G = nx.Graph(); G.add_edge("a", "b", weight=2); G.add_edge("a", "c")
    >>> strength(G)["a"]
    3.0
    """
    c = to_igraph(G)
    w = c.weights_for(G, weight)
    s = np.asarray(c.graph.strength(weights=w), dtype=np.float64) if c.n else np.zeros(0)
    loop_weight = c.loop_weight
    if weight != WEIGHT and c.loops.any():
        loop_weight = np.zeros(c.n)
        for u, _, x in nx.selfloop_edges(G, data=weight, default=1):
            loop_weight[c.index[u]] += float(x)
    return c.values(s + 2 * loop_weight)


def sample_sources(G: nx.Graph | list[Hashable], k: int, seed: int | random.Random | None = 0) -> list[Hashable]:
    """The ``k`` source actors the sampled betweenness uses: ``random.Random(seed).sample(
    list(G), k)`` — the very draw networkx's ``betweenness_centrality(G, k=k, seed=seed)``
    makes, so both estimate from the same sources. ``G``: the graph or its list of actors.

    >>> sample_sources(nx.path_graph(10), 3, seed=1)
    [2, 1, 4]
    """
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    return rng.sample(list(G), k)


def betweenness(G: nx.Graph, k: int | None = None, seed: int | None = 0,
                normalized: bool = True) -> Metrics:
    """Betweenness centrality: the share of shortest paths between other actors that run
    through an actor (Freeman, L. C. (1977). A set of measures of centrality based on
    betweenness. *Sociometry* 40(1), 35–41):

    :math:`c_B(v) = \\sum_{s \\ne v \\ne t} \\sigma_{st}(v) / \\sigma_{st}`,

    computed with Brandes' algorithm in igraph's C core (Brandes, U. (2001). A faster
    algorithm for betweenness centrality. *J. Math. Sociol.* 25(2), 163–177). Paths are
    counted in hops.

    ``normalized`` divides by :math:`(n-1)(n-2)/2`, the number of pairs of other actors in an
    undirected graph, as networkx does (so values lie in [0, 1]).

    **Sampling**: with ``k`` < n, only the ``k`` source actors of :func:`sample_sources`
    (drawn with ``seed``) are used — igraph's source-subset betweenness, all actors being
    targets — and the sum is scaled up as networkx (≥ 3.5) scales its estimator (Brandes, U.,
    Pich, C. (2007). Centrality estimation in large networks. *Int. J. Bifurcation and Chaos*
    17(7), 2303–2318): with :math:`D(v)` the sum over the sampled sources of the pair
    dependencies on :math:`v` (ordered pairs), an actor outside the sample gets
    :math:`D(v)/(k(n-2))` and a sampled actor :math:`D(v)/((k-1)(n-2))` (it cannot be a
    source of a path through itself); unnormalised, :math:`D(v)(n-1)/(2k)` and
    :math:`D(v)(n-1)/(2(k-1))`. With ``k = 1`` the sampled actor's value is NaN (0/0), as in
    networkx. ``k`` ≥ n (or ``None``) gives the exact value; the same ``seed`` gives the same
    estimate, equal to networkx's for that seed.

    >>> betweenness(nx.star_graph(3))[0]
    1.0
    """
    return _betweenness(to_igraph(G), k, seed, normalized)


def _betweenness(c: Converted, k: int | None, seed: int | None, normalized: bool) -> Metrics:
    """:func:`betweenness` on a converted graph."""
    if k is not None and k < 1:
        raise ValueError(f"k must be ≥ 1 (number of sampled sources), got {k}")
    n = c.n
    if n == 0:
        return {}
    if k is None or k >= n:
        b = np.asarray(c.graph.betweenness(directed=False), dtype=np.float64)
        if normalized and n > 2:
            b *= 2.0 / ((n - 1) * (n - 2))
        return c.values(b)
    sources = sample_sources(c.nodes, k, seed)
    src = np.fromiter((c.index[s] for s in sources), dtype=np.int64, count=k)
    # igraph halves the source-subset sum on an undirected graph: ×2 gives the ordered-pair sum
    d = 2.0 * np.asarray(c.graph.betweenness(directed=False, sources=src.tolist()), dtype=np.float64)
    if n - 1 < 2:
        return c.values(d)
    is_source = np.zeros(n, dtype=bool)
    is_source[src] = True
    if normalized:
        scale_src = 1.0 / ((k - 1) * (n - 2)) if k > 1 else math.nan
        scale_other = 1.0 / (k * (n - 2))
    else:
        scale_src = (n - 1) / ((k - 1) * 2) if k > 1 else math.nan
        scale_other = (n - 1) / (k * 2)
    return c.values(d * np.where(is_source, scale_src, scale_other))


def closeness(G: nx.Graph, k: int | None = None, seed: int | None = 0) -> Metrics:
    """Closeness centrality: how near an actor is to the actors it can reach.

    :math:`c_C(u) = \\frac{r - 1}{\\sum_{v} d(u, v)} \\cdot \\frac{r - 1}{n - 1}`, where
    :math:`r` is the number of actors reachable from :math:`u` (itself included) and
    :math:`d` counts hops (Freeman 1979, *Social Networks* 1(3), 215–239), with the
    Wasserman–Faust correction for disconnected graphs (Wasserman, S., Faust, K. (1994).
    *Social Network Analysis*, p. 201), so actors in small components do not look central —
    networkx's ``closeness_centrality(G, wf_improved=True)``. igraph's closeness is the first
    factor (over reachable actors only); the second is applied here. An isolated actor has
    closeness 0.

    **Sampling** (``k`` ≥ 2; for graphs where one breadth-first search per actor is too
    much): in every component of more than ``k`` actors, ``k`` source actors are drawn
    uniformly with ``seed`` and the distance sum is estimated from the distances to them,
    :math:`\\hat D(u) = \\frac{r-1}{m_u} \\sum_{s \\in S, s \\ne u} d(s, u)` with
    :math:`m_u` the number of sources other than :math:`u` (Eppstein, D., Wang, J. (2004).
    Fast approximation of centrality. *J. Graph Algorithms Appl.* 8(1), 39–45); smaller
    components are computed exactly. ``k`` ≥ the largest component (or ``None``) is exact.

    >>> closeness(nx.star_graph(3))[0]
    1.0
    """
    return _closeness(to_igraph(G), k, seed)


def _closeness(c: Converted, k: int | None, seed: int | None) -> Metrics:
    """:func:`closeness` on a converted graph."""
    n = c.n
    if n < 2:
        return c.values(np.zeros(n))
    r = c.component_size
    est = _distance_sample(c, k, seed)
    cl = np.zeros(n)
    exact = ~est.sampled
    if exact.any():
        ids = np.flatnonzero(exact)
        cl[ids] = c.graph.closeness(vertices=None if len(ids) == n else ids.tolist(), normalized=True)
    if est.sampled.any():
        ids = np.flatnonzero(est.sampled)
        cl[ids] = est.m[ids] / est.sum_d[ids]
    cl = np.where(r > 1, np.nan_to_num(cl, nan=0.0), 0.0) * (r - 1) / (n - 1)
    return c.values(cl)


def harmonic(G: nx.Graph, k: int | None = None, seed: int | None = 0) -> Metrics:
    """Harmonic centrality: the sum of the inverse distances (in hops) to every other actor,
    an unreachable actor adding 0 (Marchiori, M., Latora, V. (2000). Harmony in the
    small-world. *Physica A* 285(3–4), 539–546; Rochat, Y. (2009). Closeness centrality
    extended to unconnected graphs: the harmonic centrality index. *ASNA*, Zürich):

    :math:`c_H(u) = \\sum_{v \\ne u} 1 / d(u, v)`.

    **Not normalised**, as networkx's ``harmonic_centrality``: divide by :math:`n - 1` for a
    value in [0, 1]. Well defined on disconnected graphs; an isolated actor has 0.

    **Sampling** (``k`` ≥ 2): as :func:`closeness`, the sources of the same draw;
    :math:`\\hat c_H(u) = \\frac{r-1}{m_u} \\sum_{s \\in S, s \\ne u} 1/d(s, u)`, an unbiased
    estimate (Cohen, E., Delling, D., Pajor, T., Werneck, R. F. (2014). Computing classic
    closeness centrality, at scale. *Proc. 2nd ACM Conf. on Online Social Networks*, 37–50).

    >>> harmonic(nx.path_graph(3))[0]     # 1/1 + 1/2
    1.5
    """
    c = to_igraph(G)
    n = c.n
    if n == 0:
        return {}
    est = _distance_sample(c, k, seed)
    h = np.zeros(n)
    exact = ~est.sampled
    if exact.any():
        ids = np.flatnonzero(exact)
        h[ids] = c.graph.harmonic_centrality(vertices=None if len(ids) == n else ids.tolist(), normalized=False)
    if est.sampled.any():
        ids = np.flatnonzero(est.sampled)
        h[ids] = (c.component_size[ids] - 1) / est.m[ids] * est.sum_inv[ids]
    return c.values(h)


class _DistanceSample:
    """Sums of distances and inverse distances from sampled sources (see :func:`closeness`)."""

    def __init__(self, n: int) -> None:
        self.sampled = np.zeros(n, dtype=bool)  # actors whose values are estimated
        self.sum_d = np.zeros(n)
        self.sum_inv = np.zeros(n)
        self.m = np.zeros(n)  # sources other than the actor itself


def _distance_sample(c: Converted, k: int | None, seed: int | None) -> _DistanceSample:
    """Breadth-first searches (igraph, C) from ``k`` sources drawn with ``seed`` in every
    component larger than ``k``; memoised on the conversion for closeness and harmonic."""
    if k is not None and k < 2:
        raise ValueError(f"k must be ≥ 2 (number of sampled sources), got {k}")
    key = ("distance-sample", k, seed)
    if key in c._memo:
        return c._memo[key]
    est = _DistanceSample(c.n)
    if k is not None and c.n:
        sizes = np.bincount(c.membership)
        members = _split(c.membership)
        rng = random.Random(seed)
        for comp in sorted(np.flatnonzero(sizes > k), key=lambda x: members[x][0]):
            idx = members[comp]
            est.sampled[idx] = True
            src = np.asarray(rng.sample(idx.tolist(), k), dtype=np.int64)
            est.m[idx] = k
            est.m[src] = k - 1
            targets = idx.tolist()
            for chunk in np.array_split(src, -(-k // 64)):
                d = np.asarray(c.graph.distances(source=chunk.tolist(), target=targets), dtype=np.float64)
                est.sum_d[idx] += d.sum(axis=0)
                with np.errstate(divide="ignore"):
                    inv = np.where(d > 0, 1.0 / d, 0.0)
                est.sum_inv[idx] += inv.sum(axis=0)
    c._memo[key] = est
    return est


def pagerank(G: nx.Graph, alpha: float = 0.85, weight: str = "weight") -> Metrics:
    """PageRank: the stationary probability of a random walk that follows ties (in
    proportion to their weight) with probability ``alpha`` and jumps to a uniformly chosen
    actor otherwise (Brin, S., Page, L. (1998). The anatomy of a large-scale hypertextual
    Web search engine. *Computer Networks and ISDN Systems* 30(1–7), 107–117):

    :math:`PR(i) = \\frac{1 - \\alpha}{n} + \\alpha \\sum_j \\frac{w_{ji}}{s_j} PR(j)`,

    an isolated actor's mass being spread uniformly (dangling nodes). Values sum to 1. Same
    definition, ``alpha`` and weights as networkx's ``pagerank``; igraph solves it with PRPACK
    (a direct solver, so there is no iteration tolerance; it agrees with networkx's power
    iteration to its tolerance).

    >>> round(sum(pagerank(nx.path_graph(4)).values()), 9)
    1.0
    """
    c = to_igraph(G)
    return _pagerank(c, c.weights_for(G, weight), alpha)


def _pagerank(c: Converted, w: list[float] | None, alpha: float = 0.85) -> Metrics:
    """:func:`pagerank` on a converted graph with edge weights ``w``."""
    if c.n == 0:
        return {}
    return c.values(c.graph.pagerank(directed=False, damping=alpha, weights=w))


def core_number(G: nx.Graph) -> Metrics:
    """Core number: the largest :math:`k` such that the actor belongs to the :math:`k`-core,
    the maximal subgraph in which every actor has at least :math:`k` ties (Seidman, S. B.
    (1983). Network structure and minimum degree. *Social Networks* 5(3), 269–287; computed in
    O(m) by Batagelj, V., Zaversnik, M. (2003). An O(m) algorithm for cores decomposition of
    networks. arXiv:cs/0310049). Unweighted; self-loops ignored.

    >>> core_number(nx.complete_graph(4))[0]
    3.0
    """
    c = to_igraph(G)
    return c.values(c.graph.coreness())


def _numbered(members: Iterable[Iterable[Hashable]]) -> list[list[Hashable]]:
    """Groups sorted by decreasing size, ties broken by the smallest member (as text)."""
    groups = [sorted(m, key=str) for m in members]
    return sorted((g for g in groups if g), key=lambda g: (-len(g), str(g[0])))


def components(G: nx.Graph) -> tuple[Metrics, Metrics]:
    """Connected components: ``(component id, component size)`` per actor.

    Components are numbered 0, 1, 2… from the largest to the smallest (ties broken by the
    smallest actor id in the component, so numbering is deterministic); an isolated actor is
    a component of size 1.

    >>> cid, size = components(nx.Graph([(1, 2), (3, 4), (4, 5)]))
    >>> cid[3], size[3], cid[1], size[1]
    (0.0, 3.0, 1.0, 2.0)
    """
    c = to_igraph(G)
    return _groups(c, c.membership)


def _groups(c: Converted, membership: np.ndarray) -> tuple[Metrics, Metrics]:
    """``(group id, group size)`` per actor, groups numbered by :func:`_numbered`."""
    if c.n == 0:
        return {}, {}
    members = [[c.nodes[i] for i in chunk] for chunk in _split(membership)]
    gid: Metrics = {}
    size: Metrics = {}
    for i, group in enumerate(_numbered(members)):
        for v in group:
            gid[v] = float(i)
            size[v] = float(len(group))
    return {v: gid[v] for v in c.nodes}, {v: size[v] for v in c.nodes}


def eigenvector(G: nx.Graph, weight: str | None = "weight") -> Metrics:
    """Eigenvector centrality: an actor is central when tied to central actors — the
    entries of the leading eigenvector of the (weighted) adjacency matrix,
    :math:`\\lambda x_i = \\sum_j w_{ij} x_j` (Bonacich, P. (1972). Factoring and weighting
    approaches to status scores and clique identification. *J. Math. Sociol.* 2(1), 113–120;
    Bonacich, P. (1987). Power and centrality: a family of measures. *Am. J. Sociol.* 92(5),
    1170–1182). Normalised like networkx: **unit Euclidean norm** over all actors
    (:math:`\\sum_i x_i^2 = 1`); igraph's eigenvector (scaled to a maximum of 1) is rescaled.

    **Disconnected graphs**: the value is the limit of networkx's ``eigenvector_centrality``
    power iteration (from all ones, on :math:`A + I`): the Perron vector of the component
    with the largest leading eigenvalue, and 0 for every actor elsewhere. When several
    components share that eigenvalue (e.g. a graph without ties), each gets its unit Perron
    vector times the sum of its entries, and the whole is normalised — what the iteration
    converges to. Only components whose largest strength (an upper bound of their
    eigenvalue) can reach the best eigenvalue found are solved.

    >>> x = eigenvector(nx.star_graph(4), weight=None)
    >>> round(x[0], 6), round(x[1], 6)        # 1/√2 and 1/√8
    (0.707107, 0.353553)
    """
    c = to_igraph(G)
    w = c.weights_for(G, weight)
    n = c.n
    if n == 0:
        return {}
    g = c.graph
    memb = c.membership
    ncomp = int(memb.max()) + 1
    if ncomp == 1:
        x, _ = _perron(g, w)
    else:
        s = np.asarray(g.strength(weights=w), dtype=np.float64)
        upper = np.zeros(ncomp)
        np.maximum.at(upper, memb, s)  # the largest strength bounds a component's eigenvalue
        members = _split(memb)
        el = c.edges
        wa = np.asarray(w, dtype=np.float64) if w is not None else None
        edge_comp = memb[el[:, 0]] if len(el) else np.zeros(0, dtype=np.int64)
        local = np.empty(n, dtype=np.int64)
        best = -1.0
        solved: list[tuple[float, np.ndarray, np.ndarray]] = []
        for comp in np.argsort(-upper, kind="stable"):
            if upper[comp] < best * (1 - 1e-9) - 1e-12:
                break  # no component left can reach the best eigenvalue
            idx = members[comp]
            if len(idx) == 1:
                vec, lam = np.ones(1), 0.0
            else:
                mask = edge_comp == comp
                local[idx] = np.arange(len(idx))
                sub = igraph.Graph(n=len(idx), edges=local[el[mask]].tolist(), directed=False)
                vec, lam = _perron(sub, wa[mask].tolist() if wa is not None else None)
            solved.append((lam, idx, vec))
            best = max(best, lam)
        x = np.zeros(n)
        for lam, idx, vec in solved:
            if lam >= best * (1 - 1e-9) - 1e-12:
                x[idx] = vec.sum() * vec
    x /= np.linalg.norm(x)
    return c.values(x)


def _split(labels: np.ndarray) -> list[np.ndarray]:
    """Vertex indices grouped by label ``0..L-1`` (each group in increasing order)."""
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)


def _perron(g: igraph.Graph, w: list[float] | None) -> tuple[np.ndarray, float]:
    """Unit-norm, positive leading eigenvector of a connected graph and its eigenvalue."""
    if g.vcount() == 1:
        return np.ones(1), 0.0
    with seeded(0):  # ARPACK's start vector has a random part: fixed, so values are reproducible
        vec, lam = g.eigenvector_centrality(weights=w, return_eigenvalue=True)  # undirected graph
    vec = np.abs(np.asarray(vec, dtype=np.float64))
    return vec / np.linalg.norm(vec), float(lam)


def constraint(G: nx.Graph, weight: str | None = "weight") -> Metrics:
    """Burt's constraint: how much an actor's ties lead to actors that are tied to each other
    (a low constraint means brokerage across structural holes). With
    :math:`p_{ij} = w_{ij} / \\sum_{k} w_{ik}` the share of :math:`i`'s tie strength spent
    on :math:`j`:

    :math:`C_i = \\sum_{j \\in N(i)} \\bigl(p_{ij} + \\sum_{q \\ne i, j} p_{iq} p_{qj}\\bigr)^2`

    (Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard
    University Press, ch. 2). Equal to networkx's ``constraint(G, weight=weight)`` on an
    undirected graph (``weight=None``: every tie 1); computed by igraph's ``constraint``. An
    isolated actor has NaN (undefined), as in networkx.

    >>> constraint(nx.star_graph(3), weight=None)[0]   # three unconnected contacts: 3 × (1/3)²
    0.3333333333333333
    """
    c = to_igraph(G)
    w = c.weights_for(G, weight)
    if c.n == 0:
        return {}
    vals = np.asarray(c.graph.constraint(weights=w), dtype=np.float64)
    deg = np.asarray(c.graph.degree())
    return c.values(np.where(deg > 0, vals, math.nan))


def effective_size(G: nx.Graph, weight: str | None = "weight") -> Metrics:
    """Burt's effective size: an actor's number of contacts minus their redundancy,

    :math:`E_i = \\sum_{j \\in N(i)} \\bigl(1 - \\sum_{q \\in N(i), q \\ne j} p_{iq} m_{jq}\\bigr)`,

    with :math:`p_{iq} = w_{iq} / \\sum_k w_{ik}` and :math:`m_{jq} = w_{jq} / \\max_k w_{jk}`
    (Burt, R. S. (1992). *Structural Holes*, Harvard University Press, ch. 2). Unweighted it
    is Borgatti's :math:`k_i - 2t_i/k_i`, :math:`t_i` the ties among :math:`i`'s contacts
    (Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures.
    *Connections* 20(1), 35–38). Equal to networkx's ``effective_size(G, weight=weight)`` on
    an undirected graph (``weight=None``: every tie 1). An isolated actor has NaN, as in
    networkx.

    Computed with sparse matrices: :math:`E = k - \\mathrm{rowsum}(P \\circ (B M))`, :math:`B`
    the 0/1 adjacency, the product taken by blocks of rows and only on existing ties.

    >>> effective_size(nx.complete_graph(3), weight=None)[0]   # 2 − 2·1/2
    1.0
    """
    c = to_igraph(G)
    w = c.weights_for(G, weight)
    n = c.n
    if n == 0:
        return {}
    A = _adjacency(c, w)
    B = A.copy()
    B.data[:] = 1.0
    k = np.diff(A.indptr).astype(np.float64)
    s = np.asarray(A.sum(axis=1)).ravel()
    wmax = np.zeros(n)
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    np.maximum.at(wmax, rows, A.data)
    with np.errstate(divide="ignore", invalid="ignore"):
        P = sp.diags(np.where(s > 0, 1.0 / s, 0.0)) @ A
        M = sp.diags(np.where(wmax > 0, 1.0 / wmax, 0.0)) @ A
    redundancy = _masked_rowsum(B, M.tocsr(), P.tocsr())
    return c.values(np.where(k > 0, k - redundancy, math.nan))


def _adjacency(c: Converted, w: list[float] | None) -> sp.csr_matrix:
    """Symmetric weighted adjacency (CSR, sorted indices) of the converted graph."""
    n = c.n
    el = c.edges
    w = np.asarray(w, dtype=np.float64) if w is not None else np.ones(len(el))
    A = sp.coo_matrix((np.concatenate([w, w]), (np.concatenate([el[:, 0], el[:, 1]]),
                                                np.concatenate([el[:, 1], el[:, 0]]))), shape=(n, n)).tocsr()
    A.sum_duplicates()
    A.sort_indices()
    return A


def _masked_rowsum(L: sp.csr_matrix, R: sp.csr_matrix, mask: sp.csr_matrix, block_nnz: int = 20_000_000) -> np.ndarray:
    """``rowsum(mask ∘ (L @ R))`` computed by blocks of rows, so the product's fill-in of
    rows without a matching mask entry never all sits in memory at once."""
    n = L.shape[0]
    out = np.zeros(n)
    # cost of a row of L @ R: sum of the lengths of the R-rows it touches
    rlen = np.diff(R.indptr)
    cs = np.concatenate([[0], np.cumsum(rlen[L.indices])])
    cum = cs[L.indptr[1:]]  # cumulative cost up to and including each row
    start = 0
    while start < n:
        stop = int(np.searchsorted(cum, cs[L.indptr[start]] + block_nnz, side="right"))
        stop = max(stop, start + 1)
        prod = (L[start:stop] @ R).multiply(mask[start:stop])
        out[start:stop] = np.asarray(prod.sum(axis=1)).ravel()
        start = stop
    return out


def community(G: nx.Graph, seed: int = 0, weight: str | None = "weight") -> Metrics:
    """Community of each actor: the Leiden algorithm maximising (weighted) modularity, run
    until an iteration no longer improves the partition (Traag, V. A., Waltman, L., van Eck,
    N. J. (2019). From Louvain to Leiden: guaranteeing well-connected communities. *Scientific
    Reports* 9, 5233) — igraph's ``community_leiden(objective_function="modularity",
    n_iterations=-1)``.

    Communities are numbered 0, 1, 2… from the largest to the smallest (ties broken by the
    smallest actor id, as text); an isolated actor is a community of its own. Deterministic
    for a given ``seed``: igraph draws from Python's ``random`` module, so a
    ``random.Random(seed)`` is installed as igraph's generator for the call and the
    ``random`` module is put back afterwards (not thread-safe: do not run two at once).
    Read the partition's quality with :func:`modularity`.

    >>> two_triangles = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> sorted(community(two_triangles).items())
    [(0, 0.0), (1, 0.0), (2, 0.0), (3, 1.0), (4, 1.0), (5, 1.0)]
    """
    c = to_igraph(G)
    return _community(c, c.weights_for(G, weight), seed)


def _community(c: Converted, w: list[float] | None, seed: int) -> Metrics:
    """:func:`community` on a converted graph with edge weights ``w``."""
    if c.n == 0:
        return {}
    with seeded(seed):
        part = c.graph.community_leiden(objective_function="modularity", weights=w, n_iterations=-1)
    cid, _ = _groups(c, np.asarray(part.membership, dtype=np.int64))
    return cid


def modularity(G: nx.Graph, communities: Mapping[Hashable, float] | Iterable[Iterable[Hashable]],
               weight: str | None = "weight", resolution: float = 1.0) -> float:
    """Newman–Girvan modularity of a partition of the actors,

    :math:`Q = \\frac{1}{2m} \\sum_{ij} \\bigl(w_{ij} - \\gamma \\frac{s_i s_j}{2m}\\bigr)
    \\delta(c_i, c_j)`

    (Newman, M. E. J., Girvan, M. (2004). Finding and evaluating community structure in
    networks. *Phys. Rev. E* 69, 026113), equal to networkx's
    ``community.modularity(G, communities, weight=weight, resolution=resolution)`` on a graph
    without self-loops. ``communities`` is ``{actor: community}`` (as :func:`community`
    returns) or a list of sets of actors; it must cover every actor exactly once
    (``networkx.NetworkXError`` otherwise). NaN for a graph without ties.

    >>> modularity(nx.Graph([(0, 1), (2, 3)]), [{0, 1}, {2, 3}], weight=None)
    0.5
    """
    c = to_igraph(G)
    w = c.weights_for(G, weight)
    if isinstance(communities, Mapping):
        try:
            labels = [communities[v] for v in c.nodes]
        except KeyError as e:
            raise nx.NetworkXError(f"actor {e.args[0]!r} has no community") from None
        codes = {lab: i for i, lab in enumerate(dict.fromkeys(labels))}
        membership = [codes[lab] for lab in labels]
    else:
        membership = [-1] * c.n
        for i, group in enumerate(communities):
            for v in group:
                j = c.index.get(v)
                if j is None or membership[j] != -1:
                    raise nx.NetworkXError(f"not a partition of the actors: {v!r}")
                membership[j] = i
        if -1 in membership:
            raise nx.NetworkXError("not a partition of the actors: some actor has no community")
    if c.graph.ecount() == 0:
        return math.nan
    return float(c.graph.modularity(membership, weights=w, resolution=resolution, directed=False))


#: The metrics whose value depends on how many actors the graph holds (they are normalised
#: over them): with ``tied_only``, :func:`actor_metrics` computes them over the tied actors.
NORMALISED = ("betweenness", "closeness", "pagerank")


def tied_actors(G: nx.Graph) -> list[Hashable]:
    """The actors with at least one tie to another actor, in the graph's order (a self-loop
    alone does not count).

    >>> G = nx.Graph([("a", "b")]); G.add_node("seul")
    >>> tied_actors(G)
    ['a', 'b']
    """
    return [v for v, nbrs in G.adjacency() if any(u != v for u in nbrs)]


def betweenness_over_tied(G: nx.Graph, k: int | None = None, seed: int | None = 0) -> Metrics:
    """:func:`betweenness` normalised over the actors with a tie (:func:`tied_actors`), 0 for
    an actor without one — as :func:`actor_metrics` gives it with ``tied_only`` (the tied
    subgraph taken from the one igraph conversion, in ``G``'s order).

    >>> G = nx.path_graph(3); G.add_node("seul")
    >>> betweenness_over_tied(G)[1], betweenness(G)[1], betweenness_over_tied(G)["seul"]
    (1.0, 0.3333333333333333, 0.0)
    """
    c = to_igraph(G)
    t = c.tied()
    values = _betweenness(t, k, seed, True)
    return values if t is c else with_untied(G, values)


def with_untied(G: nx.Graph, values: Metrics) -> Metrics:
    """``values`` computed on the tied actors only, extended to every actor of ``G``: 0 for
    an actor without a tie.

    >>> G = nx.Graph([("a", "b")]); G.add_node("seul")
    >>> with_untied(G, betweenness(G.subgraph(["a", "b"])))
    {'a': 0.0, 'b': 0.0, 'seul': 0.0}
    """
    return {v: values.get(v, 0.0) for v in G}


def _community_with_isolated(G: nx.Graph, tied: Metrics) -> Metrics:
    """The communities found among the tied actors, plus each other actor of ``G`` alone,
    numbered by :func:`_numbered` as :func:`community` numbers them."""
    groups: dict[float, list[Hashable]] = {}
    for v, k in tied.items():
        groups.setdefault(k, []).append(v)
    members = [*groups.values(), *([v] for v in G if v not in tied)]
    out = {v: float(i) for i, group in enumerate(_numbered(members)) for v in group}
    return {v: out[v] for v in G}


def actor_metrics(G: nx.Graph, betweenness_k: int | None = None, seed: int = 0,
                  distance_k: int | None = None, tied_only: bool = False) -> dict[Hashable, dict[str, float]]:
    """Every metric of this module for every actor: ``{actor id: {metric: value}}``.

    Metric names are :data:`METRICS`. ``betweenness_k`` samples that many source actors
    (with ``seed``) for betweenness; ``None`` computes it exactly. ``distance_k`` does the
    same for closeness and harmonic centrality (``None``: exact) — on a nation-scale graph
    (≈ 100k actors) exact closeness takes one breadth-first search per actor, about half an
    hour each, see ``docs/analytics-metrics.md``. ``seed`` also seeds the Leiden communities.
    The graph is converted to igraph once for the whole suite.

    ``tied_only``: the :data:`NORMALISED` metrics (betweenness, closeness, PageRank) are
    computed on the subgraph of :func:`tied_actors` — igraph's induced subgraph of the one
    conversion, in the graph's order — normalised by their number, not by every node, and an
    actor without any tie gets 0 for each; the Leiden communities are found on that subgraph
    too (the random draws depend on the node set and order), each actor without a tie
    remaining a community of its own, numbered as :func:`community` numbers them.
    Adding isolated actors (e.g. a subsidy file's bénéficiaires in the cooperation lens) then
    leaves every value of the tied actors unchanged; the other metrics do not depend on
    isolated actors (harmonic centrality is not normalised, the eigenvector has unit norm and
    is 0 on them — also in a graph with no tie at all, where networkx gives every actor 1/√n).

    >>> m = actor_metrics(nx.path_graph(3))
    >>> m[1]["betweenness"], m[1]["degree"], m[1]["component_size"]
    (1.0, 2.0, 3.0)
    >>> G = nx.path_graph(3); G.add_node("seul")
    >>> actor_metrics(G)[1]["closeness"], actor_metrics(G, tied_only=True)[1]["closeness"]
    (0.6666666666666666, 1.0)
    """
    c = to_igraph(G)
    # the tied actors in G's order: an induced subgraph of the one conversion, not a second one
    t = c.tied() if tied_only else c
    w = c.weights_for(G, WEIGHT)  # the tied subgraph keeps every edge, in the same order

    def over_tied(values: Metrics) -> Metrics:
        return values if t is c else with_untied(G, values)

    cid, size = components(G)
    columns = {
        "degree": degree(G),
        "strength": strength(G),
        "betweenness": over_tied(_betweenness(t, betweenness_k, seed, True)),
        "closeness": over_tied(_closeness(t, distance_k, seed)),
        "pagerank": over_tied(_pagerank(t, w)),
        "core_number": core_number(G),
        "component": cid,
        "component_size": size,
        # no tie at all: the iteration's 1/√n would rank untied actors; over the tied (none): 0
        "eigenvector": eigenvector(G) if t is c or t.n else with_untied(G, {}),
        "harmonic": harmonic(G, k=distance_k, seed=seed),
        "constraint": constraint(G),
        "effective_size": effective_size(G),
        "community": _community(c, w, seed) if t is c else _community_with_isolated(G, _community(t, w, seed)),
    }
    return {v: {name: columns[name][v] for name in METRICS} for v in G.nodes}


__all__ = ["METRICS", "INTEGER_METRICS", "NORMALISED", "tied_actors", "betweenness_over_tied", "with_untied", "degree",
           "strength", "betweenness", "sample_sources", "closeness", "harmonic",
           "pagerank", "core_number", "components", "eigenvector", "constraint", "effective_size",
           "community", "modularity", "actor_metrics"]
