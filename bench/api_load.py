"""Bounded load test of the API on loopback: N concurrent clients for a fixed duration against a
real uvicorn serving the reference dataset, a mix of endpoints; every error is counted (there
must be none) and the latencies are reported (issue 8, "API under load and abuse").

The data: the curated reference dataset (:func:`maillage.loaders.load_reference`) in a fresh
SQLite file, analysed (:func:`maillage.analytics.run.analyse`, so nodes carry metrics as in
production). The server: ``uvicorn --factory maillage.api.app:app_from_env``, one worker, on
127.0.0.1, a token configured (writes possible, never used here), uploads capped at 1 MB.

The clients: one process, ``--clients`` coroutines, each with its own keep-alive HTTP/1.1
connection on plain asyncio streams (:class:`api_bench._Connection`), each drawing its requests
from a fixed mix with its own seeded random generator, until ``--seconds`` have passed. The mix
(:func:`workload`) covers the read endpoints a visitor of the explorer uses — search, actor
record, neighbourhoods at depth 1–3, pôle subgraph and diagnostic, territory listing and
subgraph, shortest path, suggestions, overlaps, observatory, exports (CSV, JSON), a map page —
plus requests that must be refused (unknown actor → 404, page too large → 422). The clients
first share one pass over the mix (every kind of request is made at least once, even in a
short run), then draw at random by weight. Nothing is warmed up first: the first request for each subgraph is computed, later ones come from the
service's caches, as in a running service.

An **error** is a request that did not complete (connection reset, no answer within
``--timeout`` seconds) or whose status is not the one expected for it (any 5xx is one). Latency
is per request as seen by the client (p50, p95, p99: nearest rank; max), req/s is completed
requests over the wall time, and the server's CPU seconds are read from ``/proc``. Client and
server share the machine's CPUs, so every figure is a lower bound.

Writes ``bench/out/reliability/api_load.json`` (or ``--out DIR``); exits 1 when there was an
error.

    python bench/api_load.py                  # 32 clients × 60 s
    python bench/api_load.py --quick          # 4 clients × 3 s: the slice tests/test_api_abuse.py runs
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "reliability"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(BENCH) not in sys.path:
    sys.path.append(str(BENCH))  # for api_bench, without shadowing anything else

from api_bench import _Connection, _cpu_seconds, _versions  # noqa: E402  (bench/api_bench.py)

#: Token of the server under test (writes are possible but never made by the load test).
TOKEN = "jeton-de-charge"


# ---------------------------------------------------------------------------------------------
# the server

def build_reference_store(out: Path) -> tuple[Path, dict]:
    """The reference dataset, loaded and analysed in ``out/reference.db`` (rebuilt each run)."""
    from maillage.analytics.run import analyse
    from maillage.graph import open_store
    from maillage.loaders import load_reference

    out.mkdir(parents=True, exist_ok=True)
    db = out / "reference.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    rejects = out / "rejects"
    store = open_store(str(db))
    try:
        load_reference(store, rejects_dir=rejects)
        run = analyse(store)
        st = store.stats()
    finally:
        store.close()
    shutil.rmtree(rejects, ignore_errors=True)
    return db, {"actors": st["actors"] - st["persons"], "persons": st["persons"], "relations": st["relations"],
                "poles": st["poles"], "run": run.id}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that the kernel says is free now.

    >>> 1024 <= free_port() <= 65535
    True
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port: int, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """One ``GET`` on a fresh connection (``Connection: close``): ``(status, body)``."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def start_server(db: Path, port: int, token: str | None = TOKEN, max_upload_mb: int = 1,
                 cors: str = "") -> subprocess.Popen:
    """uvicorn serving the store ``db`` on ``127.0.0.1:port`` (one worker, no access log), once
    ``/ready`` answers 200; raises ``RuntimeError`` if it does not within 60 s."""
    env = {**os.environ, "MAILLAGE_STORE": str(db), "PYTHONPATH": str(ROOT),
           "MAILLAGE_API_MAX_UPLOAD_MB": str(max_upload_mb), "MAILLAGE_API_CORS": cors}
    env.pop("MAILLAGE_API_TOKEN", None)
    if token:
        env["MAILLAGE_API_TOKEN"] = token
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "maillage.api.app:app_from_env",
                             "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
                             "--log-level", "warning", "--no-access-log"], env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {proc.returncode}")
        try:
            if http_get(port, "/ready", timeout=2)[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("the API did not become ready within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server started by :func:`start_server` (SIGTERM, then SIGKILL after 10 s)."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ---------------------------------------------------------------------------------------------
# the workload

@dataclass(frozen=True)
class Request:
    """One kind of request: its ``name`` in the results, its URLs (one drawn each time), the
    statuses that count as a correct answer, and its weight in the mix."""

    name: str
    urls: tuple[str, ...]
    expected: frozenset[int]
    weight: int


def workload(db: Path, seed: int = 1, sample: int = 60) -> list[Request]:
    """The request mix on the store ``db``: ``sample`` actors and every pôle drawn with ``seed``."""
    from maillage.graph import open_store

    store = open_store(str(db))
    try:
        actors = sorted((a for a in store.iter_actors() if not a.placeholder), key=lambda a: a.id)
        poles = sorted(a.id for a in actors if a.family == "pole")
        run_id = store.runs()[-1].id
    finally:
        store.close()
    rng = random.Random(seed)
    some = rng.sample(actors, min(sample, len(actors)))
    ids = [a.id for a in some]
    words = sorted({w for a in some for w in a.name.split() if len(w) >= 4})
    deps = sorted({"departement:" + a.location.split(":")[1][:2] for a in actors
                   if a.location and a.location.startswith("commune:")})
    pairs = [(ids[i], ids[(i * 7 + 3) % len(ids)]) for i in range(len(ids))]
    ok = frozenset({200})
    return [
        Request("health", ("/health",), ok, 1),
        Request("search", tuple(f"/api/actors?q={quote(w)}&size=20" for w in words), ok, 3),
        Request("actor record", tuple(f"/api/actors/{i}" for i in ids), ok, 3),
        Request("neighbourhood depth 1", tuple(f"/api/actors/{i}/neighbourhood?depth=1" for i in ids), ok, 3),
        Request("neighbourhood depth 2", tuple(f"/api/actors/{i}/neighbourhood?depth=2" for i in ids), ok, 2),
        Request("neighbourhood depth 3", tuple(f"/api/actors/{i}/neighbourhood?depth=3&limit=300" for i in ids), ok, 1),
        Request("pôle subgraph", tuple(f"/api/poles/{p}/subgraph" for p in poles), ok, 2),
        Request("pôle diagnostic", tuple(f"/api/poles/{p}/diagnostic" for p in poles), ok, 1),
        Request("territory actors", tuple(f"/api/territories/{d}/actors?size=50" for d in deps), ok, 1),
        Request("territory subgraph", tuple(f"/api/territories/{d}/subgraph" for d in deps), ok, 1),
        Request("path", tuple(f"/api/path?source={a}&target={b}&lens=all" for a, b in pairs),
                frozenset({200, 404}), 1),
        Request("suggestions", tuple(f"/api/suggestions?actor={i}&k=5" for i in ids), ok, 1),
        Request("overlaps", ("/api/overlaps?limit=50",), ok, 1),
        Request("observatory", ("/api/observatory",), ok, 1),
        Request("runs", (f"/api/runs/{run_id}/metrics",), ok, 1),
        Request("export csv (pôle)", tuple(f"/api/export/csv?pole={p}" for p in poles), ok, 1),
        Request("export json (actor)", tuple(f"/api/export/json?actor={i}&depth=2" for i in ids), ok, 1),
        Request("map (pôle)", tuple(f"/map/pole/{p}" for p in poles), ok, 1),
        Request("unknown actor (404)", ("/api/actors/acteur-inconnu-000000",), frozenset({404}), 1),
        Request("page too large (422)", ("/api/actors?size=5000",), frozenset({422}), 1),
    ]


# ---------------------------------------------------------------------------------------------
# the clients

def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical
    packages. *The American Statistician* 50(4), 361–365, definition 1) of ascending values.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5), percentile([1.0, 2.0, 3.0, 4.0], 0.99)
    (2.0, 4.0)
    """
    if not sorted_values:
        return 0.0
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


async def _client(port: int, mix: list[Request], first: list[Request], rng: random.Random, stop: float,
                  timeout: float, lat: dict[str, list[tuple[float, float]]], errors: list[dict], t0: float) -> None:
    weights = [r.weight for r in mix]
    conn = _Connection("127.0.0.1", port)
    try:
        while first or time.perf_counter() < stop:
            req = first.pop(0) if first else rng.choices(mix, weights)[0]
            url = rng.choice(req.urls)
            t = time.perf_counter()
            try:
                status, body = await asyncio.wait_for(conn.get(url), timeout)
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError, IndexError) as e:
                errors.append({"endpoint": req.name, "url": url, "error": f"{type(e).__name__}: {e}"[:200]})
                conn.close()
                conn = _Connection("127.0.0.1", port)
                continue
            lat[req.name].append((t - t0, time.perf_counter() - t))
            if status not in req.expected:
                errors.append({"endpoint": req.name, "url": url, "status": status, "body": body[:200].decode("utf-8", "replace")})
    finally:
        conn.close()


async def _run(port: int, mix: list[Request], clients: int, seconds: float, seed: int, timeout: float):
    lat: dict[str, list[tuple[float, float]]] = defaultdict(list)
    errors: list[dict] = []
    t0 = time.perf_counter()
    stop = t0 + seconds
    # the clients share one pass over the mix first (every kind of request at least once), then draw
    await asyncio.gather(*(_client(port, mix, mix[i::clients], random.Random(seed * 1000 + i), stop, timeout,
                                   lat, errors, t0) for i in range(clients)))
    return lat, errors, time.perf_counter() - t0


def _stats(values: list[float], wall: float) -> dict:
    v = sorted(values)
    ms = lambda x: round(1000 * x, 2)  # noqa: E731
    return {"requests": len(v), "req_s": round(len(v) / wall, 1) if wall else 0.0,
            "p50_ms": ms(percentile(v, 0.50)), "p95_ms": ms(percentile(v, 0.95)),
            "p99_ms": ms(percentile(v, 0.99)), "max_ms": ms(v[-1]) if v else 0.0}


def load_test(clients: int = 32, seconds: float = 60.0, seed: int = 1, timeout: float = 30.0,
              out: Path = OUT) -> dict:
    """Run the load test (see the module docstring) and return its results, also written to
    ``out/api_load.json``: ``totals`` (requests, errors, req/s, p50/p95/p99/max in ms, the
    server's CPU seconds), ``steady`` (the same over the requests started after the first
    sixth of the run, once the caches are warm), ``by_endpoint`` and the first errors.

    >>> callable(load_test)
    True
    """
    db, dataset = build_reference_store(out)
    mix = workload(db, seed)
    port = free_port()
    proc = start_server(db, port)
    try:
        cpu0 = _cpu_seconds(proc.pid)
        lat, errors, wall = asyncio.run(_run(port, mix, clients, seconds, seed, timeout))
        cpu = _cpu_seconds(proc.pid) - cpu0
        alive = http_get(port, "/health")[0] == 200
    finally:
        stop_server(proc)
    everything = [d for v in lat.values() for _, d in v]
    totals = {**_stats(everything, wall), "errors": len(errors), "seconds": round(wall, 2),
              "server_cpu_s": round(cpu, 1), "server_alive_after": alive}
    warm = seconds / 6
    steady = {"after_s": round(warm, 1),
              **_stats([d for v in lat.values() for s, d in v if s >= warm], max(wall - warm, 1e-9))}
    result = {
        "run_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": "python bench/api_load.py " + " ".join(sys.argv[1:]) if __name__ == "__main__" else "load_test()",
        "host": {"machine": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version(),
                 "stack": _versions(), "load_average_end": round(os.getloadavg()[0], 2)},
        "config": {"clients": clients, "seconds": seconds, "seed": seed, "timeout_s": timeout,
                   "mix": {r.name: r.weight for r in mix}},
        "dataset": {"name": "reference", **dataset},
        "totals": totals,
        "steady": steady,
        "by_endpoint": {r.name: {**_stats([d for _, d in lat.get(r.name, [])], wall),
                                 "errors": sum(e["endpoint"] == r.name for e in errors)} for r in mix},
        "errors": errors[:20],
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "api_load.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    db.unlink(missing_ok=True)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    ap.add_argument("--seconds", type=float, default=60.0, help="duration (default 60 s)")
    ap.add_argument("--quick", action="store_true", help="4 clients × 3 s (the CI slice)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30.0, help="a request without an answer after this is an error")
    ap.add_argument("--out", type=Path, default=OUT, help="directory of api_load.json")
    args = ap.parse_args(argv)
    if args.quick:
        args.clients, args.seconds = 4, 3.0
    r = load_test(args.clients, args.seconds, args.seed, args.timeout, args.out)
    t = r["totals"]
    print(f"{args.clients} clients × {t['seconds']} s: {t['requests']} requests, {t['req_s']} req/s, "
          f"p50 {t['p50_ms']} ms, p95 {t['p95_ms']} ms, p99 {t['p99_ms']} ms, max {t['max_ms']} ms, "
          f"errors {t['errors']} → {args.out / 'api_load.json'}")
    s = r["steady"]
    print(f"after the first {s['after_s']} s: {s['requests']} requests, {s['req_s']} req/s, p50 {s['p50_ms']} ms, "
          f"p95 {s['p95_ms']} ms, p99 {s['p99_ms']} ms, max {s['max_ms']} ms")
    for e in r["errors"][:5]:
        print("  error:", e)
    return 1 if t["errors"] or not t["server_alive_after"] else 0


if __name__ == "__main__":
    sys.exit(main())
