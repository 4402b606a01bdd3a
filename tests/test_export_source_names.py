"""A source named after a person (« entretien-Didier-Cognon.jsonl », or an id derived from the
name: « cr_cognon_didier_2019 ») never names that person in a default export: every graph
format, statement and projection, from `maillage export` and `GET /api/export/{fmt}` — the
edges' provenance (source, document), the spreadsheet file's source and document labels, the
run's citation and notes inside the JSON, GEXF and GraphML files, the API's notes header. With
`--include-persons` (the API: `include_persons=true` with the token) the names are there.

Before, the free text was masked but the source ids and file names were written as they were.
"""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from maillage.analytics.run import person_masker
from maillage.api.app import create_app
from maillage.api.exports import EXPORT_FORMATS
from maillage.cli import GRAPH_EXPORTS, app
from maillage.graph import open_store

from _person_sources import FILE, LATER, PERSON, SOURCE_ID, build_store, traces

TOKEN = "jeton-sources-3f9a"
PROJECTION_FORMATS = ("gexf", "graphml", "json", "edges.csv", "nodes.csv")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("sources"))
    with open_store(str(path)) as s:
        ids = {src.id for src in s.sources()}
    assert any("Didier-Cognon" in i for i in ids) and SOURCE_ID in ids and any(LATER in i for i in ids)
    return path


def read(body: bytes) -> str:
    """The text of an export: a workbook's XML parts, or the file as UTF-8."""
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    return body.decode("utf-8-sig")


def cli_export(db, out, fmt, *args):
    r = CliRunner().invoke(app, ["--store", str(db), "export", "-f", fmt, "-o", str(out), *args])
    assert r.exit_code == 0, r.output
    return read(out.read_bytes())


CLI_CASES = [(f, ()) for f in GRAPH_EXPORTS] + [
    ("edges.csv", ("--tableur",)), ("edges.csv", ("--actor", "Les Jardins du Lauragais")),
    ("gexf", ("--territory", "31")), ("json", ("--pole", "Pôle Lauragais Solidaire")),
    *((f, ("--projection",)) for f in PROJECTION_FORMATS)]


@pytest.mark.parametrize("fmt,args", CLI_CASES, ids=[" ".join((f, *a)) for f, a in CLI_CASES])
def test_no_export_names_the_person_a_source_is_named_after(db, tmp_path, fmt, args):
    text = cli_export(db, tmp_path / f"x.{fmt}", fmt, *args)
    assert not traces(text), traces(text)[:3]
    if fmt in ("json", "edges.csv", "gexf", "graphml", "kumu.xlsx", "ftm.jsonl") and "--projection" not in args:
        assert "[personne 1]" in text  # the source is there, its name masked
    with_persons = cli_export(db, tmp_path / f"p.{fmt}", fmt, *args, "--include-persons")
    if (fmt, args) != ("edges.csv", ("--projection",)):  # the projected ties name no source, no person here
        assert traces(with_persons), fmt


def test_the_edges_keep_their_sources_with_the_person_masked(db, tmp_path):
    import csv

    cli_export(db, tmp_path / "e.csv", "edges.csv")
    with open(tmp_path / "e.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    sources = {r["provenance_source"] for r in rows}
    assert {"maillage-jsonl:entretien-[personne 1].jsonl", "cr_[personne 1]_2019",
            "maillage-jsonl:notes-[personne 1].jsonl"} <= sources, sources
    assert {r["provenance_document"] for r in rows} >= {"entretien-[personne 1]"}
    cli_export(db, tmp_path / "p.csv", "edges.csv", "--include-persons")
    with open(tmp_path / "p.csv", encoding="utf-8-sig", newline="") as f:
        sources = {r["provenance_source"] for r in csv.DictReader(f)}
    assert {f"maillage-jsonl:{FILE}", SOURCE_ID} <= sources


def test_the_json_says_its_run_and_notes_with_the_sources_masked(db, tmp_path):
    import json

    cli_export(db, tmp_path / "g.json", "json")
    about = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["about"]
    assert any("source maillage-jsonl:entretien-[personne 1].jsonl (entretien-[personne 1].jsonl)" in x for x in about)
    assert any(x.startswith("remarque : ") and "notes-[personne 1].jsonl" in x for x in about), about


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(str(db), token=TOKEN)) as c:
        yield c


