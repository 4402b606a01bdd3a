"""Subsidy files in any layout, read through a declared column mapping (``--mapping FILE.yaml``).

A subsidy (subvention) row says that an **attribuant** (the public body that grants) funded —
or refused to fund — a **bénéficiaire**. Collectivités publish such files in the SCDL format
(:mod:`.scdl`), the older OpenDataFrance layout (:mod:`.odf`), or layouts of their own, like
Paris's « Subventions accordées et refusées ». This module is the one engine behind the three:
SCDL and ODF are built-in mappings, any other layout is described by a YAML mapping
(format and a worked example: ``docs/formats/subsidies.md``; the Paris mapping ships as
``maillage/data/mappings/paris-subventions.yaml``). A file is detected as this format only when
its header carries every column of a shipped mapping (:func:`recognised_mapping`); any other
layout needs ``--format subsidies --mapping FILE.yaml``.

What a row becomes:

- the **attribuant** and the **bénéficiaire** are actors, each stated once per file, on its
  first row; later rows refer to its key, which is its SIREN (a SIRET rolls up to its SIREN),
  else the publisher's own partner number (``local_id``, linked to a SIREN when another row
  gives both), else its RNA number, else its folded name;
- the attribuant's level (commune, EPCI, département, région, État) comes from its identifier
  and the reference geography (:mod:`._public_bodies`), never from its name; a stated type
  column (ODF ``COLL_TYPE``) is used only when the identifier says nothing;
- an actor's name is the first the file gives, the others are aliases; a **collectivité the
  reference data identify by its SIREN** (commune, EPCI, département, région), whose names in
  the file are all in capitals (« COMMUNE DE ROQUES »), is named as the reference data write it
  (« Commune de Roques », « CA du Sicoval », « Département de la Somme »:
  :func:`._public_bodies.name_in_place_of_capitals`) and keeps the file's names as aliases,
  for resolution, search and provenance. A name in mixed case is kept as written (« Ville de
  Nantes »). Other bénéficiaires keep their capitals (« LA POSTE »): nothing says how a free
  name is cased or accented;
- a bénéficiaire whose SIREN is a collectivité's is that collectivité; one with an RNA number is
  an association (ESS by status, loi n° 2014-856 art. 1); one whose name says what it is — a
  legal form or an institution's own name at its start, « ASSOCIATION LES VOIES CROISEES »,
  « SCIC … », « MISSION LOCALE … » (the member lists' rules, :data:`.members.NAME_RULES`) — is
  that; any other bénéficiaire is of family ``other``: a subsidy file does not say whether LA
  POSTE is an ESS enterprise, a SIRENE extract does (entity resolution then prefers the more
  specific family);
- a **granted** row is a ``funds`` tie attribuant → bénéficiaire: ``amount`` is the
  bénéficiaire's part, ``montant × pourcentageSubvention`` (``share``); the SCDL ``montant`` is
  the total before it is split between bénéficiaires;
- a **refused** (or pending) request is an ``applies_to`` tie bénéficiaire → attribuant with
  ``amount_requested`` and ``status`` ``refuse`` (``demande``): never a zero-euro grant, never a
  ``funds`` tie.

Rejected rows (with the reason, in the rejects file): no bénéficiaire (no name, identifier,
RNA or local number), no attribuant, a status value the mapping does not list. Warnings (the
row is kept without the value): damaged identifiers (see :func:`~maillage.loaders.cells.company_identifier`),
unreadable amounts, shares or dates, unknown natures. A row identical to an earlier row is
counted as merged.
"""

from __future__ import annotations

import errno
import hashlib
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from maillage.graph.model import Actor, Identifier, Provenance, Relation, Source
from maillage.graph.names import civility_name
from maillage.runtime import REPORT_EVERY, report

from ..base import LoadError, Loader, Parsed, Reject, Resolved
from ..cells import (MAX_EUROS, CellError, blank, company_identifier, parse_amount, parse_date, parse_period, rna_identifier,
                     total_label, withheld_name)
from ..tabular import Table, header_key, read_head, read_table, spreadsheet_header
from ._public_bodies import attribuant_body, name_in_place_of_capitals, public_body
from .members import Located, classify_name, clean_name, locate

# ---------------------------------------------------------------------------------------------
# the mapping

SECTIONS: dict[str, dict[str, str]] = {
    "attribuant": {
        "name": "name of the attribuant (the body that grants)",
        "id": "its SIRET or SIREN",
        "type": "its level as the file states it (COM, EPCI, DEP, REG, ETAT…), used only when the identifier says nothing",
    },
    "beneficiaire": {
        "name": "name of the bénéficiaire",
        "id": "its SIRET or SIREN",
        "rna": "its RNA number (associations)",
        "local_id": "the publisher's own number for the partner (e.g. Paris's SIMPA number)",
        "postal_code": "postal code of its address",
        "city": "commune of its address",
    },
    "grant": {
        "year": "year of the grant (budget year)",
        "date": "date of the decision or convention",
        "period": "payment period (A_B or A/B)",
        "amount": "amount granted (voted), before it is split between bénéficiaires",
        "share": "the bénéficiaire's share of the amount (0.45 or 45 %)",
        "amount_requested": "amount requested",
        "object": "object of the grant (kept as the tie's note)",
        "programme": "programme or call for projects",
        "dispositif": "aid scheme (dispositif d'aide)",
        "rae": "number in the Répertoire des aides aux entreprises (used as dispositif when there is none)",
        "nature": "nature: fonctionnement, investissement, projet, en nature",
        "aid_form": "SCDL 'nature': aide en numéraire / aide en nature",
    },
}
TOP_LEVEL = {"version", "title", "attribuant", "beneficiaire", "grant", "status", "nature_columns",
             "nature_values", "ignored_columns"}
STATUSES = {"granted": "accorde", "refused": "refuse", "requested": "demande"}
REQUEST_FIELDS = ("amount_requested", "year", "programme", "dispositif", "nature", "status", "note")
YEARS = (1800, 2200)  # the model's range for years and dates
NATURES = ("fonctionnement", "investissement", "en_nature", "projet")
NATURE_WORDS = {"fonctionnement": "fonctionnement", "investissement": "investissement", "equipement": "investissement",
                "projet": "projet", "en nature": "en_nature", "aide en nature": "en_nature", "nature": "en_nature"}
TYPE_WORDS = {"com": "commune", "commune": "commune", "ville": "commune", "dep": "departement",
              "departement": "departement", "cd": "departement", "reg": "region", "region": "region",
              "epci": "epci", "cc": "epci", "ca": "epci", "cu": "epci", "metro": "epci", "metropole": "epci",
              "etat": "etat", "state": "etat"}


@dataclass
class Ref:
    """Where a value comes from: the first of ``columns`` present in the file, or a fixed ``value``."""

    columns: tuple[str, ...] = ()
    value: str | None = None


