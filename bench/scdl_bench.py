"""SCDL subsidy file loaded end to end vs merely parsed with the ``csv`` module (issue 3).

Writes a synthetic SCDL 2.1 file (default 1,000,000 rows) the way collectivités publish them
(``;``-separated, UTF-8 with a BOM, French amounts ``26 956,00``, ``dd/mm/yyyy`` dates, ``A_B``
periods), then, in the same run and each in a fresh subprocess:

- **bare parse**: ``csv.reader`` over the file, every row materialised (the obvious lower bound);
- **end to end**: ``maillage.loaders.load_file`` (sniff, read, parse cells, build records, entity
  resolution, one store transaction) into a fresh embedded store;
- **raw store floor**: every row that load wrote into the store file (all tables, read back with
  ``bench/run.py``'s ``_read_tables``), written again with plain ``sqlite3.executemany`` into a
  fresh file with the store's own schema and pragmas, one transaction (``bench/run.py``'s
  ``_raw``) — what writing the load's result costs with no parsing, no resolution and no Python
  model. Timed both with the indexes kept during the inserts and with them built after (the
  store's bulk trick); the floor is the faster. The run checks that raw wrote the same rows as
  the store, table by table (``_same_tables``), and fails otherwise.

Reports rows/s, the ratio end-to-end / bare parse (target: within 6×), the raw floor against both,
and the peak resident set size of each subprocess (``os.wait4``). Rewrites its section of
``docs/benchmarks.md`` (not with ``--no-doc``).

The file: 400 attribuants (communes, EPCI, départements, régions with their real SIRENs from the
shipped geography), ``rows / 8`` bénéficiaires with valid SIRETs (or an RNA for one in five),
Zipf-like reuse of bénéficiaires, 1 % of rows damaged as spreadsheets damage them (SIRET as a
float ``…0.0``, scientific notation, empty name). Deterministic from ``--seed``.

    python bench/scdl_bench.py                 # 1M rows (several minutes, a few GiB of RAM)
    python bench/scdl_bench.py --rows 100000   # quick
    python bench/scdl_bench.py --rows 20000 --no-doc   # smoke run, prints only
"""

from __future__ import annotations

import argparse
import csv
import importlib
import sqlite3
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
STORE_DB = "scdl-bench.db"  # the load worker's store file in --tmp, read back by the raw-floor worker

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
    db = _fresh_db(tmp / STORE_DB)
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
    # the store file is kept: the raw-floor worker reads back what this load wrote (main deletes it)
    return {"seconds": total, "stages": stages, "report": report.as_dict(),
            "actors": stats["actors"], "relations": stats["relations"], "db_bytes": db.stat().st_size}


