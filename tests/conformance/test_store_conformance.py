"""The store contract, checked against every store implementation.

Each test gets a fresh, empty store from the ``store`` fixture (``conftest.py``), which is
parametrised over the implementations available: the embedded SQLite store always, Neo4j
when its issue lands. A store passes when every test here passes.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from maillage.graph.model import Actor, Provenance, Relation, Source
from maillage.graph.store import (AnalysisRun, NotFound, Proposal, ResolvedBatch, ResolvedRelation,
                                  StoreError)
from maillage.loaders.resolution import Resolver, accept, as_others_describe, reject, review_queue, undo


def src(sid: str, sha: str = "0" * 64) -> Source:
    return Source(id=sid, uri=f"{sid}.jsonl", sha256=sha, format="maillage-jsonl",
                  loaded_at=datetime(2026, 1, 1, tzinfo=timezone.utc))


def actor(key: str, name: str, family: str = "ess", sid: str = "s1", **kw) -> Actor:
    return Actor(key=key, name=name, family=family, provenance=Provenance(source=sid, locator=f"row {key}"), **kw)


def rel(rtype: str, a: str, b: str, sid: str = "s1", locator: str = "row 1", **kw) -> Relation:
    return Relation(type=rtype, source=a, target=b, provenance=Provenance(source=sid, locator=locator, quote="q"), **kw)


def write(store, sid: str, actors: list[Actor], relations: list[Relation], sha: str = "0" * 64):
    """Resolve against the store (as a loader would) and write one source."""
    resolver = Resolver(store, sid, relations=relations)
    statements, proposals = resolver.resolve(actors)
    ids = {st.actor.key: st.actor_id for st in statements}
    rels = [ResolvedRelation(r, ids[r.source], ids[r.target]) for r in relations]
    return store.replace_source(ResolvedBatch(src(sid, sha), statements, rels, proposals)), ids


def snapshot(store) -> tuple:
    actors = sorted((a.id, a.name, tuple(a.aliases), a.family, tuple(a.sources))
                    for a in store.iter_actors(include_persons=True))
    rels = sorted((r.id, r.type, r.source, r.target) for r in store.relations())
    return actors, rels


# -- writes -----------------------------------------------------------------------------------

def test_empty_store_counts_zero(store):
    s = store.stats()
    assert (s["actors"], s["relations"], s["poles"], s["sources"]) == (0, 0, 0, 0)


def test_write_then_read_back(store):
    _, ids = write(store, "s1", [actor("a", "Ôkhra", kind="scic"), actor("p", "Le Périscope", "pole", kind="ptce")],
                   [rel("carries", "a", "p")])
    a = store.get_actor(ids["a"])
    assert a.name == "Ôkhra" and a.kind == "scic" and a.sources == ["s1"]
    (r,) = store.relations()
    assert (r.type, r.source, r.target) == ("carries", ids["a"], ids["p"])
    assert r.provenance.source == "s1" and r.provenance.quote == "q" and r.provenance.locator == "row 1"
    assert r.provenance.loaded_at == datetime(2026, 1, 1, tzinfo=timezone.utc)  # stamped from the source
    ((sid, st),) = store.statements(ids["a"])
    assert sid == "s1" and st.provenance.loaded_at == datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert store.stats()["poles"] == 1


def test_same_batch_twice_is_idempotent(store):
    batch = ([actor("a", "A"), actor("b", "B")], [rel("partner", "a", "b")])
    write(store, "s1", *batch)
    first = snapshot(store)
    write(store, "s1", *batch)
    assert snapshot(store) == first
    assert store.stats()["statements"] == 2


def test_reload_replaces_only_that_source(store):
    _, ids1 = write(store, "s1", [actor("a", "Alpha"), actor("b", "Beta")], [rel("partner", "a", "b")])
    write(store, "s2", [actor("x", "Alpha", sid="s2"), actor("y", "Gamma", sid="s2")],
          [rel("funds", "y", "x", sid="s2")])
    assert store.stats()["actors"] == 3
    # s1 now says something else: Beta and its tie are gone, Delta appears
    write(store, "s1", [actor("a", "Alpha"), actor("d", "Delta")], [rel("cooperates", "a", "d")])
    names = {a.name for a in store.iter_actors()}
    assert names == {"Alpha", "Gamma", "Delta"}
    types = sorted(r.type for r in store.relations())
    assert types == ["cooperates", "funds"]  # s2's funds tie untouched, s1's partner tie replaced
    alpha = store.get_actor(ids1["a"])
    assert alpha.sources == ["s1", "s2"]


def _s2_points_at(store, target_id: str) -> None:
    """Source s2: one actor of its own and a tie to ``target_id``, an actor s1 alone describes."""
    statements, _ = Resolver(store, "s2").resolve([actor("x", "Xi", sid="s2")])
    tie = ResolvedRelation(rel("partner", "x", "b", sid="s2"), statements[0].actor_id, target_id)
    store.replace_source(ResolvedBatch(src("s2"), statements, [tie]))


def test_reload_refused_when_it_would_leave_ties_of_other_sources_dangling(store):
    _, ids = write(store, "s1", [actor("a", "Alpha"), actor("b", "Beta")], [])
    _s2_points_at(store, ids["b"])
    before = snapshot(store)
    with pytest.raises(StoreError, match="s1.*1 relations of other sources"):
        write(store, "s1", [actor("a", "Alpha")], [], sha="1" * 64)  # Beta is no longer described
    assert snapshot(store) == before


def test_remove_refused_when_it_would_leave_ties_of_other_sources_dangling(store):
    _, ids = write(store, "s1", [actor("a", "Alpha"), actor("b", "Beta")], [])
    _s2_points_at(store, ids["b"])
    before = snapshot(store)
    with pytest.raises(StoreError, match="1 relations of other sources"):
        store.remove_source("s1")
    assert snapshot(store) == before
    store.remove_source("s2")
    store.remove_source("s1")  # once nothing points at its actors, s1 can go
    assert store.stats()["actors"] == 0


def test_remove_source_removes_its_actors_and_keeps_shared_ones(store):
    _, ids = write(store, "s1", [actor("a", "Alpha"), actor("b", "Beta")], [])
    write(store, "s2", [actor("x", "Alpha", sid="s2")], [])
    store.remove_source("s1")
    assert [a.name for a in store.iter_actors()] == ["Alpha"]
    assert store.get_actor(ids["a"]).sources == ["s2"]
    assert store.get_actor(ids["b"]) is None
    with pytest.raises(NotFound):
        store.remove_source("nope")


def test_failed_write_leaves_store_unchanged(store):
    write(store, "s1", [actor("a", "Alpha")], [])
    before = snapshot(store)
    statements, _ = Resolver(store, "s2").resolve([actor("x", "Xi", sid="s2")])
    bad = ResolvedRelation(rel("partner", "x", "ghost", sid="s2"), statements[0].actor_id, "no-such-actor")
    with pytest.raises(StoreError):
        store.replace_source(ResolvedBatch(src("s2"), statements, [bad]))
    assert snapshot(store) == before
    assert [s.id for s in store.sources()] == ["s1"]


def test_conflicting_statements_are_kept_and_visible(store):
    _, ids = write(store, "s1", [actor("p", "Savecom", "pole", kind="ptce", declared={"members": 40})], [])
    write(store, "s2", [actor("p", "SAVECOM", "ess", sid="s2", declared={"members": 27})], [])
    a = store.get_actor(ids["p"])
    assert a.family == "pole"  # a tie between statements goes to the more specific role
    assert a.conflicts["family"] == ["ess", "pole"]
    assert a.conflicts["declared.members"] == [27.0, 40.0]
    assert a.declared["members"] == 40
    assert len(store.statements(ids["p"])) == 2


def test_detach_undoes_a_merge_and_survives_reload(store):
    _, ids = write(store, "s1", [actor("a", "Maison de l'économie solidaire")], [])
    _, ids2 = write(store, "s2", [actor("m", "Maison de l'Economie Solidaire", sid="s2")], [])
    assert ids2["m"] == ids["a"]  # merged by name
    store.detach_statement("s2", "m", "mes-bray")
    assert store.get_actor("mes-bray").sources == ["s2"]
    assert store.get_actor(ids["a"]).sources == ["s1"]
    _, ids3 = write(store, "s2", [actor("m", "Maison de l'Economie Solidaire", sid="s2")], [])
    assert ids3["m"] == "mes-bray"
    (d,) = store.decisions("s2")
    assert (d.source, d.key, d.action, d.actor_id) == ("s2", "m", "detach", "mes-bray") and d.decided_at
    # a decision outlives its source: removed and loaded again, the statement stays apart
    store.remove_source("s2")
    _, ids4 = write(store, "s2", [actor("m", "Maison de l'Economie Solidaire", sid="s2")], [])
    assert ids4["m"] == "mes-bray"


def test_detach_holds_when_the_other_side_is_loaded_again(store):
    """An undo tells two statements apart: loading again the source of the one left behind (the
    reference dataset reloaded after a subsidy file's statement was detached from it) must not
    merge it back into the detached one by name."""
    _, ids = write(store, "s1", [actor("a", "Coop'Action")], [])
    write(store, "s2", [actor("m", "COOP'ACTION", sid="s2")], [])
    assert store.resolution_of("s2")["m"] == ids["a"]  # merged by name
    store.detach_statement("s2", "m", "coop-action-bis")
    assert [(d.source, d.key, d.action, d.actor_id) for d in store.decisions("s1")] == \
        [("s1", "a", "reject", "coop-action-bis")]
    for _ in range(2):  # the other side loaded again, then removed and loaded again
        _, again = write(store, "s1", [actor("a", "Coop'Action")], [])
        assert again["a"] == ids["a"] != "coop-action-bis"
        assert store.get_actor("coop-action-bis").sources == ["s2"]
        assert store.get_actor(ids["a"]).sources == ["s1"]
        store.remove_source("s1")
    write(store, "s2", [actor("m", "COOP'ACTION", sid="s2")], [])
    assert store.resolution_of("s2")["m"] == "coop-action-bis"


def _proposed_pair(store):
    """s1 describes a person; s2 a near-homonym, only proposed (persons never fuzzy-merge)."""
    _, ids1 = write(store, "s1", [actor("p", "Antoine Maurice", "person"), actor("o", "Okhra")],
                    [rel("represents", "p", "o")])
    _, ids2 = write(store, "s2", [actor("q", "Antoine Meurice", "person", sid="s2"), actor("z", "Zeta", sid="s2")],
                    [rel("represents", "q", "z", sid="s2")])
    (prop,) = store.proposals("s2")
    assert (prop.source, prop.key, prop.candidate_id) == ("s2", "q", ids1["p"]) and ids2["q"] != ids1["p"]
    return ids1, ids2, prop


def test_accepting_a_proposal_merges_and_survives_reload(store):
    ids1, ids2, prop = _proposed_pair(store)
    assert prop.id == Proposal(prop.key, prop.candidate_id, 0.0, "", source="s2").id  # stable id
    store.merge_statement("s2", "q", ids1["p"])
    assert store.get_actor(ids2["q"]) is None  # the actor it leaves had nothing else
    assert store.get_actor(ids1["p"]).sources == ["s1", "s2"]
    assert store.resolution_of("s2")["q"] == ids1["p"]
    assert {r["key"]: r["rule"] for r in store.resolution_log("s2")}["q"] == "accepted"
    (tie,) = store.relations(source="s2")
    assert (tie.source, tie.target) == (ids1["p"], ids2["z"])  # the source's tie followed its statement
    assert store.proposals("s2") == [] and store.stats()["proposals"] == 0
    assert [(d.action, d.actor_id) for d in store.decisions("s2")] == [("accept", ids1["p"])]
    first = snapshot(store)
    write(store, "s2", [actor("q", "Antoine Meurice", "person", sid="s2"), actor("z", "Zeta", sid="s2")],
          [rel("represents", "q", "z", sid="s2")])
    assert snapshot(store) == first  # the resolver re-applies the decision


def test_accepting_moves_the_statements_resolved_together(store):
    ids1, ids2, _ = _proposed_pair(store)
    # s3 names the same person as s2, by name and with the same organisation (a name alone would be proposed)
    _, ids3 = write(store, "s3", [actor("q3", "Antoine Meurice", "person", sid="s3"), actor("z", "Zeta", sid="s3")],
                    [rel("represents", "q3", "z", sid="s3")])
    assert ids3["q3"] == ids2["q"]
    store.merge_statement("s2", "q", ids1["p"])  # a reviewer: s2's person is s1's
    assert store.get_actor(ids1["p"]).sources == ["s1", "s2", "s3"]
    assert sorted((d.source, d.key, d.action) for d in store.decisions()) == [("s2", "q", "accept"),
                                                                               ("s3", "q3", "accept")]
    write(store, "s3", [actor("q3", "Antoine Meurice", "person", sid="s3"), actor("z", "Zeta", sid="s3")],
          [rel("represents", "q3", "z", sid="s3")])
    assert store.resolution_of("s3")["q3"] == ids1["p"]
    # only the statement: its companions stay
    _, ids4 = write(store, "s4", [actor("a", "Gamma", sid="s4")], [])
    _, ids5 = write(store, "s5", [actor("b", "Gamma", sid="s5")], [])
    assert ids4["a"] == ids5["b"]
    _, ids6 = write(store, "s6", [actor("c", "Delta", sid="s6")], [])
    store.merge_statement("s5", "b", ids6["c"], whole_actor=False)
    assert store.get_actor(ids4["a"]).sources == ["s4"] and store.get_actor(ids6["c"]).sources == ["s5", "s6"]


def test_a_view_merged_outside_the_store_shows_the_name_the_store_shows(store):
    """The store gives each statement with the rule that resolved it (``resolved_statements``):
    merged outside the store (a reload reads an actor as the other sources describe it, a SIRENE
    file states the store's name), the statements a reviewer accepted in do not rename the actor —
    a tie between « Coopérative Alpha Longue » and the accepted « Alpha » goes to the first, not to
    the shorter."""
    _, ids1 = write(store, "s1", [actor("a", "Coopérative Alpha Longue")], [])
    _, ids2 = write(store, "s2", [actor("b", "Alpha", sid="s2")], [])
    assert ids2["b"] != ids1["a"]
    store.merge_statement("s2", "b", ids1["a"])
    assert store.get_actor(ids1["a"]).name == "Coopérative Alpha Longue"
    assert as_others_describe(store, ids1["a"], "s3").name == "Coopérative Alpha Longue"
    got = store.resolved_statements([ids1["a"], "no-such-actor"])
    assert [(sid, a.key, rule) for sid, a, rule in got[ids1["a"]]] == [("s1", "a", "new"), ("s2", "b", "accepted")]
    assert store.statements_of([ids1["a"]]) == {ids1["a"]: [(sid, a) for sid, a, _ in got[ids1["a"]]]}
    assert as_others_describe(store, ids1["a"], "s1").name == "Alpha"  # s2's statement alone
    assert as_others_describe(store, ids2["b"], "s1") is None  # no such actor any more


def test_undoing_an_accept_puts_the_store_back_as_it_was_before_it(store):
    """An accept moved s2's person and s3's, resolved together; undoing it — from either of its
    statements — puts both back in the actor they came from, under its id, with the rules that
    had resolved them, and the proposal back to review; loaded again, the rules decide as before
    the accept (it used to split the actor, statement by statement, and reject the pair for good)."""
    ids1, ids2, prop = _proposed_pair(store)
    _, ids3 = write(store, "s3", [actor("q3", "Antoine Meurice", "person", sid="s3"), actor("z", "Zeta", sid="s3")],
                    [rel("represents", "q3", "z", sid="s3")])
    assert ids3["q3"] == ids2["q"]
    before, logs = snapshot(store), {s: store.resolution_log(s) for s in ("s1", "s2", "s3")}
    (item,) = review_queue(store)
    assert item.id == prop.id and item.together == 1
    accept(store, item.id)
    assert store.get_actor(ids2["q"]) is None and review_queue(store) == []
    assert undo(store, "s3", "q3") == ids2["q"]
    assert snapshot(store) == before
    assert {s: store.resolution_log(s) for s in ("s1", "s2", "s3")} == logs
    assert [i.id for i in review_queue(store)] == [item.id]
    assert [(d.source, d.key, d.action, d.actor_id) for d in store.decisions()] == [
        ("s2", "q", "accept", ids1["p"]), ("s3", "q3", "accept", ids1["p"]),
        ("s2", "q", "undo", ids2["q"]), ("s3", "q3", "undo", ids2["q"])]
    assert store.decisions("s3")[-1].previous == {"actor_id": ids1["p"]}
    # the accept no longer holds: loaded again, the rules decide as before it
    write(store, "s3", [actor("q3", "Antoine Meurice", "person", sid="s3"), actor("z", "Zeta", sid="s3")],
          [rel("represents", "q3", "z", sid="s3")])
    assert snapshot(store) == before and [i.id for i in review_queue(store)] == [item.id]
    assert store.resolution_log("s3") == logs["s3"]
    accept(store, item.id)  # the reviewer may accept it again, and undo it again
    assert store.get_actor(ids1["p"]).sources == ["s1", "s2", "s3"]
    assert undo(store, "s2", "q") == ids2["q"] and snapshot(store) == before
    with pytest.raises(StoreError, match="no accepted merge"):
        store.undo_accept("s2", "q", "whatever")
    reject(store, item.id)
    assert review_queue(store) == [] and snapshot(store) == before


def test_rejecting_a_proposal_is_remembered(store):
    ids1, ids2, prop = _proposed_pair(store)
    store.reject_proposal("s2", "q", ids1["p"])
    assert store.proposals("s2") == []
    assert [(d.source, d.key, d.action, d.actor_id) for d in store.decisions()] == [("s2", "q", "reject", ids1["p"])]
    write(store, "s2", [actor("q", "Antoine Meurice", "person", sid="s2")], [])
    assert store.proposals("s2") == []  # not proposed again
    assert store.resolution_of("s2")["q"] != ids1["p"]
    with pytest.raises(NotFound):
        store.reject_proposal("s2", "nope", ids1["p"])


def test_merge_statement_errors_change_nothing(store):
    ids1, ids2, _ = _proposed_pair(store)
    before = snapshot(store)
    with pytest.raises(NotFound):
        store.merge_statement("s2", "nope", ids1["p"])
    with pytest.raises(NotFound):
        store.merge_statement("s2", "q", "no-such-actor")
    # s3 ties to the actor only s2's statement q describes: q cannot leave it
    statements, _ = Resolver(store, "s3").resolve([actor("w", "Omega", sid="s3")])
    store.replace_source(ResolvedBatch(src("s3"), statements,
                                       [ResolvedRelation(rel("partner", "w", "q", sid="s3"), statements[0].actor_id,
                                                         ids2["q"])]))
    before = snapshot(store)
    with pytest.raises(StoreError, match="1 relations of other sources"):
        store.merge_statement("s2", "q", ids1["p"])
    assert snapshot(store) == before and store.decisions() == []


# -- lookups ----------------------------------------------------------------------------------

def test_lookup_by_identifier_and_siret_rollup(store):
    _, ids = write(store, "s1", [actor("a", "Alpha", identifiers=[{"scheme": "siren", "value": "732829320"}]),
                                 actor("r", "Asso", identifiers=[{"scheme": "rna", "value": "W313012345"}])], [])
    assert store.find_by_identifier("siren", "732829320") == [ids["a"]]
    assert store.find_by_identifier("siret", "73282932000074") == [ids["a"]]
    assert store.find_by_identifier("rna", "W313012345") == [ids["r"]]
    assert store.find_by_identifier("siren", "356000000") == []


def test_lookup_by_name_is_accent_and_case_insensitive(store):
    _, ids = write(store, "s1", [actor("a", "L'Atelier Coopératif", aliases=["Atelier coop"])], [])
    assert store.find_by_name("atelier cooperatif") == [ids["a"]]
    assert store.find_by_name("ATELIER COOP") == [ids["a"]]
    assert [a.id for a in store.search("coopé")] == [ids["a"]]
    assert store.search("zzz") == []



def test_search_takes_every_word_in_any_order_named_actors_first(store):
    """« jardins cocagne » finds « Jardins de Cocagne » (the words need not touch); a placeholder
    comes after the named actors whatever its name; paging follows that order."""
    _, ids = write(store, "s1", [
        actor("j", "Les Jardins de Cocagne du Lauragais"), actor("c", "Cocagne Services"),
        actor("x", "Association de préfiguration des Jardins (non nommée)", placeholder=True),
        actor("p", "Périscope (Le)"), actor("q", "Atelier Périscope", placeholder=True)], [])
    assert [a.id for a in store.search("jardins cocagne")] == [ids["j"]]
    assert [a.id for a in store.search("COCAGNE  jardins")] == [ids["j"]]
    assert [a.id for a in store.search("jardins")] == [ids["j"], ids["x"]]
    assert [a.id for a in store.search("périscope")] == [ids["p"], ids["q"]]  # « Atelier » sorts first by name
    assert [a.id for a in store.search("perisc", limit=1, offset=1)] == [ids["q"]]
    assert store.search("jardins zzz") == []

def test_persons_are_hidden_unless_asked(store):
    _, ids = write(store, "s1", [actor("p", "Jeanne Martin", "person", kind="elu"), actor("o", "Org")],
                   [rel("represents", "p", "o")])
    assert [a.name for a in store.iter_actors()] == ["Org"]
    assert {a.name for a in store.iter_actors(include_persons=True)} == {"Jeanne Martin", "Org"}
    assert store.search("jeanne") == []
    sub = store.neighbourhood(ids["o"], depth=1)
    assert list(sub.actors) == [ids["o"]] and sub.relations == []
    sub = store.neighbourhood(ids["o"], depth=1, include_persons=True)
    assert set(sub.actors) == {ids["o"], ids["p"]}


def test_stats_count_the_ties_of_persons_apart(store):
    """``person_relations``: the ties with a natural person at an end, each once (a tie between two
    persons too) — what the public views leave out of ``relations`` (GET /ready)."""
    write(store, "s1", [actor("p", "Jeanne Martin", "person", kind="elu"), actor("q", "Paul Durand", "person"),
                        actor("o", "Org"), actor("x", "Xeta")],
          [rel("represents", "p", "o"), rel("governs", "q", "x"), rel("partner", "p", "q"),
           rel("partner", "o", "x")])
    st = store.stats()
    assert (st["relations"], st["person_relations"], st["persons"]) == (4, 3, 2)
    assert st["relations"] - st["person_relations"] == len(store.projection().relations) == 1


# -- graph reads ------------------------------------------------------------------------------

@pytest.fixture
def chain(store):
    """a — b — c — d (partner ties dated 2010, 2015–2018, 2020) plus b →funds→ d."""
    _, ids = write(store, "s1", [actor(k, k.upper() + "-org") for k in "abcd"], [
        rel("partner", "a", "b", start="2010", locator="r1"),
        rel("partner", "b", "c", start="2015", end="2018", locator="r2"),
        rel("partner", "c", "d", start="2020", locator="r3"),
        rel("funds", "b", "d", fields={"amount": 1000, "year": 2016}, locator="r4"),
    ])
    return ids


def test_neighbourhood_depth_and_type_filter(store, chain):
    ids = chain
    sub = store.neighbourhood(ids["a"], depth=1)
    assert set(sub.actors) == {ids["a"], ids["b"]}
    sub = store.neighbourhood(ids["a"], depth=2, types=["partner"])
    assert set(sub.actors) == {ids["a"], ids["b"], ids["c"]}
    sub = store.neighbourhood(ids["a"], depth=2)
    assert set(sub.actors) == {ids["a"], ids["b"], ids["c"], ids["d"]}
    assert {r.type for r in sub.relations} == {"partner", "funds"}
    with pytest.raises(NotFound):
        store.neighbourhood("nobody")


def test_time_filter_as_of(store, chain):
    ids = chain
    assert {(r.source, r.target) for r in store.relations(types=["partner"], as_of=2012)} == {(ids["a"], ids["b"])}
    got = {frozenset((r.source, r.target)) for r in store.relations(types=["partner"], as_of=2016)}
    assert got == {frozenset((ids["a"], ids["b"])), frozenset((ids["b"], ids["c"]))}
    sub = store.neighbourhood(ids["a"], depth=3, types=["partner"], as_of=2021)
    assert set(sub.actors) == {ids["a"], ids["b"]}  # b–c ended in 2018


def test_relations_among_and_touching(store, chain):
    ids = chain
    assert len(store.relations(touching=[ids["b"]])) == 3
    assert len(store.relations(among=[ids["b"], ids["c"], ids["d"]])) == 3
    assert store.relations(among=[]) == []


def test_ties_are_the_structure_of_relations_touching(store, chain):
    """``ties`` returns what ``relations(touching=…)`` does, reduced to (id, source, target),
    for every filter; nothing for no actor or no type."""
    ids = chain
    every = list(ids.values())
    for touching in ([ids["b"]], [ids["a"], ids["d"]], every, ["nobody"]):
        for types, as_of in ((None, None), (["partner"], None), (["partner"], 2016), (None, 2021), (["funds"], None)):
            expected = [(r.id, r.source, r.target) for r in store.relations(touching=touching, types=types, as_of=as_of)]
            got = [tuple(t) for t in store.ties(touching, types=types, as_of=as_of)]
            assert got == expected, (touching, types, as_of)
    assert len(store.ties([ids["b"]])) == 3
    assert store.ties([]) == [] and store.ties(every, types=[]) == []


def test_tie_fields_are_the_fields_of_relations_touching(store, chain):
    """``tie_fields`` returns what ``relations(touching=…)`` does, reduced to (id, source,
    target, fields), for every filter — the fields as stored (an amount and a year of a grant,
    none for a partnership); nothing for no actor or no type; another source's statements left
    out."""
    ids = chain
    every = list(ids.values())
    _, again = write(store, "s2", [actor(k, k.upper() + "-org", sid="s2") for k in "bd"],
                     [rel("funds", "b", "d", sid="s2", fields={"amount": 2500, "year": 2017}, locator="r9")],
                     sha="1" * 64)
    assert again == {"b": ids["b"], "d": ids["d"]}  # the same actors, by name
    sources = {r.provenance.source for r in store.relations()}
    assert sources == {"s1", "s2"}
    for touching in ([ids["b"]], [ids["a"], ids["d"]], every, ["nobody"]):
        for types in (None, ["partner"], ["funds"], ["funds", "partner"]):
            for source in (None, *sorted(sources), "nobody's"):
                expected = [(r.id, r.source, r.target, r.fields)
                            for r in store.relations(touching=touching, types=types, source=source)]
                got = [tuple(t) for t in store.tie_fields(touching, types=types, source=source)]
                assert got == expected, (touching, types, source)
    grants = store.tie_fields([ids["b"]], types=["funds"], source="s1")
    assert [(s, t, f) for _, s, t, f in grants] == [(ids["b"], ids["d"], {"amount": 1000, "year": 2016})]
    grants = store.tie_fields([ids["d"]], types=["funds"])
    assert sorted(f["amount"] for *_, f in grants) == [1000, 2500]
    assert store.tie_fields([]) == [] and store.tie_fields(every, types=[]) == []
    assert store.tie_fields(every, source="nobody's") == []


def test_ties_filter_by_certainty(store):
    def said(rtype, a, b, certainty, n):
        return Relation(type=rtype, source=a, target=b,
                        provenance=Provenance(source="s1", locator=f"row {n}", certainty=certainty))
    _, ids = write(store, "s1", [actor("a", "Alpha"), actor("b", "Beta"), actor("c", "Gamma")],
                   [said("partner", "a", "b", "stated", 1), said("partner", "b", "c", "planned", 2),
                    said("cooperates", "a", "c", "inferred", 3)])
    for certainty in (["stated"], ["planned"], ["planned", "inferred"], ["implied"]):
        expected = [(r.id, r.source, r.target) for r in store.relations(touching=[ids["b"]], certainty=certainty)]
        assert [tuple(t) for t in store.ties([ids["b"]], certainty=certainty)] == expected
    assert [(t[1], t[2]) for t in store.ties([ids["b"]], certainty=["planned"])] == [(ids["b"], ids["c"])]
    assert len(store.ties(list(ids.values()), certainty=["planned", "inferred"])) == 2


def test_neighbourhood_cap_is_reported(store):
    hub = actor("h", "Hub")
    spokes = [actor(f"s{i}", f"Spoke {i}") for i in range(10)]
    write(store, "s1", [hub, *spokes], [rel("partner", "h", f"s{i}", locator=f"r{i}") for i in range(10)])
    hid = store.find_by_name("Hub")[0]
    sub = store.neighbourhood(hid, depth=1, max_actors=5)
    assert len(sub.actors) == 5 and sub.capped and sub.notes


def test_pole_subgraph(store):
    _, ids = write(store, "s1", [actor("p", "Pôle Sud", "pole", kind="ptce"), actor("m1", "M1"), actor("m2", "M2"),
                                 actor("x", "Far away")],
                   [rel("membership", "m1", "p", locator="1"), rel("membership", "m2", "p", locator="2"),
                    rel("cooperates", "m1", "m2", locator="3"), rel("partner", "m2", "x", locator="4")])
    sub = store.pole_subgraph(ids["p"])
    assert set(sub.actors) == {ids["p"], ids["m1"], ids["m2"]}
    assert {r.type for r in sub.relations} == {"membership", "cooperates"}
    with pytest.raises(StoreError):
        store.pole_subgraph(ids["m1"])


def test_territory_subgraph_rolls_up(store):
    _, ids = write(store, "s1", [
        actor("r", "Asso Ramonville", location="commune:31446"),   # Ramonville, CA du Sicoval, Haute-Garonne
        actor("t", "Asso Toulouse", location="commune:31555"),
        actor("d", "Réseau 31", "network", location="departement:31"),
        actor("b", "Asso Bordeaux", location="commune:33063"),
        actor("cd", "Conseil départemental de la Haute-Garonne", "collectivite", kind="departement",
              territory="departement:31", location="departement:31"),
    ], [rel("partner", "r", "t", locator="1"), rel("partner", "t", "b", locator="2")])
    dep31 = set(store.actors_in_territory("departement:31"))
    assert dep31 == {ids["r"], ids["t"], ids["d"], ids["cd"]}
    assert set(store.actors_in_territory("commune:31446")) == {ids["r"]}
    assert set(store.actors_in_territory("region:76")) == dep31
    assert ids["b"] in store.actors_in_territory("region:75")
    sub = store.territory_subgraph("departement:31")
    assert len(sub.relations) == 1
    sub = store.territory_subgraph("departement:31", include_external=True)
    assert ids["b"] in sub.actors and len(sub.relations) == 2 and sub.notes


def test_projection_filters_by_type_and_hides_persons(store, chain):
    sub = store.projection(types=["partner"])
    assert len(sub.actors) == 4 and {r.type for r in sub.relations} == {"partner"}
    sub = store.projection(types=["partner"], as_of=2016)
    assert len(sub.relations) == 2


# -- analysis runs ------------------------------------------------------------------------------

def test_runs_keep_history(store, chain):
    ids = chain
    r1 = AnalysisRun(id="run-1", lens="cooperation", as_of=2016, params={"k": None},
                     created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    r2 = AnalysisRun(id="run-2", lens="cooperation", created_at=datetime(2026, 1, 2, tzinfo=timezone.utc))
    store.save_run(r1, [(ids["a"], "degree", 1.0), (ids["b"], "degree", 2.0)])
    store.save_run(r2, [(ids["a"], "degree", 5.0)])
    assert store.metrics("run-1") == {ids["a"]: {"degree": 1.0}, ids["b"]: {"degree": 2.0}}
    assert store.metrics() == {ids["a"]: {"degree": 5.0}}  # latest
    # one actor, several at once (an actor without metrics in the run is left out), none
    assert store.metrics("run-1", actor_id=ids["b"]) == {ids["b"]: {"degree": 2.0}}
    assert store.metrics("run-1", actor_ids=[ids["b"], "absent"]) == {ids["b"]: {"degree": 2.0}}
    assert store.metrics("run-1", actor_ids=iter([ids["a"], ids["b"]])) == store.metrics("run-1")
    assert store.metrics("run-2", actor_ids=[ids["b"]]) == {} and store.metrics("run-1", actor_ids=[]) == {}
    assert [r.id for r in store.runs()] == ["run-1", "run-2"]
    assert store.runs()[0].as_of == 2016
    with pytest.raises(StoreError):
        store.save_run(r1, [])
    with pytest.raises(NotFound):
        store.metrics("run-404")


def test_delete_runs_removes_those_runs_and_nothing_else(store, chain):
    """``delete_runs``: the runs given go with every metric (more than one transaction's worth
    in the chunked Neo4j store), the others stay as they were; an unknown id among them is
    refused and nothing is removed."""
    ids = chain
    made = [AnalysisRun(id=f"run-{i}", created_at=datetime(2026, 1, i, tzinfo=timezone.utc)) for i in (1, 2, 3)]
    store.save_run(made[0], [(f"x{i:02d}", "degree", float(i)) for i in range(10)])
    store.save_run(made[1], [(ids["a"], "degree", 5.0), (ids["b"], "constraint", None)])
    store.save_run(made[2], [(ids["a"], "degree", 7.0), (ids["b"], "degree", 8.0), ("x00", "degree", 0.5)])
    kept = store.metrics("run-2")
    before = snapshot(store)
    with pytest.raises(NotFound, match="run-404"):
        store.delete_runs(["run-1", "run-404"])
    assert [r.id for r in store.runs()] == ["run-1", "run-2", "run-3"] and len(store.metrics("run-1")) == 10
    assert store.delete_runs(["run-3", "run-1", "run-3"]) == {"run-3": 3, "run-1": 10}
    assert [r.id for r in store.runs()] == ["run-2"] and store.stats()["runs"] == 1
    assert store.metrics("run-2") == kept == {ids["a"]: {"degree": 5.0}, ids["b"]: {"constraint": None}}
    assert store.metrics() == kept  # the latest run is now run-2
    for gone in ("run-1", "run-3"):
        with pytest.raises(NotFound):
            store.metrics(gone)
    assert snapshot(store) == before  # actors and relations untouched
    assert store.delete_runs([]) == {}
    # a removed run's id is free again: a new run under it holds only its own metrics
    store.save_run(AnalysisRun(id="run-1"), [(ids["a"], "degree", 1.0)])
    assert store.metrics("run-1") == {ids["a"]: {"degree": 1.0}}


def test_metrics_of_many_actors_in_one_call(store):
    """More actors than one SQL statement binds (the SQLite store reads them in chunks)."""
    run = AnalysisRun(id="run-many", lens="cooperation")
    store.save_run(run, [(f"x{i:05d}", "degree", float(i)) for i in range(1201)])
    asked = [f"x{i:05d}" for i in range(0, 1201, 2)] + ["x99999"]
    assert store.metrics("run-many", actor_ids=asked) == {f"x{i:05d}": {"degree": float(i)} for i in range(0, 1201, 2)}


def test_metrics_come_back_ordered_by_actor_then_metric_name(store):
    """Every store gives the same order (actor id, then metric name), whatever the order they were
    written in: exports built from it (GraphML key ids, JSON key order) are then the same files
    from either store."""
    run = AnalysisRun(id="run-order", lens="cooperation")
    names = ["pagerank", "betweenness", "degree", "constraint", "closeness"]
    actors = [f"a{i:03d}" for i in range(40)]
    rows = [(a, n, float(i)) for i, (a, n) in enumerate((a, n) for a in reversed(actors) for n in names)]
    store.save_run(run, rows)
    for got in (store.metrics("run-order"), store.metrics("run-order", actor_ids=reversed(actors[5:30]))):
        assert list(got) == sorted(got)
        assert all(list(values) == sorted(names) for values in got.values())


def test_runs_keep_unknown_values_and_diagnostic_rows(store, chain):
    """Unknown (None) and undefined (NaN) read back as None in every store; a diagnostics row
    keyed by something that is not an actor (the observatory) is kept as it is."""
    ids = chain
    run = AnalysisRun(id="run-u", created_at=datetime(2026, 1, 3, tzinfo=timezone.utc))
    store.save_run(run, [(ids["a"], "constraint", float("nan")), (ids["a"], "critere.K1", None),
                         (ids["a"], "critere.K2", 0.0), ("observatoire", "observatoire.median_members", 14.0)])
    assert store.metrics("run-u") == {ids["a"]: {"constraint": None, "critere.K1": None, "critere.K2": 0.0},
                                      "observatoire": {"observatoire.median_members": 14.0}}


# -- the persons' numbers ---------------------------------------------------------------------------

def test_the_persons_numbers_are_kept_and_replaced(store):
    """The numbers that mask the persons (« [personne 3] ») are kept by the store, so that a
    person keeps its number when a source is removed (maillage.analytics.run.keep_person_numbers)."""
    assert store.person_numbering() is None  # nothing kept yet: numbered in load order
    store.keep_person_numbering(3, {"a-marie": 1, "a-didier": 3})
    assert store.person_numbering() == (3, {"a-marie": 1, "a-didier": 3})
    store.keep_person_numbering(4, {"a-didier": 3, "a-cecile": 4})
    assert store.person_numbering() == (4, {"a-didier": 3, "a-cecile": 4})
    assert store.stats()["actors"] == 0  # kept beside the graph, not in it


# -- the persons' numbers, kept by every write in its own transaction -------------------------------
# A load numbered its persons just after the store's write, a removal from Python not at all:
# a load killed in between left the numbers of before, and `store.remove_source` renumbered the
# persons after the source (« [personne 2] » became « [personne 1] », another person's number
# in an export made before). Now the store's writes keep the numbers (maillage.graph.numbering).

def _two_interviews(store) -> tuple[dict, dict]:
    """s1 states an organisation and Marie Durand, who works there; s2 Didier Cognon."""
    _, ids1 = write(store, "s1", [actor("o", "Jardins du Lauragais"), actor("m", "Marie Durand", "person")],
                    [rel("employs", "o", "m")])
    _, ids2 = write(store, "s2", [actor("d", "Didier Cognon", "person", sid="s2")], [])
    return ids1, ids2


def _forget_numbers(store) -> None:
    """As in a store written by an earlier maillage, which kept no numbers."""
    if hasattr(store, "db"):
        store.db.execute("DELETE FROM meta WHERE key = 'person_numbers'")
    else:
        store._write(lambda tx: tx.run("MATCH (m:MaillageMeta {key: 'person_numbers'}) DELETE m").consume())


def test_a_write_keeps_the_persons_numbers_itself(store):
    from maillage.analytics.persons import person_groups

    ids1, ids2 = _two_interviews(store)  # replace_source alone: no caller numbered anyone
    assert store.person_numbering() == (2, {ids1["m"]: 1, ids2["d"]: 2})
    assert person_groups(store) == [("Marie Durand",), ("Didier Cognon",)]


def test_removing_a_source_from_python_keeps_the_other_persons_numbers(store):
    from maillage.analytics.persons import person_groups

    ids1, ids2 = _two_interviews(store)
    store.remove_source("s1")
    assert person_groups(store) == [(), ("Didier Cognon",)]  # not « [personne 1] »: Marie Durand's number
    assert store.person_numbering() == (2, {ids2["d"]: 2})  # nothing else kept of Marie Durand
    _two_interviews(store)  # loaded back, she is numbered after the highest number ever given
    assert person_groups(store) == [(), ("Didier Cognon",), ("Marie Durand",)]


def test_a_write_failing_in_its_transaction_leaves_the_numbers_and_the_store_of_before(store):
    from maillage.analytics.persons import person_groups

    ids1, _ = _two_interviews(store)
    # s3 ties Cécile Ardouin to the organisation, which only s1 describes
    statements, _ = Resolver(store, "s3").resolve([actor("c", "Cécile Ardouin", "person", sid="s3")])
    store.replace_source(ResolvedBatch(src("s3"), statements, [
        ResolvedRelation(rel("partner", "c", "o", sid="s3"), statements[0].actor_id, ids1["o"])]))
    numbers, before, groups = store.person_numbering(), snapshot(store), person_groups(store)
    assert groups == [("Marie Durand",), ("Didier Cognon",), ("Cécile Ardouin",)]
    # s1 reloaded without the organisation and with another person: its statements and actors
    # written, the store refuses the write before its commit (s3's tie would point at no one)
    with pytest.raises(StoreError, match="relations of other sources"):
        write(store, "s1", [actor("j", "Jeanne Martin", "person")], [])
    with pytest.raises(StoreError, match="relations of other sources"):
        store.remove_source("s1")
    assert snapshot(store) == before
    assert store.person_numbering() == numbers and person_groups(store) == groups
    # the reload that keeps the organisation is committed with its numbers: Marie Durand's left unused
    write(store, "s1", [actor("o", "Jardins du Lauragais"), actor("j", "Jeanne Martin", "person")],
          [rel("employs", "o", "j")])
    assert person_groups(store) == [(), ("Didier Cognon",), ("Cécile Ardouin",), ("Jeanne Martin",)]
    last, kept = store.person_numbering()
    assert last == 4 and sorted(kept.values()) == [2, 3, 4]


def test_accepting_or_undoing_a_merge_keeps_the_numbers_itself(store):
    """A person merged into another takes the other's number, its own left unused; one detached
    is a new person, numbered after the highest."""
    ids1, ids2, _ = _proposed_pair(store)
    assert store.person_numbering() == (2, {ids1["p"]: 1, ids2["q"]: 2})
    store.merge_statement("s2", "q", ids1["p"])
    assert store.person_numbering() == (2, {ids1["p"]: 1})
    store.detach_statement("s2", "q", "antoine-meurice")
    assert store.person_numbering() == (3, {ids1["p"]: 1, "antoine-meurice": 3})
    store.reject_proposal("s1", "p", "antoine-meurice")  # changes no person: the numbers stay
    assert store.person_numbering() == (3, {ids1["p"]: 1, "antoine-meurice": 3})


def test_a_store_that_kept_no_numbers_keeps_its_load_order_ones_at_its_first_write(store):
    """Its persons are numbered as every read numbered them, before the write changes the order."""
    from maillage.analytics.persons import person_groups

    ids1, ids2 = _two_interviews(store)
    _forget_numbers(store)
    assert store.person_numbering() is None and person_groups(store) == [("Marie Durand",), ("Didier Cognon",)]
    store.remove_source("s1")
    assert store.person_numbering() == (2, {ids2["d"]: 2})
    assert person_groups(store) == [(), ("Didier Cognon",)]


def test_a_store_without_persons_keeps_no_numbers(store):
    write(store, "s1", [actor("a", "Alpha"), actor("b", "Beta")], [rel("partner", "a", "b")])
    store.remove_source("s1")
    assert store.person_numbering() is None


def test_the_persons_are_read_apart_from_the_other_actors(store):
    """``Store.persons``, what every mask is made from, is the natural persons, by id, as a scan
    of every actor finds them — read through the stores' index of the persons."""
    _two_interviews(store)
    every = [a for a in store.iter_actors(include_persons=True) if a.personal_data]
    assert [a.name for a in every] and store.persons() == every
    assert {a.name for a in store.persons()} == {"Marie Durand", "Didier Cognon"}
