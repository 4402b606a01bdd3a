"""`maillage forget` on a big store: ``Store.forget_person`` vs ``remove_source`` of a one-row source.

The erasure of a person (RGPD, art. 17; docs/privacy.md, « Right to erasure ») removes what the
store holds of the person, then looks for the person's names in the free text of everything
that stays: every statement's quote and facts, every tie's fields and quote, every source's
title and notes, every merge proposal's reason. On a store of a million ties that pass is most
of the work. The obvious alternative and reference, in the same store and run: ``remove_source``
of a one-row source — the store's other one-transaction removal, which touches only what that
source stated.

The store: a synthetic SCDL file of ``--rows`` rows (``bench/scdl_bench.py``'s generator; one
row in 500 has its ``objet`` naming the person: « Projet suivi par Jeanne Dupuis »), a
``maillage-jsonl`` file of a pôle's governance (five persons tied to organisations, the person
named in quotes and notes) and a one-row ``maillage-jsonl`` source (one tie between two
organisations). Built once, untimed (worker ``build``), then copied for each measurement.

Each measurement runs in a fresh subprocess on its own copy of the store: ``forget_person`` of
Jeanne Dupuis, or ``remove_source`` of the one-row source. Median of ``--reps`` (default 3),
interleaved (the order alternates); peak resident set size of each subprocess (``os.wait4``).
Reports the ratio forget / remove. Rewrites its section of ``docs/benchmarks.md`` (not with
``--no-doc``).

    python bench/forget_bench.py                    # 100,000 rows (about a minute)
    python bench/forget_bench.py --rows 1000000     # a million ties (the build loads a 1M-row SCDL file: several GiB)
    python bench/forget_bench.py --rows 5000 --no-doc   # smoke run, prints only
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"
OUT = BENCH / "out"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench/forget_bench.py:begin -->", "<!-- bench/forget_bench.py:end -->"
PERSON = "Jeanne Dupuis"
NAMED_EVERY = 500  # one SCDL row in NAMED_EVERY names the person in its objet
ONE_ROW = "une-ligne"  # the one-row source's id (its file's stem)
TEMPLATE = "forget-template.db"

for p in (str(ROOT), str(BENCH)):
    if p not in sys.path:
        sys.path.insert(0, p)


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def governance_rows() -> list[dict]:
    """A pôle's governance: five persons tied to organisations, Jeanne Dupuis named in free text."""
    head = {"record": "header", "format": "maillage-jsonl", "version": 1, "title": f"Comité de pilotage, avec {PERSON}"}
    actors = [("p", "PTCE Le Périscope", "pole", "ptce"), ("j", "Les Jardins du Lauragais", "ess", "association"),
              ("t", "Tremplin 52", "ess", "association")]
    persons = [("jd", PERSON), ("pm", "Paul Martinez"), ("cf", "Claire Fontanel"), ("dc", "Didier Cognon"),
               ("ab", "Anne Bardot")]
    rows = [head]
    rows += [{"record": "actor", "key": k, "name": n, "family": f, "kind": kind, "provenance": {"locator": f"row {i}"}}
             for i, (k, n, f, kind) in enumerate(actors, 2)]
    rows += [{"record": "actor", "key": k, "name": n, "family": "person", "kind": "elu",
              "provenance": {"locator": f"row {i}", "quote": f"{n}, élu·e"}} for i, (k, n) in enumerate(persons, 10)]
    rows += [{"record": "relation", "type": "governs", "source": k, "target": "p", "fields": {"role": "membre"},
              "provenance": {"quote": f"siège : {n}"}} for k, n in persons]
    rows += [{"record": "relation", "type": "membership", "source": "j", "target": "p",
              "fields": {"note": "adhésion signée par Mme DUPUIS Jeanne"}, "provenance": {}},
             {"record": "relation", "type": "partner", "source": "j", "target": "t",
              "fields": {"note": "voir jeanne-dupuis.pdf"}, "provenance": {"quote": "accord (J. Dupuis)"}}]
    return rows


def one_row() -> list[dict]:
    return [{"record": "header", "format": "maillage-jsonl", "version": 1, "title": "Une convention"},
            {"record": "actor", "key": "a", "name": "Les Jardins du Lauragais", "family": "ess", "kind": "association",
             "provenance": {"locator": "row 2"}},
            {"record": "actor", "key": "b", "name": "Tremplin 52", "family": "ess", "kind": "association",
             "provenance": {"locator": "row 3"}},
            {"record": "relation", "type": "partner", "source": "a", "target": "b", "provenance": {"locator": "row 4"}}]


def files(rows: int, seed: int, folder: Path) -> tuple[Path, Path, Path]:
    """The three files of the store (see the module docstring): the SCDL file (generated, then one
    row in :data:`NAMED_EVERY` has its objet name the person), the governance file, the one-row file."""
    from scdl_bench import generate

    folder.mkdir(parents=True, exist_ok=True)
    raw = generate(rows, seed, folder / f"forget-scdl-{rows}.raw.csv")
    scdl = folder / f"forget-scdl-{rows}.csv"
    with raw.open(encoding="utf-8-sig", newline="") as f, scdl.open("w", encoding="utf-8-sig", newline="") as g:
        r, w = csv.reader(f, delimiter=";"), csv.writer(g, delimiter=";", lineterminator="\r\n")
        header = next(r)
        w.writerow(header)
        objet = header.index("objet")
        for i, row in enumerate(r):
            if i % NAMED_EVERY == 0:
                row[objet] = f"Projet suivi par {PERSON}"
            w.writerow(row)
    raw.unlink()
    raw.with_suffix(".json").unlink(missing_ok=True)
    return scdl, _jsonl(folder / "gouvernance.jsonl", governance_rows()), _jsonl(folder / f"{ONE_ROW}.jsonl", one_row())