def _bench_run():
    """``bench/run.py`` as a module (its raw-write helpers are reused, not copied)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("bench.run")


def _fresh_db(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def table_counts(db: Path) -> dict[str, int]:
    """Rows in every table of the SQLite file ``db`` (``{table: COUNT(*)}``, by name)."""
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                           "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in names}  # noqa: S608
    finally:
        con.close()


def worker_raw(store_db: Path, tmp: Path, rep: int = 0, keep: bool = False) -> dict:
    """Raw store floor: read back every row of the store file ``store_db`` (all the tables a load
    writes, ``bench/run.py``'s ``_read_tables``), then time plain ``executemany`` of exactly those
    rows into a fresh file with the store's schema and pragmas, one transaction (``_raw``), with
    the indexes kept during the inserts (*plain*) and built after them (*indexes_after*); the order
    of the two alternates with ``rep``. Fails unless each raw file holds the same rows as the store,
    table by table. ``keep``: leave the raw files in ``tmp/scdl-raw/`` (for tests)."""
    br = _bench_run()
    work = tmp / "scdl-raw"  # its own directory: bench/run.py uses tmp/pragmas.db, tmp/raw.db …
    work.mkdir(parents=True, exist_ok=True)
    store_counts = table_counts(store_db)
    # meta holds the schema version, written when a store is opened, not by a load
    uncovered = {t: n for t, n in store_counts.items() if n and t not in br.ALL_TABLES and t != "meta"}
    if uncovered:
        raise RuntimeError(f"the store file has rows in tables the raw floor does not write: {uncovered}")
    pragmas = br._store_pragmas(work)
    t0 = time.perf_counter()
    rows, _ = br._read_tables(store_db)
    read_s = time.perf_counter() - t0
    rss_rows = br._maxrss_mib()
    variants = [("plain", False), ("indexes_after", True)]
    if rep % 2:
        variants.reverse()
    times, raw_counts = {}, {}
    for name, after in variants:
        raw_db = work / f"raw-{name}.db"
        times[name] = br._raw(raw_db, rows, pragmas, indexes_after=after, keep=True)
        raw_counts[name] = {t: n for t, n in table_counts(raw_db).items() if t in br.ALL_TABLES}
        diffs = br._same_tables(store_db, raw_db)
        wrong = {t: (store_counts[t], raw_counts[name][t]) for t in br.ALL_TABLES
                 if store_counts[t] != raw_counts[name][t]}
        if diffs or wrong or sum(raw_counts[name].values()) != sum(len(v) for v in rows.values()):
            raise RuntimeError(f"raw ({name}) did not write the store's rows: {diffs or wrong}")
        if not keep:
            _fresh_db(raw_db)
    return {"times": times, "seconds": min(times.values()), "read_s": read_s, "pragmas": pragmas,
            "store_rows": {t: store_counts[t] for t in br.ALL_TABLES}, "raw_rows": raw_counts,
            "rows": sum(len(v) for v in rows.values()), "rss_rows_mib": rss_rows}


def _run_worker(kind: str, path: Path, tmp: Path, rep: int = 0) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--path", str(path), "--tmp", str(tmp), "--rep", str(rep)]
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
    ap.add_argument("--reps", type=int, default=None, help="parse and raw-floor repetitions (default 3); the load "
                                                          "runs once at 1M rows, 3 times below")
    ap.add_argument("--doc", type=Path, default=DOC)
    ap.add_argument("--no-doc", action="store_true", help="print only")
    ap.add_argument("--worker", choices=["parse", "load", "raw"], help=argparse.SUPPRESS)
    ap.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--tmp", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--rep", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT))
        if args.worker == "parse":
            res = worker_parse(args.path)
        elif args.worker == "load":
            res = worker_load(args.path, args.tmp)
        else:
            res = worker_raw(args.path, args.tmp, rep=args.rep)
        print(json.dumps(res))
        return

    sys.path.insert(0, str(ROOT))
    path = _data(args.rows, args.seed)
    tmp = OUT / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    store_db = tmp / STORE_DB
    load_reps = args.reps or (1 if args.rows >= 500_000 else 3)
    parse_reps = max(3, load_reps)
    parses, loads, raws = [], [], []
    t_all = time.perf_counter()
    try:
        for i in range(parse_reps):  # interleaved: the machine's noise hits all three
            parses.append(_run_worker("parse", path, tmp))
            if i < load_reps:
                loads.append(_run_worker("load", path, tmp))  # leaves its store file for the raw floor
                print(f"load {i + 1}/{load_reps}: {loads[-1]['seconds']:.1f} s", flush=True)
            raws.append(_run_worker("raw", store_db, tmp, rep=i))  # the latest load's file
            print(f"raw floor {i + 1}/{parse_reps}: plain {raws[-1]['times']['plain']:.2f} s, indexes after "
                  f"{raws[-1]['times']['indexes_after']:.2f} s (same rows as the store: checked)", flush=True)
    finally:
        _fresh_db(store_db)
    elapsed = time.perf_counter() - t_all
    p = med([r["seconds"] for r in parses])
    load = sorted(loads, key=lambda r: r["seconds"])[len(loads) // 2]
    ratio = load["seconds"] / p
    raw_plain = med([r["times"]["plain"] for r in raws])
    raw_after = med([r["times"]["indexes_after"] for r in raws])
    floor = min(raw_plain, raw_after)
    floor_kind = "indexes built after the inserts" if raw_after < raw_plain else "indexes kept during the inserts"
    floor_ratio = floor / p
    raw0 = raws[-1]
    tables = ", ".join(f"{t} {n:,}" for t, n in raw0["store_rows"].items() if n)
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
        "fresh embedded store. *Raw floor*: every row that load wrote into the store file, all tables, read "
        "back (untimed) and written again with plain `sqlite3.executemany` into a fresh file with the store's "
        "own schema and pragmas (" + ", ".join(f"`{x}`" for x in raw0["pragmas"]) + "), one transaction — "
        "writing the load's result with no parsing, no resolution, no Python model (`bench/run.py`'s `_raw`); "
        "timed with the indexes kept during the inserts and built after them, the faster counts. The run "
        "checks that raw wrote the same rows as the store, table by table. Each in a fresh subprocess; median "
        "of the repetitions, interleaved. Target: end to end within 6× of bare parsing.",
        "",
        "| rows | bare parse (s) | end to end (s) | end-to-end rows/s | **end to end / bare parse** | raw floor (s) "
        "| raw floor / bare parse | end to end / raw floor | peak RSS: parse | peak RSS: load | peak RSS: raw floor |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {args.rows:,} | {p:.2f} | {load['seconds']:.1f} | {args.rows / load['seconds']:,.0f} | "
        f"**{ratio:.0f}×** ({'meets' if ratio <= 6 else 'misses'} the 6× target) | {floor:.2f} | "
        f"{floor_ratio:.1f}× | {load['seconds'] / floor:.1f}× | "
        f"{max(r['peak_rss_mib'] for r in parses):,.0f} MiB | {max(r['peak_rss_mib'] for r in loads):,.0f} MiB | "
        f"{max(r['peak_rss_mib'] for r in raws):,.0f} MiB |",
        "",
        f"Raw floor: {raw0['rows']:,} rows ({tables}); plain {raw_plain:.2f} s, indexes after {raw_after:.2f} s "
        f"(floor: {floor_kind}; medians of {len(raws)}). "
        + (f"**Even the raw floor is not within 6× of bare parsing**: writing the load's rows alone, with nothing "
           f"else to do, takes {floor_ratio:.1f}× the parse, so no loader that writes these rows into this schema "
           f"through `sqlite3` can meet the 6× target on this file; end to end is {load['seconds'] / floor:.1f}× that floor."
           if floor_ratio > 6 else
           f"The raw floor is within 6× of bare parsing ({floor_ratio:.1f}×): writing the load's rows alone "
           f"would leave room for the target; end to end is {load['seconds'] / floor:.1f}× that floor."),
        "",
        "Stages of the end-to-end load (seconds): " + ", ".join(f"{k} {v:.1f}" for k, v in load["stages"].items())
        + f". Outcome: {rep['rows_read']:,} rows read = {rep['loaded']:,} loaded + {rep['merged']:,} merged + "
          f"{rep['rejected']:,} rejected ({rep['warnings']:,} warnings); {load['actors']:,} actors, "
          f"{load['relations']:,} relations stored (store file {load['db_bytes'] / 2**20:,.0f} MiB).",
        END,
    ]
    section = "\n".join(lines)
    print(section)
    if args.no_doc:
        return
    from docsection import write_section  # bench/ (run as a script, or on sys.path)

    write_section(args.doc, section, BEGIN, END)


if __name__ == "__main__":
    main()
