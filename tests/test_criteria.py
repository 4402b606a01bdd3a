"""The art. 9 / Labo de l'ESS criteria as tri-state checks (maillage.analytics.criteria): the
catalogue against the founding documents, outcomes on the hand-built ecosystem of
``test_pole_diagnostics.py`` (True, False and unknown for the right reason), and the
reference dataset, where unknowns must dominate and never read as False."""

from __future__ import annotations

import html
import re
import unicodedata

import pytest
from _jsonl import actor, relation
from test_pole_diagnostics import build_store, ids_by_name

from maillage.analytics.criteria import CHECKS, DOCUMENTS, SOURCES, evaluate_criteria


@pytest.fixture
def store(tmp_path):
    s = build_store(tmp_path)
    yield s
    s.close()


def results(store, name, **kw):
    return {r.id: r for r in evaluate_criteria(store, ids_by_name(store)[name], **kw)}


# -- the catalogue --------------------------------------------------------------------------------

def test_catalogue_is_complete_data():
    ids = [c.id for c in CHECKS]
    assert ids[:18] == [f"K{i}" for i in range(1, 19)]
    assert set(ids[18:]) == {"X1", "X2", "X3", "X4", "X5", "M1", "I1"} and len(ids) == len(set(ids))
    for c in CHECKS:
        assert c.labels["fr"] and c.labels["en"] and c.labels["fr"] != c.labels["en"]
        assert c.rule["fr"] and c.rule["en"]
        assert c.source in SOURCES and c.computable in ("Y", "P", "N")
        assert c.references and all(r.document in DOCUMENTS and r.lines for r in c.references)
    # the non-computable ones of the notes' §3.2
    assert {c.id for c in CHECKS if c.computable == "N"} == {"K8", "K11", "K12", "K17"}
    assert {c.id for c in CHECKS if c.optional} == {"K4", "K5"}


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("*", "")
    return re.sub(r"\s+", " ", text).strip().casefold()


def test_every_quoted_reference_is_on_its_lines(shared):
    """Each quote of the catalogue is in its seed document at the lines it cites (the law is
    quoted in seed 001); an ellipsis separates fragments that follow one another."""
    files = {doc: next((shared / "seeds").glob(f"{doc}_*.txt")) for doc in ("000", "001", "002")}
    lines = {doc: f.read_text(encoding="utf-8").splitlines() for doc, f in files.items()}
    checked = 0
    for c in CHECKS:
        for ref in c.references:
            doc, span = (ref.lines.split(" ", 1) if ref.document == "loi" else (ref.document, ref.lines))
            m = re.fullmatch(r"L(\d+)(?:-(\d+))?", span)
            assert m, (c.id, ref)
            a, b = int(m.group(1)), int(m.group(2) or m.group(1))
            assert 1 <= a <= b <= len(lines[doc]), (c.id, ref)
            if not ref.text:
                continue
            window = _norm(" ".join(lines[doc][a - 1:b]))
            pos = 0
            for fragment in ref.text.split("…"):
                frag = _norm(fragment)
                found = window.find(frag, pos)
                assert found >= 0, (c.id, ref.cite(), frag)
                pos = found + len(frag)
            checked += 1
    assert checked >= 20


# -- outcomes on the hand-built pôles -----------------------------------------------------------------

