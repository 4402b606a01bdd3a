"""Removing analysis runs: ``maillage runs --remove ID…`` and ``maillage runs --keep N``, through
the real CLI on a real SQLite store (the stores' ``delete_runs`` itself is in the conformance
suite): what is removed is said, the other runs keep every value, an unknown id removes nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from maillage.analytics.report import when_text
from maillage.cli import app
from maillage.graph import open_store

from _jsonl import actor, relation, write_jsonl

RECORDS = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Essai",
     "documents": {"etude": {"title": "Étude"}}},
    actor("pole", "Pôle Coop'Sud", "pole", "ptce"),
    actor("jardins", "Les Jardins", "ess", "association"),
    actor("scop", "SCOP Bâtisseurs", "ess", "scop"),
    actor("region", "Région Occitanie", "collectivite", "region"),
    relation("membership", "jardins", "pole"),
    relation("membership", "scop", "pole"),
    relation("cooperates", "scop", "jardins"),
    relation("funds", "region", "pole", amount=30000, year=2015),
]


def run_cli(db, *args, input=None):
    return CliRunner().invoke(app, ["--store", str(db), *args], input=input)


def cli(db, *args, input=None):
    r = run_cli(db, *args, input=input)
    assert r.exit_code == 0, r.output
    return r.output


def rows(db) -> dict[str, list[tuple]]:
    """Every metric row of the store, by run (read from the file, not through the store)."""
    out: dict[str, list[tuple]] = {}
    with sqlite3.connect(db) as c:
        for run_id, *row in c.execute("SELECT run_id, actor_id, name, value FROM metrics ORDER BY 1, 2, 3"):
            out.setdefault(run_id, []).append(tuple(row))
    return out


def fr_number(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


@pytest.fixture
def three(tmp_path):
    """A store with three runs (different parameters, so different ids): [oldest, middle, newest]."""
    db = tmp_path / "s.db"
    cli(db, "load", str(write_jsonl(tmp_path / "eco.jsonl", RECORDS)))
    cli(db, "analyse", "--metrics-only")
    cli(db, "analyse", "--metrics-only", "--seed", "1")
    cli(db, "analyse", "--lens", "financement")
    with open_store(str(db)) as s:
        made = s.runs()
    assert len(made) == 3 and len({r.id for r in made}) == 3
    return db, made


def test_remove_the_older_run_keeps_the_other_as_it_was(three):
    db, (old, mid, new) = three
    before = rows(db)
    assert len(before[old.id]) > 10
    said = cli(db, "runs", "--remove", old.id, "--yes")
    assert said.splitlines() == [f"analyse {old.id} du {when_text(old.created_at)} retirée "
                                 f"({fr_number(len(before[old.id]))} mesures)"]
    after = rows(db)
    assert old.id not in after and after == {k: v for k, v in before.items() if k != old.id}
    listed = cli(db, "runs").splitlines()
    assert [x for x in listed if x.startswith("run-")] == [new.id, mid.id]
    # the removed run is no longer citable: refused as any unknown id
    r = run_cli(db, "runs", old.id)
    assert r.exit_code == 1 and f"aucune analyse « {old.id} »" in r.output


def test_remove_asks_first_and_a_no_removes_nothing(three):
    db, (old, mid, new) = three
    before = rows(db)
    r = run_cli(db, "runs", "--remove", old.id, mid.id, input="n\n")
    assert r.exit_code == 1 and "Retirer ces 2 analyses et leurs mesures" in r.output
    assert f"  {old.id} ({when_text(old.created_at)})" in r.output.splitlines()
    assert rows(db) == before
    said = cli(db, "runs", "--remove", old.id, mid.id, input="oui\n")
    assert f"analyse {mid.id} du {when_text(mid.created_at)} retirée" in said
    assert f"analyse {old.id} du {when_text(old.created_at)} retirée" in said
    assert set(rows(db)) == {new.id} and rows(db)[new.id] == before[new.id]


def test_keep_removes_the_older_runs_and_says_so_in_english_when_asked(three):
    db, (old, mid, new) = three
    before = rows(db)
    said = cli(db, "--lang", "en", "runs", "--keep", "1", "--yes").splitlines()
    assert said == [f"analysis run {rid} of {when_text(r.created_at, 'en')} removed "
                    f"({len(before[rid]):,} metric values)" for r in (mid, old) for rid in [r.id]]
    assert rows(db) == {new.id: before[new.id]}
    with open_store(str(db)) as s:
        assert [r.id for r in s.runs()] == [new.id]
    assert cli(db, "runs", "--keep", "1").strip() == "rien à retirer : --keep 1 garde la seule analyse de la base"
    assert json.loads(cli(db, "runs", "--keep", "1", "--json")) == []
    assert rows(db) == {new.id: before[new.id]}


def test_an_unknown_id_is_refused_with_the_latest_runs_and_nothing_is_removed(three):
    db, (old, mid, new) = three
    before = rows(db)
    r = run_cli(db, "runs", "--remove", old.id, "run-inconnue", "--yes")
    assert r.exit_code == 1
    assert (f"aucune analyse « run-inconnue » dans cette base ; les dernières : {new.id}, {mid.id}, {old.id} "
            "(maillage runs les liste toutes)") in " ".join(r.output.split())
    assert "retirée" not in r.output and rows(db) == before


def test_remove_in_json_and_the_options_that_do_not_go_together(three):
    db, (old, mid, new) = three
    n = len(rows(db)[old.id])
    assert json.loads(cli(db, "runs", "--remove", old.id, "--yes", "--json")) == [
        {"id": old.id, "created_at": old.created_at.isoformat(), "metrics": n}]
    for args in (["--remove"], ["--remove", mid.id, "--keep", "1"], ["--keep", "1", mid.id], [mid.id, new.id]):
        r = run_cli(db, "runs", *args, "--yes")
        assert r.exit_code == 2, (args, r.output)
    assert set(rows(db)) == {mid.id, new.id}
