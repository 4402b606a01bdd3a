"""A pôle animator's walk-through of a member list: a member listed twice is merged *and said so*
(with both rows and both values when they disagree), and organisations whose name says what they
are are not left « Autre »."""

from __future__ import annotations

import pytest
from stdnum import luhn

from _loading import load_file, rejects_of
from _workbooks import write_xlsx
from maillage.graph import open_store
from maillage.loaders.formats.members import classify_name

SIREN = "450324660"  # passes the Luhn key


def sirets(siren: str, n: int = 2) -> list[str]:
    return [s for s in (siren + f"{nic:05d}" for nic in range(10, 300)) if luhn.is_valid(s)][:n]


@pytest.fixture
def store():
    s = open_store(":memory:")
    yield s
    s.close()


HEADER = ["Nom", "SIRET", "Code postal", "Commune", "Collège", "Rôle"]


def pole_list(rows: list[list]) -> list[list]:
    """A header, then ``rows`` — the first one on the file's row 2."""
    return [HEADER, *rows]


def filler(i: int) -> list:
    return [f"Atelier {i}", "", "46000", "Cahors", "Usagers", "adhérent"]


def memberships(store) -> list[tuple[str, str | None, str | None, str]]:
    return sorted((store.get_actor(t.source).name, t.fields.get("college"), t.fields.get("role"),
                   t.provenance.locator) for t in store.relations(types=["membership"]))


