"""Exports for the tools people already use: a subgraph as JSON, CSV, GEXF (Gephi), GraphML
(yEd, Cytoscape), a Kumu workbook and FollowTheMoney entities; and the actor metrics of a run
as CSV. What each format holds and how to open it: ``docs/exports.md``.

:func:`subgraph_export` writes one :class:`~maillage.graph.store.Subgraph` in one of
:data:`EXPORT_FORMATS` to a binary stream; each format also has its own function
(:func:`subgraph_json`, :func:`edges_csv`, :func:`nodes_csv`, :func:`subgraph_gexf`,
:func:`subgraph_graphml`, :func:`kumu_xlsx`, :func:`ftm_jsonl`). Every format is checked by
reading it back (``tests/test_exports_roundtrip.py``): GEXF and GraphML with networkx, the
Kumu workbook and the FtM lines through maillage's own loaders, with the same counts.

**Persons.** Natural persons (``personal_data``) are personal data: left out, with every tie
touching them, unless ``include_persons``. Their names are then also masked (« [personne 1] »,
« [personne 2] »: one number per person) in the free text that goes out (quotes of the
sources, roles, notes); pass the store's persons as ``person_names``
(:func:`~maillage.analytics.run.person_groups`) to mask those that are not in the subgraph as
well, and to number them as every other view of the store does. The ids and file names of the
sources and the documents of the provenance, and the lines on the run (``about``), are masked
too, the name found as a file writes it (« entretien-Didier-Cognon.csv » → « entretien-
[personne 1].csv »: :func:`source_masker`).

**Spreadsheet safety.** A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with ``'`` so that Excel or LibreOffice show it as text instead of
evaluating it as a formula (OWASP, "CSV Injection") — in the CSV files and in the cells of the
Kumu workbook. Numbers are written as numbers. The other formats are not opened by a
spreadsheet and keep the text as it is.

``metrics_csv`` writes one row per actor of a stored analysis run, with the columns
``id, name, family, kind, location`` then :data:`METRIC_COLUMNS` (``degree, betweenness,
closeness, eigenvector, pagerank, core_number, constraint, effective_size, community,
brokerage_*``), then any other metric of the run in alphabetical order. Values are the run's,
with networkx's default normalisations (docs/analytics-metrics.md); a metric the run does not
have, or a value that is undefined (Burt's constraint of an isolated actor), is an empty cell.
Natural persons are never in a run, so never in the file; nor are the actors of the run that
the store no longer has (merged into another by a reviewer, or removed with their source since).

**For a spreadsheet people read** (``tableur=True``, ``maillage export --tableur``): the three
CSV files with French headers, labels instead of codes, rounded numbers, « ligne 15 », ``;``
and a decimal comma (:mod:`maillage.tableur`); the default files keep their codes.

>>> import io
>>> from maillage.graph import open_store
>>> from maillage.graph.store import AnalysisRun
>>> s = open_store(":memory:")
>>> _ = s.save_run(AnalysisRun(id="run-1"), [("a", "degree", 2.0)])
>>> gone = []; buf = io.StringIO(); metrics_csv(s, buf, left_out=gone)  # no actor "a" in the store
0
>>> gone, buf.getvalue().splitlines()[0].split(",")[:6]
(['a'], ['id', 'name', 'family', 'kind', 'location', 'degree'])
"""

from __future__ import annotations

import csv
import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import IO, Any

import orjson

from maillage.graph.model import ActorView, RelationView, year_of
from maillage.graph.names import alpha_key
from maillage.graph.store import NotFound, Store, Subgraph
from maillage.graph.vocabulary import VocabularyError, kind_label, vocabulary
from maillage.loaders.cells import formula_guarded
from maillage.loaders.formats.ftm import CARRIED as FTM_CARRIED
from maillage.loaders.formats.ftm import OWN as FTM_OWN
from maillage.loaders.formats.ftm import OWN_ACTOR_FIELDS as FTM_OWN_ACTOR_FIELDS

from maillage import tableur as tab

#: The columns the analytics issue fixes, in this order (brokerage roles: docs/analytics-brokerage.md).
METRIC_COLUMNS = ("degree", "betweenness", "closeness", "eigenvector", "pagerank", "core_number",
                  "constraint", "effective_size", "community", "brokerage_coordinator",
                  "brokerage_consultant", "brokerage_representative", "brokerage_gatekeeper",
                  "brokerage_liaison", "brokerage_total")
ACTOR_COLUMNS = ("id", "name", "family", "kind", "location")


def safe_text(value: Any) -> str:
    """A text cell that a spreadsheet will not evaluate as a formula, and that maillage's loaders
    read back as ``value`` (:func:`maillage.loaders.cells.formula_guarded`).

    >>> safe_text("=HYPERLINK(\\"http://x\\")"), safe_text("Coop'Sud"), safe_text(None)
    ('\\'=HYPERLINK("http://x")', "Coop'Sud", '')
    """
    return "" if value is None else formula_guarded(str(value))


