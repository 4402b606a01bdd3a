"""Territory diagnostics on a hand-built store (written as ``maillage-jsonl`` and loaded through
the ordinary loader) whose expected reasons, pôles, funders and border ties are written out
by hand below; and on the reference dataset."""

from __future__ import annotations

import pytest

from maillage.analytics import run
from maillage.analytics.territory import (ISOLATION_CODES, active, collectivite_role, fact_years,
                                          isolated_actors, overlaps, territory_diagnostic)
from maillage.graph import open_store
from maillage.loaders import load_file

from _jsonl import actor, relation, write_jsonl


TOULOUSE, RAMONVILLE, CASTRES, PARIS, CARCASSONNE = ("commune:31555", "commune:31446", "commune:81065",
                                                     "commune:75056", "commune:11069")
SICOVAL = "epci:243100633"

GARONNE = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Haute-Garonne d'essai",
     "documents": {"etude": {"title": "Étude territoriale", "sha256": "cd" * 32}}},
    # located in the Haute-Garonne
    actor("pole", "Pôle Garonne", "pole", "ptce", location=TOULOUSE, pole={"phase": "consolidation"}),
    actor("alpha", "Association Alpha", "ess", "association", location=TOULOUSE),
    actor("bravo", "Menuiserie Bravo", "enterprise", "pme", location=RAMONVILLE),
    actor("financee", "Association Financée", "ess", "association", location=RAMONVILLE),
    actor("seule", "Association Seule", "ess", "association", location=TOULOUSE),
    actor("pref", "Préfecture de la Haute-Garonne", "state", "prefecture", location=TOULOUSE),
    actor("scop", "SCOP Unique", "ess", "scop", location=TOULOUSE),
    actor("regie", "Régie de quartier", "ess", "association", location=RAMONVILLE),
    actor("deux", "Deux associations", "ess", "association", location=TOULOUSE, placeholder=True, group_count=2),
    actor("datee", "Association Datée", "ess", "association", location=TOULOUSE),
    actor("sicoval", "Sicoval", "collectivite", "epci", territory=SICOVAL),
    actor("dep", "Département de la Haute-Garonne", "collectivite", "departement", location=TOULOUSE,
          territory="departement:31"),
    actor("atelier", "Atelier Bois", "ess", "association", location=RAMONVILLE),
    actor("jean", "Jean Martin", "person", "elu", location=TOULOUSE),
    # elsewhere
    actor("tiers", "Tiers-lieu de Castres", "tiers_lieu", "tiers_lieu", location=CASTRES),
    actor("reseau", "Réseau Paris", "network", "reseau_autre", location=PARIS),
    actor("region", "Région Occitanie", "collectivite", "region", territory="region:76"),
    actor("fondnat", "Fondation Nationale", "ess", "fondation"),
    actor("poletarn", "Pôle Tarnais", "pole", "ptce", location=CASTRES),
    actor("poleocc", "Pôle Occitan", "pole", "ptce", location="region:76"),
    actor("polesud", "Pôle Sud-Est", "pole", "ptce", location=CARCASSONNE,
          pole={"perimeter": ["departement:31", "departement:11"]}),
    relation("membership", "alpha", "pole"),
    relation("membership", "bravo", "pole"),
    relation("membership", "regie", "pole"),
    relation("membership", "datee", "pole", start=2018),
    relation("cooperates", "alpha", "bravo"),
    relation("cooperates", "scop", "alpha"),
    relation("partner", "regie", "alpha"),
    relation("funds", "dep", "financee", amount=2000),
    relation("governs", "pref", "pole", body="comité de pilotage"),
    relation("hosts", "sicoval", "pole"),
    relation("funds", "sicoval", "bravo", amount=10000, nature="investissement", year=2016),
    relation("funds", "region", "pole", amount=30000, nature="fonctionnement"),
    relation("supports", "region", "pole", form="co_construction"),
    relation("funds", "fondnat", "alpha", amount=5000),
    relation("cooperates", "alpha", "tiers"),
    relation("partner", "bravo", "tiers"),
    relation("partner", "pole", "reseau"),
    relation("membership", "atelier", "poletarn"),
    relation("cooperates", "atelier", "bravo"),
    relation("represents", "jean", "dep", mandate="conseiller"),
    relation("membership", "jean", "pole"),
    relation("cooperates", "jean", "seule"),
]