@dataclass
class SubsidyMapping:
    """A layout: which column holds what (see ``SECTIONS``), and how statuses and natures read.

    ``strict``: every column the mapping names must exist (a YAML mapping); built-in mappings
    list alternative spellings and only need their ``required`` fields."""

    name: str
    fields: dict[str, Ref] = field(default_factory=dict)  # "section.key" → Ref
    title: str | None = None
    status: Ref | None = None
    status_values: dict[str, str] = field(default_factory=dict)  # folded raw value → demande/accorde/refuse
    nature_columns: dict[str, Ref] = field(default_factory=dict)
    nature_values: dict[str, str | None] = field(default_factory=dict)
    ignored_columns: tuple[str, ...] = ()
    strict: bool = True
    required_amount: bool = False
    source_file: str | None = None


def _ref(value: Any, where: str) -> Ref:
    if isinstance(value, str):
        return Ref(columns=(value,))
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return Ref(columns=tuple(value))
    if isinstance(value, dict) and set(value) == {"value"} and isinstance(value["value"], str | int | float):
        return Ref(value=str(value["value"]))
    raise ValueError(f"{where}: expected a column name, a list of column names, or {{value: …}} for a fixed value; "
                     f"got {value!r}")


def mapping_from_dict(data: Any, name: str, source_file: str | None = None) -> SubsidyMapping:
    """Build a :class:`SubsidyMapping` from parsed YAML; ``ValueError`` names the faulty key."""
    if not isinstance(data, dict):
        raise ValueError("a mapping is a YAML object with sections attribuant, beneficiaire, grant, status…")
    unknown = set(data) - TOP_LEVEL
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; expected: {', '.join(sorted(TOP_LEVEL))}")
    if data.get("version", 1) != 1:
        raise ValueError(f"version {data.get('version')!r}: this maillage reads mapping version 1")
    m = SubsidyMapping(name=name, title=data.get("title"), source_file=source_file)
    for section, keys in SECTIONS.items():
        body = data.get(section) or {}
        if not isinstance(body, dict):
            raise ValueError(f"{section}: expected an object with keys {', '.join(keys)}")
        bad = set(body) - set(keys)
        if bad:
            raise ValueError(f"{section}: unknown key(s) {', '.join(sorted(map(str, bad)))}; expected: {', '.join(keys)}")
        for key, value in body.items():
            if value is not None:
                m.fields[f"{section}.{key}"] = _ref(value, f"{section}.{key}")
    status = data.get("status")
    if status is not None:
        if not isinstance(status, dict) or "column" not in status:
            raise ValueError("status: expected {column: …, granted: [values], refused: [values], requested: [values]}")
        bad = set(status) - {"column", *STATUSES}
        if bad:
            raise ValueError(f"status: unknown key(s) {', '.join(sorted(bad))}; expected column, granted, refused, requested")
        m.status = _ref(status["column"], "status.column")
        for key, code in STATUSES.items():
            values = status.get(key) or []
            if isinstance(values, str):
                values = [values]
            for v in values:
                m.status_values[header_key(str(v))] = code
        if not m.status_values:
            raise ValueError("status: list the values that mean granted, refused (and requested)")
    for nature, col in (data.get("nature_columns") or {}).items():
        if nature not in NATURES:
            raise ValueError(f"nature_columns: {nature!r} is not a nature; expected one of {', '.join(NATURES)}")
        m.nature_columns[nature] = _ref(col, f"nature_columns.{nature}")
    for raw, nature in (data.get("nature_values") or {}).items():
        if nature is not None and nature not in NATURES:
            raise ValueError(f"nature_values: {nature!r} is not a nature; expected one of {', '.join(NATURES)} or null")
        m.nature_values[header_key(str(raw))] = nature
    ignored = data.get("ignored_columns") or []
    if not isinstance(ignored, list):
        raise ValueError("ignored_columns: expected a list of column names")
    m.ignored_columns = tuple(str(c) for c in ignored)
    return m


def load_mapping(path: str | Path) -> SubsidyMapping:
    """Read a YAML mapping file; :class:`LoadError` names the file and the faulty key."""
    import yaml

    p = Path(path)
    if not p.is_file():
        raise LoadError(f"mapping {p}: no such file")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise LoadError(f"mapping {p}: not readable YAML ({e})") from None
    except OSError as e:  # said of the mapping, not of the file it reads (which the load would name)
        why = ": this user may not read it" if e.errno in (errno.EACCES, errno.EPERM) else f" ({e.strerror or e})"
        raise LoadError(f"mapping {p}: cannot read it{why}") from None
    try:
        return mapping_from_dict(data, name=p.stem, source_file=str(p))
    except ValueError as e:
        raise LoadError(f"mapping {p}: {e}") from None


# ---------------------------------------------------------------------------------------------
# binding a mapping to a table

@dataclass
class Bound:
    """A mapping bound to a table's columns: ``index[field]`` is a column index."""

    mapping: SubsidyMapping
    table: Table
    index: dict[str, int]
    fixed: dict[str, str]
    status_index: int | None
    nature_index: dict[str, int]

    def has(self, name: str) -> bool:
        return name in self.index or name in self.fixed


def bind(mapping: SubsidyMapping, table: Table) -> Bound:
    """Find each field's column; :class:`LoadError` when the file lacks what the mapping needs."""
    where = f"{table.path}"
    aliases = {name: ref.columns for name, ref in mapping.fields.items() if ref.columns}
    index = table.index(aliases)
    fixed = {name: ref.value for name, ref in mapping.fields.items() if ref.value is not None}
    status_index = None
    if mapping.status is not None:
        if mapping.status.value is not None:
            raise LoadError(f"mapping {mapping.source_file or mapping.name}: status.column must name a column")
        found = table.index({"status": mapping.status.columns})
        status_index = found.get("status")
    nature_index = table.index({n: ref.columns for n, ref in mapping.nature_columns.items()})
    available = ", ".join(table.columns)
    if mapping.strict:
        missing = [f"{name} ({' / '.join(ref.columns)})" for name, ref in mapping.fields.items()
                   if ref.columns and name not in index]
        missing += [f"nature_columns.{n} ({' / '.join(ref.columns)})" for n, ref in mapping.nature_columns.items()
                    if n not in nature_index]
        if mapping.status is not None and status_index is None:
            missing.append(f"status.column ({' / '.join(mapping.status.columns)})")
        if missing:
            raise LoadError(f"{where}: the mapping {mapping.source_file or mapping.name} names column(s) this file "
                            f"does not have: {'; '.join(missing)}. Columns found: {available}")
    b = Bound(mapping, table, index, fixed, status_index, nature_index)
    needs = []
    if not any(b.has(f"beneficiaire.{k}") for k in ("name", "id", "rna", "local_id")):
        needs.append("a bénéficiaire column (name, SIRET or RNA)")
    if not any(b.has(f"attribuant.{k}") for k in ("name", "id")):
        needs.append("the attribuant (a column, or a fixed name/SIREN in the mapping)")
    if mapping.required_amount and not b.has("grant.amount"):
        needs.append("an amount column")
    elif not (b.has("grant.amount") or b.has("grant.amount_requested") or status_index is not None):
        needs.append("an amount or a status column")
    if needs:  # in English, as every load error; maillage.loaders.motifs gives the French
        label = {"scdl": "SCDL subventions", "odf-subventions": "OpenDataFrance subventions"}.get(
            mapping.name, f"subsidies (mapping {mapping.name})")
        raise LoadError(f"{where}: cannot read this file as {label}: it lacks {', '.join(needs)}. "
                        f"Columns found: {available}")
    return b


