#!/usr/bin/env python3
"""Measure entity resolution on the reference dataset against a hand-labelled gold set.

The gold set (``tests/data/resolution_gold.csv``) lists every organisation of the four
seed-graph extractions (natural persons are left out) with the cluster it belongs to:
two rows with the same ``cluster`` denote the same organisation. ``maybe`` names clusters
the row *might* also belong to (a placeholder whose identity the text only implies, a
renamed body with a new SIREN, a pôle blurred with its structure porteuse…): pairs across
them are *don't care* and count neither way. How the set was labelled: docs/resolution.md.

The resolver's clustering is the canonical actor each statement was resolved to when the
reference dataset is loaded (``maillage.loaders.load_reference``) into a fresh store.
Scores are **pairwise** (Menestrina, Whang & Garcia-Molina, "Evaluating entity resolution
results", VLDB 2010): over all unordered pairs of labelled statements,

- precision = pairs merged that the gold set says are the same / pairs merged,
- recall    = pairs merged that the gold set says are the same / pairs the gold set says are the same,
- F1        = their harmonic mean.

Usage::

    .venv/bin/python scripts/resolution_eval.py                 # report on stdout
    .venv/bin/python scripts/resolution_eval.py --json          # machine-readable
    .venv/bin/python scripts/resolution_eval.py --markdown      # tables for docs/resolution.md
    .venv/bin/python scripts/resolution_eval.py --store maillage.db   # with that store's review decisions

The result is deterministic (same code, same data, same numbers); it takes a few seconds.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_GOLD = ROOT / "tests" / "data" / "resolution_gold.csv"
SOURCE_PREFIX = "reference:"

Item = tuple[str, str]  # (extraction, key)


@dataclass
class Gold:
    cluster: dict[Item, str]
    names: dict[Item, str]
    maybe: dict[str, set[str]]  # cluster → clusters whose pairs with it are "don't care"

    def relation(self, a: Item, b: Item) -> bool | None:
        """True: same organisation; False: different; None: don't care."""
        ca, cb = self.cluster[a], self.cluster[b]
        if ca == cb:
            return True
        if cb in self.maybe.get(ca, ()) or ca in self.maybe.get(cb, ()):
            return None
        return False


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    merged_pairs: int
    gold_pairs: int
    dont_care_pairs: int
    false_merges: list[tuple[Item, Item]] = field(default_factory=list)
    missed_merges: list[tuple[Item, Item]] = field(default_factory=list)


def read_gold(path: Path = DEFAULT_GOLD) -> Gold:
    cluster, names, maybe = {}, {}, defaultdict(set)
    with path.open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f), start=2):
            item = (row["extraction"], row["key"])
            if item in cluster:
                raise ValueError(f"{path}, row {i}: {item} is labelled twice")
            cluster[item] = row["cluster"]
            names[item] = row["name"]
            maybe[row["cluster"]].update(row["maybe"].split())
    unknown = {m for ms in maybe.values() for m in ms} - set(cluster.values())
    if unknown:
        raise ValueError(f"{path}: 'maybe' names clusters that have no row: {sorted(unknown)}")
    return Gold(cluster, names, dict(maybe))


def pairwise_scores(predicted: dict[Item, str], gold: Gold) -> Scores:
    """Pairwise precision/recall of ``predicted`` (item → resolved actor id) against ``gold``,
    over the items both know; don't-care pairs are left out of both."""
    items = sorted(set(predicted) & set(gold.cluster))
    tp = merged = gold_pairs = dont_care = 0
    false, missed = [], []
    for a, b in itertools.combinations(items, 2):
        same = gold.relation(a, b)
        if same is None:
            dont_care += 1
            continue
        together = predicted[a] == predicted[b]
        gold_pairs += same
        merged += together
        if same and together:
            tp += 1
        elif together:
            false.append((a, b))
        elif same:
            missed.append((a, b))
    p = tp / merged if merged else 1.0
    r = tp / gold_pairs if gold_pairs else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(p, r, f1, tp, merged, gold_pairs, dont_care, false, missed)


def resolve_reference(store=None):
    """Load the reference dataset into ``store`` (default: a fresh in-memory one); return
    ``(predicted, log)``: item → actor id, and item → (rule, score, matched, {candidate actor
    ids proposed for review})."""
    import tempfile

    from maillage.graph import open_store
    from maillage.loaders import REFERENCE_FILES, load_reference

    own = store is None
    store = store or open_store(":memory:")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            load_reference(store, rejects_dir=tmp)
        predicted, log = {}, {}
        proposed: dict[Item, set[str]] = defaultdict(set)
        for p in store.proposals():
            proposed[(p.source.removeprefix(SOURCE_PREFIX), p.key)].add(p.candidate_id)
        for name in REFERENCE_FILES:
            for r in store.resolution_log(SOURCE_PREFIX + name):
                predicted[(name, r["key"])] = r["actor_id"]
                log[(name, r["key"])] = (r["rule"], r["score"], r["matched"], frozenset(proposed[(name, r["key"])]))
        return predicted, log
    finally:
        if own:
            store.close()


def _label(item: Item, gold: Gold) -> str:
    return f"{item[0]}:{item[1]} « {gold.names[item]} »"


def _group(pairs: list[tuple[Item, Item]], key) -> dict[str, list[tuple[Item, Item]]]:
    out: dict[str, list[tuple[Item, Item]]] = defaultdict(list)
    for a, b in pairs:
        out[key(a, b)].append((a, b))
    return dict(sorted(out.items()))


