"""Actor metric suite (``maillage.analytics.metrics``, igraph engine) vs plain networkx vs
igraph called directly, on the generated ``region`` and ``nation`` ecosystems, in one run.

The graph: ``bench/generate.py --scale <scale> --seed 1`` loaded into a fresh SQLite file store
with ``load_file`` (as ``bench/run.py`` does), then ``project(store, "cooperation")`` →
``to_graph`` — the graph ``maillage.analytics.run.analyse`` works on. It is built once per
scale in its own subprocess and pickled to ``bench/out/analytics/<scale>.graph.pickle``
(reused while the data file and generator version are unchanged; ``--rebuild`` forces it).

Then, each in a fresh subprocess (so its peak RSS, read with ``os.wait4``, is its own):

- **suite**: ``actor_metrics(G, …)`` — every metric of ``METRICS`` for every actor, conversion
  to igraph included; then ``actor_metrics(G, …, tied_only=True)`` as ``analyse`` calls it
  (betweenness, closeness, PageRank and communities over the actors with a tie); then the same metrics one by one (after clearing the conversion cache)
  for the per-metric times. region: everything exact. nation: betweenness, closeness and
  harmonic sampled with ``k`` sources (``betweenness_k=k, distance_k=k``).
- **networkx**: the same metrics with plain networkx calls (``betweenness_centrality``,
  ``closeness_centrality``, ``pagerank``, ``core_number``, ``eigenvector_centrality``,
  ``harmonic_centrality``, ``constraint``, ``effective_size``; ``louvain_communities`` for the
  communities — networkx has no Leiden). At nation, networkx's sampled betweenness with the
  same ``k`` is first timed on ``--nx-probe`` sources and extrapolated; the networkx run is
  done only if that extrapolation is under ``--nx-budget`` seconds (default 15 min).
- **igraph**: igraph called directly — conversion by hand (index map, edge list, weights) and
  the nearest igraph call for each metric (no Wasserman–Faust factor, eigenvector scaled to
  max 1, no effective size: igraph has none).

Reports seconds per metric, the ratios suite / networkx and suite / igraph, and peak RSS;
rewrites its section of ``docs/benchmarks.md``. Targets: region suite ≥ 10× faster than plain
networkx, and within 2× of igraph.

    python bench/analytics_bench.py                        # region + nation (~30 min, ~6 GiB)
    python bench/analytics_bench.py --scales region        # a few minutes
    python bench/analytics_bench.py --with-slow-nx         # also networkx's per-node effective_size
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import random
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out" / "analytics"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench/analytics_bench.py:begin -->", "<!-- bench/analytics_bench.py:end -->"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: Per-metric rows, in the order the suite computes them.
ROWS = ["conversion", "components", "degree", "strength", "betweenness", "closeness", "pagerank", "core_number",
        "eigenvector", "harmonic", "constraint", "effective_size", "community"]


def _maxrss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(times: dict, name: str, f):
    t = time.perf_counter()
    out = f()
    times[name] = times.get(name, 0.0) + time.perf_counter() - t
    return out


def _load_graph(path: Path):
    with path.open("rb") as f:
        return pickle.load(f)


# -- workers ------------------------------------------------------------------------------------------

def worker_graph(data: Path, out: Path) -> dict:
    """generate → load_file into a fresh file store → project → to_graph → pickle."""
    from maillage.graph import open_store
    from maillage.graph.projection import project, to_graph
    from maillage.loaders import load_file

    db = out.with_suffix(".db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    store = open_store(str(db))
    load_file(store, data, format="maillage-jsonl", rejects_dir=out.parent / "rejects")
    t1 = time.perf_counter()
    G = to_graph(project(store, lens="cooperation"))
    t2 = time.perf_counter()
    store.close()
    with out.open("wb") as f:
        pickle.dump(G, f, protocol=pickle.HIGHEST_PROTOCOL)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    import networkx as nx

    return {"load_s": t1 - t0, "project_s": t2 - t1, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
            "components": nx.number_connected_components(G),
            "largest": max((len(c) for c in nx.connected_components(G)), default=0)}


def worker_suite(graph: Path, k: int | None) -> dict:
    from maillage.analytics import engine
    from maillage.analytics import metrics as M

    G = _load_graph(graph)
    rss_graph = _maxrss_mib()
    engine.clear_cache()
    t = time.perf_counter()
    table = M.actor_metrics(G, betweenness_k=k, seed=0, distance_k=k)
    total = time.perf_counter() - t
    assert len(table) == G.number_of_nodes()
    engine.clear_cache()
    t = time.perf_counter()  # as analyse calls it: the normalised metrics over the tied actors
    table = M.actor_metrics(G, betweenness_k=k, seed=0, distance_k=k, tied_only=True)
    total_tied = time.perf_counter() - t
    assert len(table) == G.number_of_nodes()
    engine.clear_cache()
    times: dict[str, float] = {}
    _timed(times, "conversion", lambda: engine.to_igraph(G))
    _timed(times, "components", lambda: M.components(G))
    _timed(times, "degree", lambda: M.degree(G))
    _timed(times, "strength", lambda: M.strength(G))
    _timed(times, "betweenness", lambda: M.betweenness(G, k=k, seed=0))
    _timed(times, "closeness", lambda: M.closeness(G, k=k, seed=0))
    _timed(times, "pagerank", lambda: M.pagerank(G))
    _timed(times, "core_number", lambda: M.core_number(G))
    _timed(times, "eigenvector", lambda: M.eigenvector(G))
    _timed(times, "harmonic", lambda: M.harmonic(G, k=k, seed=0))
    _timed(times, "constraint", lambda: M.constraint(G))
    _timed(times, "effective_size", lambda: M.effective_size(G))
    com = _timed(times, "community", lambda: M.community(G, seed=0))
    q = M.modularity(G, com)
    return {"total": total, "total_tied": total_tied, "tied": len(M.tied_actors(G)), "times": times,
            "rss_graph_mib": rss_graph, "modularity": q,
            "communities": len(set(com.values()))}


def worker_igraph(graph: Path, k: int | None) -> dict:
    import warnings

    import igraph
    import numpy as np

    warnings.filterwarnings("ignore", message="Some eigenvector centralities are nearly zero")
    G = _load_graph(graph)
    times: dict[str, float] = {}
    t_all = time.perf_counter()

    def convert():
        index = {v: i for i, v in enumerate(G)}
        edges, w = [], []
        for u, v, x in G.edges(data="weight", default=1):
            edges.append((index[u], index[v]))
            w.append(float(x))
        return igraph.Graph(n=len(index), edges=edges, directed=False), w

    g, w = _timed(times, "conversion", convert)
    n = g.vcount()
    sources = random.Random(0).sample(range(n), k) if k else None
    _timed(times, "components", lambda: g.connected_components().membership)
    _timed(times, "degree", g.degree)
    _timed(times, "strength", lambda: g.strength(weights=w))
    _timed(times, "betweenness", lambda: g.betweenness(directed=False, sources=sources))
    if k is None:
        _timed(times, "closeness", g.closeness)
        _timed(times, "harmonic", lambda: g.harmonic_centrality(normalized=False))
    else:  # the same k breadth-first searches, both sums from one pass
        def sampled():
            s_d, s_inv = np.zeros(n), np.zeros(n)
            for chunk in np.array_split(np.asarray(sources), -(-k // 64)):
                d = np.asarray(g.distances(source=chunk.tolist()), dtype=np.float64)
                d[~np.isfinite(d)] = 0
                s_d += d.sum(axis=0)
                with np.errstate(divide="ignore"):
                    s_inv += np.where(d > 0, 1 / d, 0).sum(axis=0)
            return s_d, s_inv
        _timed(times, "closeness", sampled)
        times["harmonic"] = 0.0
    _timed(times, "pagerank", lambda: g.pagerank(directed=False, weights=w))
    _timed(times, "core_number", g.coreness)
    _timed(times, "eigenvector", lambda: g.eigenvector_centrality(weights=w))
    _timed(times, "constraint", lambda: g.constraint(weights=w))
    _timed(times, "community", lambda: g.community_leiden(objective_function="modularity", weights=w,
                                                          n_iterations=-1))
    return {"total": time.perf_counter() - t_all, "times": times}


def _nx_sampled_distances(G, sources: list) -> tuple[dict, dict]:
    """The sampled closeness / harmonic sums with networkx's breadth-first search."""
    import networkx as nx

    s_d = dict.fromkeys(G, 0)
    s_inv = dict.fromkeys(G, 0.0)
    for s in sources:
        for v, d in nx.single_source_shortest_path_length(G, s).items():
            if d:
                s_d[v] += d
                s_inv[v] += 1 / d
    return s_d, s_inv


