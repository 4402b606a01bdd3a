"""Which analysis run an export's metrics come from, and whether the graph changed after it:
`maillage export` and `GET /api/export/{fmt}` take the run of their own lens and year, name it,
and say when its measures describe another view or a graph changed since (a reviewer's merge,
a source loaded or removed); the API export filters by lens and year as the CLI does."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import unquote

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from maillage.analytics.run import analyse
from maillage.api.app import create_app
from maillage.api.export_view import choose_run, graph_changes
from maillage.cli import app
from maillage.graph import open_store
from maillage.graph.projection import lens_types
from maillage.graph.store import NotFound
from maillage.loaders import load_file, load_reference

#: docs/resolution.md's example: s000b's Pôle-Emploi is the agencies s000a calls « les Pôles emplois ».
PROPOSAL = "pcf3f9abd66"
MEMBER = "access-2b2ad1"  # a member of the reference pôle Le Périscope


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = tmp_path_factory.mktemp("runs") / "ref.db"
    with open_store(str(path)) as s:
        load_reference(s, rejects_dir=path.parent / "rejets")
    return path


def cli(db, *args):
    r = CliRunner().invoke(app, ["--store", str(db), *args])
    assert r.exit_code == 0, r.output
    return r.output


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def jsonl(path, *records):
    lines = [{"record": "header", "format": "maillage-jsonl", "version": 1, "title": path.stem}, *records]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return path


def actor(key, name):
    return {"record": "actor", "key": key, "name": name, "family": "ess", "provenance": {"locator": "row 2"}}


# -- 1. the store changed after the run ------------------------------------------------------------

def test_metrics_csv_after_an_accepted_merge_leaves_out_the_merged_actor_and_says_the_run_is_older(db, tmp_path):
    cli(db, "analyse", "--metrics-only")
    said = cli(db, "resolve", "--accept", PROPOSAL)
    assert "relancez « maillage analyse »" in said  # the hint `maillage remove` gives
    out = tmp_path / "m.csv"
    said = cli(db, "export", "-o", str(out))
    with open_store(str(db)) as s:
        actors = {a.id for a in s.iter_actors(include_persons=True)}
        run = s.runs()[-1]
        in_run = {k for k, m in s.metrics(run.id).items() if "degree" in m}
    got = rows(out)
    assert {r["id"] for r in got} == in_run & actors and len(in_run - actors) == 1
    assert all(r["name"] for r in got)  # no ",,,," row for the actor merged away
    assert f"{len(got)} acteurs → " in said and f"mesures de l'analyse {run.id}" in said
    assert "1 acteur de l'analyse n'est plus dans la base" in said
    assert (f"les mesures viennent de l'analyse {run.id} du " in said and "faite avant la dernière modification du "
            "graphe (1 décision de résolution le " in said and "relancez « maillage analyse --lens coopération »" in said)
    en = cli(db, "export", "-o", str(out), "--lang", "en")
    assert "1 actor of the run no longer in the store" in en and "made before the latest change of the graph" in en


def test_a_graph_export_after_a_merge_says_its_degrees_are_older_than_the_file(db, tmp_path):
    cli(db, "analyse", "--metrics-only", "--lens", "all")
    cli(db, "resolve", "--accept", PROPOSAL)
    out = tmp_path / "t.gexf"
    said = cli(db, "export", "-f", "gexf", "-o", str(out))
    assert "faite avant la dernière modification du graphe" in said
    assert "décrivent une autre vue" not in said  # the run is of the export's lens and year
    cli(db, "analyse", "--metrics-only", "--lens", "all")
    said = cli(db, "export", "-f", "gexf", "-o", str(out))
    assert "remarque" not in said  # a run made after the change: nothing to say
    with open_store(str(db)) as s:
        run, merged = s.runs()[-1], s.metrics(s.runs()[-1].id)
    g = nx.read_gexf(out)
    assert f"mesures de l'analyse {run.id} (lentille tout, toutes années)" in said
    cbe = "le-comite-de-bassin-d-emploi-sud-aquitai-86b253"
    assert float(g.nodes[cbe]["degree"]) == merged[cbe]["degree"]


def test_undo_and_reject_hints(db):
    cli(db, "analyse", "--metrics-only")
    said = cli(db, "resolve", "--reject", PROPOSAL)
    assert "relancez" not in said  # a rejected proposal changes no actor and no tie
    with open_store(str(db)) as s:
        assert graph_changes(s, s.runs()[-1]) == []
    said = cli(db, "resolve", "--undo", "reference:s003_004:urscop")
    assert "relancez « maillage analyse »" in said
    with open_store(str(db)) as s:
        (change,) = graph_changes(s, s.runs()[-1])
        assert (change.kind, change.what) == ("decision", "reference:s003_004:urscop")


def test_a_source_loaded_then_removed_after_the_run_is_named(tmp_path):
    path = tmp_path / "s.db"
    a = jsonl(tmp_path / "a.jsonl", actor("x", "Coop Alpha"), actor("y", "Coop Beta"),
              {"record": "relation", "type": "cooperates", "source": "x", "target": "y",
               "provenance": {"locator": "row 4"}})
    b = jsonl(tmp_path / "b.jsonl", actor("z", "Coop Gamma"))
    with open_store(str(path)) as s:
        load_file(s, a)
        analyse(s, diagnostics=False)
    out = tmp_path / "m.csv"
    assert "remarque" not in cli(path, "export", "-o", str(out))
    cli(path, "load", str(b))
    said = cli(path, "export", "-f", "json", "-o", str(tmp_path / "g.json"))
    assert "source maillage-jsonl:b.jsonl chargée le " in said
    cli(path, "analyse", "--metrics-only")
    said = cli(path, "remove", "maillage-jsonl:b.jsonl", "--yes")
    assert "relancez « maillage analyse »" in said
    said = cli(path, "export", "-o", str(out))
    # counted, not named: a removed source's persons are gone from the store, so a person's name
    # in its id could no longer be masked (« entretien-Marie-Durand.jsonl »)
    assert "1 source retirée" in said and "b.jsonl" not in said and "chargée" not in said
    assert "1 source removed" in cli(path, "export", "-o", str(out), "--lang", "en")


def test_the_notes_say_times_in_paris_time_as_the_reports(monkeypatch):
    """« chargée le 06/12/2026 03:50 »: the time a French reader lives in, the one the reports
    give (« 6 décembre 2026 à 03 h 50 »), not the machine's (it said 02:50 on a UTC server)."""
    import time
    from datetime import datetime, timezone

    from maillage.analytics.report import when_text
    from maillage.api.export_view import Change, changes_text, stale_note
    from maillage.graph.store import AnalysisRun

    monkeypatch.setenv("TZ", "Asia/Tokyo")  # neither UTC nor Paris
    time.tzset()
    try:
        winter, summer = datetime(2026, 12, 6, 2, 50, tzinfo=timezone.utc), datetime(2026, 7, 1, 8, 5)  # naive: UTC
        changes = [Change("loaded", "scdl:a.csv", winter), Change("decision", "scdl:a.csv:3", summer, "x")]
        assert changes_text(changes) == ("source scdl:a.csv chargée le 06/12/2026 03:50 ; 1 décision de résolution "
                                         "le 01/07/2026 10:05")
        assert when_text(winter) == "6 décembre 2026 à 03 h 50"  # the same zone, said as a sentence
        assert changes_text(changes, "en") == ("source scdl:a.csv loaded on 2026-12-06 03:50 (Paris time); "
                                               "1 resolution decision on 2026-07-01 10:05 (Paris time)")
        run = AnalysisRun(id="run-x", created_at=summer, lens="funding", as_of=None)
        assert stale_note(run, changes).startswith("les mesures viennent de l'analyse run-x du 01/07/2026 10:05, faite")
    finally:
        monkeypatch.undo()
        time.tzset()


