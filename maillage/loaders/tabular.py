"""Reading the tables people really have: CSV as spreadsheet software writes it, XLSX, ODS.

:func:`read_table` returns a :class:`Table`: cleaned column names and the data rows, each with
the **line of the file where it starts** (CSV; a record with embedded newlines spans several
lines) or its row number in the sheet (spreadsheets), so a reject names the row a person finds
in their editor. What was detected is kept in :attr:`Table.notes` for the load report.

Detection, in order:

- **encoding** (CSV): a BOM says UTF-8/UTF-16, but the body is checked, not trusted — a UTF-8
  BOM in front of a Windows-1252 body (the Somme file) is decoded as Windows-1252 and said so.
  Without a BOM: strict UTF-8 if it decodes, otherwise `charset-normalizer
  <https://github.com/jawah/charset_normalizer>`_ among the encodings French files use
  (cp1252, latin-1, mac-roman, cp850), checked by how French the accented letters read in each
  (:func:`_french_score`: a short list's guess is a coin toss);
- **separator**: among ``; , TAB |``, the one that splits the first records into the most
  consistent number of columns (more than one); ``csv.Sniffer`` guesses from characters and
  is unreliable on real files with prose in quotes, so the candidates are parsed and compared;
- **header row**: the first of the first 20 rows that the loader's ``expect`` scorer rates
  highest (how many known column names it holds), or, without a scorer, the first row with at
  least two non-empty cells that are mostly not numbers;
- **header names**: stripped of spaces, NBSP and BOM remnants; duplicated names get ``_2``,
  ``_3``…; empty names become ``colonne_N``;
- **rows**: entirely blank rows are not data (trailing blank rows, spacer rows); short rows are
  padded with empty cells; cells beyond the header are kept in :attr:`Row.extra`;
- **cells** (:func:`text_cells`), the header's too: spaces around taken away, and the ``'`` that
  guards a text starting like a formula (``'=HYPERLINK(…)``, ``'-33 Coop``: maillage's exports and
  many tools write it), which a spreadsheet does not show (:func:`.cells.unguarded`);
- **merged cells** (spreadsheets): a range merged down several rows gives its value to each of
  its rows, in its first column, as the sheet shows it (:func:`_fill_merged_down`; calamine
  reports XLSX and XLS ranges, :mod:`.archives` notes the ODS ones while checking the file).

Word-processing documents (.docx, .odt): the largest table, with every other table of the same
columns (a table per collège, each under its title), read from the document's XML with the
standard library (:func:`_document_rows`; no document library for a few tables), after the
archive check every zip gets.

Spreadsheets (XLSX, XLS, ODS) are read with `python-calamine
<https://github.com/dimastbk/python-calamine>`_ (one dependency for the three formats):
numbers that are whole are written without ``.0`` (an identifier stored as a number), dates
as ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import chain, islice
from pathlib import Path

from .archives import check_spreadsheet
from .base import MAX_LINE_BYTES, LoadError
from .cells import unguarded

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
#: Word-processing documents whose tables are read (a member list typed in Word or Writer).
DOCUMENT_SUFFIXES = {".docx", ".odt"}
DELIMITERS = (";", ",", "\t", "|")
HEADER_SCAN = 20
FRENCH_FALLBACKS = ["cp1252", "latin_1", "mac_roman", "cp850"]

csv.field_size_limit(1 << 24)


@dataclass(slots=True)  # one per row of a file: no per-instance __dict__
class Row:
    """One data row: its number (line of the file, or row of the sheet), cells aligned with
    :attr:`Table.columns`, and cells found beyond the header's width."""

    number: int
    cells: list[str]
    extra: Sequence[str] = ()  # most rows have none: one empty tuple for all (a list each was 56 bytes a row)

    def as_dict(self, columns: list[str]) -> dict[str, str]:
        d = dict(zip(columns, self.cells, strict=False))
        if self.extra:
            d["…"] = " | ".join(self.extra)
        return d


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[Row]
    header_row: int
    raw_columns: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)
    #: Rows (numbers) that are a heading, not data: one cell merged across several columns, the
    #: rest of the row empty (« Collège des fondateurs » above its members) in a spreadsheet; the
    #: line of text above a table in a document of several tables (:func:`_document_rows`).
    headings: dict[int, str] = field(default_factory=dict)
    #: Rows (numbers) that repeat the header cell for cell: files pasted one after another.
    repeated_header: set[int] = field(default_factory=set)
    #: The filled rows above the header (a title, a date…), as read: a loader checks that none of
    #: them was the header (:func:`read_table` takes the row its ``expect`` scores best).
    above: list[tuple[int, list[str]]] = field(default_factory=list)

    def index(self, aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
        """Which column holds each field: ``{"siret": ("siret", "n siret", "numero siret")}`` →
        ``{"siret": 3}``; names are compared folded (case, accents, spaces and punctuation)."""
        folded = {header_key(c): i for i, c in reversed(list(enumerate(self.columns)))}
        out = {}
        for name, candidates in aliases.items():
            i = column_of(folded, candidates)
            if i is not None:
                out[name] = i
        return out


def column_of(folded: dict[str, int], aliases) -> int | None:
    """The column (index) a field's ``aliases`` name, given the header's ``{header_key: index}``:
    the first alias found, in their order; else the first found once spaces are left out, for
    headers whose words were run together (``NomStructure``, ``CodePostal``, ``DATEADHESION``:
    ``nom structure``, ``code postal``, ``date adhesion``).

    >>> column_of({"codepostal": 3, "commune": 4}, ("code postal", "cp"))
    3
    """
    for a in aliases:
        i = folded.get(header_key(a))
        if i is not None:
            return i
    tight: dict[str, int] = {}
    for k, i in folded.items():
        t = k.replace(" ", "")
        if t not in tight or i < tight[t]:
            tight[t] = i
    for a in aliases:
        i = tight.get(header_key(a).replace(" ", ""))
        if i is not None:
            return i
    return None


def header_key(name: str) -> str:
    """A header name folded for comparison: ``"N° SIRET "`` → ``"n siret"``."""
    import unicodedata

    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^0-9a-z]+", " ", s)
    return s.strip()


