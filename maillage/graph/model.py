"""Records of the maillage graph: sources, provenance, actors, relations.

Every fact carries its **provenance** (the FollowTheMoney statement lesson): the source it
came from (a dataset file with its sha256, or a founding document), a locator (row of a
file, or document + line), the verbatim quote when there is one, when it was loaded, and a
**certainty**: ``stated`` (the source says it), ``implied`` (the source implies it),
``inferred`` (deduced by an extractor or a loader), ``planned`` (announced, not done).

An :class:`Actor` is one source's statement about an organisation, a pôle, a collectivité
or a person: its ``key`` is local to the source. Entity resolution maps each statement to a
canonical actor id; the canonical actor is merged from all statements about it
(:mod:`maillage.graph.merge`), so contradictions between sources stay visible.

A :class:`Relation` is one source's statement that two actors are tied, with a type from
the vocabulary and that type's fields (validated and coerced here).

Dates may be partial (``"2014"``, ``"2014-06"``, ``"2014-06-30"``); a relation is *active
in year Y* when its start year is ≤ Y (or unknown) and its end year is ≥ Y (or unknown).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator,
                      model_validator)

from .identifiers import normalise_identifier
from .vocabulary import VocabularyError, vocabulary

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_partial_date(v: str) -> str:
    """``v`` when it is a partial date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) of a real day
    between 1800 and 2200, else ValueError (the loaders that read dates outside a model use it)."""
    m = _PARTIAL_DATE.match(v)
    if not m:
        raise ValueError(f"date {v!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    y, mo, d = m.groups()
    if not 1800 <= int(y) <= 2200:
        raise ValueError(f"year {y} is outside 1800–2200")
    if mo and not 1 <= int(mo) <= 12:
        raise ValueError(f"month {mo} in {v!r} is not 01–12")
    if d:
        date(int(y), int(mo), int(d))  # raises ValueError on 2014-02-30
    return v


PartialDate = Annotated[str, AfterValidator(check_partial_date)]

_SPACES = re.compile(r"\s{2,}|[\t\r\n\v\f]")


def _one_space(v: str) -> str:
    """A name with each run of spaces, tabs or line breaks written as one space: « Coop  Sud » is
    « Coop Sud » as a spreadsheet's cell left it, whichever loader reads it.

    >>> _one_space("Coop  Sud\\nOuest"), _one_space("Coop\\u00a0Sud")
    ('Coop Sud Ouest', 'Coop\\xa0Sud')
    """
    return _SPACES.sub(" ", v) if _SPACES.search(v) else v


#: An actor's name (:func:`_one_space`)
Name = Annotated[str, AfterValidator(_one_space)]


def year_of(d: str | int | None) -> int | None:
    """The year of a partial date (``"2014-06"`` → 2014)."""
    if d is None or d == "":
        return None
    if isinstance(d, int):
        return d
    return int(str(d)[:4])


def active_in(start: str | None, end: str | None, year: int) -> bool:
    """True when an interval [start, end] (partial dates, open ends allowed) covers ``year``."""
    ys, ye = year_of(start), year_of(end)
    return (ys is None or ys <= year) and (ye is None or ye >= year)


def check_certainty(v: str) -> str:
    """``v`` when it is a certainty of the vocabulary, else ValueError."""
    if v not in vocabulary().enum("certainty"):
        raise ValueError(f"certainty {v!r} is not one of {sorted(vocabulary().enum('certainty'))}")
    return v


Certainty = Annotated[str, AfterValidator(check_certainty)]


def _check_territory_id(v: str) -> str:
    if not re.fullmatch(r"(commune|epci|ept|departement|region|pays):[0-9A-Z]+", v):
        raise ValueError(f"territory id {v!r} is not level:code (e.g. commune:31555, departement:31)")
    return v


TerritoryId = Annotated[str, AfterValidator(_check_territory_id)]


M = TypeVar("M", bound=BaseModel)


def construct(cls: type[M], values: dict[str, Any]) -> M:
    """``cls.model_construct(**values)`` for values already validated that name **every**
    field of ``cls``: what model_construct does (no validation; every field set) without its
    per-call walk over the fields for defaults, aliases and private attributes — 4 µs
    instead of 30 on the store's write path, one per actor. Relies on pydantic v2's instance
    layout; tests/test_merge_fast_path.py checks that it builds what ``model_construct`` does.

    >>> p = construct(Identifier, {"scheme": "rna", "value": "W123456789"})
    >>> p == Identifier.model_construct(scheme="rna", value="W123456789"), p.model_fields_set == {"scheme", "value"}
    (True, True)
    """
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", set(values))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Source(Record):
    """Where facts come from: a dataset file (with its sha256) or a document.

    ``id`` is stable across reloads of the same source (by default the format and the file
    name), so that reloading replaces that source's facts and nothing else.
    """

    id: str = Field(min_length=1)
    kind: str = Field(default="file", pattern="^(file|document|dataset)$")
    uri: str
    sha256: str | None = Field(default=None, pattern="^[0-9a-f]{64}$")
    format: str | None = None
    title: str | None = None
    loaded_at: datetime | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class Provenance(Record):
    """Where one fact comes from and how sure the source is of it."""

    source: str = Field(min_length=1, description="Source id")
    locator: str | None = Field(default=None, description="Row of a file ('row 12') or line of a document ('L746')")
    document: str | None = Field(default=None, description="Founding document the locator points into")
    quote: str | None = None
    certainty: Certainty = "stated"
    loaded_at: datetime | None = None


class Identifier(Record):
    """A validated identifier (SIREN, SIRET, RNA, INSEE commune code)."""

    scheme: str
    value: str

    @model_validator(mode="after")
    def _normalise(self) -> Identifier:
        self.value = normalise_identifier(self.scheme, self.value)
        return self


class PoleInfo(Record):
    """What a pôle has that other actors do not."""

    phase: str | None = None
    founding_year: int | None = Field(default=None, ge=1900, le=2100)
    perimeter: list[TerritoryId] = Field(default_factory=list, description="Project-specific perimeter")
    perimeter_text: str | None = None
    perimeter_read: str | None = Field(default=None, pattern="^(stated|exact|approximate)$",
                                       description="How ``perimeter`` was obtained: ids the source states, or read "
                                                   "from ``perimeter_text`` exactly or approximately "
                                                   "(geography/perimeters.py); None when unknown (data written "
                                                   "before the field) or no perimeter. A merged pôle's: the kind "
                                                   "its perimeter comes from (graph/merge.py)")
    labels: list[str] = Field(default_factory=list, description="Labels and calls won (e.g. 'AAP PTCE 2013')")

    @field_validator("phase")
    @classmethod
    def _phase(cls, v: str | None) -> str | None:
        if v is not None and v not in vocabulary().enum("phases"):
            raise ValueError(f"phase {v!r} is not one of {sorted(vocabulary().enum('phases'))}")
        return v


class Actor(Record):
    """One source's statement about an actor."""

    key: str = Field(min_length=1, description="Id of the actor inside its source")
    name: Name = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    named_in: int | None = Field(default=None, ge=1900, le=2100,
                                 description="The year the source gives this name for: a yearly member list's "
                                             "(--year, a sheet per year). A later year's name is shown (graph/merge.py)")
    family: str
    kind: str | None = None
    subkind: str | None = None
    legal_form: str | None = None
    identifiers: list[Identifier] = Field(default_factory=list)
    location: TerritoryId | None = Field(default=None, description="Most precise known territory")
    location_text: str | None = Field(default=None, description="The place as the source wrote it")
    territory: TerritoryId | None = Field(default=None, description="For a collectivité: the territory it administers")
    ess: bool | None = Field(default=None, description="ESS enterprise in the sense of art. 1 of the 2014 law")
    placeholder: bool = Field(default=False, description="Mentioned by type only, not by name")
    group_count: int | None = Field(default=None, ge=1, description="A group of N actors, e.g. '4 communautés de communes'")
    personal_data: bool = False
    declared: dict[str, float] = Field(default_factory=dict, description="Stated sizes: members, jobs, budget_eur…")
    pole: PoleInfo | None = None
    facts: list[str] = Field(default_factory=list, description="Other statements, as the source words them")
    attributes: dict[str, str] = Field(default_factory=dict, description="Coded facts from a register, e.g. "
                                       "naf, categorie_juridique, etat_administratif (SIRENE)")
    provenance: Provenance

    @field_validator("family")
    @classmethod
    def _family(cls, v: str) -> str:
        try:
            vocabulary().family(v)
        except VocabularyError as e:
            raise ValueError(str(e)) from None
        return v

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str | None, info: ValidationInfo) -> str | None:
        fam = info.data.get("family")
        if v is not None and fam is not None and v not in vocabulary().family(fam).kinds:
            raise ValueError(f"kind {v!r} is not a kind of family {fam!r}; "
                             f"expected one of {sorted(vocabulary().family(fam).kinds)}")
        return v

    @field_validator("declared")
    @classmethod
    def _declared(cls, v: dict[str, float]) -> dict[str, float]:
        known = vocabulary().enum("declared_sizes")
        bad = set(v) - set(known)
        if bad:
            raise ValueError(f"declared sizes {sorted(bad)} unknown; expected {sorted(known)}")
        return v

    @model_validator(mode="after")
    def _check_vocabulary(self) -> Actor:
        if vocabulary().family(self.family).personal_data:
            self.personal_data = True
        if self.pole is not None and self.family != "pole":
            raise ValueError("pôle fields are only for actors of family 'pole'")
        return self


