"""The reports read with a screen reader: the page's language, one h1 and headings in order, every
table named and its header cells scoped, every chart an image with a name — checked on the HTML
of the four reports built from the reference data (parsed with the standard library): the pôle,
territory and observatory reports, and the analysis report of `maillage demo` (« report »)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from maillage.analytics.report import render_report
from maillage.analytics.reports import render_observatory_report, render_pole_report, render_territory_report
from maillage.analytics.run import analyse
from maillage.graph import open_store
from maillage.loaders import load_reference


class Outline(HTMLParser):
    """What a screen reader relies on: lang, headings, ids and their text, tables, th, svg, img."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.headings: list[tuple[int, str]] = []
        self.ids: dict[str, list[str]] = {}   # id -> text inside the element
        self.tables: list[dict] = []
        self.ths: list[dict] = []
        self.svgs: list[dict] = []
        self.imgs: list[dict] = []
        self.twice: list[str] = []
        self._open: list[tuple[str, str | None]] = []  # (tag, id) of open elements
        self._thead = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = [tag]
        if tag == "table":
            self.tables.append(a)
        if tag == "thead":
            self._thead += 1
        if tag == "th":
            self.ths.append({**a, "in_thead": self._thead > 0})
        if tag == "svg":
            self.svgs.append(a)
        if tag == "img":
            self.imgs.append(a)
        if "id" in a:
            if a["id"] in self.ids:
                self.twice.append(a["id"])
            self.ids[a["id"]] = []
        if tag not in ("meta", "br", "img", "input", "link", "hr", "rect", "path", "use"):
            self._open.append((tag, a.get("id")))

    def handle_endtag(self, tag):
        if tag == "thead":
            self._thead -= 1
        if self._heading and tag == self._heading[0]:
            self.headings.append((int(tag[1]), " ".join("".join(self._heading[1:]).split())))
            self._heading = None
        while self._open:
            t, _ = self._open.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if self._heading:
            self._heading.append(data)
        for _, i in self._open:
            if i:
                self.ids[i].append(data)

    def text_of(self, ident: str) -> str:
        return " ".join("".join(self.ids.get(ident, [])).split())


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rapports-a11y")
    store = open_store(str(tmp / "store.db"))
    load_reference(store)
    run = analyse(store, lens="cooperation", note="demo")  # as `maillage demo`
    (tmp / "carte.html").write_text("<html></html>", encoding="utf-8")
    pid = store.search("Périscope", family="pole")[0].id
    out = {}
    for lang in ("fr", "en"):
        out["pole", lang] = render_pole_report(store, pid, tmp / f"pole-{lang}.html", lang=lang)
        out["territory", lang] = render_territory_report(store, "departement:31", tmp / f"terr-{lang}.html", lang=lang)
        out["observatory", lang] = render_observatory_report(store, tmp / f"obs-{lang}.html", lang=lang)
        out["report", lang] = render_report(store, run.id, tmp / f"rapport-{lang}.html", map_path=tmp / "carte.html",
                                            lang=lang)
    store.close()
    return {k: p.read_text(encoding="utf-8") for k, p in out.items()}


def outline(html: str) -> Outline:
    o = Outline()
    o.feed(html)
    o.close()
    return o


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", ["pole", "territory", "observatory", "report"])
def test_language_and_headings(pages, name, lang):
    o = outline(pages[name, lang])
    assert o.lang == lang
    levels = [lv for lv, _ in o.headings]
    assert levels.count(1) == 1 and levels[0] == 1, o.headings
    # no level skipped on the way down (h1 → h3 would lose the reader)
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), o.headings
    assert all(text for _, text in o.headings), o.headings