# ---------------------------------------------------------------------------------------------
# encoding

def decode(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """``(text, encoding, notes)``; see the module docstring."""
    notes: list[str] = []
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, notes
            except UnicodeDecodeError as e:
                raise LoadError(f"{path}: starts with a {enc.upper()} byte-order mark but is not {enc.upper()} "
                                f"(byte {e.start})") from None
    body = data
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8):]
    try:
        return body.decode("utf-8"), "utf-8", notes
    except UnicodeDecodeError as e:
        first_bad = e.start
    enc = _guess_single_byte(body)
    mixed = _mixed(body, enc)
    if mixed is not None:
        text, n = mixed
        notes.append(f"mixed encodings: {n} line(s) are not UTF-8 (first at byte {first_bad}) and were decoded as "
                     f"{enc}, the others as UTF-8")
        return text, f"utf-8+{enc}", notes
    if body is not data:
        notes.append(f"a UTF-8 byte-order mark is followed by a {enc} body (not UTF-8 from byte "
                     f"{first_bad + 3}): decoded as {enc}")
    else:
        notes.append(f"not UTF-8 (byte {first_bad}): decoded as {enc}")
    return body.decode(enc, errors="replace"), enc, notes


def _mixed(body: bytes, enc: str) -> tuple[str, int] | None:
    """A file where some lines are UTF-8 (with accents) and others are not (rows pasted from a
    file in another encoding): each line decoded in its own encoding, and the number of lines
    that were not UTF-8; None when no line holds UTF-8 beyond ASCII (the file is all ``enc``)."""
    lines = body.splitlines(keepends=True)
    decoded, utf8, other = [], 0, 0
    for line in lines:
        try:
            text = line.decode("utf-8")
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            text = line.decode(enc, errors="replace")
            other += 1
        decoded.append(text)
    if not utf8 or not other:
        return None
    return "".join(decoded), other


def _guess_single_byte(body: bytes) -> str:
    from charset_normalizer import from_bytes

    sample = body[:200_000]
    best = from_bytes(sample, cp_isolation=FRENCH_FALLBACKS).best()
    enc = best.encoding if best is not None else "cp1252"
    # latin-1 and cp1252 differ only in 0x80–0x9F, where latin-1 has control characters
    # no text file means: € (0x80), ’ (0x92), œ (0x9C)… are cp1252
    if enc == "latin_1" and any(0x80 <= b <= 0x9F for b in body):
        enc = "cp1252"
    # on a short file the statistical guess is a coin toss (« Association Vélo Solidaire » read
    # as Mac Roman: « VÈlo »): the encoding in which the accented letters read as French wins,
    # Windows-1252 when two read as well
    scores = {e: _french_score(sample.decode(e, errors="replace")) for e in ("cp1252", "mac_roman", "cp850")}
    top = max(scores.values())
    if scores.get(enc if enc != "latin_1" else "cp1252", top) < top:
        enc = next(e for e, v in scores.items() if v == top)
    return enc


_FRENCH_LOWER = set("àâäçéèêëîïôöùûüÿœæ")
_FRENCH_UPPER = set("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ")
_FRENCH_SIGNS = set("«»‘’“”€°–—…\u00a0")


