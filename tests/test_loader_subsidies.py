"""Subsidy files read through a declared column mapping: the shipped Paris mapping on the real
Paris file (granted requests are `funds` ties, refused ones `applies_to` ties with no amount),
mapping errors, and malformed files."""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.graph import open_store
from maillage.loaders import LoadError
from _loading import load_file, rejects_of  # load_file: the rejects file in English, the reasons checked
from _loading import store_snapshot as snapshot

PARIS = "realdata/paris-subventions-2013/subventions-accordees-et-refusees.csv"
ROOT = Path(__file__).resolve().parents[1]
PARIS_MAPPING = ROOT / "maillage/data/mappings/paris-subventions.yaml"






def paris_rows(shared) -> dict[int, dict]:
    """The Paris rows by the line they start on (some requests' titles hold line breaks)."""
    with open(shared / PARIS, encoding="ascii", newline="") as f:
        reader = csv.reader(f, delimiter=";")
        header, rows, line = next(reader), {}, reader.line_num
        for rec in reader:
            rows[line + 1] = dict(zip(header, rec))
            line = reader.line_num
        return rows


@pytest.fixture(scope="module")
def paris(tmp_path_factory):
    """The Paris file loaded once (6,463 rows) into a file store, with its report."""
    from _env import need_shared

    SHARED = need_shared()  # as the `shared` fixture of conftest.py, for a module-wide load
    tmp = tmp_path_factory.mktemp("paris")
    store = open_store(str(tmp / "paris.db"))
    report = load_file(store, SHARED / PARIS, format="subsidies", options={"mapping": str(PARIS_MAPPING)},
                       rejects_dir=tmp)
    yield store, report
    store.close()


def test_paris_refused_requests_are_recorded_as_refused_not_as_grants(paris, shared):
    store, report = paris
    assert (report.rows_read, report.loaded, report.merged, report.rejected) == (6463, 6463, 0, 0)
    rows = paris_rows(shared)
    refused_rows = {f"row {i}" for i, r in rows.items() if r["Financee/Non Financee"] == "Non financee"}
    assert len(refused_rows) == 2251

    rels = store.relations()
    funds = [r for r in rels if r.type == "funds"]
    requests = [r for r in rels if r.type == "applies_to"]
    assert len(funds) == 4212 and len(requests) == 2251
    assert not {r.provenance.locator for r in funds} & refused_rows  # no funding edge for a refusal
    assert {r.provenance.locator for r in requests} == refused_rows
    assert all(r.fields["status"] == "refuse" and "amount" not in r.fields for r in requests)
    asked = Counter(r.fields["amount_requested"] > 0 for r in requests)
    assert asked == {True: 2240, False: 11}  # 11 refused requests asked "0": kept as stated
    assert all(r.fields["status"] == "accorde" and r.fields["amount"] >= 0 for r in funds)

    paris_id = store.find_by_identifier("siren", "217500016")[0]
    ville = store.get_actor(paris_id)
    assert (ville.name, ville.kind, ville.territory) == ("Ville de Paris", "commune", "commune:75056")
    assert all(r.source == paris_id for r in funds) and all(r.target == paris_id for r in requests)


def test_paris_amounts_natures_and_places(paris):
    store, _ = paris
    rels = {r.provenance.locator: r for r in store.relations()}
    espoir = rels["row 2"]  # ESPOIR 18: asked 10000, voted 6000 "sur projet"
    assert (espoir.fields["amount"], espoir.fields["amount_requested"], espoir.fields["nature"]) == (6000.0, 10000.0, "projet")
    assert (espoir.fields["year"], espoir.start, espoir.end) == (2013, "2013", "2013")
    assert rels["row 3"].fields["nature"] == "fonctionnement" and rels["row 3"].target == espoir.target
    # LES PETITS RIENS, line 399: 20500 voted for this request, "Total vote en 2013" says 9000 — never used
    assert rels["row 399"].fields["amount"] == 20500.0
    partner = store.get_actor(espoir.target)
    assert (partner.name, partner.location, partner.family) == ("ESPOIR 18", "commune:75056", "other")
    assert {i.value for i in partner.identifiers} == {"450572185", "45057218500038"}
    refused = rels["row 5"]  # Ethnologues en herbe: asked 12235, refused
    assert (refused.type, refused.fields) == ("applies_to", {"amount_requested": 12235.0, "year": 2013,
                                                             "status": "refuse",
                                                             "note": refused.fields["note"]})


