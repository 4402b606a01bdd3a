"""French administrative geography: shipped data, tree navigation, names, free-text places."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import os
import re
import tarfile
from pathlib import Path

import pytest
from stdnum.fr import siren as stdnum_siren

from _env import unavailable

from maillage.geography import (
    Territory,
    UnknownTerritory,
    load_geography,
    normalize_name,
    place_is_inferred,
)
from maillage.geography.reference import DATA_PATH, Geography, level_rank, read_payload

ROOT = Path(__file__).resolve().parent.parent
SEED_GRAPHS = Path(os.environ.get("MAILLAGE_SHARED", ROOT.parent / "shared")) / "seed-graph"

TOULOUSE, TOULOUSE_METROPOLE, SICOVAL = "commune:31555", "epci:243100518", "epci:243100633"
RAMONVILLE = "commune:31446"


@pytest.fixture(scope="module")
def geo() -> Geography:
    return load_geography()


def _build_script():
    spec = importlib.util.spec_from_file_location("build_geography", ROOT / "scripts" / "build_geography.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------- shipped data


def test_shipped_data_records_its_source(geo):
    v = geo.version
    assert v["package"] == "@etalab/decoupage-administratif"
    assert v["version"] == _build_script().PINNED_VERSION  # rebuilt after every pin change
    assert re.fullmatch(r"[0-9a-f]{64}", v["sha256"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", v["built"])
    assert v["license"] == "MIT" and "Etalab" in v["copyright"]


def test_shipped_copy_is_compact_and_has_notice():
    total = sum(p.stat().st_size for p in DATA_PATH.parent.iterdir())
    assert total < 2_000_000
    notice = (DATA_PATH.parent / "NOTICE.md").read_text("utf-8")
    version = read_payload()["source"]["version"]
    assert version in notice and "MIT" in notice and "Copyright (c)" in notice
    assert "scripts/build_geography.py" in notice


def test_load_is_cached_and_a_rebuild_reads_the_same_geography():
    """The geography is read once per process (the same object comes back), and building it again
    from the packaged payload gives the same territories. No timing here: these machines are shared
    and noisy, so wall-clock limits belong in bench/, not in a test."""
    cached = load_geography()
    assert cached is load_geography()
    rebuilt = Geography(read_payload())
    assert rebuilt is not cached
    for level in ("commune", "epci", "departement", "region"):
        assert [t.id for t in rebuilt.territories(level)] == [t.id for t in cached.territories(level)]
    assert rebuilt.get("31555") == cached.get("31555")


def test_counts_are_plausible(geo):
    count = lambda level: len(geo.territories(level))  # noqa: E731
    assert 34_700 <= count("commune") <= 35_100
    assert 1_200 <= count("epci") <= 1_300
    assert count("departement") == 101
    assert count("region") == 18
    assert [t.id for t in geo.territories("pays")] == ["pays:FR"]


def test_toulouse(geo):
    t = geo.get(TOULOUSE)
    assert (t.id, t.level, t.code, t.name) == (TOULOUSE, "commune", "31555", "Toulouse")
    assert t.siren == "213105554"
    assert t.population > 400_000
    assert "31400" in t.postal_codes
    assert geo.get("31555") == t
    assert geo.parents(TOULOUSE) == [TOULOUSE_METROPOLE, "departement:31"]
    assert geo.ancestors(TOULOUSE) == [TOULOUSE_METROPOLE, "departement:31", "region:76", "pays:FR"]
    assert geo.rollup(TOULOUSE) == {
        "commune": TOULOUSE, "epci": TOULOUSE_METROPOLE,
        "departement": "departement:31", "region": "region:76",
    }
    metro = geo.get(TOULOUSE_METROPOLE)
    assert (metro.name, metro.kind, metro.siren) == ("Toulouse Métropole", "METRO", "243100518")
    assert geo.get("region:76").name == "Occitanie"
    assert geo.get("departement:31").name == "Haute-Garonne"


def test_ramonville_is_in_the_sicoval(geo):
    assert geo.get(RAMONVILLE).name == "Ramonville-Saint-Agne"
    assert geo.rollup(RAMONVILLE)["epci"] == SICOVAL
    assert geo.get(SICOVAL).name == "CA du Sicoval"
    assert RAMONVILLE in geo.communes_of(SICOVAL)
    assert geo.contains(SICOVAL, RAMONVILLE) and not geo.contains(TOULOUSE_METROPOLE, RAMONVILLE)


def test_every_commune_is_in_its_epci_and_in_only_one(geo):
    seen: dict[str, str] = {}
    for epci in geo.territories("epci"):
        for commune in geo.communes_of(epci.id):
            assert commune not in seen, f"{commune} in {seen.get(commune)} and {epci.id}"
            seen[commune] = epci.id
    without = []
    for commune in geo.territories("commune"):
        epci = geo.rollup(commune.id)["epci"]
        if epci is None:
            without.append(commune.name)
        else:
            assert seen[commune.id] == epci
            assert commune.id in geo.communes_of(epci)
    # the four single-commune islands outside any EPCI (CGCT L5210-1-1)
    assert set(without) == {"Île-de-Bréhat", "Île-de-Sein", "L'Île-d'Yeu", "Ouessant"}


def test_sirens_pass_the_luhn_check(geo):
    sirens = [t.siren for t in geo if t.siren]
    assert len(sirens) > 36_000
    bad = [s for s in sirens if not stdnum_siren.is_valid(s)]
    assert bad == []
    assert len(set(sirens)) == len(sirens)


def test_departements_and_regions(geo):
    occitanie = sorted(t.code for t in geo.territories("departement") if geo.parents(t.id) == ["region:76"])
    assert occitanie == ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"]
    assert geo.get("departement:2A").name == "Corse-du-Sud"
    assert geo.parents("departement:974") == ["region:04"]
    assert geo.parents("region:76") == ["pays:FR"] and geo.parents("pays:FR") == []
    assert len(geo.communes_of("departement:31")) == 586
    assert geo.communes_of("commune:31555") == {TOULOUSE}
    dep = geo.get("departement:31")
    assert dep.population == sum(geo.get(c).population for c in geo.communes_of(dep.id))
    assert len(geo.communes_of("pays:FR")) == len(geo.territories("commune"))


def test_cross_departement_epci_has_its_region_as_parent(geo):
    for epci in geo.territories("epci"):
        deps = {geo.rollup(c)["departement"] for c in geo.communes_of(epci.id)}
        parents = geo.parents(epci.id)
        if len(deps) == 1:
            assert parents == list(deps)
        else:
            assert parents[0].startswith(("region:", "pays:")), epci
            assert all(geo.contains(parents[0], d) for d in deps)


def test_contains(geo):
    assert geo.contains("region:76", TOULOUSE)
    assert geo.contains("pays:FR", SICOVAL)
    assert geo.contains(TOULOUSE, TOULOUSE)
    assert geo.contains("epci:200054781", "departement:75")  # Métropole du Grand Paris ⊃ Paris
    assert not geo.contains("departement:31", "region:76")
    assert not geo.contains("region:11", TOULOUSE)


def test_ept_level(geo):
    plaine = geo.get("ept:200057867")
    assert plaine.name == "Plaine Commune" and plaine.kind == "EPT"
    assert geo.parents(plaine.id) == ["epci:200054781"]
    assert "commune:93039" in geo.communes_of(plaine.id)
    assert geo.parents("commune:93039") == ["epci:200054781", "departement:93"]  # not the EPT


def test_by_siren(geo):
    assert geo.by_siren("243100518").id == TOULOUSE_METROPOLE
    assert geo.by_siren("213 105 554").id == TOULOUSE
    assert geo.by_siren("123456789") is None


def test_get_resolves_old_and_sub_municipal_codes(geo):
    assert geo.get("75101").id == "commune:75056"  # Paris 1er arrondissement
    assert geo.get("commune:13201").id == "commune:13055"  # Marseille 1er
    assert geo.get("01340").id == "commune:01015"  # merged into Arboys en Bugey
    assert geo.get("2a004").name == "Ajaccio"
    assert geo.get("commune:99999") is None
    assert geo.get("epci:000000000") is None


def test_clear_errors(geo):
    with pytest.raises(UnknownTerritory, match="unknown territory 'commune:99999'"):
        geo.parents("commune:99999")
    with pytest.raises(UnknownTerritory):
        geo.communes_of("canton:3101")
    with pytest.raises(ValueError, match="unknown level"):
        geo.by_name("Toulouse", level="city")
    with pytest.raises(TypeError):
        geo.get(31555)


# ----------------------------------------------------------------------------- names


def test_address_form():
    import doctest

    from maillage.geography import names

    result = doctest.testmod(names)
    assert result.attempted >= 1 and result.failed == 0


def test_collectivite_names_take_the_article_insee_gives(geo):
    """« Département de la Haute-Garonne », not « de Haute-Garonne »: the article of a
    département's name is INSEE's (type de nom en clair, shipped with the geography), the
    article of a commune's is in its name."""
    from maillage.geography.names import collectivite_name

    deps = geo.territories("departement")
    assert all(t.tncc in range(6) for t in deps)  # every département has one, 0 to 5
    said = {t.code: collectivite_name(t) for t in deps}
    assert [said[c] for c in ("31", "11", "32", "40", "28", "49", "974", "90")] == [
        "Département de la Haute-Garonne", "Département de l'Aude", "Département du Gers", "Département des Landes",
        "Département d'Eure-et-Loir", "Département de Maine-et-Loire", "Département de La Réunion",
        "Département du Territoire de Belfort"]
    assert collectivite_name(geo.get("region:76")) == "Région Occitanie"
    assert [collectivite_name(geo.get(c)) for c in ("31458", "72181", "97101", "17300", "81004", "32160")] == [
        "Commune de Roques", "Commune du Mans", "Commune des Abymes", "Commune de La Rochelle", "Commune d'Albi",
        "Commune de L'Isle-Jourdain"]
    assert [collectivite_name(geo.get(t)) for t in (SICOVAL, TOULOUSE_METROPOLE)] == ["CA du Sicoval",
                                                                                      "Toulouse Métropole"]


