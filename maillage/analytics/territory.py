"""Territory diagnostics: who is there, who is isolated or peripheral and why, which pôles
and funders are active there, which ties cross the border.

A **territory** is a commune, an EPCI, a département or a région (``commune:31555``,
``epci:243100633``, ``departement:31``, ``region:76``). An actor is *located there* when its
location (or, for a collectivité, the territory it administers) lies in it: the store's
rollup commune → EPCI → département → région (:func:`maillage.graph.store.territory_rollup`,
:meth:`~maillage.graph.store.Store.actors_in_territory`). Natural persons are never listed.

**Isolation and periphery** are evaluated in the cooperation lens (the vocabulary's
``cooperation`` relation types), as of a year, on the *whole* graph (a partner may be
outside the territory). Every reason that applies is given (:data:`ISOLATION_CODES`, a
superset of :data:`maillage.analytics.run.ISOLATION_CODES` with the same codes and texts):

- ``aucun_lien`` — no tie of any type (isolated);
- ``seulement_financement`` — no cooperation tie, only funding ties (isolated);
- ``hors_lentille`` — no cooperation tie, only ties of other types (isolated);
- ``lien_unique`` — a single direct cooperation partner (peripheral). When that partner is
  a pôle the actor is a member of, the text says so (« Membre du pôle « X », sans autre lien
  direct documenté »: no bilateral tie documented besides the pôle); the **structure
  porteuse** of that pôle (``carries``) does not get it: it carries the pôle;
- ``sans_lien_intersectoriel`` — cooperation partners, but no tie across actor families:
  the families of the actor (unless it is a pôle) and of its partners (pôles left out)
  number fewer than two, **and** the actor is member or structure porteuse of no pôle
  whose members and structures porteuses that year belong to at least two families
  (peripheral). Art. 9 of the loi n° 2014-856 du 31 juillet 2014 defines a PTCE as the
  grouping on a territory of ESS enterprises with other enterprises, collectivités,
  research and training bodies…: a tie that stays inside one family is the weaker form,
  and belonging to a pôle spanning several families *is* cooperation across families —
  as the lens measures it (its ``co_membership`` layer ties the members of a same pôle:
  :mod:`maillage.analytics.lenses`). Only the art. 9 families count for a pôle (not
  ``pole``, nor ``other``, « Autre », an actor nothing says the family of), and only in a
  lens with that layer (``cooperation``, ``all``);
- ``hors_pole`` — member or structure porteuse of no pôle (peripheral; not evaluated for
  pôles themselves).

Peripherality in this sense follows the core–periphery reading of Borgatti, S. P.,
Everett, M. G. (2000). Models of core/periphery structures. *Social Networks* 21(4),
375–395: few ties, ties only to the core (here: the pôle), no bridging ties. A member whose only
documented direct tie is its pôle stays peripheral (``lien_unique``, said as such): for a
collectivité or the pôle's animation, no cooperation of its own is documented yet.

Actors the sources document thinly (unnamed placeholders, groups of N, declared sizes
without a list: :func:`maillage.analytics.run._caveats`) are never called isolated: they
are listed apart, as *a possible documentation gap*, with their reasons and caveats; so are
the collectivités, State services and EU bodies (funders, not the actors a territory supports).
:func:`status_of` is the one classification: **isolé** (no cooperation tie in the lens that
year) or **périphérique** (e.g. a single partner) everywhere — diagnostic, API, ``analyse``,
reports, maps.

**Ties** are the statements :func:`maillage.analytics.lenses.tie_rule` counts, as in every
analysis: a statement only planned or announced (« prévu ») and a refused funding application
are no tie (:meth:`Facts.from_subgraph`); :func:`isolated_actors` can ask for them.

**Dates** (:func:`fact_years`): a relation is active in year Y when its start year is ≤ Y
(or unknown) and its end year ≥ Y (or unknown), as in :mod:`maillage.graph.model` (where a
grant dated only by its ``year`` gets start = end = that year); another relation with
neither start nor end but a ``year`` field (a founding in 2005) starts that year. An actor all of whose ties are dated in other years is *not
observed* in Y (listed apart, never called isolated nor counted among the year's actors: a
member gone before Y, or arrived after it); an actor with no tie at all is undated, hence
observed every year. **A year's list** (a member list given its year, or a workbook's sheet per year:
its source's ``meta["years"]``) wins over a date d'adhésion for the years the pôle's lists cover
(:func:`list_years`, :meth:`Facts.active`): a member missing from 2025's list is no member in 2025,
though its row on 2026's list says « adhérent depuis 2021 ».

>>> from maillage.graph import open_store
>>> d = territory_diagnostic(open_store(":memory:"), "departement:31")
>>> d.name, d.actors.size, d.isolated.size
('Haute-Garonne', 0, 0)
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from maillage.graph.model import ActorView, RelationView, year_of
from maillage.graph.names import alpha_key, fold
from maillage.graph.projection import lens_types
from maillage.graph.store import Store, Subgraph, territory_rollup
from maillage.graph.vocabulary import vocabulary
from maillage.writing import counted, listed

from .lenses import TieRule, tie_rule
from .poles import PUBLIC_FAMILIES  # public bodies: funders, not the actors whose isolation is looked for
from .poles import sources_said  # where a row of grants of the roles table comes from
from .run import FUNDING_TYPES, ISOLATION_CODES as RUN_CODES, _caveats, location_label

T = TypeVar("T")

#: Every reason of :func:`territory_diagnostic` and :func:`isolated_actors`: the codes of
#: :data:`maillage.analytics.run.ISOLATION_CODES` (same texts), then the new ones.
ISOLATION_CODES: dict[str, dict[str, str]] = {
    **RUN_CODES,
    "sans_lien_intersectoriel": {
        "fr": "Aucun lien avec un acteur d'une autre famille (coopération restée dans une seule famille d'acteurs)",
        "en": "No tie with an actor of another family (cooperation within a single actor family)",
    },
    "hors_pole": {
        "fr": "Membre d'aucun pôle (ni membre, ni structure porteuse)",
        "en": "Not in any pôle (neither member nor structure porteuse)",
    },
}

#: The text of ``lien_unique`` when the single partner is a pôle the actor is a member of.
POLE_ONLY_TEXT = {"fr": "Membre du pôle « {pole} », sans autre lien direct documenté",
                  "en": "Member of the pôle '{pole}', with no other direct tie documented"}

#: Families that do not make a pôle cross-family (``sans_lien_intersectoriel``): pôles, and
#: ``other`` (« Autre »: nothing says what the actor is).
NOT_ART9_FAMILIES = ("pole", "other")

#: Reasons that mean "no cooperation tie at all" (isolated); the others mean peripheral.
ISOLATED_CODES = ("aucun_lien", "seulement_financement", "hors_lentille")
PERIPHERAL_CODES = ("lien_unique", "sans_lien_intersectoriel", "hors_pole")

#: The status of an actor with a reason (:func:`status_of`), named as the diagnostic's listings,
#: with its label: **isolé** always means no cooperation tie in the lens that year.
STATUSES: dict[str, dict[str, str]] = {
    "isolated": {"fr": "isolé", "en": "isolated"},
    "peripheral": {"fr": "périphérique", "en": "peripheral"},
    "documentation_gaps": {"fr": "peut-être sous-documenté", "en": "possibly under-documented"},
    "public_bodies": {"fr": "collectivité ou organisme public", "en": "collectivité or public body"},
}

#: Relation types (towards an actor of family ``pole``) that make an actor part of a pôle.
POLE_TIE_TYPES = ("membership", "carries")

#: How a pôle can be present in a territory.
PRESENCE_CODES: dict[str, dict[str, str]] = {
    "situe": {"fr": "Situé dans le territoire", "en": "Located in the territory"},
    "perimetre": {"fr": "Son périmètre recouvre le territoire", "en": "Its perimeter covers the territory"},
    "membres": {"fr": "Des membres ou sa structure porteuse sont situés dans le territoire",
                "en": "Members or its structure porteuse are located in the territory"},
    "englobant": {"fr": "Situé seulement à une échelle plus large (présence possible, non établie)",
                  "en": "Located only at a wider scale (possible presence, not established)"},
}

#: Collectivité roles (vocabulary ``collectivite_roles``) read from a relation when the
#: source does not state the role: type → role, and ``funds`` ``nature`` → role.
ROLE_FROM_TYPE = {"governs": "gouvernance", "contracts": "commande_publique", "hosts": "mise_a_disposition",
                  "supports": "accompagnement"}
ROLE_FROM_FUNDS_NATURE = {"fonctionnement": "aide_fonctionnement", "investissement": "aide_investissement"}
#: The roles table's row for a collectivité's grant whose source states no nature (an SCDL file's
#: « aide en numéraire », an empty column): counted there, after the two aids, so that the table
#: holds every grant; not a vocabulary role (no source can state it).
ROLE_NATURE_UNSTATED = "aide_nature_non_precisee"
ROLE_NATURE_UNSTATED_LABEL = {"fr": "Aide, nature non précisée", "en": "Aid, nature not stated"}
#: The roles table's rows for a collectivité's grant whose ``nature`` names no role (not in
#: :data:`ROLE_FROM_FUNDS_NATURE`): ``nature → (row, labels)``, ``None`` for an unstated nature;
#: after the two aids, in this order. Not vocabulary roles: the table then holds every grant.
GRANT_ROWS: dict[str | None, tuple[str, dict[str, str]]] = {
    "projet": ("aide_projet", {"fr": "Aide au projet", "en": "Project aid"}),
    "en_nature": ("aide_en_nature", {"fr": "Aide en nature", "en": "In-kind aid"}),
    None: (ROLE_NATURE_UNSTATED, ROLE_NATURE_UNSTATED_LABEL),
}

_TERRITORY_ID = re.compile(r"(commune|epci|ept|departement|region|pays):[0-9A-Z]+")


# ---------------------------------------------------------------------------------------------
# dates

def fact_years(r: RelationView) -> tuple[int | None, int | None]:
    """``(first year, last year)`` of a relation, ``None`` for an open end.

    The start and end dates when the source gives one; otherwise a ``year`` field (a founding
    in 2005) is the first year, the last staying open. (A grant's ``year`` already gave it
    start = end when it was loaded: see the vocabulary's ``dates_tie``.)

    >>> from maillage.graph.model import Provenance
    >>> r = RelationView(id="r", type="founded", source="a", target="b", fields={"year": 2015},
    ...                  provenance=Provenance(source="s"))
    >>> fact_years(r)
    (2015, None)
    """
    y0, y1 = year_of(r.start), year_of(r.end)
    if y0 is None and y1 is None and isinstance(r.fields.get("year"), int):
        y0 = r.fields["year"]
    return y0, y1


def is_dated(r: RelationView) -> bool:
    """True when the relation has a start, an end or a ``year`` field (see :func:`fact_years`).

    >>> from maillage.graph.model import Provenance
    >>> is_dated(RelationView(id="r", type="cooperates", source="a", target="b", provenance=Provenance(source="s")))
    False
    """
    return fact_years(r) != (None, None)


def active(r: RelationView, year: int | None) -> bool:
    """True when ``year`` is ``None`` or the relation is active that year (:func:`fact_years`).

    >>> from maillage.graph.model import Provenance
    >>> r = RelationView(id="r", type="cooperates", source="a", target="b", start="2018",
    ...                  provenance=Provenance(source="s"))
    >>> active(r, 2017), active(r, 2020), active(r, None)
    (False, True, True)
    """
    if year is None:
        return True
    y0, y1 = fact_years(r)
    return (y0 is None or y0 <= year) and (y1 is None or y1 >= year)


def list_years(sources: Iterable[Any]) -> dict[str, list[tuple[int, int]]]:
    """Source id → the years of the pôle's lists it holds, ``(first, last)`` each, for the
    sources whose ``meta["years"]`` says so (a list given its year: « 2025 », « 2024-2025 »; a
    workbook's sheets per year); the others, lists without a year, are left out.

    >>> from maillage.graph.model import Source
    >>> list_years([Source(id="m25", uri="m.csv", meta={"years": ["2024-2025"]}), Source(id="m", uri="n.csv")])
    {'m25': [(2024, 2025)]}
    """
    out = {}
    for s in sources:
        spans = []
        for label in s.meta.get("years") or ():
            first, _, last = str(label).partition("-")
            if first.isdigit() and (not last or last.isdigit()):
                spans.append((int(first), int(last or first)))
        if spans:
            out[s.id] = sorted(spans)
    return out


def _own_list(r: RelationView, spans: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The years of the list a membership statement comes from: the span holding its end (the
    list's year), or, a workbook year without a sheet (bridged), the last span before its end
    and up to it; None when its end is before every list (a date de sortie) or open."""
    end = fact_years(r)[1]
    before = [(a, b) for a, b in spans if a <= end] if end is not None else []
    return (before[-1][0], max(before[-1][1], end)) if before else None


# ---------------------------------------------------------------------------------------------
# result models

class Listing(BaseModel, Generic[T]):
    """A list with its size; ``items`` may show only the first ones (``size`` counts all)."""

    size: int
    items: list[T]

    @property
    def truncated(self) -> bool:
        return self.size > len(self.items)


def listing(items: Iterable[T], limit: int | None = None) -> Listing[T]:
    """``Listing(size=len(items), items=items[:limit])``.

    >>> listing([1, 2, 3], limit=2).model_dump()
    {'size': 3, 'items': [1, 2]}
    """
    items = list(items)
    return Listing(size=len(items), items=items if limit is None else items[:limit])


class Ref(BaseModel):
    """An actor named in a result."""

    id: str
    name: str
    family: str
    family_label: str = ""


class Reason(BaseModel):
    """A code and its text in the requested language."""

    code: str
    text: str


class ActorEntry(BaseModel):
    """An actor located in the territory, with its reasons (empty when none applies)."""

    id: str
    name: str
    family: str
    family_label: str
    kind: str | None = None
    kind_label: str = ""
    location: str | None = None
    location_label: str = ""
    observed: bool = Field(True, description="Has a tie active that year, or no dated tie at all")
    in_pole: bool | None = Field(None, description="None for a pôle")
    poles: list[Ref] = Field(default_factory=list)
    partners: int = Field(0, description="Distinct partners in the cooperation lens")
    ties: dict[str, int] = Field(default_factory=dict, description="Relation statements by type (every lens)")
    tie_years: list[int] = Field(default_factory=list, description="Years its dated ties start (not observed actors)")
    reasons: list[Reason] = Field(default_factory=list)
    documentation_gap: bool = False
    caveats: list[str] = Field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]


class FamilyCount(BaseModel):
    family: str
    label: str
    actors: int
    in_pole: int
    not_in_pole: int


class PolePresence(BaseModel):
    """A pôle present in (or possibly covering) the territory."""

    id: str
    name: str
    kind: str | None = None
    phase: str | None = None
    location: str | None = None
    location_label: str = ""
    presence: list[Reason]
    members_here: int = Field(0, description="Members and structures porteuses located in the territory")
    documentation_gap: bool = False


class Funder(BaseModel):
    """An actor funding actors located in the territory (``funds`` ties); in
    ``TerritoryDiagnostic.funded_from_here``, an actor located there funding actors that are not."""

    id: str
    name: str
    family: str
    family_label: str
    kind: str | None = None
    kind_label: str = ""
    location_label: str = ""
    inside: bool
    ties: int
    beneficiaries: Listing[Ref]
    amount: float = Field(0.0, description="Sum of the amounts the sources state (EUR)")
    amounts_stated: int = Field(0, description="Ties whose amount is stated")
    years: list[int] = Field(default_factory=list)
    beneficiaries_outside: int = Field(0, description="Beneficiaries located, but not here (elsewhere, or only at "
                                                      "a wider scale)")
    beneficiaries_unlocated: int = Field(0, description="Beneficiaries with no known location (a subsidy file "
                                                        "gives none: a SIRENE extract places them)")
    to_itself: int = Field(0, description="Of ``ties``, those to itself (funds it manages and attributes to "
                                          "itself: a Département's EU funds)")
    amount_to_itself: float = Field(0.0, description="Their stated amounts (EUR), counted in ``amount``")
    to_persons: int = Field(0, description="Of ``ties``, grants to natural persons (never named, nor in "
                                           "``beneficiaries``): a funder's total matches its own budget")
    amount_to_persons: float = Field(0.0, description="Their stated amounts (EUR), counted in ``amount``")


class FundingGroup(BaseModel):
    """Funders of one family and kind (for collectivités: the level)."""

    family: str
    family_label: str
    kind: str | None
    kind_label: str
    funders: int
    ties: int
    amount: float
    amounts_stated: int


class RoleCount(BaseModel):
    """A role of collectivités (vocabulary ``collectivite_roles``) towards actors located in
    the territory. ``stated``: the source names the role (``supports.form``); ``derived``:
    read from the relation type or the funding's nature (:data:`ROLE_FROM_TYPE`); a grant
    whose nature names no role, or without nature, is under its row of :data:`GRANT_ROWS`.
    ``funding_from``: where the row's grants come from (« financements d'après la liste des
    membres »: :func:`~maillage.analytics.poles.sources_said`), empty for a row without grants."""

    role: str
    label: str
    ties: int
    stated: int
    derived: int
    collectivites: Listing[Ref]
    by_level: dict[str, int]
    amount: float = 0.0
    amounts_stated: int = 0
    funding_from: str = ""


class OutsidePartner(BaseModel):
    id: str
    name: str
    family: str
    family_label: str
    location: str | None = None
    location_label: str = ""
    inside_partners: int
    ties: int
    types: dict[str, int]


class BorderTies(BaseModel):
    """Ties between actors located in the territory and actors located outside it."""

    relations: int = Field(description="Relation statements crossing the border")
    pairs: int = Field(description="Distinct (inside, outside) actor pairs")
    by_type: dict[str, int]
    by_type_label: dict[str, int]
    outside_partners: Listing[OutsidePartner]
    enclosing: int = Field(description="Statements with actors located at a wider or overlapping scale "
                                       "(a Région, a national body): not counted as crossing")
    unlocated: int = Field(description="Statements with actors of unknown location: not counted as crossing")


class PartCount(BaseModel):
    """The flagged actors of one part of the territory, one level down (:data:`PART_LEVEL`)."""

    id: str | None = Field(description="The part's territory id; null: actors placed no finer than the territory "
                                        "(or in an EPCI lying across two départements)")
    name: str
    isolated: int
    peripheral: int
    documentation_gaps: int


class TerritoryDiagnostic(BaseModel):
    """Everything :func:`territory_diagnostic` says about a territory, as of a year."""

    territory: str
    name: str
    level: str
    as_of: int | None
    lang: str
    lens: str = "cooperation"
    actors: Listing[ActorEntry] = Field(description="The actors located here observed that year (`not_observed` "
                                                   "apart): `by_family`, `in_pole` and `not_in_pole` count them")
    by_family: list[FamilyCount]
    in_pole: int
    not_in_pole: int
    isolated: Listing[ActorEntry]
    peripheral: Listing[ActorEntry]
    documentation_gaps: Listing[ActorEntry]
    not_observed: Listing[ActorEntry]
    poles: Listing[PolePresence]
    poles_possible: Listing[PolePresence]
    funders: Listing[Funder]
    funded_from_here: Listing[Funder] = Field(
        default_factory=lambda: Listing(size=0, items=[]),
        description="Funders located here and their funding of actors that are not: located elsewhere or "
                    "nowhere known (what a collectivité's own subsidy file holds until its beneficiaries are "
                    "placed)")
    unplaced_beneficiaries: Listing[Ref] = Field(
        default_factory=lambda: Listing(size=0, items=[]),
        description="The beneficiaries of `funded_from_here` with no known place, each once: in no territory, so "
                    "in none of the lists of isolated or peripheral actors, whatever their ties (a subsidy file "
                    "gives no address: a SIRENE extract holding them places them)")
    funding_by_kind: list[FundingGroup]
    collectivite_roles: list[RoleCount]
    collectivite_ties_unqualified: int = Field(0, description="Ties of collectivités to actors located here "
                                                             "that name no role")
    border: BorderTies
    part_level: str | None = Field(None, description="The level of `flagged_by_part` (a région's parts are its "
                                                     "départements, …); null for a commune")
    flagged_by_part: list[PartCount] = Field(
        default_factory=list, description="Isolated, peripheral and possibly under-documented actors counted by "
                                          "part of the territory, parts by name, the unplaced last")
    public_bodies: Listing[ActorEntry] = Field(
        default_factory=lambda: Listing(size=0, items=[]),
        description="Collectivités, State services and EU bodies located here that a reason would flag (most "
                    "often: funding ties only, as a subsidy file gives): kept out of `isolated`, `peripheral` and "
                    "`documentation_gaps`, which are about the actors a territory supports; their funding is in "
                    "`funders`")
    notes: list[str] = Field(default_factory=list)

    def flagged(self) -> list[tuple[ActorEntry, str]]:
        """``(entry, "isolated" | "peripheral" | "documentation_gaps")``: every flagged actor, in
        that order (the report's), each listing in its own order."""
        return [(e, kind) for kind in FLAGGED_KINDS for e in getattr(self, kind).items]


#: The listings of flagged actors, in the order reports and spreadsheets give them.
FLAGGED_KINDS = ("isolated", "peripheral", "documentation_gaps")


def _abridge(value: Any, items: int) -> Any:
    """``value`` with every :class:`Listing` in it (nested ones too) cut to its first ``items``."""
    if isinstance(value, Listing):
        return value.model_copy(update={"items": [_abridge(x, items) for x in value.items[:items]]})
    if isinstance(value, BaseModel):
        update = {k: _abridge(v, items) for k, v in value if isinstance(v, (BaseModel, list))}
        return value.model_copy(update=update) if update else value
    if isinstance(value, list):
        return [_abridge(x, items) for x in value]
    return value


def abridged(d: TerritoryDiagnostic, items: int) -> TerritoryDiagnostic:
    """``d`` with each listing cut to its first ``items`` (its ``size`` still counts them all),
    nested ones too (a funder's bénéficiaires, a role's collectivités) — except the isolated
    actors, all kept: spotting them is what the diagnostic is for, and a map circles each one it
    draws. A région's diagnostic is ~5 MiB whole, mostly its actors and peripheral listings; a
    side panel showing 50 names a heading needs a tenth of it. ``d`` is not changed (copies).

    >>> d = TerritoryDiagnostic.model_construct(actors=listing("abc"), isolated=listing("xyz"), notes=[])
    >>> a = abridged(d, 1)
    >>> (a.actors.size, a.actors.items, a.isolated.items, d.actors.items)
    (3, ['a'], ['x', 'y', 'z'], ['a', 'b', 'c'])
    """
    if items < 0:
        raise ValueError(f"items must be ≥ 0, not {items}")
    update = {k: _abridge(v, items) for k, v in d if k != "isolated" and isinstance(v, (BaseModel, list))}
    return d.model_copy(update=update)


# ---------------------------------------------------------------------------------------------
# geography helpers

#: A territory's parts, one level down: how its flagged actors are counted and listed.
PART_LEVEL = {"region": "departement", "departement": "epci", "epci": "commune", "ept": "commune"}


def part_of(level: str, location: str | None) -> str | None:
    """The territory of ``level`` holding ``location`` (``departement:31`` for a commune of
    Haute-Garonne), or None: unknown, coarser, or across two of them (an EPCI over two
    départements).

    >>> part_of("departement", "commune:31555"), part_of("epci", "commune:31555")
    ('departement:31', 'epci:243100518')
    >>> part_of("departement", "region:76") is None
    True
    """
    return _part_of(level, location) if location else None


@lru_cache(maxsize=65536)
def _part_of(level: str, location: str) -> str | None:
    geo = _geo()
    if geo is None or geo.get(location) is None:
        return None
    return geo.rollup(location).get(level)


def part_name(part: str | None, unplaced: str) -> str:
    """A part as a heading: « Haute-Garonne (31) » for a département, the name otherwise.

    >>> part_name("departement:31", "-"), part_name("epci:243100518", "-"), part_name(None, "sans lieu")
    ('Haute-Garonne (31)', 'Toulouse Métropole', 'sans lieu')
    """
    geo = _geo()
    t = geo.get(part) if part and geo else None
    if t is None:
        return unplaced
    return f"{t.name} ({t.code})" if t.level == "departement" else t.name


def flagged_by_part(territory: str, flagged: Iterable[tuple[ActorEntry, str]],
                    lang: str = "fr") -> tuple[str | None, list[PartCount]]:
    """``(level, counts)``: ``flagged`` (``(entry, "isolated" | "peripheral" |
    "documentation_gaps")``) counted by part of ``territory`` (:data:`PART_LEVEL`), parts by
    name, the actors placed no finer than the territory last; ``(None, [])`` for a commune.

    >>> e = lambda loc: ActorEntry(id=loc, name=loc, family="ess", family_label="ESS", location=loc)
    >>> level, parts = flagged_by_part("region:76", [(e("commune:31555"), "isolated"),
    ...     (e("commune:30189"), "peripheral"), (e("commune:31069"), "peripheral"), (e("region:76"), "isolated")])
    >>> level, [(p.name, p.isolated, p.peripheral) for p in parts]
    ('departement', [('Gard (30)', 0, 1), ('Haute-Garonne (31)', 1, 1), ('Sans lieu plus précis', 1, 0)])
    """
    level = PART_LEVEL.get(territory.split(":", 1)[0])
    if level is None:
        return None, []
    counts: dict[str | None, Counter] = defaultdict(Counter)
    for e, kind in flagged:
        counts[part_of(level, e.location)][kind] += 1
    unplaced = "No finer place" if lang == "en" else "Sans lieu plus précis"
    rows = [PartCount(id=p, name=part_name(p, unplaced), isolated=c["isolated"], peripheral=c["peripheral"],
                      documentation_gaps=c["documentation_gaps"]) for p, c in counts.items()]
    return level, sorted(rows, key=lambda r: (r.id is None, fold(r.name), r.id or ""))


@lru_cache(maxsize=1)
def _geo():
    try:
        from maillage.geography import load_geography

        return load_geography()
    except Exception:  # noqa: BLE001 - unknown ids fall back to the rollup
        return None


@lru_cache(maxsize=4096)
def _rollup(location: str) -> tuple[str, ...]:
    return tuple(territory_rollup(location))


@lru_cache(maxsize=4096)
def _communes(tid: str) -> frozenset[str] | None:
    geo = _geo()
    if geo is None or geo.get(tid) is None:
        return None
    return frozenset(geo.communes_of(tid))


def overlaps(a: str, b: str) -> bool:
    """True when two territories share at least one commune (a territory overlaps itself,
    a commune overlaps its EPCI, département and région). Unknown ids only overlap the
    territories of their rollup.

    >>> overlaps("commune:31555", "departement:31"), overlaps("departement:31", "departement:81")
    (True, False)
    """
    if a == b or b in _rollup(a) or a in _rollup(b):
        return True
    ca, cb = _communes(a), _communes(b)
    return bool(ca and cb and not ca.isdisjoint(cb))


def _place(actor: ActorView) -> str | None:
    return actor.location or actor.territory


def territory_name(territory_id: str) -> tuple[str, str]:
    """``(name, level)`` of a territory id: ``departement:31`` → ``("Haute-Garonne",
    "departement")``; an id the geography does not know keeps its code as name.

    >>> territory_name("region:76")
    ('Occitanie', 'region')
    """
    if not _TERRITORY_ID.fullmatch(territory_id or ""):
        raise ValueError(f"territory id {territory_id!r} is not level:code (e.g. departement:31, epci:243100633)")
    geo = _geo()
    t = geo.get(territory_id) if geo is not None else None
    level = territory_id.split(":", 1)[0]
    return (t.name, t.level) if t is not None else (territory_id, level)


# ---------------------------------------------------------------------------------------------
# the facts a diagnostic reads, and their index as of a year

@dataclass
class Facts:
    """Actors (no natural person) and every relation statement among them, of every type and
    every year, as read once from the store; :meth:`index` filters them to a year."""

    actors: dict[str, ActorView]
    relations: list[RelationView]
    notes: list[str] = field(default_factory=list)
    #: Funding an actor gives itself (a Département's EU funds it manages): no partner, no
    #: isolation reason, but money the funding section counts.
    self_funding: list[RelationView] = field(default_factory=list)
    #: ``(membership or carries statement into a pôle, its source's family)`` for the pôles
    #: among ``actors`` — read from the whole store when one is given, so that a pôle's members
    #: located outside a territory count: which families each pôle gathers (:class:`TieIndex`).
    pole_core: list[tuple[RelationView, str]] = field(default_factory=list)
    #: Membership statement id → the years of its list, for a list given its year (:func:`list_years`).
    own_list: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: Pôle → the years its lists given their year cover (a workbook's bridged years are not among them).
    listed_years: dict[str, set[int]] = field(default_factory=dict)
    #: Actor → its statements with another actor the rule does not count, by why
    #: (:meth:`TieRule.left_out`: ``refused``, ``planned``, ``certainty``): an actor with no tie
    #: but these is told so (:func:`not_counted_text`), not « no known tie ».
    left_out: dict[str, Counter] = field(default_factory=dict)

    @classmethod
    def from_subgraph(cls, sub: Subgraph, store: Store | None = None,
                      pole_ties: list[RelationView] | None = None, rule: TieRule | None = None,
                      lists: Mapping[str, Sequence[tuple[int, int]]] | None = None) -> Facts:
        """The facts of ``sub``: its statements that are ties (``rule``, by default
        :func:`~maillage.analytics.lenses.tie_rule`'s: no planned statement, no refused
        application); the pôles' members and structures porteuses are read from ``store`` (or
        taken from ``pole_ties``, the store's statements into its pôles), else from ``sub`` alone
        (complete for the whole graph). ``lists``: the years of the lists given their year
        (:func:`list_years`), read from ``store`` when not given and a membership is there."""
        rule = rule or tie_rule()
        actors = {k: a for k, a in sub.actors.items() if not a.personal_data}
        ties = [r for r in sub.relations if rule.counts(r)]
        rels = [r for r in ties if r.source in actors and r.target in actors and r.source != r.target]
        left_out: dict[str, Counter] = defaultdict(Counter)
        for r in sub.relations:  # as the ties: between two actors, neither a natural person
            if r.source != r.target and r.source in actors and r.target in actors and (why := rule.left_out(r)):
                left_out[r.source][why] += 1
                left_out[r.target][why] += 1
        own = [r for r in ties if r.source == r.target and r.source in actors and r.type in FUNDING_TYPES]
        poles = {k for k, a in actors.items() if a.family == "pole"}
        known: dict[str, ActorView] = actors
        if pole_ties is None and store is not None and poles:
            pole_ties = store.relations(touching=sorted(poles), types=list(POLE_TIE_TYPES))
        if pole_ties is not None and store is not None:
            missing = {r.source for r in pole_ties if r.target in poles} - set(actors)
            known = {**store.get_actors(missing), **actors} if missing else actors
        core = [(r, known[r.source].family) for r in (rels if pole_ties is None else pole_ties)
                if r.type in POLE_TIE_TYPES and rule.counts(r) and r.target in poles and r.source != r.target
                and r.source in known and not known[r.source].personal_data]
        memberships = {r.id: r for r in [*rels, *(r for r, _ in core)] if r.type == "membership"}
        if lists is None and store is not None and memberships:
            lists = list_years(store.sources())
        own_list, listed_years = {}, defaultdict(set)
        for r in memberships.values():
            spans = (lists or {}).get(r.provenance.source)
            if spans:
                listed_years[r.target].update(y for a, b in spans for y in range(a, b + 1))
                if (span := _own_list(r, spans)) is not None:
                    own_list[r.id] = span
        return cls(actors=actors, relations=rels, notes=list(sub.notes), self_funding=own, pole_core=core,
                   own_list=own_list, listed_years=dict(listed_years), left_out=dict(left_out))

    def active(self, r: RelationView, year: int | None) -> bool:
        """:func:`active`, but a membership from a list given its year counts in a year another of
        the pôle's yearly lists covers only if that year is its own list's: the lists win over a
        date d'adhésion (a member missing from 2025's list, back on 2026's « depuis 2021 », is no
        member in 2025). The years no list covers keep its dates (2021–2023 there)."""
        if not active(r, year):
            return False
        span = self.own_list.get(r.id)
        return (span is None or year is None or span[0] <= year <= span[1]
                or year not in self.listed_years.get(r.target, ()))

    def index(self, year: int | None, lens: str = "cooperation") -> TieIndex:
        return TieIndex.build(self, year, lens)


@dataclass
class TieIndex:
    """Who is tied to whom as of a year: statement counts by type, partners in the lens,
    pôles each actor belongs to, and whether each actor has dated ties."""

    facts: Facts
    year: int | None
    lens: str
    relations: list[RelationView]
    ties: dict[str, Counter]
    partners: dict[str, set[str]]
    poles_of: dict[str, set[str]]
    any_tie: set[str]  # actors with a tie in any year
    dated_years: dict[str, set[int]]  # actors → start years of their dated ties (all years)
    self_funding: list[RelationView] = field(default_factory=list)  # active this year
    carried: dict[str, set[str]] = field(default_factory=dict)  # actor → pôles it carries (structure porteuse)
    #: pôle → art. 9 families of its members and structures porteuses this year; empty when
    #: the lens does not tie the members of a pôle (no ``co_membership`` layer)
    pole_families: dict[str, set[str]] = field(default_factory=dict)
    #: pôles some source lists a member of (any year): the others are documented by name only
    listed_poles: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, facts: Facts, year: int | None, lens: str) -> TieIndex:
        in_lens = set(lens_types(lens))
        ties: dict[str, Counter] = defaultdict(Counter)
        partners: dict[str, set[str]] = defaultdict(set)
        poles_of: dict[str, set[str]] = defaultdict(set)
        carried: dict[str, set[str]] = defaultdict(set)
        any_tie: set[str] = set()
        dated_years: dict[str, set[int]] = defaultdict(set)
        now = []
        for r in facts.relations:
            any_tie.update((r.source, r.target))
            if is_dated(r):
                y0, y1 = fact_years(r)
                for e in (r.source, r.target):
                    dated_years[e].add(y0 if y0 is not None else y1)
            if not facts.active(r, year):
                continue
            now.append(r)
            ties[r.source][r.type] += 1
            ties[r.target][r.type] += 1
            if r.type in in_lens:
                partners[r.source].add(r.target)
                partners[r.target].add(r.source)
            if r.type in POLE_TIE_TYPES and facts.actors[r.target].family == "pole":
                poles_of[r.source].add(r.target)
                if r.type == "carries":
                    carried[r.source].add(r.target)
        pole_families: dict[str, set[str]] = defaultdict(set)
        if "co_membership" in _lens_layers(lens):
            for r, fam in facts.pole_core:
                if fam not in NOT_ART9_FAMILIES and facts.active(r, year):
                    pole_families[r.target].add(fam)
        listed = {r.target for r, _ in facts.pole_core if r.type == "membership"}
        return cls(facts, year, lens, now, ties, partners, poles_of, any_tie, dated_years,
                   [r for r in facts.self_funding if active(r, year)], dict(carried), dict(pole_families), listed)

    def observed(self, aid: str) -> bool:
        """Has a tie active this year, or no tie in any year (an undated actor)."""
        return self.year is None or aid in self.ties or aid not in self.any_tie


#: What :func:`not_counted_text` calls each kind of statement the tie rule leaves out, and the
#: option of ``maillage analyse`` that counts it.
NOT_COUNTED_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "refused": {"fr": ("demande de subvention refusée", "demandes de subvention refusées"),
                "en": ("refused funding application", "refused funding applications")},
    "planned": {"fr": ("lien seulement prévu ou annoncé", "liens seulement prévus ou annoncés"),
                "en": ("only planned or announced tie", "only planned or announced ties")},
    "certainty": {"fr": ("lien d'une certitude non retenue", "liens d'une certitude non retenue"),
                  "en": ("tie of a certainty left out", "ties of a certainty left out")},
}
NOT_COUNTED_OPTIONS = {"refused": "--refused", "planned": "--certainty tout", "certainty": "--certainty tout"}