#: Every reason of every actor located in the Haute-Garonne, as of no particular year.
EXPECTED_REASONS = {
    "Pôle Garonne": [],
    "Association Alpha": [],
    "Menuiserie Bravo": [],
    "Atelier Bois": [],
    "Association Financée": ["seulement_financement", "hors_pole"],
    "Association Seule": ["aucun_lien", "hors_pole"],  # its only tie is to a natural person
    "Préfecture de la Haute-Garonne": ["hors_lentille", "hors_pole"],
    "SCOP Unique": ["lien_unique", "sans_lien_intersectoriel", "hors_pole"],
    # the pôle and another association, but the Pôle Garonne gathers associations and an
    # enterprise (Menuiserie Bravo): its members cooperate across families (art. 9)
    "Régie de quartier": [],
    "Deux associations": ["aucun_lien", "hors_pole"],
    "Association Datée": ["lien_unique"],  # « Membre du pôle « Pôle Garonne », sans autre lien… »
    "Sicoval": ["lien_unique", "sans_lien_intersectoriel", "hors_pole"],
    "Département de la Haute-Garonne": ["seulement_financement", "hors_pole"],
}


@pytest.fixture
def garonne(tmp_path):
    s = open_store(str(tmp_path / "garonne.db"))
    load_file(s, write_jsonl(tmp_path / "garonne.jsonl", GARONNE), rejects_dir=tmp_path / "rejets")
    yield s
    s.close()


def names(listing) -> list[str]:
    return [x.name for x in listing.items]


def all_listings(obj):
    """Every ``{"size", "items"}`` dict inside a dumped model."""
    if isinstance(obj, dict):
        if set(obj) == {"size", "items"}:
            yield obj
        for v in obj.values():
            yield from all_listings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from all_listings(v)


def test_every_reason_of_every_actor(garonne):
    d = territory_diagnostic(garonne, "departement:31")
    assert d.name == "Haute-Garonne" and d.level == "departement"
    got = {e.name: e.codes for e in d.actors.items}
    assert got == EXPECTED_REASONS
    assert d.actors.size == 13 == len(d.actors.items)
    assert set(names(d.isolated)) == {"Association Financée", "Association Seule"}
    assert names(d.isolated)[0] == "Association Seule"  # no tie at all comes first
    assert set(names(d.peripheral)) == {"SCOP Unique", "Association Datée"}
    # the public bodies a reason would flag are listed apart: funders, not actors to support
    assert set(names(d.public_bodies)) == {"Préfecture de la Haute-Garonne", "Département de la Haute-Garonne",
                                           "Sicoval"}
    # a placeholder is a possible documentation gap, never called isolated
    assert names(d.documentation_gaps) == ["Deux associations"]
    gap = d.documentation_gaps.items[0]
    assert gap.documentation_gap and any("sans être nommé" in c for c in gap.caveats)
    assert d.not_observed.size == 0
    scop = next(e for e in d.actors.items if e.name == "SCOP Unique")
    assert scop.reasons[0].text.endswith(": Association Alpha")
    assert scop.partners == 1 and scop.in_pole is False
    datee = next(e for e in d.actors.items if e.name == "Association Datée")
    assert [r.text for r in datee.reasons] == ["Membre du pôle « Pôle Garonne », sans autre lien direct documenté"]
    pref = next(e for e in d.actors.items if e.name == "Préfecture de la Haute-Garonne")
    assert "gouvernance" in pref.reasons[0].text


def test_families_and_poles_membership(garonne):
    d = territory_diagnostic(garonne, "departement:31")
    fams = {f.family: (f.actors, f.in_pole, f.not_in_pole) for f in d.by_family}
    assert fams == {"ess": (8, 4, 4), "enterprise": (1, 1, 0), "state": (1, 0, 1), "collectivite": (2, 0, 2),
                    "pole": (1, 0, 0)}
    assert (d.in_pole, d.not_in_pole) == (5, 7)
    atelier = next(e for e in d.actors.items if e.name == "Atelier Bois")
    assert [p.name for p in atelier.poles] == ["Pôle Tarnais"]  # a pôle outside the territory


