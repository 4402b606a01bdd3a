"""The Cypher catalogue: named queries for people who work in Neo4j (Browser, Bloom, cypher-shell).

Each query is a ``.cypher`` file in this folder; the queries only read. Its header comment, in
French then in English (``en:``), says what it answers, its parameters (``//   $name  type
meaning``), what it returns, and the ``:param`` lines that set its defaults in Neo4j Browser
(an id of the reference data as an example where a parameter has no default). They run on a
Neo4j filled by maillage (:class:`~maillage.graph.neo4j_store.Neo4jStore`; the graph's labels
and relationship types are described in that module). In Neo4j Browser, run those ``:param``
lines and paste the file; from Python::

    from maillage.graph import open_store
    from maillage.queries import run
    rows = run(open_store("bolt://127.0.0.1:7687"), "co_funding", min_shared=2, year=None)

or ``python -m maillage.queries co_funding --param min_shared=2 --store bolt://127.0.0.1:7687``
(``python -m maillage.queries`` lists the catalogue, in French unless ``--lang en``).

Every query is exercised against a live Neo4j loaded with the reference dataset by
``tests/neo4j_live/test_cypher_catalogue.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

_PARAM_LINE = re.compile(r"^\$(\w+)\s+(\S+)\s+(.*)$")
_PARAM_USE = re.compile(r"\$(\w+)")
_BROWSER_LINE = re.compile(r"^:param (\w+) => (.+?)(\s+\(exemple / example\))?$")
#: The headers' section markers, in both languages (a header is read by French and English users).
_SECTIONS = {"Paramètres / parameters :": "params", "Renvoie / returns :": "returns",
             "Dans Neo4j Browser / in Neo4j Browser :": "browser"}
LANGS = ("fr", "en")


@dataclass(frozen=True)
class Text:
    """A text of the catalogue in French and in English: ``text("en")``; French by default."""

    fr: str
    en: str

    def __call__(self, lang: str = "fr") -> str:
        return self.en if lang == "en" else self.fr


@dataclass(frozen=True)
class Param:
    """A query's parameter: its type as the header gives it (``int``, ``string|null``,
    ``list<string>``…) and what it means."""

    type: str
    doc: Text


@dataclass(frozen=True)
class Query:
    """One query of the catalogue. ``browser`` maps each parameter to the Cypher value its
    header's « Dans Neo4j Browser » lines give it (``:param year => null``); ``examples``: those
    of them that are examples (an id of the reference data), not defaults."""

    name: str
    title: Text
    text: str
    params: dict[str, Param] = field(default_factory=dict)
    returns: Text = Text("", "")
    browser: dict[str, str] = field(default_factory=dict)
    examples: frozenset[str] = frozenset()

    def used(self) -> set[str]:
        """The parameters the Cypher text uses (outside comments)."""
        body = "\n".join(line for line in self.text.splitlines() if not line.lstrip().startswith("//"))
        return set(_PARAM_USE.findall(body))


def _parse(name: str, text: str) -> Query:
    """Read a ``.cypher`` file's header: its title (French, then ``en:`` English), the
    « Paramètres / parameters » (``$name  type  French meaning``, then ``en:`` English), the
    « Renvoie / returns » and the « Dans Neo4j Browser » lines (``:param name => value``);
    a line that is none of these continues the text above it."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith("//"):
        raise ValueError(f"{name}.cypher: the first line must be a comment saying what the query answers")
    texts: dict[tuple, dict[str, list[str]]] = {("title",): {"fr": [], "en": []}}
    current, lang = ("title",), "fr"
    params: dict[str, str] = {}
    browser: dict[str, str] = {}
    examples = set()
    section = "title"
    for line in lines:
        if not line.startswith("//"):
            break
        body = line[2:].strip()
        marker = next((m for m in _SECTIONS if body.startswith(m)), None)
        if marker:
            section, body, lang = _SECTIONS[marker], body[len(marker):].strip(), "fr"
            current = ("returns",) if section == "returns" else None
            if current:
                texts[current] = {"fr": [], "en": []}
        if section == "browser":
            if body:
                m = _BROWSER_LINE.match(body)
                if m is None:
                    raise ValueError(f"{name}.cypher: « {body} »: expected a Neo4j Browser line "
                                     "« :param name => value », with « (exemple / example) » after an example")
                browser[m.group(1)] = m.group(2)
                if m.group(3):
                    examples.add(m.group(1))
            continue
        if section == "params" and (m := _PARAM_LINE.match(body)):
            params[m.group(1)] = m.group(2)
            current, lang, body = ("param", m.group(1)), "fr", m.group(3)
            texts[current] = {"fr": [], "en": []}
        if body.startswith("en:"):
            lang, body = "en", body[3:].strip()
        if current and body:
            texts[current][lang].append(body)

    def joined(key: tuple) -> Text:
        parts = texts.get(key, {"fr": [], "en": []})
        return Text(" ".join(parts["fr"]), " ".join(parts["en"]))

    return Query(name=name, title=joined(("title",)), text=text,
                 params={p: Param(ptype, joined(("param", p))) for p, ptype in params.items()},
                 returns=joined(("returns",)), browser=browser, examples=frozenset(examples))


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Query]:
    """Every query of the catalogue, by name (the file name without ``.cypher``)."""
    out = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            name = entry.name.removesuffix(".cypher")
            out[name] = _parse(name, entry.read_text(encoding="utf-8"))
    return out


