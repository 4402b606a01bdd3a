"""A pôle animator with no programming background reads the pôle and territory reports: every
sentence must speak plainly — no notation, no document code or line code, no source id, hash or
run id in the body (they stay in the Sources small print), a French date and time, one line for
the members' count, the collectivité that funds the structure porteuse called a funder, each
measure explained once, and the suggestions' caveat said once above the list.

The store: a pôle, its structure porteuse and the communauté d'agglomération that funds it
(a study, JSONL), analysed, then the pôle's member list ``membres_2023.csv`` loaded after the
analysis (so the report must say the measures are older than the graph)."""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone

import pytest

from maillage.analytics.reports import render_pole_report, render_territory_report
from maillage.analytics.run import analyse
from maillage.graph import open_store
from maillage.loaders import load_file

from _jsonl import actor, relation, write_jsonl

MEMBERS = [("Les Jardins du Sicoval", "Association"), ("Scop Bois Local", "SCOP"), ("Épicerie Solidaire", "Association"),
           ("Atelier Vélo", "Association"), ("Coop Habitat", "SCIC"), ("Régie de Quartier", "Association"),
           ("Recyclerie du Lauragais", "Association"), ("Café Associatif", "Association"),
           ("Boulangerie Martin", "SARL"), ("Garage Dupuis", "SAS"), ("Imprimerie Ferrand", "SARL")]


def text(page: str) -> str:
    """The page as read: no style, no chart, no tag, entities decoded, spaces collapsed."""
    page = re.sub(r"<style>.*?</style>|<svg.*?</svg>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def body(page: str) -> str:
    """The text a reader reads before the Sources section (the small print at the end)."""
    return text(page.split('<section id="sources">')[0])


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("claire")
    store = open_store(str(tmp / "store.db"))
    recs = [actor("p", "PTCE Sud Coop", "pole", "ptce", location="commune:31113"),
            actor("sp", "Association Sud Coop", "ess", "association", location="commune:31113"),
            actor("ca", "Communauté d'agglomération du Sicoval", "collectivite", "epci", location="epci:243100633"),
            relation("carries", "sp", "p"),
            relation("funds", "ca", "sp", amount=20000, year=2023)]
    load_file(store, write_jsonl(tmp / "etude.jsonl", recs), rejects_dir=tmp / "rejets")
    run = analyse(store)
    rows = ["Nom;Forme juridique;Code postal;Commune;Rôle",
            *(f"{n};{f};31520;Ramonville-Saint-Agne;membre" for n, f in MEMBERS)]
    (tmp / "membres_2023.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    load_file(store, tmp / "membres_2023.csv", rejects_dir=tmp / "rejets", options={"pole": "PTCE Sud Coop"})
    pole = store.search("PTCE Sud Coop", family="pole")[0].id
    out = {"store": store, "pole": pole, "run": run, "tmp": tmp}
    for lang in ("fr", "en"):
        out[f"pole_{lang}"] = render_pole_report(store, pole, tmp / f"pole-{lang}.html", lang=lang).read_text(
            encoding="utf-8")
        out[f"territory_{lang}"] = render_territory_report(store, "departement:31", tmp / f"t-{lang}.html",
                                                           lang=lang).read_text(encoding="utf-8")
    yield out
    store.close()


def test_generated_in_french_local_time(walk):
    """« Généré le 06/12/2026 02:26 UTC »: now the French date in Paris time, as said aloud."""
    months = ("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre")
    for page in (walk["pole_fr"], walk["territory_fr"]):
        shown = text(page)
        assert "UTC" not in shown
        assert re.search(rf"Généré le (1er|\d{{1,2}}) ({months}) \d{{4}} à \d\d h \d\d", shown), shown[:300]
    assert re.search(r"Generated on \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d \(Paris time\)", text(walk["pole_en"]))


def test_when_text_is_paris_time_winter_and_summer():
    from maillage.analytics.report import when_text

    assert when_text(datetime(2026, 12, 6, 2, 12, tzinfo=timezone.utc)) == "6 décembre 2026 à 03 h 12"
    assert when_text(datetime(2026, 7, 1, 0, 57, tzinfo=timezone.utc)) == "1er juillet 2026 à 02 h 57"
    assert when_text(datetime(2026, 12, 6, 2, 12, tzinfo=timezone.utc), "en") == "6 December 2026, 03:12 (Paris time)"
