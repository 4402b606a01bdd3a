"""What counts as a tie (:data:`maillage.analytics.lenses.TieRule`): a planned, announced statement
(certainty « prévu ») and a refused funding application are not ties — in the lens graphs, the
metrics, the brokerage, the isolation, the evolution and the territory diagnostic alike, as the
pôle figures already said — unless a run asks for them (``certainty``, ``refused``), and then
the run says so in its parameters."""

from __future__ import annotations

import pytest

from maillage.analytics.evolution import evolution
from maillage.analytics.lenses import certainty_codes, lens_digraph, lens_graph, tie_rule
from maillage.analytics.run import analyse, isolated_actors
from maillage.analytics.territory import territory_diagnostic

from _jsonl import actor, ids_by_name, loaded_store, relation

EVERY_CERTAINTY = list(certainty_codes(["tout"]))  # every certainty of the vocabulary, as « --certainty tout »

# Pôle Sud (Toulouse) gathers the Jardins and the SCOP, which cooperate (2019); the Café only
# plans a partnership with the Jardins (2020); the Atelier applied to the Région once, refused;
# the Région funds the Jardins.
ECOSYSTEM = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Liens prévus et refusés",
     "documents": {"etude": {"title": "Étude", "sha256": "ab" * 32}}},
    actor("p", "Pôle Sud", "pole", "ptce", location="commune:31555"),
    actor("jardins", "Les Jardins", "ess", "association", location="commune:31555"),
    actor("scop", "SCOP Pont", "ess", "scop", location="commune:31555"),
    actor("cafe", "Café Projet", "ess", "association", location="commune:31555"),
    actor("atelier", "Atelier Refusé", "ess", "association", location="commune:31555"),
    actor("reg", "Région Occitanie", "collectivite", "region", territory="region:76"),
    relation("membership", "jardins", "p"),
    relation("membership", "scop", "p"),
    relation("cooperates", "jardins", "scop", start=2019),
    relation("partner", "cafe", "jardins", certainty="planned", start=2020),
    relation("applies_to", "atelier", "reg", year=2021, status="refuse", amount_requested=5000),
    relation("funds", "reg", "jardins", amount=1000, year=2021),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = loaded_store(tmp_path_factory.mktemp("regle"), ECOSYSTEM)
    yield s
    s.close()


@pytest.fixture(scope="module")
def ids(store):
    return ids_by_name(store)


def status(rows, aid):
    return next((r["status"] for r in rows if r["id"] == aid), None)


def test_the_rule_by_default_and_on_request():
    rule = tie_rule()
    assert rule.certainty == ("stated", "implied", "inferred") and rule.refused is False
    assert tie_rule(["planned", "stated"]).certainty == ("planned", "stated")
    with pytest.raises(ValueError, match="certainty"):
        tie_rule(["sure"])


def test_a_planned_tie_is_no_tie_of_the_lens_graph(store, ids):
    cafe, jardins = ids["Café Projet"], ids["Les Jardins"]
    G = lens_graph(store)
    assert not G.has_edge(cafe, jardins) and G.degree(cafe) == 0
    assert G.graph["certainty"] == ["stated", "implied", "inferred"] and G.graph["refused"] is False
    assert G.graph["left_out"] == {"planned": 1, "refused": 0}
    assert lens_graph(store, certainty=EVERY_CERTAINTY).has_edge(cafe, jardins)
    assert not lens_digraph(store).has_edge(cafe, jardins)


def test_a_refused_application_is_no_funding_tie(store, ids):
    atelier, reg = ids["Atelier Refusé"], ids["Région Occitanie"]
    for build in (lens_graph, lens_digraph):
        G = build(store, "funding")
        assert atelier in G and G.degree(atelier) == 0
        assert G.has_edge(reg, ids["Les Jardins"])  # the grant is a tie
        assert build(store, "funding", refused=True).has_edge(reg, atelier)
    assert lens_graph(store, "funding").graph["left_out"] == {"planned": 0, "refused": 1}


