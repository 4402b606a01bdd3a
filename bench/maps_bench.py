"""Map page generation time (``maillage.api.maps.map_page``) for 150- to 2,000-actor views.

The graph: ``bench/generate.py --scale region --seed 1`` (≈ 5,000 actors, 30,000 relations)
loaded into an SQLite store under ``bench/out/maps/`` (kept between runs), analysed once
(metrics only) so nodes can be sized by degree. Views: a pôle's neighbourhood capped at 500
actors (depth 2) and at 2,000 (depth 3), a département, and the whole région (aggregated by
pôle and by community). Time of ``map_page`` alone, warm process, median of ``--repeat`` runs;
the page size is reported too. Views of at most 300 actors are drawn with their names kept
apart (label-aware spreading, Kamada–Kawai up to 150); each is also timed without it (the
spring layout alone, as before) and the name boxes that overlap on each page are counted
(estimated boxes, :func:`maillage.api.maps._label_box`). Prints a markdown table (docs/maps.md,
"Generation time").

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


def overlaps(html: str) -> int:
    """Pairs of actors whose estimated name boxes overlap on a map page (grid of 200 px cells)."""
    import json
    import re
    from collections import defaultdict

    from maillage.api.maps import _label_box

    data = json.loads(re.search(r'id="donnees-carte">(.*?)</script>', html, re.S).group(1))
    boxes = [_label_box(n["x"], n["y"], n.get("label") or "", n.get("size", 13), n.get("font", {}).get("size", 12),
                        n.get("widthConstraint", {}).get("maximum", 140)) for n in data["nodes"]]
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (l, t, r, b) in enumerate(boxes):
        for gx in range(int(l // 200), int(r // 200) + 1):
            for gy in range(int(t // 200), int(b // 200) + 1):
                grid[(gx, gy)].append(i)
    pairs = set()
    for cell in grid.values():
        for k, i in enumerate(cell):
            p = boxes[i]
            for j in cell[k + 1:]:
                q = boxes[j]
                if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]:
                    pairs.add((min(i, j), max(i, j)))
    return len(pairs)


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
            ("neighbourhood of a pôle, depth 2, capped at 150", s.neighbourhood(pole.id, depth=2, max_actors=150), "auto"),
            ("neighbourhood of a pôle, depth 2, capped at 300", s.neighbourhood(pole.id, depth=2, max_actors=300), "auto"),
            ("neighbourhood of a pôle, depth 2, capped at 500", s.neighbourhood(pole.id, depth=2, max_actors=500), "auto"),
            ("territory departement:31", s.territory_subgraph("departement:31"), "auto"),
            ("neighbourhood of a pôle, depth 3, capped at 2,000", s.neighbourhood(pole.id, depth=3, max_actors=2000), "auto"),
            ("whole région, aggregated by pôle", s.projection(), "pole"),
            ("whole région, aggregated by community", s.projection(), "community"),
        ]
    from maillage.api import maps

    map_page(views[0][1], "warm-up", metrics=metrics, size_by="degree")
    print("| view | actors | relations | median s | min s | page MB | names apart: overlapping names | "
          "without (spring layout only): median s | overlapping names |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, sub, by in views:
        cells = []
        for spacing in (maps.LABEL_SPACING_MAX, 0):
            keep, maps.LABEL_SPACING_MAX = maps.LABEL_SPACING_MAX, spacing
            try:
                times = []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    html = map_page(sub, name, metrics=metrics, size_by="degree", aggregate_by=by)
                    times.append(time.perf_counter() - t)
            finally:
                maps.LABEL_SPACING_MAX = keep
            cells.append((times, html, overlaps(html)))
            if len(sub.actors) > keep:
                break  # above the threshold both runs are the same page
        (times, html, n), *rest = cells
        without = (f"{statistics.median(rest[0][0]):.2f} | {rest[0][2]:,}" if rest else "same | same")
        print(f"| {name} | {len(sub.actors):,} | {len(sub.relations):,} | {statistics.median(times):.2f} | "
              f"{min(times):.2f} | {len(html.encode()) / 1e6:.1f} | {n:,} | {without} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
