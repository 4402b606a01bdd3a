"""Benchmark runner: measures, in one run, the load path against its obvious alternative and
writes the results into ``docs/benchmarks.md`` (its own section; other sections are kept).

Measured per scale (synthetic ecosystems from ``bench/generate.py``):

1. **Bulk write**: ``SQLiteStore.replace_source(batch)`` into a fresh file store, the batch
   built once beforehand (parse + resolve timed separately), **vs raw**: plain
   ``sqlite3.executemany`` of exactly the rows that store ends up writing — every table
   (sources, statements, names, identifiers, actors, actor_territories, relations,
   proposals), read back from its file — into the store's own schema (same keys and
   indexes), in one transaction, in a fresh file, with the store's pragmas, each table's rows
   in key order. That is what writing those rows yourself costs, without the store's
   bookkeeping (name keys, relation ids, JSON), merge and checks. Headline: store / raw
   (target ≥ 0.5×). The check that raw wrote the same tables as the store is part of the run.
   The store drops a table's secondary indexes and builds them after the inserts when a load
   is at least as big as what the table holds (``SQLiteStore.bulk_min_rows``); raw is timed
   with the same trick too (*raw, indexes after*), so that the store is compared with raw
   at its best as well. A lower bound beside them: the statements and relations rows alone
   into bare tables of the same columns (no key, no index) — what the schema itself costs.
   ``--profile`` adds where ``replace_source``'s time goes (every SQL statement and the main
   Python steps timed, plus a cProfile file).
2. **End-to-end** ``load_file`` (sha256 + parse + resolve + write) with the time of each stage.
3. **Peak memory**: every measurement runs in its own subprocess; the runner reads that
   child's ``ru_maxrss`` with ``os.wait4`` (peak resident set size of the whole process,
   interpreter and geography included — the RSS before the load is reported beside it).

Each timing is repeated (``--reps``, ≥ 3) and reported as median [min–max]; the runs of one
repetition are interleaved (rotating order) so machine noise hits them alike.

    python bench/run.py --scales pole,region                    # `make bench` → docs/benchmarks.md
    python bench/run.py --scales pole,region,nation --profile   # `make bench-nation`, ≈ 30 min
    python bench/run.py --quick                                 # smoke run, < 1 min → bench/out/benchmarks.quick.md
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shlex
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench/run.py:load:begin -->", "<!-- bench/run.py:load:end -->"
TARGET_RATIO = 0.5

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# =============================================================================================
# Workers (run in a subprocess each; print one JSON object on the last line of stdout)
# =============================================================================================

def _maxrss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()
    return path


def _warm() -> None:
    """Import what the load path imports and load the geography once (cached), so the first
    timed stage does not pay for it; it still counts in the process's peak RSS."""
    from maillage.geography import load_geography
    from maillage.graph import vocabulary

    load_geography()
    vocabulary.vocabulary()


def worker_load(data: Path, tmp: Path) -> dict:
    """End-to-end ``load_file`` into a fresh file store, with the time of each stage."""
    from maillage.graph.sqlite_store import SQLiteStore
    from maillage.loaders import load_file

    _warm()
    rss_before = _maxrss_mib()
    db = _fresh(tmp / "load.db")
    store = SQLiteStore(db)
    first: dict[str, float] = {}  # each stage's first and last progress call (a stage reports many)
    last: dict[str, float] = {}
    t0 = time.perf_counter()

    def progress(stage: str, i: int, n: int) -> None:
        now = time.perf_counter()
        first.setdefault(stage, now)
        last[stage] = now

    report = load_file(store, data, format="maillage-jsonl", rejects_dir=tmp / "rejects", progress=progress)
    total = time.perf_counter() - t0
    store.close()
    parse = last["parse"] - first["parse"]
    resolve = first["write"] - last["parse"]
    write = last["write"] - first["write"]
    size = db.stat().st_size
    _fresh(db)
    return {"rows": report.rows_read, "rejected": report.rejected, "actors_created": report.actors_created,
            "total": total, "parse": parse, "resolve": resolve, "write": write,
            "other": total - parse - resolve - write, "rss_before_mib": rss_before,
            "rss_self_mib": _maxrss_mib(), "db_bytes": size}


