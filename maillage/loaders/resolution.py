"""Entity resolution: which canonical actor does each statement describe?

Rules, tried in order for each actor statement of a source (brief §3); the first that
decides wins:

0. **review** — a reviewer's decision recorded in the store (:class:`~maillage.graph.store.Decision`):
   a detached statement keeps its own actor, an accepted merge is re-applied (rule
   ``accepted``), a rejected candidate is never merged nor proposed again.
1. **identifier** — same SIREN (a SIRET rolls up to its SIREN: ``SIRET[:9]``) or same RNA:
   same actor (1.0). A statement carrying both an RNA and a SIREN (as SIRENE's
   ``identifiantAssociationUniteLegale`` gives) links them, so a later statement with either
   finds that actor. Two different SIRENs never merge, whatever else matches (a match on
   the RNA alone with a SIREN clash is not a merge). Two placed actors with the same name
   key in compatible places but such different identifiers are *proposed* for review.
   A file's own id of a row (key ``id:…``) that is the id of an actor of this store with the
   same name key, compatible family, kind and place, is that actor (1.0, matched ``id:…``):
   maillage's own export read back into the store that made it (a placeholder, « les CCAS »,
   is never merged on its name alone). The name must agree: an id may be another store's.
   The same key in another source that reads the same document (the same sha256 among both
   headers' ``documents``: two extractions of one document) is the same actor too (1.0,
   matched ``key:…``), when either side is a placeholder or their names share a word of their
   own (as rule 6 asks); otherwise only proposed: each extraction may number its own rows.
2. **territory** — two collectivités of the same kind administering the same territory
   (e.g. ``region:76``) are the same actor (1.0).
3. **name** — same :func:`~maillage.graph.names.name_key` on a name, an alias or one of their
   :func:`~maillage.graph.names.name_forms`, compatible family, kind and place (1.0). When
   several actors share the key, the one in the same place wins; if that does not decide,
   nothing is merged and a proposal is logged; so when several keys of one source match the same
   actor (:meth:`Resolver._homonyms`: the same actors whatever the load order). A natural person
   only other sources name is merged by name only with corroboration (see *Natural persons*
   below). Another key of a source whose keys tell its entities apart (``distinct_keys``:
   FollowTheMoney ids) is only proposed.
4. **core name** — same :func:`~maillage.graph.names.core_key` (legal forms, the family's
   generic words and small words dropped: "PTCE Le Damier" = "Le Damier", "Conseil régional
   Rhône-Alpes" = "Région Rhône-Alpes"), compatible family, kind and place (0.95). Only
   proposed when either side is a placeholder, when parenthesised qualifiers disagree
   ("(Ramonville)" / "(Pays de Bray)"), when one side is placed and a place the other's name
   gives in parentheses is not compatible with it (« Résam » of Ramonville-Saint-Agne, « Résam
   (Réseau … du Pays de Morlaix) »: :meth:`Resolver._named_place_differs`; in rule 3 too),
   or when the same source already describes that actor
   under another key (a source that lists two keys means two actors) — on the same list: the
   sheets of a workbook of a sheet per year are lists of their own (``lists``), and a member
   renamed from one year to the next (« Association Vélo Solidaire » on 2024's sheet, « Vélo
   Solidaire Association » on 2025's) is merged as it is across two files.
5. **fuzzy** — token-sorted similarity of core names (rapidfuzz), compatible family, kind and
   place: merged at or above ``merge_threshold`` (default 0.92), *proposed for review*
   between ``review_threshold`` (0.80) and it. A fuzzy merge needs both sides placed (in
   compatible places): a similar name alone is weak evidence. Natural persons and placeholders
   are never merged on a fuzzy match, only proposed; nor is an actor the same source describes
   under another key.

6. **structure porteuse** — a pôle no rule above found, that its source says is carried
   (``carries``) by an actor now resolved to ``P``, is the pôle *other* sources say ``P``
   carries, when there is exactly one such pôle and it is compatible (family, place), not
   another key of this source, and their names share a word of their own (0.95): the
   Éco-domaine « en Pays d'Auge » (000 L260-266) and « de Bouquetot » (001 L301, L1046-1048),
   both carried by the association Ecopya. Without such a word, only proposed: a structure
   porteuse may carry a second pôle. A source's
   pôles carried by one of its actors are resolved after its other organisations, so that the
   porteur is resolved first.

*Natural persons* (family ``person``): « Marie Martin » of one pôle's board and « Marie Martin »
of another pôle's list may be two people, and one actor would be a false bridge between the
pôles. So a name or core-name match of a person with an actor only *other* sources describe
merges when something else corroborates it (:meth:`Resolver._corroborated`): a neighbour in
common — an actor this statement is tied to in its source (resolved first: persons are
resolved after the other actors) that other sources tie to the candidate, a pôle and its
structure porteuse counting as one — or a document in common (the same sha256 among the
sources' ``documents``: two extractions of one document). Otherwise the match is proposed. Within one source a person
named twice is one person, as before; an identifier (rule 1) or a reviewer (rule 0) still
merges.

*Compatible family*: equal, or one of the pairs a document may legitimately blur (a pôle and
the ESS structure or network that is its legal entity; ``other`` with any organisation).
*Compatible kind*: two collectivités of different kinds (a commune and an EPCI, "Ville de
Nantes" and "Nantes Métropole") are never the same actor.
*Compatible place*: unknown on either side, or one place inside the other (département 31
and commune 31555), never two different communes or départements — except for two pôles,
whose location is a perimeter rather than a point: in the same département they are
compatible ("Domb'Innov" placed in the CC de la Dombes by one document and in Trévoux by
another).

*Bridges*: a statement two actors of the store are, each by a rule above (not a proposal), joins
them (:meth:`Resolver._same_as_others`, :meth:`Resolver._joinable`): every statement of one moves
into the other in the load's transaction (:class:`~maillage.graph.store.Join`, rule ``joined``), so
that the actors do not depend on the order the sources were loaded in.

Every decision (rule, score, what matched) is stored with the statement. Proposals are kept
for review (``maillage resolve --review``); a merge is undone with ``Store.detach_statement``
(``maillage resolve --undo``), a proposal accepted with ``Store.merge_statement`` or rejected
with ``Store.reject_proposal``; all three are recorded and survive reloads of the source.
A source loaded again keeps its actors' ids, a statement renamed since included (rule ``kept``,
:meth:`Resolver.keep_earlier_ids`); ``undo`` gives it an id of its own if it is another actor.
Measured precision and recall on the reference dataset: ``docs/resolution.md``.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from maillage.graph.merge import merge_resolved
from maillage.graph.model import Actor, ActorView, Relation
from maillage.graph.names import (core_key, core_keys, fold, generic_only, name_forms, name_key, network_cores,
                                  parenthesised, qualifiers, slash_parts)
from maillage.graph.store import (Join, NameEntry, NoJoinRecord, Proposal, ResolvedStatement, Store, WriteSummary,
                                   decisions_in_force)

_COMPATIBLE = {frozenset(p) for p in [("pole", "ess"), ("pole", "network"), ("pole", "support"),
                                       ("network", "support"), ("ess", "network"), ("ess", "support"),
                                       ("state", "support"), ("pole", "tiers_lieu"), ("ess", "tiers_lieu"),
                                       ("ess", "training")]}
_ANY_KIND = {None, "", "collectivite_autre"}
_HAS_FORMS = re.compile(r"[(/–—]")  # names that may have other forms or a second core key


@dataclass
class ResolutionPolicy:
    merge_threshold: float = 0.92
    review_threshold: float = 0.80
    fuzzy: bool = True
    max_block: int = 300  # tokens shared by more names than this are too common to block on


def families_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    if "person" in (a, b):
        return False
    if "other" in (a, b):
        return True
    return frozenset((a, b)) in _COMPATIBLE


def kinds_compatible(family_a: str, kind_a: str | None, family_b: str, kind_b: str | None) -> bool:
    """Two collectivités of different known kinds are different actors (a commune is not an EPCI)."""
    if family_a != "collectivite" or family_b != "collectivite":
        return True
    return kind_a in _ANY_KIND or kind_b in _ANY_KIND or kind_a == kind_b


@functools.lru_cache(maxsize=65536)
def _ancestry(location: str | None) -> frozenset[str]:
    if not location or location == "pays:FR":
        return frozenset()
    from maillage.geography import load_geography

    geo = load_geography()
    if geo.get(location) is None:
        return frozenset({location})
    return frozenset({location, *geo.ancestors(location)} - {"pays:FR"})


@functools.lru_cache(maxsize=65536)
def _overlap(a: str, b: str) -> bool:
    """Two known territories share at least one commune (an EPCI across a département border
    and that département)."""
    from maillage.geography import load_geography

    geo = load_geography()
    if geo.get(a) is None or geo.get(b) is None:
        return False
    ca, cb = geo.communes_of(a), geo.communes_of(b)
    return not ca.isdisjoint(cb)


def places_compatible(a: str | None, b: str | None, loose: bool = False) -> bool:
    """Unknown on either side, or places that share territory: one inside (or equal to) the
    other, or overlapping (an EPCI across a département border and that département); with
    ``loose`` (two pôles), also two places in the same département."""
    if not a or not b or a == b or "pays:FR" in (a, b):
        return True
    anc_a, anc_b = _ancestry(a), _ancestry(b)
    if a in anc_b or b in anc_a:
        return True
    if not a.startswith("commune:") and not b.startswith("commune:") and _overlap(*sorted((a, b))):
        return True
    if loose:
        deps = {t for t in anc_a if t.startswith("departement:")}
        return bool(deps & {t for t in anc_b if t.startswith("departement:")})
    return False


@functools.lru_cache(maxsize=1 << 12)  # a statement's core keys: searched, then remembered
def _blocks(key: str) -> tuple[str, ...]:
    """Blocking keys for fuzzy candidates: first and last four letters of each word, so a
    typo at one end of a word still meets its correct spelling. Distinct, in the order of
    the set they were collected in (the order a fuzzy search pool is built in)."""
    out = set()
    for tok in key.split():
        if len(tok) >= 4:
            out.add("^" + tok[:4])
            out.add(tok[-4:] + "$")
    return tuple(out)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _ident_keys(scheme: str, value: str) -> tuple[tuple[str, str], ...]:
    """The index keys of an identifier: itself, and a SIRET's SIREN."""
    return ((scheme, value), ("siren", value[:9])) if scheme == "siret" else ((scheme, value),)


def new_actor_id(name: str, source_id: str, key: str) -> str:
    """A readable, stable id for a new canonical actor: slug of the name + short hash."""
    slug = _NOT_SLUG.sub("-", fold(name)).strip("-")[:40].strip("-") or "actor"
    h = hashlib.sha1(f"{source_id}\x1f{key}".encode()).hexdigest()[:6]
    return f"{slug}-{h}"


@functools.lru_cache(maxsize=4096)
def _place_only(form: str) -> bool:
    """Whether a form is nothing but the name of a commune, EPCI, département or région, bare
    (« Paris », « Sicoval »): with a collectivité's words it names that collectivité (« CC du
    Perche », « Ville de Paris »), an organisation."""
    from maillage.geography import load_geography

    return core_key(form, "collectivite") == core_key(form, None) and bool(load_geography().by_name(form))


