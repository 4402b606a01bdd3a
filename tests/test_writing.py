"""Numbers, amounts and dates as a reader writes them (maillage.writing), one table for every
place that writes them: the reports, the map tooltips, the explorer's script."""

from __future__ import annotations

import doctest

import maillage.writing as writing
from maillage.api.maps import EXPLORER_STRINGS, explorer_config
from maillage.writing import amount_text, date_text, number_text, period_text


def test_the_examples_hold():
    result = doctest.testmod(writing, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 5 and result.failed == 0, result


def test_an_english_reader_writes_the_euro_sign_first_and_dates_in_words():
    """« 26,800 € » and « 2024-03 » were the French and ISO ways in English texts."""
    assert amount_text(26800, "en") == "€26,800" and amount_text(26800) == "26\u202f800 €"
    assert amount_text(1234.5, "en", 2) == "€1,234.50" and amount_text(1234.5, "fr", 2) == "1\u202f234,50 €"
    assert [date_text(d, "en") for d in ("2024", "2024-03", "2024-03-01")] == ["2024", "March 2024", "1 March 2024"]
    assert date_text("2024-13", "en") == "2024-13" and date_text("vers 2020", "en") == "vers 2020"
    assert number_text(-1500, "en") == "-1,500" and amount_text(-1500, "en") == "-€1,500"


def test_the_explorer_writes_them_from_the_same_table():
    """explorer.js fills its « euros » text and writes dates from what explorer_config gives it:
    the same patterns and months as maillage.writing."""
    for lang in ("fr", "en"):
        assert EXPLORER_STRINGS[lang]["euros"].format(n="26,800" if lang == "en" else "26\u202f800") == \
            amount_text(26800, lang)
    dates = explorer_config("en")["dates"]
    assert dates["months"][2] == "March" and dates["month"].format(month="March", year="2024") == "March 2024"
    assert dates["day"].format(day=15, month="June", year="2018") == date_text("2018-06-15", "en")
    fr = explorer_config("fr")["dates"]
    assert fr["first"].format(month=fr["months"][2], year="2022") == date_text("2022-03-01") == "1er mars 2022"
    assert fr["day"].format(day=15, month=fr["months"][5], year="2018") == date_text("2018-06-15")
    strings = EXPLORER_STRINGS["fr"]
    assert strings["since_day"].format(start=date_text("2019-11-15")) == period_text("2019-11-15", None)
    assert strings["until"].format(end="2021") == period_text(None, "2021")


def test_a_french_reader_reads_dates_in_words_the_first_of_a_month_1er():
    """A French report's map printed « 2024-03 » and « 2022-03-01 – 2022-03-01 » where a French
    reader writes « mars 2024 » and « 1er mars 2022 »: the months in words, « 1er » for the first
    day, a grant of one day said once, « depuis le » / « jusqu'au » before a whole date."""
    assert [date_text(d) for d in ("2024", "2024-03", "2024-03-15", "2024-03-01", "2024-08-01")] == \
        ["2024", "mars 2024", "15 mars 2024", "1er mars 2024", "1er août 2024"]
    assert date_text("2024-13") == "2024-13" and date_text("2024-03-32") == "2024-03-32" and date_text("vers 2020") == \
        "vers 2020"
    assert period_text("2022-03-01", "2022-03-01") == "1er mars 2022"
    assert period_text("2022-03-01", "2022-03-01", "en") == "1 March 2022"
    assert period_text("2016-03", "2018-06-15") == "mars 2016 – 15 juin 2018"
    assert period_text("2019-11-15", None) == "depuis le 15 novembre 2019"
    assert period_text("2019-11", None) == "depuis novembre 2019"
    assert period_text(None, "2021-03-01") == "jusqu'au 1er mars 2021"
    assert period_text(None, "2021") == "jusqu'en 2021" and period_text(None, "2021", "en") == "until 2021"
    assert period_text(None, None) == ""