# -- 2. the run of the export's lens and year -------------------------------------------------------

def test_a_graph_export_takes_the_run_of_its_lens_and_year_and_names_it(db, tmp_path):
    cli(db, "analyse", "--metrics-only", "--lens", "cooperation", "--as-of", "2016")
    cli(db, "analyse", "--metrics-only", "--lens", "all")  # the latest, of another view
    with open_store(str(db)) as s:
        coop2016, every = s.runs()
        expected, latest = s.metrics(coop2016.id), s.metrics(every.id)
    out = tmp_path / "coop2016.gexf"
    said = cli(db, "export", "-f", "gexf", "--lens", "cooperation", "--as-of", "2016", "-o", str(out))
    assert f"mesures de l'analyse {coop2016.id} (lentille coopération, 2016)" in said and "remarque" not in said
    g = nx.read_gexf(out)
    differ = [a for a in g.nodes if "degree" in expected.get(a, {}) and expected[a] != latest.get(a)]
    assert differ and all(float(g.nodes[a]["degree"]) == expected[a]["degree"] for a in differ)
    said = cli(db, "export", "-f", "gexf", "--lens", "funding", "-o", str(out))  # no funding run: the latest
    assert f"mesures de l'analyse {every.id} (lentille tout, toutes années)" in said
    assert (f"remarque : les mesures de l'analyse {every.id} (lentille tout, toutes années) décrivent une autre vue "
            "que cet export (lentille financement, toutes années) ; pour les mesures de cette vue : maillage analyse "
            "--lens financement") in said
    said = cli(db, "export", "-f", "gexf", "--run", coop2016.id, "-o", str(out), "--lang", "en")
    assert f"measures of analysis run {coop2016.id} (lens cooperation, 2016)" in said
    assert "describe another view than this export (lens all, all years)" in said
    # a file of relation statements holds no actor's measures: no run named, no remark about one
    for fmt, name in (("edges.csv", "liens.csv"), ("ftm.jsonl", "g.ftm.jsonl")):
        said = cli(db, "export", "-f", fmt, "--lens", "funding", "-o", str(tmp_path / name))
        assert "mesures de l'analyse" not in said and "remarque" not in said, (fmt, said)
        assert " relations" in said


