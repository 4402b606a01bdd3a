"""The reports in a real browser (the system Chromium, via the ``offline_page`` fixture):
opened from file:// with every other request aborted, charts and tables present, screenshots
saved to test-artifacts/."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _env import unavailable

from maillage.analytics.report import render_report
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
    run = analyse(store, lens="cooperation", note="demo")
    pid = store.search("Périscope", family="pole")[0].id
    (tmp / "carte.html").write_text("<html></html>", encoding="utf-8")
    out = {"pole": render_pole_report(store, pid, tmp / "rapport-pole.html"),
           "territory": render_territory_report(store, "departement:31", tmp / "rapport-territoire.html"),
           "observatory": render_observatory_report(store, tmp / "rapport-observatoire.html"),
           # the analysis report of `maillage demo`, its map beside it
           "report": render_report(store, run.id, tmp / "rapport.html", map_path=tmp / "carte.html")}
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
    a group's list shows once opened; printed, every list is there (it printed only the opened
    ones), each with its first SHOWN_PER_GROUP actors and the count of the others."""
    from _jsonl import actor, write_jsonl

    from maillage.analytics.reports import GROUP_FLAGGED_OVER, SHOWN_PER_GROUP

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
    # each group's first SHOWN_PER_GROUP, and how many more the spreadsheet lists
    per_group = (GROUP_FLAGGED_OVER + 10) // 2
    listed = page.evaluate("[...document.querySelectorAll('details.isolated-group')].map(d => d.innerText).join('\\n')")
    assert len(set(re.findall(r"Association numéro \d+(?=[\t\n])", listed))) == 2 * SHOWN_PER_GROUP
    assert printed.count(f"… et {per_group - SHOWN_PER_GROUP} autres acteurs de ce groupe, non montrés ici : "
                         "voir le fichier r-isoles.csv.") == 2
    page.emulate_media(media="screen")
    assert not lists.nth(0).is_visible()


