"""The ``popolo`` loader: Popolo JSON (persons, organizations, memberships, posts) → elected
persons, their bodies and parties.

The real file lists Tasmania's local councillors (``../shared/realdata/popolo-tas-councillors``:
263 persons, 33 organizations — 29 legislatures and 4 parties —, 317 memberships, no dates)."""

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
from _loading import load_file, rejects_of  # load_file: the rejects file in English, the reasons checked
from _loading import store_snapshot as snapshot

TAS = "realdata/popolo-tas-councillors/local_councillor_popolo.json"
JANET = "break_o'day_council/janet_drummond"
BREAK_O_DAY = "legislature/break_o'day_council"


def write_popolo(path: Path, doc: dict) -> Path:
    path.write_bytes(orjson.dumps(doc))
    return path






@pytest.fixture
def tas(store, shared, tmp_path):
    report = load_file(store, shared / TAS, rejects_dir=tmp_path)
    return store, report


# -- the real file ------------------------------------------------------------------------------

def test_sniffed_as_popolo(shared):
    assert detect_format(shared / TAS) == "popolo"


def test_every_person_organization_and_membership_is_a_row(tas):
    store, report = tas
    assert report.rows_read == 263 + 33 + 317
    assert report.rows_read == report.loaded + report.merged + report.rejected
    # the two placeholder parties are the only rejected rows…
    rejected = {r["value"]: r for r in rejects_of(report) if r["level"] == "rejected"}
    assert set(rejected) == {"unknown", "Independent"}
    assert rejected["unknown"]["column"].startswith("organizations[") and \
        "placeholder party" in rejected["unknown"]["reason"]
    # …and the memberships on their behalf are warnings: 230 for unknown, 27 for Independent
    warned = Counter(r["value"] for r in rejects_of(report) if r["level"] == "warning")
    assert warned == {"party/unknown": 230, "party/independent": 27}
    assert report.rejected == 2 and report.warnings == 257


def test_memberships_are_governance_seats_with_their_roles(tas):
    store, report = tas
    seats = store.relations(types=["governs"])
    assert len(seats) == 317
    assert Counter(r.fields["role"] for r in seats) == {"councillor": 263, "Deputy Mayor": 27, "Mayor": 26,
                                                         "Lord Mayor": 1}
    assert all(r.fields["seat"] == r.fields["role"] for r in seats)
    assert all(r.start is None and r.end is None for r in seats)  # the file has no dates
    assert {r.provenance.locator for r in seats} == {f"memberships[{i}]" for i in range(317)}
    first = next(r for r in seats if r.provenance.locator == "memberships[0]")
    assert orjson.loads(first.provenance.quote)["person_id"] == JANET  # the membership, verbatim


def test_ids_with_apostrophes_and_slashes_are_kept(tas):
    store, report = tas
    ids = store.resolution_of(report.source)
    janet = store.get_actor(ids[JANET])
    council = store.get_actor(ids[BREAK_O_DAY])
    assert janet.name == "Janet Drummond" and council.name == "Break O'Day Council"
    (seat,) = store.relations(touching=[janet.id], types=["governs"])
    assert (seat.source, seat.target, seat.fields["role"]) == (janet.id, council.id, "councillor")


def test_one_person_two_memberships_in_the_same_body(tas):
    store, report = tas
    ids = store.resolution_of(report.source)
    person = ids["break_o'day_council/john_mcgiveron"]
    seats = store.relations(touching=[person], types=["governs"])
    assert sorted(r.fields["role"] for r in seats) == ["Deputy Mayor", "councillor"]
    assert {r.target for r in seats} == {ids[BREAK_O_DAY]}
    assert len({r.id for r in seats}) == 2


def test_councils_are_collectivites_and_parties_are_other(tas):
    store, report = tas
    ids = store.resolution_of(report.source)
    council = store.get_actor(ids["legislature/hobart_city_council"])
    assert (council.family, council.kind) == ("collectivite", "collectivite_autre")
    greens = store.get_actor(ids["party/greens"])
    assert greens.family == "other" and greens.name == "Greens"
    assert ids["party/_greens"] == greens.id  # " Greens" is the same party, merged by name
    assert "party/unknown" not in ids and "party/independent" not in ids
    assert not [a for a in store.iter_actors() if a.name in ("unknown", "Independent")]


