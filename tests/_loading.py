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


def load_file(store, path, *args, **kwargs):
    """:func:`maillage.loaders.load_file` with its rejects file in English (``lang="en"``): the
    loader tests check reasons in the words the code states them; the French file is tested in
    tests/test_rejects_french.py."""
    from maillage.loaders import load_file as load

    from maillage.loaders.motifs import translated

    kwargs.setdefault("lang", "en")
    report = load(store, path, *args, **kwargs)
    # what reading the file noticed is printed in French by `maillage load`: every note met has its entry
    missing = [n for n in report.notes if not translated(n)]
    assert not missing, f"notes without a French entry in maillage/loaders/motifs/notes.py: {missing[:5]}"
    return report


def rejects_of(report) -> list[dict]:
    """The rows of a load report's rejects file (empty when there is none), keyed by the English
    column names and with English levels whatever language the file is written in (its header
    says which); ``reason`` stays in the file's language: tests about a loader's reasons load with
    ``lang="en"``, the words of the code."""
    from maillage.loaders.base import REJECTS_COLUMNS, REJECTS_LEVELS
    from maillage.loaders.motifs import translated

    if not report.rejects_file:
        return []
    with open(report.rejects_file, encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f, delimiter=";"))
    (lang,) = [k for k, names in REJECTS_COLUMNS.items() if names == header]
    level = {v: k for k, v in REJECTS_LEVELS[lang].items()}
    out = [dict(zip(REJECTS_COLUMNS["en"], row, strict=True)) for row in rows]
    for r in out:
        r["level"] = level[r["level"]]
    if lang == "en":  # every reason a loader test meets has its French wording (maillage/loaders/motifs)
        missing = sorted({r["reason"] for r in out if not translated(r["reason"])})
        assert not missing, f"reasons without a French entry in maillage/loaders/motifs: {missing[:5]}"
    return out
