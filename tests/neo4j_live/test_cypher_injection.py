"""Cypher injection is inert: every API parameter and every store method that takes a user's
string, fed with injection payloads, against a live Neo4j holding the reference dataset.

- **The graph is unchanged** after every read: node and relationship counts by label and type,
  a checksum over every node (labels, properties) and relationship (type, properties, its two
  ends), and the database's labels, relationship types, property keys (a key an injected ``SET``
  created would stay even if its transaction failed), indexes and constraints.
- **The answers are clean**: through the API, each request answers 200, 400, 404 or 422 — never
  a 5xx (a syntax error the payload provoked would surface as a 503) — and the *same* status and
  body as the API on the embedded SQLite store holding the same data, where parameters are
  bound too: the payload is data on both. The store methods return nothing (or raise
  ``NotFound``), never a Cypher error; the Cypher catalogue (:mod:`maillage.queries`) likewise.
- **Writes** (``POST /api/load`` with the token) store the payloads as literal names, pôle
  name and option values: the actors named like them exist, nothing of the reference data
  changed or disappeared.
- ``run_cypher`` runs in a read transaction: a write through it is refused.

Figures: the number of payloads × parameters is printed with ``-s``.
"""

from __future__ import annotations

import csv
import hashlib
import inspect
import io
from collections import Counter
from urllib.parse import quote, urlencode

import orjson
import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph.model import Actor
from maillage.graph.store import Join, NotFound, ResolvedStatement, StoreError
from maillage.queries import catalogue, run as run_query

TOKEN = "jeton-injection-3b7d"
MEMBER = "access-2b2ad1"
POLE = "periscope-le-periscope-248958"
TERRITORY = "departement:31"

PAYLOADS = [
    '"}) MATCH (n) DETACH DELETE n //',
    "'}) MATCH (n) DETACH DELETE n //",
    "' OR 1=1 //",
    '" OR 1=1 //',
    "x` ) DETACH DELETE n //",
    "`Actor`",
    "$param",
    "$ids",
    "\\u0027}) MATCH (n) DETACH DELETE n //",
    "\u2019}) MATCH (n) DETACH DELETE n //",
    "1 UNION MATCH (n) DETACH DELETE n RETURN 1 AS id",
    "x'}) CREATE (:Pwned {at: 1}) //",
    "'}) SET n.pwned = true //",
    "*/ MATCH (n) DETACH DELETE n /*",
    "CALL dbms.security.createUser('pwn', 'pwn', false)",
    "a\nMATCH (n) DETACH DELETE n",
    "departement:31' OR '1'='1",
    "membership]->() DETACH DELETE r //",
    "\\",
    "a\x00b",
]
#: Parameters FastAPI checks before anything reaches the store (integers, booleans, enums)
#: get these few; every string parameter gets all of :data:`PAYLOADS`.
TYPED_PAYLOADS = ["' OR 1=1 //", '"}) MATCH (n) DETACH DELETE n //', "$param"]


# ---------------------------------------------------------------------------------------------
# the graph's fingerprint

def _sha(value) -> str:
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()


def fingerprint(store) -> dict:
    """Counts, checksums and schema of the whole database (see the module docstring)."""
    nodes = store.run_cypher("MATCH (n) RETURN elementId(n) AS e, labels(n) AS l, properties(n) AS p")
    h = {n["e"]: _sha([sorted(n["l"]), n["p"]]) for n in nodes}
    rels = store.run_cypher("MATCH (a)-[r]->(b) RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS t, "
                            "properties(r) AS p")
    one = lambda q: store.run_cypher(q)[0]["x"]  # noqa: E731
    return {
        "nodes": Counter(label for n in nodes for label in n["l"]),
        "relationships": Counter(r["t"] for r in rels),
        "node_checksum": _sha(sorted(h.values())),
        "relationship_checksum": _sha(sorted(_sha([r["t"], r["p"], h[r["a"]], h[r["b"]]]) for r in rels)),
        "labels": sorted(one("CALL db.labels() YIELD label RETURN collect(label) AS x")),
        "types": sorted(one("CALL db.relationshipTypes() YIELD relationshipType RETURN collect(relationshipType) AS x")),
        "property_keys": sorted(one("CALL db.propertyKeys() YIELD propertyKey RETURN collect(propertyKey) AS x")),
        "indexes": sorted(one("SHOW INDEXES YIELD name RETURN collect(name) AS x")),
        "constraints": sorted(one("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS x")),
    }


