"""A pôle animator with no programming background reads the pôle and territory reports: every
sentence must speak plainly — no notation, no document code or line code, no source id, hash or
run id in the body (they stay in the Sources small print), a French date and time, one line for
the members' count, the collectivité that funds the structure porteuse called a funder, each
measure explained once, and the suggestions' caveat said once above the list.

The store: a pôle, its structure porteuse and the communauté d'agglomération that funds it
(a study, JSONL), analysed, then the pôle's member list ``membres_2023.csv`` loaded after the
analysis (so the report must say the measures are older than the graph)."""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone

import pytest

from maillage.analytics.reports import render_pole_report, render_territory_report
from maillage.analytics.run import analyse
from maillage.graph import open_store
from maillage.loaders import load_file

from _jsonl import actor, relation, write_jsonl

MEMBERS = [("Les Jardins du Sicoval", "Association"), ("Scop Bois Local", "SCOP"), ("Épicerie Solidaire", "Association"),
           ("Atelier Vélo", "Association"), ("Coop Habitat", "SCIC"), ("Régie de Quartier", "Association"),
           ("Recyclerie du Lauragais", "Association"), ("Café Associatif", "Association"),
           ("Boulangerie Martin", "SARL"), ("Garage Dupuis", "SAS"), ("Imprimerie Ferrand", "SARL")]