@functools.lru_cache(maxsize=1 << 17)
def name_keys(name: str, family: str | None) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """``(form, name key, core keys)`` for a name and each of its :func:`name_forms` that is
    more than generic words ("la Mairie" in "Commercy / la Mairie" names nothing), and each part
    of "A / B" that is more than a bare place ("Paris" in "Association des Marocains en France /
    Paris" says where, not who: two associations of Paris are not one by it; « CC du Perche / … »
    names the collectivité; an acronym beside a dash,
    « ARES – Association pour la Réinsertion… », stays a name although Arès is a commune).
    Cached: a load asks for the same names several times."""
    out = []
    slashed = set(slash_parts(name)) - {name}
    for i, form in enumerate(name_forms(name)):
        if i and (generic_only(form, family) or (form in slashed and _place_only(form))):
            continue
        key = name_key(form)
        if key:
            out.append((form, key, tuple(core_keys(form, family))))
    return tuple(out)


def _digests(documents: dict[str, Any] | None) -> dict[str, str]:
    """A source's documents (its header's ``documents``: id → ``{"sha256": …}``) as id → sha256."""
    return {d: v["sha256"] for d, v in (documents or {}).items() if isinstance(v, dict) and v.get("sha256")}


#: Words that many pôles' names share (« Pôle territorial de coopération économique
#: solidaire du pays de … »), folded as :func:`~maillage.graph.names.core_key` folds them: no
#: evidence that two pôles are one (rule 6, :meth:`Resolver._names_share_a_word`). The most
#: frequent words of the reference dataset's 145 pôle names, and their close forms.
POLE_NAME_WORDS = frozenset({
    "pole", "poles", "ptce", "pays", "territoire", "territoires", "territorial", "territoriale",
    "cooperation", "cooperations", "cooperative", "economique", "economiques", "economie", "solidaire",
    "solidaires", "sociale", "social", "developpement", "durable", "reseau", "reseaux", "region",
    "regional", "regionale", "pour", "avec", "culture", "culturel", "culturelle", "alimentaire",
    "emploi", "insertion", "innovation", "transition", "ecologique", "local", "locale", "projet",
    "cluster", "grappe", "maison", "plateforme", "saint", "sainte",
})


#: The rules by which a statement is the same as an actor: a statement two actors already in the
#: store are, each by one of them, joins them (:meth:`Resolver._same_as_others`).
_JOINING = frozenset({"identifier", "territory", "name", "core-name", "fuzzy", "porteur"})


@dataclass
class _Known:
    actor_id: str
    family: str
    location: str | None
    placeholder: bool
    kind: str | None = None
    territory: str | None = None
    network: bool = False  # one of its names is a network's (names.NETWORK_NAMES)


