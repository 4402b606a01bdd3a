"""Entity resolution rules, one test per rule, on a real (in-memory) store."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maillage.graph import open_store
from maillage.graph.model import Actor, Provenance
from maillage.graph.names import core_key, core_keys, generic_only, name_forms, name_key
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
    seed(store, "s1", [A("d", "LE DAMIER", "pole", kind="ptce"),
                       A("f", "FigEActeurs", "pole", location="commune:46102")])
    got = seed(store, "s2", [A("x", "PTCE Le Damier", "pole"), A("y", "Figeacteur", "pole", location="departement:46")])
    assert got["x"].rule == "core-name"
    assert got["y"].rule == "fuzzy" and got["y"].score >= 0.92


def test_a_fuzzy_match_without_a_place_is_only_proposed(store):
    """A similar name is weak evidence: with no place on one side, the pair is proposed, not
    merged — « Southern » and « Northern Midlands Council » are two councils."""
    seed(store, "s1", [A("f", "FigEActeurs", "pole", location="commune:46102"), A("m", "Southern Midlands Council")])
    got = seed(store, "s2", [A("y", "Figeacteur", "pole"), A("n", "Northern Midlands Council")])
    assert got["y"].rule == got["n"].rule == "new"
    reasons = {(p.key, p.reason) for p in store.proposals("s2")}
    assert ("y", "fuzzy name match (not merged: a place is missing on one side)") in reasons
    assert store.stats()["actors"] == 4


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


# -- identifiers: SIRET → SIREN roll-up, RNA ↔ SIREN ---------------------------------------------

SIREN_ASSO = "775671308"  # a Luhn-valid SIREN
RNA_ASSO = "W751234567"


def test_two_establishments_of_one_siren_are_one_actor(store):
    seed(store, "s1", [A("a", "Atelier Nord", identifiers=[{"scheme": "siret", "value": "73282932000074"}])])
    got = seed(store, "s2", [A("b", "Atelier Sud", identifiers=[{"scheme": "siret", "value": "73282932000082"}])])
    assert got["b"].rule == "identifier" and got["b"].matched == "siren:732829320"


def test_a_statement_with_rna_and_siren_links_them(store):
    # SIRENE gives an association's RNA next to its SIREN (identifiantAssociationUniteLegale)
    seed(store, "sirene", [A("u", "ASSOC DES AMIS", identifiers=[{"scheme": "siren", "value": SIREN_ASSO},
                                                                 {"scheme": "rna", "value": RNA_ASSO}])])
    by_rna = seed(store, "rna", [A("r", "Les Amis", identifiers=[{"scheme": "rna", "value": RNA_ASSO}])])
    by_siren = seed(store, "scdl", [A("s", "Amis (les)", identifiers=[{"scheme": "siren", "value": SIREN_ASSO}])])
    assert by_rna["r"].rule == by_siren["s"].rule == "identifier"
    assert by_rna["r"].actor_id == by_siren["s"].actor_id
    assert by_rna["r"].matched == f"rna:{RNA_ASSO}"


def test_an_rna_match_with_a_siren_clash_is_not_a_merge(store):
    seed(store, "s1", [A("a", "Les Amis", identifiers=[{"scheme": "siren", "value": SIREN_ASSO},
                                                       {"scheme": "rna", "value": RNA_ASSO}])])
    got = seed(store, "s2", [A("b", "Les Amis", identifiers=[{"scheme": "siren", "value": "732829320"},
                                                             {"scheme": "rna", "value": RNA_ASSO}])])
    assert got["b"].rule == "new"  # same RNA, same name, different SIREN: never merged


# -- normalised names ------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Com. Com. Saône Vallée", "Communauté de communes Saône-Vallée"),
    ("CA du Sicoval", "Communauté d'agglomération du Sicoval"),
    ("CU de Dunkerque", "Communauté urbaine de Dunkerque"),
    ("Société coopérative d'intérêt collectif Ôkhra", "SCIC Okhra"),
    ("S.A.R.L. Chantiers Nature", "SARL Chantiers Nature"),
    ("Société par actions simplifiée Culture Couleur", "SAS Culture Couleur"),
    ("S.M.I.C.T.O.M.", "SMICTOM"),
    ("Comité de bassin d'emploi du Pays d'Apt", "CBE du Pays d'Apt"),
    ("Chambre régionale de l'économie sociale et solidaire", "Chambre régionale de l'ESS"),
])
def test_name_key_writes_usual_abbreviations(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("name, family, core", [
    ("SCIC Ôkhra", "ess", "okhra"),
    ("Ecosimo SAS", "other", "ecosimo"),                       # a legal form at the end
    ("Association Ecopya", "other", "ecopya"),
    ("Fondation MACIF", "other", "fondation macif"),           # a foundation is not its founder
    ("Conseil Régional Rhône-Alpes", "collectivite", "rhone alpes"),
    ("(ex-)Conseil régional de Picardie", "collectivite", "picardie"),
    ("la Région (Pays de la Loire)", "collectivite", "pays loire"),  # only generic words outside
    ("Conseil général de l'Ain", "collectivite", "ain"),
    ("Ville de Saint-Denis", "collectivite", "saint denis"),
    ("Mairie de Saint-Denis", "collectivite", "saint denis"),
    ("Nantes Métropole", "collectivite", "nantes"),
    ("Ministère en charge du Redressement productif", "state", "redressement productif"),
    ("Laboratoire LISE (UMR 3320 CNRS/CNAM)", "research", "lise"),
    ("IEP de Grenoble", "research", "iep grenoble"),
    ("Culture & Coopération", "pole", "culture cooperation"),
    ("Culture et Coopération", "pole", "culture cooperation"),
    ("SMAC 07 (Scène(s) de Musiques Actuelles en Ardèche)", "pole", "smac 07"),  # nested parentheses
])
def test_core_keys(name, family, core):
    assert core_key(name, family) == core


def test_core_key_reads_through_parentheses_too():
    assert core_keys("Maison d'Economie Solidaire (Pays de Bray)", "other") == \
        ["maison economie solidaire", core_key("SCIC Maison de l'économie solidaire du pays de Bray", "ess")]
    assert core_keys("Le Damier", "pole") == ["damier"]


def test_name_forms():
    assert name_forms("BPI – Banque publique d'investissement") == \
        ["BPI – Banque publique d'investissement", "BPI", "Banque publique d'investissement"]
    assert name_forms("Scène(s) de Musiques Actuelles de l'Ardèche – SMAC 07")[1:] == \
        ["Scène(s) de Musiques Actuelles de l'Ardèche", "SMAC 07"]
    assert name_forms("Institut d'Études Politiques, Grenoble (IEP de Grenoble)")[1:] == ["IEP de Grenoble"]
    assert name_forms("Pôle Sud (Drôme) / Pôle Sud Archer")[1:] == ["Pôle Sud (Drôme)", "Pôle Sud Archer"]
    # two names, neither an acronym of the other: the pôle and its structure porteuse
    assert name_forms("Les Ecossolies – Le Solilab") == ["Les Ecossolies – Le Solilab"]
    assert name_forms("Resto Passerelle (APPUI)") == ["Resto Passerelle (APPUI)"]
    assert name_forms("Eco-Domaine en Pays d'Auge (ECOPYA)") == ["Eco-Domaine en Pays d'Auge (ECOPYA)"]
    assert name_forms("Aquitaine – Landes") == ["Aquitaine – Landes"]  # A is not the initial of Landes
    assert generic_only("la Mairie", "collectivite") and generic_only("Département", "collectivite")
    assert not generic_only("Commercy (55)", "collectivite")


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_name_keys_never_fail_and_are_stable(text):
    key = name_key(text)
    assert name_key(key) == key  # a key is its own key
    forms = name_forms(text)
    assert forms[0] == text and len(forms) == len(set(forms))
    for family in ("ess", "pole", "collectivite", "state", "person", None):
        core = core_key(text, family)
        assert isinstance(core, str) and (core or not key)
        assert core_keys(text, family)[0] == core


# -- names + place + kind ---------------------------------------------------------------------------

def test_conseil_regional_is_the_region(store):
    seed(store, "s1", [A("r", "Région Rhône-Alpes", "collectivite", kind="region", location="region:84")])
    got = seed(store, "s2", [A("c", "Conseil Régional Rhône-Alpes", "collectivite", kind="region",
                               location="region:84")])
    assert got["c"].rule == "core-name" and got["c"].matched == "rhone alpes"


def test_a_commune_is_never_its_epci(store):
    seed(store, "s1", [A("e", "Nantes Métropole", "collectivite", kind="epci")])
    got = seed(store, "s2", [A("c", "Ville de Nantes", "collectivite", kind="commune")])
    assert core_key("Nantes Métropole", "collectivite") == core_key("Ville de Nantes", "collectivite")
    assert got["c"].rule == "new" and not store.proposals("s2")
    got = seed(store, "s3", [A("m", "Mairie de Nantes", "collectivite", kind="commune")])
    assert got["m"].actor_id == seed(store, "s2", [A("c", "Ville de Nantes", "collectivite",
                                                     kind="commune")])["c"].actor_id


def test_same_name_in_two_communes_is_two_actors(store):
    seed(store, "s1", [A("a", "Ville de Saint-Denis", "collectivite", kind="commune", location="commune:93066")])
    got = seed(store, "s2", [A("b", "Commune de Saint-Denis", "collectivite", kind="commune",
                               location="commune:97411")])
    assert got["b"].rule == "new"
    seed(store, "s3", [A("c", "Les Jardins du Coeur", location="commune:31555")])
    got = seed(store, "s4", [A("d", "LES JARDINS DU COEUR", location="commune:31446")])
    assert got["d"].rule == "new"  # Toulouse and Ramonville-Saint-Agne


def test_a_pole_is_located_by_a_perimeter(store):
    # one document puts Domb'Innov in the CC de la Dombes, another in Trévoux (CC Dombes Saône
    # Vallée): two pôles of the same name in one département are one pôle…
    seed(store, "s1", [A("p", "Domb'Innov", "pole", kind="ptce", location="epci:200069193")])
    got = seed(store, "s2", [A("q", "Domb'Innov", "pole", kind="ptce", location="commune:01427")])
    assert got["q"].rule == "name"
    # …but not across départements, and other families keep the strict rule
    got = seed(store, "s3", [A("r", "Domb'Innov", "pole", kind="ptce", location="commune:31555")])
    assert got["r"].rule == "new"
    seed(store, "s4", [A("a", "Les Jardins de Dombes", location="epci:200069193")])
    got = seed(store, "s5", [A("b", "Les Jardins de Dombes", location="commune:01427")])
    assert got["b"].rule == "new"


def test_an_epci_across_a_departement_border_is_in_that_departement():
    # the CC Pays d'Apt-Luberon has communes in Vaucluse (84) and Alpes-de-Haute-Provence (04)
    assert places_compatible("departement:84", "epci:200040624")
    assert places_compatible("departement:04", "epci:200040624")
    assert not places_compatible("departement:31", "epci:200040624")


def test_acronym_forms_merge(store):
    seed(store, "s1", [A("b", "BPI", "state")])
    got = seed(store, "s2", [A("x", "BPI – Banque publique d'investissement", "state")])
    assert got["x"].rule == "name" and got["x"].matched == "bpi"


def test_a_place_after_a_slash_is_not_a_name(store):
    # the Ville de Paris file writes « Association des Marocains en France / Paris »: the part
    # after the slash says where, not who — two associations of Paris are not one by it
    seed(store, "s1", [A("a", "Association des Marocains en France / Paris", location="commune:75056")])
    got = seed(store, "s2", [A("x", "Club de Judo du Marais / Paris", location="commune:75056")])
    assert got["x"].rule == "new" and not store.proposals("s2")
    # the parts that are names still count
    got = seed(store, "s3", [A("z", "Association des Marocains en France", location="commune:75056")])
    assert got["z"].rule == "name"
    # a collectivité's name is a name, not a bare place
    seed(store, "s6", [A("c", "CC du Perche", "other")])
    got = seed(store, "s7", [A("k", "CC du Perche / Collectif Association 725", "other")])
    assert got["k"].rule == "name" and got["k"].matched == "cc du perche"
    # an acronym beside a dash stays a name, even when a commune bears it (Arès, Gironde)
    seed(store, "s4", [A("r", "ARES")])
    got = seed(store, "s5", [A("q", "ARES – Association pour la Réinsertion Economique & Sociale")])
    assert got["q"].rule == "name" and got["q"].matched == "ares"


def test_a_source_that_lists_two_keys_means_two_actors(store):
    # a pôle named after its structure porteuse (the reference build drops such aliases, but a
    # member file may still give one)
    got = seed(store, "s1", [A("p", "Éco-domaine en Pays d'Auge (Ecopya)", "pole", aliases=["Ecopya"]),
                             A("e", "association Ecopya", "ess")])
    assert got["e"].rule == "new" and got["e"].actor_id != got["p"].actor_id
    (prop,) = store.proposals("s1")
    assert prop.key == "e" and "another key" in prop.reason
    # exact names within one source still merge (a list that repeats a member)
    got = seed(store, "s2", [A("a", "Les Ecossolies"), A("b", "ECOSSOLIES")])
    assert got["a"].actor_id == got["b"].actor_id


_NAMEISH = st.text(alphabet=st.sampled_from(list("abcdeÉé LMNOP()/–—-'&.+0123")), min_size=1, max_size=30)


@given(st.lists(st.tuples(_NAMEISH, st.sampled_from(["ess", "pole", "collectivite", "state", "other", "person"])),
                min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_any_names_resolve_without_failing(named):
    # unbalanced parentheses, lone dashes and slashes: every statement is resolved, once
    actors = [A(f"k{i}", n, fam) for i, (n, fam) in enumerate(named) if n.strip()]
    if not actors:
        return
    with open_store(":memory:") as s:
        seed(s, "s1", actors[: len(actors) // 2])
        got = seed(s, "s2", actors[len(actors) // 2:])
        assert set(got) == {a.key for a in actors[len(actors) // 2:]}
        assert all(p.candidate_id in {x.id for x in s.iter_actors(include_persons=True)} for p in s.proposals())


# -- the name keys' shortcuts give what the plain rules give ---------------------------------------

def _strip_generic_plainly(words, family):
    """:func:`maillage.graph.names._strip_generic` as first specified: every phrase tried in its
    order, leading ones before trailing ones, until none applies (the oracle of the index)."""
    from maillage.graph.names import _SMALL_WORDS, _generic_words

    leading, trailing = _generic_words(family)
    while words:
        if words[0] in _SMALL_WORDS:
            words = words[1:]
            continue
        front = next((g for g in leading if words[:len(g)] == g), None)
        back = None if front else next((g for g in trailing if len(words) > len(g) and words[-len(g):] == g), None)
        if front is None and back is None:
            return words
        words = words[len(front):] if front else words[:-len(back)]
    return words


_FAMILIES = [None, "ess", "collectivite", "enterprise", "network", "person", "pole", "state", "research"]


def _generic_chunks() -> list[tuple[str, ...]]:
    """Whole generic phrases of every family (« institut de recherche », « conseil regional »),
    their words one by one, small words and a few others: names made of these meet the phrases
    that share a first or last word."""
    from maillage.graph.names import _SMALL_WORDS, _generic_words

    chunks = {(w,) for w in _SMALL_WORDS} | {(w,) for w in ("jardins", "cocagne", "toulouse", "41", "maison")}
    for fam in _FAMILIES:
        for phrases in _generic_words(fam):
            chunks |= {tuple(g) for g in phrases} | {(w,) for g in phrases for w in g}
    return sorted(chunks)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_generic_chunks()), max_size=5).map(lambda cs: [w for c in cs for w in c]),
       st.sampled_from(_FAMILIES))
def test_generic_words_are_stripped_as_the_plain_scan_strips_them(words, family):
    """Phrases are looked up by their first (leading) or last (trailing) word, not scanned one by
    one; the words left must be the scan's, phrase order and all."""
    from maillage.graph.names import _strip_generic

    assert _strip_generic(list(words), family) == _strip_generic_plainly(list(words), family)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_names_fold_as_decomposed_ones(text):
    """ASCII text skips the Unicode decomposition: it has nothing to decompose."""
    import re
    import unicodedata

    from maillage.graph.names import fold

    t = unicodedata.normalize("NFKD", text.replace("+", " plus "))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower().replace("œ", "oe").replace("æ", "ae")
    t = re.sub(r"\s+", " ", re.sub(r"[^\w\s]|_", " ", t)).strip()
    assert fold(text) == t