def test_paris_a_bénéficiaire_whose_place_names_several_communes_is_in_the_territory_holding_them(paris):
    """As a member list places a member (maillage.geography.places.one_place): « 78600 MAISON
    LAFFITTE » (a misspelt name, a postal code of three communes) is in their EPCI, « 92210 CLICHY »
    (Saint-Cloud's code, Clichy's name) in the Hauts-de-Seine; before, only a text naming exactly
    one commune placed a bénéficiaire, and these were nowhere."""
    store, _ = paris
    located = {store.get_actor(store.find_by_identifier("siret", siret)[0]).location
               for siret in ("53144579900012", "75377615200013", "42192485300037")}
    # Maisons-Laffitte's EPCI; Hauts-de-Seine; Grand Paris Sud (Corbeil-Essonnes, its name misspelt)
    assert located == {"epci:200058519", "departement:92", "epci:200059228"}


def test_paris_a_private_siren_is_no_collectivite_whatever_its_name_says(paris):
    """« CA E LA, TROUPE DE THEATRE » (a theatre company, SIREN 343801932) and the « conseil
    departemental des parents d'eleves … de Paris » (a parents' federation, SIREN 784360869) are
    not an intercommunalité and a département: INSEE numbers the public sector from 1 and 2."""
    store, _ = paris
    for siren, name in (("343801932", "CA E LA, TROUPE DE THEATRE"),
                        ("784360869", "conseil departemental des parents d'eleves de l'enseignement public de Paris")):
        (aid,) = store.find_by_identifier("siren", siren)
        actor = store.get_actor(aid)
        assert actor.name == name and actor.family == "other", (actor.name, actor.family, actor.kind)
        assert actor.territory is None


def test_a_name_still_says_collectivite_without_a_siren_or_with_a_public_one(store, tmp_path):
    data = tmp_path / "subs.csv"
    data.write_text("annee;asso;siret;vote\n"
                    "2021;CA du Grand Truc;;800\n"                 # no SIREN: the name says it
                    "2021;Conseil departemental de l'Ain;200000008;500\n"   # a 2… SIREN, unknown: the name
                    "2021;CA E LA, TROUPE DE THEATRE;34380193200017;300\n",      # a private SIREN: not a collectivité
                    encoding="utf-8")
    mapping = {"attribuant": {"name": {"value": "Commune de Roques"}, "id": {"value": "213104581"}},
               "beneficiaire": {"name": "asso", "id": "siret"}, "grant": {"year": "annee", "amount": "vote"}}
    load_file(store, data, format="subsidies", options={"mapping": str(write_mapping(tmp_path, mapping))},
              rejects_dir=tmp_path)
    got = {a.name: (a.family, a.kind) for a in store.iter_actors()}
    assert got["CA du Grand Truc"] == ("collectivite", "epci")
    assert got["Conseil departemental de l'Ain"] == ("collectivite", "departement")
    assert got["CA E LA, TROUPE DE THEATRE"] == ("other", None)


