"""Two-mode views (maillage.analytics.overlaps): pôle overlaps, co-funding, governance
interlocks — hand-computed on a small store loaded through the ordinary loader, and checked
by brute force on the reference dataset."""

from __future__ import annotations

import doctest
import json
from itertools import combinations

import networkx as nx
import pytest
from networkx.algorithms import bipartite

import maillage.analytics.overlaps as overlaps_module
from maillage.analytics.overlaps import (CoFunding, PoleOverlaps, PolePair, cofunding, governance_interlocks,
                                         pole_overlaps)

from _jsonl import actor, ids_by_name, loaded_store, relation


# Alpha: A, B (until 2014), D, an unnamed group of communes, a person; Beta: B, C, E (from
# 2018); Gamma: A, B. Funders: the Région (Alpha twice, Beta), the Département (Alpha), a
# foundation (A, C). Governors: Jeanne (Région, Alpha, porteur until 2012), Paul (A, C,
# Beta), the Département (Alpha, porteur).
ECOSYSTEM = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Chevauchements d'essai",
     "documents": {"etude": {"title": "Étude sur les PTCE", "sha256": "ef" * 32}}},
    actor("p1", "Pôle Alpha", "pole", "ptce", location="commune:31555"),
    actor("p2", "Pôle Beta", "pole", "ptce", location="commune:46042"),
    actor("p3", "Pôle Gamma", "pole", "pole_autre"),
    actor("a", "Association Azur", "ess", "association"),
    actor("b", "SCOP Bâtisseurs", "ess", "scop"),
    actor("c", "SCIC Cantal", "ess", "scic"),
    actor("d", "Menuiserie Durand", "enterprise", "pme"),
    actor("e", "Tiers-lieu Étincelle", "tiers_lieu", "tiers_lieu"),
    actor("porteur", "Association Porteuse Alpha", "ess", "association"),
    actor("reg", "Région Occitanie", "collectivite", "region", territory="region:76"),
    actor("dep", "Département de la Haute-Garonne", "collectivite", "departement", territory="departement:31"),
    actor("fond", "Fondation Solidaire", "ess", "fondation"),
    actor("ph", "Trois communes", "collectivite", "commune", placeholder=True, group_count=3),
    actor("jeanne", "Jeanne Dupont", "person", "elu"),
    actor("paul", "Paul Martin", "person", "salarie"),
    relation("membership", "a", "p1", start=2010),
    relation("membership", "b", "p1", start=2010, end=2014),
    relation("membership", "d", "p1", start=2012),
    relation("membership", "ph", "p1"),
    relation("membership", "jeanne", "p1"),
    relation("membership", "b", "p2"),
    relation("membership", "c", "p2"),
    relation("membership", "e", "p2", start=2018),
    relation("membership", "a", "p3"),
    relation("membership", "b", "p3"),
    relation("membership", "ph", "p3", certainty="implied"),
    relation("carries", "porteur", "p1", function="structure_porteuse"),
    relation("funds", "reg", "p1", locator="L30", amount=30000, year=2015, start=2015, end=2015),
    relation("funds", "reg", "p1", locator="L31", amount=20000, year=2016, start=2016, end=2016),
    relation("funds", "dep", "p1", locator="L32", year=2016, start=2016, end=2016),
    relation("funds", "reg", "p2", locator="L33", amount=10000, year=2016, start=2016, end=2016),
    relation("funds", "fond", "a", locator="L34", amount=5000),
    relation("funds", "fond", "c", locator="L35"),
    relation("applies_to", "c", "dep", locator="L36", amount_requested=8000, year=2017, status="refuse"),
    relation("represents", "jeanne", "reg", mandate="vice-présidente"),
    relation("represents", "jeanne", "p1", mandate="présidente"),
    relation("represents", "jeanne", "porteur", start=2010, end=2012),
    relation("represents", "paul", "a"),
    relation("represents", "paul", "c"),
    relation("governs", "paul", "p2", body="CA"),
    relation("governs", "dep", "p1", body="comité de pilotage"),
    relation("governs", "dep", "porteur", body="CA"),
]

PERSONS = ("Jeanne Dupont", "Paul Martin")


@pytest.fixture(scope="module")
def eco(tmp_path_factory):
    s = loaded_store(tmp_path_factory.mktemp("chevauchements"), ECOSYSTEM)
    yield s
    s.close()


@pytest.fixture(scope="module")
def ids(eco) -> dict[str, str]:
    return ids_by_name(eco)


def by_names(pairs) -> dict[frozenset, object]:
    return {frozenset((p.name_a, p.name_b)): p for p in pairs}


def test_docstring_examples_run():
    assert doctest.testmod(overlaps_module).failed == 0


# -- pôles -------------------------------------------------------------------------------------

