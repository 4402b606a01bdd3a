"""The ``ftm`` loader: FollowTheMoney entities (JSON lines) → actors and governance ties.

The real file is an OpenSanctions cluster around Zala Aero (``../shared/realdata/ftm-zala``,
91 entities: Sanction 41, Ownership 14, Company 11, Address 11, Person 6, Family 4,
Directorship 3, Passport 1)."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.graph import open_store
from maillage.loaders import LoadError, detect_format
from maillage.loaders.formats.ftm import classify, french_identifiers
from _loading import load_file, rejects_of  # load_file: the rejects file in English, the reasons checked
from _loading import store_snapshot as snapshot

ZALA = "realdata/ftm-zala/entities.ftm.json"
ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"
ABASHKIN = "NK-mCEmxFfuhfdjpC8gsxH74o"
LLC_CST = "NK-abdzbEBkqyT29GyREbiURZ"
UNMANNED_ASSOCIATION = "NK-SiYwWfxwLVrVeFswsvAvsm"
KALASHNIKOV = "NK-nR5AXM9AVPq4pQaSPSaVam"


def write_ftm(path: Path, entities: list[dict]) -> Path:
    path.write_bytes(b"\n".join(orjson.dumps(e) for e in entities) + b"\n")
    return path


def ent(eid: str, schema: str, **props) -> dict:
    return {"id": eid, "schema": schema, "properties": {k: v if isinstance(v, list) else [v] for k, v in props.items()}}






@pytest.fixture
def zala(store, shared, tmp_path):
    report = load_file(store, shared / ZALA, rejects_dir=tmp_path)
    return store, report


# -- the real file ------------------------------------------------------------------------------

def test_sniffed_as_ftm_and_not_confused_with_popolo(shared):
    assert detect_format(shared / ZALA) == "ftm"
    assert detect_format(shared / "realdata/popolo-tas-councillors/local_councillor_popolo.json") == "popolo"


def test_sniffs_a_first_entity_longer_than_the_head(tmp_path):
    path = write_ftm(tmp_path / "long.json", [ent("x", "Company", name="A", notes="n" * 70_000),
                                              ent("y", "Company", name="B")])
    assert detect_format(path) == "ftm"
    (tmp_path / "members.csv").write_text("nom;siren\nAlpha;732829320\n", encoding="utf-8")
    assert detect_format(tmp_path / "members.csv") != "ftm"


def test_every_entity_is_accounted_for(zala):
    store, report = zala
    assert report.format == "ftm" and report.rows_read == 91
    assert report.rows_read == report.loaded + report.merged + report.rejected
    # 11 companies + 6 persons + 14 ownerships + 3 directorships are kept; the rest is not a cooperation fact
    assert report.loaded + report.merged == 34
    assert report.rejected == 41 + 11 + 4 + 1
    reasons = Counter(r["reason"] for r in rejects_of(report))
    assert reasons["schema Sanction is not a cooperation fact"] == 41
    assert reasons["schema Address is not a cooperation fact"] == 11
    assert reasons["schema Passport is not a cooperation fact"] == 1
    assert sum(n for r, n in reasons.items() if r.startswith("schema Family")) == 4
    assert report.warnings == 0


def test_two_ids_of_the_file_stay_two_actors_whatever_their_names(zala):
    """OpenSanctions gives « ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ЦСТ" » of Perm (INN
    5920040846, 2013-2019) an id of its own, apart from Zala Aero's LLC CST (INN 1841015504),
    one of whose aliases is that name. It was merged into LLC CST by name (« 1 fusionnée »,
    10 companies), and Zakharov's 2013-2019 ownership of the Perm company became one of Zala
    Aero's. Two ids of an FtM file are two entities: the match is only proposed."""
    store, report = zala
    ids = store.resolution_of(report.source)
    assert (report.loaded, report.merged) == (34, 0) and report.actors_created == 17
    assert ids["ru-inn-5920040846"] != ids[LLC_CST]
    perm = store.get_actor(ids["ru-inn-5920040846"])
    assert perm.name == 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ЦСТ"' and perm.family == "enterprise"
    line71 = [r for r in store.relations(types=["governs"]) if r.provenance.locator == "line 71"]
    assert [(r.source, r.target, r.start, r.end) for r in line71] == \
        [(ids[ZAKHAROV], perm.id, "2013-06-06", "2019-08-02")]
    proposed = {(p.key, p.candidate_id): p.reason for p in store.proposals(report.source)}
    assert proposed[("ru-inn-5920040846", ids[LLC_CST])] == \
        "name match (not merged: the source lists it under another key)"
    assert sum(1 for a in store.iter_actors() if a.family == "enterprise") == 11


