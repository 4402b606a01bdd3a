"""`maillage export`: actor metrics of a run (csv), and the graph for other tools (gexf, graphml,
kumu.xlsx, json, edges.csv, nodes.csv, ftm.jsonl), read back and compared with the store."""

from __future__ import annotations

import csv
import json
import math
import re

import pytest
from typer.testing import CliRunner

from maillage.analytics.run import analyse, person_names
from maillage.api.exports import ACTOR_COLUMNS, METRIC_COLUMNS, metrics_csv, safe_text
from maillage.cli import app
from maillage.graph import open_store
from maillage.graph.projection import lens_types
from maillage.graph.store import AnalysisRun, NotFound
from maillage.loaders import load_file, load_reference


def _read(path, delimiter=","):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


@pytest.fixture(scope="module")
def reference_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "ref.db"
    with open_store(str(path)) as s:
        load_reference(s)
        analyse(s)
    return path


def test_csv_columns_and_values_match_the_run(reference_db, tmp_path):
    out = tmp_path / "m.csv"
    result = CliRunner().invoke(app, ["--store", str(reference_db), "export", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = _read(out)
    header = rows[0]
    assert header[:len(ACTOR_COLUMNS)] == list(ACTOR_COLUMNS)
    assert header[len(ACTOR_COLUMNS):len(ACTOR_COLUMNS) + len(METRIC_COLUMNS)] == list(METRIC_COLUMNS)
    with open_store(str(reference_db)) as s:
        run = s.runs()[-1]
        values = {k: m for k, m in s.metrics(run.id).items() if "degree" in m}  # actors, not diagnostics
        persons = {a.id for a in s.iter_actors(include_persons=True) if a.personal_data}
    assert len(rows) - 1 == len(values) and f"{len(values)} acteurs" in result.output
    ids = {r[0] for r in rows[1:]}
    assert ids == set(values) and not ids & persons
    col = {name: i for i, name in enumerate(header)}
    for r in rows[1:]:
        for name in ("degree", "betweenness", "pagerank"):
            expected = values[r[0]].get(name)
            if expected is None or (isinstance(expected, float) and math.isnan(expected)):
                assert r[col[name]] == ""
            else:
                assert float(r[col[name]]) == pytest.approx(expected, rel=1e-12)


def test_french_spreadsheet_variant(reference_db, tmp_path):
    out = tmp_path / "m.csv"
    with open_store(str(reference_db)) as s:
        metrics_csv(s, out, delimiter=";", decimal_comma=True)
    rows = _read(out, ";")
    pr = rows[0].index("pagerank")
    cells = [r[pr] for r in rows[1:] if r[pr]]
    assert cells and all("," in c and "." not in c for c in cells if not c.isdigit())
    with pytest.raises(ValueError, match="delimiter"):
        with open_store(str(reference_db)) as s:
            metrics_csv(s, tmp_path / "x.csv", delimiter=",", decimal_comma=True)
    with open_store(str(reference_db)) as s:  # a decimal comma alone brings ';', as `--decimal-comma` does
        metrics_csv(s, tmp_path / "alone.csv", decimal_comma=True)
    assert (tmp_path / "alone.csv").read_bytes() == out.read_bytes()


def test_formula_cells_are_neutralised(tmp_path):
    src = tmp_path / "hostile.jsonl"
    recs = [{"record": "header", "format": "maillage-jsonl", "version": 1},
            {"record": "actor", "key": "a", "name": "=HYPERLINK(\"http://evil\")", "family": "ess",
             "provenance": {"document": "d", "locator": "L1"}},
            {"record": "actor", "key": "b", "name": "+33 Coop", "family": "ess",
             "provenance": {"document": "d", "locator": "L2"}},
            {"record": "relation", "type": "cooperates", "source": "a", "target": "b",
             "provenance": {"document": "d", "locator": "L3"}}]
    src.write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    with open_store(str(tmp_path / "s.db")) as s:
        load_file(s, src)
        analyse(s)
        metrics_csv(s, tmp_path / "m.csv")
    names = sorted(r[1] for r in _read(tmp_path / "m.csv")[1:])
    assert names == ["'+33 Coop", "'=HYPERLINK(\"http://evil\")"]
    assert safe_text("-1") == "'-1" and safe_text("Coop") == "Coop"


def test_unknown_run_and_empty_store(tmp_path):
    with open_store(":memory:") as s:
        with pytest.raises(ValueError, match="maillage analyse"):
            metrics_csv(s, tmp_path / "x.csv")
        s.save_run(AnalysisRun(id="run-a"), [("x", "degree", 1.0), ("pole:1", "pole.density", 0.5)])
        with pytest.raises(NotFound, match="run-b"):
            metrics_csv(s, tmp_path / "x.csv", run_id="run-b")
        gone = []  # "x" is not in the store (merged or removed since the run): left out; diagnostics are not actors
        assert metrics_csv(s, tmp_path / "x.csv", run_id="run-a", left_out=gone) == 0 and gone == ["x"]
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "e.db"), "export", "--format", "dot"])
    assert result.exit_code != 0 and "csv" in result.output and "gexf" in result.output


