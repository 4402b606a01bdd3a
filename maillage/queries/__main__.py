"""``python -m maillage.queries [NAME] [--param k=v …] [--store bolt://…]``: list the catalogue,
or run one query on a Neo4j store and print its rows as JSON lines. Values are read as JSON
when they parse (``2``, ``null``, ``["MEMBERSHIP"]``), else as text."""

from __future__ import annotations

import argparse
import json
import sys

from . import catalogue, run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m maillage.queries", description=__doc__.split("\n\n")[0])
    ap.add_argument("name", nargs="?", help="query to run (none: list the catalogue)")
    ap.add_argument("--param", "-p", action="append", default=[], metavar="K=V", help="a parameter (repeatable)")
    ap.add_argument("--store", help="Neo4j URI (default $MAILLAGE_STORE)")
    args = ap.parse_args(argv)
    if not args.name:
        for q in catalogue().values():
            print(f"{q.name}: {q.title}")
            for p, (t, doc) in q.params.items():
                print(f"    ${p} ({t}): {doc}")
        return 0
    params = {}
    for kv in args.param:
        k, sep, v = kv.partition("=")
        if not sep:
            ap.error(f"--param {kv!r}: expected K=V")
        try:
            params[k] = json.loads(v)
        except json.JSONDecodeError:
            params[k] = v
    from maillage.graph import open_store

    with open_store(args.store) as store:
        for row in run(store, args.name, **params):
            print(json.dumps(row, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
