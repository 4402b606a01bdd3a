"""The Cypher catalogue (``maillage/queries/*.cypher``) on a live Neo4j holding the reference
dataset: each query gives the concrete answer the reference documents support, and agrees
with the same question asked through the store interface of the embedded store."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest

from maillage.graph.neo4j_store import TYPES
from maillage.graph.projection import lens_types, to_graph
from maillage.graph.vocabulary import vocabulary
from maillage.queries import SOURCE_TEXT, catalogue, run

TESTED = {"ego_network", "pole_subgraph", "territory_actors", "isolated_actors", "shortest_cooperation_path",
          "co_funding", "pole_overlaps", "relation_provenance"}


def one(store, name: str) -> str:
    (aid,) = store.find_by_name(name)
    return aid


# -- the catalogue itself (no server needed) ---------------------------------------------------

def test_every_query_is_tested_and_documents_exactly_the_parameters_it_uses():
    assert set(catalogue()) == TESTED
    for q in catalogue().values():
        assert q.title() and q.params, q.name
        assert q.used() == set(q.params), f"{q.name}: header documents {sorted(q.params)}, text uses {sorted(q.used())}"
        assert q.returns() and q.returns("en"), q.name


def test_every_title_and_parameter_is_said_in_french_then_in_english():
    """Users are French: each header says what the query answers, each parameter and what
    comes back in French, then in English after « en: », continuation lines included."""
    for q in catalogue().values():
        texts = [q.title, q.returns] + [p.doc for p in q.params.values()]
        for x in texts:
            assert x.fr and x.en and x.fr != x.en, (q.name, x)
            assert "en:" not in x.fr and "en:" not in x.en, (q.name, x)
        assert q.title("en") == q.title.en and q.title() == q.title.fr
    co = catalogue()["co_funding"]
    assert co.title().startswith("Cofinancements : les paires de financeurs")
    assert co.title("en").startswith("Co-funding: pairs of funders")
    # a meaning over two lines is read whole, in each language
    assert co.params["include_persons"].doc() == ("false laisse de côté les personnes physiques (données "
                                                  "personnelles), financeurs comme bénéficiaires")
    assert co.params["include_persons"].doc("en").endswith("as funders and as beneficiaries")
    assert co.params["min_shared"].type == "int"


def _literal(cypher: str):
    """A Cypher literal of the headers' ``:param`` lines (null, false, 1, 'text', ['A', 'B'])."""
    return json.loads(cypher.replace("'", '"'))


def test_each_header_gives_the_neo4j_browser_lines_of_its_defaults():
    """« Dans Neo4j Browser » lines set every parameter: what run() and the command take when
    it is left out, and an example id of the reference data where there is no default."""
    from maillage.queries import defaults

    for q in catalogue().values():
        assert set(q.browser) == set(q.params), q.name
        given = defaults(q.name)
        assert q.examples == set(q.params) - set(given), q.name
        assert {p: _literal(v) for p, v in q.browser.items() if p not in q.examples} == given, q.name
        assert all(isinstance(_literal(q.browser[p]), str) for p in q.examples), q.name
    # the cooperation lens, as the vocabulary says it
    lens = [TYPES[t] for t in vocabulary().types_in_lens("cooperation")]
    assert _literal(catalogue()["isolated_actors"].browser["types"]) == lens