# -- the graph, for other tools ------------------------------------------------------------------

def export(db, *args):
    return CliRunner().invoke(app, ["--store", str(db), "export", *args])


def test_whole_graph_to_gephi_is_the_public_projection_with_the_runs_metrics(reference_db, tmp_path):
    import networkx as nx

    out = tmp_path / "g.gexf"
    r = export(reference_db, "--format", "gexf", "-o", str(out))
    assert r.exit_code == 0, r.output
    with open_store(str(reference_db)) as s:
        sub = s.projection()  # persons left out, as the export by default
        persons = [a for a in s.iter_actors(include_persons=True) if a.personal_data]
        names = person_names(s)
        degree = s.metrics()
    g = nx.read_gexf(out)
    assert set(g.nodes) == set(sub.actors)
    assert {k for _, _, k in g.edges(keys=True)} == {r.id for r in sub.relations}  # undirected ties: both ways
    some = next(n for n in g.nodes if degree.get(n, {}).get("degree"))
    assert float(g.nodes[some]["degree"]) == degree[some]["degree"]
    text = out.read_text(encoding="utf-8")
    assert persons and not any(p.id in text for p in persons)
    assert names and not any(n in text for n in names)  # nor their names in the sources' quotes


def test_a_pole_by_name_to_graphml_and_the_default_file_name(reference_db, tmp_path, monkeypatch):
    import networkx as nx

    monkeypatch.chdir(tmp_path)
    with open_store(str(reference_db)) as s:
        pole = next(a.id for a in s.search("Périscope", family="pole"))
        sub = s.pole_subgraph(pole)
    r = export(reference_db, "-f", "graphml", "--pole", "le périscope")
    assert r.exit_code == 0, r.output
    out = tmp_path / f"maillage-{pole}.graphml"
    g = nx.read_graphml(out)
    assert set(g.nodes) == {a for a, v in sub.actors.items() if not v.personal_data}
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # nothing left beside it


def test_lens_year_territory_and_persons_on_request(reference_db, tmp_path):
    def edges(*args):
        out = tmp_path / "e.csv"
        r = export(reference_db, "-f", "edges.csv", "-o", str(out), *args)
        assert r.exit_code == 0, r.output
        return _read(out)[1:]

    every = edges()
    coop = edges("--lens", "cooperation")
    assert 0 < len(coop) < len(every)
    with open_store(str(reference_db)) as s:
        assert len(coop) == len(s.projection(types=lens_types("cooperation")).relations)
        dated = [r for r in s.projection().relations if r.start and r.start[:4].isdigit()]
        year = int(min(r.start[:4] for r in dated))
        in_31 = s.territory_subgraph("departement:31")
        n_persons = sum(1 for a in s.iter_actors(include_persons=True) if a.personal_data)
    assert len(edges("--as-of", str(year))) < len(every)
    assert len(edges("--territory", "Haute-Garonne")) == len(in_31.relations)
    out = tmp_path / "n.csv"
    assert export(reference_db, "-f", "nodes.csv", "-o", str(out)).exit_code == 0
    public = len(_read(out)) - 1
    assert export(reference_db, "-f", "nodes.csv", "--include-persons", "-o", str(out)).exit_code == 0
    assert len(_read(out)) - 1 == public + n_persons