def _french_score(text: str) -> int:
    """How French the letters beyond ASCII of ``text`` read: +1 for each accented letter of French
    (a capital one not inside a word in lower case: « Épicerie », « CRÉDIT », not « VÈlo », « CafÇ »), a
    guillemet, an apostrophe, € or °; −1 for any other (« Ž », « å », « ╔ », a byte no character).

    >>> _french_score("Vélo Épicerie l'Œuf"), _french_score("VÈlo Åpicerie l'åuf")
    (3, -3)
    """
    score = 0
    for m in re.finditer(r"[^\x00-\x7f]", text):
        i, c = m.start(), m.group()
        if c in _FRENCH_LOWER or c in _FRENCH_SIGNS:
            score += 1
        elif c in _FRENCH_UPPER:
            before = text[i - 1] if i else " "
            inside = before.islower() or (before.isalpha() and text[i + 1:i + 2].islower())
            score += -1 if inside else 1
        else:
            score -= 1
    return score


# ---------------------------------------------------------------------------------------------
# CSV

def _long_line(data: bytes, limit: int) -> int | None:
    """The number of the first line longer than ``limit`` bytes, or None — found without
    splitting the file: a line longer than ``limit`` covers a whole window of ``limit // 2``
    bytes, so only windows without a newline are measured.

    >>> _long_line(b"a\\nbbbbbbbbbb\\nc", 4), _long_line(b"aa\\nbb\\n", 4)
    (2, None)
    """
    if len(data) <= limit:
        return None
    step = max(limit // 2, 1)
    for start in range(0, len(data), step):
        if data.find(b"\n", start, start + step) != -1:
            continue
        begin = data.rfind(b"\n", 0, start) + 1
        end = data.find(b"\n", start)
        end = len(data) if end == -1 else end
        if end - begin > limit:
            return data.count(b"\n", 0, begin) + 1
    return None


def _lines(text: str, size: int = 1 << 20) -> Iterator[str]:
    r"""The lines of ``text`` as ``io.StringIO(text, newline="")`` yields them (each ended by
    ``\r\n``, ``\r`` or ``\n``, kept), read from slices of about ``size`` characters cut after a
    ``\n``: a StringIO of the whole text holds a copy of it at four bytes a character (0.7 GiB for
    a 186 MB file), one of a slice a few MiB.

    >>> list(_lines("a\r\nb\rc\nd", size=1)), list(_lines("a\r\nb\rc\nd"))
    (['a\r\n', 'b\r', 'c\n', 'd'], ['a\r\n', 'b\r', 'c\n', 'd'])
    """
    def slices() -> Iterator[io.StringIO]:
        start, end = 0, len(text)
        while start < end:
            cut = text.find("\n", start + size)
            cut = end if cut == -1 else cut + 1
            yield io.StringIO(text[start:cut], newline="")
            start = cut

    return chain.from_iterable(slices())


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Records with the line they start on, as they are read; csv handles quotes and embedded
    newlines (a record may span lines, and so slices of :func:`_lines`)."""
    reader = csv.reader(_lines(text), delimiter=delimiter, quotechar='"',
                        doublequote=True, skipinitialspace=False, strict=False)
    last = 0
    try:
        for rec in reader:
            yield last + 1, rec
            last = reader.line_num
    except csv.Error as e:
        raise LoadError(f"line {last + 1}: cannot read this CSV ({e})") from None


def _first_lines(text: str, n: int) -> list[str]:
    r"""``text.splitlines()[:n]``, without splitting the whole of a large text.

    >>> _first_lines("a\nb\r\nc", 2), _first_lines("a\nb", 5)
    (['a', 'b'], ['a', 'b'])
    """
    size = 1 << 16
    while True:
        lines = text[:size].splitlines()
        if len(lines) > n or size >= len(text):  # line n+1 has begun: the first n are whole
            return lines[:n]
        size *= 4


def sniff_delimiter(text: str) -> str:
    """The separator that splits the first records most consistently (see the module docstring)."""
    sample = "\n".join(_first_lines(text, 60))
    best, best_score = ";", -1.0
    for d in DELIMITERS:
        try:
            recs = [r for _, r in _records(sample, d) if any(c.strip() for c in r)]
        except LoadError:
            continue
        widths = Counter(len(r) for r in recs)
        if not widths:
            continue
        width, count = widths.most_common(1)[0]
        if width < 2:
            continue
        score = count / len(recs) * 1000 + width  # consistency first, then width
        if score > best_score:
            best, best_score = d, score
    return best


# ---------------------------------------------------------------------------------------------
# spreadsheets

def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "VRAI" if v else "FAUX"
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e16:
            return str(int(v))
        return repr(v)
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time() else v.isoformat(timespec="seconds")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    check_spreadsheet(path)  # zip and cell-extent bombs are refused before calamine opens the file
    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as e:  # calamine raises its own error types for damaged files
        raise LoadError(f"{path}: cannot open this spreadsheet ({e})") from None


_ZIP_MAGIC, _OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def file_kind(path: Path) -> str:
    """What a file holds, whatever its name says: ``"spreadsheet"`` (a zip — XLSX, ODS, XLSB — or
    an OLE2 file — XLS — or what is neither of the others: damaged, empty, binary, for the reader
    to say what is wrong), ``"html"`` (a web page with a table: the « export Excel » of many portals
    and intranets, named ``.xls``), ``"spreadsheetml"`` (Excel 2003 XML) or ``"text"`` (CSV with
    columns on its first line, also when named ``.xls`` or ``.xlsx``). Reads the first 64 KiB.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name, data in [("a.xlsx", b"PK\\x03\\x04..."), ("b.xls", b"<html><table><tr><td>Nom</td></tr></table>"),
    ...                    ("c.xls", b"Nom;Commune\\nA;Albi\\n"), ("d.xlsx", b"not a zip")]:
    ...     _ = (d / name).write_bytes(data)
    ...     print(name, file_kind(d / name))
    a.xlsx spreadsheet
    b.xls html
    c.xls text
    d.xlsx spreadsheet
    """
    with Path(path).open("rb") as f:
        head = f.read(64 * 1024)
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)) or not head.strip() \
            or (b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))):
        return "spreadsheet"  # or damaged, empty, binary: the spreadsheet reader says what is wrong
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith(b"<") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "spreadsheetml"
    if start.startswith(b"<"):  # markup: a web page (its table may come after 64 KiB of styles)
        return "html"
    first = start.split(b"\n", 1)[0]
    if any(d.encode() in first for d in DELIMITERS) or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"  # a table as text: columns on its first line
    return "spreadsheet"  # a damaged spreadsheet, or anything else: the reader says what is wrong


def is_spreadsheet(path: Path) -> bool:
    """Named as a spreadsheet (``.xlsx``, ``.ods``, ``.xls``…) and holding one (see :func:`file_kind`):
    an « export.xls » that is CSV text or an HTML page is read as what it is."""
    return path.suffix.lower() in SPREADSHEET_SUFFIXES and file_kind(path) == "spreadsheet"


def _html_tables(text: str) -> list[list[list[str]]]:
    """The tables of an HTML page, each a list of rows of cell texts (``colspan`` repeated as empty
    cells; a table inside a cell is a table of its own), with Python's own HTML parser."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.done: list[list[list[str]]] = []
            self.stack: list[list[list[str]]] = []
            self.cell: list[str] | None = None
            self.cells: list[list[str] | None] = []
            self.span = 1

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.stack.append([])
                self.cells.append(self.cell)
                self.cell = None
            elif not self.stack:
                return
            elif tag == "tr":
                self.stack[-1].append([])
            elif tag in ("td", "th"):
                if not self.stack[-1]:
                    self.stack[-1].append([])
                self.cell = []
                span = dict(attrs).get("colspan") or "1"
                self.span = int(span) if span.isdigit() and 0 < int(span) < 1000 else 1
            elif tag in ("br", "p", "div", "li") and self.cell is not None:
                self.cell.append(" ")

        def handle_endtag(self, tag):
            if not self.stack:
                return
            if tag in ("td", "th") and self.cell is not None:
                self.stack[-1][-1].extend([" ".join("".join(self.cell).split())] + [""] * (self.span - 1))
                self.cell = None
            elif tag == "table":
                self.done.append([r for r in self.stack.pop() if r])
                self.cell = self.cells.pop()

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Tables()
    parser.feed(text)
    parser.close()
    while parser.stack:  # tables the page did not close
        parser.done.append([r for r in parser.stack.pop() if r])
    return [t for t in parser.done if t]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ODF_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
#: A cell repeated more than this many times in an ODT row is its empty tail, not data.
_MAX_REPEAT = 256


def _docx_table(tbl) -> list[list[str]]:
    """A Word table (``w:tbl``) as rows of cell texts (paragraphs joined by a newline), a cell
    spanning columns (``gridSpan``) followed by empty cells, one merged down (``vMerge``) given
    the text of the cell it continues, as it is seen."""
    rows: list[list[str]] = []
    for tr in tbl.findall(f"{_W}tr"):
        row: list[str] = []
        for tc in tr.findall(f"{_W}tc"):
            paras = ["".join(t.text or "" for t in para.iter(f"{_W}t")) for para in tc.findall(f"{_W}p")]
            text = "\n".join(x for x in paras if x.strip())
            props = tc.find(f"{_W}tcPr")
            span = props.find(f"{_W}gridSpan") if props is not None else None
            vmerge = props.find(f"{_W}vMerge") if props is not None else None
            if vmerge is not None and vmerge.get(f"{_W}val", "continue") == "continue" and rows:
                above = rows[-1]
                text = above[len(row)] if len(row) < len(above) else text
            row.append(text)
            if span is not None:
                row += [""] * max(0, min(int(span.get(f"{_W}val", "1") or 1), _MAX_REPEAT) - 1)
        rows.append(row)
    return rows


def _odt_table(tbl) -> list[list[str]]:
    """A Writer table (``table:table``), as :func:`_docx_table`: a cell merged down
    (``number-rows-spanned``) gives its text to the cells it covers below, as it is seen (a
    collège merged over its members' rows); a cell covered by a merge across stays empty."""
    rows: list[list[str]] = []
    down: dict[int, tuple[str, int]] = {}  # column → (text merged down, last row it covers)
    for i, tr in enumerate(tbl.iter(f"{_ODF_TABLE}table-row")):
        row: list[str] = []
        for tc in tr:
            if tc.tag not in (f"{_ODF_TABLE}table-cell", f"{_ODF_TABLE}covered-table-cell"):
                continue
            n = min(int(tc.get(f"{_ODF_TABLE}number-columns-repeated", "1") or 1), _MAX_REPEAT)
            if tc.tag.endswith("}table-cell"):
                paras = ["".join(p.itertext()) for p in tc.findall(f"{_ODF_TEXT}p")]
                text = "\n".join(x for x in paras if x.strip())
                span = int(tc.get(f"{_ODF_TABLE}number-rows-spanned", "1") or 1)
                for col in range(len(row), len(row) + n):
                    if span > 1:
                        down[col] = (text, i + span - 1)
                    else:
                        down.pop(col, None)
                row += [text] * n
                continue
            for _ in range(n):  # covered: by a merge down from above (its text), or across (empty)
                text, last = down.get(len(row), ("", -1))
                row.append(text if i <= last else "")
        rows.append(row)
    return rows


#: The longest line of text above a document's table read as its heading (« Collège des
#: fondateurs », « Partenaires financiers »); a longer paragraph is prose, not a title.
_TITLE_MAX = 120


def _document_tables(root, word: bool) -> list[tuple[list[list[str]], str]]:
    """Every table of a document, in the document's order, each with its title: the last
    paragraph (a line of at most :data:`_TITLE_MAX` characters) between it and the table before
    it, or ``""``. A table inside a table's cell is listed too, without a title."""
    table_tag = f"{_W}tbl" if word else f"{_ODF_TABLE}table"
    paragraph_tags = {f"{_W}p"} if word else {f"{_ODF_TEXT}p", f"{_ODF_TEXT}h"}
    titles: dict[int, str] = {}
    last = [""]

    def walk(el) -> None:  # the body's paragraphs and tables, in order, not into tables' cells
        for child in el:
            if child.tag == table_tag:
                titles[id(child)], last[0] = last[0], ""
            elif child.tag in paragraph_tags:
                text = " ".join("".join(child.itertext()).split())
                if text:
                    last[0] = text if len(text) <= _TITLE_MAX else ""
            else:
                walk(child)  # sections, content controls, the body itself

    walk(root)
    read = _docx_table if word else _odt_table
    return [(read(t), titles.get(id(t), "")) for t in root.iter(table_tag)]


def _largest(tables: list[list[list[str]]]) -> list[list[str]]:
    """The table a page or a document is read as: the most rows, then the widest."""
    return max(tables, key=lambda t: (len(t), max(map(len, t))))


def _header_at(rows: list[list[str]], expect: Callable[[list[str]], int] | None = None) -> int | None:
    """Index of a table's header, or None: with the loader's ``expect`` scorer, its row (of the
    first few) naming the most of the format's columns, none when no row names one; without, its
    first row that looks like one."""
    if expect is not None:
        scores = [expect(_clean_header(r)) for r in rows[:HEADER_SCAN]]
        best = max(scores, default=0)
        return scores.index(best) if best > 0 else None
    return next((i for i, r in enumerate(rows[:HEADER_SCAN]) if _looks_like_header(r)), None)


def _header_of(rows: list[list[str]], expect: Callable[[list[str]], int] | None = None) -> tuple[str, ...] | None:
    """A table's column names as compared (folded, empty ones left out), or None."""
    h = _header_at(rows, expect)
    return None if h is None else tuple(header_key(c) for c in rows[h] if c.strip())


def _document_rows(path: Path, expect: Callable[[list[str]], int] | None = None,
                   ) -> tuple[list[tuple[int, list[str]]], list[str], dict[int, str]]:
    """The rows of a word-processing document's (.docx, .odt) member list, numbered from 1, the
    notes saying how it was read, and the rows that are headings (``{row: text}``).

    The list is the tables with the same columns (compared as :func:`header_key` folds them) that
    hold the most rows together, read as one in the document's order (a table per collège, each
    under its title: « Collège des fondateurs »); a table whose columns no other has is its own
    group; a tie goes to the widest. A header is a row naming the loader's columns (``expect``),
    else one that looks like a header. A table without a header row, after the list's first and
    exactly as wide as its header (every row), is more of its rows: a table split to put a
    collège's title between its parts. Read so, the line of text above each table is a heading
    row put before the table's rows (after the header, for the first), its header row dropped
    from the tables after the first. A list in one table is read alone, as it was. The archive is checked first (:func:`.archives.check_spreadsheet`: a zip bomb is
    refused before anything is inflated)."""
    import zipfile
    from xml.etree import ElementTree

    check_spreadsheet(path)
    word = path.suffix.lower() == ".docx"
    member = "word/document.xml" if word else "content.xml"
    try:
        with zipfile.ZipFile(path) as zf, zf.open(member) as f:
            root = ElementTree.parse(f).getroot()
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError) as e:
        raise LoadError(f"{path}: cannot read this document ({e})") from None
    tables = [([r for r in t if "".join(r).strip()], title) for t, title in _document_tables(root, word)]
    tables = [(t, title) for t, title in tables if t]
    if not tables:
        raise LoadError(f"{path}: a document without a table; the list must be a table (one row per member, "
                        "its columns named on the first row)")
    groups: dict[object, list[int]] = {}  # tables by their columns (one alone without a header)
    for i, (t, _) in enumerate(tables):
        groups.setdefault(_header_of(t, expect) or i, []).append(i)
    same = max(groups.values(), key=lambda g: (sum(len(tables[i][0]) for i in g), max(map(len, tables[g[0]][0]))))
    first = tables[same[0]][0]
    h0 = _header_at(first, expect)
    width = len(first[h0]) if h0 is not None else 0
    # a table without a header row, as wide as the list, after its first table: more of its rows
    # (a table split to put a collège's title between its parts, the header not repeated)
    more = [i for i, (t, _) in enumerate(tables) if width and i > same[0] and _header_at(t, expect) is None
            and all(len(r) == width for r in t)]
    if len(same) + len(more) < 2:
        return list(enumerate(first, start=1)), [
            f"a {path.suffix} document: its largest table read ({len(first)} rows of {len(tables)} table(s))"], {}
    joined = sorted(same + more)
    rows: list[list[str]] = []
    headings: dict[int, str] = {}
    starts = []
    for k, i in enumerate(joined):
        t, title = tables[i]
        h = _header_at(t, expect)
        starts.append(len(rows) + 1)
        if h is None:  # one of `more`: every row is a member's
            head, body = [], t
        else:  # later headers dropped
            head, body = (t[:h + 1], t[h + 1:]) if k == 0 else (t[:h], t[h + 1:])
        rows += head
        if title:
            headings[len(rows) + 1] = title
            rows.append([title])
        rows += body
    notes = [f"a {path.suffix} document: {len(joined)} tables with the same columns read as one list (tables "
             f"{', '.join(str(i + 1) for i in joined)} of {len(tables)}, from rows {', '.join(map(str, starts))}), "
             "the line of text above each table read as its heading"]
    if more:
        notes.append(f"tables without a header row and with the list's {width} columns read as more rows of the "
                     f"list: {', '.join(str(i + 1) for i in more)}")
    return list(enumerate(rows, start=1)), notes, headings


