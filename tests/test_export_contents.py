"""`maillage export --territory …` and `--actor …` say what the written file holds (« contenu : … »),
as `--pole` did already, with and without `--projection`, in French by default and in English
with `--lang en`; each count is checked against the file's rows and against an independent
computation from the stored statements (which actors are in the territory, the rings around
an actor).

Before, only `--pole` said it: a territory's or an actor's file came with its totals only, and
nothing said that the territory's partners located elsewhere, or the second ring of an actor's
neighbourhood, were (or were not) in it."""

from __future__ import annotations

import csv
import re

import networkx as nx
import pytest
from typer.testing import CliRunner

from maillage.analytics.run import analyse
from maillage.cli import app
from maillage.graph import open_store
from maillage.loaders import load_file, load_reference

from _jsonl import actor, relation, write_jsonl

ACCESS = "access-2b2ad1"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = tmp_path_factory.mktemp("contents") / "ref.db"
    with open_store(str(path)) as s:
        load_reference(s, rejects_dir=path.parent / "rejets")
        analyse(s)
    return path


def cli(db, *args):
    r = CliRunner().invoke(app, ["--store", str(db), *args])
    assert r.exit_code == 0, r.output
    return " ".join(r.output.split())  # a long line may be wrapped by the console


def ids(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [r["id"] for r in csv.DictReader(f)]


def org_graph(db, include_persons=False):
    """Every statement of the store as an undirected graph of its actors (persons left out unless asked)."""
    with open_store(str(db)) as s:
        sub = s.projection(include_persons=include_persons)
        located = set(s.actors_in_territory("departement:31", include_persons=include_persons))
    g = nx.Graph()
    g.add_nodes_from(sub.actors)
    g.add_edges_from((r.source, r.target) for r in sub.relations if r.source != r.target)
    return g, located


def test_a_territory_s_two_files_say_which_actors_each_holds(reference, tmp_path):
    _, located = org_graph(reference)
    said = cli(reference, "export", "-f", "nodes.csv", "--territory", "Haute-Garonne", "-o", str(tmp_path / "t.csv"))
    m = re.search(r"contenu : (\d+) acteurs situés dans le territoire Haute-Garonne \(31\), et les relations entre "
                  r"eux ; les acteurs situés ailleurs qui leur sont liés ne sont pas dans le fichier", said)
    assert m, said
    rows = ids(tmp_path / "t.csv")
    assert int(m.group(1)) == len(rows) and set(rows) == located
    said = cli(reference, "export", "-f", "nodes.csv", "--territory", "31", "--projection", "--as-of", "2016",
               "-o", str(tmp_path / "p.csv"))
    m = re.search(r"contenu : (\d+) acteurs situés dans le territoire Haute-Garonne \(31\), et les liens pondérés "
                  r"de la lentille coopération entre eux en 2016", said)
    assert m, said
    assert int(m.group(1)) == len(ids(tmp_path / "p.csv")) > 1
    said = cli(reference, "--lang", "en", "export", "-f", "edges.csv", "--territory", "31", "--lens", "cooperation",
               "-o", str(tmp_path / "e.csv"))
    assert (f"content: {len(located)} actors located in territory Haute-Garonne (31), and the relations of lens "
            "cooperation among them; the actors located elsewhere that are tied to them are not in the file") in said
    assert "contenu" not in said


def test_an_actor_s_files_count_each_ring_as_the_file_holds_it(reference, tmp_path):
    g, _ = org_graph(reference)
    away = nx.single_source_shortest_path_length(g, ACCESS, cutoff=2)
    ring1, ring2 = (sum(1 for d in away.values() if d == k) for k in (1, 2))
    said = cli(reference, "export", "-f", "nodes.csv", "--actor", "ACCESS", "-o", str(tmp_path / "a1.csv"))
    one = "acteur qui a" if ring1 == 1 else "acteurs qui ont"
    assert (f"contenu : l'acteur ACCESS et {ring1} {one} une relation directe avec lui, et les relations entre ces "
            f"{ring1 + 1} acteurs") in said, said
    assert len(ids(tmp_path / "a1.csv")) == ring1 + 1
    said = cli(reference, "export", "-f", "nodes.csv", "--actor", "ACCESS", "--depth", "2", "-o", str(tmp_path / "a2.csv"))
    m = re.search(r"contenu : l'acteur ACCESS et (\d+) acteurs à 2 relations au plus de lui \((\d+) à 1 relation, "
                  r"(\d+) à 2 relations\), et les relations entre ces (\d+) acteurs", said)
    assert m, said
    k, k1, k2, n = map(int, m.groups())
    rows = ids(tmp_path / "a2.csv")
    assert (k1, k2) == (ring1, ring2) and k == k1 + k2 and n == k + 1 == len(rows) and set(rows) == set(away)
    said = cli(reference, "--lang", "en", "export", "-f", "edges.csv", "--actor", "ACCESS", "--depth", "2",
               "-o", str(tmp_path / "e.csv"))
    assert (f"content: the actor ACCESS and {k} actors at most 2 relations away from it ({k1} at 1 relation, {k2} at 2 "
            f"relations), and the relations among these {n} actors") in said and "contenu" not in said


def test_an_actor_s_projection_counts_its_ego_network(reference, tmp_path):
    cli(reference, "export", "-f", "graphml", "--projection", "-o", str(tmp_path / "all.graphml"))
    G = nx.read_graphml(tmp_path / "all.graphml")
    away = nx.single_source_shortest_path_length(G, ACCESS, cutoff=2)
    rings = [sum(1 for d in away.values() if d == k) for k in (1, 2)]
    said = cli(reference, "export", "-f", "nodes.csv", "--projection", "--actor", "ACCESS", "--depth", "2",
               "-o", str(tmp_path / "p.csv"))
    m = re.search(r"contenu : l'acteur ACCESS et (\d+) acteurs à 2 liens pondérés au plus de lui dans la lentille "
                  r"coopération \((\d+) à 1 lien, (\d+) à 2 liens ; lien direct, pôle partagé ou gouvernant commun\), "
                  r"et les liens pondérés entre ces (\d+) acteurs", said)
    assert m, said
    k, k1, k2, n = map(int, m.groups())
    assert [k1, k2] == rings and k == k1 + k2 and n == k + 1 == len(ids(tmp_path / "p.csv"))
    said = cli(reference, "--lang", "en", "export", "-f", "nodes.csv", "--projection", "--actor", "ACCESS",
               "-o", str(tmp_path / "p1.csv"))
    assert (f"content: the actor ACCESS and {rings[0]} actors tied to it in lens cooperation (direct tie, shared pôle "
            f"or common governor), and the weighted ties among these {rings[0] + 1} actors") in said
    assert len(ids(tmp_path / "p1.csv")) == rings[0] + 1


def test_an_actor_s_counts_include_the_persons_written_with_include_persons(reference, tmp_path):
    g, _ = org_graph(reference, include_persons=True)
    with open_store(str(reference)) as s:
        persons = {a.id for a in s.iter_actors(include_persons=True) if a.personal_data}
        name = {a.id: a.name for a in s.iter_actors()}
    tied = sorted((a for a in g if a not in persons and len(set(g[a]) & persons) >= 2), key=lambda a: (-g.degree(a), a))
    assert tied
    aid = tied[0]
    k = len(set(g[aid]) - {aid})
    said = cli(reference, "export", "-f", "nodes.csv", "--actor", aid, "--include-persons", "-o", str(tmp_path / "p.csv"))
    assert f"contenu : l'acteur {name[aid]} et {k} acteurs qui ont une relation directe avec lui" in said, said
    rows = ids(tmp_path / "p.csv")
    assert len(rows) == k + 1 and set(rows) & persons


def test_a_territory_names_the_pôles_with_no_place_drawn_with_it(tmp_path):
    """A pôle with no known place tied to actors of the territory is in its file
    (maillage.analytics.views.with_unplaced_poles): the line says so, apart from the actors located there."""
    records = [actor("a", "Atelier du Canal", "ess", "association", location="commune:31555"),
               actor("b", "Boutique Solidaire", "ess", "association", location="commune:31555"),
               actor("c", "Compagnie Lointaine", "ess", "association", location="commune:75056"),
               actor("p", "Pôle Sans Adresse", "pole"),
               relation("membership", "a", "p"), relation("membership", "b", "p"),
               relation("cooperates", "a", "b"), relation("cooperates", "a", "c")]
    db = tmp_path / "s.db"
    with open_store(str(db)) as s:
        load_file(s, write_jsonl(tmp_path / "t.jsonl", records))
    said = cli(db, "export", "-f", "nodes.csv", "--territory", "31", "-o", str(tmp_path / "t.csv"))
    assert ("contenu : 2 acteurs situés dans le territoire Haute-Garonne (31), et les relations entre eux ; avec "
            "1 pôle sans lieu connu lié à ces acteurs, et leurs relations avec eux ; les acteurs situés ailleurs qui "
            "leur sont liés ne sont pas dans le fichier") in said, said
    assert len(ids(tmp_path / "t.csv")) == 3
    said = cli(db, "--lang", "en", "export", "-f", "nodes.csv", "--territory", "31", "-o", str(tmp_path / "t.csv"))
    assert "; with 1 pôle with no known place tied to these actors, and their relations with them;" in said
    said = cli(db, "export", "-f", "nodes.csv", "--territory", "Ariège", "-o", str(tmp_path / "v.csv"))
    assert "contenu : aucun acteur situé dans le territoire Ariège (09)" in said, said


def test_a_person_s_neighbourhood_without_the_person_says_so_instead_of_failing(reference, tmp_path):
    """The line counted the rings from the actor asked for; a natural person is left out of the
    file (its neighbours are in it): the command said nothing of it, then failed on it."""
    g, _ = org_graph(reference, include_persons=True)
    with open_store(str(reference)) as s:
        person = next(a.id for a in s.iter_actors(include_persons=True) if a.personal_data and g.degree(a.id))
    said = cli(reference, "export", "-f", "nodes.csv", "--actor", person, "-o", str(tmp_path / "p.csv"))
    rows = ids(tmp_path / "p.csv")
    assert person not in rows
    assert (f"contenu : {len(rows)} acteur{'s' if len(rows) > 1 else ''} du voisinage d'une personne physique, "
            "laissée de côté (données personnelles : --include-persons pour l'inclure)") in said, said