def not_counted_text(left_out: Mapping[str, int], lang: str = "fr") -> str:
    """The isolation reason (code ``aucun_lien``) of an actor whose only statements with other
    actors are ones the tie rule does not count (:meth:`~maillage.analytics.lenses.TieRule.left_out`:
    refused applications, planned ties, another certainty), counted by kind, with the option of
    ``maillage analyse`` that counts them: « no known tie » would be false of it.

    >>> not_counted_text({"refused": 1})
    "Aucun lien compté : son seul lien connu, 1 demande de subvention refusée, n'est pas compté par l'analyse (maillage analyse --refused pour le compter)"
    >>> not_counted_text({"planned": 2}, "en")
    'No tie counted: its only known ties, 2 only planned or announced ties, are not counted by the analysis (maillage analyse --certainty tout counts them)'
    """
    kinds = [k for k in NOT_COUNTED_WORDS if left_out.get(k)]
    parts = [counted(left_out[k], *NOT_COUNTED_WORDS[k][lang if lang == "en" else "fr"], lang=lang) for k in kinds]
    options = " ".join(dict.fromkeys(NOT_COUNTED_OPTIONS[k] for k in kinds))
    what = listed(parts, "and" if lang == "en" else "et")
    if lang == "en":
        if sum(left_out[k] for k in kinds) == 1:
            return f"No tie counted: its only known tie, {what}, is not counted by the analysis (maillage analyse {options} counts it)"
        return f"No tie counted: its only known ties, {what}, are not counted by the analysis (maillage analyse {options} counts them)"
    if sum(left_out[k] for k in kinds) == 1:
        return (f"Aucun lien compté : son seul lien connu, {what}, n'est pas compté par l'analyse (maillage analyse "
                f"{options} pour le compter)")
    return (f"Aucun lien compté : ses seuls liens connus, {what}, ne sont pas comptés par l'analyse (maillage analyse "
            f"{options} pour les compter)")


