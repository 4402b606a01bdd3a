"""Evolution of the cooperation graph over the years: size, density, components, isolated
actors, pôle members' entries and exits, tie persistence and actors' metric trends.

The graph **as of year Y** holds the ties (:func:`maillage.analytics.lenses.tie_rule`: no
planned statement, no refused application unless asked for) active in Y
(:func:`maillage.analytics.territory.active`: start ≤ Y ≤ end, open ends allowed; a ``year``
field dates a relation that has no start or end; a year's list of a pôle's members wins over a
date d'adhésion for the years the pôle's lists cover, :meth:`~maillage.analytics.territory.Facts.active`) and the actors **observed** in Y (a tie
of any type active in Y, or no tie in any year). The scope is the whole store, a pôle (the
pôle and the actors tied to it in the cooperation lens that year) or a territory (the
actors located there, :mod:`maillage.analytics.territory`).

**Undated facts.** Most sources state a tie without a date. Such a relation is treated as
present in *every* year of the range (it is known to exist, not when), flagged and counted
apart: each year gives ``ties_dated`` and ``ties_undated`` (a pair is undated when at least
one undated statement supports it), and tie persistence is given both over all ties and
over dated ties only (``jaccard_dated``, ``retained_dated``), since undated ties persist by
construction and would make every pair of years look alike. Actors are undated: an actor
enters the graph the first year one of its ties is active. Pôle founding years are not used
to hide a pôle before its founding (its ties may be undated).

References: Jaccard, P. (1912). The distribution of the flora in the alpine zone. *New
Phytologist* 11(2), 37–50 (similarity of tie sets); Holme, P., Saramäki, J. (2012). Temporal
networks. *Physics Reports* 519(3), 97–125 (snapshots of a temporal network); the metrics
are those of :mod:`maillage.analytics.metrics` (Freeman 1977, 1979; Brandes 2001).

>>> from maillage.graph import open_store
>>> years(open_store(":memory:"))
[]
>>> evolution(open_store(":memory:")).per_year.size
0
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import networkx as nx
from pydantic import BaseModel, Field

from maillage.graph.names import alpha_key
from maillage.graph.projection import lens_types
from maillage.graph.store import NotFound, Store, StoreError, Subgraph
from maillage.graph.vocabulary import vocabulary

from .lenses import TieRule, tie_rule
from .metrics import degree as degree_metric
from .metrics import betweenness_over_tied
from .territory import (ISOLATED_CODES, POLE_TIE_TYPES, Facts, Listing, Ref, TerritoryMaterial, TieIndex,
                        actor_entry, fact_years, is_dated, list_years, listing, status_of)


# ---------------------------------------------------------------------------------------------
# result models

class YearStats(BaseModel):
    """The scope's graph as of one year (cooperation lens by default)."""

    year: int
    actors: int = Field(description="Actors observed that year")
    ties: int = Field(description="Tied pairs in the lens: relations stated between two observed actors (the "
                                  "lens's direct layer, a membership of a pôle included; no shared-pôle or "
                                  "common-governor tie)")
    ties_dated: int
    ties_undated: int
    density: float = Field(description="Density of `ties` among the observed actors, 2m / n(n−1): « densité des "
                                       "liens directs entre acteurs observés » — not the density of an analysis "
                                       "run's graph (its `density` parameter, every layer)")
    components: int
    isolated: int = Field(description="Isolated actors: observed, without a cooperation tie in the lens (the "
                                      "territory diagnostic's `isolated`)")
    single_tie: int = Field(description="Peripheral actors with a single partner in the lens")
    documentation_gaps: int = Field(description="Thinly documented actors without a tie or with a single partner, "
                                                "counted apart (neither isolated nor single-tie)")
    in_pole: int = Field(0, description="Actors (pôles aside) member or structure porteuse of a pôle that year, "
                                        "wherever the pôle is located")
    direct_ties: int = Field(0, description="Tied pairs in the lens by a tie other than the membership or carrying "
                                            "of a pôle (`ties` counts those too)")
    direct_ties_dated: int = Field(0, description="Of `direct_ties`, the pairs no undated statement supports")


class Turnover(BaseModel):
    year: int
    members: int
    entries: Listing[Ref]
    exits: Listing[Ref]


class PoleTurnover(BaseModel):
    """Members (``membership`` ties) of a pôle year by year."""

    pole: Ref
    members_dated: int = Field(description="Members whose membership is dated")
    members_undated: int = Field(description="Members whose membership is undated: present every year")
    years: list[Turnover]