# -- a network's name (one body per territory): merged only when both sides say where -------------

def test_a_network_name_without_a_place_is_proposed_not_merged(store):
    """The walk-through's CMA: « CHAMBRE DE METIERS ET DE L'ARTISANAT » of a Haute-Garonne
    subsidy file (a SIRET, no place) used to become Lille's CMA by its core name."""
    seed(store, "s1", [A("cma-lille", "Chambre des Métiers et de l'Artisanat (CMA)", "support",
                         kind="chambre_consulaire", location="commune:59350")])
    got = seed(store, "s2", [A("x", "CHAMBRE DE METIERS ET DE L'ARTISANAT", "other",
                               identifiers=[{"scheme": "siret", "value": "18310005600039"}]),
                             A("y", "Foyer rural", "ess")])
    assert got["x"].rule == "new"
    (p,) = [p for p in store.proposals() if p.key == "x"]
    assert "a network's name, no place to tell which body" in p.reason
    # with a place on both sides, the place says which body it is
    seed(store, "s3", [A("f", "Foyer rural", "ess", location="commune:31022")])
    got = seed(store, "s4", [A("g", "FOYER RURAL", "ess", location="commune:31022"),
                             A("h", "Chambre de métiers et de l'artisanat", "support", location="commune:59350")])
    assert got["g"].rule == "name" and got["g"].actor_id == seed_id(store, "s3", "f")
    assert got["h"].rule == "core-name" and got["h"].actor_id == seed_id(store, "s1", "cma-lille")
    # a particular body's name is not a network's: the usual rules
    seed(store, "s5", [A("m", "Mode Emploi", "ess", location="commune:46102")])
    got = seed(store, "s6", [A("n", "Association Mode Emploi", "ess")])
    assert got["n"].rule in ("name", "core-name")


