"""Kumu-style workbooks: an Elements sheet and a Connections sheet (XLSX and ODS written by the
tests), mapped onto the vocabulary, with every row accounted for."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _loading import load_file, rejects_of  # load_file: the rejects file in English, the reasons checked
from _workbooks import store_snapshot, write_ods, write_xlsx
from maillage.graph import open_store
from maillage.graph.vocabulary import vocabulary
from maillage.loaders import detect_format
from maillage.loaders.base import LoadError
from maillage.loaders.formats import kumu

ROOT = Path(__file__).resolve().parents[1]

ELEMENTS = [
    ["Label", "Type", "Description", "Tags", "SIREN", "Code postal", "Commune"],
    ["PTCE Le Damier", "PTCE", "grappe d'entreprises culturelles", "culture|ESS", None, "63000", "Clermont-Ferrand"],
    ["Ecosimo", "SCIC", None, None, "450324660", None, None],
    ["Région Auvergne-Rhône-Alpes", "Collectivité", None, None, None, None, None],
    ["Clermont Auvergne Métropole", "EPCI", None, None, None, None, None],
    ["Jeanne Martin", "Personne", "élue, vice-présidente", None, None, "63000", None],
    ["Le Bazar", "Licorne", None, None, None, None, None],
    [None, "Association", "une ligne sans label", None, None, None, None],
    ["Ecosimo", "SCIC", None, None, "450324660", None, None],  # Kumu: same label, same element
]
CONNECTIONS = [
    ["From", "To", "Type", "Direction", "Label", "Montant", "Année", "Collège"],
    ["Ecosimo", "PTCE Le Damier", "membre de", None, "fondateur", None, None, "entreprises"],  # row 2
    ["PTCE Le Damier", "Région Auvergne-Rhône-Alpes", "financé par", None, None, "12 000,50", "2015", None],
    ["Ecosimo", "Le Bazar|Inconnu", "coopère avec", "mutual", None, None, None, None],  # row 4
    ["Jeanne Martin", "Région Auvergne-Rhône-Alpes", "represents", None, None, None, None, None],
    ["Ecosimo", "Le Bazar", "amitié", None, None, None, None, None],  # row 6
    ["X", "Y", "partner of", None, None, None, None, None],  # row 7
    ["Clermont Auvergne Métropole", "Ecosimo", "funds", "mutual", None, "beaucoup", None, None],  # row 8
    ["Ecosimo", "PTCE Le Damier", "membre de", None, "fondateur", None, None, "entreprises"],  # row 9: copy
    ["Ecosimo", "Ecosimo", "partenaire de", None, None, None, None, None],  # row 10
]




@pytest.fixture
def workbook(tmp_path) -> Path:
    return write_xlsx(tmp_path / "carte.xlsx", {"Elements": ELEMENTS, "Connections": CONNECTIONS,
                                                "Brouillon (ignore)": [["From", "To"], ["a", "b"]]})


def ties(store) -> dict[tuple[str, str, str], object]:
    name = {a.id: a.name for a in store.iter_actors(include_persons=True)}
    return {(name[r.source], r.type, name[r.target]): r for r in store.relations()}


def test_workbook_is_detected_and_every_row_accounted_for(store, workbook, tmp_path):
    assert detect_format(workbook) == "kumu"
    r = load_file(store, workbook, rejects_dir=tmp_path)
    # 8 element rows + 9 connection rows; the (ignore) sheet is not read
    assert r.rows_read == 17 and r.rows_read == r.loaded + r.merged + r.rejected
    # rejected: the element without a label; X→Y (both unknown)
    # merged: the second Ecosimo element, the copied connection
    # Ecosimo→Ecosimo: kept with a warning, as every loader keeps a self-tie (left out of analyses)
    assert (r.rejected, r.merged) == (2, 2)
    rows = {(x["row"], x["level"]) for x in rejects_of(r)}
    assert ("Elements!row 8", "rejected") in rows and ("Connections!row 7", "rejected") in rows
    assert ("Connections!row 10", "warning") in rows


def test_elements_become_actors_of_the_vocabulary(store, workbook, tmp_path):
    load_file(store, workbook, rejects_dir=tmp_path)
    by_name = {a.name: a for a in store.iter_actors(include_persons=True)}
    assert (by_name["PTCE Le Damier"].family, by_name["PTCE Le Damier"].kind) == ("pole", "ptce")
    assert by_name["PTCE Le Damier"].location == "commune:63113"
    assert (by_name["Ecosimo"].kind, by_name["Ecosimo"].ess) == ("scic", True)
    assert [i.value for i in by_name["Ecosimo"].identifiers] == ["450324660"]
    region = by_name["Région Auvergne-Rhône-Alpes"]
    assert (region.family, region.kind, region.territory) == ("collectivite", "region", "region:84")
    metro = by_name["Clermont Auvergne Métropole"]
    assert (metro.family, metro.kind) == ("collectivite", "epci")
    person = by_name["Jeanne Martin"]
    assert (person.family, person.personal_data, person.location) == ("person", True, None)
    assert by_name["Le Bazar"].family == "other"
    assert "Jeanne Martin" not in {a.name for a in store.iter_actors()}  # persons are not listed by default


def test_connections_become_typed_relations(store, workbook, tmp_path):
    r = load_file(store, workbook, rejects_dir=tmp_path)
    t = ties(store)
    m = t[("Ecosimo", "membership", "PTCE Le Damier")]
    assert m.fields == {"role": "fondateur", "college": "entreprises"}
    assert m.provenance.locator == "Connections!row 2"
    # "financé par" reads backwards: the Région funds the pôle; Montant and Année fill the fields
    f = t[("Région Auvergne-Rhône-Alpes", "funds", "PTCE Le Damier")]
    assert f.fields == {"amount": 12000.5, "year": 2015}
    assert ("Ecosimo", "cooperates", "Le Bazar") in t  # mutual on an undirected type: one tie
    assert ("Jeanne Martin", "represents", "Région Auvergne-Rhône-Alpes") in t
    assert ("Ecosimo", "related", "Le Bazar") in t  # "amitié": unknown type → related
    # mutual on a directed type: stated both ways
    assert ("Clermont Auvergne Métropole", "funds", "Ecosimo") in t and ("Ecosimo", "funds",
                                                                         "Clermont Auvergne Métropole") in t
    rej = {(x["row"], x["column"]): x for x in rejects_of(r)}
    assert "Inconnu" in rej[("Connections!row 4", "To")]["reason"]
    assert rej[("Connections!row 4", "To")]["level"] == "warning"  # Ecosimo → Le Bazar was loaded
    assert rej[("Connections!row 6", "Type")]["level"] == "warning"
    assert "loaded as 'related to (unqualified)'" in rej[("Connections!row 6", "Type")]["reason"]
    assert "beaucoup" == rej[("Connections!row 8", "Montant")]["value"]
    assert rej[("Elements!row 7", "Type")]["level"] == "warning"  # Licorne


def test_an_unknown_connection_type_is_said_loaded_as_the_french_label_of_related(store, workbook, tmp_path):
    # the French rejects file said « chargé comme 'related' »: the code's word
    r = load_file(store, workbook, rejects_dir=tmp_path, lang="fr")
    (w,) = [x for x in rejects_of(r) if x["value"] == "amitié"]
    assert w["reason"] == ("le type de connexion 'amitié' n'est pas un type de lien du vocabulaire (voir "
                           "docs/formats/kumu.md) : chargé comme « lié à (relation non qualifiée) »")


def test_the_warnings_name_types_fields_and_values_by_their_labels_not_their_codes(tmp_path):
    """The French rejects file said « direction 'undirected' sur 'funds' », « champ 'amount' de
    'funds' laissé vide », « valeur attendue parmi demande, accorde, refuse, prevu »: the code's
    words. Each now names the vocabulary's French label; --lang en its English one."""
    book = write_xlsx(tmp_path / "carte.xlsx", {
        "Elements": [["Label", "Type"], ["Région Occitanie", "Collectivité"], ["Ecosimo", "SCIC"]],
        "Connexions": [["De", "Vers", "Type", "Sens", "Montant", "Statut"],
                       ["Région Occitanie", "Ecosimo", "finance", "non orienté", "beaucoup", "bof"],
                       ["Ecosimo", "Région Occitanie", "héberge", "HgO", None, None]]})
    said = {}
    for lang in ("fr", "en"):
        r = load_file(open_store(":memory:"), book, rejects_dir=tmp_path / lang, lang=lang)
        said[lang] = {x["value"]: x["reason"] for x in rejects_of(r)}
    assert said["fr"] == {
        "non orienté": "direction 'non orienté' sur « finance », qui est orienté : lu De → Vers",
        "HgO": "direction 'HgO' non reconnue (attendu : orienté, non orienté ou mutuel) : ignorée",
        "beaucoup": "montant attendu (par ex. 2400.0 ou 26 956,00), reçu 'beaucoup' : champ « Montant (€) » de "
                    "« finance » laissé vide",
        "bof": "valeur attendue parmi « demandée », « accordée », « refusée », « prévue », reçu 'bof' : champ "
               "« Statut » de « finance » laissé vide"}
    assert said["en"]["non orienté"] == ("direction 'non orienté' on 'provides funding to', which is directed: read "
                                         "De → Vers")
    assert said["en"]["beaucoup"].endswith(": field 'Amount (€)' of 'provides funding to' left empty")
    assert said["en"]["bof"] == ("expected one of 'requested', 'granted', 'refused', 'planned', got 'bof': field "
                                 "'Status' of 'provides funding to' left empty")