class Persistence(BaseModel):
    """How much of year Y's tie set is still there in Y+1."""

    from_year: int
    to_year: int
    ties_from: int
    ties_to: int
    kept: int
    jaccard: float | None = Field(description="|T_Y ∩ T_Y+1| / |T_Y ∪ T_Y+1|")
    retained: float | None = Field(description="|T_Y ∩ T_Y+1| / |T_Y|")
    jaccard_dated: float | None = Field(description="The same over dated ties only")
    retained_dated: float | None


class TrendPoint(BaseModel):
    year: int
    degree: float | None = None
    betweenness: float | None = None


class ActorTrend(BaseModel):
    actor: Ref
    points: list[TrendPoint]


class Evolution(BaseModel):
    """What :func:`evolution` returns."""

    scope: str = Field(description="all | pole | territory")
    scope_id: str | None = None
    scope_name: str | None = None
    lens: str
    years: list[int]
    relations: int = Field(description="Relation statements in the scope (every type)")
    relations_dated: int
    relations_undated: int
    per_year: Listing[YearStats]
    poles: Listing[PoleTurnover]
    persistence: Listing[Persistence]
    trends: Listing[ActorTrend]
    notes: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# years

def years(store: Store) -> list[int]:
    """Every year from the first to the last year a relation is dated (start, end or a
    ``year`` field, :func:`~maillage.analytics.territory.fact_years`); ``[]`` when no fact
    is dated. Relations with a natural person are not read.

    >>> from maillage.graph import open_store
    >>> years(open_store(":memory:"))
    []
    """
    return _span(Facts.from_subgraph(store.projection()))


def _span(facts: Facts) -> list[int]:
    found = {y for r in facts.relations for y in fact_years(r) if y is not None}
    return list(range(min(found), max(found) + 1)) if found else []


# ---------------------------------------------------------------------------------------------
# scopes

def _scope(store: Store, pole: str | None, territory: str | None,
           lens: str, rule: TieRule) -> tuple[str, str | None, str | None, Facts, set[str]]:
    if pole is not None and territory is not None:
        raise ValueError("give a pôle or a territory, not both")
    if territory is not None:
        m = TerritoryMaterial.read(store, territory, rule=rule)
        return "territory", territory, m.name, m.facts, set(m.inside)
    if pole is not None:
        p = store.get_actor(pole)
        if p is None:
            raise NotFound(f"no actor {pole!r}")
        if p.family != "pole":
            raise StoreError(f"{pole!r} is a {p.family}, not a pôle")
        around = store.neighbourhood(pole, depth=1, types=lens_types(lens))
        ids = set(around.actors)
        rels = store.relations(touching=ids)
        ends = {e for r in rels for e in (r.source, r.target)}
        actors = {k: a for k, a in store.get_actors(ends | ids).items() if not a.personal_data}
        facts = Facts.from_subgraph(Subgraph(actors=actors, relations=rels), rule=rule,
                                    lists=list_years(store.sources()))
        return "pole", pole, p.name, facts, ids & set(actors)
    facts = Facts.from_subgraph(store.projection(), rule=rule, lists=list_years(store.sources()))
    return "all", None, None, facts, set(facts.actors)


