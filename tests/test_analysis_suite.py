"""`maillage analyse` runs the whole suite into one stored run: every row it stores is checked
against the module that computes it, called on its own (so a wiring mistake — a wrong lens, a
lost unknown, a role stored under another name — fails here)."""

from __future__ import annotations

import math

import pytest
from typer.testing import CliRunner

from maillage.analytics.brokerage import ROLES, brokerage
from maillage.analytics.criteria import evaluate_criteria
from maillage.analytics.evolution import evolution
from maillage.analytics.lenses import lens_digraph, lens_graph
from maillage.analytics.metrics import METRICS, actor_metrics
from maillage.analytics.observatory import observatory_table
from maillage.analytics.overlaps import pole_overlaps
from maillage.analytics.poles import pole_diagnostic
from maillage.analytics.run import (DIAGNOSTIC_PREFIXES, OBSERVATORY_KEY, POLE_FIGURES, YEAR_FIGURES, YEAR_KEY,
                                    analyse, brokerage_groups)
from maillage.analytics.territory import isolated_actors
from maillage.cli import app
from maillage.graph import open_store
from maillage.loaders import load_file, load_reference

from _jsonl import write_jsonl
from test_analysis_run import ECOSYSTEM


@pytest.fixture
def store(tmp_path):
    s = open_store(str(tmp_path / "essai.db"))
    load_file(s, write_jsonl(tmp_path / "eco.jsonl", ECOSYSTEM), rejects_dir=tmp_path / "rejets")
    yield s
    s.close()


def same(a, b) -> bool:
    if isinstance(a, float) and math.isnan(a):
        return b is None  # NaN is stored as unknown
    if a is None or b is None:
        return a is None and b is None
    return b == pytest.approx(float(a), rel=1e-9, abs=1e-12)


def test_every_stored_row_is_what_its_module_computes(store):
    run = analyse(store)
    stored = store.metrics(run.id)

    G = lens_graph(store, "cooperation")
    expected = actor_metrics(G, tied_only=True)  # normalised over the actors with a tie in the lens
    assert run.params["normalised_over"] == sum(1 for v in G if G.degree(v)) < G.number_of_nodes()
    assert {k for k, m in stored.items() if "degree" in m} == set(expected)
    for aid, m in expected.items():
        for name in METRICS:
            assert same(m[name], stored[aid][name]), (aid, name)

    roles = brokerage(G, "family")
    assert any(r["total"] > 0 for r in roles.values())
    for aid, r in roles.items():
        for role in (*ROLES, "total"):
            assert stored[aid][f"brokerage_{role}"] == r[role]

    poles = sorted(a.id for a in store.iter_actors() if a.family == "pole")
    assert poles and run.params["poles"] == len(poles)
    states = set()
    for pid in poles:
        d = pole_diagnostic(store, pid)
        for name, read in POLE_FIGURES.items():
            assert same(read(d), stored[pid][f"pole.{name}"]), (pid, name)
        for c in evaluate_criteria(store, pid):
            value = stored[pid][f"critere.{c.id}"]
            states.add(c.state)
            assert value == (None if c.state is None else float(c.state)), (pid, c.id)
    assert None in states  # the hand-built pôle has unknowns: stored as unknown, not as 0

    iso = isolated_actors(store, include_peripheral=True)
    assert iso
    for item in iso:
        got = {n.split(".", 1)[1] for n in stored.get(item["id"], {}) if n.startswith("isolement.")}
        assert got == set(item["codes"]), item["name"]
        assert {n for n in stored.get(item["id"], {}) if n.startswith("statut.")} == {f"statut.{item['status']}"}
    assert sum("statut.isolated" in m for m in stored.values()) == run.params["isolated"] == len(isolated_actors(store))

    obs = observatory_table(store)
    for row in obs:
        assert same(row.value, stored[OBSERVATORY_KEY][f"observatoire.{row.key}"]), row.key
        assert stored[OBSERVATORY_KEY][f"observatoire.{row.key}.n"] == row.n

    ev = evolution(store)
    assert ev.per_year.size >= 2 and run.params["years"] == len(ev.years)
    for y in ev.per_year.items:
        key = YEAR_KEY.format(year=y.year)
        for f in YEAR_FIGURES:
            assert same(float(getattr(y, f)), stored[key][f"evolution.{f}"]), (y.year, f)
    for p in ev.persistence.items:
        assert same(p.jaccard, stored[YEAR_KEY.format(year=p.to_year)]["evolution.jaccard"])

    overlaps = pole_overlaps(store)
    for pid in poles:
        pairs = [x for x in overlaps.pairs if pid in (x.pole_a, x.pole_b)]
        assert stored[pid]["pole.overlapping_poles"] == len(pairs)
    for a in overlaps.multi_pole:
        assert stored[a.actor_id]["pole.member_of"] == len(a.poles)

    layers = run.params["layers"]
    assert layers["direct"] > 0 and layers["co_membership"] > 0
    assert set(run.params["computed"]) == {"metrics", "brokerage", "poles", "criteria", "overlaps", "isolation",
                                         "observatory", "evolution"}


