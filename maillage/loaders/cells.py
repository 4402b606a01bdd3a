"""Values as spreadsheets and open-data portals write them: text, amounts, dates, periods, identifiers.

Every parser returns the value or raises :class:`CellError` saying what was expected, so the
loader can write a reject naming the row, the column and the value.

- **Text**: a cell that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, CR) is written
  behind a ``'`` so that a spreadsheet shows it as text (OWASP, « CSV Injection »; maillage's own
  exports, :func:`formula_guarded`); a spreadsheet shows it without the ``'``, and so does
  :func:`unguarded`. Other apostrophes are text (``L'Atelier``, ``'t Hooft``), and so is Excel's
  ``'`` in front of digits (``'0443061841``: an identifier typed as text, read by its parser).
- **Amounts**: ``2400.0``, ``26 956,00`` (thousands spaces, NBSP or narrow NBSP, decimal
  comma), ``1.234.567,89``, ``1,234,567.89``, ``12 000 €``, with the unit as people type it
  (``1000 euros``, ``12 000 € HT``, ``15 k€``, ``1,5 M€``, ``2 millions d'euros``). A single separator followed by
  exactly three digits (``1.234``, ``1,234``) is ambiguous and refused rather than guessed.
  Scientific notation is read for amounts; for identifiers only where its digits allow it
  (``7,17E+13`` is refused: see *SIREN/SIRET* below).
- **Dates** → partial ISO dates: ``2017-09-08`` (also with a time), ``08/09/2017``,
  ``2017/09/08``, ``08-09-2017``, ``08.09.2017``, ``2017``, ``2017-09``, **Excel serial
  numbers** (days since 1899-12-30, between 1960 and 2100) where the column is a date column,
  dates written out in French or English as people type them and Excel's French formats show
  them (``8 septembre 2017``, ``1er mars 2023``, ``lundi 15 mars 2023``, ``sept.-17``,
  ``mars 2023``, ``March 15, 2023``), and two-digit years as Excel reads them
  (``08/09/17``: 00–29 → 2000s, 30–99 → 1900s).
- **Periods** (SCDL ``datesPeriodeVersement``): ``A_B``, ``A/B`` (ISO 8601 interval, or two
  slash dates ``dd/mm/yyyy/dd/mm/yyyy``, or ``2019/2020``), a single date.
- **SIREN/SIRET** (:func:`company_identifier`): the digits checked with the Luhn key
  (`python-stdnum <https://arthurdejong.org/python-stdnum/>`_, which knows La Poste's
  exception). Damage done by spreadsheets is repaired only where the key proves the repair:
  a trailing ``.0`` is dropped, a lost leading zero is restored (13 → 14, 8 → 9 digits) when the
  result passes the key; a SIRET whose key fails but whose first nine digits are a valid SIREN
  keeps the SIREN and flags the SIRET. Scientific notation follows the same rule
  (:func:`scientific_digits`, expanded exactly): ``4.4238180200028E+13`` keeps its 14 digits,
  so its SIRET is kept when the key passes; ``4.17645595E+13`` still holds the nine digits of
  its SIREN (kept, SIRET flagged); ``7,17E+13`` lost them: identifier unknown, said so.
- **Certainty** of a tie (:func:`certainty_of`, every loader that reads one: Kumu, FtM, maillage-jsonl):
  its code, its vocabulary label, or a word people write for it (:data:`~maillage.graph.vocabulary.CERTAINTY_WORDS`: « prévu »,
  « Annoncée », « deduit », « planned »), case and accents aside.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from stdnum.fr import siren as std_siren
from stdnum.fr import siret as std_siret

from maillage.graph.names import fold
from maillage.graph.vocabulary import CERTAINTY_WORDS, certainty_code, vocabulary

SPACES = "\u00a0\u202f\u2009 \t'"  # NBSP, narrow NBSP, thin space, space, tab, apostrophe (Swiss style)


class CellError(ValueError):
    """A value that is not what the column expects; the message says what was expected."""


def blank(text: str | None) -> bool:
    return text is None or not str(text).strip() or str(text).strip().lower() in {"null", "none", "nan", "n/a", "#n/a"}


# ---------------------------------------------------------------------------------------------
# text

#: How a text cell starts that a spreadsheet evaluates as a formula (OWASP, « CSV Injection »).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_guarded(text: str) -> str:
    """``text`` as a cell a spreadsheet never evaluates: behind a ``'`` when it starts like a formula,
    or like a guarded one (``'=x`` → ``''=x``: :func:`unguarded` then gives every text back).

    >>> formula_guarded("=HYPERLINK(1)"), formula_guarded("-33 Coop"), formula_guarded("Coop'Sud")
    ("'=HYPERLINK(1)", "'-33 Coop", "Coop'Sud")
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_START) else text