def _pairs(idx: TieIndex, scope: set[str], lens_set: set[str]) -> tuple[set[tuple[str, str]], ...]:
    """Tied pairs among the scope in the lens as of the index's year and the undated ones; then,
    in the same pass, the same two sets of *direct* ties: not counting a ``membership`` or
    ``carries`` tie to a pôle (a member and its pôle are tied through the pôle, not directly to
    another actor)."""
    pairs, undated, direct, direct_undated = set(), set(), set(), set()
    actors = idx.facts.actors
    for r in idx.relations:
        if r.type not in lens_set or r.source not in scope or r.target not in scope:
            continue
        pair = (r.source, r.target) if r.source < r.target else (r.target, r.source)
        dated = is_dated(r)
        pairs.add(pair)
        if not dated:
            undated.add(pair)
        if not (r.type in POLE_TIE_TYPES and actors[r.target].family == "pole"):
            direct.add(pair)
            if not dated:
                direct_undated.add(pair)
    return pairs, undated, direct, direct_undated


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def evolution(store: Store, years: Sequence[int] | None = None, pole: str | None = None,
              territory: str | None = None, actors: Iterable[str] = (), lens: str = "cooperation",
              betweenness_k: int | None = None, seed: int = 0, lang: str = "fr",
              certainty: Iterable[str] | None = None, refused: bool = False) -> Evolution:
    """The scope's graph as of each year of ``years`` (default: :func:`years` of the scope's
    relations), read from the store once.

    - ``per_year``: observed actors, tied pairs in the lens (relations stated between two of
      them, no shared-pôle or common-governor tie; ``ties_dated`` / ``ties_undated``), the
      density :math:`2m / n(n-1)` of those direct ties among the observed actors (« densité des
      liens directs entre acteurs observés », not an analysis run's graph density), connected
      components, isolated actors
      (no tie in the lens: reasons ``aucun_lien``, ``seulement_financement``,
      ``hors_lentille`` of :mod:`~maillage.analytics.territory`) and peripheral actors with a
      single partner (``lien_unique``), both evaluated on the whole store's graph and
      classified by :func:`~maillage.analytics.territory.status_of` (collectivités and
      public bodies left out, thinly documented actors counted apart); ``in_pole``: actors
      member or structure porteuse of a pôle that year (wherever the pôle); ``direct_ties``
      (``direct_ties_dated``): the tied pairs not counting a membership of a pôle;
    - ``poles``: for each pôle of the scope (the pôle; the pôles located in the territory;
      every pôle), members per year and their **entries** (members in Y, not in Y−1) and
      **exits** (members in Y−1, not in Y), from ``membership`` start and end;
    - ``persistence``: for consecutive years, Jaccard similarity of the tie sets (Jaccard
      1912) and the share of Y's ties still present in Y+1, over all ties and over dated
      ties only;
    - ``trends``: degree and betweenness (:mod:`maillage.analytics.metrics`; Freeman 1977,
      1979) of each actor of ``actors`` per year, ``None`` the years it is not observed;
      betweenness is normalised over the actors with a tie in the lens that year, 0 for an
      observed actor without one, as ``analyse`` normalises it
      (:func:`~maillage.analytics.metrics.actor_metrics` with ``tied_only``).

    Undated facts: present every year, counted apart (module docstring). Natural persons
    are left out. Ties are those of :func:`~maillage.analytics.lenses.tie_rule` (``certainty``,
    ``refused``: by default no planned statement, no refused application).

    >>> from maillage.graph import open_store
    >>> evolution(open_store(":memory:"), years=[2014, 2015]).per_year.size
    2
    """
    kind, scope_id, scope_name, facts, scope = _scope(store, pole, territory, lens, tie_rule(certainty, refused))
    span = list(years) if years is not None else _span(facts)
    lens_set = set(lens_types(lens))
    focus = [a for a in actors]
    for a in focus:
        if a not in facts.actors:
            raise NotFound(f"no actor {a!r} in the scope (natural persons are never analysed)")
    if kind == "pole":
        poles = [scope_id]
    elif kind == "territory":
        poles = sorted(a for a in scope if facts.actors[a].family == "pole")
    else:
        poles = sorted(a for a, v in facts.actors.items() if v.family == "pole")
    voc = vocabulary()

    def ref(aid: str) -> Ref:
        a = facts.actors[aid]
        return Ref(id=aid, name=a.name, family=a.family, family_label=voc.family(a.family).label(lang))

    member_index: list[tuple[TieIndex, dict[str, set[str]]]] = []  # the last two year indexes asked for

    def members(idx: TieIndex, pid: str) -> set[str]:
        # one pass over a year's relations for every pôle (not one pass per pôle: 2,000 pôles
        # × 1M relations × years at nation scale)
        for held, by_pole in member_index:
            if held is idx:
                return by_pole.get(pid, set())
        by_pole = defaultdict(set)
        for r in idx.relations:
            if r.type == "membership":
                by_pole[r.target].add(r.source)
        member_index[:] = [*member_index[-1:], (idx, by_pole)]  # this year's and the previous one's
        return by_pole.get(pid, set())

    per_year: list[YearStats] = []
    tie_sets: list[tuple[set, set]] = []
    trends: dict[str, list[TrendPoint]] = {a: [] for a in focus}
    turnover: dict[str, list[Turnover]] = {p: [] for p in poles}
    previous = None
    for i, year in enumerate(span):
        idx = facts.index(year, lens)
        if i == 0 or span[i - 1] != year - 1:
            previous = facts.index(year - 1, lens)
        if kind == "pole":  # the pôle and the actors tied to it that year
            nodes = sorted({scope_id} | (idx.partners.get(scope_id, set()) & scope))
        else:
            nodes = [a for a in sorted(scope) if idx.observed(a)]
        pairs, undated, direct, direct_undated = _pairs(idx, set(nodes), lens_set)
        G = nx.Graph()
        G.add_nodes_from(nodes)
        G.add_edges_from(pairs)
        isolated = single = gaps = in_pole = 0
        for a in nodes:  # counted as the territory diagnostic lists them (status_of)
            e = actor_entry(idx, a, lang)
            in_pole += e.in_pole is True
            status = status_of(e)
            if status == "isolated":
                isolated += 1
            elif status == "peripheral" and "lien_unique" in e.codes:
                single += 1
            elif status == "documentation_gaps" and ({"lien_unique", *ISOLATED_CODES} & set(e.codes)):
                gaps += 1
        per_year.append(YearStats(
            year=year, actors=len(nodes), ties=len(pairs), ties_dated=len(pairs - undated),
            ties_undated=len(undated), density=nx.density(G) if len(nodes) > 1 else 0.0,
            components=nx.number_connected_components(G), isolated=isolated, single_tie=single,
            documentation_gaps=gaps, in_pole=in_pole, direct_ties=len(direct),
            direct_ties_dated=len(direct - direct_undated)))
        tie_sets.append((pairs, undated))
        if focus:
            deg = degree_metric(G)
            btw = betweenness_over_tied(G, k=betweenness_k, seed=seed)
            for a in focus:
                trends[a].append(TrendPoint(year=year, degree=deg.get(a), betweenness=btw.get(a)))
        for p in poles:
            now, before = members(idx, p), members(previous, p)
            key = lambda aid: (*alpha_key(facts.actors[aid].name), aid)  # noqa: E731
            turnover[p].append(Turnover(
                year=year, members=len(now),
                entries=listing(ref(a) for a in sorted(now - before, key=key)),
                exits=listing(ref(a) for a in sorted(before - now, key=key))))
        previous = idx
    persistence = []
    for (y0, (t0, u0)), (y1, (t1, u1)) in zip(zip(span, tie_sets), zip(span[1:], tie_sets[1:])):
        if y1 != y0 + 1:
            continue
        kept = len(t0 & t1)
        d0, d1 = t0 - u0, t1 - u1
        persistence.append(Persistence(
            from_year=y0, to_year=y1, ties_from=len(t0), ties_to=len(t1), kept=kept,
            jaccard=_ratio(kept, len(t0 | t1)), retained=_ratio(kept, len(t0)),
            jaccard_dated=_ratio(len(d0 & d1), len(d0 | d1)), retained_dated=_ratio(len(d0 & d1), len(d0))))
    pole_rows = []
    memberships: dict[str, list] = defaultdict(list)
    for r in facts.relations:
        if r.type == "membership":
            memberships[r.target].append(r)
    for p in poles:
        ms = memberships.get(p, [])
        dated = {r.source for r in ms if is_dated(r)}
        undated = {r.source for r in ms if not is_dated(r)}
        if not ms:
            continue
        pole_rows.append(PoleTurnover(pole=ref(p), members_dated=len(dated - undated),
                                      members_undated=len(undated), years=turnover[p]))
    in_scope = [r for r in facts.relations if r.source in scope or r.target in scope]
    n_dated = sum(is_dated(r) for r in in_scope)
    notes = []
    if in_scope and n_dated < len(in_scope):
        share = 1 - n_dated / len(in_scope)
        notes.append(f"{len(in_scope) - n_dated} relations sur {len(in_scope)}, de tous types ({share:.0%}), ne sont "
                     "pas datées : elles sont comptées chaque année, et à part des liens datés"
                     if lang != "en" else
                     f"{len(in_scope) - n_dated} of {len(in_scope)} relations of every type ({share:.0%}) are undated: "
                     "counted every year, and apart from the dated tied pairs (ties_undated)")
    if not span:
        notes.append("Aucun fait daté : pas d'évolution à montrer" if lang != "en" else
                     "No dated fact: no evolution to show")
    return Evolution(
        scope=kind, scope_id=scope_id, scope_name=scope_name, lens=lens, years=span, relations=len(in_scope),
        relations_dated=n_dated, relations_undated=len(in_scope) - n_dated, per_year=listing(per_year),
        poles=listing(pole_rows), persistence=listing(persistence),
        trends=listing(ActorTrend(actor=ref(a), points=trends[a]) for a in focus), notes=notes)


__all__ = ["years", "evolution", "Evolution", "YearStats", "PoleTurnover", "Turnover", "Persistence",
           "ActorTrend", "TrendPoint"]