# ---------------------------------------------------------------------------------------------
# the engine

BLANK_WORDS = {"null", "none", "nan", "n/a", "#n/a"}  # as maillage.loaders.cells.blank


#: French amounts with no room for doubt: ``26 956,00``, ``1266,5``, ``12 000`` (thousands by
#: space or no-break space, at most two decimals after a comma; ``1,266`` is left to parse_amount)
_FRENCH_AMOUNT = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+(?:,[0-9]{1,2})?|[0-9]+,[0-9]{1,2}")
_NO_SPACES = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, ",": "."})


def quick_amount(raw: str) -> float:
    """:func:`~maillage.loaders.cells.parse_amount`, with a fast path for the plain numbers most
    files hold (``2400``, ``2400.0``, ``26 956,00``); same results (tests/test_loader_subsidies.py
    checks it)."""
    if raw.isascii():
        if raw.isdigit():
            return float(raw)
        head, dot, tail = raw.partition(".")
        if dot and head.isdigit() and tail.isdigit() and not (len(tail) == 3 and len(head) <= 3 and head != "0"):
            return float(raw)
    if _FRENCH_AMOUNT.fullmatch(raw):
        return float(raw.translate(_NO_SPACES))
    return parse_amount(raw)


def outside_years(date: str | None) -> bool:
    """Whether a date (partial ISO, from :func:`~maillage.loaders.cells.parse_date`) is outside
    the model's :data:`YEARS`.

    >>> outside_years("1799-12-31"), outside_years("2017-04"), outside_years(None)
    (True, False, False)
    """
    return date is not None and not YEARS[0] <= int(date[:4]) <= YEARS[1]


def period_reading(raw: str) -> tuple[str | None, str | None, bool]:
    """:func:`~maillage.loaders.cells.parse_period`, and whether the period is outside :data:`YEARS`."""
    start, end = parse_period(raw)
    return start, end, outside_years(start) or outside_years(end)


@dataclass(slots=True)
class Party:
    """One side of a row, as read: what identifies it and what it is called."""

    name: str | None = None
    siren: str | None = None
    siret: str | None = None
    rna: str | None = None
    local_id: str | None = None
    place: str | None = None
    postal_code: str | None = None
    city: str | None = None
    stated_type: str | None = None

    def empty(self) -> bool:
        return not (self.name or self.siren or self.rna or self.local_id)


@dataclass(slots=True)
class ActorDraft:
    first_row: int
    role: str  # attribuant | beneficiaire
    names: list[str] = field(default_factory=list)
    identifiers: dict[tuple[str, str], None] = field(default_factory=dict)
    stated_type: str | None = None
    place: str | None = None
    place_text: str | None = None
    place_key: tuple[str | None, str | None] | None = None  # the postal code and commune last read for its place


@dataclass(slots=True)
class RowRecord:
    number: int
    attribuant: Party
    beneficiaire: Party
    status: str
    fields: dict[str, Any]
    start: str | None
    end: str | None


_EVERY_FIELD: dict[type, set[str]] = {}


def assemble(template, **changes):
    """A copy of a validated record (the template) with ``changes``: what ``model_copy(update=…)``
    does, without its three dictionary copies, and what ``model_construct`` does, without its
    per-call inspection of default factories (a hot path: one tie per row). Only for values
    already checked; tests re-validate every record it builds from the real files.

    Every field counts as set (``model_fields_set``), through one set shared by all the records
    of a class: a set per record was a third of a parsed file's memory (300 bytes a record, three
    records a row). Sharing is safe because pydantic only ever adds a field's name to it, which
    is already there; nothing in maillage dumps with ``exclude_unset``.

    >>> from maillage.graph.model import Provenance
    >>> a, b = (assemble(Provenance(source="s"), locator=f"row {n}") for n in (1, 2))
    >>> b.document = "d"
    >>> a.locator, a.document, a.model_fields_set == set(Provenance.model_fields)
    ('row 1', None, True)
    """
    cls = type(template)
    every = _EVERY_FIELD.get(cls)
    if every is None:
        every = _EVERY_FIELD[cls] = set(cls.model_fields)
    m = _new(cls)
    _set(m, "__dict__", {**template.__dict__, **changes})
    _set(m, "__pydantic_fields_set__", every)
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


_new, _set = object.__new__, object.__setattr__  # looked up once: assemble runs twice a row


#: What :func:`~.members.clean_name` would change in a name: a run of spaces, a tab or a line
#: break, an HTML entity. Searched first: cleaning every row's names made new strings of them
#: (a regular expression's substitution copies), 17 MiB more per 100,000 rows.
_UNCLEAN = re.compile(r"\s\s|[\t\r\n\v\f]|&\w+;|&#")


