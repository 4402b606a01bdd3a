"""Which analysis run the metrics of a map, an API view or a report come from: as exports
(tests/test_export_runs.py), each takes the latest run of its own lens and year (else the
latest run), names it, and says when its measures describe another view or a graph changed
since — in the map page, the report, the CLI's « remarque » lines, the API's JSON notes and
``X-Maillage-Run`` / ``X-Maillage-Notes`` headers. Two runs, cooperation then funding (the
latest): a cooperation view shows the cooperation run's values, not the latest's."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import unquote

import pytest
from _maps import map_data
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from maillage.analytics.report import render_report, run_text
from maillage.analytics.reports import render_pole_report
from maillage.analytics.run import analyse
from maillage.api.app import create_app
from maillage.cli import app
from maillage.clock import short_when
from maillage.graph import open_store
from maillage.loaders import load_file, load_reference

POLE = "periscope-le-periscope-248958"  # the reference pôle Le Périscope
MEMBER = "access-2b2ad1"  # one of its members


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The reference store with two runs: cooperation, then funding (the latest)."""
    path = tmp_path_factory.mktemp("view-runs") / "ref.db"
    with open_store(str(path)) as s:
        load_reference(s, rejects_dir=path.parent / "rejets")
        analyse(s, lens="cooperation", diagnostics=False)
        analyse(s, lens="funding", diagnostics=False)
    return path


@pytest.fixture
def runs(db):
    """``(cooperation run, funding run, their actor metrics)``."""
    with open_store(str(db)) as s:
        coop, funding = s.runs()
        return coop, funding, {r.id: s.metrics(r.id) for r in (coop, funding)}


@pytest.fixture
def api(db):
    with TestClient(create_app(str(db))) as c:
        yield c


def cli(db, *args):
    r = CliRunner().invoke(app, ["--store", str(db), *args])
    assert r.exit_code == 0, r.output
    return r.output


def load_later(db, tmp_path):
    """Load a small source after the runs: every run now describes an older graph."""
    f = tmp_path / "later.jsonl"
    f.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in (
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "later"},
        {"record": "actor", "key": "z", "name": "Coop Gamma", "family": "ess", "provenance": {"locator": "row 2"}},
    )) + "\n", encoding="utf-8")
    with open_store(str(db)) as s:
        load_file(s, f)


