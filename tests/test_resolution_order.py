"""The same files give the same actors whatever order they are loaded in (docs/resolution.md,
*Load order*): a pôle animator loading its member list before or after a subsidy file, a
researcher loading the four seed extractions. Compared as partitions of the statements
``(source, key)`` into actors, not by actor ids (the first statement of an actor names it)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path

import pytest
from hostile_corpus import SCDL_HEADER, scdl_row, siret, write_csv

from maillage.graph import open_store
from maillage.loaders import load_file, reference_paths
from maillage.loaders.resolution import review_queue


def partition(store) -> tuple[frozenset[frozenset[tuple[str, str]]], frozenset[frozenset[frozenset]]]:
    """The statements grouped by actor, and the review queue as pairs of such groups."""
    groups: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for s in store.sources():
        for r in store.resolution_log(s.id):
            groups[r["actor_id"]].add((s.id, r["key"]))
    of = {aid: frozenset(g) for aid, g in groups.items()}
    queue = frozenset(frozenset((of[i.actor_id], of[i.candidate_id])) for i in review_queue(store))
    return frozenset(of.values()), queue


ROQUES = {"nomAttribuant": "COMMUNE DE ROQUES", "idAttribuant": "21310458100011", "idBeneficiaire": ""}


@pytest.fixture
def pair(tmp_path) -> tuple[Path, Path]:
    """A pôle's member list (SIRET, postal code, commune) and a commune's subsidy file naming the
    same organisations by their names only, in capitals: two « Les Jardins du Cœur » in the list
    (Toulouse and Ramonville-Saint-Agne, two SIRETs), one in the subsidy file, which cannot say
    which of the two it funds."""
    members = tmp_path / "membres.csv"
    members.write_text(
        "Nom;SIRET;Code postal;Commune;Rôle\r\n"
        f"Atelier Vélo Solidaire;{siret(44000001)};31400;Toulouse;structure porteuse\r\n"
        f"Les Jardins du Cœur;{siret(44000002)};31400;Toulouse;membre\r\n"
        f"Les Jardins du Cœur;{siret(44000003)};31520;Ramonville-Saint-Agne;membre\r\n"
        f"SCIC La Boucle Ressourcerie;{siret(44000004)};31000;Toulouse;membre\r\n"
        f"Épicerie Solidaire du Mirail;{siret(44000005)};31100;Toulouse;membre\r\n", encoding="utf-8")
    subsidies = write_csv(tmp_path / "subventions.csv", [SCDL_HEADER] + [
        scdl_row(i, nomBeneficiaire=name, **ROQUES) for i, name in enumerate(
            ["ATELIER VELO SOLIDAIRE", "LES JARDINS DU COEUR", "LA BOUCLE RESSOURCERIE",
             "EPICERIE SOLIDAIRE DU MIRAIL"], 1)])
    return members, subsidies


def _load(store, path: Path, tmp_path: Path) -> None:
    options = {"pole": "PTCE Sud Toulousain"} if path.name == "membres.csv" else None
    load_file(store, path, rejects_dir=tmp_path / "rejets", options=options)


def test_a_member_list_and_a_subsidy_file_give_the_same_actors_in_either_order(pair, tmp_path):
    """Loaded first, the subsidy file's « LES JARDINS DU COEUR » (no place) finds the list's two
    homonyms and joins neither (« plusieurs acteurs portent ce nom »). Loaded second, the list used
    to give it, by row order, to the Toulouse one — whose place then kept Ramonville's apart without
    a word: the commune's grant went to whichever row came first. Now the list's two rows are both
    proposed, neither merged, as from the other side: the same actors and the same pairs to review."""
    members, subsidies = pair
    got = []
    for order in ((members, subsidies), (subsidies, members)):
        with open_store(":memory:") as store:
            for path in order:
                _load(store, path, tmp_path)
            got.append(partition(store))
            jardins = [g for g in got[-1][0] if any("jardins du coeur" in k or k in (
                "siren:440000024", "siren:440000032") for _, k in g)]
            velo = [g for g in got[-1][0] if ("scdl:subventions.csv", "nom:atelier velo solidaire") in g]
    (actors, queue), (actors2, queue2) = got
    assert actors == actors2 and queue == queue2
    assert len(jardins) == 3 and all(len(g) == 1 for g in jardins)  # three actors, two pairs to review
    assert sum(1 for pair_ in queue if any(g in pair_ for g in jardins)) == 2
    assert len(velo[0]) == 2  # the others merged, in both orders
    assert sum(1 for g in actors if len(g) == 2) == 3


def _reference(order: list[Path], tmp_path: Path):
    with open_store(":memory:") as store:
        for p in order:
            load_file(store, p, format="maillage-jsonl", source_id=f"reference:{p.stem}", rejects_dir=tmp_path,
                      source_kind="dataset")
        return partition(store)[0]


#: The statements of the reference dataset whose actor still depends on the load order (forward
#: against reverse): rule 6's second case reads the porteur from the carried pôle's side only — loaded
#: after s001_002, s000b's pôle joins « Les Ateliers » by its name, and no statement of that load is the
#: same as s001_002's « Pôle tarnais » (docs/resolution.md, *Load order*). The other bridges are joined.
BRIDGED = {("s000b", "ptce-les-ateliers-castres"), ("s001_002", "les_ateliers"), ("s001_002", "pole_tarnais")}


def test_the_reference_dataset_in_reverse_order_differs_only_by_the_pole_tarnais(tmp_path):
    """Loaded in reverse order, the four extractions give the same actors but for the statements
    of :data:`BRIDGED` (measured over the 24 orders by ``scripts/resolution_order.py``): the Caisse
    des Dépôts, the IEP of Grenoble, the CBE of the Seignanx, the Solilab, EPV, the Éco-domaine,
    Sébastien Cornu and Laurent Fraisse used to differ too — a statement that two actors already in
    the store are, each by a rule, joins them now."""
    forward = _reference(reference_paths(), tmp_path)
    reverse = _reference(reference_paths()[::-1], tmp_path)
    moved = {(sid.removeprefix("reference:"), key) for g in forward ^ reverse for sid, key in g}
    assert moved == BRIDGED
    assert {g for g in forward if not {(s.removeprefix("reference:"), k) for s, k in g} & BRIDGED} == \
        {g for g in reverse if not {(s.removeprefix("reference:"), k) for s, k in g} & BRIDGED}


def _bridge_files(folder: Path) -> dict[str, Path]:
    """Three files naming one pôle: « PTCE EPV » (with a member), « Éoliennes en Pays de Vilaine »
    (with a funder), and « EPV – Éoliennes en Pays de Vilaine », which is the first by its core name
    and the second by its name. Loaded last, that one is a bridge."""
    from _jsonl import actor, relation, write_jsonl

    records = {
        "a": [actor("epv", "PTCE EPV", "pole"), actor("cigales", "Club Cigales du Pays de Redon", "ess"),
              relation("membership", "cigales", "epv")],
        "b": [actor("eoliennes", "Éoliennes en Pays de Vilaine", "pole"), actor("region", "Région Bretagne",
              "collectivite", "region", territory="region:53"), relation("funds", "region", "eoliennes")],
        "c": [actor("epv-eoliennes", "EPV – Éoliennes en Pays de Vilaine", "pole")],
    }
    head = {"record": "header", "format": "maillage-jsonl", "version": 1}
    return {n: write_jsonl(folder / f"{n}.jsonl", [{**head, "title": n}, *recs]) for n, recs in records.items()}


def test_a_statement_two_known_actors_are_joins_them_whatever_the_order(tmp_path):
    """The three files in their 6 orders give one pôle, with both ties; loaded last, « EPV – Éoliennes
    en Pays de Vilaine » used to join one of the two actors and leave the other apart for good (two
    pôles, the member and the funder on different ones). The joined statement says so (rule
    ``joined``, ``maillage resolve --log``), and the actor keeps the id of the first file's."""
    from maillage.loaders.resolution import merge_log

    files = _bridge_files(tmp_path)
    got = []
    for order in itertools.permutations("abc"):
        with open_store(":memory:") as store:
            for n in order:
                load_file(store, files[n], rejects_dir=tmp_path / "rejets")
            got.append(partition(store))
            (pole,) = [a for a in store.iter_actors() if a.family == "pole"]
            assert len(store.statements(pole.id)) == 3
            assert {r.type for r in store.relations(touching=[pole.id])} == {"membership", "funds"}
            first = f"maillage-jsonl:{order[0]}.jsonl"
            assert pole.id == store.resolution_of(first)[{"a": "epv", "b": "eoliennes", "c": "epv-eoliennes"}[order[0]]]
            if order == ("a", "b", "c"):
                (row,) = [r for r in merge_log(store) if r["rule"] == "joined"]
                assert (row["source"], row["key"]) == ("maillage-jsonl:b.jsonl", "eoliennes")
                assert row["matched"] == "name: maillage-jsonl:c.jsonl:epv-eoliennes « EPV – Éoliennes en Pays " \
                                         "de Vilaine »"
                # loaded again, the files keep that actor (the joined statement now by its name)
                for n in "bc":
                    load_file(store, files[n], rejects_dir=tmp_path / "rejets")
                assert partition(store) == got[-1]
                assert store.resolution_log("maillage-jsonl:b.jsonl")[0]["rule"] == "name"
    assert len({actors for actors, _ in got}) == 1