def seed_id(store, sid, key):
    return next(r["actor_id"] for r in store.resolution_log(sid) if r["key"] == key)


def test_same_name_and_place_with_different_sirens_is_proposed_not_merged(store):
    # a typo in one SIREN, or an association and the SCIC it created: a reviewer decides
    seed(store, "s1", [A("a", "Les Jardins", location="commune:31555",
                         identifiers=[{"scheme": "siren", "value": "732829320"}])])
    sts, props = Resolver(store, "s2").resolve([
        A("x", "LES JARDINS", location="commune:31555", identifiers=[{"scheme": "siren", "value": "356000000"}]),
        A("y", "Les Jardins", location="commune:69123", identifiers=[{"scheme": "siren", "value": "552100554"}]),
        A("z", "Les Jardins", identifiers=[{"scheme": "siren", "value": "542107651"}]),
    ])
    assert [st.rule for st in sts] == ["new", "new", "new"]
    first = seed(store, "s1", [A("a", "Les Jardins", location="commune:31555",
                                 identifiers=[{"scheme": "siren", "value": "732829320"}])])["a"].actor_id
    by_key = {(p.key, p.candidate_id): p.reason for p in props}
    assert by_key[("x", first)] == "name match (not merged: the identifiers differ)"
    # another commune, or no place at all: nothing to tell they may be one
    assert not any(p.key in ("y", "z") for p in props)
    from maillage.loaders.resolution import reason_label
    assert reason_label(by_key[("x", first)]) == "même nom, même lieu (non fusionné : SIREN ou RNA différents)"


