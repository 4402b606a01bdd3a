"""The CLI contract: load report, exit codes, one-line errors (run as a real subprocess)."""

from __future__ import annotations

import csv
import errno
import json
import re
import shutil
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo
from pathlib import Path

import pytest

from _cli import maillage
from maillage.graph import open_store

GOOD = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "essai"},
    {"record": "actor", "key": "p", "name": "PTCE Le Périscope", "family": "pole", "kind": "ptce",
     "location": "commune:31446", "provenance": {"locator": "row 2"}},
    {"record": "actor", "key": "m", "name": "Les Chantiers du Sud", "family": "ess", "kind": "association",
     "provenance": {"locator": "row 3"}},
    {"record": "actor", "key": "m2", "name": "Chantiers du Sud", "family": "ess", "provenance": {"locator": "row 4"}},
    {"record": "actor", "key": "bad", "name": "X", "family": "ess", "kind": "ptce", "provenance": {}},
    {"record": "relation", "type": "membership", "source": "m", "target": "p", "provenance": {"quote": "membre"}},
    {"record": "relation", "type": "membership", "source": "m", "target": "p", "provenance": {"quote": "membre"}},
    {"record": "relation", "type": "funds", "source": "m", "target": "nobody", "provenance": {}},
]


def run(*args, cwd: Path, check=True, lang: str | None = None):
    """``maillage ARGS`` in a subprocess (:func:`_cli.maillage`)."""
    return maillage(*args, cwd=cwd, check=check, lang=lang)


@pytest.fixture
def datafile(tmp_path):
    f = tmp_path / "membres.jsonl"
    f.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in GOOD) + "\n", encoding="utf-8")
    return f


def test_load_report_accounts_for_every_row(tmp_path, datafile):
    run("--store", "s.db", "load", str(datafile), "--report", "out/report.json", cwd=tmp_path)
    rep = json.loads((tmp_path / "out/report.json").read_text())["files"][0]
    assert set(rep) >= {"file", "format", "rows_read", "loaded", "merged", "rejected", "rejects_file"}
    assert rep["format"] == "maillage-jsonl"
    assert rep["rows_read"] == 7
    assert rep["rows_read"] == rep["loaded"] + rep["merged"] + rep["rejected"]
    assert (rep["loaded"], rep["merged"], rep["rejected"]) == (3, 2, 2)  # m2 merges into m; one duplicate relation
    raw = open(rep["rejects_file"], "rb").read()
    # as Excel in French opens it: a byte-order mark, « ; », French words
    assert raw.startswith("\ufefffichier;ligne;niveau;colonne;valeur;motif;original\r\n".encode())
    rows = list(csv.DictReader(open(rep["rejects_file"], encoding="utf-8-sig"), delimiter=";"))
    assert {(r["ligne"], r["colonne"], r["niveau"]) for r in rows} == {("5", "kind", "rejet"), ("8", "target", "rejet")}
    assert all(r["motif"] for r in rows)


def test_load_lang_en_writes_the_rejects_in_english(tmp_path, datafile):
    run("--store", "s.db", "load", str(datafile), "--lang", "en", "--report", "out/report.json", cwd=tmp_path)
    rep = json.loads((tmp_path / "out/report.json").read_text())["files"][0]
    rows = list(csv.DictReader(open(rep["rejects_file"], encoding="utf-8-sig"), delimiter=";"))
    assert {(r["row"], r["column"], r["level"]) for r in rows} == {("5", "kind", "rejected"), ("8", "target", "rejected")}
    res = run("--store", "s2.db", "load", str(datafile), "--lang", "de", cwd=tmp_path, check=False)
    assert res.returncode == 2 and "expected fr or en" in res.stderr and not (tmp_path / "s2.db").exists()



def test_the_load_line_keeps_a_long_rejects_path_whole(tmp_path, datafile):
    """Piped (80 columns), the summary line was cut by a newline inside the rejects file's path,
    which then could not be copied or grepped; one line now, whatever its length."""
    deep = tmp_path / ("dossier-de-suivi-des-adhesions-du-pole-" * 3).rstrip("-")
    deep.mkdir()
    res = run("--store", "s.db", "load", str(datafile), "--report", str(deep), cwd=tmp_path)
    (line,) = [x for x in res.stderr.splitlines() if "membres.jsonl" in x]
    assert line.endswith(str(deep / "rejets" / "membres.rejects.csv")) and len(line) > 160
    assert "7 lignes · 3 chargées · 2 fusionnées · 2 rejetées" in line


def test_a_load_line_groups_thousands_as_the_reader_writes_them(tmp_path):
    """« 1 200 lignes » in French (a narrow no-break space), « 1,200 rows » in English: the line
    said « 1200 » in both."""
    f = tmp_path / "membres.csv"
    f.write_text("Nom;Commune\n" + "".join(f"Structure {k};Albi\n" for k in range(1200)), encoding="utf-8")
    res = run("--store", "s.db", "load", str(f), "--pole", "P", cwd=tmp_path)
    assert "1\u202f200 lignes · 1\u202f200 chargées · 0 fusionnée · 0 rejetée" in res.stderr
    res = run("--store", "s.db", "load", str(f), "--pole", "P", "--lang", "en", cwd=tmp_path)
    assert "1,200 rows · 1,200 loaded · 0 merged · 0 rejected" in res.stderr


def test_a_corrected_file_loaded_again_leaves_no_stale_rejects_file(tmp_path):
    """Load a list with a bad row, correct it, load it again: the rejects file listed a problem the
    store no longer has (it stayed beside the report); now it is removed. Another file of the same
    name elsewhere keeps its own (it is its own source, its rejects file named by its folder)."""
    f = tmp_path / "membres.csv"
    f.write_text("Nom;Rôle\nAlpha;membre\n;membre\n", encoding="utf-8")
    run("--store", "s.db", "load", str(f), "--pole", "P", cwd=tmp_path)
    rejects = tmp_path / "rejets" / "membres.rejects.csv"
    assert "pas de nom : la colonne 'Nom' est vide" in rejects.read_text(encoding="utf-8-sig")
    f.write_text("Nom;Rôle\nAlpha;membre\nBeta;membre\n", encoding="utf-8")
    res = run("--store", "s.db", "load", str(f), "--pole", "P", cwd=tmp_path)
    assert "2 lignes · 2 chargées · 0 fusionnée · 0 rejetée" in res.stderr and "→" not in res.stderr
    assert not rejects.exists()
    other = tmp_path / "autre" / "membres.csv"
    other.parent.mkdir()
    other.write_text("Nom;Rôle\n;membre\nGamma;membre\n", encoding="utf-8")
    run("--store", "s.db", "load", str(other), "--pole", "P", cwd=tmp_path)
    others = tmp_path / "rejets" / "autre-membres.rejects.csv"
    assert others.exists() and not rejects.exists()
    run("--store", "s.db", "load", str(f), "--pole", "P", cwd=tmp_path)  # clean: its own rejects only
    assert others.exists() and str(other) in others.read_text(encoding="utf-8-sig")


def test_the_load_says_what_reading_the_file_noticed(tmp_path):
    """An « export.xls » that is a web page, a header below a title: said under the load's line
    and in the report (they were only in the source's metadata, where nobody looked)."""
    f = tmp_path / "export.xls"
    f.write_text("<html><body><table><tr><td>Liste 2024</td></tr><tr><td>Nom</td><td>Commune</td></tr>"
                 "<tr><td>Alpha</td><td>Albi</td></tr></table></body></html>", encoding="utf-8")
    res = run("--store", "s.db", "load", str(f), "--pole", "P", "--report", "r.json", "--lang", "en", cwd=tmp_path)
    lines = res.stderr.splitlines()
    i = next(k for k, x in enumerate(lines) if "export.xls (members): 1 row · 1 loaded" in x)
    assert lines[i + 1:i + 4] == [
        "  · named .xls but an HTML page (a web « export Excel »): its largest table read (3 rows of 1 table(s))",
        "  · header found on row 2 (rows above it skipped)",
        # nothing says what « Alpha » is, and the list has no type column
        "  · 1 member of no recognised type (classed 'other'): add a 'Type' column (association, SCOP, "
        "collectivité, entreprise…) to class it"]
    rep = json.loads((tmp_path / "r.json").read_text())["files"][0]
    assert rep["notes"] == [x[4:] for x in lines[i + 1:i + 4]]


def test_files_of_one_folder_that_share_a_name_are_two_sources(tmp_path):
    """exports/2023/membres.csv and exports/2024/membres.csv were both source « members:membres.csv »:
    loading the second replaced the first, and their rejects files overwrote each other. Each is
    now named by its path from where they differ; a file with a name of its own keeps its id."""
    for year, name in (("2023", "Alpha"), ("2024", "Beta")):
        (tmp_path / "exports" / year).mkdir(parents=True)
        (tmp_path / "exports" / year / "membres.csv").write_text(f"Nom;Rôle\n{name};membre\n;membre\n",
                                                               encoding="utf-8")
    (tmp_path / "exports" / "autres.csv").write_text("Nom;Rôle\nGamma;membre\n", encoding="utf-8")
    run("--store", "s.db", "load", "exports", "--pole", "P", "--report", "suivi/", cwd=tmp_path)
    ids = [x.split("\n")[0] for x in run("--store", "s.db", "sources", cwd=tmp_path).stdout.split("\n") if ":" in x
           and not x.startswith(" ")]
    assert sorted(ids) == ["members:2023/membres.csv", "members:2024/membres.csv", "members:autres.csv"]
    stats = json.loads(run("--store", "s.db", "stats", "--json", cwd=tmp_path).stdout)
    assert stats["actors"] == 4  # Alpha, Beta, Gamma and the pôle: neither list replaced the other
    assert sorted(p.name for p in (tmp_path / "suivi" / "rejets").iterdir()) == [
        "2023-membres.rejects.csv", "2024-membres.rejects.csv"]
    # « --report suivi/ », a folder not made yet: the report in it, not a file named « suivi »
    assert (tmp_path / "suivi" / "chargement.json").is_file()


