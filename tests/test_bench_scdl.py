"""The 1M-row SCDL benchmark's generator writes a file the SCDL loader reads as SCDL, with the
damage it claims to put in, and its raw-floor worker rewrites every row the load stored
(timings are never asserted: they live in docs/benchmarks.md)."""

from __future__ import annotations

import csv
import importlib.util
import sqlite3
from pathlib import Path

import pytest

from maillage.graph import open_store
from maillage.loaders import detect_format, load_file

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("scdl_bench", ROOT / "bench" / "scdl_bench.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_scdl_loads_with_every_row_accounted(tmp_path):
    bench = _bench()
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
    bench = _bench()
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
