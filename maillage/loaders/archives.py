"""Spreadsheets that would explode when opened: zip bombs and cell-extent bombs, refused before
the spreadsheet reader sees them.

An XLSX or ODS file is a zip archive of XML. Two kinds of file a few kilobytes long can exhaust
the memory of whatever opens them:

- a **zip bomb** (Fifield, 2019): members that decompress to gigabytes — stated honestly in the
  zip's directory (caught by the declared sizes and the compression ratio, before anything is
  decompressed) or lied about (caught while decompressing: a member never gets to write more
  than it declared);
- a **cell-extent bomb**: a sheet whose cells are few but far apart — a value in ``A1`` and one
  in ``XFD1048576`` (XLSX), or one cell repeated with ``table:number-rows-repeated`` and
  ``table:number-columns-repeated`` (ODS). The reader (calamine) lays every sheet out as a dense
  rectangle, so 4.8 kB ask it for 17 billion cells: the process aborts. Each sheet's rectangle
  is measured while decompressing, from the cell references (XLSX) or the repeat counts (ODS),
  counting only cells that hold something, as calamine does.

:func:`check_spreadsheet` raises :class:`~maillage.loaders.base.LoadError` naming the file and
the limit; a file that is not a zip (``.xls`` is OLE2) is left to the reader, which refuses
damaged files with a clear message. The result is remembered per (file, size, mtime), since
format detection opens a workbook several times.

Limits (module constants): :data:`MAX_UNCOMPRESSED` (512 MiB of XML in all),
:data:`MAX_RATIO` (200:1, for members above 16 MiB), :data:`MAX_MEMBERS` (10,000) and
:data:`MAX_CELLS` (5 million cells in one sheet's rectangle: a 250,000-row × 20-column list;
opening it costs about 650 MB with calamine).

Reference: D. Fifield (2019), *A better zip bomb*, 13th USENIX Workshop on Offensive
Technologies (WOOT '19).

>>> import io, zipfile, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "bombe.xlsx"
>>> with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
...     z.writestr("xl/worksheets/sheet1.xml", '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
...                '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
>>> try:
...     check_spreadsheet(p)
... except LoadError as e:
...     print("refused:", "17,179,869,184 cells" in str(e))
refused: True
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from .base import LoadError

MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 512 * 2**20
MAX_RATIO = 200
RATIO_FLOOR = 16 * 2**20
MAX_CELLS = 5_000_000
ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 20

_CACHE: OrderedDict[tuple, ArchiveSummary | LoadError] = OrderedDict()


@dataclass(frozen=True)
class ArchiveSummary:
    """What a spreadsheet archive holds: members, bytes once decompressed, and its largest
    sheet's rectangle (``rows × columns`` of the cells that hold something)."""

    members: int
    compressed: int
    uncompressed: int
    rows: int
    columns: int
    sheet: str | None
    #: ODS only (calamine reports the merged cells of XLSX and XLS, not of ODS): ``((sheet name,
    #: ((first row, first column), (last row, last column)), …), …)``, 0-based and inclusive, as
    #: ``CalamineSheet.merged_cell_ranges`` gives them.
    merged: tuple = ()

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def merged_in(self, sheet: str) -> list | None:
        """The merged ranges of an ODS sheet (None when the archive is not an ODS workbook)."""
        import html

        for name, ranges in self.merged:
            if name is not None and html.unescape(name) == sheet:
                return list(ranges)
        return None


def check_spreadsheet(path: str | Path) -> ArchiveSummary | None:
    """Refuse a zip-based spreadsheet that would explode when opened (see the module docstring).

    Returns what the archive holds, or None when the file is not a zip archive (left to the
    reader). Raises :class:`LoadError` naming the file, what it would cost and the limit.

    >>> check_spreadsheet(__file__) is None   # not a zip: nothing to say
    True
    """
    path = Path(path)
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key in _CACHE:
        got = _CACHE[key]
        if isinstance(got, LoadError):
            raise LoadError(str(got))
        return got
    with path.open("rb") as f:
        if f.read(4) != ZIP_MAGIC:
            return None
    try:
        got = _inspect(path)
    except LoadError as e:
        _remember(key, e)
        raise
    _remember(key, got)
    return got


