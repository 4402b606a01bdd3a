"""Entity resolution: which canonical actor does each statement describe?

Rules, tried in order for each actor statement of a source (brief §3):

1. **identifier** — same SIREN (a SIRET rolls up to its SIREN) or RNA: same actor (1.0).
   Two different SIRENs never merge, whatever the names say.
2. **territory** — two collectivités of the same kind administering the same territory
   (e.g. ``region:76``) are the same actor (1.0).
3. **name** — same :func:`~maillage.graph.names.name_key` on a name or alias, compatible
   family and place (1.0). When several actors share the key, the one in the same place wins;
   if that does not decide, nothing is merged and a proposal is logged.
4. **core name** — same name once the family's generic words are dropped ("PTCE Le Damier"
   = "Le Damier"), compatible family and place (0.95).
5. **fuzzy** — token-sorted similarity of core names (rapidfuzz), compatible family and place:
   merged at or above ``merge_threshold`` (default 0.92), *proposed for review* between
   ``review_threshold`` (0.80) and it. Natural persons and placeholders are never merged on a
   fuzzy match, only proposed.

*Compatible family*: equal, or one of the pairs a document may legitimately blur (a pôle and
the ESS structure or network that is its legal entity; ``other`` with any organisation).
*Compatible place*: unknown on either side, or one place inside the other (département 31 and
commune 31555), never two different communes or départements.

Every decision (rule, score, what matched) is stored with the statement; a merge is undone
with ``Store.detach_statement``, and a detached statement stays detached on reload.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from maillage.graph.model import Actor
from maillage.graph.names import core_key, fold, name_key, qualifiers
from maillage.graph.store import NameEntry, Proposal, ResolvedStatement, Store

_COMPATIBLE = {frozenset(p) for p in [("pole", "ess"), ("pole", "network"), ("pole", "support"),
                                       ("network", "support"), ("ess", "network"), ("ess", "support"),
                                       ("state", "support"), ("pole", "tiers_lieu"), ("ess", "tiers_lieu")]}


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


def _ancestry(location: str | None) -> set[str]:
    if not location or location == "pays:FR":
        return set()
    from maillage.geography import load_geography

    geo = load_geography()
    if geo.get(location) is None:
        return {location}
    return {location, *geo.ancestors(location)} - {"pays:FR"}


def places_compatible(a: str | None, b: str | None) -> bool:
    """Unknown on either side, or one place inside (or equal to) the other."""
    if not a or not b or a == b or "pays:FR" in (a, b):
        return True
    return a in _ancestry(b) or b in _ancestry(a)


def _blocks(key: str) -> set[str]:
    """Blocking keys for fuzzy candidates: first and last four letters of each word, so a
    typo at one end of a word still meets its correct spelling."""
    out = set()
    for tok in key.split():
        if len(tok) >= 4:
            out.add("^" + tok[:4])
            out.add(tok[-4:] + "$")
    return out


def new_actor_id(name: str, source_id: str, key: str) -> str:
    """A readable, stable id for a new canonical actor: slug of the name + short hash."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:40].strip("-") or "actor"
    h = hashlib.sha1(f"{source_id}\x1f{key}".encode()).hexdigest()[:6]
    return f"{slug}-{h}"


@dataclass
class _Known:
    actor_id: str
    family: str
    location: str | None
    placeholder: bool
    kind: str | None = None
    territory: str | None = None


