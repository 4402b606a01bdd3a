"""The API's contract under sequences of calls and under invalid input: schemathesis 4, stateful
and negative, against the app on the reference dataset (ASGI, no server).

**Stateful.** The OpenAPI document gets links from each listing to the records it names (a
search → the actor's record, neighbourhood, map, exports, suggestions, a path between two of
its hits; an actor → its territory, its neighbours; a pôle list → the pôle's subgraph, map,
diagnostic, export; a subgraph → one of its nodes; the runs → a run's values), on top of the
links schemathesis infers itself. Its state machine then chains calls along them with real ids
taken from earlier responses, so the 200 paths of every linked operation are reached, not
only the 404 of a made-up id. Checks at each step: no 5xx, the response conforms to its schema,
its status is documented, its content type too; ``use_after_free`` and
``ensure_resource_availability`` (a resource an earlier response named is still there).

**Negative.** Every operation with inputs that break its schema (wrong types, out-of-range
integers — depth 4, size 201, limit 2001, k 51, years outside 1800–2200 —, values outside the
enums — lang, format, fmt —, unknown methods), from the coverage phase (boundaries, derandomised)
and the fuzzing phase: each must be rejected with a documented 4xx (``negative_data_rejection``),
never a 2xx or a 5xx, and the 4xx body must conform to the error model.

The writes need the token, which schemathesis does not have: every generated ``POST
/api/load`` is refused and the store is unchanged at the end. The harness can fail: a pôle
subgraph that loses a node's label is caught by the state machine through the links.

**Every link, deterministically.** Which links the state machine follows, and with what, hangs on
Hypothesis' draws, and ``derandomize`` does not pin those: Hypothesis mixes into its draws the
constants of the project's modules loaded at the time (its « local constants »), so any edit of
maillage's code, or another test file importing more of it first, changes the sequences (a link
to ``GET /api/actors/{actor_id}`` was followed to a 200 between 0 and 19 times, 1 time with one
seed). So each link of :data:`LINKS` is also followed once from a fixed request, and must lead to
a 200 that keeps the contract; and every actor a listing or a pôle's subgraph names is served.

Figures (cases run, operations reached) are printed with ``-s`` and asserted as lower bounds.
"""

from __future__ import annotations

import atexit
import copy
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import ensure_resource_availability, negative_data_rejection, use_after_free

from maillage.analytics.run import analyse
from maillage.api import service as service_module
from maillage.api.app import create_app
from maillage.api.models import EXAMPLE_MEMBER, EXAMPLE_POLE, EXAMPLE_TERRITORY
from maillage.graph import open_store
from maillage.loaders import load_reference

from _loading import store_snapshot

TOKEN = "jeton-etat-5e1a"
SEED = 20240602
STATEFUL_CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
                   content_type_conformance, use_after_free, ensure_resource_availability]
NEGATIVE_CHECKS = [not_a_server_error, negative_data_rejection, response_schema_conformance,
                   status_code_conformance, content_type_conformance]


def _reference_db() -> Path:
    """A fresh store holding the reference dataset, analysed. Built at import, like
    tests/test_api_contract.py (schemathesis' lazy fixture loader does not run under pytest 9)."""
    path = Path(tempfile.mkdtemp(prefix="maillage-stateful-")) / "reference.db"
    store = open_store(str(path))
    load_reference(store, rejects_dir=path.parent / "rejects")
    analyse(store)
    store.close()
    atexit.register(shutil.rmtree, path.parent, True)
    return path


DB = _reference_db()
APP = create_app(str(DB), token=TOKEN, max_upload_mb=1)
RAW = TestClient(APP).get("/openapi.json").json()

