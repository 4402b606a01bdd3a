"""A chargée de mission ESS of a Département or a Métropole, with her own subsidy file and her own
store (``--store``): what the commands say her, checked against the file by hand."""

from __future__ import annotations

import html
import re

from tests._cli import maillage

SOMME = "realdata/scdl-somme/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv"
PARIS = "realdata/paris-subventions-2013/subventions-accordees-et-refusees.csv"


def _section(page: str, anchor: str) -> str:
    """The text of the report's section ``anchor`` (tags dropped, entities read)."""
    part = re.search(rf'<section id="{anchor}">(.*?)</section>', page, re.S).group(1)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part)))


def test_isolated_section_names_the_beneficiaries_no_territory_holds(tmp_path, shared):
    """The Somme's file alone: its 41 grants go to 34 bénéficiaires; the 11 collectivités among
    them are placed by their SIREN, the 23 others nowhere (the file gives no address: by hand,
    26 grants to 23 SIRENs outside the collectivités, CCAS AMIENS three times, SOMME PATRIMOINE
    EPCC twice). Section 3 said a bare « Aucun. », as if the Département supported no isolated
    actor, while every one of those 23 has nothing but a grant: it says where they are."""
    store = str(tmp_path / "somme.db")
    maillage("load", str(shared / SOMME), cwd=tmp_path, store=store)
    maillage("report", "--territory", "Somme", "-o", "r.html", cwd=tmp_path, store=store)
    part = _section((tmp_path / "r.html").read_text(encoding="utf-8"), "isoles")
    assert "23 bénéficiaires" in part and "sans lieu connu" in part, part
    assert "Département de la Somme" in part and "extrait SIRENE" in part, part
    assert "Aucun acteur situé dans le territoire n'est isolé ni périphérique" in part, part


def test_other_lens_remark_counts_the_ties_the_analysis_would_count(tmp_path, shared):
    """Paris's 2013 file: 6,463 applications, 2,251 refused (« Non financee »), so 4,212 grants.
    The cooperation lens holds nothing; the remark pointing to the funding lens said « financement
    en a 6 463 », the refusals included, though that analysis counts 4,212 ties (a refusal is no
    tie) and says so itself."""
    store = str(tmp_path / "paris.db")
    maillage("load", str(shared / PARIS), cwd=tmp_path, store=store)
    said = maillage("analyse", cwd=tmp_path, store=store).stdout
    remark = next(line for line in said.splitlines() if "remarque" in line)
    assert "financement en a 4 212" in remark.replace("\u202f", " "), remark
    assert "6 463" not in remark.replace("\u202f", " "), remark


def test_leads_are_not_picked_by_the_alphabet(tmp_path, shared):
    """Paris's file: 3,175 actors located in Paris, none with a cooperation tie, most of unknown
    family (« Autre »: the file gives no legal form). Every isolated actor got the same three leads,
    « 11e evenements, 129H Productions, 13 EN VUE(S) — Même commune : Paris (75) »: thousands of
    neighbours scored alike, the first three by name. A lead picked by the alphabet is no lead: the
    report says why there is none instead, in the page and in the spreadsheet."""
    store = str(tmp_path / "paris.db")
    maillage("load", str(shared / PARIS), cwd=tmp_path, store=store)
    maillage("report", "--territory", "Paris", "-o", "r.html", cwd=tmp_path, store=store)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    leads = html.unescape(page.split('id="pistes"')[1].split("</dl>")[0])
    assert "11e evenements" not in leads and "129H Productions" not in leads
    dts = re.findall(r"<dt ", leads)
    nones = re.findall(r'<dd class="no-lead">([^<]*)</dd>', leads)
    assert len(dts) == 10 and len(nones) == 10
    assert all("à égalité" in x and "ordre alphabétique" in x for x in nones), nones[0]
    sheet = (tmp_path / "r-isoles.csv").read_text(encoding="utf-8-sig")
    assert "11e evenements" not in sheet.split("\n", 2)[1]
    assert sheet.count("à égalité") == 10


def test_a_csv_export_named_as_a_workbook_is_refused(tmp_path, shared):
    """« -o acteurs.xlsx » for her spreadsheet wrote CSV text into a file named .xlsx (Excel says
    the file is corrupt, LibreOffice asks how to read it): refused before any work, saying which
    name to give; kumu.xlsx, a real workbook, keeps its name."""
    store = str(tmp_path / "s.db")
    maillage("load", str(shared / SOMME), cwd=tmp_path, store=store)
    for name in ("acteurs.xlsx", "acteurs.ods", "ACTEURS.XLS"):
        res = maillage("export", "-f", "nodes.csv", "--tableur", "-o", name, cwd=tmp_path, store=store, check=False)
        assert res.returncode == 2, res.stdout
        said = " ".join(res.stderr.split())
        assert "nodes.csv écrit un fichier CSV" in said and f"{name.rsplit('.', 1)[0]}.csv" in said, said
        assert not (tmp_path / name).exists()
    res = maillage("export", "-f", "gexf", "-o", "carte.xlsx", cwd=tmp_path, store=store, check=False)
    assert res.returncode == 2 and "GEXF" in res.stderr and "--tableur" in res.stderr, res.stderr
    maillage("export", "-f", "kumu.xlsx", "-o", "carte.xlsx", cwd=tmp_path, store=store)
    assert (tmp_path / "carte.xlsx").read_bytes()[:2] == b"PK"


