"""Removing a source (``maillage remove``, ``Store.remove_source``): Neo4j against the embedded store.

The file (default: Paris's 2013 subsidies, ``../shared/realdata``: 6,463 rows, 3,615 actors) is
loaded into an emptied Neo4j database, then removed, timed; the same into a fresh embedded store
file. Each measurement runs in its own process (a command's: the store opened cold), the stores
interleaved round by round, median of ``--reps``. With ``--before-code DIR`` (a checkout of an
earlier maillage, e.g. ``git worktree add /tmp/before <commit>``) the same Neo4j measurement runs
with that code too, on the same server, the indexes it did not declare dropped first.

The Neo4j server is a local one started here on a free port (``scripts/neo4j_local.py``, home
``bench/out/neo4j-remove``, stopped at the end), or ``--uri`` (its database is emptied). The run
checks that every variant removed the same number of actors. Rewrites its section of
``docs/benchmarks.md`` (not with ``--no-doc``).

    python bench/neo4j_remove_bench.py
    python bench/neo4j_remove_bench.py --before-code /tmp/before --reps 3
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench/neo4j_remove_bench.py:begin -->", "<!-- bench/neo4j_remove_bench.py:end -->"
PARIS = ROOT.parent / "shared" / "realdata" / "paris-subventions-2013" / "subventions-accordees-et-refusees.csv"
# indexes maillage declares now that an earlier checkout may not have: dropped before its run
NEW_INDEXES = ("maillage_name_of_source", "maillage_ident_of_source")


def worker(store: str, path: Path, code: Path, drop_new: bool) -> dict:
    """One measurement, in this process: load ``path`` into ``store`` (emptied), remove it."""
    sys.path.insert(0, str(code))
    import maillage
    from maillage.graph import open_store
    from maillage.loaders import load_file

    out = {"code": str(Path(maillage.__file__).resolve().parents[1])}
    with tempfile.TemporaryDirectory() as tmp:
        target = store if store.startswith(("bolt:", "neo4j:")) else str(Path(tmp) / "store.db")
        if drop_new:
            from neo4j import GraphDatabase

            with GraphDatabase.driver(store, auth=None) as d:
                for name in NEW_INDEXES:
                    d.execute_query(f"DROP INDEX {name} IF EXISTS")
        s = open_store(target)
        try:
            if hasattr(s, "clear"):
                s.clear()
            t0 = time.perf_counter()
            load_file(s, path, rejects_dir=tmp)
            out["load"] = time.perf_counter() - t0
            sid = s.sources()[0].id
            t0 = time.perf_counter()
            summary = s.remove_source(sid)
            out["remove"] = time.perf_counter() - t0
            out["removed"], out["touched"] = summary.actors_removed, summary.actors_touched
            out["left"] = len(list(s.iter_actors(include_persons=True)))
        finally:
            s.close()
    return out


def _measure(store: str, path: Path, code: Path, drop_new: bool) -> dict:
    cmd = [sys.executable, __file__, "--worker", store, "--file", str(path), "--code", str(code)]
    if drop_new:
        cmd.append("--drop-new-indexes")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    if out["code"] != str(code.resolve()):
        raise SystemExit(f"the measurement ran {out['code']}'s maillage, not {code}'s")
    return out


def _server(uri: str | None):
    if uri:
        return uri, None
    sys.path.insert(0, str(ROOT / "bench"))
    from neo4j_bench import _free_port, _launcher

    local = _launcher()
    inst = local.instance(ROOT / "bench" / "out" / "neo4j-remove", _free_port())
    local.start(inst)
    return inst.uri, (local, inst)


def render(variants: dict[str, list[dict]], facts: dict) -> str:
    med = {k: {m: statistics.median(r[m] for r in v) for m in ("load", "remove")} for k, v in variants.items()}
    sqlite = med["embedded store"]["remove"]
    lines = [BEGIN, "## Removing a source: Neo4j against the embedded store", "",
             f"*Written by `bench/neo4j_remove_bench.py` on {facts['when']} UTC; command:* `{facts['command']}` "
             f"*({facts['seconds']:.0f} s in all; {platform.machine()}, Python {platform.python_version()}; "
             f"load average {facts['load']}).*", "",
             f"`{facts['file']}` ({facts['actors']:,} actors) loaded into an emptied Neo4j database (local 5.26, "
             "`scripts/neo4j_local.py`'s default heap 2g) and into a fresh embedded store file, then removed "
             "(`Store.remove_source`, what `maillage remove` does), each in its own process, the variants "
             f"interleaved round by round, median of {facts['reps']}. Every variant removed the same "
             f"{facts['removed']:,} actors.", "",
             "| store | code | load (s) | remove (s), each run | **remove (s)** | remove / embedded |",
             "|---|---|---:|---|---:|---:|"]
    for name, runs in variants.items():
        store, _, code = name.partition(", ")
        lines.append(f"| {store} | {code or 'this checkout'} | {med[name]['load']:.1f} | "
                     f"{', '.join(format(r['remove'], '.1f') for r in runs)} | **{med[name]['remove']:.2f}** | "
                     f"{med[name]['remove'] / sqlite:.1f}× |")
    lines.append(END)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", type=Path, default=PARIS)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--uri", help="a running Neo4j (its database is emptied); default: one started here")
    ap.add_argument("--before-code", type=Path, help="a checkout of an earlier maillage, measured too")
    ap.add_argument("--no-doc", action="store_true")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--code", type=Path, default=ROOT, help=argparse.SUPPRESS)
    ap.add_argument("--drop-new-indexes", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.file, args.code, args.drop_new_indexes)))
        return 0
    t_start = time.perf_counter()
    uri, started = _server(args.uri)
    plan = {"Neo4j, this checkout": (uri, ROOT, False), "embedded store": ("embedded", ROOT, False)}
    if args.before_code:
        plan = {f"Neo4j, before ({args.before_code})": (uri, args.before_code.resolve(), True), **plan}
    variants: dict[str, list[dict]] = {k: [] for k in plan}
    try:
        for i in range(args.reps):
            for name, (store, code, drop) in plan.items():
                r = _measure(store, args.file, code, drop)
                variants[name].append(r)
                print(f"round {i + 1}: {name}: load {r['load']:.1f} s, remove {r['remove']:.2f} s "
                      f"({r['removed']} actors removed)", flush=True)
    finally:
        if started:
            started[0].stop(started[1], quiet=True)
    removed = {r["removed"] for v in variants.values() for r in v}
    if len(removed) != 1 or any(r["left"] for v in variants.values() for r in v):
        raise SystemExit(f"the variants did not remove the same actors: {variants}")
    cmd = "python bench/neo4j_remove_bench.py" + (f" --reps {args.reps}" if args.reps != 3 else "") + (
        f" --before-code {args.before_code}" if args.before_code else "")
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    section = render(variants, {"when": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M}", "command": cmd,
                                "seconds": time.perf_counter() - t_start, "reps": args.reps, "load": load,
                                "file": args.file.name, "actors": next(iter(variants.values()))[0]["touched"],
                                "removed": removed.pop()})
    print(section)
    if not args.no_doc:
        sys.path.insert(0, str(ROOT / "bench"))
        from docsection import write_section

        write_section(DOC, section, BEGIN, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