class SubsidyEngine:
    """Turns a table bound to a mapping into statements (see the module docstring)."""

    def __init__(self, bound: Bound, source: Source, loader_name: str):
        self.b = bound
        self.source = source
        self.loader_name = loader_name
        self.out = Parsed()
        self._ids: dict[str, Any] = {}
        self._places: dict[tuple[str, str], Located] = {}
        self._warned_attribuant: set[str] = set()
        self._natures: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        self._readings: dict[str, dict[str, Any]] = defaultdict(dict)  # kind → raw value → reading (_cached)
        self._statuses: dict[str, str | None] = {}
        self._amounts: dict[str, Any] = {}
        self._index_items = list(bound.index.items())
        self._party_keys = {side: tuple(f"{side}.{k}" for k in ("name", "id", "rna", "local_id", "type",
                                                                 "postal_code", "city"))
                            for side in ("attribuant", "beneficiaire")}
        self._party_mapped = {side: tuple(k for k in keys if bound.has(k)) for side, keys in self._party_keys.items()}
        self._vals: dict[str, str] = {}
        self._parties: dict[str, dict[tuple[str | None, ...], tuple[Party, tuple]]] = {"attribuant": {}, "beneficiaire": {}}
        self._prov_t = Provenance(source=source.id, locator="row 0")
        self._id_t = Identifier(scheme="siren", value="217500016")
        self._actor_t = Actor(key="template", name="template", family="other", provenance=self._prov_t)

    # -- cells -----------------------------------------------------------------------------

    def values(self, row) -> dict[str, str]:
        """Every mapped field of a row, read once: blanks left out, fixed values added (the
        cells are stripped already: :func:`~maillage.loaders.tabular.text_cells`)."""
        vals = {}
        cells = row.cells
        for name, i in self._index_items:
            v = cells[i]
            if v and (len(v) > 4 or v.lower() not in BLANK_WORDS):
                vals[name] = v
        if self.b.fixed:
            vals.update(self.b.fixed)
        return vals

    def column(self, name: str) -> str:
        i = self.b.index.get(name)
        return self.b.table.columns[i] if i is not None else f"(mapping: {name})"

    def warn(self, row: int, name: str, value: str | None, reason: str) -> None:
        self.out.rejects.append(Reject(row, reason, self.column(name), value, fatal=False))

    def company(self, raw: str):
        got = self._ids.get(raw)
        if got is None:
            got = self._ids[raw] = company_identifier(raw)
        return got

    # -- parties ---------------------------------------------------------------------------

    def party(self, row, side: str) -> Party:
        """The party on ``side`` of the row being read. Its cells are read once per distinct set
        of values (:meth:`read_party`): the rows that state a party in the same words share one
        :class:`Party` (never changed once read), and the warnings its cells raise are said again
        on each of them."""
        vals = self._vals
        cells = tuple([vals.get(k) for k in self._party_mapped[side]])
        known = self._parties[side]
        got = known.get(cells)
        if got is None:  # read from all its fields (those not mapped are None)
            got = known[cells] = self.read_party(side, tuple([vals.get(k) for k in self._party_keys[side]]))
        p, warnings = got
        for name, value, reason in warnings:
            self.warn(row.number, name, value, reason)
        return p

    def read_party(self, side: str, cells: tuple[str | None, ...]) -> tuple[Party, tuple[tuple[str, str, str], ...]]:
        """``(party, warnings)`` from a side's values (name, id, rna, local_id, type, postal_code,
        city: ``None`` when blank); each warning is ``(field, value, reason)``."""
        name, raw_id, raw_rna, local_id, stated_type, cp, city = cells
        name_k, id_k, rna_k = self._party_keys[side][:3]
        warnings = []
        if name and _UNCLEAN.search(name):  # « Coop  Sud », « Escale &amp; CO »: as every loader writes them
            name = clean_name(name)
        p = Party(name=name)
        if raw_id:
            cid = self.company(raw_id)
            if cid.siren:
                p.siren, p.siret = cid.siren, cid.siret
            elif raw_id.upper().startswith("W") and rna_identifier(raw_id)[0]:
                p.rna = rna_identifier(raw_id)[0]
                warnings.append((id_k, raw_id, "an RNA number in the SIRET column: kept as the RNA"))
                cid = None
            if cid is not None and cid.note:
                warnings.append((id_k, raw_id, cid.note))
        if raw_rna:
            rna, note = rna_identifier(raw_rna)
            if rna:
                p.rna = rna
            elif note:
                warnings.append((rna_k, raw_rna, note))
        p.local_id = local_id
        p.stated_type = stated_type
        if cp or city:
            p.postal_code, p.city = cp, city
        return p, tuple(warnings)

    def locate(self, row: int, side: str, cp: str | None, city: str | None) -> tuple[str | None, str | None]:
        """Where a party's postal code and commune place it, and its text: a member list's rule and
        its warnings (:func:`.members.locate`, said on ``row``): the one place they name, else the
        territory holding them all (« 78600 MAISON LAFFITTE », a code of three communes: their
        EPCI), none when they contradict each other (« 31000 » and « Lyon »)."""
        key = (cp or "", city or "")
        got = self._places.get(key)
        if got is None:
            got = self._places[key] = locate(None, cp, city, {"postcode": self.column(f"{side}.postal_code")})
        for f, value, reason in got.warnings:  # (field, value, reason); the fields are postcode and commune
            self.warn(row, f"{side}.postal_code" if f == "postcode" else f"{side}.city", value, reason)
        return got.location, got.text

    # -- values ----------------------------------------------------------------------------

    def amount(self, row, name: str) -> float | None:
        raw = self._vals.get(name)
        if raw is None:
            return None
        try:
            value = quick_amount(raw)
        except CellError as e:
            self.warn(row.number, name, raw, f"{e}; amount left unknown")
            return None
        if value < 0:
            self.warn(row.number, name, raw, "a negative amount (a cancellation?): amount left unknown")
            return None
        if not math.isfinite(value):
            self.warn(row.number, name, raw, "not a finite amount: amount left unknown")
            return None
        if value > MAX_EUROS:
            self.warn(row.number, name, raw, f"an amount above {MAX_EUROS:,.0f} € is a typing or unit error, not a "
                                             "grant: amount left unknown")
            return None
        return value

    def share(self, row) -> float | None:
        raw = self._vals.get("grant.share")
        if raw is None:
            return None
        try:
            value = self._amounts[raw] if raw in self._amounts else quick_amount(raw.replace("%", ""))
            self._amounts[raw] = value
        except CellError:
            self.warn(row.number, "grant.share", raw, "expected a share such as 1.0 or 0.45: share unknown, "
                                                        "amount is the total of the grant")
            return None
        if "%" in raw or 1 < value <= 100:
            value = value / 100
            if "%" not in raw:
                self.warn(row.number, "grant.share", raw, f"share {raw} read as a percentage ({value:g}); "
                                                            "the SCDL expects a decimal between 0.01 and 1")
        if not 0 < value <= 1:
            self.warn(row.number, "grant.share", raw, "a share must be above 0 and at most 1 (100 %): share unknown, "
                                                        "amount is the total of the grant")
            return None
        return value

    def _cached(self, kind: str, raw: str, parse) -> Any:
        """``parse(raw)`` (never None), or the CellError it raised, computed once per distinct value."""
        known = self._readings[kind]
        got = known.get(raw)
        if got is None:
            try:
                got = parse(raw)
            except CellError as e:
                got = e
            known[raw] = got
        return got

    def date(self, row, name: str) -> str | None:
        raw = self._vals.get(name)
        if raw is None:
            return None
        got = self._cached("date", raw, parse_date)
        if isinstance(got, CellError):
            self.warn(row.number, name, raw, f"{got}; date left unknown")
            return None
        return got

    def _nature_of(self, name: str, raw: str) -> tuple[str | None, str | None]:
        """``(nature, warning)`` for a value of the nature or aid-form column (cached: values repeat)."""
        got = self._natures.get((name, raw))
        if got is None:
            key = header_key(raw)
            warning = None
            if key in self.b.mapping.nature_values:
                n = self.b.mapping.nature_values[key]
            elif name == "grant.aid_form":  # SCDL: aide en numéraire / aide en nature (or both)
                parts = {header_key(p) for p in raw.split(";") if p.strip()}
                n = "en_nature" if parts == {"aide en nature"} else None
                if not parts <= {"aide en nature", "aide en numeraire"}:
                    warning = "expected 'aide en numéraire' and/or 'aide en nature'"
            else:
                n = NATURE_WORDS.get(key)
                if n is None:
                    warning = "nature not understood; expected fonctionnement, investissement, projet or en nature"
            got = self._natures[(name, raw)] = (n, warning)
        return got

    def nature(self, row) -> str | None:
        natures: list[str] = []
        for name in ("grant.nature", "grant.aid_form"):
            raw = self._vals.get(name)
            if raw is None:
                continue
            n, warning = self._nature_of(name, raw)
            if warning:
                self.warn(row.number, name, raw, warning)
            if n:
                natures.append(n)
        if not natures and self.b.nature_index:
            for n, i in self.b.nature_index.items():
                v = row.cells[i]
                if blank(v):
                    continue
                try:
                    if parse_amount(v) > 0:
                        natures.append(n)
                except CellError:
                    natures.append(n)
        if len(natures) > 1:
            natures = list(dict.fromkeys(natures))
        return natures[0] if len(natures) == 1 else None

    # -- rows ------------------------------------------------------------------------------

    def total_row(self, row, att: Party, ben: Party) -> tuple[str, str] | None:
        """``(column, label)`` when the row is a spreadsheet's summary row: a party named
        ``TOTAL``, ``Total général``… (:func:`~maillage.loaders.cells.total_label`) with no
        identifier, or such a label in the first column while the bénéficiaire has none. Loaded,
        it was a grant of the file's sum to an actor called « TOTAL »."""
        if ben.siren or ben.rna or ben.local_id:
            return None
        for side, p in (("beneficiaire", ben), ("attribuant", att)):
            if p.name and total_label(p.name) and not (p.siren or p.rna or p.local_id):
                return self.column(f"{side}.name"), p.name
        first = row.cells[0].strip() if row.cells else ""
        if total_label(first):
            return self.b.table.columns[0], first
        return None

    def read_row(self, row) -> RowRecord | None:
        n = row.number
        self._vals = vals = self.values(row)
        get = vals.get
        att = self.party(row, "attribuant")
        ben = self.party(row, "beneficiaire")
        total = self.total_row(row, att, ben)
        if total:
            column, label = total
            self.out.rejects.append(Reject(n, f"{label!r} marks a total row (a sum of other rows), not a grant: "
                                              "not loaded", column, label))
            return None
        if ben.name and not (ben.siren or ben.rna or ben.local_id) and withheld_name(ben.name):
            self.out.rejects.append(Reject(n, f"bénéficiaire {ben.name!r}: a name withheld (a natural person's, as the "
                                              "SCDL asks), no one to tie the grant to: not loaded",
                                           self.column("beneficiaire.name"), ben.name))
            return None
        if ben.empty():
            cols = [self.column(f"beneficiaire.{k}") for k in ("name", "id", "rna", "local_id")
                    if f"beneficiaire.{k}" in self.b.index]
            self.out.rejects.append(Reject(n, f"no bénéficiaire: {', '.join(cols)} empty or unusable", cols[0] if cols else None))
            return None
        if att.empty():
            cols = [self.column(f"attribuant.{k}") for k in ("name", "id") if f"attribuant.{k}" in self.b.index]
            self.out.rejects.append(Reject(n, f"no attribuant: {', '.join(cols) or 'attribuant'} empty or unusable",
                                           cols[0] if cols else None))
            return None
        status = "accorde"
        if self.b.status_index is not None:
            raw = row.cells[self.b.status_index]
            if raw not in self._statuses:
                self._statuses[raw] = self.b.mapping.status_values.get(header_key(raw)) if not blank(raw) else None
            code = self._statuses[raw]
            if code is None:
                expected = ", ".join(sorted({v for v in self.b.mapping.status_values}))
                why = (f"status empty: cannot tell a grant from a refusal (expected one of {expected})" if blank(raw)
                       else f"status {raw!r} is not one the mapping lists ({expected}): cannot tell a grant from a refusal")
                self.out.rejects.append(Reject(n, why, self.b.table.columns[self.b.status_index], raw))
                return None
            status = code
        f: dict[str, Any] = {}
        requested = self.amount(row, "grant.amount_requested")
        if requested is not None:
            f["amount_requested"] = requested
        total = self.amount(row, "grant.amount")
        if status == "accorde":
            share = self.share(row)
            if share is not None:
                f["share"] = share
            elif self.b.has("grant.share") and total is not None and get("grant.share") is None:
                self.warn(n, "grant.share", None, "share not stated: amount is the total of the grant")
            if total is not None:
                f["amount"] = round(total * share, 2) if share is not None else total
        elif total:
            self.warn(n, "grant.amount", get("grant.amount"),
                      f"a request marked {'refused' if status == 'refuse' else 'pending'} has an amount granted: ignored")
        f["status"] = status
        date = self.date(row, "grant.date")
        start = end = None
        raw_period = get("grant.period")
        period_outside = False
        if raw_period:
            got = self._cached("period", raw_period, period_reading)
            if isinstance(got, CellError):
                self.warn(n, "grant.period", raw_period, f"{got}; period left unknown")
            else:
                start, end, period_outside = got
        year = None
        raw_year = get("grant.year")
        if raw_year:
            got = self._cached("year", raw_year, lambda v: int(parse_date(v, excel_serial=False)[:4]))
            if isinstance(got, CellError):
                self.warn(n, "grant.year", raw_year, "expected a year such as 2013; year left unknown")
            else:
                year = got
        if year is not None and not YEARS[0] <= year <= YEARS[1]:
            self.warn(n, "grant.year", raw_year, f"year {year} is outside {YEARS[0]}–{YEARS[1]}: left unknown")
            year = None
        if outside_years(date):
            self.warn(n, "grant.date", date, f"date outside {YEARS[0]}–{YEARS[1]}: left unknown")
            date = None
        if period_outside:
            self.warn(n, "grant.period", raw_period, f"period outside {YEARS[0]}–{YEARS[1]}: left unknown")
            start = end = None
        if start and end and start[:4] > end[:4]:
            self.warn(n, "grant.period", raw_period, "the period ends before it starts: left unknown")
            start = end = None
        year = year or (int(date[:4]) if date else None) or (int(start[:4]) if start else None)
        if year is not None:
            f["year"] = year
        if start is None and end is None:
            start = end = date or (str(year) if year else None)
        nature = self.nature(row)
        if nature:
            f["nature"] = nature
        for name, key in (("grant.programme", "programme"), ("grant.dispositif", "dispositif"),
                          ("grant.object", "note")):
            v = get(name)
            if v:
                f[key] = v
        rae = get("grant.rae")
        if rae and "dispositif" not in f:
            f["dispositif"] = f"RAE {rae}"
        return RowRecord(n, att, ben, status, f, start, end)

    # -- keys and actors -------------------------------------------------------------------

    def parse(self) -> Parsed:
        table = self.b.table
        out = self.out
        out.rows_read = len(table.rows)
        out.title = self.b.mapping.title
        out.meta = {"mapping": self.b.mapping.name, "encoding": table.encoding, "delimiter": table.delimiter,
                    "sheet": table.sheet, "notes": table.notes, "columns": table.columns}
        records: list[RowRecord] = []
        seen_rows: dict[bytes, int] = {}
        rows, columns = table.rows, table.columns
        # each row is let go once read: the table's cells were as much memory as the records made
        # from them. The originals of the rows flagged while read are kept here; those of rows
        # found wrong later are read again from the file (Parsed.reread)
        n_rows = len(rows)
        for i, row in enumerate(rows):
            rows[i] = None
            if i % REPORT_EVERY == 0:
                report("parse", i, n_rows)
            flagged = len(out.rejects)
            fingerprint = row_fingerprint(row)
            if row.number in table.repeated_header:
                out.rejects.append(Reject(row.number, "the header again (files pasted one after another?), not a "
                                                      "grant: not loaded", columns[0], row.cells[0]))
            elif fingerprint in seen_rows:
                out.merged_rows.add(row.number)
                out.rejects.append(Reject(row.number, f"same values as row {seen_rows[fingerprint]}: counted once",
                                          fatal=False))
            else:
                seen_rows[fingerprint] = row.number
                rec = self.read_row(row)
                if rec is not None:
                    records.append(rec)
            if len(out.rejects) > flagged:
                out.originals[row.number] = row.as_dict(columns)
        del seen_rows
        self._parties = {side: {} for side in self._parties}  # the parties read live on in the records

        # a local number or an RNA seen with exactly one SIREN stands for that SIREN
        links: dict[str, set[str]] = defaultdict(set)
        for rec in records:
            for p in (rec.attribuant, rec.beneficiaire):
                if p.siren:
                    if p.local_id:
                        links[f"id:{p.local_id}"].add(p.siren)
                    if p.rna:
                        links[f"rna:{p.rna}"].add(p.siren)

        def key_of(p: Party) -> str:
            if p.siren:
                return f"siren:{p.siren}"
            for k in ((f"id:{p.local_id}" if p.local_id else None), (f"rna:{p.rna}" if p.rna else None)):
                if k and len(links.get(k, ())) == 1:
                    return f"siren:{next(iter(links[k]))}"
            if p.rna:
                return f"rna:{p.rna}"
            if p.local_id:
                return f"id:{p.local_id}"
            return f"nom:{header_key(p.name or '')}"

        drafts: dict[str, ActorDraft] = {}
        canonical: dict[str, str] = {}  # one string per key, shared by the ties (a row's copy is freed)

        # rows share a Party (SubsidyEngine.party, one side each): noting one again changes nothing,
        # unless it has a place (a place that did not place its actor is looked up again when
        # another spelling of the actor's place came between)
        noted: dict[int, str] = {}  # id of a Party without a place → its key

        def note(p: Party, role: str, row: int) -> str:
            k = key_of(p)
            k = canonical.setdefault(k, k)
            if p.postal_code is None and p.city is None:
                noted[id(p)] = k
            d = drafts.get(k)
            if d is None:
                d = drafts[k] = ActorDraft(first_row=row, role=role)
            elif role == "attribuant":
                d.role = "attribuant"
            if p.name and p.name not in d.names:
                d.names.append(p.name)
            for scheme, value in (("siren", p.siren), ("siret", p.siret), ("rna", p.rna)):
                if value:
                    d.identifiers[(scheme, value)] = None
            if k.startswith("siren:"):
                d.identifiers[("siren", k[6:])] = None
            d.stated_type = d.stated_type or p.stated_type
            # placed by its first row that does; a place that did not is said once, on the row giving it first
            if d.place is None and (p.postal_code or p.city) and d.place_key != (p.postal_code, p.city):
                d.place_key = (p.postal_code, p.city)
                d.place, d.place_text = self.locate(row, role, p.postal_code, p.city)
            return k

        pending: list[tuple[RowRecord, str, str]] = []
        for rec in records:
            ka = noted.get(id(rec.attribuant)) or note(rec.attribuant, "attribuant", rec.number)
            kb = noted.get(id(rec.beneficiaire)) or note(rec.beneficiaire, "beneficiaire", rec.number)
            pending.append((rec, ka, kb))
        del records
        noted.clear()

        persons = 0
        for key, d in drafts.items():
            actor = self.build_actor(key, d)
            persons += actor.family == "person"
            out.actors.append((d.first_row, actor))
        if persons:  # said where the reading's other notes are (the table's list, in the source's meta)
            out.meta.setdefault("notes", []).append(
                f"{persons} bénéficiaire{'s are' if persons > 1 else ' is a'} natural person{'s' if persons > 1 else ''} "
                "(a civility before the name, no identifier): personal data, kept out of public views and exports")

        prov_t = self._prov_t
        relation_t = Relation(type="funds", source="?", target="?", provenance=prov_t)
        # each row's record (its two parties, the names as read) is let go once its tie is built:
        # records and ties together were the peak of a large file's memory
        pending.reverse()
        while pending:
            rec, ka, kb = pending.pop()
            # every value was checked when the row was read (types, enumerations, date ranges): the
            # tie is built without validating it again; tests/test_loader_scdl.py re-validates
            # every tie built from the real files against the model
            if ka == kb:
                out.rejects.append(Reject(rec.number, "the attribuant is its own bénéficiaire (same identifier): kept "
                                                      "as a tie to itself", self.column("beneficiaire.id"),
                                          ka.split(":", 1)[1], fatal=False))
            prov = assemble(prov_t, locator=f"row {rec.number}")
            if rec.status == "accorde":
                rec.fields["resource"] = "subvention"
                rel = assemble(relation_t, source=ka, target=kb, fields=rec.fields, start=rec.start, end=rec.end,
                               provenance=prov)
            else:
                rel = assemble(relation_t, type="applies_to", source=kb, target=ka, start=rec.start, end=rec.end,
                               fields={k: v for k, v in rec.fields.items() if k in REQUEST_FIELDS}, provenance=prov)
            out.relations.append((rec.number, rel))

        return out

    def build_actor(self, key: str, d: ActorDraft) -> Actor:
        siren = next((v for (s, v) in d.identifiers if s == "siren"), None)
        name = d.names[0] if d.names else None
        placeholder = False
        if name is None:
            ident = siren or next((v for (_, v) in d.identifiers), None) or key.split(":", 1)[1]
            name = f"{'attribuant' if d.role == 'attribuant' else 'bénéficiaire'} {ident}"
            placeholder = True
        data: dict[str, Any] = {
            "key": key, "name": name, "aliases": d.names[1:], "placeholder": placeholder,
            # checked by company_identifier / rna_identifier (python-stdnum, the RNA pattern)
            "identifiers": [assemble(self._id_t, scheme=s, value=v) for (s, v) in d.identifiers],
            "provenance": assemble(self._prov_t, locator=f"row {d.first_row}"),
        }
        if d.role == "attribuant":
            body = attribuant_body(siren)
            stated = TYPE_WORDS.get(header_key(d.stated_type or ""))
            if body is None or (body.certainty == "inferred" and stated):
                if stated == "etat":
                    data.update(family="state", kind="etat_autre")
                elif stated:
                    data.update(family="collectivite", kind=stated)
                else:
                    data.update(family="collectivite", kind="collectivite_autre")
                    if key not in self._warned_attribuant:
                        self._warned_attribuant.add(key)
                        self.out.rejects.append(Reject(
                            d.first_row, "attribuant's level unknown: its identifier is missing or not a public body's "
                                         "SIREN, and no type column says it (recorded as an other collectivité)",
                            self.column("attribuant.id"), siren, fatal=False))
            else:
                data.update(family=body.family, kind=body.kind, territory=body.territory, location=body.territory)
                if body.certainty == "inferred" and key not in self._warned_attribuant:
                    self._warned_attribuant.add(key)
                    self.out.rejects.append(Reject(d.first_row, f"attribuant's level inferred: {body.why}",
                                                   self.column("attribuant.id"), siren, fatal=False))
        else:
            body = public_body(siren)
            if body is not None:
                data.update(family=body.family, kind=body.kind, territory=body.territory, location=body.territory)
            elif any(s == "rna" for (s, _) in d.identifiers):
                data.update(family="ess", kind="association", ess=True)
            elif not d.identifiers and not placeholder and civility_name(name):  # « M. DUPONT Jean »: a person
                data.update(family="person", kind="personne", aliases=[])
            elif not placeholder and (said := classify_name(name, siren)) is not None:  # « ASSOCIATION LES VOIES… »
                data.update(family=said.family, kind=said.kind)
            else:
                data.update(family="other")
        if body is not None and (shown := name_in_place_of_capitals(body, d.names)):
            data["name"] = shown
            data["aliases"] = [n for n in d.names if n != shown]
        if d.place_text and data.get("location") is None and data.get("family") != "person":  # a person's: not kept
            data["location"] = d.place
            data["location_text"] = d.place_text
        # every value comes from the vocabulary, the reference geography or a checked cell
        # (identifiers by python-stdnum): built without validating the identifiers a second time;
        # tests/test_loader_scdl.py re-validates the actors built from the real files
        return assemble(self._actor_t, facts=[], declared={}, attributes={}, **data)


