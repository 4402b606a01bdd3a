"""Bad input, on a real SQLite store: the hostile corpus (tests/hostile_corpus.py) and properties
the format-specific tests do not cover (format detection over every sniffer, the maillage-jsonl,
odf-subventions and places loaders, the spreadsheet-bomb guard against calamine itself, the cell
parsers). Every refused file must leave the store's content unchanged byte for byte; every
load must account for its rows (``rows_read == loaded + merged + rejected``) and keep the store's
invariants (finite numbers, amounts in euros in [0, 1e11], dates in the model's years). Cases that
may hang or kill the process run in a child process with a deadline.

The CI slice is deterministic (``derandomize=True``); ``scripts/fuzz.py`` runs the same
properties with many more random examples, and the 100 MB / 1 GiB cases.
"""

from __future__ import annotations

import csv
import io
import math
import shutil
import tempfile
import zipfile
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import hostile_corpus as H
from maillage.graph import open_store
from maillage.loaders import LOADERS, LoadError, load_file
from maillage.loaders.archives import MAX_CELLS, check_spreadsheet
from maillage.loaders.base import brief, read_lines
from maillage.loaders.cells import (MAX_EUROS, CellError, check_quantity, company_identifier, insee_commune,
                                    parse_amount, parse_date, parse_period, postal_code, rna_identifier)
from maillage.loaders.tabular import decode

CI = H.ci_cases()
IN_PROCESS = [c for c in CI if not c.isolate]
ISOLATED = [c for c in CI if c.isolate]
# one of each kind, run again on the reference dataset (real PTCE) rather than the small store
ON_REFERENCE = ["junk-random-autodetect", "enc-latin1-popolo", "opt-unknown-option", "amount-jsonl",
                "selfloop-after-resolution-jsonl", "date-9999-scdl", "formula-text-csv"]


def _load_checked(store, path: Path, **options) -> bool:
    """Load ``path``; a refusal must name the file and leave the store exactly as it was, an
    accepted load must account for every row and keep the store's invariants. Returns whether
    the load was accepted."""
    before = H.canonical_dump(store)
    try:
        report = load_file(store, path, **options)
    except LoadError as e:
        assert str(path) in str(e)
        assert H.canonical_dump(store) == before
        return False
    assert report.rows_read == report.loaded + report.merged + report.rejected
    assert H.invariants(store) == []
    return True


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("templates")
    return {"small": H.build_template(d / "small" / "store.db", reference=False),
            "reference": H.build_template(d / "reference" / "store.db", reference=True)}


def _run(case: H.Case, template: Path, workdir: Path) -> dict:
    store = H.fresh_store(template, workdir)
    try:
        return H.run_case(case, workdir / "files", store)
    finally:
        store.close()


@pytest.mark.parametrize("case", IN_PROCESS, ids=lambda c: c.name)
def test_hostile_file(case, templates, tmp_path):
    result = _run(case, templates["small"], tmp_path)
    assert result["problems"] == [], result


@pytest.fixture(scope="module")
def isolated_results(templates, tmp_path_factory) -> dict[str, dict]:
    return H.run_isolated([c.name for c in ISOLATED], templates["small"], tmp_path_factory.mktemp("isolated"))


@pytest.mark.parametrize("case", ISOLATED, ids=lambda c: c.name)
def test_hostile_file_in_a_child_process(case, isolated_results):
    result = isolated_results[case.name]
    assert result["problems"] == [], result


@pytest.mark.parametrize("name", ON_REFERENCE)
def test_hostile_file_on_the_reference_store(name, templates, tmp_path):
    (case,) = [c for c in CI if c.name == name]
    result = _run(case, templates["reference"], tmp_path)
    assert result["problems"] == [], result


def test_the_corpus_covers_every_loader_and_every_kind_of_bad_input():
    formats = {c.format for c in H.cases()}
    assert set(LOADERS) <= formats
    assert {c.category for c in CI} >= {"encodings", "binary junk", "long lines", "zip bombs", "formulas",
                                        "deep nesting", "duplicate ids", "cycles and self loops", "dates", "amounts"}
    assert len({c.name for c in H.cases()}) == len(H.cases())
    assert any(c.campaign_only and "100mb" in c.name for c in H.cases())
    assert any(c.campaign_only and "1gib" in c.name for c in H.cases())