def test_on_behalf_of_a_party_is_a_represents_tie(tas):
    store, report = tas
    ids = store.resolution_of(report.source)
    reps = store.relations(types=["represents"])
    assert len(reps) == 5 + 1  # 5 memberships for party/greens, 1 for party/_greens
    assert {r.target for r in reps} == {ids["party/greens"]}
    anna = ids["hobart_city_council/anna_reynolds"]
    (rep,) = [r for r in reps if r.source == anna]
    assert rep.fields == {"mandate": "councillor, Hobart City Council"}


def test_councillors_are_elected_persons_hidden_from_public_views(tas):
    store, report = tas
    ids = store.resolution_of(report.source)
    persons = [k for k in ids if not k.startswith(("legislature/", "party/"))]
    assert len(persons) == 263
    for key in persons:
        a = store.get_actor(ids[key])
        assert (a.family, a.kind, a.personal_data) == ("person", "elu", True), key
    public = store.projection()
    assert not {ids[k] for k in persons} & set(public.actors)
    assert public.relations == []  # every tie of this file has a person at one end
    assert len(store.projection(include_persons=True).relations) == 317 + 6


def test_the_29_councils_stay_distinct(tas):
    """"Southern Midlands Council" and "Northern Midlands Council" are two councils (a fuzzy
    match of 0.92 once merged them)."""
    store, report = tas
    ids = store.resolution_of(report.source)
    councils = {ids[k] for k in ids if k.startswith("legislature/")}
    assert len(councils) == 29


def test_loading_twice_changes_nothing(store, shared, tmp_path):
    first = load_file(store, shared / TAS, rejects_dir=tmp_path)
    before = snapshot(store)
    again = load_file(store, shared / TAS, rejects_dir=tmp_path)
    assert snapshot(store) == before
    assert (again.rows_read, again.loaded, again.merged, again.rejected, again.warnings) == \
           (first.rows_read, first.loaded, first.merged, first.rejected, first.warnings)


# -- the mapping, on small documents ----------------------------------------------------------------

def small_doc() -> dict:
    return {
        "persons": [{"id": "p1", "name": "Jeanne Martin", "email": "j@example.org", "birth_date": "1970-01-01"},
                    {"id": "p2", "given_name": "Paul", "family_name": "Durand",
                     "other_names": [{"name": "P. Durand"}]},
                    {"id": "p3", "name": "Léa Petit"}],
        "organizations": [
            {"id": "cm", "name": "Conseil municipal de Roques", "classification": "legislature", "area_id": "a1"},
            {"id": "ps", "name": "Parti Solidaire", "classification": "party"},
            {"id": "sa", "name": "Sans étiquette", "classification": "party"},
            {"id": "asso", "name": "Les Amis du Quartier", "classification": "ngo",
             "identifiers": [{"scheme": "RNA", "identifier": "W313012345"},
                             {"scheme": "wikidata", "identifier": "Q42"}]},
            {"id": "cab", "name": "Cabinet de conseil", "classification": "consultancy"},
        ],
        "posts": [{"id": "maire", "label": "Maire de Roques", "organization_id": "cm", "role": "Maire"},
                  {"id": "vacant", "label": "Adjoint·e à l'ESS", "organization_id": "cm"}],
        "memberships": [
            {"person_id": "p1", "post_id": "maire", "on_behalf_of_id": "ps", "legislative_period_id": "t1"},
            {"person_id": "p2", "organization_id": "cm", "role": "conseiller", "on_behalf_of_id": "sa",
             "start_date": "2020-07", "end_date": "31/12/2026"},
            {"person_id": "p3", "organization_id": "asso", "role": "trésorière", "on_behalf_of_id": "ghost"},
            {"person_id": "p3", "organization_id": "asso", "role": "trésorière", "on_behalf_of_id": "ghost"},
            {"person_id": "nobody", "organization_id": "cm"},
            {"person_id": "p2", "organization_id": "sa"},
            {"member_id": "asso", "organization_id": "cab"},
        ],
        "areas": [{"id": "a1", "name": "Roques (31458)"}],
        "events": [{"id": "t1", "classification": "legislative period", "start_date": "2020-05-23",
                    "end_date": "2026-03-15"}],
    }


