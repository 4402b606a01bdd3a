"""Hostile inputs for every loader: files that must be refused with a clear error, or loaded
with the bad rows rejected (or flagged) for a reason — never a hang, a crash, a traceback or a
partial write.

Every file is **generated at test time** into a temporary directory: nothing bulky is
committed. A :class:`Case` has a name, a builder writing its file(s), the format to force (or
None: detected), options, and what must happen:

- :class:`Refused` — :class:`~maillage.loaders.LoadError` whose message names the file and
  holds each of ``says`` (what was expected); the store's content is unchanged, byte for byte
  (:func:`canonical_dump`);
- :class:`Loaded` — the load succeeds, ``rows_read == loaded + merged + rejected``, the rows of
  ``rejected``/``warnings`` are in the rejects file with a reason holding the given words, and
  ``check(store, report)`` finds nothing wrong;
- :class:`Clean` — either of the two (what the spreadsheet reader makes of the file is its
  business, as long as it is one of them).

After every case the store must keep the invariants of :func:`invariants` (finite numbers,
amounts in euros between 0 and :data:`~maillage.loaders.cells.MAX_EUROS`, dates within the
model's years). Cases that could hang or kill the process
(zip bombs, 100 MB lines, deep nesting) run in a child process with a timeout
(:func:`run_isolated`): a hang or a dead child is a failure.

``python tests/hostile_corpus.py --list`` lists the cases; ``scripts/fuzz.py`` runs them all
(the CI slice runs :func:`ci_cases`; :func:`campaign_cases` adds the 100 MB and 1 GiB ones).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import random
import select
import shutil
import struct
import subprocess
import sys
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from _workbooks import write_ods, write_xlsx  # noqa: E402

MB = 1 << 20

# -------------------------------------------------------------------------------------------
# hypothesis profiles: a small deterministic slice in CI, a large one in scripts/fuzz.py

PROFILE_ENV = "MAILLAGE_FUZZ_PROFILE"


def fuzz_profile() -> str:
    """``ci`` (default) or ``campaign`` (set by ``scripts/fuzz.py``)."""
    return "campaign" if os.environ.get(PROFILE_ENV) == "campaign" else "ci"


def fuzz_settings(ci: int, campaign: int, **kw):
    """Hypothesis settings for a property: ``ci`` examples, derandomized (the same examples on
    every run), or ``campaign`` random examples under ``scripts/fuzz.py``."""
    from hypothesis import HealthCheck, settings

    common = dict(deadline=None, database=None, print_blob=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])
    common.update(kw)
    if fuzz_profile() == "campaign":
        scale = float(os.environ.get("MAILLAGE_FUZZ_SCALE", "1") or 1)
        return settings(max_examples=max(1, int(campaign * scale)), derandomize=False, **common)
    return settings(max_examples=ci, derandomize=True, **common)


TALLY: dict[str, int] = {}


def tally(name: str) -> None:
    """Count one example tried by property ``name`` (read by ``scripts/fuzz.py``)."""
    TALLY[name] = TALLY.get(name, 0) + 1


# -------------------------------------------------------------------------------------------
# expectations and cases

@dataclass(frozen=True)
class Refused:
    says: tuple[str, ...] = ()


@dataclass(frozen=True)
class Loaded:
    rejected: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    check: Callable[[Any, Any], list[str]] | None = None


@dataclass(frozen=True)
class Clean:
    pass


@dataclass(frozen=True)
class Case:
    name: str
    category: str
    build: Callable[[Path], Path]
    expect: Refused | Loaded | Clean
    format: str | None = None
    options: dict[str, Any] | Callable[[Path], dict[str, Any]] | None = None
    isolate: bool = False
    campaign_only: bool = False
    timeout: float = 60.0

    def opts(self, d: Path) -> dict[str, Any]:
        if callable(self.options):
            return self.options(d)
        return dict(self.options or {})


# -------------------------------------------------------------------------------------------
# valid pieces the hostile files are made of

def luhn_complete(body: str) -> str:
    """``body`` + the Luhn check digit (SIREN and SIRET keys)."""
    total = 0
    for i, ch in enumerate(reversed(body + "0")):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def siret(n: int) -> str:
    siren = luhn_complete(f"{n:08d}")
    return luhn_complete(siren + "0001")


REGION_SIRET = "23350001600040"  # Région Bretagne (SCDL example)
SCDL_HEADER = ["nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
               "idBeneficiaire", "objet", "montant", "nature", "conditionsVersement", "datesPeriodeVersement",
               "idRAE", "notificationUE", "pourcentageSubvention"]


def scdl_row(i: int, **over) -> list[str]:
    row = {"nomAttribuant": "Région Bretagne", "idAttribuant": REGION_SIRET, "dateConvention": "2019-03-01",
           "referenceDecision": f"D{i}", "nomBeneficiaire": f"Coopérative n°{i}", "idBeneficiaire": siret(31000000 + i),
           "objet": "Fonctionnement", "montant": "1200.50", "nature": "aide en numéraire",
           "conditionsVersement": "unique", "datesPeriodeVersement": "2019-04-01", "idRAE": "",
           "notificationUE": "non", "pourcentageSubvention": "1"}
    row.update(over)
    return [row[c] for c in SCDL_HEADER]


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_lines(path: Path, records: list[Any]) -> Path:
    """JSON lines; a ``bytes`` item is written as is (a hostile line)."""
    with path.open("wb") as f:
        for r in records:
            if not isinstance(r, bytes):
                try:
                    r = orjson.dumps(r)
                except TypeError:  # integers beyond 64 bits: JSON allows them, orjson does not write them
                    r = json.dumps(r, ensure_ascii=False).encode()
            f.write(r)
            f.write(b"\n")
    return path


def jactor(key: str, name: str, family: str = "ess", **extra) -> dict:
    return {"record": "actor", "key": key, "name": name, "family": family,
            "provenance": {"document": "hostile", "locator": "L1", "certainty": "stated"}, **extra}


def jrel(rtype: str, source: str, target: str, fields: dict | None = None, **extra) -> dict:
    return {"record": "relation", "type": rtype, "source": source, "target": target, "fields": fields or {},
            "provenance": {"document": "hostile", "locator": "L2", "certainty": "stated"}, **extra}


JHEADER = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": "hostile"}


def fent(eid: str, schema: str, **props) -> dict:
    return {"id": eid, "schema": schema,
            "properties": {k: v if isinstance(v, list) else [v] for k, v in props.items()}}


FTM_BASE = [fent("org1", "Organization", name="Les Amis du Quartier", country="fr"),
            fent("org2", "Company", name="SCOP Ouvrière", jurisdiction="fr")]


def popolo_doc(**over) -> dict:
    doc = {"persons": [{"id": "p1", "name": "Jeanne Martin"}],
           "organizations": [{"id": "cm", "name": "Conseil municipal de Roques", "classification": "legislature"},
                             {"id": "asso", "name": "Les Amis du Quartier", "classification": "ngo"}],
           "memberships": [{"person_id": "p1", "organization_id": "asso", "role": "trésorière"}]}
    doc.update(over)
    return doc


MEMBERS_HEADER = ["Nom", "SIRET", "Commune"]


def members_rows(n: int = 3) -> list[list[str]]:
    return [MEMBERS_HEADER] + [[f"Association hostile {i}", siret(32000000 + i), "Lille"] for i in range(n)]


KUMU_ELEMENTS = [["Label", "Type"], ["PTCE Hostile", "PTCE"], ["Coop Alpha", "SCIC"], ["Asso Beta", "Association"],
                 ["Région Test", "Collectivité"]]
KUMU_CONNECTIONS = [["From", "To", "Type", "Montant", "Début"],
                    ["Coop Alpha", "PTCE Hostile", "membre de", "", ""]]
SIRENE_HEADER = ("siren,statutDiffusionUniteLegale,identifiantAssociationUniteLegale,categorieEntreprise,"
                 "etatAdministratifUniteLegale,nomUniteLegale,prenom1UniteLegale,denominationUniteLegale,"
                 "sigleUniteLegale,categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,nicSiegeUniteLegale,"
                 "economieSocialeSolidaireUniteLegale")
ODF_HEADER = ["COLL_NOM", "COLL_SIRET", "ATTRIB_NOM", "ATTRIB_SIRET", "ANNEE", "SUB_OBJET", "SUB_MONTANT"]
SUBSIDY_MAPPING = {"version": 1, "title": "Commune hostile",
                   "attribuant": {"name": {"value": "Commune de Roques"}, "id": {"value": "213104581"}},
                   "beneficiaire": {"name": "asso", "id": "siret"},
                   "grant": {"year": "annee", "amount": "vote"}}


def subsidy_mapping(d: Path, mapping: dict | None = None, text: str | None = None) -> dict[str, Any]:
    import yaml

    p = d / "mapping.yaml"
    p.write_text(text if text is not None else yaml.safe_dump(mapping or SUBSIDY_MAPPING, allow_unicode=True),
                 encoding="utf-8")
    return {"mapping": str(p)}


def put(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def put_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def noise(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


# -------------------------------------------------------------------------------------------
# zip surgery for bombs

def zip_with(path: Path, members: dict[str, bytes], level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def replace_member(src: Path, dst: Path, name: str, data: bytes | Callable[[Any], None]) -> Path:
    """Copy a zip, with member ``name`` replaced by ``data`` (or written by ``data(file)``)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for info in zin.infolist():
            if info.filename != name:
                zout.writestr(info.filename, zin.read(info.filename))
        if callable(data):
            with zout.open(name, "w", force_zip64=True) as f:
                data(f)
        else:
            zout.writestr(name, data)
    return dst


