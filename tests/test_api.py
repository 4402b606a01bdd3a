"""The API on a real SQLite store loaded with the reference dataset and analysed.

Every endpoint is called through FastAPI's TestClient and its values are compared with the
store and the analytics functions called directly, or with an independent computation
(networkx for neighbourhoods and shortest paths). Natural persons: every public response is
walked for the names of the reference data's persons (none may appear), and the same walk
finds them when the token allows ``include_persons`` (so the walk can fail).
"""

from __future__ import annotations

import csv
import doctest
from html import unescape as html_unescape
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Annotated, Literal

import networkx as nx
import pytest
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient

from maillage.analytics.run import analyse, person_masker, person_names
from maillage.api import app as app_module
from maillage.api import models as models_module
from maillage.api import query as q
from maillage.api import service as service_module
from maillage.api.app import create_app
from maillage.api.models import ActorDetail, ActorPage, IsolatedOut, OverlapsOut, SubgraphOut
from maillage.graph import open_store
from maillage.graph.vocabulary import vocabulary
from maillage.loaders import load_file, load_reference

from _maps import map_data
from _roles import ENGLISH_ROLES, ROLE_WORDS, WRITTEN

TOKEN = "jeton-de-test"
ORIGIN = "https://explorateur.example.org"
POLE = "periscope-le-periscope-248958"          # the reference pôle with most named members
MEMBER = "access-2b2ad1"                          # one of its members
TERRITORY = "departement:31"


# ---------------------------------------------------------------------------------------------
# fixtures

@pytest.fixture(scope="module")
def ref_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("api") / "reference.db"
    store = open_store(str(path))
    load_reference(store, rejects_dir=path.parent / "rejects")
    analyse(store)
    store.close()
    return path


class Recorder:
    """A TestClient that keeps every public response (no token) for the persons walk."""

    def __init__(self, client: TestClient):
        self.client = client
        self.public: list[tuple[str, str]] = []

    def get(self, url: str, token: bool = False, **kw):
        headers = {"Authorization": f"Bearer {TOKEN}"} if token else {}
        r = self.client.get(url, headers=headers, **kw)
        if not token:
            self.public.append((url, r.text))
        return r


@pytest.fixture(scope="module")
def api(ref_db):
    app = create_app(str(ref_db), token=TOKEN, cors_origins=[ORIGIN], max_upload_mb=1)
    with TestClient(app) as client:
        yield Recorder(client)


@pytest.fixture(scope="module")
def store(ref_db):
    s = open_store(str(ref_db))
    yield s
    s.close()


@pytest.fixture(scope="module")
def persons(store) -> set[str]:
    return {a.id for a in store.iter_actors(include_persons=True) if a.personal_data}


@pytest.fixture(scope="module")
def run_id(store) -> str:
    return store.runs()[-1].id


def ok(r, status: int = 200):
    assert r.status_code == status, r.text[:500]
    return r.json() if r.headers.get("content-type", "").startswith("application/json") else r.text


def all_types_graph(store, persons, types=None, as_of=None) -> nx.MultiGraph:
    """Every relation statement (persons' ties left out), for independent checks."""
    G = nx.MultiGraph()
    G.add_nodes_from(a.id for a in store.iter_actors())
    for r in store.relations(types=types, as_of=as_of):
        if r.source in persons or r.target in persons:
            continue
        G.add_edge(r.source, r.target, key=r.id)
    return G


# ---------------------------------------------------------------------------------------------
# service

def test_health_and_ready_count_what_the_store_holds(api, store, run_id):
    assert ok(api.get("/health")) == {"status": "ok"}
    st = store.stats()
    # the public scope for both: persons left out, and their ties too (they were counted)
    assert st["persons"] and st["person_relations"]
    assert ok(api.get("/ready")) == {"status": "ready", "actors": st["actors"] - st["persons"],
                                     "relations": st["relations"] - st["person_relations"], "runs": 1}
    assert st["relations"] - st["person_relations"] == len(store.projection().relations)


def test_territories_found_by_name_code_or_the_start_of_a_name(api):
    got = ok(api.get("/api/territories", params={"q": "Haute-Garonne"}))
    assert got == [{"id": "departement:31", "name": "Haute-Garonne", "level": "departement",
                    "level_label": "Département", "label": "Haute-Garonne (31)", "population": got[0]["population"]}]
    assert got[0]["population"] > 1_000_000
    hits = ok(api.get("/api/territories", params={"q": "Toul", "limit": 3}))
    assert [h["id"] for h in hits] == ["commune:54528", "epci:243100518", "commune:31555"]
    assert hits[1]["level_label"] == "Intercommunalité (EPCI)"
    en = ok(api.get("/api/territories", params={"q": "Occitanie", "lang": "en"}))
    assert en[0]["id"] == "region:76" and en[0]["level_label"] == "Region"
    assert ok(api.get("/api/territories", params={"q": "zzzz"})) == []
    assert api.get("/api/territories").status_code == 422
    assert api.get("/api/territories", params={"q": "Paris", "limit": 51}).status_code == 422


def test_an_unusable_store_gives_503_with_a_french_message(tmp_path):
    (tmp_path / "not-a-store.db").write_bytes(b"this is not an SQLite file at all" * 100)
    for uri in (str(tmp_path), str(tmp_path / "not-a-store.db")):
        with TestClient(create_app(uri)) as c:
            r = c.get("/ready")
            assert r.status_code == 503 and r.json()["detail"].startswith("Base indisponible"), r.text
            assert c.get("/api/actors/x").status_code == 503
            assert c.get("/health").status_code == 200  # liveness does not touch the store


# ---------------------------------------------------------------------------------------------
# actors

def test_search_matches_the_store_and_pages_cover_it_once(api, store, persons):
    expected = [a.id for a in store.search("périscope", limit=10**6) if a.id not in persons]
    page = ActorPage.model_validate(ok(api.get("/api/actors?q=p%C3%A9riscope&size=200")))
    assert [x.id for x in page.items] == expected and page.total == len(expected) and expected
    assert all("riscope" in x.name.lower() or x.id in expected for x in page.items)
    everyone = [a.id for a in store.search("", limit=10**6) if a.id not in persons]
    seen, n = [], 1
    while True:
        body = ok(api.get(f"/api/actors?size=97&page={n}"))
        assert body["total"] == len(everyone) and body["size"] == 97 and body["page"] == n
        if not body["items"]:
            break
        seen += [x["id"] for x in body["items"]]
        n += 1
    assert seen == everyone and not set(seen) & persons


def test_search_filters_family_kind_and_territory(api, store):
    ess = ok(api.get("/api/actors?family=ess&size=200"))
    assert ess["total"] == sum(1 for a in store.iter_actors() if a.family == "ess")
    assert {x["family"] for x in ess["items"]} == {"ess"} and ess["items"][0]["family_label"] == \
        vocabulary().family("ess").label("fr")
    ptce = ok(api.get("/api/actors?kind=ptce&size=200"))
    assert ptce["total"] == sum(1 for a in store.iter_actors() if a.kind == "ptce")
    inside = set(store.actors_in_territory(TERRITORY))
    got = ok(api.get(f"/api/actors?territory={TERRITORY}&size=200"))
    assert {x["id"] for x in got["items"]} == inside and got["total"] == len(inside)
    en = ok(api.get("/api/actors?family=ess&size=1&lang=en"))
    assert en["items"][0]["family_label"] == vocabulary().family("ess").label("en")


def test_search_rejects_bad_parameters_with_clear_messages(api):
    r = api.get("/api/actors?family=licorne")
    assert r.status_code == 400 and "Famille inconnue « licorne »" in r.json()["detail"]
    assert "Unknown family" in api.get("/api/actors?family=licorne&lang=en").json()["detail"]
    assert api.get("/api/actors?kind=dragon").status_code == 400
    assert api.get("/api/actors?territory=atlantide").status_code == 400
    r = api.get("/api/actors?size=201")
    assert r.status_code == 422
    body = r.json()
    assert body["detail"].startswith("Paramètre invalide : size") and body["errors"][0]["loc"][-1] == "size"
    assert api.get("/api/actors?page=0").status_code == 422
    assert api.get("/api/actors?lang=de").status_code == 422


@pytest.mark.parametrize("url, detail", [
    ("/api/actors?size=201", "Paramètre invalide : size. Attendu au plus 200, reçu « 201 »"),
    ("/api/actors?page=0", "Paramètre invalide : page. Attendu au moins 1, reçu « 0 »"),
    ("/api/territories?q=", "Paramètre invalide : q. Au moins 1 caractère"),
    ("/api/actors?lang=de", "Paramètre invalide : lang. Attendu 'fr' ou 'en', reçu « de »"),
    (f"/api/path?source={MEMBER}", "Paramètre invalide : target. Paramètre obligatoire absent"),
    ("/api/overlaps?limit=beaucoup", "Paramètre invalide : limit. Attendu un nombre entier, reçu « beaucoup »"),
    ("/api/export/csv?tableur=peut-etre", "Paramètre invalide : tableur. Attendu true ou false, reçu « peut-etre »"),
    (f"/api/actors/{POLE}/neighbourhood?depth=9&as_of=hier",
     "Paramètres invalides : as_of, depth. as_of : attendu un nombre entier, reçu « hier » ; "
     "depth : attendu au plus 3, reçu « 9 »"),
])
def test_a_parameter_refused_by_validation_is_said_in_french_with_the_value_received(api, url, detail):
    """A researcher sent `size=201` and read « Paramètre(s) invalide(s) : size. Input should be less
    than or equal to 200 »: pydantic's English after a French start. The detail is French now, and
    names the value received; `errors` keeps pydantic's items for programs, `lang=en` its English."""
    r = api.get(url)
    assert r.status_code == 422 and r.json()["detail"] == detail
    assert not re.search(r"Input should|Field required|unable to", r.json()["detail"])
    assert r.json()["errors"][0]["type"]
    en = api.get(url + "&lang=en" if "?" in url else url + "?lang=en")
    if "lang=de" not in url:
        assert en.json()["detail"].startswith("Invalid parameter") and "should" in en.json()["detail"] or \
            "Field required" in en.json()["detail"]


def test_actor_record_has_metrics_of_the_latest_run_and_relations_with_provenance(api, store, persons, run_id):
    body = ok(api.get(f"/api/actors/{POLE}"))
    d = ActorDetail.model_validate(body)
    a = store.get_actor(POLE)
    assert d.actor.name == a.name and d.actor.is_pole and d.actor.family_label == "Pôle"
    # the actor's metrics, not the pôle diagnostic the run stores on its id (« pole.blau »,
    # « critere.K3 »): the panel listed those codes among its « Autres indicateurs », beside the
    # diagnostic that says them in words
    stored = store.metrics(run_id, actor_id=POLE)[POLE]
    assert any(k.startswith("pole.") for k in stored) and any(k.startswith("critere.") for k in stored)
    assert d.run_id == run_id and d.metrics == {k: v for k, v in stored.items() if "." not in k} and d.metrics
    expected = {r.id: r for r in store.relations(touching=[POLE])
                if r.source not in persons and r.target not in persons}
    assert {e.id for e in d.relations} == set(expected)
    for e in d.relations:
        r = expected[e.id]
        assert (e.source, e.target, e.type, e.provenance.source, e.provenance.locator, e.provenance.certainty) == \
            (r.source, r.target, r.type, r.provenance.source, r.provenance.locator, r.provenance.certainty)
        assert e.type_label == vocabulary().relation_type(r.type).label("fr")
        # the locator as people read it: the reference data's « L123 » is a document line
        m = re.fullmatch(r"L(\d+)", r.provenance.locator or "")
        assert e.provenance.locator_label == (f"ligne {m[1]}" if m else (r.provenance.locator or ""))
    assert any(e.provenance.quote for e in d.relations)  # the reference data quotes its documents
    assert any(e.provenance.locator_label.startswith("ligne ") for e in d.relations)
    en = ok(api.get(f"/api/actors/{POLE}", params={"lang": "en"}))
    assert any(e["provenance"]["locator_label"].startswith("line ") for e in en["relations"])
    # a relation type reads as its English label, never as its code (« funds » did)
    assert {(e["type"], e["type_label"]) for e in en["relations"]} == \
        {(r.type, vocabulary().relation_type(r.type).label("en")) for r in expected.values()}
    assert all(e["type_label"] != e["type"] for e in en["relations"])
    assert "funds" in {e["type"] for e in en["relations"]}
    others = {x for r in expected.values() for x in (r.source, r.target)} - {POLE}
    assert {n.id for n in d.neighbours} == others


