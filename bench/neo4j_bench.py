"""Neo4j benchmark: the store's Bolt write path against Neo4j's own server-side bulk path.

Measured per scale (synthetic ecosystems from ``bench/generate.py``, the same files as
``bench/run.py``), in one run, on one local Neo4j (``scripts/neo4j_local.py``, started here on a
free port with its own home under ``bench/out/neo4j``, stopped at the end):

1. **Store**: ``Neo4jStore.replace_source(batch)`` into an empty database — the batch built
   once beforehand by the ordinary ``load_file`` path (parse + resolve timed separately), the
   geography warmed first. Then the same batch again (**reload**: everything is already there).
2. **LOAD CSV**: exactly the nodes, relationships and properties the store wrote, exported to
   CSV files in the server's import directory, loaded into an emptied database (same
   constraints and indexes) by ``LOAD CSV … CALL (row) { … } IN TRANSACTIONS OF 10000 ROWS``,
   one statement per file: what Neo4j's own server-side bulk path costs for the same graph,
   without the store's bookkeeping (merge, territory rollup, checks) and without Bolt. The run
   checks that both paths wrote the same counts per label and relationship type.
3. **Projection**: ``store.projection()`` — the whole graph pulled back out for analytics.

Headline: relationships/s of each path and store / LOAD CSV (the issue's target: ≥ 0.5).
Results are printed and written between markers into ``docs/neo4j.md``.

    python bench/neo4j_bench.py                    # region scale (≈ 5,000 actors, 30,000 relations)
    python bench/neo4j_bench.py --scales region,nation   # nation: ≈ 1,000,000 relations, written in chunks
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import platform
import shutil
import socket
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DOC = ROOT / "docs" / "neo4j.md"
BEGIN, END = "<!-- bench/neo4j_bench.py:begin -->", "<!-- bench/neo4j_bench.py:end -->"
SEP = "\x1f"  # list separator inside a CSV cell
TARGET = 0.5


def _launcher():
    spec = importlib.util.spec_from_file_location("maillage_neo4j_local", ROOT / "scripts" / "neo4j_local.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- export what the store wrote, as typed CSV ----------------------------------------------------

def _kind(v) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, list):
        return "list"
    return "str"


def _cell(v) -> str:
    """A CSV cell for LOAD CSV. Text is written as it is except ``\\"`` (an escaped quote
    inside a JSON ``data`` property): LOAD CSV's default (``dbms.import.csv.legacy_quote_escaping``)
    reads it as a quote, which ends the field early, so it becomes ``/"`` — same length, and
    the run compares counts, not texts."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return SEP.join(str(x) for x in v).replace('\\"', '/"')
    return str(v).replace('\\"', '/"')


def _setter(var: str, kinds: dict[str, str]) -> str:
    conv = {"int": "toInteger(row.{k})", "float": "toFloat(row.{k})", "bool": "row.{k} = 'true'",
            "list": "CASE WHEN row.{k} IS NULL THEN [] ELSE split(row.{k}, '\\u001f') END", "str": "row.{k}"}
    return ", ".join(f"{var}.{k} = {conv[t].format(k=k)}" for k, t in sorted(kinds.items()))


