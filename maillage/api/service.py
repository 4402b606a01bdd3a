"""The queries behind the API: the store and :mod:`maillage.analytics` answering one request each.

A :class:`Service` owns the store (:class:`StoreProvider`: one SQLite connection per thread, or
one shared store behind a lock, or one Neo4j driver) and a few caches invalidated when the
store's sources or runs change (:meth:`Service.fingerprint`). Each public method answers one
endpoint and returns plain data — dicts shaped like the response models of
:mod:`maillage.api.models`, or the analytics' own pydantic models — never a web response:
the HTTP layer is :mod:`maillage.api.app`.

Rules every method follows:

- **natural persons** (``personal_data``) never appear unless the caller passes
  ``include_persons=True`` (the app allows it only with the token); their names are masked
  as « [personne 1] », « [personne 2] »… (one number per person, the same in every view) in the
  free text of the sources (quotes, notes) and in their ids and file names, with
  :func:`maillage.analytics.run.person_masker`;
- **caps**: a subgraph has at most ``limit`` actors (:data:`MAX_LIMIT`); when actors are left
  out the result says so (``capped``, ``notes``, ``total_nodes``); depth ≤ :data:`MAX_DEPTH`;
  pages ≤ :data:`MAX_PAGE`;
- **errors** are :class:`ApiError` subclasses with a French and an English message
  (:class:`NotFoundError` 404, :class:`BadRequest` 400, :class:`Unavailable` 503…).

>>> svc = Service(":memory:")
>>> svc.health()
{'status': 'ok'}
>>> svc.search_actors(q="périscope")["total"]
0
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel

from maillage.analytics.views import territory_view, view_types
from maillage.api.export_view import RunChoice, choose_run, run_named
from maillage.api.exports import free_text_fields, mask_value
from maillage.graph import open_store, store_uri as default_store_uri
from maillage.graph.model import ActorView, RelationView
from maillage.graph.names import alpha_key
from maillage.graph.store import Store, StoreError, Subgraph
from maillage.graph.vocabulary import VocabularyError, kind_label, lens_word, vocabulary
from maillage.runtime import gc_paused

#: Deepest neighbourhood served.
MAX_DEPTH = 3
#: Largest page of a paginated list.
MAX_PAGE = 200
#: Default and largest number of actors in a subgraph response or a map.
DEFAULT_LIMIT = 500
MAX_LIMIT = 2000
#: Largest number of actors in an export (a download, not a view).
MAX_EXPORT = 200_000
#: A search stops after this many matches (``total`` is then a lower bound, ``capped`` true).
SEARCH_CAP = 10_000
#: Shortest paths: longest path looked for, and most actors visited on the way.
MAX_HOPS = 10
PATH_VISIT_CAP = 50_000
#: Actor metrics are preloaded for a whole run up to this many actors, else read per actor.
PRELOAD_METRICS = 20_000
#: Parsed actors kept in memory (the cache is emptied when full or when the store changes).
ACTOR_CACHE = 100_000
#: Relation statements kept in memory by actor (the neighbourhood's adjacency lists).
ADJACENCY_CACHE = 200_000
#: A depth-1 neighbourhood whose centre has at most this many cached ties (and whose store
#: gives each thread its own connection) is computed on the event loop, not in a worker thread.
SMALL_NEIGHBOURHOOD_TIES = 64
#: Edge dicts (relation statements as served) kept in memory.
EDGE_CACHE = 300_000
#: Seconds a fingerprint of the store (its sources and runs) is trusted before being read again.
FINGERPRINT_TTL = 1.0

_TERRITORY_ID = re.compile(r"(commune|epci|ept|departement|region|pays):[0-9A-Z]+")
_RNA = re.compile(r"W\d{9}")


# ---------------------------------------------------------------------------------------------
# errors

class ApiError(Exception):
    """An error the API reports as it is: an HTTP ``status`` and a French and an English message.

    >>> NotFoundError("Aucun acteur « x ».", "No actor 'x'.").message("en")
    "No actor 'x'."
    """

    status = 500

    def __init__(self, fr: str, en: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(fr)
        self.fr, self.en = fr, en or fr
        self.headers = headers

    def message(self, lang: str = "fr") -> str:
        return self.en if lang == "en" else self.fr


class BadRequest(ApiError):
    status = 400


def refuse_unknown(given: Iterable[str], accepted: Iterable[str], unknown: tuple[str, str],
                   possible: str) -> None:
    """Refuse (400) the values of ``given`` not in ``accepted``, naming them and the accepted
    ones: the one way the API says a lens, a type, a family, a parameter… is unknown.
    ``accepted``: in the order given (a set: sorted); ``unknown``: what to call one, in French and in
    English; ``possible``: the accepted ones, in French.

    >>> refuse_unknown(["coop"], ["all", "funding"], ("Lentille inconnue", "Unknown lens"),
    ...                "lentilles possibles")
    Traceback (most recent call last):
    maillage.api.service.BadRequest: Lentille inconnue « coop » ; lentilles possibles : all, funding.
    """
    order = list(accepted) if isinstance(accepted, (list, tuple, dict)) else sorted(accepted)
    bad = list(dict.fromkeys(v for v in given if v not in order))
    if bad:
        listed = ", ".join(order)
        raise BadRequest(f"{unknown[0]} {', '.join(f'« {v} »' for v in bad)} ; {possible} : {listed}.",
                         f"{unknown[1]} {', '.join(repr(v) for v in bad)}; expected one of: {listed}.")


class Invalid(ApiError):
    """A parameter's value the route does not take, said in words (not pydantic's)."""

    status = 422


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFoundError(ApiError):
    status = 404


class PayloadTooLarge(ApiError):
    status = 413


class Unavailable(ApiError):
    status = 503


#: Territory levels the vocabulary has no collectivité kind for (the others read as that kind).
_OTHER_LEVELS = {"ept": ("Établissement public territorial (EPT)", "Territorial public establishment (EPT)"),
                 "pays": ("Pays", "Country")}


def level_label(level: str, lang: str = "fr") -> str:
    """A territory level as people name it: the vocabulary's collectivité kind of that name
    (``epci`` → « Intercommunalité (EPCI) »), else :data:`_OTHER_LEVELS`."""
    kinds = vocabulary().family("collectivite").kinds
    if level in kinds:
        return kinds[level].label(lang)
    fr, en = _OTHER_LEVELS.get(level, (level, level))
    return en if lang == "en" else fr


def unplaced_partners(s: Store, inside: set[str], as_of: int | None = None,
                      types: Sequence[str] | None = None) -> int:
    """How many actors tied to ``inside`` (of ``types``, active in ``as_of``) have no known
    place — neither location nor administered territory: a subsidy file's bénéficiaires until a
    SIRENE extract places them. Persons are not counted. Reads the ties' ends only."""
    if not inside:
        return 0
    ends = {e for _, a, b in s.ties(touching=inside, types=types, as_of=as_of) for e in (a, b)} - inside
    return sum(1 for a in s.get_actors(ends).values() if not (a.location or a.territory) and not a.personal_data)


