"""The interactive map: a self-contained page (vis-network inlined), French legend, escaped
data, provenance in tooltips, deterministic layout."""

from __future__ import annotations

import json
import re

import pytest

from maillage.api.maps import ISOLATED_BORDER, _darker, layout, render_map
from maillage.graph import open_store
from maillage.graph.projection import project
from maillage.loaders import load_file

from _maps import map_data, star_subgraph
from _roles import ENGLISH_ROLES, ROLE_WORDS

EVIL = "<script>alert('pwned')</script> & Cie"

RECORDS = [
    {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Carte d'essai"},
    {"record": "actor", "key": "pole", "name": "Pôle Coop'Sud", "family": "pole", "kind": "ptce",
     "subkind": "structure_porteuse (nature not stated)", "location": "commune:31446", "provenance": {"document": "etude", "locator": "L3"}},
    {"record": "actor", "key": "asso", "name": "Les Jardins", "family": "ess", "kind": "association",
     "provenance": {"document": "etude", "locator": "L4"}},
    {"record": "actor", "key": "region", "name": "Région Occitanie", "family": "collectivite", "kind": "region",
     "provenance": {"document": "etude", "locator": "L5"}},
    {"record": "actor", "key": "evil", "name": EVIL, "family": "enterprise", "kind": "pme",
     "provenance": {"document": "etude", "locator": "L6"}},
    {"record": "actor", "key": "anon", "name": "Trois communes", "family": "collectivite", "kind": "commune",
     "placeholder": True, "provenance": {"document": "etude", "locator": "L7"}},
    {"record": "actor", "key": "elue", "name": "Jeanne Dupont", "family": "person", "kind": "elu",
     "provenance": {"document": "etude", "locator": "L8"}},
    {"record": "relation", "type": "membership", "source": "asso", "target": "pole", "fields": {"tier": "socle"},
     "provenance": {"document": "etude", "locator": "L12", "quote": "Les Jardins sont membres </script>",
                    "certainty": "stated"}},
    {"record": "relation", "type": "funds", "source": "region", "target": "pole",
     "fields": {"amount": 30000, "year": 2015, "nature": "fonctionnement"},
     "provenance": {"document": "etude", "locator": "L14", "certainty": "implied"}},
    {"record": "relation", "type": "supports", "source": "region", "target": "pole",
     "fields": {"form": "co_construction"}, "provenance": {"document": "etude", "locator": "L15"}},
    {"record": "relation", "type": "cooperates", "source": "evil", "target": "asso",
     "fields": {"practice": "projet_commun"}, "provenance": {"document": "etude", "locator": "L16"}},
    {"record": "relation", "type": "represents", "source": "elue", "target": "region",
     "provenance": {"document": "etude", "locator": "L17"}},
    {"record": "relation", "type": "partner", "source": "region", "target": "asso",
     "fields": {"note": "suivi par jeanne dupont"},
     "provenance": {"document": "etude", "locator": "L18", "quote": "Jeanne Dupont, vice-présidente, soutient Les Jardins"}},
]


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "carte.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    s = open_store(":memory:")
    load_file(s, path, rejects_dir=tmp_path / "rejets")
    yield s
    s.close()


def test_map_contains_the_actors_and_relations(store, tmp_path):
    sub = project(store, "all")
    out = render_map(sub, tmp_path / "carte.html", "Écosystème du pôle")
    html = out.read_text(encoding="utf-8")
    data = map_data(html)
    assert {n["id"] for n in data["nodes"]} == set(sub.actors)
    assert {n["label"] for n in data["nodes"]} >= {"Pôle Coop'Sud", "Les Jardins", "Région Occitanie", EVIL}
    assert len(data["edges"]) == len(sub.relations) == 5
    assert all("x" in n and "y" in n for n in data["nodes"])  # positions computed server-side
    assert data["options"]["physics"]["enabled"] is False  # positions final: physics would ignore the names
    # French legend: families and relation types present, from the vocabulary
    assert '<html lang="fr">' in html
    for label in ("Pôle", "Structure de l&#39;ESS", "Collectivité", "Entreprise classique",
                  "membre de", "finance", "accompagne", "coopère avec", "Familles d&#39;acteurs",
                  "Types de relations", "Acteur mentionné sans être nommé"):
        assert label in html
    assert "gouvernance" not in html  # no governs tie here: not in the legend
    # colours from the vocabulary
    pole = next(n for n in data["nodes"] if n["label"] == "Pôle Coop'Sud")
    assert pole["color"]["background"] == "#d62828" and pole["family"] == "pole"
    funds = next(e for e in data["edges"] if e["rtype"] == "funds")
    assert funds["color"]["color"] == "#f4a261" and funds["dashes"]
    assert funds["arrows"]["to"]["enabled"] is True


def test_natural_persons_only_when_the_caller_includes_them(store, tmp_path):
    from maillage.analytics.run import person_names

    sub = project(store, "all")
    assert all(not a.personal_data for a in sub.actors.values())
    html = render_map(sub, tmp_path / "a.html", "Carte").read_text(encoding="utf-8")
    assert "Jeanne Dupont, vice-présidente" in html  # a quote between organisations names her…
    html = render_map(sub, tmp_path / "a.html", "Carte", redact=person_names(store)).read_text(encoding="utf-8")
    assert "Jeanne" not in html and "jeanne" not in html  # …unless the caller masks persons' names
    partner = next(e for e in map_data(html)["edges"] if e["rtype"] == "partner" and "tip" in e
                   and e["tip"].get("quote"))
    assert partner["tip"]["quote"] == "[personne 1], vice-présidente, soutient Les Jardins"
    assert dict(partner["tip"]["rows"])["Remarque"] == "suivi par [personne 1]"
    sub = project(store, "all", include_persons=True)
    html = render_map(sub, tmp_path / "b.html", "Carte").read_text(encoding="utf-8")
    assert "Jeanne Dupont" in html and "Personne physique" in html


def test_map_is_self_contained(store, tmp_path):
    html = render_map(project(store, "all"), tmp_path / "carte.html", "Carte").read_text(encoding="utf-8")
    # no script or stylesheet fetched from anywhere: everything is inline
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=", html, re.I)
    assert not re.search(r"""url\(\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"""@import""", html)
    assert "vis-network" in html and "vis.Network" in html  # the library itself is inlined
    assert len(html) > 400_000


def test_user_text_is_escaped(store, tmp_path):
    title = "Carte <img src=x onerror=alert(1)>"
    html = render_map(project(store, "all"), tmp_path / "carte.html", title).read_text(encoding="utf-8")
    assert "<script>alert(" not in html
    assert "</script> &" not in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    # the data block cannot be closed early by a name or a quote containing </script>
    block = re.search(r'id="donnees-carte">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block
    data = map_data(html)
    assert EVIL in {n["label"] for n in data["nodes"]}
    # tooltips are built with textContent on the page, never innerHTML
    own_script = html.rsplit("<script>", 1)[1]
    assert own_script.lstrip().startswith("(function") and "textContent" in own_script
    assert "innerHTML" not in own_script


def test_tooltips_carry_provenance(store, tmp_path):
    data = map_data(render_map(project(store, "all"), tmp_path / "c.html", "Carte").read_text(encoding="utf-8"))
    member = next(e for e in data["edges"] if e["rtype"] == "membership")
    rows = dict(member["tip"]["rows"])
    assert member["tip"]["title"] == "Membre de"
    assert rows["Lien"] == "Les Jardins → Pôle Coop'Sud"
    assert rows["Cercle"] == "socle"
    assert rows["Document"] == "etude, ligne 12"
    assert rows["Certitude"] == "affirmé par la source"
    assert rows["Source"].endswith("carte.jsonl")
    assert member["tip"]["quote"] == "Les Jardins sont membres </script>"
    funds = dict(next(e for e in data["edges"] if e["rtype"] == "funds")["tip"]["rows"])
    assert funds["Montant (€)"] == "30\u202f000" and funds["Année"] == "2015"
    assert funds["Certitude"] == "implicite dans la source"
    support = dict(next(e for e in data["edges"] if e["rtype"] == "supports")["tip"]["rows"])
    assert support["Forme de soutien"] == "Co-construction"
    pole = next(n for n in data["nodes"] if n["label"] == "Pôle Coop'Sud")
    prow = dict(pole["tip"]["rows"])
    assert prow["Famille"] == "Pôle" and prow["Type"] == "PTCE" and prow["Lieu"].startswith("Ramonville")


def test_isolated_actors_are_circled_with_their_reasons(store):
    from maillage.api.maps import isolated_map_marks, map_page

    sub = project(store, "all")
    jardins = next(a.id for a in sub.actors.values() if a.name == "Les Jardins")
    marks = isolated_map_marks([{"id": jardins, "reasons": [{"code": "hors_pole", "text": "Membre d'aucun pôle"},
                                                            {"code": "aucun_lien", "text": "Aucun lien"}]},
                                {"id": "absent-de-la-carte", "reasons": []}])
    html = map_page(sub, "Carte", isolated=marks)
    nodes = {n["id"]: n for n in map_data(html)["nodes"]}
    assert nodes[jardins]["isolated"] is True and nodes[jardins]["borderWidth"] == 4
    assert nodes[jardins]["color"]["border"] == ISOLATED_BORDER
    assert dict(nodes[jardins]["tip"]["rows"])["Isolé"] == "Membre d'aucun pôle ; Aucun lien"
    assert not any(n.get("isolated") for i, n in nodes.items() if i != jardins)
    assert 'id="legende-isoles"' in html and '<span class="n">1</span></label>' in html.split('legende-isoles')[1]
    assert 'id="legende-isoles"' not in map_page(sub, "Carte")  # no legend line for nothing


def test_placeholders_are_drawn_apart(store, tmp_path):
    data = map_data(render_map(project(store, "all"), tmp_path / "c.html", "Carte").read_text(encoding="utf-8"))
    anon = next(n for n in data["nodes"] if n["label"] == "Trois communes")
    assert anon["shapeProperties"]["borderDashes"] and anon["color"]["background"] == "#eef0f2"
    named = next(n for n in data["nodes"] if n["label"] == "Les Jardins")
    assert "shapeProperties" not in named


def test_size_by_physics_threshold_and_determinism(store, tmp_path):
    sub = project(store, "all")
    pole_id = next(a.id for a in sub.actors.values() if a.family == "pole")
    sizes = {pole_id: 10.0}
    a = render_map(sub, tmp_path / "a.html", "Carte", size_by=sizes, size_label="intermédiarité",
                   max_physics_nodes=2).read_text(encoding="utf-8")
    data = map_data(a)
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id[pole_id]["size"] > max(n["size"] for i, n in by_id.items() if i != pole_id)
    assert data["options"]["physics"]["enabled"] is False  # 5 actors > max_physics_nodes=2
    assert "intermédiarité" in a
    on = map_data(render_map(sub, tmp_path / "c.html", "Carte", max_physics_nodes=10).read_text(encoding="utf-8"))
    assert on["options"]["physics"]["enabled"] is True  # asked for
    b = render_map(sub, tmp_path / "b.html", "Carte", size_by=sizes, size_label="intermédiarité",
                   max_physics_nodes=2).read_text(encoding="utf-8")
    assert a == b  # same subgraph, same page (seeded layout)


def test_english_and_empty_maps(store, tmp_path):
    html = render_map(project(store, "all"), tmp_path / "en.html", "Map", lang="en").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Actor families" in html and "Local authority" in html
    from maillage.graph.store import Subgraph

    empty = render_map(Subgraph(), tmp_path / "vide.html", "Vide").read_text(encoding="utf-8")
    assert "Aucun acteur à afficher" in empty and map_data(empty)["nodes"] == []
    with pytest.raises(ValueError):
        render_map(Subgraph(), tmp_path / "x.html", "x", lang="de")


def test_layout_separates_components_and_actors():
    import networkx as nx

    G = nx.disjoint_union(nx.star_graph(12), nx.path_graph(4))
    G.add_node("seul")
    pos = layout(G)
    assert set(pos) == set(G)
    assert layout(G) == pos
    pts = list(pos.values())
    closest = min(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
                  for i, a in enumerate(pts) for b in pts[i + 1:])
    assert closest > 20  # pixels: no two actors on top of each other


def test_large_map_settles_at_once(tmp_path):
    from maillage.graph.model import ActorView, Provenance, RelationView
    from maillage.graph.store import Subgraph

    n = 1200
    actors = {f"a{i}": ActorView(id=f"a{i}", name=f"Acteur {i}", family="ess") for i in range(n)}
    rels = [RelationView(id=f"r{i}", type="partner", source=f"a{i}", target=f"a{(i * 7 + 1) % i}",
                         provenance=Provenance(source="s")) for i in range(2, n)]
    html = render_map(Subgraph(actors=actors, relations=rels), tmp_path / "grande.html", "Grande carte")\
        .read_text(encoding="utf-8")
    data = map_data(html)
    assert len(data["nodes"]) == n and data["options"]["physics"]["enabled"] is False
    assert data["options"]["interaction"]["hideEdgesOnDrag"] is True
    assert "Carte volumineuse" in html


def test_the_isolated_ring_is_no_family_colour():
    """The ring around an isolated actor must not read as a family: a pôle is red (#d62828, its
    border darker), and the first ring, #c0392b, was 28 RGB units from it — a red pôle looked
    circled. The ring keeps at least 120 units from every family's fill and border."""
    import math

    from maillage.graph.vocabulary import vocabulary

    def rgb(h: str) -> tuple[int, ...]:
        return tuple(int(h.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))

    fams = vocabulary().families.values()
    colours = {c for f in fams for c in (f.colour, _darker(f.colour))}
    assert len(colours) > 10
    nearest = min(colours, key=lambda c: math.dist(rgb(c), rgb(ISOLATED_BORDER)))
    assert math.dist(rgb(nearest), rgb(ISOLATED_BORDER)) >= 120, nearest


def _overlaps(nodes):
    from maillage.api.maps import _label_box

    boxes = [(n["label"], _label_box(n["x"], n["y"], n["label"], n["size"], n["font"]["size"])) for n in nodes]
    return [(a, b) for i, (a, p) in enumerate(boxes) for b, q in boxes[i + 1:]
            if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]]


def test_names_of_a_small_map_do_not_overlap(tmp_path):
    """A pôle's star of 15 members, spread until no two estimated name boxes overlap (the real
    boxes are measured in Chromium: tests/test_map_browser.py)."""
    from maillage.api.maps import _label_spread

    data = map_data(render_map(star_subgraph(), tmp_path / "etoile.html", "Pôle Test").read_text(encoding="utf-8"))
    nodes = data["nodes"]
    assert len(nodes) == 16 and _overlaps(nodes) == []
    # the spread is the least that works: 10 % less and some names touch again
    pos = {n["id"]: (n["x"] * 0.9, n["y"] * 0.9) for n in nodes}
    looks = {n["id"]: (n["label"], n["size"], n["font"]["size"]) for n in nodes}
    assert _label_spread(pos, looks) > 1.0
    assert _overlaps([{**n, "x": n["x"] * 0.9, "y": n["y"] * 0.9} for n in nodes]) != []


def test_label_spread_factor():
    """Two actors 100 px apart side by side, each name 140 px wide: 1.46× pulls them apart along x
    (140 + 6 px gap); stacked vertically, the factor comes from the heights instead."""
    from maillage.api.maps import _label_spread

    long = "x" * 40  # 40 × 12 × 0.56 = 269 px, wrapped at 140 → two lines
    looks = {"a": (long, 13, 12), "b": (long, 13, 12)}
    assert _label_spread({"a": (0, 0), "b": (100, 0)}, looks) == pytest.approx(146 / 100)
    # stacked: a's box goes 13 px above to 13 + 3 + 2 × 14.4 = 44.8 below its centre, b's the same
    assert _label_spread({"a": (0, 0), "b": (0, 30)}, looks) == pytest.approx((44.8 + 13 + 6) / 30)
    assert _label_spread({"a": (0, 0), "b": (0, 1)}, looks) == 3.0  # capped
    assert _label_spread({"a": (0, 0), "b": (500, 0)}, looks) == 1.0  # already apart


def test_tooltips_name_sources_and_shares_as_people_read_them(tmp_path):
    """« Sources : members:membres_2023.csv » (a source id with its loader's prefix) and
    « Part (0–1) : 1 » were codes: a file is named by its name, a dataset drawn from documents
    (the reference data) by the document's title, and a share is written in per cent."""
    from maillage.api.maps import map_page

    records = [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Extraction d'essai",
         "documents": {"000": {"file": "000_rtes.txt", "title": "RTES, « Les rôles des collectivités », 2016"}}},
        {"record": "actor", "key": "pole", "name": "Pôle Coop'Sud", "family": "pole", "kind": "ptce",
         "provenance": {"document": "000", "locator": "L3"}},
        {"record": "actor", "key": "region", "name": "Région Occitanie", "family": "collectivite", "kind": "region",
         "provenance": {"document": "000", "locator": "L5"}},
        {"record": "actor", "key": "dep", "name": "Département du Lot", "family": "collectivite",
         "kind": "departement", "provenance": {"document": "000", "locator": "L6"}},
        {"record": "relation", "type": "funds", "source": "region", "target": "pole",
         "fields": {"amount": 30000, "share": 1}, "provenance": {"document": "000", "locator": "L14"}},
        {"record": "relation", "type": "funds", "source": "dep", "target": "pole",
         "fields": {"share": 0.255}, "provenance": {"document": "000", "locator": "L15"}},
    ]
    extraction = tmp_path / "s000.jsonl"
    extraction.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    members = tmp_path / "membres_2023.csv"
    members.write_text("Nom;Commune\nLes Jardins du Lot;Cahors\n", encoding="utf-8")
    with open_store(":memory:") as s:
        load_file(s, extraction, rejects_dir=tmp_path / "rejets")
        load_file(s, members, options={"pole": "Pôle Coop'Sud"}, rejects_dir=tmp_path / "rejets")
        assert "members:membres_2023.csv" in {src.id for src in s.sources()}
        sub, sources = project(s, "all"), s.sources()
        fr = map_data(map_page(sub, "Carte", sources=sources))
        en = map_data(map_page(sub, "Map", lang="en", sources=sources))
    pole = dict(next(n for n in fr["nodes"] if n["label"] == "Pôle Coop'Sud")["tip"]["rows"])
    assert sorted(pole["Sources"].split(" ; ")) == ["RTES, « Les rôles des collectivités », 2016", "membres_2023.csv"]
    jardins = dict(next(n for n in fr["nodes"] if n["label"] == "Les Jardins du Lot")["tip"]["rows"])
    assert jardins["Sources"] == "membres_2023.csv"
    member = dict(next(e for e in fr["edges"] if e["rtype"] == "membership")["tip"]["rows"])
    assert member["Source"] == "membres_2023.csv"
    funds = {dict(e["tip"]["rows"])["Lien"]: dict(e["tip"]["rows"]) for e in fr["edges"] if e["rtype"] == "funds"}
    region, dep = funds["Région Occitanie → Pôle Coop'Sud"], funds["Département du Lot → Pôle Coop'Sud"]
    assert region["Part"] == "100\u00a0%" and dep["Part"] == "25,5\u00a0%"
    assert region["Source"] == "RTES, « Les rôles des collectivités », 2016" and region["Document"] == "ligne 14"
    assert "Part (0–1)" not in region
    en_funds = [dict(e["tip"]["rows"]) for e in en["edges"] if e["rtype"] == "funds"]
    assert sorted(f["Share"] for f in en_funds) == ["100%", "25.5%"]
    text = json.dumps(fr, ensure_ascii=False) + json.dumps(en, ensure_ascii=False)
    assert "members:" not in text and "jsonl:" not in text


