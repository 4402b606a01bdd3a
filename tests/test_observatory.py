"""The observatory table (maillage.analytics.observatory): RTES statistics computed from the
hand-built ecosystem of ``test_pole_diagnostics.py`` (values worked out by hand below), the
published values checked against the RTES document, and the reference dataset."""

from __future__ import annotations

import re

import pytest
from test_pole_diagnostics import build_store

from maillage.analytics.observatory import FUNDING_2015, GROUPS, legal_form_class, observatory_table
from maillage.graph import open_store


@pytest.fixture
def store(tmp_path):
    s = build_store(tmp_path)
    yield s
    s.close()


def table(store, **kw):
    return {r.key: r for r in observatory_table(store, **kw)}


def test_hand_built_presence_and_partners(store):
    t = table(store, as_of=2015)
    # 4 pôles; the Fantôme has no documented partner
    assert (t["poles"].value, t["poles_documented"].value, t["poles_documented"].n_poles) == (4, 3, 3)
    # Coop'Essai: Région, Sicoval (funds its SCIC), Département, Ramonville; the other two: none
    assert t["mean_collectivites"].value == pytest.approx(4 / 3) and t["mean_collectivites"].n == 3
    assert t["median_collectivites"].value == 0
    assert t["poles_without_collectivite"].value == 2
    # public partners of Coop'Essai: 4 collectivités + État = 5, in 2..6
    assert t["share_2_6_public_partners"].value == pytest.approx(1 / 3)
    for key in ("share_region", "share_epci", "share_departement", "share_commune", "share_state"):
        assert t[key].value == pytest.approx(1 / 3) and t[key].n == 3, key
    assert t["share_pnr_petr"].value == 0 and t["share_eu"].value == 0


def test_hand_built_roles(store):
    t = table(store, as_of=2015)
    # pairs of Coop'Essai: Région (fonctionnement, gouvernance), Sicoval (investissement),
    # Département (conseil & ingénierie; its refused request is no role), Ramonville (hosting), État
    r = t["role_conseil_ingenierie"]
    assert (r.value, r.n, r.n_poles) == (pytest.approx(1 / 5), 5, 1)
    assert t["role_aide_fonctionnement_region"].value == 1.0 and t["role_aide_fonctionnement_region"].n == 1
    state = t["role_aide_fonctionnement_state"]
    assert state.value == 0.0 and state.n == 1 and "; 1 couple avec un financement de nature non précisée ;" in state.note
    assert t["role_aide_fonctionnement_local"].value == 0.0 and t["role_aide_fonctionnement_local"].n == 3
    assert t["role_aide_investissement"].value == pytest.approx(1 / 4)
    assert t["role_mise_a_disposition"].value == pytest.approx(1 / 4)
    assert t["role_conseil_ingenierie_pnr_petr"].value is None and t["role_conseil_ingenierie_pnr_petr"].unknown


def test_the_notes_agree_with_their_numbers(store):
    """The observatory's notes said « 1 couple(s) », « montant connu pour 1 financement(s) sur 1 »,
    « aucun montant connu (0 financement(s)) », "2 of 2 (collectivité, pôle) pair(s)"."""
    said = {lang: {k: r.note or r.unknown for k, r in table(store, as_of=2015, lang=lang).items()
                   if k in ("role_aide_fonctionnement_state", "median_amount_per_collectivite",
                            "funding_epci_total", "funding_eu_total")} for lang in ("fr", "en")}
    assert "; 1 couple avec un financement de nature non précisée ;" in said["fr"].pop("role_aide_fonctionnement_state")
    assert "; 1 pair with a funding tie of unstated nature;" in said["en"].pop("role_aide_fonctionnement_state")
    assert said == {"fr": {"median_amount_per_collectivite": "montant connu pour 2 couples (collectivité, pôle) sur 2",
                           "funding_epci_total": "montant connu pour 1 financement sur 1",
                           "funding_eu_total": "aucun montant connu (0 financement)"},
                    "en": {"median_amount_per_collectivite": "amount known for 2 of 2 (collectivité, pôle) pairs",
                           "funding_epci_total": "amount known for 1 of 1 funding tie",
                           "funding_eu_total": "no amount known (0 funding ties)"}}