def test_pole_overlaps_hand_computed(eco, ids):
    o = pole_overlaps(eco)
    assert isinstance(o, PoleOverlaps)
    # members (no person): Alpha {A, B, D, communes}, Beta {B, C, E}, Gamma {A, B, communes}
    assert o.sizes == {ids["Pôle Alpha"]: 4, ids["Pôle Beta"]: 3, ids["Pôle Gamma"]: 3}
    pairs = by_names(o.pairs)
    ag = pairs[frozenset(("Pôle Alpha", "Pôle Gamma"))]
    assert ag.shared == 3 and ag.jaccard == pytest.approx(3 / 4)
    assert set(ag.shared_members) == {ids["Association Azur"], ids["SCOP Bâtisseurs"], ids["Trois communes"]}
    ab = pairs[frozenset(("Pôle Alpha", "Pôle Beta"))]
    assert ab.shared == 1 and ab.jaccard == pytest.approx(1 / 6)  # {B} / {A, B, C, D, E, communes}
    bg = pairs[frozenset(("Pôle Beta", "Pôle Gamma"))]
    assert bg.shared == 1 and bg.jaccard == pytest.approx(1 / 5)  # {B} / {A, B, C, E, communes}
    assert [p.jaccard for p in o.pairs] == sorted((p.jaccard for p in o.pairs), reverse=True)

    multi = {m.name: m for m in o.multi_pole}
    assert set(multi) == {"Association Azur", "SCOP Bâtisseurs", "Trois communes"}
    assert multi["SCOP Bâtisseurs"].pole_names == tuple(
        sorted(["Pôle Alpha", "Pôle Beta", "Pôle Gamma"], key=lambda n: ids[n]))
    # B bridges 3 pairs, and alone Alpha–Beta and Beta–Gamma; A and the communes bridge one
    assert [m.name for m in o.bridging][0] == "SCOP Bâtisseurs"
    assert (multi["SCOP Bâtisseurs"].pairs, multi["SCOP Bâtisseurs"].sole_pairs) == (3, 2)
    assert (multi["Association Azur"].pairs, multi["Association Azur"].sole_pairs) == (1, 0)


def test_pole_overlaps_as_of_placeholders_certainty_persons(eco, ids):
    o = pole_overlaps(eco, as_of=2016)  # B has left Alpha, E has not joined Beta yet
    pairs = by_names(o.pairs)
    assert frozenset(("Pôle Alpha", "Pôle Beta")) not in pairs
    assert pairs[frozenset(("Pôle Alpha", "Pôle Gamma"))].jaccard == pytest.approx(2 / 4)  # {A, comm.} / {A, B, D, comm.}
    assert pairs[frozenset(("Pôle Beta", "Pôle Gamma"))].jaccard == pytest.approx(1 / 4)  # {B} / {A, B, C, comm.}

    dropped = pole_overlaps(eco, placeholders="drop")
    assert "Trois communes" not in {m.name for m in dropped.multi_pole}
    assert by_names(dropped.pairs)[frozenset(("Pôle Alpha", "Pôle Gamma"))].jaccard == pytest.approx(2 / 3)

    stated = pole_overlaps(eco, certainty=["stated"])  # the communes' Gamma membership is implied
    assert "Trois communes" not in {m.name for m in stated.multi_pole}

    assert not any(n in repr(pole_overlaps(eco)) for n in PERSONS)
    with_persons = pole_overlaps(eco, include_persons=True)
    assert with_persons.sizes[ids["Pôle Alpha"]] == 5


def test_pole_overlaps_french_labels(eco):
    o = pole_overlaps(eco)
    row = o.table("pairs")[0]
    assert "Indice de Jaccard" in row and "Membres communs" in row and "Pôle A" in row
    assert "Jaccard index" in o.table("pairs", lang="en")[0]
    assert PolePair.label("shared") == "Membres communs"
    assert o.TITLES["bridging"]["fr"] == "Acteurs passerelles entre pôles"
    assert "Paires de pôles reliées" in o.table("bridging")[0]


def test_reference_pole_overlaps_brute_force(reference):
    actors = {a.id: a for a in reference.iter_actors(include_persons=True)}
    members: dict[str, set[str]] = {}
    for r in reference.relations(types=["membership"]):
        if actors[r.target].family == "pole" and not actors[r.source].personal_data:
            members.setdefault(r.target, set()).add(r.source)
    expected = {}
    for p, q in combinations(sorted(members), 2):
        shared = members[p] & members[q]
        if shared:
            expected[frozenset((p, q))] = (len(shared), len(shared) / len(members[p] | members[q]))
    o = pole_overlaps(reference)
    got = {frozenset((x.pole_a, x.pole_b)): (x.shared, x.jaccard) for x in o.pairs}
    assert got.keys() == expected.keys() and expected
    for k, (n, j) in expected.items():
        assert got[k][0] == n and got[k][1] == pytest.approx(j)
    # the shared counts are the weights of networkx's plain bipartite projection on the pôle side
    B = nx.Graph((("m", m), ("p", p)) for p, ms in members.items() for m in ms)
    P = bipartite.weighted_projected_graph(B, [n for n in B if n[0] == "p"])
    assert {frozenset((u[1], v[1])): d["weight"] for u, v, d in P.edges(data=True)} == \
        {k: n for k, (n, _) in expected.items()}
    counts = {}
    for ms in members.values():
        for m in ms:
            counts[m] = counts.get(m, 0) + 1
    assert {m.actor_id for m in o.multi_pole} == {m for m, k in counts.items() if k >= 2}


