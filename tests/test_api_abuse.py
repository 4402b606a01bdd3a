"""The API under abuse, on the reference dataset: what is too big, too deep, too slow or not
allowed is capped or refused cleanly, and nothing else suffers.

- oversized bodies → 413 at once (``Content-Length``) or as soon as the bytes read pass the
  limit; oversized headers → 400 from the HTTP layer; multipart bombs → 400;
- neighbourhoods deeper than 3, pages above 200, subgraphs above 2,000 actors → 422; a capped
  subgraph says so (``capped``, ``total_nodes``, a French note) and keeps exactly ``limit`` actors;
- slow clients (headers sent byte by byte then stalled half-way, a body trickled and stalled, a
  response never read) on a real uvicorn do not hold up the other clients, and get their answer
  when they finish;
- writes without the token, or with a wrong one, are 401 (403 when the service has no token)
  and leave the store exactly as it was; ``include_persons`` without the token is 403;
- CORS is off unless origins are configured;
- the bounded load test (``bench/api_load.py --quick``) finishes with zero errors.

The real server is ``uvicorn --factory maillage.api.app:app_from_env`` in a subprocess on a free
loopback port (``bench/api_load.py``: :func:`start_server`). No timing is asserted: "does not
hold up" is checked by order (the other clients are all answered while the slow ones are stalled
half-way through their requests), with generous timeouts only to turn a hang into a failure.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from maillage.analytics.run import analyse
from maillage.api.app import create_app
from maillage.graph import open_store
from maillage.loaders import load_reference

from _loading import store_snapshot

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "jeton-abus-9f3c"
ORIGIN = "https://explorateur.example.org"
POLE = "periscope-le-periscope-248958"
MEMBER = "access-2b2ad1"
TERRITORY = "departement:31"
MEMBERS_CSV = "Nom;SIREN;Rôle\nÉcosimo;450324660;membre fondateur\nRésam;;adhérent\n"
HANG = 60  # seconds after which a request that never completes fails the test (a hang, not a timing)


def _bench_load():
    spec = importlib.util.spec_from_file_location("bench_api_load", ROOT / "bench" / "api_load.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


api_load = _bench_load()


# ---------------------------------------------------------------------------------------------
# fixtures

@pytest.fixture(scope="module")
def ref_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("abuse") / "reference.db"
    store = open_store(str(path))
    load_reference(store, rejects_dir=path.parent / "rejects")
    analyse(store)
    store.close()
    return path


@pytest.fixture(scope="module")
def api(ref_db):
    with TestClient(create_app(str(ref_db), token=TOKEN, max_upload_mb=1)) as c:
        yield c


@pytest.fixture(scope="module")
def port(ref_db, tmp_path_factory):
    """A real uvicorn on its own copy of the reference store (token set, uploads ≤ 1 MB)."""
    db = tmp_path_factory.mktemp("served") / "reference.db"
    shutil.copy(ref_db, db)
    p = api_load.free_port()
    proc = api_load.start_server(db, p, token=TOKEN, max_upload_mb=1)
    yield p
    api_load.stop_server(proc)


@pytest.fixture
def writable(ref_db, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(ref_db, db)
    return db


def raw(port: int, data: bytes, read_all: bool = True, timeout: float = HANG) -> tuple[int, dict[str, str], bytes]:
    """Send ``data`` on a fresh connection and read the answer: ``(status, headers, body)``."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before reading everything: read its answer
        return _read_response(s)