def worker_networkx(graph: Path, k: int | None, slow: bool) -> dict:
    import networkx as nx

    G = _load_graph(graph)
    times: dict[str, float] = {}
    t_all = time.perf_counter()
    times["conversion"] = 0.0
    _timed(times, "components", lambda: list(nx.connected_components(G)))
    _timed(times, "degree", lambda: dict(G.degree()))
    _timed(times, "strength", lambda: dict(G.degree(weight="weight")))
    _timed(times, "betweenness", lambda: nx.betweenness_centrality(G, k=k, seed=0))
    if k is None:
        _timed(times, "closeness", lambda: nx.closeness_centrality(G))
        _timed(times, "harmonic", lambda: nx.harmonic_centrality(G))
    else:
        sources = random.Random(0).sample(list(G), k)
        _timed(times, "closeness", lambda: _nx_sampled_distances(G, sources))
        times["harmonic"] = 0.0
    _timed(times, "pagerank", lambda: nx.pagerank(G, weight="weight"))
    _timed(times, "core_number", lambda: nx.core_number(G))
    _timed(times, "eigenvector", lambda: nx.eigenvector_centrality(G, weight="weight", max_iter=10_000))
    _timed(times, "constraint", lambda: nx.constraint(G, weight="weight"))
    if k is None:
        _timed(times, "effective_size", lambda: nx.effective_size(G, weight="weight"))
    _timed(times, "community", lambda: nx.community.louvain_communities(G, weight="weight", seed=0))
    total = time.perf_counter() - t_all
    res = {"total": total, "times": times}
    if slow:
        t = time.perf_counter()
        nx.effective_size(G, nodes=list(G), weight="weight")
        res["effective_size_per_node"] = time.perf_counter() - t
    return res


