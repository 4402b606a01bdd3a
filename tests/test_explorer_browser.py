"""The explorer page at ``/`` in a real browser (Debian's Chromium driven by Playwright), served
by the real app (uvicorn in a thread, on loopback) on an SQLite store loaded with the reference
dataset and analysed.

Every request that does not go to the app's own address is aborted and counted: the page must
need nothing but this server. Console errors and page errors are collected and must stay empty.
Screenshots are saved in test-artifacts/.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from maillage.analytics.run import analyse
from maillage.api.maps import EXPLORER_STRINGS, ISOLATED_BORDER, PERIPHERAL_BORDER, RINGS, STRINGS
from maillage.graph import open_store
from maillage.graph.store import territory_rollup
from maillage.loaders import load_file, load_reference

from _browser import OUTSIDE, GuardedPage, unreadable_names
from _maps import map_data

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
EVIL = "<img src=x onerror=\"window.__xss = 1\"> Entreprise"


class Site:
    """The app served by uvicorn in a thread, on a free loopback port."""

    def __init__(self, store_uri: str):
        import uvicorn

        from maillage.api.app import create_app

        self.uri = store_uri
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(store_uri), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the app did not start")
            time.sleep(0.05)

    def get(self, path: str, **params) -> dict:
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        with urllib.request.urlopen(f"{self.base}{path}{'?' + query if query else ''}", timeout=30) as res:
            return json.loads(res.read())

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


class Page(GuardedPage):
    """A browser page whose requests to any other address than the app are aborted and
    recorded, and whose console errors, page errors and dialogs are kept."""

    def __init__(self, browser, base: str, width=1400, height=900):
        self.base = base
        super().__init__(browser, lambda url: url == base or url.startswith(base + "/") or url.startswith("data:"),
                         width, height)

    def open(self, path="/"):
        self.page.goto(self.base + path)
        if not self.page.evaluate("document.getElementById('vocabulaire-explorateur') !== null"):
            pytest.fail("GET / serves static/index.html as it is: it must serve "
                        "maillage.api.maps.explorer_page() (vis-network and the vocabulary inlined)")
        self.page.wait_for_function("window.explorer !== undefined", timeout=15_000)

    def search(self, text: str):
        self.page.fill("#q", text)
        self.page.click("#recherche button[type=submit]")

    def wait_map(self):
        self.page.wait_for_function("window.explorer.ready === true", timeout=30_000)

    def node_point(self, node_id: str) -> list[float] | None:
        """Where to click an actor on the screen (None when another actor or nothing is there)."""
        return self.page.evaluate("""(id) => {
            const n = explorer.network; const p = n.getPositions([id])[id]; if (!p) return null;
            const c = n.canvasToDOM(p); if (n.getNodeAt(c) !== id) return null;
            const r = document.getElementById('carte').getBoundingClientRect();
            if (c.x < 5 || c.y < 5 || c.x > r.width - 5 || c.y > r.height - 5) return null;
            return [c.x + r.left, c.y + r.top]; }""", node_id)

    def done(self):
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.dialogs == []
        assert self.external == [], f"requests that left the app: {self.external}"
        self.context.close()


def _provenance_by_relation(store, actor_ids) -> dict[str, tuple[str | None, str | None, str | None]]:
    """(quote, document, locator) of every relation statement touching ``actor_ids``."""
    return {r.id: (r.provenance.quote, r.provenance.document, r.provenance.locator)
            for r in store.relations(touching=set(actor_ids))}


@pytest.fixture(scope="module")
def reference_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("explorateur")
    uri = str(tmp / "reference.db")
    with open_store(uri) as store:
        load_reference(store, rejects_dir=tmp / "rejets")
        analyse(store)
        poles = store.search("", family="pole", limit=1000)
        sizes = {p.id: len(store.pole_subgraph(p.id).actors) for p in poles}
        pole = max(poles, key=lambda p: (sizes[p.id], p.id))  # the best documented pôle
        sub = store.pole_subgraph(pole.id)
        provenance = _provenance_by_relation(store, sub.actors)
    site = Site(uri)
    yield {"site": site, "pole": pole, "pole_actors": len(sub.actors), "provenance": provenance}
    site.close()


def test_explorer_search_map_and_sources(chromium, reference_site):
    site, pole = reference_site["site"], reference_site["pole"]
    api = site.get(f"/api/poles/{pole.id}/subgraph")
    assert len(api["nodes"]) == reference_site["pole_actors"] > 10  # the API agrees with the store

    p = Page(chromium, site.base)
    p.open("/")
    assert p.page.title().startswith("Maillage")
    assert p.page.evaluate("typeof vis") == "object"  # vis-network inlined by the server
    # search finds the pôle, listed as a pôle
    p.search(pole.name)
    hit = f"#resultats-liste button[data-kind='pole'][data-id='{pole.id}']"
    p.page.wait_for_selector(hit, timeout=15_000)
    assert pole.name in p.page.inner_text(hit)
    p.page.click(hit)
    p.wait_map()
    # the map draws every actor and relation of the API's answer
    assert p.page.evaluate("explorer.network.body.data.nodes.length") == len(api["nodes"])
    assert p.page.evaluate("explorer.network.body.nodeIndices.length") == len(api["nodes"])
    assert p.page.evaluate("explorer.network.body.edgeIndices.length") == len(api["edges"])
    assert p.page.inner_text("#titre-vue") == f"Pôle : {pole.name}"
    assert p.page.inner_text("#compte").startswith(f"{len(api['nodes'])} acteurs · {len(api['edges'])} relations")
    # the pôle's panel: its diagnostic and criteria, as the API gives them
    diag = site.get(f"/api/poles/{pole.id}/diagnostic")
    p.page.wait_for_selector("#diagnostic ul.criteres li", timeout=15_000)
    assert p.page.locator("#diagnostic ul.criteres li").count() == len(diag["criteria"])
    assert diag["criteria"][0]["label"] in p.page.inner_text("#diagnostic")
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "explorateur.png"))

    # click an actor: its relations with their sources (quote, document and line)
    chosen = None
    for node in api["nodes"]:
        if node["is_pole"]:
            continue
        detail = site.get(f"/api/actors/{node['id']}")
        quoted = [e for e in detail["relations"]
                  if e["provenance"]["quote"] and re.fullmatch(r"L\d+", e["provenance"]["locator"] or "")
                  and e["provenance"]["document"]
                  and reference_site["provenance"].get(e["id"], (None,))[0] == e["provenance"]["quote"]]
        point = p.node_point(node["id"]) if quoted else None
        if point:
            chosen = (node, quoted[0], point)
            break
    assert chosen, "no actor of the pôle with a quoted, located source could be clicked"
    node, edge, point = chosen
    p.page.mouse.click(*point)
    p.page.wait_for_selector(f"#detail[data-actor='{node['id']}'] ul.relations", timeout=15_000)
    panel = p.page.inner_text("#detail")
    quote, document, locator = reference_site["provenance"][edge["id"]]  # straight from the reference data
    assert f"« {quote} »" in panel
    # the founding document by its title (as the API names it), then the line
    title = edge["provenance"]["document_label"]
    assert title and title != document and f"{title}, ligne {locator[1:]}" in panel
    assert f"document {document}," not in panel
    assert node["label"] in p.page.inner_text("#detail h2")
    p.page.screenshot(path=str(ARTIFACTS / "explorateur-sources.png"))

    # click a relation: its own source
    target = p.page.evaluate("""() => {
        const n = explorer.network, r = document.getElementById('carte').getBoundingClientRect();
        for (const id of n.body.edgeIndices) {
          const e = n.body.edges[id]; if (!e.from || !e.to || e.from === e.to) continue;
          const a = n.canvasToDOM(e.from), b = n.canvasToDOM(e.to);
          const c = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
          if (c.x < 5 || c.y < 5 || c.x > r.width - 5 || c.y > r.height - 5) continue;
          if (n.getNodeAt(c) === undefined && n.getEdgeAt(c) === id) return [id, c.x + r.left, c.y + r.top];
        }
        return null; }""")
    assert target, "no relation could be clicked"
    p.page.mouse.click(target[1], target[2])
    p.page.wait_for_selector(f"#detail[data-edge='{target[0]}']", timeout=10_000)
    e = next(x for x in api["edges"] if x["id"] == target[0])
    assert e["type_label"] in p.page.inner_text("#detail h2")
    assert f"Source : {e['provenance']['source_label']}" in p.page.inner_text("#detail")
    assert e["provenance"]["source_label"] != e["provenance"]["source"]  # a file or a title, not an id

    # filters of the legend: unticking a family hides its actors
    fam = api["nodes"][0]["family"] if not api["nodes"][0]["is_pole"] else api["nodes"][1]["family"]
    n_fam = sum(1 for n in api["nodes"] if n["family"] == fam)
    p.page.uncheck(f"input.filtre-famille[value='{fam}']")
    assert p.page.evaluate("explorer.network.body.nodeIndices.length") == len(api["nodes"]) - n_fam
    p.page.check(f"input.filtre-famille[value='{fam}']")

    # links to the exports and to the standalone map of this view
    assert p.page.get_attribute("#liens-exports a:text-is('gexf')", "href") == \
        f"/api/export/gexf?pole={urllib.parse.quote(pole.id)}"
    href = p.page.get_attribute("#lien-carte", "href")
    assert href.startswith(f"/map/pole/{urllib.parse.quote(pole.id)}")
    p.page.click("#lien-carte")
    p.page.wait_for_function("window.network && window.network.body && "
                             "Object.keys(window.network.body.nodes).length > 0", timeout=30_000)
    assert p.page.evaluate("network.body.data.nodes.length") == len(api["nodes"])
    p.page.screenshot(path=str(ARTIFACTS / "explorateur-carte-autonome.png"))
    p.done()


def test_lens_year_and_territory(chromium, reference_site):
    site, pole = reference_site["site"], reference_site["pole"]
    p = Page(chromium, site.base)
    # an address opens a view directly; the year is sent to the API
    year = 2015
    p.open(f"/#pole={urllib.parse.quote(pole.id)}&annee={year}")
    p.wait_map()
    api = site.get(f"/api/poles/{pole.id}/subgraph", as_of=year)
    assert p.page.evaluate("explorer.network.body.data.nodes.length") == len(api["nodes"])
    assert p.page.input_value("#annee") == str(year)
    # the actor's neighbourhood through a lens (the lens goes to the API)
    p.page.fill("#annee", "")
    p.page.dispatch_event("#annee", "change")
    p.wait_map()
    p.page.evaluate("(id) => explorer.openView({kind: 'actor', id: id})", pole.id)
    p.page.select_option("#lentille", "cooperation")
    p.page.select_option("#profondeur", "2")
    api = site.get(f"/api/actors/{pole.id}/neighbourhood", depth=2, lens="cooperation")
    # the address changes when the request leaves, « ready » may still be the lens's view: wait for
    # the depth-2 view itself (on a loaded machine the lens's 42 actors were still drawn); a view
    # that never has the API's actors fails here on the timeout
    p.page.wait_for_function("(n) => window.explorer.ready === true && location.hash.includes('profondeur=2') "
                             "&& explorer.network.body.data.nodes.length === n", arg=len(api["nodes"]),
                             timeout=30_000)
    assert p.page.evaluate("explorer.network.body.data.nodes.length") == len(api["nodes"])
    assert "lentille=cooperation" in p.page.evaluate("location.hash")
    # a territory typed in the search box by its name: the pôle's département
    tid = next(t for t in territory_rollup(pole.location) if t.startswith("departement:"))
    hit = site.get("/api/territories", q=tid)[0]
    assert hit["id"] == tid and hit["level"] == "departement"
    p.search(hit["name"])
    p.page.click(f"#resultats-liste button[data-kind='territory'][data-id='{tid}']")
    p.wait_map()
    api = site.get(f"/api/territories/{tid}/subgraph")
    assert p.page.evaluate("explorer.network.body.data.nodes.length") == len(api["nodes"]) > 0
    assert p.page.inner_text("#titre-vue") == f"Territoire : {hit['label']}"
    # the same view from its address alone: the name is looked up, not the id shown
    p.open(f"/#territoire={urllib.parse.quote(tid)}")
    p.wait_map()
    assert p.page.inner_text("#titre-vue") == f"Territoire : {hit['label']}"
    assert p.page.inner_text("#detail h2") == hit["label"]
    p.done()


def test_a_view_exports_what_it_shows(chromium, reference_site):
    """« Exporter cette vue » exports the view through its lens and as of its year (every exported
    relation is drawn): a pôle's view in the cooperation lens in 2016 exported every relation of
    every year (its links carried the pôle alone), an actor's neighbourhood left them out too."""
    site, pole = reference_site["site"], reference_site["pole"]
    p = Page(chromium, site.base)
    p.open(f"/#pole={urllib.parse.quote(pole.id)}&lentille=cooperation&annee=2016")
    p.wait_map()
    href = p.page.get_attribute("#liens-exports a:text-is('json')", "href")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
    assert query == {"pole": [pole.id], "lens": ["cooperation"], "as_of": ["2016"]}, href
    export = site.get(urllib.parse.urlsplit(href).path, **{k: v[0] for k, v in query.items()})
    drawn = set(p.page.evaluate("explorer.network.body.data.edges.getIds()"))
    whole = {e["id"] for e in site.get("/api/export/json", pole=pole.id)["edges"]}  # what the link gave
    # the view is its export's: the explorer asks the API for the lens instead of filtering the
    # relations of every type itself (which drew relations among actors the export leaves out)
    assert whole - drawn and drawn and {e["id"] for e in export["edges"]} == drawn
    assert set(p.page.evaluate("explorer.network.body.data.nodes.getIds()")) == {n["id"] for n in export["nodes"]}
    # the note on the measures names the lens shown, not « lentille tout »
    notes = p.page.inner_text("#avis")
    assert "(lentille coopération, 2016)" in notes and "--lens coopération --as-of 2016" in notes, notes
    assert "lentille tout" not in notes
    # the standalone map keeps the lens, and draws the same relations
    link = p.page.get_attribute("#lien-carte", "href")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(link).query) == {"lens": ["cooperation"], "as_of": ["2016"]}, link
    with urllib.request.urlopen(site.base + link, timeout=30) as res:
        assert {e["id"] for e in map_data(res.read().decode())["edges"]} == drawn
    # an actor's neighbourhood: its depth, lens and year
    p.page.evaluate("(id) => explorer.openView({kind: 'actor', id: id})", pole.id)
    p.wait_map()
    href = p.page.get_attribute("#liens-exports a:text-is('gexf')", "href")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(href).query) == {
        "actor": [pole.id], "depth": ["1"], "lens": ["cooperation"], "as_of": ["2016"]}, href
    p.done()