class Resolver:
    """Resolve the actor statements of one source against the store and each other."""

    def __init__(self, store: Store, source_id: str, policy: ResolutionPolicy | None = None,
                 lists: dict[str, frozenset[str]] | None = None, relations: Sequence[Relation] = (),
                 documents: dict[str, Any] | None = None, distinct_keys: bool = False):
        self.store = store
        self.source_id = source_id
        self.policy = policy or ResolutionPolicy()
        #: The source's lists each of its keys is on (:attr:`~maillage.loaders.base.Parsed.lists`:
        #: a workbook's sheets per year); empty: the source is one list.
        self.lists = lists or {}
        #: The source's keys are ids telling its entities apart (:attr:`~maillage.loaders.base.Parsed.distinct_keys`):
        #: an exact-name match with an actor it describes under another key is only proposed.
        self.distinct_keys = distinct_keys
        #: The source's ties (its relations, ``Parsed.relations``): statement key → the keys (or store
        #: actor ids) it is tied to, and those of ``carries`` ties apart; and its documents
        #: (``Parsed.meta["documents"]``: id → ``sha256``…). What corroborates a person named by
        #: another source (:meth:`_corroborated`).
        self.ties: dict[str, set[str]] = defaultdict(set)
        self._carries: dict[str, set[str]] = defaultdict(set)
        self._carried_by: dict[str, set[str]] = defaultdict(set)  # key → keys of what carries it
        for rel in relations:
            for x, y in ((rel.source, rel.target), (rel.target, rel.source)):
                self.ties[x].add(y)
                if rel.type == "carries":
                    self._carries[x].add(y)
            if rel.type == "carries" and rel.source != rel.target:
                self._carried_by[rel.target].add(rel.source)
        self._poles_of: dict[str, tuple[str, ...]] = {}  # porteur actor → pôles other sources say it carries
        self.documents = _digests(documents)
        self._actor_of: dict[str, str] = {}  # key of this source → the actor it was resolved to
        self._around: dict[str, tuple[frozenset[str], frozenset[str]]] = {}  # person → (neighbours, documents)
        self._previous = {r["key"]: r for r in store.resolution_log(source_id)}
        self._rejected: dict[str, set[str]] = defaultdict(set)  # key → candidates a reviewer rejected
        decisions = store.decisions(source_id)
        for d in decisions:
            if d.action == "reject":
                self._rejected[d.key].add(d.actor_id)
        # key → the ("accept"|"detach", actor id) that holds (an accept undone no longer does)
        self._decided: dict[str, tuple[str, str]] = {
            k: (d.action, d.actor_id) for (_, k), d in decisions_in_force(decisions).items()}
        self._by_key: dict[str, set[str]] = defaultdict(set)  # name key → actor ids
        self._by_core: dict[str, set[str]] = defaultdict(set)
        self._tokens: dict[str, set[str]] = defaultdict(set)   # block → core keys (max_block + 1 at most)
        # block → core keys of actors that may have no SIREN: the only ones a statement with a
        # SIREN can still be merged with or proposed once its identifiers found nothing (_fuzzy)
        self._open_tokens: dict[str, set[str]] = defaultdict(set)
        self._has_siren: set[str] = set()  # actors with a SIREN (in _idents_of)
        self._quals: dict[tuple[str, str], list[frozenset[str]]] = defaultdict(list)  # (core, actor) → qualifiers
        self._qual_texts: dict[str, set[str]] = defaultdict(set)  # actor → its names' parenthesised texts
        self._text_places: dict[str, tuple[str, ...]] = {}  # a parenthesised text → the places it may name
        self._known: dict[str, _Known] = {}
        self._by_ident: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._idents_of: dict[str, set[tuple[str, str]]] = defaultdict(set)  # actor → identifiers
        self._by_territory: dict[tuple[str, str | None], set[str]] = defaultdict(set)
        self._mine: dict[str, set[str]] = defaultdict(set)  # actor → keys of this source resolved to it
        self._keyed: dict[tuple[str, str], set[str]] | None = None  # (key, document sha256) → actors
        self._loaded_store = False
        #: key → {actor another source describes: (rule, score)} that several keys of this source
        #: match by their names (:meth:`_homonyms`): proposed, merged with none of them
        self._apart: dict[str, dict[str, tuple[str, float]]] = {}
        self._dry = False  # resolving without remembering (:meth:`_homonyms`)
        #: the actors other sources described before this load (what a load may join), and those
        #: joined: joined actor → the actor it joins (:meth:`_join`); ``joins``: the store's work
        self._stored: frozenset[str] = frozenset()
        self._joined: dict[str, str] = {}
        self.joins: list[Join] = []
        self._excluded: set[str] = set()  # not candidates, for the time of a second look (_same_as_others)
        self._passed_over: set[str] = set()  # homonyms _pick left for the one in the same place
        self._sources_of: dict[str, frozenset[str]] = {}  # stored actor → the other sources describing it
        self._review: tuple[set[str], set[frozenset[str]]] | None = None  # (actors decisions name, rejected pairs)
        self._todo: Sequence[Actor] = ()  # this load's statements (:meth:`resolve`)
        self._order: dict[str, int] | None = None  # source id → its place in the load order

    # -- index ---------------------------------------------------------------------------------
    def _load_store_index(self) -> None:
        if self._loaded_store:
            return
        self._loaded_store = True
        # A source is resolved against what the *other* sources say: its own previous
        # statements are about to be replaced, and matching them would make a reload differ
        # from a first load. Its previous ids are reused instead (see ``resolve_one``).
        for e in self.store.name_index(exclude_source=self.source_id):
            self._remember_name(e.actor_id, e.name, e.key, [e.core], e.family, e.location, e.placeholder)
            if not _HAS_FORMS.search(e.name):
                continue
            # the other forms of the name, and its core read through parentheses
            for i, (form, key, cores) in enumerate(name_keys(e.name, e.family)):
                if i == 0:
                    cores = [c for c in cores if c != e.core]
                    if not cores:
                        continue
                self._remember_name(e.actor_id, form, key, cores, e.family, e.location, e.placeholder)
        for aid, scheme, value in self.store.identifier_index(exclude_source=self.source_id):
            self._index_identifier(aid, scheme, value)
        for ck, aid in self._quals:  # every (core key, actor) remembered above
            if aid not in self._has_siren:
                self._index_open(ck)
        mine_before = {r["actor_id"] for r in self._previous.values()}
        for a in self.store.iter_actors(include_persons=True):
            if a.id not in self._known:
                continue  # described only by this source's previous statements
            if a.id in mine_before:
                # merged with what this source said last time: read it as the other sources
                # describe it, or a reload would see its own previous facts (a location, a
                # family) and resolve differently from the load before it
                a = as_others_describe(self.store, a.id, self.source_id) or a
            k = self._known[a.id]
            k.family, k.location, k.placeholder = a.family, a.location, a.placeholder
            k.kind, k.territory = a.kind, a.territory
            if a.family == "collectivite" and a.territory:
                self._by_territory[(a.territory, a.kind)].add(a.id)
        self._stored = frozenset(self._known)

    def _remember_name(self, actor_id: str, name: str, key: str, cores: Sequence[str], family: str,
                       location: str | None, placeholder: bool, open_: bool = False) -> None:
        k = self._known.get(actor_id)
        if k is None:
            k = self._known[actor_id] = _Known(actor_id, family, location, placeholder)
        if not k.network and not network_cores(family).isdisjoint(cores):
            k.network = True
        self._by_key[key].add(actor_id)
        if "(" in name:
            self._qual_texts[actor_id].update(parenthesised(name))
        q = qualifiers(name)
        cap, tokens = self.policy.max_block, self._tokens
        for ck in cores:
            self._quals[(ck, actor_id)].append(q)
            self._by_core[ck].add(actor_id)
            for block in _blocks(ck):
                # a block past max_block is never searched again (it only grows): only its size
                # counts, so it stops growing there (less memory and time on a large file)
                keys = tokens[block]
                if len(keys) <= cap:
                    keys.add(ck)
            if open_:
                self._index_open(ck)

    def _index_open(self, ck: str) -> None:
        for block in _blocks(ck):
            if len(self._tokens.get(block, ())) <= self.policy.max_block:  # else never searched
                self._open_tokens[block].add(ck)

    def _index_identifier(self, actor_id: str, scheme: str, value: str) -> None:
        idents = self._idents_of[actor_id]
        for key in _ident_keys(scheme, value):
            self._by_ident[key].add(actor_id)
            idents.add(key)
            if key[0] == "siren":
                self._has_siren.add(actor_id)

    def _remember(self, actor_id: str, a: Actor, mine: dict[str, str] | None = None, ours: bool = True) -> None:
        if actor_id not in self._known:
            self._known[actor_id] = _Known(actor_id, a.family, a.location, a.placeholder)
        # its names go to the open index (_open_tokens) unless the actor has a SIREN after this
        # statement, which it then keeps: no SIREN is ever taken back from an actor
        if mine is None:
            mine = self._identity(a)
        open_ = actor_id not in self._has_siren and "siren" not in mine
        for n in dict.fromkeys((a.name, *a.aliases)):
            for form, key, cores in name_keys(n, a.family):
                self._remember_name(actor_id, form, key, cores, a.family, a.location, a.placeholder, open_)
        k = self._known[actor_id]
        k.kind = k.kind or a.kind
        k.territory = k.territory or a.territory
        if k.location is None and a.location:
            k.location = a.location
        if a.identifiers:  # as _index_identifier, each key once (a SIRET repeats its SIREN)
            idents, by_ident = self._idents_of[actor_id], self._by_ident
            for ident in a.identifiers:
                for key in _ident_keys(ident.scheme, ident.value):
                    if key not in idents:  # else already in both indexes
                        idents.add(key)
                        by_ident[key].add(actor_id)
            if "siren" in mine:  # a SIREN or a SIRET among them
                self._has_siren.add(actor_id)
        if a.family == "collectivite" and a.territory:
            self._by_territory[(a.territory, a.kind)].add(actor_id)
        if ours:
            self._mine[actor_id].add(a.key)

    # -- rules ---------------------------------------------------------------------------------
    def _compatible(self, a: Actor, actor_id: str) -> bool:
        if (actor_id in self._rejected.get(a.key, ()) or actor_id in self._apart.get(a.key, ())
                or actor_id in self._excluded or actor_id in self._joined):
            return False
        k = self._known.get(actor_id)
        if k is None:
            return True
        return (families_compatible(a.family, k.family) and kinds_compatible(a.family, a.kind, k.family, k.kind)
                and places_compatible(a.location, k.location, loose=a.family == k.family == "pole"))

    def _elsewhere_in_source(self, a: Actor, actor_id: str) -> bool:
        """This source already described ``actor_id`` under another key, on the same list: a
        source that lists two keys means two actors. Keys on no common list (the sheets of two
        years, :attr:`lists`) may be one actor renamed between them."""
        keys = self._mine.get(actor_id)
        if not keys or a.key in keys:
            return False
        mine = self.lists.get(a.key)
        if mine is None:
            return True
        return any(not mine.isdisjoint(self.lists.get(k, mine)) for k in keys)

    def _corroborated(self, a: Actor, actor_id: str) -> bool:
        """Whether a natural person may be merged by name with ``actor_id``: an actor of this
        source (:attr:`_mine`: a person named twice in one file is one person), or one that other
        sources tie to an actor this statement is tied to — a neighbour in common (organisations
        and pôles, not persons), a pôle or a project and its structure porteuse counting as one
        (a ``carries`` tie between them, in any source) — or that other sources name in a
        document this statement comes from (the same sha256: two extractions of one document).
        A name alone is not enough: « Marie Martin » of two unrelated pôles' lists may be two
        people, and one actor would be a false bridge between the pôles."""
        if a.family != "person" or actor_id in self._mine:
            return True
        if actor_id not in self._around:
            nb, docs = set(), set()
            for r in self.store.relations(touching=[actor_id]):
                if r.provenance.source != self.source_id:
                    nb.add(r.target if r.source == actor_id else r.source)
            nb.discard(actor_id)
            for sid, st in self.store.statements(actor_id):
                src = self.store.source(sid) if sid != self.source_id else None
                if src is not None:
                    docs |= self._documents_of(st, _digests(src.meta.get("documents")))
            self._around[actor_id] = frozenset(nb), frozenset(docs)
        nb, docs = self._around[actor_id]
        if not docs.isdisjoint(self._documents_of(a, self.documents)):
            return True
        mine = {aid for end in self.ties.get(a.key, ())
                if (aid := self._actor_of.get(end) or (end if end in self._known else None))
                and self._known[aid].family != "person"}
        if not nb.isdisjoint(mine):
            return True
        # what they carry or what carries them: other sources' ties, then this source's
        for r in self.store.relations(touching=sorted(mine), types=["carries"]) if mine and nb else ():
            if r.provenance.source != self.source_id and (r.source in nb or r.target in nb):
                return True
        return any(self._actor_of.get(e, e) in nb for aid in mine for k in self._mine.get(aid, ())
                   for e in self._carries.get(k, ()))

    @staticmethod
    def _documents_of(a: Actor, documents: dict[str, str]) -> set[str]:
        """The sha256 of the document a statement comes from: its provenance's, or its source's
        only document."""
        doc = a.provenance.document if a.provenance else None
        if doc:
            return {documents[doc]} if doc in documents else set()
        return set(documents.values()) if len(documents) == 1 else set()

    def _identifier_hits(self, a: Actor, mine: dict[str, str]) -> tuple[list[str], str | None]:
        """Actors sharing an identifier with ``a`` (a SIRET also by its SIREN), minus those
        with a different SIREN (or RNA) and those a reviewer rejected; and what matched.
        ``mine``: the statement's :meth:`_identity`."""
        hits: dict[str, str] = {}
        for ident in a.identifiers:
            for key in _ident_keys(ident.scheme, ident.value):
                for aid in self._by_ident.get(key, ()):
                    hits.setdefault(aid, f"{key[0]}:{key[1]}")
        ok = sorted(aid for aid in hits if not self._clash(mine, aid) and aid not in self._rejected.get(a.key, ())
                    and aid not in self._excluded and aid not in self._joined)
        return ok, (hits[ok[0]] if ok else None)

    def _same_key_hits(self, a: Actor) -> list[str]:
        """Actors another source describes under the same key *in the same document* (the same
        sha256 in both sources' ``documents``): two extractions of one document that give an
        actor one key say it is one actor — s000b aligns its ids on s000a's (« id aligned with
        s000a »), and names « PTCE du Centre Isère » (000 L1057) the pôle s000a leaves unnamed
        (« PTCE porté par Entrepreneurs solidaires (nom non cité) », L677). Keys of sources with
        no document in common say nothing: each file numbers its own rows."""
        docs = self._documents_of(a, self.documents)
        if not docs:
            return []
        if self._keyed is None:
            self._keyed = defaultdict(set)
            ours = set(self.documents.values())
            for src in self.store.sources():
                theirs = _digests(src.meta.get("documents"))
                if src.id == self.source_id or ours.isdisjoint(theirs.values()):
                    continue
                for aid, sts in self.store.statements_of(set(self.store.resolution_of(src.id).values())).items():
                    for sid, st in sts:
                        if sid == src.id:
                            for d in self._documents_of(st, theirs):
                                self._keyed[(st.key, d)].add(aid)
        return sorted({x for d in docs for x in self._keyed.get((a.key, d), ())})

    @staticmethod
    def _identity(a: Actor) -> dict[str, str]:
        """The statement's SIREN (from a SIRET if need be) and RNA."""
        mine = {i.scheme: i.value for i in a.identifiers if i.scheme in ("siren", "rna")}
        for i in a.identifiers:
            if i.scheme == "siret":
                mine.setdefault("siren", i.value[:9])
        return mine

    def _clash(self, mine: dict[str, str], actor_id: str) -> bool:
        """Both sides have a SIREN and they differ; or both have an RNA, they differ, and the
        SIRENs do not agree."""
        theirs: dict[str, set[str]] = defaultdict(set)
        for s, v in self._idents_of.get(actor_id, ()):
            theirs[s].add(v)
        if "siren" in mine and theirs["siren"] and mine["siren"] not in theirs["siren"]:
            return True
        same_siren = "siren" in mine and mine["siren"] in theirs["siren"]
        return bool("rna" in mine and theirs["rna"] and mine["rna"] not in theirs["rna"] and not same_siren)

    def _own_id_hit(self, a: Actor) -> str | None:
        """The actor whose id in this store the statement's file gives as the row's own (key
        ``id:<actor id>``: maillage's exports carry it, ``ID`` of a Kumu workbook, ``id`` of
        ``nodes.csv``), when that actor also has one of the statement's name keys: an id alone
        may be another store's or a list's own numbering."""
        x = a.key[3:] if a.key.startswith("id:") else None
        if x is None or x not in self._known:
            return None
        keys = {k for n in dict.fromkeys((a.name, *a.aliases)) for _, k, _ in name_keys(n, a.family)}
        return x if any(x in self._by_key.get(k, ()) for k in keys) else None

    def resolve_one(self, a: Actor) -> tuple[ResolvedStatement, list[Proposal]]:
        self._load_store_index()
        if not self._dry:
            self._passed_over = set()
        proposals: list[Proposal] = []
        rejected = self._rejected.get(a.key, set())

        def propose(candidate: str, score: float, reason: str) -> None:
            """One proposal per candidate: the first rule's (the most specific reason)."""
            if candidate not in rejected and all(p.candidate_id != candidate for p in proposals):
                proposals.append(Proposal(a.key, candidate, score, reason, source=self.source_id))

        mine = self._identity(a)
        prev = self._previous.get(a.key)

        def done(actor_id: str, rule: str, score: float, matched: str | None) -> ResolvedStatement:
            if rule == "new" and prev and prev["rule"] == "kept" and prev["actor_id"] == actor_id:
                # an id an earlier load kept (keep_earlier_ids) stays so, and says so (--log)
                rule, score, matched = "kept", prev["score"], prev["matched"]
            if self._dry:
                return ResolvedStatement(a, actor_id, rule, score, matched)
            if rule in _JOINING and actor_id in self._stored:
                same = self._same_as_others(a, actor_id, rule, score)
                if same:  # a bridge: the actors it is the same as are one
                    into = min(same, key=self._seniority)
                    for x, (by, by_score) in same.items():
                        if x != into:
                            self._join(x, into, by_score, f"{by}: {self.source_id}:{a.key} « {a.name} »")
                    actor_id = into
                    proposals[:] = [p for p in proposals if p.candidate_id not in same]
            self._remember(actor_id, a, mine)
            self._actor_of[a.key] = actor_id
            return ResolvedStatement(a, actor_id, rule, score, matched)

        # 0. reviewers' decisions
        decided = self._decided.get(a.key)
        if decided and decided[0] == "detach":
            return done(decided[1], "detached", 1.0, None), proposals
        if not decided and prev and prev["rule"] == "detached":
            return done(prev["actor_id"], "detached", 1.0, None), proposals
        if decided and decided[0] == "accept" and decided[1] in self._known:
            return done(decided[1], "accepted", 1.0, "review"), proposals
        for x, (rule, score) in sorted(self._apart.get(a.key, {}).items()):  # several keys of this source
            propose(x, score, f"{rule}: the source names several actors so")

        # 1. identifiers
        hits, matched = self._identifier_hits(a, mine)
        if hits:
            for h in hits[1:]:
                propose(h, 1.0, f"same identifier {matched}")
            return done(hits[0], "identifier", 1.0, matched), proposals

        def usable(x: str) -> bool:
            return self._compatible(a, x) and not self._clash(mine, x)

        # 1a. the file's own id that is this store's id of an actor of that name (an export read back)
        x = self._own_id_hit(a)
        if x is not None and usable(x):
            return done(x, "identifier", 1.0, a.key), proposals

        # 1b. the same key in another extraction of the same document: the extraction's own id,
        # unless the names say otherwise (two extractions numbering their own rows « a1 », « a2 »)
        hits = []
        for x in self._same_key_hits(a):
            if not usable(x):
                continue
            if a.placeholder or self._known[x].placeholder or self._names_share_a_word(a, x):
                hits.append(x)
            else:
                propose(x, 0.9, "same key in another extraction of the document (not merged: no word of the "
                                "names in common)")
        if hits:
            for h in hits[1:]:
                propose(h, 1.0, f"same identifier key:{a.key}")
            return done(hits[0], "identifier", 1.0, f"key:{a.key}"), proposals

        # 2. collectivités administering the same territory
        if a.family == "collectivite" and a.territory:
            found = sorted(x for x in self._by_territory.get((a.territory, a.kind), ()) if usable(x))
            if found:
                return done(found[0], "territory", 1.0, a.territory), proposals

        forms = [f for n in dict.fromkeys((a.name, *a.aliases)) for f in name_keys(n, a.family)]
        a_network = any(not network_cores(a.family).isdisjoint(cores) for _, _, cores in forms)

        def which_body(x: str, q: frozenset[str] = frozenset(), ck: str | None = None) -> bool:
            """A network's name (one body per territory) on either side, and nothing to tell
            which body it is — a place on both sides, or parenthesised qualifiers both sides
            share (« CRESS (Champagne-Ardenne) »): only proposed (the CMA of Haute-Garonne is
            not Lille's)."""
            if not (a_network or self._known[x].network) or (a.location and self._known[x].location):
                return False
            return not (q and ck is not None and any(t & q for t in self._quals.get((ck, x), ())))

        # 3. exact name: same key, compatible family, kind and place
        matched_by: dict[str, str] = {}  # candidate → the first key (in form order) that found it
        for form, key, _ in forms:
            for x in sorted(self._by_key.get(key, ())):
                if x in matched_by:
                    continue
                if not usable(x):
                    if self._same_name_and_place_but_identifiers(a, x, mine):
                        propose(x, 1.0, "name match (not merged: the identifiers differ)")
                    continue
                if self.distinct_keys and self._elsewhere_in_source(a, x):
                    # OpenSanctions' « ЦСТ » of Perm (INN 5920040846) is not Zala Aero's LLC CST,
                    # whose aliases hold that name: the file gave them two ids
                    propose(x, 1.0, "name match (not merged: the source lists it under another key)")
                    continue
                if which_body(x) and not qualifiers(form):  # the same key: the same qualifiers
                    propose(x, 1.0, "name match (not merged: a network's name, no place to tell which body)")
                    continue
                if self._named_place_differs(a, x):
                    propose(x, 1.0, "name match (not merged: the place a name gives is not the other's)")
                    continue
                if not self._corroborated(a, x):
                    propose(x, 1.0, "name match (not merged: a person another source names, nothing else in "
                                    "common)")
                    continue
                matched_by[x] = key
        decision = self._pick(a, sorted(matched_by), "name", 1.0, None, propose)
        if decision is not None:
            if decision[1] == "name":
                decision = (*decision[:3], matched_by[decision[0]])
            return done(*decision), proposals

        # 4. core name; placeholders on either side, qualifiers that disagree and actors this
        # source describes under another key are only proposed
        cands_set: set[str] = set()
        for form, _, cores in forms:
            q = qualifiers(form)
            for ck in cores:
                for x in self._by_core.get(ck, ()):
                    if not usable(x):
                        continue
                    if a.placeholder or self._known[x].placeholder:
                        propose(x, 0.95, "core-name match (not merged: placeholder)")
                    elif which_body(x, q, ck):
                        propose(x, 0.95, "core-name match (not merged: a network's name, no place to tell which "
                                         "body)")
                    elif not self._qualifiers_agree(q, ck, x):
                        propose(x, 0.95, "core-name match (not merged: qualifiers differ)")
                    elif self._named_place_differs(a, x):
                        propose(x, 0.95, "core-name match (not merged: the place a name gives is not the other's)")
                    elif self._elsewhere_in_source(a, x):
                        propose(x, 0.95, "core-name match (not merged: the source lists it under another key)")
                    elif not self._corroborated(a, x):
                        propose(x, 0.95, "core-name match (not merged: a person another source names, nothing "
                                         "else in common)")
                    else:
                        cands_set.add(x)
        first_core = forms[0][2][0] if forms else None
        decision = self._pick(a, sorted(cands_set), "core-name", 0.95, first_core, propose)
        if decision is not None:
            return done(*decision), proposals

        # 5. fuzzy
        if self.policy.fuzzy and ("siren" not in mine or self._fuzzy_may_find(a, forms, usable)):
            for score, cand, agree in self._fuzzy(a, forms):
                if not usable(cand):
                    continue
                blocked = (a.placeholder or a.family == "person" or self._known[cand].placeholder)
                elsewhere = self._elsewhere_in_source(a, cand)
                network = which_body(cand)
                # a similar name is weak evidence: merged only where both sides are placed (in
                # compatible places); « Southern / Northern Midlands Council », unplaced, are two
                unplaced = not (a.location and self._known[cand].location)
                if (score >= self.policy.merge_threshold and agree and not blocked and not elsewhere and not network
                        and not unplaced):
                    return done(cand, "fuzzy", round(score, 3), None), proposals
                if score >= self.policy.review_threshold:
                    why = ("fuzzy name match below the merge threshold" if score < self.policy.merge_threshold
                           else "fuzzy name match (not merged: qualifiers differ)" if not agree
                           else "fuzzy name match (not merged: person or placeholder)" if blocked
                           else "fuzzy name match (not merged: a network's name, no place to tell which body)"
                           if network
                           else "fuzzy name match (not merged: the source lists it under another key)"
                           if elsewhere
                           else "fuzzy name match (not merged: a place is missing on one side)")
                    propose(cand, round(score, 3), why)

        # 6. the pôle other sources say its structure porteuse carries: merged when the names
        # also share a word of their own, else proposed (a porteur may carry a second pôle)
        carried = self._carried_pole(a, usable)
        if carried is not None:
            if self._names_share_a_word(a, carried[0]):
                return done(carried[0], "porteur", 0.95, carried[1]), proposals
            propose(carried[0], 0.9, "same structure porteuse (not merged: no word of the names in common)")
        return done(self._fresh_id(a), "new", 1.0, None), proposals

    # -- bridges: a statement two actors of the store are, each by a rule ----------------------------
    def _same_as_others(self, a: Actor, actor_id: str, rule: str, score: float) -> dict[str, tuple[str, float]]:
        """The actors of the store statement ``a`` is the same as, by the rules, besides ``actor_id``,
        which a rule just gave it: ``a`` resolved again without remembering, each actor found left out
        of the next look, while a rule (:data:`_JOINING`: not a proposal) finds one that can be joined
        to those found (:meth:`_joinable`). ``{}`` for none, else every actor found, ``actor_id``
        (found by ``rule``, ``score``) first: ``{actor: (rule, score)}``. Loaded before the actors
        it bridges, ``a`` would have made them one: a statement joins one actor, so a load joins the
        others (docs/resolution.md, *Load order*)."""
        found = {actor_id: (rule, score)}
        self._excluded = {actor_id, *self._passed_over}
        self._dry = True
        try:
            while len(found) < 10:
                st, _ = self.resolve_one(a)
                x = st.actor_id
                if st.rule not in _JOINING or not all(self._joinable(x, y) for y in found):
                    break
                found[x] = (st.rule, st.score)
                self._excluded.add(x)
        finally:
            self._dry = False
            self._excluded = set()
        return found if len(found) > 1 else {}

    def _joinable(self, x: str, y: str) -> bool:
        """Whether two actors of the store may be joined by a statement of this load that is the same
        as both: both described by other sources before it, in compatible families, kinds and places
        (:meth:`_compatible`'s guards, two pôles loosely), with no SIREN or RNA that differ, no source
        describing both (it told them apart) nor this load, no reviewer's reject between a statement
        of one and the other, and at most one of them named by a reviewer's decision (it keeps its
        id, what the decision names: :meth:`_seniority`)."""
        if x == y or not {x, y} <= self._stored or x in self._joined or y in self._joined:
            return False
        kx, ky = self._known[x], self._known[y]
        if not (families_compatible(kx.family, ky.family) and kinds_compatible(kx.family, kx.kind, ky.family, ky.kind)
                and places_compatible(kx.location, ky.location, loose=kx.family == ky.family == "pole")):
            return False
        if any(self._clash({s: v for s, v in sorted(self._idents_of.get(i, ())) if s in ("siren", "rna")}, j)
               for i, j in ((x, y), (y, x))):
            return False
        if self._sources(x) & self._sources(y) or (self._mine.get(x) and self._mine.get(y)):
            return False
        named, rejected = self._reviewed()
        return not ({x, y} <= named or frozenset((x, y)) in rejected)

    def _sources(self, actor_id: str) -> frozenset[str]:
        """The other sources describing an actor of the store (one read each, remembered)."""
        if actor_id not in self._sources_of:
            got = self.store.get_actor(actor_id)
            self._sources_of[actor_id] = frozenset(got.sources if got else ()) - {self.source_id}
        return self._sources_of[actor_id]

    def _reviewed(self) -> tuple[set[str], set[frozenset[str]]]:
        """The actors reviewers' decisions name, and the pairs of actors a reject keeps apart (the
        actor of the rejecting statement now, and the rejected one), read once."""
        if self._review is None:
            decisions = self.store.decisions()
            of: dict[str, dict[str, str]] = {}
            pairs = set()
            for d in decisions:
                if d.action == "reject":
                    if d.source not in of:
                        of[d.source] = self._actor_of if d.source == self.source_id else self.store.resolution_of(
                            d.source)
                    if (now := of[d.source].get(d.key)) is not None:
                        pairs.add(frozenset((now, d.actor_id)))
            self._review = {d.actor_id for d in decisions}, pairs
        return self._review

    def _seniority(self, actor_id: str) -> tuple[bool, int, str]:
        """Which of actors to join keeps its id: one a reviewer's decision names, else the one the
        earliest loaded source describes (the id it would have had, had the bridge been loaded
        first), then the least id."""
        if self._order is None:
            self._order = {s.id: i for i, s in enumerate(self.store.sources())}
        last = len(self._order)
        return (actor_id not in self._reviewed()[0],
                min((self._order.get(s, last) for s in self._sources(actor_id)), default=last), actor_id)

    def _join(self, x: str, into: str, score: float, why: str) -> None:
        """Actor ``x`` of the store is ``into`` from now on: its statements (other sources' and this
        load's) are remembered as ``into``'s, and the store will move them (:class:`Join`)."""
        self._joined[x] = into
        self.joins.append(Join(x, into, score, why))
        for sid, st in self.store.statements(x):
            if sid != self.source_id:
                self._remember(into, st, ours=False)
        if mine := self._mine.pop(x, set()):
            for st in self._todo:
                if st.key in mine:
                    self._actor_of[st.key] = into
                    self._remember(into, st)
        self._sources_of[into] = self._sources(into) | self._sources(x)
        self._poles_of.clear()
        self._around.pop(into, None)
        for ids in (self._keyed or {}).values():
            if x in ids:
                ids.discard(x)
                ids.add(into)
        if self._review is not None:
            named, pairs = self._review
            self._review = named, {frozenset(into if e == x else e for e in p) for p in pairs}

    def actor_now(self, actor_id: str) -> str:
        """The actor ``actor_id`` is after this load's joins."""
        while actor_id in self._joined:
            actor_id = self._joined[actor_id]
        return actor_id

    def _carried_pole(self, a: Actor, usable: Callable[[str], bool]) -> tuple[str, str] | None:
        """Rule 6: ``(pôle, porteur)`` when ``a`` is a pôle this source says is
        carried by an actor resolved to ``P`` and other sources say ``P`` carries exactly one pôle,
        compatible with ``a`` and not another key of this source. A structure porteuse carrying
        two pôles in other sources decides nothing.

        Or ``P`` carries nothing elsewhere but *is* a pôle other sources describe: the source
        named the pôle and, as its porteur, the pôle's own other name — the annex of 001 lists
        « Pôle tarnais de Coopération Economique (Les Ateliers) » under a header saying the
        parenthesis is the structure porteuse (L1092-1101), and 000 calls the pôle itself « le
        Pôle Tarnais de Coopération Économique Les Ateliers » (L999). Then ``a`` is ``P`` (the
        porteur's key, which joined ``P``, is not « another key » of the source)."""
        if a.family != "pole":
            return None
        found: dict[str, str] = {}
        for key in sorted(self._carried_by.get(a.key, ())):
            porteur = self._actor_of.get(key)
            if porteur is None:
                continue
            poles = self._poles_carried_by(porteur)
            if len(poles) == 1 and poles[0] != porteur:
                found.setdefault(poles[0], porteur)
            elif set(poles) <= {porteur} and self._is_pole_elsewhere(porteur):  # it may carry itself already
                found.setdefault(porteur, porteur)
        if len(found) != 1:
            return None
        ((pole, porteur),) = found.items()
        if not usable(pole):
            return None
        if pole == porteur:
            porteurs = {k for k in self._carried_by.get(a.key, ()) if self._actor_of.get(k) == pole}
            if self._mine.get(pole, set()) - porteurs - {a.key}:
                return None
        elif self._elsewhere_in_source(a, pole):
            return None
        return pole, porteur

    def _is_pole_elsewhere(self, actor_id: str) -> bool:
        """The actor is a pôle by what other sources say of it."""
        return (self._known.get(actor_id) is not None and self._known[actor_id].family == "pole"
                and any(sid != self.source_id and st.family == "pole" for sid, st in self.store.statements(actor_id)))

    def _names_share_a_word(self, a: Actor, pole: str) -> bool:
        """Whether a name of ``a`` and a name of the actor ``pole`` share a word of their own:
        of four letters or more, in their cores, not one of :data:`POLE_NAME_WORDS` and not a
        place's (a territory's name, or a word of the name of a territory either is placed in):
        « Éco-domaine en Pays d'Auge » and « Éco-Domaine de Bouquetot » share *domaine*. Rule
        6's second piece of evidence: a structure porteuse may carry a second pôle (« Pôle
        alimentation solidaire de Rennes » after « Pôle vélo solidaire de Rennes »), which shares
        only words that many pôles' names have, or its place."""
        from maillage.geography import load_geography

        geo = load_geography()
        other = self.store.get_actors([pole]).get(pole)
        if other is None:
            return False
        places = set()
        for ref in {a.location, other.location} - {None}:
            for r in (ref, *geo.ancestors(ref)):
                if (t := geo.get(r)) is not None:
                    places.update(name_key(t.name).split())

        def words(names) -> set[str]:
            return {w for n in names for k in core_keys(n, "pole") for w in k.split()
                    if len(w) >= 4 and w not in POLE_NAME_WORDS and w not in places and not geo.by_name(w)}

        return bool(words((a.name, *a.aliases)) & words((other.name, *other.aliases)))

    def _poles_carried_by(self, porteur: str) -> tuple[str, ...]:
        """The pôles other sources say ``porteur`` carries (``carries`` ties from it)."""
        if porteur not in self._poles_of:
            poles = {r.target for r in self.store.relations(touching=[porteur], types=["carries"])
                     if r.source == porteur and r.provenance.source != self.source_id
                     and (k := self._known.get(r.target)) is not None and k.family == "pole"}
            self._poles_of[porteur] = tuple(sorted(poles))
        return self._poles_of[porteur]

    def _same_name_and_place_but_identifiers(self, a: Actor, actor_id: str, mine: dict[str, str]) -> bool:
        """Same name key, compatible family and kind, both placed and in compatible places, but
        different SIRENs (or RNAs): never merged, yet worth a reviewer's look — a typo in one
        SIREN, or an association and the SCIC it created, look alike from here."""
        k = self._known.get(actor_id)
        return (k is not None and bool(a.location) and bool(k.location) and self._clash(mine, actor_id)
                and self._compatible(a, actor_id))

    def _pick(self, a: Actor, cands: list[str], rule: str, score: float, matched: str | None,
              propose) -> tuple[str, str, float, str | None] | None:
        """One candidate: merge. Several: the one in the same place, else propose them all
        and create a new actor (``("new", …)``). None: no candidate, try the next rule."""
        if not cands:
            return None
        if a.family == "person" and len(cands) > 1 and any(c in self._mine for c in cands):
            # a person this source already named: that one (one file, one person of that name)
            for c in cands:
                if c not in self._mine:
                    propose(c, score, f"{rule}: several actors share this name")
            cands = [c for c in cands if c in self._mine]
        if len(cands) == 1:
            return cands[0], rule, score, matched
        same_place = [c for c in cands if a.location and self._known[c].location == a.location]
        if len(same_place) == 1:
            self._passed_over.update(c for c in cands if c != same_place[0])
            return same_place[0], rule, score, matched
        if all(self._joinable(x, y) for x, y in itertools.combinations(cands, 2)):
            # one actor each was for want of this statement: joined (done → _same_as_others)
            return min(cands, key=self._seniority), rule, score, matched
        for c in cands:
            propose(c, score, f"{rule}: several actors share this name")
        return self._fresh_id(a), "new", 1.0, None

    def _named_places(self, texts) -> set[str]:
        """The territories that parenthesised texts of names may name (:func:`places_named_in`,
        once per text): « (Réseau d'échanges et services des associations du Pays de Morlaix) »
        names Morlaix."""
        from maillage.geography import load_geography
        from maillage.geography.places import places_named_in

        out: set[str] = set()
        for text in texts:
            if text not in self._text_places:
                self._text_places[text] = tuple(places_named_in(load_geography(), text))
            out.update(self._text_places[text])
        return out

    def _named_place_differs(self, a: Actor, actor_id: str) -> bool:
        """Whether one side is placed and the other, unplaced, has a name whose parentheses name
        only places not compatible with it (:func:`places_compatible`): « Résam » of
        Ramonville-Saint-Agne is not « Résam (Réseau … du Pays de Morlaix) ». Both placed, the
        places themselves decide (:meth:`_compatible`)."""
        mine, theirs = a.location, self._known[actor_id].location
        if bool(mine) == bool(theirs):
            return False
        texts = (self._qual_texts.get(actor_id, ()) if mine
                 else [t for n in (a.name, *a.aliases) for t in parenthesised(n)])
        named = self._named_places(texts)
        placed = mine or theirs
        return bool(named) and not any(places_compatible(placed, t) for t in named)

    def _qualifiers_agree(self, q: frozenset[str], ck: str, actor_id: str) -> bool:
        """Parenthesised qualifiers agree unless both sides have some and they share no word."""
        if not q:
            return True
        theirs = self._quals.get((ck, actor_id), [])
        return not theirs or any(not t or (t & q) for t in theirs)

    def _fresh_id(self, a: Actor) -> str:
        """The id of a new actor: the one this statement created last time, if any, so that
        ids stay stable when a source is reloaded with a changed name."""
        prev = self._previous.get(a.key)
        if prev and prev["rule"] in ("new", "kept") and prev["actor_id"] not in self._known:
            return prev["actor_id"]
        return new_actor_id(a.name, self.source_id, a.key)

    def _fuzzy_may_find(self, a: Actor, forms: list[tuple[str, str, tuple[str, ...]]], usable) -> bool:
        """Whether :meth:`_fuzzy` can return a candidate ``usable`` for a statement with a SIREN;
        when not, the fuzzy rule has nothing to do and is skipped (most statements of a
        subsidies file: :meth:`_fuzzy` is the resolver's costliest step).

        Such a candidate has no SIREN: one with the statement's SIREN would have been found by
        the identifier rule (it is indexed under that SIREN and does not clash; rejected, it is
        not usable), one with another SIREN clashes. So its core keys are in the open index
        (``_open_tokens``, see ``_remember``), a superset of what ``_fuzzy`` can find usable:
        the same scorer and cutoff over the open part of the blocks ``_fuzzy`` searches find
        every core key through which ``_fuzzy`` could reach it."""
        for _, _, cores in forms:
            for key in cores:
                if len(key) < 4:
                    continue
                blocks = [block for b in _blocks(key) if (block := self._open_tokens.get(b))
                          and len(self._tokens.get(b, ())) <= self.policy.max_block]
                if not blocks:
                    continue
                pool = blocks[0] if len(blocks) == 1 else set().union(*blocks)
                for other, score, _ in process.extract(key, pool, scorer=fuzz.token_sort_ratio, limit=None,
                                                       score_cutoff=self.policy.review_threshold * 100 - 1e-6):
                    if score / 100.0 >= self.policy.review_threshold and any(
                            usable(cand) for cand in self._by_core[other]):
                        return True
        return False

    def _fuzzy(self, a: Actor, forms: list[tuple[str, str, tuple[str, ...]]]) -> list[tuple[float, str, bool]]:
        """Candidates with a similar core name: ``(score, actor id, qualifiers agree)``."""
        scored: dict[str, tuple[float, bool]] = {}
        for form, _, cores in forms:
            q = qualifiers(form)
            for key in cores:
                if len(key) < 4:
                    continue
                blocks = [block for b in _blocks(key)
                          if (block := self._tokens.get(b)) and len(block) <= self.policy.max_block]
                if not blocks:
                    continue
                pool = blocks[0] if len(blocks) == 1 else set().union(*blocks)
                # scored in rapidfuzz's loop, skipping early below the cutoff (a hair under the
                # threshold, which is tested on score / 100 below); best first, ties in the pool's
                # order, so each candidate keeps its first best match as a plain loop would.
                # process.extract, not extract_iter: its generator leaves reference cycles, which
                # pile up while a load runs with the collector paused (maillage.runtime): +58 MiB
                # at the peak of a 100,000-row SCDL load (tests/test_sqlite_bulk_write.py)
                for other, score, _ in process.extract(key, pool, scorer=fuzz.token_sort_ratio, limit=None,
                                                       score_cutoff=self.policy.review_threshold * 100 - 1e-6):
                    s = score / 100.0
                    if s < self.policy.review_threshold:
                        continue
                    for cand in self._by_core[other]:
                        if self._compatible(a, cand) and s > scored.get(cand, (0.0, True))[0]:
                            scored[cand] = (s, self._qualifiers_agree(q, other, cand))
        ranked = sorted(((s, c, ok) for c, (s, ok) in scored.items()), key=lambda x: (-x[0], x[1]))
        return ranked[:10]

    def resolve(self, actors: list[Actor], step: Callable[[int], None] | None = None
                ) -> tuple[list[ResolvedStatement], list[Proposal]]:
        """Each statement's actor and proposals, in the order given; natural persons are resolved
        after the other actors, whose actors corroborate them (:meth:`_corroborated`: a person
        another source names is merged on its name only with a neighbour in common). ``step``:
        called with the number resolved so far, after each (a load's progress)."""
        got: dict[int, tuple[ResolvedStatement, list[Proposal]]] = {}
        self._todo = actors
        self._apart = self._homonyms(actors)
        # persons last; before them, the pôles this source says something carries (rule 6 reads
        # their structure porteuse's actor)
        def order(j: int) -> tuple[bool, bool]:
            a = actors[j]
            return a.family == "person", a.family == "pole" and a.key in self._carried_by

        for done, j in enumerate(sorted(range(len(actors)), key=order), 1):
            got[j] = self.resolve_one(actors[j])
            if step is not None:
                step(done)
        out, props = [], []
        for j in range(len(actors)):
            out.append(got[j][0])
            props += got[j][1]
        if self._joined:  # the statements and proposals resolved to an actor joined since
            for st in out:
                st.actor_id = self.actor_now(st.actor_id)
            now = {st.actor.key: st.actor_id for st in out}
            props = list({(p.key, c): Proposal(p.key, c, p.score, p.reason, p.source) for p in props
                          if (c := self.actor_now(p.candidate_id)) != now.get(p.key)}.values())
        return out, props

    def _homonyms(self, actors: list[Actor]) -> dict[str, dict[str, tuple[str, float]]]:
        """The actors other sources describe that several keys of this source, on a common list
        (:attr:`lists`), each match by a name rule (``name``, ``core-name``, ``fuzzy``), resolved
        against what the store held before this load: the other side of « several actors share
        this name ». A subsidy file's « LES JARDINS DU COEUR », unplaced, is proposed to both
        « Les Jardins du Cœur » of a member list (Toulouse, Ramonville-Saint-Agne) when the list
        is loaded first; loaded second, the list would give it to its first row, whose place then
        keeps the second apart without a word — the grant to whichever row came first. Each such
        key is proposed to the actor and merged with it by no rule, so the actors do not depend
        on the load order (docs/resolution.md, *Load order*). Only keys sharing a name key or a
        core key with another key of the source are resolved twice (natural persons aside: a
        person named twice in one file is one person).
        ``{key: {actor id: (rule, score)}}``."""
        self._load_store_index()
        seen: dict[str, set[str]] = defaultdict(set)  # name or core key → keys of this source
        for a in actors:
            if a.family == "person":
                continue
            for n in dict.fromkeys((a.name, *a.aliases)):
                for _, key, cores in name_keys(n, a.family):
                    for k in (key, *cores):
                        seen[k].add(a.key)
        suspects = {k for keys in seen.values() if len(keys) > 1 for k in keys}
        if not suspects:
            return {}
        found: dict[str, dict[str, tuple[str, float]]] = defaultdict(dict)  # actor → {key: (rule, score)}
        self._dry = True
        try:
            for a in actors:
                if a.key in suspects:
                    st, _ = self.resolve_one(a)
                    if st.rule in ("name", "core-name", "fuzzy"):
                        found[st.actor_id][a.key] = (st.rule, st.score)
        finally:
            self._dry = False
        apart: dict[str, dict[str, tuple[str, float]]] = defaultdict(dict)
        for x, keys in found.items():
            if any(self.lists.get(k1) is None or self.lists.get(k2) is None
                   or not self.lists[k1].isdisjoint(self.lists[k2]) for k1, k2 in itertools.combinations(keys, 2)):
                for k, why in keys.items():
                    apart[k][x] = why
        return dict(apart)

    def keep_earlier_ids(self, statements: list[ResolvedStatement], proposals: list[Proposal]) -> dict[str, str]:
        """For a source loaded again, once all its statements are resolved: an actor this load
        created (rule ``new``) that :func:`same_as_earlier` finds to be an actor only this source's
        earlier load described, and that no statement of this load is resolved to, takes that
        actor's id — a member renamed in its list (« Association Vélo Solidaire » now « Vélo
        Solidaire Association ») keeps its id, and what points at it (reviewers' decisions,
        analysis runs' metrics, a bookmarked page) still does. A reviewer's decision still wins:
        a pair rejected stays apart (:func:`same_as_earlier`), a statement detached or merged by
        a reviewer is not ``new``, and a statement a reviewer detached, renamed, stays on the
        actor it was detached to (rule ``detached``) even where the rules would merge it again.
        A statement that takes an earlier id says so: rule ``kept``, the score of the match,
        and the earlier load's key and name as what matched (``KEY « NAME »``, ``maillage
        resolve --log``); it stays ``kept`` on the next loads, and a reviewer who finds it is
        another organisation gives it an id of its own with :func:`undo`.
        Statements and proposals are changed in place.

        Returns the statements on an actor only the earlier load described that are not what it
        said then: those it kept here, and an actor's described under other keys only (a key that
        came back: « Ressourcerie » back to « Recyclerie »), ``{statement key: actor id}``."""
        before: dict[str, set[str]] = defaultdict(set)  # earlier actor → its keys then
        for key, r in self._previous.items():
            before[r["actor_id"]].add(key)
        if not before:
            return {}
        detached = {r["actor_id"] for r in self._previous.values() if r["rule"] == "detached"}
        fresh = {st.actor_id for st in statements if st.rule == "new"} - before.keys()
        # under a key of its own, merged by a rule: back to the actor a reviewer detached it to, if it is that one
        loose = [st for st in statements if st.actor.key not in self._previous
                 and st.rule not in ("new", "kept", "detached", "accepted")] if detached else []
        free = before.keys() - {st.actor_id for st in statements}
        if not free or not (fresh or free & detached and loose):
            free = set()
        only_here = sorted(aid for aid, a in self.store.get_actors(free).items() if set(a.sources) == {self.source_id})
        earlier = {aid: sts for aid in only_here
                   if (sts := [st for s, st in self.store.statements(aid) if s == self.source_id])}
        kept: dict[str, str] = {}
        if earlier:
            loose_ = {id(st) for st in loose}
            matches = _earlier_matches(self.store, self.source_id, earlier,
                                       [st.actor for st in statements if st.actor_id in fresh or id(st) in loose_],
                                       self.policy)
            same = {k: m.actor_id for k, m in matches.items()}
            moved: dict[str, str] = {}  # fresh id → earlier id
            why: dict[str, float] = {}  # fresh id → the score of the match that kept the earlier id
            used: set[str] = set()  # earlier ids taken, each once
            for st in statements:
                old = same.get(st.actor.key)
                if old is None or old in used:
                    continue
                if st.actor_id in fresh and st.actor_id not in moved:
                    moved[st.actor_id] = old
                    why[st.actor_id] = matches[st.actor.key].score
                    used.add(old)
                elif old in detached and id(st) in loose_:  # this statement alone
                    st.actor_id, st.rule, st.score, st.matched = old, "detached", 1.0, None
                    used.add(old)
                    kept[st.actor.key] = old
            for st in statements:
                if st.actor_id in moved:
                    fresh_id = st.actor_id
                    st.actor_id = kept[st.actor.key] = moved[fresh_id]
                    if st.actor_id in detached:
                        st.rule = "detached"  # kept on its next load too, whatever the rules say
                    elif st.rule == "new":  # said (maillage resolve --log), and undone there if wrong
                        st.rule, st.score = "kept", why[fresh_id]
                        st.matched = " ; ".join(f"{e.key} « {e.name} »" for e in earlier[st.actor_id])
            proposals[:] = [Proposal(p.key, moved.get(p.candidate_id, p.candidate_id), p.score, p.reason, p.source)
                            for p in proposals]
        now: dict[str, set[str]] = defaultdict(set)
        for st in statements:
            if st.actor_id in before and st.actor.key not in kept:
                now[st.actor_id].add(st.actor.key)
        other_keys = [aid for aid, keys in now.items() if keys.isdisjoint(before[aid])]
        if other_keys:
            mine = {aid for aid, a in self.store.get_actors(other_keys).items()
                    if set(a.sources) == {self.source_id}}
            kept.update((st.actor.key, st.actor_id) for st in statements if st.actor_id in mine)
        return kept