def _remember(key: tuple, value) -> None:
    _CACHE[key] = value
    while len(_CACHE) > 32:
        _CACHE.popitem(last=False)


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def _inspect(path: Path) -> ArchiveSummary:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        raise LoadError(f"{path}: not a readable spreadsheet: its zip archive is damaged ({e})") from None
    refuse = f"{path}: refused before opening it:"
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise LoadError(f"{refuse} its zip archive has {len(infos):,} members (limit {MAX_MEMBERS:,}); "
                            "a spreadsheet has a few dozen")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNCOMPRESSED:
            raise LoadError(f"{refuse} it would expand to {_mb(declared)} when decompressed (limit "
                            f"{_mb(MAX_UNCOMPRESSED)}): a zip bomb, or a spreadsheet too large to open safely "
                            "(save it as CSV)")
        for i in infos:
            if i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise LoadError(f"{refuse} member {i.filename!r} is compressed "
                                f"{i.file_size // max(i.compress_size, 1):,}:1 ({_mb(i.file_size)}; limit "
                                f"{MAX_RATIO}:1): a zip bomb")
        total, best, merged = 0, (0, 0, None), ()
        with path.open("rb") as raw:
            for i in infos:
                scan = None
                if i.filename == "content.xml":  # measured both ways: a workbook may name any member its sheet
                    ods = _OdsExtent()
                    scan = _Both(ods, _XlsxExtent())
                elif i.filename.lower().endswith(".xml"):
                    scan = _XlsxExtent()
                n = _decompress(path, raw, i, scan.feed if scan else None)
                total += n
                if isinstance(scan, _XlsxExtent) and scan.approximate and \
                        any(r * c > MAX_CELLS for _, r, c in scan.finish()):
                    scan = _XlsxExtent(exact=True)  # the quick bound counted empty cells: measure exactly
                    _decompress(path, raw, i, scan.feed)
                if total > MAX_UNCOMPRESSED:
                    raise LoadError(f"{refuse} it expands to more than {_mb(MAX_UNCOMPRESSED)} when "
                                    "decompressed: a zip bomb, or a spreadsheet too large to open safely "
                                    "(save it as CSV)")
                if scan is not None:
                    for name, rows, cols in scan.finish():
                        label = f"sheet {name!r}" if name else f"sheet file {i.filename!r}"
                        if rows * cols > MAX_CELLS:
                            raise LoadError(
                                f"{refuse} {label} spans {rows:,} rows × {cols:,} columns = "
                                f"{rows * cols:,} cells (limit {MAX_CELLS:,}); a spreadsheet reader lays the "
                                "whole rectangle out in memory. Delete the stray cells far from the data, "
                                "or save the sheet as CSV")
                        if rows * cols > best[0] * best[1] or best[2] is None:
                            best = (rows, cols, label)
                if i.filename == "content.xml":
                    merged = tuple((name, tuple(spans)) for name, spans in ods.spans.items())
        return ArchiveSummary(members=len(infos), compressed=sum(i.compress_size for i in infos),
                              uncompressed=total, rows=best[0], columns=best[1], sheet=best[2], merged=merged)


def _decompress(path: Path, raw, info: zipfile.ZipInfo, feed) -> int:
    """Decompress one member from its local header, never producing more than it declares;
    ``feed(chunk)`` sees the bytes. Returns the number of bytes."""
    refuse = f"{path}: refused before opening it:"
    if info.flag_bits & 0x1:
        raise LoadError(f"{path}: the spreadsheet is encrypted (member {info.filename!r}); save it without a "
                        "password")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise LoadError(f"{path}: member {info.filename!r} uses zip compression method {info.compress_type}; "
                        "spreadsheets use deflate: the file is damaged or not a spreadsheet")
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) != 30 or header[:4] != ZIP_MAGIC:
        raise LoadError(f"{path}: not a readable spreadsheet: its zip archive is damaged "
                        f"(no local header for {info.filename!r})")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    raw.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    limit = info.file_size
    produced = 0

    def emit(data: bytes) -> None:
        nonlocal produced
        produced += len(data)
        if produced > limit:
            raise LoadError(f"{refuse} member {info.filename!r} holds more than the {limit:,} bytes it "
                            "declares: a zip bomb")
        if feed is not None and data:
            feed(data)

    try:
        while left > 0:
            block = raw.read(min(CHUNK, left))
            if not block:
                raise LoadError(f"{path}: not a readable spreadsheet: member {info.filename!r} is truncated")
            left -= len(block)
            if inflate is None:
                emit(block)
                continue
            data = inflate.decompress(block, CHUNK)
            emit(data)
            while inflate.unconsumed_tail:
                emit(inflate.decompress(inflate.unconsumed_tail, CHUNK))
            if inflate.eof:
                break
        if inflate is not None:
            emit(inflate.flush())
    except zlib.error as e:
        raise LoadError(f"{path}: not a readable spreadsheet: member {info.filename!r} is damaged ({e})") from None
    return produced


