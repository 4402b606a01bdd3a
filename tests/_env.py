"""What a test run relies on outside the repository — ``../shared`` (real data, seed
extractions), Debian's Chromium, Java and Maven for the local Neo4j, a Compose client — and the
one rule for when something is missing (:func:`unavailable`): the test fails, naming it. A test
left out proves nothing, here or in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def unavailable(msg: str) -> None:
    """A test that cannot run here fails, with ``msg`` naming the missing part (``.ci/run``
    installs them all; README says what ``make test`` needs)."""
    pytest.fail(f"{msg} (what the tests need: README.md)", pytrace=False)


def need_shared(*parts: str) -> Path:
    """``../shared`` (or ``../shared/<parts>``), which must exist: else :func:`unavailable`."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        unavailable(f"{path} is not present (tests read real data and the seed extractions from ../shared)")
    return path
