"""The persons' numbers (« [personne 3] »): the order the natural persons of a store are numbered
in, and how a store keeps the numbers inside the transaction of each write that changes its persons.

A natural person (an actor with ``personal_data``) is masked in free text with a number
(:func:`maillage.graph.masking.person_masker`): the persons that have a name worth masking
(:func:`maskable`) are numbered in the order they came into the store (:func:`person_order`), and
the store keeps the numbers (:data:`~maillage.graph.store.PERSON_NUMBERS_KEY`): a person keeps its
number as long as it is in the store, a new one gets the next after the highest ever given
(:func:`by_number`), a number no longer anyone's is given to no one again.

Every write of a store that changes its persons — writing a source (a load, a reload), removing
one, accepting or undoing a merge — keeps the numbers **in its own transaction**
(:class:`NumberKeeping`, on what that transaction sees: :class:`PersonReads`): they are committed
with the write or not at all, whoever calls it (the command line, the API, Python), and two writers
are serialised by the store's write lock, so neither overwrites the other's numbers.
docs/privacy.md, « The store keeps the numbers ».
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .model import Actor, ActorView
    from .store import Store

#: What a store keeps: the highest number given so far, and each person's number by actor id.
Numbering = tuple[int, dict[str, int]]


def maskable(names: Iterable[str]) -> tuple[str, ...]:
    """The names worth masking among a person's ``names``: without their parenthesised remarks,
    two words or more, or 8 letters or more (a first name alone would mask ordinary words). A
    person with none is not numbered.

    >>> maskable(["Jean Brioussel (also 'Jean Briussel')", "Jean", "Brioussel"])
    ('Jean Brioussel', 'Brioussel')
    """
    out = []
    for n in names:
        n = re.sub(r"\s*\([^)]*\)", "", n).strip(" .,;")
        if len(n.split()) >= 2 or len(n) >= 8:
            out.append(n)
    return tuple(dict.fromkeys(out))


def named_persons(actors: Iterable[ActorView]) -> list[tuple[ActorView, tuple[str, ...]]]:
    """The natural persons among ``actors`` that have a name worth masking, with those names."""
    return [(a, names) for a in actors if a.personal_data and (names := maskable((a.name, *a.aliases)))]


def _line(locator: str | None) -> float:
    """The line or row a locator points at (« L49 », « row 12 », « L466-467 »), for ordering."""
    m = re.search(r"\d+", locator or "")
    return int(m.group()) if m else math.inf


def person_order(source_ids: Sequence[str], persons: Iterable[tuple[str, tuple[str, ...], Sequence[str]]],
                 statements_of: Callable[[list[str]], dict[str, list[tuple[str, Actor]]]]
                 ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``persons`` — ``(actor id, names worth masking, the actor's sources)`` — in the order they
    came into the store: by the load order (``source_ids``, in load order) of the first source
    stating them, then by the line or row of that source they are stated on (their statements
    read at once, by ``statements_of``, only for the persons a source states first with others),
    then by actor id. Returns ``(actor id, names)`` in that order.

    >>> person_order(["s1", "s2"], [("b", ("Bé Roy",), ["s2"]), ("a", ("Ana Roy",), ["s2", "s1"])], dict)
    (('a', ('Ana Roy',)), ('b', ('Bé Roy',)))
    """
    order = {s: i for i, s in enumerate(source_ids)}
    found = [[min((order[s] for s in sources if s in order), default=len(order)), math.inf, aid, names]
             for aid, names, sources in persons]
    firsts = Counter(f[0] for f in found)
    by_order = list(order)
    # several persons first stated by one source: by its lines (their statements read at once)
    shared = [f for f in found if firsts[f[0]] > 1 and f[0] < len(order)]
    stated = statements_of([f[2] for f in shared]) if shared else {}
    for f in shared:
        source = by_order[f[0]]
        f[1] = min((_line(st.provenance.locator) for sid, st in stated.get(f[2], ())
                    if sid == source and st.provenance is not None), default=math.inf)
    # the actor id last: only between persons stated on the same line, or without a line
    return tuple((f[2], f[3]) for f in sorted(found, key=lambda f: (f[0], f[1], f[2])))


def by_number(persons: Iterable[tuple[str, tuple[str, ...]]], kept: Numbering | None
              ) -> tuple[Numbering, list[tuple[str, ...]]]:
    """The numbering of ``persons`` (actor id, names: in load order, :func:`person_order`) given
    what the store kept (:meth:`~maillage.graph.store.Store.person_numbering`): a person keeps its
    number, one without a number gets the next after the highest ever given. Returns that
    numbering (kept for the persons of the store only) and the names by number, ``()`` where a
    number is no one's.

    >>> by_number([("a", ("Ana Roy",)), ("c", ("Cy Roy",)), ("d", ("Di Roy",))], (3, {"a": 1, "b": 2, "c": 3}))
    ((4, {'a': 1, 'c': 3, 'd': 4}), [('Ana Roy',), (), ('Cy Roy',), ('Di Roy',)])
    """
    last, numbers = kept or (0, {})
    given: dict[str, int] = {}
    taken: set[int] = set()
    persons = list(persons)
    for aid, _names in persons:
        n = numbers.get(aid)
        if n is None or n in taken:
            last += 1
            n = last
        given[aid] = n
        taken.add(n)
    by = {given[aid]: names for aid, names in persons}
    return (last, given), [by.get(k, ()) for k in range(1, max(by, default=0) + 1)]


