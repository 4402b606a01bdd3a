"""What `maillage load` tells a pôle animator about a file as a whole: a file no format reads
(a PDF, an image, an old .doc, an empty workbook, a table of unknown columns), a file loaded
again, a copy of a file already loaded, a header without rows. Real files in tmp_path, a real
SQLite store, the CLI as a subprocess."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest

from _workbooks import write_xlsx
from maillage.graph import open_store
from maillage.loaders import LoadError, detect_format, load_file
from test_cli import run

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
#: Excel's « ~$liste.xlsx » while « liste.xlsx » is open: 165 bytes, the user's name in ASCII then in UTF-16.
EXCEL_LOCK = (b"\x0bJean Dupont" + b" " * 42 + b"\x0b\x00" + "Jean Dupont".encode("utf-16-le")).ljust(165, b"\x20")


@pytest.mark.parametrize("name, data, says_en, says_fr", [
    ("membres.pdf", PDF, "a PDF: maillage does not read PDFs",
     "membres.pdf est un PDF : maillage ne lit pas les PDF ; enregistrez la liste au format .xlsx, .ods ou .csv "
     "depuis le logiciel qui l'a produite"),
    ("membres.xlsx", PDF, "a PDF", "membres.xlsx est un PDF"),  # its name says a workbook: its bytes say a PDF
    ("liste.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "a Word document in the old .doc format",
     "liste.doc est un document Word à l'ancien format .doc, que maillage ne lit pas ; enregistrez-le au format "
     ".docx"),
    ("scan.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 100, "an image (JPEG)",
     "scan.jpg est une image (JPEG) : maillage ne lit pas les images"),
    ("exports.zip", b"PK\x03\x04\x14\x00\x00\x00membres.csv" + b"\x00" * 50, "a zip archive",
     "exports.zip est une archive zip : décompressez-la"),
    # the lock file Excel leaves beside an open workbook (it was « format non reconnu »)
    ("~$liste.xlsx", EXCEL_LOCK, "the lock file Excel leaves beside 'liste.xlsx' while it is open in it, not a list: "
     "load liste.xlsx (after closing it in Excel)",
     "~$liste.xlsx est le fichier de verrouillage qu'Excel laisse à côté de 'liste.xlsx' tant qu'il y est ouvert, "
     "pas une liste : chargez liste.xlsx (après l'avoir fermé dans Excel)"),
])
def test_a_file_no_format_reads_says_what_it_is_and_what_to_do(tmp_path, name, data, says_en, says_fr):
    f = tmp_path / name
    f.write_bytes(data)
    res = run("--store", "s.db", "load", name, "--lang", "en", cwd=tmp_path, check=False)
    assert res.returncode == 1 and says_en in res.stderr and "--format" not in res.stderr
    res = run("--store", "s.db", "load", name, "--pole", "Le Périscope", cwd=tmp_path, check=False)
    assert res.returncode == 1 and f"erreur : {says_fr}" in res.stderr and "--format" not in res.stderr
    assert not (tmp_path / "s.db").exists()  # nothing written
    # forcing a format does not make a PDF a table
    res = run("--store", "s.db", "load", name, "--format", "members", cwd=tmp_path, check=False)
    assert res.returncode == 1 and f"erreur : {says_fr}" in res.stderr


def test_a_workbook_without_rows_says_so_and_names_its_sheets(tmp_path):
    f = write_xlsx(tmp_path / "adherents.xlsx", {"Feuil1": [], "Collège A": []})
    with pytest.raises(LoadError, match=r"no sheet holds any rows \(sheets: 'Feuil1', 'Collège A'\)"):
        detect_format(f)
    res = run("--store", "s.db", "load", f.name, cwd=tmp_path, check=False)
    assert res.returncode == 1
    assert ("adherents.xlsx : aucune feuille ne contient de lignes (feuilles : 'Feuil1', 'Collège A') : rien à "
            "charger") in res.stderr
    assert "--format" not in res.stderr


def test_a_table_of_unknown_columns_names_the_sheets_and_the_columns_expected(tmp_path):
    f = write_xlsx(tmp_path / "contacts.xlsx", {"Contacts": [["Courriel", "Téléphone", "Ville"],
                                                             ["a@b.fr", "0102030405", "Albi"]],
                                                "Vide": [], "Notes": [["à voir avec Julie"]]})
    res = run("--store", "s.db", "load", f.name, cwd=tmp_path, check=False)
    assert res.returncode == 1
    err = " ".join(res.stderr.split())  # the terminal's wrapping undone
    assert ("contacts.xlsx : aucune colonne reconnue (feuilles examinées : 'Contacts' (Courriel, Téléphone, Ville), "
            "'Notes' (à voir avec Julie) ; feuilles vides : 'Vide')") in err
    assert "une colonne de noms (nom, structure, raison sociale" in err
    assert "--format members --option column.name=COLONNE" in err  # what does read it
    # and it does: the column named, the list loads
    run("--store", "s.db", "load", f.name, "--format", "members", "--option", "column.name=Ville", "--option",
        "sheet=Contacts", cwd=tmp_path)
    f = tmp_path / "contacts.csv"
    f.write_text("Courriel;Ville\na@b.fr;Albi\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"cannot tell the format of this table: no column maillage knows "
                                        r"\(columns found: Courriel, Ville\)"):
        detect_format(f)


def test_a_bad_siret_is_said_in_plain_french_and_a_rounded_one_as_damaged_by_a_spreadsheet(tmp_path):
    """« clé de Luhn » means nothing to an animator: the rejects file says a digit is wrong or
    missing; a SIRET ending in zeros (4,5E+13 saved as shown) is said damaged by the spreadsheet,
    with how to avoid it."""
    import csv

    f = tmp_path / "membres.csv"
    f.write_text("Nom;SIRET\nAlpha;47978923200011\nBeta;45032466000000\n", encoding="utf-8")
    with open_store(str(tmp_path / "s.db")) as store:
        report = load_file(store, f, format="members", rejects_dir=tmp_path / "rejets", options={"pole": "P"})
    with open(report.rejects_file, encoding="utf-8-sig", newline="") as fh:
        reasons = {r["ligne"]: r["motif"] for r in csv.DictReader(fh, delimiter=";")}
    assert "Luhn" not in " ".join(reasons.values())
    assert reasons["2"].startswith("SIRET '47978923200011' invalide : un chiffre est faux ou manquant (le numéro ne "
                                   "passe pas le contrôle de validité) ; SIREN 479789232 conservé")
    assert reasons["3"].startswith("SIRET '45032466000000' invalide, sans doute abîmé par un tableur")
    assert "format de cellule Texte" in reasons["3"] and "format de cellule Texte" not in reasons["2"]


def _sources(tmp_path, db="s.db"):
    with open_store(str(tmp_path / db)) as store:
        return {s.id: s for s in store.sources()}


def _paris(t):
    """A stored time as the console writes it in French: Paris time, whatever the machine's zone."""
    return t.astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y %H:%M")