_EARLIER, _NOW = frozenset({"earlier load"}), frozenset({"this load"})


def same_as_earlier(store: Store, source_id: str, earlier: dict[str, list[Actor]], now: list[Actor],
                    policy: ResolutionPolicy | None = None) -> dict[str, str]:
    """For a source loaded again: which of the actors its earlier load described — ``earlier``:
    actor id → that load's statements of it — the statements ``now`` of this load name under
    another key (« Association Vélo Solidaire » now « Vélo Solidaire Association », a SIRET of
    the same SIREN). Each is resolved by the rules of a load (a shared identifier, the same or the
    core name in a compatible place, a close name where both are placed…) against those actors
    alone, the earlier load and this one read as two lists, as two years' sheets of one workbook
    are (a member renamed between them is one actor). A load resolves a source against the
    *other* sources only, so an actor only its earlier load described, renamed, is new to it:
    this says that it is the same member, which then keeps its id (:meth:`Resolver.keep_earlier_ids`).
    Pairs a reviewer rejected stay apart.
    ``{key of a statement of now: id of the earlier actor}``.

    >>> from maillage.graph import open_store
    >>> from maillage.graph.model import Actor, Provenance
    >>> def st(key, name):
    ...     return Actor(key=key, name=name, family="ess", location="commune:31446", provenance=Provenance(source="s"))
    >>> same_as_earlier(open_store(":memory:"), "s", {"velo-1": [st("a", "Association Vélo Solidaire")]},
    ...                 [st("b", "Vélo Solidaire Association"), st("c", "Garage Solidaire")])
    {'b': 'velo-1'}
    """
    return {k: m.actor_id for k, m in _earlier_matches(store, source_id, earlier, now, policy).items()}


