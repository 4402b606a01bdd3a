"""A chargé de mission of a communauté d'agglomération with two years of data (the walk of
helper h76, Mehdi at the CA du Sicoval): the territory and pôle reports of 2024 and of 2025 on a
hand-built two-year store, written as ``maillage-jsonl`` and loaded through the ordinary loader.

The store (the Sicoval, one pôle, the Département outside it):

- Atelier Ramonvillois and Coopérative Labégeoise: members since 2020, cooperating (undated);
- Boulangerie Partie: member 2019–2024, nothing else (gone in 2025);
- Ferme Nouvelle: member from 2025 (not there in 2024);
- Amicale Castanéenne: cooperates with the Atelier 2020–2024, a grant in 2025 (isolated in 2025);
- Régie Reliée: member since 2020, cooperates with the Atelier from 2025 (no longer peripheral);
- CA du Sicoval: a grant to the Coopérative and one to a natural person (no place) in 2025;
- the Département (Toulouse): grants to the Coopérative and to a natural person of Ramonville
  in 2024, to the Amicale in 2025;
- a second source names « Atelier Ramonvillois » again with another SIREN: a merge to review.
"""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from maillage.analytics.reports import render_pole_report, render_territory_report
from maillage.analytics.territory import territory_diagnostic
from maillage.api.app import create_app
from maillage.cli import app
from maillage.graph import open_store
from maillage.loaders import load_file

from _jsonl import actor, relation, write_jsonl

SICOVAL = "epci:243100633"
RAMONVILLE, CASTANET, LABEGE, TOULOUSE = "commune:31446", "commune:31113", "commune:31254", "commune:31555"
HEADER = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Acteurs du Sicoval",
          "documents": {"etude": {"title": "Listes de membres 2024 et 2025, subventions"}}}
PERSONS = ("Sophie Martin", "Jean Dupont", "MARTIN Sophie")

RECORDS = [
    HEADER,
    actor("pole", "PTCE Lauragais", "pole", "ptce", location=RAMONVILLE),
    actor("a", "Atelier Ramonvillois", "ess", "association", location=RAMONVILLE,
          identifiers=[{"scheme": "siren", "value": "552100554"}]),
    actor("b", "Coopérative Labégeoise", "enterprise", "pme", location=LABEGE),
    actor("l", "Boulangerie Partie", "enterprise", "pme", location=CASTANET),
    actor("n", "Ferme Nouvelle", "ess", "association", location=CASTANET),
    actor("i", "Amicale Castanéenne", "ess", "association", location=CASTANET),
    actor("r", "Régie Reliée", "ess", "association", location=RAMONVILLE),
    actor("ca", "CA du Sicoval", "collectivite", "epci", location=LABEGE, territory=SICOVAL),
    actor("dep", "Département de la Haute-Garonne", "collectivite", "departement", location=TOULOUSE,
          territory="departement:31"),
    actor("mme", "Sophie Martin", "person", location=RAMONVILLE),
    actor("m", "Jean Dupont", "person"),
    relation("membership", "a", "pole", start=2020), relation("membership", "b", "pole", start=2020),
    relation("cooperates", "a", "b"),
    relation("membership", "l", "pole", start=2019, end=2024),
    relation("membership", "n", "pole", start=2025),
    relation("cooperates", "i", "a", start=2020, end=2024),
    relation("membership", "r", "pole", start=2020), relation("cooperates", "r", "a", start=2025),
    relation("funds", "dep", "i", amount=4000, year=2025),
    relation("funds", "dep", "mme", amount=1500, year=2024),
    relation("funds", "dep", "b", amount=6000, year=2024),
    relation("funds", "ca", "m", amount=2000, year=2025),
    relation("funds", "ca", "b", amount=3000, year=2025),
]
#: Another source: the Atelier under another SIREN (a merge to review, concerning the report's
#: actors), and a natural person of Ramonville again (a merge to review between two persons,
#: whom the reports never count).
TWINS = [HEADER, actor("a2", "Atelier Ramonvillois", "ess", "association", location=RAMONVILLE,
                       identifiers=[{"scheme": "siren", "value": "732829320"}]),
         actor("p2", "MARTIN Sophie", "person", location=RAMONVILLE)]