def test_choose_run(db):
    with open_store(str(db)) as s:
        assert choose_run(s).run is None and choose_run(s).label() == "sans mesures : aucune analyse (maillage analyse)"
        first, second = analyse(s, diagnostics=False), analyse(s, lens="funding", diagnostics=False)
        assert choose_run(s, "cooperation").run.id == first.id and choose_run(s, "cooperation").matches
        assert choose_run(s, "cooperation", 2016).run.id == second.id and not choose_run(s, "cooperation", 2016).matches
        assert choose_run(s, None).run.id == second.id and choose_run(s, None).notes() == []
        assert choose_run(s, run_id=first.id).asked
        with pytest.raises(NotFound, match="run-nope"):
            choose_run(s, run_id="run-nope")
        assert first.params["sources"] == sorted(x.id for x in s.sources())


# -- 3. the API export: lens, year, run ------------------------------------------------------------

@pytest.fixture
def api(db):
    with open_store(str(db)) as s:
        analyse(s, lens="all", diagnostics=False)
    with TestClient(create_app(str(db))) as c:
        yield c


def test_the_api_export_filters_by_lens_and_year_as_the_cli(api, db, tmp_path):
    r = api.get("/api/export/gexf?lens=governance")
    assert r.status_code == 200
    types = {d["type"] for *_, d in nx.read_gexf(io.BytesIO(r.content)).edges(data=True)}
    assert types and types <= set(lens_types("governance"))
    for query, args in (("as_of=2016", ["--as-of", "2016"]), ("lens=cooperation&as_of=2016", ["--lens", "cooperation",
                         "--as-of", "2016"]), ("pole=periscope-le-periscope-248958&lens=funding", ["--pole",
                         "periscope-le-periscope-248958", "--lens", "funding"]),
                        ("territory=departement:31&as_of=2020", ["--territory", "departement:31", "--as-of", "2020"])):
        r = api.get(f"/api/export/json?{query}")
        assert r.status_code == 200, r.text
        out = tmp_path / "x.json"
        cli(db, "export", "-f", "json", "-o", str(out), *args)
        mine, theirs = r.json(), json.loads(out.read_text(encoding="utf-8"))
        assert {n["id"] for n in mine["nodes"]} == {n["id"] for n in theirs["nodes"]}, query
        assert {e["id"] for e in mine["edges"]} == {e["id"] for e in theirs["edges"]}, query
        assert mine["nodes"] == theirs["nodes"], query  # same metrics, of the same run
    whole = api.get("/api/export/json").json()
    assert len(api.get("/api/export/json?as_of=2016").json()["edges"]) < len(whole["edges"])


