"""Records are checked against the vocabulary; identifiers and dates are validated."""

from __future__ import annotations

import copy

import pytest
from pydantic import ValidationError

from maillage.graph.identifiers import InvalidIdentifier, normalise_identifier, siren_of_siret
from maillage.graph.model import Actor, Identifier, Provenance, Relation, active_in, year_of
from maillage.graph.vocabulary import Vocabulary, VocabularyError, vocabulary

P = Provenance(source="s")


@pytest.mark.parametrize("scheme,raw,expected", [
    ("siren", "732 829 320", "732829320"),
    ("siren", "356000000", "356000000"),          # La Poste
    ("siret", "732.829.320-00074", "73282932000074"),
    ("rna", "w313012345", "W313012345"),
    ("rna", "W2A1002345", "W2A1002345"),           # Corsica
    ("insee_commune", "31555", "31555"),
    ("insee_commune", "2A004", "2A004"),
    ("insee_commune", "97411", "97411"),
])
def test_valid_identifiers(scheme, raw, expected):
    assert normalise_identifier(scheme, raw) == expected


@pytest.mark.parametrize("scheme,raw,why", [
    ("siren", "732829321", "Luhn"),
    ("siren", "73282932", "shape"),
    ("siret", "73282932000075", "Luhn"),
    ("siret", "7,17E+13", "shape"),
    ("rna", "313012345", "shape"),
    ("insee_commune", "3155", "shape"),
    ("nope", "1", "unknown identifier scheme"),
])
def test_invalid_identifiers(scheme, raw, why):
    with pytest.raises(InvalidIdentifier, match=why):
        normalise_identifier(scheme, raw)


def test_siret_rolls_up_to_siren():
    assert siren_of_siret("73282932000074") == "732829320"


def test_actor_checks_family_and_kind():
    Actor(key="a", name="x", family="ess", kind="scic", provenance=P)
    with pytest.raises(ValidationError, match="not a kind of family 'pole'"):
        Actor(key="a", name="x", family="pole", kind="scic", provenance=P)
    with pytest.raises(ValidationError, match="unknown actor family"):
        Actor(key="a", name="x", family="startup", provenance=P)
    with pytest.raises(ValidationError, match="pôle fields"):
        Actor(key="a", name="x", family="ess", pole={"phase": "emergence"}, provenance=P)
    with pytest.raises(ValidationError, match="declared sizes"):
        Actor(key="a", name="x", family="pole", declared={"adherents": 3}, provenance=P)


def test_persons_are_always_personal_data():
    a = Actor(key="p", name="Jeanne Martin", family="person", provenance=P)
    assert a.personal_data is True


def test_identifiers_are_validated_in_records():
    with pytest.raises(ValidationError, match="Luhn"):
        Actor(key="a", name="x", family="ess", identifiers=[{"scheme": "siren", "value": "123456789"}], provenance=P)
    assert Identifier(scheme="siret", value="732 829 320 00074").value == "73282932000074"


def test_relation_fields_are_typed_by_the_vocabulary():
    r = Relation(type="funds", source="a", target="b", provenance=P,
                 fields={"amount": "26956.5", "year": "2014", "nature": "investissement"})
    assert r.fields == {"amount": 26956.5, "year": 2014, "nature": "investissement"}
    with pytest.raises(ValidationError, match="'nature' of 'funds'"):
        Relation(type="funds", source="a", target="b", provenance=P, fields={"nature": "cadeau"})
    with pytest.raises(ValidationError, match="not a field of relation type 'partner'"):
        Relation(type="partner", source="a", target="b", provenance=P, fields={"amount": 3})
    with pytest.raises(ValidationError, match="unknown relation type"):
        Relation(type="likes", source="a", target="b", provenance=P)
    with pytest.raises(ValidationError, match="is not a year"):
        Relation(type="funds", source="a", target="b", provenance=P, fields={"year": 14.5})
    r = Relation(type="supports", source="a", target="b", provenance=P, fields={"form": "co_construction"})
    assert r.fields["form"] == "co_construction"


@pytest.mark.parametrize("d,ok", [("2014", True), ("2014-06", True), ("2014-06-30", True), ("2014-02-30", False),
                                  ("2014-13", False), ("14/06/2014", False), ("9999", False)])
