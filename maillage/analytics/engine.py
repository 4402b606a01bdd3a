"""The igraph engine behind :mod:`maillage.analytics.metrics`: one conversion per graph.

The metric functions take the undirected networkx graph of
:func:`maillage.graph.projection.to_graph` and compute with igraph (C). :func:`to_igraph`
converts such a graph **once**: vertex ``i`` is the ``i``-th node of ``G`` (networkx node
order), edges keep their ``weight`` (missing → 1), and the result is cached, keyed on the graph
object's identity and its size (nodes, edges), so the whole metric suite — weighted and
unweighted metrics alike — converts a graph a single time (:meth:`Converted.weights_for` reads
another weight attribute on demand, once). The cache holds the networkx graph by weak reference
only and keeps the last :data:`CACHE_SIZE` conversions.

- **Self-loops** are not ties between two actors (``to_graph`` drops them anyway): they are
  kept aside (:attr:`Converted.loops`, :attr:`Converted.loop_weight`) so degree and strength
  still count them as networkx does (twice), and left out of the igraph graph every other
  metric uses.
- **Isolated actors** are vertices without edges; an **empty graph** gives an empty igraph.
- The cache cannot see an edit that keeps the graph's size (e.g. a weight changed in place):
  call :func:`clear_cache` after such an edit.

Csárdi, G., Nepusz, T. (2006). The igraph software package for complex network research.
*InterJournal Complex Systems* 1695.

>>> import networkx as nx
>>> G = nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {})])
>>> c = to_igraph(G)
>>> c.nodes, c.graph.vcount(), c.graph.ecount(), c.weights_for(G, "weight")
(['a', 'b', 'c'], 3, 2, [2.0, 1.0])
>>> to_igraph(G) is c          # cached: the suite converts once
True
"""

from __future__ import annotations

import random
import weakref
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

import igraph
import networkx as nx
import numpy as np

#: How many conversions :func:`to_igraph` keeps.
CACHE_SIZE = 4

#: The weight attribute read during the conversion (the one ``to_graph`` writes).
WEIGHT = "weight"


@dataclass(eq=False)
class Converted:
    """A networkx graph as igraph: ``graph`` (simple, undirected, no self-loop), vertex ``i``
    = ``nodes[i]``, igraph edge ``e`` = the ``e``-th non-loop edge of ``G.edges()``;
    ``loops`` / ``loop_weight`` per vertex: the self-loops left out (count, and weight read
    from :data:`WEIGHT`)."""

    graph: igraph.Graph
    nodes: list[Hashable]
    loops: np.ndarray
    loop_weight: np.ndarray
    _weights: dict[str, list[float]] = field(default_factory=dict, repr=False)
    _memo: dict = field(default_factory=dict, repr=False)  # results shared by several metrics

    @property
    def n(self) -> int:
        return len(self.nodes)

    @cached_property
    def index(self) -> dict[Hashable, int]:
        """``{node: vertex index}``."""
        return {v: i for i, v in enumerate(self.nodes)}

    @cached_property
    def edges(self) -> np.ndarray:
        """The igraph edges as an ``(m, 2)`` array of vertex indices."""
        return np.asarray(self.graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)

    @cached_property
    def membership(self) -> np.ndarray:
        """Connected component of each vertex (igraph's numbering)."""
        return np.asarray(self.graph.connected_components().membership, dtype=np.int64)

    @cached_property
    def component_size(self) -> np.ndarray:
        """Size of each vertex's connected component."""
        if self.n == 0:
            return np.zeros(0, dtype=np.int64)
        return np.bincount(self.membership)[self.membership]

    def weights_for(self, G: nx.Graph, weight: str | None) -> list[float] | None:
        """Edge weights in igraph edge order read from attribute ``weight`` of ``G`` (the
        graph converted; missing → 1.0), or ``None`` for ``weight=None`` (unweighted)."""
        if weight is None:
            return None
        if weight not in self._weights:
            self._weights[weight] = [float(w) for u, v, w in G.edges(data=weight, default=1) if u != v]
        return self._weights[weight]

    def values(self, xs) -> dict[Hashable, float]:
        """``{node: float(x)}`` from per-vertex values in vertex order."""
        return dict(zip(self.nodes, map(float, xs)))

    def tied(self) -> Converted:
        """The actors with a tie to another actor (vertices of degree > 0), in the same order,
        as a conversion of their own — igraph's induced subgraph of this one, not a second
        conversion from networkx. Every edge is kept, in the same order, so the weights read
        carry over (and :meth:`weights_for` still takes the whole networkx graph). ``self``
        when every actor has a tie.

        >>> G = nx.Graph([("a", "b", {"weight": 3})]); G.add_node("seul")
        >>> t = to_igraph(G).tied()
        >>> t.nodes, t.graph.get_edgelist(), t.weights_for(G, "weight")
        (['a', 'b'], [(0, 1)], [3.0])
        """
        keep = np.flatnonzero(np.asarray(self.graph.degree(), dtype=np.int64) > 0)
        if len(keep) == self.n:
            return self
        # copy_and_delete keeps the edges' order (create_from_scratch does not): weights stay aligned
        g = self.graph.induced_subgraph(keep.tolist(), implementation="copy_and_delete")
        return Converted(graph=g, nodes=[self.nodes[i] for i in keep], loops=self.loops[keep],
                         loop_weight=self.loop_weight[keep], _weights=dict(self._weights))


