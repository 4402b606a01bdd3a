"""Subgraph exports (maillage.api.exports), each read back and compared with the store: JSON and
CSV by hand, GEXF and GraphML with networkx, the Kumu workbook and the FollowTheMoney lines
through maillage's own loaders into a fresh store. On a small hand-built store (dated ties, a
hostile name, a natural person) and on the reference dataset, both in real SQLite stores."""

from __future__ import annotations

import csv
import doctest
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import openpyxl
import orjson
import pytest

import maillage.api.exports as exports
from maillage.analytics.run import analyse
from maillage.api.exports import EDGE_COLUMNS, EXPORT_FORMATS, NODE_COLUMNS, gexf_interval, subgraph_export
from maillage.graph import open_store
from maillage.graph.names import name_key
from maillage.graph.vocabulary import vocabulary
from maillage.loaders import load_file, load_reference
from maillage.loaders.cells import unguarded

from _jsonl import actor, relation

GEXF = "{http://gexf.net/1.3}"
VIZ = "{http://gexf.net/1.3/viz}"
HOSTILE = '=HYPERLINK("http://evil","clic")'
SHARE_NOTE = "- 49 % des parts"  # a note that starts like a formula (h114: 36 such notes in a Kumu map)


ECOSYSTEM = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Écosystème d'essai",
     "documents": {"etude": {"title": "Étude sur les PTCE", "sha256": "ab" * 32}}},
    actor("pole", "Pôle Coop'Sud", "pole", "ptce", location="commune:31446"),
    actor("val", "Pôle Val d'Essai", "pole", "ptce", location="departement:47"),
    actor("jardins", "Les Jardins", "ess", "association", location="commune:31555"),
    actor("scop", "SCOP Bâtisseurs", "ess", "scop", identifiers=[{"scheme": "siren", "value": "552100554"}]),
    actor("hostile", HOSTILE, "ess", "association"),
    actor("plus", "+33 Coop", "enterprise", "pme"),
    actor("moins", "-33 Coop", "ess", "scop"),  # names a spreadsheet would take for formulas
    actor("fab", "=Fab", "ess", "association"),
    actor("region", "Région Occitanie", "collectivite", "region"),
    actor("prefecture", "Préfecture du Lot", "state", "prefecture"),
    actor("fondation", "Fondation Solidaire", "ess", "fondation"),
    actor("elue", "Jeanne Dupont", "person", "elu"),
    relation("membership", "jardins", "pole", "L21", tier="socle", college="fondateurs"),
    relation("membership", "scop", "pole", "L22"),
    relation("membership", "hostile", "pole", "L23", role="@adhérent"),
    relation("carries", "jardins", "pole", "L24", function="structure_porteuse"),
    relation("funds", "region", "pole", "L25", quote="subvention votée sur proposition de Jeanne Dupont",
             amount=30000, year=2015, programme="AAP PTCE"),
    relation("cooperates", "scop", "plus", "L26", start=2014, end=2016, form="mutualisation_moyens"),
    relation("partner", "hostile", "scop", "L27", start="2020-03"),
    relation("governs", "fondation", "jardins", "L28", body="CA", shareholder=True),
    relation("governs", "prefecture", "val", "L29", body="comité de pilotage"),
    relation("supports", "region", "val", "L30", form="co_construction", note="-appui au démarrage"),
    relation("represents", "elue", "region", "L31", mandate="vice-présidente"),
    relation("membership", "elue", "pole", "L32"),
    relation("membership", "moins", "pole", "L33", note=SHARE_NOTE),
    relation("membership", "fab", "val", "L34"),
]
PERSON = "Jeanne Dupont"
#: Relation types FollowTheMoney has a schema for (Membership, Directorship/Ownership, Payment,
#: Employment, Representation); the others are an ``UnknownLink`` that names them in its
#: ``maillage`` object, and come back as they were.
FTM_KEEPS = {"membership", "governs", "funds", "employs", "represents"}


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    d = tmp_path_factory.mktemp("small")
    s = open_store(str(d / "essai.db"))
    load_file(s, write_jsonl(d / "eco.jsonl", ECOSYSTEM), rejects_dir=d / "rejets")
    run = analyse(s)
    yield s, s.metrics(run.id)
    s.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("ref")
    s = open_store(str(d / "ref.db"))
    load_reference(s)
    run = analyse(s)
    yield s, s.metrics(run.id)
    s.close()


def export(sub, fmt, **kw) -> bytes:
    buf = io.BytesIO()
    subgraph_export(sub, fmt, buf, **kw)
    return buf.getvalue()


def fresh_import(tmp_path: Path, data: bytes, name: str, fmt: str):
    path = tmp_path / name
    path.write_bytes(data)
    s = open_store(str(tmp_path / f"{name}.db"))
    report = load_file(s, path, format=fmt, rejects_dir=tmp_path / "rejets")
    return s, report