def test_poles_present(garonne):
    d = territory_diagnostic(garonne, "departement:31")
    present = {p.name: [r.code for r in p.presence] for p in d.poles.items}
    assert present == {"Pôle Garonne": ["situe", "membres"], "Pôle Tarnais": ["membres"],
                       "Pôle Sud-Est": ["perimetre"]}
    members_here = {p.name: p.members_here for p in d.poles.items}
    assert members_here == {"Pôle Garonne": 4, "Pôle Tarnais": 1, "Pôle Sud-Est": 0}
    assert {p.name: [r.code for r in p.presence] for p in d.poles_possible.items} == {"Pôle Occitan": ["englobant"]}
    # seen from the Tarn, the Sud-Est perimeter does not reach it
    tarn = territory_diagnostic(garonne, "departement:81")
    assert names(tarn.poles) == ["Pôle Tarnais"]


def test_funders_and_collectivite_roles(garonne):
    d = territory_diagnostic(garonne, "departement:31")
    assert [(f.name, f.amount, f.ties, f.inside) for f in d.funders.items] == [
        ("Région Occitanie", 30000.0, 1, False), ("Sicoval", 10000.0, 1, True),
        ("Fondation Nationale", 5000.0, 1, False), ("Département de la Haute-Garonne", 2000.0, 1, True)]
    assert d.funders.size == 4
    assert [(g.family, g.kind, g.amount) for g in d.funding_by_kind] == [
        ("collectivite", "region", 30000.0), ("collectivite", "epci", 10000.0), ("ess", "fondation", 5000.0),
        ("collectivite", "departement", 2000.0)]
    roles = {r.role: (r.ties, r.stated, r.derived, r.by_level, r.amount) for r in d.collectivite_roles}
    assert roles == {
        "co_construction": (1, 1, 0, {"region": 1}, 0.0),
        "aide_fonctionnement": (1, 0, 1, {"region": 1}, 30000.0),
        "aide_investissement": (1, 0, 1, {"epci": 1}, 10000.0),
        "aide_nature_non_precisee": (1, 0, 1, {"departement": 1}, 2000.0),  # the Département's, without nature
        "mise_a_disposition": (1, 0, 1, {"epci": 1}, 0.0),
    }
    assert [r.role for r in d.collectivite_roles] == ["co_construction", "aide_fonctionnement",
                                                      "aide_investissement", "aide_nature_non_precisee",
                                                      "mise_a_disposition"]
    assert d.collectivite_roles[3].label == "Aide, nature non précisée"
    assert territory_diagnostic(garonne, "departement:31", lang="en").collectivite_roles[3].label == \
        "Aid, nature not stated"
    assert d.collectivite_ties_unqualified == 0  # every tie names a role, or is a grant
    assert d.funded_from_here.size == 0  # every funder located here funds actors located here


def test_what_the_territorys_funders_fund_beyond_it(tmp_path):
    """A collectivité of the territory funding actors located elsewhere or nowhere known (its
    own subsidy file names no address) is listed with those ties, counted independently here
    from the fixture; the funders of the territory's actors are unchanged."""
    extra = [actor("sanslieu", "Association sans adresse", "ess", "association"),
             relation("funds", "sicoval", "tiers", amount=1500, year=2019),
             relation("funds", "sicoval", "sanslieu", amount=300, nature="fonctionnement", year=2020),
             relation("funds", "dep", "fondnat", amount=700),
             relation("funds", "region", "tiers", amount=9999)]  # outside → outside: not this territory's
    s = open_store(str(tmp_path / "g.db"))
    load_file(s, write_jsonl(tmp_path / "g.jsonl", GARONNE + extra), rejects_dir=tmp_path / "rejets")
    d = territory_diagnostic(s, "departement:31")
    got = [(f.name, f.ties, f.amount, f.beneficiaries_outside, f.beneficiaries_unlocated, names(f.beneficiaries),
            f.years) for f in d.funded_from_here.items]
    assert got == [("Sicoval", 2, 1800.0, 1, 1, ["Association sans adresse", "Tiers-lieu de Castres"], [2019, 2020]),
                   ("Département de la Haute-Garonne", 1, 700.0, 0, 1, ["Fondation Nationale"], [])]
    assert d.funded_from_here.size == 2 and all(f.inside for f in d.funded_from_here.items)
    # independent count from plain store reads: funding ties from an actor located here to one that is not
    inside = set(s.actors_in_territory("departement:31"))
    plain = [r for r in s.relations(types=["funds"]) if r.source in inside and r.target not in inside]
    assert sum(f.ties for f in d.funded_from_here.items) == len(plain) == 3
    assert [f.name for f in d.funders.items] == [f.name for f in territory_diagnostic(s, "departement:31").funders.items]
    assert "Sicoval" in [f.name for f in d.funders.items]  # it also funds Bravo, located here
    s.close()


