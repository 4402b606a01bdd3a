"""The meeting reports (pôle, territory, observatory) on the reference dataset.

Figures in the HTML are checked against the analytics functions and, where cheap, against
an independent count made from plain store reads.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter

import pytest

from maillage.analytics.criteria import evaluate_criteria
from maillage.analytics.observatory import observatory_table
from maillage.analytics.poles import pole_diagnostic
from maillage.analytics.reports import render_observatory_report, render_pole_report, render_territory_report
from maillage.analytics.run import analyse, person_names
from maillage.analytics.territory import territory_diagnostic
from maillage.graph import open_store
from maillage.graph.store import NotFound, StoreError
from maillage.loaders import load_file, load_reference

from _jsonl import actor, relation, write_jsonl
from _maps import map_data

TERRITORY = "departement:31"
EVIL = "<img src=x onerror=\"window.__xss = 1\"> Entreprise"


@pytest.fixture(scope="module")
def ref(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rapports")
    store = open_store(str(tmp / "store.db"))
    load_reference(store)
    analyse(store)
    pole = store.search("Périscope", family="pole")[0]
    out = {
        "store": store, "pole": pole.id, "tmp": tmp,
        "pole_html": render_pole_report(store, pole.id, tmp / "pole.html").read_text(encoding="utf-8"),
        "territory_html": render_territory_report(store, TERRITORY, tmp / "territoire.html").read_text(encoding="utf-8"),
        "observatory_html": render_observatory_report(store, tmp / "observatoire.html").read_text(encoding="utf-8"),
    }
    yield out
    store.close()


def _rows(page: str, attr: str) -> dict[str, str]:
    """``<tr data-attr="key">…</tr>`` rows of a page, by key."""
    return {m.group(1): m.group(2) for m in re.finditer(rf'<tr {attr}="([^"]*)"[^>]*>(.*?)</tr>', page, re.S)}


def _cells(row: str) -> list[str]:
    """The text of a row's cells, its header cell (``<th scope="row">``, the actor) first."""
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for _, c in re.findall(r"<(t[dh])\b[^>]*>(.*?)</\1>", row, re.S)]


# ---------------------------------------------------------------------------------------------
# pôle report

def test_pole_composition_equals_diagnostic_and_independent_count(ref):
    store, pid = ref["store"], ref["pole"]
    d = pole_diagnostic(store, pid)
    rows = _rows(ref["pole_html"], "data-family")
    shown = {fam: int(_cells(row)[1]) for fam, row in rows.items()}
    assert shown == {f.family: f.count for f in d.composition}
    # independent: actors stated as members (membership → pôle) or structures porteuses (carries → pôle)
    core = {r.source for r in store.relations(touching=[pid], types=["membership", "carries"])
            if r.target == pid and r.source != pid and r.provenance.certainty != "planned"}
    actors = store.get_actors(core)
    counts = Counter()
    for a in actors.values():
        if not a.personal_data:
            counts[a.family] += int(a.group_count or 1)
    assert shown == dict(counts)
    assert f"n = {sum(counts.values())}" in ref["pole_html"]


def test_pole_criteria_states_and_unknown_reasons(ref):
    crit = evaluate_criteria(ref["store"], ref["pole"])
    rows = _rows(ref["pole_html"], "data-criterion")
    assert set(rows) == {c.id for c in crit}
    states = dict(re.findall(r'<tr data-criterion="([^"]+)" data-state="([^"]+)"', ref["pole_html"]))
    for c in crit:
        expected = {True: "yes", False: "no", None: "unknown"}[c.state]
        assert states[c.id] == expected, c.id
        cells = _cells(rows[c.id])
        assert cells[2] == c.reason  # the reason, in full (why unknown, or the evidence)
        assert cells[3] == str(c.n)
    assert any(c.state is None for c in crit)  # the checklist does show unknowns