def _earlier_matches(store: Store, source_id: str, earlier: dict[str, list[Actor]], now: list[Actor],
                     policy: ResolutionPolicy | None = None) -> dict[str, ResolvedStatement]:
    """:func:`same_as_earlier`, with how each was found (the rule, its score, what matched)."""
    keys = {a.key for sts in earlier.values() for a in sts}
    lists = {**{k: _EARLIER for k in keys}, **{a.key: _EARLIER | _NOW if a.key in keys else _NOW for a in now}}
    r = Resolver(store, source_id, policy, lists=lists)
    r._loaded_store = True  # those actors alone, not the store's index
    r._previous, r._decided = {}, {}  # this source's earlier ids and reviewers' merges: not evidence here
    for aid, sts in earlier.items():
        for a in sts:
            r._remember(aid, a)
    out = {}
    for a in now:
        got, _ = r.resolve_one(a)
        if got.actor_id in earlier:
            out[a.key] = got
    return out

# -- review: the library behind `maillage resolve` -------------------------------------------

@dataclass
class ReviewItem:
    """One pending proposal, with what a reviewer needs to decide it."""

    id: str
    source: str
    key: str
    name: str          # the statement's name, as its source wrote it
    actor_id: str      # the actor the statement is resolved to now
    candidate_id: str
    candidate_name: str
    score: float
    reason: str
    together: int = 0  # other statements resolved to the same actor (they move with it on --accept)

    def as_dict(self, lang: str = "fr") -> dict[str, Any]:
        """The item as ``maillage resolve --review --json`` prints it: its fields as stored (the
        ``reason`` in English, for scripts), and ``reason_label``, the reason as the review table
        says it in ``lang`` (:func:`reason_label`)."""
        return {**self.__dict__, "reason_label": reason_label(self.reason, lang)}