@pytest.mark.parametrize("name", ["pole", "territory", "observatory", "report"])
def test_every_table_is_named_and_its_headers_scoped(pages, name):
    o = outline(pages[name, "fr"])
    assert len(o.tables) >= (5 if name != "observatory" else 2)
    for t in o.tables:
        if t.get("aria-label"):
            continue
        ids = (t.get("aria-labelledby") or "").split()
        assert ids, f"table {t.get('class')!r} has no name"
        assert all(o.text_of(i) for i in ids), (t, [o.text_of(i) for i in ids])
    assert o.ths and all(th.get("scope") in ("col", "colgroup") for th in o.ths if th["in_thead"]), o.ths
    assert all(th.get("scope") == "row" for th in o.ths if not th["in_thead"])


def test_tables_are_named_by_their_own_heading(pages):
    """A reader jumping from table to table hears which one it is: the section's or sub-section's
    title, not the one before it."""
    o = outline(pages["pole", "fr"])
    named = {t.get("class"): " ".join(o.text_of(i) for i in t["aria-labelledby"].split()) for t in o.tables}
    assert named["composition"].startswith("2. Composition par famille")
    assert named["levels"] == "Financement par niveau de collectivité"
    assert named["suggestions"] == "12. Partenaires suggérés"
    o = outline(pages["territory", "fr"])
    named = {t.get("class"): " ".join(o.text_of(i) for i in t["aria-labelledby"].split()) for t in o.tables}
    assert named["isolated"] == "3. Acteurs isolés ou périphériques"
    assert named["evolution"] == "6. Évolution par année"
    o = outline(pages["report", "fr"])
    named = {t.get("class"): " ".join(o.text_of(i) for i in t["aria-labelledby"].split()) for t in o.tables}
    assert named["central"] == "4. Acteurs les plus centraux"
    assert named["poles"] == "5. Pôles"
    assert named["isolated"] == "6. Acteurs isolés ou périphériques"
    assert re.fullmatch(r"6\. Acteurs isolés ou périphériques Acteurs périphériques avec un seul partenaire "
                        r"direct \(\d+\)", named["single-tie"]), named["single-tie"]
    o = outline(pages["report", "en"])
    named = {t.get("class"): " ".join(o.text_of(i) for i in t["aria-labelledby"].split()) for t in o.tables}
    assert named["poles"] == "5. Pôles" and named["central"] == "4. Most central actors"


def test_the_analysis_report_names_its_map_file_and_its_printed_pages(pages):
    """The analysis report of `maillage demo` shares the other reports' print style: the map link
    says its file in print, each printed page says which report, which period and when."""
    for lang, words in (("fr", ("toutes années confondues", "Généré le", '" sur "')),
                        ("en", ("all years", "Generated on", '" of "'))):
        html = pages["report", lang]
        assert '<a class="maplink" id="carte" href="carte.html">' in html
        margin = re.search(r"@page \{ @bottom-left \{ content: \"([^\"]*)\"; .*?@bottom-right \{ content: ([^;]*);",
                           html)
        assert margin, "no margin line on printed pages"
        title = outline(html).headings[0][1]
        assert margin[1].startswith(f"maillage · {title} · {words[0]} · {words[1]} ")
        assert "counter(page)" in margin[2] and words[2] in margin[2]
        # on paper the link cannot be followed: a sentence says which file to open (it read « Ouvrir la carte
        # interactive : carte.html », a button's words followed by the file)
        paper = re.search(r'<span class="on-paper">([^<]*)</span>', html)
        assert paper and paper[1] == {
            "fr": "Carte interactive : elle ne s&#39;imprime pas ; ouvrez dans un navigateur le fichier carte.html, "
                  "livré avec ce rapport dans le même dossier.",
            "en": "Interactive map: it does not print; open the file carte.html, supplied with this report in the "
                  "same folder, in a web browser."}[lang], paper
        assert "print-href" not in html


