"""`maillage export --format poles.csv | evolution.csv` (and `GET /api/runs/{id}/metrics?format=…`):
the pôle diagnostics and the year-by-year evolution a run stores, as tables a researcher opens
in R or a spreadsheet — checked against the analytics computed again on the same store."""

from __future__ import annotations

import csv

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from maillage.analytics.criteria import CHECKS, evaluate_criteria
from maillage.analytics.evolution import evolution
from maillage.analytics.poles import pole_diagnostic
from maillage import tableur as tab
from maillage.api.app import create_app
from maillage.api.run_tables import POLE_HEAD, POLE_MEASURES
from maillage.cli import app
from maillage.graph import open_store
from maillage.loaders import load_reference

PERISCOPE = "periscope-le-periscope-248958"


@pytest.fixture(scope="module")
def store_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("tables") / "ref.db"
    with open_store(str(path)) as s:
        load_reference(s, rejects_dir=path.parent / "rejets")
    cli(path, "analyse")
    return path


def cli(db, *args, ok=True):
    r = CliRunner().invoke(app, ["--store", str(db), *args])
    assert (r.exit_code == 0) == ok, r.output
    return r.output


def read(path, delimiter=","):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


def test_poles_csv_has_one_row_per_pole_with_the_diagnostic_figures_and_criteria(store_file, tmp_path):
    said = cli(store_file, "export", "--format", "poles.csv", "-o", str(tmp_path / "poles.csv"))
    rows = read(tmp_path / "poles.csv")
    head, body = rows[0], rows[1:]
    assert head[:2] == ["pole_id", "pole_name"] and head[:len(POLE_HEAD)] == list(POLE_HEAD)
    assert head[len(POLE_HEAD):len(POLE_HEAD) + len(POLE_MEASURES)] == list(POLE_MEASURES)
    assert "blau" in head and "funding_hhi" in head and "critere_K3" in head
    with open_store(str(store_file)) as s:
        poles = {a.id: a for a in s.iter_actors() if a.family == "pole"}
        assert {r[0] for r in body} == set(poles) and len(body) == len(poles) > 50
        assert f"{len(poles)} pôles → " in said
        row = dict(zip(head, next(r for r in body if r[0] == PERISCOPE)))
        assert row["pole_name"] == "Le Périscope"
        d = pole_diagnostic(s, PERISCOPE)  # computed again, not read from the run
        assert float(row["blau"]) == pytest.approx(d.blau.value)
        assert float(row["iqv"]) == pytest.approx(d.iqv.value)
        assert int(row["members_named"]) == d.size.named_members
        states = {c.id: c.state for c in evaluate_criteria(s, PERISCOPE)}
    assert [h for h in head if h.startswith("critere_")] == [f"critere_{c.id}" for c in CHECKS]
    assert {c: row[f"critere_{c}"] for c in states} == {c: {True: "1", False: "0", None: ""}[v]
                                                        for c, v in states.items()}
    assert set(states.values()) >= {True, None}  # the row tells met from unknown


def test_poles_csv_for_a_spreadsheet_is_in_french_with_oui_non_inconnu(store_file, tmp_path):
    cli(store_file, "export", "-f", "poles.csv", "--tableur", "-o", str(tmp_path / "t.csv"))
    cli(store_file, "export", "-f", "poles.csv", "-o", str(tmp_path / "p.csv"))
    french, plain = read(tmp_path / "t.csv", ";"), read(tmp_path / "p.csv")
    assert french[0][:4] == ["identifiant du pôle", "pôle", "type", "lieu"]
    assert "diversité (indice de Blau)" in french[0]
    assert "critère K3 : Partenariat avec au moins une collectivité" in french[0]
    assert [r[0] for r in french] [1:] == [r[0] for r in plain[1:]]  # same rows, same order
    row = dict(zip(plain[0], next(r for r in plain if r[0] == PERISCOPE)))
    fr = dict(zip(plain[0], next(r for r in french if r[0] == PERISCOPE)))
    assert fr["kind"] == "PTCE" and fr["location"].startswith("Ramonville")
    assert fr["blau"] == tab.measure(float(row["blau"]), True) and "," in fr["blau"]
    assert {fr[c] for c in plain[0] if c.startswith("critere_")} <= {"oui", "non", "inconnu"}
    assert all(fr[c] == {"1": "oui", "0": "non", "": "inconnu"}[row[c]] for c in plain[0] if c.startswith("critere_"))


