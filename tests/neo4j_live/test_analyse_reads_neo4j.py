"""`maillage analyse` on Neo4j: the reference dataset's analysis took three times the embedded
one's, in ~1,200 Bolt round trips — each pôle's subgraph read its actors again, and every
person's id (`_person_ids`) once per pôle. Inside ``store.reading()`` the actors are read once."""

from __future__ import annotations

import math

from maillage.analytics.run import analyse


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def test_the_analysis_reads_the_actors_once_and_finds_what_the_embedded_store_finds(reference_neo4j,
                                                                                    reference_sqlite):
    store = reference_neo4j
    poles = store.stats()["poles"]
    before = store.reads
    run = analyse(store, lens="cooperation", seed=0)
    reads = store.reads - before
    # each pôle is read twice (diagnostic, then criteria), each time its ties and the relations
    # among its actors: 4 reads per pôle; its actors, the persons' ids and the pôle itself are
    # no longer read per pôle (they were: ≈ 13 reads per pôle, 1,188 in all)
    assert reads <= 5 * poles + 60, f"{reads} reads for {poles} pôles"
    ours = store.metrics(run.id)
    theirs = reference_sqlite.metrics(analyse(reference_sqlite, lens="cooperation", seed=0).id)
    assert list(ours) == list(theirs)
    diff = [(aid, k) for aid, m in theirs.items() for k, v in m.items() if not _same(ours[aid].get(k), v)]
    assert not diff, diff[:5]


def test_a_write_inside_reading_is_seen_by_the_next_read(reference_neo4j):
    """The held actors go with this store's own writes (a run saved, a source reloaded)."""
    from maillage.loaders import load_reference

    store = reference_neo4j
    with store.reading():
        n = len(store.get_actors(a.id for a in store.iter_actors(include_persons=True)))
        before = store.reads
        pole = next(a for a in store.iter_actors() if a.family == "pole")
        assert store.get_actor(pole.id).name == pole.name and store.reads == before + 1  # held: no read
        store.remove_source(store.sources()[0].id)
        assert len(store.get_actors(a.id for a in store.iter_actors(include_persons=True))) < n
    load_reference(store)
