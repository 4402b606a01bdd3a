"""The analysis lenses (maillage.analytics.lenses) on a small hand-built store (written as
``maillage-jsonl`` and loaded through the ordinary loader) with hand-computed edges and
Newman weights, and on the reference dataset, checked against networkx's own bipartite
projection and against :func:`maillage.graph.projection.to_graph`."""

from __future__ import annotations

import doctest
from itertools import combinations

import networkx as nx
import pytest
from networkx.algorithms import bipartite

import maillage.analytics.lenses as lenses_module
from maillage.analytics.lenses import LENSES, certainty_codes, get_lens, lens_digraph, lens_graph, tie_rule
from maillage.analytics.overlaps import governance_interlocks
from maillage.graph.projection import project, to_graph
from maillage.graph.store import NotFound, StoreError, Subgraph
from maillage.graph.vocabulary import VocabularyError, vocabulary

from _jsonl import actor, ids_by_name, loaded_store, relation


# Three pôles; Alpha (Toulouse, département 31) has members A, B (until 2014), D, an unnamed
# group of three communes and a natural person; Beta (Lot, 46) has B, C and E (from 2018);
# Gamma has A and B. Newman weights by hand: Alpha 1/3 (4 members), Beta 1/2, Gamma 1.
ECOSYSTEM = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Lentilles d'essai",
     "documents": {"etude": {"title": "Étude sur les PTCE", "sha256": "cd" * 32}}},
    actor("p1", "Pôle Alpha", "pole", "ptce", location="commune:31555"),
    actor("p2", "Pôle Beta", "pole", "ptce", location="commune:46042"),
    actor("p3", "Pôle Gamma", "pole", "pole_autre"),
    actor("a", "Association Azur", "ess", "association", location="commune:31555"),
    actor("b", "SCOP Bâtisseurs", "ess", "scop", location="commune:31446"),
    actor("c", "SCIC Cantal", "ess", "scic", location="commune:46042"),
    actor("d", "Menuiserie Durand", "enterprise", "pme", location="commune:31555"),
    actor("e", "Tiers-lieu Étincelle", "tiers_lieu", "tiers_lieu", location="commune:46042"),
    actor("porteur", "Association Porteuse Alpha", "ess", "association", location="commune:31555"),
    actor("reg", "Région Occitanie", "collectivite", "region", territory="region:76"),
    actor("dep", "Département de la Haute-Garonne", "collectivite", "departement", territory="departement:31"),
    actor("fond", "Fondation Solidaire", "ess", "fondation"),
    actor("ph", "Trois communes", "collectivite", "commune", placeholder=True, group_count=3),
    actor("jeanne", "Jeanne Dupont", "person", "elu"),
    actor("paul", "Paul Martin", "person", "salarie"),
    # memberships
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
    # other cooperation ties
    relation("carries", "porteur", "p1", function="structure_porteuse"),
    relation("cooperates", "a", "d", form="mutualisation_moyens"),
    relation("supports", "reg", "p1", form="co_construction"),
    relation("cooperates", "e", "c", certainty="planned"),
    # funding
    relation("funds", "reg", "p1", locator="L30", amount=30000, year=2015, start=2015, end=2015),
    relation("funds", "reg", "p1", locator="L31", amount=20000, year=2016, start=2016, end=2016),
    relation("funds", "dep", "p1", locator="L32", year=2016, start=2016, end=2016),
    relation("funds", "reg", "p2", locator="L33", amount=10000, year=2016, start=2016, end=2016),
    relation("funds", "fond", "a", locator="L34", amount=5000),
    relation("funds", "fond", "c", locator="L35"),
    relation("applies_to", "c", "reg", locator="L36", amount_requested=8000, year=2017, status="refuse"),
    # governance: Jeanne represents the Région, the pôle Alpha and (2010–2012) its porteur;
    # Paul represents A and C and sits on Beta's board; the Département sits on Alpha's
    # steering committee and on its porteur's board
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
EVERY_CERTAINTY = list(certainty_codes(["tout"]))  # every certainty of the vocabulary, as « --certainty tout »


@pytest.fixture(scope="module")
def eco(tmp_path_factory):
    s = loaded_store(tmp_path_factory.mktemp("lentilles"), ECOSYSTEM)
    yield s
    s.close()


