"""The maillage web service: read endpoints, maps, exports, the explorer page and a token-protected load.

:func:`create_app` builds the FastAPI application on one store; :func:`serve` runs it with
uvicorn (``maillage serve``). What each endpoint answers is in ``docs/api.md`` and in the
OpenAPI document the app serves (``/openapi.json``, browsable at ``/docs``); the queries are
:mod:`maillage.api.service`, the response models :mod:`maillage.api.models`.

- **Reads are open**; natural persons never appear in them. ``?include_persons=true`` needs
  the token (``Authorization: Bearer <token>``), else 403.
- **Writes** (``POST /api/load``) need the token: 403 when the app has none (writes
  disabled), 401 when it is missing or wrong; bodies above ``max_upload_mb`` get 413; 403 too
  on a store this server's user may read but not write (retrying will not help: not a 503).
- **Errors** are mapped once, here: ``{"detail": "…"}`` in French (``?lang=en``: English),
  404 unknown actor / pôle / territory / run, 400 bad parameter or combination, 422
  validation, 503 store unavailable.
- **Large bodies** are serialised with orjson (FastAPI's generic encoder is ~20× slower on a
  subgraph: ``../shared/design/PERFORMANCE.md`` §A.4.1); the declared ``response_model`` still
  documents them and the contract test checks that they conform.

>>> from fastapi.testclient import TestClient
>>> TestClient(create_app(":memory:")).get("/health").json()
{'status': 'ok'}
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
import anyio.to_thread
from fastapi import Depends, FastAPI, Path as PathParam, Query, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from maillage.graph.model import RelationView
from maillage.graph.store import NotFound, ReadOnlyStore, Store, StoreError, Subgraph
from maillage.graph.vocabulary import VocabularyError

from . import models as m
from . import query as q
from .service import (DEFAULT_LIMIT, MAX_DEPTH, MAX_HOPS, MAX_LIMIT, MAX_PAGE, ApiError, BadRequest,
                      Forbidden, Invalid, PayloadTooLarge, Service, Unauthorized, View, refuse_unknown,
                      to_json, upload_year)

_BEARER = HTTPBearer(auto_error=False, description="Jeton du service (MAILLAGE_API_TOKEN) / Service token")
#: Subgraph computations running at once (the others wait in the event loop).
COMPUTE_THREADS = 4
STATIC_DIR = Path(__file__).resolve().parent / "static"
TOKEN_ENV = "MAILLAGE_API_TOKEN"

#: Export formats: ``{name: (media type, file suffix)}``, from :data:`maillage.api.exports.EXPORT_FORMATS`
#: (this list only stands in while that module lacks it).
def _export_formats() -> dict[str, tuple[str, str]]:
    try:
        from maillage.api.exports import EXPORT_FORMATS

        return {k: (f.media_type, f.suffix) for k, f in EXPORT_FORMATS.items()}
    except (ImportError, AttributeError):
        return {"json": ("application/json", ".json"), "csv": ("text/csv; charset=utf-8", ".csv"),
                "gexf": ("application/gexf+xml", ".gexf"), "graphml": ("application/graphml+xml", ".graphml"),
                "kumu.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".kumu.xlsx"),
                "ftm.jsonl": ("application/x-ndjson", ".ftm.jsonl")}


EXPORT_MEDIA = {k: v[0] for k, v in _export_formats().items()}
ExportFmt = Literal[tuple(EXPORT_MEDIA)]  # type: ignore[valid-type]

_DESCRIPTION = """
**maillage** — le graphe des coopérations entre acteurs de l'ESS (PTCE, collectivités, État…).
*The graph of cooperation between actors of the French social and solidarity economy.*

- Lectures ouvertes ; les personnes physiques n'apparaissent jamais (``include_persons=true``
  demande le jeton). / Reads are open; natural persons never appear (``include_persons=true``
  needs the token).
- Erreurs : ``{"detail": "…"}`` en français (``?lang=en`` : anglais) — 400 paramètre invalide,
  401/403 jeton, 403 base en lecture seule, 404 inconnu, 413 trop volumineux, 422 validation,
  503 base indisponible.
- Sous-graphes plafonnés (``limit`` ≤ 2000 acteurs, profondeur ≤ 3, pages ≤ 200) : la réponse
  le dit (``capped``, ``notes``).