def test_the_page_opens_on_the_poles(chromium, reference_site):
    """Opened with no view, the page lists the store's pôles, most members first, each opening
    its map: where someone who knows no name yet starts."""
    site = reference_site["site"]
    poles = site.get("/api/poles")
    p = Page(chromium, site.base)
    p.open("/")
    items = "#accueil ul.liste-poles li"
    p.page.wait_for_selector(items, timeout=15_000)
    assert p.page.locator(items).count() == min(15, len(poles))
    first = max(poles, key=lambda x: x["members"])
    assert p.page.locator(f"{items} button").first.inner_text() == first["name"]
    assert f"{first['members']} membres nommés" in p.page.locator(items).first.inner_text()
    assert f"{len(poles)} pôles" in p.page.inner_text("#accueil")
    p.page.locator(f"{items} button").first.click()
    p.wait_map()
    assert p.page.inner_text("#titre-vue") == f"Pôle : {first['name']}"
    assert p.page.locator("#accueil").count() == 0  # the panel now shows the pôle
    p.done()


def test_a_territory_panel_gives_its_diagnostic(chromium, reference_site):
    """A territory's side panel carries its diagnostic as the API gives it: counts, the isolated
    actors with their reasons, the pôles present; a name opens that actor's details."""
    site, pole = reference_site["site"], reference_site["pole"]
    tid = next(t for t in territory_rollup(pole.location) if t.startswith("departement:"))
    diag = site.get(f"/api/territories/{tid}/diagnostic")
    assert diag["isolated"]["size"] > 0 and diag["poles"]["size"] > 0  # else this test proves nothing
    p = Page(chromium, site.base)
    asked: list[str] = []
    p.page.on("request", lambda r: asked.append(r.url) if "/diagnostic" in r.url else None)
    p.open(f"/#territoire={urllib.parse.quote(tid)}")
    p.wait_map()
    section = "#diagnostic-territoire"
    p.page.wait_for_selector(f"{section} ul.acteurs li", timeout=15_000)
    rows = dict(zip(p.page.locator(f"{section} dt").all_inner_texts(), p.page.locator(f"{section} dd").all_inner_texts()))
    assert rows["Acteurs situés"] == str(diag["actors"]["size"])
    # the territory named by its name and level, not by its id (« Département · departement:31 »)
    assert p.page.inner_text("#detail h2") == "Haute-Garonne (31)" and p.page.inner_text("#detail p.meta") == "Département"
    assert tid not in p.page.inner_text("#detail")
    assert rows["Isolés"] == str(diag["isolated"]["size"]) and rows["Pôles présents"] == str(diag["poles"]["size"])
    text = p.page.inner_text(section)
    first = diag["isolated"]["items"][0]
    assert first["name"] in text and first["reasons"][0]["text"] in text
    assert all(x["name"] in text for x in diag["poles"]["items"])
    # the isolated actors the map draws are circled in magenta, and the panel says how many
    drawn = set(p.page.evaluate("explorer.network.body.data.nodes.getIds()"))
    on_map = [a["id"] for a in diag["isolated"]["items"] if a["id"] in drawn]
    assert on_map  # else the circling is not exercised
    borders = p.page.evaluate("""(ids) => ids.map(id => explorer.network.body.data.nodes.get(id).color.border)""",
                              sorted(drawn))
    circled = {i for i, b in zip(sorted(drawn), borders) if b == ISOLATED_BORDER}
    assert circled == set(on_map)
    assert f"{len(on_map)} d'entre eux" in text
    # the panel asks for what it shows (50 names a heading), not a région's megabytes
    assert asked and all(urllib.parse.parse_qs(urllib.parse.urlsplit(u).query).get("items") == ["50"] for u in asked)
    # still circled once the map is drawn again with other node sizes
    sizes = p.page.eval_on_selector_all("#taille option", "os => os.map(o => o.value).filter(Boolean)")
    assert sizes  # the store is analysed: its metrics size the nodes
    p.page.select_option("#taille", sizes[0])
    border = p.page.evaluate("(id) => explorer.network.body.data.nodes.get(id).color.border", on_map[0])
    assert border == ISOLATED_BORDER
    p.page.locator(f"{section} li[data-id='{first['id']}'] button").click()
    p.page.wait_for_selector(f"#detail[data-actor='{first['id']}'] dl", timeout=15_000)
    assert p.page.inner_text("#titre-vue").startswith("Territoire : ")  # the map stays on the territory
    p.done()


