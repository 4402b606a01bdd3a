"""What every loader returns, and how rows that cannot be loaded are reported.

A loader *parses* one file into actor and relation statements (pydantic records checked
against the vocabulary) and **rejects**: rows it could not turn into a statement, each with
the row, the column, the offending value and what was expected. Nothing is dropped
silently: for every file, ``rows_read == loaded + merged + rejected``, counted in *rows*:

- a row is **rejected** when it has a fatal :class:`Reject` and none of its statements was kept;
- **loaded** when at least one of its statements is new (an actor nobody described before, a
  relation not already stated);
- **merged** otherwise: everything it says was already known (an actor another source or an
  earlier row describes, a duplicated relation), or the loader found it to repeat an earlier
  row exactly (:attr:`Parsed.merged_rows`).

A non-fatal reject (``fatal=False``) is a *warning*: the row is kept, but a value was dropped
or flagged (a SIRET damaged by a spreadsheet, an unknown date format in an optional column).
Warnings go in the same rejects file, with ``level`` = ``warning`` (« avertissement »: the file
is written in French by default, :func:`write_rejects`).

Tabular loaders state each actor once per file (its first row) and later rows refer to its
``key``: actor keys are unique within a file.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from maillage.graph.model import Actor, Relation, Source


class LoadError(ValueError):
    """A file cannot be loaded at all (unknown format, unreadable, wrong header)."""


#: The longest line a JSON-lines loader reads (16 MiB, as ``csv.field_size_limit`` in
#: :mod:`.tabular`): a longer line is rejected without being held in memory.
MAX_LINE_BYTES = 1 << 24


def read_lines(f, limit: int = MAX_LINE_BYTES):
    """``(line number, line)`` for each line of a binary file; a line longer than ``limit`` bytes
    comes as ``None`` and is skipped in pieces, so that memory stays bounded by ``limit``.

    >>> import io
    >>> list(read_lines(io.BytesIO(b"a\\n" + b"b" * 10 + b"\\nc"), limit=4))
    [(1, b'a\\n'), (2, None), (3, b'c')]
    """
    number = 0
    while True:
        line = f.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not (len(line) == limit + 1 and line.endswith(b"\n")):
            while line and not line.endswith(b"\n"):
                line = f.readline(1 << 20)
            yield number, None
        else:
            yield number, line


def brief(value: Any, n: int = 80) -> str:
    """A short text for a value in a reject, safe on any JSON value (``str()`` of a list nested
    1,000 deep raises RecursionError).

    >>> brief([[[1]]])
    '[[[1]]]'
    """
    if isinstance(value, str):
        return value[:n]
    import orjson

    try:
        return orjson.dumps(value, default=str).decode("utf-8", "replace")[:n]
    except (TypeError, orjson.JSONEncodeError):
        return f"<a {type(value).__name__} nested too deep to show>"


def json_error(data: bytes, err: Exception) -> str:
    """What is wrong with JSON bytes the parser refused, in words a person can act on.

    orjson says « str is not valid UTF-8: surrogates not allowed » at column 1 for *any* byte
    that is not UTF-8 — a file saved as Windows-1252 (« caf\\xe9 ») included. JSON is UTF-8
    (RFC 8259 §8.1), so such a byte is named, where it is, with what it reads as in
    Windows-1252, the usual culprit (the line is left out for one line of JSON lines, whose row
    the reject gives); any other error is the parser's own.

    >>> json_error(b'{"name": "caf\\xe9"}\\n', ValueError("str is not valid UTF-8: surrogates not allowed"))
    "not UTF-8: byte 0xE9 at column 14 ('é' in Windows-1252); JSON must be saved as UTF-8"
    >>> json_error(b'{\\n"name": "\\x81"}', ValueError("str is not valid UTF-8: surrogates not allowed"))
    'not UTF-8: byte 0x81 at line 2, column 10; JSON must be saved as UTF-8'
    >>> json_error(b'{"a": ', ValueError("unexpected end of data: line 1 column 7 (char 6)"))
    'unexpected end of data: line 1 column 7 (char 6)'
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = data[e.start:e.start + 1]
        line = data.count(b"\n", 0, e.start) + 1
        column = len(data[data.rfind(b"\n", 0, e.start) + 1:e.start].decode("utf-8")) + 1  # characters, not bytes
        where = f"line {line}, column {column}" if b"\n" in data.rstrip(b"\r\n") else f"column {column}"
        try:
            as_cp1252 = f" ({bad.decode('cp1252')!r} in Windows-1252)"
        except UnicodeDecodeError:
            as_cp1252 = ""
        return (f"not UTF-8: byte 0x{bad[0]:02X} at {where}{as_cp1252}; "
                "JSON must be saved as UTF-8")
    return str(err)


class Placeholder(str):
    """What the rejects file's *original* says in place of a row whose content must not be
    written there (restricted diffusion, personal data): an English sentence, written in the
    file's language like the reasons (:func:`maillage.loaders.motifs.motif`), never the row."""

    __slots__ = ()


