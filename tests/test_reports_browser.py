"""The three reports in a real browser (the system Chromium, via the ``offline_page`` fixture):
opened from file:// with every other request aborted, charts and tables present, screenshots
saved to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from maillage.analytics.reports import render_observatory_report, render_pole_report, render_territory_report
from maillage.analytics.run import analyse
from maillage.graph import open_store
from maillage.loaders import load_file, load_reference

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rapports-navigateur")
    store = open_store(str(tmp / "store.db"))
    load_reference(store)
    analyse(store)
    pid = store.search("Périscope", family="pole")[0].id
    out = {"pole": render_pole_report(store, pid, tmp / "rapport-pole.html"),
           "territory": render_territory_report(store, "departement:31", tmp / "rapport-territoire.html"),
           "observatory": render_observatory_report(store, tmp / "rapport-observatoire.html")}
    store.close()
    return out


@pytest.mark.parametrize("name,charts,tables", [
    ("pole", 2, ["table.composition", "table.criteria", "table.central", "table.levels", "table.suggestions"]),
    ("territory", 2, ["table.families", "table.isolated", "table.funders", "table.evolution"]),
    ("observatory", 1, ["table.observatory"]),
])
def test_report_offline(offline_page, reports, name, charts, tables):
    page = offline_page
    page.goto(reports[name].as_uri())
    page.wait_for_load_state("load")
    # charts: inline SVG drawn with a real size and text
    boxes = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')].map(s => {
        const r = s.getBoundingClientRect(); return [r.width, r.height, s.querySelectorAll('text, path').length]; })""")
    assert len(boxes) >= charts
    assert all(w > 200 and h > 80 and k > 5 for w, h, k in boxes), boxes
    for sel in tables:
        assert page.locator(f"{sel} tbody tr").count() > 0, sel
    assert page.external_requests == [] and page.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"rapport-{name}.png"), full_page=True)
    page.emulate_media(media="print")
    if name != "observatory":
        assert page.evaluate("getComputedStyle(document.querySelector('nav.toc')).display") == "none"
        # the map link leads to a file next to the report, which opens offline too
        href = page.get_attribute("a.maplink", "href")
        assert (reports[name].parent / href).exists()
        page.emulate_media(media="screen")
        page.goto((reports[name].parent / href).as_uri())
        page.wait_for_function("window.network && Object.keys(window.network.body.nodes).length > 0", timeout=15_000)
        assert page.external_requests == []


def test_a_printed_territory_report_has_every_group_list_opened_or_not(offline_page, tmp_path):
    """A région with many flagged actors is listed by département in closed <details>: on screen
    a group's list shows once opened; printed, every list is there (it printed only the opened ones)."""
    from _jsonl import actor, write_jsonl

    from maillage.analytics.reports import GROUP_FLAGGED_OVER

    communes = ["31555", "30189"]  # Toulouse, Nîmes
    recs = [actor(f"a{i}", f"Association numéro {i}", "ess", "association", location=f"commune:{communes[i % 2]}")
            for i in range(GROUP_FLAGGED_OVER + 10)]
    with open_store(str(tmp_path / "s.db")) as store:
        load_file(store, write_jsonl(tmp_path / "region.jsonl", recs), rejects_dir=tmp_path)
        path = render_territory_report(store, "region:76", tmp_path / "r.html")
    page = offline_page
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    groups = page.locator("details.isolated-group")
    assert groups.count() == 2
    lists = page.locator("details.isolated-group table.isolated")
    assert [lists.nth(i).is_visible() for i in range(2)] == [False, False]
    page.emulate_media(media="print")
    assert [lists.nth(i).is_visible() for i in range(2)] == [True, True]
    printed = page.evaluate("document.body.innerText")
    assert all(f"Association numéro {i}\t" in printed or f"Association numéro {i}\n" in printed
               for i in range(GROUP_FLAGGED_OVER + 10))
    page.emulate_media(media="screen")
    assert not lists.nth(0).is_visible()