def coerce_field(rtype: str, name: str, value: Any) -> Any:
    """``value`` as field ``name`` of a relation of type ``rtype`` holds it (the vocabulary's
    spec: a year, an amount, an enum's value…), else ValueError naming what was expected."""
    spec = vocabulary().relation_type(rtype).fields.get(name)
    if spec is None:
        allowed = sorted(vocabulary().relation_type(rtype).fields)
        raise ValueError(f"field {name!r} is not a field of relation type {rtype!r}; expected one of {allowed}")
    if value is None:
        return None
    t = spec.type
    try:
        if t == "str":
            return str(value)
        if t in ("int", "year"):
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            iv = int(value)
            if t == "year" and not 1800 <= iv <= 2200:
                raise ValueError
            return iv
        if t == "float":
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if t == "bool":
            if isinstance(value, bool):
                return value
            raise ValueError
        if t == "enum":
            if value not in spec.values:
                raise ValueError
            return value
        if t == "list":
            return list(value)
    except (TypeError, ValueError):
        expected = f"one of {list(spec.values)}" if t == "enum" else f"a {t}"
        raise ValueError(f"field {name!r} of {rtype!r}: {value!r} is not {expected}") from None
    return value


class Relation(Record):
    """One source's statement that two actors are tied.

    ``source``/``target`` are actor keys of the same source (or canonical actor ids when a
    loader ties records to an actor already in the store). For undirected types the order
    carries no meaning.
    """

    type: str
    source: str = Field(min_length=1)
    target: str = Field(min_length=1)
    fields: dict[str, Any] = Field(default_factory=dict)
    start: PartialDate | None = None
    end: PartialDate | None = None
    provenance: Provenance

    @field_validator("type")
    @classmethod
    def _type(cls, v: str) -> str:
        try:
            vocabulary().relation_type(v)
        except VocabularyError as e:
            raise ValueError(str(e)) from None
        return v

    @field_validator("fields")
    @classmethod
    def _fields(cls, v: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        rtype = info.data.get("type")
        if rtype is None:
            return v
        coerced = ((k, coerce_field(rtype, k, x)) for k, x in v.items())
        return {k: x for k, x in coerced if x is not None}

    @model_validator(mode="after")
    def _check_dates(self) -> Relation:
        if self.start is None and self.end is None:
            # An annual grant "year: 2016" holds in 2016, a founding "year: 2015" holds from 2015:
            # every as-of filter (store, lenses, diagnostics, evolution) then agrees on it.
            for name, spec in vocabulary().relation_type(self.type).fields.items():
                if (spec.dates_tie or spec.starts_tie) and self.fields.get(name) is not None:
                    self.start = str(self.fields[name])
                    self.end = self.start if spec.dates_tie else None
                    break
        if self.start and self.end and year_of(self.start) > year_of(self.end):
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self

    def statement_id(self) -> str:
        """Deterministic id: the same statement loaded twice has the same id (idempotence)."""
        a, b = self.source, self.target
        if b < a and not _directed(self.type):
            a, b = b, a
        p, f = self.provenance, self.fields
        # "[(k, v), …]" is repr(sorted(f.items())), without repr's per-container recursion guard
        # (half the cost of the id); tests/test_sqlite_bulk_write.py checks it on varied fields
        fields = "[" + ", ".join([f"({k!r}, {v!r})" for k, v in sorted(f.items())]) + "]" if f else "[]"
        key = "\x1f".join((p.source, p.document or "", p.locator or "", self.type, a, b, fields,
                           self.start or "", self.end or ""))
        return "r_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


_DIRECTED: dict[str, bool] = {}


def _directed(rtype: str) -> bool:
    """Whether a relation type is directed (the vocabulary's answer, remembered per type)."""
    d = _DIRECTED.get(rtype)
    if d is None:
        d = _DIRECTED[rtype] = vocabulary().relation_type(rtype).directed
    return d


class ActorView(BaseModel):
    """A canonical actor: merged from every statement about it."""

    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    family: str
    kind: str | None = None
    subkind: str | None = None
    legal_form: str | None = None
    identifiers: list[Identifier] = Field(default_factory=list)
    location: str | None = None
    territory: str | None = None
    ess: bool | None = None
    placeholder: bool = False
    group_count: int | None = None
    personal_data: bool = False
    declared: dict[str, float] = Field(default_factory=dict)
    pole: PoleInfo | None = None
    attributes: dict[str, str] = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list)
    conflicts: dict[str, list[Any]] = Field(default_factory=dict, description="Attributes the sources disagree on")


class RelationView(BaseModel):
    """A stored relation statement, between canonical actors."""

    id: str
    type: str
    source: str
    target: str
    fields: dict[str, Any] = Field(default_factory=dict)
    start: str | None = None
    end: str | None = None
    provenance: Provenance

    def active_in(self, year: int) -> bool:
        return active_in(self.start, self.end, year)
