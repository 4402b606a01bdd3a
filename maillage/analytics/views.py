"""What a view through a lens holds: the one rule of ``maillage export``, ``maillage viz``, the
pôle and territory reports' maps and the API's views and maps.

A **view** is a pôle (the pôle, every actor tied to it and the relations among them:
:meth:`~maillage.graph.store.Store.pole_subgraph`) or a territory (the actors located in it and
the relations among them, plus the pôles of no known place tied to them:
:func:`territory_view`), seen through a **lens** (:func:`view_types`: the lens's relation types,
every type for lens ``all``). Every part that draws or writes a pôle's or a territory's view
builds it here (:func:`lens_view`), so that a map, a report's map and an export of the same
view through the same lens hold the same relations.

The rule lives in analytics, the lowest layer that needs it (the reports): the API, the
exports and the command line import it from here.

>>> from maillage.graph import open_store
>>> sub, notes = lens_view(open_store(":memory:"), territory="departement:31", lens="funding")
>>> len(sub.actors), notes
(0, [])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from maillage.graph.names import alpha_key
from maillage.graph.projection import lens_types
from maillage.graph.store import Store, Subgraph


def view_types(lens: str | None) -> list[str] | None:
    """The relation types a view through ``lens`` holds: the lens's
    (:func:`~maillage.graph.projection.lens_types`; ``VocabularyError`` for an unknown lens), or
    every type (None) for lens ``all`` or none.

    >>> view_types("funding"), view_types("all"), view_types(None)
    (['funds', 'applies_to'], None, None)
    """
    return None if lens in (None, "all") else lens_types(lens)


def with_unplaced_poles(s: Store, sub: Subgraph, as_of: int | None = None, types: Sequence[str] | None = None,
                        lang: str = "fr") -> tuple[Subgraph, list[str]]:
    """A territory's subgraph plus the pôles that have no known place of their own but are tied
    to its actors, with those ties, and one note per pôle added (in ``lang``).

    A pôle loaded from its member list has no commune unless the list gives one: without it,
    the territory of its members drew them unconnected (« 11 acteurs, 0 relations ») around a
    missing centre. Pôles placed elsewhere stay out: they are another territory's.

    >>> from maillage.graph import open_store
    >>> with_unplaced_poles(open_store(":memory:"), Subgraph())[1]
    []
    """
    inside = set(sub.actors)
    if not inside:
        return sub, []
    tied: Counter[str] = Counter()
    for _, a, b in s.ties(touching=inside, types=types, as_of=as_of):
        for end, other in ((a, b), (b, a)):
            if end not in inside and other in inside:
                tied[end] += 1
    poles = {k: v for k, v in s.get_actors(tied).items()
             if v.family == "pole" and not (v.location or v.territory)}
    if not poles:
        return sub, []
    rels = [r for r in s.relations(touching=set(poles), types=types, as_of=as_of)
            if (r.source in poles and (r.target in inside or r.target in poles))
            or (r.target in poles and r.source in inside)]
    out = Subgraph(actors={**sub.actors, **poles}, relations=[*sub.relations, *rels], capped=sub.capped,
                   notes=list(sub.notes), persons_left_out=sub.persons_left_out)
    notes = []
    for pid, pole in sorted(poles.items(), key=lambda kv: (*alpha_key(kv[1].name), kv[0])):
        n = len({e for r in rels if pid in (r.source, r.target) for e in (r.source, r.target)} & inside)
        s_, are = ("s", "sont liés") if n > 1 else ("", "est lié")
        notes.append(f"{pole.name} has no known place: it is drawn here because {n} actor{s_} of this territory "
                     f"{'are' if n > 1 else 'is'} tied to it." if lang == "en" else
                     f"{pole.name} n'a pas de lieu connu : il est dessiné ici parce que {n} acteur{s_} de ce "
                     f"territoire lui {are}.")
    return out, notes


def territory_view(s: Store, tid: str, as_of: int | None = None, types: Sequence[str] | None = None,
                   include_persons: bool = False, lang: str = "fr") -> tuple[Subgraph, list[str]]:
    """A territory's view: the actors located in it and the relations among them (of ``types``,
    active in ``as_of``), with the pôles of no known place tied to them and their notes
    (:func:`with_unplaced_poles`): what its API view, its map and its export hold.

    >>> from maillage.graph import open_store
    >>> territory_view(open_store(":memory:"), "commune:31555")[0].actors
    {}
    """
    sub = s.territory_subgraph(tid, as_of=as_of, types=types, include_persons=include_persons)
    return with_unplaced_poles(s, sub, as_of, types, lang)


def lens_view(s: Store, pole: str | None = None, territory: str | None = None, lens: str | None = None,
              as_of: int | None = None, include_persons: bool = False,
              lang: str = "fr") -> tuple[Subgraph, list[str]]:
    """A pôle's or a territory's view through ``lens`` (:func:`view_types`) and ties active in
    ``as_of``, with its notes (a territory's pôles of no known place, :func:`territory_view`):
    what ``maillage export``, ``maillage viz`` and a report's map of that view hold. Give one of
    ``pole`` and ``territory`` (``ValueError`` otherwise).

    >>> from maillage.graph import open_store
    >>> lens_view(open_store(":memory:"), territory="region:76", lens="cooperation")[0].relations
    []
    """
    if (pole is None) == (territory is None):
        raise ValueError("lens_view: give a pôle or a territory, one of them")
    types = view_types(lens)
    if pole is not None:
        return s.pole_subgraph(pole, as_of=as_of, types=types, include_persons=include_persons), []
    assert territory is not None
    return territory_view(s, territory, as_of, types, include_persons, lang)


__all__ = ["view_types", "with_unplaced_poles", "territory_view", "lens_view"]