def test_loading_a_file_again_says_it_replaced_its_earlier_load(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")  # the machine's zone is not the one a French reader reads
    f = tmp_path / "membres.csv"
    f.write_text("Nom;Commune\nLe Relais;Albi\nAlpha;Muret\n", encoding="utf-8")
    res = run("--store", "s.db", "load", f.name, "--pole", "P", cwd=tmp_path)
    assert "remplace" not in res.stderr  # a first load replaces nothing
    loaded_at = _paris(_sources(tmp_path)["members:membres.csv"].loaded_at)
    res = run("--store", "s.db", "load", f.name, "--pole", "P", cwd=tmp_path)
    assert (f"  · remplace le chargement du {loaded_at} de cette source (le fichier n'a pas changé depuis)"
            in res.stderr)
    f.write_text("Nom;Commune\nLe Relais;Albi\nAlpha;Muret\nBeta;Albi\n", encoding="utf-8")
    res = run("--store", "s.db", "load", f.name, "--pole", "P", "--report", "r.json", cwd=tmp_path)
    assert "de cette source (2 lignes, maintenant 3 : +1)" in res.stderr
    rep = json.loads((tmp_path / "r.json").read_text())["files"][0]
    assert rep["replaced"]["rows_read"] == 2 and rep["replaced"]["same_content"] is False
    f.write_text("Nom;Commune\nLe Relais;Albi\n", encoding="utf-8")
    res = run("--store", "s.db", "load", f.name, "--pole", "P", "--lang", "en", cwd=tmp_path)
    assert "of this source (3 rows, now 1: -2)" in res.stderr
    assert list(_sources(tmp_path)) == ["members:membres.csv"]  # one source, replaced each time


def test_a_copy_of_a_file_already_loaded_is_refused_and_said(tmp_path, monkeypatch):
    """« membres (2).xlsx », byte for byte the list already loaded: loaded too, every tie would be
    counted twice. Refused (nothing written), naming the source and how to do either thing."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    f = tmp_path / "membres.csv"
    f.write_text("Nom;Commune\nLe Relais;Albi\nAlpha;Muret\n", encoding="utf-8")
    run("--store", "s.db", "load", f.name, "--pole", "P", cwd=tmp_path)
    (tmp_path / "membres (2).csv").write_bytes(f.read_bytes())
    res = run("--store", "s.db", "load", "membres (2).csv", "--pole", "P", cwd=tmp_path, check=False)
    assert res.returncode == 1
    err = " ".join(res.stderr.split())
    when = _paris(_sources(tmp_path)["members:membres.csv"].loaded_at)
    assert (f"erreur : membres (2).csv : même contenu que la source 'members:membres.csv' (chargée depuis membres.csv "
            f"le {when})") in err  # the date as `maillage sources` writes it in French
    assert ("chacun de ses liens serait compté deux fois ; non chargé. Pour le charger à la place de cette source : "
            "maillage remove members:membres.csv, puis chargez-le ; pour le charger quand même : --duplicate") in err
    assert list(_sources(tmp_path)) == ["members:membres.csv"]
    # the way out it names works
    run("--store", "s.db", "load", "membres (2).csv", "--pole", "P", "--duplicate", cwd=tmp_path)
    assert sorted(_sources(tmp_path)) == ["members:membres (2).csv", "members:membres.csv"]
    # a folder holding the list and its copy: the copy is skipped, the rest loaded
    d = tmp_path / "exports"
    d.mkdir()
    (d / "a.csv").write_text("Nom;Commune\nGamma;Albi\n", encoding="utf-8")
    (d / "b.csv").write_bytes((d / "a.csv").read_bytes())
    res = run("--store", "s2.db", "load", "exports", "--pole", "P", cwd=tmp_path)
    assert "ignoré exports/b.csv : même contenu que exports/a.csv, donné dans cette commande" in res.stderr
    assert sorted(_sources(tmp_path, "s2.db")) == ["members:a.csv"]



@pytest.mark.parametrize("original", ["subventions 2024.csv", "l'atelier.csv", "Mes données/subventions.csv"])
def test_the_copy_refusal_is_in_french_whatever_the_sources_name(tmp_path, original):
    """A source id with a space or an apostrophe (« scdl:subventions 2024.csv ») left the refusal
    in English; the `maillage remove` it suggests is quoted for the shell."""
    import shlex

    f = tmp_path / original
    f.parent.mkdir(exist_ok=True)
    f.write_text("nomAttribuant;idAttribuant;nomBeneficiaire;objet;montant;dateConvention\n"
                 "CA du Sicoval;24310063300013;Les Jardins;Aide;1000;2021-01-01\n", encoding="utf-8")
    run("--store", "s.db", "load", original, cwd=tmp_path)
    (tmp_path / "subventions (2).csv").write_bytes(f.read_bytes())
    sid = shlex.quote(f"scdl:{f.name}")
    res = run("--store", "s.db", "load", "subventions (2).csv", cwd=tmp_path, check=False)
    err = " ".join(res.stderr.split())
    assert res.returncode == 1 and "same content" not in err, err
    assert "erreur : subventions (2).csv : même contenu que la source" in err
    assert f"non chargé. Pour le charger à la place de cette source : maillage remove {sid}, puis chargez-le" in err
    res = run("--store", "s.db", "load", "subventions (2).csv", "--lang", "en", cwd=tmp_path, check=False)
    err = " ".join(res.stderr.split())
    assert res.returncode == 1 and f"To load it in place of that source: maillage remove {sid}, then load it" in err
    run("--store", "s.db", "remove", f"scdl:{f.name}", "--yes", cwd=tmp_path)  # the way out it names works
    run("--store", "s.db", "load", "subventions (2).csv", cwd=tmp_path)


def test_a_header_without_rows_loads_nothing_and_says_so(tmp_path):
    """As an empty file: refused, the store unchanged — an earlier load of the source kept."""
    f = tmp_path / "membres.csv"
    f.write_text("Nom;Commune\n", encoding="utf-8")
    res = run("--store", "s.db", "load", f.name, "--pole", "P", cwd=tmp_path, check=False)
    assert res.returncode == 1
    assert "erreur : membres.csv : aucune ligne de données sous l'en-tête ; rien n'a été chargé" in res.stderr
    assert not (tmp_path / "s.db").exists()
    f.write_text("Nom;Commune\nLe Relais;Albi\n", encoding="utf-8")
    run("--store", "s.db", "load", f.name, "--pole", "P", cwd=tmp_path)
    f.write_text("Nom;Commune\n", encoding="utf-8")
    res = run("--store", "s.db", "load", f.name, "--pole", "P", cwd=tmp_path, check=False)
    assert res.returncode == 1
    assert ("(le chargement précédent de la source 'members:membres.csv' est gardé ; pour la retirer : maillage "
            "remove members:membres.csv)") in " ".join(res.stderr.split())
    with open_store(str(tmp_path / "s.db")) as store:
        assert [a.name for a in store.iter_actors() if a.family != "pole"] == ["Le Relais"]


def test_a_files_digest_is_read_once_while_it_is_unchanged(tmp_path):
    """`maillage load` looks for a copy of a loaded file, then loads it: both need the file's
    SHA-256, a 186 MiB read for a million-row file. Unchanged (same inode, size, modification
    time), it is read once; changed, read again; ``fresh`` reads it whatever (the check that a
    file did not change during its load)."""
    import hashlib
    import os

    from maillage.loaders import sha256_of

    f = tmp_path / "membres.csv"
    f.write_bytes(b"Nom\nAlpha\n")
    assert sha256_of(f) == hashlib.sha256(b"Nom\nAlpha\n").hexdigest()
    f.write_bytes(b"Nom\nAlpha\nBeta\n")  # another size: read again
    assert sha256_of(f) == hashlib.sha256(b"Nom\nAlpha\nBeta\n").hexdigest()
    st = f.stat()
    f.write_bytes(b"Nom\nAlpha\nBetb\n")  # same size, its old time put back: only ``fresh`` sees it
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert sha256_of(f) == hashlib.sha256(b"Nom\nAlpha\nBeta\n").hexdigest()
    assert sha256_of(f, fresh=True) == hashlib.sha256(b"Nom\nAlpha\nBetb\n").hexdigest()


def test_the_notes_name_a_workbooks_rows_by_sheet_and_line(tmp_path):
    """The headings a load noticed on a workbook's sheets are said « feuille Collège A, ligne 3 »
    in French, not as the store keeps them (« Collège A!row 3 »); the English note is unchanged."""
    write_xlsx(tmp_path / "a.xlsx", {"Collège A": [["Nom"], ["Alpha"], ["ASSOCIATIONS"], ["Beta"]],
                                     "Collège B": [["Nom"], ["Gamma"], ["ENTREPRISES"], ["Delta"]]})
    res = run("--store", "s.db", "load", "a.xlsx", "--pole", "P", cwd=tmp_path)
    assert ("  · des intitulés arrêtent le collège au-dessus d'eux, feuille Collège A, ligne 3 ; feuille Collège B, "
            "ligne 3 : les membres en dessous n'en ont pas") in res.stderr
    assert "!row" not in res.stderr
    res = run("--store", "s.db", "--lang", "en", "load", "a.xlsx", "--pole", "P", cwd=tmp_path)
    assert ("headings ending the collège above them on rows Collège A!row 3, Collège B!row 3: the members below "
            "get none") in res.stderr


def test_a_workbook_named_like_a_lock_file_is_still_a_workbook(tmp_path):
    """Only a small file that is no workbook is taken for Excel's lock file: a real workbook whose
    name starts with « ~$ » loads."""
    f = write_xlsx(tmp_path / "~$membres.xlsx", {"Feuil1": [["Nom", "Commune"], ["Ecosimo", "Toulouse"]]})
    assert detect_format(f) == "members"
    lock = tmp_path / "~$membres.csv"
    lock.write_bytes(EXCEL_LOCK)
    with pytest.raises(LoadError, match="the lock file Excel leaves beside 'membres.csv'"):
        detect_format(lock)