def test_border_crossing_ties(garonne):
    b = territory_diagnostic(garonne, "departement:31").border
    # Alpha–Tiers-lieu, Bravo–Tiers-lieu, Pôle–Réseau Paris, Atelier → Pôle Tarnais
    assert (b.relations, b.pairs) == (4, 4)
    assert b.by_type == {"cooperates": 1, "membership": 1, "partner": 2}
    assert [(o.name, o.inside_partners, o.ties) for o in b.outside_partners.items] == [
        ("Tiers-lieu de Castres", 2, 2), ("Pôle Tarnais", 1, 1), ("Réseau Paris", 1, 1)]
    assert b.outside_partners.size == 3
    assert b.enclosing == 2  # the Région's funding and support: a wider scale, not a border
    assert b.unlocated == 1  # the Fondation Nationale has no known location
    # at commune level, ties between Toulouse and Ramonville cross the border
    t = territory_diagnostic(garonne, TOULOUSE).border
    assert t.by_type.get("cooperates") == 2  # Alpha–Bravo, Alpha–Tiers-lieu


def test_as_of_a_year(garonne):
    d2015 = territory_diagnostic(garonne, "departement:31", as_of=2015)
    # the Association Datée's only tie starts in 2018: not observed, never called isolated
    assert names(d2015.not_observed) == ["Association Datée"]
    assert d2015.not_observed.items[0].tie_years == [2018]
    assert "Association Datée" not in names(d2015.isolated) + names(d2015.peripheral)
    # the Sicoval's 2016 grant (a year field, no start) is not active in 2015
    assert "Sicoval" not in names(d2015.funders)
    assert "aide_investissement" not in {r.role for r in d2015.collectivite_roles}
    # a grant dated by its year holds that year only (vocabulary: `dates_tie`): start = end = 2016
    d2016 = territory_diagnostic(garonne, "departement:31", as_of=2016)
    assert "Sicoval" in names(d2016.funders)
    d2020 = territory_diagnostic(garonne, "departement:31", as_of=2020)
    assert "Sicoval" not in names(d2020.funders)
    assert d2020.not_observed.size == 0
    assert {e.name: e.codes for e in d2020.actors.items} == EXPECTED_REASONS


def test_dates_of_facts():
    from maillage.graph.model import Provenance, RelationView

    def rel(**kw):
        return RelationView(id="r", type="funds", source="a", target="b", provenance=Provenance(source="s"), **kw)

    assert fact_years(rel(fields={"year": 2016})) == (2016, None)
    assert fact_years(rel(start="2014-06", end="2015", fields={"year": 2016})) == (2014, 2015)
    assert not active(rel(fields={"year": 2016}), 2015) and active(rel(fields={"year": 2016}), 2030)
    assert active(rel(), 1990) and active(rel(), None)
    assert collectivite_role(rel(fields={"nature": "fonctionnement"})) == ("aide_fonctionnement", False)
    assert collectivite_role(rel()) == (None, False)
    assert overlaps("epci:243100633", "departement:31") and not overlaps(CASTRES, "departement:31")


def test_no_person_anywhere(garonne):
    jean = next(a.id for a in garonne.iter_actors(include_persons=True) if a.personal_data)
    for lang in ("fr", "en"):
        text = territory_diagnostic(garonne, "departement:31", lang=lang).model_dump_json()
        assert "Jean Martin" not in text and jean not in text


def test_every_list_comes_with_its_size(garonne):
    dumped = territory_diagnostic(garonne, "departement:31").model_dump()
    found = list(all_listings(dumped))
    assert len(found) > 10
    for lst in found:
        assert lst["size"] == len(lst["items"])
    small = territory_diagnostic(garonne, "departement:31", top_partners=1).border.outside_partners
    assert (small.size, len(small.items), small.truncated) == (3, 1, True)


