"""SIRENE stock extracts: the real ESS extract of ../shared/realdata, and small StockUniteLegale /
StockEtablissement files written here for the privacy rules (restricted diffusion, sole traders)."""

from __future__ import annotations

import csv
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.graph import open_store
from maillage.loaders import LoadError, detect_format
from maillage.loaders.formats.sirene import classify, legal_form
from _loading import load_file, rejects_of  # load_file: the rejects file in English, the reasons checked
from _loading import store_snapshot as snapshot

SIRENE = "realdata/sirene-ess-numerique/04_ess_flag_insee.csv"






def one(store, siren):
    ids = store.find_by_identifier("siren", siren)
    assert len(ids) == 1, (siren, ids)
    return store.get_actor(ids[0])


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the real extract -------------------------------------------------------------------------------------

def test_real_ess_extract_families_from_legal_categories(store, shared, tmp_path):
    report = load_file(store, shared / SIRENE, rejects_dir=tmp_path)
    assert (report.format, report.rows_read, report.loaded, report.merged, report.rejected) == ("sirene", 3375, 3372, 0, 3)
    actors = list(store.iter_actors())
    kinds = Counter((a.family, a.kind) for a in actors)
    # 9220 ×2318 (one in partial diffusion) + 9260 ×40 + 9230 ×6
    assert kinds[("ess", "association")] == 2317 + 40 + 6
    assert kinds[("ess", "scop")] == 68 + 1  # 5458 + 5558
    # 5460, 5560, 5660, 6318, 6317, 5453, and the two SICA 5432, 5532 (coopératives: Code rural L531-1)
    assert kinds[("ess", "cooperative")] == 108 + 22 + 4 + 3 + 1 + 1 + 2
    assert kinds[("ess", "fondation")] == 4
    assert kinds[("ess", "entreprise_esus")] == 631 + 156 + 6  # SAS, SARL and 6 other companies flagged O
    assert all(a.ess is True for a in actors)  # economieSocialeSolidaireUniteLegale is O on every row
    assert not any(a.family == "enterprise" for a in actors)

    first = one(store, "100029172")
    assert (first.name, first.legal_form) == ("JUNIOR ISEN-MEDITERANNEE", "Association déclarée")
    assert first.attributes == {"naf": "62.01Z", "categorie_juridique": "9220", "tranche_effectifs": "NN",
                                "ess_insee": "O"}
    assert one(store, "409193810").attributes["tranche_effectifs"] == "02"
    assert "sources" not in first.attributes  # the repo author's columns are not INSEE's: ignored


def test_real_extract_units_in_partial_diffusion_are_never_shown(store, shared, tmp_path):
    report = load_file(store, shared / SIRENE, rejects_dir=tmp_path)
    rejected = rejects_of(report)
    assert [(r["row"], r["level"], r["column"], r["value"]) for r in rejected] == [
        ("1627", "rejected", "nomUniteLegale", "[ND]"), ("2005", "rejected", "nomUniteLegale", "[ND]"),
        ("3281", "rejected", "nomUniteLegale", "[ND]")]
    assert all("partial diffusion" in r["reason"] for r in rejected)
    text = Path(report.rejects_file).read_text(encoding="utf-8")
    for name, siren in (("LOKTIS", "811742436"), ("LCN CONSULTING", "841883564"), ("ALTOCLOUD", "987412145")):
        assert name not in text  # not even in the rejects file
        assert store.find_by_identifier("siren", siren) == []
        assert store.find_by_name(name) == []


# -- StockUniteLegale: privacy, categories, RNA ---------------------------------------------------------------

UL = ("siren,statutDiffusionUniteLegale,identifiantAssociationUniteLegale,categorieEntreprise,"
      "etatAdministratifUniteLegale,nomUniteLegale,prenom1UniteLegale,denominationUniteLegale,sigleUniteLegale,"
      "categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,nicSiegeUniteLegale,"
      "economieSocialeSolidaireUniteLegale\n")