def test_an_ftm_entity_repeated_under_its_id_is_still_one_actor(tmp_path):
    """Fragments share an id and merge; two ids with one name are proposed, not merged."""
    path = write_ftm(tmp_path / "frag.ftm.json", [
        ent("a", "Company", name="Coop Alpha"), ent("a", "Company", alias="Alpha"),
        ent("b", "Company", name="Coop Alpha"),
    ])
    store = open_store(":memory:")
    report = load_file(store, path, format="ftm", rejects_dir=tmp_path / "rejets")
    assert (report.loaded, report.merged, report.rejected) == (2, 1, 0)
    assert sorted(a.name for a in store.iter_actors()) == ["Coop Alpha", "Coop Alpha"]


def test_the_three_directorships_tie_the_named_director_to_the_organization(zala):
    store, report = zala
    ids = store.resolution_of(report.source)
    directorships = {r.provenance.locator: r for r in store.relations(types=["governs"])
                     if not r.fields.get("shareholder")}
    assert set(directorships) == {"line 63", "line 75", "line 76"}
    expected = {  # line → (director key, organization key, role as stated, start)
        "line 63": (ZAKHAROV, LLC_CST, "Leader or official of", None),
        "line 75": (ZAKHAROV, UNMANNED_ASSOCIATION, "Исполнительный директор", "2005-07-11"),
        "line 76": (ABASHKIN, LLC_CST, "ГЕНЕРАЛЬНЫЙ ДИРЕКТОР", "2017-10-23"),
    }
    for line, (director, org, role, start) in expected.items():
        r = directorships[line]
        assert (r.source, r.target) == (ids[director], ids[org])
        assert r.fields["role"] == r.fields["seat"] == role
        assert r.start == start and r.end is None
        assert r.provenance.quote == role  # the entity's caption, verbatim
        assert r.provenance.source == "ftm:entities.ftm.json" and r.provenance.certainty == "stated"
    zakharov = store.get_actor(ids[ZAKHAROV])
    assert zakharov.name == "Alexander Vyacheslavovich ZAKHAROV"
    org = store.get_actor(ids[UNMANNED_ASSOCIATION])
    assert org.name == 'НЕКОММЕРЧЕСКОЕ ПАРТНЕРСТВО "АССОЦИАЦИЯ БЕСПИЛОТНЫХ СИСТЕМ"'
    assert "LLC CST" in {store.get_actor(ids[LLC_CST]).name, *store.get_actor(ids[LLC_CST]).aliases}


def test_ownerships_become_shareholder_seats_with_dates_and_share(zala):
    store, report = zala
    ids = store.resolution_of(report.source)
    owned = [r for r in store.relations(types=["governs"]) if r.fields.get("shareholder") is True]
    assert len(owned) == 14
    (kalashnikov,) = [r for r in owned if r.provenance.locator == "line 69"]
    assert (kalashnikov.source, kalashnikov.target) == (ids[KALASHNIKOV], ids[LLC_CST])
    assert kalashnikov.start == "2016-03-29" and kalashnikov.end is None
    # in French, as a French reader sees it on the map (it read « 49 % of shares; 6401.77 shares »)
    assert kalashnikov.fields["note"] == "49 % des parts ; 6401.77 parts"
    (subsidiary,) = [r for r in owned if r.provenance.locator == "line 2"]
    assert subsidiary.fields["role"] == "subsidiary of"
    # an interval with both ends: 2005-09-16 → 2005-11-03
    (unmanned,) = [r for r in owned if r.provenance.locator == "line 65"]
    assert (unmanned.start, unmanned.end) == ("2005-09-16", "2005-11-03")
    assert unmanned.active_in(2005) and not unmanned.active_in(2006)


def test_cyrillic_names_and_aliases_survive(zala):
    store, report = zala
    ids = store.resolution_of(report.source)
    holding = store.get_actor(ids["NK-DSxJ9ZzHxBBMyEMnnTBhai"])
    assert holding.name == 'Акціонерне товариство "ТрансКомплектХолдинг"'
    assert 'Joint-Stock Company "TransKomplektHolding"' in holding.aliases
    assert 'Aktsionerne tovarystvo "TransKomplektKholdynh"' in holding.aliases  # from `alias`
    abashkin = store.get_actor(ids[ABASHKIN])
    assert abashkin.name == "Абашкін Костянтин Ігорьович"
    assert "КОНСТАНТИН ИГОРЕВИЧ АБАШКИН" in abashkin.aliases
    assert holding.family == "enterprise" and holding.legal_form == "Непубличные акционерные общества"


