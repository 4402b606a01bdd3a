"""The repeated-grants check of a second subsidy file: reading the first file's grants as
relation records (``Store.relations``) vs as fields only (``Store.tie_fields``).

A subsidy file loaded beside another one is checked for grants the other already states (same
attribuant, bénéficiaire, amount and year: each would be counted twice;
``maillage.loaders.formats.subsidies.repeated_grant_notes``). The check reads every grant of the
other file from this file's attribuants. Read as relation records, each grant's provenance is
built and validated; the check needs only the two ends, the amount and the year.

The run writes a synthetic SCDL file (``bench/scdl_bench.py``'s generator, ``--rows`` rows) and a
second edition of it (the same rows and 2 % more), loads the first into a fresh embedded store,
then, in the same process and interleaved (median of ``--reps``):

- **relations**: ``store.relations(touching=attribuants, source=first, types=["funds"])``, the
  check's read before;
- **tie_fields**: ``store.tie_fields(attribuants, types=["funds"], source=first)``, its read now —
  checked to return the same (source, target, fields) as relations, grant for grant;

and then loads the second edition end to end once, timing the whole check inside it. Rewrites
its section of ``docs/benchmarks.md`` (not with ``--no-doc``).

    python bench/repeated_grants_bench.py                # 100,000 rows
    python bench/repeated_grants_bench.py --rows 5000 --no-doc   # smoke run
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- bench/repeated_grants_bench.py:begin -->"
END = "<!-- bench/repeated_grants_bench.py:end -->"


def _editions(rows: int, tmp: Path) -> tuple[Path, Path]:
    import scdl_bench

    first = tmp / f"subventions-{rows}.csv"
    scdl_bench.generate(rows, 7, first)
    lines = first.read_bytes().split(b"\r\n")  # header, rows, "" after the last CRLF
    extra = lines[1:1 + max(rows // 50, 1)]
    second = tmp / f"subventions-{rows}-edition2.csv"
    second.write_bytes(b"\r\n".join(lines[:-1] + extra) + b"\r\n")
    return first, second


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--no-doc", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import maillage.loaders.formats.subsidies as subsidies
    from maillage.geography import load_geography
    from maillage.graph import open_store
    from maillage.loaders import load_file

    t_start = time.perf_counter()
    tmp = ROOT / "bench" / "out" / "repeated_grants"
    tmp.mkdir(parents=True, exist_ok=True)
    first, second = _editions(args.rows, tmp)
    load_geography()
    db = tmp / "store.db"
    for p in tmp.glob("store.db*"):
        p.unlink()
    check = {"seconds": 0.0, "notes": []}
    real = subsidies.repeated_grant_notes

    def timed(*a, **k):
        t0 = time.perf_counter()
        notes = real(*a, **k)
        check["seconds"] += time.perf_counter() - t0
        check["notes"] = notes
        return notes

    with open_store(str(db)) as store:
        t0 = time.perf_counter()
        load_file(store, first, rejects_dir=tmp / "rejets")
        first_load = time.perf_counter() - t0
        sid = next(s.id for s in store.sources())
        payers = sorted({r.source for r in store.relations(types=["funds"], source=sid)})  # the attribuants
        times: dict[str, list[float]] = {"relations": [], "tie_fields": []}
        for _ in range(args.reps):  # interleaved: the machine's noise hits both
            t0 = time.perf_counter()
            rels = store.relations(touching=payers, source=sid, types=["funds"])
            times["relations"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            fields = store.tie_fields(payers, types=["funds"], source=sid)
            times["tie_fields"].append(time.perf_counter() - t0)
        if [(r.id, r.source, r.target, r.fields) for r in rels] != [tuple(f) for f in fields]:
            raise SystemExit("tie_fields and relations disagree")
        subsidies.repeated_grant_notes = timed
        try:
            t0 = time.perf_counter()
            load_file(store, second, rejects_dir=tmp / "rejets")
            second_load = time.perf_counter() - t0
        finally:
            subsidies.repeated_grant_notes = real
    if not check["notes"]:
        raise SystemExit("the second edition's load said no repeated grant")
    med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
    lines = [
        BEGIN,
        "## A second subsidy file: reading the first one's grants for the repeated-grants check",
        "",
        f"*Written by `bench/repeated_grants_bench.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; command:* "
        f"`python bench/repeated_grants_bench.py --rows {args.rows}` *({time.perf_counter() - t_start:.0f} s in all; "
        f"{platform.machine()}, Python {platform.python_version()}).*",
        "",
        f"A synthetic SCDL file of {args.rows:,} rows (`bench/scdl_bench.py`'s generator) loaded into a fresh "
        f"embedded store ({first_load:.1f} s), then its {len(payers)} attribuants' {len(rels):,} grants read as the "
        "check of a second subsidy file reads them: as relation records, each grant's provenance built and "
        "validated (`Store.relations`, the read before), and as fields only (`Store.tie_fields`, the read now; "
        "checked to return the same grants, fields included). Same process, interleaved, median of "
        f"{args.reps}.",
        "",
        "| read | seconds (median) | grants/s | **× tie_fields** |",
        "|---|---:|---:|---:|",
        *(f"| `{k}` | {med[k]:.2f} | {len(rels) / med[k]:,.0f} | **{med[k] / med['tie_fields']:.1f}×** |"
          for k in ("relations", "tie_fields")),
        "",
        f"Then a second edition (the same rows and {max(args.rows // 50, 1):,} more) loaded beside the first: "
        f"{second_load:.1f} s, of which the whole repeated-grants check (both reads' keys, the counting, the "
        f"note) {check['seconds']:.2f} s. Its note: « {check['notes'][0][:120]}… ».",
        END,
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_doc:
        from docsection import write_section

        write_section(DOC, section, BEGIN, END)


if __name__ == "__main__":
    main()