def test_a_well_documented_pole(store):
    r = results(store, "Pôle Coop'Essai", as_of=2015)  # the grants are dated 2015
    # ESS core: Jardins, Régie, SCIC, SCOP
    assert r["K1"].state is True and r["K1"].n == 6 and r["K1"].value == pytest.approx(4 / 6)
    assert {e.name for e in r["K1"].evidence} == {"Jardins Partagés", "Régie Insertion", "SCIC Coop'Essai",
                                                  "SCOP Bâtir"}
    assert r["K2"].state is True and [e.name for e in r["K2"].evidence] == ["Menuiserie Durand"]
    assert r["K3"].state is True and r["K3"].value == 4  # commune, EPCI, département, région
    assert {e.name for e in r["K3"].evidence} == {"Région Occitanie", "Sicoval", "Département de la Haute-Garonne",
                                                  "Ramonville-Saint-Agne"}
    sicoval = next(e for e in r["K3"].evidence if e.name == "Sicoval")
    assert sicoval.relation_types == ["funds"] and len(sicoval.relations) == 1  # via the structure porteuse
    assert r["K4"].state is True and r["K5"].state is None  # no training body: unknown, not False
    assert r["K6"].state is True and "seuil strict de 10 non atteint" in r["K6"].reason
    # perimeter = the Sicoval: 3 of the 4 located structures are in it (Toulouse is not)
    assert r["K7"].state is True and r["K7"].value == pytest.approx(0.75) and r["K7"].n == 4
    assert r["K9"].state is True and r["K9"].value == 5  # founded in 2010, as of 2015
    assert r["K10"].state is True and r["M1"].state is True
    # as of 2015, only SCIC–Jardins (« R&D commune »): Jardins–Menuiserie starts in 2020
    assert {e.name for e in r["M1"].evidence} == {"Jardins Partagés", "SCIC Coop'Essai"}
    later = results(store, "Pôle Coop'Essai", as_of=2021)["M1"]
    assert {e.name for e in later.evidence} == {"Jardins Partagés", "Menuiserie Durand", "SCIC Coop'Essai"}
    assert r["K13"].state is True and [e.name for e in r["K13"].evidence] == ["Ramonville-Saint-Agne"]
    assert r["K15"].state is True and "SCIC" in r["K15"].reason
    assert r["K16"].state is True and [e.name for e in r["K16"].evidence] == ["CRESS Occitanie"]
    assert r["K18"].state is None and r["K18"].value == 120 and "aucun seuil" in r["K18"].reason
    assert all(r[x].state is True for x in ("X1", "X2", "X3", "X4", "X5", "I1"))
    for x in ("K8", "K11", "K12", "K17"):
        assert r[x].state is None and "non calculable" in r[x].reason
    assert r["K1"].state_label == "oui" and r["K5"].state_label == "inconnu"
    assert r["K1"].references == ["loi 001 L171-172", "001 L354"]


def test_false_only_when_the_data_contradicts(store):
    r = results(store, "Pôle Lucratif")
    # 3 members declared, 3 listed, none ESS: the list is complete, so the ESS core is missing
    assert r["K1"].state is False and "au plus 0" in r["K1"].reason
    assert r["K6"].state is False  # 3 declared < 5, one family
    assert r["K3"].state is False and "0 collectivité" in r["K3"].reason  # declared 0
    assert r["K15"].state is False and "SAS" in r["K15"].reason
    assert r["K2"].state is True
    # no partner list is declared: the absence of research is not a contradiction
    assert r["K4"].state is None and r["K16"].state is None and r["K10"].state is None


def test_unknown_for_the_right_reason(store):
    r = results(store, "Pôle Peu Documenté", as_of=2016)
    # 1 ESS organisation named; 34 of the 40 declared members are not listed: could be ESS
    assert r["K1"].state is None
    assert r["K1"].reason.startswith("seulement 2 membres nommés (6 avec les mentions sans nom et les "
                                     "groupes) sur 40 déclarés")
    assert "ne peut pas être jugée" in r["K1"].reason
    assert r["K6"].state is True  # 40 declared ≥ 5, two families listed
    assert r["K9"].state is None and "moins de 3 ans" in r["K9"].reason  # founded 2015: too young to judge
    assert r["K3"].state is None and r["K15"].state is None and r["M1"].state is None
    assert r["X2"].state is True  # it groups several structures

    empty = results(store, "Pôle Fantôme")
    assert all(res.state is None for res in empty.values())
    assert empty["K1"].reason.startswith("aucun membre ni structure porteuse documentés")
    assert empty["I1"].reason.startswith("ni fondateur ni structure porteuse")


def test_english(store):
    r = results(store, "Pôle Peu Documenté", lang="en")
    assert r["K1"].label == "Core of SSE organisations" and r["K1"].state_label == "unknown"
    assert r["K1"].reason.startswith("only 2 named members (6 with unnamed mentions and groups) of 40 declared")
    assert r["K1"].source_label == "Legal definition (art. 9)"