def unguarded(text: str) -> str:
    """A text cell as a spreadsheet shows it: without the ``'`` of :func:`formula_guarded`, which
    is a mark, not text; any other apostrophe kept.

    >>> [unguarded(x) for x in ("'=HYPERLINK(1)", "'- 49 % des parts", "''=x", "L'Atelier", "'t Hooft", "'0443061841")]
    ['=HYPERLINK(1)', '- 49 % des parts', "'=x", "L'Atelier", "'t Hooft", "'0443061841"]
    """
    return text[1:] if text[:1] == "'" and text.lstrip("'").startswith(FORMULA_START) else text


# ---------------------------------------------------------------------------------------------
# summary rows

_TOTAL = re.compile(r"(?:sous ?)?(?:total|totaux)(?: (?:general|generaux|des|du|de la|de l|pour|au|\d+)\b.*)?")


def total_label(text: str | None) -> bool:
    """Whether a cell is the label of a spreadsheet's summary row — ``TOTAL``, ``Total général``,
    ``Sous-total``, ``Totaux``, ``Total 2023``, ``Total : 42 adhérents`` — rather than a name.
    A name that only starts with the word is a name: ``Total Jeunesse``, ``TotalEnergies``
    (loaders also keep a row whose party has an identifier).

    >>> [total_label(x) for x in ("TOTAL", "Total général", "Sous-total :", "Totaux", "Total 2023",
    ...                           "total des aides versées", "Total : 42 adhérents")]
    [True, True, True, True, True, True, True]
    >>> [total_label(x) for x in ("Total Jeunesse", "TotalEnergies", "Association Total", "", None)]
    [False, False, False, False, False]
    """
    if not text or text.lstrip()[:1] not in "TtSs":  # most names, at the cost of one test
        return False
    return _TOTAL.fullmatch(fold(text)) is not None


# a note written under a list: a footnote, its update's date (folded words), « NB : », « Source : »
_FOOTNOTE = re.compile(r"(?:\(\*+\)|\*+)\s*[^\s*]")
_NOTE = re.compile(r"(?:derniere )?mise? a jour\b|maj (?:le|au|du)\b|liste (?:arretee|etablie|actualisee|mise a jour)\b"
                   r"|(?:etat|situation) au \d")
_NOTE_HEAD = {"nb", "n b", "nota bene", "note", "notes", "remarque", "remarques", "rq", "legende", "source", "sources",
              "attention", "maj", "mise a jour", "derniere mise a jour"}


def note_label(text: str | None) -> bool:
    """Whether a cell is a note written under a list rather than a name: a footnote (« * en cours
    d'adhésion : … », « (*) fondateurs »), the date of an update (« Mis à jour le 12/01/2025 »,
    « Liste arrêtée au 31/12/2024 »), or a word such notes open with, before a colon (« NB : … »,
    « Source : AG 2024 »). A name that only starts with such a word is a name (« Note Bleue »,
    « Sources Vives »); a loader also keeps a row that says more than this one cell.

    >>> [note_label(x) for x in ("* en cours d'adhésion : Scop Lotoise", "(*) membres fondateurs",
    ...                          "Mis à jour le 12/01/2025", "Liste arrêtée au 31/12/2024", "NB : à jour",
    ...                          "N.B. les collectivités ne votent pas", "Source : AG 2024")]
    [True, True, True, True, True, False, True]
    >>> [note_label(x) for x in ("Note Bleue", "Sources Vives", "***", "Mise en Commun", "", None)]
    [False, False, False, False, False, False]
    """
    if not text or not text.strip():
        return False
    raw = text.strip()
    if _FOOTNOTE.match(raw) or _NOTE.match(fold(raw)):
        return True
    head, colon, _ = raw.partition(":")
    return bool(colon) and fold(head) in _NOTE_HEAD