def test_a_territory_map_rings_its_peripheral_actors_as_the_static_map(chromium, reference_site):
    """A collectivité sees on the explorer's territory map the orange rings of the static map:
    CRIDA (a single partner, the RTES) is ringed, with the map's legend line and its reason in
    the tooltip, in French and with lang=en; Ramonville-Saint-Agne (two partners) is not."""
    site = reference_site["site"]
    tid, crida, two = "departement:31", "crida-53e3ec", "ramonville-saint-agne-ddc27f"
    for lang, partner in (("fr", "Un seul partenaire par un lien direct"), ("en", "A single partner through a direct tie")):
        api = site.get(f"/api/territories/{tid}/subgraph", lang=lang)
        reason = api["marks"]["peripheral"][crida]
        assert reason.startswith(partner) and two in {n["id"] for n in api["nodes"]}
        p = Page(chromium, site.base)
        p.open(f"/?lang={lang}#territoire={urllib.parse.quote(tid)}")
        # the territory's view itself, drawn and settled (not any earlier view)
        p.page.wait_for_function("(n) => window.explorer.ready === true && explorer.state.view.kind === 'territory' "
                                 "&& explorer.network.body.data.nodes.length === n", arg=len(api["nodes"]),
                                 timeout=30_000)
        node = "(id) => { const n = explorer.network.body.data.nodes.get(id); " \
               "return [n.color.border, n.borderWidth, n.title.textContent]; }"
        border, width, tip = p.page.evaluate(node, crida)
        assert (border, width) == (PERIPHERAL_BORDER, RINGS["peripheral"][1])
        assert f"{STRINGS[lang]['peripheral_row']}{' : ' if lang == 'fr' else ': '}{reason}" in tip
        border, width, tip = p.page.evaluate(node, two)
        assert border not in (PERIPHERAL_BORDER, ISOLATED_BORDER) and width < RINGS["peripheral"][1]
        assert STRINGS[lang]["peripheral_row"] not in tip
        ringed = p.page.evaluate("explorer.network.body.data.nodes.get().filter(n => n.color.border === '"
                                 + PERIPHERAL_BORDER + "').length")
        assert ringed == len(api["marks"]["peripheral"]) > 10
        # the static map's legend line, with how many the map rings
        line = p.page.locator("#legende-peripheral")
        assert line.inner_text().split("\n") == [STRINGS[lang]["peripheral"], f"({ringed})"]
        swatch = line.locator(".pastille").evaluate("e => getComputedStyle(e).borderTopColor")
        assert swatch == "rgb(255, 106, 0)" == "rgb({}, {}, {})".format(*bytes.fromhex(PERIPHERAL_BORDER[1:]))
        # hovering CRIDA shows its reason, as the static map's tooltip does
        point = p.node_point(crida)
        assert point, "CRIDA could not be pointed at on the map"
        p.page.mouse.move(*point)
        p.page.wait_for_selector("div.vis-tooltip:visible", timeout=10_000)
        assert reason in p.page.inner_text("div.vis-tooltip")
        # wrapped within the map, not one line running off it (vis-network's own style is nowrap)
        box = p.page.locator("div.vis-tooltip").bounding_box()
        assert box["width"] <= 400 and box["height"] > 80
        if lang == "fr":
            ARTIFACTS.mkdir(exist_ok=True)
            p.page.screenshot(path=str(ARTIFACTS / "explorateur-peripheriques.png"))
        p.done()