def test_russian_registry_numbers_are_facts_not_french_identifiers(zala):
    store, report = zala
    ids = store.resolution_of(report.source)
    for key, statement in ((k, a) for k in ids for _, a in store.statements(ids[k]) if a.key == k):
        assert statement.identifiers == [], key  # INN/OGRN/KPP never pass as SIREN/SIRET
    (zala_aero,) = [a for _, a in store.statements(ids["NK-cPks3aTbes8k4aCerfBAzN"])
                    if a.key == "NK-cPks3aTbes8k4aCerfBAzN"]
    assert "innCode: 9715478507" in zala_aero.facts and "ogrnCode: 1247700258651" in zala_aero.facts


def test_persons_are_personal_data_and_absent_from_public_views(zala):
    store, report = zala
    ids = store.resolution_of(report.source)
    persons = ["NK-2Tbri3s6GgNtAwsSXh4qpL", "NK-DQ98GPMgdVH8DSZd8g9Xtc", "NK-JseaPJctnK9o8wrmz8xmoT",
               ZAKHAROV, "NK-hUAjuiA3vTKXF6v2X6MYnS", ABASHKIN]
    for key in persons:
        a = store.get_actor(ids[key])
        assert a.family == "person" and a.personal_data, key
        (statement,) = [s for _, s in store.statements(a.id) if s.key == key]
        assert statement.identifiers == [] and statement.location_text is None  # no tax number, no address
    public = store.projection()
    assert not {ids[k] for k in persons} & set(public.actors)
    assert all(not a.personal_data for a in public.actors.values())
    assert {ids[LLC_CST], ids[KALASHNIKOV]} <= set(public.actors)
    # the directorships and the persons' ownerships only show with include_persons
    assert all(r.source not in {ids[k] for k in persons} for r in public.relations)
    full = store.projection(include_persons=True)
    assert {ids[k] for k in persons} <= set(full.actors)
    assert len(full.relations) == 17 > len(public.relations)


def test_loading_twice_changes_nothing(store, shared, tmp_path):
    first = load_file(store, shared / ZALA, rejects_dir=tmp_path)
    before = snapshot(store)
    again = load_file(store, shared / ZALA, rejects_dir=tmp_path)
    assert snapshot(store) == before
    assert (again.rows_read, again.rejected, again.loaded + again.merged) == \
           (first.rows_read, first.rejected, first.loaded + first.merged)


# -- the mapping, on small files -------------------------------------------------------------------

def test_classify_families():
    assert classify("Person", "Jeanne Martin", []) == ("person", "personne", None)
    assert classify("Organization", "Les Amis du Quartier", ["Association loi 1901"]) == ("ess", "association", True)
    assert classify("Company", "SCIC Enercoop Midi-Pyrénées", []) == ("ess", "scic", True)
    assert classify("Company", "Dupont Menuiserie", ["SARL"]) == ("enterprise", "entreprise", None)
    assert classify("Company", "JSC Izhmash", ["Joint stock"]) == ("enterprise", "entreprise", None)
    assert classify("Organization", "Club des entrepreneurs", []) == ("other", "non_precise", None)
    assert classify("PublicBody", "Région Occitanie", []) == ("collectivite", "region", None)
    assert classify("PublicBody", "Communauté d'agglomération du Sicoval", []) == ("collectivite", "epci", None)
    assert classify("PublicBody", "Préfecture de la région Occitanie", []) == ("state", "prefecture", None)
    assert classify("PublicBody", "Ministry of Defence", []) == ("state", "ministere", None)
    assert classify("PublicBody", "Agence de l'eau", []) == ("state", "etat_autre", None)


def test_french_identifiers_only_when_valid_and_french():
    ids, facts = french_identifiers({"registrationNumber": ["732 829 320"]}, french=True)
    assert [(i.scheme, i.value) for i in ids] == [("siren", "732829320")] and facts == []
    # the same number on an entity that does not say it is French: 10 % of 9-digit numbers pass Luhn
    ids, facts = french_identifiers({"registrationNumber": ["732829320"]}, french=False)
    assert ids == [] and facts == ["registrationNumber: 732829320"]
    ids, facts = french_identifiers({"registrationNumber": ["732829321"]}, french=True)  # bad check digit
    assert ids == [] and facts == ["registrationNumber: 732829321"]
    ids, _ = french_identifiers({"idNumber": ["73282932000074"], "vatCode": ["FR44732829320"],
                                 "registrationNumber": ["W313012345"]}, french=False)
    assert sorted((i.scheme, i.value) for i in ids) == [("rna", "W313012345"), ("siren", "732829320")]
    ids, _ = french_identifiers({"taxNumber": ["73282932000074"]}, french=True)
    assert [(i.scheme, i.value) for i in ids] == [("siret", "73282932000074")]