def defaults(name: str) -> dict[str, Any]:
    """Values for parameters a caller may leave out: ``include_persons`` and the other
    ``include_…`` false, ``year`` and optional filters null, ``types`` of :file:`isolated_actors`
    the vocabulary's cooperation lens."""
    from maillage.graph.neo4j_store import TYPES
    from maillage.graph.vocabulary import vocabulary

    q = catalogue()[name]
    out: dict[str, Any] = {}
    for p, param in q.params.items():
        ptype = param.type
        if p.startswith("include_"):
            out[p] = False
        elif p == "types" and "|null" not in ptype:
            out[p] = [TYPES[t] for t in vocabulary().types_in_lens("cooperation")]
        elif p == "min_shared":
            out[p] = 1
        elif p == "depth":
            out[p] = 1
        elif ptype.endswith("|null"):
            out[p] = None
    return out


#: Result columns that hold ids, hashes or dates, never free text: not masked.
#: A source's id and file name are masked like text: a file may be named after a person
#: (« CR Jeanne Dupont.docx »); masking one that names nobody changes nothing.
_NOT_TEXT = re.compile(r"(?:^|_)ids?$|^(?:source_sha256|loaded_at|type|via|ties|family|kind|location)$")


#: What the .cypher files leave null unless ``$include_persons``: the sources' text, which may
#: name a person (a quote « Jeanne Dupont, directrice de… », a file « CR Jeanne Dupont.docx »),
#: so that a query pasted in Neo4j Browser shows none of it by default. :func:`run` reads it
#: here, by the statement's id and its two ends, then masks the persons' names in it.
SOURCE_TEXT = ("stated_by", "source_uri", "locator", "document", "quote")
_SOURCE_TEXT_QUERY = """
UNWIND $keys AS k
MATCH (:Actor {id: k.a})-[r]-(:Actor {id: k.b})
WHERE r.id = k.id
OPTIONAL MATCH (s:Source {id: r.source})
RETURN DISTINCT r.id AS statement_id, r.source AS stated_by, s.uri AS source_uri, r.locator AS locator,
       r.document AS document, r.quote AS quote
"""
#: A statement's two ends, as the queries that return its text name them.
_ENDS = (("from_id", "to_id"), ("source_id", "target_id"))


def _with_source_text(store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with the sources' text their query left null (:data:`SOURCE_TEXT`), unmasked."""
    hidden = [c for c in SOURCE_TEXT if c in rows[0]]
    ends = next((e for e in _ENDS if set(e) <= rows[0].keys()), None)
    if not hidden or "statement_id" not in rows[0] or ends is None:
        return rows
    keys = list({r["statement_id"]: {"id": r["statement_id"], "a": r[ends[0]], "b": r[ends[1]]}
                 for r in rows}.values())
    found = {t["statement_id"]: t for t in store.run_cypher(_SOURCE_TEXT_QUERY, keys=keys)}
    return [{**row, **{c: found.get(row["statement_id"], {}).get(c) for c in hidden}} for row in rows]


def _masked(value: Any, mask) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [_masked(v, mask) for v in value]
    return value


def run(store, name: str, **params: Any) -> list[dict[str, Any]]:
    """Run the catalogue query ``name`` on a Neo4j store; returns its rows as dicts.
    Parameters left out take :func:`defaults`; a missing or unknown one is an error naming it.

    Natural persons are personal data (``docs/privacy.md``): every query leaves them out by
    default. Unless ``include_persons`` is true, the queries' text leaves out the sources' text
    (:data:`SOURCE_TEXT`: quotes, source ids, file names, locators), so that Neo4j Browser shows
    none of it; run() reads it apart and gives it, like the rest of the rows' text, with the
    persons' names masked « [personne 1] » (a quote « Didier Cognon, directeur de… » comes out
    « [personne 1], directeur de… », each person numbered as in the API's views), by the masker the API uses
    (:func:`maillage.analytics.run.person_masker`)."""
    queries = catalogue()
    if name not in queries:
        raise KeyError(f"no query {name!r} in the catalogue; expected one of {sorted(queries)}")
    q = queries[name]
    unknown = set(params) - set(q.params)
    if unknown:
        raise ValueError(f"query {name}: unknown parameters {sorted(unknown)}; it takes {sorted(q.params)}")
    values = {**defaults(name), **params}
    missing = q.used() - set(values)
    if missing:
        said = "; ".join(f"${p}: {q.params[p].doc('en')}" for p in sorted(missing) if p in q.params)
        raise ValueError(f"query {name}: parameters {sorted(missing)} are required ({said})")
    if not hasattr(store, "run_cypher"):
        raise TypeError(f"the Cypher catalogue needs a Neo4j store, not {type(store).__name__}")
    rows = store.run_cypher(q.text, **values)
    if values.get("include_persons") or not rows:
        return rows
    rows = _with_source_text(store, rows)
    from maillage.analytics.run import person_groups, person_masker

    names = person_groups(store)
    if not names:
        return rows
    mask = person_masker(names)
    return [{k: v if _NOT_TEXT.search(k) else _masked(v, mask) for k, v in row.items()} for row in rows]


__all__ = ["LANGS", "SOURCE_TEXT", "Param", "Query", "Text", "catalogue", "defaults", "run"]