class Resolver:
    """Resolve the actor statements of one source against the store and each other."""

    def __init__(self, store: Store, source_id: str, policy: ResolutionPolicy | None = None):
        self.store = store
        self.source_id = source_id
        self.policy = policy or ResolutionPolicy()
        self._previous = {r["key"]: r for r in store.resolution_log(source_id)}
        self._by_key: dict[str, set[str]] = defaultdict(set)  # name key → actor ids
        self._by_core: dict[str, set[str]] = defaultdict(set)
        self._tokens: dict[str, set[str]] = defaultdict(set)   # token → core keys
        self._core_actors: dict[str, set[str]] = defaultdict(set)
        self._quals: dict[tuple[str, str], list[frozenset[str]]] = defaultdict(list)  # (core, actor) → qualifiers
        self._known: dict[str, _Known] = {}
        self._by_ident: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._idents_of: dict[str, set[tuple[str, str]]] = defaultdict(set)  # actor → identifiers
        self._by_territory: dict[tuple[str, str | None], set[str]] = defaultdict(set)
        self._loaded_store = False

    # -- index ---------------------------------------------------------------------------------
    def _load_store_index(self) -> None:
        if self._loaded_store:
            return
        self._loaded_store = True
        # A source is resolved against what the *other* sources say: its own previous
        # statements are about to be replaced, and matching them would make a reload differ
        # from a first load. Its previous ids are reused instead (see ``resolve_one``).
        for e in self.store.name_index(exclude_source=self.source_id):
            self._remember_name(e.actor_id, e.name, e.key, e.core, e.family, e.location, e.placeholder)
        for aid, scheme, value in self.store.identifier_index(exclude_source=self.source_id):
            self._index_identifier(aid, scheme, value)
        for a in self.store.iter_actors(include_persons=True):
            if a.id not in self._known:
                continue  # described only by this source's previous statements
            k = self._known[a.id]
            k.kind, k.territory = a.kind, a.territory
            if a.family == "collectivite" and a.territory:
                self._by_territory[(a.territory, a.kind)].add(a.id)

    def _remember_name(self, actor_id: str, name: str, key: str, ck: str, family: str, location: str | None,
                       placeholder: bool) -> None:
        self._known.setdefault(actor_id, _Known(actor_id, family, location, placeholder))
        self._by_key[key].add(actor_id)
        self._quals[(ck, actor_id)].append(qualifiers(name))
        self._by_core[ck].add(actor_id)
        self._core_actors[ck].add(actor_id)
        for block in _blocks(ck):
            self._tokens[block].add(ck)

    def _index_identifier(self, actor_id: str, scheme: str, value: str) -> None:
        keys = [(scheme, value)] + ([("siren", value[:9])] if scheme == "siret" else [])
        for key in keys:
            self._by_ident[key].add(actor_id)
            self._idents_of[actor_id].add(key)

    def _remember(self, actor_id: str, a: Actor) -> None:
        for n in (a.name, *a.aliases):
            self._remember_name(actor_id, n, name_key(n), core_key(n, a.family), a.family, a.location,
                                a.placeholder)
        k = self._known[actor_id]
        k.kind = k.kind or a.kind
        k.territory = k.territory or a.territory
        if k.location is None and a.location:
            k.location = a.location
        for ident in a.identifiers:
            self._index_identifier(actor_id, ident.scheme, ident.value)
        if a.family == "collectivite" and a.territory:
            self._by_territory[(a.territory, a.kind)].add(actor_id)

    # -- rules ---------------------------------------------------------------------------------
    def _compatible(self, a: Actor, actor_id: str) -> bool:
        k = self._known.get(actor_id)
        if k is None:
            return True
        return families_compatible(a.family, k.family) and places_compatible(a.location, k.location)

    def _by_identifiers(self, a: Actor) -> tuple[set[str], str | None]:
        hits: set[str] = set()
        matched = None
        for ident in a.identifiers:
            keys = [(ident.scheme, ident.value)]
            if ident.scheme == "siret":
                keys.append(("siren", ident.value[:9]))
            for key in keys:
                found = self._by_ident.get(key, set())
                if found:
                    hits |= found
                    matched = matched or f"{key[0]}:{key[1]}"
        return hits, matched

    def resolve_one(self, a: Actor) -> tuple[ResolvedStatement, list[Proposal]]:
        self._load_store_index()
        proposals: list[Proposal] = []
        prev = self._previous.get(a.key)
        if prev and prev["rule"] == "detached":
            return ResolvedStatement(a, prev["actor_id"], "detached", 1.0, None), proposals

        def done(actor_id: str, rule: str, score: float, matched: str | None) -> ResolvedStatement:
            self._remember(actor_id, a)
            return ResolvedStatement(a, actor_id, rule, score, matched)

        hits, matched = self._by_identifiers(a)
        if len(hits) == 1:
            return done(next(iter(hits)), "identifier", 1.0, matched), proposals
        if len(hits) > 1:
            target = sorted(hits)[0]
            proposals += [Proposal(a.key, h, 1.0, f"same identifier {matched}") for h in sorted(hits)[1:]]
            return done(target, "identifier", 1.0, matched), proposals
        mine = {i.scheme: i.value for i in a.identifiers}
        if "siret" in mine:
            mine.setdefault("siren", mine["siret"][:9])

        def ident_clash(actor_id: str) -> bool:
            """Both sides have a SIREN (or RNA) and they differ."""
            if not mine:
                return False
            theirs = self._idents_of.get(actor_id, ())
            for scheme in ("siren", "rna"):
                if scheme in mine and any(s == scheme and v != mine[scheme] for s, v in theirs):
                    return True
            return False

        if a.family == "collectivite" and a.territory:
            found = {x for x in self._by_territory.get((a.territory, a.kind), ()) if not ident_clash(x)}
            if found:
                return done(sorted(found)[0], "territory", 1.0, a.territory), proposals

        names = list(dict.fromkeys((a.name, *a.aliases)))
        # exact name: same key, compatible family and place
        keys = {name_key(n) for n in names} - {""}
        cands = sorted({x for k in keys for x in self._by_key.get(k, ())
                        if self._compatible(a, x) and not ident_clash(x)})
        decided = self._pick(a, cands, "name", 1.0, sorted(keys)[0] if keys else None, proposals)
        if decided is not None:
            return done(*decided), proposals

        # core name: same key without the family's generic words; placeholders on either side
        # and names whose parenthesised qualifiers disagree are only proposed
        cands_set: set[str] = set()
        for n in names:
            ck, q = core_key(n, a.family), qualifiers(n)
            if not ck:
                continue
            for x in self._by_core.get(ck, ()):
                if not self._compatible(a, x) or ident_clash(x):
                    continue
                if a.placeholder or self._known[x].placeholder:
                    proposals.append(Proposal(a.key, x, 0.95, "core-name match (not merged: placeholder)"))
                elif not self._qualifiers_agree(q, ck, x):
                    proposals.append(Proposal(a.key, x, 0.95, "core-name match (not merged: qualifiers differ)"))
                else:
                    cands_set.add(x)
        decided = self._pick(a, sorted(cands_set), "core-name", 0.95, core_key(a.name, a.family), proposals)
        if decided is not None:
            return done(*decided), proposals

        if self.policy.fuzzy:
            for score, cand, agree in self._fuzzy(a):
                mergeable = (score >= self.policy.merge_threshold and agree and not a.placeholder
                             and a.family != "person" and not self._known[cand].placeholder
                             and not ident_clash(cand))
                if mergeable:
                    return done(cand, "fuzzy", round(score, 3), None), proposals
                if score >= self.policy.review_threshold:
                    why = ("fuzzy name match below the merge threshold" if score < self.policy.merge_threshold
                           else "fuzzy name match (not merged: qualifiers differ)" if not agree
                           else "fuzzy name match (not merged: person or placeholder)")
                    proposals.append(Proposal(a.key, cand, round(score, 3), why))
        return done(self._fresh_id(a), "new", 1.0, None), proposals

    def _pick(self, a: Actor, cands: list[str], rule: str, score: float, matched: str | None,
              proposals: list[Proposal]) -> tuple[str, str, float, str | None] | None:
        """One candidate: merge. Several: the one in the same place, else propose them all
        and create a new actor (``("new", …)``). None: no candidate, try the next rule."""
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0], rule, score, matched
        same_place = [c for c in cands if a.location and self._known[c].location == a.location]
        if len(same_place) == 1:
            return same_place[0], rule, score, matched
        proposals += [Proposal(a.key, c, score, f"{rule}: several actors share this name") for c in cands]
        return self._fresh_id(a), "new", 1.0, None

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
        if prev and prev["rule"] == "new" and prev["actor_id"] not in self._known:
            return prev["actor_id"]
        return new_actor_id(a.name, self.source_id, a.key)

    def _fuzzy(self, a: Actor) -> list[tuple[float, str, bool]]:
        """Candidates with a similar core name: ``(score, actor id, qualifiers agree)``."""
        scored: dict[str, tuple[float, bool]] = {}
        for n in dict.fromkeys((a.name, *a.aliases)):
            key, q = core_key(n, a.family), qualifiers(n)
            if len(key) < 4:
                continue
            pool: set[str] = set()
            for b in _blocks(key):
                block = self._tokens.get(b)
                if block and len(block) <= self.policy.max_block:
                    pool |= block
            for other in pool:
                s = fuzz.token_sort_ratio(key, other) / 100.0
                if s < self.policy.review_threshold:
                    continue
                for cand in self._core_actors[other]:
                    if self._compatible(a, cand) and s > scored.get(cand, (0.0, True))[0]:
                        scored[cand] = (s, self._qualifiers_agree(q, other, cand))
        ranked = sorted(((s, c, ok) for c, (s, ok) in scored.items()), key=lambda x: (-x[0], x[1]))
        return ranked[:10]

    def resolve(self, actors: list[Actor]) -> tuple[list[ResolvedStatement], list[Proposal]]:
        out, props = [], []
        for a in actors:
            st, p = self.resolve_one(a)
            out.append(st)
            props += p
        return out, props


__all__ = ["Resolver", "ResolutionPolicy", "families_compatible", "places_compatible", "new_actor_id",
           "NameEntry"]