def test_pole_sections_members_without_tie_funding_and_suggestions(ref):
    store, pid, page = ref["store"], ref["pole"], ref["pole_html"]
    d = pole_diagnostic(store, pid)
    table = re.search(r'<table class="without-tie"[^>]*>.*?</table>', page, re.S).group(0)
    shown = [_cells(r)[0] for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
    assert [n.split(" peut refléter")[0] for n in shown] == [a.name for a in d.internal.without_tie]
    n_sugg = len(re.findall(r'<tr class="suggestion" data-suggestion="true">', page))
    assert n_sugg > 0 and n_sugg == len(re.findall(r'<tr class="suggestion"', page))  # every row marked in data
    assert re.search(rf"les {n_sugg} meilleures des \d+ paires non liées examinées", html.unescape(page))
    # every suggested pair is the pôle's: the pôle or a member (marked) at one end, named first
    pole_name = store.get_actor(pid).name
    for row in re.findall(r'<tr class="suggestion"[^>]*>(.*?)</tr>', page, re.S):
        first = _cells(row)[0].split(" — ")[0]
        assert first == pole_name or first.endswith(("(membre)", "(structure porteuse)")), _cells(row)[0]
    for lv in d.funding.by_level:
        assert lv.label in html.unescape(page)
    # funding of the pôle: none of it is dated in the reference data, and the page says so
    assert "Aucun financement daté" in page
    # central and brokering members come from the stored run
    run_metrics = store.metrics()
    central = re.search(r'<table class="central"[^>]*>.*?</table>', page, re.S).group(0)
    first = _cells(re.findall(r"<tr>(.*?)</tr>", central, re.S)[1])
    core = {a.name: a.id for a in [*d.members, *d.carriers]}
    best = max((a for a in core.values() if a in run_metrics), key=lambda a: run_metrics[a].get("betweenness") or 0)
    assert run_metrics[core[first[0]]]["betweenness"] == run_metrics[best]["betweenness"]
    assert "(lentille « coopération », graphe entier)" in html.unescape(page)  # the lens in words, not its code
    assert "reference:s000a" in page  # sources behind the figures
    assert (ref["tmp"] / "pole-carte.html").exists() and 'href="pole-carte.html"' in page
    # the report's map names its sources as the reader does (the document's title), not by their ids
    carte = (ref["tmp"] / "pole-carte.html").read_text(encoding="utf-8")
    assert "reference:s00" not in carte and "Les rôles des collectivités locales dans les dynamiques de PTCE" in carte


def test_central_members_measures_keep_their_significant_digits(ref):
    """A betweenness of 0.000242 is not « 0,000 »: the table rounds as the --tableur files do
    (4 significant digits), so a small but real brokerage position reads as one."""
    store = ref["store"]
    pid = store.search("Pôle Sud Archer", family="pole")[0].id
    page = render_pole_report(store, pid, ref["tmp"] / "archer.html").read_text(encoding="utf-8")
    central = re.search(r'<table class="central"[^>]*>.*?</table>', page, re.S).group(0)
    head = _cells(re.findall(r"<tr>(.*?)</tr>", central, re.S)[0].replace("<th", "<td").replace("</th>", "</td>"))
    rows = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", central, re.S)[1:]]
    d = pole_diagnostic(store, pid)
    core = {a.name: a.id for a in [*d.members, *d.carriers]}
    metrics = store.metrics()
    b = head.index("Intermédiarité")
    small = [r for r in rows if 0 < metrics[core[r[0]]]["betweenness"] < 0.001]
    assert small  # the case the reader met: a real but small betweenness
    for r in rows:
        value = metrics[core[r[0]]]["betweenness"]
        assert float(r[b].replace(",", ".")) == pytest.approx(value, rel=1e-3, abs=0), (r, value)
        assert r[head.index("Degré")] == str(int(metrics[core[r[0]]]["degree"]))


def test_charts_present(ref):
    assert ref["pole_html"].count("<svg") >= 2  # composition, funding by level
    assert ref["territory_html"].count("<svg") >= 2  # families, evolution
    assert ref["observatory_html"].count("<svg") >= 1
    for page in (ref["pole_html"], ref["territory_html"], ref["observatory_html"]):
        assert "<script" not in page and "http://" not in page.split("<svg")[0]
        assert "@media print" in page


# ---------------------------------------------------------------------------------------------
# territory report

def test_territory_isolated_names_and_reasons(ref):
    store, page = ref["store"], ref["territory_html"]
    t = territory_diagnostic(store, TERRITORY)
    table = re.search(r'<table class="isolated"[^>]*>.*?</table>', page, re.S).group(0)
    rows = re.findall(r'<tr data-codes="([^"]*)">(.*?)</tr>', table, re.S)
    expected = [*t.isolated.items, *t.peripheral.items, *t.documentation_gaps.items]
    assert len(rows) == len(expected) > 0
    for (codes, row), e in zip(rows, expected):
        cells = _cells(row)
        assert cells[0].startswith(e.name)
        assert codes.split() == [r.code for r in e.reasons]
        # each row says which it is: « isolé » only without a cooperation tie
        single = ("périphérique (membre d'un pôle, sans autre lien direct)" if e.in_pole
                  else "périphérique (un seul partenaire)")
        assert cells[1] == ("isolé" if e in t.isolated.items else single
                            if e in t.peripheral.items and "lien_unique" in codes.split() else cells[1])
        assert (cells[1] == "isolé") == any(c in ("aucun_lien", "seulement_financement", "hors_lentille")
                                            for c in codes.split()) or e in t.documentation_gaps.items
        for r in e.reasons:
            assert r.text in cells[4]
    # the map written beside the report circles the isolated actors it draws
    nodes = map_data((ref["tmp"] / "territoire-carte.html").read_text(encoding="utf-8"))["nodes"]
    circled = {n["id"] for n in nodes if n.get("isolated")}
    assert circled and circled == {e.id for e in t.isolated.items} & {n["id"] for n in nodes}
    # independent: an actor listed with "aucun_lien" has no relation at all in the store
    no_tie = [e for e in (*t.isolated.items, *t.public_bodies.items) if "aucun_lien" in [r.code for r in e.reasons]]
    assert no_tie
    # the public bodies are named apart, not in the table
    assert t.public_bodies.size and not {e.id for e in t.public_bodies.items} & {e.id for e in expected}
    shown = html.unescape(page)
    assert all(e.name in shown for e in t.public_bodies.items) and "Hors de ces listes" in shown
    for e in no_tie:
        assert [r for r in store.relations(touching=[e.id])
                if not store.get_actor(r.source if r.target == e.id else r.target).personal_data] == []


def test_territory_report_groups_a_long_list_by_the_next_level_down(tmp_path):
    """A région with more flagged actors than GROUP_FLAGGED_OVER lists them by département: a
    table counting each group, then each group's actors (every flagged actor once, in the
    département its commune's INSEE code says; the first SHOWN_PER_GROUP of each in the page,
    the others counted there and listed in the spreadsheet), the actors placed at the région's
    own scale last. The same store's département report groups by EPCI. Under the limit: one table."""
    from _jsonl import actor, relation, write_jsonl

    from maillage.analytics.reports import GROUP_FLAGGED_OVER, SHOWN_PER_GROUP

    communes = ["31555", "31069", "30189", "30007"]  # Toulouse, Blagnac, Nîmes, Alès
    recs = [actor(f"a{i}", f"Association numéro {i}", "ess", "association", location=f"commune:{communes[i % 4]}")
            for i in range(2 * GROUP_FLAGGED_OVER + 20)]  # over the limit in Haute-Garonne too
    recs += [actor("r", "Réseau régional", "ess", "association", location="region:76"),
             actor("f", "=SOMME(A1:A9)", "ess", "association", location="commune:30189"),
             actor("p1", "Coopérative un", "ess", "scic", location="commune:31555"),
             actor("p2", "Coopérative deux", "ess", "scic", location="commune:30189"),
             relation("cooperates", "p1", "p2")]
    with open_store(str(tmp_path / "s.db")) as store:
        assert load_file(store, write_jsonl(tmp_path / "region.jsonl", recs), rejects_dir=tmp_path).rejected == 0
        t = territory_diagnostic(store, "region:76")
        page = render_territory_report(store, "region:76", tmp_path / "r.html").read_text(encoding="utf-8")
        dep = render_territory_report(store, "departement:31", tmp_path / "d.html").read_text(encoding="utf-8")
        small = render_territory_report(store, "commune:30007", tmp_path / "c.html").read_text(encoding="utf-8")
    flagged = [*t.isolated.items, *t.peripheral.items, *t.documentation_gaps.items]
    assert len(flagged) > GROUP_FLAGGED_OVER
    expected: dict[str, list[str]] = {}  # group → names, from the commune code (independent of the geography)
    for e in flagged:
        code = e.location.split(":")[1] if e.location and e.location.startswith("commune:") else None
        expected.setdefault(f"departement:{code[:2]}" if code else "", []).append(e.name)
    counts = _rows(page, "data-group")
    assert list(counts) == ["departement:30", "departement:31", ""]  # Gard, Haute-Garonne, then unplaced
    for gid, row in counts.items():
        cells = _cells(row)
        assert sum(int(c) for c in cells[1:]) == len(expected[gid])
    assert _cells(counts[""])[0] == "Sans lieu plus précis"
    assert _cells(counts["departement:31"])[:2] == ["Haute-Garonne (31)", str(sum(
        1 for e in t.isolated.items if e.location in ("commune:31555", "commune:31069")))]
    groups = re.findall(r'<details class="isolated-group" id="([^"]+)" data-group="([^"]*)">(.*?)</details>', page, re.S)
    assert [g[1] for g in groups] == list(counts)
    for anchor, gid, body in groups:
        assert f'href="#{anchor}-liste"' in page and f'id="{anchor}-liste"' in body
        names = [_cells(r)[0] for r in re.findall(r"<tr data-codes=\"[^\"]*\">(.*?)</tr>", body, re.S)]
        # the first SHOWN_PER_GROUP of each group, in the report's order; the others said, in the spreadsheet
        assert names == expected[gid][:SHOWN_PER_GROUP]
        more = len(expected[gid]) - SHOWN_PER_GROUP
        assert (f"… et {more} autres acteurs de ce groupe, non montrés ici : voir le fichier r-isoles.csv."
                in html.unescape(body)) == (more > 1), gid
    assert "la liste est donnée par département" in html.unescape(page)
    assert "la liste est donnée par intercommunalité" in html.unescape(dep)
    assert 'class="isolated-group"' not in small and small.count('<table class="isolated"') == 1
    # the whole list beside the report, for a spreadsheet: one row per flagged actor, its département
    assert 'href="r-isoles.csv"' in page
    raw = (tmp_path / "r-isoles.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: a spreadsheet reads the accents right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["identifiant", "nom"] and len(rows) == 1 + len(flagged)
    by_name = {r[1]: r for r in rows[1:]}
    names = {"departement:30": "Gard (30)", "departement:31": "Haute-Garonne (31)", "": "Sans lieu plus précis"}
    for gid, members in expected.items():
        for name in members:
            got = by_name["'" + name if name.startswith("=") else name]
            assert got[5] == names[gid], got
    assert "'=SOMME(A1:A9)" in by_name  # a name a spreadsheet would compute is written as text
    assert [r[0] for r in rows[1:]] == [e.id for e in flagged]
    assert t.peripheral.size == 2 and [r[6] for r in rows[1:]] == (["isolé"] * t.isolated.size + ["périphérique (un seul partenaire)"] * t.peripheral.size
                                        + ["peut-être sous-documenté"] * t.documentation_gaps.size)


def test_territory_families_and_evolution(ref):
    t = territory_diagnostic(ref["store"], TERRITORY)
    rows = _rows(ref["territory_html"], "data-family")
    assert {k: int(_cells(v)[1]) for k, v in rows.items()} == {f.family: f.actors for f in t.by_family}
    assert "Haute-Garonne" in ref["territory_html"]
    assert '<table class="evolution"' in ref["territory_html"]
    assert "ne sont pas datées" in ref["territory_html"]  # undated facts are said so


def test_territory_report_of_a_collectivite_that_loaded_its_own_subsidy_file(tmp_path, shared):
    """The Haute-Garonne SCDL file alone: its two attribuants are located by their SIREN, its
    bénéficiaires nowhere (the file gives no address). The report says what the two fund, with
    the bénéficiaires counted as without a place, in French, with no English store note."""
    path = shared / "realdata/scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv"
    with open_store(str(tmp_path / "hg.db")) as store:
        load_file(store, path, rejects_dir=tmp_path)
        t = territory_diagnostic(store, TERRITORY)
        page = render_territory_report(store, TERRITORY, tmp_path / "hg.html").read_text(encoding="utf-8")
        funds = [r for r in store.relations(types=["funds"])]
    assert t.funders.size == 0  # no bénéficiaire is located in the département
    assert t.funded_from_here.size == 2
    assert sum(f.ties for f in t.funded_from_here.items) == len(funds)
    assert sum(f.beneficiaries_unlocated for f in t.funded_from_here.items) == len({r.target for r in funds})
    table = re.search(r'<table class="funded-from-here"[^>]*>.*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    assert [_cells(r)[0] for r in rows] == [f.name for f in t.funded_from_here.items]
    for row, f in zip(rows, t.funded_from_here.items):  # whole euros: 218 825,40 € shows as 218 825
        assert _cells(row)[3].split(" (n")[0] == f"{round(f.amount):,}".replace(",", "\u202f")
        assert f.amount != round(f.amount) or f is not t.funded_from_here.items[0]
    assert "sans lieu connu" in table and "extrait SIRENE" in page
    assert "actors outside" not in page and "tied to actors inside" not in page
    # no bénéficiaire here: the first table's empty message says what is empty (a bare « Aucun. »
    # under « Financeurs et rôles des collectivités » contradicted the table that follows), and
    # the border note agrees in number instead of « 0 relation(s) vers 0 couple(s) »
    assert "Financements reçus par les acteurs du territoire" in page
    text = html.unescape(page)
    assert "Aucun financement reçu par un acteur du territoire n'est connu." in text
    assert "<p>Aucun.</p>" not in page.split('id="financeurs"')[1].split("</section>")[0]
    assert "0 relation vers 0 couple d'acteurs situés hors du territoire" in text and "(s)" not in text


# ---------------------------------------------------------------------------------------------
# observatory report

def test_observatory_values_n_and_published(ref):
    rows = _rows(ref["observatory_html"], "data-key")
    table = observatory_table(ref["store"])
    assert set(rows) == {r.key for r in table}
    for r in table:
        cells = _cells(rows[r.key])
        assert cells[2] == str(r.n), r.key
        if r.published_text:
            assert r.published_text in cells[4]
        if r.unit == "share" and r.value is not None:
            assert cells[1] == f"{round(100 * r.value)}\u202f%"
    # « Réf. »: the document by its author, title and year, and its lines, no seed code (« 000 L486 »)
    rtes = "RTES, « Les rôles des collectivités locales dans les dynamiques de PTCE », 2016"
    assert _cells(rows["share_region"])[5] == f"{rtes}, ligne 486"
    assert _cells(rows["poles"])[5] == f"{rtes}, ligne 63, ligne 385, ligne 506, ligne 1111"
    assert _cells(rows["mean_members"])[5] == ("Labo de l'ESS, brochure « Pôles territoriaux de coopération "
                                               "économique », 2014, ligne 560")
    assert not re.search(r"\b00\d L\d", ref["observatory_html"])


# ---------------------------------------------------------------------------------------------
# persons, escaping, errors

def test_no_person_named(ref):
    names = [n for n in person_names(ref["store"]) if len(n.split()) >= 2]
    assert names
    pages = [ref["pole_html"], ref["territory_html"], ref["observatory_html"],
             (ref["tmp"] / "pole-carte.html").read_text(encoding="utf-8"),
             (ref["tmp"] / "territoire-carte.html").read_text(encoding="utf-8")]
    for page in pages:
        text = html.unescape(page).casefold()
        for n in names:
            assert n.casefold() not in text, n


def _hostile_store(tmp_path):
    prov = {"document": "etude", "locator": "L1", "certainty": "stated"}
    recs = [
        {"record": "actor", "key": "p", "name": f"Pôle {EVIL}", "family": "pole", "kind": "ptce",
         "location": "commune:31555", "provenance": prov},
        {"record": "actor", "key": "e", "name": EVIL, "family": "enterprise", "location": "commune:31555",
         "provenance": prov},
        {"record": "actor", "key": "a", "name": "Les Jardins </script>", "family": "ess", "kind": "association",
         "location": "commune:31555", "provenance": prov},
        {"record": "actor", "key": "r", "name": "Région Occitanie", "family": "collectivite", "kind": "region",
         "provenance": prov},
        {"record": "actor", "key": "x", "name": "Seul <b>isolé</b>", "family": "ess", "location": "commune:31555",
         "provenance": prov},
    ]
    for t, s, d, f in [("membership", "e", "p", {}), ("membership", "a", "p", {}), ("carries", "a", "p", {}),
                       ("funds", "r", "p", {"amount": 1000, "year": 2015}), ("funds", "r", "a", {"year": 2016})]:
        recs.append({"record": "relation", "type": t, "source": s, "target": d, "fields": f, "provenance": prov})
    data = tmp_path / "hostile.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    store = open_store(str(tmp_path / "h.db"))
    load_file(store, data, rejects_dir=tmp_path / "rejets")
    analyse(store)
    return store


def test_hostile_text_escaped(tmp_path):
    store = _hostile_store(tmp_path)
    pid = store.search("Pôle", family="pole")[0].id
    pages = [render_pole_report(store, pid, tmp_path / "p.html").read_text(encoding="utf-8"),
             render_territory_report(store, "commune:31555", tmp_path / "t.html").read_text(encoding="utf-8"),
             render_observatory_report(store, tmp_path / "o.html").read_text(encoding="utf-8")]
    for page in pages[:2]:
        assert "<img src=x" not in page and "</script>" not in page and "<b>isolé" not in page
        assert "&lt;img src=x onerror=" in page
        assert "<script" not in page
    assert "Seul &lt;b&gt;isolé&lt;/b&gt;" in pages[1]
    # dated funding: the yearly chart is drawn (2015, 2016)
    assert "Aucun financement daté" not in pages[0] and pages[0].count("<svg") >= 3
    store.close()


def test_unknown_pole_and_bad_inputs(ref, tmp_path):
    store = ref["store"]
    with pytest.raises(NotFound, match="pôle inconnu"):
        render_pole_report(store, "pas-un-pole", tmp_path / "x.html")
    other = next(a for a in store.iter_actors() if a.family == "ess")
    with pytest.raises(StoreError, match="n'est pas un pôle"):
        render_pole_report(store, other.id, tmp_path / "x.html")
    with pytest.raises(ValueError):
        render_territory_report(store, "pas-un-territoire", tmp_path / "x.html")
    with pytest.raises(ValueError):
        render_observatory_report(store, tmp_path / "x.html", lang="de")
    assert not (tmp_path / "x.html").exists()


def test_english(ref, tmp_path):
    page = render_pole_report(ref["store"], ref["pole"], tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    assert 'lang="en"' in page and "Composition by actor family" in page and "Criteria:" in page


def test_cli_report_modes(tmp_path):
    """`maillage report --pole | --territory | --observatory` on an analysed reference store."""
    from typer.testing import CliRunner

    from maillage.analytics.run import analyse
    from maillage.cli import app
    from maillage.graph import open_store
    from maillage.loaders import load_reference

    db = tmp_path / "ref.db"
    with open_store(str(db)) as s:
        load_reference(s)
        analyse(s, diagnostics=False)
        pole = s.search("Périscope", family="pole")[0].id
    run = lambda *a: CliRunner().invoke(app, ["--store", str(db), "report", *a])  # noqa: E731
    for args, name in ((["--pole", pole], "pole.html"), (["--territory", "departement:31"], "t.html"),
                       (["--observatory"], "obs.html")):
        r = run(*args, "--out", str(tmp_path / name))
        assert r.exit_code == 0, r.output
        assert "<svg" in (tmp_path / name).read_text(encoding="utf-8")
    assert (tmp_path / "pole-carte.html").is_file()
    assert run("--pole", "inconnu", "--out", str(tmp_path / "x.html")).exit_code == 1
    assert run("--out", str(tmp_path / "x.html")).exit_code == 2


def _ticks(svg: str, axis: str) -> list[str]:
    """The tick labels of one axis of a chart (matplotlib keeps them as text: svg.fonttype none)."""
    return re.findall(rf'<g id="[\w-]*{axis}tick_\d+">.*?<text[^>]*>([^<]*)</text>', svg, re.S)


def test_chart_ticks_are_whole_for_counts_and_written_in_french():
    from maillage.analytics.reports import bar_chart, year_chart

    counts = _ticks(bar_chart(["ESS", "Collectivité"], [3, 1], "Composition"), "x")
    assert counts and all(t.isdigit() for t in counts), counts  # no « 0.5 » of an actor
    amounts = _ticks(bar_chart(["Région", "Commune"], [250000.0, 120000.0], "Montants"), "x")
    assert all(re.fullmatch(r"\d{1,3}(\u202f\d{3})*", t) for t in amounts) and "\u202f" in "".join(amounts), amounts
    shares = _ticks(bar_chart(["a", "b"], [0.5, 0.25], "Parts"), "x")
    assert any("," in t for t in shares) and not any("." in t for t in shares), shares
    years = _ticks(year_chart([2015, 2016, 2017], {"acteurs": [1, 2, 3]}, "Évolution"), "y")
    assert years and all(t.isdigit() for t in years), years
    english = _ticks(bar_chart(["a", "b"], [2500.0, 1200.5], "Amounts", lang="en"), "x")
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?", t) for t in english) and "," in "".join(english), english


def test_a_pole_animators_member_list_reads_cleanly_in_the_report(tmp_path):
    """A pôle animator's own member list (no title, four members): the sources section names the
    file without a dangling « — », the composition axis counts whole structures."""
    members = tmp_path / "membres.csv"
    members.write_text("Nom;Forme juridique;Code postal;Commune;Rôle\n"
                       "Les Jardins de Cocagne Ariège;Association;09000;Foix;membre\n"
                       "Scop Bois Local;SCOP;09200;Saint-Girons;membre\n"
                       "Ariège Initiative;Association;09000;Foix;structure porteuse\n", encoding="utf-8")
    with open_store(str(tmp_path / "p.db")) as store:
        load_file(store, members, rejects_dir=tmp_path / "rejets", options={"pole": "PTCE Ariège Coop"})
        analyse(store)
        pole = store.search("PTCE Ariège Coop", family="pole")[0].id
        page = render_pole_report(store, pole, tmp_path / "pole.html").read_text(encoding="utf-8")
    item = re.search(r'<ul class="sources">\s*<li>(.*?)</li>', page, re.S).group(1)
    assert "<strong>membres.csv</strong>, chargé le " in item and " — " not in item.split("<span")[0]
    assert "<code>members:membres.csv</code>" in item.split('<span class="small">')[1]  # the id: small print
    composition = page.split('id="composition"')[1].split("</svg>")[0]
    assert "0.5" not in composition and "0,5" not in composition


def test_report_templates_print_counts_in_french():
    """Every count a report prints goes through the ``num`` filter (« 4 934 », not « 4934 »:
    a région's territory report printed its tables' counts bare beside charts that spaced them).
    Read from the templates, since the test stores hold no territory of a thousand actors."""
    import re
    from pathlib import Path

    import maillage.analytics

    count = re.compile(r"\{\{\s*(?!s\.)[\w.]+\.(size|n|count|ties|ties_dated|actors|isolated|in_pole|not_in_pole|"
                       r"stated|derived|inside_partners|amounts_stated|members_here|beneficiaries_\w+)\s*}}")
    templates = Path(maillage.analytics.__file__).parent / "templates"
    bare = {p.name: count.findall(p.read_text(encoding="utf-8")) for p in templates.glob("report*.html.j2")}
    assert len(bare) == 4 and not any(bare.values()), bare
    assert "|num }}" in (templates / "report_territory.html.j2").read_text(encoding="utf-8")


def test_the_pole_report_shows_who_joined_and_left_each_year_from_dated_memberships(tmp_path):
    """A pôle's lists year by year (a workbook with a sheet per year): the report says, under its
    composition, how many members each year and who joined and left — the pôle's history, which
    an animator presents to the board. The first year is the start of the list, not entries.
    A pôle whose memberships are all undated has no such table (the reference pôle)."""
    from _workbooks import write_xlsx

    p = write_xlsx(tmp_path / "adherents.xlsx", {
        "Adhérents 2022": [["Nom", "Commune"], ["Alpha", "Albi"], ["Beta", "Albi"]],
        "Adhérents 2023": [["Nom", "Commune"], ["Alpha", "Albi"], ["Beta", "Albi"], ["Delta", "Albi"]],
        "Adhérents 2024": [["Nom", "Commune"], ["Alpha", "Albi"], ["Gamma", "Muret"], ["Delta", "Albi"]],
    })
    store = open_store(":memory:")
    load_file(store, p, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path)
    (pole,) = [a for a in store.iter_actors() if a.family == "pole"]
    for lang, start in (("fr", "début de la liste"), ("en", "start of the list")):
        page = render_pole_report(store, pole.id, tmp_path / f"p-{lang}.html", lang=lang).read_text(encoding="utf-8")
        rows = {y: _cells(r) for y, r in _rows(page, "data-year").items()}
        assert rows == {"2022": ["2022", "2", start, ""], "2023": ["2023", "3", "Delta", ""],
                        "2024": ["2024", "3", "Gamma", "Beta"]}
    store.close()


def test_a_pole_with_undated_memberships_has_no_turnover_table(ref):
    assert 'id="adhesions"' not in ref["pole_html"]


# ---------------------------------------------------------------------------------------------
# a pôle animator's own member list: a star around the pôle

#: Members as a French reader orders them (accents, ligatures and case ignored).
STAR_MEMBERS = ["à petits pas", "Atelier vélo", "Biocoop Cahors", "Écluse du Lot", "emmaüs Cahors",
                "Œuvre sociale du Lot", "Ville de Cahors", "Zèbre SCIC"]


def _star(tmp_path):
    """A store holding one pôle's member list only (Nom | Type | Commune | Collège), analysed."""
    from _workbooks import write_xlsx

    kinds = {"Ville de Cahors": "Commune", "Biocoop Cahors": "SCOP", "Zèbre SCIC": "SCIC"}
    rows = [["Nom", "Type", "Commune", "Collège"]] + [
        [n, kinds.get(n, "Association"), "Cahors", "Collectivités" if n.startswith("Ville") else "Membres"]
        for n in reversed(STAR_MEMBERS)]
    store = open_store(str(tmp_path / "etoile.db"))
    load_file(store, write_xlsx(tmp_path / "membres.xlsx", {"Membres": rows}), rejects_dir=tmp_path / "rejets",
              options={"pole": "Pôle Test"})
    run = analyse(store)
    (pole,) = [a.id for a in store.iter_actors() if a.family == "pole"]
    return store, run, pole


def _section(page: str, anchor: str) -> str:
    return html.unescape(page.split(f'id="{anchor}"')[1].split("</section>")[0])


def test_members_tied_only_through_their_pole_get_no_fake_ranking(tmp_path):
    """Every member tied only through the pôle (co-membership): degree all equal, betweenness all
    0. The pôle report says so instead of a « top 10 » in alphabetical order; the analysis
    report ranks no one on degree or betweenness, and on PageRank only the pôle."""
    from maillage.analytics.report import render_report

    store, run, pole = _star(tmp_path)
    page = render_pole_report(store, pole, tmp_path / "pole.html").read_text(encoding="utf-8")
    central = _section(page, "centraux")
    assert '<table class="central"' not in central
    assert "Les membres ne sont reliés qu'à travers le pôle : aucun ne se distingue encore" in central
    assert "les 10 premiers" not in central
    assert all(name not in central for name in STAR_MEMBERS)

    report = render_report(store, run.id, tmp_path / "rapport.html").read_text(encoding="utf-8")
    central = _section(report, "centralite")
    assert "Intermédiarité, Degré : tous les acteurs ont la même valeur, aucun classement n'est donné." in central
    rows = [_cells(r) for r in re.findall(r"<tr><td class=\"num\">(.*?)</tr>", central, re.S)]
    assert len(rows) == 1 and rows[0][4].startswith("Pôle Test")  # PageRank: the pôle, then the tie
    assert f"PageRank : puis {len(STAR_MEMBERS)} acteurs à égalité" in central
    # the isolation section says which ties it counts: the members' only direct partner is the pôle
    isolated = _section(report, "isoles")
    assert "pas l'appartenance à un même pôle" in isolated
    assert f"Acteurs périphériques avec un seul partenaire direct ({len(STAR_MEMBERS)})" in isolated
    methods = _section(report, "methodes")
    n = len(STAR_MEMBERS)
    assert f"dont {n * (n - 1) // 2} par l'appartenance à un même pôle" in methods
    assert "1 composante connexe" in methods and "(0 relations)" not in methods
    store.close()


def test_a_ranking_is_shown_when_the_measures_tell_members_apart(tmp_path):
    """Alpha cooperates with two outside actors, Beta with one: both bridge the pôle to others,
    the other three are tied at the bottom. The table ranks by betweenness (Alpha, Beta) and
    says the three others are tied rather than listing them in alphabetical order."""
    from _workbooks import write_xlsx

    members = ["Gamma", "Écluse", "delta", "Beta", "Alpha"]
    elements = [["Label", "Type"], ["Pôle Sud", "PTCE"]] + [[m, "Association"] for m in members] + [
        [f"Extérieur {i}", "Association"] for i in (1, 2, 3)]
    connections = [["From", "To", "Type"]] + [[m, "Pôle Sud", "membre de"] for m in members] + [
        ["Alpha", "Extérieur 1", "coopère avec"], ["Alpha", "Extérieur 2", "coopère avec"],
        ["Beta", "Extérieur 3", "coopère avec"]]
    store = open_store(str(tmp_path / "s.db"))
    load_file(store, write_xlsx(tmp_path / "carte.xlsx", {"Elements": elements, "Connections": connections}),
              rejects_dir=tmp_path / "rejets")
    analyse(store)
    (pole,) = [a.id for a in store.iter_actors() if a.family == "pole"]
    page = render_pole_report(store, pole, tmp_path / "pole.html").read_text(encoding="utf-8")
    central = _section(page, "centraux")
    assert "aucun ne se distingue" not in central
    table = re.search(r'<table class="central"[^>]*>.*?</table>', central, re.S).group(0)
    rows = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
    assert [r[0] for r in rows] == ["Alpha", "Beta"]
    degree, betweenness = ([float(r[i].replace(",", ".")) for r in rows] for i in (2, 3))
    assert betweenness[0] > betweenness[1] > 0 and degree == [7, 6]  # 4 co-members, the pôle, outsiders
    assert "Puis 3 membres à égalité sur ces mesures, non départagés." in central
    store.close()


def test_unknown_agrees_with_its_label_and_names_sort_as_a_french_reader_expects(tmp_path):
    """« Phase inconnue », « Lieu inconnu »: the unknown agrees with the label it follows (in
    every report, through one helper); lists put « Écluse », « Œuvre » and « à petits pas »
    among their letters, not after Z."""
    from maillage.analytics.reports import LABEL_GENDER, STRINGS, unknown_for

    store, _run, pole = _star(tmp_path)
    page = render_pole_report(store, pole, tmp_path / "pole.html").read_text(encoding="utf-8")
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", _section(page, "identite")))
    assert facts["Phase"] == "inconnue" and facts["Création"] == "inconnue"
    assert facts["Forme juridique"] == "inconnue" and facts["Membres"].endswith("aucune source ne déclare leur nombre")
    assert facts["Lieu"] == "inconnu"
    assert "Densité des liens internes : inconnue" in _section(page, "sans-lien")
    english = render_pole_report(store, pole, tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", _section(english, "identite")))
    assert facts["Phase"] == "unknown" and facts["Place"] == "unknown"
    assert set(LABEL_GENDER) <= set(STRINGS["fr"])  # every gendered label is one the reports print
    with pytest.raises(KeyError):
        unknown_for("phse")
    # members with no internal tie, in French order
    table = re.search(r'<table class="without-tie"[^>]*>.*?</table>', page, re.S).group(0)
    assert [_cells(r)[0] for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]] == STAR_MEMBERS
    store.close()


def test_members_sharing_a_board_member_are_not_said_tied_only_through_the_pole(tmp_path):
    """A natural person sits in the governance of two organisations. Every lens with the
    shared-governance layer (``cooperation``, ``all``) ties those two through that common
    governor, so the pôle report must not claim the members are tied only through the pôle — it
    did, since its check left persons out. Two members sharing her (``shared``): already tied by
    the pôle, their measures stay equal, and the report says that instead; a member sharing her
    with an outside association (``outside``): the measures tell it apart, and the ranking is
    shown. The funding lens has no such layer, and a person on one board only changes nothing."""
    from _workbooks import write_xlsx

    members = ["Alpha", "Beta", "Gamma", "Delta"]
    elements = [["Label", "Type"], ["Pôle Sud", "PTCE"], ["Marie Durand", "Personne"], ["Paul Martin", "Personne"],
                ["Extérieur", "Association"]] + [[m, "Association"] for m in members]
    connections = [["From", "To", "Type"]] + [[m, "Pôle Sud", "membre de"] for m in members] + [
        ["Marie Durand", "Alpha", "siège dans la gouvernance de"],
        ["Paul Martin", "Gamma", "siège dans la gouvernance de"]]
    cases = {"one": connections, "shared": connections + [["Marie Durand", "Beta", "siège dans la gouvernance de"]],
             "outside": connections + [["Marie Durand", "Extérieur", "siège dans la gouvernance de"]]}
    said = {}
    for name, rows in cases.items():
        for lens in ("cooperation", "all", "funding"):
            store = open_store(str(tmp_path / f"{name}-{lens}.db"))
            load_file(store, write_xlsx(tmp_path / f"{name}.xlsx", {"Elements": elements, "Connections": rows}),
                      rejects_dir=tmp_path / "rejets")
            analyse(store, lens=lens)
            (pole,) = [a.id for a in store.iter_actors() if a.family == "pole"]
            central = _section(render_pole_report(store, pole, tmp_path / "p.html").read_text(encoding="utf-8"),
                               "centraux")
            said[(name, lens)] = ("only through the pôle" if "reliés qu'à travers le pôle" in central else
                                  "all the same" if "ont tous les mêmes mesures" in central else
                                  "ranking" if '<table class="central"' in central else central)
            store.close()
    assert said == {("one", "cooperation"): "only through the pôle", ("one", "all"): "only through the pôle",
                    ("one", "funding"): "only through the pôle",
                    ("shared", "cooperation"): "all the same", ("shared", "all"): "all the same",
                    ("shared", "funding"): "only through the pôle",
                    ("outside", "cooperation"): "ranking", ("outside", "all"): "ranking",
                    ("outside", "funding"): "only through the pôle"}


def test_territory_report_cofunders_and_funding_by_year(tmp_path):
    """A collectivité asked who else funds its actors, and its funding over the years: pairs of
    funders by beneficiaries in common (Jaccard of their beneficiaries here, amounts to the
    common ones) and the grants into the territory by year — worked out by hand below."""
    from _jsonl import actor, relation, write_jsonl

    from maillage.analytics.reports import render_territory_report
    from maillage.loaders import load_file

    toulouse = "commune:31555"
    records = [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Subventions",
         "documents": {"etude": {"title": "Subventions"}}},
        actor("r", "Région Occitanie", "collectivite", "region", territory="region:76", location="region:76"),
        actor("d", "Département de la Haute-Garonne", "collectivite", "departement", territory="departement:31",
              location="departement:31"),
        actor("a", "Association Alpha", "ess", "association", location=toulouse),
        actor("b", "Association Bêta", "ess", "association", location=toulouse),
        actor("x", "Association Ailleurs", "ess", "association", location="commune:75056"),
        relation("funds", "r", "a", amount=1000, year=2016, start=2016, end=2016),
        relation("funds", "d", "a", amount=500, year=2017, start=2017, end=2017),
        relation("funds", "d", "b", amount=200, year=2017, start=2017, end=2017),
        relation("funds", "r", "x", amount=9000, year=2017, start=2017, end=2017),  # not into the territory
        relation("funds", "d", "d", amount=70, year=2017, start=2017, end=2017),  # to itself: counted apart
    ]
    store = open_store(str(tmp_path / "s.db"))
    load_file(store, write_jsonl(tmp_path / "s.jsonl", records), rejects_dir=tmp_path)
    page = html.unescape(render_territory_report(store, "departement:31", tmp_path / "t.html").read_text("utf-8"))
    co = re.search(r'<table class="cofunders"[^>]*>.*?</table>', page, re.S).group(0)
    rows = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", co, re.S)[1:]]
    # beneficiaries here: Région {a}, Département {a, b}: one in common, Jaccard 1/2, 1000 + 500 to a
    assert [r[2:] for r in rows] == [["1", "0,50", "1\u202f500"]]
    assert {rows[0][0], rows[0][1]} == {"Région Occitanie", "Département de la Haute-Garonne"}
    years = re.search(r'<table class="years"[^>]*>.*?</table>', page.split("Financements reçus par année")[1], re.S)
    got = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", years.group(0), re.S)[1:]]
    # the years add up to the funders' table: the Département's grant to itself (70) in 2017 too
    # (tests/test_collectivite_walkthrough.py: the Somme's 15 grants, not 13)
    assert got == [["2016", "1", "1\u202f000"], ["2017", "3", "770"]]
    assert "se finance lui-même : 1 financement, 70 €" in page
    # an English reader writes the sign first: "€70" (it read « 70 € », the French way)
    en = html.unescape(render_territory_report(store, "departement:31", tmp_path / "t-en.html", lang="en")
                       .read_text("utf-8"))
    assert "funds itself: 1 grant, €70, counted above" in en


# ---------------------------------------------------------------------------------------------
# partner leads for the isolated actors of a territory

RAMONVILLE, LABEGE, LUCHON, TOULOUSE = "commune:31446", "commune:31254", "commune:31042", "commune:31555"
LEADS_STORE = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Pistes",
     "documents": {"etude": {"title": "Étude"}}},
    actor("iso", "Atelier Solitaire", "ess", "association", location=RAMONVILLE),
    # the only other organisation of the Sicoval: another commune, same EPCI, no partner in common
    actor("voisin", "Coopérative Voisine", "enterprise", "pme", location=LABEGE),
    # a natural person living next door: never a lead
    actor("marie", "Marie Curieuse", "person", "salarie", location=RAMONVILLE),
    # alone in its EPCI: no lead
    actor("loin", "Refuge Lointain", "ess", "association", location=LUCHON),
    # a single partner: peripheral, never among the isolated
    actor("pole", "Pôle Garonne", "pole", "ptce", location=TOULOUSE),
    actor("membre", "Membre Unique", "ess", "association", location=TOULOUSE),
    relation("membership", "membre", "pole"),
    relation("represents", "marie", "membre"),
]


@pytest.fixture
def leads_store(tmp_path):
    s = open_store(str(tmp_path / "pistes.db"))
    load_file(s, write_jsonl(tmp_path / "pistes.jsonl", LEADS_STORE), rejects_dir=tmp_path / "rejets")
    yield s
    s.close()


def _leads(page: str) -> dict[str, list[str] | None]:
    """``{isolated actor's name: [lead texts] or None when the report says there is none}``."""
    section = html.unescape(page.split('id="pistes"')[1].split("</dl>")[0])
    out = {}
    for name, body in re.findall(r'<dt data-actor="[^"]*">(.*?) <span.*?</dt>\s*(<dd.*?</dd>)', section, re.S):
        out[name] = None if 'class="no-lead"' in body else [
            re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", body, re.S)]
    return out


def test_territory_report_gives_leads_to_check_for_each_isolated_actor(leads_store, tmp_path):
    """The report listed the isolated actors and stopped there: each now has up to 3 partner
    leads (suggestions to check, never facts); a same-EPCI organisation qualifies with no
    partner in common; a person living next door never appears; no lead is said plainly."""
    t = territory_diagnostic(leads_store, "departement:31")
    assert [e.name for e in t.isolated.items] == ["Atelier Solitaire", "Coopérative Voisine", "Refuge Lointain"]
    assert "Membre Unique" in [e.name for e in t.peripheral.items]
    page = render_territory_report(leads_store, "departement:31", tmp_path / "t.html").read_text(encoding="utf-8")
    leads = _leads(page)
    assert list(leads) == ["Atelier Solitaire", "Coopérative Voisine", "Refuge Lointain"]  # never the peripheral
    assert len(leads["Atelier Solitaire"]) == 1
    lead = leads["Atelier Solitaire"][0]
    assert lead.startswith("Coopérative Voisine")
    assert "pas un lien établi" not in lead and "même intercommunalité" in lead  # the caveat: once, above
    assert [x.split(" (")[0] for x in leads["Coopérative Voisine"]] == ["Atelier Solitaire"]
    assert leads["Refuge Lointain"] is None
    shown = html.unescape(page)
    assert "Aucune piste" in shown and "jamais des faits" in shown
    assert "Marie" not in shown and "Curieuse" not in shown
    assert "Pistes données pour les" not in shown  # 3 isolated: all have their leads

    en = render_territory_report(leads_store, "departement:31", tmp_path / "en.html", lang="en").read_text(
        encoding="utf-8")
    leads = _leads(en)
    assert leads["Refuge Lointain"] is None and "No lead" in html.unescape(en)
    assert "not an established tie" not in leads["Atelier Solitaire"][0]
    assert "same EPCI" in leads["Atelier Solitaire"][0] and "never facts" in html.unescape(en)
    assert "Marie" not in html.unescape(en)


def test_territory_report_gives_leads_for_the_first_ten_isolated_and_says_so(leads_store, tmp_path):
    extra = [actor(f"seul{i}", f"Solitaire {i:02d}", "ess", "association", location=LUCHON) for i in range(10)]
    load_file(leads_store, write_jsonl(tmp_path / "seuls.jsonl", [LEADS_STORE[0], *extra]),
              rejects_dir=tmp_path / "rejets")
    t = territory_diagnostic(leads_store, "departement:31")
    assert t.isolated.size == 13
    page = render_territory_report(leads_store, "departement:31", tmp_path / "t.html").read_text(encoding="utf-8")
    leads = _leads(page)
    assert list(leads) == [e.name for e in t.isolated.items[:10]]
    assert "Pistes données pour les 10 premiers des 13 acteurs isolés" in html.unescape(page)
    # same-EPCI isolated actors are one another's leads (no tie between them)
    assert any(lead and any(x.startswith("Solitaire") for x in lead) for lead in leads.values())


# ---------------------------------------------------------------------------------------------
# a pôle animator's members and their grants

def _siret(siren: str) -> str:
    from stdnum import luhn

    return next(siren + f"{nic:05d}" for nic in range(10, 100) if luhn.is_valid(siren + f"{nic:05d}"))


#: Three members (SIREN made valid below) and the grants of a collectivité's SCDL file.
MEMBERS_SIREN = {"Biocoop Ramonville": "443061841", "Régie de quartier Sud": "789012345",
                 "Incubateur Midi Pyrénées": "512345678"}


def _members_and_grants(tmp_path):
    """A pôle's member list (with SIRETs and a structure porteuse) and a SCDL file whose
    bénéficiaires are two of the members, the structure porteuse and an actor outside the pôle."""
    from stdnum import luhn

    sirens = {n: next(s[:8] + d for d in "0123456789" if luhn.is_valid(s[:8] + d)) for n, s in MEMBERS_SIREN.items()}
    members = tmp_path / "membres.csv"
    members.write_text("Nom;SIRET;Forme juridique;Commune;Rôle\n"
                       + "".join(f"{n};{_siret(s)};Association;Ramonville-Saint-Agne;membre\n" for n, s in sirens.items())
                       + "Maison de la coopération;;Association;Toulouse;structure porteuse\n", encoding="utf-8")
    bio, regie = _siret(sirens["Biocoop Ramonville"]), _siret(sirens["Régie de quartier Sud"])
    scdl = tmp_path / "subventions.csv"
    scdl.write_text(
        "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant\n"
        f"Communauté d'agglomération du Sicoval;24310063300011;2021-03-01;BIOCOOP RAMONVILLE;{bio};Animation;6000\n"
        f"Communauté d'agglomération du Sicoval;24310063300011;2022-03-01;BIOCOOP RAMONVILLE;{bio};Animation;4000\n"
        f"Communauté d'agglomération du Sicoval;24310063300011;2022-05-01;REGIE DE QUARTIER SUD;{regie};Emploi;2500\n"
        f"Département de la Haute-Garonne;22310001700016;2022-06-01;REGIE DE QUARTIER SUD;{regie};Insertion;1500\n"
        "Communauté d'agglomération du Sicoval;24310063300011;2022-06-01;Maison de la coopération;;Loyer;9000\n"
        "Communauté d'agglomération du Sicoval;24310063300011;2022-06-01;Club de foot;;Maillots;700\n",
        encoding="utf-8")
    store = open_store(str(tmp_path / "p.db"))
    load_file(store, members, rejects_dir=tmp_path / "rejets", options={"pole": "Pôle Coopér'Sud-Est"})
    load_file(store, scdl, rejects_dir=tmp_path / "rejets")
    pole = store.search("Coopér'Sud-Est", family="pole")[0].id
    return store, pole


def test_the_pole_report_lists_the_grants_its_members_received(tmp_path):
    """The walk-through: the « Financements » section showed one grant without saying it went to
    the structure porteuse, and nothing of the members' grants. The section now says whose
    grants it counts, and a table gives each member's grants by funder, with the sums."""
    store, pole = _members_and_grants(tmp_path)
    page = html.unescape(render_pole_report(store, pole, tmp_path / "pole.html").read_text(encoding="utf-8"))
    assert "7. Financements reçus par le pôle et sa structure porteuse" in page
    section = _section(page, "financements-membres")
    assert "8. Financements reçus par les membres" in section
    rows = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>",
                                          re.search(r'<table class="member-funding"[^>]*>.*?</table>', section, re.S)[0],
                                          re.S)[1:]]
    sicoval = [r[0] for r in rows if r[1] == "Biocoop Ramonville"][0]
    assert "Sicoval" in sicoval
    assert [r[1:] for r in rows] == [["Biocoop Ramonville", "10\u202f000", "2021, 2022", "2"],
                                     ["Régie de quartier Sud", "2\u202f500", "2022", "1"],
                                     ["Régie de quartier Sud", "1\u202f500", "2022", "1"]]
    funders = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>",
                                             re.search(r'<table class="member-funders"[^>]*>.*?</table>', section, re.S)[0],
                                             re.S)[1:]]
    assert [r[1:] for r in funders] == [["2", "12\u202f500", "2021, 2022", "3"], ["1", "1\u202f500", "2022", "1"]]
    assert "4 financements, 2 membres financés sur 3" in section
    # the structure porteuse's grant (9 000) is the pôle's, the outside club's is no one's here
    assert "9\u202f000" not in section and "Club de foot" not in page
    # the report's year: 2021 keeps the one grant of 2021
    page21 = html.unescape(render_pole_report(store, pole, tmp_path / "p21.html", as_of=2021).read_text("utf-8"))
    rows21 = re.search(r'<table class="member-funding"[^>]*>.*?</table>', _section(page21, "financements-membres"), re.S)[0]
    assert [_cells(r)[1:] for r in re.findall(r"<tr>(.*?)</tr>", rows21, re.S)[1:]] == [
        ["Biocoop Ramonville", "6\u202f000", "2021", "1"]]
    en = render_pole_report(store, pole, tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    assert "Funding received by the members" in en and "4 grants, 2 members funded out of 3" in en
    store.close()


def test_the_pole_report_lists_the_members_partners_outside_the_pole(tmp_path):
    """An animator asked « who do my members work with, that is not in the pôle? »: a section
    lists the actors tied to a member (cooperation, partnership, grants — each tie in words),
    not members, the most tied to members first, at most 20 with how many more; never a
    natural person (not even masked), never a member, the pôle or its structure porteuse."""
    from _jsonl import actor, relation, write_jsonl

    store, pole = _members_and_grants(tmp_path)
    ids = {a.name: a for a in store.iter_actors()}
    siret = {n: next(i.value for i in ids[n].identifiers if i.scheme == "siret")
             for n in ("Biocoop Ramonville", "Régie de quartier Sud", "Incubateur Midi Pyrénées")}
    records = [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Partenaires",
         "documents": {"etude": {"title": "Enquête partenaires"}}},
        *[actor(key, name, "ess", "association", identifiers=[{"scheme": "siret", "value": siret[name]}])
          for key, name in (("bio", "Biocoop Ramonville"), ("reg", "Régie de quartier Sud"),
                            ("inc", "Incubateur Midi Pyrénées"))],
        actor("fab", "Fablab Sud", "tiers_lieu", "tiers_lieu"),
        actor("ban", "Banque solidaire", "ess", "association"),
        actor("jm", "Jeanne Martinou", "person", "salarie"),
        actor("pla", "Projet de ferme", "ess", "association"),
        relation("cooperates", "fab", "bio"), relation("cooperates", "reg", "fab"),
        relation("partner", "ban", "bio"), relation("cooperates", "reg", "inc"),  # between members: not listed
        relation("cooperates", "jm", "bio"), relation("cooperates", "pla", "reg", certainty="planned"),
        *[actor(f"p{i}", f"Partenaire {i:02d}", "ess", "association") for i in range(1, 22)],
        *[relation("cooperates", "inc", f"p{i}") for i in range(1, 22)],
    ]
    load_file(store, write_jsonl(tmp_path / "partenaires.jsonl", records), rejects_dir=tmp_path / "rejets")
    assert len(store.search("Biocoop Ramonville")) == 1  # the survey's actors are the members
    page = html.unescape(render_pole_report(store, pole, tmp_path / "pole.html").read_text(encoding="utf-8"))
    section = _section(page, "hors-pole")
    assert "11. Partenaires des membres, hors du pôle" in section
    table = re.search(r'<table class="outside"[^>]*>.*?</table>', section, re.S)[0]
    rows = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
    assert len(rows) == 20 and "Et 5 autres acteurs, non affichés." in section  # 4 + 21 partners
    assert [r[0] for r in rows[:4]] == ["Communauté d'agglomération du Sicoval", "Fablab Sud", "Banque solidaire",
                                        "Département de la Haute-Garonne"]
    assert [r[0] for r in rows[4:]] == [f"Partenaire {i:02d}" for i in range(1, 17)]
    sicoval, fablab, banque, departement = rows[:4]
    assert sicoval[2:] == ["2 (Biocoop Ramonville, Régie de quartier Sud)", "finance un membre", "3"]
    assert fablab[2:] == ["2 (Biocoop Ramonville, Régie de quartier Sud)", "coopère avec un membre", "2"]
    assert banque[2:] == ["1 (Biocoop Ramonville)", "partenaire d'un membre", "1"]
    assert departement[3] == "finance un membre"
    shown = {r[0] for r in rows}
    for name in ("Biocoop Ramonville", "Régie de quartier Sud", "Incubateur Midi Pyrénées", "Maison de la coopération",
                 "Pôle Coopér'Sud-Est", "Projet de ferme"):
        assert name not in shown
    assert "Martinou" not in page and "[personne" not in section
    en = html.unescape(render_pole_report(store, pole, tmp_path / "en.html", lang="en").read_text(encoding="utf-8"))
    assert "Members' partners outside the pôle" in en and "funds a member" in en and "And 5 more actors" in en
    store.close()