def test_a_reviewers_reject_keeps_the_two_actors_apart(tmp_path):
    """A reviewer said « Éoliennes en Pays de Vilaine » is not the « PTCE EPV » actor: the bridge
    joins only one of them."""
    files = _bridge_files(tmp_path)
    with open_store(":memory:") as store:
        for n in "ab":
            load_file(store, files[n], rejects_dir=tmp_path / "rejets")
        epv = store.resolution_of("maillage-jsonl:a.jsonl")["epv"]
        store.reject_proposal("maillage-jsonl:b.jsonl", "eoliennes", epv)
        load_file(store, files["c"], rejects_dir=tmp_path / "rejets")
        assert len([a for a in store.iter_actors() if a.family == "pole"]) == 2
        assert store.resolution_of("maillage-jsonl:b.jsonl")["eoliennes"] != epv


def reference_loaded(store, names, rejects_dir):
    """The reference dataset's extractions ``names`` (``s000a``…) loaded into ``store``, in that order
    (also the measurement scripts' ``scripts/resolution_order.py``, ``scripts/removal_order.py``)."""
    paths = {p.stem: p for p in reference_paths()}
    for n in names:
        load_file(store, paths[n], format="maillage-jsonl", source_id=f"reference:{n}",
                  rejects_dir=rejects_dir, source_kind="dataset")
    return store