def _lens_layers(lens: str) -> tuple[str, ...]:
    from .lenses import LENSES

    return LENSES[lens].layers if lens in LENSES else ()


def _ref(a: ActorView, lang: str) -> Ref:
    return Ref(id=a.id, name=a.name, family=a.family, family_label=vocabulary().family(a.family).label(lang))


def _thin(a: ActorView) -> bool:
    return bool(a.placeholder or a.group_count or a.declared)


def actor_entry(idx: TieIndex, aid: str, lang: str = "fr") -> ActorEntry:
    """An actor's entry with every reason of :data:`ISOLATION_CODES` that applies, as of the
    index's year (see the module's definitions).

    >>> from maillage.graph.model import ActorView
    >>> from maillage.graph.store import Subgraph
    >>> facts = Facts.from_subgraph(Subgraph(actors={"a": ActorView(id="a", name="Seule", family="ess")}))
    >>> actor_entry(facts.index(None), "a").codes
    ['aucun_lien', 'hors_pole']

    A member whose only partner is its pôle, a pôle gathering two families: no
    ``sans_lien_intersectoriel``, and ``lien_unique`` says what it is.

    >>> from maillage.graph.model import Provenance
    >>> acts = {i: ActorView(id=i, name=n, family=f) for i, n, f in
    ...         [("p", "Pôle Sud", "pole"), ("a", "Asso", "ess"), ("c", "Commune", "collectivite")]}
    >>> rels = [RelationView(id=m, type="membership", source=m, target="p", provenance=Provenance(source="s"))
    ...         for m in "ac"]
    >>> e = actor_entry(Facts.from_subgraph(Subgraph(actors=acts, relations=rels)).index(None), "a")
    >>> e.codes, e.reasons[0].text
    (['lien_unique'], 'Membre du pôle « Pôle Sud », sans autre lien direct documenté')
    """
    voc = vocabulary()
    a = idx.facts.actors[aid]
    fam = voc.family(a.family)
    own = dict(sorted(idx.ties.get(aid, {}).items()))
    partners = idx.partners.get(aid, set())
    observed = idx.observed(aid)
    reasons: list[Reason] = []

    def add(code: str, suffix: str = "") -> None:
        reasons.append(Reason(code=code, text=ISOLATION_CODES[code].get(lang, ISOLATION_CODES[code]["fr"]) + suffix))

    is_pole = a.family == "pole"
    poles = sorted(idx.poles_of.get(aid, set()))
    # a pôle whose sources name no member and state no size: a PTCE is a grouping (art. 9), so
    # its lack of ties is a gap of the documentation (pole_documentation_gap), not isolation
    unlisted = is_pole and not a.declared.get("members") and aid not in idx.listed_poles
    if observed:
        if not partners:
            if not own and idx.facts.left_out.get(aid):  # statements, but none the analysis counts
                reasons.append(Reason(code="aucun_lien", text=not_counted_text(idx.facts.left_out[aid], lang)))
            elif not own:
                add("aucun_lien")
            elif all(t in FUNDING_TYPES for t in own):
                add("seulement_financement")
            else:
                types = ", ".join(voc.relation_type(t).label(lang) for t in own)
                add("hors_lentille", f" ({types})")
        if len(partners) == 1:
            pid = next(iter(partners))
            p = idx.facts.actors[pid]
            if pid in idx.carried.get(aid, ()):
                pass  # the structure porteuse of its only partner: it carries the pôle
            elif pid in poles:  # its pôle: a member with no other direct tie documented
                text = POLE_ONLY_TEXT.get(lang, POLE_ONLY_TEXT["fr"]).format(pole=p.name)
                reasons.append(Reason(code="lien_unique", text=text))
            else:
                add("lien_unique", f" : {p.name}" if lang != "en" else f": {p.name}")
        # a member (or structure porteuse) of a pôle gathering several families cooperates across them
        across = any(len(idx.pole_families.get(p, ())) >= 2 for p in poles)
        if partners and not across:
            families = {idx.facts.actors[p].family for p in partners} - {"pole"}
            if not is_pole:
                families.add(a.family)
            if len(families) < 2:
                shown = ", ".join(sorted(voc.family(f).label(lang) for f in families)) or fam.label(lang)
                add("sans_lien_intersectoriel", f" ({shown})")
        if not is_pole and not poles:
            add("hors_pole")
    return ActorEntry(
        id=aid, name=a.name, family=a.family, family_label=fam.label(lang), kind=a.kind,
        kind_label=fam.kinds[a.kind].label(lang) if a.kind in fam.kinds else "",
        location=_place(a), location_label=location_label(_place(a)), observed=observed,
        in_pole=None if is_pole else bool(poles),
        poles=[_ref(idx.facts.actors[p], lang) for p in poles], partners=len(partners), ties=own,
        tie_years=[] if observed else sorted(idx.dated_years.get(aid, ())),
        reasons=reasons, documentation_gap=(_thin(a) or unlisted) and bool(reasons),
        caveats=_caveats(a, lang, no_members=unlisted),
    )