def test_normalize_name():
    assert normalize_name("L'Île-Saint-Denis") == normalize_name("ile st denis") == "ile saint denis"
    assert normalize_name("Mans (Le)") == normalize_name("LE MANS") == "mans"
    assert normalize_name("Bœuf") == "boeuf"


def test_by_name(geo):
    assert [t.id for t in geo.by_name("toulouse", level="commune")] == [TOULOUSE]
    assert [t.id for t in geo.by_name("Ramonville St Agne")] == [RAMONVILLE]
    assert [t.id for t in geo.by_name("Mans (Le)")] == ["commune:72181"]
    assert [t.id for t in geo.by_name("Communauté d'agglomération du Sicoval")] == [SICOVAL]
    assert [t.id for t in geo.by_name("Sicoval", level="epci")] == [SICOVAL]
    assert [t.id for t in geo.by_name("Lorraine", level="region")] == ["region:44"]
    # an EPCI's former name, the same établissement (SIREN unchanged)
    assert [t.id for t in geo.by_name("Grand Toulouse")] == ["epci:243100518"]
    assert [t.id for t in geo.by_name("Communauté urbaine du Grand Toulouse")] == ["epci:243100518"]
    assert [t.id for t in geo.by_name("Brest Métropole Océane")] == ["epci:242900314"]
    assert geo.by_name("Lille Métropole Communauté urbaine") == []  # a predecessor, not the MEL
    assert [t.id for t in geo.by_name("Cherbourg-Octeville")] == ["commune:50129"]  # commune déléguée
    saint_denis = {t.id for t in geo.by_name("Saint-Denis", level="commune")}
    assert {"commune:93066", "commune:97411"} <= saint_denis
    assert [t.level for t in geo.by_name("Guyane")] == ["departement", "region"]
    assert geo.by_name("Atlantide") == []