def test_peripheral_actors_are_circled_apart_from_the_isolated(store):
    """A territory's peripheral actors (a single partner), listed by its report, are marked on
    its map too: an orange ring, its own legend line and count, the reason in the tooltip."""
    from maillage.api.maps import PERIPHERAL_BORDER, isolated_map_marks, map_page

    sub = project(store, "all")
    jardins = next(a.id for a in sub.actors.values() if a.name == "Les Jardins")
    other = next(a.id for a in sub.actors.values() if a.id != jardins and not a.placeholder)
    html = map_page(sub, "Carte", isolated=isolated_map_marks([{"id": other, "reasons": []}]),
                    peripheral=isolated_map_marks([{"id": jardins, "reasons": [
                        {"code": "lien_unique", "text": "Un seul partenaire : Pôle Coop'Sud"}]}]))
    nodes = {n["id"]: n for n in map_data(html)["nodes"]}
    assert nodes[jardins]["peripheral"] is True and nodes[jardins]["color"]["border"] == PERIPHERAL_BORDER
    assert not nodes[jardins].get("isolated") and nodes[other]["isolated"] is True
    assert dict(nodes[jardins]["tip"]["rows"])["Périphérique"] == "Un seul partenaire : Pôle Coop'Sud"
    legend = html.split('id="legende-peripheriques"')[1].split("</label>")[0]
    assert "un seul partenaire" in legend and '<span class="n">1</span>' in legend
    assert 'id="legende-peripheriques"' not in map_page(sub, "Carte")


