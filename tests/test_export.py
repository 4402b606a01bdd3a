"""`maillage export --format csv`: actor metrics of a run, read back and compared with the store."""

from __future__ import annotations

import csv
import json
import math

import pytest
from typer.testing import CliRunner

from maillage.analytics.run import analyse
from maillage.api.exports import ACTOR_COLUMNS, METRIC_COLUMNS, metrics_csv, safe_text
from maillage.cli import app
from maillage.graph import open_store
from maillage.graph.store import AnalysisRun, NotFound
from maillage.loaders import load_file, load_reference


def _read(path, delimiter=","):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


@pytest.fixture(scope="module")
def reference_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "ref.db"
    with open_store(str(path)) as s:
        load_reference(s)
        analyse(s)
    return path


def test_csv_columns_and_values_match_the_run(reference_db, tmp_path):
    out = tmp_path / "m.csv"
    result = CliRunner().invoke(app, ["--store", str(reference_db), "export", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = _read(out)
    header = rows[0]
    assert header[:len(ACTOR_COLUMNS)] == list(ACTOR_COLUMNS)
    assert header[len(ACTOR_COLUMNS):len(ACTOR_COLUMNS) + len(METRIC_COLUMNS)] == list(METRIC_COLUMNS)
    with open_store(str(reference_db)) as s:
        run = s.runs()[-1]
        values = {k: m for k, m in s.metrics(run.id).items() if "degree" in m}  # actors, not diagnostics
        persons = {a.id for a in s.iter_actors(include_persons=True) if a.personal_data}
    assert len(rows) - 1 == len(values) and f"{len(values)} actors" in result.output
    ids = {r[0] for r in rows[1:]}
    assert ids == set(values) and not ids & persons
    col = {name: i for i, name in enumerate(header)}
    for r in rows[1:]:
        for name in ("degree", "betweenness", "pagerank"):
            expected = values[r[0]].get(name)
            if expected is None or (isinstance(expected, float) and math.isnan(expected)):
                assert r[col[name]] == ""
            else:
                assert float(r[col[name]]) == pytest.approx(expected, rel=1e-12)


def test_french_spreadsheet_variant(reference_db, tmp_path):
    out = tmp_path / "m.csv"
    with open_store(str(reference_db)) as s:
        metrics_csv(s, out, delimiter=";", decimal_comma=True)
    rows = _read(out, ";")
    pr = rows[0].index("pagerank")
    cells = [r[pr] for r in rows[1:] if r[pr]]
    assert cells and all("," in c and "." not in c for c in cells if not c.isdigit())
    with pytest.raises(ValueError, match="delimiter"):
        with open_store(str(reference_db)) as s:
            metrics_csv(s, tmp_path / "x.csv", decimal_comma=True)


def test_formula_cells_are_neutralised(tmp_path):
    src = tmp_path / "hostile.jsonl"
    recs = [{"record": "header", "format": "maillage-jsonl", "version": 1},
            {"record": "actor", "key": "a", "name": "=HYPERLINK(\"http://evil\")", "family": "ess",
             "provenance": {"document": "d", "locator": "L1"}},
            {"record": "actor", "key": "b", "name": "+33 Coop", "family": "ess",
             "provenance": {"document": "d", "locator": "L2"}},
            {"record": "relation", "type": "cooperates", "source": "a", "target": "b",
             "provenance": {"document": "d", "locator": "L3"}}]
    src.write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    with open_store(str(tmp_path / "s.db")) as s:
        load_file(s, src)
        analyse(s)
        metrics_csv(s, tmp_path / "m.csv")
    names = sorted(r[1] for r in _read(tmp_path / "m.csv")[1:])
    assert names == ["'+33 Coop", "'=HYPERLINK(\"http://evil\")"]
    assert safe_text("-1") == "'-1" and safe_text("Coop") == "Coop"


def test_unknown_run_and_empty_store(tmp_path):
    with open_store(":memory:") as s:
        with pytest.raises(ValueError, match="maillage analyse"):
            metrics_csv(s, tmp_path / "x.csv")
        s.save_run(AnalysisRun(id="run-a"), [("x", "degree", 1.0), ("pole:1", "pole.density", 0.5)])
        with pytest.raises(NotFound, match="run-b"):
            metrics_csv(s, tmp_path / "x.csv", run_id="run-b")
        assert metrics_csv(s, tmp_path / "x.csv", run_id="run-a") == 1  # diagnostics rows are not actors
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "e.db"), "export", "--format", "gexf"])
    assert result.exit_code != 0 and "csv" in result.output
