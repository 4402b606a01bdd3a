"""The paths that take actors apart or together on the embedded store (tests/_join_paths.py: a
load's join, ``undo_join``, ``split_joins``, ``move_statements``, ``remove_source``, detach,
accept, undo, ``forget_person``) find the rows they read, update or delete by an index
(``EXPLAIN QUERY PLAN``: ``SEARCH … USING INDEX``, never ``SCAN`` of a table), h164.

Defects seen in those plans: ``undo_join`` read the ``joins`` table by ``into_id`` and
``forget_person`` deleted from it by ``actor_id OR into_id`` (no index on either: a scan of every
join recorded); a join, a move and ``forget_person`` updated or deleted the proposals naming an
actor (``candidate_id``, no index); ``forget_person`` deleted the person's names, identifiers,
metrics and decisions by ``actor_id`` (none of their indexes starts with it); a statement moved
had its names and identifiers found by its source alone (``names_source`` held ``source_id``
only: every name of the source read, for each statement moved)."""

from __future__ import annotations

import re

from _env import need_shared
from _join_paths import WRITES, files_joining, paths

from maillage.graph import open_store
from maillage.loaders import load_file

TIERS_LIEUX = ("realdata", "tiers-lieux-numerique", "03_tiers_lieux.csv")
# a handful of rows (sources, runs, the store's settings); by design read whole: forget's search
# of the person's name in every free text (maillage_may_hold, and its paging), and the review
# log undo_accept reads whole (accept_to_undo)
SMALL = {"sources", "runs", "meta"}
WHOLE = ("maillage_may_hold", "WHERE 1", "SELECT count(*) FROM ", "FROM decisions ORDER BY seq")


def _plan(db, sql: str) -> list[str]:
    return [d for *_, d in db.execute("EXPLAIN QUERY PLAN " + sql)]


def _scans(db, sql: str) -> list[str]:
    """The tables ``sql`` reads whole, by its plan."""
    return [d for d in _plan(db, sql)
            if d.startswith("SCAN ") and d.split()[1] not in SMALL and "USING INDEX actors_persons" not in d]


def test_taking_actors_apart_or_together_scans_no_table(tmp_path, monkeypatch):
    files = files_joining(tmp_path)
    store = open_store(":memory:")
    load_file(store, need_shared(*TIERS_LIEUX), source_id="tiers-lieux", rejects_dir=tmp_path)
    for n in "abd":
        load_file(store, files[n], rejects_dir=tmp_path / "rejets")
    store.number_persons()
    sent: dict[str, list[str]] = {}
    for method in WRITES:  # what the store's writes send (not the loader's reads)
        def traced(*a, _write=getattr(store, method), **k):
            store.db.set_trace_callback(seen.append)
            try:
                return _write(*a, **k)
            finally:
                store.db.set_trace_callback(None)
        monkeypatch.setattr(store, method, traced)
    for name, do in paths(store, files, tmp_path):
        seen: list[str] = []
        do()
        sent[name] = [q for q in seen if re.match(r"\s*(SELECT|UPDATE|DELETE|WITH)\b", q)
                      and not any(w in q for w in WHOLE)]
    assert any("FROM joins WHERE into_id" in q for q in sent["undo_join"])
    assert sum(len(qs) for qs in sent.values()) > 100
    found = {(name, q): s for name, qs in sent.items() for q in qs if (s := _scans(store.db, q))}
    assert not found, "\n".join(f"{name} {s}: {q}" for (name, q), s in found.items())
    # a statement's names and identifiers, found by (source, statement key): not every name of its
    # source read per statement moved (a big source's statements moved one by one)
    by_key = [q for qs in sent.values() for q in qs if "stmt_key=" in q]
    assert any(q.startswith("UPDATE names") for q in by_key)
    plans = {q: _plan(store.db, q) for q in by_key}
    partial = {q: plan for q, plan in plans.items() if not any("stmt_key=?" in d for d in plan)}
    assert not partial, partial
    store.close()
