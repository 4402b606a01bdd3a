"""Loaders: files → validated statements with provenance → resolved → one store transaction.

>>> from maillage.graph import open_store
>>> from maillage.loaders import load_reference
>>> store = open_store(":memory:")
>>> reports = load_reference(store)
>>> store.stats()["poles"] >= 70
True

Each file is one **source** (id: ``<format>:<file name>`` unless given): loading it again
replaces what it said before and nothing else. Every data row ends up *loaded* (it states
something new: a relation, or an actor no other source or earlier row describes), *merged*
(everything it states was already known: an actor described elsewhere and no new relation, a
duplicate relation, a copy of an earlier row) or *rejected* (with a reason, in the rejects
file). A row of a second member list whose member is already known still states its membership:
loaded (``LoadReport.actors_known`` counts the actors tied to known ones).
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import math
import shlex
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from maillage.graph.erasure import ERASED_REASON
from maillage.graph.model import Source
from maillage.graph.store import ResolvedBatch, ResolvedRelation, Store
from maillage.runtime import REPORT_EVERY, gc_paused, reporting

from .base import (REJECTS_COLUMNS, REJECTS_DELIMITER, LoadError, Loader, Parsed, Placeholder, Reject, Resolved,
                   check_options, is_rejects_header, write_rejects)
from .cells import CellError, check_quantity
from .editions import edition_notes
from .jsonl import JsonlLoader
from .resolution import ResolutionPolicy, Resolver



#: What the rejects file says in place of a row stating a person erased at their request.
ERASED_ROW = Placeholder("(row content left out: person erased at their request)")


def _discover() -> dict[str, Loader]:
    """maillage-jsonl, then every ``maillage.loaders.formats.<module>.LOADER``, by priority."""
    import importlib
    import pkgutil

    from . import formats

    found: list[Loader] = [JsonlLoader()]
    for mod in sorted(pkgutil.iter_modules(formats.__path__), key=lambda m: m.name):
        loader = getattr(importlib.import_module(f"{formats.__name__}.{mod.name}"), "LOADER", None)
        if loader is not None:
            found.append(loader)
    found.sort(key=lambda x: (x.priority, x.name))
    return {x.name: x for x in found}


LOADERS: dict[str, Loader] = _discover()


def formats_taking(option: str) -> list[str]:
    """The formats whose loader takes ``option`` (:attr:`~.base.Loader.options`), by name: what
    ``maillage load`` checks every option it is given against, for every file, before loading any.

    >>> formats_taking("pole"), formats_taking("mapping"), formats_taking("tome")
    (['members', 'places'], ['subsidies'], [])
    """
    return sorted(name for name, loader in LOADERS.items() if option in loader.options)

Progress = Callable[[str, int, int], None]


@dataclass
class LoadReport:
    """What happened to one file. ``rows_read == loaded + merged + rejected``."""

    file: str
    format: str
    source: str
    rows_read: int
    loaded: int
    merged: int
    rejected: int
    rejects_file: str | None
    actors_created: int = 0
    #: Actors of this file that other sources already describe: the entity resolution tied them
    #: to actors known before (``maillage resolve --log --source …`` lists each with its rule).
    #: Rows are counted as loaded all the same — « merged » counts rows, not actors.
    actors_known: int = 0
    proposals: int = 0
    warnings: int = 0
    #: What reading the file noticed and did about it (its encoding guessed, the header found
    #: below a title, merged cells filled, an « .xls » that was a web page…), for the person who
    #: loaded it; also in the source's metadata.
    notes: list[str] = field(default_factory=list)
    #: The earlier load of this source that this one replaced (same source id: the file loaded
    #: again): ``loaded_at`` (ISO), ``rows_read`` (None for a source loaded before it was kept),
    #: ``same_content`` (the file had not changed); None for a first load.
    replaced: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "notes": list(self.notes)}


_DIGESTS: dict[tuple, str] = {}  # (file identity, size, mtime) → its SHA-256, the last few files
_DIGESTS_LOCK = threading.Lock()


def sha256_of(path: Path, fresh: bool = False) -> str:
    """The SHA-256 of a file's bytes. ``maillage load`` and the API first look for a copy of a
    loaded file, then load it: the digest of a file unchanged since (same inode, size and
    modification time) is not read again — a million-row file is 186 MiB. ``fresh``: read it
    whatever (checking that a file did not change during a load)."""
    st = path.stat()
    key = (str(Path(path).resolve()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    with _DIGESTS_LOCK:
        if not fresh and key in _DIGESTS:
            return _DIGESTS[key]
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    digest = h.hexdigest()
    with _DIGESTS_LOCK:
        if len(_DIGESTS) >= 16:
            _DIGESTS.pop(next(iter(_DIGESTS)))
        _DIGESTS[key] = digest
    return digest


def check_input(path: Path) -> None:
    """Refuse, saying what it is, a path that is not a file to load: missing, or a folder."""
    if path.is_dir():
        raise LoadError(f"{path}: is a folder, not a file; load its files (e.g. {path / '*.csv'})")
    if not path.is_file():
        raise LoadError(f"{path}: no such file")


def _is_rejects_file(head: bytes) -> bool:
    """Whether a file starts with the header of a rejects file (:func:`.base.is_rejects_header`),
    as a folder of exports holding its own rejects does."""
    import csv

    first = (head[:4096].decode("utf-8", "replace").lstrip("\ufeff").splitlines() or [""])[0]
    try:
        return is_rejects_header(next(csv.reader([first], delimiter=REJECTS_DELIMITER), []))
    except csv.Error:  # a NUL byte, a stray quote: not a rejects file
        return False


#: First bytes of files people keep beside their lists that no loader reads, whatever their name
#: says: what each is, in the words of :func:`not_a_table`.
_IMAGES = ((b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"), (b"II*\x00", "TIFF"),
           (b"MM\x00*", "TIFF"), (b"BM", "BMP"))
#: The formats a list is best saved in, said to whoever has a file maillage does not read.
FORMATS = ".xlsx, .ods or .csv"
SAVE_AS = f"save the list as {FORMATS}"


#: Excel's lock file is 165 bytes (the user's name, twice); Word's 162: anything this small
#: named « ~$… » that is not a workbook is one.
LOCK_FILE_MAX_BYTES = 4096


def lock_file_of(path: Path, head: bytes) -> str | None:
    """The name of the workbook (or document) whose lock file ``path`` is, when it is one: the
    small hidden file « ~$liste.xlsx » Excel (or Word, LibreOffice in Microsoft's formats) leaves
    beside « liste.xlsx » while it is open. None for anything else — a real workbook named « ~$… »
    included (its bytes say a zip or an old Office file).

    >>> lock_file_of(Path("exports/~$liste.xlsx"), b"\x0bJean Dupont" + b" " * 40)
    'liste.xlsx'
    """
    if not path.name.startswith("~$") or len(path.name) <= 2 or len(head) > LOCK_FILE_MAX_BYTES:
        return None
    try:
        if path.stat().st_size > LOCK_FILE_MAX_BYTES:  # (a forced format reads only the first 4 KiB)
            return None
    except OSError:
        pass
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
        return None
    return path.name[2:]


def lock_file(path: Path) -> str | None:
    """Why ``path`` is not loaded when it is the lock file of an open workbook (:func:`lock_file_of`,
    said as :func:`not_a_table` says it); None for any other path."""
    if not path.name.startswith("~$"):
        return None
    try:
        with path.open("rb") as f:
            head = f.read(LOCK_FILE_MAX_BYTES + 1)
    except OSError:
        return None  # said when it is loaded
    return not_a_table(path, head) if lock_file_of(path, head) is not None else None


def not_a_table(path: Path, head: bytes) -> str | None:
    """Why a file is none of the formats maillage reads, when its first bytes say what it is — a
    PDF, an image, an old Word document, a zip archive, the lock file Excel leaves beside an open
    workbook — whatever its name: forcing a format cannot help, saving the list in another format
    (or loading the workbook itself) does. None for anything else.

    >>> not_a_table(Path("membres.xlsx"), b"%PDF-1.4 ...").split(";")[0]
    'membres.xlsx: a PDF: maillage does not read PDFs'
    """
    from .tabular import DOCUMENT_SUFFIXES, SPREADSHEET_SUFFIXES

    suffix = path.suffix.lower()
    if (locked := lock_file_of(path, head)) is not None:
        program = "Word" if suffix in DOCUMENT_SUFFIXES or suffix in (".doc", ".rtf") else "Excel"
        return (f"{path}: the lock file {program} leaves beside {locked!r} while it is open in it, not a list: load "
                f"{path.with_name(locked)} (after closing it in {program})")
    if head.lstrip(b"\r\n\t ").startswith(b"%PDF"):
        return f"{path}: a PDF: maillage does not read PDFs; {SAVE_AS} from the program that made it"
    kind = next((k for magic, k in _IMAGES if head.startswith(magic)), None)
    if kind is None and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "WebP"
    if kind is not None and not (kind == "BMP" and suffix in (".csv", ".txt")):  # « BM… » may start a text
        return (f"{path}: an image ({kind}): maillage does not read images (a scanned or photographed list); "
                f"type the list in a spreadsheet and save it as {FORMATS}")
    if head.startswith(b"{\\rtf"):
        return f"{path}: an RTF document, which maillage does not read; save it as .docx, or the list as {FORMATS}"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and suffix not in SPREADSHEET_SUFFIXES:  # OLE2, not an .xls
        if suffix in (".doc", ".dot") or "WordDocument".encode("utf-16-le") in head:
            return (f"{path}: a Word document in the old .doc format, which maillage does not read; save it as "
                    f".docx (« Enregistrer sous » in Word or LibreOffice), or the list as {FORMATS}")
        return f"{path}: an old-format Microsoft Office file (.doc, .ppt, .msg…), which maillage does not read; {SAVE_AS}"
    if head.startswith(b"PK\x03\x04") and suffix not in (*SPREADSHEET_SUFFIXES, *DOCUMENT_SUFFIXES) \
            and b"[Content_Types].xml" not in head[:2048] and b"mimetypeapplication" not in head[:2048]:
        return f"{path}: a zip archive: unzip it and load its files (or the folder they are in)"
    return None


#: Column names a member list's names are found under (:data:`.formats.members.FIELDS`), as
#: people write them: said when no column of a table is recognised.
NAME_COLUMNS = "nom, structure, raison sociale, dénomination, organisme, membre"


def _tables_seen(path: Path, head: bytes) -> list[tuple[str | None, list[str], int]]:
    """What detection saw of a file: ``(sheet, first filled row's cells, filled rows under it)``
    for each of the first sheets of a workbook, or for the one table of a CSV, a web page or a
    document (sheet None); the rows counted among the first 20 only. Empty: no table read."""
    from .formats.members import head_tables
    from .tabular import is_spreadsheet, sheet_names

    tables = head_tables(path, head)
    names: list[str | None] = [None] * len(tables)
    if tables and is_spreadsheet(path):
        names = list(sheet_names(path))
    out = []
    for name, rows in zip(names, tables):
        filled = [[str(c).strip() for c in r] for r in rows if any(str(c).strip() for c in r)]
        out.append((name, [c for c in filled[0] if c] if filled else [], max(len(filled) - 1, 0)))
    return out


def _columns(cols: list[str], n: int = 8) -> str:
    return ", ".join(cols[:n]) + (", …" if len(cols) > n else "")


def unrecognised(path: Path, head: bytes) -> str:
    """Why no loader recognised a file, in words that say what to do: an empty workbook; a table
    none of whose columns a format knows (the sheets looked at, their columns and the columns
    expected, and how to read it anyway); text or bytes that are no table. Only a JSON document
    — which several formats read — is told to try ``--format``."""
    seen = _tables_seen(path, head)
    if seen and seen[0][0] is not None and not any(cols for _, cols, _ in seen):
        return (f"{path}: no sheet holds any rows (sheets: {', '.join(repr(s) for s, _, _ in seen)}); "
                "nothing to load")
    if any(rows for _, _, rows in seen):
        if seen[0][0] is None:
            where = f"columns found: {_columns(seen[0][1])}"
        else:
            where = "sheets looked at: " + ", ".join(f"{s!r} ({_columns(cols)})" for s, cols, _ in seen if cols)
            if empty := [s for s, cols, _ in seen if not cols]:
                where += f"; empty sheets: {', '.join(repr(s) for s in empty)}"
        return (f"{path}: cannot tell the format of this table: no column maillage knows ({where}); a member "
                f"list needs a column of names ({NAME_COLUMNS}…), a subsidy file the SCDL columns (nomAttribuant, "
                "nomBeneficiaire, idBeneficiaire, montant…); to read it anyway, name its column of names with "
                "--format members --option column.name=COLUMN, or map a subsidy file's columns with "
                "--format subsidies --mapping FILE.yaml")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"{", b"[")):
        return (f"{path}: cannot tell the format of this file; use --format "
                f"(one of: {', '.join(sorted(LOADERS))})")
    if b"\x00" in head[:4096] or not _is_text(head):
        return (f"{path}: cannot tell the format of this file: binary content, neither a table nor a file "
                f"maillage reads; {SAVE_AS}")
    return (f"{path}: cannot tell the format of this file: text, but not a table (a row of column names, then "
            f"a row per entry); {SAVE_AS}")


def _is_text(head: bytes) -> bool:
    """Whether bytes read as text (UTF-8, else mostly printable in Windows-1252)."""
    try:
        head[:4096].decode("utf-8")
        return True
    except UnicodeDecodeError as e:
        if e.start > 4000:  # a character cut at the end
            return True
    sample = head[:4096].decode("cp1252", "replace")
    return sum(ch.isprintable() or ch in "\r\n\t" for ch in sample) > 0.95 * len(sample)


def detect_format(path: Path) -> str:
    """The format of a file, from its first bytes (``--format`` overrides)."""
    from .archives import check_spreadsheet
    from .tabular import SPREADSHEET_SUFFIXES

    try:
        with path.open("rb") as f:
            head = f.read(64 * 1024)
    except OSError as e:
        raise unreadable(path, e) from None
    if (why := not_a_table(path, head)) is not None:
        raise LoadError(why)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        check_spreadsheet(path)  # say "zip bomb" rather than "cannot tell the format"
    if not head:
        raise LoadError(f"{path}: the file is empty (0 bytes): nothing to load")
    if _is_rejects_file(head):
        raise LoadError(f"{path}: a rejects file written by `maillage load` (the rows another file could not "
                        "give), not data: correct those rows in the file they came from and load it again")
    if head.lstrip().startswith(b"{") and b'"files"' in head and b'"rows_read"' in head:
        raise LoadError(f"{path}: a load report written by `maillage load --report`, not data")
    for name, loader in LOADERS.items():
        if loader.sniff(path, head):
            return name
    raise LoadError(unrecognised(path, head))


def load_file(store: Store, path: str | Path, format: str | None = None, source_id: str | None = None,
              rejects_dir: str | Path | None = None, policy: ResolutionPolicy | None = None,
              progress: Progress | None = None, source_kind: str = "file",
              options: dict[str, Any] | None = None, lang: str = "fr", name: str | None = None,
              by_folder: bool = False) -> LoadReport:
    """Load one file into the store as one source, atomically. Returns its report.

    ``name``: the file's name in its source id (``<format>:<name>``), its uri and its rejects
    file's name; default its file name. ``maillage load`` gives files of one command that share
    a file name (``2023/membres.csv``, ``2024/membres.csv``) their path, so that one does not
    replace the other.

    ``by_folder`` (``maillage load``): the source remembers the folder it was loaded from (a
    hash of its path, :func:`folder_key`: the path, which often holds a person's name, is not
    stored), and a file whose source id is already the source of a file of the same name from
    another folder is loaded beside it under a longer name (:func:`name_beside`), said in a
    note — not over it, which would lose what the other file said. Without it (an upload, with
    no folder) a file replaces the source of its name.

    The rejects file (in ``rejects_dir``, default ``rejets/`` in the working directory: a folder a file browser shows) is written in ``lang``:
    French by default, ``"en"`` for English (:func:`~maillage.loaders.base.write_rejects`).

    ``options`` go to the format's loader (e.g. ``{"pole": "Le Périscope"}`` for a member list).
    A file that cannot be read at all raises :class:`LoadError` and leaves the store unchanged.

    The cyclic garbage collector is paused for the whole load (:func:`maillage.runtime.gc_paused`):
    parsing, resolving and writing allocate a few objects per row and no cycles, and its passes
    over the growing batch cost as much as the parsing on a large file."""
    with gc_paused(), reporting(progress):
        return _load_file(store, path, format, source_id, rejects_dir, policy, progress, source_kind, options, lang,
                          name, by_folder)


def folder_key(path: Path) -> str:
    """An opaque key of the folder a file is in: its resolved path, hashed (SHA-256, 16 hex)."""
    return hashlib.sha256(str(path.resolve().parent).encode("utf-8")).hexdigest()[:16]


def rejects_path(rejects_dir: str | Path | None, name: str) -> Path:
    """Where the rejects of the file loaded under ``name`` are written: ``<stem>.rejects.csv`` in
    ``rejects_dir`` (``rejets/`` by default)."""
    rdir = Path(rejects_dir) if rejects_dir else Path("rejets")
    return rdir / f"{Path(name).with_suffix('').as_posix().replace('/', '-')}.rejects.csv"


def name_beside(store: Store, fmt: str, path: Path, name: str) -> str:
    """The name a file is loaded under so that it replaces only its own earlier load: ``name``
    unless ``<fmt>:<name>`` is the source of a file from another folder (its ``folder`` in the
    source's meta differs); then ``name`` with the fewest parent folders of the file's path in
    front that is free or this folder's own (``pole-b/adherents.xlsx``). A source without a
    folder (loaded before sources kept one, or uploaded) is replaced, as it always was."""
    folder = folder_key(path)
    parents = path.resolve().parent.parts[1:]  # not the root
    depth = len(Path(name).parts) - 1  # a name given with folders already (twins of one command)
    for k in range(depth, len(parents) + 1):
        cand = "/".join([*parents[len(parents) - k:], path.name]) if k > depth else name
        prior = store.source(f"{fmt}:{cand}")
        if prior is None or prior.meta.get("folder") in (None, folder):
            return cand
    return name


def _load_file(store: Store, path: str | Path, format: str | None, source_id: str | None,
               rejects_dir: str | Path | None, policy: ResolutionPolicy | None, progress: Progress | None,
               source_kind: str, options: dict[str, Any] | None, lang: str, name: str | None = None,
               by_folder: bool = False) -> LoadReport:
    path = Path(path)
    name = name or path.name
    if lang not in REJECTS_COLUMNS:  # refused before the file is read, not after the work
        raise LoadError(f"lang must be one of {', '.join(REJECTS_COLUMNS)}, got {lang!r}")
    store.check_writable()  # a store this user may only read: said before the file is read
    check_input(path)
    if format is not None and format not in LOADERS:
        raise LoadError(f"{path}: unknown format {format!r}; expected one of: {', '.join(sorted(LOADERS))}")
    try:
        if format is not None:  # a PDF is no table whatever format it is given
            with path.open("rb") as f:
                if (why := not_a_table(path, f.read(4096))) is not None:
                    raise LoadError(why)
        fmt = format or detect_format(path)
        loader = LOADERS[fmt]
        try:  # an option the format does not take: refused before the file is read whole
            check_options(loader, options or {})
        except LoadError as e:
            raise LoadError(f"{path}: {e}") from None
        digest = sha256_of(path)
    except OSError as e:
        raise unreadable(path, e) from None
    beside = None
    if by_folder and source_id is None:
        chosen = name_beside(store, fmt, path, name)
        if chosen != name:
            beside, name = f"{fmt}:{name}", chosen
    sid = source_id or f"{fmt}:{name}"
    source = Source(id=sid, kind=source_kind, uri=name, sha256=digest, format=fmt,
                    loaded_at=datetime.now(timezone.utc))
    if progress:
        progress("parse", 0, 1)
    try:
        # a loader whose rows depend on what the store holds (SIRENE establishments of known units)
        # reads it here, before anything is written: the load stays one transaction
        store_arg = {"store": store} if getattr(loader, "reads_store", False) else {}
        parsed: Parsed = loader.parse(path, source, dict(options or {}), **store_arg)
    except LoadError as e:
        if str(path) in str(e):
            raise
        raise LoadError(f"{path}: {e}") from None  # an option or a mapping: still name the file
    except OSError as e:
        raise unreadable(path, e) from None
    source.title = parsed.title
    if parsed.meta:
        source.meta = {k: v for k, v in parsed.meta.items() if k not in ("title", "format")}
    prior = store.source(sid)
    if parsed.rows_read == 0 and not parsed.rejects:
        # as an empty file: nothing to load, and the store is left as it was (an earlier load of
        # this source included: a list emptied by mistake does not wipe what it said)
        what = "holds no records" if fmt in ("ftm", "popolo", "maillage-jsonl") else "has no data rows under the header"
        kept = (f" (the earlier load of source {sid!r} is kept; to remove it: maillage remove {shlex.quote(sid)})"
                if prior is not None else "")
        raise LoadError(f"{path}: the file {what}; nothing was loaded{kept}")
    source.meta["rows_read"] = parsed.rows_read  # what the next load of this source is compared with
    if by_folder:
        source.meta["folder"] = folder_key(path)
    if beside:
        source.meta["notes"] = [f"another file named {path.name!r}, from another folder, is the source {beside!r}: "
                                f"this one is loaded beside it as {sid!r}, not over it (to replace that one, give "
                                f"--source-id {shlex.quote(beside)})", *(source.meta.get("notes") or [])]
    if progress:
        progress("parse", parsed.rows_read, parsed.rows_read)

    # its relations and documents: what corroborates a person another source names (docs/resolution.md)
    resolver = Resolver(store, sid, policy, lists=parsed.lists, relations=[r for _, r in parsed.relations],
                        documents=parsed.meta.get("documents"), distinct_keys=parsed.distinct_keys)
    n_actors = len(parsed.actors)
    total = n_actors + len(parsed.relations)  # resolving: the actor statements, then the ties
    keys_seen: dict[str, int] = {}
    todo = []
    # the persons erased at their request (RGPD, art. 17; maillage.graph.erasure): their rows refused
    erased, erased_keys, erased_rows = store.erasures(), set(), set()
    for row, actor in parsed.actors:
        if actor.attributes and not all(actor.attributes.values()):
            # a blank register code states nothing (and the merge would store it as NULL, which the
            # store then cannot read back)
            actor.attributes = {k: v for k, v in actor.attributes.items() if v}
        bad = actor_problem(actor)
        if bad is not None:
            parsed.rejects.append(Reject(row, *bad))
            continue
        if erased is not None and erased.holds(actor):
            erased_keys.add(actor.key)
            erased_rows.add(row)
            continue
        if actor.key in keys_seen:
            parsed.rejects.append(Reject(row, f"actor key {actor.key!r} already used on row {keys_seen[actor.key]}",
                                         "key", actor.key))
            continue
        keys_seen[actor.key] = row
        todo.append(actor)

    def resolved(done: int) -> None:
        if progress and ((done - 1) % 2000 == 0 or done == n_actors):
            progress("resolve", done, total)

    # natural persons last (Resolver.resolve): the organisations they are tied to corroborate them
    statements, proposals = resolver.resolve(todo, resolved)
    rows_of = {actor.key: keys_seen[actor.key] for actor in todo}
    # loaded again: an actor only its earlier load described, renamed, keeps its id
    kept = resolver.keep_earlier_ids(statements, proposals) if prior is not None else {}
    key_to_actor = {st.actor.key: st.actor_id for st in statements}

    relations, seen = [], set()
    kept_relation_rows: list[int] = []
    merged_relation_rows: list[int] = []
    unknown = {}
    ends = {r.source for _, r in parsed.relations} | {r.target for _, r in parsed.relations}
    existing = store.get_actors([e for e in ends if e not in key_to_actor])
    # rows already flagged as tying an actor to itself (by the loader, or below): looked up, not
    # scanned for — a scan of every reject per self-tie took 30 s for 12,000 rows of a
    # Département funding itself
    flagged_itself = {r.row for r in parsed.rejects if "itself" in r.reason}
    for j, (row, rel) in enumerate(parsed.relations):
        if progress and j % REPORT_EVERY == 0:
            progress("resolve", n_actors + j, total)
        if erased_keys and (rel.source in erased_keys or rel.target in erased_keys):
            erased_rows.add(row)
            continue
        ids = []
        for end, col in ((rel.source, "source"), (rel.target, "target")):
            aid = key_to_actor.get(end) or (resolver.actor_now(end) if end in existing else None)
            if aid is None:
                unknown[row] = (col, end)
                break
            ids.append(aid)
        if row in unknown:
            col, end = unknown[row]
            parsed.rejects.append(Reject(row, "relation end is neither an actor of this file nor an actor "
                                              "in the store", col, end))
            continue
        bad = relation_problem(rel)
        if bad is not None:
            parsed.rejects.append(Reject(row, *bad))
            continue
        if ids[0] == ids[1] and row not in flagged_itself:
            # two rows naming one organisation (or a row naming it twice): a true statement may
            # say so (a Département managing EU funds pays itself); kept, flagged, left out of
            # projections (maillage.graph.projection)
            parsed.rejects.append(Reject(row, f"ties actor {ids[0]} to itself (both ends are the same actor): kept "
                                              "as stated, left out of analyses", "target", rel.target, fatal=False))
            flagged_itself.add(row)
        sid_ = rel.statement_id()
        if sid_ in seen:
            merged_relation_rows.append(row)
            continue
        seen.add(sid_)
        kept_relation_rows.append(row)
        relations.append(ResolvedRelation(rel, ids[0], ids[1], sid_))

    described_elsewhere = {a.id for a in store.get_actors({st.actor_id for st in statements}).values()
                           if set(a.sources) - {sid}}
    # what the format has to say of this load beside the store (loaders/base.py, Loader)
    if (notes_of := getattr(loader, "notes_after_resolution", None)) is not None:
        first, last = notes_of(Resolved(store, source, str(path) if by_folder else name, name, prior is not None,
                                        dict(options or {}), statements, relations, proposals, policy, kept))
        if first or last:
            source.meta["notes"] = [*first, *(source.meta.get("notes") or []), *last]
    # another edition of a loaded file, loaded beside it under a new name (whatever the format)
    if editions := edition_notes(store, source, name, str(path) if by_folder else name, dict(options or {}),
                                 statements, relations, said=beside):
        source.meta["notes"] = [*(source.meta.get("notes") or []), *editions]
    if erased_rows:  # nothing of such a row in the rejects file: its row number and the reason only
        parsed.rejects = [r for r in parsed.rejects if r.row not in erased_rows]
        parsed.rejects += [Reject(row, ERASED_REASON, original=ERASED_ROW) for row in sorted(erased_rows)]
    batch = ResolvedBatch(source=source, statements=statements, relations=relations, proposals=proposals,
                          joins=resolver.joins)
    # everything that can fail is done before the store is written: a load that raises has
    # written nothing (the accounting, the rejects file)
    outcome = account_rows(parsed, statements, rows_of, described_elsewhere, kept_relation_rows, merged_relation_rows)
    rejects_file = None
    rpath = rejects_path(rejects_dir, name)
    if parsed.rejects:
        _reread_originals(path, parsed, digest)
        if parsed.locate is not None:  # rejects found after parsing, on rows of a workbook's later sheets
            for r in parsed.rejects:
                r.locator = r.locator or parsed.locate(r.row)
        try:
            write_rejects(rpath, str(path), parsed.rejects, outcome["rejected"], parsed.originals, lang)
        except OSError as e:
            raise LoadError(f"{path}: cannot write the rejects file {rpath} ({e.strerror or e}); nothing was "
                            "loaded") from None
        rejects_file = str(rpath.resolve())
        source.meta["rejects_file"] = rejects_file  # what `maillage forget` names: it holds rows as read
    if progress:  # the store reports the ties it writes (maillage.runtime.report)
        progress("write", 0, len(relations))
    # the persons keep their numbers (« [personne 3] »), the new ones numbered after: kept by the
    # store in the write's own transaction (maillage.graph.numbering)
    summary = store.replace_source(batch)
    replaced = None
    if prior is not None:
        replaced = {"loaded_at": prior.loaded_at.isoformat() if prior.loaded_at else None,
                    "rows_read": prior.meta.get("rows_read"), "same_content": prior.sha256 == digest}
    if not parsed.rejects:
        _drop_stale_rejects(rpath, path)
    if progress:
        progress("write", len(relations), len(relations))
    return LoadReport(file=str(path), format=fmt, source=sid, rows_read=parsed.rows_read,
                      loaded=len(outcome["loaded"]), merged=len(outcome["merged"]),
                      rejected=len(outcome["rejected"]), rejects_file=rejects_file,
                      actors_created=summary.actors_created, actors_known=len(described_elsewhere),
                      proposals=_open_proposals(statements, proposals),
                      warnings=sum(1 for r in parsed.rejects if r.row not in outcome["rejected"]),
                      notes=[str(n) for n in source.meta.get("notes") or []], replaced=replaced)


def _open_proposals(statements, proposals) -> int:
    """The possible merges a person has to look at after this load: one per (statement, candidate),
    leaving out a candidate the statement was merged into anyway."""
    actor_of = {st.actor.key: st.actor_id for st in statements}
    return len({(p.key, p.candidate_id) for p in proposals if actor_of.get(p.key) != p.candidate_id})


MAX_NAME_CHARS = 1000


def actor_problem(actor) -> tuple[str, str, str] | None:
    """Why an actor statement cannot be loaded whatever its format: ``(reason, column, value)``,
    or None. A name (or other name) longer than :data:`MAX_NAME_CHARS` is not a name (and would
    cost entity resolution minutes); declared sizes must be finite and at least 0.

    >>> from maillage.graph.model import Actor, Provenance
    >>> a = Actor(key="k", name="x" * 2000, family="ess", provenance=Provenance(source="s"))
    >>> actor_problem(a)[0]
    'name longer than 1,000 characters: not a name'
    """
    for column, text in (("name", actor.name), *(("aliases", x) for x in actor.aliases)):
        if len(text) > MAX_NAME_CHARS:
            return f"{column[:-2] if column == 'aliases' else column} longer than {MAX_NAME_CHARS:,} characters: " \
                   "not a name", column, text[:80]
    from .cells import MAX_EUROS

    for k, v in (actor.declared or {}).items():
        if not math.isfinite(v) or v < 0:
            return f"declared {k} must be a finite number of at least 0, got {v!r}", f"declared.{k}", str(v)
        if k.endswith("_eur") and v > MAX_EUROS:
            return (f"declared {k} must be at most {MAX_EUROS:,.0f} €, got {v!r}: a typing or unit error",
                    f"declared.{k}", str(v))
    return None


def _reread_originals(path: Path, parsed: Parsed, digest: str) -> None:
    """Fill the rejects file's *original* for rows found to have a problem after parsing (a tie
    whose two ends resolved to one actor, the checks every format shares), when the loader kept
    only its problem rows' originals (``Parsed.reread``): the file is read again, once, and only
    then. A file changed since it was first read fails the load: its rows would not be the ones
    loaded."""
    if parsed.reread is None:
        return
    missing = {r.row for r in parsed.rejects if r.original is None and r.row not in parsed.originals}
    if not missing:
        return
    try:
        if sha256_of(path, fresh=True) != digest:
            raise LoadError(f"{path}: the file changed while it was being loaded; nothing was loaded")
        parsed.originals.update(parsed.reread(missing))
    except OSError as e:
        raise unreadable(path, e, "cannot read this file again for the rejects file", "; nothing was loaded") from None


def unreadable(path: Path, e: OSError, what: str = "cannot read this file", then: str = "") -> LoadError:
    """The error of a file the system would not let be read, saying what to do: a file open in
    Excel is locked on Windows (a « permission denied », the commonest case for a member list)."""
    if e.errno in (errno.EACCES, errno.EPERM):
        return LoadError(f"{path}: {what}: permission denied (a spreadsheet program that has it open locks it: "
                         f"close it there and load it again; otherwise this user may not read it){then}")
    return LoadError(f"{path}: {what} ({e.strerror or e}){then}")


def _drop_stale_rejects(rpath: Path, path: Path) -> None:
    """After a load of ``path`` without a single problem, its rejects file from an earlier load
    (the file since corrected) is deleted: left in place, it listed problems the store no longer
    has. Only a rejects file of this same file (its first row names it) is touched."""
    import csv

    try:
        with rpath.open(encoding="utf-8-sig", newline="") as f:
            rows = list(itertools.islice(csv.reader(f, delimiter=";"), 2))
    except (OSError, UnicodeDecodeError, csv.Error):
        return
    header_ok = rows and is_rejects_header(rows[0])
    if header_ok and (len(rows) == 1 or (rows[1] and (rows[1][0] == str(path)
                                                      or Path(rows[1][0]).resolve() == path.resolve()))):
        rpath.unlink(missing_ok=True)


def relation_problem(rel) -> tuple[str, str, str] | None:
    """Why a relation cannot be loaded whatever its format: ``(reason, column, value)``, or None.
    Its numbers must be finite (a NaN is stored as NULL, and the store could not read the tie
    back); its amounts in euros between 0 and :data:`~maillage.loaders.cells.MAX_EUROS` (see
    :func:`~maillage.loaders.cells.check_quantity`). The tabular formats flag such values and load
    the tie without them; this is the net under every format.

    >>> from maillage.graph.model import Provenance, Relation
    >>> r = Relation(type="funds", source="a", target="b", fields={"amount": -5}, provenance=Provenance(source="s"))
    >>> relation_problem(r)[0]
    "field 'amount': expected an amount of at least 0 €, got '-5.0' (a cancellation or a refund is not a grant)"
    """
    euros = _euro_fields(rel.type)
    for name, value in rel.fields.items():
        if type(value) is float or (isinstance(value, float | int) and not isinstance(value, bool)):
            try:
                check_quantity(float(value), euros=name in euros)
            except CellError:  # said with the value as written, made only for a value refused
                try:
                    check_quantity(float(value), str(value), euros=name in euros)
                except CellError as e:
                    return f"field {name!r}: {e}", f"fields.{name}", str(value)
    return None


_EURO_FIELDS: dict[str, frozenset[str]] = {}


def _euro_fields(rtype: str) -> frozenset[str]:
    """The fields of a relation type whose unit is the euro (the vocabulary's, remembered per type)."""
    got = _EURO_FIELDS.get(rtype)
    if got is None:
        from maillage.graph.vocabulary import vocabulary

        fields = vocabulary().relation_type(rtype).fields
        got = _EURO_FIELDS[rtype] = frozenset(name for name, spec in fields.items() if spec.unit == "EUR")
    return got


def account_rows(parsed: Parsed, statements, rows_of: dict[str, int], described_elsewhere: set[str],
                 kept_relation_rows: list[int], merged_relation_rows: list[int]) -> dict[str, set[int]]:
    """Sort every data row into loaded, merged or rejected (see :mod:`maillage.loaders.base`).

    Raises ``RuntimeError`` when the three do not add up to ``rows_read``: that is a loader bug,
    never something to paper over."""
    new_rows: set[int] = set()
    known_rows: set[int] = set(parsed.merged_rows)
    seen_actor: set[str] = set()
    for st in statements:
        row = rows_of[st.actor.key]
        if st.actor_id in described_elsewhere or st.actor_id in seen_actor:
            known_rows.add(row)
        else:
            new_rows.add(row)
        seen_actor.add(st.actor_id)
    new_rows.update(kept_relation_rows)
    known_rows.update(merged_relation_rows)
    kept = new_rows | known_rows
    rejected = {r.row for r in parsed.rejects if r.fatal} - kept
    merged = known_rows - new_rows
    if len(new_rows) + len(merged) + len(rejected) != parsed.rows_read:
        raise RuntimeError(f"row accounting does not add up: {parsed.rows_read} rows read, {len(new_rows)} loaded, "
                           f"{len(merged)} merged, {len(rejected)} rejected (loader bug)")
    return {"loaded": new_rows, "merged": merged, "rejected": rejected}


REFERENCE_FILES = ("s000a", "s000b", "s001_002", "s003_004")


def reference_paths() -> list[Path]:
    """The shipped reference dataset (curated from the founding documents), in load order."""
    base = resources.files("maillage.data").joinpath("reference")
    return [Path(str(base.joinpath(f"{name}.jsonl"))) for name in REFERENCE_FILES]


def load_reference(store: Store, rejects_dir: str | Path | None = None,
                   progress: Progress | None = None, lang: str = "fr") -> list[LoadReport]:
    """Load the reference dataset through the ordinary loader path (one source per extraction);
    rejects files in ``lang``."""
    reports = []
    for p in reference_paths():
        if not p.is_file():
            raise LoadError(f"the reference dataset is missing {p.name}; reinstall maillage")
        reports.append(load_file(store, p, format="maillage-jsonl", source_id=f"reference:{p.stem}",
                                 rejects_dir=rejects_dir, progress=progress, source_kind="dataset", lang=lang))
    return reports


__all__ = ["load_file", "load_reference", "LoadReport", "LoadError", "LOADERS", "formats_taking", "detect_format",
           "check_input", "reference_paths", "ResolutionPolicy"]