def _territory_parts(chromium, reference_site):
    """The reference pôle's département: its diagnostic (API), and its panel opened in the explorer
    with the table of isolated actors by part shown (the page, the table's selector)."""
    site, pole = reference_site["site"], reference_site["pole"]
    tid = next(t for t in territory_rollup(pole.location) if t.startswith("departement:"))
    diag = site.get(f"/api/territories/{tid}/diagnostic")
    p = Page(chromium, site.base)
    p.open(f"/#territoire={urllib.parse.quote(tid)}")
    p.wait_map()
    table = "#diagnostic-territoire table.parties"
    p.page.wait_for_selector(f"{table} tbody tr", timeout=15_000)
    return diag, p, table


def test_a_territory_panel_counts_its_isolated_actors_by_part(chromium, reference_site):
    """Under « Acteurs isolés », a département's panel counts its isolated and peripheral actors
    by EPCI, as the API's ``flagged_by_part`` does; a part's name opens that EPCI's own view."""
    diag, p, table = _territory_parts(chromium, reference_site)
    parts = [x for x in diag["flagged_by_part"] if x["isolated"] + x["peripheral"] + x["documentation_gaps"]]
    assert diag["part_level"] == "epci" and len(parts) > 1 and any(x["id"] for x in parts)
    assert p.page.locator(f"{table} th").first.inner_text() == "Intercommunalité (EPCI)"
    shown = [r.split("\t") for r in p.page.locator(f"{table} tbody tr").all_inner_texts()]
    assert [r[:3] for r in shown] == [[x["name"], str(x["isolated"]), str(x["peripheral"])] for x in parts]
    target = next(x for x in parts if x["id"])
    p.page.locator(f"{table} tr[data-part='{target['id']}'] button").click()
    p.page.wait_for_selector(f"#detail[data-territory='{target['id']}']", timeout=15_000)
    assert urllib.parse.unquote(p.page.evaluate("location.hash")) == f"#territoire={target['id']}"
    p.done()


def test_a_territory_panel_table_fits_the_panel(chromium, reference_site):
    """The isolated actors' table by part keeps within the side panel: its headers wrap
    (« Peut-être sous-documentés » was one unbreakable line, the table ran out of the panel
    and the reader had to scroll sideways to see that column)."""
    diag, p, table = _territory_parts(chromium, reference_site)
    assert any(x["documentation_gaps"] for x in diag["flagged_by_part"])  # the widest table: four columns
    assert p.page.locator(f"{table} th").last.inner_text() == "Peut-être sous-documentés"
    width, room = p.page.evaluate("""(sel) => [document.querySelector(sel).getBoundingClientRect().right,
        document.getElementById('detail').getBoundingClientRect().right]""", table)
    assert width <= room, (width, room)
    assert p.page.evaluate("(() => { const d = document.getElementById('detail'); "
                           "return d.scrollWidth <= d.clientWidth; })()")
    p.done()


def test_an_actor_panel_names_each_source_once(chromium, reference_site):
    """« Sources » lists each source once, one a line: two sources cut from the same document
    have the same label (RTES 2016 twice for the pôle), and a label holds commas (« RTES, « … »,
    Repères, mise à jour 2016 »): joined with « , » the reader saw one long run-on text with
    the same source twice."""
    site, pole = reference_site["site"], reference_site["pole"]
    res = site.get(f"/api/actors/{pole.id}")
    labels = [res["source_labels"].get(s, s) for s in res["actor"]["sources"]]
    distinct = list(dict.fromkeys(labels))
    assert len(distinct) < len(labels)  # the reference pôle has two sources of one label
    p = Page(chromium, site.base)
    p.open("/")
    p.page.evaluate("(id) => explorer.showActor(id)", pole.id)
    p.page.wait_for_selector(f"#detail[data-actor='{pole.id}'] dl", timeout=15_000)
    shown = p.page.evaluate("""() => { const dts = [...document.querySelectorAll('#detail > dl > dt')];
        const dt = dts.find(d => d.textContent === 'Sources');
        return [...dt.nextElementSibling.children].map(c => c.textContent); }""")
    assert shown == distinct
    p.done()


def test_an_actor_panel_names_its_analysis_by_its_date(chromium, reference_site):
    """The panel says whose measures it shows as the views and reports do, by the run's date
    (« Mesures de l'analyse du 7 décembre 2026 à 20 h 49. »), not by its internal id
    (« Analyse run-20261207T204939Z-f7e873 »); and, as a view's notes do, that they describe
    another view when the run is of another lens than the record's (every relation): a member
    of one pôle showed « Degré 35 » beside its one relation, without a word that the degree
    was counted in the cooperation lens (its pôle's members as partners)."""
    from maillage.analytics.report import run_text

    site, pole = reference_site["site"], reference_site["pole"]
    with open_store(site.uri) as store:
        run = store.runs()[0]
    assert run.lens == "cooperation"  # analyse()'s default: not the record's lens
    res = site.get(f"/api/actors/{pole.id}")
    assert res["run_id"] == run.id and res["run_label"] == run_text(run)
    note = (f"Les mesures de {run_text(run)} (lentille coopération, toutes années) décrivent une autre vue que "
            "celle-ci (lentille tout, toutes années) ; pour les mesures de cette vue : maillage analyse --lens tout.")
    assert res["run_notes"] == [note]
    en = site.get(f"/api/actors/{pole.id}", lang="en")
    assert en["run_label"] == run_text(run, "en") and "describe another view than this one" in en["run_notes"][0]
    p = Page(chromium, site.base)
    p.open("/")
    p.page.evaluate("(id) => explorer.showActor(id)", pole.id)
    p.page.wait_for_selector(f"#detail[data-actor='{pole.id}'] table.metriques", timeout=15_000)
    panel = p.page.inner_text("#detail")
    assert f"Mesures de {run_text(run)}." in panel and note in panel
    assert run.id not in panel and "run-" not in panel
    # every indicator named by its label, none by a code (« critere.K3 », « pole.funding_hhi »)
    named = p.page.evaluate("""() => [...document.querySelectorAll('#detail table.metriques tr > td:first-child')]
        .map(td => td.textContent)""")
    assert len(named) > 10 and not [x for x in named if "." in x or "_" in x], named
    p.done()


