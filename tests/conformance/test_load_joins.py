"""A load joins two actors already in the store when one of its statements is, by the rules, the
same as both (a *bridge*, docs/resolution.md, *Load order*), in every store: every statement and
tie of one moves into the other, in the load's one transaction, and the persons keep their numbers.

Three files name one person: « Marie Martin » of a pôle's board (document A), « Marie Martin » of
an association's list (another document: nothing in common with the first, so only proposed), and
an extraction of document A that names her under the first file's key and ties her to the
association. Loaded last, that one is the first by the same key in the same document and the second
by her name, corroborated by the association: the two persons are one. Removing that file, or
``--undo`` of a statement the join moved, takes the join back (docs/resolution.md, *Load order*)."""

from __future__ import annotations

import pytest

from maillage.graph.store import NoJoinRecord
from maillage.loaders.resolution import merge_log, new_actor_id, remove_source, undo

from _join_paths import files_joining as _four
from _join_paths import jsonl_file as _file
from _jsonl import actor, relation
from _loading import load_file


def test_a_bridge_joins_two_persons_with_their_ties_and_numbers(store, tmp_path):
    a = _file(tmp_path, "a", "a", [actor("marie-martin", "Marie Martin", "person"),
                                   actor("damier", "PTCE Le Damier", "pole"),
                                   relation("governs", "marie-martin", "damier", role="présidente")])
    b = _file(tmp_path, "b", "b", [actor("mm", "Marie Martin", "person"),
                                   actor("ressourcerie", "Ressourcerie des Monts", "ess"),
                                   relation("membership", "mm", "ressourcerie")])
    c = _file(tmp_path, "c", "a", [actor("marie-martin", "Marie Martin", "person"),
                                   actor("ressourcerie", "Ressourcerie des Monts", "ess"),
                                   relation("membership", "marie-martin", "ressourcerie")])
    for f in (a, b):
        load_file(store, f, rejects_dir=tmp_path / "rejets")
    first = store.resolution_of("maillage-jsonl:a.jsonl")["marie-martin"]
    second = store.resolution_of("maillage-jsonl:b.jsonl")["mm"]
    assert first != second
    store.number_persons()
    assert store.person_numbering() == (2, {first: 1, second: 2})

    load_file(store, c, rejects_dir=tmp_path / "rejets")
    persons = store.persons()
    assert [p.id for p in persons] == [first]  # the first file's id: it was loaded first
    assert sorted(s for s, _ in store.statements(first)) == ["maillage-jsonl:a.jsonl", "maillage-jsonl:b.jsonl",
                                                              "maillage-jsonl:c.jsonl"]
    assert sorted((r.type, r.provenance.source) for r in store.relations(touching=[first])) == [
        ("governs", "maillage-jsonl:a.jsonl"), ("membership", "maillage-jsonl:b.jsonl"),
        ("membership", "maillage-jsonl:c.jsonl")]
    assert store.get_actor(second) is None
    assert store.person_numbering() == (2, {first: 1})  # hers kept, the other's left unused
    (row,) = [r for r in merge_log(store) if r["rule"] == "joined"]
    assert (row["source"], row["key"], row["actor_id"]) == ("maillage-jsonl:b.jsonl", "mm", first)
    assert row["matched"] == "name: maillage-jsonl:c.jsonl:marie-martin « Marie Martin »"

    # --undo of the joined statement gives it an actor of its own, which the next loads keep
    alone = undo(store, "maillage-jsonl:b.jsonl", "mm")
    for f in (b, c):
        load_file(store, f, rejects_dir=tmp_path / "rejets")
    assert store.resolution_of("maillage-jsonl:b.jsonl")["mm"] == alone != first
    assert store.resolution_of("maillage-jsonl:c.jsonl")["marie-martin"] == first


# -- taking a join back: removing the bridge's source, or --undo of a joined statement -------------

def _state(store) -> dict:
    """What the store holds, to compare with another store: actors (id, name, sources, statements),
    ties by their ends, each source's resolution (actor, rule, score, matched), the persons' numbers
    and the proposals."""
    return {
        "actors": sorted((a.id, a.name, tuple(sorted(a.sources)),
                          tuple(sorted((s, st.key) for s, st in store.statements(a.id))))
                         for a in store.iter_actors(include_persons=True)),
        "relations": sorted((r.id, r.type, r.source, r.target) for r in store.relations()),
        "resolution": {s.id: [(r["key"], r["actor_id"], r["rule"], r["score"], r["matched"])
                              for r in store.resolution_log(s.id)] for s in store.sources()},
        "numbers": store.person_numbering(),
        "proposals": sorted((p.source, p.key, p.candidate_id) for p in store.proposals()),
    }


def _loaded(store, files, names, folder):
    for n in names:
        load_file(store, files[n], rejects_dir=folder / "rejets")
        if n == "d":
            store.number_persons()  # the two persons numbered before the bridge comes
    return store


def test_removing_the_bridge_source_splits_the_actors_it_joined(store, tmp_path):
    """``maillage remove`` of the bridge's source gives the store it would be had that source never
    been loaded: the two persons apart again, each with its statements, ties, id and number."""
    from maillage.graph import open_store

    files = _four(tmp_path)
    _loaded(store, files, "abdc", tmp_path)
    first, second = store.resolution_of("maillage-jsonl:a.jsonl")["marie-martin"], \
        new_actor_id("Marie Martin", "maillage-jsonl:b.jsonl", "mm")
    assert [p.id for p in store.persons()] == [first]  # joined, both statements of the second moved
    assert {r["key"] for r in merge_log(store) if r["rule"] == "joined"} == {"mm"}
    remove_source(store, "maillage-jsonl:c.jsonl")
    with open_store(":memory:") as never:
        expected = _state(_loaded(never, files, "abd", tmp_path))
    assert sorted(p.id for p in store.persons()) == sorted([first, second])
    assert sorted(s for s, _ in store.statements(second)) == ["maillage-jsonl:b.jsonl", "maillage-jsonl:d.jsonl"]
    assert store.person_numbering() == (2, {first: 1, second: 2})  # each its number of before
    assert _state(store) == expected