@pytest.fixture(scope="module")
def ids(eco) -> dict[str, str]:
    return ids_by_name(eco)


def edge(G, ids, x, y):
    return G.edges[ids[x], ids[y]]


def co_weights(G) -> dict[frozenset, float]:
    return {frozenset((u, v)): d["co_membership"] for u, v, d in G.edges(data=True) if d["co_membership"] > 0}


def third(n):
    return pytest.approx(n / 3)


# -- the lenses and their types ------------------------------------------------------------------

def test_lenses_follow_the_vocabulary():
    voc = vocabulary()
    assert set(LENSES) == set(voc.lenses())
    for name, lens in LENSES.items():
        assert lens.types() == voc.types_in_lens(name)
    assert set(get_lens("cooperation").types()) == set(voc.cooperation_types())
    assert get_lens("funding").layers == ("direct",)
    assert get_lens("cooperation").label() == "Coopération"
    with pytest.raises(VocabularyError):
        get_lens("amitié")


def test_docstring_examples_run():
    assert doctest.testmod(lenses_module).failed == 0


# -- cooperation lens: direct ties + Newman co-membership + shared governance --------------------

def test_cooperation_lens_hand_computed(eco, ids):
    G = lens_graph(eco, "cooperation")
    names = {G.nodes[n]["name"] for n in G}
    assert not names & set(PERSONS)
    assert len(G) == 13  # every actor but the two persons, isolated ones included
    assert G.degree(ids["Fondation Solidaire"]) == 0  # funding only: isolated in this lens

    ab = edge(G, ids, "Association Azur", "SCOP Bâtisseurs")  # Alpha (1/3) + Gamma (1)
    assert ab["co_membership"] == third(4) and ab["shared_poles"] == 2
    assert ab["poles"] == sorted([ids["Pôle Alpha"], ids["Pôle Gamma"]])
    assert ab["layers"] == ["co_membership"] and ab["types"] == ["membership"]
    assert ab["weight"] == third(4) and ab["direct"] == 0 and ab["sources"] == 1

    ad = edge(G, ids, "Association Azur", "Menuiserie Durand")  # cooperates + Alpha
    assert ad["layers"] == ["direct", "co_membership"]
    assert ad["direct"] == 1 and ad["co_membership"] == third(1) and ad["weight"] == third(4)
    assert ad["types"] == ["cooperates", "membership"]

    assert edge(G, ids, "SCOP Bâtisseurs", "SCIC Cantal")["co_membership"] == pytest.approx(0.5)
    assert edge(G, ids, "SCIC Cantal", "Tiers-lieu Étincelle")["co_membership"] == pytest.approx(0.5)
    # the direct membership ties stay
    am = edge(G, ids, "Association Azur", "Pôle Alpha")
    assert am["layers"] == ["direct"] and am["types"] == ["membership"] and am["weight"] == 1
    # the porteur: carries + two common governors (Jeanne, a person, and the Département)
    pp = edge(G, ids, "Association Porteuse Alpha", "Pôle Alpha")
    assert pp["layers"] == ["direct", "shared_governance"]
    assert pp["shared_governance"] == 2 and pp["shared_governance_persons"] == 1
    assert pp["governors"] == [ids["Département de la Haute-Garonne"]]  # the person is not named
    assert pp["weight"] == 3 and pp["types"] == ["carries", "governs", "represents"]
    # Paul (a person) represents A and C: an interlock between them, on top of nothing else
    ac = edge(G, ids, "Association Azur", "SCIC Cantal")
    assert ac["layers"] == ["shared_governance"] and ac["weight"] == 1 and ac["governors"] == []
    # no funding tie in this lens
    assert not G.has_edge(ids["Fondation Solidaire"], ids["Association Azur"])
    # every edge's weight is the sum of its layers
    for _, _, d in G.edges(data=True):
        assert d["weight"] == pytest.approx(d["direct"] + d["co_membership"] + d["shared_governance"])
        assert set(d["layers"]) <= {"direct", "co_membership", "shared_governance"} and d["layers"]
        assert d["types"] == sorted(d["types"]) and d["sources"] >= 1