def test_edge_schemata_map_to_vocabulary_relations(store, tmp_path):
    path = write_ftm(tmp_path / "small.ftm.json", [
        ent("region", "PublicBody", name="Région Occitanie", jurisdiction="fr"),
        ent("asso", "Organization", name="Les Amis du Quartier", legalForm="Association loi 1901",
            registrationNumber="W313012345", country="fr", alias="LADQ"),
        ent("scop", "Company", name=["SCOP Ouvrière Toulousaine", "La SCOP"], jurisdiction="fr",
            registrationNumber="732829320"),
        ent("jeanne", "Person", name="Jeanne Martin", birthDate="1970-01-01", innCode="123456789012"),
        ent("pay1", "Payment", payer="region", beneficiary="asso", amount="12 000,50", currency="EUR",
            date="2021-03-04", programme="AAP ESS", purpose="fonctionnement 2021"),
        ent("pay2", "Payment", payer="region", beneficiary="scop", amount="5000", currency="USD"),
        ent("mem", "Membership", member="asso", organization="scop", role="sociétaire", startDate="2019"),
        ent("rep", "Representation", agent="jeanne", client="asso", role="présidente"),
        ent("emp", "Employment", employer="scop", employee="jeanne", role="gérante"),
        ent("link", "UnknownLink", subject="asso", object="region", role="partenaire"),
        ent("fam", "Family", person="jeanne", relative="jeanne", relationship="sister"),
    ])
    report = load_file(store, path, rejects_dir=tmp_path)
    assert (report.rows_read, report.loaded, report.rejected) == (11, 10, 1)
    ids = store.resolution_of(report.source)
    by_type = {r.provenance.locator: r for r in store.relations()}
    pay1 = by_type["line 5"]
    assert pay1.type == "funds" and pay1.fields == {"amount": 12000.5, "programme": "AAP ESS",
                                                     "note": "fonctionnement 2021", "year": 2021}
    assert (pay1.source, pay1.target) == (ids["region"], ids["asso"])
    pay2 = by_type["line 6"]
    assert "amount" not in pay2.fields and pay2.fields["note"] == "montant 5000 USD"
    assert by_type["line 7"].type == "membership" and by_type["line 7"].start == "2019"
    assert by_type["line 8"].type == "represents" and by_type["line 8"].fields == {"role": "présidente"}
    assert by_type["line 9"].type == "employs" and by_type["line 9"].fields["position"] == "gérante"
    assert by_type["line 10"].type == "related"
    asso = store.get_actor(ids["asso"])
    assert (asso.family, asso.kind, asso.ess) == ("ess", "association", True)
    assert [(i.scheme, i.value) for i in asso.identifiers] == [("rna", "W313012345")]
    assert "LADQ" in asso.aliases
    scop = store.get_actor(ids["scop"])
    assert (scop.family, scop.kind) == ("ess", "scop") and scop.identifiers[0].value == "732829320"
    assert store.get_actor(ids["region"]).family == "collectivite"
    (family,) = rejects_of(report)
    assert family["row"] == "11" and family["level"] == "rejected" and "kinship" in family["reason"]


def test_ties_to_absent_or_unloaded_entities_are_rejected_with_the_reason(store, tmp_path):
    path = write_ftm(tmp_path / "dangling.ftm.json", [
        ent("c1", "Company", name="Alpha"),
        ent("s1", "Sanction", entity="c1", program="X"),
        ent("d1", "Directorship", director="nobody", organization="c1", role="CEO"),
        ent("o1", "Ownership", owner="c1", asset="s1"),
        ent("o2", "Ownership", owner="c1"),
        ent("o3", "Ownership", owner="c1", asset="c1"),
        ent("p1", "Person"),  # no name, no caption
        ent("d2", "Directorship", director="p1", organization="c1"),
    ])
    report = load_file(store, path, rejects_dir=tmp_path)
    assert report.rows_read == 8 and report.loaded == 2 and report.rejected == 6
    why = {int(r["row"]): (r["level"], r["column"], r["value"], r["reason"]) for r in rejects_of(report)}
    assert why[3][1:] == ("director", "nobody", "Directorship director 'nobody' is not an entity of this file")
    assert why[4][1:3] == ("asset", "s1") and "schema Sanction is not loaded" in why[4][3]
    assert why[5][1] == "asset" and "needs both ends" in why[5][3]
    # a company owning itself (its own shares) is kept as stated, as every loader keeps a
    # self-tie: a warning, left out of analyses (maillage's export of one comes back)
    assert why[6][0] == "warning" and "to itself" in why[6][3] and "kept as stated" in why[6][3]
    assert why[7][1] == "name" and "no caption and no name" in why[7][3]
    assert why[8][1:3] == ("director", "p1") and "line 7 was rejected" in why[8][3]
    (itself,) = store.relations()
    assert itself.source == itself.target and itself.fields.get("shareholder") is True


