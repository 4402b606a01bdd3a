"""How numbers, amounts and dates are written for a reader, in French or in English: the one place
the reports, the console lines, the API's texts (map tooltips, notes) and the explorer's script
take them from (the script gets :data:`AMOUNT` and :func:`date_words` through
:func:`maillage.api.maps.explorer_config`; it writes plain numbers with the browser's
``Intl.NumberFormat``, which follows the same conventions).

- a number: « 12 345,6 » in French (a narrow no-break space between thousands, a decimal comma),
  "12,345.6" in English (:func:`number_text`);
- an amount: « 26 800 € » in French, "€26,800" in English, the sign before the number as an
  English reader writes it (:func:`amount_text`);
- a date as the sources give it, whole or partial (``2024-03-15``, ``2024-03``, ``2024``):
  « 15 mars 2024 », « mars 2024 », « 2024 » in French (« 1er mars 2024 » for the first day of a
  month), "15 March 2024", "March 2024", "2024" in English (:func:`date_text`); a tie's period
  from its start and end (:func:`period_text`: « depuis le 15 mars 2024 », "until 2021").

Only what a reader reads goes through here: the files for machines (CSV, JSON, GEXF exports,
the API's JSON) keep the ISO dates the sources give.

>>> number_text(26800), amount_text(26800), amount_text(26800, "en"), date_text("2024-03", "en"), date_text("2024-03")
('26\u202f800', '26\u202f800 €', '€26,800', 'March 2024', 'mars 2024')
"""

from __future__ import annotations

import re
from typing import Any

#: The months' names, as a date is said (the reports' times: ``maillage.analytics.report.when_text``).
MONTHS = {"fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December")}

#: An amount in euros around its number ``{n}`` (written by :func:`number_text`).
AMOUNT = {"fr": "{n} €", "en": "€{n}"}

#: A partial date in words around ``{day}``, ``{month}`` (its name) and ``{year}``, by language;
#: ``first``, when a language has it, is the first day of a month (French: « 1er mars 2024 »).
DATE_PATTERNS = {"fr": {"month": "{month} {year}", "day": "{day} {month} {year}", "first": "1er {month} {year}"},
                 "en": {"month": "{month} {year}", "day": "{day} {month} {year}"}}

