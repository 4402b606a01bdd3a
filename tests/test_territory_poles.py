"""A pôle's members in the territory diagnostic, on a real store loaded from a member list and a
subsidy file written here (the path of a pôle animator who runs ``maillage report --territory``):
belonging to a pôle that gathers several families is cooperation across families (art. 9 of
loi n° 2014-856), a member whose only direct tie is its pôle is said to be so, and the structure
porteuse, which carries the pôle, is not peripheral for it."""

from __future__ import annotations

import pytest

from _jsonl import actor, relation, write_jsonl
from _loading import load_file
from maillage.analytics.run import analyse
from maillage.analytics.territory import isolated_actors, territory_diagnostic
from maillage.graph import open_store

SICOVAL = "epci:243100633"
POLE = "Pôle Coopér'Sud-Est"

#: A pôle of the Sicoval: associations, a SCOP, the commune, the EPCI and its structure porteuse.
MEMBERS = (
    "Nom;Forme juridique;Code postal;Commune;Rôle\n"
    "Coop'Action;SCIC SAS;31520;Ramonville-Saint-Agne;structure porteuse\n"
    "Les Jardins du Canal;Association loi 1901;31670;Labège;adhérent\n"
    "Atelier Vélo Solidaire;SCOP;31320;Castanet-Tolosan;adhérent\n"
    "Commune de Labège;Commune;31670;Labège;partenaire\n"
    "Communauté d'agglomération du Sicoval;EPCI;31670;Labège;partenaire\n"
)

#: A pôle of associations only, in the same EPCI.
ASSOCIATIONS = (
    "Nom;Forme juridique;Code postal;Commune;Rôle\n"
    "Maison des Associations du Lauragais;Association loi 1901;31320;Castanet-Tolosan;structure porteuse\n"
    "Chorale du Canal;Association loi 1901;31520;Ramonville-Saint-Agne;adhérent\n"
    "Théâtre de Poche;Association loi 1901;31670;Labège;adhérent\n"
)

#: The EPCI's grants to two of the members (a collectivité's own SCDL file).
GRANTS = ("nomAttribuant;idAttribuant;nomBeneficiaire;objet;montant;dateConvention\n"
          "CA du Sicoval;24310063300013;Coop'Action;Animation du pôle;15000;2023-03-01\n"
          "CA du Sicoval;24310063300013;Les Jardins du Canal;Jardin partagé;2000;2023-04-01\n")

#: Two associations of the Sicoval in no pôle: one with no tie at all, one with a single partner.
OUTSIDE = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Hors pôle",
     "documents": {"etude": {"title": "Repérage", "sha256": "ab" * 32}}},
    actor("seule", "Association Seule", "ess", "association", location="commune:31446"),
    actor("duo", "Association Duo", "ess", "association", location="commune:31254"),
    actor("velo", "Atelier Vélo Solidaire", "ess", "scop", location="commune:31113"),
    relation("cooperates", "duo", "velo"),
]


@pytest.fixture(scope="module")
def sicoval(tmp_path_factory):
    d = tmp_path_factory.mktemp("sicoval")
    s = open_store(str(d / "store.db"))
    (d / "membres.csv").write_text(MEMBERS, encoding="utf-8")
    (d / "associations.csv").write_text(ASSOCIATIONS, encoding="utf-8")
    (d / "subventions.csv").write_text(GRANTS, encoding="utf-8")
    load_file(s, d / "membres.csv", format="members", options={"pole": POLE}, rejects_dir=d)
    load_file(s, d / "associations.csv", format="members", options={"pole": "Pôle Associatif du Lauragais"},
              rejects_dir=d)
    load_file(s, d / "subventions.csv", rejects_dir=d)
    load_file(s, write_jsonl(d / "hors.jsonl", OUTSIDE), rejects_dir=d)
    yield s
    s.close()


def entries(d) -> dict:
    return {e.name: e for e in d.actors.items}


def test_the_store_is_what_the_files_say(sicoval):
    d = territory_diagnostic(sicoval, SICOVAL)
    e = entries(d)
    # the EPCI of the member list is the attribuant of the subsidy file (« CA du Sicoval »)
    assert {n for n, x in e.items() if [p.name for p in x.poles] == [POLE]} == {
        "Coop'Action", "Les Jardins du Canal", "Atelier Vélo Solidaire", "Commune de Labège", "CA du Sicoval"}
    assert (e["CA du Sicoval"].kind, e["CA du Sicoval"].ties) == ("epci", {"funds": 2, "membership": 1})
    assert (e["Les Jardins du Canal"].family, e["Atelier Vélo Solidaire"].kind, e["Commune de Labège"].family) == (
        "ess", "scop", "collectivite")
    # the SCOP of the jsonl is the member (same name, same commune): the pôle and the Association Duo
    assert e["Atelier Vélo Solidaire"].partners == 2 and e["Atelier Vélo Solidaire"].codes == []
    assert e["Les Jardins du Canal"].partners == 1 and e["Les Jardins du Canal"].ties == {"funds": 1, "membership": 1}