def text(page: str) -> str:
    """The page as read: no style, no chart, no tag, entities decoded, spaces collapsed."""
    page = re.sub(r"<style>.*?</style>|<svg.*?</svg>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def body(page: str) -> str:
    """The text a reader reads before the Sources section (the small print at the end)."""
    return text(page.split('<section id="sources">')[0])


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("claire")
    store = open_store(str(tmp / "store.db"))
    recs = [actor("p", "PTCE Sud Coop", "pole", "ptce", location="commune:31113"),
            actor("sp", "Association Sud Coop", "ess", "association", location="commune:31113"),
            actor("ca", "Communauté d'agglomération du Sicoval", "collectivite", "epci", location="epci:243100633"),
            relation("carries", "sp", "p"),
            relation("funds", "ca", "sp", amount=20000, year=2023)]
    load_file(store, write_jsonl(tmp / "etude.jsonl", recs), rejects_dir=tmp / "rejets")
    run = analyse(store)
    rows = ["Nom;Forme juridique;Code postal;Commune;Rôle",
            *(f"{n};{f};31520;Ramonville-Saint-Agne;membre" for n, f in MEMBERS)]
    (tmp / "membres_2023.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    load_file(store, tmp / "membres_2023.csv", rejects_dir=tmp / "rejets", options={"pole": "PTCE Sud Coop"})
    pole = store.search("PTCE Sud Coop", family="pole")[0].id
    out = {"store": store, "pole": pole, "run": run, "tmp": tmp}
    for lang in ("fr", "en"):
        out[f"pole_{lang}"] = render_pole_report(store, pole, tmp / f"pole-{lang}.html", lang=lang).read_text(
            encoding="utf-8")
        out[f"territory_{lang}"] = render_territory_report(store, "departement:31", tmp / f"t-{lang}.html",
                                                           lang=lang).read_text(encoding="utf-8")
    yield out
    store.close()


def test_generated_in_french_local_time(walk):
    """« Généré le 06/12/2026 02:26 UTC »: now the French date in Paris time, as said aloud."""
    months = ("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre")
    for page in (walk["pole_fr"], walk["territory_fr"]):
        shown = text(page)
        assert "UTC" not in shown
        assert re.search(rf"Généré le (1er|\d{{1,2}}) ({months}) \d{{4}} à \d\d h \d\d", shown), shown[:300]
    assert re.search(r"Generated on \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d \(Paris time\)", text(walk["pole_en"]))


def test_when_text_is_paris_time_winter_and_summer():
    from maillage.analytics.report import when_text

    assert when_text(datetime(2026, 12, 6, 2, 12, tzinfo=timezone.utc)) == "6 décembre 2026 à 03 h 12"
    assert when_text(datetime(2026, 7, 1, 0, 57, tzinfo=timezone.utc)) == "1er juillet 2026 à 02 h 57"
    assert when_text(datetime(2026, 12, 6, 2, 12, tzinfo=timezone.utc), "en") == "6 December 2026, 03:12 (Paris time)"


CODES = re.compile(r"M\(P\)|S\(P\)|\b(?:00\d|loi) L\d|\bL\d{2,}\b|run-\d{8}T")


def test_the_body_speaks_plainly_no_notation_code_id_or_hash(walk):
    """« 8 structures de l'ESS sur 11 dans M(P) », « (001 L560) », « 002 L660 », « members:
    membres_2023.csv ( dea22a056775 ) », « run-20261206T015748Z-4e9a6a »: now the pôle's members,
    a document by its title and year with « ligne 560 », a file by its name and load date, a run
    by its date; ids and the hash only in the Sources small print."""
    store, run = walk["store"], walk["run"]
    members = next(s for s in store.sources() if s.id.startswith("members:"))
    for key in ("pole_fr", "pole_en", "territory_fr", "territory_en"):
        shown = body(walk[key])
        assert not CODES.search(shown), (key, CODES.search(shown).group(0))
        assert members.id not in shown and members.sha256[:12] not in shown and run.id not in shown, key
    shown = body(walk["pole_fr"])
    assert "9 structures de l'ESS parmi les 12 membres du pôle (structure porteuse comprise)" in shown
    assert ("moyenne de référence : 15 structures (Labo de l'ESS, brochure « Pôles territoriaux de coopération "
            "économique », 2014, ligne 560), médiane 14 (RTES, « Les rôles des collectivités locales dans les "
            "dynamiques de PTCE », 2016, lignes 412 à 415)") in shown
    assert "12 membres listés, structure porteuse comprise" in shown
    # the member list loaded after the analysis: by its file name and load date, the run by its date
    note = re.search(r"Les mesures viennent de l'analyse du (.*?) : relancez", shown).group(1)
    assert re.fullmatch(r"\d{1,2} \w+ \d{4} à \d\d h \d\d, faite avant la dernière modification du graphe "
                        r"\(fichier membres_2023\.csv chargé le \d{1,2} \w+ \d{4} à \d\d h \d\d\)", note), note
    assert "lines 412 to 415" in body(walk["pole_en"]) and "file membres_2023.csv loaded on" in body(walk["pole_en"])
    # the small print keeps what a researcher needs to find them
    small = text(walk["pole_fr"].split('<section id="sources">')[1])
    assert "membres_2023.csv , chargé le" in small
    assert members.id in small and members.sha256[:12] in small and run.id in small
    assert run.id not in text(walk["territory_fr"])  # the territory report reads no run


def test_cite_names_a_document_by_title_and_year():
    from maillage.analytics.criteria import cite

    assert cite("002", "L660") == "Labo de l'ESS, note « Premiers éléments caractérisant les PTCE », 2011, ligne 660"
    assert cite("000", "L412-415").endswith("2016, lignes 412 à 415")
    assert cite("loi", lang="en") == "French SSE law of 31 July 2014, art. 9"


def test_the_analysis_report_names_its_run_by_date(walk):
    """The analysis report (``maillage demo``): its run by date under the title, the id in the methods."""
    from maillage.analytics.report import render_report

    run = walk["run"]
    page = render_report(walk["store"], run.id, walk["tmp"] / "analyse.html").read_text(encoding="utf-8")
    header = text(page.split("</header>")[0])
    assert run.id not in header and re.search(r"L'analyse du \d{1,2} \w+ \d{4} à \d\d h \d\d", header), header
    assert "fichier membres_2023.csv chargé le" in header
    assert run.id in text(page.split('id="methodes"')[1])


def test_the_members_count_is_one_line(walk):
    """« Membres nommés 11 », « Membres (acteurs) 11 », « Membres déclarés inconnus »: one line now."""
    facts = text(walk["pole_fr"].split('<dl class="facts">')[1].split("</dl>")[0])
    assert "Membres nommés" not in facts and "Membres (acteurs)" not in facts and "Membres déclarés" not in facts
    assert "Membres 11 nommés dans les sources ; aucune source ne déclare leur nombre" in facts
    assert "Members 11 named in the sources; no source declares how many there are" in text(walk["pole_en"])


def test_the_members_line_says_when_the_declared_number_differs():
    from maillage.analytics.poles import Size
    from maillage.analytics.reports import members_line

    def size(named, units, declared):
        return Size(named_members=named, placeholder_members=units - named, group_members=0, member_units=units,
                    carriers=1, core_units=units + 1, declared_members=declared)

    assert members_line(size(35, 35, 30)) == ("35 nommés dans les sources ; nombre déclaré : 30 — les sources en "
                                              "nomment plus que le nombre déclaré")
    assert members_line(size(8, 9, 20)) == ("8 nommés dans les sources (9 en comptant les membres cités sans nom ou "
                                            "par groupe) ; nombre déclaré : 20 — les sources en nomment moins que le "
                                            "nombre déclaré")
    assert members_line(size(12, 12, 12)) == "12 nommés dans les sources ; nombre déclaré : 12, identique"
    assert members_line(size(35, 35, 30), "en").endswith("declared number: 30 — the sources name more than declared")


def test_a_collectivite_that_funds_the_structure_porteuse_is_called_a_funder(walk):
    """« Rôles des collectivités : CA du Sicoval … inconnu » although it funds the structure
    porteuse (a grant with no nature stated): now « financeur », saying from which source (here
    the study's file: neither a member list nor a subsidy file, named by its file's name)."""
    roles = re.search(r'<table class="roles"[^>]*>.*?</table>', walk["pole_fr"], re.S).group(0)
    row = text(re.findall(r"<tr>(.*?)</tr>", roles, re.S)[1])
    assert "Communauté d'agglomération du Sicoval" in row and "financeur (d'après etude.jsonl)" in row
    assert "inconnu" not in row
    assert "funder (from etude.jsonl)" in text(walk["pole_en"].split('class="roles"')[1].split("</table>")[0])


def test_a_refused_grant_or_a_stated_aid_gives_no_funder_label(tmp_path):
    """Only a grant that moved money and whose kind of aid is not stated: a refused request says
    nothing, a stated operating aid is that role."""
    from maillage.analytics.poles import pole_diagnostic

    recs = [actor("p", "Pôle Essai", "pole", "ptce"), actor("sp", "Porteur Essai", "ess", "association"),
            actor("r", "Région Occitanie", "collectivite", "region"),
            actor("d", "Département de la Haute-Garonne", "collectivite", "departement"),
            actor("c", "Commune de Ramonville-Saint-Agne", "collectivite", "commune"),
            relation("carries", "sp", "p"),
            relation("funds", "r", "sp", nature="fonctionnement", amount=1000),
            relation("funds", "d", "sp", status="refuse"), relation("funds", "c", "p", amount=500)]
    with open_store(str(tmp_path / "s.db")) as store:
        load_file(store, write_jsonl(tmp_path / "e.jsonl", recs), rejects_dir=tmp_path)
        d = pole_diagnostic(store, store.search("Pôle Essai", family="pole")[0].id)
    labels = {c.actor.name: c.role_labels for c in d.collectivites}
    assert labels == {"Commune de Ramonville-Saint-Agne": ["financeur (d'après e.jsonl)"],
                      "Département de la Haute-Garonne": [],
                      "Région Occitanie": ["Aide au fonctionnement"]}


def test_each_measure_shown_is_explained_where_it_is_shown(walk, tmp_path):
    """Blau, IQV, Herfindahl, Adamic–Adar appeared with no explanation: each now has a plain
    « Comment lire » sentence in its section, and keeps its name for researchers."""
    page = walk["pole_fr"]
    notes = dict(re.findall(r'<p class="small how-to-read" data-measure="([^"]+)">(.*?)</p>', page, re.S))
    section = lambda sid: text(page.split(f'<section id="{sid}">')[1].split("</section>")[0])  # noqa: E731
    assert "Indice de Blau" in section("composition") and "Comment lire : l'indice de Blau est la probabilité" in \
        section("composition") and "(IQV)" in notes["blau"]
    assert "Herfindahl" in section("financements") and "somme des carrés des parts" in notes["herfindahl"]
    assert "Adamic–Adar" in section("suggestions") and "partenaires que deux acteurs ont en commun" in \
        html.unescape(notes["adamic-adar"])
    en = walk["pole_en"]
    assert "How to read: Blau's index" in html.unescape(en) and "Herfindahl index) is the sum" in en


def test_the_jaccard_index_of_overlapping_poles_is_explained(tmp_path):
    recs = [actor("p1", "Pôle Un", "pole", "ptce"), actor("p2", "Pôle Deux", "pole", "ptce"),
            *(actor(f"m{i}", f"Structure {i}", "ess", "association") for i in range(4)),
            *(relation("membership", f"m{i}", "p1") for i in range(3)),
            *(relation("membership", f"m{i}", "p2") for i in range(1, 4))]
    with open_store(str(tmp_path / "s.db")) as store:
        load_file(store, write_jsonl(tmp_path / "e.jsonl", recs), rejects_dir=tmp_path)
        page = render_pole_report(store, store.search("Pôle Un", family="pole")[0].id,
                                  tmp_path / "p.html").read_text(encoding="utf-8")
    overlaps = text(page.split('<section id="recouvrements">')[1].split("</section>")[0])
    assert "Pôle Deux" in overlaps and "Comment lire : l'indice de Jaccard est la part des membres communs" in overlaps


def test_the_suggestions_caveat_is_said_once_above_the_list(walk):
    """Every row repeated « Suggestion à vérifier, pas un lien établi » (and « X et Y ne sont liés
    par aucune relation connue »): said once above the list now, each row only its reasons; the
    rows stay marked as suggestions in the page's data."""
    section = walk["pole_fr"].split('<section id="suggestions">')[1].split("</section>")[0]
    rows = re.findall(r'<tr class="suggestion" data-suggestion="true">(.*?)</tr>', section, re.S)
    assert len(rows) == 8
    assert text(section).count("pas un lien établi") + text(section).count("pas des liens établis") == 1
    assert text(section.split("<table")[0]).count("Suggestions à vérifier, pas des liens établis") == 1
    for row in rows:
        reason = text(re.findall(r'<td class="small">(.*?)</td>', row, re.S)[-1]).strip()
        assert reason.startswith("Familles d'acteurs complémentaires") and "ne sont liés par aucune" not in reason
    en = walk["pole_en"].split('<section id="suggestions">')[1].split("</section>")[0]
    assert text(en).count("not established ties") == 1 and "not an established tie" not in en
    # the territory report's leads likewise (tests/test_reports.py, leads of the isolated actors)