def test_paris_bad_sirets_are_warnings_not_crashes(paris, shared):
    store, report = paris
    warnings = [r for r in rejects_of(report) if r["level"] == "warning"]
    assert report.rejected == 0 and report.warnings == len(warnings) > 150
    by_col = Counter(r["column"] for r in warnings)
    # and the places a member list would warn about, once a bénéficiaire (docs/formats/subsidies.md)
    assert set(by_col) == {"N SIRET", "Code postal", "Ville"} and (by_col["Code postal"], by_col["Ville"]) == (3, 18)
    said = {(r["row"], r["value"]): r["reason"] for r in warnings if r["column"] != "N SIRET"}
    assert said["3313", "PARIS"].startswith("postal code 93100 (Montreuil, 93) and 'PARIS' (Paris, 75) contradict "
                                            "each other, in different départements: no place given")
    # 21 codes the geography does not know (CEDEX codes, « 91302 » and « MASSY ») beside a commune of
    # their département: placed by the name without a word; the other 3 give no place, and say so
    assert ("1456", "91302") not in said
    assert said["4460", "49933"] == ("postal code 49933 is not in the reference geography, and 'ANGER' does not "
                                     "designate one commune: no place given")
    # « COURCOURONNES »: the name of a commune merged into Évry-Courcouronnes, not a typo
    assert ("2957", "COURCOURONNES") not in said and "is near a former name" in said["2771", "EQUEURDREVILLE-HAINNEVIL"]
    massy = store.get_actor(store.find_by_identifier("siret", "37937216200022")[0])  # a CEDEX code, « MASSY »
    assert massy.location == "commune:91377"  # of the Essonne (91302's département), not of the Saône-et-Loire
    assert sum("Luhn" in r["reason"] for r in warnings) >= 100
    assert any("13 digits" in r["reason"] for r in warnings)
    assert any("lost leading zero restored" in r["reason"] for r in warnings)
    # each partner is one actor: 3,617 SIMPA numbers, one of which covers two SIRENs
    rows = paris_rows(shared)
    assert len({r["S-PR-Numero SIMPA"] for r in rows.values()}) == 3617
    partners = {r.target for r in store.relations() if r.type == "funds"} | \
               {r.source for r in store.relations() if r.type == "applies_to"}
    assert 3600 <= len(partners) <= 3618