# ---------------------------------------------------------------------------------------------
# workers (each in its own subprocess, so peak RSS is theirs)

def worker_build(rows: int, seed: int, tmp: Path) -> dict:
    """Load the three files into a fresh store file (:data:`TEMPLATE`), untimed by the run."""
    from maillage.graph import open_store
    from maillage.loaders import load_file

    db = _fresh(tmp / TEMPLATE)
    t0 = time.perf_counter()
    with open_store(str(db)) as store:
        for f in files(rows, seed, tmp / "forget-files"):
            load_file(store, f, rejects_dir=tmp)
        person = [a.id for a in store.iter_actors(include_persons=True) if a.name == PERSON]
        stats = store.stats()
        one = [s.id for s in store.sources() if Path(s.uri).stem == ONE_ROW]
    return {"seconds": time.perf_counter() - t0, "person": person[0], "one_row": one[0],
            "relations": stats["relations"], "actors": stats["actors"], "db_bytes": db.stat().st_size}


def worker_op(kind: str, tmp: Path, target: str) -> dict:
    """``forget_person(target)`` or ``remove_source(target)`` on a fresh copy of the template,
    timed from the call to its return (the store opened before)."""
    from maillage.graph import open_store

    db = _fresh(tmp / f"forget-{kind}.db")
    shutil.copyfile(tmp / TEMPLATE, db)
    try:
        with open_store(str(db)) as store:
            t0 = time.perf_counter()
            if kind == "forget":
                done = store.forget_person(target)
                seconds = time.perf_counter() - t0
                out = {"relations": done.relations, "texts": done.texts, "statements": done.statements}
            else:
                done = store.remove_source(target)
                seconds = time.perf_counter() - t0
                out = {"relations": store.stats()["relations"]}
    finally:
        _fresh(db)
    return {"seconds": seconds, **out}


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def _run_worker(*args: str) -> dict:
    proc = subprocess.Popen([sys.executable, __file__, "--worker", *args], stdout=subprocess.PIPE, cwd=ROOT)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{args[0]} worker failed (status {status})")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_rss_mib"] = usage.ru_maxrss / 1024
    return result


def _n(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def med(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[len(xs) // 2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--doc", type=Path, default=DOC)
    ap.add_argument("--no-doc", action="store_true", help="print only")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    tmp = OUT / "tmp"
    if args.worker:
        kind, *rest = args.worker
        res = (worker_build(args.rows, args.seed, tmp) if kind == "build" else worker_op(kind, tmp, rest[0]))
        print(json.dumps(res))
        return

    tmp.mkdir(parents=True, exist_ok=True)
    t_all = time.perf_counter()
    try:
        built = _run_worker("build", "--rows", str(args.rows), "--seed", str(args.seed))
        print(f"store built in {built['seconds']:.0f} s: {built['relations']:,} relations, {built['actors']:,} actors",
              flush=True)
        forgets, removes = [], []
        for i in range(args.reps):  # interleaved, the order alternating: the machine's noise hits both
            order = [("forget", built["person"], forgets), ("remove", built["one_row"], removes)]
            for kind, target, runs in (order if i % 2 == 0 else order[::-1]):
                runs.append(_run_worker(kind, target))
                print(f"{kind} {i + 1}/{args.reps}: {runs[-1]['seconds']:.2f} s", flush=True)
    finally:
        _fresh(tmp / TEMPLATE)
    elapsed = time.perf_counter() - t_all
    f, r = med([x["seconds"] for x in forgets]), med([x["seconds"] for x in removes])
    done = forgets[-1]
    lines = [
        BEGIN,
        "## Erasing a person (`maillage forget`) vs removing a one-row source",
        "",
        f"*Written by `bench/forget_bench.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; command:* "
        f"`python bench/forget_bench.py --rows {args.rows}` *({elapsed:.0f} s in all; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}).*",
        "",
        f"The store: a synthetic SCDL file of {args.rows:,} rows (one in {NAMED_EVERY} with its objet naming the "
        f"person), a pôle's governance file (five persons tied to organisations, {PERSON} named in quotes and "
        f"notes), a one-row source; {built['relations']:,} ties, {built['actors']:,} actors, store file "
        f"{built['db_bytes'] / 2**20:,.0f} MiB. *Forget*: `Store.forget_person` of {PERSON} — "
        f"{_n(done['statements'], 'statement')} and {_n(done['relations'], 'tie')} removed, "
        f"{_n(done['texts'], 'text')} where her name became « [personne effacée] », after looking for it in every "
        "text of the store (only those that may hold it read and parsed). *Remove*: "
        "`Store.remove_source` of the one-row source in the same store — the store's other one-transaction "
        "removal. Each in a fresh subprocess on its own copy of the store; median of "
        f"{args.reps}, interleaved.",
        "",
        "| ties | forget (s) | remove one-row source (s) | **forget / remove** | peak RSS: forget | peak RSS: remove |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {built['relations']:,} | {f:.2f} | {r:.2f} | **{f / r:.1f}×** | "
        f"{max(x['peak_rss_mib'] for x in forgets):,.0f} MiB | {max(x['peak_rss_mib'] for x in removes):,.0f} MiB |",
        END,
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_doc:
        from docsection import write_section

        write_section(args.doc, section, BEGIN, END)


if __name__ == "__main__":
    main()
