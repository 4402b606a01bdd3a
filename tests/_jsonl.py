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


def relation(rtype, source, target, locator="L20", certainty="stated", **fields):
    """A relation record; ``start``/``end`` among ``fields`` become its dates."""
    rec = {"record": "relation", "type": rtype, "source": source, "target": target, "fields": fields,
           "provenance": {"document": "etude", "locator": locator, "certainty": certainty}}
    for k in ("start", "end"):
        if k in fields:
            rec[k] = str(fields.pop(k))
    return rec


def write_jsonl(path: Path, records) -> Path:
    """Write records one JSON object per line; returns ``path``."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path
