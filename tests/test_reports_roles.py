"""The roles of the collectivités in the pôle and territory reports say where a funder's role
comes from, by the kind of file that states it — also for a source loaded with
``--source-id`` (« liste-2025 »: an id that names no format), read from its source record.

Scenario: the reference dataset, then Le Périscope's member list of 2025 loaded as
``maillage load membres.csv --pole "Le Périscope" --source-id liste-2025``, naming the
Département de la Haute-Garonne « financeur ».
"""

from __future__ import annotations

import html
import re

import pytest

from maillage.analytics.reports import render_pole_report, render_territory_report
from maillage.graph import open_store
from maillage.loaders import load_file, load_reference

POLE = "Le Périscope"
MEMBERS = ("Nom;Rôle\n"
           "Département de la Haute-Garonne;financeur\n"
           "Toulouse Métropole;partenaire\n")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("roles")
    (tmp / "membres.csv").write_text(MEMBERS, encoding="utf-8")
    with open_store(str(tmp / "s.db")) as s:
        load_reference(s)
        load_file(s, tmp / "membres.csv", source_id="liste-2025", rejects_dir=tmp, options={"pole": POLE})
        yield s


def _rows(page: str) -> list[str]:
    """The rows of the roles table, as text (cells joined by « | »)."""
    table = re.search(r'<table class="roles"[^>]*>.*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " | ", r)).split()) for r in rows]


def _pole_id(store) -> str:
    return store.search(POLE, family="pole")[0].id


@pytest.mark.parametrize("lang, said", [("fr", "financeur (d'après la liste des membres)"),
                                        ("en", "funder (from the member list)")])
def test_a_funder_from_a_list_loaded_with_its_own_id_is_said_by_the_kind_of_file(store, tmp_path, lang, said):
    """« financeur (d'après liste-2025) »: the id the animator chose says nothing of the file;
    the source's record says it is a member list."""
    page = render_pole_report(store, _pole_id(store), tmp_path / "p.html", lang=lang).read_text(encoding="utf-8")
    row = next(r for r in _rows(page) if "Haute-Garonne" in r)
    assert said in row and "liste-2025" not in row, row


@pytest.mark.parametrize("lang, words", [
    ("fr", {"Aide, nature non précisée": "financements d'après la liste des membres",
            "Aide à l'investissement": "financements d'après les documents fondateurs"}),
    ("en", {"Aid, nature not stated": "grants from the member list",
            "Investment aid": "grants from the founding documents"})])
def test_the_territory_roles_table_says_where_a_funders_role_comes_from(store, tmp_path, lang, words):
    """The territory report's « Rôles des collectivités » counted the Département's grant under
    « Aide, nature non précisée » without saying it came from a member list, not a subsidy
    file; each row of grants now says from which kinds of file, as the pôle report does."""
    page = render_territory_report(store, "departement:31", tmp_path / "t.html", lang=lang).read_text(
        encoding="utf-8")
    rows = _rows(page)
    for label, said in words.items():
        row = next(r for r in rows if r.startswith(f"| {label}"))
        assert said in row, row
    unstated = next(r for r in rows if r.startswith(f"| {next(iter(words))}"))
    assert "Haute-Garonne" in unstated and "liste-2025" not in unstated
    # a row of stated roles only (no grant) says no source
    advice = next(r for r in rows if "Conseil, ingénierie" in r or "Advice, engineering" in r)
    assert "d'après" not in advice and " from " not in advice, advice


def test_the_territory_roles_table_agrees_its_counts(store, tmp_path):
    """« (1 affirmés, 0 déduits) »: a count of statements now agrees with its word, the singular
    up to 1 in French (« 1 affirmé, 0 déduit », « 2 affirmés »)."""
    page = render_territory_report(store, "departement:31", tmp_path / "t.html").read_text(encoding="utf-8")
    counts = [m for r in _rows(page) for m in re.findall(r"\((\d+) (affirmés?), (\d+) (déduits?)\)", r)]
    assert counts and any(int(n) <= 1 for c in counts for n in c[::2])
    for n, stated, m, derived in counts:
        assert (stated == "affirmés") == (int(n) > 1) and (derived == "déduits") == (int(m) > 1), (n, stated, m, derived)


def test_the_territory_reasons_hover_text_is_french_words(store, tmp_path):
    """A reason of an isolated or peripheral actor had its code as hover text
    (``title="seulement_financement"``); it now says, in French, the status the reason gives
    (:data:`~maillage.analytics.territory.STATUSES`): isolated or peripheral."""
    from maillage.analytics.territory import ISOLATION_CODES

    page = render_territory_report(store, "departement:31", tmp_path / "t.html").read_text(encoding="utf-8")
    cells = re.findall(r'<td class="reasons">(.*?)</td>', page, re.S)
    titles = {html.unescape(t) for c in cells for t in re.findall(r'title="([^"]*)"', c)}
    assert titles == {"motif : isolé", "motif : périphérique"}, titles
    assert not re.search(rf'title="({"|".join(ISOLATION_CODES)})"', page)


@pytest.fixture(scope="module")
def client(store):
    from fastapi.testclient import TestClient

    from maillage.api.app import create_app

    with TestClient(create_app(store.path)) as c:
        yield c


@pytest.mark.parametrize("lang, funder, grants", [
    ("fr", "financeur (d'après la liste des membres)", "financements d'après la liste des membres"),
    ("en", "funder (from the member list)", "grants from the member list")])
def test_the_apis_diagnostics_say_the_kind_of_a_list_loaded_with_its_own_id(store, client, lang, funder, grants):
    """The API's pôle and territory diagnostics read no source record, so a list loaded with
    ``--source-id liste-2025`` was named by that id (« financeur (d'après liste-2025) ») where
    the reports said « la liste des membres »: they now say the same as the reports."""
    pole = client.get(f"/api/poles/{_pole_id(store)}/diagnostic", params={"lang": lang}).json()["diagnostic"]
    roles = next(c["role_labels"] for c in pole["collectivites"] if "Haute-Garonne" in c["actor"]["name"])
    assert funder in roles, roles
    territory = client.get("/api/territories/departement:31/diagnostic", params={"lang": lang}).json()
    said = [r["funding_from"] for r in territory["collectivite_roles"] if r["funding_from"]]
    assert grants in said and not any("liste-2025" in x for x in said), said


def test_a_source_named_after_a_person_is_masked_in_the_apis_funder_roles(tmp_path):
    """A funder's role names a file of no known kind by its name (« financeur (d'après
    jeanne-dupuis.ftm.json) »): the reports masked it, the API's pôle and territory diagnostics
    showed the name of a person of the store (docs/privacy.md: wherever the name is)."""
    from fastapi.testclient import TestClient

    from maillage.api.app import create_app

    (tmp_path / "membres.csv").write_text("Nom;Rôle\nJeanne Dupuis;personne qualifiée\n", encoding="utf-8")
    ftm = tmp_path / "jeanne-dupuis.ftm.json"
    ftm.write_text('{"id":"d31","schema":"PublicBody","properties":{"name":["Département de la Haute-Garonne"]}}\n'
                   '{"id":"per","schema":"Organization","properties":{"name":["Le Périscope"]}}\n'
                   '{"id":"pay","schema":"Payment","properties":{"payer":["d31"],"beneficiary":["per"],'
                   '"amountEur":["1000"],"date":["2023-01-01"]}}\n', encoding="utf-8")
    with open_store(str(tmp_path / "s.db")) as s:
        load_reference(s)
        load_file(s, tmp_path / "membres.csv", rejects_dir=tmp_path, options={"pole": POLE})
        load_file(s, ftm, rejects_dir=tmp_path)
        pole = _pole_id(s)
    with TestClient(create_app(str(tmp_path / "s.db"))) as c:
        d = c.get(f"/api/poles/{pole}/diagnostic").json()["diagnostic"]
        roles = next(x["role_labels"] for x in d["collectivites"] if "Haute-Garonne" in x["actor"]["name"])
        t = c.get("/api/territories/departement:31/diagnostic").json()
        said = [r["funding_from"] for r in t["collectivite_roles"] if "ftm.json" in r["funding_from"]]
    assert re.fullmatch(r"financeur \(d'après \[personne \d+\]\.ftm\.json\)", roles[0]) and len(roles) == 1, roles
    assert len(said) == 1 and re.fullmatch(r"financements d'après \[personne \d+\]\.ftm\.json", said[0]), said