def test_a_map_in_another_folder_is_named_by_its_path_on_paper(tmp_path):
    """A report whose map was written in another folder (`maillage report --map cartes/carte.html`)
    says on paper the map's path from the report's folder."""
    store = open_store(str(tmp_path / "store.db"))
    load_reference(store)
    run = analyse(store, lens="cooperation")
    (tmp_path / "cartes").mkdir()
    for lang, said in (("fr", "le fichier cartes/carte.html (chemin depuis le dossier de ce rapport)"),
                       ("en", "open the file cartes/carte.html (path from this report&#39;s folder) in a web browser")):
        html = render_report(store, run.id, tmp_path / f"r-{lang}.html", map_path=tmp_path / "cartes" / "carte.html",
                             lang=lang).read_text(encoding="utf-8")
        assert said in re.search(r'<span class="on-paper">([^<]*)</span>', html)[1], lang
    store.close()


ROW_HEADED = {  # tables whose rows are each about one actor or pôle, named in the first column
    "pole": ["central", "without-tie", "overlaps", "outside"],
    "territory": ["poles", "isolated", "funders", "funded-from-here", "border"],
    "report": ["poles", "isolated", "single-tie"],
}


class Rows(HTMLParser):
    """The first cell of each body row, by table class: its tag, scope and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.first: dict[str, list[list]] = {}
        self._table: list[str] = []
        self._body = False
        self._cell: list | None = None
        self._n = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._table.append(a.get("class") or "")
        elif tag == "tbody":
            self._body = True
        elif tag == "tr":
            self._n = 0
        elif tag in ("td", "th") and self._body:
            self._n += 1
            if self._n == 1:
                self._cell = [tag, a.get("scope"), ""]
                self.first.setdefault(self._table[-1], []).append(self._cell)

    def handle_endtag(self, tag):
        if tag == "table":
            self._table.pop()
        elif tag == "tbody":
            self._body = False
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(ROW_HEADED))
def test_the_actor_a_row_is_about_is_its_header(pages, name, lang):
    """Moving down a column of figures, a screen reader says whose row it is: the actor or pôle
    named in the first column is the row's header (``<th scope="row">``)."""
    rows = Rows()
    rows.feed(pages[name, lang])
    for cls in ROW_HEADED[name]:
        cells = rows.first.get(cls)
        assert cells, f"no table {cls!r} with rows in the {name} report"
        assert all(tag == "th" and scope == "row" and text.strip() for tag, scope, text in cells), (cls, cells[:3])


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", ["pole", "territory", "observatory", "report"])
def test_a_skip_link_leads_past_the_header_and_the_contents(pages, name, lang):
    """The first thing in the page is « Aller au contenu » (« Skip to content »): it leads to the
    <main> that holds every section, after the title, the map link and the table of contents."""
    html = pages[name, lang]
    body = html.split("<body>", 1)[1]
    skip = re.match(r'\s*<a class="skip" href="#([^"]+)">([^<]+)</a>', body)
    assert skip and skip[2] == {"fr": "Aller au contenu", "en": "Skip to content"}[lang], body[:200]
    main = html.index(f'<main id="{skip[1]}">')
    assert html.count("<main") == 1 and html.index("<h1") < main and html.index("<h2") > main
    assert html.rindex("</section>") < html.index("</main>") < html.index("<footer")
    assert html.find('<nav class="toc"') < main  # none in the observatory report


@pytest.mark.parametrize("name", ["pole", "territory", "observatory", "report"])
def test_charts_are_images_with_a_name(pages, name):
    """Each chart is one image with its title (not a string of loose tick labels), and the charts
    of a page do not share ids (matplotlib names every group figure_1, axes_1… in each chart)."""
    o = outline(pages[name, "fr"])
    assert o.twice == []
    assert o.svgs
    for svg in o.svgs:
        assert svg.get("role") == "img" and len(svg.get("aria-label", "")) > 10, svg
    assert all(img.get("alt") for img in o.imgs)


def test_the_isolated_are_said_in_words_not_only_in_colour(pages):
    """The map rings the isolated in magenta and the peripheral in orange; the report says it in
    a column of the table (read aloud, printed in black and white)."""
    html = pages["territory", "fr"]
    assert '<td class="status">isolé' in html and '<td class="status">périphérique' in html