def _html_rows(path: Path, data: bytes) -> tuple[list[tuple[int, list[str]]], str, list[str]]:
    """The rows of the largest table of an HTML page (numbered from 1), its encoding and notes."""
    text, enc, notes = decode(data, path)  # as a CSV's: strict UTF-8, else detected (a page's meta is often wrong)
    tables = _html_tables(text)
    if not tables:
        raise LoadError(f"{path}: an HTML page without a table (a web page saved instead of its export: an expired "
                        "session, an error page?); expected a table of rows")
    best = _largest(tables)
    notes = [*notes, f"named {path.suffix} but an HTML page (a web « export Excel »): its largest table read "
                     f"({len(best)} rows of {len(tables)} table(s))"]
    return list(enumerate(best, start=1)), enc, notes


def _cell_name(row: int, col: int) -> str:
    """A cell's name as a spreadsheet shows it, from 0-based indexes.

    >>> _cell_name(0, 0), _cell_name(2, 27), _cell_name(9, 701), _cell_name(9, 702)
    ('A1', 'AB3', 'ZZ10', 'AAA10')
    """
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _fill_merged_down(values: list[list], merged: list | None) -> tuple[list[str], dict[int, str]]:
    """Give each row of a merged range that spans several rows the range's value, in the range's
    first column: a « Collège » or « Pôle » cell merged over the rows of its members is read as
    it is seen, not as one row holding it and the others blank. A range over one row (a title
    across the columns, a header spanning two) is left as it is. Returns the ranges filled,
    named as the spreadsheet shows them (``C3:C5``), and the rows that are headings: a range
    across several columns with nothing else on its rows (``{its first row's number: its text}``;
    not filled down: its other rows stay blank)."""
    filled, headings = [], {}
    for (r0, c0), (r1, c1) in sorted(merged or ()):  # in reading order, as the note names them
        if r0 >= len(values) or c0 >= len(values[r0]):
            continue
        v = values[r0][c0]
        if v is None or v == "":
            continue
        rows = range(r0, min(r1, len(values) - 1) + 1)
        if c1 > c0 and all(x in (None, "") for r in rows for j, x in enumerate(values[r]) if not c0 <= j <= c1):
            headings[r0 + 1] = _cell_text(v)  # one heading, however many rows it is drawn over
            continue
        if r1 <= r0:
            continue
        for r in rows[1:]:
            if c0 < len(values[r]) and values[r][c0] in (None, ""):
                values[r][c0] = v
        filled.append(f"{_cell_name(r0, c0)}:{_cell_name(r1, c1)}")
    return filled, headings


