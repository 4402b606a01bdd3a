"""What a test run relies on outside the repository — ``../shared`` (real data, seed
extractions), Debian's Chromium, Java and Maven for the local Neo4j, a Compose client — and the
one rule for when something is missing (:func:`unavailable`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(msg: str) -> None:
    """A test that cannot run here: in CI (``CI=true``, where ``.ci/run`` installs everything and
    ``../shared`` sits beside the clone) a failure, so nothing passes by being left out; on a
    machine without the part, a skip that says which part is missing."""
    if not IN_CI:
        pytest.skip(msg)  # only here, on a machine without the part: the message names it
    pytest.fail(msg, pytrace=False)


def need_shared(*parts: str) -> Path:
    """``../shared`` (or ``../shared/<parts>``), which must exist: else :func:`unavailable`."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        unavailable(f"{path} is not present (tests read real data and the seed extractions from ../shared)")
    return path
