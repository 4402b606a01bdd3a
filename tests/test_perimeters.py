"""A pôle's written perimeter read into territories (maillage/geography/perimeters.py), at load
(the maillage-jsonl loader), and what it lets criterion K7 and the territory diagnostic measure."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from maillage.geography import load_geography
from maillage.geography.perimeters import former_regions, read_perimeter

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "analytics-poles.md"


@pytest.fixture(scope="module")
def geo():
    return load_geography()


def reference_texts() -> set[str]:
    texts = set()
    for path in sorted((ROOT / "maillage" / "data" / "reference").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            pole = json.loads(line).get("pole") or {}
            if pole.get("perimeter_text"):
                texts.add(pole["perimeter_text"])
    return texts


def documented_readings() -> dict[str, tuple[str, str]]:
    """The table of docs/analytics-poles.md « Lecture des périmètres du jeu de référence »."""
    section = DOC.read_text(encoding="utf-8").split("### Lecture des périmètres du jeu de référence", 1)[1]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"^\| « (.+) » \| (.*) \| (exacte|approchée|aucune) \|$", line)
        if m:
            rows[m[1].replace("\\|", "|")] = (m[2], m[3])
    return rows


def test_every_reference_perimeter_reads_as_the_docs_table_says(geo):
    table = documented_readings()
    texts = reference_texts()
    assert texts and set(table) == texts
    for text, (ids, kind) in table.items():
        r = read_perimeter(geo, text)
        got = ", ".join(f"`{i}`" for i in r.ids) or "—"
        state = "aucune" if not r.ids else "approchée" if r.approximate else "exacte"
        assert (got, state) == (ids, kind), text


def test_hand_checked_readings(geo):
    assert read_perimeter(geo, "Toulouse (Haute-Garonne)").ids == ("commune:31555",)
    assert read_perimeter(geo, "Île-de-France – Paris, Seine-Saint-Denis, Val-de-Marne").ids == (
        "departement:75", "departement:93", "departement:94")
    # a former région is its départements, not the whole région it is part of today
    assert read_perimeter(geo, "Midi-Pyrénées").ids == tuple(
        f"departement:{d}" for d in ("09", "12", "31", "32", "46", "65", "81", "82"))
    assert read_perimeter(geo, "Languedoc-Roussillon-Midi-Pyrénées").ids == ("region:76",)
    apt = read_perimeter(geo, "Pays d'Apt, Vaucluse (PACA)")
    assert apt.ids == ("departement:84",) and apt.approximate and "« Pays d'Apt »" in apt.reason
    assert read_perimeter(geo, "Sicoval, Haute-Garonne (implicite)").ids == ("epci:243100633",)
    assert read_perimeter(geo, "La Verrière (78)").ids == ("commune:78644",)
    assert read_perimeter(geo, "Midi-Pyrénées – Haute-Garonne").ids == ("departement:31",)
    # a place the text quotes as an error is not read
    bouquetot = read_perimeter(geo, "ferme de Bouquetot, Pays d'Auge (le texte indique à tort « Ille-et-Vilaine » L262)")
    assert bouquetot.ids == () and "Ille-et-Vilaine" not in bouquetot.reason


def test_homonyms_are_refused_and_said(geo):
    r = read_perimeter(geo, "Roussillon")
    assert r.ids == () and "plusieurs territoires" in r.reason and "(38)" in r.reason and "(84)" in r.reason
    # the département named beside it decides
    assert read_perimeter(geo, "Roussillon (Vaucluse)").ids == ("commune:84102",)


def test_nothing_named_gives_no_ids_and_says_why(geo):
    assert read_perimeter(geo, "Sud Est Toulousain").reason.startswith("« Sud Est Toulousain » n'est pas un territoire")
    assert read_perimeter(geo, "").ids == () and read_perimeter(geo, None).ids == ()


def test_the_former_regions_table_tiles_the_current_regions(geo):
    """Every row's départements are in the région it says, and the former régions of a current
    one cover it exactly, once each (the table is the loi n° 2015-29's union)."""
    by_region: dict[str, list[str]] = {}
    for name, (region, deps) in former_regions().items():
        for d in deps:
            assert geo.parents(f"departement:{d}") == [f"region:{region}"], (name, d)
        by_region.setdefault(region, []).extend(deps)
    for region, deps in by_region.items():
        whole = sorted(t.code for t in geo.territories("departement") if geo.parents(t.id) == [f"region:{region}"])
        assert sorted(deps) == whole, region


def test_the_reference_loader_reads_the_perimeter_and_keeps_the_text(reference):
    poles = [a for a in reference.iter_actors() if a.pole and a.pole.perimeter_text]
    assert len(poles) >= 70
    for a in poles:  # a pôle several extractions state has the union of their perimeters (graph/merge.py)
        assert set(read_perimeter(load_geography(), a.pole.perimeter_text).ids) <= set(a.pole.perimeter), a.name
    read = [a for a in poles if a.pole.perimeter]
    assert len(read) > 0.9 * len(poles)
    damier = reference.get_actor("le-damier-193c5d")
    assert damier.pole.perimeter == ["commune:63113"]
    assert damier.pole.perimeter_text == "Clermont-Ferrand (Puy-de-Dôme), région Auvergne"


def test_a_territory_diagnostic_lists_a_pole_by_its_read_perimeter(reference):
    """Matières et Couleurs du Luberon's perimeter, « Pays d'Apt, Vaucluse (PACA) », is the
    Vaucluse: seen from the Vaucluse, the pôle is there by its perimeter."""
    from maillage.analytics.territory import territory_diagnostic

    d = territory_diagnostic(reference, "departement:84")
    codes = {p.id: [r.code for r in p.presence] for p in d.poles.items}
    assert "perimetre" in codes["matieres-et-couleurs-du-luberon-0fac68"]


def test_the_module_examples_hold():
    import doctest

    from maillage.geography import perimeters

    result = doctest.testmod(perimeters)
    assert result.attempted >= 6 and result.failed == 0
