"""Reading real-world tables and values: encodings, separators, headers, amounts, dates, identifiers."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.fr import siren as std_siren
from stdnum.fr import siret as std_siret

from maillage.loaders.base import LoadError
from maillage.loaders.cells import (CellError, CompanyId, company_identifier, insee_commune, parse_amount, parse_date,
                                    parse_period, postal_code, rna_identifier, scientific_digits)
from maillage.loaders.tabular import read_table

SOMME = "realdata/scdl-somme/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv"
HAUTE_GARONNE = "realdata/scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv"


# -- real files ---------------------------------------------------------------------------------

def test_somme_bom_in_front_of_cp1252_body(shared):
    t = read_table(shared / SOMME)
    assert t.encoding == "cp1252" and t.delimiter == ";"
    assert "byte-order mark" in t.notes[0]
    assert t.columns[0] == "nomAttribuant"  # no "ï»¿" left in front of the first header
    assert len(t.rows) == 41 and len(t.columns) == 13 and "type" in t.columns
    text = " ".join(c for r in t.rows for c in r.cells)
    assert text.count("€") >= 41 and "’" in text and "\ufffd" not in text
    montant = t.columns.index("montant")
    assert t.rows[0].cells[montant] == "26 956,00"


def test_haute_garonne_rows_numbered_by_file_line(shared):
    t = read_table(shared / HAUTE_GARONNE)
    assert t.encoding == "utf-8" and len(t.rows) == 69 and len(t.columns) == 14
    # line 35 of the file has neither idBeneficiaire nor nomBeneficiaire (SOURCES.md)
    row = next(r for r in t.rows if r.number == 35)
    d = row.as_dict(t.columns)
    assert d["idBeneficiaire"] == "" and d["nomBeneficiaire"] == ""
    assert t.rows[0].number == 2 and t.header_row == 1


def test_comma_separated_file_with_float_codes(shared):
    t = read_table(shared / "realdata/tiers-lieux-numerique/03_tiers_lieux.csv")
    assert t.delimiter == "," and t.columns[:3] == ["ID_UNIQUE", "NOM", "Insee"]
    assert len(t.rows) == 47
    assert postal_code(t.rows[0].as_dict(t.columns)["CODPOST"]) == "29600"


# -- synthetic quirks ---------------------------------------------------------------------------

def test_header_below_a_title_embedded_newlines_duplicates_and_blank_rows(tmp_path: Path):
    p = tmp_path / "membres.csv"
    p.write_text('Liste des membres du pôle;;\n'
                 ';;\n'
                 ' Nom ;SIRET;Nom;Commune\n'
                 '"Asso\nsur deux lignes";44306184100047;x;Lille\n'
                 'Court\n'
                 ';;;\n'
                 'Trop;1;2;3;4;5\n'
                 ';;;\n;;;\n', encoding="utf-8")
    t = read_table(p, expect=lambda cols: sum(c.lower() in {"nom", "siret"} for c in cols))
    assert t.columns == ["Nom", "SIRET", "Nom_2", "Commune"]
    assert t.header_row == 3
    assert [r.number for r in t.rows] == [4, 6, 8]  # the record on lines 4–5 starts on line 4
    assert t.rows[0].cells[0] == "Asso\nsur deux lignes"
    assert t.rows[1].cells == ["Court", "", "", ""]
    assert t.rows[2].extra == ["4", "5"]


def test_tab_separated_latin1_without_bom(tmp_path: Path):
    p = tmp_path / "t.tsv"
    p.write_bytes("nom\tville\nCoopérative d'activité\tSaint-Étienne\n".encode("cp1252"))
    t = read_table(p)
    assert t.delimiter == "\t" and t.rows[0].cells == ["Coopérative d'activité", "Saint-Étienne"]
    assert "not UTF-8" in t.notes[0]


NAMES_ONLY = "Nom\r\nLes Jardins du Lauragais\r\nAssociation Vélo Solidaire\r\nRecyclerie l'Œuf\r\nMme Claire Martin\r\n"


@pytest.mark.parametrize("encoding, text", [
    ("cp1252", NAMES_ONLY),  # was read as Mac Roman: « Association VÈlo Solidaire », « Recyclerie l'åuf »
    ("mac_roman", NAMES_ONLY),
    ("cp850", "Nom;Commune\r\nCafé Solidaire;Albi\r\n"),  # was read as Windows-1252: « Caf‚ Solidaire »
    ("cp1252", "NOM;VILLE\r\nCRÉDIT AGRICOLE;SÈTE\r\n"),
])
def test_a_short_single_byte_file_is_read_in_the_encoding_where_its_accents_are_french(tmp_path: Path, encoding, text):
    # a few names saved from Excel (Windows-1252), a Mac or DOS: too short for a statistical guess
    p = tmp_path / "noms.csv"
    p.write_bytes(text.encode(encoding))
    t = read_table(p)
    assert t.encoding == encoding
    assert [t.columns, *(r.cells for r in t.rows)] == [line.split(";") for line in text.split("\r\n")[:-1]]


def test_utf16_with_bom(tmp_path: Path):
    p = tmp_path / "u.csv"
    p.write_bytes(codecs.BOM_UTF16_LE + "nom;ville\nÔkhra;Roussillon\n".encode("utf-16-le"))
    t = read_table(p)
    assert t.rows[0].cells == ["Ôkhra", "Roussillon"]


def test_unreadable_files_raise_one_clear_error(tmp_path: Path):
    empty = tmp_path / "vide.csv"
    empty.write_text("\n\n")
    with pytest.raises(LoadError, match="vide.csv: the file is empty"):
        read_table(empty)
    binary = tmp_path / "classeur.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(LoadError, match="binary file"):
        read_table(binary)
    broken = tmp_path / "casse.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(LoadError, match="casse.xlsx: cannot"):
        read_table(broken)


# -- values -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("2400.0", 2400.0), ("26 956,00", 26956.0), ("160\u00a0000,00", 160000.0), ("1\u202f234,5", 1234.5),
    ("1.234.567,89", 1234567.89), ("1,234,567.89", 1234567.89), ("12 000 €", 12000.0), ("-300", -300.0),
    ("0,5", 0.5), ("1E+3", 1000.0), ("15000", 15000.0),
    # the unit as people type it
    ("1000 euros", 1000.0), ("12 000 € HT", 12000.0), ("12 000 € TTC", 12000.0), ("15 k€", 15000.0),
    ("15 K€", 15000.0), ("1,5 M€", 1500000.0), ("2 millions d'euros", 2000000.0), ("5 000 euros HT.", 5000.0),
    ("15 000,00 EUR", 15000.0), ("12eur", 12.0),
])
def test_amounts(text, value):
    assert parse_amount(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["1.234", "1,234", "douze", "", "1,2,3", "12.5.1", "2 500 €/an", "3 millions",
                                  "k€", "abc €", "1,234 k€"])
def test_amounts_refused_rather_than_guessed(text):
    with pytest.raises(CellError):
        parse_amount(text)


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_amount_round_trip_french_format(euros, cents):
    french = f"{euros:,}".replace(",", "\u00a0") + f",{cents:02d}"
    assert parse_amount(french) == pytest.approx(euros + cents / 100)


@pytest.mark.parametrize("text,iso", [
    ("2017-09-08", "2017-09-08"), ("2017-09-08T00:00:00+02:00", "2017-09-08"), ("08/09/2017", "2017-09-08"),
    ("2017/09/08", "2017-09-08"), ("8.9.2017", "2017-09-08"), ("2017", "2017"), ("2017-9", "2017-09"),
    ("42986", "2017-09-08"), ("42986.0", "2017-09-08"),
    # written out, as people type them and Excel's French formats show them
    ("8 septembre 2017", "2017-09-08"), ("1er mars 2023", "2023-03-01"), ("lundi 15 mars 2023", "2023-03-15"),
    ("15 MARS 2023", "2023-03-15"), ("12 août 2021", "2021-08-12"), ("1 janv. 2020", "2020-01-01"),
    ("01-mars-23", "2023-03-01"), ("mars 2023", "2023-03"), ("sept.-17", "2017-09"), ("déc.-19", "2019-12"),
    ("March 15, 2023", "2023-03-15"), ("15th March 2023", "2023-03-15"),
    # two-digit years as Excel reads them: 00–29 → 2000s, 30–99 → 1900s
    ("08/09/17", "2017-09-08"), ("15-03-23", "2023-03-15"), ("29/06/29", "2029-06-29"), ("30/06/30", "1930-06-30"),
])
def test_dates(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["31/02/2017", "2017-13-01", "demain", "12345", "31 février 2023", "15 mars",
                                  "marseille 2020", "123 mars 2020", "T2 2023", "08/09/172"])
def test_dates_refused(text):
    with pytest.raises(CellError):
        parse_date(text)


def test_periods():
    assert parse_period("2017/09/08_2021/09/07") == ("2017-09-08", "2021-09-07")
    assert parse_period("2018-01-01_2018-12-31") == ("2018-01-01", "2018-12-31")
    assert parse_period("2019-01-01/2019-12-31") == ("2019-01-01", "2019-12-31")
    assert parse_period("01/01/2019/31/12/2019") == ("2019-01-01", "2019-12-31")
    assert parse_period("2019/2020") == ("2019", "2020")
    with pytest.raises(CellError, match="expected a period"):
        parse_period("bientôt")


def test_identifiers_repaired_only_where_the_key_proves_it():
    assert company_identifier("44306184100047") == company_identifier(" 443 061 841 00047 ")
    ok = company_identifier("44306184100047")
    assert (ok.siren, ok.siret, ok.note) == ("443061841", "44306184100047", None)
    damaged = company_identifier("45032466000000.0")  # the example
    assert damaged.siren == "450324660" and damaged.siret is None and "SIRET dropped" in damaged.note
    sci = company_identifier("7,17E+13")
    assert sci.siren is None and sci.siret is None and "scientific notation" in sci.note
    assert company_identifier("35600000000048").siret == "35600000000048"  # La Poste's exception
    assert company_identifier("123").note.startswith("'123' has 3 digits")
    assert company_identifier("0").note.startswith("'0' has 1 digit:")
    assert company_identifier("").note is None


def test_scientific_notation_keeps_what_its_digits_prove():
    """Issue 3: scientific notation follows the rule of ``….0`` — the SIRET when its 14 digits are
    all there, the SIREN when its 9 are, else unknown."""
    whole = company_identifier("4.4238180200028E+13")  # exactly 44238180200028
    assert (whole.siren, whole.siret) == ("442381802", "44238180200028") and "scientific notation" in whole.note
    assert company_identifier("4,4238180200028e13") == CompanyId("442381802", "44238180200028",
                                                                 whole.note.replace(".", ",", 1).replace("E+", "e"))
    part = company_identifier("4.17645595E+13")  # 41764559500000: the SIREN's 9 digits, not the NIC's
    assert (part.siren, part.siret) == ("417645595", None)
    assert "SIREN 417645595 kept, SIRET dropped" in part.note and "lost its last 5 digits" in part.note
    siren = company_identifier("4,17645595E+8")  # a SIREN column: its 9 digits all there
    assert (siren.siren, siren.siret) == ("417645595", None) and "all 9 digits" in siren.note
    for lost in ("7,17E+13", "4,5E+13", "4.1764559E+8", "4.4238180200028E+12", "1E+999"):
        got = company_identifier(lost)
        assert (got.siren, got.siret) == (None, None) and "identifier is unknown" in got.note, lost
    assert scientific_digits("4,4238180200028E+13") == ("44238180200028", 14)  # exact: a float would round
    assert scientific_digits("7,17E+13") == ("71700000000000", 3)


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10**8 - 1), st.integers(min_value=0, max_value=9999))
def test_valid_siret_survives_spreadsheet_damage(n, nic):
    siren = f"{n:08d}" + luhn.calc_check_digit(f"{n:08d}")
    body = siren + f"{nic:04d}"
    siret = body + luhn.calc_check_digit(body)
    assert std_siren.is_valid(siren) and std_siret.is_valid(siret)
    for damaged in (siret + ".0", siret[:3] + " " + siret[3:6] + "\u00a0" + siret[6:9] + " " + siret[9:]):
        got = company_identifier(damaged)
        assert (got.siret, got.siren) == (siret, siren)
    if siret[0] == "0" and siret[1] != "0":  # a spreadsheet drops the leading zero; the key proves the repair
        got = company_identifier(siret[1:])
        assert (got.siret, got.siren) == (siret, siren) and "leading zero" in got.note
    if siret[0] != "0" and siret[-1] != "0":  # as a spreadsheet writes it: 4,4238180200028E+13
        got = company_identifier(f"{siret[0]},{siret[1:]}E+13")
        assert (got.siret, got.siren) == (siret, siren) and "scientific notation" in got.note
    if siret[0] != "0" and siret[8] != "0":  # nine significant digits: the SIREN, never the SIRET
        got = company_identifier(f"{siret[0]}.{siret[1:9]}E+13")
        assert (got.siret, got.siren) == (None, siren) and "SIRET dropped" in got.note
    broken = siret[:-1] + str((int(siret[-1]) + 1) % 10)  # last digit wrong: SIRET dropped, SIREN kept
    got = company_identifier(broken)
    assert got.siret is None and got.siren == siren and "SIRET dropped" in got.note


def test_rna_postal_insee():
    assert rna_identifier("w313012345") == ("W313012345", None)
    rna, note = rna_identifier("313012345")
    assert rna is None and "W followed by 9" in note
    assert postal_code("29600.0") == "29600" and postal_code("1000") == "01000" and postal_code("abc") is None
    assert insee_commune("2A004") == "2A004" and insee_commune("8.0") is None and insee_commune("1053") == "01053"


# -- reading CSV text: the line cutter against io.StringIO --------------------------------------------------

def _records_by_stringio(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The reference: records read from ``io.StringIO(text, newline="")`` (what ``_records`` did)."""
    import csv
    import io

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    out, last = [], 0
    for rec in reader:
        out.append((last + 1, rec))
        last = reader.line_num
    return out


