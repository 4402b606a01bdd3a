"""Actor metrics on the cooperation graph (networkx is the engine).

Every function takes the undirected weighted graph of
:func:`maillage.graph.projection.to_graph` (one edge per tied pair; ``weight`` = number of
distinct (relation type, source) statements behind the tie) and returns ``{actor id: value}``.

Distances are counted in **ties (hops)**: the ``weight`` of an edge is the *strength* of a
tie, not a length, so it is used by :func:`strength` and :func:`pagerank` only; betweenness
and closeness ignore it (using it as a distance would make the strongest ties the longest).

>>> import networkx as nx
>>> G = nx.path_graph(3)          # 0 — 1 — 2
>>> betweenness(G)[1]             # the middle node is on the only 0–2 path
1.0
>>> actor_metrics(G)[0]["degree"]
1.0
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

Metrics = dict[Hashable, float]

#: The metrics :func:`actor_metrics` computes, in display order.
METRICS = ("degree", "strength", "betweenness", "closeness", "pagerank", "core_number",
           "component", "component_size")


def degree(G: nx.Graph) -> Metrics:
    """Degree: the number of distinct actors an actor is tied to.

    :math:`k_i = |N(i)|`, parallel statements between the same pair counting once
    (Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
    *Social Networks* 1(3), 215–239).

    >>> degree(nx.star_graph(3))[0]
    3.0
    """
    return {n: float(d) for n, d in G.degree()}


def strength(G: nx.Graph, weight: str = "weight") -> Metrics:
    """Strength (weighted degree): the sum of the weights of an actor's ties,
    :math:`s_i = \\sum_j w_{ij}`; an edge without ``weight`` counts 1.

    Barrat, A., Barthélemy, M., Pastor-Satorras, R., Vespignani, A. (2004). The architecture
    of complex weighted networks. *PNAS* 101(11), 3747–3752.

    >>> G = nx.Graph(); G.add_edge("a", "b", weight=2); G.add_edge("a", "c")
    >>> strength(G)["a"]
    3.0
    """
    return {n: float(d) for n, d in G.degree(weight=weight)}


def betweenness(G: nx.Graph, k: int | None = None, seed: int | None = 0,
                normalized: bool = True) -> Metrics:
    """Betweenness centrality: the share of shortest paths between other actors that run
    through an actor (Freeman, L. C. (1977). A set of measures of centrality based on
    betweenness. *Sociometry* 40(1), 35–41):

    :math:`c_B(v) = \\sum_{s \\ne v \\ne t} \\sigma_{st}(v) / \\sigma_{st}`,

    computed with Brandes' algorithm (Brandes, U. (2001). A faster algorithm for betweenness
    centrality. *J. Math. Sociol.* 25(2), 163–177). Paths are counted in hops.

    ``normalized`` divides by :math:`(n-1)(n-2)/2`, the number of pairs of other actors in an
    undirected graph, as networkx does (so values lie in [0, 1]).

    **Sampling**: with ``k`` < n, only ``k`` source actors drawn with ``seed`` are used and the
    result is scaled by n/k (Brandes, U., Pich, C. (2007). Centrality estimation in large
    networks. *Int. J. Bifurcation and Chaos* 17(7), 2303–2318; see also Brandes, U. (2008).
    On variants of shortest-path betweenness centrality and their generic computation.
    *Social Networks* 30(2), 136–145). ``k`` ≥ n (or ``None``) gives the exact value; the
    same ``seed`` gives the same estimate.

    >>> betweenness(nx.star_graph(3))[0]
    1.0
    """
    n = G.number_of_nodes()
    if k is not None and k < 1:
        raise ValueError(f"k must be ≥ 1 (number of sampled sources), got {k}")
    if k is None or k >= n:
        values = nx.betweenness_centrality(G, normalized=normalized)
    else:
        values = nx.betweenness_centrality(G, k=k, seed=seed, normalized=normalized)
    return {v: float(x) for v, x in values.items()}


def closeness(G: nx.Graph) -> Metrics:
    """Closeness centrality: how near an actor is to the actors it can reach.

    :math:`c_C(u) = \\frac{r - 1}{\\sum_{v} d(u, v)} \\cdot \\frac{r - 1}{n - 1}`, where
    :math:`r` is the number of actors reachable from :math:`u` (itself included) and
    :math:`d` counts hops (Freeman 1979, *Social Networks* 1(3), 215–239), with the
    Wasserman–Faust correction for disconnected graphs (Wasserman, S., Faust, K. (1994).
    *Social Network Analysis*, p. 201), so actors in small components do not look central.
    An isolated actor has closeness 0.

    >>> closeness(nx.star_graph(3))[0]
    1.0
    """
    return {v: float(x) for v, x in nx.closeness_centrality(G, wf_improved=True).items()}


def pagerank(G: nx.Graph, alpha: float = 0.85, weight: str = "weight", tol: float = 1.0e-10,
             max_iter: int = 1000) -> Metrics:
    """PageRank: the stationary probability of a random walk that follows ties (in
    proportion to their weight) with probability ``alpha`` and jumps to a uniformly chosen
    actor otherwise (Brin, S., Page, L. (1998). The anatomy of a large-scale hypertextual
    Web search engine. *Computer Networks and ISDN Systems* 30(1–7), 107–117):

    :math:`PR(i) = \\frac{1 - \\alpha}{n} + \\alpha \\sum_j \\frac{w_{ji}}{s_j} PR(j)`,

    an isolated actor's mass being spread uniformly (dangling nodes). Values sum to 1.
    networkx's (scipy) power iteration is used.

    >>> round(sum(pagerank(nx.path_graph(4)).values()), 9)
    1.0
    """
    if G.number_of_nodes() == 0:
        return {}
    values = nx.pagerank(G, alpha=alpha, weight=weight, tol=tol, max_iter=max_iter)
    return {v: float(x) for v, x in values.items()}


def core_number(G: nx.Graph) -> Metrics:
    """Core number: the largest :math:`k` such that the actor belongs to the :math:`k`-core,
    the maximal subgraph in which every actor has at least :math:`k` ties (Seidman 1983;
    computed in O(m) by Batagelj, V., Zaversnik, M. (2003). An O(m) algorithm for cores
    decomposition of networks. arXiv:cs/0310049). Unweighted.

    >>> core_number(nx.complete_graph(4))[0]
    3.0
    """
    H = G
    if nx.number_of_selfloops(G):
        H = G.copy()
        H.remove_edges_from(nx.selfloop_edges(G))
    return {v: float(x) for v, x in nx.core_number(H).items()}


def components(G: nx.Graph) -> tuple[Metrics, Metrics]:
    """Connected components: ``(component id, component size)`` per actor.

    Components are numbered 0, 1, 2… from the largest to the smallest (ties broken by the
    smallest actor id in the component, so numbering is deterministic); an isolated actor is
    a component of size 1.

    >>> cid, size = components(nx.Graph([(1, 2), (3, 4), (4, 5)]))
    >>> cid[3], size[3], cid[1], size[1]
    (0.0, 3.0, 1.0, 2.0)
    """
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(G)),
                   key=lambda c: (-len(c), str(c[0])))
    cid: Metrics = {}
    size: Metrics = {}
    for i, comp in enumerate(comps):
        for v in comp:
            cid[v] = float(i)
            size[v] = float(len(comp))
    return cid, size


def actor_metrics(G: nx.Graph, betweenness_k: int | None = None, seed: int = 0) -> dict[Hashable, dict[str, float]]:
    """Every metric of this module for every actor: ``{actor id: {metric: value}}``.

    Metric names are :data:`METRICS`. ``betweenness_k`` samples that many source actors
    (with ``seed``) for betweenness; ``None`` computes it exactly.

    >>> m = actor_metrics(nx.path_graph(3))
    >>> m[1]["betweenness"], m[1]["degree"], m[1]["component_size"]
    (1.0, 2.0, 3.0)
    """
    cid, size = components(G)
    columns = {
        "degree": degree(G),
        "strength": strength(G),
        "betweenness": betweenness(G, k=betweenness_k, seed=seed),
        "closeness": closeness(G),
        "pagerank": pagerank(G),
        "core_number": core_number(G),
        "component": cid,
        "component_size": size,
    }
    return {v: {name: columns[name][v] for name in METRICS} for v in G.nodes}


__all__ = ["METRICS", "degree", "strength", "betweenness", "closeness", "pagerank", "core_number",
           "components", "actor_metrics"]
