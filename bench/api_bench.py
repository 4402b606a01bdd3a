"""Throughput of the API under 32 concurrent clients on loopback: a trivial endpoint vs the
neighbourhood (depth 1 and 2) and pôle-subgraph endpoints, on the generated ``region`` graph
(and ``nation`` with ``--scales region nation``).

The graph: ``bench/generate.py --scale <scale> --seed 1`` (``bench/data/<scale>.jsonl``,
generated if missing) loaded into a fresh SQLite file store with ``load_file``, then
``maillage.analytics.run.analyse`` (so every node carries the run's metrics, as in
production). The store is kept in ``bench/out/api/<scale>.db`` and reused while the data file
is unchanged (``--rebuild`` forces it).

The server: ``uvicorn --factory maillage.api.app:app_from_env`` in its own process, one
worker, ``--no-access-log``, on 127.0.0.1 (whatever event loop and HTTP parser the installed
uvicorn has: without ``uvicorn[standard]`` that is asyncio + h11).

The clients: one process, 32 coroutines each with its own keep-alive HTTP/1.1 connection on
plain asyncio streams (:class:`_Connection`: far less CPU per request than httpx), on the same
machine — so the client takes CPU from the server and every figure is a lower bound. Per
endpoint: a warm-up (every URL once, so the service's caches are as warm as in a running
service), then ``--requests`` requests (a quarter for depth 2 and the pôle subgraph; bounded
by ``--seconds``) over actors drawn with a fixed seed (pôles for the pôle subgraph); req/s is
completed requests / wall time, p50/p95 are per-request latencies seen by the client, and
the server's CPU time per request is read from ``/proc`` (less sensitive to the client and to
other processes than req/s). Every response must be 200 (else the run fails). The ratio
depth-1 / trivial is the target of the API issue: ≥ 40 % on the region graph. Those two
endpoints are measured in ``--rounds`` alternating rounds (trivial, depth 1, trivial,
depth 1, …; ``--requests`` each in all): on a shared machine a slow patch then falls on both
rather than on one of them, and the ratio reported is the median of the rounds' ratios (each
round's is listed too).

Each scale is run twice: with the response cache (the default: a subgraph response is kept in
memory until the store changes) and without it (``MAILLAGE_API_RESPONSE_CACHE_MB=0``: every
request computes its subgraph), so both the steady state of a running service and the cost of
a first request are reported.

Writes ``bench/out/api/results.json`` and rewrites its section of ``docs/benchmarks.md``.

    python bench/api_bench.py                       # region (~2 min once the store exists)
    python bench/api_bench.py --scales region nation   # nation: its store is built first (load + analysis)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Annotated, Literal

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out" / "api"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench/api_bench.py:begin -->", "<!-- bench/api_bench.py:end -->"
CLIENTS = 32
TARGET = 0.40
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# module level: FastAPI reads the (string) annotations of query_overhead's endpoints from here
from fastapi import FastAPI, Query, Request  # noqa: E402
from fastapi.responses import Response  # noqa: E402

from maillage.api.service import DEFAULT_LIMIT, MAX_DEPTH, MAX_LIMIT  # noqa: E402


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_store(scale: str, rebuild: bool) -> tuple[Path, dict]:
    """The analysed SQLite store of a scale (built once per data file)."""
    data = BENCH / "data" / f"{scale}.jsonl"
    if not data.exists():
        subprocess.run([sys.executable, str(BENCH / "generate.py"), "--scale", scale, "--seed", "1"], check=True)
    db = OUT / f"{scale}.db"
    marker = OUT / f"{scale}.db.json"
    sha = _sha(data)
    if not rebuild and db.exists() and marker.exists() and json.loads(marker.read_text()).get("data_sha256") == sha:
        return db, json.loads(marker.read_text())
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), marker):
        p.unlink(missing_ok=True)
    from maillage.analytics.run import analyse
    from maillage.graph import open_store
    from maillage.loaders import load_file

    OUT.mkdir(parents=True, exist_ok=True)
    store = open_store(str(db))
    t = time.perf_counter()
    load_file(store, data, format="maillage-jsonl", source_id=f"bench:{scale}")
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    # nation: betweenness, closeness and harmonic sampled from 500 sources (as bench/analytics_bench.py
    # does; exact closeness over 100k actors alone takes most of an hour)
    k = None if scale != "nation" else 500
    run = analyse(store, betweenness_k=k, distance_k=k, seed=1)
    analyse_s = time.perf_counter() - t
    st = store.stats()
    store.close()
    info = {"data_sha256": sha, "actors": st["actors"], "relations": st["relations"], "poles": st["poles"],
            "persons": st["persons"], "run": run.id, "load_s": round(load_s, 1), "analyse_s": round(analyse_s, 1)}
    marker.write_text(json.dumps(info, indent=2))
    return db, info


def samples(db: Path, seed: int = 1, n: int = 300) -> tuple[list[str], list[str]]:
    """Actors (not persons) and pôles to query, drawn with a fixed seed."""
    from maillage.graph import open_store

    store = open_store(str(db))
    actors = sorted(a.id for a in store.iter_actors())
    poles = sorted(a.id for a in store.iter_actors() if a.family == "pole")
    store.close()
    rng = random.Random(seed)
    return rng.sample(actors, min(n, len(actors))), poles


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, response_cache: bool = True, limit: float = 60.0) -> subprocess.Popen:
    """uvicorn on ``db``, returned once ``/ready`` says 200 (the service has warmed its
    whole-graph analyses); the seconds that took are in ``proc.ready_s``."""
    env = {**os.environ, "MAILLAGE_STORE": str(db), "PYTHONPATH": str(ROOT),
           "MAILLAGE_API_RESPONSE_CACHE_MB": "64" if response_cache else "0"}
    env.pop("MAILLAGE_API_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "maillage.api.app:app_from_env",
                             "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--log-level", "warning",
                             # the clients keep their connections across phases: a connection
                             # that finished its warm-up early waits, idle, for the others
                             "--timeout-keep-alive", "600", "--no-access-log"], env=env, cwd=ROOT)
    import httpx

    t0 = time.time()
    deadline = t0 + limit
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2).status_code == 200:
                proc.ready_s = round(time.time() - t0, 1)
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"the API did not become ready within {limit:.0f} s")


class _Connection:
    """One keep-alive HTTP/1.1 connection on asyncio streams: the lightest client Python has
    (httpx spends more CPU per request than the server's trivial endpoint, which would make
    the client, not the server, the thing measured)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length, chunked = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if not chunked:
            return status, await self.reader.readexactly(length)
        body = bytearray()
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
            body += await self.reader.readexactly(size + 2)
            if size == 0:
                return status, bytes(body)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _run(base: str, urls: list[str], n: int, seconds: float, warmup: int, pid: int | None = None) -> dict:
    host, port = base.removeprefix("http://").split(":")
    conns = [_Connection(host, int(port)) for _ in range(CLIENTS)]
    sizes: list[int] = []
    issued = 0

    async def go(conn: _Connection, count: int, lat: list[float] | None, stop: float) -> None:
        nonlocal issued
        while issued < count and time.perf_counter() <= stop:
            url = urls[issued % len(urls)]
            issued += 1
            t = time.perf_counter()
            status, body = await conn.get(url)
            if status != 200:
                raise RuntimeError(f"GET {url} → {status}: {body[:200]!r}")
            if lat is not None:
                lat.append(time.perf_counter() - t)
                sizes.append(len(body))

    try:
        far = time.perf_counter() + 3600
        await asyncio.gather(*(go(c, warmup, None, far) for c in conns))
        issued = 0
        lat: list[float] = []
        cpu0 = _cpu_seconds(pid) if pid else 0.0
        t0 = time.perf_counter()
        await asyncio.gather(*(go(c, n, lat, t0 + seconds) for c in conns))
        wall = time.perf_counter() - t0
        cpu = (_cpu_seconds(pid) - cpu0) if pid else 0.0
    finally:
        for c in conns:
            c.close()
    return _summary(lat, sizes, wall, cpu)


