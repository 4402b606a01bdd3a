"""maillage's own files loaded back as a researcher does: ``maillage export -f nodes.csv`` (with or
without ``--tableur``) then ``maillage load acteurs.csv`` without ``--format``; the Kumu workbook
of a store loaded back into that store. On a real store of the reference dataset, the Haute-Garonne
SCDL subsidies and the tiers-lieux list (docs/exports.md, « CSV »; docs/formats/kumu.md)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from _env import need_shared
from maillage.api.exports import subgraph_export
from maillage.graph import open_store
from maillage.loaders import detect_format, load_file, load_reference

EXTRA = [("scdl-haute-garonne", "SCDL_DEP_Haute Garonne_datalocale-subvention.csv"),
         ("tiers-lieux-numerique", "03_tiers_lieux.csv")]


def build(path: Path):
    """The reference dataset and the real files of ``../shared/realdata`` (which must be there)."""
    s = open_store(str(path))
    load_reference(s)
    for parts in EXTRA:
        load_file(s, need_shared("realdata", *parts), rejects_dir=path.parent / "rejets")
    return s


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = build(tmp_path_factory.mktemp("store") / "essai.db")
    yield s
    s.close()


def export(sub, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    subgraph_export(sub, fmt, buf, **kw)
    return buf.getvalue()


def described(actors):
    """Each actor as the actors file says it: (name, family, kind, place, placeholder), by id."""
    return {a.id: (a.name, a.family, a.kind, a.location, a.placeholder) for a in actors}


def accounted(report) -> bool:
    return report.rows_read == report.loaded + report.merged + report.rejected


@pytest.mark.parametrize("tableur,lang", [(False, "fr"), (True, "fr"), (True, "en")],
                         ids=["nodes.csv", "tableur", "tableur-en"])
def test_actors_file_loads_back_without_format_with_kinds_places_and_placeholders(store, tmp_path, tableur, lang):
    """Detection knows maillage's own actors file and reads it as Kumu elements: loaded as a member
    list, 413 kinds and 462 places of this store were lost, and the placeholders (« les CCAS »).
    The file for a spreadsheet (``--tableur``: « famille », « type » and « lieu » by their labels,
    « Vaucluse (84) », « acteur générique » oui/non) comes back the same."""
    sub = store.projection()
    path = tmp_path / "acteurs.csv"
    path.write_bytes(export(sub, "nodes.csv", tableur=tableur, lang=lang))
    assert detect_format(path) == "kumu"
    s2 = open_store(str(tmp_path / "relu.db"))
    try:
        report = load_file(s2, path, rejects_dir=tmp_path / "rejets")
        assert report.format == "kumu" and report.rejected == 0 and accounted(report)
        # its labels say again what its codes say: not « colonnes non utilisées : family_label, … »
        assert not [n for n in report.notes if "not used" in n and "label" in n], report.notes
        back = list(s2.iter_actors())
        assert len(back) == len(sub.actors) == report.rows_read
        ours = sorted(described(sub.actors.values()).values(), key=repr)
        theirs = sorted(((n, f, k, loc, p) for n, f, k, loc, p in described(back).values()), key=repr)
        assert [x[0] for x in theirs] == [x[0] for x in ours]  # names
        assert theirs == ours  # and families, kinds, places, placeholders
    finally:
        s2.close()


@pytest.mark.parametrize("fmt,name", [("kumu.xlsx", "carte.xlsx"), ("nodes.csv", "acteurs.csv")])
def test_own_export_loaded_back_into_its_store_adds_no_actor(tmp_path, fmt, name):
    """A file's ID that is an actor id of this store, with that actor's name, is that actor:
    « les CCAS » (a placeholder, never merged on its name) came back as a new actor and a
    proposal for review."""
    s = build(tmp_path / "essai.db")
    try:
        before = described(s.iter_actors(include_persons=True))
        path = tmp_path / name
        path.write_bytes(export(s.projection(), fmt))
        report = load_file(s, path, rejects_dir=tmp_path / "rejets")
        assert accounted(report) and report.rejected == 0
        assert report.actors_created == 0 and report.proposals == 0
        assert described(s.iter_actors(include_persons=True)) == before
    finally:
        s.close()


def test_an_id_of_this_store_under_another_name_is_not_that_actor(tmp_path):
    """Another store (or a person's own numbering) may give an ID that is an actor id here: without
    that actor's name, it is not taken for it."""
    s = open_store(str(tmp_path / "essai.db"))
    try:
        load_reference(s)
        ccas = next(a for a in s.iter_actors() if a.name == "les CCAS")
        other = next(a for a in s.iter_actors() if a.family == "ess" and not a.placeholder)
        path = tmp_path / "elements.csv"
        path.write_text("ID,Label,Type\n"
                        f"{ccas.id},Les Jardins du Lavoir,Association\n"
                        f"{other.id},{other.name},{other.kind}\n", encoding="utf-8")
        n = sum(1 for _ in s.iter_actors())
        report = load_file(s, path, format="kumu", rejects_dir=tmp_path / "rejets")
        assert accounted(report)
        assert sum(1 for _ in s.iter_actors()) == n + 1
        assert s.get_actors([ccas.id])[ccas.id].name == "les CCAS"
        assert "Les Jardins du Lavoir" in {a.name for a in s.iter_actors()}
    finally:
        s.close()


def test_actors_file_saved_as_a_workbook_loads_back_the_same(store, tmp_path):
    """The actors file opened in a spreadsheet and saved as .xlsx (its one sheet « Feuil1 »)."""
    import csv

    import openpyxl

    sub = store.projection()
    rows = list(csv.reader(io.StringIO(export(sub, "nodes.csv").decode("utf-8-sig"))))
    wb = openpyxl.Workbook()
    wb.active.title = "Feuil1"
    for r in rows:
        wb.active.append(r)
    path = tmp_path / "acteurs.xlsx"
    wb.save(path)
    assert detect_format(path) == "kumu"
    s2 = open_store(str(tmp_path / "relu.db"))
    try:
        report = load_file(s2, path, rejects_dir=tmp_path / "rejets")
        assert report.rejected == 0 and accounted(report)
        assert sorted(described(s2.iter_actors()).values(), key=repr) == \
            sorted(described(sub.actors.values()).values(), key=repr)
    finally:
        s2.close()