def _number(value: float | None, decimal_comma: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(float(value))
    return text.replace(".", ",") if decimal_comma else text


def check_csv_style(delimiter: str = ",", decimal_comma: bool = False) -> None:
    """Raise ``ValueError`` unless ``delimiter`` is one character and a decimal comma comes with
    another delimiter (a French spreadsheet: ``;`` and ``0,25``).

    >>> check_csv_style(";", True)
    >>> check_csv_style(",", True)
    Traceback (most recent call last):
    ValueError: decimal commas need another delimiter (use ';')
    """
    if len(delimiter) != 1:
        raise ValueError(f"the delimiter must be one character, got {delimiter!r}")
    if decimal_comma and delimiter == ",":
        raise ValueError("decimal commas need another delimiter (use ';')")


def unknown_run(run_id: str, runs: list[Any]) -> NotFound:
    """The error for a run id the store does not hold, naming its three latest ``runs``
    (``store.runs()``, oldest first) newest first, as ``maillage runs`` lists them.

    >>> from maillage.graph.store import AnalysisRun
    >>> unknown_run("nope", [AnalysisRun(id=f"r{i}") for i in range(1, 5)])
    NotFound("no analysis run 'nope'; latest runs in this store: r4, r3, r2")
    """
    latest = ", ".join(r.id for r in runs[::-1][:3]) or "none (run `maillage analyse`)"
    return NotFound(f"no analysis run {run_id!r}; latest runs in this store: {latest}")


def resolve_run_id(store: Store, run_id: str | None = None) -> str:
    """``run_id`` checked (:func:`unknown_run` if the store has no such run), or the latest run's
    id (``ValueError`` when the store has none)."""
    runs = store.runs()
    if run_id is None:
        if not runs:
            raise ValueError("no analysis run in this store: run `maillage analyse` first")
        return runs[-1].id
    if run_id not in {r.id for r in runs}:
        raise unknown_run(run_id, runs)
    return run_id


def metrics_csv(store: Store, out: str | Path | IO[str], run_id: str | None = None,
                delimiter: str | None = None, decimal_comma: bool | None = None,
                columns: Iterable[str] | None = None, include_persons: bool = False,
                left_out: list[str] | None = None, tableur: bool = False, lang: str = "fr",
                persons: list[str] | None = None) -> int:
    """Write the actor metrics of run ``run_id`` (default: the latest) as CSV; returns the
    number of actor rows. ``delimiter=";"`` with ``decimal_comma=True`` is what a French
    spreadsheet opens without an import dialog; ``tableur=True`` writes the file people read
    (:mod:`maillage.tableur`: headers in ``lang``, labels, rounded measures, ``;`` and a
    decimal comma in French unless given). Raises :class:`NotFound` for an unknown run
    and ``ValueError`` when the store has no run yet. Natural persons are left out unless
    ``include_persons`` (a run made with persons in it would otherwise list them); so are the
    run's actors the store no longer has, whose ids are added to ``left_out`` if given; the ids
    of the natural persons written are added to ``persons`` if given."""
    delimiter, decimal_comma = tab.resolve_style(tableur, lang, delimiter, decimal_comma)
    check_csv_style(delimiter, decimal_comma)
    run_id = resolve_run_id(store, run_id)
    values = store.metrics(run_id)
    # Dotted names ("pole.density", "critere.…") are pôle and territory diagnostics stored in the
    # same run: not actor metrics, not in this file.
    values = {k: {n: v for n, v in m.items() if "." not in n} for k, m in values.items()}
    values = {k: m for k, m in values.items() if m}
    present = sorted({name for m in values.values() for name in m})
    wanted = list(columns) if columns is not None else \
        list(METRIC_COLUMNS) + [n for n in present if n not in METRIC_COLUMNS]
    actors = store.get_actors(values.keys())
    if left_out is not None:
        left_out.extend(sorted(a for a in values if a not in actors))
    ids = sorted((a for a in values if a in actors and (include_persons or not actors[a].personal_data)),
                 key=lambda a: (*alpha_key(actors[a].name), a))
    if persons is not None:
        persons.extend(a for a in ids if actors[a].personal_data)
    own = isinstance(out, (str, Path))
    fh: IO[str] = open(out, "w", encoding="utf-8-sig", newline="") if own else out  # type: ignore[arg-type]
    try:
        w = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        w.writerow(tab.headers([*ACTOR_COLUMNS, *wanted], lang) if tableur else [*ACTOR_COLUMNS, *wanted])
        number = tab.measure if tableur else _number
        for aid in ids:
            a = actors[aid]
            head = [aid, a.name, a.family, a.kind, a.location] if not tableur else \
                [aid, a.name, _family_label(a.family, lang), _kind_label(a.family, a.kind, lang),
                 _location_label(a.location)]
            w.writerow([safe_text(x) for x in head] +
                       [number(values[aid].get(name), decimal_comma) for name in wanted])
    finally:
        if own:
            fh.close()
    return len(ids)


# =============================================================================================
# Subgraph exports

@dataclass(frozen=True)
class ExportFormat:
    """A subgraph export format: its name in URLs and on the command line, the HTTP media type
    and the file suffix it is served with."""

    name: str
    media_type: str
    suffix: str
    description: str


#: The subgraph export formats, by name (``GET /api/export/{fmt}``).
EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("json", "application/json", ".json", "nodes and edges, with the provenance of every edge"),
    ExportFormat("csv", "text/csv; charset=utf-8", ".csv", "one row per edge (relation statement), UTF-8 with BOM"),
    ExportFormat("nodes.csv", "text/csv; charset=utf-8", ".nodes.csv", "one row per actor, UTF-8 with BOM"),
    ExportFormat("gexf", "application/gexf+xml", ".gexf", "GEXF 1.3, dynamic: Gephi's timeline"),
    ExportFormat("graphml", "application/graphml+xml", ".graphml", "GraphML with typed attributes (yEd, Cytoscape)"),
    ExportFormat("kumu.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".kumu.xlsx",
                 "Kumu workbook: Elements and Connections sheets"),
    ExportFormat("ftm.jsonl", "application/x-ndjson", ".ftm.jsonl", "FollowTheMoney entities, one per line (Aleph)"),
)}

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FIELDS_OUT = ("role", "note")  # the free-text fields every relation type has (Kumu: columns of their own)


@lru_cache(maxsize=None)
def free_text_fields(rtype: str) -> frozenset[str]:
    """Fields of a relation type whose values are free text (may name a person: masked when
    persons are left out), not codes: ``role``, ``note``, ``programme``, ``mandate``…

    >>> sorted(free_text_fields("funds"))[:3]
    ['dispositif', 'note', 'programme']
    """
    try:
        spec = vocabulary().relation_type(rtype).fields
    except VocabularyError:
        return frozenset(_FIELDS_OUT)
    return frozenset(n for n, f in spec.items() if f.type in ("str", "list"))