"""

_TAGS = [
    {"name": "service", "description": "État du service. / Service state."},
    {"name": "acteurs", "description": "Recherche, fiche et voisinage d'un acteur. / Actor search, record, neighbourhood."},
    {"name": "pôles", "description": "Pôles (PTCE…), leurs sous-graphes et diagnostics. / Pôles, subgraphs, diagnostics."},
    {"name": "territoires", "description": "Acteurs d'un territoire, isolés, diagnostic. / Territory actors, isolated, diagnostic."},
    {"name": "analyses", "description": "Chemins, recouvrements, suggestions, observatoire, analyses. "
                                        "/ Paths, overlaps, suggestions, observatory, runs."},
    {"name": "exports", "description": "Fichiers pour Gephi, Kumu, tableurs. / Files for Gephi, Kumu, spreadsheets."},
    {"name": "cartes", "description": "Cartes interactives hors ligne (HTML). / Offline interactive maps (HTML)."},
    {"name": "écriture", "description": "Chargement de fichiers (jeton requis). / File loading (token required)."},
]

Lang = Annotated[Literal["fr", "en"], Query(description=q.LANG)]
AsOf = Annotated[int | None, Query(ge=1800, le=2200, description=q.YEAR, examples=[2016])]
Persons = Annotated[bool, Query(description=q.PERSONS)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=q.LIMIT)]
MapLens = Annotated[str | None, Query(description=q.LENS, examples=["cooperation"])]
ActorId = Annotated[str, PathParam(description="Identifiant d'acteur / Actor id", examples=[m.EXAMPLE_ACTOR])]
PoleId = Annotated[str, PathParam(description="Identifiant de pôle / Pôle id", examples=[m.EXAMPLE_POLE])]
TerritoryId = Annotated[str, PathParam(description="Territoire niveau:code (departement:31, commune:31555, "
                                                   "epci:243100518, region:76) / Territory id",
                                       examples=[m.EXAMPLE_TERRITORY])]

SizeBy = Annotated[str | None, Query(description="Métrique pour la taille des nœuds / Metric for node size",
                                     examples=["degree"])]

_ERRORS = {code: {"model": m.ErrorOut, "description": text} for code, text in {
    400: "Paramètre invalide / Bad parameter", 404: "Introuvable / Not found",
    422: "Validation", 503: "Base indisponible / Store unavailable"}.items()}
_PERSONS_ERRORS = {**_ERRORS, 403: {"model": m.ErrorOut, "description": "Jeton requis / Token required"}}
_HTML = {"content": {"text/html": {}}, "description": "Page HTML hors ligne / Offline HTML page"}


def _query_names(dependant) -> set[str]:
    """The query parameters a route's dependant reads, its dependencies' included."""
    return {f.alias for f in dependant.query_params}.union(*map(_query_names, dependant.dependencies))


class CheckedRoute(APIRoute):
    """A route that refuses (400) a query parameter it does not take, naming those it takes
    (:func:`~maillage.api.service.refuse_unknown`): ``/api/overlaps?types=funds`` is not
    answered with every pôle as if the filter applied. Those it takes: its declared ones, those
    of its query model (:mod:`maillage.api.query`) and ``lang`` (any error's language). Its
    OpenAPI responses document that 400. The service's probes (``/health``, ``/ready``, tag
    ``service``) take anything, as monitoring tools call them."""

    def __init__(self, path: str, endpoint: Callable, *, responses: dict | None = None, **kw: Any):
        probe = "service" in (kw.get("tags") or ())
        super().__init__(path, endpoint, responses={**({} if probe else {400: _ERRORS[400]}), **(responses or {})},
                         **kw)

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()
        accepted = sorted(_query_names(self.dependant)
                          | {p["name"] for p in (self.openapi_extra or {}).get("parameters", ()) if p["in"] == "query"}
                          | {"lang"})

        if "service" in (self.tags or ()):  # /health, /ready: a probe may add what it likes (?x=1)
            return handler

        async def checked(request: Request) -> Response:
            if request.scope.get("query_string"):
                refuse_unknown(request.query_params.keys(), accepted, ("Paramètre inconnu", "Unknown parameter"),
                               "paramètres possibles")
            return await handler(request)
        return checked


# ---------------------------------------------------------------------------------------------
# serialisation

def json_response(content: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """``content`` serialised with orjson (pydantic models through ``model_dump``), no
    re-validation: the fast path for large bodies.

    >>> json_response({"a": (1, 2)}).body
    b'{"a":[1,2]}'
    """
    return Response(to_json(content), status_code=status, media_type="application/json", headers=headers)


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "fr"


def _error(request: Request, status: int, fr: str, en: str, headers: dict[str, str] | None = None,
           **extra: Any) -> Response:
    return json_response({"detail": en if _lang(request) == "en" else fr, **extra}, status, headers)


def _split(values: str | None) -> list[str] | None:
    if values is None:
        return None
    out = [v.strip() for v in values.split(",") if v.strip()]
    return out or None


def masked(sub: Subgraph, mask) -> Subgraph:
    """``sub`` with persons' names masked in the quotes and notes of its relations (for maps
    and exports, which write that free text out)."""
    if mask is None:
        return sub
    from .service import edge_dict

    rels = []
    for r in sub.relations:
        d = edge_dict(r, "fr", mask)
        if d["provenance"]["quote"] != r.provenance.quote or d["fields"] is not r.fields:
            prov = r.provenance.model_copy(update={"quote": d["provenance"]["quote"]})
            r = RelationView(id=r.id, type=r.type, source=r.source, target=r.target, fields=d["fields"],
                             start=r.start, end=r.end, provenance=prov)
        rels.append(r)
    return Subgraph(actors=sub.actors, relations=rels, capped=sub.capped, notes=list(sub.notes),
                    persons_left_out=sub.persons_left_out)


class BodyLimit:
    """ASGI middleware refusing request bodies above ``max_mb`` MiB with 413 and a French (or
    English, ``?lang=en``) message: at once when ``Content-Length`` says so, else as soon as
    the bytes read exceed it (the route then answers 413 through the error handlers)."""

    def __init__(self, app, max_mb: int):
        self.app = app
        self.max_bytes = max_mb * 1024 * 1024
        self.max_mb = max_mb

    def error(self, size: float | None) -> PayloadTooLarge:
        got_fr = f"{size / 1048576:.1f} Mo, " if size else ""
        got_en = f"{size / 1048576:.1f} MB, " if size else ""
        return PayloadTooLarge(f"Requête trop volumineuse ({got_fr}limite {self.max_mb} Mo).",
                               f"Request too large ({got_en}limit {self.max_mb} MB).")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or ()).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            lang = "en" if b"lang=en" in scope.get("query_string", b"") else "fr"
            err = self.error(int(length))
            response = json_response({"detail": err.message(lang)}, 413, {"Connection": "close"})
            await response(scope, receive, send)
            return
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise self.error(None)
            return message

        await self.app(scope, limited, send)


# ---------------------------------------------------------------------------------------------
# the app

def create_app(store_uri: str | None = None, token: str | None = None, cors_origins: list[str] | None = None,
               max_upload_mb: int = 50, *, store: Store | None = None, response_cache_mb: int = 64,
               telemetry: bool = False, warm: bool = False) -> FastAPI:
    """The maillage API on the store at ``store_uri`` (as :func:`maillage.graph.open_store`;
    default ``$MAILLAGE_STORE`` or ``maillage.db``) or on an open ``store``.

    ``token``: the bearer token that allows writes and ``include_persons`` (None: writes
    disabled); ``cors_origins``: origins allowed by CORS (none by default); ``max_upload_mb``:
    largest request body; ``response_cache_mb``: memory for subgraph responses kept until the
    store changes (0: none); ``telemetry``: FastAPI's OpenTelemetry instrumentation (off by
    default: it asks the OpenTelemetry providers on every request, about a tenth of a depth-1
    neighbourhood's cost; on, it traces when a provider is configured); ``warm``: compute the
    whole-graph analyses a first visitor would wait for in a background thread at start
    (:meth:`Service.warm`; ``serve`` and ``app_from_env`` do). Design follows Fielding, R. T. (2000), *Architectural Styles and the
    Design of Network-based Software Architectures* (REST), ch. 5, UC Irvine.

    >>> app = create_app(":memory:", token="s3cret")
    >>> sorted(r.path for r in app.routes if getattr(r, "path", "").startswith("/api/poles"))[:2]
    ['/api/poles', '/api/poles/{pole_id}/diagnostic']
    """
    svc = Service(store_uri, store=store, response_cache_mb=response_cache_mb)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm:
            svc.warmed.clear()  # /ready says 503 until the warming is over
            threading.Thread(target=svc.warm, name="maillage-warm", daemon=True).start()
        yield
        svc.close()

    # /docs: FastAPI's page loads Swagger UI from a CDN and is blank offline; this one serves the copy
    # the fastapi-offline package ships (under /static-offline-docs). No /redoc: its page fetches a
    # logo from the web whatever it is given, and /docs documents the same operations
    app = FastAPIOffline(redoc_url=None, title="maillage", version="0.1", description=_DESCRIPTION, openapi_tags=_TAGS,
                         lifespan=lifespan, telemetry={"tracing": telemetry, "metrics": telemetry, "logs": telemetry},
                         contact={"name": "maillage"}, license_info={"name": "voir le dépôt / see the repository"})
    app.router.route_class = CheckedRoute
    app.state.service = svc
    app.state.token = token
    app.state.max_upload_mb = max_upload_mb
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"], allow_credentials=False)
    app.add_middleware(BodyLimit, max_mb=max_upload_mb)
    _handlers(app, max_upload_mb)

    def authorised(request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, cred = header.partition(" ")
        return (token is not None and scheme.lower() == "bearer"
                and secrets.compare_digest(cred.strip().encode(), token.encode()))

    limiters: dict[str, anyio.CapacityLimiter] = {}

    async def memo(key: tuple, make: Callable[[], tuple[bytes, dict[str, str]]],
                   small: Callable[[], bool] | None = None) -> Response:
        """The JSON body and headers ``make()`` returns, kept in the response cache: a repeated
        subgraph request is answered from memory, without a thread hop. ``make`` runs in a
        worker thread, at most :data:`COMPUTE_THREADS` at once (CPU-bound Python gains nothing
        from more threads under the GIL, and loses to their contention) — unless ``small()``
        says it is small (:meth:`Service.small_neighbourhood`: well under a millisecond), then
        on the event loop itself, as the hop to a thread would cost more than the work."""
        kept = svc.response_body(key)
        if kept is None and small is not None and small():
            kept = svc.keep_response(key, *make())
        if kept is None:
            if "compute" not in limiters:  # created inside the event loop
                limiters["compute"] = anyio.CapacityLimiter(COMPUTE_THREADS)
            kept = await anyio.to_thread.run_sync(lambda: svc.keep_response(key, *make()),
                                                  limiter=limiters["compute"])
        body, headers = kept
        return Response(body, media_type="application/json", headers=headers)

    def view_json(view: View, lang: str, inc: bool,
                  marks: dict[str, dict[str, str]] | None = None) -> tuple[bytes, dict[str, str]]:
        """A subgraph view's JSON and the headers naming the run of its metrics (:func:`_run_headers`)."""
        return svc.subgraph_json(view, lang, inc, marks), _run_headers(svc.run_choice(view.lens, view.as_of), lang,
                                                                       None if inc else svc.source_mask())

    def persons(request: Request, include_persons: bool) -> bool:
        if include_persons and not authorised(request):
            raise Forbidden("Les personnes physiques ne sont servies qu'avec le jeton (Authorization: Bearer …).",
                            "Natural persons are only served with the token (Authorization: Bearer …).")
        return include_persons

    # -- service -----------------------------------------------------------------------------
    @app.get("/health", tags=["service"], response_model=m.HealthOut, summary="Vivant / Alive")
    async def health() -> Response:
        """Le processus répond (sans lire la base). / The process answers (no store access)."""
        return json_response(svc.health())

    @app.get("/ready", tags=["service"], response_model=m.ReadyOut, summary="Prêt / Ready",
             responses={503: _ERRORS[503]})
    def ready() -> Response:
        """La base répond : nombre d'acteurs, de relations et d'analyses (503 sinon).
        / The store answers: actors, relations and runs (503 otherwise)."""
        return json_response(svc.ready())

    # -- actors --------------------------------------------------------------------------------
    @app.get("/api/actors", tags=["acteurs"], response_model=m.ActorPage, responses=_PERSONS_ERRORS,
             summary="Rechercher des acteurs / Search actors")
    def actors(request: Request,
               q: Annotated[str, Query(max_length=200, description="Nom, alias, SIREN, SIRET ou RNA "
                                                                  "/ Name, alias or identifier", examples=["périscope"])] = "",
               family: Annotated[str | None, Query(description="Famille / Family", examples=["ess"])] = None,
               kind: Annotated[str | None, Query(description="Type / Kind", examples=["scic"])] = None,
               territory: Annotated[str | None, Query(description="Territoire (cumul) / Territory (rollup)",
                                                      examples=[m.EXAMPLE_TERRITORY])] = None,
               page: Annotated[int, Query(ge=1, le=100_000, description="Page (à partir de 1)")] = 1,
               size: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Taille de page (≤ {MAX_PAGE})")] = 20,
               include_persons: Persons = False, lang: Lang = "fr") -> Response:
        """Acteurs dont les noms et alias contiennent chaque mot de ``q`` (sans accents ni casse,
        dans n'importe quel ordre), ou dont l'identifiant est ``q`` ; filtres famille, type,
        territoire ; les acteurs nommés avant les acteurs non nommés, puis par nom.
        / Actors whose names and aliases contain every word of ``q`` or whose identifier is ``q``;
        named actors before placeholders, then by name."""
        return json_response(svc.search_actors(q, family, kind, territory, page, size,
                                               persons(request, include_persons), lang))

    @app.get("/api/actors/{actor_id}", tags=["acteurs"], response_model=m.ActorDetail, responses=_PERSONS_ERRORS,
             summary="Fiche d'un acteur / Actor record")
    def actor(request: Request, actor_id: ActorId, include_persons: Persons = False, lang: Lang = "fr") -> Response:
        """L'acteur, ses métriques (de la dernière analyse de la lentille « all », toutes années,
        à défaut de la dernière : en-têtes ``X-Maillage-Run`` et ``X-Maillage-Notes``), ses
        relations avec leurs sources (document, ligne, citation, certitude). / The actor, its
        metrics (of the latest run of lens "all", all years, else the latest), its relations
        with their provenance."""
        inc = persons(request, include_persons)
        detail = svc.actor_detail(actor_id, inc, lang)
        return json_response(detail, headers=_run_headers(svc.run_choice("all", None), lang,
                                                          None if inc else svc.source_mask()))

    @app.get("/api/actors/{actor_id}/neighbourhood", tags=["acteurs"], response_model=m.SubgraphOut,
             responses=_PERSONS_ERRORS, summary="Voisinage / Neighbourhood",
             openapi_extra={"parameters": q.parameters(q.NeighbourhoodQuery)})
    async def neighbourhood(request: Request, actor_id: ActorId) -> Response:
        """L'acteur et tous les acteurs à ``depth`` liens au plus, avec les relations entre eux ;
        au-delà de ``limit`` acteurs, les plus proches et les plus liés sont gardés.
        / The actor and everyone within ``depth`` ties, capped at ``limit`` actors."""
        p = q.read(q.NeighbourhoodQuery, request)
        inc = persons(request, p.include_persons)
        return await memo(("neighbourhood", actor_id, p.depth, p.types, p.lens, p.as_of, p.limit, inc, p.lang),
                          lambda: view_json(svc.neighbourhood(actor_id, p.depth, _split(p.types), p.lens,
                                                                p.as_of, p.limit, inc, p.lang), p.lang, inc),
                          small=(lambda: svc.small_neighbourhood(actor_id)) if p.depth == 1 else None)

    # -- pôles ---------------------------------------------------------------------------------
    @app.get("/api/poles", tags=["pôles"], response_model=list[m.PoleSummary], responses=_ERRORS,
             summary="Pôles / Pôles")
    def poles(as_of: AsOf = None, lang: Lang = "fr") -> Response:
        """Tous les pôles avec leurs membres listés, structures porteuses, collectivités.
        / Every pôle with its listed members, carrying structures, collectivités."""
        return json_response(svc.poles(as_of, lang))

    @app.get("/api/poles/{pole_id}/subgraph", tags=["pôles"], response_model=m.SubgraphOut,
             responses=_PERSONS_ERRORS, summary="Sous-graphe d'un pôle / Pôle subgraph",
             openapi_extra={"parameters": q.parameters(q.LensQuery)})
    async def pole_subgraph(request: Request, pole_id: PoleId) -> Response:
        """Le pôle, tous les acteurs qui lui sont liés et les relations entre eux ; avec
        ``lens``, les acteurs qui lui sont liés par les types de la lentille et leurs relations
        de ces types : ce que tient son export par la même lentille.
        / The pôle, every actor tied to it and the relations among them; with ``lens``, what
        its export through that lens holds."""
        p = q.read(q.LensQuery, request)
        inc = persons(request, p.include_persons)
        return await memo(("pole", pole_id, p.lens, p.as_of, p.limit, inc, p.lang), lambda: view_json(
            svc.pole_subgraph(pole_id, p.as_of, p.limit, inc, p.lang, p.lens), p.lang, inc))

    @app.get("/api/poles/{pole_id}/diagnostic", tags=["pôles"], response_model=m.PoleDiagnosticOut,
             responses=_ERRORS, summary="Diagnostic d'un pôle / Pôle diagnostic")
    def pole_diagnostic(pole_id: PoleId, as_of: AsOf = None, lang: Lang = "fr") -> Response:
        """Composition, liens internes, formes de coopération, gouvernance, financements et
        critères (vrai / faux / inconnu, avec preuves). / Composition, ties, cooperation forms,
        governance, funding and criteria (true / false / unknown, with evidence)."""
        return json_response(svc.pole_diagnostic(pole_id, as_of, lang))

    # -- territories ---------------------------------------------------------------------------
    @app.get("/api/territories", tags=["territoires"], response_model=list[m.TerritoryHit], responses=_ERRORS,
             summary="Chercher un territoire / Find a territory")
    def territories(q_: Annotated[str, Query(alias="q", min_length=1, max_length=100,
                                             description="Un nom, le début d'un nom, un code (31, 2A), un code "
                                                         "postal ou un id / A name, its start, a code, a postal "
                                                         "code or an id", examples=["Haute-Garonne"])],
                    limit: Annotated[int, Query(ge=1, le=50)] = 10, lang: Lang = "fr") -> Response:
        """Les territoires qui répondent à ce qui a été tapé : id, code, nom exact (et ses
        homonymes), puis les noms qui commencent ainsi, du plus large au plus peuplé.
        / Territories answering what was typed: id, code, exact name (and homonyms), then the
        names that start so, widest then most populous first."""
        return json_response(svc.territories(q_, limit, lang))

    @app.get("/api/territories/{tid}/actors", tags=["territoires"], response_model=m.TerritoryActorsPage,
             responses=_ERRORS, summary="Acteurs d'un territoire / Territory actors")
    def territory_actors(tid: TerritoryId, as_of: AsOf = None,
                         page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                         size: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20, lang: Lang = "fr") -> Response:
        """Les acteurs situés dans le territoire (ou dedans), avec leurs pôles et motifs
        d'isolement. / Actors located in the territory, with their pôles and reasons."""
        return json_response(svc.territory_actors(tid, as_of, page, size, lang))

    @app.get("/api/territories/{tid}/isolated", tags=["territoires"], response_model=m.IsolatedOut,
             responses=_ERRORS, summary="Acteurs isolés / Isolated actors")
    def territory_isolated(tid: TerritoryId, as_of: AsOf = None,
                           peripheral: Annotated[bool, Query(description="Aussi les périphériques (un seul "
                                                                         "partenaire, sans lien intersectoriel, hors "
                                                                         "pôle), chacun marqué / Peripheral too, "
                                                                         "each marked")] = False,
                           lens: Annotated[str, Query(description="Lentille / Lens")] = "cooperation",
                           lang: Lang = "fr",
                           public_bodies: Annotated[bool, Query(description="Aussi les collectivités et "
                                                                            "organismes publics, chacun marqué / "
                                                                            "Public bodies too, each marked")] = False,
                           ) -> Response:
        """Acteurs isolés : aucun lien de coopération dans la lentille cette année-là, comme
        le diagnostic du territoire (même nombre). Un acteur avec un seul partenaire est
        périphérique : listé seulement avec ``peripheral=true``, avec les autres
        périphériques et les peut-être sous-documentés — le tableau du rapport de territoire
        et son fichier ``-isoles.csv``, même nombre ; les collectivités et organismes publics
        seulement avec ``public_bodies=true`` ; chacun avec sa situation (``status``).
        / Isolated actors: no cooperation tie in the lens that year, as the territory
        diagnostic (same count); with ``peripheral=true``, the peripheral (e.g. a single
        partner) and possibly under-documented ones too, as the territory report's table and
        its CSV; public bodies only with ``public_bodies=true``; each with its ``status``."""
        return json_response(svc.territory_isolated(tid, as_of, peripheral, lens, lang, public_bodies))

    @app.get("/api/territories/{tid}/diagnostic", tags=["territoires"],
             response_model=_territory_diagnostic_model(), responses=_ERRORS,
             summary="Diagnostic d'un territoire / Territory diagnostic")
    def territory_diagnostic(tid: TerritoryId, as_of: AsOf = None, lang: Lang = "fr",
                             items: Annotated[int | None, Query(ge=1, le=MAX_PAGE, description=q.ITEMS,
                                                                examples=[50])] = None) -> Response:
        """Acteurs, isolés, pôles présents, financeurs, rôles des collectivités, liens hors du
        territoire. / Actors, isolated, pôles present, funders, collectivité roles, border ties."""
        from maillage.analytics.territory import abridged

        d = svc.territory_diagnostic(tid, as_of, lang)
        return json_response(d if items is None else abridged(d, items))

    @app.get("/api/territories/{tid}/subgraph", tags=["territoires"], response_model=m.SubgraphOut,
             responses=_PERSONS_ERRORS, summary="Sous-graphe d'un territoire / Territory subgraph",
             openapi_extra={"parameters": q.parameters(q.LensQuery)})
    async def territory_subgraph(request: Request, tid: TerritoryId) -> Response:
        """Les acteurs situés dans le territoire et les relations entre eux (avec ``lens``,
        celles des types de la lentille, comme son export) ; au-delà de ``limit``, les plus
        liés ; ``marks`` : ceux que la carte du territoire entoure (isolés, périphériques) et
        pourquoi. / Actors located there and their relations (with ``lens``, those of its
        types, as its export); above ``limit``, the most tied; ``marks``: those the
        territory's map circles, and why."""
        p = q.read(q.LensQuery, request)
        inc = persons(request, p.include_persons)

        def make():
            view = svc.territory_subgraph(tid, p.as_of, p.limit, inc, p.lang, p.lens)
            return view_json(view, p.lang, inc, svc.territory_marks(tid, p.as_of, p.lang, view))
        return await memo(("territory", tid, p.lens, p.as_of, p.limit, inc, p.lang), make)

    # -- analyses ------------------------------------------------------------------------------
    @app.get("/api/path", tags=["analyses"], response_model=m.SubgraphOut, responses=_PERSONS_ERRORS,
             summary="Plus court chemin / Shortest path", openapi_extra={"parameters": q.parameters(q.PathQuery)})
    async def path(request: Request) -> Response:
        """Le plus court chemin de coopération entre deux acteurs : ses acteurs dans l'ordre et
        les relations entre acteurs consécutifs (404 sans chemin). / The shortest cooperation
        path: its actors in order and the relations between consecutive ones (404 if none)."""
        p = q.read(q.PathQuery, request)
        inc = persons(request, p.include_persons)
        return await memo(("path", p.source, p.target, p.lens, p.as_of, p.max_hops, inc, p.lang),
                          lambda: view_json(svc.path(p.source, p.target, p.lens, p.as_of, p.max_hops, inc,
                                                     p.lang), p.lang, inc))

    @app.get("/api/overlaps", tags=["analyses"], response_model=m.OverlapsOut, responses=_ERRORS,
             summary="Recouvrements entre pôles / Pôle overlaps")
    def overlaps(as_of: AsOf = None, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = MAX_PAGE) -> Response:
        """Pôles ayant des membres communs (indice de Jaccard) et acteurs passerelles.
        / Pôles sharing members (Jaccard) and bridging actors."""
        return json_response(svc.overlaps(as_of, limit))

    @app.get("/api/suggestions", tags=["analyses"], response_model=_suggestions_model(), responses=_ERRORS,
             summary="Suggestions de partenaires / Partner suggestions")
    def suggestions(actor: Annotated[str | None, Query(description="Pour un acteur / For an actor",
                                                       examples=[m.EXAMPLE_MEMBER])] = None,
                    pole: Annotated[str | None, Query(description="Pour un pôle (pas avec actor) / "
                                                                  "For a pôle (not with actor)")] = None,
                    territory: Annotated[str | None, Query(description="Dans un territoire / In a territory")] = None,
                    k: Annotated[int, Query(ge=1, le=50)] = 10, as_of: AsOf = None, lang: Lang = "fr") -> Response:
        """Liens possibles (voisins communs, Adamic-Adar, complémentarité, proximité) : des
        pistes à vérifier, jamais des faits. / Possible ties: leads to check, never facts."""
        return json_response(svc.suggestions(actor, pole, territory, k, as_of, lang))

    @app.get("/api/observatory", tags=["analyses"], response_model=m.ObservatoryOut, responses=_ERRORS,
             summary="Observatoire / Observatory")
    def observatory(as_of: AsOf = None, lang: Lang = "fr") -> Response:
        """Les statistiques de l'étude RTES calculées sur le graphe, avec la valeur publiée.
        / The RTES study's statistics computed from the graph, with the published value."""
        return json_response(svc.observatory(as_of, lang))

    @app.get("/api/runs", tags=["analyses"], response_model=list[m.RunOut], responses={503: _ERRORS[503]},
             summary="Analyses / Runs")
    def runs() -> Response:
        """Les analyses enregistrées, la plus récente d'abord. / Stored runs, newest first."""
        return json_response(svc.runs())

    @app.get("/api/runs/{run_id}/metrics", tags=["analyses"], response_model=m.RunMetricsOut,
             responses={**_PERSONS_ERRORS, 200: {"content": {"application/json": {}, "text/csv": {}},
                                                 "description": "JSON ou CSV / JSON or CSV"}},
             summary="Valeurs d'une analyse / Run values")
    def run_metrics(request: Request, run_id: Annotated[str, PathParam(description="Identifiant d'analyse / Run id")],
                    format: Annotated[Literal["json", "csv", "poles.csv", "evolution.csv"],
                                      Query(description="json | csv | poles.csv | evolution.csv")] = "json",
                    include_persons: Persons = False, lang: Lang = "fr",
                    tableur: Annotated[bool, Query(description="csv, poles.csv, evolution.csv : un fichier pour un "
                                                   "tableur, à lire : en-têtes en français, libellés au lieu des "
                                                   "codes, nombres arrondis, « ; » "
                                                   "et 0,25 (lang=en : en anglais, « , » et 0.25) / A file for a "
                                                   "spreadsheet people read (as maillage export --tableur)")] = False,
                    ) -> Response:
        """Toutes les valeurs d'une analyse (JSON), ou en CSV (avec BOM, pour les tableurs) les
        métriques d'acteur (``csv``), les chiffres et critères des pôles (``poles.csv``), l'évolution
        année par année (``evolution.csv``), comme ``maillage export --format``. / Every value of a
        run (JSON), or as CSV its actor metrics, its pôles' figures and criteria, its years.
        ``tableur=true`` (``csv``, ``poles.csv``, ``evolution.csv``) : le fichier de ``maillage export
        --run … --format … --tableur`` / the file of ``maillage export --run … --format … --tableur``."""
        inc = persons(request, include_persons)
        if tableur and format == "json":
            raise BadRequest("tableur ne s'applique qu'aux formats csv, poles.csv et evolution.csv, pas au format "
                             "json.", "tableur only applies to formats csv, poles.csv and evolution.csv, not to "
                             "format json.")
        if format in ("poles.csv", "evolution.csv"):
            name = f"{run_id}-{format.removesuffix('.csv')}.csv"
            return Response(svc.run_table_csv(run_id, format, tableur, lang).encode("utf-8"),
                            media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})
        if format == "csv":
            return Response(svc.run_metrics_csv(run_id, inc, tableur, lang).encode("utf-8"),
                            media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{run_id}.csv"'})
        return json_response(svc.run_metrics(run_id, inc))

    # -- exports ---------------------------------------------------------------------------------
    formats = _export_formats()

    @app.get("/api/export/{fmt}", tags=["exports"], responses={
        **_PERSONS_ERRORS,
        200: {"content": {t.split(";")[0]: {} for t, _ in formats.values()}, "description": "Le fichier / The file",
              "headers": {
                  "X-Maillage-Run": {"description": "L'analyse dont viennent les métriques / The run of the "
                                                    "metrics", "schema": {"type": "string"}},
                  "X-Maillage-Notes": {"description": "Autre vue, graphe modifié depuis (UTF-8 en %-encodage) "
                                                      "/ Another view, graph changed since", "schema": {"type": "string"}}}}},
        summary="Exporter / Export")
    def export(request: Request,
               fmt: Annotated[ExportFmt, PathParam(description="Format", examples=["gexf"])],
               pole: Annotated[str | None, Query(description="Un pôle / A pôle", examples=[m.EXAMPLE_POLE])] = None,
               territory: Annotated[str | None, Query(description="Un territoire / A territory")] = None,
               actor: Annotated[str | None, Query(description="Un acteur (avec depth) / An actor")] = None,
               depth: Annotated[int | None, Query(ge=1, le=MAX_DEPTH, description="Avec actor : liens au plus de "
                                                  "lui (1 par défaut) ; refusé sans actor (400) / With actor: ties "
                                                  "away from it (default 1); refused without actor")] = None,
               lens: Annotated[str | None, Query(description=q.LENS, examples=["cooperation"])] = None,
               as_of: AsOf = None, include_persons: Persons = False, lang: Lang = "fr",
               projection: Annotated[bool, Query(description="Le graphe que mesure l'analyse : un lien pondéré par "
                                                 "paire d'acteurs (lentille cooperation par défaut) ; json, csv, "
                                                 "nodes.csv, gexf, graphml / The graph the analysis measures: one "
                                                 "weighted tie per pair of actors")] = False,
               delimiter: Annotated[str | None, Query(description="csv, nodes.csv : séparateur de colonnes, « , » "
                                                      "(défaut ; « ; » avec tableur en français), « ; » (tableur "
                                                      "français) ou « tab » (tabulation) / Column separator: , ; or "
                                                      "tab", examples=[";"])] = None,
               decimal_comma: Annotated[bool, Query(description="csv, nodes.csv : 0,25 au lieu de 0.25 (avec "
                                                    "delimiter=;) / 0,25 instead of 0.25 (with delimiter=;)")] = False,
               tableur: Annotated[bool, Query(description="csv, nodes.csv : un fichier pour un tableur, à lire : "
                                              "en-têtes en français, libellés au lieu des codes, nombres arrondis, "
                                              "« ; » et 0,25 (lang=en : en anglais, « , » et 0.25) / A file for a "
                                              "spreadsheet people read (as maillage export --tableur)")] = False,
               ) -> Response:
        """Le sous-graphe d'un pôle, d'un territoire, du voisinage d'un acteur, ou tout le
        graphe (sans paramètre), vu par une lentille (``lens``) et une année (``as_of``), en
        GEXF (avec le temps), GraphML, CSV, JSON, Kumu (XLSX) ou FollowTheMoney ; sur les nœuds,
        les métriques de la dernière analyse de cette lentille et de cette année (à défaut, de
        la dernière analyse) : en-têtes ``X-Maillage-Run`` et ``X-Maillage-Notes``.
        / A pôle's, territory's, actor's subgraph or the whole graph, through a lens and a year,
        as a file, with the metrics of the latest run of that lens and year (else the latest).
        ``projection=true``: the lens projection the analysis measures (docs/exports.md).
        ``delimiter`` et ``decimal_comma`` : les fichiers CSV pour un tableur français, comme
        ``maillage export --delimiter ';' --decimal-comma`` / the CSV files for a French spreadsheet.
        ``tableur=true`` : le fichier de ``maillage export --tableur`` (en-têtes et libellés en
        français, nombres arrondis) / the file of ``maillage export --tableur``."""
        import io

        from maillage.api.exports import source_masker

        style = csv_style(fmt, delimiter, decimal_comma, tableur, lang)
        inc = persons(request, include_persons)
        buf = io.BytesIO()
        name = "maillage-" + (pole or (territory or "").replace(":", "-") or actor or "graphe")
        # the run's citation and notes name sources: a file may be named after a person
        mask = None if inc else source_masker(svc.person_groups())
        if projection:
            choice = projection_export(buf, fmt, pole or None, territory or None, actor or None, depth, lens, as_of,
                                       inc, lang, style, mask)
            name += f"-lentille-{lens or 'cooperation'}"
        else:
            from maillage.api.exports import subgraph_export

            sub, choice = svc.export_view(pole or None, territory or None, actor or None, depth, lens, as_of, inc)
            sub = sub if inc else masked(sub, svc.masker())
            _, metrics = svc.metrics_for(sub.actors, choice.run.id if choice.run else None)
            labels = svc.source_labels()
            if inc and style.get("tableur"):  # the documents' titles as they are (the cached labels mask authors)
                from maillage.api.maps import source_labels

                with svc.store() as s:
                    labels = source_labels(s.sources())
            subgraph_export(sub, fmt, buf, lang=lang, include_persons=inc, metrics=metrics or None,
                            person_names=() if inc else svc.person_groups(), about=choice.about(lang, mask),
                            sources=labels, **style)
        media, suffix = formats[fmt]
        return Response(buf.getvalue(), media_type=media, headers={
            "Content-Disposition": f'attachment; filename="{name}{suffix}"', **_run_headers(choice, lang, mask)})

    def csv_style(fmt: str, delimiter: str | None, decimal_comma: bool, tableur: bool = False,
                  lang: str = "fr") -> dict[str, Any]:
        """``delimiter``, ``decimal_comma`` and ``tableur`` checked as ``maillage export`` checks
        its options: a value other than ``,`` ``;`` or a tab (``tab``) is refused (422), and so
        are they given to a format that is not CSV or a decimal comma between comma-separated
        cells (400), named rather than ignored. Without ``delimiter``: ``,``, or the spreadsheet
        file's with ``tableur`` (:func:`maillage.tableur.resolve_style`)."""
        from maillage.api.exports import CSV_FORMATS
        from maillage.tableur import resolve_style

        delimiter = "\t" if delimiter in ("tab", "\\t") else delimiter
        if delimiter is None and not tableur:
            delimiter = ","
        if delimiter is not None and delimiter not in (",", ";", "\t"):
            raise Invalid(f"Séparateur de colonnes « {delimiter} » non pris en charge : delimiter vaut « , » (par "
                          "défaut), « ; » (tableur français) ou « tab » (tabulation).",
                          f"Column separator '{delimiter}' not supported: delimiter is ',' (default), ';' (French "
                          "spreadsheet) or 'tab'.")
        styled = [o for o, v in (("delimiter", delimiter not in (None, ",")), ("decimal_comma", decimal_comma),
                                 ("tableur", tableur)) if v]
        if styled and fmt not in CSV_FORMATS:
            raise BadRequest(f"{' et '.join(styled)} ne s'applique{'nt' if len(styled) > 1 else ''} qu'aux fichiers "
                             f"CSV ({', '.join(CSV_FORMATS)}), pas au format {fmt}.",
                             f"{' and '.join(styled)} only appl{'y' if len(styled) > 1 else 'ies'} to the CSV files "
                             f"({', '.join(CSV_FORMATS)}), not to format {fmt}.")
        delimiter, decimal_comma = resolve_style(tableur, lang, delimiter, decimal_comma or None)
        if decimal_comma and delimiter == ",":
            raise BadRequest("La virgule décimale demande un autre séparateur de colonnes : delimiter=;",
                             "decimal_comma needs another column separator: delimiter=;")
        if fmt not in CSV_FORMATS:
            return {}
        return {"delimiter": delimiter, "decimal_comma": decimal_comma, "tableur": tableur}

    def projection_export(buf, fmt, pole, territory, actor, depth, lens, as_of, inc, lang, style=None, mask=None):
        """Write the lens projection (:mod:`maillage.api.lens_export`) into ``buf``; its run.
        ``mask``: the persons' names in the run's lines (:func:`~maillage.api.exports.source_masker`)."""
        from maillage.api.lens_export import PROJECTION_FORMATS
        from maillage.api.lens_export import projection_export as write

        if fmt not in PROJECTION_FORMATS:
            raise BadRequest(f"Une projection s'écrit en {', '.join(PROJECTION_FORMATS)}, pas en {fmt} (ses fichiers "
                             "se relisent comme des relations énoncées).",
                             f"A projection is written as {', '.join(PROJECTION_FORMATS)}, not {fmt} (its files are "
                             "read back as stated relations).")
        view, choice = svc.lens_export_view(pole, territory, actor, depth, lens, as_of, inc)
        _, metrics = svc.metrics_for(view.graph, choice.run.id if choice.run else None)
        write(view, fmt, buf, lang=lang, include_persons=inc, metrics=metrics or None,
              about=[*choice.about(lang, mask), *view.notes(lang)], **(style or {}))
        return choice

    # -- maps ----------------------------------------------------------------------------------
    def map_response(view: View, lang: str, size_by: str | None, inc: bool,
                     isolated: dict[str, str] | None = None,
                     peripheral: dict[str, str] | None = None) -> HTMLResponse:
        """The map page of ``view``, its nodes sized by ``size_by`` of the run of the view's lens
        and year (:meth:`Service.run_choice`), which the page names with its notes; headers
        as an export's (:func:`_run_headers`)."""
        from maillage.api.maps import map_page

        choice = svc.run_choice(view.lens, view.as_of, "map")
        metrics = svc.metrics_for(view.order or view.sub.actors, choice.run.id)[1] if choice.run else {}
        if size_by is not None:
            known = sorted({k for v in metrics.values() for k in v})
            if size_by not in known:
                run = choice.run.id if choice.run else None
                raise BadRequest(f"Métrique inconnue « {size_by} » pour la taille ; " + (
                                 f"métriques de l'analyse {run} : {', '.join(known) or 'aucune'}." if run
                                 else "aucune analyse (lancez maillage analyse)."),
                                 f"Unknown metric '{size_by}' for size; " + (
                                 f"metrics of run {run}: {', '.join(known) or 'none'}." if run
                                 else "no analysis run (run maillage analyse)."))
        sub = view.sub if inc else masked(view.sub, svc.masker())
        with svc.store() as s:
            sources = s.sources()
        html = map_page(sub, view.title, lang=lang, metrics=metrics or None, size_by=size_by,
                        redact=None if inc else svc.person_groups(), isolated=isolated, run=choice, sources=sources,
                        peripheral=peripheral)
        return HTMLResponse(html, headers=_run_headers(choice, lang, None if inc else svc.source_mask())
                            if size_by is not None else None)

    @app.get("/map/actor/{actor_id}", tags=["cartes"],
             responses={200: _HTML, **_PERSONS_ERRORS}, summary="Carte d'un voisinage")
    def map_actor(request: Request, actor_id: ActorId,
                  depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 1,
                  lens: MapLens = None, as_of: AsOf = None, size_by: SizeBy = None, limit: Limit = DEFAULT_LIMIT,
                  include_persons: Persons = False, lang: Lang = "fr") -> HTMLResponse:
        """Carte interactive du voisinage d'un acteur. / Interactive map of an actor's neighbourhood."""
        inc = persons(request, include_persons)
        return map_response(svc.neighbourhood(actor_id, depth, None, lens, as_of, limit, inc, lang), lang, size_by, inc)

    @app.get("/map/pole/{pole_id}", tags=["cartes"],
             responses={200: _HTML, **_PERSONS_ERRORS}, summary="Carte d'un pôle")
    def map_pole(request: Request, pole_id: PoleId, lens: MapLens = None, as_of: AsOf = None, size_by: SizeBy = None,
                 limit: Limit = DEFAULT_LIMIT, include_persons: Persons = False, lang: Lang = "fr") -> HTMLResponse:
        """Carte interactive d'un pôle (avec ``lens`` : celui de son export par cette lentille).
        / Interactive map of a pôle (with ``lens``: its export's view through that lens)."""
        inc = persons(request, include_persons)
        return map_response(svc.pole_subgraph(pole_id, as_of, limit, inc, lang, lens), lang, size_by, inc)

    @app.get("/map/territory/{tid}", tags=["cartes"],
             responses={200: _HTML, **_PERSONS_ERRORS}, summary="Carte d'un territoire")
    def map_territory(request: Request, tid: TerritoryId, lens: MapLens = None, as_of: AsOf = None,
                      size_by: SizeBy = None, limit: Limit = DEFAULT_LIMIT, include_persons: Persons = False,
                      lang: Lang = "fr") -> HTMLResponse:
        """Carte interactive d'un territoire, ses acteurs isolés entourés de magenta, les périphériques
        d'orange. / Interactive map of a territory, its isolated actors circled in magenta, the
        peripheral ones in orange."""
        inc = persons(request, include_persons)
        view = svc.territory_subgraph(tid, as_of, limit, inc, lang, lens)
        marks = svc.territory_marks(tid, as_of, lang)
        return map_response(view, lang, size_by, inc, marks["isolated"], marks["peripheral"])

    @app.get("/map/path", tags=["cartes"],
             responses={200: _HTML, **_PERSONS_ERRORS}, summary="Carte d'un chemin")
    def map_path(request: Request,
                 source: Annotated[str, Query(examples=[m.EXAMPLE_MEMBER])],
                 target: Annotated[str, Query(examples=[m.EXAMPLE_POLE])],
                 lens: Annotated[str, Query()] = "cooperation", as_of: AsOf = None,
                 max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 6, size_by: SizeBy = None,
                 include_persons: Persons = False, lang: Lang = "fr") -> HTMLResponse:
        """Carte interactive du plus court chemin entre deux acteurs. / Map of the shortest path."""
        inc = persons(request, include_persons)
        return map_response(svc.path(source, target, lens, as_of, max_hops, inc, lang), lang, size_by, inc)

    # -- writes ----------------------------------------------------------------------------------
    @app.post("/api/load", tags=["écriture"], response_model=m.LoadReportOut, summary="Charger un fichier / Load a file",
              responses={**_ERRORS,
                         401: {"model": m.ErrorOut, "description": "Jeton absent ou faux / Missing or wrong token"},
                         403: {"model": m.ErrorOut, "description": "Écritures désactivées, ou base en lecture "
                               "seule pour le service / Writes disabled, or a store the service may only read"},
                         413: {"model": m.ErrorOut, "description": "Fichier trop volumineux / Too large"}},
              dependencies=[Depends(_BEARER)],
              openapi_extra={"requestBody": {"required": True, "content": {
                  "multipart/form-data": {"schema": {
                      "type": "object", "required": ["file"],
                      "properties": {
                          "file": {"type": "string", "format": "binary",
                                   "description": "Le fichier (CSV, XLSX, ODS, JSONL…) / The file"},
                          "format": {"type": "string", "description": "Format (détecté par défaut) / Format"},
                          "pole": {"type": "string", "description": "Listes de membres : le pôle / Member lists: the pôle"},
                          "year": {"type": "string", "pattern": r"^\s*\d{4}(\s*-\s*\d{4})?\s*$", "examples": ["2025"],
                                   "description": "Listes de membres : l'année dont le fichier est la liste des "
                                                  "membres du pôle (2025, ou une période 2024-2025, de 1900 à "
                                                  "l'année prochaine), comme `maillage load --year` : un membre "
                                                  "absent de la liste d'une année suivante en est sorti ; autre "
                                                  "valeur : 422. Équivaut à option=year=… / Member lists: the year "
                                                  "whose list of the pôle's members the file is (2025, or a span "
                                                  "2024-2025, from 1900 to next year), as `maillage load --year`; "
                                                  "another value: 422"},
                          "option": {"type": "array", "items": {"type": "string"},
                                     "description": "Option du format CLÉ=VALEUR (répétable) / Format option KEY=VALUE"},
                          "duplicate": {"type": "boolean",
                                        "description": "Charger même si une source a déjà ce contenu (une copie : "
                                                       "chaque lien compté deux fois) / Load even when a source "
                                                       "already has this content"}}}}}}})
    async def load(request: Request, lang: Lang = "fr") -> Response:
        """Charge un fichier avec les mêmes chargeurs que ``maillage load`` et renvoie le compte
        rendu ; recharger le même nom de fichier remplace ce qu'il disait ; une copie d'un fichier
        déjà chargé sous un autre nom est refusée (400) sauf avec ``duplicate``. Jeton requis.
        / Loads a file with the same loaders as ``maillage load``; a copy of a loaded file under
        another name is refused unless ``duplicate``; token required."""
        if token is None:
            raise Forbidden("Écritures désactivées : le service a été lancé sans jeton (MAILLAGE_API_TOKEN).",
                            "Writes disabled: the service was started without a token (MAILLAGE_API_TOKEN).")
        if not authorised(request):
            raise Unauthorized("Jeton absent ou invalide (Authorization: Bearer …).",
                               "Missing or invalid token (Authorization: Bearer …).",
                               headers={"WWW-Authenticate": "Bearer"})
        svc.check_writable()  # a store served read-only: said (403) before the upload is read
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise BadRequest("Corps attendu en multipart/form-data avec un champ « file ».",
                             "Expected a multipart/form-data body with a 'file' field.")
        try:
            form = await request.form(max_files=1, max_fields=100)
        except (StarletteHTTPException, ApiError):
            raise
        except Exception as e:  # noqa: BLE001 - python-multipart's parse errors
            raise BadRequest(f"Corps multipart illisible : {e}", f"Unreadable multipart body: {e}") from None
        try:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise BadRequest("Champ « file » manquant (un fichier).", "Missing 'file' field (a file).")
            options: dict[str, str] = {}
            for item in form.getlist("option"):
                key, sep, value = str(item).partition("=")
                if not sep or not key.strip():
                    raise BadRequest(f"Option « {item} » : attendu CLÉ=VALEUR.", f"Option '{item}': expected KEY=VALUE.")
                options[key.strip()] = value.strip()
            pole = form.get("pole")
            if isinstance(pole, str) and pole.strip():
                options["pole"] = pole.strip()
            # a member list's year: the field « year » (as --year) or option=year=…, checked alike (422)
            year = form.get("year")
            if year is not None and not isinstance(year, str):
                raise Invalid("Champ « year » : attendu un texte (2025), pas un fichier.",
                              "Field 'year': expected text (2025), not a file.")
            given = upload_year(year) if year and year.strip() else None
            if options.get("year"):
                from_option = upload_year(options["year"], "option year")
                if given is not None and from_option != given:
                    raise Invalid(f"Deux années différentes : year={given} et option=year={from_option} ; donnez "
                                  "l'année une seule fois (le champ « year »).",
                                  f"Two different years: year={given} and option=year={from_option}; give the "
                                  "year once (the field 'year').")
                given = from_option
            if given is not None:
                options["year"] = given
            fmt = form.get("format")
            fmt = fmt.strip() if isinstance(fmt, str) and fmt.strip() else None

            def chunks():
                upload.file.seek(0)
                while block := upload.file.read(1 << 20):
                    yield block

            duplicate = str(form.get("duplicate") or "").strip().casefold() in ("1", "true", "oui", "yes", "on")
            report = await run_in_threadpool(svc.load, upload.filename or "", chunks(), fmt, options, lang,
                                             duplicate)
        finally:
            await form.close()
        return json_response(report)

    # -- explorer ----------------------------------------------------------------------------------
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")

    @app.get("/", include_in_schema=False)
    def index(lang: Lang = "fr") -> Response:
        if not (STATIC_DIR / "index.html").is_file():
            return HTMLResponse(_MISSING_EXPLORER[lang])
        from maillage.api.maps import explorer_page

        # vis-network and the vocabulary's colours and labels are inlined by the server
        return HTMLResponse(explorer_page(lang))

    return app


#: the page ``/`` shows when the explorer's index.html is missing, in French and in English
_MISSING_EXPLORER = {
    "fr": """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>maillage</title></head>
<body><h1>maillage</h1>
<p>L'explorateur n'est pas installé (maillage/api/static/index.html manque).
L'API répond : voir <a href="/docs">/docs</a>.</p></body></html>
""",
    "en": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>maillage</title></head>
<body><h1>maillage</h1>
<p>The explorer is not installed (maillage/api/static/index.html is missing).
The API answers: see <a href="/docs">/docs</a>.</p></body></html>
""",
}


def _territory_diagnostic_model():
    from maillage.analytics.territory import TerritoryDiagnostic

    return TerritoryDiagnostic


def _suggestions_model():
    from maillage.analytics.suggestions import PartnerSuggestions

    return PartnerSuggestions


def _run_headers(choice: Any, lang: str, mask: Callable[[str], str] | None = None) -> dict[str, str]:
    """``X-Maillage-Run``: the run whose metrics an export carries (none without a run);
    ``X-Maillage-Notes``: what :meth:`~maillage.api.export_view.RunChoice.notes` says (« | »
    between notes), through ``mask`` if given (a note names the sources loaded since the run).
    A header is ASCII for most clients: the notes' other characters are percent-encoded UTF-8
    (« derni%C3%A8re »; ``urllib.parse.unquote``, ``decodeURIComponent``)."""
    from urllib.parse import quote

    out = {"X-Maillage-Run": choice.run.id} if choice.run else {}
    notes = " | ".join(mask(n) if mask is not None else n for n in choice.notes(lang))
    if notes:
        out["X-Maillage-Notes"] = quote(notes, safe=_HEADER_SAFE)
    return out


#: The printable ASCII a note keeps as it is in its header (every one but « % »).
_HEADER_SAFE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "%")


# ---------------------------------------------------------------------------------------------
# errors, mapped once

_STATUS_TEXT = {
    404: ("Chemin inconnu : voir /docs.", "Unknown path: see /docs."),
    405: ("Méthode non permise sur ce chemin.", "Method not allowed on this path."),
    413: ("Requête trop volumineuse (limite : {mb} Mo).", "Request too large (limit: {mb} MB)."),
}


def validation_message_fr(e: dict[str, Any]) -> str:
    """A parameter's validation error (one item of pydantic's ``errors()``) said in French, with
    the value received: the English of pydantic (« Input should be less than or equal to 200 »)
    stays in the response's ``errors``, for programs, and in ``?lang=en``.

    >>> validation_message_fr({"type": "less_than_equal", "ctx": {"le": 200}, "input": "500"})
    'attendu au plus 200, reçu « 500 »'
    >>> validation_message_fr({"type": "literal_error", "ctx": {"expected": "'fr' or 'en'"}, "input": "de"})
    "attendu 'fr' ou 'en', reçu « de »"
    >>> validation_message_fr({"type": "missing", "input": None})
    'paramètre obligatoire absent'
    """
    kind, ctx, value = str(e.get("type", "")), e.get("ctx") or {}, e.get("input")
    got = f", reçu « {value} »" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
    if kind == "missing":
        return "paramètre obligatoire absent"
    bounds = {"less_than_equal": ("le", "au plus"), "less_than": ("lt", "moins de"),
              "greater_than_equal": ("ge", "au moins"), "greater_than": ("gt", "plus de")}
    if kind in bounds and bounds[kind][0] in ctx:
        key, words = bounds[kind]
        return f"attendu {words} {ctx[key]}{got}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"attendu un nombre entier{got}"
    if kind in ("float_parsing", "float_type"):
        return f"attendu un nombre{got}"
    if kind in ("bool_parsing", "bool_type"):
        return f"attendu true ou false{got}"
    if kind in ("literal_error", "enum") and "expected" in ctx:
        return f"attendu {str(ctx['expected']).replace(' or ', ' ou ')}{got}"
    if kind == "string_too_long" and "max_length" in ctx:
        return f"au plus {ctx['max_length']} caractères"
    if kind == "string_too_short" and "min_length" in ctx:
        from maillage.writing import counted

        return f"au moins {counted(ctx['min_length'], 'caractère', 'caractères')}"
    if kind == "string_pattern_mismatch" and "pattern" in ctx:
        return f"forme attendue : {ctx['pattern']}{got}"
    return f"valeur refusée{got} ({e.get('msg', kind)})"


def _handlers(app: FastAPI, max_upload_mb: int) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return json_response({"detail": exc.message(_lang(request))}, exc.status, exc.headers)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, f"Introuvable : {exc}", f"Not found: {exc}")

    @app.exception_handler(VocabularyError)
    async def vocabulary_error(request: Request, exc: VocabularyError) -> Response:
        return _error(request, 400, f"Paramètre invalide : {exc}", f"Invalid parameter: {exc}")

    @app.exception_handler(ValidationError)
    async def model_error(request: Request, exc: ValidationError) -> Response:
        raise exc  # a response that does not fit its model is a bug: 500, never a 400

    @app.exception_handler(ValueError)
    async def value_error(request: Request, exc: ValueError) -> Response:
        return _error(request, 400, f"Paramètre invalide : {exc}", f"Invalid parameter: {exc}")

    @app.exception_handler(ReadOnlyStore)
    async def read_only_store(request: Request, exc: ReadOnlyStore) -> Response:
        from maillage.loaders.motifs import motif

        # the store answers, but this server's user may not write it: 403, retrying will not help (a 503 says it may)
        return _error(request, 403, f"Écriture refusée : {motif(str(exc))}", f"Write refused: {exc}")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        from maillage.loaders.motifs import motif  # the store says it in English; its French from the table

        return _error(request, 503, f"Base indisponible : {motif(str(exc))}", f"Store unavailable: {exc}")

    @app.exception_handler(sqlite3.Error)
    async def sqlite_error(request: Request, exc: sqlite3.Error) -> Response:
        return _error(request, 503, f"Base indisponible : {exc}", f"Store unavailable: {exc}")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        raw = list(exc.errors())
        errors = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
                  for e in raw]
        named = list(dict.fromkeys(e["loc"][-1] for e in errors if e["loc"]))
        where = ", ".join(named) or "?"
        several = len(named) > 1  # « Paramètre invalide : size », « Paramètres invalides : as_of, depth »
        fr = [validation_message_fr(e) for e in raw]
        if len(raw) > 1:  # several: each message says which parameter it is about
            fr = [f"{e['loc'][-1]} : {m}" if e["loc"] else m for e, m in zip(errors, fr)]
        elif fr:
            fr[0] = fr[0][:1].upper() + fr[0][1:]
        return _error(request, 422, f"{'Paramètres invalides' if several else 'Paramètre invalide'} : {where}. "
                      + " ; ".join(fr), f"{'Invalid parameters' if several else 'Invalid parameter'}: {where}. "
                      + "; ".join(e["msg"] for e in errors), errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        fr, en = _STATUS_TEXT.get(exc.status_code, (str(exc.detail), str(exc.detail)))
        return _error(request, exc.status_code, fr.format(mb=max_upload_mb), en.format(mb=max_upload_mb),
                      getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        if type(exc).__module__.split(".")[0] == "neo4j":
            return _error(request, 503, f"Base Neo4j indisponible : {exc}", f"Neo4j store unavailable: {exc}")
        return _error(request, 500, "Erreur interne du service.", "Internal service error.")


# ---------------------------------------------------------------------------------------------
# running it

def serve(store_uri: str | None, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          cors: list[str] | None = None, reload: bool = False, max_upload_mb: int = 50, lang: str = "fr") -> None:
    """Run the API with uvicorn (``maillage serve``): the store at ``store_uri``, the token from
    ``token`` or ``$MAILLAGE_API_TOKEN`` (none: writes disabled), CORS for ``cors`` origins.
    ``reload`` restarts on code changes (development; the settings then pass through the
    environment). Loopback by default: serving beyond it is the operator's decision. ``lang``:
    what the server prints, French by default — its own start line with the address to open,
    uvicorn's start-up lines quiet (:mod:`maillage.api.server_log`) — or uvicorn's English.

    >>> callable(serve)
    True
    """
    import uvicorn

    from .server_log import log_config

    token = token or os.environ.get(TOKEN_ENV) or None
    cors = list(cors or [])
    if reload:
        os.environ["MAILLAGE_STORE"] = store_uri or os.environ.get("MAILLAGE_STORE", "") or "maillage.db"
        if token:
            os.environ[TOKEN_ENV] = token
        os.environ["MAILLAGE_API_CORS"] = ",".join(cors)
        os.environ["MAILLAGE_API_MAX_UPLOAD_MB"] = str(max_upload_mb)
        uvicorn.run("maillage.api.app:app_from_env", factory=True, host=host, port=port, reload=True,
                    log_level="info", log_config=log_config(lang))
        return
    app = create_app(store_uri, token=token, cors_origins=cors, max_upload_mb=max_upload_mb, warm=True)
    uvicorn.run(app, host=host, port=port, log_level="info", log_config=log_config(lang))


def app_from_env() -> FastAPI:
    """The app configured from the environment (``MAILLAGE_STORE``, ``MAILLAGE_API_TOKEN``,
    ``MAILLAGE_API_CORS`` comma-separated, ``MAILLAGE_API_MAX_UPLOAD_MB``, ``MAILLAGE_API_TELEMETRY``,
    ``MAILLAGE_API_WARM`` (default on),
    ``MAILLAGE_API_RESPONSE_CACHE_MB``): for
    ``uvicorn --factory maillage.api.app:app_from_env`` and ``serve(reload=True)``."""
    cors = [c for c in os.environ.get("MAILLAGE_API_CORS", "").split(",") if c.strip()]
    return create_app(None, token=os.environ.get(TOKEN_ENV) or None, cors_origins=cors,
                      telemetry=os.environ.get("MAILLAGE_API_TELEMETRY", "").lower() in ("1", "true", "yes"),
                      warm=os.environ.get("MAILLAGE_API_WARM", "1").lower() not in ("0", "false", "no"),
                      max_upload_mb=int(os.environ.get("MAILLAGE_API_MAX_UPLOAD_MB", "50")),
                      response_cache_mb=int(os.environ.get("MAILLAGE_API_RESPONSE_CACHE_MB", "64")))


__all__ = ["create_app", "serve", "app_from_env", "json_response", "masked", "EXPORT_MEDIA", "TOKEN_ENV"]