def test_paris_through_the_cli_with_the_shipped_mapping_name(shared, tmp_path):
    res = subprocess.run([sys.executable, "-m", "maillage.cli", "--store", str(tmp_path / "s.db"), "load",
                          str(shared / PARIS), "--format", "subsidies", "--mapping", "paris-subventions",
                          "--report", str(tmp_path / "r.json")], cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    import json

    (entry,) = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["files"]
    assert (entry["format"], entry["rows_read"], entry["loaded"], entry["rejected"]) == ("subsidies", 6463, 6463, 0)


# -- mappings ---------------------------------------------------------------------------------------------

def write_mapping(tmp_path, data, name="m.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


CSV = ("annee;asso;siret;numero;demande;vote;etat\n"
       "2021;Les Amis;44137080600016;A1;1000;800;oui\n"
       "2021;Les Amis (antenne);4413708060001;A1;500;;non\n"   # a SIRET that lost a digit: the number links it
       "2021;Autre;;B2;300;;en cours\n"
       "2021;Encore;;C3;300;;peut-etre\n"
       "2021;Sans statut;;D4;300;;\n")
MAPPING = {"version": 1, "title": "Commune test",
           "attribuant": {"name": {"value": "Commune de Roques"}, "id": {"value": "213104581"}},
           "beneficiaire": {"name": "asso", "id": "siret", "local_id": "numero"},
           "grant": {"year": "annee", "amount": "vote", "amount_requested": "demande"},
           "status": {"column": "etat", "granted": ["oui"], "refused": ["non"], "requested": ["en cours"]}}


def test_declared_mapping_statuses_and_local_numbers(store, tmp_path):
    data = tmp_path / "subs.csv"
    data.write_text(CSV, encoding="utf-8")
    report = load_file(store, data, format="subsidies", options={"mapping": str(write_mapping(tmp_path, MAPPING))},
                       rejects_dir=tmp_path)
    assert (report.rows_read, report.loaded, report.rejected) == (5, 3, 2)
    assert store.source(report.source).title == "Commune test"
    rels = {r.provenance.locator: r for r in store.relations()}
    assert rels["row 2"].type == "funds" and rels["row 2"].fields["amount"] == 800.0
    assert (rels["row 3"].type, rels["row 3"].fields["status"]) == ("applies_to", "refuse")
    assert rels["row 3"].source == rels["row 2"].target  # local number A1 → the SIREN of row 2
    assert (rels["row 4"].type, rels["row 4"].fields["status"]) == ("applies_to", "demande")
    roques = store.get_actor(rels["row 2"].source)
    assert (roques.kind, roques.territory) == ("commune", "commune:31458")
    rejected = [r for r in rejects_of(report) if r["level"] == "rejected"]
    assert [(r["row"], r["column"], r["value"]) for r in rejected] == [("5", "etat", "peut-etre"), ("6", "etat", "")]
    assert "cannot tell a grant from a refusal" in rejected[0]["reason"]
    assert rejected[1]["reason"] == ("status empty: cannot tell a grant from a refusal (expected one of en cours, non, "
                                     "oui)")


@pytest.mark.parametrize("change, message", [
    ({"colonnes": {}}, "unknown key(s) colonnes"),
    ({"grant": {"montant": "vote"}}, "grant: unknown key(s) montant"),
    ({"grant": {"amount": "Montant vote"}}, "names column(s) this file does not have: grant.amount (Montant vote)"),
    ({"status": {"column": "etat"}}, "list the values that mean granted"),
    ({"nature_columns": {"cadeau": "vote"}}, "'cadeau' is not a nature"),
    ({"version": 2}, "mapping version 1"),
    ({"beneficiaire": {"name": {"valeur": "x"}}}, "beneficiaire.name: expected a column name"),
])
def test_mapping_errors_name_the_file_and_the_key(store, tmp_path, change, message):
    data = tmp_path / "subs.csv"
    data.write_text(CSV, encoding="utf-8")
    mapping = write_mapping(tmp_path, {**MAPPING, **change})
    with pytest.raises(LoadError) as err:
        load_file(store, data, format="subsidies", options={"mapping": str(mapping)}, rejects_dir=tmp_path)
    assert message in str(err.value) and (str(mapping) in str(err.value) or str(data) in str(err.value))
    assert store.sources() == []


def test_a_file_of_another_layout_refused_by_a_mapping_lists_its_own_header(store, shared, tmp_path):
    """The Somme's SCDL file loaded through Paris's mapping: refused, and the columns it says it
    found are the file's header — not its row 3, whose « fonctionnement » (the extra ``type``
    column) is also a column of Paris's mapping and made that row pass for the header."""
    path = shared / "realdata/scdl-somme/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv"
    with pytest.raises(LoadError) as err:
        load_file(store, path, format="subsidies", options={"mapping": "paris-subventions"}, rejects_dir=tmp_path)
    found = str(err.value).split("Columns found: ", 1)[1]
    assert found.startswith("nomAttribuant, idAttribuant, dateConvention") and found.endswith("type")
    assert "LA POSTE" not in str(err.value)
    assert store.sources() == []


def test_subsidies_needs_a_mapping_unless_it_is_a_shipped_layout(store, tmp_path):
    data = tmp_path / "subs.csv"
    data.write_text(CSV, encoding="utf-8")
    with pytest.raises(LoadError, match="needs a column mapping: --mapping") as err:
        load_file(store, data, format="subsidies", rejects_dir=tmp_path)
    assert "not those of a mapping shipped with maillage (paris-subventions)" in str(err.value)
    with pytest.raises(LoadError, match="mapping .*nope.yaml: no such file"):
        load_file(store, data, format="subsidies", options={"mapping": str(tmp_path / "nope.yaml")})
    from maillage.loaders import LOADERS

    assert LOADERS["subsidies"].sniff(data, data.read_bytes()) is False


def test_the_paris_file_is_recognised_with_no_format_and_no_mapping(paris, shared, tmp_path):
    """A file with every column of a shipped mapping is that layout: `maillage load FILE` alone
    loads it as `--format subsidies --mapping paris-subventions` would (same ties, same ids)."""
    import json

    res = subprocess.run([sys.executable, "-m", "maillage.cli", "--store", str(tmp_path / "s.db"), "load",
                          str(shared / PARIS), "--report", str(tmp_path / "r.json")],
                         cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    (entry,) = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["files"]
    assert (entry["format"], entry["rows_read"], entry["loaded"], entry["rejected"]) == ("subsidies", 6463, 6463, 0)
    explicit, _ = paris
    with open_store(str(tmp_path / "s.db")) as store:
        assert store.source(entry["source"]).meta["mapping"] == "paris-subventions"
        assert {r.id for r in store.relations()} == {r.id for r in explicit.relations()}


def _paris_like(shared, tmp_path, change, suffix=".csv"):
    """Paris's header and first two rows, with ``change(header)`` applied to the header."""
    with open(shared / PARIS, encoding="ascii", newline="") as f:
        header, *rows = [row for _, row in zip(range(3), csv.reader(f, delimiter=";"))]
    header = change(list(header))
    rows = [row + [""] * (len(header) - len(row)) for row in rows]
    path = tmp_path / f"subs{suffix}"
    if suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        for row in (header, *rows):
            wb.active.append(row)
        wb.save(path)
    else:
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, delimiter=";").writerows([header, *rows])
    return path


@pytest.mark.parametrize("change, suffix, detected", [
    (lambda h: h, ".csv", True),
    (lambda h: h, ".xlsx", True),
    (lambda h: h[::-1], ".csv", True),                                  # columns in another order
    (lambda h: h + ["Commentaire"], ".csv", True),                     # a column added
    (lambda h: [c.upper() for c in h], ".csv", True),                  # header case (folded)
    (lambda h: h[:-1], ".csv", False),                                 # the status column missing
    (lambda h: [c for c in h if c != "Adresse"], ".csv", False),       # an ignored column missing
    (lambda h: ["Montant" if c == "Montant demande" else c for c in h], ".csv", False),  # one renamed
])
def test_a_shipped_layout_is_recognised_by_all_its_columns_and_only_then(shared, tmp_path, change, suffix, detected):
    from maillage.loaders import detect_format

    path = _paris_like(shared, tmp_path, change, suffix)
    if detected:
        assert detect_format(path) == "subsidies"
    else:
        with pytest.raises(LoadError, match="cannot tell the format"):
            detect_format(path)


def test_shipped_paris_mapping_is_valid_and_documents_ignored_columns():
    from maillage.loaders.formats.subsidies import load_mapping

    m = load_mapping(PARIS_MAPPING)
    assert m.fields["beneficiaire.id"].columns == ("N SIRET",)
    assert m.fields["attribuant.id"].value == "217500016"
    assert "Total vote en 2013" in m.ignored_columns


# -- property: malformed files under a mapping -------------------------------------------------------------

_cell = st.one_of(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=10),
                  st.sampled_from(["", "oui", "non", "en cours", "1000", "-3", "1,234", "12 000 €", "2021",
                                   "44137080600016", "4413708060001", "7,17E+13", "A1", "W313012345", "x;y"]))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_cell, max_size=9), max_size=8),
       header=st.sampled_from(["annee;asso;siret;numero;demande;vote;etat", "annee;asso;siret",
                               "asso;vote;etat;siret;numero;demande;annee;extra"]),
       raw=st.one_of(st.none(), st.binary(max_size=30)))