def test_isolation_counts_neither(store, ids):
    rows = isolated_actors(store, include_peripheral=True)
    assert status(rows, ids["Café Projet"]) == "isolated"
    assert next(r for r in rows if r["id"] == ids["Café Projet"])["codes"][0] == "aucun_lien"
    assert status(isolated_actors(store, include_peripheral=True, certainty=EVERY_CERTAINTY),
                  ids["Café Projet"]) == "peripheral"
    funding = isolated_actors(store, lens="funding", include_peripheral=True)
    assert status(funding, ids["Atelier Refusé"]) == "isolated"
    assert status(isolated_actors(store, lens="funding", include_peripheral=True, refused=True),
                  ids["Atelier Refusé"]) == "peripheral"
    # the territory diagnostic (reports, maps, API) says the same
    d = territory_diagnostic(store, "commune:31555")
    assert {ids["Café Projet"], ids["Atelier Refusé"]} <= {e.id for e in d.isolated.items}


def test_a_run_counts_neither_and_says_what_it_counted(store, ids):
    cafe = ids["Café Projet"]
    run = analyse(store)
    assert run.params["certainty"] == ["stated", "implied", "inferred"] and run.params["refused"] is False
    assert run.params["left_out"] == {"planned": 1, "refused": 0}
    m = store.metrics(run.id)
    assert m[cafe]["degree"] == 0 and m[cafe]["statut.isolated"] == 1
    assert m[ids["Les Jardins"]]["degree"] == 2  # its pôle and the SCOP
    planned = analyse(store, certainty=EVERY_CERTAINTY)
    assert planned.params["certainty"] == EVERY_CERTAINTY and planned.params["left_out"] == {"planned": 0,
                                                                                              "refused": 0}
    m = store.metrics(planned.id)
    assert m[cafe]["degree"] == 1 and m[cafe]["statut.peripheral"] == 1
    assert m[ids["Les Jardins"]]["degree"] == 3
    funding = analyse(store, lens="funding")
    assert store.metrics(funding.id)[ids["Atelier Refusé"]]["statut.isolated"] == 1
    refused = analyse(store, lens="funding", refused=True)
    assert refused.params["refused"] is True
    assert store.metrics(refused.id)[ids["Atelier Refusé"]]["degree"] == 1


def test_the_evolution_counts_no_planned_tie(store, ids):
    y2020 = {y.year: y for y in evolution(store).per_year.items}[2020]
    with_planned = {y.year: y for y in evolution(store, certainty=EVERY_CERTAINTY).per_year.items}[2020]
    assert with_planned.ties == y2020.ties + 1
    assert with_planned.isolated == y2020.isolated - 1  # the Café


def test_a_planned_partner_is_no_common_partner_of_a_suggestion(store, ids):
    from maillage.analytics.suggestions import suggest_partners

    items = suggest_partners(store, actor_id=ids["Café Projet"], k=5).items
    scop = next(i for i in items if i.target.id == ids["SCOP Pont"])
    assert scop.common_neighbours == 0 and "Les Jardins" not in scop.explanation
    # the pair with a planned tie is not suggested either: they know each other
    assert ids["Les Jardins"] not in {i.target.id for i in items}


# -- the reference dataset ---------------------------------------------------------------------------

#: Tied to Le Labo de l'ESS only by a planned partnership (seed 002: « prévu, annoncé »).
ONLY_PLANNED = ("CFDT", "CGT – Confédération Générale du Travail", "Mouvement ATD Quart Monde", "USGERES (Usgeres)")
#: Planned partners of the Labo with one other tie: their pôle (CIS 52), a working group.
ONE_OTHER_TIE = {"MEDEF": "CIS 52 (Coopération industrielle et sociale)",
                 "Secours Catholique": "Groupe de travail « banques et territoires » (Labo de l'ESS)"}


