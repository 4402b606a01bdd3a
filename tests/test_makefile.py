"""The Makefile's targets install what they use, no more (``make -n``: what make would run)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from _env import ROOT, unavailable


@pytest.mark.parametrize("target", ["neo4j-start", "neo4j-build"])
def test_the_local_neo4j_needs_the_program_only_not_the_test_tools(target, tmp_path):
    """scripts/neo4j_local.py uses the standard library: starting Neo4j on a fresh checkout must
    not install playwright, schemathesis… (the ``.[test,bench]`` extras)."""
    if shutil.which("make") is None:
        unavailable("make not found")
    out = subprocess.run(["make", "-n", target, f"VENV={tmp_path / 'venv'}"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert "scripts/neo4j_local.py" in out
    assert "pip install -q -e . -c constraints.txt" in out  # the program itself
    assert "[test" not in out, out