def test_a_member_listed_twice_in_two_colleges_is_merged_with_a_warning_naming_both_rows(store, tmp_path):
    """Row 12: « Épicerie Solidaire du Lot » with its SIRET, collège Fondateurs; row 22: the same
    name without SIRET, collège Usagers. It was one actor with two memberships in two collèges and
    not a word in the summary or the rejects file. Now row 22 is merged into row 12 (a reason
    line says so), the first row's collège and role are kept, and a warning names both rows and
    both values so the animator can correct the list."""
    siret = sirets(SIREN, 1)[0]
    rows = [filler(i) for i in range(2, 12)]
    rows.append(["Épicerie Solidaire du Lot", siret, "46000", "Cahors", "Fondateurs", "membre fondateur"])
    rows += [filler(i) for i in range(13, 22)]
    rows.append(["Épicerie Solidaire du Lot", "", "46000", "Cahors", "Usagers", "adhérent"])
    p = write_xlsx(tmp_path / "membres.xlsx", {"Membres": pole_list(rows)})
    r = load_file(store, p, options={"pole": "PTCE du Lot"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.merged, r.rejected) == (21, 20, 1, 0)
    assert r.rows_read == r.loaded + r.merged + r.rejected
    epicerie = [m for m in memberships(store) if m[0] == "Épicerie Solidaire du Lot"]
    assert epicerie == [("Épicerie Solidaire du Lot", "Fondateurs", "membre fondateur", "row 12")]
    (actor,) = [a for a in store.iter_actors() if a.name == "Épicerie Solidaire du Lot"]
    assert {(i.scheme, i.value) for i in actor.identifiers} == {("siren", SIREN), ("siret", siret)}
    lines = [(x["row"], x["level"], x["column"], x["value"], x["reason"]) for x in rejects_of(r)]
    assert lines == [
        ("22", "warning", "Nom", "Épicerie Solidaire du Lot",
         "same member as row 12 (Épicerie Solidaire du Lot): merged"),
        ("22", "warning", "Collège", "Usagers",
         "collège 'Fondateurs' on row 12, 'Usagers' on row 22: the same member listed twice; 'Fondateurs' kept, "
         "correct the list to choose"),
        ("22", "warning", "Rôle", "adhérent",
         "role 'membre fondateur' on row 12, 'adhérent' on row 22: the same member listed twice; 'membre "
         "fondateur' kept, correct the list to choose"),
    ]
    # the file an animator opens is in French
    from maillage.loaders import load_file as load_fr

    fr = load_fr(open_store(":memory:"), p, options={"pole": "PTCE du Lot"}, rejects_dir=tmp_path / "fr")
    reasons = [x["reason"] for x in rejects_of(fr)]
    assert reasons == [
        "même membre que la ligne 12 (Épicerie Solidaire du Lot) : fusionnée avec elle",
        "collège 'Fondateurs' à la ligne 12, 'Usagers' à la ligne 22 : le même membre inscrit deux fois ; "
        "'Fondateurs' retenu, corrigez la liste pour choisir",
        "rôle 'membre fondateur' à la ligne 12, 'adhérent' à la ligne 22 : le même membre inscrit deux fois ; "
        "'membre fondateur' retenu, corrigez la liste pour choisir",
    ]


def test_a_member_listed_twice_alike_is_merged_without_a_disagreement(store, tmp_path):
    """The second listing gives the SIRET the first lacked, and the same collège: merged into the
    first (which gains the SIRET), one reason line, no collège warning; an exact copy of a row
    is counted once, and said so."""
    siret = sirets(SIREN, 1)[0]
    p = write_xlsx(tmp_path / "membres.xlsx", {"Membres": pole_list([
        ["La Fabrique", "", "", "Cahors", "Usagers", "adhérent"],
        ["Radio Mix", "", "46000", "Cahors", "Usagers", "adhérent"],
        ["la fabrique", siret, "46000", "Cahors", "Usagers", ""],
        ["Radio Mix", "", "46000", "Cahors", "Usagers", "adhérent"],
    ])})
    r = load_file(store, p, options={"pole": "PTCE du Lot"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.merged, r.rejected) == (4, 2, 2, 0)
    assert [m[:3] for m in memberships(store)] == [("La Fabrique", "Usagers", "adhérent"),
                                                  ("Radio Mix", "Usagers", "adhérent")]
    (fab,) = [a for a in store.iter_actors() if a.name == "La Fabrique"]
    assert ("siret", siret) in {(i.scheme, i.value) for i in fab.identifiers}
    assert [(x["row"], x["reason"]) for x in rejects_of(r)] == [
        ("4", "same member as row 2 (La Fabrique): merged"),
        ("5", "same values as row 3: counted once"),
    ]


def test_a_college_given_only_by_the_second_listing_is_said_not_lost_silently(store, tmp_path):
    """Row 2 lists « La Fabrique » without a collège or role, row 3 again with « Usagers » and
    « adhérent »: the first row's tie is kept (the member merged into it); what row 3 alone gave
    was dropped without a word. Now a warning says each value was not loaded and where to give it."""
    p = write_xlsx(tmp_path / "membres.xlsx", {"Membres": pole_list([
        ["La Fabrique", "", "46000", "Cahors", "", ""],
        ["La Fabrique", "", "46000", "Cahors", "Usagers", "adhérent"],
    ])})
    r = load_file(store, p, options={"pole": "PTCE du Lot"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.merged, r.rejected) == (2, 1, 1, 0)
    assert [(x["row"], x["column"], x["reason"]) for x in rejects_of(r)] == [
        ("3", "Nom", "same member as row 2 (La Fabrique): merged"),
        ("3", "Collège", "collège 'Usagers' on row 3 not loaded: the same member listed twice, and row 2, whose "
                         "tie is kept, gives none; give it on row 2"),
        ("3", "Rôle", "role 'adhérent' on row 3 not loaded: the same member listed twice, and row 2, whose tie "
                      "is kept, gives none; give it on row 2"),
    ]


def test_homonyms_with_two_sirens_or_in_two_communes_stay_two_members(store, tmp_path):
    """Two organisations of one name: two SIRENs, or two communes and no identifier (two local
    committees), are two members, each with its own tie and no reason line. Two establishments
    of one SIREN (two SIRETs) are one actor, as before, each row keeping its tie."""
    other = "732829320"  # another SIREN passing the Luhn key
    assert luhn.is_valid(other)
    a1, a2 = sirets("775670003", 2)
    p = write_xlsx(tmp_path / "membres.xlsx", {"Membres": pole_list([
        ["Atelier Partagé", SIREN, "46000", "Cahors", "Usagers", "adhérent"],
        ["Atelier Partagé", other, "46000", "Cahors", "Usagers", "adhérent"],
        ["Secours populaire", "", "46000", "Cahors", "Usagers", "adhérent"],
        ["Secours populaire", "", "46100", "Figeac", "Usagers", "adhérent"],
        ["Emmaüs", a1, "46000", "Cahors", "Fondateurs", "membre fondateur"],
        ["Emmaüs", a2, "46100", "Figeac", "Usagers", "adhérent"],
    ])})
    r = load_file(store, p, options={"pole": "PTCE du Lot"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.merged, r.rejected) == (6, 6, 0, 0)
    assert not [x for x in rejects_of(r) if "same" in x["reason"]]
    names = sorted(a.name for a in store.iter_actors() if a.family != "pole")
    assert names == ["Atelier Partagé", "Atelier Partagé", "Emmaüs", "Secours populaire", "Secours populaire"]
    assert len(memberships(store)) == 6


def test_one_member_of_two_poles_or_on_two_years_sheets_is_not_listed_twice(store, tmp_path):
    """A network's list naming a member in two pôles, or a sheet per year listing it each year:
    not a member listed twice — every tie kept, no reason line."""
    p = write_xlsx(tmp_path / "reseau.xlsx", {"Membres": [
        ["Nom", "Pôle", "Collège"],
        ["La Fabrique", "PTCE du Lot", "Usagers"],
        ["La Fabrique", "PTCE Sud Aveyron", "Fondateurs"],
    ]})
    r = load_file(store, p, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.merged) == (2, 2, 0) and not rejects_of(r)
    assert len(memberships(store)) == 2
    p = write_xlsx(tmp_path / "annees.xlsx", {
        "2023": [["Nom", "Collège"], ["La Fabrique", "Usagers"]],
        "2024": [["Nom", "Collège"], ["La Fabrique", "Fondateurs"]],
    })
    s = open_store(":memory:")
    r = load_file(s, p, options={"pole": "PTCE du Lot"}, rejects_dir=tmp_path / "annees")
    assert (r.rows_read, r.merged) == (2, 0) and not rejects_of(r)
    ties = sorted((t.fields["college"], t.start) for t in s.relations(types=["membership"]))
    assert ties == [("Fondateurs", "2024"), ("Usagers", "2023")]


def test_a_list_without_pole_says_a_member_listed_twice(store, tmp_path):
    """Actors only (no pôle, no membership columns): the second listing is merged, and said so."""
    p = write_xlsx(tmp_path / "annuaire.xlsx", {"Feuil1": [
        ["Nom", "Commune"], ["Radio Mix", "Albi"], ["La Fabrique", "Cahors"], ["RADIO MIX", ""],
    ]})
    r = load_file(store, p, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.merged) == (3, 2, 1)
    assert "same member as row 2 (Radio Mix): merged" in [x["reason"] for x in rejects_of(r)]


# -- what an organisation is, from its name -----------------------------------------------------

#: (name, expected (family, kind), or None: the name must not decide)
NAMES = [
    # the walk-through's organisations, all « Autre » before
    ("Imprimerie Coopérative Tarnaise", ("ess", "cooperative")),
    ("France Active Occitanie", ("ess", "finance_solidaire")),
    ("Mission locale du Lot", ("support", "emploi_insertion")),
    ("CRESS Occitanie", ("network", "cress")),
    ("Chambre de commerce et d'industrie du Lot", ("support", "chambre_consulaire")),
    ("Université de Toulouse", ("research", "universite")),
    # their kin
    ("Cave coopérative de Cahors", ("ess", "cooperative")),
    ("Société coopérative ouvrière de production Ardelaine", ("ess", "scop")),
    ("Airdie-France Active", ("ess", "finance_solidaire")),
    ("Crédit Coopératif", ("ess", "finance_solidaire")),
    ("PLIE du Grand Cahors", ("support", "emploi_insertion")),
    ("France Travail Cahors", ("support", "emploi_insertion")),
    ("La Chambre régionale de l'économie sociale et solidaire", ("network", "cress")),
    ("CCI du Lot", ("support", "chambre_consulaire")),
    ("Chambre de métiers et de l'artisanat du Lot", ("support", "chambre_consulaire")),
    ("Chambre d'agriculture du Lot", ("support", "chambre_consulaire")),
    ("Université Toulouse Capitole", ("research", "universite")),
    ("IUT de Figeac", ("research", "universite")),
    ("ADEME Occitanie", ("state", "operateur")),
    ("Banque des Territoires", ("state", "operateur")),
    ("Préfecture du Lot", ("state", "prefecture")),
    ("DREETS Occitanie", ("state", "service_deconcentre")),
    ("Parc naturel régional des Causses du Quercy", ("collectivite", "pnr")),
    ("Syndicat mixte du bassin du Lot", ("collectivite", "syndicat_mixte")),
    ("Groupement d'employeurs agricoles du Lot", ("ess", "groupement_employeurs")),
    ("Harmonie Mutuelle", ("ess", "mutuelle")),
    # what was classed before, still so
    ("SCIC Bois Énergie 46", ("ess", "scic")),
    ("Association Mission Locale Rurale", ("ess", "association")),  # its legal form first
    ("Mairie de Cahors", ("collectivite", "commune")),
    ("Atelier Bois SARL", ("enterprise", "entreprise")),
    # near-misses: a word of the name that does not say what the organisation is
    ("Pôle de coopération du Lot", None),
    ("Fédération des coopératives agricoles", None),  # a network, not a coopérative
    ("Les Amis de la Coopérative", None),  # an association about one
    ("Café de l'Université", None),
    ("Université populaire du Quercy", None),  # an association
    ("Université rurale du Ségala", None),
    ("GEM Entraide Mutuelle", None),  # a groupe d'entraide mutuelle: an association
    ("Le Papier Plié", None),  # « plié », not the PLIE
    ("CRES Occitanie", None),  # comité régional d'éducation pour la santé, not the CRESS
    ("Chambre d'hôtes La Grange", None),
    ("Les Jardins de Cocagne", None),
    ("Le Grenier Solidaire", None),
]


@pytest.mark.parametrize(("name", "expected"), NAMES, ids=[n for n, _ in NAMES])
def test_a_name_that_says_what_the_organisation_is_classes_it(name, expected):
    got = classify_name(name)
    assert (None if got is None else (got.family, got.kind)) == expected


def test_members_of_no_recognised_type_get_one_note_and_a_typed_list_none(store, tmp_path):
    """A list without a type column: the organisations whose name says what they are are classed,
    the others stay « Autre », and one note says how many and how to class them; with a type
    column (its unknown values warned about row by row), no such note."""
    rows = [["Nom", "Commune"], ["Imprimerie Coopérative Tarnaise", "Albi"], ["France Active Occitanie", "Toulouse"],
            ["Le Grenier Solidaire", "Cahors"], ["Les Jardins de Cocagne", "Cahors"], ["Mme Claire Martin", "Cahors"]]
    p = write_xlsx(tmp_path / "membres.xlsx", {"Membres": rows})
    r = load_file(store, p, options={"pole": "PTCE du Lot"}, rejects_dir=tmp_path)
    families = {a.name: a.family for a in store.iter_actors(include_persons=True)}
    assert families == {"Imprimerie Coopérative Tarnaise": "ess", "France Active Occitanie": "ess",
                        "Le Grenier Solidaire": "other", "Les Jardins de Cocagne": "other",
                        "Mme Claire Martin": "person", "PTCE du Lot": "pole"}
    note = ("2 members of no recognised type (classed 'other'): add a 'Type' column (association, SCOP, "
            "collectivité, entreprise…) to class them")
    assert note in r.notes
    from maillage.loaders.motifs import motif

    assert motif(note) == ("2 membres sans type reconnu (classés « Autre ») : ajoutez une colonne « Type » "
                           "(association, SCOP, collectivité, entreprise…) pour les classer")
    typed = write_xlsx(tmp_path / "types.xlsx", {"Membres": [[*rows[0], "Type"], [*rows[3], "Licorne"],
                                                             [*rows[4], "Association"]]})
    r = load_file(open_store(":memory:"), typed, options={"pole": "PTCE du Lot"}, rejects_dir=tmp_path / "t")
    assert not [n for n in r.notes if "recognised type" in n]
    one = write_xlsx(tmp_path / "un.xlsx", {"Membres": rows[:2] + rows[3:4]})
    r = load_file(open_store(":memory:"), one, options={"pole": "PTCE du Lot"}, rejects_dir=tmp_path / "u")
    assert ("1 member of no recognised type (classed 'other'): add a 'Type' column (association, SCOP, "
            "collectivité, entreprise…) to class it") in r.notes


def test_dates_circle_and_structure_porteuse_of_a_second_listing_are_said_not_lost_silently(store, tmp_path):
    """A member listed twice used to lose the later row's dates, circle and « structure porteuse »
    flag without a word (only its collège and role were compared). Each is now compared as the
    collège is: a value the later row alone gives is said not loaded, two different values are
    both named with the first kept, and one date written two ways is the same date (no line)."""
    header = ["Nom", "Code postal", "Commune", "Collège", "Rôle", "Cercle", "Date d'adhésion", "Date de sortie",
              "Structure porteuse"]
    p = write_xlsx(tmp_path / "membres.xlsx", {"Membres": [
        header,
        ["La Fabrique", "46000", "Cahors", "Usagers", "adhérent", "", "01/03/2021", "", "non"],
        ["La Fabrique", "46000", "Cahors", "Usagers", "adhérent", "", "2021-03-01", "31/12/2024", "oui"],
        ["Radio Mix", "46000", "Cahors", "Usagers", "adhérent", "socle", "2020", "", ""],
        ["Radio Mix", "46000", "Cahors", "Usagers", "adhérent", "partenaire associé", "15/06/2022", "", ""],
        ["Atelier Vélo", "46000", "Cahors", "Usagers", "adhérent", "", "2019", "", "non"],
        ["Atelier Vélo", "46000", "Cahors", "Usagers", "adhérent", "", "", "", "non"],
    ]})
    r = load_file(store, p, options={"pole": "PTCE du Lot"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.merged, r.rejected) == (6, 3, 3, 0)
    assert [(x["row"], x["column"], x["reason"]) for x in rejects_of(r)] == [
        ("3", "Nom", "same member as row 2 (La Fabrique): merged"),
        ("3", "Date de sortie", "end date '31/12/2024' on row 3 not loaded: the same member listed twice, and row "
                                "2, whose tie is kept, gives none; give it on row 2"),
        ("3", "Structure porteuse", "structure porteuse 'non' on row 2, 'oui' on row 3: the same member listed "
                                    "twice; 'non' kept, correct the list to choose"),
        ("5", "Nom", "same member as row 4 (Radio Mix): merged"),
        ("5", "Cercle", "circle 'socle' on row 4, 'partenaire associé' on row 5: the same member listed twice; "
                        "'socle' kept, correct the list to choose"),
        ("5", "Date d'adhésion", "start date '2020' on row 4, '15/06/2022' on row 5: the same member listed "
                                 "twice; '2020' kept, correct the list to choose"),
        ("7", "Nom", "same member as row 6 (Atelier Vélo): merged"),
    ]
    ties = {store.get_actor(t.source).name: t for t in store.relations(types=["membership"])}
    assert (ties["La Fabrique"].start, ties["La Fabrique"].end) == ("2021-03-01", None)
    assert ties["Radio Mix"].fields["tier"] == "socle"
    assert not [t for t in store.relations(types=["carries"])]  # the first row's « non » is kept


def test_two_establishments_of_one_member_keep_both_sirets(store, tmp_path):
    """Two rows of one SIREN with two SIRETs (two sites of one association) are one actor with a
    tie per row — and the actor now keeps both SIRETs: the second used to be dropped."""
    a1, a2 = sirets("775670003", 2)
    p = write_xlsx(tmp_path / "membres.xlsx", {"Membres": pole_list([
        ["Emmaüs", a1, "46000", "Cahors", "Fondateurs", "membre fondateur"],
        ["Emmaüs", a2, "46100", "Figeac", "Usagers", "adhérent"],
    ])})
    r = load_file(store, p, options={"pole": "PTCE du Lot"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.merged, r.rejected) == (2, 2, 0, 0)
    (emmaus,) = [a for a in store.iter_actors() if a.name == "Emmaüs"]
    assert sorted(i.value for i in emmaus.identifiers if i.scheme == "siret") == sorted([a1, a2])
    assert [i.value for i in emmaus.identifiers if i.scheme == "siren"] == ["775670003"]
    assert len(memberships(store)) == 2
