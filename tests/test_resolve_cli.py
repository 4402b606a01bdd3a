"""`maillage resolve`: review proposals, accept / reject them, list merges, undo one — and the
decisions still hold when a source is loaded again (run as a real subprocess)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from _unprivileged import shared_dir  # noqa: F401 (a fixture)

from _cli import maillage
from maillage.graph import open_store


def run(*args, cwd: Path, check=True):
    """The real command, as a subprocess (exit codes, one-line errors)."""
    return maillage(*args, cwd=cwd, check=check, store="s.db")


@pytest.fixture
def cli(capsys, monkeypatch):
    """The same command in-process (fast): ``cli(cwd, *args)`` → (exit code, stdout, stderr)."""
    from maillage import cli as module

    def invoke(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["maillage", "--store", "s.db", *args])
        monkeypatch.setenv("COLUMNS", "200")
        capsys.readouterr()
        try:
            module.main()
            code = 0
        except SystemExit as e:
            code = e.code or 0
        outerr = capsys.readouterr()
        if check and code != 0:
            raise AssertionError(f"exit {code}\n{outerr.out}\n{outerr.err}")
        return subprocess.CompletedProcess(args, code, outerr.out, outerr.err)

    return invoke


def jsonl(path: Path, *actors: dict) -> Path:
    lines = [{"record": "header", "format": "maillage-jsonl", "version": 1, "title": path.stem}]
    lines += [{"record": "actor", "provenance": {"locator": f"row {i + 2}"}, **a} for i, a in enumerate(actors)]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def two_sources(tmp_path, cli):
    """Two files naming "Maison de l'économie solidaire" with qualifiers that disagree: the
    resolver only proposes the merge."""
    a = jsonl(tmp_path / "a.jsonl", {"key": "mes", "name": "Maison de l'économie solidaire (Ramonville)",
                                     "family": "ess"})
    b = jsonl(tmp_path / "b.jsonl", {"key": "mes-b", "name": "Maison d'Economie Solidaire (Pays de Bray)",
                                     "family": "ess"})
    cli(tmp_path, "load", str(a), str(b))
    return tmp_path, b


@pytest.fixture
def actors(cli):
    return lambda cwd: json.loads(cli(cwd, "stats", "--json").stdout)["actors"]


@pytest.fixture
def review(cli):
    return lambda cwd: json.loads(cli(cwd, "resolve", "--review", "--json").stdout)


def test_the_review_json_says_its_reasons_in_the_command_s_language(two_sources, cli):
    """`--review --json` gave each reason in English only: a French reviewer's script had to
    translate it. Its ``reason_label`` now says it as the table does (French by default,
    English with ``--lang en``); ``reason`` and the other fields stay as stored, for scripts."""
    cwd, _ = two_sources
    (fr,) = json.loads(cli(cwd, "resolve", "--review", "--json").stdout)
    (en,) = json.loads(cli(cwd, "resolve", "--review", "--json", "--lang", "en").stdout)
    table = " ".join(cli(cwd, "resolve", "--review").stdout.split())
    assert fr["reason_label"] == "même nom principal (non fusionné : précisions entre parenthèses différentes)"
    assert " ".join(fr["reason_label"].split()) in table  # the table's words, from one table of reasons
    assert "qualifiers differ" in fr["reason"] and fr["reason"] == en["reason"] == en["reason_label"]
    assert {k: v for k, v in fr.items() if k != "reason_label"} == {k: v for k, v in en.items() if k != "reason_label"}


def test_accept_log_undo_and_reload(two_sources, cli, actors, review):
    cwd, b = two_sources
    (item,) = review(cwd)
    assert (item["source"], item["key"], item["name"]) == ("maillage-jsonl:b.jsonl", "mes-b",
                                                          "Maison d'Economie Solidaire (Pays de Bray)")
    assert "qualifiers differ" in item["reason"] and item["score"] == 0.95
    table = cli(cwd, "resolve", "--review").stdout
    assert item["id"] in table  # the table shows the id whole
    # the table is French, reasons too; the JSON keeps the stored (English) reason
    assert "non fusionné : précisions entre parenthèses différentes" in " ".join(table.split())
    assert "qualifiers differ" not in table
    assert actors(cwd) == 2

    res = cli(cwd, "resolve", "--accept", item["id"])
    assert "acceptée : fusionné avec" in res.stderr and item["candidate_id"] in res.stderr
    assert actors(cwd) == 1 and review(cwd) == []
    cli(cwd, "load", str(b))  # the decision holds on reload
    assert actors(cwd) == 1 and review(cwd) == []
    log = json.loads(cli(cwd, "resolve", "--log", "--json").stdout)
    assert [(r["source"], r["key"], r["rule"]) for r in log] == [("maillage-jsonl:b.jsonl", "mes-b", "accepted")]
    assert log[0]["actor_id"] == item["candidate_id"] and log[0]["sources"] == 2
    assert json.loads(cli(cwd, "resolve", "--log", "--json", "--source", "maillage-jsonl:a.jsonl").stdout) == []

    res = cli(cwd, "resolve", "--undo", "maillage-jsonl:b.jsonl:mes-b")
    said = " ".join(res.stderr.split())
    assert (f"maillage-jsonl:b.jsonl:mes-b : fusion acceptée défaite, les énoncés qu'elle avait fusionnés sont de "
            f"nouveau l'acteur {item['actor_id']} ; la proposition revient à l'examen") in said
    assert actors(cwd) == 2
    assert review(cwd) == [item]  # undone, the pair is to review again (it was rejected for good)
    cli(cwd, "load", str(b))
    assert actors(cwd) == 2 and review(cwd) == [item]  # after a reload too: the rules propose it again
    assert json.loads(cli(cwd, "resolve", "--log", "--json").stdout) == []


def test_removing_a_source_with_review_decisions_says_they_stay_with_its_id(two_sources, cli, review):
    """A reviewer's decision belongs to its source's id: once the source is removed, a file
    loaded under another id (an edition loaded in another source's place, as the edition note
    offers) does not find it. `remove` says so before asking, and after removing."""
    cwd, b = two_sources
    (item,) = review(cwd)
    cli(cwd, "resolve", "--accept", item["id"])
    res = cli(cwd, "remove", "maillage-jsonl:b.jsonl", "--yes")
    said = " ".join(res.stdout.split())
    assert ("sa décision de revue reste gardée sous l'identifiant maillage-jsonl:b.jsonl : elle ne vaut que pour un "
            "fichier chargé sous cet identifiant (--source-id)") in said
    res = cli(cwd, "remove", "maillage-jsonl:a.jsonl", "--yes")  # no decision of its own: nothing said
    assert "décision" not in res.stdout


def test_reject_is_not_proposed_again(two_sources, cli, actors, review):
    cwd, b = two_sources
    (item,) = review(cwd)
    res = cli(cwd, "resolve", "--reject", item["id"], "--lang", "en")
    assert "rejected: kept apart from" in res.stderr
    assert review(cwd) == [] and actors(cwd) == 2
    cli(cwd, "load", str(b))
    assert review(cwd) == [] and actors(cwd) == 2
    assert "Aucune proposition en attente." in cli(cwd, "resolve", "--review").stdout
    assert "No pending proposal." in cli(cwd, "resolve", "--review", "--lang", "en").stdout


def test_errors_are_one_line(two_sources):
    cwd, _ = two_sources
    for args, expected, french in (
            (("--accept", "p0000000000"), "no pending proposal 'p0000000000'",
             "aucune proposition en attente 'p0000000000' ; listez-les avec « maillage resolve --review »"),
            (("--undo", "nowhere:x"), "expected SOURCE:KEY", "'nowhere:x' : SOURCE:CLÉ attendu, avec une source chargée"),
            (("--undo", "maillage-jsonl:a.jsonl:nokey"), "no statement 'nokey'",
             "aucun énoncé 'nokey' dans la source 'maillage-jsonl:a.jsonl'"),
            (("--undo", "maillage-jsonl:a.jsonl:mes"), "no merge to undo", ": aucune fusion à défaire")):
        res = run("resolve", *args, "--lang", "en", cwd=cwd, check=False)
        assert res.returncode == 1, args
        assert res.stderr.startswith("error:") and expected in res.stderr, res.stderr
        assert "Traceback" not in res.stderr
        res = run("resolve", *args, cwd=cwd, check=False)
        assert res.returncode == 1 and res.stderr.startswith("erreur : ") and french in res.stderr, res.stderr
    res = run("resolve", "--review", "--log", cwd=cwd, check=False)
    assert res.returncode == 2 and "donnez exactement l'une de --review" in res.stderr and "(reçu --review, --log)" \
        in res.stderr
    res = run("resolve", "--log", "--source", "nope", cwd=cwd, check=False)
    assert res.returncode == 2 and "aucune source 'nope' dans sqlite:///s.db ; chargées : maillage-jsonl:a.jsonl" \
        in res.stderr


def test_a_pair_found_from_both_sides_is_reviewed_once(tmp_path, cli, actors, review):
    a = jsonl(tmp_path / "a.jsonl", {"key": "p", "name": "Antoine Maurice", "family": "person"})
    b = jsonl(tmp_path / "b.jsonl", {"key": "q", "name": "Antoine Meurice", "family": "person"})
    cli(tmp_path, "load", str(a), str(b))
    cli(tmp_path, "load", str(a))  # now a is resolved against b too: a proposal from each side
    with open_store(str(tmp_path / "s.db")) as store:
        assert sorted(p.source for p in store.proposals()) == ["maillage-jsonl:a.jsonl", "maillage-jsonl:b.jsonl"]
    assert len(review(tmp_path)) == 1
    (item,) = review(tmp_path)
    cli(tmp_path, "resolve", "--reject", item["id"])
    assert review(tmp_path) == []  # the other side's proposal is the same pair: settled too
    cli(tmp_path, "load", str(a), str(b))
    assert review(tmp_path) == [] and actors(tmp_path) == 2


def test_every_reason_the_resolver_gives_has_a_french_label():
    """Each reason the resolver's rules can give (read from its source, so that a new rule
    without a label fails here) is shown in French in the review table."""
    import ast
    import inspect
    import textwrap

    from maillage.loaders.resolution import Resolver, reason_label

    reasons: set[str] = set()
    for method in (Resolver.resolve_one, Resolver._pick):
        for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(method)))):
            if isinstance(node, ast.JoinedStr):
                parts = [v.value if isinstance(v, ast.Constant) else None for v in node.values]
                if parts[0] == "same identifier ":                       # f"same identifier {matched}"
                    reasons.add("same identifier siren:123456789")
                elif parts[-1] == ": several actors share this name":  # f"{rule}: several …"
                    reasons |= {f"{rule}{parts[-1]}" for rule in ("name", "core-name")}
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "name match" in node.value:
                reasons.add(node.value)
    assert len(reasons) == 20, sorted(reasons)  # 1 identifier, 5 name, 6 core-name, 6 fuzzy, 2 "several"
    untranslated = [r for r in sorted(reasons) if reason_label(r) == r]
    assert untranslated == []


def test_a_member_list_naming_a_known_member_under_another_siren_asks_for_a_review(tmp_path, cli, review):
    """Same name, same commune, another SIREN (a typo, or the SCIC an association created): two
    actors, one possible merge, and the load line says where to decide it."""
    (tmp_path / "a.csv").write_text("nom;siret;commune\nLes Jardins de Cocagne;73282932000074;Toulouse\n",
                                    encoding="utf-8")
    (tmp_path / "b.csv").write_text("nom;siret;commune\nJardins de Cocagne;35600000000048;Toulouse\n",
                                    encoding="utf-8")
    cli(tmp_path, "load", "a.csv", "--pole", "Pôle A")
    res = cli(tmp_path, "load", "b.csv", "--pole", "Pôle A")
    line = res.stdout + res.stderr
    assert "1 rapprochement possible à examiner : maillage resolve --review --source members:b.csv" in line
    (item,) = review(tmp_path)
    assert (item["name"], item["candidate_name"]) == ("Jardins de Cocagne", "Les Jardins de Cocagne")
    assert item["reason"] == "name match (not merged: the identifiers differ)"
    # another commune: nothing to review, and the load line says nothing of it
    (tmp_path / "c.csv").write_text("nom;siret;commune\nJardins de Cocagne;55210055400013;Lyon\n", encoding="utf-8")
    res = cli(tmp_path, "load", "c.csv", "--pole", "Pôle A")
    assert "1 ligne · 1 chargée" in res.stderr and "à examiner" not in res.stdout + res.stderr


def test_every_rule_the_resolver_gives_has_a_french_label():
    """Each rule a statement can be resolved by (read from the resolver's source: a new rule
    without a label fails here) is shown in French in the ``--log`` table."""
    import ast
    import inspect

    from maillage.loaders import resolution
    from maillage.loaders.resolution import RULE_LABELS, rule_label

    # also written by the stores' merge_statement / detach_statement, and a load's joins (replace_source)
    rules: set[str] = {"accepted", "detached", "joined"}

    def const(node) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    for node in ast.walk(ast.parse(inspect.getsource(resolution))):
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            at = {"done": 1, "_pick": 2}.get(name)
            if at is not None and len(node.args) > at and const(node.args[at]):
                rules.add(const(node.args[at]))
        elif isinstance(node, ast.Tuple) and node.elts and isinstance(node.elts[0], ast.Call) \
                and getattr(node.elts[0].func, "attr", None) == "_fresh_id":
            rules.add(const(node.elts[1]))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                pairs = (zip(target.elts, node.value.elts) if isinstance(target, ast.Tuple)
                         and isinstance(node.value, ast.Tuple) else [(target, node.value)])
                for t, v in pairs:
                    if isinstance(t, ast.Attribute) and t.attr == "rule" and const(v):
                        rules.add(const(v))
    assert rules == {"accepted", "detached", "identifier", "territory", "name", "core-name", "fuzzy", "porteur", "kept",
                     "joined", "new"}
    assert rules == set(RULE_LABELS)
    assert [r for r in sorted(rules) if rule_label(r) == r] == []
    assert [r for r in sorted(rules) if rule_label(r, "en") != r] == []


def test_log_shows_a_kept_id_and_undo_gives_it_up(tmp_path, cli):
    """A member list loaded again with a member renamed: ``--log`` lists the statement that kept
    the earlier id (« repris du chargement précédent », from which name), and ``--undo`` gives it an
    id of its own when the « renamed » member is another organisation (it said « alone in its actor:
    no merge to undo », in English: its key has spaces, the French message did not match it)."""
    csv = tmp_path / "membres.csv"
    csv.write_text("Nom;Commune\nAssociation Vélo Solidaire;Ramonville-Saint-Agne\n", encoding="utf-8")
    cli(tmp_path, "load", str(csv), "--pole", "Pôle A")
    csv.write_text("Nom;Commune\nVélo Solidaire Association;Ramonville-Saint-Agne\n", encoding="utf-8")
    cli(tmp_path, "load", str(csv), "--pole", "Pôle A")
    sid, key = "members:membres.csv", "name:velo solidaire association@commune:31446"
    (row,) = json.loads(cli(tmp_path, "resolve", "--log", "--json").stdout)
    kept = row["actor_id"]
    assert (row["key"], row["rule"], row["matched"], row["actor_name"]) == (
        key, "kept", "name:association velo solidaire@commune:31446 « Association Vélo Solidaire »",
        "Vélo Solidaire Association")
    table = " ".join(cli(tmp_path, "resolve", "--log").stdout.split())
    assert "│ repris du chargement précédent │ 0,95 │ name:association velo solidaire@commune:31446" in table
    assert "kept" not in table
    assert "│ kept │" in " ".join(cli(tmp_path, "resolve", "--log", "--lang", "en").stdout.split())

    res = cli(tmp_path, "resolve", "--undo", f"{sid}:{key}")
    said = " ".join(res.stderr.split())
    assert f"{sid}:{key} détaché : désormais l'acteur" in said
    assert (f"; l'acteur {kept} du chargement précédent (name:association velo solidaire@commune:31446 "
            "« Association Vélo Solidaire ») n'est plus dans la base") in said
    assert json.loads(cli(tmp_path, "resolve", "--log", "--json").stdout) == []
    cli(tmp_path, "load", str(csv), "--pole", "Pôle A")
    with open_store(str(tmp_path / "s.db")) as store:
        assert store.resolution_of(sid)[key] not in (kept, None) and store.get_actor(kept) is None
    res = cli(tmp_path, "resolve", "--undo", f"{sid}:{key}", check=False)
    assert res.returncode == 1 and res.stderr.startswith("erreur : ")
    assert f"{sid}:{key} est seul dans l'acteur" in res.stderr and "(règle detached) : aucune fusion à défaire" \
        in " ".join(res.stderr.split())


def test_accepting_a_misspelt_pole_keeps_the_pole_s_name(tmp_path, cli):
    """« maillage resolve --accept » of the proposal a misspelt --pole made: the line said
    « fusionné avec … « PTCE Lauragais Coopère » », then the pôle showed the misspelling, the
    shorter name (each stated once). Now the pôle keeps its name, the misspelling an alias."""
    good, typo = "PTCE Lauragais Coopère", "PTCE Lauragis Coopère"
    (tmp_path / "a.csv").write_text("Nom;Type\nEcosimo;SCIC\nAtelier Vélo;Association\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("Nom;Type\nLa Bonne Graine;Association\n", encoding="utf-8")
    cli(tmp_path, "load", "a.csv", "--pole", good)
    cli(tmp_path, "load", "b.csv", "--pole", typo)
    (item,) = json.loads(cli(tmp_path, "resolve", "--review", "--json").stdout)
    res = cli(tmp_path, "resolve", "--accept", item["id"])
    assert f"« {good} »" in res.stderr
    (log,) = json.loads(cli(tmp_path, "resolve", "--log", "--json").stdout)
    assert (log["actor_id"], log["rule"]) == (item["candidate_id"], "accepted")
    assert f"│ {good}" in cli(tmp_path, "resolve", "--log").stdout
    with open_store(str(tmp_path / "s.db")) as store:
        (pole,) = [a for a in store.iter_actors() if a.family == "pole"]
        assert (pole.name, pole.aliases) == (good, [typo])


def test_undoing_an_accept_gives_the_actor_back_its_id(two_sources, cli, review):
    """--accept then --undo of the same statement: the store is as before the accept — the same
    actors under the same ids (what runs, bookmarks and other reviewers' decisions point at), not
    the statement under an id never seen before. A statement merged by a rule and undone gets the
    id it would have had alone, too."""
    cwd, b = two_sources
    with open_store(str(cwd / "s.db")) as store:
        before = sorted((a.id, a.name) for a in store.iter_actors())
    (item,) = review(cwd)
    cli(cwd, "resolve", "--accept", item["id"])
    res = cli(cwd, "resolve", "--undo", "maillage-jsonl:b.jsonl:mes-b", "--lang", "en")
    assert f"accepted merge undone, the statements it merged are actor {item['actor_id']} again" in res.stderr
    with open_store(str(cwd / "s.db")) as store:
        assert sorted((a.id, a.name) for a in store.iter_actors()) == before
    cli(cwd, "load", str(b))  # and a reload keeps it there
    with open_store(str(cwd / "s.db")) as store:
        assert sorted((a.id, a.name) for a in store.iter_actors()) == before



def test_an_accept_of_an_earlier_maillage_is_undone_statement_by_statement(shared_dir, cli, review):
    """A store written by a maillage that kept no previous actor with its accepts: read-only, it
    is read as it stands; opened to write, its ``decisions`` table gains the column (empty in the
    rows there), and its accept is undone as then — the statement alone, to the id it has alone —
    but the proposal comes back to review."""
    import sqlite3

    from _unprivileged import run_maillage

    from maillage.graph.sqlite_store import SQLiteStore

    a = jsonl(shared_dir / "a.jsonl", {"key": "mes", "name": "Maison de l'économie solidaire (Ramonville)",
                                        "family": "ess"})
    b = jsonl(shared_dir / "b.jsonl", {"key": "mes-b", "name": "Maison d'Economie Solidaire (Pays de Bray)",
                                        "family": "ess"})
    cli(shared_dir, "load", str(a), str(b))
    (item,) = review(shared_dir)
    cli(shared_dir, "resolve", "--accept", item["id"])
    db = sqlite3.connect(shared_dir / "s.db")
    db.execute("ALTER TABLE decisions DROP COLUMN previous")  # as an earlier maillage created it
    db.commit()
    db.close()
    (shared_dir / "s.db").chmod(0o444)
    read = run_maillage(["--store", "s.db", "resolve", "--review", "--json"], shared_dir)  # another user, read-only
    assert read.returncode == 0 and json.loads(read.stdout) == [], read.stdout
    (shared_dir / "s.db").chmod(0o644)
    with SQLiteStore(shared_dir / "s.db") as store:
        assert "previous" in {c[1] for c in store.db.execute("PRAGMA table_info(decisions)")}
        assert [(d.action, d.previous) for d in store.decisions()] == [("accept", None)]
    res = cli(shared_dir, "resolve", "--undo", "maillage-jsonl:b.jsonl:mes-b")
    assert f"de nouveau l'acteur {item['actor_id']}" in " ".join(res.stderr.split())
    cli(shared_dir, "load", str(b))
    assert review(shared_dir) == [item]


def test_the_review_table_writes_its_scores_as_its_reader_does(two_sources, cli):
    """The French table showed « 0.95 », a decimal point in a French sentence's table (the
    reports and the spreadsheet files write 0,95): French 0,95, English 0.95; the JSON keeps the
    number."""
    cwd, _ = two_sources
    fr = cli(cwd, "resolve", "--review").stdout
    en = cli(cwd, "resolve", "--review", "--lang", "en").stdout
    assert "0,95" in fr and "0.95" not in fr
    assert "0.95" in en and "0,95" not in en
    (item,) = json.loads(cli(cwd, "resolve", "--review", "--json").stdout)
    cli(cwd, "resolve", "--accept", item["id"])
    log = cli(cwd, "resolve", "--log").stdout
    assert re.search(r"\b\d,\d\d\b", log) and not re.search(r"\b\d\.\d\d\b", log), log