def mask_value(value: Any, mask: Callable[[str], str]) -> Any:
    """``value`` through ``mask`` when it is text, or each text of a list."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [mask(x) if isinstance(x, str) else x for x in value]
    return value


def source_masker(names: Iterable[str | Iterable[str]], mask: str = "[personne]") -> Callable[[str], str]:
    """A function masking the persons of ``names`` (:func:`~maillage.analytics.run.person_groups`:
    each person's names and aliases, in a stable order) in text, in the ids and file names of
    sources and in the titles of documents: :func:`~maillage.analytics.run.person_masker`, which
    finds a name as files write it (a file may be named after a person, « entretien-Didier-
    Cognon.csv », and so may a source id derived from it) and numbers each person (« entretien-
    [personne 1].csv », « entretien-[personne 2].csv »: two persons' files stay two sources).

    >>> m = source_masker([("Jean-Pierre Martin",), ("Didier Cognon",)])
    >>> m("csv:entretien_jean_pierre_martin.csv"), m("CR JeanPierreMartin.odt"), m("avec Didier Cognon")
    ('csv:entretien_[personne 1].csv', 'CR [personne 1].odt', 'avec [personne 2]')
    >>> source_masker(["Ondine Vermorel (personne qualifiée)"])("members:OndineVermorel.csv")
    'members:[personne 1].csv'
    """
    from maillage.analytics.run import person_masker

    return person_masker(names, mask)


def _xml_text(value: Any) -> str:
    """Text XML 1.0 can hold (control characters dropped)."""
    return _XML_ILLEGAL.sub("", str(value))


def _clean_metrics(metrics: Mapping[str, Mapping[str, float]] | None) -> dict[str, dict[str, float]]:
    """Actor metrics without the dotted diagnostics and without undefined values; those whole
    by definition (:data:`~maillage.analytics.run.WHOLE_METRICS`) as ``int``."""
    from maillage.analytics.run import WHOLE_METRICS

    out: dict[str, dict[str, float]] = {}
    for aid, m in (metrics or {}).items():
        vals = {n: int(round(v)) if n in WHOLE_METRICS else float(v) for n, v in m.items()
                if "." not in n and v is not None and not (isinstance(v, float) and math.isnan(v))}
        if vals:
            out[aid] = vals
    return out


def _metric_names(metrics: dict[str, dict[str, float]]) -> list[str]:
    present = {n for m in metrics.values() for n in m}
    return [n for n in METRIC_COLUMNS if n in present] + sorted(present - set(METRIC_COLUMNS))


@dataclass
class _View:
    """What an export writes: the actors and relations kept, sorted, with their labels."""

    actors: list[ActorView]
    relations: list[RelationView]
    names: dict[str, str]
    metrics: dict[str, dict[str, float]]
    metric_names: list[str]
    lang: str
    mask: Callable[[str], str]
    source_mask: Callable[[str], str]  # sources' ids and file names, documents, about lines

    def text(self, value: Any) -> Any:
        return self.mask(value) if isinstance(value, str) else value


def _view(sub: Subgraph, lang: str = "fr", include_persons: bool = False,
          metrics: Mapping[str, Mapping[str, float]] | None = None,
          person_names: Iterable[str | tuple[str, ...]] = ()) -> _View:
    from maillage.analytics.run import person_masker

    if lang not in ("fr", "en"):
        raise ValueError(f"lang {lang!r} is not fr or en")
    kept = {aid: a for aid, a in sub.actors.items() if include_persons or not a.personal_data}
    actors = sorted(kept.values(), key=lambda a: (*alpha_key(a.name), a.id))
    rels = [r for r in sub.relations if r.source in kept and r.target in kept]
    rels.sort(key=lambda r: (*alpha_key(kept[r.source].name), r.type, *alpha_key(kept[r.target].name), r.id))
    mask: Callable[[str], str] = lambda text: text  # noqa: E731
    source_mask = mask
    if not include_persons:
        # the store's persons first (:func:`~maillage.analytics.run.person_groups`), numbered as in
        # every other view; those of the subgraph not among them after
        hidden = [(a.name, *a.aliases) for a in sub.actors.values() if a.personal_data]
        mask = person_masker([*person_names, *hidden])
        source_mask = mask
    clean = _clean_metrics(metrics)
    clean = {k: v for k, v in clean.items() if k in kept}
    return _View(actors, rels, {a.id: a.name for a in actors}, clean, _metric_names(clean), lang, mask, source_mask)


# -- labels ---------------------------------------------------------------------------------------

def _family_label(family: str, lang: str) -> str:
    try:
        return vocabulary().family(family).label(lang)
    except ValueError:
        return family


def _kind_label(family: str, kind: str | None, lang: str) -> str | None:
    """:func:`~maillage.graph.vocabulary.kind_label`, None for no kind (an empty cell)."""
    return kind_label(family, kind, lang) or None


def _type_label(rtype: str, lang: str) -> str:
    return vocabulary().relation_type(rtype).label(lang)


def _location_label(location: str | None) -> str:
    from maillage.analytics.run import location_label

    return location_label(location)


def _place_name(location: str | None) -> str | None:
    """The bare name of a territory (``departement:47`` → ``Lot-et-Garonne``), or None."""
    if not location:
        return None
    try:
        from maillage.geography import load_geography

        t = load_geography().get(location)
    except Exception:  # noqa: BLE001 - the reference geography is optional for labels
        return None
    return t.name if t is not None else None


def _identifiers(a: ActorView) -> dict[str, str]:
    return {i.scheme: i.value for i in a.identifiers}


def node_record(a: ActorView, lang: str = "fr", metrics: Mapping[str, float] | None = None) -> dict[str, Any]:
    """An actor as a JSON node: the API's ``NodeOut`` (docs/api.md) plus ``kind_label`` and
    ``identifiers``.

    >>> from maillage.graph.model import ActorView
    >>> node_record(ActorView(id="a", name="Les Jardins", family="ess", kind="association"))["kind_label"]
    'Association'
    """
    return {"id": a.id, "label": a.name, "family": a.family, "family_label": _family_label(a.family, lang),
            "kind": a.kind, "kind_label": _kind_label(a.family, a.kind, lang), "location": a.location,
            "location_label": _location_label(a.location) or None, "placeholder": a.placeholder,
            "is_pole": a.family == "pole", "identifiers": _identifiers(a),
            "metrics": dict(metrics) if metrics else None}


def edge_record(r: RelationView, lang: str = "fr", mask: Callable[[str], str] | None = None,
                source_mask: Callable[[str], str] | None = None) -> dict[str, Any]:
    """A relation statement as a JSON edge: the API's ``EdgeOut`` (docs/api.md), provenance
    included, ``role_label`` as the API says it (:func:`~maillage.api.maps.role_label`); ``mask``
    is applied to the free text (quote, :func:`free_text_fields`, ``role_label``), and
    ``source_mask`` (:func:`source_masker`; default: ``mask``, which finds a name as files write it) to the
    provenance's source id and document: a file may be named after a person.

    >>> from maillage.graph.model import Provenance, RelationView
    >>> e = edge_record(RelationView(id="r1", type="funds", source="a", target="b", fields={"amount": 5.0},
    ...                              start="2015", end="2015", provenance=Provenance(source="s", locator="L2")))
    >>> e["type_label"], e["directed"], e["provenance"]["locator"]
    ('finance', True, 'L2')
    """
    from maillage.api.maps import role_label

    m = mask or (lambda t: t)
    if source_mask is None:
        source_mask = m
    p = r.provenance
    free = free_text_fields(r.type) if mask is not None else frozenset()
    fields = {k: (mask_value(v, m) if k in free else v) for k, v in r.fields.items()}
    return {"id": r.id, "source": r.source, "target": r.target, "type": r.type,
            "type_label": _type_label(r.type, lang), "directed": vocabulary().relation_type(r.type).directed,
            "fields": fields, "role_label": role_label(r, lang, mask), "start": r.start, "end": r.end,
            "provenance": {"source": source_mask(p.source), "document": source_mask(p.document), "locator": p.locator,
                           "quote": m(p.quote) if p.quote else p.quote, "certainty": p.certainty,
                           "loaded_at": p.loaded_at.isoformat() if p.loaded_at else None}}


# -- JSON -----------------------------------------------------------------------------------------

def subgraph_json(sub: Subgraph, out: IO[bytes], lang: str = "fr", include_persons: bool = False,
                  metrics: Mapping[str, Mapping[str, float]] | None = None, person_names: Iterable[str | tuple[str, ...]] = (),
                  about: Iterable[str] = ()) -> None:
    """``{"nodes": [...], "edges": [...], "about": [...]}`` (:func:`node_record`,
    :func:`edge_record`; ``about``: the lines saying which run the metrics come from and the
    notes on it, as the export command prints them), UTF-8, serialised with orjson. JSON: Bray (2017), "The JavaScript Object Notation (JSON) Data
    Interchange Format", IETF RFC 8259.

    >>> import io; buf = io.BytesIO(); subgraph_json(_example(), buf)
    >>> sorted(orjson.loads(buf.getvalue()))
    ['about', 'edges', 'nodes']
    """
    v = _view(sub, lang, include_persons, metrics, person_names)
    doc = {"nodes": [node_record(a, lang, v.metrics.get(a.id)) for a in v.actors],
           "edges": [edge_record(r, lang, v.mask, v.source_mask) for r in v.relations],
           "about": [v.source_mask(x) for x in about]}
    out.write(orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS))


# -- CSV --------------------------------------------------------------------------------------------

#: Columns of the edges CSV, in order.
EDGE_COLUMNS = ("id", "source_id", "source_name", "target_id", "target_name", "type", "type_label", "directed",
                "start", "end", "amount", "provenance_source", "provenance_document", "provenance_locator",
                "provenance_quote", "provenance_certainty", "fields", "role_label")
#: First columns of the nodes CSV (then the metrics, if any).
NODE_COLUMNS = tab.NODE_COLUMNS  # defined with the spreadsheet files' (the Kumu loader reads this file back)


#: The subgraph export formats written as CSV: ``delimiter`` and ``decimal_comma`` apply to them.
CSV_FORMATS = ("csv", "nodes.csv")


def _csv_writer(out: IO[bytes], delimiter: str = ",", decimal_comma: bool = False) -> tuple[io.TextIOWrapper, Any]:
    """The text stream over ``out`` (UTF-8 with BOM) and a CSV writer on it (CRLF lines,
    ``delimiter`` between cells), after :func:`check_csv_style`. Every CSV file of the graph
    exports is written through here, so a French spreadsheet's ``;`` applies to each."""
    check_csv_style(delimiter, decimal_comma)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    return text, csv.writer(text, delimiter=delimiter, lineterminator="\r\n")


def _done(text: io.TextIOWrapper) -> None:
    text.flush()
    text.detach()  # leave the caller's stream open


def edges_csv(sub: Subgraph, out: IO[bytes], lang: str = "fr", include_persons: bool = False,
              metrics: Mapping[str, Mapping[str, float]] | None = None, person_names: Iterable[str | tuple[str, ...]] = (),
              delimiter: str | None = None, decimal_comma: bool | None = None, tableur: bool = False,
              sources: Any = None) -> None:
    """One row per relation statement (:data:`EDGE_COLUMNS`): both ends (id and name), type,
    dates, ``amount`` when the relation has one, the provenance, the other fields as JSON (their
    codes, as the file wrote them) and ``role_label``, the role in words (:func:`edge_record`).
    UTF-8 with a byte-order mark (so Excel reads the accents), comma-separated, CRLF lines
    (Shafranovich (2005), "Common Format and MIME Type for CSV Files", IETF RFC 4180); text
    cells are spreadsheet-safe (:func:`safe_text`). ``metrics`` is not used (see :func:`nodes_csv`).
    ``delimiter=";"`` with ``decimal_comma=True`` is what a French spreadsheet opens as columns
    (the ``fields`` cell stays JSON, with its decimal points). ``tableur=True``: the file people
    read (:mod:`maillage.tableur`, columns ``TABLEUR_FILES["edges.csv"]``), its source and
    document named as a reader does when ``sources`` (:class:`~maillage.api.maps.SourceLabels`)
    is given: a file's name, a document's title.

    >>> import io; buf = io.BytesIO(); edges_csv(_example(), buf)
    >>> buf.getvalue().decode("utf-8-sig").splitlines()[1].split(",")[5:7]
    ['funds', 'finance']
    >>> buf = io.BytesIO(); edges_csv(_example(), buf, tableur=True)
    >>> buf.getvalue().decode("utf-8-sig").splitlines()[1].split(";")[2:9]
    ['Région Occitanie', 'finance', 'a', 'Les Jardins', '2015', '2015', '5000,00']
    """
    v = _view(sub, lang, include_persons, None, person_names)
    delimiter, decimal_comma = tab.resolve_style(tableur, lang, delimiter, decimal_comma)
    text, w = _csv_writer(out, delimiter, decimal_comma)
    if tableur:
        _edges_tableur(v, w, lang, decimal_comma, sources)
        _done(text)
        return
    w.writerow(EDGE_COLUMNS)
    for r in v.relations:
        e = edge_record(r, lang, v.mask, v.source_mask)
        p = e["provenance"]
        other = {k: x for k, x in e["fields"].items() if k != "amount"}
        w.writerow([safe_text(r.id), safe_text(r.source), safe_text(v.names[r.source]), safe_text(r.target),
                    safe_text(v.names[r.target]), r.type, safe_text(e["type_label"]),
                    "true" if e["directed"] else "false", r.start or "", r.end or "",
                    _number(r.fields.get("amount"), decimal_comma), safe_text(p["source"]), safe_text(p["document"]),
                    safe_text(p["locator"]), safe_text(p["quote"]), p["certainty"],
                    orjson.dumps(other).decode() if other else "", safe_text(e["role_label"])])
    _done(text)


def _edges_tableur(v: _View, w: Any, lang: str, decimal_comma: bool, sources: Any = None) -> None:
    """The rows of the spreadsheet edges file (``TABLEUR_FILES["edges.csv"]``); ``sources``
    (:class:`~maillage.api.maps.SourceLabels`): the source and document by their names."""
    from maillage.api.maps import SourceLabels, field_rows

    labels = sources if sources is not None else SourceLabels()
    w.writerow(tab.headers(tab.TABLEUR_FILES["edges.csv"], lang))
    for r in v.relations:
        e = edge_record(r, lang, v.mask, v.source_mask)
        p = e["provenance"]
        # « précisions »: the fields as the maps and the API say them, numbers as this file writes them
        details = field_rows(r, lang, v.mask, decimal_comma=decimal_comma, leave_out=("amount",))
        w.writerow([safe_text(r.id), safe_text(r.source), safe_text(v.names[r.source]), safe_text(e["type_label"]),
                    safe_text(r.target), safe_text(v.names[r.target]), r.start or "", r.end or "",
                    tab.euros(r.fields.get("amount"), decimal_comma), safe_text(tab.fields_text(details, lang)),
                    safe_text(v.source_mask(labels.source(r.provenance.source))),
                    safe_text(v.source_mask(labels.document(r.provenance.source, r.provenance.document))),
                    safe_text(tab.locator(p["locator"], lang)),
                    safe_text(p["quote"]), safe_text(tab.certainty(p["certainty"], lang))])


def nodes_csv(sub: Subgraph, out: IO[bytes], lang: str = "fr", include_persons: bool = False,
              metrics: Mapping[str, Mapping[str, float]] | None = None, person_names: Iterable[str | tuple[str, ...]] = (),
              delimiter: str | None = None, decimal_comma: bool | None = None, tableur: bool = False) -> None:
    """One row per actor (:data:`NODE_COLUMNS`, then the metrics given, :data:`METRIC_COLUMNS`
    first), same encoding, safety, ``delimiter``, ``decimal_comma`` and ``tableur`` as
    :func:`edges_csv` (``TABLEUR_FILES["nodes.csv"]``). ``maillage load`` knows either file by
    these columns (:func:`maillage.loaders.formats.kumu.is_actors_file`) and reads it back as
    Kumu elements, with the same families, kinds, places and placeholders.

    >>> import io; buf = io.BytesIO(); nodes_csv(_example(), buf, metrics={"a": {"degree": 1}})
    >>> buf.getvalue().decode("utf-8-sig").splitlines()[0].split(",")[-2:]
    ['rna', 'degree']
    >>> buf = io.BytesIO(); nodes_csv(_example(), buf, metrics={"a": {"pagerank": 0.123456}}, tableur=True)
    >>> [line.split(";") for line in buf.getvalue().decode("utf-8-sig").splitlines()[:2]]  # doctest: +NORMALIZE_WHITESPACE
    [['identifiant', 'nom', 'famille', 'type', 'lieu', 'acteur générique', 'SIREN', 'SIRET', 'RNA', 'PageRank'],
     ['a', 'Les Jardins', "Structure de l'ESS", 'Association', '', 'non', '', '', '', '0,1235']]
    """
    v = _view(sub, lang, include_persons, metrics, person_names)
    delimiter, decimal_comma = tab.resolve_style(tableur, lang, delimiter, decimal_comma)
    text, w = _csv_writer(out, delimiter, decimal_comma)
    if tableur:
        w.writerow(tab.headers([*tab.TABLEUR_FILES["nodes.csv"], *v.metric_names], lang))
        for a in v.actors:
            ids = _identifiers(a)
            m = v.metrics.get(a.id, {})
            w.writerow([safe_text(a.id), safe_text(a.name), safe_text(_family_label(a.family, lang)),
                        safe_text(_kind_label(a.family, a.kind, lang)), safe_text(_location_label(a.location)),
                        tab.yes_no(a.placeholder, lang), ids.get("siren", ""), ids.get("siret", ""),
                        ids.get("rna", "")] + [tab.measure(m.get(n), decimal_comma) for n in v.metric_names])
        _done(text)
        return
    w.writerow([*NODE_COLUMNS, *v.metric_names])
    for a in v.actors:
        ids = _identifiers(a)
        m = v.metrics.get(a.id, {})
        w.writerow([safe_text(a.id), safe_text(a.name), a.family, safe_text(_family_label(a.family, lang)),
                    a.kind or "", safe_text(_kind_label(a.family, a.kind, lang)), a.location or "",
                    safe_text(_location_label(a.location)), "true" if a.placeholder else "false",
                    "true" if a.family == "pole" else "false", ids.get("siren", ""), ids.get("siret", ""),
                    ids.get("rna", "")] + [_number(m.get(n), decimal_comma) for n in v.metric_names])
    _done(text)


# -- GEXF -----------------------------------------------------------------------------------------

GEXF_NS = "http://gexf.net/1.3"
GEXF_VIZ_NS = "http://gexf.net/1.3/viz"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

#: Node attributes of the GEXF and GraphML files: (id/title, GEXF type).
NODE_ATTRIBUTES = (("family", "string"), ("family_label", "string"), ("kind", "string"),
                   ("kind_label", "string"), ("location", "string"), ("location_label", "string"),
                   ("placeholder", "boolean"), ("is_pole", "boolean"), ("identifiers", "string"))
#: Edge attributes of the GEXF and GraphML files: (id/title, GEXF type).
EDGE_ATTRIBUTES = (("type", "string"), ("type_label", "string"), ("directed", "boolean"),
                   ("start_date", "string"), ("end_date", "string"), ("amount", "double"),
                   ("fields", "string"), ("role_label", "string"), ("provenance_source", "string"),
                   ("provenance_document", "string"), ("provenance_locator", "string"), ("provenance_quote", "string"),
                   ("provenance_certainty", "string"))


def gexf_interval(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """A relation's dates as a GEXF interval of whole years (``timeformat="date"``): from the
    1st of January of its start year to the 31st of December of its end year, both included; an
    unknown end is left open.

    >>> gexf_interval("2014-06", "2016"), gexf_interval(None, None), gexf_interval("2020", None)
    (('2014-01-01', '2016-12-31'), (None, None), ('2020-01-01', None))
    """
    ys, ye = year_of(start), year_of(end)
    return (f"{ys:04d}-01-01" if ys is not None else None, f"{ye:04d}-12-31" if ye is not None else None)


def _node_values(a: ActorView, lang: str) -> dict[str, Any]:
    ids = _identifiers(a)
    return {"family": a.family, "family_label": _family_label(a.family, lang), "kind": a.kind,
            "kind_label": _kind_label(a.family, a.kind, lang), "location": a.location,
            "location_label": _location_label(a.location) or None, "placeholder": a.placeholder,
            "is_pole": a.family == "pole",
            "identifiers": "; ".join(f"{k}:{x}" for k, x in sorted(ids.items())) or None}


def _edge_values(r: RelationView, v: _View) -> dict[str, Any]:
    e = edge_record(r, v.lang, v.mask, v.source_mask)
    p = e["provenance"]
    amount = r.fields.get("amount")
    other = {k: x for k, x in e["fields"].items() if k != "amount"}
    return {"type": r.type, "type_label": e["type_label"], "directed": e["directed"], "start_date": r.start,
            "end_date": r.end, "amount": float(amount) if amount is not None else None,
            "fields": orjson.dumps(other).decode() if other else None, "role_label": e["role_label"],
            "provenance_source": p["source"],
            "provenance_document": p["document"], "provenance_locator": p["locator"],
            "provenance_quote": p["quote"], "provenance_certainty": p["certainty"]}


def _gexf_value(value: Any, gtype: str) -> str:
    if gtype == "boolean":
        return "true" if value else "false"
    if gtype == "double":
        return repr(float(value))
    if gtype == "integer":
        return str(int(value))
    return _xml_text(value)


def _metric_type(name: str) -> str:
    """The GEXF type of a metric: ``integer`` for the whole ones by definition (a community
    is then a partition in Gephi), else ``double``."""
    from maillage.analytics.run import WHOLE_METRICS

    return "integer" if name in WHOLE_METRICS else "double"


def _attvalues(parent: ET.Element, values: dict[str, Any], declared: Iterable[tuple[str, str]]) -> None:
    box = ET.SubElement(parent, "attvalues")
    for aid, gtype in declared:
        value = values.get(aid)
        if value is None or value == "":
            continue
        ET.SubElement(box, "attvalue", {"for": aid, "value": _gexf_value(value, gtype)})
    if not len(box):
        parent.remove(box)


#: What a GEXF or GraphML file of relation statements says it holds (then its ``about``).
_LEAD = {"fr": "Graphe de coopération (maillage) : acteurs et relations, avec leur provenance",
         "en": "Cooperation graph (maillage): actors and relations, with their provenance"}


def about_text(about: Iterable[str], lead: str) -> str:
    """A file's description: ``lead``, then each line of ``about`` (the run its measures come
    from, the notes on it) on a line of its own."""
    return "\n".join([lead, *about])


def gexf_document(v: _View, lang: str, lead: str, about: Iterable[str], edge_attributes: Iterable[tuple[str, str]],
                  graph_attrs: dict[str, str]) -> tuple[ET.Element, ET.Element]:
    """A GEXF 1.3 document up to its ``<edges>``: ``<meta>`` (creator, today's date, the
    description :func:`about_text`), the node and edge attribute declarations, and the nodes of
    ``v`` with :data:`NODE_ATTRIBUTES`, their metrics and their family colour. Returns the root
    and its ``<graph>``, for the caller's edges."""
    voc = vocabulary()
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "xmlns:viz": GEXF_VIZ_NS, "xmlns:xsi": _XSI_NS,
                               "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd", "version": "1.3"})
    meta = ET.SubElement(root, "meta", {"lastmodifieddate": date.today().isoformat()})
    ET.SubElement(meta, "creator").text = "maillage"
    ET.SubElement(meta, "description").text = _xml_text(about_text(about, lead))
    graph = ET.SubElement(root, "graph", graph_attrs)
    node_attrs = list(NODE_ATTRIBUTES) + [(f"metric_{n}", _metric_type(n)) for n in v.metric_names]
    na = ET.SubElement(graph, "attributes", {"class": "node", "mode": "static"})
    for aid, gtype in node_attrs:
        ET.SubElement(na, "attribute", {"id": aid, "title": aid.removeprefix("metric_"), "type": gtype})
    ea = ET.SubElement(graph, "attributes", {"class": "edge", "mode": "static"})
    for aid, gtype in edge_attributes:
        ET.SubElement(ea, "attribute", {"id": aid, "title": aid, "type": gtype})
    nodes = ET.SubElement(graph, "nodes")
    for a in v.actors:
        node = ET.SubElement(nodes, "node", {"id": _xml_text(a.id), "label": _xml_text(a.name)})
        values = _node_values(a, lang)
        values.update({f"metric_{n}": x for n, x in v.metrics.get(a.id, {}).items()})
        _attvalues(node, values, node_attrs)
        colour = voc.families[a.family].colour if a.family in voc.families else "#999999"
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        ET.SubElement(node, "viz:color", {"r": str(r), "g": str(g), "b": str(b)})
    return root, graph


def write_xml(root: ET.Element, out: IO[bytes]) -> None:
    """``root`` indented, as UTF-8 with its XML declaration."""
    ET.indent(root, space="  ")
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)