def test_kumu_and_ftm_read_back_through_maillages_own_loaders(reference_db, tmp_path):
    for fmt in ("kumu.xlsx", "ftm.jsonl"):
        out = tmp_path / f"p.{fmt}"
        r = export(reference_db, "-f", fmt, "--pole", "Périscope", "-o", str(out))
        assert r.exit_code == 0, r.output
        said = " ".join(r.output.split("contenu :")[0].split())  # the file's line, not the one on what it holds
        actors, relations = (int(x) for x in re.findall(r"(\d+) (?:acteurs|relations)", said))
        with open_store(":memory:") as s:
            rep = load_file(s, out, rejects_dir=tmp_path)
            assert rep.rows_read == rep.loaded + rep.merged + rep.rejected
            assert (s.stats()["actors"], s.stats()["relations"]) == (actors, relations), fmt


def test_graph_export_errors(reference_db, tmp_path):
    r = export(reference_db, "-f", "gexf", "--pole", "A", "--territory", "31")
    assert r.exit_code == 2 and "--pole et --territory donnés ensemble" in r.output
    r = export(reference_db, "-f", "gexf", "--pole", "A", "--territory", "31", "--lang", "en")
    assert r.exit_code == 2 and "--pole and --territory given together" in r.output
    r = export(reference_db, "-f", "csv", "--pole", "Périscope")
    assert r.exit_code != 0 and "edges.csv" in r.output
    r = export(reference_db, "-f", "gexf", "--territory", "Saint-Denis", "-o", str(tmp_path / "x.gexf"))
    assert r.exit_code == 1 and "commune:93066" in r.output and not (tmp_path / "x.gexf").exists()



def _same_but_french(plain: list[list[str]], french: list[list[str]]) -> int:
    """``french`` is ``plain`` cell for cell, numbers with a decimal comma; returns how many
    cells differ (decimal numbers)."""
    assert len(french) == len(plain) > 1 and french[0] == plain[0]
    changed = 0
    for p, f in zip(plain, french):
        assert len(f) == len(p) == len(plain[0])
        for a, b in zip(p, f):
            if a != b:
                assert re.fullmatch(r"-?\d+\.\d+(e-?\d+)?", a) and b == a.replace(".", ","), (a, b)
                changed += 1
    return changed


@pytest.mark.parametrize("fmt", ["edges.csv", "nodes.csv"])
def test_graph_csvs_take_the_french_spreadsheet_variant(reference_db, tmp_path, fmt):
    """`--delimiter ';' --decimal-comma` applies to the graph's CSV files too: they used to stay
    comma-separated, one column in a French Excel."""
    plain, french = tmp_path / f"p.{fmt}", tmp_path / f"f.{fmt}"
    assert export(reference_db, "-f", fmt, "-o", str(plain)).exit_code == 0
    r = export(reference_db, "-f", fmt, "--delimiter", ";", "--decimal-comma", "-o", str(french))
    assert r.exit_code == 0, r.output
    assert french.read_text(encoding="utf-8-sig").splitlines()[0].count(";") == len(_read(plain)[0]) - 1
    changed = _same_but_french(_read(plain), _read(french, ";"))
    if fmt == "nodes.csv":
        assert changed > 100  # the run's metrics (betweenness, pagerank…)
    r = export(reference_db, "-f", fmt, "--delimiter", ";", "-o", str(french))  # ';' alone: decimal points kept
    assert r.exit_code == 0 and _read(french, ";") == _read(plain)


def test_csv_options_given_to_another_format_are_refused_by_name(reference_db, tmp_path):
    out = tmp_path / "g.gexf"
    for fmt in ("gexf", "graphml", "json", "kumu.xlsx", "ftm.jsonl"):
        r = export(reference_db, "-f", fmt, "--delimiter", ";", "-o", str(out))
        assert r.exit_code == 2 and "--delimiter" in r.output and "CSV" in r.output, (fmt, r.output)
    r = export(reference_db, "-f", "gexf", "--decimal-comma", "-o", str(out))
    assert r.exit_code == 2 and "--decimal-comma ne s'applique qu'aux fichiers CSV" in " ".join(r.output.split())
    r = export(reference_db, "-f", "gexf", "--delimiter", ";", "--decimal-comma", "--lang", "en", "-o", str(out))
    assert r.exit_code == 2 and "--delimiter and --decimal-comma only apply to the CSV files" in " ".join(r.output.split())
    for fmt in ("csv", "edges.csv", "nodes.csv"):  # a decimal comma in comma-separated cells: refused, named
        r = export(reference_db, "-f", fmt, "--decimal-comma", "--delimiter", ",", "-o", str(tmp_path / "x.csv"))
        assert r.exit_code == 2 and "--decimal-comma" in r.output and "--delimiter ';'" in r.output, (fmt, r.output)
    assert not out.exists() and not (tmp_path / "x.csv").exists()


