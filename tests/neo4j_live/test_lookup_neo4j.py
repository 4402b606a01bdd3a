"""Names typed on the command line designate the same actor, or are refused with the same
candidates, whether the graph is in Neo4j or in the embedded store (maillage/queries/lookup.py)."""

from __future__ import annotations

import re

import pytest

from maillage.graph.store import NotFound
from maillage.queries.lookup import find_actor

TYPED = [("Le Périscope", None), ("le periscope", None), ("périscop", "pole"), ("périscop", None),
         ("CRESS", None), ("ess", None), ("Peri scope", "pole"), ("Qwxzy Bnvtr", None), ("Toulouse Métropole", None)]


def outcome(store, typed, family):
    try:
        return "found", find_actor(store, typed, family=family)
    except NotFound as e:
        ids = re.findall(r" — (\S+) \(", str(e))  # the candidates' ids, in the order listed
        return type(e).__name__, ids


@pytest.mark.parametrize("typed, family", TYPED)
def test_same_answer_in_both_stores(reference_neo4j, reference_sqlite, typed, family):
    got = outcome(reference_neo4j, typed, family)
    assert got == outcome(reference_sqlite, typed, family)
    if typed == "Le Périscope":
        assert got[0] == "found"
    if typed == "CRESS":
        assert got[0] == "Ambiguous" and len(got[1]) > 2


def test_persons_are_not_found_by_name_in_neo4j(reference_neo4j):
    person = next(a for a in reference_neo4j.iter_actors(include_persons=True) if a.personal_data)
    with pytest.raises(NotFound) as e:
        find_actor(reference_neo4j, person.name)
    assert person.id not in str(e.value)
    assert find_actor(reference_neo4j, person.id) == person.id  # an id is still an id