def text(page: str) -> str:
    """A page's text, tags dropped and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def degrees(nodes) -> dict[str, float]:
    return {n["id"]: n["metrics"]["degree"] for n in nodes if n.get("metrics") and "degree" in n["metrics"]}


# -- 1. API views ---------------------------------------------------------------------------------------

def test_a_cooperation_neighbourhood_carries_the_cooperation_run_not_the_latest(api, runs):
    coop, funding, values = runs
    r = api.get(f"/api/actors/{POLE}/neighbourhood?lens=cooperation")
    assert r.status_code == 200 and r.headers["x-maillage-run"] == coop.id and "x-maillage-notes" not in r.headers
    got = degrees(r.json()["nodes"])
    differ = [a for a in got if values[coop.id].get(a, {}).get("degree") != values[funding.id].get(a, {}).get("degree")]
    assert differ and all(got[a] == values[coop.id][a]["degree"] for a in got)
    assert not any("analyse" in n for n in r.json()["notes"])
    again = api.get(f"/api/actors/{POLE}/neighbourhood?lens=cooperation")  # from the response cache
    assert again.content == r.content and again.headers["x-maillage-run"] == coop.id


def test_a_view_with_no_run_of_its_own_says_whose_measures_it_shows(api, runs):
    coop, funding, values = runs
    r = api.get(f"/api/poles/{POLE}/subgraph?as_of=2016")  # every type, 2016: no such run
    assert r.headers["x-maillage-run"] == funding.id
    note = (f"les mesures de l'analyse {funding.id} (lentille financement, toutes années) décrivent une autre vue que "
            "celle-ci (lentille tout, 2016) ; pour les mesures de cette vue : maillage analyse --lens tout --as-of 2016")
    assert unquote(r.headers["x-maillage-notes"]) == note
    # the view's notes name the run as the reports do, by its date (its id is in the header)
    said = note.replace(f"l'analyse {funding.id}", run_text(funding))
    assert r.json()["notes"][-1] == said[0].upper() + said[1:] + "." and funding.id not in r.json()["notes"][-1]
    assert "describe another view than this one (lens all, 2016)" in api.get(
        f"/api/poles/{POLE}/subgraph?as_of=2016&lang=en").json()["notes"][-1]
    path = api.get(f"/api/path?source={MEMBER}&target={POLE}")  # a path's lens: cooperation
    assert path.headers["x-maillage-run"] == coop.id and "x-maillage-notes" not in path.headers


def test_the_actor_record_takes_the_run_of_every_lens_all_years(api, db, runs):
    coop, funding, _ = runs
    with open_store(str(db)) as s:
        every = analyse(s, lens="all", diagnostics=False)
        analyse(s, lens="cooperation", as_of=2016, diagnostics=False)  # the latest now
        expected = s.metrics(every.id, actor_id=POLE)[POLE]
    r = api.get(f"/api/actors/{POLE}")
    assert r.json()["run_id"] == every.id and r.json()["metrics"] == expected
    assert r.headers["x-maillage-run"] == every.id and "x-maillage-notes" not in r.headers


def test_a_load_after_the_run_is_said_by_the_views_and_their_headers(api, db, tmp_path, runs):
    coop, _, _ = runs
    load_later(db, tmp_path)
    r = api.get(f"/api/actors/{POLE}/neighbourhood?lens=cooperation")
    stale = unquote(r.headers["x-maillage-notes"])
    assert stale.startswith(f"les mesures viennent de l'analyse {coop.id} du ")
    assert "source maillage-jsonl:later.jsonl chargée le " in stale and "relancez « maillage analyse --lens " \
        "coopération »" in stale
    said = stale.replace(f"l'analyse {coop.id} du {short_when(coop.created_at)}", run_text(coop))
    assert r.json()["notes"][-1] == said[0].upper() + said[1:] + "." and coop.id not in said


# -- 2. maps --------------------------------------------------------------------------------------------

def test_an_api_map_sizes_by_the_run_of_its_lens_and_names_it(api, runs):
    coop, funding, _ = runs
    r = api.get(f"/map/actor/{POLE}?lens=cooperation&size_by=degree")
    page = text(r.text)
    assert r.status_code == 200 and r.headers["x-maillage-run"] == coop.id
    assert f"Mesures de l'analyse {coop.id} (lentille coopération, toutes années)." in page
    assert funding.id not in page and "autre vue" not in page
    r = api.get(f"/map/pole/{POLE}?size_by=degree")  # a pôle's map: every type; no such run
    page = text(r.text)
    assert f"Mesures de l'analyse {funding.id} (lentille financement, toutes années)." in page
    assert (f"Les mesures de {run_text(funding)} (lentille financement, toutes années) décrivent une autre vue que "
            "cette carte (lentille tout, toutes années) ; pour les mesures de cette vue : maillage analyse --lens tout."
            in page)
    en = text(api.get(f"/map/pole/{POLE}?size_by=degree&lang=en").text)
    assert f"Measures of analysis run {funding.id} (lens funding, all years)." in en
    assert "describe another view than this map (lens all, all years)" in en
    plain = text(api.get(f"/map/pole/{POLE}").text)  # no size: no measure drawn, nothing to say
    assert "analyse" not in plain.lower()


def test_an_api_map_says_the_graph_changed_after_its_run(api, db, tmp_path, runs):
    coop, _, _ = runs
    load_later(db, tmp_path)
    page = text(api.get(f"/map/actor/{POLE}?lens=cooperation&size_by=degree").text)
    assert f"Les mesures viennent de {run_text(coop)}, faite avant" in page and "faite avant la dernière modification" in page


def test_viz_sizes_by_the_run_of_its_lens_and_says_so(db, tmp_path, runs):
    coop, funding, values = runs
    out = tmp_path / "carte.html"
    said = cli(db, "viz", "ego", POLE, "--lens", "cooperation", "--size-by", "degree", "-o", str(out))
    assert f"mesures de l'analyse {coop.id} (lentille coopération, toutes années)" in said and "remarque" not in said
    assert f"Mesures de l'analyse {coop.id}" in text(out.read_text(encoding="utf-8"))
    said = cli(db, "viz", "pole", POLE, "--size-by", "degree", "-o", str(out))
    assert (f"remarque : les mesures de l'analyse {funding.id} (lentille financement, toutes années) décrivent une autre "
            "vue que cette carte (lentille tout, toutes années)") in said
    load_later(db, tmp_path)
    said = cli(db, "viz", "ego", POLE, "--lens", "cooperation", "--size-by", "degree", "-o", str(out))
    assert f"remarque : les mesures viennent de l'analyse {coop.id} du " in said
    assert "faite avant la dernière modification du graphe" in text(out.read_text(encoding="utf-8"))
    said = cli(db, "viz", "ego", POLE, "-o", str(out))  # no measure drawn: nothing said of a run
    assert "analyse" not in said


def test_viz_sizes_nodes_with_the_chosen_runs_values(db, tmp_path, runs):
    """Each node's tooltip gives the cooperation run's degree, which sizes it, not the latest (funding) run's."""
    coop, funding, values = runs
    out = tmp_path / "carte.html"
    cli(db, "viz", "ego", POLE, "--lens", "cooperation", "--size-by", "degree", "-o", str(out))
    shown = {n["id"]: n["tip"]["rows"][-1] for n in map_data(out.read_text(encoding="utf-8"))["nodes"]}
    sized = {a: row[1] for a, row in shown.items() if row[0] == "Degré" and "degree" in values[coop.id].get(a, {})}
    assert len(sized) > 5
    assert all(v == number(values[coop.id][a]["degree"]) for a, v in sized.items())
    assert any(v != number(values[funding.id].get(a, {}).get("degree", 0)) for a, v in sized.items())