def test_former_epci_names_are_no_current_name_and_name_a_current_epci(geo):
    """Every former name designates an EPCI of the shipped geography, and none of its keys is
    a key of a current EPCI/EPT name (else a current name would be taken for a former one and
    lose to it when statements merge)."""
    from maillage.geography.names import FORMER_EPCI_NAMES, epci_name_keys

    current = {k for t in geo.territories() if t.level in ("epci", "ept") for k in epci_name_keys(t.name)}
    for name, siren in FORMER_EPCI_NAMES.items():
        assert geo.get(f"epci:{siren}") is not None, name
        assert not epci_name_keys(name) & current, name


# ----------------------------------------------------------------------------- free text

HAND_CHECKED = {
    "Toulouse": [TOULOUSE],
    "Clermont-Ferrand, Puy-de-Dôme (Auvergne)": ["commune:63113"],
    "Ramonville (Haute-Garonne)": [RAMONVILLE],
    "Ramonville(-Saint-Agne), Haute-Garonne (Sicoval)": [RAMONVILLE],
    "Tarn / Toulouse / Ramonville": [TOULOUSE, RAMONVILLE, "departement:81"],
    "Lorraine": ["region:44"],
    "Aquitaine-Limousin-Poitou-Charentes": ["region:75"],
    "Région Occitanie": ["region:76"],
    "PACA – Bouches-du-Rhône": ["departement:13"],
    "Communauté d'agglomération du Sicoval": [SICOVAL],
    "Sicoval, Haute-Garonne (implicite)": [SICOVAL],
    "Landes": ["departement:40"],  # not the commune Landes (17)
    "sud Landes": ["departement:40"],
    "Vienne (Isère)": ["commune:38544"],  # the commune, placed by its context
    "Vienne": ["departement:86"],
    "Roussillon / Pays d'Apt, Vaucluse": ["commune:84102", "commune:84003"],  # not Roussillon (38)
    "Valence (Drôme)": ["commune:26362"],
    "Valence": [],  # three homonyms, no context: no guess
    "Saint-Denis (93)": ["commune:93066"],
    "Trouville (Calvados)": ["commune:14715"],  # Trouville-sur-Mer, not Trouville (76)
    "Commercy (55)": ["commune:55122"],
    "Paris": ["commune:75056"],
    "Île-de-France – Paris, Seine-Saint-Denis, Val-de-Marne":
        ["commune:75056", "departement:93", "departement:94"],
    "Guyane": ["departement:973"],
    "France": ["pays:FR"],
    "France (national)": ["pays:FR"],
    "national": ["pays:FR"],
    "Aquitaine (déduit)": ["region:75"],
    "Pays de Grasse, Alpes-Maritimes": ["epci:200039857"],
    "région d'Audruicq, Pas-de-Calais (Hauts de France)": ["epci:246200844"],
    "Dombes / Saône (Rhône-Alpes)": ["epci:200069193"],  # not Saône (Doubs)
    "plateau de Millevaches, Creuse (Limousin)": ["departement:23"],  # not Millevaches (19)
    "Marseille 1er Arrondissement": ["commune:13055"],
    # names as addresses write them: CEDEX and its number, arrondissements as people type them
    "31040 TOULOUSE CEDEX 9": [TOULOUSE],
    # a CEDEX code is no commune's, but its digits still say its département: « Marne » read in
    # passing is not the Marne (51) (Paris's file: a bénéficiaire at Marne-la-Vallée, 77), and
    # with no name of a place, the code's digits place it
    "77455 MARNE LA VALLEE CEDEX 2": ["departement:77"],
    "77455 CEDEX": ["departement:77"],
    "77455 Marne la Vallée": [],  # a code no commune has, not said to be a CEDEX code: no guess
    "20090 AJACCIO CEDEX 9": ["commune:2A004"],
    "51100 REIMS CEDEX": ["commune:51454"],
    "Toulouse Cedex": [TOULOUSE],
    "Lyon 3ème": ["commune:69123"],
    "Paris 11e arr.": ["commune:75056"],
    "Marseille 1er": ["commune:13055"],
    "31520 Ramonville": [RAMONVILLE],
    "75013 PARIS": ["commune:75056"],
    # a postal code and a commune name that disagree: no guess (a Paris subsidy file's row)
    "94270 PARIS": [],
    "31000 LYON": [],
    # … whatever separates them: the code alone would say Toulouse
    "31000;Lyon": [],
    "Lyon (31000)": [],
    "31000, Lyon": [],
    "Paris (75) ; 69001": [],
    "31000;Toulouse": [TOULOUSE],
    "Lyon, Rhône, 69001": ["commune:69123"],
    "Vienne (38200)": ["commune:38544"],  # the code chooses among homonyms, it does not contradict
    # … in one département, the département only (geography.places.postal_code_clash): 31520 is
    # Ramonville-Saint-Agne's code, not Toulouse's (Toulouse was given, the code unheard)
    "31520 Toulouse": ["departement:31"],
    "Toulouse (31520)": ["departement:31"],
    "31520;Toulouse": ["departement:31"],
    "29600 Brest": ["departement:29"],  # 29600 is Morlaix's and three other communes'
    "92210 CLICHY": ["departement:92"],  # a Paris subsidy file's row: 92210 is Saint-Cloud's code
    # … and the code and the name agree: the commune
    "31000 Toulouse": [TOULOUSE],
    "31400 Toulouse": [TOULOUSE],
    "29600 Morlaix": ["commune:29151"],
    "75011 Paris": ["commune:75056"],
    "69003 Lyon": ["commune:69123"],
    "13001 Marseille": ["commune:13055"],
    "Vienne (86000)": ["commune:86194"],  # Poitiers, in the Vienne: the département agrees
    # a code that one name confirms is not set against another name: two communes (the
    # second was dropped with the first, « 31520 » being against « Lyon »)
    "Ramonville (31520), Toulouse": [RAMONVILLE, TOULOUSE],
    "Ramonville (31520), Lyon": [RAMONVILLE],  # Lyon is out of the text's département, as ever
    "Le pôle est implanté à Figeac, dans le Lot.": ["commune:46102"],
    "Europe": [],
    "EU": [],  # not the commune Eu (76)
    "Côte d'Opale": [],
    "ferme de Bouquetot, Pays d'Auge (le texte indique à tort « Ille-et-Vilaine » L262)": [],
    "": [],
}


