"""The API's documentation page, ``/docs`` (Swagger UI), in a real
browser (Debian's Chromium driven by Playwright), served by the real app (uvicorn in a thread,
on loopback), with every request to another address aborted: a collectivité's machine may
have no internet, and docs/api.md sends readers to ``/docs``. FastAPI's default pages load
their scripts from a CDN and stay blank offline (« SwaggerUIBundle is not defined »)."""

from __future__ import annotations

from pathlib import Path

import pytest

from _browser import GuardedPage
from test_explorer_browser import Site

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    s = Site(str(tmp_path_factory.mktemp("docs") / "vide.db"))
    yield s
    s.close()


def _page(chromium, base: str) -> GuardedPage:
    return GuardedPage(chromium, lambda url: url == base or url.startswith(base + "/") or url.startswith("data:"))


def test_the_api_docs_render_every_operation_with_no_network(chromium, site):
    paths = site.get("/openapi.json")["paths"]
    p = _page(chromium, site.base)
    p.page.goto(site.base + "/docs")
    p.page.wait_for_selector(".opblock", timeout=30_000)
    assert "/api/actors/{actor_id}" in paths and "/api/actors/{actor_id}" in p.page.inner_text("body")
    assert p.page.locator(".opblock").count() == sum(len(ops) for ops in paths.values())  # one block each
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "api-docs.png"))
    assert p.external == [], f"requests that left the app: {p.external}"
    assert p.errors == [], f"console errors: {p.errors}"
    p.context.close()


def test_no_redoc_page_that_would_call_the_web(site):
    """ReDoc's page fetches its logo from the web whatever it is given: not served; the 404 says
    where the documentation is."""
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as e:
        site.get("/redoc")
    assert e.value.code == 404 and "/docs" in e.value.read().decode()