# -- the reference dataset ------------------------------------------------------------------------------

def test_reference_unknowns_dominate_and_never_read_as_false(reference):
    poles = [a for a in reference.iter_actors() if a.family == "pole"]
    tally = {"K1": [0, 0, 0], "K6": [0, 0, 0]}
    for p in poles:
        r = {x.id: x for x in evaluate_criteria(reference, p.id, as_of=2016)}
        assert len(r) == len(CHECKS)
        for res in r.values():
            assert res.reason and (res.state is not True or res.evidence or res.id in ("K9", "X1", "K6", "K18"))
        if r["K1"].n == 0:  # no structure listed: composition cannot be judged
            for cid in ("K1", "K2", "K6", "X2"):
                assert r[cid].state is not False, (p.name, cid, r[cid].reason)
            assert r["K1"].state is None
        for cid in tally:
            tally[cid][{True: 0, False: 1, None: 2}[r[cid].state]] += 1
    for cid, (yes, no, unknown) in tally.items():
        assert unknown > yes + no, cid
        assert no == 0, cid  # no reference pôle lists a complete membership that contradicts art. 9


def test_reference_specific_poles(reference):
    damier = {r.id: r for r in evaluate_criteria(reference, "le-damier-193c5d", as_of=2016)}
    assert damier["K1"].state is None and "aucun membre nommé (40 déclarés)" in damier["K1"].reason
    assert damier["K6"].state is None and "40 membres déclarés" in damier["K6"].reason  # size yes, diversity unknown
    assert damier["K9"].state is True  # created 2011 (000 L744)
    sud = next(a.id for a in reference.iter_actors() if a.name.startswith("Pôle Sud Aquitain"))
    r = {x.id: x for x in evaluate_criteria(reference, sud)}
    assert r["K1"].state is True and r["K1"].n >= 20
    assert r["K3"].state is True and r["K5"].state is True and r["K16"].state is True
    bray = next(a.id for a in reference.iter_actors() if a.name == "PTCE Pays de Bray")
    r = {x.id: x for x in evaluate_criteria(reference, bray)}
    assert r["K15"].state is True  # a SCIC (000 L954)


def test_k7_says_the_perimeter_the_sources_write_when_no_territory_matches_it(reference):
    """The Pôle d'excellence des industries culturelles's perimeter is written « Lille métropole »
    (000), which no territory of the geography matches (maillage/geography/perimeters.py: the
    environs of Lille, no enclosing territory named); the pôle report shows it under « Périmètre »:
    K7 must not call it « non renseigné » in the same report, but say why the anchoring cannot be
    measured."""
    pole = reference.get_actor("pole-d-excellence-des-industries-culture-bc5b25")
    written = pole.pole.perimeter_text
    assert written == "Lille métropole" and not pole.pole.perimeter
    k7 = {r.id: r for r in evaluate_criteria(reference, pole.id, as_of=2016)}["K7"]
    assert k7.state is None and "non renseigné" not in k7.reason
    assert f"« {written} »" in k7.reason and "rattaché à aucun territoire connu" in k7.reason
    k7en = {r.id: r for r in evaluate_criteria(reference, pole.id, as_of=2016, lang="en")}["K7"]
    assert "matched to no known territory" in k7en.reason


def test_k7_is_measured_on_the_perimeter_read_from_the_sources_words(reference):
    """The reference pôles state their perimeter in words only; read at load, it lets K7 count
    the located members inside: Matières et Couleurs du Luberon (« Pays d'Apt, Vaucluse (PACA) »,
    the Vaucluse) has 6 of its 7 located members in the Vaucluse; the PTCE Pays de Bray 7 of 7.
    Le Périscope's perimeter is Ramonville-Saint-Agne and the Sicoval (graph/merge.py sets the
    Haute-Garonne around them aside): its members located only in the Haute-Garonne tell nothing,
    and K7 is not judged (32 of 33 « inside » when the Haute-Garonne widened it)."""
    luberon = {r.id: r for r in evaluate_criteria(reference, "matieres-et-couleurs-du-luberon-0fac68")}["K7"]
    assert (luberon.state, luberon.n, luberon.value) == (True, 7, pytest.approx(6 / 7))
    assert luberon.reason.startswith("6 structures sur 7 localisées dans le périmètre")
    bray = {r.id: r for r in evaluate_criteria(reference, "maison-des-solidarites-du-pays-de-bray-61140c")}["K7"]
    assert (bray.state, bray.n) == (True, 7)
    periscope = {r.id: r for r in evaluate_criteria(reference, "periscope-le-periscope-248958")}["K7"]
    assert (periscope.state, periscope.n) == (None, 2)