def test_malformed_rows_under_a_mapping_never_crash(rows, header, raw):
    with tempfile.TemporaryDirectory() as d, open_store(":memory:") as store:
        tmp = Path(d)
        mapping = write_mapping(tmp, MAPPING)
        base = tmp / "base.csv"
        base.write_text(CSV, encoding="utf-8")
        load_file(store, base, format="subsidies", options={"mapping": str(mapping)}, rejects_dir=tmp)
        before = snapshot(store)
        path = tmp / "fuzz.csv"
        if raw is not None:
            path.write_bytes(raw)
        else:
            with path.open("w", encoding="utf-8", newline="") as f:
                f.write(header + "\n")
                csv.writer(f, delimiter=";").writerows(rows)
        try:
            report = load_file(store, path, format="subsidies", options={"mapping": str(mapping)}, rejects_dir=tmp)
        except LoadError as e:
            assert str(path) in str(e)
            assert snapshot(store) == before
            return
        assert report.rows_read == report.loaded + report.merged + report.rejected
        assert set(before[1]) <= set(snapshot(store)[1])
        assert all(r.fields.get("amount", 0) >= 0 for r in store.relations() if r.type == "funds")
        assert not [r for r in store.relations() if r.type == "funds" and r.fields.get("status") != "accorde"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.from_regex(r"\A[0-9]{1,7}(\.[0-9]{0,4})?\Z"), st.text(max_size=8),
                 st.from_regex(r"\A-?[0-9٣]{1,4}([ \u00a0\u202f\u2009.][0-9]{1,4}){0,3}(,[0-9]{0,4})?( €)?\Z"),
                 st.sampled_from(["1.234", "0.125", "12.500", "1234.567", "²", "٣", "007", "1.", ".5", "26 956,00",
                                  "1 266", "1,266", "0,5", "12\u00a0000,50", "1 23,45", "1234 567,8"])))