@pytest.mark.parametrize("text,expected", list(HAND_CHECKED.items()))
def test_resolve_place_hand_checked(geo, text, expected):
    assert [t.id for t in geo.resolve_place(text)] == expected


# One reading of a postal code and a commune name, whichever loader reads the text: what
# resolve_place gives is what a member list's cell gives (members.locate). The first three were read
# two ways; the next ones are rows of the Paris subsidy file (a typo, a former or shortened name: the
# code decides); « 15000 euros » is no place (a number and a common word, not a code and a name).
CODE_AND_NAME = {
    "31000 Toulous": [TOULOUSE],  # a typo: the code decides (it gave no place)
    "31000 Ramonville": ["departement:31"],  # Ramonville-Saint-Agne's short form, Toulouse's code
    "Toulouse, 31520, Haute-Garonne": ["departement:31"],
    "93100 MONRTEUIL": ["commune:93048"],
    "92350 LE PLESSIS-ROBISON": ["commune:92060"],
    "47300 VILLENEIUVE SUR LOT": ["epci:200023307"],  # five communes: their EPCI (not « Lot » read in passing)
    "91100 CORBEIL ESSONNE": ["epci:200059228"],  # two communes: their EPCI (not the Essonne read in passing)
    "15000 euros": [],
    # a person types lowercase: the code decides all the same (it gave no place); « 15000 Euros »,
    # an amount, is no place whatever its case: « euros » is no name near Aurillac's (15000's commune)
    "31000 toulous": [TOULOUSE],
    "15000 Euros": [],
    # Paris subsidy rows whose name is a part or a former commune of the code's commune
    "93210 LA PLAINE SAINT DENIS": ["commune:93066"],
    "50120 EQUEURDREVILLE-HAINNEVIL": ["commune:50129"],
    "91080 COURCOURONNES": ["commune:91228"],
    # a bare code of four communes: the EPCI they share, as a member list's postal-code column gives
    "29600": ["epci:242900835"],
}