def test_a_hang_is_a_failure_and_the_other_cases_still_run(templates, tmp_path):
    """The child-process runner itself: a case past its deadline is reported as a hang (the
    child is killed), and the remaining cases run in a new child."""
    got = H.run_isolated(["zip-ratio-bomb-xlsx", "junk-missing"], templates["small"], tmp_path,
                         timeouts={"zip-ratio-bomb-xlsx": 0.05})  # building its 64 MiB member takes longer
    assert got["zip-ratio-bomb-xlsx"]["kind"] == "crashed" and "hang" in got["zip-ratio-bomb-xlsx"]["error"]
    assert got["junk-missing"]["problems"] == [] and got["junk-missing"]["kind"] == "refused"


# -- fixes made for this corpus, one test each ---------------------------------------------------

def test_a_refused_rejects_directory_writes_nothing_to_the_store(templates, tmp_path):
    """The accounting and the rejects file come before the store write: a rejects directory that
    cannot be created raises LoadError and the store is unchanged."""
    store = H.fresh_store(templates["small"], tmp_path / "s")
    before = H.canonical_dump(store)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    path = H.write_lines(tmp_path / "dup.jsonl", [H.JHEADER, H.jactor("a", "Alpha"), H.jactor("a", "Alpha 2")])
    with pytest.raises(LoadError, match="cannot write the rejects file"):
        load_file(store, path, rejects_dir=blocker / "rejects")
    assert H.canonical_dump(store) == before
    store.close()


def test_read_lines_bounds_memory_and_counts_lines():
    data = b"{}\n" + b"x" * 100 + b"\n\n" + b"y" * 10
    assert list(read_lines(io.BytesIO(data), limit=50)) == [(1, b"{}\n"), (2, None), (3, b"\n"), (4, b"y" * 10)]
    assert list(read_lines(io.BytesIO(b"a" * 50 + b"\n"), limit=50)) == [(1, b"a" * 50 + b"\n")]


@H.fuzz_settings(ci=100, campaign=5000)
@given(lines=st.lists(st.integers(0, 40), max_size=12), last_newline=st.booleans(), limit=st.integers(1, 16))
def test_long_line_finder_agrees_with_splitting(lines, last_newline, limit):
    """CSV files with a line over 16 MiB are refused before decoding (a 100 MB line cost 930 MB
    of memory): the window search finds the first such line as splitting the file would."""
    from maillage.loaders.tabular import _long_line

    H.tally("long-line-finder")
    data = b"\n".join(b"x" * n for n in lines) + (b"\n" if last_newline and lines else b"")
    expected = next((i + 1 for i, n in enumerate(lines) if n > limit), None) if len(data) > limit else None
    assert _long_line(data, limit) == expected


def test_brief_never_recurses():
    deep = orjson.loads(H._deep(1000))
    assert brief(deep).startswith("<a list")
    assert brief([1, "é"]) == '[1,"é"]' and brief("x" * 100) == "x" * 80


def test_mixed_encodings_are_decoded_line_by_line(tmp_path):
    data = "Nom;Commune\nÉté;Lille\n".encode() + "Éloïse;Sète\n".encode("cp1252") + b"Plain;Ascii\n"
    text, enc, notes = decode(data, tmp_path / "x.csv")
    assert text.splitlines()[1:3] == ["Été;Lille", "Éloïse;Sète"] and enc == "utf-8+cp1252"
    assert "mixed encodings: 1 line(s)" in notes[0]
    somme_like = b"\xef\xbb\xbf" + "nom;montant\nSoci\xe9t\xe9;26 956,00 \x80\n".encode("latin-1")
    text, enc, _ = decode(somme_like, tmp_path / "y.csv")
    assert enc == "cp1252" and "Société" in text and "€" in text


@pytest.mark.parametrize("value,euros,ok", [(0.0, True, True), (2400.5, True, True), (MAX_EUROS, True, True),
                                            (-0.01, True, False), (1e30, True, False), (math.inf, False, False),
                                            (math.nan, False, False), (-5.0, False, True)])
def test_check_quantity(value, euros, ok):
    if ok:
        assert check_quantity(value, euros=euros) == value
    else:
        with pytest.raises(CellError):
            check_quantity(value, euros=euros)