# ---------------------------------------------------------------------------------------------
# a collectivité's territory: leads for its isolated actors

SICOVAL = "epci:243100633"
RAMONVILLE, CASTANET, LABEGE = "commune:31446", "commune:31113", "commune:31254"

#: The Sicoval: a pôle (an association, a SCOP and the mairie of Ramonville as members), the CA
#: itself funding the pôle, and three associations of three communes with no tie at all.
SICOVAL_STORE = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Acteurs ESS du Sicoval",
     "documents": {"etude": {"title": "Annuaire"}}},
    actor("pole", "PTCE Lauragais Solidaire", "pole", "ptce", location=RAMONVILLE),
    actor("conv", "Convivencia", "ess", "association", location=RAMONVILLE),
    actor("velo", "Vélo Castanéen", "ess", "association", location=CASTANET),
    actor("mairie", "Mairie de Ramonville-Saint-Agne", "collectivite", "commune", location=RAMONVILLE),
    actor("ca", "CA du Sicoval", "collectivite", "epci", location=LABEGE, territory=SICOVAL),
    actor("zebre", "Zèbre Castanéen", "ess", "association", location=CASTANET),
    actor("atelier", "Atelier Ramonvillois", "ess", "association", location=RAMONVILLE),
    actor("amicale", "Amicale Labégeoise", "ess", "association", location=LABEGE),
    relation("membership", "conv", "pole"), relation("membership", "velo", "pole"),
    relation("membership", "mairie", "pole"), relation("funds", "ca", "pole", amount=10000),
]