def test_a_tooltips_dates_read_as_the_readers_language_writes_them(tmp_path):
    """A tie's period on the map read « 2016-03 – 2018-06-15 » in English too: an English reader
    writes "March 2016 – 15 June 2018", "since November 2019", "until 2021"; a French reader
    « mars 2016 – 15 juin 2018 », « depuis novembre 2019 », « jusqu'en 2021 » (it was ISO)."""
    records = RECORDS[:4] + [
        {"record": "relation", "type": "cooperates", "source": "asso", "target": "pole", "start": "2016-03",
         "end": "2018-06-15", "provenance": {"document": "etude", "locator": "L30"}},
        {"record": "relation", "type": "partner", "source": "region", "target": "asso", "start": "2019-11",
         "provenance": {"document": "etude", "locator": "L31"}},
        {"record": "relation", "type": "supports", "source": "region", "target": "asso", "end": "2021",
         "provenance": {"document": "etude", "locator": "L32"}},
    ]
    path = tmp_path / "dates.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with open_store(":memory:") as store:
        load_file(store, path, rejects_dir=tmp_path / "rejets")
        sub = project(store, "all")
        periods = {}
        for lang in ("en", "fr"):
            data = map_data(render_map(sub, tmp_path / f"{lang}.html", "Carte", lang=lang).read_text(encoding="utf-8"))
            periods[lang] = {e["rtype"]: dict(e["tip"]["rows"]).get("Period" if lang == "en" else "Période")
                             for e in data["edges"]}
    assert periods["en"] == {"cooperates": "March 2016 – 15 June 2018", "partner": "since November 2019",
                             "supports": "until 2021"}, periods
    assert periods["fr"] == {"cooperates": "mars 2016 – 15 juin 2018", "partner": "depuis novembre 2019",
                             "supports": "jusqu'en 2021"}, periods


