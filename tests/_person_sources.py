"""A store whose sources are named after a person, for the privacy tests of the exports
(tests/test_export_source_names.py) and of the API's views (tests/test_api_source_names.py).

Didier Cognon is an actor flagged as a person (a salarié of Les Jardins du Lauragais). His name is
also in the file of the first source (« entretien-Didier-Cognon.jsonl »), in the document id of its
relations and in that document's title, in the id of a second source written surname first
(« cr_cognon_didier_2019 »), and in the file of a third source loaded after the analysis run, so
that the run's notes name it (« notes-didier-cognon.jsonl »).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from maillage.analytics.run import analyse
from maillage.graph import open_store
from maillage.loaders import load_file

from _jsonl import actor, relation, write_jsonl

PERSON = "Didier Cognon"
FILE = "entretien-Didier-Cognon.jsonl"        # a file named after the person
DOC = "entretien-Didier-Cognon"               # a document id written as the file
SOURCE_ID = "cr_cognon_didier_2019"           # a source id derived from the name, surname first
LATER = "notes-didier-cognon.jsonl"           # loaded after the run: named by the run's notes


#: Two organisations an interview's person works with (:func:`interview`).
ORGS = [actor("jardins", "Les Jardins du Lauragais", "ess", "association", location="commune:31555"),
        actor("coop", "Coopérative Terres Communes", "ess", "scop", location="commune:31555")]


def interview(folder: Path, name: str, key: str, person: str) -> Path:
    """A source file ``name`` (named after ``person``, as interviews are) stating :data:`ORGS`, the
    person (key ``key``) employed by the first, and a partnership between them: for the tests of the
    persons' numbers (tests/test_person_numbers.py and its Neo4j twin)."""
    header = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Entretien"}
    return write_jsonl(folder / name, [header, *ORGS, actor(key, person, "person", "salarie"),
                                       relation("employs", "jardins", key), relation("partner", "jardins", "coop")])


def _with_doc(rec: dict) -> dict:
    return {**rec, "provenance": {**rec["provenance"], "document": DOC}}


def build_store(folder: Path) -> Path:
    """The store (embedded, real SQLite) in ``folder``, loaded through the loaders and analysed
    between the second and the third source; returns its path."""
    header = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Entretiens",
              "documents": {DOC: {"title": f"Entretien avec {PERSON}, 2019"}}}
    orgs = [actor("jardins", "Les Jardins du Lauragais", "ess", "association", location="commune:31555"),
            actor("region", "Région Occitanie", "collectivite", "region", location="region:76"),
            actor("coop", "Coopérative Terres Communes", "ess", "scop", location="commune:31555"),
            actor("pole", "Pôle Lauragais Solidaire", "pole", location="commune:31555")]
    first = [header, *orgs, actor("didier", PERSON, "person", "salarie"),
             _with_doc(relation("funds", "region", "jardins", amount=5000.0, year=2019)),
             _with_doc(relation("partner", "jardins", "coop", role="voisins")),
             _with_doc(relation("membership", "jardins", "pole")),
             _with_doc(relation("membership", "coop", "pole")),
             _with_doc(relation("employs", "jardins", "didier"))]
    second = [*orgs, relation("carries", "coop", "pole"), relation("partner", "region", "coop")]
    third = [*orgs, relation("cooperates", "jardins", "region")]
    path = folder / "store.db"
    with open_store(str(path)) as s:
        load_file(s, write_jsonl(folder / FILE, first))
        load_file(s, write_jsonl(folder / "cr.jsonl", second), source_id=SOURCE_ID)
        analyse(s)
        load_file(s, write_jsonl(folder / LATER, third))  # after the run: its notes name this source
    return path


def fold(text: str) -> str:
    """``text`` without accents, case-folded."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def traces(text: str) -> list[str]:
    """Where the person's name (either part, any case, any separator) is in ``text``."""
    return re.findall(r".{0,30}(?:cognon|didier).{0,30}", fold(text))