def test_partial_dates(d, ok):
    if ok:
        Relation(type="partner", source="a", target="b", start=d, provenance=P)
    else:
        with pytest.raises(ValidationError):
            Relation(type="partner", source="a", target="b", start=d, provenance=P)


def test_start_after_end_is_refused():
    with pytest.raises(ValidationError, match="after end"):
        Relation(type="partner", source="a", target="b", start="2015", end="2014", provenance=P)


def test_intervals():
    assert year_of("2014-06") == 2014 and year_of(None) is None
    assert active_in("2014", "2016-03", 2016) and not active_in("2014", "2016", 2017)
    assert active_in(None, None, 1990) and not active_in("2020", None, 2019)


def test_statement_id_is_deterministic_and_order_free_for_undirected_types():
    a = Relation(type="partner", source="x", target="y", provenance=P)
    b = Relation(type="partner", source="y", target="x", provenance=P)
    c = Relation(type="funds", source="x", target="y", provenance=P)
    d = Relation(type="funds", source="y", target="x", provenance=P)
    assert a.statement_id() == b.statement_id()
    assert c.statement_id() != d.statement_id()


def test_vocabulary_is_consistent_and_complete():
    v = vocabulary()
    assert set(v.relation_types) >= {"membership", "carries", "funds", "governs", "supports", "hosts", "cooperates",
                                     "contracts", "partner", "founded", "employs", "represents"}
    assert set(v.enum("cooperation_forms")) == {"mutualisation_moyens", "cooperation_strategique",
                                                "mutualisation_projets"}
    assert v.relation_type("cooperates").cooperation and not v.relation_type("funds").cooperation
    assert "funds" in v.types_in_lens("funding") and "funds" not in v.types_in_lens("cooperation")
    assert v.family_of_kind("scic") == "ess" and v.family_of_kind("epci") == "collectivite"
    for f in v.families.values():
        assert f.label("fr") and f.label("en") and f.colour.startswith("#")
    with pytest.raises(VocabularyError, match="unknown lens"):
        v.types_in_lens("gossip")


def test_inconsistent_vocabulary_is_refused():
    raw = dict(vocabulary().raw)
    fams = dict(raw["families"])
    fams["dup"] = {"label": {"fr": "x", "en": "x"}, "art9": "other", "colour": "#000000",
                   "kinds": {"scic": {"fr": "x", "en": "x"}}}
    with pytest.raises(VocabularyError, match="kind 'scic' is in two families"):
        Vocabulary({**raw, "families": fams})


def test_every_coded_field_value_reads_in_french_and_english():
    """A coded value (``accorde``, ``en_nature``) is never what people read: every value of
    every enum field has a French and an English label."""
    voc = vocabulary()
    for rt in voc.relation_types.values():
        for spec in rt.fields.values():
            if spec.type != "enum":
                continue
            assert set(spec.value_labels) == set(spec.values), (rt.name, spec.name)
            for v in spec.values:
                assert set(spec.value_labels[v]) == {"fr", "en"}, (rt.name, spec.name, v)
    funds = voc.relation_type("funds").fields
    assert funds["status"].value_label("accorde") == "accordée"
    assert voc.relation_type("applies_to").fields["status"].value_label("demande") == "en attente"
    assert voc.relation_type("membership").fields["tier"].value_label("partie_prenante", "en") == "stakeholder"


def test_every_relation_type_reads_in_french_and_english_not_as_its_code():
    """What the explorer, maps and exports show for a relation type is its label: in English
    ``funds`` used to read « funds », the code itself; each label differs from its code, and
    the two languages differ."""
    voc = vocabulary()
    assert len(voc.relation_types) >= 14
    for name, rt in voc.relation_types.items():
        assert set(rt.labels) == {"fr", "en"}, name
        for lang in ("fr", "en"):
            label = rt.label(lang)
            assert label.strip() and label.casefold() != name.casefold(), (name, lang, label)
            assert label.replace(" ", "_").casefold() != name.casefold(), (name, lang, label)
        assert rt.label("fr") != rt.label("en"), name
    assert voc.relation_type("funds").label("en") == "provides funding to"


def test_an_enum_value_mapping_needs_both_labels():
    broken = copy.deepcopy(vocabulary().raw)
    broken["relation_types"]["funds"]["fields"]["status"]["values"]["accorde"] = {"fr": "accordée"}
    with pytest.raises(VocabularyError, match="status.values.accorde"):
        Vocabulary(broken)
