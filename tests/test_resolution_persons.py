"""Natural persons named by two sources: merged on their name only with something else in common
(docs/resolution.md, *Natural persons*). Through the real load path: files, loader, resolver,
store (SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maillage.analytics.overlaps import governance_interlocks
from maillage.graph import open_store
from maillage.loaders import load_file
from maillage.loaders.resolution import reason_label, review_queue

SHA = {"000": "a" * 64, "001": "b" * 64}


def source(path: Path, *records: dict, documents: dict | None = None) -> Path:
    """A maillage-jsonl file: actors (``family`` given) and relations (``type`` given), in that order."""
    header = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": path.stem}
    if documents:
        header["documents"] = {d: {"file": f"{d}.txt", "sha256": sha} for d, sha in documents.items()}
    lines = [header]
    for i, r in enumerate(records):
        prov = {"locator": f"L{i + 2}", **r.pop("provenance", {})}
        if "type" in r:
            lines.append({"record": "relation", "provenance": {"quote": "q", **prov}, **r})
        else:
            lines.append({"record": "actor", "provenance": prov, **r})
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return path


def person(key="mm", name="Marie Martin", **kw):
    return {"key": key, "name": name, "family": "person", **kw}


def org(key, name, family="pole", **kw):
    return {"key": key, "name": name, "family": family, **kw}


def tie(rtype, a, b, **kw):
    return {"type": rtype, "source": a, "target": b, **kw}


@pytest.fixture
def store():
    s = open_store(":memory:")
    yield s
    s.close()


def load(store, tmp_path, *paths):
    return [load_file(store, p, rejects_dir=tmp_path / "rejets") for p in paths]


def persons(store):
    return [a for a in store.iter_actors(include_persons=True) if a.family == "person"]


def test_two_marie_martin_of_unrelated_poles_are_proposed_not_merged(store, tmp_path):
    """« Marie Martin » presides pôle Alpha in one file and pôle Bêta in another, which nothing
    else ties: a name alone does not make one person of them — one actor would be a false bridge
    (a governor in common) between the two pôles. Two actors, one proposal, in French."""
    a = source(tmp_path / "a.jsonl", person(), org("p", "Pôle Alpha", location="commune:31555"),
               tie("governs", "mm", "p"))
    b = source(tmp_path / "b.jsonl", person(), org("p", "Pôle Bêta", location="commune:69123"),
               tie("governs", "mm", "p"))
    reports = load(store, tmp_path, a, b)
    assert len(persons(store)) == 2 and reports[1].proposals == 1
    (item,) = review_queue(store)
    assert (item.source, item.key, item.score) == ("maillage-jsonl:b.jsonl", "mm", 1.0)
    assert item.reason == "name match (not merged: a person another source names, nothing else in common)"
    assert reason_label(item.reason).startswith("même nom (non fusionné : personne physique nommée par une autre "
                                                "source")
    assert governance_interlocks(store, include_persons=True).pairs == []  # no false bridge
    # a core-name match (small words, accents) is proposed the same way
    c = source(tmp_path / "c.jsonl", person("jf", "Jean de la Fontaine"), org("g", "Pôle Gamma"),
               tie("governs", "jf", "g"))
    d = source(tmp_path / "d.jsonl", person("jf", "Jean Fontaine"), org("d", "Pôle Delta"), tie("governs", "jf", "d"))
    load(store, tmp_path, c, d)
    assert len(persons(store)) == 4
    assert "core-name match (not merged: a person another source names" in store.proposals("maillage-jsonl:d.jsonl")[0].reason


def test_the_same_person_with_an_organisation_in_common_is_merged(store, tmp_path):
    """Both files tie « Marie Martin » to Pôle Alpha (the second names her before the pôle: the
    loader resolves persons after the organisations that corroborate them): one person, merged by
    name, no proposal; the pôles she governs share a governor."""
    a = source(tmp_path / "a.jsonl", person(), org("p", "Pôle Alpha"), tie("governs", "mm", "p"))
    b = source(tmp_path / "b.jsonl", person(), org("x", "Association Gamma", "ess"), org("p2", "PTCE Pôle Alpha"),
               tie("represents", "mm", "p2"), tie("governs", "mm", "x"))
    reports = load(store, tmp_path, a, b)
    (mm,) = persons(store)
    assert sorted(mm.sources) == ["maillage-jsonl:a.jsonl", "maillage-jsonl:b.jsonl"]
    log = {r["key"]: r for r in store.resolution_log("maillage-jsonl:b.jsonl")}
    assert (log["mm"]["rule"], log["mm"]["actor_id"]) == ("name", mm.id)
    assert reports[1].proposals == 0 and review_queue(store) == []
    (pair,) = governance_interlocks(store, include_persons=True).pairs
    assert {pair.name_a, pair.name_b} == {"Pôle Alpha", "Association Gamma"} and pair.governors == 1
    # loaded again, or in the other order: the same
    load(store, tmp_path, b, a)
    assert [p.id for p in persons(store)] == [mm.id] and review_queue(store) == []
    with open_store(":memory:") as other:
        load(other, tmp_path, b, a)
        assert len(persons(other)) == 1 and review_queue(other) == []


def test_two_extractions_of_one_document_name_one_person(store, tmp_path):
    """Two files drawn from the same document (the same sha256 in their headers' ``documents``)
    name « Marie Martin » with different ties: one person. Files of different documents, with
    nothing else in common: proposed."""
    a = source(tmp_path / "a.jsonl", person(provenance={"document": "000"}), org("p", "Pôle Alpha"),
               tie("governs", "mm", "p"), documents={"000": SHA["000"]})
    b = source(tmp_path / "b.jsonl", person(provenance={"document": "000"}), org("q", "Pôle Bêta"),
               tie("governs", "mm", "q"), documents={"000": SHA["000"]})
    c = source(tmp_path / "c.jsonl", person(provenance={"document": "001"}), org("r", "Pôle Gamma"),
               tie("governs", "mm", "r"), documents={"001": SHA["001"]})
    load(store, tmp_path, a, b, c)
    ps = sorted(persons(store), key=lambda p: len(p.sources))
    assert [sorted(p.sources) for p in ps] == [["maillage-jsonl:c.jsonl"],
                                               ["maillage-jsonl:a.jsonl", "maillage-jsonl:b.jsonl"]]
    (item,) = review_queue(store)
    assert (item.source, item.candidate_id) == ("maillage-jsonl:c.jsonl", ps[1].id)


def test_a_pole_and_its_structure_porteuse_count_as_one_neighbour(store, tmp_path):
    """« Marie Martin » presides the association that carries Pôle Alpha in one file, and is a
    member of the pôle's board in another (which states the carrying): one person."""
    a = source(tmp_path / "a.jsonl", person(), org("asso", "Association Porteuse", "ess"),
               tie("governs", "mm", "asso"))
    b = source(tmp_path / "b.jsonl", person(), org("p", "Pôle Alpha"), org("asso", "Association Porteuse", "ess"),
               tie("governs", "mm", "p"), tie("carries", "asso", "p"))
    load(store, tmp_path, a, b)
    assert len(persons(store)) == 1 and review_queue(store) == []
    # the carrying stated by a third source, loaded first, corroborates as well
    with open_store(":memory:") as other:
        c = source(tmp_path / "c.jsonl", org("p", "Pôle Alpha"), org("asso", "Association Porteuse", "ess"),
                   tie("carries", "asso", "p"))
        b2 = source(tmp_path / "b2.jsonl", person(), org("p", "Pôle Alpha"), tie("governs", "mm", "p"))
        load(other, tmp_path, c, a, b2)
        assert len(persons(other)) == 1 and review_queue(other) == []


def test_a_person_named_twice_by_one_source_stays_one_person(store, tmp_path):
    """Within one file a repeated name is one person, as before; when another file names a
    « Marie Martin » with nothing in common, both statements join one actor of their own and
    the other file's is proposed."""
    a = source(tmp_path / "a.jsonl", person(), org("p", "Pôle Alpha"), tie("governs", "mm", "p"))
    b = source(tmp_path / "b.jsonl", person("m1"), person("m2", "MARIE MARTIN"), org("q", "Pôle Bêta"),
               org("r", "Pôle Gamma"), tie("governs", "m1", "q"), tie("governs", "m2", "r"))
    load(store, tmp_path, a, b)
    assert len(persons(store)) == 2
    res = store.resolution_of("maillage-jsonl:b.jsonl")
    assert res["m1"] == res["m2"]
    assert {i.candidate_id for i in review_queue(store)} == {store.resolution_of("maillage-jsonl:a.jsonl")["mm"]}
