"""The map and the report in a real browser (the system Chromium, driven by Playwright).

Every request that is not ``file://`` is aborted and counted: the pages must work offline.
Without Chromium the test is skipped, except under CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maillage.analytics.report import render_report
from maillage.analytics.run import analyse
from maillage.api.maps import render_map
from maillage.graph import open_store
from maillage.graph.projection import project
from maillage.loaders import load_file

from _browser import OUTSIDE, GuardedPage, unreadable_names

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
EVIL = "<img src=x onerror=\"window.__xss = 1\"> Entreprise"

# The browser comes from the shared ``chromium`` fixture (tests/conftest.py): Debian's
# /usr/bin/chromium launched by Playwright with --headless --no-sandbox --disable-gpu
# --disable-background-networking; skipped with one reason when absent locally, a failure
# when absent under CI (CI=true).


class Page(GuardedPage):
    """A page whose non-file requests are aborted and counted, and whose errors are kept."""

    def __init__(self, browser, width=1400, height=900):
        super().__init__(browser, lambda url: url.startswith("file://"), width, height)


def _records():
    prov = lambda line: {"document": "etude", "locator": f"L{line}", "certainty": "stated"}  # noqa: E731
    actors = [
        ("pole", "Pôle Coop'Sud", "pole", "ptce"), ("asso", "Les Jardins", "ess", "association"),
        ("scop", "SCOP Bâtisseurs", "ess", "scop"), ("region", "Région Occitanie", "collectivite", "region"),
        ("cc", "Communauté de communes du Lot", "collectivite", "epci"), ("evil", EVIL, "enterprise", "pme"),
        ("dla", "DLA 31", "support", "dla"), ("fond", "Fondation Solidaire", "ess", "fondation"),
    ]
    out = [{"record": "actor", "key": k, "name": n, "family": f, "kind": kd, "provenance": prov(i)}
           for i, (k, n, f, kd) in enumerate(actors, start=1)]
    out.append({"record": "actor", "key": "anon", "name": "Trois communes", "family": "collectivite",
                "kind": "commune", "placeholder": True, "provenance": prov(20)})
    rels = [("membership", "asso", "pole"), ("membership", "scop", "pole"), ("membership", "evil", "pole"),
            ("carries", "asso", "pole"), ("funds", "region", "pole"), ("supports", "region", "pole"),
            ("partner", "cc", "pole"), ("supports", "dla", "scop"), ("funds", "fond", "asso"),
            ("cooperates", "scop", "evil")]
    out += [{"record": "relation", "type": t, "source": s, "target": d, "provenance": {**prov(30 + i), "quote": f"« {s} » </script>"}}
            for i, (t, s, d) in enumerate(rels)]
    return out


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("navigateur")
    data = tmp / "eco.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _records()), encoding="utf-8")
    store = open_store(":memory:")
    load_file(store, data, rejects_dir=tmp / "rejets")
    run = analyse(store)
    metrics = store.metrics(run.id)
    map_path = render_map(project(store, "all"), tmp / "carte.html", "Écosystème du Pôle Coop'Sud",
                          size_by={k: v["betweenness"] for k, v in metrics.items() if "betweenness" in v}, size_label="intermédiarité")
    report = render_report(store, run.id, tmp / "rapport.html", map_path=map_path)
    store.close()
    return {"map": map_path, "report": report, "actors": 9}


def test_map_draws_offline(chromium, pages):
    p = Page(chromium)
    p.page.goto(pages["map"].as_uri())
    p.page.wait_for_function("window.network && window.network.body && "
                             "Object.keys(window.network.body.nodes).length > 0", timeout=15_000)
    p.page.wait_for_timeout(1200)  # physics polish on a small map, then it stops
    n_nodes = p.page.evaluate("network.body.data.nodes.length")
    drawn = p.page.evaluate("network.body.nodeIndices.length")
    assert n_nodes == pages["actors"] and drawn == pages["actors"]
    assert p.page.evaluate("network.body.edgeIndices.length") == 10
    # something is painted on the canvas (not a blank page)
    painted = p.page.evaluate("""() => {
        const c = document.querySelector('#carte canvas'); const ctx = c.getContext('2d');
        const d = ctx.getImageData(0, 0, c.width, c.height).data; let k = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) k++; return k; }""")
    assert painted > 1000
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "carte.png"))

    # filters: unticking a family hides its actors and their ties
    p.page.uncheck("input.filtre-famille[value='collectivite']")
    assert p.page.evaluate("network.body.nodeIndices.length") == pages["actors"] - 3
    p.page.uncheck("input.filtre-type[value='membership']")
    assert p.page.evaluate("network.body.edgeIndices.length") == 10 - 3 - 3  # 3 collectivité ties, 3 memberships
    p.page.click("#tout")
    assert p.page.evaluate("network.body.nodeIndices.length") == pages["actors"]

    # hover an actor: the tooltip shows the hostile name as text, nothing runs
    pos = p.page.evaluate("""() => { const id = network.body.data.nodes.get().find(n => n.family === 'enterprise').id;
        const c = network.canvasToDOM(network.getPosition(id)); const r = document.getElementById('carte').getBoundingClientRect();
        return [c.x + r.left, c.y + r.top]; }""")
    p.page.mouse.move(*pos)
    p.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    tooltip = p.page.inner_text("div.vis-tooltip")
    assert EVIL in tooltip and "Entreprise classique" in tooltip
    p.page.screenshot(path=str(ARTIFACTS / "carte-infobulle.png"))
    assert p.page.evaluate("window.__xss === undefined")

    assert p.errors == []
    assert p.dialogs == []
    assert p.external == [], f"external requests: {p.external}"
    p.context.close()


def test_report_renders_offline(chromium, pages):
    p = Page(chromium, width=1280)
    p.page.goto(pages["report"].as_uri())
    assert p.page.inner_text("h1") == "Rapport d'analyse du maillage"
    assert p.page.locator("section").count() == 8
    assert "Pôle Coop'Sud" in p.page.inner_text("#poles")
    assert p.page.evaluate("window.__xss === undefined")
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "rapport.png"), full_page=True)
    href = p.page.get_attribute("a.maplink", "href")
    assert href == "carte.html"
    assert p.errors == [] and p.dialogs == [] and p.external == []
    p.context.close()


NAME_BOXES = """() => { const ids = network.body.nodeIndices, b = ids.map(i => [i, network.getBoundingBox(i)]), k = [];
  for (let a = 0; a < b.length; a++) for (let c = a + 1; c < b.length; c++) { const p = b[a][1], q = b[c][1];
    if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) k.push([b[a][0], b[c][0]]); }
  return k; }"""


def test_names_do_not_overlap_in_the_browser(chromium, tmp_path):
    """The boxes vis-network itself computes for each actor and its name (the text as Chromium
    measures it): no two overlap on a pôle's star of 15 members. With the spring layout and the
    physics polish, six pairs of names were drawn on top of each other on this map."""
    from _maps import star_subgraph

    page = render_map(star_subgraph(), tmp_path / "etoile.html", "Pôle Test")
    p = Page(chromium)
    p.page.goto(page.as_uri())
    p.page.wait_for_function("window.network && window.network.body && "
                             "window.network.body.nodeIndices.length === 16", timeout=15_000)
    p.page.wait_for_timeout(300)
    assert p.page.evaluate("network.physics.options.enabled") is False
    assert p.page.evaluate(NAME_BOXES) == []
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "carte-etoile.png"))
    assert p.errors == [] and p.external == []
    p.context.close()


@pytest.fixture(scope="module")
def real_maps(tmp_path_factory):
    """The pages ``maillage serve`` gives for Haute-Garonne and four pôles, on a store holding the
    reference dataset, Haute-Garonne's grants (SCDL) and the tiers-lieux list — the maps on which
    names were found cut off at the canvas's edge."""
    from fastapi.testclient import TestClient

    from maillage.api.app import create_app
    from maillage.loaders import load_reference

    from _env import need_shared

    shared = need_shared()
    tmp = tmp_path_factory.mktemp("cartes-reelles")
    uri = str(tmp / "maillage.db")
    with open_store(uri) as s:
        load_reference(s)
        for f in ("scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv",
                  "tiers-lieux-numerique/03_tiers_lieux.csv"):
            load_file(s, shared / "realdata" / f, rejects_dir=tmp / "rejets")
    wanted = ("PTCE Pays de Bray", "Matières et Couleurs du Luberon", "Pôle Sud Archer", "Le Périscope")
    pages = {}
    with TestClient(create_app(uri)) as c:
        poles = {p["name"]: p["id"] for p in c.get("/api/poles").json()}
        urls = {"haute-garonne": "/map/territory/departement:31",
                **{name: f"/map/pole/{poles[name]}" for name in wanted}}
        for name, url in urls.items():
            r = c.get(url)
            assert r.status_code == 200, (url, r.text[:300])
            pages[name] = tmp / f"{len(pages)}.html"
            pages[name].write_text(r.text, encoding="utf-8")
    return pages


