"""API contract: schemathesis against the app's own OpenAPI document, on the reference dataset.

Every operation of ``/openapi.json`` is exercised through ASGI (no server): the examples of the
schema (real ids of the reference data, so the 200 paths are reached), boundary values
(coverage phase) and a few generated cases (fuzzing, derandomised: the same cases on every
run). Checks: no 5xx, every response conforms to its documented schema, status code and
content type. Kept small (a handful of fuzzed cases per operation) so the file runs in
well under two minutes on two CPUs.

The last tests show the harness fails when it should: a node missing its label, or an
undocumented status, is reported as a failure.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)
from schemathesis.core.failures import FailureGroup

from maillage.analytics.run import analyse
from maillage.api import service as service_module
from maillage.api.app import create_app
from maillage.api.models import EXAMPLE_POLE
from maillage.graph import open_store
from maillage.loaders import load_reference

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
CONFIG = schemathesis.Config.from_dict({"seed": 20240601, "generation": {"max-examples": 6}})


def _reference_app():
    """The app on a fresh store holding the reference dataset, analysed. Built at import:
    schemathesis' lazy loader (``schemathesis.pytest.from_fixture``) does not run under
    pytest 9 (it sets ``request.node._nodeid``, which pytest 9 no longer has)."""
    path = Path(tempfile.mkdtemp(prefix="maillage-contract-")) / "reference.db"
    store = open_store(str(path))
    load_reference(store, rejects_dir=path.parent / "rejects")
    analyse(store)
    store.close()
    atexit.register(shutil.rmtree, path.parent, True)
    return create_app(str(path), token=None, max_upload_mb=1)


APP = _reference_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)


@pytest.fixture(scope="module")
def contract_app():
    yield APP
    APP.state.service.close()


@pytest.fixture
def api_schema():
    return schema


@schema.parametrize()
@settings(max_examples=6, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case):
    case.call_and_validate(checks=CHECKS)


def _subgraph_case(api_schema):
    op = api_schema["/api/poles/{pole_id}/subgraph"]["GET"]
    return op.Case(path_parameters={"pole_id": EXAMPLE_POLE})


def test_the_contract_check_passes_on_a_real_subgraph(api_schema):
    case = _subgraph_case(api_schema)
    response = case.call()
    assert response.status_code == 200 and len(response.json()["nodes"]) > 10
    case.validate_response(response, checks=CHECKS)


def test_the_contract_check_catches_a_node_that_breaks_its_model(api_schema, contract_app, monkeypatch):
    real = service_module.node_dict
    monkeypatch.setattr(service_module, "node_dict", lambda a, lang, m: {**real(a, lang, m), "label": None})
    contract_app.state.service.invalidate()
    case = _subgraph_case(api_schema)
    with pytest.raises(FailureGroup) as failed:
        case.validate_response(case.call(), checks=CHECKS)
    assert "label" in str(failed.value.exceptions[0])


def test_a_server_error_fails_the_contract_test(api_schema, contract_app, monkeypatch):
    from fastapi.testclient import TestClient

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(contract_app.state.service, "poles", broken)
    case = api_schema["/api/poles"]["GET"].Case()
    with pytest.raises(RuntimeError, match="boom"):  # the ASGI transport re-raises what the app raised
        case.call_and_validate(checks=CHECKS)
    response = TestClient(contract_app, raise_server_exceptions=False).get("/api/poles")
    assert response.status_code == 500 and response.json() == {"detail": "Erreur interne du service."}
