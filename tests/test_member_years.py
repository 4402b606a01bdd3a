"""A pôle's member list year after year (walk h76: an animatrice loading her second year's list).

Each year's list as a file of its own, given its year (``--year``, option ``year``): a yearly
snapshot, exactly as a sheet named after its year in a workbook — a member of 2024's list missing
from 2025's leaves in 2025. Without a year, what the tool assumed is said, and how to say
otherwise. In a workbook of a sheet per year, a member renamed from one year to the next is one
actor (as across two files), and one that moved is placed where the latest year says. A list
loaded again over another year's says which members it no longer has."""

from __future__ import annotations

import pytest

from _loading import load_file, rejects_of
from _workbooks import write_xlsx
from maillage.graph import open_store
from maillage.loaders.base import LoadError
from maillage.loaders.motifs import motif

POLE = "PTCE Le Maillon Sud-Est"
HEADER = ["Nom", "N° SIRET", "Forme juridique", "Code postal", "Commune", "Collège", "Date d'adhésion"]
RECYCLERIE = "76786209730947"  # SIRETs that pass the Luhn key (the walk's, /tmp/h76/ids.json)
BOULANGERIE = "73010507944883"
GARAGE = "85095375358726"
REGIE = "44659801300162"

#: Two years of one pôle's list, as the walk's gen.py made them (shortened): Boulangerie, Garage
#: and Mme Claire Martin leave in 2025, the Régie joins, the Vélo association is renamed and the
#: Recyclerie moves from Labège to Escalquens.
Y2024 = [
    ["Association Vélo Solidaire", "", "Association loi 1901", "31520", "Ramonville-Saint-Agne", "associations",
     "12/03/2016"],
    ["Recyclerie du Sicoval", RECYCLERIE, "Association loi 1901", "31670", "Labège", "associations", "2016"],
    ["Boulangerie Martin & Fils", BOULANGERIE, "SARL", "31750", "Escalquens", "entreprises", "14/06/2019"],
    ["Mairie de Roques", "", "Commune", "31120", "Roques", "collectivités", "2016"],
    ["Garage Solidaire 31", GARAGE, "Association loi 1901", "31520", "Ramonville-Saint-Agne", "associations", "2021"],
    ["Jean Dupont", "", "Personne physique", "31000", "Toulouse", "personnes qualifiées", "2016"],
    ["Mme Claire Martin", "", "", "", "", "personnes qualifiées", "2018"],
]
Y2025 = [
    ["Vélo Solidaire Association", "", "Association loi 1901", "31520", "Ramonville-Saint-Agne", "associations",
     "12/03/2016"],
    ["Recyclerie du Sicoval", RECYCLERIE, "Association loi 1901", "31750", "Escalquens", "associations", "2016"],
    ["Mairie de Roques", "", "Commune", "31120", "Roques", "collectivités", "2016"],
    ["Jean Dupont", "", "Personne physique", "31000", "Toulouse", "personnes qualifiées", "2016"],
    ["Régie de Quartier Sud-Est", REGIE, "Association loi 1901", "31000", "Toulouse", "associations", "10/01/2025"],
]


