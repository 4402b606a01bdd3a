"""A collectivité places the bénéficiaires of its subsidy file with a bare StockEtablissement
extract (INSEE's columns only: no legal category, no denomination).

The walk-through of docs/formats/scdl.md (« Your own subsidy file, on your territory »): the real
Haute-Garonne SCDL file names its bénéficiaires by SIRET and gives no place; an establishment row
of a unit the store already knows as an organisation places it, a row of an unknown unit is
rejected saying what to load first, a non-diffusible establishment is never shown.

The StockEtablissement files are written here with the 53 columns of INSEE's stock file
(« Description des fichiers du stock », Sirene 3.11), around real SIRETs of the subsidy file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from maillage.analytics.territory import isolated_actors
from maillage.loaders.motifs import motif
from _loading import load_file, rejects_of  # load_file: the rejects file in English, the reasons checked

SCDL = "realdata/scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv"

#: StockEtablissement's columns, in INSEE's order
STOCK_ETABLISSEMENT = (
    "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,"
    "anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,"
    "etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,"
    "indiceRepetitionEtablissement,dernierNumeroVoieEtablissement,indiceRepetitionDernierNumeroVoieEtablissement,"
    "typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,"
    "libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,codeCommuneEtablissement,"
    "codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,libellePaysEtrangerEtablissement,"
    "identifiantAdresseEtablissement,coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,"
    "complementAdresse2Etablissement,numeroVoie2Etablissement,indiceRepetition2Etablissement,typeVoie2Etablissement,"
    "libelleVoie2Etablissement,codePostal2Etablissement,libelleCommune2Etablissement,"
    "libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,codeCommune2Etablissement,"
    "codeCedex2Etablissement,libelleCedex2Etablissement,codePaysEtranger2Etablissement,"
    "libellePaysEtranger2Etablissement,dateDebut,etatAdministratifEtablissement,enseigne1Etablissement,"
    "enseigne2Etablissement,enseigne3Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,"
    "nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement").split(",")

TENNIS = "441370806"      # TENNIS ROQUES OLYMPIC CLUB, funded by the commune of Roques (SIRET …00016)
UFCV = "775685621"        # UNION FRANCAISE CENTRE VACANCES LOISIRS, funded for its establishment …01133
KARATE = "809351760"      # KARATE ROQUES
UNKNOWN = "123456782"     # a valid SIREN that no file of the test names


def etablissement(siret: str, siege: bool, code_postal: str, commune: str, code_commune: str, statut: str = "O",
                  etat: str = "A", voie: tuple[str, str, str] = ("", "", ""), **more: str) -> dict[str, str]:
    row = dict.fromkeys(STOCK_ETABLISSEMENT, "")
    numero, type_voie, libelle = voie
    row.update(siren=siret[:9], nic=siret[9:], siret=siret, statutDiffusionEtablissement=statut,
               dateCreationEtablissement="2002-03-01", dateDernierTraitementEtablissement="2024-03-30T07:12:05",
               etablissementSiege="true" if siege else "false", nombrePeriodesEtablissement="2",
               numeroVoieEtablissement=numero, typeVoieEtablissement=type_voie, libelleVoieEtablissement=libelle,
               codePostalEtablissement=code_postal, libelleCommuneEtablissement=commune,
               codeCommuneEtablissement=code_commune, dateDebut="2008-01-01", etatAdministratifEtablissement=etat,
               activitePrincipaleEtablissement="93.12Z", nomenclatureActivitePrincipaleEtablissement="NAFRev2",
               caractereEmployeurEtablissement="N", **more)
    return row


def stock_etablissement(path: Path, rows: list[dict[str, str]], joined: tuple[str, ...] = ()) -> Path:
    """A CSV as INSEE writes it (``,``-separated, UTF-8); ``joined``: StockUniteLegale's columns added."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, [*STOCK_ETABLISSEMENT, *joined], restval="")
        w.writeheader()
        w.writerows(rows)
    return path


