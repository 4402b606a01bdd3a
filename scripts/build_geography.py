#!/usr/bin/env python3
"""Rebuild maillage's compact copy of the French administrative geography.

Source: the npm package ``@etalab/decoupage-administratif`` (MIT, Etalab), which
packages INSEE's Code officiel géographique (communes, départements, régions),
the DGCL list of EPCI à fiscalité propre with their member communes, the EPT of
the Métropole du Grand Paris and INSEE's légal populations.

What this script does, deterministically:

1. ``npm pack @etalab/decoupage-administratif@<version>`` into a temporary
   directory (or reads a tarball given with ``--tarball``), checks the tarball
   against the registry's sha512 integrity and records its sha256;
2. reads ``data/*.json`` straight from the tarball (nothing is extracted to disk);
3. keeps France métropolitaine and the five DROM (101 départements, 18 régions),
   with each département's type de nom en clair (the article its name takes);
   the collectivités d'outre-mer (Saint-Pierre-et-Miquelon, Polynésie…) are
   dropped: they are neither départements nor régions;
4. writes ``maillage/data/geography/geography.json.gz`` (sorted keys, stable row
   order, gzip without timestamp) and ``NOTICE.md``.

Running it twice with the same version changes nothing: when the rebuilt data
equal the shipped data, the files (and their recorded build date) are kept.

    python scripts/build_geography.py                 # pinned version
    python scripts/build_geography.py --version 5.3.0 # another millésime
    python scripts/build_geography.py --check         # exit 1 if the shipped copy is stale
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
PINNED_VERSION = "6.0.0"  # millésime 2026 (see the package README's version table)
FORMAT = 1
DATA_FILE = "geography.json.gz"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "maillage" / "data" / "geography"
KEPT_ZONES = {"metro", "drom"}  # drop "com" (collectivités d'outre-mer)
ALIAS_TYPES = {  # package commune type -> our alias kind
    "commune-deleguee": "commune-deleguee",
    "commune-associee": "commune-associee",
    "arrondissement-municipal": "arrondissement-municipal",
}


class BuildError(RuntimeError):
    """The package could not be fetched or its data are not what we expect."""


# --------------------------------------------------------------------------- fetch


def npm_pack(version: str, dest: Path) -> tuple[Path, str | None]:
    """Run ``npm pack`` for the pinned version; return (tarball, sha512 integrity)."""
    spec = f"{PACKAGE}@{version}"
    try:
        proc = subprocess.run(
            ["npm", "pack", spec, "--json", "--silent"],
            cwd=dest, capture_output=True, text=True, check=False,
        )
    except FileNotFoundError as exc:  # pragma: no cover - depends on the machine
        raise BuildError("npm is not installed (needed to fetch the package)") from exc
    if proc.returncode != 0:
        raise BuildError(f"`npm pack {spec}` failed:\n{proc.stderr.strip()}")
    try:
        info = json.loads(proc.stdout)[0]
    except (ValueError, IndexError, KeyError) as exc:
        raise BuildError(f"unexpected `npm pack --json` output: {proc.stdout[:300]!r}") from exc
    tarball = dest / info["filename"]
    if not tarball.is_file():
        raise BuildError(f"npm pack reported {tarball.name} but the file is missing")
    return tarball, info.get("integrity")


def check_integrity(blob: bytes, integrity: str | None) -> None:
    if not integrity or not integrity.startswith("sha512-"):
        return
    actual = "sha512-" + base64.b64encode(hashlib.sha512(blob).digest()).decode()
    if actual != integrity:
        raise BuildError(f"tarball sha512 {actual} does not match the registry's {integrity}")


def read_package(blob: bytes) -> dict:
    """Read package.json, LICENSE and data/*.json from the tarball bytes."""
    wanted = {
        "package/package.json", "package/LICENSE",
        *(f"package/data/{n}.json" for n in ("communes", "epci", "ept", "departements", "regions")),
    }
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name in wanted:
                found[member.name] = tar.extractfile(member).read()
    missing = sorted(wanted - set(found) - {"package/data/ept.json"})  # EPT appeared in 2023
    if missing:
        raise BuildError(f"tarball lacks {', '.join(missing)}")
    out = {name.removeprefix("package/"): raw for name, raw in found.items()}
    pkg = {k: json.loads(v) for k, v in out.items() if k.endswith(".json")}
    pkg["LICENSE"] = out["LICENSE"].decode("utf-8")
    return pkg


# --------------------------------------------------------------------------- derive


def _copyright_line(license_text: str) -> str:
    for line in license_text.splitlines():
        if line.strip().lower().startswith("copyright"):
            return line.strip()
    raise BuildError("no copyright line in the package LICENSE")


def derive(pkg: dict) -> dict:
    """Turn the package JSON into our compact tables (without the `source` block)."""
    regions_raw = [r for r in pkg["data/regions.json"] if r["zone"] in KEPT_ZONES]
    deps_raw = [d for d in pkg["data/departements.json"] if d["zone"] in KEPT_ZONES]
    region_codes = {r["code"] for r in regions_raw}
    dep_codes = {d["code"] for d in deps_raw}
    for d in deps_raw:
        if d["region"] not in region_codes:
            raise BuildError(f"département {d['code']} points to unknown région {d['region']}")

    all_communes = pkg["data/communes.json"]
    current = {
        c["code"]: c for c in all_communes
        if c["type"] == "commune-actuelle" and c["departement"] in dep_codes
    }

    epci_of: dict[str, str] = {}
    epci_rows = []
    for e in pkg["data/epci.json"]:
        members = [m["code"] for m in e["membres"]]
        kept = [m for m in members if m in current]
        if not kept:
            continue
        if len(kept) != len(members):
            raise BuildError(f"EPCI {e['code']} has members outside the kept communes")
        for m in kept:
            if m in epci_of:
                raise BuildError(f"commune {m} is in two EPCI: {epci_of[m]} and {e['code']}")
            epci_of[m] = e["code"]
        epci_rows.append([e["code"], e["nom"], e["type"], e.get("modeFinancement") or None])

    ept_of: dict[str, str] = {}
    ept_rows = []
    for e in pkg.get("data/ept.json", []):
        for m in e["membres"]:
            if m["code"] not in current:
                raise BuildError(f"EPT {e['code']} member {m['code']} is not a current commune")
            ept_of[m["code"]] = e["code"]
        ept_rows.append([e["code"], e["nom"], e["type"]])

    commune_rows = [
        [
            code, c["nom"], c["departement"], epci_of.get(code), ept_of.get(code),
            c.get("siren"), c.get("population"), sorted(c.get("codesPostaux", [])),
        ]
        for code, c in current.items()
    ]

    alias_rows = []
    for c in all_communes:
        kind = ALIAS_TYPES.get(c["type"])
        if kind is None:
            continue
        parent = c.get("commune") or c.get("chefLieu")
        if parent not in current:
            if c["departement"] in dep_codes:
                raise BuildError(f"{kind} {c['code']} {c['nom']} points to unknown commune {parent}")
            continue
        alias_rows.append([kind, c["code"], c["nom"], parent])
    for code, c in current.items():
        for old in c.get("anciensCodes", []):
            alias_rows.append(["ancien-code", old, None, code])

    def table(columns, rows):
        return {"columns": columns, "rows": sorted(rows, key=lambda r: [str(x) for x in r])}

    return {
        "format": FORMAT,
        "regions": table(["code", "name"], [[r["code"], r["nom"]] for r in regions_raw]),
        # tncc: INSEE's type de nom en clair (package: typeLiaison), which article the name takes
        "departements": table(
            ["code", "name", "region", "tncc"],
            [[d["code"], d["nom"], d["region"], d.get("typeLiaison")] for d in deps_raw],
        ),
        "epci": table(["siren", "name", "kind", "financing"], epci_rows),
        "ept": table(["siren", "name", "kind"], ept_rows),
        "communes": table(
            ["code", "name", "departement", "epci", "ept", "siren", "population", "postal_codes"],
            commune_rows,
        ),
        "aliases": table(["kind", "code", "name", "commune"], alias_rows),
    }


# --------------------------------------------------------------------------- write


def encode(payload: dict) -> bytes:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    return buf.getvalue()


def read_existing(path: Path) -> dict | None:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def _same_except_built(a: dict, b: dict) -> bool:
    strip = lambda p: {**p, "source": {k: v for k, v in p.get("source", {}).items() if k != "built"}}  # noqa: E731
    return strip(a) == strip(b)


def notice(payload: dict, license_text: str) -> str:
    src = payload["source"]
    counts = {k: len(payload[k]["rows"]) for k in ("communes", "epci", "ept", "departements", "regions", "aliases")}
    return f"""# Notice — French administrative geography

This directory holds a compact copy **derived** from the npm package
[`{src['package']}`](https://www.npmjs.com/package/{src['package']}) version **{src['version']}**
(source repository: https://github.com/datagouv/decoupage-administratif).

- Tarball: `{src['tarball']}`, sha256 `{src['sha256']}`
- Built: {src['built']} by `python scripts/build_geography.py`
- Licence of the package: **MIT** — {src['copyright']} (full text below).
  The package README adds that its data are published under the
  [Licence Ouverte / Open Licence](https://www.etalab.gouv.fr/licence-ouverte-open-licence);
  its upstream sources are INSEE (Code officiel géographique, populations légales),
  DGCL (EPCI à fiscalité propre and their members) and La Poste (postal codes).

## What was kept

`{DATA_FILE}` — gzip-compressed JSON, one table per level (`columns` + `rows`):

| table | rows | columns |
|---|---:|---|
| regions | {counts['regions']} | code, name |
| departements | {counts['departements']} | code, name, region, tncc (INSEE type de nom en clair: 0 « de », 1 « d' », 2 « du », 3 « de la », 4 « des », 5 « de l' ») |
| epci | {counts['epci']} | siren, name, kind (CC/CA/CU/METRO/MET69), financing (FPU/FA) |
| ept | {counts['ept']} | siren, name, kind |
| communes | {counts['communes']} | code (INSEE), name, departement, epci (SIREN), ept (SIREN), siren, population, postal_codes |
| aliases | {counts['aliases']} | kind, code, name, commune (current INSEE code it now belongs to) |

Only France métropolitaine and the five DROM are kept (the collectivités
d'outre-mer are neither départements nor régions). Aliases are the communes
déléguées and associées, the arrondissements municipaux of Paris, Lyon and
Marseille, and former INSEE codes (`anciensCodes`), each pointing to its current
commune. Dropped: arrondissements départementaux, chefs-lieux, zones, EPCI
populations (the library sums commune populations instead, one vintage for all
levels), the type de nom en clair of communes and régions.

## How to rebuild

```sh
python scripts/build_geography.py             # pinned version {src['version']}
python scripts/build_geography.py --version X  # another version
python scripts/build_geography.py --check      # exit status 1 if this copy is stale
```

## Licence of the source package

```
{license_text.strip()}
```
"""


def build(version: str, output: Path, tarball: Path | None, built: str | None, check: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="geography-") as tmp:
        integrity = None
        if tarball is None:
            tarball, integrity = npm_pack(version, Path(tmp))
        blob = tarball.read_bytes()
    check_integrity(blob, integrity)
    pkg = read_package(blob)
    pkg_version = pkg["package.json"]["version"]
    if pkg_version != version:
        raise BuildError(f"tarball holds version {pkg_version}, expected {version} (use --version)")

    payload = derive(pkg)
    payload["source"] = {
        "package": PACKAGE,
        "version": version,
        "tarball": tarball.name,
        "sha256": hashlib.sha256(blob).hexdigest(),
        "license": "MIT",
        "copyright": _copyright_line(pkg["LICENSE"]),
        "built": built or dt.date.today().isoformat(),
    }

    data_path = output / DATA_FILE
    existing = read_existing(data_path)
    unchanged = existing is not None and _same_except_built(existing, payload)
    if unchanged and built is None:
        payload["source"]["built"] = existing["source"]["built"]  # idempotent: keep the date

    data_bytes = encode(payload)
    notice_text = notice(payload, pkg["LICENSE"])
    notice_path = output / "NOTICE.md"
    if check:
        stale = not unchanged or not notice_path.is_file() or notice_path.read_text("utf-8") != notice_text
        print(f"{'STALE' if stale else 'up to date'}: {data_path} vs {PACKAGE}@{version}")
        return 1 if stale else 0

    output.mkdir(parents=True, exist_ok=True)
    if not (data_path.is_file() and data_path.read_bytes() == data_bytes):
        data_path.write_bytes(data_bytes)
    if not (notice_path.is_file() and notice_path.read_text("utf-8") == notice_text):
        notice_path.write_text(notice_text, encoding="utf-8")
    counts = ", ".join(f"{len(payload[k]['rows'])} {k}" for k in ("communes", "epci", "departements", "regions"))
    state = "unchanged" if unchanged else "written"
    print(f"{state}: {data_path} ({len(data_bytes) / 1e6:.2f} MB; {counts}) from {PACKAGE}@{version}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Rebuild maillage/data/geography from the npm package " + PACKAGE,
        epilog="Example: python scripts/build_geography.py --check",
    )
    parser.add_argument("--version", default=PINNED_VERSION,
                        help=f"package version to fetch (default: pinned {PINNED_VERSION})")
    parser.add_argument("--tarball", type=Path,
                        help="use this local .tgz instead of running npm pack")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"output directory (default: {DEFAULT_OUTPUT.relative_to(ROOT)})")
    parser.add_argument("--built", help="build date to record (YYYY-MM-DD; default: today, "
                        "or the shipped date when the data are unchanged)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the shipped copy differs from a rebuild")
    args = parser.parse_args(argv)
    try:
        return build(args.version, args.output, args.tarball, args.built, args.check)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