def test_a_pole_panel_reads_in_french(chromium, reference_site):
    """The side panel names a pôle's declared sizes and phase with the vocabulary's words
    (« Membres déclarés », « Émergence »), not their codes (« Déclaré (members) », « emergence »);
    the extraction's subkind (« unspecified », « structure_porteuse (nature not stated) ») is
    its own working note, not shown."""
    from maillage.graph.vocabulary import vocabulary

    site = reference_site["site"]
    voc = vocabulary()
    details = [site.get(f"/api/actors/{p['id']}")["actor"] for p in site.get("/api/poles")]
    declared = next(a for a in details if a["declared"])
    phased = next(a for a in details if a["pole"]["phase"] and a["subkind"])
    p = Page(chromium, site.base)
    p.open("/")
    for a in (declared, phased):
        p.page.evaluate("(id) => explorer.showActor(id)", a["id"])
        p.page.wait_for_selector(f"#detail[data-actor='{a['id']}'] dl", timeout=15_000)
        panel = p.page.inner_text("#detail")
        assert "Déclaré (" not in panel
        for key in a["declared"]:
            assert voc.enum("declared_sizes")[key].label("fr") in panel
    assert voc.enum("phases")[phased["pole"]["phase"]].label("fr") in panel
    assert phased["subkind"] not in panel
    p.done()


HOSTILE = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Textes hostiles"},
    {"record": "actor", "key": "pole", "name": "Pôle Coop'Sud", "family": "pole", "kind": "ptce",
     "provenance": {"document": "etude", "locator": "L1"}},
    {"record": "actor", "key": "evil", "name": EVIL, "family": "enterprise", "kind": "pme",
     "provenance": {"document": "etude", "locator": "L2"}},
    {"record": "actor", "key": "asso", "name": "Les Jardins", "family": "ess", "kind": "association",
     "provenance": {"document": "etude", "locator": "L3"}},
    {"record": "relation", "type": "membership", "source": "evil", "target": "pole",
     "provenance": {"document": "<b>etude</b>", "locator": "L12", "certainty": "stated",
                    "quote": "</script><script>window.__xss = 2</script> membre"}},
    {"record": "relation", "type": "membership", "source": "asso", "target": "pole",
     "provenance": {"document": "etude", "locator": "L13", "certainty": "stated", "quote": "Les Jardins adhèrent"}},
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    data = tmp / "hostile.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in HOSTILE), encoding="utf-8")
    uri = str(tmp / "hostile.db")
    with open_store(uri) as store:
        load_file(store, data, rejects_dir=tmp / "rejets")
        evil = next(a.id for a in store.iter_actors() if a.name == EVIL)
    site = Site(uri)
    yield site, evil
    site.close()


def test_data_is_shown_as_text(chromium, hostile_site):
    site, evil = hostile_site
    p = Page(chromium, site.base)
    p.open("/")
    p.search("Entreprise")
    hit = f"#resultats-liste button[data-id='{evil}']"
    p.page.wait_for_selector(hit, timeout=15_000)
    assert EVIL in p.page.inner_text(hit)
    p.page.click(hit)
    p.wait_map()
    p.page.wait_for_selector(f"#detail[data-actor='{evil}'] ul.relations li", timeout=15_000)
    panel = p.page.inner_text("#detail")
    assert EVIL in p.page.inner_text("#detail h2")
    assert "« </script><script>window.__xss = 2</script> membre »" in panel
    assert "document <b>etude</b>, ligne 12" in panel
    assert p.page.inner_text("#titre-vue") == f"Voisinage de {EVIL}"
    assert p.page.locator("#detail img, #detail script, #detail b, #resultats img").count() == 0
    assert p.page.evaluate("window.__xss === undefined")
    p.done()


GRANT = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Une subvention"},
    {"record": "actor", "key": "cc", "name": "Communauté de communes d'essai", "family": "collectivite",
     "kind": "epci", "provenance": {"locator": "row 2"}},
    {"record": "actor", "key": "asso", "name": "Association Subventionnée", "family": "ess", "kind": "association",
     "attributes": {"etat_administratif": "A", "ess_insee": "O", "naf": "94.99Z"}, "provenance": {"locator": "row 2"}},
    {"record": "relation", "type": "funds", "source": "cc", "target": "asso",
     "fields": {"amount": 26800.0, "year": 2017, "status": "accorde", "nature": "en_nature", "share": 0.5},
     "provenance": {"locator": "Subventions!row 32", "certainty": "stated"}},
]


def _grant_store(tmp_path) -> tuple[str, str]:
    """A store holding :data:`GRANT` (one grant to an association); its file and the association's id."""
    data = tmp_path / "grant.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in GRANT), encoding="utf-8")
    uri = str(tmp_path / "grant.db")
    with open_store(uri) as store:
        load_file(store, data, rejects_dir=tmp_path / "rejets")
        return uri, next(a.id for a in store.iter_actors() if a.family == "ess")


def test_a_grant_reads_as_people_write_it(chromium, tmp_path):
    """In the side panel a grant's coded values read in French: status « accordée », nature
    « en nature », the year 2017 (not « 2 017 »), the amount with one € (the label has it),
    its share « 50 % » (not « Part (0–1) 0,5 »), its place in the source « feuille Subventions,
    ligne 32 » (stored as Subventions!row 32) and the source by its file's name (not
    « maillage-jsonl:grant.jsonl »); the actor's register attributes in words."""
    uri, asso = _grant_store(tmp_path)
    site = Site(uri)
    try:
        p = Page(chromium, site.base)
        p.open(f"/#acteur={urllib.parse.quote(asso)}")
        p.wait_map()
        p.page.wait_for_selector(f"#detail[data-actor='{asso}'] ul.relations li", timeout=15_000)
        rel = " ".join(p.page.inner_text("#detail ul.relations li").split())
        assert "Statut accordée" in rel and "accorde " not in rel + " "
        assert "Nature en nature" in rel
        assert "Année 2017" in rel
        assert "Montant (€) 26\u202f800" in rel or "Montant (€) 26 800" in rel
        assert "€ €" not in rel and rel.count("€") == 1
        assert "feuille Subventions, ligne 32" in rel and "row 32" not in rel
        # a share in percent, the source by its file's name, register codes in words
        assert "Part 50 %" in rel and "(0–1)" not in rel and "0,5" not in rel
        assert "Source : grant.jsonl" in rel and "maillage-jsonl:" not in rel
        head = " ".join(p.page.inner_text("#detail dl").split())
        assert "Sources grant.jsonl" in head and "maillage-jsonl:" not in head
        assert "État active" in head and "ESS d'après l'INSEE oui" in head and "Activité (code NAF) 94.99Z" in head
        assert "etat_administratif" not in head
        p.done()
    finally:
        site.close()