def test_a_store_s_reasons_in_code_words_are_still_read_in_french():
    """A rejects reason a store kept from before (the codes, « 'funds' ») still reads in French."""
    from maillage.loaders.motifs import motif

    assert motif("expected an amount such as 2400.0 or 26 956,00, got 'x': field 'amount' of 'funds' left empty") == (
        "montant attendu (par ex. 2400.0 ou 26 956,00), reçu 'x' : champ 'amount' de 'funds' laissé vide")
    assert motif("direction 'undirected' on 'funds', which is directed: read From → To").startswith("direction « ")


def test_reload_changes_nothing(tmp_path, workbook):
    store = open_store(str(tmp_path / "s.db"))
    load_file(store, workbook, rejects_dir=tmp_path)
    before = store_snapshot(store)
    r = load_file(store, workbook, rejects_dir=tmp_path)
    assert store_snapshot(store) == before and r.rows_read == r.loaded + r.merged + r.rejected
    store.close()


def test_ods_workbook_with_french_sheet_names_and_ids(store, tmp_path):
    p = write_ods(tmp_path / "carte.ods", {
        "Éléments": [["ID", "Label", "Type"],
                     ["e1", "Atelier", "Association"],
                     ["e2", "Atelier", "Entreprise"],  # same label, another element
                     ["e3", "Pôle Sud", "PTCE"]],
        "Liens": [["De", "Vers", "Type"],
                  ["e1", "e3", "membre de"],
                  ["e2", "Pôle Sud", "héberge"],
                  ["Atelier", "e3", "partenaire de"]],
    })
    assert detect_format(p) == "kumu"
    r = load_file(store, p, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected) == (6, 5, 1)
    fams = sorted(a.family for a in store.iter_actors() if a.name == "Atelier")
    assert fams == ["enterprise", "ess"]
    t = ties(store)
    assert ("Atelier", "membership", "Pôle Sud") in t and ("Atelier", "hosts", "Pôle Sud") in t
    (amb,) = [x for x in rejects_of(r) if x["level"] == "rejected"]
    assert amb["row"] == "Liens!row 4" and "label of 2 elements" in amb["reason"]


