"""Partner suggestions on a hand-built store: Adamic–Adar and common neighbours checked against
networkx (the independent implementation), the score recomputed from its written-out
formula, hand-ranked suggestions, no existing tie, no person, no placeholder; and a run
on the reference dataset."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from maillage.analytics.suggestions import suggest_partners
from maillage.graph import open_store
from maillage.graph.projection import project, to_graph
from maillage.loaders import load_file, load_reference

from _jsonl import actor, relation, write_jsonl


TOULOUSE, RAMONVILLE, CASTRES = "commune:31555", "commune:31446", "commune:81065"

# Cooperation graph (persons left out): A–Q, B–Q, E–Q, A–C, B–C, A–D.
# A and E are also tied by a grant (not cooperation): never to be suggested.
NETWORK = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Réseau d'essai",
     "documents": {"etude": {"title": "Cartographie"}}},
    actor("Q", "Pôle Quartz", "pole", "ptce", location=TOULOUSE),
    actor("A", "Association Azur", "ess", "association", location=TOULOUSE, attributes={"naf": "88.99B"}),
    actor("B", "Boulangerie Blé", "enterprise", "pme", location=TOULOUSE),
    actor("C", "Laboratoire Cèdre", "research", "laboratoire", location=RAMONVILLE),
    actor("D", "Association Dune", "ess", "association", location=TOULOUSE),
    actor("E", "Sicoval", "collectivite", "epci", location=RAMONVILLE, territory="epci:243100633"),
    actor("G", "Association Gui", "ess", "association", location=TOULOUSE, attributes={"naf": "94.99Z"}),
    actor("H", "Des entreprises du quartier", "enterprise", "entreprise", location=TOULOUSE, placeholder=True),
    actor("S", "Séminaire de Toulouse", "other", "evenement", location=TOULOUSE),
    actor("F", "Fablab de Castres", "tiers_lieu", "tiers_lieu", location=CASTRES),
    actor("X", "Xavier Durand", "person", "salarie", location=TOULOUSE),
    relation("membership", "A", "Q"),
    relation("membership", "B", "Q"),
    relation("supports", "E", "Q", form="conseil_ingenierie"),
    relation("cooperates", "A", "C"),
    relation("cooperates", "B", "C"),
    relation("cooperates", "A", "D"),
    relation("funds", "E", "A", amount=3000),
    relation("membership", "X", "Q"),
    relation("cooperates", "X", "D"),
    relation("employs", "G", "X"),
]


@pytest.fixture
def network(tmp_path):
    s = open_store(str(tmp_path / "reseau.db"))
    load_file(s, write_jsonl(tmp_path / "reseau.jsonl", NETWORK), rejects_dir=tmp_path / "rejets")
    yield s
    s.close()


def by_name(store) -> dict[str, str]:
    return {a.name: a.id for a in store.iter_actors(include_persons=True)}


def expected_score(cn, aa, comp, terr):
    """The score as the module documents it, written out again."""
    return 0.35 * cn / (1 + cn) + 0.35 * aa / (1 + aa) + 0.15 * comp + 0.15 * terr


def test_suggestions_for_one_actor_by_hand(network):
    n = by_name(network)
    out = suggest_partners(network, actor_id=n["Association Azur"])
    pairs = [(s.source.name, s.target.name) for s in out.items]
    # B: common partners Q and C; G: same commune only. Q, C, D are partners; E is tied by a grant;
    # the placeholder and the seminar are never suggested.
    assert pairs == [("Association Azur", "Boulangerie Blé"), ("Association Azur", "Association Gui")]
    first, second = out.items
    aa = 1 / math.log(3) + 1 / math.log(2)  # Q has 3 partners (A, B, E), C has 2 (A, B)
    assert first.common_neighbours == 2 and first.adamic_adar == pytest.approx(aa)
    assert (first.complementarity, first.territory) == (1.0, 1.0)
    assert first.score == pytest.approx(expected_score(2, aa, 1.0, 1.0))
    assert [p.name for p in first.common_partners.items] == ["Laboratoire Cèdre", "Pôle Quartz"]
    # same family, NAF divisions 88 and 94: half complementary
    assert (second.common_neighbours, second.complementarity, second.territory) == (0, 0.5, 1.0)
    assert second.score == pytest.approx(0.15 * 0.5 + 0.15)
    for s in out.items:
        assert s.is_suggestion is True
        assert s.explanation.startswith("Suggestion à vérifier, pas un lien établi")
    assert "2 partenaires en commun : Laboratoire Cèdre, Pôle Quartz" in first.explanation
    assert "familles d'acteurs complémentaires" in first.explanation
    assert "même commune : Toulouse (31)" in first.explanation
    assert "NAF 88 / 94" in second.explanation
    assert [s.rank for s in out.items] == [1, 2] and out.size == 2


def test_scores_against_networkx(network):
    G = to_graph(project(network, "cooperation"))
    out = suggest_partners(network, k=100)
    assert out.size > 3
    for s in out.items:
        u, v = s.source.id, s.target.id
        ((_, _, aa),) = nx.adamic_adar_index(G, [(u, v)])
        assert s.adamic_adar == pytest.approx(aa)
        assert s.common_neighbours == len(list(nx.common_neighbors(G, u, v)))
        assert s.score == pytest.approx(expected_score(s.common_neighbours, aa, s.complementarity, s.territory))
    scores = [s.score for s in out.items]
    assert scores == sorted(scores, reverse=True)


def test_never_an_existing_tie_a_person_or_a_placeholder(network):
    n = by_name(network)
    tied = {frozenset((r.source, r.target)) for r in network.relations()}
    banned = {n["Xavier Durand"], n["Des entreprises du quartier"], n["Séminaire de Toulouse"]}
    for kwargs in ({}, {"pole": n["Pôle Quartz"]}, {"territory": "departement:31"},
                   {"actor_id": n["Sicoval"]}, {"actor_id": n["Association Dune"]}):
        out = suggest_partners(network, k=100, **kwargs)
        for s in out.items:
            assert frozenset((s.source.id, s.target.id)) not in tied
            assert not {s.source.id, s.target.id} & banned
            assert not {p.id for p in s.common_partners.items} & banned - {n["Séminaire de Toulouse"]}
        assert "Xavier" not in out.model_dump_json()
    # the grant between the Sicoval and Azur is an existing tie, though they share the pôle
    sicoval = suggest_partners(network, actor_id=n["Sicoval"])
    assert n["Association Azur"] not in {s.target.id for s in sicoval.items}
    assert n["Boulangerie Blé"] in {s.target.id for s in sicoval.items}


def test_pole_and_territory_focus(network):
    n = by_name(network)
    pole = suggest_partners(network, pole=n["Pôle Quartz"], k=100)
    pairs = {frozenset((s.source.name, s.target.name)) for s in pole.items}
    # new members for the pôle: the Dune association (through Azur), the laboratory (through Azur and Blé)
    assert frozenset(("Pôle Quartz", "Association Dune")) in pairs
    assert frozenset(("Pôle Quartz", "Laboratoire Cèdre")) in pairs
    assert all(n["Pôle Quartz"] in {s.source.id, s.target.id} or
               {s.source.id, s.target.id} & {n["Association Azur"], n["Boulangerie Blé"], n["Sicoval"]}
               for s in pole.items)
    # Ramonville: the laboratory and the Sicoval share the commune and nothing else
    ramonville = suggest_partners(network, territory=RAMONVILLE)
    assert [(s.source.name, s.target.name) for s in ramonville.items] in (
        [("Laboratoire Cèdre", "Sicoval")], [("Sicoval", "Laboratoire Cèdre")])
    assert ramonville.items[0].score == pytest.approx(0.15 + 0.15)
    assert ramonville.items[0].shared_territory == RAMONVILLE


def test_k_and_a_prebuilt_graph(network):
    G = to_graph(project(network, "cooperation"))
    full = suggest_partners(network, k=100)
    top = suggest_partners(network, k=2, graph=G)
    assert [(s.source.id, s.target.id) for s in top.items] == [(s.source.id, s.target.id) for s in full.items[:2]]
    assert top.considered == full.considered
    with pytest.raises(ValueError):
        suggest_partners(network, k=0)


def test_reference_dataset():
    s = open_store(":memory:")
    load_reference(s)
    out = suggest_partners(s, territory="departement:31", k=10)
    assert 0 < out.size <= 10
    tied = {frozenset((r.source, r.target)) for r in s.relations()}
    persons = [a for a in s.iter_actors(include_persons=True) if a.personal_data]
    inside = set(s.actors_in_territory("departement:31"))
    text = out.model_dump_json()
    for item in out.items:
        assert frozenset((item.source.id, item.target.id)) not in tied
        assert {item.source.id, item.target.id} <= inside
        assert item.is_suggestion and "pas un lien établi" in item.explanation
    for p in persons:
        assert f'"{p.id}"' not in text
    s.close()


def test_an_unknown_family_is_not_complementary():
    """The walk-through's suggestion: IÉS (solidarity finance) paired with a patient association
    « because » of « familles d'acteurs complémentaires (Structure de l'ESS / Autre) ». « Autre »
    says nothing of what an actor adds."""
    from maillage.analytics.suggestions import complementarity
    from maillage.graph.model import ActorView

    ies = ActorView(id="i", name="IÉS", family="ess", attributes={"naf": "64.99Z"})
    other = ActorView(id="o", name="RETINA France", family="other", attributes={"naf": "94.99Z"})
    lab = ActorView(id="l", name="Laboratoire", family="research")
    assert complementarity(ies, other) == (0.0, "")
    assert complementarity(other, other.model_copy(update={"id": "p"})) == (0.0, "")
    assert complementarity(ies, lab)[0] == 1.0


def test_a_poles_suggestions_involve_the_pole_or_its_members_outsiders_first():
    """The walk-through: « report --pole "Le Périscope" » suggested pairs of actors merely tied
    to the pôle (the Sicoval and the Maison de l'Économie solidaire, whose only common partner is
    Le Périscope) and, on an animator's own list, pairs of her members « with 1 partenaire en
    commun : » her pôle. Every pair must now have an end in the pôle or M(P) (members and
    structures porteuses, read here from the store), never share only the pôle, and the pairs
    with an actor outside the pôle come first, the pôle's end named first."""
    s = open_store(":memory:")
    load_reference(s)
    pole = s.search("Périscope", family="pole")[0].id
    core = {r.source for r in s.relations(touching=[pole], types=["membership", "carries"])
            if r.target == pole and r.source != pole}
    inside = core | {pole}
    out = suggest_partners(s, pole=pole, k=500)
    assert out.size > 10
    outsider_first = []
    for it in out.items:
        ends = {it.source.id, it.target.id}
        assert ends & inside, (it.source.name, it.target.name)
        assert [p.id for p in it.common_partners.items] != [pole], (it.source.name, it.target.name)
        outsider_first.append(not ends <= inside)
        if not ends <= inside:
            assert it.source.id in inside and it.target.id not in inside
    assert any(outsider_first) and not all(outsider_first)
    assert outsider_first == sorted(outsider_first, reverse=True)  # outsiders, then pairs of members
    k8 = suggest_partners(s, pole=pole, k=8)
    assert [(i.source.id, i.target.id) for i in k8.items] == [(i.source.id, i.target.id) for i in out.items[:8]]
    s.close()


