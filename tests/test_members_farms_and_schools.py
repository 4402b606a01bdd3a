"""A walk through a rural pôle's member list found two members left wrong: « Ferme Partagée de
Montlaur », a GAEC, was « Autre » (the load's note asked for a Type column), and « Lycée agricole
d'Auzeville », an établissement public, was no training body, so criterion K5 said « aucun
organisme de formation ». The agricultural legal forms (GAEC, EARL, SCEA: enterprises; CUMA,
SICA: coopératives, ESS by status) and the teaching and training establishments (lycées, CFA,
GRETA, AFPA, MFR, écoles) are now read from the legal form, the INSEE code and the name."""

from __future__ import annotations

import pytest

from _loading import load_file
from _workbooks import write_xlsx
from maillage.analytics.criteria import evaluate_criteria
from maillage.graph import open_store
from maillage.graph.names import legal_form_in_name
from maillage.loaders.formats import sirene
from maillage.loaders.formats.members import classify, classify_name, person_hint

TRAINING = ("training", "organisme_formation")
ENTERPRISE = ("enterprise", "entreprise")
COOPERATIVE = ("ess", "cooperative")

#: (name, expected (family, kind), or None: the name must not decide)
NAMES = [
    # the walk-through's two members, and their kin
    ("GAEC Ferme Partagée de Montlaur", ENTERPRISE),
    ("Ferme Partagée de Montlaur (GAEC)", ENTERPRISE),
    ("Groupement agricole d'exploitation en commun des Trois Chênes", ENTERPRISE),
    ("EARL du Moulin de Montlaur", ENTERPRISE),
    ("EARL Dupuis", ENTERPRISE),
    ("Domaine du Causse EARL", ENTERPRISE),
    ("SCEA Domaine de Lagrézette", ENTERPRISE),
    ("CUMA de Montlaur", COOPERATIVE),
    ("Coopérative d'utilisation de matériel agricole du Ségala", COOPERATIVE),
    ("SICA du Haut-Quercy", COOPERATIVE),
    ("Lycée agricole d'Auzeville", TRAINING),
    ("Lycée professionnel Champollion", TRAINING),
    ("LEGTA de Figeac", TRAINING),
    ("EPLEFPA Toulouse-Auzeville", TRAINING),
    ("CFA BTP du Lot", TRAINING),
    ("BTP CFA Occitanie", TRAINING),
    ("GRETA Midi-Pyrénées Nord", TRAINING),
    ("AFPA Toulouse", TRAINING),
    ("MFR de Cahors", TRAINING),
    ("Maison familiale rurale du Ségala", TRAINING),
    ("École de la 2e chance du Lot", TRAINING),
    ("L'École de production de Figeac", TRAINING),
    ("Centre de formation professionnelle agricole du Lot", TRAINING),
    ("École des métiers du Lot", TRAINING),
    # higher education stays with research (criterion K4), as universities and IUT do
    ("École nationale supérieure de formation de l'enseignement agricole", ("research", "universite")),
    ("École d'ingénieurs de Purpan", ("research", "universite")),
    ("IUT de Figeac", ("research", "universite")),
    # near-misses: a word of the name that does not say what the organisation is
    ("Café de l'École", None),
    # a bare « École … » is most often an association (the Paris subsidy file's)
    ("École de musique de Figeac", None),
    ("ECOLE DE TENNIS DU XIIEME", None),
    ("Ecole des Parents et des Educateurs d'Ile de France", None),
    ("ECOLE NORMALE SOCIALE", None),
    ("L'Ecole Buissonniere", None),
    ("Association des parents d'élèves du lycée Pierre-Paul Riquet", ("ess", "association")),
    ("Amicale des anciens élèves du lycée agricole", None),
    ("Fédération régionale des MFR d'Occitanie", None),  # a network of them
    ("Fédération des CFA", None),
    ("Les Amis du GRETA", None),
    ("FÉDÉRATION DES GRETA", None),
    ("Greta Martin", None),  # a first name, not the GRETA
    ("Earl Smith", None),
    ("Ferme Partagée de Montlaur", None),  # nothing in it says its legal form
    ("La Gaecienne", None),
]


@pytest.mark.parametrize(("name", "expected"), NAMES, ids=[n for n, _ in NAMES])
def test_a_name_that_says_a_farm_s_form_or_a_school_classes_it(name, expected):
    got = classify_name(name)
    assert (None if got is None else (got.family, got.kind)) == expected


#: (type or legal-form cell, expected (family, kind))
CELLS = [
    ("GAEC", ENTERPRISE), ("EARL", ENTERPRISE), ("SCEA", ENTERPRISE),
    ("Groupement agricole d'exploitation en commun", ENTERPRISE),
    ("Société civile d'exploitation agricole", ENTERPRISE),
    ("CUMA", COOPERATIVE), ("SICA", COOPERATIVE),
    # INSEE catégories juridiques
    ("6533", ENTERPRISE), ("6597", ENTERPRISE), ("6598", ENTERPRISE),
    ("6316", COOPERATIVE), ("6317", COOPERATIVE), ("6532", COOPERATIVE), ("5432", COOPERATIVE),
    ("7331", TRAINING), ("7383", ("research", "universite")),
    # the teaching establishments are public bodies said before the generic « établissement public »
    ("Lycée agricole", TRAINING), ("EPLEFPA", TRAINING), ("Établissement public local d'enseignement", TRAINING),
    ("Maison familiale rurale", TRAINING), ("Établissement public d'enseignement supérieur", ("research", "universite")),
    ("Établissement public", ("state", None)),  # which one: the name says (below)
]