def test_node_attributes_family_and_poles(eco, ids):
    G = lens_graph(eco)
    b = G.nodes[ids["SCOP Bâtisseurs"]]
    assert b["family"] == "ess" and b["label"] == "SCOP Bâtisseurs"
    assert b["poles"] == sorted(ids[p] for p in ("Pôle Alpha", "Pôle Beta", "Pôle Gamma"))
    assert G.nodes[ids["Région Occitanie"]]["poles"] == []
    assert G.nodes[ids["Trois communes"]]["placeholder"] is True
    # the same node attributes as projection.to_graph, plus poles
    ref = to_graph(project(eco, "cooperation"))
    for n in ref:
        assert {k: v for k, v in G.nodes[n].items() if k != "poles"} == ref.nodes[n]
    # as of 2016 B has left Alpha
    assert lens_graph(eco, as_of=2016).nodes[ids["SCOP Bâtisseurs"]]["poles"] == sorted(
        ids[p] for p in ("Pôle Beta", "Pôle Gamma"))


def test_as_of_drops_ended_memberships(eco, ids):
    G = lens_graph(eco, "cooperation", as_of=2016)
    # Alpha as of 2016: A, D, the communes (B left in 2014) → 1/2; Beta: B, C (E from 2018) → 1
    assert not G.has_edge(ids["SCOP Bâtisseurs"], ids["Pôle Alpha"])
    assert edge(G, ids, "Association Azur", "SCOP Bâtisseurs")["co_membership"] == pytest.approx(1.0)  # Gamma only
    assert edge(G, ids, "Association Azur", "SCOP Bâtisseurs")["shared_poles"] == 1
    assert edge(G, ids, "Association Azur", "Menuiserie Durand")["co_membership"] == pytest.approx(0.5)
    assert edge(G, ids, "SCOP Bâtisseurs", "SCIC Cantal")["co_membership"] == pytest.approx(1.0)
    assert not G.has_edge(ids["SCOP Bâtisseurs"], ids["Menuiserie Durand"])
    assert not G.has_edge(ids["Tiers-lieu Étincelle"], ids["SCIC Cantal"])  # E joins Beta in 2018
    ec = lens_graph(eco, as_of=2016, certainty=EVERY_CERTAINTY).edges[ids["Tiers-lieu Étincelle"], ids["SCIC Cantal"]]
    assert ec["layers"] == ["direct"] and ec["types"] == ["cooperates"]  # the (undated) planned tie, asked for
    # Jeanne's mandate at the porteur ended in 2012: one common governor left
    assert edge(G, ids, "Association Porteuse Alpha", "Pôle Alpha")["shared_governance"] == 1
    assert not G.has_edge(ids["Région Occitanie"], ids["Association Porteuse Alpha"])
    assert G.graph["as_of"] == 2016
    G2019 = lens_graph(eco, as_of=2019)
    assert edge(G2019, ids, "Tiers-lieu Étincelle", "SCIC Cantal")["co_membership"] == pytest.approx(0.5)  # B, C, E


# A pôle's history (a member list per year): the Labo left in 2014, the Commune joined in 2016,
# the SCOP was there throughout (undated); Paul sat on the Labo's board until 2012 and on the
# Commune's council from 2015.
HISTORY = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Histoire d'un pôle",
     "documents": {"listes": {"title": "Listes des membres 2012-2018", "sha256": "ef" * 32}}},
    actor("p", "Pôle Delta", "pole", "ptce", location="commune:31555"),
    actor("labo", "Labo Quatre", "research", "laboratoire", location="commune:31555"),
    actor("commune", "Commune de Trois", "collectivite", "commune", territory="commune:31446"),
    actor("scop", "SCOP Pont", "ess", "scop", location="commune:31555"),
    actor("paul", "Paul Martin", "person", "elu"),
    relation("membership", "labo", "p", start=2012, end=2014),
    relation("membership", "commune", "p", start=2016),
    relation("membership", "scop", "p"),
    relation("governs", "paul", "labo", start=2008, end=2012),
    relation("governs", "paul", "commune", start=2015),
]