# -- co-funding --------------------------------------------------------------------------------

def test_cofunding_hand_computed(eco):
    c = cofunding(eco)
    assert isinstance(c, CoFunding)
    funders = by_names(c.funders)
    assert set(funders) == {frozenset(("Région Occitanie", "Département de la Haute-Garonne"))}
    rd = next(iter(funders.values()))
    # Région funds {Alpha, Beta}, Département {Alpha}: 1 shared, Jaccard 1/2
    assert rd.shared == 1 and rd.jaccard == pytest.approx(0.5)
    amounts = {rd.name_a: rd.amount_a, rd.name_b: rd.amount_b}
    assert amounts == {"Région Occitanie": 50000, "Département de la Haute-Garonne": None}
    assert rd.amount == 50000

    bens = by_names(c.beneficiaries)
    assert set(bens) == {frozenset(("Pôle Alpha", "Pôle Beta")), frozenset(("Association Azur", "SCIC Cantal"))}
    ab = bens[frozenset(("Pôle Alpha", "Pôle Beta"))]
    # Alpha funded by {Région, Département}, Beta by {Région}: Jaccard 1/2; from the Région 50 000 + 10 000
    assert ab.shared == 1 and ab.jaccard == pytest.approx(0.5) and ab.amount == 60000
    ac = bens[frozenset(("Association Azur", "SCIC Cantal"))]
    assert ac.jaccard == 1.0 and ac.amount == 5000  # the foundation's grant to C has no amount
    # the refused application of C to the Département is not funding
    assert all("Département de la Haute-Garonne" not in (p.name_a, p.name_b) for p in c.beneficiaries)


def test_cofunding_as_of_and_labels(eco):
    c = cofunding(eco, as_of=2015)  # only the Région's 2015 grant and the undated foundation grants
    assert c.funders == []
    assert {frozenset((p.name_a, p.name_b)) for p in c.beneficiaries} == {
        frozenset(("Association Azur", "SCIC Cantal"))}
    row = cofunding(eco).table("funders")[0]
    assert row["Partenaires communs"] == 1 and row["Indice de Jaccard"] == pytest.approx(0.5)
    assert "Montant connu total (€)" in row


def test_reference_cofunding_brute_force(reference):
    actors = {a.id: a for a in reference.iter_actors(include_persons=True)}
    bens: dict[str, set[str]] = {}
    for r in reference.relations(types=["funds"]):
        if not actors[r.source].personal_data and not actors[r.target].personal_data:
            bens.setdefault(r.source, set()).add(r.target)
    expected = {frozenset((f, g)): len(bens[f] & bens[g]) for f, g in combinations(bens, 2) if bens[f] & bens[g]}
    got = {frozenset((p.a, p.b)): p.shared for p in cofunding(reference).funders}
    assert got == expected and expected


# -- governance interlocks ------------------------------------------------------------------------

def test_governance_interlocks_hand_computed(eco, ids):
    g = governance_interlocks(eco)
    pairs = by_names(g.pairs)
    expected = {("Région Occitanie", "Pôle Alpha"), ("Région Occitanie", "Association Porteuse Alpha"),
                ("Pôle Alpha", "Association Porteuse Alpha"), ("Association Azur", "SCIC Cantal"),
                ("Association Azur", "Pôle Beta"), ("SCIC Cantal", "Pôle Beta")}
    assert set(pairs) == {frozenset(p) for p in expected}
    top = g.pairs[0]
    assert {top.name_a, top.name_b} == {"Pôle Alpha", "Association Porteuse Alpha"}
    assert top.governors == 2 and top.persons == 1
    assert top.organisation_names == ("Département de la Haute-Garonne",) and top.person_ids == ()
    assert g.partners[ids["Pôle Alpha"]] == 2
    text = repr(g) + json.dumps(g.table(), ensure_ascii=False)
    assert not any(n in text for n in PERSONS) and ids["Jeanne Dupont"] not in text
    assert "Gouvernants communs" in g.table()[0]

    named = governance_interlocks(eco, include_persons=True)
    top = by_names(named.pairs)[frozenset(("Pôle Alpha", "Association Porteuse Alpha"))]
    assert top.person_ids == (ids["Jeanne Dupont"],)

    later = by_names(governance_interlocks(eco, as_of=2016).pairs)  # Jeanne left the porteur in 2012
    assert frozenset(("Région Occitanie", "Association Porteuse Alpha")) not in later
    assert later[frozenset(("Pôle Alpha", "Association Porteuse Alpha"))].governors == 1


def test_reference_interlocks_never_name_persons(reference):
    persons = {a.id for a in reference.iter_actors(include_persons=True) if a.personal_data}
    g = governance_interlocks(reference)
    assert g.pairs and sum(p.persons for p in g.pairs) > 0  # persons are counted…
    for p in g.pairs:
        assert not persons & {p.a, p.b, *p.organisations, *p.person_ids}  # …never named