def worker_nx_probe(graph: Path, probe: int) -> dict:
    """networkx's sampled betweenness and plain BFS on ``probe`` sources, to extrapolate."""
    import networkx as nx

    G = _load_graph(graph)
    t = time.perf_counter()
    nx.betweenness_centrality(G, k=probe, seed=0)
    b = time.perf_counter() - t
    t = time.perf_counter()
    _nx_sampled_distances(G, random.Random(0).sample(list(G), probe))
    d = time.perf_counter() - t
    return {"probe": probe, "betweenness": b, "bfs": d}


def _run_worker(*args: str) -> tuple[dict, float]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT)
    out = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"worker {' '.join(args)} failed")
    return json.loads(out.decode().strip().splitlines()[-1]), usage.ru_maxrss / 1024


# -- driver ------------------------------------------------------------------------------------------

def ensure_data(scale: str, seed: int) -> tuple[Path, float | None]:
    from bench.generate import GENERATOR_VERSION

    path = BENCH / "data" / f"{scale}.jsonl"
    if path.is_file():
        gen = json.loads(path.open("rb").readline()).get("generator", {})
        if gen.get("seed") == seed and gen.get("version") == GENERATOR_VERSION and gen.get("scale") == scale:
            return path, None
    t = time.perf_counter()
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "--scale", scale, "--seed", str(seed),
                    "--out", str(path)], check=True, cwd=ROOT)
    return path, time.perf_counter() - t


def ensure_graph(scale: str, data: Path, seed: int, rebuild: bool) -> dict:
    from bench.generate import GENERATOR_VERSION

    OUT.mkdir(parents=True, exist_ok=True)
    graph = OUT / f"{scale}.graph.pickle"
    meta_path = OUT / f"{scale}.graph.json"
    want = {"scale": scale, "seed": seed, "generator": GENERATOR_VERSION, "data_bytes": data.stat().st_size}
    if not rebuild and graph.is_file() and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        if all(meta.get(key) == v for key, v in want.items()):
            return {**meta, "graph": str(graph), "reused": True}
    res, rss = _run_worker("graph", str(data), str(graph))
    meta = {**want, **res, "peak_rss_mib": rss}
    meta_path.write_text(json.dumps(meta))
    return {**meta, "graph": str(graph), "reused": False}


def machine_facts() -> dict:
    cpu, mem = "unknown", None
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
        mem = next(int(line.split()[1]) / 2**20 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        pass

    def version(pkg: str) -> str:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "—"

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gib": mem, "python": platform.python_version(),
            "os": platform.platform(), "networkx": version("networkx"), "igraph": version("igraph"),
            "scipy": version("scipy"), "numpy": version("numpy"), "commit": commit,
            "load": os.getloadavg()}


def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 100 else f"{x:,.0f}"


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "—"
    return f"{a / b:.1f}×" if a / b >= 1 else f"{a / b:.2f}×"