# ---------------------------------------------------------------------------------------------
# the loader

TABLE_OPTIONS = frozenset({"sheet", "encoding", "delimiter"})


def read_options(options: dict[str, Any]) -> dict[str, Any]:
    return {k: options[k] for k in TABLE_OPTIONS if options.get(k)}


def parse_with_mapping(path: Path, source: Source, mapping: SubsidyMapping, options: dict[str, Any],
                       loader_name: str, expect=None) -> Parsed:
    """Read ``path`` as a table, bind ``mapping`` to it and run the engine."""
    table = read_table(path, expect=expect, **read_options(options))
    bound = bind(mapping, table)
    parsed = SubsidyEngine(bound, source, loader_name).parse()
    parsed.reread = partial(_originals, path, read_options(options), expect)
    return parsed


def _originals(path: Path, table_options: dict[str, Any], expect, rows: set[int]) -> dict[int, dict[str, str]]:
    """The rows numbered ``rows`` as read (``{column: cell}``), from the file read again the same way."""
    table = read_table(path, expect=expect, only=rows, **table_options)
    return {row.number: row.as_dict(table.columns) for row in table.rows}


def row_fingerprint(row) -> bytes:
    """A row's cells (and cells beyond the header) as 16 bytes: two rows have the same
    fingerprint when their cells are the same (BLAKE2b, 128 bits: no collision to expect among
    even billions of rows). It holds none of the row's strings, which can then be freed.

    >>> from maillage.loaders.tabular import Row
    >>> row_fingerprint(Row(2, ["a", "b"], [])) == row_fingerprint(Row(9, ["a", "b"], []))
    True
    >>> len({row_fingerprint(Row(2, c, [])) for c in (["a\x1fb", "c"], ["a", "b\x1fc"], ["a", "b", "c"])})
    3
    """
    fields = row.cells + row.extra if row.extra else row.cells
    joined, kind = "\x1f".join(fields), b"joined"
    if joined.count("\x1f") != len(fields) - 1:  # the separator inside a cell: spelled out instead,
        joined, kind = repr(fields), b"repr"  # hashed apart (BLAKE2b's personalisation)
    h = _HASHERS[kind].copy()
    h.update(joined.encode("utf-8", "surrogatepass"))
    return h.digest()


