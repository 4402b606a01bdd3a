"""Evolution over the years on a hand-built store whose yearly graphs, pôle entries and exits
and tie persistence are computed by hand below; betweenness is checked against plain
networkx on the same hand-written graphs (over the year's tied actors); and a run on the
reference dataset."""

from __future__ import annotations

import networkx as nx
import pytest

from maillage.analytics.evolution import evolution, years
from maillage.graph import open_store
from maillage.graph.store import NotFound
from maillage.loaders import load_file, load_reference

from _jsonl import actor, loaded_store, relation, write_jsonl


T = "commune:31555"

# Cooperation ties by year (P = the pôle; D's membership is undated):
#   2010: P–A, P–B, P–D, A–B
#   2011: P–A, P–B, P–C, P–D, A–C
#   2012: P–A, P–C, P–D, A–C          (+ F, observed through its 2012 grant, without a cooperation tie)
HISTORY = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Histoire d'un pôle",
     "documents": {"etude": {"title": "Rapports annuels"}}},
    actor("P", "Pôle Passerelle", "pole", "ptce", location=T),
    actor("A", "Association Aval", "ess", "association", location=T),
    actor("B", "Boulangerie Bio", "enterprise", "tpe", location=T),
    actor("C", "Coopérative Cime", "ess", "scic", location=T),
    actor("D", "Département partenaire", "collectivite", "departement", location=T),
    actor("F", "Fondation Faîte", "ess", "fondation"),
    actor("X", "Xavier Dupuis", "person", "salarie", location=T),
    relation("membership", "A", "P", start=2010),
    relation("membership", "B", "P", start=2010, end=2011),
    relation("membership", "C", "P", start=2011),
    relation("membership", "D", "P"),
    relation("cooperates", "A", "C", start=2011, end=2012),
    relation("cooperates", "A", "B", start=2010, end=2010),
    relation("funds", "F", "P", year=2012, amount=1000),
    relation("membership", "X", "P", start=2009),
    relation("cooperates", "X", "C", start=2009),
]


@pytest.fixture
def history(tmp_path):
    s = open_store(str(tmp_path / "histoire.db"))
    load_file(s, write_jsonl(tmp_path / "histoire.jsonl", HISTORY), rejects_dir=tmp_path / "rejets")
    yield s
    s.close()


def ids(store) -> dict[str, str]:
    return {a.name.split()[0][0] if not a.personal_data else "X": a.id
            for a in store.iter_actors(include_persons=True)}


def test_years_span_dated_facts(history):
    # the person's ties (from 2009) are not analysed: they do not stretch the span
    assert years(history) == [2010, 2011, 2012]


def test_per_year_graph(history):
    ev = evolution(history, years=[2010, 2011, 2012])
    got = [(y.year, y.actors, y.ties, y.ties_dated, y.ties_undated, y.components, y.isolated, y.single_tie)
           for y in ev.per_year.items]
    assert got == [
        # D (a collectivité) has the pôle only: set apart as the territory diagnostic does
        # (public_bodies), neither isolated nor single-tie
        (2010, 4, 4, 3, 1, 1, 0, 0),  # P A B D
        (2011, 5, 5, 4, 1, 1, 0, 1),  # B has the pôle only
        (2012, 5, 4, 3, 1, 2, 1, 0),  # F: funding only (isolated, its own component)
    ]
    assert [round(y.density, 6) for y in ev.per_year.items] == [round(4 / 6, 6), 0.5, 0.4]
    assert ev.per_year.size == 3


def test_members_entries_and_exits(history):
    n = ids(history)
    ev = evolution(history, years=[2010, 2011, 2012])
    (pole,) = ev.poles.items
    assert pole.pole.id == n["P"] and (pole.members_dated, pole.members_undated) == (3, 1)
    rows = [(t.year, t.members, sorted(r.name for r in t.entries.items), sorted(r.name for r in t.exits.items))
            for t in pole.years]
    assert rows == [
        (2010, 3, ["Association Aval", "Boulangerie Bio"], []),  # D (undated) was already there
        (2011, 4, ["Coopérative Cime"], []),
        (2012, 3, [], ["Boulangerie Bio"]),  # member until 2011 included
    ]
    # a gap in the years: 2012 is still compared with 2011
    gap = evolution(history, years=[2010, 2012]).poles.items[0].years
    assert [(t.year, t.exits.size) for t in gap] == [(2010, 0), (2012, 1)]