def write_csv(path, rows):
    path.write_text("\n".join(";".join(r) for r in [HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def lists(tmp_path):
    return write_csv(tmp_path / "membres_2024.csv", Y2024), write_csv(tmp_path / "membres_2025.csv", Y2025)


def turnover(store, years=(2024, 2025)) -> dict[int, tuple[int, list[str], list[str]]]:
    """The pôle's members, entries and exits each year, as the pôle report's « Adhésions au fil des
    années » shows them (persons left out)."""
    from maillage.analytics.reports import _turnover

    (pole,) = [a for a in store.iter_actors() if a.family == "pole"]
    rows, _ = _turnover(store, pole.id, None, "fr")
    return {r["year"]: (r["members"], sorted(r["entries"]), sorted(r["exits"])) for r in rows if r["year"] in years}


def test_each_year_s_list_given_its_year_has_the_members_who_left(store, tmp_path, lists):
    """``maillage load membres_2024.csv --pole P --year 2024``, then 2025's with ``--year 2025``:
    each list is its year's members, as a sheet named after its year is. Boulangerie and Garage,
    on 2024's list only, leave in 2025 (they stayed members forever: 2025 counted 18, no
    « Sorties »); the Régie joins; the members on both lists stay."""
    first = load_file(store, lists[0], options={"pole": POLE, "year": "2024"}, rejects_dir=tmp_path)
    second = load_file(store, lists[1], options={"pole": POLE, "year": "2025"}, rejects_dir=tmp_path)
    said = ("the list of the pôle's members in 2025 (--year): each membership is dated 2025, from its date "
            "d'adhésion when its row gives one; a member of an earlier year's list missing from this one has left")
    assert said in second.notes and said.replace("2025", "2024") in first.notes
    assert motif(said).startswith("la liste des membres du pôle en 2025 (--year) : chaque adhésion est datée de 2025")
    assert store.source(second.source).meta["years"] == ["2025"]
    assert not any("gives no year" in n or "another member list" in n for n in first.notes + second.notes)
    spans = {(store.get_actor(t.source).name, t.start, t.end) for t in store.relations(types=["membership"])
             if store.get_actor(t.source).family != "person"}
    assert ("Boulangerie Martin & Fils", "2019-06-14", "2024") in spans
    assert ("Recyclerie du Sicoval", "2016", "2024") in spans and ("Recyclerie du Sicoval", "2016", "2025") in spans
    assert ("Régie de Quartier Sud-Est", "2025-01-10", "2025") in spans
    assert turnover(store) == {
        2024: (5, [], []),
        2025: (4, ["Régie de Quartier Sud-Est"], ["Boulangerie Martin & Fils", "Garage Solidaire 31"])}


def test_the_same_two_lists_as_sheets_of_one_workbook_give_the_same_years(store, tmp_path):
    """The route that worked: one workbook, a sheet per year. The two files given their year give
    the same entries and exits (and, renamed member and move included, the same actors)."""
    p = write_xlsx(tmp_path / "membres_par_annee.xlsx", {"2024": [HEADER, *Y2024], "2025": [HEADER, *Y2025]})
    load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    assert turnover(store) == {
        2024: (5, [], []),
        2025: (4, ["Régie de Quartier Sud-Est"], ["Boulangerie Martin & Fils", "Garage Solidaire 31"])}


def test_a_second_list_without_a_year_says_what_was_assumed_and_how_to_say_otherwise(store, tmp_path, lists):
    """Loaded without a year, two lists of one pôle are lists of members with no end: nobody
    leaves. The first load suggests the year its file's name holds; the second says what was
    assumed, and how to give each file its year (the one its name holds); a list given its year
    beside one without says that one's members never leave."""
    first = load_file(store, lists[0], options={"pole": POLE}, rejects_dir=tmp_path)
    hint = [n for n in first.notes if n.startswith("this list of the pôle")]
    assert hint == [f"this list of the pôle {POLE!r} gives no year (the name 'membres_2024.csv' says 2024: --year "
                    "2024): if it is the list of the pôle's members in one year, load it again with its year, and each "
                    "year's list with its own: a member of one year's list missing from the next is then read as "
                    "leaving (without a year, a list's members never leave)"]
    assert motif(hint[0]).startswith(f"cette liste du pôle {POLE!r} ne donne pas d'année (le nom 'membres_2024.csv' "
                                     "dit 2024 : --year 2024) : si c'est la liste des membres du pôle d'une année")
    second = load_file(store, lists[1], options={"pole": POLE}, rejects_dir=tmp_path)
    said = [n for n in second.notes if n.startswith("another member list")]
    assert said == [f"another member list of the pôle {POLE!r} (source 'members:membres_2024.csv') is loaded and "
                    "neither gives a year: both are read as lists of members with no end (from their date "
                    "d'adhésion), so a member missing from one of them does not leave. If each file is the list of "
                    "the pôle's members in one year, load each again with its year, --year YEAR (the name "
                    "'membres_2025.csv' says 2025: --year 2025): a member of one year's list missing from the next "
                    "then leaves (or put each year's list on its own sheet of one workbook, sheets named 2022, "
                    "2023…)"]
    fr = motif(said[0])
    assert fr.startswith(f"une autre liste des membres du pôle {POLE!r} (source 'members:membres_2024.csv') est "
                         "chargée et aucune des deux ne donne d'année")
    assert "rechargez chacun avec son année, --year ANNÉE (le nom 'membres_2025.csv' dit 2025 : --year 2025)" in fr
    assert turnover(store)[2025][2] == []  # what was assumed: nobody leaves

    # 2024's list given its year: 2025's, without one, never loses a member — said, with its year
    again = load_file(store, lists[0], options={"pole": POLE, "year": "2024"}, rejects_dir=tmp_path)
    said = [n for n in again.notes if "gives no year" in n]
    assert said == [f"the member list of the pôle {POLE!r} in source 'members:membres_2025.csv' gives no year: its "
                    "members are read as members with no end, whatever the list of 2024 says. If it is the list of "
                    "the pôle's members in one year, load it again with its year, --year YEAR (the name "
                    "'membres_2025.csv' says 2025: --year 2025): a member of one year's list missing from the next "
                    "then leaves"]
    assert motif(said[0]).startswith(f"la liste des membres du pôle {POLE!r} de la source 'members:membres_2025.csv' "
                                     "ne donne pas d'année")
    # a third list without a year beside a year's list: told that it alone needs its year
    third = write_csv(tmp_path / "adherents.csv", Y2025)
    r = load_file(store, third, options={"pole": POLE}, rejects_dir=tmp_path)
    said = [n for n in r.notes if n.startswith("the member list of the pôle")]
    assert said == [f"the member list of the pôle {POLE!r} for 2024 (source 'members:membres_2024.csv') is loaded: "
                    "this one, given no year, is read as a list of members with no end, so a member missing from it "
                    "or from that one does not leave. If this file is the list of the pôle's members in one year, "
                    "load it again with its year, --year YEAR: a member of one year's list missing from the next "
                    "then leaves"]
    assert motif(said[0]).startswith(f"la liste des membres du pôle {POLE!r} pour 2024")


def test_a_bad_year_or_a_year_over_a_workbook_of_a_sheet_per_year_is_refused(store, tmp_path, lists):
    for bad in ("l'an dernier", "25", "2025-2024"):
        with pytest.raises(LoadError, match=r"option year: expected the year whose list of members the file is "
                                            r"\(2025\) or a span \(2024-2025\), got"):
            load_file(store, lists[0], options={"pole": POLE, "year": bad}, rejects_dir=tmp_path)
    p = write_xlsx(tmp_path / "membres_par_annee.xlsx", {"2024": [HEADER, *Y2024], "2025": [HEADER, *Y2025]})
    with pytest.raises(LoadError, match=r"a sheet per year \('2024', '2025'\): each sheet's list is dated by its "
                                        r"name; --year") as e:
        load_file(store, p, options={"pole": POLE, "year": "2025"}, rejects_dir=tmp_path)
    assert motif(str(e.value)).endswith("donnez aussi --option sheet=NOM)")
    assert store.sources() == []
    # one sheet of it, named, as that year: a span
    r = load_file(store, p, options={"pole": POLE, "year": "2024-2025", "sheet": "2025"}, rejects_dir=tmp_path)
    assert {(t.start, t.end) for t in store.relations(types=["membership"]) if t.source.startswith("mairie")} \
        == {("2016", "2025")}
    assert store.source(r.source).meta["years"] == ["2024-2025"]


def test_a_member_renamed_from_one_year_s_sheet_to_the_next_is_one_actor(store, tmp_path):
    """« Association Vélo Solidaire » on 2024's sheet, « Vélo Solidaire Association » on 2025's:
    merged by the core-name rule, as across two files (it was only proposed, « même nom », 0.95:
    the year sheets were read as one list, where two names are two members). On one list —
    one year's sheet, or sheets per collège — the two names stay two actors, proposed."""
    velo = [["Nom", "Commune"], ["Association Vélo Solidaire", "Ramonville-Saint-Agne"]]
    renamed = [["Nom", "Commune"], ["Vélo Solidaire Association", "Ramonville-Saint-Agne"]]
    p = write_xlsx(tmp_path / "par_annee.xlsx", {"2024": velo, "2025": renamed})
    r = load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    (actor,) = [a for a in store.iter_actors() if a.family != "pole"]
    # the latest sheet's name, as for one SIRET on both sheets (docs/resolution.md)
    assert (actor.name, actor.aliases, r.proposals) == ("Vélo Solidaire Association", ["Association Vélo Solidaire"], 0)
    log = {x["key"]: x["rule"] for x in store.resolution_log(r.source)}
    assert log["name:velo solidaire association@commune:31446"] == "core-name"
    memberships = sorted((t.source, t.start, t.end) for t in store.relations(types=["membership"]))
    assert memberships == [(actor.id, "2024", "2024"), (actor.id, "2025", "2025")]
    # one list: the same two names on one sheet, or on two sheets of collèges
    for i, sheets in enumerate(({"2024": velo + renamed[1:], "2025": renamed},
                                {"Collège A": velo, "Collège B": renamed})):
        q = write_xlsx(tmp_path / f"liste{i}.xlsx", sheets)
        with open_store(":memory:") as other:
            r = load_file(other, q, options={"pole": POLE}, rejects_dir=tmp_path)
            assert len({a.id for a in other.iter_actors() if a.family != "pole"}) == 2 and r.proposals == 1


def test_a_workbook_loaded_again_without_its_first_year_keeps_the_renamed_member_s_id(store, tmp_path):
    """The workbook of 2024's and 2025's sheets loaded again as 2025's and 2026's: the member
    named « Association Vélo Solidaire » on 2024's sheet only, « Vélo Solidaire Association » since,
    got a new id (its record had been made by 2024's row). Now it keeps its id, its memberships
    those of the years the workbook now has."""
    velo = [["Nom", "Commune"], ["Association Vélo Solidaire", "Ramonville-Saint-Agne"]]
    renamed = [["Nom", "Commune"], ["Vélo Solidaire Association", "Ramonville-Saint-Agne"]]
    p = write_xlsx(tmp_path / "par_annee.xlsx", {"2024": velo, "2025": renamed})
    load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    (actor,) = [a for a in store.iter_actors() if a.family != "pole"]
    write_xlsx(p, {"2025": renamed, "2026": renamed})
    r = load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    assert [a.id for a in store.iter_actors() if a.family != "pole"] == [actor.id]
    assert sorted((t.source, t.start, t.end) for t in store.relations(types=["membership"])) == [
        (actor.id, "2025", "2025"), (actor.id, "2026", "2026")]
    assert store.get_actor(actor.id).name == "Vélo Solidaire Association"
    # the earlier load already showed 2025's name (the latest sheet's): no rename to say, nobody gone
    assert [n for n in r.notes if "earlier load of this source" in n] == []


@pytest.mark.parametrize("order", [("2024", "2025"), ("2025", "2024")])
def test_a_member_that_moved_between_two_years_sheets_is_placed_where_the_latest_says(store, tmp_path, order):
    """The Recyclerie (one SIRET) in Labège on 2024's sheet, in Escalquens on 2025's: it was
    left in Labège, the first sheet's row's place, silently. Now the latest year's place wins
    whatever the sheets' order, the other is kept in its history (a fact of its statement), and
    a warning on the row names both."""
    rows = {"2024": [HEADER, Y2024[1]], "2025": [HEADER, Y2025[1]]}
    p = write_xlsx(tmp_path / "par_annee.xlsx", {sheet: rows[sheet] for sheet in order})
    r = load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    (actor,) = [a for a in store.iter_actors() if a.family != "pole"]
    assert actor.location == "commune:31169"  # Escalquens
    ((_, st),) = store.statements(actor.id)
    assert st.location_text == "31750 Escalquens" and "Lieu en 2024 : 31670 Labège" in st.facts
    (warning,) = [x for x in rejects_of(r) if "moved" in x["reason"]]
    here, there = ("2025", "2024") if order[1] == "2025" else ("2024", "2025")
    new, old = ("'31750 Escalquens'", "'31670 Labège'") if here == "2025" else ("'31670 Labège'", "'31750 Escalquens'")
    assert warning["reason"] == (f"place {new} on row 2 of sheet '{here}', {old} on row 2 of sheet '{there}': the "
                                 "member moved; the place of the latest year (2025) kept, the other in its history")
    assert warning["level"] == "warning" and warning["column"] == "Commune"
    assert motif(warning["reason"]).endswith("le membre a déménagé ; le lieu de l'année la plus récente (2025) est "
                                             "retenu, l'autre gardé dans son historique")


@pytest.mark.parametrize("order", [("2024", "2025"), ("2025", "2024")])
def test_a_member_renamed_between_two_years_sheets_is_named_as_the_latest_says(store, tmp_path, order):
    """The Recyclerie (one SIRET) named « Recyclerie du Sicoval » on 2024's sheet, « La Boucle,
    ressourcerie » on 2025's: it was one statement named by the sheet read first, the other name
    lost — not another name, not found by search, no word of it. Now the latest year's name is
    its name whatever the sheets' order, the other is another name, and a warning on the row names
    both; a name spelt otherwise (capitals, accents) is another name without a warning."""
    boucle = ["La Boucle, ressourcerie", *Y2025[1][1:]]
    caps = ["JARDINS DU SICOVAL", BOULANGERIE, "Association loi 1901", "31670", "Labège", "associations", "2016"]
    rows = {"2024": [HEADER, Y2024[1], caps], "2025": [HEADER, boucle, ["Jardins du Sicoval", *caps[1:]]]}
    p = write_xlsx(tmp_path / "par_annee.xlsx", {sheet: rows[sheet] for sheet in order})
    r = load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    named = {a.name: a.aliases for a in store.iter_actors() if a.family != "pole"}
    assert named == {"La Boucle, ressourcerie": ["Recyclerie du Sicoval"],
                     "Jardins du Sicoval": ["JARDINS DU SICOVAL"]}
    assert [a.name for a in store.search("Recyclerie du Sicoval")] == ["La Boucle, ressourcerie"]
    (warning,) = [x for x in rejects_of(r) if "renamed" in x["reason"]]
    here, there = order[1], order[0]
    new, old = (("'La Boucle, ressourcerie'", "'Recyclerie du Sicoval'") if here == "2025"
                else ("'Recyclerie du Sicoval'", "'La Boucle, ressourcerie'"))
    assert warning["reason"] == (f"name {new} on row 2 of sheet '{here}', {old} on row 2 of sheet '{there}': the "
                                 "member renamed; the name of the latest year (2025) kept, the other as another name")
    assert warning["level"] == "warning" and warning["column"] == "Nom"
    assert motif(warning["reason"]).endswith("le membre a changé de nom ; le nom de l'année la plus récente (2025) "
                                             "est retenu, l'autre gardé comme autre nom")


def test_a_list_loaded_again_over_another_year_s_says_which_members_it_no_longer_has(store, tmp_path):
    """``membres.csv`` loaded, then overwritten with next year's list and loaded again: it said
    only « remplace le chargement … (7 lignes, maintenant 5 : −2) ». Now also how many members
    the earlier load had that this one has not, their names (natural persons counted, never
    named), that their membership from this file is gone with its years, and how to keep both
    years. The Vélo association, renamed, is not among them (it was: « 4 members … Association
    Vélo Solidaire, … »): it is said apart, old name → new name, still a member."""
    p = write_csv(tmp_path / "membres.csv", Y2024)
    load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    (velo,) = [a.id for a in store.iter_actors() if "Vélo" in a.name]
    write_csv(p, Y2025)
    r = load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    assert r.replaced is not None
    assert store.get_actor(velo).name == "Vélo Solidaire Association"  # renamed, the same record
    (said,) = [n for n in r.notes if "earlier load of this source" in n and "not in this file" in n]
    assert said == (f"3 members of the pôle {POLE!r} in the earlier load of this source are not in this file, 1 "
                    "natural person among them (not named): Boulangerie Martin & Fils, Garage Solidaire 31. Their "
                    "membership from this source is gone from the store, with the years it gave (3 of these members "
                    "are no longer in the store at all). If the earlier file was the list of another year, load it "
                    "again under its own name with --year YEAR, and this one with its year: the pôle's history keeps "
                    "both")
    assert r.notes[0] == said  # said first, next to « replaces the load of … »
    assert "Claire" not in said and "Martin" not in said.replace("Boulangerie Martin", "")
    assert motif(said) == (
        f"membres du pôle {POLE!r} dans le chargement précédent de cette source absents de ce fichier : 3 (Boulangerie "
        "Martin & Fils, Garage Solidaire 31), dont 1 personne physique, non nommée. Leur adhésion venue de cette source "
        "n'est plus dans la base, ni les années qu'elle donnait (3 d'entre eux ne sont plus du tout dans la base). Si "
        "l'ancien fichier était la liste d'une autre année, rechargez-le sous son propre nom avec --year ANNÉE, et "
        "celui-ci avec son année : l'historique du pôle garde les deux")
    assert r.notes[1] == (f"1 member of the pôle {POLE!r} in the earlier load of this source is in this file under "
                          "another name: Association Vélo Solidaire → Vélo Solidaire Association. Not gone: still a "
                          "member of the pôle, under the name this file gives")
    assert motif(r.notes[1]) == (
        f"membres du pôle {POLE!r} dans le chargement précédent de cette source présents dans ce fichier sous un autre "
        "nom : 1 (Association Vélo Solidaire → Vélo Solidaire Association). Pas de sortie : toujours membre du pôle, "
        "sous le nom que donne ce fichier")
    assert [a.id for a in store.iter_actors() if a.name.endswith("Solidaire Association")] == [velo]
    # the same file again: nothing gone, nothing said
    r = load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    assert not any("earlier load of this source" in n for n in r.notes)


def test_a_member_renamed_in_a_list_loaded_again_is_not_said_to_be_gone(store, tmp_path):
    """2024's list loaded again with two members renamed: one keeps its RNA number and gives its
    new SIRET (« Recyclerie du Sicoval » now « Ressourcerie du Sicoval »), the other is a name the
    entity resolution takes for the same (« Association Vélo Solidaire », « Vélo Solidaire
    Association », in the same commune). Only this list describes them, so each got a new
    record and the note said both had left the pôle; now neither is said gone, both are said
    renamed, old name → new name. A SIRET given to the same name says nothing."""
    header = "Nom;RNA;N° SIRET;Code postal;Commune\n"
    p = tmp_path / "membres_2024.csv"

    def write(*rows):
        p.write_text(header + "".join(";".join(r) + "\n" for r in rows), encoding="utf-8")

    velo = ["Association Vélo Solidaire", "", "", "31520", "Ramonville-Saint-Agne"]
    recyclerie = ["Recyclerie du Sicoval", "W313012345", "", "31670", "Labège"]
    mairie = ["Mairie de Roques", "", "", "31120", "Roques"]
    write(velo, recyclerie, mairie)
    load_file(store, p, options={"pole": POLE, "year": "2024"}, rejects_dir=tmp_path)
    ids = sorted(t.source for t in store.relations(types=["membership"]))
    write(["Vélo Solidaire Association", *velo[1:]], ["Ressourcerie du Sicoval", "W313012345", RECYCLERIE,
                                                       *recyclerie[3:]], mairie)
    r = load_file(store, p, options={"pole": POLE, "year": "2024"}, rejects_dir=tmp_path)
    assert sorted(t.source for t in store.relations(types=["membership"])) == ids  # renamed, the same records
    assert not any("not in this file" in n for n in r.notes), r.notes
    (said,) = [n for n in r.notes if "earlier load of this source" in n]
    assert said == (f"2 members of the pôle {POLE!r} in the earlier load of this source are in this file under "
                    "another name: Association Vélo Solidaire → Vélo Solidaire Association; Recyclerie du Sicoval → "
                    "Ressourcerie du Sicoval. Not gone: still members of the pôle, under the name this file gives")
    assert motif(said).endswith("(Association Vélo Solidaire → Vélo Solidaire Association; Recyclerie du Sicoval → "
                                "Ressourcerie du Sicoval). Pas de sortie : toujours membres du pôle, sous le nom "
                                "que donne ce fichier")
    assert sorted(store.get_actor(t.source).name for t in store.relations(types=["membership"])) == [
        "Mairie de Roques", "Ressourcerie du Sicoval", "Vélo Solidaire Association"]
    # the Vélo association given a SIRET under the same name; the Recyclerie back to its name, its RNA alone
    write(["Vélo Solidaire Association", "", REGIE, *velo[3:]], recyclerie, mairie)
    r = load_file(store, p, options={"pole": POLE, "year": "2024"}, rejects_dir=tmp_path)
    assert sorted(t.source for t in store.relations(types=["membership"])) == ids
    assert [n for n in r.notes if "earlier load of this source" in n] == [
        f"1 member of the pôle {POLE!r} in the earlier load of this source is in this file under another name: "
        "Ressourcerie du Sicoval → Recyclerie du Sicoval. Not gone: still a member of the pôle, under the name this "
        "file gives"]


def test_a_year_without_its_list_between_two_years_lists_is_said_with_what_it_means(store, tmp_path):
    """2022's list and 2024's loaded with their year, none for 2023: nothing said, and the
    pôle's evolution had every member leave in 2023 — the Recyclerie, on both lists, left in 2023
    and joined again in 2024. Now the load that makes the gap says so, and what it means for the
    entries and exits, as the evolution counts them (checked here): a member of 2022's list
    missing from 2024's leaves in 2023, one on both lists leaves in 2023 and joins again in 2024
    unless its row on 2024's list gives an earlier date d'adhésion (the Mairie's: it stays);
    and how to fill the gap. 2022's list given 2022-2023 fills it: nothing said, the Garage
    leaves in 2024. Several years missing are said as one gap."""
    header = "Nom;Commune;Date d'adhésion\n"

    def write(name, *rows):
        path = tmp_path / name
        path.write_text(header + "".join(";".join(r) + "\n" for r in rows), encoding="utf-8")
        return path

    recyclerie, garage = ["Recyclerie du Sicoval", "Labège", ""], ["Garage Solidaire 31", "Ramonville-Saint-Agne", ""]
    mairie, regie = ["Mairie de Roques", "Roques", "2016"], ["Régie de Quartier Sud-Est", "Toulouse", ""]
    y2022 = write("membres_2022.csv", recyclerie, garage, mairie)
    y2024 = write("membres_2024.csv", recyclerie, mairie, regie)
    first = load_file(store, y2022, options={"pole": POLE, "year": "2022"}, rejects_dir=tmp_path)
    assert not any("no member list" in n for n in first.notes)
    second = load_file(store, y2024, options={"pole": POLE, "year": "2024"}, rejects_dir=tmp_path)
    (said,) = [n for n in second.notes if n.startswith("no member list")]
    assert said == (f"no member list of the pôle {POLE!r} is loaded for 2023, between the list of 2022 (source "
                    "'members:membres_2022.csv') and the list of 2024 (source 'members:membres_2024.csv'): a member "
                    "of the list of 2022 missing from the list of 2024 is counted as leaving in 2023; a member on both "
                    "lists is counted as leaving in 2023 and joining again in 2024, unless its row on the list of 2024 "
                    "gives a date d'adhésion before 2024. If you have the list of 2023, load it with its year, --year "
                    "2023; if the list of 2022 still held in 2023, load it again with --year 2022-2023")
    assert motif(said) == (
        f"aucune liste des membres du pôle {POLE!r} n'est chargée pour 2023, entre la liste de 2022 (source "
        "'members:membres_2022.csv') et celle de 2024 (source 'members:membres_2024.csv') : un membre de la liste de "
        "2022 absent de celle de 2024 est compté comme sorti en 2023 ; un membre des deux listes est compté comme "
        "sorti en 2023 puis entré de nouveau en 2024, sauf si sa ligne dans la liste de 2024 donne une date "
        "d'adhésion antérieure à 2024. Si vous avez la liste de 2023, chargez-la avec son année, --year 2023 ; si la "
        "liste de 2022 valait encore en 2023, rechargez-la avec --year 2022-2023")
    # what the note says is what the evolution counts
    assert turnover(store, years=(2022, 2023, 2024)) == {
        2022: (3, ["Garage Solidaire 31", "Recyclerie du Sicoval"], []),
        2023: (1, [], ["Garage Solidaire 31", "Recyclerie du Sicoval"]),
        2024: (3, ["Recyclerie du Sicoval", "Régie de Quartier Sud-Est"], [])}
    # loaded the other way round: said by the load of 2022's list
    with open_store(":memory:") as other:
        load_file(other, y2024, options={"pole": POLE, "year": "2024"}, rejects_dir=tmp_path)
        r = load_file(other, y2022, options={"pole": POLE, "year": "2022"}, rejects_dir=tmp_path)
        assert [n for n in r.notes if n.startswith("no member list")] == [said]
    # 2022's list held on in 2023: given that span, no gap; the Garage leaves in 2024
    again = load_file(store, y2022, options={"pole": POLE, "year": "2022-2023"}, rejects_dir=tmp_path)
    assert not any("no member list" in n for n in again.notes)
    assert turnover(store, years=(2023, 2024)) == {
        2023: (3, [], []), 2024: (3, ["Régie de Quartier Sud-Est"], ["Garage Solidaire 31"])}
    # two years missing: one gap, the first missing year the exits' year
    with open_store(":memory:") as other:
        load_file(other, write("membres_2021.csv", recyclerie, garage), options={"pole": POLE, "year": "2021"},
                  rejects_dir=tmp_path)
        r = load_file(other, y2024, options={"pole": POLE, "year": "2024"}, rejects_dir=tmp_path)
        (gap,) = [n for n in r.notes if n.startswith("no member list")]
        assert gap.startswith(f"no member list of the pôle {POLE!r} is loaded for 2022–2023, between the list of 2021")
        assert "is counted as leaving in 2022; a member on both lists is counted as leaving in 2022 and joining " \
               "again in 2024" in gap
        assert gap.endswith("If you have the lists of 2022–2023, load each with its year (--year 2022, …); if the "
                            "list of 2021 still held in 2022–2023, load it again with --year 2021-2023")
        assert motif(gap).endswith("Si vous avez les listes de 2022–2023, chargez chacune avec son année (--year "
                                   "2022, …) ; si la liste de 2021 valait encore en 2022–2023, rechargez-la avec "
                                   "--year 2021-2023")
        assert turnover(other, years=(2022,))[2022][2] == ["Garage Solidaire 31", "Recyclerie du Sicoval"]
        # the missing list loaded: the gap is gone from what the next load says
        r = load_file(other, write("membres_2023.csv", recyclerie), options={"pole": POLE, "year": "2022-2023"},
                      rejects_dir=tmp_path)
        assert not any(n.startswith("no member list") for n in r.notes)


def test_rows_of_known_actors_stating_a_new_membership_are_loaded_not_merged(store, tmp_path, lists):
    """« merged » counts rows that state nothing new (docs/provenance.md): the second list's
    rows about members the first described still state their membership of 2025 — loaded;
    ``actors_known`` counts the actors tied to known ones (the pôle and 4 members). A row repeating another is merged."""
    load_file(store, lists[0], options={"pole": POLE, "year": "2024"}, rejects_dir=tmp_path)
    r = load_file(store, lists[1], options={"pole": POLE, "year": "2025"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.merged, r.rejected, r.actors_known) == (5, 5, 0, 0, 5)
    write_csv(lists[1], [*Y2025, Y2025[2]])
    r = load_file(store, lists[1], options={"pole": POLE, "year": "2025"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.merged, r.rejected) == (6, 5, 1, 0)


def test_the_command_line_gives_a_list_its_year(tmp_path, lists):
    """``maillage load LIST --pole P --year YEAR``: the option reaches the loader (its note in
    French), and a command of several files with one --year is refused (each list its year)."""
    import json

    from test_cli import run

    run("--store", "s.db", "load", str(lists[0]), "--pole", POLE, "--year", "2024", cwd=tmp_path)
    res = run("--store", "s.db", "load", str(lists[1]), "--pole", POLE, "--year", "2025", "--report", "r.json",
              cwd=tmp_path)
    assert "la liste des membres du pôle en 2025 (--year)" in res.stdout + res.stderr
    assert json.loads((tmp_path / "r.json").read_text())["files"][0]["notes"][0].startswith(
        "la liste des membres du pôle en 2025 (--year)")
    res = run("--store", "s.db", "load", str(lists[0]), str(lists[1]), "--pole", POLE, "--year", "2025",
              cwd=tmp_path, check=False)
    assert res.returncode != 0 and "--year donne son année à une liste" in res.stderr


def test_the_api_upload_gives_a_list_its_year_with_a_field_of_its_own(tmp_path, lists):
    """``POST /api/load`` took a list's year only as ``option=year=2025``, a format option a person
    has to know of. Now a field ``year``, as ``maillage load --year`` (documented in the OpenAPI
    schema): the same notes (in French) and the same years, entries and exits as the command
    line. A value that is no year (« 24 », « l'an dernier », a span backwards, after next year)
    is refused with a 422 that says what is expected, nothing loaded; ``option=year=`` still
    works, checked alike, and two different years are refused."""
    from fastapi.testclient import TestClient

    from maillage.api.app import create_app

    db = tmp_path / "api.db"
    open_store(str(db)).close()
    auth = {"Authorization": "Bearer jeton-de-test"}

    def upload(c, path, lang="fr", **data):
        return c.post(f"/api/load?lang={lang}", files={"file": (path.name, path.read_bytes(), "text/csv")},
                      data={"pole": POLE, **data}, headers=auth)

    with TestClient(create_app(str(db), token="jeton-de-test")) as c:
        prop = c.get("/openapi.json").json()["paths"]["/api/load"]["post"]["requestBody"]["content"][
            "multipart/form-data"]["schema"]["properties"]["year"]
        assert prop["type"] == "string" and "--year" in prop["description"] and "422" in prop["description"]
        for bad in ("24", "l'an dernier", "2025-2024", "2090", "1850", "20245"):
            r = upload(c, lists[0], year=bad)
            assert r.status_code == 422, (bad, r.text)
            assert r.json()["detail"].startswith("Champ « year » : attendu l'année dont le fichier est la liste des "
                                                 "membres, sur 4 chiffres (2025), ou une période (2024-2025), de 1900 à ")
            assert r.json()["detail"].endswith(f"; reçu « {bad} ».")
        r = upload(c, lists[0], lang="en", year="24")
        assert r.status_code == 422 and r.json()["detail"].startswith("Field 'year': expected the year whose list")
        r = upload(c, lists[0], year="2024", option="year=2023")
        assert r.status_code == 422 and r.json()["detail"].startswith("Deux années différentes : year=2024 et "
                                                                      "option=year=2023")
        r = upload(c, lists[0], option="year=24")
        assert r.status_code == 422 and r.json()["detail"].startswith("Champ « option year » : attendu l'année")
        with open_store(str(db)) as s:
            assert s.sources() == []

        first = upload(c, lists[0], year=" 2024 ")
        second = upload(c, lists[1], year="2025", option="year=2025")
        assert first.status_code == second.status_code == 200, (first.text, second.text)
        assert "la liste des membres du pôle en 2025 (--year) : chaque adhésion est datée de 2025" in \
            second.json()["notes"][0]
    with open_store(str(db)) as s:
        assert s.source("members:membres_2025.csv").meta["years"] == ["2025"]
        assert turnover(s) == {
            2024: (5, [], []),
            2025: (4, ["Régie de Quartier Sud-Est"], ["Boulangerie Martin & Fils", "Garage Solidaire 31"])}
    # option=year= alone, as before: the same years
    db.unlink()
    open_store(str(db)).close()
    with TestClient(create_app(str(db), token="jeton-de-test")) as c:
        assert upload(c, lists[0], option="year=2024").status_code == 200
        assert upload(c, lists[1], option="year=2025").status_code == 200
    with open_store(str(db)) as s:
        assert turnover(s)[2025][2] == ["Boulangerie Martin & Fils", "Garage Solidaire 31"]


def test_a_year_after_next_year_is_refused_on_the_command_line_too(store, tmp_path, lists):
    """``--year 2090`` (a typing error) was taken: the list's members dated 2090. Refused now, as
    by the API, saying the latest year a list can be given."""
    from maillage.loaders.formats.members import last_list_year

    with pytest.raises(LoadError, match=r"option year: '2090' is after next year: expected the year whose list of "
                                        rf"members the file is, {last_list_year()} at the latest") as e:
        load_file(store, lists[0], options={"pole": POLE, "year": "2090"}, rejects_dir=tmp_path)
    assert motif(str(e.value)).endswith(f"option year (--year) : '2090' est après l'année prochaine ; l'année dont "
                                        f"le fichier est la liste des membres était attendue, {last_list_year()} au "
                                        "plus tard")
    assert store.sources() == []
    load_file(store, lists[0], options={"pole": POLE, "year": str(last_list_year())}, rejects_dir=tmp_path)


def test_a_network_s_list_of_several_poles_gets_no_year_hint_per_pole(store, tmp_path):
    """A network's list (a « PTCE » column) named « reseau_2024.csv »: the hint to give its year is
    for a pôle's list, not repeated for each pôle of a network's."""
    p = tmp_path / "reseau_2024.csv"
    p.write_text("Nom;PTCE\nAlpha;PTCE Sud\nBeta;PTCE Nord\n", encoding="utf-8")
    r = load_file(store, p, rejects_dir=tmp_path)
    assert not any("gives no year" in n for n in r.notes)


def test_a_funder_on_each_year_s_list_funds_the_pole_each_year(store, tmp_path):
    """A funder named on 2024's list and on 2025's (« Rôle : financeur ») funds the pôle in 2024
    and in 2025: one funder, one tie over both years (h147: it was summed as two ties), and
    « Financements par année » has it in each year (the yearly lists' ties carry their year as
    dates, no ``year`` field: walk h113 counted 1 in 2025 for 2 funders that year)."""
    from maillage.analytics.poles import pole_diagnostic, pole_context, funding_ties
    from maillage.analytics.reports import funding_by_year

    head = "Nom;Forme juridique;Code postal;Commune;Rôle\n"
    y24 = tmp_path / "membres_2024.csv"
    y24.write_text(head + "Recyclerie du Sicoval;Association;31670;Labège;adhérent\n"
                   "Communauté d'agglomération du Sicoval;;;;financeur\n", encoding="utf-8")
    y25 = tmp_path / "membres_2025.csv"
    y25.write_text(head + "Recyclerie du Sicoval;Association;31670;Labège;adhérent\n"
                   "Communauté d'agglomération du Sicoval;;;;financeur\n"
                   "Région Occitanie;;;;financeur\n", encoding="utf-8")
    load_file(store, y24, options={"pole": POLE, "year": "2024"}, rejects_dir=tmp_path)
    load_file(store, y25, options={"pole": POLE, "year": "2025"}, rejects_dir=tmp_path)
    (pole,) = [a for a in store.iter_actors() if a.family == "pole"]
    funding = pole_diagnostic(store, pole.id).funding
    assert funding.ties == 2
    assert {f.actor.name: f.ties for f in funding.funders} == {
        "Communauté d'agglomération du Sicoval": 1, "Région Occitanie": 1}
    rows, _chart, undated = funding_by_year(funding_ties(pole_context(store, pole.id))[0], "fr", "t")
    assert {r["year"]: r["ties"] for r in rows} == {2024: 1, 2025: 2} and undated == 0
