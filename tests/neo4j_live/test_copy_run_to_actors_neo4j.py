"""`maillage runs ID --copy-to-actors` on a live Neo4j: Bloom styles nodes by their properties,
and a run's measures lived only in separate ``:Metric`` nodes. The command copies one run's
measures onto the actors as ``mesure_*`` (with ``mesure_run``); copying another run replaces
them, persons never get any; the embedded store refuses."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from neo4j_fixtures import empty_neo4j_store
from typer.testing import CliRunner

from maillage.cli import app
from maillage.graph import open_store
from maillage.graph.store import AnalysisRun
from maillage.loaders import load_reference


def cli(store, *args, ok=True):
    r = CliRunner().invoke(app, ["--store", store, *args])
    assert (r.exit_code == 0) == ok, r.output
    return r.output


def _on_actors(s) -> dict[str, dict]:
    """Each actor holding measures: its ``mesure_*`` properties, the prefix taken off."""
    rows = s.run_cypher("MATCH (a:Actor) WHERE a.mesure_run IS NOT NULL RETURN a.id AS id, properties(a) AS p")
    return {r["id"]: {k.removeprefix("mesure_"): v for k, v in r["p"].items() if k.startswith("mesure_")}
            for r in rows}


def _expected(s, run_id: str) -> dict[str, dict]:
    return {aid: {**{k: v for k, v in m.items() if v is not None}, "run": run_id}
            for aid, m in s.metrics(run_id).items()}


def test_a_run_copied_onto_the_actors_then_another_replaces_it(neo4j_uri, monkeypatch):
    monkeypatch.setenv("MAILLAGE_NEO4J_CHUNK_ROWS", "7")  # several transactions, for writing and sweeping
    with empty_neo4j_store(neo4j_uri) as s:
        load_reference(s)
    cli(neo4j_uri, "analyse", "--metrics-only")
    cli(neo4j_uri, "analyse", "--metrics-only", "--lens", "funding")
    first, second = [r["id"] for r in json.loads(cli(neo4j_uri, "runs", "--json"))][::-1]
    with open_store(neo4j_uri) as s:
        one, two = _expected(s, first), _expected(s, second)
        assert len(one) > 20 and one.keys() == two.keys() and one != two  # every actor, measured per lens
        assert any("betweenness" in m and "community" in m for m in one.values())

        said = cli(neo4j_uri, "runs", first, "--copy-to-actors")
        assert f"copiées sur {len(one)} acteurs" in " ".join(said.split())
        assert _on_actors(s) == one

        said = json.loads(cli(neo4j_uri, "runs", second, "--copy-to-actors", "--json"))
        assert said == {"run": second, "actors": len(two), "persons": 0, "cleared": 0}
        assert _on_actors(s) == two  # the second run's values and id, none of the first's left
        assert s.run_cypher("MATCH (a:Actor) WHERE a.personal_data AND a.mesure_run IS NOT NULL RETURN a") == []


def test_persons_get_no_measure_and_actors_outside_the_run_copied_lose_theirs(neo4j_uri):
    with empty_neo4j_store(neo4j_uri, chunk_rows=2) as s:
        load_reference(s)
        person = s.run_cypher("MATCH (a:Actor) WHERE a.personal_data RETURN a.id AS id LIMIT 1")[0]["id"]
        a, b, c = [r["id"] for r in s.run_cypher("MATCH (a:Actor) WHERE NOT a.personal_data "
                                                  "RETURN a.id AS id ORDER BY id LIMIT 3")]
        s.save_run(AnalysisRun(id="run-x", created_at=datetime(2026, 1, 1, tzinfo=timezone.utc)),
                   [(person, "degree", 3.0), (a, "degree", 2.0), (a, "constraint", 0.5), (b, "degree", 1.0),
                    (c, "degree", 4.0)])
        assert s.copy_run_to_actors("run-x") == {"actors": 3, "persons": 1, "cleared": 0}
        assert _on_actors(s) == {a: {"degree": 2.0, "constraint": 0.5, "run": "run-x"},
                                 b: {"degree": 1.0, "run": "run-x"}, c: {"degree": 4.0, "run": "run-x"}}
        s.save_run(AnalysisRun(id="run-y", created_at=datetime(2026, 1, 2, tzinfo=timezone.utc)),
                   [(a, "degree", 5.0), (a, "constraint", float("nan"))])
        assert s.copy_run_to_actors("run-y") == {"actors": 1, "persons": 0, "cleared": 2}
        assert _on_actors(s) == {a: {"degree": 5.0, "run": "run-y"}}  # an undefined value: no property


def test_the_embedded_store_refuses(tmp_path):
    db = str(tmp_path / "m.db")
    with open_store(db) as s:
        s.save_run(AnalysisRun(id="run-x", created_at=datetime(2026, 1, 1, tzinfo=timezone.utc)), [("a", "degree", 1.0)])
    said = " ".join(cli(db, "runs", "run-x", "--copy-to-actors", ok=False).split())
    assert "réservé à une base Neo4j" in said