def test_fragments_of_one_entity_are_united(store, tmp_path):
    path = write_ftm(tmp_path / "fragments.ftm.json", [
        {"id": "c1", "schema": "LegalEntity", "caption": "Alpha", "properties": {"name": ["Alpha"]}},
        {"id": "c1", "schema": "Company", "properties": {"alias": ["Alpha SAS"], "startDate": ["nonsense"]}},
        {"id": "c1", "schema": "Person", "properties": {"name": ["Alpha"]}},
        {"id": "x", "schema": "Sanction", "properties": {}},
        {"id": "x", "schema": "Sanction", "properties": {"program": ["Y"]}},
    ])
    report = load_file(store, path, rejects_dir=tmp_path)
    assert report.rows_read == 5 and (report.loaded, report.merged, report.rejected) == (1, 1, 3)
    (alpha,) = store.iter_actors()
    assert alpha.family == "enterprise" and alpha.aliases == ["Alpha SAS"]  # the Company fragment specialised it
    why = {int(r["row"]): r["reason"] for r in rejects_of(report)}
    assert "a fragment cannot make it a Person" in why[3]
    assert why[5] == "fragment of entity 'x' (line 4), which was not loaded"


def test_dates_are_partial_and_bad_ones_are_warnings(store, tmp_path):
    path = write_ftm(tmp_path / "dates.ftm.json", [
        ent("a", "Company", name="Alpha"), ent("b", "Company", name="Beta Gamma"),
        ent("o1", "Ownership", owner="a", asset="b", startDate=["2015-11-25T10:00:00", "2014-03"],
            endDate="2013"),
        ent("o2", "Ownership", owner="a", asset="b", startDate="25/11/2015"),
    ])
    report = load_file(store, path, rejects_dir=tmp_path)
    assert (report.loaded, report.rejected, report.warnings) == (4, 0, 2)
    rels = {r.provenance.locator: r for r in store.relations()}
    assert (rels["line 3"].start, rels["line 3"].end) == ("2014-03", None)  # end before start: dropped
    assert (rels["line 4"].start, rels["line 4"].end) == (None, None)
    warnings = {r["row"]: r for r in rejects_of(report)}
    assert warnings["4"]["level"] == "warning" and warnings["4"]["value"] == "25/11/2015"


@pytest.mark.parametrize("content, expected", [
    (b"", "no entity"),
    (b"\n\n", "no entity"),
    (b"nom;siren\nAlpha;732829320\n", "line 1 is not JSON"),
    (b'{"record": "actor"}\n', "line 1 is not a FollowTheMoney entity"),
    (b"[1, 2]\n", "line 1 is not a FollowTheMoney entity"),
    # saved as Windows-1252: orjson alone says « surrogates not allowed … column 1 »
    (b'{"id": "a", "schema": "Company", "properties": {"name": ["Caf\xe9 Lib"]}}\n',
     "line 1 is not JSON (not UTF-8: byte 0xE9 at column 62 ('\u00e9' in Windows-1252); JSON must be saved as UTF-8)"),
])
def test_unreadable_files_raise_load_error_naming_the_file(store, tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(LoadError) as err:
        load_file(store, path, format="ftm", rejects_dir=tmp_path)
    assert str(path) in str(err.value) and expected in str(err.value)
    assert store.sources() == []


def test_options_are_refused(store, shared, tmp_path):
    with pytest.raises(LoadError, match="does not take option"):
        load_file(store, shared / ZALA, options={"pole": "X"}, rejects_dir=tmp_path)


# -- property: malformed entities never crash, never break the accounting ----------------------------

_IDS = ["a", "b", "c", "d"]
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_scalar = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**15), _text, st.sampled_from(_IDS))
_values = st.one_of(_scalar, st.lists(_scalar, max_size=3), st.dictionaries(_text, _scalar, max_size=2))
_schemata = st.sampled_from(["Person", "Company", "Organization", "PublicBody", "LegalEntity", "Directorship",
                             "Ownership", "Membership", "Payment", "Representation", "Family", "Sanction",
                             "Address", "Vessel", "", "Thing"])
_props = st.sampled_from(["name", "alias", "director", "organization", "owner", "asset", "member", "payer",
                          "beneficiary", "agent", "client", "startDate", "endDate", "amount", "currency",
                          "registrationNumber", "jurisdiction", "role", "legalForm", "percentage"])
_entity = st.fixed_dictionaries(
    {"id": st.one_of(st.sampled_from(_IDS), _scalar), "schema": st.one_of(_schemata, _scalar),
     "properties": st.one_of(st.dictionaries(_props, _values, max_size=5), _scalar)},
    optional={"caption": _scalar})
