"""The territory report reads a grant's years in two ways, and says which (notes/h156.md): the
Somme's SCDL file alone, its 15 grants to collectivités of the Somme all signed in 2017 with
payment periods (``datesPeriodeVersement``) up to 2021. « Financements reçus par année » counts
each grant once, the year it starts (2017 only: the amounts add up to the funders' table);
« Évolution par année » observes the same actors each year of those periods (2017–2021). The
report said neither, so the two tables looked contradictory."""

from __future__ import annotations

import html
import re

from maillage.analytics.reports import render_territory_report
from maillage.graph import open_store
from maillage.loaders import load_file

SOMME = "realdata/scdl-somme/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv"


def _text(page: str) -> str:
    page = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _section(text: str, start: str, end: str) -> str:
    i = text.rindex(start)
    return text[i:text.index(end, i)]


def test_each_years_table_says_which_year_it_reads(tmp_path, shared):
    with open_store(str(tmp_path / "somme.db")) as store:
        load_file(store, shared / SOMME, rejects_dir=tmp_path)
        fr = _text(render_territory_report(store, "departement:80", tmp_path / "r.html").read_text(encoding="utf-8"))
        en = _text(render_territory_report(store, "departement:80", tmp_path / "en.html", lang="en")
                   .read_text(encoding="utf-8"))
    received = _section(fr, "Financements reçus par année", "Financements accordés par les acteurs")
    assert "2017 15 1 529 503" in received  # the table as it was: one year, every grant once
    assert ("Chaque financement y est compté une fois, l'année où il commence : le début de sa période de "
            "versement, sinon la date de sa convention ; les montants s'additionnent ainsi comme au tableau des "
            "financeurs.") in received, received
    # the Somme's periods (by hand from the file): every row's runs two or four years from its
    # convention (« 2017/09/08_2021/09/07 »), the last to 2021
    assert ("Période de versement sur plusieurs années : 15 financements sur 15, jusqu'en 2021 ; la section 6 compte un "
            "tel financement chaque année de sa période.") in received, received
    evolution = _section(fr, "6. Évolution par année", "7. Sources")
    assert "2017 11 0 0 0 0 0 2018 11 0 0 0 0 0" in evolution and "2021 6" in evolution  # the table as it was
    assert ("Un acteur est observé les années où l'un de ses liens est en cours : une subvention, chaque année de sa "
            "période de versement (ici de 2017 à 2021), quand la section 4 la compte une fois, l'année où elle "
            "commence.") in evolution, evolution
    assert "Each grant is counted here once, the year it starts" in en and "each year of its payment period (here 2017 to 2021)" in en
    assert "Payment period over several years: 15 grants of 15, up to 2021" in en
