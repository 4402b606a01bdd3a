"""Another spelling the extraction wrote inside an actor's name (« Antoine Meurice (also
'Antoine Maurice') », seen in `maillage resolve --review`, notes/h156.md) is an alias, not a part
of the name: ``scripts/build_reference.py`` writes the name without it, the other spelling among
the aliases and a curation fact that keeps the extraction's own text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from maillage.loaders import reference_mapping as rm

REFERENCE = Path(__file__).resolve().parents[1] / "maillage" / "data" / "reference"


@pytest.mark.parametrize("written, name, aliases", [
    ("Antoine Meurice (also 'Antoine Maurice')", "Antoine Meurice", ["Antoine Maurice"]),
    ("Jean Brioussel (also 'Jean Briussel')", "Jean Brioussel", ["Jean Briussel"]),
    ("CNIAE (written 'CNAIE')", "CNIAE", ["CNAIE"]),
    # a surname spelled otherwise, with the line that spells it: the alias is the whole name
    ("Christiane Bouchart (also spelled Bouchard, 002 L710)", "Christiane Bouchart", ["Christiane Bouchard"]),
    ("Cursive Boutaric (La) [= La Coursive Boutaric]", "Cursive Boutaric (La)", ["La Coursive Boutaric"]),
    ("Périscope (le Périscope)", "Périscope (le Périscope)", []),  # the same name: kept, as name_variants reads it
    ("Maison de l'Economie Solidaire (Ramonville)", "Maison de l'Economie Solidaire (Ramonville)", []),
])
def test_a_spelling_note_in_a_name_is_taken_out_as_an_alias(written, name, aliases):
    assert rm.name_notes(written) == (name, aliases)


def _actors():
    for path in sorted(REFERENCE.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["record"] == "actor":
                yield path.stem, record


def test_no_shipped_name_holds_a_spelling_note():
    notes = re.compile(r"\((?:also|written|spelled)\b|\[=")
    assert [(f, a["key"], a["name"]) for f, a in _actors() if notes.search(a["name"])] == []
    got = {(f, a["key"]): a for f, a in _actors()}
    meurice = got["s000b", "antoine-meurice"]
    assert meurice["name"] == "Antoine Meurice" and meurice["aliases"] == ["Antoine Maurice"]
    assert "[curation] nom écrit par l'extraction : « Antoine Meurice (also 'Antoine Maurice') » ; l'autre " \
           "graphie est un alias" in meurice["facts"]
    assert got["s001_002", "cniae"]["aliases"] == ["CNAIE"]
    assert "Christiane Bouchard" in got["s001_002", "christiane_bouchart"]["aliases"]
