"""What every loader returns, and how rows that cannot be loaded are reported.

A loader *parses* one file into actor and relation statements (pydantic records checked
against the vocabulary) and **rejects**: rows it could not turn into a statement, each with
the row, the column, the offending value and what was expected. Nothing is dropped
silently: for every file, ``rows_read == loaded + merged + rejected``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from maillage.graph.model import Actor, Relation, Source


class LoadError(ValueError):
    """A file cannot be loaded at all (unknown format, unreadable, wrong header)."""


@dataclass
class Reject:
    row: int
    reason: str
    column: str | None = None
    value: str | None = None


@dataclass
class Parsed:
    """A parsed file: statements with their row numbers, rejects, and the file's own metadata."""

    actors: list[tuple[int, Actor]] = field(default_factory=list)
    relations: list[tuple[int, Relation]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    rows_read: int = 0
    meta: dict[str, Any] = field(default_factory=dict)
    title: str | None = None


class Loader(Protocol):
    name: str
    description: str

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def parse(self, path: Path, source: Source) -> Parsed: ...


def rejects_from_validation(row: int, err: ValidationError, data: dict[str, Any] | None = None) -> list[Reject]:
    """One reject per pydantic error, naming the column (field path) and the value."""
    out = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or None
        value = e.get("input")
        if isinstance(value, dict | list):
            value = None
        msg = e["msg"].removeprefix("Value error, ")
        out.append(Reject(row=row, column=loc, value=None if value is None else str(value)[:200], reason=msg))
    return out


def write_rejects(path: Path, file: str, rejects: list[Reject]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "row", "column", "value", "reason"])
        for r in sorted(rejects, key=lambda r: r.row):
            w.writerow([file, r.row, r.column or "", r.value or "", r.reason])
