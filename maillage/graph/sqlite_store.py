"""The embedded store: one SQLite file, zero set-up, persistent and transactional.

SQLite is the embedded default because it ships with Python, is ACID (a crash mid-load
leaves the file as it was before the load: every write is one ``BEGIN IMMEDIATE`` …
``COMMIT``), and answers the lookups we need through indexes. Graph traversal is done by
indexed edge queries; analytics work on a networkx projection (:mod:`maillage.graph.projection`).

Tables: ``sources``; ``statements`` (one source's record of an actor, as JSON, with the
canonical actor it was resolved to and its place in its load, ``ord``: the order its loader gave
them, :meth:`~maillage.graph.store.Store.source_statements`); ``names`` and ``identifiers`` (lookup
keys of statements); ``actors`` (canonical, merged); ``actor_territories`` (the rollup of each
actor's location: commune → EPCI → département → région); ``relations`` (statements
between canonical actors); ``proposals`` (possible merges kept for review); ``decisions``
(reviewers' accept / reject / detach / undo, an accept with the statement as it was before it: its
``previous``; never touched by writing a source); ``joins`` (the joins a source's statements made,
as a bridge, with what they moved: undone when it is removed, :func:`~maillage.graph.store.join_data`);
``runs`` and ``metrics``.
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from operator import attrgetter
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

import orjson

from maillage.runtime import REPORT_EVERY, gc_paused, report

from .erasure import (ERASURES_KEY, Erasure, Erasures, TextEraser, erased_relation, erased_source, erased_statement,
                      person_marks, text_eraser)
from .merge import merge_resolved
from .model import Actor, ActorView, Provenance, RelationView, Source, year_of
from .names import core_key, fold, name_key
from .numbering import NumberKeeping, StoreReads
from .store import (PERSON_NUMBERS_KEY, chunks, emptied_into, join_data, join_to_split, json_time, metric_actors,
                    metric_value, moves_by_actor, numbering_json, numbering_of, territory_rollup)
from .store import (AnalysisRun, Decision, Join, NameEntry, NoJoinRecord, NotAPerson, NotFound, Proposal,
                    ReadOnlyStore, ResolvedBatch, ResolvedRelation, ResolvedStatement, Store, StoreError, WriteSummary, accept_to_undo)

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
  id TEXT PRIMARY KEY, data TEXT NOT NULL, loaded_order INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS statements (
  source_id TEXT NOT NULL, key TEXT NOT NULL, actor_id TEXT NOT NULL, data TEXT NOT NULL,
  rule TEXT NOT NULL, score REAL NOT NULL, matched TEXT, ord INTEGER,
  PRIMARY KEY (source_id, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS statements_actor ON statements(actor_id);
CREATE TABLE IF NOT EXISTS names (
  key TEXT NOT NULL, core TEXT NOT NULL, name TEXT NOT NULL, actor_id TEXT NOT NULL,
  source_id TEXT NOT NULL, stmt_key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS names_key ON names(key);
CREATE INDEX IF NOT EXISTS names_source ON names(source_id, stmt_key);
CREATE TABLE IF NOT EXISTS identifiers (
  scheme TEXT NOT NULL, value TEXT NOT NULL, actor_id TEXT NOT NULL, source_id TEXT NOT NULL,
  stmt_key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS identifiers_value ON identifiers(scheme, value);
CREATE INDEX IF NOT EXISTS identifiers_source ON identifiers(source_id, stmt_key);
CREATE TABLE IF NOT EXISTS actors (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, search TEXT NOT NULL, family TEXT NOT NULL,
  kind TEXT, location TEXT, personal_data INTEGER NOT NULL, placeholder INTEGER NOT NULL,
  data TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS actors_family ON actors(family);
CREATE INDEX IF NOT EXISTS actors_persons ON actors(id) WHERE personal_data = 1;
CREATE TABLE IF NOT EXISTS actor_territories (
  territory_id TEXT NOT NULL, actor_id TEXT NOT NULL, PRIMARY KEY (territory_id, actor_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS actor_territories_actor ON actor_territories(actor_id);
CREATE TABLE IF NOT EXISTS relations (
  id TEXT PRIMARY KEY, source_id TEXT NOT NULL, type TEXT NOT NULL,
  src TEXT NOT NULL, dst TEXT NOT NULL, y0 INTEGER, y1 INTEGER, certainty TEXT NOT NULL,
  data TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS relations_src ON relations(src, dst, type);
CREATE INDEX IF NOT EXISTS relations_dst ON relations(dst, type);
CREATE INDEX IF NOT EXISTS relations_source ON relations(source_id);
CREATE TABLE IF NOT EXISTS proposals (
  source_id TEXT NOT NULL, key TEXT NOT NULL, candidate_id TEXT NOT NULL, score REAL NOT NULL,
  reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS proposals_source ON proposals(source_id);
CREATE INDEX IF NOT EXISTS proposals_candidate ON proposals(candidate_id);
CREATE TABLE IF NOT EXISTS decisions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, source_id TEXT NOT NULL, key TEXT NOT NULL,
  action TEXT NOT NULL, actor_id TEXT NOT NULL, decided_at TEXT NOT NULL, previous TEXT);
CREATE INDEX IF NOT EXISTS decisions_source ON decisions(source_id, key);
CREATE INDEX IF NOT EXISTS decisions_actor ON decisions(actor_id);
CREATE TABLE IF NOT EXISTS joins (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, source_id TEXT NOT NULL, actor_id TEXT NOT NULL,
  into_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS joins_source ON joins(source_id);
CREATE INDEX IF NOT EXISTS joins_into ON joins(into_id);
CREATE INDEX IF NOT EXISTS joins_actor ON joins(actor_id);
CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS metrics (
  run_id TEXT NOT NULL, actor_id TEXT NOT NULL, name TEXT NOT NULL, value REAL,
  PRIMARY KEY (run_id, actor_id, name)) WITHOUT ROWID;
"""

_CHUNK = 500  # SQLite's default limit on bound parameters is 32766; stay well under
#: ``relations(among=S)``: up to this many actors, every (src, dst) pair of S is looked up in
#: ``relations_src (src, dst, type)`` — |S|² probes, but a hub in S costs nothing more; above
#: it, the index entries of each src are read and dst checked in them — |S| probes plus the
#: ties of S's members. Pairs cost 6.1 s for a région of 4,934 actors, where reading the
#: entries took 43 ms (docs/benchmarks.md, « Relations among a set of actors »).
_AMONG_PAIRS_MAX = 64
_CACHE_KIB = 65536  # page cache per connection (SQLite's default is 2 MiB): big loads keep index pages in memory


#: Where the erasure of a person looks for its names (:meth:`SQLiteStore.forget_person`): each
#: table, its key, its column of free text, and what rewrites a row (None: the column is the text).
_FREE_TEXT = (("statements", ("source_id", "key"), "data", erased_statement),
              ("relations", ("id",), "data", erased_relation), ("sources", ("id",), "data", erased_source),
              ("proposals", ("rowid",), "reason", None))
#: How many rows of a table that search reads in one query, between two progress reports.
_ERASE_STEP = 50_000


def _erase_free_text(db: sqlite3.Connection, erase: TextEraser) -> int:
    """Rewrite, in every table of :data:`_FREE_TEXT`, the rows whose free text holds one of the
    erased person's names (:func:`~maillage.graph.erasure.text_eraser`); returns how many.
    Only the rows the eraser's :attr:`~maillage.graph.erasure.TextEraser.may_hold` is true of
    are read into Python (a test run by SQLite over each row, a superset of those holding a
    name), each parsed and rewritten, written back when that changed it. Progress: stage
    ``texts``, in rows searched (:func:`maillage.runtime.report`)."""
    db.create_function("maillage_may_hold", 1, erase.may_hold, deterministic=True)
    total = sum(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t, *_ in _FREE_TEXT)  # noqa: S608
    searched = texts = 0
    report("texts", 0, total)
    for table, keys, column, rewrite in _FREE_TEXT:
        where = " AND ".join(f"{k}=?" for k in keys)
        for rows, n in _by_ranges(db, table, keys, column, f"maillage_may_hold({column})"):
            for *key, text in rows:
                if rewrite is None:
                    new = erase(text)
                else:
                    data = orjson.loads(text)
                    new = text if (erased := rewrite(data, erase)) == data else orjson.dumps(erased).decode()
                if new != text:
                    db.execute(f"UPDATE {table} SET {column}=? WHERE {where}", (new, *key))  # noqa: S608
                    texts += 1
            searched += n
            report("texts", min(searched, total), total)
    return texts