def test_the_commands_a_load_suggests_quote_a_source_id_with_a_space(tmp_path):
    """« SCDL_DEP_Haute Garonne.csv » from two folders: the note said « donnez --source-id
    members:Haute Garonne.csv » — cut in two by the shell when pasted — and, its pattern wanting
    no space, was printed in English."""
    for pole, name in (("pole-a", "Alpha"), ("pole-b", "Beta")):
        (tmp_path / pole).mkdir()
        (tmp_path / pole / "adhérents 2024.csv").write_text(f"Nom;Rôle\n{name};membre\n", encoding="utf-8")
    run("--store", "s.db", "load", "pole-a/adhérents 2024.csv", "--pole", "Pôle A", cwd=tmp_path)
    res = run("--store", "s.db", "load", "pole-b/adhérents 2024.csv", "--pole", "Pôle B", cwd=tmp_path)
    said = " ".join((res.stdout + res.stderr).split())
    assert ("(pour la remplacer, donnez --source-id 'members:adhérents 2024.csv')") in said, said


def test_a_file_named_like_one_loaded_from_another_folder_is_loaded_beside_it(tmp_path):
    """A network's animator loads pole-a/adherents.csv, then, another day, pole-b/adherents.csv:
    both were source « members:adherents.csv », and the second load replaced the first — pôle A's
    members gone without a word. It is now loaded beside it (« members:pole-b/adherents.csv »),
    said in a note; loading either file again replaces its own source only, and --source-id still
    names the one to replace. The folder is remembered as a hash, not its path."""
    for pole, name in (("pole-a", "Alpha"), ("pole-b", "Beta")):
        (tmp_path / pole).mkdir()
        (tmp_path / pole / "adherents.csv").write_text(f"Nom;Rôle\n{name};membre\n", encoding="utf-8")

    def members() -> dict[str, set[str]]:
        with open_store(str(tmp_path / "s.db")) as st:
            return {sid: {st.get_actor(t.source).name for t in st.relations(types=["membership"])
                          if t.provenance.source == sid} for sid in sorted(s.id for s in st.sources())}

    run("--store", "s.db", "load", "pole-a/adherents.csv", "--pole", "Pôle A", cwd=tmp_path)
    res = run("--store", "s.db", "load", "pole-b/adherents.csv", "--pole", "Pôle B", cwd=tmp_path)
    assert members() == {"members:adherents.csv": {"Alpha"}, "members:pole-b/adherents.csv": {"Beta"}}
    assert ("un autre fichier nommé 'adherents.csv', venu d'un autre dossier, est la source "
            "'members:adherents.csv' : celui-ci est chargé à côté sous 'members:pole-b/adherents.csv', sans la "
            "remplacer (pour la remplacer, donnez --source-id members:adherents.csv)") in " ".join(res.stderr.split())
    with open_store(str(tmp_path / "s.db")) as st:
        meta = st.source("members:pole-b/adherents.csv").meta
        assert "pole-b" not in json.dumps(meta["folder"]) and len(meta["folder"]) == 16
    # each file loaded again replaces its own source, whichever order
    (tmp_path / "pole-b" / "adherents.csv").write_text("Nom;Rôle\nBeta;membre\nDelta;membre\n", encoding="utf-8")
    run("--store", "s.db", "load", "pole-b/adherents.csv", "--pole", "Pôle B", cwd=tmp_path)
    (tmp_path / "pole-a" / "adherents.csv").write_text("Nom;Rôle\nGamma;membre\n", encoding="utf-8")
    run("--store", "s.db", "load", "pole-a/adherents.csv", "--pole", "Pôle A", cwd=tmp_path)
    assert members() == {"members:adherents.csv": {"Gamma"}, "members:pole-b/adherents.csv": {"Beta", "Delta"}}
    # --source-id names the source to replace: pôle B's list over pôle A's, as asked
    run("--store", "s.db", "load", "pole-b/adherents.csv", "--pole", "Pôle B", "--source-id", "members:adherents.csv",
        cwd=tmp_path)
    assert members()["members:adherents.csv"] == {"Beta", "Delta"}


def test_every_format_has_french_words_for_the_load_line():
    """The load line names the format in the loader's words (« liste de membres »), not its
    code (« members »): a new format without French words would print its code."""
    from maillage.cli import FORMAT_WORDS_FR
    from maillage.loaders import LOADERS

    assert set(FORMAT_WORDS_FR) == set(LOADERS)
    assert all(w and w != code for code, w in FORMAT_WORDS_FR.items())


def test_the_load_speaks_french_by_default(tmp_path):
    """The people who load files are French: the load's line and what reading the file noticed
    were printed in English (only the rejects file was French). French by default, English with
    --lang en; the report's notes stay in the code's words."""
    f = tmp_path / "export.xls"
    f.write_text("<html><body><table><tr><td>Liste 2024</td></tr><tr><td>Nom</td><td>Commune</td></tr>"
                 "<tr><td>Alpha</td><td>Albi</td></tr><tr><td>Mme Claire Martin</td><td>Albi</td></tr>"
                 "<tr><td></td><td>Albi</td></tr></table></body></html>", encoding="utf-8")
    res = run("--store", "s.db", "load", str(f), "--pole", "P", "--report", "r.json", cwd=tmp_path)
    lines = res.stderr.splitlines()
    i = next(k for k, x in enumerate(lines) if "export.xls (liste de membres) : 3 lignes · 2 chargées · 0 fusionnée · "
             "1 rejetée →" in x)
    assert lines[i + 1:i + 4] == [
        "  · nommé .xls mais une page HTML (un « export Excel » d'un site) : son plus grand tableau lu (5 lignes, "
        "1 tableau(x) dans la page)",
        "  · en-tête trouvé à la ligne 2 (les lignes au-dessus ignorées)",
        "  · 1 membre est une personne physique (type, civilité, rôle ou collège) : donnée personnelle, tenue hors "
        "des vues publiques et des exports"]
    rep = json.loads((tmp_path / "r.json").read_text())["files"][0]
    notes = rep["notes"]  # in French, as the lines say them (they were in English)
    assert len(notes) == 4 and notes == [x[4:] for x in lines[i + 1:i + 1 + len(notes)]]


def test_a_folder_or_an_unexpanded_pattern_loads_its_files(tmp_path):
    """`maillage load exports/` loads each file of the folder (it was refused: « is a folder »),
    leaving out hidden files and the « ~$ » lock file Excel leaves beside an open workbook; a
    pattern the shell did not expand (Windows) loads its matches."""
    d = tmp_path / "exports"
    d.mkdir()
    (d / "b-membres.csv").write_text("Nom;Commune\nBeta;Muret\n", encoding="utf-8")
    (d / "a-membres.csv").write_text("Nom;Commune\nAlpha;Albi\n", encoding="utf-8")
    (d / "~$a-membres.xlsx").write_bytes(b"\x00lock")
    (d / ".DS_Store").write_bytes(b"\x00\x00")
    res = run("--store", "s.db", "load", "exports", "--pole", "P", cwd=tmp_path)
    loaded = [x.split(" (")[0] for x in res.stderr.splitlines() if "(liste de membres)" in x]
    assert loaded == [str(Path("exports") / "a-membres.csv"), str(Path("exports") / "b-membres.csv")]
    res = run("--store", "s2.db", "load", "exports/b-*.csv", "--pole", "P", cwd=tmp_path)
    assert [x.split(" (")[0] for x in res.stderr.splitlines() if "(liste de membres)" in x] == ["exports/b-membres.csv"]
    res = run("--store", "s3.db", "load", "exports/z-*.csv", cwd=tmp_path, check=False)
    assert res.returncode == 1 and "exports/z-*.csv : fichier introuvable" in res.stderr
    (tmp_path / "vide").mkdir()
    res = run("--store", "s4.db", "load", "vide", cwd=tmp_path, check=False)
    assert res.returncode == 2 and "erreur : vide : le dossier ne contient aucun fichier à charger" in res.stderr
    assert "Essayez « python -m maillage.cli load --help » pour l'aide." in res.stderr


def test_the_lock_file_of_an_open_workbook_among_the_files_named_is_skipped_and_said(tmp_path):
    """`maillage load exports/*` while « liste.xlsx » is open in Excel: the shell also names its
    lock file « ~$liste.xlsx », and the whole command failed on it (« format non reconnu »). It is
    skipped with a line saying what it is, the other files loaded; named alone, it is the error."""
    d = tmp_path / "exports"
    d.mkdir()
    (d / "liste.csv").write_text("Nom;Commune\nAlpha;Albi\n", encoding="utf-8")
    (d / "~$liste.xlsx").write_bytes((b"\x0bJean Dupont" + b" " * 42).ljust(165, b"\x00"))
    res = run("--store", "s.db", "load", "exports/liste.csv", "exports/~$liste.xlsx", "--pole", "P", cwd=tmp_path)
    assert ("ignoré exports/~$liste.xlsx est le fichier de verrouillage qu'Excel laisse à côté de 'liste.xlsx' tant "
            "qu'il y est ouvert, pas une liste : chargez exports/liste.xlsx (après l'avoir fermé dans Excel)"
            in res.stderr)
    assert [x.split(" (")[0] for x in res.stderr.splitlines() if "(liste de membres)" in x] == ["exports/liste.csv"]
    res = run("--store", "s2.db", "load", "exports/*", "--format", "members", "--pole", "P", cwd=tmp_path)  # Windows
    assert [x.split(" (")[0] for x in res.stderr.splitlines() if "(liste de membres)" in x] == ["exports/liste.csv"]
    res = run("--store", "s3.db", "load", "exports/~$liste.xlsx", "--lang", "en", cwd=tmp_path, check=False)
    assert res.returncode == 1 and "the lock file Excel leaves beside 'liste.xlsx'" in res.stderr