def export_csv(driver, import_dir: Path) -> list[tuple[str, str, int]]:
    """Write one CSV per node label and one for relationships; return ``(file, LOAD CSV
    statement, rows)`` in load order (nodes first)."""
    import_dir.mkdir(parents=True, exist_ok=True)
    plans = []
    labels = [r["l"] for r in driver.execute_query(
        "MATCH (n) UNWIND labels(n) AS l WITH l WHERE l IN ['Source','Statement','Name','Ident','Proposal','Territory','Actor'] "
        "RETURN DISTINCT l ORDER BY l").records]
    for label in labels:
        rows = [dict(r["p"], _labels=[x for x in r["ls"] if x != label]) for r in driver.execute_query(
            f"MATCH (n:{label}) RETURN properties(n) AS p, labels(n) AS ls").records]
        kinds = {}
        for row in rows:
            for k, v in row.items():
                if k != "_labels" and v is not None:
                    kinds.setdefault(k, _kind(v))
        path = import_dir / f"nodes_{label}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            cols = sorted(kinds)
            w.writerow([*cols, "_labels"])
            for row in rows:
                w.writerow([*(_cell(row.get(k)) for k in cols), _cell(row["_labels"])])
        extra = "SET n:$(CASE WHEN row._labels IS NULL THEN [] ELSE split(row._labels, '\\u001f') END)"
        q = (f"LOAD CSV WITH HEADERS FROM 'file:///{path.name}' AS row CALL (row) {{ CREATE (n:{label}) "
             f"SET {_setter('n', kinds)} {extra} }} IN TRANSACTIONS OF 10000 ROWS")
        plans.append((path.name, q, len(rows)))
    for name, match_b in (("rels_actors", "MATCH (b:Actor {id: row._b})"),
                          ("rels_territories", "MATCH (b:Territory {id: row._b})")):
        target = "Actor" if name == "rels_actors" else "Territory"
        rows = [dict(r["p"], _type=r["t"], _a=r["a"], _b=r["b"]) for r in driver.execute_query(
            f"MATCH (a:Actor)-[r]->(b:{target}) RETURN properties(r) AS p, type(r) AS t, a.id AS a, b.id AS b").records]
        kinds = {}
        for row in rows:
            for k, v in row.items():
                if not k.startswith("_") and v is not None:
                    kinds.setdefault(k, _kind(v))
        path = import_dir / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            cols = sorted(kinds)
            w.writerow([*cols, "_type", "_a", "_b"])
            for row in rows:
                w.writerow([*(_cell(row.get(k)) for k in cols), row["_type"], row["_a"], row["_b"]])
        sets = f" SET {_setter('r', kinds)}" if kinds else ""
        q = (f"LOAD CSV WITH HEADERS FROM 'file:///{path.name}' AS row CALL (row) {{ MATCH (a:Actor {{id: row._a}}) "
             f"{match_b} CREATE (a)-[r:$(row._type)]->(b){sets} }} IN TRANSACTIONS OF 10000 ROWS")
        plans.append((path.name, q, len(rows)))
    return plans


def graph_counts(driver) -> dict:
    nodes = {r["l"]: r["n"] for r in driver.execute_query(
        "MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS n ORDER BY l").records}
    rels = {r["t"]: r["n"] for r in driver.execute_query(
        "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n ORDER BY t").records}
    nodes.pop("MaillageLock", None)
    nodes.pop("MaillageMeta", None)
    return {"nodes": nodes, "relationships": rels}


# -- one scale ------------------------------------------------------------------------------------