def test_the_reference_actors_tied_only_by_a_planned_meeting_are_isolated(reference):
    ids = ids_by_name(reference)
    rows = isolated_actors(reference, include_peripheral=True)
    for name in ONLY_PLANNED:
        assert status(rows, ids[name]) == "isolated", name
    for name, partner in ONE_OTHER_TIE.items():  # a single partner, not the Labo
        row = next(r for r in rows if r["id"] == ids[name])
        assert row["status"] == "peripheral" and row["partners"] == [{"id": ids[partner], "name": partner}]
    labo = ids["Le Labo de l'ESS"]
    assert lens_graph(reference, certainty=EVERY_CERTAINTY).degree(labo) == lens_graph(reference).degree(labo) + 6
    again = isolated_actors(reference, include_peripheral=True, certainty=EVERY_CERTAINTY)
    assert all(status(again, ids[name]) == "peripheral" for name in ONLY_PLANNED)
    assert status(again, ids["MEDEF"]) is None  # two partners: the Labo and its pôle


# -- the command line -----------------------------------------------------------------------------

def test_analyse_certainty_and_refused_options_and_the_projection_of_their_run(tmp_path):
    import csv

    from typer.testing import CliRunner

    from maillage.cli import app
    from maillage.graph import open_store

    loaded_store(tmp_path, ECOSYSTEM).close()
    db = str(tmp_path / "essai.db")

    def cli(*args, ok=True):
        r = CliRunner().invoke(app, ["--store", db, *args])
        assert (r.exit_code == 0) == ok, r.output
        return " ".join(r.output.split())

    def projected(lens="cooperation"):
        out = tmp_path / f"{lens}.edges.csv"
        said = cli("export", "-f", "edges.csv", "--projection", "--lens", lens, "-o", str(out))
        with open(out, encoding="utf-8-sig", newline="") as f:
            return {frozenset((r["source_id"], r["target_id"])) for r in csv.DictReader(f)}, said

    with open_store(db) as s:
        ids = ids_by_name(s)
        cafe = frozenset((ids["Café Projet"], ids["Les Jardins"]))
        atelier = frozenset((ids["Atelier Refusé"], ids["Région Occitanie"]))
    said = cli("analyse", "--metrics-only")
    assert ("liens comptés : affirmés, implicites, déduits — pas les liens seulement prévus ou annoncés ni les "
            "demandes de financement refusées") in said
    assert "1 lien seulement prévu ou annoncé non compté (--certainty tout pour les compter)" in said
    ties, said = projected()
    assert cafe not in ties and "1 lien seulement prévu ou annoncé non compté" in said and "(s)" not in said
    said = cli("analyse", "--metrics-only", "--certainty", "affirmé,implicite", "--certainty", "déduit",
               "--certainty", "prévu")
    assert "liens comptés : affirmés, implicites, déduits, prévus — pas les demandes de financement refusées" in said
    assert cafe in projected()[0]  # the projection counts what its run counted
    run_id = said.split("analyse ", 1)[1].split(" ", 1)[0]
    assert "liens comptés : affirmés, implicites, déduits, prévus" in cli("runs", run_id)
    said = cli("analyse", "--metrics-only", "--lens", "financement")
    assert "1 demande de financement refusée non comptée (--refused pour les compter)" in said
    assert atelier not in projected("funding")[0]
    cli("analyse", "--metrics-only", "--lens", "financement", "--refused")
    assert atelier in projected("funding")[0]
    said = cli("analyse", "--certainty", "sûr", ok=False)
    assert "« sûr » n'est pas une certitude : affirmé, implicite, déduit, prévu ou tout" in said