@dataclass
class Reject:
    """Why (part of) a row was not loaded. ``original``: the row as read, for the rejects file;
    ``locator``: where a person finds the row when its number is not enough (a sheet of a
    workbook: ``"Connections!row 12"``), written in the rejects file instead of ``row``."""

    row: int
    reason: str
    column: str | None = None
    value: str | None = None
    fatal: bool = True
    original: Any = None
    locator: str | None = None


@dataclass
class Parsed:
    """A parsed file: statements with their row numbers, rejects, and the file's own metadata."""

    actors: list[tuple[int, Actor]] = field(default_factory=list)
    relations: list[tuple[int, Relation]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    rows_read: int = 0
    merged_rows: set[int] = field(default_factory=set)
    originals: dict[int, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    title: str | None = None
    #: For a loader that keeps only its problem rows' originals (a large table's rows are not held
    #: after parsing): ``reread(rows) -> {row: original}`` reads the file again for the rows found
    #: to have a problem after parsing (resolution, the checks every format shares). It must
    #: not hold the parsed table, only what reading it again needs.
    reread: Callable[[set[int]], dict[int, Any]] | None = None
    #: For a loader that numbers the rows of several sheets as one (``k × offset + row``): the
    #: place a row number stands for (« Adhérents!row 5 »), given to the rejects found after
    #: parsing (the loader gives its own); None: the row number is the place.
    locate: Callable[[int], str] | None = None
    #: For a file holding several lists of one set of actors, each of its own time (a member
    #: list's sheet per year): actor key → the lists it is on. Two keys on no common list may be one
    #: actor renamed between two years; two keys on one list are two actors (the entity
    #: resolution's rule, :class:`~maillage.loaders.resolution.Resolver`). Empty: one list.
    lists: dict[str, frozenset[str]] = field(default_factory=dict)
    #: The source's keys are ids it gave its entities to tell them apart (FollowTheMoney: two ids
    #: are two entities, the fragments of one share its id): two of its keys with the same name
    #: are only proposed for a merge, not merged (a repeated row of a member list is one member).
    distinct_keys: bool = False


@dataclass
class Resolved:
    """A load once its statements are resolved, before anything is written: what a loader's
    ``notes_after_resolution`` reads. ``store`` is as it was before this load."""

    store: Any
    source: Source  # this load's source: its id, and ``meta`` as the parse left it (years, pôle names…)
    file: str  # the file as a command that loads it again names it
    name: str  # the file's name in its source id
    loaded_before: bool  # the source was in the store: this load replaces it
    options: dict[str, Any]
    statements: list[Any]  # :class:`~maillage.loaders.resolution.ResolvedStatement`
    relations: list[Any]  # :class:`~maillage.graph.store.ResolvedRelation`
    proposals: list[Any]
    policy: Any  # :class:`~maillage.loaders.resolution.ResolutionPolicy` or None
    kept: dict[str, str]  # statement key → the earlier actor id it kept (a member renamed in its list)


class Loader(Protocol):
    """A format; every loader subclasses this class.

    ``options``: the names of the settings the loader takes, declared here once per format —
    given on the command line as ``--pole``, ``--year``, ``--mapping`` (options ``pole``,
    ``year``, ``mapping``) or ``--option key=value``, and by the API's upload. Default: none,
    what every format takes (``--format``, ``--source-id``, ``--report``… are the command's
    own). :func:`maillage.loaders.load_file` refuses, before the file is parsed, an option its
    format does not take (:func:`check_options`), and ``maillage load`` every option some file
    of the command does not take, before any is loaded (:func:`maillage.loaders.formats_taking`).

    A loader whose rows depend on what the store already holds sets ``reads_store = True``: its
    ``parse`` is then also given ``store=``, the store the file is loaded into, to read (never to
    write: the statements it returns are written with the rest, in one transaction). SIRENE
    establishment rows are read only for units other sources describe (:mod:`.formats.sirene`).

    A loader whose load has more to say once its statements are resolved (what they are beside
    what the store holds: a member list's members gone since its last load, a subsidy file's
    grants another file already states) has ``notes_after_resolution(done: Resolved) ->
    (first, last)``: notes said before and after those of its parse."""

    name: str
    description: str
    priority: int
    options: frozenset[str] = frozenset()

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def parse(self, path: Path, source: Source, options: dict[str, Any]) -> Parsed: ...


def option_names(options: frozenset[str] | set[str], field: str = "FIELD") -> list[str]:
    """A format's options as a message lists them: the header of each field's column
    (``column.name``, ``column.commune``…) as one, ``column.`` + ``field`` (the fields are on the
    format's page).

    >>> option_names(frozenset({"sheet", "column.name", "column.commune", "pole"}))
    ['column.FIELD', 'pole', 'sheet']
    """
    return sorted({f"column.{field}" if o.startswith("column.") else o for o in options})


def check_options(loader: Loader, options: dict[str, Any]) -> None:
    """Refuse options a loader does not take (:attr:`Loader.options`), naming the ones it does."""
    unknown = set(options) - loader.options
    if unknown:
        raise LoadError(f"format {loader.name!r} does not take option(s) {', '.join(sorted(unknown))}; "
                        f"it takes: {', '.join(option_names(loader.options)) or 'none'}")


def rejects_from_validation(row: int, err: ValidationError, data: dict[str, Any] | None = None) -> list[Reject]:
    """One reject per pydantic error, naming the column (field path) and the value."""
    out = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or None
        value = e.get("input")
        if isinstance(value, dict | list):
            value = None
        msg = e["msg"].removeprefix("Value error, ")
        out.append(Reject(row=row, column=loc, value=None if value is None else str(value)[:200], reason=msg))
    return out


#: The rejects file keeps at most this much of a row as read (a spreadsheet cell holds 32,767).
MAX_ORIGINAL_CHARS = 32_000

#: The rejects file's columns, in the language it is written in (French by default: it is read by
#: the people who loaded the file). ``row`` is the file's line (or a locator such as
#: ``Connections!row 12``, in French « feuille Connections, ligne 12 »: :func:`locator_label`), ``level`` says what happened to the row (:data:`REJECTS_LEVELS`).
REJECTS_COLUMNS = {
    "fr": ["fichier", "ligne", "niveau", "colonne", "valeur", "motif", "original"],
    "en": ["file", "row", "level", "column", "value", "reason", "original"],
}


def is_rejects_header(row: list[str]) -> bool:
    """Whether a CSV row is the header of a rejects file (:func:`write_rejects`), in either
    language: how a rejects file is told from data (a folder loaded again, a stale file)."""
    return row in REJECTS_COLUMNS.values()


#: ``level``: ``rejected`` (the row was not loaded) or ``warning`` (loaded without the value named).
REJECTS_LEVELS = {"fr": {"rejected": "rejet", "warning": "avertissement"},
                  "en": {"rejected": "rejected", "warning": "warning"}}
#: The rejects file is read by people in a spreadsheet: Excel in French opens a double-clicked
#: CSV with the system's list separator (``;``) and, without a byte-order mark, as Windows-1252.
REJECTS_DELIMITER = ";"
REJECTS_ENCODING = "utf-8-sig"


def locator_label(locator: str, lang: str = "fr") -> str:
    """Where a row is, as the rejects file says it: in French ``2022!row 2`` is « feuille 2022,
    ligne 2 » and ``row 15`` « ligne 15 », as the map says them
    (:func:`maillage.graph.locators.locator_text`, a document's line kept as stored); in
    English the locator as stored; anything else as given.

    >>> locator_label("2022!row 2"), locator_label("row 15"), locator_label("2022!row 2", "en"), locator_label("p. 3")
    ('feuille 2022, ligne 2', 'ligne 15', '2022!row 2', 'p. 3')
    """
    from maillage.graph.locators import locator_text

    return locator_text(locator, "fr", document_lines=False) if lang == "fr" else locator


def write_rejects(path: Path, file: str, rejects: list[Reject], rejected_rows: set[int],
                  originals: dict[int, Any] | None = None, lang: str = "fr") -> None:
    """The rejects file: CSV as a French spreadsheet opens it (UTF-8 with a byte-order mark,
    ``;``-separated: :data:`REJECTS_DELIMITER`), one line per problem, sorted by row, in ``lang``
    (French by default; column names :data:`REJECTS_COLUMNS`, levels :data:`REJECTS_LEVELS`,
    reasons translated by :func:`maillage.loaders.motifs.motif`). ``level`` is ``rejected``
    (« rejet ») when the row was not loaded, ``warning`` (« avertissement ») when it was loaded
    without the value named; ``original`` is the row as read (JSON), or a :class:`Placeholder`
    translated as the reasons are."""
    import orjson

    from .motifs import motif

    if lang not in REJECTS_COLUMNS:
        raise ValueError(f"lang must be one of {', '.join(REJECTS_COLUMNS)}, got {lang!r}")
    levels = REJECTS_LEVELS[lang]
    originals = originals or {}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=REJECTS_ENCODING) as f:
        w = csv.writer(f, delimiter=REJECTS_DELIMITER)
        w.writerow(REJECTS_COLUMNS[lang])
        for r in sorted(rejects, key=lambda r: r.row):
            original = r.original if r.original is not None else originals.get(r.row)
            if original is not None and not isinstance(original, str):
                try:
                    original = orjson.dumps(original, default=str).decode()
                except orjson.JSONEncodeError:  # nested deeper than orjson writes
                    original = brief(original)
            if isinstance(original, Placeholder):
                original = motif(original, lang)
            if isinstance(original, str) and len(original) > MAX_ORIGINAL_CHARS:
                n = f"{len(original):,}"
                original = original[:MAX_ORIGINAL_CHARS] + (f"… ({n.replace(',', ' ')} caractères)" if lang == "fr"
                                                            else f"… ({n} characters)")
            level = levels["rejected" if r.row in rejected_rows else "warning"]
            w.writerow([file, locator_label(r.locator, lang) if r.locator else r.row, level, r.column or "", r.value or "", motif(r.reason, lang),
                        original or ""])