def section(results: dict, facts: dict, args, elapsed: float) -> str:
    k = args.k
    lines = [BEGIN, "## Actor metrics: the igraph-backed suite vs plain networkx vs igraph directly", "",
             f"*Written by `bench/analytics_bench.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; command:* "
             f"`{' '.join(['python bench/analytics_bench.py', *sys.argv[1:]])}` *({elapsed / 60:.0f} min in all).*", "",
             "Graph: the generated ecosystem (`bench/generate.py --seed 1`) loaded into a fresh SQLite store with "
             "`load_file`, projected through the *cooperation* lens and collapsed by `to_graph` (what `analyse` "
             "does). *Suite*: `actor_metrics` — all of `METRICS`, conversion to igraph included; *networkx*: the "
             "same metrics with plain networkx calls (communities: Louvain, networkx has no Leiden); *igraph*: "
             "igraph called directly, conversion by hand included (no effective size: igraph has none). Each in a "
             "fresh subprocess; one run each. region: everything exact; nation: betweenness, closeness and "
             f"harmonic sampled with k = {k} sources (`betweenness_k={k}, distance_k={k}`). Targets: at region "
             "the suite ≥ 10× faster than plain networkx and within 2× of igraph. *Suite, tied only*: "
             "`actor_metrics(…, tied_only=True)` as `analyse` calls it — betweenness, closeness, PageRank and "
             "the communities over the actors with a tie (an induced subgraph of the one conversion).", ""]
    head = ("| scale | actors (with a tie) | ties | components (largest) | **suite** | suite, tied only | networkx | "
            "igraph | **networkx / suite** | **suite / igraph** | peak RSS: suite / networkx / igraph |")
    lines += [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for scale, r in results.items():
        g, s, x, i = r["graph"], r["suite"], r.get("networkx"), r["igraph"]
        verdict_nx = ""
        if x:
            ratio = x["total"] / s["total"]
            verdict_nx = f" ({'meets' if ratio >= 10 else 'misses'} ≥ 10×)" if scale == "region" else ""
        ratio_ig = s["total"] / i["total"]
        verdict_ig = f" ({'meets' if ratio_ig <= 2 else 'misses'} ≤ 2×)" if scale == "region" else ""
        lines.append(
            f"| {scale} | {g['nodes']:,} ({s['tied']:,}) | {g['edges']:,} | {g['components']:,} ({g['largest']:,}) | "
            f"**{_fmt(s['total'])} s** | {_fmt(s['total_tied'])} s | {_fmt(x['total']) + ' s' if x else r.get('nx_note_short', 'skipped')} | "
            f"{_fmt(i['total'])} s | **{_ratio(x['total'], s['total']) if x else '—'}**{verdict_nx} | "
            f"**{ratio_ig:.2f}×**{verdict_ig} | {s['rss']:,.0f} / {format(x['rss'], ',.0f') if x else '—'} / "
            f"{i['rss']:,.0f} MiB |")
    lines += ["", "Seconds per metric (suite: each metric called alone after a fresh conversion; the conversion "
              "is its own row; *closeness* includes the breadth-first searches *harmonic* reuses when sampled):", ""]
    scales = list(results)
    cols = []
    for scale in scales:
        cols += [f"{scale}: suite", f"{scale}: networkx", f"{scale}: igraph"]
    lines += ["| metric | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    for row in ROWS:
        cells = []
        for scale in scales:
            r = results[scale]
            x = r.get("networkx")
            cells += [_fmt(r["suite"]["times"].get(row)), _fmt(x["times"].get(row)) if x else "—",
                      _fmt(r["igraph"]["times"].get(row))]
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    lines.append("")
    for scale, r in results.items():
        g, s = r["graph"], r["suite"]
        build = "reused from bench/out/analytics/" if g["reused"] else \
            f"load {g['load_s']:.0f} s + projection {g['project_s']:.0f} s (peak RSS {g['peak_rss_mib']:,.0f} MiB)"
        notes = [f"- `{scale}`: graph {build}; the suite's RSS after unpickling the graph {s['rss_graph_mib']:,.0f} MiB; "
                 f"Leiden: {s['communities']:,} communities, modularity {s['modularity']:.3f}."]
        if r.get("nx_note"):
            notes.append(f"  networkx: {r['nx_note']}")
        if r.get("networkx", {}) and r["networkx"].get("effective_size_per_node") is not None:
            notes.append(f"  networkx's per-node `effective_size(G, nodes=list(G), weight=\"weight\")` (the correct "
                         f"weighted values): {r['networkx']['effective_size_per_node']:,.0f} s; the row above times the "
                         "default vectorised call, whose weighted values are wrong (networkx PR #8906).")
        lines += notes
    load = facts["load"]
    lines += ["", f"Machine: {facts['cpu']}, {facts['cores']} CPUs **shared with other sessions running at the same "
              f"time** (load average {load[0]:.2f} at the end), {facts['mem_gib']:.0f} GiB RAM; {facts['os']}; "
              f"Python {facts['python']}, networkx {facts['networkx']}, igraph {facts['igraph']}, scipy "
              f"{facts['scipy']}, numpy {facts['numpy']}; maillage at {facts['commit']} (with uncommitted changes). "
              "Single runs on a shared machine: read differences under ~30 % as noise.", END]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scales", default="region,nation")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--k", type=int, default=500, help="sampled sources at nation (default 500)")
    ap.add_argument("--nx-probe", type=int, default=10, help="sources of the networkx probe at nation")
    ap.add_argument("--nx-budget", type=float, default=900, help="run networkx at nation only under this (s)")
    ap.add_argument("--with-slow-nx", action="store_true", help="also time networkx's per-node effective_size")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the pickled graphs")
    ap.add_argument("--doc", type=Path, default=DOC)
    ap.add_argument("--no-doc", action="store_true")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        kind, *rest = args.worker
        k = None if kind in ("graph", "probe") or rest[1] == "exact" else int(rest[1])
        if kind == "graph":
            res = worker_graph(Path(rest[0]), Path(rest[1]))
        elif kind == "suite":
            res = worker_suite(Path(rest[0]), k)
        elif kind == "igraph":
            res = worker_igraph(Path(rest[0]), k)
        elif kind == "networkx":
            res = worker_networkx(Path(rest[0]), k, rest[2] == "slow")
        else:
            res = worker_nx_probe(Path(rest[0]), int(rest[1]))
        print(json.dumps(res))
        return

    t_all = time.perf_counter()
    results: dict[str, dict] = {}
    for scale in args.scales.split(","):
        data, gen_s = ensure_data(scale, args.seed)
        g = ensure_graph(scale, data, args.seed, args.rebuild)
        print(f"{scale}: {g['nodes']:,} actors, {g['edges']:,} ties", flush=True)
        k = None if scale != "nation" else args.k
        ks = "exact" if k is None else str(k)
        r: dict = {"graph": g}
        s, rss = _run_worker("suite", g["graph"], ks)
        r["suite"] = {**s, "rss": rss}
        print(f"  suite {s['total']:.1f} s", flush=True)
        i, rss = _run_worker("igraph", g["graph"], ks)
        r["igraph"] = {**i, "rss": rss}
        print(f"  igraph {i['total']:.1f} s", flush=True)
        run_nx = True
        if k is not None:
            p, _ = _run_worker("probe", g["graph"], str(args.nx_probe))
            est = (p["betweenness"] + p["bfs"]) * k / p["probe"]
            r["nx_note"] = (f"betweenness (k = {p['probe']}) {p['betweenness']:.1f} s and {p['probe']} "
                            f"breadth-first searches {p['bfs']:.1f} s, so ≈ {est / 60:.0f} min for k = {k}")
            if est > args.nx_budget:
                run_nx = False
                r["nx_note"] = (f"skipped: the probe took {r['nx_note']}, over the {args.nx_budget / 60:.0f}-min "
                                "budget")
                r["nx_note_short"] = f"skipped (≈ {est / 60:.0f} min est.)"
            r["nx_note"] += ("; `effective_size` left out at nation: networkx's vectorised path builds a dense "
                             f"n × n matrix ({g['nodes'] ** 2 * 8 / 2**30:,.0f} GiB) and its per-node path costs "
                             "Σ deg³ Python steps.")
        if run_nx:
            x, rss = _run_worker("networkx", g["graph"], ks, "slow" if args.with_slow_nx and k is None else "fast")
            r["networkx"] = {**x, "rss": rss}
            print(f"  networkx {x['total']:.1f} s", flush=True)
        results[scale] = r
        (OUT / f"{scale}.results.json").write_text(json.dumps(r, indent=1))
    text = section(results, machine_facts(), args, time.perf_counter() - t_all)
    print(text)
    if args.no_doc:
        return
    from docsection import write_section  # bench/ (run as a script, or on sys.path)

    write_section(args.doc, text, BEGIN, END)


if __name__ == "__main__":
    main()