def test_a_decimal_comma_alone_writes_a_french_spreadsheet(reference_db, tmp_path):
    """« --decimal-comma » alone was refused (« demande un autre séparateur ») though a French
    spreadsheet's pair is obvious: it now writes ';' between the columns, the same file as
    « --delimiter ';' --decimal-comma »."""
    for fmt in ("csv", "nodes.csv"):
        alone, both = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        assert export(reference_db, "-f", fmt, "--decimal-comma", "-o", str(alone)).exit_code == 0
        assert export(reference_db, "-f", fmt, "--delimiter", ";", "--decimal-comma", "-o", str(both)).exit_code == 0
        assert alone.read_bytes() == both.read_bytes() and b";" in alone.read_bytes().splitlines()[0]


#: Names as a French reader orders them: accents, ligatures and case ignored.
FRENCH_ORDER = ["à petits pas", "Atelier vélo", "Écluse du Lot", "emmaüs Cahors", "Œuvre sociale du Lot",
                "Pôle Test", "Ville de Cahors", "Zèbre SCIC"]


def test_metrics_csv_and_kumu_list_names_in_french_order(tmp_path):
    """« Écluse », « Œuvre » and « à petits pas » among their letters, not after « Zèbre »: the
    metrics spreadsheet and the Kumu workbook order names as a French reader does."""
    import openpyxl

    members = [n for n in FRENCH_ORDER if n != "Pôle Test"]
    src = tmp_path / "membres.csv"
    src.write_text("Nom;Type;Commune\n" + "".join(f"{n};Association;Cahors\n" for n in reversed(members)),
                   encoding="utf-8")
    db = tmp_path / "s.db"
    with open_store(str(db)) as s:
        load_file(s, src, rejects_dir=tmp_path / "rejets", options={"pole": "Pôle Test"})
        analyse(s)
        metrics_csv(s, tmp_path / "m.csv")
    assert [r[1] for r in _read(tmp_path / "m.csv")[1:]] == FRENCH_ORDER
    r = export(db, "-f", "kumu.xlsx", "--pole", "Pôle Test", "-o", str(tmp_path / "p.kumu.xlsx"))
    assert r.exit_code == 0, r.output
    sheet = openpyxl.load_workbook(tmp_path / "p.kumu.xlsx")["Elements"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == FRENCH_ORDER


def _cited_surnames(db) -> re.Pattern:
    """A person's surname (the last word of a person's name) cited as an author: followed by
    « et al. », by a year in parentheses or by « , <year> »."""
    with open_store(str(db)) as s:
        names = [re.sub(r"\s*\([^)]*\)", "", a.name) for a in s.iter_actors(include_persons=True) if a.personal_data]
    surnames = sorted({n.split()[-1] for n in names if len(n.split()) > 1 and n.split()[-1][:1].isupper()})
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, surnames)) + r")(?=\s+et\s+al\b|\s*\(\s*\d{4}|\s*,\s*\d{4})",
                      re.IGNORECASE)


def test_a_person_cited_by_surname_is_masked_in_the_default_exports_only(reference_db, tmp_path):
    """The reference data's RTES–CRIDA study is « étude copubliée (Fraisse et al.) »: Laurent
    Fraisse is a person of the graph. Left out by default, his surname too; kept on request.
    The surnames of persons that are also the names of organisations stay (« Fontaine O Livres »,
    « Artis à Grenoble »: Geneviève Fontaine and Amélie Artis are persons of the graph)."""
    cited = _cited_surnames(reference_db)
    texts = {}
    for fmt, args in (("edges.csv", ()), ("edges.csv", ("--tableur",)), ("json", ()), ("kumu.xlsx", ())):
        out = tmp_path / f"default-{len(texts)}.{fmt}"
        r = export(reference_db, "-f", fmt, *args, "-o", str(out))
        assert r.exit_code == 0, r.output
        if fmt == "kumu.xlsx":
            import openpyxl
            wb = openpyxl.load_workbook(out, read_only=True)
            texts[fmt] = "\n".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)
        else:
            texts[(fmt, args)] = out.read_text(encoding="utf-8-sig")
    for where, text in texts.items():
        assert not cited.findall(text), where
    plain = texts[("edges.csv", ())]
    assert re.search(r"étude copubliée \(\[personne \d+\] et al\.\)", plain)
    assert "Fontaine O Livres" in plain and "Artis à Grenoble" in plain  # not citations: left alone
    out = tmp_path / "persons.csv"
    assert export(reference_db, "-f", "edges.csv", "--include-persons", "-o", str(out)).exit_code == 0
    # the role as the file wrote it (fields) and in words (role_label): « … la source dit « étude copubliée (Fraisse et al.) » »
    assert cited.findall(out.read_text(encoding="utf-8-sig")) == ["Fraisse", "Fraisse"]


