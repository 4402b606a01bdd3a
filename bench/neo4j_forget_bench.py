"""``Store.forget_person`` on Neo4j, this checkout against an earlier one (``--before-code DIR``).

Each measurement runs in its own process (``PYTHONPATH`` the checkout measured): the database at
``--uri`` is emptied, Paris's 2013 subsidies and the tiers-lieux (``../shared/realdata``) and a
one-person ``maillage-jsonl`` file (Jeanne Dupuis, in Paris, on a pôle's board) are loaded, then
``forget_person`` of her is timed. The checkouts interleaved, the order alternating, median of
``--reps``; the run checks each erased the same. Prints; writes no doc section (the figures are
quoted in docs/neo4j.md, « Taking actors apart or together »).

    python bench/neo4j_forget_bench.py --uri bolt://127.0.0.1:7687 --before-code /tmp/before --reps 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "realdata"
FILES = {"paris": REAL / "paris-subventions-2013" / "subventions-accordees-et-refusees.csv",
         "tiers-lieux": REAL / "tiers-lieux-numerique" / "03_tiers_lieux.csv"}


def _person(folder: Path) -> Path:
    prov = {"document": "etude", "certainty": "stated"}
    rows = [{"record": "header", "format": "maillage-jsonl", "version": 1, "title": "bureau",
             "documents": {"etude": {"sha256": "a" * 64}}},
            {"record": "actor", "key": "jd", "name": "Jeanne Dupuis", "family": "person",
             "location": "commune:75056", "provenance": {**prov, "locator": "L1"}},
            {"record": "actor", "key": "damier", "name": "PTCE Le Damier", "family": "pole",
             "provenance": {**prov, "locator": "L2"}},
            {"record": "relation", "type": "governs", "source": "jd", "target": "damier", "fields": {},
             "provenance": {**prov, "locator": "L3"}}]
    path = folder / "bureau.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def worker(uri: str, folder: Path) -> dict:
    from maillage.graph.neo4j_store import Neo4jStore
    from maillage.loaders import load_file

    s = Neo4jStore(uri)
    s.clear()
    for sid, path in FILES.items():
        load_file(s, path, source_id=sid, rejects_dir=folder)
    load_file(s, _person(folder), rejects_dir=folder)
    pid = s.resolution_of("maillage-jsonl:bureau.jsonl")["jd"]
    t = time.perf_counter()
    done = s.forget_person(pid)
    took = time.perf_counter() - t
    left = s.run_cypher("MATCH (t:Territory) RETURN count(t) AS n")[0]["n"]
    s.close()
    return {"s": took, "erased": [done.statements, done.relations, done.texts], "territories": left}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uri", required=True, help="a Neo4j whose database is emptied")
    ap.add_argument("--before-code", type=Path, required=True, help="a checkout of an earlier maillage")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    folder = ROOT / "bench" / "out" / "forget-neo4j"
    folder.mkdir(parents=True, exist_ok=True)
    if args.worker:
        print(json.dumps(worker(args.uri, folder)))
        return
    codes = {"before": args.before_code.resolve(), "this checkout": ROOT}
    took: dict[str, list[float]] = {k: [] for k in codes}
    seen = set()
    for r in range(args.reps):
        for name in (list(codes) if r % 2 == 0 else list(codes)[::-1]):
            p = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", "--uri", args.uri,
                                "--before-code", str(args.before_code)], capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(codes[name])}, cwd=codes[name], check=True)
            got = json.loads(p.stdout.strip().splitlines()[-1])
            took[name].append(got["s"])
            seen.add(json.dumps([got["erased"], got["territories"]]))
    if len(seen) != 1:
        raise SystemExit(f"the checkouts erased differently: {sorted(seen)}")
    for name, xs in took.items():
        print(f"{name}: median {statistics.median(xs):.3f} s ({', '.join(f'{x:.3f}' for x in xs)})")


if __name__ == "__main__":
    main()