def test_the_store_stays_readable_after_hostile_declared_sizes(templates, tmp_path):
    """A NaN declared size used to be stored as NULL, after which reading the actor failed: the
    store was unreadable for every later command."""
    store = H.fresh_store(templates["small"], tmp_path / "s")
    path = H.write_lines(tmp_path / "t.jsonl", [H.JHEADER, H.jactor("a", "Alpha", declared={"jobs": "NaN"})])
    report = load_file(store, path, rejects_dir=tmp_path)
    assert report.rejected == 1
    assert len(list(store.iter_actors(include_persons=True))) == 5 and store.stats()["actors"] == 5
    # a blank register code: stored as NULL by the merge, after which no read of the actor worked
    path = H.write_lines(tmp_path / "u.jsonl", [H.JHEADER, H.jactor("z", "Coopérative Zêta", attributes={"naf": " ", "cj": "9220"})])
    assert load_file(store, path, rejects_dir=tmp_path).loaded == 1
    (beta,) = [a for a in store.iter_actors() if a.name == "Coopérative Zêta"]
    assert beta.attributes == {"cj": "9220"}
    store.close()


# -- properties -------------------------------------------------------------------------------

_MAGIC = [b"", b"PK\x03\x04", b"{", b'{"record": "actor", ', b'{"id": "x", "schema": "Company", "properties": {',
          b'{"persons": [', b"\xff\xfe", b"\xef\xbb\xbf", b"nomAttribuant;idAttribuant;nomBeneficiaire;montant\n",
          b"COLL_NOM;ATTRIB_NOM;SUB_MONTANT\n", b"siren,denominationUniteLegale\n", b"Label,Type\n", b"Nom;SIRET\n",
          b"\x00\x00\x00", b"\n\n\n"]


@H.fuzz_settings(ci=60, campaign=5000)
@given(magic=st.sampled_from(_MAGIC), body=st.binary(max_size=600),
       suffix=st.sampled_from([".csv", ".json", ".jsonl", ".xlsx", ".ods", ".txt", ".tsv", ".xls", ""]))
def test_format_detection_survives_anything(magic, body, suffix):
    """Whatever the bytes and the name, format detection plus loading ends in LoadError (the store
    unchanged) or a load that accounts for every row."""
    H.tally("detection")
    with tempfile.TemporaryDirectory() as d, open_store(":memory:") as store:
        path = Path(d) / f"fichier{suffix}"
        path.write_bytes(magic + body)
        _load_checked(store, path, rejects_dir=Path(d) / "r")


_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from(["NaN", "Infinity", "-5", "1e30", "9999-12-31", "0000-01-01", "2019", "", " ",
                                     "commune:31555", "x" * 1200, "=HYPERLINK(\"x\")"]),
                    st.text(max_size=12))
_json = st.recursive(_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                     max_leaves=8)
_KEYS = ["a", "b", "c", "pole"]
_FIELDS = ["amount", "year", "form", "role", "share", "amount_requested", "tier", "mandate", "nope"]


@st.composite
def _jsonl_record(draw):
    kind = draw(st.sampled_from(["actor", "actor", "relation", "relation", "header", "junk", "deep"]))
    if kind == "junk":
        return draw(st.one_of(_json, st.binary(max_size=30).map(lambda b: b.replace(b"\n", b" "))))
    if kind == "deep":
        return H._deep(draw(st.sampled_from([100, 1000, 1023, 1025, 5000])))
    if kind == "header":
        return {"record": "header", "format": draw(st.sampled_from(["maillage-jsonl", "autre", None]))}
    if kind == "actor":
        rec = H.jactor(draw(st.sampled_from(_KEYS)), draw(st.one_of(st.text(min_size=1, max_size=15), _scalar)),
                       draw(st.sampled_from(["ess", "pole", "collectivite", "person", "nope", ""])))
        for k in draw(st.lists(st.sampled_from(["declared", "identifiers", "location", "aliases", "attributes",
                                                "kind", "group_count", "pole"]), max_size=3)):
            rec[k] = draw(st.one_of(_json, st.just({"jobs": draw(_scalar)}),
                                    st.just([{"scheme": "siren", "value": draw(_scalar)}])))
        return rec
    fields = draw(st.dictionaries(st.sampled_from(_FIELDS), _scalar, max_size=3))
    rec = H.jrel(draw(st.sampled_from(["funds", "membership", "cooperates", "partner", "nope"])),
                 draw(st.sampled_from(_KEYS + ["region", "ghost"])), draw(st.sampled_from(_KEYS + ["region", "ghost"])),
                 fields)
    for k in draw(st.lists(st.sampled_from(["start", "end", "provenance"]), max_size=2)):
        rec[k] = draw(_scalar)
    return rec