ROWS = [
    etablissement(f"{TENNIS}00016", True, "31120", "ROQUES", "31458", voie=("", "CHE", "DU STADE")),
    etablissement(f"{TENNIS}00024", False, "31000", "TOULOUSE", "31555", etat="F"),
    # the head office in Paris 19e (an arrondissement: Paris), the funded establishment in Toulouse
    etablissement(f"{UFCV}00010", True, "75019", "PARIS 19", "75119", voie=("10", "QUAI", "DE LA CHARENTE")),
    etablissement(f"{UFCV}01133", False, "31200", "TOULOUSE", "31555"),
    # an establishment whose diffusion is restricted: never shown, whatever the store knows of its unit
    etablissement(f"{KARATE}00016", True, "31120", "ROQUES", "31458", statut="P"),
    etablissement(f"{UNKNOWN}00010", True, "31000", "TOULOUSE", "31555", enseigne1Etablissement="CHEZ JEANNE"),
]


def one(store, siren):
    ids = store.find_by_identifier("siren", siren)
    assert len(ids) == 1, (siren, ids)
    return store.get_actor(ids[0])


def test_a_bare_stock_etablissement_places_the_beneficiaires_of_a_subsidy_file(store, shared, tmp_path):
    scdl = load_file(store, shared / SCDL, rejects_dir=tmp_path)
    assert scdl.format == "scdl"
    beneficiaires = {s: one(store, s).id for s in (TENNIS, UFCV, KARATE)}
    assert all(store.get_actor(a).location is None for a in beneficiaires.values())
    assert not set(beneficiaires.values()) & {r["id"] for r in isolated_actors(
        store, territory="departement:31", include_peripheral=True)}  # not located: not on the territory

    path = stock_etablissement(tmp_path / "StockEtablissement_31.csv", ROWS)
    report = load_file(store, path, rejects_dir=tmp_path)
    assert report.format == "sirene"
    # every row accounted for: the bénéficiaires' establishments merged into them, two rejected
    assert (report.rows_read, report.loaded, report.merged, report.rejected) == (6, 0, 4, 2)
    assert report.rows_read == report.loaded + report.merged + report.rejected

    tennis, ufcv, karate = (one(store, s) for s in (TENNIS, UFCV, KARATE))
    assert tennis.id == beneficiaires[TENNIS] and len(tennis.sources) == 2
    assert tennis.location == "commune:31458"  # Roques: its head office, the establishment the commune funds
    assert tennis.name == "TENNIS ROQUES OLYMPIC CLUB" and tennis.family == "other"  # as the subsidy file says
    assert {i.value for i in tennis.identifiers if i.scheme == "siret"} == {f"{TENNIS}00016", f"{TENNIS}00024"}
    # the establishment the subsidy file funds is where the actor acts, not its head office in Paris
    assert ufcv.location == "commune:31555" and ufcv.attributes["commune_siege"] == "75056"
    # restricted diffusion: nothing of the row is stored, the bénéficiaire stays unplaced
    assert karate.location is None and len(karate.sources) == 1
    assert not store.find_by_identifier("siren", UNKNOWN)

    rows = {r["row"]: r for r in rejects_of(report)}
    assert set(rows) == {"6", "7"} and {r["level"] for r in rows.values()} == {"rejected"}
    assert rows["6"]["reason"].startswith("diffusion restricted (statutDiffusionEtablissement = P")
    assert rows["7"]["reason"].startswith("unit unknown: no loaded source describes its SIREN")
    assert "load first the StockUniteLegale extract of this SIREN" in rows["7"]["reason"]
    text = Path(report.rejects_file).read_text(encoding="utf-8-sig")
    assert "CHEZ JEANNE" not in text and "ROQUES" not in text  # the rejected rows' content is left out

    # the load's line says why, in French by default
    notes = [motif(n) for n in report.notes]
    assert ("1 établissement d'une unité inconnue (aucune source chargée ne décrit son SIREN) : non chargé ; "
            "chargez d'abord l'extrait StockUniteLegale de ce SIREN, ou le fichier de subventions ou la liste de "
            "membres qui le nomme, puis ce fichier à nouveau") in notes
    assert any(n.startswith("4 ligne(s) d'établissements de 2 unité(s) déjà décrite(s) par d'autres sources")
               and n.endswith("2 localisée(s) par la commune d'un établissement") for n in notes)

    # the collectivité now sees its bénéficiaires on its territory, with why they are isolated
    on_territory = {r["id"]: r for r in isolated_actors(store, territory="departement:31", include_peripheral=True)}
    assert {tennis.id, ufcv.id} <= set(on_territory) and karate.id not in on_territory
    assert on_territory[tennis.id]["location"] == "commune:31458"
    assert tennis.id in {r["id"] for r in isolated_actors(store, territory="commune:31458", include_peripheral=True)}

    # loaded again: the same
    again = load_file(store, path, rejects_dir=tmp_path)
    assert (again.loaded, again.merged, again.rejected) == (0, 4, 2)
    assert one(store, TENNIS).location == "commune:31458" and one(store, UFCV).location == "commune:31555"


