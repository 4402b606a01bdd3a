"""Process-level settings for bulk work: the cyclic collector, and progress reports.

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Progress = Callable[[str, int, int], None]
_PROGRESS: ContextVar[Progress | None] = ContextVar("maillage_progress", default=None)


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


@contextmanager
def reporting(progress: Progress | None) -> Iterator[None]:
    """Inside the block, :func:`report` calls ``progress(stage, done, total)``: the long loops deep
    in a format or a store (a million rows parsed, a million ties written) say how far they
    are without every loader and store taking a callback. Nested blocks: the innermost wins.

    >>> seen = []
    >>> with reporting(lambda *a: seen.append(a)):
    ...     report("parse", 1, 2)
    >>> report("parse", 2, 2)  # outside: nobody listens
    >>> seen
    [('parse', 1, 2)]
    """
    token = _PROGRESS.set(progress)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def report(stage: str, done: int, total: int) -> None:
    """Tell the listener of the enclosing :func:`reporting` block, if any, that ``done`` of ``total``
    of ``stage`` is done. Cheap enough for every few thousand rows, not for every row."""
    progress = _PROGRESS.get()
    if progress is not None:
        progress(stage, done, total)


#: How many rows a long loop handles between two :func:`report` calls.
REPORT_EVERY = 10_000