def test_a_member_named_incubator_is_an_incubator_for_k14(tmp_path):
    """The walk-through: « Incubateur Midi Pyrénées », an association (so of the ESS family, not
    of the incubator kind), left K14 at « ni recherche ni incubateur documentés autour du pôle ».
    A member whose name says incubateur / pépinière / couveuse (a whole word, accents and case
    ignored, plural too) is an incubator for K14, and the reason says it is read from the name;
    a « pépiniériste » is not."""
    from maillage.graph import open_store
    from maillage.loaders import load_file

    def k14(rows: list[str], lang: str = "fr"):
        path = tmp_path / "membres.csv"
        path.write_text("Nom;Forme juridique;Commune\n" + "".join(f"{r};Association;Toulouse\n" for r in rows),
                        encoding="utf-8")
        with open_store(":memory:") as s:
            load_file(s, path, rejects_dir=tmp_path / "rejets", options={"pole": "Pôle Test"})
            (pole,) = [a.id for a in s.iter_actors() if a.family == "pole"]
            r = {c.id: c for c in evaluate_criteria(s, pole, lang=lang)}["K14"]
            return r, [e.name for e in r.evidence]

    r, evidence = k14(["Incubateur Midi Pyrénées", "Scop Bois Local", "Les Jardins de Cocagne"])
    assert r.state is True, r.reason
    assert r.reason == "incubateur d'après son nom (sa forme juridique ne le dit pas) : Incubateur Midi Pyrénées"
    assert evidence == ["Incubateur Midi Pyrénées"]
    r, _ = k14(["LES COUVEUSES D'ACTIVITÉ DU TARN", "Scop Bois Local"])
    assert r.state is True and "LES COUVEUSES D'ACTIVITÉ DU TARN" in r.reason
    r, _ = k14(["pepiniere d'entreprises de Muret", "Scop Bois Local"], lang="en")
    assert r.state is True and r.reason.startswith("incubator by its name")
    r, _ = k14(["Pépiniériste du Lot", "Incubatorium", "Scop Bois Local"])
    assert r.state is None and r.reason == "ni recherche ni incubateur documentés autour du pôle"


# -- the words of the reasons, as the pôle report prints them ----------------------------------------

#: A pôle whose structure porteuse states no legal form, only its kind (a cooperative), and whose
#: members' economic engagement is a strategic cooperation and a hosting.
WORDS_ECOSYSTEM = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Pôle des mots",
     "documents": {"etude": {"title": "Étude de cas", "sha256": "ef" * 32}}},
    actor("pole", "Pôle des Mots", "pole", "ptce"),
    actor("coop", "Coopérative du Lien", "ess", "cooperative"),
    actor("asso", "Association des Voisins", "ess", "association"),
    actor("garage", "Garage Martin", "enterprise", "tpe"),
    relation("carries", "coop", "pole", function="structure_porteuse"),
    *(relation("membership", m, "pole") for m in ("asso", "garage")),
    relation("cooperates", "asso", "garage", form="cooperation_strategique"),
    relation("hosts", "coop", "asso", premises="atelier"),
]


def _criterion_reason(page: str, cid: str) -> str:
    row = re.search(rf'<tr data-criterion="{cid}".*?<td class="reason">(.*?)</td>', page, re.S)
    return html.unescape(row.group(1)).strip()


