"""What people type for an actor or a territory (maillage/queries/lookup.py), and the CLI
commands that take it: `maillage report --pole/--territory`, `maillage viz`."""

from __future__ import annotations

import pytest
from stdnum import luhn
from typer.testing import CliRunner

from maillage.cli import app
from maillage.graph import open_store
from maillage.graph.store import NotFound
from maillage.loaders import load_file, load_reference
from maillage.queries.lookup import SHOWN, Ambiguous, find_actor, find_territory, territory_candidates


@pytest.fixture(scope="module")
def ref(tmp_path_factory):
    db = tmp_path_factory.mktemp("lookup") / "ref.db"
    s = open_store(str(db))
    load_reference(s)
    yield s
    s.close()


def only(store, name, family=None):
    """The id of the one actor whose name is exactly ``name`` (independent of the lookup)."""
    ids = [a.id for a in store.search(name, family=family, limit=500) if a.name == name]
    assert len(ids) == 1, ids
    return ids[0]


def test_an_id_is_taken_as_it_is(ref):
    pole = only(ref, "Le Périscope", "pole")
    assert find_actor(ref, pole) == pole
    assert find_actor(ref, f"  {pole} ") == pole


def test_a_name_is_compared_as_entity_resolution_compares_names(ref):
    pole = only(ref, "Le Périscope", "pole")
    for typed in ("Le Périscope", "le periscope", "PERISCOPE", "Périscope (le)"):
        assert find_actor(ref, typed) == pole, typed


def test_a_part_of_a_name_finds_the_one_actor_holding_it_and_family_narrows(ref):
    pole = only(ref, "Le Périscope", "pole")
    assert find_actor(ref, "périscop", family="pole") == pole
    with pytest.raises(Ambiguous) as e:  # the association that preceded it holds it too
        find_actor(ref, "périscop")
    listed = [a.id for a in ref.search("périscop")]
    assert len(listed) >= 2 and all(i in str(e.value) for i in listed)


def test_several_answers_are_listed_with_their_ids_and_never_chosen(ref):
    with pytest.raises(Ambiguous) as e:
        find_actor(ref, "CRESS")
    cress = {a.id for a in ref.search("cress")}
    assert len(cress) > 2 and cress <= set(str(e.value).split())
    with pytest.raises(Ambiguous) as e:
        find_actor(ref, "ess")
    msg = str(e.value)
    lines = [ln for ln in msg.splitlines()[1:] if ln.strip() != "…"]
    assert len(lines) == SHOWN and msg.rstrip().endswith("…")  # more than SHOWN hold it: cut, and says so
    for ln in lines:
        typed = ln.rsplit(" — ", 1)[1].split(" (")[0]
        assert find_actor(ref, typed) == typed  # each line gives an id the next command takes


def test_a_typo_gets_suggestions_not_a_choice(ref):
    pole = only(ref, "Le Périscope", "pole")
    with pytest.raises(NotFound) as e:
        find_actor(ref, "Perisocpe", family="pole")  # letters swapped (« Peri scope » has both words in it)
    assert not isinstance(e.value, Ambiguous)
    assert pole in str(e.value) and "closest names" in str(e.value)
    with pytest.raises(NotFound) as e:
        find_actor(ref, "Qwxzy Bnvtr")
    assert "closest" not in str(e.value)


def test_persons_are_never_found_by_name_nor_suggested(ref):
    persons = [a for a in ref.iter_actors(include_persons=True) if a.personal_data]
    assert persons
    for p in persons[:20]:
        with pytest.raises(NotFound) as e:
            find_actor(ref, p.name)
        msg = str(e.value)
        assert p.id not in msg and not any(p.name in ln for ln in msg.splitlines()[1:])  # only echoed, not listed
        with pytest.raises(NotFound) as e:
            find_actor(ref, p.name[:-1])  # near miss: suggestions leave persons out too
        assert not any(p.name in ln or p.id in ln for ln in str(e.value).splitlines()[1:])


@pytest.fixture
def with_identifiers(tmp_path):
    """A two-row SCDL file: the Sicoval (its real SIREN) funds two establishments of one association."""
    siren = "41234567" + luhn.calc_check_digit("41234567")
    sirets = [siren + n + luhn.calc_check_digit(siren + n) for n in ("0001", "0002")]
    rows = ["nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant;nature",
            f"CA du Sicoval;24310063300013;2021-01-01;Les Jardins;{sirets[0]};Aide;1000;aide en numéraire",
            f"CA du Sicoval;24310063300013;2021-02-01;Les Jardins;{sirets[1]};Aide;2000;aide en numéraire"]
    f = tmp_path / "scdl.csv"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    s = open_store(str(tmp_path / "s.db"))
    load_file(s, f, rejects_dir=tmp_path)
    yield s, siren, sirets
    s.close()