def test_the_api_export_names_its_run_and_says_what_it_describes(api, db):
    with open_store(str(db)) as s:
        (run,) = s.runs()
    r = api.get("/api/export/nodes.csv")
    assert r.headers["x-maillage-run"] == run.id and "x-maillage-notes" not in r.headers
    r = api.get("/api/export/gexf?lens=cooperation&as_of=2016")
    assert r.headers["x-maillage-run"] == run.id
    assert unquote(r.headers["x-maillage-notes"]) == (
        f"les mesures de l'analyse {run.id} (lentille tout, toutes années) décrivent une autre vue que cet export "
        "(lentille coopération, 2016) ; pour les mesures de cette vue : maillage analyse --lens coopération --as-of 2016")
    r = api.get("/api/export/gexf?lens=cooperation&as_of=2016&lang=en")
    assert "describe another view than this export" in unquote(r.headers["x-maillage-notes"])
    cli(db, "resolve", "--accept", PROPOSAL)
    notes = unquote(api.get("/api/export/json").headers["x-maillage-notes"])
    assert notes.startswith(f"les mesures viennent de l'analyse {run.id} du ") and "relancez « maillage analyse" in notes
    r.headers["x-maillage-notes"].encode("ascii")  # what every HTTP client reads


def test_the_api_export_checks_lens_and_year_as_the_other_views(api):
    for url in ("/api/export/gexf?lens=charisme", f"/api/actors/{MEMBER}/neighbourhood?lens=charisme"):
        r = api.get(url)
        assert r.status_code == 400 and r.json()["detail"].startswith("Lentille inconnue « charisme »"), url
    for year in ("1700", "2016.5", "deux-mille"):
        r = api.get(f"/api/export/gexf?as_of={year}")
        assert r.status_code == 422 and r.json()["detail"].startswith("Paramètre invalide : as_of"), year
    assert api.get("/api/export/gexf?lens=charisme&lang=en").json()["detail"].startswith("Unknown lens 'charisme'")


# -- 4. the API's CSV files for a French spreadsheet, as the CLI's ---------------------------------

@pytest.mark.parametrize("projection", [False, True], ids=["statements", "projection"])
def test_the_api_csv_for_a_french_spreadsheet_is_the_cli_file_byte_for_byte(api, db, tmp_path, projection):
    """`GET /api/export/csv?delimiter=;&decimal_comma=true` (and nodes.csv) is the file of
    `maillage export -f edges.csv --delimiter ';' --decimal-comma`: it used to ignore both."""
    import re

    extra = ["--projection"] if projection else []
    for fmt, cli_fmt in (("csv", "edges.csv"), ("nodes.csv", "nodes.csv")):
        query = {"projection": str(projection).lower()}
        out = tmp_path / f"cli-{cli_fmt}"
        cli(db, "export", "-f", cli_fmt, *extra, "--delimiter", ";", "--decimal-comma", "-o", str(out))
        r = api.get(f"/api/export/{fmt}", params={**query, "delimiter": ";", "decimal_comma": "true"})
        assert r.status_code == 200, r.text
        assert r.content == out.read_bytes(), fmt
        text = r.content.decode("utf-8-sig")
        header = text.splitlines()[0]
        assert header.count(";") >= 5 and "," not in header, header
        if fmt == "nodes.csv" or projection:  # metrics, weights (the statements' amounts are whole euros)
            assert re.search(r";\d+,\d+(;|\r\n)", text), fmt  # a decimal comma in a cell of its own
        assert r.content != api.get(f"/api/export/{fmt}", params=query).content  # not the default file
        out = tmp_path / f"tab-{cli_fmt}"
        cli(db, "export", "-f", cli_fmt, *extra, "--delimiter", "\t", "-o", str(out))
        r = api.get(f"/api/export/{fmt}", params={**query, "delimiter": "tab"})
        assert r.status_code == 200 and r.content == out.read_bytes() and "\t" in r.text.splitlines()[0], fmt


