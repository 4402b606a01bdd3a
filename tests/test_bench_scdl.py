"""The 1M-row SCDL benchmark's generator writes a file the SCDL loader reads as SCDL, with the
damage it claims to put in (timings are never asserted: they live in docs/benchmarks.md)."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

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
