"""The forget benchmark's store holds what it claims: the person named in one SCDL row in 500 and in the
governance file's free text, found and erased by ``forget_person``, and a one-row source that
``remove_source`` takes (timings are never asserted: they live in docs/benchmarks.md)."""

from __future__ import annotations

import csv

from _scripts import bench_script


def test_the_bench_store_names_the_person_where_it_says(tmp_path):
    bench = bench_script("forget_bench")
    scdl, governance, one = bench.files(1500, seed=2, folder=tmp_path / "files")
    with scdl.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    named = [r for r in rows if bench.PERSON in r["objet"]]
    assert len(rows) == 1500 and len(named) == 1500 // bench.NAMED_EVERY
    built = bench.worker_build(1500, 2, tmp_path)
    assert built["relations"] > 1400
    forget = bench.worker_op("forget", tmp_path, built["person"])
    assert forget["relations"] == 1 and forget["texts"] >= len(named) + 3  # the SCDL rows, the file's notes and quotes
    removed = bench.worker_op("remove", tmp_path, built["one_row"])
    assert removed["relations"] == built["relations"] - 1
