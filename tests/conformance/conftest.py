"""The conformance suite's ``store`` fixture: every store implementation, each test on a fresh,
empty store. ``neo4j`` is a live Neo4j, ``neo4j-chunked`` the same writing every source in
several transactions as it does for sources too big for one (see ``tests/neo4j_fixtures.py``: started for the session
when needed, emptied before each test; without Java/Maven the Neo4j tests fail, saying why)."""

from __future__ import annotations

import pytest
from neo4j_fixtures import empty_neo4j_store, neo4j_uri, summary_hook  # noqa: F401 (fixture)

STORE_KINDS = ["sqlite-file", "sqlite-memory", "neo4j", "neo4j-chunked"]


@pytest.fixture(params=STORE_KINDS)
def store(request, tmp_path):
    from maillage.graph import open_store

    if request.param == "neo4j":
        s = empty_neo4j_store(request.getfixturevalue("neo4j_uri"))
    elif request.param == "neo4j-chunked":  # every write in transactions of 3 rows (maillage/graph/neo4j_chunks.py)
        s = empty_neo4j_store(request.getfixturevalue("neo4j_uri"), tx_rows=0, chunk_rows=3)
    else:
        s = open_store(str(tmp_path / "store.db") if request.param == "sqlite-file" else ":memory:")
    yield s
    s.close()


def pytest_terminal_summary(terminalreporter):
    summary_hook(terminalreporter)
