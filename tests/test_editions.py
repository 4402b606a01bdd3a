"""Another edition of a loaded file, loaded under a new name (maillage.loaders.editions): said for
every format, with the two ways to keep only the new one; two files that merely share some actors
(two halves of a publisher's grants, two years' member lists) are not editions."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from _loading import load_file
from maillage.loaders.motifs import motif

REAL = [("ftm-zala/entities.ftm.json", "ftm", "entities-2025.ftm.json"),
        ("popolo-tas-councillors/local_councillor_popolo.json", "popolo", "councillors (2).json"),
        ("sirene-ess-numerique/04_ess_flag_insee.csv", "sirene", "ess_flag_insee_2025-05.csv"),
        ("tiers-lieux-numerique/03_tiers_lieux.csv", "places", "tiers lieux maj.csv")]


def _edition(source: Path, target: Path, drop: int = 3) -> Path:
    """``source`` saved again under another name with a few records gone (not a byte-for-byte
    copy, which ``maillage load`` refuses): the lines of a CSV or a JSON-lines dump, the last
    entries of a JSON document's lists."""
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".csv" or text.lstrip().startswith("{") and "\n{" in text:
        lines = text.splitlines(keepends=True)
        text = "".join(lines[:1] + lines[1 + drop:])
    else:
        import json

        doc = json.loads(text)
        for key, value in doc.items():
            if isinstance(value, list) and len(value) > drop:
                doc[key] = value[:-drop]
        text = json.dumps(doc)
    target.write_text(text, encoding="utf-8")
    return target


def _edition_notes(report) -> list[str]:
    return [n for n in report.notes if "another edition" in n]


@pytest.mark.parametrize("rel, fmt, new_name", REAL)
def test_a_new_edition_of_a_file_under_another_name_is_said_whatever_its_format(store, shared, tmp_path, rel, fmt,
                                                                                 new_name):
    first = load_file(store, shared / "realdata" / rel, format=fmt, rejects_dir=tmp_path / "r")
    assert not _edition_notes(first)
    again = load_file(store, _edition(shared / "realdata" / rel, tmp_path / new_name), format=fmt,
                      rejects_dir=tmp_path / "r")
    said = _edition_notes(again)
    assert len(said) == 1, again.notes
    note = said[0]
    assert f"another edition of the source {first.source!r}" in note
    assert f"If this file replaces that one: maillage remove {shlex.quote(first.source)} --yes" in note
    assert (f"maillage remove {shlex.quote(again.source)} --yes, then maillage load {shlex.quote(new_name)} "
            f"--format {fmt} --source-id {shlex.quote(first.source)}") in note
    assert motif(note).startswith(f"ce fichier semble être une autre édition de la source {first.source!r}")
    # what the note says to do works: loaded in the first source's place, nothing is said twice
    from maillage.loaders import load_file as load

    store.remove_source(again.source)
    replaced = load(store, tmp_path / new_name, format=fmt, source_id=first.source, rejects_dir=tmp_path / "r")
    assert not _edition_notes(replaced) and [s.id for s in store.sources() if s.format == fmt] == [first.source]


