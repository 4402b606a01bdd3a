"""Fixtures for tests against a live Neo4j: the session's test server (``tests/neo4j_fixtures.py``)
and, once per module, the reference dataset loaded into it and into an embedded store."""

from __future__ import annotations

import pytest
from neo4j_fixtures import empty_neo4j_store, neo4j_uri, summary_hook  # noqa: F401 (fixture)


@pytest.fixture(scope="module")
def reference_neo4j(neo4j_uri):  # noqa: F811
    from maillage.loaders import load_reference

    s = empty_neo4j_store(neo4j_uri)
    load_reference(s)
    yield s
    s.close()


@pytest.fixture(scope="module")
def reference_sqlite():
    from maillage.graph import open_store
    from maillage.loaders import load_reference

    s = open_store(":memory:")
    load_reference(s)
    yield s
    s.close()


def pytest_terminal_summary(terminalreporter):
    summary_hook(terminalreporter)
