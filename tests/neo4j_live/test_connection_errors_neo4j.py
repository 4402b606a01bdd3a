"""What a Région's data engineer reads when the Neo4j store cannot be reached or refuses them: a
French message (English with --lang en) saying what to do, soon — never the driver's English,
never 30 s of retries before an API answer.

A server that goes away is played by a TCP relay in front of the session's Neo4j, closed in the
middle of the test; the credentials by a second Neo4j with authentication on (started for this
module)."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from maillage.graph import open_store
from maillage.graph.store import StoreError
from neo4j_fixtures import TEST_ROOT, local_neo4j

ROOT = Path(__file__).resolve().parents[2]


class Relay:
    """``127.0.0.1:port`` → ``target``, byte for byte, until :meth:`close` (then the port refuses)."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        try:
            self.server.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept (Linux); close alone does not
        except OSError:
            pass
        self.server.close()
        for s in self.conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass


def _host_port(uri: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(uri)
    return parts.hostname, parts.port


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("MAILLAGE_")}
    return subprocess.run([sys.executable, "-m", "maillage.cli", *args], capture_output=True, text=True, timeout=120,
                          env={**base, **(env or {})}, cwd=ROOT)


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_reads_fail_fast_and_in_french_when_the_server_goes_away(neo4j_uri, caplog):
    """`maillage serve` on Neo4j, then Neo4j stops: every request waited ~33 s (the driver retried
    for its default 30 s) for a 503 in English. Now a read tries two or three times (1 s of
    retries), and the 503 says in French what to do."""
    from maillage.api.app import create_app

    relay = Relay(_host_port(neo4j_uri))
    store = open_store(f"bolt://127.0.0.1:{relay.port}")
    try:
        assert store.stats()["store"] == f"bolt://127.0.0.1:{relay.port}"  # through the relay
        relay.close()
        caplog.set_level(logging.WARNING, logger="neo4j")
        with pytest.raises(StoreError) as e:
            store.stats()
        retries = [r for r in caplog.records if "will be retried" in r.getMessage()]
        assert len(retries) + 1 <= 3, f"{len(retries) + 1} attempts"  # the driver's 30 s made 6
        assert str(e.value) == (f"bolt://127.0.0.1:{relay.port}: no Neo4j answers there (connection refused); "
                                f"start the local one with `make neo4j-start NEO4J_PORT={relay.port}`, or check "
                                "the port")
        with TestClient(create_app(store=store)) as client:
            res = client.get("/api/actors")
            assert res.status_code == 503
            assert res.json()["detail"] == (f"Base indisponible : bolt://127.0.0.1:{relay.port} : aucun Neo4j ne "
                                            "répond à cette adresse (connexion refusée) ; démarrez le Neo4j local "
                                            f"avec « make neo4j-start NEO4J_PORT={relay.port} », ou vérifiez le "
                                            "port")
            res = client.get("/api/actors", params={"lang": "en"})
            assert res.status_code == 503 and "no Neo4j answers there (connection refused)" in res.json()["detail"]
    finally:
        relay.close()
        store.close()


def test_loads_keep_the_drivers_retries(neo4j_uri):
    """A write may wait for a server that comes back (a leader switch): 30 s, the driver's default."""
    from maillage.graph.neo4j_store import WRITE_RETRY_S

    store = open_store(neo4j_uri)
    try:
        assert store._driver._default_workspace_config.max_transaction_retry_time == WRITE_RETRY_S == 30.0
    finally:
        store.close()


def test_a_database_the_server_does_not_have_is_explained(neo4j_uri):
    """Community has one user database: `?database=maillage` gave the raw DatabaseNotFound."""
    res = cli("--store", f"{neo4j_uri}?database=maillage", "stats")
    assert res.returncode == 1
    out = one_line(res.stderr)
    assert (f"erreur : {neo4j_uri}/maillage : ce Neo4j n'a pas de base 'maillage' ; Neo4j Community ne tient qu'une "
            "base d'utilisateur : retirez ?database= et donnez à maillage un serveur à lui") in out, out
    assert "neo4j_code" not in out and "DatabaseNotFound" not in out
    res = cli("--lang", "en", "--store", f"{neo4j_uri}?database=maillage", "stats")
    assert "this Neo4j has no database 'maillage'; Neo4j Community holds a single user database" in one_line(res.stderr)


