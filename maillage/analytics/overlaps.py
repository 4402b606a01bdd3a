"""Two-mode views of the graph: pôle overlaps, co-funding, governance interlocks.

Each view reads the statements once (:func:`maillage.analytics.lenses.prepare`, same filters
as the lenses: year, certainty, placeholders, persons) and returns plain dataclasses whose
fields have French (default) and English labels (``Class.label(field, lang)``,
``record.row(lang)``, ``result.table(name, lang)``):

- :func:`pole_overlaps`: actors in several pôles, pôle × pôle similarity (shared members,
  Jaccard), bridging actors;
- :func:`cofunding`: funders sharing beneficiaries, beneficiaries sharing funders;
- :func:`governance_interlocks`: organisations sharing a governor (persons counted, never
  named unless ``include_persons=True``).

Definitions are in ``docs/analytics-lenses.md``.

>>> from maillage.graph import open_store
>>> pole_overlaps(open_store(":memory:")).pairs
[]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from maillage.graph.store import Store, Subgraph

from .lenses import LensInput, interlocks, jaccard, prepare


class _Labelled:
    """Field labels in French and English; ``row(lang)`` gives the record under those labels."""

    LABELS: ClassVar[dict[str, dict[str, str]]] = {}

    @classmethod
    def label(cls, name: str, lang: str = "fr") -> str:
        lab = cls.LABELS.get(name)
        return lab.get(lang, lab["fr"]) if lab else name

    def row(self, lang: str = "fr") -> dict[str, Any]:
        out = {}
        for f in fields(self):  # type: ignore[arg-type]
            v = getattr(self, f.name)
            out[self.label(f.name, lang)] = list(v) if isinstance(v, tuple) else v
        return out


def _table(items: list[_Labelled], lang: str) -> list[dict[str, Any]]:
    return [x.row(lang) for x in items]


def _name(inp: LensInput, aid: str) -> str:
    return inp.actors[aid].name


def _amount(values: list[float]) -> float | None:
    return sum(values) if values else None


# ---------------------------------------------------------------------------------------------
# pôles


@dataclass(frozen=True)
class MultiPoleActor(_Labelled):
    """An actor member of several pôles. ``pairs``: pôle pairs it bridges, k(k−1)/2 for k
    pôles; ``sole_pairs``: those of them for which it is the only shared member."""

    actor_id: str
    name: str
    family: str
    poles: tuple[str, ...]
    pole_names: tuple[str, ...]
    pairs: int
    sole_pairs: int

    LABELS: ClassVar[dict[str, dict[str, str]]] = {
        "actor_id": {"fr": "Identifiant", "en": "Id"},
        "name": {"fr": "Acteur", "en": "Actor"},
        "family": {"fr": "Famille", "en": "Family"},
        "poles": {"fr": "Pôles (identifiants)", "en": "Pôles (ids)"},
        "pole_names": {"fr": "Pôles", "en": "Pôles"},
        "pairs": {"fr": "Paires de pôles reliées", "en": "Pôle pairs bridged"},
        "sole_pairs": {"fr": "Paires reliées par lui seul", "en": "Pairs bridged alone"},
    }


@dataclass(frozen=True)
class PolePair(_Labelled):
    """Two pôles with at least one member in common: ``shared`` = |A ∩ B|, ``jaccard`` =
    |A ∩ B| / |A ∪ B| of their member sets."""

    pole_a: str
    pole_b: str
    name_a: str
    name_b: str
    size_a: int
    size_b: int
    shared: int
    jaccard: float
    shared_members: tuple[str, ...]

    LABELS: ClassVar[dict[str, dict[str, str]]] = {
        "pole_a": {"fr": "Pôle A (identifiant)", "en": "Pôle A (id)"},
        "pole_b": {"fr": "Pôle B (identifiant)", "en": "Pôle B (id)"},
        "name_a": {"fr": "Pôle A", "en": "Pôle A"},
        "name_b": {"fr": "Pôle B", "en": "Pôle B"},
        "size_a": {"fr": "Membres de A", "en": "Members of A"},
        "size_b": {"fr": "Membres de B", "en": "Members of B"},
        "shared": {"fr": "Membres communs", "en": "Shared members"},
        "jaccard": {"fr": "Indice de Jaccard", "en": "Jaccard index"},
        "shared_members": {"fr": "Membres communs (identifiants)", "en": "Shared members (ids)"},
    }


@dataclass
class PoleOverlaps:
    """Result of :func:`pole_overlaps`. ``sizes``: members listed per pôle (pôles with at
    least one member)."""

    as_of: int | None
    sizes: dict[str, int]
    multi_pole: list[MultiPoleActor] = field(default_factory=list)
    pairs: list[PolePair] = field(default_factory=list)
    bridging: list[MultiPoleActor] = field(default_factory=list)

    TITLES: ClassVar[dict[str, dict[str, str]]] = {
        "multi_pole": {"fr": "Acteurs membres de plusieurs pôles", "en": "Actors in several pôles"},
        "pairs": {"fr": "Pôles ayant des membres communs", "en": "Pôles sharing members"},
        "bridging": {"fr": "Acteurs passerelles entre pôles", "en": "Actors bridging pôles"},
    }

    def table(self, name: str, lang: str = "fr") -> list[dict[str, Any]]:
        """One of ``multi_pole``, ``pairs``, ``bridging`` as rows with labelled columns."""
        return _table(getattr(self, name), lang)


def pole_overlaps(source: Store | Subgraph, as_of: int | None = None, *,
                  certainty: Iterable[str] | None = None, include_persons: bool = False,
                  placeholders: str = "keep") -> PoleOverlaps:
    """How pôles overlap through their members (the member × pôle two-mode network).

    - ``multi_pole``: actors members of ≥ 2 pôles, with their pôles (by name);
    - ``pairs``: pôle pairs with ≥ 1 shared member: shared count and the Jaccard similarity
      :math:`|A \\cap B| / |A \\cup B|` of the member sets (Jaccard 1901, *Bull. Soc. Vaudoise
      Sci. Nat.* 37, 547–579), by decreasing Jaccard;
    - ``bridging``: the same actors ranked by the number of pôle pairs they bridge,
      :math:`k(k-1)/2` for :math:`k` pôles, then by the pairs they alone bridge (Borgatti,
      S. P., Everett, M. G. (1997). Network analysis of 2-mode data. *Social Networks* 19(3),
      243–269).

    Members are ``membership`` statements into actors of family ``pole`` active in
    ``as_of``; persons only with ``include_persons``.

    >>> from maillage.graph.model import ActorView, Provenance, RelationView
    >>> pr = Provenance(source="s")
    >>> actors = {i: ActorView(id=i, name=i, family="pole" if i in "PQ" else "ess") for i in "PQabc"}
    >>> rels = [RelationView(id=f"{m}{p}", type="membership", source=m, target=p, provenance=pr)
    ...         for m, p in [("a", "P"), ("b", "P"), ("b", "Q"), ("c", "Q")]]
    >>> o = pole_overlaps(Subgraph(actors=actors, relations=rels))
    >>> o.pairs[0].shared, round(o.pairs[0].jaccard, 3), o.bridging[0].name
    (1, 0.333, 'b')
    """
    inp = prepare(source, as_of=as_of, certainty=certainty, include_persons=include_persons,
                  placeholders=placeholders)
    members = inp.members()
    poles_of = inp.poles_of()
    pairs = []
    sole: dict[str, int] = defaultdict(int)
    # pôle pairs and their shared members: the projection that pairs organisations by their
    # common governors pairs pôles by their common members
    for (a, b), shared in sorted(interlocks(poles_of).items()):
        if len(shared) == 1:
            sole[next(iter(shared))] += 1
        pairs.append(PolePair(pole_a=a, pole_b=b, name_a=_name(inp, a), name_b=_name(inp, b),
                              size_a=len(members[a]), size_b=len(members[b]), shared=len(shared),
                              jaccard=jaccard(members[a], members[b]), shared_members=tuple(sorted(shared))))
    pairs.sort(key=lambda p: (-p.jaccard, -p.shared, p.name_a, p.name_b))
    multi = []
    for aid, ps in poles_of.items():
        if len(ps) < 2:
            continue
        a = inp.actors[aid]
        multi.append(MultiPoleActor(actor_id=aid, name=a.name, family=a.family, poles=tuple(ps),
                                    pole_names=tuple(_name(inp, p) for p in ps),
                                    pairs=len(ps) * (len(ps) - 1) // 2, sole_pairs=sole[aid]))
    multi.sort(key=lambda m: (m.name, m.actor_id))
    bridging = sorted(multi, key=lambda m: (-m.pairs, -m.sole_pairs, m.name, m.actor_id))
    return PoleOverlaps(as_of=as_of, sizes={p: len(ms) for p, ms in sorted(members.items())},
                        multi_pole=multi, pairs=pairs, bridging=bridging)


# ---------------------------------------------------------------------------------------------
# co-funding


@dataclass(frozen=True)
class SharedPartners(_Labelled):
    """Two funders sharing beneficiaries (or two beneficiaries sharing funders).

    ``shared``: partners in common; ``jaccard``: of the two partner sets; ``amount_a`` /
    ``amount_b``: known amounts between A (resp. B) and the shared partners (``None`` when no
    amount is known); ``amount``: their sum."""

    a: str
    b: str
    name_a: str
    name_b: str
    partners_a: int
    partners_b: int
    shared: int
    jaccard: float
    amount_a: float | None
    amount_b: float | None
    amount: float | None
    shared_ids: tuple[str, ...]

    LABELS: ClassVar[dict[str, dict[str, str]]] = {
        "a": {"fr": "A (identifiant)", "en": "A (id)"},
        "b": {"fr": "B (identifiant)", "en": "B (id)"},
        "name_a": {"fr": "A", "en": "A"},
        "name_b": {"fr": "B", "en": "B"},
        "partners_a": {"fr": "Partenaires de A", "en": "Partners of A"},
        "partners_b": {"fr": "Partenaires de B", "en": "Partners of B"},
        "shared": {"fr": "Partenaires communs", "en": "Shared partners"},
        "jaccard": {"fr": "Indice de Jaccard", "en": "Jaccard index"},
        "amount_a": {"fr": "Montant connu de A (€)", "en": "Known amount of A (€)"},
        "amount_b": {"fr": "Montant connu de B (€)", "en": "Known amount of B (€)"},
        "amount": {"fr": "Montant connu total (€)", "en": "Total known amount (€)"},
        "shared_ids": {"fr": "Partenaires communs (identifiants)", "en": "Shared partners (ids)"},
    }


@dataclass
class CoFunding:
    """Result of :func:`cofunding`: ``funders`` (funder × funder, partners = beneficiaries)
    and ``beneficiaries`` (beneficiary × beneficiary, partners = funders)."""

    as_of: int | None
    funders: list[SharedPartners] = field(default_factory=list)
    beneficiaries: list[SharedPartners] = field(default_factory=list)

    TITLES: ClassVar[dict[str, dict[str, str]]] = {
        "funders": {"fr": "Cofinanceurs (financeurs ayant des bénéficiaires communs)",
                    "en": "Co-funders (funders sharing beneficiaries)"},
        "beneficiaries": {"fr": "Bénéficiaires ayant des financeurs communs",
                          "en": "Beneficiaries sharing funders"},
    }

    def table(self, name: str, lang: str = "fr") -> list[dict[str, Any]]:
        """``funders`` or ``beneficiaries`` as rows with labelled columns."""
        return _table(getattr(self, name), lang)


def _shared_partners(inp: LensInput, side: dict[str, set[str]],
                     amounts: dict[tuple[str, str], list[float]], flip: bool) -> list[SharedPartners]:
    by_partner: dict[str, set[str]] = defaultdict(set)
    for x, partners in side.items():
        for p in partners:
            by_partner[p].add(x)
    # pairs of ``side`` and their common partners, as interlocks pair organisations by governor
    shared = interlocks(by_partner)

    def known(x: str, common: set[str]) -> float | None:
        vals = [v for p in common for v in amounts.get((p, x) if flip else (x, p), [])]
        return _amount(vals)

    out = []
    for (a, b), common in shared.items():
        am_a, am_b = known(a, common), known(b, common)
        total = None if am_a is None and am_b is None else (am_a or 0.0) + (am_b or 0.0)
        out.append(SharedPartners(a=a, b=b, name_a=_name(inp, a), name_b=_name(inp, b),
                                  partners_a=len(side[a]), partners_b=len(side[b]), shared=len(common),
                                  jaccard=jaccard(side[a], side[b]), amount_a=am_a, amount_b=am_b,
                                  amount=total, shared_ids=tuple(sorted(common))))
    out.sort(key=lambda s: (-s.shared, -s.jaccard, s.name_a, s.name_b))
    return out


def cofunding(source: Store | Subgraph, as_of: int | None = None, *,
              certainty: Iterable[str] | None = None, include_persons: bool = False,
              placeholders: str = "keep", sides: Iterable[str] = ("funders", "beneficiaries")) -> CoFunding:
    """Co-funding: the funder × beneficiary two-mode network of ``funds`` statements
    projected on each side.

    Two funders are paired when they fund at least one common beneficiary (``shared``), with
    the Jaccard similarity of their beneficiary sets and the known amounts each gave to the
    shared beneficiaries; two beneficiaries are paired when they share a funder, likewise
    (Borgatti, S. P., Everett, M. G. (1997). Network analysis of 2-mode data. *Social
    Networks* 19(3), 243–269). Applications (``applies_to``) are not funding and are left
    out. Pairs by decreasing shared count. ``sides``: the projections to compute, ``funders``
    and/or ``beneficiaries``; a side left out is an empty list. The beneficiaries' side has a
    pair for every two beneficiaries of one funder: a city's 3,000 grantees are 4.5 million
    pairs, which a report that shows the funders' pairs alone does not compute.

    >>> from maillage.graph.model import ActorView, Provenance, RelationView
    >>> pr = Provenance(source="s")
    >>> actors = {i: ActorView(id=i, name=i, family="collectivite" if i in "FG" else "ess") for i in "FGab"}
    >>> rels = [RelationView(id=f"{f}{b}", type="funds", source=f, target=b, provenance=pr,
    ...                      fields={"amount": 100.0}) for f, b in [("F", "a"), ("G", "a"), ("G", "b")]]
    >>> c = cofunding(Subgraph(actors=actors, relations=rels)).funders[0]
    >>> (c.name_a, c.name_b, c.shared, c.jaccard, c.amount)
    ('F', 'G', 1, 0.5, 200.0)
    >>> only = cofunding(Subgraph(actors=actors, relations=rels), sides=["funders"])
    >>> len(only.funders), only.beneficiaries
    (1, [])
    """
    sides = set(sides)
    if not sides <= {"funders", "beneficiaries"}:
        raise ValueError(f"cofunding: sides are funders and beneficiaries, not {sorted(sides - {'funders', 'beneficiaries'})}")
    inp = prepare(source, as_of=as_of, certainty=certainty, include_persons=include_persons,
                  placeholders=placeholders)
    beneficiaries: dict[str, set[str]] = defaultdict(set)
    funders: dict[str, set[str]] = defaultdict(set)
    amounts: dict[tuple[str, str], list[float]] = defaultdict(list)
    for r in inp.relations:
        if r.type != "funds" or r.source not in inp.nodes or r.target not in inp.nodes:
            continue
        beneficiaries[r.source].add(r.target)
        funders[r.target].add(r.source)
        if r.fields.get("amount") is not None:
            amounts[(r.source, r.target)].append(float(r.fields["amount"]))
    return CoFunding(as_of=as_of,
                     funders=_shared_partners(inp, beneficiaries, amounts, flip=False) if "funders" in sides else [],
                     beneficiaries=_shared_partners(inp, funders, amounts, flip=True)
                     if "beneficiaries" in sides else [])


# ---------------------------------------------------------------------------------------------
# governance interlocks


@dataclass(frozen=True)
class Interlock(_Labelled):
    """Two organisations with a common governor. ``governors``: how many; ``persons``: how
    many of them are natural persons (named in ``person_ids`` only with
    ``include_persons``); ``organisations``: governors that are organisations (ids)."""

    a: str
    b: str
    name_a: str
    name_b: str
    governors: int
    persons: int
    organisations: tuple[str, ...]
    organisation_names: tuple[str, ...]
    person_ids: tuple[str, ...]

    LABELS: ClassVar[dict[str, dict[str, str]]] = {
        "a": {"fr": "Organisation A (identifiant)", "en": "Organisation A (id)"},
        "b": {"fr": "Organisation B (identifiant)", "en": "Organisation B (id)"},
        "name_a": {"fr": "Organisation A", "en": "Organisation A"},
        "name_b": {"fr": "Organisation B", "en": "Organisation B"},
        "governors": {"fr": "Gouvernants communs", "en": "Common governors"},
        "persons": {"fr": "dont personnes physiques", "en": "of which natural persons"},
        "organisations": {"fr": "Organisations gouvernantes (identifiants)", "en": "Governing organisations (ids)"},
        "organisation_names": {"fr": "Organisations gouvernantes", "en": "Governing organisations"},
        "person_ids": {"fr": "Personnes (identifiants)", "en": "Persons (ids)"},
    }


@dataclass
class GovernanceInterlocks:
    """Result of :func:`governance_interlocks`: the pairs, and per organisation the number of
    organisations it is interlocked with (``partners``)."""

    as_of: int | None
    pairs: list[Interlock] = field(default_factory=list)
    partners: dict[str, int] = field(default_factory=dict)

    TITLES: ClassVar[dict[str, dict[str, str]]] = {
        "pairs": {"fr": "Organisations partageant un gouvernant", "en": "Organisations sharing a governor"},
    }

    def table(self, name: str = "pairs", lang: str = "fr") -> list[dict[str, Any]]:
        """``pairs`` as rows with labelled columns."""
        return _table(getattr(self, name), lang)


def governance_interlocks(source: Store | Subgraph, as_of: int | None = None, *,
                          certainty: Iterable[str] | None = None, include_persons: bool = False,
                          placeholders: str = "keep") -> GovernanceInterlocks:
    """Governance interlocks: organisations governed or represented (``governs``,
    ``represents``) by a common actor, person or organisation (Mizruchi, M. S. (1996). What
    do interlocks do? *Annual Review of Sociology* 22, 271–298). Persons are needed to find
    the interlock and are counted, never named nor returned as organisations unless
    ``include_persons=True``. Pairs by decreasing number of common governors.

    >>> from maillage.graph.model import ActorView, Provenance, RelationView
    >>> pr = Provenance(source="s")
    >>> actors = {"p": ActorView(id="p", name="Jeanne", family="person", personal_data=True),
    ...           "a": ActorView(id="a", name="A", family="ess"), "b": ActorView(id="b", name="B", family="pole")}
    >>> rels = [RelationView(id=t, type="represents", source="p", target=t, provenance=pr) for t in "ab"]
    >>> i = governance_interlocks(Subgraph(actors=actors, relations=rels)).pairs[0]
    >>> (i.name_a, i.name_b, i.governors, i.persons, i.person_ids)
    ('A', 'B', 1, 1, ())
    """
    inp = prepare(source, as_of=as_of, certainty=certainty, include_persons=include_persons,
                  placeholders=placeholders)
    out = []
    partners: dict[str, int] = defaultdict(int)
    # persons are never interlocked organisations (governed()), even with include_persons; a
    # governor counts when it held both seats in a same year, as in the lenses
    for (a, b), govs in inp.interlocks().items():
        people = sorted(g for g in govs if inp.actors[g].personal_data)
        orgs = sorted(g for g in govs if not inp.actors[g].personal_data)
        out.append(Interlock(a=a, b=b, name_a=_name(inp, a), name_b=_name(inp, b), governors=len(govs),
                             persons=len(people), organisations=tuple(orgs),
                             organisation_names=tuple(_name(inp, g) for g in orgs),
                             person_ids=tuple(people) if include_persons else ()))
        partners[a] += 1
        partners[b] += 1
    out.sort(key=lambda x: (-x.governors, x.name_a, x.name_b))
    return GovernanceInterlocks(as_of=as_of, pairs=out, partners=dict(sorted(partners.items())))


__all__ = ["pole_overlaps", "PoleOverlaps", "PolePair", "MultiPoleActor", "cofunding", "CoFunding",
           "SharedPartners", "governance_interlocks", "GovernanceInterlocks", "Interlock"]
