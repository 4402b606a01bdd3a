"""Spreadsheets written by the tests themselves (no binary fixtures in the repository).

- XLSX with openpyxl (a test-only dependency);
- ODS by hand: an OpenDocument spreadsheet (ISO/IEC 26300) is a zip holding ``mimetype``
  (stored, first), ``META-INF/manifest.xml`` and ``content.xml`` — small enough to write here
  rather than depend on a library.
"""

from __future__ import annotations

from _loading import store_snapshot  # noqa: F401  (re-exported for the loader tests)

import zipfile
from pathlib import Path
from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Merged:
    """A cell merged with the cells below it (``rows``) and to its right (``cols``); the cells it
    covers are given as ``None`` in the rows (written as Excel and LibreOffice write them: empty
    cells under an XLSX ``mergeCell``, ``covered-table-cell`` in ODS)."""

    value: object
    rows: int = 1
    cols: int = 1


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    import openpyxl
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        merges = []
        for i, r in enumerate(rows, start=1):
            for j, v in enumerate(r, start=1):
                if isinstance(v, Merged):
                    merges.append(f"{get_column_letter(j)}{i}:{get_column_letter(j + v.cols - 1)}{i + v.rows - 1}")
            ws.append([v.value if isinstance(v, Merged) else v for v in r])
        for m in merges:
            ws.merge_cells(m)
    wb.save(path)
    return path


_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _cell(v, covered: bool = False) -> str:
    if covered:
        return "<table:covered-table-cell/>"
    if isinstance(v, Merged):
        return _cell(v.value).replace("<table:table-cell", f'<table:table-cell table:number-rows-spanned="{v.rows}" '
                                      f'table:number-columns-spanned="{v.cols}"', 1)
    if v is None or v == "":
        return "<table:table-cell/>"
    if isinstance(v, bool):
        v = str(v)
    if isinstance(v, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{v}">'
                f"<text:p>{v}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'


def write_ods(path: Path, sheets: dict[str, list[list]]) -> Path:
    body = []
    for name, rows in sheets.items():
        body.append(f'<table:table table:name="{escape(name, {chr(34): "&quot;"})}">')
        covered = {(i + di, j + dj) for i, r in enumerate(rows) for j, v in enumerate(r) if isinstance(v, Merged)
                   for di in range(v.rows) for dj in range(v.cols) if di or dj}
        for i, r in enumerate(rows):
            body.append("<table:table-row>" + "".join(_cell(v, (i, j) in covered) for j, v in enumerate(r))
                        + "</table:table-row>")
        body.append("</table:table>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} office:version="1.2">'
               f'<office:body><office:spreadsheet>{"".join(body)}</office:spreadsheet></office:body>'
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path




def write_docx(path: Path, tables: list[list[list]], before: str = "Liste des adhérents",
               titles: list[str] | None = None) -> Path:
    """A Word document: a paragraph, then each table (rows of cells; a cell ``("text", n)`` spans
    n columns, ``Merged(v, rows=n)`` is merged down n rows as Word writes it: ``vMerge``), each
    after its line of ``titles`` (a paragraph; none where it is empty)."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def cell(v, continued=False) -> str:
        props = ""
        if isinstance(v, tuple):
            v, n = v
            props = f'<w:gridSpan w:val="{n}"/>'
        if isinstance(v, Merged):
            v, props = v.value, props + '<w:vMerge w:val="restart"/>'
        if continued:
            v, props = "", props + "<w:vMerge/>"
        paras = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(x)}</w:t></w:r></w:p>"
                        for x in str(v or "").split("\n")) or "<w:p/>"
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{paras}</w:tc>"

    body = [f"<w:p><w:r><w:t>{escape(before)}</w:t></w:r></w:p>"]
    for k, rows in enumerate(tables):
        if titles and titles[k]:
            body.append(f"<w:p><w:r><w:t>{escape(titles[k])}</w:t></w:r></w:p>")
        continued = {(i + di, j) for i, r in enumerate(rows) for j, v in enumerate(r) if isinstance(v, Merged)
                     for di in range(1, v.rows)}
        body.append("<w:tbl>" + "".join("<w:tr>" + "".join(cell(v, (i, j) in continued) for j, v in enumerate(r))
                                        + "</w:tr>" for i, r in enumerate(rows)) + "</w:tbl>")
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>{"".join(body)}'
           "</w:body></w:document>")
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
             'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'wordprocessingml.document.main+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("word/document.xml", doc)
    return path


def write_odt(path: Path, rows: list[list], more: list[tuple[str, list[list]]] = ()) -> Path:
    """A Writer document holding one table (a cell ``("text", n)`` spans n columns,
    ``Merged(v, rows=n)`` is merged down n rows as Writer writes it: ``number-rows-spanned``,
    the cells below ``covered-table-cell``), then the tables of ``more``, each after its title (a
    Writer heading, ``text:h``)."""

    def table(rows: list[list]) -> str:
        covered = {(i + di, j) for i, r in enumerate(rows) for j, v in enumerate(r) if isinstance(v, Merged)
                   for di in range(1, v.rows)}
        cells = []
        for i, r in enumerate(rows):
            out = []
            for j, v in enumerate(r):
                if (i, j) in covered:
                    out.append("<table:covered-table-cell/>")
                    continue
                n, down = 1, ""
                if isinstance(v, tuple):
                    v, n = v
                if isinstance(v, Merged):
                    v, down = v.value, f' table:number-rows-spanned="{v.rows}"'
                out.append(f'<table:table-cell table:number-columns-spanned="{n}"{down}><text:p>'
                           f'{escape(str(v or ""))}</text:p></table:table-cell>' + "<table:covered-table-cell/>" * (n - 1))
            cells.append("<table:table-row>" + "".join(out) + "</table:table-row>")
        return f'<table:table table:name="Tableau">{"".join(cells)}</table:table>'

    tables = "".join(f'<text:h text:outline-level="2">{escape(title)}</text:h>{table(t)}' for title, t in more)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} office:version="1.2">'
               f'<office:body><office:text><text:p>Adhérents</text:p>{table(rows)}{tables}</office:text></office:body>'
               '</office:document-content>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path
