"""Small hand-built stores for the tests, written as ``maillage-jsonl`` and loaded through the
ordinary loader (so a test exercises the real path: file → loader → store)."""

from __future__ import annotations

import json
from pathlib import Path


def actor(key, name, family, kind=None, **extra):
    """An actor record stated by the document ``etude`` at line 10."""
    rec = {"record": "actor", "key": key, "name": name, "family": family,
           "provenance": {"document": "etude", "locator": "L10", "certainty": "stated"}}
    if kind:
        rec["kind"] = kind
    return {**rec, **extra}


def relation(rtype, source, target, locator="L20", certainty="stated", quote=None, **fields):
    """A relation record; ``start``/``end`` among ``fields`` become its dates, ``quote`` goes to
    its provenance."""
    rec = {"record": "relation", "type": rtype, "source": source, "target": target, "fields": fields,
           "provenance": {"document": "etude", "locator": locator, "certainty": certainty}}
    if quote:
        rec["provenance"]["quote"] = quote
    for k in ("start", "end"):
        if k in fields:
            rec[k] = str(fields.pop(k))
    return rec


def write_jsonl(path: Path, records) -> Path:
    """Write records one JSON object per line; returns ``path``."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def loaded_store(folder: Path, records):
    """A store file in ``folder`` with ``records`` written as ``eco.jsonl`` and loaded through
    the ordinary loader (rejects in ``folder/rejets``); fails the test if a record is rejected.
    The caller closes it."""
    from maillage.graph import open_store
    from maillage.loaders import load_file

    store = open_store(str(folder / "essai.db"))
    report = load_file(store, write_jsonl(folder / "eco.jsonl", records), rejects_dir=folder / "rejets")
    assert report.rejected == 0
    return store


def ids_by_name(store) -> dict[str, str]:
    """Every actor's id by its name, natural persons included."""
    return {a.name: a.id for a in store.iter_actors(include_persons=True)}