def status_of(e: ActorEntry) -> str | None:
    """Where the diagnostic lists an actor: ``"not_observed"`` (every tie dated in other
    years), ``None`` (no reason), ``"public_bodies"`` (a collectivité, State service or EU
    body), ``"documentation_gaps"`` (thinly documented), ``"isolated"`` (a reason of
    :data:`ISOLATED_CODES`: no cooperation tie in the lens) or ``"peripheral"`` (only reasons
    of :data:`PERIPHERAL_CODES`, e.g. a single partner). The one classification the
    diagnostic, :func:`isolated_actors`, the API, ``analyse`` and the reports share.

    >>> e = ActorEntry(id="a", name="A", family="ess", family_label="ESS",
    ...                reasons=[Reason(code="lien_unique", text="…"), Reason(code="hors_pole", text="…")])
    >>> status_of(e), status_of(e.model_copy(update={"reasons": [Reason(code="aucun_lien", text="…")]}))
    ('peripheral', 'isolated')
    """
    if not e.observed:
        return "not_observed"
    if not e.reasons:
        return None
    if e.family in PUBLIC_FAMILIES:
        return "public_bodies"
    if e.documentation_gap:
        return "documentation_gaps"
    return "isolated" if any(c in ISOLATED_CODES for c in e.codes) else "peripheral"