#: A period around ``{start}`` and ``{end}`` (dates in words, :func:`date_text`), by language: an
#: open end says « depuis » or « jusqu'en », and a whole date its day (« depuis le 15 mars 2024 »,
#: « jusqu'au 1er mars 2024 »; ``*_day``).
PERIODS = {"fr": {"between": "{start} – {end}", "since": "depuis {start}", "since_day": "depuis le {start}",
                  "until": "jusqu'en {end}", "until_day": "jusqu'au {end}"},
           "en": {"between": "{start} – {end}", "since": "since {start}", "since_day": "since {start}",
                  "until": "until {end}", "until_day": "until {end}"}}

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def number_text(value: Any, lang: str = "fr", digits: int | None = None) -> str:
    """``value`` as a reader writes it: ``digits`` decimals when given, else a whole number as
    such, a number below 1 with 3 decimals and any other with 1; a string is kept, None is "".

    >>> number_text(12345.6), number_text(12345.6, "en"), number_text(0.25, "fr", 2), number_text(None)
    ('12\u202f345,6', '12,345.6', '0,25', '')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    v = float(value)
    if digits is not None:
        s = f"{v:,.{digits}f}"
    elif v.is_integer():
        s = f"{int(v):,}"
    elif abs(v) < 1:
        s = f"{v:.3f}"
    else:
        s = f"{v:,.1f}"
    if lang != "en":
        s = s.replace(",", "\u202f").replace(".", ",")
    return s


def exact_text(value: Any, lang: str = "fr") -> str:
    """A number as the source states it, without rounding nor useless decimals (a declared size,
    a number of jobs): « 1 200 », « 2,5 »; "1,200", "2.5".

    >>> exact_text(1200.0), exact_text(2.5), exact_text(1234567.25, "en")
    ('1\u202f200', '2,5', '1,234,567.25')
    """
    if value is None or value == "":
        return ""
    return number_text(value, lang, len(f"{float(value):.6f}".rstrip("0").partition(".")[2]))


def amount_text(value: Any, lang: str = "fr", digits: int | None = 0) -> str:
    """An amount in euros: « 26 800 € », "€26,800" (whole euros unless ``digits`` says how many
    decimals; None: as :func:`number_text` writes any number); "" for no amount.

    >>> amount_text(218825.4), amount_text(218825.4, "en"), amount_text(12.5, "en", 2), amount_text(None)
    ('218\u202f825 €', '€218,825', '€12.50', '')
    """
    text = number_text(value, lang, digits)
    if not text:
        return ""
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    return sign + AMOUNT["en" if lang == "en" else "fr"].format(n=text)


def date_text(value: Any, lang: str = "fr") -> str:
    """A date as the sources give it (ISO, whole or partial: ``2024-03-15``, ``2024-03``, ``2024``)
    as a reader of ``lang`` writes it; anything else is kept as it is.

    >>> [date_text(d, "en") for d in ("2024-03-15", "2024-03", "2024", "2024-3")]
    ['15 March 2024', 'March 2024', '2024', '2024-3']
    >>> [date_text(d) for d in ("2024-03-15", "2024-03-01", "2024-03", "2024")], date_text(None, "en")
    (['15 mars 2024', '1er mars 2024', 'mars 2024', '2024'], '')
    """
    if value is None:
        return ""
    text = str(value)
    lang = "en" if lang == "en" else "fr"
    patterns = DATE_PATTERNS[lang]
    m = _DATE.fullmatch(text)
    if m is None or not m[2]:
        return text
    year, month, day = m[1], int(m[2]), m[3]
    if not 1 <= month <= 12 or (day and not 1 <= int(day) <= 31):
        return text
    name = MONTHS[lang][month - 1]
    if not day:
        return patterns["month"].format(month=name, year=year)
    pattern = patterns["first"] if int(day) == 1 and "first" in patterns else patterns["day"]
    return pattern.format(day=int(day), month=name, year=year)


def period_text(start: Any, end: Any, lang: str = "fr") -> str:
    """A tie's period from its ``start`` and ``end`` (dates as the sources give them, either may be
    missing) in words (:func:`date_text`): one date when both are the same (a grant of a day or a
    year), else both, or the open end said (:data:`PERIODS`); "" without either.

    >>> period_text("2016-03", "2018-06-15"), period_text("2022-03-01", "2022-03-01")
    ('mars 2016 – 15 juin 2018', '1er mars 2022')
    >>> period_text("2019-11-15", None), period_text(None, "2021-03-01"), period_text(None, "2021")
    ('depuis le 15 novembre 2019', "jusqu'au 1er mars 2021", "jusqu'en 2021")
    >>> period_text("2019-11", None, "en"), period_text(None, "2021", "en"), period_text(None, None)
    ('since November 2019', 'until 2021', '')
    """
    words = PERIODS["en" if lang == "en" else "fr"]
    if start and end:
        return date_text(start, lang) if str(start) == str(end) else \
            words["between"].format(start=date_text(start, lang), end=date_text(end, lang))
    if start:
        return words["since_day" if _is_day(start) else "since"].format(start=date_text(start, lang))
    if end:
        return words["until_day" if _is_day(end) else "until"].format(end=date_text(end, lang))
    return ""


def _is_day(value: Any) -> bool:
    """Whether ``value`` is a whole date (``2024-03-15``), said « le 15 mars 2024 » in French."""
    m = _DATE.fullmatch(str(value))
    return bool(m and m[3]) and date_text(value) != str(value)  # a day date_text writes in words


def date_words(lang: str = "fr") -> dict[str, Any] | None:
    """What the explorer's script needs to write a date as :func:`date_text` does: the months'
    names and the patterns (``first``: the first day of a month, when the language has one).

    >>> date_words("fr")["first"].format(month="mars", year=2024)
    '1er mars 2024'
    """
    lang = "en" if lang == "en" else "fr"
    return {"months": list(MONTHS[lang]), **DATE_PATTERNS[lang]}


__all__ = ["MONTHS", "AMOUNT", "DATE_PATTERNS", "PERIODS", "number_text", "exact_text", "amount_text", "date_text",
           "period_text", "date_words", "counted", "listed"]


def counted(n: int, one: str, many: str, lang: str = "fr") -> str:
    """``n`` and the words that follow it, agreeing with it: ``one`` in French up to 1 (« 0
    collectivité liée »), in English for 1 only ("0 hosting ties"); ``many`` otherwise — a
    reason or a note says « 2 collectivités liées », not « 2 collectivité(s) liée(s) ».

    >>> counted(2, "collectivité liée", "collectivités liées"), counted(1, "réseau de l'ESS", "réseaux de l'ESS")
    ('2 collectivités liées', "1 réseau de l'ESS")
    >>> counted(0, "lien d'hébergement", "liens d'hébergement"), counted(0, "hosting tie", "hosting ties", "en")
    ("0 lien d'hébergement", '0 hosting ties')
    """
    return f"{exact_text(n, lang)} {one if n == 1 or (lang != 'en' and n < 1) else many}"


def listed(items: list[str], last: str = "and") -> str:
    """Items as a sentence lists them, ``last`` the word before the last one: « a », « a and b »,
    « a, b and c » (« et » in French, « or »…).

    >>> listed(["a"]), listed(["a", "b"], "et"), listed(["a", "b", "c"], "or")
    ('a', 'a et b', 'a, b or c')
    """
    return f"{', '.join(items[:-1])} {last} {items[-1]}" if len(items) > 1 else items[0]
