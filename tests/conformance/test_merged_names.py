"""The name a merged actor shows (docs/resolution.md, « The name a merged actor shows »): a pôle's
two yearly lists loaded apart, with members renamed between them. The later year's name is shown,
whatever order the lists were loaded in; names no yearly list dates compete by the merge's other
rules. And a pôle's misspelt name accepted into it by a reviewer. On every store: SQLite and Neo4j
merge with the same code."""

from __future__ import annotations

import pytest
from _loading import load_file

POLE = "PTCE Le Maillon Sud-Est"
HEADER = "Nom;SIRET;Forme juridique;Code postal;Commune;Collège"
Y2024 = ["Association Vélo Solidaire;;Association loi 1901;31520;Ramonville-Saint-Agne;associations",
         "Mairie de Castanet-Tolosan;;Commune;31320;Castanet-Tolosan;collectivités",
         "Café Associatif Le Bijou;;Association loi 1901;31320;Castanet-Tolosan;associations",
         "Recyclerie Solidaire Sud;81234567600009;SCIC;31320;Castanet-Tolosan;entreprises"]
Y2025 = ["Vélo Solidaire Association;;Association loi 1901;31520;Ramonville-Saint-Agne;associations",
         "Ville de Castanet-Tolosan;;Commune;31320;Castanet-Tolosan;collectivités",
         "Cafe associatif le Bijou;;Association loi 1901;31320;Castanet-Tolosan;associations",
         "La Boucle, ressourcerie solidaire;81234567600009;SCIC;31320;Castanet-Tolosan;entreprises"]
#: 2025's names, whatever the other rules would choose: « Vélo Solidaire Association » is as long as
#: 2024's name and after it in code-point order, « La Boucle, ressourcerie solidaire » the longer
LATEST = {
    "Vélo Solidaire Association": ["Association Vélo Solidaire"],
    "Ville de Castanet-Tolosan": ["Mairie de Castanet-Tolosan"],
    "Cafe associatif le Bijou": ["Café Associatif Le Bijou"],
    "La Boucle, ressourcerie solidaire": ["Recyclerie Solidaire Sud"],
}


def _load(store, tmp_path, year: str | None, rows: list[str], name: str | None = None):
    path = tmp_path / (name or f"membres_{year}.csv")
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return load_file(store, path, options={"pole": POLE, **({"year": year} if year else {})}, rejects_dir=tmp_path)


def _shown(store) -> dict[str, list[str]]:
    return {a.name: sorted(a.aliases) for a in store.iter_actors() if a.family != "pole"}


@pytest.mark.parametrize("order", [("2024", "2025"), ("2025", "2024")], ids=["in-order", "latest-first"])
def test_a_member_renamed_between_two_yearly_lists_shows_the_later_year_s_name(store, tmp_path, order):
    lists = {"2024": Y2024, "2025": Y2025}
    for year in order:
        _load(store, tmp_path, year, lists[year])
    assert _shown(store) == LATEST
    # the ids are the first load's, whatever name is shown
    first = [line.split(";")[0] for line in lists[order[0]]]
    assert {a.id.rsplit("-", 1)[0] for a in store.iter_actors() if a.family != "pole"} == {
        "-".join(n.lower().replace("é", "e").replace(",", "").split()) for n in first}


def test_a_name_a_source_gives_without_a_year_is_not_a_former_name(store, tmp_path):
    """A list of no year still naming the member as 2024's list did: that name is not one only
    an earlier year gives, so the names compete by the other rules (the most stated first)."""
    _load(store, tmp_path, "2024", Y2024)
    _load(store, tmp_path, "2025", Y2025)
    _load(store, tmp_path, None, [Y2024[0]], name="annuaire.csv")
    shown = _shown(store)
    assert shown["Association Vélo Solidaire"] == ["Vélo Solidaire Association"]  # stated twice
    assert "Ville de Castanet-Tolosan" in shown and "La Boucle, ressourcerie solidaire" in shown


GOOD, TYPO = "PTCE Lauragais Coopère", "PTCE Lauragis Coopère"  # the misspelling is the shorter name


def _pole_lists(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    a.write_text("Nom;Type;Commune\nEcosimo;SCIC;Toulouse\nAtelier Vélo;Association;Castelnaudary\n", encoding="utf-8")
    b.write_text("Nom;Type;Commune\nLa Bonne Graine;Association;Revel\n", encoding="utf-8")
    c.write_text("Nom;Type;Commune\nFerme du Lac;SCOP;Sorèze\n", encoding="utf-8")
    return a, b, c


def _poles(store) -> dict[str, list[str]]:
    return {a.name: sorted(a.aliases) for a in store.iter_actors() if a.family == "pole"}


def test_an_accepted_merge_keeps_the_candidate_s_name_though_the_other_is_shorter(store, tmp_path):
    """A list loaded with its pôle misspelt (« Lauragis ») is proposed, not merged, to the pôle the
    store knows; the reviewer accepts. Before, the pôle then showed the misspelling — each name
    stated once, the shorter won the tie — though `--accept` said « fusionné avec … « PTCE Lauragais
    Coopère » ». A statement a reviewer merged in joins the actor: on a tie its name comes after
    the names the actor had. Loading either list again changes nothing; a name more statements
    give still wins."""
    from maillage.loaders.resolution import accept, review_queue

    a, b, c = _pole_lists(tmp_path)
    load_file(store, a, options={"pole": GOOD}, rejects_dir=tmp_path)
    load_file(store, b, options={"pole": TYPO}, rejects_dir=tmp_path)
    (item,) = review_queue(store)
    assert (item.name, item.candidate_name) == (TYPO, GOOD)
    accept(store, item.id)
    assert _poles(store) == {GOOD: [TYPO]}
    for f, pole in ((b, TYPO), (a, GOOD)):  # the decision applied again (rule « accepted »), the candidate reloaded
        load_file(store, f, options={"pole": pole}, rejects_dir=tmp_path)
        assert _poles(store) == {GOOD: [TYPO]}
    # a third list naming the pôle as the accepted statement did: that name is stated twice now
    load_file(store, c, options={"pole": TYPO}, rejects_dir=tmp_path)
    assert _poles(store) == {TYPO: [GOOD]}