@pytest.mark.parametrize("order", [("s001_002", "s000a", "s000b", "s003_004"),
                                   ("s000a", "s001_002", "s003_004", "s000b")])
def test_removing_the_extraction_that_bridged_gives_the_actors_of_the_other_three(order, tmp_path):
    """The four seed extractions loaded in an order where s000b bridges actors of the others (the
    Caisse des dépôts, the CBE du Seignanx, the Solilab…): removing s000b splits them back, and
    the statements fall into actors as loading the other three alone puts them, the review queue
    too (``maillage remove``: :func:`~maillage.loaders.resolution.remove_source`). It used to leave
    them joined."""
    from maillage.loaders.resolution import merge_log, remove_source

    def loaded(store, names):
        return reference_loaded(store, names, tmp_path)

    with open_store(":memory:") as store, open_store(":memory:") as never:
        loaded(store, order)
        bridged = {r["matched"].split(": ")[1].split(" ")[0] for r in merge_log(store) if r["rule"] == "joined"}
        assert any(b.startswith("reference:s000b:") for b in bridged)
        assert remove_source(store, "reference:s000b").joins_undone
        assert partition(store) == partition(loaded(never, [n for n in order if n != "s000b"]))


@pytest.mark.parametrize("order, removed, split", [(("s000a", "s000b", "s001_002", "s003_004"), "s000a", False),
                                                   (("s000b", "s000a", "s003_004", "s001_002"), "s000a", True)])
def test_removing_an_extraction_others_were_resolved_through_gives_the_actors_of_the_other_three(
        order, removed, split, tmp_path):
    """The later extractions' statements that the rules put into an actor *through* the removed
    one's (s001_002's « Éco-Domaine de Bouquetot » into the pôle s000a said ECOPYA carries, s000b's
    statements merged by key into s000a's actors…) are resolved again, as the other three loaded
    alone resolve them, and moved: the partition, the review queue and the ids are theirs. In the
    second order s001_002's « Éco-Domaine de Bouquetot » had joined s003_004's into that pôle: the
    join is undone. It used to leave them where they were (9 groups differed in each)."""
    from maillage.loaders.resolution import remove_source

    def loaded(store, names):
        return reference_loaded(store, names, tmp_path)

    with open_store(":memory:") as store, open_store(":memory:") as never:
        loaded(store, order)
        summary = remove_source(store, f"reference:{removed}")
        loaded(never, [n for n in order if n != removed])
        assert summary.resolved_again
        assert bool(summary.later_joins_undone) == split
        assert partition(store) == partition(never)
        ids = {s.id: store.resolution_of(s.id) for s in store.sources()}
        assert ids == {s.id: never.resolution_of(s.id) for s in never.sources()}


@pytest.mark.parametrize("order, removed", [(("s000a", "s001_002", "s003_004", "s000b"), "s003_004"),
                                            (("s000b", "s001_002", "s000a", "s003_004"), "s000b")])
def test_removing_an_extraction_leaves_the_review_queue_of_the_other_three(order, removed, tmp_path):
    """The later extractions resolved again after a removal meet their statements in their file's
    order, as their load did (``Store.source_statements``): the review queue is the one loading
    the other three alone gives. Resolved again in key order, a fuzzy proposal of s000b's (or
    s001_002's) went to another of its names than the load's: the queue differed in these two
    cases (46 of the 96 of scripts/removal_order.py)."""
    from maillage.loaders.resolution import remove_source

    with open_store(":memory:") as store, open_store(":memory:") as never:
        reference_loaded(store, order, tmp_path)
        assert remove_source(store, f"reference:{removed}").resolved_again
        reference_loaded(never, [n for n in order if n != removed], tmp_path)
        (actors, queue), (actors0, queue0) = partition(store), partition(never)
        assert actors == actors0
        assert queue == queue0
