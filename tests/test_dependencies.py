"""Reproducible installs: every declared dependency is pinned in constraints.txt, the running
environment has exactly those versions, and docs/dependencies.md lists each with its licence."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = data["project"]["dependencies"] + [d for ds in data["project"]["optional-dependencies"].values() for d in ds]
    return [re.split(r"[<>=!\[ ;]", d, maxsplit=1)[0] for d in deps]


def pins() -> dict[str, str]:
    out = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            out[norm(name)] = version
    return out


def test_every_declared_dependency_is_pinned_and_installed_at_that_version():
    pinned = pins()
    missing = [d for d in declared() if norm(d) not in pinned]
    assert not missing, f"not in constraints.txt (run `make lock`): {missing}"
    installed = {norm(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {name: (version, installed[name]) for name, version in pinned.items()
             if name in installed and installed[name] != version}
    assert all(norm(d) in installed for d in declared())
    assert not wrong, f"installed versions differ from constraints.txt (run `make venv` or `make lock`): {wrong}"


def test_the_licence_list_names_every_dependency_and_neo4js_gpl():
    doc = (ROOT / "docs" / "dependencies.md").read_text(encoding="utf-8")
    rows = {norm(m.group(1)): m.group(3) for m in re.finditer(r"^\| ([A-Za-z0-9_.\-]+) \| ([^|]+) \| ([^|]+) \|", doc, re.M)}
    for d in declared():
        assert norm(d) in rows and rows[norm(d)].strip(), d
        assert rows[norm(d)].strip() != "see the package", f"{d}: licence unknown"
    assert "GPL-3.0" in doc and "never bundled" in doc


def test_paris_time_needs_no_system_time_zone_database():
    """Windows has no time-zone database: zoneinfo then reads the ``tzdata`` package, which must be
    a runtime dependency, else every time a user reads silently becomes the machine's."""
    import zoneinfo
    from datetime import datetime, timezone

    from maillage.clock import paris_time

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = [norm(re.split(r"[<>=!\[ ;]", d, maxsplit=1)[0]) for d in data["project"]["dependencies"]]
    assert "tzdata" in runtime and "tzdata" in pins()
    zoneinfo.reset_tzpath(to=[])  # as on Windows: no /usr/share/zoneinfo, the package alone
    zoneinfo.ZoneInfo.clear_cache()
    try:
        assert paris_time(datetime(2026, 12, 6, 2, 12, tzinfo=timezone.utc)).strftime("%H:%M %Z") == "03:12 CET"
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()