def test_undo_of_a_joined_statement_takes_back_the_whole_join(store, tmp_path):
    """``maillage resolve --undo`` of a statement a join moved puts both actors back as before the
    join (every statement it moved, with its rule, ties, id and number), and the bridge's source
    loaded again does not join them back."""
    files = _four(tmp_path)
    _loaded(store, files, "abd", tmp_path)
    before = _state(store)
    second = store.resolution_of("maillage-jsonl:b.jsonl")["mm"]
    load_file(store, files["c"], rejects_dir=tmp_path / "rejets")
    first = store.resolution_of("maillage-jsonl:a.jsonl")["marie-martin"]
    assert store.get_actor(second) is None
    with pytest.raises(NoJoinRecord):  # the bridge's own statement: no join moved it
        store.undo_join("maillage-jsonl:c.jsonl", "marie-martin")
    assert undo(store, "maillage-jsonl:d.jsonl", "mm") == second
    got = _state(store)
    assert sorted(p.id for p in store.persons()) == sorted([first, second])
    for part in ("numbers", "relations"):  # c's tie is on the first: the ties of a, b and d as before
        assert got[part] == before[part] if part == "numbers" else set(before[part]) <= set(got[part])
    for sid in ("maillage-jsonl:a.jsonl", "maillage-jsonl:b.jsonl", "maillage-jsonl:d.jsonl"):
        assert got["resolution"][sid] == before["resolution"][sid]
    assert store.resolution_of("maillage-jsonl:c.jsonl")["marie-martin"] == first
    for name in "bdc":  # the reviewer's undo holds
        load_file(store, files[name], rejects_dir=tmp_path / "rejets")
    assert sorted(p.id for p in store.persons()) == sorted([first, second])
    assert sorted(s for s, _ in store.statements(second)) == ["maillage-jsonl:b.jsonl", "maillage-jsonl:d.jsonl"]


def test_removing_one_bridge_keeps_a_join_another_statement_still_makes(store, tmp_path):
    """Two sources bridge the persons (``c``, then ``e`` saying the same): removing ``c`` leaves them
    joined, as loading ``a``, ``b``, ``d`` and ``e`` alone does, the reason now ``e``'s statement."""
    from maillage.graph import open_store

    files = _four(tmp_path)
    _loaded(store, files, "abdce", tmp_path)
    remove_source(store, "maillage-jsonl:c.jsonl")
    with open_store(":memory:") as never:
        expected = _state(_loaded(never, files, "abde", tmp_path))
    assert len(store.persons()) == 1
    got = _state(store)
    # e's statements resolved by what c said (the same key in the same document) keep their rule:
    # their actors are compared, and the joins with their reasons
    for state in (got, expected):
        state["joined"] = sorted((sid, r[0], r[1], r[4]) for sid, rows in state["resolution"].items()
                                 for r in rows if r[2] == "joined")
        state["resolution"] = {sid: [r[:2] for r in rows] for sid, rows in state["resolution"].items()}
    assert got["joined"] and all("maillage-jsonl:e.jsonl:marie-martin" in r[3] for r in got["joined"])
    assert got == expected


def test_removing_a_source_loaded_before_the_bridge_resolves_the_bridge_again(store, tmp_path):
    """``c`` bridged ``b``'s person into ``a``'s (same key in ``a``'s document, and her name):
    removing ``a`` undoes that join too (``Store.split_joins``) and resolves ``c`` again as its
    first load without ``a`` would be — by her name, with the association in common, into ``b``'s
    person — and ``a``'s actor, only ``c``'s statement left in it, goes: the store ``b``, ``d``,
    ``c`` loaded alone give, ids and rules included."""
    from maillage.graph import open_store

    files = _four(tmp_path)
    _loaded(store, files, "abdc", tmp_path)
    first = store.resolution_of("maillage-jsonl:a.jsonl")["marie-martin"]
    second = new_actor_id("Marie Martin", "maillage-jsonl:b.jsonl", "mm")
    summary = remove_source(store, "maillage-jsonl:a.jsonl")
    with open_store(":memory:") as never:
        expected = _state(_loaded(never, files, "bdc", tmp_path))
    assert [p.id for p in store.persons()] == [second]
    assert store.get_actor(first) is None
    assert ("maillage-jsonl:c.jsonl", "marie-martin", first, second) in summary.resolved_again
    assert summary.later_joins_undone == [] and summary.joins_made == []  # her actor went: nothing split to say
    got = _state(store)
    del got["numbers"], expected["numbers"]  # hers kept from before (2); numbered 1 in the other
    assert got == expected


def _join_records(store) -> list[str]:
    """What the store keeps of its joins, as stored (a record names the bridge's statement)."""
    if hasattr(store, "db"):
        return [d for (d,) in store.db.execute("SELECT data FROM joins")]
    return [r["data"] for r in store._read("MATCH (j:JoinRecord) RETURN j.data AS data")]


def test_forgetting_a_joined_person_forgets_its_joins(store, tmp_path):
    """The record of a join names the bridge (« Marie Martin »): erasing the person erases it too."""
    files = _four(tmp_path)
    _loaded(store, files, "abdc", tmp_path)
    (person,) = store.persons()
    assert any("Marie Martin" in d for d in _join_records(store))
    store.forget_person(person.id)
    assert _join_records(store) == []
    assert remove_source(store, "maillage-jsonl:c.jsonl").joins_undone == []
