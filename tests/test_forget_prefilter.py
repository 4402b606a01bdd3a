"""The erasure's search of free text reads only the texts that may hold the person's name
(maillage.graph.masking.person_needles, needle_test, letter_classes): proved a superset of the
texts the masks change — every character tried for the letter classes, tricky names and texts as
the masks find them, as stored JSON too — and the prefiltered pass leaves the store as a pass
over every row leaves it (docs/privacy.md, « Right to erasure »)."""

from __future__ import annotations

import json
import random
import re
import shutil
import sqlite3

import orjson

from maillage.graph import open_store
from maillage.graph.erasure import erased_relation, erased_source, erased_statement, text_eraser
from maillage.graph.masking import _UNACCENTED, letter_classes, needle_test, person_needles
from maillage.loaders import load_file
from maillage.runtime import reporting

NAMES = ["Didier Cognon", "Mme BARDOT Florence", "Anne (C.) Martin", "Cécile Marie Rose", "Marie Durand (Mimi)",
         "Jean-François Lœuvre", "Søren Kierkegaard", "Li Wu", "Laurent Fraisse", "Kévin Kraft", "Jeanne d'Arc",
         "Brioussel", "Thomas Podlewski", "Œdipe Ÿvon-Łukasz"]


def test_letter_classes_hold_every_character_the_masks_read_as_that_letter():
    """Every code point tried, as the masker reads it (without accents, whatever the case): the
    classes, computed from the translation table and the one character beyond it, miss none."""
    every = "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp < 0xE000)
    plain = every.translate(_UNACCENTED)
    classes = letter_classes()
    for x in "abcdefghijklmnopqrstuvwxyz":
        found = {every[m.start()] for p in (x, f"[{x}]") for m in re.finditer(p, plain, re.IGNORECASE)}
        assert found == set(classes[x]), x
    assert "\u212a" in classes["k"] and "ı" in classes["i"] and "ſ" in classes["s"] and "é" in classes["e"]


def test_every_character_of_a_class_folds_to_its_letter():
    """What needle_test relies on: each character of a letter's class, decomposed (NFKD) without what is
    not ASCII, is that letter (« ı » written « i » first), and a needle is found whatever class
    character writes each of its letters, beside any other."""
    for x, chars in letter_classes().items():
        for c in chars:
            assert needle_test((x,))(c), (x, c)
            assert needle_test(("a" + x + "b",))("«Â" + c + "B»"), (x, c)
            assert not needle_test(("a" + x + "b",))("Â" + c + "-B"), (x, c)  # a needle's letters side by side


def _variants(name: str, rnd: random.Random) -> list[str]:
    """The ways a text writes ``name`` that the masks find, each letter in a random case and accent."""
    words = re.sub(r"\s*\([^)]*\)", "", name).split()
    bare = [w for w in words if w.lower() not in {"mme", "m."}]
    forms = [" ".join(words), "_".join(bare), "".join(w.capitalize() for w in bare), " ".join(bare[1:] + bare[:1]),
             ", ".join([" ".join(bare[1:]), bare[0]]), "-".join(bare).lower(), "\n".join(bare), name,
             f"{bare[0][0]}. {' '.join(bare[1:])}", f"{bare[-1]} (2017)", f"{bare[-1]} et al.",
             "ENTRETIEN" + "".join(bare).upper() + ".csv"]
    classes = letter_classes()

    def disguise(text: str) -> str:
        out = []
        for c in text:
            pool = classes.get(c.lower()) if c.isascii() else None
            out.append(rnd.choice(pool) if pool and rnd.random() < 0.4 else c.upper() if rnd.random() < 0.3 else c)
        return "".join(out)

    return [t for f in forms for t in (f, disguise(f), disguise(f))]


def test_needles_are_in_every_text_the_masks_change_and_in_its_json():
    """For tricky names, every text the eraser changes passes the store's test (SQLite) and the
    Cypher regular expression (Neo4j; Python's ``re`` reads the same), as written and as stored
    JSON (with or without escaped accents). A name in another script has no needle: every text."""
    rnd = random.Random(7)
    changed = 0
    for name in NAMES:
        erase = text_eraser([name])
        regex = re.compile(erase.regex())
        for form in _variants(name, rnd):
            for text in (form, f"présidé par {form}, élue", f"{form}.pdf"):
                if erase(text) == text:
                    continue
                changed += 1
                for stored in (text, orjson.dumps({"quote": text}).decode(), json.dumps({"quote": text})):
                    assert erase.may_hold(stored), (name, stored)
                    assert regex.fullmatch(stored), (name, stored)
    assert changed > 500  # the variants are found by the masks: the check checks something
    greek = "Σωκράτης Παππάς"
    assert person_needles([greek]) is None and text_eraser([greek]).regex() is None
    assert text_eraser([greek]).may_hold("rien")
    assert not text_eraser(["Didier Cognon"]).may_hold("Didier Cogne, rue Cognet")  # what the test leaves out