def test_english_texts(garonne):
    d = territory_diagnostic(garonne, "departement:31", lang="en")
    seule = next(e for e in d.actors.items if e.name == "Association Seule")
    assert [r.text for r in seule.reasons] == [ISOLATION_CODES["aucun_lien"]["en"], ISOLATION_CODES["hors_pole"]["en"]]
    assert next(p for p in d.poles.items if p.name == "Pôle Garonne").presence[0].text == "Located in the territory"


def test_codes_extend_those_of_run(garonne):
    for code, texts in run.ISOLATION_CODES.items():
        assert ISOLATION_CODES[code] == texts
    # the first reason is run.isolated_actors' code, actor by actor (the lead delegates to it)
    for lens in ("cooperation", "funding"):
        ours = {r["id"]: r["code"] for r in isolated_actors(garonne, lens=lens)}
        theirs = {r["id"]: r["code"] for r in run.isolated_actors(garonne, lens=lens)}
        assert ours == theirs
    rows = {r["name"]: r for r in isolated_actors(garonne, include_peripheral=True, territory="departement:31")}
    assert {n: r["codes"] for n, r in rows.items()} == {n: c for n, c in EXPECTED_REASONS.items() if c}


def test_bad_territory_id(garonne):
    with pytest.raises(ValueError):
        territory_diagnostic(garonne, "Haute-Garonne")


# -- the reference dataset ---------------------------------------------------------------------------

def test_reference_departement_with_poles(reference):
    d = territory_diagnostic(reference, "departement:31")
    located = {a.id for a in reference.search("", family="pole", territory="departement:31", limit=1000)}
    assert len(located) >= 2
    listed = {p.id for p in d.poles.items if "situe" in [r.code for r in p.presence]}
    assert listed == located
    assert "Le Périscope" in names(d.poles)
    assert d.poles.size == len(d.poles.items) >= len(located)
    assert d.actors.size == len(set(reference.actors_in_territory("departement:31")))
    # every actor listed is located there; every reason is a known code
    inside = set(reference.actors_in_territory("departement:31"))
    for e in d.actors.items:
        assert e.id in inside
        assert set(e.codes) <= set(ISOLATION_CODES)
    persons = [a for a in reference.iter_actors(include_persons=True) if a.personal_data]
    assert persons  # the reference names natural persons: none may appear
    text = d.model_dump_json()
    for p in persons:
        assert f'"{p.id}"' not in text and f'"name":"{p.name}"' not in text


def test_a_sirene_extract_places_the_beneficiaries_of_a_subsidy_file(tmp_path, shared):
    """The collectivité's path (docs/formats/scdl.md): the Haute-Garonne SCDL file alone leaves
    its bénéficiaires without a place, listed under funded_from_here; two SIRENE establishment
    rows for two of them (head offices in Roques, 31458) merge by SIREN, place them, and move
    their grants to the funders of actors located in the département."""
    hg = shared / "realdata/scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv"
    s = open_store(str(tmp_path / "hg.db"))
    load_file(s, hg, rejects_dir=tmp_path)
    before = territory_diagnostic(s, "departement:31")
    assert before.funders.size == 0
    unlocated = sum(f.beneficiaries_unlocated for f in before.funded_from_here.items)
    sirene = tmp_path / "etablissements.csv"
    sirene.write_text("siren,siret,etablissementSiege,codeCommuneEtablissement,denominationUniteLegale,"
                      "categorieJuridiqueUniteLegale\n"
                      "441370806,44137080600016,true,31458,TENNIS ROQUES OLYMPIC CLUB,9220\n"
                      "432850600,43285060000011,true,31458,LE PINCEAU ROQUOIS,9220\n", encoding="utf-8")
    rep = load_file(s, sirene, rejects_dir=tmp_path)
    assert (rep.loaded, rep.merged) == (0, 2)  # the same two organisations, met by SIREN
    after = territory_diagnostic(s, "departement:31")
    assert [(f.name, names(f.beneficiaries)) for f in after.funders.items] == [
        ("Commune de Roques", ["LE PINCEAU ROQUOIS", "TENNIS ROQUES OLYMPIC CLUB"])]
    assert sum(f.beneficiaries_unlocated for f in after.funded_from_here.items) == unlocated - 2
    # the file's grants state no nature (« Aide en numéraire »): the roles table counts them all
    (funder,) = after.funders.items
    (row,) = after.collectivite_roles
    assert (row.label, row.ties, row.amount, names(row.collectivites)) == (
        "Aide, nature non précisée", funder.ties, funder.amount, ["Commune de Roques"])
    assert funder.ties >= 2 and after.collectivite_ties_unqualified == 0
    s.close()


