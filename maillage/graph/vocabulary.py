"""The vocabulary: actor families and kinds, relation types and their fields, enumerations.

It is defined once, as data, in ``vocabulary.yaml`` (the FollowTheMoney lesson: the schema
is data, read by code, API and docs alike). This module reads it, checks it is consistent
and answers questions about it. Nothing else in maillage hard-codes a family, a kind or a
relation type.

>>> v = vocabulary()
>>> v.relation_type("funds").cooperation
False
>>> v.family("pole").label("fr")
'Pôle'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


#: The families of public bodies: their funding is public money (the pôle diagnostics), a name
#: alone never makes one of a private-sector SIREN (the subsidy loaders).
PUBLIC_FAMILIES = ("collectivite", "state", "eu")


class VocabularyError(ValueError):
    """The vocabulary file is inconsistent, or a name is not in it."""


def _labels(node: dict[str, Any], where: str) -> dict[str, str]:
    lab = node.get("label", node)
    if not isinstance(lab, dict) or "fr" not in lab or "en" not in lab:
        raise VocabularyError(f"{where}: needs French and English labels (fr, en)")
    return {"fr": str(lab["fr"]), "en": str(lab["en"])}


@dataclass(frozen=True)
class Term:
    """A named value of an enumeration, with its French and English labels."""

    name: str
    labels: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)

    def label(self, lang: str = "fr") -> str:
        return self.labels.get(lang, self.labels["fr"])


@dataclass(frozen=True)
class Family:
    """An actor family (art. 9 of the 2014 law groups the partners of a PTCE this way)."""

    name: str
    labels: dict[str, str]
    art9: str
    colour: str
    kinds: dict[str, Term]
    personal_data: bool = False

    def label(self, lang: str = "fr") -> str:
        return self.labels.get(lang, self.labels["fr"])


@dataclass(frozen=True)
class FieldSpec:
    """A typed field of a relation type (e.g. ``amount`` of ``funds``, in EUR)."""

    name: str
    type: str
    labels: dict[str, str]
    values: tuple[str, ...] = ()
    unit: str | None = None
    #: ``{value: {"fr": …, "en": …}}`` for an enum: what people read instead of the code
    #: (``accorde`` → « accordée »), from ``values_from`` or from a ``values`` mapping.
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    #: A ``year`` field that dates the tie itself (an annual grant holds that year): a statement
    #: with this field and no start/end is stored with start = end = that year.
    dates_tie: bool = False
    #: A ``year`` field that is the year the tie began (a founding): a statement with this
    #: field and no start/end is stored with start = that year, its end open.
    starts_tie: bool = False

    def label(self, lang: str = "fr") -> str:
        return self.labels.get(lang, self.labels["fr"])

    def value_label(self, value: Any, lang: str = "fr") -> str:
        """How a value of this field reads: an enum value's label, else the value itself.

        >>> from maillage.graph.vocabulary import vocabulary
        >>> spec = vocabulary().relation_type("funds").fields["status"]
        >>> spec.value_label("accorde"), spec.value_label("accorde", "en"), spec.value_label("x_y")
        ('accordée', 'granted', 'x y')
        """
        labels = self.value_labels.get(value) if isinstance(value, str) else None
        if labels:
            return labels.get(lang, labels["fr"])
        return str(value).replace("_", " ")


@dataclass(frozen=True)
class RelationType:
    """A relation type between two actors, with its own fields."""

    name: str
    labels: dict[str, str]
    directed: bool
    cooperation: bool
    lenses: tuple[str, ...]
    colour: str
    style: str
    fields: dict[str, FieldSpec]
    personal: bool = False

    def label(self, lang: str = "fr") -> str:
        return self.labels.get(lang, self.labels["fr"])


FIELD_TYPES = {"str", "int", "float", "bool", "year", "enum", "list"}


class Vocabulary:
    """The parsed vocabulary. Use :func:`vocabulary` to get the shared instance."""

    def __init__(self, data: dict[str, Any]):
        self.raw = data
        self.version = int(data.get("version", 1))
        self.enums: dict[str, dict[str, Term]] = {}
        for enum in ("certainty", "phases", "cooperation_forms", "cooperation_practices",
                     "collectivite_roles", "declared_sizes"):
            self.enums[enum] = {
                k: Term(k, _labels(v, f"{enum}.{k}"), {x: y for x, y in v.items() if x not in ("fr", "en")})
                for k, v in (data.get(enum) or {}).items()
            }
        self.families: dict[str, Family] = {}
        for name, node in data["families"].items():
            kinds = {k: Term(k, _labels(v, f"families.{name}.kinds.{k}")) for k, v in node["kinds"].items()}
            self.families[name] = Family(
                name=name, labels=_labels(node, f"families.{name}"), art9=node["art9"],
                colour=node["colour"], kinds=kinds, personal_data=bool(node.get("personal_data", False)),
            )
        common = data.get("common_fields") or {}
        self.relation_types: dict[str, RelationType] = {}
        for name, node in data["relation_types"].items():
            specs = {}
            for fname, f in {**common, **(node.get("fields") or {})}.items():
                specs[fname] = self._field(name, fname, f)
            self.relation_types[name] = RelationType(
                name=name, labels=_labels(node, f"relation_types.{name}"),
                directed=bool(node["directed"]), cooperation=bool(node["cooperation"]),
                lenses=tuple(node.get("lenses") or ("all",)), colour=node["colour"],
                style=node.get("style", "solid"), fields=specs, personal=bool(node.get("personal", False)),
            )
        self.territory_relations = {
            k: Term(k, _labels(v, f"territory_relations.{k}"), {"doc": v.get("doc", "")})
            for k, v in (data.get("territory_relations") or {}).items()
        }
        self.identifier_schemes: dict[str, dict[str, Any]] = dict(data.get("identifier_schemes") or {})
        self._check()

    def _field(self, rtype: str, fname: str, f: dict[str, Any]) -> FieldSpec:
        where = f"relation_types.{rtype}.fields.{fname}"
        ftype = f.get("type")
        if ftype not in FIELD_TYPES:
            raise VocabularyError(f"{where}: type {ftype!r} is not one of {sorted(FIELD_TYPES)}")
        values: tuple[str, ...] = ()
        value_labels: dict[str, dict[str, str]] = {}
        if ftype == "enum":
            if "values_from" in f:
                enum = f["values_from"]
                if enum not in self.enums:
                    raise VocabularyError(f"{where}: values_from {enum!r} is not an enumeration")
                values = tuple(self.enums[enum])
                value_labels = {k: dict(term.labels) for k, term in self.enums[enum].items()}
            elif isinstance(f.get("values"), dict):  # {value: {fr, en}}
                values = tuple(f["values"])
                value_labels = {k: _labels(v, f"{where}.values.{k}") for k, v in f["values"].items()}
            else:
                values = tuple(f.get("values") or ())
            if not values:
                raise VocabularyError(f"{where}: an enum needs values")
        for flag in ("dates_tie", "starts_tie"):
            if f.get(flag) and ftype != "year":
                raise VocabularyError(f"{where}: {flag} only applies to a field of type year")
        if f.get("dates_tie") and f.get("starts_tie"):
            raise VocabularyError(f"{where}: dates_tie and starts_tie exclude each other")
        return FieldSpec(name=fname, type=ftype, labels=_labels(f, where), values=values, unit=f.get("unit"),
                         value_labels=value_labels, dates_tie=bool(f.get("dates_tie")),
                         starts_tie=bool(f.get("starts_tie")))

    def _check(self) -> None:
        art9 = {"ess", "enterprise", "collectivite", "research", "training", "other"}
        seen_kinds: dict[str, str] = {}
        for fam in self.families.values():
            if fam.art9 not in art9:
                raise VocabularyError(f"families.{fam.name}: art9 {fam.art9!r} not in {sorted(art9)}")
            for k in fam.kinds:
                if k in seen_kinds:
                    raise VocabularyError(f"kind {k!r} is in two families: {seen_kinds[k]}, {fam.name}")
                seen_kinds[k] = fam.name
        for rt in self.relation_types.values():
            if "all" not in rt.lenses:
                raise VocabularyError(f"relation_types.{rt.name}: every type belongs to the 'all' lens")
        for p in self.enums["cooperation_practices"].values():
            if p.extra.get("form") not in self.enums["cooperation_forms"]:
                raise VocabularyError(f"cooperation_practices.{p.name}: unknown form {p.extra.get('form')!r}")
        self._kind_family = seen_kinds

    # -- questions ---------------------------------------------------------------------------
    def family(self, name: str) -> Family:
        try:
            return self.families[name]
        except KeyError:
            raise VocabularyError(f"unknown actor family {name!r}; expected one of {sorted(self.families)}") from None

    def family_of_kind(self, kind: str) -> str | None:
        """The family a kind belongs to (kinds are unique across families)."""
        return self._kind_family.get(kind)

    def relation_type(self, name: str) -> RelationType:
        try:
            return self.relation_types[name]
        except KeyError:
            raise VocabularyError(
                f"unknown relation type {name!r}; expected one of {sorted(self.relation_types)}") from None

    def enum(self, name: str) -> dict[str, Term]:
        return self.enums[name]

    def types_in_lens(self, lens: str) -> list[str]:
        """Relation types that a named analysis projection ("lens") uses."""
        out = [n for n, t in self.relation_types.items() if lens in t.lenses]
        if not out:
            lenses = sorted({lz for t in self.relation_types.values() for lz in t.lenses})
            raise VocabularyError(f"unknown lens {lens!r}; expected one of {lenses}")
        return out

    def cooperation_types(self) -> list[str]:
        return [n for n, t in self.relation_types.items() if t.cooperation]

    def lenses(self) -> list[str]:
        return sorted({lz for t in self.relation_types.values() for lz in t.lenses})

    def to_dict(self) -> dict[str, Any]:
        """The vocabulary as plain data (for the API, exports and generated docs)."""
        return self.raw


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shared vocabulary, read once from the packaged ``vocabulary.yaml``."""
    text = resources.files("maillage.graph").joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    return Vocabulary(yaml.safe_load(text))


