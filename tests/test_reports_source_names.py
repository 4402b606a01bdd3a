"""A report is meant to be public (a meeting, a website): it never names a person its sources'
files or ids are named after (« entretien-Didier-Cognon.jsonl », « cr_cognon_didier_2019 »,
tests/_person_sources.py). Every printed string of the pôle, territory and observatory reports
and of the analysis report (`maillage demo`'s rapport.html) goes through the same mask as the
exports and the API (« entretien-[personne 1].jsonl »), in French and in English; so do the
territory's map and its spreadsheet of isolated actors.

Before, the persons' names were masked in the free text (titles, quotes) but the reports printed
the sources' ids, file names and the run's notes as they were.
"""

from __future__ import annotations

import pytest

from maillage.analytics.report import render_report
from maillage.analytics.reports import render_observatory_report, render_pole_report, render_territory_report
from maillage.graph import open_store

from _person_sources import build_store, traces


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with open_store(str(build_store(tmp_path_factory.mktemp("report-sources")))) as s:
        yield s


def _pole_id(store) -> str:
    return next(a.id for a in store.iter_actors() if a.name == "Pôle Lauragais Solidaire")


WRITERS = {
    "pole": lambda s, p, lang: render_pole_report(s, _pole_id(s), p, lang=lang),
    "territory": lambda s, p, lang: render_territory_report(s, "departement:31", p, lang=lang),
    "observatory": lambda s, p, lang: render_observatory_report(s, p, lang=lang),
    "analysis": lambda s, p, lang: render_report(s, s.runs()[-1].id, p, lang=lang),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", list(WRITERS))
def test_no_report_names_the_person_a_source_is_named_after(store, tmp_path, kind, lang):
    path = WRITERS[kind](store, tmp_path / f"rapport-{kind}.html", lang)
    files = sorted(tmp_path.iterdir())  # the report, and its map and spreadsheet when it writes them
    assert path in files
    for f in files:
        assert traces(f.read_text(encoding="utf-8-sig")) == [], f.name
    html = path.read_text(encoding="utf-8")
    word = "[personne 1]" if lang == "fr" else "[person 1]"
    # the sources are still there, masked: the reader can tell them apart and cite them
    assert f"entretien-{word}.jsonl" in html or f"entretien-{word}" in html
    if kind != "analysis":  # the reports that list their sources by id
        assert f"cr_{word}_2019" in html and f"notes-{word}.jsonl" in html
