"""The right to erasure (RGPD, art. 17), checked on every store: ``Store.forget_person`` removes a
natural person and everything the store holds of it, in one transaction, with the same results on
the embedded store and on Neo4j (docs/privacy.md, « Right to erasure »)."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone

import pytest

from maillage.analytics.persons import person_groups
from maillage.graph.erasure import ERASED_TEXT
from maillage.graph.model import Actor, Identifier, Provenance, Relation, Source
from maillage.graph.store import AnalysisRun, NotAPerson, NotFound, ResolvedBatch, ResolvedRelation
from maillage.loaders import load_file
from maillage.loaders.resolution import Resolver

WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _write(store, sid: str, actors: list[Actor], relations: list[Relation], title: str | None = None) -> dict:
    statements, proposals = Resolver(store, sid, relations=relations).resolve(actors)
    ids = {st.actor.key: st.actor_id for st in statements}
    rels = [ResolvedRelation(r, ids.get(r.source, r.source), ids.get(r.target, r.target)) for r in relations]
    src = Source(id=sid, uri=f"{sid}.jsonl", format="maillage-jsonl", loaded_at=WHEN, title=title,
                 meta={"notes": [f"{title} : note"]} if title else {})
    store.replace_source(ResolvedBatch(src, statements, rels, proposals))
    return ids


def _a(key, name, family="ess", sid="s1", row=1, **kw) -> Actor:
    return Actor(key=key, name=name, family=family, provenance=Provenance(source=sid, locator=f"row {row}"), **kw)


def _r(rtype, a, b, sid="s1", quote=None, **fields) -> Relation:
    return Relation(type=rtype, source=a, target=b, fields=fields,
                    provenance=Provenance(source=sid, locator="row 9", quote=quote))


@pytest.fixture
def three_persons(store):
    """Three persons numbered 1, 2, 3 in load order; Jeanne Dupuis (the 2nd) is stated by two
    sources, tied both ways, named in other ties' free text and in a source's title."""
    s1 = _write(store, "s1", [
        _a("org", "Les Jardins du Lauragais", kind="association"),
        _a("p1", "Paul Martinez", "person", kind="elu", row=2),
        _a("jd", "Jeanne Dupuis", "person", kind="elu", row=3, identifiers=[Identifier(scheme="rna", value="W313012345")]),
        _a("p3", "Claire Fontanel", "person", kind="elu", row=4),
        _a("org2", "Tremplin 52", kind="association", row=5),
    ], [
        _r("membership", "jd", "org", quote="Jeanne Dupuis, membre"),
        _r("employs", "org", "jd"),
        _r("partner", "org", "org2", quote="accord signé par Mme JEANNE DUPUIS", role="partenaire (réf. Jeanne Dupuis)",
           note="voir jeanne-dupuis.pdf"),
        _r("membership", "p1", "org"),
    ])
    s2 = _write(store, "s2", [_a("jd2", "Jeanne Dupuis", "person", kind="elu", sid="s2",
                                 identifiers=[Identifier(scheme="rna", value="W313012345")]),
                              _a("org3", "Ôkhra", sid="s2", row=2)],
                [_r("governs", "jd2", "org3", sid="s2")], title="Entretien avec Jeanne Dupuis")
    assert s2["jd2"] == s1["jd"]  # one person, stated by two sources
    store.save_run(AnalysisRun(id="run-1"), [(s1["jd"], "degree", 2.0), (s1["org"], "degree", 3.0)])
    return store, s1["jd"], s1


def _everything(store) -> str:
    """Every text a read of the store gives, persons included."""
    parts = [s.model_dump_json() for s in store.sources()]
    parts += [a.model_dump_json() for a in store.iter_actors(include_persons=True)]
    for a in store.iter_actors(include_persons=True):
        parts += [st.model_dump_json() for _, st in store.statements(a.id)]
    parts += [r.model_dump_json() for r in store.relations()]
    parts += [p.reason for p in store.proposals()]
    return "\n".join(parts)


def test_forget_removes_the_person_and_everything_about_it(three_persons):
    store, jd, ids = three_persons
    before = person_groups(store)
    assert [g[0] for g in before] == ["Paul Martinez", "Jeanne Dupuis", "Claire Fontanel"]
    stats = store.stats()
    done = store.forget_person(jd)
    assert (done.statements, done.relations, done.metrics, done.sources) == (2, 3, 1, ["s1", "s2"])
    assert store.get_actor(jd) is None and store.statements(jd) == []
    assert store.find_by_name("Jeanne Dupuis") == [] and store.find_by_identifier("rna", "W313012345") == []
    assert store.relations(touching=[jd]) == []
    assert store.metrics("run-1") == {ids["org"]: {"degree": 3.0}}
    after = store.stats()
    assert (after["persons"], after["actors"], after["relations"], after["statements"]) == (
        stats["persons"] - 1, stats["actors"] - 1, stats["relations"] - 3, stats["statements"] - 2)
    # the other persons keep their numbers: Claire Fontanel is still « [personne 3] »
    assert person_groups(store) == [("Paul Martinez",), (), ("Claire Fontanel",)]
    # its name in the free text of what stays is « [personne effacée] »
    (tie,) = store.relations(types=["partner"])
    assert tie.provenance.quote == f"accord signé par Mme {ERASED_TEXT}"
    assert tie.fields == {"role": f"partenaire (réf. {ERASED_TEXT})", "note": f"voir {ERASED_TEXT}.pdf"}
    s2 = store.source("s2")
    assert s2.title == f"Entretien avec {ERASED_TEXT}" and s2.meta["notes"] == [f"Entretien avec {ERASED_TEXT} : note"]
    text = _everything(store).casefold()
    assert "dupuis" not in text and "w313012345" not in text
    # remembered without the data: keyed hashes, never the name
    kept = store.erasures()
    assert kept is not None and len(kept.hashes) == 2  # its name key, its identifier
    assert "dupuis" not in kept.to_json().casefold()


def test_forget_refuses_an_organisation_or_an_unknown_id_and_changes_nothing(three_persons):
    store, jd, ids = three_persons
    before = (_everything(store), store.stats(), store.person_numbering())
    with pytest.raises(NotAPerson):
        store.forget_person(ids["org"])
    with pytest.raises(NotFound):
        store.forget_person("personne-inconnue")
    assert (_everything(store), store.stats(), store.person_numbering()) == before
    assert store.erasures() is None


def test_a_reload_rejects_the_erased_person_and_copies_nothing_of_its_rows(store, tmp_path):
    rows = [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "membres"},
        {"record": "actor", "key": "org", "name": "Les Jardins du Lauragais", "family": "ess",
         "provenance": {"locator": "row 2"}},
        {"record": "actor", "key": "jd", "name": "Jeanne Dupuis", "family": "person", "kind": "elu",
         "provenance": {"locator": "row 3", "quote": "Jeanne Dupuis, élue"}},
        {"record": "actor", "key": "pm", "name": "Paul Martinez", "family": "person", "kind": "elu",
         "provenance": {"locator": "row 4"}},
        {"record": "relation", "type": "membership", "source": "jd", "target": "org",
         "fields": {"role": "présidente"}, "provenance": {"quote": "Jeanne Dupuis préside"}},
        {"record": "relation", "type": "membership", "source": "pm", "target": "org", "provenance": {}},
    ]
    f = tmp_path / "membres.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    first = load_file(store, f, rejects_dir=tmp_path / "rejets")
    (jd,) = [p.id for p in store.persons() if p.name == "Jeanne Dupuis"]
    store.forget_person(jd)
    again = load_file(store, f, rejects_dir=tmp_path / "rejets")
    assert again.rows_read == first.rows_read == again.loaded + again.merged + again.rejected
    assert again.rejected == 2  # its actor row and its tie's row
    assert [p.name for p in store.persons()] == ["Paul Martinez"]
    with open(again.rejects_file, encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh, delimiter=";"))
    assert [line[5] for line in lines[1:]] == ["personne effacée à sa demande (RGPD, art. 17)"] * 2
    said = "\n".join(";".join(line) for line in lines).casefold()
    assert "dupuis" not in said and "présidente" not in said and "jd" not in said.split(";")


#: The name of Didier Cognon as texts write it, every one found by the masks (docs/privacy.md, « How a
#: name is masked »): a line break inside a quote, capitals with dots (« İ ») and without (« ı »), the
#: Kelvin sign, accents on every letter, a file name, a citation.
WRITTEN = ["compte rendu de Didier\nCognon", "DİDİER CÖGNON", "Dıdıer Cognon", "Didier Co\u0121non",
           "\u212aévin et Ďídíér Čòǧñõñ", "ENTRETIENDIDIERCOGNON.csv", "cr_cognon_didier.pdf", "d. COGNON",
           "Cognon (2019) l'a écrit", "Cognon, Didier\tsigne"]


def test_forget_finds_the_name_however_a_text_writes_it(store):
    """Only the texts that may hold a name are read and rewritten (maillage.graph.masking.person_needles);
    every one that holds it is: no text read back from the store holds it, as the masks find it, and
    the others are as they were. A line break inside a quote (« Didier\\nCognon ») was missed: the
    search ran over the stored JSON, where it is written « \\n »."""
    from maillage.graph.erasure import text_eraser

    actors = [_a("org", "Les Jardins du Lauragais", kind="association"),
              _a("dc", "Didier Cognon", "person", kind="elu", row=2), _a("org2", "Tremplin 52", row=3)]
    ties = [_r("membership", "dc", "org")]
    ties += [_r("partner", "org", "org2", quote=text, note=f"note {i}: {text}") for i, text in enumerate(WRITTEN)]
    ties += [_r("funds", "org", "org2", quote=f"sans nom {i} : Didier Cogne, Cognon seul, rue Cognon")
             for i in range(3)]
    ids = _write(store, "s1", actors, ties, title="Entretien\navec Didier\nCognon")
    erase = text_eraser(["Didier Cognon"])
    untouched = sorted(r.model_dump_json() for r in store.relations(types=["funds"]))
    done = store.forget_person(ids["dc"])
    assert done.texts == len(WRITTEN) + 1  # each partner tie (its quote, its note), the source's title
    texts = [t for r in store.relations() for t in (r.provenance.quote or "", *map(str, r.fields.values()))]
    texts += [s.title or "" for s in store.sources()] + [n for s in store.sources() for n in s.meta.get("notes", [])]
    assert [t for t in texts if erase(t) != t] == []
    assert sum(ERASED_TEXT in t for t in texts) == 2 * len(WRITTEN) + 2  # quote and note; title and its note
    assert sorted(r.model_dump_json() for r in store.relations(types=["funds"])) == untouched
