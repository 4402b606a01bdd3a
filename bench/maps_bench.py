"""Map page generation time (``maillage.api.maps.map_page``) for 500- and 2,000-actor views.

The graph: ``bench/generate.py --scale region --seed 1`` (≈ 5,000 actors, 30,000 relations)
loaded into an SQLite store under ``bench/out/maps/`` (kept between runs), analysed once
(metrics only) so nodes can be sized by degree. Views: a pôle's neighbourhood capped at 500
actors (depth 2) and at 2,000 (depth 3), a département, and the whole région (aggregated by
pôle and by community). Time of ``map_page`` alone, warm process, median of ``--repeat`` runs;
the page size is reported too. Prints a markdown table (docs/maps.md, "Generation time").

    python bench/maps_bench.py            # make bench-maps
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def store_path() -> Path:
    from bench.generate import generate

    out = ROOT / "bench" / "out" / "maps"
    out.mkdir(parents=True, exist_ok=True)
    db = out / "region.db"
    if not db.exists():
        from maillage.analytics.run import analyse
        from maillage.graph import open_store
        from maillage.loaders import load_file

        data = ROOT / "bench" / "data" / "region.jsonl"
        if not data.exists():
            generate("region", seed=1)
        with open_store(str(db)) as s:
            load_file(s, data, format="maillage-jsonl", rejects_dir=out / "rejects")
            analyse(s, diagnostics=False, betweenness_k=200, distance_k=200)
    return db


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    from maillage.api.maps import map_page
    from maillage.graph import open_store

    with open_store(str(store_path())) as s:
        metrics = s.metrics()
        pole = max((a for a in s.iter_actors() if a.family == "pole"),
                   key=lambda a: (len(s.pole_subgraph(a.id).actors), a.id))
        views = [
            ("neighbourhood of a pôle, depth 2, capped at 500", s.neighbourhood(pole.id, depth=2, max_actors=500), "auto"),
            ("territory departement:31", s.territory_subgraph("departement:31"), "auto"),
            ("neighbourhood of a pôle, depth 3, capped at 2,000", s.neighbourhood(pole.id, depth=3, max_actors=2000), "auto"),
            ("whole région, aggregated by pôle", s.projection(), "pole"),
            ("whole région, aggregated by community", s.projection(), "community"),
        ]
    map_page(views[0][1], "warm-up", metrics=metrics, size_by="degree")
    print("| view | actors | relations | median s | min s | page MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, sub, by in views:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            html = map_page(sub, name, metrics=metrics, size_by="degree", aggregate_by=by)
            times.append(time.perf_counter() - t)
        print(f"| {name} | {len(sub.actors):,} | {len(sub.relations):,} | {statistics.median(times):.2f} | "
              f"{min(times):.2f} | {len(html.encode()) / 1e6:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