def _load(store, folder, name, records):
    from _jsonl import write_jsonl

    from maillage.loaders import load_file

    head = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": name}
    load_file(store, write_jsonl(folder / f"{name}.jsonl", [head, *records]), rejects_dir=folder / "rejets")


def _log(store, name):
    return {r["key"]: r for r in store.resolution_log(f"maillage-jsonl:{name}.jsonl")}


def test_the_same_key_in_two_extractions_of_one_document_is_one_actor(store, tmp_path):
    """Rule 1, the extraction's own id: s000b aligns its keys on s000a's, both read document 000,
    and names « PTCE du Centre Isère » (L1057) the pôle s000a leaves unnamed (« PTCE porté par
    Entrepreneurs solidaires (nom non cité) », L677): one pôle, though no name rule may merge a
    placeholder. The same key in a file of *another* document says nothing (each file numbers
    its own rows)."""
    from _jsonl import actor, write_jsonl

    from maillage.loaders import load_file

    def load(name, sha, name_of_pole, placeholder=False):
        head = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": name,
                "documents": {"etude": {"title": "RTES, 2016", "sha256": sha}}}
        rec = actor("anon-ptce-centre-isere", name_of_pole, "pole", "ptce", location="epci:243800984",
                    placeholder=placeholder)
        load_file(store, write_jsonl(tmp_path / f"{name}.jsonl", [head, rec]), rejects_dir=tmp_path / "rejets")

    load("a", "ab" * 32, "PTCE porté par Entrepreneurs solidaires (nom non cité)", placeholder=True)
    load("b", "ab" * 32, "PTCE du Centre Isère")
    load("c", "cd" * 32, "PTCE du Grésivaudan")
    a, b, c = (_log(store, n)["anon-ptce-centre-isere"] for n in "abc")
    assert b["actor_id"] == a["actor_id"]
    assert (b["rule"], b["matched"]) == ("identifier", "key:anon-ptce-centre-isere")
    assert c["rule"] == "new" and c["actor_id"] != a["actor_id"]
    assert sorted(x.name for x in store.iter_actors()) == ["PTCE du Centre Isère", "PTCE du Grésivaudan"]