# (source operation, status) → {link name: (target operation, {parameter: runtime expression})}
LINKS: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "actors_api_actors_get": {
        "record": ("actor_api_actors__actor_id__get", {"actor_id": "$response.body#/items/0/id"}),
        "neighbourhood": ("neighbourhood_api_actors__actor_id__neighbourhood_get",
                          {"actor_id": "$response.body#/items/0/id"}),
        "map": ("map_actor_map_actor__actor_id__get", {"actor_id": "$response.body#/items/0/id"}),
        "export": ("export_api_export__fmt__get", {"actor": "$response.body#/items/0/id"}),
        "suggestions": ("suggestions_api_suggestions_get", {"actor": "$response.body#/items/0/id"}),
        "path": ("path_api_path_get", {"source": "$response.body#/items/0/id", "target": "$response.body#/items/1/id"}),
        "map_path": ("map_path_map_path_get",
                     {"source": "$response.body#/items/0/id", "target": "$response.body#/items/1/id"}),
    },
    "actor_api_actors__actor_id__get": {
        "neighbour": ("actor_api_actors__actor_id__get", {"actor_id": "$response.body#/neighbours/0/id"}),
        "territory_subgraph": ("territory_subgraph_api_territories__tid__subgraph_get",
                               {"tid": "$response.body#/actor/location"}),
        "territory_actors": ("territory_actors_api_territories__tid__actors_get", {"tid": "$response.body#/actor/location"}),
        "map_territory": ("map_territory_map_territory__tid__get", {"tid": "$response.body#/actor/location"}),
    },
    "neighbourhood_api_actors__actor_id__neighbourhood_get": {
        "node": ("actor_api_actors__actor_id__get", {"actor_id": "$response.body#/nodes/1/id"}),
        "path": ("path_api_path_get", {"source": "$request.path.actor_id", "target": "$response.body#/nodes/1/id"}),
    },
    "poles_api_poles_get": {
        "map": ("map_pole_map_pole__pole_id__get", {"pole_id": "$response.body#/0/id"}),
        "export": ("export_api_export__fmt__get", {"pole": "$response.body#/0/id"}),
        "suggestions": ("suggestions_api_suggestions_get", {"pole": "$response.body#/0/id"}),
    },
    "pole_subgraph_api_poles__pole_id__subgraph_get": {
        "node": ("actor_api_actors__actor_id__get", {"actor_id": "$response.body#/nodes/1/id"}),
    },
    "territory_actors_api_territories__tid__actors_get": {
        "record": ("actor_api_actors__actor_id__get", {"actor_id": "$response.body#/items/0/id"}),
        "isolated": ("territory_isolated_api_territories__tid__isolated_get", {"tid": "$request.path.tid"}),
        "diagnostic": ("territory_diagnostic_api_territories__tid__diagnostic_get", {"tid": "$request.path.tid"}),
        "export": ("export_api_export__fmt__get", {"territory": "$request.path.tid"}),
    },
}


def _with_links(raw: dict) -> dict:
    """The OpenAPI document with :data:`LINKS` added to the 200 responses."""
    spec = copy.deepcopy(raw)
    ops = {op["operationId"]: op for item in spec["paths"].values() for op in item.values() if "operationId" in op}
    for source, links in LINKS.items():
        response = ops[source]["responses"]["200"]
        for name, (target, params) in links.items():
            assert target in ops, target
            response.setdefault("links", {})[name] = {"operationId": target, "parameters": params}
    return spec


CONFIG = schemathesis.Config.from_dict({"seed": SEED, "generation": {"max-examples": 8}})
SCHEMA = schemathesis.openapi.from_dict(_with_links(RAW), config=CONFIG)
SCHEMA.app = APP
NEGATIVE = schemathesis.openapi.from_asgi(
    "/openapi.json", APP, config=schemathesis.Config.from_dict(
        {"seed": SEED, "generation": {"max-examples": 4, "mode": "negative"},
         # one unknown method per operation is enough (405 on every path: tests/test_api_abuse.py)
         "phases": {"coverage": {"unexpected-methods": ["delete"]}}})).include(
    # an operation that takes no parameter and no body has no invalid input to send (schemathesis
    # skipped it, « Impossible to generate negative test cases »); the positive cases of
    # tests/test_api_contract.py exercise it
    func=lambda ctx: bool(ctx.operation.definition.raw.get("parameters")
                          or ctx.operation.definition.raw.get("requestBody")))

CALLS: list[tuple[str, int, str]] = []  # (operation, status, mode) of every call, for the figures
SETTINGS = dict(deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))