def status_label(status: str, codes: Iterable[str] = (), lang: str = "fr", in_pole: bool = False) -> str:
    """The label of a :func:`status_of` status; a peripheral actor with a single partner is
    « périphérique (un seul partenaire) », and when that partner is its pôle (``in_pole``: a
    member's membership is a direct tie, so a member's single partner is its pôle)
    « périphérique (membre d'un pôle, sans autre lien direct) ».

    >>> status_label("peripheral", ["lien_unique"]), status_label("isolated", lang="en")
    ('périphérique (un seul partenaire)', 'isolated')
    >>> status_label("peripheral", ["lien_unique"], in_pole=True)
    "périphérique (membre d'un pôle, sans autre lien direct)"
    """
    label = STATUSES[status].get(lang, STATUSES[status]["fr"])
    if status == "peripheral" and "lien_unique" in codes:
        if in_pole:
            label += " (pôle member, no other direct tie)" if lang == "en" else \
                " (membre d'un pôle, sans autre lien direct)"
        else:
            label += " (single partner)" if lang == "en" else " (un seul partenaire)"
    return label


def entry_status_label(e: ActorEntry, lang: str = "fr") -> str:
    """:func:`status_label` of a diagnostic's entry (its status, its reasons, its pôles).

    >>> e = ActorEntry(id="a", name="Les Jardins", family="ess", family_label="ESS", in_pole=True,
    ...                reasons=[Reason(code="lien_unique", text="Membre du pôle « P », sans autre lien direct documenté")])
    >>> entry_status_label(e), entry_status_label(e.model_copy(update={"in_pole": False}), "en")
    ("périphérique (membre d'un pôle, sans autre lien direct)", 'peripheral (single partner)')
    """
    return status_label(status_of(e), e.codes, lang, in_pole=bool(e.in_pole))


def _order(e: ActorEntry) -> tuple:
    codes = list(ISOLATION_CODES)
    first = min((codes.index(c) for c in e.codes), default=len(codes))
    return (first, -len(e.reasons), *alpha_key(e.name), e.id)


# ---------------------------------------------------------------------------------------------
# the diagnostic

@dataclass
class TerritoryMaterial:
    """What a territory diagnostic reads from the store, once for every year: the actors
    located there, their ties (with the actors at the other end) and every pôle."""

    territory: str
    name: str
    level: str
    inside: set[str]
    facts: Facts
    poles: dict[str, ActorView]
    #: Members each pôle has in the whole store (a group of N counts N), for its documentation.
    pole_members: dict[str, int] = field(default_factory=dict)
    #: Grants (every year) to natural persons located here, or from a funder located here: never
    #: named, counted in the funders' totals (:attr:`Funder.to_persons`).
    person_grants: list[RelationView] = field(default_factory=list)
    #: The natural persons located here (ids only: never named).
    persons_here: set[str] = field(default_factory=set)
    #: Funders of those grants that ``facts`` does not hold (they fund only persons here).
    person_funders: dict[str, ActorView] = field(default_factory=dict)

    @classmethod
    def read(cls, store: Store, territory_id: str, grants_to_persons: bool = False,
             rule: TieRule | None = None) -> TerritoryMaterial:
        """What the store holds for ``territory_id``; with ``grants_to_persons``, also the grants
        to natural persons the funders' totals count (:attr:`person_grants`: the diagnostic and
        the report read them; the evolution, which counts no money, does not). Ties are those
        of ``rule`` (:meth:`Facts.from_subgraph`)."""
        rule = rule or tie_rule()
        name, level = territory_name(territory_id)
        inside = set(store.actors_in_territory(territory_id))
        persons_here = set(store.actors_in_territory(territory_id, include_persons=True)) - inside
        sub = store.territory_subgraph(territory_id, include_external=True)
        poles = {a.id: a for a in store.search("", family="pole", limit=10**9)}
        pole_ties = store.relations(touching=poles, types=list(POLE_TIE_TYPES))
        facts = Facts.from_subgraph(sub, store, pole_ties, rule)
        inside &= set(facts.actors)
        members: dict[str, set[str]] = defaultdict(set)
        for r in pole_ties:
            if r.type == "membership" and r.target in poles and r.source != r.target and rule.counts(r):
                members[r.target].add(r.source)
        known = store.get_actors({m for ms in members.values() for m in ms})
        counts = {p: sum(int(known[m].group_count or 1) if m in known else 1 for m in ms) for p, ms in members.items()}
        grants, persons, funders = (_person_grants(store, inside, persons_here, facts) if grants_to_persons
                                    else ([], persons_here, {}))
        return cls(territory_id, name, level, inside, facts, poles, counts, grants, persons, funders)