@pytest.mark.parametrize("text,expected", list(CODE_AND_NAME.items()))
def test_a_postal_code_and_a_name_read_as_a_member_list_reads_them(geo, text, expected):
    from maillage.loaders.formats import members

    located = members.locate(None, None, text).location
    assert ([t.id for t in geo.resolve_place(text)], located) == (expected, expected[0] if len(expected) == 1 else None)


def test_a_text_naming_two_communes_places_a_member_in_the_territory_holding_both(geo):
    """« 31000 Toulouse et Blagnac » is two communes (resolve_place), and a member list's cell
    placed the member in Toulouse alone (the code read first, « Toulouse et Blagnac » taken for a
    longer name of Toulouse); « Toulouse et Blagnac » without the code gave it no place. A member
    has one place: the territory holding every place the text names (geography.places.one_place),
    whichever cells hold the text, with a warning naming them."""
    from maillage.loaders.formats import members

    blagnac = "commune:31069"
    for text in ("31000 Toulouse et Blagnac", "Toulouse et Blagnac", "31000 Toulouse, Blagnac"):
        assert [t.id for t in geo.resolve_place(text)] == [TOULOUSE, blagnac], text
    said = ("names 2 places (Toulouse, Blagnac): placed in Toulouse Métropole (epci:243100518), which holds "
            "them all")
    for postcode, commune in ((None, "31000 Toulouse et Blagnac"), ("31000 Toulouse et Blagnac", None),
                              ("31000", "Toulouse et Blagnac"), (None, "Toulouse et Blagnac")):
        located = members.locate(None, postcode, commune)
        assert located.location == TOULOUSE_METROPOLE, (postcode, commune)
        assert [why.split("' ", 1)[1] for _, _, why in located.warnings] == [said], (postcode, commune)
    apart = members.locate(None, None, "Toulouse et Lyon")  # in no one EPCI nor département
    assert (apart.location, [why for _, _, why in apart.warnings]) == (None, [
        "'Toulouse et Lyon' names 2 places (Toulouse, Lyon): no EPCI nor département holds them all: no place "
        "given; give one commune"])


