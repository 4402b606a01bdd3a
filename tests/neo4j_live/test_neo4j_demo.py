"""Acceptance: the demo on Neo4j (``maillage --store bolt://… demo --out DIR``) gives the same
counts in summary.json as the embedded demo, and the same load report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from neo4j_fixtures import empty_neo4j_store

from maillage.demo import run_demo

COUNTS = ("actors", "relations", "poles", "sources", "persons")


def test_demo_on_neo4j_gives_the_embedded_counts(neo4j_uri, tmp_path):
    empty_neo4j_store(neo4j_uri).close()
    embedded = run_demo(tmp_path / "embedded")
    out = tmp_path / "neo4j"
    maillage = Path(sys.executable).with_name("maillage")
    r = subprocess.run([str(maillage), "--store", neo4j_uri, "demo", "--out", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["outputs"]["store"] == neo4j_uri
    assert {k: summary[k] for k in COUNTS} == {k: embedded[k] for k in COUNTS}
    assert summary["sources"] == 4 and summary["actors"] > 300
    loads = lambda d: [{k: f[k] for k in ("source", "rows_read", "loaded", "merged", "rejected", "actors_created")}  # noqa: E731
                       for f in json.loads((d / "chargement.json").read_text(encoding="utf-8"))["files"]]
    assert loads(out) == loads(tmp_path / "embedded")
    assert (out / "carte.html").stat().st_size > 10_000 and (out / "rapport.html").exists()
    assert not (out / "maillage.db").exists()  # the graph went to Neo4j, not to a file