# quotes, separators, every line ending and the characters str.splitlines also cuts at
CSV_TEXT = st.text(alphabet=st.sampled_from(list('ab;,"é \r\n\x0b\x1c\x85\u2028')), max_size=80)


@settings(max_examples=400, deadline=None)
@given(CSV_TEXT, st.sampled_from([";", ","]))
def test_records_are_those_io_stringio_gives(text, delimiter):
    """``_records`` cuts lines with a regular expression (io.StringIO holds four bytes a
    character): same records, same starting lines, same errors, on any text."""
    import csv

    from maillage.loaders.tabular import _records

    try:
        expected = _records_by_stringio(text, delimiter)
    except csv.Error:
        with pytest.raises(LoadError):
            list(_records(text, delimiter))
        return
    assert list(_records(text, delimiter)) == expected


@given(st.text(alphabet=st.sampled_from(list("ab\r\n\x0b")), max_size=60), st.integers(min_value=0, max_value=8))
def test_first_lines_is_splitlines_head(text, n):
    from maillage.loaders import tabular

    assert tabular._first_lines(text, n) == text.splitlines()[:n]
    assert tabular._first_lines(text * 4000, n) == (text * 4000).splitlines()[:n]  # past the first 64 KiB


def test_read_table_keeps_only_the_rows_asked_for(shared):
    full = read_table(shared / HAUTE_GARONNE)
    wanted = {full.rows[0].number, full.rows[-1].number, full.rows[len(full.rows) // 2].number}
    some = read_table(shared / HAUTE_GARONNE, only=wanted)
    assert [r.number for r in some.rows] == sorted(wanted)
    assert [r.cells for r in some.rows] == [r.cells for r in full.rows if r.number in wanted]
    assert (some.columns, some.encoding, some.delimiter) == (full.columns, full.encoding, full.delimiter)


def test_tabular_module_examples():
    import doctest

    from maillage.loaders import tabular

    assert doctest.testmod(tabular).failed == 0


@pytest.mark.parametrize("name, examples", [("base", 5), ("cells", 4)])
def test_loader_module_examples(name, examples):
    """base: ``read_lines``, ``brief``, ``json_error`` (a byte that is not UTF-8 named where it is,
    not orjson's « surrogates not allowed … column 1 »); cells: ``total_label``."""
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"maillage.loaders.{name}"))
    assert result.attempted >= examples and result.failed == 0


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_merged_cells_are_filled_down_and_only_down(tmp_path, suffix):
    """A range over several rows gives its value to each of its rows (in its first column); a range
    over one row (a title across the columns) is left as it is; a sheet whose name XML escapes
    (« & ») finds its ODS spans."""
    from _workbooks import Merged, write_ods, write_xlsx

    from maillage.loaders.tabular import read_table

    writer = write_xlsx if suffix == "xlsx" else write_ods
    p = writer(tmp_path / f"t.{suffix}", {"Adhérents & partenaires": [
        [Merged("Liste 2024", cols=3), None, None],
        ["Nom", "Collège", "Montant"],
        ["A", Merged("Fondateurs", rows=2, cols=2), None],
        ["B", None, None],
        ["C", "", "12"],
    ]})
    t = read_table(p, sheet="Adhérents & partenaires")
    assert [r.cells for r in t.rows] == [["A", "Fondateurs", ""], ["B", "Fondateurs", ""], ["C", "", "12"]]
    assert t.notes[0] == "merged cells over several rows (B3:C4): each row read with the merged value"