# A name read inside a longer text (geography.places._scan) only where it stands as its own words:
# not where a longer place name goes on around it, that the geography does not know (a ville
# nouvelle, a business district, a typo). « Marne la Vallée » was the Marne (51): it spreads over
# communes of the 77, 93 and 94, and is no commune; « VILLENEIUVE SUR LOT » (a city of the Paris
# subsidy file, a typo) was the Lot; « Paris la Défense » (Courbevoie, Puteaux…) was Paris.
INSIDE_A_LONGER_NAME = {
    "Marne la Vallée": [],
    "MARNE LA VALLEE": [],
    "Marne la Vallée cedex": [],
    "MARNE-LA-VALLEE": [],
    "Paris la Défense": [],
    "VILLENEIUVE SUR LOT": [],
    "Saint Étienne de Loire": [],  # Saint-Étienne-de-Baïgorry…: a name of that shape, not the Loire
    "Vallée de la Marne": [],  # a valley over six départements
    # … while a name standing as its own words still counts
    "Mission locale de la Marne": ["departement:51"],
    "CONSEIL DEPARTEMENTAL DE LA SOMME": ["departement:80"],
    "Association du Val de Marne": ["departement:94"],
    "Le pôle est implanté à Figeac, dans le Lot.": ["commune:46102"],
    "LE POLE EST A FIGEAC DANS LE LOT": ["commune:46102"],
    "Toulouse en Occitanie": [TOULOUSE],
    "Regard sur Paris": ["commune:75056"],  # no commune's name ends in « sur Paris »
    # a commune written whole in a longer text, which a name found in passing needs to confirm: not the Marne
    "Association de Champigny sur Marne": [],
    "Association de Champigny sur Marne (Val-de-Marne)": ["commune:94017"],
}