def zeros_writer(n_bytes: int, prefix: bytes = b"") -> Callable[[Any], None]:
    def write(f) -> None:
        f.write(prefix)
        chunk = b"\0" * MB
        left = n_bytes
        while left > 0:
            f.write(chunk[:min(MB, left)])
            left -= MB
    return write


def patch_sizes(path: Path, member: str, *, uncompressed: int | None = None, flags: int | None = None,
                method: int | None = None) -> Path:
    """Rewrite what the zip's headers declare about ``member`` (local header and central
    directory), leaving its data as is: a lying zip."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    # (signature, offset of the name length, header size, offsets of size, flags, method):
    # the local file header, then the central directory entry (APPNOTE.TXT 4.3.7, 4.3.12)
    for sig, name_len, head, (o_size, o_flags, o_method) in ((b"PK\x03\x04", 26, 30, (22, 6, 8)),
                                                             (b"PK\x01\x02", 28, 46, (24, 8, 10))):
        i = 0
        while (i := data.find(sig, i)) != -1:
            n = struct.unpack_from("<H", data, i + name_len)[0]
            if bytes(data[i + head:i + head + n]) == name:
                for fmt, off, value in (("<I", o_size, uncompressed), ("<H", o_flags, flags), ("<H", o_method, method)):
                    if value is not None:
                        struct.pack_into(fmt, data, i + off, value)
            i += 4
    path.write_bytes(bytes(data))
    return path


SHEET = "xl/worksheets/sheet1.xml"


def sheet_xml(rows: list[list[tuple[str, str]]] | str, extra: str = "") -> bytes:
    """A SpreadsheetML sheet: rows of (ref, inline text) cells, or raw ``<sheetData>`` content."""
    if isinstance(rows, str):
        body = rows
    else:
        body = ""
        for r in rows:
            n = "".join(ch for ch in r[0][0] if ch.isdigit())
            body += f'<row r="{n}">' + "".join(
                f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>' for ref, text in r) + "</row>"
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{extra}'
            f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{body}</sheetData></worksheet>").encode()


def members_xlsx(d: Path, name: str = "membres.xlsx") -> Path:
    return write_xlsx(d / name, {"Membres": members_rows()})


ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def ods_content(rows_xml: str, name: str = "Membres") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} office:version="1.2">'
            f'<office:body><office:spreadsheet><table:table table:name="{name}">{rows_xml}</table:table>'
            "</office:spreadsheet></office:body></office:document-content>").encode()


def ods_cell(text: str, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{rep}><text:p>{text}</text:p></table:table-cell>'


def ods_row(cells: list[str], repeat: int = 1) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>" + "".join(cells) + "</table:table-row>"


ODS_HEADER_ROW = ods_row([ods_cell("Nom"), ods_cell("Commune")])


# -------------------------------------------------------------------------------------------
# checks used by several cases

def names_present(*names: str) -> Callable[[Any, Any], list[str]]:
    def check(store, report) -> list[str]:
        have = {a.name for a in store.iter_actors(include_persons=True)}
        return [f"no actor named {n!r} (names are stored as written, never evaluated)" for n in names if n not in have]
    return check


def no_amount_in(locators: set[str] | None = None) -> Callable[[Any, Any], list[str]]:
    """The ties of this load whose amount was refused carry no amount at all."""
    def check(store, report) -> list[str]:
        bad = []
        for r in store.relations():
            if r.provenance.source != report.source or (locators and r.provenance.locator not in locators):
                continue
            if "amount" in r.fields:
                bad.append(f"{r.provenance.locator}: amount {r.fields['amount']!r} kept")
        return bad
    return check


def graph_walks_terminate(store, report) -> list[str]:
    """Walking a graph with cycles terminates: neighbourhoods and pôle subgraphs of every actor
    of the source."""
    ids = set(store.resolution_of(report.source).values())
    for a in ids:
        store.neighbourhood(a, depth=3)
    return [] if ids else ["the cycle was not loaded"]


# -------------------------------------------------------------------------------------------
# the corpus

def _deep(depth: int, leaf: bytes = b"1") -> bytes:
    return b"[" * depth + leaf + b"]" * depth


def _long_csv(d: Path, size: int) -> Path:
    p = d / "ligne-longue.csv"
    with p.open("wb") as f:
        f.write(b"Nom;Commune\n")
        chunk = b"a" * MB
        left = size
        while left > 0:
            f.write(chunk[:min(MB, left)])
            left -= MB
    return p


def _long_json_line(d: Path, name: str, size: int, prefix: bytes, suffix: bytes, first: bytes | None) -> Path:
    p = d / name
    with p.open("wb") as f:
        if first is not None:
            f.write(first + b"\n")
        f.write(prefix)
        chunk = b"a" * MB
        left = size
        while left > 0:
            f.write(chunk[:min(MB, left)])
            left -= MB
        f.write(suffix)
    return p


def _xlsx_bomb(d: Path, n_bytes: int) -> Path:
    base = write_xlsx(d / "base.xlsx", {"Feuil1": [["nomAttribuant", "idAttribuant", "nomBeneficiaire", "montant"]]})
    out = replace_member(base, d / "bombe.xlsx", SHEET, zeros_writer(n_bytes))
    base.unlink()
    return out


def _ods_bomb(d: Path, n_bytes: int) -> Path:
    base = write_ods(d / "base.ods", {"Membres": [["Nom", "Commune"], ["A", "B"]]})
    out = replace_member(base, d / "bombe.ods", "content.xml", zeros_writer(n_bytes, prefix=b"<?xml"))
    base.unlink()
    return out


def _lying(d: Path) -> Path:
    p = _xlsx_bomb(d, 64 * MB)
    return patch_sizes(p, SHEET, uncompressed=4096)


def _declared(d: Path) -> Path:
    p = members_xlsx(d)
    return patch_sizes(p, SHEET, uncompressed=0xFFFF0000)


def _many_members(d: Path) -> Path:
    p = members_xlsx(d)
    with zipfile.ZipFile(p, "a") as z:
        for i in range(10_001):
            z.writestr(f"xl/media/vide{i}.bin", b"")
    return p


def _far_cell_xlsx(d: Path, ref: str = "XFD1048576", sheet_name: str | None = None, kumu: bool = False) -> Path:
    if kumu:
        base = write_xlsx(d / "base.xlsx", {"Elements": KUMU_ELEMENTS, "Connections": KUMU_CONNECTIONS})
    else:
        base = members_xlsx(d, "base.xlsx")
    rows = [[("A1", "Label" if kumu else "Nom"), ("B1", "Type" if kumu else "Commune")],
            [("A2", "Coop Alpha"), ("B2", "SCIC" if kumu else "Lille")], [(ref, "x")]]
    out = replace_member(base, d / "lointain.xlsx", SHEET, sheet_xml(rows))
    base.unlink()
    return out


def _ods_from_content(d: Path, name: str, content: bytes) -> Path:
    base = write_ods(d / "base.ods", {"Membres": [["Nom"]]})
    out = replace_member(base, d / name, "content.xml", content)
    base.unlink()
    return out


def _formula_xlsx(d: Path) -> Path:
    base = members_xlsx(d, "base.xlsx")
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c><c r="B1" t="inlineStr"><is><t>Commune</t></is></c></row>'
            '<row r="2"><c r="A2" t="str"><f>HYPERLINK("http://exemple.invalid","Asso Lien")</f><v>Asso Lien</v></c>'
            '<c r="B2" t="inlineStr"><is><t>Lille</t></is></c></row>'
            '<row r="3"><c r="A3"><f>1+1</f></c><c r="B3" t="inlineStr"><is><t>Lille</t></is></c></row>'
            '<row r="4"><c r="A4" t="inlineStr"><is><t>=HYPERLINK("http://exemple.invalid","x")</t></is></c>'
            '<c r="B4" t="inlineStr"><is><t>Lille</t></is></c></row>')
    out = replace_member(base, d / "formules.xlsx", SHEET, sheet_xml(rows))
    base.unlink()
    return out


def _laughs_xlsx(d: Path) -> Path:
    ents = '<!ENTITY a "hahahahahahahahahaha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    doctype = f"<!DOCTYPE worksheet [{ents}]>"
    base = members_xlsx(d, "base.xlsx")
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c><c r="B1" t="inlineStr"><is><t>Commune</t></is></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>&j;</t></is></c><c r="B2" t="inlineStr"><is><t>Lille</t></is></c></row>')
    out = replace_member(base, d / "rires.xlsx", SHEET, sheet_xml(rows, extra=doctype))
    base.unlink()
    return out


def _truncated(d: Path) -> Path:
    src = write_xlsx(d / "base.xlsx", {"Feuil1": [SCDL_HEADER, scdl_row(1)]})
    data = src.read_bytes()
    src.unlink()
    p = d / "tronque.xlsx"
    p.write_bytes(data[: len(data) // 2])
    return p


def _dates_xlsx(d: Path) -> Path:
    import datetime as dt

    rows = [SCDL_HEADER, scdl_row(1)]
    rows[1][SCDL_HEADER.index("dateConvention")] = dt.datetime(9999, 12, 31)
    return write_xlsx(d / "dates.xlsx", {"Feuil1": rows})


def _popolo_deep_item(d: Path) -> Path:
    doc = popolo_doc()
    raw = orjson.dumps(doc)
    deep = _deep(1000, b'{"name":"x"}')
    raw = raw.replace(b'"name":"Jeanne Martin"', b'"name":"Jeanne Martin","other_names":' + deep, 1)
    p = d / "profond.json"
    p.write_bytes(raw)
    return p


def _kumu(d: Path, connections: list[list[str]], name: str = "carte.xlsx") -> Path:
    return write_xlsx(d / name, {"Elements": KUMU_ELEMENTS, "Connections": [KUMU_CONNECTIONS[0]] + connections})


def _cycle_jsonl(d: Path) -> Path:
    return write_lines(d / "cycle.jsonl", [
        JHEADER, jactor("a", "Réseau A", "network"), jactor("b", "Réseau B", "network"),
        jactor("c", "Réseau C", "network"), jrel("membership", "a", "b"), jrel("membership", "b", "c"),
        jrel("membership", "c", "a"), jrel("cooperates", "a", "c", {"form": "mutualisation"})])


def cases() -> list[Case]:
    """The whole corpus, CI and campaign cases."""
    C: list[Case] = []
    add = C.append
    pole = {"pole": "Pôle hostile"}

    # -- encodings ---------------------------------------------------------------------------
    add(Case("enc-utf16le-members", "encodings",
             lambda d: write_csv(d / "membres.csv", [MEMBERS_HEADER, ["Coopérative Élan", siret(33000001), "Lille"]],
                                 encoding="utf-16"),
             Loaded(check=names_present("Coopérative Élan")), "members", pole))
    add(Case("enc-utf16-odd-length", "encodings",
             lambda d: put(d / "impair.csv", "\ufeffNom;Commune\nA;B\n".encode("utf-16-le") + b"\x00\xd8\x41"), Refused(("byte-order mark",)), "members", pole))
    add(Case("enc-utf32-scdl", "encodings",
             lambda d: write_csv(d / "scdl32.csv", [SCDL_HEADER, scdl_row(1, nomBeneficiaire="Société Coopérative Été")],
                                 encoding="utf-32"),
             Loaded(check=names_present("Société Coopérative Été")), "scdl"))
    add(Case("enc-ebcdic-members", "encodings",
             lambda d: write_csv(d / "ebcdic.csv", members_rows(), encoding="cp500"),
             Refused(("no column holds",)), "members", pole))
    add(Case("enc-mixed-utf8-cp1252-members", "encodings",
             lambda d: put(d / "melange.csv", 
                 "Nom;Commune\nCoopérative Été;Lille\n".encode("utf-8") + "Association Éloïse;Sète\n".encode("cp1252")),
             Loaded(check=names_present("Coopérative Été", "Association Éloïse")), "members", pole))
    add(Case("enc-latin1-jsonl", "encodings",
             lambda d: write_lines(d / "latin1.jsonl", [JHEADER, jactor("a", "Alpha"),
                                                        orjson.dumps(jactor("b", "Été")).replace("Été".encode(), "Été".encode("latin-1"))]),
             Loaded(rejected={"3": "not valid JSON: not UTF-8: byte 0xC9 at column"}), "maillage-jsonl"))
    add(Case("enc-latin1-ftm", "encodings",
             lambda d: write_lines(d / "latin1.ftm.json", [*FTM_BASE, orjson.dumps(fent("o3", "Organization", name="Été"))
                                                           .replace("Été".encode(), "Été".encode("latin-1"))]),
             Loaded(rejected={"3": "not valid JSON: not UTF-8: byte 0xC9 at column"}), "ftm"))
    add(Case("enc-latin1-popolo", "encodings",
             lambda d: put(d / "latin1.json", orjson.dumps(popolo_doc()).replace(b"Jeanne", "Jéanne".encode("latin-1"))),
             Refused(("not a JSON document (not UTF-8: byte 0xE9 at column",)), "popolo"))
    add(Case("enc-lone-surrogate-jsonl", "encodings",
             lambda d: write_lines(d / "surrogate.jsonl", [JHEADER, jactor("a", "Alpha"),
                                                           b'{"record":"actor","key":"b","name":"\\ud800","family":"ess"}']),
             Loaded(rejected={"3": "not valid JSON"}), "maillage-jsonl"))

    # -- binary junk -------------------------------------------------------------------------
    add(Case("junk-random-autodetect", "binary junk",
             lambda d: put(d / "bruit.csv", b"\x00" + noise(50_000, 1)),
             Refused(("cannot tell the format",))))
    for fmt, suffix, says in [("members", ".csv", "binary file"), ("places", ".csv", "binary file"),
                              ("scdl", ".csv", "binary file"), ("odf-subventions", ".csv", "binary file"),
                              ("sirene", ".csv", "binary file"), ("kumu", ".xlsx", "cannot"),
                              ("ftm", ".json", "not JSON"), ("popolo", ".json", "not a JSON document"),
                              ("subsidies", ".csv", "binary file")]:
        add(Case(f"junk-random-{fmt}", "binary junk",
                 lambda d, s=suffix: put(d / f"bruit{s}", b"\x00\x01" + noise(20_000, 2)),
                 Refused((says,)), fmt, (lambda d: subsidy_mapping(d)) if fmt == "subsidies" else None))
    add(Case("junk-random-jsonl", "binary junk",
             lambda d: put(d / "bruit.jsonl", b"{" + noise(20_000, 3).replace(b"\n", b" ")),
             Loaded(rejected={"1": "not valid JSON"}), "maillage-jsonl"))
    add(Case("junk-png-as-csv", "binary junk",
             lambda d: put(d / "image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise(5000, 4)),
             Refused(("an image (PNG)",)), "members", pole))
    for fmt, suffix, says in [("members", ".csv", "empty"), ("scdl", ".csv", "empty"), ("sirene", ".csv", "empty"),
                              ("ftm", ".json", "no entity"), ("popolo", ".json", "not a JSON document"),
                              ("maillage-jsonl", ".jsonl", "empty"), ("kumu", ".xlsx", "cannot")]:
        add(Case(f"junk-empty-{fmt}", "binary junk",
                 lambda d, s=suffix: put(d / f"vide{s}", b""), Refused((says,)), fmt))
    add(Case("junk-empty-autodetect", "binary junk", lambda d: put(d / "vide.csv", b""),
             Refused(("the file is empty (0 bytes)",))))
    add(Case("junk-folder", "binary junk", lambda d: (d / "dossier").mkdir() or d / "dossier",
             Refused(("is a folder, not a file",))))
    add(Case("junk-truncated-xlsx", "binary junk", _truncated, Refused(("damaged",)), "scdl"))
    add(Case("junk-ods-named-xlsx", "binary junk",
             lambda d: write_ods(d / "x.ods", {"Membres": members_rows()}).rename(d / "deguise.xlsx") or d / "deguise.xlsx",
             Clean(), "members", pole))
    add(Case("junk-nul-after-4k", "binary junk",
             lambda d: write_csv(d / "nul.csv", [MEMBERS_HEADER] + [[f"Asso {i} " + "x" * 50, siret(34000000 + i), "Lille"]
                                                                     for i in range(80)] + [["Asso\x00NUL", "", "Lille"]]),
             Loaded(), "members", pole))
    add(Case("junk-directory", "binary junk", lambda d: (d / "dossier.csv").mkdir() or d / "dossier.csv",
             Refused(("is a folder, not a file",)), "members"))
    add(Case("junk-missing", "binary junk", lambda d: d / "absent.csv", Refused(("no such file",)), "members"))
    add(Case("junk-unknown-format", "binary junk", lambda d: write_csv(d / "m.csv", members_rows()),
             Refused(("unknown format",)), "nope"))

    # -- long lines --------------------------------------------------------------------------
    # CI: 17 MiB, just over the 16 MiB a field or a JSON line may hold; campaign: 100 MB
    for size, campaign in ((17 * MB, False), (100 * MB, True)):
        tag = f"{size // MB}mb"
        add(Case(f"line-{tag}-members-csv", "long lines", lambda d, s=size: _long_csv(d, s),
                 Refused(("longer than",)), "members", pole, isolate=True, campaign_only=campaign))
        add(Case(f"line-{tag}-autodetect-csv", "long lines", lambda d, s=size: _long_csv(d, s),
                 Refused(()), None, None, isolate=True, campaign_only=True))
        add(Case(f"line-{tag}-sirene", "long lines",
                 lambda d, s=size: _long_json_line(d, "sirene.csv", s, b"", b"\n", SIRENE_HEADER.encode()),
                 Refused(("longer than",)), "sirene", isolate=True, campaign_only=True))
        add(Case(f"line-{tag}-jsonl", "long lines",
                 lambda d, s=size: _long_json_line(d, "long.jsonl", s, b'{"record":"actor","key":"x","family":"ess","name":"',
                                                   b'"}\n' + orjson.dumps(jactor("ok", "Court")) + b"\n", orjson.dumps(JHEADER)),
                 Loaded(rejected={"2": "longer than"}), "maillage-jsonl", isolate=True, campaign_only=campaign))
        add(Case(f"line-{tag}-ftm", "long lines",
                 lambda d, s=size: _long_json_line(d, "long.ftm.json", s, b'{"id":"big","schema":"Organization","properties":{"name":["',
                                                   b'"]}}\n', orjson.dumps(FTM_BASE[0])),
                 Loaded(rejected={"2": "longer than"}), "ftm", isolate=True, campaign_only=campaign))
        add(Case(f"line-{tag}-popolo", "long lines",
                 lambda d, s=size: _long_json_line(d, "long.json", s, b'{"persons":[{"id":"p","name":"', b'"}]}', None),
                 Loaded(rejected={"1": "longer than"}), "popolo", isolate=True, campaign_only=campaign))

    # -- zip bombs and cell-extent bombs -------------------------------------------------------
    add(Case("zip-ratio-bomb-xlsx", "zip bombs", lambda d: _xlsx_bomb(d, 64 * MB), Refused(("zip bomb",)), "scdl",
             isolate=True))
    add(Case("zip-ratio-bomb-ods-autodetect", "zip bombs", lambda d: _ods_bomb(d, 64 * MB), Refused(("zip bomb",)),
             isolate=True))
    add(Case("zip-1gib-bomb-xlsx", "zip bombs", lambda d: _xlsx_bomb(d, 1024 * MB), Refused(("would expand",)),
             "members", pole, isolate=True, campaign_only=True, timeout=180))
    add(Case("zip-declares-4gib", "zip bombs", _declared, Refused(("would expand",)), "members", pole, isolate=True))
    add(Case("zip-lying-header", "zip bombs", _lying, Refused(("holds more than",)), None, isolate=True))
    add(Case("zip-10001-members", "zip bombs", _many_members, Refused(("members",)), "members", pole, isolate=True))
    add(Case("zip-encrypted-flag", "zip bombs", lambda d: patch_sizes(members_xlsx(d), SHEET, flags=1),
             Refused(("encrypted",)), "members", pole))
    add(Case("zip-bzip2-method", "zip bombs", lambda d: patch_sizes(members_xlsx(d), SHEET, method=12),
             Refused(("compression method",)), "members", pole))
    add(Case("cells-far-cell-xlsx-autodetect", "zip bombs", _far_cell_xlsx, Refused(("cells",)), isolate=True))
    add(Case("cells-far-cell-kumu", "zip bombs", lambda d: _far_cell_xlsx(d, kumu=True), Refused(("cells",)), "kumu",
             isolate=True))
    add(Case("cells-far-row-scdl", "zip bombs", lambda d: _far_cell_xlsx(d, ref="Z1000000"), Refused(("cells",)),
             "scdl", isolate=True))
    add(Case("cells-repeat-bomb-ods", "zip bombs",
             lambda d: _ods_from_content(d, "repete.ods", ods_content(ODS_HEADER_ROW + ods_row([ods_cell("x", 16384)], 1_048_575))),
             Refused(("cells",)), "members", pole, isolate=True))
    add(Case("cells-repeat-20m-ods", "zip bombs",
             lambda d: _ods_from_content(d, "repete20m.ods", ods_content(ODS_HEADER_ROW + ods_row([ods_cell("x", 200)], 100_000))),
             Refused(("cells",)), "members", pole, isolate=True))
    add(Case("cells-trailing-empties-ods", "zip bombs",
             lambda d: _ods_from_content(d, "libreoffice.ods", ods_content(
                 ODS_HEADER_ROW + ods_row([ods_cell("Coop Gamma"), ods_cell("Lille")])
                 + '<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>')),
             Loaded(check=names_present("Coop Gamma")), "members", pole, isolate=True))
    add(Case("xml-billion-laughs-xlsx", "zip bombs", _laughs_xlsx, Clean(), "members", pole, isolate=True))

    # -- formulas ----------------------------------------------------------------------------
    add(Case("formula-text-csv", "formulas",
             lambda d: write_csv(d / "formules.csv", [MEMBERS_HEADER, ['=HYPERLINK("http://exemple.invalid","clic")', "", "Lille"],
                                                      ["+SUM(1;2)", "", "Lille"], ["@cmd", "", "Lille"], ["-2+3", "", "Lille"]]),
             Loaded(check=names_present('=HYPERLINK("http://exemple.invalid","clic")', "+SUM(1;2)", "@cmd", "-2+3")),
             "members", pole))
    add(Case("formula-cells-xlsx", "formulas", _formula_xlsx,
             Loaded(rejected={"3": "name"}, check=names_present("Asso Lien", '=HYPERLINK("http://exemple.invalid","x")')),
             "members", pole))
    add(Case("formula-ods-cached-value", "formulas",
             lambda d: _ods_from_content(d, "formule.ods", ods_content(
                 ODS_HEADER_ROW + '<table:table-row><table:table-cell table:formula="of:=1+1" office:value-type="float" '
                 'office:value="2"><text:p>2</text:p></table:table-cell><table:table-cell office:value-type="string">'
                 '<text:p>Lille</text:p></table:table-cell></table:table-row>'
                 + ods_row([ods_cell("=HYPERLINK(&quot;http://exemple.invalid&quot;)"), ods_cell("Lille")]))),
             Loaded(check=names_present('=HYPERLINK("http://exemple.invalid")')), "members", pole))
    add(Case("formula-kumu-amount", "formulas",
             lambda d: _kumu(d, [["Région Test", "Asso Beta", "finance", "=1e308*10", ""]]),
             Loaded(check=no_amount_in()), "kumu"))  # a formula cell: its cached value (none) is read, never evaluated

    # -- deep nesting ------------------------------------------------------------------------
    add(Case("nest-100k-jsonl", "deep nesting",
             lambda d: write_lines(d / "profond.jsonl", [JHEADER, _deep(100_000), jactor("a", "Alpha")]),
             Loaded(rejected={"2": "not valid JSON"}), "maillage-jsonl", isolate=True))
    add(Case("nest-1000-jsonl", "deep nesting",
             lambda d: write_lines(d / "profond1000.jsonl", [JHEADER, _deep(1000), jactor("a", "Alpha"),
                                                             b'{"record":"actor","key":"b","name":"B","family":"ess","attributes":'
                                                             + _deep(1000) + b"}"]),
             Loaded(rejected={"2": "JSON object", "4": "dictionary"}), "maillage-jsonl", isolate=True))
    add(Case("nest-100k-ftm-first-line", "deep nesting",
             lambda d: write_lines(d / "profond.ftm.json", [_deep(100_000)]), Refused(("not JSON",)), "ftm", isolate=True))
    add(Case("nest-1000-ftm", "deep nesting",
             lambda d: write_lines(d / "profond1000.ftm.json", [*FTM_BASE, _deep(1000), _deep(100_000)]),
             Loaded(rejected={"3": "JSON object", "4": "not valid JSON"}), "ftm", isolate=True))
    add(Case("nest-100k-popolo", "deep nesting",
             lambda d: put(d / "profond.json", b'{"persons":' + _deep(100_000) + b"}"),
             Refused(("not a JSON document",)), "popolo", isolate=True))
    add(Case("nest-1000-popolo-item", "deep nesting", _popolo_deep_item, Loaded(), "popolo", isolate=True))
    add(Case("nest-1000-popolo-section", "deep nesting",
             lambda d: put(d / "section.json", b'{"persons":[' + _deep(1000) + b'],"organizations":[]}'), Loaded(rejected={"1": "JSON object"}), "popolo", isolate=True))
    add(Case("nest-yaml-alias-bomb-mapping", "deep nesting", lambda d: write_csv(d / "subs.csv", [["annee", "asso", "siret", "vote"],
                                                                                              ["2021", "Les Amis", "", "10"]]),
             Refused(("mapping",)), "subsidies",
             lambda d: subsidy_mapping(d, text="a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
                 f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))
                 + "version: 1\nattribuant: *j\nbeneficiaire: *j\ngrant: *j\n"), isolate=True))

    # -- duplicate ids -----------------------------------------------------------------------
    add(Case("dup-jsonl-keys", "duplicate ids",
             lambda d: write_lines(d / "doublons.jsonl", [JHEADER, jactor("a", "Alpha"), jactor("a", "Alpha bis")]),
             Loaded(rejected={"3": "already used"}), "maillage-jsonl"))
    add(Case("dup-popolo-ids", "duplicate ids",
             lambda d: put(d / "doublons.json", orjson.dumps(popolo_doc(
                 organizations=[{"id": "p1", "name": "Org P1"}, {"id": "asso", "name": "Les Amis"}]))),
             Loaded(rejected={"2": "already used"}), "popolo"))
    add(Case("dup-ftm-ids", "duplicate ids",
             lambda d: write_lines(d / "doublons.ftm.json", [*FTM_BASE, fent("org1", "Organization", alias="LADQ")]),
             Loaded(), "ftm"))
    add(Case("dup-kumu-labels", "duplicate ids",
             lambda d: write_xlsx(d / "doublons.xlsx", {"Elements": KUMU_ELEMENTS + [["Coop Alpha", "Association"]],
                                                        "Connections": KUMU_CONNECTIONS}), Loaded(), "kumu"))
    add(Case("dup-members-rows", "duplicate ids",
             lambda d: write_csv(d / "doublons.csv", members_rows(2) + members_rows(2)[1:]), Loaded(), "members", pole))
    add(Case("dup-scdl-rows", "duplicate ids",
             lambda d: write_csv(d / "doublons.csv", [SCDL_HEADER, scdl_row(1), scdl_row(1)]), Loaded(), "scdl"))
    add(Case("dup-sirene-siren", "duplicate ids",
             lambda d: put_text(d / "doublons.csv", SIRENE_HEADER + "\n" + ("441370806,O,,PME,A,,,TENNIS,,9220,,,O\n" * 2),
                                                       encoding="utf-8"), Loaded(), "sirene"))

    # -- cycles and self loops -----------------------------------------------------------------
    add(Case("selfloop-jsonl", "cycles and self loops",
             lambda d: write_lines(d / "boucle.jsonl", [JHEADER, jactor("a", "Alpha"), jrel("partner", "a", "a")]),
             Loaded(warnings={"3": "itself"}), "maillage-jsonl"))
    add(Case("selfloop-after-resolution-jsonl", "cycles and self loops",
             lambda d: write_lines(d / "boucle2.jsonl", [
                 JHEADER, jactor("a", "Alpha", identifiers=[{"scheme": "siren", "value": siret(35000001)[:9]}]),
                 jactor("b", "Alpha SA", identifiers=[{"scheme": "siren", "value": siret(35000001)[:9]}]),
                 jrel("partner", "a", "b")]),
             Loaded(warnings={"4": "itself"}), "maillage-jsonl"))
    add(Case("selfloop-kumu", "cycles and self loops",
             lambda d: _kumu(d, [["Coop Alpha", "Coop Alpha", "partenaire de", "", ""]]),
             Loaded(warnings={"Connections!row 2": "itself"}), "kumu"))
    add(Case("selfloop-ftm", "cycles and self loops",
             lambda d: write_lines(d / "boucle.ftm.json", [*FTM_BASE, fent("dir", "Directorship", director="org1",
                                                                           organization="org1")]),
             Loaded(warnings={"3": "itself"}), "ftm"))
    add(Case("selfloop-popolo", "cycles and self loops",
             lambda d: put(d / "boucle.json", orjson.dumps(popolo_doc(
                 memberships=[{"member_id": "asso", "organization_id": "asso"}]))),
             Loaded(warnings={"4": "itself"}), "popolo"))
    add(Case("selfloop-scdl", "cycles and self loops",
             lambda d: write_csv(d / "boucle.csv", [SCDL_HEADER, scdl_row(1, nomBeneficiaire="Région Bretagne",
                                                                           idBeneficiaire=REGION_SIRET)]),
             Loaded(warnings={"2": "itself"}), "scdl"))
    add(Case("cycle-jsonl", "cycles and self loops", _cycle_jsonl, Loaded(check=graph_walks_terminate),
             "maillage-jsonl"))
    add(Case("cycle-kumu", "cycles and self loops",
             lambda d: _kumu(d, [["Coop Alpha", "Asso Beta", "coopère avec", "", ""],
                                 ["Asso Beta", "PTCE Hostile", "membre de", "", ""],
                                 ["PTCE Hostile", "Coop Alpha", "membre de", "", ""]]),
             Loaded(check=graph_walks_terminate), "kumu"))

    # -- dates in the year 9999 (and 0) ----------------------------------------------------------
    add(Case("date-9999-jsonl", "dates",
             lambda d: write_lines(d / "dates.jsonl", [JHEADER, jactor("a", "Alpha"), jactor("b", "Beta"),
                                                       jrel("partner", "a", "b", start="9999-12-31"),
                                                       jrel("partner", "b", "a", end="0000-01-01")]),
             Loaded(rejected={"4": "outside", "5": ""}), "maillage-jsonl"))
    add(Case("date-9999-scdl", "dates",
             lambda d: write_csv(d / "dates.csv", [SCDL_HEADER, scdl_row(1, dateConvention="9999-12-31"),
                                                   scdl_row(2, datesPeriodeVersement="2019-01-01_9999-12-31"),
                                                   scdl_row(3, dateConvention="31/12/9999", datesPeriodeVersement="")]),
             Loaded(warnings={"2": "outside", "3": "outside", "4": "outside"}), "scdl"))
    add(Case("date-9999-xlsx-scdl", "dates", _dates_xlsx, Loaded(warnings={"2": "outside"}), "scdl"))
    add(Case("date-9999-kumu", "dates",
             lambda d: _kumu(d, [["Coop Alpha", "Asso Beta", "partenaire de", "", "9999-12-31"]]),
             Loaded(rejected={"Connections!row 2": "outside"}), "kumu"))
    add(Case("date-9999-ftm", "dates",
             lambda d: write_lines(d / "dates.ftm.json", [*FTM_BASE, fent("m", "Membership", member="org1",
                                                                         organization="org2", startDate="9999-12-31")]),
             Loaded(warnings={"3": "date"}), "ftm"))
    add(Case("date-9999-popolo", "dates",
             lambda d: put(d / "dates.json", orjson.dumps(popolo_doc(memberships=[
                 {"person_id": "p1", "organization_id": "asso", "start_date": "9999-12-31"}]))),
             Loaded(warnings={"4": "date"}), "popolo"))
    add(Case("date-9999-members", "dates",
             lambda d: write_csv(d / "dates.csv", [["Nom", "Commune", "Date d'adhésion"], ["Asso Delta", "Lille", "31/12/9999"]]),
             Loaded(warnings={"2": "outside"}), "members", pole))
    add(Case("date-9999-subsidies", "dates",
             lambda d: write_csv(d / "dates.csv", [["annee", "asso", "siret", "vote"], ["9999", "Les Amis", "", "10"]]),
             Loaded(warnings={"2": "outside"}), "subsidies", lambda d: subsidy_mapping(d)))

    # -- negative or absurd amounts ----------------------------------------------------------
    bad = ["-5", "1e30", "NaN", "inf", "1e400", "−5", "(5)", "-0,01"]
    flagged = [i for i, v in enumerate(bad) if v != "NaN"]  # tables: NaN is a blank cell (pandas writes missing values so)
    add(Case("amount-scdl", "amounts",
             lambda d: write_csv(d / "montants.csv", [SCDL_HEADER] + [scdl_row(i, montant=v) for i, v in enumerate(bad)]),
             Loaded(warnings={str(i + 2): "amount" for i in flagged},
                    check=no_amount_in({f"row {i + 2}" for i in range(len(bad))})), "scdl"))
    add(Case("amount-scdl-share", "amounts",
             lambda d: write_csv(d / "parts.csv", [SCDL_HEADER] + [scdl_row(i, pourcentageSubvention=v)
                                                                    for i, v in enumerate(["NaN", "-1", "1e30", "inf"])]),
             Loaded(warnings={str(i + 2): "share" for i in range(4)}), "scdl"))
    add(Case("amount-odf", "amounts",
             lambda d: write_csv(d / "odf.csv", [ODF_HEADER] + [["Ville de Poitiers", "21860194400013", f"Asso {i}",
                                                                 siret(36000000 + i), "2017", "objet", v]
                                                                for i, v in enumerate(bad)]),
             Loaded(warnings={str(i + 2): "amount" for i in flagged}, check=no_amount_in()), "odf-subventions"))
    add(Case("amount-subsidies", "amounts",
             lambda d: write_csv(d / "subs.csv", [["annee", "asso", "siret", "vote"]] + [["2021", f"Asso {i}", "", v]
                                                                                       for i, v in enumerate(bad)]),
             Loaded(warnings={str(i + 2): "amount" for i in flagged}, check=no_amount_in()), "subsidies",
             lambda d: subsidy_mapping(d)))
    add(Case("amount-kumu", "amounts",
             lambda d: _kumu(d, [["Région Test", "Asso Beta", "finance", v, ""] for v in bad]),
             Loaded(warnings={f"Connections!row {i + 2}": "amount" for i in flagged}, check=no_amount_in()),
             "kumu"))
    add(Case("amount-ftm", "amounts",
             lambda d: write_lines(d / "paiements.ftm.json", [*FTM_BASE] + [
                 fent(f"pay{i}", "Payment", payer="org2", beneficiary="org1", amount=v, currency="EUR")
                 for i, v in enumerate(bad)]),
             Loaded(warnings={str(i + 3): "amount" for i in range(len(bad))}, check=no_amount_in()), "ftm"))
    add(Case("amount-jsonl", "amounts",
             lambda d: write_lines(d / "montants.jsonl", [JHEADER, jactor("a", "Alpha"), jactor("b", "Beta")] + [
                 jrel("funds", "a", "b", {"amount": v, "year": 2020 + i})
                 for i, v in enumerate([-5, 1e30, "NaN", "Infinity", "-0.01"])] + [
                 jrel("funds", "a", "b", {"amount": 1000.0, "year": 2030})]),
             Loaded(rejected={str(i + 4): "amount" for i in range(5)}), "maillage-jsonl"))
    add(Case("amount-jsonl-declared", "amounts",
             lambda d: write_lines(d / "tailles.jsonl", [JHEADER, jactor("a", "Alpha", declared={"jobs": "NaN"}),
                                                         jactor("b", "Beta", declared={"jobs": -3}),
                                                         jactor("c", "Gamma", declared={"budget_eur": 1e30}),
                                                         jactor("e", "Epsilon", declared={"jobs": 12})]),
             Loaded(rejected={"2": "jobs", "3": "jobs", "4": "budget_eur"}), "maillage-jsonl"))

    # -- tables of odd shapes, files with odd names, bad options ----------------------------------
    for width, campaign in ((5_000, False), (100_000, True)):
        add(Case(f"csv-{width // 1000}k-columns", "odd tables",
                 lambda d, w=width: write_csv(d / "large.csv", [["Nom"] + [f"c{i}" for i in range(w)],
                                                                ["Asso Large"] + ["x"] * w]),
                 Loaded(check=names_present("Asso Large")), "members", pole, isolate=True, campaign_only=campaign,
                 timeout=300))
    add(Case("csv-unclosed-quote-scdl", "odd tables",
             lambda d: put_text(d / "guillemet.csv", ";".join(SCDL_HEADER) + "\n" + ";".join(scdl_row(1)) + '\n"'
                                                       + ";".join(scdl_row(2)) + "\n", encoding="utf-8"),
             Loaded(rejected={"3": "bénéficiaire"}), "scdl"))
    add(Case("csv-header-only-scdl", "odd tables",
             lambda d: write_csv(d / "entete.csv", [SCDL_HEADER]), Refused(("no data rows under the header",)), "scdl"))
    add(Case("csv-weird-file-name", "odd tables",
             lambda d: write_csv(d / 'nom\n;"bizarre".csv', members_rows()), Loaded(), "members", pole))
    add(Case("opt-unknown-option", "options", lambda d: write_csv(d / "m.csv", members_rows()),
             Refused(("does not take",)), "members", {"nope": "1"}))
    add(Case("opt-missing-sheet", "options", members_xlsx, Refused(("no sheet named",)), "members",
             {"sheet": "Absente", **pole}))
    add(Case("opt-mapping-missing", "options", lambda d: write_csv(d / "subs.csv", [["annee", "asso"], ["2021", "A"]]),
             Refused(("no such file",)), "subsidies", lambda d: {"mapping": str(d / "absent.yaml")}))
    add(Case("opt-mapping-binary", "options", lambda d: write_csv(d / "subs.csv", [["annee", "asso"], ["2021", "A"]]),
             Refused(("mapping",)), "subsidies",
             lambda d: (d / "bruit.yaml").write_bytes(b"\x00\xff" + noise(500, 5)) and {"mapping": str(d / "bruit.yaml")}))
    return C


def ci_cases() -> list[Case]:
    return [c for c in cases() if not c.campaign_only]


def campaign_cases() -> list[Case]:
    return cases()


# -------------------------------------------------------------------------------------------
# running a case

def canonical_dump(store) -> bytes:
    """Everything a store holds that a load may change, as canonical JSON bytes: its counts
    (``stats()``), every actor (with persons), relation (with provenance), source and
    statement. Two equal dumps: the content did not change."""
    opt = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY

    def dump(x) -> Any:
        return x.model_dump(mode="json") if hasattr(x, "model_dump") else x

    stats = {k: v for k, v in store.stats().items() if k != "store"}
    actors = sorted((dump(a) for a in store.iter_actors(include_persons=True)), key=lambda a: a["id"])
    for a in actors:
        for k, v in a.items():
            if isinstance(v, list) and all(isinstance(x, str) for x in v):
                a[k] = sorted(v)
    relations = sorted((dump(r) for r in store.relations()), key=lambda r: r["id"])
    sources = sorted((dump(s) for s in store.sources()), key=lambda s: s["id"])
    statements = sorted(orjson.dumps([a["id"], dump(st)], option=opt, default=str)
                        for a in actors for st in store.statements(a["id"]))
    return orjson.dumps({"stats": stats, "actors": actors, "relations": relations, "sources": sources,
                         "statements": [s.decode() for s in statements]}, option=opt, default=str)


def invariants(store, source: str | None = None) -> list[str]:
    """What no load may ever leave in a store (for the ties of ``source``, or all): numbers that
    are not finite, amounts in euros below 0 or above ``MAX_EUROS``, dates outside the model's
    years. (A tie from an actor to itself may be a true statement — a Département managing EU
    funds pays itself — and is kept, flagged in the rejects file, left out of projections.)"""
    from maillage.graph.model import year_of
    from maillage.graph.vocabulary import vocabulary
    from maillage.loaders.cells import MAX_EUROS

    problems = []
    for r in store.relations():
        if source and r.provenance.source != source:
            continue
        where = f"relation {r.id} ({r.type}, {r.provenance.source} {r.provenance.locator})"
        for name, value in r.fields.items():
            spec = vocabulary().relation_type(r.type).fields.get(name)
            if isinstance(value, float) and not math.isfinite(value):
                problems.append(f"{where}: {name} = {value!r} is not finite")
            if spec is not None and spec.unit == "EUR" and isinstance(value, int | float) and \
                    not 0 <= value <= MAX_EUROS:
                problems.append(f"{where}: {name} = {value!r} € is negative or absurd")
        for d in (r.start, r.end):
            if d is not None and not 1800 <= year_of(d) <= 2200:
                problems.append(f"{where}: date {d} outside 1800–2200")
    for a in store.iter_actors(include_persons=True):
        for k, v in (a.declared or {}).items():
            if not math.isfinite(v) or v < 0:
                problems.append(f"actor {a.id}: declared {k} = {v!r}")
    return problems


def rejects_rows(report) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 26)
    if not report.rejects_file:
        return []
    with open(report.rejects_file, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def verify(case: Case, result: dict[str, Any], path: Path | None) -> list[str]:
    """What went wrong with a case's result (empty: the case passed)."""
    problems = list(result.get("problems", []))
    kind = result["kind"]
    if kind == "crashed":
        return problems + [f"crashed: {result['error']}"]
    if kind == "refused":
        msg = result["message"]
        if "Traceback" in msg:
            problems.append("the message holds a traceback")
        if path is not None and str(path) not in msg and path.name not in msg and "mapping" not in msg:
            problems.append(f"the message does not name the file: {msg[:200]}")
        if isinstance(case.expect, Loaded):
            problems.append(f"expected a load, got LoadError: {msg[:300]}")
        elif isinstance(case.expect, Refused):
            problems += [f"the message does not say {w!r}: {msg[:300]}" for w in case.expect.says if w not in msg]
        if not result.get("unchanged", False):
            problems.append("a refused file changed the store")
        return problems
    # loaded
    rep = result["report"]
    if isinstance(case.expect, Refused):
        problems.append(f"expected LoadError ({', '.join(case.expect.says)}), the file loaded: {rep}")
    if rep["rows_read"] != rep["loaded"] + rep["merged"] + rep["rejected"]:
        problems.append(f"accounting: {rep}")
    if isinstance(case.expect, Loaded):
        rows = result.get("rejects", [])
        for level, wanted in (("rejected", case.expect.rejected), ("warning", case.expect.warnings)):
            for row, words in wanted.items():
                got = [r["reason"] for r in rows if r["row"] == row and r["level"] == level]
                if not got:
                    problems.append(f"row {row} is not {level} (rejects: "
                                    f"{[(r['row'], r['level'], r['reason'][:80]) for r in rows][:8]})")
                elif not any(words.lower() in g.lower() for g in got):
                    problems.append(f"row {row} {level} without saying {words!r}: {got}")
        rejected_rows = {r["row"] for r in rows if r["level"] == "rejected"}
        if len(rejected_rows) != rep["rejected"]:
            problems.append(f"{rep['rejected']} rows rejected but {len(rejected_rows)} in the rejects file")
    from maillage.loaders.motifs import translated

    untranslated = sorted({r["reason"] for r in result.get("rejects", []) if not translated(r["reason"])})
    if untranslated:  # the rejects file is French by default: each reason needs its wording
        problems.append(f"reasons without a French entry (maillage/loaders/motifs): {untranslated[:3]}")
    return problems


