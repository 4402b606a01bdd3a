"""The ``ftm`` format: FollowTheMoney entities, as JSON lines.

FollowTheMoney (FtM, https://followthemoney.tech/explorer/schemata/) is the data model of
OpenSanctions and Aleph. A file holds one entity per line:
``{"id": …, "schema": "Company", "caption": …, "properties": {"name": [...], …}}`` — every
property value is a list of strings. *Thing* schemata describe actors (``Person``,
``Company``, ``Organization``, ``PublicBody``, ``LegalEntity``); *interval* schemata describe
ties between two entities of the file by id (``Directorship{director, organization}``,
``Ownership{owner, asset}``, ``Payment{payer, beneficiary}``…).

**Rows** are the non-blank lines; the locator of a line is ``line N``. Lines that share an id
are *fragments* of one entity (FtM's streaming form): their properties are united onto the first
line, and the later lines count as merged. The mapping (also in ``docs/formats/ftm.md``):

- ``Person`` → family ``person`` (personal data): name and aliases only — no identifiers,
  birth dates, addresses or nationality are kept (data minimisation);
  ``position`` values become facts.
- a ``classification`` that names a family or kind of the vocabulary (« Association »,
  « Intercommunalité (EPCI) », « PTCE »: what maillage's FtM export writes) gives them, when it
  fits the schema (a ``PublicBody`` a public body, another schema not); else:
- ``PublicBody`` → ``collectivite`` when its caption says commune / intercommunalité / département /
  région, else ``state`` (préfecture, ministère, other public body).
- ``Company``, ``Organization``, ``LegalEntity`` → ``ess`` when the legal form or the caption says
  association, SCIC, SCOP, coopérative, mutuelle or fondation (these are ESS by status, art. 1
  of the 2014 law); else ``enterprise`` for a Company and ``other`` for the rest.
- ``Directorship`` → ``governs`` (director → organization; ``role`` and ``seat`` = the role);
  ``Ownership`` → ``governs`` with ``shareholder`` = true (owner → asset; percentage in ``note``);
  ``Membership`` → ``membership``; ``Employment`` → ``employs``; ``Representation`` →
  ``represents`` (agent → client); ``Payment`` → ``funds`` (payer → beneficiary; ``amount`` when
  the currency is EUR or not stated); ``Associate`` and ``UnknownLink`` → ``related``; an
  interval's ``description`` → ``note``. A tie of an entity with itself is kept, flagged, as by
  every loader (:func:`maillage.loaders.load_file`).
- ``Family`` and every other schema (``Sanction``, ``Address``, ``Passport``…) are rejected:
  they are not cooperation facts (kinship is personal data the graph does not keep).
- what FtM has no property for (an actor's placeholder, group count and territory, a tie's
  type, certainty and other fields) is read from the entity's ``maillage`` object, which
  maillage's FtM export writes beside ``properties`` (:data:`OWN`, :data:`CARRIED`).

Identifiers: a value of ``registrationNumber``, ``idNumber``, ``taxNumber``, ``vatCode``,
``innCode``, ``ogrnCode``… becomes a SIREN/SIRET/RNA only when it is a valid one (Luhn-checked)
*and* the entity is French (``jurisdiction``/``country``/``mainCountry`` ``fr``) — 10 % of
random 9-digit numbers pass the Luhn check — except an RNA (``W`` + 9) or a French VAT code
(``FR`` + key + SIREN), which say they are French. Other identifiers of organisations are kept
as facts (``innCode: 9715478507``). Dates (``startDate``, ``endDate``) are FtM date prefixes
and become partial dates; the earliest start and latest end are kept.

We parse the JSON directly with orjson and the small table below rather than depend on the
``followthemoney`` library: it brings ~25 packages (SQLAlchemy, rdflib, mypy, PyICU built
from source) to read a handful of schemata and property names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from maillage.graph.identifiers import InvalidIdentifier, normalise_identifier
from maillage.graph.model import (Actor, Identifier, Provenance, Relation, Source,
                                  check_partial_date, coerce_field)
from maillage.graph.names import fold
from maillage.graph.vocabulary import PUBLIC_FAMILIES, VocabularyError, vocabulary

from ..base import (MAX_LINE_BYTES, LoadError, Loader, Parsed, Reject, brief, json_error, read_lines,
                    rejects_from_validation)
from ..cells import CellError, certainty_or_stated, check_quantity
from .members import classify as classify_type

ACTOR_SCHEMATA = {"Person", "Company", "Organization", "PublicBody", "LegalEntity"}
# A later fragment may specialise an entity (LegalEntity → Company), never change its nature.
_SPECIFICITY = {"LegalEntity": 0, "Organization": 1, "Person": 1, "Company": 2, "PublicBody": 2}


@lru_cache(maxsize=1)
def _geography():
    from maillage.geography import load_geography

    return load_geography()


@dataclass(frozen=True)
class EdgeRule:
    """How an FtM interval schema becomes a relation: its two end properties, the relation
    type, and which FtM property fills which relation field."""

    source: str
    target: str
    type: str
    fields: dict[str, str] = field(default_factory=dict)  # relation field ← FtM property
    constant: dict[str, Any] = field(default_factory=dict)


EDGE_RULES: dict[str, EdgeRule] = {
    "Directorship": EdgeRule("director", "organization", "governs", {"role": "role", "seat": "role"}),
    "Ownership": EdgeRule("owner", "asset", "governs", {"role": "role"}, {"shareholder": True}),
    "Membership": EdgeRule("member", "organization", "membership", {"role": "role"}),
    "Employment": EdgeRule("employer", "employee", "employs", {"position": "role", "role": "role"}),
    "Representation": EdgeRule("agent", "client", "represents", {"role": "role"}),
    "Payment": EdgeRule("payer", "beneficiary", "funds", {"programme": "programme", "note": "purpose"}),
    "Associate": EdgeRule("person", "associate", "related", {"role": "relationship"}),
    "UnknownLink": EdgeRule("subject", "object", "related", {"role": "role"}),
}

#: The key, beside ``properties``, of what an entity says that FtM has no property for; maillage's
#: FtM export writes it (:func:`maillage.api.exports.ftm_jsonl`), this loader reads it back. FtM's
#: own tools keep the keys of an entity other than ``id``, ``schema`` and ``properties`` as its
#: *context* and write them back (``followthemoney.proxy.EntityProxy``); Aleph shows none of them.
OWN = "maillage"
#: What an actor's ``maillage`` object may hold: fields of :class:`~maillage.graph.model.Actor`.
OWN_ACTOR_FIELDS = ("placeholder", "group_count", "territory")
#: The relation fields an interval schema's own properties hold, as maillage's export writes them
#: and this loader reads them back: ``role`` (not in a Payment, which has none, nor in an
#: UnknownLink, whose role names the tie's type), ``note`` (``description``, a Payment's
#: ``purpose``), a Payment's ``amount``, ``year`` (``date``) and ``programme``, an Ownership's
#: ``shareholder``. Every other field of a tie goes in its ``maillage`` object's ``fields``, with
#: its ``certainty`` (when not ``stated``) and, for an UnknownLink, its ``type``.
CARRIED: dict[str, frozenset[str]] = {
    "Directorship": frozenset({"role", "note"}), "Ownership": frozenset({"role", "note", "shareholder"}),
    "Membership": frozenset({"role", "note"}), "Employment": frozenset({"role", "note"}),
    "Representation": frozenset({"role", "note"}), "Payment": frozenset({"amount", "year", "programme", "note"}),
    "Associate": frozenset({"note"}), "UnknownLink": frozenset({"note"}),
}

REJECTED_WHY = {
    "Family": "schema Family is not a cooperation fact (kinship between persons is personal data "
              "the graph does not keep)",
}

# Properties that may hold an identifier of a legal entity.
ID_PROPERTIES = ("registrationNumber", "idNumber", "taxNumber", "vatCode", "innCode", "ogrnCode",
                 "okpoCode", "leiCode", "dunsCode", "swiftBic", "uniqueEntityId", "permId")

_ESS_WORDS = [  # (pattern on folded French text, kind)
    (re.compile(r"\bscic\b|cooperative d interet collectif"), "scic"),
    (re.compile(r"\bscop\b|cooperative ouvriere|cooperative et participative"), "scop"),
    (re.compile(r"\bcae\b|cooperative d activite"), "cae"),
    (re.compile(r"\bmutuelle\b"), "mutuelle"),
    (re.compile(r"\bfondation\b"), "fondation"),
    (re.compile(r"\bassociation\b|\bloi 1901\b"), "association"),
    (re.compile(r"\bcooperative\b"), "cooperative"),
]
_PUBLIC_WORDS = [  # (pattern on folded text, family, kind)
    (re.compile(r"\bprefecture\b"), "state", "prefecture"),
    (re.compile(r"\bministere\b|\bministry\b"), "state", "ministere"),
    (re.compile(r"\bcommunaute (de communes|d agglomeration|urbaine)\b|\bmetropole\b|\bepci\b"),
     "collectivite", "epci"),
    (re.compile(r"\bconseil departemental\b|\bdepartement\b"), "collectivite", "departement"),
    (re.compile(r"\bconseil regional\b|\bregion\b"), "collectivite", "region"),
    (re.compile(r"\bcommune\b|\bmairie\b|\bville de\b"), "collectivite", "commune"),
]
_FR_VAT = re.compile(r"^FR[0-9A-Z]{2}([0-9]{9})$")


def partial_date(value: str) -> str | None:
    """An FtM date (an ISO 8601 prefix: ``2005``, ``2005-09``, ``2005-09-16T10:00``) as a
    partial date, or None when it is not one."""
    v = str(value).strip()[:10]
    try:
        return check_partial_date(v)
    except ValueError:
        return None


def french_identifiers(props: dict[str, list[str]], french: bool) -> tuple[list[Identifier], list[str]]:
    """Valid SIREN/SIRET/RNA found in the identifier properties, and the other identifiers as
    facts (``property: value``). See the module docstring for when a number counts as French."""
    found: dict[tuple[str, str], Identifier] = {}
    facts: list[str] = []
    for prop in ID_PROPERTIES:
        for raw in props.get(prop, []):
            compact = re.sub(r"[\s.\-]", "", raw).upper()
            candidates: list[tuple[str, str]] = []
            vat = _FR_VAT.match(compact) if prop == "vatCode" else None
            if vat:
                candidates = [("siren", vat.group(1))]
            elif re.fullmatch(r"W[0-9][0-9AB][0-9]{7}", compact):
                candidates = [("rna", compact)]
            elif french and len(compact) == 14:
                candidates = [("siret", compact)]
            elif french and len(compact) == 9:
                candidates = [("siren", compact)]
            ident = None
            for scheme, value in candidates:
                try:
                    ident = Identifier(scheme=scheme, value=normalise_identifier(scheme, value))
                except (InvalidIdentifier, ValidationError):
                    ident = None
            if ident is not None:
                found[(ident.scheme, ident.value)] = ident
            else:
                facts.append(f"{prop}: {raw}")
    return list(found.values()), facts


#: What is read of a Person (the rest is never loaded: data minimisation); a Passport, an
#: Identification, a Family link: nothing
PERSON_READ = frozenset({"name", "alias", "weakAlias", "previousName", "abbreviation", "position"})
PERSONAL_SCHEMATA = {"Person": PERSON_READ, "Passport": frozenset(), "Identification": frozenset(),
                     "Family": frozenset()}
#: What the rejects file shows in place of a value that is not read of a person
LEFT_OUT = "…"


def shown(obj: Any) -> Any:
    """A line as the rejects file shows it (its *original*): of an entity about a person
    (:data:`PERSONAL_SCHEMATA`), the properties that are not read keep their name, not their values
    — birth date, document numbers, e-mail, address, kinship —, so that nothing of a person that is
    not loaded is copied there (docs/privacy.md, « Rejected rows »). Other entities as read."""
    if not (isinstance(obj, dict) and isinstance(obj.get("properties"), dict) and isinstance(obj.get("schema"), str)):
        return obj
    read = PERSONAL_SCHEMATA.get(obj["schema"])
    if read is None:
        return obj
    return {**obj, "properties": {k: v if k in read else [LEFT_OUT] for k, v in obj["properties"].items()}}


def classify(schema: str, name: str, legal_forms: list[str],
             classifications: list[str] = ()) -> tuple[str, str | None, bool | None]:
    """(family, kind, ess) of an actor entity from its schema, its ``classification`` when it is
    a family or kind of the vocabulary by its name or label (as maillage's FtM export writes it:
    « Intercommunalité (EPCI) », « PTCE ») and fits the schema (a ``PublicBody`` a public body,
    another schema not), else its legal form(s) and its name (the caption): French words only,
    and only the caption, because aliases in other languages say "association" of companies (a
    Russian NPO is a "scientific production association")."""
    if schema == "Person":
        return "person", "personne", None
    for text in classifications:
        said = classify_type(text)
        if said is not None and said.rule == "vocabulary" and said.family != "person" \
                and (said.family in PUBLIC_FAMILIES) == (schema == "PublicBody"):
            return said.family, said.kind, True if said.family == "ess" else None
    texts = [fold(t) for t in [*legal_forms, name]]
    if schema == "PublicBody":
        for pattern, family, kind in _PUBLIC_WORDS:
            if any(pattern.search(t) for t in texts):
                return family, kind, None
        return "state", "etat_autre", None
    for pattern, kind in _ESS_WORDS:
        if any(pattern.search(t) for t in texts):
            return "ess", kind, True
    if schema == "Company":
        return "enterprise", "entreprise", None
    return "other", "non_precise", None


@dataclass
class Entity:
    """One FtM entity, its fragments united; ``line`` is its first line."""

    line: int
    id: str
    schema: str
    caption: str | None
    props: dict[str, list[str]]
    original: Any
    fragments: list[int] = field(default_factory=list)
    own: Any = None  # its ``maillage`` object (:data:`OWN`), as read

    def own_part(self, key: str, out: Parsed) -> dict[str, Any]:
        """``own[key]`` (``own`` itself for ``key`` None) when it is an object, else {} — with a
        warning when it is there and not an object."""
        part = self.own if key is None else self.own.get(key) if isinstance(self.own, dict) else None
        if part is None or isinstance(part, dict):
            return part or {}
        out.rejects.append(Reject(self.line, "Input should be a valid dictionary", ".".join(filter(None, (OWN, key))),
                                  brief(part), fatal=False))
        return {}


def _same_nature(a: str, b: str) -> bool:
    """Can fragments of schemata ``a`` and ``b`` be one entity? (LegalEntity specialises into a
    Person or an organisation; an organisation never into a Person; an edge only into itself.)"""
    if a == b:
        return True
    if a in ACTOR_SCHEMATA and b in ACTOR_SCHEMATA:
        return "LegalEntity" in (a, b) or "Person" not in (a, b)
    return False


def _values(v: Any) -> list[str]:
    items = v if isinstance(v, list) else [v]
    out = []
    for x in items:
        if x is None or isinstance(x, dict | list):
            continue
        s = str(x).strip()
        if s:
            out.append(s)
    return out


def _unique(xs: list[str]) -> list[str]:
    return list(dict.fromkeys(xs))


def _is_ftm_entity(obj: Any) -> bool:
    return isinstance(obj, dict) and "schema" in obj and "properties" in obj


_SCHEMA_IN_TEXT = re.compile(rb'"schema"\s*:\s*"(\w{1,40})"')


def _schema_of_broken_line(line: bytes) -> tuple[str | None, str | None]:
    """(column, value) the rejects file shows of a line that is not JSON: its schema when it can
    be read and is one this module names — nothing of its text, which may be a person's
    (docs/privacy.md, « Rejected rows »); the reason says where the line breaks.

    >>> _schema_of_broken_line(b'{"id": "p1", "schema": "Person", "properties": {"name": ["Marie Mar')
    ('schema', 'Person')
    >>> _schema_of_broken_line(b'{"schema": "Marie Martin", "prop')
    (None, None)
    """
    found = _SCHEMA_IN_TEXT.search(line)
    name = found.group(1).decode() if found else None
    if name in ACTOR_SCHEMATA or name in EDGE_RULES or name in PERSONAL_SCHEMATA:
        return "schema", name
    return None, None


class _FatalRows:
    """The rows with a fatal reject so far, read from a parse's rejects as they grow (they are
    only appended to). ``row in fatal`` looks the row up: scanning every reject for each edge
    that made no tie was quadratic (20,000 Memberships of an organisation with itself: 9 s)."""

    def __init__(self, rejects: list[Reject]):
        self._rejects, self._read, self._rows = rejects, 0, set()

    def __contains__(self, row: int) -> bool:
        new = self._rejects[self._read:]
        self._read += len(new)
        self._rows.update(r.row for r in new if r.fatal)
        return row in self._rows


class FtmLoader(Loader):
    name = "ftm"
    description = ("FollowTheMoney entities as JSON lines (OpenSanctions, Aleph): persons, companies, "
                   "directorships, ownerships")
    priority = 20

    def sniff(self, path: Path, head: bytes) -> bool:
        for line in head.splitlines():
            if not line.strip():
                continue
            try:
                return _is_ftm_entity(orjson.loads(line))
            except orjson.JSONDecodeError:
                # a first entity longer than the head: judge by its opening
                cut = head.rstrip(b"\r\n").endswith(line)
                return cut and line.lstrip().startswith(b"{") and b'"schema"' in line and b'"properties"' in line
        return False

    def parse(self, path: Path, source: Source, options: dict[str, Any] | None = None) -> Parsed:
        out = Parsed(distinct_keys=True)  # two FtM ids are two entities, even with one name
        entities = self._read(path, out)
        loaded: dict[str, int] = {}      # entity id → line of the actor statement made from it
        not_loaded: dict[str, str] = {}  # entity id → why its line was rejected
        for ent in entities.values():
            if ent.schema in ACTOR_SCHEMATA:
                actor = self._actor(ent, source, out)
                if actor is not None:
                    out.actors.append((ent.line, actor))
                    loaded[ent.id] = ent.line
                    continue
                not_loaded[ent.id] = f"line {ent.line} was rejected"
            elif ent.schema not in EDGE_RULES:
                reason = REJECTED_WHY.get(ent.schema, f"schema {ent.schema} is not a cooperation fact")
                out.rejects.append(Reject(ent.line, reason, "schema", ent.schema))
                not_loaded[ent.id] = f"its schema {ent.schema} is not loaded"
        fatal = _FatalRows(out.rejects)
        for ent in entities.values():
            if ent.schema in EDGE_RULES:
                self._edges(ent, EDGE_RULES[ent.schema], source, out, loaded, not_loaded, entities, fatal)
        stated = {row for row, _ in out.actors} | {row for row, _ in out.relations}
        for ent in entities.values():
            for row in ent.fragments:
                if ent.line in stated:
                    out.merged_rows.add(row)  # united with the entity's first line
                else:
                    out.rejects.append(Reject(row, f"fragment of entity {ent.id!r} (line {ent.line}), "
                                                   "which was not loaded", "id", ent.id))
        out.meta = {"schemata": dict(Counter(e.schema for e in entities.values())),
                    "datasets": sorted({d for e in entities.values() for d in _values(e.original.get("datasets", []))})}
        return out

    # -- reading ---------------------------------------------------------------------------------
    def _read(self, path: Path, out: Parsed) -> dict[str, Entity]:
        """Every non-blank line is a row; fragments of one entity are united on its first line."""
        entities: dict[str, Entity] = {}
        first_checked = False
        with path.open("rb") as f:
            for row, line in read_lines(f):
                if line is None:
                    if not first_checked:
                        raise LoadError(f"{path}: line {row} is longer than {MAX_LINE_BYTES // (1 << 20)} MiB; expected "
                                        "FollowTheMoney entities, one JSON object per line")
                    out.rows_read += 1
                    out.rejects.append(Reject(row, f"line longer than {MAX_LINE_BYTES // (1 << 20)} MiB: not read "
                                                   "(an entity is a few kilobytes)"))
                    continue
                if not line.strip():
                    continue
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError as e:
                    if not first_checked:
                        raise LoadError(f"{path}: line {row} is not JSON ({json_error(line, e)}); expected FollowTheMoney entities, "
                                        "one JSON object per line with \"schema\" and \"properties\"") from None
                    out.rows_read += 1
                    out.rejects.append(Reject(row, f"not valid JSON: {json_error(line, e)}",
                                              *_schema_of_broken_line(line)))
                    continue
                if not first_checked:
                    if not _is_ftm_entity(obj):
                        raise LoadError(f"{path}: line {row} is not a FollowTheMoney entity; expected a JSON "
                                        "object with \"schema\" and \"properties\"")
                    first_checked = True
                out.rows_read += 1
                out.originals[row] = shown(obj)
                self._add(row, obj, entities, out)
        if not first_checked:
            raise LoadError(f"{path}: no entity; expected FollowTheMoney entities, one JSON object per line")
        return entities

    def _add(self, row: int, obj: Any, entities: dict[str, Entity], out: Parsed) -> None:
        if not isinstance(obj, dict):
            out.rejects.append(Reject(row, "expected a JSON object (an FtM entity)", value=brief(obj)))
            return
        eid, schema, props = obj.get("id"), obj.get("schema"), obj.get("properties")
        if not isinstance(eid, str | int) or isinstance(eid, bool) or not str(eid).strip():
            out.rejects.append(Reject(row, "an FtM entity needs an \"id\" (a string)", "id",
                                      None if eid is None else brief(eid)))
            return
        if not isinstance(schema, str) or not schema.strip():
            out.rejects.append(Reject(row, "an FtM entity needs a \"schema\" (e.g. Company, Person, Directorship)",
                                      "schema", None if schema is None else str(schema)[:80]))
            return
        if not isinstance(props, dict):
            out.rejects.append(Reject(row, "\"properties\" must be an object of property → list of values",
                                      "properties", None if props is None else str(props)[:80]))
            return
        eid, schema = str(eid).strip(), schema.strip()
        values = {str(k): _values(v) for k, v in props.items()}
        caption = obj.get("caption")
        caption = caption.strip() if isinstance(caption, str) and caption.strip() else None
        prev = entities.get(eid)
        if prev is None:
            entities[eid] = Entity(row, eid, schema, caption, values, obj, own=obj.get(OWN))
            return
        # a fragment of an entity already read
        if not _same_nature(schema, prev.schema):
            out.rejects.append(Reject(row, f"entity {eid!r} is a {prev.schema} on line {prev.line}; "
                                           f"a fragment cannot make it a {schema}", "schema", schema))
            return
        if _SPECIFICITY.get(schema, 0) > _SPECIFICITY.get(prev.schema, 0):
            prev.schema = schema
        for k, vs in values.items():
            prev.props[k] = _unique(prev.props.get(k, []) + vs)
        prev.caption = prev.caption or caption
        prev.fragments.append(row)

    # -- actors ----------------------------------------------------------------------------------
    def _actor(self, ent: Entity, source: Source, out: Parsed) -> Actor | None:
        p = ent.props
        names = _unique([*p.get("name", []), *([ent.caption] if ent.caption else [])])
        name = ent.caption or (names[0] if names else None)
        if not name:
            out.rejects.append(Reject(ent.line, f"{ent.schema} {ent.id!r} has no caption and no name", "name"))
            return None
        aliases = [n for n in _unique(names + p.get("alias", []) + p.get("weakAlias", []) + p.get("previousName", [])
                                      + p.get("abbreviation", [])) if n != name]
        family, kind, ess = classify(ent.schema, name, p.get("legalForm", []), p.get("classification", []))
        data: dict[str, Any] = {"key": ent.id, "name": name, "aliases": aliases, "family": family, "kind": kind,
                                "ess": ess, "provenance": self._prov(source, ent)}
        if family == "person":
            data["facts"] = [f"position: {v}" for v in p.get("position", [])]
        else:
            countries = {c.lower() for k in ("jurisdiction", "country", "mainCountry") for c in p.get(k, [])}
            identifiers, facts = french_identifiers(p, "fr" in countries)
            data["identifiers"] = identifiers
            data["facts"] = facts + [f"{k}: {v}" for k in ("incorporationDate", "dissolutionDate", "status")
                                     for v in p.get(k, [])]
            if p.get("legalForm"):
                data["legal_form"] = p["legalForm"][0]
            where = p.get("address", []) or sorted(countries)
            if where:
                data["location_text"] = where[0]
            if p.get("address") and (not countries or "fr" in countries):
                # an address that names one French place locates the actor (and keeps two
                # homonyms in different départements apart during resolution); not for an
                # entity of another country, whose house number would read as a département
                # (« УЛ. ЛЕНИНА Д.40, Г. ЧАЙКОВСКИЙ » is not in the Landes)
                places = _geography().resolve_place(p["address"][0])
                if len(places) == 1:
                    data["location"] = places[0].id
        own = {k: v for k, v in ent.own_part(None, out).items() if k in OWN_ACTOR_FIELDS}
        try:
            return Actor.model_validate({**data, **own})
        except ValidationError as e:
            rejects = rejects_from_validation(ent.line, e)
        bad = {r.column for r in rejects if r.column in own}
        if bad and all(r.column in own for r in rejects):  # only maillage's own fields: left out, the actor kept
            for r in rejects:
                r.column, r.fatal = f"{OWN}.{r.column}", False
            out.rejects.extend(rejects)
            return Actor.model_validate({**data, **{k: v for k, v in own.items() if k not in bad}})
        out.rejects.extend(rejects)
        return None

    # -- edges -----------------------------------------------------------------------------------
    def _edges(self, ent: Entity, rule: EdgeRule, source: Source, out: Parsed, loaded: dict[str, int],
               not_loaded: dict[str, str], entities: dict[str, Entity], fatal: _FatalRows) -> None:
        p = ent.props
        ends: dict[str, list[str]] = {}
        for prop in (rule.source, rule.target):
            ids = p.get(prop, [])
            if not ids:
                out.rejects.append(Reject(ent.line, f"{ent.schema} has no {prop!r}: a tie needs both ends", prop))
                return
            for i in ids:
                if i in loaded:
                    continue
                if i in not_loaded:
                    why = f"{ent.schema} {prop} {i!r} was not loaded ({not_loaded[i]})"
                elif i in entities:
                    why = f"{ent.schema} {prop} {i!r} is a {entities[i].schema}, not an actor"
                else:
                    why = f"{ent.schema} {prop} {i!r} is not an entity of this file"
                out.rejects.append(Reject(ent.line, why, prop, i))
                return
            ends[prop] = ids
        rtype, certainty, own_fields = self._own_tie(ent, rule, out)
        fields: dict[str, Any] = dict(rule.constant)
        for fname, prop in rule.fields.items():
            if p.get(prop):
                fields[fname] = "; ".join(p[prop])
        notes = [fields.pop("note")] if "note" in fields else []
        notes += p.get("description", [])  # an Interval's description (maillage's export writes the note there)
        if ent.schema == "Ownership":
            # in French, as the map's tooltip and the exports show it (« Remarque : 49 % des parts »)
            notes += [f"{v} % des parts" for v in p.get("percentage", [])]
            notes += [f"{v} parts" for v in p.get("sharesCount", [])]
        if ent.schema == "Payment":
            self._payment(ent, fields, notes, out, own=own_fields is not None)
        if notes:
            fields["note"] = " ; ".join(notes)
        if own_fields is not None:  # written by maillage: FtM's properties for what they carry, the rest its own
            fields = {k: v for k, v in fields.items() if k in CARRIED.get(ent.schema, ())} | own_fields
        start, end = self._dates(ent, out)
        made = False
        # an entity tied to itself (a company holding its own shares, maillage's export of a
        # Département paying itself EU funds) is kept, as every loader keeps a self-tie
        # (maillage.loaders.load_file: a warning, left out of analyses)
        for s in ends[rule.source]:
            for t in ends[rule.target]:
                try:
                    rel = Relation(type=rtype, source=s, target=t, fields=fields, start=start, end=end,
                                   provenance=self._prov(source, ent, certainty))
                except ValidationError as e:
                    out.rejects.extend(rejects_from_validation(ent.line, e))
                    continue
                out.relations.append((ent.line, rel))
                made = True
        if not made and ent.line not in fatal:
            out.rejects.append(Reject(ent.line, f"{ent.schema} states no tie"))

    def _own_tie(self, ent: Entity, rule: EdgeRule, out: Parsed) -> tuple[str, str, dict[str, Any] | None]:
        """(type, certainty, fields) a tie's ``maillage`` object gives (:data:`CARRIED`): an
        UnknownLink's type, the certainty, the fields FtM has no property for — None without the
        object. A value the vocabulary refuses is left out with a warning (the type: ``related``)."""
        own = ent.own_part(None, out)
        if not isinstance(ent.own, dict):  # none, or not an object (a warning): read as another file's
            return rule.type, "stated", None
        rtype, fields = rule.type, {}
        if ent.schema == "UnknownLink" and "type" in own:
            try:
                rtype = vocabulary().relation_type(str(own["type"])).name
            except VocabularyError as e:
                out.rejects.append(Reject(ent.line, str(e), f"{OWN}.type", brief(own["type"]), fatal=False))
                return rule.type, self._own_certainty(ent, own, out), None  # read as any UnknownLink
        for k, v in ent.own_part("fields", out).items():
            try:
                fields[k] = coerce_field(rtype, k, v)
            except ValueError as e:
                out.rejects.append(Reject(ent.line, str(e), f"{OWN}.fields.{k}", brief(v), fatal=False))
        return rtype, self._own_certainty(ent, own, out), {k: v for k, v in fields.items() if v is not None}

    @staticmethod
    def _own_certainty(ent: Entity, own: dict[str, Any], out: Parsed) -> str:
        """The certainty ``maillage.certainty`` names, read as every loader reads one
        (:func:`..cells.certainty_or_stated`: another word leaves the tie stated, with a warning)."""
        certainty, unread = certainty_or_stated(own.get("certainty"))
        if unread:
            out.rejects.append(Reject(ent.line, unread, f"{OWN}.certainty", brief(own["certainty"]), fatal=False))
        return certainty

    def _payment(self, ent: Entity, fields: dict[str, Any], notes: list[str], out: Parsed, own: bool = False) -> None:
        p = ent.props
        currencies = {c.upper() for c in p.get("currency", [])}
        amounts = p.get("amountEur", []) or p.get("amount", [])
        eur = bool(p.get("amountEur")) or currencies <= {"EUR"}
        for raw in amounts[:1]:
            try:
                number = float(raw.replace(" ", "").replace(",", "."))
            except ValueError:
                out.rejects.append(Reject(ent.line, "amount is not a number; dropped", "amount", raw, fatal=False))
                continue
            try:  # CellError is a ValueError: checked apart, or a negative amount read as "not a number"
                value = check_quantity(number, raw, euros=eur)
            except CellError as e:
                out.rejects.append(Reject(ent.line, f"{e}: amount dropped", "amount", raw, fatal=False))
                continue
            if eur:
                fields["amount"] = value
            else:
                notes.append(f"montant {raw} {'/'.join(sorted(currencies))}")
        # maillage's export writes the year, when the tie has one, as ``date``: not from its start
        years = [d for d in (partial_date(v) for v in p.get("date", []) + ([] if own else p.get("startDate", []))) if d]
        if years:
            fields["year"] = int(min(years)[:4])

    def _dates(self, ent: Entity, out: Parsed) -> tuple[str | None, str | None]:
        found: dict[str, list[str]] = {}
        for prop in ("startDate", "endDate"):
            for v in ent.props.get(prop, []):
                d = partial_date(v)
                if d is None:
                    out.rejects.append(Reject(ent.line, "not a date (expected YYYY, YYYY-MM or YYYY-MM-DD); dropped",
                                              prop, v, fatal=False))
                else:
                    found.setdefault(prop, []).append(d)
        start = min(found["startDate"]) if "startDate" in found else None
        end = max(found["endDate"]) if "endDate" in found else None
        if start and end and start[:4] > end[:4]:
            out.rejects.append(Reject(ent.line, f"endDate {end} is before startDate {start}; end dropped",
                                      "endDate", end, fatal=False))
            end = None
        return start, end

    @staticmethod
    def _prov(source: Source, ent: Entity, certainty: str = "stated") -> Provenance:
        return Provenance(source=source.id, locator=f"line {ent.line}", quote=ent.caption, certainty=certainty)


LOADER = FtmLoader()