def test_a_folder_s_file_of_no_known_format_is_skipped_and_said(tmp_path):
    """A folder of exports also holds a README and a PDF: the load stopped on the first, loading
    nothing. They are skipped, each with a line and in the report; the same file named on the
    command line still fails the command, and a folder of nothing loadable fails it too."""
    d = tmp_path / "exports"
    d.mkdir()
    (d / "a-membres.csv").write_text("Nom;Commune\nAlpha;Albi\n", encoding="utf-8")
    (d / "LISEZMOI.txt").write_text("Exports du 3 mars, voir avec Julie.\n", encoding="utf-8")
    (d / "compte-rendu.pdf").write_bytes(b"%PDF-1.4\n\x00\x01binary")
    (d / "2023").mkdir()
    (d / "2023" / "membres.csv").write_text("Nom;Commune\nBeta;Muret\n", encoding="utf-8")
    (d / ".git").mkdir()
    (d / ".git" / "membres.csv").write_text("Nom;Commune\nCache;Albi\n", encoding="utf-8")
    res = run("--store", "s.db", "load", "exports", "--pole", "P", "--report", "r.json", "--lang", "en", cwd=tmp_path)
    skipped = [x for x in res.stderr.splitlines() if x.startswith("skipped ")]
    assert [x.split(": ")[0] for x in skipped] == ["skipped exports/LISEZMOI.txt", "skipped exports/compte-rendu.pdf"]
    assert "cannot tell the format of this file: text, but not a table" in skipped[0]
    assert "a PDF: maillage does not read PDFs" in skipped[1]  # not « use --format »: no format reads a PDF
    assert [x.split(" (")[0] for x in res.stderr.splitlines() if "(members)" in x] == [
        "exports/2023/membres.csv", "exports/a-membres.csv"]  # subfolders too; not the hidden one
    rep = json.loads((tmp_path / "r.json").read_text())
    assert [f["file"] for f in rep["files"]] == ["exports/2023/membres.csv", "exports/a-membres.csv"]
    assert [x["file"] for x in rep["skipped"]] == ["exports/LISEZMOI.txt", "exports/compte-rendu.pdf"]
    # the rejects file a load writes in the folder is not taken for data when the folder is loaded again
    (d / "b-membres.csv").write_text("Nom;Rôle\n;membre\nGamma;membre\n", encoding="utf-8")
    run("--store", "s.db", "load", "exports", "--pole", "P", "--report", "exports/", cwd=tmp_path)
    assert (d / "rejets" / "b-membres.rejects.csv").exists()
    res = run("--store", "s.db", "load", "exports", "--pole", "P", cwd=tmp_path)  # in French, by default
    assert ("ignoré exports/rejets/b-membres.rejects.csv : un fichier de rejets écrit par `maillage load`"
            in res.stderr)
    assert ("ignoré exports/chargement.json : un compte rendu de chargement écrit par `maillage load --report`, pas "
            "des données") in res.stderr
    assert "ignoré exports/LISEZMOI.txt : format non reconnu : du texte, mais pas un tableau" in res.stderr
    assert "ignoré exports/compte-rendu.pdf est un PDF : maillage ne lit pas les PDF" in res.stderr
    shutil.rmtree(d / "2023")
    (d / "b-membres.csv").unlink()
    shutil.rmtree(d / "rejets")
    res = run("--store", "s2.db", "load", "exports/LISEZMOI.txt", cwd=tmp_path, check=False)
    assert res.returncode == 1 and "exports/LISEZMOI.txt : format non reconnu" in res.stderr
    (d / "a-membres.csv").unlink()
    res = run("--store", "s3.db", "load", "exports", cwd=tmp_path, check=False)
    assert res.returncode == 2 and "aucun des fichiers donnés ne peut être chargé" in res.stderr
    assert not (tmp_path / "s3.db").exists()


def test_load_report_into_a_folder(tmp_path, datafile):
    """`--report FOLDER` writes chargement.json in it, the rejects beside it, and exits 0 — it
    used to load the file, then fail on « Is a directory » with the store already changed."""
    (tmp_path / "suivi").mkdir()
    res = run("--store", "s.db", "load", str(datafile), "--report", "suivi", cwd=tmp_path)
    rep = json.loads((tmp_path / "suivi" / "chargement.json").read_text())["files"][0]
    assert rep["rows_read"] == 7 and res.returncode == 0
    assert Path(rep["rejects_file"]).parent == (tmp_path / "suivi" / "rejets").resolve()


@pytest.mark.parametrize("args", [["export", "-f", "json", "-o", "-"], ["export", "-o", "-"],
                                  ["report", "--observatory", "-o", "-"], ["viz", "territory", "31", "-o", "-"],
                                  ["demo", "-o", "-"], ["load", "DATA", "--report", "-"]])
def test_a_dash_for_the_output_is_refused_and_nothing_is_written(tmp_path, datafile, args):
    """« -o - » reads as « the standard output » elsewhere; maillage writes files (a report writes
    its map beside it, a load its rejects), so « - » is refused before any work, naming the option,
    instead of making a folder named « - » or loading into the store first."""
    run("--store", "s.db", "load", str(datafile), cwd=tmp_path)
    before = (tmp_path / "s.db").read_bytes()
    args = [str(datafile) if a == "DATA" else a for a in args]
    res = run("--store", "s.db", *args, cwd=tmp_path, check=False)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "pas sur la sortie standard" in res.stderr and ("--report" if "load" in args else "-o") in res.stderr
    assert not (tmp_path / "-").exists()
    assert (tmp_path / "s.db").read_bytes() == before  # the load was not run


@pytest.mark.parametrize("args", [["stats"], ["sources"], ["analyse"], ["report", "--observatory", "-o", "r.html"],
                                  ["viz", "territory", "31"], ["export"], ["resolve", "--review"],
                                  ["remove", "x", "--yes"]])
def test_a_store_that_does_not_exist_is_named_not_made(tmp_path, args):
    """Only `load` (and `demo`) make a store: a mistyped --store gave an empty report or map."""
    res = run("--store", "typo/maillage.db", *args, cwd=tmp_path, check=False)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "erreur : pas de base à typo/maillage.db" in " ".join((res.stdout + res.stderr).split())
    assert not (tmp_path / "typo").exists() and not (tmp_path / "r.html").exists()
    res = run("--store", "typo/maillage.db", *args, "--lang", "en", cwd=tmp_path, check=False)
    assert res.returncode == 1 and "error: no store at typo/maillage.db" in " ".join(res.stderr.split())


