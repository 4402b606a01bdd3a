"""A person keeps its number (« [personne 2] ») when a source loaded before it is removed, on Neo4j
as on the embedded store: the numbers are kept in a ``:MaillageMeta`` node (docs/privacy.md, « One
number per person »)."""

from __future__ import annotations

from neo4j_fixtures import empty_neo4j_store
from typer.testing import CliRunner

from _person_sources import interview
from maillage.analytics.run import person_groups, person_masker
from maillage.cli import app
from maillage.graph import open_store
from maillage.loaders import load_file



def test_a_person_keeps_its_number_on_both_stores_when_an_earlier_source_is_removed(neo4j_uri, tmp_path):
    files = [interview(tmp_path, "entretien-Marie-Durand.jsonl", "marie", "Marie Durand"),
             interview(tmp_path, "entretien-Didier-Cognon.jsonl", "didier", "Didier Cognon")]
    embedded = str(tmp_path / "base.db")
    for uri in (neo4j_uri, embedded):
        s = empty_neo4j_store(uri) if uri == neo4j_uri else open_store(uri)
        for f in files:
            load_file(s, f)
        assert person_groups(s) == [("Marie Durand",), ("Didier Cognon",)]
        s.close()
        r = CliRunner().invoke(app, ["--store", uri, "remove", "maillage-jsonl:entretien-Marie-Durand.jsonl", "--yes"])
        assert r.exit_code == 0, r.output
    kept = {}
    for uri in (neo4j_uri, embedded):
        with open_store(uri) as s:
            groups = person_groups(s)
            assert groups == [(), ("Didier Cognon",)], (uri, groups)
            assert person_masker(groups)("entretien-Didier-Cognon.jsonl") == "entretien-[personne 2].jsonl"
            last, numbers = s.person_numbering()
            kept[uri] = (last, sorted(numbers.values()))
    assert kept[neo4j_uri] == kept[embedded] == (2, [2])


def test_another_client_sees_the_numbers_with_the_write_and_a_removal_from_python_keeps_them(neo4j_uri, tmp_path):
    """The numbers are written in the write's transaction (for a write in several transactions, the
    last one): another client sees them as soon as the write returns. ``Store.remove_source``
    called from Python renumbered the persons after the source: Didier Cognon became « [personne 1] »."""
    from maillage.graph.neo4j_store import Neo4jStore

    marie = interview(tmp_path, "entretien-Marie-Durand.jsonl", "marie", "Marie Durand")
    didier = interview(tmp_path, "entretien-Didier-Cognon.jsonl", "didier", "Didier Cognon")
    for options in ({}, {"tx_rows": 0, "chunk_rows": 3}):  # one transaction; several
        s = empty_neo4j_store(neo4j_uri, **options)
        other = Neo4jStore(neo4j_uri)
        try:
            load_file(s, marie)
            load_file(s, didier)
            assert person_groups(other) == [("Marie Durand",), ("Didier Cognon",)]
            s.remove_source("maillage-jsonl:entretien-Marie-Durand.jsonl")
            assert person_groups(other) == [(), ("Didier Cognon",)], options
            last, numbers = other.person_numbering()
            assert (last, sorted(numbers.values())) == (2, [2])
        finally:
            other.close()
            s.close()