def _sheet_rows(path: Path, sheet: str | None) -> tuple[str, list[tuple[int, list[str]]], list[str], dict[int, str]]:
    """The sheet's name, its rows as text (numbered from 1, as the spreadsheet does), notes and
    the rows that are headings (:func:`_fill_merged_down`)."""
    from python_calamine import CalamineWorkbook

    archive = check_spreadsheet(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
        if not names:
            raise LoadError(f"{path}: the spreadsheet has no sheet")
        if sheet is None:
            sheet = names[0]
        elif sheet not in names:
            raise LoadError(f"{path}: no sheet named {sheet!r}; sheets: {', '.join(names)}")
        ws = wb.get_sheet_by_name(sheet)
        values = ws.to_python(skip_empty_area=False)
        merged = ws.merged_cell_ranges  # XLSX, XLS; None for ODS, whose spans the archive check noted
        if merged is None and archive is not None:
            merged = archive.merged_in(sheet)
    except LoadError:
        raise
    except Exception as e:
        raise LoadError(f"{path}: cannot read this spreadsheet ({e})") from None
    notes = []
    filled, headings = _fill_merged_down(values, merged)
    if filled:
        shown = ", ".join(filled[:5]) + (f" and {len(filled) - 5} more" if len(filled) > 5 else "")
        notes.append(f"merged cells over several rows ({shown}): each row read with the merged value")
    return sheet, [(i, [_cell_text(v) for v in row]) for i, row in enumerate(values, start=1)], notes, headings


# ---------------------------------------------------------------------------------------------
# header and rows

def text_cells(record: list[str]) -> list[str]:
    """A record's cells as text: spaces around taken away, a formula guard too (:func:`.cells.unguarded`).

    >>> text_cells([" '-33 Coop ", "'\\tAtelier", "L'Atelier", "'0443061841"])
    ['-33 Coop', 'Atelier', "L'Atelier", "'0443061841"]
    """
    cells = list(map(str.strip, record))
    joined = "\x1f".join(cells)
    if joined[:1] == "'" or "\x1f'" in joined:  # a cell starts with ': one search a row, not a call a cell
        cells = [unguarded(c).strip() for c in cells]
    return cells


def _clean_header(cells: list[str]) -> list[str]:
    out, seen = [], Counter()
    for i, c in enumerate(cells, start=1):
        name = re.sub(r"\s+", " ", c.replace("\ufeff", "").replace("ï»¿", "").replace("\xa0", " ")).strip()
        name = name or f"colonne_{i}"
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def _looks_like_header(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) < 2:
        return False
    numeric = sum(1 for c in filled if re.fullmatch(r"[-+]?[\d\s.,/:E+-]+", c))
    return numeric <= len(filled) // 3


def _pick_header(records: list[tuple[int, list[str]]], expect: Callable[[list[str]], int] | None) -> int:
    """Index in ``records`` of the header row."""
    head = records[:HEADER_SCAN]
    if expect is not None:
        scores = [expect(_clean_header(r)) for _, r in head]
        best = max(scores, default=0)
        if best > 0:
            return scores.index(best)
    for i, (_, r) in enumerate(head):
        if _looks_like_header(r):
            return i
    return 0


def read_table(path: str | Path, *, sheet: str | None = None, delimiter: str | None = None,
               encoding: str | None = None, expect: Callable[[list[str]], int] | None = None,
               only: Container[int] | None = None) -> Table:
    """Read a CSV or spreadsheet file into a :class:`Table` (see the module docstring).

    ``expect(columns) -> int`` scores a candidate header row (e.g. how many of the format's
    column names it holds); the best row in the first 20 is the header. ``only``: keep just the
    data rows with these numbers (a second read for a few rows holds no more than them). Raises
    :class:`LoadError` when the file cannot be read at all (empty, no header)."""
    path = Path(path)
    notes: list[str] = []
    headings: dict[int, str] = {}
    used_enc = used_delim = None
    kind = file_kind(path) if path.suffix.lower() in SPREADSHEET_SUFFIXES else "text"
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        kind = "document"
    if kind == "spreadsheetml":
        raise LoadError(f"{path}: an Excel 2003 XML spreadsheet (« Feuille de calcul XML 2003 »), which is "
                        "not read; open it in a spreadsheet program and save it as .xlsx or CSV")
    if kind == "spreadsheet":
        sheet, records, notes, headings = _sheet_rows(path, sheet)
    elif kind == "html":
        records, used_enc, notes = _html_rows(path, path.read_bytes())
    elif kind == "document":
        records, notes, headings = _document_rows(path, expect)
    else:
        data = path.read_bytes()
        if not data.strip():
            raise LoadError(f"{path}: the file is empty")
        if path.suffix.lower() in SPREADSHEET_SUFFIXES:
            notes.append(f"named {path.suffix} but CSV text: read as CSV")
        if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise LoadError(f"{path}: this is a binary file, not CSV text (give a .xlsx/.ods spreadsheet "
                            "its extension)")
        long_line = _long_line(data, MAX_LINE_BYTES)
        if long_line is not None:
            raise LoadError(f"{path}: line {long_line} is longer than {MAX_LINE_BYTES >> 20} MiB (the most a CSV "
                            "field may hold): not a table; nothing was read")
        if encoding:
            text = data.decode(encoding, errors="replace").lstrip("\ufeff")
            used_enc = encoding
        else:
            text, used_enc, enc_notes = decode(data, path)
            notes += enc_notes
        text = text.lstrip("\ufeff")
        used_delim = delimiter or sniff_delimiter(text)
        del data  # the text is what is read from now on
        records = _records(text, used_delim)
    filled = ((n, r) for n, r in records if "".join(r).strip())  # a record with something in a cell
    try:
        scanned = list(islice(filled, HEADER_SCAN))  # the header is among them
        head = [(n, text_cells(r)) for n, r in scanned]
        if not head:
            raise LoadError(f"{path}{f' (sheet {sheet})' if sheet else ''}: no rows")
        h = _pick_header(head, expect)
        header_line, raw = head[h]
        columns = _clean_header(raw)
        if h:
            notes.append(f"header found on row {header_line} (rows above it skipped)")
        width = len(columns)
        rows = []
        header_cells = raw
        first, repeated = header_cells[0] if header_cells else "", set()
        for n, record in chain(scanned[h + 1:], filled):
            if only is not None and n not in only:
                continue
            cells = text_cells(record)
            if cells and cells[0] == first and cells[:width] == header_cells and first:
                repeated.add(n)  # files pasted one after the other: each one's header among the rows
            if len(cells) == width:  # most rows
                rows.append(Row(n, cells, ()))
                continue
            extra = [c for c in cells[width:] if c]
            cells = (cells + [""] * width)[:width]
            rows.append(Row(n, cells, extra))
    except LoadError as e:
        if str(path) in str(e):
            raise
        raise LoadError(f"{path}: {e}") from None
    return Table(path=path, columns=columns, raw_columns=raw, rows=rows, header_row=header_line,
                 encoding=used_enc, delimiter=used_delim, sheet=sheet, notes=notes,
                 headings={n: t for n, t in headings.items() if n > header_line}, repeated_header=repeated,
                 above=head[:h])


def spreadsheet_header(path: Path, expect) -> list[str] | None:
    """The header of a (small) spreadsheet, for sniffing; None when it cannot be read."""
    if not is_spreadsheet(path) or path.stat().st_size > 20 * 1024 * 1024:
        return None
    try:
        return read_table(path, expect=expect).columns
    except Exception:  # sniffing must never fail a load: the format is only not recognised
        return None


def utf16_head(head: bytes) -> str | None:
    """The first bytes of a file as text when a UTF-16 BOM starts them (Excel's « Texte Unicode »
    export: UTF-16 LE, tab-separated), else None; a code unit cut at the end is dropped.

    >>> utf16_head(codecs.BOM_UTF16_LE + "nom;rôle".encode("utf-16-le") + b"!")  # "!": half a code unit
    'nom;rôle'
    >>> utf16_head("nom;SIRET".encode()) is None
    True
    """
    if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    return head[:len(head) // 2 * 2].decode("utf-16", errors="replace")


def read_head(path: Path, head: bytes, max_lines: int = 5) -> list[str] | None:
    """The first line of a CSV, split by its separator, for ``sniff``; None for non-text. An HTML
    page named ``.xls`` gives the first row of its largest table."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        kind = file_kind(path)
        if kind == "html":
            try:
                return [c for c in read_table(path).columns]
            except LoadError:
                return None
        if kind != "text":
            return None
    text = utf16_head(head)
    if text is None:
        if head.startswith(codecs.BOM_UTF8):
            head = head[3:]
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as e:
            text = head[:e.start].decode("utf-8") if e.start > 200 else head.decode("cp1252", errors="replace")
    lines = text.splitlines()[:max_lines]
    if not lines:
        return None
    d = sniff_delimiter("\n".join(lines))
    try:
        first = next(_records("\n".join(lines), d), None)
    except LoadError:
        return None
    return _clean_header(first[1]) if first else None
