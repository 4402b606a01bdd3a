"""The project's scripts and benchmarks as modules, for the tests that drive them (loaded once per session)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _module(name: str, path: Path):
    """The file ``path`` as module ``name``, executed once per session."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


def crash_script():
    """``scripts/crash_consistency.py`` (the crash-consistency campaign and its checker)."""
    return _module("maillage_crash_consistency", ROOT / "scripts" / "crash_consistency.py")


def bench_script(name: str):
    """``bench/<name>.py`` (a benchmark whose generators and workers the tests check)."""
    return _module(f"maillage_bench_{name}", ROOT / "bench" / f"{name}.py")
