"""`maillage forget ID`: a natural person erased at their request (RGPD, art. 17), as the operator
of a pôle's base runs it (a real subprocess, a real embedded store; docs/privacy.md, « Right to
erasure »). What the store does is checked on every store by tests/conformance/test_forget_conformance.py."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from _cli import maillage
from maillage.graph import open_store

ROWS = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Comité de pilotage, avec Jeanne Dupuis"},
    {"record": "actor", "key": "p", "name": "PTCE Le Périscope", "family": "pole", "kind": "ptce",
     "location": "commune:31446", "provenance": {"locator": "row 2"}},
    {"record": "actor", "key": "pm", "name": "Paul Martinez", "family": "person", "kind": "elu",
     "provenance": {"locator": "row 3"}},
    {"record": "actor", "key": "jd", "name": "Jeanne Dupuis", "family": "person", "kind": "elu",
     "provenance": {"locator": "row 4", "quote": "Jeanne Dupuis, élue de Ramonville"}},
    {"record": "actor", "key": "cf", "name": "Claire Fontanel", "family": "person", "kind": "elu",
     "provenance": {"locator": "row 5"}},
    {"record": "actor", "key": "j", "name": "Les Jardins du Lauragais", "family": "ess", "kind": "association",
     "provenance": {"locator": "row 6"}},
    {"record": "relation", "type": "governs", "source": "jd", "target": "p", "fields": {"role": "présidente"},
     "provenance": {"quote": "présidé par Jeanne Dupuis"}},
    {"record": "relation", "type": "membership", "source": "j", "target": "p",
     "fields": {"note": "adhésion signée par Mme DUPUIS Jeanne"}, "provenance": {}},
    {"record": "relation", "type": "governs", "source": "cf", "target": "p", "provenance": {}},
    {"record": "actor", "key": "bad", "name": "X", "family": "ess", "kind": "ptce", "provenance": {}},
]


def run(*args, cwd: Path, check: bool = True, stdin=subprocess.DEVNULL):
    return maillage(*args, cwd=cwd, check=check, store="s.db", stdin=stdin)


@pytest.fixture
def loaded(tmp_path):
    f = tmp_path / "copil.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS) + "\n", encoding="utf-8")
    run("load", str(f), cwd=tmp_path)
    with open_store(str(tmp_path / "s.db")) as s:
        ids = {a.name: a.id for a in s.iter_actors(include_persons=True)}
        numbers = s.person_numbering()
    return tmp_path, f, ids, numbers


def _dump(db: Path) -> bytes:
    """Every row of every table of the store, as text (the person's name must be nowhere)."""
    import sqlite3

    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    text = "\n".join(repr(row) for t in tables for row in con.execute(f"SELECT * FROM {t}"))  # noqa: S608
    con.close()
    return text.encode()


def test_forget_erases_the_person_everywhere_and_keeps_the_others_numbers(loaded):
    tmp, f, ids, numbers = loaded
    jd = ids["Jeanne Dupuis"]
    res = run("forget", jd, "--yes", cwd=tmp)
    said = " ".join(res.stdout.split())
    assert f"{jd} effacée : 1 énoncé, 1 relation" in said and "« [personne effacée] »" in said
    assert "rejets/copil.rejects.csv" in said and "copil.jsonl" in said  # what the store cannot reach
    assert "exports, cartes et rapports déjà écrits" in said
    with open_store(str(tmp / "s.db")) as s:
        assert s.get_actor(jd) is None and s.stats()["persons"] == 2
        last, kept = s.person_numbering()
        assert kept == {k: v for k, v in numbers[1].items() if k != jd} and last == numbers[0]  # 1 and 3 kept
        assert [r.source for r in s.relations(types=["governs"])] == [ids["Claire Fontanel"]]  # hers went
        (mem,) = s.relations(types=["membership"])
        assert mem.fields["note"] == "adhésion signée par Mme [personne effacée]"
        assert s.sources()[0].title == "Comité de pilotage, avec [personne effacée]"
    assert b"dupuis" not in _dump(tmp / "s.db").lower()
    # nor left in the file's free pages or in its journal (secure_delete, the -wal emptied)
    for part in tmp.glob("s.db*"):
        assert b"dupuis" not in part.read_bytes().lower(), part.name
    # gone from the exports that keep the persons, and from the API to the authorised caller
    run("export", "-f", "nodes.csv", "--include-persons", "-o", "n.csv", cwd=tmp)
    nodes = (tmp / "n.csv").read_text(encoding="utf-8-sig")
    assert "Paul Martinez" in nodes and "Dupuis" not in nodes and jd not in nodes
    with TestClient(create_app(str(tmp / "s.db"), token="t0k")) as c:
        h = {"Authorization": "Bearer t0k"}
        assert c.get(f"/api/actors/{jd}", params={"include_persons": "true"}, headers=h).status_code == 404
        assert c.get(f"/api/actors/{ids['Claire Fontanel']}", params={"include_persons": "true"},
                     headers=h).status_code == 200
        assert c.get("/api/actors", params={"q": "Dupuis", "include_persons": "true"}, headers=h).json()["items"] == []
    stats = json.loads(run("stats", "--json", cwd=tmp).stdout)
    assert stats["persons"] == 2


def _load(f: Path, tmp: Path) -> dict:
    run("load", str(f), "--report", "r.json", cwd=tmp)
    return json.loads((tmp / "r.json").read_text(encoding="utf-8"))["files"][0]


def test_a_reload_rejects_the_erased_person_s_rows_without_copying_them(loaded):
    tmp, f, ids, _ = loaded
    first = _load(f, tmp)
    run("forget", ids["Jeanne Dupuis"], "--yes", cwd=tmp)
    again = _load(f, tmp)
    assert again["rows_read"] == first["rows_read"] == again["loaded"] + again["merged"] + again["rejected"]
    assert again["rejected"] == first["rejected"] + 2  # its actor row and its tie's row
    with open(again["rejects_file"], encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh, delimiter=";"))
    erased = [line for line in lines if line[5] == "personne effacée à sa demande (RGPD, art. 17)"]
    assert len(erased) == 2 and all(line[4] == "" and "Dupuis" not in line[6] for line in erased)
    assert "Dupuis" not in "\n".join(";".join(line) for line in lines)
    with open_store(str(tmp / "s.db")) as s:
        assert [p.name for p in s.persons()] == ["Claire Fontanel", "Paul Martinez"]