def test_members_of_a_pole_of_several_families_cooperate_across_families(sicoval):
    d = territory_diagnostic(sicoval, SICOVAL)
    e = entries(d)
    for name in ("Coop'Action", "Les Jardins du Canal", "Commune de Labège", "CA du Sicoval"):
        assert "sans_lien_intersectoriel" not in e[name].codes, name
    # a member whose only direct tie is its pôle stays peripheral, and the reason says so plainly
    jardins = e["Les Jardins du Canal"]
    assert jardins.codes == ["lien_unique"]
    assert [r.text for r in jardins.reasons] == [f"Membre du pôle « {POLE} », sans autre lien direct documenté"]
    assert "Les Jardins du Canal" in [x.name for x in d.peripheral.items]
    # and so does its status: not « un seul partenaire », which reads as a bilateral tie
    from maillage.analytics.territory import entry_status_label

    assert entry_status_label(jardins) == "périphérique (membre d'un pôle, sans autre lien direct)"
    en = entries(territory_diagnostic(sicoval, SICOVAL, lang="en"))["Les Jardins du Canal"]
    assert entry_status_label(en, "en") == "peripheral (pôle member, no other direct tie)"
    assert en.reasons[0].text == f"Member of the pôle '{POLE}', with no other direct tie documented"


def test_the_structure_porteuse_is_not_peripheral(sicoval):
    d = territory_diagnostic(sicoval, SICOVAL)
    porteuse = entries(d)["Coop'Action"]
    assert porteuse.partners == 1 and porteuse.ties["carries"] == 1 and porteuse.ties["membership"] == 1
    assert porteuse.codes == []
    flagged = {e.name for e, _ in d.flagged()} | {e.name for e in d.public_bodies.items}
    assert "Coop'Action" not in flagged
    # the collectivités of the pôle are set apart (funders), with the same plain text
    assert entries(d)["Commune de Labège"].reasons[0].text.startswith(f"Membre du pôle « {POLE} »")


def test_an_association_outside_any_pole_is_still_flagged(sicoval):
    d = territory_diagnostic(sicoval, SICOVAL)
    e = entries(d)
    assert e["Association Seule"].codes == ["aucun_lien", "hors_pole"]
    assert "Association Seule" in [x.name for x in d.isolated.items]
    assert e["Association Duo"].codes == ["lien_unique", "sans_lien_intersectoriel", "hors_pole"]
    assert e["Association Duo"].reasons[0].text.endswith(": Atelier Vélo Solidaire")


def test_a_pole_of_a_single_family_keeps_the_intersectoral_reason(sicoval):
    d = territory_diagnostic(sicoval, SICOVAL)
    e = entries(d)
    for name in ("Chorale du Canal", "Théâtre de Poche"):
        assert e[name].codes == ["lien_unique", "sans_lien_intersectoriel"], name
        assert e[name].reasons[0].text == "Membre du pôle « Pôle Associatif du Lauragais », sans autre lien direct documenté"
    # its structure porteuse carries the pôle (no `lien_unique`), but its pôle stays within one family
    assert e["Maison des Associations du Lauragais"].codes == ["sans_lien_intersectoriel"]


def test_a_pole_member_located_elsewhere_makes_the_pole_cross_family(sicoval):
    """Seen from the commune of Ramonville alone, the pôle's other members are outside the
    territory: they still make the pôle cross-family (the whole store is read)."""
    e = entries(territory_diagnostic(sicoval, "commune:31446"))
    assert e["Coop'Action"].codes == []
    rows = {r["name"]: r for r in isolated_actors(sicoval, territory="commune:31446", include_peripheral=True)}
    assert "Coop'Action" not in rows and rows["Chorale du Canal"]["codes"] == ["lien_unique", "sans_lien_intersectoriel"]


def test_every_listing_says_the_same(sicoval):
    d = territory_diagnostic(sicoval, SICOVAL)
    rows = {r["name"]: r for r in isolated_actors(sicoval, territory=SICOVAL, include_peripheral=True)}
    assert {n: r["codes"] for n, r in rows.items()} == {e.name: e.codes for e in d.actors.items if e.codes}
    assert {n: r["status"] for n, r in rows.items()} == {
        **{e.name: "isolated" for e in d.isolated.items}, **{e.name: "peripheral" for e in d.peripheral.items},
        **{e.name: "public_bodies" for e in d.public_bodies.items}}
    assert rows["Les Jardins du Canal"]["reason"] == f"Membre du pôle « {POLE} », sans autre lien direct documenté"
    # `analyse` counts the whole store (the Pôle Associatif du Lauragais, placed nowhere, is
    # peripheral there: its members are all associations): 4 with a single partner, of which the 3
    # members whose only direct tie is their pôle — never the structures porteuses
    every = isolated_actors(sicoval, include_peripheral=True)
    p = analyse(sicoval).params
    assert (p["isolated"], p["peripheral"]) == (1, 6) == (
        sum(r["status"] == "isolated" for r in every), sum(r["status"] == "peripheral" for r in every))
    assert (p["peripheral_single"], p["peripheral_pole_only"]) == (4, 3)