# -- files named as spreadsheets that are not ---------------------------------------------------

EXPORT_HTML = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>
<body><table><tr><td><img src="logo.png"> Export du 03/02/2024</td></tr></table>
<table border="1">
<tr><th>Raison sociale</th><th>Commune</th><th colspan="2">Contact</th><th>SIRET</th></tr>
<tr><td>Caf&eacute; <b>Associatif</b> d'Albi</td><td>Albi</td><td>x</td><td>y</td><td>443 061 841 00047</td></tr>
<tr><td>Les Jardins<br>de Cocagne</td><td>Toulouse</td><td></td><td></td><td></td></tr>
<tr><td>R\xe9gie de quartier</td><td>Blagnac</td><td><table><tr><td>inner</td></tr></table></td><td></td><td></td></tr>
</table></body></html>"""


def test_an_html_page_named_xls_is_read_as_its_largest_table(tmp_path):
    """The « export Excel » of many portals and intranets is a web page named .xls: calamine
    refused it (« Invalid OLE »). Its largest table is read: entities, <br>, colspan, a table in a
    cell kept out of the row, its encoding detected as a CSV's."""
    from maillage.loaders.tabular import file_kind, read_table

    p = tmp_path / "export.xls"
    p.write_bytes(EXPORT_HTML.encode("cp1252"))
    assert file_kind(p) == "html"
    t = read_table(p)
    assert t.columns == ["Raison sociale", "Commune", "Contact", "colonne_4", "SIRET"]
    assert [r.cells for r in t.rows] == [
        ["Café Associatif d'Albi", "Albi", "x", "y", "443 061 841 00047"],
        ["Les Jardins de Cocagne", "Toulouse", "", "", ""],
        ["Régie de quartier", "Blagnac", "", "", ""]]
    assert t.encoding == "cp1252" and "an HTML page" in t.notes[-1]