def _tr(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


# ---------------------------------------------------------------------------------------------
# the store, one per thread

class StoreProvider:
    """Hands out the store to use in the current thread.

    - an SQLite file: one connection per thread (the embedded store keeps a temporary table
      per connection, so two threads must never share one; WAL lets them read concurrently);
    - ``:memory:`` or a store object given by the caller: that one store, behind a lock;
    - Neo4j: one store (its driver is thread-safe).

    Opening fails with :class:`Unavailable` (503).

    >>> p = StoreProvider(":memory:")
    >>> with p.use() as s:
    ...     s.stats()["actors"]
    0
    """

    def __init__(self, uri: str | None = None, store: Store | None = None):
        self.uri = default_store_uri(uri) if store is None else store.uri
        self._local = threading.local()
        self._opened: list[Store] = []
        self._open_lock = threading.Lock()
        self._init_lock = threading.Lock()
        self._shared = store
        self._lock: threading.RLock | None = None
        self._owned = store is None
        memory = self.uri in (":memory:", "sqlite://:memory:", "memory")
        if store is not None:
            from maillage.graph.sqlite_store import SQLiteStore

            self._lock = threading.RLock() if isinstance(store, SQLiteStore) else None
        elif memory:
            self._lock = threading.RLock()
            self._shared = self._open()
        elif self.uri.startswith(("bolt", "neo4j")):
            self._shared = None  # opened on first use, shared
        self.thread_local = self._lock is None and not self.uri.startswith(("bolt", "neo4j"))

    def _open(self) -> Store:
        try:
            s = open_store(self.uri)
        except (StoreError, sqlite3.Error, OSError) as e:
            from maillage.loaders.motifs import motif

            raise Unavailable(f"Base indisponible ({self.uri}) : {motif(str(e))}",
                              f"Store unavailable ({self.uri}): {e}") from None
        with self._open_lock:
            self._opened.append(s)
        return s

    def get(self) -> Store:
        """The store of this thread (opened on first use)."""
        if self._shared is not None:
            return self._shared
        if not self.thread_local:
            with self._init_lock:
                if self._shared is None:
                    self._shared = self._open()
            return self._shared
        s = getattr(self._local, "store", None)
        if s is None:
            s = self._local.store = self._open()
        return s

    @contextmanager
    def use(self) -> Iterator[Store]:
        """``with provider.use() as store:`` — the store, locked when it is shared."""
        s = self.get()
        if self._lock is None:
            yield s
            return
        with self._lock:
            yield s

    def close(self) -> None:
        """Close every store this provider opened (not a store the caller gave)."""
        with self._open_lock:
            opened, self._opened = self._opened, []
        for s in opened:
            try:
                s.close()
            except Exception:  # noqa: BLE001 - closing on shutdown, nothing to report
                pass
        self._local = threading.local()
        if self._owned:
            self._shared = None


# ---------------------------------------------------------------------------------------------
# labels and records

@lru_cache(maxsize=65536)
def place_label(location: str | None) -> str:
    """A readable place (:func:`maillage.analytics.run.location_label`, cached).

    >>> place_label("departement:31")
    'Haute-Garonne (31)'
    """
    from maillage.analytics.run import location_label

    return location_label(location)


def family_label(family: str, lang: str = "fr") -> str:
    try:
        return vocabulary().family(family).label(lang)
    except VocabularyError:
        return family


def actor_summary(a: ActorView, lang: str = "fr") -> dict[str, Any]:
    """An actor as an :class:`~maillage.api.models.ActorSummary` dict.

    >>> actor_summary(ActorView(id="a", name="A", family="pole", kind="ptce"))["is_pole"]
    True
    """
    return {"id": a.id, "name": a.name, "family": a.family, "family_label": family_label(a.family, lang),
            "kind": a.kind, "kind_label": kind_label(a.family, a.kind, lang), "location": a.location,
            "location_label": place_label(a.location), "placeholder": a.placeholder,
            "is_pole": a.family == "pole"}


def node_dict(a: ActorView, lang: str, metrics: dict[str, float | None] | None) -> dict[str, Any]:
    """An actor as a :class:`~maillage.api.models.NodeOut` dict."""
    return {"id": a.id, "label": a.name, "family": a.family, "family_label": family_label(a.family, lang),
            "kind": a.kind, "location": a.location, "location_label": place_label(a.location),
            "placeholder": a.placeholder, "is_pole": a.family == "pole", "metrics": metrics}


Mask = Callable[[str], str] | None
#: An actor's relation statements by the actor at their other end (itself for a loop).
Ties = dict[str, list[RelationView]]
_ID = attrgetter("id")


def edge_dict(r: RelationView, lang: str, mask: Mask = None, labels: Any = None,
              source_mask: Mask = None) -> dict[str, Any]:
    """A relation statement as an :class:`~maillage.api.models.EdgeOut` dict; ``mask`` hides
    persons' names in its free text (quote, free-text fields); ``labels``
    (:class:`~maillage.api.maps.SourceLabels`) names its source and document as a reader does
    (a file's name, a document's title), else the source id without its loader's prefix;
    ``source_mask`` (:func:`~maillage.api.exports.source_masker`, when persons are left out)
    hides their names in the source's id and label and the document's id and title, as a file
    may be named after a person (« entretien-Didier-Cognon.csv »). ``role_label`` is the role as
    a map's tooltip says it (:func:`~maillage.api.maps.role_label`), ``None`` without a
    ``role``; ``fields.role`` stays as the file wrote it. ``field_rows`` are its fields as the
    explorer's side panel and a map's tooltip show them (:func:`~maillage.api.maps.field_rows`:
    labels, not codes), persons masked.

    >>> from maillage.graph.model import Provenance
    >>> from maillage.api.exports import source_masker
    >>> r = RelationView(id="r1", type="partner", source="a", target="b",
    ...                  provenance=Provenance(source="csv:cr-jeanne-dupont.csv", quote="avec Jeanne Dupont"))
    >>> edge_dict(r, "fr", lambda t: t.replace("Jeanne Dupont", "[personne 1]"))["provenance"]["quote"]
    'avec [personne 1]'
    >>> edge_dict(r, "fr", source_mask=source_masker(["Jeanne Dupont"]))["provenance"]["source"]
    'csv:cr-[personne 1].csv'
    >>> m = r.model_copy(update={"type": "membership", "fields": {"role": "fondé par Jeanne Dupont"}})
    >>> edge_dict(m, "fr", lambda t: t.replace("Jeanne Dupont", "[personne 1]"))["role_label"]
    'membre ; la source dit « fondé par [personne 1] »'
    """
    from maillage.api.maps import field_rows, role_label
    from maillage.graph.locators import locator_text

    voc = vocabulary()
    try:
        rt = voc.relation_type(r.type)
        label, directed = rt.label(lang), rt.directed
    except VocabularyError:
        label, directed = r.type, False
    fields = r.fields
    p = r.provenance
    quote = p.quote
    if mask is not None:
        free = free_text_fields(r.type)
        if free and any(k in free for k in fields):
            fields = {k: (mask_value(v, mask) if k in free else v) for k, v in fields.items()}
        if quote:
            quote = mask(quote)
    source_label = labels.source(p.source) if labels is not None else p.source.split(":", 1)[-1]
    document_label = labels.document(p.source, p.document) if labels is not None else p.document
    source, document = p.source, p.document
    if source_mask is not None:
        source, document, source_label, document_label = (
            source_mask(t) if t else t for t in (source, document, source_label, document_label))
    return {"id": r.id, "source": r.source, "target": r.target, "type": r.type, "type_label": label,
            "directed": directed, "fields": fields, "role_label": role_label(r, lang, mask),
            "field_rows": field_rows(r, lang, mask), "start": r.start, "end": r.end,
            "provenance": {"source": source, "document": document, "locator": p.locator,
                           "locator_label": locator_text(p.locator, lang), "quote": quote,
                           "certainty": p.certainty, "loaded_at": p.loaded_at,
                           "source_label": source_label, "document_label": document_label}}


def _mask_tree(value: Any, mask: Callable[[str], str]) -> Any:
    """``value`` with each text in it, the keys of its mappings included, through ``mask``.

    >>> _mask_tree({"sources": ["a:x"], "source_sha256": {"a:x": "0f"}, "k": 1}, str.upper)
    {'SOURCES': ['A:X'], 'SOURCE_SHA256': {'A:X': '0F'}, 'K': 1}
    """
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {_mask_tree(k, mask): _mask_tree(v, mask) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_tree(v, mask) for v in value]
    return value


def _default(o: Any) -> Any:
    if isinstance(o, BaseModel):
        return o.model_dump(mode="json")
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    raise TypeError(f"cannot serialise {type(o).__name__}")


def to_json(content: Any) -> bytes:
    """``content`` as JSON bytes with orjson (pydantic models through ``model_dump``; sets and
    tuples as lists; datetimes in RFC 3339), without the generic encoder's re-validation.

    >>> to_json({"a": (1, 2), 3: None})
    b'{"a":[1,2],"3":null}'
    """
    return orjson.dumps(content, default=_default, option=orjson.OPT_NON_STR_KEYS)


def _dotless(m: dict[str, float | None] | None) -> dict[str, float | None] | None:
    """Actor metrics only: dotted names are diagnostics stored in the same run."""
    if m is None:
        return None
    return {k: v for k, v in m.items() if "." not in k}


@dataclass
class View:
    """A subgraph as served: the store's :class:`Subgraph` (``capped`` and ``notes`` set), the
    cap applied and how many actors were found before capping; ``lens`` and ``as_of``: what it
    shows, for the run whose metrics go on its nodes (:meth:`Service.run_choice`)."""

    sub: Subgraph
    limit: int
    total: int
    title: str = ""
    order: list[str] = field(default_factory=list)  # node order (a path: in order)
    lens: str = "all"
    as_of: int | None = None


# ---------------------------------------------------------------------------------------------
# small thread-safe caches

class _Cache:
    """A dict keyed by (name, params…), emptied whenever the fingerprint changes; at most
    ``size`` entries (oldest dropped). One thread computes a missing entry while the others
    asking for it wait (no stampede of identical whole-graph computations)."""

    def __init__(self, size: int = 64):
        self.size = size
        self.data: dict[Any, Any] = {}
        self.lock = threading.Lock()
        self.building: dict[Any, threading.Lock] = {}
        self.version: Any = None

    def get(self, version: Any, key: Any, make: Callable[[], Any]) -> Any:
        with self.lock:
            if version != self.version:
                self.data.clear()
                self.version = version
            if key in self.data:
                return self.data[key]
            gate = self.building.setdefault((version, key), threading.Lock())
        with gate:
            with self.lock:
                if version == self.version and key in self.data:
                    return self.data[key]
            try:
                value = make()
            except BaseException:
                with self.lock:
                    self.building.pop((version, key), None)
                raise
            with self.lock:
                if version == self.version:
                    if len(self.data) >= self.size:
                        self.data.pop(next(iter(self.data)))
                    self.data[key] = value
                self.building.pop((version, key), None)
        return value

    def clear(self) -> None:
        with self.lock:
            self.data.clear()
            self.version = None


_ABSENT = object()


class _Memo:
    """Per-key memory of immutable values tied to a store fingerprint: emptied when the
    fingerprint changes; above ``most`` (weighted) entries, the oldest go first."""

    def __init__(self, most: int):
        self.most = most
        self.data: dict[Any, Any] = {}
        self.weights: dict[Any, int] = {}
        self.size = 0
        self.fp: Any = None
        self.lock = threading.Lock()

    def _reset(self, fp: Any) -> None:
        self.data.clear()
        self.weights.clear()
        self.size = 0
        self.fp = fp

    def lookup(self, fp: Any, keys: Iterable[Any]) -> dict[Any, Any]:
        with self.lock:
            if fp != self.fp:
                self._reset(fp)
            get = self.data.get
            return {k: v for k in keys if (v := get(k, _ABSENT)) is not _ABSENT}

    def keep(self, fp: Any, items: dict[Any, Any], weight: int | None = None) -> None:
        """Keep ``items``; ``weight`` is their total (default: one each)."""
        if not items:
            return
        each = (len(items) if weight is None else weight) / len(items)
        with self.lock:
            if fp != self.fp:
                return
            for k, v in items.items():
                if k in self.data:
                    continue
                w = max(1, round(each))
                if w > self.most:
                    continue
                while self.size + w > self.most and self.data:
                    old = next(iter(self.data))
                    del self.data[old]
                    self.size -= self.weights.pop(old)
                self.data[k] = v
                self.weights[k] = w
                self.size += w

    def clear(self) -> None:
        with self.lock:
            self._reset(None)


# ---------------------------------------------------------------------------------------------
# the service


def public_counts(stats: dict[str, Any]) -> dict[str, int]:
    """Actors and relations of a store's :meth:`~maillage.graph.store.Store.stats` as the public
    views and exports hold them: natural persons left out, and their ties with them."""
    return {"actors": int(stats["actors"]) - int(stats.get("persons", 0)),
            "relations": int(stats["relations"]) - int(stats.get("person_relations", 0))}

class Service:
    """Every query the API serves, on one store (see the module docstring).

    ``store_uri``: as :func:`maillage.graph.open_store` (default ``$MAILLAGE_STORE`` or
    ``maillage.db``); ``store``: an already open store to use instead.
    """

    def __init__(self, store_uri: str | None = None, store: Store | None = None, response_cache_mb: int = 64):
        self.provider = StoreProvider(store_uri, store)
        self._responses = _Memo(max(0, response_cache_mb) * 1024 * 1024)
        self.cache = _Cache()
        self._fp: tuple[float, Any] = (0.0, None)
        self._fp_lock = threading.Lock()
        #: Set once :meth:`warm` has run (set from the start when nothing is to be warmed);
        #: ``/ready`` answers 503 until then.
        self.warmed = threading.Event()
        self.warmed.set()
        self.write_lock = threading.Lock()
        self._actors = _Memo(ACTOR_CACHE)
        self._adjacency = _Memo(ADJACENCY_CACHE)
        self._edges = _Memo(EDGE_CACHE)
        self._metrics = _Memo(ACTOR_CACHE)
        self._nodes = _Memo(ACTOR_CACHE)

    def close(self) -> None:
        self.provider.close()

    @contextmanager
    def store(self) -> Iterator[Store]:
        with self.provider.use() as s:
            yield s

    # -- freshness ---------------------------------------------------------------------------
    def fingerprint(self, force: bool = False) -> Any:
        """What the caches depend on: the store's sources (id, load time) and runs (ids);
        read again at most every :data:`FINGERPRINT_TTL` seconds (and after a load)."""
        now = time.monotonic()
        with self._fp_lock:
            at, fp = self._fp
        if not force and fp is not None and now - at < FINGERPRINT_TTL:
            return fp
        with self.store() as s:
            fp = (tuple((src.id, src.loaded_at) for src in s.sources()), tuple(r.id for r in s.runs()))
        with self._fp_lock:
            self._fp = (now, fp)
        return fp

    def invalidate(self) -> None:
        """Forget every cached result (after a write)."""
        self.cache.clear()
        for memo in (self._actors, self._adjacency, self._edges, self._metrics, self._nodes, self._responses):
            memo.clear()
        with self._fp_lock:
            self._fp = (0.0, None)

    def cached(self, key: Any, make: Callable[[], Any]) -> Any:
        return self.cache.get(self.fingerprint(), key, make)

    def source_labels(self) -> Any:
        """How a reader names each source of the store (:func:`maillage.api.maps.source_labels`:
        a file's name, the titles of a dataset's documents), for as long as the sources do not
        change."""
        from maillage.api.maps import source_labels

        def make() -> Any:
            with self.store() as s:
                return source_labels(s.sources(), self.masker())  # an author is a person too

        return self.cached(("source_labels",), make)

    def warm(self, lang: str = "fr") -> list[str]:
        """Compute ahead what a first visitor would otherwise wait for: the persons, the masker,
        the latest run's metrics, the pôles table, the overlaps, the observatory and the
        cooperation graph of the suggestions (all for today, in ``lang``). Run once at start
        in a background thread (``create_app(warm=True)``): under load the first requests
        stalled for seconds while these whole-graph analyses ran (docs/reliability.md). Returns
        what could not be warmed, with why (the store may not be ready yet: the requests
        will compute it then)."""
        failed: list[str] = []
        try:
            with gc_paused():  # whole-graph tables, few cycles: 1.20–1.65× faster paused (docs/benchmarks.md)
                self._warm_steps(lang, failed)
        finally:
            self.warmed.set()
        return failed

    def _warm_steps(self, lang: str, failed: list[str]) -> None:
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("persons", self.person_ids), ("masker", self.masker),
            ("metrics", self._warm_metrics),
            ("poles", lambda: self.poles(None, lang)), ("overlaps", lambda: self.overlaps(None)),
            ("observatory", lambda: self.observatory(None, lang)), ("suggestions", lambda: self._coop_graph(None)),
        ]
        for name, step in steps:
            try:
                step()
            except Exception as e:  # noqa: BLE001 - warming is best effort; requests report errors
                failed.append(f"{name}: {e}")

    def _warm_metrics(self) -> None:
        """The metrics of the run the default views (every lens, all years) show, and of the latest."""
        run = self.run_choice("all", None).run
        for run_id in {run and run.id, self.latest_run_id()} - {None}:
            self._run_metrics(run_id)

    def person_ids(self) -> frozenset[str]:
        """Ids of the natural persons of the store."""
        def make() -> frozenset[str]:
            with self.store() as s:
                return frozenset(s._person_ids())  # noqa: SLF001 - part of the Store base class
        return self.cached(("persons",), make)

    def person_names(self) -> list[str]:
        """The persons' names and aliases (:func:`maillage.analytics.run.person_names`)."""
        def make() -> list[str]:
            from maillage.analytics.run import person_names

            with self.store() as s:
                return person_names(s)
        return self.cached(("person_names",), make)

    def person_groups(self) -> list[tuple[str, ...]]:
        """The persons, each as its names, in the order they are numbered when masked
        (:func:`maillage.analytics.run.person_groups`)."""
        def make() -> list[tuple[str, ...]]:
            from maillage.analytics.run import person_groups

            with self.store() as s:
                return person_groups(s)
        return self.cached(("person_groups",), make)

    def masker(self) -> Callable[[str], str] | None:
        """A function masking the persons' names in free text, « [personne 1] » (None when the
        store has none)."""
        def make():
            from maillage.analytics.run import person_masker

            names = self.person_groups()
            return person_masker(names) if names else None
        return self.cached(("masker",), make)

    def source_mask(self) -> Callable[[str], str]:
        """A function masking the persons' names in sources' ids and file names and documents'
        titles, as files write them (:func:`~maillage.api.exports.source_masker`: « entretien-
        Didier-Cognon.csv » → « entretien-[personne 1].csv »), as the exports do; the identity
        when the store has no person. Each text's masked form is kept (until the store changes):
        the same few run notes and source names are masked on every request, and a regular
        expression over every name's forms costs tens of µs a text."""
        def make():
            from maillage.api.exports import source_masker

            return lru_cache(maxsize=4096)(source_masker(self.person_groups()))
        return self.cached(("source_mask",), make)

    def get_actors(self, ids: Iterable[str], store: Store | None = None) -> dict[str, ActorView]:
        """``store.get_actors(ids)`` through a cache of parsed actors (at most
        :data:`ACTOR_CACHE`, emptied when the store changes)."""
        ids = list(ids)
        fp = self.fingerprint()
        out = self._actors.lookup(fp, ids)
        missing = [i for i in ids if i not in out]
        if missing:
            if store is None:
                with self.store() as s:
                    got = s.get_actors(missing)
            else:
                got = store.get_actors(missing)
            out.update(got)
            self._actors.keep(fp, got)
        return out

    def adjacency(self, ids: Iterable[str], store: Store, cached_only: bool = False) -> dict[str, Ties]:
        """Every relation statement touching each of ``ids`` (all types, all years), indexed by
        the actor at its other end (:data:`Ties`), through a cache of at most
        :data:`ADJACENCY_CACHE` statements emptied when the store changes: one
        ``store.relations(touching=…)`` for the ids not cached yet (none with ``cached_only``,
        which returns only the cached ids)."""
        ids = set(ids)
        fp = self.fingerprint()
        out = self._adjacency.lookup(fp, ids)
        missing = ids - out.keys()
        if not missing or cached_only:
            return out
        got: dict[str, Ties] = {i: {} for i in missing}
        count: Counter[str] = Counter()
        for r in store.relations(touching=missing):
            if r.source in got:
                got[r.source].setdefault(r.target, []).append(r)
                count[r.source] += 1
            if r.target in got and r.target != r.source:
                got[r.target].setdefault(r.source, []).append(r)
                count[r.target] += 1
        out.update(got)
        for k, v in got.items():
            self._adjacency.keep(fp, {k: v}, weight=max(1, count[k]))
        return out

    @staticmethod
    def _ties_among(ring: set[str], adjacency: dict[str, Ties],
                    keep: Callable[[RelationView], bool] | None) -> list[RelationView]:
        """The statements between two actors of ``ring`` (those ``keep`` accepts; all when it
        is None), each once, from their cached adjacency: for each actor, its neighbours among
        the actors of the ring not visited yet, by one intersection of its adjacency's keys
        with them (CPython walks the smaller side: 1.4 µs for a hub of 20,000 neighbours and a
        ring of 40, against 5.8 µs for ``ring.intersection(adjacency)``), so a ring next to a
        région or a national network costs O(|ring|) per hub rather than O(its degree); a
        statement from an actor to itself is taken with that actor."""
        out: list[RelationView] = []
        rest = set(ring)
        for i in ring:
            rest.discard(i)
            ties = adjacency[i]
            if i in ties:
                out.extend(ties[i])
            for j in ties.keys() & rest:
                out.extend(ties[j])
        return out if keep is None else [r for r in out if keep(r)]

    def response_body(self, key: Any) -> tuple[bytes, dict[str, str]] | None:
        """A serialised response and its headers kept by :meth:`keep_response` for ``key``, if
        the store has not changed since (None otherwise, or when the response cache is off)."""
        if not self._responses.most:
            return None
        return self._responses.lookup(self.fingerprint(), [key]).get(key)

    def keep_response(self, key: Any, body: bytes, headers: dict[str, str] | None = None,
                      ) -> tuple[bytes, dict[str, str]]:
        """Keep a serialised response and its headers (one at most an eighth of the cache);
        returns them."""
        kept = (body, headers or {})
        if self._responses.most and len(body) <= self._responses.most // 8:
            self._responses.keep(self.fingerprint(), {key: kept}, weight=len(body))
        return kept

    def edges_json(self, rels: Sequence[RelationView], lang: str, include_persons: bool) -> list[bytes]:
        """Each relation as the JSON of its :func:`edge_dict` (persons masked unless
        ``include_persons``), through a cache of at most :data:`EDGE_CACHE` edges emptied when
        the store changes."""
        fp = self.fingerprint()
        masked = not include_persons
        keys = [(r.id, lang, masked) for r in rels]
        known = self._edges.lookup(fp, keys)
        if len(known) < len(keys):
            mask = self.masker() if masked else None
            smask = self.source_mask() if masked else None
            labels = self.source_labels()
            new = {k: to_json(edge_dict(r, lang, mask, labels, smask)) for k, r in zip(keys, rels) if k not in known}
            known.update(new)
            self._edges.keep(fp, new)
        return [known[k] for k in keys]

    def nodes_json(self, actors: Sequence[ActorView], lang: str, run_id: str | None) -> list[bytes]:
        """Each actor as the JSON of its :func:`node_dict` with its metrics of run ``run_id``
        (None: none), through a cache of at most :data:`ACTOR_CACHE` nodes emptied when the
        store changes (its runs included)."""
        fp = self.fingerprint()
        keys = [(a.id, lang, run_id) for a in actors]
        known = self._nodes.lookup(fp, keys)
        if len(known) < len(keys):
            todo = [(k, a) for k, a in zip(keys, actors) if k not in known]
            metrics = self.metrics_for([a.id for _, a in todo], run_id)[1] if run_id else {}
            new = {k: to_json(node_dict(a, lang, metrics.get(a.id))) for k, a in todo}
            known.update(new)
            self._nodes.keep(fp, new)
        return [known[k] for k in keys]

    def run_choice(self, lens: str | None, as_of: int | None, subject: str = "view") -> RunChoice:
        """The run whose metrics go on a view of ``lens`` × ``as_of`` and what changed after it
        (:func:`~maillage.api.export_view.choose_run`), cached until the store changes: one
        read of the runs, sources and decisions per view and fingerprint, none per node.
        ``subject``: what its notes call the view (a map, an API view)."""
        def make() -> RunChoice:
            with self.store() as s:
                return choose_run(s, lens, as_of)
        return replace(self.cached(("run_choice", lens, as_of), make), subject=subject)

    def latest_run_id(self) -> str | None:
        """The latest analysis run (runs are listed oldest first), or None."""
        runs = self.fingerprint()[1]
        return runs[-1] if runs else None

    def _run_metrics(self, run_id: str) -> dict[str, dict[str, float | None]] | None:
        """All actor metrics of a small run, cached (None for a large run: read per actor)."""
        def make():
            with self.store() as s:
                run = next((r for r in s.runs() if r.id == run_id), None)
                if run is None or int(run.params.get("nodes") or 0) > PRELOAD_METRICS:
                    return None
                return {k: _dotless(m) for k, m in s.metrics(run_id).items()}
        return self.cached(("metrics", run_id), make)

    def metrics_for(self, ids: Iterable[str], run_id: str | None = None,
                    ) -> tuple[str | None, dict[str, dict[str, float | None]]]:
        """``(run id, {actor: actor metrics})`` of run ``run_id`` (default: the latest) for ``ids``."""
        run_id = run_id or self.latest_run_id()
        if run_id is None:
            return None, {}
        ids = list(ids)
        allm = self._run_metrics(run_id)
        if allm is not None:
            return run_id, {i: allm[i] for i in ids if i in allm}
        # a large run: the actors not cached yet in one read, kept (those without metrics too)
        fp = self.fingerprint()
        known = self._metrics.lookup(fp, ids)
        missing = [i for i in ids if i not in known]
        if missing:
            with self.store() as s:
                got = s.metrics(run_id, actor_ids=missing)
            new = {i: _dotless(got[i]) if i in got else None for i in missing}
            known.update(new)
            self._metrics.keep(fp, new)
        return run_id, {i: known[i] for i in ids if known[i]}

    # -- checks ------------------------------------------------------------------------------
    @staticmethod
    def check_types(types: Sequence[str] | None, lens: str | None) -> list[str] | None:
        """The relation types a query uses: ``types`` (checked against the vocabulary), else
        the ``lens``'s, else every type (None). Both given: ``types`` must belong to the lens."""
        voc = vocabulary()
        lens_types = None
        if lens is not None:
            try:
                lens_types = voc.types_in_lens(lens)
            except VocabularyError:
                refuse_unknown([lens], list(voc.lenses()), ("Lentille inconnue", "Unknown lens"),
                               "lentilles possibles")
        if types:
            refuse_unknown(types, set(voc.relation_types), ("Type(s) de relation inconnu(s)", "Unknown relation type(s)"),
                           "types possibles")
            if lens_types is not None:
                outside = [t for t in types if t not in lens_types]
                if outside:
                    raise BadRequest(
                        f"Type(s) {', '.join(outside)} hors de la lentille « {lens_word(lens)} » : donnez l'un ou l'autre, "
                        "ou des types de la lentille.",
                        f"Type(s) {', '.join(outside)} not in lens '{lens}': give one or the other, "
                        "or types of the lens.")
            return list(dict.fromkeys(types))
        return lens_types

    @staticmethod
    def check_territory(tid: str) -> tuple[str, str]:
        """``(name, level)`` of a territory id; 400 for a malformed id, 404 for an id the
        shipped geography does not know."""
        if not _TERRITORY_ID.fullmatch(tid or ""):
            raise BadRequest(f"Identifiant de territoire invalide « {tid} » : attendu niveau:code "
                             "(commune:31555, epci:243100518, departement:31, region:76).",
                             f"Invalid territory id '{tid}': expected level:code "
                             "(commune:31555, epci:243100518, departement:31, region:76).")
        from maillage.geography import load_geography

        t = load_geography().get(tid)
        if t is None:
            raise NotFoundError(f"Territoire inconnu « {tid} ».", f"Unknown territory '{tid}'.")
        return t.name, t.level

    @staticmethod
    def territories(text: str, limit: int = 10, lang: str = "fr") -> list[dict[str, Any]]:
        """The territories a search box offers for ``text`` (an id, a code, a postal code, a
        name or the start of one: :func:`maillage.queries.lookup.territory_candidates`), each
        with its name, level and the label maps and reports give it. Nothing found is ``[]``."""
        from maillage.analytics.run import location_label
        from maillage.geography import load_geography
        from maillage.queries.lookup import territory_candidates

        geo = load_geography()
        out = []
        for tid in territory_candidates(text, limit):
            t = geo.get(tid)
            out.append({"id": t.id, "name": t.name, "level": t.level, "level_label": level_label(t.level, lang),
                        "label": location_label(t.id), "population": t.population})
        return out

    def actor(self, actor_id: str, include_persons: bool = False, lang: str = "fr") -> ActorView:
        """The actor ``actor_id`` (404 if unknown, or a person and persons are not allowed)."""
        with self.store() as s:
            a = s.get_actor(actor_id)
        if a is None or (a.personal_data and not include_persons):
            raise NotFoundError(f"Aucun acteur « {actor_id} ».", f"No actor '{actor_id}'.")
        return a

    def pole(self, pole_id: str) -> ActorView:
        """The pôle ``pole_id`` (404 if unknown, 400 if the actor is not a pôle)."""
        a = self.actor(pole_id)
        if a.family != "pole":
            raise BadRequest(f"« {a.name} » ({pole_id}) n'est pas un pôle mais un acteur de la famille "
                             f"« {family_label(a.family)} ».",
                             f"'{a.name}' ({pole_id}) is not a pôle but a {family_label(a.family, 'en')}.")
        return a

    # -- health --------------------------------------------------------------------------------
    def health(self) -> dict[str, str]:
        """Liveness: the process answers (no store access)."""
        return {"status": "ok"}

    def ready(self) -> dict[str, Any]:
        """Readiness: the store answers and the start-up warming (:meth:`warm`) is over;
        counts of actors and relations as the public views and exports hold them (natural
        persons and their ties left out), and of runs."""
        if not self.warmed.is_set():
            raise Unavailable("Préparation en cours : analyses de tout le graphe, quelques secondes.",
                              "Warming up: whole-graph analyses, a few seconds.")
        try:
            with self.store() as s:
                st = s.stats()
        except ApiError:
            raise
        except (StoreError, sqlite3.Error, OSError) as e:
            raise Unavailable(f"Base indisponible : {e}", f"Store unavailable: {e}") from None
        return {"status": "ready", **public_counts(st), "runs": int(st["runs"])}

    # -- actors --------------------------------------------------------------------------------
    def search_actors(self, q: str = "", family: str | None = None, kind: str | None = None,
                      territory: str | None = None, page: int = 1, size: int = 20,
                      include_persons: bool = False, lang: str = "fr") -> dict[str, Any]:
        """Actors whose name or alias contains ``q`` (accent- and case-insensitive) or whose
        identifier (SIREN, SIRET, RNA) is ``q``, filtered by family, kind and territory (rollup),
        by name; one page of :class:`~maillage.api.models.ActorPage`."""
        voc = vocabulary()
        if family is not None:
            refuse_unknown([family], list(voc.families), ("Famille inconnue", "Unknown family"),
                           "familles possibles")
        if kind is not None:
            refuse_unknown([kind], [k for f in voc.families.values() for k in f.kinds],
                           ("Type d'acteur inconnu", "Unknown actor kind"), "types d'acteur possibles")
        if territory is not None:
            self.check_territory(territory)
        if not 1 <= size <= MAX_PAGE or page < 1:
            raise BadRequest(f"Page invalide (page ≥ 1, 1 ≤ size ≤ {MAX_PAGE}).",
                             f"Invalid page (page ≥ 1, 1 ≤ size ≤ {MAX_PAGE}).")
        q = (q or "").strip()

        def make() -> tuple[list[str], bool]:
            ids: list[str] = []
            with self.store() as s:
                for scheme, value in _identifier_queries(q):
                    ids += s.find_by_identifier(scheme, value)
                found = s.search(q, family=family, territory=territory, include_persons=include_persons,
                                 limit=SEARCH_CAP + 1)
                by_id = s.get_actors(ids) if ids else {}
            in_territory = {a.id for a in found}
            actors = [by_id[i] for i in dict.fromkeys(ids) if i in by_id] + found
            seen: set[str] = set()
            out = []
            for a in actors:
                if a.id in seen or (a.personal_data and not include_persons):
                    continue
                if family is not None and a.family != family:
                    continue
                if kind is not None and a.kind != kind:
                    continue
                if territory is not None and a.id not in in_territory:
                    continue
                seen.add(a.id)
                out.append(a.id)
            return out, len(found) > SEARCH_CAP

        ids, capped = self.cached(("search", q, family, kind, territory, include_persons), make)
        start = (page - 1) * size
        with self.store() as s:
            got = s.get_actors(ids[start:start + size])
        items = [actor_summary(got[i], lang) for i in ids[start:start + size] if i in got]
        return {"items": items, "total": len(ids), "page": page, "size": size, "capped": capped}

    def actor_detail(self, actor_id: str, include_persons: bool = False, lang: str = "fr") -> dict[str, Any]:
        """One actor with its labels, its values in the run of what the record shows (every
        relation, all years: :meth:`run_choice` of lens "all") and every relation touching it
        (persons' ties hidden), with the actors at the other end."""
        a = self.actor(actor_id, include_persons)
        choice = self.run_choice("all", None)
        run = choice.run
        run_id = run.id if run else None
        with self.store() as s:
            metrics = _dotless(s.metrics(run_id, actor_id=actor_id).get(actor_id)) if run_id else None
            rels = s.relations(touching=[actor_id])
            others = s.get_actors({e for r in rels for e in (r.source, r.target)} - {actor_id})
        if not include_persons:
            others = {k: v for k, v in others.items() if not v.personal_data}
        rels = [r for r in rels if (r.source == actor_id or r.source in others)
                and (r.target == actor_id or r.target in others)]
        mask = None if include_persons else self.masker()
        out = a.model_dump(mode="json")
        out.update(family_label=family_label(a.family, lang), kind_label=kind_label(a.family, a.kind, lang),
                   location_label=place_label(a.location), territory_label=place_label(a.territory),
                   is_pole=a.family == "pole")
        neighbours = sorted(others.values(), key=lambda o: (*alpha_key(o.name), o.id))
        labels = self.source_labels()
        smask = None if include_persons else self.source_mask()
        source_labels = {sid: labels.source(sid) for sid in a.sources}
        if smask is not None:  # a source's file may be named after a person
            out["sources"] = [smask(sid) for sid in a.sources]
            source_labels = {smask(sid): smask(label) for sid, label in source_labels.items()}
        notes = choice.sentences(lang)
        if smask is not None:  # a note names the sources loaded since the run
            notes = [smask(n) for n in notes]
        return {"actor": out, "metrics": metrics if run_id else None, "run_id": run_id,
                "run_label": run_named(run, lang, plain=True) if run else None, "run_notes": notes,
                "source_labels": source_labels,
                "relations": [edge_dict(r, lang, mask, labels, smask) for r in rels],
                "neighbours": [actor_summary(o, lang) for o in neighbours]}

    # -- subgraphs -----------------------------------------------------------------------------
    def _expand(self, center: str, depth: int, types: list[str] | None, as_of: int | None,
                include_persons: bool, limit: int, lang: str) -> View:
        """Breadth-first from ``center`` (Moore, E. F. (1959). The shortest path through a
        maze. *Proc. Int. Symp. on the Theory of Switching*, 285–292): each ring by decreasing
        number of ties to the ring before, then by id; the first ``limit`` actors in that
        order are kept. The relations among them are those read while expanding, plus those
        among the last ring (the only ones not read yet).

        Rings are read through the adjacency cache (and kept there) while it is less than half
        full; past that (a nation graph), a ring beyond the first whose adjacency is not all
        cached is read as bare ``store.ties`` (ids and ends, nothing parsed), and the relations
        among the kept actors are then read once at the end."""
        persons = frozenset() if include_persons else self.person_ids()
        left: set[str] = set()  # persons tied to the rings, left out: counted for the maps
        seen = {center}
        order = [center]
        frontier = {center}
        stopped = False
        light = False  # some ring was read as bare ties: read the relations at the end
        fetched: dict[str, RelationView] = {}
        last: set[str] = set()
        wanted = None if types is None else frozenset(types)

        def keep(r: RelationView) -> bool:
            return (wanted is None or r.type in wanted) and (as_of is None or r.active_in(as_of))
        every = wanted is None and as_of is None  # keep(r) is always true: skip it

        with self.store() as s:
            for d in range(depth):
                roomy = self._adjacency.size < ADJACENCY_CACHE // 2
                adj = self.adjacency(frontier, s, cached_only=d > 0 and not roomy)
                score: Counter[str] = Counter()
                if len(adj) == len(frontier):
                    for i in frontier:
                        for other, ties in adj[i].items():
                            live = ties if every else [r for r in ties if keep(r)]
                            if not live:
                                continue
                            for r in live:
                                fetched[r.id] = r
                            if other in persons:
                                left.add(other)
                            elif other not in seen:
                                score[other] += len(live)
                else:
                    light = True
                    for _, a, b in s.ties(frontier, types, as_of):
                        for u, v in ((a, b), (b, a)):
                            if u in frontier and v in persons:
                                left.add(v)
                            elif u in frontier and v not in seen:
                                score[v] += 1
                ring = sorted(score, key=lambda x: (-score[x], x))
                seen.update(ring)
                order += ring
                frontier = last = set(ring)
                if not frontier:
                    break
                if len(seen) > limit and d < depth - 1:
                    stopped = True
                    break
            kept = order[:limit]
            actors = self.get_actors(kept, s)
            if center not in actors or (actors[center].personal_data and not include_persons):
                raise NotFoundError(f"Aucun acteur « {center} ».", f"No actor '{center}'.")
            if not include_persons:
                actors = {k: v for k, v in actors.items() if not v.personal_data}
            tail = last & set(actors)
            among: list[RelationView] = []
            if light:
                fetched = {r.id: r for r in s.relations(among=set(actors), types=types, as_of=as_of)}
            elif len(tail) > 1:
                # read (and keep) the last ring's adjacency while the cache is less than half
                # full, else use what is cached and ask the store only for the ties among the
                # ring when some are missing: reading a ring's whole adjacency to find the few
                # ties among it costs a hub's thousands of statements (nation: 840 statements
                # parsed per depth-1 view, 38 ms, once the cache had filled)
                roomy = self._adjacency.size < ADJACENCY_CACHE // 2
                cached = self.adjacency(tail, s, cached_only=not roomy)
                if len(cached) == len(tail):
                    among = self._ties_among(tail, cached, None if every else keep)
                else:
                    among = s.relations(among=tail, types=types, as_of=as_of)
        # the ties among the last ring were not read while expanding (its adjacency was not):
        # they join the others as they are, each once
        rels = [r for r in fetched.values() if r.source in actors and r.target in actors]
        rels += among
        rels.sort(key=_ID)
        sub = Subgraph(actors={k: actors[k] for k in kept if k in actors}, relations=rels,
                       persons_left_out=len(left))
        total = len(order)
        if total > limit:
            sub.capped = True
            more = "au moins " if stopped else ""
            sub.notes.append(_tr(lang, f"Sous-graphe limité à {limit} acteurs sur {more}{total} trouvés : "
                                       "les plus proches et les plus liés sont gardés.",
                                 f"Subgraph capped at {limit} actors of {'at least ' if stopped else ''}{total} "
                                 "found: the closest and most tied are kept."))
        return View(sub=sub, limit=limit, total=total, order=[k for k in kept if k in actors])

    def small_neighbourhood(self, actor_id: str) -> bool:
        """Whether ``actor_id``'s depth-1 neighbourhood is known to be cheap: its ties are
        cached and number at most :data:`SMALL_NEIGHBOURHOOD_TIES`, and the store gives each
        thread its own connection (so the caller never waits on another thread's lock): then
        it is computed on the event loop, as the hop to a worker thread and back would cost
        about as much as the work."""
        if not self.provider.thread_local:
            return False
        ties = self._adjacency.lookup(self.fingerprint(), {actor_id}).get(actor_id)
        return (ties is not None and len(ties) <= SMALL_NEIGHBOURHOOD_TIES
                and sum(map(len, ties.values())) <= SMALL_NEIGHBOURHOOD_TIES)

    def neighbourhood(self, actor_id: str, depth: int = 1, types: Sequence[str] | None = None,
                      lens: str | None = None, as_of: int | None = None, limit: int = DEFAULT_LIMIT,
                      include_persons: bool = False, lang: str = "fr") -> View:
        """The actor, everyone within ``depth`` ties of it (relation ``types`` or a ``lens``;
        active in ``as_of``), and the relations among them, capped at ``limit`` actors."""
        if not 1 <= depth <= MAX_DEPTH:
            raise BadRequest(f"Profondeur {depth} hors de 1 à {MAX_DEPTH}.", f"Depth {depth} not in 1..{MAX_DEPTH}.")
        use = self.check_types(types, lens)
        limit = _check_limit(limit, MAX_EXPORT)
        v = self._expand(actor_id, depth, use, as_of, include_persons, limit, lang)
        v.title = _tr(lang, f"Voisinage de {v.sub.actors[actor_id].name}", f"Neighbourhood of {v.sub.actors[actor_id].name}")
        v.lens, v.as_of = lens or "all", as_of  # types without a lens: no run has them, "all" is the nearest
        return v

    def pole_subgraph(self, pole_id: str, as_of: int | None = None, limit: int = DEFAULT_LIMIT,
                      include_persons: bool = False, lang: str = "fr", lens: str | None = None) -> View:
        """A pôle, every actor tied to it (members, structures porteuses, funders, partners…)
        and the relations among them (:meth:`maillage.graph.store.Store.pole_subgraph`), through
        ``lens`` as its export is (:func:`~maillage.analytics.views.view_types`: the actors tied
        to it through the lens's types)."""
        limit = _check_limit(limit, MAX_EXPORT)
        self.check_types(None, lens)  # an unknown lens: 400, naming the lenses
        p = self.pole(pole_id)
        v = self._expand(pole_id, 1, view_types(lens), as_of, include_persons, limit, lang)
        v.title = _tr(lang, f"Pôle {p.name}", f"Pôle {p.name}")
        v.lens, v.as_of = lens or "all", as_of
        return v

    def territory_subgraph(self, tid: str, as_of: int | None = None, limit: int = DEFAULT_LIMIT,
                           include_persons: bool = False, lang: str = "fr", lens: str | None = None) -> View:
        """Actors located in a territory (rollup) and the relations among them, plus the pôles
        with no known place tied to them (:func:`territory_view`), through ``lens`` as its
        export is (:func:`~maillage.analytics.views.view_types`); above ``limit`` actors, the
        most tied ones (degree inside the territory) are kept."""
        limit = _check_limit(limit, MAX_EXPORT)
        self.check_types(None, lens)
        types = view_types(lens)
        name, _ = self.check_territory(tid)
        with self.store() as s:
            sub, pole_notes = territory_view(s, tid, as_of, types, include_persons, lang)
            unplaced = unplaced_partners(s, set(sub.actors), as_of, types)
        total = len(sub.actors)
        if total > limit:
            deg: Counter[str] = Counter()
            for r in sub.relations:
                if r.source != r.target:
                    deg[r.source] += 1
                    deg[r.target] += 1
            keep = sorted(sub.actors, key=lambda a: (-deg[a], a))[:limit]
            keep_set = set(keep)
            sub = Subgraph(actors={k: sub.actors[k] for k in keep},
                           relations=[r for r in sub.relations if r.source in keep_set and r.target in keep_set],
                           capped=True)
            sub.notes.append(_tr(lang, f"Sous-graphe limité à {limit} acteurs sur {total} : les plus liés "
                                       "dans le territoire sont gardés.",
                                 f"Subgraph capped at {limit} actors of {total}: the most tied inside the "
                                 "territory are kept."))
        elif total == 0:
            sub.notes.append(_tr(lang, "Aucun acteur situé dans ce territoire.", "No actor located in this territory."))
        sub.notes.extend(pole_notes)
        if unplaced == 1:
            sub.notes.append(_tr(
                lang, "1 acteur lié à ceux du territoire n'a pas de lieu connu et n'est pas sur la carte : une source "
                      "qui donne sa commune le situerait (un fichier de subventions ne donne pas l'adresse des "
                      "bénéficiaires ; un extrait SIRENE qui le contient, si).",
                "1 actor tied to this territory's actors has no known place and is not on the map: a source giving "
                "its commune would place it (a subsidy file gives no address for its beneficiaries; a SIRENE "
                "extract holding it does)."))
        elif unplaced:
            sub.notes.append(_tr(
                lang, f"{unplaced} acteurs liés à ceux du territoire n'ont pas de lieu connu et ne sont pas sur la "
                      "carte : une source qui donne leur commune les situerait (un fichier de subventions ne donne pas "
                      "l'adresse des bénéficiaires ; un extrait SIRENE qui les contient, si).",
                f"{unplaced} actors tied to this territory's actors have no known place and are not on the map: a "
                "source giving their commune would place them (a subsidy file gives no address for its "
                "beneficiaries; a SIRENE extract holding them does)."))
        return View(sub=sub, limit=limit, total=total, title=_tr(lang, f"Territoire : {name}", f"Territory: {name}"),
                    lens=lens or "all", as_of=as_of)

    def whole_graph(self, include_persons: bool = False, lang: str = "fr", limit: int = MAX_EXPORT) -> View:
        """Every actor and relation (for exports), capped at ``limit`` actors."""
        with self.store() as s:
            sub = s.projection(include_persons=include_persons)
        total = len(sub.actors)
        if total > limit:
            keep = set(sorted(sub.actors)[:limit])
            sub = Subgraph(actors={k: v for k, v in sub.actors.items() if k in keep},
                           relations=[r for r in sub.relations if r.source in keep and r.target in keep],
                           capped=True, notes=[_tr(lang, f"Graphe limité à {limit} acteurs sur {total}.",
                                                   f"Graph capped at {limit} actors of {total}.")])
        return View(sub=sub, limit=limit, total=total, title=_tr(lang, "Graphe complet", "Whole graph"))

    def check_scope(self, pole: str | None, territory: str | None, actor: str | None,
                    include_persons: bool = False) -> None:
        """Each scope given names something the public views hold: 404 for an unknown pôle,
        territory or actor (a natural person unless ``include_persons``)."""
        if pole is not None:
            self.pole(pole)
        if territory is not None:
            self.check_territory(territory)
        if actor is not None:
            self.actor(actor, include_persons)

    def export_view(self, pole: str | None = None, territory: str | None = None, actor: str | None = None,
                    depth: int | None = None, lens: str | None = None, as_of: int | None = None,
                    include_persons: bool = False) -> tuple[Subgraph, RunChoice]:
        """What ``GET /api/export`` writes: the view (:func:`~maillage.api.export_view.export_subgraph`,
        as ``maillage export``) capped at :data:`MAX_EXPORT` actors, and the run whose metrics go
        on its nodes (:func:`~maillage.api.export_view.choose_run`). Checked as the other views:
        400 for an unknown lens or two scopes, 404 for an unknown (or hidden) actor or territory."""
        from maillage.api.export_view import choose_run, export_subgraph

        self.check_export(pole, territory, actor, depth, lens, include_persons)
        with self.store() as s:
            sub = export_subgraph(s, pole, territory, actor, depth or 1, lens or "all", as_of, include_persons,
                                  MAX_EXPORT)
            return sub, choose_run(s, lens or "all", as_of)

    def check_export(self, pole: str | None, territory: str | None, actor: str | None, depth: int | None,
                     lens: str | None, include_persons: bool) -> None:
        """An export's arguments: 400 for two scopes or a depth given without an actor (the rule
        of :func:`~maillage.api.export_view.scope_refusal`, as ``maillage export``), an unknown
        lens or a depth out of range, 404 for an unknown (or hidden) pôle, territory or actor."""
        from maillage.api.export_view import scope_refusal

        refused = scope_refusal(pole, territory, actor, depth)
        if refused:
            raise BadRequest(f"{refused[1]}.", f"{refused[2]}.")
        self.check_types(None, lens)
        if depth is not None and not 1 <= depth <= MAX_DEPTH:
            raise BadRequest(f"Profondeur {depth} hors de 1 à {MAX_DEPTH}.", f"Depth {depth} not in 1..{MAX_DEPTH}.")
        self.check_scope(pole, territory, actor, include_persons)

    def lens_export_view(self, pole: str | None = None, territory: str | None = None, actor: str | None = None,
                         depth: int | None = None, lens: str | None = None, as_of: int | None = None,
                         include_persons: bool = False) -> tuple[Any, RunChoice]:
        """What ``GET /api/export/{fmt}?projection=true`` writes: the lens projection
        (:func:`~maillage.api.lens_export.lens_view`, as ``maillage export --projection``; lens
        ``cooperation`` by default, as an analysis) capped at :data:`MAX_EXPORT` actors, and the
        run of that lens and year. Checked as :meth:`export_view`."""
        from maillage.api.export_view import choose_run
        from maillage.api.lens_export import lens_view

        lens = lens or "cooperation"
        self.check_export(pole, territory, actor, depth, lens, include_persons)
        with self.store() as s:
            choice = choose_run(s, lens, as_of)  # its measures' ties: what it counted (--certainty, --refused)
            return lens_view(s, pole, territory, actor, depth or 1, lens, as_of, include_persons, MAX_EXPORT,
                             **choice.counted), choice

    def path(self, source: str, target: str, lens: str = "cooperation", as_of: int | None = None,
             max_hops: int = 6, include_persons: bool = False, lang: str = "fr") -> View:
        """The shortest path between two actors through the direct ties of a lens (fewest
        ties), by bidirectional breadth-first search (Pohl, I. (1971). Bi-directional search.
        *Machine Intelligence* 6, 127–140); among equally short paths the one through the
        smallest ids. The view's ``order`` is the path; its relations are every statement
        between two consecutive actors. 404 when no path of at most ``max_hops`` ties exists."""
        if not 1 <= max_hops <= MAX_HOPS:
            raise BadRequest(f"max_hops {max_hops} hors de 1 à {MAX_HOPS}.", f"max_hops {max_hops} not in 1..{MAX_HOPS}.")
        types = self.check_types(None, lens)
        a, b = self.actor(source, include_persons), self.actor(target, include_persons)
        persons = frozenset() if include_persons else self.person_ids()
        with self.store() as s:
            nodes = shortest_path(s, source, target, types, as_of, persons, max_hops)
            if nodes is None:
                raise NotFoundError(
                    f"Aucun chemin de {max_hops} liens au plus entre « {a.name} » et « {b.name} » "
                    f"dans la lentille « {lens_word(lens)} »" + (f" en {as_of}" if as_of else "") + ".",
                    f"No path of at most {max_hops} ties between '{a.name}' and '{b.name}' in lens '{lens}'"
                    + (f" in {as_of}" if as_of else "") + ".")
            actors = s.get_actors(nodes)
            rels = s.relations(among=set(nodes), types=types, as_of=as_of) if len(nodes) > 1 else []
        pos = {n: i for i, n in enumerate(nodes)}
        steps = [r for r in rels if abs(pos[r.source] - pos[r.target]) == 1]
        steps.sort(key=lambda r: (min(pos[r.source], pos[r.target]), r.id))
        sub = Subgraph(actors={n: actors[n] for n in nodes}, relations=steps)
        from maillage.writing import counted

        k = len(nodes) - 1
        sub.notes.append(_tr(lang, f"Chemin de {counted(k, 'lien', 'liens')}.",
                             f"Path of {counted(k, 'tie', 'ties', 'en')}."))
        return View(sub=sub, limit=len(nodes), total=len(nodes), order=nodes,
                    title=_tr(lang, f"Chemin de {a.name} à {b.name}", f"Path from {a.name} to {b.name}"),
                    lens=lens, as_of=as_of)

    def subgraph_json(self, view: View, lang: str = "fr", include_persons: bool = False,
                      marks: dict[str, dict[str, str]] | None = None) -> bytes:
        """A :class:`View` as the JSON of a :class:`~maillage.api.models.SubgraphOut` (nodes in
        the view's order, then by id; metrics of the run of the view's lens and year,
        :meth:`run_choice`, whose notes follow the view's), joined from each node's and
        edge's cached JSON: a first request for a view costs its search and a join, not the
        serialisation of every node and edge again (``to_json`` of the whole dict took as long
        as the search itself on the region graph). ``marks`` (a territory's view:
        :meth:`territory_marks`) goes in as is."""
        sub = view.sub
        ids = view.order or sorted(sub.actors)
        choice = self.run_choice(view.lens, view.as_of)
        nodes = self.nodes_json([sub.actors[i] for i in ids if i in sub.actors], lang, choice.run and choice.run.id)
        edges = self.edges_json(sub.relations, lang, include_persons)
        notes = [*sub.notes, *choice.sentences(lang)]
        if not include_persons:  # a note names the sources loaded since the run: a file may be named after a person
            smask = self.source_mask()
            notes = [smask(n) for n in notes]
        rest = to_json({"capped": sub.capped, "limit": view.limit, "total_nodes": view.total,
                        "notes": notes,
                        **({"marks": marks} if marks is not None else {})})
        return b"".join((b'{"nodes":[', b",".join(nodes), b'],"edges":[', b",".join(edges), b"],", rest[1:]))

    # -- pôles ---------------------------------------------------------------------------------
    def poles(self, as_of: int | None = None, lang: str = "fr") -> list[dict[str, Any]]:
        """Every pôle (:func:`maillage.analytics.run.pole_table`) as
        :class:`~maillage.api.models.PoleSummary` dicts, by name."""
        from maillage.analytics.run import pole_table

        def make():
            with self.store() as s:
                rows = pole_table(s, as_of=as_of, lang=lang)
                actors = s.get_actors([r["id"] for r in rows])
            out = []
            for r in rows:
                a = actors.get(r["id"])
                if a is None:
                    continue
                out.append({**actor_summary(a, lang), "members": r["members_listed"],
                            "declared_members": r["declared_members"], "phase": r["phase"],
                            "phase_label": r["phase_label"], "founding_year": r["founding_year"],
                            "carriers": [{"id": c["id"], "name": c["name"]} for c in r["carriers"]],
                            "collectivites": len(r["collectivites"]), "sources": r["sources"]})
            return out
        return self.cached(("poles", as_of, lang), make)

    def pole_diagnostic(self, pole_id: str, as_of: int | None = None, lang: str = "fr") -> dict[str, Any]:
        """The pôle's diagnostic (:func:`maillage.analytics.poles.diagnostic_of`) and its
        criteria (:func:`maillage.analytics.criteria.criteria_of`), read once."""
        from maillage.analytics.criteria import criteria_of
        from maillage.analytics.poles import diagnostic_of, pole_context

        self.pole(pole_id)

        def make():
            with self.store() as s:
                ctx = pole_context(s, pole_id, as_of=as_of)
                loaded = {src.id: src for src in s.sources()}  # a funder's role names its source's kind
            diag = diagnostic_of(ctx, lang=lang, sources=loaded)
            smask = self.source_mask()  # a public view: a source's file may be named after a person
            diag = diag.model_copy(update={  # … in the sources, and in a funder's role (« d'après <fichier> »)
                "sources": [smask(sid) for sid in diag.sources],
                "collectivites": [c.model_copy(update={"role_labels": [smask(x) for x in c.role_labels]})
                                  for c in diag.collectivites]})
            return {"diagnostic": diag, "criteria": criteria_of(ctx, lang=lang)}
        return self.cached(("pole_diagnostic", pole_id, as_of, lang), make)

    # -- territories ---------------------------------------------------------------------------
    def territory_diagnostic(self, tid: str, as_of: int | None = None, lang: str = "fr"):
        """:func:`maillage.analytics.territory.territory_diagnostic`, cached; the roles table
        names its sources' kinds as the report does (the store's source records, read once)."""
        from maillage.analytics.territory import territory_diagnostic

        self.check_territory(tid)

        def make():
            with self.store() as s:
                d = territory_diagnostic(s, tid, as_of=as_of, lang=lang, sources={src.id: src for src in s.sources()})
            smask = self.source_mask()  # where grants come from may name a file named after a person
            return d.model_copy(update={"collectivite_roles": [r.model_copy(update={"funding_from": smask(r.funding_from)})
                                                               for r in d.collectivite_roles]})
        return self.cached(("territory_diagnostic", tid, as_of, lang), make)

    def territory_marks(self, tid: str, as_of: int | None = None, lang: str = "fr",
                        view: View | None = None) -> dict[str, dict[str, str]]:
        """``{"isolated": {id: why}, "peripheral": {id: why}}``: the actors a territory's maps
        ring and why, from its diagnostic (:func:`maillage.api.maps.isolated_map_marks`); with
        ``view``, only the actors it draws (:func:`maillage.api.maps.view_marks`)."""
        from maillage.api.maps import isolated_map_marks, view_marks

        d = self.territory_diagnostic(tid, as_of, lang)
        isolated, peripheral = isolated_map_marks(d.isolated.items, lang), isolated_map_marks(d.peripheral.items, lang)
        if view is None:
            return {"isolated": isolated, "peripheral": peripheral}
        return view_marks(view.sub.actors, isolated, peripheral)

    def territory_actors(self, tid: str, as_of: int | None = None, page: int = 1, size: int = 20,
                         lang: str = "fr") -> dict[str, Any]:
        """One page of the actors located in a territory, each with its isolation reasons
        (the ``actors`` listing of the territory diagnostic)."""
        if not 1 <= size <= MAX_PAGE or page < 1:
            raise BadRequest(f"Page invalide (page ≥ 1, 1 ≤ size ≤ {MAX_PAGE}).",
                             f"Invalid page (page ≥ 1, 1 ≤ size ≤ {MAX_PAGE}).")
        d = self.territory_diagnostic(tid, as_of=as_of, lang=lang)
        start = (page - 1) * size
        return {"territory": d.territory, "name": d.name, "level": d.level, "as_of": as_of,
                "items": [e.model_dump(mode="json") for e in d.actors.items[start:start + size]],
                "total": d.actors.size, "page": page, "size": size}

    def territory_isolated(self, tid: str, as_of: int | None = None, peripheral: bool = False,
                           lens: str = "cooperation", lang: str = "fr",
                           public_bodies: bool = False) -> dict[str, Any]:
        """Isolated actors of a territory (no cooperation tie: the diagnostic's ``isolated``)
        with every reason (:func:`maillage.analytics.territory.isolated_actors`); with
        ``peripheral``, the peripheral and possibly under-documented ones too — the territory
        report's table and its spreadsheet, same count —; with ``public_bodies``, the
        collectivités and public bodies the diagnostic names apart; each with its ``status``."""
        from maillage.analytics.territory import isolated_actors

        name, _ = self.check_territory(tid)
        self.check_types(None, lens)

        def make():
            with self.store() as s:
                return isolated_actors(s, lens=lens, as_of=as_of, lang=lang, territory=tid,
                                       include_peripheral=peripheral or public_bodies)
        rows = self.cached(("isolated", tid, as_of, peripheral or public_bodies, lens, lang), make)
        keep = {"isolated", *(("peripheral", "documentation_gaps") if peripheral else ()),
                *(("public_bodies",) if public_bodies else ())}
        rows = [r for r in rows if r["status"] in keep]
        return {"territory": tid, "name": name, "as_of": as_of, "lens": lens, "peripheral": peripheral,
                "public_bodies": public_bodies, "total": len(rows), "items": rows}

    # -- whole-graph analytics -----------------------------------------------------------------
    def overlaps(self, as_of: int | None = None, limit: int = MAX_PAGE) -> dict[str, Any]:
        """Pôles sharing members (:func:`maillage.analytics.overlaps.pole_overlaps`), each list
        cut at ``limit`` rows."""
        from maillage.analytics.overlaps import pole_overlaps

        limit = _check_limit(limit, MAX_LIMIT)

        def make():
            with self.store() as s:
                return pole_overlaps(s, as_of=as_of)
        o = self.cached(("overlaps", as_of), make)
        rows = lambda xs: [{k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(x).items()}  # noqa: E731
                           for x in xs[:limit]]
        return {"as_of": as_of, "sizes": o.sizes, "pairs": rows(o.pairs), "multi_pole": rows(o.multi_pole),
                "bridging": rows(o.bridging), "pairs_total": len(o.pairs), "multi_pole_total": len(o.multi_pole),
                "capped": len(o.pairs) > limit or len(o.multi_pole) > limit}

    def suggestions(self, actor: str | None = None, pole: str | None = None, territory: str | None = None,
                    k: int = 10, as_of: int | None = None, lang: str = "fr"):
        """Partner suggestions (:func:`maillage.analytics.suggestions.suggest_partners`) on a
        cached cooperation graph. One focus at most (``actor`` or ``pole``: 400 for both, which
        ``suggest_partners`` would settle by dropping the pôle); ``territory`` narrows it."""
        from maillage.analytics.suggestions import suggest_partners

        if not 1 <= k <= 50:
            raise BadRequest(f"k = {k} hors de 1 à 50.", f"k = {k} not in 1..50.")
        if actor is not None and pole is not None:
            raise BadRequest("Donnez actor ou pole, pas les deux (territory, lui, restreint les partenaires "
                             "proposés à ceux situés dans le territoire).",
                             "Give actor or pole, not both (territory narrows the partners suggested to "
                             "those located in the territory).")
        self.check_scope(pole, territory, actor)

        G = self._coop_graph(as_of)

        def make():
            with self.store() as s:
                return suggest_partners(s, actor_id=actor, pole=pole, territory=territory, k=k, as_of=as_of,
                                        graph=G.copy(), lang=lang)
        return self.cached(("suggestions", actor, pole, territory, k, as_of, lang), make)

    def _coop_graph(self, as_of: int | None):
        """The cooperation graph of the suggestions (cached): its ties (the tie rule, as
        :func:`~maillage.analytics.suggestions.suggest_partners` builds it)."""
        from maillage.analytics.lenses import ties_of
        from maillage.graph.projection import project, to_graph

        def graph():
            with self.store() as s:
                return to_graph(ties_of(project(s, lens="cooperation", as_of=as_of)))
        return self.cached(("coop_graph", as_of), graph)

    def observatory(self, as_of: int | None = None, lang: str = "fr") -> dict[str, Any]:
        """The observatory table (:func:`maillage.analytics.observatory.observatory_table`)."""
        from maillage.analytics.observatory import observatory_table

        def make():
            with self.store() as s:
                return observatory_table(s, as_of=as_of, lang=lang)
        return {"as_of": as_of, "lang": lang, "rows": self.cached(("observatory", as_of, lang), make)}

    # -- runs ----------------------------------------------------------------------------------
    def runs(self) -> list[dict[str, Any]]:
        """Stored analysis runs, newest first; the ids of their sources (parameters, notes)
        through :meth:`source_mask`, as a file may be named after a person."""
        with self.store() as s:
            runs = s.runs()
        smask = self.source_mask()
        return [_mask_tree(r.model_dump(mode="json"), smask) for r in reversed(runs)]

    def run_metrics(self, run_id: str, include_persons: bool = False) -> dict[str, Any]:
        """Every value of a run, ``{key: {name: value}}``, persons' rows left out (cached
        until the store changes: a run is read whole, and under load that read dominated)."""
        if run_id not in self.fingerprint()[1] and run_id not in self.fingerprint(force=True)[1]:
            raise NotFoundError(f"Aucune analyse « {run_id} ».", f"No analysis run '{run_id}'.")

        def make() -> dict[str, Any]:
            with self.store() as s:
                values = s.metrics(run_id)
            if not include_persons:
                persons = self.person_ids()
                values = {k: v for k, v in values.items() if k not in persons}
            return {"run_id": run_id, "metrics": values}
        return self.cached(("run_metrics", run_id, include_persons), make)

    def run_metrics_csv(self, run_id: str, include_persons: bool = False, tableur: bool = False,
                        lang: str = "fr") -> str:
        """The actor metrics of a run as CSV (:func:`maillage.api.exports.metrics_csv`);
        ``tableur``: the file for a spreadsheet people read, in ``lang``."""
        from maillage.api.exports import metrics_csv

        buf = io.StringIO()
        with self.store() as s:
            if not any(r.id == run_id for r in s.runs()):
                raise NotFoundError(f"Aucune analyse « {run_id} ».", f"No analysis run '{run_id}'.")
            metrics_csv(s, buf, run_id=run_id, include_persons=include_persons, tableur=tableur, lang=lang)
        return "\ufeff" + buf.getvalue()

    def run_table_csv(self, run_id: str, fmt: str, tableur: bool = False, lang: str = "fr") -> str:
        """A run's pôles (``poles.csv``) or years (``evolution.csv``) as CSV
        (:mod:`maillage.api.run_tables`, the file of ``maillage export --format``); ``tableur``:
        the file for a spreadsheet people read, in ``lang`` (``--tableur --lang``)."""
        from maillage.api.run_tables import evolution_csv, poles_csv

        buf = io.StringIO()
        with self.store() as s:
            if not any(r.id == run_id for r in s.runs()):
                raise NotFoundError(f"Aucune analyse « {run_id} ».", f"No analysis run '{run_id}'.")
            (poles_csv if fmt == "poles.csv" else evolution_csv)(s, buf, run_id=run_id, tableur=tableur, lang=lang)
        return "\ufeff" + buf.getvalue()

    # -- writes --------------------------------------------------------------------------------
    def check_writable(self) -> None:
        """Refuse, before a write's request is read, a store this server's user may only read
        (:class:`~maillage.graph.store.ReadOnlyStore`: the API's 403)."""
        with self.store() as s:
            s.check_writable()

    def load(self, filename: str, data: Iterable[bytes] | bytes, format: str | None = None,
             options: dict[str, str] | None = None, lang: str = "fr", duplicate: bool = False) -> dict[str, Any]:
        """Load an uploaded file with the same loader as ``maillage load``
        (:func:`maillage.loaders.load_file`): written to a temporary file named like the
        upload (so the source id is ``<format>:<file name>`` and reloading it replaces it);
        ``rejects_csv`` in ``lang``. A file byte for byte a source loaded under another file
        name (« membres (2).xlsx ») is refused, as by ``maillage load``, unless ``duplicate``:
        each of its ties would be counted twice."""
        from maillage.loaders import LOADERS, LoadError, load_file, sha256_of
        from maillage.loaders.motifs import motif

        name = Path(filename or "").name.strip()
        if not name or name in (".", ".."):
            raise BadRequest("Fichier sans nom.", "File without a name.")
        if format is not None:
            refuse_unknown([format], set(LOADERS), ("Format inconnu", "Unknown format"), "formats possibles")
        tmp = Path(tempfile.mkdtemp(prefix="maillage-load-"))
        try:
            path = tmp / name
            with path.open("wb") as f:
                if isinstance(data, bytes):
                    f.write(data)
                else:
                    for chunk in data:
                        f.write(chunk)
            with self.write_lock, self.store() as s:
                if not duplicate:
                    digest = sha256_of(path)
                    copy = next((src for src in s.sources() if src.sha256 == digest
                                 and Path(src.uri or "").name != name), None)
                    if copy is not None:
                        raise BadRequest(
                            f"Chargement impossible : {name} a le même contenu que la source « {copy.id} » déjà "
                            "chargée : chacun de ses liens serait compté deux fois. Retirez cette source d'abord, "
                            "ou chargez-le quand même avec duplicate=true.",
                            f"Cannot load: {name} has the same content as the source '{copy.id}' already loaded: "
                            "each of its ties would be counted twice. Remove that source first, or load it anyway "
                            "with duplicate=true.")
                try:
                    report = load_file(s, path, format=format, rejects_dir=tmp / "rejects", options=options, lang=lang)
                except LoadError as e:
                    why = str(e).replace(str(path), name).replace(str(tmp), "")
                    raise BadRequest(f"Chargement impossible : {motif(why, 'fr')}", f"Cannot load: {why}") from None
                st = s.stats()
            out = report.as_dict()
            out["file"] = name
            out["notes"] = [motif(n, lang) for n in report.notes]  # what reading it noticed, as the CLI says it
            if report.rejects_file:
                text = Path(report.rejects_file).read_text(encoding="utf-8-sig")
                text = text.replace(str(path), name).replace(str(tmp), "")  # the server's paths are its own
                out["rejects_csv"] = text[:1_000_000]
                out["rejects_file"] = Path(report.rejects_file).name
            out["store"] = public_counts(st)
            return out
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            self.invalidate()