def report(scores: Scores, gold: Gold, predicted: dict[Item, str], log: dict[Item, tuple], markdown: bool) -> str:
    lines = []
    if markdown:
        lines += ["| measure | value |", "|---|---|",
                  f"| labelled organisations | {len(gold.cluster)} ({len(set(gold.cluster.values()))} clusters) |",
                  f"| same-organisation pairs (gold) | {scores.gold_pairs} |",
                  f"| pairs merged by the resolver | {scores.merged_pairs} |",
                  f"| correct merged pairs | {scores.true_pairs} |",
                  f"| don't-care pairs (left out) | {scores.dont_care_pairs} |",
                  f"| **precision** | **{scores.precision:.3f}** |",
                  f"| **recall** | **{scores.recall:.3f}** |",
                  f"| **F1** | **{scores.f1:.3f}** |", ""]
    else:
        lines += [f"labelled organisations: {len(gold.cluster)} in {len(set(gold.cluster.values()))} clusters",
                  f"gold pairs {scores.gold_pairs} · merged pairs {scores.merged_pairs} · correct {scores.true_pairs}"
                  f" · don't care {scores.dont_care_pairs}",
                  f"precision {scores.precision:.3f}  recall {scores.recall:.3f}  F1 {scores.f1:.3f}", ""]
    # false merges: by resolved actor, with the rule that put each statement there
    by_actor = _group(scores.false_merges, lambda a, b: predicted[a])
    lines.append(f"False merges ({len(scores.false_merges)} pairs in {len(by_actor)} actors):" if not markdown
                 else f"**False merges** — {len(scores.false_merges)} pairs in {len(by_actor)} resolved actors:\n")
    for actor_id, pairs in by_actor.items():
        members = sorted({x for p in pairs for x in p})
        desc = "; ".join(f"{_label(m, gold)} [{log[m][0]}{' ' + repr(log[m][2]) if log[m][2] else ''}]"
                         for m in members)
        lines.append(f"- `{actor_id}`: {desc}" if markdown else f"  {actor_id}: {desc}")
    lines.append("")
    def proposed(a: Item, b: Item) -> bool:
        return predicted[b] in log[a][3] or predicted[a] in log[b][3]

    in_queue = sum(proposed(a, b) for a, b in scores.missed_merges)
    by_cluster = _group(scores.missed_merges, lambda a, b: gold.cluster[a])
    lines.append(f"Missed merges ({len(scores.missed_merges)} pairs in {len(by_cluster)} gold clusters, "
                 f"{in_queue} of them proposed for review):" if not markdown else
                 f"**Missed merges** — {len(scores.missed_merges)} pairs in {len(by_cluster)} gold clusters "
                 f"({in_queue} of the pairs are in the review queue, marked ⚑):\n")
    for cluster, pairs in by_cluster.items():
        parts: dict[str, list[Item]] = defaultdict(list)
        for m in sorted({x for p in pairs for x in p}):
            parts[predicted[m]].append(m)
        desc = " ≠ ".join("{" + ", ".join(_label(m, gold) for m in ms) + "}" for ms in parts.values())
        flag = " ⚑" if any(proposed(a, b) for a, b in pairs) else ""
        lines.append(f"- {cluster}{flag}: {desc}" if markdown else f"  {cluster}{flag}: {desc}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold CSV (default: %(default)s)")
    out = ap.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the scores and error lists as JSON")
    out.add_argument("--markdown", action="store_true", help="print Markdown tables for docs/resolution.md")
    ap.add_argument("--store", metavar="URI",
                    help="load the reference dataset again into this store (e.g. maillage.db, after "
                         "`maillage resolve --accept/--reject/--undo`) and measure it there: the reviewers' "
                         "decisions apply (default: a fresh in-memory store)")
    args = ap.parse_args(argv)
    try:
        gold = read_gold(args.gold)
    except (OSError, ValueError, KeyError) as e:
        print(f"error: cannot read the gold set: {e}", file=sys.stderr)
        return 2
    if args.store:
        from maillage.graph import open_store
        from maillage.graph.store import StoreError

        if "://" not in args.store and not Path(args.store).is_file():
            print(f"error: no store at {args.store}", file=sys.stderr)
            return 2
        try:
            with open_store(args.store) as store:
                predicted, log = resolve_reference(store)
        except StoreError as e:
            print(f"error: {args.store}: {e}", file=sys.stderr)
            return 2
    else:
        predicted, log = resolve_reference()
    missing = sorted(set(gold.cluster) - set(predicted))
    if missing:
        print(f"error: {len(missing)} gold rows are not statements of the reference dataset, e.g. {missing[:3]}",
              file=sys.stderr)
        return 2
    scores = pairwise_scores(predicted, gold)
    if args.json:
        def pairs(ps):
            return [[f"{a[0]}:{a[1]}", f"{b[0]}:{b[1]}"] for a, b in ps]
        print(json.dumps({"precision": scores.precision, "recall": scores.recall, "f1": scores.f1,
                          "true_pairs": scores.true_pairs, "merged_pairs": scores.merged_pairs,
                          "gold_pairs": scores.gold_pairs, "dont_care_pairs": scores.dont_care_pairs,
                          "false_merges": pairs(scores.false_merges), "missed_merges": pairs(scores.missed_merges),
                          "missed_in_review_queue": pairs([(a, b) for a, b in scores.missed_merges
                                                           if predicted[b] in log[a][3] or predicted[a] in log[b][3]])},
                         indent=2, ensure_ascii=False))
    else:
        print(report(scores, gold, predicted, log, markdown=args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
