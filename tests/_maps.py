"""Reading a map page in the tests: the JSON data block every map carries; a pôle's star."""

from __future__ import annotations

import json
import re


def map_data(html: str) -> dict:
    """The nodes, edges and options a map page draws (its ``donnees-carte`` block)."""
    m = re.search(r'<script type="application/json" id="donnees-carte">(.*?)</script>', html, re.S)
    assert m, "the map's data block is missing"
    return json.loads(m.group(1))


MEMBERS = ["Épicerie Solidaire du Lot", "Ville de Cahors", "Communauté d'agglomération du Grand Cahors",
           "Imprimerie Coopérative Tarnaise", "France Active Occitanie", "Ressourcerie du Quercy",
           "Les Jardins de Cocagne du Lot", "Boulangerie Martin", "Mission locale du Lot",
           "Tiers-lieu La Fabrique", "SCIC Énergies Citoyennes Lot", "Crédit Coopératif",
           "Département du Lot", "Atelier Vélo Solidaire", "Cuma du Causse"]


def star_subgraph():
    """A pôle and its 15 members (names of a real list's length), tied only through the pôle."""
    from maillage.graph.model import ActorView, Provenance, RelationView
    from maillage.graph.store import Subgraph

    prov = Provenance(source="members:membres.csv")
    actors = {"pole": ActorView(id="pole", name="Pôle Test", family="pole", kind="ptce")}
    actors.update({f"m{i}": ActorView(id=f"m{i}", name=n, family="ess", kind="association")
                   for i, n in enumerate(MEMBERS)})
    rels = [RelationView(id=f"r{i}", type="membership", source=f"m{i}", target="pole", provenance=prov)
            for i in range(len(MEMBERS))]
    return Subgraph(actors=actors, relations=rels)

