"""How a person's name is masked when persons are left out (docs/privacy.md, « Noms de
personnes masqués »): the forms a file, an id or a text writes a name in, and one number per
person, the same in every view, export and report of the store.

Before:
- a name run into other text (« entretienDidierCognon », « DidierCOGNON » after a word), or
  written without its accents (« Cecile » for « Cécile »), or surname first and run together
  (« CognonDidier »), was left as it was;
- a name run into a word in capitals or small letters only (« ENTRETIENDIDIERCOGNON.csv »,
  « cr_reunion_cognondidier.pdf ») was left as it was, and « ROSEMARIE » masked for Marie Rose;
- two persons' files were both « entretien-[personne].jsonl »: in an export, two sources
  looked like one;
- `maillage export` wrote masked files but printed its notes with the files' names as they were
  (« remarque : … notes_DidierCOGNON.jsonl … »).

The store: Marie Durand's interview is loaded first, then Didier Cognon's (its document id
written « entretienDidierCognon »), then a meeting report naming Marie Rose (line 11) and Cécile
Ardouin (line 12) in a file written without the accent; after the analysis run, Didier Cognon's
notes (« notes_DidierCOGNON.jsonl »), which the run's notes then name. The persons are numbered
in that order — 1 Marie Durand, 2 Didier Cognon, 3 Marie Rose, 4 Cécile Ardouin — not in the
order of their names.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from maillage.analytics.run import analyse, person_groups, person_masker
from maillage.api.app import create_app
from maillage.cli import app
from maillage.graph import open_store
from maillage.loaders import load_file

from _jsonl import actor, relation, write_jsonl
from _person_sources import fold

TOKEN = "jeton-masques-5b2e"
ORGS = [actor("jardins", "Les Jardins du Lauragais", "ess", "association", location="commune:31555"),
        actor("region", "Région Occitanie", "collectivite", "region", location="region:76"),
        actor("coop", "Coopérative Terres Communes", "ess", "scop", location="commune:31555"),
        actor("pole", "Pôle Lauragais Solidaire", "pole", location="commune:31555")]
LATER = "notes_DidierCOGNON.jsonl"


def _in(doc: str, rec: dict, line: str | None = None) -> dict:
    prov = {**rec["provenance"], "document": doc, **({"locator": line} if line else {})}
    return {**rec, "provenance": prov}


def _quoted(rec: dict, quote: str) -> dict:
    return {**rec, "provenance": {**rec["provenance"], "quote": quote}}


def _source(folder: Path, name: str, doc: str, title: str, records: list[dict]) -> Path:
    header = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": title,
              "documents": {doc: {"title": title}}}
    return write_jsonl(folder / name, [header, *ORGS, *(_in(doc, r) for r in records)])


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("person-masks")
    path = folder / "store.db"
    with open_store(str(path)) as s:
        load_file(s, _source(folder, "entretien-Marie-Durand.jsonl", "entretien-Marie-Durand",
                             "Entretien avec Marie Durand", [
                                 actor("marie", "Marie Durand", "person", "salarie"),
                                 relation("funds", "region", "jardins", amount=5000.0, year=2019),
                                 relation("employs", "jardins", "marie")]))
        load_file(s, _source(folder, "entretien-Didier-Cognon.jsonl", "entretienDidierCognon",
                             "Entretien avec DIDIER COGNON", [
                                 actor("didier", "Didier Cognon", "person", "salarie"),
                                 relation("partner", "jardins", "coop", role="voisins"),
                                 relation("employs", "coop", "didier")]))
        report = [_in("cr", actor("rose", "Marie Rose", "person", "elu"), "L11"),
                  _in("cr", actor("cecile", "Cécile Ardouin", "person", "elu"), "L12"),
                  relation("membership", "jardins", "pole"),
                  _quoted(relation("membership", "coop", "pole"),
                          "réunion à la Maison rose avec Marie Rose et Cecile ARDOUIN")]
        load_file(s, _source(folder, "cr_cecile_ardouin.jsonl", "cr", "Compte rendu", report))
        analyse(s)
        load_file(s, _source(folder, LATER, "suivi", "Suivi", [relation("cooperates", "jardins", "region")]))
    return path


NAMES = re.compile(r"durand|cognon|didier|ardouin|cecile|marie rose|marie-rose|marie_rose")


def traces(text: str) -> list[str]:
    """Where a person's name (a word of it that is no ordinary word) is in ``text``."""
    return [m.group() for m in re.finditer(r".{0,25}(?:" + NAMES.pattern + r").{0,25}", fold(text))]


def _sources(edges) -> set[str]:
    return {e["provenance"]["source"] for e in edges}


# -- the forms of a name ---------------------------------------------------------------------------