def _person_grants(store: Store, inside: set[str], persons_here: set[str],
                   facts: Facts) -> tuple[list[RelationView], set[str], dict[str, ActorView]]:
    """``(grants, persons here, funders)``: the grants (every year) to a natural person located
    here or from a funder located here (a subsidy file's « M. X », placed nowhere), a person's
    own grants aside; the persons located here; the funders ``facts`` does not hold."""
    rels = [r for r in store.relations(touching=sorted(inside | persons_here), types=list(FUNDING_TYPES))
            if r.source != r.target and r.target not in facts.actors]
    if not rels:
        return [], persons_here, {}
    ends = store.get_actors({e for r in rels for e in (r.source, r.target)} - set(facts.actors))
    person = {k for k, a in ends.items() if a.personal_data}
    grants = [r for r in rels if r.target in person and r.source not in person
              and (r.source in facts.actors or r.source in ends) and (r.target in persons_here or r.source in inside)]
    funders = {r.source: ends[r.source] for r in grants if r.source not in facts.actors}
    return grants, persons_here, funders


def pole_documentation_gap(pole: ActorView, members: int) -> bool:
    """A pôle whose members are not all documented: fewer listed than its sources declare, or
    none listed and no size declared (the pôle report's composition caveats), or unnamed. A
    pôle listing as many members as it declares (Le Périscope: 35 for 30) is documented.

    >>> p = ActorView(id="p", name="P", family="pole", declared={"members": 30})
    >>> pole_documentation_gap(p, 29), pole_documentation_gap(p, 35)
    (True, False)
    >>> pole_documentation_gap(ActorView(id="q", name="Q", family="pole"), 0)
    True
    """
    declared = pole.declared.get("members")
    return bool(pole.placeholder or (members < declared if declared else members == 0))


def _poles_present(m: TerritoryMaterial, idx: TieIndex, lang: str) -> tuple[list[PolePresence], list[PolePresence]]:
    here: dict[str, int] = Counter()
    for aid in m.inside:
        for p in idx.poles_of.get(aid, ()):
            here[p] += 1
    ancestors = set(_rollup(m.territory)) - {m.territory}
    present, possible = [], []
    for pid, p in m.poles.items():
        codes = []
        if pid in m.inside:
            codes.append("situe")
        if p.pole and any(overlaps(t, m.territory) for t in p.pole.perimeter):
            codes.append("perimetre")
        if here.get(pid):
            codes.append("membres")
        place = _place(p)
        if not codes and place and (place in ancestors or overlaps(place, m.territory)):
            codes.append("englobant")
        if not codes:
            continue
        entry = PolePresence(
            id=pid, name=p.name, kind=p.kind, phase=p.pole.phase if p.pole else None, location=place,
            location_label=location_label(place), members_here=here.get(pid, 0),
            documentation_gap=pole_documentation_gap(p, m.pole_members.get(pid, 0)),
            presence=[Reason(code=c, text=PRESENCE_CODES[c].get(lang, PRESENCE_CODES[c]["fr"])) for c in codes])
        (possible if codes == ["englobant"] else present).append(entry)
    key = lambda e: (*alpha_key(e.name), e.id)  # noqa: E731
    return sorted(present, key=key), sorted(possible, key=key)


def _stated(rels: Iterable[RelationView]) -> list[float]:
    return [float(r.fields["amount"]) for r in rels if r.fields.get("amount") is not None]


def _funder(m: TerritoryMaterial, fid: str, rels: list[RelationView], lang: str,
            persons: Sequence[RelationView] = ()) -> Funder:
    """One funder's row: its ``funds`` ties ``rels``, their stated amounts, beneficiaries, years;
    its grants to natural persons ``persons`` counted in its ties, amount and years, never named."""
    acts = m.facts.actors
    f = acts[fid] if fid in acts else m.person_funders[fid]
    fam = vocabulary().family(f.family)
    amounts = _stated([*rels, *persons])
    benef = sorted({r.target for r in rels}, key=lambda i: (*alpha_key(acts[i].name), i))
    years = sorted({y for r in [*rels, *persons] for y in [fact_years(r)[0]] if y is not None})
    unlocated = sum(1 for b in benef if b not in m.inside and not _place(acts[b]))
    own = [r for r in rels if r.target == fid]
    return Funder(
        id=fid, name=f.name, family=f.family, family_label=fam.label(lang), kind=f.kind,
        kind_label=fam.kinds[f.kind].label(lang) if f.kind in fam.kinds else "",
        location_label=location_label(_place(f)), inside=fid in m.inside, ties=len(rels) + len(persons),
        beneficiaries=listing(_ref(acts[b], lang) for b in benef), amount=sum(amounts),
        amounts_stated=len(amounts), years=years, beneficiaries_unlocated=unlocated,
        beneficiaries_outside=sum(1 for b in benef if b not in m.inside) - unlocated, to_itself=len(own),
        amount_to_itself=sum(_stated(own)), to_persons=len(persons), amount_to_persons=sum(_stated(persons)))


def _unplaced_beneficiaries(m: TerritoryMaterial, from_here: Sequence[Funder], lang: str) -> list[Ref]:
    """The beneficiaries of the funders located here (``from_here``) with no known place, each
    once, by name: what :attr:`Funder.beneficiaries_unlocated` counts, funder by funder."""
    acts = m.facts.actors
    ids = {b.id for f in from_here for b in f.beneficiaries.items
           if b.id in acts and b.id not in m.inside and not _place(acts[b.id])}
    return [_ref(acts[i], lang) for i in sorted(ids, key=lambda i: (*alpha_key(acts[i].name), i))]


def person_grants_of(m: TerritoryMaterial, year: int | None) -> tuple[list[RelationView], list[RelationView]]:
    """``(received, given)``: the grants active in ``year`` to natural persons located here, and
    those from a funder located here to persons who are not (placed elsewhere or nowhere);
    read when the material was (:meth:`TerritoryMaterial.read` with ``grants_to_persons``).

    >>> from maillage.graph import open_store
    >>> person_grants_of(TerritoryMaterial.read(open_store(":memory:"), "epci:243100633", True), 2024)
    ([], [])
    """
    now = [r for r in m.person_grants if active(r, year)]
    received = [r for r in now if r.target in m.persons_here]
    return received, [r for r in now if r.target not in m.persons_here and r.source in m.inside]


def _funding(m: TerritoryMaterial, idx: TieIndex,
             lang: str) -> tuple[list[Funder], list[Funder], list[FundingGroup]]:
    """``(funders, funded_from_here, funding_by_kind)``: who funds the actors located here
    (a funder located here funding itself included: :attr:`Funder.to_itself`); what the
    funders located here fund beyond them (elsewhere, or where no location is known)."""
    voc = vocabulary()
    by_funder: dict[str, list[RelationView]] = defaultdict(list)
    beyond: dict[str, list[RelationView]] = defaultdict(list)
    for r in [*idx.relations, *idx.self_funding]:
        if r.type in FUNDING_TYPES:
            if r.target in m.inside:
                by_funder[r.source].append(r)
            elif r.source in m.inside:
                beyond[r.source].append(r)
    received, given = person_grants_of(m, idx.year)
    to_persons: dict[str, list[RelationView]] = defaultdict(list)
    from_persons: dict[str, list[RelationView]] = defaultdict(list)
    for r in received:
        to_persons[r.source].append(r)
    for r in given:
        from_persons[r.source].append(r)
    funders = [_funder(m, fid, by_funder.get(fid, []), lang, to_persons.get(fid, []))
               for fid in dict.fromkeys([*by_funder, *to_persons])]
    from_here = [_funder(m, fid, beyond.get(fid, []), lang, from_persons.get(fid, []))
                 for fid in dict.fromkeys([*beyond, *from_persons])]
    from_here.sort(key=lambda f: (-f.amount, -f.ties, *alpha_key(f.name), f.id))
    funders.sort(key=lambda f: (-f.amount, -f.ties, *alpha_key(f.name), f.id))
    groups: dict[tuple[str, str | None], list[Funder]] = defaultdict(list)
    for f in funders:
        groups[(f.family, f.kind)].append(f)
    out = []
    for (fam_name, kind), fs in groups.items():
        fam = voc.family(fam_name)
        out.append(FundingGroup(
            family=fam_name, family_label=fam.label(lang), kind=kind,
            kind_label=fam.kinds[kind].label(lang) if kind in fam.kinds else "", funders=len(fs),
            ties=sum(f.ties for f in fs), amount=sum(f.amount for f in fs),
            amounts_stated=sum(f.amounts_stated for f in fs)))
    out.sort(key=lambda g: (-g.amount, -g.ties, g.family, g.kind or ""))
    return funders, from_here, out


def collectivite_role(r: RelationView) -> tuple[str | None, bool]:
    """The collectivité role (vocabulary ``collectivite_roles``) a relation from a
    collectivité expresses, and whether the source states it (``supports.form``) rather
    than it being read from the type (:data:`ROLE_FROM_TYPE`) or the funding's nature
    (:data:`ROLE_FROM_FUNDS_NATURE`). ``(None, False)`` when it names no role.

    >>> from maillage.graph.model import Provenance
    >>> collectivite_role(RelationView(id="r", type="funds", source="a", target="b",
    ...     fields={"nature": "investissement"}, provenance=Provenance(source="s")))
    ('aide_investissement', False)
    """
    roles = vocabulary().enum("collectivite_roles")
    form = r.fields.get("form")
    if r.type == "supports" and form in roles:
        return form, True
    if r.type in FUNDING_TYPES:
        role = ROLE_FROM_FUNDS_NATURE.get(r.fields.get("nature"))
    else:
        role = ROLE_FROM_TYPE.get(r.type)
    return (role, False) if role in roles else (None, False)


