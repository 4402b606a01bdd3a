"""Why a row was rejected or flagged, in the reader's language (French by default).

Loaders state their reasons in English, the language of the code and of the tests
(:class:`~maillage.loaders.base.Reject`); the rejects file is read by the people who loaded the
file — pôle animators, collectivités — so it is written in French unless asked otherwise
(``maillage load --lang en``). This package is the translation table, one module per family of
loaders (and one for entity resolution's proposals, :func:`..resolution.reason_label`); each
entry is

``(pattern, French template, an English reason it translates)``

where *pattern* must match the whole English reason (:func:`re.fullmatch`), its named groups
fill the template (``str.format``), a group named ``motif…`` is itself a reason (a cell's
error inside a row's reason) and is translated in turn, and a group named ``where…`` is a list of
rows as a load's note names them (« 2, 9 », or a workbook's « Collège A!row 4 ») and is written
in words (« lignes 2, 9 », « feuille Collège A, ligne 4 »: :func:`rows_text`); any other group
that is a whole number grouped the English way (« 1,000 ») is grouped the French way (« 1 000 »:
:func:`french_grouping`). The third member is an example: the
tests check that every entry translates it, and that every reason a loader gives on the real
files and the hostile corpus has an entry. A reason no entry matches is written as given
(a store written by another version, a message of a library): English, never lost.

>>> motif("same values as row 12: counted once")
'mêmes valeurs que la ligne 12 : comptée une fois'
>>> motif("same values as row 12: counted once", "en")
'same values as row 12: counted once'
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import cells, commands, common, governance, notes, resolution, sirene, subsidies, tables

#: Every entry, the families' tables in order (the first that matches wins); the notes of a load
#: (what reading a file noticed), then the errors of the other commands, last.
ENTRIES: tuple[tuple[str, str, str], ...] = (*common.FR, *cells.FR, *subsidies.FR, *tables.FR, *sirene.FR,
                                              *governance.FR, *resolution.FR, *notes.FR, *commands.FR)

LANGS = ("fr", "en")


def _literal_prefix(pattern: str) -> str:
    """The characters every match starts with (up to the first regex metacharacter): a cheap
    test before the regex.

    >>> _literal_prefix(r"same values as row (?P<row>\\d+)"), _literal_prefix(r"an? amount")
    ('same values as row ', 'a')
    """
    out = []
    for ch in pattern:
        if ch in ".^$*+?{}[]\\|()":
            if ch in "?*{" and out:  # the character before is optional, or repeated: not certain
                out.pop()
            break
        out.append(ch)
    return "".join(out)


_COMPILED = tuple((_literal_prefix(p), re.compile(p, re.DOTALL), fr) for p, fr, _ in ENTRIES)


@lru_cache(maxsize=None)
def _candidates(first: str) -> tuple:
    """The entries a reason starting with ``first`` can match, in table order: those whose
    literal prefix starts with it, and those with none (a file of a million distinct reasons
    tries a few dozen patterns each, not all of them)."""
    return tuple(e for e in _COMPILED if not e[0] or e[0][0] == first)


_ROW_ITEM = re.compile(r"(.*?!row \d+|\d+|…)(?:, |$)", re.DOTALL)


def rows_text(rows: str) -> str:
    """The rows a note lists (the file's row numbers, or the locators of a workbook's rows, as
    :func:`maillage.graph.locators.locator_text` reads them), in French words.

    >>> rows_text("2"), rows_text("2, 9, …"), rows_text("Collège A!row 4, Collège B!row 3")
    ('ligne 2', 'lignes 2, 9, …', 'feuille Collège A, ligne 4 ; feuille Collège B, ligne 3')
    """
    from maillage.graph.locators import locator_text

    items = [m[1] for m in _ROW_ITEM.finditer(rows) if m[1]]
    if not items or "".join(f"{x}, " for x in items) != rows + ", ":  # not a list of rows: as given
        return rows
    if all(x.isdigit() or x == "…" for x in items):  # the file's rows: « lignes 2, 9 »
        return ("ligne " if len(items) == 1 else "lignes ") + ", ".join(items)
    return " ; ".join(locator_text(x) for x in items)


_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")


def french_grouping(value: str) -> str:
    """A whole number grouped the English way (« 99,724 », as a reason writes it) grouped the
    French way (« 99\u202f724 »: a comma there would read as a decimal one); anything else as given.

    >>> french_grouping("99,724"), french_grouping("1,000"), french_grouping("2, 9"), french_grouping("12")
    ('99\u202f724', '1\u202f000', '2, 9', '12')
    """
    return value.replace(",", "\u202f") if _GROUPED.fullmatch(value) else value


@lru_cache(maxsize=65536)
def _fr(reason: str) -> str | None:
    for prefix, rx, template in _candidates(reason[:1]):
        if not reason.startswith(prefix):
            continue
        m = rx.fullmatch(reason)
        if m is None:
            continue
        groups = {k: ("" if v is None else (_fr(v) or v) if k.startswith("motif") else rows_text(v)
                      if k.startswith("where") else french_grouping(v))
                  for k, v in m.groupdict().items()}
        return _elided(template, groups).format(**groups)
    return None


#: The capitals before which French elides « de » and « que » in a name (« d'Évry », not « de
#: Évry »); a value in small letters is a code or a list of words (« l'une de : en cours, … »).
_VOWELS = frozenset("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸ")


def _elided(template: str, groups: dict[str, str]) -> str:
    """``template`` with « de {x} » as « d'{x} » (« que » as « qu' ») where the value of ``x`` is a
    name beginning with a vowel: « le nom de Évry-Courcouronnes » → « le nom d'Évry-Courcouronnes ».

    >>> _elided("le nom de {name}, de {cp}", {"name": "Évry", "cp": "91000"})
    "le nom d'{name}, de {cp}"
    """
    return re.sub(r"\b(de|que) \{(\w+)\}", lambda m: (f"{m.group(1)[:-1]}'{{{m.group(2)}}}"
                                                    if groups.get(m.group(2), "")[:1] in _VOWELS else m.group(0)),
                  template)


def motif(reason: str, lang: str = "fr") -> str:
    """``reason`` (English, as a loader states it) in ``lang``: French by default, English as
    given; a reason the table does not know is returned as given."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    if lang == "en" or not reason:
        return reason
    return _fr(reason) or reason


def translated(reason: str) -> bool:
    """Whether the table has an entry for ``reason`` (the tests' coverage check)."""
    return _fr(reason) is not None