@pytest.fixture(scope="module")
def before(reference_neo4j):
    fp = fingerprint(reference_neo4j)
    assert fp["nodes"]["Actor"] > 500 and sum(fp["relationships"].values()) > 900
    return fp


@pytest.fixture(scope="module")
def apis(reference_neo4j, reference_sqlite):
    with TestClient(create_app(store=reference_neo4j, token=TOKEN)) as neo, \
            TestClient(create_app(store=reference_sqlite, token=TOKEN)) as sql:
        yield neo, sql


# ---------------------------------------------------------------------------------------------
# the API

def api_cases(spec: dict) -> list[tuple[str, str, str, str]]:
    """``(operation, parameter, payload, url)`` for every parameter of every GET operation: the
    parameter holds the payload, the other required ones a real value."""
    real = {"actor_id": MEMBER, "pole_id": POLE, "tid": TERRITORY, "run_id": "inconnu", "fmt": "json",
            "source": MEMBER, "target": POLE, "q": "Haute-Garonne"}
    cases = []
    for path, ops in sorted(spec["paths"].items()):
        op = ops.get("get")
        if op is None:
            continue
        params = op.get("parameters", [])
        for p in params:
            schema = p.get("schema", {})
            kinds = {schema.get("type")} | {x.get("type") for x in schema.get("anyOf", [])}
            typed = bool(kinds & {"integer", "boolean"}) or "enum" in schema or "const" in schema or \
                any("enum" in x for x in schema.get("anyOf", []))
            for payload in (TYPED_PAYLOADS if typed else PAYLOADS):
                values = {x["name"]: real[x["name"]] for x in params if x.get("required") and x["name"] != p["name"]}
                url = path
                for name in [x["name"] for x in params if x["in"] == "path"]:
                    url = url.replace("{" + name + "}", quote(payload if name == p["name"] else values.pop(name), safe=""))
                query = {k: v for k, v in values.items()}
                if p["in"] == "query":
                    query[p["name"]] = payload
                cases.append((f"GET {path}", p["name"], payload, url + ("?" + urlencode(query) if query else "")))
    return cases


def test_every_api_parameter_treats_injection_as_data(apis, reference_neo4j, before):
    neo, sql = apis
    cases = api_cases(neo.get("/openapi.json").json())
    statuses, differ = Counter(), []
    for op, param, payload, url in cases:
        a, b = neo.get(url), sql.get(url)
        statuses[a.status_code] += 1
        assert a.status_code in (200, 400, 404, 422), (op, param, payload, a.status_code, a.text[:300])
        if (a.status_code, a.content) != (b.status_code, b.content):
            differ.append((url, a.status_code, b.status_code, a.text[:200], b.text[:200]))
    assert not differ, differ[:3]
    assert fingerprint(reference_neo4j) == before
    params = {(op, p) for op, p, _, _ in cases}
    assert len(params) > 80 and statuses[200] > 0 and statuses[404] > 0 and statuses[422] > 0
    print(f"\nAPI: {len(cases)} requests = {len(params)} parameters × payloads "
          f"({len(PAYLOADS)} for strings, {len(TYPED_PAYLOADS)} for typed ones); statuses {dict(statuses)}")


def test_search_by_an_injection_finds_exactly_what_a_literal_search_finds(apis):
    """The payload is matched as text, folded like any search (accents, case, punctuation): it
    finds what its words typed plainly find (« a\\x00b » is the words « a » and « b »; most
    payloads leave words that match no name), and a payload with no letter or digit left
    (``\\``) is an empty search, listing every actor, as on SQLite."""
    from maillage.graph.names import fold

    neo, sql = apis
    everyone = neo.get("/api/actors?size=1").json()["total"]
    nothing = 0
    for payload in PAYLOADS:
        got = neo.get("/api/actors?" + urlencode({"q": payload, "size": 200})).json()
        assert got == sql.get("/api/actors?" + urlencode({"q": payload, "size": 200})).json(), payload
        words = fold(payload)
        plain = neo.get("/api/actors?" + urlencode({"q": words, "size": 200})).json() if words else None
        assert got["total"] == (plain["total"] if words else everyone), (payload, got["items"][:2])
        assert not words or [a["id"] for a in got["items"]] == [a["id"] for a in plain["items"]], payload
        nothing += got["total"] == 0
    assert nothing >= len(PAYLOADS) // 2  # most payloads leave no word of any name: the test is not vacuous
    assert neo.get("/api/actors?" + urlencode({"q": "périscope"})).json()["total"] >= 1


