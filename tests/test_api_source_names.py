"""A source named after a person (« entretien-Didier-Cognon.jsonl », or an id derived from the
name: « cr_cognon_didier_2019 ») never names that person in the API's views when persons are
left out: the relations' provenance (source and document ids, their labels) in an actor's
record, its neighbourhood, a pôle's or territory's subgraph and a path, the actor's
``sources`` and ``source_labels``, the views' notes and their ``X-Maillage-Notes`` header (a
source loaded after the run). The masked ids are the exports' (tests/test_export_source_names.py):
« maillage-jsonl:entretien-[personne 1].jsonl », the same in every view. With
``include_persons=true`` and the token, the ids are as they were loaded.

Before, the quotes were masked but the source ids, file names and document ids were served as
they were.
"""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph import open_store

from _person_sources import FILE, LATER, SOURCE_ID, build_store, traces

TOKEN = "jeton-sources-api-8c1d"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MASKED = {f"maillage-jsonl:{FILE}": "maillage-jsonl:entretien-[personne 1].jsonl",
          SOURCE_ID: "cr_[personne 1]_2019",
          f"maillage-jsonl:{LATER}": "maillage-jsonl:notes-[personne 1].jsonl"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("api-sources"))
    with open_store(str(path)) as s:
        assert set(MASKED) <= {src.id for src in s.sources()}
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(str(db), token=TOKEN)) as c:
        yield c


def _id(client, name: str) -> str:
    return next(a["id"] for a in client.get("/api/actors", params={"q": name}).json()["items"] if a["name"] == name)


@pytest.fixture(scope="module")
def urls(client):
    jardins, region = _id(client, "Les Jardins du Lauragais"), _id(client, "Région Occitanie")
    pole = _id(client, "Pôle Lauragais Solidaire")
    return {"actor": f"/api/actors/{jardins}", "coop": f"/api/actors/{_id(client, 'Coopérative Terres Communes')}",
            "neighbourhood": f"/api/actors/{jardins}/neighbourhood?depth=2",
            "pole": f"/api/poles/{pole}/subgraph", "territory": "/api/territories/departement:31/subgraph",
            "path": f"/api/path?source={region}&target={pole}"}


ROUTES = ("actor", "coop", "neighbourhood", "pole", "territory", "path")


def _text(r) -> str:
    assert r.status_code == 200, r.text[:300]
    return r.text + " ".join(unquote(v) for k, v in r.headers.items() if k.lower().startswith("x-maillage"))


def _sources(body: dict) -> set[str]:
    edges = body.get("relations", body.get("edges", []))
    return {e["provenance"]["source"] for e in edges}


@pytest.mark.parametrize("route", ROUTES)
def test_no_view_names_the_person_a_source_is_named_after(client, urls, route):
    r = client.get(urls[route])
    assert not traces(_text(r)), traces(_text(r))[:3]
    assert "[personne 1]" in r.text  # the sources are there, the name masked
    assert _sources(r.json()) <= set(MASKED.values())


@pytest.mark.parametrize("route", ROUTES)
def test_with_the_token_the_views_name_the_sources_as_loaded(client, urls, route):
    sep = "&" if "?" in urls[route] else "?"
    r = client.get(f"{urls[route]}{sep}include_persons=true", headers=AUTH)
    assert traces(_text(r))
    assert _sources(r.json()) <= set(MASKED) and _sources(r.json()) & {f"maillage-jsonl:{FILE}", SOURCE_ID}


def test_the_masked_ids_are_the_same_in_every_view(client, urls):
    by_route = {route: _sources(client.get(urls[route]).json()) for route in ROUTES}
    assert by_route["neighbourhood"] == set(MASKED.values()), by_route
    assert all(s <= by_route["neighbourhood"] for s in by_route.values())
    docs = {e["provenance"]["document"] for e in client.get(urls["pole"]).json()["edges"]}
    assert "entretien-[personne 1]" in docs, docs


def test_the_actor_names_its_sources_and_their_labels_masked(client, urls):
    body = client.get(urls["actor"]).json()
    assert set(body["actor"]["sources"]) == set(body["source_labels"]) == set(MASKED.values())
    assert body["source_labels"]["maillage-jsonl:entretien-[personne 1].jsonl"] == "Entretien avec [personne 1], 2019"
    assert body["source_labels"]["cr_[personne 1]_2019"] == "cr.jsonl"
    (funds,) = [e for e in body["relations"] if e["type"] == "funds"]
    assert funds["provenance"]["source"] == "maillage-jsonl:entretien-[personne 1].jsonl"
    assert funds["provenance"]["document"] == "entretien-[personne 1]"
    assert funds["provenance"]["document_label"] == "Entretien avec [personne 1], 2019"
    shown = client.get(f"{urls['actor']}?include_persons=true", headers=AUTH).json()
    assert set(shown["actor"]["sources"]) == set(shown["source_labels"]) == set(MASKED)


def test_the_notes_name_the_later_source_masked(client, urls):
    r = client.get(urls["neighbourhood"])
    notes = " ".join(r.json()["notes"]) + unquote(r.headers.get("X-Maillage-Notes", ""))
    assert "notes-[personne 1].jsonl" in notes, notes
    r = client.get(urls["actor"])
    assert "notes-[personne 1].jsonl" in unquote(r.headers["X-Maillage-Notes"])
    r = client.get(f"{urls['neighbourhood']}&include_persons=true", headers=AUTH)
    assert LATER in " ".join(r.json()["notes"]) + unquote(r.headers.get("X-Maillage-Notes", ""))


def test_the_public_views_without_a_persons_option_mask_the_sources(client, urls):
    """The pôle's diagnostic lists its sources and the runs their sources and checksums: no
    ``include_persons`` there, the names are always masked."""
    pole = urls["pole"].split("/")[3]
    diagnostic = _text(client.get(f"/api/poles/{pole}/diagnostic"))
    assert not traces(diagnostic), traces(diagnostic)[:3]
    assert set(client.get(f"/api/poles/{pole}/diagnostic").json()["diagnostic"]["sources"]) == set(MASKED.values())
    runs = client.get("/api/runs").json()
    assert not traces(json.dumps(runs)), traces(json.dumps(runs))[:3]
    (run,) = runs
    assert set(run["params"]["sources"]) == set(run["params"]["source_sha256"]) == set(MASKED.values()) - {
        MASKED[f"maillage-jsonl:{LATER}"]}


@pytest.mark.parametrize("route", ("actor", "pole", "territory"))
def test_the_maps_name_the_sources_masked_unless_persons_are_asked(client, urls, route):
    page = urls["neighbourhood"].replace("/api/actors/", "/map/actor/").replace("/neighbourhood", "") \
        if route == "actor" else urls[route].replace("/api/poles/", "/map/pole/").replace(
            "/api/territories/", "/map/territory/").replace("/subgraph", "")
    sep = "&" if "?" in page else "?"
    r = client.get(f"{page}{sep}size_by=degree")
    assert not traces(_text(r)), traces(_text(r))[:3]
    assert "notes-[personne 1].jsonl" in r.text and "notes-[personne 1].jsonl" in unquote(r.headers["X-Maillage-Notes"])
    r = client.get(f"{page}{sep}size_by=degree&include_persons=true", headers=AUTH)
    assert LATER in r.text
