"""Run ``maillage`` as a user the file permissions apply to.

The tests run as root (here and in CI), and root reads and writes whatever the mode bits say: a
file « open in Excel » (locked), a store shared read-only or a folder one may not write can only
be met for real by another user. As root, the command is run as ``nobody`` through ``setpriv``
(util-linux); as any other user, as that user. Without ``setpriv`` the tests fail, saying so (never skipped)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534


def _as_other(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("setpriv (util-linux) is needed to run a command as another user than root: apt-get install "
                    "util-linux")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd]


def run_maillage(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """``python -m maillage.cli ARGS`` in ``cwd`` as a user file permissions apply to, in French;
    its output and errors in ``stdout``, in the order printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILLAGE_")}
    env.update(HOME=str(cwd), PYTHONPATH=str(ROOT), MAILLAGE_LANG="fr", COLUMNS="200")
    return subprocess.run(_as_other([sys.executable, "-m", "maillage.cli", *args]), cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder both root and the other user may write (pytest's ``tmp_path`` is root's alone),
    removed after the test. Fails, saying why, when the other user cannot run maillage from this
    clone (a clone in a folder only root may read): a skipped test would prove nothing."""
    d = Path(tempfile.mkdtemp(prefix="maillage-perm-"))
    d.chmod(0o777)
    try:
        probe = subprocess.run(_as_other([sys.executable, "-c", "import maillage.cli"]), cwd=d,
                               env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(d)},
                               capture_output=True, text=True, timeout=120)
        if probe.returncode != 0:
            pytest.fail(f"the other user cannot import maillage from {ROOT} (a clone in a folder only root may read?): "
                        f"{probe.stderr.strip()[-300:]}")
        yield d
    finally:
        for p in [d, *d.rglob("*")]:  # a folder made unreadable for the test: its files removed too
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o777)
        shutil.rmtree(d, ignore_errors=True)