#: The reasons a proposal is made (:meth:`Resolver.resolve_one`), in French for the review
#: table and ``--json``'s ``reason_label``. The stored reason stays in English (``--json``'s
#: ``reason``, the API): it is data, not a label.
def reason_label(reason: str, lang: str = "fr") -> str:
    """A proposal's reason for a reader: French by default; a reason this table does not know
    (a store written by another version) is shown as stored.

    >>> reason_label("fuzzy name match below the merge threshold")
    'nom proche, sous le seuil de fusion'
    >>> reason_label("same identifier siren:123456789"), reason_label("same identifier siren:123456789", "en")
    ('même identifiant siren:123456789', 'same identifier siren:123456789')
    """
    from .motifs import motif  # one table for every reason people read (motifs/resolution.py)

    return motif(reason) if lang == "fr" else reason


#: The rules a statement is resolved by (``resolution_log``'s ``rule``), in French for the
#: ``maillage resolve --log`` table; the stored rule stays in English (``--json``): it is data.
RULE_LABELS: dict[str, str] = {
    "accepted": "fusion acceptée (revue)",
    "detached": "détaché (revue)",
    "identifier": "même identifiant",
    "territory": "même territoire",
    "name": "même nom",
    "core-name": "même nom principal",
    "fuzzy": "nom proche",
    "porteur": "même structure porteuse",
    "kept": "repris du chargement précédent",
    "joined": "réuni par un énoncé qui est les deux",
    "new": "nouvel acteur",
}


