"""The local Neo4j's launcher (``scripts/neo4j_local.py``) with a home whose server runs on
another port than the one asked: ``make neo4j-start NEO4J_PORT=7688``, then ``make neo4j-start``
or ``make neo4j-status`` without the port (the Makefile then passes 7687).

A second ``start`` launched a second JVM on the same data, which failed on the store's lock
after overwriting the pid file with its own (dead) pid: ``status`` then said the server was
stopped and ``stop`` could no longer stop the server that still ran. ``status`` without the
right port said the server did not answer yet on 7687.

The launcher speaks French, as maillage does (it spoke English): its messages are checked
here word for word, its exit codes too (0, or 1 on an error)."""

from __future__ import annotations

import os
import shutil
import socket

import pytest
from neo4j_fixtures import TEST_ROOT, local_neo4j


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def running():
    local = local_neo4j()
    inst = local.instance(TEST_ROOT / f"local-{os.getpid()}", _free_port())
    local.start(inst, heap="512m", pagecache_mb=64, quiet=True)
    try:
        yield inst
    finally:
        local.stop(local.instance(inst.home, inst.port), quiet=True)
        shutil.rmtree(inst.home, ignore_errors=True)


def test_a_home_running_on_another_port_is_found_not_started_twice(running):
    local = local_neo4j()
    pid = running.pid_file.read_text().strip()
    other = local.instance(running.home, _free_port())

    with pytest.raises(local.Neo4jLocalError) as e:
        local.start(other, heap="512m", pagecache_mb=64, quiet=True, timeout=60)
    message = str(e.value)
    assert f"tourne déjà à {running.uri} (pid {pid}) : utilisez --port {running.port}" in message, message
    assert f"--port {running.port}" in message, message
    assert running.pid_file.read_text().strip() == pid  # the running server is still the home's
    # status and stop find it, whatever port they are given
    assert local.status(other) == f"en service à {running.uri}, pid {pid}, répond ({running.home})"
    assert local.stop(other, quiet=True)
    assert local.status(running) == f"arrêté ({running.home})"


def test_the_launcher_says_in_french_what_it_did_or_why_not(tmp_path, capsys):
    local = local_neo4j()
    home = tmp_path / "neo4j"
    assert local.main(["status", "--home", str(home)]) == 0
    assert capsys.readouterr().out == f"arrêté ({home})\n"
    assert local.main(["stop", "--home", str(home)]) == 0
    assert capsys.readouterr().err == f"neo4j : déjà arrêté ({home})\n"
    with socket.socket() as taken:  # another program on the port: refused before anything is built or started
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert local.main(["start", "--home", str(home), "--port", str(port)]) == 1
    assert capsys.readouterr().err == (f"neo4j : erreur : le port {port} est déjà pris par un autre programme : "
                                       "choisissez-en un autre avec --port ou $MAILLAGE_NEO4J_PORT\n")
    assert local.logs(local.instance(home, port)) == f"(aucun journal dans {home / 'logs'})"