_line = st.one_of(_entity.map(orjson.dumps), _entity.map(orjson.dumps), _entity.map(orjson.dumps),
                  st.binary(max_size=20), st.just(b""), st.just(b"[1]"), st.just(b'{"schema": "Company"}'))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(_line, max_size=10), valid_first=st.booleans())
def test_malformed_entities_are_rejected_or_refused_never_crash(lines, valid_first):
    if valid_first:  # half the files start like an FtM file, so that the rest is parsed row by row
        lines = [orjson.dumps(ent("a", "Company", name="Alpha")), *lines]
    with tempfile.TemporaryDirectory() as d, open_store(":memory:") as store:
        tmp = Path(d)
        base = write_ftm(tmp / "base.ftm.json", [ent("z", "Company", name="Zeta Coop")])
        load_file(store, base, rejects_dir=tmp)
        before = snapshot(store)
        path = tmp / "fuzz.ftm.json"
        rows = [x.replace(b"\n", b" ") for x in lines]
        path.write_bytes(b"\n".join(rows))
        try:
            report = load_file(store, path, format="ftm", rejects_dir=tmp)
        except LoadError as e:
            assert str(path) in str(e)
            assert snapshot(store) == before  # a refused file writes nothing
            return
        assert report.rows_read == sum(1 for x in rows if x.strip())
        assert report.rows_read == report.loaded + report.merged + report.rejected
        assert "ftm:base.ftm.json" in {s.id for s in store.sources()}  # the earlier source is untouched
        assert before[0][0] in snapshot(store)[0] or any(a[1] == "Zeta Coop" for a in snapshot(store)[0])
        assert all(a.personal_data for a in store.iter_actors(include_persons=True) if a.family == "person")


def test_an_address_naming_one_french_place_locates_the_actor(tmp_path):
    """Two organisations with the same name in different départements stay two actors."""
    path = write_ftm(tmp_path / "homonymes.ftm.json", [
        ent("a", "Organization", name="Val Horizon", address="Lot-et-Garonne (47)"),
        ent("b", "Organization", name="Val'Horizon", address="Ain (01)"),
        ent("c", "Organization", name="Sans Lieu", address="quelque part"),
    ])
    store = open_store(":memory:")
    load_file(store, path, format="ftm", rejects_dir=tmp_path / "rejets")
    located = {a.name: a.location for a in store.iter_actors()}
    assert located == {"Val Horizon": "departement:47", "Val'Horizon": "departement:01", "Sans Lieu": None}


def test_an_address_abroad_places_no_actor_in_france(tmp_path):
    """A house number of a foreign address is not a département: OpenSanctions' « ПР-КТ
    ОЛИМПИЙСКИЙ Д.50, Г. МЫТИЩИ » put a Russian association in the Manche, and « УЛ. ЛЕНИНА
    Д.40 » a Perm company in the Landes (their territory reports listed them). An entity that
    says it is of another country is not placed; a French one, or one that says nothing, is."""
    path = write_ftm(tmp_path / "abroad.ftm.json", [
        ent("ru1", "Company", name="ЦСТ", jurisdiction="ru", address="УЛ. ЛЕНИНА Д.40, Г. ЧАЙКОВСКИЙ, 617764"),
        ent("ru2", "Company", name="Partenariat", country="ru", address="Lot-et-Garonne (47)"),
        ent("fr1", "Company", name="Coop Agen", country=["fr", "ru"], address="Lot-et-Garonne (47)"),
        ent("none", "Organization", name="Val Horizon", address="Ain (01)"),
    ])
    store = open_store(":memory:")
    load_file(store, path, format="ftm", rejects_dir=tmp_path / "rejets")
    located = {a.name: a.location for a in store.iter_actors()}
    assert located == {"ЦСТ": None, "Partenariat": None, "Coop Agen": "departement:47", "Val Horizon": "departement:01"}


def test_the_zala_cluster_is_placed_nowhere_in_france(zala):
    store, _ = zala
    assert {a.name: a.location for a in store.iter_actors() if a.location} == {}


def test_a_payment_amount_out_of_range_says_why_not_that_it_is_no_number(store, tmp_path):
    """A negative or absurd Payment amount is a number: the reason says what is wrong with it
    (the check's CellError is a ValueError, and used to be caught as « not a number »)."""
    path = write_ftm(tmp_path / "pay.ftm.json", [
        ent("region", "PublicBody", name="Région Occitanie", jurisdiction="fr"),
        ent("asso", "Organization", name="Les Amis du Quartier", jurisdiction="fr"),
        ent("p1", "Payment", payer="region", beneficiary="asso", amount="-5", currency="EUR"),
        ent("p2", "Payment", payer="region", beneficiary="asso", amount="douze", currency="EUR"),
        ent("p3", "Payment", payer="region", beneficiary="asso", amount="1e30", currency="EUR"),
    ])
    report = load_file(store, path, rejects_dir=tmp_path)
    why = {r["row"]: r["reason"] for r in rejects_of(report)}
    assert "cancellation or a refund" in why["3"] and why["3"].endswith(": amount dropped")
    assert why["4"] == "amount is not a number; dropped"
    assert "typing or unit error" in why["5"]
    assert all("amount" not in r.fields for r in store.relations())


