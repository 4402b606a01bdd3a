"""A member renamed in a list loaded again keeps its actor id, in every store.

``membres.csv`` loaded, then again with « Association Vélo Solidaire » now « Vélo Solidaire
Association »: only this list describes the association, and a load resolves a source against
the other sources only, so it got a new id — a reviewer's decision about it and an analysis
run's metrics then named an actor that no longer existed (the review queue proposed again what
the reviewer had rejected; ``maillage runs`` and a bookmarked /api/actors/ID lost it). Now the
id is kept, with the note « renamed old → new », and a reviewer's detach still wins over the
rules when the statement it was about is renamed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _loading import load_file
from maillage.analytics.run import analyse
from maillage.graph.store import StoreError
from maillage.loaders.resolution import merge_log, reject, review_queue, undo

from _jsonl import actor, relation, write_jsonl

POLE = "PTCE Le Maillon Sud-Est"
VELO = "Association Vélo Solidaire;31520;Ramonville-Saint-Agne"
RENAMED = "Vélo Solidaire Association;31520;Ramonville-Saint-Agne"
OTHERS = ["Recyclerie du Sicoval;31670;Labège", "Mairie de Roques;31120;Roques"]


def members(path: Path, *rows: str) -> Path:
    path.write_text("Nom;Code postal;Commune\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def velo_key(store, sid: str) -> str:
    (key,) = [k for k in store.resolution_of(sid) if "velo" in k]
    return key


def test_a_member_renamed_in_a_list_loaded_again_keeps_its_id(store, tmp_path):
    p = members(tmp_path / "membres.csv", VELO, *OTHERS)
    sid = load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path).source
    velo = store.resolution_of(sid)[velo_key(store, sid)]
    # another pôle's list names « Vélo Solidaires », unplaced: proposed, and a reviewer says no
    other = load_file(store, members(tmp_path / "autre.csv", "Vélo Solidaires;;", "Garage Solidaire;;"),
                      options={"pole": "Pôle B"}, rejects_dir=tmp_path)
    (item,) = review_queue(store)
    assert (item.source, item.candidate_id) == (other.source, velo)
    reject(store, item.id)
    run = analyse(store)
    assert store.metrics(run.id, actor_id=velo)[velo]["degree"] > 0

    members(p, RENAMED, *OTHERS)
    r = load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    key = velo_key(store, sid)
    assert key != "name:association velo solidaire@commune:31446"  # a new key: its name changed
    assert store.resolution_of(sid)[key] == velo  # the id it had
    actor = store.get_actor(velo)
    assert actor.name == "Vélo Solidaire Association" and actor.sources == [sid]
    assert not [a for a in store.iter_actors() if a.name.startswith("Association Vélo")]
    (membership,) = [t for t in store.relations(types=["membership"], source=sid) if t.source == velo]
    assert store.get_actor(membership.target).name == POLE
    # said renamed, not gone
    assert [n for n in r.notes if "earlier load" in n] == [
        f"1 member of the pôle {POLE!r} in the earlier load of this source is in this file under another name: "
        "Association Vélo Solidaire → Vélo Solidaire Association. Not gone: still a member of the pôle, under the "
        "name this file gives"]
    # the reviewer's decision still names it, and what was rejected is not proposed again
    assert [(d.action, d.actor_id) for d in store.decisions(other.source)] == [("reject", velo)]
    assert review_queue(store) == []
    # the run's metrics still name an actor of the store: this one
    assert velo in store.metrics(run.id) and store.get_actor(velo) is not None
    # loaded again as it is, and a run after it: the same id
    load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    assert store.resolution_of(sid)[key] == velo
    assert velo in store.metrics(analyse(store).id)


def test_a_statement_a_reviewer_detached_stays_detached_when_renamed(store, tmp_path):
    """The list's « Association Vélo Solidaire » was merged by name with another pôle's, unplaced;
    a reviewer undid it (``maillage resolve --undo``). Renamed « Vélo Solidaire Association », it
    was merged again by its core name: the reviewer's decision was lost. Now it stays on the
    actor it was detached to."""
    other = load_file(store, members(tmp_path / "autre.csv", "Association Vélo Solidaire;;", "Garage Solidaire;;"),
                      options={"pole": "Pôle B"}, rejects_dir=tmp_path)
    theirs = store.resolution_of(other.source)["name:association velo solidaire"]
    p = members(tmp_path / "membres.csv", VELO, *OTHERS)
    sid = load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path).source
    key = velo_key(store, sid)
    assert store.resolution_of(sid)[key] == theirs  # merged by name
    mine = undo(store, sid, key)
    assert mine != theirs

    members(p, RENAMED, *OTHERS)
    load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    renamed = velo_key(store, sid)
    assert renamed != key
    assert store.resolution_of(sid)[renamed] == mine
    assert {r["key"]: r["rule"] for r in store.resolution_log(sid)}[renamed] == "detached"
    assert store.get_actor(theirs).sources == [other.source] and store.get_actor(mine).sources == [sid]
    load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)  # and on the next load
    assert store.resolution_of(sid)[renamed] == mine


@pytest.mark.parametrize("rows", [(RENAMED, *OTHERS), ("Garage Solidaire 31;31520;Ramonville-Saint-Agne", *OTHERS)],
                         ids=["renamed", "another-member"])
def test_an_earlier_member_is_kept_only_for_the_same_member(store, tmp_path, rows):
    """Only a statement the entity resolution takes for the earlier member keeps its id: another
    member in its place gets its own."""
    p = members(tmp_path / "membres.csv", VELO, *OTHERS)
    sid = load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path).source
    before = dict(store.resolution_of(sid))
    velo = before[velo_key(store, sid)]
    members(p, *rows)
    load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    after = store.resolution_of(sid)
    assert (velo in after.values()) == (rows[0] == RENAMED)
    assert {k: v for k, v in after.items() if k in before} == {k: v for k, v in before.items() if k in after}


def renamed_and_kept(store, tmp_path) -> tuple[Path, str, str, str]:
    """« Association Vélo Solidaire » loaded, then « Vélo Solidaire Association » in its place:
    ``(the list, its source id, the earlier key, the actor id kept)``."""
    p = members(tmp_path / "membres.csv", VELO, *OTHERS)
    sid = load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path).source
    old_key = velo_key(store, sid)
    velo = store.resolution_of(sid)[old_key]
    members(p, RENAMED, *OTHERS)
    load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    return p, sid, old_key, velo


def test_a_kept_id_says_so_in_the_resolution_log(store, tmp_path):
    """The renamed member's statement said rule ``new``, as if nothing had been kept, and
    ``maillage resolve --log`` (merges only) left it out: a reviewer could not see that its id came
    from the earlier load, nor from which name. Now: rule ``kept``, the earlier key and name as
    what matched, the score of the match — and so on the next loads, while its key stays."""
    p, sid, old_key, velo = renamed_and_kept(store, tmp_path)
    key = velo_key(store, sid)
    log = {r["key"]: r for r in store.resolution_log(sid)}
    assert (log[key]["actor_id"], log[key]["rule"], log[key]["matched"]) == (
        velo, "kept", f"{old_key} « Association Vélo Solidaire »")
    assert log[key]["score"] == 0.95  # the same core name in the same commune
    assert {r["rule"] for k, r in log.items() if k != key} == {"new"}  # the other members kept their keys
    assert [(r["key"], r["rule"], r["actor_id"], r["actor_name"]) for r in merge_log(store, sid)] == [
        (key, "kept", velo, "Vélo Solidaire Association")]
    # loaded again as it is: the same id, still said kept, from the same name
    load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    assert {r["key"]: r for r in store.resolution_log(sid)}[key] == log[key]
    assert [r["rule"] for r in merge_log(store, sid)] == ["kept"]


def test_a_kept_id_is_undone_when_the_renamed_member_is_another_organisation(store, tmp_path):
    """« Vélo Solidaire Association » is in fact another organisation, which replaced the old one
    in the list: the reviewer's ``maillage resolve --undo`` refused it (« alone in its actor: no
    merge to undo »), and the new one stayed on the old one's id, its metrics and decisions. Now
    it gets an id of its own, the earlier actor goes, and the next loads keep them apart."""
    p, sid, old_key, velo = renamed_and_kept(store, tmp_path)
    key = velo_key(store, sid)
    mine = undo(store, sid, key)
    assert mine != velo and store.get_actor(velo) is None
    actor_ = store.get_actor(mine)
    assert actor_.name == "Vélo Solidaire Association" and actor_.sources == [sid]
    (membership,) = [t for t in store.relations(types=["membership"], source=sid) if t.source == mine]
    assert store.get_actor(membership.target).name == POLE
    assert not [t for t in store.relations(source=sid) if velo in (t.source, t.target)]
    assert [(d.action, d.key, d.actor_id) for d in store.decisions(sid)] == [("detach", key, mine)]
    assert {r["key"]: r["rule"] for r in store.resolution_log(sid)}[key] == "detached"
    assert merge_log(store, sid) == []
    # loaded again: still apart, the earlier id not back
    load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    assert store.resolution_of(sid)[key] == mine and store.get_actor(velo) is None
    assert {r["key"]: r["rule"] for r in store.resolution_log(sid)}[key] == "detached"
    # the list names both: two members, the earlier one under its first id
    members(p, VELO, RENAMED, *OTHERS)
    load_file(store, p, options={"pole": POLE}, rejects_dir=tmp_path)
    after = store.resolution_of(sid)
    assert (after[key], after[old_key]) == (mine, velo)
    # undone once: a second undo has no merge to undo
    with pytest.raises(StoreError, match="no merge to undo"):
        undo(store, sid, key)


def test_a_kept_id_other_sources_tie_to_is_not_undone(store, tmp_path):
    """Another source's tie names the kept actor by its id: it is about the earlier member, so the
    undo is refused — with nothing changed — rather than leave that tie pointing at no actor."""
    _, sid, _, velo = renamed_and_kept(store, tmp_path)
    key = velo_key(store, sid)
    write_jsonl(tmp_path / "partenaires.jsonl", [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Partenaires"},
        actor("garage", "Garage Solidaire du Lauragais", "ess", location="commune:31555"),
        relation("partner", "garage", velo)])
    load_file(store, tmp_path / "partenaires.jsonl", rejects_dir=tmp_path)
    before = store.resolution_of(sid)
    with pytest.raises(StoreError, match=r"other sources' relations name that actor \(1\): not detached"):
        undo(store, sid, key)
    assert store.resolution_of(sid) == before and store.decisions(sid) == []
    assert store.get_actor(velo).name == "Vélo Solidaire Association"
