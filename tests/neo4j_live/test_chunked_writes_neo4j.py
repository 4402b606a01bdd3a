"""Sources too big for one Neo4j transaction (``maillage/graph/neo4j_chunks.py``), on a live Neo4j.

The store API of a chunked write is checked by the conformance suite (store kind
``neo4j-chunked``: every write in transactions of 3 rows). Here: the database a chunked load
builds is, node for node and relationship for relationship, the one a one-transaction load
builds; a client SIGKILLed in the middle of a chunked load leaves a pending marker that
refuses other writers while its lease runs, and that the next writer rolls back once it has
expired — back to the state before the load; a chunked removal is finished the same way.
"""

from __future__ import annotations

import pytest

from _scripts import crash_script

_script = crash_script


def _store(uri, **options):
    from maillage.graph.neo4j_store import Neo4jStore

    return Neo4jStore(uri, **options)


@pytest.fixture
def ecosystem(tmp_path):
    """Two small synthetic ecosystems (seeds 3 and 1) in the loaders' format."""
    cc = _script()
    return cc.ecosystem("ci", 3, tmp_path), cc.ecosystem("ci", 1, tmp_path)


def _load(uri, path, **options):
    """Load ``path`` as the crash script does: the ``-3`` file as its base source, the other as
    the source its child loads."""
    cc = _script()
    from maillage.loaders import load_file

    sid = cc.BASE_SOURCE_ID if path.name.endswith("-3.jsonl") else cc.SOURCE_ID
    with _store(uri, **options) as s:
        report = load_file(s, path, format="maillage-jsonl", source_id=sid, rejects_dir=path.parent / "rejects")
        return report, dict(s.last_write)


def _clear(uri):
    with _store(uri) as s:
        s.clear()


def _numbers(uri):
    """The persons' numbers kept (« [personne 3] »: maillage.graph.numbering)."""
    with _store(uri) as s:
        return s.person_numbering()


def _diff(uri, other):
    """:func:`dump_diff` of the database and ``other``, the persons' numbers aside: a store brought
    back to ``other`` by removing a source and loading sources again has other numbers (a source
    removed takes its persons' numbers away for good); the tests check them apart."""
    cc = _script()
    return cc.dump_diff(cc.without_numbers(cc.neo4j_dump(uri)[0]), cc.without_numbers(other))


def test_a_chunked_load_builds_the_database_a_single_transaction_builds(neo4j_uri, ecosystem):
    cc = _script()
    base, big = ecosystem
    results = []
    for options in ({}, {"tx_rows": 0, "chunk_rows": 97}):
        _clear(neo4j_uri)
        _load(neo4j_uri, base)
        _, write = _load(neo4j_uri, big, **options)
        first, _ = cc.neo4j_dump(neo4j_uri)
        _load(neo4j_uri, big, **options)  # a reload: delete the previous version, write again
        again, _ = cc.neo4j_dump(neo4j_uri)
        results.append((write, first, again))
    (one, single, single_again), (chunked, by_chunks, by_chunks_again) = results
    assert one["transactions"] == 1
    rows = one["statements"] + one["names"] + one["identifiers"] + one["relations"]
    assert chunked["transactions"] > rows // 97  # it was really written in chunks
    assert cc.dump_diff(by_chunks, single) == {}
    assert cc.dump_diff(by_chunks_again, single_again) == {}
    assert "node:PendingLoad" not in by_chunks and "node:PendingActors" not in by_chunks