# names withheld: « Personne physique », « Anonyme », « *** » where a publisher removed a name
_WITHHELD = re.compile(
    r"(?:beneficiaires? )?(?:personnes? (?:physiques?|privees?)|particuliers?|anonymes?|anonymisee?s?|"
    r"confidentiel(?:le)?s?|non (?:communiquee?s?|diffusee?s?|publiee?s?|renseignee?s?)|nom masque|masquee?s?|"
    r"donnees? personnelles?|rgpd|nd|n d|x{2,})(?: (?:rgpd|anonymisee?s?|personne physique))?")


def withheld_name(text: str | None) -> bool:
    """Whether a name cell stands for a name the publisher withheld — a natural person's, as the
    SCDL and the RGPD ask (« Personne physique », « PARTICULIER », « Anonyme », « Bénéficiaire
    anonymisé », « Non communiqué », « *** », « XXX ») — rather than naming anyone.

    >>> [withheld_name(x) for x in ("Personne physique", "PERSONNES PHYSIQUES", "Particulier", "Anonyme",
    ...                             "Bénéficiaire anonymisé", "Non communiqué", "***", "XXX", "(RGPD)")]
    [True, True, True, True, True, True, True, True, True]
    >>> [withheld_name(x) for x in ("Atelier Vert", "Association des particuliers", "X", "", None)]
    [False, False, False, False, False]
    """
    if not text or not text.strip():
        return False
    from maillage.graph.names import fold

    folded = fold(text)
    return not folded or _WITHHELD.fullmatch(folded) is not None  # « *** », « --- »: nothing but marks


# ---------------------------------------------------------------------------------------------
# amounts

_SCI = re.compile(r"^[-+]?\d+(?:[.,]\d+)?[eE][-+]?\d+$")