def test_leads_for_isolated_actors_are_the_pole_then_the_nearest_actors_never_a_collectivite(tmp_path):
    """The walk-through (Marc, chargé de mission ESS at the CA du Sicoval): every isolated actor got
    « Mairie de Ramonville-Saint-Agne » first whatever its commune, the CA du Sicoval was
    suggested in its own report, the pôle active in the territory never, and ties at equal score
    came alphabetically. Now: the pôle first (« rejoindre le pôle … », closest first), then the
    actors of the same commune before those of the same EPCI; no collectivité."""
    from maillage.analytics.suggestions import territory_closeness

    assert territory_closeness({"commune": CASTANET, "epci": SICOVAL}, {"commune": LABEGE, "epci": SICOVAL}) == (
        0.75, SICOVAL)
    assert territory_closeness({"commune": CASTANET, "epci": SICOVAL}, {"commune": CASTANET}) == (1.0, CASTANET)
    s = open_store(str(tmp_path / "sicoval.db"))
    load_file(s, write_jsonl(tmp_path / "sicoval.jsonl", SICOVAL_STORE), rejects_dir=tmp_path / "rejets")
    page = render_territory_report(s, SICOVAL, tmp_path / "t.html").read_text(encoding="utf-8")
    leads = _leads(page)
    assert set(leads) == {"Zèbre Castanéen", "Atelier Ramonvillois", "Amicale Labégeoise"}
    for name, rows in leads.items():
        assert rows and not any("Mairie" in r or "CA du Sicoval" in r.split(" — ")[0] for r in rows), (name, rows)
    zebre = leads["Zèbre Castanéen"]
    assert zebre[0] == ("Rejoindre le pôle PTCE Lauragais Solidaire, actif sur le territoire : 3 membres — "
                        "même commune : Castanet-Tolosan (31)")
    assert [r.split(" (")[0] for r in zebre[1:]] == ["Vélo Castanéen", "Amicale Labégeoise", "Atelier Ramonvillois"]
    assert "Même commune : Castanet-Tolosan (31)" in zebre[1] and "Même intercommunalité" in zebre[2]
    atelier = leads["Atelier Ramonvillois"]
    assert atelier[0].startswith("Rejoindre le pôle PTCE Lauragais Solidaire") and "Ramonville" in atelier[0]
    assert atelier[1].startswith("Convivencia (")  # same commune, though « C » comes after « A »
    assert "même intercommunalité" in leads["Amicale Labégeoise"][0]  # the pôle: no member in Labège
    shown = html.unescape(page)
    assert "Les collectivités et organismes publics n'y sont pas proposés" in shown
    en = _leads(render_territory_report(s, SICOVAL, tmp_path / "en.html", lang="en").read_text(encoding="utf-8"))
    assert en["Zèbre Castanéen"][0].startswith("Join the pôle PTCE Lauragais Solidaire, active in the territory: 3 "
                                               "members — same municipality")
    s.close()