def test_mapping_on_a_small_document(store, tmp_path):
    report = load_file(store, write_popolo(tmp_path / "roques.json", small_doc()), rejects_dir=tmp_path)
    assert report.format == "popolo"
    assert report.rows_read == 3 + 5 + 2 + 7
    ids = store.resolution_of(report.source)
    rels = {r.provenance.locator + ":" + r.type: r for r in store.relations()}
    mayor = rels["memberships[0]:governs"]
    assert mayor.fields == {"role": "Maire", "seat": "Maire de Roques"}
    assert (mayor.start, mayor.end) == ("2020-05-23", "2026-03-15")  # from the legislative period
    assert rels["memberships[0]:represents"].target == ids["ps"]
    assert rels["memberships[0]:represents"].fields == {"mandate": "Maire, Conseil municipal de Roques"}
    paul = rels["memberships[1]:governs"]
    assert (paul.start, paul.end) == ("2020-07", None) and "memberships[1]:represents" not in rels
    assert rels["memberships[2]:membership"].fields == {"role": "trésorière"}
    assert rels["memberships[6]:membership"].source == ids["asso"]  # an organisation as member
    assert "memberships[3]:membership" not in rels  # an exact repeat of memberships[2]
    why = {r["column"]: r for r in rejects_of(report)}
    assert why["memberships[1].end_date"]["level"] == "warning"
    assert "sans étiquette" in why["memberships[1].on_behalf_of_id"]["reason"].lower()
    assert why["memberships[2].on_behalf_of_id"]["level"] == "warning"
    assert why["memberships[4].person_id"]["reason"] == "person_id 'nobody' is not a person of this document"
    assert "placeholder party" in why["memberships[5].organization_id"]["reason"]
    assert why["posts[1].id"]["level"] == "rejected" and "vacant" in why["posts[1].id"]["reason"]
    assert why["organizations[2].name"]["level"] == "rejected"
    # rows: 8 actors (Sans étiquette rejected) ; posts: 1 merged, 1 rejected; memberships: 4 loaded,
    # 1 merged (the repeat), 2 rejected
    assert (report.loaded, report.merged, report.rejected) == (7 + 4, 1 + 1, 1 + 1 + 2)
    jeanne = store.get_actor(ids["p1"])
    assert (jeanne.family, jeanne.kind, jeanne.personal_data) == ("person", "elu", True)
    assert store.get_actor(ids["p3"]).kind == "personne"  # a member of an association, not elected
    assert store.get_actor(ids["p2"]).name == "Paul Durand" and "P. Durand" in store.get_actor(ids["p2"]).aliases
    asso = store.get_actor(ids["asso"])
    assert (asso.family, asso.kind) == ("ess", "association")
    assert [(i.scheme, i.value) for i in asso.identifiers] == [("rna", "W313012345")]
    (statement,) = [a for _, a in store.statements(asso.id) if a.key == "asso"]
    assert statement.facts == ["wikidata: Q42"]
    (council,) = [a for _, a in store.statements(ids["cm"]) if a.key == "cm"]
    assert council.location_text == "Roques (31458)" and council.family == "collectivite"
    (cab,) = [a for _, a in store.statements(ids["cab"]) if a.key == "cab"]
    assert cab.family == "other" and cab.facts == ["classification: consultancy"]


def test_legislature_family_option(store, tmp_path):
    doc = {"organizations": [{"id": "an", "name": "Assemblée nationale", "classification": "legislature"}],
           "persons": [], "memberships": []}
    path = write_popolo(tmp_path / "an.json", doc)
    report = load_file(store, path, options={"legislature_family": "state"}, rejects_dir=tmp_path)
    (an,) = store.iter_actors()
    assert (an.family, an.kind) == ("state", "etat_autre") and report.loaded == 1
    with pytest.raises(LoadError, match="legislature_family='county'"):
        load_file(store, path, options={"legislature_family": "county"}, rejects_dir=tmp_path)
    with pytest.raises(LoadError, match="does not take option"):
        load_file(store, path, options={"pole": "X"}, rejects_dir=tmp_path)


