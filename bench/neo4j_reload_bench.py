"""Reloading a source (``maillage load`` of a file already loaded, ``Store.replace_source``): Neo4j
against the embedded store.

The file (default: Paris's 2013 subsidies, ``../shared/realdata``, its column mapping
``paris-subventions``: 6,463 rows, 3,615 actors) is loaded into an emptied Neo4j database (its
query caches cleared: a fresh store), then loaded again twice: the same file (**reload**), then a
new edition of it (**edition**: one partner in three gone, so that statements, names,
identifiers and ties are deleted); each reload's ``replace_source`` timed. The same into a fresh
embedded store file. Each measurement runs in its own process, the variants interleaved round
by round, median of ``--reps``. With ``--before-code DIR`` (a checkout of an earlier maillage,
e.g. ``git worktree add --detach /tmp/before main``) the same Neo4j measurement runs with that
code too, on the same server.

The Neo4j server is a local one started here on a free port (``scripts/neo4j_local.py``, home
``bench/out/neo4j-reload``, stopped at the end), or ``--uri`` (its database is emptied). The run
checks that every variant ends with the same actors. Rewrites its section of ``docs/neo4j.md``
(not with ``--no-doc``).

    python bench/neo4j_reload_bench.py
    python bench/neo4j_reload_bench.py --before-code /tmp/before --reps 3
"""

from __future__ import annotations

import argparse
import hashlib
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
DOC = ROOT / "docs" / "neo4j.md"
BEGIN, END = "<!-- bench/neo4j_reload_bench.py:begin -->", "<!-- bench/neo4j_reload_bench.py:end -->"
sys.path.insert(0, str(ROOT / "bench"))
from neo4j_remove_bench import PARIS, _server  # noqa: E402 (the same file, the same local server)

MAPPING = {"paris-subventions-2013": "paris-subventions"}
STEPS = ("reload", "edition")


def edition(path: Path, out: Path) -> Path:
    """``path`` without one partner in three (by the hash of its row's third column: the SIRET
    in Paris's file): a new edition of the file."""
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    keep = [x for x in lines[1:] if int(hashlib.md5(x.split(";")[2].encode()).hexdigest(), 16) % 3]
    out.write_text("".join(lines[:1] + keep), encoding="utf-8")
    return out


def worker(store: str, path: Path, code: Path) -> dict:
    """One measurement, in this process: load ``path`` into ``store`` (emptied), reload it, then
    its new edition; the seconds each reload's ``replace_source`` took."""
    sys.path.insert(0, str(code))
    import maillage
    from maillage.graph import open_store
    from maillage.loaders import load_file

    out = {"code": str(Path(maillage.__file__).resolve().parents[1])}
    options = {"mapping": MAPPING[path.parent.name]} if path.parent.name in MAPPING else None
    with tempfile.TemporaryDirectory() as tmp:
        target = store if store.startswith(("bolt:", "neo4j:")) else str(Path(tmp) / "store.db")
        s = open_store(target)
        write, took = s.replace_source, []

        def timed(batch):
            t0 = time.perf_counter()
            summary = write(batch)
            took.append(time.perf_counter() - t0)
            return summary

        s.replace_source = timed
        try:
            if hasattr(s, "clear"):
                s.clear()
                with s._driver.session(database=s.database) as session:  # a fresh store: no plan cached
                    session.run("CALL db.clearQueryCaches()").consume()
            files = [path, path, edition(path, Path(tmp) / path.name)]
            for f in files:
                load_file(s, f, format="subsidies" if options else None, options=options, source_id="bench",
                          rejects_dir=tmp)
            out["load"], *reloads = took
            out.update(zip(STEPS, reloads))
            out["actors"] = len(list(s.iter_actors(include_persons=True)))
        finally:
            s.close()
    return out


def _measure(store: str, path: Path, code: Path) -> dict:
    cmd = [sys.executable, __file__, "--worker", store, "--file", str(path), "--code", str(code)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    if out["code"] != str(code.resolve()):
        raise SystemExit(f"the measurement ran {out['code']}'s maillage, not {code}'s")
    return out


def render(variants: dict[str, list[dict]], facts: dict) -> str:
    med = {k: {m: statistics.median(r[m] for r in v) for m in ("load", *STEPS)} for k, v in variants.items()}
    sqlite = med["embedded store"]
    lines = [BEGIN, "### Measured: reloading Paris's subsidies", "",
             f"*Written by `bench/neo4j_reload_bench.py` on {facts['when']} UTC; command:* `{facts['command']}` "
             f"*({facts['seconds']:.0f} s in all; {platform.machine()}, Python {platform.python_version()}; "
             f"load average {facts['load']}).*", "",
             f"`{facts['file']}` loaded into an emptied Neo4j database, its query caches cleared (local 5.26, "
             "`scripts/neo4j_local.py`'s default heap 2g), and into a fresh embedded store file; then loaded "
             "again (**reload**: the same file) and again (**edition**: the file without one partner in three). "
             "Each reload's `Store.replace_source` timed (not the parse and resolution before it), each "
             "variant in its own process, the variants interleaved round by round, median of "
             f"{facts['reps']}. Every variant ends with the same {facts['actors']:,} actors.", "",
             "| store | code | first load (s) | reload (s), each run | **reload (s)** | edition (s), each run | "
             "**edition (s)** | reload / embedded |",
             "|---|---|---:|---|---:|---|---:|---:|"]
    for name, runs in variants.items():
        store, _, code = name.partition(", ")
        lines.append(f"| {store} | {code or 'this checkout'} | {med[name]['load']:.1f} | "
                     f"{', '.join(format(r['reload'], '.1f') for r in runs)} | **{med[name]['reload']:.2f}** | "
                     f"{', '.join(format(r['edition'], '.1f') for r in runs)} | **{med[name]['edition']:.2f}** | "
                     f"{med[name]['reload'] / sqlite['reload']:.1f}× |")
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
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.file, args.code)))
        return 0
    t_start = time.perf_counter()
    uri, started = _server(args.uri)
    plan = {"Neo4j, this checkout": (uri, ROOT), "embedded store": ("embedded", ROOT)}
    if args.before_code:
        plan = {f"Neo4j, before ({args.before_code})": (uri, args.before_code.resolve()), **plan}
    variants: dict[str, list[dict]] = {k: [] for k in plan}
    try:
        for i in range(args.reps):
            for name, (store, code) in plan.items():
                r = _measure(store, args.file, code)
                variants[name].append(r)
                print(f"round {i + 1}: {name}: load {r['load']:.1f} s, reload {r['reload']:.2f} s, "
                      f"edition {r['edition']:.2f} s ({r['actors']} actors)", flush=True)
    finally:
        if started:
            started[0].stop(started[1], quiet=True)
    actors = {r["actors"] for v in variants.values() for r in v}
    if len(actors) != 1:
        raise SystemExit(f"the variants did not end with the same actors: {variants}")
    cmd = "python bench/neo4j_reload_bench.py" + (f" --reps {args.reps}" if args.reps != 3 else "") + (
        f" --before-code {args.before_code}" if args.before_code else "")
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    section = render(variants, {"when": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M}", "command": cmd,
                                "seconds": time.perf_counter() - t_start, "reps": args.reps, "load": load,
                                "file": args.file.name, "actors": actors.pop()})
    print(section)
    if not args.no_doc:
        from docsection import write_section

        write_section(DOC, section, BEGIN, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