MASK = person_masker([("Didier Cognon",), ("Cécile Ardouin",), ("Marie Rose",), ("Jean-Pierre Martin", "J.-P. Martin")])


@pytest.mark.parametrize("text,masked", [
    ("entretienDidierCognon.csv", "entretien[personne 1].csv"),          # run into a word, at a capital
    ("entretien_didier_cognon.csv", "entretien_[personne 1].csv"),
    ("entretien-DidierCOGNON.pdf", "entretien-[personne 1].pdf"),
    ("CR_DIDIER_COGNON_v2.docx", "CR_[personne 1]_v2.docx"),
    ("didiercognon.txt", "[personne 1].txt"),
    ("cr_cognon_didier_2019", "cr_[personne 1]_2019"),                  # surname first
    ("CognonDidier.odt", "[personne 1].odt"),
    ("COGNON, Didier", "[personne 1]"),
    ("D. Cognon", "[personne 1]"),
    ("didier.cognon@exemple.org", "[personne 1]@exemple.org"),
    ("avec Cecile Ardouin", "avec [personne 2]"),                        # without its accent
    ("CÉCILE ARDOUIN", "[personne 2]"),
    ("cr-cecile-ardouin-2019.pdf", "cr-[personne 2]-2019.pdf"),
    ("ArdouinCécile", "[personne 2]"),
    ("Marie Rose a signé", "[personne 3] a signé"),
    ("MarieRose.csv", "[personne 3].csv"),
    ("JeanPierreMartin", "[personne 4]"),
    ("entretien jean_pierre_martin", "entretien [personne 4]"),
    # run into a word in capitals or small letters only, whole (first name and surname, either order)
    ("ENTRETIENDIDIERCOGNON.csv", "ENTRETIEN[personne 1].csv"),
    ("entretiendidiercognon.csv", "entretien[personne 1].csv"),
    ("cr_reunion_cognondidier.pdf", "cr_reunion_[personne 1].pdf"),
    ("cognondidier", "[personne 1]"),
    ("CRARDOUINCECILE2019.pdf", "CR[personne 2]2019.pdf"),
    ("notes_martinjeanpierre", "notes_[personne 4]"),
    ("Entretiendidiercognon et cr_DIDIER_COGNON", "Entretien[personne 1] et cr_[personne 1]"),
])
def test_a_name_is_found_in_the_forms_files_ids_and_texts_write_it(text, masked):
    assert MASK(text) == masked


@pytest.mark.parametrize("text", [
    "la Maison rose, rue Marie",                # a word of a name alone is not the name
    "Rosemarie Dupont",                          # another name that holds one, run together
    "Cognonville-sur-Mer.csv", "Didier Cognonet", "Ardouins",
    "mariedidier", "didiercecile",              # two persons' first names: no one's name
    "rosemarie", "ROSEMARIE", "entretienmarierose",  # a surname of 4 letters: not searched inside a word
    "cognon_entretien", "entretiencognon",      # a surname alone inside a word: not the name
])
def test_ordinary_words_and_other_names_stay(text):
    assert MASK(text) == text


def test_inside_a_word_only_a_whole_name_long_enough_is_found():
    """« Anne Mas » is not looked for in « Annemasse », nor « Léa Roy » in « galeazroya »: a name is
    found run into other letters only with a surname of 5 letters or more and 10 letters in all."""
    m = person_masker([("Anne Mas",), ("Léa Roy",), ("Mme BARDOT Florence",), ("chargée de mission ESS",)])
    for text in ("Annemasse", "ANNEMASSE.csv", "galeaROYA", "missiondechargeeess"):
        assert m(text) == text
    assert m("CR_ANNEMAS_2019") == "CR_[personne 1]_2019"  # as a word of its own, as before
    assert m("reunionflorencebardot.pdf") == "reunion[personne 3].pdf"
    assert m("REUNIONBARDOTFLORENCE") == "REUNION[personne 3]"


def test_a_person_keeps_one_number_whatever_name_it_is_given_by():
    m = person_masker([("Jean-Pierre Martin", "Jean-Pierre Martin-Roux"), "Didier Cognon", ("Didier Cognon", "D. C.")])
    assert m("Jean-Pierre Martin-Roux, Didier Cognon, JP Martin") == "[personne 1], [personne 2], JP Martin"
    assert person_masker(["Didier Cognon"], "[person]")("Didier Cognon") == "[person 1]"


# -- one number per person, the same everywhere --------------------------------------------------------

MASKED_SOURCES = {"maillage-jsonl:entretien-[personne 1].jsonl", "maillage-jsonl:entretien-[personne 2].jsonl",
                  "maillage-jsonl:cr_[personne 4].jsonl"}