def _roles(m: TerritoryMaterial, idx: TieIndex, lang: str,
           sources: Mapping[str, Any] | None = None) -> tuple[list[RoleCount], int]:
    """The roles table (:class:`RoleCount`) and the ties of collectivités to actors here that
    express no role; ``sources``: the store's source records by id (:func:`sources_said`)."""
    voc = vocabulary()
    acts = m.facts.actors
    rows: dict[str, dict[str, Any]] = {}
    unqualified = 0
    for r in idx.relations:
        if r.target not in m.inside or acts[r.source].family != "collectivite":
            continue
        role, stated = collectivite_role(r)
        if role is None and r.type in FUNDING_TYPES:
            # a nature this table does not know (a store written by another version): unstated
            role = GRANT_ROWS.get(r.fields.get("nature") or None, GRANT_ROWS[None])[0]
        if role is None:
            unqualified += 1
            continue
        row = rows.setdefault(role, {"ties": 0, "stated": 0, "derived": 0, "coll": set(), "levels": Counter(),
                                     "amount": 0.0, "amounts": 0, "grants_from": set()})
        row["ties"] += 1
        row["stated" if stated else "derived"] += 1
        row["coll"].add(r.source)
        row["levels"][acts[r.source].kind or "collectivite_autre"] += 1
        if r.type in FUNDING_TYPES:
            row["grants_from"].add(r.provenance.source)
        if r.fields.get("amount") is not None:
            row["amount"] += float(r.fields["amount"])
            row["amounts"] += 1
    roles = voc.enum("collectivite_roles")
    labels = {k: v.label(lang) for k, v in roles.items()}
    order = list(roles)  # vocabulary order, the other grants after the two aids
    at = order.index("aide_investissement") + 1
    order[at:at] = [row for row, _ in GRANT_ROWS.values()]
    labels.update({row: label["en" if lang == "en" else "fr"] for row, label in GRANT_ROWS.values()})
    out = []
    for role in order:
        if role not in rows:
            continue
        row = rows[role]
        colls = sorted(row["coll"], key=lambda i: (*alpha_key(acts[i].name), i))
        said = sources_said(sorted(row["grants_from"]), lang, sources) if row["grants_from"] else ""
        out.append(RoleCount(role=role, label=labels[role], ties=row["ties"], stated=row["stated"],
                             derived=row["derived"], collectivites=listing(_ref(acts[c], lang) for c in colls),
                             by_level=dict(sorted(row["levels"].items())), amount=row["amount"],
                             amounts_stated=row["amounts"],
                             funding_from=said and (f"grants {said}" if lang == "en" else f"financements {said}")))
    return out, unqualified


def _border(m: TerritoryMaterial, idx: TieIndex, lang: str, top: int) -> BorderTies:
    voc = vocabulary()
    acts = m.facts.actors
    ancestors = set(_rollup(m.territory)) - {m.territory}
    by_type: Counter = Counter()
    pairs: set[tuple[str, str]] = set()
    partners: dict[str, dict[str, Any]] = {}
    enclosing = unlocated = crossing = 0
    for r in idx.relations:
        ins, outs = r.source in m.inside, r.target in m.inside
        if ins == outs:
            continue
        inner, outer = (r.source, r.target) if ins else (r.target, r.source)
        place = _place(acts[outer])
        if place is None:
            unlocated += 1
            continue
        if place in ancestors or overlaps(place, m.territory):
            enclosing += 1
            continue
        crossing += 1
        by_type[r.type] += 1
        pairs.add((inner, outer))
        p = partners.setdefault(outer, {"inside": set(), "ties": 0, "types": Counter()})
        p["inside"].add(inner)
        p["ties"] += 1
        p["types"][r.type] += 1
    rows = []
    for oid, p in partners.items():
        o = acts[oid]
        rows.append(OutsidePartner(
            id=oid, name=o.name, family=o.family, family_label=voc.family(o.family).label(lang),
            location=_place(o), location_label=location_label(_place(o)), inside_partners=len(p["inside"]),
            ties=p["ties"], types=dict(sorted(p["types"].items()))))
    rows.sort(key=lambda o: (-o.inside_partners, -o.ties, *alpha_key(o.name), o.id))
    types = dict(sorted(by_type.items()))
    return BorderTies(relations=crossing, pairs=len(pairs), by_type=types,
                      by_type_label={voc.relation_type(t).label(lang): n for t, n in types.items()},
                      outside_partners=listing(rows, limit=top), enclosing=enclosing, unlocated=unlocated)


def diagnose(material: TerritoryMaterial, as_of: int | None = None, lang: str = "fr",
             top_partners: int = 10, index: TieIndex | None = None,
             sources: Mapping[str, Any] | None = None) -> TerritoryDiagnostic:
    """The diagnostic of :func:`territory_diagnostic` from material already read (so a
    series of years reads the store once: see :mod:`maillage.analytics.evolution`);
    ``sources``: the store's source records by id, read once by a report, so that the roles
    table names a source loaded with ``--source-id`` by its kind (:class:`RoleCount`).

    >>> from maillage.graph import open_store
    >>> from maillage.loaders import load_reference
    >>> s = open_store(":memory:"); _ = load_reference(s)
    >>> material = TerritoryMaterial.read(s, "departement:31")
    >>> [diagnose(material, as_of=y).as_of for y in (2014, 2016)]
    [2014, 2016]
    """
    voc = vocabulary()
    idx = index or material.facts.index(as_of)
    acts = material.facts.actors
    every = sorted((actor_entry(idx, aid, lang) for aid in material.inside),
                   key=lambda e: (e.family, *alpha_key(e.name), e.id))
    # the year's actors: one all of whose ties are dated in other years (gone, or not there yet)
    # is listed apart (`not_observed`), never counted — as the evolution's « Acteurs observés »
    entries = [e for e in every if e.observed]
    fam_rows = []
    for fam_name in voc.families:
        fam_entries = [e for e in entries if e.family == fam_name]
        if fam_entries:
            fam_rows.append(FamilyCount(
                family=fam_name, label=voc.family(fam_name).label(lang), actors=len(fam_entries),
                in_pole=sum(e.in_pole is True for e in fam_entries),
                not_in_pole=sum(e.in_pole is False for e in fam_entries)))
    isolated, peripheral, gaps, unseen, public = [], [], [], [], []
    lists = {"isolated": isolated, "peripheral": peripheral, "documentation_gaps": gaps, "not_observed": unseen,
             "public_bodies": public}
    for e in every:
        status = status_of(e)
        if status is not None:
            lists[status].append(e)
    poles, possible = _poles_present(material, idx, lang)
    funders, from_here, groups = _funding(material, idx, lang)
    roles, unqualified = _roles(material, idx, lang, sources)
    notes = []  # the store's notes are English and for the API; ties across the border are `border`
    if not acts and material.level != "pays":
        notes.append("Aucun acteur situé dans ce territoire" if lang != "en" else "No actor located in this territory")
    d = TerritoryDiagnostic(
        territory=material.territory, name=material.name, level=material.level, as_of=as_of, lang=lang,
        lens=idx.lens, actors=listing(entries), by_family=fam_rows,
        in_pole=sum(e.in_pole is True for e in entries), not_in_pole=sum(e.in_pole is False for e in entries),
        isolated=listing(sorted(isolated, key=_order)), peripheral=listing(sorted(peripheral, key=_order)),
        documentation_gaps=listing(sorted(gaps, key=_order)),
        not_observed=listing(sorted(unseen, key=lambda e: (*alpha_key(e.name), e.id))),
        poles=listing(poles), poles_possible=listing(possible), funders=listing(funders), funded_from_here=listing(from_here),
        unplaced_beneficiaries=listing(_unplaced_beneficiaries(material, from_here, lang)),
        funding_by_kind=groups, collectivite_roles=roles, collectivite_ties_unqualified=unqualified,
        border=_border(material, idx, lang, top_partners), notes=notes,
        public_bodies=listing(sorted(public, key=lambda e: (*alpha_key(e.name), e.id))))
    d.part_level, d.flagged_by_part = flagged_by_part(d.territory, d.flagged(), lang)
    return d


def territory_diagnostic(store: Store, territory_id: str, as_of: int | None = None, lang: str = "fr",
                         top_partners: int = 10, sources: Mapping[str, Any] | None = None) -> TerritoryDiagnostic:
    """Diagnostic of a territory (commune, EPCI, département, région) as of a year.

    - ``actors``: the actors located there (rollup of their location, or of the territory a
      collectivité administers) observed in ``as_of``, each with ``in_pole``, its pôles, its
      partners in the cooperation lens and **every reason** of :data:`ISOLATION_CODES` that
      applies; ``by_family``, ``in_pole`` and ``not_in_pole`` count them;
    - ``isolated`` (a reason of :data:`ISOLATED_CODES`: no cooperation tie), ``peripheral``
      (only reasons of :data:`PERIPHERAL_CODES`), ``documentation_gaps`` (thinly documented
      actors with reasons: *may be a documentation gap*, never called isolated) and
      ``not_observed`` (located there, but every tie dated in other years: a member that left
      before ``as_of`` or joined after it; neither in ``actors`` nor counted);
    - ``poles``: pôles located there, whose perimeter overlaps it, or with members located
      there; ``poles_possible``: pôles located only at a wider scale enclosing it;
    - ``funders``: actors with ``funds`` ties to actors located there (amounts and counts),
      ``funding_by_kind`` (family and kind, for collectivités the level) and
      ``collectivite_roles`` (vocabulary ``collectivite_roles``, stated or derived; ``sources``,
      the store's source records by id, names a source loaded with ``--source-id`` by its kind
      in ``funding_from``, as :func:`diagnose` does);
      ``funded_from_here``: funders located there with their ``funds`` ties to actors that are
      not (``beneficiaries_outside``: located elsewhere; ``beneficiaries_unlocated``: no known
      location, as in a collectivité's own subsidy file until a SIRENE extract places them);
    - ``border``: ties between actors located there and actors located outside (count, by
      type, top ``top_partners`` outside partners).

    Every list is a :class:`Listing` (``size`` and ``items``). Natural persons are left out.
    Isolation follows Borgatti & Everett (2000), *Social Networks* 21(4), 375–395 for the
    core/periphery reading; reasons are defined in the module docstring.

    >>> from maillage.graph import open_store
    >>> territory_diagnostic(open_store(":memory:"), "commune:31555", as_of=2015).poles.size
    0
    """
    return diagnose(TerritoryMaterial.read(store, territory_id, grants_to_persons=True), as_of=as_of, lang=lang,
                    top_partners=top_partners, sources=sources)


