"""The long bad-input campaign: the hostile corpus and the fuzzing properties, at scale.

Runs, and writes to ``bench/out/reliability/fuzz.json`` (figures for docs/reliability.md):

1. every case of the hostile corpus (``tests/hostile_corpus.py``), **each in its own child
   process** on a store holding the reference dataset, with its deadline — including the
   campaign-only ones (100 MB single lines, a 1 GiB zip bomb, 100,000 columns) — with the time
   and the **peak memory** (RSS) of each;
2. the hypothesis properties of ``tests/test_hostile_inputs.py`` and ``tests/test_fuzz_cli.py``
   with the campaign profile (thousands of random examples each; ``--profile ci`` runs the
   deterministic CI slice instead, to count it).

Usage::

    .venv/bin/python scripts/fuzz.py                   # the campaign (about 15–30 minutes)
    .venv/bin/python scripts/fuzz.py --profile ci --out bench/out/reliability/fuzz-ci.json   # the CI slice
    .venv/bin/python scripts/fuzz.py --scale 0.1       # a tenth of the campaign's examples
    .venv/bin/python scripts/fuzz.py --no-corpus       # properties only (or --no-properties)

Exit status 1 when any case or property failed; the JSON lists each failure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "reliability" / "fuzz.json"

PROPERTIES = {
    "test_hostile_inputs": ["test_format_detection_survives_anything",
                            "test_maillage_jsonl_records_are_loaded_or_rejected_never_crash",
                            "test_tables_without_their_own_property_never_crash",
                            "test_spreadsheet_guard_bounds_what_calamine_lays_out",
                            "test_ods_guard_bounds_what_calamine_lays_out",
                            "test_cell_parsers_raise_only_cell_error",
                            "test_long_line_finder_agrees_with_splitting"],
    "test_fuzz_cli": ["test_invalid_arguments_fail_with_a_short_message_and_change_nothing",
                      "test_any_argument_list_ends_with_an_exit_code_never_a_traceback"],
}


class _Factory:
    """Enough of pytest's ``tmp_path_factory`` for the properties."""

    def __init__(self, base: Path) -> None:
        self.base = base

    def getbasetemp(self) -> Path:
        return self.base

    def mktemp(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=name, dir=self.base))


def run_corpus(H, work: Path, log, profile: str) -> dict:
    """Every case (campaign: all of them; ci: the CI slice) in its own process, on the reference
    dataset."""
    template = H.build_template(work / "reference" / "store.db", reference=True)
    cases = H.campaign_cases() if profile == "campaign" else H.ci_cases()
    results = {}
    for i, case in enumerate(cases, 1):
        got = H.run_isolated([case.name], template, work / "cases", one_process_each=True)[case.name]
        results[case.name] = got
        state = "ok" if not got["problems"] else "FAILED"
        log(f"[corpus {i}/{len(cases)}] {case.name}: {got['kind']} {state} "
            f"({got.get('seconds', '?')} s, peak {got.get('peak_rss_mb', '?')} MB)")
        for p in got["problems"]:
            log(f"      {p[:300]}")
        shutil.rmtree(work / "cases", ignore_errors=True)
    by_format = Counter(c.format or "(detected)" for c in cases)
    by_category = Counter(c.category for c in cases)
    failures = [{"case": n, "problems": r["problems"]} for n, r in results.items() if r["problems"]]
    outcomes = Counter(r["kind"] for r in results.values())
    heavy = {n: {k: r.get(k) for k in ("kind", "seconds", "peak_rss_mb", "message")}
             for n, r in results.items() if any(t in n for t in ("100mb", "1gib", "100k", "17mb", "bomb"))}
    baseline = results.get("junk-missing", {}).get("peak_rss_mb")
    return {"cases": len(cases), "ci_cases": len(H.ci_cases()), "campaign_only": sum(c.campaign_only for c in cases),
            "isolated": sum(c.isolate for c in cases), "by_format": dict(sorted(by_format.items())),
            "by_category": dict(sorted(by_category.items())), "outcomes": dict(outcomes),
            "failures": failures, "baseline_peak_rss_mb": baseline, "heavy_cases": heavy,
            "results": {n: {k: r.get(k) for k in ("category", "kind", "seconds", "peak_rss_mb", "problems")}
                        for n, r in results.items()}}


def run_properties(H, work: Path, log) -> dict:
    import importlib

    factory = _Factory(work)
    out = {}
    for module_name, names in PROPERTIES.items():
        mod = importlib.import_module(module_name)
        fixtures = {"tmp_path_factory": factory}
        if module_name == "test_fuzz_cli":
            fixtures["workspace"] = mod.workspace.__wrapped__(factory)
        for name in names:
            fn = getattr(mod, name)
            wanted = {k: v for k, v in fixtures.items() if k in fn.hypothesis.inner_test.__code__.co_varnames}
            H.TALLY.clear()
            t0 = time.perf_counter()
            error = None
            try:
                fn(**wanted)
            except Exception as e:  # noqa: BLE001 - a failing property is a finding, reported
                error = "".join(traceback.format_exception_only(type(e), e))[-3000:]
            seconds = round(time.perf_counter() - t0, 1)
            tried = dict(H.TALLY)
            out[name] = {"module": module_name, "examples": sum(tried.values()), "by_target": tried,
                         "failed": error is not None, "error": error, "seconds": seconds}
            log(f"[property] {name}: {sum(tried.values())} examples in {seconds} s "
                f"{'FAILED' if error else 'ok'}")
            if error:
                log("      " + error.strip().replace("\n", "\n      ")[:1500])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--profile", choices=("campaign", "ci"), default="campaign")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply the campaign's examples (e.g. 0.1)")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--no-properties", action="store_true")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    os.environ["MAILLAGE_FUZZ_PROFILE"] = args.profile  # read when the test modules are imported
    os.environ["MAILLAGE_FUZZ_SCALE"] = str(args.scale)
    sys.path.insert(0, str(ROOT / "tests"))
    import hostile_corpus as H

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="maillage-fuzz-"))

    def log(msg: str) -> None:
        print(msg, flush=True)

    report: dict = {"command": "python scripts/fuzz.py " + " ".join(argv if argv is not None else sys.argv[1:]),
                    "profile": args.profile, "scale": args.scale,
                    "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                "platform": platform.platform()}}
    try:
        if not args.no_corpus:
            report["corpus"] = run_corpus(H, work, log, args.profile)
        if not args.no_properties:
            report["properties"] = run_properties(H, work, log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    props = report.get("properties", {})
    corpus = report.get("corpus", {})
    per_loader: dict[str, int] = defaultdict(int)
    for fmt, n in corpus.get("by_format", {}).items():
        per_loader[f"corpus:{fmt}"] += n
    for name, p in props.items():
        for target, n in p["by_target"].items():
            per_loader[f"property:{target}"] += n
    report["totals"] = {
        "corpus_cases": corpus.get("cases", 0),
        "property_examples": sum(p["examples"] for p in props.values()),
        "cases_tried": corpus.get("cases", 0) + sum(p["examples"] for p in props.values()),
        "failures": len(corpus.get("failures", [])) + sum(p["failed"] for p in props.values()),
        "per_target": dict(sorted(per_loader.items())),
    }
    report["duration_s"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    t = report["totals"]
    log(f"\n{t['cases_tried']} cases tried ({t['corpus_cases']} corpus files, {t['property_examples']} property "
        f"examples), {t['failures']} failures, {report['duration_s']} s → {args.out}")
    return 1 if t["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
