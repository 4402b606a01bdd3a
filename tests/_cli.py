"""``maillage`` as a user runs it: the real command in a subprocess (exit codes, one-line
errors, what a terminal-less job sees), for the CLI tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def maillage(*args: str, cwd: Path, check: bool = True, lang: str | None = None, store: str | None = None,
             stdin=None) -> subprocess.CompletedProcess:
    """``maillage [--store STORE] ARGS`` in a subprocess run in ``cwd``; ``lang``: ``$MAILLAGE_LANG``
    for it (unset by default, whatever the shell running the tests says); ``stdin``: as
    :func:`subprocess.run` takes it. ``check``: an exit code other than 0 fails, with the output."""
    env = {k: v for k, v in os.environ.items() if k != "MAILLAGE_LANG"} | ({"MAILLAGE_LANG": lang} if lang else {})
    res = subprocess.run([sys.executable, "-m", "maillage.cli", *(("--store", store) if store else ()), *args],
                         cwd=cwd, stdin=stdin, capture_output=True, text=True, timeout=900, env=env)  # a hang guard, not a speed check: a big report takes minutes on a busy machine
    if check and res.returncode != 0:
        raise AssertionError(f"exit {res.returncode}\n{res.stdout}\n{res.stderr}")
    return res
