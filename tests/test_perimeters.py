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
    geo = load_geography()
    for a in poles:  # the merged perimeter is made of its statements' readings (graph/merge.py)
        readings = [read_perimeter(geo, st.pole.perimeter_text)
                    for _, st in reference.statements_of([a.id])[a.id] if st.pole and st.pole.perimeter_text]
        assert set(a.pole.perimeter) <= {t for r in readings for t in r.ids}, a.name
        if a.pole.perimeter:
            assert a.pole.perimeter_read == ("approximate" if all(r.approximate for r in readings if r.ids)
                                             else "exact"), a.name
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


def test_a_coarse_or_approximate_reading_does_not_widen_a_finer_one(reference):
    """Le Périscope's texts read as the Sicoval, Ramonville-Saint-Agne and (« Midi-Pyrénées –
    Haute-Garonne ») the whole Haute-Garonne: the merged perimeter is the two finer readings, not
    the département around them; ARDAINES is the Ardennes (exact, and approximately from « Parc
    naturel régional des Ardennes »), not all of Grand Est. Criterion K7 then no longer counts
    every member located only in the Haute-Garonne as inside the Périscope's perimeter."""
    from maillage.analytics.criteria import evaluate_criteria

    periscope = reference.get_actor("periscope-le-periscope-248958").pole
    assert (periscope.perimeter, periscope.perimeter_read) == (["commune:31446", "epci:243100633"], "exact")
    ardaines = reference.get_actor("ardaines-ab7f82").pole
    assert (ardaines.perimeter, ardaines.perimeter_read) == (["departement:08"], "exact")
    k7 = next(c for c in evaluate_criteria(reference, "periscope-le-periscope-248958") if c.id == "K7")
    assert k7.state is None and "trop peu" in k7.reason


def test_a_pole_read_only_approximately_keeps_its_readings_and_says_so(reference):
    """Pôle Sud Aquitain's four texts are all approximate (« Sud Aquitaine », « sud des
    Landes »…): they are kept, the finest (the Landes) rather than the five départements of
    former Aquitaine around it, and its diagnostic says the perimeter is read approximately."""
    from maillage.analytics.poles import pole_diagnostic

    pid = "pole-de-cooperation-sud-aquitaine-pole-s-990549"
    info = reference.get_actor(pid).pole
    assert (info.perimeter, info.perimeter_read) == (["departement:40"], "approximate")
    fr, en = pole_diagnostic(reference, pid), pole_diagnostic(reference, pid, lang="en")
    assert (fr.perimeter_read, fr.perimeter_note, en.perimeter_note) == (
        "approximate", "lu approximativement", "read approximately")
    exact = pole_diagnostic(reference, "periscope-le-periscope-248958")
    assert (exact.perimeter_read, exact.perimeter_note) == ("exact", "")


@pytest.mark.parametrize("lang,note", [("fr", "(lu approximativement)"), ("en", "(read approximately)")])
def test_the_pole_report_says_the_perimeter_is_read_approximately(reference, tmp_path, lang, note):
    from maillage.analytics.reports import render_pole_report

    page = render_pole_report(reference, "pole-de-cooperation-sud-aquitaine-pole-s-990549", tmp_path / "p.html",
                              lang=lang).read_text(encoding="utf-8")
    assert note in page
    other = render_pole_report(reference, "periscope-le-periscope-248958", tmp_path / "q.html",
                               lang=lang).read_text(encoding="utf-8")
    assert "Ramonville" in other and note not in other