def ties(store_or_sub, include_persons=True):
    """Multiset of (source name, type, target name, start, end) of a store or a subgraph."""
    if hasattr(store_or_sub, "relations") and isinstance(store_or_sub.relations, list):
        names = {a.id: a.name for a in store_or_sub.actors.values()}
        rels = store_or_sub.relations
    else:
        names = {a.id: a.name for a in store_or_sub.iter_actors(include_persons=include_persons)}
        rels = store_or_sub.relations()
    return Counter((names[r.source], r.type, names[r.target], r.start, r.end)
                   for r in rels if r.source in names and r.target in names)


def _public(sub):
    """The subgraph without natural persons and their ties (what exports keep by default)."""
    actors = {k: a for k, a in sub.actors.items() if not a.personal_data}
    return actors, [r for r in sub.relations if r.source in actors and r.target in actors]


# -- JSON and CSV ---------------------------------------------------------------------------------

def test_json_nodes_and_edges_with_provenance(small):
    store, metrics = small
    sub = store.projection(include_persons=True)
    doc = orjson.loads(export(sub, "json", metrics=metrics))
    actors, rels = _public(sub)
    assert {n["id"] for n in doc["nodes"]} == set(actors)
    assert {e["id"] for e in doc["edges"]} == {r.id for r in rels}
    by_id = {r.id: r for r in rels}
    for e in doc["edges"]:
        r = by_id[e["id"]]
        assert (e["source"], e["target"], e["type"], e["start"], e["end"]) == (r.source, r.target, r.type, r.start,
                                                                               r.end)
        assert e["provenance"]["source"] == r.provenance.source and e["provenance"]["locator"] == r.provenance.locator
        assert e["type_label"] == vocabulary().relation_type(r.type).label("fr")
        assert e["directed"] == vocabulary().relation_type(r.type).directed
    node = {n["label"]: n for n in doc["nodes"]}
    assert node["SCOP Bâtisseurs"]["identifiers"] == {"siren": "552100554"}
    assert node[HOSTILE]["family_label"] == "Structure de l'ESS"  # JSON keeps names as they are
    assert node["Pôle Coop'Sud"]["metrics"]["degree"] == metrics[node["Pôle Coop'Sud"]["id"]]["degree"]
    funds = next(e for e in doc["edges"] if e["type"] == "funds")
    assert funds["fields"]["amount"] == 30000 and funds["start"] == funds["end"] == "2015"
    # the person is out, and so is her name in the quotes
    assert funds["provenance"]["quote"] == "subvention votée sur proposition de [personne 1]"
    en = orjson.loads(export(sub, "json", lang="en"))
    assert {e["type_label"] for e in en["edges"] if e["type"] == "funds"} == {"provides funding to"}


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_edges_csv_read_back(small):
    store, _ = small
    sub = store.projection(include_persons=True)
    rows = _csv_rows(export(sub, "csv"))
    assert tuple(rows[0]) == EDGE_COLUMNS
    actors, rels = _public(sub)
    col = {c: i for i, c in enumerate(rows[0])}
    got = {r[col["id"]]: r for r in rows[1:]}
    assert set(got) == {r.id for r in rels}
    for r in rels:
        row = got[r.id]
        assert unguarded(row[col["source_name"]]) == actors[r.source].name
        assert unguarded(row[col["target_name"]]) == actors[r.target].name
        assert (row[col["type"]], row[col["start"]] or None, row[col["end"]] or None) == (r.type, r.start, r.end)
        assert row[col["provenance_locator"]] == r.provenance.locator
        assert row[col["provenance_document"]] == (r.provenance.document or "")
        if "amount" in r.fields:
            assert float(row[col["amount"]]) == r.fields["amount"]
        other = {k: v for k, v in r.fields.items() if k != "amount"}
        assert (json.loads(row[col["fields"]]) if row[col["fields"]] else {}) == \
            {k: (unguarded(v) if isinstance(v, str) else v) for k, v in other.items()}


def test_nodes_csv_read_back(small):
    store, metrics = small
    sub = store.projection(include_persons=True)
    rows = _csv_rows(export(sub, "nodes.csv", metrics=metrics))
    assert tuple(rows[0][:len(NODE_COLUMNS)]) == NODE_COLUMNS and "degree" in rows[0]
    col = {c: i for i, c in enumerate(rows[0])}
    actors, _ = _public(sub)
    assert {r[0] for r in rows[1:]} == set(actors)
    for r in rows[1:]:
        a = actors[r[0]]
        assert (unguarded(r[col["name"]]), r[col["family"]], r[col["kind"]]) == (a.name, a.family, a.kind)
        assert float(r[col["degree"]]) == metrics[a.id]["degree"]
    assert next(r for r in rows[1:] if r[col["name"]] == "SCOP Bâtisseurs")[col["siren"]] == "552100554"


