"""Acceptance of README command 1: the demo builds the reference graph, analyses it and
writes a map that opens offline in Chromium, a report, and summary.json."""

from __future__ import annotations

import json
from html import unescape

import pytest

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
from maillage.demo import run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    summary = run_demo(out)
    return out, summary


def test_summary_contract(demo):
    out, summary = demo
    on_disk = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert on_disk == summary
    for key in ("actors", "relations", "poles", "sources"):
        assert isinstance(summary[key], int)
    assert summary["poles"] >= 70
    assert 300 <= summary["actors"] <= 1200
    assert summary["sources"] == 4
    assert set(summary["outputs"]) >= {"map", "report"}
    for path in summary["outputs"].values():
        assert Path(path).exists(), path


def test_load_report_balances(demo):
    out, _ = demo
    files = json.loads((out / "chargement.json").read_text(encoding="utf-8"))["files"]
    assert len(files) == 4
    for f in files:
        assert f["rows_read"] == f["loaded"] + f["merged"] + f["rejected"]


def test_demo_again_in_english_gives_the_same_counts_in_english_words(demo, tmp_path):
    """``maillage demo --lang en``: the same graph (counts), its map, its report and what it
    prints in English; the French run's words are absent from them."""
    from typer.testing import CliRunner

    from maillage.cli import app

    out, first = demo
    res = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "again"), "--lang", "en"],
                             env={"MAILLAGE_LANG": "fr", "COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    again = json.loads((tmp_path / "again" / "summary.json").read_text(encoding="utf-8"))
    for key in ("actors", "relations", "poles", "sources"):
        assert again[key] == first[key]
    assert "Report: " in res.output and "Rapport : " not in res.output
    # a sentence, not the summary's JSON (which stays in summary.json)
    assert f"Reference dataset loaded and analysed: {first['actors']:,} actors" in res.output
    assert '"actors"' not in res.output and "sha256" not in res.output
    html = unescape((tmp_path / "again" / "carte.html").read_text(encoding="utf-8"))
    assert "Area proportional to: degree (number of actors linked)." in html
    assert "Cooperation between PTCE" in html and "Surface proportionnelle" not in html
    report = (tmp_path / "again" / "rapport.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in report and '<html lang="fr">' in (out / "rapport.html").read_text(encoding="utf-8")


def test_no_person_in_the_outputs(demo):
    out, summary = demo
    from maillage.graph import open_store

    with open_store(summary["outputs"]["store"]) as store:
        persons = [a.name for a in store.iter_actors(include_persons=True) if a.personal_data]
    assert persons
    html = (out / "carte.html").read_text(encoding="utf-8") + (out / "rapport.html").read_text(encoding="utf-8")
    leaked = [p for p in persons if p in html]
    assert not leaked, f"natural persons in public outputs: {leaked[:5]}"


def test_map_legend_names_what_sizes_the_nodes(demo):
    out, _ = demo
    html = unescape((out / "carte.html").read_text(encoding="utf-8"))
    # the nodes are sized by degree: the legend says so, not a bare « valeur »
    assert "Surface proportionnelle à : degré (nombre d'acteurs liés)." in html
    assert "Surface proportionnelle à : valeur." not in html


@pytest.mark.browser
def test_map_opens_offline_and_shows_nodes(demo, offline_page):
    out, summary = demo
    page = offline_page
    page.goto((out / "carte.html").resolve().as_uri())
    page.wait_for_function("() => typeof network !== 'undefined' && network.body.data.nodes.length > 0",
                           timeout=30_000)
    drawn = page.evaluate("() => network.body.data.nodes.length")
    assert drawn >= summary["actors"] - summary["persons"] - 50  # the map shows (nearly) every public actor
    assert page.external_requests == []
    assert page.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo-carte.png"))


@pytest.mark.browser
def test_report_opens_offline(demo, offline_page):
    out, summary = demo
    page = offline_page
    page.goto((out / "rapport.html").resolve().as_uri())
    text = page.inner_text("body")
    assert str(summary["poles"]) in text
    assert "pôle" in text.lower()
    assert page.external_requests == [] and page.errors == []
    page.screenshot(path=str(ARTIFACTS / "demo-rapport.png"), full_page=True)


def test_demo_into_a_store_holding_other_sources_says_its_counts_include_them(datafile_members, tmp_path):
    """`maillage --store bolt://… demo` reloaded the reference into a database that held other
    sources, then printed counts including them as if they were the reference's."""
    import subprocess
    import sys

    store = str(tmp_path / "commune.db")
    cli = [sys.executable, "-m", "maillage.cli", "--store", store]
    subprocess.run([*cli, "load", str(datafile_members)], check=True, capture_output=True, text=True)
    res = subprocess.run([*cli, "demo", "--out", str(tmp_path / "d")], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    summary = json.loads((tmp_path / "d" / "summary.json").read_text(encoding="utf-8"))
    assert summary["sources"] == 5 and len(summary["other_sources"]) == 1
    mine = summary["other_sources"][0]
    assert "membres.jsonl" in mine
    out = " ".join(res.stdout.split())
    assert (f"remarque : cette base tenait déjà 1 autre source que le référentiel ({mine}) : les "
            "comptes ci-dessus, la carte et le rapport les incluent") in out, out


def test_the_demo_in_its_own_store_has_no_other_source(demo):
    assert demo[1]["other_sources"] == []


@pytest.fixture
def datafile_members(tmp_path):
    f = tmp_path / "membres.jsonl"
    rows = [{"record": "header", "format": "maillage-jsonl", "version": 1, "title": "essai"},
            {"record": "actor", "key": "r", "name": "La Ressourcerie du Test", "family": "ess",
             "provenance": {"locator": "row 2"}}]
    f.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in rows) + "\n", encoding="utf-8")
    return f