def _open_map(chromium, page_path, width, height):
    p = Page(chromium, width, height)
    p.page.goto(page_path.as_uri())
    p.page.wait_for_function("window.network && window.network.body.nodeIndices.length > 0", timeout=15_000)
    p.page.wait_for_timeout(600)
    return p


@pytest.mark.parametrize("width", [1400, 800])
def test_every_actor_and_its_name_is_inside_the_map_at_first(chromium, real_maps, width):
    """After the first drawing, at the default window size and a narrow one, no actor nor name
    sticks out of the canvas. vis-network fits the view before it has placed the names (their
    boxes then start at x = 0): at 800 pixels, names of four of these maps were cut at the edges."""
    cut = {}
    for name, path in real_maps.items():
        p = _open_map(chromium, path, width, 900)
        if out := p.page.evaluate(OUTSIDE, "network"):
            cut[name] = out
        if width == 800:
            ARTIFACTS.mkdir(exist_ok=True)
            p.page.screenshot(path=str(ARTIFACTS / f"carte-entiere-{width}-{path.stem}.png"))
        assert p.errors == [] and p.external == []
        p.context.close()
    assert cut == {}


@pytest.mark.parametrize("size", [(1400, 1000), (800, 900), (1000, 600)])
def test_the_map_stays_whole_when_the_window_is_resized(chromium, real_maps, size):
    """The window resized after the first drawing (a headless screenshot lays the page out at
    1400×913 then shoots at 1400×1000): the whole map is shown again. vis-network keeps the zoom
    and scales it by the change of one side, so Haute-Garonne's map, as high as the window, was
    zoomed in and lost its left and right edges."""
    p = _open_map(chromium, real_maps["haute-garonne"], 1400, 900)
    p.page.set_viewport_size({"width": size[0], "height": size[1]})
    p.page.wait_for_timeout(1500)  # vis-network notices a resize within a second
    assert p.page.evaluate(OUTSIDE, "network") == []
    # once the reader zooms (the mouse wheel), the view is theirs: a resize no longer refits it
    fitted = p.page.evaluate("network.getScale()")
    box = p.page.locator("#carte").bounding_box()
    p.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(14):
        p.page.mouse.wheel(0, -200)
        p.page.wait_for_timeout(50)
    zoomed = p.page.evaluate("network.getScale()")
    assert zoomed > 3 * fitted
    p.page.set_viewport_size({"width": 1200, "height": 800})
    p.page.wait_for_timeout(1500)
    assert p.page.evaluate("network.getScale()") > 0.7 * zoomed  # a refit would be below 2 × fitted
    assert p.errors == [] and p.external == []
    p.context.close()


