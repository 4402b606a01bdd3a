"""Privacy (docs/privacy.md): natural persons, person-named columns and SIRENE units that refused
diffusion never reach a public response; spreadsheet cells never start a formula.

**The walk.** The app serves the reference dataset — whose natural persons (family ``person``)
are named only in the founding documents — plus three files loaded through ``POST /api/load``
with the token: a SIRENE ``StockUniteLegale`` extract (a diffusible unit, two units that refused
diffusion — ``statutDiffusionUniteLegale`` ``P`` and ``N`` —, a sole trader), a
``StockEtablissement`` extract (an establishment in partial diffusion) and a member list with
contact columns (name, e-mail, telephone). Every GET route of the OpenAPI document is then
called without the token with realistic parameters: every actor tied to a person (record,
neighbourhood, map, exports, suggestions, paths between two actors tied to the same person),
every pôle, the territories of those actors with their rollups, searches by each person's name
(both orders), id and kind, every page of the actor list, every export format, the run's values,
plus the explorer page, its static files and the OpenAPI pages. Bodies are decoded (JSON
escapes, HTML and XML entities, the XML parts of the XLSX workbook), accents and case folded,
and none may contain a person's name or id, a refused unit's name, SIREN or SIRET, or a contact's
name, e-mail or telephone. The walk must reach every GET route with a 200 (a route added later
fails the test until it is walked) and the same detector finds the persons when the token asks
for them, in every format (so the walk can fail).

**Persons are indistinguishable from unknown ids**: a person's id gives the same status and body
as a made-up id on every route that takes an actor.

**Spreadsheet cells**: actors named ``=cmd|' /C calc'!A0``, ``+1``, ``-2``, ``@SUM(1)`` (and a
tab, a carriage return), relation roles and quotes starting with ``=``: every CSV cell and every
XLSX cell of every export (and the run's CSV) is text that starts with ``'`` — no formula cell,
no cell starting with a formula character unless it is a number —, while JSON, GEXF, GraphML and
FtM keep the names exactly.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from urllib.parse import quote

import openpyxl
import pytest
from fastapi.testclient import TestClient

from maillage.analytics.run import analyse
from maillage.api.app import STATIC_DIR, create_app
from maillage.api.exports import EXPORT_FORMATS
from maillage.graph import open_store
from maillage.graph.identifiers import is_valid_identifier
from maillage.graph.store import territory_rollup
from maillage.loaders import load_file, load_reference

from _jsonl import actor, relation, write_jsonl

TOKEN = "jeton-vie-privee-71c2"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


# ---------------------------------------------------------------------------------------------
# identifiers and the files loaded through the API

def luhn_complete(prefix: str) -> str:
    """``prefix`` followed by the digit that makes it pass the Luhn check (SIREN, SIRET)."""
    for d in "0123456789":
        digits = [int(c) for c in prefix + d][::-1]
        total = sum(x if i % 2 == 0 else (2 * x - 9 if 2 * x > 9 else 2 * x) for i, x in enumerate(digits))
        if total % 10 == 0:
            return prefix + d
    raise AssertionError(prefix)


SIREN_OPEN = "441370806"                     # TENNIS ROQUES OLYMPIC CLUB: diffusible (the control)
SIREN_P = luhn_complete("81234567")         # statutDiffusionUniteLegale = P (partial diffusion)
SIREN_N = luhn_complete("79876543")         # the former value N (non-diffusible)
SIREN_EI = luhn_complete("44306184")        # a sole trader: legal category 1000, a natural person
SIRET_P = luhn_complete(SIREN_OPEN + "0003")  # an establishment of the open unit, in partial diffusion
NAME_P, NAME_N = "ATELIER DISCRET DE LA GARONNE", "COOPERATIVE MUETTE DU QUERCY"
EI_NAME, EI_FIRST = "FAUCHEROLLE", "ISAURE"
CONTACT, EMAIL, PHONE = "Marcelline Fauchard-Vidal", "marcelline.fv@example.org", "06 71 23 45 67"
VISIBLE_MEMBER = "Atelier Témoin Visible"

UL = ("siren,statutDiffusionUniteLegale,identifiantAssociationUniteLegale,categorieEntreprise,"
      "etatAdministratifUniteLegale,nomUniteLegale,prenom1UniteLegale,denominationUniteLegale,sigleUniteLegale,"
      "categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,nicSiegeUniteLegale,"
      "economieSocialeSolidaireUniteLegale\n"
      f"{SIREN_OPEN},O,W313000123,PME,A,,,TENNIS ROQUES OLYMPIC CLUB,TROC,9220,93.12Z,00016,O\n"
      f"{SIREN_P},P,,PME,A,,,{NAME_P},ADG,5458,43.21A,00017,O\n"
      f"{SIREN_N},N,,PME,A,,,{NAME_N},CMQ,5460,01.11Z,00011,O\n"
      f"{SIREN_EI},O,,,A,{EI_NAME},{EI_FIRST},,,1000,47.11A,00013,N\n")
ET_CSV = ("siren,nic,siret,statutDiffusionEtablissement,etablissementSiege,codeCommuneEtablissement,"
          "etatAdministratifEtablissement,denominationUniteLegale,categorieJuridiqueUniteLegale,enseigne1Etablissement\n"
          f"{SIREN_OPEN},00016,{luhn_complete(SIREN_OPEN + '0001')},O,true,31458,A,TENNIS ROQUES OLYMPIC CLUB,9220,\n"
          f"{SIREN_OPEN},{SIRET_P[9:]},{SIRET_P},P,false,31555,A,TENNIS ROQUES OLYMPIC CLUB,9220,\n")
PERSON_WITH_ROLE = "Ondine Vermorel"  # named with her role, no role column: a person all the same
PERSON_FILE = f"entretien-{PERSON_WITH_ROLE.replace(' ', '-')}.csv"  # a file named after a person
INTERVIEW = f"Nom;Rôle\n{VISIBLE_MEMBER};adhérent\nAtelier Témoin Entretien;adhérent\n"
MEMBERS = ("Nom;SIREN;Rôle;Contact;Email;Téléphone\n"
           f"{VISIBLE_MEMBER};;adhérent;{CONTACT};{EMAIL};{PHONE}\n"
           f"{PERSON_WITH_ROLE} (personne qualifiée);;;;;\n")


def test_the_test_identifiers_are_valid():
    for siren in (SIREN_OPEN, SIREN_P, SIREN_N, SIREN_EI):
        assert is_valid_identifier("siren", siren), siren
    assert is_valid_identifier("siret", SIRET_P)


# ---------------------------------------------------------------------------------------------
# normalising bodies

_U = re.compile(r"\\u([0-9a-fA-F]{4})")


def fold(text: str) -> str:
    """Accents and case folded, whitespace collapsed: ``"Agnès  GAIGNEUX"`` → ``"agnes gaigneux"``."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.casefold())


