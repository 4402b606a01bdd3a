"""Name normalisation for lookups and entity resolution.

``name_key`` folds case, accents, apostrophes, punctuation and leading articles, so that
"L'Atelier Coopératif", "l’atelier cooperatif" and "ATELIER COOPERATIF" share a key.
``core_key`` additionally drops the generic words a family puts in front of a name
("PTCE", "pôle", "association", "SCIC"…), so that "PTCE Le Damier" and "LE DAMIER" meet.

>>> name_key("L’Atelier  Coopératif")
'atelier cooperatif'
>>> core_key("PTCE Le Périscope", "pole")
'periscope'
"""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")
_ARTICLES = {"le", "la", "les", "l", "the", "un", "une", "des", "du", "de", "d"}
_SAINT = re.compile(r"\b(st)\b")
_SAINTE = re.compile(r"\b(ste)\b")

# Generic words that say what an actor is rather than which one it is, by family.
_GENERIC: dict[str, tuple[str, ...]] = {
    "pole": ("ptce", "pole territorial de cooperation economique", "pole de cooperation", "pole",
             "cluster", "grappe d entreprises", "grappe"),
    "ess": ("association", "asso", "scic", "scop", "sarl scop", "sas scop", "cooperative", "cae",
            "fondation", "mutuelle", "sas", "sarl"),
    "enterprise": ("sarl", "sas", "sa", "eurl", "sasu", "societe", "entreprise"),
    "network": ("reseau", "federation", "association"),
    "support": ("association",),
}


def fold(text: str) -> str:
    """Lower-case, strip accents, turn punctuation into spaces, collapse whitespace.

    ``+`` is read as a word ("GE+" and "GE'" are two different employers' groups)."""
    t = unicodedata.normalize("NFKD", text.replace("+", " plus "))
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.replace("œ", "oe").replace("æ", "ae").lower()
    t = _PUNCT.sub(" ", t)
    return _SPACE.sub(" ", t).strip()


def name_key(name: str) -> str:
    """The lookup key of a name: folded, ``st``→``saint``, leading articles removed."""
    t = fold(name)
    t = _SAINTE.sub("sainte", _SAINT.sub("saint", t))
    words = t.split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


_QUALIFIER_STOP = {"les", "des", "une", "pour", "sur", "aux", "avec", "non", "nomme", "nommee", "the", "and"}


def qualifiers(name: str) -> frozenset[str]:
    """Significant words in a name's parentheses: "Maison de l'économie solidaire (Ramonville)"
    → {"ramonville"}. Two names whose qualifiers share no word name different actors."""
    words: set[str] = set()
    for inner in re.findall(r"\(([^)]*)\)", name):
        words |= {w for w in fold(inner).split() if len(w) >= 3 and w not in _QUALIFIER_STOP}
    return frozenset(words)


def core_key(name: str, family: str | None = None) -> str:
    """``name_key`` without the generic words of the family in front (or in parentheses)."""
    t = name_key(re.sub(r"\([^)]*\)", " ", name)) or name_key(name)
    for generic in _GENERIC.get(family or "", ()):
        if t.startswith(generic + " ") and len(t) > len(generic) + 1:
            t = t[len(generic) + 1:]
            break
    words = t.split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)
