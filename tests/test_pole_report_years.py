"""A pôle animator's lists, year after year, in the pôle report (walk h142): a member's date de
sortie shows as its leaving, a funder named on two years' lists is one funding tie, and K10
counts the ties between members as the report's internal ties do (one definition)."""

from __future__ import annotations

import pytest

from _loading import load_file
from maillage.analytics.criteria import evaluate_criteria
from maillage.analytics.poles import funding_ties, pole_context, pole_diagnostic
from maillage.analytics.reports import _turnover

POLE = "PTCE Figeac Coopère"
HEADER = "Nom;N° SIRET;Forme juridique;Code postal;Commune;Rôle;Date d'adhésion;Date de sortie"
Y2024 = [
    "Recyclerie du Figeacois;76786209730947;Association loi 1901;46100;Figeac;Membre fondateur;2019;",
    "Boulangerie Martin;73010507944883;SARL;46100;Figeac;Membre;14/06/2019;31/12/2023",
    "Garage Solidaire du Lot;85095375358726;Association loi 1901;46100;Figeac;Membre;2021;",
    "Scop Lotoise;44659801300162;SCOP;46000;Cahors;Membre;2020;",
    "Région Occitanie;;Région;31000;Toulouse;Financeur;;",
]
Y2025 = [Y2024[0], Y2024[2], Y2024[3], Y2024[4]]


def write(path, rows):
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def pole_id(store):
    (pole,) = [a for a in store.iter_actors() if a.family == "pole"]
    return pole.id


def test_a_date_de_sortie_shows_the_member_leaving_the_year_after(store, tmp_path):
    """One list without a year, a member « Date de sortie 31/12/2023 », the others still members:
    the table goes on to 2024, where it has left (it stopped at 2023, no « Sorties »)."""
    load_file(store, write(tmp_path / "membres.csv", Y2024), options={"pole": POLE}, rejects_dir=tmp_path)
    rows, _ = _turnover(store, pole_id(store), None, "fr")
    by_year = {r["year"]: r for r in rows}
    assert max(by_year) == 2024
    assert by_year[2024]["exits"] == ["Boulangerie Martin"] and by_year[2024]["members"] == 3
    assert by_year[2023]["exits"] == [] and by_year[2023]["members"] == 4
    # as of 2023 the report stops there
    rows, _ = _turnover(store, pole_id(store), 2023, "fr")
    assert max(r["year"] for r in rows) == 2023


def test_a_date_de_sortie_to_come_is_no_departure_yet(store, tmp_path):
    """« Date de sortie 31/12/2030 »: the table stopped at 2031 with the member gone; it stops at
    this year, the member still there."""
    from maillage.clock import paris_time

    later = [Y2024[0], Y2024[1].replace("31/12/2023", "31/12/2030"), *Y2024[2:]]
    load_file(store, write(tmp_path / "membres.csv", later), options={"pole": POLE}, rejects_dir=tmp_path)
    rows, _ = _turnover(store, pole_id(store), None, "fr")
    assert rows[-1]["year"] == paris_time().year
    assert "Boulangerie Martin" not in [n for r in rows for n in r["exits"]]


def test_yearly_lists_end_with_the_last_list(store, tmp_path):
    """Lists given their year: every membership ends with its list; the table ends with the last
    list (2025), not a year after it where everyone would have left."""
    for y, rows in (("2024", Y2024), ("2025", Y2025)):
        load_file(store, write(tmp_path / f"membres_{y}.csv", rows), options={"pole": POLE, "year": y},
                  rejects_dir=tmp_path)
    rows, _ = _turnover(store, pole_id(store), None, "fr")
    assert rows[-1]["year"] == 2025 and rows[-1]["members"] == 3


@pytest.fixture
def two_years(store, tmp_path):
    for y, rows in (("2024", Y2024), ("2025", Y2025)):
        load_file(store, write(tmp_path / f"membres_{y}.csv", rows), options={"pole": POLE, "year": y},
                  rejects_dir=tmp_path)
    return store


def test_a_funder_on_two_years_lists_is_one_funding_tie(two_years):
    """« Financeur » on 2024's list and on 2025's: one funder, one tie from 2024 to 2025 (it was
    counted as 2 ties, « Liens (n = 2) »)."""
    ctx = pole_context(two_years, pole_id(two_years))
    ties, _ = funding_ties(ctx)
    assert len(ties) == 1 and (ties[0].start, ties[0].end) == ("2024", "2025")
    (funder,) = pole_diagnostic(two_years, pole_id(two_years)).funding.funders
    assert funder.actor.name == "Région Occitanie" and funder.ties == 1


def test_k10_counts_the_ties_between_members_as_the_internal_ties(two_years):
    """The founder named on two lists made 2 « founded » statements to the pôle: K10 said « 2
    lien(s) entre elles » while the report said no direct tie between members. Both now count the
    pairs of members tied directly: none."""
    pid = pole_id(two_years)
    assert pole_diagnostic(two_years, pid).internal.ties == 0
    (k10,) = [c for c in evaluate_criteria(two_years, pid) if c.id == "K10"]
    assert k10.state is None and "2 lien" not in k10.reason
    assert "aucun lien direct entre elles" in k10.reason


def test_a_member_missing_from_a_year_s_list_is_no_member_that_year(store, tmp_path):
    """The Garage is on 2024's list, missing from 2025's and on 2026's again with its date
    d'adhésion 2021: the lists say it was no member in 2025. It counted as one (its 2026
    membership runs from 2021), so it never left. It now leaves in 2025 and comes back in 2026,
    in the evolution, in the report's table and in the territory diagnostic of 2025."""
    from maillage.analytics.evolution import evolution
    from maillage.analytics.territory import territory_diagnostic

    y2025 = [Y2024[0], Y2024[3], Y2024[4]]
    y2026 = [Y2024[0], Y2024[2], Y2024[3], Y2024[4]]
    for y, rows in (("2024", Y2024), ("2025", y2025), ("2026", y2026)):
        load_file(store, write(tmp_path / f"membres_{y}.csv", rows), options={"pole": POLE, "year": y},
                  rejects_dir=tmp_path)
    pid = pole_id(store)
    rows, _ = _turnover(store, pid, None, "fr")
    by_year = {r["year"]: r for r in rows}
    assert "Garage Solidaire du Lot" in by_year[2025]["exits"] and by_year[2025]["members"] == 2
    assert by_year[2026]["entries"] == ["Garage Solidaire du Lot"] and by_year[2026]["members"] == 3
    # its date d'adhésion still holds for the years no list covers: a member since 2021
    (pt,) = evolution(store, pole=pid, years=[2021, 2022, 2023]).poles.items
    assert [t.members for t in pt.years] == [4, 4, 4]
    assert pt.years[0].entries.items[-1].name == "Garage Solidaire du Lot"
    d = territory_diagnostic(store, "departement:46", as_of=2025)
    assert "Garage Solidaire du Lot" in [e.name for e in d.not_observed.items]
    assert "Garage Solidaire du Lot" not in [e.name for e in d.actors.items]
