"""Citing an analysis run: `maillage --version`, `maillage runs` (the list, and one run's
citation as it was when it was made), the citation inside the exported files, and the mark of a
file exported with natural persons — through the real CLI on a real store."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import igraph
import networkx as nx
import pytest
from typer.testing import CliRunner

import maillage
from maillage.analytics.report import when_text
from maillage.cli import app
from maillage.graph import open_store

from _jsonl import actor, relation, write_jsonl

HEADER = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Écosystème d'essai",
          "documents": {"etude": {"title": "Étude sur les PTCE"}}}
RECORDS = [
    actor("pole", "Pôle Coop'Sud", "pole", "ptce", location="commune:31446"),
    actor("jardins", "Les Jardins", "ess", "association"),
    actor("scop", "SCOP Bâtisseurs", "ess", "scop"),
    actor("pme", "Menuiserie Durand", "enterprise", "pme"),
    actor("region", "Région Occitanie", "collectivite", "region"),
    actor("elue", "Jeanne Dupont", "person", "elu"),
    actor("chercheur", "Paul Martin", "person", "chercheur"),
    relation("membership", "jardins", "pole"),
    relation("membership", "scop", "pole"),
    relation("cooperates", "scop", "pme", start=2020),
    relation("funds", "region", "pole", amount=30000, year=2015),
    relation("represents", "elue", "region", mandate="vice-présidente"),
    relation("membership", "chercheur", "pole"),
]
NS = {"g": "http://gexf.net/1.3"}


def cli(db, *args):
    r = CliRunner().invoke(app, ["--store", str(db), *args])
    assert r.exit_code == 0, r.output
    return r.output


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def made(tmp_path):
    """A store loaded from one file, with two runs: the cooperation lens (sampled betweenness,
    a note), then the funding lens as of 2016. Returns (db, data file, [older run, newer run],
    what the first `maillage analyse` printed)."""
    db, data = tmp_path / "s.db", write_jsonl(tmp_path / "eco.jsonl", [HEADER, *RECORDS])
    cli(db, "load", str(data))
    said = cli(db, "analyse", "--k", "3", "--note", "pour l'article")
    cli(db, "analyse", "--lens", "financement", "--as-of", "2016", "--metrics-only")
    with open_store(str(db)) as s:
        runs = s.runs()
    return db, data, runs, said


def test_version_is_printed_from_the_package():
    res = subprocess.run([sys.executable, "-m", "maillage.cli", "--version"], capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == f"maillage {maillage.__version__}" and maillage.__version__[0].isdigit()


def test_a_run_records_the_versions_and_the_sources_it_read(made):
    db, data, (coop, _), _ = made
    assert coop.params["maillage"] == maillage.__version__
    assert coop.params["igraph"] == igraph.__version__ and coop.params["networkx"] == nx.__version__
    sid = coop.params["sources"][0]
    assert coop.params["source_sha256"] == {sid: sha256(data)}
    assert coop.params["source_loaded"][sid][:4] == str(coop.created_at.year)
    # the report's « Paramètres de l'analyse » names them too
    from maillage.analytics.report import render_report

    with open_store(str(db)) as s:
        page = render_report(s, coop.id, data.parent / "rapport.html").read_text(encoding="utf-8")
    assert (f"<dt>Moteur</dt><dd>maillage {maillage.__version__}, networkx {nx.__version__}, "
            f"igraph {igraph.__version__}</dd>") in page


def test_runs_lists_the_runs_newest_first_in_french_words(made):
    db, _, (coop, funding), analysed = made
    assert f"  pour la citer : maillage runs {coop.id}" in analysed.splitlines()
    said = cli(db, "runs")
    lines = said.splitlines()
    assert lines[0] == funding.id and lines[2] == coop.id  # newest first, the id alone on its line
    assert lines[1] == (f"  {when_text(funding.created_at)} · lentille financement · 2016 · "
                        f"{funding.params['nodes']} acteurs")
    assert lines[3] == (f"  {when_text(coop.created_at)} · lentille coopération · toutes années · "
                        f"{coop.params['nodes']} acteurs · « pour l'article »")
    listed = json.loads(cli(db, "runs", "--json"))
    assert [(r["id"], r["lens"], r["as_of"], r["actors"]) for r in listed] == [
        (funding.id, "funding", 2016, funding.params["nodes"]), (coop.id, "cooperation", None, coop.params["nodes"])]
    en = cli(db, "runs", "--lang", "en").splitlines()
    assert en[1].startswith(f"  {when_text(funding.created_at, 'en')} · lens funding · 2016 · ")


def test_a_run_s_citation_says_what_was_true_when_it_was_made(made):
    db, data, (coop, _), _ = made
    first_sha = sha256(data)
    said = cli(db, "runs", coop.id)
    assert said.splitlines()[:4] == [f"analyse {coop.id}", f"  date : {when_text(coop.created_at)}",
                                     "  lentille : coopération", "  année : toutes années"]
    assert "intermédiarité échantillonnée (k = 3)" in said and "graine 0" in said
    assert "  note : pour l'article" in said
    assert "eco.jsonl — Étude sur les PTCE" in said  # the document's title
    assert "eco.jsonl · chargée le " in said and f"sha256 {first_sha}" in said and "depuis" not in said
    assert (f"  logiciels : maillage {maillage.__version__}, networkx {nx.__version__}, igraph {igraph.__version__}"
            in said.splitlines())
    # the file changes and is loaded again: the citation keeps the file the run read, and says so
    write_jsonl(data, [HEADER, *RECORDS, actor("seul", "Tiers-lieu Solitaire", "tiers_lieu", "tiers_lieu")])
    cli(db, "load", str(data))
    again = cli(db, "runs", coop.id)
    assert f"sha256 {first_sha}" in again and sha256(data) not in again
    assert "rechargée depuis : la base en a une autre version" in again
    doc = json.loads(cli(db, "runs", coop.id, "--json"))
    assert doc["sources"][0]["sha256"] == first_sha and doc["sources"][0]["since"] == "reloaded"
    assert doc["software"] == {"maillage": maillage.__version__, "networkx": nx.__version__,
                               "igraph": igraph.__version__}
    assert doc["params"]["betweenness_k"] == 3


def test_an_unknown_run_is_refused_with_the_latest_named(made):
    db, _, (_, funding), _ = made
    r = CliRunner().invoke(app, ["--store", str(db), "runs", "run-inconnue"])
    assert r.exit_code == 1 and "aucune analyse « run-inconnue » dans cette base" in r.output
    assert funding.id in r.output


def test_the_run_id_fingerprint_covers_the_source_files_not_their_load_time(tmp_path):
    """docs/analytics.md: the suffix is a digest of the parameters, the sources' sha256 among
    them; a file reloaded unchanged keeps it, a file changed in a name only (same counts) not."""
    db, data = tmp_path / "s.db", write_jsonl(tmp_path / "eco.jsonl", [HEADER, *RECORDS])
    cli(db, "load", str(data))
    cli(db, "analyse")
    cli(db, "load", str(data))  # the same file again: a new load time
    cli(db, "analyse")
    renamed = [dict(r, name="Les Jardins Partagés") if r.get("key") == "jardins" else r for r in RECORDS]
    write_jsonl(data, [HEADER, *renamed])
    cli(db, "load", str(data))
    cli(db, "analyse")
    with open_store(str(db)) as s:
        runs = s.runs()
    fingerprint = [r.id.split("-")[2] for r in runs]
    assert runs[0].params["nodes"] == runs[2].params["nodes"] and runs[0].params["edges"] == runs[2].params["edges"]
    assert fingerprint[0] == fingerprint[1] != fingerprint[2]


def test_the_graph_files_carry_the_citation_and_the_csv_names_the_command(made, tmp_path):
    db, data, (coop, _), _ = made
    facts = [coop.id, when_text(coop.created_at), f"maillage {maillage.__version__}", f"igraph {igraph.__version__}",
             f"sha256 {sha256(data)}", "eco.jsonl", f"pour la citer : maillage runs {coop.id}"]
    cli(db, "export", "-f", "gexf", "--lens", "cooperation", "-o", str(tmp_path / "g.gexf"))
    desc = ET.parse(tmp_path / "g.gexf").getroot().find("g:meta/g:description", NS).text
    assert all(f in desc for f in facts), desc
    assert "lentille coopération, toutes années" in desc
    cli(db, "export", "-f", "graphml", "--run", coop.id, "-o", str(tmp_path / "g.graphml"))
    assert all(f in nx.read_graphml(tmp_path / "g.graphml").graph["description"] for f in facts)
    cli(db, "export", "-f", "json", "--run", coop.id, "-o", str(tmp_path / "g.json"))
    about = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["about"]
    assert about[0].startswith(f"mesures de l'analyse {coop.id}") and all(any(f in a for a in about) for f in facts)
    # the metrics table stays a plain CSV (no comment line); the command says how to cite the run
    said = cli(db, "export", "--run", coop.id, "-o", str(tmp_path / "m.csv"))
    assert f"pour citer cette analyse : maillage runs {coop.id}" in said
    with open(tmp_path / "m.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["id", "name"] and len(rows) == 1 + coop.params["nodes"]


def test_a_file_with_persons_says_so_inside_and_on_the_console(made, tmp_path):
    db = made[0]
    with open_store(str(db)) as s:
        persons = [a for a in s.iter_actors(include_persons=True) if a.personal_data]
        everyone = sum(1 for _ in s.iter_actors(include_persons=True))
    assert len(persons) == 2
    mark = f"{everyone} acteurs dont 2 personnes physiques (données personnelles) : ne diffusez pas ce fichier"
    said = cli(db, "export", "-f", "json", "--include-persons", "-o", str(tmp_path / "p.json"))
    assert mark in said.splitlines()
    doc = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert mark in doc["about"] and len(doc["nodes"]) == everyone
    said = cli(db, "export", "-f", "gexf", "--include-persons", "-o", str(tmp_path / "p.gexf"))
    assert mark in said
    assert mark in ET.parse(tmp_path / "p.gexf").getroot().find("g:meta/g:description", NS).text
    en = cli(db, "export", "-f", "graphml", "--include-persons", "--lang", "en", "-o", str(tmp_path / "p.graphml"))
    en_mark = f"{everyone} actors including 2 natural persons (personal data): do not share this file"
    assert en_mark in en and en_mark in nx.read_graphml(tmp_path / "p.graphml").graph["description"]
    # a format with no place for it: said on the console only
    said = cli(db, "export", "-f", "edges.csv", "--include-persons", "-o", str(tmp_path / "p.csv"))
    assert mark in said
    # the lens projection counts the persons it writes as nodes
    said = cli(db, "export", "-f", "json", "--projection", "--include-persons", "-o", str(tmp_path / "coop.json"))
    doc = json.loads((tmp_path / "coop.json").read_text(encoding="utf-8"))
    assert sorted(n["label"] for n in doc["nodes"] if n["family"] == "person") == ["Jeanne Dupont", "Paul Martin"]
    line = f"{len(doc['nodes'])} acteurs dont 2 personnes physiques (données personnelles) : ne diffusez pas ce fichier"
    assert line in doc["about"] and line in said.splitlines()
    # without persons: no mark, in the file or on the console
    said = cli(db, "export", "-f", "json", "-o", str(tmp_path / "n.json"))
    doc = json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))
    assert "personnes physiques" not in said and not any("personne" in x for x in doc["about"])


def test_a_run_made_before_runs_recorded_them_says_what_it_does_not_know(tmp_path):
    """A run stored by an earlier maillage (sources' ids and networkx only): the citation takes
    the store's source while it has not been reloaded, and names the versions it lacks."""
    from maillage.graph.store import AnalysisRun

    db, data = tmp_path / "s.db", write_jsonl(tmp_path / "eco.jsonl", [HEADER, *RECORDS])
    cli(db, "load", str(data))
    with open_store(str(db)) as s:
        sid = s.sources()[0].id
        s.save_run(AnalysisRun(id="run-20200101T000000Z-abcdef", params={"sources": [sid], "networkx": "3.2",
                                                                       "nodes": 5}), [])
    said = cli(db, "runs", "run-20200101T000000Z-abcdef")
    assert f"sha256 {sha256(data)}" in said
    assert ("  logiciels : networkx 3.2 (versions de maillage et d'igraph non enregistrées par cette analyse)"
            in said.splitlines())


def test_titles_naming_a_person_are_masked_in_runs_and_sources(tmp_path):
    """A source's title may name its author, a person of the graph (Paul Martin, Jeanne Dupont):
    `maillage sources` and `maillage runs ID` print it masked, in French and English, text and
    JSON; the store keeps the title as written (docs/privacy.md)."""
    header = dict(HEADER, title="Carnet de terrain de Jeanne Dupont",
                  documents={"etude": {"title": "Martin et al. (2019), Étude sur les PTCE"}})
    db, data = tmp_path / "s.db", write_jsonl(tmp_path / "eco.jsonl", [header, *RECORDS])
    cli(db, "load", str(data))
    cli(db, "analyse")
    with open_store(str(db)) as s:
        run, source = s.runs()[-1], s.sources()[0]
    assert source.title == "Carnet de terrain de Jeanne Dupont"  # the store keeps it
    said = cli(db, "sources")
    assert "« Carnet de terrain de [personne 1] »" in said and "Dupont" not in said
    assert "[person 1]" in cli(db, "--lang", "en", "sources")
    assert json.loads(cli(db, "sources", "--json"))[0]["title"] == "Carnet de terrain de [personne 1]"
    cite = cli(db, "runs", run.id)
    assert "eco.jsonl — [personne 2] et al. (2019), Étude sur les PTCE" in cite and "Martin" not in cite
    assert "— [person 2] et al. (2019)" in cli(db, "runs", run.id, "--lang", "en")
    doc = json.loads(cli(db, "runs", run.id, "--json"))
    assert doc["sources"][0]["label"] == "[personne 2] et al. (2019), Étude sur les PTCE"


def test_the_persons_mark_groups_thousands_as_the_line_above_it():
    """« ex.csv — 4 366 acteurs, 578 relations » was followed by « 4366 acteurs dont 434
    personnes physiques… »: the mark, in the file too, groups the thousands as French does."""
    from maillage.api.exports import persons_mark

    assert persons_mark(4366, 1434) == ("4\u202f366 acteurs dont 1\u202f434 personnes physiques (données "
                                        "personnelles) : ne diffusez pas ce fichier")
    assert persons_mark(4366, 1434, "en").startswith("4,366 actors including 1,434 natural persons")
