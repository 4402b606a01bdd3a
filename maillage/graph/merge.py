"""The canonical actor, merged from every source's statement about it.

Rules (deterministic: the result does not depend on the order sources were loaded in):

- **name**: the most frequent name; ties go to a name a statement gives that a reviewer did not
  merge in (``joined``: a statement accepted into the actor, rule ``accepted``, joins it without
  renaming it: a pôle's misspelt name accepted into the pôle does not win by being shorter), then
  to the name that is not all capitals, then the shortest leaving a leading article aside, then the one that keeps its article (« Le Périscope »
  rather than « Périscope », which a member list's ``--pole Périscope`` states), then code-point
  order (an unaccented spelling first: « Cafe » before « Café »). Two kinds of name come after
  every current one, however often they are stated: a collectivité's former name (an EPCI renamed
  or transformed, :data:`maillage.geography.names.FORMER_EPCI_NAMES`: « Grand Toulouse »), and a
  name a yearly member list gives only for years before another yearly list's name
  (``Actor.named_in``: a member renamed between 2024's list and 2025's shows 2025's name, loaded
  in whatever order; :func:`superseded_names`). Every other name becomes an alias.
- **family / kind**: the most frequent, ignoring ``other``/unknown when a more specific value
  exists; ties go to the more specific role (pôle first, see ``FAMILY_PRIORITY``). Disagreements are kept in ``conflicts``.
- **location**: the most precise level stated (commune > EPCI > département > région > pays),
  then the most frequent; disagreeing places are kept in ``conflicts``.
- **identifiers, aliases, labels**: union. **a pôle's perimeter**: :func:`merged_perimeter`
  (the union of the most precise readings, the coarse ones that only enclose a finer one set
  aside), with ``perimeter_read`` saying what it comes from. **declared sizes**: the largest stated
  value, with the others in ``conflicts``. **attributes** (register codes): per key, the most
  frequent value (ties: alphabetical), disagreements in ``conflicts`` as ``attributes.<key>``.
  **placeholder**: only if every statement is one. **personal data**: if any statement says so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from ..geography.names import former_epci_siren
from .model import Actor, ActorView, Identifier, PoleInfo, construct
from .store import territory_rollup
from .vocabulary import vocabulary

LEVEL_PRECISION = {"commune": 5, "epci": 4, "ept": 4, "departement": 3, "region": 2, "pays": 1}

# When statements disagree on the family as often one way as the other, the more specific
# role wins: a pôle that is also its own legal entity is first of all a pôle.
FAMILY_PRIORITY = ("pole", "collectivite", "state", "eu", "research", "training", "network", "support",
                   "tiers_lieu", "ess", "enterprise", "person", "other")


def _most_common(values: Iterable[Any], order: Sequence[Any] | None = None) -> Any:
    present = [v for v in values if v not in (None, "")]
    if not present:
        return None
    first = present[0]
    if all(v == first for v in present):  # one value (the usual case): what Counter would keep
        return first
    counts = Counter(present)
    rank: dict[Any, int] = {}
    for i, v in enumerate(order or ()):
        rank.setdefault(v, i)
    return min(counts, key=lambda v: (-counts[v], rank.get(v, len(rank)), str(v)))


_ARTICLE = re.compile(r"^(?:l['’]\s*|(?:le|la|les)\s+)", re.I)


def _name_rank(name: str, counts: Counter[str], former: frozenset[str] = frozenset(),
               joined: frozenset[str] = frozenset()) -> tuple[Any, ...]:
    """Sort key of a candidate canonical name (the module's rules): ``joined`` (names only
    statements a reviewer merged in give) after the others; then the shortest form wins a tie,
    but a leading article is not what makes a name long: « Le Périscope » beats « Périscope ».

    >>> names = Counter({"Périscope": 2, "Le Périscope": 2})
    >>> min(names, key=lambda n: _name_rank(n, names))
    'Le Périscope'
    >>> names = Counter({"PTCE Lauragais Coopère": 1, "PTCE Lauragis Coopère": 1})
    >>> min(names, key=lambda n: _name_rank(n, names, joined=frozenset({"PTCE Lauragis Coopère"})))
    'PTCE Lauragais Coopère'
    """
    bare = _ARTICLE.sub("", name)
    return (int(name in former), -counts[name], int(name in joined), int(name.isupper()), len(bare), int(bare == name),
            len(name), name)


def superseded_names(actors: Sequence[Actor]) -> frozenset[str]:
    """The names yearly member lists give (``named_in``) only for years before the latest year a
    yearly list gives a name for: a member's former names. A name also given without a year (by
    another kind of source) is not one.

    >>> from maillage.graph.model import Provenance
    >>> def said(name, year=None):
    ...     return Actor.model_construct(key="k", name=name, named_in=year, provenance=Provenance(source="s"))
    >>> sorted(superseded_names([said("Mairie", 2024), said("Ville", 2025), said("Ville", 2023)]))
    ['Mairie']
    >>> sorted(superseded_names([said("Mairie", 2024), said("Ville", 2025), said("Mairie")]))
    []
    """
    dated: dict[str, int] = {}
    undated: set[str] = set()
    for a in actors:
        if a.named_in is None:
            undated.add(a.name)
        else:
            dated[a.name] = max(dated.get(a.name, a.named_in), a.named_in)
    if len(dated) < 2:
        return frozenset()
    last = max(dated.values())
    return frozenset(n for n, year in dated.items() if year < last and n not in undated)


COARSE_LEVELS = frozenset({"departement", "region", "pays"})


def _encloses(outer: Sequence[str], inner: Sequence[str]) -> bool:
    """Every territory of ``inner`` is one of ``outer`` or lies inside one, and the two differ."""
    return set(outer) != set(inner) and all(set(territory_rollup(t)) & set(outer) for t in inner)


def merged_perimeter(poles: Sequence[PoleInfo]) -> tuple[list[str], str | None, str | None]:
    """A pôle's perimeter merged from its statements' ``(ids, how it was obtained, text)``:

    1. **The most precise kind present.** Ids a source states and exact readings of a written
       perimeter come first; approximate readings (an area the geography does not know read as
       the territory the text names around it, geography/perimeters.py) count only when no
       statement has better: « sud-est toulousain » read as the whole Haute-Garonne must not
       widen another source's « Sicoval ». Old statements (``perimeter_read`` None) count as
       precise: what the union gave them before.
    2. **A coarse reading that encloses another is set aside.** A statement whose perimeter is
       only départements or régions and contains another statement's whole perimeter (the
       reference documents list their pôles under their région and département: « Grand Est »,
       « Midi-Pyrénées – Haute-Garonne ») says where the pôle is, not how far it reaches, once
       a finer reading exists: ARDAINES is the Ardennes, not all of Grand Est. This is the rule
       :func:`~maillage.geography.perimeters.read_perimeter` applies inside one text, and the
       location's (the most precise level). A commune and the EPCI around it are both kept
       (the seat and the intercommunality a pôle works in: Le Périscope is Ramonville-Saint-Agne
       and the Sicoval).
    3. **The union of what remains.** Two sources that state different perimeters (neither
       contains the other) are two statements of the pôle's reach, and no rule can tell which is
       right: both are kept, as every other union of this module.

    The second value is how the merged perimeter was obtained: ``approximate`` when it comes
    from approximate readings only (a diagnostic says so), else ``exact`` if a text was read,
    ``stated`` if every kept statement gave ids, None when unknown or empty. The third is the
    most frequent written perimeter of the statements kept (of every statement when none gives
    ids: a text no territory matches is still shown, and criterion K7 quotes it).

    >>> def said(ids, read, text=None):
    ...     return PoleInfo(perimeter=ids, perimeter_read=read, perimeter_text=text)
    >>> merged_perimeter([said(["epci:243100633"], "exact"), said(["commune:31446"], "exact"),
    ...                   said(["departement:31"], "exact", "Midi-Pyrénées – Haute-Garonne")])
    (['commune:31446', 'epci:243100633'], 'exact', None)
    >>> merged_perimeter([said(["departement:31"], "approximate"), said(["departement:84"], "exact")])
    (['departement:84'], 'exact', None)
    >>> merged_perimeter([said(["departement:40"], "approximate"), said(["region:75"], "approximate")])
    (['departement:40'], 'approximate', None)
    >>> merged_perimeter([said(["departement:31"], "stated"), said(["departement:84"], "exact")])
    (['departement:31', 'departement:84'], 'exact', None)
    """
    given = [p for p in poles if p.perimeter]
    kept = [p for p in given if p.perimeter_read != "approximate"] or given
    if len(kept) > 1:
        kept = [p for p in kept if not (all(t.split(":", 1)[0] in COARSE_LEVELS for t in p.perimeter)
                                         and any(_encloses(p.perimeter, q.perimeter) for q in kept if q is not p))]
    ids = sorted({t for p in kept for t in p.perimeter})
    kinds = {p.perimeter_read for p in kept}
    read = ("approximate" if kinds == {"approximate"} else "exact" if "exact" in kinds
            else "stated" if "stated" in kinds else None)
    text = _most_common(p.perimeter_text for p in (kept or poles))
    return ids, read, text


def merge_statements(actor_id: str, statements: Sequence[tuple[str, Actor]],
                     joined: Collection[tuple[str, str]] = ()) -> ActorView:
    """Merge ``(source id, Actor)`` statements into the canonical actor ``actor_id``. ``joined``:
    the ``(source id, key)`` of those a reviewer merged into it (rule ``accepted``)."""
    if len(statements) == 1 and statements[0][1].family != "pole":
        return _merge_one(actor_id, *statements[0])
    return _merge_rules(actor_id, statements, joined)


def merge_resolved(actor_id: str, statements: Sequence[tuple[str, Actor, str]]) -> ActorView:
    """:func:`merge_statements` of ``(source id, Actor statement, rule)``, as a store keeps them
    (:meth:`~maillage.graph.store.Store.resolved_statements`): the statements of rule ``accepted``
    are those a reviewer merged in (``joined``). Every store merges its actors with this, and so
    does a view merged outside the store: they show the same name."""
    return merge_statements(actor_id, [(sid, a) for sid, a, _ in statements],
                            {(sid, a.key) for sid, a, rule in statements if rule == "accepted"})


def _merge_rules(actor_id: str, statements: Sequence[tuple[str, Actor]],
                 joined: Collection[tuple[str, str]] = ()) -> ActorView:
    """The rules of the module docstring, for any number of statements."""
    if not statements:
        raise ValueError(f"actor {actor_id}: nothing to merge")
    actors = [a for _, a in statements]
    conflicts: dict[str, list[Any]] = {}

    def note_conflict(field: str, values: Iterable[Any]) -> None:
        distinct = {v for v in values if v not in (None, "")}
        if len(distinct) > 1:
            conflicts[field] = sorted(distinct, key=str)

    names = Counter(a.name for a in actors)
    if len(names) == 1:
        name = next(iter(names))
    else:
        # names after every current one: a collectivité's former name, a member's former name
        after = frozenset(a.name for a in actors if a.family == "collectivite" and former_epci_siren(a.name)) \
            | superseded_names(actors)
        # names only statements a reviewer merged in give: the actor they joined keeps its name on a tie
        merged_in = (frozenset(names.keys() - {a.name for s, a in statements if (s, a.key) not in joined})
                     if joined else frozenset())
        name = min(names, key=lambda n: _name_rank(n, names, after, merged_in))
    aliases = sorted({n for a in actors for n in [a.name, *a.aliases]} - {name})

    specific = [a.family for a in actors if a.family != "other"]
    family = _most_common(specific or [a.family for a in actors], [*FAMILY_PRIORITY, *vocabulary().families])
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
        perimeter, perimeter_read, perimeter_text = merged_perimeter(poles)
        pole = PoleInfo(
            phase=_most_common(p.phase for p in poles),
            founding_year=min(years) if years else None,
            perimeter=perimeter,
            perimeter_text=perimeter_text,
            perimeter_read=perimeter_read,
            labels=sorted({lab for p in poles for lab in p.labels}),
        )
    for fld in ("territory", "ess", "legal_form"):
        note_conflict(fld, (getattr(a, fld) for a in actors))

    attributes: dict[str, str] = {}
    for key in sorted({k for a in actors for k in a.attributes}):
        vals = [a.attributes[key] for a in actors if key in a.attributes]
        attributes[key] = _most_common(vals)
        note_conflict(f"attributes.{key}", vals)

    group_counts = [a.group_count for a in actors if a.group_count]
    # Every value comes from validated statements, so the view is built without validating it
    # again (that would only re-run the identifier checks); tests/test_merge_fast_path.py checks that
    # validating a merged view changes nothing.
    return construct(ActorView, dict(
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
        attributes=attributes,
        sources=sorted({s for s, _ in statements}),
        conflicts=conflicts,
    ))


def _present(v: Any) -> Any:
    return None if v in (None, "") else v


def _merge_one(actor_id: str, source: str, a: Actor) -> ActorView:
    """``merge_statements`` of a single statement (not a pôle's), without the machinery for
    several: what every actor of a first load goes through. It must give exactly what the
    general rules give for one statement; tests/test_merge_fast_path.py checks that it does."""
    ids: dict[tuple[str, str], Identifier] = {}
    for ident in a.identifiers:
        ids.setdefault((ident.scheme, ident.value), ident)
    conflicts: dict[str, list[Any]] = {}
    for scheme in ("siren", "rna"):  # one statement can still give two SIRENs
        distinct = {v for (s, v) in ids if s == scheme and v not in (None, "")}
        if len(distinct) > 1:
            conflicts[scheme] = sorted(distinct, key=str)
    return construct(ActorView, dict(
        id=actor_id,
        name=a.name,
        aliases=sorted(set(a.aliases) - {a.name}),
        family=a.family,
        kind=_present(a.kind),
        subkind=_present(a.subkind),
        legal_form=_present(a.legal_form),
        identifiers=sorted(ids.values(), key=lambda i: (i.scheme, i.value)),
        location=a.location or None,
        territory=_present(a.territory),
        ess=_present(a.ess),
        placeholder=bool(a.placeholder),
        group_count=a.group_count or None,
        personal_data=bool(a.personal_data or vocabulary().family(a.family).personal_data),
        declared={k: a.declared[k] for k in sorted(a.declared)},
        pole=None,
        attributes={k: _present(a.attributes[k]) for k in sorted(a.attributes)},
        sources=[source],
        conflicts=conflicts,
    ))