@pytest.mark.parametrize("text,expected", list(INSIDE_A_LONGER_NAME.items()))
def test_a_name_inside_a_longer_place_name_is_not_read(geo, text, expected):
    assert [t.id for t in geo.resolve_place(text)] == expected


def test_a_member_at_marne_la_vallee_gets_no_place_and_a_warning():
    """A member list's commune « Marne la Vallée » without a postal code: no place (it was the
    Marne, 51, without a word), and the warning every unplaceable commune gets."""
    from maillage.loaders.formats import members

    for commune in ("Marne la Vallée", "MARNE LA VALLEE CEDEX"):
        located = members.locate(None, None, commune)
        assert (located.location, [why for _, _, why in located.warnings]) == (None, [
            f"{commune!r} does not designate one commune (unknown or homonyms): give a postal code or an INSEE "
            "code"])


def test_places_examples():
    """The examples of geography.places (postal_code_and_name, one_place…) were run by no test."""
    import doctest

    from maillage.geography import places

    result = doctest.testmod(places)
    assert result.attempted >= 10 and result.failed == 0


def _seed_territories() -> list[str]:
    graphs = sorted(SEED_GRAPHS.glob("*_graph.json"))
    if len(graphs) < 4:
        unavailable(f"seed graphs not found in {SEED_GRAPHS}")
    texts = {a.get("territory") for g in graphs for a in json.loads(g.read_text("utf-8"))["actors"]}
    return sorted(t for t in texts if t and t.strip())


def test_resolve_place_over_the_seed_graphs(geo):
    texts = _seed_territories()
    assert len(texts) > 150
    results = {t: geo.resolve_place(t) for t in texts}
    resolved = [t for t, r in results.items() if r]
    assert len(resolved) / len(texts) >= 0.85, sorted(set(texts) - set(resolved))
    for text, found in results.items():
        assert all(isinstance(t, Territory) for t in found), text
        ranks = [level_rank(t.level) for t in found]
        assert ranks == sorted(ranks), text  # finest first
        assert len({t.id for t in found}) == len(found), text
        for outer in found:  # no result is mere context of another
            assert not any(o is not outer and geo.contains(outer.id, o.id)
                           and not geo.contains(o.id, outer.id) for o in found), text
    # foreign or supranational places never resolve
    for text in texts:
        if text in ("EU", "Europe", "Union européenne", "Luxembourg"):
            assert results[text] == []


def test_place_is_inferred():
    assert place_is_inferred("Aquitaine (déduit)")
    assert place_is_inferred("Toulouse [Midi-Pyrénées – Haute-Garonne: added context]")
    assert place_is_inferred("Clermont-Ferrand (implicite)")
    assert not place_is_inferred("Ramonville, Haute-Garonne")
    assert not place_is_inferred(None)


# ----------------------------------------------------------------------------- build script