# ---------------------------------------------------------------------------------------------
# from one year to the next

#: The situation of an actor with no reason (:func:`situation_label`), and of one not observed
#: (every tie dated in other years) the year before (``before``) or the year itself (``after``).
SITUATION_WORDS = {
    "fr": {"none": "ni isolé ni périphérique", "before": "pas encore de lien (arrivé depuis ?)",
           "after": "plus de lien cette année-là (parti ?)"},
    "en": {"none": "neither isolated nor peripheral", "before": "no tie yet (arrived since?)",
           "after": "no tie that year any more (left?)"},
}


class StatusChange(BaseModel):
    """An actor located in the territory whose situation changed from one year to the next."""

    id: str
    name: str
    family_label: str
    location_label: str = ""
    before: str | None = Field(description="Its status (:func:`status_of`) the year before; null: no reason")
    after: str | None = Field(description="Its status that year; null: no reason")
    before_label: str
    after_label: str


class YearChanges(BaseModel):
    """The isolated, peripheral and possibly under-documented actors (:data:`FLAGGED_KINDS`) of
    ``year`` against ``year - 1``: who became so (or changed from one to another), who no longer
    is (tied since, or gone)."""

    year: int
    became: list[StatusChange]
    no_longer: list[StatusChange]
    before_labels: dict[str, str] = Field(description="Actor id → its situation the year before, for every "
                                                      "flagged actor of `year`")


def dated_in(m: TerritoryMaterial, year: int) -> bool:
    """True when a dated fact of an actor located in the territory is active in ``year`` (the
    sources say something of that year, not only undated facts that hold every year).

    >>> from maillage.graph import open_store
    >>> dated_in(TerritoryMaterial.read(open_store(":memory:"), "epci:243100633"), 2024)
    False
    """
    return any((r.source in m.inside or r.target in m.inside) and is_dated(r) and m.facts.active(r, year)
               for r in [*m.facts.relations, *m.facts.self_funding])


def situation_label(e: ActorEntry, lang: str = "fr", when: str = "after") -> str:
    """An actor's situation in words: its status's (:func:`entry_status_label`), « ni isolé ni
    périphérique » without a reason, and for an actor not observed that year the words of
    :data:`SITUATION_WORDS` (``when``: ``before``, the year before; ``after``, the year itself).

    >>> e = ActorEntry(id="a", name="A", family="ess", family_label="ESS", reasons=[])
    >>> situation_label(e), situation_label(e.model_copy(update={"observed": False}), when="before")
    ('ni isolé ni périphérique', 'pas encore de lien (arrivé depuis ?)')
    """
    words = SITUATION_WORDS.get(lang, SITUATION_WORDS["fr"])
    status = status_of(e)
    if status == "not_observed":
        return words[when]
    return words["none"] if status is None else entry_status_label(e, lang)


def changes_since(m: TerritoryMaterial, year: int, lang: str = "fr") -> YearChanges | None:
    """The changes of :class:`YearChanges` from ``year - 1`` to ``year``; None when no dated fact
    of the territory is active in ``year - 1`` (nothing to compare with). Collectivités and
    public bodies are left out, as from the diagnostic's listings; natural persons are never in.

    >>> from maillage.graph import open_store
    >>> changes_since(TerritoryMaterial.read(open_store(":memory:"), "epci:243100633"), 2025) is None
    True
    """
    if not dated_in(m, year - 1):
        return None
    old, new = m.facts.index(year - 1), m.facts.index(year)
    became, gone, labels = [], [], {}
    for aid in m.inside:
        b, a = actor_entry(old, aid, lang), actor_entry(new, aid, lang)
        sb, sa = status_of(b), status_of(a)
        if "public_bodies" in (sb, sa):
            continue
        if sa in FLAGGED_KINDS:
            labels[aid] = situation_label(b, lang, "before")
        if sb == sa or (sa not in FLAGGED_KINDS and sb not in FLAGGED_KINDS):
            continue
        change = StatusChange(id=aid, name=a.name, family_label=a.family_label, location_label=a.location_label,
                              before=sb, after=sa, before_label=situation_label(b, lang, "before"),
                              after_label=situation_label(a, lang, "after"))
        (became if sa in FLAGGED_KINDS else gone).append(change)
    became.sort(key=lambda c: (FLAGGED_KINDS.index(c.after), *alpha_key(c.name), c.id))
    gone.sort(key=lambda c: (*alpha_key(c.name), c.id))
    return YearChanges(year=year, became=became, no_longer=gone, before_labels=labels)


# ---------------------------------------------------------------------------------------------
# the whole graph or a territory: the rows of the API and of run.isolated_actors

def isolated_actors(store: Store, lens: str = "cooperation", as_of: int | None = None, lang: str = "fr",
                    territory: str | None = None, include_peripheral: bool = False,
                    unobserved: set[str] | None = None, certainty: Iterable[str] | None = None,
                    refused: bool = False) -> list[dict[str, Any]]:
    """Isolated actors with every reason (``code`` = its first reason, ``reason`` = its
    text, ``codes`` and ``reasons`` = every reason that applies) and their ``status``
    (:func:`status_of`, the diagnostic's listing) with its ``status_label``.

    Without ``include_peripheral``, only the isolated (status ``isolated``: no cooperation tie
    in the lens, the diagnostic's ``isolated``); with it, every actor with a reason, each
    marked: ``peripheral`` (e.g. a single partner, ``lien_unique``), ``documentation_gaps``,
    ``public_bodies``. ``territory`` keeps the actors located there. Actors not observed in
    ``as_of`` (every tie dated in other years) are left out, and added to ``unobserved`` when
    it is given. Natural persons are never listed. Ties are those of :func:`~maillage.analytics.lenses.tie_rule`
    (``certainty``, ``refused``: by default no planned statement, no refused application).

    >>> from maillage.graph import open_store
    >>> isolated_actors(open_store(":memory:"))
    []
    """
    rule = tie_rule(certainty, refused)
    if territory is not None:
        sub = store.territory_subgraph(territory, include_external=True)
        keep = set(store.actors_in_territory(territory))
        facts = Facts.from_subgraph(sub, store, rule=rule)  # the pôles' members located elsewhere count
    else:
        keep = None
        facts = Facts.from_subgraph(store.projection(), rule=rule, lists=list_years(store.sources()))
    idx = facts.index(as_of, lens)
    out = []
    for aid, a in facts.actors.items():
        if keep is not None and aid not in keep:
            continue
        e = actor_entry(idx, aid, lang)
        if not e.observed and unobserved is not None:
            unobserved.add(aid)
        status = status_of(e)
        if status in (None, "not_observed") or (not include_peripheral and status != "isolated"):
            continue
        partner_info = [{"id": p, "name": facts.actors[p].name} for p in sorted(idx.partners.get(aid, ()))]
        out.append({
            "id": aid, "name": a.name, "family": a.family, "family_label": e.family_label, "kind": a.kind,
            "location": a.location, "location_label": location_label(a.location),
            "status": status, "status_label": status_label(status, e.codes, lang, in_pole=bool(e.in_pole)),
            "code": e.reasons[0].code, "reason": e.reasons[0].text,
            "codes": e.codes, "reasons": [r.model_dump() for r in e.reasons],
            "lens": lens, "lens_degree": e.partners, "ties": e.ties,
            "partners": partner_info if e.partners == 1 else [],
            "placeholder": a.placeholder, "declared": dict(a.declared),
            "thinly_documented": _thin(a) or e.documentation_gap, "caveats": e.caveats,
        })
    order, statuses = list(ISOLATION_CODES), list(STATUSES)
    out.sort(key=lambda d: (statuses.index(d["status"]), order.index(d["code"]), *alpha_key(d["name"]), d["id"]))
    return out


__all__ = ["ISOLATION_CODES", "ISOLATED_CODES", "PERIPHERAL_CODES", "STATUSES", "status_of", "status_label",
           "entry_status_label", "not_counted_text", "NOT_COUNTED_WORDS", "NOT_COUNTED_OPTIONS",
           "PRESENCE_CODES", "POLE_TIE_TYPES",
           "ROLE_FROM_TYPE", "ROLE_FROM_FUNDS_NATURE", "GRANT_ROWS", "TerritoryDiagnostic", "ActorEntry", "Listing",
           "Ref", "Reason", "PolePresence", "Funder", "FundingGroup", "RoleCount", "BorderTies",
           "OutsidePartner", "Facts", "TieIndex", "TerritoryMaterial", "territory_diagnostic", "diagnose",
           "isolated_actors", "actor_entry", "collectivite_role", "fact_years", "is_dated", "active", "list_years",
           "overlaps", "territory_name", "listing", "abridged", "PartCount", "PART_LEVEL", "FLAGGED_KINDS",
           "flagged_by_part", "part_of", "part_name", "changes_since", "YearChanges", "StatusChange",
           "situation_label", "dated_in", "person_grants_of"]
