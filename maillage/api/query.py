"""The query strings of the subgraph endpoints, each read in one validation.

FastAPI validates a declared query parameter on its own and inspects its annotation again on
every request: the neighbourhood's seven parameters cost about 0.1 ms of CPU per request, as
much as the whole trivial endpoint (``query_overhead`` in ``bench/api_bench.py``, figures in
``docs/benchmarks.md``). The four subgraph endpoints (neighbourhood, pôle, territory, path),
the ones an explorer calls at every click, declare their query as one pydantic model instead:
:func:`parameters` gives its OpenAPI parameters (the same objects FastAPI writes for declared
parameters, so ``/openapi.json``, ``/docs`` and the contract tests see the same contract), and
:func:`read` validates a request's query string against it in one call, raising FastAPI's own
``RequestValidationError`` (same 422 body as any other parameter). A repeated parameter
counts once (its last value), as FastAPI does; an unknown one is refused by the route
(:class:`maillage.api.app.CheckedRoute`), as for declared parameters.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import models as m
from .service import DEFAULT_LIMIT, MAX_DEPTH, MAX_HOPS, MAX_LIMIT

LANG = "Langue des libellés et messages / Language of labels"
YEAR = "Année : liens actifs cette année-là / Year: ties active that year"
ITEMS = ("Noms par liste (la taille compte toujours tout ; les isolés sont tous donnés) "
         "/ Names per listing (sizes still count all; every isolated actor is given)")
PERSONS = "Inclure les personnes physiques (jeton requis) / Include natural persons (token required)"
LIMIT = f"Plafond d'acteurs (≤ {MAX_LIMIT}) / Actor cap"
LENS = "Lentille / Lens"

Q = TypeVar("Q", bound="ViewQuery")


class ViewQuery(BaseModel):
    """What every subgraph view takes: a year, persons or not, a language."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    as_of: int | None = Field(None, ge=1800, le=2200, description=YEAR, examples=[2016])
    include_persons: bool = Field(False, description=PERSONS)
    lang: Literal["fr", "en"] = Field("fr", description=LANG)


class CappedQuery(ViewQuery):
    """A view capped at ``limit`` actors (pôle and territory subgraphs)."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT)


class LensQuery(CappedQuery):
    """A capped view through a lens (pôle and territory subgraphs: their export's view,
    :func:`~maillage.analytics.views.view_types`)."""

    lens: str | None = Field(None, description=LENS, examples=["cooperation"])


class NeighbourhoodQuery(LensQuery):
    depth: int = Field(1, ge=1, le=MAX_DEPTH, description="Distance (1 à 3) / Depth")
    types: str | None = Field(None, description="Types de relation, séparés par des virgules "
                                                "/ Relation types, comma-separated",
                              examples=["membership,cooperates"])


class PathQuery(ViewQuery):
    source: str = Field(description="Acteur de départ / From", examples=[m.EXAMPLE_MEMBER])
    target: str = Field(description="Acteur d'arrivée / To", examples=[m.EXAMPLE_POLE])
    lens: str = Field("cooperation", description=LENS)
    max_hops: int = Field(6, ge=1, le=MAX_HOPS, description="Liens au plus / Most ties")


def parameters(model: type[ViewQuery]) -> list[dict[str, Any]]:
    """The OpenAPI parameter objects of ``model``'s fields, as FastAPI writes them for
    declared query parameters (for a route's ``openapi_extra``)."""
    schema = model.model_json_schema()["properties"]
    return [{"name": name, "in": "query", "required": field.is_required(), "schema": schema[name],
             "description": field.description}
            for name, field in model.model_fields.items()]


def read(model: type[Q], request: Request) -> Q:
    """``request``'s query string validated against ``model`` (``RequestValidationError``
    naming each bad parameter, located in ``query`` as FastAPI does)."""
    try:
        return model.model_validate(dict(request.query_params))
    except ValidationError as e:
        raise RequestValidationError([{**err, "loc": ("query", *err["loc"])}
                                      for err in e.errors(include_url=False)]) from None
