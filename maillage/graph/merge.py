"""The canonical actor, merged from every source's statement about it.

Rules (deterministic: the result does not depend on the order sources were loaded in):

- **name**: the most frequent name; ties go to the name that is not all capitals, then the
  shortest, then alphabetical order. Every other name becomes an alias.
- **family / kind**: the most frequent, ignoring ``other``/unknown when a more specific value
  exists; ties go to the more specific role (pôle first, see ``FAMILY_PRIORITY``). Disagreements are kept in ``conflicts``.
- **location**: the most precise level stated (commune > EPCI > département > région > pays),
  then the most frequent; disagreeing places are kept in ``conflicts``.
- **identifiers, aliases, perimeter, labels**: union. **declared sizes**: the largest stated
  value, with the others in ``conflicts``. **placeholder**: only if every statement is one.
  **personal data**: if any statement says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from .model import Actor, ActorView, Identifier, PoleInfo
from .vocabulary import vocabulary

LEVEL_PRECISION = {"commune": 5, "epci": 4, "ept": 4, "departement": 3, "region": 2, "pays": 1}

# When statements disagree on the family as often one way as the other, the more specific
# role wins: a pôle that is also its own legal entity is first of all a pôle.
FAMILY_PRIORITY = ("pole", "collectivite", "state", "eu", "research", "training", "network", "support",
                   "tiers_lieu", "ess", "enterprise", "person", "other")


def _most_common(values: Iterable[Any], order: Sequence[Any] | None = None) -> Any:
    counts = Counter(v for v in values if v not in (None, ""))
    if not counts:
        return None
    rank: dict[Any, int] = {}
    for i, v in enumerate(order or ()):
        rank.setdefault(v, i)
    return min(counts, key=lambda v: (-counts[v], rank.get(v, len(rank)), str(v)))


def _name_rank(name: str, counts: Counter[str]) -> tuple[int, int, int, str]:
    return (-counts[name], int(name.isupper()), len(name), name)


def merge_statements(actor_id: str, statements: Sequence[tuple[str, Actor]]) -> ActorView:
    """Merge ``(source id, Actor)`` statements into the canonical actor ``actor_id``."""
    if not statements:
        raise ValueError(f"actor {actor_id}: nothing to merge")
    actors = [a for _, a in statements]
    conflicts: dict[str, list[Any]] = {}

    def note_conflict(field: str, values: Iterable[Any]) -> None:
        distinct = sorted({v for v in values if v not in (None, "")}, key=str)
        if len(distinct) > 1:
            conflicts[field] = distinct

    names = Counter(a.name for a in actors)
    name = min(names, key=lambda n: _name_rank(n, names))
    aliases = sorted({n for a in actors for n in [a.name, *a.aliases]} - {name})

    fam_order = [*FAMILY_PRIORITY, *vocabulary().families]
    specific = [a.family for a in actors if a.family != "other"]
    family = _most_common(specific or [a.family for a in actors], fam_order)
    note_conflict("family", (a.family for a in actors))
    kind = _most_common((a.kind for a in actors if a.family == family))
    note_conflict("kind", (a.kind for a in actors if a.family == family))

    located = [a.location for a in actors if a.location]
    location = None
    if located:
        best = max(LEVEL_PRECISION.get(loc.split(":")[0], 0) for loc in located)
        location = _most_common(loc for loc in located if LEVEL_PRECISION.get(loc.split(":")[0], 0) == best)
        note_conflict("location", located)

    ids: dict[tuple[str, str], Identifier] = {}
    for a in actors:
        for ident in a.identifiers:
            ids.setdefault((ident.scheme, ident.value), ident)
    for scheme in ("siren", "rna"):
        note_conflict(scheme, (v for (s, v) in ids if s == scheme))

    declared: dict[str, float] = {}
    for key in sorted({k for a in actors for k in a.declared}):
        vals = [a.declared[key] for a in actors if key in a.declared]
        declared[key] = max(vals)
        note_conflict(f"declared.{key}", vals)

    pole = None
    poles = [a.pole for a in actors if a.pole is not None]
    if family == "pole":
        years = [p.founding_year for p in poles if p.founding_year]
        note_conflict("pole.founding_year", years)
        note_conflict("pole.phase", (p.phase for p in poles))
        pole = PoleInfo(
            phase=_most_common(p.phase for p in poles),
            founding_year=min(years) if years else None,
            perimeter=sorted({t for p in poles for t in p.perimeter}),
            perimeter_text=_most_common(p.perimeter_text for p in poles),
            labels=sorted({lab for p in poles for lab in p.labels}),
        )
    for fld in ("territory", "ess", "legal_form"):
        note_conflict(fld, (getattr(a, fld) for a in actors))

    group_counts = [a.group_count for a in actors if a.group_count]
    return ActorView(
        id=actor_id,
        name=name,
        aliases=aliases,
        family=family,
        kind=kind,
        subkind=_most_common(a.subkind for a in actors),
        legal_form=_most_common(a.legal_form for a in actors),
        identifiers=sorted(ids.values(), key=lambda i: (i.scheme, i.value)),
        location=location,
        territory=_most_common(a.territory for a in actors),
        ess=_most_common(a.ess for a in actors),
        placeholder=all(a.placeholder for a in actors),
        group_count=max(group_counts) if group_counts else None,
        personal_data=any(a.personal_data for a in actors) or vocabulary().family(family).personal_data,
        declared=declared,
        pole=pole,
        sources=sorted({s for s, _ in statements}),
        conflicts=conflicts,
    )