@pytest.mark.parametrize("uri, says_fr, says_en", [
    ("http://127.0.0.1:7474", "http://127.0.0.1:7474 est l'adresse de Neo4j Browser (HTTP), pas celle de la base ; "
     "donnez son adresse Bolt : bolt://127.0.0.1:7687 (ou neo4j://…)", "give its Bolt address: bolt://127.0.0.1:7687"),
    ("https://abcd1234.databases.neo4j.io", "donnez son adresse Bolt : neo4j+s://abcd1234.databases.neo4j.io",
     "give its Bolt address: neo4j+s://abcd1234.databases.neo4j.io"),
    ("postgres://db.example.org/maillage", "postgres://db.example.org/maillage : maillage ne peut pas tenir son graphe "
     "à une adresse postgres://", "maillage cannot keep its graph at a postgres:// address"),
])
@pytest.mark.parametrize("args", [["load", "membres.jsonl"], ["stats"]])
def test_a_store_address_of_another_kind_is_refused_and_nothing_is_made(tmp_path, datafile, uri, says_fr, says_en,
                                                                         args):
    """Neo4j Browser's address, pasted as the store, made an SQLite file at ./http:/127.0.0.1:7474."""
    res = run("--store", uri, *args, cwd=tmp_path, check=False)
    assert res.returncode == 1, res.stdout + res.stderr
    assert says_fr in " ".join(res.stderr.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["membres.jsonl"]  # no ./http: folder, no store
    res = run("--lang", "en", "--store", uri, *args, cwd=tmp_path, check=False)
    assert res.returncode == 1 and says_en in " ".join(res.stderr.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["membres.jsonl"]


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once closed


def test_a_neo4j_store_nobody_answers_at_is_said_in_french_with_what_to_do(tmp_path):
    """« no Neo4j answers there (connection refused); start one with `make neo4j-start` » was
    English in the French CLI, and gave the local advice for remote and TLS addresses too. The
    advice names the port when it is not 7687: `make neo4j-start` alone starts a server on 7687,
    and the command failed again."""
    port = _closed_port()
    res = run("--store", f"bolt://127.0.0.1:{port}", "stats", cwd=tmp_path, check=False)
    assert res.returncode == 1
    assert (f"erreur : bolt://127.0.0.1:{port} : aucun Neo4j ne répond à cette adresse (connexion refusée) ; "
            f"démarrez le Neo4j local avec « make neo4j-start NEO4J_PORT={port} », ou vérifiez le port"
            ) in " ".join(res.stderr.split())
    res = run("--lang", "en", "--store", f"bolt://localhost:{port}", "stats", cwd=tmp_path, check=False)
    assert (f"error: bolt://localhost:{port}: no Neo4j answers there (connection refused); start the local one "
            f"with `make neo4j-start NEO4J_PORT={port}`") in " ".join(res.stderr.split())
    # TLS (what the local server does not speak) and remote hosts: check the address, no make
    for uri, why in ((f"neo4j+s://127.0.0.1:{port}", "connexion refusée"),
                     ("bolt://neo4j.example.invalid:7687", "hôte inconnu")):
        res = run("--store", uri, "stats", cwd=tmp_path, check=False)
        out = " ".join(res.stderr.split())
        assert res.returncode == 1 and "make neo4j-start" not in out, out
        assert (f"erreur : {uri} : aucun Neo4j ne répond à cette adresse ({why}) ; vérifiez l'hôte, le port (Bolt : "
                "7687 par défaut) et le schéma (neo4j+s:// pour Aura)") in out, out
        assert "Unable to retrieve routing information" not in res.stderr  # the driver's log line, silenced


def test_a_windows_path_is_a_store_file_not_an_address():
    from maillage.graph import store_file

    assert store_file(r"C:\\data\\maillage.db") is not None and store_file("C://data/m.db") is not None


def test_a_failed_first_load_leaves_no_empty_store_behind(tmp_path):
    """A member list naming no pôle is refused; the store that load would have made is not left
    empty on disk (the next command says « no store », not « 0 actors »)."""
    f = tmp_path / "membres.csv"
    f.write_text("Nom;Rôle\nLa Ressourcerie;membre\n", encoding="utf-8")
    res = run("--store", "s.db", "load", str(f), cwd=tmp_path, check=False)
    assert res.returncode == 1 and "ne nomme pas de pôle" in " ".join((res.stdout + res.stderr).split())
    assert not list(tmp_path.glob("s.db*"))
    assert "pas de base à s.db" in run("--store", "s.db", "stats", cwd=tmp_path, check=False).stderr

def test_stats_json_and_idempotent_reload(tmp_path, datafile):
    run("--store", "s.db", "load", str(datafile), cwd=tmp_path)
    first = json.loads(run("--store", "s.db", "stats", "--json", cwd=tmp_path).stdout)
    run("--store", "s.db", "load", str(datafile), cwd=tmp_path)
    again = json.loads(run("--store", "s.db", "stats", "--json", cwd=tmp_path).stdout)
    assert first == again
    assert (first["actors"], first["relations"], first["poles"], first["sources"]) == (2, 1, 1, 1)


def test_stats_text_says_what_the_json_says(tmp_path, datafile):
    """The table people read: the store on a line of its own (a table title wrapped it inside the
    narrow table), then every count of ``--json``, by family and relation type too."""
    run("--store", "s.db", "load", str(datafile), cwd=tmp_path)
    data = json.loads(run("--store", "s.db", "stats", "--json", cwd=tmp_path).stdout)
    text = run("--store", "s.db", "stats", "--lang", "en", cwd=tmp_path).stdout
    assert text.splitlines()[0] == f"store: {data['store']}"
    rows = {m[0]: int(m[1].replace(",", "")) for m in re.findall(r"│ (\S[^│]*?)\s*│\s*([\d,]+) │", text)}
    for k in ("actors", "relations", "poles", "sources", "statements", "persons", "placeholders", "runs", "proposals"):
        assert rows[k] == data[k], k
    assert "family" in text and "relation type" in text
    # in French by default: the same counts under French words
    text = run("--store", "s.db", "stats", cwd=tmp_path).stdout
    assert text.splitlines()[0] == f"base : {data['store']}"
    rows = {m[0]: int(m[1]) for m in re.findall(r"│ (\S[^│]*?)\s*│\s*(\d+) │", text)}
    for k, fr in (("actors", "acteurs"), ("relations", "relations"), ("poles", "pôles"), ("sources", "sources"),
                  ("statements", "énoncés d'acteurs"), ("persons", "personnes (données personnelles)"),
                  ("placeholders", "fiches provisoires (« une CAE »)"), ("runs", "analyses"),
                  ("proposals", "fusions à examiner")):
        assert rows[fr] == data[k], k
    assert "famille" in text and "type de relation" in text and "family" not in text


def test_french_numbers_are_grouped_by_thousands(tmp_path):
    """« 1 377 liens » (a narrow no-break space) in French, « 1,377 » in English: a French reader
    takes « 1,377 » for one and a bit."""
    from maillage import cli

    cli.state.lang = "fr"
    assert (cli._number(1377), cli._number(999), cli._number(1_234_567)) == ("1\u202f377", "999", "1\u202f234\u202f567")
    cli.state.lang = "en"
    assert cli._number(1377) == "1,377"
    cli.state.lang = "fr"


def test_stats_lists_the_most_numerous_first(tmp_path):
    """Families and relation types by count, largest first (they came in code order: « Pôle »
    among « Collectivité » and « Tiers-lieu » with no order a reader could see)."""
    from maillage.graph.vocabulary import vocabulary
    from maillage.loaders import load_reference

    with open_store(str(tmp_path / "s.db")) as s:
        load_reference(s)
    data = json.loads(run("--store", "s.db", "stats", "--json", cwd=tmp_path).stdout)
    text = run("--store", "s.db", "stats", cwd=tmp_path).stdout
    rows = [(m[0], int(m[1].replace(",", ""))) for m in re.findall(r"│ (\S[^│]*?)\s*│\s*([\d,]+) │", text)]
    v = vocabulary()
    for labels in ({v.family(k).label("fr"): n for k, n in data["actors_by_family"].items()},
                   {v.relation_type(k).label("fr"): n for k, n in data["relations_by_type"].items()}):
        shown = [r for r in rows if r[0] in labels]
        assert dict(shown) == labels and len(shown) > 3
        assert [n for _, n in shown] == sorted(labels.values(), reverse=True)


def test_store_from_environment(tmp_path, datafile, monkeypatch):
    env_store = tmp_path / "env.db"
    res = subprocess.run([sys.executable, "-m", "maillage.cli", "load", str(datafile)], cwd=tmp_path,
                         capture_output=True, text=True, env={**__import__("os").environ, "MAILLAGE_STORE": str(env_store)})
    assert res.returncode == 0, res.stderr
    assert env_store.is_file() and not (tmp_path / "maillage.db").exists()


@pytest.mark.parametrize("args,message", [
    (["load", "missing.csv"], "erreur : missing.csv : fichier introuvable"),  # French by default
    (["load", "missing.csv", "--lang", "en"], "error: missing.csv: no such file"),
    (["load", "--format", "nope", "DATA"], "format 'nope' inconnu ; formats possibles : ftm, kumu,"),
    (["--store", "bolt://127.0.0.1:9", "stats"], "aucun Neo4j ne répond à cette adresse"),
])
def test_errors_are_one_line_without_traceback(tmp_path, datafile, args, message):
    args = [str(datafile) if a == "DATA" else a for a in args]
    res = run(*args, cwd=tmp_path, check=False)
    assert res.returncode == 1
    assert message in res.stderr
    assert "Traceback" not in res.stderr


def test_the_system_refusing_a_file_is_said_in_words_with_the_path_given(tmp_path, datafile):
    """An output where a file stands for a folder was « [Errno 17] File exists: 's.db' » — the
    system's English, and for an export the hidden « .x.gexf.1234.part » it is first written
    to. Now the path the user gave and what is wrong, in French unless --lang en."""
    run("--store", "s.db", "load", str(datafile), cwd=tmp_path)
    res = run("--store", "s.db", "export", "--format", "gexf", "-o", "s.db/x.gexf", cwd=tmp_path, check=False)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "erreur : s.db : un fichier est là, où il faut un dossier" in res.stderr, res.stderr
    assert "Errno" not in res.stderr and ".part" not in res.stderr
    res = run("--store", "s.db", "export", "--format", "gexf", "-o", "s.db/x.gexf", "--lang", "en", cwd=tmp_path,
              check=False)
    assert "error: s.db: a file is there, where a folder is needed" in res.stderr, res.stderr


@pytest.mark.parametrize(("error", "said"), [
    (PermissionError(errno.EACCES, "Permission denied", "/sys/.x.gexf.7597.part"),
     "/sys/x.gexf: permission denied (this user may not read or write there)"),
    (FileNotFoundError(errno.ENOENT, "No such file or directory", "/proc/r-carte.html"),
     "/proc/r-carte.html: no such file or folder"),
    (OSError(errno.ENOSPC, "No space left on device", "out/.carte.html.12.part"),
     "out/carte.html: no space left on the disk"),
    (IsADirectoryError(errno.EISDIR, "Is a directory", "sorties"), "sorties: a folder, where a file is needed"),
    (OSError(errno.EIO, "Input/output error", "x.csv"), "x.csv: Input/output error"),  # not listed: as said
    (OSError("no path at all"), "no path at all"),
])
def test_os_message(error, said):
    from maillage.cli import os_message
    from maillage.loaders.motifs import motif

    assert os_message(error) == said
    if error.errno in (errno.EACCES, errno.ENOENT, errno.ENOSPC, errno.EISDIR):
        assert motif(said) != said and "Errno" not in motif(said)  # said in French too


@pytest.mark.parametrize("args,french,english", [
    (["stats", "--jsn"], "erreur : option inconnue : --jsn (vouliez-vous dire --json ?)", "No such option: --jsn"),
    (["load"], "erreur : donnez des fichiers à charger, ou --reference pour le jeu de données de référence",
     "give files to load, or --reference for the reference dataset"),
    (["remove"], "erreur : il manque l'argument source", "Missing argument 'source"),
    (["report"], "erreur : il manque l'option --out / -o / --output", "Missing option '--out'"),
    (["analyse", "--k", "dix"], "erreur : valeur invalide pour --k : attendu un nombre entier", "Invalid value for '--k'"),
    (["viz", "ego", "x", "--depth", "9"], "erreur : valeur invalide pour --depth : attendu au plus 3", "'--depth'"),
    (["analyser"], "erreur : commande inconnue : 'analyser'", "No such command 'analyser'"),
    (["stat"], "erreur : commande inconnue : 'stat' (vouliez-vous dire 'stats' ?)", "Did you mean 'stats'?"),
    (["report", "Pôle Test", "-o", "r.html"], "erreur : argument en trop : Pôle Test (une valeur d'option se donne "
     "après son nom", "Got unexpected extra argument(s) (Pôle Test)"),
    (["stats", "--lang", "de"], "erreur : valeur invalide pour --lang : « de » : fr ou en attendu", "expected fr or en"),
    (["load", "x.csv", "--format"], "erreur : l'option --format attend une valeur après son nom",
     "Option '--format' requires an argument"),
    (["stats", "--json=oui"], "erreur : l'option --json ne prend pas de valeur", "Option '--json' does not take a value"),
])
def test_usage_errors_are_in_french_unless_asked(tmp_path, args, french, english):
    """A mistyped option or a missing argument: the command line's own errors (typer's, English
    only) are said in French, with the usage line and where to find help; ``--lang en`` and
    ``MAILLAGE_LANG=en`` keep typer's English."""
    res = run(*args, cwd=tmp_path, check=False)
    assert res.returncode == 2 and french in res.stderr, res.stderr
    assert "Usage :" in res.stderr or "--format" in args or "--json=oui" in args  # said by click before any usage
    helped = r"maillage(\.cli)? --help »" if "commande inconnue" in french else rf"maillage(\.cli)? {args[0]} --help »"
    assert re.search(helped + " pour l'aide.", res.stderr) and "Error" not in res.stderr, res.stderr
    if "--lang" in args:  # a language asked that is neither: the French error says what is expected in both
        return
    english_runs = [run(*args, cwd=tmp_path, check=False, lang="en")]
    if args[-1] != "--format":  # there « --lang » would be the format asked
        english_runs.append(run(*args, "--lang", "en", cwd=tmp_path, check=False))
    for res in english_runs:
        assert res.returncode == 2 and english in res.stderr and "erreur" not in res.stderr, res.stderr


def test_maillage_lang_sets_the_language_once(tmp_path, datafile):
    """``MAILLAGE_LANG=en`` for a shell: every command prints English without ``--lang``; the
    option still wins over it. ``--lang`` goes before the command too, as ``--store`` does
    (it was refused there: « No such option: --lang »); the command's own wins over it."""
    run("--store", "s.db", "load", str(datafile), cwd=tmp_path)
    assert run("--store", "s.db", "stats", cwd=tmp_path, lang="en").stdout.startswith("store: ")
    assert run("--store", "s.db", "stats", "--lang", "fr", cwd=tmp_path, lang="en").stdout.startswith("base : ")
    assert run("--store", "s.db", "--lang", "en", "stats", cwd=tmp_path).stdout.startswith("store: ")
    assert run("--lang", "fr", "--store", "s.db", "stats", cwd=tmp_path, lang="en").stdout.startswith("base : ")
    assert run("--lang", "en", "--store", "s.db", "stats", "--lang", "fr", cwd=tmp_path).stdout.startswith("base : ")
    res = run("--lang", "de", "--store", "s.db", "stats", cwd=tmp_path, check=False)
    assert res.returncode == 2 and "« de » : fr ou en attendu" in res.stderr
    res = run("--store", "nowhere.db", "sources", cwd=tmp_path, check=False, lang="en")
    assert res.returncode == 1 and res.stderr.startswith("error: no store at nowhere.db")
    res = run("--store", "s.db", "load", "missing.csv", cwd=tmp_path, check=False, lang="en")
    assert res.returncode == 1 and "error: missing.csv: no such file" in res.stderr


def test_debug_shows_the_traceback(tmp_path):
    res = run("--debug", "load", "missing.csv", cwd=tmp_path, check=False)
    assert res.returncode != 0 and "Traceback" in res.stderr


def test_unreadable_format_is_refused_clearly(tmp_path):
    """Bytes that are no table: refused, without the advice of --format (no format reads them);
    a JSON document no format recognised: --format, which JSON formats may read."""
    f = tmp_path / "junk.bin"
    f.write_bytes(b"\x00\x01\x02 not a dataset")
    res = run("load", str(f), "--lang", "en", cwd=tmp_path, check=False)
    assert res.returncode == 1 and "cannot tell the format" in res.stderr and "binary content" in res.stderr
    assert "--format" not in res.stderr
    res = run("load", str(f), cwd=tmp_path, check=False)
    assert res.returncode == 1 and "format non reconnu : un contenu binaire" in res.stderr
    assert "--format" not in res.stderr
    f = tmp_path / "x.json"
    f.write_text('{"a": 1}', encoding="utf-8")
    res = run("load", str(f), cwd=tmp_path, check=False)
    assert res.returncode == 1 and "format non reconnu ; précisez-le avec --format" in res.stderr


def test_analyse_says_where_the_ties_are_when_the_lens_has_none(tmp_path):
    # a subsidy file only: every tie is funding, and `analyse` reads the cooperation lens by default
    f = tmp_path / "subventions.csv"
    f.write_text("nomAttribuant;idAttribuant;nomBeneficiaire;objet;montant;dateConvention\n"
                 "CA du Sicoval;24310063300013;Les Jardins;Aide;1000;2021-01-01\n"
                 "CA du Sicoval;24310063300013;La Cigale;Aide;2000;2021-02-01\n", encoding="utf-8")
    run("--store", "s.db", "load", str(f), cwd=tmp_path)
    res = run("--store", "s.db", "analyse", "--metrics-only", "--lang", "en", cwd=tmp_path)
    assert "the cooperation lens holds no tie of this store; funding holds 2: try maillage analyse --lens funding" \
        in " ".join(res.stdout.split())
    res = run("--store", "s.db", "analyse", "--metrics-only", "--lens", "funding", "--lang", "en", cwd=tmp_path)
    assert "2 ties" in res.stdout and "note:" not in res.stdout
    res = run("--store", "s.db", "analyse", "--metrics-only", "--as-of", "2021", "--lang", "en", cwd=tmp_path)
    assert "active in 2021" in " ".join(res.stdout.split())
    # French by default
    res = run("--store", "s.db", "analyse", "--metrics-only", cwd=tmp_path)
    said = " ".join(res.stdout.split())
    assert "lentille coopération, toutes années (3 acteurs, 0 lien, densité 0, intermédiarité exacte)" in said
    assert "normalisés" not in said  # no actor with a tie: nothing to normalise over
    assert ("remarque : la lentille coopération n'a aucun lien de cette base ; financement en a 2 : essayez maillage "
            "analyse --lens financement") in said
    res = run("--store", "s.db", "analyse", "--metrics-only", "--as-of", "2021", cwd=tmp_path)
    assert "aucun lien de cette base actif en 2021 ; financement en a 2 (toutes années)" in " ".join(res.stdout.split())


SCDL_HEADER = "nomAttribuant;idAttribuant;nomBeneficiaire;objet;montant;dateConvention\n"


def _scdl(path: Path, *beneficiaries: str) -> Path:
    path.write_text(SCDL_HEADER + "".join(f"CA du Sicoval;24310063300013;{b};Aide;1000;2021-01-01\n"
                                          for b in beneficiaries), encoding="utf-8")
    return path


def test_sources_quote_titles_as_a_french_reader_does(tmp_path):
    """A source's title between « » in French, “ ” in English."""
    run("--store", "r.db", "load", "--reference", cwd=tmp_path)
    text = run("--store", "r.db", "sources", cwd=tmp_path).stdout
    assert "« Graphe de référence s000a — RTES 2016, lignes 1-760 »" in text and "“" not in text
    text = run("--store", "r.db", "sources", "--lang", "en", cwd=tmp_path).stdout
    assert "“Graphe de référence s000a — RTES 2016, lignes 1-760”" in text


def _state(cwd: Path, db: str) -> tuple[set, set]:
    with open_store(str(cwd / db)) as s:
        return ({a.id for a in s.iter_actors(include_persons=True)},
                {r.id for r in s.relations()})


def test_sources_then_remove_one_gives_the_store_of_the_other_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")  # the machine's zone is not the one a French reader reads
    a = _scdl(tmp_path / "a.csv", "Les Jardins", "La Cigale")
    b = _scdl(tmp_path / "b.csv", "La Fourmi")
    run("--store", "ab.db", "load", str(a), str(b), cwd=tmp_path)
    run("--store", "a.db", "load", str(a), cwd=tmp_path)
    listed = json.loads(run("--store", "ab.db", "sources", "--json", cwd=tmp_path).stdout)
    assert [s["id"] for s in listed] == ["scdl:a.csv", "scdl:b.csv"]  # load order
    text = run("--store", "ab.db", "sources", cwd=tmp_path).stdout
    assert "scdl:b.csv" in text
    loaded = datetime.fromisoformat(listed[1]["loaded_at"]).astimezone(ZoneInfo("Europe/Paris"))
    when = loaded.strftime("%d/%m/%Y %H:%M")  # in French, in Paris time as the reports; ISO in English, UTC in JSON
    assert f"scdl · b.csv · chargée le {when}" in " ".join(text.split())
    text = run("--store", "ab.db", "sources", "--lang", "en", cwd=tmp_path).stdout
    assert f"scdl · b.csv · loaded {loaded.strftime('%Y-%m-%d %H:%M')}" in " ".join(text.split())
    res = run("--store", "ab.db", "remove", "b.csv", "--yes", cwd=tmp_path)  # by file name
    said = " ".join(res.stdout.split())
    assert "scdl:b.csv retirée : 2 énoncés d'acteurs, 1 relation ; 1 acteur retiré (décrit par" in said  # Sicoval + La Fourmi
    assert "1 gardé (d" in said  # the Sicoval: a.csv describes it too
    assert _state(tmp_path, "ab.db") == _state(tmp_path, "a.db")


def test_every_stage_a_progress_bar_shows_is_said_in_the_command_s_language(monkeypatch):
    """The loaders' stages showed in English on a French user's terminal (« a.csv · parse »): every
    stage the code reports has its words (:data:`maillage.cli.STAGE_WORDS`)."""
    import re

    from maillage import cli as module

    code = "\n".join(p.read_text(encoding="utf-8") for p in Path(module.__file__).parent.rglob("*.py"))
    reported = set(re.findall(r"\b(?:report|progress|tick)\(\s*\"([^\"]+)\"", code))
    assert {"parse", "resolve", "write", "texts", "métriques"} <= reported
    assert reported <= set(module.STAGE_WORDS), sorted(reported - set(module.STAGE_WORDS))
    monkeypatch.setattr(module.state, "lang", "fr")
    assert [module._stage_word(s) for s in ("parse", "resolve", "write")] == ["lecture", "rapprochement", "écriture"]
    monkeypatch.setattr(module.state, "lang", "en")
    assert module._stage_word("métriques") == "metrics"


def test_ctrl_c_during_a_load_is_said(tmp_path, monkeypatch, capsys):
    """Ctrl-C during `load` exited 130 without a word (click, not standalone, returns 130): the
    user did not know whether the file was loaded."""
    import maillage.loaders
    from maillage import cli as module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(maillage.loaders, "load_file", interrupted)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["maillage", "--store", "s.db", "load", str(_scdl(tmp_path / "a.csv", "X"))])
    with pytest.raises(SystemExit) as e:
        module.main()
    assert e.value.code == 130
    assert "interrompu (Ctrl-C) : une écriture en cours n'a rien gardé" in " ".join(capsys.readouterr().err.split())


def test_remove_takes_an_id_as_an_id_and_a_path_as_written(tmp_path):
    """An id no longer in the store (« scdl:2013/a.csv ») removed another source loaded from a
    file of the same name, even with --yes; and « y/a.csv », the path one source was loaded
    from, was refused as naming two sources."""
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    run("--store", "s.db", "load", str(_scdl(tmp_path / "x" / "a.csv", "Les Jardins")), cwd=tmp_path)
    _scdl(tmp_path / "y" / "a.csv", "La Cigale")
    run("--store", "s.db", "load", "y/a.csv", cwd=tmp_path)
    ids = [s.id for s in open_store(str(tmp_path / "s.db")).sources()]
    assert len(ids) == 2
    before = _state(tmp_path, "s.db")
    res = run("--store", "s.db", "remove", "scdl:2013/a.csv", "--yes", cwd=tmp_path, check=False)
    assert res.returncode == 1 and "aucune source 'scdl:2013/a.csv'" in res.stdout + res.stderr
    assert _state(tmp_path, "s.db") == before  # nothing removed
    res = run("--store", "s.db", "remove", "y/a.csv", "--yes", cwd=tmp_path)  # the path it was loaded from
    kept = [i for i in ids if "y/" not in i]
    assert [s.id for s in open_store(str(tmp_path / "s.db")).sources()] == kept
    # the id just removed, given again: one source has its file's name, and stays
    res = run("--store", "s.db", "remove", next(i for i in ids if "y/" in i), "--yes", cwd=tmp_path, check=False)
    assert res.returncode == 1 and [s.id for s in open_store(str(tmp_path / "s.db")).sources()] == kept


def test_remove_refuses_unknown_sources_and_asks_first(tmp_path):
    run("--store", "s.db", "load", str(_scdl(tmp_path / "a.csv", "Les Jardins")), cwd=tmp_path)
    before = _state(tmp_path, "s.db")
    res = run("--store", "s.db", "remove", "nope.csv", "--yes", cwd=tmp_path, check=False)
    assert res.returncode == 1 and "scdl:a.csv" in res.stdout + res.stderr  # the sources there are, listed
    for reply in ("n\n", "\n", "non\n"):  # no, or nothing: the default is no
        res = subprocess.run([sys.executable, "-m", "maillage.cli", "--store", "s.db", "remove", "scdl:a.csv"],
                             cwd=tmp_path, input=reply, capture_output=True, text=True, timeout=120)
        assert res.returncode != 0 and "Retirer la source scdl:a.csv" in res.stdout and "[o/N]" in res.stdout
        assert "abandon" in res.stderr
    res = subprocess.run([sys.executable, "-m", "maillage.cli", "--store", "s.db", "remove", "scdl:a.csv", "--lang",
                          "en"], cwd=tmp_path, input="n\n", capture_output=True, text=True, timeout=120)
    assert res.returncode != 0 and "Remove source scdl:a.csv" in res.stdout
    assert _state(tmp_path, "s.db") == before and before[0]
    open_store(str(tmp_path / "e.db")).close()  # a store with nothing in it (not a missing one)
    empty = run("--store", "e.db", "sources", cwd=tmp_path).stdout
    assert "aucune source" in empty
    # « o » (oui) is yes in French: the source goes
    res = subprocess.run([sys.executable, "-m", "maillage.cli", "--store", "s.db", "remove", "scdl:a.csv"],
                         cwd=tmp_path, input="o\n", capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and "scdl:a.csv retirée" in " ".join(res.stdout.split())
    assert _state(tmp_path, "s.db") == (set(), set())


def test_a_long_step_shows_what_it_is_doing_on_a_terminal(tmp_path, datafile):
    """On a terminal, `report` says what it is doing while it works (a région's report takes
    10 s or more); piped, it prints only its result (the other tests: no spinner in captured
    output)."""
    import os
    import pty

    run("--store", "s.db", "load", str(datafile), cwd=tmp_path)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command on a pseudo-terminal
        os.chdir(tmp_path)
        os.execv(sys.executable, [sys.executable, "-m", "maillage.cli", "--store", "s.db", "report",
                                  "--observatory", "-o", "r.html"])
    import select
    import time

    seen, deadline = b"", time.monotonic() + 120
    while time.monotonic() < deadline:
        if not select.select([fd], [], [], 1.0)[0]:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert "Rédaction du rapport".encode() in seen and (tmp_path / "r.html").is_file()
    piped = run("--store", "s.db", "report", "--observatory", "-o", "r2.html", cwd=tmp_path)
    assert "Rédaction du rapport" not in piped.stdout + piped.stderr


def test_every_command_that_writes_files_takes_the_same_output_options():
    """``-o``, ``--out`` and ``--output`` name where a command writes, whichever command: a user
    who typed ``maillage report … -o rapports/`` types ``maillage demo -o essai`` next (it said
    « No such option: -o »). ``load`` is the exception: its ``-o`` is ``--option`` (documented)."""
    import typer

    from maillage.cli import app

    group = typer.main.get_command(app)
    for name in ("demo", "viz", "report", "export"):
        opts = {o for p in group.commands[name].params for o in p.opts if p.name in ("out_dir", "output", "out")}
        assert opts == {"-o", "--out", "--output"}, (name, opts)


def test_analyse_says_which_ties_each_count_counts(tmp_path, shared):
    """One pôle's member list: the measures tie every two members (co-membership), the isolation
    counts only ties stated between two actors. The summary says so, instead of « 4 acteurs
    isolés » beside « 10 liens »."""
    f = tmp_path / "membres.csv"
    f.write_text("Nom;Type;Commune\nLes Jardins;Association;Foix\nScop Bois;SCOP;Foix\n"
                 "Atelier;Association;Foix\nÉcluse;Association;Foix\n", encoding="utf-8")
    run("--store", "s.db", "load", str(f), "--pole", "Pôle Ariège", cwd=tmp_path)
    said = " ".join(run("--store", "s.db", "analyse", cwd=tmp_path).stdout.split())
    # every two of the five tied (the pôle to its members, the members to each other): density 1
    assert "(5 acteurs, 10 liens dont 6 par l'appartenance à un même pôle, densité 1, intermédiarité exacte)" in said
    assert ("intermédiarité, proximité et PageRank normalisés sur les 5 acteurs ayant au moins un lien dans la "
            "lentille (densité entre eux : 1)") in said
    # a member tied only to its pôle has a single partner: peripheral, not isolated (as the
    # territory diagnostic and the API say it; the line used to mix both in « isolés ou périphériques »)
    assert ("liens directs (énoncés entre deux acteurs) : 0 isolé (aucun lien de coopération) ; 5 périphériques "
            "dont 4 avec un seul partenaire (leur pôle pour 4) ;") in said
    said = " ".join(run("--store", "s.db", "analyse", "--lang", "en", cwd=tmp_path).stdout.split())
    assert "(5 actors, 10 ties, 6 of them through membership of a same pôle, density 1, betweenness exact)" in said
    assert ("0 isolated (no cooperation tie); 5 peripheral, of which 4 with a single partner (their pôle for 4);"
            in said)
    # a real subsidy file adds bénéficiaires without a cooperation tie: the graph's density falls,
    # the normalisation still uses the same five actors, and the line says how many have 0
    grants = shared / "realdata/scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv"
    run("--store", "s.db", "load", str(grants), cwd=tmp_path)
    said = " ".join(run("--store", "s.db", "analyse", "--metrics-only", cwd=tmp_path).stdout.split())
    nodes = int(re.search(r"\((\d+) acteurs, 10 liens", said).group(1))
    assert nodes > 40 and f"densité {10 / (nodes * (nodes - 1) / 2):.3g}".replace(".", ",") in said
    assert (f"normalisés sur les 5 acteurs ayant au moins un lien dans la lentille (densité entre eux : 1) ; "
            f"0 pour les {nodes - 5} acteurs sans lien") in said


def test_export_csv_with_a_view_option_names_that_option_not_the_format(tmp_path):
    """``export -f csv --lens governance`` was refused as « valeur invalide pour --format »: the
    option at fault is --lens (the metrics CSV is a run's, every actor). The message names it
    and says how to get a lens's metrics."""
    res = run("--store", "s.db", "export", "-f", "csv", "--lens", "governance", "--as-of", "2016", cwd=tmp_path,
              check=False)
    assert res.returncode == 2
    out = " ".join((res.stdout + res.stderr).split())
    assert "--lens" in out and "--as-of, --lens ne s'applique pas à --format csv" in out, out
    assert "maillage analyse --lens … --as-of …" in out and "valeur invalide pour --format" not in out


def test_export_depth_without_an_actor_is_refused_not_ignored(tmp_path, datafile):
    """``export --pole P --depth 2`` wrote the pôle's depth-1 subgraph, as if --depth were not
    there: --depth only means something with --actor. Refused, even ``--depth 1``, for a pôle
    (with the command that gives its neighbourhood), a territory, the whole graph and the run
    tables; with --actor it works as before."""
    run("--store", "s.db", "load", str(datafile), cwd=tmp_path)
    for args, french, english in (
            (["-f", "gexf", "--pole", "PTCE Le Périscope", "--depth", "2"],
             "--depth ne s'applique qu'au voisinage d'un acteur (--actor) ; pour le voisinage du pôle à 2 liens : "
             "--actor 'PTCE Le Périscope' --depth 2",
             "--depth only applies to an actor's neighbourhood (--actor); for the pôle's neighbourhood 2 ties "
             "away: --actor 'PTCE Le Périscope' --depth 2"),
            (["-f", "nodes.csv", "--projection", "--territory", "31", "--depth", "1"],
             "--depth ne s'applique qu'au voisinage d'un acteur (--actor) ; un territoire se prend en entier, sans "
             "profondeur", "a territory is taken whole, without depth"),
            (["-f", "edges.csv", "--depth", "2"], "sans pôle, territoire ni acteur, c'est le graphe entier",
             "with no pôle, territory or actor, it is the whole graph"),
            (["--depth", "2"], "--depth ne s'applique pas à --format csv, qui écrit les mesures d'une analyse",
             "--depth does not apply to --format csv"),
            (["-f", "poles.csv", "--depth", "1"], "--depth ne s'applique pas à --format poles.csv",
             "--depth does not apply to --format poles.csv")):
        res = run("--store", "s.db", "export", *args, "-o", "x.out", cwd=tmp_path, check=False)
        said = " ".join(res.stderr.split())
        assert res.returncode == 2 and french in said and "valeur invalide pour --depth :" in said, (args, said)
        res = run("--store", "s.db", "export", *args, "-o", "x.out", "--lang", "en", cwd=tmp_path, check=False)
        assert res.returncode == 2 and english in " ".join(res.stderr.split()), (args, res.stderr)
    assert not (tmp_path / "x.out").exists()
    run("--store", "s.db", "export", "-f", "nodes.csv", "--actor", "PTCE Le Périscope", "--depth", "2", "-o",
        "a.csv", cwd=tmp_path)
    assert (tmp_path / "a.csv").read_text(encoding="utf-8-sig").count("\n") > 2


def foix_grants(path: Path, first: str) -> Path:
    """A two-row SCDL file: the Commune de Foix funds ``first``, then « Atelier Vélo », in 2016."""
    path.write_text("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant;nature\n"
                    + "".join(f"Commune de Foix;210900920;15/03/2016;{name};;Fonctionnement;{amount};aide en numéraire\n"
                              for name, amount in ((first, 1000), ("Atelier Vélo", 500))), encoding="utf-8")
    return path


def test_analyse_splits_actors_with_no_tie_in_the_lens_by_reason_and_counts_the_unobserved(tmp_path):
    """A subsidy file and a member list: in the cooperation lens the funded actors have no direct
    tie, but they are not « sans aucun lien » (the stored code says « seulement financement »):
    the summary used to count them all as « sans aucun lien ». With --as-of, actors whose ties
    are all dated in other years drop out of the isolation: the summary now says how many."""
    (tmp_path / "membres.csv").write_text("Nom;Type;Commune\nLes Jardins;Association;Foix\nScop Bois;SCOP;Foix\n"
                                          "Solitaire;Association;Foix\n", encoding="utf-8")
    foix_grants(tmp_path / "subventions.csv", "Radio Ariège")
    run("--store", "s.db", "load", str(tmp_path / "membres.csv"), "--pole", "Pôle Ariège", cwd=tmp_path)
    (tmp_path / "seul.csv").write_text("Nom;Type;Commune\nÉcluse;Association;Foix\n", encoding="utf-8")
    run("--store", "s.db", "load", str(tmp_path / "seul.csv"), cwd=tmp_path)
    run("--store", "s.db", "load", str(tmp_path / "subventions.csv"), "--format", "scdl", cwd=tmp_path)
    said = " ".join(run("--store", "s.db", "analyse", cwd=tmp_path).stdout.split())
    # the Commune de Foix only funds: a collectivité, set apart, not one of the isolated
    # the two bénéficiaires of the subsidy file have no known place: in no territory's diagnostic, said
    assert ("liens directs (énoncés entre deux acteurs) : 3 isolés (aucun lien de coopération : 1 sans aucun lien, "
            "2 reliés seulement par des financements ; 2 d'entre eux sans lieu connu, donc dans aucun territoire) ; "
            "4 périphériques dont 3 avec un seul partenaire (leur pôle pour 3) ; à part : 1 collectivité ou organisme "
            "public ;") in said, said
    assert "--tableur -o metriques.csv" in said  # the export it suggests is the spreadsheet's
    said = " ".join(run("--store", "s.db", "analyse", "--lens", "financement", cwd=tmp_path).stdout.split())
    assert "(aucun lien de financement" in said and "aucun lien de coopération" not in said, said
    assert "non observé" not in said
    said = " ".join(run("--store", "s.db", "analyse", "--as-of", "2019", cwd=tmp_path).stdout.split())
    assert ("1 isolé (aucun lien de coopération : 1 sans aucun lien) ; 4 périphériques dont 3 avec un seul "
            in said), said
    assert "3 acteurs non observés en 2019 (liens tous datés d'autres années) : ni isolés ni comptés ci-dessus" in said
    said = " ".join(run("--store", "s.db", "analyse", "--as-of", "2019", "--lang", "en", cwd=tmp_path).stdout.split())
    assert "3 actors not observed in 2019 (every tie dated in other years): neither isolated nor counted above" in said


def test_load_says_how_many_of_the_files_actors_other_sources_already_describe(tmp_path):
    """A subsidy file's line read « 0 fusionnée » while the resolution tied its attribuant and a
    bénéficiaire to actors of the member list loaded before — « merged » counts rows. The line
    under it now says how many actors were linked, and how to see each link."""
    (tmp_path / "membres.csv").write_text("Nom;Type;Commune\nLes Jardins de Foix;Association;Foix\n"
                                          "Scop Bois;SCOP;Foix\n", encoding="utf-8")
    foix_grants(tmp_path / "subventions.csv", "Les Jardins de Foix")
    def said_by(*args) -> str:
        res = run("--store", "s.db", *args, cwd=tmp_path)
        return " ".join((res.stdout + res.stderr).split())

    first = said_by("load", str(tmp_path / "membres.csv"), "--pole", "Pôle Ariège")
    assert "déjà décrit" not in first
    said = said_by("load", str(tmp_path / "subventions.csv"), "--format", "scdl")
    assert "2 lignes · 2 chargées · 0 fusionnée · 0 rejetée" in said, said
    assert ("· 1 acteur de ce fichier déjà décrit par d'autres sources, rapproché par la résolution : maillage "
            "resolve --log --source scdl:subventions.csv") in said, said
    log = said_by("resolve", "--log", "--source", "scdl:subventions.csv")
    assert "Les Jardins de Foix" in log
    again = said_by("load", str(tmp_path / "subventions.csv"), "--format", "scdl", "--lang", "en")
    assert ("· 1 actor of this file already described by other sources, linked by the entity resolution: maillage "
            "resolve --log --source scdl:subventions.csv") in again, again  # a reload: its own earlier load is not « other »


def test_remove_says_the_joins_it_undoes_and_those_another_source_still_makes(tmp_path):
    """Removing the source whose statement bridged two actors splits them back (docs/resolution.md,
    *Load order*): the command says so, and says which stay joined because a statement of another
    source still bridges them — silence read as « nothing else changed »."""
    from _jsonl import actor, relation, write_jsonl

    def f(name, sha, records):
        head = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": name,
                "documents": {"etude": {"sha256": sha * 64}}}
        return write_jsonl(tmp_path / f"{name}.jsonl", [head, *records])

    bridge = [actor("marie-martin", "Marie Martin", "person"), actor("ressourcerie", "Ressourcerie des Monts", "ess"),
              relation("membership", "marie-martin", "ressourcerie")]
    f("a", "a", [actor("marie-martin", "Marie Martin", "person"), actor("damier", "PTCE Le Damier", "pole"),
                 relation("governs", "marie-martin", "damier", role="présidente")])
    f("b", "b", [actor("mm", "Marie Martin", "person"), actor("ressourcerie", "Ressourcerie des Monts", "ess"),
                 relation("membership", "mm", "ressourcerie")])
    f("c", "a", bridge)
    f("e", "a", bridge)
    for name in ("a", "b", "c"):
        run("--store", "s.db", "load", f"{name}.jsonl", cwd=tmp_path)
    out = " ".join(run("--store", "s.db", "remove", "maillage-jsonl:c.jsonl", "--yes", cwd=tmp_path).stdout.split())
    assert "1 réunion d'acteurs faite par ses énoncés défaite : ces acteurs sont de nouveau distincts" in out, out
    assert "restent réunis" not in out
    for name in ("c", "e"):
        run("--store", "s.db", "load", f"{name}.jsonl", cwd=tmp_path)
    out = " ".join(run("--store", "s.db", "remove", "maillage-jsonl:c.jsonl", "--yes", cwd=tmp_path).stdout.split())
    assert ("1 réunion d'acteurs faite par ses énoncés défaite ; 1 refaite : un énoncé d'une autre source "
            "(maillage-jsonl:e.jsonl) relie encore ces acteurs") in out, out
    out = " ".join(run("--store", "s.db", "remove", "maillage-jsonl:e.jsonl", "--yes", "--lang", "en",
                       cwd=tmp_path).stdout.split())
    assert "1 join of actors its statements made undone: these actors are distinct again" in out, out


def test_remove_says_how_many_statements_of_later_sources_it_moved(tmp_path):
    """Statements of a file loaded after the removed one, drawn into an actor through the removed
    file's statements (the same key in the same document), are resolved again and moved: the
    command says how many, and of which sources (tests/conformance/test_remove_resolves_again.py)."""
    from _jsonl import actor, write_jsonl

    def f(name, sha, records):
        head = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": name,
                "documents": {"etude": {"sha256": sha * 64}}}
        return write_jsonl(tmp_path / f"{name}.jsonl", [head, *records])

    f("p", "b", [actor("r", "Ressourcerie des Monts", "ess")])
    f("s", "d", [actor("x1", "Ressourcerie des Monts", "ess"), actor("x2", "Garage Solidaire", "ess")])
    f("l", "d", [actor("x1", "Ressourcerie du Val", "ess"), actor("x2", "Garage Solidaire du Val", "ess")])
    f("k", "d", [actor("x1", "Ressourcerie du Val", "ess")])
    for name in ("p", "s", "l"):
        run("--store", "s.db", "load", f"{name}.jsonl", cwd=tmp_path)
    out = " ".join(run("--store", "s.db", "remove", "maillage-jsonl:s.jsonl", "--yes", cwd=tmp_path).stdout.split())
    assert ("2 énoncés de sources chargées après elle (maillage-jsonl:l.jsonl) résolus de nouveau et déplacés, "
            "avec leurs liens : ses énoncés les avaient fait rattacher à un autre acteur") in out, out
    for name in ("p", "s", "k"):
        run("--store", "t.db", "load", f"{name}.jsonl", cwd=tmp_path)
    out = " ".join(run("--store", "t.db", "remove", "maillage-jsonl:s.jsonl", "--yes", "--lang", "en",
                       cwd=tmp_path).stdout.split())
    assert ("1 statement of sources loaded after it (maillage-jsonl:k.jsonl) resolved again and moved, with its "
            "ties: its statements had drawn it into another actor") in out, out
    out = " ".join(run("--store", "t.db", "remove", "maillage-jsonl:k.jsonl", "--yes", cwd=tmp_path).stdout.split())
    assert "résolu" not in out, out  # nothing loaded after it


