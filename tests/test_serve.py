"""`maillage serve` in a real process: what a collectivité sees in its terminal.

uvicorn said « Uvicorn running on http://… (Press CTRL+C to quit) », « Started server
process », « Application startup complete » in English. In French (the default) the command
prints its own line — the address to open, « Ctrl+C pour arrêter » — once the server listens,
uvicorn's start-up lines are left out through its logging configuration, and the access log
says each request plainly (« 12:03:01 GET /health 200 »); `--lang en` keeps uvicorn's English."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: A safety stop for a server that never starts (a failure, not a measure).
GIVE_UP = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, queue.Queue]:
    """``maillage --store … ARGS`` in a subprocess; its stdout and stderr lines, tagged, in a queue."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAILLAGE_LANG", "MAILLAGE_API_TOKEN")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen([sys.executable, "-m", "maillage.cli", "--store", str(tmp_path / "served.db"), *args],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8")
    lines: queue.Queue = queue.Queue()

    def read(tag, stream):
        for line in stream:
            lines.put((tag, line.rstrip("\n")))

    proc.readers = [threading.Thread(target=read, args=(tag, stream), daemon=True)  # type: ignore[attr-defined]
                    for tag, stream in (("out", proc.stdout), ("err", proc.stderr))]
    for t in proc.readers:  # type: ignore[attr-defined]
        t.start()
    return proc, lines


def wait_for(proc: subprocess.Popen, lines: queue.Queue, seen: list, wanted) -> str:
    """The first line (appended to ``seen`` with those before it) for which ``wanted`` holds."""
    deadline = time.monotonic() + GIVE_UP
    while time.monotonic() < deadline:
        try:
            tag, line = lines.get(timeout=0.5)
        except queue.Empty:
            if proc.poll() is not None and lines.empty():
                raise AssertionError(f"the server exited ({proc.returncode}) before printing it: {seen}")
            continue
        seen.append((tag, line))
        if wanted(line):
            return line
    raise AssertionError(f"not printed: {seen}")


def stop(proc: subprocess.Popen, lines: queue.Queue, seen: list) -> None:
    """Ctrl+C, as the line says; then what it printed until it exited."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=GIVE_UP)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    for t in proc.readers:  # type: ignore[attr-defined]
        t.join(timeout=GIVE_UP)  # the pipes are closed: each reader ends once it has read all
    while not lines.empty():
        seen.append(lines.get())


def test_serve_prints_its_own_french_line_with_the_address_and_each_request_plainly(tmp_path):
    port = free_port()
    proc, lines = start(tmp_path, "serve", "--port", str(port))
    seen: list[tuple[str, str]] = []
    try:
        line = wait_for(proc, lines, seen, lambda ln: "en service" in ln)
        assert line == (f"maillage est en service : ouvrez http://127.0.0.1:{port}/ dans un navigateur "
                        "(Ctrl+C pour arrêter)")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health?x=1", timeout=30) as r:
            assert r.status == 200
        access = wait_for(proc, lines, seen, lambda ln: "GET /health?x=1" in ln)
        # the access log: the time, the request, its status; no « INFO: », no client address
        assert ("out", access) in seen and re.fullmatch(r"\d\d:\d\d:\d\d GET /health\?x=1 200", access), access
    finally:
        stop(proc, lines, seen)
    said = "\n".join(line for _, line in seen)
    for english in ("Uvicorn running", "Press CTRL+C", "Started server process", "Application startup complete",
                    "Waiting for application", "Finished server process", "Shutting down"):
        assert english not in said, said
    assert ("err", "Arrêt du service…") in seen


def test_serve_in_english_keeps_uvicorns_lines(tmp_path):
    port = free_port()
    proc, lines = start(tmp_path, "--lang", "en", "serve", "--port", str(port))
    seen: list[tuple[str, str]] = []
    try:
        line = wait_for(proc, lines, seen, lambda ln: "Uvicorn running" in ln)
        assert f"Uvicorn running on http://127.0.0.1:{port} (Press CTRL+C to quit)" in line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=30) as r:
            assert r.status == 200
        access = wait_for(proc, lines, seen, lambda ln: "GET /health" in ln)
        assert access.startswith("INFO:") and '"GET /health HTTP/1.1" 200' in access  # uvicorn's, as it is
    finally:
        stop(proc, lines, seen)
    assert not any("en service" in line for _, line in seen)


def test_a_port_already_taken_is_said_in_french(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc, lines = start(tmp_path, "serve", "--port", str(port))
        seen: list[tuple[str, str]] = []
        line = wait_for(proc, lines, seen, lambda ln: ln.startswith("erreur"))
        proc.wait(timeout=GIVE_UP)
    assert line == (f"erreur : le port {port} de 127.0.0.1 est déjà pris (un autre maillage serve ?) : "
                    "choisissez-en un autre avec --port")
    assert proc.returncode != 0


def test_server_log_doctests():
    import doctest

    from maillage.api import server_log

    assert doctest.testmod(server_log).failed == 0