def test_the_members_partners_are_not_the_subsidy_list_of_a_member_collectivite(tmp_path):
    """The walk-through: the pôle report's « Partenaires des membres, hors du pôle » was the CA du
    Sicoval's subsidy list (all 20 rows « financé par un membre (CA du Sicoval) »): the CA is a
    member, and every association it funds was listed as a partner. The actors a member
    collectivité only funds are now counted apart in one line; the list keeps the actors tied to
    the ESS and enterprise members — and one the CA funds that also cooperates with a member."""
    records = [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "PTCE Lauragais",
         "documents": {"etude": {"title": "Liste des membres et subventions"}}},
        actor("pole", "PTCE Lauragais Solidaire", "pole", "ptce", location=RAMONVILLE),
        actor("conv", "Convivencia", "ess", "association", location=RAMONVILLE),
        actor("scop", "SCOP Bâtisseurs", "enterprise", "pme", location=CASTANET),
        actor("ca", "CA du Sicoval", "collectivite", "epci", location=LABEGE, territory=SICOVAL),
        actor("fab", "Fablab de Labège", "tiers_lieu", "tiers_lieu", location=LABEGE),
        actor("club", "Club de rugby", "ess", "association", location=LABEGE),
        *[actor(f"b{i}", f"Bénéficiaire {i:02d}", "ess", "association", location=CASTANET) for i in range(25)],
        relation("membership", "conv", "pole"), relation("membership", "scop", "pole"),
        relation("membership", "ca", "pole"),
        relation("cooperates", "scop", "fab"),
        relation("funds", "ca", "club", amount=800), relation("cooperates", "club", "conv"),
        *[relation("funds", "ca", f"b{i}", amount=1000 + i) for i in range(25)],
    ]
    s = open_store(str(tmp_path / "lauragais.db"))
    load_file(s, write_jsonl(tmp_path / "lauragais.jsonl", records), rejects_dir=tmp_path / "rejets")
    pole = s.search("PTCE Lauragais Solidaire", family="pole")[0].id
    page = html.unescape(render_pole_report(s, pole, tmp_path / "pole.html").read_text(encoding="utf-8"))
    section = _section(page, "hors-pole")
    table = re.search(r'<table class="outside"[^>]*>.*?</table>', section, re.S)[0]
    rows = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
    assert sorted(r[0] for r in rows) == ["Club de rugby", "Fablab de Labège"]
    club = [r for r in rows if r[0] == "Club de rugby"][0]
    assert club[2] == "2 (CA du Sicoval, Convivencia)" and int(club[4]) == 2  # its grant is still said
    assert "Bénéficiaire" not in table
    assert ("25 bénéficiaires des subventions de CA du Sicoval (membre), non listés ici" in section)
    assert section.count("CA du Sicoval (membre)") == 1
    en = html.unescape(render_pole_report(s, pole, tmp_path / "en.html", lang="en").read_text(encoding="utf-8"))
    assert "25 beneficiaries of the grants of CA du Sicoval (member)" in en
    s.close()