#: The hashers of :func:`row_fingerprint`, one per personalisation, copied for each row (a copy
#: costs less than making one).
_HASHERS = {kind: hashlib.blake2b(digest_size=16, person=kind) for kind in (b"joined", b"repr")}


#: The formats whose ``funds`` statements are a publisher's grants, one per row: the loaders that
#: are :class:`GrantFile`.
GRANT_FORMATS = ("scdl", "odf-subventions", "subsidies")


class GrantFile(Loader):
    """A loader of a publisher's grants, one per row (:data:`GRANT_FORMATS`)."""

    def notes_after_resolution(self, done: Resolved) -> tuple[list[str], list[str]]:
        """Last, the grants of this file another subsidy source already states: each counted twice
        (:func:`repeated_grant_notes`)."""
        return [], repeated_grant_notes(done.store, done.source.id, done.relations)


class SubsidiesLoader(GrantFile):
    name = "subsidies"
    description = "subsidy files in any layout, read through a declared column mapping (--mapping FILE.yaml)"
    priority = 40
    options = frozenset({"mapping", *TABLE_OPTIONS})

    def sniff(self, path: Path, head: bytes) -> bool:
        # a layout of one's own cannot be told from its header; a shipped one can (all its columns)
        return recognised_mapping(_header(path, head)) is not None

    def parse(self, path: Path, source: Source, options: dict[str, Any]) -> Parsed:
        if options.get("mapping"):
            mapping = load_mapping(shipped_mapping(options["mapping"]))
        else:
            with path.open("rb") as f:
                mapping = recognised_mapping(_header(path, f.read(64 * 1024)))
            if mapping is None:
                names = ", ".join(m.name for m in shipped_mappings())
                raise LoadError(f"{path}: the subsidies format needs a column mapping: --mapping FILE.yaml "
                                f"(see docs/formats/subsidies.md); the columns of this file are not those of a "
                                f"mapping shipped with maillage ({names})")
        known = {c for ref in mapping.fields.values() for c in ref.columns}
        known |= {c for ref in mapping.nature_columns.values() for c in ref.columns}
        known |= set(mapping.status.columns if mapping.status else ())

        def expect(columns: list[str]) -> int:
            # one cell alone is no header: a data row's « fonctionnement » (Somme's type column) is
            # also a column of Paris's mapping, and was taken for the header of a file that has none
            # of the mapping's columns — which the error then listed as the columns found
            folded = {header_key(c) for c in columns}
            found = sum(1 for c in known if header_key(c) in folded)
            return found if found >= min(2, len(known)) else 0

        return parse_with_mapping(path, source, mapping, options, self.name, expect)