def test_siren_siret_and_spaces(with_identifiers):
    s, siren, sirets = with_identifiers
    jardins = only(s, "Les Jardins")
    assert find_actor(s, siren) == jardins
    assert find_actor(s, sirets[1]) == jardins  # a SIRET finds its company, establishments roll up
    assert find_actor(s, f"{siren[:3]} {siren[3:6]} {siren[6:]}") == jardins
    assert find_actor(s, "243 100 633") == only(s, "CA du Sicoval")
    bad = siren[:-1] + str((int(siren[-1]) + 1) % 10)  # fails Luhn: not an identifier, and no such name
    with pytest.raises(NotFound):
        find_actor(s, bad)
    other = "55203253" + luhn.calc_check_digit("55203253")
    with pytest.raises(NotFound, match=f"SIREN {other}"):
        find_actor(s, other)


@pytest.mark.parametrize("typed, expected", [
    ("Haute-Garonne", "departement:31"), ("31", "departement:31"), ("2A", "departement:2A"),
    ("departement:31", "departement:31"), ("Sicoval", "epci:243100633"), ("Occitanie", "region:76"),
    ("Toulouse", "commune:31555"), ("31400", "commune:31555"),
    ("commune:75101", "commune:75056"),  # an arrondissement's code: the commune it is part of
    ("243100633", "epci:243100633"), ("243 100 518", "epci:243100518"),  # an EPCI's SIREN (Toulouse Métropole)
    ("213105554", "commune:31555"),  # the commune of Toulouse's SIREN
])
def test_territories_by_name_code_or_id(typed, expected):
    assert find_territory(typed) == expected


def test_a_siren_no_territory_has_is_refused_by_its_digits():
    with pytest.raises(NotFound, match="no commune, EPCI or EPT with SIREN 200000000"):
        find_territory("200 000 000")


def test_homonymous_territories_are_listed_and_unknown_ones_refused():
    with pytest.raises(Ambiguous) as e:
        find_territory("Saint-Denis")
    assert {"commune:93066", "commune:97411"} <= set(e.value.args[0].replace("\n", " ").split())
    for typed in ("Nowhere Land", "commune:99999", "xx:1"):
        with pytest.raises(NotFound):
            find_territory(typed)


# -- the commands that take them -----------------------------------------------------------------

def cli(db, *args):
    return CliRunner().invoke(app, ["--store", str(db), *args])


def test_territory_candidates_for_a_search_box():
    """What find_territory accepts comes first; then the names starting with what was typed,
    widest level first, then the most populous (checked against the geography itself)."""
    from maillage.geography import load_geography
    from maillage.geography.names import normalize_name

    geo = load_geography()
    assert territory_candidates("Haute-Garonne") == ["departement:31"]
    assert territory_candidates("haute gar")[0] == "departement:31"  # a start, accents/hyphens aside
    assert territory_candidates("31")[0] == "departement:31"
    assert territory_candidates("departement:31") == ["departement:31"]
    assert territory_candidates("departement:999") == territory_candidates("zzzz") == []
    assert territory_candidates("Sa") == []  # under three letters, no start-of-name search
    got = territory_candidates("Toul", limit=50)
    assert got[0] == "commune:54528"  # Toul itself: an exact name first
    rest = [geo.get(t) for t in got[1:]]
    assert all(normalize_name(t.name).startswith("toul") for t in rest)
    ranks = [({"region": 1, "departement": 2, "epci": 3, "ept": 4}.get(t.level, 5), -(t.population or 0)) for t in rest]
    assert ranks == sorted(ranks) and rest[0].level == "epci"  # Toulouse Métropole before the communes
    communes = [t.name for t in rest if t.level == "commune"]
    assert communes[0] == "Toulouse"  # the most populous commune whose name starts so
    # homonyms by size: the two big Saint-Denis before the villages
    assert set(territory_candidates("Saint-Denis")[:2]) == {"commune:93066", "commune:97411"}
    assert len(territory_candidates("Saint", limit=7)) == 7