# ---------------------------------------------------------------------------------------------
# helpers

def upload_year(value: str, field: str = "year") -> str:
    """The year a member list is given by ``POST /api/load`` (its field ``year``, as ``maillage
    load --year``; or ``option=year=…``): four digits (``2025``), or a span of two years
    (``2024-2025``), from 1900 to next year. Anything else is refused (422), saying what is
    expected.

    >>> upload_year(" 2024 "), upload_year("2023 - 2024")
    ('2024', '2023-2024')
    >>> upload_year("24")
    Traceback (most recent call last):
    ...
    maillage.api.service.Invalid: Champ « year » : attendu l'année ... de 1900 à ... ; reçu « 24 ».
    """
    from maillage.loaders import LoadError
    from maillage.loaders.formats.members import FIRST_LIST_YEAR, last_list_year, year_span

    text = value.strip()
    try:  # the loader's own reading of option ``year`` (as ``--year``), refused here with a 422
        span = year_span(text)
    except LoadError:
        span = None
    if span is None:
        shown, last = (text if len(text) <= 40 else text[:40] + "…"), last_list_year()
        raise Invalid(f"Champ « {field} » : attendu l'année dont le fichier est la liste des membres, sur 4 chiffres "
                      f"(2025), ou une période (2024-2025), de {FIRST_LIST_YEAR} à {last} ; reçu « {shown} ».",
                      f"Field '{field}': expected the year whose list of members the file is, 4 digits (2025), or a "
                      f"span (2024-2025), from {FIRST_LIST_YEAR} to {last}; got '{shown}'.")
    return span[0] if span[0] == span[1] else f"{span[0]}-{span[1]}"