def test_connection_types_by_label_in_french_and_english():
    for text, expected in [("membre de", ("membership", False)), ("Member of", ("membership", False)),
                           ("finance", ("funds", False)), ("Funds", ("funds", False)),
                           ("coopère avec", ("cooperates", False)), ("cooperates with", ("cooperates", False)),
                           ("structure porteuse de", ("carries", False)), ("porté par", ("carries", True)),
                           ("a pour membre", ("membership", True)), ("Subvention", ("funds", False)),
                           ("siège au conseil d'administration", ("governs", False)),
                           ("", ("related", False))]:
        assert kumu.relation_type_of(text)[:2] == expected, text
    assert kumu.relation_type_of("amitié") == ("related", False, False)
    # every relation type of the vocabulary is reachable by its own French and English labels
    for name, rt in vocabulary().relation_types.items():
        for label in rt.labels.values():
            assert kumu.relation_type_of(label)[0] == name, label


def test_elements_only_csv_and_connections_only_csv(store, tmp_path):
    e = tmp_path / "elements.csv"
    e.write_text("Label,Type\nEcosimo,SCIC\nRésam,Association\n", encoding="utf-8")
    r = load_file(store, e, format="kumu", rejects_dir=tmp_path)
    assert r.loaded == 2 and store.relations() == []
    c = tmp_path / "connections.csv"
    c.write_text("From,To,Type\nEcosimo,Résam,partner of\n", encoding="utf-8")
    before = store_snapshot(store)
    with pytest.raises(LoadError, match="cannot be loaded alone"):
        load_file(store, c, format="kumu", rejects_dir=tmp_path)
    assert store_snapshot(store) == before