def test_quick_amount_agrees_with_parse_amount(text):
    from maillage.loaders.cells import CellError, parse_amount
    from maillage.loaders.formats.subsidies import quick_amount

    def result(f):
        try:
            return f(text)
        except CellError:
            return "refused"
    assert result(quick_amount) == result(parse_amount)


def test_a_bénéficiaire_s_place_is_warned_about_as_a_member_s(store, tmp_path):
    """A member list warns when its postal code and commune place nobody (an unknown commune, a
    text naming none, a code and a name that contradict each other); a subsidy file placed its
    bénéficiaires the same way and said nothing, so « 31000 » and « Lyon » left an association
    nowhere without a word. Both now say it in the same words (members.locate), and a row with
    no place at all says nothing."""
    places = [("31000", "Toulouse"), ("31000", "Lyon"), ("", "Nulleville-sur-Rien"), ("98000", ""),
              ("31000", "Toulous"), ("", "")]
    rows = [(f"Asso {i}", cp, city) for i, (cp, city) in enumerate(places)]
    data = tmp_path / "subs.csv"
    data.write_text("annee;asso;cp;ville;vote\n" + "".join(f"2021;{n};{cp};{city};100\n" for n, cp, city in rows),
                    encoding="utf-8")
    mapping = {"version": 1, "title": "Commune test",
               "attribuant": {"name": {"value": "Commune de Roques"}, "id": {"value": "213104581"}},
               "beneficiaire": {"name": "asso", "postal_code": "cp", "city": "ville"},
               "grant": {"year": "annee", "amount": "vote"}}
    report = load_file(store, data, format="subsidies", options={"mapping": str(write_mapping(tmp_path, mapping))},
                       rejects_dir=tmp_path / "subs")
    said = sorted((r["row"], r["value"], r["reason"]) for r in rejects_of(report))

    members = tmp_path / "membres.csv"
    members.write_text("nom;cp;ville\n" + "".join(f"{n};{cp};{city}\n" for n, cp, city in rows), encoding="utf-8")
    report = load_file(open_store(":memory:"), members, format="members", options={"pole": "PTCE test"},
                       rejects_dir=tmp_path / "members")
    as_member = sorted((r["row"], r["value"], r["reason"]) for r in rejects_of(report))
    assert [row for row, _, _ in said] == ["3", "4", "5", "6"]  # rows 2 (Toulouse) and 7 (no place): nothing
    assert said == as_member
    assert {r["column"] for r in rejects_of(report)} <= {"cp", "ville"}


def test_a_party_stated_alike_on_several_rows_is_read_once_and_warned_on_each_row(tmp_path):
    """A bénéficiaire's cells are read once per distinct spelling (the rows share what was read),
    but the warning its damaged SIRET raises is said on every row that states it, and a row
    stating it otherwise is read on its own."""
    from maillage.loaders.formats import scdl
    from maillage.loaders.formats.subsidies import SubsidyEngine, bind
    from maillage.graph.model import Source
    from maillage.loaders.tabular import read_table

    p = tmp_path / "scdl.csv"
    head = "nomAttribuant;idAttribuant;nomBeneficiaire;idBeneficiaire;montant;dateConvention\n"
    rows = ["COMMUNE DE ROQUES;21310458100011;Tennis club;44137080600016.0;100;2017-04-13",
            "COMMUNE DE ROQUES;21310458100011;Tennis club;44137080600016.0;200;2017-04-13",
            "COMMUNE DE ROQUES;21310458100011;Tennis club;44137080600016;300;2017-04-13",
            "COMMUNE DE ROQUES;21310458100011;Tennis club;44137080600016.0;400;2017-04-13"]
    p.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    parsed = SubsidyEngine(bind(scdl.MAPPING, read_table(p, expect=scdl.score)), Source(id="s", kind="file", uri="x"),
                           "scdl").parse()
    warned = [(r.row, r.value) for r in parsed.rejects if "trailing '.0'" in r.reason]
    assert warned == [(2, "44137080600016.0"), (3, "44137080600016.0"), (5, "44137080600016.0")]
    assert len(parsed.actors) == 2 and {r.target for _, r in parsed.relations} == {"siren:441370806"}
    (ben,) = [a for _, a in parsed.actors if a.key == "siren:441370806"]
    assert [(i.scheme, i.value) for i in ben.identifiers] == [("siren", "441370806"), ("siret", "44137080600016")]