def number(x: float) -> str:
    return f"{int(x):,}".replace(",", "\u202f") if float(x).is_integer() else str(x)


# -- 3. reports -----------------------------------------------------------------------------------------

def test_a_pole_report_ranks_members_by_the_run_of_its_lens(db, tmp_path, runs):
    coop, funding, _ = runs
    with open_store(str(db)) as s:
        page = text(render_pole_report(s, POLE, tmp_path / "r.html").read_text(encoding="utf-8"))
        # the run by its date in the text, its id in the Sources small print
        assert f"Mesures de {run_text(coop)} (lentille « coopération », graphe entier)" in page
        assert re.search(rf"identifiant\s+{coop.id}", page) and funding.id not in page
        page = text(render_pole_report(s, POLE, tmp_path / "r.html", as_of=2016).read_text(encoding="utf-8"))
        assert (f"Les mesures de {run_text(funding)} (lentille financement, toutes années) décrivent une autre vue que "
                "ce rapport (lentille coopération, 2016)") in page
        page = text(render_pole_report(s, POLE, tmp_path / "r.html", lens="funding").read_text(encoding="utf-8"))
        assert funding.id in page and coop.id not in page
    load_later(db, tmp_path)
    said = " ".join(cli(db, "report", "--pole", POLE, "-o", str(tmp_path / "r.html")).split())
    # the console names the run and the file as the page does, no hex id
    assert f"remarque : les mesures viennent de {run_text(coop)}, faite avant" in said
    assert "fichier later.jsonl chargé le" in said and coop.id not in said and "reference:" not in said
    page = text((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert f"Les mesures viennent de {run_text(coop)}, faite avant" in page and "fichier later.jsonl chargé le" in page


def test_a_runs_report_says_the_graph_changed_after_it(db, tmp_path, runs):
    coop, _, _ = runs
    with open_store(str(db)) as s:
        page = text(render_report(s, coop.id, tmp_path / "r.html").read_text(encoding="utf-8"))
        assert "modification du graphe" not in page
    load_later(db, tmp_path)
    with open_store(str(db)) as s:
        page = text(render_report(s, coop.id, tmp_path / "r.html").read_text(encoding="utf-8"))
    assert f"Les mesures viennent de {run_text(coop)}, faite avant la dernière modification" in page
    assert "décrivent une autre vue" not in page  # the report is the run's own view
