"""Shared fixtures. ``store`` is parametrised over every store implementation available."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

STORE_KINDS = ["sqlite-file", "sqlite-memory"]


@pytest.fixture(params=STORE_KINDS)
def store(request, tmp_path):
    from maillage.graph import open_store

    s = open_store(str(tmp_path / "store.db") if request.param == "sqlite-file" else ":memory:")
    yield s
    s.close()


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        if IN_CI:
            pytest.fail(f"{SHARED} is missing: CI must have ../shared beside the clone")
        pytest.skip(f"{SHARED} is not present (tests read real data from ../shared)")
    return SHARED