def test_hand_built_funding(store):
    t = table(store, as_of=2015)
    assert t["median_collectivites_funding"].value == 2 and t["median_collectivites_funding"].n == 1
    m = t["median_amount_per_collectivite"]
    assert (m.value, m.n, m.n_poles) == (35000, 2, 1)  # Région 50 k (stated twice, once), Sicoval 20 k
    assert t["total_collectivites"].value == 70000 and t["total_collectivites"].n == 2
    assert (t["funding_region_poles"].value, t["funding_region_total"].value, t["funding_region_median"].value) == (
        1, 50000, 50000)
    assert t["funding_epci_total"].value == 20000 and t["funding_state_total"].value == 20000
    # the Département's request was refused: no funding, an explicit unknown amount (never 0 €)
    assert t["funding_departement_poles"].value == 0
    assert t["funding_departement_total"].value is None and t["funding_departement_total"].unknown
    assert t["funding_region_total"].published == FUNDING_2015["region"][0] == 1_239_000
    # as of 2016 the 2015 grants no longer hold
    later = table(store, as_of=2016)
    assert later["funding_region_poles"].value == 0 and later["median_amount_per_collectivite"].value is None


def test_hand_built_structures_and_profile(store):
    t = table(store, as_of=2015)
    # the SCIC carries Coop'Essai; Pôle Lucratif is a SAS itself; the other two: unknown
    assert t["legal_form_scic"].value == 0.5 and t["legal_form_scic"].n == 2
    assert t["legal_form_autre"].value == 0.5 and t["legal_form_association"].value == 0.0
    assert t["legal_form_none"].value is None and t["legal_form_none"].published == 0.11
    assert t["median_age"].value == 2.5 and t["median_age"].n == 2  # 2015 − 2010, 2015 − 2015
    assert "2015" in t["median_age"].label
    assert t["median_members"].value == 5 and t["mean_members"].value == 16  # declared 5, 40, 3
    assert t["median_jobs"].value == 120 and t["median_jobs"].n == 1
    assert t["phase_consolidation"].value == 0.5 and t["phase_creation"].value == 0.5
    assert t["phase_restructuration"].value == 0.0 and t["phase_restructuration"].n == 2


def test_legal_form_classes():
    assert legal_form_class("SCIC SAS", None) == "scic"
    assert legal_form_class("association loi 1901", "scic") == "association"
    assert legal_form_class("GEIE", None) == "autre"
    assert legal_form_class(None, "scop") == "autre"
    assert legal_form_class(None, "cbe") is None and legal_form_class(None, None) is None


def test_empty_store_gives_unknowns_with_reasons():
    rows = observatory_table(open_store(":memory:"))
    for r in rows:
        assert r.n == 0
        if r.statistic != "count":
            assert r.value is None and r.unknown, r.key


# the published value of each row, as the RTES document states it at the cited lines
PUBLISHED_TEXT = {
    "mean_collectivites": "3 partenaires en moyenne",
    "poles_without_collectivite": "Seuls 3 projets",
    "share_2_6_public_partners": "90 % des pôles sont en relation avec 2 à 6 partenaires",
    "share_region": "trois-quarts des projets",
    "share_departement": "50 % des pôles",
    "share_commune": "52 % des projets",
    "share_pnr_petr": "15 % des projets",
    "share_eu": "3 projets (5%)",
    "role_conseil_ingenierie": "un tiers des projets",
    "role_conseil_ingenierie_pnr_petr": "75 % des cas",
    "role_aide_fonctionnement_region": "84 % des projets sont soutenus par les Régions",
    "role_aide_fonctionnement_state": "70 % soutenus par l'État",
    "role_aide_fonctionnement_local": "60 % des projets par les départements",
    "role_aide_investissement": "20 % à 30 %",
    "role_mise_a_disposition": "10 à 20 %",
    "median_collectivites_funding": "2 collectivités",
    "median_amount_per_collectivite": "25 000€",
    "total_collectivites": "3,25 millions",
    "legal_form_association": "association (65%)",
    "legal_form_scic": "SCIC (16%)",
    "legal_form_none": "11 %",
    "median_age": "l'âge médian des pôles est de 3 ans",
    "median_members": "14 structures",
    "median_jobs": "88 personnes",
    "phase_consolidation": "50 %",
    "phase_creation": "40 %",
    "phase_restructuration": "plus de 10 %",
}


def test_published_values_are_those_of_the_rtes_document(shared):
    lines = next((shared / "seeds").glob("000_*.txt")).read_text(encoding="utf-8").splitlines()
    rows = table(open_store(":memory:"))
    for key, text in PUBLISHED_TEXT.items():
        ref = rows[key].reference
        m = re.search(r"000 L(\d+)(?:-(\d+))?", ref or "")
        assert m, (key, ref)
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        window = " ".join(lines[a - 1:b]).replace("*", "")
        assert text in window, (key, ref, text)
    # the funding table of 2015: total, projects, median per level (000 L550-560)
    table_lines = "\n".join(lines[549:560])
    names = {"commune": "Communes", "epci": "Intercommunalités", "departement": "Départements",
             "region": "Régions", "state": "État", "eu": "Europe"}
    for level, (total, projects, med) in FUNDING_2015.items():
        row = next(ln for ln in table_lines.splitlines() if ln.startswith(names[level]))
        cells = row.split("\t")
        assert [int(cells[2]), int(cells[4]), int(cells[6])] == [total / 1000, projects, med / 1000], level


