"""The Neo4j store: the same contract as the embedded store, in a Neo4j 5 database over Bolt.

For shared, multi-user and large deployments, and for people who work in Neo4j Browser or
Bloom with Cypher (the catalogue is in ``maillage/queries/*.cypher``). Checked by the same
conformance suite as the embedded store (``tests/conformance``), against a live Neo4j.

The graph (labels and relationship types come from the vocabulary, the one source of truth):

- ``(:Actor:<Family>)`` — a canonical actor, merged from its statements
  (:mod:`maillage.graph.merge`); the family label is the vocabulary family in CamelCase
  (``pole`` → ``:Pole``, ``tiers_lieu`` → ``:TiersLieu``). Properties: ``id``, ``name``,
  ``aliases``, ``family``, ``kind``, ``location``, ``territory``, ``identifiers``
  (``"siren:…"``), ``personal_data``, ``placeholder``, ``sources`` (the sources that
  describe it), ``data`` (the whole :class:`~maillage.graph.model.ActorView` as JSON).
- ``(:Actor)-[:<TYPE>]->(:Actor)`` — one relation statement per relationship; the type is
  the vocabulary type upper-cased (``funds`` → ``:FUNDS``); the direction is the stated one
  (undirected types keep the order the source gave). **Provenance on every relationship**:
  ``source`` (source id), ``locator``, ``document``, ``quote``, ``certainty``,
  ``loaded_at``; dates ``start``/``end`` (partial, as stated) and ``y0``/``y1`` (years);
  the type's fields by name (``amount``, ``year``, ``tier``…); ``id`` (the statement id)
  and ``data`` (JSON). "Which sources say that A funds B?" is
  ``MATCH (:Actor {id:$a})-[r:FUNDS]->(:Actor {id:$b}) RETURN r.source, r.locator, r.quote``.
- ``(:Statement {source_id, key, actor_id, ord, …})`` — one source's record of an actor (the
  provenance of nodes; ``ord``: its place in its load, the order its loader gave them), ``(:Name)`` and ``(:Ident)`` its lookup keys, ``(:Source)``,
  ``(:Proposal)`` (possible merges kept for review), ``(:Decision {seq, ord, source_id, key,
  action, actor_id, decided_at, previous})`` (reviewers' accept / reject / detach / undo; an
  accept's ``previous``, JSON, is the statement as it was before it; never touched by writing
  or removing a source).
- ``(:Actor)-[:LOCATED_IN {via}]->(:Territory {id, level, name})`` — the rollup of the
  actor's location (commune → EPCI → département → région), and for a collectivité of the
  territory it administers (``via: "territory"``, plus ``GOVERNS_TERRITORY`` to that
  territory itself): the vocabulary's ``territory_relations``.
- ``(:Run {id, created_at, lens, as_of, data})`` and ``(:Metric {run_id, actor_id, name,
  value})`` — analysis runs and their metrics, one node per value; runs are never overwritten.

Writes: ``replace_source`` is **one managed write transaction** (``session.execute_write``,
retried by the driver on transient errors), so a failed write leaves the graph unchanged (the
persons' numbers, kept in the same transaction: :mod:`maillage.graph.numbering`, included);
inside it, rows go in ``UNWIND $rows … MERGE/CREATE`` batches of :data:`BATCH`. Writers are
serialised by a lock node (``:MaillageLock``), as SQLite's ``BEGIN IMMEDIATE`` does. A
transaction's state is held in the server's heap, bounded by ``db.memory.transaction.total.max``
(by default 70 % of the heap): a source of more than ``tx_rows`` rows (:data:`TX_ROWS`) is
written in several transactions under a pending-load marker that the next writer rolls back
if the write dies (:mod:`maillage.graph.neo4j_chunks`; ``docs/neo4j.md``, "Large sources").
Every query is parameterised; labels and relationship types are given as parameters too
(Cypher 5.26's dynamic ``$(…)`` labels), except in the per-type index and delete statements
built once from the vocabulary's names (checked to be plain identifiers).

Constraints and indexes are created on first use (``CREATE … IF NOT EXISTS``; later opens create
only those ``SHOW INDEXES`` does not list).
References: Neo4j Cypher Manual 5 (constraints, dynamic labels and types), Neo4j Python
driver manual (managed transactions, ``execute_query``).
"""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import orjson

from ..runtime import report
from .erasure import (ERASURES_KEY, Erasure, Erasures, TextEraser, erased_relation, erased_source, erased_statement,
                      person_marks, text_eraser)
from .merge import merge_resolved
from .model import Actor, ActorView, Provenance, RelationView, Source, year_of
from .names import core_key, fold, name_key
from .numbering import NumberKeeping
from .store import (PERSON_NUMBERS_KEY, chunks, emptied_into, join_data, join_to_split, metric_actors, metric_value,
                    moves_by_actor, numbering_json, numbering_of, territory_rollup, with_carriers)
from .store import (AnalysisRun, Decision, Join, NameEntry, NoJoinRecord, NotAPerson, NotFound, Proposal,
                    ResolvedBatch, ResolvedStatement, Store, StoreError, Subgraph, WriteSummary, accept_to_undo)
from .vocabulary import vocabulary

SCHEMA_VERSION = 1
BATCH = 5000  # rows per UNWIND statement (the published sweet spot is 5k–10k nodes per batch)
SCHEMES = ("bolt", "neo4j", "bolt+s", "neo4j+s", "bolt+ssc", "neo4j+ssc")
STRUCTURAL_LABELS = {"Actor", "Source", "Statement", "Name", "Ident", "Proposal", "Decision", "Run", "Metric",
                     "Territory", "MaillageMeta", "MaillageLock", "PendingLoad", "PendingActors", "PendingLog", "RetiredLog"}
TX_ROWS = 100_000  # a source with more rows than this is written in several transactions (neo4j_chunks)
CHUNK_ROWS = 20_000  # rows per transaction of such a write
LEASE_S = 300.0  # a chunked write silent for longer than this is taken for dead and rolled back
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# relationship properties a relation field may not overwrite (the field stays in ``data``)
_RESERVED = {"id", "source", "locator", "document", "quote", "certainty", "loaded_at", "start", "end",
             "y0", "y1", "data", "type"}
#: The filters of :meth:`Neo4jStore.relations` and :meth:`Neo4jStore.ties` on a relationship
#: ``r``: its type among ``$types``, active in ``$y`` (None: any year), its certainty among
#: ``$certainty`` (None: any).
_TIE_FILTER = ("type(r) IN $types AND ($y IS NULL OR ((r.y0 IS NULL OR r.y0 <= $y) AND (r.y1 IS NULL OR r.y1 >= $y))) "
               "AND ($certainty IS NULL OR r.certainty IN $certainty)")


def _checked(name: str) -> str:
    if not _IDENT.match(name):
        raise StoreError(f"{name!r} cannot be a Neo4j label or relationship type")
    return name


def family_label(family: str) -> str:
    """The node label of a vocabulary family: ``tiers_lieu`` → ``TiersLieu``."""
    label = _checked("".join(p[:1].upper() + p[1:] for p in family.split("_")))
    if label in STRUCTURAL_LABELS:
        raise StoreError(f"family {family!r} would collide with the structural label {label}")
    return label


def relationship_type(rtype: str) -> str:
    """The relationship type of a vocabulary relation type: ``funds`` → ``FUNDS``."""
    return _checked(rtype.upper())


def _mappings() -> tuple[dict[str, str], dict[str, str], list[str]]:
    voc = vocabulary()
    labels = {f: family_label(f) for f in voc.families}
    types = {t: relationship_type(t) for t in voc.relation_types}
    territorial = [_checked(t.upper()) for t in (voc.raw.get("territory_relations") or {})]
    clash = set(types.values()) & set(territorial)
    if clash:
        raise StoreError(f"relation types {sorted(clash)} collide with territory relations")
    return labels, types, territorial


LABELS, TYPES, TERRITORY_TYPES = _mappings()
TYPE_NAMES = {v: k for k, v in TYPES.items()}  # FUNDS → funds
LOCATED_IN = "LOCATED_IN" if "LOCATED_IN" in TERRITORY_TYPES else TERRITORY_TYPES[0]
GOVERNS_TERRITORY = "GOVERNS_TERRITORY" if "GOVERNS_TERRITORY" in TERRITORY_TYPES else LOCATED_IN


def driver_auth(user: str | None = None, password: str | None = None) -> tuple[str, str] | None:
    """Basic auth from the arguments or ``$MAILLAGE_NEO4J_USER``/``$MAILLAGE_NEO4J_PASSWORD``;
    None (no authentication) when no password is given."""
    password = password if password is not None else os.environ.get("MAILLAGE_NEO4J_PASSWORD")
    if not password:
        return None
    return (user or os.environ.get("MAILLAGE_NEO4J_USER") or "neo4j", password)


def _schema_statements() -> list[str]:
    s = [
        "CREATE CONSTRAINT maillage_actor_id IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT maillage_source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT maillage_run_id IF NOT EXISTS FOR (n:Run) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT maillage_territory_id IF NOT EXISTS FOR (n:Territory) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT maillage_meta_key IF NOT EXISTS FOR (n:MaillageMeta) REQUIRE n.key IS UNIQUE",
        "CREATE CONSTRAINT maillage_lock_id IF NOT EXISTS FOR (n:MaillageLock) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT maillage_pending_id IF NOT EXISTS FOR (n:PendingLoad) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT maillage_statement_key IF NOT EXISTS FOR (n:Statement) "
        "REQUIRE (n.source_id, n.key) IS UNIQUE",
        "CREATE INDEX maillage_statement_actor IF NOT EXISTS FOR (n:Statement) ON (n.actor_id)",
        "CREATE INDEX maillage_statement_source IF NOT EXISTS FOR (n:Statement) ON (n.source_id)",
        "CREATE INDEX maillage_name_key IF NOT EXISTS FOR (n:Name) ON (n.key)",
        "CREATE INDEX maillage_name_source IF NOT EXISTS FOR (n:Name) ON (n.source_id, n.stmt_key)",
        "CREATE INDEX maillage_ident_value IF NOT EXISTS FOR (n:Ident) ON (n.scheme, n.value)",
        "CREATE INDEX maillage_ident_source IF NOT EXISTS FOR (n:Ident) ON (n.source_id, n.stmt_key)",
        # a source's names and identifiers (its removal, a reload): `source_id = $sid` alone does not
        # use the composite indexes above, and scanned every :Name and :Ident node
        "CREATE INDEX maillage_name_of_source IF NOT EXISTS FOR (n:Name) ON (n.source_id)",
        "CREATE INDEX maillage_ident_of_source IF NOT EXISTS FOR (n:Ident) ON (n.source_id)",
        "CREATE INDEX maillage_proposal_source IF NOT EXISTS FOR (n:Proposal) ON (n.source_id)",
        # a join, a move, forget_person: the proposals naming an actor (its candidate)
        "CREATE INDEX maillage_proposal_candidate IF NOT EXISTS FOR (n:Proposal) ON (n.candidate_id)",
        "CREATE INDEX maillage_metric_run IF NOT EXISTS FOR (n:Metric) ON (n.run_id)",
        "CREATE INDEX maillage_metric_actor IF NOT EXISTS FOR (n:Metric) ON (n.run_id, n.actor_id)",
        "CREATE INDEX maillage_decision_source IF NOT EXISTS FOR (n:Decision) ON (n.source_id, n.key)",
        "CREATE INDEX maillage_decision_actor IF NOT EXISTS FOR (n:Decision) ON (n.actor_id)",  # forget_person
        "CREATE INDEX maillage_join_source IF NOT EXISTS FOR (n:JoinRecord) ON (n.source_id)",
        "CREATE INDEX maillage_join_into IF NOT EXISTS FOR (n:JoinRecord) ON (n.into)",
        "CREATE INDEX maillage_join_actor IF NOT EXISTS FOR (n:JoinRecord) ON (n.actor_id)",  # forget_person
        "CREATE INDEX maillage_actor_family IF NOT EXISTS FOR (n:Actor) ON (n.family)",
        "CREATE INDEX maillage_actor_personal IF NOT EXISTS FOR (n:Actor) ON (n.personal_data)",
        "CREATE INDEX maillage_actor_name IF NOT EXISTS FOR (n:Actor) ON (n.name)",
    ]
    for name, t in TYPES.items():
        s.append(f"CREATE CONSTRAINT maillage_rel_{name}_id IF NOT EXISTS FOR ()-[r:{t}]-() REQUIRE r.id IS UNIQUE")
        s.append(f"CREATE INDEX maillage_rel_{name}_source IF NOT EXISTS FOR ()-[r:{t}]-() ON (r.source)")
    return s


# One statement that finds every relation of a source through the per-type `source` indexes
# (a MATCH without a type could not use them; `USING INDEX SEEK`: on little data the planner
# scanned a type instead, and kept that plan). Type names come from the vocabulary, checked.
_SOURCE_RELATIONS = "CALL () { " + " UNION ALL ".join(
    f"MATCH ()-[r:{t}]->() USING INDEX SEEK r:{t}(source) WHERE r.source = $sid RETURN r"
    for t in TYPES.values()) + " }"

# The write lock, and the pending chunked write if any (its heartbeat renewed by its own chunks).
_LOCK = ("MERGE (l:MaillageLock {id: 'write'}) SET l.n = coalesce(l.n, 0) + 1 "
         "WITH l OPTIONAL MATCH (p:PendingLoad {id: 'load'}) "
         "FOREACH (_ IN CASE WHEN p.wn = $own THEN [1] ELSE [] END | SET p.heartbeat = datetime()) "
         "RETURN l.n AS n, p.wn AS pending, p.source AS source, toString(p.heartbeat) AS since, "
         "p.heartbeat < datetime() - duration({milliseconds: $lease}) AS stale")


def _source_order(tx, sid: str) -> dict[str, Any]:
    """``mine``: the source's load order if it is in the store; ``order``: the order its write
    takes — its own, the one of its interrupted reload (a ``RetiredLog``), or after every other."""
    rec = tx.run("OPTIONAL MATCH (s:Source {id: $sid}) WITH s "
                 "OPTIONAL MATCH (r:RetiredLog {source: $sid, ord: 0}) WITH s, r "
                 "CALL () { OPTIONAL MATCH (o:Source) RETURN max(o.loaded_order) AS a } "
                 "CALL () { OPTIONAL MATCH (x:RetiredLog {ord: 0}) RETURN max(x.order) AS b } "
                 "RETURN s.loaded_order AS mine, r.order AS retired, "
                 "CASE WHEN coalesce(a, 0) > coalesce(b, 0) THEN coalesce(a, 0) ELSE coalesce(b, 0) END AS top",
                 sid=sid).single()
    mine, retired = rec["mine"], rec["retired"]
    order = mine if mine is not None else retired if retired is not None else rec["top"] + 1
    return {"mine": mine, "order": order}


