"""The Cypher catalogue: named queries for people who work in Neo4j (Browser, Bloom, cypher-shell).

Each query is a ``.cypher`` file in this folder. Its header comment says what it answers, its
parameters (``//   $name  type  meaning``) and what it returns; the queries only read. They run
on a Neo4j filled by maillage (:class:`~maillage.graph.neo4j_store.Neo4jStore`; the graph's
labels and relationship types are described in that module). In Neo4j Browser, set the
parameters with ``:param name => value`` and paste the file; from Python::

    from maillage.graph import open_store
    from maillage.queries import run
    rows = run(open_store("bolt://127.0.0.1:7687"), "co_funding", min_shared=2, year=None)

or ``python -m maillage.queries co_funding --param min_shared=2 --store bolt://127.0.0.1:7687``.

Every query is exercised against a live Neo4j loaded with the reference dataset by
``tests/neo4j_live/test_cypher_catalogue.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

_PARAM_LINE = re.compile(r"^//\s+\$(\w+)\s+(\S+)\s+(.*)$")
_PARAM_USE = re.compile(r"\$(\w+)")


@dataclass(frozen=True)
class Query:
    """One query of the catalogue: ``params`` maps each parameter to ``(type, meaning)``."""

    name: str
    title: str
    text: str
    params: dict[str, tuple[str, str]] = field(default_factory=dict)

    def used(self) -> set[str]:
        """The parameters the Cypher text uses (outside comments)."""
        body = "\n".join(line for line in self.text.splitlines() if not line.lstrip().startswith("//"))
        return set(_PARAM_USE.findall(body))


def _parse(name: str, text: str) -> Query:
    lines = text.splitlines()
    if not lines or not lines[0].startswith("//"):
        raise ValueError(f"{name}.cypher: the first line must be a comment saying what the query answers")
    params: dict[str, tuple[str, str]] = {}
    title: list[str] = []
    section = "title"
    for line in lines:
        if not line.startswith("//"):
            break
        body = line[2:].strip()
        if body.startswith(("Parameters:", "Returns:")):
            section = body.split(":")[0]
        elif section == "title":
            title.append(body)
        m = _PARAM_LINE.match(line)
        if m and section == "Parameters":
            params[m.group(1)] = (m.group(2), m.group(3).strip())
    return Query(name=name, title=" ".join(title), text=text, params=params)


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
    for p, (ptype, _) in q.params.items():
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
    default, and unless ``include_persons`` is true the persons' names left in the text
    of the rows (a quote: « Didier Cognon, directeur de… ») are masked « [personne] », with
    the masker the API uses (:func:`maillage.analytics.run.person_masker`)."""
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
        raise ValueError(f"query {name}: parameters {sorted(missing)} are required "
                         f"({'; '.join(f'${p}: {q.params[p][1]}' for p in sorted(missing) if p in q.params)})")
    if not hasattr(store, "run_cypher"):
        raise TypeError(f"the Cypher catalogue needs a Neo4j store, not {type(store).__name__}")
    rows = store.run_cypher(q.text, **values)
    if values.get("include_persons") or not rows:
        return rows
    from maillage.analytics.run import person_masker, person_names

    names = person_names(store)
    if not names:
        return rows
    mask = person_masker(names)
    return [{k: v if _NOT_TEXT.search(k) else _masked(v, mask) for k, v in row.items()} for row in rows]


__all__ = ["Query", "catalogue", "defaults", "run"]
