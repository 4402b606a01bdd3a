"""The 1M-row SCDL benchmark's generator writes a file the SCDL loader reads as SCDL, with the
damage it claims to put in, and its raw-floor worker rewrites every row the load stored
(timings are never asserted: they live in docs/benchmarks.md)."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from maillage.graph import open_store
from maillage.loaders import detect_format, load_file

from _scripts import bench_script


def test_generated_scdl_loads_with_every_row_accounted(tmp_path):
    bench = bench_script("scdl_bench")
    path = bench.generate(2000, seed=3, path=tmp_path / "scdl.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, as portals write it
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert len(rows) == 2000
    empty = sum(1 for r in rows if not r["nomBeneficiaire"] and not r["idBeneficiaire"])
    floats = sum(1 for r in rows if r["idBeneficiaire"].endswith(".0"))
    assert empty > 0 and floats > 0
    assert all("," in r["montant"] for r in rows)  # French decimal comma
    assert detect_format(path) == "scdl"
    with open_store(":memory:") as store:
        rep = load_file(store, path, rejects_dir=tmp_path)
        assert rep.rows_read == 2000 == rep.loaded + rep.merged + rep.rejected
        assert rep.rejected == empty
        assert rep.warnings >= floats  # each damaged SIRET is flagged
        assert store.stats()["relations"] == rep.loaded


def _counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def _rows(db: Path, table: str) -> set[tuple]:
    con = sqlite3.connect(db)
    try:
        return set(con.execute(f"SELECT * FROM {table}"))  # noqa: S608
    finally:
        con.close()


def test_raw_floor_rewrites_every_row_the_load_stored(tmp_path):
    """The raw-floor worker writes, table by table, exactly as many rows as the SCDL load left in
    the store file (counted here with plain SQL on both files), in both of its variants, and
    refuses a store holding rows in a table it would not write."""
    bench = bench_script("scdl_bench")
    path = bench.generate(1500, seed=5, path=tmp_path / "scdl.csv")
    store_db = tmp_path / "store.db"
    with open_store(str(store_db)) as store:
        rep = load_file(store, path, rejects_dir=tmp_path)
    expected = _counts(store_db)
    assert expected["relations"] == rep.loaded > 1000
    load_tables = ("sources", "statements", "names", "identifiers", "actors", "actor_territories", "relations")
    assert all(expected[t] > 0 for t in load_tables)  # the load writes every one of these

    res = bench.worker_raw(store_db, tmp_path, keep=True)
    assert set(res["times"]) == {"plain", "indexes_after"}
    for variant in ("plain", "indexes_after"):
        raw_db = tmp_path / "scdl-raw" / f"raw-{variant}.db"
        got = _counts(raw_db)
        for t in load_tables + ("proposals",):
            assert got[t] == expected[t], (variant, t)
        assert _rows(raw_db, "relations") == _rows(store_db, "relations")
        assert _rows(raw_db, "identifiers") == _rows(store_db, "identifiers")
    assert res["rows"] == sum(expected[t] for t in load_tables + ("proposals",))
    assert res["store_rows"]["relations"] == expected["relations"]

    # the benchmark's own route: a fresh subprocess, JSON back, peak RSS read with os.wait4
    sub = bench._run_worker("raw", store_db, tmp_path / "sub")
    assert sub["raw_rows"]["plain"] == sub["store_rows"] == res["store_rows"]
    assert sub["peak_rss_mib"] > 0

    con = sqlite3.connect(store_db)  # a row the raw floor would not write: it must refuse, not under-count
    con.execute("INSERT INTO runs VALUES ('r1', '2024-01-01', '{}')")
    con.commit()
    con.close()
    with pytest.raises(RuntimeError, match="runs"):
        bench.worker_raw(store_db, tmp_path)


def test_a_long_load_reports_its_rows_as_it_parses_and_writes_them(tmp_path):
    """The parse and write stages of a 25,000-row file say how far they are every 10,000 rows
    (maillage.runtime.report), not only when they start and end: the CLI's bars then move
    during the minutes a million-row file takes. A load without a listener reports nothing."""
    bench = bench_script("scdl_bench")
    path = bench.generate(25_000, seed=5, path=tmp_path / "scdl.csv")
    calls: list[tuple[str, int, int]] = []
    with open_store(":memory:") as store:
        rep = load_file(store, path, rejects_dir=tmp_path, progress=lambda *a: calls.append(a))
        ties = store.stats()["relations"]
    stages = [s for s, _, _ in calls]
    assert stages == sorted(stages, key=["parse", "resolve", "write"].index)  # one stage after the other
    parse = [(d, t) for s, d, t in calls if s == "parse"]
    resolve = [(d, t) for s, d, t in calls if s == "resolve"]
    write = [(d, t) for s, d, t in calls if s == "write"]
    assert [d for d, _ in parse] == [0, 0, 10_000, 20_000, 25_000]
    assert {t for _, t in parse[1:]} == {rep.rows_read} == {25_000}
    assert [d for d, _ in write] == [0, 0, 10_000, 20_000, ties] and {t for _, t in write} == {ties}
    # resolving counts the actor statements, then the ties (every 10,000)
    (total,) = {t for _, t in resolve}
    dones = [d for d, _ in resolve]
    n_actors = dones[-3]  # the last three: ties 0, 10,000 and 20,000, after the statements
    assert dones == sorted(dones) and dones[-4] == n_actors
    assert dones[-3:] == [n_actors, n_actors + 10_000, n_actors + 20_000] and total - n_actors > 20_000
    with open_store(":memory:") as store:  # nobody listening: nothing breaks, nothing is kept
        assert load_file(store, path, rejects_dir=tmp_path).rows_read == 25_000


def test_lean_floor_accounts_for_the_rows_as_the_load_does(tmp_path):
    """The lean floor (a lower bound for a columnar path) is only a fair bound if it does the
    load's work on the rows: the same rows loaded, merged and rejected (a row whose identifier
    a spreadsheet damaged is kept, as the loader keeps it; an identical row is merged)."""
    bench = bench_script("scdl_bench")
    path = bench.generate(3000, seed=7, path=tmp_path / "scdl.csv")
    with path.open("a", encoding="utf-8", newline="") as f:  # the last row again, word for word
        f.write(path.read_text(encoding="utf-8-sig").splitlines()[-1] + "\r\n")
    with open_store(":memory:") as store:
        rep = load_file(store, path, rejects_dir=tmp_path)
    assert rep.merged == 1 and rep.rejected > 0
    lean, vector = bench.worker_lean(path, tmp_path), bench.worker_vector(path, tmp_path)
    for key in ("rows_read", "loaded", "merged", "rejected"):
        assert lean[key] == vector[key] == getattr(rep, key), key
    assert lean["actors"] == vector["actors"] > 300 and lean["db_bytes"] > 0
    assert not (tmp_path / "scdl-lean.db").exists()  # the workers clean up after themselves
    assert not (tmp_path / "scdl-vector.db").exists()


def test_the_two_lean_floors_write_the_same_grants(tmp_path, monkeypatch):
    """Row by row and by columns, the lean floors store the same grants: same ends, dates, years,
    amounts (French amounts with thousands spaces, × share) and row numbers — so their times
    compare the same work."""
    import pyarrow.csv as pcsv

    bench = bench_script("scdl_bench")
    path = bench.generate(8000, seed=11, path=tmp_path / "scdl.csv")
    # Arrow reads it in several blocks: the per-column dictionaries must hold across them
    assert pcsv.read_csv(path, parse_options=pcsv.ParseOptions(delimiter=";")).column(0).num_chunks > 1
    kept: dict[str, list] = {}
    real_write = bench._Lean.write

    def capture(self, db, grants):
        grants = list(grants)
        names = {i: k for k, (i, _) in self.actors.items()}
        strings = {i: s for s, i in self.strings.items()}
        kept[db.name] = sorted((names[g[0]], names[g[1]], *g[2:8], strings[g[8]], g[9], strings[g[10]],
                                strings[g[11]], g[12]) for g in grants)
        real_write(self, db, grants)

    monkeypatch.setattr(bench._Lean, "write", capture)
    bench.worker_lean(path, tmp_path)
    bench.worker_vector(path, tmp_path)
    lean, vector = kept["scdl-lean.db"], kept["scdl-vector.db"]
    assert len(lean) > 7000 and lean == vector
    spaced = [g for g in lean if g[5] is not None and g[5] >= 1000]
    assert spaced and all(isinstance(g[5], float) for g in spaced)  # "26 956,00" read as 26956.0
    halves = [g for g in lean if g[6] == 0.5]
    assert halves and all(g[7] == round(g[5] * 0.5, 2) for g in halves)


def test_party_resolution_resolves_the_parties_the_load_stores(tmp_path):
    """The party-resolution timing is only what a by-columns loader would still pay if it does
    the load's resolution: one statement per distinct party, the same actors after merging."""
    bench = bench_script("scdl_bench")
    path = bench.generate(2000, seed=5, path=tmp_path / "scdl.csv")
    with open_store(":memory:") as store:
        load_file(store, path, rejects_dir=tmp_path)
        stats = store.stats()
    res = bench.worker_resolve(path, tmp_path)
    assert res["parties"] == stats["statements"] and res["actors"] == stats["actors"]
    assert res["parties"] < 2000 / 2  # per party, not per row
    assert not (tmp_path / "scdl-resolve.db").exists()