def test_privacy_rules_of_stock_unite_legale(store, tmp_path):
    path = write(tmp_path, "StockUniteLegale.csv", UL +
                 "441370806,O,W313000123,PME,A,,,TENNIS ROQUES OLYMPIC CLUB,TROC,9220,93.12Z,00016,O\n"
                 "732829320,O,,GE,A,,,GRANDE SOCIETE,,5599,70.10Z,00074,N\n"
                 "443061841,O,,,A,DUPONT,JEANNE,,,1000,47.11A,00013,N\n"
                 "552100554,P,,PME,A,[ND],[ND],[ND],,5710,62.01Z,00011,O\n"
                 "356000000,O,,,A,MARTIN,PAUL,,,,,,\n"
                 "213104581,O,,,A,,,COMMUNE DE ROQUES,,7210,84.11Z,00011,N\n"
                 "519811954,O,,PME,C,,,SCOP FERMEE,,5458,43.21A,00017,O\n"
                 "12345678,O,,,A,,,SIREN TROP COURT,,9220,,,O\n")
    assert detect_format(path) == "sirene"
    report = load_file(store, path, rejects_dir=tmp_path)
    assert (report.rows_read, report.loaded, report.rejected) == (8, 4, 4)
    rejected = {r["row"]: r for r in rejects_of(report)}
    assert "natural person" in rejected["4"]["reason"] and rejected["4"]["value"] == "1000"
    assert "diffusion restricted" in rejected["5"]["reason"]
    assert "natural person" in rejected["6"]["reason"]  # names filled, no category: a person all the same
    assert "no valid SIREN" in rejected["9"]["reason"]
    text = Path(report.rejects_file).read_text(encoding="utf-8")
    assert "DUPONT" not in text and "JEANNE" not in text and "MARTIN" not in text

    tennis = one(store, "441370806")
    assert (tennis.family, tennis.kind, tennis.ess, tennis.aliases) == ("ess", "association", True, ["TROC"])
    assert {(i.scheme, i.value) for i in tennis.identifiers} == {("siren", "441370806"), ("rna", "W313000123"),
                                                                  ("siret", "44137080600016")}
    big = one(store, "732829320")
    assert (big.family, big.kind, big.ess, big.legal_form) == ("enterprise", "grande_entreprise", False,
                                                               "SA à conseil d'administration (s.a.i.)")
    roques = one(store, "213104581")
    assert (roques.family, roques.kind, roques.territory) == ("collectivite", "commune", "commune:31458")
    scop = one(store, "519811954")
    assert (scop.kind, scop.attributes["etat_administratif"]) == ("scop", "C")
    assert all(a.family != "person" for a in store.iter_actors(include_persons=True))


def test_a_sole_trader_a_subsidy_file_named_as_an_organisation_becomes_a_person(store, tmp_path):
    """A subsidy file names a bénéficiaire by SIRET under a trade name (« L'ATELIER DE JEANNE »);
    the SIRENE extract says its unit is a sole trader (category 1000): that actor is a natural
    person — personal data, out of public views — and nothing of the SIRENE row but its SIREN
    is read (no person-name column reaches the store). A sole trader no source describes is
    still rejected."""
    scdl = write(tmp_path, "scdl.csv",
                 "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant;nature;"
                 "conditionsVersement;datesPeriodeVersement;notificationUE;pourcentageSubvention\n"
                 "COMMUNE DE ROQUES;21310458100011;2023-01-10;L'ATELIER DE JEANNE;44306184100013;Fonctionnement;"
                 "800;aide en numéraire;unique;2023-01-10;non;1\n"
                 "COMMUNE DE ROQUES;21310458100011;2023-01-10;TENNIS ROQUES;44137080600016;Fonctionnement;"
                 "1500;aide en numéraire;unique;2023-01-10;non;1\n")
    load_file(store, scdl, rejects_dir=tmp_path)
    atelier = one(store, "443061841")
    assert not atelier.personal_data and atelier in list(store.iter_actors())
    path = write(tmp_path, "StockUniteLegale.csv", UL +
                 "443061841,O,,,A,DUPONT,JEANNE,,,1000,47.11A,00013,N\n"
                 "356000000,O,,,A,MARTIN,PAUL,,,1000,,,\n"
                 "441370806,O,W313000123,PME,A,,,TENNIS ROQUES OLYMPIC CLUB,TROC,9220,93.12Z,00016,O\n")
    report = load_file(store, path, rejects_dir=tmp_path)
    assert report.rows_read == report.loaded + report.merged + report.rejected == 3
    assert [r["row"] for r in rejects_of(report)] == ["3"]  # MARTIN: no source describes it
    assert any("1 sole trader (legal category 1xxx" in n for n in report.notes), report.notes
    atelier = one(store, "443061841")
    assert atelier.personal_data and atelier.name == "L'ATELIER DE JEANNE"
    assert atelier.id not in {a.id for a in store.iter_actors()}  # kept out of public views
    stored = repr([st for _, st in store.statements(atelier.id)])
    assert "DUPONT" not in stored and "JEANNE" not in stored.replace("L'ATELIER DE JEANNE", "")
    assert not one(store, "441370806").personal_data  # an association of the same file: unchanged