@pytest.mark.parametrize("n, method", [(30, "spring"), (30, "kk"), (600, "spring")])  # 600: igraph's layout
def test_layout_does_not_depend_on_the_order_actors_were_read_in(n, method):
    """A store hands actors over in an order that can change from one run to the next (sets of
    ids): the same graph must still be drawn the same way — the demo's map differed between two
    runs on the same data before the layout put each component's actors in a fixed order."""
    import random

    import networkx as nx

    rnd = random.Random(3)
    edges = [(f"a{i}", f"a{rnd.randrange(i)}", {"weight": rnd.choice([1.0, 4.0])}) for i in range(1, n)]
    nodes = [f"a{i}" for i in range(n)] + ["seul"]
    read = nx.Graph()
    read.add_nodes_from(nodes)
    read.add_edges_from(edges)
    shuffled = nx.Graph()
    rnd.shuffle(nodes)
    rnd.shuffle(edges)
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from((v, u, d) for u, v, d in edges)
    assert layout(read, method=method) == layout(shuffled, method=method)
    if method == "spring" and n < 500:  # the ties' weights still pull the drawing
        unweighted = nx.Graph(read.edges())
        unweighted.add_nodes_from(read)
        assert layout(unweighted, method=method) != layout(read, method=method)


@pytest.mark.parametrize("lang, roles", ROLE_WORDS)
def test_a_members_role_reads_in_the_vocabularys_words(tmp_path, lang, roles):
    """A map's tooltip showed a member's role as the file wrote it (« Rôle : founding member »
    on a French map). It now says the role in the vocabulary's words, as the reports do (a
    membership and its circle, a funder), and keeps the file's text after them when it says
    more than those words (« founding member »), not when it says the same (« member »)."""
    (tmp_path / "members.csv").write_text(ENGLISH_ROLES, encoding="utf-8")
    with open_store(str(tmp_path / "s.db")) as s:
        load_file(s, tmp_path / "members.csv", rejects_dir=tmp_path, options={"pole": "Pôle du Canal"})
        sub = project(s, "all")
        page = render_map(sub, tmp_path / "c.html", "Carte", lang=lang)
    data = map_data(page.read_text(encoding="utf-8"))
    names = {n["id"]: n["label"] for n in data["nodes"]}
    said = {names[e["from"]]: dict(e["tip"]["rows"])["Rôle" if lang == "fr" else "Role"]
            for e in data["edges"] if e["rtype"] in ("membership", "funds")}
    assert said == roles