def _read_response(s: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                length = [int(x.split(b":")[1]) for x in head.lower().split(b"\r\n") if x.startswith(b"content-length:")]
                if length and len(body) >= length[0]:
                    break
    except ConnectionResetError:
        if not data:
            raise  # nothing of the answer arrived
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    return int(lines[0].split(" ", 2)[1]), headers, body


def get(port: int, path: str, headers: str = "") -> tuple[int, dict[str, str], bytes]:
    return raw(port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n".encode())


def alive(port: int) -> bool:
    status, _, body = get(port, "/health")
    return status == 200 and json.loads(body) == {"status": "ok"}


def refused(port: int, data: bytes) -> tuple[int, bytes]:
    """Status and body of the answer to an oversized request. The server answers and closes
    before reading everything, so the kernel may reset the connection under the answer: try
    again (a few times) when nothing of it arrived."""
    for _ in range(5):
        try:
            status, _, body = raw(port, data)
            return status, body
        except (ConnectionResetError, IndexError, ValueError):
            continue
    raise AssertionError("no answer to an oversized request in 5 tries")


# ---------------------------------------------------------------------------------------------
# oversized requests

def test_a_declared_body_above_the_limit_is_refused_at_once(port):
    auth = f"Authorization: Bearer {TOKEN}\r\n"
    for path, start in (("/api/load", "Requête trop volumineuse (5.0 Mo, limite 1 Mo)."),
                        ("/api/load?lang=en", "Request too large (5.0 MB, limit 1 MB).")):
        # only the headers are sent: the 5 MB never come, the answer must not wait for them
        head = (f"POST {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: multipart/form-data; boundary=b\r\n"
                f"Content-Length: {5 * 1024 * 1024}\r\n\r\n").encode()
        status, headers, body = raw(port, head)
        assert status == 413 and json.loads(body)["detail"].startswith(start), body
        assert headers["connection"] == "close"
    # a GET route too: the limit is checked before routing
    status, _, body = raw(port, b"GET /api/actors HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n")
    assert status == 413
    assert alive(port)


def test_a_streamed_body_above_the_limit_is_cut_off(port):
    body = (b'--b\r\nContent-Disposition: form-data; name="file"; filename="gros.csv"\r\n\r\nNom\n'
            + b"x;" * (700 * 1024) + b"\r\n--b--\r\n")
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (body[i:i + 65536] for i in range(0, len(body), 65536)))
    head = (f"POST /api/load HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    status, out = refused(port, head + chunks + b"0\r\n\r\n")
    assert status == 413 and (out == b"" or json.loads(out)["detail"].startswith("Requête trop volumineuse")), out
    assert alive(port)


def test_oversized_headers_and_urls_are_refused_by_the_http_layer(port):
    status, body = refused(port, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Grand: " + b"a" * 2_000_000 + b"\r\n\r\n")
    assert status == 400 and body in (b"", b"Invalid HTTP request received.")
    status, _ = refused(port, b"GET /health?x=" + b"a" * 2_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 400
    status, _ = refused(port, b"GET /health HTTP/1.1\r\nHost: x\r\n"
                        + b"".join(b"X-%d: a\r\n" % i for i in range(100_000)) + b"\r\n")
    assert status == 400
    # a search text is at most 200 characters, whatever the URL allows
    status, _, body = get(port, "/api/actors?q=" + "a" * 50_000)
    assert status == 422 and json.loads(body)["errors"][0]["loc"] == ["query", "q"]
    assert alive(port)


def test_multipart_bombs_are_refused(api):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    two = [("file", ("a.csv", MEMBERS_CSV.encode(), "text/csv")), ("file", ("b.csv", MEMBERS_CSV.encode(), "text/csv"))]
    r = api.post("/api/load", files=two, headers=auth)
    assert r.status_code == 400, r.text
    many = {f"champ{i}": "x" for i in range(150)}
    r = api.post("/api/load", files={"file": ("m.csv", MEMBERS_CSV.encode(), "text/csv")}, data=many, headers=auth)
    assert r.status_code == 400, r.text
    r = api.post("/api/load", content=b"--b\r\nnot multipart at all", headers={
        **auth, "Content-Type": "multipart/form-data; boundary=b"})
    assert r.status_code == 400 and r.json()["detail"]
    r = api.post("/api/load", content=b"{}", headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 400 and "multipart" in r.json()["detail"]


# ---------------------------------------------------------------------------------------------
# deep neighbourhoods, huge pages and subgraphs

def _loc(r) -> list[str]:
    return [e["loc"][-1] for e in r.json()["errors"]]


@pytest.mark.parametrize("depth", ["4", "10", "0", "-1", str(10**30), "2.5", "trois"])
def test_neighbourhoods_deeper_than_3_are_refused(api, depth):
    for url in (f"/api/actors/{MEMBER}/neighbourhood?depth={depth}", f"/map/actor/{MEMBER}?depth={depth}",
                f"/api/export/json?actor={MEMBER}&depth={depth}"):
        r = api.get(url)
        assert r.status_code == 422 and _loc(r) == ["depth"], (url, r.text[:300])
        assert r.json()["detail"].startswith("Paramètre invalide : depth")


def test_a_capped_deep_neighbourhood_says_so_and_keeps_exactly_the_limit(api, ref_db):
    store = open_store(str(ref_db))
    try:
        persons = {a.id for a in store.iter_actors(include_persons=True) if a.personal_data}
        G = nx.Graph()
        G.add_edges_from((r.source, r.target) for r in store.relations()
                         if r.source not in persons and r.target not in persons)
    finally:
        store.close()
    within3 = nx.single_source_shortest_path_length(G, POLE, cutoff=3)
    assert len(within3) > 200  # the reference pôle reaches much of the graph in 3 ties
    got = api.get(f"/api/actors/{POLE}/neighbourhood?depth=3&limit=5").json()
    assert got["capped"] is True and got["limit"] == 5 and len(got["nodes"]) == 5
    assert 5 < got["total_nodes"] <= len(within3)
    assert got["notes"] and got["notes"][0].startswith("Sous-graphe limité à 5 acteurs")
    assert {n["id"] for n in got["nodes"]} <= {k for k, d in within3.items() if d <= 1}  # the closest first
    full = api.get(f"/api/actors/{POLE}/neighbourhood?depth=3&limit=2000").json()
    assert full["capped"] is False and {n["id"] for n in full["nodes"]} == set(within3)


@pytest.mark.parametrize("url", [
    "/api/actors?size=201", "/api/actors?size=1000000", f"/api/actors?size={10**30}", "/api/actors?size=0",
    "/api/actors?size=-5", f"/api/actors?page={10**30}", "/api/actors?page=0",
    f"/api/territories/{TERRITORY}/actors?size=201", f"/api/territories/{TERRITORY}/actors?size={10**12}",
    f"/api/poles/{POLE}/subgraph?limit=2001", f"/api/actors/{MEMBER}/neighbourhood?limit=100000",
    f"/api/territories/{TERRITORY}/subgraph?limit={10**9}", f"/map/pole/{POLE}?limit=2001",
    "/api/overlaps?limit=2001", "/api/suggestions?k=51", "/api/path?source=a&target=b&max_hops=11",
])
def test_huge_pages_and_subgraphs_are_refused(api, url):
    r = api.get(url)
    assert r.status_code == 422, (url, r.text[:300])
    assert r.json()["errors"] and r.json()["detail"].startswith(("Paramètre invalide", "Paramètres invalides"))


def test_the_largest_allowed_page_is_served_and_a_page_past_the_end_is_empty(api):
    first = api.get("/api/actors?size=200").json()
    assert len(first["items"]) == 200 and first["total"] > 200
    past = api.get("/api/actors?size=200&page=100000").json()
    assert past["items"] == [] and past["total"] == first["total"]


# ---------------------------------------------------------------------------------------------
# slow clients on a real server

class Trickler(threading.Thread):
    """Sends each of ``payloads`` on its own connection one byte per ``tick`` seconds (all
    connections in turn); stalls half-way (every request incomplete, its connection held) until
    :attr:`resume` is set; then sends the rest and reads every answer."""

    def __init__(self, port: int, payloads: list[bytes], tick: float):
        super().__init__(daemon=True)
        self.socks = [socket.create_connection(("127.0.0.1", port), timeout=HANG) for _ in payloads]
        self.payloads, self.tick = payloads, tick
        self.stalled, self.resume = threading.Event(), threading.Event()
        self.answers: list[tuple[int, dict[str, str], bytes]] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            longest = max(len(p) for p in self.payloads)
            for i in range(longest):
                if i == longest // 2:
                    self.stalled.set()
                    if not self.resume.wait(HANG):
                        raise TimeoutError("never resumed")
                for s, p in zip(self.socks, self.payloads):
                    if i < len(p):
                        s.sendall(p[i:i + 1])
                time.sleep(self.tick)
            self.answers = [_read_response(s) for s in self.socks]
        except BaseException as e:  # noqa: BLE001 - reported by the test
            self.error = e
        finally:
            self.stalled.set()
            for s in self.socks:
                s.close()


def test_slow_clients_do_not_hold_up_the_others(port):
    slow_get = (f"GET /api/actors/{MEMBER} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lent: {'z' * 200}\r\n"
                "Connection: close\r\n\r\n").encode()
    form = ('--b\r\nContent-Disposition: form-data; name="pole"\r\n\r\nPôle Lent\r\n'.encode()
            + b'--b\r\nContent-Disposition: form-data; name="file"; filename="lent.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\n" + MEMBERS_CSV.encode() + b"\r\n--b--\r\n")
    head = (f"POST /api/load HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {len(form)}\r\n"
            "Connection: close\r\n\r\n").encode()
    slow_post = head + form  # the headers arrive in the first half, the body is trickled across the stall
    assert len(head) < len(slow_post) // 2 < len(slow_post)
    # a reader that asks for the whole graph and never reads the answer
    sink = socket.create_connection(("127.0.0.1", port), timeout=HANG)
    sink.sendall(b"GET /api/export/json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    slow = Trickler(port, [slow_get] * 40 + [slow_post], tick=0.005)
    slow.start()
    try:
        assert slow.stalled.wait(HANG) and slow.error is None, slow.error
        # 40 requests with half their headers, an upload with half its body, an unread export:
        # the others are answered all the same
        fast = [get(port, url)[0] for _ in range(10)
                for url in ("/health", f"/api/actors/{POLE}/neighbourhood?depth=1", "/api/actors?q=coop&size=5")]
        assert fast == [200] * len(fast)
        assert slow.is_alive() and not slow.answers  # still waiting: they were answered first
        slow.resume.set()
        slow.join(HANG * 2)
        assert not slow.is_alive() and slow.error is None, slow.error
    finally:
        slow.resume.set()
        sink.close()
    assert [a[0] for a in slow.answers] == [200] * 41, [a[2][:300] for a in slow.answers if a[0] != 200]
    expected = json.loads(get(port, f"/api/actors/{MEMBER}")[2])
    # the same record, but for the run's notes: the upload, loaded since, is a change of the graph
    # the analysis did not see, which the record now says (« … chargée le … : relancez … »)
    answered = json.loads(slow.answers[0][2])
    assert {k: v for k, v in answered.items() if k != "run_notes"} == {
        k: v for k, v in expected.items() if k != "run_notes"}
    assert any("members:lent.csv" in n for n in expected["run_notes"]), expected["run_notes"]
    report = json.loads(slow.answers[-1][2])
    assert report["file"] == "lent.csv" and report["rows_read"] == 2
    assert alive(port)


# ---------------------------------------------------------------------------------------------
# writes and persons need the token

BAD_AUTH = [None, "Bearer faux", "Bearer ", "Bearer", f"Basic {TOKEN}", f"Bearer {TOKEN[:-1]}",
            f"Bearer {TOKEN}x", f"Bearer {TOKEN.upper()}", TOKEN, f"Token {TOKEN}", f"Bearer {TOKEN} {TOKEN}"]


def test_writes_without_the_right_token_are_refused_and_change_nothing(writable):
    store = open_store(str(writable))
    before, runs = store_snapshot(store), [r.id for r in store.runs()]
    store.close()
    files = {"file": ("membres.csv", MEMBERS_CSV.encode(), "text/csv")}
    with TestClient(create_app(str(writable), token=TOKEN, max_upload_mb=1)) as c:
        ready = c.get("/ready").json()
        for auth in BAD_AUTH:
            headers = {"Authorization": auth} if auth is not None else {}
            r = c.post("/api/load", files=files, data={"pole": "Pôle Essai"}, headers=headers)
            assert r.status_code == 401, (auth, r.text)
            assert r.headers["www-authenticate"] == "Bearer" and "Jeton absent ou invalide" in r.json()["detail"]
        r = c.post(f"/api/load?token={TOKEN}", files=files)  # the token only travels in the header
        assert r.status_code == 400 and r.json()["detail"].startswith("Paramètre inconnu « token » ; paramètres "
                                                                     "possibles : lang.") and TOKEN not in r.text
        for method in ("put", "patch", "delete"):
            assert getattr(c, method)("/api/load", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405
        assert c.get("/ready").json() == ready
    with TestClient(create_app(str(writable), token=None, max_upload_mb=1)) as c:  # writes disabled
        for auth in [*BAD_AUTH, f"Bearer {TOKEN}"]:
            r = c.post("/api/load", files=files, headers={"Authorization": auth} if auth else {})
            assert r.status_code == 403 and r.json()["detail"].startswith("Écritures désactivées"), (auth, r.text)
    store = open_store(str(writable))
    try:
        assert store_snapshot(store) == before and [r.id for r in store.runs()] == runs
    finally:
        store.close()
    # the harness can fail: the right token does change the store
    with TestClient(create_app(str(writable), token=TOKEN, max_upload_mb=1)) as c:
        r = c.post("/api/load", files=files, data={"pole": "Pôle Essai"}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200, r.text
    store = open_store(str(writable))
    try:
        assert store_snapshot(store) != before
    finally:
        store.close()


def test_persons_need_the_token_on_every_route_that_offers_them(api):
    spec = api.get("/openapi.json").json()
    routes = [p for p, ops in spec["paths"].items() if "get" in ops
              and any(x["name"] == "include_persons" for x in ops["get"].get("parameters", []))]
    assert len(routes) >= 10
    fill = {"actor_id": MEMBER, "pole_id": POLE, "tid": TERRITORY, "run_id": "inconnu", "fmt": "json"}
    extra = {"/api/path": "&source=access-2b2ad1&target=" + POLE, "/map/path": "&source=access-2b2ad1&target=" + POLE}
    for path in routes:
        url = path.format(**fill) + "?include_persons=true" + extra.get(path, "")
        for auth in BAD_AUTH:
            r = api.get(url, headers={"Authorization": auth} if auth else {})
            assert r.status_code == 403 and "jeton" in r.json()["detail"], (url, auth, r.text[:200])
        assert api.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).status_code in (200, 404), url


# ---------------------------------------------------------------------------------------------
# CORS

def test_cors_is_off_by_default(port):
    status, headers, _ = get(port, "/api/actors?size=1", headers=f"Origin: {ORIGIN}\r\n")
    assert status == 200 and not any(h.startswith("access-control-") for h in headers)
    pre = (f"OPTIONS /api/actors HTTP/1.1\r\nHost: x\r\nOrigin: {ORIGIN}\r\nAccess-Control-Request-Method: GET\r\n"
           "Connection: close\r\n\r\n").encode()
    status, headers, _ = raw(port, pre)
    assert status == 405 and not any(h.startswith("access-control-") for h in headers)


def test_cors_when_configured_allows_only_its_origins_reads_and_the_load(ref_db):
    with TestClient(create_app(str(ref_db), cors_origins=[ORIGIN])) as c:
        ok = c.options("/api/actors", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == ORIGIN
        assert set(ok.headers["access-control-allow-methods"].replace(" ", "").split(",")) == {"GET", "POST"}
        assert "access-control-allow-credentials" not in ok.headers
        bad = c.options("/api/actors", headers={"Origin": "https://pirate.example", "Access-Control-Request-Method": "GET"})
        assert bad.status_code == 400 and "access-control-allow-origin" not in bad.headers
        put = c.options("/api/load", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "DELETE"})
        assert put.status_code == 400
        assert "access-control-allow-origin" not in c.get("/health", headers={"Origin": "https://pirate.example"}).headers


# ---------------------------------------------------------------------------------------------
# the bounded load test, short

def test_the_quick_load_test_has_no_errors(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "api_load.py"), "--quick", "--out", str(tmp_path)],
                       capture_output=True, text=True, timeout=600, cwd=ROOT)
    result = json.loads((tmp_path / "api_load.json").read_text(encoding="utf-8"))
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert result["totals"]["errors"] == 0 and result["errors"] == [], result["errors"][:3]
    assert result["totals"]["server_alive_after"] is True
    assert result["config"]["clients"] == 4 and result["config"]["seconds"] == 3.0
    # every kind of request of the mix was made, the refusals included
    assert all(e["requests"] >= 1 for e in result["by_endpoint"].values()), result["by_endpoint"]
    assert result["totals"]["requests"] >= len(result["by_endpoint"])
    assert not (tmp_path / "reference.db").exists()


def test_percentiles_are_nearest_rank():
    xs = sorted([15.0, 20.0, 35.0, 40.0, 50.0])  # Hyndman & Fan's definition 1 (nearest rank)
    assert [api_load.percentile(xs, q) for q in (0.05, 0.30, 0.40, 0.50, 1.0)] == [15.0, 20.0, 20.0, 35.0, 50.0]
    assert api_load.percentile([], 0.5) == 0.0