def test_loaded_before_the_subsidy_file_the_rows_wait_for_it(store, shared, tmp_path):
    """The order of the recipe matters: StockEtablissement first, every row is rejected and the
    line says what to load; the subsidy file, then the extract again, and they place the
    bénéficiaires. The extract's own earlier statements never make a unit known: with the
    subsidy file removed, a reload rejects them again."""
    path = stock_etablissement(tmp_path / "StockEtablissement_31.csv", ROWS[:4])
    first = load_file(store, path, rejects_dir=tmp_path)
    assert (first.rows_read, first.loaded, first.merged, first.rejected) == (4, 0, 0, 4)
    assert any(n.startswith("4 establishment rows of units no loaded source describes (2 SIRENs)")
               for n in first.notes)
    assert motif(next(n for n in first.notes if n.startswith("4 "))).startswith(
        "4 établissements d'unités inconnues (2 SIREN qu'aucune source chargée ne décrit) : non chargés ; chargez "
        "d'abord l'extrait StockUniteLegale de ces SIREN")
    assert store.stats()["actors"] == 0

    scdl = load_file(store, shared / SCDL, rejects_dir=tmp_path)
    second = load_file(store, path, rejects_dir=tmp_path)
    assert (second.loaded, second.merged, second.rejected) == (0, 4, 0)
    assert one(store, TENNIS).location == "commune:31458"

    store.remove_source(scdl.source)
    third = load_file(store, path, rejects_dir=tmp_path)
    assert (third.loaded, third.merged, third.rejected) == (0, 0, 4)
    assert store.stats()["actors"] == 0


def test_a_unit_of_stock_unite_legale_is_known_and_a_sole_trader_is_not(store, tmp_path):
    """A StockUniteLegale extract loaded first makes its legal persons known (its head office's
    SIRET from nicSiegeUniteLegale); a sole trader's row is rejected there, so its establishments
    stay unknown; an actor that is a natural person is never enriched."""
    ul = tmp_path / "StockUniteLegale_31.csv"
    ul.write_text("siren,statutDiffusionUniteLegale,denominationUniteLegale,nomUniteLegale,prenom1UniteLegale,"
                  "categorieJuridiqueUniteLegale,nicSiegeUniteLegale,economieSocialeSolidaireUniteLegale\n"
                  f"{TENNIS},O,TENNIS ROQUES OLYMPIC CLUB,,,9220,00016,O\n"
                  f"{UNKNOWN},O,,MARTIN,JEANNE,1000,00010,N\n", encoding="utf-8")
    first = load_file(store, ul, rejects_dir=tmp_path)
    assert (first.loaded, first.rejected) == (1, 1)
    person = tmp_path / "personnes.jsonl"
    person.write_text(json.dumps({"record": "actor", "key": "p1", "name": "Jeanne Martin", "family": "person",
                                  "identifiers": [{"scheme": "siren", "value": KARATE}], "provenance": {}}) + "\n",
                      encoding="utf-8")
    load_file(store, person, rejects_dir=tmp_path)

    path = stock_etablissement(tmp_path / "StockEtablissement_31.csv", [
        etablissement(f"{TENNIS}00024", False, "31000", "TOULOUSE", "31555"),
        etablissement(f"{TENNIS}00016", True, "31120", "ROQUES", "31458"),
        etablissement(f"{UNKNOWN}00010", True, "31000", "TOULOUSE", "31555", enseigne1Etablissement="CHEZ JEANNE"),
        etablissement(f"{KARATE}00016", True, "31120", "ROQUES", "31458"),
    ])
    report = load_file(store, path, rejects_dir=tmp_path)
    assert (report.rows_read, report.loaded, report.merged, report.rejected) == (4, 0, 2, 2)
    tennis = one(store, TENNIS)
    assert tennis.location == "commune:31458" and tennis.family == "ess" and tennis.kind == "association"
    assert tennis.attributes["commune_siege"] == "31458"
    rows = {r["row"]: r["reason"] for r in rejects_of(report)}
    assert set(rows) == {"4", "5"} and all(r.startswith("unit unknown: ") for r in rows.values())
    (p,) = [a for a in store.iter_actors(include_persons=True) if a.family == "person"]
    assert p.location is None and p.sources == ["maillage-jsonl:personnes.jsonl"]