def test_reference_rows_carry_sample_sizes(reference):
    rows = observatory_table(reference)
    keys = [r.key for r in rows]
    assert len(keys) == len(set(keys)) and len(rows) >= 45
    assert {r.group for r in rows} == set(GROUPS)
    by = {r.key: r for r in rows}
    assert by["poles"].value >= 70
    nd = by["poles_documented"].value
    assert 0 < nd < by["poles"].value  # most annex pôles are named only
    for r in rows:
        assert isinstance(r.n, int) and isinstance(r.n_poles, int) and r.n >= 0
        assert (r.value is None) == bool(r.unknown) or r.statistic == "count", r.key
        if r.statistic == "share" and r.value is not None:
            assert 0 <= r.value <= 1 and r.n > 0
        if r.published is not None or r.published_range:
            assert r.reference and (r.reference.startswith("RTES 2016, 000 L") or "001 L" in r.reference), r.key
    assert by["share_region"].n == nd and by["share_region"].published == 0.75
    # the reference data state no amount: amounts are unknown, never 0 €
    assert by["median_amount_per_collectivite"].value is None and by["total_collectivites"].value is None
    assert by["funding_state_poles"].value >= 5  # the AAP PTCE laureates
    assert by["legal_form_association"].n >= 10 and by["median_members"].n >= 10
    en = {r.key: r for r in observatory_table(reference, lang="en")}
    assert en["share_region"].label == "Share of pôles involving Region"
    assert en["share_region"].group_label == "Presence of collectivités"


def test_an_english_observatory_says_the_published_values_in_english(reference):
    """An English report printed the studies' values in French (« 3 partenaires en moyenne »,
    « 20 à 30 % », « 1 239 k€ (2015) »): now in English, the same figures; a quotation stays in
    French with its English after it. A French report keeps the study's words."""
    fr = {r.key: r.published_text for r in observatory_table(reference)}
    en = {r.key: r.published_text for r in observatory_table(reference, lang="en")}
    assert fr["mean_collectivites"] == "3 partenaires en moyenne"
    assert en["mean_collectivites"] == "3 partners on average"
    assert en["role_aide_investissement"] == "20 to 30%" and en["share_commune"] == "52%"
    assert en["funding_region_total"] == "€1,239k (2015)" and en["funding_region_poles"] == "29 projects (2015)"
    assert en["mean_members"] == "« en moyenne quinze structures » (on average fifteen structures)"
    french = re.compile(r"\b(à|des|pour|en moyenne|projets|personnes|ans|nés|près|plus de|profil|donne)\b| %|k€")
    for key, text in en.items():
        if text is None:
            assert fr[key] is None, key
            continue
        unquoted = re.sub(r"«[^»]*»", "", text)
        assert not french.search(unquoted), (key, text)
        # the same first figure, written the English way (« 25 000 » → "25,000", « 3,25 » → "3.25")
        first_fr = re.findall(r"\d+", re.sub(r"[\u202f ](?=\d{3})", "", fr[key]).replace(",", "."))[:1]
        assert re.findall(r"\d+", text.replace(",", ""))[:1] == first_fr, (key, text)


def test_the_panel_size_says_which_study_surveyed_how_many_poles(shared):
    """The panel row said « ≈ 50 à 70 pôles interrogés », as if the 2016 study had surveyed
    between 50 and 70: the fifty were the first study's, of 2013 (000 L63 « Après la réalisation
    d'une 1ère étude auprès d'une cinquantaine d'initiatives »), the 2016 update surveyed 70
    (000 L1111 « étude actualisée auprès de 70 pôles »)."""
    lines = next((shared / "seeds").glob("000_*.txt")).read_text(encoding="utf-8").splitlines()
    assert "1ère étude auprès d'une cinquantaine d'initiatives" in lines[62]
    assert "étude actualisée auprès de 70 pôles" in lines[1110]
    assert "37 projets en 2015" in lines[505].replace("*", "")
    row = {r.key: r for r in observatory_table(open_store(":memory:"))}["poles"]
    assert row.published_text.startswith("70 pôles interrogés en 2016 (une cinquantaine lors de la 1re étude, en 2013)")
    assert "50 à 70" not in row.published_text
    assert row.reference == "RTES 2016, 000 L63, L385, L506, L1111"
    en = {r.key: r for r in observatory_table(open_store(":memory:"), lang="en")}["poles"]
    assert en.published_text.startswith("70 pôles surveyed in 2016 (about fifty in the first study, 2013)")
