"""The store interface: what every graph store (embedded SQLite, Neo4j) must do.

A store holds **statements** (one source's record of an actor or a relation, with
provenance), the **canonical actors** merged from them (:mod:`maillage.graph.merge`), and
**analysis runs** with their metrics. Its contract, checked by the conformance suite
(``tests/conformance``) against every implementation:

- ``replace_source`` is atomic and idempotent: writing a source replaces every statement
  that came from it, and nothing else; writing the same batch twice changes nothing.
- Canonical actors exist exactly while at least one statement backs them.
- Reads never return natural persons unless asked (``include_persons=True``).
- Relations can be filtered by type, by year (``as_of``: active that year) and certainty.
- Metrics are stored per analysis run; a new run never overwrites an earlier one, and only
  ``delete_runs`` removes one (with all its metrics, leaving the other runs as they were).
- Reviewers' decisions on merges (accept, reject, detach, undo) are kept apart from the sources'
  statements: reloading or removing a source never loses them, and the resolver applies them.
- Every write that changes the natural persons (writing or removing a source, accepting or
  undoing a merge) keeps their numbers (« [personne 3] », :mod:`maillage.graph.numbering`) in
  its own transaction: committed with the write, or not at all.

Graph-shaped reads (neighbourhood, pôle and territory subgraphs) are written here once,
on top of a few primitives each store implements.
"""

from __future__ import annotations

import abc
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, NamedTuple

from pydantic import BaseModel, Field, TypeAdapter

from .erasure import Erasure, Erasures
from .model import Actor, ActorView, Provenance, Relation, RelationView, Source


class StoreError(RuntimeError):
    """A store operation failed; the message says which and why."""


class NotFound(StoreError):
    """No actor, source or run has that id."""


class NotAPerson(StoreError):
    """:meth:`Store.forget_person` was given an actor that is no natural person (an organisation
    leaves the store with its source: :meth:`Store.remove_source`)."""


class NoJoinRecord(StoreError):
    """:meth:`Store.undo_join` was given a statement no join the store recorded moved (a join made
    by an earlier maillage, which kept none, or one a later write changed)."""


class ReadOnlyStore(StoreError):
    """A write to a store this user may read but not write (a file shared read-only): refused
    before it starts, and retrying will not help (the API's 403, not a 503)."""


class NameEntry(NamedTuple):
    """One name (or alias) of a canonical actor, for entity resolution."""

    actor_id: str
    name: str   # the name (or alias) as a statement wrote it
    key: str    # name_key of the name
    core: str   # core_key of the name (generic words of the statement's family dropped)
    family: str
    location: str | None
    placeholder: bool


@dataclass
class ResolvedStatement:
    """An actor statement and the canonical actor it was resolved to."""

    actor: Actor
    actor_id: str
    rule: str  # "new", "identifier:siren", "name", "fuzzy", …
    score: float = 1.0
    matched: str | None = None  # what it matched (a name, an identifier)


@dataclass(slots=True)  # one per tie of a load (a million for a large subsidy file): no per-instance __dict__
class ResolvedRelation:
    relation: Relation
    source_id: str  # canonical actor ids of both ends
    target_id: str
    # ``relation.statement_id()`` when the loader has computed it already (to drop duplicate
    # statements); the store then does not hash the relation a second time
    statement_id: str | None = None


def proposal_id(source_id: str, key: str, candidate_id: str) -> str:
    """A short id for the proposal "statement ``(source_id, key)`` may be ``candidate_id``",
    the same at every load of the source (it is what a reviewer accepts or rejects)."""
    return "p" + hashlib.sha1(f"{source_id}\x1f{key}\x1f{candidate_id}".encode()).hexdigest()[:10]


@dataclass
class Proposal:
    """A possible merge below the confidence threshold, kept for review (not applied)."""

    key: str
    candidate_id: str
    score: float
    reason: str
    source: str | None = None  # the statement's source (filled in by the store)

    @property
    def id(self) -> str:
        return proposal_id(self.source or "", self.key, self.candidate_id)


@dataclass
class Decision:
    """A reviewer's decision about one statement, kept across reloads (and removals) of its
    source. ``action``: ``accept`` (the statement is the actor ``actor_id``), ``reject`` (it
    is not ``actor_id``: never merge, never propose again), ``detach`` (it has its own actor
    ``actor_id``) or ``undo`` (the accept it undoes no longer holds: the statement is back in
    ``actor_id``, the actor it came from). For one statement the latest ``accept``/``detach``
    not undone holds (:func:`decisions_in_force`); rejects add up.

    ``previous``: for an ``accept``, the statement as it was before (``actor_id``, ``rule``,
    ``score``, ``matched``, and the ``proposal`` it settled: ``score``, ``reason``), what its
    undo puts back; for an ``undo``, ``{"actor_id": the actor it left}``. ``None`` for the
    other actions and for an accept recorded by a maillage that did not keep it."""

    source: str
    key: str
    action: str
    actor_id: str
    decided_at: datetime | None = None
    previous: dict[str, Any] | None = None


def decisions_in_force(decisions: Iterable[Decision]) -> dict[tuple[str, str], Decision]:
    """For each statement ``(source, key)``, the ``accept`` or ``detach`` that holds: the latest,
    an ``undo`` taking back the accept before it (what held before that accept holds again).
    ``decisions``: oldest first, as :meth:`Store.decisions` gives them.

    >>> d = [Decision("s", "k", "detach", "a"), Decision("s", "k", "accept", "c"), Decision("s", "k", "undo", "a")]
    >>> decisions_in_force(d)[("s", "k")].action, decisions_in_force(d[:2])[("s", "k")].action
    ('detach', 'accept')
    """
    held: dict[tuple[str, str], list[Decision]] = {}
    for d in decisions:
        stack = held.setdefault((d.source, d.key), [])
        if d.action in ("accept", "detach"):
            stack.append(d)
        elif d.action == "undo" and stack and stack[-1].action == "accept":
            stack.pop()
    return {k: stack[-1] for k, stack in held.items() if stack}


