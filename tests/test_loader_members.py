"""Member lists and lists of places: the real tiers-lieux census file, member lists in French and
English (CSV, XLSX, ODS), damaged cells, pôles, accounting, reloads and entity resolution."""

from __future__ import annotations

import csv
import doctest
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import luhn

from _loading import load_file, rejects_of  # load_file: the rejects file in English, the reasons checked
from _workbooks import Merged, store_snapshot, write_docx, write_odt, write_ods, write_xlsx
from maillage.graph import open_store
from maillage.loaders import LOADERS, detect_format
from maillage.loaders.base import LoadError
from maillage.loaders.formats import members, places

TIERS_LIEUX = "realdata/tiers-lieux-numerique/03_tiers_lieux.csv"
ROOT = Path(__file__).resolve().parents[1]

ECOSIMO = "450324660"  # a SIREN that passes the Luhn key


def colleges_of(store) -> dict[str, str | None]:
    """``{member's name: the collège of its membership}``, every membership of the store."""
    return {store.get_actor(t.source).name: t.fields.get("college") for t in store.relations(types=["membership"])}


def valid_siret(siren: str) -> str:
    return next(siren + f"{nic:05d}" for nic in range(10, 100) if luhn.is_valid(siren + f"{nic:05d}"))




def actor_of(store, source: str, key: str):
    return store.get_actor(store.resolution_of(source)[key])


def identity(r) -> bool:
    return r.rows_read == r.loaded + r.merged + r.rejected


# -- the real tiers-lieux file (France Tiers-Lieux census, 03_tiers_lieux.csv) ---------------------

@pytest.fixture
def tiers_lieux(shared, tmp_path):
    store = open_store(":memory:")
    path = shared / TIERS_LIEUX
    report = load_file(store, path, rejects_dir=tmp_path)
    yield store, report, path
    store.close()


def test_tiers_lieux_file_is_detected_as_a_list_of_places(shared):
    assert detect_format(shared / TIERS_LIEUX) == "places"


def test_tiers_lieux_accounting_and_the_blank_last_row(tiers_lieux):
    store, r, _ = tiers_lieux
    # 47 records: 46 places and a last row blank but for methode_jointure and sources
    assert (r.rows_read, r.rejected) == (47, 1) and identity(r)
    blank_row = [x for x in rejects_of(r) if x["level"] == "rejected"]
    assert [x["row"] for x in blank_row] == ["48"]  # line 48 of the file
    assert "no name" in blank_row[0]["reason"] and blank_row[0]["column"] == "NOM"
    assert '"methode_jointure":"scoring"' in blank_row[0]["original"]


def test_a_list_of_places_loaded_again_says_nothing_of_members(tiers_lieux, tmp_path):
    """A list of places with no pôle (the census) reads like a member list (its loader is one) but
    has no members: its places gone from a new edition are not « members of the pôle … not in this
    file »."""
    store, r, path = tiers_lieux
    lines = path.read_bytes().splitlines(keepends=True)
    shorter = tmp_path / path.name
    shorter.write_bytes(b"".join(lines[:-10]))
    again = load_file(store, shorter, source_id=r.source, rejects_dir=tmp_path)
    assert again.rows_read < r.rows_read and store.source(r.source).meta["rows_read"] == again.rows_read
    assert not [n for n in again.notes if "member" in n or "not in this file" in n], again.notes


def test_tiers_lieux_places_are_tiers_lieux_located_in_their_commune(tiers_lieux):
    store, r, _ = tiers_lieux
    log = store.resolution_log(r.source)
    place_keys = [x["key"] for x in log if x["key"].startswith("id:")]
    assert len(place_keys) == 46
    places_ = {x["actor_id"] for x in log if x["key"].startswith("id:")}
    assert len(places_) == 46  # no two places merged into one
    assert all(store.get_actor(a).family == "tiers_lieu" for a in places_)
    two_d = actor_of(store, r.source, "id:8")  # ID_UNIQUE 8.0
    assert two_d.name == "2D"
    # 29600 is shared by Morlaix and three other communes: the INSEE code 29151 decides
    assert two_d.location == "commune:29151"
    stmt = dict(store.statements(two_d.id))[r.source]
    assert stmt.location_text == "29600 MORLAIX"  # CODPOST 29600.0 read as 29600
    assert actor_of(store, r.source, "id:1499").location == "commune:2B050"  # Solideria, Calvi (Corsica)
    tilt = actor_of(store, r.source, "id:1166")  # Le TiLT: CODPOST 7400.0 lost its leading zero
    assert tilt.location == "commune:07319"
    assert dict(store.statements(tilt.id))[r.source].location_text.startswith("07400")


def test_tiers_lieux_insee_code_contradicted_by_postal_code_and_commune(tiers_lieux):
    store, r, _ = tiers_lieux
    # l'Alternateur: Insee 42078 is Le Crozet (Loire); 34725 + Saint-André-de-Sangonis agree
    alt = actor_of(store, r.source, "id:585")
    assert alt.location == "commune:34239"
    warn = [x for x in rejects_of(r) if x["row"] == "18" and x["column"] == "Insee"]
    assert warn and warn[0]["level"] == "warning" and "42078" in warn[0]["reason"]