def test_reports_and_maps_by_name(ref, tmp_path):
    db = ref.uri.removeprefix("sqlite:///")
    pole = only(ref, "Le Périscope", "pole")
    r = cli(db, "report", "--pole", "le périscope", "-o", str(tmp_path / "p.html"))
    assert r.exit_code == 0, r.output
    assert "Le Périscope" in (tmp_path / "p.html").read_text(encoding="utf-8")
    r = cli(db, "report", "--territory", "Haute-Garonne", "-o", str(tmp_path / "t.html"))
    assert r.exit_code == 0, r.output
    assert "Haute-Garonne" in (tmp_path / "t.html").read_text(encoding="utf-8")
    r = cli(db, "viz", "pole", "Périscope", "-o", str(tmp_path / "m.html"))
    assert r.exit_code == 0, r.output
    assert pole in (tmp_path / "m.html").read_text(encoding="utf-8")


def test_an_ambiguous_name_exits_1_listing_the_ids_and_writes_nothing(ref, tmp_path):
    db = ref.uri.removeprefix("sqlite:///")
    r = cli(db, "viz", "territory", "Saint-Denis", "-o", str(tmp_path / "t.html"))
    assert r.exit_code == 1 and "commune:93066" in r.output
    r = cli(db, "report", "--pole", "Pôle", "-o", str(tmp_path / "p.html"))
    assert r.exit_code == 1 and "plusieurs pôles ont 'Pôle' dans leur nom ; donnez l'identifiant de l'un d'eux" \
        in r.output
    assert "pole-laine-du-pays-des-sauges-4e9f92 (Pôle · Nouvelle-Aquitaine)" in r.output  # the list, as it was
    r = cli(db, "report", "--pole", "Pôle", "-o", str(tmp_path / "p.html"), "--lang", "en")
    assert r.exit_code == 1 and "give one of their ids" in r.output
    assert not list(tmp_path.iterdir())


def test_candidates_of_an_ambiguous_name_give_their_family_as_a_person_reads_it(ref, tmp_path):
    """A collectivité's walk-through: « Conseil régional » is held by several actors; each
    candidate reads « Collectivité », not the family code « collectivite » (English labels
    with --lang en)."""
    db = ref.uri.removeprefix("sqlite:///")
    region = only(ref, "Conseil régional Bourgogne", "collectivite")
    r = cli(db, "export", "--format", "nodes.csv", "--actor", "Conseil régional", "-o", str(tmp_path / "n.csv"))
    assert r.exit_code == 1, r.output
    line = next(ln for ln in r.output.splitlines() if region in ln)
    assert line.strip() == f"Conseil régional Bourgogne — {region} (Collectivité · Bourgogne-Franche-Comté)"
    assert "collectivite," not in r.output and "(collectivite" not in r.output
    assert "(Réseau, fédération · France)" in r.output  # the CNCRES holds it too: another family, its label
    r = cli(db, "--lang", "en", "export", "--format", "nodes.csv", "--actor", "Conseil régional",
            "-o", str(tmp_path / "n.csv"))
    assert r.exit_code == 1 and f"{region} (Local authority · Bourgogne-Franche-Comté)" in r.output
    assert "Collectivité" not in r.output
    assert not list(tmp_path.iterdir())


def test_candidates_of_an_ambiguous_name_are_in_french_order(tmp_path):
    """The list of candidates for an ambiguous name puts « Épicerie du Lot » with the E and
    « atelier du Lot » with the A (it put accented and lower-case initials after « Ville »)."""
    import json

    names = ["Ville du Lot", "Épicerie du Lot", "atelier du Lot", "Bocal du Lot"]
    path = tmp_path / "lot.jsonl"
    path.write_text("".join(json.dumps({"record": "actor", "key": f"a{i}", "name": n, "family": "ess",
                                        "kind": "association", "provenance": {"document": "d", "locator": "L1"}},
                                       ensure_ascii=False) + "\n" for i, n in enumerate(names)), encoding="utf-8")
    with open_store(str(tmp_path / "lot.db")) as s:
        load_file(s, path, rejects_dir=tmp_path)
        with pytest.raises(Ambiguous) as e:
            find_actor(s, "du Lot")
    said = str(e.value)
    assert [said.index(n) for n in ("atelier du Lot", "Bocal du Lot", "Épicerie du Lot", "Ville du Lot")] == sorted(
        said.index(n) for n in names)