def accept_to_undo(decisions: Iterable[Decision], together: Sequence[tuple[str, str]], source_id: str, key: str,
                   actor_id: str, alone_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """What undoing the accept of statement ``(source_id, key)``, now in actor ``actor_id`` with
    the statements ``together``, moves back: ``[(source, key, as it was before)]`` — every
    statement of ``together`` that the same accept brought from the same actor (each with the
    ``previous`` of its accept). An accept that kept no ``previous`` (an earlier maillage) moves
    its statement alone, to ``alone_id`` under rule ``new``. Raises :class:`StoreError` when no
    accept of the statement holds."""
    force = decisions_in_force(decisions)
    d = force.get((source_id, key))
    if d is None or d.action != "accept" or d.actor_id != actor_id:
        raise StoreError(f"{source_id}:{key}: no accepted merge into {actor_id} to undo")
    if d.previous is None:
        return [(source_id, key, {"actor_id": alone_id, "rule": "new", "score": 1.0, "matched": None})]
    came_from = d.previous["actor_id"]
    out = []
    for sk in together:
        e = force.get(sk)
        if e is not None and e.action == "accept" and e.actor_id == actor_id and e.previous \
                and e.previous["actor_id"] == came_from:
            out.append((*sk, e.previous))
    return out


def chunks(items: Sequence[Any], n: int) -> Iterator[Sequence[Any]]:
    """``items`` in slices of ``n`` (bound-parameter limits, transaction batches)."""
    for i in range(0, len(items), n):
        yield items[i:i + n]


def metric_actors(actor_id: str | None, actor_ids: Iterable[str] | None) -> list[str] | None:
    """The actors :meth:`Store.metrics` is asked for: None for all, else a sorted list
    (``actor_id`` and ``actor_ids`` together: both).

    >>> metric_actors(None, None), metric_actors("b", ["a", "b"]), metric_actors(None, [])
    (None, ['a', 'b'], [])
    """
    if actor_id is None and actor_ids is None:
        return None
    return sorted({*(actor_ids or ()), *(() if actor_id is None else (actor_id,))})


def metric_value(value: float | None) -> float | None:
    """A run's value as stored: a float, or ``None`` for unknown or undefined (NaN, e.g. Burt's
    constraint of an isolated actor, or a tri-state check that cannot be decided), the same
    in every store.

    >>> metric_value(1), metric_value(float("nan")), metric_value(None)
    (1.0, None, None)
    """
    if value is None:
        return None
    value = float(value)
    return None if value != value else value


def territory_rollup(location: str | None) -> list[str]:
    """The location and every territory enclosing it (commune → EPCI → département → région),
    from the shipped geography; an unknown territory id is kept alone."""
    if not location:
        return []
    from maillage.geography import load_geography  # imported late: heavy data, loaded once

    geo = load_geography()
    if geo.get(location) is None:
        return [location]
    return [location, *geo.ancestors(location)]


@dataclass
class Join:
    """Two actors already in the store that a statement of the load is, by the rules, the same as
    (a *bridge*, docs/resolution.md, *Load order*): every statement of ``actor_id`` moves into
    ``into``, resolved by rule ``joined`` with this ``score`` and ``matched`` (the bridge: its rule,
    source, key and name), with its names, identifiers and ties, and proposals naming ``actor_id``
    name ``into``; ``actor_id`` goes. Written in the load's transaction."""

    actor_id: str
    into: str
    score: float
    matched: str


def join_data(j: Join, moved: Sequence[tuple[str, str, str, float, str | None]],
              proposals: Sequence[tuple[str, str]], number: int | None) -> str:
    """What a store keeps of a join it made (with the source of the bridge, apart from its
    statements: kept across its reloads), for undoing it — when that source is removed, or a
    reviewer undoes the join (:meth:`Store.undo_join`): ``moved``, each statement that moved, as
    it was before (``(source, key, rule, score, matched)``); ``proposals``, the proposals
    ``(source, key)`` whose candidate was the joined actor; ``number``, its person's number (or
    None)."""
    return json.dumps({"score": j.score, "matched": j.matched, "moved": [list(m) for m in moved],
                       "proposals": [list(p) for p in proposals], "number": number},
                      ensure_ascii=False, separators=(",", ":"))


def join_to_split(data: dict[str, Any], into: str, now: dict[tuple[str, str], tuple[str, str, str | None]]
                  ) -> list[tuple[str, str, str, float, str | None]]:
    """What undoing a join (``data``: :func:`join_data`'s, parsed) moves back out of ``into``: the
    statements it moved that are still there by it — ``now``: ``{(source, key): (actor id, rule,
    matched)}`` —, each as it was before, ``(source, key, rule, score, matched)``. A statement the
    join moved that another write moved since (a reviewer, a reload) stays where it is.

    >>> d = {"matched": "name: s:k « X »", "moved": [["b", "x", "new", 1.0, None], ["d", "x", "name", 1.0, "x"]]}
    >>> join_to_split(d, "a-1", {("b", "x"): ("a-1", "joined", "name: s:k « X »"), ("d", "x"): ("c-2", "new", None)})
    [('b', 'x', 'new', 1.0, None)]
    """
    return [(s, k, rule, score, matched) for s, k, rule, score, matched in data["moved"]
            if now.get((s, k)) == (into, "joined", data["matched"])]


def moves_by_actor(source_id: str, moves: Sequence[ResolvedStatement], now: dict[str, str]
                   ) -> dict[tuple[str, str], list[tuple[str, str, str, float, str | None]]]:
    """:meth:`Store.move_statements`' moves grouped by the actor each leaves and the one it goes to —
    ``now``: ``{key: its actor now}`` —, each as the stores move it, ``(source, key, rule, score,
    matched)``; a statement already in that actor is left out.

    >>> a = Actor(key="x1", name="R", family="ess", provenance=Provenance(source="s"))
    >>> moves_by_actor("s", [ResolvedStatement(a, "r-2", "new")], {"x1": "r-1"})
    {('r-1', 'r-2'): [('s', 'x1', 'new', 1.0, None)]}
    """
    out: dict[tuple[str, str], list[tuple[str, str, str, float, str | None]]] = {}
    for st in moves:
        old = now[st.actor.key]
        if old != st.actor_id:
            out.setdefault((old, st.actor_id), []).append((source_id, st.actor.key, st.rule, st.score, st.matched))
    return out


def emptied_into(pairs: Iterable[tuple[str, str]], emptied: Iterable[str]) -> dict[str, str]:
    """Of the actors ``emptied`` (left with no statement by moves ``pairs``, ``(from, to)``), those
    all of whose statements went to one actor: ``{actor: that actor}`` (the ties and proposals
    still naming it follow them there).

    >>> emptied_into([("a", "b"), ("c", "b"), ("c", "d")], ["a", "c"])
    {'a': 'b'}
    """
    to: dict[str, set[str]] = defaultdict(set)
    for old, new in pairs:
        to[old].add(new)
    return {x: next(iter(to[x])) for x in sorted(emptied) if len(to[x]) == 1}


@dataclass
class ResolvedBatch:
    """Everything a loader produced for one source, resolved to canonical actors: ``statements`` in
    the order the loader gave them to the resolver (the store keeps it, :meth:`Store.source_statements`);
    ``joins``: the
    actors of other sources it joins (:class:`Join`, in order), which the batch's statements,
    relations and proposals already name by the actor they are joined into."""

    source: Source
    statements: list[ResolvedStatement] = field(default_factory=list)
    relations: list[ResolvedRelation] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    joins: list[Join] = field(default_factory=list)

    def distinct_relations(self, loaded_at: datetime) -> Iterator[tuple[ResolvedRelation, str, dict[str, Any]]]:
        """Each distinct relation statement once, as every store writes it: ``(resolved
        relation, statement id, stored payload)``; provenance without a load time is stamped
        with ``loaded_at`` (the source's)."""
        seen: set[str] = set()
        times: dict[datetime, Any] = {}  # a load's relations share one or a few load times
        for rr in self.relations:
            r = rr.relation
            rid = rr.statement_id or r.statement_id()
            if rid in seen:
                continue
            seen.add(rid)
            p = r.provenance
            if p.loaded_at is None:
                p.loaded_at = loaded_at
            yield rr, rid, {"type": r.type, "fields": r.fields, "start": r.start, "end": r.end,
                            "provenance": provenance_payload(p, times), "keys": [r.source, r.target]}


_PROVENANCE_FIELDS = tuple(Provenance.model_fields)


def provenance_payload(p: Provenance, times: dict[datetime, Any] | None = None) -> dict[str, Any]:
    """``p.model_dump(mode="json", exclude_none=True)``, without pydantic's generic serialiser
    for each of a load's many relations: every field but ``loaded_at`` is a plain string, and
    ``loaded_at`` (one value per load) is serialised once per distinct value in ``times``.
    tests/test_sqlite_bulk_write.py checks it equals ``model_dump`` on varied provenances.

    >>> from datetime import datetime, timezone
    >>> provenance_payload(Provenance(source="s", locator="row 2", loaded_at=datetime(2026, 1, 2, tzinfo=timezone.utc)))
    {'source': 's', 'locator': 'row 2', 'certainty': 'stated', 'loaded_at': '2026-01-02T00:00:00Z'}
    """
    d = p.__dict__
    out = {k: d[k] for k in _PROVENANCE_FIELDS if d[k] is not None}
    t = out.get("loaded_at")
    if t is not None:
        if times is None:
            times = {}
        if t not in times:
            times[t] = json_time(t)
        out["loaded_at"] = times[t]
    return out


_DATETIME: TypeAdapter[datetime] = TypeAdapter(datetime)


#: The key under which a store keeps the persons' numbers (the ``meta`` table of the embedded
#: store, a ``:MaillageMeta`` node in Neo4j): a JSON ``{"last": N, "numbers": {actor id: n}}``.
PERSON_NUMBERS_KEY = "person_numbers"


def numbering_json(last: int, numbers: dict[str, int]) -> str:
    """The persons' numbers as a store keeps them (:data:`PERSON_NUMBERS_KEY`)."""
    return json.dumps({"last": int(last), "numbers": {str(k): int(v) for k, v in sorted(numbers.items())}},
                      separators=(",", ":"))


def numbering_of(text: str | None) -> tuple[int, dict[str, int]] | None:
    """What :func:`numbering_json` wrote, or ``None`` for nothing or anything else (numbered
    again in load order, as before they were kept).

    >>> numbering_of(numbering_json(4, {"a-1": 1, "a-3": 3}))
    (4, {'a-1': 1, 'a-3': 3})
    >>> numbering_of("pas du JSON") is None, numbering_of(None) is None
    (True, True)
    """
    try:
        data = json.loads(text or "")
        numbers = {str(k): int(v) for k, v in data["numbers"].items()}
        return max(int(data["last"]), *numbers.values(), 0), numbers
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def json_time(t: datetime) -> str:
    """A time as the stored JSON writes it (pydantic's JSON form: ``2026-01-02T00:00:00Z``)."""
    return _DATETIME.dump_python(t, mode="json")


class WriteSummary(BaseModel):
    source: str
    statements: int = 0
    relations: int = 0
    actors_created: int = 0
    actors_removed: int = 0
    actors_touched: int = 0
    #: ``remove_source``: the joins its statements had made, undone — ``(actor id back, actor it
    #: had joined)`` — in the order they are undone
    joins_undone: list[tuple[str, str]] = Field(default_factory=list)
    #: ``maillage.loaders.resolution.remove_source``: of those, the joins made again because a
    #: statement of another source still bridges them — ``(actor id, actor it joins, that source)``
    joins_redone: list[tuple[str, str, str]] = Field(default_factory=list)
    #: ``maillage.loaders.resolution.remove_source``: the joins of other actors a statement of a
    #: source loaded after it makes, resolved again as its first load without the removed source
    #: would be — ``(actor id, actor it joins, that source)``
    joins_made: list[tuple[str, str, str]] = Field(default_factory=list)
    #: ``maillage.loaders.resolution.remove_source``: the joins a source loaded after it had made
    #: that its statements, resolved again without the removed source, no longer make — ``(actor id
    #: back, actor it had joined, that source)``
    later_joins_undone: list[tuple[str, str, str]] = Field(default_factory=list)
    #: ``maillage.loaders.resolution.remove_source``: the statements of sources loaded after it that
    #: the rules, resolving them again, put elsewhere, moved there — ``(source, key, actor it
    #: was in, actor it is in now)``
    resolved_again: list[tuple[str, str, str, str]] = Field(default_factory=list)


class AnalysisRun(BaseModel):
    """One analysis: which lens, which year, which parameters; metrics hang off its id."""

    id: str
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    lens: str = "cooperation"
    as_of: int | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    note: str | None = None


@dataclass
class Subgraph:
    """Actors and the relations among them, as returned by graph-shaped reads."""

    actors: dict[str, ActorView] = field(default_factory=dict)
    relations: list[RelationView] = field(default_factory=list)
    capped: bool = False
    notes: list[str] = field(default_factory=list)
    #: Natural persons the read left out (``include_persons=False``) although they belong to the
    #: view (tied to its centre): a count for the maps to say so, never who they are.
    persons_left_out: int = 0

    def __len__(self) -> int:
        return len(self.actors)


def with_carriers(sub: Subgraph, pole_id: str, skip_certainty: Sequence[str],
                  touching: Callable[[list[str]], list[RelationView]],
                  actors_of: Callable[[set[str]], dict[str, ActorView]]) -> Subgraph:
    """A pôle's subgraph ``sub`` and its structures porteuses' ties
    (:meth:`Store.pole_context_subgraph`): the carriers are the sources of the ``carries`` ties
    of ``sub`` to the pôle whose certainty is not in ``skip_certainty``; ``touching(carriers)``
    gives the relations touching them (by id), ``actors_of(ids)`` the actors at their ends that
    ``sub`` lacks (persons are dropped). The actors: ``sub``'s, then those; the relations:
    ``sub``'s, then the new ones between kept actors."""
    actors = dict(sub.actors)
    rels = {r.id: r for r in sub.relations}
    carriers = {r.source for r in rels.values() if r.type == "carries" and r.target == pole_id
                and r.source != pole_id and r.provenance.certainty not in skip_certainty}
    if carriers:
        extra = touching(sorted(carriers))
        missing = {e for r in extra for e in (r.source, r.target)} - set(actors)
        if missing:
            actors.update({k: a for k, a in actors_of(missing).items() if not a.personal_data})
        for r in extra:
            if r.source in actors and r.target in actors:
                rels.setdefault(r.id, r)
    return Subgraph(actors=actors, relations=list(rels.values()), capped=sub.capped, notes=list(sub.notes),
                    persons_left_out=sub.persons_left_out)


class Store(abc.ABC):
    """Abstract graph store. Use :func:`maillage.graph.open_store` to get one."""

    uri: str

    # -- writes ------------------------------------------------------------------------------
    def check_writable(self) -> None:
        """Refuse, before any work, to write a store this user may only read (an embedded store
        file shared read-only: :class:`~maillage.graph.sqlite_store.SQLiteStore`). Every write
        of such a store is refused; a load calls this first, not to read its files for nothing."""

    @abc.abstractmethod
    def replace_source(self, batch: ResolvedBatch) -> WriteSummary:
        """Atomically replace every statement of ``batch.source.id`` with the batch's, and join the
        actors of ``batch.joins`` (the persons' numbers kept in the same transaction)."""

    def remove_source(self, source_id: str) -> WriteSummary:
        """Remove a source and every statement that came from it; the persons of the other
        sources keep their numbers (« [personne 3] »: kept in the same transaction). The joins its
        statements made (:class:`Join`, as a bridge) are undone, latest first: every statement a
        join moved and that is still in the actor it joined by it goes back to the actor it came
        from, under its id, with its rule, score and match of before, its names, identifiers and
        ties; the proposals that named that actor name it again; a person takes back its number.
        Which pairs: ``joins_undone`` of the summary (a remaining statement may still bridge
        them: :func:`maillage.loaders.resolution.remove_source` joins them again)."""
        src = self.source(source_id)
        if src is None:
            raise NotFound(f"no source {source_id!r} in {self.uri}")
        return self._remove_source(source_id)

    @abc.abstractmethod
    def _remove_source(self, source_id: str) -> WriteSummary: ...

    @abc.abstractmethod
    def detach_statement(self, source_id: str, key: str, new_actor_id: str) -> str:
        """Undo a merge: give the statement ``(source_id, key)`` its own canonical actor
        ``new_actor_id`` (recorded as a ``detach`` :class:`Decision`). Each statement left in
        the actor it leaves gets a ``reject`` of ``new_actor_id``: loaded again, the other side of
        the pair does not join it back by the rules either."""

    def merge_statement(self, source_id: str, key: str, actor_id: str, whole_actor: bool = True) -> str:
        """Accept a merge: the statement ``(source_id, key)`` describes the existing actor
        ``actor_id``. With ``whole_actor`` (a reviewer's "these two actors are one"), every
        statement resolved together with it moves too; without, only that one. Relations
        that name a moved statement follow it; each moved statement gets an ``accept``
        :class:`Decision` (re-applied on reload) and its proposal is settled. Raises
        :class:`NotFound` for an unknown statement or actor, :class:`StoreError` when the
        actor left behind would vanish while relations of other sources still point at it."""
        raise NotImplementedError(f"{type(self).__name__} does not keep review decisions yet")

    def undo_accept(self, source_id: str, key: str, alone_id: str) -> str:
        """Undo the accept that brought the statement ``(source_id, key)`` into its actor: every
        statement that accept moved goes back to the actor it came from (its id and its rule,
        score and match of before: :func:`accept_to_undo`), the relations that name them follow,
        the proposals it settled come back, and each gets an ``undo`` :class:`Decision` (the
        accept no longer holds on reload: the rules decide again, and propose the pair again).
        ``alone_id``: the actor of a statement whose accept kept no previous actor. Returns the
        actor the statement is back in. Raises :class:`NotFound` for an unknown statement,
        :class:`StoreError` when no accept of it holds, or when the actor it leaves would vanish
        while relations of other sources still point at it (nothing changed)."""
        raise NotImplementedError(f"{type(self).__name__} does not keep review decisions yet")

    def undo_join(self, source_id: str, key: str) -> str:
        """Undo the join that moved the statement ``(source_id, key)`` (rule ``joined``) into its
        actor: as :meth:`remove_source` undoes a join — every statement it moved back in the actor
        it came from, under its id, rule, score and match, with its ties; the proposals back; a
        person's number back — and each statement moved back gets a ``reject`` of the actor it
        leaves: the bridge's source loaded again does not join them back. Returns the actor the
        statement is back in. Raises :class:`NotFound` for an unknown statement,
        :class:`NoJoinRecord` when no recorded join of it can be undone (nothing changed)."""
        raise NotImplementedError(f"{type(self).__name__} does not undo joins yet")

    def join_actors(self, source_id: str, joins: Sequence[Join]) -> set[str]:
        """Join actors of the store as a load of ``source_id`` does (:attr:`ResolvedBatch.joins`),
        in one transaction, without writing the source: a statement of it, already stored, still
        bridges actors a removal split (:func:`maillage.loaders.resolution.remove_source`). The
        joins are recorded with ``source_id``, as its load's. Returns the actors touched."""
        raise NotImplementedError(f"{type(self).__name__} does not join actors apart from a load yet")

    def split_joins(self, source_id: str) -> list[tuple[str, str]]:
        """Undo the joins the statements of ``source_id`` made (as :meth:`remove_source` does, latest
        first, in one transaction), the source left in the store, no decision recorded: the
        statements go back to the actors they came from, with their ties; a person takes back its
        number. Returns the pairs split ``(actor id back, actor it had joined)``. Before the source
        is resolved again (:func:`maillage.loaders.resolution.remove_source`), which makes again
        those it still makes. Raises :class:`NotFound` for an unknown source."""
        raise NotImplementedError(f"{type(self).__name__} does not undo joins yet")

    def move_statements(self, source_id: str, moves: Sequence[ResolvedStatement],
                        proposals: Sequence[Proposal] = ()) -> set[str]:
        """Move stored statements of ``source_id`` to the actors its resolution again gives them,
        in one transaction, without writing the source: ``moves``, each its key (``actor.key``), the
        actor it goes to (an actor of the store, or a new one by that id) and the rule, score and
        match that put it there. Their names and identifiers follow, and the source's ties that
        name a moved statement; the source's proposals are replaced by ``proposals`` (its
        resolution's, naming the actors as they are after the moves). An actor all of whose statements went to one actor: every tie and proposal naming
        it follows them. No decision is recorded (a reviewer's decisions are the resolver's to
        apply). Returns the actors touched. Raises :class:`NotFound` for an unknown statement,
        :class:`StoreError` when an actor left with no statement is still named by a tie (nothing
        changed). What :func:`maillage.loaders.resolution.remove_source` does to the later
        sources' statements the removed source's had drawn into its actors."""
        raise NotImplementedError(f"{type(self).__name__} does not move statements apart from a load yet")

    def reject_proposal(self, source_id: str, key: str, candidate_id: str) -> None:
        """Reject a merge: the statement ``(source_id, key)`` is not ``candidate_id``; the
        proposal goes and later loads of the source neither merge nor propose the pair
        (recorded as a ``reject`` :class:`Decision`)."""
        raise NotImplementedError(f"{type(self).__name__} does not keep review decisions yet")

    def decisions(self, source_id: str | None = None) -> list[Decision]:
        """Reviewers' decisions, oldest first, for one source or all. (Every store must
        implement the three decision methods: the conformance suite checks them; the defaults
        only keep a store that predates them importable.)"""
        return []

    # -- the persons' numbers ----------------------------------------------------------------
    # Every write above that changes the persons (replace_source, remove_source, merge_statement,
    # detach_statement, undo_accept) keeps their numbers in its own transaction, before its commit
    # (maillage.graph.numbering.NumberKeeping): a person present before keeps its number, a new
    # one is numbered after the highest ever given; no caller has anything to do.
    def person_numbering(self) -> tuple[int, dict[str, int]] | None:
        """The numbers the natural persons were given to mask their names (« [personne 3] »:
        :func:`maillage.analytics.run.person_groups`), kept so that a person keeps its number
        when a source is removed: the highest number given so far and each person's, by actor
        id; ``None`` when none were kept yet (a store written by an earlier maillage, or that
        never held a person)."""
        return None

    def keep_person_numbering(self, last: int, numbers: dict[str, int]) -> None:
        """Keep the persons' numbers (:meth:`person_numbering`); what was kept before is replaced.
        Stores that keep none (this default) number the persons in load order at each read. The
        writes keep the numbers themselves: this is for a store's own tests and repairs."""

    def number_persons(self) -> None:
        """Keep the number each person has now (:func:`maillage.analytics.run.person_groups`), in
        one write transaction: a store written by an earlier maillage (no numbers kept) has its
        persons' load-order numbers kept, without any other write. This default reads and
        writes through the public methods (a store without transactions of its own)."""
        from .numbering import NumberKeeping, StoreReads

        keeping = NumberKeeping(StoreReads(self))
        keeping.done(keeping.reads.person_ids())

    # -- the right to erasure (maillage.graph.erasure) ------------------------------------------
    def forget_person(self, actor_id: str) -> Erasure:
        """Erase the natural person ``actor_id`` at their request (RGPD, art. 17), in one
        transaction: its actor, its statements from every source (names, identifiers), its ties
        in both directions, its values in every analysis run, the review proposals and decisions
        about it go; its names in the free text of the store (quotes, ties' fields, sources'
        titles and notes) become « [personne effacée] »; the other persons keep their numbers;
        keyed hashes of its name keys and identifiers are kept (:meth:`erasures`) so that a
        later load refuses it. Raises :class:`NotFound` for an unknown id, :class:`NotAPerson`
        for an organisation; nothing is changed then. :mod:`maillage.graph.erasure`."""
        raise NotImplementedError(f"{type(self).__name__} cannot erase a person yet")

    def erasures(self) -> Erasures | None:
        """The store's memory of the persons erased (:class:`~maillage.graph.erasure.Erasures`),
        or None when none was."""
        return None

    # -- sources and statements --------------------------------------------------------------
    @abc.abstractmethod
    def sources(self) -> list[Source]: ...

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources() if s.id == source_id), None)

    @abc.abstractmethod
    def statements(self, actor_id: str) -> list[tuple[str, Actor]]:
        """Every ``(source id, Actor statement)`` behind a canonical actor."""

    def statements_of(self, actor_ids: Iterable[str]) -> dict[str, list[tuple[str, Actor]]]:
        """:meth:`statements` of several actors at once: ``{actor id: [(source id, Actor
        statement)…]}``, each list in :meth:`statements`' order; an actor without statements (or
        unknown) is left out. One read on every store (a person numbering asked one per person)."""
        return {aid: [(sid, a) for sid, a, _ in st] for aid, st in self.resolved_statements(actor_ids).items()}

    @abc.abstractmethod
    def resolved_statements(self, actor_ids: Iterable[str]) -> dict[str, list[tuple[str, Actor, str]]]:
        """:meth:`statements_of`, each statement with the rule that resolved it into the actor
        (``accepted``: a reviewer merged it in; :meth:`resolution_log`): ``{actor id: [(source
        id, Actor statement, rule)…]}``, what the store merges its actors from
        (:func:`~maillage.graph.merge.merge_resolved`). One read."""

    @abc.abstractmethod
    def source_statements(self, source_id: str) -> list[Actor]:
        """A source's statements in the order its load gave them to the resolver (its file's:
        :attr:`ResolvedBatch.statements`' order, kept by every write of the source); a statement
        stored without it (by an earlier maillage) after them, by key. What resolving the source
        again reads (:func:`~maillage.loaders.resolution.remove_source`): which of its names a fuzzy
        rule met first depends on it."""

    @abc.abstractmethod
    def resolution_log(self, source_id: str) -> list[dict[str, Any]]:
        """How each statement of a source was resolved: key, actor_id, rule, score, matched."""

    def resolution_of(self, source_id: str) -> dict[str, str]:
        """The canonical actor id each statement key of a source was resolved to."""
        return {r["key"]: r["actor_id"] for r in self.resolution_log(source_id)}

    @abc.abstractmethod
    def proposals(self, source_id: str | None = None) -> list[Proposal]: ...

    # -- actors --------------------------------------------------------------------------------
    @abc.abstractmethod
    def get_actors(self, ids: Iterable[str]) -> dict[str, ActorView]: ...

    def get_actor(self, actor_id: str) -> ActorView | None:
        return self.get_actors([actor_id]).get(actor_id)

    @abc.abstractmethod
    def iter_actors(self, include_persons: bool = False) -> Iterator[ActorView]: ...

    def persons(self) -> list[ActorView]:
        """The natural persons (actors flagged ``personal_data``), by id: what the masks of every
        view, export and report are made from (:mod:`maillage.analytics.persons`). The stores read
        them through an index of the persons, not by scanning every actor (a store of 117,504
        actors from a subsidy file took 1.6 s to find it had none)."""
        return [a for a in self.iter_actors(include_persons=True) if a.personal_data]

    @abc.abstractmethod
    def find_by_identifier(self, scheme: str, value: str) -> list[str]:
        """Actor ids carrying that identifier (a SIRET also finds its SIREN's actor)."""

    @abc.abstractmethod
    def find_by_name(self, name: str) -> list[str]:
        """Actor ids one of whose names or aliases has the same :func:`name_key`."""

    @abc.abstractmethod
    def name_index(self, exclude_source: str | None = None) -> Iterator[NameEntry]:
        """Every (actor, name key) pair, for entity resolution; ``exclude_source`` leaves out
        the names only that source's statements give (a source is resolved against the others)."""

    @abc.abstractmethod
    def identifier_index(self, exclude_source: str | None = None) -> Iterator[tuple[str, str, str]]:
        """Every ``(actor id, scheme, value)``, optionally leaving out one source's statements."""

    @abc.abstractmethod
    def search(self, text: str = "", family: str | None = None, territory: str | None = None,
               include_persons: bool = False, limit: int = 50, offset: int = 0) -> list[ActorView]:
        """Actors whose names and aliases contain every word of ``text`` (accent- and
        case-insensitive, in any order: « jardins cocagne » finds « Jardins de Cocagne »); named
        actors before placeholders (« association de préfiguration du Périscope (non nommée) »
        after « Le Périscope »), then by name and id."""

    @abc.abstractmethod
    def actors_in_territory(self, territory_id: str, include_persons: bool = False) -> list[str]:
        """Actors located in a territory or anywhere inside it (rollup)."""

    # -- relations -----------------------------------------------------------------------------
    @abc.abstractmethod
    def relations(self, touching: Iterable[str] | None = None, among: Iterable[str] | None = None,
                  types: Sequence[str] | None = None, as_of: int | None = None,
                  certainty: Sequence[str] | None = None, source: str | None = None,
                  limit: int | None = None) -> list[RelationView]:
        """Relation statements, filtered. ``touching``: at least one end in the set;
        ``among``: both ends in the set; ``as_of``: active in that year."""

    @abc.abstractmethod
    def ties(self, touching: Iterable[str], types: Sequence[str] | None = None, as_of: int | None = None,
             certainty: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
        """``(relation id, source, target)`` of every statement with an end in ``touching``
        (of ``types``; active in ``as_of``; of ``certainty``), by id: what
        ``relations(touching=…)`` returns, without reading each statement's fields and
        provenance — for breadth-first searches that cross hubs (at nation scale a ring next
        to a région has tens of thousands of statements)."""

    @abc.abstractmethod
    def tie_fields(self, touching: Iterable[str], types: Sequence[str] | None = None,
                   source: str | None = None) -> list[tuple[str, str, str, dict[str, Any]]]:
        """``(relation id, source, target, fields)`` of every statement with an end in
        ``touching`` (of ``types``; stated by the source ``source``), by id: what
        ``relations(touching=…)`` returns, without building each statement's provenance —
        for checks that compare many statements by their fields (the grants of one subsidy
        file against another's: 100,000 grants read as relations cost 2.2 s, their fields
        0.4 s)."""

    # -- analysis runs -------------------------------------------------------------------------
    @abc.abstractmethod
    def save_run(self, run: AnalysisRun, metrics: Iterable[tuple[str, str, float]]) -> str:
        """Store a run and its ``(actor id, metric, value)`` rows; earlier runs are kept."""

    @abc.abstractmethod
    def runs(self) -> list[AnalysisRun]: ...

    def delete_runs(self, ids: Iterable[str]) -> dict[str, int]:
        """Remove analysis runs and their metrics; ``{run id: metric rows removed}``, in the
        order given (an id given twice counts once). Refused with :class:`NotFound`, nothing
        removed, when one id is no run of the store. A removed run can no longer be cited,
        exported or reported on; the other runs are left exactly as they were. An id of
        :meth:`runs_being_removed` is taken too: its removal is finished (its count: the metric
        rows that were left)."""
        wanted = list(dict.fromkeys(ids))
        known = {r.id for r in self.runs()}
        unknown = [i for i in wanted if i not in known]
        if unknown:  # a removal cut short is no run any more, but removing it again finishes it
            cut_short = set(self.runs_being_removed())
            unknown = [i for i in unknown if i not in cut_short]
        if unknown:
            raise NotFound(f"no analysis run {', '.join(map(repr, unknown))}; nothing was removed")
        return self._delete_runs(wanted) if wanted else {}

    @abc.abstractmethod
    def _delete_runs(self, ids: Sequence[str]) -> dict[str, int]:
        """Remove the runs ``ids`` (known to exist, or in :meth:`runs_being_removed`) and their
        metrics: ``{id: metric rows}``."""

    def runs_being_removed(self) -> list[str]:
        """Runs whose removal has begun and not ended: gone for every read (no longer in
        :meth:`runs`), but some of their metrics are still stored — a removal cut short, on a
        store that removes a run in several transactions (Neo4j). ``delete_runs`` of such an id
        (or of any run), saving a run or :meth:`finish_run_removals` finishes it. The embedded store removes runs in one transaction: none."""
        return []

    def finish_run_removals(self) -> dict[str, int]:
        """Finish every removal cut short (:meth:`runs_being_removed`): ``{run id: metric rows it
        had left, now deleted}``; ``{}`` when none is pending. Saving a run and any
        ``delete_runs`` finish them too; ``maillage runs`` calls this when it lists the runs.
        The embedded store removes runs in one transaction: nothing is ever pending."""
        return {}

    @abc.abstractmethod
    def metrics(self, run_id: str | None = None, actor_id: str | None = None,
                actor_ids: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        """``{actor id: {metric: value}}`` for a run (default: the latest): every actor's, or
        only ``actor_id``'s, or only those of ``actor_ids`` (one read for all of them: the API
        asks for the few hundred actors of a view out of a run of 100,000)."""

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """``with store.reading():`` — many small reads of one state of the store (an analysis
        reads every pôle's subgraph): a store over the network may read the actors once and
        answer the others from memory (:class:`~maillage.graph.neo4j_store.Neo4jStore`). Its
        own writes end that; another process's writes meanwhile may not be seen. The embedded
        store reads locally: nothing changes."""
        yield self

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- graph-shaped reads, written once -------------------------------------------------------
    def _subgraph(self, ids: set[str], rels: list[RelationView], include_persons: bool) -> Subgraph:
        actors = self.get_actors(ids)
        left = 0
        if not include_persons:
            left = sum(1 for a in actors.values() if a.personal_data)
            actors = {k: a for k, a in actors.items() if not a.personal_data}
        rels = [r for r in rels if r.source in actors and r.target in actors]
        return Subgraph(actors=actors, relations=rels, persons_left_out=left)

    def neighbourhood(self, actor_id: str, depth: int = 1, types: Sequence[str] | None = None,
                      as_of: int | None = None, certainty: Sequence[str] | None = None,
                      include_persons: bool = False, max_actors: int | None = None) -> Subgraph:
        """The actor, everyone within ``depth`` ties of it, and the relations among them."""
        if self.get_actor(actor_id) is None:
            raise NotFound(f"no actor {actor_id!r}")
        if depth < 0:
            raise ValueError("depth must be ≥ 0")
        seen = {actor_id}
        frontier = {actor_id}
        capped = False
        persons = None if include_persons else self._person_ids()
        left: set[str] = set()
        for _ in range(depth):  # the rings through bare ties; the relations once, at the end
            ties = self.ties(frontier, types=types, as_of=as_of, certainty=certainty)
            nxt = {e for _, a, b in ties for e in (a, b)} - seen
            if persons:
                left |= nxt & persons
                nxt -= persons
            if max_actors is not None and len(seen) + len(nxt) > max_actors:
                nxt = set(sorted(nxt)[: max(0, max_actors - len(seen))])
                capped = True
            seen |= nxt
            frontier = nxt
            if not frontier:
                break
        sub = self._subgraph(seen, self.relations(among=seen, types=types, as_of=as_of, certainty=certainty),
                             include_persons)
        sub.capped = capped
        sub.persons_left_out += len(left)
        if capped:
            sub.notes.append(f"capped at {max_actors} actors")
        return sub

    def pole_subgraph(self, pole_id: str, as_of: int | None = None, types: Sequence[str] | None = None,
                      include_persons: bool = False) -> Subgraph:
        """A pôle, every actor tied to it (members, structure porteuse, funders, partners…),
        and the relations among them."""
        pole = self.get_actor(pole_id)
        if pole is None:
            raise NotFound(f"no actor {pole_id!r}")
        if pole.family != "pole":
            raise StoreError(f"{pole_id!r} is a {pole.family}, not a pôle")
        return self.neighbourhood(pole_id, depth=1, types=types, as_of=as_of, include_persons=include_persons)

    def pole_context_subgraph(self, pole_id: str, as_of: int | None = None,
                              skip_certainty: Sequence[str] = ()) -> Subgraph:
        """What a pôle's diagnostic reads (:func:`maillage.analytics.poles.pole_context`): its
        :meth:`pole_subgraph` (natural persons left out), then every statement touching its
        structures porteuses — the actors with a ``carries`` tie to the pôle whose certainty is
        not in ``skip_certainty`` — and the actors at their other ends (persons left out):
        :func:`with_carriers`. Raises as :meth:`pole_subgraph` does. A store over the network
        reads it in one round trip (:class:`~maillage.graph.neo4j_store.Neo4jStore`)."""
        sub = self.pole_subgraph(pole_id, as_of=as_of)
        return with_carriers(sub, pole_id, skip_certainty, lambda ids: self.relations(touching=ids, as_of=as_of),
                             self.get_actors)

    def territory_subgraph(self, territory_id: str, as_of: int | None = None,
                           types: Sequence[str] | None = None, include_persons: bool = False,
                           include_external: bool = False) -> Subgraph:
        """Actors located in a territory and the relations among them; with
        ``include_external``, also the actors outside it that they are tied to."""
        inside = set(self.actors_in_territory(territory_id, include_persons=include_persons))
        if include_external:
            rels = self.relations(touching=inside, types=types, as_of=as_of)
            ids = inside | {e for r in rels for e in (r.source, r.target)}
        else:
            rels = self.relations(among=inside, types=types, as_of=as_of)
            ids = inside
        sub = self._subgraph(ids, rels, include_persons)
        outside = len(set(sub.actors) - inside)
        if outside:
            sub.notes.append(f"{outside} actors outside {territory_id} tied to actors inside it")
        return sub

    def projection(self, types: Sequence[str] | None = None, as_of: int | None = None,
                   certainty: Sequence[str] | None = None, include_persons: bool = False) -> Subgraph:
        """The whole graph (or one lens of it), for analytics."""
        actors = {a.id: a for a in self.iter_actors(include_persons=include_persons)}
        rels = [r for r in self.relations(types=types, as_of=as_of, certainty=certainty)
                if r.source in actors and r.target in actors]
        return Subgraph(actors=actors, relations=rels)

    def _person_ids(self) -> set[str]:
        """Ids of actors flagged as personal data (stores may answer this faster)."""
        return {a.id for a in self.iter_actors(include_persons=True) if a.personal_data}