def _build_batch(data: Path, tmp: Path):
    """Parse + resolve through the ordinary ``load_file`` path, capturing the batch it would write."""
    from maillage.graph.sqlite_store import SQLiteStore
    from maillage.graph.store import WriteSummary
    from maillage.loaders import load_file

    captured = {}
    store = SQLiteStore(_fresh(tmp / "capture.db"))

    def capture(batch):
        captured["batch"] = batch
        return WriteSummary(source=batch.source.id, statements=len(batch.statements), relations=len(batch.relations))

    store.replace_source = capture  # the store stays empty: resolution sees what a first load sees
    t0 = time.perf_counter()
    report = load_file(store, data, format="maillage-jsonl", rejects_dir=tmp / "rejects")
    dt = time.perf_counter() - t0
    store.close()
    _fresh(tmp / "capture.db")
    return captured["batch"], report, dt


ALL_TABLES = ("sources", "statements", "names", "identifiers", "actors", "actor_territories", "relations",
              "proposals")
BARE = ("statements", "relations")  # the lower bound: these two tables, no key, no index


def _store_pragmas(tmp: Path) -> list[str]:
    """The pragmas a store connection runs with, read from one (so raw always follows the store)."""
    from maillage.graph.sqlite_store import SQLiteStore

    store = SQLiteStore(_fresh(tmp / "pragmas.db"))
    out = [f"{p}={store.db.execute(f'PRAGMA {p}').fetchone()[0]}"
           for p in ("journal_mode", "synchronous", "foreign_keys", "cache_size")]
    store.close()
    _fresh(tmp / "pragmas.db")
    return out


def _connect(path: Path, pragmas: list[str]) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    for p in pragmas:
        db.execute(f"PRAGMA {p}")
    return db


def _insert_all(db: sqlite3.Connection, rows: dict[str, list], tables) -> None:
    for table in tables:
        if rows[table]:
            marks = ",".join("?" * len(rows[table][0]))
            db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])  # noqa: S608


def _raw(path: Path, rows: dict[str, list], pragmas: list[str], indexes_after: bool = False,
         keep: bool = False) -> float:
    """Raw ``executemany`` of every table's rows into the store's schema, one transaction.
    ``indexes_after``: the store's bulk trick — secondary indexes dropped inside the
    transaction before the inserts and built again after them."""
    from maillage.graph.sqlite_store import _INDEXES, SCHEMA

    db = _connect(_fresh(path), pragmas)
    db.executescript(SCHEMA)
    gc.collect()
    t0 = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    if indexes_after:
        for table in ALL_TABLES:
            for name, _ in _INDEXES.get(table, ()):
                db.execute(f"DROP INDEX {name}")
    _insert_all(db, rows, ALL_TABLES)
    if indexes_after:
        for table in ALL_TABLES:
            for _, ddl in _INDEXES.get(table, ()):
                db.execute(ddl)
    db.execute("COMMIT")
    dt = time.perf_counter() - t0
    db.close()
    if not keep:
        _fresh(path)
    return dt


def _bare(path: Path, rows: dict[str, list], columns: dict[str, list[str]], pragmas: list[str]) -> float:
    """Lower bound: the statements and relations rows into tables with no key and no index."""
    db = _connect(_fresh(path), pragmas)
    for table in BARE:
        db.execute(f"CREATE TABLE {table} ({', '.join(columns[table])})")
    gc.collect()
    t0 = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    _insert_all(db, rows, BARE)
    db.execute("COMMIT")
    dt = time.perf_counter() - t0
    db.close()
    _fresh(path)
    return dt


def _store_write(path: Path, batch) -> float:
    from maillage.graph.sqlite_store import SQLiteStore

    store = SQLiteStore(_fresh(path))
    gc.collect()
    t0 = time.perf_counter()
    store.replace_source(batch)
    dt = time.perf_counter() - t0
    store.close()
    return dt


def _read_tables(db: Path) -> tuple[dict[str, list], dict[str, list[str]]]:
    """Every row of every table, each table in key order (all columns, leading with its key)."""
    con = sqlite3.connect(db)
    rows, columns = {}, {}
    for t in ALL_TABLES:
        columns[t] = [r[1] for r in con.execute(f"PRAGMA table_info({t})")]
        order = ", ".join(str(i + 1) for i in range(len(columns[t])))
        rows[t] = con.execute(f"SELECT * FROM {t} ORDER BY {order}").fetchall()  # noqa: S608
    con.close()
    return rows, columns


