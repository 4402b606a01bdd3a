"""Writing a source too big for one Neo4j transaction: several transactions, recoverable.

Neo4j keeps a transaction's changes in its heap, bounded by ``db.memory.transaction.total.max``
(70 % of the heap by default): a source of a million relations does not fit in one transaction
of a server with a 10 GiB heap (measured, ``docs/neo4j.md``). Above ``store.tx_rows`` rows
(statements, names, identifiers and relations), :class:`~maillage.graph.neo4j_store.Neo4jStore`
writes the source in transactions of ``store.chunk_rows`` rows under a **pending-load marker**:

1. *begin*, one transaction: the checks that would make the write fail are done first (every
   relation's ends exist; a reload does not drop an actor that another source's relation points
   at) so that a refused write writes nothing; then ``(:PendingLoad {id: 'load', source, wn,
   kind, order, heartbeat})``, the ids of every actor the write touches
   (``(:PendingActors {ord, ids})``) and, for a reload, the previous version's resolution
   log (``(:PendingLog {ord, rows})``: statement key → actor id). While the marker exists every other write is refused.
2. for a reload, the previous version's facts are deleted, chunk by chunk;
3. statements, names and identifiers; the canonical actors recomputed (chunks of actors); the
   relations — chunk by chunk, each chunk renewing the marker's heartbeat;
4. *commit*, one transaction: proposals, the ``(:Source)`` node, the persons' numbers
   (:mod:`maillage.graph.numbering`: kept with the source's node, not chunk by chunk), and the
   marker deleted.

**Recovery.** A marker silent for longer than the lease (``store.lease_s``, default 300 s: its
writer is dead) is rolled back by the next write, before it runs; a writer whose chunk fails
rolls back at once. Rolling back deletes every fact of the source chunk by chunk, recomputes
the touched actors from the statements that remain (an actor left with none is deleted unless
a relation of another source points at it) and deletes the ``(:Source)`` node. So after a
crash, once recovered, a *new* source is exactly as before the load; a *reloaded* source is
absent (step 2 had deleted its previous version: load the file again) — never half-written —
and its last resolution log stays as ``(:RetiredLog {source, ord, rows, order})``, which
:meth:`~maillage.graph.neo4j_store.Neo4jStore.resolution_log` returns while the source is
absent: loading it again gives its actors the ids the reload would have kept, and the store
the state the uninterrupted reload gives — its persons numbered anew, after the highest number
(they left the store with the previous version; the roll-back's last transaction drops their
numbers, as a removal does). While a chunked write runs, readers see it in part, as with
``LOAD CSV … IN TRANSACTIONS``, its persons not numbered yet (a read numbers them after the
highest); removing such a source (:func:`remove_chunked`) is the same roll-back, driven to its
end, which keeps the numbers in its last transaction. A store that kept no numbers yet has its
persons' numbers of before kept in the first transaction (*begin*).

Reference: Neo4j Operations Manual 5, "Memory configuration" (transaction memory limits);
Cypher Manual 5, ``CALL { … } IN TRANSACTIONS`` (the server-side batching this replaces with
recoverable client-side chunks).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from ..runtime import report
from .numbering import NumberKeeping
from .store import StoreError, chunks

if TYPE_CHECKING:
    from .model import Actor
    from .store import Join
    from .neo4j_store import Neo4jStore

log = logging.getLogger("maillage")

PENDING_IDS = 10_000  # actor ids per (:PendingActors) node


@dataclass
class Rows:
    """A source's rows, as :meth:`Neo4jStore.replace_source` prepares them."""

    sid: str
    statements: list[dict[str, Any]]
    names: list[dict[str, Any]]
    idents: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    proposals: list[dict[str, Any]]
    source_props: dict[str, Any]
    fresh: dict[str, list[tuple[str, str, Actor, str]]]  # (source, key, statement, rule)
    total: int  # the batch's ties, as load progress counts them (``relations`` holds the distinct ones)
    joins: Sequence[Join] = ()  # actors of other sources the load joins: done in the last transaction


def _owned(store: Neo4jStore, wn: int, work, *args: Any) -> Any:
    """One transaction of the chunked write number ``wn`` (refused if it is no longer its own)."""
    def tx_work(tx):
        store._lock(tx, own=wn)
        return work(tx, *args)

    return store._write(tx_work, recover=False)