def _unchanged(tmp_path, res, before: bytes) -> None:
    """A refused load: exit code 2, the store byte for byte as it was, no rejects folder made."""
    assert res.returncode == 2, res.stdout + res.stderr
    assert (tmp_path / "s.db").read_bytes() == before
    assert not (tmp_path / "rejets").exists()


@pytest.fixture
def loaded_store(tmp_path):
    """A real SQLite store holding one list, its rejects folder removed: what a refused load must leave as it is."""
    (tmp_path / "avant.csv").write_text("nom;commune\nLa Fourmi;Albi\n", encoding="utf-8")
    run("--store", "s.db", "load", "avant.csv", "--pole", "Pôle Albigeois", cwd=tmp_path)
    shutil.rmtree(tmp_path / "rejets", ignore_errors=True)
    return (tmp_path / "s.db").read_bytes()


def test_pole_with_a_subsidy_file_beside_the_list_is_refused_naming_the_file(tmp_path, loaded_store):
    """`load subv.csv membres.csv --pole P` used to fail on the subsidy file with « le format 'scdl'
    ne prend pas la ou les options pole ; il prend : delimiter, encoding, sheet », words of
    `-o`'s options: --pole, a command option, belongs to member lists. Refused before anything is
    read, naming the file, its format, the formats that take --pole and what to do; the store is
    left as it was."""
    _scdl(tmp_path / "subv.csv", "Les Jardins")
    (tmp_path / "membres.csv").write_text("nom;commune\nLa Cigale;Albi\nLes Jardins;Castres\n", encoding="utf-8")
    res = run("--store", "s.db", "load", "subv.csv", "membres.csv", "--pole", "Pôle Tarnais", cwd=tmp_path,
              check=False)
    err = " ".join(res.stderr.split())
    assert ("--pole ne s'applique qu'aux formats liste de membres (members) et liste de lieux (places) : subv.csv "
            "est au format subventions SCDL (scdl) ; chargez-le dans une commande à part, sans --pole") in err, err
    _unchanged(tmp_path, res, loaded_store)
    run("--store", "s.db", "load", "membres.csv", "--pole", "Pôle Tarnais", cwd=tmp_path)  # the list alone: loaded