#: A pôle of the Sicoval (epci:243100633): an association, the mairie and a régie are members; a
#: fablab outside the pôle cooperates with the association and the régie.
LAURAGAIS = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "PTCE Lauragais",
     "documents": {"etude": {"title": "Liste des membres"}}},
    actor("pole", "PTCE Lauragais Solidaire", "pole", "ptce", location=RAMONVILLE),
    actor("conv", "Convivencia", "ess", "association", location=RAMONVILLE),
    actor("mairie", "Mairie de Ramonville-Saint-Agne", "collectivite", "commune", location=RAMONVILLE),
    actor("regie", "Régie Sud-Est", "ess", "association", location="commune:31113"),
    actor("fab", "Fablab de Labège", "tiers_lieu", "tiers_lieu", location="commune:31254"),
    relation("membership", "conv", "pole"), relation("membership", "mairie", "pole"),
    relation("membership", "regie", "pole"),
    relation("cooperates", "fab", "conv"), relation("cooperates", "fab", "regie"),
]


def test_two_members_that_only_share_their_pole_are_never_a_lead(tmp_path):
    """The walk-through (a collectivité, ``/api/suggestions?territory=epci:243100633``):
    « Convivencia et Mairie de Ramonville-Saint-Agne ne sont liés par aucune relation connue ;
    1 partenaire en commun : PTCE Lauragais Solidaire ». Two members of a pôle already share it:
    whatever the focus, a pair whose common partners are only their pôle is no lead, and two
    co-members with another common partner are said to share the pôle, not « aucune relation »."""
    from maillage.analytics.suggestions import why

    s = open_store(str(tmp_path / "lauragais.db"))
    load_file(s, write_jsonl(tmp_path / "lauragais.jsonl", LAURAGAIS), rejects_dir=tmp_path / "rejets")
    n = by_name(s)
    for out in (suggest_partners(s, territory="epci:243100633", k=50), suggest_partners(s, k=50),
                suggest_partners(s, actor_id=n["Convivencia"], k=50)):
        pairs = {frozenset((i.source.name, i.target.name)): i for i in out.items}
        assert frozenset(("Convivencia", "Mairie de Ramonville-Saint-Agne")) not in pairs, out.focus
        assert frozenset(("Régie Sud-Est", "Mairie de Ramonville-Saint-Agne")) not in pairs, out.focus
        both = pairs[frozenset(("Convivencia", "Régie Sud-Est"))]
        assert [p.name for p in both.shared_poles] == ["PTCE Lauragais Solidaire"]
        assert "aucune relation connue" not in both.explanation
        assert "sont tous deux dans le pôle PTCE Lauragais Solidaire, sans autre relation connue" in both.explanation
        assert why(both).startswith("2 partenaires en commun : Fablab de Labège, PTCE Lauragais Solidaire")
        if out.focus != "actor":  # the fablab, outside the pôle, is still a lead for the pôle itself
            assert "aucune relation connue" in pairs[frozenset(("Fablab de Labège", "PTCE Lauragais Solidaire"))].explanation
    en = suggest_partners(s, territory="epci:243100633", k=50, lang="en")
    assert any("are both in the pôle PTCE Lauragais Solidaire" in i.explanation for i in en.items)
    s.close()