def test_a_pole_carried_by_the_same_porteur_is_one_pole(store, tmp_path):
    """Rule 6. One document names the pôle after its place (« Éco-domaine en Pays d'Auge », 000
    L260-266), another after its farm (« Éco-Domaine de Bouquetot », 001 L301): names too far apart
    for the name rules, one word of their own in common (*domaine*), and both say the association
    Ecopya carries it — one pôle, not two."""
    from _jsonl import actor, relation

    _load(store, tmp_path, "a", [actor("eco", "Éco-domaine en Pays d'Auge", "pole", "ptce", location="region:28"),
                                 actor("asso", "association Ecopya", "ess", "association"),
                                 relation("carries", "asso", "eco")])
    _load(store, tmp_path, "b", [actor("bq", "Éco-Domaine de Bouquetot", "pole", "ptce", location="departement:14"),
                                 actor("ecopya", "ECOPYA", "other"),
                                 relation("carries", "ecopya", "bq")])
    log = _log(store, "b")
    assert log["ecopya"]["actor_id"] == _log(store, "a")["asso"]["actor_id"]
    assert log["bq"]["rule"] == "porteur" and log["bq"]["matched"] == log["ecopya"]["actor_id"]
    assert log["bq"]["actor_id"] == _log(store, "a")["eco"]["actor_id"]
    assert len([a for a in store.iter_actors() if a.family == "pole"]) == 1


