"""A pôle's or a territory's view through a lens holds the same relations wherever it is drawn
or written: ``maillage viz --lens L``, the pôle and territory reports' maps and ``maillage
export --lens L`` all build it by one rule (:func:`maillage.analytics.views.lens_view`)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from maillage.analytics.reports import render_territory_report
from maillage.analytics.views import lens_view, view_types
from maillage.cli import app
from maillage.graph import open_store
from maillage.graph.vocabulary import VocabularyError, vocabulary
from maillage.loaders import load_reference

from _maps import map_data

LENSES = vocabulary().lenses()
TERRITORIES = ["departement:31", "region:76"]


@pytest.fixture(scope="module")
def ref(tmp_path_factory):
    db = tmp_path_factory.mktemp("lens-views") / "ref.db"
    with open_store(str(db)) as s:
        load_reference(s)
        pole = s.search("Périscope", family="pole")[0].id
    return db, pole


def cli(db, *args):
    r = CliRunner().invoke(app, ["--store", str(db), *args])
    assert r.exit_code == 0, r.output
    return r


def drawn(path) -> set[tuple[str, str, str, str]]:
    """A map's relations: id, ends and type."""
    return {(e["id"], e["from"], e["to"], e["rtype"]) for e in map_data(path.read_text(encoding="utf-8"))["edges"]}


def exported(db, tmp_path, scope: str, view: str, lens: str) -> set[tuple[str, str, str, str]]:
    out = tmp_path / f"export-{lens}.json"
    cli(db, "export", "-f", "json", f"--{scope}", view, "--lens", lens, "-o", str(out))
    return {(e["id"], e["source"], e["target"], e["type"]) for e in json.loads(out.read_text())["edges"]}


def test_lenses_are_those_of_the_vocabulary():
    assert set(LENSES) == {"all", "cooperation", "funding", "governance"}


@pytest.mark.parametrize("lens", LENSES)
def test_a_poles_report_map_and_viz_hold_its_export_through_the_lens(ref, tmp_path, lens):
    """The pôle report drew every type on its map whatever its --lens: Le Périscope's report in
    the cooperation lens drew 54 relations, its export through that lens holds 47 (the 7 others:
    grants of the Sicoval and the Région, Le Labo de l'ESS's ``related`` ties)."""
    db, pole = ref
    export = exported(db, tmp_path, "pole", pole, lens)
    assert export
    cli(db, "viz", "pole", pole, "--lens", lens, "-o", str(tmp_path / "viz.html"))
    assert drawn(tmp_path / "viz.html") == export
    cli(db, "report", "--pole", pole, "--lens", lens, "-o", str(tmp_path / "rapport.html"))
    assert drawn(tmp_path / "rapport-carte.html") == export
    with open_store(str(db)) as s:
        every = {r.id for r in s.pole_subgraph(pole).relations}
    if lens != "all":  # the lens leaves relations out: the map did not
        assert {e[0] for e in export} < every
        title = (tmp_path / "rapport-carte.html").read_text(encoding="utf-8")
        from maillage.analytics.report import LENS_LABELS
        assert f"lentille {LENS_LABELS['fr'][lens]}" in title


@pytest.mark.parametrize("lens", LENSES)
def test_a_territorys_report_map_and_viz_hold_its_export_through_the_lens(ref, tmp_path, lens):
    db, _ = ref
    for tid in TERRITORIES:
        export = exported(db, tmp_path, "territory", tid, lens)
        cli(db, "viz", "territory", tid, "--lens", lens, "-o", str(tmp_path / "viz.html"))
        assert drawn(tmp_path / "viz.html") == export, tid
        with open_store(str(db)) as s:
            render_territory_report(s, tid, tmp_path / "rapport.html", lens=lens)
            sub, _ = lens_view(s, territory=tid, lens=lens)
        assert drawn(tmp_path / "rapport-carte.html") == export, tid
        assert {r.id for r in sub.relations} == {e[0] for e in export}
    assert export or lens == "governance"


def test_the_territory_report_by_default_draws_every_type(ref, tmp_path):
    """Without a lens (``report --territory``), the map is the view of every type, as before."""
    db, _ = ref
    with open_store(str(db)) as s:
        render_territory_report(s, "departement:31", tmp_path / "t.html")
        with pytest.raises(VocabularyError):
            render_territory_report(s, "departement:31", tmp_path / "u.html", lens="amitié")
    assert drawn(tmp_path / "t-carte.html") == exported(db, tmp_path, "territory", "departement:31", "all")


def test_one_rule():
    assert view_types("all") is None and view_types(None) is None
    assert view_types("funding") == vocabulary().types_in_lens("funding")
    with pytest.raises(ValueError):
        lens_view(open_store(":memory:"))