def subgraph_gexf(sub: Subgraph, out: IO[bytes], lang: str = "fr", include_persons: bool = False,
                  metrics: Mapping[str, Mapping[str, float]] | None = None, person_names: Iterable[str | tuple[str, ...]] = (),
                  about: Iterable[str] = ()) -> None:
    """GEXF 1.3 that Gephi's timeline can use: ``mode="dynamic"``, ``timeformat="date"``.

    Each edge is one relation statement, with ``start``/``end`` from its dates taken as whole
    years (:func:`gexf_interval`: a tie of 2014–2016 is present from 2014-01-01 to 2016-12-31).
    An undated tie has no ``start``/``end``: in GEXF it is present over the whole span (Gephi's
    timeline filter keeps it, its "keep null" default); a tie with only a start stays from then
    on. Directed types are directed edges; undirected types (``cooperates``, ``partner``,
    ``related``) are ``type="mutual"`` (both ways). ``kind`` = relation type, so Gephi keeps
    parallel ties of different types apart; ``label`` = its French (or English) label. Nodes
    carry :data:`NODE_ATTRIBUTES`, the metrics given (``integer`` for the whole ones, else ``double``) and their family colour
    (``viz:color``); edges carry :data:`EDGE_ATTRIBUTES`, provenance included. The ``<meta>``
    description ends with the lines of ``about`` (the run of the metrics, the notes on it).
    Needs Gephi 0.9.3 or later (GEXF 1.3). Reference: Gephi Consortium (2022), "GEXF 1.3 primer
    and schema", gexf.net (github.com/gephi/gexf).

    >>> import io; buf = io.BytesIO(); subgraph_gexf(_example(), buf)
    >>> b'mode="dynamic"' in buf.getvalue(), b'start="2015-01-01" end="2015-12-31"' in buf.getvalue()
    (True, True)
    """
    v = _view(sub, lang, include_persons, metrics, person_names)
    voc = vocabulary()
    root, graph = gexf_document(v, lang, _LEAD[lang], [v.source_mask(x) for x in about], EDGE_ATTRIBUTES,
                                {"defaultedgetype": "directed", "mode": "dynamic", "timeformat": "date"})
    edges = ET.SubElement(graph, "edges")
    for rel in v.relations:
        attrs = {"id": _xml_text(rel.id), "source": _xml_text(rel.source), "target": _xml_text(rel.target),
                 "kind": rel.type, "label": _xml_text(_type_label(rel.type, lang))}
        if not voc.relation_type(rel.type).directed:
            attrs["type"] = "mutual"
        start, end = gexf_interval(rel.start, rel.end)
        if start:
            attrs["start"] = start
        if end:
            attrs["end"] = end
        edge = ET.SubElement(edges, "edge", attrs)
        _attvalues(edge, _edge_values(rel, v), EDGE_ATTRIBUTES)
    write_xml(root, out)