def test_all_years_ties_only_actors_that_were_together(tmp_path):
    """Without ``as_of`` a co-membership or shared-governance tie joins two actors that were in
    the pôle, or on the governor's boards, in a same year — the union of the years' graphs —
    never a member gone before the other came (the Newman weight stays 1/(n_p − 1) over
    every member the pôle ever had)."""
    store = loaded_store(tmp_path, HISTORY)
    ids = ids_by_name(store)
    labo, commune, scop = ids["Labo Quatre"], ids["Commune de Trois"], ids["SCOP Pont"]
    G = lens_graph(store, "cooperation")
    assert not G.has_edge(labo, commune)  # 2012–2014 and from 2016: never members together
    assert G.edges[labo, scop]["co_membership"] == pytest.approx(0.5)
    assert G.edges[commune, scop]["co_membership"] == pytest.approx(0.5)
    years = [lens_graph(store, "cooperation", as_of=y) for y in range(2008, 2020)]
    assert set(map(frozenset, G.edges)) == set().union(*(map(frozenset, g.edges) for g in years))
    assert not lens_graph(store, "governance").has_edge(labo, commune)  # Paul's seats: 2008–2012, from 2015
    assert governance_interlocks(store).pairs == []  # the two-mode view says the same
    assert len(governance_interlocks(store, as_of=2012).pairs) == 0 and lens_graph(store, as_of=2013).has_edge(labo, scop)
    store.close()


def test_certainty_filter(eco, ids):
    default = lens_graph(eco, "cooperation")
    every = lens_graph(eco, "cooperation", certainty=EVERY_CERTAINTY)
    stated = lens_graph(eco, "cooperation", certainty=["stated"])
    ce = (ids["SCIC Cantal"], ids["Tiers-lieu Étincelle"])
    # the planned cooperation is no tie by default (the tie rule): only the shared pôle Beta
    assert default.edges[ce]["types"] == ["membership"] and default.edges[ce]["direct"] == 0
    assert default.graph["certainty"] == ["stated", "implied", "inferred"] and default.graph["left_out"]["planned"] == 1
    assert "cooperates" in every.edges[ce]["types"] and every.edges[ce]["direct"] == 1  # asked for
    assert every.graph["left_out"]["planned"] == 0
    assert stated.edges[ce]["types"] == ["membership"] and stated.edges[ce]["direct"] == 0
    assert default.number_of_edges() == every.number_of_edges()  # C and E share Beta: the pair is tied anyway
    only_planned = lens_graph(eco, "cooperation", certainty=["planned"])
    assert only_planned.number_of_edges() == 1
    with pytest.raises(ValueError, match="certainty"):
        lens_graph(eco, certainty=["sure"])


def test_persons_only_on_request(eco, ids):
    for name in LENSES:
        for G in (lens_graph(eco, name), lens_digraph(eco, name)):
            assert not {ids[p] for p in PERSONS} & set(G)
            assert all(not d["personal_data"] for _, d in G.nodes(data=True))
            assert all(ids["Jeanne Dupont"] not in d["governors"] for *_, d in G.edges(data=True))
    G = lens_graph(eco, "cooperation", include_persons=True)
    assert ids["Jeanne Dupont"] in G
    # Jeanne is then a fifth member of Alpha: 1/4 per shared membership
    assert edge(G, ids, "Association Azur", "Menuiserie Durand")["co_membership"] == pytest.approx(0.25)
    assert edge(G, ids, "Jeanne Dupont", "Association Azur")["co_membership"] == pytest.approx(0.25)
    pp = edge(G, ids, "Association Porteuse Alpha", "Pôle Alpha")
    assert pp["governors"] == sorted([ids["Jeanne Dupont"], ids["Département de la Haute-Garonne"]])
    gov = lens_graph(eco, "governance", include_persons=True)
    assert gov.has_edge(ids["Jeanne Dupont"], ids["Région Occitanie"])  # represents, a direct tie


def test_placeholders_keep_or_drop(eco, ids):
    keep = lens_graph(eco)
    drop = lens_graph(eco, placeholders="drop")
    ph, alpha = ids["Trois communes"], ids["Pôle Alpha"]
    assert ph in keep and keep.degree(ph) == 4  # member of Alpha, co-member of A, B, D: not isolated
    assert keep.edges[ph, ids["Association Azur"]]["co_membership"] == third(1)
    assert ph not in drop
    assert drop.degree(alpha) == keep.degree(alpha) - 1
    # Alpha without the communes has three members: 1/2
    assert edge(drop, ids, "Association Azur", "Menuiserie Durand")["co_membership"] == pytest.approx(0.5)
    assert edge(drop, ids, "Association Azur", "SCOP Bâtisseurs")["co_membership"] == pytest.approx(1.5)
    with pytest.raises(ValueError, match="placeholders"):
        lens_graph(eco, placeholders="hide")


