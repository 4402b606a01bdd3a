"""The words of the printed reports in the reader's language: every report rendered in English
has no French heading left (« Montant connu (EUR) » was mixed in), every report in French no
English one, and the dates of a French report and of its map read as a French reader writes
them (« 1er mars 2022 », not « 2022-03-01 »).

The store: a pôle's member list and a collectivité's subsidy file (test_reports'
``_members_and_grants``: dated grants with amounts, so the funding tables are drawn), analysed."""

from __future__ import annotations

import html
import re

import pytest

from maillage.analytics.report import render_report, when_text
from maillage.analytics.reports import render_observatory_report, render_pole_report, render_territory_report
from maillage.analytics.run import analyse

from _maps import map_data
from test_reports import _members_and_grants

#: Words that only a French heading has (the domain's words « pôle », « collectivité » and
#: « structure porteuse » are kept in English texts, the glossary's terms).
FRENCH_WORDS = ("Montant", "connu", "Financeurs?", "Membres?", "Acteurs?", "Famille", "Années?", "Liens?", "Lieu",
                "Nombre", "Part", "Raisons?", "Niveau", "Rôles?", "Bénéficiaires", "Valeurs?", "Critère", "État",
                "Forme", "Titre", "Fichier", "Chargée", "Précaution", "Pourquoi", "Entre", "inconnue?", "Structures",
                "Identifiant", "Type de", "Sources des", "Financements?", "reçus", "par", "des", "du", "et")
#: Words that only an English heading has.
ENGLISH_WORDS = ("Known", "amount", "Funders?", "Members?", "Actors?", "Family", "Years?", "Ties?", "Place",
                 "Count", "Share", "Reasons?", "Level", "Roles?", "Beneficiaries", "Values?", "Criterion", "State",
                 "Form", "Title", "File", "Loaded", "Caveat", "Why", "Between", "unknown", "Carrying", "EUR",
                 "Funding", "received", "by", "of", "the", "and")


def _headings(page: str) -> set[str]:
    """The headings of a report: its section titles, table captions and column headers (not a
    row's header cell: an actor's name)."""
    page = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    out = set()
    for tag, attrs in (("h2", ""), ("h3", ""), ("caption", ""), ("th", ' scope="col"')):
        for m in re.finditer(rf"<{tag}{attrs}[^>]*>(.*?)</{tag}>", page, re.S):
            text = re.sub(r'<span class="n">.*?</span>', "", m.group(1), flags=re.S)  # (n = 3)
            out.add(html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
    return out


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mots")
    store, pole = _members_and_grants(tmp)
    analyse(store, lens="all")
    run = store.runs()[0].id
    out = {}
    for lang in ("fr", "en"):
        paths = {"pole": render_pole_report(store, pole, tmp / f"pole-{lang}.html", lang=lang),
                 "territory": render_territory_report(store, "departement:31", tmp / f"t-{lang}.html", lang=lang),
                 "territory_year": render_territory_report(store, "departement:31", tmp / f"t22-{lang}.html",
                                                           as_of=2022, lang=lang),
                 "observatory": render_observatory_report(store, tmp / f"o-{lang}.html", lang=lang),
                 "analysis": render_report(store, run, tmp / f"a-{lang}.html", lang=lang)}
        for name, path in paths.items():
            out[name, lang] = path.read_text(encoding="utf-8")
            carte = path.with_name(path.stem + "-carte.html")
            if carte.is_file():
                out[name + "_map", lang] = carte.read_text(encoding="utf-8")
    yield out
    store.close()


@pytest.mark.parametrize("name", ["pole", "territory", "territory_year", "observatory", "analysis"])
def test_an_english_report_has_no_french_heading_and_a_french_one_no_english(pages, name):
    """`--lang en` printed « Known amount (EUR) » (a French unit mark) in the funding tables and
    « Structures porteuses » over a group of the observatory's rows; every heading of each report
    is now in the report's language, the amounts headed "Known amount (€)" / « Montant connu (€) »."""
    for lang, words in (("en", FRENCH_WORDS), ("fr", ENGLISH_WORDS)):
        heads = _headings(pages[name, lang])
        assert heads, name
        leaks = {h for h in heads if re.search(rf"\b({'|'.join(words)})\b", h)}
        assert not leaks, (name, lang, leaks)
    amount = {"en": "Known amount (€)", "fr": "Montant connu (€)"}
    if name in ("pole", "territory", "territory_year"):
        for lang in ("fr", "en"):
            assert amount[lang] in _headings(pages[name, lang]), (name, lang)
    assert "EUR" not in html.unescape(re.sub(r"<[^>]+>", " ", pages[name, "en"]))


def test_the_observatory_groups_its_rows_in_english_in_an_english_report(pages):
    assert "Carrying structures" in pages["observatory", "en"]
    assert "Structures porteuses" in pages["observatory", "fr"]


def test_a_french_reports_map_says_its_grants_dates_in_words(pages):
    """The territory report's map printed « Période : 2022-03-01 – 2022-03-01 » for a grant of
    the 1st of March 2022: now « 1er mars 2022 » (one date, the first day « 1er »), in English
    "1 March 2022"; no ISO date is left in what the map shows."""
    periods = {}
    for lang, label in (("fr", "Période"), ("en", "Period")):
        data = map_data(pages["territory_map", lang])
        periods[lang] = sorted({dict(e["tip"]["rows"]).get(label) for e in data["edges"]} - {None})
        for e in data["edges"]:
            for row in e["tip"]["rows"]:
                assert not re.search(r"\b\d{4}-\d{2}\b", str(row[1])), row
    assert periods["fr"] == ["1er juin 2022", "1er mai 2022", "1er mars 2021", "1er mars 2022"], periods
    assert periods["en"] == ["1 June 2022", "1 March 2021", "1 March 2022", "1 May 2022"], periods


def test_no_date_of_a_report_is_printed_as_the_sources_write_it(pages):
    """The reports print years (funding by year, « situation en 2021 ») and the sources' load
    and the run's times in words (« 1er » on the first day): no ISO date in their text."""
    for (name, lang), page in pages.items():
        if name.endswith("_map"):
            continue
        text = html.unescape(re.sub(r"<svg.*?</svg>|<[^>]+>", " ", page, flags=re.S))
        assert not re.search(r"\b(19|20)\d{2}-\d{2}\b", text), (name, lang, re.findall(r".{40}\d{4}-\d{2}.{20}", text))
    from datetime import datetime

    assert when_text(datetime(2026, 3, 1, 9, 0)) == "1er mars 2026 à 10 h 00"
    assert when_text(datetime(2026, 3, 1, 9, 0), "en") == "1 March 2026, 10:00 (Paris time)"


def test_the_report_texts_examples_hold_and_agree_in_number():
    """The examples of analytics/reports.py, among them a pôle's members in one line: « 1 nommé
    dans les sources », not « 1 nommés » (what a pôle report said of a pôle with one named member)."""
    import doctest

    from maillage.analytics import reports

    result = doctest.testmod(reports)
    assert result.attempted >= 20 and result.failed == 0, result
    assert reports._plural("members_named", 0, "fr") == "0 nommé dans les sources"