def test_sources_and_documents_are_named_as_a_reader_does_and_an_author_is_masked(api, store):
    """The explorer shows a relation's source by its file's name or its documents' titles, not
    « maillage-jsonl:s003_004.jsonl »; document 003's author is a person of the graph: the
    document is named by its title and venue, and no form of his name shows (« T. Podlewski »)."""
    rel = next(r for r in store.relations() if r.provenance.document == "003")
    body = ok(api.get(f"/api/actors/{rel.source}"))
    (e,) = [x for x in body["relations"] if x["id"] == rel.id]
    assert e["provenance"]["document_label"].startswith("« Intelligence collective")
    assert "Podlewski" not in e["provenance"]["source_label"] and ":" not in e["provenance"]["source_label"][:20]
    assert "Podlewski" not in json.dumps(body, ensure_ascii=False)
    labels = body["source_labels"]
    assert set(labels) == set(body["actor"]["sources"]) and not any(v.startswith("maillage-jsonl:") for v in labels.values())


def test_unknown_actors_and_persons_are_404_unless_the_token_asks_for_persons(api, persons):
    r = api.get("/api/actors/nobody-000000")
    assert r.status_code == 404 and r.json() == {"detail": "Aucun acteur « nobody-000000 »."}
    assert api.get("/api/actors/nobody-000000?lang=en").json() == {"detail": "No actor 'nobody-000000'."}
    person = sorted(persons)[0]
    assert api.get(f"/api/actors/{person}").status_code == 404
    r = api.get(f"/api/actors/{person}?include_persons=true")
    assert r.status_code == 403 and "jeton" in r.json()["detail"]
    got = ok(api.get(f"/api/actors/{person}?include_persons=true", token=True))
    assert got["actor"]["personal_data"] is True
    bad = api.client.get(f"/api/actors/{person}?include_persons=true", headers={"Authorization": "Bearer faux"})
    assert bad.status_code == 403


# ---------------------------------------------------------------------------------------------
# neighbourhoods and caps

def test_neighbourhood_depth_1_and_2_match_networkx(api, store, persons, run_id):
    G = all_types_graph(store, persons)
    metrics = store.metrics(run_id)
    for depth in (1, 2):
        sub = SubgraphOut.model_validate(ok(api.get(f"/api/actors/{MEMBER}/neighbourhood?depth={depth}")))
        expected = set(nx.ego_graph(G, MEMBER, radius=depth))
        assert {n.id for n in sub.nodes} == expected and sub.total_nodes == len(expected) and not sub.capped
        assert sub.nodes[0].id == MEMBER
        assert {e.id for e in sub.edges} == {k for u, v, k in G.subgraph(expected).edges(keys=True)}
        for n in sub.nodes:
            assert n.metrics == {k: v for k, v in metrics.get(n.id, {}).items() if "." not in k}


def test_neighbourhoods_are_the_same_whatever_the_adjacency_cache_holds(ref_db, store, persons, monkeypatch):
    """A full adjacency cache (a nation graph) makes a view ask the store for the ties among
    its last ring, and read rings past the first as bare ties, instead of reading whole
    adjacency lists: same nodes in the same order, same edges, for every filter, as with a
    roomy cache; and both agree with networkx."""
    coop = vocabulary().types_in_lens("cooperation")
    cases = [(actor, depth, types, as_of) for actor in (POLE, MEMBER)
             for depth, types, as_of in ((1, None, None), (2, None, None), (1, coop, None), (1, None, 2016),
                                         (2, coop, 2018), (3, None, None))]

    def views(svc):
        out = []
        for actor, depth, types, as_of in cases:
            v = svc.neighbourhood(actor, depth, types, None, as_of)
            out.append((v.order, [r.id for r in v.sub.relations]))
        return out

    roomy = service_module.Service(str(ref_db))
    try:
        expected = views(roomy)
        assert roomy._adjacency.size < service_module.ADJACENCY_CACHE // 2  # noqa: SLF001 - never tight
    finally:
        roomy.close()
    monkeypatch.setattr(service_module, "ADJACENCY_CACHE", 8)  # at most 4 statements: over half full at once
    tight = service_module.Service(str(ref_db))
    try:
        assert views(tight) == expected and views(tight) == expected  # first reads, then what got cached
        assert tight._adjacency.size <= 8  # noqa: SLF001
    finally:
        tight.close()
    G = all_types_graph(store, persons)
    for (actor, depth, types, as_of), (order, rels) in zip(cases, expected):
        if types is None and as_of is None:
            ego = set(nx.ego_graph(G, actor, radius=depth))
            assert set(order) == ego and set(rels) == {k for u, v, k in G.subgraph(ego).edges(keys=True)}


def test_ties_among_a_ring_come_once_each_loops_included():
    """Each statement between two actors of the ring once (it is cached under both ends), a
    loop with its actor, nothing to an actor outside the ring; ``keep`` filters."""
    adjacency = {"a": {"b": ["ab1", "ab2"], "a": ["aa"], "x": ["ax"]},
                 "b": {"a": ["ab1", "ab2"], "c": ["bc"]},
                 "c": {"b": ["bc"], "hub": ["c-hub"]}}
    among = service_module.Service._ties_among
    assert sorted(among({"a", "b", "c"}, adjacency, None)) == ["aa", "ab1", "ab2", "bc"]
    assert sorted(among({"a", "b", "c"}, adjacency, lambda r: r != "ab2")) == ["aa", "ab1", "bc"]
    assert sorted(among({"b", "c"}, adjacency, None)) == ["bc"]


def test_subgraph_json_joins_each_node_and_edge_serialised(ref_db):
    """The subgraph body joined from cached node and edge JSON equals the whole response
    serialised at once, in either language and on a repeated (cached) call: the metrics and
    notes of the run of the view's lens and year after the view's notes."""
    svc = service_module.Service(str(ref_db))
    try:
        for lang in ("fr", "en", "fr"):
            for include_persons in (False, True):
                v = svc.neighbourhood(POLE, 1, include_persons=include_persons, lang=lang)
                choice = svc.run_choice(v.lens, v.as_of)
                _, metrics = svc.metrics_for(v.order, choice.run.id)
                mask = None if include_persons else svc.masker()
                smask = None if include_persons else svc.source_mask()
                notes = [*v.sub.notes, *choice.sentences(lang)]
                whole = {"nodes": [service_module.node_dict(v.sub.actors[i], lang, metrics.get(i)) for i in v.order],
                         "edges": [service_module.edge_dict(r, lang, mask, svc.source_labels(), smask)
                                   for r in v.sub.relations],
                         "capped": v.sub.capped, "limit": v.limit, "total_nodes": v.total,
                         "notes": notes if include_persons else [smask(n) for n in notes]}
                body = svc.subgraph_json(v, lang, include_persons)
                assert body == service_module.to_json(whole)
                assert len(json.loads(body)["nodes"]) == len(v.order) > 5
    finally:
        svc.close()


def test_metrics_of_a_large_run_are_read_per_view_and_kept(ref_db, store, run_id, monkeypatch):
    """Above PRELOAD_METRICS actors a run's metrics are read for a view's actors only, in one
    store call, and kept: the values are the store's, with and without the cache."""
    monkeypatch.setattr(service_module, "PRELOAD_METRICS", 0)
    svc = service_module.Service(str(ref_db))
    calls: list[list[str]] = []
    real = type(store).metrics

    def counting(self, run_id=None, actor_id=None, actor_ids=None):
        calls.append(sorted(actor_ids or ()))
        return real(self, run_id, actor_id, actor_ids)
    monkeypatch.setattr(type(store), "metrics", counting)
    try:
        view = svc.neighbourhood(MEMBER, depth=2)
        ids = view.order
        everything = real(store, run_id)
        expected = {i: {k: v for k, v in everything[i].items() if "." not in k} for i in ids if i in everything}
        assert len(expected) > 10 and len(expected) < len(everything)
        for _ in range(2):
            got_run, got = svc.metrics_for(ids)
            assert got_run == run_id and got == expected
        assert len(calls) == 1 and calls[0] == sorted(ids)  # the second call came from the cache
        assert svc.metrics_for(ids[:3] + ["inconnu"])[1] == {i: expected[i] for i in ids[:3] if i in expected}
        assert len(calls) == 2 and calls[1] == ["inconnu"]
    finally:
        svc.close()


def test_neighbourhood_filters_types_lens_and_year(api, store, persons):
    coop = vocabulary().types_in_lens("cooperation")
    G = all_types_graph(store, persons, types=coop)
    sub = ok(api.get(f"/api/actors/{POLE}/neighbourhood?lens=cooperation"))
    assert {n["id"] for n in sub["nodes"]} == set(nx.ego_graph(G, POLE, radius=1))
    assert {e["type"] for e in sub["edges"]} <= set(coop)
    sub = ok(api.get(f"/api/actors/{POLE}/neighbourhood?types=membership"))
    assert {e["type"] for e in sub["edges"]} == {"membership"}
    G16 = all_types_graph(store, persons, as_of=2016)
    sub = ok(api.get(f"/api/actors/{POLE}/neighbourhood?as_of=2016"))
    assert {n["id"] for n in sub["nodes"]} == set(nx.ego_graph(G16, POLE, radius=1))
    r = api.get(f"/api/actors/{POLE}/neighbourhood?types=funds&lens=cooperation")
    assert r.status_code == 400 and "hors de la lentille" in r.json()["detail"]
    r = api.get(f"/api/actors/{POLE}/neighbourhood?types=amitie")
    assert r.status_code == 400 and "amitie" in r.json()["detail"]
    assert api.get(f"/api/actors/{POLE}/neighbourhood?lens=amour").status_code == 400
    assert api.get(f"/api/actors/{POLE}/neighbourhood?depth=4").status_code == 422
    assert api.get(f"/api/actors/{POLE}/neighbourhood?limit=2001").status_code == 422
    assert api.get("/api/actors/nobody/neighbourhood").status_code == 404


_Lang = Annotated[Literal["fr", "en"], Query(description=q.LANG)]
_AsOf = Annotated[int | None, Query(ge=1800, le=2200, description=q.YEAR, examples=[2016])]
_Persons = Annotated[bool, Query(description=q.PERSONS)]
_Limit = Annotated[int, Query(ge=1, le=service_module.MAX_LIMIT, description=q.LIMIT)]