def _by_ranges(db: sqlite3.Connection, table: str, keys: Sequence[str], column: str, match: str,
               step: int = _ERASE_STEP) -> Iterator[tuple[list[tuple], int]]:
    """The rows of ``table`` (its ``keys`` and ``column``) for which ``match`` holds, by ranges of
    ``step`` keys in key order, each with the number of rows of its range."""
    cols, marks = ", ".join(keys), "(" + ", ".join("?" * len(keys)) + ")"
    last: tuple = ()
    while True:
        after = f"({cols}) > {marks}" if last else "1"
        bound = db.execute(f"SELECT {cols} FROM {table} WHERE {after} ORDER BY {cols} LIMIT 1 OFFSET ?",  # noqa: S608
                           (*last, step - 1)).fetchone()
        upto = f" AND ({cols}) <= {marks}" if bound else ""
        rows = db.execute(f"SELECT {cols}, {column} FROM {table} WHERE {after}{upto} AND {match}",  # noqa: S608
                          (*last, *(bound or ()))).fetchall()
        if bound is None:
            n = db.execute(f"SELECT count(*) FROM {table} WHERE {after}", last).fetchone()[0]  # noqa: S608
            yield rows, n
            return
        yield rows, step
        last = tuple(bound)


#: What a tie's JSON keeps of its provenance besides its load time, in the model's order (the
#: source and the certainty are columns; ``loaded_at`` is the model's last field).
_TIE_PROVENANCE = tuple(k for k in Provenance.model_fields if k not in ("source", "certainty", "loaded_at"))
_BY_ID, _SOURCE_ID, _TARGET_ID = attrgetter("statement_id"), attrgetter("source_id"), attrgetter("target_id")
#: The columns added to the schema since stores were first made: ``(table, column, type)``
#: (:meth:`SQLiteStore._migrate_columns`)
_ADDED_COLUMNS = (("decisions", "previous", "TEXT"), ("statements", "ord", "INTEGER"))


def _relation_rows(relations: Sequence[ResolvedRelation], sid: str, loaded_at: datetime,
                   source_time: str | None) -> Iterator[tuple]:
    """The ``relations`` table's rows of ``relations`` (in statement id order, every id set), each
    distinct tie once: the first of the ties with one id, as ``distinct_relations`` keeps it.

    The JSON of a tie holds only what its columns and its source do not: the type, the
    certainty and the provenance's source are columns, and the load time is the source's
    (``source_time``, its JSON form) unless the tie has its own (see
    :meth:`SQLiteStore.relations`). A third of each row (~115 of ~360 bytes) was these repeated
    values. The payload is built here as written, in the key order of
    :meth:`~maillage.graph.store.ResolvedBatch.distinct_relations` less those keys (the same JSON,
    byte for byte: tests/test_sqlite_bulk_write.py), without its dict of every key and the
    deletes; a tie without a load time is written with ``loaded_at`` and its model left as it is
    (nothing reads it after the write). The same id twice is told from its neighbour (the ties
    are sorted by id): no set of every id seen."""
    dumps = orjson.dumps
    years: dict[Any, int | None] = {None: None}  # a load's ties share a few hundred dates
    times: dict[datetime, str | None] = {}  # each load time's JSON form; None: the source's, left out
    total = len(relations)
    last = None
    for i, rr in enumerate(relations):
        if i % REPORT_EVERY == 0:
            report("write", i, total)
        rid = rr.statement_id
        if rid == last:
            continue
        last = rid
        r = rr.relation
        p = r.provenance.__dict__
        prov = {k: p[k] for k in _TIE_PROVENANCE if p[k] is not None}
        t = p["loaded_at"]
        if t is None:
            t = loaded_at
        if t in times:
            when = times[t]
        else:
            when = json_time(t)
            when = times[t] = None if when == source_time else when
        if when is not None:
            prov["loaded_at"] = when
        start, end = r.start, r.end
        y0 = years[start] if start in years else years.setdefault(start, year_of(start))
        y1 = years[end] if end in years else years.setdefault(end, year_of(end))
        yield (rid, sid, r.type, rr.source_id, rr.target_id, y0, y1, p["certainty"],
               dumps({"fields": r.fields, "start": start, "end": end, "provenance": prov,
                      "keys": [r.source, r.target]}).decode())


def _secondary_indexes() -> dict[str, list[tuple[str, str]]]:
    """``{table: [(index name, its CREATE INDEX statement)]}``, as the schema creates them."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ddl in (s.strip() for s in SCHEMA.split(";")):
        if ddl.startswith("CREATE INDEX"):
            words = ddl.split()  # CREATE INDEX IF NOT EXISTS <name> ON <table>(…)
            out[words[7].split("(")[0]].append((words[5], ddl))
    return dict(out)


_INDEXES = _secondary_indexes()


def _same_ddl(a: str, b: str) -> bool:
    """Whether two ``CREATE INDEX`` statements define the same index (SQLite stores them
    without ``IF NOT EXISTS``)."""
    def norm(ddl: str) -> str:
        return " ".join(ddl.replace("IF NOT EXISTS", "").split())
    return norm(a) == norm(b)


class _PersonReads(StoreReads):
    """The persons as the write transaction of ``store`` sees them: its own reads, on its one
    connection, inside ``BEGIN IMMEDIATE`` (this transaction's changes seen, no other writer);
    only the numbers' write differs — :meth:`SQLiteStore.keep_person_numbering` opens a
    transaction of its own. :class:`~maillage.graph.numbering.PersonReads`."""

    def keep(self, last: int, numbers: dict[str, int]) -> None:
        # a row of the meta table every store has: no schema change (an earlier maillage ignores it)
        self.store.db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                              (PERSON_NUMBERS_KEY, numbering_json(last, numbers)))


def _read_only(path: Path) -> bool:
    """Whether the store file ``path`` can only be read by this user (True), or can be written or
    created (False). A store to create in a folder this user may not write is refused here, naming
    the folder (SQLite would say « unable to open database file »)."""
    folder = path.parent
    if path.exists():
        return not (os.access(path, os.W_OK) and os.access(folder, os.W_OK))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        raise StoreError(f"cannot create the store {path}: this user may not create its folder {folder}") from None
    except OSError as e:
        raise StoreError(f"cannot create the store {path}: cannot create its folder {folder} "
                         f"({e.strerror or e})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"cannot create the store {path}: this user may not write in its folder {folder}")
    return False


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to the store file ``path``. SQLite reads a file in WAL mode through
    its shared-memory file (``-shm``) beside it; when that file is not there (no one has the store
    open) and cannot be created, the file is read as immutable: as it stands on disk. A load its
    owner runs meanwhile is not seen, and may make a read fail (read again after it)."""
    uri = "file:" + pathname2url(str(path.resolve()))
    db = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    try:
        db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        db.close()
        db = sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, isolation_level=None, check_same_thread=False)
    db.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
    return db