# the boxes vis-network computes for each visible actor and its name (text measured by Chromium)
LABEL_OVERLAPS = """() => { const n = explorer.network, ids = n.body.nodeIndices, k = [];
  const b = ids.map(i => [n.body.nodes[i].options.label, n.getBoundingBox(i)]);
  for (let a = 0; a < b.length; a++) for (let c = a + 1; c < b.length; c++) { const p = b[a][1], q = b[c][1];
    if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) k.push([b[a][0], b[c][0]]); }
  return k; }"""

RAMONVILLE = ["Mairie de Ramonville-Saint-Agne", "Initiatives Solidaires Ramonville", "Mme Claire Martin"]


@pytest.fixture(scope="module")
def periscope_site(tmp_path_factory):
    """The reference data and two member lists that name the pôle « Périscope » (as one types
    ``--pole Périscope``): Le Périscope's map then holds some 45 actors."""
    tmp = tmp_path_factory.mktemp("periscope")
    uri = str(tmp / "periscope.db")
    with open_store(uri) as store:
        load_reference(store, rejects_dir=tmp / "rejets")
        for year in (2023, 2024):
            members = tmp / f"membres_{year}.csv"
            members.write_text("Nom;Commune\n" + "".join(f"{m};Ramonville-Saint-Agne\n" for m in RAMONVILLE),
                               encoding="utf-8")
            load_file(store, members, options={"pole": "Périscope"}, rejects_dir=tmp / "rejets")
        pole = next(p for p in store.search("Périscope", family="pole", limit=5))
        size = len(store.pole_subgraph(pole.id).actors)
    site = Site(uri)
    yield site, pole.id, size
    site.close()


def test_a_dense_pole_is_drawn_with_its_names_apart(chromium, periscope_site):
    """Claire's walk through Le Périscope: « Mairie de Ramonville-Saint-Agne » was drawn over
    « Initiatives… », the pôle read « Périscope » (the shorter of two names stated as often, its
    article dropped), and the pôle panel's « Centralisation » repeated the « Densité interne »
    sentence word for word. After the layout settles no two names overlap (the boxes Chromium
    measures), the pôle keeps its article, and each figure has its own definition."""
    site, pole, size = periscope_site
    assert 40 <= size <= 50
    p = Page(chromium, site.base)
    p.open(f"/#pole={pole}")
    p.wait_map()
    assert p.page.evaluate("explorer.network.body.nodeIndices.length") == size
    assert p.page.evaluate("(id) => explorer.network.body.nodes[id].options.label", pole) == "Le Périscope"
    labels = p.page.evaluate("explorer.network.body.nodeIndices.map(i => explorer.network.body.nodes[i].options.label)")
    assert {"Mairie de Ramonville-Saint-Agne", "Initiatives Solidaires Ramonville"} <= set(labels)
    assert "Mme Claire Martin" not in labels
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "explorateur-pole-dense.png"))
    assert p.page.evaluate(LABEL_OVERLAPS) == []
    # names stay readable: the view that fits them is not zoomed out below the labels' threshold
    assert p.page.evaluate("explorer.network.getScale()") * 12 >= 6

    p.page.evaluate("(id) => explorer.showActor(id)", pole)
    p.page.wait_for_selector("#detail dl dt:text('Centralisation')", timeout=30_000)
    rows = p.page.evaluate("""() => { const out = {}; document.querySelectorAll('#detail dl dt').forEach(dt => {
        out[dt.textContent] = dt.nextElementSibling.textContent; }); return out; }""")
    density, centralisation = rows["Densité interne"], rows["Centralisation"]
    assert density != centralisation
    assert "Freeman" in centralisation and "un seul membre" in centralisation
    assert "paires de membres" in density and "Freeman" not in density
    p.done()


# the texts the page itself writes around the data: the side panel's labels, the keys of every
# tooltip of the map, headings, buttons, settings, the search box, the view's title and count
PAGE_LABELS = """() => {
  const q = s => Array.from(document.querySelectorAll(s)).map(e => e.textContent.trim()).filter(Boolean);
  const keys = new Set(), data = explorer.network.body.data;
  data.nodes.get().concat(data.edges.get()).forEach(x => x.title && x.title.querySelectorAll('.k')
    .forEach(k => keys.add(k.textContent)));
  return { dt: q('#detail dt'), heads: q('#detail h3, #detail h4, #detail summary, #legende h3'),
           buttons: q('#detail .actions button, #recherche button'),
           settings: Array.from(document.querySelectorAll('#reglages label')).map(l => l.firstChild.textContent.trim()),
           tips: Array.from(keys), title: document.getElementById('titre-vue').textContent,
           count: document.getElementById('compte').textContent, placeholder: document.getElementById('q').placeholder,
           footer: q('#liens > span:first-child, #lien-carte, footer p.aide'), lang: document.documentElement.lang }; }"""


