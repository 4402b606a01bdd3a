"""The paths that take actors apart or together, on any store (h164): a load's join,
``undo_join``, ``split_joins``, ``move_statements``, ``remove_source`` of a join's source, a
reviewer's detach, accept and undo, ``forget_person``; each test checks the plans of what they send."""

from __future__ import annotations

from pathlib import Path

from _jsonl import actor, relation, write_jsonl

from maillage.loaders import load_file
from maillage.loaders.resolution import remove_source

#: the store's methods these paths call
WRITES = ("replace_source", "join_actors", "split_joins", "move_statements", "undo_join", "remove_source",
          "detach_statement", "merge_statement", "undo_accept", "forget_person")


def jsonl_file(folder: Path, name: str, sha: str, records: list) -> Path:
    """A maillage-jsonl file ``name`` of ``records``, from the document ``etude`` (its hash ``sha`` × 64)."""
    head = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": name,
            "documents": {"etude": {"sha256": sha * 64}}}
    return write_jsonl(folder / f"{name}.jsonl", [head, *records])


def files_joining(folder: Path) -> dict[str, Path]:
    """tests/conformance/test_load_joins.py's five files: ``c`` and ``e`` (extractions of ``a``'s
    document) bridge ``a``'s person and ``b``'s (``d`` an extraction of ``b``'s document)."""
    def c_like(name):
        return jsonl_file(folder, name, "a", [actor("marie-martin", "Marie Martin", "person"),
                                         actor("ressourcerie", "Ressourcerie des Monts", "ess"),
                                         relation("membership", "marie-martin", "ressourcerie")])
    return {"a": jsonl_file(folder, "a", "a", [actor("marie-martin", "Marie Martin", "person"),
                                          actor("damier", "PTCE Le Damier", "pole"),
                                          relation("governs", "marie-martin", "damier", role="présidente")]),
            "b": jsonl_file(folder, "b", "b", [actor("mm", "Marie Martin", "person"),
                                          actor("ressourcerie", "Ressourcerie des Monts", "ess"),
                                          relation("membership", "mm", "ressourcerie")]),
            "d": jsonl_file(folder, "d", "b", [actor("mm", "Marie Martin", "person"),
                                          actor("monts", "Communauté de communes des Monts", "collectivite", "epci"),
                                          relation("partnership", "mm", "monts")]),
            "c": c_like("c"), "e": c_like("e")}


def _sid(name: str) -> str:
    return f"maillage-jsonl:{name}.jsonl"


def paths(store, files, folder):
    """Each path, run on ``store``: (its name, what it does)."""
    def load(name):
        return lambda: load_file(store, files[name], rejects_dir=folder / "rejets")

    def person_statement():
        (pid,) = [p.id for p in store.persons() if len(store.statements(p.id)) > 1]
        return pid, store.statements(pid)[-1]

    def detach():
        _, (sid, st) = person_statement()
        store.detach_statement(sid, st.key, "detachee")

    def merge():
        store.merge_statement(*_detached(), person_statement()[0])

    def _detached():
        ((sid, st),) = store.statements("detachee")
        return sid, st.key

    yield "join (load)", load("c")
    yield "join (load, again)", load("e")
    yield "undo_join", lambda: store.undo_join(_sid("d"), "mm")
    yield "split_joins", lambda: store.split_joins(_sid("e"))
    yield "join (reload)", load("e")
    yield "remove_source (its joins undone)", lambda: store.remove_source(_sid("c"))
    # the source loaded before the bridge: e resolved again, its statements moved (move_statements)
    yield "remove (later sources resolved again)", lambda: remove_source(store, _sid("a"))
    yield "detach", detach
    yield "merge (accept)", merge
    yield "undo_accept", lambda: store.undo_accept(*_detached_back(store), "seule")
    yield "forget_person", lambda: store.forget_person(store.persons()[0].id)


def _detached_back(store):
    (d,) = [d for d in store.decisions() if d.action == "accept"]
    return d.source, d.key