def test_year_with_a_subsidy_file_is_refused_before_it_is_read(tmp_path, loaded_store):
    """`load subv.csv --year 2025`: --year dates a member list; the SCDL loader refused it after the
    command had begun, in the words of `-o`'s options (« ne prend pas la ou les options year »)."""
    _scdl(tmp_path / "subv.csv", "Les Jardins")
    res = run("--store", "s.db", "load", "subv.csv", "--year", "2025", cwd=tmp_path, check=False)
    err = " ".join(res.stderr.split())
    assert ("--year ne s'applique qu'aux formats liste de membres (members) et liste de lieux (places) : subv.csv "
            "est au format subventions SCDL (scdl) ; chargez-le sans --year") in err, err
    assert "ne prend pas" not in err
    _unchanged(tmp_path, res, loaded_store)
    res = run("--store", "s.db", "load", "subv.csv", "--year", "2025", "--lang", "en", cwd=tmp_path, check=False)
    assert ("--year only applies to the formats members (member list) and places (place list): subv.csv is in the "
            "scdl format (SCDL subsidies); load it without --year") in " ".join(res.stderr.split()), res.stderr
    _unchanged(tmp_path, res, loaded_store)


def test_a_mapping_beside_files_of_several_formats_names_each_file_and_its_format(tmp_path, loaded_store):
    """--mapping reads a subsidy file through declared columns: a member list and an SCDL file given
    with it are both named, each with its format, in one message, before either is read."""
    _scdl(tmp_path / "subv.csv", "Les Jardins")
    (tmp_path / "membres.csv").write_text("nom;commune\nLa Cigale;Albi\n", encoding="utf-8")
    (tmp_path / "base.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in GOOD) + "\n",
                                         encoding="utf-8")
    res = run("--store", "s.db", "load", "membres.csv", "subv.csv", "base.jsonl", "--mapping", "paris-subventions",
              "-o", "sheet=Feuil1", cwd=tmp_path, check=False)
    err = " ".join(res.stderr.split())
    assert ("--mapping ne s'applique qu'au format subventions, colonnes déclarées (subsidies) : membres.csv est au "
            "format liste de membres (members), subv.csv au format subventions SCDL (scdl), base.jsonl au format "
            "données maillage (maillage-jsonl) ; chargez-les sans --mapping") in err, err
    # the other option in the same message: the member list and the SCDL file take a sheet, the JSON lines do not
    assert ("--option sheet ne s'applique qu'aux formats " in err and " : base.jsonl est au format données maillage "
            "(maillage-jsonl) ; chargez-le dans une commande à part, sans --option sheet") in err, err
    _unchanged(tmp_path, res, loaded_store)


