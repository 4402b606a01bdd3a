"""Every public function of the analytics modules states its definition with a tiny example,
and every example is true (run here as doctests)."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

MODULES = ["lenses", "overlaps", "metrics", "engine", "brokerage", "poles", "criteria", "observatory",
           "territory", "evolution", "suggestions", "run", "persons"]


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_has_an_example_that_holds(name):
    mod = importlib.import_module(f"maillage.analytics.{name}")
    missing = [f for f, obj in inspect.getmembers(mod, inspect.isfunction)
               if not f.startswith("_") and obj.__module__ == mod.__name__ and ">>>" not in (obj.__doc__ or "")]
    assert not missing, f"{name}: no example in {missing}"
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0, result
