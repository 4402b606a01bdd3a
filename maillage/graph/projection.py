"""Projections of the stored graph to networkx ("lenses").

A lens names the relation types an analysis looks at (the vocabulary's ``lenses``):
``cooperation`` (ties that count as cooperation), ``funding``, ``governance``, ``all``.

:func:`to_multigraph` keeps every relation statement as its own edge (key = statement id),
with its type, fields and provenance: nothing is lost, which is what maps and exports want.
:func:`to_graph` collapses parallel statements between the same two actors into one
undirected edge with a ``weight`` (number of distinct relation types × sources that state a
tie), which is what centrality measures expect.

Node attributes: every field of :class:`~maillage.graph.model.ActorView` (``name``,
``family``, ``kind``, ``location``, ``placeholder``, ``declared``…) plus ``label``.
Natural persons are left out unless ``include_persons=True`` (privacy by default).
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

from .store import Store, Subgraph
from .vocabulary import vocabulary


def lens_types(lens: str) -> list[str]:
    """The relation types of a lens (raises VocabularyError for an unknown lens)."""
    return vocabulary().types_in_lens(lens)


def project(store: Store, lens: str = "cooperation", as_of: int | None = None,
            certainty: Sequence[str] | None = None, include_persons: bool = False) -> Subgraph:
    """The store's graph seen through a lens, as a :class:`Subgraph`."""
    return store.projection(types=lens_types(lens), as_of=as_of, certainty=certainty,
                            include_persons=include_persons)


def to_multigraph(sub: Subgraph) -> nx.MultiDiGraph:
    """Every relation statement as an edge; undirected types keep their stated order."""
    g = nx.MultiDiGraph()
    for a in sub.actors.values():
        attrs = a.model_dump(mode="json", exclude={"id"})
        g.add_node(a.id, label=a.name, **attrs)
    voc = vocabulary()
    for r in sub.relations:
        if r.source not in g or r.target not in g:
            continue
        g.add_edge(r.source, r.target, key=r.id, type=r.type, fields=r.fields, start=r.start, end=r.end,
                   directed=voc.relation_type(r.type).directed,
                   provenance=r.provenance.model_dump(mode="json", exclude_none=True))
    return g


def to_graph(sub: Subgraph) -> nx.Graph:
    """One undirected edge per tied pair; ``weight`` counts the distinct (type, source)
    statements behind it, ``types`` lists the relation types. Self-ties are dropped."""
    g = nx.Graph()
    for a in sub.actors.values():
        g.add_node(a.id, label=a.name, **a.model_dump(mode="json", exclude={"id"}))
    support: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for r in sub.relations:
        if r.source == r.target or r.source not in g or r.target not in g:
            continue
        pair = (r.source, r.target) if r.source < r.target else (r.target, r.source)
        support.setdefault(pair, set()).add((r.type, r.provenance.source))
    for (u, v), st in support.items():
        g.add_edge(u, v, weight=len(st), types=sorted({t for t, _ in st}))
    return g