def test_insee_code_contradicted_by_a_postal_code_alone_says_which_commune_it_designates(store, tmp_path):
    """Without a commune column the postal code alone designates the commune: « which designates »
    (the sentence said « which designate » as if a commune name went with it)."""
    path = tmp_path / "adherents.csv"
    path.write_text("nom;code postal;code insee\nAlpha;31000;42078\n", encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    (warn,) = rejects_of(r)
    assert (warn["column"], warn["value"], warn["reason"]) == (
        "code insee", "42078",
        "INSEE code 42078 (Le Crozet) contradicts code postal 31000, which designates Toulouse (commune:31555): "
        "located there")
    assert actor_of(store, r.source, next(x["key"] for x in store.resolution_log(r.source)
                                          if store.get_actor(x["actor_id"]).name == "Alpha")).location == "commune:31555"


def test_communes_as_addresses_write_them(store, tmp_path):
    """« TOULOUSE CEDEX 9 » with its CEDEX code, « Lyon 3e », « Marseille 1er »: the commune is
    found (they were left unlocated with a warning); a CEDEX code is not warned about when the name
    decides, in the code's département, with the word CEDEX or without (« 31040 » and « Toulouse »)."""
    path = tmp_path / "adherents.csv"
    path.write_text("Nom;Code postal;Commune\nA;31040;TOULOUSE CEDEX 9\nB;;Toulouse Cedex\nC;;Lyon 3e\n"
                    "D;;Marseille 1er\nE;69003;Lyon 3ème\nF;;Paris 11e arrondissement\nG;31040;Toulouse\n"
                    "H;;Springfield Cedex\nI;77455;MARNE LA VALLEE CEDEX 2\n", encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    where = {a.name: a.location for a in store.iter_actors() if a.family != "pole"}
    # I: a CEDEX code of the 77 beside « Marne » read in passing: not the Marne (51), as one text says
    # it, but the code's département, with the warning that no commune is said
    assert where == {"A": "commune:31555", "B": "commune:31555", "C": "commune:69123", "D": "commune:13055",
                     "E": "commune:69123", "F": "commune:75056", "G": "commune:31555", "H": None,
                     "I": "departement:77"}
    warnings = {(x["row"], x["column"]): x["reason"] for x in rejects_of(r)}
    assert warnings == {  # no CEDEX stated: the name decides, in the code's département, without a word; an
        # unknown commune is said
        ("9", "Commune"): "'Springfield Cedex' does not designate one commune (unknown or homonyms): give a postal "
                          "code or an INSEE code",
        ("10", "Commune"): "'MARNE LA VALLEE CEDEX 2' does not designate one commune (unknown or homonyms): give a "
                           "postal code or an INSEE code"}


LYON_IN_TOULOUSE = ("postal code 31000 (Toulouse, 31) and 'Lyon' (Lyon, 69) contradict each other, in different "
                    "départements: no place given; expected a commune of postal code 31000, or the postal code of "
                    "'Lyon'")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_postal_code_and_a_commune_that_contradict_each_other_give_no_place(store, tmp_path, kind):
    """« 31000 » and « Lyon », in two columns or in one cell (« 31000;Lyon », « Lyon (31000) »):
    the member was placed in Toulouse without a word, the postal code read first — while
    « 31000 LYON » gives no place in a subsidy file (geography.places.resolve_place). Now no place,
    and a warning naming the row, the column and what was expected; the member is loaded, a member
    of its pôle. In one département (« 31520 Toulouse »: Ramonville-Saint-Agne's code), the
    département both are in."""
    from maillage.loaders.motifs import motif

    rows = [["Nom", "Code postal", "Commune", "Ville"], ["Alpha", "31000", "Lyon", ""], ["Beta", "", "", "31000;Lyon"],
            ["Gamma", "", "", "Lyon (31000)"], ["Delta", "31000", "Toulouse", ""], ["Epsilon", "", "", "94270 PARIS"],
            ["Zeta", "31520", "Toulouse", ""], ["Eta", "", "", "31000;Toulouse"]]
    if kind == "csv":
        path = tmp_path / "adherents.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, delimiter=";").writerows([r[:2] + [r[2] or r[3]] for r in rows])  # « 31000;Lyon » quoted
    else:
        path = write_xlsx(tmp_path / "adherents.xlsx", {"Adhérents": [[r[0], r[1], r[2] or r[3]] for r in rows]})
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    where = {a.name: a.location for a in store.iter_actors() if a.family != "pole"}
    assert where == {"Alpha": None, "Beta": None, "Gamma": None, "Delta": "commune:31555", "Epsilon": None,
                     "Zeta": "departement:31", "Eta": "commune:31555"}
    assert len(list(store.relations(types=["membership"]))) == 7  # every member loaded, a member of the pôle
    said = {x["row"]: x for x in rejects_of(r)}
    assert sorted(said) == ["2", "3", "4", "6", "7"] and {x["level"] for x in said.values()} == {"warning"}
    assert {x["file"] for x in said.values()} == {str(path)}
    assert (said["2"]["column"], said["2"]["value"], said["2"]["reason"]) == ("Commune", "Lyon", LYON_IN_TOULOUSE)
    assert (said["3"]["column"], said["3"]["value"], said["3"]["reason"]) == ("Commune", "31000;Lyon",
                                                                              LYON_IN_TOULOUSE)
    assert (said["4"]["value"], said["4"]["reason"]) == ("Lyon (31000)", LYON_IN_TOULOUSE)
    assert said["6"]["reason"].startswith("postal code 94270 (Le Kremlin-Bicêtre, 94) and 'PARIS' (Paris, 75) "
                                          "contradict each other, in different départements: no place given")
    assert said["7"]["reason"] == ("postal code 31520 (Ramonville-Saint-Agne, 31) and 'Toulouse' (Toulouse, 31) "
                                   "contradict each other: placed in the département 31 only, which both are in; "
                                   "expected a commune of postal code 31520, or the postal code of 'Toulouse'")
    assert motif(LYON_IN_TOULOUSE) == (
        "le code postal 31000 (Toulouse, 31) et 'Lyon' (Lyon, 69) se contredisent, dans des départements différents : "
        "aucun lieu donné ; attendu : une commune du code postal 31000, ou le code postal de 'Lyon'")


@pytest.mark.parametrize("cell, place", [
    ("31520 Toulouse", "departement:31"), ("Toulouse (31520)", "departement:31"), ("29600 Brest", "departement:29"),
    ("31000;Lyon", None), ("94270 PARIS", None), ("31000 Toulouse", "commune:31555"), ("31400 Toulouse", "commune:31555"),
    ("31040 TOULOUSE CEDEX 9", "commune:31555"), ("29600 Morlaix", "commune:29151"), ("75011 Paris", "commune:75056"),
    ("69003 Lyon", "commune:69123"), ("13001 Marseille", "commune:13055"), ("31520 Lot", None),
    ("Vienne (86000)", "commune:86194"),
])
def test_a_cell_holding_a_postal_code_and_a_name_is_placed_as_every_loader_places_it(cell, place):
    """One rule (geography.places.postal_code_clash) for a member list and a subsidy file: « 31520
    Toulouse » was the Haute-Garonne here and Toulouse there; « 31520 Lot » Ramonville-Saint-Agne
    here and no place there; « Vienne (86000) » no place here and Poitiers there."""
    from maillage.geography import load_geography

    found = [t.id for t in load_geography().resolve_place(cell)]
    assert (members.locate(None, None, cell).location, found) == (place, [place] if place else [])


@pytest.mark.parametrize("cell, postcode, commune, place", [
    ("31000 Toulous", "31000", "Toulous", "commune:31555"),  # a typo: the code decides, in both
    ("31000 toulous", "31000", "toulous", "commune:31555"),  # lowercase too (it was no place in the cell)
    ("31000 Ramonville", "31000", "Ramonville", "departement:31"),  # a short name names its commune
    ("Toulouse, 31520, Haute-Garonne", "31520", "Toulouse", "departement:31"),  # not split, said all the same
])
def test_a_cell_is_placed_and_warned_about_as_its_two_columns(cell, postcode, commune, place):
    """resolve_place gave no place for « 31000 Toulous » and Ramonville-Saint-Agne for « 31000
    Ramonville » (here: Toulouse, both); « Toulouse, 31520, Haute-Garonne » was the Haute-Garonne
    without the warning its two columns get."""
    from maillage.geography import load_geography

    one, two = members.locate(None, None, cell), members.locate(None, postcode, commune)
    assert ([t.id for t in load_geography().resolve_place(cell)], one.location, two.location) == ([place], place, place)
    assert [(f, v, why) for f, v, why in one.warnings] == [("commune", cell, why) for _, _, why in two.warnings]
    assert len(two.warnings) == 1  # the clash, or the typo (« Toulous » was not warned about)


def test_a_typo_beside_a_postal_code_is_warned_about_and_an_amount_is_no_place(store, tmp_path):
    """« 31000 toulous », written lowercase, gave no place (« does not designate one commune… give a
    postal code »: one was given), and « 31000 Toulous » Toulouse without a word; « 15000 Euros », an
    amount in a commune column, was Aurillac. Now the code places a name near one of its communes'
    (geography.places.postal_code_and_name), with a warning; a far word makes no place of the cell."""
    path = tmp_path / "adherents.csv"
    path.write_text("Nom;Code postal;Commune\nA;;31000 toulous\nB;31000;Toulous\nC;;15000 Euros\nD;;29600\n",
                    encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    where = {a.name: a.location for a in store.iter_actors() if a.family != "pole"}
    assert where == {"A": "commune:31555", "B": "commune:31555", "C": None, "D": "epci:242900835"}
    assert [(x["row"], x["column"], x["value"], x["reason"]) for x in rejects_of(r)] == [
        ("2", "Commune", "31000 toulous", "'toulous' is not the name of Toulouse, the commune of postal code 31000: "
                                          "located there by the code (a typo?)"),
        ("3", "Commune", "Toulous", "'Toulous' is not the name of Toulouse, the commune of postal code 31000: "
                                    "located there by the code (a typo?)"),
        ("4", "Commune", "15000 Euros", "'15000 Euros' is not a place: 'Euros' is no name near those of the "
                                        "communes of postal code 15000 (Aurillac, Ytrac)")]


def test_a_former_name_of_the_commune_is_no_typo(store, tmp_path):
    """« 91080 COURCOURONNES » (merged into Évry-Courcouronnes, whose name carries it), « 50120
    EQUEURDREVILLE-HAINNEVILLE » (a commune déléguée of Cherbourg-en-Cotentin), « Hainneville » (a
    part of it): names of the commune, as addresses still write them, placed without a word (they were
    warned about as « a typo? »: the Paris subsidy file has two). A former name written near (cut, as
    the Paris file's « EQUEURDREVILLE-HAINNEVIL ») is said to be near that name, not a typo."""
    from maillage.loaders.motifs import motif

    path = tmp_path / "adherents.csv"
    path.write_text("Nom;Code postal;Commune\nA;91080;COURCOURONNES\nB;50120;EQUEURDREVILLE-HAINNEVILLE\n"
                    "C;50120;EQUEURDREVILLE-HAINNEVIL\nD;50120;Hainneville\nE;31000;Toulous\n", encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    where = {a.name: a.location for a in store.iter_actors() if a.family != "pole"}
    assert where == {"A": "commune:91228", "B": "commune:50129", "C": "commune:50129", "D": "commune:50129",
                     "E": "commune:31555"}
    said = [(x["row"], x["value"], x["reason"]) for x in rejects_of(r)]
    assert said == [
        ("4", "EQUEURDREVILLE-HAINNEVIL", "'EQUEURDREVILLE-HAINNEVIL' is near a former name of Cherbourg-en-Cotentin "
                                          "(Équeurdreville-Hainneville), the commune of postal code 50120: located "
                                          "there by the code"),
        ("6", "Toulous", "'Toulous' is not the name of Toulouse, the commune of postal code 31000: located there by "
                         "the code (a typo?)")]
    assert motif(said[0][2]) == ("'EQUEURDREVILLE-HAINNEVIL' est proche d'un ancien nom de Cherbourg-en-Cotentin "
                                 "(Équeurdreville-Hainneville), la commune du code postal 50120 : localisé là par "
                                 "le code")


def test_a_postal_code_written_with_a_space_is_a_postal_code(store, tmp_path):
    """« 31 000 », « 46\u00a0100 » (a space between the département and the rest, as a person or a
    spreadsheet's number format writes it) were « not a French postal code (5 digits) »: the member
    was placed by its commune's name only, and without one not at all. « 31 0000 » is still no code."""
    path = tmp_path / "adherents.csv"
    path.write_text("Nom;Code postal;Commune\nA;31 000;\nB;46\u00a0100;Figeac\nC;31\u202f000;Toulouse\n"
                    "D;31 0000;\n", encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    where = {a.name: a.location for a in store.iter_actors() if a.family != "pole"}
    assert where == {"A": "commune:31555", "B": "commune:46102", "C": "commune:31555", "D": None}
    assert [(x["row"], x["value"], x["reason"]) for x in rejects_of(r)] == [
        ("5", "31 0000", "'31 0000' is not a French postal code (5 digits)")]


def test_a_postal_code_the_geography_does_not_know(store, tmp_path):
    """A code the geography does not know (a CEDEX code written without the word, 31040) beside a
    commune of its département places the member there without a word, as with the word; beside a
    commune of another département (« 75700 » and « Lyon »), it contradicts it: no place, as for a
    code the geography knows; and when nothing places the member, the warning says so (it only said
    that the code was unknown, whether the member was placed or not)."""
    path = tmp_path / "adherents.csv"
    path.write_text("Nom;Code postal;Commune\nA;31040;Toulouse\nB;91302;MASSY\nC;75700;Lyon\nD;49933;ANGER\n"
                    "E;98800;\n", encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    where = {a.name: a.location for a in store.iter_actors() if a.family != "pole"}
    assert where == {"A": "commune:31555", "B": "commune:91377", "C": None, "D": None, "E": None}
    assert [(x["row"], x["column"], x["value"], x["reason"]) for x in rejects_of(r)] == [
        ("4", "Commune", "Lyon", "postal code 75700 (département 75) and 'Lyon' (Lyon, 69) contradict each other: "
                                 "no place given; the code is not in the reference geography; expected the postal "
                                 "code of 'Lyon'"),
        ("5", "Code postal", "49933", "postal code 49933 is not in the reference geography, and 'ANGER' does not "
                                      "designate one commune: no place given"),
        ("6", "Code postal", "98800", "postal code 98800 is not in the reference geography: no place given")]


def test_a_postal_code_and_a_departement_or_a_shortened_name(store, tmp_path):
    """A département's name is a place too: « 31520 » and « Lot » contradict each other (the
    member was placed in Ramonville-Saint-Agne without a word), « 86000 » and « Vienne » agree
    (Poitiers, in the Vienne: it had no place, « Vienne » read as the commune of the Isère); a
    shortened name still chooses among the code's communes (« Sainte-Foy »: Sainte-Foy-lès-Lyon)."""
    path = tmp_path / "adherents.csv"
    path.write_text("Nom;Code postal;Commune\nA;31520;Lot\nB;86000;Vienne\nC;69110;Sainte-Foy\n", encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    where = {a.name: a.location for a in store.iter_actors() if a.family != "pole"}
    assert where == {"A": None, "B": "commune:86194", "C": "commune:69202"}
    assert [(x["row"], x["column"], x["reason"]) for x in rejects_of(r)] == [(
        "2", "Commune", "postal code 31520 (Ramonville-Saint-Agne, 31) and 'Lot' (Lot, 46) contradict each other, "
                        "in different départements: no place given; expected a commune of postal code 31520, or the "
                        "postal code of 'Lot'")]


def test_an_insee_code_is_not_overruled_by_a_postal_code_and_a_commune_that_disagree(store, tmp_path):
    """The INSEE code gives way to a postal code and a commune name that agree with each other;
    « 31000 » and « Lyon » do not: they were said to « designate Toulouse », and the member placed
    there. Now the INSEE code places it."""
    path = tmp_path / "adherents.csv"
    path.write_text("nom;code postal;commune;code insee\nAlpha;31000;Lyon;42078\n", encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    assert [a.location for a in store.iter_actors() if a.family != "pole"] == ["commune:42078"]
    assert [x["reason"] for x in rejects_of(r)] == [
        "postal code 31000 is not one of Le Crozet's (42310): located by the INSEE code 42078"]


def test_a_postal_code_column_holding_the_commune_too_is_read_as_both(store, tmp_path):
    """« 31000;Lyon » in the postal code column, no commune column: it was « not a French postal
    code » and the member had no place said for that reason; now the contradiction is said, and
    « 31000 Toulouse » there places the member in Toulouse."""
    path = tmp_path / "adherents.csv"
    path.write_text('Nom;CP\nAlpha;"31000;Lyon"\nBeta;31000 Toulouse\n', encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    assert {a.name: a.location for a in store.iter_actors() if a.family != "pole"} == {
        "Alpha": None, "Beta": "commune:31555"}
    (warn,) = rejects_of(r)
    assert (warn["row"], warn["column"], warn["value"], warn["reason"]) == ("2", "CP", "31000;Lyon", LYON_IN_TOULOUSE)


@pytest.mark.parametrize("others, expected", [
    ("A;46000;Cahors\nB;46100;Figeac\nC;;Souillac\n", "commune:46127"),  # the Lot's Gourdon
    ("A;06000;Nice\nB;06400;Cannes\nC;;Grasse\n", "commune:06068"),  # the Alpes-Maritimes'
    ("A;46000;Cahors\nB;06400;Cannes\n", None),  # no département holds most of the list: not guessed
])
def test_a_commune_of_several_homonyms_is_the_one_in_the_lists_departement(store, tmp_path, others, expected):
    """« Gourdon » names four communes (Alpes-Maritimes, Ardèche, Lot, Saône-et-Loire): a member
    of a list whose other members are mostly in the Lot is in the Lot's Gourdon — it was left
    with no place, and so off its territory's map. The warning says which was kept and why."""
    path = tmp_path / "adherents.csv"
    path.write_text("Nom;Code postal;Commune\n" + others + "Tiers-lieu La Fabrique;;Gourdon\n", encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    where = {a.name: a.location for a in store.iter_actors() if a.family != "pole"}
    assert where["Tiers-lieu La Fabrique"] == expected
    (warn,) = [x for x in rejects_of(r) if x["value"] == "Gourdon"]
    if expected:
        dep = expected.split(":")[1][:2]
        assert warn["reason"] == (f"'Gourdon' names several communes: Gourdon ({dep}) kept, in the département of "
                                  "most of the list's members; give a postal code to be sure")
    else:
        assert "does not designate one commune" in warn["reason"]


def test_a_sigle_column_gives_an_alias_that_other_files_are_matched_by(store, tmp_path):
    """« Sigle » beside the name: the member list states ADEL's full name, the commune's subsidy
    file names it ADEL. With the sigle kept as an alias the grant goes to the member; without it
    (the column was not read) a second actor « ADEL » got the money."""
    members_csv = tmp_path / "adherents.csv"
    members_csv.write_text("Nom;Sigle;Commune\nAssociation pour le Développement de l'Emploi Local;ADEL;Muret\n"
                           "Coopérative Bois;Coopérative Bois;Albi\n", encoding="utf-8")
    load_file(store, members_csv, format="members", options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    adel = next(a for a in store.iter_actors() if a.name.startswith("Association pour"))
    assert adel.aliases == ["ADEL"]
    assert next(a for a in store.iter_actors() if a.name == "Coopérative Bois").aliases == []  # the name again
    grants = tmp_path / "muret.csv"
    grants.write_text("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant\n"
                      "Commune de Muret;;2023-03-01;ADEL;;Fonctionnement;1000\n", encoding="utf-8")
    r = load_file(store, grants, rejects_dir=tmp_path)
    (rule,) = [x for x in store.resolution_log(r.source) if x["key"] == "nom:adel"]
    assert (rule["actor_id"], rule["rule"]) == (adel.id, "name")
    (funds,) = store.relations(types=["funds"])
    assert funds.target == adel.id and funds.fields["amount"] == 1000.0


def test_lists_pasted_one_after_another_have_their_headers_rejected(store, tmp_path):
    path = tmp_path / "adherents.csv"
    path.write_text("Nom;Commune\nAlpha;Albi\nNom;Commune\nBeta;Muret\n", encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (3, 2, 1)
    (row,) = rejects_of(r)
    assert (row["row"], row["column"], row["value"], row["reason"]) == (
        "3", "Nom", "Nom", "the header again (lists pasted one after another?), not a member: not loaded")
    assert {a.name for a in store.iter_actors() if a.family != "pole"} == {"Alpha", "Beta"}


def test_ticks_in_a_yes_no_column(store, tmp_path):
    """An « ESS » column ticked as spreadsheets tick it (✓, ☑, ☐): read as yes and no (they were
    warned « expected oui/non » and the status left unknown)."""
    path = tmp_path / "adherents.csv"
    path.write_text("Nom;ESS\nAlpha;✓\nBeta;☐\nGamma;☑\n", encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    assert {a.name: a.ess for a in store.iter_actors() if a.family != "pole"} == {
        "Alpha": True, "Beta": False, "Gamma": True}
    assert rejects_of(r) == []


def test_membership_dates_written_out_in_french(store, tmp_path):
    """« Date d'adhésion » as animators type it: « mars 2019 », « 1er septembre 2020 », « 15/01/21 »
    (they were warned « expected a date » and dropped)."""
    path = tmp_path / "adherents.csv"
    path.write_text("Nom;Date d'adhésion\nAlpha;mars 2019\nBeta;1er septembre 2020\nGamma;15/01/21\n"
                    "Delta;l'an dernier\n", encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    starts = {store.get_actor(t.source).name: t.start for t in store.relations(types=["membership"])}
    assert starts == {"Alpha": "2019-03", "Beta": "2020-09-01", "Gamma": "2021-01-15", "Delta": None}
    (warn,) = rejects_of(r)
    assert warn["row"] == "5" and warn["reason"].startswith("expected a date (2017-09-08, 08/09/2017, 8 septembre 2017")


def test_a_total_row_under_the_list_is_not_a_member(store, tmp_path):
    """« Total » (its count in the SIRET column) under an animator's list was loaded as a member
    called Total; « Total Jeunesse » is a name, and so is « TOTAL » with a valid SIREN."""
    path = tmp_path / "adherents.csv"
    path.write_text("Liste des adhérents du pôle — 2024;;\n;;\nNom de la structure;SIRET;Commune\n"
                    "La Fabrique à Projets;;Toulouse\nTotal Jeunesse;;Blagnac\nTOTAL;542051180;Courbevoie\n"
                    "Total;3;\n", encoding="utf-8")
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (4, 3, 1)
    (row,) = rejects_of(r)
    assert (row["row"], row["level"], row["column"], row["value"], row["reason"]) == (
        "7", "rejected", "Nom de la structure", "Total",
        "'Total' marks a total row (a sum of other rows), not a member: not loaded")
    members_ = {store.get_actor(x.source).name for x in store.relations(types=["membership"])}
    assert members_ == {"La Fabrique à Projets", "Total Jeunesse", "TOTAL"}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_note_under_the_list_is_not_a_member(store, tmp_path, kind):
    """The lines an animator writes under the list — a footnote (« * en cours d'adhésion : … »), the
    date of the update, « NB : … », « Liste arrêtée au … » — were loaded as members of the pôle (4
    members for 2 listed); a name alone on its row, without such words, is still a member, and so is
    a name starting with those words when the row says more of it."""
    rows = [["Nom", "Code postal", "Commune", "Collège"],
            ["Figeac Initiatives Solidaires", "46100", "Figeac", "Fondateurs"],
            ["Note Bleue", "46100", "Figeac", "Associations"],  # a name (its row says more)
            ["Recyclerie du Figeaçois", "", "", ""],  # a name alone on its row, still a member
            ["", "", "", ""],
            ["* en cours d'adhésion : Scop Lotoise", "", "", ""],
            ["Mis à jour le 12/01/2025 par l'équipe d'animation", "", "", ""],
            ["NB : les collectivités ne votent pas", "", "", ""],
            ["Liste arrêtée au 31/12/2024", "", "", ""]]
    path = tmp_path / f"adherents.{kind}"
    if kind == "csv":
        path.write_text("".join(";".join(r) + "\n" for r in rows), encoding="utf-8")
    else:
        write_xlsx(path, {"Adhérents": rows})
    r = load_file(store, path, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    members_ = {store.get_actor(x.source).name for x in store.relations(types=["membership"])}
    assert members_ == {"Figeac Initiatives Solidaires", "Note Bleue", "Recyclerie du Figeaçois"}
    assert (r.rows_read, r.loaded, r.rejected) == (7, 3, 4)
    assert [(x["row"], x["level"], x["column"], x["reason"]) for x in rejects_of(r)] == [
        (str(n), "rejected", "Nom", f"{text!r} is a note under the list (a footnote, the date of an update), not a "
                                    "member: not loaded")
        for n, text in [(6, "* en cours d'adhésion : Scop Lotoise"),
                        (7, "Mis à jour le 12/01/2025 par l'équipe d'animation"),
                        (8, "NB : les collectivités ne votent pas"), (9, "Liste arrêtée au 31/12/2024")]]


def test_tiers_lieux_carrying_structures_are_linked(tiers_lieux):
    store, r, _ = tiers_lieux
    carries = store.relations(types=["carries"], source=r.source)
    # 26 rows name a structure porteuse; Cycle² is carried by "Cycle²" (itself): 25 ties
    assert len(carries) == 25
    assert all(c.fields == {"function": "structure_porteuse"} for c in carries)
    two_d = actor_of(store, r.source, "id:8")
    (tie,) = [c for c in carries if c.target == two_d.id]
    resam = store.get_actor(tie.source)
    assert resam.name.startswith("Résam") and tie.provenance.locator == "row 2"
    # the SIREN identifies the legal unit: the structure porteuse, not the place
    assert [(i.scheme, i.value) for i in resam.identifiers] == [("siren", "344613658")]
    assert two_d.identifiers == []
    assert not [c for c in carries if c.target == actor_of(store, r.source, "id:309").id]  # Cycle²


def test_tiers_lieux_six_rows_without_siren(tiers_lieux):
    store, r, path = tiers_lieux
    with path.open(encoding="utf-8") as f:
        no_siren = [row["ID_UNIQUE"] for row in csv.DictReader(f) if not row["siren"]]
    assert len(no_siren) == 6 and no_siren[-1] == ""  # the blank last row is one of the six
    for uid in no_siren[:-1]:
        place = actor_of(store, r.source, f"id:{uid[:-2]}")
        carriers = [store.get_actor(c.source) for c in store.relations(touching=[place.id], types=["carries"])]
        assert place.identifiers == [] and all(c.identifiers == [] for c in carriers), place.name


def test_tiers_lieux_collectivite_carriers_keep_only_their_own_siren(tiers_lieux):
    store, r, _ = tiers_lieux
    dynamo = actor_of(store, r.source, "id:749")  # La Dynamo, carried by the Ville de Chambéry
    (tie,) = store.relations(touching=[dynamo.id], types=["carries"])
    ville = store.get_actor(tie.source)
    assert (ville.family, ville.kind, ville.territory) == ("collectivite", "commune", "commune:73065")
    assert ville.identifiers == []  # 390379758 is not Chambéry's SIREN (217300656)
    assert [i.value for i in dynamo.identifiers] == ["390379758"]  # kept on the place
    chai = actor_of(store, r.source, "id:1021")
    (tie,) = store.relations(touching=[chai.id], types=["carries"])
    assert store.get_actor(tie.source).territory == "epci:200041556"  # CC Portes de la Creuse en Marche


def test_tiers_lieux_one_structure_carries_a_place_and_runs_another(tiers_lieux):
    store, r, _ = tiers_lieux
    # "Le tiers lieu de Sorgues" is carried by "provence numérique"; "SCIC Provence Numerique"
    # (Monteux) has no separate structure: both rows give SIREN 432887982, one legal unit
    sorgues = actor_of(store, r.source, "id:1165")
    monteux = actor_of(store, r.source, "id:1482")
    (tie,) = store.relations(touching=[sorgues.id], types=["carries"])
    assert tie.source == monteux.id
    assert "SCIC Provence Numerique" in [monteux.name, *monteux.aliases]
    assert store.find_by_identifier("siren", "432887982") == [monteux.id]


def test_tiers_lieux_names_as_written(tiers_lieux):
    store, r, _ = tiers_lieux
    escale = actor_of(store, r.source, "id:360")
    assert escale.name == "Escale & CO (L')"  # "&amp;" in the file
    assert "L'Escale & CO" in escale.aliases


def test_tiers_lieux_reload_changes_nothing(shared, tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    first = load_file(store, shared / TIERS_LIEUX, rejects_dir=tmp_path)
    before = store_snapshot(store)
    again = load_file(store, shared / TIERS_LIEUX, rejects_dir=tmp_path)
    assert store_snapshot(store) == before
    assert (first.loaded, first.merged, first.rejected) == (again.loaded, again.merged, again.rejected)
    store.close()


# -- member lists ----------------------------------------------------------------------------------

FRENCH = (
    "Liste des membres du PTCE Pays de Morlaix — mise à jour 2024;;;;;;;;;\r\n"
    ";;;;;;;;;\r\n"
    "Nom;N° SIRET;Forme juridique;Code postal;Commune;Commune;Rôle;Collège;Date d'adhésion;Courriel\r\n"
    "Écosimo;45032466000000.0;SCIC SAS;29600;Morlaix;;membre fondateur;entreprises;12/03/2014;a@b.fr\r\n"
    "Résam;7,17E+13;Association loi 1901;29600.0;;;adhérent;associations;2016;\r\n"
    "Ville de Morlaix;;Commune;29600;Morlaix;;partenaire;collectivités;41640;\r\n"
    "Écosimo;45032466000000.0;SCIC SAS;29600;Morlaix;;membre fondateur;entreprises;12/03/2014;a@b.fr\r\n"
    ";123;;;;;adhérent;;;\r\n"
    "Coopérative Œuvre & Cie;;SCOP;31400;Toulouse;;structure porteuse;;2013-01-01;\r\n"
    "Caisse d'Épargne;;SA coopérative;;;;financeur;;;\r\n"
    ";;;;;;;;;\r\n"
    ";;;;;;;;;\r\n"
)


@pytest.fixture
def french_list(tmp_path) -> Path:
    p = tmp_path / "membres.csv"
    p.write_bytes(b"\xef\xbb\xbf" + FRENCH.encode("cp1252"))  # a UTF-8 BOM in front of a cp1252 body
    return p


def test_french_member_list_cp1252_with_bom_header_below_a_title(store, french_list, tmp_path):
    assert detect_format(french_list) == "members"
    r = load_file(store, french_list, options={"pole": "PTCE Pays de Morlaix"}, rejects_dir=tmp_path)
    # 7 data rows (blank ones are not data): Écosimo twice, one without a name
    assert (r.rows_read, r.loaded, r.merged, r.rejected) == (7, 5, 1, 1)
    src = store.source(r.source)
    assert any("byte-order mark" in n for n in src.meta["notes"])
    assert src.meta["header_row"] == 3
    assert any("Courriel" in n and "personal" in n for n in src.meta["notes"])
    names = {a.name for a in store.iter_actors()}
    assert "Coopérative Œuvre & Cie" in names and "Écosimo" in names  # Œ is 0x8C in cp1252


def test_damaged_identifiers_are_warnings(store, french_list, tmp_path):
    r = load_file(store, french_list, options={"pole": "PTCE Pays de Morlaix"}, rejects_dir=tmp_path)
    eco = store.get_actor(store.find_by_identifier("siren", ECOSIMO)[0])
    assert [(i.scheme, i.value) for i in eco.identifiers] == [("siren", ECOSIMO)]  # SIRET dropped
    rej = rejects_of(r)
    siret = [x for x in rej if x["value"] == "45032466000000.0"]
    assert siret[0]["level"] == "warning" and siret[0]["column"] == "N° SIRET"
    assert "SIREN 450324660 kept" in siret[0]["reason"]
    sci = [x for x in rej if x["value"] == "7,17E+13"]
    assert sci[0]["level"] == "warning" and "identifier is unknown" in sci[0]["reason"]
    resam = next(a for a in store.iter_actors() if a.name == "Résam")
    assert resam.identifiers == []
    nameless = [x for x in rej if x["level"] == "rejected"]
    assert [x["row"] for x in nameless] == ["8"] and "no name" in nameless[0]["reason"]


def test_scientific_notation_keeps_the_identifier_its_digits_prove(store, tmp_path):
    """A SIRET a spreadsheet wrote as 4.4238180200028E+13 has lost no digit: kept; one written
    4.17645595E+13 still holds its SIREN: SIREN kept, SIRET flagged; 7,17E+13: unknown."""
    p = tmp_path / "membres.csv"
    p.write_text("Nom;SIRET;SIREN\n"
                 "Atelier Entier;4.4238180200028E+13;\n"
                 "Atelier Tronqué;4,17645595E+13;\n"
                 "Atelier Perdu;7,17E+13;\n"
                 "Atelier Siren;;4.41370806E+8\n", encoding="utf-8")
    r = load_file(store, p, format="members", options={"pole": "PTCE X"}, rejects_dir=tmp_path)
    ids = {a.name: sorted((i.scheme, i.value) for i in a.identifiers) for a in store.iter_actors()}
    assert ids["Atelier Entier"] == [("siren", "442381802"), ("siret", "44238180200028")]
    assert ids["Atelier Tronqué"] == [("siren", "417645595")]
    assert ids["Atelier Perdu"] == []
    assert ids["Atelier Siren"] == [("siren", "441370806")]
    reasons = {x["value"]: (x["level"], x["reason"]) for x in rejects_of(r)}
    assert reasons["4.4238180200028E+13"][0] == "warning" and "scientific notation" in reasons["4.4238180200028E+13"][1]
    assert reasons["4,17645595E+13"] == ("warning", "SIRET '4,17645595E+13' in scientific notation lost its last 5 "
                                                    "digits to a spreadsheet: SIREN 417645595 kept, SIRET dropped")
    assert "identifier is unknown" in reasons["7,17E+13"][1]
    assert reasons["4.41370806E+8"][0] == "warning"


def test_members_families_places_and_ties(store, french_list, tmp_path):
    load_file(store, french_list, options={"pole": "PTCE Pays de Morlaix"}, rejects_dir=tmp_path)
    by_name = {a.name: a for a in store.iter_actors()}
    pole = by_name["PTCE Pays de Morlaix"]
    assert (pole.family, pole.kind) == ("pole", "ptce")
    eco, resam, ville = by_name["Écosimo"], by_name["Résam"], by_name["Ville de Morlaix"]
    coop, caisse = by_name["Coopérative Œuvre & Cie"], by_name["Caisse d'Épargne"]
    assert (eco.family, eco.kind, eco.ess, eco.legal_form) == ("ess", "scic", True, "SCIC SAS")
    assert (resam.family, resam.kind) == ("ess", "association")
    assert (ville.family, ville.kind, ville.territory) == ("collectivite", "commune", "commune:29151")
    assert (coop.kind, coop.location) == ("scop", "commune:31555")
    assert eco.location == "commune:29151"  # 29600 + Morlaix
    assert resam.location == "epci:242900835"  # 29600 alone: the EPCI of its four communes
    ties = {(store.get_actor(t.source).name, t.type): t for t in store.relations(touching=[pole.id])}
    m = ties[("Écosimo", "membership")]
    assert m.fields == {"role": "membre fondateur", "tier": "socle", "college": "entreprises"}
    assert m.start == "2014-03-12" and ("Écosimo", "founded") in ties
    assert ties[("Résam", "membership")].fields["tier"] == "adherent"
    assert ties[("Résam", "membership")].start == "2016"
    assert ties[("Ville de Morlaix", "membership")].start == "2014-01-01"  # Excel date number 41640
    assert ties[("Ville de Morlaix", "membership")].fields["tier"] == "partenaire_associe"
    # a structure porteuse is a member and carries the pôle; a financeur funds it, not a member
    assert ties[("Coopérative Œuvre & Cie", "carries")].fields == {"function": "structure_porteuse"}
    assert ("Coopérative Œuvre & Cie", "membership") in ties
    assert ("Caisse d'Épargne", "funds") in ties and ("Caisse d'Épargne", "membership") not in ties
    assert caisse.kind == "cooperative"


def test_member_list_reload_is_idempotent(tmp_path, french_list):
    store = open_store(str(tmp_path / "s.db"))
    load_file(store, french_list, options={"pole": "PTCE Pays de Morlaix"}, rejects_dir=tmp_path)
    before = store_snapshot(store)
    r = load_file(store, french_list, options={"pole": "PTCE Pays de Morlaix"}, rejects_dir=tmp_path)
    assert store_snapshot(store) == before and identity(r)
    store.close()


def test_english_headers_in_an_xlsx_workbook(store, tmp_path):
    siret = valid_siret(ECOSIMO)
    p = write_xlsx(tmp_path / "members.xlsx", {
        "Read me": [["This workbook lists the members of our cluster"]],
        "Members": [
            ["Name", "SIRET", "Legal form", "Postcode", "City", "Role", "College", "Joined"],
            ["Ecosimo", int(siret), "SCIC", 29600, "Saint-Martin-des-Champs", "Founding member", "A", "2014-03-12"],
            ["TeTra", 62201199, "Association", 84200, "Carpentras", "Lead organisation", "B", 2015],
            ["Acme SAS", None, "SAS", "75011", "Paris", "Partner", None, None],
            [None, None, None, None, None, None, None, None],
        ]})
    assert detect_format(p) == "members"
    r = load_file(store, p, options={"pole": "Pôle Test"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (3, 3, 0)
    assert store.source(r.source).meta["sheet"] == "Members"  # the first sheet has no names
    eco = store.get_actor(store.find_by_identifier("siret", siret)[0])
    assert {(i.scheme, i.value) for i in eco.identifiers} == {("siret", siret), ("siren", ECOSIMO)}
    assert eco.location == "commune:29254"  # 29600 shared: the city decides
    tetra = store.get_actor(store.find_by_identifier("siren", "062201199")[0])  # leading zero restored
    ties = {(t.source, t.type): t for t in store.relations(types=["membership", "carries", "founded"])}
    assert ties[(tetra.id, "carries")].fields["function"] == "structure_porteuse"
    assert ties[(tetra.id, "membership")].start == "2015"
    assert (eco.id, "founded") in ties
    acme = next(a for a in store.iter_actors() if a.name == "Acme SAS")
    assert (acme.family, acme.kind, acme.location) == ("enterprise", "entreprise", "commune:75056")


def test_member_list_in_an_ods_spreadsheet(store, tmp_path):
    p = write_ods(tmp_path / "membres.ods", {"Membres": [
        ["Raison sociale", "SIREN", "Statut", "Code INSEE", "Rôle"],
        ["Écosimo", 450324660, "SCIC", "29151", "membre"],
        ["Mairie de Plourin", None, None, 29207, "partenaire"],
    ]})
    assert detect_format(p) == "members"
    r = load_file(store, p, options={"pole": "PTCE Pays de Morlaix"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded) == (2, 2)
    mairie = next(a for a in store.iter_actors() if a.name == "Mairie de Plourin")
    assert (mairie.family, mairie.kind, mairie.location) == ("collectivite", "commune", "commune:29207")


@pytest.mark.parametrize("writer", [write_xlsx, write_ods], ids=["xlsx", "ods"])
def test_merged_cells_over_several_rows_give_each_row_their_value(store, tmp_path, writer):
    """An animator's workbook as it is laid out: a title merged across the columns, then each
    collège and the pôle in one cell merged down the rows of its members. Read as seen: every
    member has its collège and its pôle (the rows under a merged cell were read blank: members
    without a collège, and « no pôle for this row »); the title is not a member."""
    p = writer(tmp_path / f"adherents.{'xlsx' if writer is write_xlsx else 'ods'}", {"Adhérents": [
        [Merged("Adhérents du pôle — 2024", cols=4), None, None, None],
        ["Nom", "Collège", "PTCE", "Commune"],
        ["La Fabrique", Merged("Fondateurs", rows=3), Merged("PTCE Sud", rows=5), "Toulouse"],
        ["Les Jardins", None, None, "Blagnac"],
        ["Coop Bois", None, None, "Muret"],
        ["Atelier Vélo", Merged("Usagers", rows=2), None, "Albi"],
        ["Radio Mix", None, None, "Albi"],
        ["Hors pôle", "Usagers", "", "Albi"],
    ]})
    r = load_file(store, p, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (6, 6, 0)
    meta = store.source(r.source).meta
    assert "merged cells over several rows (B3:B5, C3:C7, B6:B7): each row read with the merged value" in meta["notes"]
    ties = {store.get_actor(t.source).name: (store.get_actor(t.target).name, t.fields.get("college"))
            for t in store.relations(types=["membership"])}
    assert ties == {"La Fabrique": ("PTCE Sud", "Fondateurs"), "Les Jardins": ("PTCE Sud", "Fondateurs"),
                    "Coop Bois": ("PTCE Sud", "Fondateurs"), "Atelier Vélo": ("PTCE Sud", "Usagers"),
                    "Radio Mix": ("PTCE Sud", "Usagers")}
    assert [x["row"] for x in rejects_of(r)] == ["8"]  # Hors pôle: its own blank pôle cell, not under a merge


@pytest.mark.parametrize("writer", [write_xlsx, write_ods], ids=["xlsx", "ods"])
def test_a_heading_merged_across_the_row_is_not_a_member(store, tmp_path, writer):
    """« Collège des fondateurs » merged across the columns above its members (a layout made to be
    read) was loaded as a member of that name; it is rejected as a heading. A member whose row
    has only its name, unmerged, is still a member."""
    p = writer(tmp_path / f"adherents.{'xlsx' if writer is write_xlsx else 'ods'}", {"Adhérents": [
        ["Nom", "Collège", "Commune"],
        [Merged("Collège des fondateurs", cols=3), None, None],
        ["La Fabrique", "A", "Toulouse"],
        [Merged("Collège des usagers", rows=2, cols=3), None, None],
        [None, None, None],
        ["Radio Mix", "B", "Albi"],
        ["Seule Avec Son Nom", None, None],
    ]})
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (5, 3, 2)
    colleges = colleges_of(store)
    # a row's own collège wins; one without is given the heading's
    assert colleges == {"La Fabrique": "A", "Radio Mix": "B", "Seule Avec Son Nom": "Collège des usagers"}
    rejected = {x["row"]: (x["column"], x["value"], x["reason"]) for x in rejects_of(r) if x["level"] == "rejected"}
    given = "is a collège heading, not a member: not loaded; the rows below it without a collège of their own are given it"
    assert rejected == {"2": ("Nom", "Collège des fondateurs", f"'Collège des fondateurs' {given}"),
                        "4": ("Nom", "Collège des usagers", f"'Collège des usagers' {given}")}


@pytest.mark.parametrize("writer", [write_xlsx, write_ods], ids=["xlsx", "ods"])
def test_a_heading_that_names_no_college_ends_the_college_above(store, tmp_path, writer):
    """« Partenaires financiers » merged across the row is a heading too, but not a collège: the
    rows below it are not in the collège of the heading above. It names a role, which the rows
    below that give none take: a partenaire financier funds the pôle, it is not a member."""
    p = writer(tmp_path / f"adherents.{'xlsx' if writer is write_xlsx else 'ods'}", {"Adhérents": [
        ["Nom", "Commune"],
        [Merged("Collège 1 – Fondateurs", cols=2), None],
        ["La Fabrique", "Toulouse"],
        [Merged("Partenaires financiers", cols=2), None],
        ["Banque Locale", "Albi"],
    ]})
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (4, 2, 2)
    colleges = colleges_of(store)
    assert colleges == {"La Fabrique": "Collège 1 – Fondateurs"}
    assert [(store.get_actor(t.source).name, t.fields.get("role")) for t in store.relations(types=["funds"])] == [
        ("Banque Locale", "Partenaires financiers")]
    assert [x["reason"] for x in rejects_of(r)][1] == \
        "'Partenaires financiers' is a heading merged across the row, not a member: not loaded"


def test_college_headings_alone_on_their_row_in_a_csv(store, tmp_path):
    """A CSV has no merged cells: « Collège des fondateurs » alone on its row (in any column) above
    its members was loaded as a member named so — or rejected for an empty name when it sat in
    the first column and the names in the second. Each is a heading; the members below are in
    its collège. A school that is a member, « Collège Jean Moulin », alone with its name, stays a
    member, and so does a one-column list's member."""
    p = tmp_path / "adherents.csv"
    p.write_text("N°;Nom;Commune;Collège\n"
                 "Collège des fondateurs;;;\n"
                 "1;La Fabrique;Toulouse;\n"
                 "2;Les Jardins;Blagnac;Usagers\n"
                 ";COLLÈGE 2 : collectivités;;\n"
                 "3;Mairie de Muret;Muret;\n"
                 ";Collège Jean Moulin;;\n", encoding="utf-8")
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (6, 4, 2)
    colleges = colleges_of(store)
    assert colleges == {"La Fabrique": "Collège des fondateurs", "Les Jardins": "Usagers",
                        "Mairie de Muret": "COLLÈGE 2 : collectivités",
                        "Collège Jean Moulin": "COLLÈGE 2 : collectivités"}
    rejected = {x["row"]: (x["column"], x["value"]) for x in rejects_of(r) if x["level"] == "rejected"}
    assert rejected == {"2": ("N°", "Collège des fondateurs"), "5": ("Nom", "COLLÈGE 2 : collectivités")}
    notes = store.source(r.source).meta["notes"]
    assert ("collège headings on rows 2, 5: the members below each are given its collège unless they name their "
            "own") in notes


def test_group_headings_alone_on_their_row_are_not_members(store, tmp_path):
    """« ASSOCIATIONS », « Partenaires financiers » alone on their row sort a list by kind or
    circle: each was loaded as a member of that name. They are headings; not being a collège,
    the collège above stops at them (they may sort members within it, or be a collège of their
    own: neither is guessed). A name alone that is not made of such words stays a member."""
    p = tmp_path / "adherents.csv"
    p.write_text("Nom;Commune\n"
                 "Collège A;\n"
                 "ASSOCIATIONS;\n"
                 "La Fabrique;Toulouse\n"
                 "Partenaires financiers;\n"
                 "Banque Locale;Albi\n"
                 "Entreprises et Territoires;\n", encoding="utf-8")
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (6, 3, 3)
    colleges = colleges_of(store)
    assert colleges == {"La Fabrique": None}  # below « Partenaires financiers »: funders, not members
    assert sorted(store.get_actor(t.source).name for t in store.relations(types=["funds"])) == [
        "Banque Locale", "Entreprises et Territoires"]
    rejected = {x["row"]: x["reason"] for x in rejects_of(r) if x["level"] == "rejected"}
    assert rejected["3"] == ("'ASSOCIATIONS' is a heading alone on its row (it names a group of members, not one), "
                             "not a member: not loaded")
    assert set(rejected) == {"2", "3", "5"}
    notes = store.source(r.source).meta["notes"]
    assert ("collège headings on row 2: the members below each are given its collège unless they name their own; "
            "other headings, ending the collège above them, on row 3" in notes)
    assert "headings naming a role on row 5: the rows below each that give no role are given it" in notes


def test_a_list_sorted_by_sector_loads_no_sector_as_a_member(store, tmp_path):
    """« Secteur Nord » alone on its row sorts a list by part of the territory: it was loaded
    as a member of that name, drawn on the map among the pôle's members. It is a heading; the
    members below it are loaded, « Territoire Zéro Chômeur » alone on its row stays a member."""
    p = tmp_path / "adherents.csv"
    p.write_text("Nom;Commune\n"
                 "Secteur Nord;\n"
                 "La Fabrique;Toulouse\n"
                 "SECTEUR SUD;\n"
                 "Banque Locale;Albi\n"
                 "Territoire Zéro Chômeur;\n", encoding="utf-8")
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path, lang="en")
    assert (r.rows_read, r.loaded, r.rejected) == (5, 3, 2)
    names = {a.name for a in store.iter_actors()}
    assert {"La Fabrique", "Banque Locale", "Territoire Zéro Chômeur"} <= names
    assert not names & {"Secteur Nord", "SECTEUR SUD"}
    assert {x["row"]: x["reason"] for x in rejects_of(r)}["2"] == (
        "'Secteur Nord' is a heading alone on its row (it names a group of members, not one), not a member: not loaded")


@pytest.mark.parametrize(("text", "heading"), [
    ("ASSOCIATIONS", True), ("Partenaires financiers", True), ("Membres fondateurs", True),
    ("Collectivités territoriales et EPCI", True), ("Structures de l'ESS", True), ("Autres", True),
    ("Entreprises et Territoires", False), ("Association Partenaires", False), ("La Fabrique", False),
    ("de la", False), ("", False),
    # a part of the territory the list is sorted by; a name that only starts like one is a member's
    ("Secteur Nord", True), ("ZONE SUD-EST", True), ("Territoire Ouest", True), ("Antenne 2", True),
    ("Secteur géographique Centre", True), ("Territoire Zéro Chômeur", False), ("Zone Sud Bio", False),
    ("Secteur", False), ("Quartier Libre", False), ("Site Nord Ouest Formation", False)])
def test_group_heading_words(text, heading):
    assert members.group_heading(text) is heading


@pytest.mark.parametrize(("text", "heading"), [
    ("Collège des fondateurs", True), ("Collège 2", True), ("COLLÈGE A – Collectivités", True),
    ("Collège : associations", True), ("Collèges", True), ("College n°3", True), ("Collège de l'ESS", True),
    ("Collège Jean Moulin", False), ("Collège Anne Frank", False), ("La Fabrique", False),
    ("Association du collège", False), ("Collègeville", False),
    # « des / du » then a proper noun: an institution, not whom the collège gathers
    ("Collège des Bernardins", False), ("Collège du Léman", False), ("Collège de la Salle", False),
    ("Collège des Fondateurs", True), ("COLLÈGE DES USAGERS", True), ("Collège des Producteurs", True),
    ("Collège de l'Économie sociale", True), ("Collège des SCIC", True), ("Collège d'Honneur", True)])
def test_college_heading_words(text, heading):
    assert members.college_heading(text) is heading


@pytest.mark.parametrize("writer", [write_xlsx, write_ods], ids=["xlsx", "ods"])
def test_a_list_split_over_sheets_is_read_whole(store, tmp_path, writer):
    """A workbook with a sheet per collège was read up to its first sheet: the members of the
    others were silently left out. Every sheet with a name column is read (its members in the
    sheet's collège when the sheet is named after one); a sheet whose name says it is not the
    current list (former members) is not, nor one without a name column (a legend) nor an
    empty one; a bad row says which sheet it is on."""
    p = writer(tmp_path / f"adherents.{'xlsx' if writer is write_xlsx else 'ods'}", {
        "Feuil1": [[None]],
        "Collège A": [["Nom", "Commune"], ["La Fabrique", "Toulouse"], ["Les Jardins", "Blagnac"]],
        "Collège B": [["Nom", "Commune", "Collège"], ["Radio Mix", "Albi", ""], [None, "Albi", ""],
                      ["La Fabrique", "Toulouse", "B bis"], ["Pôle Sud", "Albi", ""]],
        "Anciens adhérents": [["Nom", "Commune"], ["Parti Depuis", "Albi"]],
        "Légende": [["Couleur", "Sens"], ["vert", "à jour de cotisation"]],
    })
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    # La Fabrique, in Collège A and again on sheet Collège B (as « B bis »): one member, listed twice —
    # merged into its first row, the collège of that row kept, and a warning naming both
    assert (r.rows_read, r.loaded, r.merged, r.rejected) == (6, 4, 1, 1)
    ties = sorted((store.get_actor(t.source).name, t.fields.get("college")) for t in store.relations(types=["membership"]))
    assert ties == [("La Fabrique", "Collège A"), ("Les Jardins", "Collège A"), ("Pôle Sud", "Collège B"),
                    ("Radio Mix", "Collège B")]
    bad, again, college, itself = rejects_of(r)
    assert (bad["row"], bad["column"], bad["level"]) == ("Collège B!row 3", "Nom", "rejected")
    assert (again["row"], again["level"], again["reason"]) == (
        "Collège B!row 4", "warning", "same member as row 2 of sheet 'Collège A' (La Fabrique): merged")
    assert (college["column"], college["value"], college["reason"]) == (
        "Collège", "B bis", "collège 'Collège A' on row 2 of sheet 'Collège A', 'B bis' on row 4 of sheet "
        "'Collège B': the same member listed twice; 'Collège A' kept, correct the list to choose")
    # found only when resolving (the member is the pôle): still named by its sheet and row
    assert (itself["row"], itself["level"]) == ("Collège B!row 5", "warning") and "to itself" in itself["reason"]
    notes = store.source(r.source).meta["notes"]
    assert "sheets read: 'Collège A', 'Collège B'" in notes
    assert ("sheet not read, its name says not the current list (former members, a copy, an example…): "
            "'Anciens adhérents'; load one with --option sheet=NAME") in notes
    assert "sheets without a name column, not read: 'Légende'" in notes
    ties_at = {t.provenance.locator for t in store.relations(types=["membership"])}
    assert ties_at == {"Collège A!row 2", "Collège A!row 3", "Collège B!row 2", "Collège B!row 5"}
    # the sheet asked for is the only one read, whatever its name
    r = load_file(store, p, options={"pole": "Pôle Sud", "sheet": "Anciens adhérents"}, source_id="anciens",
                  rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded) == (1, 1)


def test_a_network_workbook_with_a_sheet_per_ptce_gives_each_sheet_its_pole(store, tmp_path):
    """A network's workbook, a sheet per PTCE named after it, with a rôle column and no pôle
    column: refused (« names no pôle ») though each sheet's name says it. Each sheet's members
    are members of its pôle; --pole still overrides."""
    p = write_xlsx(tmp_path / "reseau.xlsx", {
        "PTCE Sud Aveyron": [["Nom", "Rôle"], ["La Fabrique", "membre"], ["Radio Mix", "structure porteuse"]],
        "PTCE Pays de Morlaix": [["Nom", "Rôle"], ["La Fabrique", "adhérent"]]})
    r = load_file(store, p, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (3, 3, 0)
    ties = sorted((store.get_actor(t.source).name, t.type, store.get_actor(t.target).name)
                  for t in store.relations(types=["membership", "carries"]))
    assert ties == [("La Fabrique", "membership", "PTCE Pays de Morlaix"), ("La Fabrique", "membership", "PTCE Sud Aveyron"),
                    ("Radio Mix", "carries", "PTCE Sud Aveyron"), ("Radio Mix", "membership", "PTCE Sud Aveyron")]
    notes = store.source(r.source).meta["notes"]
    assert "sheet 'PTCE Sud Aveyron' names a pôle: its rows are that pôle's members (--pole overrides)" in notes
    (aveyron,) = [a for a in store.iter_actors() if a.name == "PTCE Sud Aveyron"]
    assert (aveyron.family, aveyron.kind) == ("pole", "ptce")
    r = load_file(store, p, options={"pole": "Réseau"}, source_id="reseau", rejects_dir=tmp_path)
    assert {store.get_actor(t.target).name for t in store.relations(types=["membership"])
            if t.provenance.source == "reseau"} == {"Réseau"}


@pytest.mark.parametrize("writer", [write_xlsx, write_ods], ids=["xlsx", "ods"])
def test_a_sheet_per_year_dates_the_memberships_and_gives_the_pole_s_entries_and_exits(store, tmp_path, writer):
    """The way an animator keeps the pôle's history: the list of each year on its own sheet. Each
    sheet's memberships are dated its year (a row's own dates win), so the evolution of the
    pôle has its entries and exits: Alpha every year, Beta gone in 2024, Gamma in from 2024."""
    from maillage.analytics.evolution import evolution

    p = writer(tmp_path / f"adherents.{'xlsx' if writer is write_xlsx else 'ods'}", {
        "Adhérents 2022": [["Nom", "Commune"], ["Alpha", "Albi"], ["Beta", "Albi"]],
        "Adhérents 2023": [["Nom", "Commune"], ["Alpha", "Albi"], ["Beta", "Albi"]],
        "Adhérents 2024": [["Nom", "Commune", "Date d'adhésion"], ["Alpha", "Albi", ""], ["Gamma", "Muret", "01/03/2024"]],
    })
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.merged, r.rejected) == (6, 6, 0, 0)
    spans = sorted((store.get_actor(t.source).name, t.start, t.end) for t in store.relations(types=["membership"]))
    assert spans == [("Alpha", "2022", "2022"), ("Alpha", "2023", "2023"), ("Alpha", "2024", "2024"),
                     ("Beta", "2022", "2022"), ("Beta", "2023", "2023"), ("Gamma", "2024-03-01", "2024")]
    assert ("a sheet per year ('Adhérents 2022', 'Adhérents 2023', 'Adhérents 2024'): each membership is dated its "
            "sheet's year unless its row gives dates (the pôle's entries and exits over the years)"
            in store.source(r.source).meta["notes"])
    (pole,) = evolution(store, years=[2022, 2023, 2024]).poles.items
    turnover = {t.year: (t.members, sorted(a.name for a in t.entries.items), sorted(a.name for a in t.exits.items))
                for t in pole.years}
    assert turnover[2023] == (2, [], [])
    assert turnover[2024] == (2, ["Gamma"], ["Beta"])


def test_a_sheet_per_year_with_a_date_column_still_has_its_members_leave(store, tmp_path):
    """Sheets « 2022 » and « 2023 » with a « Date d'adhésion » column: « Ancienne Asso Solidaire »,
    on 2022's sheet only, kept an open membership from its date (it never left, the pôle report's
    « Sorties » stayed empty). Its start is its stated date, its end 2022: it leaves in 2023."""
    from maillage.analytics.evolution import evolution
    from maillage.analytics.reports import _turnover

    p = write_xlsx(tmp_path / "adherents.xlsx", {
        "2022": [["Nom", "Date d'adhésion"], ["Ancienne Asso Solidaire", "12/03/2015"], ["Écosimo", "2016"]],
        "2023": [["Nom", "Date d'adhésion"], ["Écosimo", "2016"], ["Nouvelle Coop", "01/02/2023"]],
    })
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (4, 4, 0)
    spans = sorted((store.get_actor(t.source).name, t.start, t.end) for t in store.relations(types=["membership"]))
    assert spans == [("Ancienne Asso Solidaire", "2015-03-12", "2022"), ("Nouvelle Coop", "2023-02-01", "2023"),
                     ("Écosimo", "2016", "2022"), ("Écosimo", "2016", "2023")]
    assert any(n.startswith("column \"Date d'adhésion\" in the sheets per year") for n in r.notes)
    (pole,) = evolution(store, years=[2022, 2023]).poles.items
    turnover = {t.year: (t.members, sorted(a.name for a in t.entries.items), sorted(a.name for a in t.exits.items))
                for t in pole.years}
    assert turnover[2023] == (2, ["Nouvelle Coop"], ["Ancienne Asso Solidaire"])
    rows, counts = _turnover(store, pole.pole.id, None, "fr")  # what the pôle report's table shows
    by_year = {row["year"]: row for row in rows}
    assert by_year[2023]["exits"] == ["Ancienne Asso Solidaire"] and by_year[2023]["entries"] == ["Nouvelle Coop"]
    assert by_year[2015]["first"] and by_year[2016]["entries"] == ["Écosimo"]


def test_two_undated_lists_of_one_pole_say_how_to_give_the_years(store, tmp_path):
    """``maillage load membres_2022.csv membres_2023.csv --pole P``: two sources, no year in
    either, so nobody ever leaves. The second load's notes say how to give the years (--year, the
    one its name holds); a list with a date column is said to be read as members with no end (a
    member missing from it does not leave either); the first list alone gets no such note
    (tests/test_member_years.py: its name's year suggested)."""
    from maillage.loaders.motifs import motif

    for year, names in ((2022, ["Alpha", "Beta"]), (2023, ["Alpha", "Gamma"])):
        (tmp_path / f"membres_{year}.csv").write_text("Nom;Commune\n" + "".join(f"{n};Albi\n" for n in names),
                                                      encoding="utf-8")
    first = load_file(store, tmp_path / "membres_2022.csv", options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    second = load_file(store, tmp_path / "membres_2023.csv", options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    said = [n for n in second.notes if n.startswith("another member list")]
    assert said == ["another member list of the pôle 'Pôle Sud' (source 'members:membres_2022.csv') gives no years "
                    "either: both are read as the same years, so nobody joins or leaves. If each file is the list of "
                    "the pôle's members in one year, load each again with its year, --year YEAR (the name "
                    "'membres_2023.csv' says 2023: --year 2023): a member of one year's list missing from the next "
                    "then leaves (or put each year's list on its own sheet of one workbook, sheets named 2022, "
                    "2023…)"]
    assert motif(said[0]).startswith("une autre liste des membres du pôle 'Pôle Sud' (source 'members:membres_2022.csv') "
                                     "ne donne pas d'années non plus : ")
    assert not any(n.startswith("another member list") for n in first.notes)
    again = load_file(store, tmp_path / "membres_2022.csv", options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert any(n.startswith("another member list") for n in again.notes)  # 2023's list is the other one now
    (tmp_path / "membres_2024.csv").write_text("Nom;Date d'adhésion\nAlpha;2019\n", encoding="utf-8")
    dated = load_file(store, tmp_path / "membres_2024.csv", options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert [n.split(":")[0] for n in dated.notes if n.startswith("another member list")] == [
        "another member list of the pôle 'Pôle Sud' (source 'members"]
    assert any("is loaded and neither gives a year: both are read as lists of members with no end" in n
               for n in dated.notes)
    other_pole = load_file(store, tmp_path / "membres_2023.csv", options={"pole": "Pôle Nord"}, source_id="nord",
                           rejects_dir=tmp_path)
    assert not any(n.startswith("another member list") for n in other_pole.notes)


def test_a_year_without_its_sheet_is_not_everyone_leaving_and_coming_back(store, tmp_path):
    """Sheets « 2021 », « 2022 », « 2024 », « 2025 »: no list was kept for 2023. Alpha, on every
    sheet, was counted out in 2023 and in again in 2024, and so was every member: the 2022 list
    now stands until 2024's (the last list known, said in a note). Beta, on 2022's sheet only,
    leaves in 2024 — the first list without it —, not in 2023."""
    from maillage.analytics.evolution import evolution

    p = write_xlsx(tmp_path / "adherents.xlsx", {
        "2021": [["Nom"], ["Alpha"]],
        "2022": [["Nom"], ["Alpha"], ["Beta"]],
        "2024": [["Nom"], ["Alpha"]],
        "2025": [["Nom"], ["Alpha"]],
    })
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path, lang="en")
    assert (r.rows_read, r.loaded, r.rejected) == (5, 5, 0)
    spans = sorted((store.get_actor(t.source).name, t.start, t.end) for t in store.relations(types=["membership"]))
    assert spans == [("Alpha", "2021", "2021"), ("Alpha", "2022", "2023"), ("Alpha", "2024", "2024"),
                     ("Alpha", "2025", "2025"), ("Beta", "2022", "2023")]
    assert ("no sheet for 2023: the list of '2022' taken as standing until the next one ('2024'), not as its members "
            "leaving and coming back") in store.source(r.source).meta["notes"]
    (pole,) = evolution(store, years=[2021, 2022, 2023, 2024, 2025]).poles.items
    turnover = {t.year: (t.members, sorted(a.name for a in t.entries.items), sorted(a.name for a in t.exits.items))
                for t in pole.years}
    assert turnover[2023] == (2, [], [])
    assert turnover[2024] == (1, [], ["Beta"])


@pytest.mark.parametrize(("years", "spans", "gaps"), [
    ({"2022": ("2022", "2022"), "2023": ("2023", "2023")}, {"2022": ("2022", "2022"), "2023": ("2023", "2023")}, []),
    ({"A 2024": ("2024", "2024"), "A 2020": ("2020", "2020")},  # the sheets in any order
     {"A 2020": ("2020", "2023"), "A 2024": ("2024", "2024")}, [("A 2020", "2021–2023", "A 2024")]),
    ({"2019-2020": ("2019", "2020"), "2022/2023": ("2022", "2023")},
     {"2019-2020": ("2019", "2021"), "2022/2023": ("2022", "2023")}, [("2019-2020", "2021", "2022/2023")]),
    ({"2023-2024": ("2023", "2024"), "2024-2025": ("2024", "2025")},  # overlapping: nothing missing
     {"2023-2024": ("2023", "2024"), "2024-2025": ("2024", "2025")}, []),
])
def test_bridge_year_gaps(years, spans, gaps):
    assert members._bridge_year_gaps(years) == (spans, gaps)


@pytest.mark.parametrize(("sheets", "years"), [
    (["2023", "2024"], {"2023": ("2023", "2023"), "2024": ("2024", "2024")}),
    (["Adhérents 2023-2024", "Adhérents 2024/2025"], {"Adhérents 2023-2024": ("2023", "2024"),
                                                       "Adhérents 2024/2025": ("2024", "2025")}),
    (["2023", "Collège B"], {}),  # one sheet with a year: not a history
    (["2023", "2023 (2)"], {}),  # the same year twice: a copy, not a history
    (["Liste 2020 à 2023", "2024"], {}),  # two years in one name that are not a span: not dated
])
def test_sheet_years(sheets, years):
    assert members._sheet_years(sheets) == years


def test_a_group_heading_on_a_collège_sheet_ends_the_sheet_s_collège(store, tmp_path):
    p = write_xlsx(tmp_path / "a.xlsx", {"Collège A": [["Nom"], ["Alpha"], ["ASSOCIATIONS"], ["Beta"]],
                                         "Collège B": [["Nom"], ["Gamma"]]})
    r = load_file(store, p, options={"pole": "P"}, rejects_dir=tmp_path)
    colleges = colleges_of(store)
    assert colleges == {"Alpha": "Collège A", "Beta": None, "Gamma": "Collège B"}
    assert ("headings ending the collège above them on row Collège A!row 3: the members below get none"
            in store.source(r.source).meta["notes"])


def test_a_network_list_with_each_pole_above_its_members(store, tmp_path):
    """A network's list in one CSV: each PTCE's name alone on its row above its members, a rôle
    column, no pôle column — refused for naming no pôle. Each pôle heading gives the rows below
    it their pôle (a collège heading inside it too); with --pole, such a row is a member."""
    p = tmp_path / "reseau.csv"
    p.write_text("Nom;Commune;Rôle\n"
                 "PTCE Sud Aveyron;;\n"
                 "La Fabrique;Rodez;membre\n"
                 "Radio Mix;Millau;structure porteuse\n"
                 "PTCE Pays de Morlaix;;\n"
                 "Collège des usagers;;\n"
                 "La Fabrique;Rodez;adhérent\n", encoding="utf-8")
    r = load_file(store, p, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (6, 5, 1)  # a heading states its pôle: loaded
    ties = sorted((store.get_actor(t.source).name, t.type, store.get_actor(t.target).name, t.fields.get("college"))
                  for t in store.relations(types=["membership", "carries"]))
    assert ties == [("La Fabrique", "membership", "PTCE Pays de Morlaix", "Collège des usagers"),
                    ("La Fabrique", "membership", "PTCE Sud Aveyron", None),
                    ("Radio Mix", "carries", "PTCE Sud Aveyron", None),
                    ("Radio Mix", "membership", "PTCE Sud Aveyron", None)]
    (aveyron,) = [a for a in store.iter_actors() if a.name == "PTCE Sud Aveyron"]
    assert aveyron.family == "pole"
    assert [x["row"] for x in rejects_of(r)] == ["6"]  # the collège heading
    assert ("pôle headings on rows 2, 5: the rows below each, to the next, are its members (--pole overrides)"
            in store.source(r.source).meta["notes"])
    r = load_file(store, p, options={"pole": "Réseau"}, source_id="reseau", rejects_dir=tmp_path)
    members_ = {store.get_actor(t.source).name for t in store.relations(types=["membership"])
                if t.provenance.source == "reseau"}
    assert members_ == {"La Fabrique", "Radio Mix", "PTCE Sud Aveyron", "PTCE Pays de Morlaix"}


def test_a_sheet_named_as_a_role_gives_it_to_its_rows_and_a_contacts_sheet_is_not_read(store, tmp_path):
    """An animator's workbook: the members on one sheet, the funders on another, the contacts on a
    third. Read whole, the funders were members of the pôle and the contacts' organisations too.
    A sheet named as a role (« Financeurs ») gives it to its rows that give none — a funder funds
    the pôle, it is not a member — and a « Contacts » sheet is not the list."""
    p = write_xlsx(tmp_path / "pole.xlsx", {
        "Adhérents": [["Nom", "Rôle"], ["La Fabrique", "membre"], ["Radio Mix", ""]],
        "Financeurs": [["Nom", "Rôle"], ["Région Occitanie", ""], ["Fondation Locale", "partenaire"]],
        "Contacts": [["Structure", "Courriel"], ["Prospect SARL", "x@y.fr"]]})
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    ties = sorted((store.get_actor(t.source).name, t.type, t.fields.get("tier"))
                  for t in store.relations(types=["membership", "funds"]))
    assert ties == [("Fondation Locale", "membership", "partenaire_associe"), ("La Fabrique", "membership", "membre"),
                    ("Radio Mix", "membership", "adherent"), ("Région Occitanie", "funds", None)]
    notes = store.source(r.source).meta["notes"]
    assert "sheet 'Financeurs' names a role: the role of its rows that give none" in notes
    assert ("sheet not read, its name says not the current list (former members, a copy, an example…): "
            "'Contacts'; load one with --option sheet=NAME") in notes


def test_a_single_list_sheet_is_read_whatever_its_name(store, tmp_path):
    """« Copie de Feuil1 », the only sheet with a list, is the list."""
    p = write_xlsx(tmp_path / "liste.xlsx", {"Copie de Feuil1": [["Nom"], ["La Fabrique"]], "Notes": [["Texte"], ["x"]]})
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded) == (1, 1)
    assert not [n for n in store.source(r.source).meta["notes"] if "sheet" in n]


def test_a_member_list_typed_in_word_is_read_from_its_table(store, tmp_path):
    """Animators keep member lists in Word (« Liste des adhérents.docx »): refused as « cannot tell
    the format ». Its largest table is read as a list — a small table of contacts above it left
    out, a title row spanning the columns skipped, a collège merged down the rows (Word's
    vMerge) given to each, two paragraphs in a cell kept as one name's lines."""
    p = write_docx(tmp_path / "Liste des adhérents.docx", [
        [["Contact", "Téléphone"], ["Le bureau", "05 00 00 00 00"]],
        [[("Adhérents 2024", 3)],
         ["Nom de la structure", "Commune", "Collège"],
         ["La Fabrique", "Toulouse", Merged("Fondateurs", rows=2)],
         ["Les Jardins", "Blagnac", None],
         ["Radio Mix", "Albi", "Usagers"]]])
    assert detect_format(p) == "members"
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (3, 3, 0)
    colleges = colleges_of(store)
    assert colleges == {"La Fabrique": "Fondateurs", "Les Jardins": "Fondateurs", "Radio Mix": "Usagers"}
    notes = store.source(r.source).meta["notes"]
    assert "a .docx document: its largest table read (5 rows of 2 table(s))" in notes
    assert "header found on row 2 (rows above it skipped)" in notes


def test_a_document_with_a_table_per_college_is_read_whole_under_each_title(store, tmp_path):
    """A Word list is often a table per collège, each under its title (« Collège des fondateurs »,
    « Partenaires financiers »): only the largest table was read, the other members lost. Every
    table with the largest one's columns (same names, any case) is read as one list, in the
    document's order, the line above each its heading — a collège, a role — and the header of
    each later table dropped; a table of other columns (contacts) is left out; a table without
    a title line (a long paragraph is not one) continues the one before it."""
    prose = ("Les structures ci-dessous ont adhéré après l'assemblée générale du 12 mars 2024, sur "
             "proposition du conseil d'administration et après avis du comité technique.")
    p = write_docx(tmp_path / "Adhérents.docx", [
        [["Contact", "Téléphone"], ["Le bureau", "05 00 00 00 00"], ["La trésorière", "06 00 00 00 00"],
         ["Le président", "07 00 00 00 00"], ["L'animatrice", "05 11 11 11 11"]],
        [["Nom", "Commune"], ["La Fabrique", "Toulouse"], ["Les Jardins", "Blagnac"]],
        [["NOM", "commune"], ["Banque Locale", "Albi"]],
        [["Nom", "Commune"], ["Radio Mix", "Albi"]],
    ], titles=["Contacts", "Collège des fondateurs", "Partenaires financiers", prose])
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path, lang="en")
    assert (r.rows_read, r.loaded, r.rejected) == (6, 4, 2)  # 4 members, 2 titles
    assert colleges_of(store) == {"La Fabrique": "Collège des fondateurs", "Les Jardins": "Collège des fondateurs"}
    funders = {store.get_actor(t.source).name: t.fields.get("role") for t in store.relations(types=["funds"])}
    assert funders == {"Banque Locale": "Partenaires financiers", "Radio Mix": "Partenaires financiers"}
    reasons = [(x["row"], x["reason"]) for x in rejects_of(r)]
    assert reasons == [
        ("2", "'Collège des fondateurs' is a collège heading, not a member: not loaded; the rows below it without a "
              "collège of their own are given it"),
        ("5", "'Partenaires financiers' is the line of text above a table of the document (its heading), not a "
              "member: not loaded")]
    assert ("a .docx document: 3 tables with the same columns read as one list (tables 2, 3, 4 of 4, from rows 1, "
            "5, 7), the line of text above each table read as its heading") in store.source(r.source).meta["notes"]
    # one table of the list: read as before, the title above it not a row
    q = write_docx(tmp_path / "seul.docx", [[["Nom", "Commune"], ["Ciné Club", "Revel"]]], titles=["Collège A"])
    r = load_file(store, q, options={"pole": "Pôle Nord"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (1, 1, 0)
    # Writer: its titles are headings (text:h); the first table's title, a document's, is a row too
    o = write_odt(tmp_path / "adherents.odt", [["Nom", "Commune"], ["Le Local", "Muret"]],
                  more=[("Collège des usagers", [["Nom", "Commune"], ["Radio Libre", "Albi"]])])
    r = load_file(store, o, options={"pole": "Pôle Est"}, rejects_dir=tmp_path, lang="en")
    assert (r.rows_read, r.loaded, r.rejected) == (4, 2, 2)
    assert {k: v for k, v in colleges_of(store).items() if k in ("Le Local", "Radio Libre")} == {
        "Le Local": None, "Radio Libre": "Collège des usagers"}
    assert [x["row"] for x in rejects_of(r)] == ["2", "4"]  # « Adhérents », « Collège des usagers »


def test_a_table_without_its_header_is_more_of_the_list(store, tmp_path):
    """A Word list split to put a collège's title between its parts, the header not repeated:
    the second table's members were left out of the load and of its accounting (only the
    largest table was read). A table after the list's first, with no row naming a column of the
    format and exactly the list's width, is more of its rows, under its title; a table of
    another width (the bureau's contacts) is still left out."""
    p = write_docx(tmp_path / "membres.docx", [
        [["Nom", "Commune"], ["Ecosimo", "Albi"], ["Résam", "Toulouse"]],
        [["Atelier Vert", "Muret"], ["La Fabrique", "Blagnac"]],
        [["Le bureau", "05 00 00 00 00", "bureau@example.org"]],
    ], titles=["Collège A", "Collège B", "Contacts"])
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path, lang="en")
    assert (r.rows_read, r.loaded, r.rejected) == (6, 4, 2)  # 4 members, 2 collège titles
    assert colleges_of(store) == {"Ecosimo": "Collège A", "Résam": "Collège A",
                                  "Atelier Vert": "Collège B", "La Fabrique": "Collège B"}
    notes = store.source(r.source).meta["notes"]
    assert ("tables without a header row and with the list's 2 columns read as more rows of the list: 2") in notes
    assert "Le bureau" not in {a.name for a in store.iter_actors(include_persons=True)}
    # its header repeated, the second table is read as before (a table of the same columns)
    q = write_docx(tmp_path / "entetes.docx", [[["Nom", "Commune"], ["Ecosimo", "Albi"]],
                                               [["Nom", "Commune"], ["Atelier Vert", "Muret"]]])
    r = load_file(store, q, options={"pole": "Pôle Nord"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (3, 2, 1)  # the line above the first, « Liste des adhérents »
    assert not [n for n in store.source(r.source).meta["notes"] if n.startswith("tables without a header row")]


def test_a_member_list_typed_in_writer_is_read_and_a_document_without_a_table_refused(store, tmp_path):
    p = write_odt(tmp_path / "adherents.odt", [["Nom", "Commune"], ["La Fabrique", "Toulouse"],
                                               [("Collège des usagers", 2)], ["Radio Mix", "Albi"]])
    assert detect_format(p) == "members"
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (3, 2, 1)  # the collège heading alone on its row
    colleges = colleges_of(store)
    assert colleges == {"La Fabrique": None, "Radio Mix": "Collège des usagers"}
    # a collège merged down its members' rows, as Writer saves it: each row gets it (they had none)
    p = write_odt(tmp_path / "colleges.odt", [["Nom", "Collège", "Commune"],
                                              ["Les Jardins", Merged("Fondateurs", rows=3), "Blagnac"],
                                              ["Atelier Vélo", None, "Muret"], ["Radio Libre", None, "Albi"],
                                              ["Ciné Club", "Usagers", "Revel"], ["Le Local", "", "Revel"]])
    r = load_file(store, p, options={"pole": "Pôle Nord"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (5, 5, 0)
    assert {k: v for k, v in colleges_of(store).items() if k not in ("La Fabrique", "Radio Mix")} == {
        "Les Jardins": "Fondateurs", "Atelier Vélo": "Fondateurs", "Radio Libre": "Fondateurs", "Ciné Club": "Usagers",
        "Le Local": None}
    q = write_docx(tmp_path / "lettre.docx", [], before="Madame, Monsieur, veuillez trouver ci-joint…")
    with pytest.raises(LoadError, match="a document without a table"):
        load_file(store, q, format="members", options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)


def test_a_document_that_is_a_zip_bomb_is_refused_before_it_is_inflated(store, tmp_path):
    import zipfile

    p = tmp_path / "adherents.docx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:document>" + b" " * (64 << 20) + b"</w:document>")
    with pytest.raises(LoadError, match="zip bomb"):
        load_file(store, p, format="members", options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)


def test_a_member_list_saved_as_csv_under_an_xlsx_name_is_detected_and_loaded(store, tmp_path):
    p = tmp_path / "adherents.xlsx"
    p.write_text("Nom de la structure;Commune\nLa Fabrique;Toulouse\n", encoding="utf-8")
    assert detect_format(p) == "members"
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded) == (1, 1)
    assert "named .xlsx but CSV text: read as CSV" in store.source(r.source).meta["notes"]


def test_pole_named_by_a_column_two_poles_one_file(store, tmp_path):
    p = tmp_path / "reseau.csv"
    p.write_text("Structure;SIREN;PTCE;Rôle\n"
                 f"Écosimo;{ECOSIMO};PTCE A;membre\n"
                 f"Écosimo;{ECOSIMO};PTCE B;adhérent\n"
                 "Résam;;;membre\n", encoding="utf-8")
    r = load_file(store, p, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (3, 3, 0) and r.warnings == 1  # Résam: no pôle
    poles = {a.name for a in store.iter_actors() if a.family == "pole"}
    assert poles == {"PTCE A", "PTCE B"}
    eco = store.find_by_identifier("siren", ECOSIMO)
    assert len(eco) == 1 and len(store.relations(touching=eco, types=["membership"])) == 2
    assert "no pôle for this row" in [x for x in rejects_of(r) if x["row"] == "4"][0]["reason"]
    # the option fills the blanks; the column wins where it is filled
    r = load_file(store, p, options={"pole": "PTCE C"}, rejects_dir=tmp_path)
    assert {a.name for a in store.iter_actors() if a.family == "pole"} == {"PTCE A", "PTCE B", "PTCE C"}


def test_membership_columns_without_a_pole_is_a_clear_error(store, french_list, tmp_path):
    load_file(store, french_list, options={"pole": "P"}, source_id="first", rejects_dir=tmp_path)
    before = store_snapshot(store)
    with pytest.raises(LoadError) as e:
        load_file(store, french_list, rejects_dir=tmp_path)
    msg = str(e.value)
    assert str(french_list) in msg and "--pole" in msg and "Rôle" in msg
    assert store_snapshot(store) == before


def test_without_pole_or_roles_the_list_loads_as_actors_only(store, tmp_path):
    p = tmp_path / "annuaire.csv"
    p.write_text(f"Nom,SIREN,Ville,Code postal\nÉcosimo,{ECOSIMO},Morlaix,29600\nAcme,,Toulouse,31000\n",
                 encoding="utf-8")
    r = load_file(store, p, rejects_dir=tmp_path)
    assert (r.loaded, r.rejected, r.warnings) == (2, 0, 1)
    assert store.relations() == []
    assert "actors only" in rejects_of(r)[0]["reason"]
    assert "no pôle: actors only" in store.source(r.source).meta["notes"]


def test_duplicated_headers_padded_headers_and_column_option(store, tmp_path):
    p = tmp_path / "dup.csv"
    p.write_text(" Dénomination usuelle ; Nom ;Nom;Code postal\n"
                 "Le Fourneau;Jean;Martin;29200\n", encoding="utf-8")
    # "Nom" twice: the organisation's name is elsewhere — say which column with an option
    r = load_file(store, p, options={"column.name": "Dénomination usuelle"}, rejects_dir=tmp_path)
    assert r.loaded == 1 and {a.name for a in store.iter_actors()} == {"Le Fourneau"}


def test_structure_porteuse_yes_no_column_marks_the_carrier(store, tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("Nom;Structure porteuse;Collège\nÉcosimo;oui;A\nRésam;non;B\n", encoding="utf-8")
    assert detect_format(p) == "members"  # yes/no values: not a list of places
    r = load_file(store, p, options={"pole": "PTCE X"}, rejects_dir=tmp_path)
    carries = store.relations(types=["carries"])
    assert r.rejected == 0 and [store.get_actor(c.source).name for c in carries] == ["Écosimo"]


def test_person_columns_mean_the_name_column_is_not_the_organisation(tmp_path):
    p = tmp_path / "contacts.csv"
    p.write_text("Nom;Prénom;Structure;Rôle\nMartin;Jeanne;Écosimo;membre\n", encoding="utf-8")
    store = open_store(":memory:")
    load_file(store, p, options={"pole": "PTCE X"}, rejects_dir=tmp_path)
    names = {a.name for a in store.iter_actors(include_persons=True)}
    assert names == {"Écosimo", "PTCE X"}  # Jeanne Martin is never read


def test_members_who_are_natural_persons_without_a_type_column_are_flagged(store, tmp_path):
    """« Mme Claire Martin », a « personne qualifiée », the members listed under « Collège des
    personnes qualifiées »: natural persons, who were loaded as organisations of family
    « other » and shown in public views and exports by name. They are persons (personal data,
    kept out of public views); a row with a SIREN is an organisation whatever its name says, and
    « Collège Jean Moulin » or a plain name is not a person."""
    p = tmp_path / "adherents.csv"
    p.write_text("Nom;SIREN;Commune;Rôle\n"
                 "Mme Claire Martin;;Albi;membre\n"
                 "Paul Roux;;Albi;personne qualifiée\n"
                 "La Fabrique;;Toulouse;membre\n"
                 f"M. Meuble SARL;{ECOSIMO};Albi;membre\n"
                 "Collège des personnes qualifiées;;;\n"
                 "Anne Petit;;Muret;\n"
                 "Collège B;;;\n"
                 "Les Jardins;;Blagnac;membre\n", encoding="utf-8")
    r = load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (8, 6, 2)
    every = {a.name: a.family for a in store.iter_actors(include_persons=True)}
    assert every == {"Mme Claire Martin": "person", "Paul Roux": "person", "Anne Petit": "person",
                     "La Fabrique": "other", "M. Meuble SARL": "enterprise", "Les Jardins": "other", "Pôle Sud": "pole"}
    public = {a.name for a in store.iter_actors()}
    assert public == {"La Fabrique", "M. Meuble SARL", "Les Jardins", "Pôle Sud"}
    assert not [x for x in rejects_of(r) if x["level"] == "warning"]  # « personne qualifiée » is a role known
    assert ("3 members are natural persons (type, civility, role or collège): personal data, kept out of public "
            "views and exports" in store.source(r.source).meta["notes"])


@pytest.mark.parametrize(("name", "role", "college", "person"), [
    ("Mme Claire Martin", None, None, True), ("M. Jean Dupont", None, None, True), ("Dr Paul Roux", None, None, True),
    ("Madame la Maire", None, None, True), ("MME DURAND", None, None, True),
    ("Paul Roux", "Personne qualifiée", None, True), ("Paul Roux", "membre à titre individuel", None, True),
    ("Paul Roux", None, "Membres individuels", True), ("Paul Roux", None, "Collège des habitants", True),
    ("Paul Roux", "membre", "Collège A", False), ("Mutuelle Mme", None, None, False),
    ("Mmes et Messieurs", None, None, True), ("Madagascar Solidarité", None, None, False),
    ("Docteurs Sans Frontières", None, None, False), ("M.Bricolage", None, None, False),
    # a name that states an organisation's legal form is not a person's, civility or not
    ("Mr Bricolage SAS", None, None, False), ("M. Meuble SARL", None, None, False),
    ("Mme Vacances SCIC", None, None, False), ("Mr Bricolage", None, None, True),
    ("M. Sasha Roux", None, None, True), ("Mme Scoppa", None, None, True)])
def test_person_hint(name, role, college, person):
    got = members.person_hint(name, role, college)
    assert (got is not None and got.family == "person") is person


def test_same_member_in_two_poles_lists_is_one_actor(store, tmp_path):
    a = tmp_path / "pole_a.csv"
    a.write_text(f"Nom;SIREN;Rôle\nEcosimo SCIC;{ECOSIMO};membre fondateur\nRésam;;adhérent\n", encoding="utf-8")
    b = tmp_path / "pole_b.xlsx"
    write_xlsx(b, {"Feuil1": [["Raison sociale", "N° SIRET", "Qualité"],
                              ["ECOSIMO", valid_siret(ECOSIMO), "adhérent"]]})
    ra = load_file(store, a, options={"pole": "PTCE A"}, rejects_dir=tmp_path)
    rb = load_file(store, b, options={"pole": "PTCE B"}, rejects_dir=tmp_path)
    assert identity(ra) and identity(rb)
    (eco,) = store.find_by_identifier("siren", ECOSIMO)
    ms = store.relations(touching=[eco], types=["membership"])
    assert sorted(store.get_actor(m.target).name for m in ms) == ["PTCE A", "PTCE B"]
    assert sorted(store.get_actor(eco).sources) == sorted([ra.source, rb.source])
    assert rb.merged == 0 and rb.loaded == 1  # the membership is new even though the actor is known


def test_unknown_roles_types_and_dates_are_warnings(store, tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("Nom;Type;Rôle;Date d'adhésion;Cercle\n"
                 "Écosimo;Licorne;chef d'orchestre;31/02/2020;galaxie\n", encoding="utf-8")
    r = load_file(store, p, options={"pole": "PTCE X"}, rejects_dir=tmp_path)
    assert (r.loaded, r.rejected) == (1, 0) and r.warnings == 4
    reasons = " | ".join(x["reason"] for x in rejects_of(r))
    assert "Licorne" in reasons and "chef d'orchestre" in reasons and "not a calendar date" in reasons
    (m,) = store.relations(types=["membership"])
    assert m.start is None and m.fields == {"role": "chef d'orchestre"}
    assert next(a for a in store.iter_actors() if a.name == "Écosimo").family == "other"


def test_a_file_without_a_name_column_is_refused_with_the_columns_found(store, tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"no column holds the members' names.*found: a, b, c"):
        load_file(store, p, format="members", options={"pole": "P"}, rejects_dir=tmp_path)


def test_a_member_row_is_not_taken_for_a_header_whose_name_column_is_not_recognised(store, tmp_path):
    # « Nom de la coopérative » names no column of the format, and the role « membre » of the
    # third member reads as a name column's header: that member's row was taken for the header,
    # the rows above it lost and two members loaded under the names « membre » and « adhérent »
    p = tmp_path / "adherents.csv"
    p.write_text("Nom de la coopérative;Commune;Rôle;Date d'adhésion\n"
                 "Les Jardins du Lauragais;Montgiscard;structure porteuse;2013\n"
                 "Vélo Solidaire;Labège;membre;2014\n"
                 "Recyclerie l'Œuf;Ramonville-Saint-Agne;membre;2018\n"
                 "Cœur de Lauragais;Villefranche-de-Lauragais;adhérent;2015\n", encoding="utf-8")
    before = store_snapshot(store)
    with pytest.raises(LoadError, match=r"no column holds the members' names.*found: Nom de la coopérative, "
                                        r"Commune, Rôle, Date d'adhésion\); or name it"):
        load_file(store, p, options={"pole": "PTCE X"}, rejects_dir=tmp_path)
    assert store_snapshot(store) == before
    r = load_file(store, p, options={"pole": "PTCE X", "column.name": "Nom de la coopérative"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded) == (4, 4)
    assert sorted(a.name for a in store.iter_actors() if a.family != "pole") == [
        "Cœur de Lauragais", "Les Jardins du Lauragais", "Recyclerie l'Œuf", "Vélo Solidaire"]


def test_a_workbook_sheet_whose_header_is_above_a_member_row_is_not_misread(store, tmp_path):
    p = write_xlsx(tmp_path / "adherents.xlsx", {"Adhérents": [
        ["Liste des adhérents 2025"], [],
        ["Nom de la coopérative", "Commune", "Collège", "Rôle"],
        ["Les Jardins du Lauragais", "Montgiscard", "Entreprises", "structure porteuse"],
        ["Recyclerie l'Œuf", "Ramonville-Saint-Agne", "Entreprises", "membre"]]})
    with pytest.raises(LoadError, match=r"found: Nom de la coopérative, Commune, Collège, Rôle\)"):
        load_file(store, p, options={"pole": "PTCE X"}, rejects_dir=tmp_path)


def test_header_words_run_together_are_read(store, tmp_path):
    # a header typed without spaces (or exported from a database): NomStructure, CodePostal…
    p = tmp_path / "adherents.csv"
    p.write_text("NomStructure;FormeJuridique;CodePostal;Commune;DATEADHESION;NumeroSiret\n"
                 f"Les Jardins du Lauragais;SCOP SARL;31450;Montgiscard;15/01/2013;{valid_siret(ECOSIMO)}\n",
                 encoding="utf-8")
    r = load_file(store, p, options={"pole": "PTCE X"}, rejects_dir=tmp_path)
    assert (r.loaded, r.rejected, r.warnings) == (1, 0, 0)
    jardins = next(a for a in store.iter_actors() if a.name == "Les Jardins du Lauragais")
    assert (jardins.kind, jardins.location) == ("scop", "commune:31381")  # Montgiscard
    assert ("siren", ECOSIMO) in [(i.scheme, i.value) for i in jardins.identifiers]
    (m,) = store.relations(types=["membership"])
    assert m.start == "2013-01-15"


def test_nom_de_l_adherent_names_the_members(store, tmp_path):
    p = tmp_path / "adherents.csv"
    p.write_text("Nom de l'adhérent;Commune;Rôle\nVélo Solidaire;Labège;membre\n", encoding="utf-8")
    r = load_file(store, p, options={"pole": "PTCE X"}, rejects_dir=tmp_path)
    assert r.loaded == 1 and any(a.name == "Vélo Solidaire" for a in store.iter_actors())


@pytest.mark.parametrize("fmt", [None, "members"])
def test_a_list_locked_by_the_spreadsheet_that_has_it_open_says_so(store, tmp_path, monkeypatch, fmt):
    # Excel on Windows locks the file it has open: reading it is « permission denied », which was
    # said as « cannot read this file (Permission denied) » in English, or « cet utilisateur n'a
    # pas le droit d'y lire » — not what to do. (Run as root here, no real lock can be made: the
    # system's refusal is raised where the file is opened.)
    from maillage.loaders import detect_format
    from maillage.loaders.motifs import motif

    p = tmp_path / "membres.csv"
    p.write_text("Nom\nÉcosimo\n", encoding="utf-8")
    real_open = Path.open

    def locked(self, *args, **kwargs):
        if self == p:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked)
    with pytest.raises(LoadError) as e:
        detect_format(p) if fmt is None else load_file(store, p, format=fmt, options={"pole": "P"},
                                                       rejects_dir=tmp_path)
    assert str(e.value) == (f"{p}: cannot read this file: permission denied (a spreadsheet program that has it open "
                            "locks it: close it there and load it again; otherwise this user may not read it)")
    assert motif(str(e.value)) == (f"{p} : lecture du fichier refusée (un tableur qui l'a ouvert le verrouille : "
                                   "fermez-le dans le tableur et chargez-le de nouveau ; sinon, cet utilisateur n'a "
                                   "pas le droit de le lire)")


def test_unknown_option_is_refused(store, french_list, tmp_path):
    with pytest.raises(LoadError, match="does not take option"):
        load_file(store, french_list, format="members", options={"pool": "P"}, rejects_dir=tmp_path)


def test_classify_and_roles_tables():
    assert members.classify("Association loi 1901").kind == "association"
    assert members.classify("EPCI").family == "collectivite"
    assert members.classify("9220").kind == "association"  # INSEE catégorie juridique
    assert members.classify("Person").family == "person"
    assert members.classify("Entreprise").family == "enterprise"
    assert members.classify("Fab Lab").family == "tiers_lieu"
    assert members.classify("Association de salariés").kind == "association"  # not a person
    assert members.classify("sans objet") is None
    eff, known = members.role_effect("Membre fondateur, structure porteuse")
    assert known and eff.tier == "socle" and eff.founded and eff.carries == "structure_porteuse"
    assert members.role_effect("partenaire financier")[0].member is False


def test_an_epci_named_by_its_whole_name_is_a_collectivite(store, tmp_path):
    """A member list without a type column: « Toulouse Métropole » is the whole name of an EPCI
    of the geography (and « Communauté urbaine de Bordeaux » the former name of Bordeaux
    Métropole, the same établissement): collectivités administering it. « Sicoval » alone (an
    EPCI's name without its legal form) and « Lille MétroPôle Solidaire » (a pôle) stay unclassified."""
    p = tmp_path / "membres.csv"
    p.write_text("nom,collège\nTOULOUSE METROPOLE,1\nCommunauté urbaine de Bordeaux,1\nSicoval,2\n"
                 "Lille MétroPôle Solidaire,2\n", encoding="utf-8")
    load_file(store, p, format="members", options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    got = {a.name: (a.family, a.kind, a.territory) for a in store.iter_actors() if a.family != "pole"}
    assert got["TOULOUSE METROPOLE"] == ("collectivite", "epci", "epci:243100518")
    assert got["Communauté urbaine de Bordeaux"] == ("collectivite", "epci", "epci:243300316")
    assert got["Sicoval"][0] == got["Lille MétroPôle Solidaire"][0] == "other"
    assert got["Sicoval"][2] is None


def test_alias_tables_do_not_overlap():
    from maillage.loaders.tabular import header_key

    owner: dict[str, str] = {}
    for f, aliases in members.FIELDS.items():
        for a in aliases:
            k = header_key(a)
            assert owner.setdefault(k, f) == f, f"{a!r} is an alias of {owner[k]} and {f}"
    assert set(members.FIELD_HELP) == set(members.FIELDS)


def test_docs_list_the_accepted_columns():
    doc = (ROOT / "docs/formats/members.md").read_text(encoding="utf-8")
    for table in (members.columns_markdown(), members.types_markdown(), members.roles_markdown()):
        assert table in doc, "docs/formats/members.md is out of date: paste the tables generated by members.py"
    assert "places" in LOADERS and "members" in LOADERS


def test_module_examples():
    for mod in (members, places):
        assert doctest.testmod(mod).failed == 0


# -- property-based: malformed member lists ---------------------------------------------------------

CELLS = st.one_of(
    st.sampled_from(["", " ", "Écosimo", "Résam", "&amp;", "45032466000000.0", "7,17E+13", "062201199",
                     "W313012345", "W31", "29600.0", "29600", "7400.0", "2A004", "99999", "8.0", "Morlaix",
                     "membre fondateur", "financeur", "structure porteuse", "oui", "41640", "31/02/2020",
                     "2014", "SCIC", "Collectivité", "PTCE", "\u00a0", "null", "#N/A", '"', ";", "\n"]),
    st.text(max_size=12),
)
HEADERS = ["Nom", "SIRET", "SIREN", "RNA", "Forme juridique", "Type", "Code postal", "Commune", "Code INSEE",
           "Rôle", "Collège", "Date d'adhésion", "Pôle", "Structure porteuse", "Site web", "Nom"]


def _loads_or_fails_cleanly(tmp_path, make, options):
    """Load the file ``make()`` writes over a store holding another list (Écosimo, by SIREN):
    every row accounted for and the other list's facts kept — the report —, or a
    :class:`LoadError` naming the file that changes nothing — None."""
    store = open_store(":memory:")
    base = tmp_path / "base.csv"
    base.write_text(f"Nom;SIREN\nÉcosimo;{ECOSIMO}\n", encoding="utf-8")
    load_file(store, base, format="members", rejects_dir=tmp_path)
    before = store_snapshot(store)
    p = make()
    try:
        r = load_file(store, p, format="members", options=options, rejects_dir=tmp_path)
    except LoadError as e:
        assert str(p) in str(e)
        assert store_snapshot(store) == before
        return None
    else:
        assert identity(r)
        assert store.find_by_identifier("siren", ECOSIMO)  # what the other source said is still there
        return r, store.source(r.source)
    finally:
        store.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
       rows=st.lists(st.lists(CELLS, max_size=9), max_size=8),
       sep=st.sampled_from([";", ",", "\t"]), pole=st.sampled_from([None, "PTCE X"]),
       encoding=st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]))
def test_malformed_member_lists_never_crash(tmp_path, headers, rows, sep, pole, encoding):
    def make() -> Path:
        import io

        buf = io.StringIO()
        w = csv.writer(buf, delimiter=sep)
        w.writerow(headers)
        w.writerows(rows)
        p = tmp_path / "m.csv"
        p.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
        return p

    _loads_or_fails_cleanly(tmp_path, make, {"pole": pole} if pole else {})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx", ".ods", ".docx", ".odt"]))
def test_random_bytes_fail_cleanly(tmp_path, data, suffix):
    p = tmp_path / f"f{suffix}"
    p.write_bytes(data)
    for fmt in ("members", "places"):
        store = open_store(":memory:")
        try:
            r = load_file(store, p, format=fmt, options={"pole": "P"}, rejects_dir=tmp_path)
        except LoadError:
            assert store_snapshot(store) == ([], [], [])
        else:
            assert identity(r)
        store.close()


TITLES = ["", "Collège des fondateurs", "Partenaires financiers", "Contacts", "Secteur Nord", "Liste 2024",
          "Ce paragraphe décrit longuement les conditions d'adhésion votées en assemblée générale " * 2]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables=st.lists(st.tuples(st.sampled_from(TITLES), st.booleans(),
                                 st.lists(st.sampled_from(HEADERS), min_size=1, max_size=4),
                                 st.lists(st.lists(st.sampled_from(["", "Écosimo", "Résam", "Albi", "31000",
                                                                    "membre", "Collège B", "ASSOCIATIONS",
                                                                    "Mme Claire Martin", "TOTAL", ECOSIMO]),
                                                   min_size=1, max_size=4), max_size=4)),
                       min_size=1, max_size=4),
       word=st.booleans())
def test_documents_of_several_tables_never_crash(tmp_path, tables, word):
    """Word and Writer documents of several tables — headed or not, of varied widths, under
    titles, prose or nothing: every row of the tables read is accounted for, or the load fails
    cleanly, changing nothing."""
    grids = [([head, *rows] if headed else rows) or [head] for _, headed, head, rows in tables]
    titles = [t for t, *_ in tables]
    def make() -> Path:
        if word:
            return write_docx(tmp_path / "m.docx", grids, titles=titles)
        return write_odt(tmp_path / "m.odt", grids[0], more=list(zip(titles[1:], grids[1:])))

    _loads_or_fails_cleanly(tmp_path, make, {"pole": "PTCE X"})


SHEET_NAMES = ["Feuil1", "Collège A", "Collège B", "2023", "2024", "Adhérents 2023-2024", "Anciens adhérents",
               "PTCE Sud Aveyron", "Légende", "Copie de Feuil1"]
WORKBOOK_CELLS = st.one_of(  # what a spreadsheet cell can hold (no control characters but tab and newlines)
    CELLS.filter(lambda c: not any(ord(ch) < 32 and ch not in "\t\n\r" or 0xD800 <= ord(ch) <= 0xDFFF for ch in c)),
    st.sampled_from(["Collège des usagers", "ASSOCIATIONS", "Mme Claire Martin", "personne qualifiée", "TOTAL",
                     "Nom", "Collège Jean Moulin", "PTCE Sud Aveyron", "PTCE Pays de Morlaix"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheets=st.dictionaries(st.sampled_from(SHEET_NAMES),
                              st.tuples(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5),
                                        st.lists(st.lists(WORKBOOK_CELLS, max_size=5), max_size=6)),
                              min_size=1, max_size=4),
       pole=st.sampled_from([None, "PTCE X"]))
def test_malformed_workbooks_of_several_sheets_never_crash(tmp_path, sheets, pole):
    """Workbooks of several sheets (per collège, per year, per pôle, former members, a legend),
    rows with headings, persons, totals: the load succeeds with every row accounted for, each
    rejects line naming its sheet when several are read, or fails cleanly changing nothing."""
    got = _loads_or_fails_cleanly(tmp_path, lambda: write_xlsx(tmp_path / "w.xlsx", {
        name: [head, *rows] for name, (head, rows) in sheets.items()}), {"pole": pole} if pole else {})
    if got is not None:
        r, source = got
        read = source.meta.get("sheets")
        for x in rejects_of(r):
            where = x["row"]
            assert where.isdigit() if not read else where.split("!row ")[0] in read, (where, read)


def _doc_example(page: str) -> str:
    text = (ROOT / "docs/formats" / page).read_text(encoding="utf-8")
    return text.split("## A minimal file", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]


def test_the_documented_member_list_gives_what_the_docs_say(store, tmp_path):
    p = tmp_path / "membres.csv"
    p.write_text(_doc_example("members.md"), encoding="utf-8")
    r = load_file(store, p, options={"pole": "PTCE Pays de Morlaix"}, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected, r.warnings) == (5, 5, 0, 0)
    by_name = {a.name: a for a in store.iter_actors()}
    assert len(by_name) == 6
    assert by_name["Résam"].location == "epci:242900835"
    t = {(store.get_actor(x.source).name, x.type) for x in store.relations()}
    assert t == {("Écosimo", "membership"), ("Écosimo", "founded"), ("Résam", "membership"),
                 ("Ville de Morlaix", "membership"), ("Coopérative Œuvre & Cie", "membership"),
                 ("Coopérative Œuvre & Cie", "carries"), ("Caisse d'Épargne", "funds")}


def test_the_documented_list_of_places_gives_what_the_docs_say(store, tmp_path):
    p = tmp_path / "lieux.csv"
    p.write_text(_doc_example("places.md"), encoding="utf-8")
    assert detect_format(p) == "places"
    r = load_file(store, p, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected, r.warnings) == (3, 3, 0, 1)
    (resam,) = store.find_by_identifier("siren", "344613658")
    assert store.get_actor(resam).name == "Résam"
    carries = {(store.get_actor(x.source).name, store.get_actor(x.target).name) for x in store.relations()}
    assert carries == {("Résam", "2D"), ("Ville de Chambéry", "La Dynamo")}
    (dynamo,) = store.find_by_identifier("siren", "390379758")
    assert store.get_actor(dynamo).name == "La Dynamo"


def test_a_former_region_is_not_the_collectivite_of_todays_region():
    """"Région Lorraine" lies in Grand Est but does not administer it: two former régions of
    one new région must not both become "the collectivité of region:44" (and then merge)."""
    from maillage.loaders.formats.members import collectivite_territory

    assert collectivite_territory("Région Lorraine", "region") is None
    assert collectivite_territory("Région Champagne-Ardenne", "region") is None
    assert collectivite_territory("Région Grand Est", "region") == "region:44"
    assert collectivite_territory("Conseil régional d'Occitanie", "region") == "region:76"
    assert collectivite_territory("Conseil départemental du Lot", "departement") == "departement:46"


def test_an_excel_unicode_text_export_is_a_member_list(store, tmp_path):
    """Excel's « Enregistrer sous… Texte Unicode (*.txt) » writes UTF-16 LE with a BOM, TAB
    separated, CRLF: detected as a member list, accents and SIRETs intact."""
    rows = [["nom", "SIRET", "commune", "rôle"],
            ["Association Les Amis de Boulogne", "44137080600016", "Boulogne-sur-Mer", "membre"],
            ["SCIC Énergie Citoyenne des Hauts", "", "Lille", "membre fondateur"]]
    path = tmp_path / "membres.txt"
    path.write_bytes(b"\xff\xfe" + "".join("\t".join(r) + "\r\n" for r in rows).encode("utf-16-le"))
    assert detect_format(path) == "members"
    report = load_file(store, path, options={"pole": "Pôle test"}, rejects_dir=tmp_path)
    assert (report.rows_read, report.loaded, report.rejected) == (2, 2, 0)
    names = {a.name for a in store.iter_actors()}
    assert {"Association Les Amis de Boulogne", "SCIC Énergie Citoyenne des Hauts"} <= names
    assert store.find_by_identifier("siret", "44137080600016")


@pytest.mark.parametrize(("name", "split"), [
    ("Jeanne Dupuis (personne qualifiée)", ("Jeanne Dupuis", "personne qualifiée")),
    ("M. Pierre Martin (personne qualifiée)", ("M. Pierre Martin", "personne qualifiée")),
    ("Jeanne Dupuis (PQ)", ("Jeanne Dupuis", "PQ")), ("Jeanne DUPUIS (bénévole)", ("Jeanne DUPUIS", "bénévole")),
    ("Jeanne Dupuis (à titre individuel)", ("Jeanne Dupuis", "à titre individuel")),
    ("Jeanne Dupuis (membre individuel)", ("Jeanne Dupuis", "membre individuel")),
    ("Jeanne Dupuis (habitant)", ("Jeanne Dupuis", "habitant")),
    ("Jeanne Dupuis (adhérent individuel)", ("Jeanne Dupuis", "adhérent individuel")),
    ("Jean-Pierre de La Tour – bénévole", ("Jean-Pierre de La Tour", "bénévole")),
    ("Claire Martin, habitante", ("Claire Martin", "habitante")),
    ("Paul Roux à titre individuel", ("Paul Roux", "à titre individuel")),
    # organisations whose name holds a person's word, or a group's role (plural), or no person's name
    ("Association des Bénévoles du Lot", None), ("Les Bénévoles du Lot", None), ("Restos du Cœur (bénévoles)", None),
    ("Les Jardins (bénévole)", None), ("SCOP Dupuis (bénévole)", None), ("Mairie de Cahors (habitant)", None),
    ("Dupuis (PQ)", None), ("Jeanne Dupuis (membre)", None), ("Jeanne Dupuis", None),
    ("Maison des Habitants", None), ("Collectif Habitant 2024 (bénévole)", None)])
def test_person_role_in_name(name, split):
    assert members.person_role_in_name(name) == split
    assert (members.person_hint(name, None, "Collège C") is not None) is (split is not None)


def test_a_person_named_with_her_role_is_a_person_stored_without_it(store, tmp_path):
    """« Jeanne Dupuis (personne qualifiée) » in a collège whose name says nothing, no type column:
    she was loaded as an organisation (family « other », shown by name on maps and exports).
    She is a person, stored as « Jeanne Dupuis » with « personne qualifiée » as her role; an
    « Association des Bénévoles du Lot » stays an organisation."""
    p = tmp_path / "membres.csv"
    p.write_text("Nom;Collège;Commune\n"
                 "Jeanne Dupuis (personne qualifiée);Collège C;Cahors\n"
                 "M. Pierre Martin (personne qualifiée);Collège C;Cahors\n"
                 "Association des Bénévoles du Lot;Collège C;Cahors\n", encoding="utf-8")
    r = load_file(store, p, options={"pole": "Pôle Lot"}, rejects_dir=tmp_path)
    assert (r.loaded, r.rejected) == (3, 0) and not rejects_of(r)
    every = {a.name: a for a in store.iter_actors(include_persons=True)}
    assert set(every) == {"Jeanne Dupuis", "M. Pierre Martin", "Association des Bénévoles du Lot", "Pôle Lot"}
    assert every["Jeanne Dupuis"].personal_data and every["M. Pierre Martin"].personal_data
    assert every["Jeanne Dupuis"].location is None  # a person's commune is not kept
    assert (every["Association des Bénévoles du Lot"].family, every["Association des Bénévoles du Lot"].kind) == \
        ("ess", "association")
    assert {a.name for a in store.iter_actors()} == {"Association des Bénévoles du Lot", "Pôle Lot"}
    roles = {store.get_actor(m.source).name: m.fields.get("role") for m in store.relations(types=["membership"])}
    assert roles == {"Jeanne Dupuis": "personne qualifiée", "M. Pierre Martin": "personne qualifiée",
                     "Association des Bénévoles du Lot": None}


@pytest.mark.parametrize("type_text", ["personne qualifiée", "Personne physique", "bénévole", "membre individuel",
                                       "à titre individuel", "PQ"])
def test_person_types_are_known_without_a_warning(store, tmp_path, type_text):
    p = tmp_path / "membres.csv"
    p.write_text(f"Nom;Type\nJeanne Dupuis;{type_text}\n", encoding="utf-8")
    r = load_file(store, p, options={"pole": "Pôle Lot"}, rejects_dir=tmp_path)
    assert not rejects_of(r)
    (jeanne,) = [a for a in store.iter_actors(include_persons=True) if a.name == "Jeanne Dupuis"]
    assert jeanne.family == "person"


def test_an_unknown_type_warning_points_to_the_member_lists_doc_and_names_the_family(store, tmp_path):
    p = tmp_path / "membres.csv"
    p.write_text("Nom;Type\nÉcosimo;Licorne\n", encoding="utf-8")
    r = load_file(store, p, options={"pole": "Pôle Lot"}, rejects_dir=tmp_path, lang="fr")
    (w,) = rejects_of(r)
    assert w["reason"] == ("le type 'Licorne' n'est ni une famille ni une sorte du vocabulaire (voir "
                           "docs/formats/members.md) : chargé comme « Autre »")


def test_a_private_siren_is_no_collectivite_whatever_the_name_says_in_a_member_list(store, tmp_path):
    """The subsidy loaders' rule (INSEE numbers the public sector from 1 and 2) holds for member lists
    too: « CA E LA, TROUPE DE THEATRE » with its theatre company's SIREN is no communauté
    d'agglomération, nor a parents' federation a département, nor a structure porteuse whose own
    SIREN column gives a private SIREN an intercommunalité (its SIREN was dropped). Without a SIREN,
    or with a public one, the name still says it."""
    data = tmp_path / "membres.csv"
    data.write_text("nom;siren;structure porteuse;siren structure porteuse\n"
                    "CA E LA, TROUPE DE THEATRE;343801932;;\n"
                    "Conseil departemental des parents d'eleves de Paris;784360869;;\n"
                    "CA du Grand Truc;;;\n"
                    "Conseil départemental de l'Ain;200000008;;\n"
                    "Tiers-lieu du Port;;CC Atelier Théâtre;381234566\n", encoding="utf-8")
    r = load_file(store, data, format="members", options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    got = {a.name: (a.family, a.kind, [i.value for i in a.identifiers]) for a in store.iter_actors()}
    assert got["CA E LA, TROUPE DE THEATRE"][:2] == ("other", "non_precise")
    assert got["Conseil departemental des parents d'eleves de Paris"][:2] == ("other", "non_precise")
    assert got["CA du Grand Truc"][:2] == ("collectivite", "epci")
    assert got["Conseil départemental de l'Ain"][:2] == ("collectivite", "departement")
    assert got["CC Atelier Théâtre"] == ("other", "non_precise", ["381234566"])
    assert not [x for x in rejects_of(r) if x["column"] == "siren structure porteuse"]