def test_the_persons_are_numbered_in_the_order_they_came_into_the_store(db):
    with open_store(str(db)) as s:
        assert person_groups(s) == [("Marie Durand",), ("Didier Cognon",), ("Marie Rose",), ("Cécile Ardouin",)]


def _cli(db, *args) -> str:
    r = CliRunner().invoke(app, ["--store", str(db), *args])
    assert r.exit_code == 0, r.output
    return r.output


def test_two_persons_files_stay_two_sources_in_an_export(db, tmp_path):
    out = tmp_path / "graphe.json"
    _cli(db, "export", "-f", "json", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert not traces(text), traces(text)[:3]
    doc = json.loads(text)
    assert _sources(doc["edges"]) >= MASKED_SOURCES, _sources(doc["edges"])
    assert {e["provenance"]["document"] for e in doc["edges"]} >= {"entretien-[personne 1]", "entretien[personne 2]"}
    quote = next(e["provenance"]["quote"] for e in doc["edges"] if e["provenance"].get("quote"))
    assert quote == "réunion à la Maison rose avec [personne 3] et [personne 4]"
    again = tmp_path / "encore.json"
    _cli(db, "export", "-f", "json", "-o", str(again))
    assert _sources(json.loads(again.read_text(encoding="utf-8"))["edges"]) == _sources(doc["edges"])


def test_the_api_the_exports_and_the_reports_give_a_person_the_same_number(db, tmp_path):
    from maillage.analytics.reports import render_pole_report

    with TestClient(create_app(str(db), token=TOKEN)) as c:
        jardins = next(a["id"] for a in c.get("/api/actors", params={"q": "Jardins"}).json()["items"])
        body = c.get(f"/api/actors/{jardins}/neighbourhood?depth=2").json()
        exported = c.get("/api/export/json").json()
        shown = c.get(f"/api/actors/{jardins}/neighbourhood?depth=2&include_persons=true",
                      headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert _sources(body["edges"]) == _sources(exported["edges"]) >= MASKED_SOURCES
    assert "maillage-jsonl:entretien-Didier-Cognon.jsonl" in _sources(shown["edges"])
    with open_store(str(db)) as s:
        pole = next(a.id for a in s.iter_actors() if a.name == "Pôle Lauragais Solidaire")
        html = render_pole_report(s, pole, tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert not traces(html), traces(html)[:3]
    assert "entretien-[personne 1].jsonl" in html and "entretien-[personne 2].jsonl" in html


# -- what `maillage export` prints ---------------------------------------------------------------------

@pytest.mark.parametrize("args", [("-f", "json"), ("-f", "csv"), ("-f", "gexf", "--projection"),
                                  ("-f", "json", "--pole", "Pôle Lauragais Solidaire")])
def test_the_export_prints_its_notes_with_the_persons_masked(db, tmp_path, args):
    said = _cli(db, "export", *args, "-o", str(tmp_path / f"f.{args[1]}"))
    assert "notes_[personne 2].jsonl" in said, said  # the run's note names the source loaded since
    assert not traces(said), traces(said)
    shown = _cli(db, "export", *args, "--include-persons", "-o", str(tmp_path / f"p.{args[1]}"))
    assert LATER in shown


def test_the_api_export_notes_header_names_the_source_masked(db):
    with TestClient(create_app(str(db), token=TOKEN)) as c:
        notes = unquote(c.get("/api/export/json").headers["X-Maillage-Notes"])
    assert "notes_[personne 2].jsonl" in notes and not traces(notes), notes


# -- what the other commands print or write beside their files -------------------------------------


def test_the_report_and_the_map_print_their_notes_with_the_persons_masked(db, tmp_path):
    """`maillage report --pole` and `maillage viz --size-by` printed the run's note naming the file
    loaded since it as it was (« fichier notes_DidierCOGNON.jsonl chargé le… ») while the report
    and the map they wrote masked it."""
    said = _cli(db, "report", "--pole", "Pôle Lauragais Solidaire", "-o", str(tmp_path / "rapport.html"))
    assert "notes_[personne 2].jsonl" in said and not traces(said), said
    said = _cli(db, "report", "--pole", "Pôle Lauragais Solidaire", "--lang", "en", "-o", str(tmp_path / "en.html"))
    assert "notes_[person 2].jsonl" in said and not traces(said), said
    said = _cli(db, "viz", "--pole", "Pôle Lauragais Solidaire", "--lens", "cooperation", "--size-by", "degree",
                "-o", str(tmp_path / "carte.html"))
    assert "notes_[personne 2].jsonl" in said and not traces(said), said


def test_the_commands_that_list_sources_print_their_ids_as_they_are(db):
    """`maillage sources` and `maillage runs ID` print the sources' ids and files unmasked, on
    purpose: `maillage remove` takes them (docs/privacy.md); the titles are masked."""
    said = _cli(db, "sources")
    assert "maillage-jsonl:entretien-Didier-Cognon.jsonl" in said and "Entretien avec [personne 2]" in said
    run = json.loads(_cli(db, "runs", "--json"))[0]["id"]
    said = _cli(db, "runs", run)
    assert "entretien-Didier-Cognon.jsonl" in said and "Entretien avec [personne 2]" in said


def test_the_demo_summary_masks_the_other_sources_of_its_store(db, tmp_path):
    """`maillage --store S demo` on a store holding other sources named them in summary.json, beside
    the map and the report, and on the console, as they were (« …entretien-Didier-Cognon.jsonl »)."""
    import shutil

    store = tmp_path / "autre.db"
    shutil.copy(db, store)
    said = _cli(store, "demo", "--out", str(tmp_path / "demo"))
    summary = json.loads((tmp_path / "demo" / "summary.json").read_text(encoding="utf-8"))
    assert "maillage-jsonl:entretien-[personne 2].jsonl" in summary["other_sources"], summary["other_sources"]
    assert not traces(json.dumps(summary, ensure_ascii=False)) and not traces(said), said


# -- a person keeps its number -------------------------------------------------------------------------


def _copy(db, tmp_path) -> Path:
    import shutil

    shutil.copy(db, tmp_path / "copie.db")
    return tmp_path / "copie.db"


def _exported_sources(store: Path, tmp_path: Path, name: str) -> tuple[set[str], str]:
    out = tmp_path / name
    _cli(store, "export", "-f", "json", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    return _sources(json.loads(text)["edges"]), text


def test_a_person_keeps_its_number_when_a_source_loaded_before_it_is_removed(db, tmp_path):
    """Removing Marie Durand's interview (person 1) renumbered the persons after it: Didier Cognon,
    « [personne 2] » in an export made before, was « [personne 1] » in one made after — the number
    of another person in the first export. Now each keeps its number; 1 is no one's, and not given
    again (Marie Durand loaded back is 5)."""
    store = _copy(db, tmp_path)
    before, _ = _exported_sources(store, tmp_path, "avant.json")
    assert {"maillage-jsonl:entretien-[personne 2].jsonl", "maillage-jsonl:cr_[personne 4].jsonl"} <= before
    _cli(store, "remove", "maillage-jsonl:entretien-Marie-Durand.jsonl", "--yes")
    with open_store(str(store)) as s:
        assert person_groups(s) == [(), ("Didier Cognon",), ("Marie Rose",), ("Cécile Ardouin",)]
    after, text = _exported_sources(store, tmp_path, "apres.json")
    assert after == before - {"maillage-jsonl:entretien-[personne 1].jsonl"}
    assert "[personne 1]" not in text
    # the run's note and citation named the source removed since (« source maillage-jsonl:entretien-
    # Marie-Durand.jsonl retirée »), a name the store, which no longer holds her, could not mask: now
    # counted in the note (« 1 source retirée ») and cited by its sha256
    assert traces(text) == [] and "Durand" not in text and "1 source retirée" in text
    assert "source retirée depuis, chargée le " in text and ", sha256 " in text
    with open_store(str(store)) as s:
        load_file(s, _source(tmp_path, "entretien-Marie-Durand.jsonl", "entretien-Marie-Durand", "Entretien", [
            actor("marie", "Marie Durand", "person", "salarie"), relation("employs", "jardins", "marie")]))
        assert person_groups(s) == [(), ("Didier Cognon",), ("Marie Rose",), ("Cécile Ardouin",), ("Marie Durand",)]
        assert person_masker(person_groups(s))("Marie Durand, Didier Cognon") == "[personne 5], [personne 2]"


def test_a_store_written_before_the_numbers_were_kept_keeps_them_at_its_first_removal(db, tmp_path):
    """A store of an earlier maillage has no numbers kept: they are its load order's, and they are
    kept as they were just before the first removal."""
    import sqlite3

    store = _copy(db, tmp_path)
    with sqlite3.connect(store) as c:
        c.execute("DELETE FROM meta WHERE key = 'person_numbers'")
    with open_store(str(store)) as s:
        assert s.person_numbering() is None
        assert person_groups(s) == [("Marie Durand",), ("Didier Cognon",), ("Marie Rose",), ("Cécile Ardouin",)]
    _cli(store, "remove", "entretien-Marie-Durand.jsonl", "--yes")
    with open_store(str(store)) as s:
        assert person_groups(s) == [(), ("Didier Cognon",), ("Marie Rose",), ("Cécile Ardouin",)]
        last, numbers = s.person_numbering()
        assert last == 4 and sorted(numbers.values()) == [2, 3, 4]  # Marie Durand's id is gone with her
