"""Analysis projections ("lenses") of the stored graph to networkx, with two-mode layers.

A **lens** names what an analysis looks at (the vocabulary's ``lenses``: ``cooperation``,
``funding``, ``governance``, ``all``). :func:`lens_graph` builds one undirected weighted
graph per lens, one edge per tied pair of actors, from up to three **layers**:

- ``direct``: the relation statements of the lens's types (read from the vocabulary);
- ``co_membership``: two members of the same pôle are tied — the one-mode projection of the
  member × pôle two-mode network, weighted as Newman's collaboration networks (each shared
  pôle *p* adds :math:`1/(n_p - 1)`, :math:`n_p` = members of *p*);
- ``shared_governance``: two organisations governed or represented by the same actor (a
  person or an organisation, through ``governs``/``represents``) are tied — a board
  interlock. The common governor is used to find the tie; a person never becomes a node
  unless ``include_persons=True``.

**What counts as a tie** is one rule (:class:`TieRule`, :func:`tie_rule`), the same for every
analysis — lens graphs, metrics, brokerage, isolation, evolution, territory diagnostics, pôle
figures: a statement only planned or announced (certainty ``planned``, « prévu », or a grant
whose ``status`` is ``prevu``) is no tie, nor is a refused funding application (``status``
``refuse``); a caller asks for them explicitly (``certainty``, ``refused``).

Both two-mode layers tie two actors only when they were there **in a same year**
(:func:`together`): without ``as_of``, a member gone before another came, or a governor's
seat that ended before its other one began, ties nobody — the graph of all years is the union
of the years' graphs.

:func:`lens_digraph` is the directed counterpart (funder → beneficiary, governor →
governed…). Both filter by year (``as_of``), territory, pôle and certainty, and handle
unnamed placeholders (``placeholders="keep"|"drop"``). Definitions, weights and the choices
made are in ``docs/analytics-lenses.md``.

>>> from maillage.graph.model import ActorView, Provenance, RelationView
>>> from maillage.graph.store import Subgraph
>>> p = Provenance(source="doc")
>>> sub = Subgraph(
...     actors={i: ActorView(id=i, name=i.upper(), family=f) for i, f in
...             [("p", "pole"), ("a", "ess"), ("b", "ess"), ("c", "enterprise")]},
...     relations=[RelationView(id=f"r{m}", type="membership", source=m, target="p", provenance=p)
...                for m in "abc"])
>>> G = lens_graph(sub)
>>> G["a"]["b"]["co_membership"], G["a"]["b"]["layers"], G["a"]["p"]["layers"]
(0.5, ['co_membership'], ['direct'])
>>> G.nodes["a"]["poles"]
['p']
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx

from maillage.graph.model import ActorView, RelationView, year_of
from maillage.graph.names import fold
from maillage.graph.store import NotFound, Store, StoreError, Subgraph, territory_rollup
from maillage.graph.vocabulary import (LENS_WORDS_FR, VocabularyError, certainty_code, lens_code, lens_word,
                                       vocabulary)
from maillage.writing import counted


#: The layers a lens edge can come from, in display order.
LAYERS = ("direct", "co_membership", "shared_governance")

#: What each layer is called in what users read (exports, pages).
LAYER_LABELS = {"direct": {"fr": "lien direct", "en": "direct tie"},
                "co_membership": {"fr": "pôle partagé", "en": "shared pôle"},
                "shared_governance": {"fr": "gouvernant commun", "en": "common governor"}}

#: Family of the actors whose members are projected into co-membership ties.
GROUP_FAMILY = "pole"

#: Relation types through which a common governor ties two organisations (an interlock).
INTERLOCK_TYPES = ("governs", "represents")

#: Relation types of the funding side (amounts, years).
FUNDING_TYPES = ("funds", "applies_to")

#: Types drawn against their stated direction in :func:`lens_digraph`, so that every funding
#: edge points from the funder to the beneficiary (an application is stated applicant →
#: body asked).
REVERSED_IN_DIGRAPH = ("applies_to",)

PLACEHOLDER_MODES = ("keep", "drop")

_LAYERS_OF = {
    "cooperation": LAYERS,
    "funding": ("direct",),
    "governance": ("direct", "shared_governance"),
    "all": LAYERS,
}

_LENS_TEXT: dict[str, dict[str, dict[str, str]]] = {
    "cooperation": {
        "label": {"fr": "Coopération", "en": "Cooperation"},
        "weight": {"fr": "liens directs (types × sources distincts) + poids de Newman des pôles partagés "
                         "+ nombre de gouvernants communs",
                   "en": "direct ties (distinct types × sources) + Newman weight of shared pôles "
                         "+ number of common governors"},
    },
    "funding": {
        "label": {"fr": "Financement", "en": "Funding"},
        "weight": {"fr": "nombre de déclarations de financement (subventions, demandes)",
                   "en": "number of funding statements (grants, applications)"},
    },
    "governance": {
        "label": {"fr": "Gouvernance", "en": "Governance"},
        "weight": {"fr": "liens directs (types × sources distincts) + nombre de gouvernants communs",
                   "en": "direct ties (distinct types × sources) + number of common governors"},
    },
    "all": {
        "label": {"fr": "Tous les liens", "en": "All ties"},
        "weight": {"fr": "liens directs (types × sources distincts) + poids de Newman des pôles partagés "
                         "+ nombre de gouvernants communs",
                   "en": "direct ties (distinct types × sources) + Newman weight of shared pôles "
                         "+ number of common governors"},
    },
}


@dataclass(frozen=True)
class Lens:
    """A named analysis projection: the layers it builds and how its edges are weighted.
    Its relation types are read from the vocabulary (:meth:`types`)."""

    name: str
    labels: dict[str, str]
    layers: tuple[str, ...]
    weight_doc: dict[str, str]

    def types(self) -> list[str]:
        """The relation types of the lens (vocabulary ``lenses``)."""
        return vocabulary().types_in_lens(self.name)

    def label(self, lang: str = "fr") -> str:
        return self.labels.get(lang, self.labels["fr"])


def _lenses() -> dict[str, Lens]:
    out = {}
    for name in vocabulary().lenses():
        text = _LENS_TEXT.get(name, {})
        out[name] = Lens(name=name, labels=text.get("label", {"fr": name, "en": name}),
                         layers=_LAYERS_OF.get(name, ("direct",)),
                         weight_doc=text.get("weight", {"fr": "liens directs (types × sources distincts)",
                                                        "en": "direct ties (distinct types × sources)"}))
    return out


#: Every lens of the vocabulary, by name.
LENSES: dict[str, Lens] = _lenses()


def get_lens(name: str) -> Lens:
    """The lens called ``name`` (raises :class:`VocabularyError`, a ``ValueError``, otherwise).

    >>> get_lens("funding").layers
    ('direct',)
    """
    try:
        return LENSES[name]
    except KeyError:
        raise VocabularyError(f"unknown lens {name!r}; expected one of {sorted(LENSES)}") from None


def is_placeholder(actor: ActorView) -> bool:
    """An actor mentioned by type only (``placeholder``) or as a group of N (``group_count``).

    >>> is_placeholder(ActorView(id="x", name="4 communes", family="collectivite", group_count=4))
    True
    """
    return bool(actor.placeholder or actor.group_count is not None)


# ---------------------------------------------------------------------------------------------
# the shared input: statements filtered once


#: A statement's years, (start, end), ``None`` for an open end.
Period = tuple[int | None, int | None]


@dataclass
class LensInput:
    """The statements a lens is built from, filtered by year, the tie rule (:class:`TieRule`:
    ``certainty``, ``refused``) and placeholders.

    ``actors`` keeps natural persons (they are needed to find interlocks); ``nodes`` are the
    actors allowed to appear in results (no person unless ``include_persons``).
    """

    actors: dict[str, ActorView]
    relations: list[RelationView]
    nodes: set[str]
    as_of: int | None = None
    certainty: tuple[str, ...] | None = None
    include_persons: bool = False
    placeholders: str = "keep"
    refused: bool = False
    #: The statements of the year the tie rule left out (:class:`TieRule`): planned, refused…
    left_out: list[RelationView] = field(default_factory=list)
    _members: dict[str, set[str]] | None = field(default=None, repr=False)
    _porteurs: dict[str, set[str]] | None = field(default=None, repr=False)
    _periods: dict[tuple[str, ...], dict[tuple[str, str], list[Period]]] = field(default_factory=dict, repr=False)

    def members(self) -> dict[str, set[str]]:
        """``{pôle id: member ids}``: ``membership`` statements into an actor of family
        :data:`GROUP_FAMILY`, from an actor that may be a node."""
        if self._members is None:
            out: dict[str, set[str]] = defaultdict(set)
            for r in self.relations:
                if (r.type == "membership" and r.source in self.nodes
                        and self.actors[r.target].family == GROUP_FAMILY):
                    out[r.target].add(r.source)
            self._members = dict(out)
        return self._members

    def poles_of(self) -> dict[str, list[str]]:
        """``{actor id: sorted pôle ids it is a member of}``."""
        out: dict[str, list[str]] = defaultdict(list)
        for p, ms in sorted(self.members().items()):
            for m in ms:
                out[m].append(p)
        return dict(out)

    def governed(self) -> dict[str, set[str]]:
        """``{governor id: ids of the organisations (node actors, never persons) it governs or
        represents}`` (:data:`INTERLOCK_TYPES`; the governor may be a person)."""
        out: dict[str, set[str]] = defaultdict(set)
        for r in self.relations:
            if (r.type in INTERLOCK_TYPES and r.target in self.nodes
                    and not self.actors[r.target].personal_data):
                out[r.source].add(r.target)
        return dict(out)

    def periods(self, types: Sequence[str]) -> dict[tuple[str, str], list[Period]]:
        """``{(source, target): [(start year, end year), …]}`` of the statements of ``types``,
        ``None`` for an open end (as :meth:`RelationView.active_in` reads them)."""
        key = tuple(types)
        if key not in self._periods:
            out: dict[tuple[str, str], list[Period]] = defaultdict(list)
            for r in self.relations:
                if r.type in key:
                    out[(r.source, r.target)].append((year_of(r.start), year_of(r.end)))
            self._periods[key] = out
        return self._periods[key]

    def interlocks(self, inside: Collection[str] | None = None) -> dict[tuple[str, str], set[str]]:
        """:func:`interlocks` of :meth:`governed` (the organisations in ``inside``, when given),
        a common governor counting only when it held both seats in a same year (:func:`together`:
        always so as of a year)."""
        spans = self.periods(INTERLOCK_TYPES) if self.as_of is None else None
        out: dict[tuple[str, str], set[str]] = defaultdict(set)
        for g, orgs in self.governed().items():
            for i, j in combinations(sorted(orgs if inside is None else orgs & set(inside)), 2):
                if spans is None or together(spans[(g, i)], spans[(g, j)]):
                    out[(i, j)].add(g)
        return dict(out)

    def porteurs(self, pole_id: str) -> set[str]:
        """Node actors that carry the pôle (``carries``: structure porteuse, cellule d'animation);
        indexed once for every pôle (one pass over the relations, not one per pôle)."""
        if self._porteurs is None:
            out: dict[str, set[str]] = defaultdict(set)
            for r in self.relations:
                if r.type == "carries" and r.source in self.nodes:
                    out[r.target].add(r.source)
            self._porteurs = dict(out)
        return set(self._porteurs.get(pole_id, ()))


def together(a: Sequence[Period], b: Sequence[Period]) -> bool:
    """True when a period of ``a`` and a period of ``b`` share a year (open ends allowed, as
    :func:`maillage.graph.model.active_in`): two memberships of a pôle, or two seats of a
    governor, held at the same time — what a co-membership or interlock tie says.

    >>> together([(2012, 2014)], [(2016, None)]), together([(2012, 2014)], [(None, None)])
    (False, True)
    >>> together([(2012, 2014), (2018, None)], [(2016, 2019)])
    True
    """
    return any((s1 is None or e2 is None or s1 <= e2) and (s2 is None or e1 is None or s2 <= e1)
               for s1, e1 in a for s2, e2 in b)


# ---------------------------------------------------------------------------------------------
# what counts as a tie

#: Certainties of a statement that does not describe a tie that exists: planned, announced
#: (« prévu, annoncé »). Not a tie unless asked for (:class:`TieRule`).
NOT_DONE = ("planned",)
#: The ``status`` of a grant only planned (« prévue »): planned, as the certainty ``planned``.
PLANNED_STATUS = ("prevu",)
#: The ``status`` of a refused funding statement (``funds``, ``applies_to``): no money moved, no
#: tie unless asked for (:class:`TieRule`); the statement stays in the store.
REFUSED_STATUS = ("refuse",)


@dataclass(frozen=True)
class TieRule:
    """Which statements count as ties: those of a certainty in ``certainty`` — a statement of
    certainty ``planned`` (:data:`NOT_DONE`), or a grant whose status is ``prevu``
    (:data:`PLANNED_STATUS`), only when ``planned`` is in it — and, with ``refused``, refused
    funding applications too (status :data:`REFUSED_STATUS`). Built by :func:`tie_rule`.

    >>> from maillage.graph.model import Provenance
    >>> planned = RelationView(id="r", type="partner", source="a", target="b",
    ...                        provenance=Provenance(source="s", certainty="planned"))
    >>> tie_rule().counts(planned), tie_rule(["stated", "planned"]).counts(planned)
    (False, True)
    """

    certainty: tuple[str, ...]
    refused: bool = False

    def counts(self, r: RelationView) -> bool:
        """True when the statement ``r`` is a tie under this rule."""
        if r.provenance.certainty not in self.certainty:
            return False
        if r.type not in FUNDING_TYPES:
            return True
        status = r.fields.get("status")
        if status in PLANNED_STATUS:
            return any(c in self.certainty for c in NOT_DONE)
        return self.refused or status not in REFUSED_STATUS

    def left_out(self, r: RelationView) -> str | None:
        """Why ``r`` is no tie: ``"planned"``, ``"refused"``, ``"certainty"`` (another certainty
        left out), or ``None`` when it counts."""
        if self.counts(r):
            return None
        if r.type in FUNDING_TYPES and r.fields.get("status") in REFUSED_STATUS and not self.refused:
            return "refused"
        planned = r.provenance.certainty in NOT_DONE or (r.type in FUNDING_TYPES
                                                         and r.fields.get("status") in PLANNED_STATUS)
        return "planned" if planned else "certainty"


def tie_rule(certainty: Iterable[str] | None = None, refused: bool = False) -> TieRule:
    """The :class:`TieRule` of ``certainty`` (codes of the vocabulary's ``certainty``; by default
    every one but :data:`NOT_DONE`: stated, implied, inferred) and ``refused``. Raises
    ``ValueError`` on an unknown certainty.

    >>> tie_rule().certainty
    ('stated', 'implied', 'inferred')
    """
    known = vocabulary().enum("certainty")
    if certainty is None:
        values = tuple(c for c in known if c not in NOT_DONE)
    else:
        values = (certainty,) if isinstance(certainty, str) else tuple(certainty)
        bad = [c for c in values if c not in known]
        if bad:
            raise ValueError(f"certainty {bad} unknown; expected a subset of {sorted(known)}")
    return TieRule(certainty=values, refused=bool(refused))


def ties_of(sub: Subgraph, rule: TieRule | None = None) -> Subgraph:
    """``sub`` with only the statements that are ties (``rule``, by default :func:`tie_rule`'s):
    what :func:`maillage.graph.projection.to_graph` of a projection should measure.

    >>> ties_of(Subgraph()).relations
    []
    """
    rule = rule or tie_rule()
    return dataclasses.replace(sub, relations=[r for r in sub.relations if rule.counts(r)])


#: Words for every certainty at once (``maillage analyse --certainty tout``).
EVERY_CERTAINTY_WORDS = ("tout", "toutes", "all")


def certainty_codes(words: Iterable[str]) -> tuple[str, ...]:
    """The certainties ``words`` name, each as :func:`~maillage.graph.vocabulary.certainty_code`
    reads it (its code, its label or a part of it, « prévu », « affirmé », "planned"), several in one word when separated
    by commas; « tout » (:data:`EVERY_CERTAINTY_WORDS`) names them all. Raises ``ValueError``
    naming the first word no certainty has.

    >>> certainty_codes(["affirmé,implicite", "Déduit", "prévu, annoncé"])
    ('stated', 'implied', 'inferred', 'planned')
    >>> certainty_codes(["tout"])
    ('stated', 'implied', 'inferred', 'planned')
    """
    terms = vocabulary().enum("certainty")
    out: list[str] = []
    for word in (w.strip() for item in words for w in item.split(",")):
        if not word:
            continue
        if fold(word) in EVERY_CERTAINTY_WORDS:
            out += [c for c in terms if c not in out]
            continue
        code = certainty_code(word)  # the loaders' reading of a certainty cell, too
        if code is None:
            raise ValueError(word)
        if code not in out:
            out.append(code)
    return tuple(out)


def prepare(source: Store | Subgraph, *, as_of: int | None = None,
            certainty: Iterable[str] | None = None, include_persons: bool = False,
            placeholders: str = "keep", refused: bool = False) -> LensInput:
    """Read every actor and relation once and filter them: relations active in ``as_of``
    (:meth:`RelationView.active_in`) that count as ties (:func:`tie_rule` of ``certainty`` and
    ``refused``: by default no planned statement, no refused application; those left out are in
    :attr:`LensInput.left_out`); with ``placeholders="drop"``, unnamed and group placeholders
    (:func:`is_placeholder`) and their relations go. A :class:`Store` is read with persons
    (``projection(include_persons=True)``) so that interlocks through a person can be found; a
    :class:`Subgraph` is used as given.

    >>> prepare(Subgraph()).nodes
    set()
    """
    if placeholders not in PLACEHOLDER_MODES:
        raise ValueError(f"placeholders={placeholders!r}; expected one of {PLACEHOLDER_MODES}")
    rule = tie_rule(certainty, refused)
    if isinstance(source, Store):
        sub = source.projection(types=None, as_of=as_of, include_persons=True)
    elif isinstance(source, Subgraph):
        sub = source
    else:
        raise TypeError(f"expected a Store or a Subgraph, got {type(source).__name__}")
    actors = dict(sub.actors)
    if placeholders == "drop":
        actors = {k: a for k, a in actors.items() if not is_placeholder(a)}
    rels, left_out = [], []
    for r in sub.relations:
        if (r.source in actors and r.target in actors and r.source != r.target
                and (as_of is None or r.active_in(as_of))):
            (rels if rule.counts(r) else left_out).append(r)
    nodes = {k for k, a in actors.items() if include_persons or not a.personal_data}
    return LensInput(actors=actors, relations=rels, nodes=nodes, as_of=as_of, certainty=rule.certainty,
                     include_persons=include_persons, placeholders=placeholders, refused=rule.refused,
                     left_out=left_out)


# ---------------------------------------------------------------------------------------------
# two-mode projections, on plain mappings


def co_membership_weights(members: Mapping[str, Collection[str]]) -> dict[tuple[str, str], tuple[float, set[str]]]:
    """Newman's collaboration weights of the one-mode projection of a two-mode network.

    For groups :math:`p` with members :math:`M_p` (:math:`n_p = |M_p|`), two actors
    :math:`i < j` get :math:`w_{ij} = \\sum_{p:\\, i, j \\in M_p} 1/(n_p - 1)`, so that each actor's
    ties through one group sum to 1 (Newman, M. E. J. (2001). Scientific collaboration
    networks. II. Shortest paths, weighted networks, and centrality. *Phys. Rev. E* 64,
    016132). Returns ``{(i, j): (weight, shared group ids)}`` with ``i < j``.

    >>> w = co_membership_weights({"p": {"a", "b", "c"}, "q": {"a", "b"}})
    >>> w[("a", "b")][0], sorted(w[("a", "b")][1])
    (1.5, ['p', 'q'])
    >>> w[("b", "c")][0]
    0.5
    """
    out: dict[tuple[str, str], tuple[float, set[str]]] = {}
    for p, ms in members.items():
        ms = sorted(set(ms))
        if len(ms) < 2:
            continue
        w = 1.0 / (len(ms) - 1)
        for i, j in combinations(ms, 2):
            old_w, old_p = out.get((i, j), (0.0, set()))
            out[(i, j)] = (old_w + w, old_p | {p})
    return out


def interlocks(governed: Mapping[str, Collection[str]]) -> dict[tuple[str, str], set[str]]:
    """Interlocks: two organisations sharing a governor. ``governed`` maps each governor to
    the organisations it governs or represents; returns ``{(i, j): common governors}``,
    ``i < j`` (Mizruchi, M. S. (1996). What do interlocks do? An analysis, critique, and
    assessment of research on interlocking directorates. *Annual Review of Sociology* 22,
    271–298).

    >>> interlocks({"g": {"a", "b"}, "h": {"b", "a", "c"}})[("a", "b")] == {"g", "h"}
    True
    """
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for g, orgs in governed.items():
        for i, j in combinations(sorted(set(orgs)), 2):
            out[(i, j)].add(g)
    return dict(out)


def jaccard(a: Collection[Any], b: Collection[Any]) -> float:
    """Jaccard similarity :math:`|A \\cap B| / |A \\cup B|` (0 for two empty sets)
    (Jaccard, P. (1901). Étude comparative de la distribution florale dans une portion des
    Alpes et du Jura. *Bull. Soc. Vaudoise Sci. Nat.* 37, 547–579).

    >>> jaccard({1, 2, 3}, {2, 3, 4})
    0.5
    """
    a, b = set(a), set(b)
    union = a | b
    return len(a & b) / len(union) if union else 0.0


# ---------------------------------------------------------------------------------------------
# the lens graphs


class _Tie:
    __slots__ = ("direct", "count", "types", "sources", "amount", "amount_known", "amount_requested",
                 "years", "funding", "co_membership", "poles", "governors")

    def __init__(self) -> None:
        self.direct: set[tuple[str, str]] = set()
        self.count = 0
        self.types: set[str] = set()
        self.sources: set[str] = set()
        self.amount = 0.0
        self.amount_known = 0
        self.amount_requested = 0.0
        self.years: set[int] = set()
        self.funding = 0
        self.co_membership = 0.0
        self.poles: set[str] = set()
        self.governors: set[str] = set()


def _keep_set(inp: LensInput, territory: str | None, pole: str | None) -> set[str] | None:
    keep: set[str] | None = None
    if territory is not None:
        if not re.fullmatch(r"(commune|epci|ept|departement|region|pays):[0-9A-Z]+", territory):
            raise ValueError(f"territory {territory!r} is not level:code (e.g. departement:31)")
        cache: dict[str | None, list[str]] = {}

        def rollup(loc: str | None) -> list[str]:
            if loc not in cache:
                cache[loc] = territory_rollup(loc)
            return cache[loc]

        keep = {k for k in inp.nodes
                if territory in rollup(inp.actors[k].location) or territory in rollup(inp.actors[k].territory)}
    if pole is not None:
        a = inp.actors.get(pole)
        if a is None:
            raise NotFound(f"no actor {pole!r}")
        if a.family != GROUP_FAMILY:
            raise StoreError(f"{pole!r} is a {a.family}, not a pôle")
        around = {pole} | inp.members().get(pole, set()) | inp.porteurs(pole)
        keep = around if keep is None else keep & around
    return keep


def _build(inp: LensInput, lens: Lens, directed: bool, keep: set[str] | None) -> tuple[dict[tuple[str, str], _Tie], int]:
    voc = vocabulary()
    types = set(lens.types())
    ties: dict[tuple[str, str], _Tie] = defaultdict(_Tie)
    inside = inp.nodes if keep is None else keep
    outside_pairs: set[tuple[str, str]] = set()

    def keys(u: str, v: str, both: bool) -> list[tuple[str, str]]:
        if not directed:
            return [(u, v) if u < v else (v, u)]
        return [(u, v), (v, u)] if both else [(u, v)]

    for r in inp.relations:
        if r.type not in types or r.source not in inp.nodes or r.target not in inp.nodes:
            continue
        if r.source not in inside or r.target not in inside:
            if r.source in inside or r.target in inside:
                outside_pairs.add(tuple(sorted((r.source, r.target))))
            continue
        u, v = (r.target, r.source) if directed and r.type in REVERSED_IN_DIGRAPH else (r.source, r.target)
        for k in keys(u, v, not voc.relation_type(r.type).directed):
            t = ties[k]
            t.direct.add((r.type, r.provenance.source))
            t.count += 1
            t.types.add(r.type)
            t.sources.add(r.provenance.source)
            if r.type in FUNDING_TYPES:
                t.funding += 1
                if r.fields.get("amount") is not None and r.type == "funds":
                    t.amount += float(r.fields["amount"])
                    t.amount_known += 1
                if r.fields.get("amount_requested") is not None:
                    t.amount_requested += float(r.fields["amount_requested"])
                y = r.fields.get("year") or year_of(r.start)
                if y is not None:
                    t.years.add(int(y))

    if "co_membership" in lens.layers:
        members = inp.members()
        msrc: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in inp.relations:
            if r.type == "membership" and r.target in members:
                msrc[(r.source, r.target)].add(r.provenance.source)
        spans = inp.periods(("membership",)) if inp.as_of is None else None  # as of a year: all together
        for p, ms in members.items():
            n = len(ms)
            if n < 2:
                continue
            w = 1.0 / (n - 1)
            for i, j in combinations(sorted(ms & inside), 2):
                if spans is not None and not together(spans[(i, p)], spans[(j, p)]):
                    continue  # never members of p in a same year
                for k in keys(i, j, True):
                    t = ties[k]
                    t.co_membership += w
                    t.poles.add(p)
                    t.types.add("membership")
                    t.sources |= msrc[(i, p)] | msrc[(j, p)]

    if "shared_governance" in lens.layers:
        gsrc: dict[tuple[str, str], list[RelationView]] = defaultdict(list)
        for r in inp.relations:
            if r.type in INTERLOCK_TYPES:
                gsrc[(r.source, r.target)].append(r)
        for (i, j), governors in inp.interlocks(inside).items():
            for k in keys(i, j, True):
                t = ties[k]
                t.governors |= governors
                for g in governors:
                    for r in gsrc[(g, i)] + gsrc[(g, j)]:
                        t.types.add(r.type)
                        t.sources.add(r.provenance.source)
    return ties, len(outside_pairs)


def _left_out(inp: LensInput, lens: Lens, keep: set[str] | None) -> dict[str, int]:
    """``{"planned": n, "refused": m}``: the statements of the lens's types between two actors
    of the view that the tie rule left out."""
    types, inside = set(lens.types()), inp.nodes if keep is None else keep
    rule = TieRule(inp.certainty or (), inp.refused)
    out = {"planned": 0, "refused": 0}
    for r in inp.left_out:
        why = rule.left_out(r)
        if why in out and r.type in types and r.source in inside and r.target in inside:
            out[why] += 1
    return out


def _graph(G: nx.Graph, source: Store | Subgraph, lens: str, *, as_of: int | None, territory: str | None,
           pole: str | None, certainty: Iterable[str] | None, include_persons: bool,
           placeholders: str, refused: bool = False) -> nx.Graph:
    spec = get_lens(lens)
    inp = prepare(source, as_of=as_of, certainty=certainty, include_persons=include_persons,
                  placeholders=placeholders, refused=refused)
    keep = _keep_set(inp, territory, pole)
    ties, outside = _build(inp, spec, G.is_directed(), keep)
    poles_of = inp.poles_of()
    for aid in sorted(inp.nodes if keep is None else keep):
        a = inp.actors[aid]
        G.add_node(aid, label=a.name, **a.model_dump(mode="json", exclude={"id"}), poles=poles_of.get(aid, []))
    for (u, v), t in ties.items():
        people = sum(1 for g in t.governors if inp.actors[g].personal_data)
        shown = sorted(g for g in t.governors if include_persons or not inp.actors[g].personal_data)
        direct = float(t.count) if spec.name == "funding" else float(len(t.direct))
        attrs: dict[str, Any] = {
            "weight": direct + t.co_membership + len(t.governors),
            "types": sorted(t.types),
            "layers": [name for name, on in zip(LAYERS, (t.count > 0, bool(t.poles), bool(t.governors))) if on],
            "sources": len(t.sources),
            "direct": len(t.direct),
            "count": t.count,
            "co_membership": t.co_membership,
            "shared_poles": len(t.poles),
            "poles": sorted(t.poles),
            "shared_governance": len(t.governors),
            "shared_governance_persons": people,
            "governors": shown,
        }
        if t.funding:
            attrs.update(amount=t.amount if t.amount_known else None, amount_known=t.amount_known,
                         amount_requested=t.amount_requested or None, years=sorted(t.years),
                         funding_statements=t.funding)
        G.add_edge(u, v, **attrs)
    G.graph.update(lens=spec.name, layers=list(spec.layers), as_of=as_of, territory=territory, pole=pole,
                   certainty=list(inp.certainty or ()), refused=inp.refused, left_out=_left_out(inp, spec, keep),
                   include_persons=include_persons, placeholders=placeholders, outside_ties=outside)
    if outside:
        G.graph["notes"] = [counted(outside, "lien direct vers des acteurs hors du périmètre retenu écarté",
                                     "liens directs vers des acteurs hors du périmètre retenu écartés")]
    return G


def lens_graph(source: Store | Subgraph, lens: str = "cooperation", *, as_of: int | None = None,
               territory: str | None = None, pole: str | None = None,
               certainty: Iterable[str] | None = None, include_persons: bool = False,
               placeholders: str = "keep", refused: bool = False) -> nx.Graph:
    """The graph seen through a lens: one undirected edge per tied pair of actors.

    **Edges** come from the lens's layers (:data:`LENSES`): ``direct`` statements of the
    lens's relation types; ``co_membership`` (Newman's collaboration weight of the shared
    pôles, :func:`co_membership_weights` — Newman, M. E. J. (2001). Scientific collaboration
    networks. II. *Phys. Rev. E* 64, 016132); ``shared_governance`` (a common governor through
    ``governs``/``represents``, :func:`interlocks`). Edge attributes: ``weight`` (strength:
    distinct (type, source) statements — for the funding lens, the number of funding
    statements — plus ``co_membership`` plus ``shared_governance``), ``types``, ``layers``,
    ``sources`` (distinct sources), ``direct``, ``count``, ``co_membership``,
    ``shared_poles``, ``poles``, ``shared_governance`` (common governors, persons counted in
    ``shared_governance_persons`` but only named in ``governors`` with ``include_persons``);
    funding edges add ``amount`` (sum of known amounts, ``None`` if none), ``amount_known``,
    ``years``, ``funding_statements``.

    **Nodes**: every actor kept by the filters, isolated or not, with the attributes of
    :func:`maillage.graph.projection.to_graph` plus ``poles`` (pôles it is a member of).

    **Ties** are the statements :func:`tie_rule` counts: by default no planned statement and no
    refused application; ``certainty`` (a subset of stated/implied/inferred/planned) and
    ``refused=True`` ask for them. ``G.graph`` records ``certainty``, ``refused`` and
    ``left_out`` (``{"planned": n, "refused": m}``: the lens's statements among the view's
    actors left out).

    **Filters**: ``as_of`` (statements active that year), ``territory`` (actors whose location or administered
    territory rolls up to it; ties leaving it are dropped and counted in
    ``G.graph["outside_ties"]``), ``pole`` (the pôle, its members and porteurs, and the ties
    among them), ``placeholders`` (``"keep"``, the default, or ``"drop"``), ``include_persons``.
    Territory and pôle filters keep the induced subgraph of the whole lens: weights are those
    of the whole graph.

    >>> from maillage.graph import open_store
    >>> lens_graph(open_store(":memory:"), "funding").number_of_nodes()
    0
    """
    return _graph(nx.Graph(), source, lens, as_of=as_of, territory=territory, pole=pole, certainty=certainty,
                  include_persons=include_persons, placeholders=placeholders, refused=refused)


def lens_digraph(source: Store | Subgraph, lens: str = "cooperation", *, as_of: int | None = None,
                 territory: str | None = None, pole: str | None = None,
                 certainty: Iterable[str] | None = None, include_persons: bool = False,
                 placeholders: str = "keep", refused: bool = False) -> nx.DiGraph:
    """The directed counterpart of :func:`lens_graph` (same filters, same attributes): a
    directed statement is an edge source → target as stated (funder → beneficiary, governor
    → governed, member → pôle), except ``applies_to`` (:data:`REVERSED_IN_DIGRAPH`), drawn
    body asked → applicant so funding edges all point from funder to beneficiary; undirected
    types and the two-mode layers give an edge each way. For directed measures (PageRank of
    beneficiaries, brokerage roles — Gould, R. V., Fernandez, R. M. (1989). Structures of
    mediation. *Sociological Methodology* 19, 89–126).

    >>> from maillage.graph.model import ActorView, Provenance, RelationView
    >>> sub = Subgraph(actors={i: ActorView(id=i, name=i, family="ess") for i in "ab"},
    ...                relations=[RelationView(id="r", type="applies_to", source="a", target="b",
    ...                                        provenance=Provenance(source="s"))])
    >>> list(lens_digraph(sub, "funding").edges)
    [('b', 'a')]
    """
    return _graph(nx.DiGraph(), source, lens, as_of=as_of, territory=territory, pole=pole, certainty=certainty,
                  include_persons=include_persons, placeholders=placeholders, refused=refused)


__all__ = ["LAYERS", "LAYER_LABELS", "LENSES", "LENS_WORDS_FR", "Lens", "LensInput", "get_lens", "is_placeholder",
           "lens_code", "lens_word", "prepare", "TieRule", "tie_rule", "ties_of", "certainty_codes", "EVERY_CERTAINTY_WORDS",
           "NOT_DONE", "PLANNED_STATUS", "REFUSED_STATUS",
           "co_membership_weights", "interlocks", "jaccard", "together", "Period", "lens_graph", "lens_digraph",
           "GROUP_FAMILY", "INTERLOCK_TYPES", "FUNDING_TYPES", "REVERSED_IN_DIGRAPH", "PLACEHOLDER_MODES"]