def test_evolution_csv_has_one_row_per_year_of_the_run(store_file, tmp_path):
    said = cli(store_file, "export", "-f", "evolution.csv", "-o", str(tmp_path / "e.csv"))
    rows = read(tmp_path / "e.csv")
    head, body = rows[0], rows[1:]
    assert head[:3] == ["year", "actors", "ties"] and "jaccard" in head
    with open_store(str(store_file)) as s:
        ev = evolution(s, lens="cooperation")
    assert [int(r[0]) for r in body] == [y.year for y in ev.per_year.items] and len(body) > 5
    assert f"{len(body)} années → " in said
    for r, y in zip(body, ev.per_year.items):
        got = dict(zip(head, r))
        assert (int(got["actors"]), int(got["ties"]), int(got["isolated"])) == (y.actors, y.ties, y.isolated)
    assert dict(zip(head, body[0]))["jaccard"] == ""  # no year before the first
    persisted = {p.to_year: p for p in ev.persistence.items}
    second = dict(zip(head, body[1]))
    assert int(second["kept"]) == persisted[int(second["year"])].kept


def test_a_run_as_of_a_year_has_no_evolution_and_run_tables_take_no_graph_options(store_file, tmp_path):
    db = tmp_path / "copy.db"
    db.write_bytes(store_file.read_bytes())
    cli(db, "analyse", "--as-of", "2016", "--metrics-only")
    said = cli(db, "export", "-f", "evolution.csv", "-o", str(tmp_path / "e.csv"), ok=False)
    assert "2016" in said and "sans --as-of" in said and not (tmp_path / "e.csv").exists()
    said = cli(db, "export", "-f", "poles.csv", "-o", str(tmp_path / "p.csv"))
    assert "aucune ligne" in said  # --metrics-only: no pôle figure, said rather than an empty file unexplained
    for extra in (["--pole", "Le Périscope"], ["--projection"], ["--lens", "funding"]):
        cli(db, "export", "-f", "poles.csv", *extra, ok=False)


def test_the_api_serves_the_same_files(store_file, tmp_path):
    with open_store(str(store_file)) as s:
        run = s.runs()[-1].id
    c = TestClient(create_app(str(store_file)))
    for fmt in ("poles.csv", "evolution.csv"):
        r = c.get(f"/api/runs/{run}/metrics", params={"format": fmt})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        cli(store_file, "export", "-f", fmt, "--run", run, "-o", str(tmp_path / fmt))
        assert r.content == (tmp_path / fmt).read_bytes()
    assert c.get("/api/runs/run-nope/metrics", params={"format": "poles.csv"}).status_code == 404


def test_the_api_serves_the_spreadsheet_files_of_export_tableur_byte_for_byte(store_file, tmp_path):
    """`?format=poles.csv|evolution.csv&tableur=true` is the file of `maillage export --format …
    --tableur` (French: « ; », 0,25, oui / non / inconnu; English with lang=en): the route took no
    `tableur` and refused it (400)."""
    with open_store(str(store_file)) as s:
        run = s.runs()[-1].id
    c = TestClient(create_app(str(store_file)))
    for fmt in ("poles.csv", "evolution.csv"):
        for lang, sep in (("fr", ";"), ("en", ",")):
            out = tmp_path / f"{lang}-{fmt}"
            cli(store_file, "export", "-f", fmt, "--run", run, "--tableur", "--lang", lang, "-o", str(out))
            r = c.get(f"/api/runs/{run}/metrics", params={"format": fmt, "tableur": "true", "lang": lang})
            assert r.status_code == 200, r.text
            assert r.content == out.read_bytes(), (fmt, lang)
            assert r.content.startswith("\ufeff".encode()) and b"\r\n" in r.content
            head = read(out, sep)[0]
            assert head[0] == {("poles.csv", "fr"): "identifiant du pôle", ("poles.csv", "en"): "pôle id",
                               ("evolution.csv", "fr"): "année", ("evolution.csv", "en"): "year"}[fmt, lang]
        plain = c.get(f"/api/runs/{run}/metrics", params={"format": fmt}).content
        assert plain != r.content and plain.decode("utf-8-sig").startswith(("pole_id,", "year,"))
    french = read(tmp_path / "fr-poles.csv", ";")
    row = next(x for x in french if x[0] == PERISCOPE)
    assert {x for x in row if x in ("oui", "non", "inconnu")} and any("," in x for x in row[4:])


def test_the_spreadsheet_headers_list_the_columns_the_tables_write():
    from maillage.api.run_tables import EVOLUTION_COLUMNS

    assert tab.TABLEUR_FILES["poles.csv"] == (*POLE_HEAD, *POLE_MEASURES)
    assert tab.TABLEUR_FILES["evolution.csv"] == EVOLUTION_COLUMNS
    assert all(c in tab.TABLEUR_HEADERS for c in (*POLE_HEAD, *POLE_MEASURES, *EVOLUTION_COLUMNS))