def test_files_of_one_format_sharing_some_actors_are_not_editions(store, shared, tmp_path):
    """Two halves of Paris's grants — as two years of one publisher: the same associations, other
    grants — share 13 % of their statements: said counted twice where a grant repeats, never
    another edition; nor two halves of a SIRENE extract (two départements)."""
    paris = shared / "realdata/paris-subventions-2013/subventions-accordees-et-refusees.csv"
    lines = paris.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    halves = [lines[1::2], lines[2::2]]
    for i, half in enumerate(halves):
        p = tmp_path / f"subventions-{2012 + i}.csv"
        p.write_text(lines[0] + "".join(half), encoding="utf-8")
        report = load_file(store, p, format="subsidies", options={"mapping": "paris-subventions"},
                           rejects_dir=tmp_path / "r")
        assert not _edition_notes(report)
    sirene = (shared / "realdata/sirene-ess-numerique/04_ess_flag_insee.csv").read_text(encoding="utf-8")
    sirene = sirene.splitlines(keepends=True)
    for i, part in enumerate((sirene[1:len(sirene) // 2], sirene[len(sirene) // 2:])):
        p = tmp_path / f"sirene-{i}.csv"
        p.write_text(sirene[0] + "".join(part), encoding="utf-8")
        assert not _edition_notes(load_file(store, p, rejects_dir=tmp_path / "r"))
    # a later extract: nine tenths of the first half's rows, and rows of the second: an edition of the first
    p = tmp_path / "sirene-0 maj.csv"
    n = len(sirene)
    p.write_text(sirene[0] + "".join(sirene[1:int(n * 0.45)]) + "".join(sirene[n // 2:int(n * 0.55)]),
                 encoding="utf-8")
    said = _edition_notes(load_file(store, p, rejects_dir=tmp_path / "r"))
    assert len(said) == 1 and "of the source 'sirene:sirene-0.csv'" in said[0]


MEMBERS = ("Nom;SIRET;Commune\n"
           "Association Vélo Solidaire;;Toulouse\nLa Ressourcerie du Lauragais;;Villefranche-de-Lauragais\n"
           "Jardins de Cocagne du Lauragais;;Castanet-Tolosan\nCoopérative Ouvrière de Production Bâtisseurs;;Muret\n"
           "Tiers-lieu La Fabrique;;Gourdon\n")


def test_two_years_of_a_member_list_are_its_history_not_editions(store, tmp_path):
    """« adherents-2024.csv » then « adherents-2025.csv », each with its --year: the pôle's history
    (docs/formats/members.md), never a file to replace — though every member is the same."""
    pole = "PTCE Lauragais Coopère"
    for year in ("2024", "2025"):
        p = tmp_path / f"adherents-{year}.csv"
        p.write_text(MEMBERS, encoding="utf-8")
        report = load_file(store, p, options={"pole": pole, "year": year}, rejects_dir=tmp_path / "r")
        assert not _edition_notes(report), report.notes


def test_an_undated_member_list_saved_again_is_an_edition_or_another_year(store, tmp_path):
    """Without years, a list saved again under another name is said another edition, with the
    --source-id load keeping its options, and the other reading: another year's list."""
    pole = "PTCE Lauragais Coopère"
    (tmp_path / "adherents.csv").write_text(MEMBERS, encoding="utf-8")
    first = load_file(store, tmp_path / "adherents.csv", options={"pole": pole}, rejects_dir=tmp_path / "r")
    (tmp_path / "adherents (2).csv").write_text(MEMBERS + "Scop Les Artisans;;Albi\n", encoding="utf-8")
    again = load_file(store, tmp_path / "adherents (2).csv", options={"pole": pole}, rejects_dir=tmp_path / "r")
    said = _edition_notes(again)
    assert len(said) == 1
    assert "(11 of its 13 statements already stated by it; a name that differs only by a date or a number)" in said[0]
    assert (f"maillage load 'adherents (2).csv' --format members --pole 'PTCE Lauragais Coopère' --source-id "
            f"{first.source}; if it "
            "is the pôle's list of another year, keep both, each loaded again with its --year") in said[0]
    assert "un nom qui ne diffère que par une date ou un numéro" in motif(said[0])


def test_a_source_with_reviewers_decisions_is_not_advised_removed(store, tmp_path):
    """A reviewer accepted a merge of « adherents.csv »'s member: removing that source, then loading
    its new edition under its own name, would lose the decision (the merge comes undone at the next
    load). The note says so and gives only the load in its place (--source-id), which keeps it."""
    pole = "PTCE Lauragais Coopère"
    (tmp_path / "partenaires.csv").write_text("Nom;Commune\nTiers Lieu Fabrique Gourdon;Gourdon\n", encoding="utf-8")
    load_file(store, tmp_path / "partenaires.csv", options={"pole": "Réseau Lot"}, rejects_dir=tmp_path / "r")
    (tmp_path / "adherents.csv").write_text(MEMBERS, encoding="utf-8")
    first = load_file(store, tmp_path / "adherents.csv", options={"pole": pole}, rejects_dir=tmp_path / "r")
    [p] = store.proposals(first.source)
    store.merge_statement(p.source, p.key, p.candidate_id)
    (tmp_path / "adherents (2).csv").write_text(MEMBERS + "Scop Les Artisans;;Albi\n", encoding="utf-8")
    again = load_file(store, tmp_path / "adherents (2).csv", options={"pole": pole}, rejects_dir=tmp_path / "r")
    [note] = _edition_notes(again)
    assert f"maillage remove {first.source} --yes;" not in note
    assert "1 reviewer's decision" in note and "would lose" in note
    assert (f"maillage remove 'members:adherents (2).csv' --yes, then maillage load 'adherents (2).csv' --format "
            f"members --pole 'PTCE Lauragais Coopère' --source-id {first.source}") in note
    fr = motif(note)
    assert fr.startswith("ce fichier semble être une autre édition") and "décision de son relecteur" in fr and "perdrait" in fr, fr


def test_the_reference_dataset_has_no_editions(store, tmp_path):
    """Its four extractions are one dataset, not editions of one another (and not compared)."""
    from maillage.loaders import load_reference

    assert not [n for r in load_reference(store, rejects_dir=tmp_path) for n in r.notes if "another edition" in n]


def test_module_examples():
    """``name_stem`` (« Adhérents-2024.xlsx », « adherents_2025 (2).xlsx », « Copie de carte.xlsx »)
    and ``load_command`` (options as the command line gives them)."""
    import doctest

    from maillage.loaders import editions

    result = doctest.testmod(editions)
    assert result.attempted >= 3 and result.failed == 0


def test_member_lists_whose_names_give_two_years_are_not_editions(store, tmp_path):
    """« adherents-2024.csv » then « adherents-2025.csv » loaded without --year: the edition note
    opened with « maillage remove members:adherents-2024.csv --yes », which would lose the pôle's
    2024 list; the member lists' own note already says to give each its --year (found by h132)."""
    pole = "PTCE Lauragais Coopère"
    reports = []
    for year in ("2024", "2025"):
        p = tmp_path / f"adherents-{year}.csv"
        p.write_text(MEMBERS, encoding="utf-8")
        reports.append(load_file(store, p, options={"pole": pole}, rejects_dir=tmp_path / "r"))
    assert not _edition_notes(reports[1]), reports[1].notes
    assert any("--year" in n for n in reports[1].notes), reports[1].notes