#: Fewer named columns than this are no signature: a shipped mapping is recognised by its header
#: only when it names at least this many columns (Paris's names 18).
MIN_SIGNATURE = 6


def signature(mapping: SubsidyMapping) -> list[tuple[str, ...]]:
    """Every column a mapping names — fields, nature columns, status, ignored columns — each as
    its alternative spellings (folded with :func:`header_key`)."""
    refs = [ref.columns for ref in (*mapping.fields.values(), *mapping.nature_columns.values(),
                                    *((mapping.status,) if mapping.status else ())) if ref.columns]
    refs += [(c,) for c in mapping.ignored_columns]
    return [tuple(header_key(c) for c in alts) for alts in refs]


def recognised_mapping(columns: list[str] | None) -> SubsidyMapping | None:
    """The shipped mapping whose every column is in ``columns`` (a file's header), if exactly one
    is and it names at least :data:`MIN_SIGNATURE` columns; else None. Extra columns are allowed
    (a publisher adds one); a missing or renamed column is not (the file is another layout).

    >>> from maillage.loaders.formats.subsidies import recognised_mapping
    >>> paris = ["Annee", "Nom du partenaire", "N SIRET", "Adresse", "Code postal", "Ville",
    ...          "Intitule de la demande", "Appel a projets", "Appel a projets Politique Ville",
    ...          "Montant demande", "Montant vote par demande", "Total vote en 2013", "Fonctionnement",
    ...          "Subventions sur projet", "Subventions d'equipement", "Subventions sans nature specifiee",
    ...          "S-PR-Numero SIMPA", "Financee/Non Financee"]
    >>> recognised_mapping(paris).name, recognised_mapping(paris[1:])
    ('paris-subventions', None)
    """
    if not columns:
        return None
    folded = {header_key(c) for c in columns}
    found = [m for m in shipped_mappings()
             if len(sig := signature(m)) >= MIN_SIGNATURE and all(any(c in folded for c in alts) for alts in sig)]
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=1)
def shipped_mappings() -> tuple[SubsidyMapping, ...]:
    """The mappings shipped in ``maillage/data/mappings/``, by name."""
    from importlib import resources

    folder = resources.files("maillage.data").joinpath("mappings")
    return tuple(load_mapping(Path(str(p))) for p in sorted(folder.iterdir(), key=lambda p: p.name)
                 if p.name.endswith(".yaml"))


