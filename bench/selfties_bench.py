"""Files whose rows tie an actor to itself vs the same files tying two actors (SCDL, FTM).

A Département that manages EU funds can appear as its own bénéficiaire on every row of that
programme; a FollowTheMoney export can hold Memberships of an organisation in itself. Each such
row is kept and flagged (a warning; left out of analyses), as every loader keeps a self-tie; checking
whether the row already had such a reject used to scan every reject of the file, for each row —
quadratic: 30 s for 12,000 self-funding SCDL rows, 9 s for 20,000 FTM self-memberships, against
about 1 s for files of the same size tying two actors. The obvious alternative to compare with
is that same file with two different actors on each row.

For each format and size, two files of the same shape: *self*, every row tying one actor to
itself; *others*, every row tying two different actors (an SCDL attribuant with a valid SIRET
funding distinct bénéficiaires; organisations member of the first). Each is loaded with
``load_file`` into a fresh in-memory store in a fresh subprocess; median of ``--reps``. Reports
seconds, rows/s and the ratio self / others, and how the ratio moves from the small to the large
size (a quadratic check grows with the rows).

    python bench/selfties_bench.py                    # 3,000 and 12,000 rows, 3 repetitions
    python bench/selfties_bench.py --no-doc           # print only
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from stdnum import luhn

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench/selfties_bench.py:begin -->", "<!-- bench/selfties_bench.py:end -->"
HEADER = ("nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;idBeneficiaire;objet;"
          "montant;nature;conditionsVersement;datesPeriodeVersement;notificationUE;pourcentageSubvention\n")
DEPARTEMENT = ("Département de la Haute-Garonne", "22310001700001")


def _siret(i: int) -> str:
    """A valid SIRET for bénéficiaire number ``i``: its SIREN and itself pass the Luhn key."""
    siren = f"{40000000 + i:08d}"
    siren += luhn.calc_check_digit(siren)
    return siren + "0001" + luhn.calc_check_digit(siren + "0001")


_SYLLABLES = ("ba", "ko", "ri", "mu", "te", "lo", "vi", "sa", "du", "ne", "pa", "zo", "fi", "ga", "ju", "ly")


def _name(i: int) -> str:
    """A distinct made-up name for bénéficiaire ``i`` (« Association Korimu »): names that share
    digits only would all be fuzzy candidates of one another, which ordinary files are not."""
    word = ""
    while True:
        i, r = divmod(i, len(_SYLLABLES))
        word += _SYLLABLES[r]
        if not i:
            break
    return f"Association {word.capitalize()}"


def write(path: Path, rows: int, itself: bool) -> Path:
    name, siret = DEPARTEMENT
    lines = [HEADER]
    for i in range(rows):
        bname, bid = (name, siret) if itself else (_name(i), _siret(i))
        lines.append(f"{name};{siret};{1 + i % 28:02d}/03/2021;D{i};{bname};{bid};Fonds européens, action {i};"
                     f"1 000,00;aide en numéraire;unique;2021;oui;1\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def write_ftm(path: Path, rows: int, itself: bool) -> Path:
    """FollowTheMoney lines: organisations, then ``rows`` Memberships — of the first
    organisation with itself (*self*, each kept with a warning, a tie to itself) or of organisation
    i in the first (*others*, each loaded)."""
    orgs = 1 if itself else rows + 1
    lines = [json.dumps({"id": f"o{i}", "schema": "Organization", "properties": {"name": [_name(i)]}})
             for i in range(orgs)]
    lines += [json.dumps({"id": f"m{i}", "schema": "Membership",
                          "properties": {"member": ["o0" if itself else f"o{i + 1}"], "organization": ["o0"],
                                         "role": ["membre"]}}) for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def worker(path: Path) -> dict:
    from maillage.graph import open_store
    from maillage.loaders import load_file

    t0 = time.perf_counter()
    with open_store(":memory:") as store:
        rep = load_file(store, path, rejects_dir=path.parent)
    return {"seconds": time.perf_counter() - t0, "rows": rep.rows_read, "loaded": rep.loaded,
            "rejected": rep.rejected, "warnings": rep.warnings}


def _run(path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", str(path)], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


FORMATS = {  # format → (file writer, suffix): each self row is loaded with one warning
    "scdl": (write, ".csv"),
    "ftm": (write_ftm, ".jsonl"),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[3000, 12000])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--no-doc", action="store_true")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(worker(args.worker)))
        return
    tmp = ROOT / "bench" / "out" / "selfties"
    tmp.mkdir(parents=True, exist_ok=True)
    rows = []
    for fmt, (writer, suffix) in FORMATS.items():
        for n in args.sizes:
            files = {kind: writer(tmp / f"{fmt}-{kind}-{n}{suffix}", n, kind == "self") for kind in ("self", "others")}
            runs: dict[str, list[dict]] = {"self": [], "others": []}
            for _ in range(args.reps):  # interleaved: the machine's noise hits both
                for kind, f in files.items():
                    runs[kind].append(_run(f))
            med = {k: sorted(v, key=lambda r: r["seconds"])[len(v) // 2] for k, v in runs.items()}
            if med["self"]["warnings"] != n or med["others"]["loaded"] < n:
                raise SystemExit(f"{fmt}: the rows are not accounted for as expected: {med}")
            rows.append((fmt, n, med["self"], med["others"]))
            print(f"{fmt} {n:,} rows: self {med['self']['seconds']:.2f} s, others {med['others']['seconds']:.2f} s",
                  flush=True)
    verdicts = []
    for fmt in FORMATS:
        ratios = [s["seconds"] / o["seconds"] for f, _, s, o in rows if f == fmt]
        ok = max(ratios) <= 2 and ratios[-1] <= 1.5 * ratios[0]
        verdicts.append(f"{fmt}: {ratios[0]:.2f}× → {ratios[-1]:.2f}× "
                        + ("(target met)" if ok else "(**target missed**)"))
    lines = [
        BEGIN,
        "## Files whose rows tie an actor to itself",
        "",
        f"*Written by `bench/selfties_bench.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; command:* "
        f"`python bench/selfties_bench.py --sizes {' '.join(map(str, args.sizes))}` *({platform.machine()}, "
        f"Python {platform.python_version()}).*",
        "",
        "*Self*: every row ties an actor to itself — an SCDL file whose attribuant funds itself (a Département "
        "managing EU funds), FollowTheMoney Memberships of an organisation in itself; each row kept and flagged "
        "(a warning), as every loader keeps a self-tie; *others*: the same file with each row tying two different actors. `load_file` into "
        f"a fresh in-memory store, a fresh subprocess each, median of {args.reps}, interleaved. Target: self "
        "within 2× of others at every size, and the ratio not growing with the rows (each self-tie used to "
        "scan every reject of the file: quadratic).",
        "",
        "| format | rows | self (s) | self rows/s | others (s) | others rows/s | **self / others** |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(f"| {fmt} | {n:,} | {s['seconds']:.2f} | {n / s['seconds']:,.0f} | {o['seconds']:.2f} | "
          f"{n / o['seconds']:,.0f} | **{s['seconds'] / o['seconds']:.2f}×** |" for fmt, n, s, o in rows),
        "",
        f"Ratio from {args.sizes[0]:,} to {args.sizes[-1]:,} rows: " + "; ".join(verdicts) + ".",
        END,
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_doc:
        sys.path.insert(0, str(ROOT / "bench"))
        from docsection import write_section

        write_section(DOC, section, BEGIN, END)


if __name__ == "__main__":
    main()