@pytest.mark.parametrize(("cell", "expected"), CELLS, ids=[c for c, _ in CELLS])
def test_a_type_or_legal_form_cell_of_a_farm_or_a_school(cell, expected):
    got = classify(cell)
    assert got is not None and (got.family, got.kind) == expected


def test_a_person_whose_first_name_is_an_acronym_stays_a_person():
    """« Greta Martin (personne qualifiée) » is a natural person (personal data), not the GRETA."""
    for name in ("Greta Martin (personne qualifiée)", "Earl Smith (PQ)"):
        got = person_hint(name, None, None)
        assert got is not None and got.family == "person", name


def test_the_legal_form_a_farm_s_name_states_is_kept():
    assert [legal_form_in_name(n) for n in ("GAEC Ferme Partagée de Montlaur", "Domaine du Causse EARL",
                                            "CUMA de Montlaur", "Earl Smith", "Ferme Partagée de Montlaur")] == \
        ["GAEC", "EARL", "CUMA", None, None]


def test_the_walk_through_list_classes_the_gaec_and_the_lycee_and_k5_finds_its_training_body(tmp_path):
    """The list as the walk found it: the GAEC and the CUMA by their legal form, the lycée with
    the legal form « Établissement public » (its name says which public body), and the members
    whose name only mentions a school are left as they were."""
    rows = [["Nom", "Forme juridique", "Commune"],
            ["Ferme Partagée de Montlaur", "GAEC", "Montlaur"],
            ["CUMA de Montlaur", "", "Montlaur"],
            ["Lycée agricole d'Auzeville", "Établissement public", "Auzeville-Tolosane"],
            ["Café de l'École", "", "Montlaur"],
            ["Association des parents d'élèves du lycée Pierre-Paul Riquet", "", "Saint-Orens-de-Gameville"],
            ["Scop Bois Local", "SCOP", "Montlaur"]]
    p = write_xlsx(tmp_path / "membres.xlsx", {"Membres": rows})
    with open_store(":memory:") as store:
        r = load_file(store, p, options={"pole": "PTCE du Lauragais"}, rejects_dir=tmp_path)
        got = {a.name: (a.family, a.kind, a.ess, a.legal_form) for a in store.iter_actors()}
        assert got["Ferme Partagée de Montlaur"] == ("enterprise", "entreprise", None, "GAEC")  # not ESS by law
        assert got["CUMA de Montlaur"] == ("ess", "cooperative", True, "CUMA")
        assert got["Lycée agricole d'Auzeville"] == ("training", "organisme_formation", None, "Établissement public")
        assert got["Café de l'École"][:2] == ("other", "non_precise")
        assert got["Association des parents d'élèves du lycée Pierre-Paul Riquet"][:3] == ("ess", "association", True)
        # only the café is left « Autre »: the note no longer counts the GAEC
        assert ("1 member of no recognised type (classed 'other'): add a 'Type' column (association, SCOP, "
                "collectivité, entreprise…) to class it") in r.notes
        (pole,) = [a.id for a in store.iter_actors() if a.family == "pole"]
        k5 = {c.id: c for c in evaluate_criteria(store, pole)}["K5"]
        assert k5.state is True, k5.reason
        assert [e.name for e in k5.evidence] == ["Lycée agricole d'Auzeville"]
        assert k5.reason == "lien avec la formation : Lycée agricole d'Auzeville"


def test_a_public_body_s_legal_form_lets_its_name_say_which_but_not_an_association_s(tmp_path):
    """« Établissement public » says only a public body: the name tells a university, an EPCI or a
    training body; a name that says a private form (association) does not override the public
    legal form, and a type column naming a family is kept as it is."""
    rows = [["Nom", "Forme juridique", "Type", "Commune"],
            ["Université de Toulouse", "Établissement public", "", "Toulouse"],
            ["Communauté de communes des Terres du Lauragais", "Établissement public", "", "Villefranche-de-Lauragais"],
            ["Association Lauragais Emploi", "Établissement public", "", "Revel"],
            ["Lycée Pierre-Paul Riquet", "", "Association", "Saint-Orens-de-Gameville"],
            ["GRETA Midi-Pyrénées Centre", "Établissement public", "", "Toulouse"]]
    p = write_xlsx(tmp_path / "membres.xlsx", {"Membres": rows})
    with open_store(":memory:") as store:
        load_file(store, p, options={"pole": "PTCE du Lauragais"}, rejects_dir=tmp_path)
        got = {a.name: (a.family, a.kind) for a in store.iter_actors()}
    assert got["Université de Toulouse"] == ("research", "universite")
    assert got["Communauté de communes des Terres du Lauragais"] == ("collectivite", "epci")
    assert got["Association Lauragais Emploi"] == ("state", None)
    assert got["Lycée Pierre-Paul Riquet"] == ("ess", "association")
    assert got["GRETA Midi-Pyrénées Centre"] == TRAINING


def test_sirene_categories_of_farms_and_lycees():
    """A SIRENE extract says the same: a SICA is a coopérative (Code rural L531-1), ESS by status;
    a GAEC, an EARL, a SCEA a company (the ESS flag decides); an EPLE (lycée) a training body."""
    assert sirene.classify("6532", None, None) == ("ess", "cooperative", True)
    assert sirene.classify("5432", "N", None) == ("ess", "cooperative", True)
    assert sirene.classify("6533", None, None) == ("enterprise", "entreprise", None)
    assert sirene.classify("6598", "N", "PME") == ("enterprise", "pme", False)
    assert sirene.classify("6597", "O", None) == ("ess", "entreprise_esus", True)
    assert sirene.classify("7331", None, None) == ("training", "organisme_formation", None)
    assert sirene.legal_form("6533") == "Groupement agricole d'exploitation en commun (GAEC)"
