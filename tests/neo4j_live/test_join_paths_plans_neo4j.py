"""The paths that take actors apart or together on Neo4j — a load's join, ``undo_join``,
``split_joins``, ``move_statements``, ``remove_source`` of a join's source, a reviewer's detach,
accept and undo, ``forget_person`` — send only statements that find nodes by an index, whatever
the statistics they are planned with (h164).

Defects, seen in the plans of the statements they sent (``EXPLAIN``, never timed):

- an actor left with no statement was deleted, then every ``:Territory`` node read to drop
  those left alone (a scan of the label: one node per commune linked);
- ``forget_person`` deleted the ``:JoinRecord`` nodes naming the person with an ``OR`` of two
  properties, its proposals, decisions, names and identifiers by properties no index holds
  (each a scan of the label);
- statements found by an actor id beside a ``<>``, proposals by their candidate, relationships
  and records by element id without ``replan``: planned on an empty or little database (a plan
  is cached with the statistics of its first run), they scanned their label.

Each statement is planned on the data there, then on an emptied database: the element-id ones
are planned anew at each run (``CYPHER replan=force``), the others name their index."""

from __future__ import annotations

import pytest
from _env import need_shared
from _join_paths import WRITES, files_joining, paths
from neo4j_fixtures import SentQueries, empty_neo4j_store
from test_reload_source_neo4j import _explained
from test_remove_source_neo4j import TIERS_LIEUX

from maillage.graph import open_store
from maillage.loaders import load_file

# what no index can serve, by design: forget's search of the person's name in every free text,
# and the review log undo_accept reads whole (accept_to_undo)
WHOLE = ("=~ $re", "MATCH (d:Decision) WHERE $sid IS NULL OR d.source_id = $sid")


def _run(store, files, folder, monkeypatch) -> dict[str, list[str]]:
    """The statements the store's writes sent on each path (not the loader's reads)."""
    sent_by: dict[str, list[str]] = {}
    for name, do in paths(store, files, folder):
        spans: list[tuple[int, int]] = []
        with SentQueries() as sent, monkeypatch.context() as m:
            for method in WRITES:
                def recorded(*a, _write=getattr(store, method), **k):
                    start = len(sent.sent)
                    try:
                        return _write(*a, **k)
                    finally:
                        spans.append((start, len(sent.sent)))
                m.setattr(store, method, recorded)
            do()
        texts = sent.texts()
        sent_by[name] = [q for a, b in spans for q in texts[a:b]]
        assert sent_by[name], name
    return sent_by


@pytest.fixture()
def stores(neo4j_uri, tmp_path):
    """Neo4j and the embedded store, each given the tiers-lieux (actors linked to communes and
    their territories) and the files of :func:`_join_paths.files_joining`, ``a``, ``b``, ``d``."""
    files = files_joining(tmp_path)
    made = [empty_neo4j_store(neo4j_uri), open_store(":memory:")]
    for s in made:
        load_file(s, need_shared(*TIERS_LIEUX), source_id="tiers-lieux", rejects_dir=tmp_path)
        for n in "abd":
            load_file(s, files[n], rejects_dir=tmp_path / "rejets")
        s.number_persons()
    yield files, made
    for s in made:
        s.close()


def test_taking_actors_apart_or_together_scans_no_label(stores, tmp_path, monkeypatch):
    files, (neo4j, sqlite) = stores
    sent = _run(neo4j, files, tmp_path, monkeypatch)
    for _, do in paths(sqlite, files, tmp_path):
        do()
    assert sorted(a.id for a in neo4j.iter_actors(include_persons=True)) == \
        sorted(a.id for a in sqlite.iter_actors(include_persons=True))
    queries = list(dict.fromkeys(q for qs in sent.values() for q in qs if not any(w in q for w in WHOLE)))
    scans = {"there": _explained(neo4j, queries)}
    neo4j.clear()
    scans["empty"] = _explained(neo4j, [q for q in queries if not q.startswith("CYPHER ")])
    # the analysis runs: a handful of nodes, as the sources
    found = {(when, q): s for when, plans in scans.items() for q, s in plans.items()
             if [x for x in s if not x.endswith(":Run")]}
    where = {q: [n for n, qs in sent.items() if q in qs] for _, q in found}
    assert not found, "\n".join(f"{when} {where[q]} {s}: {q}" for (when, q), s in found.items())