@pytest.mark.parametrize("lang, k10, k15", [
    ("fr", "(Coopération stratégique, héberge)", "Coopérative du Lien (Coopérative)"),
    ("en", "(Strategic cooperation, host of)", "Coopérative du Lien (Cooperative)")])
def test_the_criteria_say_the_vocabularys_words_not_its_codes(tmp_path, lang, k10, k15):
    """K10 printed « 2 lien(s) d'engagement économique (cooperation_strategique, hosts) » and K15
    a structure porteuse without a legal form by its kind's code, « (cooperative) »: the pôle
    report now says the vocabulary's labels (the cooperation form, the relation type, the kind)."""
    from maillage.analytics.reports import render_pole_report

    from _jsonl import loaded_store

    with loaded_store(tmp_path, WORDS_ECOSYSTEM) as s:
        page = render_pole_report(s, ids_by_name(s)["Pôle des Mots"], tmp_path / "p.html", lang=lang
                                  ).read_text(encoding="utf-8")
    reason10, reason15 = _criterion_reason(page, "K10"), _criterion_reason(page, "K15")
    assert k10 in reason10 and "Association des Voisins" in reason10, reason10
    assert k15 in reason15, reason15
    for code in ("cooperation_strategique", "hosts", "(cooperative)"):
        assert code not in reason10 + reason15


def test_m1_says_what_it_counts_as_the_report_s_cooperation_section(tmp_path):
    """One cooperation statement, a member with the pôle itself: M1 said « 1 lien(s) de coopération
    entre structures du pôle », the words K10 uses for the pairs of members (none here). It counts
    the cooperation statements among the members or with the pôle, and says so in the report's
    cooperation section's words: one count, one wording."""
    from _jsonl import loaded_store

    from maillage.analytics.poles import pole_context, diagnostic_of

    records = [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Pôle d'essai",
         "documents": {"etude": {"title": "Étude de cas", "sha256": "cd" * 32}}},
        actor("pole", "Pôle Duo", "pole", "ptce"),
        actor("a", "Ressourcerie A", "ess", "association"),
        actor("b", "Atelier B", "ess", "association"),
        relation("membership", "a", "pole"), relation("membership", "b", "pole"),
        relation("cooperates", "a", "pole", form="mutualisation_moyens"),
    ]
    s = loaded_store(tmp_path, records)
    try:
        pid = ids_by_name(s)["Pôle Duo"]
        m1 = results(s, "Pôle Duo")["M1"]
        ctx = pole_context(s, pid)
        assert m1.state is None and m1.n == 1
        assert "(1 lien de coopération entre membres ou avec le pôle)" in m1.reason
        assert m1.reason == diagnostic_of(ctx).cooperation.reason
        assert ctx.internal_graph().number_of_edges() == 0
        assert "entre membres du pôle ou avec le pôle" in {c.id: c for c in CHECKS}["M1"].rule["fr"]
    finally:
        s.close()


def _counting_pole(key: str, k: int) -> list[dict]:
    """A pôle of 40 declared members with ``k`` of each thing its panel counts: named members,
    cooperation ties (no strategic one), seats (no collectivité), grants without an amount (and
    one with), planned ties; each member also tied to an actor outside the pôle."""
    m = [f"{key}m{i}" for i in range(k)]
    return [
        actor(key, f"Pôle {key}", "pole", "ptce", declared={"members": 40}),
        actor(f"{key}out", f"Dehors {key}", "ess", "association"),
        *(actor(x, f"Membre {x}", "ess", "association") for x in m),
        *(relation("membership", x, key) for x in m),
        *(relation("cooperates", x, key, form="mutualisation_moyens") for x in m),
        *(relation("governs", x, key, body="comité de pilotage") for x in m),
        *(relation("funds", x, key, locator=f"L3{i}") for i, x in enumerate(m)),
        relation("funds", f"{key}out", key, amount=1000),
        *(relation("partner", x, key, locator="L40", certainty="planned") for x in m),
        *(relation("partner", x, f"{key}out", locator="L50") for x in m),
    ]