def test_the_api_refuses_csv_options_it_cannot_honour_by_name(api):
    r = api.get("/api/export/csv", params={"delimiter": "|"})
    assert r.status_code == 422
    assert r.json()["detail"] == ("Séparateur de colonnes « | » non pris en charge : delimiter vaut « , » (par défaut), "
                                  "« ; » (tableur français) ou « tab » (tabulation).")
    assert api.get("/api/export/csv", params={"delimiter": "||", "lang": "en"}).json()["detail"].startswith(
        "Column separator '||' not supported")
    r = api.get("/api/export/gexf", params={"delimiter": ";"})
    assert r.status_code == 400
    assert r.json()["detail"] == "delimiter ne s'applique qu'aux fichiers CSV (csv, nodes.csv), pas au format gexf."
    r = api.get("/api/export/kumu.xlsx", params={"delimiter": ";", "decimal_comma": "true", "lang": "en"})
    assert r.status_code == 400 and r.json()["detail"] == (
        "delimiter and decimal_comma only apply to the CSV files (csv, nodes.csv), not to format kumu.xlsx.")
    r = api.get("/api/export/graphml", params={"decimal_comma": "true", "projection": "true"})
    assert r.status_code == 400 and r.json()["detail"].startswith("decimal_comma ne s'applique qu'aux fichiers CSV")
    for fmt in ("csv", "nodes.csv"):  # a decimal comma between comma-separated cells: refused, not written
        r = api.get(f"/api/export/{fmt}", params={"decimal_comma": "true"})
        assert r.status_code == 400 and r.json()["detail"] == (
            "La virgule décimale demande un autre séparateur de colonnes : delimiter=;"), fmt


# -- an unknown run, --include-persons on a run's table ---------------------------------------------

@pytest.fixture()
def four_runs(tmp_path):
    """A store with four runs made a day apart (``r1`` the oldest) and one actor."""
    from datetime import datetime, timedelta, timezone

    from maillage.graph.store import AnalysisRun

    path = tmp_path / "runs.db"
    load = jsonl(tmp_path / "acteurs.jsonl", actor("a", "Atelier Vélo"))
    with open_store(str(path)) as s:
        load_file(s, load, rejects_dir=tmp_path / "rejets")
        aid = next(s.iter_actors()).id
        day = datetime(2026, 3, 1, tzinfo=timezone.utc)
        for i in range(1, 5):
            s.save_run(AnalysisRun(id=f"r{i}", created_at=day + timedelta(days=i)), [(aid, "degree", 0.0)])
    return path


@pytest.mark.parametrize("args", [["-f", "csv"], ["-f", "gexf"], ["-f", "poles.csv"], ["-f", "gexf", "--projection"]])
def test_an_unknown_run_is_refused_as_maillage_runs_refuses_it_newest_first(four_runs, tmp_path, args):
    """``export --run nope`` listed the latest runs oldest first and quoted the id 'nope'; it
    now says it as ``maillage runs nope`` does: « nope », the newest first."""
    out = str(tmp_path / "x")
    r = CliRunner().invoke(app, ["--store", str(four_runs), "export", *args, "--run", "nope", "-o", out])
    assert r.exit_code == 1, r.output
    said = " ".join(r.stderr.split())
    assert "aucune analyse « nope » dans cette base ; les dernières : r4, r3, r2 (maillage runs les liste toutes)" \
        in said, said
    assert said == " ".join(CliRunner().invoke(app, ["--store", str(four_runs), "runs", "nope"]).stderr.split())
    en = CliRunner().invoke(app, ["--store", str(four_runs), "export", *args, "--run", "nope", "-o", out,
                                  "--lang", "en"])
    assert "no analysis run 'nope' in this store; the latest: r4, r3, r2" in " ".join(en.stderr.split())


def test_the_library_names_the_latest_runs_newest_first(four_runs):
    from maillage.api.exports import metrics_csv

    with open_store(str(four_runs)) as s:
        for read in (lambda: metrics_csv(s, io.StringIO(), run_id="nope"), lambda: choose_run(s, run_id="nope")):
            with pytest.raises(NotFound, match=r"latest runs in this store: r4, r3, r2$"):
                read()


def test_include_persons_on_a_run_s_table_is_said_to_change_nothing(four_runs, tmp_path):
    """A run never holds natural persons (``maillage analyse`` leaves them out): the option was
    silently ignored on its tables; a note says so, on the error stream, the file written."""
    for fmt in ("csv", "poles.csv"):
        out = tmp_path / f"t.{fmt}"
        r = CliRunner().invoke(app, ["--store", str(four_runs), "export", "-f", fmt, "--include-persons",
                                     "-o", str(out)])
        assert r.exit_code == 0, r.output
        assert out.exists()
        note = " ".join(r.stderr.split())
        assert f"remarque : --include-persons ne change rien à --format {fmt} : une analyse ne mesure pas " \
               "les personnes physiques" in note, note
        assert "--include-persons" not in r.stdout
    r = CliRunner().invoke(app, ["--store", str(four_runs), "export", "-f", "csv", "-o", str(out)])
    assert "--include-persons" not in r.stderr