def test_a_pole_whose_porteur_is_the_pole_itself_elsewhere_is_that_pole(store, tmp_path):
    """Rule 6, the porteur another source calls a pôle. The annex of 001 lists « Pôle tarnais de
    Coopération Economique (Les Ateliers) » under a header saying the parenthesis is the structure
    porteuse; 000 calls the pôle itself « le Pôle Tarnais de Coopération Économique Les Ateliers »
    (L999). « Les Ateliers » joins 000's pôle by its name, so what it carries is that pôle: one
    pôle (the names share *tarnais*), not two. Without a word in common it is only proposed."""
    from _jsonl import actor, relation

    _load(store, tmp_path, "a", [actor("castres", "Les Ateliers de Castres (Pôle Tarnais de Coopération Économique "
                                       "Les Ateliers)", "pole", "ptce", location="commune:81065",
                                       aliases=["Ateliers (Les) (Pôle tarnais de Coopération Economique)"])])
    _load(store, tmp_path, "b", [actor("tarnais", "Pôle tarnais de Coopération Economique", "pole", "ptce",
                                       location="departement:81"),
                                 actor("ateliers", "Les Ateliers", "other", location="departement:81"),
                                 relation("carries", "ateliers", "tarnais")])
    pole = _log(store, "a")["castres"]["actor_id"]
    log = _log(store, "b")
    assert log["ateliers"]["actor_id"] == pole
    assert (log["tarnais"]["rule"], log["tarnais"]["actor_id"], log["tarnais"]["matched"]) == ("porteur", pole, pole)
    assert len([a for a in store.iter_actors() if a.family == "pole"]) == 1
    _load(store, tmp_path, "c", [actor("autre", "Pôle de coopération du Sidobre", "pole", "ptce",
                                       location="departement:81"),
                                 actor("ateliers", "Les Ateliers", "other", location="departement:81"),
                                 relation("carries", "ateliers", "autre")])
    log = _log(store, "c")
    assert log["ateliers"]["actor_id"] == pole and log["autre"]["rule"] == "new"
    assert [p.candidate_id for p in store.proposals("maillage-jsonl:c.jsonl") if p.key == "autre"] == [pole]