def write_chunked(store: Neo4jStore, rows: Rows) -> tuple[int, list[str], int]:
    """Write a source in several transactions (steps 1–4 above); returns ``(actors created,
    ids of actors removed, actors touched)`` like the one-transaction write."""
    from .neo4j_store import _drop_orphan_territories, _PersonReads, _source_order

    sid, fresh = rows.sid, rows.fresh

    def begin(tx) -> tuple[int, bool, list[str], int]:
        wn = store._lock(tx)
        # a store that kept no numbers yet: its persons' load-order numbers, kept before the write changes them
        NumberKeeping(_PersonReads(tx)).keep_now()
        rec = _source_order(tx, sid)
        existed = rec["mine"] is not None
        order = rec["order"]
        # the lookups name their index (`USING INDEX SEEK`): a plan made on little data, cached, scanned
        # the whole index once per actor (docs/neo4j.md, « Reloading a source »)
        before = set() if not existed else {r["aid"] for r in tx.run(
            "MATCH (st:Statement {source_id: $sid}) USING INDEX SEEK st:Statement(source_id) "
            "RETURN DISTINCT st.actor_id AS aid", sid=sid)}
        # actors this reload stops describing, and that no other source describes: they will go
        dropped = sorted(before - set(fresh))
        kept = {r["id"] for r in tx.run("UNWIND $ids AS id MATCH (st:Statement {actor_id: id}) "
                                        "USING INDEX SEEK st:Statement(actor_id) "
                                        "WHERE st.source_id <> $sid RETURN DISTINCT id", ids=dropped, sid=sid)}
        gone = set(dropped) - kept
        foreign = store._relations_touching(tx, sorted(gone), besides=sid)
        if foreign:
            raise StoreError(f"reloading {sid} would leave {foreign} relations of other sources pointing at "
                             "actors it no longer describes; nothing was written")
        ends = {e for r in rows.relations for e in (r["a"], r["b"])} - set(fresh)
        found = {r["id"] for r in tx.run("UNWIND $ids AS id MATCH (a:Actor {id: id}) USING INDEX SEEK a:Actor(id) "
                                         "RETURN a.id AS id", ids=sorted(ends))} - gone
        if ends - found:
            raise StoreError(f"source {sid}: relations point at unknown actors {sorted(ends - found)[:3]}; "
                             "nothing was written")
        touched = sorted(before | set(fresh))
        log_rows = [dict(r) for r in tx.run(
            "MATCH (st:Statement {source_id: $sid}) RETURN st.key AS key, st.actor_id AS actor_id, st.rule AS rule, "
            "st.score AS score, st.matched AS matched ORDER BY st.key", sid=sid)] if existed else []
        _mark(tx, wn, sid, "reload" if existed else "load", order, touched, log_rows)
        return wn, existed, touched, order

    wn, existed, touched, order = store._write(begin)
    log.info("writing source %s in several transactions (write %d, %d actors)", sid, wn, len(touched))
    k = store.chunk_rows
    created = 0
    gone: list[str] = []
    try:
        if existed:
            _purge_facts(store, wn, sid)
        for label, part in (("Statement", rows.statements), ("Name", rows.names), ("Ident", rows.idents)):
            for chunk in chunks(part, k):
                _owned(store, wn, lambda tx, c, lb=label: store._batches(
                    tx, f"UNWIND $rows AS row CREATE (n:{lb}) SET n = row", c), list(chunk))

        def refresh(tx, ids: list[str]) -> tuple[int, list[str]]:
            orphans: list[str] = []  # no index seek after a node is deleted: the territories dropped last
            n, lost = store._refresh_actors(tx, set(ids), fresh={a: fresh[a] for a in ids if a in fresh},
                                            fresh_source=sid, orphans=orphans)
            store._delete_nodes(tx, store._actor_element_ids(tx, lost))  # begin() checked that no other source points at them
            _drop_orphan_territories(tx, orphans)
            return n, lost

        for ids in chunks(touched, _actor_chunk(store)):
            n, lost = _owned(store, wn, refresh, list(ids))
            created += n
            gone.extend(lost)
        done = 0
        for chunk in chunks(rows.relations, k):
            _owned(store, wn, store._create_relations, list(chunk))
            done += len(chunk)
            report("write", done, rows.total)  # each committed chunk of ties

        def commit(tx) -> tuple[set[str], list[str]]:
            # the actors of other sources the load joins, with the write's end (the rest is rolled back without them)
            joined, lost = store._join_actors(tx, sid, rows.joins), []
            if joined:
                _, lost = store._refresh_actors(tx, joined)
                bad = store._relations_touching(tx, lost)
                if bad:
                    raise StoreError(f"joining actors for {sid} would leave {bad} relations pointing at {lost[:3]}")
                store._delete_actors(tx, lost)
            tx.run("MATCH (p:Proposal {source_id: $sid}) DELETE p", sid=sid).consume()
            store._batches(tx, "UNWIND $rows AS row CREATE (p:Proposal) SET p = row, p.wn = $wn", rows.proposals,
                           wn=wn)
            tx.run("MERGE (s:Source {id: $sid}) SET s += $props, s.loaded_order = $order",
                   sid=sid, props=rows.source_props, order=order).consume()
            tx.run("MATCH (r:RetiredLog {source: $sid}) DELETE r", sid=sid).consume()
            # the persons' numbers, with the source's node: the write's persons are numbered in its
            # load order, and kept in the transaction that ends the write (not in an earlier chunk)
            NumberKeeping(_PersonReads(tx)).done(set(touched) | joined)
            _unmark(tx)
            return joined, lost

        joined, lost = _owned(store, wn, commit)
        gone.extend(lost)
        touched.extend(sorted(joined - set(touched)))
    except BaseException as e:
        try:
            rollback(store, wn)
        except Exception as again:  # the next writer will do it (the marker stays)
            log.warning("rolling back the write of %s failed (%s); the next write will", sid, again)
            raise
        if isinstance(e, StoreError):
            what = ("its previous version had been deleted: load it again" if existed else "nothing was written")
            raise StoreError(f"{e}; the write in several transactions was rolled back — {what}") from e
        raise
    store.last_write["transactions"] = store._write(lambda tx: tx.run(
        "MATCH (l:MaillageLock {id: 'write'}) RETURN l.n AS n").single()["n"]) - wn + 1
    return created, gone, len(touched)