def test_a_joined_row_of_the_file_makes_its_unit_known_to_the_bare_rows(store, tmp_path):
    """In one file, a row joined with StockUniteLegale's columns says what the unit is: the bare
    rows of the same SIREN, above or below it, are its establishments (merged), without a store."""
    path = stock_etablissement(tmp_path / "StockEtablissement.csv", [
        etablissement(f"{TENNIS}00024", False, "31000", "TOULOUSE", "31555"),
        {**etablissement(f"{TENNIS}00016", True, "31120", "ROQUES", "31458"),
         "denominationUniteLegale": "TENNIS ROQUES OLYMPIC CLUB", "categorieJuridiqueUniteLegale": "9220"},
    ], joined=("denominationUniteLegale", "categorieJuridiqueUniteLegale"))
    report = load_file(store, path, rejects_dir=tmp_path)
    assert (report.rows_read, report.loaded, report.merged, report.rejected) == (2, 1, 1, 0)
    tennis = one(store, TENNIS)
    assert tennis.location == "commune:31458" and tennis.kind == "association"
    assert {i.value for i in tennis.identifiers if i.scheme == "siret"} == {f"{TENNIS}00016", f"{TENNIS}00024"}


def test_the_establishments_keep_the_name_a_reviewer_s_accept_left_the_actor(store, shared, tmp_path):
    """A list naming the subsidy file's « TENNIS ROQUES OLYMPIC CLUB » with a typo is proposed,
    and accepted: the actor keeps the subsidy file's name (docs/resolution.md, « The name a merged
    actor shows »). The bare StockEtablissement rows state the name the other sources give the
    actor: it must be the name the store shows, not the typo a merge ignoring the accept picks (the
    one not in capitals), which their statement then made the most stated name."""
    from maillage.loaders.resolution import accept, review_queue

    load_file(store, shared / SCDL, rejects_dir=tmp_path)
    typo = "Tennis Roqes Olympic Club"
    members = tmp_path / "membres.jsonl"
    members.write_text(json.dumps({"record": "actor", "key": "m1", "name": typo, "family": "ess",
                                   "provenance": {}}) + "\n", encoding="utf-8")
    load_file(store, members, rejects_dir=tmp_path)
    (item,) = [i for i in review_queue(store) if i.name == typo]
    accept(store, item.id)
    assert one(store, TENNIS).name == "TENNIS ROQUES OLYMPIC CLUB"

    path = stock_etablissement(tmp_path / "StockEtablissement_31.csv", ROWS[:2])
    report = load_file(store, path, rejects_dir=tmp_path)
    assert (report.loaded, report.merged, report.rejected) == (0, 2, 0)
    tennis = one(store, TENNIS)
    assert tennis.location == "commune:31458" and len(tennis.sources) == 3
    assert (tennis.name, tennis.aliases) == ("TENNIS ROQUES OLYMPIC CLUB", [typo])
