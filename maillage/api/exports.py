"""Exports for the tools people already use. This module: actor metrics of a run as CSV.

(Other formats — GEXF, GraphML, Kumu XLSX, FollowTheMoney — come with the API and reports.)

``metrics_csv`` writes one row per actor of a stored analysis run, with the columns

``id, name, family, kind, location`` then :data:`METRIC_COLUMNS` (``degree, betweenness,
closeness, eigenvector, pagerank, core_number, constraint, effective_size, community,
brokerage_*``), then any other metric of the run in alphabetical order.

Values are the run's, with networkx's default normalisations (docs/analytics-metrics.md); a
metric the run does not have, or a value that is undefined (Burt's constraint of an isolated
actor), is an empty cell. Natural persons are never in a run, so never in the file.

**Spreadsheet safety**: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with ``'`` so that Excel or LibreOffice show it as text instead of
evaluating it as a formula (OWASP, "CSV Injection"). Numbers are written as numbers.

>>> import io
>>> from maillage.graph import open_store
>>> from maillage.graph.store import AnalysisRun
>>> s = open_store(":memory:")
>>> _ = s.save_run(AnalysisRun(id="run-1"), [("a", "degree", 2.0)])
>>> buf = io.StringIO(); metrics_csv(s, buf)
1
>>> buf.getvalue().splitlines()[1].split(",")[:6]
['a', '', '', '', '', '2']
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from maillage.graph.store import NotFound, Store

#: The columns the analytics issue fixes, in this order (brokerage roles: docs/analytics-brokerage.md).
METRIC_COLUMNS = ("degree", "betweenness", "closeness", "eigenvector", "pagerank", "core_number",
                  "constraint", "effective_size", "community", "brokerage_coordinator",
                  "brokerage_consultant", "brokerage_representative", "brokerage_gatekeeper",
                  "brokerage_liaison", "brokerage_total")
ACTOR_COLUMNS = ("id", "name", "family", "kind", "location")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> str:
    """A text cell that a spreadsheet will not evaluate as a formula.

    >>> safe_text("=HYPERLINK(\\"http://x\\")"), safe_text("Coop'Sud"), safe_text(None)
    ('\\'=HYPERLINK("http://x")', "Coop'Sud", '')
    """
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _number(value: float | None, decimal_comma: bool) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(float(value))
    return text.replace(".", ",") if decimal_comma else text


def metrics_csv(store: Store, out: str | Path | IO[str], run_id: str | None = None,
                delimiter: str = ",", decimal_comma: bool = False,
                columns: Iterable[str] | None = None, include_persons: bool = False) -> int:
    """Write the actor metrics of run ``run_id`` (default: the latest) as CSV; returns the
    number of actor rows. ``delimiter=";"`` with ``decimal_comma=True`` is what a French
    spreadsheet opens without an import dialog. Raises :class:`NotFound` for an unknown run
    and ``ValueError`` when the store has no run yet. Natural persons are left out unless
    ``include_persons`` (a run made with persons in it would otherwise list them)."""
    if decimal_comma and delimiter == ",":
        raise ValueError("decimal commas need another delimiter (use ';')")
    if run_id is None:
        runs = store.runs()
        if not runs:
            raise ValueError("no analysis run in this store: run `maillage analyse` first")
        run_id = runs[-1].id
    elif not any(r.id == run_id for r in store.runs()):
        raise NotFound(f"no analysis run {run_id!r} (see `maillage runs`)")
    values = store.metrics(run_id)
    # Dotted names ("pole.density", "critere.…") are pôle and territory diagnostics stored in the
    # same run: not actor metrics, not in this file.
    values = {k: {n: v for n, v in m.items() if "." not in n} for k, m in values.items()}
    values = {k: m for k, m in values.items() if m}
    present = sorted({name for m in values.values() for name in m})
    wanted = list(columns) if columns is not None else \
        list(METRIC_COLUMNS) + [n for n in present if n not in METRIC_COLUMNS]
    actors = store.get_actors(values.keys())
    ids = sorted((a for a in values if include_persons or a not in actors or not actors[a].personal_data),
                 key=lambda a: (actors[a].name.casefold() if a in actors else "", a))
    own = isinstance(out, (str, Path))
    fh: IO[str] = open(out, "w", encoding="utf-8-sig", newline="") if own else out  # type: ignore[arg-type]
    try:
        w = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        w.writerow([*ACTOR_COLUMNS, *wanted])
        for aid in ids:
            a = actors.get(aid)
            head = [aid, a.name, a.family, a.kind, a.location] if a else [aid, None, None, None, None]
            w.writerow([safe_text(x) for x in head] +
                       [_number(values[aid].get(name), decimal_comma) for name in wanted])
    finally:
        if own:
            fh.close()
    return len(ids)


__all__ = ["metrics_csv", "safe_text", "METRIC_COLUMNS", "ACTOR_COLUMNS"]