def rule_label(rule: str, lang: str = "fr") -> str:
    """A statement's rule for a reader: French by default; a rule this table does not know (a
    store written by another version) is shown as stored.

    >>> rule_label("kept"), rule_label("kept", "en"), rule_label("identifier:siren")
    ('repris du chargement précédent', 'kept', 'identifier:siren')
    """
    return RULE_LABELS.get(rule, rule) if lang == "fr" else rule


def review_queue(store: Store, source: str | None = None) -> list[ReviewItem]:
    """Proposals still to decide: the statement is not already that actor, the candidate
    still exists, and no reviewer rejected the pair. One per pair of actors (a pair found
    from both sides is listed once), highest score first."""
    props = store.proposals(source)
    rejects = [d for d in store.decisions() if d.action == "reject"]
    resolved: dict[str, dict[str, str]] = {}
    for sid in {p.source for p in props if p.source} | {d.source for d in rejects}:
        resolved[sid] = store.resolution_of(sid)
    # a rejected pair of actors, whichever side found it
    rejected = {frozenset((resolved[d.source].get(d.key), d.actor_id)) for d in rejects}
    actors = store.get_actors({p.candidate_id for p in props})
    items, seen = [], set()
    behind: dict[str, list[tuple[str, Actor]]] = {}  # actor id → its statements
    for p in props:
        sid = p.source or ""
        current = resolved.get(sid, {}).get(p.key)
        if (current is None or current == p.candidate_id or p.candidate_id not in actors
                or frozenset((current, p.candidate_id)) in rejected or p.id in seen):
            continue
        seen.add(p.id)
        if current not in behind:
            behind[current] = store.statements(current)
        name = next((st.name for s, st in behind[current] if s == sid and st.key == p.key), p.key)
        items.append(ReviewItem(p.id, sid, p.key, name, current, p.candidate_id, actors[p.candidate_id].name,
                                p.score, p.reason, together=len(behind[current]) - 1))
    items.sort(key=lambda i: (-i.score, i.source, i.key, i.candidate_id))
    pairs: set[frozenset[str]] = set()
    unique = []
    for i in items:
        pair = frozenset((i.actor_id, i.candidate_id))
        if pair not in pairs:
            pairs.add(pair)
            unique.append(i)
    return unique


def find_proposal(store: Store, proposal_id: str) -> ReviewItem:
    """The pending proposal with that id (as ``maillage resolve --review`` lists them)."""
    from maillage.graph.store import NotFound

    for item in review_queue(store):
        if item.id == proposal_id:
            return item
    raise NotFound(f"no pending proposal {proposal_id!r}; list them with `maillage resolve --review`")


def accept(store: Store, proposal_id: str) -> ReviewItem:
    """Accept a proposal: the statement's actor and the candidate are one actor — the statement
    and those resolved together with it move into the candidate (each recorded). To move the
    statement alone, :func:`undo` it first."""
    item = find_proposal(store, proposal_id)
    store.merge_statement(item.source, item.key, item.candidate_id)
    return item


def reject(store: Store, proposal_id: str) -> ReviewItem:
    """Reject a proposal: the statement is not the candidate (recorded, never proposed again)."""
    item = find_proposal(store, proposal_id)
    store.reject_proposal(item.source, item.key, item.candidate_id)
    return item


def split_statement_ref(store: Store, ref: str) -> tuple[str, str]:
    """``SOURCE:KEY`` → ``(source id, key)``; source ids contain colons
    (``reference:s000a``), so the longest source id that prefixes ``ref`` wins."""
    from maillage.graph.store import NotFound

    matches = [s.id for s in store.sources() if ref.startswith(s.id + ":") and len(ref) > len(s.id) + 1]
    if not matches:
        raise NotFound(f"{ref!r}: expected SOURCE:KEY with a loaded source "
                       f"(one of: {', '.join(s.id for s in store.sources()) or 'none'})")
    sid = max(matches, key=len)
    return sid, ref[len(sid) + 1:]


def undo(store: Store, source: str, key: str) -> str:
    """Undo the merge of statement ``(source, key)``; returns the actor it is in now.

    A statement a reviewer accepted into its actor (rule ``accepted``): the accept is undone —
    every statement it moved goes back to the actor it came from, under that actor's id, and the
    proposal comes back to review (:meth:`Store.undo_accept`; on reload the rules decide again).
    A statement a load joined to another actor (rule ``joined``: a bridge): the join is undone —
    every statement it moved goes back to the actor it came from, under that actor's id, and a
    ``reject`` keeps them apart when the bridge's source is loaded again (:meth:`Store.undo_join`);
    a join an earlier maillage made kept no record of what it moved: the statement is detached alone.
    A statement merged by a rule gets its own actor (a ``detach``, kept on reload). A statement
    that kept the id of its source's earlier load (rule ``kept``: a member renamed,
    :meth:`Resolver.keep_earlier_ids`) is detached too, alone in its actor: it was « merged » with
    the earlier load's statement — the earlier actor goes, and the next loads keep the statement
    on its new id."""
    from maillage.graph.store import NotFound, StoreError

    log = {r["key"]: r for r in store.resolution_log(source)}
    if key not in log:
        raise NotFound(f"no statement {key!r} in source {source!r}")
    actor_id, rule = log[key]["actor_id"], log[key]["rule"]
    if rule == "accepted":
        return store.undo_accept(source, key, _own_id(store, source, key, actor_id))
    if rule == "joined":
        try:
            return store.undo_join(source, key)
        except NoJoinRecord:  # joined by an earlier maillage (no record of it): the statement alone, as then
            pass
    alone = len(store.statements(actor_id)) < 2
    if alone and rule != "kept":
        raise StoreError(f"{source}:{key} is alone in actor {actor_id} (rule {rule}): no merge to undo")
    if alone:
        # an id kept from the source's earlier load (Resolver.keep_earlier_ids), the « renamed »
        # member in fact another organisation: the earlier actor goes, unless other sources' ties
        # name it (they are about the earlier one: not moved, nor left pointing at nothing)
        theirs = sum(1 for r in store.relations(touching=[actor_id]) if r.provenance.source != source)
        if theirs:
            raise StoreError(f"{source}:{key} kept the id {actor_id} of an earlier load, and other sources' relations "
                             f"name that actor ({theirs}): not detached, nothing was changed")
    return store.detach_statement(source, key, _own_id(store, source, key, actor_id))


