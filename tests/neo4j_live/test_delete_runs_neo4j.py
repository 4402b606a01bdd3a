"""Removing analysis runs from Neo4j (``Neo4jStore.delete_runs``), on a live Neo4j: the run goes
in one transaction, its Metric nodes in transactions of ``chunk_rows`` (a nation-scale run holds
millions); a removal cut short between them leaves no run half there, and the next removal
deletes what it left — removing the same run again, as a user retries, included. The store API
itself is checked by the conformance suite."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from neo4j_fixtures import empty_neo4j_store
from typer.testing import CliRunner

from maillage.cli import app
from maillage.graph.store import AnalysisRun, StoreError


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

        def interrupted(n):  # Ctrl-C once the first batch of metrics is committed
            raise KeyboardInterrupt

        s.after_metric_batch = interrupted
        with pytest.raises(KeyboardInterrupt):
            s.delete_runs(["run-1"])
        # the run is gone for every read; 7 of its metrics are left, unreachable
        assert [r.id for r in s.runs()] == ["run-2"] and _metrics_of(s, "run-1") == 7
        assert s.metrics() == {"x00": {"degree": 9.0}, "x01": {"degree": 8.0}}

    with _open(neo4j_uri) as s:  # another client, later
        assert [r.id for r in s.runs()] == ["run-2"] and s.runs_being_removed() == ["run-1"]
        s.save_run(AnalysisRun(id="run-3"), [("x00", "degree", 1.0)])
        assert s.delete_runs(["run-3"]) == {"run-3": 1}  # counts only its own metrics
        assert _metrics_of(s, "run-1") == 0 and _metrics_of(s, "run-3") == 0 and _metrics_of(s, "run-2") == 2
        assert s.run_cypher("MATCH (m:MaillageMeta {key: 'runs_being_removed'}) RETURN m") == []
        assert [r.id for r in s.runs()] == ["run-2"] and s.runs_being_removed() == []


def _cut_short(uri: str) -> None:
    """run-1 and run-2 stored; the removal of run-1 loses its connection to Neo4j once the first
    of its four transactions of metrics (3 of 10) is committed."""
    with empty_neo4j_store(uri, chunk_rows=3) as s:
        _two_runs(s)
        batches = []

        def connection_lost(n):
            batches.append(n)
            s._driver.close()  # the next transaction finds no connection

        s.after_metric_batch = connection_lost
        with pytest.raises(StoreError) as e:
            s.delete_runs(["run-1"])
        assert batches == [3] and _count(uri, "run-1") == 7
    assert e.value.args[0].endswith("the removal of run-1 was cut short (the runs are gone, some of their metrics "
                                    "remain): `maillage runs --remove run-1` finishes it")


def test_removing_the_same_run_again_finishes_a_removal_cut_short(neo4j_uri):
    """The retry a user makes: `maillage runs --remove ID` with the id of the removal that was cut
    short. It was refused (« aucune analyse « run-1 » »), its run being gone, and the leftover
    metrics stayed until some other removal."""
    _cut_short(neo4j_uri)
    r = run_cli(neo4j_uri, "runs", "run-1")
    assert r.exit_code == 1 and "son retrait a été interrompu" in " ".join(r.output.split())
    with _open(neo4j_uri) as s:  # a store opened afresh shows no half run either
        assert [x.id for x in s.runs()] == ["run-2"] and s.stats()["runs"] == 1
        assert s.runs_being_removed() == ["run-1"]

    said = cli(neo4j_uri, "runs", "--remove", "run-1")  # nothing more to lose: not asked again
    assert said.splitlines() == ["retrait de l'analyse run-1 terminé (7 mesures restantes supprimées)"]
    assert _count(neo4j_uri, "run-1") == 0 and _count(neo4j_uri, "run-2") == 2
    with _open(neo4j_uri) as s:
        assert s.runs_being_removed() == [] and [x.id for x in s.runs()] == ["run-2"]
        assert s.run_cypher("MATCH (m:MaillageMeta {key: 'runs_being_removed'}) RETURN m") == []
        assert s.metrics("run-2") == {"x00": {"degree": 9.0}, "x01": {"degree": 8.0}}
    r = run_cli(neo4j_uri, "runs", "--remove", "run-1", "--yes")  # done: now an unknown run
    assert r.exit_code == 1 and "aucune analyse « run-1 »" in r.output and _count(neo4j_uri, "run-2") == 2


def test_finishing_a_removal_cut_short_in_json_and_beside_a_run(neo4j_uri):
    _cut_short(neo4j_uri)
    done = json.loads(cli(neo4j_uri, "runs", "--remove", "run-1", "run-2", "--yes", "--json"))
    assert done == [{"id": "run-1", "created_at": None, "metrics": 7, "resumed": True},
                    {"id": "run-2", "created_at": "2026-01-02T00:00:00+00:00", "metrics": 2}]
    assert _count(neo4j_uri, "run-1") == 0 and _count(neo4j_uri, "run-2") == 0
    assert json.loads(cli(neo4j_uri, "runs", "--json")) == []


def test_a_run_saved_under_the_id_of_a_removal_cut_short_holds_only_its_own_metrics(neo4j_uri):
    """The leftover metrics of a removed run would have joined a new run of the same id, and the
    next removal's sweep would then have deleted the new run's metrics with them."""
    _cut_short(neo4j_uri)
    with _open(neo4j_uri) as s:
        s.save_run(AnalysisRun(id="run-1"), [("y", "degree", 1.0)])
        assert s.metrics("run-1") == {"y": {"degree": 1.0}} and s.runs_being_removed() == []
        assert s.delete_runs(["run-2"]) == {"run-2": 2} and s.metrics("run-1") == {"y": {"degree": 1.0}}


def _count(uri: str, run_id: str) -> int:
    with _open(uri) as s:
        return _metrics_of(s, run_id)


def run_cli(uri: str, *args):
    return CliRunner().invoke(app, ["--store", uri, *args])


def cli(uri: str, *args) -> str:
    r = run_cli(uri, *args)
    assert r.exit_code == 0, r.output
    return r.output


def _open(uri):
    """A second client on the same database (not emptied)."""
    from maillage.graph.neo4j_store import Neo4jStore

    return Neo4jStore(uri)


# ---------------------------------------------------------------------------------------------
# a removal cut short is finished by the next write that touches runs, or by `maillage runs`

def _crashed(uri: str, **kw):
    """What a removal killed between its transactions leaves (written directly, as a crash would
    leave it): run-2 stored; run-1's Run node gone, 5 of its Metric nodes left, and its id on the
    ``runs_being_removed`` marker. Returns the store (a new client)."""
    s = empty_neo4j_store(uri, **kw)
    s.save_run(AnalysisRun(id="run-2", created_at=datetime(2026, 1, 2, tzinfo=timezone.utc)),
               [("x00", "degree", 9.0), ("x01", "degree", 8.0)])
    s._write(lambda tx: tx.run("UNWIND range(0, 4) AS i CREATE (:Metric {run_id: 'run-1', actor_id: 'x' + i, "
                               "name: 'degree', value: toFloat(i)}) "
                               "MERGE (m:MaillageMeta {key: 'runs_being_removed'}) SET m.value = ['run-1']").consume())
    assert s.runs_being_removed() == ["run-1"] and _metrics_of(s, "run-1") == 5
    return s


def _nothing_pending(s) -> None:
    assert _metrics_of(s, "run-1") == 0 and s.runs_being_removed() == []
    assert s.run_cypher("MATCH (m:MaillageMeta {key: 'runs_being_removed'}) RETURN m") == []
    assert s.metrics("run-2") == {"x00": {"degree": 9.0}, "x01": {"degree": 8.0}}


def test_saving_a_run_finishes_a_removal_cut_short(neo4j_uri):
    """The leftover metrics stayed until someone removed that id again or another run: an
    analysis saved meanwhile left them there."""
    with _crashed(neo4j_uri, chunk_rows=2) as s:
        s.save_run(AnalysisRun(id="run-3"), [("y", "degree", 1.0)])
        _nothing_pending(s)
        assert s.metrics("run-3") == {"y": {"degree": 1.0}} and [r.id for r in s.runs()] == ["run-2", "run-3"]


def test_finish_run_removals_counts_what_it_deleted_and_is_one_read_when_nothing_is_pending(neo4j_uri):
    with _crashed(neo4j_uri, chunk_rows=2) as s:
        writes = _writes(s)
        assert s.finish_run_removals() == {"run-1": 5}
        assert _writes(s) - writes == 4  # 3 transactions of at most 2 metrics; the marker's end
        _nothing_pending(s)
        writes = _writes(s)
        reads = s.reads
        assert s.finish_run_removals() == {} and s.reads - reads == 1 and _writes(s) == writes


def test_listing_the_runs_finishes_a_removal_cut_short_and_says_so(neo4j_uri):
    """`maillage runs` said the removal was cut short and how to finish it; it now finishes it."""
    _crashed(neo4j_uri).close()
    listed = cli(neo4j_uri, "runs")
    assert [x for x in listed.splitlines() if x.startswith("run-")] == ["run-2"]
    assert ("remarque : le retrait interrompu de l'analyse run-1 est terminé (5 mesures restantes supprimées)"
            in " ".join(listed.split()))
    with _open(neo4j_uri) as s:
        _nothing_pending(s)
    again = cli(neo4j_uri, "runs")  # nothing left to say
    assert "remarque" not in again and [x for x in again.splitlines() if x.startswith("run-")] == ["run-2"]
    _crashed(neo4j_uri).close()
    en = cli(neo4j_uri, "--lang", "en", "runs")
    assert ("note: the removal of analysis run run-1, cut short earlier, is finished (5 remaining metric values "
            "deleted)") in " ".join(en.split())
    _crashed(neo4j_uri).close()
    assert [r["id"] for r in json.loads(cli(neo4j_uri, "runs", "--json"))] == ["run-2"]
    with _open(neo4j_uri) as s:
        _nothing_pending(s)


def test_keep_with_nothing_to_remove_finishes_a_removal_cut_short(neo4j_uri):
    _crashed(neo4j_uri).close()
    said = " ".join(cli(neo4j_uri, "runs", "--keep", "3", "--yes").split())
    assert "le retrait interrompu de l'analyse run-1 est terminé (5 mesures restantes supprimées)" in said
    assert "rien à retirer : --keep 3 garde la seule analyse de la base" in said
    with _open(neo4j_uri) as s:
        _nothing_pending(s)
    _crashed(neo4j_uri).close()
    assert json.loads(cli(neo4j_uri, "runs", "--keep", "3", "--json")) == [
        {"id": "run-1", "created_at": None, "metrics": 5, "resumed": True}]
    with _open(neo4j_uri) as s:
        _nothing_pending(s)


def test_a_listing_that_cannot_write_still_says_how_to_finish(neo4j_uri):
    """A load in several transactions holds the store (or the user may only read): the runs are
    listed all the same, with how to finish the removal."""
    with _crashed(neo4j_uri) as s:  # another client's chunked load, alive (its heartbeat is fresh)
        s._write(lambda tx: tx.run("CREATE (:PendingLoad {id: 'load', wn: 999, source: 'autre', "
                                   "heartbeat: datetime()})").consume())
    listed = " ".join(cli(neo4j_uri, "runs").split())
    assert "run-2" in listed
    assert ("remarque : le retrait de l'analyse run-1 a été interrompu : elle n'est plus listée, mais une partie de "
            "ses mesures reste dans la base ; « maillage runs --remove run-1 » le termine") in listed
    with _open(neo4j_uri) as s:
        assert s.runs_being_removed() == ["run-1"] and _metrics_of(s, "run-1") == 5