def run_case(case: Case, workdir: Path, store) -> dict[str, Any]:
    """Build the case's file in ``workdir``, load it into ``store`` and say what happened (see
    :func:`verify` for the judgement). Never raises: a crash is a result."""
    from maillage.loaders import LoadError, load_file

    workdir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"name": case.name, "category": case.category}
    try:
        path = case.build(workdir)
        options = case.opts(workdir)
    except Exception as e:  # a broken case is a bug of the corpus, said as such
        why = f"building the case failed: {type(e).__name__}: {e}"
        return {**result, "kind": "crashed", "error": why, "seconds": 0.0, "problems": [why]}
    before = canonical_dump(store)
    t0 = time.perf_counter()
    report = None
    try:
        report = load_file(store, path, format=case.format, options=options, rejects_dir=workdir / "rejects",
                           lang="en")  # the reasons in the words the cases expect
        result["kind"] = "loaded"
    except LoadError as e:
        result.update(kind="refused", message=str(e))
    except BaseException as e:  # noqa: BLE001 - RecursionError, MemoryError, a bug: all are findings
        if isinstance(e, KeyboardInterrupt):
            raise
        result.update(kind="crashed", error=f"{type(e).__name__}: {str(e)[:300]}",
                      traceback=traceback.format_exc()[-2000:])
    result["seconds"] = round(time.perf_counter() - t0, 4)
    try:
        after = canonical_dump(store)
    except Exception as e:  # noqa: BLE001
        why = f"the store cannot be read after the load: {type(e).__name__}: {e}"
        return {**result, "kind": "crashed", "error": why, "problems": [why]}
    result["unchanged"] = before == after
    if report is not None:
        result["report"] = {k: v for k, v in report.as_dict().items()
                            if k in ("rows_read", "loaded", "merged", "rejected", "warnings", "format")}
        result["rejects"] = [{k: r[k] for k in ("row", "level", "column", "reason")} for r in rejects_rows(report)]
        try:
            problems = invariants(store, report.source)
            if isinstance(case.expect, Loaded) and case.expect.check is not None:
                problems += case.expect.check(store, report)
        except Exception as e:  # noqa: BLE001
            problems = [f"checking the store failed: {type(e).__name__}: {e}"]
        result["problems"] = problems
    result["problems"] = verify(case, result, path)
    return result


