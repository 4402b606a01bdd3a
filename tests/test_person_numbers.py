"""The persons' numbers (« [personne 3] ») are written in the store's write transaction, on the
embedded store (docs/privacy.md, « The store keeps the numbers »; the same on every store:
tests/conformance, « the persons' numbers, kept by every write »).

A load wrote them just after its transaction: a load that failed (or was killed) in between left
the new source in the store with the numbers of before. Now they are committed with the write,
or not at all; another connection sees them with it; and a load that brings no person into a
store without persons reads no person to number them (a reload read every actor of the store
twice, 100,000 on a SCDL file).
"""

from __future__ import annotations

import sqlite3

import pytest
from _jsonl import relation, write_jsonl
from _person_sources import ORGS, interview

from maillage.analytics.persons import person_groups
from maillage.graph import open_store
from maillage.loaders import load_file



def test_a_load_failing_before_its_commit_leaves_the_store_and_the_numbers_of_before(tmp_path):
    path = tmp_path / "store.db"
    with open_store(str(path)) as s:
        load_file(s, interview(tmp_path, "entretien-Marie-Durand.jsonl", "marie", "Marie Durand"))
        numbers, sources = s.person_numbering(), [x.id for x in s.sources()]
    assert numbers is not None
    # the disk fills up as the numbers are written, the load's relations written: SQLite refuses
    # the write inside the transaction (a real failure of the store, not a stand-in)
    with sqlite3.connect(path) as c:
        for event in ("INSERT", "UPDATE"):
            c.execute(f"CREATE TRIGGER full_{event.lower()} BEFORE {event} ON meta WHEN NEW.key = 'person_numbers' "
                      "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    with open_store(str(path)) as s, pytest.raises(sqlite3.DatabaseError, match="disk is full"):
        load_file(s, interview(tmp_path, "entretien-Didier-Cognon.jsonl", "didier", "Didier Cognon"))
    with open_store(str(path)) as other:  # what was committed
        assert [x.id for x in other.sources()] == sources  # not Didier Cognon's interview without its numbers
        assert other.person_numbering() == numbers
        assert person_groups(other) == [("Marie Durand",)]


def test_another_connection_sees_the_numbers_with_the_write(tmp_path):
    from maillage.graph.store import ResolvedBatch
    from maillage.loaders.resolution import Resolver
    from maillage.graph.model import Actor, Provenance, Source

    path = str(tmp_path / "store.db")
    with open_store(path) as s, open_store(path) as other:
        load_file(s, interview(tmp_path, "entretien-Marie-Durand.jsonl", "marie", "Marie Durand"))
        # the store's write alone, as a program calling it would: nothing after it numbers anyone
        person = Actor(key="didier", name="Didier Cognon", family="person",
                       provenance=Provenance(source="entretien-2", locator="L3"))
        statements, proposals = Resolver(s, "entretien-2").resolve([person])
        s.replace_source(ResolvedBatch(Source(id="entretien-2", uri="entretien-2.jsonl", sha256="0" * 64,
                                              format="maillage-jsonl"), statements, [], proposals))
        last, numbers = other.person_numbering()
        assert last == 2 and numbers[statements[0].actor_id] == 2
        assert person_groups(other) == [("Marie Durand",), ("Didier Cognon",)]


def _traced(store, work) -> tuple[list[str], list[str]]:
    """``work()``'s SQL on ``store``: every statement, and those inside its write transactions."""
    seen: list[str] = []
    store.db.set_trace_callback(seen.append)
    try:
        work()
    finally:
        store.db.set_trace_callback(None)
    inside, open_ = [], False
    for q in seen:
        open_ = True if q.startswith("BEGIN IMMEDIATE") else False if q in ("COMMIT", "ROLLBACK") else open_
        if open_:
            inside.append(q)
    return seen, inside


def test_a_load_without_persons_reads_no_person_to_number_them(tmp_path):
    """A load or a reload that brings no person reads the persons' ids in its transaction (an
    index of the persons only: nothing read in a store without persons), and no person's data. A reload read every actor of the store twice (once before its
    write, once after) to number the persons: 100,000 on a SCDL file, none of them a person."""
    orgs = write_jsonl(tmp_path / "structures.jsonl", [*ORGS, relation("partner", "jardins", "coop")])
    with open_store(str(tmp_path / "store.db")) as s:
        every_actor = "SELECT data FROM actors ORDER BY id"  # what the resolver reads too, once a load
        first, first_tx = _traced(s, lambda: load_file(s, orgs))
        again, again_tx = _traced(s, lambda: load_file(s, orgs))  # a reload
        assert again.count(every_actor) == first.count(every_actor)
        load_file(s, interview(tmp_path, "entretien-Marie-Durand.jsonl", "marie", "Marie Durand"))
        beside, beside_tx = _traced(s, lambda: load_file(s, orgs))  # a reload that touches no person
        assert beside.count(every_actor) == first.count(every_actor)
        assert s.person_numbering()[0] == 1
    for tx in (first_tx, again_tx, beside_tx):
        assert set(q for q in tx if "personal_data=1" in q) == {"SELECT id FROM actors WHERE personal_data=1"}
        assert not [q for q in tx if "FROM actors" in q and "SELECT data" in q]


def test_the_masks_read_the_persons_not_every_actor(tmp_path):
    """Masking a view, an export or a report numbers the persons (person_groups): it read every
    actor of the store to find them — 1.6 s on a store of 117,504 actors from a subsidy file, none
    of them a person, at every export. It reads the persons' index."""
    from maillage.analytics import persons

    orgs = write_jsonl(tmp_path / "structures.jsonl", [*ORGS, relation("partner", "jardins", "coop")])
    with open_store(str(tmp_path / "store.db")) as s:
        load_file(s, orgs)
        load_file(s, interview(tmp_path, "entretien-Marie-Durand.jsonl", "marie", "Marie Durand"))
        persons._GROUPS.clear()
        seen, _ = _traced(s, lambda: person_groups(s))
        assert person_groups(s) == [("Marie Durand",)]
    on_actors = [q for q in seen if "FROM actors" in q]
    assert on_actors and all("personal_data=1" in q for q in on_actors), on_actors
