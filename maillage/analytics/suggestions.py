"""Partner suggestions for the animators of a pôle or a territory: pairs of actors that
are not tied yet and could be, ranked by a documented score, each with its explanation.

A suggestion is **never a fact**: every item carries ``is_suggestion=True`` and its French
explanation says so. It is a lead for an animator to check with the actors.

**Score** of a candidate pair :math:`(u, v)` in the cooperation lens (as of a year):

.. math::

   s(u, v) = 0.35\\,\\frac{CN}{1 + CN} + 0.35\\,\\frac{AA}{1 + AA} + 0.15\\,C + 0.15\\,T

- :math:`CN = |N(u) \\cap N(v)|`, the number of common partners (Newman, M. E. J. (2001).
  Clustering and preferential attachment in growing networks. *Phys. Rev. E* 64, 025102);
- :math:`AA = \\sum_{z \\in N(u) \\cap N(v)} 1 / \\ln |N(z)|`, the Adamic–Adar index: a
  common partner counts more when it has few partners (Adamic, L. A., Adar, E. (2003).
  Friends and neighbors on the Web. *Social Networks* 25(3), 211–230; as a link
  predictor: Liben-Nowell, D., Kleinberg, J. (2007). The link-prediction problem for
  social networks. *JASIST* 58(7), 1019–1031);
- :math:`C` (complementarity): 1 when the two actors belong to different actor families
  (art. 9 of the 2014 ESS law: a PTCE joins *different* families), 0.5 when they share a
  family but their NAF divisions (first two digits of the activity code) differ, 0
  otherwise, and 0 when a family is unknown (« Autre »);
- :math:`T` (same territory): 1 in the same commune, 0.75 in the same EPCI, 0.5 in the same
  département, 0.25 in the same région, 0 otherwise or when a location is unknown (a
  neighbour in the same commune ranks above one elsewhere in the EPCI).

:math:`x / (1 + x)` maps CN and AA to [0, 1) without depending on the other candidates, so
a pair's score does not change when unrelated actors are added. The structural part weighs
0.7: a pair with no common partner (a same-territory, complementary pair) scores at most
0.3, below any pair with a common partner that has few partners.

**Candidates**: pairs at distance two in the cooperation graph (at least one common
partner) or in the same commune or EPCI. For a pôle, only pairs with an end in the pôle
or in M(P), its members and structures porteuses (:func:`~maillage.analytics.poles.pole_context`):
the pôle ↔ a possible new member, a member ↔ an actor outside the pôle it could cooperate
with (these first, whatever their score), then two members. Whatever the focus, a pair
whose common partners are all pôles both belong to (as members or structures porteuses) is
not suggested: they already share the pôle; two co-members with another common partner are,
their explanation saying they share the pôle. Never suggested: a pair already tied by *any*
relation of *any* year or type (funding, governance… included); natural persons (never in
the graph, never a common partner); unnamed placeholders (nobody to contact); events and
programmes (:data:`NOT_PARTNER_KINDS`: one does not partner with a seminar, though two
actors who took part in it share it as a common partner).

**Caveats**: common partners and Adamic–Adar only see the ties the sources document: a
thinly documented actor gets few suggestions, and two members of a large pôle share it as
a common partner of low weight (:math:`1/\\ln` of its size). Complementarity and territory
are coarse. The weights are a choice, stated here, not estimated from data.

>>> from maillage.graph import open_store
>>> suggest_partners(open_store(":memory:")).size
0
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

import networkx as nx
from pydantic import BaseModel, Field

from maillage.graph.model import ActorView
from maillage.graph.names import alpha_key
from maillage.graph.projection import project, to_graph
from maillage.graph.store import NotFound, Store, StoreError
from maillage.graph.vocabulary import vocabulary

from .lenses import ties_of
from .run import location_label
from .territory import POLE_TIE_TYPES, Listing, Ref, listing, territory_name

#: Weights of the score (module docstring).
WEIGHTS = {"common_neighbours": 0.35, "adamic_adar": 0.35, "complementarity": 0.15, "territory": 0.15}

#: Kinds of actors one cannot partner with (an event, a call for projects): never suggested,
#: though they count as common partners (two actors who took part in the same event).
NOT_PARTNER_KINDS = ("evenement", "programme")

#: Territory closeness by the finest level two actors share.
TERRITORY_LEVELS = {"commune": 1.0, "epci": 0.75, "departement": 0.5, "region": 0.25}


class SuggestedTie(BaseModel):
    """A possible tie between two actors that are not tied: a suggestion, not a fact."""

    rank: int
    source: Ref
    target: Ref
    score: float
    common_neighbours: int
    adamic_adar: float
    complementarity: float
    territory: float
    common_partners: Listing[Ref]
    shared_poles: list[Ref] = Field(default_factory=list,
                                    description="Pôles both belong to (members or structures porteuses)")
    shared_territory: str | None = None
    shared_territory_label: str = ""
    complementarity_reason: str = ""
    explanation: str
    is_suggestion: bool = Field(True, description="Always True: a lead to check, never a stated tie")


class PartnerSuggestions(BaseModel):
    """What :func:`suggest_partners` returns: the best ``k`` of ``considered`` candidates."""

    focus: str = Field(description="actor | pole | territory | all")
    focus_id: str | None = None
    territory: str | None = None
    as_of: int | None = None
    k: int
    considered: int
    size: int
    items: list[SuggestedTie]
    weights: dict[str, float]
    note: str


# ---------------------------------------------------------------------------------------------
# components of the score

def adamic_adar(G: nx.Graph, u: str, v: str) -> tuple[list[str], float]:
    """Common neighbours of ``u`` and ``v`` and their Adamic–Adar index
    :math:`\\sum_{z \\in N(u) \\cap N(v)} 1/\\ln |N(z)|` (Adamic & Adar 2003, *Social
    Networks* 25(3), 211–230). A common neighbour has at least two neighbours, so the
    logarithm is positive.

    >>> adamic_adar(nx.path_graph(3), 0, 2)
    ([1], 1.4426950408889634)
    """
    common = sorted(set(G[u]) & set(G[v]) - {u, v}, key=str)
    return common, sum(1.0 / math.log(G.degree(z)) for z in common)


def _naf_division(a: ActorView) -> str | None:
    naf = (a.attributes or {}).get("naf")
    digits = "".join(ch for ch in str(naf or "") if ch.isdigit())
    return digits[:2] if len(digits) >= 2 else None


#: The family of an actor whose sources do not say what it is (« Autre »).
UNKNOWN_FAMILY = "other"


def complementarity(a: ActorView, b: ActorView, lang: str = "fr") -> tuple[float, str]:
    """1 for different actor families, 0.5 for the same family but different NAF
    divisions, else 0 — and 0 when either family is unknown (:data:`UNKNOWN_FAMILY`: a grant
    file's bénéficiaire is « Autre » until a SIRENE extract says more); with the reason in words.

    >>> from maillage.graph.model import ActorView
    >>> complementarity(ActorView(id="a", name="A", family="ess"),
    ...                 ActorView(id="b", name="B", family="research"))[0]
    1.0
    """
    voc = vocabulary()
    fa, fb = voc.family(a.family).label(lang), voc.family(b.family).label(lang)
    if UNKNOWN_FAMILY in (a.family, b.family):
        return 0.0, ""  # « Autre »: what the actor is is not known, so neither is what it adds
    if a.family != b.family:
        return 1.0, (f"familles d'acteurs complémentaires ({fa} / {fb})" if lang != "en"
                     else f"complementary actor families ({fa} / {fb})")
    na, nb = _naf_division(a), _naf_division(b)
    if na and nb and na != nb:
        return 0.5, (f"même famille ({fa}) mais activités différentes (NAF {na} / {nb})" if lang != "en"
                     else f"same family ({fa}) but different activities (NAF {na} / {nb})")
    return 0.0, ""


def _chain(a: ActorView) -> dict[str, str]:
    from maillage.graph.store import territory_rollup

    place = a.location or a.territory
    out = {}
    for t in territory_rollup(place) if place else []:
        level = t.split(":", 1)[0]
        out.setdefault(level, t)
    return out


def territory_closeness(ca: dict[str, str], cb: dict[str, str]) -> tuple[float, str | None]:
    """Closeness of two rollups (``{level: territory id}``): 1 same commune, 0.75 same EPCI,
    0.5 same département, 0.25 same région, else 0; with the finest shared territory.

    >>> territory_closeness({"commune": "commune:1", "departement": "departement:31"},
    ...                     {"commune": "commune:2", "departement": "departement:31"})
    (0.5, 'departement:31')
    """
    for level, value in TERRITORY_LEVELS.items():
        if level in ca and ca[level] == cb.get(level):
            return value, ca[level]
    return 0.0, None


def score(cn: int, aa: float, comp: float, terr: float) -> float:
    """The suggestion score of the module docstring.

    >>> round(score(1, 1 / math.log(2), 1.0, 1.0), 4)
    0.6817
    """
    w = WEIGHTS
    return (w["common_neighbours"] * cn / (1 + cn) + w["adamic_adar"] * aa / (1 + aa)
            + w["complementarity"] * comp + w["territory"] * terr)


# ---------------------------------------------------------------------------------------------
# suggestions

def _names(refs: list[Ref], lang: str, most: int = 5) -> str:
    shown = ", ".join(r.name for r in refs[:most])
    rest = len(refs) - most
    if rest > 0:
        shown += f" et {rest} autre{'s' if rest > 1 else ''}" if lang != "en" else f" and {rest} more"
    return shown


def _explain(u: ActorView, v: ActorView, common: list[Ref], aa: float, comp_reason: str,
             terr: float, shared: str | None, lang: str, poles: list[Ref] = ()) -> str:
    fr = lang != "en"
    parts = []
    if common:
        n = len(common)
        aa_fr = f"{aa:.2f}".replace(".", ",")
        plural = "s" if n > 1 else ""
        parts.append(f"{n} partenaire{plural} en commun : {_names(common, lang)} (indice d'Adamic–Adar {aa_fr})"
                     if fr else f"{n} common partner{plural}: {_names(common, lang)} (Adamic–Adar index {aa:.2f})")
    if comp_reason:
        parts.append(comp_reason)
    if shared:
        parts.append(shared_text(shared, lang))
    return _intro(u.name, v.name, lang, [p.name for p in poles]) + (" ; " if fr else "; ").join(parts) + "."


def shared_text(shared: str, lang: str = "fr") -> str:
    """The territory two actors share, in words.

    >>> shared_text("commune:31446")
    'même commune : Ramonville-Saint-Agne (31)'
    """
    level = shared.split(":", 1)[0]
    where = {"commune": "même commune", "epci": "même intercommunalité", "departement": "même département",
             "region": "même région"} if lang != "en" else {"commune": "same municipality", "epci": "same EPCI",
                                                             "departement": "same département", "region": "same region"}
    return (f"{where.get(level, level)} : {location_label(shared)}" if lang != "en"
            else f"{where.get(level, level)}: {location_label(shared)}")


def _intro(u: str, v: str, lang: str, poles: Sequence[str] = ()) -> str:
    """How every explanation starts (it stands alone in the API): the caveat and « no known
    tie » — or, for two actors of the same ``poles``, that they share it and nothing else known."""
    if poles:
        if lang != "en":
            which = (f"le pôle {poles[0]}" if len(poles) == 1
                     else "les pôles " + ", ".join(poles[:-1]) + f" et {poles[-1]}")
            return (f"Suggestion à vérifier, pas un lien établi : {u} et {v} sont tous deux dans {which}, "
                    "sans autre relation connue entre eux ; ")
        which = (f"the pôle {poles[0]}" if len(poles) == 1
                 else "the pôles " + ", ".join(poles[:-1]) + f" and {poles[-1]}")
        return (f"A suggestion to check, not an established tie: {u} and {v} are both in {which}, "
                "with no other known tie between them; ")
    if lang != "en":
        return f"Suggestion à vérifier, pas un lien établi : {u} et {v} ne sont liés par aucune relation connue ; "
    return f"A suggestion to check, not an established tie: {u} and {v} have no known tie; "


def why(item: SuggestedTie, lang: str = "fr") -> str:
    """A suggestion's explanation without its caveat and « no known tie » opening, for a list
    that says them once above its rows: « 1 partenaire en commun : … ; même commune : … ».

    >>> r = Ref(id="a", name="A", family="ess", family_label="ESS")
    >>> t = SuggestedTie(rank=1, source=r, target=r, score=0.5, common_neighbours=0, adamic_adar=0.0,
    ...                  complementarity=0.0, territory=1.0, common_partners=listing([]),
    ...                  explanation=_intro("A", "A", "fr") + "même commune : Foix (09).")
    >>> why(t)
    'Même commune : Foix (09).'
    """
    intro = _intro(item.source.name, item.target.name, lang, [p.name for p in item.shared_poles])
    rest = item.explanation[len(intro):] if item.explanation.startswith(intro) else item.explanation
    return rest[:1].upper() + rest[1:]


def suggest_partners(store: Store, actor_id: str | None = None, pole: str | None = None,
                     territory: str | None = None, k: int = 10, as_of: int | None = None,
                     graph: nx.Graph | None = None, lang: str = "fr",
                     exclude_families: Sequence[str] = ()) -> PartnerSuggestions:
    """Up to ``k`` suggested ties, best first (score of the module docstring).

    Focus: ``actor_id`` (its possible partners), else ``pole`` (ties for the pôle and its
    members and structures porteuses: new members for the pôle, outside partners for a
    member — listed first —, then pairs of members; never a pair whose only common partner
    is the pôle), else
    ``territory`` (ties between actors located there), else the whole store. With
    ``actor_id`` or ``pole``, ``territory`` keeps candidates located there. ``graph`` is the
    cooperation graph to use (:func:`~maillage.graph.projection.to_graph` of the ties of
    ``project(store, "cooperation", as_of)``: no planned statement,
    :func:`~maillage.analytics.lenses.ties_of`), built when not given. Pairs tied by any
    stored relation (any type, any year), natural persons and unnamed placeholders are never
    suggested. ``exclude_families`` leaves out candidates of these families (the focus
    itself aside): the territory report's leads leave out collectivités and public bodies.
    Each item carries its French explanation and ``is_suggestion=True``.

    References: Adamic & Adar (2003), *Social Networks* 25(3), 211–230; Liben-Nowell &
    Kleinberg (2007), *JASIST* 58(7), 1019–1031.

    >>> from maillage.graph import open_store
    >>> suggest_partners(open_store(":memory:"), territory="departement:31", k=3).items
    []
    """
    if k < 1:
        raise ValueError("k must be ≥ 1")
    G = graph if graph is not None else to_graph(ties_of(project(store, lens="cooperation", as_of=as_of)))
    persons = {n for n, d in G.nodes(data=True) if d.get("personal_data") or d.get("family") == "person"}
    if persons:
        G = G.subgraph(set(G) - persons).copy()
    restrict = None
    if territory is not None:
        territory_name(territory)  # checks the id
        restrict = set(store.actors_in_territory(territory))
    if actor_id is not None:
        a = store.get_actor(actor_id)
        if a is None or a.personal_data:
            raise NotFound(f"no actor {actor_id!r} (natural persons are never suggested)")
        focus_kind, focus_id, focus = "actor", actor_id, {actor_id}
    elif pole is not None:
        p = store.get_actor(pole)
        if p is None:
            raise NotFound(f"no actor {pole!r}")
        if p.family != "pole":
            raise StoreError(f"{pole!r} is a {p.family}, not a pôle")
        from .poles import pole_context

        focus_kind, focus_id = "pole", pole
        focus = {pole, *pole_context(store, pole, as_of=as_of).core}
    elif territory is not None:
        focus_kind, focus_id, focus = "territory", territory, set(restrict)
    else:
        focus_kind, focus_id, focus = "all", None, set(G)
    actors = {k_: v for k_, v in store.get_actors(set(G) | focus).items() if not v.personal_data}
    eligible = {a for a, v in actors.items() if not v.placeholder and v.kind not in NOT_PARTNER_KINDS}
    for a in list(focus):
        if a not in G and a in actors:
            G.add_node(a)
    tied: set[frozenset] = set()
    touching = None if focus_kind == "all" else focus
    for r in store.relations(touching=touching):
        tied.add(frozenset((r.source, r.target)))
    chains = {a: _chain(v) for a, v in actors.items()}
    # for one actor in no pôle, no pair can share one: the whole store's memberships are not read
    belongs = _pole_belonging(store, as_of, [actor_id] if focus_kind == "actor" else None)
    if focus_kind == "actor" and belongs.get(actor_id):
        belongs = _pole_belonging(store, as_of)
    local: dict[str, set[str]] = defaultdict(set)
    for a in eligible:
        key = chains[a].get("epci") or chains[a].get("commune")
        if key:
            local[key].add(a)

    def candidates(u: str) -> Iterable[str]:
        near = {w for z in G[u] for w in G[z]} if u in G else set()
        key = chains.get(u, {}).get("epci") or chains.get(u, {}).get("commune")
        if key:
            near |= local[key]
        return near

    voc = vocabulary()

    def ref(aid: str) -> Ref:
        a = actors[aid]
        return Ref(id=aid, name=a.name, family=a.family, family_label=voc.family(a.family).label(lang))

    seen: set[frozenset] = set()
    heap: list[tuple] = []
    considered = 0
    for u in sorted(focus & eligible):
        for v in candidates(u):
            pair = frozenset((u, v))
            if v == u or v not in eligible or pair in seen or pair in tied:
                continue
            if actors[v].family in exclude_families and v not in focus:
                continue
            if restrict is not None and v not in restrict:
                continue
            seen.add(pair)
            common, aa = adamic_adar(G, u, v) if u in G and v in G else ([], 0.0)
            if (focus_kind == "pole" and common == [pole]) or (
                    common and set(common) <= belongs.get(u, set()) & belongs.get(v, set())):
                continue  # two actors that only share their pôle(s) already share it: not a lead
            considered += 1
            comp, _ = complementarity(actors[u], actors[v], lang)
            terr, _ = territory_closeness(chains[u], chains[v])
            s = score(len(common), aa, comp, terr)
            # for a pôle, pairs with an actor outside it come first, the pôle's end named first
            inner = focus_kind == "pole" and v in focus
            a, b = (u, v) if focus_kind == "actor" or (focus_kind == "pole" and not inner) or u < v else (v, u)
            item = (inner, -s, -len(common), alpha_key(actors[a].name), alpha_key(actors[b].name), a, b)
            if len(heap) < k:
                heapq.heappush(heap, _Neg(item))
            elif _Neg(item) > heap[0]:
                heapq.heapreplace(heap, _Neg(item))
    best = sorted((h.item for h in heap))
    items = []
    for rank, (_, neg_s, _, _, _, a, b) in enumerate(best, start=1):
        common, aa = adamic_adar(G, a, b) if a in G and b in G else ([], 0.0)
        common_refs = sorted((ref(z) for z in common if z in actors), key=lambda r: (*alpha_key(r.name), r.id))
        comp, comp_reason = complementarity(actors[a], actors[b], lang)
        terr, shared = territory_closeness(chains[a], chains[b])
        both = belongs.get(a, set()) & belongs.get(b, set())
        pole_refs = sorted((ref(z) for z in both if z in actors), key=lambda r: (*alpha_key(r.name), r.id))
        items.append(SuggestedTie(
            rank=rank, source=ref(a), target=ref(b), score=-neg_s, common_neighbours=len(common),
            adamic_adar=aa, complementarity=comp, territory=terr, common_partners=listing(common_refs),
            shared_poles=pole_refs, shared_territory=shared, shared_territory_label=location_label(shared),
            complementarity_reason=comp_reason,
            explanation=_explain(actors[a], actors[b], common_refs, aa, comp_reason, terr, shared, lang,
                                 pole_refs)))
    note = ("Suggestions calculées à partir des liens documentés : des pistes à vérifier auprès des acteurs, "
            "jamais des faits." if lang != "en" else
            "Suggestions computed from the documented ties: leads to check with the actors, never facts.")
    return PartnerSuggestions(focus=focus_kind, focus_id=focus_id, territory=territory, as_of=as_of, k=k,
                              considered=considered, size=len(items), items=items, weights=dict(WEIGHTS), note=note)


def _pole_belonging(store: Store, as_of: int | None, touching: list[str] | None = None) -> dict[str, set[str]]:
    """``{actor: the pôles it is a member or structure porteuse of}`` in ``as_of`` (of the
    relations ``touching`` these actors when given)."""
    rels = [r for r in store.relations(touching=touching, types=list(POLE_TIE_TYPES), as_of=as_of)
            if r.source != r.target]
    poles = {p for p, a in store.get_actors({r.target for r in rels}).items() if a.family == "pole"}
    out: dict[str, set[str]] = defaultdict(set)
    for r in rels:
        if r.target in poles:
            out[r.source].add(r.target)
    return out


class _Neg:
    """Reverses the order of a sort key, so a min-heap keeps the ``k`` best items."""

    __slots__ = ("item",)

    def __init__(self, item: tuple):
        self.item = item

    def __lt__(self, other: _Neg) -> bool:
        return self.item > other.item

    def __gt__(self, other: _Neg) -> bool:
        return self.item < other.item


__all__ = ["suggest_partners", "PartnerSuggestions", "SuggestedTie", "adamic_adar", "complementarity",
           "territory_closeness", "shared_text", "score", "WEIGHTS", "TERRITORY_LEVELS", "NOT_PARTNER_KINDS"]
