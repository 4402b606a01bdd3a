#!/usr/bin/env python3
"""Does the resolution of the same files depend on the order they are loaded in?

Loads the reference dataset (the four extractions ``scripts/resolution_eval.py`` measures) in
each of its 24 orders into a fresh store, and compares the partitions of the statements
``(source, key)`` into actors, and the review queues as pairs of such groups, with the
demo's order. Prints, per order, the number of actors and of pairs to review, and the
statements whose actor depends on the order (docs/resolution.md, *Load order*).

Usage::

    .venv/bin/python scripts/resolution_order.py        # about 15 s
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    from test_resolution_order import partition, reference_loaded  # one definition of what is compared

    from maillage.graph import open_store
    from maillage.loaders import reference_paths

    names = [p.stem for p in reference_paths()]
    got = {}
    with tempfile.TemporaryDirectory() as tmp:
        for order in itertools.permutations(names):
            with open_store(":memory:") as store:
                got[order] = partition(reference_loaded(store, order, tmp))
    (first, (actors0, queue0)), *_ = got.items()
    for order, (actors, queue) in got.items():
        print(f"{' '.join(order):40} {len(actors):4} actors {len(queue):3} to review  partition "
              f"{'same' if actors == actors0 else 'differs'}  queue {'same' if queue == queue0 else 'differs'}")
    moved = sorted({st for actors, _ in got.values() for g in actors ^ actors0 for st in g})
    print(f"{len({a for a, _ in got.values()})} partitions, {len({q for _, q in got.values()})} queues; "
          f"{len(moved)} statements whose actor depends on the order:")
    for sid, key in moved:
        print(f"  {sid}:{key}")


if __name__ == "__main__":
    main()