def fresh_store(template: Path, workdir: Path):
    """A copy of the template store (the reference dataset), opened."""
    from maillage.graph import open_store

    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "store.db"
    shutil.copyfile(template, db)
    return open_store(str(db))


SMALL_STORE = [
    {**JHEADER, "title": "Petit écosystème"},
    jactor("pole", "Pôle hostile", "pole", kind="ptce", location="commune:59350"),
    jactor("region", "Région Bretagne", "collectivite", kind="region",
           identifiers=[{"scheme": "siret", "value": REGION_SIRET}]),
    jactor("alpha", "Coop Alpha", "ess", kind="scic", location="commune:59350"),
    jactor("beta", "Asso Beta", "ess", kind="association"),
    jactor("elue", "Jeanne Martin", "person", kind="elu"),
    jrel("membership", "alpha", "pole"), jrel("membership", "beta", "pole"),
    jrel("funds", "region", "pole", {"amount": 30000.0, "year": 2019}),
    jrel("represents", "elue", "region", {"mandate": "conseillère régionale"}),
]


def build_template(path: Path, reference: bool = True) -> Path:
    """An embedded store, closed, to be copied per case: the reference dataset (real PTCE), or
    :data:`SMALL_STORE` (a few actors, fast to dump)."""
    from maillage.graph import open_store
    from maillage.loaders import load_file, load_reference

    path.parent.mkdir(parents=True, exist_ok=True)
    with open_store(str(path)) as s:
        if reference:
            load_reference(s, rejects_dir=path.parent / "reference-rejects")
        else:
            load_file(s, write_lines(path.parent / "petit.jsonl", SMALL_STORE), rejects_dir=path.parent / "small-rejects")
    return path


