"""`maillage export --projection` (and `GET /api/export/{fmt}?projection=true`): the graph an
analysis measures — one weighted tie per pair of actors, with its layers — read back and
compared with an independent computation from the stored statements; and the exported files
saying, inside them, which run their metrics come from."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from itertools import combinations
from urllib.parse import unquote

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from maillage.api.app import create_app
from maillage.cli import app
from maillage.graph import open_store
from maillage.graph.vocabulary import vocabulary
from maillage.loaders import load_file, load_reference

PERISCOPE = "periscope-le-periscope-248958"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = tmp_path_factory.mktemp("projection") / "ref.db"
    with open_store(str(path)) as s:
        load_reference(s, rejects_dir=path.parent / "rejets")
    r = CliRunner().invoke(app, ["--store", str(path), "analyse", "--lens", "governance", "--metrics-only"])
    assert r.exit_code == 0, r.output
    return path


def cli(db, *args, ok=True):
    r = CliRunner().invoke(app, ["--store", str(db), *args])
    assert (r.exit_code == 0) == ok, r.output
    return r.output


def statements(db):
    """Every actor (persons too) and every relation statement, straight from the store."""
    with open_store(str(db)) as s:
        sub = s.projection(include_persons=True)
    return sub.actors, sub.relations


def interlock_network(db):
    """The governance lens worked out by hand: organisations tied by a governance statement
    between them, or sharing a governor (a person or an organisation: Mizruchi's interlock)."""
    actors, relations = statements(db)
    types = set(vocabulary().types_in_lens("governance"))
    org = {a for a, v in actors.items() if not v.personal_data}
    pairs = {frozenset((r.source, r.target)) for r in relations  # a tie of an actor with itself is
             if r.type in types and r.source in org and r.target in org and r.source != r.target}  # no edge
    governed = defaultdict(set)
    for r in relations:
        if r.type in ("governs", "represents") and r.target in org:
            governed[r.source].add(r.target)
    shared = defaultdict(set)
    for g, orgs in governed.items():
        for i, j in combinations(sorted(orgs), 2):
            shared[frozenset((i, j))].add(g)
    return org, pairs, shared, actors


def test_the_governance_projection_is_the_interlock_network_and_carries_the_run_measured_on_it(db, tmp_path):
    out = tmp_path / "gov.gexf"
    said = cli(db, "export", "-f", "gexf", "--projection", "--lens", "governance", "-o", str(out))
    org, pairs, shared, actors = interlock_network(db)
    g = nx.read_gexf(out)
    assert set(g.nodes) == org
    got = {frozenset((u, v)) for u, v in g.edges}
    assert got == pairs | set(shared)
    assert shared and set(shared) - pairs  # some ties exist only through a common governor
    for pair, governors in shared.items():
        u, v = tuple(pair) if len(pair) == 2 else (*pair, *pair)
        e = g.edges[u, v]
        assert int(e["shared_governance"]) == len(governors)
        persons = sum(1 for x in governors if actors[x].personal_data)
        assert int(e["shared_governance_persons"]) == persons
        assert "gouvernant commun" in e["label"]
    # the run of the same lens was measured on this very graph: its degree centrality is the file's
    with open_store(str(db)) as s:
        run = s.runs()[-1]
    assert run.lens == "governance" and f"mesures de l'analyse {run.id} (lentille gouvernance" in said
    assert "remarque" not in said
    # (degree: the number of actors tied, docs/analytics-metrics.md)
    assert all(float(g.nodes[n]["degree"]) == len(set(g[n]) - {n}) for n in g.nodes)


def test_no_person_is_named_in_a_projection_unless_asked(db, tmp_path):
    org, _, shared, actors = interlock_network(db)
    names = [a.name for a in actors.values() if a.personal_data]
    through_persons = [p for p, gs in shared.items() if any(actors[x].personal_data for x in gs)]
    assert names and through_persons
    for fmt in ("gexf", "graphml", "json", "edges.csv", "nodes.csv"):
        out = tmp_path / f"p.{fmt}"
        cli(db, "export", "-f", fmt, "--projection", "--lens", "governance", "-o", str(out))
        text = out.read_text(encoding="utf-8-sig")
        assert not [n for n in names if n in text], fmt
        assert not [a for a, v in actors.items() if v.personal_data and a in text], fmt
    # the ties through a person are there, counted, their governor unnamed
    with open(tmp_path / "p.edges.csv", encoding="utf-8-sig", newline="") as f:
        rows = {frozenset((r["source_id"], r["target_id"])): r for r in csv.DictReader(f)}
    assert all(int(rows[p]["shared_governance_persons"]) >= 1 for p in through_persons)
    out = tmp_path / "with.gexf"
    cli(db, "export", "-f", "gexf", "--projection", "--lens", "governance", "--include-persons", "-o", str(out))
    g = nx.read_gexf(out)
    assert {a for a, v in actors.items() if v.personal_data} <= set(g.nodes)


def test_the_cooperation_projection_weighs_shared_poles_as_newman(db, tmp_path):
    out = tmp_path / "coop.json"
    said = cli(db, "export", "-f", "json", "--projection", "--pole", "Le Périscope", "-o", str(out))
    assert "lentille coopération" in said  # --projection's default lens is analyse's
    doc = json.loads(out.read_text(encoding="utf-8"))
    actors, relations = statements(db)
    members = {r.source for r in relations if r.type == "membership" and r.target == PERISCOPE}
    shown = {a for a in members if not actors[a].personal_data}
    ties = {frozenset((t["source_id"], t["target_id"])): t for t in doc["ties"]}
    n = len(shown)  # the pôle's members that may be nodes (docs/analytics-lenses.md: persons are not)
    for i, j in combinations(sorted(shown), 2):
        t = ties[frozenset((i, j))]
        assert PERISCOPE in t["pole_ids"] and "Le Périscope" in t["poles"]
        poles_of = {p for p in t["pole_ids"]}
        if poles_of == {PERISCOPE}:
            assert t["co_membership"] == pytest.approx(1 / (n - 1))
        assert t["weight"] == pytest.approx(t["direct"] + t["co_membership"] + t["shared_governance"])
    assert doc["lens"] == "cooperation" and doc["about"][0].startswith("Projection de la lentille coopération")
    # no cooperation run yet: the governance run's measures, said in the file as on the console
    assert any("décrivent une autre vue" in line for line in doc["about"])
    assert "décrivent une autre vue" in said


def test_a_pole_s_two_files_say_which_actors_each_holds_counted_as_in_the_files(db, tmp_path):
    """`export --pole` writes the pôle and every actor with a statement to or from it; with
    `--projection`, the pôle, its members and its carrying structures only. The command said
    neither, and a researcher comparing the two nodes.csv (44 and 37 rows) took one for wrong:
    each now says what it holds, and its counts are the files' rows."""
    def ids(path):
        with open(path, encoding="utf-8-sig", newline="") as f:
            return [r["id"] for r in csv.DictReader(f)]

    actors, relations = statements(db)
    org = {a for a, v in actors.items() if not v.personal_data}
    members = {r.source for r in relations if r.type == "membership" and r.target == PERISCOPE} & org
    porteurs = {r.source for r in relations if r.type == "carries" and r.target == PERISCOPE} & org - members
    tied = {e for r in relations if PERISCOPE in (r.source, r.target) for e in (r.source, r.target)} & org
    said = cli(db, "export", "-f", "nodes.csv", "--pole", "Le Périscope", "-o", str(tmp_path / "n.csv"))
    m = re.search(r"contenu : le pôle Le Périscope et (\d+) acteurs qui ont une relation directe avec lui \((\d+) "
                  r"membres, (\d+) structures? porteuses? hors membres, (\d+) autres : [^)]*\), et les relations "
                  r"entre ces (\d+) acteurs ; la projection \(--projection\) ne garde que le pôle, ses membres", said)
    assert m, said
    k, n_members, n_porteurs, others, n = map(int, m.groups())
    rows = ids(tmp_path / "n.csv")
    assert n == len(rows) == k + 1 == n_members + n_porteurs + others + 1 and PERISCOPE in rows
    assert (n_members, n_porteurs) == (len(members), len(porteurs)) and set(rows) == tied
    said = cli(db, "export", "-f", "nodes.csv", "--pole", "Le Périscope", "--projection",
               "-o", str(tmp_path / "p.csv"))
    m = re.search(r"contenu : le pôle Le Périscope et (\d+) acteurs qui en sont membres ou structures porteuses "
                  r"\((\d+) membres, (\d+) structures? porteuses? hors membres\), et les liens pondérés de la "
                  r"lentille coopération entre ces (\d+) acteurs ; les autres acteurs liés au pôle \(financeurs, "
                  r"partenaires…\) ne sont que dans l'export sans --projection", said)
    assert m, said
    k2, m2, p2, n2 = map(int, m.groups())
    projected = ids(tmp_path / "p.csv")
    assert n2 == len(projected) == k2 + 1 == m2 + p2 + 1 and (m2, p2) == (n_members, n_porteurs)
    assert set(projected) == {PERISCOPE} | members | porteurs
    assert len(set(rows) - set(projected)) == others > 0  # the difference is the others, counted in the first line
    said = cli(db, "--lang", "en", "export", "-f", "edges.csv", "--pole", "Le Périscope", "--projection",
               "-o", str(tmp_path / "t.csv"))
    assert (f"content: the pôle Le Périscope and {k2} actors that are its members or carrying structures ({m2} "
            f"members, {p2} carrying structure") in said and "only in the export without --projection" in said
    assert "contenu" not in said


def test_an_actor_neighbourhood_is_its_ego_network_in_the_projection(db, tmp_path):
    whole, ego = tmp_path / "all.graphml", tmp_path / "ego.graphml"
    cli(db, "export", "-f", "graphml", "--projection", "--lens", "all", "-o", str(whole))
    cli(db, "export", "-f", "graphml", "--projection", "--lens", "all", "--actor", "ACCESS", "--depth", "2",
        "-o", str(ego))
    G, E = nx.read_graphml(whole), nx.read_graphml(ego)
    assert set(E.nodes) == set(nx.ego_graph(G, "access-2b2ad1", radius=2).nodes)
    assert all(E.edges[u, v]["weight"] == G.edges[u, v]["weight"] for u, v in E.edges)  # the whole graph's


def test_the_ties_csv_has_one_row_per_tie_in_the_graphml(db, tmp_path):
    cli(db, "export", "-f", "edges.csv", "--projection", "--lens", "all", "-o", str(tmp_path / "t.csv"))
    cli(db, "export", "-f", "graphml", "--projection", "--lens", "all", "-o", str(tmp_path / "t.graphml"))
    with open(tmp_path / "t.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    g = nx.read_graphml(tmp_path / "t.graphml")
    assert len(rows) == g.number_of_edges() > 1000
    for r in rows:
        e = g.edges[r["source_id"], r["target_id"]]
        assert float(r["weight"]) == pytest.approx(e["weight"])
        assert r["layers"] == e["layers"]



def test_the_ties_csv_reads_as_an_edge_list_its_first_two_columns_the_ends(db, tmp_path):
    """What R/igraph's graph_from_data_frame() does: the first two columns are the ends, by
    position, and the nodes file's first column names the vertices."""
    cli(db, "export", "-f", "edges.csv", "--projection", "--lens", "all", "-o", str(tmp_path / "t.csv"))
    cli(db, "export", "-f", "nodes.csv", "--projection", "--lens", "all", "-o", str(tmp_path / "n.csv"))
    cli(db, "export", "-f", "graphml", "--projection", "--lens", "all", "-o", str(tmp_path / "t.graphml"))
    read = lambda name: list(csv.reader(open(tmp_path / name, encoding="utf-8-sig", newline="")))
    ties, nodes = read("t.csv"), read("n.csv")
    assert ties[0][:2] == ["source_id", "target_id"] and nodes[0][0] == "id"
    vertices = {r[0] for r in nodes[1:]}
    ends = [(r[0], r[1]) for r in ties[1:]]
    assert all(u in vertices and v in vertices for u, v in ends)
    g = nx.read_graphml(tmp_path / "t.graphml")
    assert len(ends) > 1000 and {frozenset(e) for e in ends} == {frozenset(e) for e in g.edges}


def test_count_measures_are_integers_in_gexf_and_graphml(db, tmp_path):
    """Gephi offers a partition only on an integer or text attribute: community, component, degree,
    core number and the brokerage counts are declared integer, written without « .0 »."""
    import xml.etree.ElementTree as ET

    cli(db, "export", "-f", "gexf", "--projection", "--lens", "governance", "-o", str(tmp_path / "g.gexf"))
    root = ET.parse(tmp_path / "g.gexf").getroot()
    ns = "{http://gexf.net/1.3}"
    types = {a.get("title"): a.get("type") for a in root.iter(ns + "attribute") if a.get("id").startswith("metric_")}
    whole = ("community", "component", "component_size", "degree", "core_number", "brokerage_total",
             "brokerage_liaison")
    assert {types[m] for m in whole} == {"integer"}
    assert types["betweenness"] == types["pagerank"] == types["strength"] == "double"
    values = [v.get("value") for v in root.iter(ns + "attvalue") if v.get("for") in {f"metric_{m}" for m in whole}]
    assert values and all(re.fullmatch(r"-?\d+", x) for x in values)
    g = nx.read_gexf(tmp_path / "g.gexf")
    assert all(isinstance(d["community"], int) for _, d in g.nodes(data=True))
    assert len({d["community"] for _, d in g.nodes(data=True)}) > 1  # a partition, not one value
    cli(db, "export", "-f", "graphml", "--projection", "--lens", "governance", "-o", str(tmp_path / "g.graphml"))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    keys = {k.get("attr.name"): k.get("attr.type") for k in ET.parse(tmp_path / "g.graphml").getroot().iter(ns + "key")
            if k.get("for") == "node"}
    assert {keys[m] for m in whole} == {"long"} and keys["betweenness"] == "double"


def test_the_ties_csv_takes_the_french_spreadsheet_variant(db, tmp_path):
    """`--delimiter ';' --decimal-comma`, as the other CSV files: `;` between cells, 0,5 weights."""
    cli(db, "export", "-f", "edges.csv", "--projection", "-o", str(tmp_path / "p.csv"))
    cli(db, "export", "-f", "edges.csv", "--projection", "--delimiter", ";", "--decimal-comma", "-o",
        str(tmp_path / "f.csv"))
    read = lambda name, d: list(csv.reader(open(tmp_path / name, encoding="utf-8-sig", newline=""), delimiter=d))
    plain, french = read("p.csv", ","), read("f.csv", ";")
    assert french[0] == plain[0] and len(french) == len(plain) > 100
    w = plain[0].index("weight")
    assert any("," in r[w] for r in french[1:])
    for p, f in zip(plain, french):  # cell for cell, decimal numbers with a comma
        assert len(f) == len(p) and all(a == b or (re.fullmatch(r"\d+\.\d+(e-\d+)?", a) and b == a.replace(".", ","))
                                        for a, b in zip(p, f)), (p, f)
    cli(db, "export", "-f", "gexf", "--projection", "--delimiter", ";", ok=False)


def test_formats_that_read_back_as_statements_are_refused(db):
    said = cli(db, "export", "-f", "kumu.xlsx", "--projection", ok=False)
    assert "--format" in said and "relations énoncées" in said
    said = cli(db, "export", "--projection", ok=False)  # --format csv: a run's metrics table
    assert "--projection" in said and "edges.csv" in said


def test_statement_exports_say_inside_the_file_which_run_and_what_changed_since(db, tmp_path):
    extra = tmp_path / "x.jsonl"
    extra.write_text('{"record": "header", "format": "maillage-jsonl", "version": 1, "title": "x"}\n'
                     '{"record": "actor", "key": "z", "name": "Coop Zêta", "family": "ess"}\n', encoding="utf-8")
    with open_store(str(db)) as s:
        load_file(s, extra)
        run = s.runs()[-1]
    for fmt in ("gexf", "graphml", "json"):
        out = tmp_path / f"g.{fmt}"
        cli(db, "export", "-f", fmt, "--lens", "governance", "-o", str(out))
        text = out.read_text(encoding="utf-8")
        assert f"mesures de l'analyse {run.id} (lentille gouvernance, toutes années)" in text, fmt
        assert "remarque : les mesures viennent de l'analyse" in text and "x.jsonl chargée le" in text, fmt
    assert json.loads((tmp_path / "g.json").read_text())["about"][0].startswith("mesures de l'analyse")


@pytest.fixture
def api(db):
    return TestClient(create_app(str(db)))


def test_the_api_projection_is_the_cli_file(api, db, tmp_path):
    r = api.get("/api/export/graphml", params={"projection": "true", "lens": "governance"})
    assert r.status_code == 200, r.text
    assert "lentille-governance" in r.headers["content-disposition"]
    with open_store(str(db)) as s:
        assert r.headers["x-maillage-run"] == s.runs()[-1].id
    (tmp_path / "api.graphml").write_bytes(r.content)
    cli(db, "export", "-f", "graphml", "--projection", "--lens", "governance", "-o", str(tmp_path / "cli.graphml"))
    a, c = nx.read_graphml(tmp_path / "api.graphml"), nx.read_graphml(tmp_path / "cli.graphml")
    assert set(a.nodes) == set(c.nodes) and {frozenset(e) for e in a.edges} == {frozenset(e) for e in c.edges}
    r = api.get("/api/export/csv", params={"projection": "true"})  # default lens: cooperation, another run
    assert r.status_code == 200 and r.text.lstrip("\ufeff").startswith("source_id,target_id,source_name")
    assert "autre vue" in unquote(r.headers["x-maillage-notes"])
    r = api.get("/api/export/ftm.jsonl", params={"projection": "true"})
    assert r.status_code == 400 and "relations énoncées" in r.text
    r = api.get("/api/export/gexf", params={"projection": "true", "lens": "nope"})
    assert r.status_code == 400
