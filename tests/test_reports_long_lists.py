"""A territory report's isolated actors when they are thousands in a commune (no finer part to
group them by): Paris's subsidy file listed 3,174 in one table, a 1.4 MB page. They are grouped
by family of actors, the page shows the first of each group and says how many it leaves to the
spreadsheet beside it, which lists them all."""

from __future__ import annotations

import csv
import html
import io
import re

from _jsonl import actor, relation, write_jsonl

from maillage.analytics.reports import GROUP_FLAGGED_OVER, SHOWN_PER_GROUP, render_territory_report
from maillage.analytics.territory import territory_diagnostic
from maillage.graph import open_store
from maillage.loaders import load_file

ASSOCIATIONS, ENTERPRISES, UNKNOWN = 2 * GROUP_FLAGGED_OVER, SHOWN_PER_GROUP + 7, 3


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def test_a_long_list_in_a_commune_is_grouped_by_family_shown_in_part_and_whole_in_the_spreadsheet(tmp_path):
    recs = [actor(f"a{i}", f"Association numéro {i}", "ess", "association", location="commune:31555")
            for i in range(ASSOCIATIONS)]
    recs += [actor(f"e{i}", f"Entreprise numéro {i}", "enterprise", location="commune:31555")
             for i in range(ENTERPRISES)]
    recs += [actor(f"o{i}", f"Bénéficiaire numéro {i}", "other", location="commune:31555") for i in range(UNKNOWN)]
    recs += [actor("p1", "Coopérative un", "ess", "scic", location="commune:31555"),
             actor("p2", "Coopérative deux", "ess", "scic", location="commune:31555"),
             relation("cooperates", "p1", "p2")]
    with open_store(str(tmp_path / "s.db")) as store:
        assert load_file(store, write_jsonl(tmp_path / "toulouse.jsonl", recs), rejects_dir=tmp_path).rejected == 0
        t = territory_diagnostic(store, "commune:31555")
        out = render_territory_report(store, "commune:31555", tmp_path / "rapport.html")
    assert t.part_level is None  # a commune: no finer part to group by
    flagged = {e.name for e in [*t.isolated.items, *t.peripheral.items, *t.documentation_gaps.items]}
    total = ASSOCIATIONS + ENTERPRISES + UNKNOWN + 2
    assert len(flagged) == total  # the two cooperatives: peripheral (one partner each)
    page = out.read_text(encoding="utf-8")
    text = html.unescape(page)
    # the groups: by family, the largest first, each counted whole
    counts = {m.group(1): [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(2), re.S)]
              for m in re.finditer(r'<tr data-group="([^"]*)"[^>]*>(.*?)</tr>', page, re.S)}
    assert list(counts) == ["ess", "enterprise", "other"]
    assert counts["ess"] == ["Structure de l'ESS", str(ASSOCIATIONS), "2", "0"]
    assert [int(c) for c in counts["enterprise"][1:]] == [ENTERPRISES, 0, 0]
    assert "la liste est donnée par famille d'acteurs" in text
    # each group shows its first SHOWN_PER_GROUP, the isolated first, and says how many more
    groups = re.findall(r'<details class="isolated-group" id="([^"]+)" data-group="([^"]*)">(.*?)</details>', page, re.S)
    assert [g[1] for g in groups] == ["ess", "enterprise", "other"]
    shown = {g[1]: [_text(re.search(r'<th scope="row"[^>]*>(.*?)</th>', r, re.S).group(1))
                    for r in re.findall(r'<tr data-codes="[^"]*">(.*?)</tr>', g[2], re.S)] for g in groups}
    assert shown["ess"] == [e.name for e in t.isolated.items if e.family == "ess"][:SHOWN_PER_GROUP]
    assert [len(shown[g]) for g in ("ess", "enterprise", "other")] == [SHOWN_PER_GROUP, SHOWN_PER_GROUP, UNKNOWN]
    assert len(re.findall(r"<tr data-codes=", page)) == 2 * SHOWN_PER_GROUP + UNKNOWN
    assert set().union(*map(set, shown.values())) <= flagged
    hidden = total - 2 * SHOWN_PER_GROUP - UNKNOWN
    bodies = {g[1]: html.unescape(g[2]) for g in groups}
    assert (f"… et {ASSOCIATIONS + 2 - SHOWN_PER_GROUP} autres acteurs de ce groupe, non montrés ici : "
            f"voir le fichier rapport-isoles.csv.") in bodies["ess"]
    assert "… et 7 autres acteurs de ce groupe, non montrés ici" in bodies["enterprise"]
    assert "non montré" not in bodies["other"]
    # the page says how many it leaves out, and where they are: never dropped silently
    assert (f"Cette page montre au plus les {SHOWN_PER_GROUP} premiers acteurs de chaque groupe (les isolés "
            f"d'abord) : {hidden} acteurs sur {total} n'y figurent pas ; ils sont dans le fichier rapport-isoles.csv, "
            "à côté de ce rapport, qui les liste tous, un par ligne.") in text
    assert 'href="rapport-isoles.csv"' in page
    rows = list(csv.reader(io.StringIO((tmp_path / "rapport-isoles.csv").read_text(encoding="utf-8-sig")),
                           delimiter=";"))
    assert {r[1] for r in rows[1:]} == flagged and len(rows) == total + 1
    # the page no longer grows with the list: the rows of the groups shown, not the 317 actors
    assert len(page.encode()) < 400_000


def test_a_short_list_in_a_commune_stays_one_table(tmp_path):
    recs = [actor(f"a{i}", f"Association numéro {i}", "ess", "association", location="commune:31555")
            for i in range(GROUP_FLAGGED_OVER)]
    with open_store(str(tmp_path / "s.db")) as store:
        assert load_file(store, write_jsonl(tmp_path / "t.jsonl", recs), rejects_dir=tmp_path).rejected == 0
        page = render_territory_report(store, "commune:31555", tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'class="isolated-group"' not in page and page.count('<table class="isolated"') == 1
    assert len(re.findall(r"<tr data-codes=", page)) == GROUP_FLAGGED_OVER
    assert "non montré" not in html.unescape(page) and "Cette page montre au plus" not in html.unescape(page)