def kind_label(family: str, kind: str | None, lang: str = "fr") -> str:
    """A kind's label in ``lang`` (« Coopérative », "Cooperative"); ``""`` for no kind, the code
    itself for a family or kind the vocabulary does not know.

    >>> kind_label("ess", "scic"), kind_label("ess", None), kind_label("ess", "zzz")
    ('SCIC', '', 'zzz')
    """
    if not kind:
        return ""
    try:
        term = vocabulary().family(family).kinds.get(kind)
    except VocabularyError:
        return kind
    return term.label(lang) if term else kind


#: Each lens's French name, the glossary's (docs/glossary.md): what the French output says,
#: and what ``--lens`` also takes.
LENS_WORDS_FR: dict[str, str] = {"cooperation": "coopération", "funding": "financement",
                                 "governance": "gouvernance", "all": "tout"}


def lens_code(text: str) -> str:
    """The lens ``text`` names, by its code (``funding``) or its French name (``financement``,
    « Gouvernance », ``tous``), as its code; anything else unchanged, for :func:`get_lens` to
    refuse with the list.

    >>> [lens_code(t) for t in ("financement", "Coopération", "TOUT", "tous", "governance", "x")]
    ['funding', 'cooperation', 'all', 'all', 'governance', 'x']
    """
    from maillage.graph.names import fold

    key = fold(text).strip()
    if key in ("tous", "toutes", "tous les liens"):
        return "all"
    for code, word in LENS_WORDS_FR.items():
        if key in (code, fold(word), fold(word) + "s"):
            return code
    return text


