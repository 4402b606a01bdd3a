"""The ``maillage-jsonl`` format: maillage's own interchange format.

UTF-8 JSON lines. An optional first line ``{"record": "header", "format": "maillage-jsonl",
"version": 1, "title": …, "documents": {…}}`` describes the dataset (for the reference
dataset: the founding documents with their sha256). Every other line is either

- ``{"record": "actor", "key": …, "name": …, "family": …, …, "provenance": {…}}`` — the
  fields of :class:`maillage.graph.model.Actor`, or
- ``{"record": "relation", "type": …, "source": <actor key>, "target": <actor key>,
  "fields": {…}, "start": …, "end": …, "provenance": {…}}`` — a
  :class:`maillage.graph.model.Relation`.

``provenance`` omits ``source``: the loader sets it to the id of the file being loaded, and
keeps the line's ``document``/``locator``/``quote``/``certainty`` (its code, or a word
:func:`.cells.certainty_of` reads: « prévu »; another word rejects the line). The reference dataset
and the benchmark's synthetic ecosystems are written in this format.

A pôle written with its perimeter in words only (``"pole": {"perimeter_text": "Pays d'Apt,
Vaucluse (PACA)"}``, no ``perimeter`` ids: every pôle of the reference dataset) gets the ids
:func:`maillage.geography.perimeters.read_perimeter` reads in the text, marked ``perimeter_read``
``exact`` or ``approximate`` (a pôle given ids: ``stated``); the text is kept, and a text no
territory matches leaves the perimeter empty (criterion K7 then says so).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from maillage.geography import load_geography
from maillage.geography.perimeters import read_perimeter
from maillage.graph.model import Actor, Relation, Source

from .base import (MAX_LINE_BYTES, LoadError, Loader, Parsed, Reject, brief, json_error, read_lines,
                   rejects_from_validation)
from .cells import certainty_of, unknown_certainty


def with_read_perimeter(actor: Actor) -> Actor:
    """The actor, its pôle's perimeter read from ``perimeter_text`` when it states no ids, and
    how it was obtained (``perimeter_read``: ``stated`` ids, an ``exact`` or ``approximate``
    reading; what graph/merge.py chooses between) unless the line says it."""
    info = actor.pole
    if info and info.perimeter_text and not info.perimeter:
        reading = read_perimeter(load_geography(), info.perimeter_text)
        info.perimeter = list(reading.ids)
        if reading.ids:
            info.perimeter_read = "approximate" if reading.approximate else "exact"
    elif info and info.perimeter and info.perimeter_read is None:
        info.perimeter_read = "stated"
    return actor


class JsonlLoader(Loader):
    name = "maillage-jsonl"
    description = "maillage's own JSON-lines format (actors and relations with provenance)"
    priority = 0

    def sniff(self, path: Path, head: bytes) -> bool:
        first = head.lstrip().split(b"\n", 1)[0]
        return first.startswith(b"{") and b'"record"' in first

    def parse(self, path: Path, source: Source, options: dict[str, Any] | None = None) -> Parsed:
        out = Parsed()
        lines = 0
        with path.open("rb") as f:
            for row, line in read_lines(f):
                if line is None or line.strip():
                    lines += 1
                if line is None:
                    out.rows_read += 1
                    out.rejects.append(Reject(row, f"line longer than {MAX_LINE_BYTES // (1 << 20)} MiB: not read (a "
                                                   "record is a few hundred bytes)"))
                    continue
                if not line.strip():
                    continue
                out.rows_read += 1
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError as e:
                    # nothing of its text, which may be a person's record (docs/privacy.md, « Rejected rows »)
                    out.rejects.append(Reject(row, f"not valid JSON: {json_error(line, e)}"))
                    continue
                if not isinstance(obj, dict):
                    out.rejects.append(Reject(row, "expected a JSON object", value=brief(obj)))
                    continue
                kind = obj.pop("record", None)
                if kind == "header":
                    if row != 1 and out.rows_read != 1:
                        out.rejects.append(Reject(row, "a header is only allowed on the first line", "record"))
                        continue
                    if obj.get("format") not in (None, self.name):
                        out.rejects.append(Reject(row, f"header says format {obj.get('format')!r}, "
                                                       f"expected {self.name!r}", "format"))
                        continue
                    out.meta = obj
                    out.title = obj.get("title")
                    out.rows_read -= 1  # a header describes the file; it is not a data row
                    continue
                prov = obj.get("provenance") or {}
                if not isinstance(prov, dict):
                    out.rejects.append(Reject(row, "provenance must be an object", "provenance"))
                    continue
                obj["provenance"] = {**prov, "source": source.id}
                if "certainty" in prov:  # its code, or a word every loader reads (« prévu »); else the line rejected
                    certainty = certainty_of(prov["certainty"])
                    if certainty is None:
                        out.rejects.append(Reject(row, unknown_certainty(prov["certainty"]), "provenance.certainty",
                                                  brief(prov["certainty"])))
                        continue
                    obj["provenance"]["certainty"] = certainty
                try:
                    if kind == "actor":
                        out.actors.append((row, with_read_perimeter(Actor.model_validate(obj))))
                    elif kind == "relation":
                        out.relations.append((row, Relation.model_validate(obj)))
                    else:
                        out.rejects.append(Reject(row, "record must be 'actor' or 'relation'", "record", brief(kind)))
                except ValidationError as e:
                    out.rejects.extend(rejects_from_validation(row, e))
        if not lines:
            raise LoadError(f"{path}: the file is empty; expected maillage-jsonl records (one JSON object per line)")
        return out
