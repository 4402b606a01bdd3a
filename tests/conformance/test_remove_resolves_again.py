"""``maillage remove`` of a source resolves again, in every store, the statements of the sources loaded
after it that the rules put into an actor *through* its statements (docs/resolution.md, *Load order*):
those the rules now put elsewhere move there, with their names, identifiers and ties.

Three files: ``p``, a list naming « Ressourcerie des Monts »; ``s``, an extraction of a study
(document D) naming it under the key ``x1`` (the same name: merged into ``p``'s actor); ``l``, a
second extraction of document D naming its ``x1`` « Ressourcerie du Val » — the same key in the same
document, a word in common: merged into that actor, through ``s``'s statement alone (nothing in
``p``'s name says it is the same). Removing ``s`` must give what loading ``p`` then ``l`` gives:
``l``'s ``x1`` an actor of its own, its tie with it."""

from __future__ import annotations

from maillage.loaders.resolution import new_actor_id, remove_source

from _jsonl import actor, relation, write_jsonl
from _loading import load_file

P, S, L = "maillage-jsonl:p.jsonl", "maillage-jsonl:s.jsonl", "maillage-jsonl:l.jsonl"


def _file(folder, name, sha, records):
    head = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": name,
            "documents": {"etude": {"sha256": sha * 64}}}
    return write_jsonl(folder / f"{name}.jsonl", [head, *records])


def _files(folder):
    return {
        "p": _file(folder, "p", "b", [actor("r", "Ressourcerie des Monts", "ess")]),
        "s": _file(folder, "s", "d", [actor("x1", "Ressourcerie des Monts", "ess")]),
        "l": _file(folder, "l", "d", [actor("x1", "Ressourcerie du Val", "ess"),
                                      actor("damier", "PTCE Le Damier", "pole"),
                                      relation("membership", "x1", "damier")]),
    }


def _loaded(store, files, names, folder):
    for n in names:
        load_file(store, files[n], rejects_dir=folder / "rejets")
    return store


def _partition(store):
    """The statements grouped by actor (ids left out) and each tie as the keys of its ends."""
    groups = {}
    for s in store.sources():
        for r in store.resolution_log(s.id):
            groups.setdefault(r["actor_id"], set()).add((s.id, r["key"]))
    return sorted(sorted(g) for g in groups.values())


def test_a_later_statement_resolved_through_the_removed_source_moves_with_its_tie(store, tmp_path):
    from maillage.graph import open_store

    files = _files(tmp_path)
    _loaded(store, files, "psl", tmp_path)
    together = store.resolution_of(P)["r"]
    assert store.resolution_of(L)["x1"] == together  # through s's x1: same key, same document
    summary = remove_source(store, S)
    with open_store(":memory:") as never:
        _loaded(never, files, "pl", tmp_path)
        expected = _partition(never)
        alone = never.resolution_of(L)["x1"]
    assert _partition(store) == expected
    assert store.resolution_of(L)["x1"] == alone == new_actor_id("Ressourcerie du Val", L, "x1")
    assert store.resolution_of(P)["r"] == together
    assert [s for s, _ in store.statements(alone)] == [L]
    assert store.get_actor(alone).name == "Ressourcerie du Val"
    assert store.get_actor(together).name == "Ressourcerie des Monts"
    # its tie followed it; its names and identifiers index it under its new actor
    (tie,) = store.relations(source=L)
    assert tie.source == alone
    assert store.find_by_name("Ressourcerie du Val") == [alone]
    assert {r["key"]: r["rule"] for r in store.resolution_log(L)} == {"x1": "new", "damier": "new"}
    assert summary.resolved_again == [(L, "x1", together, alone)]


def test_a_reviewers_accept_of_the_later_statement_still_holds(store, tmp_path):
    """A reviewer said ``l``'s ``x1`` is that actor (``resolve --accept``): it stays there."""
    files = _files(tmp_path)
    _loaded(store, files, "psl", tmp_path)
    together = store.resolution_of(P)["r"]
    store.merge_statement(L, "x1", together)  # what accepting it records
    summary = remove_source(store, S)
    assert store.resolution_of(L)["x1"] == together
    assert sorted(s for s, _ in store.statements(together)) == [L, P]
    assert summary.resolved_again == []