# ---------------------------------------------------------------------------------------------
# a chargé de mission's walk-through of a territory report: the years, the spreadsheet

def _evolution_rows(page: str) -> dict[str, list[str]]:
    table = re.search(r'<table class="evolution"[^>]*>(.*?)</table>', page, re.S)[1]
    head = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    return {"head": head, **{y: _cells(r) for y, r in re.findall(r'<tr data-year="(\d+)">(.*?)</tr>', table, re.S)}}


def test_territory_evolution_counts_pole_members_apart_from_direct_ties(tmp_path):
    """The walk-through: « Évolution par année » showed « Liens » and « Paires liées datées »
    counting only pairs inside the territory, pôle memberships mixed in, and zeros beside a
    territory whose actors are tied through a pôle located elsewhere. Now each year gives the
    pôle members (wherever the pôle), the direct ties (a membership aside) and how many are
    dated, the isolated and the single-partner actors, under a « Comment lire » sentence."""
    records = [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Sicoval",
         "documents": {"etude": {"title": "Annuaire"}}},
        actor("pole", "Pôle Garonne", "pole", "ptce", location=TOULOUSE),  # outside the Sicoval
        actor("a", "Atelier Ramonvillois", "ess", "association", location=RAMONVILLE),
        actor("b", "Vélo Castanéen", "ess", "association", location=CASTANET),
        actor("c", "Coopérative Labégeoise", "enterprise", "pme", location=LABEGE),
        actor("d", "Amicale Ramonvilloise", "ess", "association", location=RAMONVILLE),
        relation("membership", "a", "pole", start=2014),
        relation("membership", "b", "pole", start=2015),
        relation("membership", "c", "pole"),  # undated: every year
        relation("cooperates", "a", "b", start=2016),
        relation("partner", "c", "d"),  # undated
    ]
    with open_store(str(tmp_path / "s.db")) as store:
        assert load_file(store, write_jsonl(tmp_path / "s.jsonl", records), rejects_dir=tmp_path / "rejets").rejected == 0
        page = render_territory_report(store, SICOVAL, tmp_path / "t.html").read_text(encoding="utf-8")
        en = render_territory_report(store, SICOVAL, tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    rows = _evolution_rows(page)
    assert rows.pop("head") == ["Année", "Acteurs observés", "Membres d'un pôle", "Liens directs", "dont datés",
                                "Isolés", "Un seul partenaire"]
    assert rows == {  # b is not observed in 2014 (its only ties start later); a, b, d: a single partner
        "2014": ["2014", "3", "2", "1", "0", "0", "2"],
        "2015": ["2015", "4", "3", "1", "0", "0", "3"],
        "2016": ["2016", "4", "3", "2", "1", "0", "1"],
    }
    shown = html.unescape(_section(page, "evolution"))
    assert "Comment lire : pour chaque année, « Membres d'un pôle » compte les acteurs du territoire" in shown
    assert "(situé ici ou ailleurs)" in shown
    en_rows = _evolution_rows(en)
    assert en_rows.pop("head")[1:4] == ["Observed actors", "Pôle members", "Direct ties"]
    assert en_rows == rows and "How to read:" in html.unescape(en)


def _csv_rows(path, lang="fr") -> list[list[str]]:
    raw = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(raw), delimiter=";" if lang == "fr" else ","))


