"""The single-statement fast path of ``merge_statements`` gives exactly what the general rules give.

Every actor of a first load is merged from one statement, so ``merge.py`` has a shortcut for
that case (``_merge_one``) beside the general rules (``_merge_rules``). These tests pin the
two together on every actor of the shipped reference dataset, on a generated benchmark
ecosystem and on hand-made edge cases (empty strings, family ``other``, two SIRENs in one
statement, persons, register attributes), and check that the views both build without
validation survive validation unchanged.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from maillage.graph import merge
from maillage.graph.model import Actor, ActorView

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "maillage" / "data" / "reference"


def _actors_of(path: Path) -> list[Actor]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("record") == "actor":
            body = {k: v for k, v in rec.items() if k != "record"}
            out.append(Actor.model_validate({**body, "provenance": {**body["provenance"], "source": "test"}}))
    return out


def _generated(tmp: Path) -> list[Actor]:
    spec = importlib.util.spec_from_file_location("bench_generate_fast_path", ROOT / "bench" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = gen
    spec.loader.exec_module(gen)
    gen.generate("pole", seed=3, out=tmp / "pole.jsonl")
    return _actors_of(tmp / "pole.jsonl")


def _edge_cases() -> list[Actor]:
    prov = {"source": "s1", "locator": "row 1"}
    base = {"key": "k", "name": "Alpha", "family": "ess", "provenance": prov}
    cases = [
        {},
        {"family": "other", "kind": None},
        {"aliases": ["Alpha", "ALPHA", "alpha coop", "ALPHA"]},
        {"kind": "scic", "subkind": "", "legal_form": "", "location_text": "Toulouse", "location": "commune:31555"},
        {"identifiers": [{"scheme": "siren", "value": "732829320"}, {"scheme": "siren", "value": "552100554"},
                         {"scheme": "siren", "value": "732829320"}, {"scheme": "rna", "value": "W313012345"}]},
        {"identifiers": [{"scheme": "siret", "value": "73282932000074"}]},
        {"ess": False, "placeholder": True, "group_count": 4, "declared": {"members": 12, "jobs": 3.5}},
        {"family": "person", "name": "Jeanne Martin"},
        {"family": "collectivite", "kind": None, "territory": "departement:31", "location": "departement:31"},
        {"location": None, "legal_form": "SCOP"},
    ]
    if "attributes" in Actor.model_fields:
        cases.append({"attributes": {"naf": "88.99B", "etat_administratif": "A"}})
    return [Actor.model_validate({**base, **c}) for c in cases]


@pytest.fixture(scope="module")
def statements(tmp_path_factory) -> list[Actor]:
    ref = [a for f in sorted(REFERENCE.glob("*.jsonl")) for a in _actors_of(f)]
    assert len(ref) > 100
    return ref + _generated(tmp_path_factory.mktemp("gen")) + _edge_cases()


def test_fast_path_equals_the_rules(statements):
    fast_taken = 0
    for a in statements:
        got = merge.merge_statements("id-1", [("src", a)])
        want = merge._merge_rules("id-1", [("src", a)])
        assert got.model_dump() == want.model_dump(), a.key
        assert got.model_dump_json() == want.model_dump_json(), a.key
        fast_taken += a.family != "pole"
    assert fast_taken > 500  # the shortcut was exercised, not just the rules


def test_merged_views_survive_validation(statements):
    """Both paths build the view without validating it; validating it changes nothing."""
    pairs = [[("s1", a)] for a in statements]
    pairs += [[("s1", a), ("s2", b)] for a, b in zip(statements, statements[1:])]
    for stmts in pairs:
        view = merge.merge_statements("id-1", stmts)
        assert ActorView.model_validate(view.model_dump()).model_dump_json() == view.model_dump_json()


def test_merge_of_nothing_is_refused():
    with pytest.raises(ValueError, match="nothing to merge"):
        merge.merge_statements("id-1", [])


def test_construct_builds_what_model_construct_builds(statements):
    """``model.construct`` (the write path's constructor) against pydantic's own
    ``model_construct`` on every merged view: same fields, same fields-set, same JSON, and
    every field of ActorView named (construct does not fill defaults)."""
    from maillage.graph.model import construct

    assert statements
    for a in statements:
        view = merge.merge_statements("a_x", [("s", a)])
        values = dict(view.__dict__)
        assert set(values) == set(ActorView.model_fields), a.key
        ours, theirs = construct(ActorView, dict(values)), ActorView.model_construct(**values)
        assert ours == theirs and ours.model_fields_set == theirs.model_fields_set, a.key
        assert ours.model_dump_json() == theirs.model_dump_json(), a.key
        assert ours.__pydantic_extra__ is theirs.__pydantic_extra__ and ours.__pydantic_private__ == theirs.__pydantic_private__


def test_the_merge_rules_examples_hold():
    """The examples in merge.py's docstrings (the name ranking, the former names of a member)."""
    import doctest

    result = doctest.testmod(merge)
    assert result.attempted >= 3 and result.failed == 0, result