API_CASES = [(f, q) for f in EXPORT_FORMATS for q in ("", "actor=jardins-les-jardins-du-lauragais")] + [
    ("csv", "tableur=true"), *((f, "projection=true") for f in ("gexf", "graphml", "json", "csv", "nodes.csv"))]


@pytest.mark.parametrize("fmt,query", API_CASES, ids=[f"{f}?{q}" for f, q in API_CASES])
def test_the_api_exports_do_not_name_the_person_a_source_is_named_after(client, fmt, query):
    query = re.sub(r"actor=.*", lambda m: "actor=" + _actor_id(client, "Les Jardins du Lauragais"), query)
    r = client.get(f"/api/export/{fmt}?{query}")
    assert r.status_code == 200, r.text[:300]
    text = read(r.content) + " ".join(unquote(v) for k, v in r.headers.items() if k.lower().startswith("x-maillage"))
    assert not traces(text), traces(text)[:3]
    r = client.get(f"/api/export/{fmt}?{query}&include_persons=true", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text[:300]
    if (fmt, query) != ("csv", "projection=true"):  # the projected ties name no source, no person here
        assert traces(read(r.content))


def _tableur_sources(text: str) -> set[tuple[str, str]]:
    import csv

    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    i, j = rows[0].index("source"), rows[0].index("document")
    return {(r[i], r[j]) for r in rows[1:]}


def test_the_spreadsheet_file_names_sources_and_documents_masked_unless_persons_are_asked(db, client, tmp_path):
    # a source is named by its documents' titles, else its file's name (maillage.api.maps.source_labels)
    title = f"Entretien avec {PERSON}, 2019"
    masked = {("Entretien avec [personne 1], 2019",) * 2, ("notes-[personne 1].jsonl", "etude")}
    shown = {(title, title), (LATER, "etude")}
    assert masked <= _tableur_sources(cli_export(db, tmp_path / "t.csv", "edges.csv", "--tableur"))
    assert shown <= _tableur_sources(cli_export(db, tmp_path / "p.csv", "edges.csv", "--tableur", "--include-persons"))
    assert masked <= _tableur_sources(read(client.get("/api/export/csv?tableur=true").content))
    r = client.get("/api/export/csv?tableur=true&include_persons=true", headers={"Authorization": f"Bearer {TOKEN}"})
    assert shown <= _tableur_sources(read(r.content))


def test_the_api_notes_header_names_the_later_source_masked(client):
    r = client.get("/api/export/json")
    notes = unquote(r.headers["X-Maillage-Notes"])
    assert "notes-[personne 1].jsonl" in notes, notes


def _actor_id(client, name: str) -> str:
    hits = client.get("/api/actors", params={"q": name}).json()
    items = hits["items"] if isinstance(hits, dict) else hits
    return next(a["id"] for a in items if a["name"] == name)


def test_a_name_is_masked_as_a_file_or_an_id_writes_it():
    from maillage.api.exports import source_masker

    m = source_masker(["Didier Cognon", "Jean-Pierre Martin"])
    assert m("members:entretien-Didier-Cognon.csv") == "members:entretien-[personne 1].csv"
    assert m("CR_DIDIER_COGNON_v2.docx") == "CR_[personne 1]_v2.docx"
    assert m("cognon.didier+notes.txt") == "[personne 1]+notes.txt"
    assert m("DidierCognon.pdf") == "[personne 1].pdf"
    assert m("entretien-jean-pierre-martin.odt") == "entretien-[personne 2].odt"  # another person
    assert m("source reference:s000a (s000a.jsonl), Haute-Garonne") == "source reference:s000a (s000a.jsonl), Haute-Garonne"
    assert m("Cognonville-sur-Mer.csv") == "Cognonville-sur-Mer.csv"  # a longer word is not the name
    # the masker of free text finds the names as files write them too (it did not, before)
    plain = person_masker([PERSON])
    assert plain("entretien-Didier-Cognon.csv") == "entretien-[personne 1].csv"