#: ``12 000 € HT``, ``1000 euros``, ``15 k€``, ``1,5 M€``, ``2 millions d'euros``: the unit and a
#: tax qualifier after the number, as people type amounts; group ``mult`` scales it.
_UNIT = re.compile(r"(?P<n>.*?\d[\d\s.,\u00a0\u202f\u2009]*?)\s*"
                   r"(?:(?P<mult>k|m|millions?|milliers?)\s*(?:d['’]\s*|de\s+)?)?"
                   r"(?P<unit>€|eur|euros?)\s*(?:ht|ttc)?\.?", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_MULTIPLIERS = {"k": 1e3, "millier": 1e3, "milliers": 1e3, "m": 1e6, "million": 1e6, "millions": 1e6}


def parse_amount(text: str) -> float:
    """A number as French and English spreadsheets write it (see the module docstring).

    >>> [parse_amount(x) for x in ("26 956,00", "12 000 € HT", "1000 euros", "15 k€", "1,5 M€", "2 millions d'euros")]
    [26956.0, 12000.0, 1000.0, 15000.0, 1500000.0, 2000000.0]
    """
    if _LETTER.search(text) and (m := _UNIT.fullmatch(text.strip())):
        try:
            value = parse_amount(m["n"])
        except CellError as e:  # said of the whole cell, as the reader typed it
            raise CellError(str(e).replace(repr(m["n"]), repr(text))) from None
        return value * _MULTIPLIERS[m["mult"].lower()] if m["mult"] else value
    raw = text
    s = text.strip().replace("€", "").replace("EUR", "").replace("eur", "")
    for ch in SPACES:
        s = s.replace(ch, "")
    if not s:
        raise CellError(f"expected an amount, got {raw!r}")
    neg = s.startswith("-") or (s.startswith("(") and s.endswith(")"))
    s = s.strip("()+-")
    if _SCI.match(s):
        value = float(s.replace(",", "."))
        return -value if neg else value
    if not re.fullmatch(r"[\d.,]+", s) or not re.search(r"\d", s):
        raise CellError(f"expected an amount such as 2400.0 or 26 956,00, got {raw!r}")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:  # the last one is the decimal separator
        dec, thou = (",", ".") if s.rfind(",") > s.rfind(".") else (".", ",")
        if s.count(dec) > 1:
            raise CellError(f"expected an amount, got {raw!r} (several decimal separators)")
        s = s.replace(thou, "").replace(dec, ".")
    elif dots > 1 or commas > 1:  # 1.234.567 / 1,234,567: thousands separators only
        sep = "." if dots else ","
        groups = s.split(sep)
        if not all(len(g) == 3 for g in groups[1:]):
            raise CellError(f"expected an amount, got {raw!r}")
        s = s.replace(sep, "")
    elif dots == 1 or commas == 1:
        sep = "." if dots else ","
        whole, frac = s.split(sep)
        if len(frac) == 3 and whole not in ("", "0") and len(whole) <= 3 and raw.strip() == raw.strip().replace(" ", ""):
            raise CellError(f"amount {raw!r} is ambiguous (thousands separator or decimals?)")
        s = whole + "." + frac
    value = float(s)
    return -value if neg else value


#: The largest amount in euros a single tie may carry: 100 billion euros, a fifth of the State's
#: yearly budget. Above it a value is a typing or unit error (or hostile), not a grant.
MAX_EUROS = 1e11


def check_quantity(value: float, raw: str | None = None, euros: bool = False) -> float:
    """``value`` if a tie may carry it, else :class:`CellError` saying why: a number must be finite
    (``NaN``, ``inf``, ``1e400`` are not); an amount in euros must also be between 0 and
    :data:`MAX_EUROS`. The SCDL defines ``montant`` as the total amount granted, a real number
    (OpenDataFrance, 2018, *Schéma SCDL Subventions* 1.1–2.1, schema.data.gouv.fr): a negative
    value is a cancellation or a refund, not a grant, so it is never loaded as one.

    >>> check_quantity(2400.0, euros=True)
    2400.0
    >>> check_quantity(-5.0, "-5", euros=True)
    Traceback (most recent call last):
    ...
    maillage.loaders.cells.CellError: expected an amount of at least 0 €, got '-5' (a cancellation or a refund is not a grant)
    """
    if (0 <= value <= MAX_EUROS) if euros else math.isfinite(value):
        return value
    shown = repr(raw if raw is not None else value)
    if not math.isfinite(value):
        raise CellError(f"expected a finite number, got {shown}")
    if value < 0:
        raise CellError(f"expected an amount of at least 0 €, got {shown} (a cancellation or a refund is not a grant)")
    raise CellError(f"expected an amount of at most {MAX_EUROS:,.0f} €, got {shown}: a typing or unit error")


# ---------------------------------------------------------------------------------------------
# dates

_EXCEL_EPOCH = date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_YMD_SLASH = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_YM = re.compile(r"^(\d{4})-(\d{1,2})$")
_Y = re.compile(r"^(\d{4})$")
_DMY_SHORT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})$")
#: Month names as people type them and as Excel's French formats display them (« 15 mars 2023 »,
#: « 1er avr. 2019 », « mars-23 »), in French and in English, folded (no accents, lower case).
MONTHS = {name: i for i, names in enumerate((
    "janvier janv jan january", "fevrier fevr fev feb february", "mars mar march", "avril avr apr april",
    "mai may", "juin jun june", "juillet juil jul july", "aout aou aug august",
    "septembre sept sep september", "octobre oct october", "novembre nov november",
    "decembre dec december"), start=1) for name in names.split()}
# on folded text (:func:`maillage.graph.names.fold`: lower case, no accents, punctuation as spaces)
_WEEKDAY = r"(?:(?:lun|mar|mercre|jeu|vendre|same|diman)di|dimanche|(?:mon|tues|wednes|thurs|fri|satur|sun)day) "
_D_MONTH_Y = re.compile(rf"(?:{_WEEKDAY})?(\d{{1,2}})(?:er|st|nd|rd|th)? ([a-z]+) (\d{{4}}|\d{{2}})")
_MONTH_D_Y = re.compile(r"([a-z]+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})")
_MONTH_Y = re.compile(r"([a-z]+) (\d{4}|\d{2})")


def _year(digits: str) -> int:
    """A year of four digits, or of two as Excel reads them: 00–29 → 2000–2029, 30–99 → 1930–1999
    (the spreadsheet the value comes from read it so)."""
    y = int(digits)
    if len(digits) == 2:
        y += 2000 if y < 30 else 1900
    return y


