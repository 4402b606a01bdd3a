"""A store of an earlier maillage, whose statements kept no place in their load (``statements.ord``,
added since), keeps working: opened to write, it gains the column, empty in the rows there; their
source's statements read back by key (after those with a place) until the source is loaded again."""

from __future__ import annotations

import sqlite3

from _jsonl import actor, write_jsonl

from maillage.graph.sqlite_store import SQLiteStore
from maillage.loaders import load_file

HEAD = {"record": "header", "format": "maillage-jsonl", "version": 1}


def test_a_store_of_an_earlier_maillage_gains_the_column_and_reads_its_statements_by_key(tmp_path):
    names = {"t": "Terre de Liens", "e": "Ecopya", "a": "Alternatives Économiques"}
    path = write_jsonl(tmp_path / "liste.jsonl", [HEAD, *(actor(k, n, "ess") for k, n in names.items())])
    with SQLiteStore(tmp_path / "s.db") as store:
        sid = load_file(store, path, rejects_dir=tmp_path / "rejets").source
    db = sqlite3.connect(tmp_path / "s.db")
    db.execute("ALTER TABLE statements DROP COLUMN ord")  # as an earlier maillage created it
    db.commit()
    db.close()
    with SQLiteStore(tmp_path / "s.db") as store:
        assert "ord" in {c[1] for c in store.db.execute("PRAGMA table_info(statements)")}
        assert [a.key for a in store.source_statements(sid)] == ["a", "e", "t"]  # no place kept: by key
        other = write_jsonl(tmp_path / "autre.jsonl", [HEAD, actor("z", "Kpa-Cité", "ess"), actor("b", "Ecodair", "ess")])
        assert [a.key for a in store.source_statements(load_file(store, other, rejects_dir=tmp_path / "rejets")
                                                       .source)] == ["z", "b"]
        load_file(store, path, rejects_dir=tmp_path / "rejets")  # loaded again: its file's order
        assert [a.key for a in store.source_statements(sid)] == list(names)