def test_a_workbook_without_an_elements_sheet_is_refused(store, tmp_path):
    p = write_xlsx(tmp_path / "x.xlsx", {"Feuil1": [["From", "To"], ["a", "b"]], "Connections": [["From", "To"]]})
    assert not kumu.LOADER.sniff(p, p.read_bytes()[:65536])
    with pytest.raises(LoadError, match="no sheet of elements.*Feuil1, Connections"):
        load_file(store, p, format="kumu", rejects_dir=tmp_path)
    with pytest.raises(LoadError, match="no sheet named 'Nope'"):
        load_file(store, p, format="kumu", options={"elements": "Nope"}, rejects_dir=tmp_path)


def test_docs_list_the_connection_columns_and_rules():
    from maillage.loaders.formats.members import columns_markdown

    doc = (ROOT / "docs/formats/kumu.md").read_text(encoding="utf-8")
    assert columns_markdown(kumu.CONNECTION_FIELDS, kumu.CONNECTION_HELP) in doc
    assert kumu.connection_types_markdown() in doc
    assert set(kumu.CONNECTION_HELP) == set(kumu.CONNECTION_FIELDS)


def test_module_examples():
    assert doctest.testmod(kumu).failed == 0


# -- property-based: malformed workbooks ----------------------------------------------------------

LABELS = ["Ecosimo", "Résam", "PTCE X", "", " ", "a|b", "Ecosimo|Résam", "Inconnu", "e1"]
CELL = st.one_of(st.sampled_from(LABELS + ["membre de", "funded by", "mutual", "undirected", "zz", "12,5",
                                           "2015", "31/02/2020", "oui", None]),
                 st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8),  # openpyxl refuses controls
                 st.integers(-5, 10**15), st.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(elements=st.lists(st.lists(CELL, max_size=4), max_size=6),
       connections=st.lists(st.lists(CELL, max_size=6), max_size=6),
       eheader=st.sampled_from([["Label", "Type"], ["ID", "Label", "Type"], ["Name"], ["x"]]),
       cheader=st.sampled_from([["From", "To", "Type", "Direction"], ["De", "Vers", "Montant", "Année"], ["a"]]))
def test_malformed_workbooks_never_crash(tmp_path, elements, connections, eheader, cheader):
    store = open_store(":memory:")
    base = tmp_path / "base.csv"
    base.write_text("Label\nEcosimo\n", encoding="utf-8")
    load_file(store, base, format="kumu", rejects_dir=tmp_path)
    before = store_snapshot(store)
    p = write_xlsx(tmp_path / "k.xlsx", {"Elements": [eheader, *elements], "Connections": [cheader, *connections]})
    try:
        r = load_file(store, p, format="kumu", rejects_dir=tmp_path)
    except LoadError as e:
        assert str(p) in str(e)
        assert store_snapshot(store) == before
    else:
        assert r.rows_read == r.loaded + r.merged + r.rejected
        assert any(s == "kumu:base.csv" for s in store_snapshot(store)[2])
    finally:
        store.close()


def test_a_connection_from_an_element_to_itself_is_kept_with_a_warning(tmp_path):
    """A connection whose From and To are one element — as maillage's own export writes the tie
    of an actor with itself (a Département paying itself EU funds) — is kept as stated, with a
    warning, as every loader keeps a self-tie; it is left out of analyses."""
    p = write_xlsx(tmp_path / "k.xlsx", {
        "Elements": [["ID", "Label", "Type"], ["somme", "Département de la Somme", "Département"]],
        "Connections": [["From", "To", "Type", "amount"], ["somme", "somme", "finance", "35000"]]})
    store = open_store(":memory:")
    r = load_file(store, p, rejects_dir=tmp_path)
    assert (r.rows_read, r.loaded, r.rejected, r.warnings) == (2, 2, 0, 1)
    (itself,) = rejects_of(r)
    assert (itself["row"], itself["level"]) == ("Connections!row 2", "warning") and "to itself" in itself["reason"]
    (tie,) = store.relations()
    assert (tie.type, tie.source == tie.target, tie.fields["amount"]) == ("funds", True, 35000.0)