# -- GraphML ----------------------------------------------------------------------------------------

def subgraph_graphml(sub: Subgraph, out: IO[bytes], lang: str = "fr", include_persons: bool = False,
                     metrics: Mapping[str, Mapping[str, float]] | None = None,
                     person_names: Iterable[str | tuple[str, ...]] = (), about: Iterable[str] = ()) -> None:
    """GraphML written by networkx (``write_graphml``): a directed multigraph whose edges are the
    relation statements (edge id = statement id), every attribute declared with its type
    (``string``, ``boolean``, ``double``). Node attributes: ``label`` (the name),
    :data:`NODE_ATTRIBUTES` and the metrics given (``long`` for the whole ones, else ``double``); edge attributes: ``label`` (type
    label), :data:`EDGE_ATTRIBUTES` — ``directed`` says whether the type has a direction (GraphML
    files are directed or not as a whole), lists and dicts are JSON strings (``fields``). The
    graph's ``description`` says what the file holds, then the lines of ``about``.
    Reference: Brandes, Eiglsperger, Herman, Himsolt & Marshall (2002), "GraphML Progress Report:
    Structural Layer Proposal", Graph Drawing 2001, LNCS 2265, Springer.

    >>> import io; buf = io.BytesIO(); subgraph_graphml(_example(), buf)
    >>> b'attr.name="amount" attr.type="double"' in buf.getvalue()
    True
    """
    import networkx as nx

    v = _view(sub, lang, include_persons, metrics, person_names)
    g = nx.MultiDiGraph(description=_xml_text(about_text([v.source_mask(x) for x in about], _LEAD[lang])))
    for a in v.actors:
        data = {"label": a.name, **_node_values(a, lang), **v.metrics.get(a.id, {})}
        g.add_node(a.id, **{k: _xml_text(x) if isinstance(x, str) else x for k, x in data.items() if x is not None})
    for r in v.relations:
        data = {"label": _type_label(r.type, lang), **_edge_values(r, v)}
        g.add_edge(r.source, r.target, key=r.id,
                   **{k: _xml_text(x) if isinstance(x, str) else x for k, x in data.items() if x is not None})
    nx.write_graphml(g, out, encoding="utf-8", prettyprint=True)