def test_a_second_pole_of_a_porteur_is_proposed_not_merged(store, tmp_path):
    """An animator's member list of a new pôle whose structure porteuse already carries another
    pôle, named with none of the new pôle's own words (only « pôle », « solidaire »…, which many
    pôles' names have): a porteur may carry two pôles, so the new pôle stays apart — proposed for
    review with the reason, in French — and the first pôle keeps its members."""
    from maillage.loaders import load_file
    from maillage.loaders.resolution import reason_label

    head = "Nom;Code postal;Commune;Rôle\r\n"
    velo = tmp_path / "velo.csv"
    velo.write_text(head + "Atelier Roue Libre;35000;Rennes;structure porteuse\r\nCyclo Rennes;35000;Rennes;membre\r\n",
                    encoding="utf-8")
    alim = tmp_path / "alim.csv"
    alim.write_text(head + "Atelier Roue Libre;35000;Rennes;structure porteuse\r\nÉpicerie du Blosne;35200;Rennes;"
                    "membre\r\n", encoding="utf-8")
    load_file(store, velo, rejects_dir=tmp_path / "rejets", options={"pole": "Pôle vélo solidaire de Rennes"})
    load_file(store, alim, rejects_dir=tmp_path / "rejets", options={"pole": "Pôle alimentation solidaire de Rennes"})
    poles = sorted(a.name for a in store.iter_actors() if a.family == "pole")
    assert poles == ["Pôle alimentation solidaire de Rennes", "Pôle vélo solidaire de Rennes"]
    said = [p for p in store.proposals("members:alim.csv") if "structure porteuse" in p.reason]
    assert len(said) == 1
    assert reason_label(said[0].reason) == ("même structure porteuse (non fusionné : aucun mot propre en commun dans "
                                            "les noms : elle peut porter un second pôle)")


def test_a_porteur_of_two_poles_decides_nothing(store, tmp_path):
    """A structure porteuse other sources say carries two pôles does not tell which one a third
    pôle it carries is; nor is a pôle in another département the same one."""
    from _jsonl import actor, relation

    _load(store, tmp_path, "a", [actor("p1", "Pôle Un", "pole", "ptce"), actor("p2", "Pôle Deux", "pole", "ptce"),
                                 actor("asso", "Association Coop", "ess", "association"),
                                 relation("carries", "asso", "p1"), relation("carries", "asso", "p2")])
    _load(store, tmp_path, "b", [actor("p3", "Pôle Trois", "pole", "ptce"), actor("c", "Association Coop", "ess"),
                                 relation("carries", "c", "p3")])
    assert _log(store, "b")["p3"]["rule"] == "new"
    _load(store, tmp_path, "c", [actor("q1", "Pôle Nord", "pole", "ptce", location="departement:59"),
                                 actor("k", "SCIC Kappa", "ess", "scic"), relation("carries", "k", "q1")])
    _load(store, tmp_path, "d", [actor("q2", "Pôle Sud", "pole", "ptce", location="departement:13"),
                                 actor("k", "SCIC Kappa", "ess", "scic"), relation("carries", "k", "q2")])
    assert _log(store, "d")["q2"]["rule"] == "new" and _log(store, "d")["k"]["rule"] != "new"


