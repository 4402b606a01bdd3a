"""The live Neo4j the tests run against (imported by the conformance and Neo4j conftests).

Tests never touch a Neo4j they did not ask for: each pytest session starts **its own** local
Neo4j (``scripts/neo4j_local.py``), home ``.maillage/neo4j-test/session-<pid>`` on a free
port (or ``$MAILLAGE_NEO4J_TEST_PORT``), and stops it and deletes its home at the end, so two
test sessions in one checkout never see each other's data. The database is **emptied** before
each test. ``$MAILLAGE_NEO4J_TEST_URI`` points the tests at a running server instead (it will
be emptied too: never give it one holding data you need).

Without Java or Maven, or with a Neo4j that does not start, the Neo4j tests fail, saying why
(with the server's log).
"""

from __future__ import annotations

import ast
import importlib.util
import logging
import os
import re
import shutil
import socket
import sys

import pytest

from _env import ROOT, unavailable
TEST_ROOT = ROOT / ".maillage" / "neo4j-test"

_state: dict[str, object] = {}


def local_neo4j():
    """The launcher module ``scripts/neo4j_local.py``."""
    if "module" not in _state:
        spec = importlib.util.spec_from_file_location("maillage_neo4j_local", ROOT / "scripts" / "neo4j_local.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
        _state["module"] = mod
    return _state["module"]





def unavailable_reason() -> str | None:
    """Why the Neo4j tests cannot run here (no driver, no Java/Maven), or None."""
    if os.environ.get("MAILLAGE_NEO4J_TEST_URI"):
        return None
    try:
        import neo4j  # noqa: F401
    except ImportError:
        return "the `neo4j` Python driver is not installed in this venv"
    local = local_neo4j()
    missing = [t for t in local.missing_tools() if not (t == "mvn" and local.is_built())]
    if missing:
        return f"{' and '.join(missing)} not found (the local Neo4j needs Java 17+ and Maven)"
    return None


def summary_hook(terminalreporter) -> None:
    """One line about the tests that ran against the live Neo4j, so CI logs show they ran. Printed once however many conftests install it."""
    if _state.get("summarised"):
        return
    _state["summarised"] = True
    counts = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        counts[outcome] = sum(1 for rep in terminalreporter.stats.get(outcome, [])
                              if "[neo4j" in getattr(rep, "nodeid", "") or "neo4j_live/" in getattr(rep, "nodeid", ""))
    if any(counts.values()):
        terminalreporter.write_line(f"Neo4j store and catalogue tests: {counts['passed']} passed, "
                                    f"{counts['failed'] + counts['error']} failed, {counts['skipped']} skipped")


def neo4j_test_uri() -> str:
    """Start (once per session) the test Neo4j and return its Bolt URI; fail as above."""
    if "uri" in _state:
        return _state["uri"]
    if "error" in _state:
        unavailable(_state["error"])
    explicit = os.environ.get("MAILLAGE_NEO4J_TEST_URI")
    if explicit:
        _state["uri"] = explicit
        return explicit
    reason = unavailable_reason()
    if reason:
        _state["error"] = f"Neo4j tests cannot run: {reason}"
        unavailable(_state["error"])
    local = local_neo4j()
    _sweep_stale_sessions()
    inst = local.instance(TEST_ROOT / f"session-{os.getpid()}", _test_port())
    try:
        started = local.start(inst, heap=os.environ.get("MAILLAGE_NEO4J_TEST_HEAP", "1g"), pagecache_mb=256)
    except local.Neo4jLocalError as e:
        _state["error"] = f"the test Neo4j did not start: {e}"
        pytest.fail(_state["error"], pytrace=False)  # Java is there: a start failure is a real failure
    _state["uri"] = inst.uri
    if started:
        _state["started"] = inst
    return inst.uri


def _test_port() -> int:
    explicit = os.environ.get("MAILLAGE_NEO4J_TEST_PORT")
    if explicit:
        return int(explicit)
    with socket.socket() as s:  # a port the kernel says is free now
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sweep_stale_sessions() -> None:
    """Homes left by sessions that died without their teardown (their pid is gone)."""
    for d in TEST_ROOT.glob("session-*"):
        pid = d.name.removeprefix("session-")
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            local = local_neo4j()
            local.stop(local.instance(d, 1), quiet=True)  # its JVM, if one survived
            shutil.rmtree(d, ignore_errors=True)


def stop_if_started() -> None:
    inst = _state.pop("started", None)
    if inst is not None:
        local_neo4j().stop(inst, quiet=True)
        shutil.rmtree(inst.home, ignore_errors=True)


@pytest.fixture(scope="session")
def neo4j_uri():
    """Bolt URI of the session's live test Neo4j."""
    try:
        yield neo4j_test_uri()
    finally:
        stop_if_started()


def empty_neo4j_store(uri: str, **options):
    """A Neo4jStore on the test database, emptied first (``options``: the store's, e.g. ``tx_rows``)."""
    from maillage.graph.neo4j_store import Neo4jStore

    s = Neo4jStore(uri, **options)
    s.clear()
    return s


class SentQueries(logging.Handler):
    """The Cypher statements the driver sends while in the ``with`` block (its own debug log:
    « C: RUN … »): ``sent`` the log lines, :meth:`texts` the statements themselves,
    :meth:`nodes_deleted` what the server said each one deleted."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.sent: list[str] = []
        self._deleted: list[int | None] = []
        self._waiting: dict[str, list[int]] = {}  # connection → its statements not answered yet, in order

    def emit(self, record):
        said = record.getMessage()
        conn = re.match(r"\[#(\w+)\]", said)
        if "C: RUN" in said:
            self.sent.append(said)
            self._deleted.append(None)
            if conn:
                self._waiting.setdefault(conn.group(1), []).append(len(self.sent) - 1)
        elif "S: SUCCESS" in said and "'type': '" in said and conn and self._waiting.get(conn.group(1)):
            # a statement's last answer (its summary): answers come in the order sent, per connection
            n = re.search(r"'nodes-deleted': (\d+)", said)
            self._deleted[self._waiting[conn.group(1)].pop(0)] = int(n.group(1)) if n else 0

    def texts(self) -> list[str]:
        """The statements, in the order sent (the driver logs each one's ``repr``)."""
        literal = re.compile(r"C: RUN ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")
        return [ast.literal_eval(literal.search(s).group(1)) for s in self.sent]

    def nodes_deleted(self) -> list[int | None]:
        """The nodes each statement of :meth:`texts` deleted (None: no summary seen)."""
        return list(self._deleted)

    def __enter__(self):
        self.logger = logging.getLogger("neo4j")
        self.level = self.logger.level
        self.logger.addHandler(self)
        self.logger.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self)
        self.logger.setLevel(self.level)