# ---------------------------------------------------------------------------------------------
# the store and the catalogue

def store_calls(store, payload: str, real: str) -> dict[str, callable]:
    """Every method of the store interface that takes a user's string, with ``payload`` in it."""
    p = payload
    return {
        "get_actor": lambda: store.get_actor(p),
        "get_actors": lambda: {k: v for k, v in store.get_actors([p, real]).items() if k != real},
        "find_by_identifier(scheme)": lambda: store.find_by_identifier(p, "450324660"),
        "find_by_identifier(value)": lambda: store.find_by_identifier("siren", p),
        "find_by_identifier(siret)": lambda: store.find_by_identifier("siret", p),
        "find_by_name": lambda: store.find_by_name(p),
        "search(text)": lambda: store.search(p, limit=50),
        "search(family)": lambda: store.search("", family=p),
        "search(territory)": lambda: store.search("", territory=p),
        "actors_in_territory": lambda: store.actors_in_territory(p),
        "relations(touching)": lambda: store.relations(touching=[p]),
        "relations(among)": lambda: store.relations(among=[p, real]),
        "relations(types)": lambda: store.relations(touching=[real], types=[p]),
        "relations(certainty)": lambda: store.relations(touching=[real], certainty=[p]),
        "relations(source)": lambda: store.relations(touching=[real], source=p),
        "metrics(run_id)": lambda: store.metrics(run_id=p),
        "metrics(actor_id)": lambda: store.metrics(actor_id=p),
        "metrics(actor_ids)": lambda: store.metrics(actor_ids=[p, real]),
        "ties(touching)": lambda: store.ties([p]),
        "ties(types)": lambda: store.ties([real], types=[p]),
        "ties(certainty)": lambda: store.ties([real], certainty=[p]),
        "tie_fields(touching)": lambda: store.tie_fields([p]),
        "tie_fields(types)": lambda: store.tie_fields([real], types=[p]),
        "tie_fields(source)": lambda: store.tie_fields([real], source=p),
        "neighbourhood(actor)": lambda: store.neighbourhood(p),
        "neighbourhood(types)": lambda: store.neighbourhood(real, types=[p]).relations,
        "pole_subgraph": lambda: store.pole_subgraph(p),
        "pole_context_subgraph": lambda: store.pole_context_subgraph(p),
        "pole_context_subgraph(skip_certainty)": lambda: store.pole_context_subgraph(POLE, skip_certainty=[p]),
        "territory_subgraph": lambda: store.territory_subgraph(p),
        "projection(types)": lambda: store.projection(types=[p]).relations,
        "projection(certainty)": lambda: store.projection(certainty=[p]).relations,
        "statements": lambda: store.statements(p),
        "statements_of": lambda: {k: v for k, v in store.statements_of([p, real]).items() if k != real},
        "resolved_statements": lambda: {k: v for k, v in store.resolved_statements([p, real]).items() if k != real},
        "source_statements": lambda: store.source_statements(p),
        "resolution_log": lambda: store.resolution_log(p),
        "resolution_of": lambda: store.resolution_of(p),
        "proposals": lambda: store.proposals(p),
        "decisions": lambda: store.decisions(p),
        "source": lambda: store.source(p),
        "remove_source": lambda: store.remove_source(p),
        "detach_statement": lambda: store.detach_statement(p, p, p),
        "merge_statement": lambda: store.merge_statement(p, p, real),
        "undo_accept": lambda: store.undo_accept(p, p, p),
        "undo_join": lambda: store.undo_join(p, p),
        "join_actors(source)": lambda: store.join_actors(p, [Join(real, real, 1.0, p)]),
        "join_actors(actors)": lambda: store.join_actors(store.sources()[0].id, [Join(p, real, 1.0, p)]),
        "split_joins": lambda: store.split_joins(p),
        "move_statements(source)": lambda: store.move_statements(p, [_moved("r1", real)]),
        "move_statements(key)": lambda: store.move_statements(store.sources()[0].id, [_moved(p, real)]),
        "forget_person": lambda: store.forget_person(p),  # an unknown id: NotFound, nothing erased
        "reject_proposal": lambda: store.reject_proposal(p, p, p),
        "delete_runs": lambda: store.delete_runs([p]),
        "copy_run_to_actors": lambda: _copy_run(store, p),
    }


