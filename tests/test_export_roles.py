"""A relation's role in the JSON export reads as the API and the maps say it (``role_label``,
:func:`maillage.api.maps.role_text`), persons' names masked in it as everywhere else in the
export; ``fields.role`` stays as the file wrote it.

Before, the API's edges had ``role_label`` and the JSON export's edges had not: a script reading
the export found « founding member » where the explorer said « membre (socle) ; la source dit
« founding member » », and had to redo the vocabulary's rule itself."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from maillage.api.app import create_app
from maillage.cli import app

from _jsonl import actor, loaded_store, relation

RECORDS = [actor("velo", "Atelier Vélo Solidaire", "ess", "association"),
           actor("jardins", "Les Jardins du Canal", "ess", "association"),
           actor("pole", "Pôle du Canal", "pole", "ptce"),
           actor("didier", "Didier Cognon", "person", "salarie"),
           relation("membership", "velo", "pole", role="founding member", tier="socle"),
           relation("membership", "jardins", "pole", role="adhérent présenté par Didier Cognon", tier="adherent"),
           relation("employs", "jardins", "didier"),
           relation("partner", "velo", "jardins")]


def _export(db, tmp_path, *args) -> dict[str, dict]:
    out = tmp_path / "export.json"
    r = CliRunner().invoke(app, ["--store", str(db), "export", "-f", "json", *args, "-o", str(out)])
    assert r.exit_code == 0, r.output
    return {e["fields"].get("role", e["type"]): e for e in json.loads(out.read_text(encoding="utf-8"))["edges"]}


def test_the_json_export_says_each_role_as_the_api_does_persons_masked(tmp_path):
    store = loaded_store(tmp_path, RECORDS)
    store.close()
    db = tmp_path / "essai.db"
    edges = _export(db, tmp_path)
    assert edges["founding member"]["role_label"] == "membre (socle) ; la source dit « founding member »"
    masked = edges["adhérent présenté par [personne 1]"]  # fields.role masked as before
    assert masked["role_label"] == "membre (adhérent) ; la source dit « adhérent présenté par [personne 1] »"
    assert edges["partner"]["role_label"] is None  # no role stated
    assert "Cognon" not in json.dumps(list(edges.values()), ensure_ascii=False)
    # the API's edges, computed by the same rule, say the same
    with TestClient(create_app(str(db))) as c:
        velo = c.get("/api/actors", params={"q": "Vélo"}).json()["items"][0]["id"]
        api = {e["id"]: e["role_label"] for e in c.get(f"/api/actors/{velo}/neighbourhood?depth=2").json()["edges"]}
        served = {e["id"]: e["role_label"] for e in c.get("/api/export/json").json()["edges"]}
    assert api and all(served[i] == label for i, label in api.items()), (api, served)
    # in English, and with the persons when asked
    assert _export(db, tmp_path, "--lang", "en")["founding member"]["role_label"] == \
        "member (core); the source says 'founding member'"
    shown = _export(db, tmp_path, "--include-persons")["adhérent présenté par Didier Cognon"]
    assert shown["role_label"] == "membre (adhérent) ; la source dit « adhérent présenté par Didier Cognon »"


# -- the spreadsheet file, the files of the other tools ----------------------------------------------

GRANT = relation("funds", "pole", "velo", amount=5000.0, amount_requested=1234.5, share=0.25, status="accorde")


def _rows(path, delimiter) -> list[dict[str, str]]:
    import csv

    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def _cli(db, *args) -> None:
    r = CliRunner().invoke(app, ["--store", str(db), "export", *args])
    assert r.exit_code == 0, r.output


def test_the_spreadsheet_details_say_each_field_as_the_maps_do_numbers_as_the_file_writes_them(tmp_path):
    """« précisions » was a third copy of the rule: the role as the file wrote it (« Rôle :
    founding member »). Now each field reads as the maps and the API's ``field_rows`` say it,
    the numbers with the file's decimal mark (as its « montant » column)."""
    from maillage.api.maps import field_rows
    from maillage.graph import open_store

    loaded_store(tmp_path, [*RECORDS, GRANT]).close()
    db = tmp_path / "essai.db"
    out = tmp_path / "liens.csv"
    _cli(db, "-f", "edges.csv", "--tableur", "-o", str(out))
    cells = {r["relation"] + " " + r["acteur"]: r["précisions"] for r in _rows(out, ";")}
    assert cells["membre de Atelier Vélo Solidaire"] == \
        "Rôle : membre (socle) ; la source dit « founding member » ; Cercle : socle"
    assert cells["membre de Les Jardins du Canal"] == \
        "Rôle : membre (adhérent) ; la source dit « adhérent présenté par [personne 1] » ; Cercle : adhérent"
    assert cells["finance Pôle du Canal"] == "Montant demandé (€) : 1234,50 ; Part : 25\u00a0% ; Statut : accordée"
    # the same labels as the maps' rows, in the same order (one rule)
    with open_store(str(db)) as s:
        grant = next(r for r in s.relations() if r.type == "funds")
    assert [c.split(" : ")[0] for c in cells["finance Pôle du Canal"].split(" ; ")] == \
        [label for label, _ in field_rows(grant) if label != "Montant (€)"]
    # a decimal point when the file has one (--delimiter ,), English words with --lang en
    _cli(db, "-f", "edges.csv", "--tableur", "--delimiter", ",", "-o", str(out))
    assert "Montant demandé (€) : 1234.50 ; Part : 25\u00a0% ; Statut : accordée" in \
        {r["précisions"] for r in _rows(out, ",")}
    _cli(db, "-f", "edges.csv", "--tableur", "--lang", "en", "-o", str(out))
    said = {r["details"] for r in _rows(out, ",")}
    assert "Role: member (core); the source says 'founding member'; Tier: core" in said, said


def test_the_default_files_say_the_role_in_words_beside_the_codes(tmp_path):
    """edges.csv, GEXF and GraphML carried the role only as ``fields`` codes (``"tier":"socle"``,
    the raw role): Gephi and a spreadsheet showed « founding member ». They now carry
    ``role_label`` as the JSON export does, persons masked, the codes kept for round trips."""
    import networkx as nx

    loaded_store(tmp_path, RECORDS).close()
    db = tmp_path / "essai.db"
    out = tmp_path / "liens.csv"
    _cli(db, "-f", "edges.csv", "-o", str(out))
    rows = {json.loads(r["fields"]).get("role", r["type"]) if r["fields"] else r["type"]: r for r in _rows(out, ",")}
    assert rows["founding member"]["role_label"] == "membre (socle) ; la source dit « founding member »"
    assert json.loads(rows["founding member"]["fields"]) == {"role": "founding member", "tier": "socle"}
    assert rows["adhérent présenté par [personne 1]"]["role_label"] == \
        "membre (adhérent) ; la source dit « adhérent présenté par [personne 1] »"
    assert rows["partner"]["role_label"] == ""
    json_edges = _export(db, tmp_path)
    for fmt in ("gexf", "graphml"):
        path = tmp_path / f"g.{fmt}"
        _cli(db, "-f", fmt, "-o", str(path))
        g = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
        said = {json.loads(d["fields"]).get("role"): d.get("role_label") for *_, d in g.edges(data=True)
                if "fields" in d}
        assert said == {k: json_edges[k]["role_label"] for k in said}, (fmt, said)
        assert said["founding member"] == "membre (socle) ; la source dit « founding member »"
        assert "Cognon" not in path.read_text(encoding="utf-8")