def _check_limit(limit: int, most: int) -> int:
    if not 1 <= limit <= most:
        raise BadRequest(f"limit = {limit} hors de 1 à {most}.", f"limit = {limit} not in 1..{most}.")
    return limit


def _identifier_queries(q: str) -> list[tuple[str, str]]:
    """Identifier look-ups a search text stands for: 9 digits a SIREN, 14 a SIRET, W + 9
    digits an RNA number (spaces ignored).

    >>> _identifier_queries("450 324 660"), _identifier_queries("w751234567"), _identifier_queries("Ecosimo")
    ([('siren', '450324660')], [('rna', 'W751234567')], [])
    """
    v = re.sub(r"[\s.\-]", "", q).upper()
    if v.isdigit() and len(v) == 9:
        return [("siren", v)]
    if v.isdigit() and len(v) == 14:
        return [("siret", v)]
    if _RNA.fullmatch(v):
        return [("rna", v)]
    return []


def shortest_path(store: Store, source: str, target: str, types: Sequence[str] | None, as_of: int | None,
                  persons: frozenset[str] | set[str], max_hops: int,
                  visit_cap: int = PATH_VISIT_CAP) -> list[str] | None:
    """The actors of a shortest path from ``source`` to ``target`` over the store's relations
    of ``types`` active in ``as_of`` (either direction), avoiding ``persons``; ``None`` when
    there is none of at most ``max_hops`` ties (or the search visits more than
    ``visit_cap`` actors). Bidirectional breadth-first search, one whole ring at a time from
    the side with the smaller frontier (Pohl, I. (1971). Bi-directional search. *Machine
    Intelligence* 6, 127–140); ties between equally short paths go to the smallest ids.

    >>> from maillage.graph import open_store
    >>> shortest_path(open_store(":memory:"), "a", "a", None, None, set(), 3)
    ['a']
    """
    if source == target:
        return [source]
    dist = ({source: 0}, {target: 0})
    parent: tuple[dict[str, str], dict[str, str]] = ({}, {})
    front = [{source}, {target}]
    depth = [0, 0]
    while depth[0] + depth[1] < max_hops and front[0] and front[1]:
        side = 0 if len(front[0]) <= len(front[1]) else 1
        ties = store.ties(front[side], types=types, as_of=as_of)  # ends only: nothing parsed
        nxt: set[str] = set()
        here, there = dist[side], dist[1 - side]
        for _, a, b in sorted(ties, key=lambda t: (t[1], t[2], t[0])):
            for u, v in ((a, b), (b, a)):
                if u in front[side] and v not in here and v not in persons:
                    if v not in parent[side] or u < parent[side][v]:
                        parent[side][v] = u
                    nxt.add(v)
        depth[side] += 1
        for v in nxt:
            here[v] = depth[side]
        meet = [v for v in nxt if v in there]
        if meet:
            best = min(meet, key=lambda v: (here[v] + there[v], v))
            left, right = [], []
            v = best
            while v != source:
                left.append(v)
                v = parent[0][v]
            left.append(source)
            v = best
            while v != target:
                v = parent[1][v]
                right.append(v)
            return list(reversed(left)) + right
        front[side] = nxt
        if len(dist[0]) + len(dist[1]) > visit_cap:
            return None
    return None


def members_csv_example() -> str:
    """A two-member list in the ``members`` format (docs and tests).

    >>> members_csv_example().splitlines()[0]
    'Nom;SIREN;Rôle'
    """
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerows([["Nom", "SIREN", "Rôle"], ["Écosimo", "450324660", "membre fondateur"], ["Résam", "", "adhérent"]])
    return buf.getvalue()


__all__ = ["Service", "StoreProvider", "View", "ApiError", "BadRequest", "Unauthorized", "Forbidden",
           "NotFoundError", "PayloadTooLarge", "Unavailable", "actor_summary", "node_dict",
           "edge_dict", "place_label", "shortest_path", "MAX_DEPTH", "MAX_PAGE", "DEFAULT_LIMIT", "MAX_LIMIT",
           "MAX_EXPORT", "SEARCH_CAP", "MAX_HOPS"]