def test_rna_in_sirene_meets_an_rna_only_subsidy(store, tmp_path):
    load_file(store, write(tmp_path, "ul.csv", UL + "441370806,O,W313000123,PME,A,,,TENNIS ROQUES,,9220,,,O\n"),
              rejects_dir=tmp_path)
    scdl = write(tmp_path, "scdl.csv",
                 "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;rnaBeneficiaire;objet;"
                 "montant;nature;conditionsVersement;datesPeriodeVersement;notificationUE;pourcentageSubvention\n"
                 "COMMUNE DE ROQUES;21310458100011;2023-01-10;Tennis club;;W313000123;Fonctionnement;1500;"
                 "aide en numéraire;unique;2023-01-10;non;1\n")
    load_file(store, scdl, rejects_dir=tmp_path)
    tennis = one(store, "441370806")
    assert len(tennis.sources) == 2 and {"TENNIS ROQUES", "Tennis club"} == {tennis.name, *tennis.aliases}
    (rel,) = store.relations()
    assert rel.target == tennis.id and rel.fields["amount"] == 1500.0


# -- StockEtablissement -------------------------------------------------------------------------------------

ET = ("siren,nic,siret,statutDiffusionEtablissement,etablissementSiege,codeCommuneEtablissement,"
      "etatAdministratifEtablissement,denominationUniteLegale,categorieJuridiqueUniteLegale,enseigne1Etablissement\n")


def test_joined_establishments_give_the_head_office_commune(store, tmp_path):
    path = write(tmp_path, "StockEtablissement.csv", ET +
                 "441370806,00024,44137080600024,O,false,31458,F,TENNIS ROQUES OLYMPIC CLUB,9220,\n"
                 "441370806,00016,44137080600016,O,true,75101,A,TENNIS ROQUES OLYMPIC CLUB,9220,\n"
                 "443061841,00013,44306184100013,O,true,31555,A,,,CHEZ JEANNE\n"
                 "732829320,00074,73282932000074,P,true,92050,A,GRANDE SOCIETE,5599,\n"
                 "552100554,00011,55210055400011,O,true,99999,A,SOCIETE A,5710,\n")
    assert detect_format(path) == "sirene"
    report = load_file(store, path, rejects_dir=tmp_path)
    assert (report.rows_read, report.loaded, report.merged, report.rejected) == (5, 2, 1, 2)
    tennis = one(store, "441370806")
    assert tennis.location == "commune:75056"  # Paris 1er arrondissement → Paris
    assert {i.value for i in tennis.identifiers if i.scheme == "siret"} == {"44137080600024", "44137080600016"}
    rows = {r["row"]: r for r in rejects_of(report)}
    # a bare row (no legal category, no denomination) of a unit nothing else describes: maybe a sole trader's
    assert rows["4"]["reason"].startswith("unit unknown: no loaded source describes its SIREN")
    assert "load first the StockUniteLegale extract" in rows["4"]["reason"]
    assert "CHEZ JEANNE" not in Path(report.rejects_file).read_text()
    assert "diffusion restricted" in rows["5"]["reason"]
    assert rows["6"]["level"] == "warning" and "not a commune" in rows["6"]["reason"]
    assert one(store, "552100554").location is None


