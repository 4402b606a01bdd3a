"""Crash consistency of the stores: SIGKILL during loads and analysis write-back.

For each store (embedded SQLite, Neo4j) and each phase —

- ``load``: a new source (a synthetic ecosystem of ``bench/generate.py``) loaded into a store
  that already holds a base dataset;
- ``reload``: the same source id loaded again from a *different* file (replace in place);
- ``analyse``: ``maillage analyse`` writing a new run beside an earlier one —

the operation runs in a child process that is killed with ``SIGKILL`` at a kill point. The
store is then reopened and its **canonical dump** (every table, or every node and
relationship, sorted; load timestamps and write counters left out; the persons' numbers, written
in the write's own transaction, kept in) must equal the dump of the
state before the operation (S0) or after a complete one done on a clean copy (S1): never
anything in between. The operation is then run again to completion (dump == S1) and, for
loads, once more (nothing changes: the reload is idempotent). For an analysis, "after" means
exactly one new run whose metric rows equal those of the clean run, row for row.

Kill points (drawn from ``--seed``; the first two are fixed):

- ``start``: SIGKILL as soon as the child is spawned;
- ``end``: near the end of the write call (97 % of the clean write's duration after it began);
- ``spawn``: a delay drawn over the whole operation (parse, resolve, write);
- ``write``: a delay drawn over the write call (``replace_source`` / ``save_run``) and a
  little past it (the commit);
- ``step`` (SQLite): the child SIGKILLs *itself* at the k-th progress callback of SQLite's
  virtual machine (every 1,000 instructions) inside the write call, k drawn over the count
  of the clean write: reproducible kill points inside the transaction, independent of timing.

Odd-numbered SQLite kill points run with a 256 KiB page cache (``spill``), so the
transaction's dirty pages spill into the ``-wal`` file before the commit: the reopen must
ignore those uncommitted frames. ``--server-kill-points`` also SIGKILLs the Neo4j *server*
mid-write (then the client) and restarts it on the same home: Neo4j's own recovery.

    python scripts/crash_consistency.py --store both --kill-points 100 --neo4j-kill-points 30 --scale pole
    python scripts/crash_consistency.py --store sqlite --kill-points 40 --scale region --phases load,reload

Writes ``bench/out/reliability/crash.json`` (``--out``): kill points tried per store and
phase, where each landed, outcomes (before / after / partial), ``-wal`` files found after
the kill, reload checks and every failure with its reproduction. A SQLite store found in a
partial state is kept (database, ``-wal``, ``-shm`` as the kill left them) under
``bench/out/reliability/failures/``. Neo4j runs on a local server this script starts (its
own home and port, stopped at the end) unless ``--neo4j-uri`` names one — which is emptied.

References: SQLite Consortium, *Write-Ahead Logging* and *Atomic Commit In SQLite*
(sqlite.org/wal.html, sqlite.org/atomiccommit.html); Neo4j, *Operations Manual 5*,
transaction logs and recovery; T. S. Pillai et al., 2014, "All File Systems Are Not Created
Equal: On the Complexity of Crafting Crash-Consistent Applications", OSDI '14; M. Zheng et
al., 2014, "Torturing Databases for Fun and Profit", OSDI '14.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import platform
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
SCRIPT = Path(__file__).resolve()
OUT = ROOT / "bench" / "out" / "reliability"

SOURCE_ID = "crash:ecosystem"
BASE_SOURCE_ID = "crash:base"
STEP_INSTRUCTIONS = 1000  # SQLite VM instructions between two progress callbacks (``step`` kill points)
SPILL_CACHE_KIB = 256
END_FRACTION = 0.97  # the ``end`` kill point: this share of the clean write's duration after it began
VOLATILE_KEYS = frozenset({"loaded_at"})  # load timestamps: a reload stamps a new one, by design
#: Write counters a Neo4j store keeps per write (the lock's counter, the write number on
#: proposals): a killed and reloaded store has made one write more than a clean one.
NEO4J_COUNTERS = {"MaillageLock": {"n"}, "Proposal": {"wn"}}
PHASES = ("load", "reload", "analyse")
OUTCOME_OK = ("before", "after")


# ---------------------------------------------------------------------------------------------
# canonical dumps

def normalise(value: Any) -> Any:
    """A stored value with its load timestamps left out, at every depth; JSON text is parsed.

    Definition: the canonical form two dumps are compared in — equal normalised dumps mean
    the same store content except ``loaded_at`` (when a source was loaded). Reference: the
    stores' own record layouts (``maillage/graph/sqlite_store.py``, ``neo4j_store.py``).

    >>> normalise('{"a": 1, "provenance": {"loaded_at": "2024-01-01", "row": 2}}')
    {'a': 1, 'provenance': {'row': 2}}
    """
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            parsed = orjson.loads(value)
        except orjson.JSONDecodeError:
            return value
        return normalise(parsed)
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def canonical(item: Any) -> str:
    """One dump item as sorted-key JSON text (comparable, sortable).

    >>> canonical({"b": 1, "a": [None, 2.5]})
    '{"a":[null,2.5],"b":1}'
    """
    return orjson.dumps(item, option=orjson.OPT_SORT_KEYS, default=str).decode()  # str: Neo4j temporal values


Dump = dict[str, list[str]]

#: The ``meta`` key (embedded store) and ``:MaillageMeta`` key (Neo4j) of the persons' numbers
#: (« [personne 3] », maillage.graph.numbering): written in the write's own transaction, they are
#: in the dumps, S0 or S1 with the rest. A store brought back to S0 by removing a source and
#: loading sources again has other numbers (a number is never given again): :func:`without_numbers`.
PERSON_NUMBERS = "person_numbers"


def without_numbers(dump: Dump) -> Dump:
    """``dump`` without the persons' numbers (:data:`PERSON_NUMBERS`).

    >>> without_numbers({"table:meta": ['["person_numbers","{}"]', '["schema_version","1"]']})
    {'table:meta': ['["schema_version","1"]']}
    """
    mark = f'"{PERSON_NUMBERS}"'
    return {k: [x for x in v if mark not in x] for k, v in dump.items()}


def sqlite_dump(path: str | Path) -> tuple[Dump, dict[str, Any]]:
    """Reopen the embedded store at ``path`` (as a user would after the crash: SQLite rolls a
    hot ``-wal`` forward or back here) and dump it: the schema objects, then every table's
    rows, normalised and sorted. Also returns ``PRAGMA integrity_check`` and the ``-wal``/
    ``-shm`` files left once the store is closed again.

    Reference: SQLite Consortium, *Write-Ahead Logging* (sqlite.org/wal.html).
    """
    from maillage.graph import open_store

    store = open_store(str(path))
    try:
        db = store.db
        info = {"integrity": [r[0] for r in db.execute("PRAGMA integrity_check")]}
        dump: Dump = {"schema": sorted(canonical(list(r)) for r in db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))}
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for t in tables:
            dump[f"table:{t}"] = sorted(canonical([normalise(c) for c in row])
                                        for row in db.execute(f'SELECT * FROM "{t}"'))  # noqa: S608 (names from sqlite_master)
    finally:
        store.close()
    info["wal_after_close"] = _size(Path(f"{path}-wal"))
    info["shm_after_close"] = _size(Path(f"{path}-shm"))
    return dump, info


def _neo4j_driver(uri: str):
    import neo4j

    from maillage.graph.neo4j_store import driver_auth

    return neo4j.GraphDatabase.driver(uri, auth=driver_auth(), connection_timeout=10.0)


def neo4j_dump(uri: str) -> tuple[Dump, dict[str, Any]]:
    """Dump a Neo4j database: every node (labels, properties) and every relationship (type,
    end nodes by id, properties), normalised and sorted, and its indexes and constraints
    with their state. Write counters (:data:`NEO4J_COUNTERS`) are left out.

    Reference: Neo4j, *Cypher Manual 5* (``SHOW INDEXES``, ``properties()``).
    """
    with _neo4j_driver(uri) as driver, driver.session() as s:
        keys: dict[str, str] = {}
        dump: Dump = {}
        for r in s.run("MATCH (n) RETURN elementId(n) AS eid, labels(n) AS labels, properties(n) AS props"):
            labels = sorted(r["labels"])
            drop = set().union(*(NEO4J_COUNTERS.get(lab, set()) for lab in labels))
            props = normalise({k: v for k, v in r["props"].items() if k not in drop})
            item = canonical({"labels": labels, "props": props})
            primary = "Actor" if "Actor" in labels else "+".join(labels)
            keys[r["eid"]] = f"{primary}:{props['id']}" if "id" in props else item
            dump.setdefault(f"node:{primary}", []).append(item)
        for r in s.run("MATCH (a)-[r]->(b) RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS t, "
                       "properties(r) AS props"):
            dump.setdefault(f"rel:{r['t']}", []).append(canonical(
                {"a": keys[r["a"]], "b": keys[r["b"]], "props": normalise(r["props"])}))
        dump["schema"] = [canonical([r["name"], r["state"]]) for r in s.run(
            "SHOW INDEXES YIELD name, state RETURN name, state")]
        dump["schema"] += [canonical([r["name"], "constraint"]) for r in s.run(
            "SHOW CONSTRAINTS YIELD name RETURN name")]
    return {k: sorted(v) for k, v in dump.items()}, {}


def dump_diff(a: Dump, b: Dump, examples: int = 2) -> dict[str, Any]:
    """Per section, how many items only ``a`` has and only ``b`` has, with a few of them.

    >>> dump_diff({"t": ["1", "2"]}, {"t": ["2", "3"], "u": ["x"]})
    {'t': {'only_a': 1, 'only_b': 1, 'a': ['1'], 'b': ['3']}, 'u': {'only_a': 0, 'only_b': 1, 'a': [], 'b': ['x']}}
    """
    out = {}
    for k in sorted(set(a) | set(b)):
        ca, cb = Counter(a.get(k, [])), Counter(b.get(k, []))
        only_a, only_b = list((ca - cb).elements()), list((cb - ca).elements())
        if only_a or only_b:
            out[k] = {"only_a": len(only_a), "only_b": len(only_b), "a": [x[:300] for x in only_a[:examples]],
                      "b": [x[:300] for x in only_b[:examples]]}
    return out


def _size(p: Path) -> int | None:
    try:
        return p.stat().st_size
    except OSError:
        return None


# ---------------------------------------------------------------------------------------------
# stores under test

class SQLiteTarget:
    """An embedded store file in ``workdir``; S0 is kept as a file copy, restored by copying."""

    kind = "sqlite"
    runs_section, metrics_section = "table:runs", "table:metrics"
    actors_section = "table:actors"

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.path = self.workdir / "store.db"
        self.s0_path = self.workdir / "s0.db"
        self.uri = str(self.path)

    def _remove(self, p: Path) -> None:
        for f in (p, Path(f"{p}-wal"), Path(f"{p}-shm"), Path(f"{p}-journal")):
            f.unlink(missing_ok=True)

    def build(self, setup: Callable[[Any], None]) -> None:
        from maillage.graph import open_store

        self._remove(self.s0_path)
        with open_store(str(self.s0_path)) as s:
            setup(s)
        assert not Path(f"{self.s0_path}-wal").exists(), "S0 left a -wal file: not checkpointed on close"
        self.restore()

    def restore(self) -> None:
        self._remove(self.path)
        shutil.copyfile(self.s0_path, self.path)

    def dump(self) -> tuple[Dump, dict[str, Any]]:
        return sqlite_dump(self.path)

    def after_kill(self, keep: Path) -> dict[str, Any]:
        """The files the kill left, copied to ``keep`` before anything reopens them."""
        keep.mkdir(parents=True, exist_ok=True)
        info = {}
        for suffix in ("", "-wal", "-shm", "-journal"):
            f = Path(f"{self.path}{suffix}")
            info[f"db{suffix}" if suffix else "db"] = _size(f)
            if f.exists():
                shutil.copyfile(f, keep / f.name)
        return info

    def counts(self, d: Dump) -> dict[str, int]:
        return {"actors": len(d.get("table:actors", [])), "relations": len(d.get("table:relations", [])),
                "statements": len(d.get("table:statements", [])), "sources": len(d.get("table:sources", [])),
                "runs": len(d.get("table:runs", [])), "metrics": len(d.get("table:metrics", []))}

    @staticmethod
    def run_of(item: str) -> tuple[str, dict[str, Any]]:
        row = orjson.loads(item)  # [id, created_at, data]
        return row[0], row[2]

    @staticmethod
    def metric_of(item: str) -> tuple[str, str, str, Any]:
        return tuple(orjson.loads(item))  # [run_id, actor_id, name, value]


class Neo4jTarget:
    """A Neo4j database at ``uri`` (emptied!). S0 is rebuilt by running the setup again (and,
    for analyses, by deleting the runs S0 does not have); every restore is checked against S0.
    With ``instance`` (a ``scripts/neo4j_local.py`` instance this script started), the server
    itself can be SIGKILLed and restarted on the same home."""

    runs_section, metrics_section = "node:Run", "node:Metric"
    actors_section = "node:Actor"

    def __init__(self, uri: str, instance: Any = None, local: Any = None, heap: str = "1g",
                 chunk_rows: int | None = None):
        self.uri = uri
        self.instance, self.local, self.heap = instance, local, heap
        # chunk_rows: every write of the children and of this process in transactions of that
        # many rows (maillage/graph/neo4j_chunks.py), through the store's environment settings
        self.chunk_rows = chunk_rows
        if chunk_rows:
            os.environ["MAILLAGE_NEO4J_TX_ROWS"] = "0"
            os.environ["MAILLAGE_NEO4J_CHUNK_ROWS"] = str(chunk_rows)
        self.kind = "neo4j-chunked" if chunk_rows else "neo4j"
        self.setup: Callable[[Any], None] | None = None
        self.s0: Dump | None = None
        self.analysis = False

    def build(self, setup: Callable[[Any], None], analysis: bool = False) -> None:
        self.setup, self.analysis = setup, analysis
        self._rebuild()

    def _rebuild(self) -> None:
        from maillage.graph import open_store

        with open_store(self.uri) as s:
            s.clear()
        with open_store(self.uri) as s:  # a fresh handle re-creates the schema-version node
            self.setup(s)

    def restore(self) -> None:
        if self.analysis and self.s0 is not None:
            keep = [self.run_of(x)[0] for x in self.s0.get(self.runs_section, [])]
            with _neo4j_driver(self.uri) as d, d.session() as s:
                s.run("MATCH (r:Run) WHERE NOT r.id IN $keep DETACH DELETE r", keep=keep).consume()
                s.run("MATCH (m:Metric) WHERE NOT m.run_id IN $keep DELETE m", keep=keep).consume()
        else:
            self._rebuild()
        if self.s0 is not None:
            d, _ = self.dump()
            if d != self.s0:
                raise RuntimeError(f"Neo4j: restoring S0 did not give S0 back: {dump_diff(d, self.s0)}")

    def dump(self) -> tuple[Dump, dict[str, Any]]:
        return neo4j_dump(self.uri)

    def after_kill(self, keep: Path) -> dict[str, Any]:
        return {}

    def recover(self) -> dict[str, Any] | None:
        """Roll back a chunked write the killed child left pending (``neo4j_chunks``)."""
        from maillage.graph.neo4j_chunks import recover_interrupted
        from maillage.graph.neo4j_store import Neo4jStore

        store = Neo4jStore(self.uri)
        try:
            return recover_interrupted(store, force=True)
        finally:
            store.close()

    def open_transactions(self) -> int:
        with _neo4j_driver(self.uri) as d, d.session() as s:
            return sum(1 for r in s.run("SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery")
                       if not (r["currentQuery"] or "").lstrip().upper().startswith("SHOW TRANSACTIONS"))

    def await_rollback(self, limit: float = 120.0) -> float:
        """Seconds until the server lists no transaction left by the killed client (a liveness
        check: the dead client's transaction must be rolled back, or the next write would wait
        for its lock forever)."""
        t = time.monotonic()
        while self.open_transactions():
            if time.monotonic() - t > limit:
                raise RuntimeError(f"Neo4j still lists the killed client's transaction after {limit:.0f} s")
            time.sleep(0.1)
        return round(time.monotonic() - t, 3)

    def kill_server(self) -> None:
        pid = self.local._pid(self.instance)
        if pid is None:
            raise RuntimeError("the Neo4j server to kill is not running")
        os.kill(pid, signal.SIGKILL)
        try:
            os.waitpid(pid, 0)  # our child: reap it
        except ChildProcessError:
            while Path(f"/proc/{pid}").exists() and b"zombie" not in _proc_state(pid):
                time.sleep(0.05)

    def restart_server(self) -> float:
        t = time.monotonic()
        self.local.start(self.instance, heap=self.heap, pagecache_mb=256, quiet=True)
        from maillage.graph.neo4j_store import _SCHEMA_READY

        _SCHEMA_READY.clear()
        return round(time.monotonic() - t, 1)

    def counts(self, d: Dump) -> dict[str, int]:
        from maillage.graph.neo4j_store import TYPES

        return {"actors": len(d.get("node:Actor", [])),
                "relations": sum(len(d.get(f"rel:{t}", [])) for t in TYPES.values()),
                "statements": len(d.get("node:Statement", [])), "sources": len(d.get("node:Source", [])),
                "runs": len(d.get("node:Run", [])), "metrics": len(d.get("node:Metric", []))}

    @staticmethod
    def run_of(item: str) -> tuple[str, dict[str, Any]]:
        props = orjson.loads(item)["props"]
        return props["id"], props["data"]

    @staticmethod
    def metric_of(item: str) -> tuple[str, str, str, Any]:
        p = orjson.loads(item)["props"]
        return p["run_id"], p["actor_id"], p["name"], p.get("value")


def _proc_state(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/status").read_bytes()
    except OSError:
        return b"zombie"


# ---------------------------------------------------------------------------------------------
# analysis runs in a dump

def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _run_rows(target, d: Dump) -> tuple[Dump, dict[str, dict], dict[str, list[tuple]]]:
    rest = {k: v for k, v in d.items() if k not in (target.runs_section, target.metrics_section)}
    runs = dict(target.run_of(x) for x in d.get(target.runs_section, []))
    metrics: dict[str, list[tuple]] = {}
    for x in d.get(target.metrics_section, []):
        rid, aid, name, value = target.metric_of(x)
        metrics.setdefault(rid, []).append((aid, name, value))
    return rest, runs, metrics


def _comparable(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k != "seconds"}  # stage timings differ run to run


def run_is_complete(rows: list[tuple], run_data: dict, reference: tuple[list[tuple], dict]) -> str | None:
    """None when a stored run equals the clean reference run: the same metric rows (actor,
    name) with the same values (relative tolerance 1e-9; an unknown value stays unknown) and
    the same parameters (stage timings aside); otherwise what differs.

    >>> ref = ([("a", "degree", 1.0)], {"params": {"lens": "cooperation", "seconds": 1}})
    >>> run_is_complete([("a", "degree", 1.0)], {"params": {"lens": "cooperation", "seconds": 2}}, ref)
    >>> run_is_complete([], {"params": {"lens": "cooperation"}}, ref)
    '0 metric rows, the clean run has 1'
    """
    ref_rows, ref_data = reference
    if len(rows) != len(ref_rows):
        return f"{len(rows)} metric rows, the clean run has {len(ref_rows)}"
    mine = {(a, n): v for a, n, v in rows}
    ref = {(a, n): v for a, n, v in ref_rows}
    if len(mine) != len(rows):
        return "duplicate metric rows"
    if mine.keys() != ref.keys():
        return f"{len(mine.keys() - ref.keys())} metric rows the clean run lacks, {len(ref.keys() - mine.keys())} missing"
    bad = [k for k in ref if not _close(mine[k], ref[k])]
    if bad:
        return f"{len(bad)} metric values differ from the clean run, e.g. {bad[0]}: {mine[bad[0]]} vs {ref[bad[0]]}"
    if _comparable(run_data.get("params", {})) != _comparable(ref_data.get("params", {})):
        return "run parameters differ from the clean run"
    return None


def classify_analysis(target, d: Dump, s0: Dump, reference: tuple[list[tuple], dict],
                      at_most_new: int = 1) -> tuple[str, str | None, list[str]]:
    """``("before"|"after"|"partial", why, new run ids)``: ``before`` when the dump is S0,
    ``after`` when it is S0 plus complete new runs (at most ``at_most_new``), ``partial``
    otherwise (anything else changed, an earlier run changed, metric rows without their run,
    a run with missing or extra rows)."""
    rest, runs, metrics = _run_rows(target, d)
    rest0, runs0, metrics0 = _run_rows(target, s0)
    if rest != rest0:
        return "partial", f"sections other than runs changed: {dump_diff(rest, rest0)}", []
    for rid, data in runs0.items():
        if runs.get(rid) != data or sorted(metrics.get(rid, []), key=repr) != sorted(metrics0.get(rid, []), key=repr):
            return "partial", f"earlier run {rid} changed", []
    orphans = set(metrics) - set(runs)
    if orphans:
        return "partial", f"metric rows of no run: {sorted(orphans)[:3]}", []
    new = sorted(set(runs) - set(runs0))
    if not new:
        return "before", None, []
    if len(new) > at_most_new:
        return "partial", f"{len(new)} new runs", new
    for rid in new:
        why = run_is_complete(metrics.get(rid, []), runs[rid], reference)
        if why:
            return "partial", f"run {rid}: {why}", new
    return "after", None, new


# ---------------------------------------------------------------------------------------------
# the operation, in the child process and in this one

@dataclass
class Operation:
    """What is done to the store: ``op`` (load/reload/analyse), the file loaded, analysis options."""

    phase: str
    file: Path | None = None
    source_id: str = SOURCE_ID
    diagnostics: bool = False
    rejects: Path | None = None

    def run(self, store) -> None:
        if self.phase == "analyse":
            from maillage.analytics.run import analyse

            analyse(store, diagnostics=self.diagnostics, note="crash-consistency")
        else:
            from maillage.loaders import load_file

            load_file(store, self.file, format="maillage-jsonl", source_id=self.source_id, rejects_dir=self.rejects)

    def child_args(self) -> list[str]:
        args = ["--phase", self.phase, "--source-id", self.source_id]
        if self.file:
            args += ["--file", str(self.file)]
        if self.rejects:
            args += ["--rejects", str(self.rejects)]
        if self.diagnostics:
            args.append("--diagnostics")
        return args


def child_main(argv: list[str]) -> int:
    """The child: run the operation on ``--store``, printing ``BEGIN <t>`` just before the write
    call and ``END <t> <steps>`` after it (``t``: CLOCK_MONOTONIC, shared by every process on
    Linux), ``DONE`` at the end. ``--kill-step k``: SIGKILL itself at the k-th SQLite progress
    callback inside the write call. ``--cache-kib``: a small page cache (spill to the WAL)."""
    ap = argparse.ArgumentParser(prog="crash_consistency.py child")
    ap.add_argument("--store", required=True)
    ap.add_argument("--phase", choices=PHASES, required=True)
    ap.add_argument("--file")
    ap.add_argument("--source-id", default=SOURCE_ID)
    ap.add_argument("--rejects")
    ap.add_argument("--diagnostics", action="store_true")
    ap.add_argument("--kill-step", type=int, default=0)
    ap.add_argument("--cache-kib", type=int, default=0)
    a = ap.parse_args(argv)
    from maillage.graph import open_store

    def emit(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    store = open_store(a.store)
    state = {"active": False, "steps": 0}
    db = getattr(store, "db", None)
    if isinstance(db, sqlite3.Connection):
        if a.cache_kib:
            db.execute(f"PRAGMA cache_size=-{int(a.cache_kib)}")

        def tick() -> int:
            if state["active"]:
                state["steps"] += 1
                if state["steps"] == a.kill_step:
                    os.kill(os.getpid(), signal.SIGKILL)
            return 0

        db.set_progress_handler(tick, STEP_INSTRUCTIONS)
    name = "save_run" if a.phase == "analyse" else "replace_source"
    real = getattr(store, name)

    def marked(*args: Any, **kwargs: Any) -> Any:
        emit(f"BEGIN {time.monotonic():.6f}")
        state["active"] = True
        try:
            out = real(*args, **kwargs)
        except BaseException as e:
            state["active"] = False
            emit(f"ERR {time.monotonic():.6f} {type(e).__name__}")
            raise
        state["active"] = False
        emit(f"END {time.monotonic():.6f} {state['steps']}")  # the store acknowledged the write
        return out

    setattr(store, name, marked)
    Operation(a.phase, Path(a.file) if a.file else None, a.source_id, a.diagnostics,
              Path(a.rejects) if a.rejects else None).run(store)
    store.close()
    emit("DONE")
    return 0


@dataclass
class ChildRun:
    killed: bool
    landed: str  # before-write, in-write, after-write (acknowledged), write-failed (raised), exited
    returncode: int
    total_s: float
    write_s: float | None
    steps: int | None
    delay_s: float | None
    stderr: str = ""


def run_child(store_uri: str, op: Operation, mode: str = "none", delay: float = 0.0, kill_step: int = 0,
              cache_kib: int = 0, before_kill: Callable[[], None] | None = None, log: Path | None = None,
              timeout: float = 1800.0) -> ChildRun:
    """Run the operation in a child and SIGKILL it at the kill point: ``start``/``spawn``
    (``delay`` seconds after the spawn), ``write``/``end`` (``delay`` after the child's
    ``BEGIN``), ``step`` (the child kills itself at ``kill_step``), ``none`` (no kill).
    ``before_kill`` runs just before the SIGKILL (e.g. killing the server first)."""
    cmd = [sys.executable, str(SCRIPT), "child", "--store", store_uri, *op.child_args()]
    if mode == "step":
        cmd += ["--kill-step", str(kill_step)]
    if cache_kib:
        cmd += ["--cache-kib", str(cache_kib)]
    err = open(log, "w+b") if log else subprocess.DEVNULL  # noqa: SIM115
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT, text=True)
    marks: dict[str, Any] = {}
    began = threading.Event()

    def read() -> None:
        for line in p.stdout:
            parts = line.split()
            if parts and parts[0] == "BEGIN":
                marks["begin"] = float(parts[1])
                began.set()
            elif parts and parts[0] == "END":
                marks["end"], marks["steps"] = float(parts[1]), int(parts[2])
            elif parts and parts[0] == "ERR":
                marks["error"] = " ".join(parts[2:])
            elif parts and parts[0] == "DONE":
                marks["done"] = True

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    killed = False
    target = None
    if mode in ("start", "spawn"):
        target = t0 + delay
    elif mode in ("write", "end"):
        while not began.wait(0.005) and p.poll() is None:
            pass
        if "begin" in marks:
            target = marks["begin"] + delay
    if target is not None:
        while (left := target - time.monotonic()) > 0 and p.poll() is None:
            time.sleep(min(left, 0.05) if left > 0.002 else 0)
        if p.poll() is None:
            if before_kill:
                before_kill()
            p.send_signal(signal.SIGKILL)
            killed = True
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        raise RuntimeError(f"the child did not finish within {timeout:.0f} s: {' '.join(cmd)}") from None
    reader.join()
    total = time.monotonic() - t0
    stderr = ""
    if log:
        err.seek(0)
        stderr = err.read()[-3000:].decode(errors="replace")
        err.close()
    if mode == "step":
        killed = p.returncode == -signal.SIGKILL
    if not killed and p.returncode != 0:
        raise RuntimeError(f"the child failed (exit {p.returncode}): {' '.join(cmd)}\n{stderr}")
    landed = ("exited" if not killed else "after-write" if "end" in marks else "write-failed" if "error" in marks
              else "in-write" if "begin" in marks else "before-write")
    write_s = marks["end"] - marks["begin"] if "end" in marks and "begin" in marks else None
    return ChildRun(killed, landed, p.returncode, round(total, 4), None if write_s is None else round(write_s, 4),
                    marks.get("steps"), round(delay, 4) if mode not in ("step", "none") else None, stderr)


# ---------------------------------------------------------------------------------------------
# kill points

def kill_plan(n: int, seed: int, kind: str = "sqlite") -> list[dict[str, Any]]:
    """``n`` kill points drawn from ``seed``: ``start`` and ``end`` first, then ``spawn``
    (20 %), ``write`` (40 %) and, for SQLite, ``step`` (40 %; Neo4j: ``write`` 75 %,
    ``spawn`` 25 %; a Neo4j *server* kill: ``write`` only), each with a fraction drawn
    uniformly (of the whole run, of the write call × 1.15, of the write's step count).
    Odd-numbered SQLite points run with a small page cache (``spill``).

    >>> [p["mode"] for p in kill_plan(4, 7)]
    ['start', 'end', 'write', 'write']
    >>> kill_plan(3, 1, "neo4j-server")[2]["mode"]
    'write'
    """
    rng = random.Random(f"maillage-crash/{kind}/{seed}")
    points = []
    for i in range(n):
        if i == 0 and kind != "neo4j-server":
            mode, frac = "start", 0.0
        elif i == (0 if kind == "neo4j-server" else 1):
            mode, frac = "end", END_FRACTION
        else:
            x = rng.random()
            if kind == "sqlite":
                mode = "spawn" if x < 0.2 else "write" if x < 0.6 else "step"
            elif kind == "neo4j":
                mode = "spawn" if x < 0.25 else "write"
            else:
                mode = "write"
            frac = rng.random() * (1.15 if mode == "write" else 1.0)
        points.append({"i": i, "mode": mode, "fraction": round(frac, 6),
                       "spill": kind == "sqlite" and i % 2 == 1})
    return points


# ---------------------------------------------------------------------------------------------
# a campaign: one store, one phase, n kill points

@dataclass
class PhaseResult:
    store: str
    phase: str
    kill: str  # client or server
    scale: str
    points: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        pts = self.points
        delivered = [p for p in pts if p["killed"]]
        out = {
            "store": self.store, "phase": self.phase, "kill": self.kill, "scale": self.scale, **self.info,
            "kill_points": {"planned": len(pts), "delivered": len(delivered),
                            "by_mode": dict(Counter(p["mode"] for p in delivered)),
                            "landed": dict(Counter(p["landed"] for p in pts))},
            "outcomes": dict(Counter(p["outcome"] for p in pts)),
            "outcomes_of_kills_in_write": dict(Counter(p["outcome"] for p in pts if p["landed"] == "in-write")),
            "outcomes_of_failed_writes": dict(Counter(p["outcome"] for p in pts if p["landed"] == "write-failed")),
            "rerun_ok": sum(1 for p in pts if p.get("rerun_ok")),
            "points_s": round(sum(p.get("seconds", 0) for p in pts), 1),
            "rerun_state": dict(Counter(p.get("rerun") for p in pts)),
            "failures": self.failures,
        }
        if self.phase != "analyse":
            out["second_run_unchanged"] = sum(1 for p in pts if p.get("second_unchanged"))
            out["second_run_checked"] = sum(1 for p in pts if "second_unchanged" in p)
        if self.store == "sqlite":
            out["wal_after_kill"] = {
                "present": sum(1 for p in pts if p.get("files", {}).get("db-wal") is not None),
                "non_empty": sum(1 for p in pts if (p.get("files", {}).get("db-wal") or 0) > 0),
                "non_empty_and_before": sum(1 for p in pts if (p.get("files", {}).get("db-wal") or 0) > 0
                                            and p["outcome"] == "before"),
                "left_after_reopen_and_close": sum(1 for p in pts if p.get("wal_after_close")),
            }
            out["integrity_ok"] = sum(1 for p in pts if p.get("integrity") == ["ok"])
        if self.store == "neo4j" and self.kill == "client":
            waits = [p["rollback_wait_s"] for p in pts if p.get("rollback_wait_s") is not None]
            out["server_rollback_wait_s_max"] = max(waits) if waits else None
        if self.kill == "server":
            out["server_restart_s"] = [p.get("restart_s") for p in pts]
        return out


def campaign(target, op: Operation, setup: Callable[[Any], None], n: int, seed: int, scale: str,
             workdir: Path, server_kill: bool = False, say: Callable[[str], None] = print,
             repro: str = "", second_run: bool = True) -> PhaseResult:
    """Run ``n`` kill points of ``op`` against ``target`` (see the module docstring).
    ``second_run=False``: after each kill, run the operation to completion once (its result
    must be S1); that a second run changes nothing is then checked once, on S1 (the
    operation's determinism is checked by the two clean runs)."""
    from maillage.graph import open_store

    t_campaign = time.monotonic()
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    kill = "server" if server_kill else "client"
    res = PhaseResult(target.kind, op.phase, kill, scale)
    analysis = op.phase == "analyse"
    if isinstance(target, Neo4jTarget):
        target.build(setup, analysis=analysis)
    else:
        target.build(setup)
    s0, _ = target.dump()
    if isinstance(target, Neo4jTarget):
        target.s0 = s0
    # the clean, complete operation on a copy of S0: S1 and the timings the kill points scale
    cal = run_child(target.uri, op, log=workdir / "child.log")
    s1, _ = target.dump()
    # twice: the first run warms the server up (Neo4j compiles its queries), and two clean runs
    # must give the same S1 (the operation is deterministic, or no kill point can be judged)
    target.restore()
    again = run_child(target.uri, op, log=workdir / "child.log")
    s1_again, _ = target.dump()
    reference = None
    if analysis:
        outcome, why, new = classify_analysis(target, s1, s0, ([], {}), at_most_new=1)
        _, runs1, metrics1 = _run_rows(target, s1)
        if len(new) != 1:
            raise RuntimeError(f"the clean analysis did not add exactly one run ({new}, {why})")
        reference = (metrics1[new[0]], runs1[new[0]])
        if classify_analysis(target, s1_again, s0, reference)[0] != "after":
            raise RuntimeError("two clean analyses of S0 gave different runs: the analysis is not deterministic")
    elif s1_again != s1:
        raise RuntimeError(f"two clean runs from S0 gave different stores: {dump_diff(s1_again, s1)}")
    cal = min((cal, again), key=lambda c: c.write_s or 0.0)
    res.info.update({
        "input": {"file": op.file.name if op.file else None, "diagnostics": op.diagnostics if analysis else None},
        "s0": target.counts(s0), "s1": target.counts(s1),
        "calibration": {"total_s": cal.total_s, "write_s": cal.write_s, "steps": cal.steps},
        "seed": seed, "repro": repro,
    })
    if s1 == s0 and not analysis:
        raise RuntimeError("the operation changed nothing: S0 == S1, the campaign would prove nothing")
    s1b = None
    if not analysis:
        # the same operation once more, uninterrupted, on S1: what a rerun after a kill that
        # landed after the commit gives. S1 again when the operation is idempotent.
        with open_store(target.uri) as s:
            op.run(s)
        s1b, _ = target.dump()
        res.info["idempotent"] = s1b == s1
        if s1b != s1:
            res.info["not_idempotent"] = {"what": "running the operation a second time on S1 changes the store",
                                          "diff_second_vs_first": dump_diff(s1b, s1, examples=3)}
    kind = "neo4j-server" if server_kill else ("sqlite" if target.kind == "sqlite" else "neo4j")
    absent = None
    if getattr(target, "chunk_rows", None) and op.phase == "reload":
        # a chunked reload deletes the previous version first: killed after that, once recovered,
        # the source is absent (docs/neo4j.md, "Large sources") — the third accepted state
        target.restore()
        with open_store(target.uri) as s:
            s.remove_source(op.source_id)
        absent, _ = target.dump()
        res.info["absent_accepted"] = True
    res.info["setup_s"] = round(time.monotonic() - t_campaign, 1)
    for pt in kill_plan(n, seed, kind):
        t_point = time.monotonic()
        target.restore()
        t_restored = time.monotonic()
        mode, frac = pt["mode"], pt["fraction"]
        delay = {"start": 0.0, "spawn": frac * cal.total_s}.get(mode, frac * (cal.write_s or 0.0))
        step = max(1, min(cal.steps or 1, round(frac * (cal.steps or 1)))) if mode == "step" else 0
        rec: dict[str, Any] = {**pt, "delay_s": None, "kill_step": step or None}
        before_kill = target.kill_server if server_kill else None
        try:
            ch = run_child(target.uri, op, mode=mode, delay=delay, kill_step=step,
                           cache_kib=SPILL_CACHE_KIB if pt["spill"] else 0, before_kill=before_kill,
                           log=workdir / "child.log")
        except RuntimeError as e:
            rec.update({"killed": False, "landed": "error", "outcome": "error", "error": str(e)[-2000:]})
            res.points.append(rec)
            res.failures.append({"i": pt["i"], "what": "child failed", "error": str(e)[-2000:]})
            continue
        if not ch.killed and ch.write_s:  # it outran the kill: the write is faster now (a warmer server)
            cal = ChildRun(False, "exited", 0, ch.total_s, ch.write_s, ch.steps, None)
        rec.update({"killed": ch.killed, "landed": ch.landed, "delay_s": ch.delay_s,
                    "t": {"restore": round(t_restored - t_point, 2), "child": ch.total_s}})
        keep = workdir / "last-kill"
        shutil.rmtree(keep, ignore_errors=True)
        rec["files"] = target.after_kill(keep)
        if server_kill and ch.killed:
            rec["restart_s"] = target.restart_server()
        if isinstance(target, Neo4jTarget) and not server_kill:
            rec["rollback_wait_s"] = target.await_rollback()
        if isinstance(target, Neo4jTarget):
            # a write in several transactions (a big source) leaves a pending marker: the next
            # writer rolls it back once its lease expires; the child is known dead, so now
            rec["recovered"] = target.recover()
        d, info = target.dump()
        rec["integrity"] = info.get("integrity")
        rec["wal_after_close"] = info.get("wal_after_close")
        if analysis:
            outcome, why, _ = classify_analysis(target, d, s0, reference)
        else:
            # an interrupted chunked reload leaves the source absent with its last resolution
            # log (RetiredLog nodes, so that loading it again keeps its actor ids)
            outcome = ("before" if d == s0 else "after" if d == s1 else "absent"
                       if absent is not None and {k: v for k, v in d.items() if k != "node:RetiredLog"} == absent
                       else "partial")
            why = None if outcome != "partial" else {"vs_before": dump_diff(d, s0), "vs_after": dump_diff(d, s1)}
        if rec["integrity"] not in (None, ["ok"]):
            outcome, why = "partial", f"integrity_check: {rec['integrity'][:5]}"
        rec["outcome"] = outcome
        if ch.landed in ("after-write", "exited") and outcome != "after":
            res.failures.append({"i": pt["i"], "what": "a write the store acknowledged is gone after the kill",
                                 "point": pt, "landed": ch.landed, "outcome": outcome, "repro": repro})
        if outcome == "partial":
            kept = OUT / "failures" / f"{target.kind}-{op.phase}-{kill}-{pt['i']}"
            if target.kind == "sqlite":
                shutil.rmtree(kept, ignore_errors=True)
                shutil.copytree(keep, kept)
            res.failures.append({"i": pt["i"], "what": "store neither before nor after the operation",
                                 "point": pt, "landed": ch.landed, "detail": why, "kept": str(kept),
                                 "child_stderr": ch.stderr[-1500:], "repro": repro})
        rec["t"]["check"] = round(time.monotonic() - t_point - rec["t"]["restore"] - ch.total_s, 2)
        # run the operation again, to completion, in this process
        with open_store(target.uri) as s:
            op.run(s)
        d2, _ = target.dump()
        if analysis:
            o2, why2, new = classify_analysis(target, d2, s0, reference, at_most_new=2)
            rec["rerun"] = "after" if o2 == "after" and len(new) == (2 if outcome == "after" else 1) else "other"
        else:
            rec["rerun"] = "after" if d2 == s1 else "after+1" if d2 == s1b else "other"
            why2 = {"vs_after": dump_diff(d2, s1)}
        # expected: S1 after a kill before the commit; after one, what an uninterrupted second run gives
        rec["rerun_ok"] = rec["rerun"] == "after" or (rec["rerun"] == "after+1" and outcome == "after")
        if not rec["rerun_ok"]:
            res.failures.append({"i": pt["i"], "what": "running the operation again after the kill did not give "
                                 "the state an uninterrupted run gives", "detail": why2, "point": pt, "repro": repro})
        if not analysis and second_run:
            with open_store(target.uri) as s:
                op.run(s)
            d3, _ = target.dump()
            rec["second_unchanged"] = d3 == d2
            if res.info["idempotent"] and d3 != d2:
                res.failures.append({"i": pt["i"], "what": "running the operation a second time changed the store",
                                     "detail": dump_diff(d3, d2), "point": pt, "repro": repro})
        rec["seconds"] = round(time.monotonic() - t_point, 2)
        res.points.append(rec)
        say(f"  {target.kind} {op.phase} {kill} #{pt['i']:>3} {mode:<5} {'spill ' if pt['spill'] else ''}"
            f"landed {ch.landed:<12} → {outcome}" + ("" if rec["rerun_ok"] else "  RERUN FAILED"))
    return res


# ---------------------------------------------------------------------------------------------
# inputs and S0 set-ups

def _module(name: str, path: Path):
    """A script of the project as a module (loaded once)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


def _generator():
    return _module("maillage_bench_generate", ROOT / "bench" / "generate.py")


def scale_of(name: str):
    """A ``bench/generate.py`` scale by name, plus ``ci``: 150 actors, 900 relations in one
    département (the short CI slice against Neo4j)."""
    gen = _generator()
    if name == "ci":
        return gen.Scale("ci", "departement:31", 150, 900)
    return gen.SCALES[name]


def ecosystem(scale: str, seed: int, workdir: Path) -> Path:
    """The synthetic ecosystem file of ``scale`` and ``seed`` in ``workdir`` (generated once)."""
    path = Path(workdir) / f"{scale}-{seed}.jsonl"
    if not path.exists():
        _generator().generate(scale_of(scale), seed, path)
    return path


def setup_for(phase: str, base: str, first: Path, workdir: Path) -> Callable[[Any], None]:
    """S0 of a phase: the base dataset (``reference`` or a synthetic file); for ``reload``
    and ``analyse`` also the ecosystem ``first`` as :data:`SOURCE_ID`; for ``analyse`` also an
    earlier run (metrics only)."""
    rejects = Path(workdir) / "rejects"

    def setup(store) -> None:
        from maillage.loaders import load_file, load_reference

        if base == "reference":
            load_reference(store, rejects_dir=rejects)
        elif base:
            load_file(store, base, format="maillage-jsonl", source_id=BASE_SOURCE_ID, rejects_dir=rejects)
        if phase in ("reload", "analyse"):
            load_file(store, first, format="maillage-jsonl", source_id=SOURCE_ID, rejects_dir=rejects)
        if phase == "analyse":
            from maillage.analytics.run import analyse

            analyse(store, diagnostics=False, note="earlier run")

    return setup


def operation_for(phase: str, first: Path, second: Path, workdir: Path, diagnostics: bool) -> Operation:
    """The operation a phase kills: load ``first`` as a new source, reload the source from
    ``second``, or analyse (with ``diagnostics`` or metrics only).

    >>> operation_for("reload", Path("a.jsonl"), Path("b.jsonl"), Path("w"), False).file.name
    'b.jsonl'
    """
    rejects = Path(workdir) / "rejects"
    if phase == "load":
        return Operation("load", first, rejects=rejects)
    if phase == "reload":
        return Operation("reload", second, rejects=rejects)
    return Operation("analyse", diagnostics=diagnostics)


def run_phase(target, phase: str, n: int, seed: int, scale: str, workdir: Path, base: str = "reference",
              diagnostics: bool = False, server_kill: bool = False, say: Callable[[str], None] = print,
              repro: str = "", second_run: bool = True) -> PhaseResult:
    """One campaign: ``phase`` on ``target`` at ``scale`` (ecosystem seeds 1, and 2 for the
    reloaded file), S0 built on ``base`` (``reference``, or ``synthetic:<scale>:<seed>``)."""
    workdir = Path(workdir)
    data = workdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    first, second = ecosystem(scale, 1, data), ecosystem(scale, 2, data)
    base_arg = base
    if base.startswith("synthetic:"):
        _, bscale, bseed = base.split(":")
        base_arg = ecosystem(bscale, int(bseed), data)
    op = operation_for(phase, first, second, workdir, diagnostics)
    setup = setup_for(phase, base_arg, first, workdir)
    res = campaign(target, op, setup, n, seed, scale, workdir / f"{target.kind}-{phase}", server_kill=server_kill,
                   say=say, repro=repro, second_run=second_run)
    res.info["base"] = base
    return res


# ---------------------------------------------------------------------------------------------
# command line

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _local_neo4j():
    return _module("maillage_neo4j_local", ROOT / "scripts" / "neo4j_local.py")


def main(argv: list[str] | None = None) -> int:
    """The campaign's command line (see the module docstring); ``child …`` runs one operation.
    Exit status 1 when a kill point failed or an operation is not idempotent."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["child"]:
        return child_main(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", choices=["sqlite", "neo4j", "both"], default="both")
    ap.add_argument("--kill-points", type=int, default=100, help="per phase, embedded store")
    ap.add_argument("--analysis-kill-points", type=int, help="for the analyse phase (default: --kill-points)")
    ap.add_argument("--neo4j-kill-points", type=int, help="per phase, Neo4j client kills (default: --kill-points)")
    ap.add_argument("--server-kill-points", type=int, default=0, help="Neo4j server kills during a load")
    ap.add_argument("--scale", choices=["ci", "pole", "region"], default="pole")
    ap.add_argument("--phases", default="load,reload,analyse")
    ap.add_argument("--neo4j-phases", help="phases for Neo4j (default: --phases)")
    ap.add_argument("--base", default="reference", help="S0's base: reference or synthetic:<scale>:<seed>")
    ap.add_argument("--analysis", choices=["auto", "full", "metrics-only"], default="auto",
                    help="auto: full diagnostics on the embedded store up to pole scale, else metrics only")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--neo4j-uri", help="use this Neo4j (it is EMPTIED) instead of starting one")
    ap.add_argument("--neo4j-chunk-rows", type=int, default=0,
                    help="Neo4j: write every source in transactions of this many rows (the path of sources "
                         "too big for one transaction)")
    ap.add_argument("--workdir", default=str(OUT / "work"))
    ap.add_argument("--out", default=str(OUT / "crash.json"))
    a = ap.parse_args(argv)
    phases = [p for p in a.phases.split(",") if p]
    neo_phases = [p for p in (a.neo4j_phases or a.phases).split(",") if p]
    for p in phases + neo_phases:
        if p not in PHASES:
            ap.error(f"unknown phase {p!r}")
    work = Path(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    results: list[PhaseResult] = []
    t0 = time.monotonic()

    def diag(store: str) -> bool:
        return a.analysis == "full" or (a.analysis == "auto" and store == "sqlite" and a.scale in ("ci", "pole"))

    def repro(store: str, phases_: str, n: int, extra: str = "") -> str:
        return (f"python scripts/crash_consistency.py --store {store} --phases {phases_} --kill-points {n} "
                f"--scale {a.scale} --base {a.base} --seed {a.seed} --analysis {a.analysis}{extra}")

    if a.store in ("sqlite", "both"):
        for phase in phases:
            n = a.analysis_kill_points if phase == "analyse" and a.analysis_kill_points is not None else a.kill_points
            results.append(run_phase(SQLiteTarget(work / "sqlite"), phase, n, a.seed, a.scale, work,
                                     a.base, diag("sqlite"), say=lambda m: print(m, file=sys.stderr),
                                     repro=repro("sqlite", phase, n)))
            print(f"sqlite · {phase} · {n} kill points · {a.scale}: done", file=sys.stderr)
    neo_version = None
    if a.store in ("neo4j", "both"):
        n = a.neo4j_kill_points if a.neo4j_kill_points is not None else a.kill_points
        local, inst = None, None
        uri = a.neo4j_uri
        if not uri:
            local = _local_neo4j()
            inst = local.instance(ROOT / ".maillage" / f"neo4j-crash-{os.getpid()}", _free_port())
            local.start(inst, heap="1g", pagecache_mb=256)
            uri = inst.uri
        try:
            with _neo4j_driver(uri) as d, d.session() as s:
                neo_version = s.run("CALL dbms.components() YIELD versions RETURN versions[0] AS v").single()["v"]
            target = Neo4jTarget(uri, inst, local, chunk_rows=a.neo4j_chunk_rows or None)
            for phase in neo_phases:
                if n:
                    print(f"neo4j · {phase} · {n} client kill points · {a.scale}", file=sys.stderr)
                    results.append(run_phase(target, phase, n, a.seed, a.scale, work, a.base, diag("neo4j"),
                                             say=lambda m: print(m, file=sys.stderr),
                                             repro=repro("neo4j", phase, n, f" --neo4j-kill-points {n}" + (
                                                 f" --neo4j-chunk-rows {a.neo4j_chunk_rows}"
                                                 if a.neo4j_chunk_rows else ""))))
            if a.server_kill_points:
                if inst is None:
                    print("neo4j: --server-kill-points needs the server this script starts (no --neo4j-uri)",
                          file=sys.stderr)
                else:
                    print(f"neo4j · load · {a.server_kill_points} SERVER kill points · {a.scale}", file=sys.stderr)
                    results.append(run_phase(target, "load", a.server_kill_points, a.seed, a.scale, work, a.base,
                                             server_kill=True, say=lambda m: print(m, file=sys.stderr),
                                             repro=repro("neo4j", "load", 0,
                                                         f" --neo4j-kill-points 0 --server-kill-points "
                                                         f"{a.server_kill_points}")))
        finally:
            if inst is not None:
                local.stop(inst, quiet=True)
                shutil.rmtree(inst.home, ignore_errors=True)
    summaries = [r.summary() for r in results]
    report = {
        "generated_by": "scripts/crash_consistency.py " + " ".join(argv),
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "neo4j": neo_version,
        "seconds": round(time.monotonic() - t0, 1),
        "kill_points_delivered": sum(s["kill_points"]["delivered"] for s in summaries),
        "failures": sum(len(s["failures"]) for s in summaries),
        "campaigns": summaries,
        "points": {f"{r.store}/{r.phase}/{r.kill}": r.points for r in results},
    }
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    print(f"{'store':<7} {'phase':<8} {'kill':<7} {'points':>6} {'killed':>6} {'in-write':>8} "
          f"{'before':>6} {'after':>6} {'partial':>7} {'rerun ok':>8} {'idempotent':>10} failures")
    for s in summaries:
        o, k = s["outcomes"], s["kill_points"]
        print(f"{s['store']:<7} {s['phase']:<8} {s['kill']:<7} {k['planned']:>6} {k['delivered']:>6} "
              f"{k['landed'].get('in-write', 0):>8} {o.get('before', 0):>6} {o.get('after', 0):>6} "
              f"{o.get('partial', 0):>7} {s['rerun_ok']:>8} {str(s.get('idempotent', '-')):>10} "
              f"{len(s['failures'])}")
    not_idempotent = [f"{s['store']}/{s['phase']}" for s in summaries if s.get("idempotent") is False]
    report["not_idempotent"] = not_idempotent
    out.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    print(f"→ {out} ({report['kill_points_delivered']} kill points delivered, {report['failures']} failures, "
          f"{report['seconds']} s)")
    if not_idempotent:
        print(f"NOT IDEMPOTENT: {', '.join(not_idempotent)} (a second uninterrupted run changes the store; "
              "see not_idempotent in the JSON)")
    return 1 if report["failures"] or not_idempotent else 0


if __name__ == "__main__":
    raise SystemExit(main())
