"""``remove_source`` on Neo4j took 25–29 s for Paris's 2013 subsidy file (2.4 s on the embedded
store; h137). Two causes, seen in the plans of the statements it sends:

- the source's names and identifiers were found by a scan of every ``:Name`` and ``:Ident``
  node (their index is on ``(source_id, stmt_key)``, which ``source_id = $sid`` alone does not
  use);
- its actors were looked up by id (``UNWIND $ids … MATCH (a:Actor {id: id})``) after the
  source's statements, names and identifiers were deleted in the same transaction: each index
  seek then costs in proportion to the nodes the transaction deleted (measured: 3,615 seeks,
  0.1 s in a clean transaction, 1.2 s after 10,000 deletions, 4.5 s in the removal).

Counted from the plans (``EXPLAIN``), never timed: ``bench/neo4j_remove_bench.py`` times it."""

from __future__ import annotations

import pytest
from _env import need_shared
from neo4j_fixtures import SentQueries, empty_neo4j_store

from maillage.graph import open_store
from maillage.loaders import load_file

HG = ("realdata", "scdl-haute-garonne", "SCDL_DEP_Haute Garonne_datalocale-subvention.csv")
SOMME = ("realdata", "scdl-somme", "DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv")
TIERS_LIEUX = ("realdata", "tiers-lieux-numerique", "03_tiers_lieux.csv")

SCANS = {"NodeByLabelScan", "AllNodesScan", "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan",
         "DirectedAllRelationshipsScan", "UndirectedAllRelationshipsScan", "NodeIndexScan",
         "DirectedRelationshipIndexScan", "UndirectedRelationshipIndexScan"}
SEEKS = {"NodeIndexSeek", "NodeUniqueIndexSeek", "MultiNodeIndexSeek", "NodeIndexSeekByRange",
         "NodeUniqueIndexSeekByRange", "DirectedRelationshipIndexSeek", "UndirectedRelationshipIndexSeek"}


def _operators(plan) -> set[str]:
    """The plan's operators; a scan of the sources' label (a handful of nodes, listed by
    ``sources()``) is not counted as a scan."""
    op = plan["operatorType"].split("@")[0]
    if op in SCANS and plan.get("args", {}).get("Details", "").endswith(":Source"):
        op = "SourcesListed"
    found = {op}
    for child in plan.get("children", []):
        found |= _operators(child)
    return found


def _removing(store, sid: str) -> list[tuple[str, set[str], int]]:
    """Each statement ``remove_source(sid)`` sent, the operators of its plan, the nodes it deleted."""
    with SentQueries() as sent:
        store.remove_source(sid)
    assert None not in sent.nodes_deleted()
    with store._driver.session(database=store.database, notifications_min_severity="OFF") as s:  # runs nothing
        return [(q, _operators(s.run("EXPLAIN " + q).consume().plan), n)
                for q, n in zip(sent.texts(), sent.nodes_deleted())]


def _state(store) -> dict:
    actors = {a.id: (a.name, a.family, a.location, sorted(a.sources), sorted(i.value for i in a.identifiers))
              for a in store.iter_actors(include_persons=True)}
    stats = store.stats()
    return {"by_id": actors, **{k: stats[k] for k in ("actors", "relations", "sources", "statements")}}


@pytest.fixture()
def stores(neo4j_uri, tmp_path):
    """Neo4j and the embedded store, each given the same sources: the Haute-Garonne file twice
    (every actor stated by both), the Somme's, and tiers-lieux that stay (an emptied database
    would have the planner scan rather than seek, whatever the statement)."""
    made = [empty_neo4j_store(neo4j_uri), open_store(":memory:")]
    for s in made:
        for sid, path in (("tiers-lieux", TIERS_LIEUX), ("hg-a", HG), ("hg-b", HG), ("somme", SOMME)):
            load_file(s, need_shared(*path), source_id=sid, rejects_dir=tmp_path)
    yield made
    for s in made:
        s.close()


def test_removing_a_source_scans_no_label_and_seeks_no_index_per_actor_after_deleting(stores):
    neo4j, sqlite = stores
    assert _state(neo4j) == _state(sqlite) and len(_state(neo4j)["by_id"]) > 60
    sent = {}
    for sid in ("hg-a", "hg-b", "somme"):  # its actors kept (stated by hg-b), then gone
        sent[sid] = _removing(neo4j, sid)
        sqlite.remove_source(sid)
        assert _state(neo4j) == _state(sqlite), sid
        scans = [q for q, ops, _ in sent[sid] if ops & SCANS]
        assert not scans, (sid, scans)
        deleted = 0
        for q, ops, n in sent[sid]:
            assert not (deleted and "Unwind" in ops and ops & SEEKS), (sid, q)  # one seek per row, after deleting
            deleted += n
        assert deleted > 40, sid  # its statements, names, identifiers (and its actors)
    assert _state(neo4j)["sources"] == 1
    # as many statements for the Somme's 34 actors as for the Haute-Garonne's 48: none per actor
    assert len(sent["hg-b"]) == len(sent["somme"]), ([q for q, *_ in sent["hg-b"]], [q for q, *_ in sent["somme"]])