def test_a_metropole_named_otherwise_is_not_taken_for_its_central_commune(tmp_path, shared):
    """« Métropole de Toulouse » gave the report of the commune of Toulouse (6 actors, not the 7 of
    Toulouse Métropole), « Grand Paris » the département of Paris, « Lille Métropole » (the MEL's
    former name) the commune of Lille — with no word that another territory was meant. A
    métropole's name in another order of its words now designates it (tests/test_lookup_usual_names.py);
    the name of no territory that says an intercommunality otherwise lists the commune and its
    EPCI to choose from; the exact names still designate their territory."""
    import pytest

    from maillage.queries.lookup import Ambiguous, find_territory

    for text, epci in (("Métropole de Toulouse", "epci:243100518"), ("Grand Paris", "epci:200054781"),
                       ("Lille Métropole", "epci:200093201")):
        assert find_territory(text) == epci
    with pytest.raises(Ambiguous) as e:
        find_territory("Agglomération de Toulouse")
    assert "epci:243100518" in str(e.value) and "commune:31555" in str(e.value), str(e.value)
    assert find_territory("Toulouse Métropole") == "epci:243100518"
    assert find_territory("Métropole du Grand Paris") == "epci:200054781"
    assert find_territory("Le Grand-Bornand").startswith("commune:")
    assert find_territory("Toulouse") == "commune:31555"
    store = str(tmp_path / "s.db")
    maillage("load", str(shared / SOMME), cwd=tmp_path, store=store)
    res = maillage("report", "--territory", "Agglomération de Toulouse", "-o", "r.html", cwd=tmp_path, store=store,
                   check=False)
    assert res.returncode == 1 and not (tmp_path / "r.html").exists()
    said = res.stderr
    assert said.startswith("erreur : 'Agglomération de Toulouse' ne nomme aucun territoire"), said
    assert "Toulouse Métropole — epci:243100518" in said and "Toulouse (31) — commune:31555" in said, said


def test_the_years_table_adds_up_to_the_funders_table(tmp_path, shared):
    """The Somme's file: 15 grants to collectivités located in the Somme, 1,529,503 € (by hand:
    Ailly-sur-Noye 26,956, Amiens 190,000, Amiens Métropole 382,000…, the Département's own two
    FSE lines 469,424). « Financements reçus par les acteurs du territoire » said 15 and
    1 529 503, the table by year below it 13 and 1 060 079: the Département's grants to itself,
    « comptés ci-dessus », were left out of the years without a word."""
    store = str(tmp_path / "somme.db")
    maillage("load", str(shared / SOMME), cwd=tmp_path, store=store)
    maillage("report", "--territory", "Somme", "-o", "r.html", cwd=tmp_path, store=store)
    page = html.unescape((tmp_path / "r.html").read_text(encoding="utf-8")).replace("\u202f", " ")
    years = re.search(r'<table class="years"[^>]*>.*?</table>', page.split("Financements reçus par année")[1], re.S)
    rows = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
            for r in re.findall(r"<tr>(.*?)</tr>", years.group(0), re.S)[1:]]
    assert rows == [["2017", "15", "1 529 503"]], rows


def test_report_says_when_it_writes_no_spreadsheet_and_why(tmp_path, shared):
    """The Somme's file alone flags no actor of the territory (its bénéficiaires are placed
    nowhere, its collectivités are public bodies): the report writes no « -isoles.csv », and the
    command listed the map alone, leaving her to look for the spreadsheet the docs promise. It
    says there is none and why; a file of that name left by an earlier report is said to be one."""
    store = str(tmp_path / "somme.db")
    maillage("load", str(shared / SOMME), cwd=tmp_path, store=store)
    res = maillage("report", "--territory", "Somme", "-o", "r.html", cwd=tmp_path, store=store)
    out = " ".join((res.stdout + res.stderr).split())
    assert not (tmp_path / "r-isoles.csv").exists()
    assert ("· pas de fichier pour un tableur : aucun acteur du territoire n'est isolé, périphérique ni peu "
            "documenté") in out, out
    (tmp_path / "r-isoles.csv").write_text("nom;statut\nAncien;isolé\n", encoding="utf-8-sig")
    import os
    os.utime(tmp_path / "r-isoles.csv", (1_600_000_000, 1_600_000_000))
    res = maillage("report", "--territory", "Somme", "-o", "r.html", "--lang", "en", cwd=tmp_path, store=store)
    out = " ".join((res.stdout + res.stderr).split())
    assert ("· no spreadsheet file: no actor of the territory is isolated, peripheral or thinly documented "
            "(r-isoles.csv, beside it, is an earlier report's)") in out, out