def _declared_reference_app() -> FastAPI:
    """The subgraph endpoints' query parameters declared one by one, the usual FastAPI way."""
    ref = FastAPI()

    @ref.get("/n")
    def n(depth: Annotated[int, Query(ge=1, le=service_module.MAX_DEPTH, description="Distance (1 à 3) / Depth")] = 1,
          types: Annotated[str | None, Query(description="Types de relation, séparés par des virgules "
                                                         "/ Relation types, comma-separated",
                                             examples=["membership,cooperates"])] = None,
          lens: Annotated[str | None, Query(description=q.LENS, examples=["cooperation"])] = None,
          as_of: _AsOf = None, limit: _Limit = service_module.DEFAULT_LIMIT, include_persons: _Persons = False, lang: _Lang = "fr"):
        return {}

    @ref.get("/c")  # a pôle's, a territory's: through a lens as their export (maillage.analytics.views.view_types)
    def c(lens: Annotated[str | None, Query(description=q.LENS, examples=["cooperation"])] = None,
          as_of: _AsOf = None, limit: _Limit = service_module.DEFAULT_LIMIT, include_persons: _Persons = False, lang: _Lang = "fr"):
        return {}

    @ref.get("/p")
    def p(source: Annotated[str, Query(description="Acteur de départ / From", examples=[models_module.EXAMPLE_MEMBER])],
          target: Annotated[str, Query(description="Acteur d'arrivée / To", examples=[models_module.EXAMPLE_POLE])],
          lens: Annotated[str, Query(description=q.LENS)] = "cooperation", as_of: _AsOf = None,
          max_hops: Annotated[int, Query(ge=1, le=service_module.MAX_HOPS, description="Liens au plus / Most ties")] = 6,
          include_persons: _Persons = False, lang: _Lang = "fr"):
        return {}

    return ref


def test_subgraph_queries_are_documented_and_validated_as_declared_parameters_are(api):
    """The subgraph endpoints read their query through one model (maillage.api.query): their
    OpenAPI parameters must be those FastAPI writes for the same parameters declared one by
    one, and bad values must be 422s naming the parameter, as for declared ones."""
    ref = _declared_reference_app()
    declared = {k: {p["name"]: p for p in v["get"]["parameters"]} for k, v in ref.openapi()["paths"].items()}
    served = api.get("/openapi.json").json()["paths"]

    def query_params(path):
        return {p["name"]: p for p in served[path]["get"]["parameters"] if p["in"] == "query"}
    assert query_params("/api/actors/{actor_id}/neighbourhood") == declared["/n"]
    assert query_params("/api/poles/{pole_id}/subgraph") == declared["/c"]
    assert query_params("/api/territories/{tid}/subgraph") == declared["/c"]
    assert query_params("/api/path") == declared["/p"]
    assert [p["name"] for p in served["/api/actors/{actor_id}/neighbourhood"]["get"]["parameters"]
            if p["in"] == "path"] == ["actor_id"]

    for url, bad in ((f"/api/actors/{POLE}/neighbourhood?depth=0", "depth"),
                     (f"/api/actors/{POLE}/neighbourhood?depth=deux", "depth"),
                     (f"/api/poles/{POLE}/subgraph?as_of=1492", "as_of"),
                     (f"/api/territories/{TERRITORY}/subgraph?lang=de", "lang"),
                     (f"/api/path?source={MEMBER}", "target")):
        r = api.get(url)
        assert r.status_code == 422, url
        assert r.json()["errors"][0]["loc"] == ["query", bad] and f": {bad}" in r.json()["detail"], url
    # values are parsed as FastAPI parses them: "yes" is true (so persons need the token),
    # the last of a repeated parameter counts (unknown parameters are refused: below)
    assert api.get(f"/api/actors/{POLE}/neighbourhood?include_persons=yes").status_code == 403
    one = ok(api.get(f"/api/actors/{POLE}/neighbourhood?depth=3&depth=1"))
    assert one == ok(api.get(f"/api/actors/{POLE}/neighbourhood"))
    assert len(one["nodes"]) < len(ok(api.get(f"/api/actors/{POLE}/neighbourhood?depth=2"))["nodes"])


def test_a_capped_subgraph_says_so_and_keeps_the_most_tied_neighbours(api, store, persons):
    G = all_types_graph(store, persons)
    ties = Counter(v for _, v in G.edges(POLE))
    ties.pop(POLE, None)
    keep = [POLE] + sorted(ties, key=lambda x: (-ties[x], x))[:4]
    sub = SubgraphOut.model_validate(ok(api.get(f"/api/actors/{POLE}/neighbourhood?limit=5")))
    assert sub.capped and sub.limit == 5 and sub.total_nodes == len(ties) + 1 > 5
    assert [n.id for n in sub.nodes] == keep
    assert sub.notes and "limité à 5 acteurs" in sub.notes[0]
    assert {e.id for e in sub.edges} == {k for u, v, k in G.subgraph(keep).edges(keys=True)}
    sub2 = ok(api.get(f"/api/actors/{POLE}/neighbourhood?depth=3&limit=40"))
    assert len(sub2["nodes"]) == 40 and sub2["capped"] and sub2["total_nodes"] > 40


# ---------------------------------------------------------------------------------------------
# pôles

def test_poles_list_is_the_pole_table(api, store):
    from maillage.analytics.run import pole_table

    rows = {r["id"]: r for r in pole_table(store)}
    got = ok(api.get("/api/poles"))
    assert [p["id"] for p in got] == list(rows)
    for p in got:
        assert p["members"] == rows[p["id"]]["members_listed"] and p["is_pole"]
        assert p["declared_members"] == rows[p["id"]]["declared_members"]


def test_pole_subgraph_is_the_stores_and_errors_are_mapped(api, store):
    expected = store.pole_subgraph(POLE)
    sub = SubgraphOut.model_validate(ok(api.get(f"/api/poles/{POLE}/subgraph")))
    assert {n.id for n in sub.nodes} == set(expected.actors) and sub.nodes[0].id == POLE
    assert {e.id for e in sub.edges} == {r.id for r in expected.relations}
    r = api.get(f"/api/poles/{MEMBER}/subgraph")
    assert r.status_code == 400 and "n'est pas un pôle" in r.json()["detail"]
    assert api.get("/api/poles/nowhere/subgraph").status_code == 404
    assert api.get("/api/poles/nowhere/diagnostic").status_code == 404


def test_pole_diagnostic_is_the_analytics_result(api, store):
    from maillage.analytics.criteria import evaluate_criteria
    from maillage.analytics.poles import pole_diagnostic

    got = ok(api.get(f"/api/poles/{POLE}/diagnostic"))
    assert got["diagnostic"] == json.loads(pole_diagnostic(store, POLE).model_dump_json())
    assert got["criteria"] == [json.loads(c.model_dump_json()) for c in evaluate_criteria(store, POLE)]
    en = ok(api.get(f"/api/poles/{POLE}/diagnostic?lang=en&as_of=2016"))
    assert en["diagnostic"] == json.loads(pole_diagnostic(store, POLE, as_of=2016, lang="en").model_dump_json())


def test_a_pole_diagnostic_for_a_year_says_how_many_undated_memberships_it_counts(api, store, tmp_path):
    """Le Périscope's memberships carry no date: as of 2010 the diagnostic counts them all, as
    every year (same figures whatever the year). A caveat now says so — counted here from the
    store's own statements — and not when no year is asked; the pôle report shows it too."""
    from maillage.analytics.reports import render_pole_report
    from maillage.analytics.territory import is_dated

    statements: dict[str, list] = {}
    for r in store.relations(touching=[POLE], types=["membership"]):
        if r.target == POLE:
            statements.setdefault(r.source, []).append(r)
    persons = {a.id for a in store.get_actors(statements).values() if a.personal_data}
    undated = sum(1 for m, rs in statements.items() if m not in persons and not any(is_dated(r) for r in rs))
    assert undated >= 30
    said = f"{undated} adhésions sans date, comptées en 2010 sans savoir si elles étaient en cours cette année-là"
    y2010 = ok(api.get(f"/api/poles/{POLE}/diagnostic?as_of=2010"))["diagnostic"]
    y2020 = ok(api.get(f"/api/poles/{POLE}/diagnostic?as_of=2020"))["diagnostic"]
    assert said in y2010["caveats"]
    assert y2010["size"] == y2020["size"]  # the same members every year: hence the caveat
    assert not any("sans date" in c for c in ok(api.get(f"/api/poles/{POLE}/diagnostic"))["diagnostic"]["caveats"])
    en = ok(api.get(f"/api/poles/{POLE}/diagnostic?as_of=2010&lang=en"))["diagnostic"]["caveats"]
    assert f"{undated} undated memberships, counted in 2010 without knowing whether they were current that year" in en
    page = render_pole_report(store, POLE, tmp_path / "pole.html", as_of=2010).read_text(encoding="utf-8")
    assert said.replace("'", "&#39;") in page


# ---------------------------------------------------------------------------------------------
# territories

def test_territory_actors_isolated_and_diagnostic(api, store):
    from maillage.analytics.territory import isolated_actors, territory_diagnostic

    d = territory_diagnostic(store, TERRITORY)
    page = ok(api.get(f"/api/territories/{TERRITORY}/actors?size=10&page=2"))
    assert page["total"] == d.actors.size and page["name"] == "Haute-Garonne"
    assert [x["id"] for x in page["items"]] == [e.id for e in d.actors.items[10:20]]
    assert ok(api.get(f"/api/territories/{TERRITORY}/diagnostic")) == json.loads(d.model_dump_json())
    # flagged actors counted by EPCI: checked against the EPCIs' communes (not the rollup the code uses)
    from maillage.geography import load_geography

    geo, flagged = load_geography(), [*d.isolated.items, *d.peripheral.items, *d.documentation_gaps.items]
    assert d.part_level == "epci" and len(d.flagged_by_part) > 1
    for part in d.flagged_by_part:
        inside = [e for e in flagged if part.id and e.location and (
            e.location == part.id or e.location in geo.communes_of(part.id))]
        if part.id:
            assert (part.isolated + part.peripheral + part.documentation_gaps) == len(inside) > 0, part
    assert sum(p.isolated for p in d.flagged_by_part) == d.isolated.size
    assert sum(p.peripheral + p.documentation_gaps for p in d.flagged_by_part) == d.peripheral.size + d.documentation_gaps.size
    for peripheral in (False, True):
        rows = isolated_actors(store, territory=TERRITORY, include_peripheral=peripheral)
        got = IsolatedOut.model_validate(ok(api.get(
            f"/api/territories/{TERRITORY}/isolated?peripheral={str(peripheral).lower()}"
            f"&public_bodies={str(peripheral).lower()}")))
        assert [(x.id, x.codes) for x in got.items] == [(x["id"], x["codes"]) for x in rows] and got.total == len(rows)
    assert rows and any(x["code"] == "hors_pole" for x in rows)