def test_metrics_only_and_directed_lenses(store):
    run = analyse(store, diagnostics=False)
    names = {n for m in store.metrics(run.id).values() for n in m}
    assert not any(n.startswith(DIAGNOSTIC_PREFIXES) for n in names)
    assert {f"brokerage_{r}" for r in ROLES} <= names

    funding = analyse(store, lens="funding", diagnostics=False)
    roles = brokerage(lens_digraph(store, "funding"), "family")
    stored = store.metrics(funding.id)
    for aid, r in roles.items():
        assert stored[aid]["brokerage_total"] == r["total"]


def test_no_person_in_a_run_of_the_reference_data(tmp_path):
    with open_store(str(tmp_path / "ref.db")) as s:
        load_reference(s)
        run = analyse(s, betweenness_k=50, seed=3)
        persons = {a.id for a in s.iter_actors(include_persons=True) if a.personal_data}
        assert persons
        keys = set(s.metrics(run.id))
        assert not keys & persons
        assert run.params["betweenness"] == "sampled" and run.params["poles"] > 50


def test_cli_analyse_counts_one_pole_in_the_singular(tmp_path):
    db = tmp_path / "s.db"
    one = [r for r in ECOSYSTEM if r.get("key") != "vide"]  # the second pôle is an actor record keyed "vide"
    assert len(one) == len(ECOSYSTEM) - 1
    with open_store(str(db)) as s:
        load_file(s, write_jsonl(tmp_path / "eco.jsonl", one), rejects_dir=tmp_path / "rejets")
    r = CliRunner().invoke(app, ["--store", str(db), "analyse"])
    assert r.exit_code == 0, r.output
    assert "  1 pôle diagnostiqué ;" in r.output
    r = CliRunner().invoke(app, ["--store", str(db), "analyse", "--lang", "en"])
    assert "  1 pôle diagnosed;" in r.output


def test_cli_analyse_then_export(tmp_path):
    db = tmp_path / "s.db"
    with open_store(str(db)) as s:
        load_file(s, write_jsonl(tmp_path / "eco.jsonl", ECOSYSTEM), rejects_dir=tmp_path / "rejets")
    r = CliRunner().invoke(app, ["--store", str(db), "analyse", "--note", "essai"])
    assert r.exit_code == 0, r.output
    assert "2 pôles diagnostiqués" in r.output and "maillage export" in r.output
    r = CliRunner().invoke(app, ["--store", str(db), "analyse", "--lens", "nope"])
    assert r.exit_code != 0
    r = CliRunner().invoke(app, ["--store", str(db), "export", "-o", str(tmp_path / "m.csv")])
    assert r.exit_code == 0, r.output
    header = (tmp_path / "m.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert "brokerage_liaison" in header and not any("." in h for h in header)


def test_brokerage_by_pole_and_by_departement(store):
    G = lens_graph(store, "cooperation")
    ids = {d["name"]: v for v, d in G.nodes(data=True)}
    by_pole = brokerage_groups(G, "pole")
    pole = ids["Pôle Coop'Sud"]
    # members of one pôle take that pôle as group; the pôle is its own group; others none
    assert by_pole[pole] == pole and by_pole[ids["SCOP Bâtisseurs"]] == pole
    assert by_pole[ids["Région Occitanie"]] is None
    by_dep = brokerage_groups(G, "departement")
    assert by_dep[ids["SCOP Bâtisseurs"]] == "departement:31" and by_dep[ids["Les Jardins"]] is None
    for by in ("pole", "departement"):
        run = analyse(store, diagnostics=False, brokerage_by=by)
        assert run.params["brokerage_groups"] == by
        stored = store.metrics(run.id)
        expected = brokerage(G, brokerage_groups(G, by))
        for aid, r in expected.items():
            assert stored[aid]["brokerage_total"] == r["total"]
    with pytest.raises(ValueError, match="brokerage groups"):
        analyse(store, brokerage_by="commune")