def remove_source(store: Store, source_id: str) -> WriteSummary:
    """``maillage remove``: :meth:`Store.remove_source`, which undoes the joins the source's
    statements made (its bridges); then each source loaded after it (by load time) with statements
    in the actors its statements were in, or a join undone split, or a write below touched, is
    resolved again as its first load would be without the removed source: against the sources
    loaded before it as they are now (:class:`_Earlier`), with its stored statements, ties and
    documents, its reviewers' decisions applied. A source loaded before the removed one was
    resolved without it, and stays. What that finds is written:

    - the joins a statement of it makes (:meth:`Store.join_actors`, recorded with that source, the
      reason its statement): a second bridge of actors the removal split (``joins_redone``), or
      actors the removed source's statements had kept apart (``joins_made``);
    - its statements the rules now put elsewhere — drawn into an actor *through* the removed
      source's statements: the same key in the same document, a name only it gave, a pôle it said
      a porteur carries —, moved there (:meth:`Store.move_statements`, ``resolved_again``) with
      their names, identifiers and ties: into an actor of the store, or one of their own under the
      id a first load gives them.

    The store is then what loading the other sources alone, in the same order, gives, as far as
    the rules go (docs/provenance.md). The removal, each source's joins and each source's moves are
    transactions of their own: cut between them, what is left is made right by loading that source
    again."""
    removed = store.source(source_id)
    touched = {r["actor_id"] for r in store.resolution_log(source_id)} if removed is not None else set()
    summary = store.remove_source(source_id)
    split = {a for pair in summary.joins_undone for a in pair}
    touched |= split
    # a source loaded before the one removed was resolved without it: it stays as it is
    by_time = sorted(store.sources(), key=lambda s: (s.loaded_at is None, s.loaded_at.isoformat() if s.loaded_at
                                                     else ""))
    after = [s for s in by_time if removed is None or removed.loaded_at is None or s.loaded_at is None
             or s.loaded_at > removed.loaded_at]

    def concerned(src) -> bool:  # statements in an actor touched, or proposed for one
        return any(r["actor_id"] in touched for r in store.resolution_log(src.id)) or any(
            p.candidate_id in touched for p in store.proposals(src.id))

    # the joins those sources' statements made, undone first, latest first: a first load of each met
    # the actors as the sources before it left them; resolved again below, it makes again those it
    # still makes (each undone may concern another source: until none is left)
    rejoin: dict[frozenset[str], tuple[str, str, str]] = {}
    unsplit = {s.id for s in after}
    while True:
        pairs = []
        for src in reversed(after):
            if src.id in unsplit and concerned(src):
                unsplit.discard(src.id)
                for x, into in store.split_joins(src.id):
                    pairs.append((x, into))
                    rejoin[frozenset((x, into))] = (x, into, src.id)
        touched |= {a for pair in pairs for a in pair}
        if not pairs:
            break
    earlier: _Earlier | None = None  # the store as the first load of each of them saw it, built when needed
    for src in after:
        if not concerned(src):
            if earlier is not None:
                earlier.add(src.id)
            continue
        if earlier is None:
            earlier = _Earlier(store, [s.id for s in by_time if s not in after])
        log = store.resolution_log(src.id)
        r, resolved, proposals = _resolved_again(earlier.seen, src, store)
        # the joins a first load of it makes (a second bridge of actors the removal split, or actors
        # a statement of the removed source had kept apart), between actors still in the store
        there = set(store.get_actors({a for j in r.joins for a in (j.actor_id, j.into)}))
        joins = [j for j in r.joins if j.actor_id != j.into and {j.actor_id, j.into} <= there]
        if joins:
            store.join_actors(src.id, joins)
            for j in joins:
                if rejoin.pop(frozenset((j.actor_id, j.into)), None) is not None:
                    continue  # made again, as before
                again = {j.actor_id, j.into} <= split  # a second bridge of actors the removal split
                (summary.joins_redone if again else summary.joins_made).append((j.actor_id, j.into, src.id))
            split -= {j.actor_id for j in joins}
            touched |= {a for j in joins for a in (j.actor_id, j.into)}
            log = store.resolution_log(src.id)
        left = {a for j in r.joins if j not in joins for a in (j.actor_id, j.into)}  # joins not made: not moved
        moves, proposals = _moves(store, src.id, log, resolved, proposals, r._stored, touched, left)
        proposed = {(p.key, p.candidate_id) for p in store.proposals(src.id)}
        if moves or proposed != {(p.key, p.candidate_id) for p in proposals}:
            now = {x["key"]: x["actor_id"] for x in log}
            store.move_statements(src.id, moves, proposals)
            summary.resolved_again.extend((src.id, st.actor.key, now[st.actor.key], st.actor_id) for st in moves)
            touched |= {now[st.actor.key] for st in moves} | {st.actor_id for st in moves}
        earlier.add(src.id)
    if earlier is not None:
        earlier.copy.close()
    # the later sources' joins their statements no longer make, between actors both still there
    there = set(store.get_actors({a for x, into, _ in rejoin.values() for a in (x, into)}))
    summary.later_joins_undone = [(x, into, sid) for x, into, sid in rejoin.values() if {x, into} <= there]
    return summary


class _Earlier:
    """The store as the first load of a source saw it — the sources loaded before it, the one removed
    left out, as they are now —, for resolving that source again (:func:`remove_source`): an
    in-memory copy of their statements (with the actors they are in) and ties, a source added
    after it is resolved; ``seen`` reads it, and the reviewers' decisions from the store itself."""

    def __init__(self, store: Store, sources: Sequence[str]):
        from maillage.graph import open_store

        self.store = store
        self.copy = open_store(":memory:")
        self.seen = _Seen(self.copy, store)
        for sid in sources:
            self.add(sid)

    def add(self, source_id: str) -> None:
        from maillage.graph.store import ResolvedBatch, ResolvedRelation

        src = self.store.source(source_id)
        log = {r["key"]: r for r in self.store.resolution_log(source_id)}
        statements = [ResolvedStatement(a, (r := log[a.key])["actor_id"], r["rule"], r["score"], r["matched"])
                      for a in self.store.source_statements(source_id)]  # in its load's order, kept in the copy
        ours = {st.actor_id for st in statements}
        views = self.store.relations(source=source_id)
        there = ours | set(self.copy.get_actors({e for v in views for e in (v.source, v.target)} - ours))
        relations = [ResolvedRelation(Relation.model_construct(type=v.type, source=v.source, target=v.target,
                                                               fields=v.fields, start=v.start, end=v.end,
                                                               provenance=v.provenance), v.source, v.target, v.id)
                     for v in views if v.source in there and v.target in there]
        self.copy.replace_source(ResolvedBatch(source=src, statements=statements, relations=relations))


class _Seen:
    """:class:`_Earlier`'s copy read as a store, the reviewers' decisions read from the store."""

    def __init__(self, copy: Store, store: Store):
        self._copy, self._store = copy, store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._copy, name)

    def decisions(self, source_id: str | None = None):
        return self._store.decisions(source_id)


def _resolved_again(seen: Any, src, store: Store) -> tuple[Resolver, list[ResolvedStatement], list[Proposal]]:
    """A stored source resolved again as a first load of it (nothing written): against ``seen``
    (:class:`_Earlier`), its statements in the order its load gave them (its file's: a fuzzy
    proposal depends on which of its names are met first), ties and documents read from
    ``store``; its reviewers' decisions apply."""
    todo = store.source_statements(src.id)
    r = Resolver(seen, src.id, relations=_ties_of(store, src.id),
                 documents=src.meta.get("documents") if src.meta else None)
    r._previous = {}  # its statements resolved as a first load would, not to the ids they have
    resolved, proposals = r.resolve(todo)
    return r, resolved, proposals


def _moves(store: Store, source_id: str, log: list[dict[str, Any]], resolved: list[ResolvedStatement],
           proposals: list[Proposal], others: frozenset[str], touched: set[str], left: set[str]
           ) -> tuple[list[ResolvedStatement], list[Proposal]]:
    """Of a source's statements resolved again (``resolved``), those to move, and the source's
    proposals then (those of the resolution, naming the actors as they will be): a statement the
    rules put in another actor than its own, one that ``others`` (the sources loaded before it)
    describe, or one of its own with the source's keys resolved with it — unless it is alone with
    them in an actor no source loaded before describes, which keeps its id (an id kept from an
    earlier load of it, a reviewer's…) but one of the actors ``touched`` (an id of the removed
    source's, kept by its statements alone, gives way to the id a first load gives them). Not
    moved: those resolved into an actor of a join not made (``left``), and a group whose own id an
    actor with other statements bears."""
    now = {x["key"]: x["actor_id"] for x in log}
    group: dict[str, list[str]] = defaultdict(list)  # new actor → keys
    for st in resolved:
        group[st.actor_id].append(st.actor.key)
    held: dict[str, set[str]] = defaultdict(set)  # actor now → this source's keys in it
    for k, a in now.items():
        held[a].add(k)
    movers: set[str] = set()
    dest: dict[str, str] = {}  # an actor of its own the resolution names → the actor it is
    for x, keys in group.items():
        if x in left:
            continue
        if x in others:
            movers.update(k for k in keys if now[k] != x)
            continue
        olds = {now[k] for k in keys}
        y = now[keys[0]]
        if (len(olds) == 1 and y not in others and held[y] == set(keys) and (y == x or y not in touched)
                or store.get_actor(x) is not None and not held[x] <= set(keys)):
            dest[x] = y  # the same group alone in its actor; or its id borne by another: left as it is
            continue
        movers.update(keys)  # in an actor of its own, under the id a first load gives it
    moves = [st for st in resolved if st.actor.key in movers]
    after = {**now, **{st.actor.key: st.actor_id for st in moves}}
    actors = set(after.values())
    kept = [Proposal(p.key, c, p.score, p.reason, source_id) for p in proposals
            if (c := dest.get(p.candidate_id, p.candidate_id)) != after[p.key] and (c in others or c in actors)]
    return moves, kept


def _ties_of(store: Store, source_id: str) -> list[Relation]:
    """A stored source's ties as its loader gave them to the resolver (:class:`Resolver`'s
    ``relations``): between its keys at both ends (each key of the source in the actor at one end
    with each in the actor at the other), or from its keys to the store's actor at the other end
    when none of its statements is there (a tie to an actor already in the store)."""
    keys: dict[str, list[str]] = defaultdict(list)
    for r in store.resolution_log(source_id):
        keys[r["actor_id"]].append(r["key"])
    out = []
    for r in store.relations(source=source_id):
        ends = keys.get(r.source, ()), keys.get(r.target, ())
        if ends[0] and ends[1]:
            out.extend(Relation.model_construct(type=r.type, source=x, target=y, provenance=r.provenance)
                       for x in ends[0] for y in ends[1])
            continue
        for these, other in ((ends[0], r.target), (ends[1], r.source)):
            out.extend(Relation.model_construct(type=r.type, source=k, target=other, provenance=r.provenance)
                       for k in these)
    return out


def _own_id(store: Store, source: str, key: str, actor_id: str) -> str:
    """The id statement ``(source, key)``, now in actor ``actor_id``, has alone: the one a first
    load gives it (a merge undone gives the actor back its id, what runs and other decisions
    point at), unless an actor still bears it."""
    (_, stmt), = [(s, st) for s, st in store.statements(actor_id) if s == source and st.key == key]
    own = new_actor_id(stmt.name, source, key)
    if store.get_actor(own) is not None:
        own = new_actor_id(stmt.name, source, key + "\x1fdetached")
    return own


def as_others_describe(store: Store, actor_id: str, source_id: str) -> ActorView | None:
    """Actor ``actor_id`` merged from the statements of the sources other than ``source_id`` (a
    source being loaded again is read as the others describe the actor, or a reload would not
    decide as the first load did); None when only ``source_id`` describes it. Merged as the store
    merges it, the statements a reviewer accepted into it included
    (:meth:`Store.resolved_statements`): it shows the name the store shows. One read."""
    others = [st for st in store.resolved_statements([actor_id]).get(actor_id, ()) if st[0] != source_id]
    return merge_resolved(actor_id, others) if others else None


def merge_log(store: Store, source: str | None = None) -> list[dict[str, Any]]:
    """Statements merged into an actor other statements also describe, with the rule that did
    it (``identifier``, ``territory``, ``name``, ``core-name``, ``fuzzy``, ``accepted``; ``joined``: its actor
    and another were joined by a later load's statement that is both, named in ``matched``), and
    those that kept the id of their source's earlier load (``kept``: the earlier statement's key
    and name as what matched), per source in load order."""
    sources = [s.id for s in store.sources() if source is None or s.id == source]
    if source is not None and not sources:
        from maillage.graph.store import NotFound

        raise NotFound(f"no source {source!r}")
    rows = []
    for sid in sources:
        log = store.resolution_log(sid)
        for r in log:
            if r["rule"] in ("new", "detached"):
                continue
            rows.append({"source": sid, **r})
    actors = store.get_actors({r["actor_id"] for r in rows})
    for r in rows:
        a = actors.get(r["actor_id"])
        r["actor_name"] = a.name if a else None
        r["sources"] = len(a.sources) if a else 0
    return rows


__all__ = ["Resolver", "ResolutionPolicy", "families_compatible", "kinds_compatible", "places_compatible",
           "new_actor_id", "NameEntry", "ReviewItem", "review_queue", "rule_label", "accept", "reject", "undo",
           "merge_log", "split_statement_ref", "find_proposal", "same_as_earlier", "as_others_describe",
           "remove_source"]