def test_forget_refuses_an_organisation_an_unknown_id_and_no_terminal(loaded):
    tmp, f, ids, _ = loaded
    before = _dump(tmp / "s.db")
    res = run("forget", ids["Les Jardins du Lauragais"], "--yes", cwd=tmp, check=False)
    assert res.returncode == 1 and "n'est pas une personne physique" in res.stderr
    assert "maillage remove SOURCE" in " ".join(res.stderr.split())
    res = run("forget", "jeanne-dupuis", "--yes", cwd=tmp, check=False)
    assert res.returncode == 1 and "--include-persons" in " ".join(res.stderr.split())
    res = run("forget", ids["Jeanne Dupuis"], cwd=tmp, check=False)  # no terminal, no --yes: refused at once
    assert res.returncode == 1 and "relancez avec --yes" in " ".join(res.stderr.split())
    no = subprocess.run([sys.executable, "-m", "maillage.cli", "--store", "s.db", "forget", ids["Jeanne Dupuis"]],
                        cwd=tmp, input="n\n", capture_output=True, text=True, timeout=120)
    assert no.returncode == 1 and "Effacer Jeanne Dupuis" in no.stdout and "[o/N]" in no.stdout
    assert _dump(tmp / "s.db") == before


def test_forget_shows_its_progress_on_a_terminal(loaded):
    """The search of the free text (every statement, tie, source and proposal of the store) shows its
    progress on stderr, as a load does; on a terminal only (rich's TTY_COMPATIBLE stands for one)."""
    tmp, f, ids, _ = loaded
    env = {k: v for k, v in os.environ.items() if k != "MAILLAGE_LANG"} | {"TTY_COMPATIBLE": "1", "COLUMNS": "120"}
    res = subprocess.run([sys.executable, "-m", "maillage.cli", "--store", "s.db", "forget", ids["Jeanne Dupuis"],
                          "--yes"], cwd=tmp, capture_output=True, text=True, timeout=120, env=env)
    assert res.returncode == 0, res.stderr
    assert "effacement · textes" in res.stderr
    assert "effacée : 1 énoncé" in " ".join(res.stdout.split())
