"""Crash consistency of the Neo4j store: the client SIGKILLed during a load.

The Neo4j part of the CI slice of ``scripts/crash_consistency.py`` (``docs/reliability.md``):
a child process loads a small synthetic ecosystem (150 actors, 900 relations, sharing its
collectivités with the base source already in the database, so the load rewrites existing
actors too) and is SIGKILLed at 4 kill points from a fixed seed: at its start, at the end of
its write transaction and at two instants drawn over it. The server must roll the dead
client's transaction back (no transaction left open, or the next write would wait for its
lock), the database must *be* the state before the load or after it (every node and
relationship, load timestamps and write counters aside), and loading again must give the state
after. Killing the server itself (Neo4j's recovery) is in the campaign only: a restart per
kill point is too slow for CI.
"""

from __future__ import annotations


from _scripts import crash_script

NEO4J_SEED = 4  # start, end, and two kill points drawn inside the write transaction


_script = crash_script


def test_a_load_whose_client_is_killed_leaves_neo4j_before_or_after_it(neo4j_uri, tmp_path):
    cc = _script()
    target = cc.Neo4jTarget(neo4j_uri)
    res = cc.run_phase(target, "load", 4, NEO4J_SEED, "ci", tmp_path, base="synthetic:ci:3",
                       say=lambda _m: None, second_run=False)
    s = res.summary()
    assert s["failures"] == [], s["failures"]
    assert {p["outcome"] for p in res.points} <= {"before", "after"}
    assert s["rerun_ok"] == 4 and s["idempotent"] is True
    assert s["s1"]["actors"] > s["s0"]["actors"] and s["s1"]["relations"] == 2 * s["s0"]["relations"]
    assert [p["mode"] for p in res.points] == ["start", "end", "write", "write"]
    assert res.points[0]["killed"] and res.points[0]["outcome"] == "before"
    assert target.open_transactions() == 0

    # the dump sees one stray node: a partial write could not pass for the state after
    after, _ = target.dump()
    from maillage.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_uri)
    try:
        store._write(lambda tx: tx.run("CREATE (:Name {key: 'x', source_id: $sid})", sid=cc.SOURCE_ID).consume())
    finally:
        store.close()
    torn, _ = target.dump()
    assert set(cc.dump_diff(torn, after)) == {"node:Name"}