def decode(body: bytes, media: str) -> str:
    """The text a reader of the body sees: the XML parts of a workbook, JSON ``\\uXXXX`` escapes
    and HTML/XML entities resolved, folded."""
    if media.startswith("application/vnd.openxmlformats") or body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            text = "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels")))
    else:
        text = body.decode("utf-8-sig", errors="replace")
    text = _U.sub(lambda m: chr(int(m.group(1), 16)), text)
    return fold(html.unescape(html.unescape(text)))


def _plain(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", name).strip(" .,;")


_WORD = re.compile(r"\w+")


class Secrets:
    """What must never be served: each entry ``(what, folded text)``, matched as whole words.
    A body's set of words is computed once; only the entries whose words are all in it are
    then looked for as a phrase (fast on megabytes of map pages and exports)."""

    def __init__(self, entries: list[tuple[str, str]]):
        self.entries = sorted({(w, fold(t)) for w, t in entries if t and len(fold(t)) >= 5})
        self.words = [(w, t, frozenset(_WORD.findall(t))) for w, t in self.entries]

    def found(self, text: str) -> list[str]:
        present = set(_WORD.findall(text))
        return sorted({w for w, t, words in self.words if words <= present and _occurs(text, t)})


def _occurs(text: str, phrase: str) -> bool:
    """``phrase`` in ``text`` as whole words (not inside a longer word, e-mail or id)."""
    i = text.find(phrase)
    while i >= 0:
        before = text[i - 1] if i else " "
        j = i + len(phrase)
        after = text[j] if j < len(text) else " "
        if not (before.isalnum() or before in "_@.-") and not (after.isalnum() or after in "_@-"):
            return True
        i = text.find(phrase, i + 1)
    return False


# ---------------------------------------------------------------------------------------------
# the service under test

@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The reference dataset + the three files loaded through the API with the token; the app,
    the persons and what they are tied to."""
    d = tmp_path_factory.mktemp("privacy")
    db = d / "reference.db"
    store = open_store(str(db))
    load_reference(store, rejects_dir=d / "rejects")
    store.close()
    app = create_app(str(db), token=TOKEN, max_upload_mb=2)
    with TestClient(app) as c:
        reports = []
        for name, text, data in (("StockUniteLegale.csv", UL, {}), ("StockEtablissement.csv", ET_CSV, {}),
                                 ("membres-temoins.csv", MEMBERS, {"pole": "Pôle Témoin Vie Privée"})):
            r = c.post("/api/load", files={"file": (name, text.encode(), "text/csv")}, data=data, headers=AUTH)
            assert r.status_code == 200, r.text
            reports.append(r.json())
        # a second list of the same pôle in a file named after the person it names: its source id
        # and file name are in the provenance of every tie it states (docs/exports.md#persons)
        r = c.post("/api/load", files={"file": (PERSON_FILE, INTERVIEW.encode(), "text/csv")},
                   data={"pole": "Pôle Témoin Vie Privée"}, headers=AUTH)
        assert r.status_code == 200, r.text
        store = open_store(str(db))
        analyse(store)
        app.state.service.invalidate()
        persons = [a for a in store.iter_actors(include_persons=True) if a.personal_data]
        person_ids = {a.id for a in persons}
        ties = [r for r in store.relations(touching=person_ids)]
        tied = sorted({e for r in ties for e in (r.source, r.target)} - person_ids)
        by_person: dict[str, list[str]] = {}
        for r in ties:
            p, other = (r.source, r.target) if r.source in person_ids else (r.target, r.source)
            if other not in person_ids:
                by_person.setdefault(p, []).append(other)
        actors = store.get_actors(tied)
        poles = sorted(a.id for a in store.iter_actors() if a.family == "pole")
        near_poles = sorted({r.target for r in store.relations(touching=tied) if r.target in set(poles)} |
                            {a for a in tied if a in set(poles)})
        territories = sorted({t for a in actors.values() for loc in (a.location, a.territory) if loc
                              for t in territory_rollup(loc) if not t.startswith("pays:")})
        run_id = store.runs()[-1].id
        open_unit = store.find_by_identifier("siren", SIREN_OPEN)
        member = store.find_by_name(VISIBLE_MEMBER)
        assert store.find_by_identifier("siren", SIREN_P) == [] and store.find_by_identifier("siren", SIREN_N) == []
        store.close()
        yield {"client": c, "persons": persons, "tied": tied, "by_person": by_person, "poles": poles,
               "near_poles": near_poles, "territories": territories, "run_id": run_id, "reports": reports,
               "open_unit": open_unit, "member": member}


@pytest.fixture(scope="module")
def secrets(world) -> Secrets:
    entries = []
    for a in world["persons"]:
        for n in {_plain(n) for n in (a.name, *a.aliases)}:
            entries.append((f"person {a.id}", n))
            words = n.split()
            if len(words) == 2:
                entries.append((f"person {a.id}", f"{words[1]} {words[0]}"))
        entries.append((f"person id {a.id}", a.id))
    entries += [("refused unit P", NAME_P), ("refused unit P", SIREN_P), ("refused unit N", NAME_N),
                ("refused unit N", SIREN_N), ("refused establishment", SIRET_P),
                ("sole trader", f"{EI_FIRST} {EI_NAME}"), ("sole trader", f"{EI_NAME} {EI_FIRST}"),
                ("sole trader", SIREN_EI), ("contact", CONTACT), ("contact", EMAIL), ("contact", PHONE),
                ("person named with her role", PERSON_WITH_ROLE)]
    return Secrets(entries)


def _spec_get_routes(client) -> list[str]:
    spec = client.get("/openapi.json").json()
    return sorted(p for p, ops in spec["paths"].items() if "get" in ops)


def walk_urls(world) -> dict[str, list[str]]:
    """Realistic URLs for every GET route of the OpenAPI document, by route."""
    tied, poles, near, terr = world["tied"], world["poles"], world["near_poles"], world["territories"]
    some_terr = [t for t in terr if t.startswith("region:")] + [t for t in terr if t.startswith("departement:")][:6] + \
        [t for t in terr if t.split(":")[0] not in ("departement", "region")][:4]
    pairs = [(v[0], v[1]) for v in world["by_person"].values() if len(set(v)) > 1 and v[0] != v[1]]
    searches = ["", "?family=person", "?kind=elu", "?kind=salarie", "?kind=chercheur", "?kind=personne",
                "?family=ess&size=200", "?lang=en&size=200"]
    for i, a in enumerate(world["persons"]):
        n = _plain(a.name)
        words = n.split()
        searches.append(f"?q={quote(n)}")
        if i % 4 == 0:
            searches.append(f"?q={quote(' '.join(reversed(words)))}")
        if i % 8 == 0:
            searches += [f"?q={quote(words[-1])}&size=200", f"?q={quote(n)}&family=person", f"?q={a.id}"]
    searches += [f"?q={x}" for x in (SIREN_P, SIREN_N, SIREN_EI, SIRET_P, quote(NAME_P), quote(NAME_N), EI_NAME,
                                     quote(CONTACT), quote(EMAIL), quote(PHONE))]
    searches += [f"?size=200&page={p}" for p in range(1, 6)] + [f"?territory={t}&size=200" for t in some_terr]
    fmts = list(EXPORT_FORMATS)
    scopes = ["", f"?pole={near[0]}", f"?territory={some_terr[0]}", f"?actor={tied[0]}&depth=3"]
    return {
        "/health": ["/health"],
        "/ready": ["/ready"],
        "/api/actors": ["/api/actors" + s for s in searches],
        "/api/actors/{actor_id}": [f"/api/actors/{a}" for a in tied] + [f"/api/actors/{a}?lang=en" for a in tied[:5]],
        "/api/actors/{actor_id}/neighbourhood":
            [f"/api/actors/{a}/neighbourhood" for a in tied]
            + [f"/api/actors/{a}/neighbourhood?depth=3&limit=2000" for a in tied[:2]]
            + [f"/api/actors/{a}/neighbourhood?types=represents,employs,related,governs,membership&depth=2"
               for a in tied[:6]]
            + [f"/api/actors/{a}/neighbourhood?lens=governance&as_of=2016&lang=en" for a in tied[:3]],
        "/api/poles": ["/api/poles", "/api/poles?lang=en", "/api/poles?as_of=2016"],
        "/api/poles/{pole_id}/subgraph": [f"/api/poles/{p}/subgraph?limit=2000" for p in poles],
        "/api/poles/{pole_id}/diagnostic": [f"/api/poles/{p}/diagnostic" for p in near]
                                           + [f"/api/poles/{p}/diagnostic?lang=en" for p in near[:3]],
        "/api/territories": ["/api/territories?q=Haute-Garonne", "/api/territories?q=31&lang=en",
                             f"/api/territories?q={quote(NAME_P)}&limit=50"],
        "/api/territories/{tid}/actors": [f"/api/territories/{t}/actors?size=200" for t in some_terr],
        "/api/territories/{tid}/isolated": [f"/api/territories/{t}/isolated?peripheral=true" for t in some_terr],
        "/api/territories/{tid}/diagnostic": [f"/api/territories/{t}/diagnostic" for t in some_terr],
        "/api/territories/{tid}/subgraph": [f"/api/territories/{t}/subgraph?limit=2000" for t in some_terr],
        "/api/path": [f"/api/path?source={a}&target={b}&lens=all&max_hops=10" for a, b in pairs],
        "/api/overlaps": ["/api/overlaps?limit=2000"],
        "/api/suggestions": [f"/api/suggestions?actor={a}&k=50" for a in tied[:8]]
                            + [f"/api/suggestions?pole={p}&k=50" for p in near[:4]]
                            + [f"/api/suggestions?territory={t}&k=50" for t in some_terr[:3]] + ["/api/suggestions?k=50"],
        "/api/observatory": ["/api/observatory", "/api/observatory?lang=en"],
        "/api/runs": ["/api/runs"],
        "/api/runs/{run_id}/metrics": [f"/api/runs/{world['run_id']}/metrics",
                                       f"/api/runs/{world['run_id']}/metrics?format=csv",
                                       f"/api/runs/{world['run_id']}/metrics?format=poles.csv",
                                       f"/api/runs/{world['run_id']}/metrics?format=evolution.csv"],
        "/api/export/{fmt}": [f"/api/export/{f}{s}" for f in fmts for s in scopes]
                             + ["/api/export/csv?tableur=true", "/api/export/nodes.csv?tableur=true&projection=true"],
        "/map/actor/{actor_id}": [f"/map/actor/{a}?depth=2" for a in tied[:8]],
        "/map/pole/{pole_id}": [f"/map/pole/{p}" for p in near[:5]],
        "/map/territory/{tid}": [f"/map/territory/{t}" for t in some_terr[:4]],
        "/map/path": [f"/map/path?source={a}&target={b}&lens=all&max_hops=10" for a, b in pairs[:4]],
        # not in the OpenAPI document: the explorer, its files, the API's own pages
        "explorer": ["/", "/?lang=en", "/openapi.json", "/docs",
                     *(f"/static/{p.name}" for p in sorted(STATIC_DIR.iterdir()) if p.is_file())],
    }


@pytest.fixture(scope="module")
def walked(world):
    """Every URL of :func:`walk_urls`, called without the token: ``[(route, url, status, text)]``."""
    c = world["client"]
    out = []
    for route, urls in walk_urls(world).items():
        for url in urls:
            r = c.get(url)
            out.append((route, url, r.status_code, decode(r.content, r.headers.get("content-type", ""))))
    return out


# ---------------------------------------------------------------------------------------------
# the proof

def test_the_reference_data_has_persons_tied_to_organisations(world):
    assert len(world["persons"]) > 100 and all(a.family == "person" for a in world["persons"])
    assert len(world["tied"]) > 50 and len(world["by_person"]) > 100
    assert world["open_unit"] and world["member"]  # the controls were loaded


def test_the_walk_reaches_every_get_route_with_a_200(world, walked):
    routes = _spec_get_routes(world["client"])
    assert set(walk_urls(world)) - {"explorer"} == set(routes), "a GET route is not walked"
    ok = Counter(route for route, _, status, _ in walked if status == 200)
    assert all(ok[r] >= 1 for r in routes), [r for r in routes if not ok[r]]
    bad = [(url, status) for _, url, status, _ in walked if status >= 500 or status not in (200, 404)]
    assert not bad, bad[:5]
    assert len(walked) > 500


def test_no_person_refused_unit_or_contact_appears_in_any_public_response(walked, secrets):
    leaks = [(url, secrets.found(text)[:3]) for _, url, _, text in walked if secrets.found(text)]
    assert not leaks, leaks[:5]


def _file_forms_of(name: str) -> re.Pattern:
    """The name as a file or an id writes it, folded: « ondine-vermorel », « ondine_vermorel »…"""
    first, last = fold(name).split()
    return re.compile(rf"{first}[-_. +]?{last}|{last}[-_. +]?{first}")


def test_no_export_names_the_person_a_source_file_is_named_after(walked):
    """A source named after a person (« entretien-Ondine-Vermorel.csv ») was written as it was
    in the provenance of every edge of every export format; its name is now masked there (and in
    the run's lines and notes), as in the free text."""
    forms = _file_forms_of(PERSON_WITH_ROLE)
    exports = [(url, text) for route, url, status, text in walked if route == "/api/export/{fmt}" and status == 200]
    assert exports and any("[personne " in text for _, text in exports)
    leaks = [(url, forms.search(text).group()) for url, text in exports if forms.search(text)]
    assert not leaks, leaks[:5]


def test_the_controls_are_served(walked, world):
    """What may be shown is shown: the diffusible SIRENE unit, the member whose contact was
    left out (so the walk looks where the refused ones would be)."""
    everything = "\n".join(text for _, _, _, text in walked)
    assert fold("TENNIS ROQUES OLYMPIC CLUB") in everything and SIREN_OPEN in everything
    assert fold(VISIBLE_MEMBER) in everything


def test_the_detector_finds_persons_when_the_token_asks_for_them(world, secrets):
    """The same decoding and matching find the persons in every format once an authorised caller
    asks for them: the walk can fail."""
    c, tied = world["client"], world["tied"]
    person_first = next(p for p, v in world["by_person"].items() if v)
    actor = world["by_person"][person_first][0]
    urls = [f"/api/actors/{actor}?include_persons=true", f"/api/actors/{actor}/neighbourhood?include_persons=true",
            "/api/actors?family=person&include_persons=true",
            *(f"/api/export/{f}?actor={actor}&include_persons=true" for f in EXPORT_FORMATS)]
    for url in urls:
        r = c.get(url, headers=AUTH)
        assert r.status_code == 200, (url, r.text[:200])
        found = secrets.found(decode(r.content, r.headers["content-type"]))
        assert any(w.startswith("person") for w in found), url
    # the file named after a person, in the provenance of the edges
    forms = _file_forms_of(PERSON_WITH_ROLE)
    for fmt in ("csv", "json", "gexf", "graphml", "kumu.xlsx", "ftm.jsonl"):
        r = c.get(f"/api/export/{fmt}?include_persons=true", headers=AUTH)
        assert forms.search(decode(r.content, r.headers["content-type"])), fmt
    # maps never draw persons, not even for an authorised caller (who may read their names in
    # the quotes of the sources): no person's id in the page (docs/privacy.md)
    r = c.get(f"/map/actor/{actor}?depth=2&include_persons=true", headers=AUTH)
    assert r.status_code == 200
    assert not [w for w in secrets.found(decode(r.content, "text/html")) if w.startswith("person id")]
    assert len(tied) > 0


def test_persons_are_indistinguishable_from_unknown_ids(world):
    c = world["client"]
    person = sorted(world["by_person"])[0]
    other = world["by_person"][person][0]
    unknown = "inconnu-" + "0" * (len(person) - len("inconnu-"))
    templates = ["/api/actors/{}", "/api/actors/{}/neighbourhood?depth=2", "/map/actor/{}",
                 "/api/export/json?actor={}", "/api/export/kumu.xlsx?actor={}", "/api/suggestions?actor={}",
                 "/api/path?source={}&target=" + other, "/api/path?source=" + other + "&target={}",
                 "/map/path?source={}&target=" + other, "/api/poles/{}/subgraph", "/api/poles/{}/diagnostic",
                 "/map/pole/{}", "/api/export/csv?pole={}", "/api/runs/{}/metrics",
                 "/api/actors/{}?lang=en"]
    for t in templates:
        a, b = c.get(t.format(person)), c.get(t.format(unknown))
        assert a.status_code == b.status_code and a.status_code in (400, 404), (t, a.status_code, b.status_code)
        assert a.content.replace(person.encode(), b"X") == b.content.replace(unknown.encode(), b"X"), t
    # and a person's name searched for is as absent as a name nobody has
    name = _plain(world["persons"][0].name)
    assert c.get(f"/api/actors?q={quote(name)}").json() == c.get("/api/actors?q=zzzz%20qqqq%20wwww").json()


def test_sirene_units_that_refused_diffusion_never_reach_the_store_nor_the_load_report(world, secrets):
    ul, et, members = world["reports"]
    assert (ul["format"], ul["rows_read"], ul["loaded"], ul["rejected"]) == ("sirene", 4, 1, 3)
    assert (et["format"], et["rows_read"], et["rejected"]) == ("sirene", 2, 1)
    for report in (ul, et):
        text = fold(json.dumps(report, ensure_ascii=False))
        assert not [w for w in secrets.found(text) if not w.startswith("person")], secrets.found(text)
        assert "diffusion restreinte" in report["rejects_csv"]  # French by default


def test_contact_columns_never_reach_the_rejects_of_a_load(world):
    bad = "Nom;SIREN;Rôle;Contact;Email;Téléphone\n;;adhérent;Ondine Pelletier-Marsan;ondine.pm@example.org;0611223344\n"
    r = world["client"].post("/api/load", files={"file": ("rejet-contacts.csv", bad.encode(), "text/csv")},
                             data={"pole": "Pôle Témoin Vie Privée"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["rejected"] == 1
    text = r.json()["rejects_csv"]
    assert "Ondine" not in text and "ondine.pm@example.org" not in text and "0611223344" not in text


def test_the_load_report_does_not_reveal_server_paths(world):
    """Fixed in maillage/api/service.py: the rejects and the loader's errors named the upload's
    temporary folder on the server."""
    with_rejects = [r for r in world["reports"] if r.get("rejects_csv")]
    assert with_rejects
    for report in with_rejects:
        assert "/tmp" not in report["rejects_csv"] and "maillage-load-" not in report["rejects_csv"]
        first = next(csv.DictReader(io.StringIO(report["rejects_csv"]), delimiter=";"))
        assert first["fichier"] == report["file"]
    no_pole = "Nom;Rôle\nRésam;adhérent\n"  # membership columns without a pôle: refused by the loader
    r = world["client"].post("/api/load", files={"file": ("sans-pole.csv", no_pole.encode(), "text/csv")}, headers=AUTH)
    assert r.status_code == 400 and "sans-pole.csv" in r.json()["detail"], r.text
    assert "/tmp" not in r.json()["detail"] and "maillage-load-" not in r.json()["detail"]


# ---------------------------------------------------------------------------------------------
# spreadsheet cells

#: Names are stripped when loaded, so a tab or a carriage return cannot start one (safe_text
#: prefixes those too: maillage/api/exports.py).
FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(1)", "=1+1 Coop", "-@+= Mélange"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def formula_api(tmp_path_factory):
    d = tmp_path_factory.mktemp("formules")
    records = [
        {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Formules",
         "documents": {"etude": {"title": "Étude", "sha256": "cd" * 32}}},
        actor("pole", "=HYPERLINK(\"http://x.example\",\"clic\")", "pole", "ptce", location="commune:31555"),
        *(actor(f"f{i}", name, "ess", "association", location="commune:31555") for i, name in enumerate(FORMULAS)),
        *(relation("membership", f"f{i}", "pole", role="=1+1", note="@note") for i in range(len(FORMULAS))),
        relation("cooperates", "f0", "f1", form="mutualisation"),
        relation("funds", "f2", "f3", amount=500, year=2020),
    ]
    for r in records:
        if r["record"] == "relation":
            r["provenance"]["quote"] = "=WEBSERVICE(\"http://x.example\")"
    db = d / "formules.db"
    store = open_store(str(db))
    load_file(store, write_jsonl(d / "formules.jsonl", records), rejects_dir=d / "rejets")
    analyse(store)
    names = {a.name for a in store.iter_actors()}
    pole = next(a.id for a in store.iter_actors() if a.family == "pole")
    store.close()
    assert set(FORMULAS) <= names
    with TestClient(create_app(str(db))) as c:
        yield c, pole


def _csv_cells(body: bytes, delimiter: str = ",") -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=delimiter)
            for cell in row]


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _assert_safe_cells(cells: list, where: str) -> None:
    for cell in cells:
        if isinstance(cell, str) and cell.startswith(_FORMULA_START):
            assert _is_number(cell), (where, cell)


def test_csv_and_xlsx_cells_never_start_a_formula(formula_api):
    c, pole = formula_api
    run = c.get("/api/runs").json()[0]["id"]
    seen_csv = 0
    for url in ("/api/export/csv", "/api/export/nodes.csv", f"/api/export/csv?pole={pole}",
                f"/api/runs/{run}/metrics?format=csv", "/api/export/csv?tableur=true",
                "/api/export/nodes.csv?tableur=true"):
        r = c.get(url)
        assert r.status_code == 200, url
        cells = _csv_cells(r.content, ";" if "tableur" in url else ",")
        _assert_safe_cells(cells, url)
        seen_csv += sum(cell.startswith("'") for cell in cells)
        for name in FORMULAS:
            assert "'" + name in cells, (url, name)
    assert seen_csv > 20
    r = c.get("/api/export/kumu.xlsx")
    raw = zipfile.ZipFile(io.BytesIO(r.content))
    assert not any(re.search(rb"<(\w+:)?f[ >]", raw.read(n)) for n in raw.namelist() if n.endswith(".xml"))
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    cells = [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]
    assert not [x.coordinate for x in cells if x.data_type == "f"]
    values = [x.value for x in cells]
    _assert_safe_cells(values, "kumu.xlsx")
    for name in FORMULAS:
        assert "'" + name in values, name
    assert "'=1+1" in values and "'=WEBSERVICE(\"http://x.example\")" in values
    assert 500 in values  # numbers stay numbers


def test_formats_not_opened_by_spreadsheets_keep_the_names_exactly(formula_api):
    c, _ = formula_api
    nodes = c.get("/api/export/json").json()["nodes"]
    assert set(FORMULAS) <= {n.get("name", n.get("label")) for n in nodes}
    ftm = [json.loads(x) for x in c.get("/api/export/ftm.jsonl").content.splitlines()]
    assert set(FORMULAS) <= {v for e in ftm for v in e["properties"].get("name", [])}
    for fmt in ("gexf", "graphml"):
        root = ET.fromstring(c.get(f"/api/export/{fmt}").content)
        labels = {e.get("label") for e in root.iter() if e.get("label")} | \
                 {e.text for e in root.iter() if e.tag.endswith("data") and e.text}
        assert set(FORMULAS) <= labels, fmt


# ---------------------------------------------------------------------------------------------
# persons named with their role, in a collège whose name says nothing

ROLE_IN_NAME = ("Nom;Collège;Commune\n"
                "Jeanne Dupuis (personne qualifiée);Collège C;Cahors\n"
                "M. Pierre Martin (personne qualifiée);Collège C;Cahors\n"
                "Association des Bénévoles du Lot;Collège C;Cahors\n"
                "Épicerie du Causse;Collège C;Figeac\n")


def test_persons_named_with_their_role_stay_out_of_maps_exports_search_and_reports(tmp_path):
    """« Jeanne Dupuis (personne qualifiée) » in « Collège C », no type column: she was loaded as
    an organisation of family « other », her full name on the pôle's map, the spreadsheet
    exports, the API's search and the pôle's report. She is a person now, seen nowhere public;
    « Association des Bénévoles du Lot » stays an organisation, seen everywhere."""
    from typer.testing import CliRunner

    from maillage.cli import app

    src = tmp_path / "membres-causse.csv"
    src.write_text(ROLE_IN_NAME, encoding="utf-8")
    db = tmp_path / "causse.db"
    with open_store(str(db)) as s:
        load_file(s, src, rejects_dir=tmp_path / "rejets", options={"pole": "Pôle du Causse"})
        analyse(s, diagnostics=False)
        persons = {a.name for a in s.iter_actors(include_persons=True) if a.personal_data}
        public = {a.name for a in s.iter_actors()}
        pole = next(a.id for a in s.iter_actors() if a.family == "pole")
    assert persons == {"Jeanne Dupuis", "M. Pierre Martin"}
    assert public == {"Association des Bénévoles du Lot", "Épicerie du Causse", "Pôle du Causse"}
    hidden = ("Dupuis", "Pierre Martin")

    cli, out = CliRunner(), tmp_path / "sorties"
    out.mkdir()
    for args in (["viz", "pole", pole, "-o", str(out / "carte.html")],
                 ["export", "-f", "nodes.csv", "--tableur", "-o", str(out / "acteurs.csv")],
                 ["export", "-f", "csv", "--tableur", "-o", str(out / "liens.csv")],
                 ["report", "--pole", pole, "-o", str(out / "rapport.html")]):
        r = cli.invoke(app, ["--store", str(db), *args])
        assert r.exit_code == 0, (args, r.output)
    for f in ("carte.html", "acteurs.csv", "liens.csv", "rapport.html"):
        text = html.unescape((out / f).read_bytes().decode("utf-8-sig"))
        assert "Bénévoles du Lot" in text or f == "liens.csv", f  # the control: organisations are shown
        assert not [h for h in hidden if h in text], f
    assert "Bénévoles du Lot" in html.unescape((out / "liens.csv").read_bytes().decode("utf-8-sig"))

    with TestClient(create_app(str(db))) as c:
        for q in ("Dupuis", "Pierre Martin", "personne qualifiée"):
            r = c.get("/api/actors", params={"q": q})
            assert r.status_code == 200 and not [h for h in hidden if h in r.text], (q, r.text)
        r = c.get("/api/actors", params={"q": "Bénévoles"})
        assert "Association des Bénévoles du Lot" in r.text