def _erase_free_text(tx, erase: TextEraser, types: list[str]) -> int:
    """Rewrite the statements, ties (their ``data`` and the properties drawn from it), sources and
    proposals whose free text holds one of the erased person's names
    (:func:`~maillage.graph.erasure.text_eraser`); returns how many. Only those matching the
    eraser's :meth:`~maillage.graph.erasure.TextEraser.regex` (a superset of those holding a
    name, tested by Neo4j) are read, parsed and rewritten, written back when that changed
    them. Progress: stage ``texts``, in nodes and ties searched, after each label and type."""
    regex = erase.regex()

    def matching(pattern: str, prop: str) -> list:
        return list(tx.run(pattern + (f" WHERE {prop} =~ $re" if regex else "") + " RETURN elementId(x) AS eid, "
                           f"{prop} AS text", re=regex))

    def tie(x: dict) -> tuple[str, dict]:
        props = {k: f for k, v in x["fields"].items() if k not in _RESERVED and (f := _flat(v)) is not None}
        return ("MATCH ()-[r]->() WHERE elementId(r) = $eid SET r += $props, r.quote = $quote, r.data = $text",
                {"props": props, "quote": x["provenance"].get("quote")})

    def source(x: dict) -> tuple[str, dict]:
        return "MATCH (s) WHERE elementId(s) = $eid SET s.data = $text, s.title = $title", {"title": x.get("title")}

    def statement(_x: dict) -> tuple[str, dict]:
        return "MATCH (st) WHERE elementId(st) = $eid SET st.data = $text", {}

    steps = [("MATCH (x:Statement)", "x.data", erased_statement, statement)]
    steps += [(f"MATCH ()-[x:{t}]->()", "x.data", erased_relation, tie) for t in types]  # checked names (_mappings)
    steps += [("MATCH (x:Source)", "x.data", erased_source, source), ("MATCH (x:Proposal)", "x.reason", None, None)]
    sizes = [tx.run(f"{pattern} RETURN count(*) AS n").single()["n"] for pattern, *_ in steps]
    searched, texts = 0, 0
    report("texts", 0, sum(sizes))
    for (pattern, prop, rewrite, write), size in zip(steps, sizes):
        for r in matching(pattern, prop):
            if rewrite is None:
                new = erase(r["text"])
                query, more = "MATCH (p) WHERE elementId(p) = $eid SET p.reason = $text", {}
            else:
                data = orjson.loads(r["text"])
                if (erased := rewrite(data, erase)) == data:
                    continue
                new = orjson.dumps(erased).decode()
                query, more = write(erased)
            if new != r["text"]:
                tx.run(query, eid=r["eid"], text=new, **more).consume()
                texts += 1
        searched += size
        report("texts", searched, sum(sizes))
    return texts


#: Prefix of a statement that finds nodes or relationships by element id: planned on the data there
#: now. A plan is cached with the statistics of its first run; on an empty database (a first load)
#: the planner finds scanning every relationship as cheap as seeking one, and the cached plan
#: then scanned them all once per row (docs/benchmarks.md, « Removing a source »).
_BY_ELEMENT_ID = "CYPHER replan=force "


def _drop_orphan_territories(tx, among: Iterable[str] | None = None) -> None:
    """A territory node exists while an actor is linked to it (as the embedded store's
    ``actor_territories`` rows do): removing the last link removes it. ``among``: the element
    ids of the territories that lost links (the others are not read); None: every territory."""
    if among is None:
        tx.run("MATCH (t:Territory) WHERE NOT EXISTS { (t)--() } DELETE t").consume()
    elif among := sorted(set(among)):
        tx.run(_BY_ELEMENT_ID + "UNWIND $eids AS eid MATCH (t:Territory) WHERE elementId(t) = eid "
               "AND NOT EXISTS { (t)--() } DELETE t", eids=among).consume()


#: The proposals naming actor ``$x`` name ``$into`` (a join: it became that actor).
_CANDIDATE_FOLLOWS = "MATCH (p:Proposal {candidate_id: $x}) USING INDEX p:Proposal(candidate_id) SET p.candidate_id = $into"

#: The natural persons, and their ids, through the ``maillage_actor_personal`` index; the numbers
#: kept (read by the store, and by a write transaction in :class:`_PersonReads`).
_PERSONS = "MATCH (a:Actor) WHERE a.personal_data = true RETURN a.data AS data ORDER BY a.id"
_PERSON_IDS = "MATCH (a:Actor) WHERE a.personal_data = true RETURN a.id AS id"
_NUMBERS = "MATCH (m:MaillageMeta {key: $key}) RETURN m.value AS v"


class _PersonReads:
    """The persons as the write transaction ``tx`` sees them (its own changes seen; other writers
    held off by the write lock it took): :class:`~maillage.graph.numbering.PersonReads`. The
    persons are found through the ``maillage_actor_personal`` index."""

    def __init__(self, tx):
        self.tx = tx

    def numbering(self) -> tuple[int, dict[str, int]] | None:
        rec = self.tx.run(_NUMBERS, key=PERSON_NUMBERS_KEY).single()
        return numbering_of(rec["v"]) if rec else None

    def person_ids(self) -> set[str]:
        return {r["id"] for r in self.tx.run(_PERSON_IDS)}

    def persons(self) -> list[ActorView]:
        return [ActorView.model_validate_json(r["data"]) for r in self.tx.run(_PERSONS)]

    def source_ids(self) -> list[str]:
        return [r["id"] for r in self.tx.run("MATCH (s:Source) RETURN s.id AS id ORDER BY s.loaded_order")]

    def statements_of(self, actor_ids: list[str]) -> dict[str, list[tuple[str, Actor]]]:
        out: dict[str, list[tuple[str, Actor]]] = {}
        for r in self.tx.run("UNWIND $ids AS id MATCH (st:Statement {actor_id: id}) "
                             "RETURN id, st.source_id AS sid, st.data AS data ORDER BY id, sid, st.key",
                             ids=sorted(set(actor_ids))):
            out.setdefault(r["id"], []).append((r["sid"], Actor.model_validate_json(r["data"])))
        return out

    def keep(self, last: int, numbers: dict[str, int]) -> None:
        # a :MaillageMeta node, as the schema version: no schema change (an earlier maillage ignores it)
        self.tx.run("MERGE (m:MaillageMeta {key: $key}) SET m.value = $v", key=PERSON_NUMBERS_KEY,
                    v=numbering_json(last, numbers)).consume()


class _Unswept(StoreError):
    """A run is saved under the id of a removed run whose metrics are not all deleted yet."""


class LoadInProgress(StoreError):
    """Another write of a source in several transactions holds the store (``stale``: it has
    been silent for longer than the lease, so its writer is taken for dead)."""

    def __init__(self, uri: str, source: str, wn: int, stale: bool, since: str, lease_s: float):
        self.source, self.wn, self.stale = source, wn, stale
        super().__init__(f"{uri}: source {source} is being written in several transactions (write {wn}, last "
                         f"active {since}); try again when it has finished — if its writer died, the first write "
                         f"after {lease_s:g} s of silence rolls it back")


def _setting(value: Any, env: str, default: Any, kind: type) -> Any:
    if value is not None:
        return kind(value)
    raw = os.environ.get(env)
    if raw in (None, ""):
        return default
    try:
        return kind(raw)
    except ValueError:
        raise StoreError(f"${env} = {raw!r}: expected a number") from None


_SCHEMA_READY: set[tuple[str, str | None]] = set()
_SCHEMA_LOCK = threading.Lock()

# The driver logs what it then raises (« Unable to retrieve routing information », « Transaction
# failed and will be retried »): without a handler Python printed those bare English lines on
# stderr before maillage's own message. Logging configured by the application still gets them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

#: Driver settings (Neo4j Python driver manual, "Driver configuration"): a TCP connection and Bolt
#: handshake that takes longer than this has failed (default 30 s).
CONNECTION_TIMEOUT_S = 5.0
#: How long a write keeps retrying transient errors (a leader switch, a lost connection): the
#: driver's default; a load may wait for the server to come back.
WRITE_RETRY_S = 30.0
#: How long a read keeps retrying: two or three attempts (1 s, then 2 s apart). Reads answer the
#: API: with the server gone, each request waited 33 s for its 503 with the driver's default.
READ_RETRY_S = 1.0
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def _why_unreachable(host: str, port: int) -> str:
    """Why nothing answers at ``host:port``, as a plain TCP connection finds it (the driver's
    routing error hides the cause): refused, unknown host, no answer, or not Bolt there."""
    try:
        socket.create_connection((host, port), timeout=CONNECTION_TIMEOUT_S).close()
    except socket.gaierror:
        return "unknown host"
    except ConnectionRefusedError:
        return "connection refused"
    except TimeoutError:
        return f"no answer within {CONNECTION_TIMEOUT_S:g} s"
    except OSError:
        return "network unreachable"
    return "the port answers, but not in Bolt with this scheme's encryption"


def unreachable_message(uri: str, host: str, port: int, scheme: str) -> str:
    """What to do when no Neo4j answers at ``uri``: start the local one (an address of this
    machine, without TLS: what ``make neo4j-start`` serves), or check the address."""
    why = _why_unreachable(host, port)
    if host in _LOCAL_HOSTS and "+s" not in scheme:
        make = "make neo4j-start" + (f" NEO4J_PORT={port}" if port != 7687 else "")  # its default port: 7687
        return f"{uri}: no Neo4j answers there ({why}); start the local one with `{make}`, or check the port"
    return (f"{uri}: no Neo4j answers there ({why}); check the host, the port (Bolt: 7687 by default) and the "
            "scheme (neo4j+s:// for Aura), and that the server runs and may be reached from this machine")


def auth_message(uri: str, user: str | None, given: bool) -> str:
    """A server that refuses the credentials, or that wants some and got none."""
    if not given:
        return (f"{uri}: this Neo4j asks for a user and password and none was given; set MAILLAGE_NEO4J_PASSWORD "
                "(and MAILLAGE_NEO4J_USER if the user is not neo4j)")
    return (f"{uri}: Neo4j refused user {user} and this password; check MAILLAGE_NEO4J_USER and "
            "MAILLAGE_NEO4J_PASSWORD (or the user:password@ part of the address)")


#: Neo4j's refusal of any login, the right password too, for a few seconds after wrong ones in a row
#: (« The client has provided incorrect authentication details too many times in a row. »)
AUTH_RATE_LIMIT = "Neo.ClientError.Security.AuthenticationRateLimit"


def auth_rate_limit_message(uri: str, user: str | None) -> str:
    """A server refusing every login for a while after wrong passwords (:data:`AUTH_RATE_LIMIT`):
    the password given may be right, it was not checked."""
    return (f"{uri}: Neo4j refuses logins of user {user or 'neo4j'} for a few seconds after several wrong passwords "
            "in a row (this password was not checked); wait a few seconds and retry")


def database_missing_message(uri: str, database: str) -> str:
    """``?database=NAME`` on a server without that database (Community has only one)."""
    return (f"{uri}: this Neo4j has no database {database!r}; Neo4j Community holds a single user database: leave "
            "out ?database= and give maillage a server of its own (another port), or on Enterprise create it "
            f"(CREATE DATABASE {database})")






def _territory_props(tid: str) -> dict[str, Any]:
    from maillage.geography import load_geography

    t = load_geography().get(tid)
    level = tid.split(":", 1)[0]
    return {"level": level, "name": t.name if t is not None and t.id == tid else None}


def _records(tx, query: str, params: dict[str, Any]) -> list[Any]:
    return list(tx.run(query, params))


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d is not None else None


def _relation_view(r: Any) -> RelationView:
    """A relation as a read returns it (``id``, ``src``, ``dst``, ``data``, ``sid``)."""
    d = orjson.loads(r["data"])
    prov = Provenance.model_validate({**d["provenance"], "source": r["sid"]})
    return RelationView(id=r["id"], type=d["type"], source=r["src"], target=r["dst"], fields=d["fields"],
                        start=d["start"], end=d["end"], provenance=prov)


def _touching(table: dict[str, list[RelationView]], ids: Iterable[str]) -> list[RelationView]:
    """The relations ``table`` (``{actor: relations touching it}``) holds for ``ids``, each once,
    by id: what ``relations(touching=ids)`` returns."""
    out = {r.id: r for i in ids for r in table.get(i, ())}
    return [out[k] for k in sorted(out)]


def _flat(value: Any) -> Any:
    """A relation field as a Neo4j property (scalars and lists of scalars), or None to skip."""
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


