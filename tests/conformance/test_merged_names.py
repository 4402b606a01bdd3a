"""The name a merged actor shows (docs/resolution.md, « The name a merged actor shows »): a pôle's
two yearly lists loaded apart, with members renamed between them. The merge's rules choose among
the names, not the years (the doc's examples), on every store: SQLite and Neo4j merge with the
same code."""

from __future__ import annotations

from _loading import load_file

POLE = "PTCE Le Maillon Sud-Est"
HEADER = "Nom;Forme juridique;Code postal;Commune;Collège"
Y2024 = ["Association Vélo Solidaire;Association loi 1901;31520;Ramonville-Saint-Agne;associations",
         "Mairie de Castanet-Tolosan;Commune;31320;Castanet-Tolosan;collectivités",
         "Café Associatif Le Bijou;Association loi 1901;31320;Castanet-Tolosan;associations"]
Y2025 = ["Vélo Solidaire Association;Association loi 1901;31520;Ramonville-Saint-Agne;associations",
         "Ville de Castanet-Tolosan;Commune;31320;Castanet-Tolosan;collectivités",
         "Cafe associatif le Bijou;Association loi 1901;31320;Castanet-Tolosan;associations"]


def test_a_member_renamed_between_two_yearly_lists_shows_the_name_the_ties_choose(store, tmp_path):
    for year, rows in (("2024", Y2024), ("2025", Y2025)):
        path = tmp_path / f"membres_{year}.csv"
        path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
        load_file(store, path, options={"pole": POLE, "year": year}, rejects_dir=tmp_path)
    shown = {a.name: sorted(a.aliases) for a in store.iter_actors() if a.family != "pole"}
    assert shown == {
        "Association Vélo Solidaire": ["Vélo Solidaire Association"],  # as long: first in order (2024's)
        "Ville de Castanet-Tolosan": ["Mairie de Castanet-Tolosan"],  # the shorter (2025's)
        "Cafe associatif le Bijou": ["Café Associatif Le Bijou"],  # code-point order: unaccented first
    }
    # the ids are the first load's, whatever name is shown
    assert {a.id.rsplit("-", 1)[0] for a in store.iter_actors() if a.family != "pole"} == {
        "association-velo-solidaire", "mairie-de-castanet-tolosan", "cafe-associatif-le-bijou"}