class SQLiteStore(Store):
    """Embedded store in one SQLite file (``path``), or in memory with ``":memory:"``."""

    def __init__(self, path: str | Path = "maillage.db"):
        self.path = str(path)
        self.uri = f"sqlite:///{self.path}" if self.path != ":memory:" else "sqlite://:memory:"
        #: The file, or its folder (where SQLite keeps its ``-wal`` and ``-shm`` files beside it), is
        #: not writable for this user (a store shared read-only, or another user's): it is read as it
        #: stands, and every write is refused before it starts (:meth:`_tx`).
        self.read_only = self.path != ":memory:" and _read_only(Path(self.path))
        try:
            if self.read_only:
                self.db = _connect_read_only(Path(self.path))
            else:
                self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.execute("PRAGMA foreign_keys=ON")
                self.db.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
                self.db.executescript(SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path} is not a maillage store (SQLite said: {e})") from None
        if row is None and self.read_only:  # a store is never left without its version: not one
            raise StoreError(f"{self.path} is not a maillage store (SQLite said: no schema version)")
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) != SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema version {row[0]}; this maillage reads {SCHEMA_VERSION}")
        if not self.read_only:  # read-only, the indexes stay as they are: every read works with them
            self._migrate_indexes()
            self._migrate_columns()
        #: ``decisions.previous``, ``statements.ord`` (added since): a store of an earlier maillage
        #: opened read-only lacks them
        self._previous_column = "previous" if self._has_column("decisions", "previous") else "NULL"
        self._ord_column = "ord" if self._has_column("statements", "ord") else "NULL"

    def _stale_indexes(self) -> list[tuple[str, str]]:
        stored = dict(self.db.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL"))
        return [(name, ddl) for table in _INDEXES.values() for name, ddl in table
                if name in stored and not _same_ddl(stored[name], ddl)]

    def _migrate_indexes(self) -> None:
        """Build again, as the schema now defines it, an index that a store created by an
        earlier maillage holds under the same name with other columns (``relations_src`` gained
        ``dst``: the relations among a set of actors are then found in the index, without
        reading every relation of its hubs). Once, in one transaction, when the store is opened."""
        if not self._stale_indexes():
            return
        with self._tx() as db:
            for name, ddl in self._stale_indexes():  # again inside the lock: another connection may have done it
                db.execute(f"DROP INDEX {name}")
                db.execute(ddl)

    def _has_column(self, table: str, column: str) -> bool:
        return any(c[1] == column for c in self.db.execute(f"PRAGMA table_info({table})"))  # fixed names

    def _migrate_columns(self) -> None:
        """Add the columns the schema gained since a store was created, empty in the rows already
        there: ``decisions.previous`` (what an accept's undo puts back), ``statements.ord`` (a
        statement's place in its load, :meth:`source_statements`). A column an earlier maillage
        does not name in its queries: it still reads the store (``statements.ord`` aside, it
        writes it too)."""
        missing = [(t, c, ty) for t, c, ty in _ADDED_COLUMNS if not self._has_column(t, c)]
        if not missing:
            return
        with self._tx() as db:
            for table, column, kind in missing:
                if not self._has_column(table, column):  # again in the lock: another connection may have added it
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")  # fixed names

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self.check_writable()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyStore(f"{self.path}: this user may read this store but not write it (the file, or its folder, "
                             "is read-only); nothing was changed. Ask whoever keeps it for the right to write, or work "
                             "on a copy")

    def close(self) -> None:
        self.db.close()

    #: A bulk insert of at least this many rows into a table that holds no more rows than the
    #: insert (a first load, or a source that dwarfs the rest) drops the table's secondary
    #: indexes and builds them again after the insert, inside the same transaction: building
    #: an index in one sorted pass is much cheaper than updating it row by row in random key
    #: order (docs/benchmarks.md, *raw, indexes after*). SQLite's DDL is transactional, so a
    #: failed write still rolls everything back, indexes included.
    bulk_min_rows = 2000

    @contextmanager
    def _bulk(self, db: sqlite3.Connection, **rows: int) -> Iterator[None]:
        """Around inserts of ``rows[table]`` rows per table: defer the indexes of the tables
        where that pays (see ``bulk_min_rows``) and rebuild them on the way out. On an error
        nothing is rebuilt: the caller's transaction rolls back, restoring the indexes."""
        rebuild: list[str] = []
        for table, n in rows.items():
            if not _INDEXES.get(table) or n < max(self.bulk_min_rows, 1):
                continue
            (held,) = db.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT ?)",  # noqa: S608
                                 (n + 1,)).fetchone()
            if held <= n:
                for name, ddl in _INDEXES[table]:
                    db.execute(f"DROP INDEX {name}")
                    rebuild.append(ddl)
        yield
        for ddl in rebuild:
            db.execute(ddl)

    # -- writes --------------------------------------------------------------------------------
    def replace_source(self, batch: ResolvedBatch) -> WriteSummary:
        with gc_paused():
            return self._replace_source(batch)

    def _replace_source(self, batch: ResolvedBatch) -> WriteSummary:
        src = batch.source
        sid = src.id
        summary = WriteSummary(source=sid, statements=len(batch.statements), relations=len(batch.relations))
        name_rows, ident_rows = [], []
        fresh: dict[str, list[tuple[str, str, Actor, str]]] = defaultdict(list)
        loaded_at = src.loaded_at or datetime.now(timezone.utc)
        for st in batch.statements:
            a = st.actor
            if a.provenance.loaded_at is None:
                a.provenance.loaded_at = loaded_at
            fresh[st.actor_id].append((sid, a.key, a, st.rule))
            for x in dict.fromkeys((a.name, *a.aliases)):
                n = name_key(x)
                if n:
                    name_rows.append((n, core_key(x, a.family), x, st.actor_id, sid, a.key))
            for ident in a.identifiers:
                ident_rows.append((ident.scheme, ident.value, st.actor_id, sid, a.key))
                if ident.scheme == "siret":
                    ident_rows.append(("siren", ident.value[:9], st.actor_id, sid, a.key))
        # ids are hashes: inserting in key order turns random B-tree page splits into appends.
        # The ties are put in id order first and their rows made while they are inserted: a
        # million rows with their JSON held at once were ~0.5 GiB at the peak of a load; so are
        # the statements' (in key order), and the other rows are let go once inserted, before the
        # indexes are built (the load's peak). A loader hands the ids it computed to drop
        # duplicates (ResolvedRelation.statement_id); the others are computed once, here, and kept
        for rr in batch.relations:
            if rr.statement_id is None:
                rr.statement_id = rr.relation.statement_id()
        in_order = sorted(batch.relations, key=_BY_ID)
        rel_ends = set(map(_SOURCE_ID, batch.relations))
        rel_ends.update(map(_TARGET_ID, batch.relations))
        source_time = json_time(src.loaded_at) if src.loaded_at else None
        # each statement's place in the batch, the order its loader gave them (source_statements)
        stmts = sorted(range(len(batch.statements)), key=[st.actor.key for st in batch.statements].__getitem__)
        name_rows.sort()
        ident_rows.sort()
        prop_rows = [(sid, p.key, p.candidate_id, p.score, p.reason) for p in batch.proposals]
        with self._tx() as db:
            numbers = NumberKeeping(_PersonReads(self))  # the persons' numbers, kept in this transaction
            before = {r[0] for r in db.execute("SELECT DISTINCT actor_id FROM statements WHERE source_id=?", (sid,))}
            order = db.execute("SELECT loaded_order FROM sources WHERE id=?", (sid,)).fetchone()
            if order is None:
                order = db.execute("SELECT COALESCE(MAX(loaded_order), 0) + 1 FROM sources").fetchone()
            for table in ("statements", "names", "identifiers", "relations", "proposals"):
                db.execute(f"DELETE FROM {table} WHERE source_id=?", (sid,))  # noqa: S608 (fixed names)
            db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?)",
                       (sid, src.model_dump_json(exclude_none=True), order[0]))
            with self._bulk(db, statements=len(stmts), names=len(name_rows), identifiers=len(ident_rows),
                            relations=len(batch.relations), proposals=len(prop_rows)):
                db.executemany("INSERT INTO statements (source_id, key, actor_id, data, rule, score, matched, ord) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               ((sid, st.actor.key, st.actor_id, st.actor.model_dump_json(exclude_defaults=True),
                                 st.rule, st.score, st.matched, i) for i in stmts for st in (batch.statements[i],)))
                db.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)", name_rows)
                db.executemany("INSERT INTO identifiers VALUES (?, ?, ?, ?, ?)", ident_rows)
                name_rows.clear()
                ident_rows.clear()
                db.executemany("INSERT OR REPLACE INTO relations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               _relation_rows(in_order, sid, loaded_at, source_time))
                db.executemany("INSERT INTO proposals VALUES (?, ?, ?, ?, ?)", prop_rows)
                del in_order, stmts
            touched = before | set(fresh) | self._join_actors(db, sid, batch.joins)
            created, gone = self._refresh_actors(db, touched, fresh=fresh, fresh_source=sid)
            self._check_relation_ends(db, sid, rel_ends - set(fresh), gone)
            numbers.done(touched)  # a person joined into another takes its number, its own left unused
        summary.actors_created, summary.actors_removed, summary.actors_touched = created, len(gone), len(touched)
        return summary

    def _remove_source(self, source_id: str) -> WriteSummary:
        with self._tx() as db:
            numbers = NumberKeeping(_PersonReads(self))
            before = {r[0] for r in db.execute(
                "SELECT DISTINCT actor_id FROM statements WHERE source_id=?", (source_id,))}
            undone, back = self._split_joins(db, db.execute(
                "SELECT seq, actor_id, into_id, data FROM joins WHERE source_id=? ORDER BY seq DESC",
                (source_id,)).fetchall())
            for table in ("statements", "names", "identifiers", "relations", "proposals", "joins"):
                db.execute(f"DELETE FROM {table} WHERE source_id=?", (source_id,))  # noqa: S608
            db.execute("DELETE FROM sources WHERE id=?", (source_id,))
            touched = before | {a for pair in undone for a in pair}
            _, gone = self._refresh_actors(db, touched)
            dangling = self._relations_touching(db, gone)
            if dangling:
                raise StoreError(f"removing {source_id} would leave {dangling} relations of other sources "
                                 "pointing at actors only it described; nothing was changed")
            numbers.restore(back)  # a person split off takes back its number
            numbers.done(touched)  # the others keep their numbers; the source's own persons leave theirs unused
        return WriteSummary(source=source_id, actors_removed=len(gone), actors_touched=len(touched),
                            joins_undone=undone)

    def _split_joins(self, db: sqlite3.Connection, rows: Sequence[tuple[int, str, str, str]]
                     ) -> tuple[list[tuple[str, str]], dict[str, int]]:
        """Undo the joins ``rows`` (``(seq, actor id, into, data)`` of the ``joins`` table, in the
        order given): each statement a join moved, still in ``into`` by it, goes back to the actor it
        came from (:func:`~maillage.graph.store.join_to_split`), with its ties; the proposals follow.
        The rows go. Returns the pairs split ``(actor id, into)`` and the persons' numbers to give
        back (the caller refreshes the actors)."""
        undone: list[tuple[str, str]] = []
        back: dict[str, int] = {}
        for seq, x, into, data in rows:
            d = orjson.loads(data)
            now = {(sid, k): (into, rule, matched) for sid, k, rule, matched in db.execute(
                "SELECT source_id, key, rule, matched FROM statements WHERE actor_id=?", (into,))}
            moving = join_to_split(d, into, now)
            db.execute("DELETE FROM joins WHERE seq=?", (seq,))
            if not moving:
                continue
            self._move_statements(db, moving, into, x)
            for sid, k in d["proposals"]:
                db.execute("UPDATE proposals SET candidate_id=? WHERE source_id=? AND key=? AND candidate_id=?",
                           (x, sid, k, into))
            undone.append((x, into))
            if d.get("number"):
                back[x] = d["number"]
        return undone, back

    @staticmethod
    def _relations_touching(db: sqlite3.Connection, actor_ids: Sequence[str]) -> int:
        """How many relations have an end among ``actor_ids`` (through the src/dst indexes)."""
        n = 0
        for chunk in chunks(actor_ids, _CHUNK):
            marks = ",".join("?" * len(chunk))
            n += db.execute(f"SELECT COUNT(*) FROM relations WHERE src IN ({marks}) OR dst IN ({marks})",
                            (*chunk, *chunk)).fetchone()[0]
        return n

    def _check_relation_ends(self, db: sqlite3.Connection, sid: str, ends: set[str], gone: list[str]) -> None:
        """``ends``: relation ends of this source that are not actors of its own statements;
        ``gone``: actors this write removed. Only those can dangle (no scan of every relation)."""
        found: set[str] = set()
        for chunk in chunks(sorted(ends), _CHUNK):
            found.update(r[0] for r in db.execute(
                f"SELECT id FROM actors WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        if ends - found:
            raise StoreError(f"source {sid}: relations point at unknown actors {sorted(ends - found)[:3]}; "
                             "nothing was written")
        bad = self._relations_touching(db, gone)
        if bad:
            raise StoreError(f"reloading {sid} would leave {bad} relations of other sources pointing at "
                             "actors it no longer describes; nothing was written")

    def _refresh_actors(self, db: sqlite3.Connection, actor_ids: set[str],
                        fresh: dict[str, list[tuple[str, str, Actor, str]]] | None = None,
                        fresh_source: str | None = None) -> tuple[int, list[str]]:
        """Recompute the canonical actors in ``actor_ids`` from their statements; returns the
        number created and the ids removed. ``fresh``: ``{actor id: [(source, key, Actor, rule)]}``
        of ``fresh_source``, just written — taken from memory instead of read back and re-validated."""
        ids = sorted(actor_ids)
        existing: set[str] = set()
        grouped: dict[str, list[tuple[str, str, Actor, str]]] = defaultdict(list)
        skip = (fresh_source,) if fresh is not None else ()
        for chunk in chunks(ids, _CHUNK):
            marks = ",".join("?" * len(chunk))
            existing.update(r[0] for r in db.execute(f"SELECT id FROM actors WHERE id IN ({marks})", chunk))
            for aid, sid, key, data, rule in db.execute(
                    f"SELECT actor_id, source_id, key, data, rule FROM statements WHERE actor_id IN ({marks})"
                    + (" AND source_id != ?" if skip else ""), (*chunk, *skip)):
                grouped[aid].append((sid, key, Actor.model_validate_json(data), rule))
        for aid, stmts in (fresh or {}).items():
            grouped[aid].extend(stmts)
        gone = [aid for aid in ids if aid not in grouped]
        actor_rows, terr_rows = [], []
        rollups: dict[str | None, list[str]] = {}  # many actors share a commune

        def rollup(location: str | None) -> list[str]:
            if location not in rollups:
                rollups[location] = territory_rollup(location)
            return rollups[location]

        for aid in sorted(grouped):  # the order of the former ORDER BY actor_id, source_id, key
            stmts = grouped[aid]
            if len(stmts) > 1:
                stmts.sort(key=lambda s: (s[0], s[1]))
            view = merge_resolved(aid, [(sid, a, rule) for sid, _, a, rule in stmts])
            search = " ".join(sorted({fold(n) for n in (view.name, *view.aliases)}))
            actor_rows.append((aid, view.name, search, view.family, view.kind, view.location,
                               int(view.personal_data), int(view.placeholder), view.model_dump_json()))
            terr_rows.extend((t, aid) for t in rollup(view.location))
            if view.territory and view.territory != view.location:
                terr_rows.extend((t, aid) for t in rollup(view.territory))
        for chunk in chunks(ids, _CHUNK):
            marks = ",".join("?" * len(chunk))
            db.execute(f"DELETE FROM actor_territories WHERE actor_id IN ({marks})", chunk)
        for chunk in chunks(gone, _CHUNK):
            db.execute(f"DELETE FROM actors WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        terr_rows.sort()  # key order: appends to the B-tree
        with self._bulk(db, actors=len(actor_rows), actor_territories=len(terr_rows)):
            db.executemany("INSERT OR REPLACE INTO actors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", actor_rows)
            db.executemany("INSERT OR IGNORE INTO actor_territories VALUES (?, ?)", terr_rows)
        created = len(set(grouped) - existing)
        return created, [g for g in gone if g in existing]

    def _move_statements(self, db: sqlite3.Connection, moved: Sequence[tuple[str, str, str, float, str | None]],
                         old: str, new: str) -> None:
        """Statements ``(source, key, rule, score, matched)`` of actor ``old`` go to actor ``new``,
        resolved by that rule, with their names and identifiers; each source's relations that
        name a moved statement follow it (the caller refreshes both actors)."""
        for sid, k, rule, score, matched in moved:
            db.execute("UPDATE statements SET actor_id=?, rule=?, score=?, matched=? WHERE source_id=? AND key=?",
                       (new, rule, score, matched, sid, k))
            for table in ("names", "identifiers"):
                db.execute(f"UPDATE {table} SET actor_id=? WHERE source_id=? AND stmt_key=?",  # noqa: S608
                           (new, sid, k))
        moving = {(sid, k) for sid, k, *_ in moved}
        for rid, sid, data, src, dst in db.execute(
                "SELECT id, source_id, data, src, dst FROM relations WHERE src=? OR dst=?", (old, old)).fetchall():
            keys = orjson.loads(data)["keys"]
            new_src = new if src == old and (sid, keys[0]) in moving else src
            new_dst = new if dst == old and (sid, keys[1]) in moving else dst
            if (new_src, new_dst) != (src, dst):
                db.execute("UPDATE relations SET src=?, dst=? WHERE id=?", (new_src, new_dst, rid))

    def _join_actors(self, db: sqlite3.Connection, sid: str, joins: Sequence[Join]) -> set[str]:
        """The batch's joins (:class:`~maillage.graph.store.Join`): the other sources' statements of
        each joined actor move into the one it joins (rule ``joined``), every tie and proposal naming
        it follows. Returns the actors touched (the caller refreshes them)."""
        touched: set[str] = set()
        kept = (_PersonReads(self).numbering() or (0, {}))[1] if joins else {}
        for j in joins:
            was = db.execute("SELECT source_id, key, rule, score, matched FROM statements WHERE actor_id=? AND "
                             "source_id != ? ORDER BY source_id, key", (j.actor_id, sid)).fetchall()
            moved = [(s, k, "joined", j.score, j.matched) for s, k, *_ in was]
            self._move_statements(db, moved, j.actor_id, j.into)
            db.execute("UPDATE relations SET src=? WHERE src=?", (j.into, j.actor_id))
            db.execute("UPDATE relations SET dst=? WHERE dst=?", (j.into, j.actor_id))
            proposals = db.execute("SELECT source_id, key FROM proposals WHERE candidate_id=? AND source_id != ?",
                                   (j.actor_id, sid)).fetchall()
            db.execute("UPDATE proposals SET candidate_id=? WHERE candidate_id=?", (j.into, j.actor_id))
            # what undoing it puts back (Store.remove_source, Store.undo_join)
            db.execute("INSERT INTO joins (source_id, actor_id, into_id, data) VALUES (?, ?, ?, ?)",
                       (sid, j.actor_id, j.into, join_data(j, was, proposals, kept.get(j.actor_id))))
            touched |= {j.actor_id, j.into}
        return touched

    def join_actors(self, source_id: str, joins: Sequence[Join]) -> set[str]:
        with self._tx() as db:
            if not db.execute("SELECT 1 FROM sources WHERE id=?", (source_id,)).fetchone():
                raise NotFound(f"no source {source_id!r}")
            for a in sorted({a for j in joins for a in (j.actor_id, j.into)}):
                if not db.execute("SELECT 1 FROM actors WHERE id=?", (a,)).fetchone():
                    raise NotFound(f"no actor {a!r}; nothing was joined")
            numbers = NumberKeeping(_PersonReads(self))
            touched = self._join_actors(db, source_id, joins)
            _, gone = self._refresh_actors(db, touched)
            bad = self._relations_touching(db, gone)
            if bad:
                raise StoreError(f"joining actors for {source_id} would leave {bad} relations pointing at {gone[:3]}; "
                                 "nothing was changed")
            numbers.done(touched)  # a person joined into another takes its number, its own left unused
        return touched

    def split_joins(self, source_id: str) -> list[tuple[str, str]]:
        with self._tx() as db:
            if not db.execute("SELECT 1 FROM sources WHERE id=?", (source_id,)).fetchone():
                raise NotFound(f"no source {source_id!r}")
            numbers = NumberKeeping(_PersonReads(self))
            undone, back = self._split_joins(db, db.execute(
                "SELECT seq, actor_id, into_id, data FROM joins WHERE source_id=? ORDER BY seq DESC",
                (source_id,)).fetchall())
            touched = {a for pair in undone for a in pair}
            self._refresh_actors(db, touched)
            numbers.restore(back)
            numbers.done(touched)
        return undone

    def move_statements(self, source_id: str, moves: Sequence[ResolvedStatement],
                        proposals: Sequence[Proposal] = ()) -> set[str]:
        with self._tx() as db:
            now = {}
            for st in moves:
                row = db.execute("SELECT actor_id FROM statements WHERE source_id=? AND key=?",
                                 (source_id, st.actor.key)).fetchone()
                if row is None:
                    raise NotFound(f"no statement {st.actor.key!r} in source {source_id!r}")
                now[st.actor.key] = row[0]
            if not db.execute("SELECT 1 FROM sources WHERE id=?", (source_id,)).fetchone():
                raise NotFound(f"no source {source_id!r}")
            pairs = moves_by_actor(source_id, moves, now)
            numbers = NumberKeeping(_PersonReads(self))
            for (old, new), moved in pairs.items():
                self._move_statements(db, moved, old, new)
            db.execute("DELETE FROM proposals WHERE source_id=?", (source_id,))
            db.executemany("INSERT INTO proposals VALUES (?, ?, ?, ?, ?)",
                           [(source_id, p.key, p.candidate_id, p.score, p.reason) for p in proposals])
            if not pairs:
                return set()
            left = {old for old, _ in pairs}
            left -= {r[0] for r in db.execute(f"SELECT DISTINCT actor_id FROM statements WHERE actor_id IN "  # noqa: S608
                                              f"({','.join('?' * len(left))})", sorted(left))}
            for x, into in emptied_into(pairs, left).items():
                db.execute("UPDATE relations SET src=? WHERE src=?", (into, x))
                db.execute("UPDATE relations SET dst=? WHERE dst=?", (into, x))
                db.execute("UPDATE proposals SET candidate_id=? WHERE candidate_id=?", (into, x))
            touched = {a for pair in pairs for a in pair}
            _, gone = self._refresh_actors(db, touched)
            bad = self._relations_touching(db, gone)
            if bad:
                raise StoreError(f"moving statements of {source_id} would leave {bad} relations pointing at {gone[:3]}; "
                                 "nothing was changed")
            numbers.done(touched)
        return touched

    def undo_join(self, source_id: str, key: str) -> str:
        with self._tx() as db:
            row = db.execute("SELECT actor_id, rule, matched FROM statements WHERE source_id=? AND key=?",
                             (source_id, key)).fetchone()
            if row is None:
                raise NotFound(f"no statement {key!r} in source {source_id!r}")
            into, rule, matched = row
            found = [r for r in db.execute("SELECT seq, actor_id, into_id, data FROM joins WHERE into_id=? "
                                           "ORDER BY seq DESC", (into,))
                     if [source_id, key] in [m[:2] for m in orjson.loads(r[3])["moved"]]] if rule == "joined" else []
            if not found:
                raise NoJoinRecord(f"{source_id}:{key} was not joined into {into} by a load (rule {rule}): "
                                 "no join to undo")
            numbers = NumberKeeping(_PersonReads(self))
            undone, back = self._split_joins(db, found[:1])
            if not undone:
                raise NoJoinRecord(f"{source_id}:{key}: the join that moved it was changed since; nothing was changed")
            ((x, _),) = undone
            for sid, k in db.execute("SELECT source_id, key FROM statements WHERE actor_id=? ORDER BY source_id, key",
                                     (x,)).fetchall():
                self._record_decision(db, sid, k, "reject", into)  # not joined back on reload
            self._refresh_actors(db, {x, into})
            numbers.restore(back)
            numbers.done({x, into})
        return x

    @staticmethod
    def _foreign_ties(db: sqlite3.Connection, actor_id: str, movers: Iterable[str]) -> int:
        """Relations of sources other than ``movers`` that name ``actor_id``."""
        movers = sorted(set(movers))
        return db.execute(f"SELECT COUNT(*) FROM relations WHERE (src=? OR dst=?) AND source_id NOT IN "  # noqa: S608
                          f"({','.join('?' * len(movers))})", (actor_id, actor_id, *movers)).fetchone()[0]

    def detach_statement(self, source_id: str, key: str, new_actor_id: str) -> str:
        with self._tx() as db:
            row = db.execute("SELECT actor_id FROM statements WHERE source_id=? AND key=?", (source_id, key)).fetchone()
            if row is None:
                raise NotFound(f"no statement {key!r} in source {source_id!r}")
            old = row[0]
            if db.execute("SELECT 1 FROM actors WHERE id=?", (new_actor_id,)).fetchone():
                raise StoreError(f"actor id {new_actor_id!r} is already taken")
            numbers = NumberKeeping(_PersonReads(self))
            self._record_decision(db, source_id, key, "detach", new_actor_id)
            # the statements left behind were told apart from it too: when their sources are loaded
            # again, they must not join it back by the rules (a reject for each, re-applied on reload)
            for sid, k in db.execute("SELECT source_id, key FROM statements WHERE actor_id=? AND NOT "
                                     "(source_id=? AND key=?) ORDER BY source_id, key", (old, source_id, key)).fetchall():
                self._record_decision(db, sid, k, "reject", new_actor_id)
            # the source's own relations that named this statement follow it
            self._move_statements(db, [(source_id, key, "detached", 1.0, None)], old, new_actor_id)
            self._refresh_actors(db, {old, new_actor_id})
            numbers.done({old, new_actor_id})  # a person detached is a new person, numbered after the others
        return new_actor_id

    # -- sources and statements ---------------------------------------------------------------
    def sources(self) -> list[Source]:
        return [Source.model_validate_json(d) for (d,) in
                self.db.execute("SELECT data FROM sources ORDER BY loaded_order")]

    def statements(self, actor_id: str) -> list[tuple[str, Actor]]:
        return [(sid, Actor.model_validate_json(d)) for sid, d in self.db.execute(
            "SELECT source_id, data FROM statements WHERE actor_id=? ORDER BY source_id, key", (actor_id,))]

    def resolved_statements(self, actor_ids: Iterable[str]) -> dict[str, list[tuple[str, Actor, str]]]:
        ids = sorted(set(actor_ids))
        rows: list[tuple[str, str, str, str, str]] = []
        for chunk in chunks(ids, _CHUNK):
            rows.extend(self.db.execute(f"SELECT actor_id, source_id, key, data, rule FROM statements "
                                        f"WHERE actor_id IN ({','.join('?' * len(chunk))})", chunk))
        out: dict[str, list[tuple[str, Actor, str]]] = {}
        for aid, sid, _key, data, rule in sorted(rows, key=lambda r: r[:3]):  # statements(): by source, then key
            out.setdefault(aid, []).append((sid, Actor.model_validate_json(data), rule))
        return out

    def source_statements(self, source_id: str) -> list[Actor]:
        return [Actor.model_validate_json(d) for (d,) in self.db.execute(
            f"SELECT data FROM statements WHERE source_id=? ORDER BY {self._ord_column} IS NULL, "  # noqa: S608
            f"{self._ord_column}, key", (source_id,))]

    def resolution_log(self, source_id: str) -> list[dict[str, Any]]:
        """How each statement of a source was resolved: rule, score, what it matched."""
        cols = ("key", "actor_id", "rule", "score", "matched")
        return [dict(zip(cols, r)) for r in self.db.execute(
            "SELECT key, actor_id, rule, score, matched FROM statements WHERE source_id=? ORDER BY key",
            (source_id,))]

    def proposals(self, source_id: str | None = None) -> list[Proposal]:
        q = "SELECT key, candidate_id, score, reason, source_id FROM proposals"
        rows = self.db.execute(q + " WHERE source_id=?", (source_id,)) if source_id else self.db.execute(q)
        return [Proposal(k, c, sc, r, source=sid) for k, c, sc, r, sid in rows]

    # -- reviewers' decisions ------------------------------------------------------------------
    @staticmethod
    def _record_decision(db: sqlite3.Connection, source_id: str, key: str, action: str, actor_id: str,
                         previous: dict[str, Any] | None = None) -> None:
        db.execute("INSERT INTO decisions (source_id, key, action, actor_id, decided_at, previous) "
                   "VALUES (?, ?, ?, ?, ?, ?)", (source_id, key, action, actor_id, datetime.now(timezone.utc).isoformat(),
                                                 None if previous is None else orjson.dumps(previous).decode()))

    def merge_statement(self, source_id: str, key: str, actor_id: str, whole_actor: bool = True) -> str:
        with self._tx() as db:
            row = db.execute("SELECT actor_id FROM statements WHERE source_id=? AND key=?", (source_id, key)).fetchone()
            if row is None:
                raise NotFound(f"no statement {key!r} in source {source_id!r}")
            old = row[0]
            if not db.execute("SELECT 1 FROM actors WHERE id=?", (actor_id,)).fetchone():
                raise NotFound(f"no actor {actor_id!r}")
            numbers = NumberKeeping(_PersonReads(self))
            # each statement as it is now: what an undo of this accept puts back
            together = {(sid, k): {"actor_id": old, "rule": rule, "score": score, "matched": matched}
                        for sid, k, rule, score, matched in db.execute(
                            "SELECT source_id, key, rule, score, matched FROM statements WHERE actor_id=? "
                            "ORDER BY source_id, key", (old,))}
            if old == actor_id:
                moved = [(source_id, key)]
            else:
                moved = list(together) if whole_actor else [(source_id, key)]
                if len(moved) == len(together):  # the actor it leaves will vanish: nothing may point at it
                    foreign = self._foreign_ties(db, old, (s for s, _ in moved))
                    if foreign:
                        raise StoreError(f"merging {source_id}:{key} into {actor_id} would leave {foreign} relations "
                                         f"of other sources pointing at {old}, which only the moved statements "
                                         "describe; nothing was changed")
                self._move_statements(db, [(sid, k, "accepted", 1.0, "review") for sid, k in moved], old, actor_id)
                self._refresh_actors(db, {old, actor_id})
            for sid, k in moved:
                settled = db.execute("SELECT score, reason FROM proposals WHERE source_id=? AND key=? AND "
                                     "candidate_id=?", (sid, k, actor_id)).fetchone()
                db.execute("DELETE FROM proposals WHERE source_id=? AND key=? AND candidate_id=?", (sid, k, actor_id))
                previous = together[(sid, k)]
                if settled:
                    previous["proposal"] = {"score": settled[0], "reason": settled[1]}
                self._record_decision(db, sid, k, "accept", actor_id, previous)
            numbers.done({old, actor_id})  # a person merged into another takes its number, its own left unused
        return actor_id

    def undo_accept(self, source_id: str, key: str, alone_id: str) -> str:
        with self._tx() as db:
            row = db.execute("SELECT actor_id FROM statements WHERE source_id=? AND key=?", (source_id, key)).fetchone()
            if row is None:
                raise NotFound(f"no statement {key!r} in source {source_id!r}")
            now = row[0]
            together = [tuple(r) for r in db.execute(
                "SELECT source_id, key FROM statements WHERE actor_id=? ORDER BY source_id, key", (now,))]
            back = accept_to_undo(self._decisions(db), together, source_id, key, now, alone_id)
            came_from = back[0][2]["actor_id"]
            if len(back) == len(together):  # the actor they leave will vanish: nothing may point at it
                foreign = self._foreign_ties(db, now, (s for s, _, _ in back))
                if foreign:
                    raise StoreError(f"undoing the accept of {source_id}:{key} would leave {foreign} relations of "
                                     f"other sources pointing at {now}, which only its statements describe; "
                                     "nothing was changed")
            numbers = NumberKeeping(_PersonReads(self))
            self._move_statements(db, [(sid, k, p["rule"], p["score"], p["matched"]) for sid, k, p in back],
                                  now, came_from)
            for sid, k, p in back:
                if p.get("proposal"):  # the pair settled by the accept is to review again
                    db.execute("INSERT INTO proposals VALUES (?, ?, ?, ?, ?)",
                               (sid, k, now, p["proposal"]["score"], p["proposal"]["reason"]))
                self._record_decision(db, sid, k, "undo", came_from, {"actor_id": now})
            self._refresh_actors(db, {now, came_from})
            numbers.done({now, came_from})
        return came_from

    def reject_proposal(self, source_id: str, key: str, candidate_id: str) -> None:
        with self._tx() as db:
            if not db.execute("SELECT 1 FROM statements WHERE source_id=? AND key=?", (source_id, key)).fetchone():
                raise NotFound(f"no statement {key!r} in source {source_id!r}")
            db.execute("DELETE FROM proposals WHERE source_id=? AND key=? AND candidate_id=?",
                       (source_id, key, candidate_id))
            self._record_decision(db, source_id, key, "reject", candidate_id)

    def decisions(self, source_id: str | None = None) -> list[Decision]:
        return self._decisions(self.db, source_id)

    def _decisions(self, db: sqlite3.Connection, source_id: str | None = None) -> list[Decision]:
        q = f"SELECT source_id, key, action, actor_id, decided_at, {self._previous_column} FROM decisions"  # noqa: S608
        rows = db.execute(q + " WHERE source_id=? ORDER BY seq", (source_id,)) if source_id is not None \
            else db.execute(q + " ORDER BY seq")
        return [Decision(sid, k, act, aid, datetime.fromisoformat(at), None if prev is None else orjson.loads(prev))
                for sid, k, act, aid, at, prev in rows]

    def person_numbering(self) -> tuple[int, dict[str, int]] | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (PERSON_NUMBERS_KEY,)).fetchone()
        return numbering_of(row[0]) if row else None

    def keep_person_numbering(self, last: int, numbers: dict[str, int]) -> None:
        with self._tx():
            _PersonReads(self).keep(last, numbers)

    def number_persons(self) -> None:
        with self._tx():
            numbers = NumberKeeping(reads := _PersonReads(self))
            numbers.done(reads.person_ids())

    # -- the right to erasure (Store.forget_person, maillage.graph.erasure) -------------------------
    def erasures(self) -> Erasures | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (ERASURES_KEY,)).fetchone()
        return Erasures.of(row[0]) if row else None

    def forget_person(self, actor_id: str) -> Erasure:
        # what is deleted is overwritten with zeros in the file (SQLite's secure_delete), and the
        # journal of the pages as they were (the -wal file) emptied once it is copied back
        secure = self.db.execute("PRAGMA secure_delete").fetchone()[0]
        self.db.execute("PRAGMA secure_delete=ON")
        try:
            done = self._forget_person(actor_id)
        finally:
            self.db.execute(f"PRAGMA secure_delete={int(secure)}")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return done

    def _forget_person(self, actor_id: str) -> Erasure:
        with self._tx() as db:
            row = db.execute("SELECT data FROM actors WHERE id=?", (actor_id,)).fetchone()
            if row is None:
                raise NotFound(f"no actor {actor_id!r} in {self.uri}")
            view = ActorView.model_validate_json(row[0])
            if not view.personal_data:
                raise NotAPerson(f"{actor_id!r} is no natural person")
            numbers = NumberKeeping(_PersonReads(self))
            stated = db.execute("SELECT source_id, key, data FROM statements WHERE actor_id=?", (actor_id,)).fetchall()
            actors = [Actor.model_validate_json(d) for _, _, d in stated]
            keys = [(sid, key) for sid, key, _ in stated]
            done = Erasure(actor_id, statements=len(stated))
            ties = db.execute("SELECT DISTINCT source_id FROM relations WHERE src=? OR dst=?",
                              (actor_id, actor_id)).fetchall()
            done.sources = sorted({sid for sid, _ in keys} | {r[0] for r in ties})
            done.relations = db.execute("DELETE FROM relations WHERE src=? OR dst=?", (actor_id, actor_id)).rowcount
            for table in ("statements", "actor_territories"):
                db.execute(f"DELETE FROM {table} WHERE actor_id=?", (actor_id,))  # noqa: S608
            for table in ("names", "identifiers"):  # its statements' (by their index, not by actor)
                db.executemany(f"DELETE FROM {table} WHERE source_id=? AND stmt_key=?", keys)  # noqa: S608
            done.metrics = db.execute("DELETE FROM metrics WHERE run_id IN (SELECT id FROM runs) AND actor_id=?",
                                      (actor_id,)).rowcount  # each run's, by the key (run, actor, name)
            done.proposals = db.execute("DELETE FROM proposals WHERE candidate_id=?", (actor_id,)).rowcount
            done.decisions = db.execute("DELETE FROM decisions WHERE actor_id=?", (actor_id,)).rowcount
            db.execute("DELETE FROM joins WHERE actor_id=? OR into_id=?", (actor_id, actor_id))  # its joins: no undo
            for sid, key in keys:
                done.proposals += db.execute("DELETE FROM proposals WHERE source_id=? AND key=?", (sid, key)).rowcount
                done.decisions += db.execute("DELETE FROM decisions WHERE source_id=? AND key=?", (sid, key)).rowcount
            db.execute("DELETE FROM actors WHERE id=?", (actor_id,))
            # its name in the free text of what stays
            erase = text_eraser([view.name, *view.aliases, *(n for a in actors for n in (a.name, *a.aliases))])
            done.texts = _erase_free_text(db, erase)
            kept = self.erasures() or Erasures.new()
            db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                       (ERASURES_KEY, kept.adding(person_marks(actors)).to_json()))
            numbers.done({actor_id})  # the others keep their numbers; its own is given to no one again
        return done

    # -- actors ---------------------------------------------------------------------------------
    def get_actors(self, ids: Iterable[str]) -> dict[str, ActorView]:
        ids = list(dict.fromkeys(ids))
        out: dict[str, ActorView] = {}
        for chunk in chunks(ids, _CHUNK):
            for aid, data in self.db.execute(
                    f"SELECT id, data FROM actors WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                out[aid] = ActorView.model_validate_json(data)
        return out

    def iter_actors(self, include_persons: bool = False) -> Iterator[ActorView]:
        q = "SELECT data FROM actors" + ("" if include_persons else " WHERE personal_data=0") + " ORDER BY id"
        for (data,) in self.db.execute(q):
            yield ActorView.model_validate_json(data)

    def _person_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM actors WHERE personal_data=1")}

    def persons(self) -> list[ActorView]:  # the partial index actors_persons
        return [ActorView.model_validate_json(d) for (d,) in self.db.execute(
            "SELECT data FROM actors WHERE personal_data=1 ORDER BY id")]

    def find_by_identifier(self, scheme: str, value: str) -> list[str]:
        if scheme == "siret":
            rows = self.db.execute(
                "SELECT DISTINCT actor_id FROM identifiers WHERE (scheme='siret' AND value=?) "
                "OR (scheme='siren' AND value=?) ORDER BY actor_id", (value, value[:9]))
        else:
            rows = self.db.execute("SELECT DISTINCT actor_id FROM identifiers WHERE scheme=? AND value=? "
                                   "ORDER BY actor_id", (scheme, value))
        return [r[0] for r in rows]

    def find_by_name(self, name: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT actor_id FROM names WHERE key=? ORDER BY actor_id", (name_key(name),))]

    def name_index(self, exclude_source: str | None = None) -> Iterator[NameEntry]:
        q = ("SELECT DISTINCT n.actor_id, n.name, n.key, n.core, a.family, a.location, a.placeholder "
             "FROM names n JOIN actors a ON a.id = n.actor_id WHERE n.source_id IS NOT ?")
        for aid, name, key, core, family, location, placeholder in self.db.execute(q, (exclude_source,)):
            yield NameEntry(aid, name, key, core, family, location, bool(placeholder))

    def identifier_index(self, exclude_source: str | None = None) -> Iterator[tuple[str, str, str]]:
        yield from self.db.execute("SELECT DISTINCT actor_id, scheme, value FROM identifiers "
                                   "WHERE source_id IS NOT ?", (exclude_source,))

    def search(self, text: str = "", family: str | None = None, territory: str | None = None,
               include_persons: bool = False, limit: int = 50, offset: int = 0) -> list[ActorView]:
        where, args = [], []
        for word in fold(text).split():  # every word, anywhere in the names (see Store.search)
            where.append("a.search LIKE ? ESCAPE '\\'")
            args.append("%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if family:
            where.append("a.family = ?")
            args.append(family)
        if territory:
            where.append("a.id IN (SELECT actor_id FROM actor_territories WHERE territory_id = ?)")
            args.append(territory)
        if not include_persons:
            where.append("a.personal_data = 0")
        q = "SELECT a.data FROM actors a" + (" WHERE " + " AND ".join(where) if where else "")
        q += " ORDER BY a.placeholder, a.name COLLATE NOCASE, a.id LIMIT ? OFFSET ?"
        return [ActorView.model_validate_json(d) for (d,) in self.db.execute(q, (*args, limit, offset))]

    def actors_in_territory(self, territory_id: str, include_persons: bool = False) -> list[str]:
        q = ("SELECT t.actor_id FROM actor_territories t JOIN actors a ON a.id = t.actor_id "
             "WHERE t.territory_id = ?" + ("" if include_persons else " AND a.personal_data = 0") +
             " ORDER BY t.actor_id")
        return [r[0] for r in self.db.execute(q, (territory_id,))]

    # -- relations -----------------------------------------------------------------------------
    def _relation_filter(self, touching: Iterable[str] | None = None, among: Iterable[str] | None = None,
                         types: Sequence[str] | None = None, as_of: int | None = None,
                         certainty: Sequence[str] | None = None,
                         source: str | None = None) -> tuple[str, list[Any]] | None:
        """The ``WHERE`` clause (with its arguments) of :meth:`relations` and :meth:`ties`;
        None when nothing can match. ``touching`` / ``among`` go through a temporary table."""
        where, args = [], []
        ids = set(among if among is not None else touching if touching is not None else ())
        if among is not None or touching is not None:
            if not ids:
                return None
            temp = "_ids"
            self.db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {temp} (id TEXT PRIMARY KEY) WITHOUT ROWID")
            self.db.execute(f"DELETE FROM {temp}")
            self.db.executemany(f"INSERT OR IGNORE INTO {temp} VALUES (?)", ((i,) for i in ids))
            if among is None:
                where.append(f"(src IN (SELECT id FROM {temp}) OR dst IN (SELECT id FROM {temp}))")
            elif len(ids) <= _AMONG_PAIRS_MAX:  # every (src, dst) pair looked up in relations_src
                where.append(f"(src IN (SELECT id FROM {temp}) AND dst IN (SELECT id FROM {temp}))")
            else:  # each src's entries of relations_src read, dst checked there ("+": not a key)
                where.append(f"(src IN (SELECT id FROM {temp}) AND +dst IN (SELECT id FROM {temp}))")
        if types is not None:
            if not types:
                return None
            where.append(f"type IN ({','.join('?' * len(types))})")
            args.extend(types)
        if as_of is not None:
            where.append("(y0 IS NULL OR y0 <= ?) AND (y1 IS NULL OR y1 >= ?)")
            args.extend([as_of, as_of])
        if certainty is not None:
            where.append(f"certainty IN ({','.join('?' * len(certainty))})")
            args.extend(certainty)
        if source is not None:
            where.append("source_id = ?")
            args.append(source)
        return (" WHERE " + " AND ".join(where) if where else ""), args

    def ties(self, touching: Iterable[str], types: Sequence[str] | None = None, as_of: int | None = None,
             certainty: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
        f = self._relation_filter(touching=touching, types=types, as_of=as_of, certainty=certainty)
        if f is None:
            return []
        return self.db.execute(f"SELECT id, src, dst FROM relations{f[0]} ORDER BY id", f[1]).fetchall()

    def tie_fields(self, touching: Iterable[str], types: Sequence[str] | None = None,
                   source: str | None = None) -> list[tuple[str, str, str, dict[str, Any]]]:
        f = self._relation_filter(touching=touching, types=types, source=source)
        if f is None:
            return []
        return [(rid, src, dst, orjson.loads(data)["fields"])
                for rid, src, dst, data in self.db.execute(f"SELECT id, src, dst, data FROM relations{f[0]} ORDER BY id",
                                                           f[1])]

    def relations(self, touching: Iterable[str] | None = None, among: Iterable[str] | None = None,
                  types: Sequence[str] | None = None, as_of: int | None = None,
                  certainty: Sequence[str] | None = None, source: str | None = None,
                  limit: int | None = None) -> list[RelationView]:
        f = self._relation_filter(touching, among, types, as_of, certainty, source)
        if f is None:
            return []
        where, args = f
        q = f"SELECT id, src, dst, data, source_id, type, certainty FROM relations{where} ORDER BY id"
        if limit is not None:
            q += " LIMIT ?"
            args.append(limit)
        out = []
        times: dict[str, Any] = {}  # source → its load time, the default of its ties'
        for rid, src, dst, data, sid, rtype, certainty in self.db.execute(q, args):
            d = orjson.loads(data)
            p = d["provenance"]  # written by _relation_rows; stores written before hold every key
            if "loaded_at" not in p:
                if sid not in times:
                    times[sid] = self.source(sid).loaded_at
                p["loaded_at"] = times[sid]
            p["source"] = sid
            p.setdefault("certainty", certainty)
            out.append(RelationView(id=rid, type=d.get("type", rtype), source=src, target=dst, fields=d["fields"],
                                    start=d["start"], end=d["end"], provenance=Provenance.model_validate(p)))
        return out

    # -- analysis runs -------------------------------------------------------------------------
    def save_run(self, run: AnalysisRun, metrics: Iterable[tuple[str, str, float]]) -> str:
        with self._tx() as db:
            if db.execute("SELECT 1 FROM runs WHERE id=?", (run.id,)).fetchone():
                raise StoreError(f"an analysis run {run.id!r} already exists; runs are never overwritten")
            db.execute("INSERT INTO runs VALUES (?, ?, ?)", (run.id, run.created_at.isoformat(), run.model_dump_json()))
            db.executemany("INSERT INTO metrics VALUES (?, ?, ?, ?)",
                           ((run.id, aid, name, metric_value(v)) for aid, name, v in metrics))
        return run.id

    def _delete_runs(self, ids: Sequence[str]) -> dict[str, int]:
        """One transaction: every run of ``ids`` goes with its metrics, or none does."""
        removed: dict[str, int] = {}
        with self._tx() as db:
            for rid in ids:
                removed[rid] = db.execute("DELETE FROM metrics WHERE run_id=?", (rid,)).rowcount
                db.execute("DELETE FROM runs WHERE id=?", (rid,))
        return removed

    def runs(self) -> list[AnalysisRun]:
        return [AnalysisRun.model_validate_json(d) for (d,) in
                self.db.execute("SELECT data FROM runs ORDER BY created_at, id")]

    def metrics(self, run_id: str | None = None, actor_id: str | None = None,
                actor_ids: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        if run_id is None:
            row = self.db.execute("SELECT id FROM runs ORDER BY created_at DESC, id DESC LIMIT 1").fetchone()
            if row is None:
                return {}
            run_id = row[0]
        elif not self.db.execute("SELECT 1 FROM runs WHERE id=?", (run_id,)).fetchone():
            raise NotFound(f"no analysis run {run_id!r}")
        q, args = "SELECT actor_id, name, value FROM metrics WHERE run_id=?", [run_id]
        wanted = metric_actors(actor_id, actor_ids)
        out: dict[str, dict[str, float]] = defaultdict(dict)
        if wanted is None:
            rows = self.db.execute(f"{q} ORDER BY actor_id, name", args)
        else:  # through the primary key (run_id, actor_id, name), a chunk of (sorted) actors at a time
            rows = (row for part in chunks(wanted, _CHUNK)
                    for row in self.db.execute(f"{q} AND actor_id IN ({','.join('?' * len(part))}) "
                                               "ORDER BY actor_id, name", [run_id, *part]))
        for aid, name, value in rows:
            out[aid][name] = value
        return dict(out)

    def stats(self) -> dict[str, Any]:
        one = lambda q: self.db.execute(q).fetchone()[0]  # noqa: E731
        return {
            "store": self.uri,
            "actors": one("SELECT COUNT(*) FROM actors"),
            "relations": one("SELECT COUNT(*) FROM relations"),
            "poles": one("SELECT COUNT(*) FROM actors WHERE family='pole'"),
            "sources": one("SELECT COUNT(*) FROM sources"),
            "statements": one("SELECT COUNT(*) FROM statements"),
            "persons": one("SELECT COUNT(*) FROM actors WHERE personal_data=1"),
            # relations with a natural person at an end (each end through its index)
            "person_relations": one(
                "SELECT COUNT(*) FROM relations WHERE src IN (SELECT id FROM actors WHERE personal_data=1) "
                "OR dst IN (SELECT id FROM actors WHERE personal_data=1)"),
            "placeholders": one("SELECT COUNT(*) FROM actors WHERE placeholder=1"),
            "runs": one("SELECT COUNT(*) FROM runs"),
            # a possible merge is a pair of actors, whichever side's load found it
            "proposals": one(
                "SELECT COUNT(DISTINCT MIN(s.actor_id, p.candidate_id) || '|' || MAX(s.actor_id, p.candidate_id)) "
                "FROM proposals p JOIN statements s ON s.source_id = p.source_id AND s.key = p.key "
                "WHERE s.actor_id != p.candidate_id AND p.candidate_id IN (SELECT id FROM actors)"),
            "actors_by_family": dict(self.db.execute(
                "SELECT family, COUNT(*) FROM actors GROUP BY family ORDER BY family").fetchall()),
            "relations_by_type": dict(self.db.execute(
                "SELECT type, COUNT(*) FROM relations GROUP BY type ORDER BY type").fetchall()),
        }
