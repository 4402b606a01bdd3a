"""Analysis runs, isolated actors, the pôles table and the HTML report, on a small
hand-built store (written as ``maillage-jsonl`` and loaded through the ordinary loader)."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from maillage.analytics.report import render_report
from maillage.analytics.run import analyse, isolated_actors, pole_table
from maillage.graph import open_store
from maillage.graph.store import NotFound
from maillage.loaders import load_file

from _jsonl import actor, relation, write_jsonl


ECOSYSTEM = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Écosystème d'essai",
     "documents": {"etude": {"title": "Étude sur les PTCE", "sha256": "ab" * 32}}},
    actor("pole", "Pôle Coop'Sud", "pole", "ptce", location="commune:31446", declared={"members": 40},
          pole={"phase": "consolidation", "founding_year": 2012}),
    actor("vide", "Pôle Peu Documenté", "pole", "ptce", declared={"members": 25}),
    actor("jardins", "Les Jardins", "ess", "association"),
    actor("scop", "SCOP Bâtisseurs", "ess", "scop", location="commune:31555",
          identifiers=[{"scheme": "siren", "value": "552100554"}]),
    actor("pme", "Menuiserie Durand", "enterprise", "pme"),
    actor("region", "Région Occitanie", "collectivite", "region"),
    actor("cc", "Communauté de communes du Lot", "collectivite", "epci"),
    actor("fondation", "Fondation Solidaire", "ess", "fondation"),
    actor("seul", "Tiers-lieu Solitaire", "tiers_lieu", "tiers_lieu"),
    actor("prefecture", "Préfecture du Lot", "state", "prefecture"),
    actor("anonymes", "Quatre communes", "collectivite", "commune", placeholder=True, group_count=4),
    actor("elue", "Jeanne Dupont", "person", "elu"),
    relation("membership", "jardins", "pole", tier="socle"),
    relation("membership", "scop", "pole"),
    relation("membership", "pme", "pole"),
    relation("carries", "jardins", "pole", function="structure_porteuse"),
    relation("funds", "region", "pole", amount=30000, year=2015),
    relation("supports", "region", "pole", form="co_construction"),
    relation("cooperates", "scop", "pme", start=2020),
    relation("partner", "cc", "pole"),
    relation("funds", "fondation", "jardins", amount=5000),
    relation("governs", "prefecture", "vide", body="comité de pilotage"),
    relation("represents", "elue", "region", mandate="vice-présidente"),
    relation("membership", "elue", "pole"),
]


@pytest.fixture
def store(tmp_path):
    s = open_store(str(tmp_path / "essai.db"))
    load_file(s, write_jsonl(tmp_path / "eco.jsonl", ECOSYSTEM), rejects_dir=tmp_path / "rejets")
    yield s
    s.close()


def ids_by_name(store) -> dict[str, str]:
    return {a.name: a.id for a in store.iter_actors(include_persons=True)}


# -- analysis runs ------------------------------------------------------------------------------

def test_analyse_stores_a_run_with_its_parameters(store):
    run = analyse(store, note="essai")
    assert re.fullmatch(r"run-\d{8}T\d{6}Z-[0-9a-f]{6}(-\d+)?", run.id)
    assert [r.id for r in store.runs()] == [run.id]
    p = run.params
    assert p["lens"] == "cooperation" and p["as_of"] is None and p["seed"] == 0
    assert p["betweenness_k"] is None and p["betweenness"] == "exact"
    assert p["nodes"] == 11  # every actor but the natural person
    # direct: pôle–{jardins, scop, pme, region, cc}, scop–pme; co-membership in the pôle:
    # jardins–scop, jardins–pme, scop–pme (the last one already tied directly)
    assert p["edges"] == 8
    assert p["layers"] == {"direct": 6, "co_membership": 3, "shared_governance": 0}
    m = store.metrics(run.id)
    n = ids_by_name(store)
    assert n["Jeanne Dupont"] not in m  # natural persons are not analysed
    assert m[n["Pôle Coop'Sud"]]["degree"] == 5
    assert m[n["Pôle Coop'Sud"]]["betweenness"] == max(v["betweenness"] for v in m.values() if "betweenness" in v)
    # membership + carries (same source) + Newman weight 1/(3 − 1) to each of two co-members
    assert m[n["Les Jardins"]]["strength"] == 3


def test_two_runs_are_kept_apart_and_the_first_is_unchanged(store, tmp_path):
    first = analyse(store)
    before = store.metrics(first.id)
    # more data, then a second analysis in the same second with the same parameters
    extra = [actor("asso", "Association Nouvelle", "ess", "association"),
             relation("membership", "asso", "Pôle Coop'Sud")]
    extra[1]["target"] = ids_by_name(store)["Pôle Coop'Sud"]
    load_file(store, write_jsonl(tmp_path / "extra.jsonl", extra), rejects_dir=tmp_path / "rejets")
    second = analyse(store)
    third = analyse(store)
    assert len({first.id, second.id, third.id}) == 3
    assert [r.id for r in store.runs()] == [first.id, second.id, third.id]
    assert store.metrics(first.id) == before
    pole = ids_by_name(store)["Pôle Coop'Sud"]
    assert store.metrics(second.id)[pole]["degree"] == before[pole]["degree"] + 1


def test_analyse_as_of_and_sampling(store):
    run = analyse(store, as_of=2015, betweenness_k=3, seed=7)
    assert run.as_of == 2015 and run.params["betweenness"] == "sampled"
    # the scop–pme cooperation starts in 2020: in 2015 they are tied only as co-members
    assert run.params["layers"] == {"direct": 5, "co_membership": 3, "shared_governance": 0}
    again = analyse(store, as_of=2015, betweenness_k=3, seed=7)
    assert store.metrics(run.id) == store.metrics(again.id)


HAUTE_GARONNE = "realdata/scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv"


def test_a_subsidy_file_changes_no_normalised_measure_of_the_cooperation_lens(store, tmp_path, shared):
    """Betweenness, closeness and PageRank are normalised over the actors with a tie in the
    lens: loading the real Haute-Garonne subsidy file (48 bénéficiaires, funding ties only,
    outside the cooperation lens) adds nodes to the run but changes none of them. They used to
    be divided by every node (the pôle's betweenness fell with each file loaded)."""
    import networkx as nx

    from maillage.analytics.lenses import lens_graph

    before = analyse(store)
    load_file(store, shared / HAUTE_GARONNE, rejects_dir=tmp_path / "rejets")
    after = analyse(store)
    G = lens_graph(store, "cooperation")
    tied = [v for v in G if G.degree(v)]
    assert after.params["nodes"] == G.number_of_nodes() >= before.params["nodes"] + 40
    assert before.params["normalised_over"] == after.params["normalised_over"] == len(tied) == 6
    # the density over every actor falls with the file's bénéficiaires; over the tied ones it does not
    assert after.params["density"] == pytest.approx(nx.density(G))
    assert after.params["density"] < before.params["density"]
    assert before.params["density_tied"] == after.params["density_tied"] == pytest.approx(nx.density(G.subgraph(tied)))
    m0, m1 = store.metrics(before.id), store.metrics(after.id)
    pole = ids_by_name(store)["Pôle Coop'Sud"]
    assert m0[pole]["betweenness"] > 0.5
    for name in ("betweenness", "closeness", "pagerank", "community"):
        for a in m0:  # an actor without a tie keeps 0 (its own community is numbered after the others)
            if "degree" in m0[a] and (name != "community" or m0[a]["degree"]):
                assert m1[a][name] == pytest.approx(m0[a][name], abs=1e-12), (name, a)
    # networkx on the tied actors gives the stored values; an actor without a tie has 0
    H = G.subgraph(tied)
    expected = {"betweenness": nx.betweenness_centrality(H), "closeness": nx.closeness_centrality(H),
                "pagerank": nx.pagerank(H, weight="weight", tol=1e-12, max_iter=1000)}
    for name, values in expected.items():
        for a in G:
            assert m1[a][name] == pytest.approx(values.get(a, 0.0), abs=1e-9), (name, a)
    assert m1[ids_by_name(store)["Tiers-lieu Solitaire"]]["pagerank"] == 0


# -- isolated actors ------------------------------------------------------------------------------

def test_isolated_reasons(store):
    """« Isolé » means no cooperation tie, as in the territory diagnostic: the default listing
    used to add every actor with a single partner and the collectivités; they are now only in
    the listing with ``include_peripheral``, each marked with its status."""
    default = {r["name"]: r for r in isolated_actors(store)}
    assert set(default) == {"Tiers-lieu Solitaire", "Fondation Solidaire"}
    assert {(r["status"], r["status_label"]) for r in default.values()} == {("isolated", "isolé")}
    rows = {r["name"]: r for r in isolated_actors(store, include_peripheral=True)}
    assert rows["Tiers-lieu Solitaire"]["code"] == "aucun_lien"
    assert rows["Fondation Solidaire"]["code"] == "seulement_financement"
    assert "financement" in rows["Fondation Solidaire"]["reason"]
    assert rows["Préfecture du Lot"]["code"] == "hors_lentille"
    assert "gouvernance" in rows["Préfecture du Lot"]["reason"]
    assert rows["Préfecture du Lot"]["status"] == "public_bodies"  # a funder, not an isolated actor
    assert rows["Communauté de communes du Lot"]["code"] == "lien_unique"
    assert rows["Communauté de communes du Lot"]["partners"][0]["name"] == "Pôle Coop'Sud"
    # the Région funds and supports the pôle: one partner in the cooperation lens
    assert rows["Région Occitanie"]["code"] == "lien_unique"
    assert rows["Région Occitanie"]["ties"] == {"funds": 1, "supports": 1}
    assert rows["Région Occitanie"]["status_label"] == "collectivité ou organisme public"
    # actors with two or more partners and no other reason are not listed; natural persons never are
    for name in ("Pôle Coop'Sud", "SCOP Bâtisseurs", "Menuiserie Durand", "Jeanne Dupont"):
        assert name not in rows
    # Les Jardins: membership + carries to the pôle = a single partner, but it is the structure
    # porteuse of that pôle (it carries it: no `lien_unique`), a pôle gathering ESS structures
    # and an enterprise (cooperation across families, art. 9): no reason, not listed
    assert "Les Jardins" not in rows
    for r in rows.values():
        assert r["reason"] and r["code"] in {"aucun_lien", "seulement_financement", "hors_lentille", "lien_unique"}
    # isolated first, then peripheral, then the actors set apart
    order = ["isolated", "peripheral", "documentation_gaps", "public_bodies"]
    statuses = [r["status"] for r in isolated_actors(store, include_peripheral=True)]
    assert statuses == sorted(statuses, key=order.index)


def test_thinly_documented_actors_carry_a_caveat(store):
    rows = {r["name"]: r for r in isolated_actors(store, include_peripheral=True)}
    anonymes = rows["Quatre communes"]
    assert anonymes["code"] == "aucun_lien" and anonymes["placeholder"] is True
    assert anonymes["thinly_documented"] and any("sans être nommé" in c for c in anonymes["caveats"])
    vide = rows["Pôle Peu Documenté"]
    assert vide["declared"] == {"members": 25.0} and vide["thinly_documented"]
    assert vide["status"] == "documentation_gaps"  # never called isolated
    assert any("25" in c for c in vide["caveats"])
    assert not rows["Tiers-lieu Solitaire"]["thinly_documented"]
    assert rows["Tiers-lieu Solitaire"]["caveats"] == []
    assert not {"Quatre communes", "Pôle Peu Documenté"} & {r["name"] for r in isolated_actors(store)}


def test_isolated_in_the_funding_lens(store):
    rows = {r["name"]: r for r in isolated_actors(store, lens="funding", include_peripheral=True)}
    # in the funding lens, the fondation has one partner (peripheral) and the SCOP only other ties
    assert rows["Fondation Solidaire"]["code"] == "lien_unique"
    assert rows["Fondation Solidaire"]["status"] == "peripheral"
    assert rows["SCOP Bâtisseurs"]["code"] == "hors_lentille"
    assert {r["name"] for r in isolated_actors(store, lens="funding")} >= {"SCOP Bâtisseurs"}
    assert "Fondation Solidaire" not in {r["name"] for r in isolated_actors(store, lens="funding")}


def test_person_names_for_masking(store):
    from maillage.analytics.run import person_masker, person_names

    assert person_names(store) == ["Jeanne Dupont"]
    mask = person_masker(person_names(store))
    assert mask("Mme JEANNE DUPONT (élue)") == "Mme [personne 1] (élue)"
    assert mask("Jeanne Dupontel") == "Jeanne Dupontel"  # whole words only


def test_a_surname_alone_is_masked_where_it_is_cited_as_an_author_only():
    """A citation names an author by surname (« Fraisse et al. »); the same word elsewhere may be
    a place (a commune « Valence ») or a word, and stays."""
    from maillage.analytics.run import person_masker

    mask = person_masker(["Laurent Fraisse", "Jeanne Valence", "Mme BARDOT Florence", "Jean-Marc de Boni",
                          "chargée de mission ESS dédiée (non nommée)"])
    cited = {"co-published study (Fraisse et al.)": "co-published study ([personne 1] et al.)",
             "voir FRAISSE et al, 2007": "voir [personne 1] et al, 2007",
             "d'après Fraisse (2017a, p. 3)": "d'après [personne 1] (2017a, p. 3)",
             "(Fraisse, 2017)": "([personne 1], 2017)",
             "Fraisse et Laville (2015)": "[personne 1] et Laville (2015)",
             "Lead author 'Fraisse, Laurent et al.'": "Lead author '[personne 1] et al.'",
             "selon Bardot (2019)": "selon [personne 3] (2019)",
             "de Boni, 2001 ; Boni et al.": "[personne 4], 2001 ; [personne 4] et al."}
    for text, masked in cited.items():
        assert mask(text) == masked, text
    kept = ["pôle de Valence (26), siège à Valence, 26000 ; Valence Romans Agglo", "rue Fraisse, 12",
            "Fraissel et al. (2017)", "Valence et le pôle (2019)", "l'économie sociale et solidaire (ESS, 2014)",
            "Boni est"]
    for text in kept:
        assert mask(text) == text
    assert mask("Jeanne Valence, 2019") == "[personne 2], 2019"  # the full name is masked anywhere


# -- pôles ------------------------------------------------------------------------------------------

def test_pole_table(store):
    rows = {r["name"]: r for r in pole_table(store)}
    assert list(rows) == ["Pôle Coop'Sud", "Pôle Peu Documenté"]
    p = rows["Pôle Coop'Sud"]
    assert [m["name"] for m in p["members"]] == ["Les Jardins", "Menuiserie Durand", "SCOP Bâtisseurs"]
    assert p["members_listed"] == 3  # the natural person's membership is not listed
    assert [c["name"] for c in p["carriers"]] == ["Les Jardins"]
    assert p["declared_members"] == 40
    assert {c["name"]: c["types"] for c in p["collectivites"]} == {
        "Communauté de communes du Lot": ["partner"], "Région Occitanie": ["funds", "supports"]}
    assert p["phase"] == "consolidation" and p["phase_label"] == "Consolidation / développement"
    assert p["founding_year"] == 2012 and p["kind_label"] == "PTCE"
    assert p["location_label"].startswith("Ramonville")
    assert p["sources"] == 1
    vide = rows["Pôle Peu Documenté"]
    assert vide["members_listed"] == 0 and vide["declared_members"] == 25 and vide["collectivites"] == []


def test_a_mention_is_not_a_collectivite_of_the_pole(store, tmp_path):
    """« Collectivités liées » lists those that fund, support, govern, carry… the pôle: an
    unqualified ``related`` tie (the extraction's « cité en exemple dans l'étude BMO 2009 », seed
    002 L578-582: Brest Métropole Océane cited La Ruche as an example) is a mention, not a link —
    the pôle's criteria (K3) never counted it either."""
    cited = [{"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Étude"},
             actor("p", "Pôle Coop'Sud", "pole", "ptce", location="commune:31446"),
             actor("bmo", "Brest Métropole Océane", "collectivite", "epci"),
             relation("related", "bmo", "p", role="cité en exemple dans l'étude BMO 2009")]
    load_file(store, write_jsonl(tmp_path / "etude.jsonl", cited), rejects_dir=tmp_path / "rejets")
    p = {r["name"]: r for r in pole_table(store)}["Pôle Coop'Sud"]
    assert {c["name"]: c["types"] for c in p["collectivites"]} == {
        "Communauté de communes du Lot": ["partner"], "Région Occitanie": ["funds", "supports"]}


def test_reference_poles_list_no_collectivite_by_a_mention():
    from maillage.loaders import load_reference

    s = open_store(":memory:")
    load_reference(s)
    listed = {c["name"] for r in pole_table(s) for c in r["collectivites"]}
    assert "Brest Métropole Océane" not in listed and listed  # cited as an example (002 L578), nothing more
    s.close()


# -- report -------------------------------------------------------------------------------------------

@pytest.fixture
def conflicting(store, tmp_path):
    """A second source that disagrees on the SCOP's kind and place (same SIREN) and on the
    pôle's declared size."""
    second = [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Annuaire <b>CRESS</b>",
         "documents": {"entretien": {"title": "Entretien avec Jeanne Dupont, 2019"}}},
        actor("s", "SCOP Bâtisseurs", "ess", "cooperative", location="commune:75056",
              identifiers=[{"scheme": "siren", "value": "552100554"}]),
        actor("p", "Pôle Coop'Sud", "pole", "ptce", declared={"members": 35}, location="region:76"),
        actor("x", "<script>alert('x')</script> Collectif", "other", "collectif"),
    ]
    load_file(store, write_jsonl(tmp_path / "annuaire.jsonl", second), rejects_dir=tmp_path / "rejets")
    return store