def test_tie_persistence(history):
    ev = evolution(history, years=[2010, 2011, 2012])
    p = [(x.from_year, x.to_year, x.kept, x.jaccard, x.retained, x.jaccard_dated, x.retained_dated)
         for x in ev.persistence.items]
    # all ties: {PA PB PD AB} → {PA PB PC PD AC} → {PA PC PD AC}; dated ties: the same without PD
    assert p == [(2010, 2011, 3, 3 / 6, 3 / 4, 2 / 5, 2 / 3),
                 (2011, 2012, 4, 4 / 5, 4 / 5, 3 / 4, 3 / 4)]
    assert evolution(history, years=[2010, 2012]).persistence.size == 0  # not consecutive


def test_metric_trends_against_networkx(history):
    n = ids(history)
    ev = evolution(history, years=[2010, 2011, 2012], actors=[n["P"], n["A"], n["F"]])
    trend = {t.actor.id: t.points for t in ev.trends.items}
    hand = {2010: [("P", "A"), ("P", "B"), ("P", "D"), ("A", "B")],
            2011: [("P", "A"), ("P", "B"), ("P", "C"), ("P", "D"), ("A", "C")],
            2012: [("P", "A"), ("P", "C"), ("P", "D"), ("A", "C")]}
    for i, (year, edges) in enumerate(hand.items()):
        # betweenness over the year's tied actors, as analyse normalises it: F (observed in
        # 2012 through its grant, no cooperation tie) is not among them
        bc = nx.betweenness_centrality(nx.Graph(edges))
        G = nx.Graph(edges)
        if year == 2012:
            G.add_node("F")
        for key in ("P", "A"):
            point = trend[n[key]][i]
            assert point.year == year
            assert point.degree == G.degree(key)
            assert point.betweenness == pytest.approx(bc[key])
    # by hand: the pôle lies on 2 of 3, 5 of 6, then 2 of 3 shortest paths between others
    # (in 2012 between A, C and D; over every observed actor, F included, it was 2 of 6)
    assert [round(p.betweenness, 6) for p in trend[n["P"]]] == [round(2 / 3, 6), round(5 / 6, 6), round(2 / 3, 6)]
    # F: not observed before its 2012 grant, then observed without a tie
    assert [(p.degree, p.betweenness) for p in trend[n["F"]]] == [(None, None), (None, None), (0, 0.0)]


def test_trend_betweenness_unchanged_by_untied_actors(tmp_path):
    # the same history plus three bénéficiaires of the Département's 2011 grants: observed in
    # 2011 (a tie of another lens), with no cooperation tie
    granted = [actor(f"G{i}", f"Graine {i}", "ess", "association", location=T) for i in range(3)]
    grants = [relation("funds", "D", f"G{i}", year=2011, amount=500) for i in range(3)]
    stores = []
    for name, records in (("seule", HISTORY), ("avec_subventions", HISTORY + granted + grants)):
        (tmp_path / name).mkdir()  # the same file name: the same actor ids in both stores
        s = open_store(str(tmp_path / name / "histoire.db"))
        load_file(s, write_jsonl(tmp_path / name / "histoire.jsonl", records), rejects_dir=tmp_path / name / "rejets")
        stores.append(s)
    plain, funded = stores
    n = ids(plain)
    assert ids(funded)["P"] == n["P"] and ids(funded)["A"] == n["A"]

    def trend(s):
        ev = evolution(s, years=[2011], actors=[n["P"], n["A"]])
        return ev.per_year.items[0].actors, {t.actor.id: t.points[0].betweenness for t in ev.trends.items}

    (actors_plain, plain_btw), (actors_funded, funded_btw) = trend(plain), trend(funded)
    assert (actors_plain, actors_funded) == (5, 8)  # the three bénéficiaires are in the 2011 graph
    assert funded_btw == plain_btw
    # checked against networkx on the tied subgraph: the pôle lies on 5 of the 6 pairs among
    # A, B, C and D; normalised over the 8 observed actors it would have been 5 of 21
    edges = [("P", "A"), ("P", "B"), ("P", "C"), ("P", "D"), ("A", "C")]
    tied = nx.betweenness_centrality(nx.Graph(edges))
    assert funded_btw[n["P"]] == pytest.approx(tied["P"]) == pytest.approx(5 / 6)
    assert funded_btw[n["A"]] == pytest.approx(tied["A"])
    everyone = nx.Graph(edges)
    everyone.add_nodes_from(["G0", "G1", "G2"])
    assert nx.betweenness_centrality(everyone)["P"] == pytest.approx(5 / 21) != pytest.approx(funded_btw[n["P"]])
    for s in stores:
        s.close()


