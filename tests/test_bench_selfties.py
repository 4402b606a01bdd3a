"""The self-funding benchmark's files are what it says: every row of *self* ties the attribuant
to itself (one warning a row, kept; FtM self-memberships too), every row of *others* funds a distinct bénéficiaire
(timings are never asserted: they live in docs/benchmarks.md)."""

from __future__ import annotations

from maillage.graph import open_store
from maillage.loaders import load_file

from _scripts import bench_script



def _loaded(write, path, rows: int, itself: bool):
    """The load report and the store's counts of a benchmark file written by ``write``."""
    write(path, rows, itself)
    with open_store(":memory:") as store:
        return load_file(store, path, rejects_dir=path.parent), store.stats()


def test_self_rows_each_tie_the_attribuant_to_itself_once(tmp_path):
    bench = bench_script("selfties_bench")
    for itself in (True, False):
        rep, stats = _loaded(bench.write, tmp_path / f"{itself}.csv", 40, itself)
        assert rep.rows_read == rep.loaded == 40 and rep.rejected == 0
        assert rep.warnings == (40 if itself else 0)  # its own bénéficiaire: flagged once a row, not twice
        assert stats["actors"] == (1 if itself else 41)
    assert bench.worker(tmp_path / "True.csv")["loaded"] == 40


def test_ftm_self_memberships_are_each_kept_with_one_warning_and_the_others_loaded(tmp_path):
    bench = bench_script("selfties_bench")
    for itself in (True, False):
        rep, _ = _loaded(bench.write_ftm, tmp_path / f"{itself}.jsonl", 30, itself)
        assert rep.rows_read == rep.loaded + rep.merged + rep.rejected
        if itself:  # one organisation and each Membership in itself loaded, each flagged once
            assert (rep.loaded, rep.rejected, rep.warnings) == (31, 0, 30)
            rows = [line.split(";")[1] for line in (tmp_path / "True.rejects.csv").read_text(
                encoding="utf-8-sig").splitlines()[1:]]
            assert len(rows) == len(set(rows)) == 30
        else:
            assert (rep.loaded, rep.rejected) == (61, 0)
