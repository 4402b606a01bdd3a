"""Pôle diagnostics (maillage.analytics.poles) on a hand-built ecosystem whose figures are
computed by hand here, on the indices' textbook cases, and on the reference dataset.

The hand-built ecosystem (``ECOSYSTEM``) is also read by ``test_criteria.py`` and
``test_observatory.py``:

- *Pôle Coop'Essai*: 5 members, 5 declared (the list is complete), and a structure porteuse
  (a SCIC): M(P) = 4 ESS, 1 enterprise, 1 research lab. Direct ties among
  them: Jardins–SCOP (cooperates, moyens + a parallel partner tie), Jardins–Menuiserie
  (cooperates, projets, from 2020), SCIC–Jardins (cooperates, practice « R&D commune » → projets),
  SCOP–Régie (partner); a planned Régie–Laboratoire tie is not counted. Funding, all in 2015:
  Région 50 k€ (stated twice), Sicoval 20 k€ to the SCIC, État 20 k€, a fondation 10 k€, a
  refused 99 999 € request of the Département.
- *Pôle Peu Documenté*: 40 declared, 2 named members and an unnamed group of 4 artisans.
- *Pôle Lucratif*: a SAS with its 3 declared members listed, all enterprises, 0 collectivités
  declared.
- *Pôle Fantôme*: nothing but its name.
"""

from __future__ import annotations

import doctest
import random
from pathlib import Path

import networkx as nx
import pytest

from maillage.analytics import criteria, observatory, poles
from maillage.analytics.poles import (blau_index, degree_centralisation, ei_counts, ei_index, herfindahl,
                                      pole_diagnostic, qualitative_variation)
from maillage.graph.store import NotFound, StoreError
from maillage.graph.vocabulary import vocabulary

from _jsonl import actor, ids_by_name, loaded_store, relation