def _store(tmp_path, twins: bool = True):
    s = open_store(str(tmp_path / "sicoval.db"))
    for name, records in (("membres.jsonl", RECORDS), ("autre.jsonl", TWINS))[:2 if twins else 1]:
        assert load_file(s, write_jsonl(tmp_path / name, records), rejects_dir=tmp_path / "rejets").rejected == 0
    return s


@pytest.fixture(scope="module")
def sicoval(tmp_path_factory):
    """The store and its territory reports of 2024 and 2025 (French) and of 2025 (English)."""
    tmp = tmp_path_factory.mktemp("sicoval")
    s = _store(tmp)
    pages = {}
    for name, year, lang in (("t2024", 2024, "fr"), ("t2025", 2025, "fr"), ("en2025", 2025, "en")):
        pages[name] = render_territory_report(s, SICOVAL, tmp / f"{name}.html", as_of=year, lang=lang).read_text(
            encoding="utf-8")
    yield {"store": s, "tmp": tmp, **pages}
    s.close()


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _section(page: str, anchor: str) -> str:
    return re.search(rf'<section id="{anchor}">(.*?)</section>', page, re.S)[1]


def _rows(fragment: str) -> list[list[str]]:
    return [[_text(c) for _, c in re.findall(r"<(t[dh])\b[^>]*>(.*?)</\1>", row, re.S)]
            for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", fragment, re.S)]


def _csv(path) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


# ---------------------------------------------------------------------------------------------
# 1. a year's report counts the actors of that year, and says which it left out

def test_a_years_report_counts_only_the_actors_observed_that_year(sicoval):
    """The walk: `report --territory Sicoval --as-of 2025` said « n = 11 · Dans un pôle : 8 · Hors
    pôle : 3 » and « n = 11 · Isolés : 0 · Périphériques : 5 » while the members gone before 2025
    appeared nowhere and « Évolution par année » gave 8 actors observed in 2025; the 2024 report
    counted an actor that joined in 2025 as « hors pôle ». Now the diagnostic (and the API, the
    explorer's panel) counts the actors observed that year, and the report names the others in a
    folded list."""
    s = sicoval["store"]
    d25 = territory_diagnostic(s, SICOVAL, as_of=2025)
    assert [e.name for e in d25.not_observed.items] == ["Boulangerie Partie"]
    assert "Boulangerie Partie" not in [e.name for e in d25.actors.items]
    assert d25.actors.size == 8 == sum(f.actors for f in d25.by_family)
    assert (d25.in_pole, d25.not_in_pole) == (4, 3)  # the pôle is neither
    d24 = territory_diagnostic(s, SICOVAL, as_of=2024)
    # the Ferme joined in 2025, the CA's only tie is a 2025 grant: neither is an actor of 2024
    assert [e.name for e in d24.not_observed.items] == ["CA du Sicoval", "Ferme Nouvelle"]
    assert d24.actors.size == 7 and (d24.in_pole, d24.not_in_pole) == (4, 2)
    ess = next(f for f in d24.by_family if f.family == "ess")
    assert (ess.actors, ess.in_pole, ess.not_in_pole) == (4, 2, 2)  # the Ferme is not « hors pôle » in 2024
    # every year: all the actors located there (nothing is observed or not without a year)
    assert territory_diagnostic(s, SICOVAL).actors.size == 9

    actors = _section(sicoval["t2025"], "acteurs")
    assert "n = 8 · Dans un pôle : 4 · Hors pôle : 3" in _text(actors)
    folded = re.search(r'<details class="not-observed">(.*?)</details>', actors, re.S)[1]
    assert _text(folded) == ("1 acteur du territoire sans aucun lien en 2025, non compté ici : tous ses liens sont "
                             "datés d'autres années (parti avant, ou arrivé après) Boulangerie Partie — "
                             "Castanet-Tolosan (31)")
    assert "n = 8 · Isolés : 2 · Périphériques : 1" in _text(_section(sicoval["t2025"], "isoles"))
    # the year's evolution row counts as many
    assert re.search(r'<tr data-year="2025"><td>2025</td><td class="num">8</td>', sicoval["t2025"])
    folded24 = _text(re.search(r'<details class="not-observed">(.*?)</details>', sicoval["t2024"], re.S)[1])
    assert folded24.startswith("2 acteurs du territoire sans aucun lien en 2024, non comptés ici")
    assert "CA du Sicoval — Labège (31)" in folded24 and "Ferme Nouvelle — Castanet-Tolosan (31)" in folded24
    assert "2 actors of the territory with no tie in 2025" not in sicoval["en2025"]
    assert "1 actor of the territory with no tie in 2025, not counted here" in html.unescape(sicoval["en2025"])
    for page in ("t2024", "t2025", "en2025"):
        assert not any(p in sicoval[page] for p in PERSONS), page

    with TestClient(create_app(store=s)) as api:
        g = api.get(f"/api/territories/{SICOVAL}/diagnostic", params={"as_of": 2025}).json()
        assert (g["actors"]["size"], g["in_pole"], g["not_in_pole"]) == (8, 4, 3)
        assert [e["name"] for e in g["not_observed"]["items"]] == ["Boulangerie Partie"]
        page = api.get(f"/api/territories/{SICOVAL}/actors", params={"as_of": 2025, "size": 50}).json()
        assert page["total"] == 8 and "Boulangerie Partie" not in [e["name"] for e in page["items"]]


# ---------------------------------------------------------------------------------------------
# 2. since the year before

def test_a_years_report_says_who_became_isolated_or_peripheral_since_the_year_before(sicoval):
    """The walk: Mehdi could not compare two years. A report of a year now has « Depuis <year-1> »
    under the isolated actors: who became isolated or peripheral (with the situation before), who
    no longer is (tied since, or gone); its spreadsheet has each actor's situation the year
    before in a last column."""
    isoles = _section(sicoval["t2025"], "isoles")
    assert '<h3 id="depuis">Depuis 2024</h3>' in isoles
    tables = re.findall(r'<table class="since"[^>]*>(.*?)</table>', isoles, re.S)
    became, gone = (_rows(t) for t in tables)
    assert became == [
        ["Acteur", "Famille", "En 2024", "En 2025"],
        ["Amicale Castanéenne", "Structure de l'ESS", "périphérique (un seul partenaire)", "isolé"],
        ["Ferme Nouvelle", "Structure de l'ESS", "pas encore de lien (arrivé depuis ?)",
         "périphérique (membre d'un pôle, sans autre lien direct)"],
    ]
    assert gone[1:] == [
        ["Boulangerie Partie", "Entreprise classique",
         "périphérique (membre d'un pôle, sans autre lien direct)", "plus de lien cette année-là (parti ?)"],
        ["Régie Reliée", "Structure de l'ESS", "périphérique (membre d'un pôle, sans autre lien direct)",
         "ni isolé ni périphérique"],
    ]
    assert "Devenus isolés ou périphériques (n = 2)" in _text(isoles)
    assert "Ne le sont plus (liés depuis, ou partis) (n = 2)" in _text(isoles)
    # 2024 against 2023: the same actors, the same situations
    assert "Aucun changement depuis 2023." in _text(_section(sicoval["t2024"], "isoles"))
    assert "Since 2024" in sicoval["en2025"] and "no tie that year any more (left?)" in sicoval["en2025"]

    rows = {r["nom"]: r for r in _csv(sicoval["tmp"] / "t2025-isoles.csv")}
    assert {n: r["situation en 2024"] for n, r in rows.items()} == {
        "Atelier Ramonvillois": "isolé",  # the twin of the second source: no tie in either year
        "Amicale Castanéenne": "périphérique (un seul partenaire)",
        "Ferme Nouvelle": "pas encore de lien (arrivé depuis ?)",
    }
    assert list(next(iter(rows.values())))[-1] == "situation en 2024"

    # no dated fact of 2018: nothing to compare 2019 with; no year, no section
    from maillage.analytics.territory import TerritoryMaterial, changes_since

    material = TerritoryMaterial.read(sicoval["store"], SICOVAL)
    assert changes_since(material, 2019) is None and changes_since(material, 2020) is not None
    since2020 = changes_since(material, 2020)
    assert [(c.name, c.before) for c in since2020.became] == [("Amicale Castanéenne", "not_observed"),
                                                              ("Régie Reliée", "not_observed")]


def test_a_report_of_every_year_has_no_since_section(sicoval, tmp_path):
    page = render_territory_report(sicoval["store"], SICOVAL, tmp_path / "t.html").read_text(encoding="utf-8")
    assert 'id="depuis"' not in page and "since-none" not in page and 'class="not-observed"' not in page
    assert "situation en" not in (tmp_path / "t-isoles.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    old = render_territory_report(sicoval["store"], SICOVAL, tmp_path / "t19.html", as_of=2019).read_text(
        encoding="utf-8")
    assert "Aucune donnée datée de 2018 : pas de comparaison avec l'année précédente." in html.unescape(old)


# ---------------------------------------------------------------------------------------------
# 3. grants to natural persons: counted in the totals, said, never named

def test_grants_to_natural_persons_count_in_the_totals_and_are_said_never_named(sicoval):
    """The walk: a collectivité comparing the report with its own budget found 1 500 € missing —
    the grants to natural persons were left out without a word. They now count in the funder's
    ties and amount, with « dont 1 subvention (1 500 €) à une personne physique, non détaillée »,
    and in the year's total; the person is never named."""
    s = sicoval["store"]
    d24 = territory_diagnostic(s, SICOVAL, as_of=2024)
    (dep,) = d24.funders.items
    assert (dep.name, dep.ties, dep.amount, dep.amounts_stated) == ("Département de la Haute-Garonne", 2, 7500.0, 2)
    assert (dep.to_persons, dep.amount_to_persons) == (1, 1500.0)
    assert [b.name for b in dep.beneficiaries.items] == ["Coopérative Labégeoise"]
    funders = _section(sicoval["t2024"], "financeurs")
    row = _rows(re.search(r'<table class="funders"[^>]*>(.*?)</table>', funders, re.S)[1])[1]
    assert row[2:5] == ["2", "7 500 (n = 2)", "Coopérative Labégeoise dont 1 subvention (1 500 €) à une personne "
                                              "physique, non détaillée"]
    years = _rows(re.search(r'<table class="years"[^>]*>(.*?)</table>', funders, re.S)[1])
    assert years[1:] == [["2024", "2", "7 500"]]
    assert "dont 1 subvention (1 500 €) à une personne physique, non détaillée" in _text(
        re.search(r'<p class="small to-persons">(.*?)</p>', funders, re.S)[1])

    # 2025: the CA's grant to a person placed nowhere is with its grants beyond the territory
    d25 = territory_diagnostic(s, SICOVAL, as_of=2025)
    (ca,) = d25.funded_from_here.items
    assert (ca.ties, ca.amount, ca.to_persons, ca.amount_to_persons, ca.beneficiaries.size) == (1, 2000.0, 1, 2000.0, 0)
    assert "dont 1 subvention (2 000 €) à une personne physique, non détaillée" in _text(
        _section(sicoval["t2025"], "financeurs"))
    assert "of which 1 grant (€2,000) to a natural person, not detailed" in _text(
        _section(sicoval["en2025"], "financeurs"))
    assert not any(p in sicoval["t2024"] + sicoval["t2025"] for p in PERSONS)


# ---------------------------------------------------------------------------------------------
# 4. one file per year

def test_reports_of_two_years_in_one_folder_do_not_overwrite_each_other(tmp_path):
    """The walk: `report --pole P --as-of 2024 -o d/` then `--as-of 2025 -o d/` both wrote
    rapport-ptce-…html (and the territory's rapport-epci-243100633.html): the second erased the
    first. With --as-of the year is in the names, the companion files' too."""
    _store(tmp_path, twins=False).close()
    out = tmp_path / "rapports"

    def report(*args: str) -> str:
        r = CliRunner().invoke(app, ["--store", str(tmp_path / "sicoval.db"), "report", *args, "-o", f"{out}/"])
        assert r.exit_code == 0, r.output
        return r.output

    for year in ("2024", "2025"):
        said = report("--territory", "Sicoval", "--as-of", year)
        assert f"rapport-epci-243100633-{year}.html" in said and f"rapport-epci-243100633-{year}-isoles.csv" in said
        report("--pole", "PTCE Lauragais", "--as-of", year)
        report("--observatory", "--as-of", year)
    report("--territory", "Sicoval")
    names = sorted(p.name for p in out.iterdir())
    pole = next(n for n in names if n.startswith("rapport-ptce-lauragais-") and n.endswith("-2024.html"))[:-len(
        "-2024.html")]
    assert names == sorted([
        *(f"rapport-epci-243100633-{y}{end}" for y in (2024, 2025) for end in (".html", "-carte.html", "-isoles.csv")),
        *(f"{pole}-{y}{end}" for y in (2024, 2025) for end in (".html", "-carte.html")),
        "rapport-observatoire-2024.html", "rapport-observatoire-2025.html",
        "rapport-epci-243100633.html", "rapport-epci-243100633-carte.html", "rapport-epci-243100633-isoles.csv"])
    # each page links its own companions
    page = (out / "rapport-epci-243100633-2024.html").read_text(encoding="utf-8")
    assert 'href="rapport-epci-243100633-2024-carte.html"' in page
    assert 'href="rapport-epci-243100633-2024-isoles.csv"' in page


# ---------------------------------------------------------------------------------------------
# 5. merges still to review

def test_reports_say_when_merges_to_review_concern_their_actors(sicoval, tmp_path):
    """The walk: with 2 possible merges pending, the pôle report showed inflated counts and said
    nothing (only `load` had said « 2 rapprochements possibles à examiner »). The pôle and
    territory reports now say how many concern their actors, and which records (a natural person
    written « [personne] », two persons' records not counted: the reports never count persons)."""
    from maillage.loaders.resolution import reject, review_queue

    s = sicoval["store"]
    assert len(review_queue(s)) == 2  # the Atelier twice; « Sophie Martin » twice
    caveat = re.search(r'<div class="flag review-caveat">(.*?)</div>', sicoval["t2025"], re.S)[1]
    assert _text(caveat) == ("1 rapprochement à examiner concerne des acteurs de ce rapport : deux fiches peuvent "
                             "décrire un même acteur, compté deux fois ici. Pour trancher : maillage resolve --review "
                             "Les fiches à rapprocher Atelier Ramonvillois ↔ Atelier Ramonvillois")
    assert "1 possible merge to review concerns actors of this report" in html.unescape(sicoval["en2025"])
    pole = s.search("PTCE Lauragais", family="pole")[0].id
    page = render_pole_report(s, pole, tmp_path / "p.html", as_of=2025).read_text(encoding="utf-8")
    assert "1 rapprochement à examiner concerne des acteurs de ce rapport" in html.unescape(page)
    assert "maillage resolve --review" in page and not any(p in page for p in PERSONS)

    # once decided, the caveat goes
    store = open_store(str(tmp_path / "copy.db"))
    for name, records in (("membres.jsonl", RECORDS), ("autre.jsonl", TWINS)):
        load_file(store, write_jsonl(tmp_path / name, records), rejects_dir=tmp_path / "rejets")
    for item in review_queue(store):
        reject(store, item.id)
    page = render_pole_report(store, pole, tmp_path / "p2.html", as_of=2025).read_text(encoding="utf-8")
    assert 'class="flag review-caveat"' not in page and "rapprochement" not in page
    page = render_territory_report(store, SICOVAL, tmp_path / "t2.html", as_of=2025).read_text(encoding="utf-8")
    assert 'class="flag review-caveat"' not in page
    store.close()
