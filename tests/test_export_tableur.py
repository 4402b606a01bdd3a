"""`maillage export --tableur` (and the API's `tableur=true`): the CSV files a pôle animator or a
collectivité opens in a French spreadsheet — `;`, decimal comma, French headers, labels instead
of codes, rounded numbers, « ligne 15 » — while the default files keep their stable codes."""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from _jsonl import actor, relation, write_jsonl
from _workbooks import write_xlsx
from maillage.analytics.brokerage import role_labels
from maillage.analytics.run import analyse
from maillage import tableur as tab
from maillage.api.app import create_app
from maillage.api.exports import METRIC_COLUMNS, NODE_COLUMNS
from maillage.cli import app
from maillage.graph import open_store
from maillage.loaders import load_file, load_reference

ROOT = Path(__file__).resolve().parents[1]
KNOWN = "a-lundi-805c86"  # « A lundi », an ESS employers' group of the reference pôle Sud Aquitain


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The reference dataset, a member list of two sheets (locators « 2022!row 3 »), a grant
    with its amount, one run."""
    folder = tmp_path_factory.mktemp("tableur")
    members = write_xlsx(folder / "membres.xlsx", {
        "2021": [["Nom", "Type", "Commune"], ["Atelier du Tableur", "Association", "Cahors"]],
        "2022": [["Nom", "Type", "Commune"], ["Coop des Colonnes", "SCIC", "Cahors"],
                 ["Épicerie Virgule", "Association", "Figeac"]]})
    grants = write_jsonl(folder / "aides.jsonl", [
        actor("dep", "Département du Tableur", "collectivite", "departement"),
        actor("epi", "Épicerie Décimale", "ess", "association"),
        relation("funds", "dep", "epi", amount=12500.5, year=2022, status="accorde")])
    path = folder / "ref.db"
    with open_store(str(path)) as s:
        load_reference(s, rejects_dir=folder / "rejets")
        load_file(s, members, rejects_dir=folder / "rejets", options={"pole": "Pôle Tableur"})
        load_file(s, grants, rejects_dir=folder / "rejets")
        analyse(s)
    return path


@pytest.fixture(scope="module")
def persons(db):
    with open_store(str(db)) as s:
        return [a.name for a in s.iter_actors(include_persons=True) if a.personal_data]


def export(db, *args, ok=True):
    r = CliRunner().invoke(app, ["--store", str(db), "export", *args])
    if ok:
        assert r.exit_code == 0, r.output
    return r


def table(path, delimiter=";"):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def significant(cell: str) -> int:
    """The significant digits of a number as written (``0,04545`` → 4)."""
    return len(cell.replace(",", "").lstrip("-").lstrip("0"))


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


# -- the French spreadsheet files -------------------------------------------------------------------

def test_nodes_file_has_french_headers_labels_and_rounded_measures(db, tmp_path):
    out = tmp_path / "acteurs.csv"
    export(db, "-f", "nodes.csv", "--tableur", "-o", str(out))
    rows = table(out)
    header = rows[0]
    assert header[:11] == ["identifiant", "nom", "famille", "type", "lieu", "acteur générique", "SIREN", "SIRET",
                           "RNA", "degré", "intermédiarité"], header
    assert not set(header) & set(NODE_COLUMNS) - {"SIREN"}  # no English code left
    assert all(len(r) == len(header) for r in rows)
    col = {h: i for i, h in enumerate(header)}
    (row,) = [r for r in rows if r[0] == KNOWN]
    assert row[col["nom"]] == "A lundi" and row[col["famille"]] == "Structure de l'ESS"
    assert row[col["type"]] not in ("", "groupement_employeurs") and row[col["acteur générique"]] == "non"
    with open_store(str(db)) as s:
        run = s.runs()[-1]
        values = s.metrics(run.id)
    decimals = 0
    for r in rows[1:]:
        for name in ("betweenness", "pagerank", "closeness"):
            cell, value = r[col[tab.header(name)]], values.get(r[0], {}).get(name)
            if value is None or math.isnan(value):
                assert cell == ""
                continue
            assert "." not in cell and "e" not in cell.lower(), cell  # a decimal comma, no exponent
            assert float(cell.replace(",", ".")) == pytest.approx(value, rel=5e-4, abs=0)
            assert significant(cell) <= 4 or float(value).is_integer() or abs(value) >= 1000, (cell, value)
            decimals += "," in cell
    assert decimals > 100
    pagerank = [r[col["PageRank"]] for r in rows[1:] if r[col["PageRank"]]]
    # 0 for an actor without a tie in the lens (PageRank is normalised over the tied actors)
    assert all(re.fullmatch(r"0(,\d{1,8})?", p) for p in pagerank) and any(re.fullmatch(r"0,00[1-9]\d{0,3}", p) for p in pagerank)
    assert "0" in pagerank and sum(p != "0" for p in pagerank) > 100


def test_edges_file_says_labels_amounts_and_where_in_the_source(db, tmp_path):
    out = tmp_path / "liens.csv"
    export(db, "-f", "edges.csv", "--tableur", "-o", str(out))
    rows = table(out)
    assert rows[0] == ["identifiant", "identifiant de l'acteur", "acteur", "relation", "identifiant de l'acteur lié",
                       "acteur lié", "début", "fin", "montant (€)", "précisions", "source", "document",
                       "emplacement dans la source", "citation", "certitude"]
    col = {h: i for i, h in enumerate(rows[0])}
    places = [r[col["emplacement dans la source"]] for r in rows[1:]]
    assert "ligne 542" in places and "feuille 2022, ligne 3" in places, sorted(set(places))[:20]
    assert not any(re.fullmatch(r"(L|row )\d+|.*!row \d+", p) for p in places)
    assert {r[col["certitude"]] for r in rows[1:]} <= {"affirmé par la source", "implicite dans la source",
                                                       "déduit (par l'extraction ou le chargement)", "prévu, annoncé"}
    assert "stated" not in {r[col["certitude"]] for r in rows[1:]}
    types = {r[col["relation"]] for r in rows[1:]}
    assert "membre de" in types and "membership" not in types
    mine = [r for r in rows if r[col["acteur"]] == "Coop des Colonnes"]
    assert mine and mine[0][col["acteur lié"]] == "Pôle Tableur" and mine[0][col["relation"]] == "membre de"
    (grant,) = [r for r in rows if r[col["acteur"]] == "Département du Tableur"]
    assert grant[col["relation"]] == "finance" and grant[col["montant (€)"]] == "12500,50"
    assert grant[col["précisions"]] == "Année : 2022 ; Statut : accordée"  # labels, not JSON
    assert grant[col["emplacement dans la source"]] == "ligne 20"
    # the source by its file's name, the founding document by its title: no ids with prefixes
    assert grant[col["source"]] == "aides.jsonl" and mine[0][col["source"]] == "membres.xlsx"
    sources = {r[col["source"]] for r in rows[1:]}
    assert not any(x.startswith(("reference:", "members:", "maillage-jsonl:")) for x in sources), sources
    documents = {r[col["document"]] for r in rows[1:]}
    assert any("Les rôles des collectivités locales dans les dynamiques de PTCE" in d for d in documents)


def test_metrics_file_and_projection_ties_are_written_for_reading(db, tmp_path):
    out = tmp_path / "mesures.csv"
    said = export(db, "--tableur", "-o", str(out)).output
    assert "acteurs → " in said
    rows = table(out)
    assert rows[0][:7] == ["identifiant", "nom", "famille", "type", "lieu", "degré", "intermédiarité"]
    assert rows[0][5:5 + len(METRIC_COLUMNS)] == tab.headers(METRIC_COLUMNS)
    (row,) = [r for r in rows if r[0] == KNOWN]
    assert row[1:3] == ["A lundi", "Structure de l'ESS"]
    out = tmp_path / "liens-projetes.csv"
    export(db, "-f", "edges.csv", "--projection", "--tableur", "-o", str(out))
    rows = table(out)
    assert rows[0][:6] == ["identifiant de l'acteur", "acteur", "identifiant de l'acteur lié", "acteur lié", "poids",
                           "couches"]
    col = {h: i for i, h in enumerate(rows[0])}
    assert {r[col["couches"]] for r in rows[1:]} >= {"lien direct", "pôle partagé"}
    assert any("," in r[col["poids"]] for r in rows[1:])  # Newman's 1/(n − 1), rounded, decimal comma
    assert all(significant(r[col["poids"]]) <= 4 for r in rows[1:] if r[col["poids"]].startswith("0,"))


def test_no_person_in_any_spreadsheet_file_unless_asked(db, tmp_path, persons):
    assert len(persons) > 50
    names = [fold(p) for p in persons]
    for args in (["-f", "nodes.csv"], ["-f", "edges.csv"], [], ["-f", "edges.csv", "--projection"],
                 ["-f", "nodes.csv", "--projection"]):
        out = tmp_path / "x.csv"
        export(db, *args, "--tableur", "-o", str(out))
        text = fold(out.read_text(encoding="utf-8-sig"))
        assert not [n for n in names if n in text], args
    export(db, "-f", "nodes.csv", "--tableur", "--include-persons", "-o", str(out))  # the check can fail
    text = fold(out.read_text(encoding="utf-8-sig"))
    assert sum(n in text for n in names) > 50 and ";Personne physique;" in out.read_text(encoding="utf-8-sig")


def test_the_english_spreadsheet_file(db, tmp_path):
    """With --lang en: English headers and labels, ',' between cells and a decimal point (an
    English spreadsheet's)."""
    out = tmp_path / "en.csv"
    export(db, "-f", "nodes.csv", "--tableur", "--lang", "en", "-o", str(out))
    rows = table(out, ",")
    assert rows[0][:5] == ["id", "name", "family", "kind", "place"] and "betweenness" in rows[0]
    (row,) = [r for r in rows if r[0] == KNOWN]
    assert row[2] == "SSE organisation"
    assert any(re.fullmatch(r"0\.\d+", c) for r in rows[1:] for c in r)
    export(db, "-f", "edges.csv", "--tableur", "--lang", "en", "-o", str(out))
    rows = table(out, ",")
    col = {h: i for i, h in enumerate(rows[0])}
    assert "line 542" in {r[col["place in the source"]] for r in rows[1:]}
    assert "stated by the source" in {r[col["certainty"]] for r in rows[1:]}


def test_the_default_files_keep_their_codes(db, tmp_path):
    out = tmp_path / "plain.csv"
    export(db, "-f", "nodes.csv", "-o", str(out))
    rows = table(out, ",")
    assert rows[0][:len(NODE_COLUMNS)] == list(NODE_COLUMNS)
    (row,) = [r for r in rows if r[0] == KNOWN]
    assert row[2] == "ess"
    export(db, "-f", "edges.csv", "-o", str(out))
    assert "stated" in out.read_text(encoding="utf-8-sig") and ",L542," in out.read_text(encoding="utf-8-sig")


def test_tableur_with_another_format_is_refused_by_name(db, tmp_path):
    out = tmp_path / "g.gexf"
    for fmt in ("gexf", "graphml", "json", "kumu.xlsx", "ftm.jsonl"):
        r = export(db, "-f", fmt, "--tableur", "-o", str(out), ok=False)
        assert r.exit_code == 2 and "--tableur ne s'applique qu'aux fichiers CSV" in " ".join(r.output.split()), fmt
    assert not out.exists()
    api = TestClient(create_app(str(db)))
    r = api.get("/api/export/gexf", params={"tableur": "true"})
    assert r.status_code == 400 and r.json()["detail"] == (
        "tableur ne s'applique qu'aux fichiers CSV (csv, nodes.csv), pas au format gexf.")


@pytest.mark.parametrize("projection", [False, True], ids=["statements", "projection"])
def test_the_api_spreadsheet_file_is_the_cli_file_byte_for_byte(db, tmp_path, projection):
    with open_store(str(db)) as s:
        (pole,) = [a.id for a in s.iter_actors() if a.name == "Pôle Tableur"]
    api = TestClient(create_app(str(db)))
    extra = ["--projection"] if projection else []
    for fmt, cli_fmt in (("csv", "edges.csv"), ("nodes.csv", "nodes.csv")):
        for lang, sep in (("fr", ";"), ("en", ",")):
            for scope in ([], ["--pole", pole]):
                out = tmp_path / f"{lang}-{cli_fmt}"
                export(db, "-f", cli_fmt, *extra, "--tableur", "--lang", lang, *scope, "-o", str(out))
                r = api.get(f"/api/export/{fmt}", params={"projection": str(projection).lower(), "tableur": "true",
                                                         "lang": lang, **({"pole": pole} if scope else {})})
                assert r.status_code == 200, r.text
                assert r.content == out.read_bytes(), (fmt, lang, scope)
                first = r.content.decode("utf-8-sig").splitlines()[0]
                assert first.split(sep)[1] == {"fr": "nom", "en": "name"}[lang] if fmt == "nodes.csv" else \
                    first.split(sep)[1 if projection else 2] == {"fr": "acteur", "en": "actor"}[lang], first
                assert "Coop des Colonnes" in r.text
    plain = api.get("/api/export/nodes.csv", params={"projection": str(projection).lower()}).content
    assert plain.decode("utf-8-sig").startswith("id,name,family,family_label,")


def test_the_api_metrics_of_a_run_for_a_spreadsheet_is_the_cli_file_byte_for_byte(db, tmp_path):
    """`GET /api/runs/{id}/metrics?format=csv&tableur=true` is the file of `maillage export --run
    {id} --tableur`: the endpoint had no such option (codes, 16-digit floats, `,` only)."""
    with open_store(str(db)) as s:
        run_id = s.runs()[-1].id
    api = TestClient(create_app(str(db)))
    for lang, sep in (("fr", ";"), ("en", ",")):
        out = tmp_path / f"mesures-{lang}.csv"
        export(db, "--run", run_id, "--tableur", "--lang", lang, "-o", str(out))
        r = api.get(f"/api/runs/{run_id}/metrics", params={"format": "csv", "tableur": "true", "lang": lang})
        assert r.status_code == 200, r.text
        assert r.content == out.read_bytes(), lang
        rows = table(out, sep)
        assert rows[0][:3] == {"fr": ["identifiant", "nom", "famille"], "en": ["id", "name", "family"]}[lang]
        (row,) = [x for x in rows if x[0] == KNOWN]
        assert row[2] == {"fr": "Structure de l'ESS", "en": "SSE organisation"}[lang]
    assert any(re.fullmatch(r"0,\d+", c) for x in table(tmp_path / "mesures-fr.csv")[1:] for c in x)
    plain = api.get(f"/api/runs/{run_id}/metrics", params={"format": "csv"}).content.decode("utf-8-sig")
    assert plain.startswith("id,name,family,kind,location,degree,")  # the default file keeps its codes
    r = api.get(f"/api/runs/{run_id}/metrics", params={"tableur": "true"})
    assert r.status_code == 400 and r.json()["detail"] == ("tableur ne s'applique qu'aux formats csv, "
                                                         "poles.csv et evolution.csv, pas au format json.")


def test_the_doc_has_the_table_and_the_headers_are_the_project_words():
    doc = (ROOT / "docs/exports.md").read_text(encoding="utf-8")
    assert tab.tableur_markdown() in doc, "docs/exports.md is out of date: paste tableur_markdown()"
    for code in METRIC_COLUMNS:
        assert code in tab.TABLEUR_HEADERS, code
    for lang, prefix in (("fr", "courtage : "), ("en", "brokerage: ")):
        labels = role_labels(lang)
        for role in ("coordinator", "consultant", "representative", "gatekeeper", "liaison"):
            assert tab.header(f"brokerage_{role}", lang) == prefix + labels[role]
    for cols in tab.TABLEUR_FILES.values():
        assert len(set(tab.headers(cols))) == len(cols) and len(set(tab.headers(cols, "en"))) == len(cols)


def test_module_examples():
    import doctest

    assert doctest.testmod(tab).failed == 0