def test_a_killed_chunked_load_blocks_writers_until_its_lease_expires_then_is_rolled_back(
        neo4j_uri, ecosystem, tmp_path, monkeypatch):
    cc = _script()
    from maillage.graph.neo4j_store import LoadInProgress
    from maillage.graph.store import StoreError

    base, big = ecosystem
    monkeypatch.setenv("MAILLAGE_NEO4J_TX_ROWS", "0")  # the child writes in chunks of 50 rows
    monkeypatch.setenv("MAILLAGE_NEO4J_CHUNK_ROWS", "50")
    _clear(neo4j_uri)
    _load(neo4j_uri, base, tx_rows=10**9)
    before, _ = cc.neo4j_dump(neo4j_uri)
    op = cc.operation_for("load", big, big, tmp_path, False)
    clean = cc.run_child(neo4j_uri, op)  # the write's duration, to kill it in the middle
    after, _ = cc.neo4j_dump(neo4j_uri)
    assert after != before
    pending = None
    for fraction in (0.5, 0.3, 0.7, 0.15, 0.08, 0.04):
        with _store(neo4j_uri, tx_rows=10**9) as s:
            if s.source(cc.SOURCE_ID) is not None:
                s.remove_source(cc.SOURCE_ID)
        assert _diff(neo4j_uri, before) == {}
        kept = _numbers(neo4j_uri)
        ch = cc.run_child(neo4j_uri, op, mode="write", delay=fraction * clean.write_s)
        if not ch.killed:  # the write outran the kill (a busy machine made the clean run slow)
            continue
        cc.Neo4jTarget(neo4j_uri).await_rollback()
        pending = _store(neo4j_uri).run_cypher("MATCH (p:PendingLoad) RETURN p.source AS source")
        if pending:
            break
    assert pending == [{"source": cc.SOURCE_ID}], "no kill point landed inside the chunked write"
    torn, _ = cc.neo4j_dump(neo4j_uri)
    assert torn not in (before, after)
    # its persons are in the database, not numbered: the transaction that ends the write keeps their numbers
    assert _numbers(neo4j_uri) == kept

    # a live lease: other writers are refused, with the source named, and nothing changes
    with _store(neo4j_uri, lease_s=3600) as busy, pytest.raises(
            LoadInProgress, match=f"source {cc.SOURCE_ID} is being written in several transactions"):
        busy.remove_source(cc.BASE_SOURCE_ID)
    with pytest.raises(StoreError, match="is being written"):
        _load(neo4j_uri, base, lease_s=3600)
    assert cc.dump_diff(cc.neo4j_dump(neo4j_uri)[0], torn) == {}

    # an expired lease: the next write rolls the dead load back first, then runs
    with _store(neo4j_uri, lease_s=0) as late:
        late.remove_source(cc.BASE_SOURCE_ID)
        assert late.recovered == [{"source": cc.SOURCE_ID, "write": late.recovered[0]["write"], "kind": "load",
                                   "existed": False}]
    last, numbers = _numbers(neo4j_uri)  # the base's persons removed: no number given, none given back
    assert last == kept[0] and numbers.items() < kept[1].items()
    _load(neo4j_uri, base)
    assert _diff(neo4j_uri, before) == {}
    # and the load, run again, gives the state an uninterrupted load gives
    _load(neo4j_uri, big)
    assert _diff(neo4j_uri, after) == {}


def test_a_killed_chunked_reload_leaves_the_source_absent_and_loading_it_again_gives_the_reload(
        neo4j_uri, tmp_path, monkeypatch):
    cc = _script()
    from maillage.graph.neo4j_chunks import recover_interrupted

    base, first, second = (cc.ecosystem("ci", k, tmp_path) for k in (3, 1, 2))
    monkeypatch.setenv("MAILLAGE_NEO4J_TX_ROWS", "0")
    monkeypatch.setenv("MAILLAGE_NEO4J_CHUNK_ROWS", "50")

    def setup():
        _clear(neo4j_uri)
        _load(neo4j_uri, base, tx_rows=10**9)
        _load(neo4j_uri, first, tx_rows=10**9)

    setup()
    with _store(neo4j_uri) as s:
        log_before = s.resolution_log(cc.SOURCE_ID)
    last, numbers = _numbers(neo4j_uri)
    op = cc.operation_for("reload", first, second, tmp_path, False)
    clean = cc.run_child(neo4j_uri, op)
    after, _ = cc.neo4j_dump(neo4j_uri)
    info = None
    for fraction in (0.5, 0.3, 0.7, 0.15, 0.08, 0.04):
        setup()
        ch = cc.run_child(neo4j_uri, op, mode="write", delay=fraction * clean.write_s)
        if not ch.killed:  # the write outran the kill (a busy machine made the clean run slow)
            continue
        cc.Neo4jTarget(neo4j_uri).await_rollback()
        with _store(neo4j_uri) as s:
            info = recover_interrupted(s, force=True)
        if info:
            break
    assert info == {"source": cc.SOURCE_ID, "write": info["write"], "kind": "reload", "existed": True}
    with _store(neo4j_uri) as s:
        assert s.source(cc.SOURCE_ID) is None  # absent, never half there
        assert s.run_cypher("MATCH (:Statement {source_id: $sid}) RETURN count(*) AS n", sid=cc.SOURCE_ID) == [{"n": 0}]
        assert s.resolution_log(cc.SOURCE_ID) == log_before  # kept for the next load
    cc.run_child(neo4j_uri, op)  # load it again
    # what the uninterrupted reload gives, actor ids included; but the previous version's persons
    # were removed with it: loaded again, its persons are numbered after the highest number given
    assert _diff(neo4j_uri, after) == {}
    again = _numbers(neo4j_uri)[1]
    assert again and all(n == numbers.get(aid) or n > last for aid, n in again.items())