def test_a_connection_found_to_tie_an_actor_to_itself_when_resolving_names_its_sheet_and_row(tmp_path):
    """« Le Périscope » and « Périscope » are one actor once resolved: the connection between them
    is a self-tie found after parsing, whose rejects line said row « 1000003 » (the loader's own
    numbering of the Connections sheet); it says « Connections!row 3 »."""
    p = write_xlsx(tmp_path / "k.xlsx", {
        "Elements": [["Label", "Type"], ["Le Périscope", "Association"], ["Périscope", "Association"],
                     ["Radio Mix", "Association"]],
        "Connections": [["From", "To", "Type"], ["Radio Mix", "Le Périscope", "membership"],
                        ["Le Périscope", "Périscope", "partnership"]]})
    store = open_store(":memory:")
    r = load_file(store, p, rejects_dir=tmp_path)
    (itself,) = rejects_of(r)
    assert (itself["row"], itself["level"]) == ("Connections!row 3", "warning") and "to itself" in itself["reason"]


def test_a_connection_cell_that_fills_no_field_is_said_not_dropped(tmp_path):
    """Walk h113: an animatrice's edited Kumu map dates its cooperations in an « Année » column.
    « coopère avec » has no year (only grants and foundings do): the cell was dropped without a
    word and the ties counted undated in every year. Each such cell is now a warning naming its
    row, column and value, saying how to date the tie (Début, Fin); a column no relation type
    reads is named in the source's notes (« colonnes non utilisées »), as a member list's is."""
    from maillage.loaders.motifs import motif

    book = write_xlsx(tmp_path / "carte.xlsx", {
        "Elements": [["Label", "Type", "Email"], ["Région Occitanie", "Collectivité", "x@y.fr"],
                     ["Ecosimo", "SCIC", None], ["Résam", "Association", None]],
        "Connections": [["From", "To", "Type", "Année", "Mon commentaire"],
                        ["Région Occitanie", "Ecosimo", "finance", "2015", "à vérifier"],
                        ["Ecosimo", "Résam", "coopère avec", "2024", None]]})
    store = open_store(":memory:")
    said = {}
    for lang in ("en", "fr"):
        r = load_file(store, book, rejects_dir=tmp_path / lang, lang=lang)
        said[lang] = {(x["row"], x["column"], x["value"]): (x["level"], x["reason"]) for x in rejects_of(r)}
    assert said["en"] == {("Connections!row 3", "Année", "2024"): (
        "warning", "'cooperates with' has no field 'Année': not loaded; a tie is dated by the columns Start and End")}
    assert [reason for (_row, _col, value), (_lvl, reason) in said["fr"].items() if value == "2024"] == [
        "« coopère avec » n'a pas de champ 'Année' : non chargé ; un lien est daté par les colonnes Début et Fin"]
    t = ties(store)
    assert t[("Région Occitanie", "funds", "Ecosimo")].fields == {"year": 2015}
    assert t[("Ecosimo", "cooperates", "Résam")].start is None  # not guessed
    assert r.rows_read == r.loaded + r.merged + r.rejected == 5
    notes = [motif(n) for n in r.notes]
    assert "feuille 'Connections' : colonnes non utilisées : Mon commentaire" in notes
    assert "feuille 'Elements' : données personnelles non lues : Email" in notes


def test_a_connection_s_certainty_is_read_by_its_code_or_label(tmp_path):
    """maillage's own export writes each statement's certainty (``provenance_certainty``): a tie
    only announced (« prévu, annoncé », left out of every pôle figure) came back as stated by the
    source. Its code or its French or English label is read; another word is a warning, and the
    tie is read as stated."""
    book = write_xlsx(tmp_path / "carte.xlsx", {
        "Elements": [["Label", "Type"], ["Région Occitanie", "Collectivité"], ["Ecosimo", "SCIC"],
                     ["Résam", "Association"]],
        "Connections": [["From", "To", "Type", "Certitude"],
                        ["Région Occitanie", "Ecosimo", "finance", "Prévu, annoncé"],
                        ["Ecosimo", "Résam", "coopère avec", "implied"],
                        ["Résam", "Région Occitanie", "partenaire de", "sûr"],
                        ["Région Occitanie", "Résam", "finance", None]]})
    store = open_store(":memory:")
    said = {}
    for lang in ("en", "fr"):
        r = load_file(store, book, rejects_dir=tmp_path / lang, lang=lang)
        said[lang] = {(x["row"], x["column"], x["value"]): (x["level"], x["reason"]) for x in rejects_of(r)}
    assert {k: r.provenance.certainty for k, r in ties(store).items()} == {
        ("Région Occitanie", "funds", "Ecosimo"): "planned", ("Ecosimo", "cooperates", "Résam"): "implied",
        ("Résam", "partner", "Région Occitanie"): "stated", ("Région Occitanie", "funds", "Résam"): "stated"}
    assert said["fr"] == {("feuille Connections, ligne 4", "Certitude", "sûr"): (
        "warning", "certitude 'sûr' non reconnue (attendu : « affirmé », « implicite », « déduit », « prévu », ou "
                         "en anglais stated, implied, inferred, planned) : lue comme « affirmé par la source »")}
    assert r.rows_read == r.loaded + r.merged + r.rejected == 7