def _machine(schema, calls: list):
    base = schema.as_state_machine()

    class Machine(base):  # type: ignore[misc, valid-type]
        def step(self, input):
            output = super().step(input)
            # "linked": the call carries a value a link took from an earlier response
            calls.append((input.case.operation.label, output.response.status_code,
                          "linked" if input.transition is not None and input.applied_parameters else "stateful"))
            return output

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=STATEFUL_CHECKS, recorder=self.recorder)

    return Machine


@pytest.fixture(scope="module")
def before():
    store = open_store(str(DB))
    try:
        yield store_snapshot(store), [r.id for r in store.runs()]
    finally:
        store.close()


# ---------------------------------------------------------------------------------------------
# stateful

def test_links_are_known_to_the_state_machine():
    transitions = SCHEMA.statistic.transitions
    explicit = sum(len(v) for v in LINKS.values())
    assert transitions.total >= explicit, (transitions, explicit)


#: For each source of :data:`LINKS`, a fixed request whose answer the links lead from: path
#: parameters, query. « periscope » finds the pôle first and, second, an actor a path joins it to.
SOURCES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "actors_api_actors_get": ({}, {"q": "periscope"}),
    "actor_api_actors__actor_id__get": ({"actor_id": EXAMPLE_MEMBER}, {}),
    "neighbourhood_api_actors__actor_id__neighbourhood_get": ({"actor_id": EXAMPLE_POLE}, {}),
    "poles_api_poles_get": ({}, {}),
    "pole_subgraph_api_poles__pole_id__subgraph_get": ({"pole_id": EXAMPLE_POLE}, {}),
    "territory_actors_api_territories__tid__actors_get": ({"tid": EXAMPLE_TERRITORY}, {}),
}
#: A required parameter a link does not give (the export's format)
FILL = {"fmt": "json"}


def _operations(schema) -> dict:
    return {op.definition.raw["operationId"]: op for op in (r.ok() for r in schema.get_all_operations())}


def _resolve(expression: str, case, body):
    """An OpenAPI runtime expression of :data:`LINKS` on a request and its JSON answer."""
    if expression.startswith("$request.path."):
        return case.path_parameters[expression.removeprefix("$request.path.")]
    assert expression.startswith("$response.body#/"), expression
    value = body
    for part in expression.split("#/", 1)[1].split("/"):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def test_every_link_leads_to_a_record_that_keeps_the_contract():
    assert set(SOURCES) == set(LINKS)
    ops = _operations(SCHEMA)
    followed = []
    for source, links in LINKS.items():
        path, query = SOURCES[source]
        case = ops[source].Case(path_parameters=path or None, query=query or None)
        response = case.call()
        assert response.status_code == 200, (source, response.status_code)
        case.validate_response(response, checks=STATEFUL_CHECKS)
        body = response.json()
        for name, (target, params) in links.items():
            op = ops[target]
            where = {p["name"]: p["in"] for p in op.definition.raw.get("parameters", [])}
            given: dict[str, dict] = {"path": {}, "query": {}}
            for param, expression in params.items():
                given[where[param]][param] = _resolve(expression, case, body)
            for param, value in FILL.items():
                if where.get(param) == "path":
                    given["path"].setdefault(param, value)
            assert all(p in given[p_in] for p, p_in in where.items() if p_in == "path"), (source, name)
            linked = op.Case(path_parameters=given["path"] or None, query=given["query"] or None)
            got = linked.call()
            assert got.status_code == 200, (source, name, given, got.status_code, got.content[:300])
            linked.validate_response(got, checks=STATEFUL_CHECKS)
            followed.append((source, name))
    assert len(followed) == sum(len(v) for v in LINKS.values()) == 21


def test_every_actor_a_listing_names_is_served():
    """An id the search or a pôle's subgraph gives (persons masked) opens the actor's record."""
    api = TestClient(APP)
    ids, page = set(), 1
    while items := api.get("/api/actors", params={"page": page, "size": 200}).json()["items"]:
        ids |= {i["id"] for i in items}
        page += 1
    assert len(ids) == api.get("/api/actors").json()["total"] > 400
    for pole in api.get("/api/poles").json():
        r = api.get(f"/api/poles/{quote(pole['id'], safe='')}/subgraph")
        assert r.status_code == 200, pole["id"]
        ids |= {n["id"] for n in r.json()["nodes"]}
    refused = {}
    for actor in sorted(ids):
        r = api.get(f"/api/actors/{quote(actor, safe='')}")
        if r.status_code != 200:
            refused[actor] = r.status_code
    assert not refused, refused