def test_territory_filter(eco, ids):
    G = lens_graph(eco, "cooperation", territory="departement:31")
    inside = {"Pôle Alpha", "Association Azur", "SCOP Bâtisseurs", "Menuiserie Durand",
              "Association Porteuse Alpha", "Département de la Haute-Garonne"}
    assert set(G) == {ids[n] for n in inside}
    # weights are those of the whole lens (A–B also share Gamma, outside the département)
    assert edge(G, ids, "Association Azur", "SCOP Bâtisseurs")["co_membership"] == third(4)
    # direct ties leaving the territory: Région–Alpha, communes–Alpha, B–Beta, A–Gamma, B–Gamma
    assert G.graph["outside_ties"] == 5 and G.graph["notes"]
    assert G.degree(ids["Département de la Haute-Garonne"]) == 0
    whole = lens_graph(eco, "cooperation")
    assert nx.utils.edges_equal(G.edges, whole.subgraph(G.nodes).edges)
    # a whole region, a whole country
    occ = lens_graph(eco, territory="region:76")
    assert ids["Région Occitanie"] in occ and ids["SCIC Cantal"] in occ and ids["Pôle Gamma"] not in occ
    assert len(lens_graph(eco, territory="departement:46")) == 3
    with pytest.raises(ValueError, match="territory"):
        lens_graph(eco, territory="Toulouse")


def test_pole_filter(eco, ids):
    G = lens_graph(eco, "cooperation", pole=ids["Pôle Alpha"])
    members = {"Pôle Alpha", "Association Azur", "SCOP Bâtisseurs", "Menuiserie Durand", "Trois communes",
               "Association Porteuse Alpha"}
    assert set(G) == {ids[n] for n in members}
    assert edge(G, ids, "Association Porteuse Alpha", "Pôle Alpha")["types"] == ["carries", "governs", "represents"]
    G2016 = lens_graph(eco, "cooperation", pole=ids["Pôle Alpha"], as_of=2016)
    assert ids["SCOP Bâtisseurs"] not in G2016
    both = lens_graph(eco, pole=ids["Pôle Alpha"], territory="departement:31", placeholders="drop")
    assert ids["Trois communes"] not in both and ids["Association Azur"] in both
    with pytest.raises(NotFound):
        lens_graph(eco, pole="nobody")
    with pytest.raises(StoreError):
        lens_graph(eco, pole=ids["Association Azur"])


# -- funding and governance lenses, directed graphs ---------------------------------------------

def test_funding_lens(eco, ids):
    G = lens_graph(eco, "funding")
    rp = edge(G, ids, "Région Occitanie", "Pôle Alpha")
    assert rp["amount"] == 50000 and rp["amount_known"] == 2 and rp["years"] == [2015, 2016]
    assert rp["count"] == 2 and rp["weight"] == 2 and rp["types"] == ["funds"]
    assert edge(G, ids, "Département de la Haute-Garonne", "Pôle Alpha")["amount"] is None
    assert edge(G, ids, "Fondation Solidaire", "Association Azur")["amount"] == 5000
    # the SCIC's application was refused: no funding tie, unless asked for
    assert not G.has_edge(ids["SCIC Cantal"], ids["Région Occitanie"]) and G.graph["left_out"]["refused"] == 1
    with_refused = lens_graph(eco, "funding", refused=True)
    app = edge(with_refused, ids, "SCIC Cantal", "Région Occitanie")
    assert app["types"] == ["applies_to"] and app["amount"] is None and app["amount_requested"] == 8000
    assert G.number_of_edges() == 5 and with_refused.number_of_edges() == 6
    assert all(d["layers"] == ["direct"] for *_, d in G.edges(data=True))
    assert lens_graph(eco, "funding", as_of=2015).edges[ids["Région Occitanie"], ids["Pôle Alpha"]]["amount"] == 30000
    assert not lens_graph(eco, "funding", as_of=2015).has_edge(ids["Région Occitanie"], ids["Pôle Beta"])

    D = lens_digraph(eco, "funding")
    assert D.has_edge(ids["Région Occitanie"], ids["Pôle Alpha"])
    assert not D.has_edge(ids["Pôle Alpha"], ids["Région Occitanie"])
    assert not D.has_edge(ids["Région Occitanie"], ids["SCIC Cantal"])  # refused
    # an application is drawn from the body asked to the applicant (funder → beneficiary)
    D = lens_digraph(eco, "funding", refused=True)
    assert D.has_edge(ids["Région Occitanie"], ids["SCIC Cantal"])
    assert not D.has_edge(ids["SCIC Cantal"], ids["Région Occitanie"])
    assert D.number_of_edges() == 6