def _summary(lat: list[float], sizes: list[int], wall: float, cpu: float) -> dict:
    lat = sorted(lat)
    return {"server_cpu_ms": round(1000 * cpu / max(len(lat), 1), 2),
            "requests": len(lat), "seconds": round(wall, 2), "req_s": round(len(lat) / wall, 1),
            "p50_ms": round(1000 * statistics.median(lat), 2), "p95_ms": round(1000 * lat[int(0.95 * (len(lat) - 1))], 2),
            "mean_bytes": round(statistics.mean(sizes)) if sizes else 0, "_lat": lat, "_sizes": sizes, "_cpu": cpu}


def _merge(parts: list[dict]) -> dict:
    """One endpoint's rounds as one result (all their requests, wall time and CPU)."""
    return _summary([x for p in parts for x in p["_lat"]], [x for p in parts for x in p["_sizes"]],
                    sum(p["seconds"] for p in parts), sum(p["_cpu"] for p in parts))


def _public(result: dict) -> dict:
    return {k: v for k, v in result.items() if not k.startswith("_")}


def query_overhead(calls: int = 4000, rounds: int = 5) -> dict:
    """CPU per request of three endpoints of a bare FastAPI app called in-process (no HTTP,
    no store), which differ only in how they read the neighbourhood's seven query parameters:
    none, declared one by one (FastAPI's usual way), or one :class:`maillage.api.query.
    NeighbourhoodQuery` read by :func:`maillage.api.query.read` (what the subgraph endpoints
    do). Alternating rounds; the median per endpoint, in µs."""
    from maillage.api import query as q

    app = FastAPI()
    body = b"{}"

    @app.get("/none/{actor_id}")
    async def none(request: Request, actor_id: str) -> Response:
        return Response(body, media_type="application/json")

    @app.get("/declared/{actor_id}")
    async def declared(request: Request, actor_id: str,
                       depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 1, types: str | None = None,
                       lens: str | None = None, as_of: Annotated[int | None, Query(ge=1800, le=2200)] = None,
                       limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT, include_persons: bool = False,
                       lang: Literal["fr", "en"] = "fr") -> Response:
        return Response(body, media_type="application/json")

    @app.get("/model/{actor_id}")
    async def model(request: Request, actor_id: str) -> Response:
        q.read(q.NeighbourhoodQuery, request)
        return Response(body, media_type="application/json")

    async def call(path: str) -> None:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"depth=1&lang=fr",
                 "root_path": "", "headers": [(b"host", b"127.0.0.1")], "server": ("127.0.0.1", 80),
                 "client": ("127.0.0.1", 5000)}
        sent: list = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)
        await app(scope, receive, send)
        if sent[0]["status"] != 200:
            raise RuntimeError(f"{path} → {sent[0]['status']}")

    async def measure() -> dict[str, list[float]]:
        times: dict[str, list[float]] = {"none": [], "declared": [], "model": []}
        for name in times:
            for _ in range(200):
                await call(f"/{name}/x")
        for _ in range(rounds):
            for name in times:
                t = time.process_time()
                for _ in range(calls):
                    await call(f"/{name}/x")
                times[name].append((time.process_time() - t) / calls * 1e6)
        return times

    times = asyncio.run(measure())
    return {name: round(statistics.median(v), 1) for name, v in times.items()}