@H.fuzz_settings(ci=60, campaign=5000)
@given(records=st.lists(_jsonl_record(), max_size=8))
def test_maillage_jsonl_records_are_loaded_or_rejected_never_crash(records, tmp_path_factory):
    """maillage-jsonl (the project's own format, which had no property test): any sequence of
    records, valid or hostile (wrong types, NaN and absurd amounts, dates in 9999, self ties,
    nesting past orjson's limit), ends in LoadError or a load keeping the store's invariants."""
    H.tally("maillage-jsonl")
    d = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    try:
        with open_store(":memory:") as store:
            load_file(store, H.write_lines(d / "base.jsonl", H.SMALL_STORE), rejects_dir=d)
            path = H.write_lines(d / "fuzz.jsonl", records)
            if _load_checked(store, path, format="maillage-jsonl", rejects_dir=d):
                H.canonical_dump(store)  # every actor is readable again
    finally:
        shutil.rmtree(d, ignore_errors=True)


_cell = st.one_of(st.text(max_size=10), st.sampled_from(["-5", "1e30", "NaN", "inf", "1e400", "9999", "31/12/9999",
                                                         "=1+1", "21860194400013", H.siret(1), "Lille", "", "oui"]))
_TABLES = {
    "odf-subventions": H.ODF_HEADER + ["COLL_TYPE", "ATTRIB_RNA", "SUB_NATURE", "SUB_PERIODE", "CONV_DATE"],
    "places": ["NOM", "Insee", "NOM_STRC_PORT", "CODPOST", "VILLE", "siren", "type"],
}


