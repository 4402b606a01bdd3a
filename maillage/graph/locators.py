"""Where a fact is in its source, as people read it: a stored locator (``L12``, a document's
line; ``row 32``, a file's row; ``Membres!row 4``, a sheet's row) becomes « ligne 12 »,
« ligne 32 », « feuille Membres, ligne 4 ». One reading for the maps, the API, the spreadsheet
exports, the criteria's citations and the rejects file."""

from __future__ import annotations

import re

_LOCATOR = re.compile(r"(?:(?P<sheet>.+)!)?(?:(?P<document>L)|row |line )(?P<n>\d+)", re.DOTALL)
_WORDS = {"fr": ("ligne", "feuille"), "en": ("line", "sheet")}


def locator_text(locator: str | None, lang: str = "fr", document_lines: bool = True) -> str:
    """``locator`` in words; anything else kept as given. ``document_lines=False``: a document's
    line (``L12``) is kept as stored (the rejects file's « ligne » is the loaded file's row).

    >>> locator_text("row 32"), locator_text("Membres!row 4"), locator_text("L12", "en"), locator_text("p. 3")
    ('ligne 32', 'feuille Membres, ligne 4', 'line 12', 'p. 3')
    >>> locator_text("L12", document_lines=False)
    'L12'
    """
    m = _LOCATOR.fullmatch(locator or "")
    if m is None or (m["document"] and not document_lines):
        return locator or ""
    line, sheet = _WORDS.get(lang, _WORDS["fr"])
    return f"{sheet} {m['sheet']}, {line} {m['n']}" if m["sheet"] else f"{line} {m['n']}"