def test_isolated_with_peripheral_counts_the_reports_table_and_csv_not_the_public_bodies(tmp_path):
    """The walk-through (CA du Sicoval): ``…/isolated?peripheral=true`` said 11 while the report
    said « Isolés : 6 · Périphériques : 3 » and its ``-isoles.csv`` had 9 rows: the API counted the
    collectivités too. With ``peripheral=true`` it lists the report's table (isolated, peripheral,
    possibly under-documented); public bodies only with ``public_bodies=true``, each marked."""
    from _jsonl import actor, relation, write_jsonl
    from maillage.analytics.reports import render_territory_report

    sicoval, ramonville, castanet = "epci:243100633", "commune:31446", "commune:31113"
    records = [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Acteurs ESS du Sicoval",
         "documents": {"etude": {"title": "Annuaire"}}},
        actor("pole", "PTCE Lauragais Solidaire", "pole", "ptce", location=ramonville),
        actor("conv", "Convivencia", "ess", "association", location=ramonville),
        actor("velo", "Vélo Castanéen", "enterprise", "pme", location=castanet),
        actor("duo", "Association Duo", "ess", "association", location=castanet),
        actor("mairie", "Mairie de Ramonville-Saint-Agne", "collectivite", "commune", location=ramonville),
        actor("ca", "CA du Sicoval", "collectivite", "epci", location="commune:31254", territory=sicoval),
        *[actor(f"seul{i}", f"Association Seule {i}", "ess", "association", location=castanet) for i in range(3)],
        relation("membership", "conv", "pole"), relation("membership", "velo", "pole"),
        relation("membership", "mairie", "pole"), relation("funds", "ca", "pole", amount=10000),
        relation("funds", "ca", "seul0", amount=500), relation("cooperates", "duo", "velo"),
    ]
    db = tmp_path / "sicoval.db"
    s = open_store(str(db))
    load_file(s, write_jsonl(tmp_path / "sicoval.jsonl", records), rejects_dir=tmp_path / "rejets")
    page = html_unescape(render_territory_report(s, sicoval, tmp_path / "t.html").read_text(encoding="utf-8"))
    s.close()
    isolated, peripheral, gaps = (int(x) for x in re.search(
        r"Isolés : (\d+) · Périphériques : (\d+) · Peut-être sous-documentés : (\d+)", page).groups())
    rows = list(csv.reader(io.StringIO((tmp_path / "t-isoles.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert isolated == 3 and peripheral > 0 and len(rows) - 1 == isolated + peripheral + gaps
    with TestClient(create_app(str(db))) as client:
        base = f"/api/territories/{sicoval}/isolated"
        only = ok(client.get(base))
        every = ok(client.get(base + "?peripheral=true"))
        public = ok(client.get(base + "?peripheral=true&public_bodies=true"))
        alone = ok(client.get(base + "?public_bodies=true"))
    assert only["total"] == isolated
    assert every["total"] == len(every["items"]) == len(rows) - 1
    assert [x["id"] for x in every["items"]] == [r[0] for r in rows[1:]]
    assert "public_bodies" not in {x["status"] for x in every["items"]}
    bodies = [x for x in public["items"] if x["status"] == "public_bodies"]
    assert {x["name"] for x in bodies} == {"CA du Sicoval", "Mairie de Ramonville-Saint-Agne"}
    assert public["total"] == every["total"] + 2 and public["public_bodies"] is True
    assert {x["status"] for x in alone["items"]} == {"isolated", "public_bodies"} and alone["total"] == isolated + 2


def test_isolated_counts_the_same_in_the_api_the_territory_report_and_analyse(ref_db, api, tmp_path):
    """A collectivité read « 12 isolés » in the API and « 5 isolés » in the territory report: the
    API counted every actor with a single partner (and the collectivités) as isolated. « Isolé »
    is now the diagnostic's meaning everywhere: the API, the report and ``analyse`` agree, year
    by year; a single-partner actor is listed only with ``peripheral=true``, marked so."""
    from maillage.analytics.reports import render_territory_report

    copy = tmp_path / "copie.db"
    shutil.copy(ref_db, copy)
    s = open_store(str(copy))
    try:
        for as_of in (None, 2016):
            year = "" if as_of is None else f"&as_of={as_of}"
            for tid in (TERRITORY, "region:76"):
                iso = ok(api.get(f"/api/territories/{tid}/isolated?peripheral=false{year}"))
                page = render_territory_report(s, tid, tmp_path / "t.html", as_of=as_of).read_text(encoding="utf-8")
                in_report = int(re.search(r"Isolés : (\d+)", page).group(1))
                run = analyse(s, as_of=as_of)
                inside = set(s.actors_in_territory(tid))
                by_analyse = sum(1 for aid, m in s.metrics(run.id).items() if aid in inside and "statut.isolated" in m)
                assert iso["total"] == len(iso["items"]) == in_report == by_analyse > 0, (tid, as_of)
                assert {x["status"] for x in iso["items"]} == {"isolated"}
                assert not any("lien_unique" in x["codes"] for x in iso["items"])
                every = ok(api.get(f"/api/territories/{tid}/isolated?peripheral=true{year}"))
                single = [x for x in every["items"] if x["code"] == "lien_unique"]
                assert single, (tid, as_of)  # else the test proves nothing
                assert all(x["status"] != "isolated" for x in single)
                # a member whose single partner is its pôle says so; another single partner is « un seul »
                assert {x["status_label"] for x in single if x["status"] == "peripheral"} <= {
                    "périphérique (un seul partenaire)", "périphérique (membre d'un pôle, sans autre lien direct)"}
                assert [x["id"] for x in every["items"] if x["status"] == "isolated"] == [x["id"] for x in iso["items"]]
            # the whole graph: the run's count is the isolated actors' listing
            assert run.params["isolated"] == sum(1 for m in s.metrics(run.id).values() if "statut.isolated" in m)
    finally:
        s.close()


def _listings(value, path=""):
    """``(path, listing)`` for every ``{"size", "items"}`` object in a JSON value, nested ones too."""
    if isinstance(value, dict):
        if set(value) == {"size", "items"}:
            yield path, value
        for k, v in value.items():
            yield from _listings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _listings(v, f"{path}[{i}]")


def test_territory_diagnostic_abridged_keeps_every_isolated_actor(api):
    """``items=n`` cuts each listing to its first n names, nested ones too, its size still
    counting all; the isolated actors are all given (a map circles each one it draws)."""
    whole = ok(api.get(f"/api/territories/{TERRITORY}/diagnostic"))
    short = ok(api.get(f"/api/territories/{TERRITORY}/diagnostic?items=1"))
    assert whole["isolated"]["size"] > 1  # else keeping them all proves nothing
    assert short["isolated"] == whole["isolated"]
    full = dict(_listings(whole))
    cut = [p for p, x in full.items() if len(x["items"]) > 1 and not p.startswith(".isolated")]
    assert ".actors" in cut and any("[" in p for p in cut)  # top-level and nested (a role's collectivités)
    got = dict(_listings(short))
    for path, x in got.items():
        if path.startswith(".isolated"):
            continue
        assert x["size"] == full[path]["size"], path
        assert x["items"] == full[path]["items"][:1], path
    assert all(p in got for p in cut if "[" not in p)
    assert any("[" in p for p in cut if p in got)  # a nested listing was cut, not only dropped with its parent
    assert short["in_pole"] == whole["in_pole"] and short["notes"] == whole["notes"]
    assert api.get(f"/api/territories/{TERRITORY}/diagnostic?items=0").status_code == 422


def test_territory_subgraph_and_its_cap(api, store):
    expected = store.territory_subgraph(TERRITORY)
    sub = ok(api.get(f"/api/territories/{TERRITORY}/subgraph"))
    assert {n["id"] for n in sub["nodes"]} == set(expected.actors)
    assert {e["id"] for e in sub["edges"]} == {r.id for r in expected.relations}
    deg = Counter()
    for r in expected.relations:
        if r.source != r.target:
            deg[r.source] += 1
            deg[r.target] += 1
    top = set(sorted(expected.actors, key=lambda a: (-deg[a], a))[:5])
    capped = ok(api.get(f"/api/territories/{TERRITORY}/subgraph?limit=5"))
    assert capped["capped"] and {n["id"] for n in capped["nodes"]} == top
    assert capped["total_nodes"] == len(expected.actors)


def test_a_territory_view_carries_the_rings_of_its_map_and_the_page_their_legend(api):
    """The explorer's territory view rings the actors the static territory map rings, with the
    same reasons (``marks`` of the view, only the actors drawn), and the page's configuration
    carries the map's colours and legend lines (French by default, English with lang=en)."""
    from maillage.api.maps import PERIPHERAL_BORDER, RINGS, STRINGS

    sub = ok(api.get(f"/api/territories/{TERRITORY}/subgraph"))
    SubgraphOut.model_validate(sub)
    marks, drawn = sub["marks"], {n["id"] for n in sub["nodes"]}
    crida = "crida-53e3ec"  # a single partner (the RTES): peripheral
    assert marks["peripheral"][crida].startswith("Un seul partenaire par un lien direct")
    assert "Réseau des collectivités Territoriales" in marks["peripheral"][crida]
    # two partners (Ramonville-Saint-Agne, a collectivité) or three (Institut Novetat): no ring
    for other in ("ramonville-saint-agne-ddc27f", "novetat-institut-de-recherche-27c9c8"):
        assert other in drawn and other not in marks["peripheral"] and other not in marks["isolated"]
    # the static territory map rings the same actors for the same reasons
    nodes = map_data(api.get(f"/map/territory/{TERRITORY}").text)["nodes"]
    for kind in ("isolated", "peripheral"):
        row = STRINGS["fr"][f"{kind}_row"]
        assert marks[kind] == {n["id"]: dict(n["tip"]["rows"])[row] for n in nodes if n.get(kind)}, kind
    assert len(marks["peripheral"]) > 10 and marks["isolated"]
    en = ok(api.get(f"/api/territories/{TERRITORY}/subgraph?lang=en"))["marks"]
    assert en["peripheral"][crida].startswith("A single partner through a direct tie")
    # two reasons: « ; » (a space before) in French, "; " in English (it read « ; » there too)
    for kind in ("isolated", "peripheral"):
        assert set(en[kind]) == set(marks[kind])
        both = [a for a, why in marks[kind].items() if " ; " in why]
        assert all(" ; " not in why for why in en[kind].values()), kind
        assert all(en[kind][a].count("; ") == marks[kind][a].count(" ; ") for a in both), kind
    assert any(" ; " in why for kind in marks for why in marks[kind].values())
    # a capped view: the rings of the actors it draws only
    capped = ok(api.get(f"/api/territories/{TERRITORY}/subgraph?limit=5"))
    shown = {n["id"] for n in capped["nodes"]}
    assert set(capped["marks"]["peripheral"]) | set(capped["marks"]["isolated"]) <= shown
    assert ok(api.get(f"/api/poles/{POLE}/subgraph")).get("marks") is None  # only a territory's view
    # the colours and words of the static map, inlined in the explorer page
    for lang, words in (("fr", "entouré d'orange"), ("en", "circled in orange")):
        page = api.get(f"/?lang={lang}").text
        config = json.loads(page.split('id="vocabulaire-explorateur">')[1].split("</script>")[0])
        rings = {m["name"]: m for m in config["marks"]}
        assert [m["name"] for m in config["marks"]] == ["isolated", "peripheral"]  # isolated wins
        assert rings["peripheral"]["border"] == PERIPHERAL_BORDER == RINGS["peripheral"][0]
        assert words in rings["peripheral"]["legend"] == STRINGS[lang]["peripheral"]
        assert rings["peripheral"]["row"] == STRINGS[lang]["peripheral_row"]
        assert (rings["isolated"]["border"], rings["isolated"]["width"]) == RINGS["isolated"][:2]


def test_territory_errors(api):
    r = api.get("/api/territories/ville:toulouse/actors")
    assert r.status_code == 400 and "niveau:code" in r.json()["detail"]
    r = api.get("/api/territories/departement:999/diagnostic")
    assert r.status_code == 404 and r.json()["detail"] == "Territoire inconnu « departement:999 »."
    assert api.get(f"/api/territories/{TERRITORY}/isolated?lens=nope").status_code == 400


# ---------------------------------------------------------------------------------------------
# analyses

def coop_graph(store, persons) -> nx.Graph:
    G = nx.Graph()
    for r in store.relations(types=vocabulary().types_in_lens("cooperation")):
        if r.source not in persons and r.target not in persons and r.source != r.target:
            G.add_edge(r.source, r.target)
    return G


def test_shortest_path_has_networkx_length_and_consecutive_ties(api, store, persons):
    G = coop_graph(store, persons)
    far = max(nx.single_source_shortest_path_length(G, MEMBER).items(), key=lambda kv: (kv[1], kv[0]))
    for target in (POLE, far[0]):
        sub = SubgraphOut.model_validate(ok(api.get(f"/api/path?source={MEMBER}&target={target}&max_hops=10")))
        nodes = [n.id for n in sub.nodes]
        assert nodes[0] == MEMBER and nodes[-1] == target
        assert len(nodes) - 1 == nx.shortest_path_length(G, MEMBER, target)
        for u, v in zip(nodes, nodes[1:]):
            assert G.has_edge(u, v)
            assert any({e.source, e.target} == {u, v} for e in sub.edges)
        assert all(abs(nodes.index(e.source) - nodes.index(e.target)) == 1 for e in sub.edges)
    assert [n["id"] for n in ok(api.get(f"/api/path?source={POLE}&target={POLE}"))["nodes"]] == [POLE]
    # its note agrees with its number (it said « Chemin de 1 lien(s). »)
    near = min(G[MEMBER])
    notes = {(t, lang): ok(api.get(f"/api/path?source={MEMBER}&target={t}&max_hops=10&lang={lang}"))["notes"]
             for t in (MEMBER, near, far[0]) for lang in ("fr", "en")}
    assert far[1] > 1
    assert notes == {(MEMBER, "fr"): ["Chemin de 0 lien."], (MEMBER, "en"): ["Path of 0 ties."],
                     (near, "fr"): ["Chemin de 1 lien."], (near, "en"): ["Path of 1 tie."],
                     (far[0], "fr"): [f"Chemin de {far[1]} liens."], (far[0], "en"): [f"Path of {far[1]} ties."]}
    if far[1] > 2:
        r = api.get(f"/api/path?source={MEMBER}&target={far[0]}&max_hops=2")
        assert r.status_code == 404 and r.json()["detail"].startswith("Aucun chemin")


def test_no_path_between_components_is_404(api, store, persons):
    G = coop_graph(store, persons)
    comps = sorted(nx.connected_components(G), key=lambda c: (-len(c), min(c)))
    a, b = min(comps[0]), min(comps[1])
    r = api.get(f"/api/path?source={a}&target={b}&max_hops=10")
    assert r.status_code == 404 and "Aucun chemin" in r.json()["detail"]
    assert api.get(f"/api/path?source={a}&target={b}&lens=cupidon").status_code == 400
    assert api.get(f"/api/path?source={a}").status_code == 422


def test_overlaps_are_pole_overlaps(api, store):
    from maillage.analytics.overlaps import pole_overlaps

    o = pole_overlaps(store)
    got = OverlapsOut.model_validate(ok(api.get("/api/overlaps")))
    assert [(p.pole_a, p.pole_b, p.shared, p.jaccard) for p in got.pairs] == \
        [(p.pole_a, p.pole_b, p.shared, p.jaccard) for p in o.pairs]
    assert [m.actor_id for m in got.bridging] == [m.actor_id for m in o.bridging] and got.sizes == o.sizes
    one = ok(api.get("/api/overlaps?limit=1"))
    assert len(one["pairs"]) == min(1, len(o.pairs)) and one["pairs_total"] == len(o.pairs)


def test_suggestions_are_suggest_partners(api, store):
    from maillage.analytics.suggestions import suggest_partners

    for query, kwargs in ((f"actor={MEMBER}&k=5", {"actor_id": MEMBER, "k": 5}),
                          (f"pole={POLE}&k=3", {"pole": POLE, "k": 3}),
                          (f"territory={TERRITORY}", {"territory": TERRITORY})):
        expected = suggest_partners(store, **kwargs)
        got = ok(api.get(f"/api/suggestions?{query}"))
        assert [(x["source"]["id"], x["target"]["id"], x["score"]) for x in got["items"]] == \
            [(x.source.id, x.target.id, x.score) for x in expected.items]
        assert all(x["is_suggestion"] for x in got["items"])
    assert api.get(f"/api/suggestions?pole={MEMBER}").status_code == 400
    assert api.get("/api/suggestions?actor=nobody").status_code == 404
    assert api.get("/api/suggestions?k=51").status_code == 422


def test_suggestions_for_an_actor_and_a_pole_at_once_are_refused(api):
    """``actor`` and ``pole`` are two focuses: given both, the pôle was silently dropped (the
    actor's leads came back as if they were the pôle's); a 400 says to choose, as the exports'
    « at most one of pole, territory, actor ». ``territory`` still narrows either focus."""
    r = api.get(f"/api/suggestions?actor={MEMBER}&pole={POLE}")
    assert r.status_code == 400, r.text
    assert r.json()["detail"] == ("Donnez actor ou pole, pas les deux (territory, lui, restreint les "
                                  "partenaires proposés à ceux situés dans le territoire).")
    assert "actor or pole, not both" in api.get(f"/api/suggestions?actor={MEMBER}&pole={POLE}&lang=en").json()["detail"]
    assert ok(api.get(f"/api/suggestions?actor={MEMBER}&territory={TERRITORY}"))["focus"] == "actor"


def test_observatory_is_the_observatory_table(api, store):
    from maillage.analytics.observatory import observatory_table

    got = ok(api.get("/api/observatory"))
    assert got["rows"] == [json.loads(r.model_dump_json()) for r in observatory_table(store)]
    assert {r["key"]: r for r in got["rows"]}["share_region"]["published"] == 0.75


def test_runs_and_their_metrics_as_json_and_csv(api, store, persons, run_id):
    from maillage.api.exports import metrics_csv

    assert [r["id"] for r in ok(api.get("/api/runs"))] == [r.id for r in reversed(store.runs())]
    got = ok(api.get(f"/api/runs/{run_id}/metrics"))
    assert got["metrics"] == {k: v for k, v in store.metrics(run_id).items() if k not in persons}
    buf = io.StringIO()
    metrics_csv(store, buf, run_id=run_id)
    r = api.get(f"/api/runs/{run_id}/metrics?format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.decode("utf-8") == "\ufeff" + buf.getvalue()
    assert next(csv.reader(io.StringIO(buf.getvalue())))[:2] == ["id", "name"]
    r = api.get("/api/runs/run-inconnu/metrics")
    assert r.status_code == 404 and r.json()["detail"] == "Aucune analyse « run-inconnu »."
    assert api.get(f"/api/runs/{run_id}/metrics?format=xml").status_code == 422


# ---------------------------------------------------------------------------------------------
# exports, maps, explorer (written by other modules: checked when they exist)

def test_exports_of_a_pole_and_of_the_whole_graph(api, store):
    r = api.get(f"/api/export/gexf?pole={POLE}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/gexf+xml")
    assert f'filename="maillage-{POLE}.gexf"' in r.headers["content-disposition"]
    G = nx.read_gexf(io.BytesIO(r.content))
    assert set(G.nodes) == set(store.pole_subgraph(POLE).actors)
    r = api.get("/api/export/graphml")
    assert r.status_code == 200
    assert nx.read_graphml(io.BytesIO(r.content)).number_of_nodes() == sum(1 for _ in store.iter_actors())
    for fmt in ("json", "csv", "kumu.xlsx", "ftm.jsonl"):
        assert api.get(f"/api/export/{fmt}?territory={TERRITORY}").status_code == 200, fmt
    assert api.get(f"/api/export/json?pole={POLE}&actor={MEMBER}").status_code == 400
    assert api.get("/api/export/pdf").status_code == 422


def test_an_export_depth_without_an_actor_is_refused_not_ignored(api, store):
    """``export/json?pole=…&depth=2`` answered 200 with the pôle's depth-1 subgraph: a researcher
    believed she had its 2-step neighbourhood. ``depth`` only means something with ``actor``:
    refused (400) for a pôle, a territory or the whole graph, even ``depth=1``, and the pôle's
    message gives the query that does it; with ``actor``, ``depth`` works as before."""
    cases = {f"pole={POLE}&depth=2": (f"depth ne s'applique qu'au voisinage d'un acteur (actor) ; pour le voisinage "
                                      f"du pôle à 2 liens : actor={POLE}&depth=2.",
                                      f"depth only applies to an actor's neighbourhood (actor); for the pôle's "
                                      f"neighbourhood 2 ties away: actor={POLE}&depth=2."),
             f"territory={TERRITORY}&depth=1": ("depth ne s'applique qu'au voisinage d'un acteur (actor) ; un "
                                                "territoire se prend en entier, sans profondeur.",
                                                "depth only applies to an actor's neighbourhood (actor); a territory "
                                                "is taken whole, without depth."),
             "depth=3": ("depth ne s'applique qu'au voisinage d'un acteur (actor) ; sans pôle, territoire ni acteur, "
                         "c'est le graphe entier.",
                         "depth only applies to an actor's neighbourhood (actor); with no pôle, territory or actor, "
                         "it is the whole graph.")}
    for query, (french, english) in cases.items():
        for extra in ("", "&projection=true"):
            r = api.get(f"/api/export/json?{query}{extra}")
            assert r.status_code == 400 and r.json()["detail"] == french, (query, extra, r.text[:300])
            r = api.get(f"/api/export/nodes.csv?{query}{extra}&lang=en")
            assert r.status_code == 400 and r.json()["detail"] == english, (query, extra, r.text[:300])
    # the query the message gives is the pôle's 2-step neighbourhood, more than its subgraph
    two = ok(api.get(f"/api/export/json?actor={POLE}&depth=2"))
    assert {n["id"] for n in two["nodes"]} == set(store.neighbourhood(POLE, depth=2).actors) - \
        {a.id for a in store.iter_actors(include_persons=True) if a.personal_data}
    assert len(two["nodes"]) > len(ok(api.get(f"/api/export/json?pole={POLE}"))["nodes"])
    assert ok(api.get(f"/api/export/json?actor={MEMBER}&depth=1")) == ok(api.get(f"/api/export/json?actor={MEMBER}"))


def test_maps_are_html_pages(api):
    for url in (f"/map/pole/{POLE}?size_by=degree", f"/map/actor/{MEMBER}?depth=2",
                f"/map/territory/{TERRITORY}", f"/map/path?source={MEMBER}&target={POLE}"):
        r = api.get(url)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), url
        assert "<html" in r.text and "<script src=" not in r.text
    r = api.get(f"/map/pole/{POLE}?size_by=charisme")
    assert r.status_code == 400 and "Métrique inconnue" in r.json()["detail"]
    # a territory's map circles the isolated actors of its diagnostic that it draws
    isolated = {a["id"] for a in api.get(f"/api/territories/{TERRITORY}/diagnostic").json()["isolated"]["items"]}
    html = api.get(f"/map/territory/{TERRITORY}").text
    nodes = map_data(html)["nodes"]
    circled = {n["id"] for n in nodes if n.get("isolated")}
    assert circled and circled == isolated & {n["id"] for n in nodes}


def test_an_amount_says_its_currency_once(writable):
    """A funding tie's amount: « Montant (€) : 26 800 » in French; in English it read
    « Amount (EUR): 26,800 € », the currency twice. On the maps' tooltips and in what the
    explorer page is given (a label with « € » keeps the € out of the value), once in both."""
    from maillage.api.maps import explorer_config

    c, db = writable
    scdl = ("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant;nature\n"
            "Commune de Foix;210900920;15/03/2016;Radio Ariège;;Fonctionnement;26800;aide en numéraire\n")
    ok(c.post("/api/load", files={"file": ("subventions.csv", scdl.encode(), "text/csv")}, data={"format": "scdl"},
              headers={"Authorization": f"Bearer {TOKEN}"}))
    store = open_store(str(db))
    (tie,) = [r for r in store.relations(types=["funds"]) if r.fields.get("amount") == 26800]
    store.close()
    voc = vocabulary()
    eur = {(t, f) for t, rt in voc.relation_types.items() for f, spec in rt.fields.items() if spec.unit == "EUR"}
    assert ("funds", "amount") in eur
    for lang, amount in (("fr", "26\u202f800"), ("en", "26,800")):
        html = c.get(f"/map/actor/{tie.target}", params={"lens": "funding", "lang": lang}).text
        rows = [dict(e["tip"]["rows"]) for e in map_data(html)["edges"] if e["rtype"] == "funds"]
        label = voc.relation_type("funds").fields["amount"].label(lang)
        assert [r[label] for r in rows] == [amount], (lang, rows)
        assert label.count("€") == 1 and "EUR" not in label, label
        fields = {(t["name"], f): spec for t in explorer_config(lang)["types"] for f, spec in t["fields"].items()}
        for key in eur:  # explorer.js adds « € » to a value only when its label has none
            assert fields[key]["label"].count("€") == 1 and "EUR" not in fields[key]["label"], (lang, key)


def test_explorer_page_and_static_files(api):
    page = app_module.STATIC_DIR / "index.html"
    r = api.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    if page.is_file():
        from maillage.api.maps import explorer_page

        # the page with vis-network and the vocabulary inlined by the server
        assert r.text == explorer_page("fr") and 'id="vocabulaire-explorateur"' in r.text
        some = next(p for p in sorted(app_module.STATIC_DIR.iterdir()) if p.is_file())
        assert api.get(f"/static/{some.name}").content == some.read_bytes()
    else:
        assert "explorateur n'est pas installé" in r.text
    assert api.get("/static/absent.js").status_code == 404


def test_without_the_explorer_the_page_says_so_in_the_asked_language(api, tmp_path, monkeypatch):
    """A server whose static folder has no index.html says the explorer is missing and points
    to /docs — in French by default; with lang=en it said it in French too."""
    monkeypatch.setattr(app_module, "STATIC_DIR", tmp_path)  # a real folder with no index.html
    fr, en = api.get("/"), api.get("/?lang=en")
    assert fr.status_code == en.status_code == 200 and en.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in fr.text and "L'explorateur n'est pas installé" in fr.text
    assert '<html lang="en">' in en.text and "The explorer is not installed" in en.text
    assert 'href="/docs"' in en.text and not re.search("[éèàêç«»]", en.text)
    assert api.get("/?lang=de").status_code == 422


# ---------------------------------------------------------------------------------------------
# persons, CORS, unknown paths

def test_persons_never_appear_in_public_responses(api, store, persons):
    # the endpoints the other tests called are in api.public; add the bulky ones for good measure
    for url in ("/api/actors?size=200&page=1", "/api/actors?size=200&page=2", "/api/actors?size=200&page=3",
                f"/api/actors/{POLE}/neighbourhood?depth=3&limit=2000", "/api/poles", "/api/overlaps?limit=2000",
                "/api/observatory", "/api/suggestions?k=50", f"/api/territories/{TERRITORY}/diagnostic"):
        ok(api.get(url))
    names = person_names(store)
    assert len(names) > 100
    mask = person_masker(names)
    found = []
    for url, text in api.public:
        # a 404 says the id it was asked (« Aucun acteur « agnes-gaigneux-e7ccb9 » », the same for a
        # person as for an unknown id): the caller's own words, where the masker sees a name
        said = text
        for part in url.split("?")[0].split("/"):
            said = said.replace(part, "") if len(part) > 2 else said
        if mask(said) != said:
            found.append(url)
        ids = persons & set(_tokens(text))
        assert not ids, (url, sorted(ids)[:3])
    assert not found, found[:5]
    assert len(api.public) > 60


def test_the_person_walk_finds_persons_when_the_token_allows_them(api, store, persons):
    mask = person_masker(person_names(store))
    person = next(r.source for r in store.relations(types=["represents"]) if r.source in persons)
    target = next(r.target for r in store.relations(types=["represents"]) if r.source == person)
    body = api.get(f"/api/actors/{target}/neighbourhood?include_persons=true", token=True).text
    assert person in _tokens(body) and mask(body) != body


def _tokens(text: str) -> list[str]:
    import re

    return re.findall(r'"([^"\\]{3,120})"', text)


def test_cors_header_only_for_configured_origins(api, ref_db):
    r = api.client.get("/health", headers={"Origin": ORIGIN})
    assert r.headers.get("access-control-allow-origin") == ORIGIN
    pre = api.client.options("/api/actors", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-origin" not in api.client.get("/health", headers={"Origin": "https://x.example"}).headers
    with TestClient(create_app(str(ref_db))) as c:
        assert "access-control-allow-origin" not in c.get("/health", headers={"Origin": ORIGIN}).headers


def test_unknown_paths_and_methods_answer_in_french(api):
    r = api.get("/api/nulle-part")
    assert r.status_code == 404 and r.json()["detail"].startswith("Chemin inconnu")
    assert api.client.post("/api/actors").status_code == 405


# ---------------------------------------------------------------------------------------------
# writes

MEMBERS_CSV = "Nom;SIREN;Rôle\nÉcosimo;450324660;membre fondateur\nRésam;;adhérent\n"


@pytest.fixture
def writable(ref_db, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(ref_db, db)
    app = create_app(str(db), token=TOKEN, max_upload_mb=1)
    with TestClient(app) as c:
        yield c, db


def test_load_needs_a_configured_token(ref_db):
    files = {"file": ("membres.csv", MEMBERS_CSV.encode(), "text/csv")}
    with TestClient(create_app(str(ref_db))) as c:
        r = c.post("/api/load", files=files, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 403 and r.json()["detail"].startswith("Écritures désactivées")


def test_load_rejects_missing_or_wrong_tokens(writable):
    c, db = writable
    files = {"file": ("membres.csv", MEMBERS_CSV.encode(), "text/csv")}
    for headers in ({}, {"Authorization": "Bearer faux"}, {"Authorization": TOKEN}):
        r = c.post("/api/load", files=files, data={"pole": "Pôle Essai"}, headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", r.text
        assert "Jeton absent ou invalide" in r.json()["detail"]


def test_load_a_member_list_changes_the_store_and_reports_like_the_cli(writable):
    c, db = writable
    auth = {"Authorization": f"Bearer {TOKEN}"}
    files = {"file": ("membres.csv", MEMBERS_CSV.encode(), "text/csv")}
    before = c.get("/ready").json()
    ego = "/api/actors/scic-ecosimo-222a6a/neighbourhood"
    ego_before = {n["id"] for n in ok(c.get(ego))["nodes"]}
    report = ok(c.post("/api/load", files=files, data={"pole": "Pôle Essai"}, headers=auth))
    assert (report["format"], report["source"], report["rows_read"], report["rejected"]) == \
        ("members", "members:membres.csv", 2, 0)
    # Écosimo is already in the reference data ("Scic Ecosimo"): merged; Résam and the pôle are new
    assert report["loaded"] + report["merged"] == 2 and report["actors_created"] == 2
    assert report["store"]["actors"] == before["actors"] + 2
    after = c.get("/ready").json()
    # membership × 2, and "membre fondateur" also founded the pôle
    assert after["actors"] == before["actors"] + 2 and after["relations"] == before["relations"] + 3
    # the subgraph responses kept in memory were dropped with the load
    ego_after = {n["id"]: n["label"] for n in ok(c.get(ego))["nodes"]}
    assert set(ego_after) - ego_before and "Pôle Essai" in ego_after.values()
    found = c.get("/api/actors?q=450 324 660").json()["items"]  # search by SIREN
    assert len(found) == 1 and found[0]["id"] == "scic-ecosimo-222a6a"
    ecosimo = c.get(f"/api/actors/{found[0]['id']}").json()["actor"]
    assert {"scheme": "siren", "value": "450324660"} in ecosimo["identifiers"]
    pole = c.get("/api/actors?q=P%C3%B4le%20Essai&family=pole").json()["items"][0]
    assert {n["id"] for n in c.get(f"/api/poles/{pole['id']}/subgraph").json()["nodes"]} >= {pole["id"], found[0]["id"]}
    store = open_store(str(db))
    try:
        assert store.stats()["actors"] == before["actors"] + store.stats()["persons"] + 2
        assert "members:membres.csv" in {s.id for s in store.sources()}
    finally:
        store.close()
    again = ok(c.post("/api/load", files=files, data={"pole": "Pôle Essai"}, headers=auth))
    assert again["actors_created"] == 0 and c.get("/ready").json() == after  # reloading changes nothing
    # the reload says which load it replaced, as documented in the OpenAPI schema
    assert report["replaced"] is None
    assert again["replaced"]["rows_read"] == 2 and again["replaced"]["same_content"] is True
    assert again["replaced"]["loaded_at"][:4].isdigit()
    schema = c.get("/openapi.json").json()["components"]["schemas"]
    assert "replaced" in schema["LoadReportOut"]["properties"]
    assert set(schema["ReplacedLoadOut"]["properties"]) == set(again["replaced"])
    # the same bytes under another name (« membres (2).csv »): refused as `maillage load` does —
    # each tie would be counted twice — unless duplicate=true
    copy = {"file": ("membres (2).csv", MEMBERS_CSV.encode(), "text/csv")}
    r = c.post("/api/load", files=copy, data={"pole": "Pôle Essai"}, headers=auth)
    assert r.status_code == 400, r.text
    assert "même contenu que la source « members:membres.csv »" in r.json()["detail"]
    assert c.get("/ready").json() == after
    forced = ok(c.post("/api/load", files=copy, data={"pole": "Pôle Essai", "duplicate": "true"}, headers=auth))
    assert forced["source"] == "members:membres (2).csv" and c.get("/ready").json()["relations"] == \
        after["relations"] + 3


def test_load_reports_what_reading_the_file_noticed(writable):
    """The API's load report says, as the CLI does, what reading noticed: a list saved from
    Excel in Windows-1252 below a title row — in French by default, in English with lang=en."""
    c, _ = writable
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = "Adhérents 2024\nNom;Commune\nCafé Solidaire;Albi\n".encode("cp1252")
    report = ok(c.post("/api/load", files={"file": ("adherents.csv", body, "text/csv")}, data={"pole": "Pôle Essai"},
                       headers=auth))
    assert report["loaded"] == 1 and "en-tête trouvé à la ligne 2 (les lignes au-dessus ignorées)" in report["notes"]
    assert any(n.startswith("encodage cp1252 détecté") and "cp1252" in n for n in report["notes"]), report["notes"]
    report = ok(c.post("/api/load?lang=en", files={"file": ("adherents.csv", body, "text/csv")},
                       data={"pole": "Pôle Essai"}, headers=auth))
    assert "header found on row 2 (rows above it skipped)" in report["notes"]
    bad = c.post("/api/load", files={"file": ("liste.csv", b"Nom;R\xc3\xb4le\nA;membre\n", "text/csv")}, headers=auth)
    assert bad.status_code == 400 and "ne nomme pas de pôle" in bad.text, bad.text


def test_load_errors_are_400_and_large_bodies_413(writable):
    c, _ = writable
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = c.post("/api/load", files={"file": ("x.csv", b"a;b\n1;2\n", "text/csv")}, data={"format": "nope"}, headers=auth)
    assert r.status_code == 400 and "Format inconnu" in r.json()["detail"]
    r = c.post("/api/load", data={"pole": "x"}, headers=auth)
    assert r.status_code == 400
    r = c.post("/api/load", files={"file": ("m.csv", MEMBERS_CSV.encode(), "text/csv")}, data={"option": "sans-egal"},
               headers=auth)
    assert r.status_code == 400 and "CLÉ=VALEUR" in r.json()["detail"]
    big = b"Nom\n" + b"x" * (1024 * 1024 + 10)
    r = c.post("/api/load", files={"file": ("gros.csv", big, "text/csv")}, headers=auth)
    assert r.status_code == 413 and r.json()["detail"].startswith("Requête trop volumineuse")

    def chunked():  # no Content-Length: the limit counts the bytes read
        boundary = b"--xyz\r\n"
        yield boundary + b'Content-Disposition: form-data; name="file"; filename="gros.csv"\r\n\r\n'
        for _ in range(20):
            yield b"y" * 100_000
        yield b"\r\n--xyz--\r\n"
    r = c.post("/api/load", content=chunked(), headers={**auth, "Content-Type": "multipart/form-data; boundary=xyz"})
    assert r.status_code == 413, r.text


# ---------------------------------------------------------------------------------------------
# plumbing

def test_sqlite_stores_are_one_per_thread(ref_db):
    import threading

    provider = service_module.StoreProvider(str(ref_db))
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(id(provider.get()))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 3 and provider.get() is provider.get()
    provider.close()


def test_memo_drops_the_oldest_entries_and_everything_when_the_store_changes():
    memo = service_module._Memo(most=3)
    assert memo.lookup("v1", "abcd") == {}
    memo.keep("v1", {"a": 1, "b": 2})
    memo.keep("v1", {"c": 3, "d": 4})
    assert memo.lookup("v1", "abcd") == {"b": 2, "c": 3, "d": 4}
    memo.keep("v1", {"big": 0}, weight=4)  # heavier than the whole memory: not kept
    assert memo.lookup("v1", ["big", "d"]) == {"d": 4}
    assert memo.lookup("v2", "abcd") == {}  # another fingerprint: the store changed


def test_concurrent_requests_agree(api):
    from concurrent.futures import ThreadPoolExecutor

    urls = [f"/api/actors/{POLE}/neighbourhood?depth={d}" for d in (1, 2)] * 6
    expected = {u: api.client.get(u).json() for u in set(urls)}
    with ThreadPoolExecutor(6) as pool:
        got = list(pool.map(lambda u: (u, api.client.get(u).json()), urls))
    assert all(body == expected[u] for u, body in got)


def test_openapi_documents_every_endpoint_in_french_and_english(api):
    spec = ok(api.get("/openapi.json"))
    paths = spec["paths"]
    for p in ("/health", "/ready", "/api/actors", "/api/actors/{actor_id}", "/api/actors/{actor_id}/neighbourhood",
              "/api/poles", "/api/poles/{pole_id}/subgraph", "/api/poles/{pole_id}/diagnostic",
              "/api/territories/{tid}/actors", "/api/territories/{tid}/isolated", "/api/territories/{tid}/diagnostic",
              "/api/territories/{tid}/subgraph", "/api/path", "/api/overlaps", "/api/suggestions", "/api/observatory",
              "/api/runs", "/api/runs/{run_id}/metrics", "/api/export/{fmt}", "/map/actor/{actor_id}",
              "/map/pole/{pole_id}", "/map/territory/{tid}", "/map/path", "/api/load"):
        assert p in paths, p
        for op in paths[p].values():
            assert "/ " in op["description"], p  # French / English
    schemas = spec["components"]["schemas"]
    assert schemas["SubgraphOut"]["examples"] and schemas["ErrorOut"]["examples"]
    assert "HTTPBearer" in spec["components"]["securitySchemes"]


def test_doctests():
    for mod in (models_module, service_module, app_module):
        assert doctest.testmod(mod, optionflags=doctest.ELLIPSIS).failed == 0, mod.__name__


def test_small_depth_1_neighbourhoods_run_on_the_event_loop_and_give_the_same_answer(ref_db, store, persons):
    """A depth-1 neighbourhood whose centre has few cached ties is computed without the hop to
    a worker thread (Service.small_neighbourhood); its body is byte for byte the one the
    thread path gives, and a hub or an uncached centre still goes to a thread."""
    from maillage.api.service import SMALL_NEIGHBOURHOOD_TIES

    degree = Counter()
    for r in store.relations():
        degree[r.source] += 1
        degree[r.target] += 1
    public = [a for a in degree if a not in persons]
    small = next(a for a in sorted(public) if 1 <= degree[a] <= SMALL_NEIGHBOURHOOD_TIES)
    hub = max(public, key=lambda a: degree[a])
    assert degree[hub] > SMALL_NEIGHBOURHOOD_TIES
    app = create_app(str(ref_db), response_cache_mb=0)
    svc = app.state.service
    with TestClient(app) as c:
        assert not svc.small_neighbourhood(small)  # ties not cached yet: a thread computes them
        first = c.get(f"/api/actors/{small}/neighbourhood").content
        assert svc.small_neighbourhood(small)
        assert c.get(f"/api/actors/{small}/neighbourhood").content == first
        c.get(f"/api/actors/{hub}/neighbourhood")
        assert not svc.small_neighbourhood(hub)
    # a store shared behind a lock (in memory) never runs on the event loop
    shared = create_app(":memory:")
    assert not shared.state.service.small_neighbourhood(small)


def test_warming_computes_the_whole_graph_analyses_a_first_visitor_needs(ref_db, tmp_path):
    """Service.warm fills the cache with exactly what the first requests for the pôles table,
    the overlaps and the observatory use: afterwards those requests compute nothing."""
    app = create_app(str(ref_db))
    svc = app.state.service
    assert svc.warm() == []
    keys = set(svc.cache.data)
    assert {("poles", None, "fr"), ("overlaps", None), ("observatory", None, "fr"), ("coop_graph", None),
            ("persons",)} <= keys
    with TestClient(app) as c:
        for url in ("/api/poles", "/api/overlaps", "/api/observatory"):
            ok(c.get(url))
    assert set(svc.cache.data) == keys  # nothing new was computed for them
    # while warming, /ready says so (503) — the service is up but not yet quick
    svc.warmed.clear()
    with TestClient(app) as c:
        r = c.get("/ready")
        assert r.status_code == 503 and "Préparation en cours" in r.json()["detail"]
        svc.warm()
        assert c.get("/ready").status_code == 200

    # an unusable store: warming reports it and does not raise
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    assert any(f.startswith("persons: ") for f in create_app(str(junk)).state.service.warm())


def test_a_territory_map_says_how_many_tied_actors_have_no_place(tmp_path, shared):
    """The Haute-Garonne SCDL file alone: the territory's subgraph holds its two attribuants,
    and a note (French by default) counts the bénéficiaires tied to them that have no known
    place — as many as the store's funding ties reach (counted here from the store)."""
    from maillage.graph import open_store

    uri = str(tmp_path / "hg.db")
    with open_store(uri) as s:
        load_file(s, shared / "realdata/scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv",
                  rejects_dir=tmp_path)
        targets = {r.target for r in s.relations(types=["funds"])}
    with TestClient(create_app(uri)) as c:
        fr = ok(c.get("/api/territories/departement:31/subgraph"))
        en = ok(c.get("/api/territories/departement:31/subgraph", params={"lang": "en"}))
        other = ok(c.get("/api/territories/departement:80/subgraph"))
    assert len(fr["nodes"]) == 2
    assert len(targets) > 1 and fr["notes"] == [
        f"{len(targets)} acteurs liés à ceux du territoire n'ont pas de lieu connu et ne "
        "sont pas sur la carte : une source qui donne leur commune les situerait (un fichier de "
        "subventions ne donne pas l'adresse des bénéficiaires ; un extrait SIRENE qui les "
        "contient, si)."]
    assert en["notes"][0].startswith(f"{len(targets)} actors tied to this territory's actors have no known place")
    assert not any("lieu connu" in n for n in other["notes"])  # the Somme: nothing of this file there


def test_the_note_on_unplaced_actors_agrees_with_their_number(api):
    """« 1 acteur lié … n'a pas de lieu connu », « 3 acteurs liés … n'ont pas », not « acteur(s)
    lié(s) » (the explorer shows the note above a territory's map)."""
    def note(tid, lang="fr"):
        notes = ok(api.get(f"/api/territories/{tid}/subgraph", params={"lang": lang}))["notes"]
        return next(n for n in notes if "lieu connu" in n or "known place" in n)

    assert note("commune:31555").startswith("1 acteur lié à ceux du territoire n'a pas de lieu connu et n'est pas "
                                            "sur la carte : une source qui donne sa commune le situerait")
    assert note("commune:31555", "en").startswith("1 actor tied to this territory's actors has no known place and "
                                                  "is not on the map: a source giving its commune would place it")
    assert note("departement:31").startswith("3 acteurs liés à ceux du territoire n'ont pas de lieu connu et ne "
                                             "sont pas sur la carte : une source qui donne leur commune les situerait")
    assert note("departement:31", "en").startswith("3 actors tied to this territory's actors have no known place")


def test_load_rejects_csv_is_french_unless_lang_en(writable):
    """The rejects file the API sends back is the one `maillage load` writes: French by default
    (header, level, reason), English with ?lang=en."""
    c, _ = writable
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = "Nom;SIREN;Rôle\nÉcosimo;450324660;membre fondateur\n;;adhérent\n"
    files = {"file": ("sans-nom.csv", text.encode(), "text/csv")}
    fr = ok(c.post("/api/load", files=files, data={"pole": "Pôle Essai"}, headers=auth))
    (row,) = list(csv.DictReader(io.StringIO(fr["rejects_csv"]), delimiter=";"))
    assert (row["fichier"], row["ligne"], row["niveau"], row["colonne"]) == ("sans-nom.csv", "3", "rejet", "Nom")
    assert row["motif"].startswith("pas de nom")
    en = ok(c.post("/api/load?lang=en", files=files, data={"pole": "Pôle Essai"}, headers=auth))
    (row,) = list(csv.DictReader(io.StringIO(en["rejects_csv"]), delimiter=";"))
    assert (row["file"], row["row"], row["level"], row["column"]) == ("sans-nom.csv", "3", "rejected", "Nom")
    assert row["reason"].startswith("no name: column 'Nom' is empty")


@pytest.mark.parametrize("lang, roles", ROLE_WORDS)
def test_an_edges_role_label_says_the_role_as_a_map_tooltip_does(tmp_path, lang, roles):
    """The explorer showed a relation's ``fields.role`` as the file wrote it (« Rôle : founding
    member » on a French page). Each edge now has a ``role_label``: the map tooltip's text
    (:func:`maillage.api.maps.role_text`), in the asked language; ``fields.role`` stays as
    written (researchers' scripts read it). An edge without a role has none."""
    from maillage.api.maps import role_text

    (tmp_path / "members.csv").write_text(ENGLISH_ROLES, encoding="utf-8")
    uri = str(tmp_path / "s.db")
    with open_store(uri) as s:
        load_file(s, tmp_path / "members.csv", rejects_dir=tmp_path, options={"pole": "Pôle du Canal"})
        pole = next(iter(s.search("Pôle du Canal", family="pole", limit=1))).id
        rels = {r.id: r for r in s.relations()}
    with TestClient(create_app(uri)) as c:
        detail = ok(c.get(f"/api/actors/{pole}", params={"lang": lang}))
        sub = ok(c.get(f"/api/poles/{pole}/subgraph", params={"lang": lang}))
    names = {a["id"]: a["label"] for a in sub["nodes"]}
    for edges in (detail["relations"], sub["edges"]):
        said = {names[e["source"]]: e["role_label"] for e in edges if "role" in e["fields"]}
        assert said == roles
        assert all(e["role_label"] == role_text(rels[e["id"]], lang) for e in edges if "role" in e["fields"])
        written = {names[e["source"]]: e["fields"]["role"] for e in edges if "role" in e["fields"]}
        assert written == WRITTEN
        assert all(e.get("role_label") is None for e in edges if "role" not in e["fields"])


@pytest.mark.parametrize("url, unknown, accepted", [
    ("/api/overlaps?types=nope", "types", "as_of, lang, limit"),
    (f"/api/poles/{POLE}/subgraph?types=funds", "types", "as_of, include_persons, lang, lens, limit"),
    ("/api/poles?lens=funding", "lens", "as_of, lang"),
    (f"/api/territories/{TERRITORY}/actors?family=ess", "family", "as_of, lang, page, size"),
    ("/api/suggestions?types=funds&k=3", "types", "actor, as_of, k, lang, pole, territory"),
    (f"/api/actors/{POLE}/neighbourhood?depth=2&couleur=rouge", "couleur",
     "as_of, depth, include_persons, lang, lens, limit, types"),
])
def test_a_parameter_the_endpoint_does_not_take_is_refused_naming_those_it_takes(api, url, unknown, accepted):
    """`/api/overlaps?types=nope` answered 200 with every pôle: the filter was silently dropped,
    as any value the endpoint does not take. Refused as an unknown lens or family is, naming
    what the endpoint takes."""
    r = api.get(url)
    assert r.status_code == 400, (url, r.text[:200])
    assert r.json()["detail"] == f"Paramètre inconnu « {unknown} » ; paramètres possibles : {accepted}."
    en = api.get(url + "&lang=en").json()["detail"]
    assert en == f"Unknown parameter '{unknown}'; expected one of: {accepted}."


def test_an_unknown_actor_kind_names_the_kinds(api):
    r = api.get("/api/actors?kind=dragon")
    assert r.status_code == 400
    assert r.json()["detail"].startswith("Type d'acteur inconnu « dragon » ; types d'acteur possibles : ")
    assert "scic" in r.json()["detail"] and "ptce" in r.json()["detail"]
    r = api.get("/api/actors?q=a&types=dragon,licorne")
    assert r.json()["detail"].startswith("Paramètre inconnu « types » ; paramètres possibles : family, ")
    r = api.get(f"/api/actors/{POLE}/neighbourhood?types=dragon,licorne")
    assert r.json()["detail"].startswith("Type(s) de relation inconnu(s) « dragon », « licorne » ; types possibles : ")


# -- a pôle's or a territory's view through a lens ---------------------------------------------

@pytest.mark.parametrize("scope, url", [("pole", f"/api/poles/{POLE}/subgraph"),
                                        ("territory", f"/api/territories/{TERRITORY}/subgraph")])
def test_a_view_through_a_lens_is_what_its_export_holds(api, scope, url):
    """A pôle's or a territory's view took no lens: the explorer drew one by keeping the
    relations of the lens's types among the actors tied to the pôle by any type, so a pôle's
    view in the cooperation lens in 2016 drew 3 relations its export through the same lens did
    not hold (Le Labo de l'ESS's, tied to the pôle by a ``related`` statement only, outside the
    lens: Novetat–Labo, COORACE–Labo), and its note said the
    measures described « lentille tout ». Through a lens, the view is its export's: the same
    actors, the same relations."""
    lens_types = set(vocabulary().types_in_lens("cooperation"))
    for params in ({"lens": "cooperation", "as_of": 2016}, {"lens": "funding"}, {"lens": "all", "as_of": 2016}):
        view = ok(api.get(url, params={**params, "limit": 2000}))
        export = ok(api.get("/api/export/json", params={scope: POLE if scope == "pole" else TERRITORY, **params}))
        assert {n["id"] for n in view["nodes"]} == {n["id"] for n in export["nodes"]}, params
        assert {e["id"] for e in view["edges"]} == {e["id"] for e in export["edges"]}, params
        assert view["edges"] and not view["capped"]
    # lens « all » is the view without a lens
    whole = ok(api.get(url, params={"as_of": 2016, "limit": 2000}))
    assert whole == ok(api.get(url, params={"as_of": 2016, "limit": 2000, "lens": "all"}))
    if scope == "pole":  # what the explorer drew: every type's view, the lens's relations kept
        drawn = {e["id"] for e in whole["edges"] if e["type"] in lens_types}
        view = ok(api.get(url, params={"lens": "cooperation", "as_of": 2016}))
        assert drawn - {e["id"] for e in view["edges"]}
    # an unknown lens is refused as the neighbourhood's is
    r = api.get(url, params={"lens": "amitié"})
    assert r.status_code == 400 and r.json()["detail"].startswith("Lentille inconnue « amitié » ; lentilles possibles : ")


def test_a_view_through_a_lens_names_it_in_its_note(api, run_id):
    """The note on the run of a pôle's view named « lentille tout » whatever lens the explorer
    showed, and told to run ``--lens tout``: it names the view's lens and year."""
    funding = ok(api.get(f"/api/poles/{POLE}/subgraph", params={"lens": "funding", "as_of": 2016}))
    note = funding["notes"][-1]
    assert "décrivent une autre vue que celle-ci (lentille financement, 2016) ; pour les mesures de cette vue : " \
           "maillage analyse --lens financement --as-of 2016." in note, note
    assert "lentille tout" not in note and "--lens tout" not in note
    en = ok(api.get(f"/api/territories/{TERRITORY}/subgraph", params={"lens": "funding", "lang": "en"}))
    assert "describe another view than this one (lens funding, all years); for the measures of this view: " \
           "maillage analyse --lens funding." in en["notes"][-1], en["notes"]
    # the run's own lens and year: nothing to say (the fixture's run is cooperation, all years)
    r = api.get(f"/api/poles/{POLE}/subgraph", params={"lens": "cooperation"})
    assert r.headers["x-maillage-run"] == run_id and "x-maillage-notes" not in r.headers
    assert not any("autre vue" in n for n in r.json()["notes"])


def test_a_map_through_a_lens_draws_its_export(api):
    """``/map/pole`` and ``/map/territory`` took no lens: the explorer's « Carte autonome »
    link lost it. They take it as the views do."""
    for url, scope in ((f"/map/pole/{POLE}", {"pole": POLE}), (f"/map/territory/{TERRITORY}", {"territory": TERRITORY})):
        params = {"lens": "cooperation", "as_of": 2016}
        r = api.get(url, params={**params, "limit": 2000})
        assert r.status_code == 200, r.text[:300]
        drawn = {e["id"] for e in map_data(r.text)["edges"]}
        exported = {e["id"] for e in ok(api.get("/api/export/json", params={**scope, **params}))["edges"]}
        assert drawn == exported and drawn
        assert drawn != {e["id"] for e in map_data(api.get(url, params={"as_of": 2016, "limit": 2000}).text)["edges"]}
        page = html_unescape(api.get(url, params={**params, "size_by": "degree"}).text)
        assert "(lentille coopération, 2016)" in page


def test_the_criteria_a_pole_panel_shows_agree_with_their_numbers(api, store):
    """The pôle panel shows each criterion's reason as the diagnostic gives it: « 4 collectivité(s)
    liée(s) au pôle », « réseau(x) de l'ESS : … », « 1 lien(s) d'hébergement », « parmi les 0
    acteur(s) documentés ». Each now agrees with its number, in French and English."""
    plural = re.compile(r"\w\((?:s|x)\)")
    made_by_criteria = ("K2", "K3", "K4", "K5", "K7", "K10", "K13", "K16", "K18")  # analytics/criteria.py's words
    seen = {}
    for p in store.search("", family="pole", limit=1000):
        for lang in ("fr", "en"):
            for c in ok(api.get(f"/api/poles/{p.id}/diagnostic", params={"lang": lang}))["criteria"]:
                seen[p.id, lang, c["id"]] = c["reason"] or ""
    assert not {k: v for k, v in seen.items() if k[2] in made_by_criteria and plural.search(v)}
    assert not {k: v for k, v in seen.items() if k[2] == "K6" and plural.search(v.split(";")[0])}  # its count
    expected = {
        ("artis-2d8cfb", "fr", "K3"): "1 collectivité liée au pôle (",
        ("artis-2d8cfb", "en", "K3"): "1 collectivité tied to the pôle (",
        ("ardaines-ab7f82", "fr", "K3"): "4 collectivités liées au pôle (",
        ("ardaines-ab7f82", "en", "K3"): "4 collectivités tied to the pôle (",
        (POLE, "fr", "K16"): "7 réseaux de l'ESS : ", (POLE, "en", "K16"): "7 SSE networks: ",
        ("ardaines-ab7f82", "fr", "K16"): "1 réseau de l'ESS : ", ("ardaines-ab7f82", "en", "K16"): "1 SSE network: ",
        ("la-coursive-boutaric-a13bc4", "fr", "K13"): "1 lien d'hébergement : ",
        ("la-coursive-boutaric-a13bc4", "en", "K13"): "1 hosting tie: ",
        ("la-coursive-boutaric-a13bc4", "fr", "K2"): "1 entreprise classique liée au pôle : ",
        ("ardaines-ab7f82", "en", "K2"): "2 classic enterprises tied to the pôle: ",
        (POLE, "fr", "K6"): "36 membres listés, structure porteuse comprise, 30 membres déclarés ;",
        (POLE, "en", "K6"): "36 members listed, structure porteuse included, 30 members declared;",
        ("3-eva-823562", "fr", "K2"): "aucune entreprise classique parmi 0 acteur documenté autour du pôle ;",
        ("3-eva-823562", "en", "K2"): "no classic enterprise among 0 actors documented around the pôle;",
    }
    assert {k: seen[k][:len(v)] for k, v in expected.items()} == expected


def test_a_projection_says_what_it_leaves_out_agreeing_with_the_numbers():
    """A lens projection's lines said « 1 lien(s) seulement prévu(s) ou annoncé(s) non compté(s) »."""
    from maillage.api.lens_export import LensView

    one = LensView(nx.Graph(), {}, "cooperation", None, outside=1, left_out={"planned": 1, "refused": 1})
    many = LensView(nx.Graph(), {}, "cooperation", None, outside=2, left_out={"planned": 3, "refused": 4})
    assert one.notes() == ["1 lien direct vers des acteurs hors du périmètre écarté",
                           "1 lien seulement prévu ou annoncé non compté",
                           "1 demande de financement refusée non comptée"]
    assert many.notes() == ["2 liens directs vers des acteurs hors du périmètre écartés",
                            "3 liens seulement prévus ou annoncés non comptés",
                            "4 demandes de financement refusées non comptées"]
    assert one.notes("en") == ["1 direct tie to actors outside the view left out",
                               "1 tie only planned or announced not counted",
                               "1 refused funding application not counted"]
    assert many.notes("en") == ["2 direct ties to actors outside the view left out",
                                "3 ties only planned or announced not counted",
                                "4 refused funding applications not counted"]