def _load(db: str, tmp_path) -> str:
    """A store where Didier Cognon is named, however written, in many ties' quotes and notes, some
    rows stored as an older writer would (accents as ``\\u`` escapes); returns his id."""
    rows = [{"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Comité, avec Didier\nCognon"},
            {"record": "actor", "key": "dc", "name": "Didier Cognon", "family": "person", "kind": "elu",
             "provenance": {"locator": "row 2", "quote": "Didier Cognon, élu"}},
            {"record": "relation", "type": "governs", "source": "dc", "target": "o0", "provenance": {}}]
    rnd = random.Random(3)
    texts = _variants("Didier Cognon", rnd) + ["Cognon seul", "rue Cognon", "Didier Cogne", "sans nom"] * 10
    for i, text in enumerate(texts):
        rows.append({"record": "actor", "key": f"o{i}", "name": f"Association {i}", "family": "ess",
                     "kind": "association", "provenance": {"locator": f"row {i + 3}", "quote": f"citée : {text}"}})
        rows.append({"record": "relation", "type": "partner", "source": f"o{i}", "target": f"o{(i + 1) % len(texts)}",
                     "fields": {"note": text}, "provenance": {"quote": f"« {text} »"}})
    f = tmp_path / "copil.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    with open_store(db) as store:
        load_file(store, f, rejects_dir=tmp_path)
        (dc,) = [p.id for p in store.persons()]
    con = sqlite3.connect(db)
    with con:  # an older writer's JSON: every accent escaped
        for table, key in (("relations", "id"), ("sources", "id")):
            for k, data in con.execute(f"SELECT {key}, data FROM {table}").fetchall()[::3]:
                con.execute(f"UPDATE {table} SET data=? WHERE {key}=?", (json.dumps(json.loads(data)), k))
    con.close()
    return dc


def _rows(db: str) -> dict[tuple[str, tuple], object]:
    con = sqlite3.connect(db)
    try:
        out = {}
        for table, key in (("statements", "source_id, key"), ("relations", "id"), ("sources", "id")):
            for *k, data in con.execute(f"SELECT {key}, data FROM {table}"):
                out[(table, tuple(k))] = json.loads(data)
        for rowid, reason in con.execute("SELECT rowid, reason FROM proposals"):
            out[("proposals", (rowid,))] = reason
        return out
    finally:
        con.close()


def test_the_prefiltered_pass_leaves_the_store_a_pass_over_every_row_leaves(tmp_path):
    """``forget_person`` reads only the rows that may hold the name; a pass over every row — each
    parsed, rewritten as the erasure rewrites it (erased_statement, erased_relation, erased_source),
    on a copy of the store — gives the same rows, escaped JSON and line breaks included."""
    db, copy = str(tmp_path / "s.db"), tmp_path / "copy.db"
    dc = _load(db, tmp_path)
    shutil.copyfile(db, copy)
    with open_store(db) as store:
        names = [a.name for _, a in store.statements(dc)]
        done = store.forget_person(dc)
    erase = text_eraser(names)
    after, before = _rows(db), _rows(str(copy))
    rewrite = {"statements": erased_statement, "relations": erased_relation, "sources": erased_source}
    full = {k: rewrite[k[0]](v, erase) if k[0] in rewrite else erase(v) for k, v in before.items() if k in after}
    assert after == full
    assert done.texts == sum(full[k] != before[k] for k in full) > 60
    assert len(before) - len(after) == done.statements + done.relations


def test_forget_reports_its_search_of_free_text(tmp_path):
    """Progress, as a load reports it (maillage.runtime.report): stage ``texts``, from 0 to every row
    of the tables searched, never backwards."""
    db = str(tmp_path / "s.db")
    dc = _load(db, tmp_path)
    seen = []
    with open_store(db) as store, reporting(lambda stage, done, total: seen.append((stage, done, total))):
        done = store.forget_person(dc)
    con = sqlite3.connect(db)
    rows = sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # what stays: its rows removed first
               for t in ("statements", "relations", "sources", "proposals"))
    con.close()
    texts = [(d, t) for s, d, t in seen if s == "texts"]
    assert texts[0] == (0, rows) and texts[-1] == (rows, rows) and done.relations > 0
    assert {t for _, t in texts} == {rows} and [d for d, _ in texts] == sorted(d for d, _ in texts)


def test_the_search_reads_every_row_once_by_ranges_of_keys(tmp_path):
    """The store searches its tables by ranges of keys (a progress report after each): with ranges of 7
    rows, every row of each table comes once, composite keys (statements) included, and the
    ranges' sizes add up to the table's rows."""
    from maillage.graph.sqlite_store import _FREE_TEXT, _by_ranges

    db = str(tmp_path / "s.db")
    _load(db, tmp_path)
    con = sqlite3.connect(db)
    try:
        for table, keys, column, _ in _FREE_TEXT:
            every = con.execute(f"SELECT {', '.join(keys)}, {column} FROM {table} ORDER BY 1").fetchall()
            ranges = list(_by_ranges(con, table, keys, column, "1", step=7))
            assert sorted(r for rows, _ in ranges for r in rows) == sorted(every)
            assert sum(n for _, n in ranges) == len(every)
            if len(every) > 14:
                assert len(ranges) == len(every) // 7 + 1
            picked = [r for rows, _ in _by_ranges(con, table, keys, column, f"{column} LIKE '%Cognon%'", step=7)
                      for r in rows]
            assert picked == [r for r in sorted(every) if "cognon" in r[-1].lower()]
    finally:
        con.close()