def test_isolated_actors_spreadsheet_gives_reasons_in_words_and_the_reports_leads(tmp_path):
    """The walk-through: the « -isoles.csv » beside the report had a column of reason codes
    (« aucun_lien hors_pole ») and none of the leads the report gives. In French the reasons are
    in words only; « pistes de partenaires » holds the report's leads, numbered, in its order;
    the English file keeps the codes (for a program) and has the same leads in English."""
    s = open_store(str(tmp_path / "sicoval.db"))
    load_file(s, write_jsonl(tmp_path / "sicoval.jsonl", SICOVAL_STORE), rejects_dir=tmp_path / "rejets")
    page = render_territory_report(s, SICOVAL, tmp_path / "t.html").read_text(encoding="utf-8")
    en_page = render_territory_report(s, SICOVAL, tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    s.close()
    rows = _csv_rows(tmp_path / "t-isoles.csv")
    head = rows[0]
    assert head == ["identifiant", "nom", "famille", "type", "lieu", "partie du territoire", "situation", "raisons",
                    "nombre de partenaires de coopération", "pistes de partenaires", "précautions"]
    by_name = {r[1]: dict(zip(head, r)) for r in rows[1:]}
    codes = re.compile(r"\b(aucun_lien|seulement_financement|hors_lentille|lien_unique|hors_pole|"
                       r"sans_lien_intersectoriel)\b")
    assert not any(codes.search(cell) for r in rows for cell in r)
    zebre = by_name["Zèbre Castanéen"]
    assert zebre["situation"] == "isolé"
    assert zebre["raisons"] == ("Aucun lien connu, de quelque type que ce soit ; Membre d'aucun pôle (ni membre, ni "
                                "structure porteuse)")
    assert zebre["pistes de partenaires"].startswith(
        "1) Rejoindre le pôle PTCE Lauragais Solidaire, actif sur le territoire : 3 membres — même commune : "
        "Castanet-Tolosan (31). 2) Vélo Castanéen (Structure de l'ESS) — Même commune : Castanet-Tolosan (31). "
        "3) Amicale Labégeoise (")
    leads = _leads(page)
    assert set(leads) == {"Zèbre Castanéen", "Atelier Ramonvillois", "Amicale Labégeoise"}
    for name, shown in leads.items():  # the report's leads, same order, same words
        assert by_name[name]["pistes de partenaires"] == " ".join(
            f"{i}) {x.rstrip('.')}." for i, x in enumerate(shown, 1)), name
    assert all(r["pistes de partenaires"] == "" for r in by_name.values() if r["situation"] != "isolé")

    en = _csv_rows(tmp_path / "en-isoles.csv", "en")
    assert en[0][7:11] == ["reasons", "reason codes", "cooperation partners (number)", "partner leads"]
    zebre = dict(zip(en[0], next(r for r in en if r[1] == "Zèbre Castanéen")))
    assert zebre["reason codes"] == "aucun_lien hors_pole"
    en_leads = _leads(en_page)["Zèbre Castanéen"]
    assert zebre["partner leads"] == " ".join(f"{i}) {x.rstrip('.')}." for i, x in enumerate(en_leads, 1))
    assert zebre["partner leads"].startswith("1) Join the pôle PTCE Lauragais Solidaire, active in the territory")


def test_isolated_actors_spreadsheet_says_when_leads_were_not_computed(leads_store, tmp_path):
    """Beyond the first ten isolated actors the report gives no lead: the spreadsheet says so
    rather than leave a cell that reads « no lead »; « Aucune piste » when there is none."""
    render_territory_report(leads_store, "departement:31", tmp_path / "t.html")
    rows = {r[1]: r[9] for r in _csv_rows(tmp_path / "t-isoles.csv")[1:]}
    assert rows["Refuge Lointain"] == ("Aucune piste : aucun candidat dans la même commune ou la même "
                                       "intercommunalité, et aucun partenaire en commun.")
    assert rows["Membre Unique"] == ""  # peripheral: the report gives it no lead either
    extra = [actor(f"seul{i}", f"Solitaire {i:02d}", "ess", "association", location=LUCHON) for i in range(10)]
    load_file(leads_store, write_jsonl(tmp_path / "seuls.jsonl", [LEADS_STORE[0], *extra]),
              rejects_dir=tmp_path / "rejets")
    t = territory_diagnostic(leads_store, "departement:31")
    render_territory_report(leads_store, "departement:31", tmp_path / "t.html")
    rows = {r[0]: r[9] for r in _csv_rows(tmp_path / "t-isoles.csv")[1:]}
    late = [e.id for e in t.isolated.items[10:]]
    assert len(late) == 3
    assert {rows[i] for i in late} == {"Pistes non calculées : le rapport en donne pour les 10 premiers acteurs "
                                       "isolés."}
    assert all(rows[e.id].startswith("1) ") for e in t.isolated.items[:10])  # same EPCI: one another's leads