def test_formula_cells_are_neutralised_in_csv_and_xlsx(small):
    store, _ = small
    sub = store.projection()
    edges = _csv_rows(export(sub, "csv"))
    nodes = _csv_rows(export(sub, "nodes.csv"))
    for rows in (edges, nodes):
        cells = [c for r in rows for c in r]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert "'" + HOSTILE in {r[1] for r in nodes} and "'+33 Coop" in {r[1] for r in nodes}
    fields = [r[EDGE_COLUMNS.index("fields")] for r in edges[1:]]
    assert "@adhérent" in {json.loads(f).get("role") for f in fields if f}  # inside a JSON cell: starts with {
    wb = openpyxl.load_workbook(io.BytesIO(export(sub, "kumu.xlsx")))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)  # never a formula
                if isinstance(c.value, str):
                    texts.append(c.value)
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    assert {"'" + HOSTILE, "'+33 Coop", "'@adhérent", "'-appui au démarrage"} <= set(texts)


# -- GEXF -----------------------------------------------------------------------------------------

GEXF_TYPES = {"integer", "long", "double", "float", "boolean", "string", "liststring", "anyURI"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_gexf_structure(data: bytes) -> ET.Element:
    """What the GEXF 1.3 schema requires of the parts we write (no XSD validator offline)."""
    root = ET.fromstring(data)
    assert root.tag == GEXF + "gexf" and root.get("version") == "1.3"
    assert [c.tag for c in root] == [GEXF + "meta", GEXF + "graph"]
    graph = root.find(GEXF + "graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    assert graph.get("defaultedgetype") in ("directed", "undirected", "mutual")
    tags = [c.tag for c in graph]
    assert tags == [GEXF + "attributes"] * (len(tags) - 2) + [GEXF + "nodes", GEXF + "edges"]
    declared: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for attrs in graph.findall(GEXF + "attributes"):
        cls = attrs.get("class")
        assert cls in declared and attrs.get("mode") in ("static", "dynamic")
        for a in attrs:
            assert a.tag == GEXF + "attribute" and a.get("title") and a.get("type") in GEXF_TYPES
            assert a.get("id") not in declared[cls]
            declared[cls][a.get("id")] = a.get("type")

    def check_values(el, cls):
        box = el.find(GEXF + "attvalues")
        for v in ([] if box is None else box):
            assert v.tag == GEXF + "attvalue"
            t = declared[cls][v.get("for")]  # KeyError: an undeclared attribute
            value = v.get("value")
            if t == "boolean":
                assert value in ("true", "false")
            elif t in ("double", "float"):
                float(value)
            elif t in ("integer", "long"):
                int(value)

    node_ids = set()
    for n in graph.find(GEXF + "nodes"):
        assert n.tag == GEXF + "node" and n.get("id") not in node_ids and n.get("label")
        node_ids.add(n.get("id"))
        assert {c.tag for c in n} <= {GEXF + "attvalues", VIZ + "color"}
        check_values(n, "node")
        colour = n.find(VIZ + "color")
        assert all(0 <= int(colour.get(k)) <= 255 for k in "rgb")
    edge_ids = set()
    for e in graph.find(GEXF + "edges"):
        assert e.tag == GEXF + "edge" and e.get("id") not in edge_ids
        edge_ids.add(e.get("id"))
        assert e.get("source") in node_ids and e.get("target") in node_ids
        assert e.get("type", "directed") in ("directed", "undirected", "mutual")
        for k in ("start", "end"):
            assert e.get(k) is None or DATE.match(e.get(k))
        if e.get("start") and e.get("end"):
            assert e.get("start") <= e.get("end")
        check_values(e, "edge")
    return root


def _gexf_read(data: bytes, tmp_path: Path):
    path = tmp_path / "g.gexf"
    path.write_bytes(data)
    return nx.read_gexf(path)


def test_gexf_reads_back_with_its_time_intervals(small, tmp_path):
    store, metrics = small
    sub = store.projection(include_persons=True)
    data = export(sub, "gexf", metrics=metrics)
    check_gexf_structure(data)
    g = _gexf_read(data, tmp_path)
    actors, rels = _public(sub)
    assert set(g.nodes) == set(actors) and g.graph["mode"] == "dynamic"
    undirected = [r for r in rels if not vocabulary().relation_type(r.type).directed]
    assert g.number_of_edges() == len(rels) + len(undirected)  # "mutual": both ways
    for aid, a in actors.items():
        d = g.nodes[aid]
        assert (d["label"], d["family"], d.get("kind")) == (a.name, a.family, a.kind)
        assert d["degree"] == pytest.approx(metrics[aid]["degree"])
        assert d["is_pole"] == (a.family == "pole")
    edges = {k: (u, v, d) for u, v, k, d in g.edges(keys=True, data=True)}
    assert set(edges) == {r.id for r in rels}
    for r in rels:
        u, v, d = edges[r.id]
        assert {u, v} == {r.source, r.target} and d["type"] == r.type
        assert d["provenance_locator"] == r.provenance.locator and d["provenance_source"] == r.provenance.source
        assert (d.get("start"), d.get("end")) == gexf_interval(r.start, r.end)
    ids = {a.name: k for k, a in actors.items()}
    coop = next(d for u, v, d in g.edges(data=True) if d["type"] == "cooperates")
    assert (coop["start"], coop["end"]) == ("2014-01-01", "2016-12-31")  # 2014–2016, both years whole
    funds = next(d for u, v, d in g.edges(data=True) if d["type"] == "funds")
    assert (funds["start"], funds["end"], funds["amount"]) == ("2015-01-01", "2015-12-31", 30000.0)
    partner = next(d for u, v, d in g.edges(data=True) if d["type"] == "partner")
    assert partner["start"] == "2020-01-01" and "end" not in partner  # open end
    member = g.get_edge_data(ids["SCOP Bâtisseurs"], ids["Pôle Coop'Sud"])
    assert all("start" not in d and "end" not in d for d in member.values())  # undated: whole span


def test_gexf_interval_is_whole_years():
    assert gexf_interval("2014-06-30", "2016-02") == ("2014-01-01", "2016-12-31")
    assert gexf_interval(None, "2016") == (None, "2016-12-31")


# -- GraphML --------------------------------------------------------------------------------------

def test_graphml_reads_back_with_typed_attributes(small, tmp_path):
    store, metrics = small
    sub = store.projection(include_persons=True)
    data = export(sub, "graphml", metrics=metrics)
    root = ET.fromstring(data)
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.findall(ns + "key")}
    assert keys[("node", "family")] == "string" and keys[("node", "placeholder")] == "boolean"
    # degree is a count: integer-typed (networkx writes a Python int as "long"), values without « .0 »
    assert keys[("node", "degree")] == "long" and keys[("edge", "amount")] == "double"
    assert keys[("edge", "directed")] == "boolean"
    path = tmp_path / "g.graphml"
    path.write_bytes(data)
    g = nx.read_graphml(path)
    actors, rels = _public(sub)
    assert set(g.nodes) == set(actors) and g.number_of_edges() == len(rels)
    for aid, a in actors.items():
        d = g.nodes[aid]
        assert (d["label"], d["family"], d.get("kind"), d["placeholder"]) == (a.name, a.family, a.kind, a.placeholder)
        assert d["degree"] == metrics[aid]["degree"]
    edges = {k: (u, v, d) for u, v, k, d in g.edges(keys=True, data=True)}
    assert set(edges) == {r.id for r in rels}
    for r in rels:
        u, v, d = edges[r.id]
        assert (u, v, d["type"], d.get("start_date"), d.get("end_date")) == (r.source, r.target, r.type, r.start, r.end)
        assert d["directed"] == vocabulary().relation_type(r.type).directed
        other = {k: x for k, x in r.fields.items() if k != "amount"}
        assert (json.loads(d["fields"]) if "fields" in d else {}) == other
        assert d.get("amount") == r.fields.get("amount")


# -- Kumu and FollowTheMoney ----------------------------------------------------------------------

def test_kumu_workbook_reimports_with_the_same_actors_and_ties(small, tmp_path):
    store, metrics = small
    sub = store.projection(include_persons=True)
    actors, rels = _public(sub)
    s2, report = fresh_import(tmp_path, export(sub, "kumu.xlsx", metrics=metrics), "carte.xlsx", "kumu")
    try:
        assert report.rejected == 0 and report.warnings == 0, report
        back = {a.name: a for a in s2.iter_actors(include_persons=True)}  # as stored: no guard left
        assert len(back) == len(actors) and len(s2.relations()) == len(rels)
        for a in actors.values():
            b = back[a.name]
            assert (b.family, b.kind, b.identifiers) == (a.family, a.kind, a.identifiers)
            if a.location:  # a commune by its INSEE code, a département by its name
                assert b.location == a.location
        assert ties(s2) == ties(type(sub)(actors=actors, relations=rels))
        names = {b.id: n for n, b in back.items()}
        by_tie = {(names[r.source], r.type, names[r.target]): r for r in s2.relations()}
        for r in rels:
            b = by_tie[(actors[r.source].name, r.type, actors[r.target].name)]
            assert b.fields == r.fields
        assert {"-33 Coop", "=Fab", "+33 Coop", HOSTILE} <= set(back)
        member = by_tie[("-33 Coop", "membership", "Pôle Coop'Sud")]
        assert member.fields["note"] == SHARE_NOTE
    finally:
        s2.close()


@pytest.mark.parametrize("fmt", ["kumu", None])
def test_actors_csv_reimports_with_the_names_as_stored(small, tmp_path, fmt):
    """``nodes.csv`` read back as Kumu elements or as the list the format detection takes it for:
    the names that a spreadsheet would take for formulas come back without their guard."""
    store, _ = small
    sub = store.projection()
    s2, report = fresh_import(tmp_path, export(sub, "nodes.csv", delimiter=";"), "acteurs.csv", fmt)
    try:
        assert report.rejected == 0, report
        assert {a.name for a in s2.iter_actors()} == {a.name for a in _public(sub)[0].values()}
        assert {"-33 Coop", "=Fab", "+33 Coop", HOSTILE} <= {a.name for a in s2.iter_actors()}
    finally:
        s2.close()


def test_ftm_lines_reimport_with_the_same_actors_and_ties(small, tmp_path):
    store, _ = small
    sub = store.projection(include_persons=True)
    actors, rels = _public(sub)
    data = export(sub, "ftm.jsonl")
    entities = [orjson.loads(x) for x in data.splitlines()]
    assert all(set(e) >= {"id", "schema", "properties"} for e in entities)
    assert all(isinstance(v, list) for e in entities for v in e["properties"].values())
    s2, report = fresh_import(tmp_path, data, "entites.ftm.jsonl", "ftm")
    try:
        assert report.rejected == 0 and report.warnings == 0, report
        back = {a.name: a for a in s2.iter_actors(include_persons=True)}
        assert set(back) == {a.name for a in actors.values()}
        assert len(s2.relations()) == len(rels)
        assert ties(s2) == Counter((actors[r.source].name, r.type, actors[r.target].name, r.start, r.end)
                                   for r in rels)
        named = [(e["schema"], e["maillage"]["type"]) for e in entities if "type" in e.get("maillage", {})]
        assert named and all(s == "UnknownLink" and t not in FTM_KEEPS for s, t in named)
        funds = next(r for r in s2.relations() if r.type == "funds")
        assert (funds.fields["amount"], funds.fields["year"], funds.fields["programme"]) == (30000.0, 2015, "AAP PTCE")
        owner = next(r for r in s2.relations() if r.type == "governs" and r.fields.get("shareholder"))
        assert {a.id: a.name for a in back.values()}[owner.source] == "Fondation Solidaire"
        # a tie's note, written as the FtM ``description``, comes back as its note
        support = next(r for r in s2.relations() if r.type == "supports")
        assert support.fields == {"note": "-appui au démarrage", "form": "co_construction"}
        assert (back["Région Occitanie"].family, back["Préfecture du Lot"].family) == ("collectivite", "state")
        assert back["SCOP Bâtisseurs"].family == "ess" and [i.value for i in back["SCOP Bâtisseurs"].identifiers] \
            == ["552100554"]
        # each actor's family and kind, by the classification the export writes (the kind's label)
        assert {n: (b.family, b.kind) for n, b in back.items()} == \
            {a.name: (a.family, a.kind) for a in actors.values()}
    finally:
        s2.close()


@pytest.mark.parametrize("fmt,loader", [("kumu.xlsx", "kumu"), ("ftm.jsonl", "ftm")])
def test_real_subsidies_reimport_with_the_same_families_and_kinds(shared, tmp_path, fmt, loader):
    """The Haute-Garonne SCDL file's actors come back as they were: the « CA du Sicoval » an
    intercommunalité (not a State body: its name does not say « communauté d'agglomération »),
    the « Commune de Roques » a commune, the associations associations."""
    s = open_store(str(tmp_path / "hg.db"))
    load_file(s, shared / "realdata/scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv",
              rejects_dir=tmp_path / "rejets")
    sub = s.projection()
    s2, report = fresh_import(tmp_path, export(sub, fmt), f"hg.{fmt}", loader)
    try:
        assert report.rejected == 0, report
        kinds = Counter((a.family, a.kind) for a in sub.actors.values())
        assert kinds[("collectivite", "epci")] == 1 and kinds[("other", None)] > 10
        assert {a.name: (a.family, a.kind) for a in s2.iter_actors()} == \
            {a.name: (a.family, a.kind) for a in sub.actors.values()}
    finally:
        s2.close()
        s.close()


# -- persons --------------------------------------------------------------------------------------

def _all_text(fmt: str, data: bytes) -> str:
    if fmt == "kumu.xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join(str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value)
    return data.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_persons_only_with_include_persons(small, fmt):
    store, _ = small
    sub = store.projection(include_persons=True)
    person_id = next(a.id for a in sub.actors.values() if a.personal_data)
    default = _all_text(fmt, export(sub, fmt))
    assert PERSON not in default and person_id not in default
    included = _all_text(fmt, export(sub, fmt, include_persons=True))
    assert PERSON in included
    if fmt not in ("csv", "ftm.jsonl"):  # the edges CSV and FtM lines hold no metrics
        assert person_id in included


def test_persons_and_their_ties_reimport_when_included(small, tmp_path):
    store, _ = small
    sub = store.projection(include_persons=True)
    for fmt, loader in (("kumu.xlsx", "kumu"), ("ftm.jsonl", "ftm")):
        s2, _ = fresh_import(tmp_path, export(sub, fmt, include_persons=True), f"p.{fmt}", loader)
        try:
            persons = [a for a in s2.iter_actors(include_persons=True) if a.personal_data]
            assert [a.name for a in persons] == [PERSON]
            assert len(s2.relations()) == len(sub.relations)
        finally:
            s2.close()


# -- the reference dataset --------------------------------------------------------------------------

def test_reference_json_gexf_graphml(reference, tmp_path):
    store, metrics = reference
    sub = store.projection(include_persons=True)
    actors, rels = _public(sub)
    doc = orjson.loads(export(sub, "json", metrics=metrics))
    assert len(doc["nodes"]) == len(actors) and len(doc["edges"]) == len(rels)
    assert all(e["provenance"]["source"].startswith("reference:") and e["provenance"]["locator"]
               for e in doc["edges"])
    data = export(sub, "gexf", metrics=metrics)
    check_gexf_structure(data)
    g = _gexf_read(data, tmp_path)
    undirected = sum(1 for r in rels if not vocabulary().relation_type(r.type).directed)
    assert g.number_of_nodes() == len(actors) and g.number_of_edges() == len(rels) + undirected
    assert {n: d["family"] for n, d in g.nodes(data=True)} == {k: a.family for k, a in actors.items()}
    dated = [r for r in rels if r.start or r.end]
    assert dated
    got = {k: (d.get("start"), d.get("end")) for _, _, k, d in g.edges(keys=True, data=True)}
    assert all(got[r.id] == gexf_interval(r.start, r.end) for r in rels)
    path = tmp_path / "ref.graphml"
    path.write_bytes(export(sub, "graphml", metrics=metrics))
    h = nx.read_graphml(path)
    assert h.number_of_nodes() == len(actors) and h.number_of_edges() == len(rels)
    assert {k: d["type"] for _, _, k, d in h.edges(keys=True, data=True)} == {r.id: r.type for r in rels}
    pr = {n: d.get("pagerank") for n, d in h.nodes(data=True)}
    assert all(pr[k] == pytest.approx(metrics[k]["pagerank"]) for k in actors if "pagerank" in metrics.get(k, {}))


#: Actors of the reference dataset that the loaders' entity resolution merges on re-import, and
#: why. Kumu: the loader infers the territory a collectivité administers from its name, and maps
#: a former region to the current one (Champagne-Ardenne and Lorraine → region:44), so rule 2
#: (same territory) merges them. FtM: the loader keeps no place, so the pôle "Val'Horizon"
#: (Lot-et-Garonne) and the association "Val Horizon" (Ain) share a name key with no place to
#: tell them apart (rule 3). Changes needed in the loaders, not in the exports.
RESOLUTION_MERGES = {
    "kumu": 0,  # (former régions are no longer read as the collectivité of today's région)
    "ftm": 0,   # (the FtM loader locates actors by their address: Val'Horizon (47) ≠ Val Horizon (01))
}


@pytest.mark.parametrize("fmt,loader", [("kumu.xlsx", "kumu"), ("ftm.jsonl", "ftm")])
@pytest.mark.parametrize("include_persons", [False, True])
def test_reference_reimports_through_our_loaders(reference, tmp_path, fmt, loader, include_persons):
    store, _ = reference
    sub = store.projection(include_persons=True)
    actors, rels = (dict(sub.actors), list(sub.relations)) if include_persons else _public(sub)
    s2, report = fresh_import(tmp_path, export(sub, fmt, include_persons=include_persons), f"ref.{fmt}", loader)
    # a tie of an actor with itself (the Pôle tarnais carried by « Les Ateliers », both resolved to
    # the Ateliers de Castres) is exported, and kept on re-import as every loader keeps one: as
    # stated, with a warning, left out of analyses
    self_ties = [r for r in rels if r.source == r.target]
    try:
        assert report.rejected == 0 and len(self_ties) == 1, report
        (back_self,) = [r for r in s2.relations() if r.source == r.target]
        assert back_self.type == self_ties[0].type
        assert s2.get_actor(back_self.source).name == actors[self_ties[0].source].name
        back = list(s2.iter_actors(include_persons=True))
        # persons the reference's sources name alike with nothing else in common are two actors
        # until reviewed (docs/resolution.md); in one Kumu file, they are one person again; an FtM
        # file gives them two ids, which are two entities there: they stay two
        persons = [a for a in actors.values() if a.family == "person"]
        homonyms = len(persons) - len({name_key(a.name) for a in persons})
        assert homonyms == (4 if include_persons else 0)
        assert len(back) == len(actors) - RESOLUTION_MERGES[loader] - (homonyms if loader == "kumu" else 0)
        # every actor is there under its own name, but those the resolution merged into another
        missing = {a.name for a in actors.values()} - {b.name for b in back}
        assert len(missing) == RESOLUTION_MERGES[loader]
        # ties: one per statement, but a file states a tie once (the same tie stated by two
        # reference documents is one connection on re-import)
        distinct = {(r.type, r.source, r.target, tuple(sorted(r.fields.items())), r.start, r.end) for r in rels}
        expected = len(rels) if loader == "ftm" else len(distinct)
        assert len(s2.relations()) == expected
        assert Counter(r.type for r in s2.relations()) == \
            (Counter(t for t, *_ in distinct) if loader == "kumu" else Counter(r.type for r in rels))
    finally:
        s2.close()


@pytest.mark.parametrize("fmt,loader", [("kumu.xlsx", "kumu"), ("ftm.jsonl", "ftm")])
def test_reference_reimport_keeps_every_actor(reference, tmp_path, fmt, loader):
    store, _ = reference
    sub = store.projection()
    s2, _ = fresh_import(tmp_path, export(sub, fmt), f"ref.{fmt}", loader)
    try:
        assert sum(1 for _ in s2.iter_actors(include_persons=True)) == len(sub.actors)
    finally:
        s2.close()


@pytest.fixture(scope="module")
def reference_kumu(reference, tmp_path_factory):
    """The reference dataset's public graph, exported as a Kumu workbook and loaded into a fresh store."""
    store, _ = reference
    actors, rels = _public(store.projection(include_persons=True))
    s2, _ = fresh_import(tmp_path_factory.mktemp("refkumu"), export(store.projection(), "kumu.xlsx"),
                         "carte.kumu.xlsx", "kumu")
    yield actors, rels, s2
    s2.close()


def test_kumu_reimport_keeps_each_actor_in_its_place(reference_kumu):
    """A département's name is also a commune's (Vaucluse, Landes, La Réunion…): the place comes
    back as the territory the export wrote, not as a homonymous commune."""
    actors, _, s2 = reference_kumu
    back = {a.name: a for a in s2.iter_actors()}
    moved = [(a.name, a.location, back[a.name].location) for a in actors.values()
             if a.location and back[a.name].location != a.location]
    assert moved == []
    # and a collectivité the territory it administers (« Conseil départemental de Vaucluse
    # ('le Département') »: its name alone does not say it), which the resolution matches on
    lost = [(a.name, a.territory, back[a.name].territory) for a in actors.values()
            if a.territory and back[a.name].territory != a.territory]
    assert lost == []
    assert sum(1 for a in actors.values() if (a.location or "").startswith("departement:")) > 10


def test_kumu_reimport_keeps_placeholders_and_groups(reference_kumu):
    """« les Missions locales », « 4 Communautés de Communes (non nommées) » stay actors named by
    their type only (left out by ``placeholders="drop"``, never merged on a name)."""
    actors, _, s2 = reference_kumu
    back = {a.name: a for a in s2.iter_actors()}
    placeholders = {a.name for a in actors.values() if a.placeholder}
    groups = {a.name: a.group_count for a in actors.values() if a.group_count}
    assert len(placeholders) > 20 and groups
    assert {n for n, b in back.items() if b.placeholder} == placeholders
    assert {n: b.group_count for n, b in back.items() if b.group_count} == groups


def test_kumu_reimport_keeps_the_certainty_of_each_statement(reference_kumu):
    """A tie only announced (``planned``, left out of every pôle figure) or inferred by the
    extraction does not come back as stated by the source."""
    actors, rels, s2 = reference_kumu
    names = {a.id: a.name for a in s2.iter_actors()}
    stated = Counter((actors[r.source].name, r.type, actors[r.target].name, r.provenance.certainty) for r in rels)
    back = Counter((names[r.source], r.type, names[r.target], r.provenance.certainty) for r in s2.relations())
    assert {c for *_, c in stated} == {"stated", "implied", "inferred", "planned"}
    assert set(back) == set(stated)


def test_actors_csv_reimports_as_kumu_elements_with_kinds_and_places(reference, tmp_path):
    """``nodes.csv`` read as Kumu elements (``--format kumu``): its type column is the family's
    code (``ess``), which gives no kind — 414 actors of the reference came back without theirs —
    and its place is the territory id (``location``)."""
    store, _ = reference
    actors, _ = _public(store.projection(include_persons=True))
    s2, report = fresh_import(tmp_path, export(store.projection(), "nodes.csv"), "acteurs.csv", "kumu")
    try:
        assert report.rejected == 0
        back = {a.name: a for a in s2.iter_actors()}
        lost = [(a.name, a.kind, back[a.name].kind) for a in actors.values()
                if a.kind and back[a.name].family == a.family and back[a.name].kind != a.kind]
        assert lost == []
        assert [a.name for a in actors.values() if a.location and back[a.name].location != a.location] == []
        assert {n for n, b in back.items() if b.placeholder} == {a.name for a in actors.values() if a.placeholder}
    finally:
        s2.close()


# -- the module -----------------------------------------------------------------------------------

def test_every_format_is_written_and_unknown_ones_refused(small):
    store, _ = small
    sub = store.projection()
    for fmt in EXPORT_FORMATS:
        assert export(sub, fmt)
    with pytest.raises(ValueError, match="kumu.xlsx"):
        export(sub, "pdf")
    with pytest.raises(ValueError, match="lang"):
        export(sub, "json", lang="de")


def test_doctests():
    assert doctest.testmod(exports).failed == 0


# -- FollowTheMoney: what FtM has no property for ---------------------------------------------------

HG_SCDL = "realdata/scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv"
TIERS_LIEUX = "realdata/tiers-lieux-numerique/03_tiers_lieux.csv"


@pytest.fixture(scope="module")
def reference_ftm(tmp_path_factory):
    """The reference dataset, the Haute-Garonne SCDL file and the tiers-lieux list in one store,
    exported as FtM lines and loaded into a fresh store (the round trip h123 found lossy)."""
    from _env import need_shared

    shared = need_shared()
    d = tmp_path_factory.mktemp("refftm")
    s = open_store(str(d / "a.db"))
    load_reference(s)
    for f in (HG_SCDL, TIERS_LIEUX):
        load_file(s, shared / f, rejects_dir=d / "rejets")
    s2, report = fresh_import(d, export(s.projection(), "ftm.jsonl"), "x.ftm.jsonl", "ftm")
    yield s, s2, report
    s2.close()
    s.close()


def test_ftm_reimport_keeps_placeholders_groups_and_territories(reference_ftm):
    """« les Missions locales », « 4 Communautés de Communes (non nommées) » stay named by their
    type only (32 came back as named actors), groups keep their count, a collectivité the
    territory it administers (55 lost it)."""
    s, s2, _ = reference_ftm
    before, back = {a.name: a for a in s.iter_actors()}, {a.name: a for a in s2.iter_actors()}
    placeholders = {n for n, a in before.items() if a.placeholder}
    assert len(placeholders) >= 32
    assert {n for n, b in back.items() if b.placeholder} == placeholders
    groups = {n: a.group_count for n, a in before.items() if a.group_count}
    assert groups and {n: b.group_count for n, b in back.items() if b.group_count} == groups
    territories = {n: a.territory for n, a in before.items() if a.territory}
    assert len(territories) > 50 and {n: b.territory for n, b in back.items() if b.territory} == territories


def _statements(store):
    names = {a.id: a.name for a in store.iter_actors()}
    return Counter((names[r.source], r.type, names[r.target], r.start, r.end, r.provenance.certainty,
                    tuple(sorted(r.fields.items())))
                   for r in store.relations() if r.source in names and r.target in names)


def test_ftm_reimport_keeps_each_statement_whole(reference_ftm):
    """Every tie comes back with its type, fields, dates and certainty: a tie only announced
    (``planned``, left out of the pôles' figures) does not come back as stated, a grant keeps its
    status (accordée, refusée, demandée), share and nature, the SCDL payment period its dates, a
    partnership its type (not ``related``) and its form."""
    s, s2, report = reference_ftm
    assert report.rejected == 0
    before, back = _statements(s), _statements(s2)
    assert {c for (*_, c, _f) in before} == {"stated", "implied", "inferred", "planned"}
    assert sum(1 for (_, t, _, _, _, _, f) in before if t == "funds" and dict(f).get("status")) > 60
    assert back == before
    hg = [k for k in back if k[0] == "Commune de Roques" and k[1] == "funds"]
    assert hg and all((k[3], k[4]) != (None, None) and k[3][:4] == str(dict(k[6])["year"]) for k in hg)