# -- Kumu -------------------------------------------------------------------------------------------

#: Columns of the Elements sheet before the metrics. Label, Type, Description and Tags are
#: Kumu's; ID, SIREN, SIRET, RNA, Forme juridique, ESS and maillage's own ``location`` (the
#: territory id: « Vaucluse » names a département and a commune), ``placeholder``,
#: ``group_count`` and ``territory`` (the one a collectivité administers) are read back by the
#: Kumu loader (maillage.loaders.formats.kumu: OWN_ELEMENT_COLUMNS); Code INSEE and Localité (the place's name) by a loader of another map
#: without ``location``; the others are shown in Kumu's profile.
KUMU_ELEMENT_COLUMNS = ("Label", "Type", "Description", "Tags", "ID", "family", "kind", "location",
                        "Code INSEE", "Localité", "SIREN", "SIRET", "RNA", "Forme juridique", "ESS",
                        "placeholder", "group_count", "territory")
#: Columns of the Connections sheet before the relation fields and the provenance.
KUMU_CONNECTION_COLUMNS = ("From", "To", "Type", "Direction", "Label", "Description", "Start Date", "End Date",
                           "ID", "relation_type")
KUMU_PROVENANCE_COLUMNS = ("provenance_source", "provenance_document", "provenance_locator", "provenance_quote",
                           "provenance_certainty")


