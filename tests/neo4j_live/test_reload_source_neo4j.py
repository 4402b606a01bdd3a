"""Reloading a source on Neo4j (``replace_source`` of a source it holds: a new edition of a file,
or the same file again) sends only statements that find nodes by an index whatever the
statistics they are planned with, and looks every node up before it deletes one.

Two defects, seen in the plans of the statements it sent (``EXPLAIN``, never timed:
``bench/neo4j_reload_bench.py`` times it):

- the old version's statements, names, identifiers and proposals that go were deleted first,
  then each actor looked up by id: once a transaction has deleted nodes, each index seek in it
  costs in proportion to them (measured: 3,615 seeks, 0.06 s in a clean transaction, 2 s after
  10,000 node deletions; relationship deletions cost nothing);
- a plan is cached with the statistics of its first run: planned on an empty database, the
  update of the kept relationships by element id scanned every relationship once per row, and
  planned on little data, the chunked reload's check of who else states an actor (``<>`` beside
  the seek) scanned the whole ``Statement(actor_id)`` index once per actor."""

from __future__ import annotations

import pytest
from _env import need_shared
from neo4j_fixtures import SentQueries, empty_neo4j_store
from test_remove_source_neo4j import HG, SCANS, SEEKS, SOMME, TIERS_LIEUX, _operators, _state

from maillage.graph import open_store
from maillage.loaders import load_file

# bookkeeping labels of a handful of nodes (the sources; a chunked write's marker and logs)
SMALL = ("Source", "RetiredLog", "PendingLoad", "PendingActors", "PendingLog", "MaillageLock")


def _scans(plan) -> list[str]:
    """The plan's scans, but those of the small bookkeeping labels."""
    op = plan["operatorType"].split("@")[0]
    details = plan.get("args", {}).get("Details", "")
    found = [f"{op} {details}"] if op in SCANS and not details.endswith(tuple(f":{x}" for x in SMALL)) else []
    for child in plan.get("children", []):
        found += _scans(child)
    return found


def _explained(store, queries: list[str]) -> dict[str, list[str]]:
    """Each statement's scans when planned now, on the data there (``replan=force``: not the
    plan cached for it)."""
    out = {}
    with store._driver.session(database=store.database, notifications_min_severity="OFF") as s:  # runs nothing
        for q in queries:
            text = q if q.startswith("CYPHER ") else "CYPHER replan=force " + q
            out[q] = _scans(s.run("EXPLAIN " + text).consume().plan)
    return out


def _reloading(store, path, tmp_path, monkeypatch) -> tuple[list[str], list[int]]:
    """Load ``path`` as source ``hg`` (a reload): the statements ``replace_source`` sent (not the
    loader's reads), the nodes each deleted."""
    write, span = store.replace_source, []

    def recorded(batch):
        span.append(len(sent.sent))
        summary = write(batch)
        span.append(len(sent.sent))
        return summary

    with SentQueries() as sent, monkeypatch.context() as m:
        m.setattr(store, "replace_source", recorded)
        load_file(store, path, source_id="hg", rejects_dir=tmp_path)
    assert None not in sent.nodes_deleted()
    return sent.texts()[span[0]:span[1]], sent.nodes_deleted()[span[0]:span[1]]


def _edition(tmp_path):
    """The Haute-Garonne file without one row in three: a new edition of it (statements, names,
    identifiers and ties that go)."""
    lines = need_shared(*HG).read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / HG[-1]
    path.write_text("".join(lines[:1] + [x for i, x in enumerate(lines[1:]) if i % 3 != 1]), encoding="utf-8")
    return path


@pytest.fixture(params=["one transaction", "chunked"])
def stores(request, neo4j_uri, tmp_path):
    """Neo4j (the reload in one transaction, or in several) and the embedded store, each given
    the tiers-lieux, the Haute-Garonne's subsidies and the Somme's."""
    options = {"tx_rows": 40, "chunk_rows": 60} if request.param == "chunked" else {}
    made = [empty_neo4j_store(neo4j_uri, **options), open_store(":memory:")]
    for s in made:
        for sid, path in (("tiers-lieux", TIERS_LIEUX), ("hg", HG), ("somme", SOMME)):
            load_file(s, need_shared(*path), source_id=sid, rejects_dir=tmp_path)
    yield request.param, made
    for s in made:
        s.close()


def test_reloading_a_source_scans_nothing_and_seeks_nothing_after_deleting_nodes(stores, tmp_path, monkeypatch):
    how, (neo4j, sqlite) = stores
    assert _state(neo4j) == _state(sqlite)
    sent_queries, deleted = [], []
    for path in (_edition(tmp_path), need_shared(*HG)):  # a new edition, then the first one again
        texts, nodes = _reloading(neo4j, path, tmp_path, monkeypatch)
        load_file(sqlite, path, source_id="hg", rejects_dir=tmp_path)
        assert _state(neo4j) == _state(sqlite), path
        assert (neo4j.last_write["transactions"] > 1) == (how == "chunked")
        sent_queries += texts
        deleted += nodes
    assert sum(deleted) > 20  # the statements, names, identifiers of the rows that went
    queries = list(dict.fromkeys(sent_queries))

    if how == "one transaction":  # each reload is one transaction: no lookup by id after a node deletion
        with neo4j._driver.session(database=neo4j.database, notifications_min_severity="OFF") as s:
            ops = {q: _operators(s.run("EXPLAIN " + q).consume().plan) for q in queries}
        seen = 0
        for q, n in zip(sent_queries, deleted):
            if q.startswith("MERGE (l:MaillageLock"):  # the next write
                seen = 0
            assert not (seen and "Unwind" in ops[q] and ops[q] & SEEKS), q
            seen += n
    # each statement as the planner plans it on the data there, then on little data and on an
    # emptied database (the plan of a first run is cached): the element-id ones are planned anew
    # at each run (CYPHER replan=force), the others name their index
    scans = {"there": _explained(neo4j, queries)}
    neo4j.clear()
    load_file(neo4j, need_shared(*HG), source_id="hg", rejects_dir=tmp_path)
    scans["little"] = _explained(neo4j, [q for q in queries if not q.startswith("CYPHER ")])
    neo4j.clear()
    scans["empty"] = _explained(neo4j, [q for q in queries if not q.startswith("CYPHER ")])
    found = {(when, q): s for when, plans in scans.items() for q, s in plans.items() if s}
    assert not found, found
