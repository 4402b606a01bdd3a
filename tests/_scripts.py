"""The project's scripts as modules, for the tests that drive them (loaded once per session)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def crash_script():
    """``scripts/crash_consistency.py`` (the crash-consistency campaign and its checker)."""
    name = "maillage_crash_consistency"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "crash_consistency.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]