#: The words a person writes for a tie's certainty, besides its code and its French and English
#: labels (``certainty`` in vocabulary.yaml), compared folded (case, accents and punctuation
#: aside). The first French word is the one a reason names. Not here: « incertain », « sûr »,
#: which name no certainty of the vocabulary (stated, implied, inferred, planned).
CERTAINTY_WORDS: dict[str, tuple[str, ...]] = {
    "stated": ("affirmé", "affirmée", "énoncé", "énoncée"),
    "implied": ("implicite", "sous-entendu", "sous-entendue"),
    "inferred": ("déduit", "déduite", "inféré", "inférée"),
    "planned": ("prévu", "prévue", "annoncé", "annoncée", "announced", "à venir", "en projet"),
}


@lru_cache(maxsize=1)
def _certainty_words() -> dict[str, str]:
    from maillage.graph.names import fold

    out: dict[str, str] = {}
    for code, term in vocabulary().enum("certainty").items():
        labels = term.labels.values()
        # the code, each label whole, each part of a label (« prévu, annoncé »), and its first word
        # (« affirmé » of « affirmé par la source »), then the words people write
        words = [code, *labels, *(p for label in labels for p in label.split(",")),
                 *(label.strip().split()[0].strip(",") for label in labels if label.strip()),
                 *CERTAINTY_WORDS.get(code, ())]
        for word in words:
            out.setdefault(fold(word), code)
    return out


def certainty_code(text: object) -> str | None:
    """The certainty (its code) a word names — its code, its label or a part of it, a word of
    :data:`CERTAINTY_WORDS` —, case and accents aside; None when it names none. One reading for
    the loaders' cells (:func:`maillage.loaders.cells.certainty_of`) and ``maillage analyse
    --certainty`` (:func:`maillage.analytics.lenses.certainty_codes`).

    >>> [certainty_code(t) for t in ("prévu", "Prévu, annoncé", "DEDUIT", "affirmé", "stated", "sûr", None)]
    ['planned', 'planned', 'inferred', 'stated', 'stated', None, None]
    """
    from maillage.graph.names import fold

    return _certainty_words().get(fold(text)) if isinstance(text, str) else None


def lens_word(code: str, lang: str = "fr") -> str:
    """The lens as the reader says it: « financement » in French, ``funding`` in English.

    >>> lens_word("funding"), lens_word("funding", "en"), lens_word("x")
    ('financement', 'funding', 'x')
    """
    return LENS_WORDS_FR.get(code, code) if lang != "en" else code