def test_a_siret_of_another_unit_is_left_out_with_a_warning(store, tmp_path):
    """A valid SIRET whose SIREN is not the row's: not kept on the unit, and said (it was left out
    without a word)."""
    path = write(tmp_path, "StockEtablissement.csv", ET +
                 "441370806,00016,73282932000074,O,true,31458,A,TENNIS ROQUES OLYMPIC CLUB,9220,\n")
    report = load_file(store, path, rejects_dir=tmp_path)
    assert (report.loaded, report.rejected, report.warnings) == (1, 0, 1)
    assert not [i for i in one(store, "441370806").identifiers if i.scheme == "siret"]
    (row,) = rejects_of(report)
    assert (row["row"], row["level"], row["column"]) == ("2", "warning", "siret")
    assert "establishment of SIREN 732829320, not of this row's SIREN 441370806" in row["reason"]


def test_each_damaged_siret_is_said_once_and_a_repaired_one_is_kept_and_said(store, tmp_path):
    """The SIRET column of establishments as spreadsheets leave it: a Luhn failure is said once
    (its note already says the SIRET is dropped: no « ; SIRET left out » after it), a SIREN where
    the SIRET belongs is said (it was left out without a word), a repaired SIRET is kept and said."""
    path = write(tmp_path, "StockEtablissement.csv", ET +
                 "441370806,00016,44137080600017,O,true,31458,A,TENNIS ROQUES OLYMPIC CLUB,9220,\n"
                 "441370806,00024,441370806,O,false,31458,A,TENNIS ROQUES OLYMPIC CLUB,9220,\n"
                 "732829320,00074,73282932000074.0,O,true,92050,A,GRANDE SOCIETE,5599,\n"
                 "732829320,00082,7,33E+13,O,false,92050,A,GRANDE SOCIETE,5599,\n".replace("7,33E+13", '"7,33E+13"'))
    report = load_file(store, path, rejects_dir=tmp_path)
    assert (report.rows_read, report.rejected, report.warnings) == (4, 0, 4)
    assert not [i for i in one(store, "441370806").identifiers if i.scheme == "siret"]
    assert [i.value for i in one(store, "732829320").identifiers if i.scheme == "siret"] == ["73282932000074"]
    rows = {r["row"]: r for r in rejects_of(report)}
    assert rows["2"]["reason"] == ("SIRET '44137080600017' fails its Luhn key: SIREN 441370806 kept, "
                                   "SIRET dropped")
    assert rows["3"]["reason"] == "'441370806' is a SIREN (9 digits), not a SIRET (14): SIRET left out"
    assert rows["4"]["reason"] == "trailing '.0' of a number dropped"
    assert rows["5"]["reason"] == ("'7,33E+13' is in scientific notation: digits were lost by a spreadsheet, the "
                                   "identifier is unknown; SIRET left out")
    assert {r["column"] for r in rows.values()} == {"siret"}


def test_files_that_are_not_sirene_are_refused(store, tmp_path):
    path = write(tmp_path, "x.csv", "siren,nom\n441370806,X\n")
    with pytest.raises(LoadError, match="not a SIRENE extract.*Columns found: siren, nom"):
        load_file(store, path, format="sirene", rejects_dir=tmp_path)
    assert store.sources() == []


def test_legal_categories():
    assert legal_form("9220") == "Association déclarée"
    assert legal_form("5431") == "Société à responsabilité limitée (SARL) (catégorie juridique 5431)"
    assert legal_form("0000") == "catégorie juridique 0000"
    assert classify("5460", "N", None) == ("ess", "cooperative", True)  # ESS by status, whatever the flag
    assert classify("5710", "O", "PME") == ("ess", "entreprise_esus", True)
    assert classify("5710", None, "ETI") == ("enterprise", "eti", None)
    assert classify("7348", "N", None) == ("collectivite", "epci", False)
    assert classify("8410", None, None) == ("other", None, None)