def test_the_listing_speaks_french_unless_asked_in_english(capsys, monkeypatch):
    from maillage.queries.__main__ import main

    monkeypatch.delenv("MAILLAGE_LANG", raising=False)
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Requêtes du catalogue Cypher")
    assert "\nco_funding — Cofinancements : les paires de financeurs" in out
    assert "    $min_shared (int ; par défaut 1) : garder les paires qui partagent au moins ce nombre" in out
    assert "    $actor_id (string ; obligatoire) : identifiant canonique de l'acteur" in out
    assert "    renvoie : une ligne par paire : funder_1_id" in out
    assert "Co-funding" not in out and "keep pairs" not in out
    assert main(["--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "\nco_funding — Co-funding: pairs of funders" in out and "Cofinancements" not in out
    assert "    $min_shared (int; default 1): keep pairs sharing at least" in out
    assert "    $actor_id (string; required): canonical id of the actor" in out
    monkeypatch.setenv("MAILLAGE_LANG", "en")
    assert main([]) == 0 and "co_funding — Co-funding" in capsys.readouterr().out


def test_the_help_speaks_french_unless_asked_in_english(capsys, monkeypatch):
    from maillage.queries.__main__ import main

    monkeypatch.delenv("MAILLAGE_LANG", raising=False)
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    out = capsys.readouterr().out
    assert e.value.code == 0 and out.startswith("usage : python -m maillage.queries")
    assert "\narguments :\n" in out and "\noptions :\n" in out and "affiche cette aide" in out
    assert "la requête à lancer (sans nom : la liste du catalogue)" in out and "show this help" not in out
    with pytest.raises(SystemExit):
        main(["--help", "--lang", "en"])
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m maillage.queries") and "query to run (none: list the catalogue)" in out
    with pytest.raises(SystemExit) as e:
        main(["--bogus"])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "erreur : arguments inconnus : --bogus" in err and "Traceback" not in err


def test_the_listing_cut_short_by_its_reader_ends_quietly(tmp_path):
    """`python -m maillage.queries | head`: the reader gone, no traceback."""
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    os.close(read)  # nobody reads: the first write fails (EPIPE)
    try:
        done = subprocess.run([sys.executable, "-m", "maillage.queries"], stdout=write, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    finally:
        os.close(write)
    assert done.returncode == 0 and "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_shortest_path_follows_the_vocabulary_cooperation_lens():
    q = catalogue()["shortest_cooperation_path"].text
    (types,) = re.findall(r"shortestPath\(\(a\)-\[:([A-Z_|]+)\*", q)
    assert set(types.split("|")) == {TYPES[t] for t in vocabulary().types_in_lens("cooperation")}


def test_run_names_missing_and_unknown_parameters():
    from maillage.graph import open_store

    with pytest.raises(ValueError, match=r"\['actor_id'\] are required"):
        run(object(), "ego_network")
    with pytest.raises(ValueError, match="unknown parameters.*'actorid'"):
        run(object(), "ego_network", actorid="x")
    with pytest.raises(KeyError, match="no query 'nope'"):
        run(object(), "nope")
    with open_store(":memory:") as s, pytest.raises(TypeError, match="needs a Neo4j store"):
        run(s, "co_funding")


# -- on the reference dataset ------------------------------------------------------------------

def test_ego_network_matches_the_store_neighbourhood(reference_neo4j, reference_sqlite):
    periscope = one(reference_neo4j, "Le Périscope")
    rows = run(reference_neo4j, "ego_network", actor_id=periscope, depth=1)
    by_name = {r["name"]: r for r in rows}
    assert by_name["ACCESS"]["distance"] == 1 and by_name["ACCESS"]["via"] == ["membership"]
    assert all(r["family"] != "person" for r in rows)
    expected = set(reference_sqlite.neighbourhood(periscope, depth=1).actors) - {periscope}
    assert {r["id"] for r in rows} == expected and len(rows) > 30
    rows2 = run(reference_neo4j, "ego_network", actor_id=periscope, depth=2)
    assert {r["id"] for r in rows2} == set(reference_sqlite.neighbourhood(periscope, depth=2).actors) - {periscope}
    assert {r["distance"] for r in rows2} == {1, 2} and len(rows2) > len(rows)
    with_persons = run(reference_neo4j, "ego_network", actor_id=periscope, depth=1, include_persons=True)
    assert len(with_persons) > len(rows)


def test_pole_subgraph_matches_the_store(reference_neo4j, reference_sqlite):
    periscope = one(reference_neo4j, "Le Périscope")
    rows = run(reference_neo4j, "pole_subgraph", pole_id=periscope, year=None)
    got = {(r["source_id"], r["type"], r["target_id"], r["statement_id"], r["stated_by"], r["locator"]) for r in rows}
    sub = reference_sqlite.pole_subgraph(periscope)
    assert got == {(r.source, r.type, r.target, r.id, r.provenance.source, r.provenance.locator)
                   for r in sub.relations}
    assert len(rows) == len(got) > 30
    assert any(r["type"] == "membership" and r["source"] == "ACCESS" and r["target"] == "Le Périscope" for r in rows)
    sub_2016 = reference_sqlite.pole_subgraph(periscope, as_of=2016)
    rows_2016 = run(reference_neo4j, "pole_subgraph", pole_id=periscope, year=2016)
    assert len(rows_2016) == len(sub_2016.relations)


def test_territory_actors_roll_up(reference_neo4j, reference_sqlite):
    rows = run(reference_neo4j, "territory_actors", territory_id="departement:31")
    ids = [r["id"] for r in rows]
    assert sorted(ids) == reference_sqlite.actors_in_territory("departement:31")
    names = {r["name"] for r in rows}
    assert "Le Périscope" in names  # Ramonville-Saint-Agne (commune:31446), in the Sicoval
    assert "Pôle Sud Aquitain (PTCE Sud Aquitain)" not in names  # in the Landes
    region = {r["id"] for r in run(reference_neo4j, "territory_actors", territory_id="region:76")}
    assert set(ids) < region  # Haute-Garonne is in Occitanie
    poles = run(reference_neo4j, "territory_actors", territory_id="region:76", family="pole")
    assert poles and all(r["family"] == "pole" for r in poles)
    assert run(reference_neo4j, "territory_actors", territory_id="commune:99999") == []


def test_isolated_actors_counts_ties_by_the_analyses_tie_rule():
    """The query's words for what is no tie are the tie rule's (maillage.analytics.lenses): it
    counted a planned meeting as cooperation after the analyses stopped counting it (h139)."""
    from maillage.analytics.lenses import FUNDING_TYPES, NOT_DONE, PLANNED_STATUS, REFUSED_STATUS
    from maillage.queries import catalogue

    text = catalogue()["isolated_actors"].text
    assert f"coalesce(r.certainty, 'stated') <> '{NOT_DONE[0]}'" in text and len(NOT_DONE) == 1
    funding = ", ".join(f"'{t.upper()}'" for t in FUNDING_TYPES)
    statuses = ", ".join(f"'{x}'" for x in (*PLANNED_STATUS, *REFUSED_STATUS))
    assert f"type(r) IN [{funding}] AND coalesce(r.status, '') IN [{statuses}]" in text


def test_isolated_actors_are_those_analyse_calls_isolated(reference_neo4j):
    """As maillage's analyse (status « isolé »): public bodies and thinly documented actors
    apart, public bodies back with include_public_bodies; ties to persons never count."""
    from maillage.analytics.territory import ISOLATED_CODES, isolated_actors

    listed = isolated_actors(reference_neo4j, include_peripheral=True)
    isolated = {d["id"] for d in listed if d["status"] == "isolated"}
    public = {d["id"] for d in listed if d["status"] == "public_bodies" and set(d["codes"]) & set(ISOLATED_CODES)}
    rows = run(reference_neo4j, "isolated_actors")
    assert {r["id"] for r in rows} == isolated and len(rows) > 20
    assert not {r["family"] for r in rows} & {"collectivite", "state", "eu"}
    funders_only = [r for r in rows if r["other_types"] == ["funds"]]
    assert funders_only and all(r["other_ties"] >= 1 for r in funders_only)
    with_public = run(reference_neo4j, "isolated_actors", include_public_bodies=True)
    assert {r["id"] for r in with_public} == isolated | public and public
    dep31 = run(reference_neo4j, "isolated_actors", territory_id="departement:31")
    assert {r["id"] for r in dep31} == {d["id"] for d in isolated_actors(reference_neo4j, territory="departement:31")}
    # the département is tied only to Patrick Pignard (represents), a person: no tie that counts
    (dep,) = [r for r in run(reference_neo4j, "isolated_actors", territory_id="departement:31",
                             include_public_bodies=True) if r["name"] == "département Haute-Garonne"]
    assert (dep["other_ties"], dep["other_types"]) == (0, [])
    (dep,) = [r for r in run(reference_neo4j, "isolated_actors", territory_id="departement:31",
                             include_public_bodies=True, include_persons=True) if r["name"] == "département Haute-Garonne"]
    assert dep["other_types"] == ["represents"]


def test_shortest_cooperation_path(reference_neo4j, reference_sqlite):
    periscope, aquitain = one(reference_neo4j, "Le Périscope"), one(reference_neo4j, "Pôle Sud Aquitain (PTCE Sud Aquitain)")
    (row,) = run(reference_neo4j, "shortest_cooperation_path", from_id=periscope, to_id=aquitain)
    g = to_graph(reference_sqlite.projection(types=lens_types("cooperation")))
    assert row["hops"] == nx.shortest_path_length(g, periscope, aquitain) == 2
    assert row["actors"][0] == "Le Périscope" and row["actors"][-1] == "Pôle Sud Aquitain (PTCE Sud Aquitain)"
    assert len(row["ties"]) == 2 and set(row["ties"]) <= set(lens_types("cooperation"))
    isolated = run(reference_neo4j, "isolated_actors")[0]["id"]
    assert run(reference_neo4j, "shortest_cooperation_path", from_id=periscope, to_id=isolated) == []


def test_co_funding(reference_neo4j, reference_sqlite):
    rows = run(reference_neo4j, "co_funding", min_shared=2)
    assert [(r["funder_1"], r["funder_2"], r["shared"]) for r in rows] == [
        ("Caisse des Dépôts", "L'État", 2), ("L'État", "l'ADEME", 2)]
    assert rows[0]["beneficiaries"] == ["DLA (Dispositif Local d'Accompagnement)", "Pôle Sud Aquitain (PTCE Sud Aquitain)"]
    funded = defaultdict(set)
    for r in reference_sqlite.relations(types=["funds"]):
        funded[r.source].add(r.target)
    pairs = {tuple(sorted((a, b))) for a, b in combinations(funded, 2) if funded[a] & funded[b]}
    assert {(r["funder_1_id"], r["funder_2_id"]) for r in run(reference_neo4j, "co_funding")} == pairs


def test_pole_overlaps_share_members_as_the_api_does(reference_neo4j):
    """Shared members follow the edge direction (member → pôle), as /api/overlaps: Le Périscope
    and the Pôle Sud Archer are both members *of* the Démarche nationale PTCE, which is no
    member they share."""
    from maillage.analytics.overlaps import pole_overlaps

    rows = run(reference_neo4j, "pole_overlaps", types=["MEMBERSHIP"])
    (pair,) = [r for r in rows if {r["pole_1"], r["pole_2"]} == {"Le Périscope", "Pôle Sud Archer"}]
    assert (pair["shared"], pair["actors"]) == (1, ["La NEF"])
    api = pole_overlaps(reference_neo4j).pairs
    assert api and {(r["pole_1_id"], r["pole_2_id"]): (r["shared"], tuple(sorted(r["actor_ids"]))) for r in rows} == {
        tuple(sorted((p.pole_a, p.pole_b))): (p.shared, p.shared_members) for p in api}
    assert run(reference_neo4j, "pole_overlaps", types=["MEMBERSHIP"], min_shared=2) == [
        r for r in rows if r["shared"] >= 2]


def test_pole_overlaps_undirected_types_are_the_vocabulary_s():
    q = catalogue()["pole_overlaps"].text
    listed = set(re.findall(r"type\(r1\) IN \[([^\]]+)\]", q)[0].replace("'", "").replace(" ", "").split(","))
    assert listed == {TYPES[n] for n, t in vocabulary().relation_types.items() if not t.directed}


def test_relation_provenance_says_which_sources_state_a_tie(reference_neo4j, reference_sqlite):
    etat, cc = one(reference_neo4j, "État"), one(reference_neo4j, "Culture & Coopération")
    rows = run(reference_neo4j, "relation_provenance", from_id=etat, to_id=cc, type="FUNDS")
    expected = [r for r in reference_sqlite.relations(types=["funds"], touching=[etat]) if r.target == cc]
    assert len(rows) == len(expected) >= 1
    assert {(r["stated_by"], r["locator"], r["quote"]) for r in rows} == {
        (r.provenance.source, r.provenance.locator, r.provenance.quote) for r in expected}
    row = rows[0]
    assert row["type"] == "funds" and (row["from_id"], row["to_id"]) == (etat, cc)
    assert row["stated_by"].startswith("reference:") and row["quote"] and re.fullmatch(r"[0-9a-f]{64}", row["source_sha256"])
    assert run(reference_neo4j, "relation_provenance", from_id=etat, to_id=cc, type="MEMBERSHIP") == []


# -- natural persons (docs/privacy.md) ---------------------------------------------------------

TREMPLIN, CIS52 = "tremplin-52-d41578", "cis-52-cooperation-industrielle-et-socia-1133d3"
PIGNARD, DEP31 = "patrick-pignard-fa5ed3", "departement-haute-garonne-7db30f"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def _reaching_persons(s) -> dict[str, list[dict]]:
    """For each query, arguments that reach persons: a person's own id, a pôle, a territory
    and a tie whose quote names one."""
    periscope, archer = one(s, "Le Périscope"), one(s, "Pôle Sud Archer")
    calls = {
        "ego_network": [dict(actor_id=periscope, depth=2), dict(actor_id=PIGNARD, depth=2)],
        "pole_subgraph": [dict(pole_id=p) for p in (periscope, archer)],
        "territory_actors": [dict(territory_id=t) for t in ("departement:31", "region:76", "region:44")],
        "isolated_actors": [{}, dict(include_public_bodies=True), dict(types=["FUNDS"])],
        "shortest_cooperation_path": [dict(from_id=periscope, to_id=archer), dict(from_id=PIGNARD, to_id=DEP31)],
        "co_funding": [{}],
        "pole_overlaps": [{}, dict(types=["MEMBERSHIP"])],
        "relation_provenance": [dict(from_id=TREMPLIN, to_id=CIS52), dict(from_id=PIGNARD, to_id=DEP31),
                                dict(from_id=DEP31, to_id=PIGNARD)],
    }
    assert set(calls) == set(catalogue()), "a new query must be checked here"
    return calls


def _no_person_in(s, values, where) -> None:
    """No person's id, nor name in any of its forms (the API's masker finds none), in ``values``."""
    from maillage.analytics.run import person_masker, person_names

    persons, names = s._person_ids(), person_names(s)
    assert PIGNARD in persons and "Didier Cognon" in names and len(persons) > 100
    said = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)
    mask = person_masker(names)
    for text in _strings(values):
        assert text not in persons and not any(p in text for p in persons), (where, text)
        assert not said.search(text) and mask(text) == text, (where, text)


def test_no_catalogue_query_shows_a_person_by_default(reference_neo4j):
    """Every query, with arguments that reach persons: no person's id or name in any row
    unless asked."""
    s = reference_neo4j
    total = 0
    for name, arg_sets in _reaching_persons(s).items():
        for args in arg_sets:
            rows = run(s, name, **args)
            total += len(rows)
            _no_person_in(s, rows, (name, args))
    assert total > 500
    (quote,) = {r["quote"] for r in run(s, "relation_provenance", from_id=TREMPLIN, to_id=CIS52)}
    assert re.fullmatch(r"\[personne \d+\], directeur de Tremplin 52, PTCE CIS 52", quote)  # as the API masks it
    asked = run(s, "relation_provenance", from_id=TREMPLIN, to_id=CIS52, include_persons=True)
    assert asked[0]["quote"] == "Didier Cognon, directeur de Tremplin 52, PTCE CIS 52"
    tie = run(s, "relation_provenance", from_id=PIGNARD, to_id=DEP31, include_persons=True)
    assert [r["type"] for r in tie] == ["represents"] and "Patrick Pignard" in tie[0]["quote"]


def _top_level_commas(text: str) -> list[str]:
    """``text`` cut at the commas outside brackets and parentheses (a RETURN's items)."""
    out, depth, start = [], 0, 0
    for i, c in enumerate(text):
        depth += (c in "([{") - (c in ")]}")
        if c == "," and depth == 0:
            out.append(text[start:i])
            start = i + 1
    return out + [text[start:]]


def test_the_sources_text_is_returned_only_with_include_persons():
    """Each column that carries the sources' text (a quote, a source id, a file name, a
    locator) is ``CASE WHEN $include_persons THEN … END``, and no other column carries it; a
    query that returns it returns the statement's id and ends, by which run() reads it."""
    for q in catalogue().values():
        body = "\n".join(line for line in q.text.splitlines() if not line.lstrip().startswith("//"))
        returned = re.sub(r"^RETURN\s+(DISTINCT\s+)?", "", body[body.rindex("RETURN"):].split("ORDER BY")[0])
        items = {}
        for item in _top_level_commas(returned):
            expr, _, alias = item.strip().rpartition(" AS ")
            items[alias.strip()] = (expr or alias).strip()
        assert items and all(re.fullmatch(r"\w+", a) for a in items), (q.name, returned)
        for alias, expr in items.items():
            if alias in SOURCE_TEXT:
                assert re.fullmatch(r"CASE WHEN \$include_persons THEN [\w.]+ END", expr), (q.name, alias, expr)
            else:
                assert not re.search(r"\.(quote|document|locator|uri)\b|\br\.source\b", expr), (q.name, alias, expr)
        if set(items) & set(SOURCE_TEXT):
            assert "statement_id" in items and ({"from_id", "to_id"} <= set(items)
                                                or {"source_id", "target_id"} <= set(items)), q.name


def _browser(s, text: str, params: dict) -> list[dict]:
    """What Neo4j Browser shows for ``text`` pasted with ``params`` set: one plain auto-commit
    query, its rows as they come (column: value)."""
    with s._driver.session(database=s.database) as session:
        return [dict(record) for record in session.run(text, params)]


def _browser_params(s, q) -> dict:
    """The parameters the header's « Dans Neo4j Browser » lines set: Browser has the server
    evaluate what follows ``=>`` (an implicit RETURN)."""
    return {p: _browser(s, f"RETURN {v} AS value", {})[0]["value"] for p, v in q.browser.items()}


def test_a_query_pasted_in_neo4j_browser_shows_no_person(reference_neo4j):
    """The .cypher file pasted in Neo4j Browser with the parameters its header sets — and with
    arguments that reach persons — shows no person's id or name: no persons, and no sources'
    text (a quote may name one: « Didier Cognon, directeur de Tremplin 52 ») unless
    $include_persons is true. run() gives that text, names masked."""
    s = reference_neo4j
    queries = catalogue()
    total = 0
    for name, arg_sets in _reaching_persons(s).items():
        q = queries[name]
        documented = _browser_params(s, q)
        assert documented["include_persons"] is False
        rows = _browser(s, q.text, documented)
        assert rows, f"{name}: the header's example gives no row"
        _no_person_in(s, rows, (name, "header"))
        total += len(rows)
        for args in arg_sets:
            rows = _browser(s, q.text, {**documented, **args})
            _no_person_in(s, rows, (name, args))
            total += len(rows)
    assert total > 500
    q = queries["relation_provenance"]
    shown = _browser(s, q.text, _browser_params(s, q))
    assert shown and all(r[c] is None for r in shown for c in SOURCE_TEXT)
    assert all(re.fullmatch(r"r_[0-9a-f]{20}", r["statement_id"]) and r["source_sha256"] for r in shown)
    # asked for, Browser shows what the database holds
    asked = _browser(s, q.text, {**_browser_params(s, q), "include_persons": True})
    assert "Didier Cognon, directeur de Tremplin 52, PTCE CIS 52" in {r["quote"] for r in asked}


@pytest.mark.parametrize("name, args", [("relation_provenance", dict(from_id=TREMPLIN, to_id=CIS52)),
                                        ("relation_provenance", dict(from_id="etat", to_id="cc", type="FUNDS")),
                                        ("pole_subgraph", dict(pole_id="periscope"))])
def test_run_gives_the_sources_text_the_query_leaves_out(reference_neo4j, name, args):
    """What the .cypher text leaves null without include_persons, run() reads by the
    statement's id: the same rows as asked with the persons, their text masked, persons'
    rows apart."""
    from maillage.analytics.run import person_groups, person_masker

    s = reference_neo4j
    names = {"etat": "État", "cc": "Culture & Coopération", "periscope": "Le Périscope"}
    args = {k: one(s, names[v]) if v in names else v for k, v in args.items()}
    mask = person_masker(person_groups(s))  # each person numbered as run() numbers it
    rows = run(s, name, **args)
    assert rows and all(r["stated_by"] and r["locator"] for r in rows)
    q = catalogue()[name]
    assert list(rows[0]) == list(_browser(s, q.text, {**_browser_params(s, q), **args})[0])  # the same columns
    with_persons = {r["statement_id"]: r for r in run(s, name, **args, include_persons=True)}
    for r in rows:
        asked = with_persons[r["statement_id"]]
        assert r == {k: mask(v) if isinstance(v, str) else v for k, v in asked.items()}
    assert [r["statement_id"] for r in rows] == [r["statement_id"] for r in with_persons.values()
                                                 if r["statement_id"] in {x["statement_id"] for x in rows}]


# -- python -m maillage.queries ------------------------------------------------------------------

def queries_cli(capsys, *args):
    from maillage.queries.__main__ import main

    code = main(list(args))
    out = capsys.readouterr()
    return code, [json.loads(line) for line in out.out.splitlines()], out.err


def test_the_command_refuses_without_a_neo4j_store_and_creates_nothing(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MAILLAGE_STORE", raising=False)
    monkeypatch.delenv("MAILLAGE_LANG", raising=False)
    code, rows, err = queries_cli(capsys, "co_funding")
    assert code == 2 and not rows and "Traceback" not in err
    assert "erreur : le catalogue Cypher lit une base Neo4j : donnez --store bolt://" in err and "MAILLAGE_STORE" in err
    code, _, err = queries_cli(capsys, "co_funding", "--store", "ref.db", "--lang", "en")
    assert code == 2 and "error: the Cypher catalogue reads a Neo4j store (not ref.db)" in err
    assert list(tmp_path.iterdir()) == []  # no ./maillage.db, no ref.db
    code, _, err = queries_cli(capsys, "nope", "--store", "bolt://127.0.0.1:1")
    assert code == 2 and "pas de requête « nope » dans le catalogue ; requêtes : co_funding, ego_network" in err
    code, _, err = queries_cli(capsys, "ego_network", "-p", "depth=2", "--store", "bolt://127.0.0.1:1")
    assert code == 2 and "ego_network demande $actor_id" in err
    code, _, err = queries_cli(capsys, "co_funding", "-p", "min_shared=deux", "--store", "bolt://127.0.0.1:1")
    assert code == 2 and "$min_shared : un nombre entier attendu, pas « deux »" in err
    code, _, err = queries_cli(capsys, "co_funding", "-p", "year=2020", "--store", "bolt://127.0.0.1:1")
    assert code == 2 and "aucun Neo4j ne répond à cette adresse" in err


def test_the_command_reads_values_as_people_write_them(capsys, neo4j_uri, reference_neo4j, monkeypatch):
    monkeypatch.delenv("MAILLAGE_LANG", raising=False)
    s = reference_neo4j
    periscope, etat, cc = one(s, "Le Périscope"), one(s, "État"), one(s, "Culture & Coopération")
    store = ("--store", neo4j_uri)
    # a single type for a list, a vocabulary name for a type: what the lists and upper-case names give
    code, rows, _ = queries_cli(capsys, "pole_overlaps", "-p", "types=membership", *store)
    assert code == 0 and rows == run(s, "pole_overlaps", types=["MEMBERSHIP"]) and rows
    code, rows, _ = queries_cli(capsys, "relation_provenance", "-p", f"from_id={etat}", "-p", f"to_id={cc}",
                                "-p", "type=funds", *store)
    assert code == 0 and rows == run(s, "relation_provenance", from_id=etat, to_id=cc, type="FUNDS") and rows
    code, _, err = queries_cli(capsys, "relation_provenance", "-p", f"from_id={etat}", "-p", f"to_id={cc}",
                               "-p", "type=finances", *store)
    assert code == 2 and "type de relation inconnu « finances » ; types du vocabulaire :" in err and "funds" in err
    # names for ids, as maillage takes them
    code, rows, _ = queries_cli(capsys, "ego_network", "-p", "actor_id=Le Périscope", *store)
    assert code == 0 and rows == run(s, "ego_network", actor_id=periscope) and len(rows) > 30
    code, rows, _ = queries_cli(capsys, "territory_actors", "-p", "territory_id=Haute-Garonne", *store)
    assert code == 0 and rows == run(s, "territory_actors", territory_id="departement:31") and rows
    code, rows, err = queries_cli(capsys, "ego_network", "-p", "actor_id=Zorglub", *store)
    assert code == 2 and not rows and "aucun acteur nommé 'Zorglub'" in err
    code, rows, err = queries_cli(capsys, "territory_actors", "-p", "territory_id=Atlantide", *store, "--lang", "en")
    assert code == 2 and "error: no territory named 'Atlantide'" in err
    code, rows, err = queries_cli(capsys, "relation_provenance", "-p", f"from_id={PIGNARD}", "-p", f"to_id={DEP31}",
                                  *store)
    assert code == 2 and not rows and f"{PIGNARD} est une personne physique" in err
    code, rows, err = queries_cli(capsys, "relation_provenance", "-p", f"from_id={TREMPLIN}", "-p", f"to_id={CIS52}",
                                  *store)
    assert code == 0 and re.fullmatch(r"\[personne \d+\], directeur de Tremplin 52, PTCE CIS 52", rows[0]["quote"])