def remove_chunked(store: Neo4jStore, source_id: str):
    """Remove a source too big for one transaction: the roll-back of :func:`write_chunked`,
    driven to its end (a crash midway is finished by the next writer)."""
    from .neo4j_store import _PersonReads
    from .store import WriteSummary

    def begin(tx) -> tuple[int, list[str], list[tuple[str, str]]]:
        wn = store._lock(tx)
        numbers = NumberKeeping(_PersonReads(tx))
        numbers.keep_now()  # a store that kept none: its persons' numbers of before
        before = {r["aid"] for r in tx.run(
            "MATCH (st:Statement {source_id: $sid}) RETURN DISTINCT st.actor_id AS aid", sid=source_id)}
        store._its_own_actors(tx, source_id, before)  # refused if another source's relation points at one
        # the joins its statements made, undone in this first transaction (a person split off takes
        # back its number); the rest of the removal recomputes those actors with the others
        undone, back = store._split_joins(tx, store._join_records(tx, source_id=source_id))
        if undone:
            before |= {a for pair in undone for a in pair}
            numbers.restore(back)
            numbers.done(before)
        _mark(tx, wn, source_id, "remove", None, sorted(before))
        return wn, sorted(before), undone

    wn, before, undone = store._write(begin)
    removed = rollback(store, wn)
    return WriteSummary(source=source_id, actors_removed=removed, actors_touched=len(before), joins_undone=undone)


def recover_interrupted(store: Neo4jStore, force: bool = False) -> dict[str, Any] | None:
    """Roll back the pending chunked write if its writer looks dead (silent for longer than
    the lease; ``force``: whatever its heartbeat — only when you know it is dead). Returns
    what was rolled back (``source``, ``write``, ``kind``: load, reload or remove, ``existed``:
    whether the source's previous version had been deleted), or ``None`` if nothing was
    pending; raises :class:`~maillage.graph.neo4j_store.LoadInProgress` if the write is alive."""
    from .neo4j_store import LoadInProgress

    def claim(tx) -> tuple[int, dict[str, Any]] | None:
        rec = tx.run("MERGE (l:MaillageLock {id: 'write'}) SET l.n = coalesce(l.n, 0) + 1 "
                     "WITH l MATCH (p:PendingLoad {id: 'load'}) "
                     "RETURN l.n AS n, p.wn AS wn, p.source AS source, p.kind AS kind, "
                     "toString(p.heartbeat) AS since, "
                     "p.heartbeat < datetime() - duration({milliseconds: $lease}) AS stale",
                     lease=int(store.lease_s * 1000)).single()
        if rec is None:
            return None
        if not (rec["stale"] or force):
            raise LoadInProgress(store.uri, rec["source"], rec["wn"], False, rec["since"], store.lease_s)
        # the marker becomes this write's: a writer that was only slow is fenced off
        tx.run("MATCH (p:PendingLoad {id: 'load'}) SET p.wn = $n, p.heartbeat = datetime()", n=rec["n"]).consume()
        return rec["n"], {"source": rec["source"], "write": rec["wn"], "kind": rec["kind"],
                          "existed": rec["kind"] == "reload"}

    claimed = store._write(claim, recover=False)
    if claimed is None:
        return None
    wn, info = claimed
    rollback(store, wn)
    store.recovered.append(info)
    # said once done (the command prints maillage's warnings as notes, in French: maillage.cli)
    what = {"remove": "the interrupted removal of source %s (write %d) was finished",
            "reload": "the interrupted write of source %s (write %d) was rolled back; its previous version had "
                      "already been deleted: load its file again (it resolves as the interrupted reload would have)"}
    log.warning(what.get(info["kind"], "the interrupted write of source %s (write %d) was rolled back: the store is "
                                      "as before it"), info["source"], info["write"])
    return info


