"""A load joins two actors already in the store when one of its statements is, by the rules, the
same as both (a *bridge*, docs/resolution.md, *Load order*), in every store: every statement and
tie of one moves into the other, in the load's one transaction, and the persons keep their numbers.

Three files name one person: « Marie Martin » of a pôle's board (document A), « Marie Martin » of
an association's list (another document: nothing in common with the first, so only proposed), and
an extraction of document A that names her under the first file's key and ties her to the
association. Loaded last, that one is the first by the same key in the same document and the second
by her name, corroborated by the association: the two persons are one."""

from __future__ import annotations

from maillage.loaders.resolution import merge_log, undo

from _jsonl import actor, relation, write_jsonl
from _loading import load_file


def _file(folder, name, sha, records):
    head = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": name,
            "documents": {"etude": {"sha256": sha * 64}}}
    return write_jsonl(folder / f"{name}.jsonl", [head, *records])


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
