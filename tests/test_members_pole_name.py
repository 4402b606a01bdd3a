"""A member list loaded with a --pole the store does not know, close to a pôle it knows: a
misspelling made a second pôle, said only as « 1 rapprochement possible à examiner ». The load
is still done (two pôles may have close names) and says the pôle is new, names the close pôle(s)
and what to do (maillage.loaders.member_notes.new_pole_notes)."""

from __future__ import annotations

import re
import shlex

from _loading import load_file
from _workbooks import write_xlsx
from maillage.graph import open_store
from test_cli import run

GOOD, TYPO = "PTCE Lauragais Coopère", "PTCE Lauragis Coopère"


def lists(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("Nom;Type;Commune\nEcosimo;SCIC;Toulouse\nAtelier Vélo;Association;Castelnaudary\n", encoding="utf-8")
    b.write_text("Nom;Type;Commune\nLa Bonne Graine;Association;Revel\n", encoding="utf-8")
    return a, b


def new_pole_note(report) -> tuple[str, str]:
    """The one note of a pôle the file names that is new but close to a known one, and the id of
    the proposal it says to refuse."""
    (note,) = [n for n in report.notes if ") is new" in n]
    return note, re.search(r"--reject (p[0-9a-f]+) ", note)[1]


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


def test_a_list_of_places_given_a_misspelt_pole_is_said_new_too(tmp_path):
    """A list of places (tiers-lieux and their structure porteuse) given ``--pole`` makes its places
    the pôle's members, as a member list does (docs/formats/places.md): a misspelt ``--pole`` is
    said the same way (it was not: the notes were picked by format name, and places had none)."""
    a, _ = lists(tmp_path)
    places = tmp_path / "lieux.csv"
    places.write_text("Nom;Structure porteuse;Commune\nLa Fabrique;Ecosimo;Toulouse\n", encoding="utf-8")
    store = open_store(":memory:")
    load_file(store, a, options={"pole": GOOD}, rejects_dir=tmp_path)
    r = load_file(store, places, format="places", options={"pole": TYPO}, rejects_dir=tmp_path)
    (note,) = [n for n in r.notes if "(--pole) is new" in n]
    assert f"close name: {GOOD!r}" in note and "maillage remove places:lieux.csv --yes" in note


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


# -- a pôle the file names itself: a pôle column, a sheet per pôle, pôle headings (new_pole_notes, pole_moves)

SUD, SUD_TYPO = "PTCE Sud Aveyron", "PTCE Sud Aveyon"


def network(tmp_path, rows: list[tuple[str, str]], name: str = "reseau.csv"):
    """A network's list: (member, its pôle) in a 'PTCE' column."""
    f = tmp_path / name
    f.write_text("Nom;Type;PTCE\n" + "".join(f"{m};Association;{p}\n" for m, p in rows), encoding="utf-8")
    return f


def known(tmp_path, store=None):
    """The store knows GOOD (a.csv) and SUD (s.csv), each from its own list."""
    a, _ = lists(tmp_path)
    s = tmp_path / "s.csv"
    s.write_text("Nom;Type;Commune\nCabas Paysan;Association;Rodez\n", encoding="utf-8")
    store = store or open_store(":memory:")
    load_file(store, a, options={"pole": GOOD}, rejects_dir=tmp_path)
    load_file(store, s, options={"pole": SUD}, rejects_dir=tmp_path)
    return store


def test_a_misspelt_pole_in_a_column_is_said_new_naming_the_file_and_the_column(tmp_path):
    """Before, a 'PTCE' column's misspelt pôle made a second pôle said only as « 1 rapprochement
    possible »: now one note per new pôle close to a known one, naming the column and its rows, and
    saying to correct the cells and load the file again; none for a new pôle close to none."""
    from maillage.loaders.motifs import motif

    store = known(tmp_path)
    f = network(tmp_path, [("La Bonne Graine", TYPO), ("Ferme du Lac", TYPO), ("Moulin Vert", "PTCE Haut Languedoc")])
    r = load_file(store, f, rejects_dir=tmp_path)
    assert poles(store) == sorted([TYPO, "PTCE Haut Languedoc", GOOD, SUD])  # loaded: it may be another pôle
    note, pid = new_pole_note(r)
    assert note == (f"the pôle {TYPO!r} (column 'PTCE' of 'reseau.csv', rows 2, 3) is new: no pôle of the store has "
                    f"this name; a pôle of the store has a close name: {GOOD!r}. If it is that pôle, misspelt: write "
                    f"{GOOD!r} instead in those cells, then load the file again: maillage load reseau.csv; if it is "
                    f"another pôle: maillage resolve --reject {pid} (not said again)")
    assert motif(note) == (f"le pôle {TYPO!r} (colonne 'PTCE' de 'reseau.csv', lignes 2, 3) est nouveau : aucun pôle "
                           f"de la base ne porte ce nom ; un pôle de la base a un nom proche : {GOOD!r}. Si c'est ce "
                           f"pôle, mal orthographié : écrivez {GOOD!r} à la place dans ces cellules, puis rechargez le "
                           f"fichier : maillage load reseau.csv ; si c'est un autre pôle : maillage resolve --reject "
                           f"{pid} (ce ne sera plus signalé)")


def test_two_spellings_of_a_new_pole_in_one_column_are_not_said_a_pole_of_the_store(tmp_path):
    """Both spellings only in this file, loaded twice: neither is « a pôle of the store » (the
    proposal between them stays for review)."""
    f = network(tmp_path, [("La Bonne Graine", TYPO), ("Ferme du Lac", GOOD)])
    store = open_store(":memory:")
    for _ in range(2):
        r = load_file(store, f, rejects_dir=tmp_path)
        assert not [n for n in r.notes if ") is new" in n]


def _fix(tmp_path, note: str, name: str = "reseau.csv") -> str:
    """The note followed: the misspelt name written as the note says in the file; its load command."""
    wrong, right = re.search(r"the pôle ('[^']+') .* misspelt: write ('[^']+') instead", note).groups()
    f = tmp_path / name
    f.write_text(f.read_text(encoding="utf-8").replace(wrong[1:-1], right[1:-1]), encoding="utf-8")
    return note.split("then load the file again: ", 1)[1].split("; if it is another pôle", 1)[0]


def test_the_column_note_s_commands_do_what_it_says(tmp_path):
    """In French by default, in English with --lang en. The cells corrected as it says and the
    load command it gives run as written: one pôle, all its members, the reload saying the pôle's
    members moved (not gone); or the proposal refused, the note not said again."""
    lists(tmp_path)
    for db in ("s.db", "s2.db"):
        run("--store", db, "load", "a.csv", "--pole", GOOD, cwd=tmp_path)
    network(tmp_path, [("La Bonne Graine", TYPO), ("Ferme du Lac", TYPO), ("Moulin Vert", "PTCE Haut Languedoc")])
    res = run("--store", "s.db", "load", "reseau.csv", cwd=tmp_path)
    assert (f"· le pôle {TYPO!r} (colonne 'PTCE' de 'reseau.csv', lignes 2, 3) est nouveau : aucun pôle de la base ne "
            f"porte ce nom ; un pôle de la base a un nom proche : {GOOD!r}. Si c'est ce pôle, mal orthographié : "
            f"écrivez {GOOD!r} à la place dans ces cellules, puis rechargez le fichier : maillage load reseau.csv ; "
            "si c'est un autre pôle : maillage resolve --reject p" in " ".join(res.stderr.split()))
    res = run("--store", "s2.db", "load", "reseau.csv", "--lang", "en", cwd=tmp_path)
    refuse = " ".join(res.stderr.split()).split("if it is another pôle: ", 1)[1].split(" (not said again)")[0]
    run("--store", "s2.db", *shlex.split(refuse)[1:], cwd=tmp_path)
    res = run("--store", "s2.db", "load", "reseau.csv", "--lang", "en", cwd=tmp_path)
    assert ") is new" not in res.stderr  # two pôles indeed: not said again
    res = run("--store", "s.db", "load", "reseau.csv", "--lang", "en", cwd=tmp_path)
    (note,) = [n for n in " ".join(res.stderr.split()).split(" · ") if ") is new" in n]
    load = _fix(tmp_path, note)
    res = run("--store", "s.db", *shlex.split(load)[1:], cwd=tmp_path)
    said = " ".join(res.stderr.split())
    assert (f"· dans cette liste, le pôle {TYPO!r} du chargement précédent est maintenant le pôle {GOOD!r} : ses 2 "
            "membres du chargement précédent encore dans ce fichier passent de l'un à l'autre ; le pôle "
            f"{TYPO!r}, que seule cette liste nommait, n'est plus dans la base" in said)
    assert "absents de ce fichier" not in said and "est nouveau" not in said
    with open_store(str(tmp_path / "s.db")) as store:
        assert poles(store) == ["PTCE Haut Languedoc", GOOD]
        pole = next(a.id for a in store.iter_actors() if a.name == GOOD)
        assert len([r for r in store.relations() if r.type == "membership" and r.target == pole]) == 4


def test_a_misspelt_sheet_name_is_said_new_and_renaming_the_sheet_moves_its_members(tmp_path):
    """A network's workbook, a sheet per pôle named after it: a misspelt sheet name is said (the
    sheet, the file); the sheet renamed as it says and the file loaded again, its members pass to
    the known pôle."""
    store = known(tmp_path)
    typo = [["Nom", "Type"], ["La Bonne Graine", "Association"], ["Ferme du Lac", "SCOP"]]
    other = [["Nom", "Type"], ["Moulin Vert", "Association"]]
    f = write_xlsx(tmp_path / "reseau.xlsx", {TYPO: typo, "PTCE Haut Languedoc": other})
    r = load_file(store, f, rejects_dir=tmp_path)
    note, pid = new_pole_note(r)
    assert note == (f"the pôle {TYPO!r} (name of the sheet {TYPO!r} of 'reseau.xlsx') is new: no pôle of the store "
                    f"has this name; a pôle of the store has a close name: {GOOD!r}. If it is that pôle, misspelt: "
                    f"name the sheet {GOOD!r} instead, then load the file again: maillage load reseau.xlsx; if it is "
                    f"another pôle: maillage resolve --reject {pid} (not said again)")
    write_xlsx(f, {GOOD: typo, "PTCE Haut Languedoc": other})
    r = load_file(store, f, rejects_dir=tmp_path)
    assert [n for n in r.notes if n.startswith("in this list")] == [
        f"in this list, the pôle {TYPO!r} of its earlier load is now the pôle {GOOD!r}, and 2 members of its earlier "
        f"load still in this file pass from one to the other; the pôle {TYPO!r}, which only this list named, is no "
        "longer in the store"]
    assert poles(store) == ["PTCE Haut Languedoc", GOOD, SUD] and not [n for n in r.notes if ") is new" in n]


def test_a_misspelt_pole_heading_is_said_with_its_rows(tmp_path):
    store = known(tmp_path)
    f = tmp_path / "reseau.csv"
    f.write_text(f"Nom;Type\n{TYPO};\nLa Bonne Graine;Association\n{SUD};\nMoulin Vert;Association\n{TYPO};\n"
                 "Ferme du Lac;SCOP\n", encoding="utf-8")
    r = load_file(store, f, rejects_dir=tmp_path)
    (note,) = [n for n in r.notes if ") is new" in n]
    assert note.startswith(f"the pôle {TYPO!r} (pôle heading of 'reseau.csv', rows 2, 6) is new: ")
    assert f"misspelt: write {GOOD!r} instead on those rows, then load the file again: maillage load reseau.csv; " in note
    f.write_text(f.read_text(encoding="utf-8").replace(TYPO, GOOD), encoding="utf-8")
    r = load_file(store, f, rejects_dir=tmp_path)
    assert [n for n in r.notes if n.startswith("in this list")] and not [n for n in r.notes if "not in this file" in n]
    assert poles(store) == [GOOD, SUD]


def test_two_poles_corrected_at_once_in_a_network_list_both_move(tmp_path):
    """Before, only one pôle going and one coming was read as a move: two names corrected at once
    said every member of both pôles gone. Now each new pôle is said (one note each), and each
    corrected pôle's members move to it, paired by their members."""
    store = known(tmp_path)
    rows = [("La Bonne Graine", TYPO), ("Ferme du Lac", TYPO), ("Moulin Vert", SUD_TYPO), ("Pain Partagé", SUD_TYPO),
            ("Jardin Commun", "PTCE Haut Languedoc")]
    f = network(tmp_path, rows)
    r = load_file(store, f, rejects_dir=tmp_path)
    said = [n for n in r.notes if ") is new" in n]
    assert [n.split(" (")[0] for n in said] == [f"the pôle {TYPO!r}", f"the pôle {SUD_TYPO!r}"]
    assert f"write {SUD!r} instead in those cells" in said[1] and "rows 4, 5" in said[1]
    network(tmp_path, [(m, {TYPO: GOOD, SUD_TYPO: SUD}.get(p, p)) for m, p in rows])
    r = load_file(store, f, rejects_dir=tmp_path)
    assert not [n for n in r.notes if "not in this file" in n or ") is new" in n]
    assert [n for n in r.notes if n.startswith("in this list")] == [
        f"in this list, the pôle {x!r} of its earlier load is now the pôle {y!r}, and 2 members of its earlier load "
        f"still in this file pass from one to the other; the pôle {x!r}, which only this list named, is no longer in "
        "the store" for x, y in ((TYPO, GOOD), (SUD_TYPO, SUD))]
    assert poles(store) == ["PTCE Haut Languedoc", GOOD, SUD]


def test_a_network_pole_renamed_is_told_by_most_of_its_members_not_by_a_pole_coming_with_others(tmp_path):
    """The rule (pole_moves): a pôle gone and a pôle come are one pôle renamed when their shared
    members are more than half of the gone pôle's members still in the file and more than half of
    the come pôle's members the earlier load listed. A renamed pôle that lost a member and gained
    one moves (the lost one said gone); a pôle leaving the list while another comes, with other
    members, is not a rename: its members are said gone."""
    store = open_store(":memory:")
    f = network(tmp_path, [("A1", "PTCE Ouest"), ("A2", "PTCE Ouest"), ("A3", "PTCE Ouest"), ("B1", "PTCE Est"),
                           ("C1", "PTCE Nord")])
    load_file(store, f, rejects_dir=tmp_path)
    network(tmp_path, [("A1", "PTCE Ouest Cévennes"), ("A2", "PTCE Ouest Cévennes"), ("A4", "PTCE Ouest Cévennes"),
                       ("B1", "PTCE Est"), ("D1", "PTCE Sud"), ("C1", "PTCE Est")])
    r = load_file(store, f, rejects_dir=tmp_path)
    said = [n for n in r.notes if n.startswith("in this list") or "not in this file" in n]
    assert said[0] == ("in this list, the pôle 'PTCE Ouest' of its earlier load is now the pôle 'PTCE Ouest Cévennes', "
                       "and 2 members of its earlier load still in this file pass from one to the other; the pôle "
                       "'PTCE Ouest', which only this list named, is no longer in the store")
    assert said[1].startswith("1 member of the pôle 'PTCE Nord' in the earlier load of this source is not in this "
                              "file: C1. ")  # C1 is PTCE Est's now: PTCE Nord went, PTCE Sud came with D1
    assert said[2].startswith("1 member of the pôle 'PTCE Ouest' in the earlier load of this source is not in this "
                              "file: A3. ")
    assert len(said) == 3


def test_a_list_moved_to_a_pole_new_to_the_store_names_it(tmp_path):
    """Before, a list moved to a pôle the store did not hold yet named it by its record id
    (« it is now for the pôle 'ptce-lauragais-coopere-bf4ccc' »): now by its name."""
    _, b = lists(tmp_path)
    store = open_store(":memory:")
    load_file(store, b, options={"pole": TYPO}, rejects_dir=tmp_path)
    r = load_file(store, b, options={"pole": GOOD}, rejects_dir=tmp_path)
    assert [n for n in r.notes if n.startswith("this list was loaded for")] == [
        f"this list was loaded for the pôle {TYPO!r}; it is now for the pôle {GOOD!r}, and 1 member of its earlier load "
        f"still in this file passes from one to the other; the pôle {TYPO!r}, which only this list named, is no longer "
        "in the store"]


def test_a_pole_misspelt_in_several_places_of_a_workbook_is_said_once_naming_each(tmp_path):
    """One note per new pôle: the pôle column of one sheet (its rows named with their sheet) and
    the name of another sheet, each with what to do there."""
    from maillage.loaders.motifs import motif

    store = known(tmp_path)
    f = write_xlsx(tmp_path / "reseau.xlsx", {
        "Collège A": [["Nom", "Type", "PTCE"], ["La Bonne Graine", "Association", TYPO], ["Moulin Vert", "SCOP", SUD],
                      ["Ferme du Lac", "SCOP", TYPO]],
        TYPO: [["Nom", "Type"], ["Jardin Commun", "Association"]]})
    r = load_file(store, f, rejects_dir=tmp_path)
    note, pid = new_pole_note(r)
    assert note == (f"the pôle {TYPO!r} (column 'PTCE' of 'reseau.xlsx', Collège A!row 2, Collège A!row 4; name of the "
                    f"sheet {TYPO!r} of 'reseau.xlsx') is new: no pôle of the store has this name; a pôle of the store "
                    f"has a close name: {GOOD!r}. If it is that pôle, misspelt: write {GOOD!r} instead in those cells "
                    f"and name the sheet {GOOD!r} instead, then load the file again: maillage load reseau.xlsx; if it "
                    f"is another pôle: maillage resolve --reject {pid} (not said again)")
    assert motif(note).startswith(
        f"le pôle {TYPO!r} (colonne 'PTCE' de 'reseau.xlsx', feuille Collège A, ligne 2 ; feuille Collège A, ligne 4 ; "
        f"nom de la feuille {TYPO!r} de 'reseau.xlsx') est nouveau : aucun pôle de la base ne porte ce nom ; un pôle de "
        f"la base a un nom proche : {GOOD!r}. Si c'est ce pôle, mal orthographié : écrivez {GOOD!r} à la place dans ces "
        f"cellules et renommez la feuille en {GOOD!r}, puis rechargez le fichier : maillage load reseau.xlsx ; ")


def test_a_sheet_the_pole_s_name_is_too_long_for_is_told_to_use_a_pole_column(tmp_path):
    """A sheet's name holds 31 characters at most in Excel: a pôle of 35 (« PTCE Lauragais Coopère
    et Solidaire ») cut to fit is said new, and the note said « name the sheet 'PTCE Lauragais
    Coopère et Solidaire' instead », which Excel refuses. Now it says to add a « Pôle » column to
    the sheet, naming the pôle on each row; done so and the file loaded again, its members pass to
    the known pôle."""
    from maillage.loaders.motifs import motif

    long = "PTCE Lauragais Coopère et Solidaire"
    cut = long[:31]
    a, _ = lists(tmp_path)
    store = open_store(":memory:")
    load_file(store, a, options={"pole": long}, rejects_dir=tmp_path)
    members_ = [["Nom", "Type"], ["La Bonne Graine", "Association"], ["Ferme du Lac", "SCOP"]]
    other = [["Nom", "Type"], ["Moulin Vert", "Association"]]
    f = write_xlsx(tmp_path / "reseau.xlsx", {cut: members_, "PTCE Haut Languedoc": other})
    r = load_file(store, f, rejects_dir=tmp_path)
    note, pid = new_pole_note(r)
    assert "name the sheet" not in note
    assert note == (f"the pôle {cut!r} (name of the sheet {cut!r} of 'reseau.xlsx') is new: no pôle of the store has "
                    f"this name; a pôle of the store has a close name: {long!r}. If it is that pôle, misspelt: add a "
                    f"column 'Pôle' to the sheet {cut!r} holding {long!r} on each of its rows (the sheet cannot be "
                    "named so: an Excel sheet's name holds 31 characters at most, this one 35), then load the file "
                    f"again: maillage load reseau.xlsx; if it is another pôle: maillage resolve --reject {pid} (not "
                    "said again)")
    assert (f"Si c'est ce pôle, mal orthographié : ajoutez à la feuille {cut!r} une colonne « Pôle » portant {long!r} "
            "sur chacune de ses lignes (la feuille ne peut pas porter ce nom : un nom de feuille Excel compte au plus "
            "31 caractères, celui-ci 35), puis rechargez le fichier : maillage load reseau.xlsx ; ") in motif(note)
    write_xlsx(f, {cut: [[*members_[0], "Pôle"], *([*row, long] for row in members_[1:])], "PTCE Haut Languedoc": other})
    r = load_file(store, f, rejects_dir=tmp_path)
    assert [n for n in r.notes if n.startswith("in this list")] == [
        f"in this list, the pôle {cut!r} of its earlier load is now the pôle {long!r}, and 2 members of its earlier "
        f"load still in this file pass from one to the other; the pôle {cut!r}, which only this list named, is no "
        "longer in the store"]
    assert poles(store) == ["PTCE Haut Languedoc", long] and not [n for n in r.notes if ") is new" in n]


def test_an_ods_sheet_may_take_a_long_name(tmp_path):
    """LibreOffice allows a sheet a name longer than 31 characters: renaming it is the advice."""
    from _workbooks import write_ods

    long = "PTCE Lauragais Coopère et Solidaire"
    a, _ = lists(tmp_path)
    store = open_store(":memory:")
    load_file(store, a, options={"pole": long}, rejects_dir=tmp_path)
    f = write_ods(tmp_path / "reseau.ods", {long[:31]: [["Nom", "Type"], ["La Bonne Graine", "Association"]]})
    note, _ = new_pole_note(load_file(store, f, rejects_dir=tmp_path))
    assert f"misspelt: name the sheet {long!r} instead, then load the file again" in note


# -- two spellings of one pôle new to the store, in one file (member_notes._spellings_notes)

def spellings_note(report) -> tuple[str, str]:
    """The one note of a pôle the file writes two ways, and the proposal it says to refuse."""
    (note,) = [n for n in report.notes if n.startswith("the file names one pôle in two ways")]
    return note, re.search(r"--reject (p[0-9a-f]+) ", note)[1]


def test_two_spellings_of_a_new_pole_in_one_column_are_said_with_their_rows(tmp_path):
    """« PTCE Lauragais Coopère » on most rows of the pôle column, « PTCE Lauragis Coopère » on one:
    two pôles, said only as « 1 rapprochement possible ». Not merged (the entity resolution does
    not merge a source's two keys, and a close name may be another pôle), but said at load time,
    in French: both spellings, the rows of each, the cells to correct and the command to load the
    file again, or the proposal to refuse. Done as it says, one pôle holds the four members, the
    reload saying the other spelling's member passes to it (not « absent de ce fichier »)."""
    from maillage.loaders.motifs import motif

    f = network(tmp_path, [("La Bonne Graine", GOOD), ("Ferme du Lac", GOOD), ("Moulin Vert", TYPO),
                           ("Pain Partagé", GOOD)])
    store = open_store(":memory:")
    r = load_file(store, f, rejects_dir=tmp_path)
    assert poles(store) == [GOOD, TYPO]  # loaded: they may be two pôles
    note, pid = spellings_note(r)
    assert note == (f"the file names one pôle in two ways, it seems: {GOOD!r} (column 'PTCE' of 'reseau.csv', rows 2, "
                    f"3, 5) and {TYPO!r} (column 'PTCE' of 'reseau.csv', row 4); their names are close (the entity "
                    "resolution proposes them for a merge) but they are loaded as two pôles. If it is one pôle: where "
                    f"{TYPO!r} is written, write {GOOD!r} instead in those cells, then load the file again: maillage "
                    f"load reseau.csv; if they are two pôles: maillage resolve --reject {pid} (not said again)")
    assert motif(note) == (
        f"le fichier semble écrire un même pôle de deux façons : {GOOD!r} (colonne 'PTCE' de 'reseau.csv', lignes 2, 3, "
        f"5) et {TYPO!r} (colonne 'PTCE' de 'reseau.csv', ligne 4) ; leurs noms sont proches (la résolution des entités "
        "propose de les rapprocher) mais ils sont chargés comme deux pôles. Si c'est un seul pôle : là où "
        f"{TYPO!r} est écrit, écrivez {GOOD!r} à la place dans ces cellules, puis rechargez le fichier : maillage "
        f"load reseau.csv ; si ce sont deux pôles : maillage resolve --reject {pid} (ce ne sera plus signalé)")
    assert not [n for n in r.notes if ") is new" in n]  # neither is the store's
    f.write_text(f.read_text(encoding="utf-8").replace(TYPO, GOOD), encoding="utf-8")
    r = load_file(store, f, rejects_dir=tmp_path)
    assert [n for n in r.notes if n.startswith("in this list") or "not in this file" in n] == [
        f"in this list, the pôle {TYPO!r} of its earlier load is now the pôle {GOOD!r}, and 1 member of its earlier "
        f"load still in this file passes from one to the other; the pôle {TYPO!r}, which only this list named, is no "
        "longer in the store"]
    assert poles(store) == [GOOD] and len(list(store.relations(types=["membership"]))) == 4


def test_three_spellings_of_a_new_pole_are_said_in_one_note(tmp_path):
    """« Pôle Coopératif Sud » on two rows, « Pole Cooperatif du Sud » and « Pôle Coopératif Sudd » on
    one each: three pôles, each close to the others. One note for the three (not one per pair),
    naming every spelling and its rows, one advice — write the most used spelling in the others'
    cells — and every proposal to refuse when they are three pôles; in French too. Done as it
    says, one pôle holds the four members."""
    from maillage.loaders.motifs import motif

    sud, du_sud, sudd = "Pôle Coopératif Sud", "Pole Cooperatif du Sud", "Pôle Coopératif Sudd"
    f = network(tmp_path, [("La Bonne Graine", sud), ("Ferme du Lac", du_sud), ("Moulin Vert", sudd),
                           ("Pain Partagé", sud)])
    store = open_store(":memory:")
    r = load_file(store, f, rejects_dir=tmp_path)
    assert poles(store) == [du_sud, sud, sudd]
    (note,) = [n for n in r.notes if n.startswith("the file names one pôle in")]
    pids = sorted(p.id for p in store.proposals("members:reseau.csv"))
    assert len(pids) == 3
    refuse = "; ".join(f"maillage resolve --reject {p}" for p in pids)
    assert note == (f"the file names one pôle in three ways, it seems: {sud!r} (column 'PTCE' of 'reseau.csv', rows 2, "
                    f"5), {du_sud!r} (column 'PTCE' of 'reseau.csv', row 3) and {sudd!r} (column 'PTCE' of "
                    "'reseau.csv', row 4); their names are close (the entity resolution proposes them for a merge) but "
                    f"they are loaded as three pôles. If it is one pôle: where {du_sud!r} or {sudd!r} is written, write "
                    f"{sud!r} instead in those cells, then load the file again: maillage load reseau.csv; if they are "
                    f"three pôles: {refuse} (not said again)")
    assert motif(note) == (
        f"le fichier semble écrire un même pôle de trois façons : {sud!r} (colonne 'PTCE' de 'reseau.csv', lignes 2, "
        f"5), {du_sud!r} (colonne 'PTCE' de 'reseau.csv', ligne 3) et {sudd!r} (colonne 'PTCE' de 'reseau.csv', "
        "ligne 4) ; leurs noms sont proches (la résolution des entités propose de les rapprocher) mais ils sont "
        f"chargés comme trois pôles. Si c'est un seul pôle : là où {du_sud!r} ou {sudd!r} est écrit, écrivez {sud!r} "
        "à la place dans ces cellules, puis rechargez le fichier : maillage load reseau.csv ; si ce sont trois "
        f"pôles : {refuse} (ce ne sera plus signalé)")
    f.write_text(f.read_text(encoding="utf-8").replace(du_sud, sud).replace(sudd, sud), encoding="utf-8")
    r = load_file(store, f, rejects_dir=tmp_path)
    assert poles(store) == [sud] and len(list(store.relations(types=["membership"]))) == 4
    assert not [n for n in r.notes if "not in this file" in n or "one pôle in" in n]


def test_two_pole_spellings_refused_as_one_are_not_said_again(tmp_path):
    from maillage.loaders.resolution import reject

    f = network(tmp_path, [("La Bonne Graine", GOOD), ("Moulin Vert", TYPO)])
    store = open_store(":memory:")
    _, pid = spellings_note(load_file(store, f, rejects_dir=tmp_path))
    reject(store, pid)
    r = load_file(store, f, rejects_dir=tmp_path)
    assert not [n for n in r.notes if "two ways" in n] and poles(store) == [GOOD, TYPO]


def test_spellings_the_loader_takes_for_one_name_are_one_pole_unsaid(tmp_path):
    """« Pôle Sud Aquitaine » and « Pole Sud-Aquitaine »: accents, case, hyphens are one name, one pôle."""
    f = network(tmp_path, [("La Bonne Graine", "Pôle Sud Aquitaine"), ("Moulin Vert", "Pole Sud-Aquitaine"),
                           ("Ferme du Lac", "PÔLE SUD AQUITAINE")])
    store = open_store(":memory:")
    r = load_file(store, f, rejects_dir=tmp_path)
    assert poles(store) == ["Pôle Sud Aquitaine"] and not [n for n in r.notes if "two ways" in n]
    assert len(list(store.relations(types=["membership"]))) == 3


def test_two_sheets_spelling_one_pole_are_told_a_pole_column_not_a_taken_name(tmp_path):
    """A sheet per pôle, two of them one pôle written two ways: the sheet cannot take the other's
    name (a workbook's sheets have names of their own), so a « Pôle » column is the advice."""
    from maillage.loaders.motifs import motif

    f = write_xlsx(tmp_path / "reseau.xlsx", {
        GOOD: [["Nom", "Type"], ["La Bonne Graine", "Association"], ["Ferme du Lac", "SCOP"]],
        TYPO: [["Nom", "Type"], ["Moulin Vert", "Association"]]})
    store = open_store(":memory:")
    note, _ = spellings_note(load_file(store, f, rejects_dir=tmp_path))
    assert note.startswith(f"the file names one pôle in two ways, it seems: {GOOD!r} (name of the sheet {GOOD!r} of "
                           f"'reseau.xlsx') and {TYPO!r} (name of the sheet {TYPO!r} of 'reseau.xlsx'); ")
    assert (f"If it is one pôle: where {TYPO!r} is written, add a column 'Pôle' to the sheet {TYPO!r} holding "
            f"{GOOD!r} on each of its rows (the sheet cannot be named so: another sheet of the workbook has that name), "
            "then load the file again: maillage load reseau.xlsx; ") in note
    assert "(la feuille ne peut pas porter ce nom : une autre feuille du classeur porte ce nom)" in motif(note)
    write_xlsx(f, {GOOD: [["Nom", "Type"], ["La Bonne Graine", "Association"], ["Ferme du Lac", "SCOP"]],
                   TYPO: [["Nom", "Type", "Pôle"], ["Moulin Vert", "Association", GOOD]]})
    r = load_file(store, f, rejects_dir=tmp_path)
    assert poles(store) == [GOOD] and not [n for n in r.notes if "not in this file" in n or "two ways" in n]