def rollback(store: Neo4jStore, wn: int) -> int:
    """Undo the pending chunked write ``wn`` (which this writer owns): delete every fact of its
    source, recompute the actors it touched, delete the source; returns the actors removed."""
    from .neo4j_store import TYPES, _PersonReads

    def read(tx) -> tuple[str, list[str]]:
        sid = tx.run("MATCH (p:PendingLoad {id: 'load'}) RETURN p.source AS s").single()["s"]
        ids = [i for r in tx.run("MATCH (p:PendingActors) RETURN p.ids AS ids ORDER BY p.ord") for i in r["ids"]]
        return sid, ids

    sid, touched = _owned(store, wn, read)
    _purge_facts(store, wn, sid)

    def refresh(tx, ids: list[str]) -> int:
        _, lost = store._refresh_actors(tx, set(ids))
        return tx.run("UNWIND $ids AS id MATCH (a:Actor {id: id}) "
                      "WHERE NOT EXISTS { MATCH (a)-[r]-(:Actor) WHERE type(r) IN $types } "
                      "DETACH DELETE a RETURN count(*) AS n", ids=lost, types=list(TYPES.values())).single()["n"]

    removed = sum(_owned(store, wn, refresh, list(ids)) for ids in chunks(touched, _actor_chunk(store)))

    def finish(tx) -> None:
        tx.run("MATCH (s:Source {id: $sid}) DELETE s", sid=sid).consume()
        # an interrupted reload keeps its last version's resolution log (key → actor id): the
        # next load of the source gives its actors the ids the reload would have kept
        tx.run("MATCH (p:PendingLoad {id: 'load', kind: 'reload'}) MATCH (l:PendingLog) "
               "CREATE (:RetiredLog {source: p.source, ord: l.ord, rows: l.rows, order: p.order})").consume()
        # the persons gone with the source (removed, or a reload's previous version) leave their
        # numbers unused; a load rolled back had numbered no one (the transaction that commits a
        # write keeps its numbers): nothing changes
        NumberKeeping(_PersonReads(tx)).done(set(touched))
        _unmark(tx)

    _owned(store, wn, finish)
    return removed


def _purge_facts(store: Neo4jStore, wn: int, sid: str) -> None:
    """Delete every statement, name, identifier, proposal and relation of ``sid``, a chunk per
    transaction (label and type names are the store's fixed ones; the source is a parameter)."""
    from .neo4j_store import TYPES

    k = store.chunk_rows
    # each by its index (`USING INDEX SEEK`): planned with some statistics, the planner scanned the
    # whole `source` index of a type instead (a chunked reload's test saw it after other tests)
    queries = [f"MATCH (n:{label}) USING INDEX SEEK n:{label}(source_id) WHERE n.source_id = $sid "
               "WITH n LIMIT $k DELETE n RETURN count(*) AS n" for label in ("Statement", "Name", "Ident", "Proposal")]
    queries += [f"MATCH ()-[r:{t}]->() USING INDEX SEEK r:{t}(source) WHERE r.source = $sid "
                "WITH r LIMIT $k DELETE r RETURN count(*) AS n" for t in TYPES.values()]
    for q in queries:
        while _owned(store, wn, lambda tx: tx.run(q, sid=sid, k=k).single()["n"]) == k:
            pass


def _mark(tx, wn: int, sid: str, kind: str, order: int | None, touched: Sequence[str],
          log_rows: Sequence[dict[str, Any]] = ()) -> None:
    """The pending-load marker: ``kind`` load, reload or remove; the ids of the actors the write
    touches; for a reload, the previous version's resolution log."""
    tx.run("CREATE (:PendingLoad {id: 'load', source: $sid, wn: $wn, kind: $kind, order: $order, "
           "started: datetime(), heartbeat: datetime()})", sid=sid, wn=wn, kind=kind, order=order).consume()
    tx.run("UNWIND $parts AS part CREATE (:PendingActors {ord: part.ord, ids: part.ids})",
           parts=[{"ord": i, "ids": list(c)} for i, c in enumerate(chunks(list(touched), PENDING_IDS))]).consume()
    tx.run("UNWIND $parts AS part CREATE (:PendingLog {ord: part.ord, rows: part.rows})",
           parts=[{"ord": i, "rows": orjson.dumps(list(c)).decode()}
                  for i, c in enumerate(chunks(list(log_rows), PENDING_IDS))]).consume()


def _unmark(tx) -> None:
    for label in ("PendingLoad", "PendingActors", "PendingLog"):  # fixed labels
        tx.run(f"MATCH (p:{label}) DELETE p").consume()


def _actor_chunk(store: Neo4jStore) -> int:
    """Actors recomputed per transaction: each is a node, its territory links and reads."""
    return max(1, store.chunk_rows // 5)