def test_a_person_s_private_data_stays_out_of_the_rejects_file(store, tmp_path):
    """Of a Person only the names (and positions) are loaded; a Passport, an Identification, a
    Family link not at all. Their rejected lines do not copy what is not loaded into the rejects
    file either (docs/privacy.md, « Rejected rows »): birth date, document numbers, e-mail, kinship
    stay out, the properties' names and the ids remain to find the line."""
    secrets = ("1971-04-02", "X1234567", "marie@example.fr", "12AB34567", "Épouse", "Toulouse, 12 rue des Lilas")
    path = write_ftm(tmp_path / "personnes.ftm.json", [
        ent("p1", "Person", birthDate=secrets[0], idNumber=secrets[1], email=secrets[2]),
        ent("p2", "Person", name="Marie Martin", birthDate=secrets[0], address=secrets[5]),
        ent("pp", "Passport", holder="p2", number=secrets[3], birthDate=secrets[0]),
        ent("f1", "Family", person="p2", relative="p1", relationship=secrets[4]),
        ent("c1", "Company", name="Coop Alpha", address="Roques"),
        ent("d1", "Directorship", director="p2", organization="c1", startDate="2020-14-01"),
    ])
    report = load_file(store, path, rejects_dir=tmp_path)
    assert (report.loaded, report.rejected) == (3, 3)
    rows = {int(r["row"]): r for r in rejects_of(report)}
    assert set(rows) == {1, 3, 4, 6}  # and line 6's bad date, a warning
    text = Path(report.rejects_file).read_text(encoding="utf-8-sig")
    assert not [s for s in secrets if s in text]
    person, passport = orjson.loads(rows[1]["original"]), orjson.loads(rows[3]["original"])
    assert person["id"] == "p1" and set(person["properties"]) == {"birthDate", "idNumber", "email"}
    assert passport["schema"] == "Passport" and set(passport["properties"]) == {"holder", "number", "birthDate"}
    assert orjson.loads(rows[6]["original"])["properties"]["startDate"] == ["2020-14-01"]  # not a person's row


def test_a_line_that_is_not_json_leaves_its_content_out_of_the_rejects_file(store, tmp_path):
    """A broken line may be a person's entity: the rejects file names where it breaks and, when it
    can be read, its schema — never its text (docs/privacy.md, « Rejected rows »)."""
    path = tmp_path / "casse.ftm.json"
    path.write_bytes(orjson.dumps(ent("c1", "Company", name="Coop Alpha")) + b"\n"
                     + b'{"id": "p1", "schema": "Person", "properties": {"name": ["Marie Martin"], '
                       b'"email": ["marie@example.fr"]\n'
                     + b'{"id": "p2", "properties": {"birthDate": ["1971-04-02"]}, "schema": Person}\n')
    report = load_file(store, path, rejects_dir=tmp_path)
    assert (report.loaded, report.rejected) == (1, 2)
    rows = {int(r["row"]): r for r in rejects_of(report)}
    text = Path(report.rejects_file).read_text(encoding="utf-8-sig")
    assert not [s for s in ("Marie", "marie@example.fr", "1971", "p1", "p2") if s in text]
    assert (rows[2]["column"], rows[2]["value"]) == ("schema", "Person")
    assert rows[2]["reason"].startswith("not valid JSON: ") and "column" in rows[2]["reason"]
    assert rows[3]["value"] == "" and rows[3]["original"] == ""


