"""Removing analysis runs from Neo4j (``Neo4jStore.delete_runs``), on a live Neo4j: the run goes
in one transaction, its Metric nodes in transactions of ``chunk_rows`` (a nation-scale run holds
millions); a removal cut short between them leaves no run half there, and the next removal
deletes what it left. The store API itself is checked by the conformance suite."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from neo4j_fixtures import empty_neo4j_store

from maillage.graph.store import AnalysisRun


def _metrics_of(s, run_id: str) -> int:
    return s.run_cypher("MATCH (m:Metric {run_id: $id}) RETURN count(m) AS n", id=run_id)[0]["n"]


def _writes(s) -> int:
    return s.run_cypher("MATCH (l:MaillageLock) RETURN l.n AS n")[0]["n"]


def _two_runs(s) -> None:
    s.save_run(AnalysisRun(id="run-1", created_at=datetime(2026, 1, 1, tzinfo=timezone.utc)),
               [(f"x{i:02d}", "degree", float(i)) for i in range(10)])
    s.save_run(AnalysisRun(id="run-2", created_at=datetime(2026, 1, 2, tzinfo=timezone.utc)),
               [("x00", "degree", 9.0), ("x01", "degree", 8.0)])


def test_a_run_s_metrics_go_in_transactions_of_chunk_rows(neo4j_uri):
    with empty_neo4j_store(neo4j_uri, chunk_rows=3) as s:
        _two_runs(s)
        before = _writes(s)
        assert s.delete_runs(["run-1"]) == {"run-1": 10}
        # the run; 4 transactions of at most 3 metrics (3, 3, 3, 1); the bookkeeping's end
        assert _writes(s) - before == 6
        assert _metrics_of(s, "run-1") == 0 and _metrics_of(s, "run-2") == 2
        assert s.run_cypher("MATCH (m:MaillageMeta {key: 'runs_being_removed'}) RETURN m") == []


def test_a_removal_cut_short_leaves_no_half_run_and_the_next_removal_finishes_it(neo4j_uri):
    with empty_neo4j_store(neo4j_uri, chunk_rows=3) as s:
        _two_runs(s)
        write = s._write
        sweeps = []

        def dies_after_one_sweep(work, *args, **kw):  # the client dies after its first batch of metrics
            if work.__name__ == "sweep":
                sweeps.append(1)
                if len(sweeps) > 1:
                    raise KeyboardInterrupt
            return write(work, *args, **kw)

        s._write = dies_after_one_sweep
        with pytest.raises(KeyboardInterrupt):
            s.delete_runs(["run-1"])
        s._write = write
        # the run is gone for every read; 7 of its metrics are left, unreachable
        assert [r.id for r in s.runs()] == ["run-2"] and _metrics_of(s, "run-1") == 7
        assert s.metrics() == {"x00": {"degree": 9.0}, "x01": {"degree": 8.0}}

    with _open(neo4j_uri) as s:  # another client, later
        s.save_run(AnalysisRun(id="run-3"), [("x00", "degree", 1.0)])
        assert s.delete_runs(["run-3"]) == {"run-3": 1}  # counts only its own metrics
        assert _metrics_of(s, "run-1") == 0 and _metrics_of(s, "run-3") == 0 and _metrics_of(s, "run-2") == 2
        assert s.run_cypher("MATCH (m:MaillageMeta {key: 'runs_being_removed'}) RETURN m") == []
        assert [r.id for r in s.runs()] == ["run-2"]


def _open(uri):
    """A second client on the same database (not emptied)."""
    from maillage.graph.neo4j_store import Neo4jStore

    return Neo4jStore(uri)