# -- property: malformed extracts -----------------------------------------------------------------------------

_cell = st.one_of(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=10),
                  st.sampled_from(["", "441370806", "732829320", "44137080600016", "12345", "O", "N", "P", "[ND]",
                                   "1000", "9220", "5710", "7210", "W313000123", "Wxx", "true", "false", "75101",
                                   "2A004", "NN", "a,b", "ligne\nnouvelle"]))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(header=st.sampled_from([UL.strip(), ET.strip(), "siren,denominationUniteLegale", "siret,codeCommuneEtablissement"]),
       rows=st.lists(st.lists(_cell, max_size=15), max_size=8), raw=st.one_of(st.none(), st.binary(max_size=30)))
def test_malformed_extracts_never_crash(shared, header, rows, raw):
    with tempfile.TemporaryDirectory() as d, open_store(":memory:") as store:
        tmp = Path(d)
        base = write(tmp, "base.csv", UL + "441370806,O,,PME,A,,,TENNIS,,9220,,,O\n")
        load_file(store, base, rejects_dir=tmp)
        before = snapshot(store)
        path = tmp / "fuzz.csv"
        if raw is not None:
            path.write_bytes(raw)
        else:
            with path.open("w", encoding="utf-8", newline="") as f:
                f.write(header + "\n")
                csv.writer(f).writerows(rows)
        try:
            report = load_file(store, path, format="sirene", rejects_dir=tmp)
        except LoadError as e:
            assert str(path) in str(e)
            assert snapshot(store) == before
            return
        assert report.rows_read == report.loaded + report.merged + report.rejected
        assert not [a for a in store.iter_actors(include_persons=True) if a.family == "person"]
        assert all("[ND]" not in a.name for a in store.iter_actors())


# -- the rejects file of a non-diffusible row: a French sentence, nothing of the row -------------------------

PRIVATE_FR = "(contenu de la ligne non repris : diffusion restreinte ou données personnelles)"
PRIVATE_EN = "(row content left out: restricted diffusion or personal data)"


@pytest.mark.parametrize("name, text, private", [
    ("StockUniteLegale.csv", UL + "441370806,O,W313000123,PME,A,,,TENNIS ROQUES OLYMPIC CLUB,TROC,9220,93.12Z,00016,O\n"
                                  "552100554,P,W313009876,PME,A,,,ATELIER DISCRET,ADIS,5710,62.01Z,00042,O\n",
     ("552100554", "W313009876", "ATELIER DISCRET", "ADIS", "62.01Z", "00042")),
    ("StockEtablissement.csv", ET + "441370806,00016,44137080600016,O,true,31458,A,TENNIS ROQUES OLYMPIC CLUB,9220,\n"
                                    "552100554,00042,55210055400042,P,true,31555,A,ATELIER DISCRET,5710,LA CACHETTE\n",
     ("552100554", "55210055400042", "ATELIER DISCRET", "LA CACHETTE", "31555")),
])
def test_the_original_of_a_non_diffusible_row_is_a_french_sentence_and_nothing_of_the_row(tmp_path, name, text,
                                                                                         private):
    """A collectivité opens the rejects file: the « original » cell of the row rejected for
    restricted diffusion said « (row content left out: …) » in English; it is French by default,
    English with lang="en", and never holds a value of the row."""
    from maillage.loaders import load_file as load

    path = write(tmp_path, name, text)
    for lang, sentence in (("fr", PRIVATE_FR), ("en", PRIVATE_EN)):
        with open_store(str(tmp_path / f"{lang}.db")) as s:
            report = load(s, path, rejects_dir=tmp_path / lang, lang=lang)
        (row,) = rejects_of(report)
        assert (row["row"], row["level"]) == ("3", "rejected")
        assert row["original"] == sentence
        assert row["reason"].startswith("diffusion restreinte (" if lang == "fr" else "diffusion restricted (")
        written = Path(report.rejects_file).read_text(encoding="utf-8-sig")
        assert not [v for v in private if v in written], written
