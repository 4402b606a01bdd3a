"""The Cypher catalogue (``maillage/queries/*.cypher``) on a live Neo4j holding the reference
dataset: each query gives the concrete answer the reference documents support, and agrees
with the same question asked through the store interface of the embedded store."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

import networkx as nx
import pytest

from maillage.graph.neo4j_store import TYPES
from maillage.graph.projection import lens_types, to_graph
from maillage.graph.vocabulary import vocabulary
from maillage.queries import catalogue, run

TESTED = {"ego_network", "pole_subgraph", "territory_actors", "isolated_actors", "shortest_cooperation_path",
          "co_funding", "pole_overlaps", "relation_provenance"}


def one(store, name: str) -> str:
    (aid,) = store.find_by_name(name)
    return aid


# -- the catalogue itself (no server needed) ---------------------------------------------------

def test_every_query_is_tested_and_documents_exactly_the_parameters_it_uses():
    assert set(catalogue()) == TESTED
    for q in catalogue().values():
        assert q.title and q.params, q.name
        assert q.used() == set(q.params), f"{q.name}: header documents {sorted(q.params)}, text uses {sorted(q.used())}"
        assert "Returns:" in q.text, q.name


def test_shortest_path_follows_the_vocabulary_cooperation_lens():
    q = catalogue()["shortest_cooperation_path"].text
    (types,) = re.findall(r"shortestPath\(\(a\)-\[:([A-Z_|]+)\*", q)
    assert set(types.split("|")) == {TYPES[t] for t in vocabulary().types_in_lens("cooperation")}
    doc = catalogue()["isolated_actors"].text
    assert all(f'"{TYPES[t]}"' in doc for t in vocabulary().types_in_lens("cooperation"))


def test_run_names_missing_and_unknown_parameters():
    from maillage.graph import open_store

    with pytest.raises(ValueError, match=r"\['actor_id'\] are required"):
        run(object(), "ego_network")
    with pytest.raises(ValueError, match="unknown parameters.*'actorid'"):
        run(object(), "ego_network", actorid="x")
    with pytest.raises(KeyError, match="no query 'nope'"):
        run(object(), "nope")
    with open_store(":memory:") as s, pytest.raises(TypeError, match="needs a Neo4j store"):
        run(s, "co_funding")


# -- on the reference dataset ------------------------------------------------------------------

def test_ego_network_matches_the_store_neighbourhood(reference_neo4j, reference_sqlite):
    periscope = one(reference_neo4j, "Le Périscope")
    rows = run(reference_neo4j, "ego_network", actor_id=periscope, depth=1)
    by_name = {r["name"]: r for r in rows}
    assert by_name["ACCESS"]["distance"] == 1 and by_name["ACCESS"]["via"] == ["membership"]
    assert all(r["family"] != "person" for r in rows)
    expected = set(reference_sqlite.neighbourhood(periscope, depth=1).actors) - {periscope}
    assert {r["id"] for r in rows} == expected and len(rows) > 30
    rows2 = run(reference_neo4j, "ego_network", actor_id=periscope, depth=2)
    assert {r["id"] for r in rows2} == set(reference_sqlite.neighbourhood(periscope, depth=2).actors) - {periscope}
    assert {r["distance"] for r in rows2} == {1, 2} and len(rows2) > len(rows)
    with_persons = run(reference_neo4j, "ego_network", actor_id=periscope, depth=1, include_persons=True)
    assert len(with_persons) > len(rows)


def test_pole_subgraph_matches_the_store(reference_neo4j, reference_sqlite):
    periscope = one(reference_neo4j, "Le Périscope")
    rows = run(reference_neo4j, "pole_subgraph", pole_id=periscope, year=None)
    got = {(r["source_id"], r["type"], r["target_id"], r["stated_by"], r["locator"]) for r in rows}
    sub = reference_sqlite.pole_subgraph(periscope)
    assert got == {(r.source, r.type, r.target, r.provenance.source, r.provenance.locator) for r in sub.relations}
    assert len(rows) == len(got) > 30
    assert any(r["type"] == "membership" and r["source"] == "ACCESS" and r["target"] == "Le Périscope" for r in rows)
    sub_2016 = reference_sqlite.pole_subgraph(periscope, as_of=2016)
    rows_2016 = run(reference_neo4j, "pole_subgraph", pole_id=periscope, year=2016)
    assert len(rows_2016) == len(sub_2016.relations)


def test_territory_actors_roll_up(reference_neo4j, reference_sqlite):
    rows = run(reference_neo4j, "territory_actors", territory_id="departement:31")
    ids = [r["id"] for r in rows]
    assert sorted(ids) == reference_sqlite.actors_in_territory("departement:31")
    names = {r["name"] for r in rows}
    assert "Le Périscope" in names  # Ramonville-Saint-Agne (commune:31446), in the Sicoval
    assert "Pôle Sud Aquitain (PTCE Sud Aquitain)" not in names  # in the Landes
    region = {r["id"] for r in run(reference_neo4j, "territory_actors", territory_id="region:76")}
    assert set(ids) < region  # Haute-Garonne is in Occitanie
    poles = run(reference_neo4j, "territory_actors", territory_id="region:76", family="pole")
    assert poles and all(r["family"] == "pole" for r in poles)
    assert run(reference_neo4j, "territory_actors", territory_id="commune:99999") == []


def test_isolated_actors_are_those_without_a_cooperation_tie(reference_neo4j, reference_sqlite):
    rows = run(reference_neo4j, "isolated_actors")
    g = to_graph(reference_sqlite.projection(types=lens_types("cooperation")))
    expected = {n for n in g.nodes if g.degree(n) == 0 and not g.nodes[n]["placeholder"]}
    assert {r["id"] for r in rows} == expected and len(rows) > 20
    funders_only = [r for r in rows if r["other_types"] == ["funds"]]
    assert funders_only and all(r["other_ties"] >= 1 for r in funders_only)
    dep31 = run(reference_neo4j, "isolated_actors", territory_id="departement:31")
    assert {r["id"] for r in dep31} == expected & set(reference_sqlite.actors_in_territory("departement:31"))


def test_shortest_cooperation_path(reference_neo4j, reference_sqlite):
    periscope, aquitain = one(reference_neo4j, "Le Périscope"), one(reference_neo4j, "Pôle Sud Aquitain (PTCE Sud Aquitain)")
    (row,) = run(reference_neo4j, "shortest_cooperation_path", from_id=periscope, to_id=aquitain)
    g = to_graph(reference_sqlite.projection(types=lens_types("cooperation")))
    assert row["hops"] == nx.shortest_path_length(g, periscope, aquitain) == 2
    assert row["actors"][0] == "Le Périscope" and row["actors"][-1] == "Pôle Sud Aquitain (PTCE Sud Aquitain)"
    assert len(row["ties"]) == 2 and set(row["ties"]) <= set(lens_types("cooperation"))
    isolated = run(reference_neo4j, "isolated_actors")[0]["id"]
    assert run(reference_neo4j, "shortest_cooperation_path", from_id=periscope, to_id=isolated) == []


def test_co_funding(reference_neo4j, reference_sqlite):
    rows = run(reference_neo4j, "co_funding", min_shared=2)
    assert [(r["funder_1"], r["funder_2"], r["shared"]) for r in rows] == [
        ("Caisse des Dépôts", "L'État", 2), ("L'État", "l'ADEME", 2)]
    assert rows[0]["beneficiaries"] == ["DLA (Dispositif Local d'Accompagnement)", "Pôle Sud Aquitain (PTCE Sud Aquitain)"]
    funded = defaultdict(set)
    for r in reference_sqlite.relations(types=["funds"]):
        funded[r.source].add(r.target)
    pairs = {tuple(sorted((a, b))) for a, b in combinations(funded, 2) if funded[a] & funded[b]}
    assert {(r["funder_1_id"], r["funder_2_id"]) for r in run(reference_neo4j, "co_funding")} == pairs


def test_pole_overlaps(reference_neo4j, reference_sqlite):
    rows = run(reference_neo4j, "pole_overlaps", types=["MEMBERSHIP"], min_shared=2)
    assert [(r["pole_1"], r["pole_2"], r["shared"]) for r in rows] == [("Le Périscope", "Pôle Sud Archer", 2)]
    assert rows[0]["actors"] == ["Démarche nationale PTCE (pilotée par le Labo de l'ESS)", "La NEF"]
    poles = {a.id for a in reference_sqlite.iter_actors() if a.family == "pole"}
    persons = reference_sqlite._person_ids()
    tied = defaultdict(set)
    for r in reference_sqlite.relations(types=["membership"]):
        for p, a in ((r.source, r.target), (r.target, r.source)):
            if p in poles and a != p and a not in persons:
                tied[p].add(a)
    expected = {tuple(sorted((p, q))) for p, q in combinations(tied, 2) if (tied[p] & tied[q]) - {p, q}}
    got = run(reference_neo4j, "pole_overlaps", types=["MEMBERSHIP"])
    assert {(r["pole_1_id"], r["pole_2_id"]) for r in got} == expected


def test_relation_provenance_says_which_sources_state_a_tie(reference_neo4j, reference_sqlite):
    etat, cc = one(reference_neo4j, "État"), one(reference_neo4j, "Culture & Coopération")
    rows = run(reference_neo4j, "relation_provenance", from_id=etat, to_id=cc, type="FUNDS")
    expected = [r for r in reference_sqlite.relations(types=["funds"], touching=[etat]) if r.target == cc]
    assert len(rows) == len(expected) >= 1
    assert {(r["stated_by"], r["locator"], r["quote"]) for r in rows} == {
        (r.provenance.source, r.provenance.locator, r.provenance.quote) for r in expected}
    row = rows[0]
    assert row["type"] == "funds" and (row["from_id"], row["to_id"]) == (etat, cc)
    assert row["stated_by"].startswith("reference:") and row["quote"] and re.fullmatch(r"[0-9a-f]{64}", row["source_sha256"])
    assert run(reference_neo4j, "relation_provenance", from_id=etat, to_id=cc, type="MEMBERSHIP") == []
