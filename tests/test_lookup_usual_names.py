"""The names people use for the big intercommunalities, typed after ``--territory``
(maillage/queries/lookup.py): a collectivité's walk-through found « Grand Lyon » and
« Aix-Marseille-Provence » refused with no candidate offered (notes/h156.md)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from maillage.cli import app
from maillage.graph import open_store
from maillage.graph.store import NotFound
from maillage.loaders import load_reference
from maillage.queries.lookup import Ambiguous, find_territory, territory_candidates

LYON, AMP, MGP, MEL = "epci:200046977", "epci:200054807", "epci:200054781", "epci:200093201"


@pytest.mark.parametrize("typed, expected", [
    ("Grand Lyon", LYON),  # the Métropole's usage name (« Grand Lyon, la Métropole »)
    ("Métropole de Lyon", LYON),
    ("Lyon Métropole", LYON),
    ("Aix-Marseille-Provence", AMP),  # the official name without « Métropole d' »
    ("Métropole Aix-Marseille-Provence", AMP),
    ("Aix-Marseille-Provence Métropole", AMP),
    ("Grand Paris", MGP),
    ("Métropole du Grand Paris", MGP),
    ("Nantes Métropole", "epci:244400404"),
    ("Métropole de Nantes", "epci:244400404"),
    ("Toulouse Métropole", "epci:243100518"),
    ("Métropole de Toulouse", "epci:243100518"),
    ("Eurométropole de Strasbourg", "epci:246700488"),
    ("Strasbourg Eurométropole", "epci:246700488"),
    ("Métropole Européenne de Lille", MEL),
    ("Métropole de Lille", MEL),
    ("Lille Métropole", MEL),
    ("MEL", MEL),
    ("Nice Côte d'Azur", "epci:200030195"),
])
def test_the_names_people_use_find_their_territory(typed, expected):
    assert find_territory(typed) == expected
    assert territory_candidates(typed)[0] == expected  # the search box offers it first


@pytest.mark.parametrize("typed, expected", [
    ("Lyon", "commune:69123"), ("Toulouse", "commune:31555"), ("Nantes", "commune:44109"),
    ("Paris", "commune:75056"), ("Rhône", "departement:69"), ("Nice", "commune:06088"),
    ("Marseille", "commune:13055"), ("Lille", "commune:59350"),
])
def test_the_central_commune_keeps_its_name(typed, expected):
    """The core of « Métropole de Lyon » is the commune's name: it stays the commune's."""
    assert find_territory(typed) == expected


def test_an_intercommunality_word_with_no_metropole_still_lists_the_choice():
    with pytest.raises(Ambiguous) as e:
        find_territory("Agglomération de Toulouse")
    assert "epci:243100518" in str(e.value) and "commune:31555" in str(e.value)


@pytest.mark.parametrize("typed, offered", [
    ("Grand Lyone", LYON),
    ("Métropole Aix Marseille", AMP),
    ("Eurometropole de Strasbourgg", "epci:246700488"),
    ("Haute Garone", "departement:31"),
    ("Métropole Européene Lille", MEL),
])
def test_a_name_nearly_right_is_refused_with_the_closest_names(typed, offered):
    with pytest.raises(NotFound) as e:
        find_territory(typed)
    said = str(e.value)
    assert f"no territory named {typed!r}" in said and "did you mean:" in said, said
    assert said.splitlines()[1].endswith(f"— {offered}"), said  # the closest first
    assert len(said.splitlines()) <= 6, said
    assert territory_candidates(typed)[0] == offered


def test_a_name_near_nothing_is_refused_without_candidates():
    with pytest.raises(NotFound) as e:
        find_territory("Atlantide")
    assert "did you mean" not in str(e.value) and "\n" not in str(e.value)
    assert territory_candidates("Atlantide") == territory_candidates("zzzz") == []


# -- on the command line, on the reference store -------------------------------------------------

@pytest.fixture(scope="module")
def ref_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("usual") / "ref.db"
    s = open_store(str(db))
    load_reference(s)
    s.close()
    return db


def cli(db, *args):
    return CliRunner().invoke(app, ["--store", str(db), *args])


def test_report_by_a_usual_name_and_a_typo_on_the_command_line(ref_db, tmp_path):
    r = cli(ref_db, "report", "--territory", "Grand Lyon", "-o", str(tmp_path / "lyon.html"))
    assert r.exit_code == 0, r.output
    assert "Métropole de Lyon" in (tmp_path / "lyon.html").read_text(encoding="utf-8")
    said = " ".join(r.output.split())
    # what the reference geography holds for it, said where it is chosen
    assert "collectivité à statut particulier" in said and "pas un EPCI" in said, said
    assert "Rhône (69)" in said, said
    r = cli(ref_db, "report", "--territory", "Grand Lyone", "-o", str(tmp_path / "typo.html"))
    assert r.exit_code == 1 and not (tmp_path / "typo.html").exists()
    assert "aucun territoire nommé 'Grand Lyone'" in r.output and "vouliez-vous dire :" in r.output, r.output
    assert "Métropole de Lyon — epci:200046977" in r.output, r.output
    r = cli(ref_db, "viz", "--territory", "Aix-Marseille-Provence", "-o", str(tmp_path / "amp.html"))
    assert r.exit_code == 0, r.output
    r = cli(ref_db, "report", "--territory", "Toulouse Métropole", "-o", str(tmp_path / "tlse.html"))
    assert r.exit_code == 0 and "statut particulier" not in r.output, r.output


def test_viz_says_what_the_geography_holds_for_the_metropole_de_lyon_as_report_does(ref_db, tmp_path):
    """The map of the Métropole de Lyon or of the Rhône is drawn from the same geography as the
    report: the same note, where the territory is chosen (viz printed none)."""
    r = cli(ref_db, "viz", "--territory", "Métropole de Lyon", "-o", str(tmp_path / "lyon.html"))
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "remarque : la Métropole de Lyon est une collectivité à statut particulier" in said, said
    r = cli(ref_db, "viz", "--territory", "69", "--lang", "en", "-o", str(tmp_path / "rhone.html"))
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "note: the Rhône (69) counts here the 58 communes of the Métropole de Lyon" in said, said
    r = cli(ref_db, "viz", "--territory", "Aix-Marseille-Provence", "-o", str(tmp_path / "amp.html"))
    assert r.exit_code == 0 and "statut particulier" not in r.output, r.output