def _month_name_date(s: str, raw: str) -> str | None:
    """``15 mars 2023``, ``1er avril 2019``, ``lundi 15 mars 2023``, ``15-mars-23``, ``mars 2023``,
    ``mars-23``, ``March 15, 2023`` → partial ISO date; None when ``s`` is not one of these."""
    from maillage.graph.names import fold

    t = fold(s)
    if m := _D_MONTH_Y.fullmatch(t):
        if m[2] in MONTHS:
            return _iso(_year(m[3]), MONTHS[m[2]], int(m[1]), raw)
    elif m := _MONTH_D_Y.fullmatch(t):
        if m[1] in MONTHS:
            return _iso(int(m[3]), MONTHS[m[1]], int(m[2]), raw)
    elif (m := _MONTH_Y.fullmatch(t)) and m[1] in MONTHS:
        return f"{_year(m[2]):04d}-{MONTHS[m[1]]:02d}"
    return None


def _iso(y: int, m: int, d: int, raw: str) -> str:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        raise CellError(f"{raw!r} is not a calendar date") from None


def parse_date(text: str, excel_serial: bool = True) -> str:
    """A date as a partial ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``).

    >>> [parse_date(x) for x in ("2017-09-08", "08/09/2017", "08/09/17", "8 septembre 2017", "1er mars 2023",
    ...                          "mars 2023", "sept.-17", "42986")]
    ['2017-09-08', '2017-09-08', '2017-09-08', '2017-09-08', '2023-03-01', '2023-03', '2017-09', '2017-09-08']
    """
    raw = text
    s = text.strip()
    if m := _ISO.match(s):
        return _iso(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _YMD_SLASH.match(s):
        return _iso(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _DMY.match(s):
        return _iso(int(m[3]), int(m[2]), int(m[1]), raw)
    if m := _DMY_SHORT.match(s):
        return _iso(_year(m[3]), int(m[2]), int(m[1]), raw)
    if m := _YM.match(s):
        if not 1 <= int(m[2]) <= 12:
            raise CellError(f"{raw!r} is not a month")
        return f"{m[1]}-{int(m[2]):02d}"
    if _Y.match(s):
        return s
    if excel_serial and re.fullmatch(r"\d{5}(?:\.0+)?|\d{5}\.\d+", s):
        n = float(s)
        d = _EXCEL_EPOCH + timedelta(days=int(n))
        if 1960 <= d.year <= 2100:
            return d.isoformat()
    if any(ch.isalpha() for ch in s):  # a month's name (the numeric forms are above)
        got = _month_name_date(s, raw)
        if got is not None:
            return got
    raise CellError(f"expected a date (2017-09-08, 08/09/2017, 8 septembre 2017, 2017/09/08 or an Excel date number), "
                    f"got {raw!r}")


def parse_period(text: str) -> tuple[str | None, str | None]:
    """A period ``A_B`` or ``A/B`` → (start, end) partial dates (see the module docstring)."""
    s = text.strip()
    if "_" in s:
        a, _, b = s.partition("_")
        return (parse_date(a) if a.strip() else None), (parse_date(b) if b.strip() else None)
    if m := re.fullmatch(r"(\d{4})\s*/\s*(\d{4})", s):
        return m[1], m[2]
    parts = s.split("/")
    if len(parts) == 2:  # ISO 8601 interval 2019-01-01/2019-12-31
        return parse_date(parts[0]), parse_date(parts[1])
    if len(parts) == 6:  # 01/01/2019/31/12/2019
        return parse_date("/".join(parts[:3])), parse_date("/".join(parts[3:]))
    try:
        d = parse_date(s)
    except CellError:
        raise CellError(f"expected a period such as 2017-09-08_2021-09-07 or 2017/09/08_2021/09/07, got {text!r}") from None
    return d, d


# ---------------------------------------------------------------------------------------------
# identifiers

@dataclass
class CompanyId:
    """What could be recovered from a SIREN/SIRET cell. ``note`` says what was repaired or why
    the value was dropped (a warning for the rejects file); ``siren``/``siret`` are valid or None."""

    siren: str | None = None
    siret: str | None = None
    note: str | None = None


def company_identifier(text: str) -> CompanyId:
    """Recover a SIREN and/or SIRET from a cell (see the module docstring)."""
    raw = text
    s = re.sub(r"[\s\u00a0\u202f\u2009'-]", "", text)
    if not s:
        return CompanyId()
    if re.fullmatch(r"\d+(?:[.,]\d+)?[eE][+]?\d+", s):
        return _scientific_identifier(raw, s)
    repaired = []
    if m := re.fullmatch(r"(\d+)[.,]0+", s):
        s = m[1]
        repaired.append("trailing '.0' of a number dropped")
    s = s.replace(".", "")
    if not s.isdigit():
        return CompanyId(note=f"{raw!r} is not a SIREN (9 digits) or SIRET (14 digits)")
    if len(s) in (8, 13) and (std_siren.is_valid("0" + s) if len(s) == 8 else std_siret.is_valid("0" + s)):
        s = "0" + s
        repaired.append("lost leading zero restored (the Luhn key confirms it)")
    note = "; ".join(repaired) or None
    if len(s) == 14:
        if std_siret.is_valid(s):
            return CompanyId(siren=s[:9], siret=s, note=note)
        if std_siren.is_valid(s[:9]):
            return CompanyId(siren=s[:9], note=f"SIRET {raw!r} fails its Luhn key: SIREN {s[:9]} kept, "
                                               "SIRET dropped" + (f" ({note})" if note else ""))
        return CompanyId(note=f"{raw!r} is not a valid SIRET (Luhn key fails, and so does its SIREN)")
    if len(s) == 9:
        if std_siren.is_valid(s):
            return CompanyId(siren=s, note=note)
        return CompanyId(note=f"{raw!r} is not a valid SIREN (Luhn key fails)")
    return CompanyId(note=f"{raw!r} has {len(s)} digit{'s' if len(s) > 1 else ''}: expected a SIREN (9) or a SIRET (14)")


def scientific_digits(text: str) -> tuple[str, int] | None:
    """The digits a number in scientific notation (``4,4238180200028E+13``, ``4.17645595e13``)
    stands for, expanded exactly (no float), and how many of them the spreadsheet kept — the
    digits written in the mantissa; the others are zeros it filled in. None when it is not a
    whole number of at most 14 digits (no identifier is longer).

    >>> scientific_digits("4,4238180200028E+13"), scientific_digits("7,17E+13"), scientific_digits("4.5e2")
    (('44238180200028', 14), ('71700000000000', 3), ('450', 2))
    """
    m = re.fullmatch(r"(\d+)(?:[.,](\d+))?[eE]([+-]?\d+)", text.strip())
    if not m or len(m[3].lstrip("+-")) > 3:
        return None
    mantissa = (m[1] + (m[2] or "")).lstrip("0")
    try:
        value = Decimal(f"{m[1]}.{m[2] or 0}e{m[3]}")
    except InvalidOperation:
        return None
    if not mantissa or value != value.to_integral_value() or value >= Decimal(10) ** 14:
        return None
    digits = str(int(value))
    return digits, min(len(mantissa), len(digits))


def _scientific_identifier(raw: str, s: str) -> CompanyId:
    """A SIREN/SIRET cell a spreadsheet wrote in scientific notation: kept where the digits it
    kept prove it (all 14 of a SIRET, the first 9 of a SIREN, and the Luhn key), else unknown."""
    unknown = CompanyId(note=f"{raw!r} is in scientific notation: digits were lost by a spreadsheet, "
                             "the identifier is unknown")
    got = scientific_digits(s)
    if got is None:
        return unknown
    digits, kept = got
    if len(digits) in (8, 13):  # a lost leading zero: no SIREN or SIRET has 8 or 13 digits
        digits, kept = "0" + digits, kept + 1
    if len(digits) not in (9, 14):
        return unknown
    if kept == len(digits):  # every digit is there: the number as if written out
        whole = company_identifier(digits)
        read = f"{raw!r} read from a spreadsheet's scientific notation"
        if whole.note is None:
            return CompanyId(siren=whole.siren, siret=whole.siret,
                             note=read + f": all {kept} digits are there, {digits} kept (the Luhn key confirms it)")
        return CompanyId(siren=whole.siren, siret=whole.siret, note=f"{whole.note}; {read}")
    if len(digits) == 14 and kept >= 9 and std_siren.is_valid(digits[:9]):
        lost = 14 - kept
        return CompanyId(siren=digits[:9], note=(
            f"SIRET {raw!r} in scientific notation lost its last {f'{lost} digits' if lost > 1 else 'digit'} "
            f"to a spreadsheet: SIREN {digits[:9]} kept, SIRET dropped"))
    return unknown


_RNA = re.compile(r"^W[0-9][0-9AB][0-9]{7}$")


def rna_identifier(text: str) -> tuple[str | None, str | None]:
    """``(rna, note)``: an RNA number (``W`` + 9 characters) or None with the reason."""
    s = re.sub(r"[\s\u00a0.-]", "", text).upper()
    if not s:
        return None, None
    if _RNA.match(s):
        return s, None
    return None, f"{text!r} is not an RNA number (W followed by 9 characters, e.g. W313012345)"


def postal_code(text: str) -> str | None:
    """A French postal code: ``29600.0`` → ``29600``; ``1000`` → ``01000`` (a lost leading zero);
    ``31 000`` → ``31000`` (a space after the département, a person's or a number format's, a
    no-break one too).

    >>> postal_code("29600.0"), postal_code("1000"), postal_code("31 000"), postal_code("46\u00a0100")
    ('29600', '01000', '31000', '46100')
    >>> postal_code("31 0000"), postal_code("3 1000"), postal_code("abc")
    (None, None, None)
    """
    s = re.sub(r"^(\d{2})[ \u00a0\u202f](\d{3})\b", r"\1\2", text.strip())
    if m := re.fullmatch(r"(\d{4,5})(?:[.,]0+)?", s):
        return m[1].zfill(5)
    return None


def insee_commune(text: str) -> str | None:
    """An INSEE commune code: 5 characters, Corsica ``2A``/``2B``; ``8.0``-style damage repaired
    only when 4 digits remain (lost leading zero)."""
    s = text.strip().upper()
    if m := re.fullmatch(r"(\d{4,5}|2[AB]\d{3})(?:[.,]0+)?", s):
        return m[1].zfill(5)
    return None


# ---------------------------------------------------------------------------------------------
# certainty

def certainty_of(text: object) -> str | None:
    """The certainty (its code) a cell or a JSON value names, or None when it names none: the
    vocabulary's one reading (:func:`maillage.graph.vocabulary.certainty_code`).

    >>> certainty_of("prévu"), certainty_of("Prévu, annoncé"), certainty_of("DEDUIT"), certainty_of("sûr")
    ('planned', 'planned', 'inferred', None)
    """
    return certainty_code(text)


def certainty_words(lang: str = "en") -> str:
    """The certainties a reason names as expected: the codes (English words), or in French the
    first French word of each and the codes (« « affirmé », …, ou en anglais stated, … »)."""
    codes = list(vocabulary().enum("certainty"))
    if lang == "fr":
        return ", ".join(f"« {CERTAINTY_WORDS[c][0]} »" for c in codes) + ", ou en anglais " + ", ".join(codes)
    return ", ".join(repr(c) for c in codes)


def unknown_certainty(value: object) -> str:
    """The reason for a certainty :func:`certainty_of` does not read; maillage-jsonl rejects the line."""
    return f"certainty {value!r} is not one of {certainty_words()} (or their labels)"


def certainty_or_stated(value: object) -> tuple[str, str | None]:
    """``(code, None)`` for a certainty :func:`certainty_of` reads (none: ``stated``, the default),
    else ``("stated", warning)``: a Kumu cell or an FtM ``maillage.certainty`` it does not read
    leaves the tie stated by the source, with a warning naming the words expected
    (docs/formats/kumu.md, ftm.md).

    >>> certainty_or_stated("prévue")
    ('planned', None)
    >>> certainty_or_stated("sûr")[1].split(": ")[1]
    "read as 'stated by the source'"
    """
    code = "stated" if value is None or isinstance(value, str) and blank(value) else certainty_of(value)
    if code is not None:
        return code, None
    return "stated", f"{unknown_certainty(value)}: read as {vocabulary().enum('certainty')['stated'].label('en')!r}"