def test_csv_text_named_xlsx_is_read_as_csv_and_an_excel_2003_xml_file_is_refused_clearly(tmp_path):
    from maillage.loaders.tabular import file_kind, read_table

    p = tmp_path / "membres.xlsx"
    p.write_text("Nom;Commune\nAlpha;Albi\n", encoding="utf-8")
    assert file_kind(p) == "text"
    t = read_table(p)
    assert (t.columns, [r.cells for r in t.rows]) == (["Nom", "Commune"], [["Alpha", "Albi"]])
    assert t.notes == ["named .xlsx but CSV text: read as CSV"]
    x = tmp_path / "vieux.xls"
    x.write_text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
                 '<Worksheet ss:Name="A"><Table><Row><Cell><Data ss:Type="String">Nom</Data></Cell></Row>'
                 '</Table></Worksheet></Workbook>', encoding="utf-8")
    assert file_kind(x) == "spreadsheetml"
    with pytest.raises(LoadError, match="an Excel 2003 XML spreadsheet .* save it as .xlsx or CSV"):
        read_table(x)
    expired = tmp_path / "export.xls"  # the portal's session had expired: its page was saved instead
    expired.write_text("<!DOCTYPE html><html><head><style>" + "td { color: red } " * 5000 + "</style></head>"
                       "<body><p>Session expirée</p></body></html>", encoding="utf-8")
    assert file_kind(expired) == "html"
    with pytest.raises(LoadError, match="export.xls: an HTML page without a table .* an expired session"):
        read_table(expired)


