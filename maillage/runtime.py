"""Process-level settings for bulk work.

:func:`gc_paused` turns CPython's *cyclic* garbage collector off around work that allocates
millions of small objects and creates no reference cycles (a load's rows and ties, a write's
SQL parameters, a metric table). Reference counting still frees every object as soon as it is
unused; only the periodic cycle search is skipped. That search walks every object the process
holds each time the youngest generation fills (700 allocations): with a million-row file
parsed in memory it cost as much as the parsing itself (a 200,000-row SCDL file: parse stage
19.8 s with it, 9.3 s without; ``bench/gc_bench.py`` in ``docs/benchmarks.md``). Cycles created
meanwhile, if any, are collected after the block.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside the block, restored on the way out (even on an
    error); nested blocks leave it to the outermost one.

    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
