"""Crash consistency of the embedded store: SIGKILL during a load and during an analysis write-back.

The CI slice of ``scripts/crash_consistency.py`` (the long campaign, ``docs/reliability.md``):
a child process loads a ``pole``-scale synthetic ecosystem (500 actors, 3,000 relations: big
enough for the store's bulk path, which drops and rebuilds indexes inside the transaction)
into a store holding the reference dataset, or writes an analysis run (metrics only, ~25,000
rows) beside an earlier one, and is SIGKILLed at 8 (load) and 4 (analysis) kill points from a
fixed seed. After each kill the reopened store must *be* the state before or the state after
(canonical dump of every table; load timestamps aside) and pass ``PRAGMA integrity_check``,
and running the operation again must give the state after; that loading once more changes
nothing is checked on the state after (the campaign checks it after every kill point).

``step`` kill points are exact, not timed: the child SIGKILLs itself at the k-th SQLite
progress callback inside the write, so they always land inside the transaction; with a
256 KiB page cache (``spill``) the transaction's pages are already in the ``-wal`` file when
it dies, and the reopen must ignore those uncommitted frames.

The checker itself is shown to fail on torn stores built by hand (rows of half a load,
relations without their actors, a run with missing metric rows, metric rows without their
run, a run beside another change). An index dropped by the bulk path and never rebuilt could
not survive anyway: the store re-creates missing indexes when it opens.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from _jsonl import actor, write_jsonl

from maillage.graph import open_store
from maillage.loaders import load_file

from _scripts import crash_script

_script = crash_script


cc = _script()
LOAD_SEED, ANALYSIS_SEED = 7, 3  # plans with timed, step and spilled-step kill points (see kill_plan)


def _quiet(_msg: str) -> None:
    pass


def _check_common(res, n: int) -> dict:
    s = res.summary()
    assert s["failures"] == [], s["failures"]
    assert len(res.points) == n
    assert {p["outcome"] for p in res.points} <= {"before", "after"}
    assert s["integrity_ok"] == n
    assert s["rerun_ok"] == n
    start = res.points[0]
    assert start["mode"] == "start" and start["killed"] and start["outcome"] == "before"
    steps = [p for p in res.points if p["mode"] == "step"]
    assert steps, "the plan has exact kill points inside the write"
    for p in steps:  # killed inside the transaction, before its commit: always the state before
        assert p["killed"] and p["landed"] == "in-write" and p["outcome"] == "before", p
    # uncommitted frames were in the WAL when the process died, and the reopen ignored them
    assert any((p["files"].get("db-wal") or 0) > 0 and p["outcome"] == "before" for p in steps if p["spill"])
    # a reopened and closed store leaves no -wal behind
    assert s["wal_after_kill"]["left_after_reopen_and_close"] == 0
    return s


def test_a_load_killed_anywhere_leaves_the_store_before_or_after_it(tmp_path):
    res = cc.run_phase(cc.SQLiteTarget(tmp_path / "sqlite"), "load", 8, LOAD_SEED, "pole", tmp_path,
                       base="reference", say=_quiet, second_run=False)
    s = _check_common(res, 8)
    assert s["s1"]["actors"] > s["s0"]["actors"] and s["s1"]["relations"] - s["s0"]["relations"] >= 2000
    assert s["idempotent"] is True  # loading again on the state after changes nothing
    assert s["kill_points"]["landed"].get("in-write", 0) >= 3


def test_an_analysis_killed_anywhere_stores_a_complete_run_or_none(tmp_path):
    res = cc.run_phase(cc.SQLiteTarget(tmp_path / "sqlite"), "analyse", 4, ANALYSIS_SEED, "ci", tmp_path,
                       base="reference", diagnostics=False, say=_quiet)
    s = _check_common(res, 4)
    assert s["s0"]["runs"] == 1 and s["s1"]["runs"] == 2 and s["s1"]["metrics"] > 2 * s["s0"]["actors"]


# -- the checker fails on torn stores --------------------------------------------------------------

@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """S0 (a base ecosystem), S1 (plus a second one) and S2 (S1 plus two analysis runs) as files."""
    d = tmp_path_factory.mktemp("torn")
    base, first = cc.ecosystem("ci", 3, d), cc.ecosystem("ci", 1, d)
    paths = {k: d / f"{k}.db" for k in ("s0", "s1", "s2")}
    with open_store(str(paths["s0"])) as s:
        load_file(s, base, source_id=cc.BASE_SOURCE_ID)
    shutil.copyfile(paths["s0"], paths["s1"])
    with open_store(str(paths["s1"])) as s:
        load_file(s, first, source_id=cc.SOURCE_ID)
    shutil.copyfile(paths["s1"], paths["s2"])
    from maillage.analytics.run import analyse

    with open_store(str(paths["s2"])) as s:
        analyse(s, diagnostics=False)
    shutil.copyfile(paths["s2"], d / "s2-one-run.db")
    with open_store(str(paths["s2"])) as s:
        analyse(s, diagnostics=False)
    paths["s2-one-run"] = d / "s2-one-run.db"
    return d, paths


def _torn(d: Path, start: Path, sql: list[str], attach: Path | None = None) -> Path:
    out = d / f"torn-{len(list(d.glob('torn-*.db')))}.db"
    shutil.copyfile(start, out)
    db = sqlite3.connect(out)
    if attach:
        db.execute("ATTACH DATABASE ? AS other", (str(attach),))
    for q in sql:
        db.execute(q)
    db.commit()
    db.close()
    return out


def test_the_dump_tells_a_half_written_load_from_before_and_after(small):
    d, p = small
    s0, _ = cc.sqlite_dump(p["s0"])
    s1, _ = cc.sqlite_dump(p["s1"])
    assert s0 != s1
    # the statements and the source row of the new source, nothing else (no actors, no relations)
    half = _torn(d, p["s0"], [f"INSERT INTO statements SELECT * FROM other.statements WHERE source_id='{cc.SOURCE_ID}'",
                              f"INSERT INTO sources SELECT * FROM other.sources WHERE id='{cc.SOURCE_ID}'"], p["s1"])
    torn, _ = cc.sqlite_dump(half)
    assert torn not in (s0, s1)
    diff = cc.dump_diff(torn, s0)
    assert set(diff) == {"table:statements", "table:sources"} and diff["table:statements"]["only_a"] == 150
    # the relations of the new source without its actors: the dump says so, table by table
    rels = _torn(d, p["s0"], [f"INSERT INTO relations SELECT * FROM other.relations WHERE source_id='{cc.SOURCE_ID}'"],
                 p["s1"])
    torn, _ = cc.sqlite_dump(rels)
    assert torn not in (s0, s1) and set(cc.dump_diff(torn, s1)) >= {"table:actors", "table:statements"}
    # an index the bulk path dropped and never rebuilt would not survive a reopen either: the
    # store re-creates missing indexes when it opens (CREATE INDEX IF NOT EXISTS)
    no_index = _torn(d, p["s1"], ["DROP INDEX relations_src"])
    assert cc.sqlite_dump(no_index)[0] == s1


def test_the_run_check_tells_a_partial_run_from_none_and_a_complete_one(small):
    d, p = small
    target = cc.SQLiteTarget(d / "unused")
    s0, _ = cc.sqlite_dump(p["s2-one-run"])
    s1, _ = cc.sqlite_dump(p["s2"])
    _, runs0, _ = cc._run_rows(target, s0)
    _, runs1, metrics1 = cc._run_rows(target, s1)
    (new,) = set(runs1) - set(runs0)
    reference = (metrics1[new], runs1[new])
    assert cc.classify_analysis(target, s0, s0, reference)[0] == "before"
    assert cc.classify_analysis(target, s1, s0, reference)[0] == "after"
    # one actor's rows of the new run missing
    half = _torn(d, p["s2"], [f"DELETE FROM metrics WHERE run_id='{new}' AND actor_id = "
                              f"(SELECT MIN(actor_id) FROM metrics WHERE run_id='{new}')"])
    outcome, why, _ = cc.classify_analysis(target, cc.sqlite_dump(half)[0], s0, reference)
    assert outcome == "partial" and "metric rows" in why
    orphans = _torn(d, p["s2"], [f"DELETE FROM runs WHERE id='{new}'"])
    outcome, why, _ = cc.classify_analysis(target, cc.sqlite_dump(orphans)[0], s0, reference)
    assert outcome == "partial" and "of no run" in why
    # a complete run, but something else changed too
    changed = _torn(d, p["s2"], ["DELETE FROM actor_territories WHERE actor_id = "
                                 "(SELECT MIN(actor_id) FROM actor_territories)"])
    assert cc.classify_analysis(target, cc.sqlite_dump(changed)[0], s0, reference)[0] == "partial"


def test_loading_a_changed_file_twice_changes_nothing(tmp_path):
    base = write_jsonl(tmp_path / "base.jsonl", [actor("c", "Cigales", "network", "tete_de_reseau")])
    v1 = write_jsonl(tmp_path / "v1.jsonl", [actor("k1", "Association Cigale", "ess", "association",
                                                   location="commune:31311",
                                                   identifiers=[{"scheme": "siren", "value": "364059741"}])])
    v2 = write_jsonl(tmp_path / "v2.jsonl", [actor("k1", "Association Cigale", "ess", "association",
                                                   location="commune:31215",
                                                   identifiers=[{"scheme": "siren", "value": "471161059"}])])
    path = tmp_path / "store.db"
    with open_store(str(path)) as s:
        load_file(s, base, source_id="base")
        load_file(s, v1, source_id="x")
        load_file(s, v2, source_id="x")
    once, _ = cc.sqlite_dump(path)
    with open_store(str(path)) as s:
        load_file(s, v2, source_id="x")
    twice, _ = cc.sqlite_dump(path)
    assert cc.dump_diff(twice, once) == {}
