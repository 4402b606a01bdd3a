"""`maillage viz ego|pole|territory|path … -o FILE.html`: the map pages written for sharing."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from maillage.analytics.run import analyse, person_names
from maillage.analytics.territory import territory_diagnostic
from maillage.api.maps import ISOLATED_BORDER
from maillage.cli import app
from maillage.graph import open_store
from maillage.loaders import load_reference

from _maps import map_data


@pytest.fixture(scope="module")
def ref(tmp_path_factory):
    db = tmp_path_factory.mktemp("viz") / "ref.db"
    with open_store(str(db)) as s:
        load_reference(s)
        analyse(s, diagnostics=False)
        pole = s.search("Périscope", family="pole")[0].id
        sub = s.pole_subgraph(pole)
        persons = person_names(s)
    return db, pole, sub, persons


def run(db, *args):
    return CliRunner().invoke(app, ["--store", str(db), "viz", *args])


def node_ids(html: str) -> set[str]:
    return set(re.findall(r'"id":\s*"([^"]+)"', html))


def test_pole_map_has_the_poles_actors_and_no_person(ref, tmp_path):
    db, pole, sub, persons = ref
    out = tmp_path / "pole.html"
    r = run(db, "pole", pole, "-o", str(out), "--size-by", "betweenness")
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "Pôle" in html and "Périscope" in html
    assert set(sub.actors) <= node_ids(html)
    assert not any(name in html for name in persons)
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', html)  # offline: nothing fetched
    # a pôle named « Pôle … » or « PTCE … » is titled by its name alone, not « Pôle Pôle Sud Archer »
    with open_store(str(db)) as s:
        named = next(a for a in s.iter_actors() if a.family == "pole" and a.name.startswith("Pôle "))
    out = tmp_path / "named.html"
    assert run(db, "pole", named.id, "-o", str(out)).exit_code == 0
    title = re.search(r"<title>([^<]*)</title>", out.read_text(encoding="utf-8")).group(1)
    assert title.startswith(named.name) and "Pôle Pôle" not in title


def test_ego_territory_and_path(ref, tmp_path):
    db, pole, sub, _ = ref
    member = next(a for a in sub.actors if a != pole)
    r = run(db, "ego", member, "--depth", "2", "-o", str(tmp_path / "ego.html"))
    assert r.exit_code == 0, r.output
    assert "Voisinage" in (tmp_path / "ego.html").read_text(encoding="utf-8")
    r = run(db, "territory", "departement:31", "-o", str(tmp_path / "t.html"))
    assert r.exit_code == 0, r.output
    html = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert "Haute-Garonne" in html
    # the territory diagnostic's isolated actors the map draws are circled in magenta, and said so
    with open_store(str(db)) as s:
        isolated = {e.id for e in territory_diagnostic(s, "departement:31").isolated.items}
    nodes = map_data(html)["nodes"]
    circled = {n["id"] for n in nodes if n.get("isolated")}
    assert circled and circled == isolated & {n["id"] for n in nodes}
    assert all(n["color"]["border"] == ISOLATED_BORDER for n in nodes if n.get("isolated"))
    assert re.search(rf"Isolé \(diagnostic du territoire\), entouré de magenta<span class=\"n\">{len(circled)}<", html)
    r = run(db, "path", member, pole, "-o", str(tmp_path / "p.html"))
    assert r.exit_code == 0, r.output
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert {member, pole} <= node_ids(html)



def test_map_files_are_named_in_french_as_the_reports(ref, tmp_path):
    """Given a folder, `viz` names its file in French, beside the report's
    (rapport-departement-31.html): it wrote carte-territory-….html; the views keep their names."""
    db, pole, sub, _ = ref
    member = next(a for a in sub.actors if a != pole)
    for args, name in ((["territory", "31"], "carte-territoire-departement-31.html"),
                       (["--territory", "Haute-Garonne"], "carte-territoire-departement-31.html"),
                       (["pole", pole], f"carte-pole-{pole}.html"), (["--actor", member], f"carte-voisinage-{member}.html"),
                       (["ego", member], f"carte-voisinage-{member}.html"),
                       (["path", member, pole], f"carte-chemin-{member}-{pole}.html")):
        folder = tmp_path / args[0].lstrip("-")
        folder.mkdir(exist_ok=True)
        r = run(db, *args, "-o", str(folder))
        assert r.exit_code == 0, (args, r.output)
        assert name in {p.name for p in folder.iterdir()}, args


@pytest.mark.parametrize("command", [["report", "--observatory"], ["report", "--territory", "31"],
                                     ["viz", "territory", "31"]])
def test_an_output_file_named_for_another_format_is_refused(ref, tmp_path, command):
    """`report -o rapport.pdf` wrote an HTML page into a .pdf file, which no PDF reader opens, and
    said nothing; `viz -o carte.png` the same. Refused before any work, naming -o; .html and
    .htm are HTML pages."""
    db, *_ = ref
    cli = CliRunner()
    for name in ("x.pdf", "x.png", "sortie/x.PDF", "x.csv"):
        r = cli.invoke(app, ["--store", str(db), *command, "-o", str(tmp_path / name)])
        said = " ".join(r.output.split())
        assert r.exit_code == 2 and "for -o:" in said and "est une page HTML" in said, (name, said)  # (in-process: click's frame)
        assert ("Imprimer → Enregistrer au format PDF" in said) == name.lower().endswith(".pdf")
        assert not (tmp_path / name).exists() and not (tmp_path / "sortie").exists()
    r = cli.invoke(app, ["--store", str(db), *command, "-o", str(tmp_path / "x.pdf"), "--lang", "en"])
    said = " ".join(r.output.split())
    assert r.exit_code == 2 and f"the {'map' if command[0] == 'viz' else 'report'} is an HTML page" in said
    for name in ("x.html", "x.HTM"):
        r = cli.invoke(app, ["--store", str(db), *command, "-o", str(tmp_path / name)])
        assert r.exit_code == 0 and (tmp_path / name).is_file(), r.output
    if command[0] == "report":  # as a person reads it: the command line's French frame
        from test_cli import run as maillage

        res = maillage("--store", str(db), *command, "-o", "rapport.pdf", cwd=tmp_path, check=False)
        assert res.returncode == 2 and ("erreur : valeur invalide pour -o : rapport.pdf : le rapport est une page "
                                        "HTML ; donnez un fichier .html, ou un dossier") in " ".join(res.stderr.split())


def test_errors_are_one_line(ref, tmp_path):
    db, pole, *_ = ref
    r = run(db, "pole", "nobody", "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 1 and "nobody" in r.output
    r = run(db, "galaxy", pole)
    assert r.exit_code == 2 and "ego" in r.output
    r = run(db, "pole", pole, "--size-by", "nonsense", "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 1 and "nonsense" in r.output


def test_views_named_by_options_as_in_report_and_export(ref, tmp_path):
    """`viz --territory T`, `--pole P` and `--actor A` draw the maps `viz territory T`,
    `viz pole P` and `viz ego A` draw (same nodes); `--out` is `-o`, as in report and export;
    two views at once, or none, are refused with what to type."""
    db, pole, sub, _ = ref
    member = next(a for a in sub.actors if a != pole)
    for positional, option in ((["territory", "Haute-Garonne"], ["--territory", "31"]),
                               (["pole", pole], ["--pole", pole]),
                               (["ego", member, "--depth", "2"], ["--actor", member, "--depth", "2"])):
        a, b = tmp_path / "a.html", tmp_path / "b.html"
        assert run(db, *positional, "-o", str(a)).exit_code == 0
        r = run(db, *option, "--out", str(b))
        assert r.exit_code == 0, r.output
        assert node_ids(a.read_text(encoding="utf-8")) == node_ids(b.read_text(encoding="utf-8")), option
    r = run(db, "territory", "31", "--pole", pole, "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 2 and "nommez une vue" in r.output
    r = run(db, "--pole", pole, "--territory", "31", "-o", str(tmp_path / "x.html"), "--lang", "en")
    assert r.exit_code == 2 and "name one view" in r.output
    r = run(db, "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 2 and "--territory" in r.output
    assert not (tmp_path / "x.html").exists()


def test_depth_and_max_hops_given_to_a_view_that_has_none_are_refused(ref, tmp_path):
    """`viz pole P --depth 2` drew the pôle's map as if --depth were not there (and `viz ego A
    --max-hops 3` ignored --max-hops): each option is refused, even at its old default, by a
    view it does not apply to, with what to type; the ego and path views take them as before."""
    db, pole, sub, _ = ref
    out = tmp_path / "x.html"
    for args, said in (
            (["pole", pole, "--depth", "2"], "--depth ne s'applique qu'au voisinage d'un acteur (--actor) ; pour le "
                                             f"voisinage du pôle à 2 liens : --actor {pole} --depth 2"),
            (["--territory", "31", "--depth", "1"], "un territoire se prend en entier, sans profondeur"),
            (["path", pole, "x", "--depth", "2"], "un chemin se borne par --max-hops"),
            (["ego", pole, "--max-hops", "6"], "--max-hops ne s'applique qu'à la vue path (le plus court chemin "
                                               "entre deux acteurs)")):
        r = run(db, *args, "-o", str(out))
        assert r.exit_code == 2 and said in " ".join(r.output.split()), (args, r.output)
    r = run(db, "pole", pole, "--depth", "2", "-o", str(out), "--lang", "en")
    assert r.exit_code == 2 and ("for the pôle's neighbourhood 2 ties away: --actor "
                                 f"{pole} --depth 2") in " ".join(r.output.split()), r.output
    r = run(db, "ego", pole, "--max-hops", "6", "-o", str(out), "--lang", "en")
    assert r.exit_code == 2 and "--max-hops only applies to the path view" in " ".join(r.output.split()), r.output
    assert not out.exists()
    member = next(a for a in sub.actors if a != pole)
    assert run(db, "path", member, pole, "--max-hops", "3", "-o", str(out)).exit_code == 0
    r = run(db, "--actor", pole, "--depth", "2", "-o", str(out))
    assert r.exit_code == 0 and len(node_ids(out.read_text(encoding="utf-8"))) > len(sub.actors), r.output


def test_a_territory_map_says_how_many_tied_actors_have_no_place(tmp_path, shared):
    """The Haute-Garonne SCDL file alone: the bénéficiaires have no address, so the territory
    map holds the two attribuants only; the command says how many tied actors were left off
    (counted here from the store) and how to place or map them."""
    from maillage.loaders import load_file

    db = tmp_path / "hg.db"
    with open_store(str(db)) as s:
        load_file(s, shared / "realdata/scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv",
                  rejects_dir=tmp_path)
        targets = {r.target for r in s.relations(types=["funds"])}
        assert all(not (s.get_actor(t).location or s.get_actor(t).territory) for t in targets)
    r = run(db, "--territory", "31", "--lens", "funding", "-o", str(tmp_path / "t.html"), "--lang", "en")
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "2 actors, 0 relations" in out
    assert f"note: {len(targets)} actors tied to actors of this territory have no known place" in out
    assert "SIRENE" in out and "viz --actor" in out
    r = run(db, "--territory", "31", "--lens", "funding", "-o", str(tmp_path / "t.html"))  # French by default
    out = " ".join(r.output.split())
    assert "2 acteurs, 0 relation" in out
    assert f"remarque : {len(targets)} acteurs liés à des acteurs de ce territoire n'ont pas de lieu connu" in out
    assert "SIRENE" in out and "viz --actor NOM" in out


def test_a_folder_as_output_gets_a_file_named_after_what_is_written(ref, tmp_path):
    """`-o FOLDER` for viz, report and export writes a file named after the view inside it — it
    used to fail, after all the work, on « [Errno 21] Is a directory »."""
    db, pole, _, _ = ref
    folder = tmp_path / "sorties"
    folder.mkdir()
    cli = CliRunner()
    for args in (["viz", "territory", "31"], ["report", "--territory", "Haute-Garonne"], ["report", "--pole", pole],
                 ["report", "--observatory"], ["export", "--format", "gexf", "--territory", "31"],
                 ["export"]):
        r = cli.invoke(app, ["--store", str(db), *args, "-o", str(folder)])
        assert r.exit_code == 0, (args, r.output)
    written = {p.name for p in folder.iterdir()}
    assert {"carte-territoire-departement-31.html", "rapport-departement-31.html", f"rapport-{pole}.html",
            "rapport-observatoire.html", "maillage-departement-31.gexf", "metriques.csv"} <= written
    assert "<html" in (folder / "rapport-departement-31.html").read_text(encoding="utf-8")[:500].lower()
    # a file path is still a file path
    r = cli.invoke(app, ["--store", str(db), "viz", "territory", "31", "-o", str(folder / "t.html")])
    assert r.exit_code == 0 and (folder / "t.html").is_file()
    # a path that does not exist and has no extension (« -o rapports/ »: the shell's slash is
    # lost) is a folder to make, as `load --report` reads it: it used to be written as a file
    # named « rapports », which no browser opens
    for args, name in ((["report", "--pole", pole], f"rapport-{pole}.html"), (["viz", "pole", pole], None),
                       (["export", "--format", "gexf", "--pole", pole], None)):
        new = tmp_path / "nouveau" / args[0]
        r = cli.invoke(app, ["--store", str(db), *args, "-o", str(new)])
        assert r.exit_code == 0, (args, r.output)
        assert new.is_dir() and len(list(new.iterdir())) >= 1, args
        assert all(p.suffix in (".html", ".gexf") for p in new.iterdir())
        if name:
            assert (new / name).is_file()
    r = cli.invoke(app, ["--store", str(db), "viz", "pole", pole, "-o", "/proc/maillage-absent/carte"])
    assert r.exit_code != 0


LOT_MEMBERS = [("Épicerie Solidaire du Lot", "Association", "46000", "Cahors"),
               ("Ville de Cahors", "Collectivité", "46000", "Cahors"),
               ("Ressourcerie du Quercy", "Association", "46100", "Figeac"),
               ("Cuma du Causse", "Coopérative", "46230", "Lalbenque"),
               ("Boulangerie Occitane", "Entreprise", "31000", "Toulouse")]


def test_a_territory_map_draws_the_pole_of_its_members_when_the_pole_has_no_place(tmp_path):
    """A pôle loaded from its member list has no commune: the map of its members' département drew
    them unconnected (« 4 acteurs, 0 relation ») around a missing centre. The pôle is drawn, with
    its ties to the territory's actors only, and the page and the command say why. A pôle placed
    elsewhere is another territory's: not drawn."""
    import json

    from maillage.loaders import load_file

    csv = tmp_path / "membres.csv"
    csv.write_text("Nom;Type;Code postal;Commune\n" + "".join(";".join(m) + "\n" for m in LOT_MEMBERS),
                   encoding="utf-8")
    prov = {"document": "etude", "locator": "L1"}
    placed = [{"record": "actor", "key": "tlse", "name": "Pôle Toulousain", "family": "pole", "kind": "ptce",
               "location": "commune:31555", "provenance": prov},
              {"record": "actor", "key": "cuma", "name": "Cuma du Causse", "family": "ess", "kind": "cooperative",
               "location": "commune:46148", "provenance": prov},
              {"record": "relation", "type": "membership", "source": "cuma", "target": "tlse", "provenance": prov}]
    jsonl = tmp_path / "toulouse.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in placed), encoding="utf-8")
    db = tmp_path / "lot.db"
    r = CliRunner().invoke(app, ["--store", str(db), "load", str(csv), "--pole", "Pôle Test"])
    assert r.exit_code == 0, r.output
    with open_store(str(db)) as s:
        load_file(s, jsonl, rejects_dir=tmp_path)
        pole = s.search("Pôle Test", family="pole")[0]
        assert not (pole.location or pole.territory)
    r = run(db, "territory", "Lot", "-o", str(tmp_path / "lot.html"))
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "5 acteurs, 4 relations" in out  # 4 members in the Lot + the pôle; not the Toulouse member
    assert ("remarque : Pôle Test n'a pas de lieu connu : il est dessiné ici parce que 4 acteurs de ce "
            "territoire lui sont liés.") in out
    page = (tmp_path / "lot.html").read_text(encoding="utf-8")
    data = map_data(page)
    labels = {n["label"] for n in data["nodes"]}
    assert "Pôle Test" in labels and not labels & {"Boulangerie Occitane", "Pôle Toulousain"}
    assert len(data["edges"]) == 4 and all(e["to"] == pole.id for e in data["edges"])
    assert "Pôle Test n&#39;a pas de lieu connu" in page
    r = run(db, "territory", "Haute-Garonne", "-o", str(tmp_path / "hg.html"), "--lang", "en")
    out = " ".join(r.output.split())
    assert "Pôle Test has no known place: it is drawn here because 1 actor of this territory is tied to it." in out
    assert "no known place and" not in out  # the Toulouse member's pôle is drawn, not counted unplaced
    # the API's territory view (JSON, map, exports) draws it too, with the same note
    from fastapi.testclient import TestClient

    from maillage.api.app import create_app

    with TestClient(create_app(str(db))) as c:
        got = c.get("/api/territories/departement:46/subgraph")
    assert got.status_code == 200, got.text
    body = got.json()
    assert pole.id in {n["id"] for n in body["nodes"]} and len(body["nodes"]) == 5
    assert "Pôle Test n'a pas de lieu connu : il est dessiné ici parce que 4 acteurs de ce territoire lui sont liés." in body["notes"]
