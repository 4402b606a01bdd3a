"""Domain model, vocabulary and stores of the maillage graph.

>>> from maillage.graph import open_store
>>> store = open_store(":memory:")
>>> store.stats()["actors"]
0
"""

from __future__ import annotations

import os
from pathlib import Path

from .store import Store, StoreError

DEFAULT_STORE = "maillage.db"
NEO4J_SCHEMES = ("bolt://", "neo4j://", "bolt+s://", "neo4j+s://", "bolt+ssc://", "neo4j+ssc://")


def store_uri(uri: str | None = None) -> str:
    """The store to use: ``uri``, else ``$MAILLAGE_STORE``, else ``maillage.db`` here."""
    return uri or os.environ.get("MAILLAGE_STORE") or DEFAULT_STORE


def store_file(uri: str | None = None) -> Path | None:
    """The file of an embedded store URI (:func:`store_uri`); ``None`` for Neo4j and ``:memory:``.

    >>> store_file("sqlite:///data/m.db"), store_file("bolt://localhost:7687"), store_file(":memory:")
    (PosixPath('data/m.db'), None, None)
    """
    uri = store_uri(uri)
    if uri.startswith(NEO4J_SCHEMES) or uri in (":memory:", "sqlite://:memory:", "memory"):
        return None
    return Path(_file_part(uri))


def _file_part(uri: str) -> str:
    """An embedded store URI's path, as written (``sqlite:///data/m.db`` → ``data/m.db``)."""
    return uri.removeprefix("sqlite:///").removeprefix("sqlite://")


def open_store(uri: str | None = None) -> Store:
    """Open a store from a URI.

    - a file path, ``sqlite:///path`` or ``:memory:`` → the embedded SQLite store;
    - ``bolt://…`` or ``neo4j://…`` (``+s``/``+ssc`` for TLS) → Neo4j
      (:class:`~maillage.graph.neo4j_store.Neo4jStore`; user and password from the URI or
      ``$MAILLAGE_NEO4J_USER``/``$MAILLAGE_NEO4J_PASSWORD``).
    """
    uri = store_uri(uri)
    if uri.startswith(NEO4J_SCHEMES):
        from .neo4j_store import Neo4jStore

        return Neo4jStore(uri)
    from .sqlite_store import SQLiteStore

    if store_file(uri) is None:
        return SQLiteStore(":memory:")
    path = _file_part(uri)  # as written: the store's uri keeps it
    if Path(path).is_dir():
        raise StoreError(f"{path} is a directory; give a file path for the embedded store")
    return SQLiteStore(path)


__all__ = ["open_store", "store_uri", "store_file", "Store", "StoreError", "DEFAULT_STORE"]