# -------------------------------------------------------------------------------------------
# child processes: a hang or a dead process is a result too

def run_isolated(names: list[str], template: Path, workdir: Path, *, one_process_each: bool = False,
                 timeouts: dict[str, float] | None = None) -> dict[str, dict[str, Any]]:
    """Run cases in child processes; each case has its own deadline (``Case.timeout``). A case
    that hangs past its deadline, or kills its process, gets a ``crashed`` result; the other
    cases then run in a new child. ``one_process_each`` runs one process per case, so that its
    peak memory (``peak_rss_mb``) is the case's own."""
    by_name = {c.name: c for c in cases()}
    timeouts = timeouts or {}
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    todo = list(names)
    while todo:
        batch = todo[:1] if one_process_each else list(todo)
        proc = subprocess.Popen([sys.executable, __file__, "--child", str(template), str(workdir), *batch],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(workdir))
        current, started, buf = None, time.monotonic(), b""
        try:
            while True:
                limit = timeouts.get(current, by_name[current].timeout) if current else 60.0
                wait = max(0.0, started + limit - time.monotonic())
                ready, _, _ = select.select([proc.stdout], [], [], wait)
                if not ready:
                    proc.kill()
                    proc.wait()
                    name = current or batch[0]
                    results[name] = {"name": name, "category": by_name[name].category, "kind": "crashed",
                                     "error": f"hang: no answer within {limit:.0f} s", "seconds": limit,
                                     "problems": [f"hang: no answer within {limit:.0f} s"]}
                    break
                chunk = os.read(proc.stdout.fileno(), 1 << 16)
                if not chunk:
                    proc.wait()
                    if current is not None:
                        err = proc.stderr.read().decode("utf-8", "replace")[-1500:]
                        why = f"the process died (exit {proc.returncode}) during the case: {err.strip()[-300:]}"
                        results[current] = {"name": current, "category": by_name[current].category, "kind": "crashed",
                                            "error": why, "problems": [why]}
                    break
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    msg = json.loads(line)
                    if msg.get("start"):
                        current, started = msg["start"], time.monotonic()
                    else:
                        results[msg["name"]] = msg
                        current = None
                        started = time.monotonic()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        todo = [n for n in todo if n not in results]
    return results


def _child(template: str, workdir: str, names: list[str]) -> None:
    import resource

    by_name = {c.name: c for c in cases()}
    for name in names:
        print(json.dumps({"start": name}), flush=True)
        d = Path(workdir) / name
        store = fresh_store(Path(template), d)
        try:
            result = run_case(by_name[name], d / "files", store)
        finally:
            store.close()
        result.pop("traceback", None)
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        shutil.rmtree(d / "files", ignore_errors=True)
        print(json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) > 1 and sys.argv[1] == "--list":
        for c in cases():
            flags = " ".join(x for x in ("isolated" if c.isolate else "", "campaign-only" if c.campaign_only else "") if x)
            print(f"{c.category:22} {c.name:40} {c.format or '(detected)':16} {type(c.expect).__name__} {flags}")
    else:
        print(__doc__)