@pytest.fixture(scope="module")
def demo_map(tmp_path_factory):
    """`maillage demo`'s map: the reference dataset's whole territory, some 500 actors sized by
    degree."""
    from maillage.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    return out / "carte.html"


def _names_readable(chromium, page_path, first, then, least=8):
    """Opened ``first`` pixels wide, then resized to ``then``: every name drawn is readable, at
    least ``least`` at ``first`` pixels, the largest actors' among them, and the whole map stays in
    the canvas."""
    p = _open_map(chromium, page_path, first, 900)
    for width in (first, then):
        if width != first:
            p.page.set_viewport_size({"width": width, "height": 900})
            p.page.wait_for_timeout(1500)  # vis-network notices a resize within a second
        small, names = unreadable_names(p.page, "network")
        assert small == [], (width, len(small), small[:5])
        assert len(names["drawn"]) >= (least if width == first else 8), (width, names["drawn"])
        assert names["biggest"] in {x[0] for x in names["drawn"]}
        assert p.page.evaluate(OUTSIDE, "network") == []
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / f"carte-noms-{page_path.stem}-{first}-{then}.png"))
    assert p.errors == [] and p.external == []
    p.context.close()


@pytest.mark.parametrize("first,then", [(1400, 800), (800, 1400)])
def test_names_of_a_large_map_are_readable_or_hidden(chromium, demo_map, first, then):
    """The demo's map of 515 actors, fitted into an 800-pixel window: the names kept
    readable at the fitted zoom were drawn 5.5 pixels high (their size was estimated for a
    1,000-pixel canvas). A name is drawn at least READABLE_PX high, or hidden until zooming in;
    the largest actors' names are drawn."""
    _names_readable(chromium, demo_map, first, then)


def test_small_names_are_not_drawn_at_five_pixels(chromium, real_maps):
    """Haute-Garonne's map at 1,400 pixels: 32 names were drawn 5.2 pixels high (vis-network draws,
    faded, names down to drawThreshold − 1 pixels, and the threshold was 6). Hidden instead, they
    left a map of 47 actors with 17 names in a canvas with room for most of the others: every name
    that fits without overlapping another is drawn readable, up to 40 (30 here)."""
    _names_readable(chromium, real_maps["haute-garonne"], 1400, 800, least=25)
