"""A source's statements keep the order its load gave them (``Store.source_statements``), on every
store: resolving a stored source again (``maillage remove``) meets them in its file's order, as its
load did, and its fuzzy proposals are the load's (docs/resolution.md, *Load order*)."""

from __future__ import annotations

from _jsonl import actor as record, write_jsonl
from test_store_conformance import actor, write

from maillage.loaders import load_file

# not in key order; a person among them (the resolver meets persons last: the order kept is the file's)
KEYS = ["m", "b", "pers", "z", "a", "q"]


def _actors(keys: list[str]):
    return [actor(k, "Marie Curie", "person") if k == "pers" else actor(k, f"Structure {k.upper()}") for k in keys]


def test_a_sources_statements_read_back_in_the_order_its_load_gave_them(store):
    write(store, "s1", _actors(KEYS), [])
    assert [a.key for a in store.source_statements("s1")] == KEYS
    assert store.source_statements("s1")[0].name == "Structure M"  # the statements themselves
    # another source's statements, some in the same actors, are not among them and do not move them
    write(store, "s2", [actor("x", "Structure Z", sid="s2"), actor("c", "Structure C", sid="s2")], [])
    assert [a.key for a in store.source_statements("s2")] == ["x", "c"]
    assert [a.key for a in store.source_statements("s1")] == KEYS
    assert store.source_statements("absent") == []


def test_a_source_loaded_again_keeps_the_order_of_its_new_version(store):
    write(store, "s1", _actors(KEYS), [])
    again = ["q", "z", "new", "m", "pers", "a"]  # "b" gone, "new" added, the rest in another order
    write(store, "s1", _actors(again), [])
    assert [a.key for a in store.source_statements("s1")] == again


def test_a_loaded_file_s_statements_read_back_in_the_file_s_order(store, tmp_path):
    names = {"t": "Terre de Liens", "e": "Ecopya", "a": "Alternatives Économiques", "k": "Kpa-Cité"}
    path = write_jsonl(tmp_path / "liste.jsonl", [{"record": "header", "format": "maillage-jsonl", "version": 1},
                                                  *(record(k, n, "ess") for k, n in names.items())])
    sid = load_file(store, path, rejects_dir=tmp_path / "rejets").source
    assert [a.key for a in store.source_statements(sid)] == list(names)