# -- a formula guard ------------------------------------------------------------------------------

#: Cells as exports write them against « CSV injection » (OWASP): a leading ``'`` in front of a text
#: that starts like a formula; a spreadsheet shows the text without it. Other apostrophes are text.
GUARDED = [["Nom", "Note", "SIRET"],
           ["'-33 Coop", "'- 49 % des parts", "'44306184100047"],
           ["'=HYPERLINK(\"http://x\",\"clic\")", "'+Ouest", "'0443061841"],
           ["'@adhérent", "' - espace avant", ""],
           ["'Coop'Sud", "L'Atelier", ""],
           ["'t Hooft", "''=deux", ""]]
UNGUARDED = [["-33 Coop", "- 49 % des parts", "'44306184100047"],  # before digits: Excel's text mark, kept
             ["=HYPERLINK(\"http://x\",\"clic\")", "+Ouest", "'0443061841"],
             ["@adhérent", "' - espace avant", ""],  # not the guard: the apostrophe is text
             ["'Coop'Sud", "L'Atelier", ""],
             ["'t Hooft", "'=deux", ""]]  # a guarded « '=deux »: one apostrophe is the guard


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "ods"])
def test_a_formula_guard_is_read_as_the_text_it_guards(tmp_path, suffix):
    from _workbooks import write_ods, write_xlsx

    p = tmp_path / f"membres.{suffix}"
    if suffix == "csv":
        with p.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, delimiter=";").writerows(GUARDED)
    else:
        (write_xlsx if suffix == "xlsx" else write_ods)(p, {"Feuille1": GUARDED})
    t = read_table(p)
    assert t.columns == GUARDED[0]
    assert [r.cells for r in t.rows] == UNGUARDED
    # the SIRET behind Excel's apostrophe is read as before
    assert company_identifier(t.rows[0].cells[2]).siret == "44306184100047"