def test_maillage_s_own_fields_are_read_back_and_checked(store, tmp_path):
    """The ``maillage`` object maillage's FtM export writes beside ``properties`` (docs/formats/ftm.md):
    an actor's placeholder, group count and territory, a tie's type, certainty and the fields FtM
    has no property for. A value the vocabulary does not know is left out with a warning, the
    rest of the line loaded."""
    path = write_ftm(tmp_path / "m.ftm.json", [
        {**ent("mls", "Organization", name="les Missions locales"),
         "maillage": {"placeholder": True, "group_count": 4}},
        {**ent("cd", "PublicBody", name="Conseil départemental de Vaucluse"), "maillage": {"territory": "departement:84"}},
        {**ent("l1", "UnknownLink", subject="cd", object="mls", role=["coopère avec", "voisins"]),
         "maillage": {"type": "cooperates", "certainty": "planned", "fields": {"form": "mutualisation_moyens",
                                                                               "role": "voisins"}}},
        {**ent("p1", "Payment", payer="cd", beneficiary="mls", amount="1200", startDate="2017-01-01",
               endDate="2017-12-31"), "maillage": {"fields": {"status": "refuse", "share": 0.5}}},
        {**ent("l2", "UnknownLink", subject="cd", object="mls", role="coopère avec"),
         "maillage": {"type": "nope", "certainty": "sure", "fields": {"form": "x"}}},
        {**ent("p2", "Payment", payer="cd", beneficiary="mls"), "maillage": {"fields": {"status": "peut-être"}}},
        {**ent("a3", "Organization", name="Coop Trois"), "maillage": {"group_count": 0, "placeholder": True}},
        {**ent("d1", "Directorship", director="a3", organization="mls", role="présidente"), "maillage": ["x"]},
    ])
    report = load_file(store, path, rejects_dir=tmp_path)
    assert (report.loaded, report.rejected) == (8, 0)
    mls = next(a for a in store.iter_actors() if a.name == "les Missions locales")
    cd = next(a for a in store.iter_actors() if a.name.startswith("Conseil"))
    assert (mls.placeholder, mls.group_count, cd.territory) == (True, 4, "departement:84")
    rels = {r.provenance.locator: r for r in store.relations()}
    l1, p1, l2, p2 = rels["line 3"], rels["line 4"], rels["line 5"], rels["line 6"]
    assert (l1.type, l1.provenance.certainty, l1.fields) == \
        ("cooperates", "planned", {"form": "mutualisation_moyens", "role": "voisins"})
    # the year is the ``date`` maillage writes, not read from the period as from another file
    assert (p1.fields, p1.start, p1.end) == ({"amount": 1200.0, "status": "refuse", "share": 0.5},
                                             "2017-01-01", "2017-12-31")
    assert (l2.type, l2.provenance.certainty, l2.fields) == ("related", "stated", {"role": "coopère avec"})
    assert p2.fields == {}
    a3 = next(a for a in store.iter_actors() if a.name == "Coop Trois")
    assert (a3.placeholder, a3.group_count) == (True, None)
    assert rels["line 8"].fields == {"role": "présidente", "seat": "présidente"}  # read as another file's
    warned = {(int(r["row"]), r["column"]) for r in rejects_of(report) if r["level"] == "warning"}
    assert warned == {(5, "maillage.type"), (5, "maillage.certainty"), (6, "maillage.fields.status"),
                      (7, "maillage.group_count"), (8, "maillage")}


def test_module_examples():
    import doctest

    import maillage.loaders.formats.ftm as ftm

    result = doctest.testmod(ftm)
    assert result.attempted >= 2 and result.failed == 0


def test_a_name_s_runs_of_spaces_are_one_space_as_in_every_loader(store, tmp_path):
    """« Coop  Sud » (two spaces, a line break) is « Coop Sud Ouest » here as in a member list: the
    same name showed two ways in one store, and a round trip through Kumu changed it."""
    path = write_ftm(tmp_path / "e.ftm.json", [ent("o1", "Organization", name=["Coop  Sud\nOuest"])])
    load_file(store, path, rejects_dir=tmp_path)
    assert [a.name for a in store.iter_actors()] == ["Coop Sud Ouest"]


def test_a_tie_s_certainty_is_read_in_the_words_of_every_loader(store, tmp_path):
    """``maillage.certainty`` took only the codes: « prévu » (a person's edit of the file, or
    another tool's) was a warning and the tie read as stated. It is read as the Kumu loader reads
    a certainty cell (:func:`maillage.loaders.cells.certainty_of`), with the same warning otherwise."""
    path = write_ftm(tmp_path / "m.ftm.json", [
        ent("a", "Organization", name="Coop Alpha"), ent("b", "Organization", name="Coop Beta"),
        {**ent("l1", "UnknownLink", subject="a", object="b"), "maillage": {"certainty": "Prévu"}},
        {**ent("l2", "UnknownLink", subject="b", object="a"), "maillage": {"certainty": "incertain"}}])
    report = load_file(store, path, rejects_dir=tmp_path, lang="fr")
    rels = {r.provenance.locator: r.provenance.certainty for r in store.relations()}
    assert rels == {"line 3": "planned", "line 4": "stated"}
    assert [(r["row"], r["column"], r["value"], r["reason"]) for r in rejects_of(report)] == [
        ("4", "maillage.certainty", "incertain", "certitude 'incertain' non reconnue (attendu : « affirmé », "
         "« implicite », « déduit », « prévu », ou en anglais stated, implied, inferred, planned) : lue comme "
         "« affirmé par la source »")]