# -- one scope rule for the command and the API -----------------------------------------------------

POLE_ID = "periscope-le-periscope-248958"


def _cli_spelling(name: str) -> str:
    return f"--{name.replace('_', '-')}"


#: Wrong scopes, as options, and what both sides answer (``{pole}`` etc.: each side's spelling).
WRONG_SCOPES = (
    ({"pole": POLE_ID, "territory": "departement:31"},
     "{pole} et {territory} donnés ensemble : une vue est celle d'un pôle ({pole}), d'un territoire ({territory}) "
     "ou du voisinage d'un acteur ({actor}), un seul à la fois ; sans aucun, c'est le graphe entier",
     "{pole} and {territory} given together: a view is a pôle's ({pole}), a territory's ({territory}) or an "
     "actor's neighbourhood ({actor}), one at a time; with none, it is the whole graph"),
    ({"pole": POLE_ID, "territory": "departement:31", "actor": "access-2b2ad1", "depth": 2},
     "{pole}, {territory} et {actor} donnés ensemble : une vue est celle d'un pôle ({pole}), d'un territoire "
     "({territory}) ou du voisinage d'un acteur ({actor}), un seul à la fois ; sans aucun, c'est le graphe entier",
     "{pole}, {territory} and {actor} given together: a view is a pôle's ({pole}), a territory's ({territory}) or "
     "an actor's neighbourhood ({actor}), one at a time; with none, it is the whole graph"),
    ({"territory": "departement:31", "depth": 1},
     "{depth} ne s'applique qu'au voisinage d'un acteur ({actor}) ; un territoire se prend en entier, sans "
     "profondeur",
     "{depth} only applies to an actor's neighbourhood ({actor}); a territory is taken whole, without depth"),
)


@pytest.mark.parametrize("projection", [False, True])
def test_a_wrong_scope_gets_the_same_refusal_from_the_command_and_the_api(reference_db, projection):
    """`maillage export --pole P --territory T` said « donnez au plus l'une de --pole, --territory,
    --actor » and ``GET /api/export/json?pole=P&territory=T`` « Donnez au plus un de pole, territory,
    actor. »: one rule written twice, in two wordings. One function decides it now
    (:func:`maillage.api.export_view.scope_refusal`); each side names the options as its users
    type them: a 400 for the API, exit 2 for the command, the same words."""
    from fastapi.testclient import TestClient

    from maillage.api.app import create_app

    names = ("pole", "territory", "actor", "depth")
    with TestClient(create_app(str(reference_db))) as client:
        for given, french, english in WRONG_SCOPES:
            query = "&".join(f"{k}={v}" for k, v in given.items()) + ("&projection=true" if projection else "")
            args = [a for k, v in given.items() for a in (_cli_spelling(k), str(v))] + (
                ["--projection"] if projection else [])
            for lang, text in (("fr", french), ("en", english)):
                r = client.get(f"/api/export/json?{query}&lang={lang}")
                assert r.status_code == 400, (query, r.text[:300])
                assert r.json()["detail"] == text.format(**{n: n for n in names}) + ".", (query, lang)
                res = export(reference_db, "-f", "nodes.csv", *args, "--lang", lang)
                said = " ".join(res.output.split())
                assert res.exit_code == 2, (args, said)
                assert text.format(**{n: _cli_spelling(n) for n in names}) in said, (args, lang, said)


def test_export_view_doctests():
    import doctest

    from maillage.api import export_view

    assert doctest.testmod(export_view).failed == 0
