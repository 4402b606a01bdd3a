"""The command line against Neo4j (`maillage --store bolt://…`): `sources`, `export` of a pôle
named as people write it, and `remove` give what they give on the embedded store."""

from __future__ import annotations

import json

import networkx as nx
from neo4j_fixtures import empty_neo4j_store
from typer.testing import CliRunner

from maillage.cli import app
from maillage.graph import open_store
from maillage.loaders import load_reference


def cli(store, *args):
    r = CliRunner().invoke(app, ["--store", store, *args])
    assert r.exit_code == 0, r.output
    return r.output


def test_sources_export_and_remove_match_the_embedded_store(neo4j_uri, tmp_path):
    embedded = str(tmp_path / "ref.db")
    for uri in (neo4j_uri, embedded):
        s = empty_neo4j_store(uri) if uri == neo4j_uri else open_store(uri)
        load_reference(s)
        s.close()
    listed = {uri: [x["id"] for x in json.loads(cli(uri, "sources", "--json"))] for uri in (neo4j_uri, embedded)}
    assert listed[neo4j_uri] == listed[embedded] and len(listed[embedded]) == 4
    graphs = {}
    for uri, name in ((neo4j_uri, "neo4j"), (embedded, "sqlite")):
        out = tmp_path / f"{name}.graphml"
        cli(uri, "export", "-f", "graphml", "--pole", "le périscope", "-o", str(out))
        g = nx.read_graphml(out)
        graphs[name] = (set(g.nodes), {k for _, _, k in g.edges(keys=True)})
    assert graphs["neo4j"] == graphs["sqlite"] and len(graphs["sqlite"][0]) > 10
    last = listed[embedded][-1]
    said = {uri: " ".join(cli(uri, "remove", last, "--yes").split()) for uri in (neo4j_uri, embedded)}
    assert said[neo4j_uri] == said[embedded].replace(embedded, neo4j_uri) and f"{last} retirée :" in said[embedded]
    after = {uri: json.loads(cli(uri, "stats", "--json")) for uri in (neo4j_uri, embedded)}
    keys = ("actors", "relations", "sources", "statements")
    assert {k: after[neo4j_uri][k] for k in keys} == {k: after[embedded][k] for k in keys}
    assert after[embedded]["sources"] == 3