def test_duplicate_ids_and_bad_items(store, tmp_path):
    doc = {"persons": [{"id": "x", "name": "A"}, {"id": "x", "name": "A"}, {"id": "x", "name": "B"}, "oops",
                       {"name": "no id"}, {"id": "y"}],
           "organizations": [{"id": "x", "name": "Org X"}, {"id": "o"}],
           "memberships": []}
    report = load_file(store, write_popolo(tmp_path / "dups.json", doc), rejects_dir=tmp_path)
    assert report.rows_read == 8 and (report.loaded, report.merged, report.rejected) == (1, 1, 6)
    why = {r["column"]: r["reason"] for r in rejects_of(report)}
    assert why["persons[2].id"] == "id 'x' is already used by persons[0]"
    assert why["persons[3]"] == "expected a JSON object"
    assert why["persons[4].id"].startswith("no id")
    assert "needs a name" in why["persons[5].name"]
    assert why["organizations[0].id"] == "id 'x' is already used by persons[0]"
    assert "needs a name" in why["organizations[1].name"]


def test_a_field_that_should_be_a_list_and_is_not_is_left_out(store, tmp_path):
    """``"other_names": true`` and ``"identifiers": true`` in an item (found by the property
    test below: a TypeError) are not lists: left out as missing ones, the items loaded."""
    doc = {"persons": [{"id": "p", "name": "Ana Lys", "other_names": True}],
           "organizations": [{"id": "o", "name": "Conseil", "identifiers": True, "other_names": 3}],
           "memberships": []}
    report = load_file(store, write_popolo(tmp_path / "lists.json", doc), rejects_dir=tmp_path)
    assert report.rows_read == 2 and report.rows_read == report.loaded + report.merged + report.rejected
    assert report.rejected == 0 and {a.name for a in store.iter_actors(include_persons=True)} == {"Ana Lys", "Conseil"}


@pytest.mark.parametrize("content, expected", [
    (b"", "not a JSON document"),
    (b"[]", "the document is a JSON list"),
    (b'{"title": "nothing"}', "not a Popolo document"),
    (b'{"persons": {"id": 1}}', "'persons' is a JSON dict; expected a list"),
    (b'{"persons": [], "memberships": 3}', "'memberships' is a JSON int; expected a list"),
    (b'{"persons": [', "not a JSON document"),
    (b'{"organizations": [\n  {"id": "o1", "name": "R\xe9gion"}]}',
     "not a JSON document (not UTF-8: byte 0xE9 at line 2, column 26 ('\u00e9' in Windows-1252); JSON must be saved"),
])
def test_unreadable_documents_raise_load_error_naming_the_file(store, tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(LoadError) as err:
        load_file(store, path, format="popolo", rejects_dir=tmp_path)
    assert str(path) in str(err.value) and expected in str(err.value)
    assert store.sources() == []


# -- property: malformed documents never crash, never break the accounting ---------------------------

_IDS = ["p1", "p2", "o1", "o2", "party/unknown", "post1"]
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=10)
_scalar = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), _text,
                    st.sampled_from(_IDS))
_value = st.one_of(_scalar, st.lists(_scalar, max_size=2), st.dictionaries(_text, _scalar, max_size=2))
_keys = st.sampled_from(["id", "name", "given_name", "classification", "person_id", "organization_id",
                         "member_id", "on_behalf_of_id", "post_id", "role", "label", "start_date", "end_date",
                         "other_names", "identifiers", "area_id", "legislative_period_id"])
_item = st.one_of(st.dictionaries(_keys, _value, max_size=6), _scalar)
_good = st.fixed_dictionaries({"id": st.sampled_from(_IDS), "name": _text,
                               "classification": st.sampled_from(["legislature", "party", "ngo", "x"])})
