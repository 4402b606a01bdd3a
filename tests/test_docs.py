"""Docs generated from the vocabulary and the CLI are up to date; every command is documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer.main

from maillage.cli import app

ROOT = Path(__file__).resolve().parents[1]


def test_generated_docs_are_current():
    res = subprocess.run([sys.executable, "scripts/build_docs.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_every_command_is_documented_and_has_help():
    cli_doc = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():
        assert f"## maillage {name}" in cli_doc, name
        assert (cmd.help or "").strip(), f"{name} has no help"


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme.split("\n## ", 1)[0]
    blocks = [b for b in head.split("```") if b.strip().startswith(("make", "bash", "sh"))]
    commands = [line for b in head.split("```")[1::2] for line in b.strip().splitlines() if line.strip()]
    assert "make demo" in commands and "make test" in commands, commands
    assert blocks


def test_every_relation_type_and_family_is_in_the_model_doc():
    from maillage.graph.vocabulary import vocabulary

    doc = (ROOT / "docs/model.md").read_text(encoding="utf-8")
    v = vocabulary()
    for name in [*v.families, *v.relation_types]:
        assert f"`{name}`" in doc
