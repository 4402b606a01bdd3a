"""`maillage analyse` on Neo4j: the reference dataset's analysis took three times the embedded
one's, in ~1,200 Bolt round trips — each pôle's subgraph read its actors again, and every
person's id (`_person_ids`) once per pôle. Inside ``store.reading()`` the actors are read once
(then 430 round trips: two per pôle subgraph, read twice per pôle, and the whole graph and every
actor again in each stage); now every pôle's subgraph is read in two queries, and a read asked
again with the same arguments is answered from memory (33 round trips); the structures
porteuses' statements of every pôle are read in one query (10 round trips)."""

from __future__ import annotations

import math

import pytest

from maillage.analytics.run import analyse
from neo4j_fixtures import SentQueries as _Queries


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
    # the sources; the lens graph (its actors, its relations); inside reading(): every actor,
    # every pôle's ties and the relations among each pôle's actors (two queries for the 92
    # pôles: they were 4 per pôle, read twice), the statements touching every pôle's structures
    # porteuses (one query: it was one per pôle that has some, 23), the whole graph once (it was
    # read in each stage), the pôle table's ties; the runs (the id): 10 — 1,188 reads at first,
    # then 430, then 32
    assert reads <= 12 and reads < poles / 5, f"{reads} reads for {poles} pôles"
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
        assert store.get_actor(pole.id).name == pole.name and store.reads == before  # held: no read
        store.pole_subgraph(pole.id)
        assert store.pole_subgraph(pole.id).actors and store.reads == before + 2  # every pôle's, once
        store.remove_source(store.sources()[0].id)
        assert len(store.get_actors(a.id for a in store.iter_actors(include_persons=True))) < n
    load_reference(store)


def _same_subgraph(a, b) -> bool:
    return ([x.model_dump() for x in a.actors.values()] == [x.model_dump() for x in b.actors.values()]
            and [r.model_dump() for r in a.relations] == [r.model_dump() for r in b.relations]
            and (a.persons_left_out, a.capped, a.notes) == (b.persons_left_out, b.capped, b.notes))


def test_every_pole_subgraph_read_at_once_is_the_one_read_alone(reference_neo4j):
    """Inside ``reading()`` the first pôle subgraph reads every pôle's (two queries): each is the
    subgraph ``pole_subgraph`` reads pôle by pôle outside it — actors, relations in the same
    order, natural persons left out and counted — for a year, some types, persons included."""
    from maillage.graph.store import NotFound, StoreError

    store = reference_neo4j
    poles = sorted(a.id for a in store.iter_actors() if a.family == "pole")
    for kw in ({}, {"as_of": 2015}, {"types": ["membership", "funds", "carries"]}, {"include_persons": True},
               {"types": []}):
        alone = {p: store.pole_subgraph(p, **kw) for p in poles}
        before = store.reads
        with store.reading():
            together = {p: store.pole_subgraph(p, **kw) for p in poles}
            again = store.pole_subgraph(poles[0], **kw)
        assert store.reads - before <= 3, kw  # every actor; every pôle's ties; the relations among them
        bad = [p for p in poles if not _same_subgraph(alone[p], together[p])]
        assert not bad and _same_subgraph(again, alone[poles[0]]), (kw, bad[:3])
        if not kw:  # the comparison saw persons left out, and relations
            assert sum(s.persons_left_out for s in alone.values()) > 0
            assert sum(len(s.relations) for s in alone.values()) > 2 * len(poles)
    with store.reading():
        with pytest.raises(NotFound):
            store.pole_subgraph("pas-un-acteur")
        with pytest.raises(StoreError, match="not a pôle"):
            store.pole_subgraph(next(a.id for a in store.iter_actors() if a.family != "pole"))


def test_opening_a_store_whose_schema_is_there_is_two_queries_and_a_missing_index_is_made(neo4j_uri):
    """Each command opens the store: it sent every ``CREATE … IF NOT EXISTS`` of the schema (49),
    waited for the indexes and wrote the schema version: 51 statements before any work."""
    from maillage.graph import neo4j_store
    from neo4j_fixtures import empty_neo4j_store

    empty_neo4j_store(neo4j_uri).close()
    neo4j_store.Neo4jStore(neo4j_uri).close()  # the emptied database gets its schema version again
    neo4j_store._SCHEMA_READY.clear()  # as in a new process
    with _Queries() as q:
        neo4j_store.Neo4jStore(neo4j_uri).close()
    assert len(q.sent) == 2, q.sent  # the indexes there, the schema version
    try:
        with neo4j_store.Neo4jStore(neo4j_uri) as s:
            s._write(lambda tx: tx.run("DROP INDEX maillage_actor_name").consume())
        neo4j_store._SCHEMA_READY.clear()
        with _Queries() as q:
            s = neo4j_store.Neo4jStore(neo4j_uri)
        assert sum("maillage_actor_name" in x for x in q.sent) == 1 and len(q.sent) == 4  # + create, wait
    finally:
        neo4j_store._SCHEMA_READY.clear()
        s = neo4j_store.Neo4jStore(neo4j_uri)
    names = {r["name"]: r["state"] for r in s.run_cypher("SHOW INDEXES YIELD name, state")}
    s.close()
    assert names.get("maillage_actor_name") == "ONLINE"
    assert all(q.split()[2] in names for q in neo4j_store._schema_statements())