def test_a_guarded_header_and_a_guarded_tab_are_read_as_the_text(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("'=Nom;'+Ville\n'\tAtelier;'-\n", encoding="utf-8")
    t = read_table(p)
    assert t.columns == ["=Nom", "+Ville"] and t.rows[0].cells == ["Atelier", "-"]


@given(st.text(alphabet="'=+-@\t\rab ", max_size=8))
def test_a_guarded_text_is_read_back_as_it_was(text):
    from maillage.loaders.cells import FORMULA_START, formula_guarded, unguarded

    cell = formula_guarded(text)
    assert not cell.startswith(FORMULA_START) and unguarded(cell) == text


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet='ab;"\r\n', max_size=60), size=st.integers(1, 12))
def test_csv_lines_read_in_slices_are_those_of_one_stringio(text, size):
    """The CSV reader takes its lines from slices of the text (a StringIO of the whole would copy it
    at four bytes a character): the lines, and so the records and the line each starts on, are those
    of one StringIO — whatever the slice size, ``\\r\\n`` never cut, quoted newlines across slices."""
    import io

    from maillage.loaders.tabular import _lines

    assert list(_lines(text, size)) == list(io.StringIO(text, newline=""))
    reader = csv.reader(_lines(text, size), delimiter=";", strict=False)
    whole = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=False)
    got = [(rec, reader.line_num) for rec in reader]
    assert got == [(rec, whole.line_num) for rec in whole]
