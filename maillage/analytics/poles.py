"""Pôle diagnostics: composition, internal cooperation, governance and funding of one pôle.

:func:`pole_diagnostic` answers, for one pôle, the questions animators, collectivités and
researchers ask (BRIEF §1; seed notes 000, 001-002): who is in it and of which art. 9
family, how heterogeneous it is, whether its members cooperate directly with one another,
which of the three forms of cooperation are documented, who governs it, and who funds it
(by collectivité level) and how concentrated that funding is.

Every figure is a :class:`Measure`: a value **and the sample size behind it**. Where the data
cannot support a figure the value is ``None`` with the reason (``unknown``) — never a 0 that
would read as "none": most documented pôles list only a few of their members.

Definitions (``docs/analytics-poles.md`` gives them all):

- **M(P)**, the pôle's core: its members (``membership`` → pôle) and its structure(s)
  porteuse(s) (``carries`` → pôle), as in the check catalogue of seed notes 001-002 §3.2;
  unnamed placeholders count (their family is known), a group of N counts N.
- **Blau index** 1 − Σ p_k² over families (Blau 1977); **IQV** = Blau / (1 − 1/K) with K the
  number of non-personal families of the vocabulary (Agresti & Agresti 1978).
- **Internal ties**: ties of the vocabulary's cooperation types between two actors of M(P)
  (the membership star to the pôle is not an internal tie). Density, Freeman degree
  centralisation (Freeman 1979) and the Krackhardt–Stern E-I index over families
  (Krackhardt & Stern 1988) are computed on them.
- **Funding**: ``funds`` ties to the pôle or to its structure(s) porteuse(s), by funder and
  by collectivité level; Herfindahl–Hirschman concentration Σ s_i² over funders.

Statements marked ``planned`` (announced, not done) are left out of every figure: the tie
rule of every analysis (:class:`maillage.analytics.lenses.TieRule`).

>>> blau_index({"ess": 3, "enterprise": 1})
0.375
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pydantic import BaseModel, Field

from maillage.graph.model import ActorView, RelationView, year_of
from maillage.graph.names import alpha_key
from maillage.graph.projection import to_graph
from maillage.graph.store import Store, Subgraph
from maillage.graph.vocabulary import PUBLIC_FAMILIES, vocabulary
from maillage.writing import exact_text, listed

from .lenses import NOT_DONE  # certainties that describe nothing that exists: left out of every figure
from maillage.writing import counted
from .run import location_label

# ---------------------------------------------------------------------------------------------
# vocabulary keys the diagnostics rely on (checked against the vocabulary at first use)

#: The cooperation form that marks a pôle's maturity (Labo de l'ESS, seed 001 L494-508).
MATURITY_FORM = "mutualisation_projets"
#: ``funds`` statuses that mean no money moved (a request, a refusal, a plan).
NOT_GRANTED = ("demande", "refuse", "prevu")
#: Relation types that tie an actor to a pôle's wider circle S(P) (seed notes 001-002 §3.2:
#: partner, supports, funds, cooperates, hosts, founded, contracts; plus membership in either
#: direction and governs). ``related`` (unqualified) and personal types are left out.
CIRCLE_TYPES = ("membership", "partner", "supports", "funds", "cooperates", "hosts", "founded",
                "contracts", "governs")
#: How a tie from a collectivité expresses one of the RTES roles (vocabulary
#: ``collectivite_roles``): ``(relation type, field, field value) → role``; ``None`` matches
#: any value of the field (or its absence).
TIE_ROLES: tuple[tuple[str, str | None, str | None, str], ...] = (
    ("funds", "nature", "fonctionnement", "aide_fonctionnement"),
    ("funds", "nature", "investissement", "aide_investissement"),
    ("funds", "nature", "en_nature", "mise_a_disposition"),
    ("hosts", None, None, "mise_a_disposition"),
    ("governs", None, None, "gouvernance"),
    ("contracts", None, None, "commande_publique"),
    ("founded", None, None, "co_construction"),
)


def _check_vocabulary() -> None:
    voc = vocabulary()
    if MATURITY_FORM not in voc.enum("cooperation_forms"):
        raise RuntimeError(f"the vocabulary has no cooperation form {MATURITY_FORM!r} (maturity marker)")
    roles = voc.enum("collectivite_roles")
    for _t, _f, _v, role in TIE_ROLES:
        if role not in roles:
            raise RuntimeError(f"the vocabulary has no collectivité role {role!r}")
    for fam in PUBLIC_FAMILIES:
        voc.family(fam)


def tr(lang: str, fr: str, en: str) -> str:
    """The French text, or the English one when ``lang == "en"`` (French is the default).

    >>> tr("en", "inconnu", "unknown"), tr("de", "inconnu", "unknown")
    ('unknown', 'inconnu')
    """
    return en if lang == "en" else fr


def fmt_number(x: float, lang: str = "fr") -> str:
    """A number as a reader of ``lang`` writes it, no useless decimals: thousands separated by a
    narrow space and a decimal comma in French, "1,200" and "2.5" in English.

    >>> fmt_number(40.0), fmt_number(2.5), fmt_number(1200, "en"), fmt_number(2.5, "en")
    ('40', '2,5', '1,200', '2.5')
    """
    return exact_text(x, lang)


# ---------------------------------------------------------------------------------------------
# indices (pure functions)

def blau_index(counts: Mapping[Hashable, float]) -> float:
    """Blau's heterogeneity index 1 − Σ p_k², p_k the share of category k.

    0 when every unit is in one category; approaches 1 − 1/K when K categories are equally
    represented. Reference: P. M. Blau (1977), *Inequality and Heterogeneity: A Primitive
    Theory of Social Structure*, New York: Free Press. Raises ``ValueError`` on an empty count.

    >>> blau_index({"ess": 2, "enterprise": 2})
    0.5
    >>> blau_index({"ess": 5})
    0.0
    """
    total = float(sum(counts.values()))
    if total <= 0:
        raise ValueError("Blau index of an empty population")
    return 1.0 - sum((c / total) ** 2 for c in counts.values())


def qualitative_variation(counts: Mapping[Hashable, float], k: int) -> float:
    """Index of qualitative variation: Blau's index normalised by its maximum 1 − 1/K, where
    K is the number of categories of the classification (present or not), so 1 means all K
    categories equally represented.

    Reference: A. Agresti & B. F. Agresti (1978), "Statistical analysis of qualitative
    variation", *Sociological Methodology* 9: 204–237.

    >>> qualitative_variation({"ess": 1, "enterprise": 1}, k=2)
    1.0
    """
    if k < 2:
        raise ValueError("the IQV needs at least two categories")
    return blau_index(counts) / (1.0 - 1.0 / k)


def herfindahl(values: Mapping[Hashable, float] | Iterable[float]) -> float:
    """Herfindahl–Hirschman concentration Σ s_i², s_i = v_i / Σ v (1 = a single source,
    1/N = N equal sources).

    Reference: A. O. Hirschman (1964), "The paternity of an index", *American Economic Review*
    54(5): 761; O. C. Herfindahl (1950), *Concentration in the U.S. Steel Industry*, PhD
    thesis, Columbia University.

    >>> herfindahl({"region": 75, "epci": 25})
    0.625
    """
    vals = list(values.values()) if isinstance(values, Mapping) else list(values)
    total = float(sum(vals))
    if total <= 0:
        raise ValueError("concentration of an empty total")
    return sum((v / total) ** 2 for v in vals)


def degree_centralisation(G: nx.Graph) -> float:
    """Freeman's degree centralisation of an undirected graph:
    Σ_i (d_max − d_i) / ((n − 1)(n − 2)) — 1 for a star, 0 when every node has the same degree
    (a cycle, a complete graph, an edgeless graph). Needs n ≥ 3. networkx has no such
    function; directed or multi-graphs are read as simple undirected graphs.

    Reference: L. C. Freeman (1979), "Centrality in social networks: conceptual
    clarification", *Social Networks* 1(3): 215–239.

    >>> degree_centralisation(nx.star_graph(4))
    1.0
    >>> degree_centralisation(nx.cycle_graph(5))
    0.0
    """
    H = nx.Graph(G.to_undirected() if G.is_directed() else G)
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    n = H.number_of_nodes()
    if n < 3:
        raise ValueError("degree centralisation needs at least 3 nodes")
    degrees = [d for _, d in H.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def ei_counts(G: nx.Graph, attr: str = "family") -> tuple[int, int]:
    """``(E, I)``: edges between nodes whose ``attr`` differs (external) and edges within the
    same value (internal). Self-loops are ignored.

    >>> g = nx.Graph([(1, 2), (2, 3)]); nx.set_node_attributes(g, {1: "a", 2: "a", 3: "b"}, "family")
    >>> ei_counts(g)
    (1, 1)
    """
    ext = inn = 0
    for u, v in G.edges():
        if u == v:
            continue
        if G.nodes[u].get(attr) == G.nodes[v].get(attr):
            inn += 1
        else:
            ext += 1
    return ext, inn


def ei_index(G: nx.Graph, attr: str = "family") -> float:
    """Krackhardt–Stern E-I index (E − I) / (E + I) over the groups given by ``attr``:
    −1 when every tie stays inside a group, +1 when every tie crosses groups.

    Reference: D. Krackhardt & R. N. Stern (1988), "Informal networks and organizational
    crises: an experimental simulation", *Social Psychology Quarterly* 51(2): 123–140.
    Raises ``ValueError`` on a graph without ties.

    >>> g = nx.Graph([(1, 2), (2, 3), (3, 1)]); nx.set_node_attributes(g, {1: "a", 2: "a", 3: "b"}, "family")
    >>> round(ei_index(g), 3)
    0.333
    """
    ext, inn = ei_counts(G, attr)
    if ext + inn == 0:
        raise ValueError("E-I index of a graph without ties")
    return (ext - inn) / (ext + inn)


# ---------------------------------------------------------------------------------------------
# the pôle's context: who is in it, who is around it, and the statements that say so

def units(actor: ActorView) -> int:
    """How many actors a record stands for: N for a group of N, else 1.

    >>> units(ActorView(id="a", name="Quatre communes", family="collectivite", group_count=4))
    4
    """
    return int(actor.group_count or 1)


def is_ess(actor: ActorView) -> bool:
    """ESS enterprise (art. 1 of the 2014 law): the actor's ``ess`` flag when a source states
    it, else membership of the ``ess`` family (a proxy: the legal status decides).

    >>> is_ess(ActorView(id="a", name="A", family="enterprise", ess=True)), is_ess(ActorView(id="b", name="B", family="ess"))
    (True, True)
    """
    return actor.ess if actor.ess is not None else actor.family == "ess"


@dataclass
class PoleContext:
    """Everything the diagnostics and the criteria read about one pôle (as of a year).

    ``relations``: statements touching the pôle or its structures porteuses, and those among
    its neighbours, minus the ``planned`` ones (counted in ``planned``). ``members`` and
    ``carriers`` map actor ids to the statements that make them so; ``core`` is M(P).
    """

    pole: ActorView
    as_of: int | None
    actors: dict[str, ActorView]
    relations: list[RelationView]
    members: dict[str, list[RelationView]] = field(default_factory=dict)
    carriers: dict[str, list[RelationView]] = field(default_factory=dict)
    planned: int = 0

    @property
    def core(self) -> list[str]:
        """M(P): members then structures porteuses, by name (each once)."""
        ids = dict.fromkeys([*self.by_name(self.members), *self.by_name(self.carriers)])
        return list(ids)

    @property
    def member_units(self) -> int:
        return sum(units(self.actors[m]) for m in self.members)

    @property
    def core_units(self) -> int:
        return sum(units(self.actors[m]) for m in self.core)

    @property
    def declared_members(self) -> float | None:
        return self.pole.declared.get("members")

    def by_name(self, ids: Iterable[str]) -> list[str]:
        """Actor ids sorted by name (case-insensitive), then id."""
        return sorted(ids, key=lambda i: (*alpha_key(self.actors[i].name), i))

    def anchor(self) -> set[str]:
        """The pôle and its structures porteuses."""
        return {self.pole.id, *self.carriers}

    def circle(self, types: Iterable[str] = CIRCLE_TYPES) -> dict[str, list[RelationView]]:
        """S(P) minus M(P): actors tied to the pôle or a structure porteuse by ``types`` (either
        direction), with the statements that tie them; M(P) and the pôle itself excluded."""
        anchor, core, wanted = self.anchor(), set(self.core), set(types)
        out: dict[str, list[RelationView]] = defaultdict(list)
        for r in self.relations:
            if r.type not in wanted or r.source == r.target:
                continue
            for end, other in ((r.source, r.target), (r.target, r.source)):
                if end in anchor and other not in anchor and other not in core and other in self.actors:
                    out[other].append(r)
        return dict(out)

    def wide_circle(self) -> dict[str, list[RelationView]]:
        """S(P): M(P) with the statements that make it, plus :meth:`circle`."""
        out = {m: list(self.members.get(m, [])) + list(self.carriers.get(m, [])) for m in self.core}
        out.update(self.circle())
        return out

    def internal_subgraph(self) -> Subgraph:
        """M(P) and the cooperation-type ties between two of its actors (not the pôle)."""
        coop = set(vocabulary().cooperation_types())
        core = set(self.core)
        rels = [r for r in self.relations
                if r.type in coop and r.source in core and r.target in core and r.source != r.target]
        return Subgraph(actors={a: self.actors[a] for a in self.core}, relations=rels)

    def internal_graph(self) -> nx.Graph:
        """The internal ties: M(P), an edge for each pair of its actors a cooperation-type tie
        joins (:meth:`internal_subgraph`; parallel statements one edge). The diagnostic's
        ``internal`` and criterion K10 count these."""
        return to_graph(self.internal_subgraph())

    def sources(self) -> list[str]:
        return sorted({*self.pole.sources, *(r.provenance.source for r in self.relations)})


def pole_context(store: Store, pole_id: str, as_of: int | None = None) -> PoleContext:
    """Read one pôle (as of a year) from the store: its neighbourhood
    (:meth:`~maillage.graph.store.Store.pole_subgraph`), plus every statement touching its
    structure(s) porteuse(s) (who funds and governs them), in one read
    (:meth:`~maillage.graph.store.Store.pole_context_subgraph`). Members and structures porteuses
    are read as :func:`maillage.analytics.run.pole_table` reads them (``membership`` → pôle,
    ``carries`` → pôle). Natural persons are never read. Raises
    :class:`~maillage.graph.store.NotFound` for an unknown id and
    :class:`~maillage.graph.store.StoreError` for an actor that is not a pôle.

    >>> from maillage.graph import open_store
    >>> from maillage.graph.store import NotFound
    >>> try:
    ...     pole_context(open_store(":memory:"), "nope")
    ... except NotFound:
    ...     print("no such pôle")
    no such pôle
    """
    _check_vocabulary()
    sub = store.pole_context_subgraph(pole_id, as_of=as_of, skip_certainty=NOT_DONE)
    actors = dict(sub.actors)
    rels = {r.id: r for r in sub.relations}
    kept = [r for r in rels.values() if r.provenance.certainty not in NOT_DONE]
    kept.sort(key=lambda r: r.id)
    ctx = PoleContext(pole=actors[pole_id], as_of=as_of, actors=actors, relations=kept,
                      planned=len(rels) - len(kept))
    for r in kept:
        if r.target == pole_id and r.source != pole_id:
            if r.type == "membership":
                ctx.members.setdefault(r.source, []).append(r)
            elif r.type == "carries":
                ctx.carriers.setdefault(r.source, []).append(r)
    return ctx


def cooperation_form(r: RelationView) -> str | None:
    """The cooperation form of a ``cooperates`` tie: its ``form`` field, else the form of its
    ``practice`` (vocabulary ``cooperation_practices``), else ``None``.

    >>> from maillage.graph.model import Provenance
    >>> r = RelationView(id="r", type="cooperates", source="a", target="b",
    ...                  fields={"form": "mutualisation_projets"}, provenance=Provenance(source="s"))
    >>> cooperation_form(r)
    'mutualisation_projets'
    """
    form = r.fields.get("form")
    if form:
        return form
    practice = vocabulary().enum("cooperation_practices").get(r.fields.get("practice") or "")
    return practice.extra.get("form") if practice else None


def tie_roles(r: RelationView) -> list[str]:
    """The RTES roles (vocabulary ``collectivite_roles``) a tie expresses, from its type and
    fields (:data:`TIE_ROLES`; a ``supports`` tie names its role in ``form``, and a
    ``supports`` tie without a form is ``accompagnement``; a requested, refused or planned
    ``funds`` tie expresses none).

    >>> from maillage.graph.model import RelationView, Provenance
    >>> r = RelationView(id="r", type="funds", source="a", target="b", fields={"nature": "investissement"},
    ...                  provenance=Provenance(source="s"))
    >>> tie_roles(r)
    ['aide_investissement']
    """
    roles = vocabulary().enum("collectivite_roles")
    if r.type == "funds" and r.fields.get("status") in NOT_GRANTED:
        return []
    if r.type == "supports":
        form = r.fields.get("form")
        return [form if form in roles else "accompagnement"]
    out = []
    for rtype, fname, value, role in TIE_ROLES:
        if r.type != rtype:
            continue
        if fname is None or value is None or r.fields.get(fname) == value:
            out.append(role)
    return out


def funder_level(actor: ActorView) -> str:
    """The level of a funder: a collectivité's kind (``commune``, ``epci``, ``departement``,
    ``region``, ``petr_pays``, ``pnr``…), ``state``, ``eu``, or ``other`` (non-public).

    >>> funder_level(ActorView(id="a", name="Région Occitanie", family="collectivite", kind="region"))
    'region'
    >>> funder_level(ActorView(id="b", name="Fondation", family="ess"))
    'other'
    """
    if actor.family == "collectivite":
        return actor.kind or "collectivite_autre"
    if actor.family in ("state", "eu"):
        return actor.family
    return "other"


def level_label(level: str, lang: str = "fr") -> str:
    """The label of a :func:`funder_level`.

    >>> level_label("region")
    'Région'
    """
    voc = vocabulary()
    if level in voc.family("collectivite").kinds:
        return voc.family("collectivite").kinds[level].label(lang)
    if level in ("state", "eu"):
        return voc.family(level).label(lang)
    return tr(lang, "Autres financeurs (non publics)", "Other funders (non-public)")


def level_order() -> list[str]:
    """Funder levels from the most local to the European, then the others.

    >>> level_order()[-3:]
    ['state', 'eu', 'other']
    """
    return [*vocabulary().family("collectivite").kinds, "state", "eu", "other"]


# ---------------------------------------------------------------------------------------------
# result models

class Measure(BaseModel):
    """A figure and the sample size behind it. ``value`` is ``None`` when the data cannot
    support the figure; ``unknown`` then says why (an unknown is never reported as 0)."""

    value: float | None = None
    n: int = Field(0, description="Sample size: the units the figure is computed over")
    unknown: str | None = None
    note: str | None = None

    @property
    def known(self) -> bool:
        return self.value is not None


class ActorRef(BaseModel):
    id: str
    name: str
    family: str
    family_label: str
    kind: str | None = None
    placeholder: bool = False
    group_count: int | None = None


class FamilyCount(BaseModel):
    family: str
    label: str
    art9: str
    count: int = Field(description="Actors, a group of N counting N")
    share: float | None = None


class Size(BaseModel):
    named_members: int = Field(description="Members mentioned by name")
    placeholder_members: int = Field(description="Members mentioned by type only (unnamed)")
    group_members: int = Field(description="Member records that stand for a group of N actors")
    member_units: int = Field(description="Members counted as actors (a group of N counts N)")
    carriers: int = Field(description="Structures porteuses (and cellules d'animation)")
    core_units: int = Field(description="M(P): members and structures porteuses, as actors")
    declared_members: float | None = None
    declared: dict[str, float] = Field(default_factory=dict)
    coverage: Measure = Field(default_factory=Measure, description="Listed members / declared members")


class Tie(BaseModel):
    source: str
    target: str
    types: list[str]
    cross_family: bool


class InternalTies(BaseModel):
    actors: int
    ties: int = Field(description="Distinct tied pairs inside M(P)")
    statements: int
    density: Measure
    centralisation: Measure
    ei_index: Measure
    cross_family_share: Measure
    external: int = 0
    internal: int = 0
    without_tie: list[ActorRef] = Field(default_factory=list)
    pairs: list[Tie] = Field(default_factory=list)


class FormCount(BaseModel):
    form: str
    label: str
    count: int
    present: bool | None = Field(description="True when documented; None (unknown) otherwise")
    maturity_marker: bool = False
    relations: list[str] = Field(default_factory=list)


class CooperationForms(BaseModel):
    n: int = Field(description="cooperates ties among M(P) and with the pôle")
    forms: list[FormCount]
    unqualified: int = Field(description="cooperates ties with no form or practice")
    maturity: bool | None
    maturity_form: str
    reason: str | None = None


class Seat(BaseModel):
    actor: ActorRef
    governs: str
    governs_name: str
    body: str | None = None
    college: str | None = None
    shareholder: bool | None = None
    relation: str


class LegalForm(BaseModel):
    id: str
    name: str
    role: str
    legal_form: str | None = None
    kind: str | None = None


class Governance(BaseModel):
    n: int = Field(description="Distinct actors with a documented seat")
    seats: list[Seat]
    by_family: list[FamilyCount]
    collectivites_in_governance: bool | None
    reason: str | None = None
    collectivite_members: list[ActorRef] = Field(default_factory=list)
    legal_forms: list[LegalForm] = Field(default_factory=list)


class FunderShare(BaseModel):
    actor: ActorRef
    level: str
    level_label: str
    public: bool
    ties: int
    amount: float | None = Field(None, description="Sum of the stated amounts (EUR), None if none stated")
    amount_unknown: int = Field(0, description="Funding ties of this funder without an amount")
    share: float | None = None
    beneficiaries: list[str] = Field(default_factory=list)


class LevelShare(BaseModel):
    level: str
    label: str
    funders: int
    ties: int
    amount: float | None = None
    share: float | None = None


class Funding(BaseModel):
    ties: int
    with_amount: int
    excluded: int = Field(0, description="Requests, refusals and internal transfers left out")
    basis: str | None = Field(None, description="'amount' (every tie has an amount) or 'count' (shares of funding ties)")
    total_amount: float | None = None
    funders: list[FunderShare]
    by_level: list[LevelShare]
    hhi: Measure
    largest_share: Measure
    largest_funder: ActorRef | None = None
    single_funder_dependency: bool | None = None
    dependency_threshold: float = 0.5
    public_share: Measure


class CollectiviteRoles(BaseModel):
    actor: ActorRef
    level: str
    level_label: str
    types: list[str]
    roles: list[str]
    role_labels: list[str]


class PoleDiagnostic(BaseModel):
    """The one-page diagnostic of a pôle (see :func:`pole_diagnostic`)."""

    id: str
    name: str
    kind: str | None
    kind_label: str
    phase: str | None
    phase_label: str
    founding_year: int | None
    perimeter: list[str]
    perimeter_labels: list[str]
    perimeter_text: str | None
    perimeter_read: str | None = None  # how the perimeter was obtained (graph/merge.py merged_perimeter)
    perimeter_note: str = ""  # « lu approximativement » when it comes from approximate readings only
    location: str | None
    location_label: str
    labels: list[str]
    legal_form: str | None
    placeholder: bool
    as_of: int | None
    lang: str
    carriers: list[ActorRef]
    members: list[ActorRef]
    size: Size
    composition: list[FamilyCount]
    composition_n: int
    families_present: int
    blau: Measure
    iqv: Measure
    iqv_k: int
    internal: InternalTies
    cooperation: CooperationForms
    governance: Governance
    funding: Funding
    collectivites: list[CollectiviteRoles]
    caveats: list[str]
    sources: list[str]


# ---------------------------------------------------------------------------------------------
# the diagnostic

def actor_ref(actor: ActorView, lang: str = "fr") -> ActorRef:
    """A short reference to an actor (id, name, family and its label, kind, placeholder).

    >>> actor_ref(ActorView(id="a", name="Les Jardins", family="ess")).family_label
    "Structure de l'ESS"
    """
    return ActorRef(id=actor.id, name=actor.name, family=actor.family,
                    family_label=vocabulary().family(actor.family).label(lang), kind=actor.kind,
                    placeholder=actor.placeholder, group_count=actor.group_count)


def family_counts(actors: Iterable[ActorView], lang: str = "fr") -> list[FamilyCount]:
    """Actors by family (a group of N counts N), most numerous first, with shares.

    >>> rows = family_counts([ActorView(id="a", name="A", family="ess", group_count=3),
    ...                       ActorView(id="b", name="B", family="enterprise")])
    >>> [(r.family, r.count) for r in rows]
    [('ess', 3), ('enterprise', 1)]
    """
    voc = vocabulary()
    counts: Counter[str] = Counter()
    for a in actors:
        counts[a.family] += units(a)
    total = sum(counts.values())
    order = list(voc.families)
    return [FamilyCount(family=f, label=voc.family(f).label(lang), art9=voc.family(f).art9, count=c,
                        share=c / total if total else None)
            for f, c in sorted(counts.items(), key=lambda kv: (-kv[1], order.index(kv[0])))]


def _size(ctx: PoleContext, lang: str) -> Size:
    members = [ctx.actors[m] for m in ctx.members]
    declared = ctx.declared_members
    listed = ctx.member_units
    if declared:
        cov = Measure(value=min(listed / declared, 1.0), n=listed,
                      note=tr(lang, f"{listed} membres listés pour {fmt_number(declared)} déclarés",
                              f"{listed} members listed for {fmt_number(declared, 'en')} declared"))
    else:
        cov = Measure(n=listed, unknown=tr(lang, "taille non déclarée par les sources",
                                           "no size declared by the sources"))
    return Size(named_members=sum(1 for a in members if not a.placeholder),
                placeholder_members=sum(1 for a in members if a.placeholder),
                group_members=sum(1 for a in members if a.group_count),
                member_units=listed, carriers=len(ctx.carriers), core_units=ctx.core_units,
                declared_members=declared, declared=dict(ctx.pole.declared), coverage=cov)


def thin_reason(ctx: PoleContext, lang: str = "fr") -> str:
    """Why a composition figure cannot be judged from the listed members: "aucun membre nommé
    (40 déclarés)", "seulement 2 membres nommés sur 40 déclarés" (unnamed mentions and
    groups of N are added when there are some), "… taille non déclarée".

    >>> from maillage.graph import open_store
    >>> from maillage.loaders import load_reference
    >>> store = open_store(":memory:"); _ = load_reference(store)
    >>> thin_reason(pole_context(store, "le-damier-193c5d"))
    'aucun membre nommé (40 déclarés)'
    """
    units_, declared = ctx.core_units, ctx.declared_members
    named = sum(1 for a in ctx.core if not ctx.actors[a].placeholder)
    if units_ == 0:
        return (tr(lang, f"aucun membre nommé ({counted(declared, 'déclaré', 'déclarés')})",
                   f"no named member ({fmt_number(declared, 'en')} declared)") if declared
                else tr(lang, "aucun membre ni structure porteuse documentés",
                        "no member or structure porteuse documented"))
    extra = ""
    if units_ != named:
        extra = tr(lang, f" ({units_} avec les mentions sans nom et les groupes)",
                   f" ({units_} with unnamed mentions and groups)")
    said = tr(lang, f"seulement {counted(named, 'membre nommé', 'membres nommés')}{extra}",
              f"only {counted(named, 'named member', 'named members', 'en')}{extra}")
    if declared:
        return said + tr(lang, f" sur {counted(declared, 'déclaré', 'déclarés')}",
                         f" of {fmt_number(declared, 'en')} declared")
    return said + tr(lang, ", taille non déclarée", ", size not declared")


def _heterogeneity(ctx: PoleContext, lang: str) -> tuple[Measure, Measure, int]:
    voc = vocabulary()
    k = sum(1 for f in voc.families.values() if not f.personal_data)
    counts: Counter[str] = Counter()
    for a in ctx.core:
        counts[ctx.actors[a].family] += units(ctx.actors[a])
    n = sum(counts.values())
    if n < 2:
        why = thin_reason(ctx, lang) + tr(lang, " : l'hétérogénéité ne peut pas être jugée",
                                     ": heterogeneity cannot be judged")
        return Measure(n=n, unknown=why), Measure(n=n, unknown=why), k
    partial = None
    if ctx.declared_members and ctx.member_units < ctx.declared_members:
        partial = tr(lang, f"partiel : {ctx.member_units} membres listés sur {fmt_number(ctx.declared_members)} déclarés",
                     f"partial: {ctx.member_units} members listed of {fmt_number(ctx.declared_members, 'en')} declared")
    blau = Measure(value=blau_index(counts), n=n, note=partial)
    iqv_note = tr(lang, f"Blau / (1 − 1/K), K = {k} familles d'acteurs du vocabulaire",
                  f"Blau / (1 − 1/K), K = {k} actor families of the vocabulary")
    iqv = Measure(value=qualitative_variation(counts, k), n=n,
                  note=iqv_note + (f" ; {partial}" if partial else ""))
    return blau, iqv, k


def _internal(ctx: PoleContext, lang: str) -> InternalTies:
    sub = ctx.internal_subgraph()
    G = to_graph(sub)
    n = G.number_of_nodes()
    m = G.number_of_edges()
    ties = []
    for u, v, data in sorted(G.edges(data=True)):
        ties.append(Tie(source=u, target=v, types=data["types"],
                        cross_family=G.nodes[u]["family"] != G.nodes[v]["family"]))
    no_ties = tr(lang, "aucun lien de coopération direct entre membres n'est documenté : "
                       "absence de liens ou absence de données, impossible de trancher",
                 "no direct cooperation tie between members is documented: no ties or no data, "
                 "the data cannot tell")
    if n < 2:
        why = thin_reason(ctx, lang)
        density = Measure(n=n, unknown=why)
        cent = Measure(n=n, unknown=why)
    elif m == 0:
        density = Measure(n=n, unknown=no_ties)
        cent = Measure(n=n, unknown=no_ties)
    else:
        lower = tr(lang, "liens documentés seulement : une borne inférieure",
                   "documented ties only: a lower bound")
        density = Measure(value=nx.density(G), n=n, note=lower)
        if n < 3:
            cent = Measure(n=n, unknown=tr(lang, "la centralisation demande au moins 3 acteurs",
                                           "centralisation needs at least 3 actors"))
        else:
            cent = Measure(value=degree_centralisation(G), n=n)
    if m:
        ext, inn = ei_counts(G, "family")
        ei = Measure(value=(ext - inn) / (ext + inn), n=m)
        cross = Measure(value=ext / m, n=m)
    else:
        ext = inn = 0
        why = no_ties if n >= 2 else thin_reason(ctx, lang)
        ei = Measure(n=0, unknown=why)
        cross = Measure(n=0, unknown=why)
    alone = [actor_ref(ctx.actors[a], lang) for a in ctx.core if G.degree(a) == 0] if n >= 2 else []
    return InternalTies(actors=n, ties=m, statements=len(sub.relations), density=density, centralisation=cent,
                        ei_index=ei, cross_family_share=cross, external=ext, internal=inn,
                        without_tie=alone, pairs=ties)


def cooperation_forms(ctx: PoleContext, lang: str) -> CooperationForms:
    """The report's cooperation section: the ``cooperates`` statements among M(P) or with the pôle
    (« 2 liens de coopération entre membres ou avec le pôle »), by form; criterion M1 says the same.

    >>> from maillage.graph.model import Provenance
    >>> pole = ActorView(id="p", name="Pôle", family="pole")
    >>> rels = [RelationView(id="r1", type="cooperates", source="a", target="b", provenance=Provenance(source="s")),
    ...         RelationView(id="r2", type="cooperates", source="a", target="p", provenance=Provenance(source="s"))]
    >>> members = {x: ActorView(id=x, name=x.upper(), family="ess") for x in "ab"}
    >>> ctx = PoleContext(pole=pole, as_of=None, actors=members, relations=rels, members={"a": [], "b": []})
    >>> c = cooperation_forms(ctx, "fr"); c.n, c.unqualified, c.maturity
    (2, 2, None)
    """
    voc = vocabulary()
    scope = set(ctx.core) | {ctx.pole.id}
    coop = [r for r in ctx.relations if r.type == "cooperates" and r.source in scope and r.target in scope
            and r.source != r.target]
    by_form: dict[str, set[tuple[str, str]]] = defaultdict(set)
    rel_ids: dict[str, list[str]] = defaultdict(list)
    unqualified = 0
    for r in coop:
        form = cooperation_form(r)
        if form is None:
            unqualified += 1
            continue
        by_form[form].add(tuple(sorted((r.source, r.target))))
        rel_ids[form].append(r.id)
    forms = [FormCount(form=f, label=t.label(lang), count=len(by_form.get(f, ())),
                       present=True if by_form.get(f) else None, maturity_marker=f == MATURITY_FORM,
                       relations=sorted(rel_ids.get(f, [])))
             for f, t in voc.enum("cooperation_forms").items()]
    maturity = True if by_form.get(MATURITY_FORM) else None
    reason = None
    if maturity is None:
        reason = tr(lang, f"aucune {voc.enum('cooperation_forms')[MATURITY_FORM].label('fr').lower()} documentée "
                          f"({counted(len(coop), 'lien de coopération', 'liens de coopération')} entre membres ou avec "
                          "le pôle) : la maturité ne peut pas être établie",
                    f"no {voc.enum('cooperation_forms')[MATURITY_FORM].label('en').lower()} documented "
                    f"({counted(len(coop), 'cooperation tie', 'cooperation ties', 'en')} among members or with "
                    "the pôle): maturity cannot be established")
    return CooperationForms(n=len(coop), forms=forms, unqualified=unqualified, maturity=maturity,
                            maturity_form=MATURITY_FORM, reason=reason)


def _governance(ctx: PoleContext, lang: str) -> Governance:
    anchor = ctx.anchor()
    seats, seen = [], set()
    for r in ctx.relations:
        if r.type != "governs" or r.target not in anchor or r.source in anchor:
            continue
        key = (r.source, r.target, r.fields.get("body"))
        if key in seen:
            continue
        seen.add(key)
        seats.append(Seat(actor=actor_ref(ctx.actors[r.source], lang), governs=r.target,
                          governs_name=ctx.actors[r.target].name, body=r.fields.get("body"),
                          college=r.fields.get("college"), shareholder=r.fields.get("shareholder"),
                          relation=r.id))
    seats.sort(key=lambda s: (*alpha_key(s.actor.name), s.governs, s.body or ""))
    governors = {s.actor.id: ctx.actors[s.actor.id] for s in seats}
    coll = [a for a in governors.values() if a.family == "collectivite"]
    if coll:
        in_gov, reason = True, None
    elif seats:
        in_gov = None
        k = len(governors)
        reason = tr(lang, f"aucun siège de collectivité parmi {counted(k, 'acteur', 'acteurs')} dont le siège est "
                          "documenté : la composition complète des instances n'est pas connue",
                    f"no collectivité among {counted(k, 'actor', 'actors', 'en')} with a documented seat: the full "
                    "composition of the governing bodies is not known")
    else:
        in_gov = None
        reason = tr(lang, "aucun siège documenté dans la gouvernance du pôle ou de sa structure porteuse",
                    "no seat documented in the governance of the pôle or its structure porteuse")
    coll_members = sorted({r.source for r in ctx.relations if r.type == "membership" and r.target in anchor
                           and r.source in ctx.actors and ctx.actors[r.source].family == "collectivite"})
    forms = [LegalForm(id=ctx.pole.id, name=ctx.pole.name, role="pole", legal_form=ctx.pole.legal_form,
                       kind=ctx.pole.kind)]
    forms += [LegalForm(id=c, name=ctx.actors[c].name, role="structure_porteuse",
                        legal_form=ctx.actors[c].legal_form, kind=ctx.actors[c].kind)
              for c in ctx.by_name(ctx.carriers)]
    return Governance(n=len(governors), seats=seats, by_family=family_counts(governors.values(), lang),
                      collectivites_in_governance=in_gov, reason=reason,
                      collectivite_members=[actor_ref(ctx.actors[c], lang) for c in ctx.by_name(coll_members)],
                      legal_forms=forms)


def funding_ties(ctx: PoleContext) -> tuple[list[RelationView], int]:
    """``funds`` ties to the pôle or its structures porteuses that moved money, each once
    (the same funder, beneficiary, year, programme, nature and amount stated by two sources
    counts once), and how many were left out (requests, refusals, plans, internal transfers
    from the pôle or a structure porteuse).

    >>> from maillage.graph import open_store
    >>> from maillage.loaders import load_reference
    >>> s = open_store(":memory:"); _ = load_reference(s)
    >>> ties, left_out = funding_ties(pole_context(s, s.search("Périscope", family="pole")[0].id))
    >>> all(r.type == "funds" for r in ties)
    True
    """
    anchor = ctx.anchor()
    return granted(ctx.relations, anchor, anchor)


def granted(relations: Iterable[RelationView], to: set[str],
            not_from: set[str] = frozenset()) -> tuple[list[RelationView], int]:
    """The ``funds`` ties of ``relations`` to an actor of ``to`` that moved money, each once
    (as :func:`funding_ties`), and how many were left out: requests, refusals, plans, a
    funder's grants to itself, grants from an actor of ``not_from`` (internal transfers).
    A grant's year is its ``year`` field, else its dates. A funding tie that states no grant —
    no amount, programme, nature nor ``year``: a « Financeur » on a member list — is one tie
    per funder and beneficiary, whatever the years: a funder on the lists of 2024 and 2025 is
    one tie running from 2024 to 2025 (its earliest start to its latest end), not two.

    >>> granted([], {"a"})
    ([], 0)
    """
    out: dict[tuple, RelationView] = {}
    excluded = 0
    for r in relations:
        if r.type != "funds" or r.target not in to:
            continue
        if (r.source in not_from or r.source == r.target or r.fields.get("status") in NOT_GRANTED
                or r.provenance.certainty in NOT_DONE):
            excluded += 1
            continue
        f = r.fields
        if states_no_grant(r):  # a funder, no grant stated: one tie over its years
            key: tuple = (r.source, r.target)
            if key in out:
                out[key] = _spanning(out[key], r)
                continue
        else:
            year = f.get("year") if f.get("year") is not None else (year_of(r.start), year_of(r.end))
            key = (r.source, r.target, year, f.get("programme"), f.get("nature"), f.get("amount"))
            if key in out:
                continue
        out[key] = r
    return list(out.values()), excluded


def states_no_grant(r: RelationView) -> bool:
    """A ``funds`` tie with no amount, programme, nature nor ``year``: a funder named (a
    « Financeur » on a member list), no grant stated. Funding over the years counts it in each
    year of its span (:func:`~maillage.analytics.reports.funding_by_year`).

    >>> from maillage.graph.model import Provenance
    >>> named = RelationView(id="r", type="funds", source="f", target="p", provenance=Provenance(source="s"))
    >>> states_no_grant(named), states_no_grant(named.model_copy(update={"fields": {"amount": 5000}}))
    (True, False)
    """
    return all(r.fields.get(k) is None for k in ("amount", "programme", "nature", "year"))


def _spanning(a: RelationView, b: RelationView) -> RelationView:
    """``a`` over the years of ``a`` and ``b``: the earliest start and the latest end, an open
    end (None) staying open."""
    starts, ends = (a.start, b.start), (a.end, b.end)
    start = None if None in starts else min(starts, key=lambda d: (year_of(d), d))
    end = None if None in ends else max(ends, key=lambda d: (year_of(d), d))
    return a if (start, end) == (a.start, a.end) else a.model_copy(update={"start": start, "end": end})


def _funding(ctx: PoleContext, lang: str) -> Funding:
    ties, excluded = funding_ties(ctx)
    with_amount = [r for r in ties if r.fields.get("amount") is not None]
    basis = None if not ties else ("amount" if len(with_amount) == len(ties) else "count")
    per: dict[str, dict[str, Any]] = {}
    for r in ties:
        d = per.setdefault(r.source, {"ties": 0, "amount": None, "unknown": 0, "to": set()})
        d["ties"] += 1
        d["to"].add(r.target)
        amt = r.fields.get("amount")
        if amt is None:
            d["unknown"] += 1
        else:
            d["amount"] = (d["amount"] or 0.0) + float(amt)
    total_amount = sum(float(r.fields["amount"]) for r in with_amount) if with_amount else None
    weight = {f: (d["amount"] or 0.0) if basis == "amount" else float(d["ties"]) for f, d in per.items()}
    wsum = sum(weight.values())
    funders = []
    for fid, d in per.items():
        a = ctx.actors[fid]
        lvl = funder_level(a)
        funders.append(FunderShare(actor=actor_ref(a, lang), level=lvl, level_label=level_label(lvl, lang),
                                   public=a.family in PUBLIC_FAMILIES, ties=d["ties"], amount=d["amount"],
                                   amount_unknown=d["unknown"],
                                   share=weight[fid] / wsum if wsum else None,
                                   beneficiaries=sorted(d["to"])))
    funders.sort(key=lambda f: (-(f.share or 0), *alpha_key(f.actor.name)))
    order = level_order()
    levels: dict[str, dict[str, Any]] = {}
    for f in funders:
        d = levels.setdefault(f.level, {"funders": 0, "ties": 0, "amount": None, "w": 0.0})
        d["funders"] += 1
        d["ties"] += f.ties
        if f.amount is not None:
            d["amount"] = (d["amount"] or 0.0) + f.amount
        d["w"] += weight[f.actor.id]
    by_level = [LevelShare(level=lv, label=level_label(lv, lang), funders=d["funders"], ties=d["ties"],
                           amount=d["amount"], share=d["w"] / wsum if wsum else None)
                for lv, d in sorted(levels.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)]
    n_funders = len(funders)
    unknown = len(ties) - len(with_amount)
    basis_note = {"amount": tr(lang, "parts des montants", "shares of amounts"),
                  "count": tr(lang, f"{'montant inconnu' if unknown <= 1 else 'montants inconnus'} pour "
                                    f"{counted(unknown, 'financement', 'financements')} sur {fmt_number(len(ties))} : "
                                    "parts du nombre de financements",
                              f"{'amount' if unknown == 1 else 'amounts'} unknown for {fmt_number(unknown, 'en')} of "
                              f"{counted(len(ties), 'funding tie', 'funding ties', 'en')}: shares of the number of "
                              "funding ties")}.get(basis or "", None)
    if not ties:
        none = tr(lang, "aucun financement documenté pour le pôle ou sa structure porteuse",
                  "no funding documented for the pôle or its structure porteuse")
        hhi = Measure(n=0, unknown=none)
        largest = Measure(n=0, unknown=none)
        public = Measure(n=0, unknown=none)
        dep, top = None, None
    else:
        hhi = Measure(value=herfindahl(weight), n=n_funders, note=basis_note)
        top_f = funders[0]
        top = top_f.actor
        largest = Measure(value=top_f.share, n=n_funders, note=basis_note)
        public = Measure(value=sum(f.share or 0 for f in funders if f.public), n=len(ties), note=basis_note)
        dep = (top_f.share or 0) >= 0.5 if basis == "amount" else None
    return Funding(ties=len(ties), with_amount=len(with_amount), excluded=excluded, basis=basis,
                   total_amount=total_amount, funders=funders, by_level=by_level, hhi=hhi,
                   largest_share=largest, largest_funder=top, single_funder_dependency=dep,
                   public_share=public)


#: A kind of source (:func:`source_kind`) in words: one source, several, then the same in English.
SOURCE_WORDS: dict[str, tuple[str, str, str, str]] = {
    "members": ("la liste des membres", "les listes des membres", "the member list", "the member lists"),
    "subsidies": ("les subventions", "les subventions", "the grants", "the grants"),
    "kumu": ("le classeur Kumu", "les classeurs Kumu", "the Kumu workbook", "the Kumu workbooks"),
    "reference": ("les documents fondateurs", "les documents fondateurs", "the founding documents",
                  "the founding documents"),
}


def source_kind(source_id: str, fmt: str | None = None) -> str:
    """The kind of a source: ``subsidies`` for a file of
    :data:`~maillage.loaders.formats.subsidies.GRANT_FORMATS`, ``reference`` for the dataset of
    the founding documents, else the format. Read from the id, ``format:file``
    (:func:`maillage.loaders.load_file`), when it names a kind of :data:`SOURCE_WORDS` or a grant
    format; else from ``fmt``, the format of the source's record, for an id given with
    ``--source-id`` (« liste-2025 »); else the id's own (an id alone is its own kind).

    >>> source_kind("scdl:subventions.csv"), source_kind("members:membres.csv"), source_kind("reference:s000a")
    ('subsidies', 'members', 'reference')
    >>> source_kind("liste-2025", "members"), source_kind("liste-2025")
    ('members', 'liste-2025')
    """
    from maillage.loaders.formats.subsidies import GRANT_FORMATS

    def kind(f: str) -> str:
        return "subsidies" if f in GRANT_FORMATS else f

    said = kind(source_id.partition(":")[0])
    return said if said in SOURCE_WORDS or fmt is None else kind(fmt)


def sources_said(source_ids: Iterable[str], lang: str = "fr", sources: Mapping[str, Any] | None = None) -> str:
    """Where statements come from, in words: « d'après la liste des membres et les subventions »
    (English "from …"): the kinds of their sources (:func:`source_kind`, in
    :data:`SOURCE_WORDS`), another kind by its files' names
    (:func:`~maillage.analytics.report.source_name`). ``sources``: the store's source records
    by id, read once by the caller, for the ids that name no kind (``--source-id``).

    >>> sources_said(["scdl:region.csv", "members:m.csv", "ftm:ca.jsonl"], "en")
    'from the member list, the grants and ca.jsonl'
    """
    from .report import source_name  # report imports run, which imports this module lazily

    en, known = lang == "en", sources or {}
    by_kind: dict[str, set[str]] = {}
    for sid in source_ids:
        record = known.get(sid)
        by_kind.setdefault(source_kind(sid, getattr(record, "format", None)), set()).add(sid)
    parts = [SOURCE_WORDS[k][2 * en + (len(by_kind[k]) > 1)] for k in SOURCE_WORDS if k in by_kind]
    parts += sorted(source_name(known.get(sid, sid)) for k, ids in by_kind.items() if k not in SOURCE_WORDS
                    for sid in ids)
    said = listed(parts, "and" if en else "et")
    return f"from {said}" if en else f"d'après {said}"


def funder_role_label(ties: Iterable[RelationView], lang: str = "fr", sources: Mapping[str, Any] | None = None) -> str:
    """A collectivité's role when no source states it but it funds the pôle or its structure
    porteuse, saying where that comes from: the kinds of source of its grants
    (:func:`sources_said`; ``sources``: the store's records by id, for an id that names no kind).

    >>> from maillage.graph.model import Provenance
    >>> grant = lambda sid: RelationView(id=sid, type="funds", source="c", target="p", provenance=Provenance(source=sid))
    >>> funder_role_label([grant("members:membres_2025.xlsx")])
    "financeur (d'après la liste des membres)"
    >>> funder_role_label([grant("scdl:region.csv"), grant("members:m.csv"), grant("ftm:ca.jsonl")], "en")
    'funder (from the member list, the grants and ca.jsonl)'
    """
    said = sources_said((r.provenance.source for r in ties), lang, sources)
    return f"funder ({said})" if lang == "en" else f"financeur ({said})"


#: How a collectivité's tie to the pôle that expresses no RTES role (:func:`tie_roles`) reads in
#: its row of the roles (French, English): a ``membership`` with its tier (« membre (partenaire
#: associé) »: a member list's « partenaire »), a ``carries`` tie by its function.
TIE_WORDS = {"membership": ("membre", "member"), "partner": ("partenaire", "partner"),
             "cooperates": ("coopère avec le pôle", "cooperates with the pôle"),
             "carries": ("structure porteuse", "structure porteuse")}


def tie_words(r: RelationView, lang: str = "fr") -> str | None:
    """What a tie of :data:`TIE_WORDS` says of a collectivité's role, ``None`` for another type.

    >>> from maillage.graph.model import Provenance
    >>> tie_words(RelationView(id="r", type="membership", source="c", target="p",
    ...                        fields={"tier": "partenaire_associe"}, provenance=Provenance(source="s")))
    'membre (partenaire associé)'
    """
    words = TIE_WORDS.get(r.type)
    if words is None:
        return None
    spec = vocabulary().relation_type(r.type).fields
    if r.type == "carries" and r.fields.get("function"):
        return spec["function"].value_label(r.fields["function"], lang)
    tier = r.fields.get("tier") if r.type == "membership" else None
    text = words[1 if lang == "en" else 0]
    return f"{text} ({spec['tier'].value_label(tier, lang)})" if tier and tier != "membre" else text


def _collectivite_roles(ctx: PoleContext, lang: str, sources: Mapping[str, Any] | None = None
                        ) -> list[CollectiviteRoles]:
    """Each collectivité of S(P) (members and structures porteuses included) with the types of
    its ties to the pôle or a structure porteuse and the RTES roles they express; one that funds
    them (:func:`granted`) with no funding role stated gets :func:`funder_role_label` among its
    ``role_labels``, and its ties that express no RTES role their :func:`tie_words` (its
    ``roles`` stay the vocabulary's codes); ``sources``: the store's records by id
    (:func:`funder_role_label`)."""
    roles_voc = vocabulary().enum("collectivite_roles")
    anchor = ctx.anchor()
    out = []
    for aid in ctx.wide_circle():
        a = ctx.actors[aid]
        if a.family != "collectivite":
            continue
        ties = [r for r in ctx.relations if r.type != "related" and r.source != r.target
                and ((r.source == aid and r.target in anchor) or (r.target == aid and r.source in anchor))]
        own = [r for r in ties if r.source == aid]
        roles = sorted({role for r in own for role in tie_roles(r)}, key=list(roles_voc).index)
        labels = [roles_voc[x].label(lang) for x in roles]
        grants, _ = granted(own, anchor)
        if grants and not any(tie_roles(r) for r in grants):
            # every statement of a grant, each source said (granted keeps one statement of a grant)
            labels.append(funder_role_label([r for r in own if granted([r], anchor)[0]], lang, sources))
        labels += sorted({w for r in own if not tie_roles(r) and (w := tie_words(r, lang))})
        lvl = funder_level(a)
        out.append(CollectiviteRoles(actor=actor_ref(a, lang), level=lvl, level_label=level_label(lvl, lang),
                                     types=sorted({r.type for r in ties}), roles=roles, role_labels=labels))
    order = level_order()
    out.sort(key=lambda c: (order.index(c.level) if c.level in order else 99, *alpha_key(c.actor.name)))
    return out


def _caveats(ctx: PoleContext, lang: str, internal: InternalTies) -> list[str]:
    out = []
    if ctx.pole.placeholder:
        out.append(tr(lang, "Pôle mentionné sans être nommé", "Pôle mentioned without a name"))
    declared = ctx.declared_members
    if declared and ctx.member_units < declared:
        out.append(tr(lang, f"{counted(ctx.member_units, 'membre listé', 'membres listés')} pour "
                            f"{counted(declared, 'déclaré', 'déclarés')} : les figures de composition décrivent les "
                            "membres documentés, pas le pôle entier",
                      f"{counted(ctx.member_units, 'member', 'members', 'en')} listed for {fmt_number(declared, 'en')} "
                      "declared: composition figures describe the documented members, not the whole pôle"))
    elif not declared and ctx.member_units == 0:
        out.append(tr(lang, "Aucun membre documenté et aucune taille déclarée",
                      "No member documented and no size declared"))
    if ctx.core_units >= 2 and internal.ties == 0:
        out.append(tr(lang, "Aucun lien direct entre membres documenté : la coopération interne est inconnue",
                      "No direct tie between members documented: internal cooperation is unknown"))
    if ctx.planned:
        out.append(tr(lang, counted(ctx.planned, "lien seulement prévu ou annoncé, non compté",
                                    "liens seulement prévus ou annoncés, non comptés"),
                      counted(ctx.planned, "tie only planned or announced, not counted",
                              "ties only planned or announced, not counted", "en")))
    undated = undated_members(ctx)
    if ctx.as_of is not None and undated:
        k, y = len(undated), ctx.as_of
        out.append(tr(lang, f"{k} adhésion sans date, comptée en {y} sans savoir si elle était en cours cette année-là"
                      if k == 1 else
                      f"{k} adhésions sans date, comptées en {y} sans savoir si elles étaient en cours cette année-là",
                      f"{k} undated membership{'' if k == 1 else 's'}, counted in {y} without knowing whether "
                      f"{'it was' if k == 1 else 'they were'} current that year"))
    return out


def undated_members(ctx: PoleContext) -> list[str]:
    """The members none of whose ``membership`` statements has a date (start, end or year):
    a diagnostic as of a year counts them that year as every other year (an undated fact is
    present every year, :mod:`maillage.analytics.evolution`), hence a caveat.

    >>> from maillage.graph.model import Provenance
    >>> pole = ActorView(id="p", name="Pôle", family="pole")
    >>> rels = [RelationView(id="r1", type="membership", source="a", target="p", provenance=Provenance(source="s")),
    ...         RelationView(id="r2", type="membership", source="b", target="p", start="2015",
    ...                      provenance=Provenance(source="s"))]
    >>> ctx = PoleContext(pole=pole, as_of=2016, actors={}, relations=rels,
    ...                   members={"a": rels[:1], "b": rels[1:]})
    >>> undated_members(ctx)
    ['a']
    """
    from .territory import is_dated  # territory imports this module

    return sorted(m for m, statements in ctx.members.items() if not any(is_dated(r) for r in statements))


def perimeter_note(read: str | None, lang: str = "fr") -> str:
    """What a pôle's identity says beside its perimeter: that it was read approximately, when
    every reading it comes from is (an area the geography does not know read as the territory
    around it: geography/perimeters.py, graph/merge.py); else nothing.

    >>> perimeter_note("approximate"), perimeter_note("approximate", "en"), perimeter_note("exact")
    ('lu approximativement', 'read approximately', '')
    """
    return tr(lang, "lu approximativement", "read approximately") if read == "approximate" else ""


def pole_diagnostic(store: Store, pole_id: str, as_of: int | None = None, lang: str = "fr") -> PoleDiagnostic:
    """The one-page diagnostic of a pôle, as of a year (all years when ``as_of`` is None).

    Identity (kind, phase, founding year, perimeter); size (named members, unnamed ones,
    groups of N, declared size and how much of it is listed); composition of M(P) (members and
    structures porteuses) by art. 9 family with Blau's heterogeneity index 1 − Σ p_k² (Blau
    1977) and its normalisation by 1 − 1/K (IQV, Agresti & Agresti 1978; K = the vocabulary's
    non-personal families); the internal graph of direct cooperation ties among M(P) — density,
    Freeman degree centralisation (Freeman 1979), Krackhardt–Stern E-I index over families
    (Krackhardt & Stern 1988, *Social Psychology Quarterly* 51(2)) and share of cross-family ties,
    members without an internal tie; the three cooperation forms documented on ``cooperates``
    ties (project mutualisation flagged as the maturity marker, seed 001 L494-508); governance
    (seats by family, collectivités in governance, legal forms); funding of the pôle and its
    structure(s) porteuse(s) by funder and collectivité level, Herfindahl–Hirschman
    concentration, single-funder dependency (largest share ≥ 0.5) and public share; the RTES
    roles each collectivité plays. Every figure carries its sample size; where the data cannot
    support it the value is ``None`` with the reason.

    >>> from maillage.graph import open_store
    >>> from maillage.loaders import load_reference
    >>> store = open_store(":memory:"); _ = load_reference(store)
    >>> d = pole_diagnostic(store, "le-damier-193c5d")
    >>> d.size.declared_members, d.size.member_units, d.blau.value is None
    (40.0, 0, True)
    """
    ctx = pole_context(store, pole_id, as_of=as_of)
    return diagnostic_of(ctx, lang=lang)


def diagnostic_of(ctx: PoleContext, lang: str = "fr", sources: Mapping[str, Any] | None = None) -> PoleDiagnostic:
    """:func:`pole_diagnostic` of an already read :class:`PoleContext` (for callers that
    also evaluate the criteria on it); the definitions are those of :func:`pole_diagnostic`.
    ``sources``: the store's source records by id, read once by a report, so that a funder's
    role names a source loaded with ``--source-id`` by its kind (:func:`funder_role_label`).

    >>> from maillage.graph import open_store
    >>> from maillage.loaders import load_reference
    >>> s = open_store(":memory:"); _ = load_reference(s)
    >>> pid = s.search("Périscope", family="pole")[0].id
    >>> diagnostic_of(pole_context(s, pid)).name
    'Le Périscope'
    """
    voc = vocabulary()
    pole = ctx.pole
    info = pole.pole
    phases = voc.enum("phases")
    phase = info.phase if info else None
    blau, iqv, k = _heterogeneity(ctx, lang)
    internal = _internal(ctx, lang)
    composition = family_counts([ctx.actors[a] for a in ctx.core], lang)
    perimeter = list(info.perimeter) if info else []
    return PoleDiagnostic(
        id=pole.id, name=pole.name, kind=pole.kind,
        kind_label=voc.family("pole").kinds[pole.kind].label(lang) if pole.kind else "",
        phase=phase, phase_label=phases[phase].label(lang) if phase in phases else "",
        founding_year=info.founding_year if info else None,
        perimeter=perimeter, perimeter_labels=[location_label(p) for p in perimeter],
        perimeter_text=info.perimeter_text if info else None,
        perimeter_read=info.perimeter_read if info else None,
        perimeter_note=perimeter_note(info.perimeter_read if info else None, lang),
        location=pole.location, location_label=location_label(pole.location),
        labels=list(info.labels) if info else [], legal_form=pole.legal_form, placeholder=pole.placeholder,
        as_of=ctx.as_of, lang=lang,
        carriers=[actor_ref(ctx.actors[c], lang) for c in ctx.by_name(ctx.carriers)],
        members=[actor_ref(ctx.actors[m], lang) for m in ctx.by_name(ctx.members)],
        size=_size(ctx, lang), composition=composition, composition_n=ctx.core_units,
        families_present=len(composition), blau=blau, iqv=iqv, iqv_k=k, internal=internal,
        cooperation=cooperation_forms(ctx, lang), governance=_governance(ctx, lang), funding=_funding(ctx, lang),
        collectivites=_collectivite_roles(ctx, lang, sources), caveats=_caveats(ctx, lang, internal),
        sources=ctx.sources(),
    )


def median(values: Iterable[float]) -> float | None:
    """The median, or ``None`` for no values.

    >>> median([3, 1, 2]), median([])
    (2.0, None)
    """
    vals = list(values)
    return float(statistics.median(vals)) if vals else None


__all__ = ["pole_diagnostic", "diagnostic_of", "pole_context", "PoleContext", "PoleDiagnostic", "Measure",
           "blau_index", "qualitative_variation", "herfindahl", "degree_centralisation", "ei_index",
           "ei_counts", "funder_level", "level_label", "tie_roles", "cooperation_form", "funding_ties", "granted",
           "is_ess", "units", "actor_ref", "family_counts", "thin_reason", "tr", "fmt_number", "median",
           "MATURITY_FORM", "PUBLIC_FAMILIES"]