def _moved(key: str, actor_id: str) -> ResolvedStatement:
    """A statement ``key`` (of no source: NotFound) to move into ``actor_id``."""
    return ResolvedStatement(Actor.model_construct(key=key, name="x", family="ess"), actor_id, "new")


def _copy_run(store, run_id: str):
    """``copy_run_to_actors`` (Neo4j only, for Bloom); on the embedded store, what reading that
    run gives (``NotFound`` for a run it does not hold), so both stores can be compared."""
    if hasattr(store, "copy_run_to_actors"):
        return store.copy_run_to_actors(run_id)
    return store.metrics(run_id=run_id)


def catalogue_calls(store, payload: str) -> dict[str, callable]:
    """Every catalogue query with a string parameter, with ``payload`` in it."""
    p = payload
    return {
        "ego_network": lambda: run_query(store, "ego_network", actor_id=p),
        "pole_subgraph": lambda: run_query(store, "pole_subgraph", pole_id=p),
        "territory_actors(territory)": lambda: run_query(store, "territory_actors", territory_id=p),
        "territory_actors(family)": lambda: run_query(store, "territory_actors", territory_id=TERRITORY, family=p),
        "relation_provenance": lambda: run_query(store, "relation_provenance", from_id=p, to_id=p, type=p),
        "shortest_cooperation_path": lambda: run_query(store, "shortest_cooperation_path", from_id=p, to_id=MEMBER),
        "isolated_actors(territory)": lambda: run_query(store, "isolated_actors", territory_id=p),
        "isolated_actors(types)": lambda: run_query(store, "isolated_actors", territory_id=TERRITORY, types=[p]),
        "pole_overlaps(types)": lambda: run_query(store, "pole_overlaps", types=[p]),
    }


def outcome(call) -> tuple:
    """What a call gave, comparable across stores: the exception's class, or the ids it returned."""
    try:
        out = call()
    except NotFound:
        return ("NotFound",)
    except StoreError as e:  # e.g. merging into an actor that is not there: refused, named
        assert "Neo." not in str(e) and "Syntax" not in str(e), e
        return ("StoreError",)
    return ("value", _ids(out))


def _ids(value):
    if hasattr(value, "actors") and hasattr(value, "relations"):  # a Subgraph
        return sorted(value.actors), sorted(r.id for r in value.relations)
    if isinstance(value, dict):
        return sorted(value)
    if isinstance(value, (list, tuple, set)):
        return sorted(getattr(x, "id", None) or repr(x) for x in value)
    return getattr(value, "id", value)


def test_every_store_method_treats_injection_as_data(reference_neo4j, reference_sqlite, before):
    """Each call gives on Neo4j what it gives on the embedded store (where values are bound
    parameters of SQL): nothing, ``NotFound``, or — for a search whose text folds to nothing,
    like ``\\`` — what an empty search gives; never a Cypher error."""
    store = reference_neo4j
    names = store_calls(store, "x", MEMBER)
    # every public method of the store taking a string is in the list (a new one must be added)
    public = {n for n, f in inspect.getmembers(type(store), inspect.isfunction) if not n.startswith("_")}
    takes_text = {n for n in public if any(p.annotation in ("str", "str | None") or "Iterable[str]" in str(p.annotation)
                                            or "Sequence[str]" in str(p.annotation)
                                            for p in inspect.signature(getattr(type(store), n)).parameters.values())}
    covered = {k.split("(")[0] for k in names} | {"run_cypher", "name_index", "identifier_index"}
    assert takes_text <= covered, sorted(takes_text - covered)
    calls, empty = 0, 0
    harmless = {name: call() for name, call in catalogue_calls(store, "INCONNU_0000").items()}
    assert sum(len(v) for v in harmless.values()) > 0
    all_names, all_identifiers = sum(1 for _ in store.name_index()), sum(1 for _ in store.identifier_index())
    for payload in PAYLOADS:
        embedded = store_calls(reference_sqlite, payload, MEMBER)
        for name, call in store_calls(store, payload, MEMBER).items():
            calls += 1
            got = outcome(call)
            assert got == outcome(embedded[name]), (name, payload, str(got)[:300])
            empty += got[0] != "value" or got[1] in ([], None, ([], []))
        # exclusions by an unknown source exclude nothing
        assert sum(1 for _ in store.name_index(exclude_source=payload)) == all_names
        assert sum(1 for _ in store.identifier_index(exclude_source=payload)) == all_identifiers
        # each query answers as for any unknown value (for isolated_actors with an unknown type:
        # every actor of the territory, since no tie of that type exists)
        for name, call in catalogue_calls(store, payload).items():
            calls += 1
            assert call() == harmless[name], (name, payload)
    assert fingerprint(store) == before
    assert len(catalogue()) == 8 and empty > 0.9 * len(PAYLOADS) * len(names)
    print(f"\nstore and catalogue: {calls} calls ({len(PAYLOADS)} payloads × "
          f"{len(names) + len(catalogue_calls(store, 'x'))} methods and queries)")