def _cell(value: Any, lang: str = "fr") -> Any:
    """A workbook cell: numbers as numbers, booleans as oui/non, text spreadsheet-safe."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("oui" if value else "non") if lang == "fr" else ("yes" if value else "no")
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        value = "|".join(str(x) for x in value)
    return safe_text(_xml_text(value)) or None


def kumu_xlsx(sub: Subgraph, out: IO[bytes], lang: str = "fr", include_persons: bool = False,
              metrics: Mapping[str, Mapping[str, float]] | None = None, person_names: Iterable[str | tuple[str, ...]] = ()) -> None:
    """A Kumu workbook: sheet **Elements** (one row per actor: ``Label``, ``Type`` = its kind's
    label, else its family's, ``Description`` = its place, ``Tags`` = its family's label, then
    :data:`KUMU_ELEMENT_COLUMNS` and the metrics given) and sheet **Connections** (one row per
    relation statement: ``From``/``To`` = element IDs, ``Type`` = the relation type's label,
    ``Direction`` directed or undirected, ``Label`` = the stated role, ``Description`` = its
    note, ``Start Date``/``End Date``, then one column per relation field by its name —
    ``amount``, ``year``, ``tier``… — and the provenance). It re-imports through maillage's own
    Kumu loader with the same actors and relations. Text cells are spreadsheet-safe
    (:func:`safe_text`). Reference: Kumu Inc. (n.d.), "Import — spreadsheets", docs.kumu.io
    (guides/import).

    >>> import io, openpyxl; buf = io.BytesIO(); kumu_xlsx(_example(), buf)
    >>> openpyxl.load_workbook(buf).sheetnames
    ['Elements', 'Connections']
    """
    from openpyxl import Workbook

    v = _view(sub, lang, include_persons, metrics, person_names)
    voc = vocabulary()
    wb = Workbook(write_only=True)
    el = wb.create_sheet("Elements")
    el.append([*KUMU_ELEMENT_COLUMNS, *v.metric_names])
    for a in v.actors:
        ids = _identifiers(a)
        loc_label = _location_label(a.location)
        insee = a.location.split(":", 1)[1] if a.location and a.location.startswith("commune:") else None
        row = [a.name, _kind_label(a.family, a.kind, lang) or _family_label(a.family, lang), loc_label or None,
               _family_label(a.family, lang), a.id, a.family, a.kind, a.location, insee,
               _place_name(a.location) if not a.personal_data else None,
               ids.get("siren"), ids.get("siret"), ids.get("rna"), a.legal_form, a.ess, a.placeholder,
               a.group_count, a.territory]
        m = v.metrics.get(a.id, {})
        el.append([_cell(x, lang) for x in row] + [m.get(n) for n in v.metric_names])
    field_names = sorted({k for r in v.relations for k in r.fields if k not in _FIELDS_OUT})
    co = wb.create_sheet("Connections")
    co.append([*KUMU_CONNECTION_COLUMNS, *field_names, *KUMU_PROVENANCE_COLUMNS])
    for r in v.relations:
        e = edge_record(r, lang, v.mask, v.source_mask)
        p = e["provenance"]
        row = [r.source, r.target, e["type_label"],
               "directed" if voc.relation_type(r.type).directed else "undirected",
               e["fields"].get("role"), e["fields"].get("note"), r.start, r.end, r.id, r.type]
        row += [e["fields"].get(k) for k in field_names]
        row += [p["source"], p["document"], p["locator"], p["quote"], p["certainty"]]
        co.append([_cell(x, lang) for x in row])
    wb.save(out)


# -- FollowTheMoney -------------------------------------------------------------------------------

#: Relation type → (FtM schema, source property, target property). Types FtM has no schema for
#: are ``UnknownLink`` (subject → object) with the type's label as ``role``.
FTM_EDGES: dict[str, tuple[str, str, str]] = {
    "membership": ("Membership", "member", "organization"),
    "governs": ("Directorship", "director", "organization"),
    "funds": ("Payment", "payer", "beneficiary"),
    "employs": ("Employment", "employer", "employee"),
    "represents": ("Representation", "agent", "client"),
}
_FTM_LINK = ("UnknownLink", "subject", "object")
#: Actor family → FtM schema.
FTM_SCHEMATA = {"person": "Person", "collectivite": "PublicBody", "state": "PublicBody", "eu": "PublicBody",
                "enterprise": "Company"}


def _ftm_actor(a: ActorView, lang: str) -> dict[str, Any]:
    schema = FTM_SCHEMATA.get(a.family, "Organization")
    props: dict[str, list[str]] = {"name": [a.name]}
    if schema != "Person":
        if a.aliases:
            props["alias"] = list(a.aliases)
        ids = _identifiers(a)
        numbers = [ids[k] for k in ("siren", "siret", "rna") if k in ids]
        if numbers:
            props["registrationNumber"] = numbers
            props["jurisdiction"] = ["fr"]  # SIREN, SIRET and RNA are French registers
        legal = a.legal_form or (_kind_label(a.family, a.kind, "fr") if a.family == "ess" else None)
        if legal:
            props["legalForm"] = [legal]
        props["classification"] = [_kind_label(a.family, a.kind, lang) or _family_label(a.family, lang)]
        if a.location:
            props["address"] = [_location_label(a.location)]
    entity = {"id": a.id, "schema": schema, "caption": a.name, "properties": props}
    own = {k: getattr(a, k) for k in FTM_OWN_ACTOR_FIELDS if getattr(a, k)} if schema != "Person" else {}
    if own:  # what FtM has no property for: « les Missions locales » named by their type only…
        entity[FTM_OWN] = own
    return entity


def _ftm_edge(r: RelationView, v: _View) -> dict[str, Any]:
    e = edge_record(r, v.lang, v.mask, v.source_mask)
    f, p = e["fields"], e["provenance"]
    schema, src, dst = FTM_EDGES.get(r.type, _FTM_LINK)
    if r.type == "governs" and f.get("shareholder"):
        schema, src, dst = "Ownership", "owner", "asset"
    props: dict[str, list[str]] = {src: [r.source], dst: [r.target]}
    roles = [] if schema != _FTM_LINK[0] else [e["type_label"]]
    if f.get("role") and schema != "Payment":  # FtM's Payment has no role
        roles.append(str(f["role"]))
    if roles:
        props["role"] = roles
    if r.start:
        props["startDate"] = [r.start]
    if r.end:
        props["endDate"] = [r.end]
    if schema == "Payment":
        if f.get("amount") is not None:
            props["amount"] = [_number(f["amount"])]
            props["currency"] = ["EUR"]
        if f.get("year") is not None:
            props["date"] = [str(f["year"])]
        if f.get("programme"):
            props["programme"] = [str(f["programme"])]
        if f.get("note"):
            props["purpose"] = [str(f["note"])]
    elif f.get("note"):
        props["description"] = [str(f["note"])]
    props["publisher"] = [p["source"]]
    record = " ".join(x for x in (p["document"], p["locator"]) if x)
    if record:
        props["recordId"] = [record]
    if p["quote"]:
        props["summary"] = [p["quote"]]
    # what FtM has no property for, in maillage's own object (the FtM loader reads it back)
    own: dict[str, Any] = {"type": r.type} if schema == _FTM_LINK[0] else {}
    if p["certainty"] != "stated":
        own["certainty"] = p["certainty"]
    own["fields"] = {k: v for k, v in f.items() if k not in FTM_CARRIED[schema] and v is not None}
    return {"id": r.id, "schema": schema, "properties": props, FTM_OWN: own}


def ftm_jsonl(sub: Subgraph, out: IO[bytes], lang: str = "fr", include_persons: bool = False,
              metrics: Mapping[str, Mapping[str, float]] | None = None, person_names: Iterable[str | tuple[str, ...]] = ()) -> None:
    """FollowTheMoney entities, one JSON object per line (what Aleph and ``ftm`` tools read):
    actors as ``PublicBody`` (collectivités, State, EU), ``Company`` (enterprises), ``Person``
    (only with ``include_persons``; name only) or ``Organization`` (the rest), with
    ``registrationNumber`` (SIREN, SIRET, RNA), ``legalForm``, ``address`` (the place);
    relations by :data:`FTM_EDGES` — ``Membership``, ``Directorship`` (``Ownership`` for a
    shareholder), ``Payment`` (with ``amount`` in EUR and ``date`` for ``funds``),
    ``Employment``, ``Representation`` — and ``UnknownLink`` for the types FtM has no schema
    for (``role`` = the type's label). Dates are ``startDate``/``endDate``; provenance is
    ``publisher`` (source), ``recordId`` (document and locator) and ``summary`` (quote).
    What FtM has no property for is in an object ``maillage`` beside ``properties``
    (:data:`maillage.loaders.formats.ftm.CARRIED` says what): placeholders, groups, territories,
    a tie's type, certainty and other fields (a grant's ``status``).
    ``metrics`` is not used. Re-imports through maillage's own FtM loader with the same actors
    and ties, fields and certainty included.
    Reference: OCCRP & OpenSanctions (n.d.), "FollowTheMoney: schemata", followthemoney.tech.

    >>> import io; buf = io.BytesIO(); ftm_jsonl(_example(), buf)
    >>> [orjson.loads(x)["schema"] for x in buf.getvalue().splitlines()]
    ['Organization', 'PublicBody', 'Payment']
    """
    v = _view(sub, lang, include_persons, None, person_names)
    for a in v.actors:
        out.write(orjson.dumps(_ftm_actor(a, lang)) + b"\n")
    for r in v.relations:
        out.write(orjson.dumps(_ftm_edge(r, v)) + b"\n")


# -- dispatch ---------------------------------------------------------------------------------------

_WRITERS: dict[str, Callable[..., None]] = {
    "json": subgraph_json, "csv": edges_csv, "nodes.csv": nodes_csv, "gexf": subgraph_gexf,
    "graphml": subgraph_graphml, "kumu.xlsx": kumu_xlsx, "ftm.jsonl": ftm_jsonl,
}


#: The formats that can say, inside the file, which run its metrics come from (``about``).
ABOUT_FORMATS = ("json", "gexf", "graphml")


def persons_written(sub: Subgraph, include_persons: bool) -> int:
    """How many natural persons an export of ``sub`` writes: none unless ``include_persons``."""
    return sum(1 for a in sub.actors.values() if a.personal_data) if include_persons else 0


def persons_mark(actors: int, persons: int, lang: str = "fr") -> str | None:
    """What a file holding natural persons says of them, inside it (``about``) and as
    ``maillage export`` prints it; None when it holds none.

    >>> persons_mark(681, 161)
    '681 acteurs dont 161 personnes physiques (données personnelles) : ne diffusez pas ce fichier'
    >>> persons_mark(2, 1, "en"), persons_mark(5, 0)
    ('2 actors including 1 natural person (personal data): do not share this file', None)

    Thousands are marked as on the line ``maillage export`` prints above it (« 4 366 acteurs »):

    >>> persons_mark(4366, 1434).split(" (")[0], persons_mark(4366, 1434, "en").split(" (")[0]
    ('4\u202f366 acteurs dont 1\u202f434 personnes physiques', '4,366 actors including 1,434 natural persons')
    """
    from maillage.writing import number_text

    if not persons:
        return None
    n, p = number_text(actors, lang), number_text(persons, lang)
    if lang == "en":
        return (f"{n} actor{'s' if actors != 1 else ''} including {p} natural person"
                f"{'s' if persons != 1 else ''} (personal data): do not share this file")
    s = "s" if persons > 1 else ""
    return (f"{n} acteur{'s' if actors > 1 else ''} dont {p} personne{s} physique{s} "
            "(données personnelles) : ne diffusez pas ce fichier")


def subgraph_export(sub: Subgraph, fmt: str, out: IO[bytes], lang: str = "fr", include_persons: bool = False,
                    metrics: Mapping[str, Mapping[str, float]] | None = None,
                    person_names: Iterable[str | tuple[str, ...]] = (), about: Iterable[str] = (), delimiter: str | None = None,
                    decimal_comma: bool | None = None, tableur: bool = False, sources: Any = None) -> None:
    """Write ``sub`` in format ``fmt`` (a key of :data:`EXPORT_FORMATS`) to the binary stream
    ``out``. ``lang``: labels in French (default) or English; ``include_persons``: keep natural
    persons and their ties (default: left out, and their names masked in free text, with
    ``person_names`` as well); ``metrics``: ``{actor id: {metric: value}}`` (a run's
    ``store.metrics(run_id)``) added to the nodes; ``about``: lines saying where they come from
    (:meth:`~maillage.api.export_view.RunChoice.about`), written inside the file by the
    formats that have a place for them (:data:`ABOUT_FORMATS`); ``delimiter``,
    ``decimal_comma`` and ``tableur`` (the file for a spreadsheet people read,
    :mod:`maillage.tableur`): the CSV formats' (:data:`CSV_FORMATS`), given to another
    format a ``ValueError``, as is an unknown format; ``sources``
    (:class:`~maillage.api.maps.SourceLabels`): how the spreadsheet edges file names sources.
    See each format's function for its content and reference (docs/exports.md).

    >>> import io; buf = io.BytesIO(); subgraph_export(_example(), "csv", buf)
    >>> len(buf.getvalue().splitlines())
    2
    """
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    mark = persons_mark(len(sub.actors), persons_written(sub, include_persons), lang)
    extra: dict[str, Any] = {"about": [*([mark] if mark else []), *about]} if fmt in ABOUT_FORMATS else {}
    extra |= csv_options(fmt, CSV_FORMATS, delimiter, decimal_comma, tableur)
    if fmt == "csv" and tableur:
        extra["sources"] = sources
    writer(sub, out, lang=lang, include_persons=include_persons, metrics=metrics, person_names=person_names, **extra)


def csv_options(fmt: str, csv_formats: Iterable[str], delimiter: str | None, decimal_comma: bool | None,
                tableur: bool = False) -> dict[str, Any]:
    """The keywords of ``fmt``'s writer for ``delimiter``, ``decimal_comma`` and ``tableur``:
    none for a format not in ``csv_formats`` — given there, a ``ValueError`` (not left unsaid)."""
    if fmt in csv_formats:
        return {"delimiter": delimiter, "decimal_comma": decimal_comma, "tableur": tableur}
    if delimiter not in (None, ",") or decimal_comma or tableur:
        raise ValueError(f"delimiter, decimal_comma and tableur apply to the CSV formats ({', '.join(csv_formats)}), "
                         f"not {fmt!r}")
    return {}


def _example() -> Subgraph:
    """A two-actor subgraph for the examples above."""
    from maillage.graph.model import Provenance

    return Subgraph(
        actors={"a": ActorView(id="a", name="Les Jardins", family="ess", kind="association"),
                "r": ActorView(id="r", name="Région Occitanie", family="collectivite", kind="region")},
        relations=[RelationView(id="r1", type="funds", source="r", target="a", fields={"amount": 5000.0, "year": 2015},
                                start="2015", end="2015", provenance=Provenance(source="s", locator="L2"))])


__all__ = ["metrics_csv", "resolve_run_id", "unknown_run", "check_csv_style", "CSV_FORMATS", "safe_text", "METRIC_COLUMNS", "ACTOR_COLUMNS", "EXPORT_FORMATS", "ExportFormat",
           "subgraph_export", "subgraph_json", "edges_csv", "nodes_csv", "subgraph_gexf", "subgraph_graphml",
           "kumu_xlsx", "ftm_jsonl", "node_record", "edge_record", "gexf_interval", "EDGE_COLUMNS",
           "NODE_COLUMNS", "NODE_ATTRIBUTES", "EDGE_ATTRIBUTES", "KUMU_ELEMENT_COLUMNS", "FTM_EDGES", "ABOUT_FORMATS",
           "gexf_document", "write_xml", "about_text", "source_masker"]
