"""The pôle figures and the year-by-year evolution an analysis run stores, as CSV tables for a
spreadsheet, R or pandas (``maillage export --format poles.csv`` / ``evolution.csv``, ``GET
/api/runs/{id}/metrics?format=poles.csv``); the actor metrics are
:func:`maillage.api.exports.metrics_csv`. Column meanings: docs/exports.md (« Pôles and
years of a run »).

- :func:`poles_csv`: one row per pôle of the run — :data:`POLE_HEAD` (id and name first),
  :data:`POLE_MEASURES` (the run's ``pole.<figure>`` rows), then one ``critere_<id>`` column
  per PTCE check (``1`` true, ``0`` false, empty unknown). Pôles are organisations, never
  persons; a pôle the store no longer has is left out (its id added to ``left_out``).
- :func:`evolution_csv`: one row per year (the run's ``evolution.<figure>`` rows on the keys
  ``annee:<year>``): :data:`EVOLUTION_COLUMNS`. Only a run without ``--as-of`` has them.

Same encoding, safety and ``delimiter``/``decimal_comma``/``tableur`` as the other CSV files
(:mod:`maillage.tableur`: French headers, criteria as oui / non / inconnu, rounded
measures, amounts in euros).

>>> from maillage.graph import open_store
>>> from maillage.graph.store import AnalysisRun
>>> s = open_store(":memory:")
>>> _ = s.save_run(AnalysisRun(id="run-1"), [("annee:2015", "evolution.actors", 3.0)])
>>> buf = io.StringIO(); evolution_csv(s, buf)
1
>>> buf.getvalue().splitlines()[1].split(",")[:2]
['2015', '3']
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, Any

from maillage.analytics.run import PERSISTENCE_FIGURES, POLE_FIGURES, YEAR_FIGURES
from maillage.graph.names import alpha_key
from maillage.graph.store import Store

from maillage import tableur as tab
from .exports import _kind_label, _location_label, _number, check_csv_style, resolve_run_id, safe_text

#: The first columns of the pôles table.
POLE_HEAD = ("pole_id", "pole_name", "kind", "location")
#: The pôle measures, by their stored name without ``pole.``, in this order.
POLE_MEASURES = (*POLE_FIGURES, "overlapping_poles", "overlap_max_jaccard")
#: Measures that are yes (1) or unknown (empty): ``oui`` / ``inconnu`` in a spreadsheet file.
POLE_FLAGS = ("maturity", "collectivites_in_governance")
#: The columns of the evolution table: the year, then the run's figures for it.
EVOLUTION_COLUMNS = ("year", *YEAR_FIGURES, *PERSISTENCE_FIGURES)


def criteria_columns() -> list[str]:
    """``critere_<id>`` for each PTCE check, in the catalogue's order."""
    from maillage.analytics.criteria import CHECKS

    return [f"critere_{c.id}" for c in CHECKS]


def _writer(out: str | Path | IO[str], delimiter: str, decimal_comma: bool):
    check_csv_style(delimiter, decimal_comma)
    own = isinstance(out, (str, Path))
    fh: IO[str] = open(out, "w", encoding="utf-8-sig", newline="") if own else out  # type: ignore[arg-type]
    return fh, own, csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")


def _tri(value: Any, lang: str) -> str:
    """A yes / no / unknown cell of a spreadsheet file."""
    if value is None:
        return "unknown" if lang == "en" else "inconnu"
    return tab.yes_no(value, lang)


def poles_csv(store: Store, out: str | Path | IO[str], run_id: str | None = None, delimiter: str | None = None,
              decimal_comma: bool | None = None, tableur: bool = False, lang: str = "fr",
              left_out: list[str] | None = None) -> int:
    """Write the pôle figures and criteria of run ``run_id`` (default: the latest), one row per
    pôle sorted by name; returns the number of rows. Raises as
    :func:`~maillage.api.exports.metrics_csv` for an unknown run or a store without one."""
    delimiter, decimal_comma = tab.resolve_style(tableur, lang, delimiter, decimal_comma)
    run_id = resolve_run_id(store, run_id)
    values = store.metrics(run_id)
    criteria = criteria_columns()
    keys = {k for k, m in values.items() if any(n.startswith("critere.") for n in m)}
    actors = store.get_actors(keys)
    if left_out is not None:
        left_out.extend(sorted(k for k in keys if k not in actors))
    ids = sorted((k for k in keys if k in actors and actors[k].family == "pole" and not actors[k].personal_data),
                 key=lambda k: (*alpha_key(actors[k].name), k))
    columns = [*POLE_HEAD, *POLE_MEASURES, *criteria]
    fh, own, w = _writer(out, delimiter, decimal_comma)
    try:
        w.writerow(tab.headers(columns, lang) if tableur else columns)
        for pid in ids:
            a, m = actors[pid], values[pid]
            if not tableur:
                w.writerow([safe_text(x) for x in (pid, a.name, a.kind, a.location)]
                           + [_number(m.get(f"pole.{n}"), decimal_comma) for n in POLE_MEASURES]
                           + [_number(m.get(c.replace("_", ".", 1)), decimal_comma) for c in criteria])
                continue
            cells = []
            for n in POLE_MEASURES:
                v = m.get(f"pole.{n}")
                cells.append(_tri(v, lang) if n in POLE_FLAGS else
                             tab.euros(v, decimal_comma) if n == "funding_total" else tab.measure(v, decimal_comma))
            w.writerow([safe_text(x) for x in (pid, a.name, _kind_label("pole", a.kind, lang),
                                               _location_label(a.location))]
                       + cells + [_tri(m.get(c.replace("_", ".", 1)), lang) for c in criteria])
    finally:
        if own:
            fh.close()
    return len(ids)


def evolution_csv(store: Store, out: str | Path | IO[str], run_id: str | None = None, delimiter: str | None = None,
                  decimal_comma: bool | None = None, tableur: bool = False, lang: str = "fr") -> int:
    """Write the evolution of run ``run_id`` (default: the latest), one row per year, oldest
    first; returns the number of rows (0 for a run made ``--as-of`` a year: it has none). The
    persistence figures of the first year are empty (no year before it)."""
    from maillage.analytics.run import YEAR_KEY

    delimiter, decimal_comma = tab.resolve_style(tableur, lang, delimiter, decimal_comma)
    run_id = resolve_run_id(store, run_id)
    prefix = YEAR_KEY.split("{")[0]
    years = {int(k[len(prefix):]): m for k, m in store.metrics(run_id).items()
             if k.startswith(prefix) and k[len(prefix):].isdigit()}
    number = tab.measure if tableur else _number
    fh, own, w = _writer(out, delimiter, decimal_comma)
    try:
        w.writerow(tab.headers(EVOLUTION_COLUMNS, lang) if tableur else EVOLUTION_COLUMNS)
        for year in sorted(years):
            m = years[year]
            w.writerow([str(year)] + [number(m.get(f"evolution.{f}"), decimal_comma) for f in EVOLUTION_COLUMNS[1:]])
    finally:
        if own:
            fh.close()
    return len(years)


__all__ = ["poles_csv", "evolution_csv", "criteria_columns", "POLE_HEAD", "POLE_MEASURES", "EVOLUTION_COLUMNS"]