def test_governance_lens_and_digraph(eco, ids):
    G = lens_graph(eco, "governance")
    assert edge(G, ids, "Département de la Haute-Garonne", "Pôle Alpha")["layers"] == ["direct"]
    # interlocks: Jeanne (Région, Alpha, porteur), Paul (A, C, Beta), Département (Alpha, porteur)
    interlocked = {frozenset((u, v)) for u, v, d in G.edges(data=True) if "shared_governance" in d["layers"]}
    expected = [("Région Occitanie", "Pôle Alpha"), ("Région Occitanie", "Association Porteuse Alpha"),
                ("Pôle Alpha", "Association Porteuse Alpha"), ("Association Azur", "SCIC Cantal"),
                ("Association Azur", "Pôle Beta"), ("SCIC Cantal", "Pôle Beta")]
    assert interlocked == {frozenset((ids[x], ids[y])) for x, y in expected}
    assert all(d["types"] for *_, d in G.edges(data=True))
    assert not G.has_edge(ids["Association Azur"], ids["Menuiserie Durand"])  # cooperation is not governance

    D = lens_digraph(eco, "governance")
    dep, alpha = ids["Département de la Haute-Garonne"], ids["Pôle Alpha"]
    assert D.has_edge(dep, alpha) and D.edges[dep, alpha]["layers"] == ["direct"]
    assert not D.has_edge(alpha, dep)  # governs is directed; they share no governor
    a, c = ids["Association Azur"], ids["SCIC Cantal"]
    assert D.has_edge(a, c) and D.has_edge(c, a)  # interlocks are symmetric


def test_cooperation_digraph(eco, ids):
    D = lens_digraph(eco, "cooperation")
    a, d, alpha, b = ids["Association Azur"], ids["Menuiserie Durand"], ids["Pôle Alpha"], ids["SCOP Bâtisseurs"]
    assert D.has_edge(a, alpha) and not D.has_edge(alpha, a)  # member → pôle, as stated
    assert D.has_edge(a, d) and D.has_edge(d, a)  # cooperates is undirected
    assert D.edges[a, b]["co_membership"] == third(4) == D.edges[b, a]["co_membership"]
    G = lens_graph(eco, "cooperation")
    assert {frozenset(e) for e in D.edges} == {frozenset(e) for e in G.edges}


def test_all_lens_holds_every_layer(eco, ids):
    G = lens_graph(eco, "all")
    coop = lens_graph(eco, "cooperation")
    fund = lens_graph(eco, "funding")
    for u, v in [*coop.edges, *fund.edges]:
        assert G.has_edge(u, v)
    rp = edge(G, ids, "Région Occitanie", "Pôle Alpha")
    assert set(rp["types"]) == {"funds", "supports", "represents"}
    assert rp["layers"] == ["direct", "shared_governance"] and rp["amount"] == 50000


# -- independent checks --------------------------------------------------------------------------

def networkx_newman(store, include_persons=False, as_of=None) -> dict[frozenset, float]:
    """networkx's collaboration-weighted projection of the member–pôle bipartite graph,
    built straight from the store's statements."""
    actors = {a.id: a for a in store.iter_actors(include_persons=True)}
    B = nx.Graph()
    for r in store.relations(types=["membership"], as_of=as_of):
        m, p = actors[r.source], actors[r.target]
        if p.family != "pole" or (m.personal_data and not include_persons):
            continue
        B.add_edge(("m", m.id), ("p", p.id))
    top = [n for n in B if n[0] == "m"]
    P = bipartite.collaboration_weighted_projected_graph(B, top)
    return {frozenset((u[1], v[1])): d["weight"] for u, v, d in P.edges(data=True) if d["weight"] > 0}