ECOSYSTEM = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Pôles d'essai",
     "documents": {"etude": {"title": "Étude de cas", "sha256": "cd" * 32}}},
    actor("pole", "Pôle Coop'Essai", "pole", "ptce", location="commune:31446",
          declared={"members": 5, "jobs": 120},
          pole={"phase": "consolidation", "founding_year": 2010, "perimeter": ["epci:243100633"]}),
    actor("scic", "SCIC Coop'Essai", "ess", "scic", legal_form="SCIC", location="commune:31446"),
    actor("jardins", "Jardins Partagés", "ess", "association", location="commune:31446"),
    actor("scop", "SCOP Bâtir", "ess", "scop", location="commune:31555"),
    actor("regie", "Régie Insertion", "ess", "siae", location="commune:31446"),
    actor("menuiserie", "Menuiserie Durand", "enterprise", "pme"),
    actor("labo", "Laboratoire LISST", "research", "laboratoire"),
    actor("region", "Région Occitanie", "collectivite", "region"),
    actor("sicoval", "Sicoval", "collectivite", "epci"),
    actor("dep", "Département de la Haute-Garonne", "collectivite", "departement"),
    actor("ramonville", "Ramonville-Saint-Agne", "collectivite", "commune"),
    actor("etat", "État", "state", "etat_autre"),
    actor("fondation", "Fondation Solidaire", "ess", "fondation"),
    actor("cress", "CRESS Occitanie", "network", "cress"),
    actor("elue", "Jeanne Dupont", "person", "elu"),
    relation("carries", "scic", "pole", function="structure_porteuse"),
    *(relation("membership", m, "pole") for m in ("jardins", "scop", "regie", "menuiserie", "labo")),
    relation("membership", "elue", "pole"),
    relation("cooperates", "jardins", "scop", form="mutualisation_moyens"),
    relation("partner", "jardins", "scop"),
    relation("cooperates", "jardins", "menuiserie", form="mutualisation_projets", start=2020),
    relation("cooperates", "scic", "jardins", practice="rd_commune"),
    relation("partner", "scop", "regie"),
    relation("cooperates", "regie", "labo", certainty="planned", form="cooperation_strategique"),
    relation("funds", "region", "pole", amount=50000, nature="fonctionnement", year=2015, start=2015, end=2015),
    relation("funds", "region", "pole", locator="L21", amount=50000, nature="fonctionnement", year=2015,
             start=2015, end=2015),
    relation("funds", "sicoval", "scic", amount=20000, nature="investissement", year=2015, start=2015, end=2015),
    relation("funds", "etat", "pole", amount=20000, year=2015, start=2015, end=2015, programme="AAP PTCE 2013"),
    relation("funds", "fondation", "pole", amount=10000, year=2015, start=2015, end=2015),
    relation("funds", "dep", "pole", amount=99999, status="refuse", year=2015, start=2015, end=2015),
    relation("supports", "dep", "pole", form="conseil_ingenierie"),
    relation("hosts", "ramonville", "pole", premises="bâtiment du Canal"),
    relation("governs", "region", "scic", body="conseil d'administration", college="collectivités",
             shareholder=True),
    relation("governs", "jardins", "pole", body="comité de pilotage"),
    relation("partner", "cress", "pole"),
    # a thinly documented pôle: 40 declared, 2 named members and an unnamed group of 4
    actor("thin", "Pôle Peu Documenté", "pole", "ptce", declared={"members": 40},
          pole={"phase": "emergence", "founding_year": 2015}),
    actor("alpha", "Association Alpha", "ess", "association"),
    actor("beta", "Garage Beta", "enterprise", "tpe"),
    actor("artisans", "Quatre artisans (non nommés)", "enterprise", "tpe", placeholder=True, group_count=4),
    *(relation("membership", m, "thin") for m in ("alpha", "beta", "artisans")),
    # a for-profit "pôle" whose declared members are all listed
    actor("lucratif", "Pôle Lucratif", "pole", "ptce", legal_form="SAS",
          declared={"members": 3, "collectivites": 0}),
    *(actor(f"ent{i}", f"Entreprise {i}", "enterprise", "pme") for i in (1, 2, 3)),
    *(relation("membership", f"ent{i}", "lucratif") for i in (1, 2, 3)),
    # a pôle known by name only
    actor("fantome", "Pôle Fantôme", "pole", "ptce"),
]


def build_store(tmp_path: Path, records=ECOSYSTEM):
    """A SQLite store with ``records`` (this module's ecosystem by default) loaded through the
    ordinary loader; tests/test_criteria.py and test_observatory.py build theirs with it too."""
    return loaded_store(tmp_path, records)


@pytest.fixture
def store(tmp_path):
    s = build_store(tmp_path)
    yield s
    s.close()


# -- indices -------------------------------------------------------------------------------------

def test_blau_iqv_and_hhi_by_hand():
    assert blau_index({"ess": 4, "enterprise": 1, "research": 1}) == pytest.approx(0.5)
    assert blau_index({"ess": 7}) == 0.0
    assert qualitative_variation({"a": 1, "b": 1, "c": 1}, k=3) == pytest.approx(1.0)
    assert qualitative_variation({"ess": 4, "enterprise": 1, "research": 1}, k=12) == pytest.approx(6 / 11)
    assert herfindahl([50, 20, 20, 10]) == pytest.approx(0.34)
    assert herfindahl({"x": 1}) == 1.0
    # the HHI is 1 − Blau over the same shares
    counts = {"a": 3, "b": 5, "c": 2}
    assert herfindahl(counts) == pytest.approx(1 - blau_index(counts))
    for bad in (lambda: blau_index({}), lambda: herfindahl([]), lambda: qualitative_variation({"a": 1}, k=1)):
        with pytest.raises(ValueError):
            bad()


def _freeman_from_networkx(G: nx.Graph) -> float:
    """Freeman's centralisation from networkx's normalised degree centrality: Σ(c* − c_i) / (n − 2)
    (an independent formula: c_i = d_i / (n − 1))."""
    c = nx.degree_centrality(G)
    top = max(c.values())
    return sum(top - v for v in c.values()) / (len(G) - 2)