def test_report(conflicting, tmp_path):
    store = conflicting
    run = analyse(store)
    map_file = tmp_path / "cartes" / "carte.html"
    map_file.parent.mkdir()
    map_file.write_text("<html></html>", encoding="utf-8")
    out = render_report(store, run.id, tmp_path / "rapports" / "rapport.html", map_path=map_file)
    html = out.read_text(encoding="utf-8")
    text = htmllib.unescape(html)
    for heading in ("Sources", "Composition par famille d'acteurs", "Types de relations",
                    "Acteurs les plus centraux", "Pôles", "Acteurs isolés ou périphériques",
                    "Contradictions entre sources", "Méthodes"):
        assert f"{heading}</h2>" in text
    assert '<html lang="fr">' in html
    assert run.id in html
    assert "Étude sur les PTCE" in html  # documents of the reference data, with titles
    assert "Pôle Coop&#39;Sud" in html and "Intermédiarité" in text
    # contradictions: kinds and declared sizes as the sources state them
    section = html.split('id="contradictions"')[1].split("</section>")[0]
    assert "SCOP Bâtisseurs" in section and "Coopérative / SCOP" in section
    assert "Membres déclarés" in section and "35 / 40" in section
    assert "Toulouse (31) / Paris (75)" in section  # two places: a contradiction
    assert "Occitanie" not in section  # a commune and its région: precision, not contradiction
    # isolated actors with reasons and caveats
    assert "seulement_financement" in text and "peu documenté" in text
    # never a natural person, not even in the title of a document
    assert "Jeanne" not in html and "Dupont" not in html
    assert "Entretien avec [personne 1], 2019" in text
    # autoescaping of data
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<b>CRESS</b>" not in html
    # self-contained: no external resource, a relative link to the map
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html.replace("&lt;script", "")
    assert 'href="../cartes/carte.html"' in html


def test_report_in_english_and_unknown_run(store, tmp_path):
    run = analyse(store)
    html = render_report(store, run.id, tmp_path / "report.html", lang="en").read_text(encoding="utf-8")
    assert "Contradictions between sources" in html and "Local authority" in html
    with pytest.raises(NotFound):
        render_report(store, "run-inconnu", tmp_path / "x.html")
