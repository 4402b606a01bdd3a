"""Aliases of the reference dataset's pôles: a name that belongs to another organisation of the
same extraction (the pôle's structure porteuse) is not an alias of the pôle
(:func:`maillage.loaders.reference_mapping.drop_porteur_aliases`, docs/resolution.md).

The case that motivated the rule: s000a gives the pôle *Éco-domaine en Pays d'Auge (Ecopya)*
the alias "Ecopya" (000 L186 cites the pôle "sous le nom « Ecopya »"), which is the name of the
association that carries it (L266); the exact-name rule then merged s001_002's « ECOPYA » (the
porteur of the Annexe 1 entry) into the pôle — a false merge of the gold set.
"""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

from _env import need_shared

from maillage.graph import open_store
from maillage.loaders import REFERENCE_FILES, load_file, load_reference, reference_paths
from maillage.loaders import reference_mapping as rm

ROOT = Path(__file__).resolve().parents[1]
SEED_GRAPH = ROOT.parent / "shared" / "seed-graph"
POLE = "ptce-eco-domaine-pays-d-auge"


def A(key, name, family, aliases=()):
    return {"key": key, "name": name, "family": family, "aliases": list(aliases)}


def carries(source, target):
    return {"type": "carries", "source": source, "target": target}


# ----------------------------------------------------------------------------- the rule

def test_the_docstring_example_holds():
    assert doctest.testmod(rm).failed == 0


def test_an_alias_naming_the_structure_porteuse_is_dropped():
    actors = [A("p", "Éco-domaine en Pays d'Auge (Ecopya)", "pole", ["Ecopya", "Éco-domaine du Pays d'Auge"]),
              A("e", "association Ecopya", "ess")]
    assert rm.drop_porteur_aliases(actors, [carries("e", "p")]) == {"p": ["Ecopya"]}
    assert actors[0]["aliases"] == ["Éco-domaine du Pays d'Auge"]  # the pôle's other alias stays
    assert actors[1]["aliases"] == []


def test_the_porteur_is_matched_by_any_of_its_names_whatever_wording_gave_the_alias():
    # no parenthesis in the pôle's name: the carries relation is enough
    actors = [A("p", "Domaine de la Ferme", "pole", ["Les Amis de la Ferme", "La Ferme"]),
              A("s", "SCIC Les Amis de la ferme", "ess", ["AMIFERME"])]
    assert rm.drop_porteur_aliases(actors, [carries("s", "p")]) == {"p": ["Les Amis de la Ferme"]}
    actors = [A("p", "Domaine de la Ferme", "pole", ["Amiferme"]), A("s", "SCIC Les Amis", "ess", ["AMIFERME"])]
    assert rm.drop_porteur_aliases(actors, [carries("s", "p")]) == {"p": ["Amiferme"]}


def test_a_parenthesis_naming_another_actor_of_the_extraction_is_not_an_alias():
    # no carries relation, but the parenthesis of the pôle's name is the name of another actor
    actors = [A("p", "Resto Passerelle (APPUI)", "pole", ["APPUI", "Resto-Passerelle"]), A("a", "APPUI", "ess")]
    assert rm.drop_porteur_aliases(actors, []) == {"p": ["APPUI"]}
    assert actors[0]["aliases"] == ["Resto-Passerelle"]


def test_legitimate_aliases_are_kept():
    actors = [
        # the parenthesis is another name of the pôle itself and names no other actor
        A("sa", "PTCE Sud Aquitaine (Pôle Sud Aquitaine)", "pole", ["Pôle Sud Aquitaine", "PTCE Sud-Aquitaine"]),
        A("cbe", "CBE du Seignanx", "support"),
        # an alias that only *contains* the porteur's name (the annex entry of the Solilab)
        A("sol", "pôle de coopération sur l'Île de Nantes (Le Solilab)", "pole", ["Ecosolies (Les) (Le Solilab)"]),
        A("eco", "association Ecosolies (Les Ecosolies / Ecossolies)", "ess"),
        # an alias naming another actor that neither carries the pôle nor is its parenthesis
        A("ic", "Initiatives et Cités (renommé Lille Métropole Solidaire)", "pole", ["Lille Métropole Solidaire"]),
        A("lms", "Lille MétroPôle Solidaire", "pole"),
    ]
    before = {a["key"]: list(a["aliases"]) for a in actors}
    assert rm.drop_porteur_aliases(actors, [carries("cbe", "sa"), carries("eco", "sol")]) == {}
    assert {a["key"]: a["aliases"] for a in actors} == before


def test_only_carries_towards_the_pole_counts():
    # the pôle carrying an actor (wrong direction) or another relation type says nothing
    actors = [A("p", "Domaine", "pole", ["Ecopya"]), A("e", "association Ecopya", "ess")]
    rels = [carries("p", "e"), {"type": "partner", "source": "e", "target": "p"}]
    assert rm.drop_porteur_aliases(actors, rels) == {} and actors[0]["aliases"] == ["Ecopya"]


def test_the_result_does_not_depend_on_the_order_of_the_records():
    def run(order):
        actors = [A("p1", "Pôle Un (Deux)", "pole", ["Deux"]), A("p2", "Deux", "pole", ["Pôle Un (Deux)"])]
        actors = [actors[i] for i in order]
        return rm.drop_porteur_aliases(actors, [carries("p2", "p1")])

    assert run([0, 1]) == run([1, 0]) == {"p1": ["Deux"]}


# ----------------------------------------------------------------------------- the four extractions