def test_freeman_centralisation_star_cycle_and_random_graphs():
    for n in (3, 4, 7, 12):
        assert degree_centralisation(nx.star_graph(n - 1)) == pytest.approx(1.0)
        assert degree_centralisation(nx.cycle_graph(n)) == pytest.approx(0.0)
        assert degree_centralisation(nx.complete_graph(n)) == pytest.approx(0.0)
    assert degree_centralisation(nx.path_graph(4)) == pytest.approx(1 / 3)  # degrees 1,2,2,1: 2 / (3·2)
    rng = random.Random(7)
    for _ in range(25):
        G = nx.gnp_random_graph(rng.randint(3, 15), rng.random(), seed=rng.randint(0, 10**6))
        assert degree_centralisation(G) == pytest.approx(_freeman_from_networkx(G))
    with pytest.raises(ValueError):
        degree_centralisation(nx.path_graph(2))
    # a directed or multi-graph is read as its simple undirected graph
    assert degree_centralisation(nx.MultiDiGraph(nx.star_graph(4))) == pytest.approx(1.0)


def test_ei_index_by_hand():
    G = nx.Graph([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")])
    nx.set_node_attributes(G, {"a": "ess", "b": "ess", "c": "enterprise", "d": "enterprise"}, "family")
    assert ei_counts(G) == (2, 2) and ei_index(G) == 0.0
    G.remove_edge("a", "c"), G.remove_edge("b", "c")
    assert ei_index(G) == -1.0
    with pytest.raises(ValueError):
        ei_index(nx.empty_graph(3))


def test_docstring_examples_run():
    for module in (poles, criteria, observatory):
        res = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert res.failed == 0, module.__name__
        assert res.attempted > 0, module.__name__


# -- the hand-built pôle -------------------------------------------------------------------------

def test_identity_size_and_composition(store):
    n = ids_by_name(store)
    d = pole_diagnostic(store, n["Pôle Coop'Essai"])
    assert (d.name, d.kind_label, d.phase_label, d.founding_year) == (
        "Pôle Coop'Essai", "PTCE", "Consolidation / développement", 2010)
    assert d.perimeter == ["epci:243100633"] and d.location_label.startswith("Ramonville")
    assert [c.name for c in d.carriers] == ["SCIC Coop'Essai"]
    assert [m.name for m in d.members] == ["Jardins Partagés", "Laboratoire LISST", "Menuiserie Durand",
                                           "Régie Insertion", "SCOP Bâtir"]  # never the natural person
    s = d.size
    assert (s.named_members, s.placeholder_members, s.member_units, s.carriers, s.core_units) == (5, 0, 5, 1, 6)
    assert s.declared_members == 5 and s.coverage.value == 1.0 and s.declared["jobs"] == 120
    assert {c.family: (c.count, round(c.share, 4)) for c in d.composition} == {
        "ess": (4, round(4 / 6, 4)), "enterprise": (1, round(1 / 6, 4)), "research": (1, round(1 / 6, 4))}
    assert d.composition_n == 6 and d.families_present == 3
    # Blau = 1 − (4/6)² − (1/6)² − (1/6)² = 1/2; IQV = (1/2) / (1 − 1/12), K = non-personal families
    assert d.blau.value == pytest.approx(0.5) and d.blau.n == 6 and d.blau.unknown is None
    k = sum(1 for f in vocabulary().families.values() if not f.personal_data)
    assert d.iqv_k == k == 12
    assert d.iqv.value == pytest.approx(0.5 / (1 - 1 / k))
    assert "K = 12" in d.iqv.note


def test_internal_cooperation_graph(store):
    n = ids_by_name(store)
    d = pole_diagnostic(store, n["Pôle Coop'Essai"])
    t = d.internal
    # pairs: Jardins–SCOP (cooperates + partner), Jardins–Menuiserie, SCIC–Jardins, SCOP–Régie;
    # the planned Régie–Laboratoire tie is not counted, nor the membership star
    pairs = {frozenset((p.source, p.target)) for p in t.pairs}
    expected = {frozenset((n[a], n[b])) for a, b in [("Jardins Partagés", "SCOP Bâtir"),
                                                     ("Jardins Partagés", "Menuiserie Durand"),
                                                     ("SCIC Coop'Essai", "Jardins Partagés"),
                                                     ("SCOP Bâtir", "Régie Insertion")]}
    assert pairs == expected
    assert (t.actors, t.ties, t.statements) == (6, 4, 5)
    # an independent networkx graph built from the expected pairs
    G = nx.Graph([tuple(p) for p in expected])
    G.add_node(n["Laboratoire LISST"])
    assert t.density.value == pytest.approx(nx.density(G)) == pytest.approx(4 / 15)
    assert t.density.n == 6 and "borne inférieure" in t.density.note
    # degrees 3, 2, 1, 1, 1, 0: Σ(3 − d) = 10, / (5 · 4)
    assert t.centralisation.value == pytest.approx(0.5)
    # E = Jardins–Menuiserie (ess–enterprise); I = the three ess–ess ties
    assert (t.external, t.internal) == (1, 3)
    assert t.ei_index.value == pytest.approx(-0.5) and t.ei_index.n == 4
    assert t.cross_family_share.value == pytest.approx(0.25)
    assert [a.name for a in t.without_tie] == ["Laboratoire LISST"]


def test_cooperation_forms_and_maturity(store):
    d = pole_diagnostic(store, ids_by_name(store)["Pôle Coop'Essai"])
    c = d.cooperation
    forms = {f.form: f for f in c.forms}
    assert list(forms) == list(vocabulary().enum("cooperation_forms"))
    assert forms["mutualisation_moyens"].count == 1 and forms["mutualisation_moyens"].present is True
    # Jardins–Menuiserie (form) and SCIC–Jardins (practice « R&D commune » → project pooling)
    assert forms["mutualisation_projets"].count == 2 and forms["mutualisation_projets"].maturity_marker
    # the only strategic cooperation is planned: not documented → unknown, never False
    assert forms["cooperation_strategique"].count == 0 and forms["cooperation_strategique"].present is None
    assert c.maturity is True and c.maturity_form == "mutualisation_projets" and c.n == 3 and c.unqualified == 0


def test_governance(store):
    d = pole_diagnostic(store, ids_by_name(store)["Pôle Coop'Essai"])
    g = d.governance
    assert g.n == 2
    assert {(s.actor.name, s.governs_name, s.body) for s in g.seats} == {
        ("Région Occitanie", "SCIC Coop'Essai", "conseil d'administration"),
        ("Jardins Partagés", "Pôle Coop'Essai", "comité de pilotage")}
    assert {f.family: f.count for f in g.by_family} == {"collectivite": 1, "ess": 1}
    assert g.collectivites_in_governance is True
    assert [(lf.role, lf.legal_form) for lf in g.legal_forms] == [("pole", None), ("structure_porteuse", "SCIC")]


def test_funding_structure(store):
    n = ids_by_name(store)
    f = pole_diagnostic(store, n["Pôle Coop'Essai"]).funding
    # Région 50 k (stated twice, counted once), Sicoval 20 k (to the SCIC), État 20 k, fondation 10 k;
    # the refused request of the Département is left out
    assert (f.ties, f.with_amount, f.excluded, f.basis, f.total_amount) == (4, 4, 1, "amount", 100000)
    assert {x.actor.name: x.share for x in f.funders} == pytest.approx(
        {"Région Occitanie": 0.5, "Sicoval": 0.2, "État": 0.2, "Fondation Solidaire": 0.1})
    assert {lv.level: lv.share for lv in f.by_level} == pytest.approx(
        {"region": 0.5, "epci": 0.2, "state": 0.2, "other": 0.1})
    assert [lv.level for lv in f.by_level] == ["epci", "region", "state", "other"]  # local to European
    assert f.hhi.value == pytest.approx(0.5**2 + 0.2**2 + 0.2**2 + 0.1**2) and f.hhi.n == 4
    assert f.largest_funder.name == "Région Occitanie" and f.largest_share.value == pytest.approx(0.5)
    assert f.single_funder_dependency is True  # ≥ 0.5
    assert f.public_share.value == pytest.approx(0.9)
    sicoval = next(x for x in f.funders if x.actor.name == "Sicoval")
    assert sicoval.beneficiaries == [n["SCIC Coop'Essai"]] and sicoval.public


def test_funding_without_amounts_falls_back_to_counts(tmp_path):
    recs = [ECOSYSTEM[0], actor("p", "Pôle Sans Montants", "pole", "ptce"),
            actor("r", "Région Bretagne", "collectivite", "region"),
            actor("c", "Commune de Brest", "collectivite", "commune"),
            relation("funds", "r", "p", year=2014), relation("funds", "r", "p", year=2015),
            relation("funds", "c", "p", amount=5000, year=2015)]
    s = build_store(tmp_path, recs)
    f = pole_diagnostic(s, ids_by_name(s)["Pôle Sans Montants"]).funding
    assert (f.ties, f.with_amount, f.basis) == (3, 1, "count")
    assert {x.actor.name: x.share for x in f.funders} == pytest.approx(
        {"Région Bretagne": 2 / 3, "Commune de Brest": 1 / 3})
    assert f.hhi.value == pytest.approx((2 / 3) ** 2 + (1 / 3) ** 2) and "montants inconnus" in f.hhi.note
    # on counts, dependency on one funder cannot be established
    assert f.single_funder_dependency is None
    assert next(x for x in f.funders if x.actor.name == "Région Bretagne").amount is None


def test_collectivite_roles(store):
    d = pole_diagnostic(store, ids_by_name(store)["Pôle Coop'Essai"])
    roles = {c.actor.name: (c.level, c.roles) for c in d.collectivites}
    assert roles == {
        "Ramonville-Saint-Agne": ("commune", ["mise_a_disposition"]),
        "Sicoval": ("epci", ["aide_investissement"]),
        "Département de la Haute-Garonne": ("departement", ["conseil_ingenierie"]),  # the refused request: no role
        "Région Occitanie": ("region", ["aide_fonctionnement", "gouvernance"]),
    }
    assert [c.level for c in d.collectivites] == ["commune", "epci", "departement", "region"]


def test_as_of_leaves_out_later_ties(store):
    d = pole_diagnostic(store, ids_by_name(store)["Pôle Coop'Essai"], as_of=2015)
    t = d.internal
    assert t.ties == 3  # Jardins–Menuiserie starts in 2020
    assert t.density.value == pytest.approx(3 / 15)
    assert t.centralisation.value == pytest.approx(6 / 20)  # degrees 2, 2, 1, 1, 0, 0
    forms = {f.form: f.count for f in d.cooperation.forms}
    assert forms["mutualisation_projets"] == 1 and d.cooperation.maturity is True
    assert d.as_of == 2015


def test_thin_pole_reports_unknowns_not_zeros(store):
    n = ids_by_name(store)
    d = pole_diagnostic(store, n["Pôle Peu Documenté"])
    s = d.size
    assert (s.named_members, s.placeholder_members, s.group_members, s.member_units) == (2, 1, 1, 6)
    assert s.coverage.value == pytest.approx(6 / 40)
    # composition is computed (6 units) but flagged partial
    assert d.blau.value == pytest.approx(1 - (1 / 6) ** 2 - (5 / 6) ** 2) and "partiel" in d.blau.note
    t = d.internal
    assert t.ties == 0 and t.density.value is None and t.centralisation.value is None
    assert "impossible de trancher" in t.density.unknown
    assert t.ei_index.value is None and t.cross_family_share.value is None
    f = d.funding
    assert f.ties == 0 and f.hhi.value is None and f.public_share.value is None and f.single_funder_dependency is None
    assert f.hhi.unknown and f.hhi.n == 0
    assert d.cooperation.maturity is None and d.governance.collectivites_in_governance is None
    assert any("40 déclarés" in c for c in d.caveats)

    empty = pole_diagnostic(store, n["Pôle Fantôme"])
    assert empty.blau.value is None and "aucun membre" in empty.blau.unknown
    assert empty.internal.density.value is None and empty.size.coverage.value is None


def test_english_labels(store):
    d = pole_diagnostic(store, ids_by_name(store)["Pôle Peu Documenté"], lang="en")
    assert d.kind_label == "Territorial economic cooperation hub (PTCE)" and d.phase_label == "Emergence"
    assert "cannot tell" in d.internal.density.unknown
    assert {c.label for c in d.composition} == {"SSE organisation", "Classic enterprise"}


def test_unknown_id_and_non_pole(store):
    with pytest.raises(NotFound):
        pole_diagnostic(store, "nope")
    with pytest.raises(StoreError):
        pole_diagnostic(store, ids_by_name(store)["Sicoval"])


# -- the reference dataset -------------------------------------------------------------------------

def test_every_reference_pole_gets_a_diagnostic(reference):
    ids = [a.id for a in reference.iter_actors() if a.family == "pole"]
    assert len(ids) >= 70
    persons = {a.id for a in reference.iter_actors(include_persons=True) if a.personal_data}
    few = 0
    for pid in ids:
        d = pole_diagnostic(reference, pid)
        assert not {m.id for m in d.members} & persons
        for m in (d.blau, d.iqv, d.internal.density, d.internal.centralisation, d.internal.ei_index,
                  d.funding.hhi, d.funding.public_share):
            assert (m.value is None) == bool(m.unknown), (d.name, m)
            if m.value is not None:
                assert m.n > 0
        if d.size.core_units < 2:
            few += 1
            assert d.blau.value is None and d.internal.density.value is None
    assert few > len(ids) / 2  # most documented pôles list fewer than two structures


def test_reference_poles_with_few_or_many_members(reference):
    damier = pole_diagnostic(reference, "le-damier-193c5d")  # ~40 adhérents, none named (000 L748)
    assert damier.size.declared_members == 40 and damier.size.member_units == 0
    assert damier.blau.value is None and "40 déclarés" in damier.blau.unknown
    assert damier.size.coverage.value == 0.0
    sud = next(a.id for a in reference.iter_actors() if a.name.startswith("Pôle Sud Aquitain"))
    d = pole_diagnostic(reference, sud)
    assert d.size.named_members >= 20 and d.blau.value is not None and d.blau.n >= 20
    assert any(c.name == "CBE du Seignanx" for c in d.carriers)
    # the sources list members, not the ties among them
    assert d.internal.ties == 0 and d.internal.density.value is None
    assert d.funding.ties >= 5 and d.funding.basis == "count"  # no amount is stated (000 L974)
    assert {c.level for c in d.collectivites} >= {"commune", "epci", "departement", "region"}


def test_a_declared_size_reads_as_the_readers_language_writes_it(tmp_path):
    """A pôle declaring 1 200 members without listing them: the English caveats and criteria wrote
    « 1 200 declared », a French narrow space in an English sentence; now "1,200 declared" in
    English and « 1 200 déclarés » in French."""
    records = [actor("p", "Pôle Nombreux", "pole", "ptce", declared={"members": 1200}),
               actor("a", "Les Jardins", "ess", "association"),
               relation("membership", "a", "p")]
    store = build_store(tmp_path, records)
    pid = ids_by_name(store)["Pôle Nombreux"]
    en = " ".join(pole_diagnostic(store, pid, lang="en").caveats)
    fr = " ".join(pole_diagnostic(store, pid).caveats)
    assert "1,200 declared" in en and "1\u202f200" not in en, en
    assert "1\u202f200 déclarés" in fr, fr
    said = " ".join(str(c.reason) for c in criteria.evaluate_criteria(store, pid, lang="en"))
    assert "1\u202f200" not in said and "1,200" in said, said


# -- roles of collectivités read from a pôle's member lists (walk h115) ---------------------------
CASTRES_POLE = "PTCE Castres Sud Tarn"


def _castres_lists(tmp_path):
    """An animator's member lists of 2024 and 2025, each with a « Financeurs » sheet (the CA
    Castres-Mazamet and the Région) and the Mairie de Castres listed as « partenaire »."""
    from _workbooks import write_xlsx

    paths = []
    for year in (2024, 2025):
        paths.append(write_xlsx(tmp_path / f"membres_{year}.xlsx", {
            "Membres": [["Nom", "Type", "Code postal", "Commune", "Rôle"],
                        ["Association Les Jardins du Thoré", "Association", "81100", "Castres", "membre fondateur"],
                        ["Scop Tissages Castrais", "SCOP", "81100", "Castres", "membre"],
                        ["Mairie de Castres", "Commune", "81100", "Castres", "partenaire"]],
            "Financeurs": [["Nom", "Type", "Code postal", "Commune"],
                           ["Communauté d'agglomération de Castres-Mazamet", "EPCI", "81100", "Castres"],
                           ["Région Occitanie", "Région", "31000", "Toulouse"]]}))
    return paths


def _castres_store(tmp_path):
    from maillage.graph import open_store
    from maillage.loaders import load_file

    store = open_store(str(tmp_path / "castres.db"))
    for year, path in zip((2024, 2025), _castres_lists(tmp_path)):
        load_file(store, path, rejects_dir=tmp_path / "rejets", options={"pole": CASTRES_POLE, "year": str(year)})
    return store


def _role_labels(store, lang="fr"):
    pid = store.search(CASTRES_POLE, family="pole")[0].id
    return {c.actor.name: c.role_labels for c in pole_diagnostic(store, pid, lang=lang).collectivites}


def test_a_funder_named_by_the_member_lists_is_said_to_come_from_them(tmp_path):
    """The funders of the member lists' « Financeurs » sheet read « financeur (d'après les
    subventions) » though no subsidy file was loaded: the label now names where the role comes
    from — the member lists; the subsidies only once a subsidy file states a grant, and both then."""
    from stdnum import luhn

    from maillage.loaders import load_file

    with _castres_store(tmp_path) as store:
        labels = _role_labels(store)
        assert labels["Communauté d'agglomération de Castres-Mazamet"] == ["financeur (d'après les listes des membres)"]
        assert labels["Région Occitanie"] == ["financeur (d'après les listes des membres)"]
        assert _role_labels(store, "en")["Région Occitanie"] == ["funder (from the member lists)"]
        # one list only: the list, in the singular
        store.remove_source("members:membres_2024.xlsx")
        assert _role_labels(store)["Région Occitanie"] == ["financeur (d'après la liste des membres)"]
        # the Région's SCDL file: a grant to the pôle
        siret = next(s for s in (f"2000537910{d:03d}0" for d in range(1000)) if luhn.is_valid(s))
        scdl = tmp_path / "subventions_region.csv"
        scdl.write_text("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant\n"
                        f"Région Occitanie;{siret};2025-03-01;{CASTRES_POLE};;Animation du pôle;15000\n",
                        encoding="utf-8")
        load_file(store, scdl, rejects_dir=tmp_path / "rejets")
        labels = _role_labels(store)
        assert labels["Région Occitanie"] == ["financeur (d'après la liste des membres et les subventions)"]
        assert labels["Communauté d'agglomération de Castres-Mazamet"] == ["financeur (d'après la liste des membres)"]


def test_a_collectivite_listed_as_partner_shows_that_role(tmp_path):
    """The Mairie de Castres, « partenaire » on the member lists (a membership of the circle
    « partenaire associé »), read « inconnu » in « Rôles des collectivités »: its stated tie now shows."""
    with _castres_store(tmp_path) as store:
        assert _role_labels(store)["Mairie de Castres"] == ["membre (partenaire associé)"]
        assert _role_labels(store, "en")["Mairie de Castres"] == ["member (associated partner)"]