def test_a_tls_address_of_a_plain_server_says_the_port_answers_otherwise(neo4j_uri):
    host, port = _host_port(neo4j_uri)
    res = cli("--store", f"neo4j+s://{host}:{port}", "stats")
    out = one_line(res.stderr)
    assert res.returncode == 1 and "Unable to retrieve routing information" not in res.stderr
    assert "(le port répond, mais pas en Bolt avec le chiffrement de ce schéma) ; vérifiez l'hôte" in out, out
    assert "make neo4j-start" not in out


@pytest.fixture(scope="module")
def auth_neo4j():
    """A second Neo4j, with authentication on (user neo4j, this password)."""
    local = local_neo4j()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inst = local.instance(TEST_ROOT / f"auth-{os.getpid()}", port)
    saved = os.environ.get("MAILLAGE_NEO4J_PASSWORD")
    os.environ["MAILLAGE_NEO4J_PASSWORD"] = "mot-de-passe-du-test"  # the launcher sets it; answers() logs in with it
    try:
        local.start(inst, heap="512m", pagecache_mb=64, quiet=True)
    finally:
        if saved is None:
            os.environ.pop("MAILLAGE_NEO4J_PASSWORD")
        else:
            os.environ["MAILLAGE_NEO4J_PASSWORD"] = saved
    yield inst.uri
    local.stop(inst, quiet=True)
    shutil.rmtree(inst.home, ignore_errors=True)


def test_credentials_missing_or_wrong_are_explained(auth_neo4j):
    """No password: « Unsupported authentication token, missing key `scheme` »; a wrong one: the
    driver's English. Now both say which variables to set, in French."""
    res = cli("--store", auth_neo4j, "stats")
    out = one_line(res.stderr)
    assert res.returncode == 1
    assert (f"erreur : {auth_neo4j} : ce Neo4j demande un utilisateur et un mot de passe, et aucun n'a été donné ; "
            "définissez MAILLAGE_NEO4J_PASSWORD") in out, out
    assert "scheme" not in out
    res = cli("--store", auth_neo4j, "stats", env={"MAILLAGE_NEO4J_PASSWORD": "pas-le-bon"})
    out = one_line(res.stderr)
    assert (f"erreur : {auth_neo4j} : Neo4j a refusé l'utilisateur neo4j avec ce mot de passe ; vérifiez "
            "MAILLAGE_NEO4J_USER et MAILLAGE_NEO4J_PASSWORD") in out, out
    assert "unauthorized" not in out
    res = cli("--lang", "en", "--store", auth_neo4j, "stats", env={"MAILLAGE_NEO4J_PASSWORD": "pas-le-bon"})
    assert "Neo4j refused user neo4j and this password" in one_line(res.stderr)
    res = cli("--store", auth_neo4j, "stats", "--json", env={"MAILLAGE_NEO4J_PASSWORD": "mot-de-passe-du-test"})
    assert res.returncode == 0, res.stderr


def test_the_right_password_refused_after_wrong_ones_says_to_wait(auth_neo4j, monkeypatch):
    """After 3 wrong passwords Neo4j refuses every login for 5 s, the right password too
    (« Neo.ClientError.Security.AuthenticationRateLimit »); that was said as a wrong password."""
    from maillage.graph import open_store
    from maillage.graph.store import StoreError
    from maillage.loaders.motifs import motif

    time.sleep(6)  # the server forgets the wrong passwords of the test before
    monkeypatch.setenv("MAILLAGE_NEO4J_PASSWORD", "pas-le-bon")
    for _ in range(3):
        with pytest.raises(StoreError, match="refused user neo4j and this password"):
            open_store(auth_neo4j)
    monkeypatch.setenv("MAILLAGE_NEO4J_PASSWORD", "mot-de-passe-du-test")
    with pytest.raises(StoreError) as refused:
        open_store(auth_neo4j)
    said = motif(str(refused.value))
    assert said == (f"{auth_neo4j} : Neo4j refuse pour quelques secondes les connexions de l'utilisateur neo4j après "
                    "plusieurs mots de passe faux de suite (ce mot de passe n'a pas été vérifié) ; attendez quelques "
                    "secondes et réessayez"), said
    time.sleep(6)
    open_store(auth_neo4j).close()  # as said: a few seconds later, the same password is let in