def test_the_pole_panel_s_counts_agree_with_their_numbers(tmp_path):
    """The pôle panel's reasons, notes and caveats written by analytics/poles.py said « seulement 1
    membre(s) nommé(s) », « 1 lien(s) de coopération », « parmi les 1 acteur(s) », « financement(s) »,
    « membre(s) listé(s) », « lien(s) seulement prévu(s) », and a lens projection « lien(s) direct(s)
    … écarté(s) ». Each now agrees with its number: French singular up to 1, English for 1 only."""
    from _jsonl import loaded_store

    from maillage.analytics.lenses import lens_graph
    from maillage.analytics.poles import diagnostic_of, pole_context, thin_reason

    records = [{"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Comptes",
                "documents": {"etude": {"title": "Étude de cas", "sha256": "cd" * 32}}},
               *_counting_pole("un", 1), *_counting_pole("deux", 2)]
    s = loaded_store(tmp_path, records)
    try:
        ids = ids_by_name(s)
        said = {}
        for key in ("un", "deux"):
            for lang in ("fr", "en"):
                ctx = pole_context(s, ids[f"Pôle {key}"])
                d = diagnostic_of(ctx, lang)
                crit = {r.id: r.reason for r in evaluate_criteria(s, ids[f"Pôle {key}"], lang=lang)}
                said[key, lang] = (thin_reason(ctx, lang), crit["M1"].split(" (", 1)[1],
                                   d.governance.reason.split(" : ")[0].split(": ")[0],
                                   d.funding.hhi.note, d.caveats)
        assert said["un", "fr"] == (
            "seulement 1 membre nommé sur 40 déclarés",
            "1 lien de coopération entre membres ou avec le pôle) : la maturité ne peut pas être établie",
            "aucun siège de collectivité parmi 1 acteur dont le siège est documenté",
            "montant inconnu pour 1 financement sur 2 : parts du nombre de financements",
            ["1 membre listé pour 40 déclarés : les figures de composition décrivent les membres documentés, "
             "pas le pôle entier", "1 lien seulement prévu ou annoncé, non compté"])
        assert said["deux", "fr"] == (
            "seulement 2 membres nommés sur 40 déclarés",
            "2 liens de coopération entre membres ou avec le pôle) : la maturité ne peut pas être établie",
            "aucun siège de collectivité parmi 2 acteurs dont le siège est documenté",
            "montants inconnus pour 2 financements sur 3 : parts du nombre de financements",
            ["2 membres listés pour 40 déclarés : les figures de composition décrivent les membres documentés, "
             "pas le pôle entier", "Aucun lien direct entre membres documenté : la coopération interne est inconnue",
             "2 liens seulement prévus ou annoncés, non comptés"])
        assert said["un", "en"] == (
            "only 1 named member of 40 declared",
            "1 cooperation tie among members or with the pôle): maturity cannot be established",
            "no collectivité among 1 actor with a documented seat",
            "amount unknown for 1 of 2 funding ties: shares of the number of funding ties",
            ["1 member listed for 40 declared: composition figures describe the documented members, "
             "not the whole pôle", "1 tie only planned or announced, not counted"])
        assert said["deux", "en"] == (
            "only 2 named members of 40 declared",
            "2 cooperation ties among members or with the pôle): maturity cannot be established",
            "no collectivité among 2 actors with a documented seat",
            "amounts unknown for 2 of 3 funding ties: shares of the number of funding ties",
            ["2 members listed for 40 declared: composition figures describe the documented members, "
             "not the whole pôle", "No direct tie between members documented: internal cooperation is unknown",
             "2 ties only planned or announced, not counted"])
        crit = {r.id: r.reason for r in evaluate_criteria(s, ids["Pôle un"])}
        assert crit["K1"].startswith("seulement 1 membre nommé sur 40 déclarés")
        notes = {key: lens_graph(s, "cooperation", pole=ids[f"Pôle {key}"]).graph.get("notes")
                 for key in ("un", "deux")}
        assert notes == {"un": ["1 lien direct vers des acteurs hors du périmètre retenu écarté"],
                         "deux": ["2 liens directs vers des acteurs hors du périmètre retenu écartés"]}
    finally:
        s.close()