def _fake_tarball(path: Path, version: str) -> Path:
    """A tiny package with the same layout as @etalab/decoupage-administratif."""
    files = {
        "package/package.json": {"name": "@etalab/decoupage-administratif", "version": version},
        "package/data/regions.json": [
            {"code": "76", "nom": "Occitanie", "zone": "metro"},
            {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
        ],
        "package/data/departements.json": [
            {"code": "31", "region": "76", "nom": "Haute-Garonne", "typeLiaison": 3, "zone": "metro"},
            {"code": "975", "region": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
        ],
        "package/data/communes.json": [
            {"code": "31555", "nom": "Toulouse", "departement": "31", "region": "76", "zone": "metro",
             "type": "commune-actuelle", "siren": "213105554", "population": 10,
             "codesPostaux": ["31500", "31000"], "anciensCodes": ["31999"]},
            {"code": "31446", "nom": "Ramonville-Saint-Agne", "departement": "31", "region": "76",
             "zone": "metro", "type": "commune-actuelle", "siren": "213104466", "population": 5},
            {"code": "31998", "nom": "Vieux-Village", "departement": "31", "region": "76",
             "zone": "metro", "type": "commune-associee", "chefLieu": "31446"},
            {"code": "97502", "nom": "Saint-Pierre", "departement": "975", "region": "975",
             "zone": "com", "type": "commune-actuelle"},
        ],
        "package/data/epci.json": [
            {"code": "243100633", "nom": "CA du Sicoval", "type": "CA", "modeFinancement": "FPU",
             "membres": [{"code": "31446"}]},
            {"code": "243100518", "nom": "Toulouse Métropole", "type": "METRO",
             "modeFinancement": "FPU", "membres": [{"code": "31555"}]},
        ],
        "package/LICENSE": "MIT License\n\nCopyright (c) 2018-2019 Etalab\n\nPermission…\n",
    }
    tgz = path / f"etalab-decoupage-administratif-{version}.tgz"
    with tarfile.open(tgz, "w:gz") as tar:
        for name, content in files.items():
            raw = content if isinstance(content, str) else json.dumps(content)
            data = raw.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return tgz


def test_build_script_is_deterministic_and_idempotent(tmp_path, capsys):
    script = _build_script()
    tgz = _fake_tarball(tmp_path, "9.9.9")
    out = tmp_path / "out"
    args = ["--version", "9.9.9", "--tarball", str(tgz), "--output", str(out)]
    assert script.main([*args, "--built", "2020-01-01"]) == 0
    first = (out / "geography.json.gz").read_bytes()
    assert script.main(args) == 0  # same data: files and build date kept
    assert (out / "geography.json.gz").read_bytes() == first
    assert "unchanged" in capsys.readouterr().out
    assert script.main([*args, "--check"]) == 0

    payload = json.loads(gzip.decompress(first))
    assert payload["source"]["built"] == "2020-01-01"
    assert payload["source"]["version"] == "9.9.9"
    assert len(payload["regions"]["rows"]) == 1  # the COM is dropped
    geo = Geography(payload)
    assert geo.rollup("31555")["epci"] == "epci:243100518"
    assert geo.get("31999").id == "commune:31555"  # former code
    assert [t.id for t in geo.by_name("Vieux-Village")] == ["commune:31446"]  # commune associée
    assert geo.get("31555").postal_codes == ("31000", "31500")
    assert geo.get("region:76").population == 15
    assert geo.get("departement:31").tncc == 3  # the package's typeLiaison: « de la Haute-Garonne »
    notice = (out / "NOTICE.md").read_text("utf-8")
    assert "9.9.9" in notice and "Copyright (c) 2018-2019 Etalab" in notice


def test_build_script_rejects_a_wrong_version(tmp_path, capsys):
    script = _build_script()
    tgz = _fake_tarball(tmp_path, "9.9.9")
    assert script.main(["--version", "1.0.0", "--tarball", str(tgz), "--output", str(tmp_path)]) == 2
    assert "holds version 9.9.9" in capsys.readouterr().err


def test_build_script_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        _build_script().main(["--help"])
    assert exit_info.value.code == 0
    assert "--version" in capsys.readouterr().out
