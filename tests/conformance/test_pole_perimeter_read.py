"""How a pôle's perimeter was obtained (``PoleInfo.perimeter_read``: ids a source states, an
exact or an approximate reading of its written perimeter) is kept with every statement and with
the merged pôle, and the merge prefers the precise readings (graph/merge.py ``merged_perimeter``).
On every store: SQLite and Neo4j keep the pôle as JSON and merge with the same code."""

from __future__ import annotations

import json

from _loading import load_file


def _pole(key: str, name: str, **pole) -> str:
    return json.dumps({"record": "actor", "key": key, "name": name, "family": "pole", "kind": "ptce",
                       "pole": pole, "provenance": {"document": "doc", "locator": "L1"}}, ensure_ascii=False)


def _load(store, tmp_path, name: str, lines: list[str]):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_file(store, path, rejects_dir=tmp_path)


def test_the_perimeter_s_reading_is_kept_and_the_precise_one_wins(store, tmp_path):
    _load(store, tmp_path, "a.jsonl", [
        _pole("sud-est", "PTCE Sud-Est Solidaire", perimeter_text="Sicoval, Haute-Garonne"),
        _pole("apt", "PTCE Ocres Solidaires", perimeter_text="Pays d'Apt, Vaucluse (PACA)"),
    ])
    _load(store, tmp_path, "b.jsonl", [
        # the whole département, read exactly: a heading that encloses the Sicoval, set aside
        _pole("sud-est", "PTCE Sud-Est Solidaire", perimeter_text="Midi-Pyrénées – Haute-Garonne"),
        _pole("apt", "PTCE Ocres Solidaires", perimeter_text="Pays d'Apt (Vaucluse)"),
    ])
    _load(store, tmp_path, "c.jsonl", [
        # an approximate reading: the Haute-Garonne again, after the precise ones
        _pole("sud-est", "PTCE Sud-Est Solidaire", perimeter_text="sud-est toulousain, Haute-Garonne"),
        _pole("ids", "PTCE Ramonville", perimeter=["commune:31446"]),
    ])
    poles = {a.name: a for a in store.iter_actors() if a.family == "pole"}
    assert set(poles) == {"PTCE Sud-Est Solidaire", "PTCE Ocres Solidaires", "PTCE Ramonville"}
    sud_est, apt, ids = (poles[n] for n in ("PTCE Sud-Est Solidaire", "PTCE Ocres Solidaires", "PTCE Ramonville"))
    assert (sud_est.pole.perimeter, sud_est.pole.perimeter_read) == (["epci:243100633"], "exact")
    assert sud_est.pole.perimeter_text == "Sicoval, Haute-Garonne"
    assert (apt.pole.perimeter, apt.pole.perimeter_read) == (["departement:84"], "approximate")
    assert (ids.pole.perimeter, ids.pole.perimeter_read) == (["commune:31446"], "stated")
    # every statement keeps its own reading, as the loader made it
    read = {(sid, a.pole.perimeter_text): (a.pole.perimeter, a.pole.perimeter_read)
            for sid, a in store.statements_of([sud_est.id])[sud_est.id]}
    assert sorted(read.values()) == [(["departement:31"], "approximate"), (["departement:31"], "exact"),
                                     (["epci:243100633"], "exact")]