class PersonReads(Protocol):
    """What :class:`NumberKeeping` reads and writes, as one write transaction of a store sees it
    (its changes included)."""

    def numbering(self) -> Numbering | None:
        """The numbers kept (:meth:`~maillage.graph.store.Store.person_numbering`)."""

    def person_ids(self) -> set[str]:
        """The ids of the natural persons (cheap: an index of the persons)."""

    def persons(self) -> Iterable[ActorView]:
        """The natural persons."""

    def source_ids(self) -> list[str]:
        """The sources' ids, in load order."""

    def statements_of(self, actor_ids: list[str]) -> dict[str, list[tuple[str, Actor]]]:
        """:meth:`~maillage.graph.store.Store.statements_of`."""

    def keep(self, last: int, numbers: dict[str, int]) -> None:
        """Keep the numbers (:meth:`~maillage.graph.store.Store.keep_person_numbering`)."""


def ordered_persons(reads: PersonReads) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The persons ``reads`` sees, in load order (:func:`person_order`)."""
    persons = [(a.id, names, a.sources) for a, names in named_persons(reads.persons())]
    return person_order(reads.source_ids(), persons, reads.statements_of) if persons else ()


class NumberKeeping:
    """The persons' numbers through one write transaction: made at its start (the store's write
    lock taken, nothing changed yet), :meth:`done` at its end, before the commit.

    A store written before the numbers were kept (none kept, persons in it) has its persons
    numbered here, before the write, in load order, as every read numbered them: the write renumbers
    no one. At the end, when the write touched a person (one that is a person before or after it)
    or took away a numbered one, the persons are numbered again from the numbers of before: each
    keeps its number, the new ones come after the highest ever given. A write that touches no
    person, in a store that has none, reads two empty index ranges and nothing else."""

    def __init__(self, reads: PersonReads):
        self.reads = reads
        self.stored = reads.numbering()
        self.kept = self.stored
        if self.stored is None and reads.person_ids():
            self.kept = by_number(ordered_persons(reads), None)[0]

    def keep_now(self) -> None:
        """Write at once what :meth:`__init__` numbered for a store that kept no numbers (the
        first transaction of a write in several: the later ones change the persons)."""
        if self.kept != self.stored:
            self.reads.keep(*self.kept)
            self.stored = self.kept

    def restore(self, numbers: dict[str, int]) -> None:
        """Give back to actors the numbers they had (a join undone: the person joined into another
        had left its own unused), before :meth:`done`: a number that is someone's stays theirs."""
        if not numbers or self.kept is None:
            return
        last, kept = self.kept
        taken = set(kept.values())
        self.kept = (max(last, *numbers.values()),
                     {**kept, **{a: n for a, n in numbers.items() if n not in taken and a not in kept}})

    def done(self, touched: Collection[str]) -> None:
        """At the end of the write, which touched (wrote, changed or removed) the actors ``touched``:
        keep the numbers the persons have now."""
        persons = self.reads.person_ids()
        numbering = self.kept
        numbered = set(self.kept[1]) if self.kept else set()
        touched = touched if isinstance(touched, (set, frozenset, dict)) else set(touched)
        if numbered - persons or any(p in touched for p in persons):
            numbering = by_number(ordered_persons(self.reads), self.kept)[0]
        if numbering is not None and numbering != self.stored:
            self.reads.keep(*numbering)


class StoreReads:
    """:class:`PersonReads` through a store's public methods (a store that has no transaction of
    its own to read in: the default of :meth:`~maillage.graph.store.Store.number_persons`)."""

    def __init__(self, store: Store):
        self.store = store

    def numbering(self) -> Numbering | None:
        return self.store.person_numbering()

    def person_ids(self) -> set[str]:
        return self.store._person_ids()  # noqa: SLF001 (part of the Store base class)

    def persons(self) -> Iterable[ActorView]:
        return self.store.persons()

    def source_ids(self) -> list[str]:
        return [s.id for s in self.store.sources()]

    def statements_of(self, actor_ids: list[str]) -> dict[str, list[tuple[str, Actor]]]:
        return self.store.statements_of(actor_ids)

    def keep(self, last: int, numbers: dict[str, int]) -> None:
        self.store.keep_person_numbering(last, numbers)


__all__ = ["Numbering", "maskable", "named_persons", "person_order", "by_number", "PersonReads", "ordered_persons",
           "NumberKeeping", "StoreReads"]