def test_the_roles_table_counts_grants_in_kind_and_for_a_project(tmp_path):
    """A collectivité read fewer grants in the roles table than it had funded: a grant in kind
    or for a project named no role and had no row. Each now has its row, and the rows of the
    grants add up to the grants received by the actors located in the territory."""
    import html
    import re

    from maillage.analytics.reports import render_territory_report

    scdl = tmp_path / "subventions.csv"
    scdl.write_text(
        "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant;nature;"
        "natureSubvention\n"
        "Communauté d'agglomération du Sicoval;24310063300011;2022-01-10;TENNIS ROQUES OLYMPIC CLUB;"
        "44137080600016;Prêt d'une salle;1200;aide en nature;\n"
        "Communauté d'agglomération du Sicoval;24310063300011;2022-02-10;LE PINCEAU ROQUOIS;"
        "43285060000011;Minibus;800;aide en nature;\n"
        "Communauté d'agglomération du Sicoval;24310063300011;2022-03-10;LE PINCEAU ROQUOIS;"
        "43285060000011;Fresque;3000;aide en numéraire;projet\n"
        "Communauté d'agglomération du Sicoval;24310063300011;2022-04-10;TENNIS ROQUES OLYMPIC CLUB;"
        "44137080600016;Fonctionnement;5000;aide en numéraire;fonctionnement\n"
        "Communauté d'agglomération du Sicoval;24310063300011;2022-05-10;TENNIS ROQUES OLYMPIC CLUB;"
        "44137080600016;Tournoi;700;aide en numéraire;\n", encoding="utf-8")
    sirene = tmp_path / "etablissements.csv"
    sirene.write_text("siren,siret,etablissementSiege,codeCommuneEtablissement,denominationUniteLegale,"
                      "categorieJuridiqueUniteLegale\n"
                      "441370806,44137080600016,true,31458,TENNIS ROQUES OLYMPIC CLUB,9220\n"
                      "432850600,43285060000011,true,31458,LE PINCEAU ROQUOIS,9220\n", encoding="utf-8")
    s = open_store(str(tmp_path / "roles.db"))
    for path in (scdl, sirene):
        load_file(s, path, rejects_dir=tmp_path / "rejets")
    d = territory_diagnostic(s, "departement:31")
    rows = [(r.role, r.label, r.ties, r.amount, names(r.collectivites)) for r in d.collectivite_roles]
    sicoval = ["Communauté d'agglomération du Sicoval"]
    assert rows == [("aide_fonctionnement", "Aide au fonctionnement", 1, 5000.0, sicoval),
                    ("aide_projet", "Aide au projet", 1, 3000.0, sicoval),
                    ("aide_en_nature", "Aide en nature", 2, 2000.0, sicoval),
                    ("aide_nature_non_precisee", "Aide, nature non précisée", 1, 700.0, sicoval)]
    (funder,) = d.funders.items
    assert (funder.ties, funder.amount) == (5, 10700.0)  # the five grants, all to actors located here
    assert sum(r.ties for r in d.collectivite_roles) == funder.ties and d.collectivite_ties_unqualified == 0
    page = render_territory_report(s, "departement:31", tmp_path / "territoire.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="roles"[^>]*>.*?</table>', page, re.S).group(0)
    # a cell's first line (a row of grants says below its label where they come from)
    cells = [[html.unescape(re.sub(r"<[^>]+>", "", c.split("<br>")[0])).strip()
              for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
             for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
    assert [(c[0], c[1].split(" (")[0]) for c in cells] == [
        ("Aide au fonctionnement", "1"), ("Aide au projet", "1"), ("Aide en nature", "2"),
        ("Aide, nature non précisée", "1")]
    en = territory_diagnostic(s, "departement:31", lang="en").collectivite_roles
    assert [r.label for r in en] == ["Operating aid", "Project aid", "In-kind aid", "Aid, nature not stated"]
    s.close()


def test_every_grant_nature_has_a_row_in_the_roles_table():
    from maillage.analytics.territory import GRANT_ROWS, ROLE_FROM_FUNDS_NATURE
    from maillage.graph.vocabulary import vocabulary

    natures = vocabulary().relation_types["funds"].fields["nature"].values
    assert set(natures) == set(ROLE_FROM_FUNDS_NATURE) | (set(GRANT_ROWS) - {None})


def test_a_pole_is_under_documented_when_its_members_are_not_all_listed():
    """The walk-through: Le Périscope (35 members listed, 30 declared) was badged « peut refléter
    un manque de documentation », the Parc du Canal pôle (no member, no size) was not."""
    from maillage.graph import open_store
    from maillage.loaders import load_reference

    store = open_store(":memory:")
    load_reference(store)
    poles = {p.name: p for p in territory_diagnostic(store, "departement:31").poles.items}
    assert not poles["Le Périscope"].documentation_gap
    canal = next(p for n, p in poles.items() if n.startswith("Pôle de coopération de l'ESS du Parc du Canal"))
    assert canal.documentation_gap
    # the rule, by hand: listed members against the declared size
    from maillage.analytics.territory import pole_documentation_gap
    from maillage.graph.model import ActorView

    p = ActorView(id="p", name="P", family="pole", declared={"members": 30})
    assert [pole_documentation_gap(p, n) for n in (29, 30, 35)] == [True, False, False]
    bare = ActorView(id="q", name="Q", family="pole")
    assert [pole_documentation_gap(bare, n) for n in (0, 1)] == [True, False]


def test_a_pole_whose_sources_name_no_member_is_a_documentation_gap_not_an_isolated_actor(tmp_path):
    """The demo report listed 49 PTCE of the RTES annex (seed 000 L1240-1317: a name and a
    région, nothing else) as « isolés » — e.g. « 3.EVA … Aucun lien connu » — with no caveat,
    though a PTCE is a grouping of structures by definition (loi ESS art. 9, quoted in seed 001
    L169-178) and the glossary says a pôle listing no member and stating no size is « peut-être
    sous-documenté », never isolated. A pôle with a listed member keeps its isolation reasons."""
    from _jsonl import loaded_store

    store = loaded_store(tmp_path, [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Annexe",
         "documents": {"etude": {"title": "Liste des PTCE", "sha256": "ab" * 32}}},
        actor("nomme", "PTCE Nommé Seulement", "pole", "ptce", location=TOULOUSE),
        actor("liste", "PTCE Listé", "pole", "ptce", location=TOULOUSE),
        actor("membre", "Association Membre", "ess", "association", location=TOULOUSE),
        relation("membership", "membre", "liste"),
    ])
    try:
        items = {i["name"]: i for i in isolated_actors(store, include_peripheral=True)}
        named = items["PTCE Nommé Seulement"]
        assert named["status"] == "documentation_gaps" and named["code"] == "aucun_lien"
        assert named["thinly_documented"] is True
        assert any("ne nomment aucun membre" in c and "art. 9" in c for c in named["caveats"])
        assert "PTCE Nommé Seulement" not in {i["name"] for i in isolated_actors(store)}  # not « isolé »
        listed = items["PTCE Listé"]  # its member is its only partner: peripheral, not a gap
        assert listed["status"] == "peripheral" and not listed["thinly_documented"] and not listed["caveats"]
        en = {i["name"]: i for i in isolated_actors(store, include_peripheral=True, lang="en")}
        assert any("sources name no member" in c for c in en["PTCE Nommé Seulement"]["caveats"])
    finally:
        store.close()


def test_the_reference_annex_poles_are_not_called_isolated(reference):
    isolated = {i["id"] for i in isolated_actors(reference)}
    assert "3-eva-823562" not in isolated  # 000 L1243: « 3.EVA », its région, and nothing else
    gaps = {i["id"]: i for i in isolated_actors(reference, include_peripheral=True)
            if i["status"] == "documentation_gaps"}
    assert "3-eva-823562" in gaps
    assert not any(reference.get_actor(i).family == "pole" for i in isolated)