def test_an_option_no_format_takes_says_what_the_files_formats_take(tmp_path, loaded_store):
    """`-o sheets=2025` (a typing error): no format takes it; the message says what the file's format
    takes, so that the right name is found, before anything is read."""
    (tmp_path / "membres.csv").write_text("nom;commune\nLa Cigale;Albi\n", encoding="utf-8")
    _scdl(tmp_path / "subv.csv", "Les Jardins")
    res = run("--store", "s.db", "load", "membres.csv", "subv.csv", "-o", "sheets=2025", cwd=tmp_path, check=False)
    err = " ".join(res.stderr.split())
    assert ("--option sheets n'est l'option d'aucun format : le format liste de membres (members) de membres.csv "
            "prend column.CHAMP, pole, sheet, year ;") in err, err
    assert ("le format subventions SCDL (scdl) de subv.csv prend delimiter, encoding, sheet ; retirez-la ou "
            "corrigez son nom") in err, err
    _unchanged(tmp_path, res, loaded_store)
    res = run("--store", "s.db", "load", "subv.csv", "--mapping", "paris-subventions", cwd=tmp_path, check=False)
    assert ("subv.csv est au format subventions SCDL (scdl) ; chargez-le sans --mapping (ou, si c'est bien un "
            "fichier de ce format, donnez aussi --format subsidies)") in " ".join(res.stderr.split()), res.stderr
    _unchanged(tmp_path, res, loaded_store)


def test_a_forced_format_is_checked_too(tmp_path, loaded_store):
    """--format gives every file its format: an option that format does not take is refused as well,
    saying that the format was given."""
    (tmp_path / "membres.csv").write_text("nom;commune\nLa Cigale;Albi\n", encoding="utf-8")
    res = run("--store", "s.db", "load", "membres.csv", "--format", "members", "--mapping", "paris-subventions",
              cwd=tmp_path, check=False)
    err = " ".join(res.stderr.split())
    assert ("--mapping ne s'applique qu'au format subventions, colonnes déclarées (subsidies) : membres.csv est au "
            "format liste de membres (members, donné par --format) ; chargez-le sans --mapping") in err, err
    _unchanged(tmp_path, res, loaded_store)