def test_the_explorer_reads_wholly_in_english_with_lang_en(chromium, reference_site):
    """With ?lang=en only the legend's rings and their reasons used to be English: the tooltips
    (« Famille : », « Lieu : »), the side panel, the buttons, the search box and the view's
    title stayed French. A pôle's map, a tooltip hovered and the pôle's panel now read in
    English, with no French label left; the same page without lang=en still reads in French."""
    from test_explorer_lang import only_in

    site, pole = reference_site["site"], reference_site["pole"]
    api = site.get(f"/api/poles/{pole.id}/subgraph")
    for lang, other in (("en", "fr"), ("fr", "en")):
        s, o = EXPLORER_STRINGS[lang], EXPLORER_STRINGS[other]
        p = Page(chromium, site.base)
        p.open(f"/?lang={lang}#pole={urllib.parse.quote(pole.id)}" if lang == "en" else f"/#pole={urllib.parse.quote(pole.id)}")
        # the pôle's view itself, drawn and settled, and its panel's diagnostic
        p.page.wait_for_function("(n) => window.explorer.ready === true && explorer.state.view.kind === 'pole' "
                                 "&& explorer.network.body.data.nodes.length === n", arg=len(api["nodes"]),
                                 timeout=30_000)
        p.page.wait_for_selector(f"#detail[data-actor='{pole.id}'] #diagnostic ul.criteres li", timeout=15_000)
        # a tooltip, as the mouse shows it
        point = next(filter(None, (p.node_point(n["id"]) for n in api["nodes"])), None)
        assert point, "no actor of the pôle could be pointed at"
        p.page.mouse.move(*point)
        p.page.wait_for_selector("div.vis-tooltip:visible", timeout=10_000)
        tip = p.page.inner_text("div.vis-tooltip")
        assert s["family"] + s["label_sep"] in tip and o["family"] + o["label_sep"] not in tip
        got = p.page.evaluate(PAGE_LABELS)
        assert got["lang"] == lang
        assert got["title"] == s["view_pole"].replace("{name}", pole.name)
        assert got["count"].startswith(s["actors_many"].replace("{n}", str(len(api["nodes"]))) + " · "
                                       + s["relations_many"].replace("{n}", str(len(api["edges"]))))
        assert got["placeholder"] == s["search_placeholder"]
        sep = s["label_sep"]
        assert {s["family"] + sep, s["place"] + sep, s["document"] + sep, s["certainty"] + sep} <= set(got["tips"])
        assert {s["family"], s["kind"], s["place"], s["named_members"], s["density"], s["centralisation"]} \
            <= set(got["dt"])
        assert {s["pole_diagnostic"], s["metrics_heading"], s["criteria"], s["legend_families"],
                s["legend_types"]} <= set(got["heads"])
        assert any(h.startswith(s["relations_heading"].split("{")[0]) for h in got["heads"])
        assert {s["neighbourhood_map"], s["search_button"]} <= set(got["buttons"])
        assert got["settings"] == [s["lens"], s["year"], s["depth"], s["size"]]
        assert s["export_view"] in got["footer"] and s["standalone_map"] in got["footer"]
        # its exports and standalone map in the same language (French: the API's default)
        links = p.page.eval_on_selector_all("#liens a", "as => as.map(a => a.getAttribute('href'))")
        assert len(links) > 3 and all(("lang=en" in h) == (lang == "en") for h in links), links
        # and not one label of the other language
        shown = "\n".join([got["title"], got["count"], got["placeholder"], *got["tips"], *got["dt"],
                           *got["heads"], *got["buttons"], *got["settings"], *got["footer"]])
        theirs = only_in(other) + (["Famille", "Lieu", "Certitude", "Chargement", "Rechercher", "Diagnostic du pôle",
                                    "Membres nommés", "Densité interne", "Carte de son voisinage", "Pôle : "]
                                   if other == "fr" else ["Family", "Place", "Certainty", "Search", "Named members"])
        left = [x for x in theirs if re.search(rf"(?<!\w){re.escape(x)}(?!\w)", shown)]
        assert left == [], left
        if lang == "en":
            ARTIFACTS.mkdir(exist_ok=True)
            p.page.screenshot(path=str(ARTIFACTS / "explorateur-en.png"))
        p.done()


def test_numbers_are_written_in_the_page_language(chromium, tmp_path):
    """A grant's amount, share and year read « 26 800 », « 50 % », « 2017 » in French and
    "26,800", "50%", "2017" with lang=en — the English page used to write them the French way —
    with the field labels and the source's place in that language."""
    from maillage.graph.vocabulary import vocabulary

    uri, asso = _grant_store(tmp_path)
    fields = vocabulary().relation_type("funds").fields
    site = Site(uri)
    try:
        for lang, amount, share, where in (("en", "26,800", "50%", "sheet Subventions, line 32"),
                                           ("fr", "26\u202f800", "50\u00a0%", "feuille Subventions, ligne 32")):
            p = Page(chromium, site.base)
            p.open(f"/?lang=en#acteur={urllib.parse.quote(asso)}" if lang == "en" else f"/#acteur={urllib.parse.quote(asso)}")
            p.page.wait_for_selector(f"#detail[data-actor='{asso}'] ul.relations li", timeout=15_000)
            rel = p.page.eval_on_selector("#detail ul.relations li", "e => e.textContent")
            assert f"{fields['amount'].label(lang)}{amount}" in rel and rel.count("€") == 1, rel  # the label's
            assert f"{fields['share'].label(lang).replace(' (0–1)', '')}{share}" in rel, rel
            assert f"{fields['year'].label(lang)}2017" in rel and where in rel
            assert ("26.800" if lang == "en" else "26,800") not in rel and "0,5" not in rel and "0.5" not in rel
            assert EXPLORER_STRINGS[lang]["source_line"].replace("{source}", "grant.jsonl") in rel
            p.done()
    finally:
        site.close()


DATED_GRANT = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Une subvention datée"},
    {"record": "actor", "key": "dep", "name": "Département d'essai", "family": "collectivite", "kind": "departement",
     "provenance": {"locator": "row 2"}},
    {"record": "actor", "key": "asso", "name": "Association Toulousaine", "family": "ess", "kind": "association",
     "location": "commune:31555", "provenance": {"locator": "row 2"}},
    {"record": "relation", "type": "funds", "source": "dep", "target": "asso", "start": "2016-03", "end": "2018-06-15",
     "fields": {"amount": 26800.0}, "provenance": {"locator": "row 2", "certainty": "stated"}},
]


def test_amounts_and_dates_read_as_an_english_reader_writes_them(chromium, tmp_path):
    """With lang=en a funder's total read « 26,800 € » and a grant's period « 2016-03 – 2018-06-15 »,
    the French way and the ISO way: now "€26,800" and "March 2016 – 15 June 2018". French:
    « 26 800 € » (narrow no-break space) and the dates in words (« mars 2016 – 15 juin 2018 »)."""
    data = tmp_path / "dated.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in DATED_GRANT), encoding="utf-8")
    uri = str(tmp_path / "dated.db")
    with open_store(uri) as store:
        load_file(store, data, rejects_dir=tmp_path / "rejets")
        asso = next(a.id for a in store.iter_actors() if a.family == "ess")
    site = Site(uri)
    try:
        for lang, amount, period in (("en", "€26,800", "March 2016 – 15 June 2018"),
                                     ("fr", "26\u202f800 €", "mars 2016 – 15 juin 2018")):
            query = "?lang=en" if lang == "en" else ""
            p = Page(chromium, site.base)
            p.open(f"/{query}#territoire=departement%3A31")
            funders = "#diagnostic-territoire ul.acteurs li"
            p.page.wait_for_selector(funders, timeout=15_000)
            said = " ".join(p.page.locator(funders).all_text_contents())
            assert amount in said and ("26,800 €" if lang == "en" else "€") not in said.replace(amount, ""), said
            p.done()
            p = Page(chromium, site.base)
            p.open(f"/{query}#acteur={urllib.parse.quote(asso)}")
            p.page.wait_for_selector(f"#detail[data-actor='{asso}'] ul.relations li", timeout=15_000)
            rel = p.page.eval_on_selector("#detail ul.relations li", "e => e.textContent")
            assert f"{EXPLORER_STRINGS[lang]['period']}{period}" in rel, rel
            p.done()
    finally:
        site.close()


