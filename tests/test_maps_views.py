"""Map pages of the API's views (``map_page``): aggregated views above a threshold, node size by
a metric, persons never drawn, data text escaped; the explorer page's static parts. No browser
here (tests/test_explorer_browser.py drives Chromium)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import networkx as nx
import pytest

from maillage.analytics.run import analyse
from maillage.api.maps import (AGGREGATE_ABOVE, STATIC_DIR, aggregate, explorer_config, explorer_page, layout,
                               map_page, write_map)
from maillage.graph import open_store
from maillage.graph.projection import to_graph
from maillage.graph.store import Subgraph
from maillage.graph.vocabulary import vocabulary
from maillage.loaders import load_file

from _jsonl import actor, relation
from _maps import map_data

EVIL = "<img src=x onerror=alert(1)> Pôle </script> & Cie"
PERSON = "Jeanne Dupont"


# Three pôles (one with no member), members, an actor member of two pôles with more statements
# towards one (x), one with as many towards both (y: the pôle first by name wins), a planned
# membership that must not fold (e2), actors in no pôle of three families, and a person.
RECORDS = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Vues agrégées"},
    actor("pa", "Pôle Alpha", "pole", "ptce"), actor("pb", "Pôle Bêta", "pole", "ptce"),
    actor("pc", EVIL, "pole", "ptce"),
    *[actor(f"a{i}", f"Association A{i}", "ess", "association") for i in range(1, 5)],
    actor("b1", "SCOP B1", "ess", "scop"), actor("b2", "SCOP B2", "ess", "scop"),
    actor("b3", "Menuiserie B3", "enterprise", "pme"),
    actor("x", "Coopérative X", "ess", "scic"), actor("y", "Coopérative Y", "ess", "scic"),
    actor("e1", "Association E1", "ess", "association"), actor("e2", "Association E2", "ess", "association"),
    actor("c1", "Région Test", "collectivite", "region"), actor("t1", "Tiers-lieu T1", "tiers_lieu", "tiers_lieu"),
    actor("elue", PERSON, "person", "elu"),
    *[relation("membership", f"a{i}", "pa") for i in range(1, 5)],
    *[relation("membership", f"b{i}", "pb") for i in range(1, 4)],
    relation("membership", "x", "pa"), relation("membership", "x", "pb"), relation("carries", "x", "pb"),
    relation("membership", "y", "pa"), relation("membership", "y", "pb"),
    relation("membership", "e2", "pa", certainty="planned"),
    relation("funds", "c1", "pa", amount=1000), relation("funds", "c1", "a1", amount=500),
    relation("partner", "e1", "a2", quote=f"{PERSON} a présenté E1 à A2"),
    relation("partner", "e2", "b1"), relation("cooperates", "a1", "b1"), relation("hosts", "t1", "e1"),
    relation("partner", "e1", "e2"), relation("cooperates", "a1", "a2"),
    relation("represents", "elue", "c1"), relation("membership", "elue", "pa"),
]


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "vues.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    s = open_store(str(tmp_path / "vues.db"))
    load_file(s, path, rejects_dir=tmp_path / "rejets")
    yield s
    s.close()


def ids_by_key(store) -> dict[str, str]:
    src = next(x for x in store.sources())
    return store.resolution_of(src.id)


def test_aggregation_by_pole_kicks_in_above_the_threshold(store):
    sub = store.projection()  # persons left out: 16 actors
    key = ids_by_key(store)
    assert len(sub.actors) == 16
    assert "aggregate" not in map_data(map_page(sub, "Vue", aggregate_above=16))  # at the threshold: drawn as is
    assert len(map_data(map_page(sub, "Vue", aggregate_above=16))["nodes"]) == 16
    html = map_page(sub, "Vue", aggregate_above=15)
    data = map_data(html)
    # groups written out by hand from the construction of RECORDS
    expected = {
        f"pole:{key['pa']}": {"pa", "a1", "a2", "a3", "a4", "y"},  # y: one tie to each pôle, "Alpha" first
        f"pole:{key['pb']}": {"pb", "b1", "b2", "b3", "x"},  # x: two statements towards Bêta, one to Alpha
        f"pole:{key['pc']}": {"pc"},
        "famille:ess": {"e1", "e2"},  # e2's membership is only planned
        "famille:collectivite": {"c1"},
        "famille:tiers_lieu": {"t1"},
    }
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes) == set(expected)
    assert {i: n["members"] for i, n in nodes.items()} == {g: len(m) for g, m in expected.items()}
    assert data["aggregate"] == {"by": "pole", "groups": 6, "actors": 16, "relations": 21, "limit": 15}
    agg = aggregate(sub)
    assert {g: {k for k, v in key.items() if v in grp.members} for g, grp in agg.groups.items()} == expected

    # ties between groups, counted by type; undirected types in group-id order
    voc = vocabulary()

    def tie(rtype, a, b):
        return (a, b, rtype) if voc.relation_type(rtype).directed or a < b else (b, a, rtype)

    pa, pb = f"pole:{key['pa']}", f"pole:{key['pb']}"
    want = {tie("membership", pb, pa): 1, tie("membership", pa, pb): 1, tie("membership", "famille:ess", pa): 1,
            tie("funds", "famille:collectivite", pa): 2, tie("partner", "famille:ess", pa): 1,
            tie("partner", "famille:ess", pb): 1, tie("cooperates", pa, pb): 1,
            tie("hosts", "famille:tiers_lieu", "famille:ess"): 1}
    assert agg.ties == want
    # on the page: one line per pair of tied groups, with its count by type
    pairs: dict[tuple[str, str], dict[str, int]] = {}
    for (a, b, rtype), count in want.items():
        pair = pairs.setdefault((min(a, b), max(a, b)), {})
        pair[rtype] = pair.get(rtype, 0) + count
    assert {(e["from"], e["to"]): e["types"] for e in data["edges"]} == pairs
    assert {(e["from"], e["to"]): e["count"] for e in data["edges"]} == {k: sum(v.values()) for k, v in pairs.items()}
    between = next(e for e in data["edges"] if {e["from"], e["to"]} == {pa, pb})
    assert between["rtype"] == "membership" and between["rtypes"] == ["membership", "cooperates"]
    assert data["options"]["physics"]["enabled"] is False  # positions computed here, drawn at once
    assert agg.groups[pa].internal == 6 and agg.groups[pb].internal == 5 and agg.groups["famille:ess"].internal == 1
    assert sum(want.values()) + 6 + 5 + 1 == len(sub.relations) == 21
    # a thicker line for more statements
    funds = next(e for e in data["edges"] if e["rtype"] == "funds")
    assert funds["width"] > next(e for e in data["edges"] if e["rtype"] == "hosts")["width"]
    # counts and the explanation line, in French
    assert "6 groupes · 16 acteurs · 21 relations" in html
    assert "Vue agrégée : 16 acteurs dépassent le seuil de 15" in html
    assert "Chaque pôle regroupe ses membres et ses structures porteuses" in html
    assert nodes["famille:ess"]["label"] == "Structure de l'ESS (hors pôle)"
    assert nodes[pa]["label"] == "Pôle Alpha"
    tip = dict(nodes[pa]["tip"]["rows"])
    assert tip["Acteurs regroupés"] == "6" and tip["Relations internes"] == "6"
    assert tip["Familles"] == "Structure de l'ESS 5, Pôle 1"


def test_aggregation_by_community_matches_the_quotient_graph(store):
    run = analyse(store)
    metrics = store.metrics(run.id)
    sub = store.projection()
    html = map_page(sub, "Communautés", metrics=metrics, aggregate_above=5, aggregate_by="community")
    data = map_data(html)
    assert data["aggregate"]["by"] == "community"
    # independent partition: communities of ≥ 2 actors of the view, the others by family
    comm: dict[float, set[str]] = {}
    for a in sub.actors:
        comm.setdefault(metrics[a]["community"], set()).add(a)
    blocks = [m for m in comm.values() if len(m) >= 2]
    rest: dict[str, set[str]] = {}
    for a in set(sub.actors) - set().union(*blocks):
        rest.setdefault(sub.actors[a].family, set()).add(a)
    blocks += list(rest.values())
    agg = aggregate(sub, by="community", metrics=metrics)
    assert sorted(map(sorted, (set(g.members) for g in agg.groups.values()))) == sorted(map(sorted, blocks))
    assert len(data["nodes"]) == len(blocks)
    # tied pairs of groups = edges of networkx's quotient graph
    G = to_graph(sub)
    Q = nx.quotient_graph(G, [frozenset(b) for b in blocks])
    block_of = {frozenset(g.members): gid for gid, g in agg.groups.items()}
    want = {frozenset((block_of[u], block_of[v])) for u, v in Q.edges}
    assert {frozenset((e["from"], e["to"])) for e in data["edges"]} == want
    assert len(data["edges"]) == len(want)
    labels = [n["label"] for n in data["nodes"] if n["id"].startswith("communaute:")]
    assert labels and all(re.match(r"Communauté \d+ · ", x) for x in labels)
    assert "algorithme de Leiden" in html


def test_auto_rule_and_default_threshold(store):
    sub = store.projection()
    assert aggregate(sub).by == "pole"
    no_pole = Subgraph(actors={k: a for k, a in sub.actors.items() if a.family != "pole"},
                       relations=[r for r in sub.relations if sub.actors[r.source].family != "pole"
                                  and sub.actors[r.target].family != "pole"])
    assert aggregate(no_pole).by == "family"
    assert aggregate(no_pole, metrics={a: {"community": 0.0} for a in no_pole.actors}).by == "community"
    assert AGGREGATE_ABOVE == 2000
    with pytest.raises(ValueError):
        aggregate(sub, by="territoire")


def test_size_by_uses_the_metric(store):
    sub = store.projection()
    key = ids_by_key(store)
    # degree in the view, computed here with networkx: the page must scale area by it
    G = to_graph(sub)
    metrics = {a: {"degree": float(G.degree(a)), "pagerank": 0.1} for a in sub.actors if a != key["t1"]}
    html = map_page(sub, "Tailles", metrics=metrics, size_by="degree")
    data = map_data(html)
    top = max(m["degree"] for m in metrics.values())
    for n in data["nodes"]:
        v = metrics.get(n["id"], {}).get("degree", 0.0)
        assert n["size"] == pytest.approx(round(8 + 30 * math.sqrt(v / top), 1))
    largest = max(data["nodes"], key=lambda n: n["size"])
    assert largest["id"] == max(metrics, key=lambda a: metrics[a]["degree"])
    assert "Surface proportionnelle à : degré." in html
    rows = dict(next(n for n in data["nodes"] if n["id"] == key["pa"])["tip"]["rows"])
    assert rows["Degré"] == str(G.degree(key["pa"]))
    # without size_by: pôles larger than the others, all others equal
    plain = map_data(map_page(sub, "Tailles", metrics=metrics))
    assert {n["size"] for n in plain["nodes"] if n["family"] != "pole"} == {13}
    with pytest.raises(ValueError, match="métrique inconnue"):
        map_page(sub, "Tailles", metrics=metrics, size_by="intermediarite")
    with pytest.raises(ValueError):
        map_page(sub, "Tailles", size_by="degree")  # no metrics at all


def test_persons_are_never_in_the_page(store):
    with_persons = store.projection(include_persons=True)
    assert any(a.name == PERSON for a in with_persons.actors.values())
    for above in (AGGREGATE_ABOVE, 5):  # plain and aggregated views
        html = map_page(with_persons, "Vue", aggregate_above=above)
        data = map_data(html)
        assert PERSON.lower() not in html.lower()
        assert all(n["family"] != "person" for n in data["nodes"])
        assert len(with_persons.actors) == 17
        n_actors = len(data["nodes"]) if above == AGGREGATE_ABOVE else data["aggregate"]["actors"]
        assert n_actors == 16
    plain = map_data(map_page(with_persons, "Vue"))
    quote = next(e["tip"]["quote"] for e in plain["edges"] if "tip" in e and e["tip"].get("quote"))
    assert quote == "[personne 1] a présenté E1 à A2"
    # the person's ties are gone too, not only the node
    person_id = next(a.id for a in with_persons.actors.values() if a.name == PERSON)
    assert all(person_id not in (e["from"], e["to"]) for e in plain["edges"])


def test_data_text_is_escaped(store, tmp_path):
    sub = store.projection()
    for above in (AGGREGATE_ABOVE, 5):
        html = map_page(sub, f"Carte de {EVIL}", aggregate_above=above)
        assert "<img src=x" not in html and "</script> & Cie" not in html
        assert f"<title>Carte de {EVIL}</title>" not in html
        assert "<title>Carte de &lt;img src=x onerror=alert(1)&gt; Pôle &lt;/script&gt; &amp; Cie</title>" in html
        block = re.search(r'id="donnees-carte">(.*?)</script>', html, re.S).group(1)
        assert "<" not in block and ">" not in block
        assert EVIL in {n["label"] for n in map_data(html)["nodes"]}
        own_script = html.rsplit("<script>", 1)[1]
        assert "textContent" in own_script and "innerHTML" not in own_script
    sub.notes.append(f"Sous-graphe limité : {EVIL}")
    for above in (AGGREGATE_ABOVE, 5):
        html = map_page(sub, "Carte", aggregate_above=above)
        assert '<p class="notice">Sous-graphe limité : &lt;img src=x onerror=alert(1)&gt; Pôle' in html
    out = write_map(sub, tmp_path / "partage" / "carte.html", "Carte", aggregate_above=5)
    assert out.read_text(encoding="utf-8") == map_page(sub, "Carte", aggregate_above=5)


def test_large_components_are_laid_out_by_igraph_deterministically():
    G = nx.connected_watts_strogatz_graph(600, 4, 0.1, seed=3)
    G.add_edges_from((1000 + i, 1000 + i + 1) for i in range(5))  # a small second component
    pos = layout(G)
    assert set(pos) == set(G) and layout(G) == pos
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert len(set(pos.values())) == len(pos)
    # tied actors are drawn closer than untied ones, on average
    tied = sum(math.dist(pos[u], pos[v]) for u, v in G.edges) / G.number_of_edges()
    nodes = sorted(G)
    far = sum(math.dist(pos[nodes[i]], pos[nodes[(i * 7 + 300) % 600]]) for i in range(600)) / 600
    assert tied < far / 3


def test_explorer_page_is_self_contained():
    page = explorer_page()
    cfg = json.loads(re.search(r'id="vocabulaire-explorateur">(.*?)</script>', page, re.S).group(1))
    voc = vocabulary()
    assert {f["name"]: f["colour"] for f in cfg["families"]} == {f.name: f.colour for f in voc.families.values()}
    assert {t["name"]: (t["colour"], t["style"]) for t in cfg["types"]} == \
        {t.name: (t.colour, t.style) for t in voc.relation_types.values()}
    assert cfg["lenses"][0] == {"name": "all", "label": "Toutes relations"}
    assert {x["name"] for x in cfg["lenses"]} == set(voc.lenses())
    assert cfg["certainty"]["stated"] == voc.enum("certainty")["stated"].label("fr")
    assert "gexf" in cfg["exports"] and "kumu.xlsx" in cfg["exports"]
    assert '<html lang="fr">' in page and "<!-- vis-network -->" not in page
    # nothing is loaded from another host: every src/href is local (or a data: URL)
    for name in ("index.html", "explorer.js", "explorer.css"):
        text = (STATIC_DIR / name).read_text(encoding="utf-8")
        urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", text) + re.findall(r"url\(([^)]*)\)", text)
        assert all(u.startswith(("/", "#", "data:")) for u in urls), (name, urls)
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), name
        assert "@import" not in text
    js = (STATIC_DIR / "explorer.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js, sink
    assert Path(STATIC_DIR / "explorer.css").stat().st_size > 0
    assert explorer_config("en")["lenses"][0]["label"] == "All ties"


def test_a_map_says_how_many_persons_it_leaves_out(tmp_path):
    """Claire's pôle map said « 13 acteurs » and nothing of the two members who are natural
    persons (« Mme Claire Martin », « M. Jean Dupont »): the header now says that two persons
    are not drawn — how many, never who — through the store's read (``maillage viz``), the
    API's (``/map/pole/…``) and a view that holds them (``include_persons``), in French and
    in English."""
    from fastapi.testclient import TestClient

    from maillage.api.app import create_app

    members = tmp_path / "membres_2023.csv"
    members.write_text("Nom;Commune\nLes Jardins du Lot;Cahors\nMme Claire Martin;Cahors\n"
                       "Ressourcerie du Quercy;Cahors\nM. Jean Dupont;Figeac\n", encoding="utf-8")
    uri = str(tmp_path / "store.db")
    with open_store(uri) as s:
        load_file(s, members, options={"pole": "PTCE du Lot"}, rejects_dir=tmp_path / "rejets")
        pole = next(a.id for a in s.iter_actors() if a.family == "pole")
        assert sum(a.personal_data for a in s.iter_actors(include_persons=True)) == 2
        sub = s.pole_subgraph(pole)
        with_persons = s.pole_subgraph(pole, include_persons=True)
    assert len(sub.actors) == 3 and sub.persons_left_out == 2
    said_fr = "2 personnes physiques ne sont pas dessinées (données personnelles)."
    pages = {"store": map_page(sub, "PTCE du Lot"), "included": map_page(with_persons, "PTCE du Lot")}
    with TestClient(create_app(uri)) as client:
        res = client.get(f"/map/pole/{pole}")
        assert res.status_code == 200
        pages["api"] = res.text
        english = client.get(f"/map/pole/{pole}", params={"lang": "en"}).text
    for how, html in pages.items():
        assert said_fr in html, how
        assert "3 acteurs" in html, how
        assert len(map_data(html)["nodes"]) == 3, how
        folded = html.lower()
        assert not any(w in folded for w in ("claire", "martin", "dupont", "jean ")), how
    assert "2 natural persons are not drawn (personal data)." in english
    one = map_page(Subgraph(actors=sub.actors, relations=sub.relations, persons_left_out=1), "Pôle")
    assert "1 personne physique n&#39;est pas dessinée (données personnelles)." in one
    assert "personnes physiques" not in map_page(Subgraph(actors=sub.actors, relations=sub.relations), "Pôle")
