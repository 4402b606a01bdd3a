"""``relations(among=S)`` in the embedded store: every (src, dst) pair of S looked up in
``relations_src (src, dst, type)``, vs each src's index entries read with dst checked there.

The graph: ``bench/generate.py --scale region --seed 1`` (≈ 5,000 actors, 30,000 relations),
the store ``bench/maps_bench.py`` builds and keeps under ``bench/out/maps/``. Sets: the most
tied actor (a hub) with 10 others, a pôle and its neighbours, an EPCI, a commune, a
département and the région (the actors ``actors_in_territory`` gives). For each set, the
SQL of ``relations(among=S)`` (ids only) timed with each plan — the store picks pairs up to
``_AMONG_PAIRS_MAX`` actors — warm, median of ``--repeat``; both plans must return the same
ties (checked). Rewrites its section of ``docs/benchmarks.md`` (not with ``--no-doc``).

    python bench/among_bench.py            # make bench-among (~1 min the first time)
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench/among_bench.py:begin -->", "<!-- bench/among_bench.py:end -->"


def timed(store, ids: set[str], pairs: bool, repeat: int) -> tuple[float, list[str]]:
    """Median seconds of the ``among`` query with one plan, and the relation ids it returns."""
    import maillage.graph.sqlite_store as sq

    saved = sq._AMONG_PAIRS_MAX
    sq._AMONG_PAIRS_MAX = 10**9 if pairs else 0
    try:
        where, args = store._relation_filter(among=ids)
        q = f"SELECT id FROM relations{where} ORDER BY id"
        got = [r[0] for r in store.db.execute(q, args)]
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            store.db.execute(q, args).fetchall()
            times.append(time.perf_counter() - t0)
    finally:
        sq._AMONG_PAIRS_MAX = saved
    return statistics.median(times), got


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}" if seconds >= 0.001 else f"{seconds * 1000:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-doc", action="store_true", help="print only")
    args = ap.parse_args(argv)

    from collections import Counter

    from bench.maps_bench import store_path
    from maillage.graph import open_store
    from maillage.graph.sqlite_store import _AMONG_PAIRS_MAX

    t_all = time.perf_counter()
    with open_store(str(store_path())) as s:
        degree: Counter[str] = Counter()
        for r in s.relations():
            degree[r.source] += 1
            degree[r.target] += 1
        hub, hub_degree = degree.most_common(1)[0]
        others = sorted(degree)[::max(1, len(degree) // 10)][:10]
        pole = max((a for a in s.iter_actors() if a.family == "pole"), key=lambda a: (degree[a.id], a.id))
        ring = set(s.pole_subgraph(pole.id).actors)
        sets = [(f"a hub ({hub_degree:,} ties) and 10 others", {hub, *others}),
                ("a pôle and its neighbours", ring)]
        for tid in ("epci:243100633", "commune:31555", "departement:31", "region:76"):
            sets.append((f"`{tid}`", set(s.actors_in_territory(tid))))
        rows = []
        for label, ids in sets:
            t_pairs, a = timed(s, ids, True, args.repeat)
            t_scan, b = timed(s, ids, False, args.repeat)
            if a != b:
                raise SystemExit(f"{label}: the two plans returned different ties")
            chosen = "pairs" if len(ids) <= _AMONG_PAIRS_MAX else "entries"
            rows.append((label, len(ids), len(a), t_pairs, t_scan, chosen))
    elapsed = time.perf_counter() - t_all
    lines = [
        BEGIN,
        "## Relations among a set of actors (embedded store)",
        "",
        f"*Written by `bench/among_bench.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC "
        f"({elapsed:.0f} s in all; {platform.machine()}, Python {platform.python_version()}); region scale, "
        f"warm, median of {args.repeat}.*",
        "",
        "`relations(among=S)` — the ties whose two ends are in S (a pôle's view, a territory's map, a "
        "report) — answered from `relations_src (src, dst, type)` two ways: **pairs**, every (src, dst) "
        "of S looked up (|S|² probes, a hub costs no more than anyone); **entries**, each src's index "
        "entries read and dst checked in them (|S| probes plus the ties of S's members). The store "
        f"uses pairs up to {_AMONG_PAIRS_MAX} actors, entries above (`_AMONG_PAIRS_MAX`). Both plans "
        "return the same ties (checked).",
        "",
        "| set | actors | ties among them | pairs (ms) | entries (ms) | **pairs / entries** | the store uses |",
        "|---|---:|---:|---:|---:|---:|---|",
        *(f"| {label} | {n:,} | {m:,} | {ms(tp)} | {ms(ts)} | **{tp / ts:.1f}×** | {chosen} |"
          for label, n, m, tp, ts, chosen in rows),
        END,
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_doc:
        from docsection import write_section

        write_section(DOC, section, BEGIN, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