def test_the_api_s_projection_counts_what_its_run_counted(tmp_path):
    """``GET /api/export/csv?projection=true`` writes the ties of the run whose measures it
    carries, as ``maillage export --projection`` does: the planned partnership only once a run
    counted it (it used the default rule whatever the run counted)."""
    import csv
    import io

    from fastapi.testclient import TestClient

    from maillage.api.app import create_app
    from maillage.graph import open_store

    loaded_store(tmp_path, ECOSYSTEM).close()
    db = str(tmp_path / "essai.db")
    with open_store(db) as s:
        ids = ids_by_name(s)
        cafe = frozenset((ids["Café Projet"], ids["Les Jardins"]))

    def projected():
        with TestClient(create_app(db)) as client:
            r = client.get("/api/export/csv?projection=true")
        assert r.status_code == 200, r.text
        return {frozenset((t["source_id"], t["target_id"])) for t in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")))}

    with open_store(db) as s:
        analyse(s, lens="cooperation", diagnostics=False)
    assert cafe not in projected()
    with open_store(db) as s:
        analyse(s, lens="cooperation", diagnostics=False, certainty=EVERY_CERTAINTY)
    assert cafe in projected()


def test_an_actor_whose_only_statements_are_not_ties_is_told_why(store, ids):
    """The Atelier's only statement is a refused application and the Café's a planned
    partnership: no tie, so isolated — but « Aucun lien connu, de quelque type que ce soit » was
    false of them (932 actors of Paris's subsidy file, found by h156). The reason says which
    statements the analysis does not count, and the option that counts them."""
    rows = {r["id"]: r for r in isolated_actors(store, lens="cooperation", include_peripheral=True)}
    atelier, cafe = rows[ids["Atelier Refusé"]], rows[ids["Café Projet"]]
    assert atelier["status"] == cafe["status"] == "isolated"
    assert atelier["code"] == cafe["code"] == "aucun_lien"  # the code stays: no tie counted
    assert atelier["reason"] == ("Aucun lien compté : son seul lien connu, 1 demande de subvention refusée, n'est "
                                 "pas compté par l'analyse (maillage analyse --refused pour le compter)")
    assert cafe["reason"] == ("Aucun lien compté : son seul lien connu, 1 lien seulement prévu ou annoncé, n'est pas "
                              "compté par l'analyse (maillage analyse --certainty tout pour le compter)")
    en = {r["id"]: r for r in isolated_actors(store, lens="cooperation", include_peripheral=True, lang="en")}
    assert en[ids["Atelier Refusé"]]["reason"] == (
        "No tie counted: its only known tie, 1 refused funding application, is not counted by the analysis "
        "(maillage analyse --refused counts it)")
    # counted, the application is a tie (of the funding lens, not of this one)
    counted_rows = {r["id"]: r for r in isolated_actors(store, lens="cooperation", refused=True,
                                                         include_peripheral=True)}
    assert counted_rows[ids["Atelier Refusé"]]["code"] == "hors_lentille"
    assert counted_rows[ids["Café Projet"]]["reason"].startswith("Aucun lien compté : son seul lien connu, 1 lien "
                                                                 "seulement prévu")


def test_several_statements_left_out_are_counted_in_the_reason():
    """Three refused applications and two planned partnerships: both kinds named, counted, and
    both options given (the analysis counts neither)."""
    from maillage.analytics.territory import not_counted_text

    assert not_counted_text({"refused": 3, "planned": 2}) == (
        "Aucun lien compté : ses seuls liens connus, 3 demandes de subvention refusées et 2 liens seulement prévus "
        "ou annoncés, ne sont pas comptés par l'analyse (maillage analyse --refused --certainty tout pour les "
        "compter)")
    assert not_counted_text({"refused": 2}, "en") == (
        "No tie counted: its only known ties, 2 refused funding applications, are not counted by the analysis "
        "(maillage analyse --refused counts them)")


def test_a_planned_tie_with_a_natural_person_is_not_named_in_the_reason():
    """Ties to natural persons are no ties of the diagnostic (counted or not): an association
    whose only statement is a planned governance tie with a person has « no known tie », not
    « its only known tie, 1 planned tie » — the reason speaks of the same statements as the ties."""
    from maillage.graph.model import ActorView, Provenance, RelationView
    from maillage.graph.store import Subgraph
    from maillage.analytics.territory import Facts, actor_entry

    prov = Provenance(source="s", certainty="planned")
    sub = Subgraph(actors={"a": ActorView(id="a", name="Asso", family="ess"),
                           "b": ActorView(id="b", name="Coop", family="ess"),
                           "p": ActorView(id="p", name="Jeanne Dupuis", family="person", personal_data=True)},
                   relations=[RelationView(id="r1", type="governs", source="p", target="a", provenance=prov),
                              RelationView(id="r2", type="partner", source="b", target="a", provenance=prov)])
    facts = Facts.from_subgraph(sub)
    assert dict(facts.left_out["a"]) == {"planned": 1} and "p" not in facts.left_out
    assert actor_entry(facts.index(None), "a").reasons[0].text.startswith("Aucun lien compté : son seul lien connu, "
                                                                          "1 lien seulement prévu")