def test_pole_and_territory_scopes(history):
    n = ids(history)
    by_pole = evolution(history, years=[2010, 2011, 2012], pole=n["P"])
    # the pôle and the actors tied to it that year: F's funding is not a cooperation tie
    assert [(y.year, y.actors, y.ties) for y in by_pole.per_year.items] == [(2010, 4, 4), (2011, 5, 5), (2012, 4, 4)]
    assert by_pole.scope == "pole" and by_pole.scope_name == "Pôle Passerelle"
    by_place = evolution(history, years=[2012], territory=T)  # F has no location
    assert [(y.actors, y.ties, y.isolated) for y in by_place.per_year.items] == [(4, 4, 0)]


def test_undated_facts_counted_apart(history):
    ev = evolution(history)
    assert ev.years == [2010, 2011, 2012]
    assert (ev.relations, ev.relations_dated, ev.relations_undated) == (7, 6, 1)  # the person's ties left out
    assert any("ne sont pas datées" in note for note in ev.notes)
    assert all(y.ties_undated == 1 for y in ev.per_year.items)  # P–D, every year
    (early,) = evolution(history, years=[2009]).per_year.items  # only D's undated membership
    assert (early.actors, early.ties, early.ties_dated, early.ties_undated) == (2, 1, 0, 1)


def test_no_person_anywhere(history):
    n = ids(history)
    text = evolution(history, actors=[n["A"]]).model_dump_json()
    assert "Xavier" not in text and n["X"] not in text
    with pytest.raises(NotFound):
        evolution(history, actors=[n["X"]])


def test_reference_dataset():
    s = open_store(":memory:")
    load_reference(s)
    span = years(s)
    assert span and span == list(range(span[0], span[-1] + 1))
    ev = evolution(s, territory="departement:31")
    assert ev.years == [y for y in ev.years if span[0] <= y <= span[-1]]
    assert ev.per_year.size == len(ev.years)
    assert ev.relations_undated > 0 and ev.relations_dated + ev.relations_undated == ev.relations
    for y in ev.per_year.items:
        assert y.ties == y.ties_dated + y.ties_undated and 0 <= y.density <= 1
    persons = [a for a in s.iter_actors(include_persons=True) if a.personal_data]
    text = evolution(s).model_dump_json()
    for p in persons:
        assert f'"{p.id}"' not in text
    s.close()


def test_a_founding_dated_by_its_year_starts_that_year_in_every_view(tmp_path):
    """« LE DAMIER » was founded in 2011 by Le TRANSFO (a `founded` with `year: 2011`, no start):
    the evolution counted the tie from 2011, but `maillage analyse --as-of 2010` (the lenses, the
    store's as-of) counted it every year, so the 2010 run gave the pôle a partner that founded it
    a year later. The founding's year is now its start, for the store and every analysis."""
    from maillage.analytics.lenses import lens_graph

    recs = [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Fondations",
         "documents": {"etude": {"title": "Rapport"}}},
        actor("P", "Pôle Damier", "pole", "ptce", location=T),
        actor("A", "Association Transfo", "ess", "association", location=T),
        actor("B", "Boulangerie Bio", "enterprise", "tpe", location=T),
        relation("founded", "A", "P", year=2011),
        relation("cooperates", "A", "B", start=2009),
    ]
    s = loaded_store(tmp_path, recs)
    n = ids(s)
    founded = [r for r in s.relations(types=["founded"])]
    assert [(r.start, r.end, r.fields.get("year")) for r in founded] == [("2011", None, 2011)]
    ev = {y.year: y for y in evolution(s, years=[2010, 2011, 2012]).per_year.items}
    for year in (2010, 2011, 2012):
        G = lens_graph(s, "cooperation", as_of=year)
        direct = {frozenset(e) for e, d in ((e[:2], e[2]) for e in G.edges(data=True)) if "direct" in d["layers"]}
        assert (frozenset((n["A"], n["P"])) in direct) == (year >= 2011), year
        assert len(direct) == ev[year].ties, year
        assert s.projection(as_of=year).relations and \
            any(r.type == "founded" for r in s.projection(as_of=year).relations) == (year >= 2011)
    s.close()