def _seed_records(name: str) -> tuple[list[dict], list[dict]]:
    """Actors (key, name, family, aliases as :func:`rm.aliases` gives them) and relations
    (vocabulary type, source, target) of one extraction, as ``scripts/build_reference.py``
    maps them — read from the extraction itself, not from the shipped files."""
    data = json.loads((SEED_GRAPH / f"{name}_graph.json").read_text(encoding="utf-8"))
    actors = []
    for a in data["actors"]:
        nm = a["name"].strip()
        facts = [f for f in (a.get("facts") or []) if f and f.strip()]
        family = rm.map_kind(a["kind"], a.get("subkind"), nm, facts).family
        actors.append(A(a["id"], nm, family, rm.aliases(nm, facts, family)))
    flipped = rm.FLIPPED_LINK_TYPES.get(name, frozenset())
    rels = []
    for link in data["links"]:
        s, t = link["source"], link["target"]
        if link["type"] in flipped:
            s, t = t, s
        rels.append({"type": rm.LINK_TYPES[link["type"]], "source": s, "target": t})
    return actors, rels


@pytest.fixture(scope="module")
def seeds():
    need_shared("seed-graph")
    return {name: _seed_records(name) for name in REFERENCE_FILES}


def test_on_the_four_extractions_only_the_ecopya_alias_goes(seeds):
    dropped = {name: rm.drop_porteur_aliases(*seeds[name]) for name in REFERENCE_FILES}
    assert dropped == {"s000a": {POLE: ["Ecopya"]}, "s000b": {}, "s001_002": {}, "s003_004": {}}
    kept = {(n, a["key"]): a["aliases"] for n, (actors, _) in seeds.items() for a in actors}
    # parenthesised names of the pôle itself, and the other names of pôles that have a porteur
    assert kept[("s000a", "ptce-periscope")] == ["le Périscope"]
    assert kept[("s000a", "ptce-culture-et-cooperation")] == ["Culture & Coopération"]
    assert kept[("s003_004", "ptce_sud_aquitaine")][0] == "Pôle Sud Aquitaine"
    assert kept[("s000b", "ptce-solilab")] == ["Ecosolies (Les) (Le Solilab)"]
    assert kept[("s000b", "ptce-domb-innov")] == ["Dombes'Innov (porté par Valhorizon)"]


# ----------------------------------------------------------------------------- resolution

def _resolved(store, name: str, key: str) -> str:
    return store.resolution_of(f"reference:{name}")[key]


def _check_ecopya(store):
    pole = _resolved(store, "s000a", POLE)
    assert _resolved(store, "s000b", POLE) == pole                      # the pôle's two statements merge
    porteur = _resolved(store, "s001_002", "ecopya")
    assert porteur != pole                                              # « ECOPYA » is not the pôle…
    assert porteur == _resolved(store, "s000a", "ecopya")               # …it is the association Ecopya
    view = store.get_actor(pole)
    assert "ecopya" not in {rm.fold(x) for x in (view.name, *view.aliases)}
    # the pôle keeps its other names: the second statement's name is one of its aliases
    assert {view.name, *view.aliases} >= {"Éco-domaine en Pays d'Auge (Ecopya)", "Eco-Domaine en Pays d'Auge (ECOPYA)"}
    # a legitimate parenthesis alias is still there
    assert "le Périscope" in store.get_actor(_resolved(store, "s000a", "ptce-periscope")).aliases


def test_with_the_rule_applied_ecopya_stays_apart_from_the_pole(tmp_path):
    """The rule applied to the shipped records (whether or not they were rebuilt with it)."""
    with open_store(":memory:") as store:
        for name, path in zip(REFERENCE_FILES, reference_paths()):
            lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
            actors = [x for x in lines if x.get("record") == "actor"]
            if name == "s000a":  # the shipped file before the rebuild still has the alias: put it back
                (pole,) = [a for a in actors if a["key"] == POLE]
                pole["aliases"] = sorted(set(pole["aliases"]) | {"Ecopya"})
            rm.drop_porteur_aliases(actors, [x for x in lines if x.get("record") == "relation"])
            out = tmp_path / path.name
            out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
            load_file(store, out, format="maillage-jsonl", source_id=f"reference:{name}",
                      rejects_dir=tmp_path / "rejects", source_kind="dataset")
        _check_ecopya(store)


def test_the_pole_is_not_given_its_porteur_alias_without_the_rule(tmp_path):
    """The same load with the alias kept merges « ECOPYA » into the pôle: the check above can fail."""
    with open_store(":memory:") as store:
        for name, path in zip(REFERENCE_FILES, reference_paths()):
            lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
            for x in lines:
                if name == "s000a" and x.get("record") == "actor" and x["key"] == POLE:
                    x["aliases"] = sorted(set(x["aliases"]) | {"Ecopya"})
            out = tmp_path / path.name
            out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
            load_file(store, out, format="maillage-jsonl", source_id=f"reference:{name}",
                      rejects_dir=tmp_path / "rejects", source_kind="dataset")
        assert _resolved(store, "s001_002", "ecopya") == _resolved(store, "s000a", POLE)
        with pytest.raises(AssertionError):
            _check_ecopya(store)


def test_load_reference_keeps_the_ecopya_association_apart_from_the_pole():
    """The shipped dataset (rebuilt by ``make reference`` with the rule) loaded as users load it."""
    with open_store(":memory:") as store:
        load_reference(store)
        _check_ecopya(store)