def assert_same_weights(ours: dict, theirs: dict):
    assert set(ours) == set(theirs)
    for k, w in theirs.items():
        assert ours[k] == pytest.approx(w), k


def test_co_membership_equals_networkx_bipartite_projection(eco):
    assert_same_weights(co_weights(lens_graph(eco)), networkx_newman(eco))
    assert_same_weights(co_weights(lens_graph(eco, as_of=2016)), networkx_newman(eco, as_of=2016))
    assert_same_weights(co_weights(lens_graph(eco, include_persons=True)), networkx_newman(eco, include_persons=True))


def test_reference_co_membership_equals_networkx(reference):
    assert_same_weights(co_weights(lens_graph(reference, "cooperation")), networkx_newman(reference))
    assert_same_weights(co_weights(lens_graph(reference, "all")), networkx_newman(reference))


def test_direct_layer_matches_projection_to_graph(eco, reference):
    """The direct layer is the projection of the statements that are ties (the tie rule: no
    planned statement, no refused application by default; every statement when asked)."""
    rule = tie_rule()
    for store in (eco, reference):
        for name in LENSES:
            sub = project(store, name)
            ties = Subgraph(actors=sub.actors, relations=[r for r in sub.relations if rule.counts(r)])
            for G, ref in ((lens_graph(store, name), to_graph(ties)),
                           (lens_graph(store, name, certainty=EVERY_CERTAINTY, refused=True), to_graph(sub))):
                direct = {frozenset((u, v)): d for u, v, d in G.edges(data=True) if "direct" in d["layers"]}
                assert direct.keys() == {frozenset(e) for e in ref.edges}, name
                for u, v, d in ref.edges(data=True):
                    assert direct[frozenset((u, v))]["direct"] == d["weight"]
                assert set(G) == set(ref)


# -- reference dataset ---------------------------------------------------------------------------

def test_reference_no_person_in_any_lens(reference):
    persons = {a.id for a in reference.iter_actors(include_persons=True) if a.personal_data}
    assert persons  # the reference data does name persons
    for name in LENSES:
        for G in (lens_graph(reference, name), lens_digraph(reference, name)):
            assert not persons & set(G), name
            assert not any(persons & set(d["governors"]) for *_, d in G.edges(data=True))


def test_reference_every_pole_with_two_named_members_gets_co_membership(reference):
    actors = {a.id: a for a in reference.iter_actors(include_persons=True)}
    named: dict[str, set[str]] = {}
    for r in reference.relations(types=["membership"]):
        m, p = actors[r.source], actors[r.target]
        if p.family == "pole" and not m.personal_data and not m.placeholder and m.group_count is None:
            named.setdefault(p.id, set()).add(m.id)
    poles = {p: ms for p, ms in named.items() if len(ms) >= 2}
    assert len(poles) >= 8
    G = lens_graph(reference, "cooperation")
    for p, ms in poles.items():
        for u, v in combinations(sorted(ms), 2):
            d = G.edges[u, v]
            assert "co_membership" in d["layers"] and p in d["poles"], (actors[p].name, u, v)
    # Newman's normalisation: a member's co-membership weights through one pôle sum to 1
    dropped = lens_graph(reference, "cooperation", placeholders="drop")
    members = {}
    for u, v, d in dropped.edges(data=True):
        for p in d["poles"]:
            members.setdefault(p, set()).update((u, v))
    for n in dropped:
        k = sum(1 for p in dropped.nodes[n]["poles"] if len(members.get(p, ())) >= 2)
        s = sum(d["co_membership"] for *_, d in dropped.edges(n, data=True))
        assert s == pytest.approx(k), n


def test_reference_territory_and_pole_filters(reference):
    perisc = next(a.id for a in reference.iter_actors() if a.name == "Le Périscope")
    G = lens_graph(reference, pole=perisc)
    assert perisc in G and len(G) >= 30
    assert nx.is_connected(G)  # every member is tied to the pôle
    whole = lens_graph(reference)
    assert nx.utils.edges_equal(G.edges, whole.subgraph(G.nodes).edges)
    inside = set(reference.actors_in_territory("region:76"))
    T = lens_graph(reference, territory="region:76")
    assert set(T) == inside  # same rule as the store's territory index
