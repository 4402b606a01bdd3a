#!/usr/bin/env python3
"""Does removing a source give the store the other sources loaded alone give?

Loads the reference dataset (the four extractions ``scripts/resolution_order.py`` loads) in each
of its 24 orders, removes each extraction in turn (``maillage remove``:
:func:`maillage.loaders.resolution.remove_source`), and compares the store with the other three
loaded alone, in the same order, into a fresh one: the partition of the statements
``(source, key)`` into actors, the review queue as pairs of such groups, and the actor id of
every statement (96 cases; docs/resolution.md, *Load order*). Prints each case, then the counts.

Usage::

    .venv/bin/python scripts/removal_order.py        # about 4 minutes
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
    from maillage.loaders.resolution import remove_source

    def ids(store):
        return {s.id: store.resolution_of(s.id) for s in store.sources()}

    cases = same = queues = same_ids = 0
    with tempfile.TemporaryDirectory() as tmp:
        for order in itertools.permutations([p.stem for p in reference_paths()]):
            for gone in order:
                with open_store(":memory:") as store, open_store(":memory:") as alone:
                    summary = remove_source(reference_loaded(store, order, tmp), f"reference:{gone}")
                    reference_loaded(alone, [n for n in order if n != gone], tmp)
                    (actors, queue), (actors0, queue0) = partition(store), partition(alone)
                    cases += 1
                    same += actors == actors0
                    queues += (actors, queue) == (actors0, queue0)
                    same_ids += ids(store) == ids(alone)
                    print(f"{' '.join(order):36} - {gone:9} "
                          f"{len(summary.joins_undone):2} joins undone {len(summary.resolved_again):3} moved  "
                          f"partition {'same' if actors == actors0 else f'differs ({len(actors ^ actors0)} groups)'}"
                          f"  queue {'same' if queue == queue0 else 'differs'}  ids "
                          f"{'same' if ids(store) == ids(alone) else 'differ'}")
    print(f"{cases} removals: the partition of the other sources loaded alone in {same}, with their review "
          f"queue too in {queues}; every statement's actor id theirs in {same_ids}")


if __name__ == "__main__":
    main()