def _header(path: Path, head: bytes) -> list[str] | None:
    """A file's header for sniffing: the first line of a CSV, the header row of a spreadsheet."""
    def expect(columns: list[str]) -> int:
        folded = {header_key(c) for c in columns}
        return max((sum(1 for alts in signature(m) if any(c in folded for c in alts)) for m in shipped_mappings()),
                   default=0)

    return read_head(path, head) or spreadsheet_header(path, expect)


def shipped_mapping(name: str) -> Path:
    """A mapping path; a bare name such as ``paris-subventions`` designates a shipped mapping."""
    p = Path(name)
    if p.is_file() or p.suffix in (".yaml", ".yml") or "/" in name:
        return p
    from importlib import resources

    shipped = Path(str(resources.files("maillage.data").joinpath(f"mappings/{name}.yaml")))
    return shipped if shipped.is_file() else p


LOADER = SubsidiesLoader()


# ---------------------------------------------------------------------------------------------
# grants another subsidy file already states


def _grant_key(source_id: str, target_id: str, fields: dict[str, Any]) -> tuple:
    amount = fields.get("amount")
    return (source_id, target_id, None if amount is None else round(float(amount), 2), fields.get("year"))


def repeated_grant_notes(store, sid: str, relations) -> list[str]:
    """A note for each other subsidy source that already states grants of this load (same
    attribuant, bénéficiaire, amount and year, after entity resolution): each such grant is then
    counted twice in every total. ``maillage load`` refuses a byte-for-byte copy of a loaded file;
    this is the file saved again by a spreadsheet under another name (dates and numbers
    rewritten, identifiers damaged) or the next edition of a publisher's cumulative file (2015–2018
    after 2015–2017). Counted as multisets: two equal grants of one file repeat two of the other.
    ``relations``: this load's resolved statements (:class:`~maillage.graph.store.ResolvedRelation`).
    Whether this file is another edition of that one, to replace it, is said for every format
    (:func:`maillage.loaders.editions.edition_notes`)."""
    from collections import Counter

    others = [s for s in store.sources() if s.id != sid and s.format in GRANT_FORMATS]
    if not others:  # the first subsidy file of a store: nothing to compare, no key made per grant
        return []
    mine = Counter(_grant_key(r.source_id, r.target_id, r.relation.fields) for r in relations
                   if r.relation.type == "funds")
    if not mine:
        return []
    # only the other sources' grants from this file's attribuants can repeat one of its grants: a
    # file of another collectivité is not read grant by grant (the attribuants are a handful)
    payers = {k[0] for k in mine}
    notes = []
    for other in others:
        theirs = Counter(_grant_key(src, dst, fields)
                         for _, src, dst, fields in store.tie_fields(payers, types=["funds"], source=other.id)
                         if src in payers)
        both = sum(min(n, theirs[k]) for k, n in mine.items() if k in theirs)
        if both:
            notes.append(f"{both:,} of the {sum(mine.values()):,} grants of this file are already stated by the source "
                         f"{other.id!r} (same attribuant, bénéficiaire, amount and year): each is counted twice in "
                         "the totals")
    return notes
