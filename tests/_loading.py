"""Helpers shared by the loader tests: a comparable snapshot of a store, and a report's rejects."""

from __future__ import annotations

import csv


def store_snapshot(store) -> tuple:
    """Everything a load could change, comparable: actors (with kind, aliases and sources),
    relations (with fields and dates) and sources. Two equal snapshots = nothing changed."""
    actors = sorted((a.id, a.name, a.family, a.kind, tuple(a.aliases), tuple(sorted(a.sources)))
                    for a in store.iter_actors(include_persons=True))
    relations = sorted((r.id, r.type, r.source, r.target, repr(sorted(r.fields.items())), r.start, r.end)
                       for r in store.relations())
    sources = sorted(s.id for s in store.sources())
    return actors, relations, sources


def rejects_of(report) -> list[dict]:
    """The rows of a load report's rejects file (empty when there is none)."""
    if not report.rejects_file:
        return []
    with open(report.rejects_file, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))