def _printed(page, path: Path) -> list[str]:
    """The page printed by Chromium to an A4 PDF at ``path``, as the text of each printed page
    (poppler's pdftotext, layout kept: a table's columns stay on their line)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        unavailable("pdftotext not found: install Debian's poppler-utils (`make browser`) to read printed reports")
    page.pdf(path=str(path), format="A4")
    text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]  # each page ends with a form feed


@pytest.mark.parametrize("name", ["pole", "territory", "report"])
def test_every_printed_page_says_what_when_and_which_page(offline_page, reports, name, tmp_path):
    """A page of the PDF attached to a deliberation, read alone, still says which report, which
    period, when generated and which page of how many; the map, which cannot print, is named by
    its file; the charts print (their titles are in the PDF's text)."""
    page = offline_page
    page.goto(reports[name].as_uri())
    page.wait_for_load_state("load")
    title = page.inner_text("h1")
    charts = page.eval_on_selector_all("figure.chart svg", "els => els.map(e => e.getAttribute('aria-label'))")
    printed = _printed(page, tmp_path / f"{name}.pdf")
    n = len(printed)
    assert n >= 3
    for i, text in enumerate(printed, 1):
        assert title in text and "toutes années confondues" in text, (i, text[-400:])
        assert re.search(r"Généré le \d+ \w+ \d{4}", text) and f"page {i} sur {n}" in text, (i, text[-400:])
    beside = "carte.html" if name == "report" else f"{reports[name].stem}-carte.html"
    # the map, which cannot be followed on paper, is a sentence saying which file to open (it read
    # « Ouvrir la carte interactive : carte.html », a button's words on paper)
    first = " ".join(printed[0].split())
    assert (f"Carte interactive : elle ne s'imprime pas ; ouvrez dans un navigateur le fichier {beside}, livré avec "
            "ce rapport dans le même dossier.") in first, first[:600]
    assert "Ouvrir la carte" not in first
    whole = " ".join(" ".join(printed).split())
    assert charts and all(c and c in whole for c in charts), charts


def test_a_printed_table_repeats_its_header_and_cuts_no_row(offline_page, reports, tmp_path):
    """The territory's list of isolated and peripheral actors spans several A4 pages: each starts
    with the header row, then a whole row (a row cut in two left its end, without the actor's
    name, at the top of the next page)."""
    page = offline_page
    page.goto(reports["territory"].as_uri())
    page.wait_for_load_state("load")
    names = [" ".join(n.split()) for n in
             page.eval_on_selector_all("table.isolated tbody .name", "els => els.map(e => e.innerText)")]
    printed = _printed(page, tmp_path / "territory.pdf")
    header = re.compile(r"^\s*Acteur\s+Situation\s+Famille\s+Lieu\s+Raisons(\s+Précaution)?\s*$")
    spanned = [i for i, text in enumerate(printed) if any(header.match(line) for line in text.splitlines())]
    assert len(spanned) >= 2 and spanned == list(range(spanned[0], spanned[-1] + 1)), spanned
    starts = []
    for i in spanned:
        lines = [line for line in printed[i].splitlines() if line.strip()]
        at = next(k for k, line in enumerate(lines) if header.match(line))
        width = lines[at].index("Situation")
        first = lines[at + 1][:width].strip()
        assert first and any(nm.startswith(first) for nm in names), (i + 1, lines[at + 1])
        starts.append(first)
    # every row printed under a header: the row names' first words, in order, over those pages
    column = " ".join(line[:width].strip() for i in spanned for line in printed[i].splitlines()
                      if line.strip() and not header.match(line))
    assert all(nm.split()[0] in column for nm in names)


@pytest.mark.parametrize("name", ["pole", "territory", "report"])
def test_keyboard_focus_on_a_link_is_visible(offline_page, reports, name):
    """An animator moving through the report with the keyboard sees where the focus is: the first
    Tab shows the « Aller au contenu » link (out of sight until then), the second lands on the map
    link, each drawn with a visible outline; the skip link, followed, leads past the header and
    the table of contents to the report's content."""
    page = offline_page
    page.goto(reports[name].as_uri())
    page.wait_for_load_state("load")
    focused = """() => { const e = document.activeElement, c = getComputedStyle(e), r = e.getBoundingClientRect();
        return [e.id || e.className, e.textContent, c.outlineStyle, parseFloat(c.outlineWidth), r.top, r.bottom,
                e.closest('main') !== null]; }"""
    assert page.evaluate("document.querySelector('a.skip').getBoundingClientRect().bottom") <= 0
    page.keyboard.press("Tab")
    skip = page.evaluate(focused)
    assert skip[:2] == ["skip", "Aller au contenu"] and skip[2] != "none" and skip[3] >= 2, skip
    assert skip[4] >= 0 and skip[5] > skip[4], skip  # in sight once it has the focus
    page.keyboard.press("Tab")
    focus = page.evaluate(focused)
    assert focus[0] == "carte" and focus[2] != "none" and focus[3] >= 2, focus
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("""() => { const m = document.querySelector('main:target');
        return m !== null && Math.abs(m.getBoundingClientRect().top) < 2; }""")
    if page.locator("main a[href], main summary").count():  # the next Tab is in the content
        page.keyboard.press("Tab")
        after = page.evaluate(focused)
        assert after[6] and after[0] != "carte", after
    assert page.evaluate("document.documentElement.lang") == "fr"


#: Chromium's A4 in PostScript points, and the reports' page margins (reports.SHARED_CSS: @page 13 mm left and right)
MM = 72 / 25.4


def _printed_words(page, path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """The page printed by Chromium to an A4 PDF at ``path``, as the words of each printed page
    with their boxes (xMin, yMin, xMax, yMax, word) in points from the page's top left corner
    (poppler's ``pdftotext -bbox``), and the page's width and height last."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        unavailable("pdftotext not found: install Debian's poppler-utils (`make browser`) to read printed reports")
    page.pdf(path=str(path), format="A4")
    xml = subprocess.run([pdftotext, "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for width, height, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        words = [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', body)]
        pages.append((words, float(width), float(height)))
    return pages


LONG_NAME = "Association_Culturelle_et_Sportive_du_Quartier_des_Izards_Trois_Cocus_Borderouge_Nord"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_printed_list_of_isolated_actors_stays_on_the_page_and_keeps_every_name_whole(
        offline_page, tmp_path, lang):
    """On A4 the list of isolated and peripheral actors was cramped: each column as wide as its
    longest word, so a name typed without spaces (as in a spreadsheet, joined by underscores)
    pushed the table beyond the page's right edge and its end was cut; the reasons ran on in a
    narrow column. Printed now: every word inside the page's margins, every actor's name whole
    in its column, the type smaller than the body's, the reasons the widest column."""
    from _jsonl import actor, write_jsonl

    recs = [actor("long", LONG_NAME, "ess", "association", location="commune:31555"),
            actor("vague", "Collectif des tiers-lieux du Volvestre", "ess", "association",
                  location="commune:31555", declared={"members": 1200})]
    with open_store(str(tmp_path / "s.db")) as store:
        load_reference(store)
        load_file(store, write_jsonl(tmp_path / "ajouts.jsonl", recs), rejects_dir=tmp_path)
        path = render_territory_report(store, "departement:31", tmp_path / "r.html", lang=lang)
    page = offline_page
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    names = page.eval_on_selector_all("table.isolated tbody th.name", "els => els.map(e => e.firstChild.textContent.trim())")
    assert LONG_NAME in names and "Collectif des tiers-lieux du Volvestre" in names and len(names) > 20
    printed = _printed_words(page, tmp_path / "r.pdf")  # before emulate_media: the PDF would take its media
    actor_word, status_word = ("Acteur", "Situation") if lang == "fr" else ("Actor", "Status")
    column, overflow = [], []
    for n, (words, width, height) in enumerate(printed, 1):
        inside = [w for w in words if w[3] < height - 16 * MM]  # the margin line at the bottom aside
        overflow += [(n, w) for w in inside if w[2] > width - 13 * MM + 1 or w[0] < 13 * MM - 1]
        head = [w for w in inside if w[4] == actor_word]
        status = [w for w in inside if w[4] == status_word and head and abs(w[1] - head[0][1]) < 2]
        if head and status:  # a page of the table: the words of its first column, in reading order
            column += sorted((w for w in inside if w[1] > head[0][3] and head[0][0] - 2 <= w[0] and w[2] < status[0][0]),
                             key=lambda w: (n, w[1], w[0]))
    assert not overflow, overflow[:10]
    text = "".join(w[4] for w in column)
    assert not [nm for nm in names if "".join(nm.split()) not in text], text[:2000]
    page.emulate_media(media="print")
    size = page.evaluate("[...document.querySelectorAll('table.isolated td, table.isolated th')]"
                         ".map(e => parseFloat(getComputedStyle(e).fontSize))")
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert max(size) < body, (size[:5], body)
    widths = page.evaluate("[...document.querySelector('table.isolated thead tr').children]"
                           ".map(e => e.getBoundingClientRect().width)")
    assert len(widths) == 6 and widths[4] > max(widths[:4] + widths[5:]), widths  # the reasons, then the caveats


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_merges_to_review_box_stays_in_the_column_and_apart_from_the_contents(offline_page, tmp_path, lang):
    """The yellow box of the merges to review (a sentence written as a one-line flag) stuck out
    to the right of the page's column, and the « Sommaire » began right under it. Now, on screen
    and printed, in the pôle and territory reports: the box's right edge within the column's, its
    sentence wrapped, and a gap under it before the contents."""
    from _jsonl import actor, relation, write_jsonl

    ram = "commune:31446"
    recs = [actor("p", "PTCE Lauragais", "pole", "ptce", location=ram),
            actor("a", "Atelier Ramonvillois de réparation et de réemploi solidaire", "ess", "association",
                  location=ram, identifiers=[{"scheme": "siren", "value": "552100554"}]),
            actor("b", "Coopérative Labégeoise", "enterprise", "pme", location=ram),
            relation("membership", "a", "p"), relation("membership", "b", "p")]
    twin = [actor("a2", "Atelier Ramonvillois de réparation et de réemploi solidaire", "ess", "association",
                  location=ram, identifiers=[{"scheme": "siren", "value": "732829320"}])]
    with open_store(str(tmp_path / "s.db")) as store:
        load_file(store, write_jsonl(tmp_path / "membres.jsonl", recs), rejects_dir=tmp_path)
        load_file(store, write_jsonl(tmp_path / "autre.jsonl", twin), rejects_dir=tmp_path)
        pole = store.search("PTCE Lauragais", family="pole")[0].id
        paths = [render_pole_report(store, pole, tmp_path / "p.html", lang=lang),
                 render_territory_report(store, "epci:243100633", tmp_path / "t.html", lang=lang)]
    measure = """() => { const box = document.querySelector('.review-caveat').getBoundingClientRect(),
        page = document.querySelector('.page'), c = getComputedStyle(page), r = page.getBoundingClientRect(),
        toc = document.querySelector('nav.toc'), next = toc && getComputedStyle(toc).display !== 'none'
            ? toc : document.querySelector('main');
        return {right: box.right, column: r.right - parseFloat(c.paddingRight), height: box.height,
                line: parseFloat(getComputedStyle(document.querySelector('.review-caveat p')).lineHeight),
                gap: next.getBoundingClientRect().top - box.bottom}; }"""
    page = offline_page
    for path in paths:
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            m = page.evaluate(measure)
            assert m["right"] <= m["column"] + 0.5, (path.name, media, m)
            assert m["gap"] >= 8, (path.name, media, m)
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 700, "height": 900})  # a narrow window: the sentence wraps
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        m = page.evaluate(measure)
        assert m["right"] <= m["column"] + 0.5 and m["height"] > 3 * m["line"], (path.name, m)
        page.set_viewport_size({"width": 1400, "height": 900})
