"""Reads that made one Bolt round trip per item on Neo4j, now batched — counted with
``Neo4jStore.reads`` (one per round trip), compared with the embedded store on the same data:

- :func:`maillage.analytics.run.person_groups` (numbering the persons « [personne 1] »… in the
  masks of every view, export and report) read each person's statements on its own: 161
  statements reads on the reference dataset, the first time;
- :func:`maillage.analytics.poles.pole_context` (a pôle's diagnostic and criteria, in the API)
  read the pôle, its ring, the persons, the ties, the relations among them, their actors, the
  statements touching its structures porteuses and their actors: 8 round trips a pôle.
"""

from __future__ import annotations

import pytest

from maillage.analytics import run as run_module
from maillage.analytics.run import person_groups


def _fresh_groups(store):
    run_module._GROUPS.clear()  # as in a new process: nothing kept from an earlier call
    before = store.reads if hasattr(store, "reads") else 0
    groups = person_groups(store)
    return groups, (store.reads - before if hasattr(store, "reads") else None)


def test_person_groups_is_three_reads_and_numbers_the_persons_as_the_embedded_store(reference_neo4j,
                                                                                   reference_sqlite):
    groups, reads = _fresh_groups(reference_neo4j)
    theirs, _ = _fresh_groups(reference_sqlite)
    assert groups == theirs and len(groups) > 100  # 161 persons on the reference dataset
    assert reads <= 3, reads  # the sources, the persons, their statements (it was 2 + one per person)


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