def run_scale(scale: str, uri: str, import_dir: Path, seed: int, reps: int) -> dict:
    from bench.run import _build_batch, _warm, ensure_data
    from maillage.graph import open_store

    data, summary, _ = ensure_data(scale, seed, regen=False)
    tmp = Path(tempfile.mkdtemp(prefix="neo4j-bench-"))
    t0 = time.perf_counter()
    batch, report, _ = _build_batch(data, tmp)
    prep = time.perf_counter() - t0
    _warm()
    n_rel, n_act = len(batch.relations), len(batch.statements)
    store = open_store(uri)
    driver = store._driver
    out = {"scale": scale, "reps": reps, "actors": n_act, "relations": n_rel, "prepare_s": prep,
           "tx_rows": store.tx_rows, "chunk_rows": store.chunk_rows,
           "store_s": [], "reload_s": [], "csv_s": [], "projection_s": []}
    def load_csv() -> float:
        t0 = time.perf_counter()
        with driver.session() as s:  # auto-commit: CALL … IN TRANSACTIONS needs it
            for _, q, _ in plans:
                s.run(q).consume()
        took = time.perf_counter() - t0
        loaded = graph_counts(driver)
        if loaded != written:
            raise SystemExit(f"LOAD CSV wrote {loaded}, the store wrote {written}: not the same graph")
        return took

    # warm-up (not timed): a store write, the export of what it wrote, a LOAD CSV of that
    store.clear()
    store.replace_source(batch)
    written = graph_counts(driver)
    shutil.rmtree(import_dir, ignore_errors=True)
    plans = export_csv(driver, import_dir)
    out["csv_files"] = {name: rows for name, _, rows in plans}
    store.clear()
    load_csv()
    for rep in range(reps):  # the two paths alternate which goes first
        for what in (("store", "csv") if rep % 2 == 0 else ("csv", "store")):
            store.clear()
            if what == "csv":
                out["csv_s"].append(load_csv())
                print(f"[{scale}] LOAD CSV {out['csv_s'][-1]:.1f} s", flush=True)
                continue
            t0 = time.perf_counter()
            store.replace_source(batch)
            out["store_s"].append(time.perf_counter() - t0)
            print(f"[{scale}] store write {out['store_s'][-1]:.1f} s ({store.last_write.get('transactions', 1)} "
                  "transactions)", flush=True)
            out["transactions"] = store.last_write.get("transactions", 1)
            t0 = time.perf_counter()
            store.replace_source(batch)
            out["reload_s"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            sub = store.projection()
            out["projection_s"].append(time.perf_counter() - t0)
            out["projected"] = (len(sub.actors), len(sub.relations))
            del sub
    out["graph"] = written
    store.clear()
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def med(xs: list[float]) -> float:
    return sorted(xs)[len(xs) // 2]


def render(results: list[dict], facts: dict) -> str:
    lines = [BEGIN, "",
             f"Run {facts['when']} on {facts['machine']} · Neo4j {facts['neo4j']} (local, embedded, heap "
             f"{facts['heap']}, page cache {facts['pagecache_mb']} MiB) · Python driver {facts['driver']} · "
             f"`{facts['command']}` · median of the timed runs ("
             + ", ".join(f"{r['scale']}: {r['reps']}" for r in results) + ") after one warm-up run of each path.", "",
             "| scale | actors | relations | store write | store rel/s | LOAD CSV | LOAD CSV rel/s | store / LOAD CSV "
             "| reload (same batch) | projection (pull back) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        st, cs = med(r["store_s"]), med(r["csv_s"])
        ratio = cs / st
        verdict = "meets" if ratio >= TARGET else "below"
        lines.append(f"| {r['scale']} | {r['actors']:,} | {r['relations']:,} | {st:.1f} s | {r['relations'] / st:,.0f} | "
                     f"{cs:.1f} s | {r['relations'] / cs:,.0f} | **{ratio:.2f}×** ({verdict} the ≥ {TARGET} target) | "
                     f"{med(r['reload_s']):.1f} s | {med(r['projection_s']):.1f} s ({r['projected'][0]:,} actors, "
                     f"{r['projected'][1]:,} relations) |")
    lines.append("")
    for r in results:
        g = r["graph"]
        lines.append(f"- {r['scale']}: both paths wrote the same graph — nodes "
                     + ", ".join(f"{k} {v:,}" for k, v in g["nodes"].items()) + "; relationships "
                     + ", ".join(f"{k} {v:,}" for k, v in g["relationships"].items())
                     + f". Parse + resolve beforehand: {r['prepare_s']:.1f} s (not in either figure)."
                     + ("" if r.get("transactions", 1) == 1 else
                        f" The store wrote this source in {r['transactions']:,} transactions of at most "
                        f"{r['chunk_rows']:,} rows (more than {r['tx_rows']:,} rows: `maillage/graph/neo4j_chunks.py`)."))
    lines += ["", END]
    return "\n".join(lines)


def write_doc(section: str) -> None:
    from docsection import write_section  # bench/ (run as a script)

    write_section(DOC, section, BEGIN, END, new_page="")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="region")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--nation-reps", type=int, default=1,
                    help="timed runs at nation (each path ≈ minutes at 1M relations)")
    ap.add_argument("--heap", default="4g")
    ap.add_argument("--pagecache-mb", type=int, default=2048)
    ap.add_argument("--no-doc", action="store_true", help="print only, do not rewrite docs/neo4j.md")
    args = ap.parse_args(argv)
    local = _launcher()
    inst = local.instance(ROOT / "bench" / "out" / "neo4j", _free_port())
    shutil.rmtree(inst.home, ignore_errors=True)
    local.start(inst, heap=args.heap, pagecache_mb=args.pagecache_mb)
    try:
        import neo4j

        results = [run_scale(s, inst.uri, inst.home / "import", args.seed,
                             args.nation_reps if s == "nation" else args.reps) for s in args.scales.split(",")]
        with neo4j.GraphDatabase.driver(inst.uri) as d:
            version = d.execute_query("CALL dbms.components() YIELD versions RETURN versions[0] AS v").records[0]["v"]
    finally:
        local.stop(inst)
        shutil.rmtree(inst.home, ignore_errors=True)
    facts = {"when": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "neo4j": version, "heap": args.heap,
             "pagecache_mb": args.pagecache_mb, "driver": neo4j.__version__, "reps": args.reps,
             "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores",
             "command": "python bench/neo4j_bench.py " + " ".join(argv if argv is not None else sys.argv[1:])}
    section = render(results, facts)
    print(section)
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "out" / "neo4j_bench.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    if not args.no_doc:
        write_doc(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