class Neo4jStore(Store):
    """Store in a Neo4j 5 database. ``uri``: ``bolt://host:port`` or ``neo4j://…`` (``+s`` for
    TLS, e.g. Aura's ``neo4j+s://…``); user and password from the URI
    (``bolt://user:pw@host``), the arguments or ``$MAILLAGE_NEO4J_USER``/``PASSWORD``; database
    from ``?database=NAME``, the argument or ``$MAILLAGE_NEO4J_DATABASE`` (default: the
    server's default database)."""

    def __init__(self, uri: str, user: str | None = None, password: str | None = None,
                 database: str | None = None, tx_rows: int | None = None, chunk_rows: int | None = None,
                 lease_s: float | None = None):
        try:
            import neo4j
        except ImportError:  # pragma: no cover (the driver is a dependency)
            raise StoreError("the Neo4j store needs the `neo4j` Python driver (pip install neo4j)") from None
        self._neo4j = neo4j
        parts = urlsplit(uri)
        if parts.scheme not in SCHEMES:
            raise StoreError(f"{uri}: not a Neo4j URI (expected one of {', '.join(s + '://' for s in SCHEMES)})")
        if parts.username:
            user = user or unquote(parts.username)
        if parts.password:
            password = password if password is not None else unquote(parts.password)
        host = parts.hostname or "localhost"
        port = parts.port or 7687
        query = parse_qs(parts.query)
        self.database = (database or (query.get("database") or [None])[0] or parts.path.strip("/") or
                         os.environ.get("MAILLAGE_NEO4J_DATABASE") or None)
        address = f"{parts.scheme}://{host}:{port}"
        self.uri = address + (f"/{self.database}" if self.database else "")  # never the password
        self._where = (host, port, parts.scheme)
        auth = driver_auth(user, password)
        self._auth_user = auth[0] if auth else None
        self._driver = neo4j.GraphDatabase.driver(
            address, auth=auth, connection_timeout=CONNECTION_TIMEOUT_S, max_transaction_retry_time=WRITE_RETRY_S,
            # "property key does not exist" on an empty database is no news
            notifications_disabled_classifications=["UNRECOGNIZED"])
        try:
            self._driver.verify_connectivity()
        except (neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError, OSError) as e:
            self._driver.close()
            raise StoreError(self._failure(e) or f"{self.uri}: {e}") from None
        self.last_write: dict[str, Any] = {}
        self._scope = threading.local()  # reading(): the actors held by this thread
        self.reads = 0  # read round trips so far (what a test of the number of queries counts)
        # sizes of a chunked write (neo4j_chunks): arguments, else $MAILLAGE_NEO4J_TX_ROWS / _CHUNK_ROWS / _LEASE_S
        self.tx_rows = _setting(tx_rows, "MAILLAGE_NEO4J_TX_ROWS", TX_ROWS, int)
        self.chunk_rows = max(1, _setting(chunk_rows, "MAILLAGE_NEO4J_CHUNK_ROWS", CHUNK_ROWS, int))
        self.lease_s = _setting(lease_s, "MAILLAGE_NEO4J_LEASE_S", LEASE_S, float)
        self.recovered: list[dict[str, Any]] = []  # interrupted chunked writes this store rolled back
        #: called with the count after each committed transaction of a run removal's metrics
        #: (the tests cut a removal short there)
        self.after_metric_batch: Callable[[int], None] | None = None
        self._ensure_schema()

    # -- plumbing ------------------------------------------------------------------------------
    def _failure(self, e: Exception) -> str | None:
        """What to do about a driver error met on connecting (no server, credentials, no such
        database); None for any other error."""
        neo4j = self._neo4j
        if getattr(e, "code", None) == AUTH_RATE_LIMIT:
            return auth_rate_limit_message(self.uri, self._auth_user)
        if isinstance(e, neo4j.exceptions.AuthError) or getattr(e, "code", None) == "Neo.ClientError.Security.Unauthorized":
            return auth_message(self.uri, self._auth_user, self._auth_user is not None)
        if getattr(e, "code", None) == "Neo.ClientError.Database.DatabaseNotFound":
            return database_missing_message(self.uri, self.database or "neo4j")
        if isinstance(e, (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, OSError)):
            return unreachable_message(self.uri, *self._where)
        return None

    def _ensure_schema(self) -> None:
        """Create the constraints and indexes the database lacks, then check (or record) the
        schema version. Each open of a command paid 51 round trips (every ``CREATE … IF NOT
        EXISTS``, then a wait and a write): the indexes already there, it is two reads."""
        key = (self.uri, self.database)
        neo4j = self._neo4j
        with _SCHEMA_LOCK:
            if key not in _SCHEMA_READY:
                try:
                    with self._driver.session(database=self.database) as s:
                        try:  # the backing index of a constraint has the constraint's name
                            have = {r["name"]: r["state"] for r in s.run("SHOW INDEXES YIELD name, state")}
                        except neo4j.exceptions.ClientError:  # not allowed to list them: create them all
                            have = {}
                        todo = [q for q in _schema_statements() if q.split()[2] not in have]
                        for q in todo:
                            s.run(q).consume()
                        if todo or any(state != "ONLINE" for name, state in have.items()
                                       if name.startswith("maillage_")):
                            s.run("CALL db.awaitIndexes(300)").consume()
                except (neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError) as e:
                    failure = self._failure(e)
                    if failure is None:
                        raise
                    self._driver.close()
                    raise StoreError(failure) from None
                _SCHEMA_READY.add(key)
        version = "MATCH (m:MaillageMeta {key: 'schema_version'}) RETURN m.value AS v"
        rec = next(iter(self._read(version)), None)
        if rec is None:  # a new (or emptied) database
            rec = self._write(lambda tx: tx.run(
                "MERGE (m:MaillageMeta {key: 'schema_version'}) ON CREATE SET m.value = $v RETURN m.value AS v",
                v=SCHEMA_VERSION).single())
        if int(rec["v"]) != SCHEMA_VERSION:
            raise StoreError(f"{self.uri} has schema version {rec['v']}; this maillage reads {SCHEMA_VERSION}")

    def _write(self, work, *args: Any, recover: bool = True) -> Any:
        """Run ``work(tx, *args)`` in one managed write transaction (retried on transient errors).
        A chunked write found dead (silent for longer than the lease) is rolled back first."""
        neo4j = self._neo4j
        if getattr(self._scope, "on", False):
            self._drop_held()  # what this write changes is read again
        try:
            with self._driver.session(database=self.database) as s:
                return s.execute_write(work, *args)
        except LoadInProgress as e:
            if e.stale and recover:
                from .neo4j_chunks import recover_interrupted

                recover_interrupted(self)
                return self._write(work, *args, recover=False)
            raise
        except StoreError:
            raise
        except neo4j.exceptions.Neo4jError as e:
            failure = self._failure(e)
            if failure is not None:  # a transaction that could not start wrote nothing
                raise StoreError(failure) from e
            hint = ""
            if "MemoryPoolOutOfMemoryError" in (e.code or ""):
                hint = (f" — this transaction needs more memory than the server allows: lower the rows written per "
                        f"transaction (MAILLAGE_NEO4J_TX_ROWS, now {self.tx_rows:,}, above which a source is "
                        f"chunked; MAILLAGE_NEO4J_CHUNK_ROWS, now {self.chunk_rows:,}) or raise the server's heap "
                        "(server.memory.heap.max_size; dbms.memory.transaction.total.max defaults to 70 % of it) "
                        "— docs/neo4j.md, \"Large sources\"")
            raise StoreError(f"{self.uri}: {e.code}: {e.message}; nothing was written{hint}") from e
        except neo4j.exceptions.DriverError as e:
            raise StoreError(self._failure(e) or f"{self.uri}: {e}; nothing was written") from e

    def _read(self, query: str, **params: Any) -> list[Any]:
        """The records of a read, in a read transaction retried for :data:`READ_RETRY_S` only
        (what ``execute_query`` does, with the driver's 30 s of retries for writes)."""
        neo4j = self._neo4j
        self.reads += 1
        try:
            with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS,
                                      max_transaction_retry_time=READ_RETRY_S,
                                      bookmark_manager=self._driver.execute_query_bookmark_manager) as s:
                return s.execute_read(_records, query, params)
        except neo4j.exceptions.Neo4jError as e:
            raise StoreError(self._failure(e) or f"{self.uri}: {e.code}: {e.message}") from e
        except neo4j.exceptions.DriverError as e:
            raise StoreError(self._failure(e) or f"{self.uri}: {e}") from e

    def run_cypher(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Run a read-only Cypher query with parameters (e.g. one of :mod:`maillage.queries`);
        rows as dicts. Writes are refused by the read transaction."""
        return [dict(r) for r in self._read(query, **params)]

    def _lock(self, tx, own: int | None = None) -> int:
        """Take the write lock (serialises writers) and return this write's number. Refused
        while a chunked write is pending, unless ``own`` is its number (then its heartbeat is
        renewed); :class:`LoadInProgress` says whether that write looks dead."""
        rec = tx.run(_LOCK, own=own, lease=int(self.lease_s * 1000)).single()
        if rec["pending"] is not None and rec["pending"] != own:
            raise LoadInProgress(self.uri, rec["source"], rec["pending"], bool(rec["stale"]), rec["since"],
                                 self.lease_s)
        if own is not None and rec["pending"] != own:
            raise StoreError(f"{self.uri}: the write of source in several transactions (write {own}) was taken over "
                             "and rolled back by another writer after its lease expired")
        return rec["n"]

    @staticmethod
    def _batches(tx, query: str, rows: Sequence[Any], *, tally: tuple[int, int] | None = None,
                 **params: Any) -> None:
        """Run ``query`` over ``rows``, ``BATCH`` at a time. With ``tally=(done before, total)``,
        each batch sent is reported as ``write`` progress (:func:`maillage.runtime.report`)."""
        done = tally[0] if tally else 0
        for chunk in chunks(rows, BATCH):
            tx.run(query, rows=list(chunk), **params).consume()
            if tally:
                done += len(chunk)
                report("write", done, tally[1])

    def close(self) -> None:
        self._driver.close()

    def clear(self) -> None:
        """Delete every node and relationship of the database (constraints stay). For tests and
        benchmarks on a database of their own."""
        self._drop_held()
        with self._driver.session(database=self.database) as s:  # auto-commit: IN TRANSACTIONS needs it
            s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()

    # -- writes --------------------------------------------------------------------------------
    def replace_source(self, batch: ResolvedBatch) -> WriteSummary:
        src = batch.source
        sid = src.id
        summary = WriteSummary(source=sid, statements=len(batch.statements), relations=len(batch.relations))
        loaded_at = src.loaded_at or datetime.now(timezone.utc)
        stmt_rows, name_rows, ident_rows = [], [], []
        fresh: dict[str, list[tuple[str, str, Actor, str]]] = defaultdict(list)
        for i, st in enumerate(batch.statements):
            a = st.actor
            if a.provenance.loaded_at is None:
                a.provenance.loaded_at = loaded_at
            stmt_rows.append({"source_id": sid, "key": a.key, "actor_id": st.actor_id,
                              "data": a.model_dump_json(exclude_defaults=True), "rule": st.rule,
                              "score": float(st.score), "matched": st.matched, "name": a.name, "family": a.family,
                              "ord": i})
            for x in dict.fromkeys((a.name, *a.aliases)):
                n = name_key(x)
                if n:
                    name_rows.append({"key": n, "core": core_key(x, a.family), "name": x, "actor_id": st.actor_id,
                                      "source_id": sid, "stmt_key": a.key})
            for ident in a.identifiers:
                ident_rows.append({"scheme": ident.scheme, "value": ident.value, "actor_id": st.actor_id,
                                   "source_id": sid, "stmt_key": a.key})
                if ident.scheme == "siret":
                    ident_rows.append({"scheme": "siren", "value": ident.value[:9], "actor_id": st.actor_id,
                                       "source_id": sid, "stmt_key": a.key})
            fresh[st.actor_id].append((sid, a.key, a, st.rule))
        rel_rows = []
        for rr, rid, data in batch.distinct_relations(loaded_at):
            r, p = rr.relation, rr.relation.provenance
            props = {k: f for k, v in r.fields.items() if k not in _RESERVED and (f := _flat(v)) is not None}
            props.update({"id": rid, "source": sid, "locator": p.locator, "document": p.document, "quote": p.quote,
                          "certainty": p.certainty, "loaded_at": _iso(p.loaded_at), "start": r.start, "end": r.end,
                          "y0": year_of(r.start), "y1": year_of(r.end), "data": orjson.dumps(data).decode()})
            rel_rows.append({"type": TYPES[r.type], "a": rr.source_id, "b": rr.target_id,
                             "props": {k: v for k, v in props.items() if v is not None}})
        prop_rows = [{"source_id": sid, "key": p.key, "candidate_id": p.candidate_id, "score": float(p.score),
                      "reason": p.reason, "ord": i} for i, p in enumerate(batch.proposals)]
        source_props = {"data": src.model_dump_json(exclude_none=True), "uri": src.uri, "sha256": src.sha256,
                        "format": src.format, "title": src.title, "kind": src.kind, "loaded_at": _iso(src.loaded_at)}
        self.last_write = {"source": sid, "statements": len(stmt_rows), "names": len(name_rows),
                           "identifiers": len(ident_rows), "relations": len(rel_rows), "proposals": len(prop_rows),
                           "transactions": 1}
        if len(stmt_rows) + len(name_rows) + len(ident_rows) + len(rel_rows) > self.tx_rows:
            from .neo4j_chunks import Rows, write_chunked

            created, gone, touched = write_chunked(self, Rows(sid, stmt_rows, name_rows, ident_rows, rel_rows,
                                                              prop_rows, source_props, fresh,
                                                              total=len(batch.relations), joins=batch.joins))
            summary.actors_created, summary.actors_removed, summary.actors_touched = created, len(gone), touched
            self.last_write["actors_touched"] = touched
            return summary

        def work(tx) -> tuple[int, list[str], int]:
            wn = self._lock(tx)
            numbers = NumberKeeping(_PersonReads(tx))  # the persons' numbers, kept in this transaction
            rec = _source_order(tx, sid)
            order = rec["order"]
            before = set() if rec["mine"] is None else {r["aid"] for r in tx.run(
                "MATCH (st:Statement {source_id: $sid}) USING INDEX SEEK st:Statement(source_id) "
                "RETURN DISTINCT st.actor_id AS aid", sid=sid)}
            tx.run("MERGE (s:Source {id: $sid}) SET s += $props, s.loaded_order = $order",
                   sid=sid, props=source_props, order=order).consume()
            # Every node lookup (an index seek per row) comes before the first node is deleted: once
            # a transaction has deleted nodes, each index seek in it costs in proportion to them
            # (docs/neo4j.md, « Reloading a source »). So the old version's statements, names,
            # identifiers and proposals that go, and the actors it no longer describes, are deleted
            # last (relationships may go earlier: deleting them slows no seek).
            # A reload mostly rewrites what is there: update in place, delete and create only the
            # difference (deleting and re-creating every relationship of a big source in one
            # transaction is what Neo4j does slowest).
            if rec["mine"] is None:  # a new source: nothing of it to compare with
                for label, rows in (("Statement", stmt_rows), ("Name", name_rows), ("Ident", ident_rows)):
                    self._batches(tx, f"UNWIND $rows AS row CREATE (n:{label}) SET n = row", rows)
                rel_update, rel_create, going = [], rel_rows, []
            else:
                going = [r["eid"] for r in tx.run("MATCH (p:Proposal {source_id: $sid}) USING INDEX SEEK "
                                                  "p:Proposal(source_id) RETURN elementId(p) AS eid", sid=sid)]
                going += self._sync_rows(tx, "Name", sid, name_rows, ("key", "core", "name", "actor_id", "stmt_key"))
                going += self._sync_rows(tx, "Ident", sid, ident_rows, ("scheme", "value", "actor_id", "stmt_key"))
                self._batches(tx, "UNWIND $rows AS row MERGE (st:Statement {source_id: row.source_id, key: row.key}) "
                                  "SET st = row", stmt_rows)
                rel_update, rel_create = self._plan_relations(tx, sid, rel_rows)  # deletes the relationships that go
            self._batches(tx, "UNWIND $rows AS row CREATE (p:Proposal) SET p = row, p.wn = $wn", prop_rows, wn=wn)
            touched = before | set(fresh) | self._join_actors(tx, sid, batch.joins)
            orphans: list[str] = []  # territories the refresh unlinked: dropped, if left alone, after the lookups
            created, gone = self._refresh_actors(tx, touched, fresh=fresh, fresh_source=sid, orphans=orphans)
            ends = {e for r in rel_rows for e in (r["a"], r["b"])} - set(fresh)
            if ends:
                found = {r["id"] for r in tx.run("UNWIND $ids AS id MATCH (a:Actor {id: id}) USING INDEX SEEK "
                                                 "a:Actor(id) RETURN a.id AS id", ids=sorted(ends))} - set(gone)
                if ends - found:
                    raise StoreError(f"source {sid}: relations point at unknown actors {sorted(ends - found)[:3]}; "
                                     "nothing was written")
            total = len(batch.relations)  # the ties, as the SQLite store counts them
            self._create_relations(tx, rel_create, tally=(0, total))
            self._batches(tx, _BY_ELEMENT_ID + "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.eid "
                              "SET r = row.props", rel_update, tally=(len(rel_create), total))
            bad = self._relations_touching(tx, gone)
            if bad:
                raise StoreError(f"reloading {sid} would leave {bad} relations of other sources pointing at "
                                 "actors it no longer describes; nothing was written")
            gone_eids = self._actor_element_ids(tx, gone)
            # the deletions of nodes, last
            if rec["mine"] is not None:
                tx.run("MATCH (st:Statement {source_id: $sid}) USING INDEX SEEK st:Statement(source_id) "
                       "WHERE NOT st.key IN $keys DELETE st", sid=sid, keys=[r["key"] for r in stmt_rows]).consume()
            tx.run("MATCH (r:RetiredLog {source: $sid}) DELETE r", sid=sid).consume()
            # their territory links went in the refresh; only the relations of this source's old version were left
            self._delete_nodes(tx, going + gone_eids)
            _drop_orphan_territories(tx, orphans)
            numbers.done(touched)  # a person joined into another takes its number, its own left unused
            return created, gone, len(touched)

        created, gone, touched = self._write(work)
        summary.actors_created, summary.actors_removed, summary.actors_touched = created, len(gone), touched
        self.last_write["actors_touched"] = touched
        return summary

    def _sync_rows(self, tx, label: str, sid: str, rows: list[dict[str, Any]], fields: tuple[str, ...]) -> list[str]:
        """Make the ``label`` nodes of source ``sid`` the multiset ``rows`` (compared on ``fields``):
        creates the missing ones, returns the element ids of those that go (the caller deletes them
        after its lookups)."""
        existing: dict[tuple, list[str]] = defaultdict(list)
        values = ", ".join(f"n.{f}" for f in fields)  # fixed field names
        # one record (a list of short rows): the driver's cost per record was most of this read
        for eid, *v in tx.run(f"MATCH (n:{label} {{source_id: $sid}}) USING INDEX SEEK n:{label}(source_id) "
                              f"RETURN collect([elementId(n), {values}]) AS rows", sid=sid).single()["rows"]:
            existing[tuple(v)].append(eid)
        create = []
        for row in rows:
            held = existing.get(tuple(row[f] for f in fields))
            if held:
                held.pop()
            else:
                create.append(row)
        self._batches(tx, f"UNWIND $rows AS row CREATE (n:{label}) SET n = row", create)
        return [e for eids in existing.values() for e in eids]

    def _plan_relations(self, tx, sid: str, rows: list[dict[str, Any]]) -> tuple[list[dict], list[dict]]:
        """Delete the source's relationships that go or change ends; return ``(update, create)``:
        the ones kept (same id, type and ends: their properties are rewritten) and the new ones."""
        new = {row["props"]["id"]: row for row in rows}
        update, delete = [], []
        kept: set[str] = set()
        for r in tx.run(_SOURCE_RELATIONS + " RETURN r.id AS id, elementId(r) AS eid, type(r) AS t, "
                        "startNode(r).id AS a, endNode(r).id AS b, r.data AS data", sid=sid):
            row = new.get(r["id"])
            if row is not None and (row["type"], row["a"], row["b"]) == (r["t"], r["a"], r["b"]):
                kept.add(r["id"])
                if row["props"]["data"] != r["data"]:  # every property derives from `data`
                    update.append({"eid": r["eid"], "props": row["props"]})
            else:
                delete.append(r["eid"])
        self._batches(tx, _BY_ELEMENT_ID + "UNWIND $rows AS eid MATCH ()-[r]->() WHERE elementId(r) = eid DELETE r",
                      delete)
        return update, [row for rid, row in new.items() if rid not in kept]

    @staticmethod
    def _actor_element_ids(tx, actor_ids: Sequence[str]) -> list[str]:
        """The element ids of the actors ``actor_ids``: looked up before a node is deleted, to
        delete them with :meth:`_delete_nodes`."""
        return [r["eid"] for r in tx.run("UNWIND $ids AS id MATCH (a:Actor {id: id}) USING INDEX SEEK a:Actor(id) "
                                         "RETURN elementId(a) AS eid", ids=list(actor_ids))] if actor_ids else []

    @staticmethod
    def _delete_nodes(tx, eids: Sequence[str]) -> None:
        """Delete the nodes of element ids ``eids`` with their relationships: no index seek, so
        as cheap after other deletions in the transaction as before."""
        Neo4jStore._batches(tx, _BY_ELEMENT_ID + "UNWIND $rows AS eid MATCH (n) WHERE elementId(n) = eid "
                                "DETACH DELETE n", list(eids))

    @staticmethod
    def _create_relations(tx, rows: Sequence[dict[str, Any]], tally: tuple[int, int] | None = None) -> None:
        """Create the relationships ``rows`` (``type``, ends ``a`` and ``b``, ``props``) between stored actors."""
        Neo4jStore._batches(tx, "UNWIND $rows AS row MATCH (a:Actor {id: row.a}) USING INDEX SEEK a:Actor(id) "
                                "MATCH (b:Actor {id: row.b}) USING INDEX SEEK b:Actor(id) "
                                "CREATE (a)-[r:$(row.type)]->(b) SET r = row.props", rows, tally=tally)

    @staticmethod
    def _delete_source_rows(tx, sid: str) -> None:
        for label in ("Statement", "Name", "Ident", "Proposal"):
            # fixed labels; the source id is a parameter
            tx.run(f"MATCH (n:{label} {{source_id: $sid}}) USING INDEX SEEK n:{label}(source_id) DELETE n",
                   sid=sid).consume()
        tx.run(_SOURCE_RELATIONS + " DELETE r", sid=sid).consume()

    @staticmethod
    def _relations_touching(tx, actor_ids: Sequence[str], besides: str | None = None) -> int:
        """The relations between actors that touch ``actor_ids``; ``besides``: of sources other than it.
        ``USING INDEX SEEK``: left to itself, the planner sometimes scanned the whole index once per
        actor (13 million index entries for Paris's subsidies), as in the other lookups by id here."""
        if not actor_ids:
            return 0
        return tx.run("UNWIND $ids AS id MATCH (a:Actor {id: id})-[r]-(:Actor) USING INDEX SEEK a:Actor(id) "
                      "WHERE type(r) IN $types AND ($besides IS NULL OR r.source <> $besides) "
                      "RETURN count(DISTINCT r) AS n",
                      ids=list(actor_ids), types=list(TYPES.values()), besides=besides).single()["n"]

    def _delete_actors(self, tx, actor_ids: Sequence[str]) -> None:
        """Delete the actors ``actor_ids``, only territory links left on them (the caller checked
        their relations), then the territories they were linked to that are left alone — each
        by its id (``USING INDEX SEEK``), not a scan of every territory. No ``replan``: planning
        anew at each run cost more than these few seeks."""
        territories: set[str] = set()
        for chunk in chunks(list(actor_ids), BATCH):
            territories.update(t for r in tx.run(
                "UNWIND $ids AS id MATCH (a:Actor {id: id}) USING INDEX SEEK a:Actor(id) "
                "WITH a, COLLECT { MATCH (a)-->(t:Territory) RETURN t.id } AS tids DETACH DELETE a RETURN tids",
                ids=list(chunk)) for t in r["tids"])
        if territories:
            tx.run("UNWIND $ids AS id MATCH (t:Territory {id: id}) USING INDEX SEEK t:Territory(id) "
                   "WHERE NOT EXISTS { (t)--() } DELETE t", ids=sorted(territories)).consume()

    def _refresh_actors(self, tx, actor_ids: set[str],
                        fresh: dict[str, list[tuple[str, str, Actor, str]]] | None = None,
                        fresh_source: str | None = None, orphans: list[str] | None = None) -> tuple[int, list[str]]:
        """Recompute the canonical actors in ``actor_ids`` from their statements (as the
        embedded store does); returns the number created and the ids that lost every
        statement (the caller checks and deletes them). The territories it unlinks are dropped
        if left alone, last — or, with ``orphans``, their element ids added to it, for the
        caller to drop after its own lookups (:func:`_drop_orphan_territories`)."""
        ids = sorted(actor_ids)
        existing: dict[str, str] = {}  # id → data of the stored actor
        grouped: dict[str, list[tuple[str, str, Actor, str]]] = defaultdict(list)
        skip = fresh_source if fresh is not None else None
        for chunk in chunks(ids, BATCH):
            existing.update((r["id"], r["data"]) for r in tx.run(
                "UNWIND $ids AS id MATCH (a:Actor {id: id}) USING INDEX SEEK a:Actor(id) RETURN a.id AS id, "
                "a.data AS data", ids=list(chunk)))
            for r in tx.run("UNWIND $ids AS id MATCH (st:Statement {actor_id: id}) "
                            "USING INDEX SEEK st:Statement(actor_id) "
                            "WHERE $skip IS NULL OR st.source_id <> $skip "
                            "RETURN st.actor_id AS aid, st.source_id AS sid, st.key AS key, st.data AS data, "
                            "st.rule AS rule", ids=list(chunk), skip=skip):
                grouped[r["aid"]].append((r["sid"], r["key"], Actor.model_validate_json(r["data"]), r["rule"]))
        for aid, stmts in (fresh or {}).items():
            grouped[aid].extend(stmts)
        gone = [aid for aid in ids if aid not in grouped and aid in existing]
        actor_rows, terr_rows = [], []
        for aid in sorted(grouped):
            ordered = sorted(grouped[aid], key=lambda s: (s[0], s[1]))
            view = merge_resolved(aid, [(sid, a, rule) for sid, _, a, rule in ordered])
            data = view.model_dump_json()
            if existing.get(aid) != data:
                actor_rows.append({"id": aid, "label": LABELS[view.family], "props": {
                    "name": view.name, "name_nocase": view.name.translate(_ASCII_LOWER),
                    "search": " ".join(sorted({fold(n) for n in (view.name, *view.aliases)})),
                    "aliases": view.aliases, "family": view.family, "kind": view.kind, "location": view.location,
                    "territory": view.territory, "personal_data": view.personal_data,
                    "placeholder": view.placeholder, "identifiers": [f"{i.scheme}:{i.value}" for i in view.identifiers],
                    "sources": view.sources, "data": data}})
            links: dict[str, str] = {}
            for t in territory_rollup(view.location):
                links.setdefault(t, "location")
            if view.territory and view.territory != view.location:
                for t in territory_rollup(view.territory):
                    links.setdefault(t, "territory")
            terr_rows.extend({"a": aid, "t": t, "via": via} for t, via in links.items())
            if view.territory:
                terr_rows.append({"a": aid, "t": view.territory, "via": "governs"})
        # territory links: delete those that go, create those that come
        wanted = {(r["a"], r["t"], r["via"]) for r in terr_rows}
        stale = []
        for chunk in chunks(ids, BATCH):
            for r in tx.run(f"UNWIND $ids AS id MATCH (a:Actor {{id: id}})-[l:{LOCATED_IN}|{GOVERNS_TERRITORY}]->(t) "
                            f"USING INDEX SEEK a:Actor(id) "
                            f"RETURN id, t.id AS t, coalesce(l.via, 'governs') AS via, elementId(l) AS eid, "
                            f"elementId(t) AS teid", ids=list(chunk)):
                key = (r["id"], r["t"], r["via"])
                if key in wanted:
                    wanted.discard(key)
                else:
                    stale.append((r["eid"], r["teid"]))
        self._batches(tx, _BY_ELEMENT_ID + "UNWIND $rows AS eid MATCH ()-[l]->() WHERE elementId(l) = eid "
                          "DELETE l", [e for e, _ in stale])
        terr_rows = [{**r, **_territory_props(r["t"])} for r in terr_rows if (r["a"], r["t"], r["via"]) in wanted]
        self._batches(tx, "UNWIND $rows AS row MERGE (a:Actor {id: row.id}) SET a += row.props "
                          "WITH a, row REMOVE a:$($families) SET a:$(row.label)", actor_rows,
                      families=sorted(set(LABELS.values())))
        self._batches(tx, "UNWIND $rows AS row MATCH (a:Actor {id: row.a}) "
                          "MERGE (t:Territory {id: row.t}) ON CREATE SET t.level = row.level, t.name = row.name "
                          "WITH a, t, row CREATE (a)-[l:$(CASE row.via WHEN 'governs' THEN $gov ELSE $loc END)]->(t) "
                          "SET l.via = CASE row.via WHEN 'governs' THEN null ELSE row.via END",
                      terr_rows, gov=GOVERNS_TERRITORY, loc=LOCATED_IN)
        # last: no actor is looked up by id after a node is deleted (remove_source)
        if orphans is None:
            _drop_orphan_territories(tx, (t for _, t in stale))
        else:
            orphans.extend(t for _, t in stale)
        return len(set(grouped) - set(existing)), gone

    def _remove_source(self, source_id: str) -> WriteSummary:
        if self._source_rows(source_id) > self.tx_rows:
            from .neo4j_chunks import remove_chunked

            return remove_chunked(self, source_id)

        def work(tx) -> tuple[list[str], int]:
            self._lock(tx)
            numbers = NumberKeeping(_PersonReads(tx))
            before = {r["aid"] for r in tx.run("MATCH (st:Statement {source_id: $sid}) USING INDEX SEEK "
                                               "st:Statement(source_id) RETURN DISTINCT st.actor_id AS aid",
                                               sid=source_id)}
            # Every actor is looked up by its id (an index seek: `USING INDEX SEEK`) before a node
            # is deleted: once a transaction has deleted nodes, each index seek in it costs in
            # proportion to them (docs/benchmarks.md, « Removing a source »). The actors are
            # recomputed without the source's statements (left out as a reload leaves out its old
            # ones); the source's rows, then its own actors (by element id), are deleted afterwards.
            # the joins its statements made, undone first (statements moved back, their actors made again)
            undone, back = self._split_joins(tx, self._join_records(tx, source_id=source_id))
            touched = before | {a for pair in undone for a in pair}
            gone = self._its_own_actors(tx, source_id, before)
            self._refresh_actors(tx, touched, fresh={}, fresh_source=source_id)
            self._delete_source_rows(tx, source_id)
            tx.run("MATCH (s:Source {id: $sid}) DELETE s", sid=source_id).consume()
            # their territory links went in the refresh, their relations with the source's
            self._batches(tx, _BY_ELEMENT_ID + "UNWIND $rows AS eid MATCH (a) WHERE elementId(a) = eid "
                              "DETACH DELETE a", list(gone.values()))
            numbers.restore(back)  # a person split off takes back its number
            numbers.done(touched)  # the others keep their numbers; the source's own persons leave theirs unused
            return list(gone), len(touched), undone

        gone, touched, undone = self._write(work)
        return WriteSummary(source=source_id, actors_removed=len(gone), actors_touched=touched, joins_undone=undone)

    @staticmethod
    def _join_records(tx, source_id: str | None = None, into: str | None = None) -> list[dict[str, Any]]:
        """The joins recorded (``:JoinRecord``) for a source's statements, or into an actor, latest
        first: ``{eid, actor_id, into, data}``. One key at a time, by its index (a ``$x IS NULL OR``
        predicate is planned as a scan of every record)."""
        if (source_id is None) == (into is None):
            raise ValueError("join records are read by source or by actor, one of them")
        seek = ("USING INDEX j:JoinRecord(source_id) WHERE j.source_id = $v" if into is None else
                "USING INDEX j:JoinRecord(into) WHERE j.into = $v")
        return [dict(r) for r in tx.run(
            f"MATCH (j:JoinRecord) {seek} "
            "RETURN elementId(j) AS eid, j.actor_id AS actor_id, j.into AS into, j.data AS data "
            "ORDER BY j.wn DESC, j.ord DESC", v=into if source_id is None else source_id)]

    def _split_joins(self, tx, records: Sequence[dict[str, Any]]) -> tuple[list[tuple[str, str]], dict[str, int]]:
        """Undo the joins ``records`` (:meth:`_join_records`, in the order given), as the embedded
        store does (``SQLiteStore._split_joins``): the statements each moved that are still in its
        actor by it go back, their actor made again, their ties and proposals follow; the records go.
        Returns the pairs split ``(actor id, into)`` and the persons' numbers to give back."""
        undone: list[tuple[str, str]] = []
        back: dict[str, int] = {}
        for rec in records:
            x, into, d = rec["actor_id"], rec["into"], orjson.loads(rec["data"])
            now = {(r["sid"], r["key"]): (into, r["rule"], r["matched"]) for r in tx.run(
                "MATCH (st:Statement {actor_id: $into}) RETURN st.source_id AS sid, st.key AS key, st.rule AS rule, "
                "st.matched AS matched", into=into)}
            moving = join_to_split(d, into, now)
            tx.run("MATCH (j) WHERE elementId(j) = $eid DELETE j", eid=rec["eid"]).consume()
            if not moving:
                continue
            self._move_statements(tx, moving, x)
            self._refresh_actors(tx, {x, into})
            self._repoint(tx, {(sid, k) for sid, k, *_ in moving}, into, x)
            self._batches(tx, "UNWIND $rows AS row MATCH (p:Proposal {source_id: row[0], key: row[1], "
                              "candidate_id: $into}) SET p.candidate_id = $x", d["proposals"], into=into, x=x)
            undone.append((x, into))
            if d.get("number"):
                back[x] = d["number"]
        return undone, back

    @staticmethod
    def _its_own_actors(tx, source_id: str, actor_ids: Iterable[str]) -> dict[str, str]:
        """The actors among ``actor_ids`` that no other source states, which go with ``source_id``
        (id → element id); :class:`StoreError` if a relation of another source touches one."""
        ids = sorted(actor_ids)
        kept = {r["id"] for r in tx.run("UNWIND $ids AS id MATCH (st:Statement {actor_id: id}) "
                                        "USING INDEX SEEK st:Statement(actor_id) WHERE st.source_id <> $sid "
                                        "RETURN DISTINCT id", ids=ids, sid=source_id)}
        gone = [i for i in ids if i not in kept]
        foreign = Neo4jStore._relations_touching(tx, gone, besides=source_id)
        if foreign:
            raise StoreError(f"removing {source_id} would leave {foreign} relations of other sources "
                             "pointing at actors only it described; nothing was changed")
        return {r["id"]: r["eid"] for r in tx.run("UNWIND $ids AS id MATCH (a:Actor {id: id}) USING INDEX SEEK "
                                                  "a:Actor(id) RETURN id, elementId(a) AS eid ORDER BY id", ids=gone)}

    def _source_rows(self, source_id: str) -> int:
        """Rows a source holds (statements, names, identifiers, relations): what decides
        whether removing it fits in one transaction."""
        n = self._read("CALL () { MATCH (n:Statement {source_id: $sid}) USING INDEX SEEK n:Statement(source_id) "
                       "RETURN count(n) AS a } "
                       "CALL () { MATCH (n:Name {source_id: $sid}) USING INDEX SEEK n:Name(source_id) "
                       "RETURN count(n) AS b } "
                       "CALL () { MATCH (n:Ident {source_id: $sid}) USING INDEX SEEK n:Ident(source_id) "
                       "RETURN count(n) AS c } "
                       "CALL () { " + _SOURCE_RELATIONS + " RETURN count(r) AS d } RETURN a + b + c + d AS n",
                       sid=source_id)
        return n[0]["n"]

    def _join_actors(self, tx, sid: str, joins: Sequence[Join]) -> set[str]:
        """The batch's joins (:class:`~maillage.graph.store.Join`): the other sources' statements of
        each joined actor move into the one it joins (rule ``joined``), every tie and proposal naming
        it follows. Returns the actors touched (the caller refreshes them and deletes the joined)."""
        touched: set[str] = set()
        if not joins:
            return touched
        kept = (_PersonReads(tx).numbering() or (0, {}))[1]
        wn = tx.run("MATCH (l:MaillageLock {id: 'write'}) RETURN l.n AS n").single()["n"]
        for i, j in enumerate(joins):
            was = [(r["sid"], r["key"], r["rule"], r["score"], r["matched"]) for r in tx.run(
                "MATCH (st:Statement {actor_id: $x}) WHERE st.source_id <> $sid RETURN st.source_id AS sid, "
                "st.key AS key, st.rule AS rule, st.score AS score, st.matched AS matched ORDER BY sid, key",
                x=j.actor_id, sid=sid)]
            self._move_statements(tx, [(s, k, "joined", j.score, j.matched) for s, k, *_ in was], j.into)
            self._repoint(tx, None, j.actor_id, j.into)
            proposals = [(r["sid"], r["key"]) for r in tx.run(
                "MATCH (p:Proposal {candidate_id: $x}) USING INDEX p:Proposal(candidate_id) WHERE p.source_id <> $sid "
                "RETURN p.source_id AS sid, p.key AS key ORDER BY sid, key", x=j.actor_id, sid=sid)]
            tx.run(_CANDIDATE_FOLLOWS, x=j.actor_id, into=j.into).consume()
            # what undoing it puts back (Store.remove_source, Store.undo_join)
            tx.run("CREATE (:JoinRecord {wn: $wn, ord: $ord, source_id: $sid, actor_id: $x, into: $into, data: $data})",
                   wn=wn, ord=i, sid=sid, x=j.actor_id, into=j.into,
                   data=join_data(j, was, proposals, kept.get(j.actor_id))).consume()
            touched |= {j.actor_id, j.into}
        return touched

    def _settle(self, tx, touched: set[str], doing: str) -> None:
        """The actors ``touched`` recomputed, those left with no statement deleted — refused
        (:class:`StoreError`, the transaction rolled back) while a tie still names one."""
        _, gone = self._refresh_actors(tx, touched)
        bad = self._relations_touching(tx, gone)
        if bad:
            raise StoreError(f"{doing} would leave {bad} relations pointing at {gone[:3]}; nothing was changed")
        self._delete_actors(tx, gone)

    def join_actors(self, source_id: str, joins: Sequence[Join]) -> set[str]:
        def work(tx) -> set[str]:
            self._lock(tx)
            if tx.run("MATCH (s:Source {id: $sid}) RETURN s.id", sid=source_id).single() is None:
                raise NotFound(f"no source {source_id!r}")
            for a in sorted({a for j in joins for a in (j.actor_id, j.into)}):
                if not self._actor_exists(tx, a):
                    raise NotFound(f"no actor {a!r}; nothing was joined")
            numbers = NumberKeeping(_PersonReads(tx))
            touched = self._join_actors(tx, source_id, joins)
            self._settle(tx, touched, f"joining actors for {source_id}")
            numbers.done(touched)  # a person joined into another takes its number, its own left unused
            return touched

        return self._write(work)

    def split_joins(self, source_id: str) -> list[tuple[str, str]]:
        def work(tx) -> list[tuple[str, str]]:
            self._lock(tx)
            if tx.run("MATCH (s:Source {id: $sid}) RETURN s.id", sid=source_id).single() is None:
                raise NotFound(f"no source {source_id!r}")
            numbers = NumberKeeping(_PersonReads(tx))
            undone, back = self._split_joins(tx, self._join_records(tx, source_id=source_id))
            numbers.restore(back)
            numbers.done({a for pair in undone for a in pair})
            return undone

        return self._write(work)

    def move_statements(self, source_id: str, moves: Sequence[ResolvedStatement],
                        proposals: Sequence[Proposal] = ()) -> set[str]:
        def work(tx) -> set[str]:
            wn = self._lock(tx)
            if tx.run("MATCH (s:Source {id: $sid}) RETURN s.id", sid=source_id).single() is None:
                raise NotFound(f"no source {source_id!r}")
            now = {st.actor.key: self._statement_actor(tx, source_id, st.actor.key) for st in moves}
            pairs = moves_by_actor(source_id, moves, now)
            numbers = NumberKeeping(_PersonReads(tx))
            for (_, new), moved in pairs.items():
                self._move_statements(tx, moved, new)
            touched = {a for pair in pairs for a in pair}
            self._refresh_actors(tx, touched)  # the new actors made before the ties are repointed to them
            for (old, new), moved in pairs.items():
                self._repoint(tx, {(sid, k) for sid, k, *_ in moved}, old, new)
            tx.run("MATCH (p:Proposal {source_id: $sid}) USING INDEX SEEK p:Proposal(source_id) DELETE p",
                   sid=source_id).consume()
            self._batches(tx, "UNWIND $rows AS row CREATE (p:Proposal) SET p = row, p.wn = $wn",
                          [{"source_id": source_id, "key": p.key, "candidate_id": p.candidate_id,
                            "score": float(p.score), "reason": p.reason, "ord": i}
                           for i, p in enumerate(proposals)], wn=wn)
            if not pairs:
                return set()
            left = {old for old, _ in pairs} - {r["id"] for r in tx.run(
                "UNWIND $ids AS id MATCH (st:Statement {actor_id: id}) USING INDEX SEEK st:Statement(actor_id) "
                "RETURN DISTINCT id", ids=sorted({old for old, _ in pairs}))}
            for x, into in emptied_into(pairs, left).items():
                self._repoint(tx, None, x, into)
                tx.run(_CANDIDATE_FOLLOWS, x=x, into=into).consume()
            self._settle(tx, touched, f"moving statements of {source_id}")
            numbers.done(touched)
            return touched

        return self._write(work)

    def undo_join(self, source_id: str, key: str) -> str:
        def work(tx) -> str:
            wn = self._lock(tx)
            rec = tx.run("MATCH (st:Statement {source_id: $sid, key: $key}) RETURN st.actor_id AS aid, "
                         "st.rule AS rule", sid=source_id, key=key).single()
            if rec is None:
                raise NotFound(f"no statement {key!r} in source {source_id!r}")
            into, rule = rec["aid"], rec["rule"]
            found = [r for r in self._join_records(tx, into=into) if rule == "joined"
                     and [source_id, key] in [m[:2] for m in orjson.loads(r["data"])["moved"]]]
            if not found:
                raise NoJoinRecord(f"{source_id}:{key} was not joined into {into} by a load (rule {rule}): "
                                 "no join to undo")
            numbers = NumberKeeping(_PersonReads(tx))
            undone, back = self._split_joins(tx, found[:1])
            if not undone:
                raise NoJoinRecord(f"{source_id}:{key}: the join that moved it was changed since; nothing was changed")
            ((x, _),) = undone
            left = tx.run("MATCH (st:Statement {actor_id: $x}) RETURN st.source_id AS sid, st.key AS key "
                          "ORDER BY sid, key", x=x)
            for i, r in enumerate(list(left)):  # not joined back on reload
                self._record_decision(tx, wn, r["sid"], r["key"], "reject", into, order=i)
            numbers.restore(back)
            numbers.done({x, into})
            return x

        return self._write(work)

    def _repoint(self, tx, moving: set[tuple[str, str]] | None, old: str, new: str) -> None:
        """Relations that name a moved statement ``(source, key)`` follow it from actor ``old`` to
        ``new`` (a relationship cannot change ends: it is re-created, same type and properties);
        ``moving`` None: every relation of ``old``."""
        moves = []
        for r in tx.run("MATCH (a:Actor {id: $old})-[r]-(:Actor) WHERE type(r) IN $types "
                        "WITH DISTINCT r RETURN elementId(r) AS eid, r.source AS sid, startNode(r).id AS src, "
                        "endNode(r).id AS dst, r.data AS data", old=old, types=list(TYPES.values())):
            keys = orjson.loads(r["data"])["keys"]
            new_src = new if r["src"] == old and (moving is None or (r["sid"], keys[0]) in moving) else r["src"]
            new_dst = new if r["dst"] == old and (moving is None or (r["sid"], keys[1]) in moving) else r["dst"]
            if (new_src, new_dst) != (r["src"], r["dst"]):
                moves.append({"eid": r["eid"], "src": new_src, "dst": new_dst})
        # the old one goes first: the new one takes its id (unique per type)
        self._batches(tx, _BY_ELEMENT_ID + "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.eid "
                          "WITH row, r, type(r) AS t, properties(r) AS props DELETE r "
                          "WITH row, t, props MATCH (a:Actor {id: row.src}) USING INDEX SEEK a:Actor(id) "
                          "MATCH (b:Actor {id: row.dst}) USING INDEX SEEK b:Actor(id) "
                          "CREATE (a)-[n:$(t)]->(b) SET n = props", moves)

    def _move_statements(self, tx, moved: Sequence[tuple[str, str, str, float, str | None]], new: str) -> None:
        """Statements ``(source, key, rule, score, matched)`` go to actor ``new``, resolved by that
        rule, with their names and identifiers (the caller repoints the relations)."""
        rows = [{"sid": sid, "key": key, "rule": rule, "score": float(score), "matched": matched}
                for sid, key, rule, score, matched in moved]
        self._batches(tx, "UNWIND $rows AS row MATCH (st:Statement {source_id: row.sid, key: row.key}) "
                          "SET st.actor_id = $new, st.rule = row.rule, st.score = row.score, st.matched = row.matched",
                      rows, new=new)
        for label in ("Name", "Ident"):
            self._batches(tx, f"UNWIND $rows AS row MATCH (n:{label} {{source_id: row.sid, stmt_key: row.key}}) "
                              "SET n.actor_id = $new", rows, new=new)

    @staticmethod
    def _statement_actor(tx, source_id: str, key: str) -> str:
        rec = tx.run("MATCH (st:Statement {source_id: $sid, key: $key}) RETURN st.actor_id AS aid",
                     sid=source_id, key=key).single()
        if rec is None:
            raise NotFound(f"no statement {key!r} in source {source_id!r}")
        return rec["aid"]

    @staticmethod
    def _actor_exists(tx, actor_id: str) -> bool:
        return tx.run("MATCH (a:Actor {id: $id}) RETURN a.id", id=actor_id).single() is not None

    @staticmethod
    def _record_decision(tx, seq: int, source_id: str, key: str, action: str, actor_id: str, order: int = 0,
                         previous: dict[str, Any] | None = None) -> None:
        tx.run("CREATE (d:Decision {seq: $seq, ord: $ord, source_id: $sid, key: $key, action: $action, "
               "actor_id: $aid, decided_at: $at}) SET d.previous = $previous", seq=seq, ord=order, sid=source_id,
               key=key, action=action, aid=actor_id, at=datetime.now(timezone.utc).isoformat(),
               previous=None if previous is None else orjson.dumps(previous).decode()).consume()

    def detach_statement(self, source_id: str, key: str, new_actor_id: str) -> str:
        def work(tx) -> None:
            wn = self._lock(tx)
            old = self._statement_actor(tx, source_id, key)
            if self._actor_exists(tx, new_actor_id):
                raise StoreError(f"actor id {new_actor_id!r} is already taken")
            numbers = NumberKeeping(_PersonReads(tx))
            self._move_statements(tx, [(source_id, key, "detached", 1.0, None)], new_actor_id)
            self._record_decision(tx, wn, source_id, key, "detach", new_actor_id)
            # the statements left behind were told apart from it too: when their sources are loaded
            # again, they must not join it back by the rules (a reject for each, re-applied on reload)
            left = tx.run("MATCH (st:Statement {actor_id: $old}) RETURN st.source_id AS sid, st.key AS key "
                          "ORDER BY sid, key", old=old)
            for i, r in enumerate(list(left), start=1):
                self._record_decision(tx, wn, r["sid"], r["key"], "reject", new_actor_id, order=i)
            _, gone = self._refresh_actors(tx, {old, new_actor_id})
            # the source's own relations that named this statement follow it
            self._repoint(tx, {(source_id, key)}, old, new_actor_id)
            bad = self._relations_touching(tx, gone)
            if bad:
                raise StoreError(f"detaching {key!r} of {source_id} would leave {bad} relations pointing at "
                                 f"{old!r}, which no statement describes any more; nothing was changed")
            self._delete_actors(tx, gone)
            numbers.done({old, new_actor_id})  # a person detached is a new person, numbered after the others

        self._write(work)
        return new_actor_id

    def merge_statement(self, source_id: str, key: str, actor_id: str, whole_actor: bool = True) -> str:
        def work(tx) -> None:
            wn = self._lock(tx)
            old = self._statement_actor(tx, source_id, key)
            if not self._actor_exists(tx, actor_id):
                raise NotFound(f"no actor {actor_id!r}")
            numbers = NumberKeeping(_PersonReads(tx))
            # each statement as it is now: what an undo of this accept puts back
            together = {(r["sid"], r["key"]): {"actor_id": old, "rule": r["rule"], "score": r["score"],
                                               "matched": r["matched"]} for r in tx.run(
                "MATCH (st:Statement {actor_id: $old}) RETURN st.source_id AS sid, st.key AS key, st.rule AS rule, "
                "st.score AS score, st.matched AS matched ORDER BY sid, key", old=old)}
            if old == actor_id:
                moved = [(source_id, key)]
            else:
                moved = list(together) if whole_actor else [(source_id, key)]
                if len(moved) == len(together):  # the actor it leaves will vanish: nothing may point at it
                    movers = sorted({s for s, _ in moved})
                    foreign = tx.run("MATCH (:Actor {id: $old})-[r]-(:Actor) WHERE type(r) IN $types "
                                     "AND NOT r.source IN $movers RETURN count(DISTINCT r) AS n", old=old,
                                     movers=movers, types=list(TYPES.values())).single()["n"]
                    if foreign:
                        raise StoreError(f"merging {source_id}:{key} into {actor_id} would leave {foreign} relations "
                                         f"of other sources pointing at {old}, which only the moved statements "
                                         "describe; nothing was changed")
                self._move_statements(tx, [(sid, k, "accepted", 1.0, "review") for sid, k in moved], actor_id)
                _, gone = self._refresh_actors(tx, {old, actor_id})
                # each source's relations that name a moved statement follow it
                self._repoint(tx, set(moved), old, actor_id)
                bad = self._relations_touching(tx, gone)
                if bad:
                    raise StoreError(f"merging {source_id}:{key} into {actor_id} would leave {bad} relations "
                                     f"pointing at {old}; nothing was changed")
                self._delete_actors(tx, gone)
            for i, (sid, k) in enumerate(moved):
                settled = tx.run("MATCH (p:Proposal {source_id: $sid, key: $key, candidate_id: $aid}) "
                                 "WITH p, p.score AS score, p.reason AS reason DELETE p RETURN score, reason",
                                 sid=sid, key=k, aid=actor_id).single()
                previous = together[(sid, k)]
                if settled:
                    previous["proposal"] = {"score": settled["score"], "reason": settled["reason"]}
                self._record_decision(tx, wn, sid, k, "accept", actor_id, order=i, previous=previous)
            numbers.done({old, actor_id})  # a person merged into another takes its number, its own left unused

        self._write(work)
        return actor_id

    def undo_accept(self, source_id: str, key: str, alone_id: str) -> str:
        def work(tx) -> str:
            wn = self._lock(tx)
            now = self._statement_actor(tx, source_id, key)
            together = [(r["sid"], r["key"]) for r in tx.run(
                "MATCH (st:Statement {actor_id: $now}) RETURN st.source_id AS sid, st.key AS key ORDER BY sid, key",
                now=now)]
            back = accept_to_undo(self._decisions(tx.run, None), together, source_id, key, now, alone_id)
            came_from = back[0][2]["actor_id"]
            numbers = NumberKeeping(_PersonReads(tx))
            self._move_statements(tx, [(sid, k, p["rule"], p["score"], p["matched"]) for sid, k, p in back], came_from)
            _, gone = self._refresh_actors(tx, {now, came_from})
            self._repoint(tx, {(sid, k) for sid, k, _ in back}, now, came_from)
            bad = self._relations_touching(tx, gone)
            if bad:
                raise StoreError(f"undoing the accept of {source_id}:{key} would leave {bad} relations of other "
                                 f"sources pointing at {now}, which only its statements describe; nothing was changed")
            self._delete_actors(tx, gone)
            proposals = [{"source_id": sid, "key": k, "candidate_id": now, "score": float(p["proposal"]["score"]),
                          "reason": p["proposal"]["reason"], "ord": i}
                         for i, (sid, k, p) in enumerate(back) if p.get("proposal")]
            # the pairs settled by the accept are to review again
            self._batches(tx, "UNWIND $rows AS row CREATE (p:Proposal) SET p = row, p.wn = $wn", proposals, wn=wn)
            for i, (sid, k, _) in enumerate(back):
                self._record_decision(tx, wn, sid, k, "undo", came_from, order=i, previous={"actor_id": now})
            numbers.done({now, came_from})
            return came_from

        return self._write(work)

    def reject_proposal(self, source_id: str, key: str, candidate_id: str) -> None:
        def work(tx) -> None:
            wn = self._lock(tx)
            self._statement_actor(tx, source_id, key)
            tx.run("MATCH (p:Proposal {source_id: $sid, key: $key, candidate_id: $aid}) DELETE p",
                   sid=source_id, key=key, aid=candidate_id).consume()
            self._record_decision(tx, wn, source_id, key, "reject", candidate_id)

        self._write(work)

    def decisions(self, source_id: str | None = None) -> list[Decision]:
        return self._decisions(self._read, source_id)

    @staticmethod
    def _decisions(read: Callable[..., Iterable[Any]], source_id: str | None) -> list[Decision]:
        """The decisions, oldest first, through ``read`` (a read of the store, or a write
        transaction's ``run``)."""
        return [Decision(r["sid"], r["key"], r["action"], r["aid"], datetime.fromisoformat(r["at"]),
                         None if r["previous"] is None else orjson.loads(r["previous"])) for r in read(
            "MATCH (d:Decision) WHERE $sid IS NULL OR d.source_id = $sid RETURN d.source_id AS sid, d.key AS key, "
            "d.action AS action, d.actor_id AS aid, d.decided_at AS at, d.previous AS previous "
            "ORDER BY d.seq, d.ord", sid=source_id)]

    def person_numbering(self) -> tuple[int, dict[str, int]] | None:
        rec = next(iter(self._read(_NUMBERS, key=PERSON_NUMBERS_KEY)), None)
        return numbering_of(rec["v"]) if rec else None

    def keep_person_numbering(self, last: int, numbers: dict[str, int]) -> None:
        self._write(lambda tx: _PersonReads(tx).keep(last, numbers))

    def number_persons(self) -> None:
        def work(tx) -> None:
            self._lock(tx)
            numbers = NumberKeeping(reads := _PersonReads(tx))
            numbers.done(reads.person_ids())

        self._write(work)

    # -- the right to erasure (Store.forget_person, maillage.graph.erasure) -------------------------
    def erasures(self) -> Erasures | None:
        rec = next(iter(self._read(_NUMBERS, key=ERASURES_KEY)), None)
        return Erasures.of(rec["v"]) if rec else None

    def forget_person(self, actor_id: str) -> Erasure:
        types = list(TYPES.values())

        def work(tx) -> Erasure:
            self._lock(tx)
            rec = tx.run("MATCH (a:Actor {id: $id}) RETURN a.data AS data", id=actor_id).single()
            if rec is None:
                raise NotFound(f"no actor {actor_id!r} in {self.uri}")
            view = ActorView.model_validate_json(rec["data"])
            if not view.personal_data:
                raise NotAPerson(f"{actor_id!r} is no natural person")
            numbers = NumberKeeping(_PersonReads(tx))
            stated = [(r["sid"], r["key"], Actor.model_validate_json(r["data"])) for r in tx.run(
                "MATCH (st:Statement {actor_id: $id}) RETURN st.source_id AS sid, st.key AS key, st.data AS data",
                id=actor_id)]
            keys = [{"sid": sid, "key": key} for sid, key, _ in stated]
            done = Erasure(actor_id, statements=len(stated))
            ties = tx.run("MATCH (:Actor {id: $id})-[r]-(:Actor) WHERE type(r) IN $types "
                          "RETURN count(DISTINCT r) AS n, collect(DISTINCT r.source) AS sources",
                          id=actor_id, types=types).single()
            done.relations = ties["n"]
            done.sources = sorted({k["sid"] for k in keys} | set(ties["sources"]))
            done.metrics = tx.run("MATCH (r:Run) MATCH (m:Metric {run_id: r.id, actor_id: $id}) DELETE m "
                                  "RETURN count(*) AS n", id=actor_id).single()["n"]
            # each node by an index: what names the person, then its statements' own (a `UNION`: an
            # `OR` of two properties is planned as a scan of the label)
            done.proposals = tx.run(
                "CALL () { MATCH (p:Proposal) USING INDEX p:Proposal(candidate_id) WHERE p.candidate_id = $id RETURN p "
                "UNION UNWIND $keys AS k MATCH (p:Proposal) USING INDEX p:Proposal(source_id) "
                "WHERE p.source_id = k.sid AND p.key = k.key RETURN p } DELETE p RETURN count(*) AS n",
                id=actor_id, keys=keys).single()["n"]
            done.decisions = tx.run(
                "CALL () { MATCH (d:Decision) USING INDEX d:Decision(actor_id) WHERE d.actor_id = $id RETURN d "
                "UNION UNWIND $keys AS k MATCH (d:Decision) USING INDEX d:Decision(source_id, key) "
                "WHERE d.source_id = k.sid AND d.key = k.key RETURN d } DELETE d RETURN count(*) AS n",
                id=actor_id, keys=keys).single()["n"]
            for prop in ("actor_id", "into"):  # fixed names
                tx.run(f"MATCH (j:JoinRecord) USING INDEX j:JoinRecord({prop}) WHERE j.{prop} = $id DELETE j",
                       id=actor_id).consume()
            tx.run("MATCH (n:Statement {actor_id: $id}) USING INDEX SEEK n:Statement(actor_id) DELETE n",
                   id=actor_id).consume()
            for label in ("Name", "Ident"):  # fixed labels: its statements' names and identifiers
                tx.run(f"UNWIND $keys AS k MATCH (n:{label}) USING INDEX n:{label}(source_id, stmt_key) "
                       "WHERE n.source_id = k.sid AND n.stmt_key = k.key DELETE n", keys=keys).consume()
            self._delete_actors(tx, [actor_id])  # its ties, its territories
            # its name in the free text of what stays
            erase = text_eraser([view.name, *view.aliases, *(n for _, _, a in stated for n in (a.name, *a.aliases))])
            done.texts = _erase_free_text(tx, erase, types)
            held = tx.run(_NUMBERS, key=ERASURES_KEY).single()
            kept = (Erasures.of(held["v"]) if held else None) or Erasures.new()
            tx.run("MERGE (m:MaillageMeta {key: $key}) SET m.value = $v", key=ERASURES_KEY,
                   v=kept.adding(person_marks([a for _, _, a in stated])).to_json()).consume()
            numbers.done({actor_id})  # the others keep their numbers; its own is given to no one again
            return done

        return self._write(work)

    # -- sources and statements ---------------------------------------------------------------
    def sources(self) -> list[Source]:
        return [Source.model_validate_json(r["data"]) for r in
                self._read("MATCH (s:Source) RETURN s.data AS data ORDER BY s.loaded_order")]

    def statements(self, actor_id: str) -> list[tuple[str, Actor]]:
        return [(r["sid"], Actor.model_validate_json(r["data"])) for r in self._read(
            "MATCH (st:Statement {actor_id: $id}) RETURN st.source_id AS sid, st.data AS data "
            "ORDER BY st.source_id, st.key", id=actor_id)]

    def resolved_statements(self, actor_ids: Iterable[str]) -> dict[str, list[tuple[str, Actor, str]]]:
        out: dict[str, list[tuple[str, Actor, str]]] = {}
        for r in self._read("UNWIND $ids AS id MATCH (st:Statement {actor_id: id}) "
                            "RETURN id, st.source_id AS sid, st.data AS data, st.rule AS rule ORDER BY id, sid, st.key",
                            ids=sorted(set(actor_ids))):
            out.setdefault(r["id"], []).append((r["sid"], Actor.model_validate_json(r["data"]), r["rule"]))
        return out

    def source_statements(self, source_id: str) -> list[Actor]:
        # a statement without ``ord`` (written by an earlier maillage): after, Cypher sorting nulls last
        return [Actor.model_validate_json(r["data"]) for r in self._read(
            "MATCH (st:Statement {source_id: $sid}) RETURN st.data AS data ORDER BY st.ord, st.key", sid=source_id)]

    def resolution_log(self, source_id: str) -> list[dict[str, Any]]:
        rows = [dict(r) for r in self._read(
            "MATCH (st:Statement {source_id: $sid}) RETURN st.key AS key, st.actor_id AS actor_id, "
            "st.rule AS rule, st.score AS score, st.matched AS matched ORDER BY st.key", sid=source_id)]
        if rows:
            return rows
        # an interrupted reload in several transactions left the source absent, with the log of
        # its last version: loading it again resolves as the reload would have (same actor ids)
        retired = [row for r in self._read("MATCH (r:RetiredLog {source: $sid}) RETURN r.rows AS rows ORDER BY r.ord",
                                           sid=source_id) for row in orjson.loads(r["rows"])]
        return sorted(retired, key=lambda r: r["key"])

    def proposals(self, source_id: str | None = None) -> list[Proposal]:
        return [Proposal(r["key"], r["candidate_id"], r["score"], r["reason"], source=r["sid"]) for r in self._read(
            "MATCH (p:Proposal) WHERE $sid IS NULL OR p.source_id = $sid "
            "RETURN p.key AS key, p.candidate_id AS candidate_id, p.score AS score, p.reason AS reason, "
            "p.source_id AS sid "
            "ORDER BY p.wn, p.ord", sid=source_id)]

    # -- actors ---------------------------------------------------------------------------------
    def get_actors(self, ids: Iterable[str]) -> dict[str, ActorView]:
        ids = list(dict.fromkeys(ids))
        held = self._held_actors()
        if held is not None:  # in the order the query gives: by id
            return {i: held[i] for i in sorted(ids) if i in held}
        out: dict[str, ActorView] = {}
        for chunk in chunks(ids, 50_000):
            for r in self._read("UNWIND $ids AS id MATCH (a:Actor {id: id}) RETURN a.id AS id, a.data AS data "
                                "ORDER BY id", ids=list(chunk)):
                out[r["id"]] = ActorView.model_validate_json(r["data"])
        return out

    def iter_actors(self, include_persons: bool = False) -> Iterator[ActorView]:
        held = self._held_actors()
        if held is not None:  # in the order the query gives: by id
            return iter([a for a in held.values() if include_persons or not a.personal_data])
        return self._read_actors(include_persons)

    def _read_actors(self, include_persons: bool) -> Iterator[ActorView]:
        for r in self._read("MATCH (a:Actor) WHERE $all OR NOT a.personal_data RETURN a.data AS data ORDER BY a.id",
                            all=include_persons):
            yield ActorView.model_validate_json(r["data"])

    def _person_ids(self) -> set[str]:
        held = self._held_actors()
        if held is not None:
            return {k for k, a in held.items() if a.personal_data}
        return {r["id"] for r in self._read(_PERSON_IDS)}

    def persons(self) -> list[ActorView]:
        held = self._held_actors()
        if held is not None:
            return [held[k] for k in sorted(held) if held[k].personal_data]
        return [ActorView.model_validate_json(r["data"]) for r in self._read(_PERSONS)]

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """Inside, every actor is read once (on first need), and :meth:`get_actors`,
        :meth:`iter_actors` and the person ids are answered from memory; the first
        :meth:`pole_subgraph` reads every pôle's in two queries (:meth:`_pole_neighbourhoods`);
        a :meth:`relations` or :meth:`ties` read asked again with the same arguments is answered
        from memory. An analysis read each pôle's subgraph twice, one round trip for its ties
        and one for their relations each time, the actors and the whole graph again in each of
        its stages: 1,188 round trips on the reference dataset, then 430, then 32; the first
        :meth:`pole_context_subgraph` reads every pôle's structures porteuses' ties at once
        (one read: it was one per pôle), now 10 (docs/neo4j.md, "Analysis over Bolt"). For
        this thread only (the API shares the store); a write of this store drops what is held."""
        if getattr(self._scope, "on", False):
            yield self
            return
        self._scope.on = True
        self._drop_held()
        try:
            yield self
        finally:
            self._scope.on = False
            self._drop_held()

    def _drop_held(self) -> None:
        self._scope.actors = None
        self._scope.held = {}  # (what, arguments) → what the read gave

    def _held_actors(self) -> dict[str, ActorView] | None:
        """Every actor (persons included), read once per :meth:`reading`; None outside one."""
        if not getattr(self._scope, "on", False):
            return None
        if self._scope.actors is None:
            self._scope.actors = {a.id: a for a in self._read_actors(include_persons=True)}
        return self._scope.actors

    def _held(self, key: tuple, read: Callable[[], Any]) -> Any:
        """``read()``, once per :meth:`reading` for each ``key``; always read outside one."""
        if not getattr(self._scope, "on", False):
            return read()
        held = self._scope.held
        if key not in held:
            held[key] = read()
        return held[key]

    def pole_subgraph(self, pole_id: str, as_of: int | None = None, types: Sequence[str] | None = None,
                      include_persons: bool = False) -> Subgraph:
        held = self._held_actors()
        if held is None:
            return super().pole_subgraph(pole_id, as_of=as_of, types=types, include_persons=include_persons)
        pole = held.get(pole_id)
        if pole is None:
            raise NotFound(f"no actor {pole_id!r}")
        if pole.family != "pole":
            raise StoreError(f"{pole_id!r} is a {pole.family}, not a pôle")
        key = ("poles", as_of, None if types is None else tuple(types), include_persons)
        seen, rels, left = self._held(key, lambda: self._pole_neighbourhoods(held, as_of, types, include_persons))[
            pole_id]
        sub = self._subgraph(seen, list(rels), include_persons)
        sub.persons_left_out += left
        return sub

    def _pole_neighbourhoods(self, held: dict[str, ActorView], as_of: int | None, types: Sequence[str] | None,
                             include_persons: bool) -> dict[str, tuple[set[str], list[RelationView], int]]:
        """Every pôle's :meth:`~maillage.graph.store.Store.neighbourhood` of depth 1, in two
        round trips instead of two per pôle: ``{pôle: (its actors, the relations among them by
        id, the persons tied to it left out)}`` — what ``neighbourhood`` reads, pôle by pôle."""
        poles = [k for k, a in held.items() if a.family == "pole"]
        if types is not None and not types:
            return {p: ({p}, [], 0) for p in poles}
        persons = set() if include_persons else {k for k, a in held.items() if a.personal_data}
        params = {"types": [TYPES.get(t, t.upper()) for t in types] if types is not None else list(TYPES.values()),
                  "y": as_of, "certainty": None}
        ring = {r["p"]: r["ids"] for r in self._read(
            f"UNWIND $poles AS p MATCH (:Actor {{id: p}})-[r]-(b:Actor) WHERE {_TIE_FILTER} "
            "RETURN p, collect(DISTINCT b.id) AS ids", poles=poles, **params)}
        out: dict[str, tuple[set[str], list[RelationView], int]] = {}
        for p in poles:
            nxt = set(ring.get(p, ())) - {p}
            out[p] = ({p} | (nxt - persons), [], len(nxt & persons))
        rows = [{"p": p, "ids": sorted(seen)} for p, (seen, _, _) in out.items() if len(seen) > 1 or p in ring]
        for r in self._read(
                f"UNWIND $rows AS row UNWIND row.ids AS id MATCH (:Actor {{id: id}})-[r]->(b:Actor) "
                f"WHERE b.id IN row.ids AND {_TIE_FILTER} WITH r, collect(row.p) AS poles "
                "RETURN r.id AS id, startNode(r).id AS src, endNode(r).id AS dst, r.data AS data, r.source AS sid, "
                "poles ORDER BY id", rows=rows, **params):
            view = _relation_view(r)
            for p in r["poles"]:
                out[p][1].append(view)
        return out

    def pole_context_subgraph(self, pole_id: str, as_of: int | None = None,
                              skip_certainty: Sequence[str] = ()) -> Subgraph:
        """:meth:`~maillage.graph.store.Store.pole_context_subgraph` in one round trip (it was
        eight: the pôle twice, the persons, its ties, the relations among its actors, their
        actors, the statements touching its structures porteuses, their actors): the pôle, its
        ring, the relations among them, and the relations of every actor with a ``carries`` tie
        to it (a superset of its structures porteuses) with their ends, then
        :func:`~maillage.graph.store.with_carriers` on them, as the base class does. Inside
        :meth:`reading`, every pôle's subgraph is held, and the first call reads the relations
        of every pôle's structures porteuses in one round trip (it was one per pôle)."""
        held = self._held_actors()
        if held is not None:
            sub = self.pole_subgraph(pole_id, as_of=as_of)
            table = self._held(("carrier_ties", as_of), lambda: self._carrier_ties(
                [k for k, a in held.items() if a.family == "pole"], as_of))
            return with_carriers(sub, pole_id, skip_certainty, lambda ids: _touching(table, ids), self.get_actors)
        params = {"types": list(TYPES.values()), "y": as_of, "certainty": None}
        rows = self._read(
            "MATCH (p:Actor {id: $id}) "
            f"CALL (p) {{ OPTIONAL MATCH (p)-[r]-(b:Actor) WHERE {_TIE_FILTER} RETURN collect(DISTINCT b) AS ring }} "
            "WITH p, [b IN ring WHERE b <> p] AS ring "
            f"CALL (p, ring) {{ UNWIND [p] + ring AS a MATCH (a)-[r]->(b:Actor) WHERE (b = p OR b IN ring) "
            f"AND {_TIE_FILTER} RETURN collect(r) AS among }} "
            f"CALL (p) {{ OPTIONAL MATCH (c:Actor)-[r]->(p) WHERE type(r) = $carries AND c <> p AND {_TIE_FILTER} "
            f"WITH collect(DISTINCT c) AS cs UNWIND cs AS c MATCH (c)-[r]-(:Actor) WHERE {_TIE_FILTER} "
            "RETURN collect(DISTINCT r) AS extra } "
            "CALL (extra) { UNWIND extra AS r UNWIND [startNode(r), endNode(r)] AS e "
            "RETURN collect(DISTINCT e) AS ends } "
            "RETURN p.data AS pole, [b IN ring | b.data] AS ring, "
            "[r IN among | {id: r.id, src: startNode(r).id, dst: endNode(r).id, data: r.data, sid: r.source}] AS among, "
            "[r IN extra | {id: r.id, src: startNode(r).id, dst: endNode(r).id, data: r.data, sid: r.source}] AS extra, "
            "[e IN ends WHERE e <> p AND NOT e IN ring | e.data] AS others",
            id=pole_id, carries=TYPES["carries"], **params)
        if not rows:
            raise NotFound(f"no actor {pole_id!r}")
        rec = rows[0]
        pole = ActorView.model_validate_json(rec["pole"])
        if pole.family != "pole":
            raise StoreError(f"{pole_id!r} is a {pole.family}, not a pôle")
        # what neighbourhood(pole, depth=1) then _subgraph give, in the order they give it
        ring = {a.id: a for a in map(ActorView.model_validate_json, rec["ring"])}
        left = sum(1 for a in ring.values() if a.personal_data)
        seen = {pole_id: pole, **{k: a for k, a in ring.items() if not a.personal_data}}
        actors = {k: seen[k] for k in sorted(seen)}
        left += sum(1 for a in actors.values() if a.personal_data)
        actors = {k: a for k, a in actors.items() if not a.personal_data}
        rels = [r for r in sorted(map(_relation_view, rec["among"]), key=lambda r: r.id)
                if r.source in actors and r.target in actors]
        sub = Subgraph(actors=actors, relations=rels, persons_left_out=left)
        table: dict[str, list[RelationView]] = defaultdict(list)
        for r in map(_relation_view, rec["extra"]):
            table[r.source].append(r)
            if r.target != r.source:
                table[r.target].append(r)
        known = {**ring, pole_id: pole, **{a.id: a for a in map(ActorView.model_validate_json, rec["others"])}}
        return with_carriers(sub, pole_id, skip_certainty, lambda ids: _touching(table, ids),
                             lambda ids: {k: known[k] for k in sorted(ids) if k in known})

    def _carrier_ties(self, poles: list[str], as_of: int | None) -> dict[str, list[RelationView]]:
        """``{actor: the relations touching it}`` for every actor with a ``carries`` tie to one of
        ``poles`` (active in ``as_of``): their structures porteuses' statements, one round trip."""
        table: dict[str, list[RelationView]] = defaultdict(list)
        for r in self._read(
                f"UNWIND $poles AS pid MATCH (c:Actor)-[r]->(p:Actor {{id: pid}}) WHERE type(r) = $carries "
                f"AND c <> p AND {_TIE_FILTER} WITH DISTINCT c MATCH (c)-[r]-(:Actor) WHERE {_TIE_FILTER} "
                "WITH DISTINCT r RETURN r.id AS id, startNode(r).id AS src, endNode(r).id AS dst, r.data AS data, "
                "r.source AS sid ORDER BY id",
                poles=poles, carries=TYPES["carries"], types=list(TYPES.values()), y=as_of, certainty=None):
            view = _relation_view(r)
            table[view.source].append(view)
            if view.target != view.source:
                table[view.target].append(view)
        return table

    def find_by_identifier(self, scheme: str, value: str) -> list[str]:
        keys = [["siret", value], ["siren", value[:9]]] if scheme == "siret" else [[scheme, value]]
        return [r["id"] for r in self._read(
            "UNWIND $keys AS k MATCH (i:Ident {scheme: k[0], value: k[1]}) RETURN DISTINCT i.actor_id AS id "
            "ORDER BY id", keys=keys)]

    def find_by_name(self, name: str) -> list[str]:
        return [r["id"] for r in self._read(
            "MATCH (n:Name {key: $key}) RETURN DISTINCT n.actor_id AS id ORDER BY id", key=name_key(name))]

    def name_index(self, exclude_source: str | None = None) -> Iterator[NameEntry]:
        for r in self._read(
                "MATCH (n:Name) WHERE $ex IS NULL OR n.source_id <> $ex MATCH (a:Actor {id: n.actor_id}) "
                "RETURN DISTINCT n.actor_id AS aid, n.name AS name, n.key AS key, n.core AS core, "
                "a.family AS family, a.location AS location, a.placeholder AS placeholder", ex=exclude_source):
            yield NameEntry(r["aid"], r["name"], r["key"], r["core"], r["family"], r["location"], bool(r["placeholder"]))

    def identifier_index(self, exclude_source: str | None = None) -> Iterator[tuple[str, str, str]]:
        for r in self._read("MATCH (i:Ident) WHERE $ex IS NULL OR i.source_id <> $ex "
                            "RETURN DISTINCT i.actor_id AS aid, i.scheme AS scheme, i.value AS value",
                            ex=exclude_source):
            yield r["aid"], r["scheme"], r["value"]

    def search(self, text: str = "", family: str | None = None, territory: str | None = None,
               include_persons: bool = False, limit: int = 50, offset: int = 0) -> list[ActorView]:
        q = ("MATCH (a:Actor) WHERE all(w IN $words WHERE a.search CONTAINS w) "
             "AND ($family IS NULL OR a.family = $family) AND ($all OR NOT a.personal_data) "
             "AND ($territory IS NULL OR EXISTS { MATCH (a)-[:" + LOCATED_IN + "]->(:Territory {id: $territory}) }) "
             "RETURN a.data AS data ORDER BY a.placeholder, a.name_nocase, a.id SKIP $offset LIMIT $limit")
        return [ActorView.model_validate_json(r["data"]) for r in self._read(
            q, words=fold(text).split(), family=family, all=include_persons, territory=territory,
            offset=offset, limit=limit)]

    def actors_in_territory(self, territory_id: str, include_persons: bool = False) -> list[str]:
        return [r["id"] for r in self._read(
            f"MATCH (:Territory {{id: $t}})<-[:{LOCATED_IN}]-(a:Actor) WHERE $all OR NOT a.personal_data "
            "RETURN DISTINCT a.id AS id ORDER BY id", t=territory_id, all=include_persons)]

    # -- relations -----------------------------------------------------------------------------
    def relations(self, touching: Iterable[str] | None = None, among: Iterable[str] | None = None,
                  types: Sequence[str] | None = None, as_of: int | None = None,
                  certainty: Sequence[str] | None = None, source: str | None = None,
                  limit: int | None = None) -> list[RelationView]:
        ids = sorted(set(among if among is not None else touching if touching is not None else ()))
        if (among is not None or touching is not None) and not ids:
            return []
        if types is not None and not types:
            return []
        shape = "among" if among is not None else "touching" if touching is not None else "all"
        key = ("relations", shape, tuple(ids), None if types is None else tuple(types), as_of,
               None if certainty is None else tuple(certainty), source, limit)
        return list(self._held(key, lambda: self._relations(shape, ids, types, as_of, certainty, source, limit)))

    def _relations(self, shape: str, ids: list[str], types: Sequence[str] | None, as_of: int | None,
                   certainty: Sequence[str] | None, source: str | None, limit: int | None) -> list[RelationView]:
        rtypes = [TYPES.get(t, t.upper()) for t in types] if types is not None else list(TYPES.values())
        where = f"{_TIE_FILTER} AND ($source IS NULL OR r.source = $source)"
        if shape == "among":
            q = f"UNWIND $ids AS id MATCH (:Actor {{id: id}})-[r]->(b:Actor) WHERE b.id IN $ids AND {where} WITH r"
        elif shape == "touching":
            q = f"UNWIND $ids AS id MATCH (:Actor {{id: id}})-[r]-(:Actor) WHERE {where} WITH DISTINCT r"
        else:
            q = f"MATCH (:Actor)-[r]->(:Actor) WHERE {where} WITH r"
        q += (" RETURN r.id AS id, startNode(r).id AS src, endNode(r).id AS dst, r.data AS data, r.source AS sid "
              "ORDER BY id" + (" LIMIT $limit" if limit is not None else ""))
        return [_relation_view(r) for r in self._read(
            q, ids=ids, types=rtypes, y=as_of, certainty=list(certainty) if certainty is not None else None,
            source=source, limit=limit)]

    def ties(self, touching: Iterable[str], types: Sequence[str] | None = None, as_of: int | None = None,
             certainty: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
        ids = sorted(set(touching))
        if not ids or (types is not None and not types):
            return []
        rtypes = [TYPES.get(t, t.upper()) for t in types] if types is not None else list(TYPES.values())
        q = (f"UNWIND $ids AS id MATCH (:Actor {{id: id}})-[r]-(:Actor) WHERE {_TIE_FILTER} WITH DISTINCT r "
             "RETURN r.id AS id, startNode(r).id AS src, endNode(r).id AS dst ORDER BY id")
        key = ("ties", tuple(ids), None if types is None else tuple(types), as_of,
               None if certainty is None else tuple(certainty))
        return list(self._held(key, lambda: [(r["id"], r["src"], r["dst"]) for r in self._read(
            q, ids=ids, types=rtypes, y=as_of, certainty=list(certainty) if certainty is not None else None)]))

    def tie_fields(self, touching: Iterable[str], types: Sequence[str] | None = None,
                   source: str | None = None) -> list[tuple[str, str, str, dict[str, Any]]]:
        ids = sorted(set(touching))
        if not ids or (types is not None and not types):
            return []
        rtypes = [TYPES.get(t, t.upper()) for t in types] if types is not None else list(TYPES.values())
        q = (f"UNWIND $ids AS id MATCH (:Actor {{id: id}})-[r]-(:Actor) "
             f"WHERE {_TIE_FILTER} AND ($source IS NULL OR r.source = $source) WITH DISTINCT r "
             "RETURN r.id AS id, startNode(r).id AS src, endNode(r).id AS dst, r.data AS data ORDER BY id")
        return [(r["id"], r["src"], r["dst"], orjson.loads(r["data"])["fields"])
                for r in self._read(q, ids=ids, types=rtypes, y=None, certainty=None, source=source)]

    # -- analysis runs -------------------------------------------------------------------------
    def save_run(self, run: AnalysisRun, metrics: Iterable[tuple[str, str, float]]) -> str:
        rows = [{"actor_id": aid, "name": name, "value": metric_value(v)} for aid, name, v in metrics]

        def work(tx) -> list[str]:
            self._lock(tx)
            rec = tx.run("OPTIONAL MATCH (r:Run {id: $id}) OPTIONAL MATCH (m:MaillageMeta {key: $key}) "
                         "RETURN r IS NOT NULL AS taken, coalesce(m.value, []) AS pending",
                         id=run.id, key=self._RUNS_BEING_REMOVED).single()
            if rec["taken"]:
                raise StoreError(f"an analysis run {run.id!r} already exists; runs are never overwritten")
            if run.id in rec["pending"]:  # a removed run of that id left metrics: they would join this run's
                raise _Unswept(run.id)
            tx.run("CREATE (r:Run {id: $id, created_at: $at, lens: $lens, as_of: $as_of, data: $data})",
                   id=run.id, at=run.created_at.isoformat(), lens=run.lens, as_of=run.as_of,
                   data=run.model_dump_json()).consume()
            self._batches(tx, "UNWIND $rows AS row CREATE (m:Metric) SET m = row, m.run_id = $run", rows, run=run.id)
            return list(rec["pending"])

        try:
            pending = self._write(work)
        except _Unswept:
            self._sweep_metrics(self.runs_being_removed())
            pending = self._write(work)
        if pending:  # removals cut short before: finished now, the run being saved whatever happens
            try:
                self._sweep_metrics(pending)
            except StoreError as e:  # still pending: `maillage runs` or the next write finishes them
                logging.getLogger(__name__).warning("%s", e)
        return run.id

    def runs(self) -> list[AnalysisRun]:
        return [AnalysisRun.model_validate_json(r["data"]) for r in
                self._read("MATCH (r:Run) RETURN r.data AS data ORDER BY r.created_at, r.id")]

    # -- removing analysis runs (Store.delete_runs) ----------------------------------------------
    #: ``(:MaillageMeta {key: 'runs_being_removed', value: [run ids]})``: runs already gone whose
    #: Metric nodes may remain (a removal cut short between its transactions); the next removal
    #: deletes them too.
    _RUNS_BEING_REMOVED = "runs_being_removed"

    def runs_being_removed(self) -> list[str]:
        return [i for r in self._read("MATCH (m:MaillageMeta {key: $key}) RETURN m.value AS v",
                                      key=self._RUNS_BEING_REMOVED) for i in r["v"] or ()]

    def finish_run_removals(self) -> dict[str, int]:
        """Finish the removals cut short (:meth:`runs_being_removed`): their leftover metrics are
        deleted in transactions of ``chunk_rows``, and the ids leave the marker. ``{run id:
        metrics deleted}`` (``{}``, and no write, when none is pending: one read)."""
        pending = self.runs_being_removed()
        return self._sweep_metrics(pending) if pending else {}

    def _delete_runs(self, ids: Sequence[str]) -> dict[str, int]:
        """The ``:Run`` nodes go first, in one transaction: from then on no read sees the runs
        (every read of metrics goes through its run). Their ``:Metric`` nodes then go in
        transactions of at most ``chunk_rows`` nodes each, as a large source is written
        (``neo4j_chunks``): a nation-scale run holds millions of them, more than the server lets
        one transaction hold (``db.memory.transaction.total.max``). Cut short in between, the
        leftover metrics are unreachable, the ids stay in :meth:`runs_being_removed`, and the
        next ``delete_runs`` — of those ids or of any run — deletes them. An id of a removal cut
        short counts the metrics it had left."""
        key = self._RUNS_BEING_REMOVED

        def retire(tx) -> tuple[dict[str, int], list[str]]:
            self._lock(tx)
            rec = tx.run("OPTIONAL MATCH (m:MaillageMeta {key: $key}) RETURN coalesce(m.value, []) AS v",
                         key=key).single()
            counts = {r["id"]: r["n"] for r in tx.run(
                "UNWIND $ids AS id OPTIONAL MATCH (r:Run {id: id}) WITH id, r WHERE r IS NOT NULL OR id IN $pending "
                "RETURN id, COUNT { MATCH (m:Metric) WHERE m.run_id = id } AS n", ids=list(ids), pending=rec["v"])}
            tx.run("UNWIND $ids AS id MATCH (r:Run {id: id}) DELETE r", ids=list(counts)).consume()
            rec = tx.run("MERGE (m:MaillageMeta {key: $key}) "
                         "SET m.value = coalesce(m.value, []) + [i IN $ids WHERE NOT i IN coalesce(m.value, [])] "
                         "RETURN m.value AS v", key=key, ids=list(counts)).single()
            return counts, list(rec["v"])

        counts, sweeping = self._write(retire)
        self._sweep_metrics(sweeping)
        return {i: counts[i] for i in ids if i in counts}

    def _sweep_metrics(self, sweeping: list[str]) -> dict[str, int]:
        """Delete the metrics of the runs ``sweeping`` (already gone), ``chunk_rows`` per
        transaction, then take them off the runs being removed; ``{run id: metrics deleted}``
        (each id of ``sweeping``). A failure on the way says how to finish (the Run nodes are
        gone: the removal cannot be undone, only finished)."""
        key = self._RUNS_BEING_REMOVED
        deleted = dict.fromkeys(sweeping, 0)

        def sweep(tx) -> dict[str, int]:  # counted once committed (a transaction may be retried)
            self._lock(tx)
            return {r["id"]: r["n"] for r in tx.run(
                "MATCH (m:Metric) WHERE m.run_id IN $ids WITH m LIMIT $n WITH m, m.run_id AS id DELETE m "
                "RETURN id, count(*) AS n", ids=sweeping, n=self.chunk_rows)}

        def done(tx) -> None:
            self._lock(tx)
            tx.run("MATCH (m:MaillageMeta {key: $key}) SET m.value = [i IN m.value WHERE NOT i IN $ids] "
                   "WITH m WHERE size(m.value) = 0 DELETE m", key=key, ids=sweeping).consume()

        try:
            while True:
                batch = self._write(sweep)
                for i, k in batch.items():
                    deleted[i] = deleted.get(i, 0) + k
                n = sum(batch.values())
                if self.after_metric_batch is not None:
                    self.after_metric_batch(n)
                if n < self.chunk_rows:
                    break
            self._write(done)
            return deleted
        except StoreError as e:
            cause = str(e).removesuffix("; nothing was written")
            raise StoreError(f"{cause}; the removal of {', '.join(sweeping)} was cut short (the runs are gone, some "
                             f"of their metrics remain): `maillage runs --remove {' '.join(sweeping)}` finishes it"
                             ) from e

    def metrics(self, run_id: str | None = None, actor_id: str | None = None,
                actor_ids: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        if run_id is None:
            recs = self._read("MATCH (r:Run) RETURN r.id AS id ORDER BY r.created_at DESC, r.id DESC LIMIT 1")
            if not recs:
                return {}
            run_id = recs[0]["id"]
        elif not self._read("MATCH (r:Run {id: $id}) RETURN r.id", id=run_id):
            raise NotFound(f"no analysis run {run_id!r}")
        out: dict[str, dict[str, float]] = defaultdict(dict)
        wanted = metric_actors(actor_id, actor_ids)
        if wanted is None:
            recs = self._read("MATCH (m:Metric {run_id: $run}) "
                              "RETURN m.actor_id AS aid, m.name AS name, m.value AS value ORDER BY aid, name",
                              run=run_id)
        else:  # through the (run_id, actor_id) index
            recs = self._read("UNWIND $ids AS aid MATCH (m:Metric {run_id: $run, actor_id: aid}) "
                              "RETURN m.actor_id AS aid, m.name AS name, m.value AS value ORDER BY aid, name",
                              run=run_id, ids=wanted)
        for r in recs:  # by actor, then metric name: the embedded store's order
            out[r["aid"]][r["name"]] = r["value"]
        return dict(out)

    def copy_run_to_actors(self, run_id: str, include_persons: bool = False) -> dict[str, int]:
        """Copy run ``run_id``'s metrics onto the ``:Actor`` nodes as properties ``mesure_<name>``
        (``mesure_betweenness``…), with ``mesure_run`` = the run's id: Bloom's rule-based styling
        reads node properties, not the ``:Metric`` nodes. Every other actor's ``mesure_*`` go, as
        do a measure the run left undefined and those of natural persons unless
        ``include_persons``. A copy, made only when asked: a later run changes nothing until
        copied. Written under the write lock in transactions of ``chunk_rows`` actors (as a run's
        removal); cut short, copying again finishes it. Returns the actors written (``actors``),
        the persons left out (``persons``) and the actors whose measures were removed (``cleared``)."""
        metrics = self.metrics(run_id)  # NotFound for a run the store does not hold
        persons = set() if include_persons else self._person_ids()
        rows = [(aid, vals) for aid, vals in metrics.items() if aid not in persons]
        old = {r["k"] for r in self._read(
            "MATCH (a:Actor) WHERE a.mesure_run IS NOT NULL UNWIND keys(a) AS k WITH DISTINCT k "
            "WHERE k STARTS WITH 'mesure_' RETURN k")}
        names = {name for _, vals in rows for name in vals}
        cleared = {k: None for k in old | {f"mesure_{n}" for n in names} | {"mesure_run"}}  # null: removed

        def write(tx, chunk) -> int:
            self._lock(tx)
            n = 0
            for part in chunks(chunk, BATCH):
                n += tx.run("UNWIND $rows AS row MATCH (a:Actor {id: row.id}) SET a += row.props RETURN count(a) AS n",
                            rows=[{"id": aid, "props": {**cleared, **{f"mesure_{k}": v for k, v in vals.items()},
                                                        "mesure_run": run_id}} for aid, vals in part]).single()["n"]
            return n

        def sweep(tx) -> int:
            self._lock(tx)
            return tx.run("MATCH (a:Actor) WHERE a.mesure_run IS NOT NULL "
                          "AND (a.mesure_run <> $run OR ($no_persons AND coalesce(a.personal_data, false))) "
                          "WITH a LIMIT $n SET a += $cleared RETURN count(*) AS n",
                          run=run_id, no_persons=not include_persons, n=self.chunk_rows, cleared=cleared).single()["n"]

        written = sum(self._write(write, chunk) for chunk in chunks(rows, self.chunk_rows))
        removed = 0
        while True:
            n = self._write(sweep)
            removed += n
            if n < self.chunk_rows:
                break
        return {"actors": written, "persons": len(metrics) - len(rows), "cleared": removed}

    def stats(self) -> dict[str, Any]:
        r = self._read(
            "CALL () { MATCH (a:Actor) RETURN count(a) AS actors, "
            "  sum(CASE a.family WHEN 'pole' THEN 1 ELSE 0 END) AS poles, "
            "  sum(CASE WHEN a.personal_data THEN 1 ELSE 0 END) AS persons, "
            "  sum(CASE WHEN a.placeholder THEN 1 ELSE 0 END) AS placeholders } "
            "CALL () { MATCH (s:Source) RETURN count(s) AS sources } "
            "CALL () { MATCH (s:Statement) RETURN count(s) AS statements } "
            "CALL () { MATCH (r:Run) RETURN count(r) AS runs } "
            "CALL () { MATCH (a:Actor) WHERE a.personal_data MATCH (a)-[t]-(:Actor) WHERE type(t) IN $types "
            "  RETURN count(DISTINCT t) AS person_relations } "
            "CALL () { MATCH (p:Proposal) MATCH (s:Statement {source_id: p.source_id, key: p.key}) "
            "  WHERE s.actor_id <> p.candidate_id AND EXISTS { MATCH (:Actor {id: p.candidate_id}) } "
            "  RETURN count(DISTINCT CASE WHEN s.actor_id < p.candidate_id THEN [s.actor_id, p.candidate_id] "
            "  ELSE [p.candidate_id, s.actor_id] END) AS proposals } "
            "RETURN actors, poles, persons, placeholders, sources, statements, runs, proposals, person_relations",
            types=list(TYPES.values()))[0]
        families = {x["family"]: x["n"] for x in self._read(
            "MATCH (a:Actor) RETURN a.family AS family, count(*) AS n ORDER BY family")}
        by_type = {TYPE_NAMES[x["t"]]: x["n"] for x in self._read(
            "MATCH ()-[r]->() WHERE type(r) IN $types RETURN type(r) AS t, count(*) AS n", types=list(TYPES.values()))}
        return {
            "store": self.uri,
            "actors": r["actors"],
            "relations": sum(by_type.values()),
            "poles": r["poles"],
            "sources": r["sources"],
            "statements": r["statements"],
            "persons": r["persons"],
            "person_relations": r["person_relations"],
            "placeholders": r["placeholders"],
            "runs": r["runs"],
            "proposals": r["proposals"],
            "actors_by_family": families,
            "relations_by_type": dict(sorted(by_type.items())),
        }
