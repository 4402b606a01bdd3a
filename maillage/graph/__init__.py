"""Domain model, vocabulary and stores of the maillage graph.

>>> from maillage.graph import open_store
>>> store = open_store(":memory:")
>>> store.stats()["actors"]
0
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from .store import Store, StoreError

DEFAULT_STORE = "maillage.db"
NEO4J_SCHEMES = ("bolt://", "neo4j://", "bolt+s://", "neo4j+s://", "bolt+ssc://", "neo4j+ssc://")
#: ``scheme://`` at the start of a URI; one letter is a Windows drive (``C://data``), not a scheme
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+)://")


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
    _refuse_unknown_scheme(uri)
    return Path(_file_part(uri))


def _refuse_unknown_scheme(uri: str) -> None:
    """A URI with a scheme no store handles (``http://``, ``postgres://``…) is refused: taken as a
    file path, ``http://127.0.0.1:7474`` (Neo4j Browser's address) made an SQLite file in
    ``./http:/127.0.0.1:7474``.

    >>> try:
    ...     _refuse_unknown_scheme("http://127.0.0.1:7474")
    ... except StoreError as e:
    ...     print(e)
    http://127.0.0.1:7474 is the address of Neo4j Browser (HTTP), not of the database; give its Bolt address: bolt://127.0.0.1:7687 (or neo4j://…)
    >>> _refuse_unknown_scheme(r"C:\\data\\maillage.db")  # a Windows path: no scheme
    """
    m = _SCHEME.match(uri)
    if m is None or m.group(1).lower() == "sqlite":
        return
    scheme = m.group(1).lower()
    if scheme in ("http", "https"):
        host = urlsplit(uri).hostname or "localhost"
        host = f"[{host}]" if ":" in host else host
        bolt = f"bolt://{host}:7687 (or neo4j://…)" if scheme == "http" else f"neo4j+s://{host} (or bolt+s://{host}:7687)"
        raise StoreError(f"{uri} is the address of Neo4j Browser (HTTP), not of the database; give its Bolt address: "
                         f"{bolt}")
    raise StoreError(f"{uri}: maillage cannot keep its graph at a {scheme}:// address; give a file path "
                     "(the embedded store), or bolt://host:7687 or neo4j://… for Neo4j")


def _file_part(uri: str) -> str:
    """An embedded store URI's path, as written (``sqlite:///data/m.db`` → ``data/m.db``)."""
    return uri.removeprefix("sqlite:///").removeprefix("sqlite://")


def open_store(uri: str | None = None) -> Store:
    """Open a store from a URI.

    - a file path, ``sqlite:///path`` or ``:memory:`` → the embedded SQLite store;
    - ``bolt://…`` or ``neo4j://…`` (``+s``/``+ssc`` for TLS) → Neo4j
      (:class:`~maillage.graph.neo4j_store.Neo4jStore`; user and password from the URI or
      ``$MAILLAGE_NEO4J_USER``/``$MAILLAGE_NEO4J_PASSWORD``);
    - any other ``scheme://`` (``http://`` of Neo4j Browser, ``postgres://``…) → refused
      (:class:`StoreError`), nothing created.
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
