"""Shared fixtures. ``store`` is parametrised over every store implementation available."""

from __future__ import annotations

from pathlib import Path

import pytest

from _env import need_shared, unavailable

STORE_KINDS = ["sqlite-file", "sqlite-memory"]


@pytest.fixture(params=STORE_KINDS)
def store(request, tmp_path):
    from maillage.graph import open_store

    s = open_store(str(tmp_path / "store.db") if request.param == "sqlite-file" else ":memory:")
    yield s
    s.close()


@pytest.fixture
def shared() -> Path:
    return need_shared()


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser). Skipped with one
    clear reason when absent locally; in CI (CI=true) its absence fails the run."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found: install Debian's chromium (`make browser`) to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def offline_page(chromium):
    """A page that may only load file:// URLs: every other request is aborted and recorded,
    so a test can assert the page needs no network."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.external_requests = []
    page.errors = []

    def guard(route):
        if route.request.url.startswith(("file://", "data:", "blob:", "about:")):
            route.continue_()
        else:
            page.external_requests.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()




@pytest.fixture(scope="module")
def reference():
    """The reference dataset in an in-memory embedded store, one per test module (read-only use)."""
    from maillage.graph import open_store
    from maillage.loaders import load_reference

    s = open_store(":memory:")
    load_reference(s)
    yield s
    s.close()


@pytest.fixture
def db(reference, tmp_path):
    """A copy, for a test to change, of the module's ``reference`` store — in the modules whose
    ``reference`` fixture is a store *file* (tests/test_export_runs.py, test_view_runs.py…)."""
    import shutil

    path = tmp_path / "ref.db"
    shutil.copy(reference, path)
    return path