def _same_tables(a: Path, b: Path) -> list[str]:
    """Differences between two store files: rows of every table, and the indexes (by their SQL)."""
    con = sqlite3.connect(a)
    con.execute("ATTACH DATABASE ? AS other", (str(b),))
    diffs = []
    for t in ALL_TABLES:
        n = con.execute(f"SELECT (SELECT COUNT(*) FROM main.{t}), (SELECT COUNT(*) FROM other.{t})").fetchone()
        extra = con.execute(f"SELECT COUNT(*) FROM (SELECT * FROM main.{t} EXCEPT SELECT * FROM other.{t})"
                            ).fetchone()[0]
        missing = con.execute(f"SELECT COUNT(*) FROM (SELECT * FROM other.{t} EXCEPT SELECT * FROM main.{t})"
                              ).fetchone()[0]
        if n[0] != n[1] or extra or missing:
            diffs.append(f"{t}: {n[0]} vs {n[1]} rows, {extra} only in the first, {missing} only in the second")
    q = "SELECT name, sql FROM {}.sqlite_master WHERE type='index' AND sql IS NOT NULL ORDER BY name"
    if con.execute(q.format("main")).fetchall() != con.execute(q.format("other")).fetchall():
        diffs.append("indexes differ")
    con.close()
    return diffs


class _Rows(list):
    def fetchone(self):
        return self[0] if self else None

    def fetchall(self):
        return list(self)


