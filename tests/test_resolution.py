"""Entity resolution rules, one test per rule, on a real (in-memory) store."""

from __future__ import annotations

import pytest

from maillage.graph import open_store
from maillage.graph.model import Actor, Provenance
from maillage.graph.names import core_key, name_key
from maillage.graph.store import ResolvedBatch, Source
from maillage.loaders.resolution import Resolver, families_compatible, places_compatible


def A(key, name, family="ess", **kw):
    return Actor(key=key, name=name, family=family, provenance=Provenance(source="s", locator=key), **kw)


@pytest.fixture
def store():
    s = open_store(":memory:")
    yield s
    s.close()


def seed(store, sid, actors):
    sts, props = Resolver(store, sid).resolve(actors)
    store.replace_source(ResolvedBatch(Source(id=sid, uri=sid), sts, [], props))
    return {st.actor.key: st for st in sts}


def test_name_keys():
    assert name_key("L’Atelier Coopératif") == name_key("atelier cooperatif") == "atelier cooperatif"
    assert name_key("St-Étienne Métropole") == "saint etienne metropole"
    assert core_key("PTCE Le Périscope", "pole") == core_key("Le PÉRISCOPE", "pole") == "periscope"
    assert core_key("SCIC Ôkhra", "ess") == "okhra"
    assert core_key("Pôle Sud (Romans)", "pole") == "sud"


def test_identifier_beats_names(store):
    seed(store, "s1", [A("a", "Alpha SCOP", identifiers=[{"scheme": "siren", "value": "732829320"}])])
    got = seed(store, "s2", [A("x", "Totally different name",
                               identifiers=[{"scheme": "siret", "value": "73282932000074"}])])
    assert got["x"].rule == "identifier" and got["x"].matched == "siren:732829320"


def test_different_sirens_never_merge(store):
    seed(store, "s1", [A("a", "Les Jardins", identifiers=[{"scheme": "siren", "value": "732829320"}])])
    got = seed(store, "s2", [A("x", "Les Jardins", identifiers=[{"scheme": "siren", "value": "356000000"}])])
    assert got["x"].rule == "new"


def test_collectivite_by_territory(store):
    seed(store, "s1", [A("r", "Région Occitanie", "collectivite", kind="region", territory="region:76")])
    got = seed(store, "s2", [A("x", "Conseil régional d'Occitanie / Pyrénées-Méditerranée", "collectivite",
                               kind="region", territory="region:76")])
    assert got["x"].rule == "territory"


def test_exact_name_needs_compatible_family(store):
    seed(store, "s1", [A("p", "La Verrière", "pole", kind="ptce")])
    got = seed(store, "s2", [A("c", "La Verrière", "collectivite", kind="commune")])
    assert got["c"].rule == "new"
    got = seed(store, "s3", [A("e", "la verriere", "ess")])   # a pôle may be its own ESS legal entity
    assert got["e"].rule == "name"


def test_same_name_different_places_do_not_merge(store):
    seed(store, "s1", [A("a", "Maison de l'économie solidaire", location="commune:31446")])
    got = seed(store, "s2", [A("b", "Maison de l'Economie Solidaire", location="commune:60000")
                             if False else A("b", "Maison de l'Economie Solidaire", location="departement:60")])
    assert got["b"].rule == "new"   # Ramonville (31) is not in the Oise (60)
    got = seed(store, "s3", [A("c", "MAISON DE L'ECONOMIE SOLIDAIRE", location="departement:31")])
    assert got["c"].rule == "name"  # Haute-Garonne contains Ramonville


def test_core_name_and_fuzzy(store):
    seed(store, "s1", [A("d", "LE DAMIER", "pole", kind="ptce"), A("f", "FigEActeurs", "pole")])
    got = seed(store, "s2", [A("x", "PTCE Le Damier", "pole"), A("y", "Figeacteur", "pole")])
    assert got["x"].rule == "core-name"
    assert got["y"].rule == "fuzzy" and got["y"].score >= 0.92


def test_persons_are_only_proposed_on_fuzzy_matches(store):
    seed(store, "s1", [A("p", "Antoine Maurice", "person")])
    got = seed(store, "s2", [A("q", "Antoine Meurice", "person")])
    assert got["q"].rule == "new"
    props = store.proposals("s2")
    assert props and props[0].score >= 0.80 and "person" in props[0].reason


def test_ambiguous_names_are_proposed_not_merged(store):
    seed(store, "s1", [A("a", "Initiatives", location="departement:59")])
    seed(store, "s2", [A("b", "Initiatives", location="departement:31")])
    got = seed(store, "s3", [A("c", "Initiatives")])
    assert got["c"].rule == "new"
    assert len(store.proposals("s3")) == 2


def test_within_one_source_duplicates_merge(store):
    got = seed(store, "s1", [A("a", "Ecossolies"), A("b", "Les Ecossolies")])
    assert got["b"].actor_id == got["a"].actor_id
    assert store.stats()["actors"] == 1


def test_compatibility_helpers():
    assert families_compatible("pole", "ess") and families_compatible("other", "state")
    assert not families_compatible("person", "other") and not families_compatible("collectivite", "pole")
    assert places_compatible("commune:31555", "region:76") and places_compatible(None, "commune:31555")
    assert not places_compatible("commune:31555", "commune:31446")


def test_plus_is_significant_in_short_names(store):
    seed(store, "s1", [A("a", "GE+", kind="groupement_employeurs")])
    got = seed(store, "s2", [A("b", "GE'", kind="groupement_employeurs")])
    assert got["b"].rule == "new"


def test_parenthesised_qualifiers_that_disagree_block_the_merge(store):
    # the documented trap: three different "Maison de l'économie solidaire"
    seed(store, "s1", [A("r", "Maison de l'Economie Solidaire (Ramonville)")])
    got = seed(store, "s2", [A("b", "Maison d'Economie Solidaire (Pays de Bray)")])
    assert got["b"].rule == "new"
    assert any("qualifiers differ" in p.reason for p in store.proposals("s2"))
    # qualifiers that share a word, or a qualifier on one side only, do not block
    got = seed(store, "s3", [A("c", "la CRESS (Champagne-Ardenne, implicite)", "network")])
    seed(store, "s4", [A("d", "CRESS (Champagne-Ardenne)", "network")])
    assert store.get_actor(got["c"].actor_id).sources == ["s3", "s4"]
    got = seed(store, "s5", [A("e", "Bou'Sol", "pole")])
    got2 = seed(store, "s6", [A("f", "Bou'Sol (Pain et Partage)", "pole")])
    assert got2["f"].actor_id == got["e"].actor_id


def test_placeholders_are_not_absorbed_from_either_side(store):
    seed(store, "s1", [A("anon", "le comité de bassin d'emploi (Sud Aquitain, non nommé)", "support",
                         placeholder=True)])
    got = seed(store, "s2", [A("cbe", "Comité de bassin d'emploi", "support")])
    assert got["cbe"].rule == "new"
    assert any("placeholder" in p.reason for p in store.proposals("s2"))


def test_former_regions_are_not_merged_with_each_other(store):
    # before 2016 Lorraine and Champagne-Ardenne were two régions; both are located in Grand Est
    seed(store, "s1", [A("l", "Région Lorraine", "collectivite", kind="region", location="region:44")])
    got = seed(store, "s2", [A("c", "Région Champagne-Ardenne", "collectivite", kind="region",
                               location="region:44")])
    assert got["c"].rule == "new"