class _Tags:
    """Feed XML bytes in chunks; :meth:`scan` sees whole tags only (a tag cut by a chunk's end
    waits for the next chunk)."""

    pattern: re.Pattern

    def __init__(self) -> None:
        self._buf = b""

    def feed(self, data: bytes) -> None:
        buf = self._buf + data
        cut = buf.rfind(b"<")
        if cut == -1:
            self._buf = b""
            return
        if buf.find(b">", cut) != -1:
            cut = len(buf)
        self.scan(buf, cut)
        self._buf = buf[cut:]

    def scan(self, buf: bytes, end: int) -> None:
        for m in self.pattern.finditer(buf, 0, end):
            self.on_tag(m)

    def on_tag(self, m: re.Match) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def finish(self) -> list[tuple[str | None, int, int]]:
        if self._buf:
            self.scan(self._buf, len(self._buf))
            self._buf = b""
        return self.result()

    def result(self) -> list[tuple[str | None, int, int]]:  # pragma: no cover - overridden
        raise NotImplementedError


class _Both:
    """Two measures of one member."""

    def __init__(self, *scans) -> None:
        self.scans = scans

    def feed(self, data: bytes) -> None:
        for s in self.scans:
            s.feed(data)

    def finish(self) -> list[tuple[str | None, int, int]]:
        return [x for s in self.scans for x in s.finish()]


_XLSX_FILLED_REF = re.compile(rb"""<(?:[\w.-]+:)?c\s[^>]*?(?<![\w:-])r\s*=\s*["']\s*\$?([A-Za-z]{1,7})\$?([0-9]+)[^>]*(?<!/)>""")
_XLSX_ANY_REF = re.compile(rb"""<(?:[\w.-]+:)?c\s[^>]*?(?<![\w:-])r\s*=\s*["']\s*\$?([A-Za-z]{1,7})\$?([0-9]+)""")
_XLSX_FILLED = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s>])[^>]*(?<!/)>")
_XLSX_ROW_REF = re.compile(rb"""<(?:[\w.-]+:)?row\s[^>]*?(?<![\w:-])r\s*=\s*["']\s*([0-9]+)""")
_XLSX_ROW = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s/>])")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n


_XLSX_FAST_CELL = re.compile(rb'<c r="([A-Z]{1,7})([0-9]+)"')
_XLSX_FAST_ROW = re.compile(rb'<row r="([0-9]+)"')


class _XlsxExtent(_Tags):
    """The rectangle of a SpreadsheetML sheet: rows and columns up to the farthest cell holding
    a value (``<c …>…</c>``; ``<c …/>`` holds nothing, and calamine skips it). A cell without
    ``r`` follows the previous one and a row without ``r`` the previous row: they widen the
    bound by their number (files written by Excel, LibreOffice or openpyxl always give ``r``).

    Whole chunks are searched with regular expressions (C speed), not tag by tag. By default a
    chunk whose every cell starts ``<c r="…"`` (what spreadsheet software writes) is measured
    by the cheapest search, which also counts empty cells (a bound, never too small); other
    chunks, and ``exact=True`` (used to confirm a refusal), skip empty cells."""

    def __init__(self, exact: bool = False) -> None:
        super().__init__()
        self.exact = exact
        self.max_row = self.row_attr = 0
        self.filled = self.filled_with_ref = 0
        self.rows = self.rows_with_ref = 0
        self.approximate = False
        self.any_row = 0
        self._columns: set[bytes] = set()
        self._any_columns: set[bytes] = set()

    def scan(self, buf: bytes, end: int) -> None:
        if not self.exact:
            cells = _XLSX_FAST_CELL.findall(buf, 0, end)
            rows = _XLSX_FAST_ROW.findall(buf, 0, end)
            regular = (len(cells) == buf.count(b"<c", 0, end) and len(rows) == buf.count(b"<row", 0, end)
                       and buf.find(b":c", 0, end) == -1 and buf.find(b":row", 0, end) == -1)
            if regular:
                self._cells(cells)
                self._anywhere(cells)
                self.filled += len(cells)
                self._rows(rows)
                self.rows += len(rows)
                self.approximate = self.approximate or bool(cells)
                return
        self._cells(_XLSX_FILLED_REF.findall(buf, 0, end))
        self._anywhere(_XLSX_ANY_REF.findall(buf, 0, end))
        self.filled += len(_XLSX_FILLED.findall(buf, 0, end))
        self._rows(_XLSX_ROW_REF.findall(buf, 0, end))
        self.rows += len(_XLSX_ROW.findall(buf, 0, end))

    def _cells(self, found: list[tuple[bytes, bytes]]) -> None:
        if found:
            letters, digits = zip(*found)
            self.max_row = max(self.max_row, max(map(int, digits)))
            self._columns.update(letters)
            self.filled_with_ref += len(found)

    def _anywhere(self, found: list[tuple[bytes, bytes]]) -> None:
        """Every cell reference, empty cells included: a cell without ``r`` follows the
        previous cell even when that one is empty."""
        if found:
            letters, digits = zip(*found)
            self.any_row = max(self.any_row, max(map(int, digits)))
            self._any_columns.update(letters)

    def _rows(self, found: list[bytes]) -> None:
        if found:
            self.row_attr = max(self.row_attr, max(map(int, found)))
            self.rows_with_ref += len(found)

    def result(self) -> list[tuple[str | None, int, int]]:
        cols = max((_column_number(c) for c in self._columns), default=0)
        rows = self.max_row
        loose = self.filled - self.filled_with_ref
        if loose > 0:
            cols = max(cols, max((_column_number(c) for c in self._any_columns), default=0)) + loose
            rows = max(rows, self.row_attr, self.any_row) + (self.rows - self.rows_with_ref) + 1
        return [(None, rows if cols else 0, cols)]


