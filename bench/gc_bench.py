"""The cyclic garbage collector paused during bulk work (``maillage.runtime.gc_paused``) vs left on.

CPython's cyclic collector runs a pass each time 700 more container objects have been
allocated than freed; every so often the pass covers every object the process holds. A load
keeps its parsed file in memory (a few objects per row) until it is written, an analysis keeps
its lens graph and metric tables: the passes then walk millions of objects again and again, and
find nothing to free (these structures hold no reference cycles; reference counting frees them).
maillage pauses the collector for ``load_file`` and the API's ``Service.warm``, not for
``analyse`` (its run makes many cycles; see the last column). This benchmark measures the three
paused (the worker pauses the collector around the work; the code's own pause nests in it) and
with the collector left on (*on*: ``gc.disable`` replaced by a no-op in the worker, nothing else
changed), each run in a fresh subprocess, the two alternating over ``--rounds`` rounds:

- **load**: ``load_file`` of the synthetic SCDL file of ``bench/scdl_bench.py`` (``--rows``,
  default 200,000) into a fresh embedded store;
- **analyse**: ``analyse`` (every metric, brokerage, diagnostics) of a copy of the analysed
  région store of ``bench/api_bench.py`` (≈ 5k actors / 30k relations; built when missing);
- **warm**: ``Service.warm`` (persons, pôles table, overlaps, observatory, cooperation graph)
  on that store.

Reported per workload: median CPU seconds of the work (imports excluded) each way, their ratio,
peak RSS each way (``os.wait4``: pausing must not make memory grow), the collector's full
passes during the work when on (``gc.get_stats``), and, when paused, how many unreachable
objects a ``gc.collect()`` finds right after the work, the collector still paused (the cycles the
work made, which it holds until the pause ends). Rewrites its section of ``docs/benchmarks.md``
(not with ``--no-doc``).

    python bench/gc_bench.py                       # ~6 min
    python bench/gc_bench.py --rows 20000 --rounds 1 --no-doc   # smoke run
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench/gc_bench.py:begin -->", "<!-- bench/gc_bench.py:end -->"
WORKLOADS = ("load", "analyse", "warm")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


# ---------------------------------------------------------------------------------------------
# worker (one workload, one way, in its own process)

def worker(workload: str, collector: str, path: Path, tmp: Path) -> dict:
    if collector == "on":
        gc.disable = lambda: None  # gc_paused then leaves the collector running; nothing else changes
    from maillage.graph import open_store

    store = None
    if workload == "load":
        from maillage.loaders import load_file

        store = open_store(str(tmp / "load.db"))
        work = lambda: f"{load_file(store, path, rejects_dir=tmp).rows_read:,} rows"  # noqa: E731
    elif workload == "analyse":
        from maillage.analytics.run import analyse

        shutil.copy(path, tmp / "analyse.db")
        store = open_store(str(tmp / "analyse.db"))
        work = lambda: f"{analyse(store).params['nodes']:,} actors"  # noqa: E731
    else:
        from maillage.api.service import Service

        shutil.copy(path, tmp / "warm.db")
        service = Service(str(tmp / "warm.db"))

        def work() -> str:
            failed = service.warm()
            if failed:
                raise SystemExit(f"warm failed: {failed}")
            return "7 tables"
    if collector == "paused":
        # kept paused past the work (the code's own pause nests in this one): once the collector
        # runs again its first pass frees the work's cycles, and there would be nothing to count
        gc.disable()
    full_before = gc.get_stats()[2]["collections"]
    t, c = time.perf_counter(), time.process_time()
    what = work()
    cpu, wall = time.process_time() - c, time.perf_counter() - t
    full = gc.get_stats()[2]["collections"] - full_before
    left = None
    if collector == "paused":
        left = gc.collect()
        gc.enable()
    if store is not None:
        store.close()
    return {"cpu_s": cpu, "wall_s": wall, "full_passes": full, "unreachable_after": left, "what": what}


def _run_worker(workload: str, collector: str, path: Path) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"gc-{workload}-", dir=BENCH / "out" / "tmp"))
    try:
        cmd = [sys.executable, __file__, "--worker", workload, "--collector", collector, "--path", str(path),
               "--tmp", str(tmp)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        if status != 0:
            raise SystemExit(f"{workload} worker ({collector}) failed (status {status})")
        result = json.loads(out.decode().strip().splitlines()[-1])
        result["peak_rss_mib"] = usage.ru_maxrss / 1024
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def med(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[len(xs) // 2]


# ---------------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000, help="rows of the SCDL file loaded (default 200,000)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds of on/paused (default 3)")
    ap.add_argument("--only", choices=WORKLOADS, action="append", help="measure only this workload (repeatable)")
    ap.add_argument("--doc", type=Path, default=DOC)
    ap.add_argument("--no-doc", action="store_true", help="print the section, do not rewrite docs/benchmarks.md")
    ap.add_argument("--worker", choices=WORKLOADS, help=argparse.SUPPRESS)
    ap.add_argument("--collector", choices=("on", "paused"), help=argparse.SUPPRESS)
    ap.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--tmp", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.collector, args.path, args.tmp)))
        return

    started = time.perf_counter()
    (BENCH / "out" / "tmp").mkdir(parents=True, exist_ok=True)
    import api_bench
    import scdl_bench

    workloads = args.only or list(WORKLOADS)
    paths = {}
    if "load" in workloads:
        paths["load"] = scdl_bench._data(args.rows, 1)
    if {"analyse", "warm"} & set(workloads):
        db, _ = api_bench.build_store("region", rebuild=False)
        paths["analyse"] = paths["warm"] = db
    results: dict[str, dict[str, list[dict]]] = {w: {"on": [], "paused": []} for w in workloads}
    for r in range(args.rounds):
        for w in workloads:
            for collector in (("on", "paused") if r % 2 == 0 else ("paused", "on")):
                res = _run_worker(w, collector, paths[w])
                results[w][collector].append(res)
                print(f"round {r + 1}/{args.rounds} {w:8s} {collector:6s} cpu {res['cpu_s']:6.1f} s  "
                      f"peak {res['peak_rss_mib']:,.0f} MiB  full passes {res['full_passes']}", flush=True)

    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cmd = "python bench/gc_bench.py" + (f" --rows {args.rows}" if args.rows != 200_000 else "") \
        + (f" --rounds {args.rounds}" if args.rounds != 3 else "")
    label = {"load": f"load: SCDL file, {args.rows:,} rows (`load_file`)",
             "analyse": "analyse: région store (`analyse`; runs with the collector on)", "warm": "API warm-up: région store (`Service.warm`)"}
    lines = [
        BEGIN,
        "## The cyclic garbage collector paused during bulk work, vs left on",
        "",
        f"*Written by `bench/gc_bench.py` on {when}; command:* `{cmd}` *({time.perf_counter() - started:.0f} s in "
        f"all; {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}).*",
        "",
        "`load_file` and `Service.warm` run with CPython's cyclic collector paused "
        "(`maillage.runtime.gc_paused`), `analyse` with it on; *paused*: the worker pauses it around the work "
        "(the code's own pause nests in it); *on*: the same code with `gc.disable` made a no-op in the worker. "
        "CPU seconds of the work alone, each run in a fresh subprocess, on/paused alternating; medians of "
        f"{args.rounds} rounds. *Full passes*: collections of the oldest generation during the work (each walks "
        "every object the process holds; median when on, most when paused). *Unreachable after*: objects a "
        "`gc.collect()` finds right after the paused work, the collector still paused — the cycles the work "
        "made, held until the pause ends (most over the rounds).",
        "",
        "| workload | size | on: CPU (s) | paused: CPU (s) | **on / paused** | peak RSS on | peak RSS paused "
        "| full passes: on / paused | unreachable after (paused) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for w in workloads:
        on, paused = results[w]["on"], results[w]["paused"]
        c_on, c_p = med([x["cpu_s"] for x in on]), med([x["cpu_s"] for x in paused])
        lines.append(
            f"| {label[w]} | {paused[0]['what']} | {c_on:.1f} | {c_p:.1f} | **{c_on / c_p:.2f}×** | "
            f"{med([x['peak_rss_mib'] for x in on]):,.0f} MiB | {med([x['peak_rss_mib'] for x in paused]):,.0f} MiB | "
            f"{med([x['full_passes'] for x in on])} / {max(x['full_passes'] for x in paused)} | "
            f"{max(x['unreachable_after'] for x in paused):,} |")
    lines.append("")
    lines.append("Rounds (CPU s, on / paused): " + "; ".join(
        f"{w}: " + ", ".join(f"{a['cpu_s']:.1f}/{b['cpu_s']:.1f}" for a, b in zip(results[w]["on"], results[w]["paused"]))
        for w in workloads) + ".")
    lines.append(END)
    section = "\n".join(lines)
    print(section)
    if args.no_doc:
        return
    from docsection import write_section  # bench/ (run as a script, or on sys.path)

    write_section(args.doc, section, BEGIN, END)


if __name__ == "__main__":
    main()
