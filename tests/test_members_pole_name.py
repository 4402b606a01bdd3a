"""A member list loaded with a --pole the store does not know, close to a pôle it knows: a
misspelling made a second pôle, said only as « 1 rapprochement possible à examiner ». The load
is still done (two pôles may have close names) and says the pôle is new, names the close pôle(s)
and what to do (maillage.loaders.formats.members.new_pole_notes)."""

from __future__ import annotations

import re
import shlex

from _loading import load_file
from maillage.graph import open_store
from test_cli import run

GOOD, TYPO = "PTCE Lauragais Coopère", "PTCE Lauragis Coopère"


def lists(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("Nom;Type;Commune\nEcosimo;SCIC;Toulouse\nAtelier Vélo;Association;Castelnaudary\n", encoding="utf-8")
    b.write_text("Nom;Type;Commune\nLa Bonne Graine;Association;Revel\n", encoding="utf-8")
    return a, b


def poles(store) -> list[str]:
    return sorted(a.name for a in store.iter_actors() if a.family == "pole")


def test_a_misspelt_pole_is_loaded_and_said_new_naming_the_close_pole(tmp_path):
    a, b = lists(tmp_path)
    store = open_store(":memory:")
    load_file(store, a, options={"pole": GOOD}, rejects_dir=tmp_path)
    r = load_file(store, b, options={"pole": TYPO}, rejects_dir=tmp_path)
    assert poles(store) == [GOOD, TYPO]  # loaded: it may be another pôle
    (note,) = [n for n in r.notes if "(--pole) is new" in n]
    pid = re.search(r"--reject (p[0-9a-f]+) ", note)[1]
    assert note == (f"the pôle {TYPO!r} (--pole) is new: no pôle of the store has this name; a pôle of the store has a "
                    f"close name: {GOOD!r}. If it is that pôle, misspelt: maillage remove members:b.csv --yes, then "
                    f"maillage load b.csv --pole \"{GOOD}\"; if it is another pôle: maillage resolve --reject {pid} "
                    "(not said again)")


def test_nothing_is_said_when_the_pole_is_found_or_none_is_close(tmp_path):
    a, b = lists(tmp_path)
    for pole in ("Lauragais Coopère", "ptce lauragais coopere", "PTCE LAURAGAIS COOPÈRE"):  # found: the same pôle
        store = open_store(":memory:")
        load_file(store, a, options={"pole": GOOD}, rejects_dir=tmp_path)
        r = load_file(store, b, options={"pole": pole}, rejects_dir=tmp_path)
        assert len(poles(store)) == 1 and not [n for n in r.notes if "(--pole)" in n], pole  # one pôle
    store = open_store(":memory:")
    load_file(store, a, options={"pole": GOOD}, rejects_dir=tmp_path)
    r = load_file(store, b, options={"pole": "PTCE Haut Languedoc"}, rejects_dir=tmp_path)  # no close pôle
    assert len(poles(store)) == 2 and not [n for n in r.notes if "(--pole)" in n]
    r = load_file(open_store(":memory:"), b, options={"pole": TYPO}, rejects_dir=tmp_path)  # an empty store
    assert not [n for n in r.notes if "(--pole)" in n]


def _commands(text: str, before: str, after: str) -> list[list[str]]:
    """The `maillage …` commands the note gives between ``before`` and ``after``, as arguments."""
    part = text.split(before, 1)[1].split(after, 1)[0]
    return [shlex.split(c.strip())[1:] for c in re.split(r", then |; ", part)]


def test_the_commands_the_note_gives_do_what_it_says(tmp_path):
    """In French by default, in English with --lang en; the commands it gives, run as written: the
    source removed and loaded again under the store's name leaves one pôle with all the members;
    the proposal refused, the note is not said again."""
    lists(tmp_path)
    run("--store", "s.db", "load", "a.csv", "--pole", GOOD, cwd=tmp_path)
    res = run("--store", "s.db", "load", "b.csv", "--pole", TYPO, cwd=tmp_path)
    assert (f"· le pôle {TYPO!r} (--pole) est nouveau : aucun pôle de la base ne porte ce nom ; un pôle de la base "
            f"a un nom proche : {GOOD!r}. Si c'est ce pôle, mal orthographié : maillage remove members:b.csv --yes, "
            f"puis maillage load b.csv --pole \"{GOOD}\" ; si c'est un autre pôle : maillage resolve --reject p"
            in " ".join(res.stderr.split()))
    res = run("--store", "s.db", "load", "b.csv", "--pole", TYPO, "--lang", "en", cwd=tmp_path)
    note = " ".join(res.stderr.split())
    for cmd in _commands(note, "If it is that pôle, misspelt: ", "; if it is another pôle"):
        run("--store", "s.db", *cmd, cwd=tmp_path)
    with open_store(str(tmp_path / "s.db")) as store:
        assert poles(store) == [GOOD]
        pole = next(a.id for a in store.iter_actors() if a.family == "pole")
        assert len([r for r in store.relations() if r.type == "membership" and r.target == pole]) == 3
    # two pôles indeed: the proposal refused, not said again
    run("--store", "s2.db", "load", "a.csv", "--pole", GOOD, cwd=tmp_path)
    res = run("--store", "s2.db", "load", "b.csv", "--pole", TYPO, "--lang", "en", cwd=tmp_path)
    note = " ".join(res.stderr.split())
    for cmd in _commands(note, "if it is another pôle: ", " (not said again)"):
        run("--store", "s2.db", *cmd, cwd=tmp_path)
    res = run("--store", "s2.db", "load", "b.csv", "--pole", TYPO, "--lang", "en", cwd=tmp_path)
    assert "(--pole) is new" not in res.stderr
    with open_store(str(tmp_path / "s2.db")) as store:
        assert poles(store) == [GOOD, TYPO]


def test_the_list_loaded_again_with_the_pole_corrected_moves_its_members_not_loses_them(tmp_path):
    """The note followed without removing the source first: the same file loaded again with the
    right --pole. Its members pass to that pôle — said so, not « absents de ce fichier » — and the
    misspelt pôle, named by that list only, leaves the store; the pôles listed are then one."""
    from maillage.loaders.motifs import motif

    a, b = lists(tmp_path)
    store = open_store(":memory:")
    load_file(store, a, options={"pole": GOOD}, rejects_dir=tmp_path)
    load_file(store, b, options={"pole": TYPO}, rejects_dir=tmp_path)
    r = load_file(store, b, options={"pole": GOOD}, rejects_dir=tmp_path)
    assert not [n for n in r.notes if "not in this file" in n]  # before: « 1 member of the pôle TYPO … not in »
    (note,) = [n for n in r.notes if n.startswith("this list was loaded for")]
    assert note == (f"this list was loaded for the pôle {TYPO!r}; it is now for the pôle {GOOD!r}, and 1 member of "
                    f"its earlier load still in this file passes from one to the other; the pôle {TYPO!r}, which "
                    "only this list named, is no longer in the store")
    assert motif(note) == (f"cette liste était chargée pour le pôle {TYPO!r} ; elle l'est maintenant pour le pôle "
                           f"{GOOD!r} : son membre du chargement précédent, encore dans ce fichier, passe de l'un à "
                           f"l'autre ; le pôle {TYPO!r}, que seule cette liste nommait, n'est plus dans la base")
    assert poles(store) == [GOOD]
    pole = next(a.id for a in store.iter_actors() if a.family == "pole")
    assert len([r for r in store.relations() if r.type == "membership" and r.target == pole]) == 3


def test_a_member_the_moved_list_no_longer_has_is_still_said_gone(tmp_path):
    """The list moved to another pôle and shorter: the members it still has pass, the one it no
    longer has is said gone, from the pôle the earlier load named; that pôle, another list
    naming it too, stays (not said gone from the store)."""
    a, b = lists(tmp_path)
    c = tmp_path / "c.csv"
    c.write_text("Nom;Type;Commune\nCabas Paysan;Association;Revel\n", encoding="utf-8")
    b.write_text("Nom;Type;Commune\nLa Bonne Graine;Association;Revel\nFerme du Lac;SCOP;Sorèze\n"
                 "Épicerie Solidaire;Association;Revel\n", encoding="utf-8")
    store = open_store(":memory:")
    load_file(store, a, options={"pole": GOOD}, rejects_dir=tmp_path)
    load_file(store, c, options={"pole": TYPO}, rejects_dir=tmp_path)
    load_file(store, b, options={"pole": TYPO}, rejects_dir=tmp_path)
    b.write_text("Nom;Type;Commune\nLa Bonne Graine;Association;Revel\nÉpicerie Solidaire;Association;Revel\n",
                 encoding="utf-8")
    r = load_file(store, b, options={"pole": GOOD}, rejects_dir=tmp_path)
    said = [n for n in r.notes if n.startswith("this list was loaded for") or "not in this file" in n]
    assert said[0] == (f"this list was loaded for the pôle {TYPO!r}; it is now for the pôle {GOOD!r}, and 2 members "
                       "of its earlier load still in this file pass from one to the other")
    assert said[1].startswith(f"1 member of the pôle {TYPO!r} in the earlier load of this source is not in this "
                              "file: Ferme du Lac. ")
    assert len(said) == 2 and poles(store) == [GOOD, TYPO]