def test_run_cypher_refuses_writes(reference_neo4j, before):
    for q in ("CREATE (:Pwned {at: 1})", "MATCH (n:Actor) SET n.pwned = true", "MATCH (n) DETACH DELETE n"):
        with pytest.raises(StoreError):
            reference_neo4j.run_cypher(q)
    assert fingerprint(reference_neo4j) == before


# ---------------------------------------------------------------------------------------------
# writes (last: they change the module's database)

def test_loads_store_injection_payloads_as_literal_data(apis, reference_neo4j, before):
    neo, _ = apis
    original = {a.id: a.model_dump_json() for a in reference_neo4j.iter_actors(include_persons=True)}
    from maillage.graph.names import name_key

    names = [p for p in PAYLOADS if name_key(p) and "\x00" not in p and "\n" not in p]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows([["Nom", "Rôle"], *([n, "adhérent"] for n in names)])
    csv_text = buf.getvalue()
    pole = "Pôle '}) MATCH (n) DETACH DELETE n //"
    r = neo.post("/api/load", files={"file": ("injection'}) DETACH DELETE n.csv", csv_text.encode(), "text/csv")},
                 data={"pole": pole, "option": "sheet=$param"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code in (200, 400), r.text
    if r.status_code == 400:  # an unknown option is refused by name, as data
        assert "$param" in r.json()["detail"]
        r = neo.post("/api/load", files={"file": ("injection'}) DETACH DELETE n.csv", csv_text.encode(), "text/csv")},
                     data={"pole": pole}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200, r.text
    report = r.json()
    # names that fold alike (quotes, case) are one actor, as for any load: one per name key, + the pôle
    keys = {name_key(n) for n in names}
    assert report["rejected"] == 0 and report["rows_read"] == len(names), report
    assert report["actors_created"] == len(keys) + 1, report
    after = {a.id: a for a in reference_neo4j.iter_actors(include_persons=True)}
    assert {k: after[k].model_dump_json() for k in original if k in after} == original  # nothing changed…
    assert set(original) <= set(after)                                                  # …or disappeared
    new = {k: a for k, a in after.items() if k not in original}
    assert {n for a in new.values() for n in (a.name, *a.aliases)} <= {*names, pole}
    for n in [*names, pole]:  # each payload names a new actor (stored literally, found by its name)
        found = reference_neo4j.find_by_name(n)
        assert found and set(found) <= set(new), n
    fp = fingerprint(reference_neo4j)
    assert fp["nodes"]["Actor"] == before["nodes"]["Actor"] + len(keys) + 1
    assert all(fp["relationships"][t] >= n for t, n in before["relationships"].items())
    assert "Pwned" not in fp["labels"] and "pwned" not in fp["property_keys"]


def test_a_query_built_by_formatting_would_be_caught(reference_neo4j):
    """The harness can fail: a lookup that pasted the value into the Cypher text would raise a
    syntax error (which :func:`outcome` refuses) or return every actor (not what the embedded
    store returns)."""
    def vulnerable(p):
        return reference_neo4j.run_cypher("MATCH (a:Actor) WHERE a.id = '" + p + "' RETURN a.id AS id")

    with pytest.raises(StoreError, match="SyntaxError"):
        vulnerable("'}) MATCH (n) DETACH DELETE n //")
    assert len(vulnerable("' OR 1=1 OR a.id = '")) > 500
    assert reference_neo4j.get_actor("' OR 1=1 OR a.id = '") is None
