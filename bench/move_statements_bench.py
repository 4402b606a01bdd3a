"""Moving statements of a big source (``Store.move_statements``: what ``maillage remove`` does to
the later sources it resolves again, and what joins, detach, accept and undo do a statement at a
time), on the embedded store: its names and identifiers found by ``(source_id, stmt_key)``
(``names_source``, ``identifiers_source`` since h164) against the indexes as they were, on
``source_id`` alone (every name of the source read for each statement moved).

Paris's 2013 subsidies (``../shared/realdata``, 6,463 rows) are loaded once into a template
store file (``bench/out/tmp/``); each run copies it, (variant ``before``) redefines the two
indexes as they were, and times ``move_statements`` of the source's first ``--n`` statements,
each to an actor of its own. Both variants in one process, interleaved (the order alternating),
median of ``--reps``; checks each run moved them all. Prints; writes no doc section.

    python bench/move_statements_bench.py --n 1000 --reps 5
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PARIS = ROOT.parent / "shared" / "realdata" / "paris-subventions-2013" / "subventions-accordees-et-refusees.csv"
TMP = ROOT / "bench" / "out" / "tmp"
BEFORE = ("DROP INDEX names_source; CREATE INDEX names_source ON names(source_id); "
          "DROP INDEX identifiers_source; CREATE INDEX identifiers_source ON identifiers(source_id);")


def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def run(template: Path, variant: str, n: int) -> float:
    from maillage.graph.model import Actor
    from maillage.graph.sqlite_store import SQLiteStore
    from maillage.graph.store import ResolvedStatement

    path = TMP / f"move-{variant}.db"
    _fresh(path)
    shutil.copy(template, path)
    s = SQLiteStore(path)
    if variant == "before":
        s.db.executescript(BEFORE)
    rows = s.db.execute("SELECT key, data FROM statements WHERE source_id='paris' ORDER BY key LIMIT ?", (n,)).fetchall()
    moves = [ResolvedStatement(Actor.model_validate_json(d), f"moved-{i}", "new") for i, (_, d) in enumerate(rows)]
    t = time.perf_counter()
    s.move_statements("paris", moves)
    took = time.perf_counter() - t
    moved = s.db.execute("SELECT count(DISTINCT actor_id) FROM statements WHERE actor_id LIKE 'moved-%'").fetchone()[0]
    s.close()
    _fresh(path)
    if moved != n:
        raise SystemExit(f"{variant}: {moved} statements moved, not {n}")
    return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="statements moved (default 1000)")
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    from maillage.graph.sqlite_store import SQLiteStore
    from maillage.loaders import load_file

    TMP.mkdir(parents=True, exist_ok=True)
    template = TMP / "move-template.db"
    _fresh(template)
    s = SQLiteStore(template)
    load_file(s, PARIS, source_id="paris", rejects_dir=TMP / "rejets")
    s.close()
    took: dict[str, list[float]] = {"before": [], "now": []}
    for r in range(args.reps):
        for variant in (("before", "now") if r % 2 == 0 else ("now", "before")):
            took[variant].append(run(template, variant, args.n))
    for variant, xs in took.items():
        print(f"{variant}: median {statistics.median(xs):.2f} s ({', '.join(f'{x:.2f}' for x in xs)})")
    _fresh(template)


if __name__ == "__main__":
    main()
