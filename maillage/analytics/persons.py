"""Natural persons in free text: their names found and masked, one number per person.

A natural person (an actor with ``personal_data``) is personal data: kept out of public views
and exports unless asked for. What a view or an export says in free text — a source's file
name, a document's title, a run's notes — may still name one (« entretien_DidierCOGNON.csv »):
:func:`person_masker` finds the forms a name takes there and replaces each person's by
« [personne N] », numbered by :func:`person_groups` in the order the persons came into the
store, the numbers kept by the store in the transaction of each write that changes the persons
(:mod:`maillage.graph.numbering`). See docs/privacy.md, « How a name is masked ».

Kept apart from :mod:`maillage.analytics.run` (which imports igraph and networkx, a second at
a process's first import): masking a name needs none of the analyses.
"""

from __future__ import annotations

import threading
from typing import Any

from maillage.graph.masking import person_masker
from maillage.graph.numbering import by_number as _by_number
from maillage.graph.numbering import named_persons, person_order
from maillage.graph.store import Store


def person_names(store: Store) -> list[str]:
    """Names and aliases of the natural persons in the store, for masking in free text.

    Parenthetical remarks are dropped (``"Jean Brioussel (also 'Jean Briussel')"`` gives
    ``"Jean Brioussel"``); single words shorter than 8 letters are left out, so a first name
    alone does not mask ordinary words. Longest first. To mask them, prefer
    :func:`person_groups`, which keeps each person's names together (« [personne 2] »).

    >>> from maillage.graph import open_store
    >>> person_names(open_store(":memory:"))
    []
    """
    return sorted({n for _a, names in _persons(store) for n in names}, key=lambda n: (-len(n), n))


def _persons(store: Store) -> list[tuple[Any, tuple[str, ...]]]:
    """The natural persons of the store that have a name worth masking, with those names."""
    return named_persons(store.persons())  # through the store's index of the persons


def person_groups(store: Store, *, ids: bool = False) -> list[tuple[str, ...]]:
    """The natural persons of the store, each as the tuple of its names worth masking (its name
    first, then its aliases: :func:`~maillage.graph.numbering.maskable`), in the order of their numbers: :func:`person_masker`
    numbers them in this order (« [personne 1] », « [personne 2] »…), a number no longer anyone's
    left as an empty tuple. A person is numbered once, in the order it came into the store: by
    the load order of the first source stating it, then by the line or row of that source it is
    stated on (:func:`maillage.graph.numbering.person_order`); the store keeps the number, in the
    transaction of each write that changes the persons (:mod:`maillage.graph.numbering`).

    The order says nothing of the names (an alphabetical order, or a hash of the name, could be
    checked against guessed names); it is the same in every view, export, map and report of the
    store, and at every run: a source loaded later adds its new persons after the others;
    removing a source takes away the numbers of its persons, which no one is given again.
    With ``ids``: ``(actor id, names)`` in load order, before numbering.

    >>> from maillage.graph import open_store
    >>> person_groups(open_store(":memory:"))
    []
    """
    sources, persons = store.sources(), _persons(store)
    # the lines cost a read of the persons' statements (one round trip on Neo4j): kept for the
    # same sources (reloaded: another load time) and the same persons with the same sources
    key = (tuple((s.id, str(s.loaded_at), s.sha256) for s in sources),
           tuple((a.id, names, tuple(a.sources)) for a, names in persons))
    hit = _GROUPS.get(key)
    if hit is not None:
        return list(hit) if ids else _by_number(hit, store.person_numbering())[1]
    groups = person_order([s.id for s in sources], [(a.id, names, a.sources) for a, names in persons],
                          store.statements_of)
    with _GROUPS_LOCK:  # the API's threads
        while len(_GROUPS) >= 4:
            _GROUPS.pop(next(iter(_GROUPS)))
        _GROUPS[key] = groups
    return list(groups) if ids else _by_number(groups, store.person_numbering())[1]


#: The last few :func:`person_groups` (actor ids and names, in load order), by what they were computed from.
_GROUPS: dict[tuple, tuple[tuple[str, tuple[str, ...]], ...]] = {}
_GROUPS_LOCK = threading.Lock()


def keep_person_numbers(store: Store) -> None:
    """Keep in ``store`` the number each of its persons has now (:func:`person_groups`), in one
    write transaction (:meth:`~maillage.graph.store.Store.number_persons`). Not needed around a
    write: every write of a store that changes its persons (a load, ``Store.remove_source``, a
    merge accepted or undone) keeps the numbers in its own transaction
    (:mod:`maillage.graph.numbering`); this freezes those of a store written by an earlier
    maillage, which kept none, without writing anything else. A person no longer in the store
    leaves its number unused.

    >>> from maillage.graph import open_store
    >>> s = open_store(":memory:"); keep_person_numbers(s); s.person_numbering() is None  # no person: nothing to keep
    True
    """
    store.number_persons()


__all__ = ["person_names", "person_groups", "keep_person_numbers", "person_masker"]
