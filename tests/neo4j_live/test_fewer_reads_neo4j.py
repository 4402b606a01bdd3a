"""Reads that made one Bolt round trip per item on Neo4j, now batched — counted with
``Neo4jStore.reads`` (one per round trip), compared with the embedded store on the same data:

- :func:`maillage.analytics.persons.person_groups` (numbering the persons « [personne 1] »… in the
  masks of every view, export and report) read each person's statements on its own: 161
  statements reads on the reference dataset, the first time;
- :func:`maillage.analytics.poles.pole_context` (a pôle's diagnostic and criteria, in the API)
  read the pôle, its ring, the persons, the ties, the relations among them, their actors, the
  statements touching its structures porteuses and their actors: 8 round trips a pôle.
"""

from __future__ import annotations

import pytest

from maillage.analytics import persons
from maillage.analytics.persons import person_groups


def _fresh_groups(store):
    persons._GROUPS.clear()  # as in a new process: nothing kept from an earlier call
    before = store.reads if hasattr(store, "reads") else 0
    groups = person_groups(store)
    return groups, (store.reads - before if hasattr(store, "reads") else None)


def test_person_groups_is_four_reads_and_numbers_the_persons_as_the_embedded_store(reference_neo4j,
                                                                                   reference_sqlite):
    groups, reads = _fresh_groups(reference_neo4j)
    theirs, _ = _fresh_groups(reference_sqlite)
    assert groups == theirs and len(groups) > 100  # 161 persons on the reference dataset
    # the sources, the persons, their statements (it was 2 + one per person), the numbers kept
    assert reads <= 4, reads


def test_statements_of_several_actors_are_each_one_s_statements(reference_neo4j, reference_sqlite):
    ids = sorted(a.id for a in reference_sqlite.iter_actors(include_persons=True))[::7] + ["pas-un-acteur"]
    for store in (reference_neo4j, reference_sqlite):
        got = store.statements_of(reversed(ids))
        assert list(got) == sorted(i for i in ids if store.statements(i))
        assert all(got[i] == store.statements(i) for i in got)
        assert any(len(v) > 1 for v in got.values())  # some merged from several statements: their order is checked
    assert reference_neo4j.statements_of([]) == reference_sqlite.statements_of([]) == {}
    dumped = lambda d: {k: [(s, a.model_dump(exclude={"provenance": {"loaded_at"}})) for s, a in v]  # noqa: E731
                        for k, v in d.items()}  # each store stamps its own load time
    assert dumped(reference_neo4j.statements_of(ids)) == dumped(reference_sqlite.statements_of(ids))


# ---------------------------------------------------------------------------------------------
# a pôle's context

def _context(ctx) -> dict:
    """Everything a PoleContext holds, comparable (the actors in their order)."""
    return {"pole": ctx.pole.model_dump(), "as_of": ctx.as_of, "planned": ctx.planned,
            "actors": [(k, a.model_dump()) for k, a in ctx.actors.items()],
            "relations": [r.model_dump() for r in ctx.relations],
            "members": {k: [r.id for r in v] for k, v in ctx.members.items()},
            "carriers": {k: [r.id for r in v] for k, v in ctx.carriers.items()}}


def _unordered(d: dict) -> dict:
    return {**d, "actors": sorted(d["actors"], key=lambda x: x[0])}


def _stamped(d: dict) -> dict:
    """Without the load times each store stamped (the two stores loaded the data apart)."""
    import json
    import re

    return json.loads(re.sub(r'"loaded_at": "[^"]*"', '"loaded_at": null', json.dumps(d, default=str)))


@pytest.mark.parametrize("as_of", [None, 2012, 2021])
def test_a_pole_context_is_one_read_and_what_the_embedded_store_gives(reference_neo4j, reference_sqlite, as_of):
    from maillage.analytics.poles import NOT_DONE, pole_context
    from maillage.graph.store import Store

    store = reference_neo4j
    poles = sorted(a.id for a in reference_sqlite.iter_actors() if a.family == "pole")
    with_structures = 0
    for p in poles:
        before = store.reads
        ours = pole_context(store, p, as_of=as_of)
        assert store.reads - before == 1, (p, store.reads - before)  # it was 8
        # the store's generic path (pole_subgraph, relations, get_actors: 8 reads) gives the very same,
        # in the same order
        sub = Store.pole_context_subgraph(store, p, as_of=as_of, skip_certainty=NOT_DONE)
        one = store.pole_context_subgraph(p, as_of=as_of, skip_certainty=NOT_DONE)
        assert list(one.actors) == list(sub.actors) and one.relations == sub.relations, p
        assert one.persons_left_out == sub.persons_left_out, p
        theirs = pole_context(reference_sqlite, p, as_of=as_of)
        assert _stamped(_unordered(_context(ours))) == _stamped(_unordered(_context(theirs))), p
        with_structures += bool(ours.carriers)
    assert with_structures >= 10  # the structures porteuses' ties were compared


def test_an_unknown_pole_or_another_actor_is_refused_in_one_read(reference_neo4j, reference_sqlite):
    from maillage.analytics.poles import pole_context
    from maillage.graph.store import NotFound, StoreError

    member = next(a.id for a in reference_sqlite.iter_actors() if a.family != "pole")
    for store in (reference_neo4j, reference_sqlite):
        with pytest.raises(NotFound):
            pole_context(store, "pas-un-pole")
        with pytest.raises(StoreError, match="not a pôle"):
            pole_context(store, member)
        with store.reading():
            with pytest.raises(NotFound):
                pole_context(store, "pas-un-pole")


def test_every_pole_context_inside_reading_is_two_reads_after_the_actors(reference_neo4j, reference_sqlite):
    """An analysis reads each pôle's context inside ``reading()``: the structures porteuses' ties
    were one read per pôle that has some (23 on the reference dataset); now one for all."""
    from maillage.analytics.poles import pole_context

    store = reference_neo4j
    poles = sorted(a.id for a in reference_sqlite.iter_actors() if a.family == "pole")
    alone = {p: _context(pole_context(store, p)) for p in poles}
    before = store.reads
    with store.reading():
        together = {p: _context(pole_context(store, p)) for p in poles}
    # every actor; every pôle's ties; the relations among each pôle's actors; the structures porteuses' ties
    assert store.reads - before <= 4, store.reads - before
    assert together == alone