def test_removing_a_big_source_is_chunked_and_killed_midway_is_finished_by_recovery(neo4j_uri, ecosystem):
    cc = _script()
    from maillage.graph.neo4j_chunks import recover_interrupted

    base, big = ecosystem
    _clear(neo4j_uri)
    _load(neo4j_uri, base)
    before, _ = cc.neo4j_dump(neo4j_uri)
    numbers = _numbers(neo4j_uri)[1]
    _load(neo4j_uri, big)
    with _store(neo4j_uri, tx_rows=0, chunk_rows=40) as s:
        n0 = s.run_cypher("MATCH (l:MaillageLock) RETURN l.n AS n")[0]["n"]
        s.remove_source(cc.SOURCE_ID)
        n1 = s.run_cypher("MATCH (l:MaillageLock) RETURN l.n AS n")[0]["n"]
    assert n1 - n0 > 10  # many transactions
    assert _diff(neo4j_uri, before) == {}
    assert _numbers(neo4j_uri)[1] == numbers  # the base's persons keep theirs, the removed ones are gone

    # a removal that died after its first chunks: the recovery finishes it
    _load(neo4j_uri, big)
    with _store(neo4j_uri, tx_rows=0, chunk_rows=40) as s:
        from maillage.graph import neo4j_chunks

        def begin_only(tx):  # the removal's begin transaction and one chunk, then "death"
            wn = s._lock(tx)
            ids = [r["aid"] for r in tx.run("MATCH (st:Statement {source_id: $sid}) RETURN DISTINCT st.actor_id AS aid",
                                            sid=cc.SOURCE_ID)]
            neo4j_chunks._mark(tx, wn, cc.SOURCE_ID, "remove", None, ids)
            tx.run("MATCH (st:Statement {source_id: $sid}) WITH st LIMIT 40 DELETE st", sid=cc.SOURCE_ID).consume()

        s._write(begin_only)
    with _store(neo4j_uri, lease_s=3600) as s, pytest.raises(Exception, match="being written"):
        recover_interrupted(s)
    with _store(neo4j_uri) as s:
        info = recover_interrupted(s, force=True)
        assert (info["source"], info["kind"], info["existed"]) == (cc.SOURCE_ID, "remove", False)
        assert s.source(cc.SOURCE_ID) is None
    assert _diff(neo4j_uri, before) == {}
    assert _numbers(neo4j_uri)[1] == numbers  # finished in the recovery's last transaction


@pytest.mark.parametrize("options", [{}, {"tx_rows": 0, "chunk_rows": 2000}], ids=["one-transaction", "chunked"])
def test_a_long_load_into_neo4j_reports_its_ties_as_it_writes_them(neo4j_uri, tmp_path, options):
    """Writing ties to Neo4j says how far it is — every UNWIND batch of 5,000 in one transaction,
    every committed chunk in several — not only when it starts and ends, as the SQLite store does
    every 10,000 (tests/test_bench_scdl.py): the CLI's write bar moves during a long load."""
    import importlib.util

    from neo4j_fixtures import ROOT, empty_neo4j_store
    from maillage.loaders import load_file

    spec = importlib.util.spec_from_file_location("scdl_bench", ROOT / "bench" / "scdl_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = bench.generate(6000, seed=5, path=tmp_path / "scdl.csv")
    calls: list[tuple[int, int]] = []
    s = empty_neo4j_store(neo4j_uri, **options)
    try:
        load_file(s, path, rejects_dir=tmp_path, progress=lambda st, d, t: st == "write" and calls.append((d, t)))
        ties = s.stats()["relations"]
    finally:
        s.close()
    (total,) = {t for _, t in calls}
    assert total >= ties > 5000
    dones = [d for d, _ in calls]
    step = 5000 if not options else 2000
    inside = [d for d in dones[1:-1] if d % step == 0]
    assert inside == list(range(step, ties, step))  # one report per batch/chunk sent, in order
    assert dones == sorted(dones) and dones[0] == 0 and dones[-1] == total