_ODS_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>")
_ODS_ROWS = re.compile(rb"""number-rows-repeated\s*=\s*["']\s*([0-9]+)""")
_ODS_COLS = re.compile(rb"""number-columns-repeated\s*=\s*["']\s*([0-9]+)""")
_ODS_NAME = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?name\s*=\s*["']([^"']*)""")
_ODS_ROWS_SPANNED = re.compile(rb"""number-rows-spanned\s*=\s*["']\s*([0-9]+)""")
_ODS_COLS_SPANNED = re.compile(rb"""number-columns-spanned\s*=\s*["']\s*([0-9]+)""")


class _OdsExtent(_Tags):
    """The rectangle of each table of an OpenDocument spreadsheet: repeated rows and columns
    count as many times as they repeat, up to the last row and column holding something (empty
    repeated cells at the end of a row, and empty rows at the end, are not laid out). Also
    notes the merged cells of each table (``table:number-rows-spanned`` /
    ``number-columns-spanned``) in :attr:`spans`, which the reader does not report for ODS."""

    pattern = _ODS_TAG

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str | None, int, int]] = []
        self.spans: dict[str | None, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
        self.name: str | None = None
        self.rows_done = self.height = self.width = 0
        self.repeat = 1
        self.cols = self.last = 0
        self.open = False

    def _close_table(self) -> None:
        if self.open:
            self.tables.append((self.name, self.height, self.width))
        self.open = False
        self.rows_done = self.height = self.width = 0

    def on_tag(self, m: re.Match) -> None:
        closing, name, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if name == b"table":
            if closing:
                self._close_table()
            elif not empty:
                self._close_table()
                n = _ODS_NAME.search(attrs)
                self.name = n.group(1).decode("utf-8", "replace") if n else None
                self.open = True
            return
        if name == b"table-row":
            if closing:
                if self.last:
                    self.height = self.rows_done + self.repeat
                    self.width = max(self.width, self.last)
                self.rows_done += self.repeat
                return
            r = _ODS_ROWS.search(attrs)
            self.repeat = max(int(r.group(1)), 1) if r else 1
            self.cols = self.last = 0
            if empty:
                self.rows_done += self.repeat
            return
        if closing:
            return
        if b"spanned" in attrs and name == b"table-cell":
            rs, cs = _ODS_ROWS_SPANNED.search(attrs), _ODS_COLS_SPANNED.search(attrs)
            n_rows, n_cols = (max(int(rs.group(1)), 1) if rs else 1), (max(int(cs.group(1)), 1) if cs else 1)
            if n_rows > 1 or n_cols > 1:
                self.spans.setdefault(self.name, []).append(
                    ((self.rows_done, self.cols), (self.rows_done + n_rows - 1, self.cols + n_cols - 1)))
        c = _ODS_COLS.search(attrs)
        self.cols += max(int(c.group(1)), 1) if c else 1
        if not empty or b"value-type" in attrs:
            self.last = self.cols

    def result(self) -> list[tuple[str | None, int, int]]:
        self._close_table()
        return self.tables


__all__ = ["check_spreadsheet", "ArchiveSummary", "MAX_CELLS", "MAX_UNCOMPRESSED", "MAX_RATIO", "MAX_MEMBERS"]