def test_the_same_key_in_two_extractions_is_not_enough_when_the_names_differ(store, tmp_path):
    """Rule 1's extraction key needs the names to agree too: two extractions of one document that
    each number their own rows (« a1 ») give that key to two different structures. Neither side a
    placeholder, no word of their own in common: proposed, not merged; the same key with a shared
    word (« Solilab ») is still one actor."""
    from _jsonl import actor, write_jsonl

    from maillage.loaders import load_file
    from maillage.loaders.resolution import reason_label

    def load(name, records):
        head = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": name,
                "documents": {"etude": {"title": "RTES, 2016", "sha256": "ab" * 32}}}
        load_file(store, write_jsonl(tmp_path / f"{name}.jsonl", [head, *records]), rejects_dir=tmp_path / "rejets")

    load("a", [actor("a1", "Les Jardins de Cocagne", "ess", "association", location="commune:31555"),
               actor("a2", "Solilab (pôle des Ecosolies)", "pole", "ptce", location="commune:44109")])
    load("b", [actor("a1", "Régie de quartier Empalot", "ess", "association", location="commune:31555"),
               actor("a2", "pôle de coopération sur l'Île de Nantes (Le Solilab)", "pole", "ptce",
                     location="commune:44109")])
    a, b = _log(store, "a"), _log(store, "b")
    assert b["a1"]["rule"] == "new" and b["a1"]["actor_id"] != a["a1"]["actor_id"]
    (prop,) = [p for p in store.proposals() if p.key == "a1"]
    assert prop.candidate_id == a["a1"]["actor_id"]
    assert reason_label(prop.reason).startswith("même clé dans une autre extraction du même document (non fusionné")
    assert (b["a2"]["rule"], b["a2"]["actor_id"]) == ("identifier", a["a2"]["actor_id"])


RESAM = "Résam (Réseau d'échanges et services des associations du Pays de Morlaix)"


def test_a_place_named_in_a_name_tells_two_actors_apart(store):
    """A tiers-lieux file states the structure porteuse « Résam (Réseau d'échanges et services des
    associations du Pays de Morlaix) » with no place of its own; a pôle's member list names an
    association « Résam » in Ramonville-Saint-Agne. Same core name, one side unplaced: they were
    merged, and the Morlaix network (SIREN 344613658) was placed in the Haute-Garonne. The place its
    name gives (the Pays de Morlaix, Finistère) is not the other's: proposed, not merged — both ways
    round; in Morlaix it is the same association."""
    from maillage.loaders.resolution import reason_label

    first = seed(store, "s1", [A("r", RESAM, identifiers=[{"scheme": "siren", "value": "344613658"}])])["r"].actor_id
    sts, props = Resolver(store, "s2").resolve([A("x", "Résam", location="commune:31446"),
                                                A("y", "RESAM", location="commune:29151")])
    assert [st.rule for st in sts] == ["new", "core-name"] and sts[1].actor_id == first
    (p,) = [p for p in props if p.key == "x"]
    assert p.candidate_id == first
    assert reason_label(p.reason) == ("même nom principal (non fusionné : le lieu que nomme l'un des noms n'est pas "
                                      "celui de l'autre)")

    other = open_store(":memory:")
    placed = seed(other, "s1", [A("x", "Résam", location="commune:31446")])["x"].actor_id
    sts, props = Resolver(other, "s2").resolve([A("r", RESAM, identifiers=[{"scheme": "siren", "value": "344613658"}])])
    assert sts[0].rule == "new" and [p.candidate_id for p in props] == [placed]