def test_sequences_of_calls_keep_the_contract(before):
    calls: list = []
    machine = _machine(SCHEMA, calls)
    machine.run(settings=settings(max_examples=60, stateful_step_count=6, **SETTINGS))
    CALLS.extend(calls)
    ok = Counter(op for op, status, _ in calls if status == 200)
    # the links carried real ids: records behind them were reached, not only 404s. Which ones
    # hangs on the draws (module docstring): that each link leads to its record is
    # test_every_link_leads_to_a_record_that_keeps_the_contract's, deterministically
    linked = Counter(op for op, status, mode in calls if status == 200 and mode == "linked")
    assert sum(linked.values()) >= 10, sorted(linked.items())
    assert len(ok) >= 8, sorted(ok.items())
    assert not [c for c in calls if c[1] >= 500]
    print(f"\nstateful: {len(calls)} calls, {len(ok)} operations answered 200: {dict(sorted(ok.items()))}; "
          f"along links: {dict(sorted(linked.items()))}")


def test_the_state_machine_catches_a_broken_response_behind_a_link(monkeypatch):
    real = service_module.node_dict
    monkeypatch.setattr(service_module, "node_dict", lambda a, lang, m: {**real(a, lang, m), "label": None})
    APP.state.service.invalidate()
    machine = _machine(SCHEMA, [])
    try:
        with pytest.raises(FailureGroup) as failed:
            machine.run(settings=settings(max_examples=25, stateful_step_count=6, phases=[Phase.generate],
                                          **SETTINGS))
        assert "label" in str(failed.value.exceptions[0])
    finally:
        monkeypatch.undo()
        APP.state.service.invalidate()


# ---------------------------------------------------------------------------------------------
# negative data

#: Inputs outside the schema that the API ignores on purpose, as HTTP APIs commonly do: query
#: parameters it does not know (``?x-unknown=42``), and a ``Content-Type`` on a request without
#: a body. ``negative_data_rejection`` makes the same exceptions.
IGNORED = ("unexpected properties", "`additionalProperties`", "Content-Type")


def _ignored(case) -> bool:
    description = getattr(case.meta.phase.data, "description", None) or ""
    return any(x in description for x in IGNORED)


@NEGATIVE.parametrize()
@settings(max_examples=4, **SETTINGS)
def test_invalid_input_is_rejected_with_a_documented_4xx(case):
    response = case.call()
    negative = case.meta is not None and case.meta.generation.mode.is_negative
    mode = "ignored" if negative and _ignored(case) else "negative" if negative else "positive"
    CALLS.append((case.operation.label, response.status_code, mode))
    if mode == "negative":
        assert 400 <= response.status_code < 500, (case.operation.label, case.query, case.path_parameters,
                                                    getattr(case.meta.phase.data, "description", None),
                                                    response.status_code)
    else:
        assert response.status_code < 500
    case.validate_response(response, checks=NEGATIVE_CHECKS)


def test_writes_were_all_refused_and_the_store_is_unchanged(before):
    """Runs after the others (file order): whatever schemathesis sent, nothing was written."""
    loads = [s for op, s, _ in CALLS if op == "POST /api/load"]
    assert loads and all(s in (400, 401, 405, 413, 422) for s in loads), Counter(loads)
    store = open_store(str(DB))
    try:
        assert (store_snapshot(store), [r.id for r in store.runs()]) == before
    finally:
        store.close()
    negative = [c for c in CALLS if c[2] == "negative"]
    assert len(negative) >= 150 and all(400 <= s < 500 for _, s, _ in negative)
    assert len({op for op, _, _ in negative}) >= 20
    print(f"\nschemathesis: {len(CALLS)} calls in all ({dict(Counter(m for _, _, m in CALLS))}); negative cases "
          f"on {len({op for op, _, _ in negative})} operations, statuses {dict(Counter(s for _, s, _ in negative))}")