def test_maillage_s_own_element_columns_and_a_person(tmp_path):
    """The columns maillage's export adds (``location``, ``placeholder``, ``group_count``, ``kind``,
    ``territory``) are read for an organisation — the département of Vaucluse, not the commune of
    the Doubs its Localité also names — and never for a natural person, of whom only the name is
    kept; a « Location » that is no territory id (a map's own) is not read, and said unused."""
    book = write_xlsx(tmp_path / "carte.xlsx", {
        "Elements": [["Label", "Type", "Localité", "location", "placeholder", "group_count", "kind", "territory"],
                     ["le Département (Vaucluse)", "Département", "Vaucluse", "departement:84", "non", None,
                      "departement", "departement:84"],
                     ["les Missions locales", "Structure d'accompagnement", None, "region:76", "oui", "3", None, None],
                     ["Jeanne Martin", "Personne", None, "commune:31555", "oui", "2", None, None]],
        "Connections": [["From", "To", "Type"], ["le Département (Vaucluse)", "les Missions locales", "finance"]]})
    store = open_store(":memory:")
    r = load_file(store, book, rejects_dir=tmp_path)
    got = {a.name: (a.location, a.placeholder, a.group_count, a.territory)
           for a in store.iter_actors(include_persons=True)}
    assert got == {"le Département (Vaucluse)": ("departement:84", False, None, "departement:84"),
                   "les Missions locales": ("region:76", True, 3, None),
                   "Jeanne Martin": (None, False, None, None)}
    other = write_xlsx(tmp_path / "autre.xlsx", {
        "Elements": [["Label", "Type", "Location"], ["Ecosimo", "SCIC", "Clermont"]],
        "Connections": [["From", "To"]]})
    r = load_file(open_store(":memory:"), other, rejects_dir=tmp_path)
    assert "sheet 'Elements': columns not used: Location" in r.notes


def test_a_certainty_is_read_in_the_words_people_write(tmp_path):
    """« prévu » alone was not read (only the whole label « prévu, annoncé » was) and the tie was
    loaded as stated by the source: a tie only announced counted in the pôles' figures. The words
    of one table (:func:`maillage.loaders.cells.certainty_of`), French or English, with or without
    accents, any case, are read; another word is a warning naming it and the words expected, and
    the tie is read as stated (docs/formats/kumu.md)."""
    words = {"prévu": "planned", "PREVUE": "planned", "Annoncé": "planned", "planned": "planned",
             "déduit": "inferred", "Inféré": "inferred", "affirmé": "stated", "Implicite": "implied",
             "incertain": "stated"}
    names = [f"Asso {i}" for i in range(len(words) + 1)]
    book = write_xlsx(tmp_path / "carte.xlsx", {
        "Elements": [["Label", "Type"], *[[n, "Association"] for n in names]],
        "Connections": [["From", "To", "Type", "Certitude"],
                        *[[names[0], names[i + 1], "coopère avec", w] for i, w in enumerate(words)]]})
    store = open_store(":memory:")
    r = load_file(store, book, rejects_dir=tmp_path / "fr", lang="fr")
    got = {t.target: t.provenance.certainty for t in store.relations()}
    ids = {a.name: a.id for a in store.iter_actors()}
    assert {w: got[ids[names[i + 1]]] for i, w in enumerate(words)} == words
    assert {(x["row"], x["column"], x["value"]): (x["level"], x["reason"]) for x in rejects_of(r)} == {
        ("feuille Connections, ligne 10", "Certitude", "incertain"): (
            "warning", "certitude 'incertain' non reconnue (attendu : « affirmé », « implicite », « déduit », "
                       "« prévu », ou en anglais stated, implied, inferred, planned) : lue comme « affirmé par la "
                       "source »")}