_membership = st.fixed_dictionaries({"person_id": st.sampled_from(_IDS), "organization_id": st.sampled_from(_IDS)},
                                    optional={"role": _scalar, "on_behalf_of_id": st.sampled_from(_IDS),
                                              "start_date": _scalar, "post_id": st.sampled_from(_IDS)})
_document = st.fixed_dictionaries({
    "persons": st.lists(st.one_of(_good, _good, _item), max_size=5),
    "organizations": st.lists(st.one_of(_good, _good, _item), max_size=5),
    "memberships": st.lists(st.one_of(_membership, _membership, _item), max_size=6),
}, optional={
    "posts": st.lists(_item, max_size=3),
    "areas": st.one_of(st.lists(_item, max_size=2), _scalar),
    "events": st.lists(_item, max_size=2),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.one_of(_document, _document, _document, _value, st.dictionaries(_keys, _value, max_size=3)),
       raw=st.one_of(st.none(), st.none(), st.none(), st.binary(max_size=30)))
def test_malformed_documents_are_rejected_or_refused_never_crash(doc, raw):
    with tempfile.TemporaryDirectory() as d, open_store(":memory:") as store:
        tmp = Path(d)
        base = write_popolo(tmp / "base.json", {"organizations": [{"id": "z", "name": "Zeta Coop",
                                                                   "classification": "cooperative"}]})
        load_file(store, base, rejects_dir=tmp)
        before = snapshot(store)
        path = tmp / "fuzz.json"
        path.write_bytes(raw if raw is not None else orjson.dumps(doc))
        try:
            report = load_file(store, path, format="popolo", rejects_dir=tmp)
        except LoadError as e:
            assert str(path) in str(e)
            assert snapshot(store) == before  # a refused document writes nothing
            return
        assert isinstance(doc, dict) and raw is None
        assert report.rows_read == sum(len(doc.get(k) or []) for k in ("persons", "organizations", "posts",
                                                                        "memberships"))
        assert report.rows_read == report.loaded + report.merged + report.rejected
        assert "popolo:base.json" in {s.id for s in store.sources()}  # the earlier source is untouched
        assert all(a.personal_data for a in store.iter_actors(include_persons=True) if a.family == "person")


def test_a_rejected_person_s_contact_details_stay_out_of_the_rejects_file(store, tmp_path):
    """A person's e-mail, birth date, telephone and image are never loaded (data minimisation),
    and a rejected row never copies them into the rejects file (docs/privacy.md, « Rejected
    rows »): the row keeps what the loader reads (id, names), the other fields their names only."""
    secrets = ("jean.dupont@example.fr", "1960-01-01", "06 12 34 56 78", "https://example.fr/jean.jpg", "Roquefort")
    doc = {"persons": [{"id": "p1", "family_name": "", "email": secrets[0], "birth_date": secrets[1],
                        "contact_details": [{"type": "cell", "value": secrets[2]}], "image": secrets[3],
                        "birth_place": secrets[4]},
                       {"id": "p2", "name": "Marie Martin", "email": "marie@example.fr"},
                       {"id": "p2", "name": "Marie Martine", "birth_date": "1971-04-02",
                        "other_names": [{"name": "M. M."}]}],
           "organizations": [], "memberships": []}
    report = load_file(store, write_popolo(tmp_path / "elus.json", doc), rejects_dir=tmp_path)
    assert (report.loaded, report.rejected) == (1, 2)
    rows = {r["column"]: r for r in rejects_of(report)}
    assert set(rows) == {"persons[0].name", "persons[2].id"}
    text = Path(report.rejects_file).read_text(encoding="utf-8-sig")
    assert not [s for s in (*secrets, "1971-04-02") if s in text]
    first, third = (orjson.loads(rows[c]["original"]) for c in ("persons[0].name", "persons[2].id"))
    assert first["id"] == "p1" and set(first) == {"id", "family_name", "email", "birth_date", "contact_details",
                                                  "image", "birth_place"}
    assert third["name"] == "Marie Martine" and third["other_names"] == [{"name": "M. M."}]