def bench_scale(scale: str, args: argparse.Namespace) -> dict:
    db, info = build_store(scale, args.rebuild)
    actors, poles = samples(db)
    cases = {
        "trivial (/health)": ["/health"],
        "neighbourhood depth 1": [f"/api/actors/{a}/neighbourhood?depth=1" for a in actors],
        "neighbourhood depth 2": [f"/api/actors/{a}/neighbourhood?depth=2" for a in actors],
        "pôle subgraph": [f"/api/poles/{p}/subgraph" for p in poles],
    }
    passes = {}
    for cached in (True, False):
        port = _free_port()
        proc = start_server(db, port, response_cache=cached, limit=60.0 if scale != "nation" else 3600.0)
        base = f"http://127.0.0.1:{port}"
        label = "response cache on" if cached else "response cache off"
        out = {}
        ratios: list[float] = []
        try:
            def warm(urls: list[str]) -> int:
                return max(100, min(len(urls), 500))  # every URL once: caches warm, as in a running service
            # the trivial endpoint and the depth-1 neighbourhood in alternating rounds, so that a
            # slow patch of the shared machine falls on both rather than on one of them
            pair = ("trivial (/health)", "neighbourhood depth 1")
            rounds: dict[str, list[dict]] = {name: [] for name in pair}
            for k in range(args.rounds):
                for name in pair:
                    rounds[name].append(asyncio.run(_run(base, cases[name], max(args.requests // args.rounds, 1),
                                                         args.seconds / args.rounds,
                                                         warmup=warm(cases[name]) if k == 0 else 0, pid=proc.pid)))
                ratios.append(rounds[pair[1]][-1]["req_s"] / rounds[pair[0]][-1]["req_s"])
            for name in pair:
                out[name] = _merge(rounds[name])
            for name, urls in cases.items():
                if name not in pair:
                    out[name] = asyncio.run(_run(base, urls, max(args.requests // 4, 1), args.seconds,
                                                 warmup=warm(urls), pid=proc.pid))
            for name in cases:
                out[name] = _public(out[name])
                print(f"{scale:7s} {label:18s} {name:24s} {out[name]} (ready after {proc.ready_s} s)", flush=True)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        passes[label] = {"endpoints": out, "ready_s": proc.ready_s,
                         "ratio_depth1_trivial": round(statistics.median(ratios), 3),
                         "ratio_rounds": [round(r, 3) for r in ratios]}
    return {"scale": scale, "graph": info, "samples": {"actors": len(actors), "poles": len(poles)}, "passes": passes}


def _versions() -> str:
    names = ("fastapi", "starlette", "uvicorn", "pydantic", "orjson", "httpx")
    parts = []
    for n in names:
        try:
            parts.append(f"{n} {metadata.version(n)}")
        except metadata.PackageNotFoundError:
            pass
    extras = [n for n in ("uvloop", "httptools") if _has(n)]
    return ", ".join(parts) + (f"; with {' + '.join(extras)}" if extras else "; asyncio loop + h11 (no uvloop/httptools)")


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def write_doc(results: list[dict], skipped: list[str], query: dict) -> None:
    lines = [BEGIN, "", "### API under 32 concurrent clients (`bench/api_bench.py`)", "",
             f"Run {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} on {platform.machine()}, "
             f"{os.cpu_count()} CPUs shared by server and client; Python {platform.python_version()}, {_versions()}. "
             "One uvicorn worker on 127.0.0.1; one client process, 32 coroutines each with a keep-alive "
             "HTTP/1.1 connection on plain asyncio streams; a warm-up (every URL once: warm caches, as in a "
             "running service) then a bounded number of requests per endpoint; every response 200. "
             "Figures are lower bounds: the client runs on the same CPUs.", ""]
    for res in results:
        g = res["graph"]
        lines += [f"**{res['scale']}** graph: {g['actors']:,} actors ({g['persons']} persons, never served), "
                  f"{g['relations']:,} relations, {g['poles']} pôles; analysed (run `{g['run']}`). Requests cycle "
                  f"over {res['samples']['actors']} actors drawn with a fixed seed (all {res['samples']['poles']} "
                  "pôles for the pôle subgraph).", ""]
        for label, p in res["passes"].items():
            what = ("subgraph responses kept in memory until the store changes (the default)" if label.endswith("on")
                    else "`MAILLAGE_API_RESPONSE_CACHE_MB=0`: every subgraph computed (parsed actors, adjacency "
                         "lists and edge dicts still cached)")
            lines += [f"*{label.capitalize()}* — {what}; ready (`/ready` 200, whole-graph analyses warmed) "
                      f"{p.get('ready_s', '?')} s after the start:", "",
                      "| endpoint | requests | req/s | p50 (ms) | p95 (ms) | server CPU per request (ms) | mean body (bytes) |",
                      "|---|---:|---:|---:|---:|---:|---:|"]
            for name, e in p["endpoints"].items():
                lines.append(f"| {name} | {e['requests']} | {e['req_s']:,} | {e['p50_ms']} | {e['p95_ms']} | "
                             f"{e['server_cpu_ms']} | {e['mean_bytes']:,} |")
            ok = "meets" if p["ratio_depth1_trivial"] >= TARGET else "misses"
            spread = p.get("ratio_rounds") or []
            lines += ["", f"Depth-1 neighbourhood / trivial endpoint: **{p['ratio_depth1_trivial']:.0%}** "
                          f"({ok} the {TARGET:.0%} target): median of {len(spread)} alternating rounds "
                          f"({', '.join(f'{r:.0%}' for r in spread)}).", ""]
            d2 = p["endpoints"]["neighbourhood depth 2"]
            if label.endswith("on") and res["samples"]["actors"] * d2["mean_bytes"] > 64 * 1024 * 1024:
                lines += [f"Depth-2 responses ({d2['mean_bytes'] / 1e6:.1f} MB each, {res['samples']['actors']} "
                          "distinct) do not fit in the 64 MB response cache: they are computed in both passes.", ""]
    lines += [f"Reading the neighbourhood's seven query parameters, in-process on a bare FastAPI app "
              f"(`query_overhead`, µs of CPU per request): none {query['none']}, declared one by one "
              f"{query['declared']}, one `NeighbourhoodQuery` model (what the subgraph endpoints do) "
              f"{query['model']}: declared parameters add {query['declared'] - query['none']:.0f} µs per request, "
              f"the model {query['model'] - query['none']:+.0f} µs (differences of a few µs are noise here).", ""]
    lines += [f"Load average at the end: {os.getloadavg()[0]:.2f} (2 CPUs shared with other sessions: read "
              "differences under ~30 % as noise).", ""]
    if skipped:
        lines += [f"Skipped: {', '.join(skipped)} (not built in this run: ~100k actors and ~1M relations to "
                  "load and analyse first; run with `--scales region nation`).", ""]
    lines.append(END)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", nargs="+", default=["region"], choices=["pole", "region", "nation"])
    ap.add_argument("--requests", type=int, default=6000, help="requests per endpoint (depth 2 and pôle: a quarter)")
    ap.add_argument("--rounds", type=int, default=5,
                    help="alternating rounds of the trivial endpoint and the depth-1 neighbourhood")
    ap.add_argument("--seconds", type=float, default=30.0, help="at most this long per endpoint")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the stores")
    ap.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    query = query_overhead()
    print(f"query parameters, µs of CPU per in-process request: {query}", flush=True)
    results = [bench_scale(s, args) for s in args.scales]
    (OUT / "results.json").write_text(json.dumps({"query_us": query, "scales": results}, indent=2, ensure_ascii=False))
    skipped = [s for s in ("nation",) if s not in args.scales]
    if not args.no_doc:
        write_doc(results, skipped, query)
    for r in results:
        for label, p in r["passes"].items():
            print(f"{r['scale']} ({label}): depth-1 / trivial = {p['ratio_depth1_trivial']:.0%} (target {TARGET:.0%})")


if __name__ == "__main__":
    main()