@H.fuzz_settings(ci=40, campaign=3000)
@given(fmt=st.sampled_from(sorted(_TABLES)), data=st.data(), sep=st.sampled_from([";", ",", "\t"]),
       encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_tables_without_their_own_property_never_crash(fmt, data, sep, encoding, tmp_path_factory):
    """odf-subventions and places (the other tabular formats have their own property tests)."""
    H.tally(fmt)
    columns = data.draw(st.lists(st.sampled_from(_TABLES[fmt]), min_size=1, max_size=len(_TABLES[fmt]), unique=True))
    rows = data.draw(st.lists(st.lists(_cell, min_size=len(columns), max_size=len(columns) + 1), max_size=6))
    d = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    try:
        with open_store(":memory:") as store:
            path = d / "t.csv"
            buf = io.StringIO()
            csv.writer(buf, delimiter=sep).writerows([columns, *rows])
            path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
            try:
                report = load_file(store, path, format=fmt, rejects_dir=d)
            except LoadError as e:
                assert str(path) in str(e) and store.sources() == []
                return
            assert report.rows_read == report.loaded + report.merged + report.rejected
            assert H.invariants(store) == []
    finally:
        shutil.rmtree(d, ignore_errors=True)


def _calamine_shape(path: Path) -> list[tuple[int, int]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    out = []
    for name in wb.sheet_names:
        s = wb.get_sheet_by_name(name)
        out.append((s.height, s.width))
    return out


_refs = st.tuples(st.integers(1, 60), st.integers(1, 40))


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


@H.fuzz_settings(ci=40, campaign=2000)
@given(cells=st.lists(st.tuples(_refs, st.sampled_from(["value", "empty", "noref"])), min_size=1, max_size=12),
       far=st.one_of(st.none(), st.sampled_from(["XFD1048576", "A5000001", "Z1000", "ZZ1"])),
       shuffle=st.randoms(use_true_random=False))
def test_spreadsheet_guard_bounds_what_calamine_lays_out(cells, far, shuffle, tmp_path_factory):
    """The guard's rectangle is never smaller than calamine's (the independent implementation it
    protects); a refused sheet is one whose rectangle exceeds the limit. Rows may come in any
    order, cells without a reference follow the previous one."""
    H.tally("spreadsheet-guard")
    rows: dict[int, list[str]] = {}
    for (r, c), kind in cells:
        if kind == "value":
            rows.setdefault(r, []).append(f'<c r="{_col(c)}{r}" t="inlineStr"><is><t>v</t></is></c>')
        elif kind == "empty":
            rows.setdefault(r, []).append(f'<c r="{_col(c)}{r}" s="1"/>')
        else:
            rows.setdefault(r, []).append('<c t="inlineStr"><is><t>w</t></is></c>')
    if far:
        digits = "".join(ch for ch in far if ch.isdigit())
        rows.setdefault(int(digits), []).append(f'<c r="{far}" t="inlineStr"><is><t>x</t></is></c>')
    order = list(rows)
    shuffle.shuffle(order)
    body = "".join(f'<row r="{r}">' + "".join(rows[r]) + "</row>" for r in order)
    d = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    try:
        base = H.members_xlsx(d, "base.xlsx")
        path = H.replace_member(base, d / "g.xlsx", H.SHEET, H.sheet_xml(body))
        try:
            got = check_spreadsheet(path)
        except LoadError as e:
            assert "cells" in str(e) and far in ("XFD1048576", "A5000001"), str(e)
            return
        assert far in (None, "Z1000", "ZZ1")
        assert got.cells <= MAX_CELLS
        for height, width in _calamine_shape(path):
            assert height * width <= got.cells, (height, width, got)
    finally:
        shutil.rmtree(d, ignore_errors=True)


@H.fuzz_settings(ci=30, campaign=1500)
@given(rows=st.lists(st.tuples(st.integers(1, 5), st.lists(st.tuples(st.integers(1, 6), st.booleans()),
                                                            min_size=1, max_size=4)), min_size=1, max_size=6),
       trailing=st.booleans())
def test_ods_guard_bounds_what_calamine_lays_out(rows, trailing, tmp_path_factory):
    """ODS repeats (``number-rows-repeated``, ``number-columns-repeated``): the guard's rectangle
    is never smaller than calamine's."""
    H.tally("spreadsheet-guard-ods")
    xml = H.ODS_HEADER_ROW
    for repeat, cells in rows:
        xml += H.ods_row([H.ods_cell("v", n) if filled else f'<table:table-cell table:number-columns-repeated="{n}"/>'
                          for n, filled in cells], repeat)
    if trailing:
        xml += '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    d = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    try:
        path = H._ods_from_content(d, "g.ods", H.ods_content(xml))
        got = check_spreadsheet(path)
        for height, width in _calamine_shape(path):
            assert height * width <= got.cells, (height, width, got)
    finally:
        shutil.rmtree(d, ignore_errors=True)


@H.fuzz_settings(ci=200, campaign=20000)
@given(text=st.one_of(st.text(max_size=40), st.from_regex(r"[-+(]?[0-9 .,\u00a0eE€]{1,30}\)?", fullmatch=True),
                      st.from_regex(r"[0-9]{1,6}[-/._][0-9]{1,4}([-/._][0-9]{1,6})?", fullmatch=True)))
def test_cell_parsers_raise_only_cell_error(text):
    """Every cell parser returns a value or raises CellError (the loaders turn it into a reject);
    never another exception (ValueError from a calendar, OverflowError from a huge number)."""
    H.tally("cells")
    for parse in (parse_amount, parse_date, parse_period):
        try:
            parse(text)
        except CellError:
            pass
    for parse in (company_identifier, rna_identifier, postal_code, insee_commune):
        parse(text)
    try:
        value = check_quantity(parse_amount(text), text, euros=True)
    except CellError:
        return
    assert math.isfinite(value) and 0 <= value <= MAX_EUROS


def test_zip_guard_summary_of_an_ordinary_workbook(tmp_path):
    path = H.write_xlsx(tmp_path / "m.xlsx", {"Membres": H.members_rows(3), "Autre": [["a", "b", "c"]]})
    got = check_spreadsheet(path)
    assert (got.rows, got.columns) == (4, 3) and got.uncompressed > got.compressed
    with zipfile.ZipFile(path) as z:
        assert got.members == len(z.infolist())
