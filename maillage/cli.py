"""The ``maillage`` command: a thin layer over the library.

Store selection for every command: ``--store URI`` or ``$MAILLAGE_STORE``; by default the
embedded store ``maillage.db`` in the current directory (``bolt://``/``neo4j://`` select
Neo4j). Errors are one clear line and a non-zero exit; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="maillage: map cooperation between the actors of a territory (PTCE, ESS, collectivités).")
console = Console(stderr=True)
out = Console()


class _State:
    store_uri: str | None = None
    debug: bool = False


state = _State()


@app.callback()
def _main(
    store: Annotated[Optional[str], typer.Option("--store", help="Store URI: a file path (embedded SQLite), "
                                                  "or bolt://… for Neo4j. Default: $MAILLAGE_STORE or ./maillage.db")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors")] = False,
) -> None:
    state.store_uri = store
    state.debug = debug


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True, disable=not console.is_terminal)


def _progress_callback(progress: Progress, label: str):
    tasks: dict[str, int] = {}

    def cb(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(f"{label} · {stage}", total=max(total, 1))
        progress.update(tasks[stage], completed=done, total=max(total, 1))

    return cb


def _open(uri: str | None = None):
    from maillage.graph import open_store

    return open_store(uri or state.store_uri)


@app.command()
def load(
    files: Annotated[list[Path], typer.Argument(help="Files to load (each is one source)", exists=False)],
    format: Annotated[Optional[str], typer.Option("--format", "-f", help="Force the format (default: detected)")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write the load report (JSON) here")] = None,
    source_id: Annotated[Optional[str], typer.Option("--source-id", help="Source id (one file only); "
                                                     "default <format>:<file name>")] = None,
    pole: Annotated[Optional[str], typer.Option("--pole", help="Member lists: the pôle the members belong to")] = None,
    mapping: Annotated[Optional[Path], typer.Option("--mapping", help="Subsidy files: a column mapping (YAML)")] = None,
    option: Annotated[Optional[list[str]], typer.Option("--option", "-o", help="A format option, KEY=VALUE "
                                                        "(repeatable; see docs/formats/)")] = None,
) -> None:
    """Load files into the store. Reloading a file replaces what it said before.

    Every row is loaded, merged with an actor already known, or rejected with a reason in a
    rejects file next to the report (CSV: file, row, level, column, value, reason, original row).
    Rows loaded with a value flagged (e.g. a SIRET damaged by a spreadsheet) are listed there as
    warnings.

    Examples: maillage load membres.xlsx --pole "Le Périscope" --report chargement.json
              maillage load subventions.csv --format scdl
    """
    from maillage.loaders import load_file

    if source_id and len(files) > 1:
        raise typer.BadParameter("--source-id names one source; give one file")
    options: dict[str, str] = {}
    for item in option or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"--option {item!r}: expected KEY=VALUE")
        options[key.strip()] = value.strip()
    if pole:
        options["pole"] = pole
    if mapping:
        options["mapping"] = str(mapping)
    rejects_dir = report.parent / "rejects" if report else None
    reports = []
    with _open() as store, _progress() as progress:
        for f in files:
            r = load_file(store, f, format=format, source_id=source_id, rejects_dir=rejects_dir,
                          progress=_progress_callback(progress, f.name), options=options)
            reports.append(r)
            console.print(f"[bold]{f}[/] ({r.format}): {r.rows_read} rows · {r.loaded} loaded · "
                          f"{r.merged} merged · {r.rejected} rejected"
                          + (f" · {r.warnings} warnings" if r.warnings else "")
                          + (f" → {r.rejects_file}" if r.rejects_file else ""))
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps({"files": [r.as_dict() for r in reports]}, indent=2, ensure_ascii=False))


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Counts of what the store holds: actors, relations, pôles, sources, by family and type."""
    from maillage.graph.vocabulary import vocabulary

    with _open() as store:
        s = store.stats()
    if as_json:
        out.print_json(json.dumps(s, ensure_ascii=False))
        return
    v = vocabulary()
    t = Table(title=f"maillage · {s['store']}", show_header=False)
    for k in ("actors", "relations", "poles", "sources", "statements", "persons", "placeholders", "runs", "proposals"):
        t.add_row(k, str(s[k]))
    out.print(t)
    fam = Table("famille", "acteurs")
    for k, n in s["actors_by_family"].items():
        fam.add_row(v.family(k).label("fr"), str(n))
    out.print(fam)
    rel = Table("relation", "énoncés")
    for k, n in s["relations_by_type"].items():
        rel.add_row(v.relation_type(k).label("fr"), str(n))
    out.print(rel)


@app.command()
def analyse(
    lens: Annotated[str, typer.Option(help="Projection: cooperation, funding, governance or all")] = "cooperation",
    as_of: Annotated[Optional[int], typer.Option("--as-of", help="Only ties active in that year")] = None,
    k: Annotated[Optional[int], typer.Option("--k", help="Sampled betweenness with k sources (default: exact)")] = None,
    seed: Annotated[int, typer.Option(help="Seed for sampled measures")] = 0,
) -> None:
    """Compute actor metrics on a lens of the graph and store them as a new analysis run."""
    from maillage.analytics.run import analyse as run_analysis

    with _open() as store:
        run = run_analysis(store, lens=lens, as_of=as_of, betweenness_k=k, seed=seed)
    out.print(f"run {run.id}: lens={run.lens} as_of={run.as_of} "
              f"({run.params.get('nodes')} actors, {run.params.get('edges')} ties)")


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for the store, map, report and summary")] = Path("demo-output"),
) -> None:
    """Load the reference dataset, analyse it, write an interactive map and a report.

    Writes into DIR: the embedded store (unless --store is given), carte.html (offline map),
    rapport.html, chargement.json (load report) and summary.json.
    """
    from maillage.demo import run_demo

    with _progress() as progress:
        summary = run_demo(out_dir, store_uri=state.store_uri,
                           progress=_progress_callback(progress, "référentiel"))
    out.print_json(json.dumps(summary, ensure_ascii=False))
    console.print(f"Carte : {summary['outputs']['map']}\nRapport : {summary['outputs']['report']}")


def main() -> None:
    """Entry point: run the app, turning errors into one clear line unless --debug."""
    try:
        app(standalone_mode=False)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        console.print("interrupted")
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 (the one place errors become messages)
        # typer bundles its own click: recognise its exceptions by shape, not by import
        if type(e).__name__ == "Exit" and hasattr(e, "exit_code"):
            sys.exit(e.exit_code)
        if type(e).__name__ == "Abort":
            console.print("aborted")
            sys.exit(1)
        if hasattr(e, "show") and hasattr(e, "exit_code"):  # usage errors, bad parameters
            e.show()
            sys.exit(e.exit_code)
        if state.debug or "--debug" in sys.argv:
            raise
        console.print(f"[red]error:[/] {e}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
