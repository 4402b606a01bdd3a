"""SCDL subsidy file loaded end to end vs merely parsed with the ``csv`` module (issue 3).

Writes a synthetic SCDL 2.1 file (default 1,000,000 rows) the way collectivités publish them
(``;``-separated, UTF-8 with a BOM, French amounts ``26 956,00``, ``dd/mm/yyyy`` dates, ``A_B``
periods), then, in the same run and each in a fresh subprocess:

- **bare parse**: ``csv.reader`` over the file, every row materialised (the obvious lower bound);
- **end to end**: ``maillage.loaders.load_file`` (sniff, read, parse cells, build records, entity
  resolution, one store transaction) into a fresh embedded store.

Reports rows/s, the ratio end-to-end / bare parse (target: within 6×) and the peak resident set
size of each subprocess (``os.wait4``). Rewrites its section of ``docs/benchmarks.md``.

The file: 400 attribuants (communes, EPCI, départements, régions with their real SIRENs from the
shipped geography), ``rows / 8`` bénéficiaires with valid SIRETs (or an RNA for one in five),
Zipf-like reuse of bénéficiaires, 1 % of rows damaged as spreadsheets damage them (SIRET as a
float ``…0.0``, scientific notation, empty name). Deterministic from ``--seed``.

    python bench/scdl_bench.py                 # 1M rows (several minutes, a few GiB of RAM)
    python bench/scdl_bench.py --rows 100000   # quick
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from stdnum import luhn

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench/scdl_bench.py:begin -->", "<!-- bench/scdl_bench.py:end -->"
GENERATOR_VERSION = 1

HEADER = ["nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
          "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
          "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention", "dispositifAide"]
WORDS = ["association", "comité", "club", "amicale", "coopérative", "atelier", "maison", "réseau", "collectif",
         "jardins", "culture", "sport", "solidarité", "insertion", "quartier", "jeunesse", "emploi", "énergie"]
OBJETS = ["Subvention de fonctionnement", "Aide au projet", "Soutien à l'emploi associatif", "Manifestation culturelle",
          "Équipement sportif", "Insertion par l'activité économique", "Aide à l'investissement"]


def _siren(rnd: random.Random) -> str:
    body = f"{rnd.randrange(10_000_000, 99_999_999):08d}"
    return body + luhn.calc_check_digit(body)


def _siret(siren: str, rnd: random.Random) -> str:
    body = siren + f"{rnd.randrange(1, 9999):04d}"
    return body + luhn.calc_check_digit(body)


def _french(amount: float) -> str:
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


def generate(rows: int, seed: int, path: Path) -> Path:
    """Write the synthetic SCDL file (see the module docstring)."""
    from maillage.geography import load_geography

    rnd = random.Random(seed)
    geo = load_geography()
    bodies = [t for t in geo.territories("commune") if getattr(t, "siren", None)][:250]
    bodies += [t for t in geo.territories("epci") if getattr(t, "siren", None)][:150]
    attribuants = []
    for t in bodies:  # the collectivité's SIRET: its SIREN and a NIC that passes the key
        body = t.siren + "0001"
        attribuants.append((("COMMUNE DE " if t.level == "commune" else "") + t.name.upper(),
                            body + luhn.calc_check_digit(body)))
    n_benef = max(rows // 8, 10)
    benefs = []
    for i in range(n_benef):
        siren = _siren(rnd)
        name = f"{rnd.choice(WORDS).capitalize()} {rnd.choice(WORDS)} {i}"
        rna = f"W{rnd.randrange(10, 99)}{rnd.randrange(0, 9_999_999):07d}" if i % 5 == 0 else ""
        benefs.append((name, _siret(siren, rnd), rna))
    weights = [1.0 / (k + 1) ** 0.8 for k in range(n_benef)]
    start = date(2017, 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(HEADER)
        picks = rnd.choices(range(n_benef), weights=weights, k=rows)
        for i, b in enumerate(picks):
            name, siret, rna = benefs[b]
            att_name, att_id = attribuants[(b * 7 + i) % len(attribuants)]
            d = start + timedelta(days=rnd.randrange(0, 6 * 365))
            amount = round(rnd.lognormvariate(8.0, 1.2), 2)
            share = "1" if i % 10 else "0,5"
            damage = rnd.random()
            if damage < 0.004:
                siret = siret + ".0"
            elif damage < 0.007:
                siret = f"{int(siret) / 1e13:.2f}E+13".replace(".", ",")
            elif damage < 0.010:
                name, siret, rna = "", "", ""
            w.writerow([att_name, att_id, d.strftime("%d/%m/%Y"), f"DEL-{d.year}-{i % 977}", name, siret, rna,
                        rnd.choice(OBJETS), _french(amount), "aide en numéraire", "unique",
                        f"{d.isoformat()}_{(d + timedelta(days=365)).isoformat()}", "", "non", share, ""])
    meta = {"rows": rows, "seed": seed, "generator": GENERATOR_VERSION, "bytes": path.stat().st_size}
    path.with_suffix(".json").write_text(json.dumps(meta))
    return path


def _data(rows: int, seed: int) -> Path:
    path = DATA / f"scdl-{rows}.csv"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        m = json.loads(meta.read_text())
        if m.get("seed") == seed and m.get("generator") == GENERATOR_VERSION:
            return path
    print(f"generating {rows:,} SCDL rows → {path}", flush=True)
    return generate(rows, seed, path)


# ---------------------------------------------------------------------------------------------
# workers (each in its own subprocess, so peak RSS is theirs)

def worker_parse(path: Path) -> dict:
    t0 = time.perf_counter()
    n = 0
    with path.open(encoding="utf-8-sig", newline="") as f:
        for _ in csv.reader(f, delimiter=";"):
            n += 1
    return {"seconds": time.perf_counter() - t0, "rows": n - 1}


def worker_load(path: Path, tmp: Path) -> dict:
    from maillage.geography import load_geography
    from maillage.graph import open_store
    from maillage.loaders import load_file

    load_geography()  # cached per process; not part of a file's load
    db = tmp / "scdl-bench.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    stages: dict[str, float] = {}
    marks = {"t": time.perf_counter(), "stage": "sniff"}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if stage != marks["stage"]:
            stages[marks["stage"]] = stages.get(marks["stage"], 0.0) + now - marks["t"]
            marks["t"], marks["stage"] = now, stage

    t0 = time.perf_counter()
    with open_store(str(db)) as store:
        report = load_file(store, path, rejects_dir=tmp, progress=progress)
        total = time.perf_counter() - t0
        stages[marks["stage"]] = stages.get(marks["stage"], 0.0) + time.perf_counter() - marks["t"]
        stats = store.stats()
    db.unlink(missing_ok=True)
    return {"seconds": total, "stages": stages, "report": report.as_dict(),
            "actors": stats["actors"], "relations": stats["relations"]}


def _run_worker(kind: str, path: Path, tmp: Path) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--path", str(path), "--tmp", str(tmp)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{kind} worker failed (status {status})")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_rss_mib"] = usage.ru_maxrss / 1024
    return result


def med(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[len(xs) // 2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=None, help="parse repetitions (default 3); the load runs once "
                                                          "at 1M rows, 3 times below")
    ap.add_argument("--doc", type=Path, default=DOC)
    ap.add_argument("--no-doc", action="store_true", help="print only")
    ap.add_argument("--worker", choices=["parse", "load"], help=argparse.SUPPRESS)
    ap.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--tmp", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT))
        res = worker_parse(args.path) if args.worker == "parse" else worker_load(args.path, args.tmp)
        print(json.dumps(res))
        return

    sys.path.insert(0, str(ROOT))
    path = _data(args.rows, args.seed)
    tmp = OUT / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    load_reps = args.reps or (1 if args.rows >= 500_000 else 3)
    parse_reps = max(3, load_reps)
    parses, loads = [], []
    t_all = time.perf_counter()
    for i in range(max(parse_reps, load_reps)):  # interleaved: the machine's noise hits both
        if i < parse_reps:
            parses.append(_run_worker("parse", path, tmp))
        if i < load_reps:
            loads.append(_run_worker("load", path, tmp))
            print(f"load {i + 1}/{load_reps}: {loads[-1]['seconds']:.1f} s", flush=True)
    elapsed = time.perf_counter() - t_all
    p = med([r["seconds"] for r in parses])
    load = sorted(loads, key=lambda r: r["seconds"])[len(loads) // 2]
    ratio = load["seconds"] / p
    rep = load["report"]
    lines = [
        BEGIN,
        "## Loading a subsidy file: 1M-row SCDL end to end vs bare `csv` parsing" if args.rows == 1_000_000 else
        f"## Loading a subsidy file: {args.rows:,}-row SCDL end to end vs bare `csv` parsing",
        "",
        f"*Written by `bench/scdl_bench.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; command:* "
        f"`python bench/scdl_bench.py --rows {args.rows}` *({elapsed:.0f} s in all; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}).*",
        "",
        f"Synthetic SCDL 2.1 file of {args.rows:,} rows ({path.stat().st_size / 2**20:.0f} MiB; generator in the "
        "script's docstring). *Bare parse*: `csv.reader` over the file, every row materialised. *End to end*: "
        "`load_file` — detection, reading, cells, records, entity resolution, one store transaction — into a "
        "fresh embedded store. Each in a fresh subprocess; median of the repetitions, interleaved. Target: end to "
        "end within 6× of bare parsing.",
        "",
        "| rows | bare parse (s) | end to end (s) | end-to-end rows/s | **end to end / bare parse** | peak RSS: parse | peak RSS: load |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {args.rows:,} | {p:.2f} | {load['seconds']:.1f} | {args.rows / load['seconds']:,.0f} | "
        f"**{ratio:.0f}×** ({'meets' if ratio <= 6 else 'misses'} the 6× target) | "
        f"{max(r['peak_rss_mib'] for r in parses):,.0f} MiB | {max(r['peak_rss_mib'] for r in loads):,.0f} MiB |",
        "",
        "Stages of the end-to-end load (seconds): " + ", ".join(f"{k} {v:.1f}" for k, v in load["stages"].items())
        + f". Outcome: {rep['rows_read']:,} rows read = {rep['loaded']:,} loaded + {rep['merged']:,} merged + "
          f"{rep['rejected']:,} rejected ({rep['warnings']:,} warnings); {load['actors']:,} actors, "
          f"{load['relations']:,} relations stored.",
        END,
    ]
    section = "\n".join(lines)
    print(section)
    if args.no_doc:
        return
    doc = args.doc.read_text(encoding="utf-8") if args.doc.exists() else "# Benchmarks\n"
    if BEGIN in doc:
        doc = doc[:doc.index(BEGIN)] + section + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + section + "\n"
    args.doc.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()
