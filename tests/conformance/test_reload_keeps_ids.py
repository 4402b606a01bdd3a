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
from maillage.loaders.resolution import reject, review_queue, undo

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