_CACHE: OrderedDict[tuple, tuple[weakref.ref, Converted]] = OrderedDict()


def clear_cache() -> None:
    """Forget every cached conversion (needed only after editing a graph in place without
    changing its number of nodes or edges).

    >>> clear_cache()
    """
    _CACHE.clear()


def to_igraph(G: nx.Graph) -> Converted:
    """The igraph form of an undirected networkx graph, converted once and cached.

    Raises :class:`networkx.NetworkXNotImplemented` for a directed graph or a multigraph
    (the metrics are defined on ``to_graph``'s simple undirected graph).

    >>> c = to_igraph(nx.Graph([(1, 1), (1, 2)]))
    >>> c.graph.ecount(), c.loops.tolist()
    (1, [1, 0])
    """
    if G.is_directed() or G.is_multigraph():
        raise nx.NetworkXNotImplemented("the actor metrics are defined on simple undirected graphs "
                                        "(maillage.graph.projection.to_graph)")
    key = (id(G), G.number_of_nodes(), G.number_of_edges())
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is G:
        _CACHE.move_to_end(key)
        return hit[1]
    conv = _convert(G)
    _CACHE[key] = (weakref.ref(G), conv)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return conv


def _convert(G: nx.Graph) -> Converted:
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    loops = np.zeros(n, dtype=np.int64)
    loop_weight = np.zeros(n, dtype=np.float64)
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    for u, v, w in G.edges(data=WEIGHT, default=1):
        i, j = index[u], index[v]
        if i == j:
            loops[i] += 1
            loop_weight[i] += float(w)
        else:
            edges.append((i, j))
            weights.append(float(w))
    g = igraph.Graph(n=n, edges=edges, directed=False)
    conv = Converted(graph=g, nodes=nodes, loops=loops, loop_weight=loop_weight, _weights={WEIGHT: weights})
    conv.__dict__["index"] = index
    return conv


@contextmanager
def seeded(seed: int | None) -> Iterator[random.Random]:
    """Run igraph's random draws (Leiden's node order, ARPACK's start perturbation) from a
    private ``random.Random(seed)``, then give igraph back Python's ``random`` module — its
    default generator (python-igraph has no getter for the current one). Not thread-safe.

    >>> g = igraph.Graph.Famous("Zachary")
    >>> with seeded(1):
    ...     a = g.eigenvector_centrality()
    >>> with seeded(1):
    ...     b = g.eigenvector_centrality()
    >>> a == b
    True
    """
    rng = random.Random(seed)
    igraph.set_random_number_generator(rng)
    try:
        yield rng
    finally:
        igraph.set_random_number_generator(random)


__all__ = ["Converted", "to_igraph", "clear_cache", "seeded", "CACHE_SIZE", "WEIGHT"]