@pytest.mark.parametrize("first,then", [(1400, 800), (800, 1400)])
def test_a_map_stays_whole_and_its_names_readable_after_a_resize(chromium, reference_site, first, then):
    """Occitanie's 70 actors: at 1,400 pixels every name was hidden (the fitted zoom drew them
    3.7 pixels high, under vis-network's threshold), and after narrowing the window to 800
    pixels 12 actors fell outside the canvas, the others' names drawn 6 pixels high. As the
    static maps: the view is fitted again after a resize, a name is drawn at least READABLE_PX
    high or hidden until zooming in, and the largest actors' names are drawn."""
    p = Page(chromium, reference_site["site"].base, first, 900)
    p.open("/#territoire=region:76")
    p.wait_map()
    p.page.wait_for_timeout(300)
    for width in (first, then):
        if width != first:
            p.page.set_viewport_size({"width": width, "height": 900})
            p.page.wait_for_timeout(1500)  # vis-network notices a resize within a second
        assert p.page.evaluate(OUTSIDE, "explorer.network") == [], width
        small, names = unreadable_names(p.page, "explorer.network")
        assert small == [], (width, small[:5])
        assert len(names["drawn"]) >= 8, (width, names)
        assert names["biggest"] in {x[0] for x in names["drawn"]}
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / f"explorateur-occitanie-{first}-{then}.png"), full_page=True)
    p.done()


#: A member list written in English, its roles as the file says them (as tests/test_map.py's).
ENGLISH_ROLES = "Name;Town;Role\nLes Jardins du Canal;Toulouse;member\nAtelier Vélo Solidaire;Toulouse;founding member\n"


def test_a_relations_role_reads_as_the_map_tooltip_says_it(chromium, tmp_path):
    """The side panel showed a member's role as the file wrote it (« Rôle founding member » on
    a French page); it now reads as a map's tooltip says it (maillage.api.maps.role_text), in
    the actor's relations and in a relation's own panel, in French and with lang=en."""
    from maillage.graph.vocabulary import vocabulary

    (tmp_path / "members.csv").write_text(ENGLISH_ROLES, encoding="utf-8")
    uri = str(tmp_path / "roles.db")
    with open_store(uri) as store:
        load_file(store, tmp_path / "members.csv", rejects_dir=tmp_path / "rejets", options={"pole": "Pôle du Canal"})
        velo = next(iter(store.search("Atelier Vélo Solidaire", limit=1))).id
        edge = next(r.id for r in store.relations(touching={velo}) if r.fields.get("role") == "founding member")
    role = vocabulary().relation_type("membership").fields["role"]
    site = Site(uri)
    try:
        for lang, said in (("fr", "membre (socle) ; la source dit « founding member »"),
                           ("en", "member (core); the source says 'founding member'")):
            p = Page(chromium, site.base)
            p.open(f"/{'?lang=en' if lang == 'en' else ''}#acteur={urllib.parse.quote(velo)}")
            p.wait_map()
            p.page.wait_for_selector(f"#detail[data-actor='{velo}'] ul.relations li", timeout=15_000)
            rel = p.page.eval_on_selector("#detail ul.relations li", "e => e.textContent")
            assert f"{role.label(lang)}{said}" in rel, rel
            p.page.evaluate("(id) => explorer.showEdge(id)", edge)
            p.page.wait_for_selector(f"#detail[data-edge='{edge}'] dl", timeout=15_000)
            panel = p.page.eval_on_selector("#detail dl", "e => e.textContent")
            assert f"{role.label(lang)}{said}" in panel, panel
            p.done()
    finally:
        site.close()


#: A member in the pôle's « partie prenante » circle, and a grant of 1 234,50 € (25,5 % of the
#: project), by a file written in English.
CIRCLES = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Cercles"},
    {"record": "actor", "key": "pole", "name": "Pôle du Canal", "family": "pole", "kind": "ptce",
     "provenance": {"locator": "row 2"}},
    {"record": "actor", "key": "velo", "name": "Atelier Vélo Solidaire", "family": "ess", "kind": "association",
     "provenance": {"locator": "row 3"}},
    {"record": "relation", "type": "membership", "source": "velo", "target": "pole",
     "fields": {"role": "stakeholder", "tier": "partie_prenante"}, "provenance": {"locator": "row 3"}},
    {"record": "relation", "type": "funds", "source": "pole", "target": "velo",
     "fields": {"amount": 1234.5, "share": 0.255, "nature": "projet"}, "provenance": {"locator": "row 4"}},
]


def test_a_relations_fields_read_as_the_server_labels_them(chromium, tmp_path):
    """The side panel showed a relation's fields as the script decided them from the codes
    (an amount of 1234.5 as « 1 234,5 », the map's tooltip « 1 234,50 »): a second rule beside
    maillage.api.maps. It now shows the rows the server sends (the edge JSON's ``field_rows``,
    maps.field_rows, as the tooltips): the circle « Cercle partie prenante », not its code, in
    French and with lang=en, in the actor's relations and in a relation's own panel."""
    from maillage.api.maps import field_rows

    data = tmp_path / "cercles.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in CIRCLES), encoding="utf-8")
    uri = str(tmp_path / "cercles.db")
    with open_store(uri) as store:
        load_file(store, data, rejects_dir=tmp_path / "rejets")
        velo = next(iter(store.search("Atelier Vélo Solidaire", limit=1))).id
        rels = {r.type: r for r in store.relations(touching={velo})}
    site = Site(uri)
    try:
        for lang in ("fr", "en"):
            rows = {t: [" ".join(x.split()) for row in field_rows(r, lang) for x in row] for t, r in rels.items()}
            assert ("Cercle" if lang == "fr" else "Tier") in rows["membership"]
            assert ("partie prenante" if lang == "fr" else "stakeholder") in rows["membership"]
            assert "partie_prenante" not in rows["membership"]
            p = Page(chromium, site.base)
            p.open(f"/{'?lang=en' if lang == 'en' else ''}#acteur={urllib.parse.quote(velo)}")
            p.wait_map()
            p.page.wait_for_selector(f"#detail[data-actor='{velo}'] ul.relations li", timeout=15_000)
            for rtype, r in rels.items():
                shown = p.page.eval_on_selector(f"#detail ul.relations li[data-id='{r.id}'] dl",
                                                "d => [...d.children].map(x => x.textContent)")
                assert [" ".join(x.split()) for x in shown][:len(rows[rtype])] == rows[rtype], (lang, shown)
                p.page.evaluate("(id) => explorer.showEdge(id)", r.id)
                p.page.wait_for_selector(f"#detail[data-edge='{r.id}'] dl", timeout=15_000)
                panel = p.page.eval_on_selector("#detail dl", "d => [...d.children].map(x => x.textContent)")
                assert [" ".join(x.split()) for x in panel] == rows[rtype], (lang, panel)
                p.page.evaluate("(id) => explorer.showActor(id)", velo)
                p.page.wait_for_selector(f"#detail[data-actor='{velo}'] ul.relations li", timeout=15_000)
            p.done()
    finally:
        site.close()
