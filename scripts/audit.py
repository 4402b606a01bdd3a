"""Audit the pinned dependencies (constraints.txt) for known vulnerabilities with pip-audit.

    python scripts/audit.py [--pip-audit PATH] [--service pypi|osv|both] [--json OUT]

pip-audit asks a vulnerability service about every pinned ``name==version``: the PyPI JSON API
(``pypi``, the default) or OSV (``osv``). The verdict is one of:

- **clean**: every package was audited and none has a known vulnerability → exit 0;
- **vulnerable**: at least one known vulnerability → the list, exit 1 (CI fails);
- **not possible here**: no service answered for any package (no network to pypi.org's JSON
  API nor to api.osv.dev, as on the project's build machines) → one line saying so and why,
  exit 0, unless ``--strict`` (then exit 2). A partial answer (some packages audited, some not)
  lists the unaudited ones and fails under ``--strict``.

The audit tool is not a dependency of maillage: ``make audit`` installs it into its own
``.venv-audit`` so that its own requirements never move the project's pins.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_pip_audit(pip_audit: str, service: str, constraints: Path) -> tuple[dict | None, str]:
    """pip-audit's JSON report for ``constraints`` (no dependency resolution: the file is
    already complete), or None and the reason it gave none."""
    cmd = [pip_audit, "-r", str(constraints), "--no-deps", "--progress-spinner", "off", "-f", "json",
           "-s", service]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return None, f"pip-audit -s {service} took more than 10 min"
    try:
        return json.loads(proc.stdout), ""
    except json.JSONDecodeError:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return None, f"pip-audit -s {service} exited {proc.returncode}: {tail[:300]}"


def verdict(report: dict) -> tuple[list[str], list[str], int]:
    """(vulnerabilities as lines, packages not audited with the reason, packages audited)."""
    vulns, skipped, audited = [], [], 0
    for dep in report.get("dependencies", []):
        if dep.get("skip_reason"):
            skipped.append(f"{dep['name']}: {dep['skip_reason']}")
            continue
        audited += 1
        for v in dep.get("vulns", []):
            fix = ", ".join(v.get("fix_versions") or []) or "no fixed version"
            vulns.append(f"{dep['name']} {dep.get('version')}: {v.get('id')} (fixed in {fix})")
    return vulns, skipped, audited


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pip-audit", default=shutil.which("pip-audit") or str(ROOT / ".venv-audit/bin/pip-audit"))
    ap.add_argument("--service", choices=("pypi", "osv", "both"), default="both")
    ap.add_argument("--constraints", type=Path, default=ROOT / "constraints.txt")
    ap.add_argument("--strict", action="store_true", help="fail when the audit could not be done")
    ap.add_argument("--json", type=Path, help="write the outcome here")
    args = ap.parse_args(argv)
    if not Path(args.pip_audit).exists() and not shutil.which(args.pip_audit):
        print(f"audit: pip-audit not found at {args.pip_audit} (run `make audit`)", file=sys.stderr)
        return 2
    pinned = sum(1 for line in args.constraints.read_text().splitlines() if "==" in line)
    outcome: dict = {"pinned": pinned, "services": {}}
    best: tuple[list[str], list[str], int] | None = None
    for service in (("pypi", "osv") if args.service == "both" else (args.service,)):
        report, why = run_pip_audit(args.pip_audit, service, args.constraints)
        if report is None:
            outcome["services"][service] = {"answered": False, "reason": why}
            print(f"audit: {service}: no answer — {why}")
            continue
        vulns, skipped, audited = verdict(report)
        outcome["services"][service] = {"answered": True, "audited": audited, "skipped": len(skipped),
                                        "vulnerabilities": vulns,
                                        "skip_reasons": sorted({s.split(": ", 1)[1] for s in skipped})}
        print(f"audit: {service}: {audited} of {pinned} pinned packages audited, {len(vulns)} known "
              f"vulnerabilities" + (f"; {len(skipped)} not audited ({skipped[0]} …)" if skipped else ""))
        if best is None or audited > best[2]:
            best = (vulns, skipped, audited)
        if audited == pinned:
            break
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(outcome, indent=2, ensure_ascii=False) + "\n")
    if best is not None and best[0]:
        print("audit: VULNERABLE —\n  " + "\n  ".join(best[0]))
        return 1
    if best is None or best[2] == 0:
        print("audit: NOT POSSIBLE HERE — no vulnerability service answered for any package "
              "(see the reasons above); nothing was audited.")
        return 2 if args.strict else 0
    if best[2] < pinned:
        print(f"audit: partial — {pinned - best[2]} packages could not be audited")
        return 2 if args.strict else 0
    print("audit: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
