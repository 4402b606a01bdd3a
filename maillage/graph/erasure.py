"""The right to erasure (RGPD, art. 17): a natural person removed from the store at their request.

:meth:`~maillage.graph.store.Store.forget_person` removes, in one transaction, the person's
actor, every statement of it from every source (names, identifiers), its ties in both directions
(with their provenance), its values in the analysis runs, the review proposals and decisions
about it; its name, wherever free text of the store writes it (a quote, a tie's fields, a
source's title or notes), becomes « [personne effacée] » (:func:`text_eraser`). The other
persons keep their numbers (:mod:`maillage.graph.numbering`).

The store remembers the erasure without keeping the data: a keyed hash (BLAKE2b, RFC 7693,
keyed with a random key of the store's own) of each name key (:func:`~maillage.graph.names.name_key`)
and identifier of the person, never the name (:class:`Erasures`, kept under
:data:`ERASURES_KEY` as the persons' numbers are). A later load stating that person again rejects
the row (:data:`ERASED_REASON`, its content left out of the rejects file:
:mod:`maillage.loaders`). docs/privacy.md, « Right to erasure ».
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .masking import letter_classes, needle_test, person_masker, person_needles
from .model import Actor
from .names import name_key
from .numbering import maskable

#: What replaces the erased person's name in the free text of the store.
ERASED_TEXT = "[personne effacée]"
#: The key of the ``meta`` table (a ``:MaillageMeta`` node on Neo4j) holding :class:`Erasures`.
ERASURES_KEY = "erased_persons"
#: Why a row stating an erased person is rejected (French: « personne effacée à sa demande
#: (RGPD, art. 17) », :mod:`maillage.loaders.motifs`).
ERASED_REASON = "person erased at their request (GDPR, art. 17)"


@dataclass(frozen=True)
class Erasures:
    """The store's memory of its erasures: its random key and the keyed hashes of the erased
    persons' name keys and identifiers. Whoever holds the store can test a guessed name against
    it (that is how a load refuses the person), not read a name back."""

    key: bytes
    hashes: frozenset[str] = frozenset()

    @classmethod
    def new(cls) -> Erasures:
        return cls(secrets.token_bytes(32))

    def digest(self, mark: str) -> str:
        return hashlib.blake2b(mark.encode(), key=self.key, digest_size=16).hexdigest()

    def adding(self, marks: Iterable[str]) -> Erasures:
        return Erasures(self.key, self.hashes | {self.digest(m) for m in marks})

    def holds(self, actor: Actor) -> bool:
        """Whether a statement states an erased person: one of its identifiers, or (a natural
        person) one of its names, is an erased person's. A homonym is refused too: the store
        cannot tell them apart without keeping more."""
        if not self.hashes:
            return False
        marks = identifier_marks(actor.identifiers)
        if actor.personal_data:
            marks |= name_marks((actor.name, *actor.aliases))
        return any(self.digest(m) in self.hashes for m in marks)

    def to_json(self) -> str:
        return json.dumps({"key": self.key.hex(), "hashes": sorted(self.hashes)}, separators=(",", ":"))

    @classmethod
    def of(cls, text: str | None) -> Erasures | None:
        """What :meth:`to_json` wrote, or None (nothing erased yet)."""
        if not text:
            return None
        data = json.loads(text)
        return cls(bytes.fromhex(data["key"]), frozenset(data["hashes"]))


def name_marks(names: Iterable[str]) -> set[str]:
    return {f"name:{k}" for n in names if (k := name_key(n))}


def identifier_marks(identifiers: Iterable[Any]) -> set[str]:
    out = set()
    for i in identifiers:
        out.add(f"{i.scheme}:{i.value}")
        if i.scheme == "siret":
            out.add(f"siren:{i.value[:9]}")
    return out


def person_marks(statements: Iterable[Actor]) -> set[str]:
    """What is hashed of an erased person: the name keys of every name and alias its statements
    give, and its identifiers."""
    marks: set[str] = set()
    for a in statements:
        marks |= name_marks((a.name, *a.aliases)) | identifier_marks(a.identifiers)
    return marks


@dataclass(frozen=True)
class TextEraser:
    """What :func:`text_eraser` gives: called on a text, the text with the person's names
    replaced; :attr:`may_hold` and :meth:`regex` tell which texts may hold a name, so that a
    store reads and parses only those."""

    erase: Callable[[str], str]
    #: runs of letters one of which (up to case and accents) every text holding a name holds
    #: (:func:`~maillage.graph.masking.person_needles`); None: any text may
    needles: tuple[str, ...] | None
    #: whether a text (as stored: JSON, or plain) may hold one of the names: true of every text
    #: the eraser changes (:func:`~maillage.graph.masking.needle_test`)
    may_hold: Callable[[str], bool]

    def __call__(self, text: str) -> str:
        return self.erase(text)

    def regex(self) -> str | None:
        """A Java regular expression (Cypher's ``=~``: it matches a whole text) matching every text
        the eraser may change: one holding a needle, each letter any
        character of its class (:func:`~maillage.graph.masking.letter_classes`), or a ``\\u``
        escape. None: every text is to be read."""
        if self.needles is None:
            return None
        classes = letter_classes()
        found = ["".join(f"[{classes[c]}]" for c in n) for n in self.needles]
        return "(?s).*(?:" + "|".join([*found, "\\\\u"]) + ").*"


def text_eraser(names: Iterable[str]) -> TextEraser:
    """A function replacing the person's ``names`` in text by :data:`ERASED_TEXT`, found as the
    masks find them (:func:`maillage.graph.masking.person_masker`: case, accents, file names).

    >>> text_eraser(["Jeanne Dupont"])("présidé par JEANNE DUPONT, élue")
    'présidé par [personne effacée], élue'
    """
    kept = maskable(names)
    mask = person_masker([kept], mask=ERASED_TEXT)  # one person: « [personne effacée 1] »
    numbered = ERASED_TEXT[:-1] + " 1]"
    needles = person_needles(kept)
    return TextEraser(lambda text: mask(text).replace(numbered, ERASED_TEXT), needles, needle_test(needles))


def erase_in(value: Any, eraser: Callable[[str], str]) -> Any:
    """``value`` (a string, or lists and dicts of them) with every string erased."""
    if isinstance(value, str):
        return eraser(value)
    if isinstance(value, list):
        return [erase_in(v, eraser) for v in value]
    if isinstance(value, dict):
        return {k: erase_in(v, eraser) for k, v in value.items()}
    return value


def erased_statement(data: dict[str, Any], eraser: Callable[[str], str]) -> dict[str, Any]:
    """An actor statement (as stored, JSON) with its free text erased: its quote and ``facts``."""
    out = dict(data)
    if isinstance(out.get("provenance"), dict) and out["provenance"].get("quote"):
        out["provenance"] = {**out["provenance"], "quote": eraser(out["provenance"]["quote"])}
    if out.get("facts"):
        out["facts"] = erase_in(out["facts"], eraser)
    return out


def erased_relation(data: dict[str, Any], eraser: Callable[[str], str]) -> dict[str, Any]:
    """A tie (as stored, JSON) with its free text erased: its fields (role, note…) and its quote."""
    out = dict(data)
    if out.get("fields"):
        out["fields"] = erase_in(out["fields"], eraser)
    if isinstance(out.get("provenance"), dict) and out["provenance"].get("quote"):
        out["provenance"] = {**out["provenance"], "quote": eraser(out["provenance"]["quote"])}
    return out


#: What a source's ``meta`` holds that names files on disk (kept as written: the operator deletes them).
_PATHS = ("rejects_file", "folder")


def erased_source(data: dict[str, Any], eraser: Callable[[str], str]) -> dict[str, Any]:
    """A source (as stored, JSON) with its title and its notes and documents (``meta``) erased;
    its id, its file name and the paths of its ``meta`` stay as written (what ``maillage remove``
    takes, and the files the operator has to delete)."""
    out = dict(data)
    if out.get("title"):
        out["title"] = eraser(out["title"])
    if out.get("meta"):
        out["meta"] = {k: v if k in _PATHS else erase_in(v, eraser) for k, v in out["meta"].items()}
    return out


@dataclass
class Erasure:
    """What :meth:`~maillage.graph.store.Store.forget_person` removed and rewrote."""

    actor_id: str
    statements: int = 0
    relations: int = 0
    metrics: int = 0
    proposals: int = 0
    decisions: int = 0
    #: the sources that stated the person (its statements, or its ties)
    sources: list[str] = field(default_factory=list)
    #: free texts rewritten: quotes, ties' fields, sources' titles and notes
    texts: int = 0


__all__ = ["ERASED_TEXT", "ERASURES_KEY", "ERASED_REASON", "Erasures", "person_marks", "TextEraser", "text_eraser",
           "erase_in", "erased_statement", "erased_relation", "erased_source", "Erasure"]