class _TimedConnection:
    """A connection that adds the wall time of each SQL statement to ``self.spent[category]``
    (queries are fetched inside the clock, since SQLite does their work as rows are read)."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db
        self.spent: dict[str, float] = {}

    @staticmethod
    def category(sql: str) -> str:
        head = " ".join(sql.split()[:2]).upper()
        if head == "COMMIT":
            return "sql_commit"
        if head in ("CREATE INDEX", "DROP INDEX"):
            return "sql_indexes"
        if head.startswith("INSERT") and "INTO relations" in sql:
            return "sql_insert_relations"
        if head.startswith("INSERT"):
            return "sql_insert_other_tables"
        return "sql_other"

    def _timed(self, sql: str, call):
        t0 = time.perf_counter()
        out = call()
        if sql.lstrip().upper().startswith(("SELECT", "PRAGMA")):
            out = _Rows(out.fetchall())
        k = self.category(sql)
        self.spent[k] = self.spent.get(k, 0.0) + time.perf_counter() - t0
        return out

    def execute(self, sql: str, *args):
        return self._timed(sql, lambda: self._db.execute(sql, *args))

    def executemany(self, sql: str, rows):
        rows = list(rows)
        return self._timed(sql, lambda: self._db.executemany(sql, rows))

    def __getattr__(self, name):
        return getattr(self._db, name)


BREAKDOWN = [  # (key, label) in the order of the profile table
    ("sql_insert_relations", "SQL: insert relations"),
    ("sql_insert_other_tables", "SQL: insert other tables"),
    ("sql_indexes", "SQL: drop + rebuild indexes"),
    ("sql_commit", "SQL: commit"),
    ("sql_other", "SQL: other (reads, deletes, counts)"),
    ("py_relation_ids", "Python: relation ids (`statement_id`)"),
    ("py_json", "Python: JSON (statements, relations, actors)"),
    ("py_name_keys", "Python: name keys and search text"),
    ("py_merge_statements", "Python: `merge_statements`"),
    ("py_territory_rollup", "Python: territory rollup"),
    ("py_rows_and_rest", "Python: row tuples, sorting, grouping, the rest"),
]


def _breakdown(path: Path, batch) -> dict[str, float]:
    """One instrumented ``replace_source``: seconds in SQL by kind of statement, and in the
    named Python steps (each call wrapped in a timer, which adds a little to each); the
    rest is building row tuples, sorting and grouping."""
    from types import SimpleNamespace

    import orjson

    from maillage.graph import sqlite_store
    from maillage.graph import store as store_module
    from maillage.graph.model import Actor, ActorView, Provenance, Relation

    spent: dict[str, float] = {}

    def timed(label, f):
        def g(*a, **k):
            t0 = time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - t0
        return g

    module_patches = {"merge_statements": "py_merge_statements", "territory_rollup": "py_territory_rollup",
                      "name_key": "py_name_keys", "core_key": "py_name_keys", "fold": "py_name_keys"}
    class_patches = [(Relation, "statement_id", "py_relation_ids"), (Actor, "model_dump_json", "py_json"),
                     (ActorView, "model_dump_json", "py_json"), (Provenance, "model_dump", "py_json")]
    saved_module = {name: getattr(sqlite_store, name) for name in module_patches}
    saved_class = [(cls, name, cls.__dict__.get(name)) for cls, name, _ in class_patches]
    saved_orjson = sqlite_store.orjson
    saved_payload = store_module.provenance_payload
    try:
        store_module.provenance_payload = timed("py_json", saved_payload)
        for name, label in module_patches.items():
            setattr(sqlite_store, name, timed(label, saved_module[name]))
        for cls, name, label in class_patches:
            setattr(cls, name, timed(label, getattr(cls, name)))
        sqlite_store.orjson = SimpleNamespace(dumps=timed("py_json", orjson.dumps), loads=orjson.loads)
        store = sqlite_store.SQLiteStore(_fresh(path))
        real = store.db
        store.db = _TimedConnection(real)
        gc.collect()
        t0 = time.perf_counter()
        store.replace_source(batch)
        total = time.perf_counter() - t0
        spent.update(store.db.spent)
        store.db = real
        store.close()
        _fresh(path)
    finally:
        for name, f in saved_module.items():
            setattr(sqlite_store, name, f)
        for cls, name, f in saved_class:
            if f is None:
                delattr(cls, name)  # back to the inherited method
            else:
                setattr(cls, name, f)
        sqlite_store.orjson = saved_orjson
        store_module.provenance_payload = saved_payload
    spent["py_rows_and_rest"] = total - sum(spent.values())
    spent["total"] = total
    return spent


def worker_write(data: Path, tmp: Path, reps: int, profile: Path | None) -> dict:
    """Bulk write: the store's ``replace_source`` vs raw executemany of the rows it writes."""
    _warm()
    rss_start = _maxrss_mib()
    batch, report, build_s = _build_batch(data, tmp)
    n_stmt, n_rel = len(batch.statements), len(batch.relations)
    rss_batch = _maxrss_mib()
    pragmas = _store_pragmas(tmp)

    # one untimed write gives the exact rows the store writes (read back from its file) …
    _store_write(tmp / "store.db", batch)
    rows, columns = _read_tables(tmp / "store.db")
    assert len(rows["statements"]) == n_stmt and len(rows["relations"]) == n_rel, "store wrote other rows"
    table_rows = {t: len(v) for t, v in rows.items()}
    rss_rows = _maxrss_mib()
    # … and raw, both ways, must write exactly those tables, with the store's indexes
    diffs = {}
    for name, after in (("raw", False), ("raw_indexes_after", True)):
        _raw(tmp / "raw.db", rows, pragmas, indexes_after=after, keep=True)
        diffs[name] = _same_tables(tmp / "store.db", tmp / "raw.db")
        _fresh(tmp / "raw.db")
    _fresh(tmp / "store.db")

    runs = {
        "store": lambda: _store_write(tmp / "store.db", batch),
        "raw": lambda: _raw(tmp / "raw.db", rows, pragmas),
        "raw_indexes_after": lambda: _raw(tmp / "raw.db", rows, pragmas, indexes_after=True),
        "bare": lambda: _bare(tmp / "bare.db", rows, columns, pragmas),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    order = list(runs)
    for i in range(reps):
        k = i % len(order)
        for name in order[k:] + order[:k]:
            times[name].append(runs[name]())
            _fresh(tmp / "store.db")

    prof, breakdown = None, None
    if profile is not None:
        breakdown = _breakdown(tmp / "store.db", batch)
        import cProfile
        import pstats

        from maillage.graph.sqlite_store import SQLiteStore

        store = SQLiteStore(_fresh(tmp / "store.db"))
        pr = cProfile.Profile()
        pr.enable()
        store.replace_source(batch)
        pr.disable()
        store.close()
        _fresh(tmp / "store.db")
        profile.parent.mkdir(parents=True, exist_ok=True)
        with profile.open("w") as f:
            st = pstats.Stats(pr, stream=f)
            st.sort_stats("tottime").print_stats(30)
            st.sort_stats("cumulative").print_stats(40)
        prof = str(profile)
    return {"statements": n_stmt, "relations": n_rel, "rows": sum(table_rows.values()),
            "bare_rows": sum(table_rows[t] for t in BARE), "table_rows": table_rows, "pragmas": pragmas,
            "build_s": build_s, "rejected": report.rejected, "times": times, "diffs": diffs,
            "breakdown": breakdown, "rss_start_mib": rss_start, "rss_batch_mib": rss_batch,
            "rss_rows_mib": rss_rows, "rss_self_mib": _maxrss_mib(), "profile": prof}


# =============================================================================================
# Runner
# =============================================================================================

def run_worker(args: list[str]) -> tuple[dict, float]:
    """Run ``bench/run.py --worker …`` in a subprocess; return its JSON and its peak RSS (MiB)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT)
    out = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage (RUSAGE_CHILDREN would be a max over all)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"worker {' '.join(args)} failed with exit code {proc.returncode}")
    return json.loads(out.decode().strip().splitlines()[-1]), usage.ru_maxrss / 1024


def ensure_data(scale: str, seed: int, regen: bool) -> tuple[Path, dict, float | None]:
    from bench.generate import GENERATOR_VERSION

    path = BENCH / "data" / f"{scale}.jsonl"
    summary_path = path.with_suffix(".summary.json")
    if not regen and path.is_file() and summary_path.is_file():
        head = json.loads(path.open("rb").readline())
        gen = head.get("generator", {})
        if gen.get("seed") == seed and gen.get("version") == GENERATOR_VERSION and gen.get("scale") == scale:
            return path, json.loads(summary_path.read_text()), None
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "--scale", scale, "--seed", str(seed),
                    "--out", str(path)], check=True, cwd=ROOT)
    return path, json.loads(summary_path.read_text()), time.perf_counter() - t0


def machine_facts() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass

    def version(pkg: str) -> str:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "—"

    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    return {"cpu": cpu, "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
            "mem_gib": mem, "os": platform.platform(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "pydantic": version("pydantic"), "orjson": version("orjson"),
            "commit": commit, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def spread(xs: list[float]) -> str:
    return f"{med(xs):.3g} [{min(xs):.3g}–{max(xs):.3g}]"


def rate(n: int, xs: list[float]) -> str:
    return f"{n / med(xs):,.0f}"


def _sec(v: float, scale_total: float) -> str:
    """Seconds with three decimals for a sub-second run, two otherwise."""
    return f"{v:.3f}" if scale_total < 1 else f"{v:.2f}"


def _range(xs: list[float], fmt: str = ".1f") -> str:
    lo, hi = format(min(xs), fmt), format(max(xs), fmt)
    return lo if lo == hi else f"{lo}–{hi}"


def _verdict(ratio: float) -> str:
    return "meets target" if ratio >= TARGET_RATIO else "below target"


def _ratio(w: dict, other: str) -> float:
    """store / other, as a rate ratio: the other's median time over the store's."""
    return med(w["times"][other]) / med(w["times"]["store"])


def _scales_where(results: list[dict], other: str, met: bool) -> list[str]:
    return [r["scale"] for r in results if (_ratio(r["write"], other) >= TARGET_RATIO) == met]


def _join(xs: list[str]) -> str:
    return ", ".join(f"`{x}`" for x in xs) if xs else "none"


def render(results: list[dict], facts: dict, command: str, load_before, load_after, wall: float) -> str:
    L = []
    L.append(BEGIN)
    L.append("## Loading: bulk write into the embedded store, end-to-end load, peak memory")
    L.append("")
    L.append(f"*Written by `bench/run.py` on {facts['date']}; command:* `{command}` *({wall:.0f} s in all).*")
    L.append("")
    L.append("### Bulk write: `SQLiteStore.replace_source` vs raw `sqlite3.executemany` of the same rows")
    L.append("")
    pragmas = ", ".join(f"`{p}`" for p in results[0]["write"]["pragmas"])
    L.append("*Store*: `replace_source(batch)` of one source into a fresh file store, the resolved batch built "
             "once beforehand by `load_file`'s own path (its parse + resolve is not timed here; see the end-to-end "
             "table) — so it carries the relation ids the loader computed to drop duplicate statements, and "
             "the name keys resolution computed are in their cache, as in a real load. *Raw*: plain "
             "`executemany` of exactly the rows that store ends up with — every table: sources, statements, "
             "names, identifiers, actors, actor_territories, relations, proposals (read back from its file) — "
             "into the store's own schema with its keys and indexes, one transaction, a fresh file, each "
             "table's rows in key order: what writing those rows yourself would cost, without the store's "
             "name keys, relation ids, JSON, merge and checks. The run checks that raw wrote the same rows "
             "and the same indexes as the store (*same tables*). **Headline: store / raw, target ≥ "
             f"{TARGET_RATIO}×.** When a load is at least as big as what a table already holds, the store drops "
             "that table's secondary indexes and builds them after the inserts, in the same transaction; "
             "*raw, indexes after* is raw with that same trick, and *store / raw, indexes after* compares the "
             "store with it. *Bare*, a lower bound: the statements and relations rows alone into tables of "
             "the same columns with no key and no index — what the schema itself costs. All with the "
             f"store's pragmas ({pragmas}). Ratios are rate ratios (raw's median time over the store's); "
             "rows/s = rows written (all tables; for *bare*, its two tables) over the median time; the runs "
             "of one repetition are interleaved, order rotating.")
    L.append("")
    L.append("| scale | actors | relations | rows written | reps | store rows/s | raw rows/s | **store / raw** "
             "| raw, indexes after: rows/s | store / raw, indexes after | bare rows/s | store / bare | same tables |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        w = r["write"]
        t = w["times"]
        same = "yes" if not any(w["diffs"].values()) else "NO: " + "; ".join(
            f"{k}: {', '.join(v)}" for k, v in w["diffs"].items() if v)
        L.append(f"| {r['scale']} | {r['summary']['actors']:,} | {r['summary']['relations']:,} | {w['rows']:,} "
                 f"| {len(t['store'])} | {rate(w['rows'], t['store'])} | {rate(w['rows'], t['raw'])} "
                 f"| **{_ratio(w, 'raw'):.2f}×** ({_verdict(_ratio(w, 'raw'))}) "
                 f"| {rate(w['rows'], t['raw_indexes_after'])} "
                 f"| {_ratio(w, 'raw_indexes_after'):.2f}× ({_verdict(_ratio(w, 'raw_indexes_after'))}) "
                 f"| {rate(w['bare_rows'], t['bare'])} | {_ratio(w, 'bare'):.2f}× | {same} |")
    L.append("")
    met, missed = _scales_where(results, "raw", True), _scales_where(results, "raw", False)
    met_late = _scales_where(results, "raw_indexes_after", True)
    ratios = ", ".join(f"{_ratio(r['write'], 'raw'):.2f}× at `{r['scale']}`" for r in results)
    ratios_late = ", ".join(f"{_ratio(r['write'], 'raw_indexes_after'):.2f}×" for r in results)
    text = (f"Reading: against raw the store writes at {ratios}; the {TARGET_RATIO}× target is met at "
            f"{_join(met)} and **not met at {_join(missed)}**. " if missed else
            f"Reading: against raw the store writes at {ratios}: the {TARGET_RATIO}× target is met at every "
            "scale measured. ")
    text += (f"Against raw given the same index trick it writes at {ratios_late} (target met at "
             f"{_join(met_late)}). ")
    bare = [med(r["write"]["times"]["raw"]) / med(r["write"]["times"]["bare"]) for r in results]
    text += (f"The schema alone (keys, indexes, the names/identifiers/actors/actor_territories rows) makes raw "
             f"{_range(bare)}× slower than the bare lower bound.")
    if all(r["write"].get("breakdown") for r in results):
        parts = []
        for r in results:
            b = r["write"]["breakdown"]
            py = sum(v for k, v in b.items() if k.startswith("py_"))
            top = sorted(((v, k) for k, v in b.items() if k.startswith("py_")), reverse=True)[:3]
            label = dict(BREAKDOWN)
            sec = lambda v: _sec(v, b["total"])  # noqa: E731
            parts.append(f"at `{r['scale']}` Python is {100 * py / b['total']:.0f} % of the store's time "
                         f"({sec(py)} s of {sec(b['total'])} s; most: "
                         + ", ".join(f"{label[k].split(': ', 1)[1]} {sec(v)} s" for v, k in top)
                         + f"), SQL {sec(b['total'] - py)} s against raw's "
                         f"{sec(med(r['write']['times']['raw']))} s")
        sql = [(r["write"]["breakdown"]["total"] - sum(v for k, v in r["write"]["breakdown"].items()
                                                       if k.startswith("py_"))) / med(r["write"]["times"]["raw"])
               for r in results]
        text += (" Where the store's time goes (profile below): " + "; ".join(parts) + ". The store's own SQL "
                 f"takes {_range(sql, '.2f')}× raw's time; the rest of the gap is the Python that turns a "
                 "resolved batch into rows — relation ids (a SHA-1 each), JSON, name keys, merged actors — "
                 "which raw is handed ready-made.")
    L.append(text)
    L.append("")
    L.append("Seconds, median [min–max]:")
    L.append("")
    L.append("| scale | store `replace_source` | raw | raw, indexes after | bare | rows per table the store wrote |")
    L.append("|---|---:|---:|---:|---:|---|")
    for r in results:
        w = r["write"]
        t = w["times"]
        tables = ", ".join(f"{k} {v:,}" for k, v in w["table_rows"].items() if v)
        L.append(f"| {r['scale']} | {spread(t['store'])} | {spread(t['raw'])} | {spread(t['raw_indexes_after'])} "
                 f"| {spread(t['bare'])} | {tables} |")
    L.append("")
    if all(r["write"].get("breakdown") for r in results):
        L.append("**Where `replace_source`'s time goes** (`--profile`: one more store run per scale, with every "
                 "SQL statement and the named Python steps timed — each call wrapped in a timer, which adds a "
                 "little to each; seconds, and share of that run):")
        L.append("")
        L.append("| scale | total | " + " | ".join(c[1] for c in BREAKDOWN) + " |")
        L.append("|---|---:|" + "---:|" * len(BREAKDOWN))
        for r in results:
            b = r["write"]["breakdown"]
            cells = [f"{_sec(b.get(k, 0.0), b['total'])} ({100 * b.get(k, 0.0) / b['total']:.0f} %)"
                     for k, _ in BREAKDOWN]
            L.append(f"| {r['scale']} | {_sec(b['total'], b['total'])} | " + " | ".join(cells) + " |")
        L.append("")
        L.append("A cProfile of one store run per scale is in `bench/out/profile-<scale>.txt`.")
        L.append("")
    L.append("### End-to-end `load_file` (sha256 + parse + resolve + write), per stage")
    L.append("")
    L.append("Each repetition in a fresh subprocess and a fresh file store (median [min–max] seconds over "
             "*reps*). The geography is loaded before the clock starts (it is cached per "
             "process; ≈ 0.4 s once). *Resolve* includes tying relation ends to actors and deduplication.")
    L.append("")
    L.append("| scale | rows | reps | **rows/s** | parse | resolve | write | other (sha256…) | total | rejects |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        loads = r["load"]
        tot = [x["total"] for x in loads]
        col = lambda k: spread([x[k] for x in loads])  # noqa: E731
        L.append(f"| {r['scale']} | {loads[0]['rows']:,} | {len(loads)} | **{rate(loads[0]['rows'], tot)}** | {col('parse')} "
                 f"| {col('resolve')} | {col('write')} | {col('other')} | {col('total')} "
                 f"| {loads[0]['rejected']} |")
    L.append("")
    L.append("### Peak memory")
    L.append("")
    L.append("Peak resident set size (`ru_maxrss`) of each measuring subprocess, read by the runner with "
             "`os.wait4` — the whole process, so it includes the interpreter, the imports and the geography "
             "(the *before* column). The write worker holds the resolved batch and every row read back at "
             "once, so its peak is larger than a load's.")
    L.append("")
    L.append("| scale | before the load (imports + geography) | `load_file` peak RSS (max over reps) "
             "| load − before | store file | write worker: with batch | + rows read back | peak |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        loads, w = r["load"], r["write"]
        peak = max(x["rss_child_mib"] for x in loads)
        before = med([x["rss_before_mib"] for x in loads])
        L.append(f"| {r['scale']} | {before:,.0f} MiB | **{peak:,.0f} MiB** | {peak - before:,.0f} MiB "
                 f"| {loads[0]['db_bytes'] / 2**20:,.0f} MiB | {w['rss_batch_mib']:,.0f} MiB "
                 f"| {w['rss_rows_mib']:,.0f} MiB | {w['rss_child_mib']:,.0f} MiB |")
    L.append("")
    L.append("### Data and machine")
    L.append("")
    for r in results:
        s = r["summary"]
        gen = f"generated in {r['gen_s']:.1f} s" if r["gen_s"] is not None else "reused from bench/data/"
        L.append(f"- `{r['scale']}`: `bench/generate.py --scale {r['scale']} --seed {s['seed']}` "
                 f"(territory `{s['territory']}`, {s['poles']:,} pôles; {gen}); "
                 f"parse + resolve of the write batch {r['write']['build_s']:.1f} s.")
    L.append(f"- CPU: {facts['cpu']}, {facts['cores']} cores ({facts['usable_cores']} usable); "
             f"RAM {facts['mem_gib']:.0f} GiB; {facts['os']}.")
    L.append(f"- Python {facts['python']}, SQLite {facts['sqlite']}, pydantic {facts['pydantic']}, "
             f"orjson {facts['orjson']}; maillage at commit {facts['commit']}.")
    L.append(f"- Load average (1/5/15 min) before: {'/'.join(f'{x:.2f}' for x in load_before)}, after: "
             f"{'/'.join(f'{x:.2f}' for x in load_after)}. The machine is shared and noisy: read the "
             "[min–max] spreads before reading anything into a difference under ~20 %.")
    for r in results:
        t = r["write"]["times"]
        worst = max(max(v) / min(v) for v in t.values())
        if worst > 1.25:
            L.append(f"- Noise: at `{r['scale']}` the slowest write repetition took {worst:.2f}× the fastest.")
    L.append(END)
    return "\n".join(L) + "\n"


INTRO = """# Benchmarks

Figures measured by the scripts in `bench/`, on synthetic ecosystems generated by
`bench/generate.py` at three scales (brief §7: pôle ≈ 500 actors, région ≈ 5k actors / 30k
relations, nation ≈ 100k actors / 1M relations). Each section is rewritten by the script
named in it; every figure is a ratio or a rate measured **in one run** against the obvious
alternative on the same machine, with the machine and the exact command beside it.

Regenerate: `make bench` (pôle and région, a minute or two) or `make bench-nation` (all three
scales with the profile, ≈ 30 min and ≈ 6 GiB of RAM); see `bench/README.md`.

"""


def write_doc(path: Path, section: str) -> None:
    text = path.read_text() if path.is_file() else INTRO
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section.rstrip("\n") + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description="maillage load benchmarks → docs/benchmarks.md")
    ap.add_argument("--scales", default=None, help="comma-separated: pole,region,nation (default pole,region)")
    ap.add_argument("--reps", type=int, default=None, help="repetitions per timing (≥ 3; default 5, nation 3)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true",
                    help="smoke run (< 1 min): 3 repetitions, no nation, writes bench/out/benchmarks.quick.md")
    ap.add_argument("--doc", help="markdown file to write (default docs/benchmarks.md; quick: bench/out/…)")
    ap.add_argument("--regen", action="store_true", help="regenerate the data files even if present")
    ap.add_argument("--profile", action="store_true",
                    help="also time the steps of one replace_source per scale, and cProfile one → "
                         "bench/out/profile-<scale>.txt")
    ap.add_argument("--worker", choices=["load", "write"], help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--tmp", help=argparse.SUPPRESS)
    ap.add_argument("--profile-out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        data, tmp = Path(args.data), Path(args.tmp)
        tmp.mkdir(parents=True, exist_ok=True)
        if args.worker == "load":
            res = worker_load(data, tmp)
        else:
            res = worker_write(data, tmp, args.reps or 3, Path(args.profile_out) if args.profile_out else None)
        print(json.dumps(res))
        return 0

    scales = (args.scales or "pole,region").split(",")
    bad = [s for s in scales if s not in ("pole", "region", "nation")]
    if bad:
        ap.error(f"unknown scale(s) {bad}; expected pole, region, nation")
    if args.quick and "nation" in scales:
        print("--quick: skipping nation", file=sys.stderr)
        scales = [s for s in scales if s != "nation"]
    if args.reps is not None and args.reps < 3:
        ap.error("--reps must be ≥ 3 (medians of fewer runs say little on a noisy machine)")
    doc = Path(args.doc) if args.doc else (OUT / "benchmarks.quick.md" if args.quick else DOC)
    command = shlex.join(["python", "bench/run.py", *argv])
    t_start = time.perf_counter()
    load_before = os.getloadavg()
    facts = machine_facts()
    results = []
    tmp = OUT / "tmp"
    for scale in scales:
        reps = args.reps or (3 if args.quick or scale == "nation" else 5)
        path, summary, gen_s = ensure_data(scale, args.seed, args.regen)
        print(f"[{scale}] {summary['actors']:,} actors, {summary['relations']:,} relations; {reps} reps",
              file=sys.stderr)
        loads = []
        for i in range(reps):
            res, rss = run_worker(["--worker", "load", "--data", str(path), "--tmp", str(tmp)])
            res["rss_child_mib"] = rss
            loads.append(res)
            print(f"[{scale}] load {i + 1}/{reps}: {res['total']:.2f} s (parse {res['parse']:.2f}, "
                  f"resolve {res['resolve']:.2f}, write {res['write']:.2f}); peak RSS {rss:,.0f} MiB",
                  file=sys.stderr)
        wargs = ["--worker", "write", "--data", str(path), "--tmp", str(tmp), "--reps", str(reps)]
        if args.profile:
            wargs += ["--profile-out", str(OUT / f"profile-{scale}.txt")]
        w, rss = run_worker(wargs)
        w["rss_child_mib"] = rss
        t = w["times"]
        print(f"[{scale}] write: store {spread(t['store'])} s, raw {spread(t['raw'])} s, raw with indexes "
              f"after {spread(t['raw_indexes_after'])} s, bare {spread(t['bare'])} s → store/raw "
              f"{_ratio(w, 'raw'):.2f}×, store/raw-indexes-after {_ratio(w, 'raw_indexes_after'):.2f}×; "
              f"same tables: {not any(w['diffs'].values())}", file=sys.stderr)
        results.append({"scale": scale, "summary": summary, "gen_s": gen_s, "load": loads, "write": w})
    wall = time.perf_counter() - t_start
    section = render(results, facts, command, load_before, os.getloadavg(), wall)
    write_doc(doc, section)
    (OUT / "last-run.json").parent.mkdir(parents=True, exist_ok=True)
    (OUT / "last-run.json").write_text(json.dumps({"facts": facts, "command": command, "results": results},
                                                  indent=1))
    print(section)
    print(f"written to {doc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
