"""The ``maillage`` command: a thin layer over the library.

Store selection for every command: ``--store URI`` or ``$MAILLAGE_STORE``; by default the
embedded store ``maillage.db`` in the current directory (``bolt://``/``neo4j://`` select
Neo4j). Errors are one clear line and a non-zero exit; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table
from typer.core import TyperCommand, TyperGroup

from maillage.clock import short_when

#: The frame typer draws around the help texts, in French (typer's words are English only).
_HELP_FRAME_FR = (("Usage: ", "Usage : "), ("\nArguments:\n", "\nArguments :\n"), ("\nOptions:\n", "\nOptions :\n"),
                  ("\nCommands:\n", "\nCommandes :\n"), ("[required]", "[obligatoire]"),
                  ("Show this message and exit.", "Afficher cette aide et quitter."))


class _FrenchHelp:
    """``--help`` in French unless ``--lang en`` is on the command line or ``MAILLAGE_LANG=en``:
    the help texts, written in English in this module, are swapped for their French
    (:data:`maillage.cli_help.FR`; one missing stays English) over the whole command tree while
    the page is drawn, then put back, and typer's frame is said in French (« Usage : »,
    « Options : », « [obligatoire] »)."""

    def get_help(self, ctx) -> str:
        if _argv_lang(sys.argv[1:]) == "en":
            return super().get_help(ctx)
        from maillage.cli_help import FR

        root = ctx.find_root().command
        texts = [x for c in (root, *getattr(root, "commands", {}).values()) for x in (c, *c.params)
                 if getattr(x, "help", None)]
        saved = [x.help for x in texts]
        try:
            for x in texts:
                x.help = FR.get(x.help, x.help)
            text = super().get_help(ctx)
        finally:
            for x, h in zip(texts, saved):
                x.help = h
        for en, fr in _HELP_FRAME_FR:
            text = text.replace(en, fr)
        return re.sub(r"\[default:(\s)", r"[défaut :\1", text)  # also one the page wrapped: « [default:\n  x] »


class _Command(_FrenchHelp, TyperCommand):
    pass


class _Group(_FrenchHelp, TyperGroup):
    pass


app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, cls=_Group,
                  help="maillage: map cooperation between the actors of a territory (PTCE, ESS, collectivités).")
# soft_wrap: a message or a path longer than the terminal (80 columns when piped or in CI) is
# left for the terminal to fold, not cut by newlines that break copying, grep and scripts
console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


class _State:
    store_uri: str | None = None
    debug: bool = False
    lang: str = "fr"  # what the command prints: French unless --lang en (or MAILLAGE_LANG=en)


state = _State()

#: ``--lang`` of every command that prints: French by default (the tool's users are French),
#: ``en`` for English; ``$MAILLAGE_LANG`` sets it once for a shell.
LANGS = ("fr", "en")


def _lang_option(text: str = "Language of what is printed: fr (default) or en"):
    """The ``--lang`` option of a command, with ``text`` for its help. Not given, it is the
    ``--lang`` given before the command, else ``$MAILLAGE_LANG``, else ``fr`` (see :func:`_main`)."""
    return typer.Option("--lang", help=text, show_default=False)  # the text says it: « fr (default) »


def _set_lang(lang: str) -> str:
    """Check ``--lang`` and make it the language of every line the command prints."""
    if lang not in LANGS:
        state.lang = "fr"
        raise typer.BadParameter(f"« {lang} » : fr ou en attendu (expected fr or en)", param_hint="--lang")
    state.lang = lang
    return lang


def _env_lang() -> str:
    """The language ``$MAILLAGE_LANG`` asks for: ``en`` or, by default, ``fr``."""
    return "en" if os.environ.get("MAILLAGE_LANG") == "en" else "fr"


def _t(fr: str, en: str) -> str:
    """``fr`` or ``en``, in the language of the command (French by default)."""
    return en if state.lang == "en" else fr


class _Notes(logging.Handler):
    """maillage's own warnings as notes on the terminal, in the command's language: the first
    write after a killed load in several transactions rolls it back (``neo4j_chunks``), which
    Python printed as its bare English log line, the source it left absent said nowhere else."""

    def emit(self, record: logging.LogRecord) -> None:
        from maillage.loaders.motifs import motif

        console.print(f"[yellow]{_t('remarque :', 'note:')}[/] {escape(motif(record.getMessage(), state.lang))}",
                      highlight=False, soft_wrap=True)


def _motif(e: Exception) -> str:
    """The message of ``e`` (stated in English by the library) in the command's language."""
    from maillage.loaders.motifs import motif

    return motif(str(e), state.lang)


def _fail(message: str, code: int = 1):
    """Print ``message`` as the command's error (« erreur : » in French) and exit with ``code``."""
    console.print(f"[red]{_t('erreur :', 'error:')}[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _print_version(value: bool) -> None:
    """``maillage --version``: « maillage 0.1.0 » (the installed package's version), then exit."""
    if value:
        import maillage

        out.print(f"maillage {maillage.__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    store: Annotated[Optional[str], typer.Option("--store", help="Store URI: a file path (embedded SQLite), "
                                                  "or bolt://… for Neo4j. Default: $MAILLAGE_STORE or ./maillage.db")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors")] = False,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Language of the command, as its own --lang: fr or en. "
                                                "Default: $MAILLAGE_LANG or fr")] = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version of maillage and exit",
                                          is_eager=True, callback=_print_version)] = False,
) -> None:
    state.store_uri = store
    state.debug = debug
    # the language of an error met before a command reads its --lang (a store that cannot be opened…)
    state.lang = _set_lang(lang) if lang is not None else _env_lang()
    # each command's --lang, when not given after it: this one, else $MAILLAGE_LANG (checked by
    # the command), else fr — `maillage --lang en stats` as `maillage stats --lang en`
    chosen = lang or os.environ.get("MAILLAGE_LANG") or "fr"
    ctx.default_map = {**(ctx.default_map or {}),
                       **{name: {"lang": chosen} for name in getattr(ctx.command, "commands", {})}}


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True, disable=not console.is_terminal)


def _working(text: str):
    """A spinner with ``text`` on the terminal while a long step runs (a région's report or map:
    10 s or more without a word); nothing when the output is not a terminal."""
    from contextlib import nullcontext

    return console.status(text) if console.is_terminal else nullcontext()


#: The stages the loaders, the stores and the analyses report (``progress(stage, done, total)``,
#: :func:`maillage.runtime.report`), as a progress bar says them: French, English.
STAGE_WORDS: dict[str, tuple[str, str]] = {
    "parse": ("lecture", "reading"), "resolve": ("rapprochement", "resolution"), "write": ("écriture", "writing"),
    "texts": ("textes", "texts"), "lentille": ("lentille", "lens"), "métriques": ("métriques", "metrics"),
    "pôles": ("pôles", "pôles"), "isolement": ("isolement", "isolation"), "observatoire": ("observatoire",
                                                                                         "observatory"),
    "évolution": ("évolution", "evolution"),
}


def _stage_word(stage: str) -> str:
    """A stage as the command's language says it (:data:`STAGE_WORDS`; one it does not list, as given)."""
    words = STAGE_WORDS.get(stage)
    return words[state.lang == "en"] if words else stage


def _progress_callback(progress: Progress, label: str):
    tasks: dict[str, int] = {}

    def cb(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(f"{label} · {_stage_word(stage)}", total=max(total, 1))
        progress.update(tasks[stage], completed=done, total=max(total, 1))

    return cb


def _open(uri: str | None = None, create: bool = False):
    """The store; an embedded one that does not exist yet is only made by a command that writes
    (``create``): elsewhere a mistyped ``--store``, or a command run from another folder than
    the one holding ``maillage.db``, gave empty reports and maps without a word."""
    from maillage.graph import open_store, store_file

    uri = uri or state.store_uri
    path = store_file(uri)
    if not create and path is not None and not path.exists():
        _fail(_t(f"pas de base à {path} (rien n'y a encore été chargé) : chargez d'abord des fichiers "
                 f"(maillage --store {path} load FICHIER…), ou nommez la base avec --store ou $MAILLAGE_STORE",
                 f"no store at {path} (nothing loaded there yet): load files first "
                 f"(maillage --store {path} load FILE…), or name the store with --store or $MAILLAGE_STORE"))
    return open_store(uri)


def _confirm(question: str) -> None:
    """Ask ``question``; go on only on yes (« o », « oui » in French; « y », « yes » taken in
    both), abort otherwise — the default. Without a terminal and with nothing to read (no standard
    input, ``/dev/null``: a job run by cron), refused at once, naming ``--yes``."""
    if sys.stdin is None or (not sys.stdin.isatty() and _stdin_at_end()):
        _fail(_t("pas de terminal pour répondre à la question : rien n'a été changé ; relancez avec --yes pour "
                 f"confirmer ({question})", "no terminal to answer the question: nothing was changed; run again "
                 f"with --yes to confirm ({question})"))
    if state.lang == "en":
        typer.confirm(question, abort=True)
        return
    reply = typer.prompt(f"{question} [o/N]", default="", show_default=False, prompt_suffix=" ")
    if reply.strip().casefold() not in ("o", "oui", "y", "yes"):
        raise typer.Abort()


def _stdin_at_end() -> bool:
    """Whether the standard input, not a terminal, has nothing to read (closed, or ``/dev/null``):
    a question asked there would be answered by nobody. A pipe still open is waited for."""
    import select

    try:
        ready, _, _ = select.select([sys.stdin], [], [], 0)
        return bool(ready) and not sys.stdin.buffer.peek(1)
    except (OSError, ValueError, AttributeError):  # no file descriptor (a test's input): asked as usual
        return False


def _not_stdout(output: Path | None, option: str = "-o") -> None:
    """Refuse « - » as an output: maillage writes files (several for a report or a load: the map,
    the rejects), never the standard output, and ``-o -`` used to make a folder named « - »."""
    if output is not None and str(output) == "-":
        raise typer.BadParameter(_t(
            "« - » : maillage écrit dans des fichiers, pas sur la sortie standard ; donnez un fichier ou un dossier",
            "'-': maillage writes files, not the standard output; give a file or a folder"), param_hint=option)


def _unwritable(folder: Path) -> Path | None:
    """The folder this user may not write that stops ``folder`` being written in (``folder``, or
    the nearest folder that exists above it, where it would be made); None when it can be."""
    at = folder
    while not at.exists() and at != at.parent:
        at = at.parent
    return at if not at.is_dir() or not os.access(at, os.W_OK | os.X_OK) else None


def _can_write_in(folder: Path, option: str) -> None:
    """Refuse, before any work, a folder this user may not write in (or make: its nearest folder
    that exists): the load's report and rejects go there once the store is written, and a load
    is not undone when they cannot be written."""
    if (at := _unwritable(folder)) is not None:
        raise typer.BadParameter(_t(f"impossible d'écrire dans {folder} : cet utilisateur n'a pas le droit d'écrire "
                                    f"dans {at} ; rien n'a été chargé",
                                    f"cannot write in {folder}: this user may not write in {at}; nothing was loaded"),
                                 param_hint=option)


def _can_write_rejects(folder: Path, report: bool) -> None:
    """Refuse, before any file is read, a rejects folder this user may not write in (``rejets/`` in
    the working directory, or beside the report): found when a file's rejects were written, after
    its parse and resolution, it refused that file and kept the files loaded before it."""
    if (at := _unwritable(folder)) is None:
        return
    if at == Path("."):  # « dans . » says nothing: the working folder, by its path
        at = _t(f"{Path.cwd()} (le dossier où la commande est lancée)", f"{Path.cwd()} (the folder the command runs in)")
    _fail(_t(
        f"impossible d'écrire les rejets dans {folder} : cet utilisateur n'a pas le droit d'écrire dans {at} ; rien "
        "n'a été chargé. " + (f"Donnez à --report un dossier où vous pouvez écrire, ou demandez le droit d'écrire "
                               f"dans {at}" if report else
                               "Donnez --report DOSSIER pour écrire le rapport et ses rejets (DOSSIER/rejets) dans un "
                               "dossier où vous pouvez écrire, ou lancez la commande depuis un tel dossier"),
        f"cannot write the rejects in {folder}: this user may not write in {at}; nothing was loaded. "
        + (f"Give --report a folder you may write in, or ask for the right to write in {at}" if report else
           "Give --report FOLDER to write the report and its rejects (FOLDER/rejets) in a folder you may write in, "
           "or run the command from such a folder")))


def _can_overwrite_rejects(folder: Path, names: list[str]) -> None:
    """Refuse, before any file is read, a rejects file of an earlier load that this user may not
    overwrite (another user's, in a shared folder): found when its file's rejects were written, it
    refused that file and kept the files of the command loaded before it."""
    from maillage.loaders import rejects_path

    for name in names:
        rpath = rejects_path(folder, name)
        if rpath.exists() and not os.access(rpath, os.W_OK):
            _fail(_t(f"impossible de remplacer le fichier des rejets {rpath} d'un chargement précédent : cet "
                     "utilisateur n'a pas le droit de l'écrire ; rien n'a été chargé. Supprimez-le ou déplacez-le, "
                     "ou donnez --report DOSSIER pour écrire le rapport et ses rejets dans un autre dossier",
                     f"cannot replace the rejects file {rpath} of an earlier load: this user may not write it; "
                     "nothing was loaded. Delete or move it, or give --report FOLDER to write the report and its "
                     "rejects in another folder"))


def _into(output: Path | None, *name: str, suffix: str) -> Path:
    """Where to write: ``output`` as given; or, when it is an existing folder (``-o rapports/``)
    or not given, a file named after what is written in it (``rapport-departement-31.html``):
    without this a folder failed, after all the work, on « [Errno 21] Is a directory ». A path
    that does not exist and has no extension (``-o rapports``, ``-o rapports/`` — the shell's
    slash is lost in a Path) is a folder to make, as ``load --report`` reads it: a page written
    to a file named « rapports » opens in no browser."""
    _not_stdout(output)
    default = Path(re.sub(r"[^\w.-]+", "-", "-".join(name)).strip("-") + suffix)
    if output is None:
        return default
    if not output.exists() and not output.suffix:
        output.mkdir(parents=True, exist_ok=True)  # an OSError is said by main(), in words
    return output / default if output.is_dir() else output


def _check_html_output(output: Path | None, what_fr: str, what_en: str) -> None:
    """Refuse ``-o`` naming a file whose suffix says another format than the HTML page written
    there (``-o rapport.pdf`` used to get HTML in a .pdf file, which nothing opens): a
    .html/.htm file, a folder, or a name without a suffix (a folder to make) only. Checked
    before any work."""
    _not_stdout(output)
    if output is None or output.is_dir() or not output.suffix or output.suffix.lower() in (".html", ".htm"):
        return
    pdf = output.suffix.lower() == ".pdf"
    raise typer.BadParameter(_t(
        f"{output} : {what_fr} une page HTML ; donnez un fichier .html, ou un dossier"
        + (". Pour un PDF : ouvrez la page dans un navigateur, puis Imprimer → Enregistrer au format PDF" if pdf else ""),
        f"{output}: {what_en} an HTML page; give a .html file, or a folder"
        + (". For a PDF: open the page in a browser, then Print → Save as PDF" if pdf else "")), param_hint="-o")


#: Suffixes of the workbooks a spreadsheet opens as such: a CSV or graph file given one of them is
#: refused (Excel calls it corrupt), kumu.xlsx being a real workbook.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def _check_workbook_name(output: Path | None, fmt: str) -> None:
    """Refuse ``-o acteurs.xlsx`` (or .ods…) for a format that is no workbook: CSV text in a file
    named .xlsx, which Excel says is corrupt. Says the name to give; checked before any work."""
    if output is None or output.is_dir() or output.suffix.lower() not in WORKBOOK_SUFFIXES or fmt == "kumu.xlsx":
        return
    kind = "CSV" if fmt.endswith("csv") else fmt.split(".")[0].upper()
    if kind == "CSV":
        fr = (f"{output} : --format {fmt} écrit un fichier CSV (du texte), pas un classeur {output.suffix} : "
              f"nommez-le {output.stem}.csv ; avec --tableur, il s'ouvre tel quel dans Excel ou LibreOffice")
        en = (f"{output}: --format {fmt} writes a CSV file (text), not a {output.suffix} workbook: name it "
              f"{output.stem}.csv; with --tableur, Excel or LibreOffice opens it as it is")
    else:
        fr = (f"{output} : --format {fmt} écrit un fichier {kind}, pas un classeur {output.suffix} ; pour un tableur : "
              f"-f nodes.csv ou -f edges.csv --tableur -o {output.stem}.csv (ou -f kumu.xlsx, le classeur de Kumu)")
        en = (f"{output}: --format {fmt} writes a {kind} file, not a {output.suffix} workbook; for a spreadsheet: "
              f"-f nodes.csv or -f edges.csv --tableur -o {output.stem}.csv (or -f kumu.xlsx, Kumu's workbook)")
    raise typer.BadParameter(_t(fr, en), param_hint="-o")


def _by_count(rows) -> list[tuple[str, int]]:
    """``(label, count)`` rows, the largest count first, then by label."""
    from maillage.graph.names import alpha_key

    return sorted(rows, key=lambda r: (-r[1], *alpha_key(r[0])))


@app.command(cls=_Command)
def load(
    # readable=False: a file this user may not read is said by the loaders (what to do: a spreadsheet that has it open
    # locks it), not by the command line's « path … is not readable »
    files: Annotated[Optional[list[Path]], typer.Argument(help="Files to load (each is one source), or folders of "
                                                          "them", exists=False, readable=False,
                                                          show_default=False)] = None,
    format: Annotated[Optional[str], typer.Option("--format", "-f", help="Force the format (default: detected)")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write the load report (JSON) here; given a "
                                                                  "folder (or a name without extension), "
                                                                  "chargement.json in it")] = None,
    source_id: Annotated[Optional[str], typer.Option("--source-id", help="Source id (one file only); "
                                                     "default <format>:<file name>")] = None,
    pole: Annotated[Optional[str], typer.Option("--pole", help="Member or place lists (formats members, places): the "
                                                "pôle their entries belong to")] = None,
    year: Annotated[Optional[str], typer.Option("--year", help="Member or place lists (formats members, places): "
                                                "the year whose list of the pôle's members the file is (2025, or "
                                                "2024-2025): a member missing from a later year's list then "
                                                "leaves")] = None,
    mapping: Annotated[Optional[Path], typer.Option("--mapping", help="Subsidy files of a layout of their own (format "
                                                    "subsidies): a column mapping (YAML)",
                                                    readable=False)] = None,
    option: Annotated[Optional[list[str]], typer.Option("--option", "-o", help="A format option, KEY=VALUE "
                                                        "(repeatable; see docs/formats/)")] = None,
    duplicate: Annotated[bool, typer.Option("--duplicate", help="Load a file even when a source already loaded has "
                                                                "the same content (a copy under another name: each "
                                                                "of its ties would be counted twice)")] = False,
    reference: Annotated[bool, typer.Option("--reference", help="Also load the reference dataset drawn from the "
                                                                "founding documents (sources reference:s000a…), "
                                                                "as the demo does")] = False,
    lang: Annotated[str, _lang_option("Language of the lines printed and of the rejects file: fr (default) or en")] = "fr",
) -> None:
    """Load files into the store. Reloading a file replaces what it said before.

    Every row is loaded (it states something new), merged (all it states was already known) or
    rejected with a reason in a rejects file next to the report (CSV for a spreadsheet, in French unless --lang en: fichier,
    ligne, niveau, colonne, valeur, motif, original row). Rows loaded with a value flagged (e.g.
    a SIRET damaged by a spreadsheet) are listed there as warnings (niveau « avertissement »).

    A folder loads its files, its subfolders' included (by path; hidden files and folders and
    Excel's ~$ lock files left out); one of them whose format cannot be told (a README, a PDF, a
    rejects file) is skipped with a line saying so.

    Examples:

    \b
    maillage load membres.xlsx --pole "Le Périscope" --report chargement.json
    maillage load membres_2025.csv --pole "Le Périscope" --year 2025
    maillage load subventions.csv --format scdl
    maillage load exports/ --report suivi/
    maillage load --reference
    """
    from maillage.loaders import load_file, reference_paths
    from maillage.loaders.motifs import motif

    _set_lang(lang)
    if not files and not reference:
        raise typer.BadParameter(_t("donnez des fichiers à charger, ou --reference pour le jeu de données de "
                                    "référence", "give files to load, or --reference for the reference dataset"))
    if reference and (source_id or format or pole or year or mapping or option):
        raise typer.BadParameter(_t("--reference se charge sans --source-id, --format, --pole, --year, --mapping ni "
                                    "--option : chargez vos fichiers dans une autre commande",
                                    "--reference loads without --source-id, --format, --pole, --year, --mapping or "
                                    "--option: load your files in another command"))
    files, in_folders, closed = _expand_inputs(files or [])
    if source_id and len(files) > 1:
        raise typer.BadParameter(_t("--source-id nomme une source : donnez un seul fichier",
                                    "--source-id names one source; give one file"))
    if year and len(files) > 1:  # each year's list its own year: one file per command
        raise typer.BadParameter(_t("--year donne son année à une liste : chargez la liste de chaque année dans sa "
                                    "propre commande, avec son année (maillage load LISTE --pole PÔLE --year ANNÉE)",
                                    "--year gives one list its year: load each year's list in a command of its own, "
                                    "with its year (maillage load LIST --pole POLE --year YEAR)"))
    options: dict[str, str] = {}
    labels: dict[str, str] = {}  # each option as the command line gave it, to name it in a refusal
    for item in option or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(_t(f"--option {item!r} : CLÉ=VALEUR attendu", f"--option {item!r}: expected KEY=VALUE"))
        options[key.strip()] = value.strip()
        labels[key.strip()] = f"--option {key.strip()}"
    for key, value in (("pole", pole), ("year", year), ("mapping", mapping)):
        if value:
            options[key], labels[key] = str(value), f"--{key}"
    _not_stdout(report, "--report")
    if report is not None:  # a folder: chargement.json in it (checked before loading: a load is not undone)
        # « --report suivi/ » for a folder not made yet: the shell's slash is lost in a Path, and a
        # report named « suivi » without an extension is not what anyone means
        folder = report.is_dir() or (not report.exists() and not report.suffix)
        report = report / "chargement.json" if folder else _into(report, "chargement", suffix=".json")
        _can_write_in(report.parent, "--report")
    # where the loaders write the rejects (maillage.loaders.load_file): checked before any file is read
    rejects_dir = report.parent / "rejets" if report else Path("rejets")
    _can_write_rejects(rejects_dir, report is not None)
    skipped: list[tuple[Path, str]] = closed
    reports = []
    formats: dict[Path, str] = {}
    # an error that stops a load is printed by main(), in the reader's language (motifs' table)
    from maillage.loaders import LoadError, check_input, detect_format, lock_file

    if len(files) > 1:  # `maillage load exports/*` (the shell's pattern): the lock file of an open workbook
        for f in files:  # beside the lists is said and left out, as a folder's is, not fatal to the others
            if (why := lock_file(f)) is not None:
                skipped.append((f, why))
        left_out = {s for s, _ in skipped}
        files = [f for f in files if f not in left_out]
    if format is None:  # refuse an unreadable file before loading any: a failed command writes nothing
        for f in files:
            check_input(f)
            try:
                formats[f] = detect_format(f)
            except LoadError as e:
                if f not in in_folders:  # a file named on the command line: the command fails
                    raise
                skipped.append((f, str(e)))  # a folder's README or PDF beside the exports: said, left out
    files = [f for f in files if f not in {s for s, _ in skipped}]
    _options_taken(files, formats, format, labels)  # before any file is read whole or anything written
    from maillage.graph import store_file

    made = store_file(state.store_uri)
    made = made if made is not None and not made.exists() else None
    names = _source_names(files)
    _can_overwrite_rejects(rejects_dir, [names.get(f) or f.name for f in files])
    if not duplicate and source_id is None:  # a copy of a file already loaded (« membres (2).xlsx »): refused
        # before loading any; --source-id names deliberately the source a file goes to
        for f, why in _copies(files, names, format, formats, source_id, made is None):
            if f not in in_folders:
                raise LoadError(why)
            skipped.append((f, why))
        left_out = {s for s, _ in skipped}
        files = [f for f in files if f not in left_out]
    for f, why in skipped:
        console.print(f"[yellow]{_t('ignoré', 'skipped')}[/] {escape(motif(why, lang))}")
    if not files and not reference:
        raise typer.BadParameter(_t("aucun des fichiers donnés ne peut être chargé (chacun ignoré ci-dessus)",
                                    "no file given can be loaded (each skipped above)"))
    references = reference_paths() if reference else []
    try:
        with _open(create=True) as store, _progress() as progress:
            for f in references:  # the shipped dataset, under the ids the demo gives it
                r = load_file(store, f, format="maillage-jsonl", source_id=f"reference:{f.stem}",
                              rejects_dir=rejects_dir, progress=_progress_callback(progress, f.name),
                              source_kind="dataset", lang=lang)
                reports.append(r)
                _print_loaded(Path(f.name), r, lang)
            for f in files:
                r = load_file(store, f, format=format, source_id=source_id, rejects_dir=rejects_dir,
                              progress=_progress_callback(progress, f.name), options=options, lang=lang,
                              name=names.get(f), by_folder=True)
                reports.append(r)
                _print_loaded(f, r, lang)
    except BaseException:
        if made is not None and not reports:  # the store this command made holds nothing: not left behind
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{made}{suffix}").unlink(missing_ok=True)
        raise
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        # the notes and reasons in the reader's language, as the lines above and the API's load say them
        out_json: dict = {"files": [{**r.as_dict(), "notes": [motif(n, lang) for n in r.notes]} for r in reports]}
        if skipped:
            out_json["skipped"] = [{"file": str(f), "reason": motif(why, lang)} for f, why in skipped]
        report.write_text(json.dumps(out_json, indent=2, ensure_ascii=False))


def _copies(files: list[Path], names: dict[Path, str], format: str | None, formats: dict[Path, str],
            source_id: str | None, stored: bool) -> list[tuple[Path, str]]:
    """The files that are byte for byte a source already in the store (``stored``: the store
    exists) under another source id, or an earlier file of this command, each with why it is
    not loaded: loaded too, every tie it states would be counted twice (a map of 22 ties showed
    48). A file loaded again under its own source id replaces itself: not a copy."""
    from maillage.loaders import sha256_of

    by_digest: dict[str, object] = {}
    if stored:
        with _open() as store:
            for s in store.sources():
                if s.sha256:
                    by_digest.setdefault(s.sha256, s)
    out = []
    for f in files:
        try:
            digest = sha256_of(f)
        except OSError:
            continue  # said when it is loaded
        sid = source_id or f"{format or formats.get(f)}:{names.get(f) or f.name}"
        prior = by_digest.get(digest)
        if isinstance(prior, Path):
            out.append((f, f"{f}: same content as {prior}, given in this command: loaded too, each of its ties "
                           "would be counted twice; not loaded. To load it anyway: --duplicate"))
        elif prior is not None and not _own_source(prior, f, sid, source_id):
            # in English, as every load error; motifs' table gives the French (any id: « scdl:l'atelier 2024.csv »)
            when = f" on {short_when(prior.loaded_at, 'en')}" if prior.loaded_at else ""  # Paris time
            out.append((f, f"{f}: same content as the source {prior.id!r} (loaded from {prior.uri}{when}): "
                           f"loaded too, each of its ties would be counted twice; not loaded. To load it in place "
                           f"of that source: maillage remove {shlex.quote(prior.id)}, then load it; to load it "
                           "anyway: --duplicate"))
        else:
            by_digest.setdefault(digest, f)
    return out


def _own_source(prior, f: Path, sid: str, source_id: str | None) -> bool:
    """Whether the source ``prior`` is the earlier load of file ``f`` (which replaces it): its id,
    or — loaded beside a namesake from another folder (:func:`maillage.loaders.name_beside`) — a
    file of ``f``'s name from ``f``'s folder."""
    from maillage.loaders import folder_key

    folder = prior.meta.get("folder")
    return ((prior.id == sid and folder in (None, folder_key(f)))
            or (source_id is None and folder == folder_key(f) and Path(prior.uri).name == f.name))


def _source_names(files: list[Path]) -> dict[Path, str]:
    """The files of one command that share a file name (``exports/2023/membres.csv``,
    ``exports/2024/membres.csv``), each with the fewest of its last path parts that tell it
    from the others (``2023/membres.csv``): its name in its source id and rejects file, so that
    loading the second does not replace the first. Files with a name of their own: not listed
    (their source id stays ``<format>:<file name>``)."""
    from collections import Counter

    out: dict[Path, str] = {}
    count = Counter(x.name for x in files)
    twins = [f for f in files if count[f.name] > 1]
    for f in twins:
        parts = f.resolve().parts
        others = [g.resolve().parts for g in twins if g != f and g.name == f.name]
        k = 2
        while k < len(parts) and any(o[-k:] == parts[-k:] for o in others):
            k += 1
        out[f] = "/".join(parts[-k:])
    return out


def _expand_inputs(paths: list[Path]) -> tuple[list[Path], set[Path], list[tuple[Path, str]]]:
    """The files to load: a folder gives its files and its subfolders' (by path; hidden files and
    folders and Excel's « ~$ » lock files left out), a pattern the shell did not expand (``*.csv`` on Windows) its matches
    (lock files left out too); a
    pattern matching nothing stays as given, to be said missing. Also the files that came from
    a folder, not named one by one: those whose format cannot be told are skipped, not fatal; and
    the subfolders this user may not read, skipped with why (listing a folder passes over them
    without a word: their files were left out unsaid). A folder named that cannot be read is refused."""
    import glob

    out: list[Path] = []
    in_folders: set[Path] = set()
    closed: list[tuple[Path, str]] = []
    for p in paths:
        if p.is_dir():
            if not os.access(p, os.R_OK | os.X_OK):
                raise typer.BadParameter(_t(f"{p} : lecture du dossier refusée : cet utilisateur n'a pas le droit de le "
                                            "lire", f"{p}: cannot read this folder: this user may not read it"))
            inside = [x for x in sorted(p.rglob("*")) if not any(part.startswith(".") for part in x.relative_to(p).parts)]
            found = [x for x in inside if x.is_file() and not x.name.startswith("~$")]
            closed += [(d, f"{d}: cannot read this folder: this user may not read it; its files are not loaded")
                       for d in inside if d.is_dir() and not os.access(d, os.R_OK | os.X_OK)]
            if not found and not closed:
                raise typer.BadParameter(_t(f"{p} : le dossier ne contient aucun fichier à charger",
                                            f"{p}: the folder holds no file to load"))
            out += found
            in_folders.update(found)
        elif not p.exists() and any(ch in str(p) for ch in "*?["):
            out += sorted(Path(x) for x in glob.glob(str(p)) if Path(x).is_file() and not Path(x).name.startswith("~$")
                          ) or [p]
        else:
            out.append(p)
    out = list(dict.fromkeys(out))
    return out, in_folders - {p for p in paths}, closed  # a file named too is a file named


#: What each format is, in the words of the person who loads it (the load line in French; the
#: code stays what ``--format`` takes, printed in English).
FORMAT_WORDS_FR = {
    "members": "liste de membres", "places": "liste de lieux", "scdl": "subventions SCDL",
    "odf-subventions": "subventions OpenDataFrance", "subsidies": "subventions, colonnes déclarées",
    "sirene": "extrait SIRENE", "ftm": "gouvernance FollowTheMoney", "popolo": "gouvernance Popolo",
    "kumu": "classeur Kumu", "maillage-jsonl": "données maillage",
}


#: The same in English, for the messages that name a file's format beside its code (:func:`_options_taken`).
FORMAT_WORDS_EN = {
    "members": "member list", "places": "place list", "scdl": "SCDL subsidies",
    "odf-subventions": "OpenDataFrance subsidies", "subsidies": "subsidies, declared columns",
    "sirene": "SIRENE extract", "ftm": "FollowTheMoney governance", "popolo": "Popolo governance",
    "kumu": "Kumu workbook", "maillage-jsonl": "maillage data",
}


def _options_taken(files: list[Path], formats: dict[Path, str], forced: str | None, labels: dict[str, str]) -> None:
    """Refuse, before any file is read whole and anything is written, every option given (``labels``:
    its name → how the command line gave it) that the format of some file does not take, as its
    loader declares (:attr:`maillage.loaders.base.Loader.options`): one message naming, for each
    such option, the formats that take it, each file whose format does not, with its format
    (``formats``, detected; ``forced``: given by --format), and what to do. A loader refused the
    option only when its file's turn came, in the words of ``-o``'s options, the store made and
    the files before it loaded."""
    from maillage.loaders import LOADERS, formats_taking
    from maillage.loaders.base import option_names
    from maillage.writing import listed

    if forced is not None and forced not in LOADERS:
        return  # said by the load, naming the formats there are
    fmt_of = {f: forced or formats[f] for f in files}
    given = _t(", donné par --format", ", given by --format") if forced else ""

    def words(fmt: str, of_files: bool = False) -> str:
        """« liste de membres (members) », « members (member list) »; a file's, « (…, donné par --format) »."""
        also = given if of_files else ""
        if state.lang == "en":
            return f"{fmt} format ({FORMAT_WORDS_EN.get(fmt, fmt)}{also})" if of_files else \
                f"{fmt} ({FORMAT_WORDS_EN.get(fmt, fmt)})"
        return f"{FORMAT_WORDS_FR.get(fmt, fmt)} ({fmt}{also})"

    said = []
    for key, label in labels.items():
        refused: dict[str, list[str]] = {}  # format → its files, in the command's order
        for f in files:
            if key not in LOADERS[fmt_of[f]].options:
                refused.setdefault(fmt_of[f], []).append(str(f))
        if not refused:
            continue
        taking = formats_taking(key)
        several = len(refused) > 1 or len(next(iter(refused.values()))) > 1
        if not taking:  # no format takes it (a typing error: « sheets »): what the files' formats take
            takes = [(_t(f"le format {words(fmt, True)} de {listed(names, 'et')} prend ",
                         f"the {words(fmt, True)} of {listed(names)} takes ")
                      + (", ".join(option_names(LOADERS[fmt].options, _t("CHAMP", "FIELD")))
                         or _t("aucune option", "no option")))
                     for fmt, names in refused.items()]
            said.append(_t(f"{label} n'est l'option d'aucun format : {' ; '.join(takes)} ; retirez-la ou corrigez "
                           "son nom",
                           f"{label} is an option of no format: {'; '.join(takes)}; remove it or correct its name"))
            continue
        fr_groups, en_groups = [], []
        for i, (fmt, names) in enumerate(refused.items()):
            verb = ("sont " if len(names) > 1 else "est ") if i == 0 else ""
            fr_groups.append(f"{listed(names, 'et')} {verb}au format {words(fmt, True)}")
            verb = ("are " if len(names) > 1 else "is ") if i == 0 else ""
            en_groups.append(f"{listed(names)} {verb}in the {words(fmt, True)}")
        apart = any(fmt_of[f] in taking for f in files)  # the others take it: theirs is a command of its own
        hint = ""
        if len(taking) == 1 and not forced and len(files) == 1:  # a file of that format not told from its columns
            hint = _t(f" (ou, si c'est bien un fichier de ce format, donnez aussi --format {taking[0]})",
                      f" (or, if it is a file of that format indeed, give --format {taking[0]} too)")
        said.append(_t(
            f"{label} ne s'applique qu'{'aux formats' if len(taking) > 1 else 'au format'} "
            f"{listed([words(t) for t in taking], 'et')} : {', '.join(fr_groups)} ; "
            f"charg{'ez-les' if several else 'ez-le'} {'dans une commande à part, ' if apart else ''}sans {label}{hint}",
            f"{label} only applies to the format{'s' if len(taking) > 1 else ''} "
            f"{listed([words(t) for t in taking])}: {', '.join(en_groups)}; "
            f"load {'them' if several else 'it'} "
            f"{('in a command of their own, ' if several else 'in a command of its own, ') if apart else ''}"
            f"without {label}{hint}"))
    if said:
        raise typer.BadParameter(". ".join(said))


def _print_loaded(f: Path, r, lang: str = "fr") -> None:
    """One line per file loaded: its rows read, loaded, merged, rejected, and where the rejects are;
    then what reading it noticed. In French unless ``lang`` is ``en`` (the notes through the
    translation table of :mod:`maillage.loaders.motifs`)."""
    from maillage.loaders.motifs import motif

    if lang == "fr":  # French: the singular up to 1 (« 0 ligne », « 1 ligne », « 2 lignes »)
        n = _n_fr
        counts = (f"{n(r.rows_read, 'ligne')} · {n(r.loaded, 'chargée')} · {n(r.merged, 'fusionnée')} · "
                  f"{n(r.rejected, 'rejetée')}" + (f" · {n(r.warnings, 'avertissement')}" if r.warnings else ""))
        head = f"[bold]{escape(str(f))}[/] ({FORMAT_WORDS_FR.get(r.format, r.format)}) : {counts}"
    else:
        head = (f"[bold]{escape(str(f))}[/] ({r.format}): {r.rows_read:,} row{'s' if r.rows_read != 1 else ''} · "
                f"{r.loaded:,} loaded · {r.merged:,} merged · {r.rejected:,} rejected"
                + (f" · {r.warnings:,} warning{'s' if r.warnings != 1 else ''}" if r.warnings else ""))
    console.print(head + (f" → {escape(r.rejects_file)}" if r.rejects_file else ""))
    if r.replaced:  # the file loaded again: its earlier load is gone, say so and what changed
        console.print(f"  · {escape(_replaced(r, lang))}")
    if r.actors_known:  # « 0 fusionnée » counts rows: say that the file's actors were linked to known ones
        k = r.actors_known
        console.print("  · " + escape(
            f"{_n_fr(k, 'acteur')} de ce fichier {'déjà décrits' if k > 1 else 'déjà décrit'} par d'autres sources, "
            f"{'rapprochés' if k > 1 else 'rapproché'} par la résolution : maillage resolve --log --source {shlex.quote(r.source)}"
            if lang == "fr" else
            f"{k:,} actor{'s' if k != 1 else ''} of this file already described by other sources, linked by the "
            f"entity resolution: maillage resolve --log --source {shlex.quote(r.source)}"))
    if r.proposals:  # possible merges the resolution did not make: a person decides them
        k = r.proposals
        console.print("  · " + escape(
            f"{_n_fr(k, 'rapprochement')} possible{'s' if k > 1 else ''} à examiner : "
            f"maillage resolve --review --source {shlex.quote(r.source)}"
            if lang == "fr" else
            f"{k:,} possible merge{'s' if k != 1 else ''} to review: maillage resolve --review --source {shlex.quote(r.source)}"))
    for note in r.notes:  # what reading it noticed: the encoding, a header below a title, an .xls that was HTML…
        console.print(f"  · {escape(motif(note, lang))}")


def _replaced(r, lang: str) -> str:
    """« remplace le chargement du 03/05/2024 14:12 (22 lignes, maintenant 24 : +2) »: what a load of a
    source already in the store says of the load it replaced."""
    from datetime import datetime

    was = r.replaced
    when = (short_when(datetime.fromisoformat(was["loaded_at"]), lang)
            if was["loaded_at"] else "?")  # as `maillage sources` writes it, in Paris time
    before = was.get("rows_read")
    if was.get("same_content"):
        return (f"remplace le chargement du {when} de cette source (le fichier n'a pas changé depuis)"
                if lang == "fr" else f"replaces the load of {when} of this source (the file has not changed since)")
    if before is None:
        return (f"remplace le chargement du {when} de cette source" if lang == "fr"
                else f"replaces the load of {when} of this source")
    diff = r.rows_read - before
    delta = f"{diff:+d}".replace("+0", "±0") if lang == "en" else f"{diff:+d}".replace("-", "−").replace("+0", "±0")
    if lang == "fr":
        return (f"remplace le chargement du {when} de cette source ({_n_fr(before, 'ligne')}, maintenant "
                f"{_number(r.rows_read)} : {delta})")
    return f"replaces the load of {when} of this source ({before:,} rows, now {r.rows_read:,}: {delta})"


@app.command(cls=_Command)
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
          lang: Annotated[str, _lang_option()] = "fr") -> None:
    """Counts of what the store holds: actors, relations, pôles, sources, by family and type."""
    from maillage.graph.vocabulary import vocabulary

    _set_lang(lang)
    with _open() as store:
        s = store.stats()
    if as_json:
        out.print_json(json.dumps(s, ensure_ascii=False))
        return
    v = vocabulary()
    out.print(f"{_t('base :', 'store:')} {escape(s['store'])}")  # a title would wrap inside the narrow table
    t = Table(show_header=False)
    t.add_column()
    t.add_column(justify="right")
    for k, fr in (("actors", "acteurs"), ("relations", "relations"), ("poles", "pôles"), ("sources", "sources"),
                  ("statements", "énoncés d'acteurs"), ("persons", "personnes (données personnelles)"),
                  ("placeholders", "fiches provisoires (« une CAE »)"), ("runs", "analyses"),
                  ("proposals", "fusions à examiner")):
        t.add_row(_t(fr, k), _number(s[k]))
    out.print(t)
    # the most numerous first (the store gives them in code order, which reads as no order)
    fam = Table(_t("famille", "family"), Column(_t("acteurs", "actors"), justify="right"))
    for label, n in _by_count((v.family(k).label(state.lang), n) for k, n in s["actors_by_family"].items()):
        fam.add_row(label, _number(n))
    out.print(fam)
    rel = Table(_t("type de relation", "relation type"), Column(_t("énoncés", "statements"), justify="right"))
    for label, n in _by_count((v.relation_type(k).label(state.lang), n) for k, n in s["relations_by_type"].items()):
        rel.add_row(label, _number(n))
    out.print(rel)


def _fr_plural(k: int, word: str) -> str:
    """``word`` as French agrees it with ``k``: the singular up to 1 (« 0 ligne », « 1 ligne »,
    « 2 lignes »)."""
    return f"{word}s" if k > 1 else word


def _n_fr(k: int, word: str) -> str:
    """« 1 200 lignes »: ``k`` grouped by thousands, and ``word`` agreed with it."""
    return f"{_number(k)} {_fr_plural(k, word)}"


def _counted(k: int, fr: str, en: str) -> str:
    """« 1 acteur », « 2 acteurs » in French (:func:`_n_fr`); "1 actor", "0 actors" in English."""
    return _n_fr(k, fr) if state.lang == "fr" else f"{_number(k)} {en}{'' if k == 1 else 's'}"


def _score(x: float | None) -> str:
    """A merge's score as the reader writes it: 0,95 in French, 0.95 in English."""
    from maillage.writing import number_text

    return number_text(x, state.lang, 2)


def _number(n: int) -> str:
    """``n`` with its thousands marked: « 12 345 » in French (a narrow no-break space), « 12,345 »
    in English."""
    from maillage.writing import number_text

    return number_text(n, state.lang)


@app.command(cls=_Command)
def sources(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
            lang: Annotated[str, _lang_option()] = "fr") -> None:
    """The sources in the store, in load order: id (what `maillage remove` takes), format, file,
    load time, title (persons' names masked)."""
    from maillage.analytics.run import person_groups, person_masker

    _set_lang(lang)
    with _open() as store:
        srcs = store.sources()
        mask = person_masker(person_groups(store), _t("[personne]", "[person]"))
    if as_json:
        out.print_json(json.dumps([s.model_dump(mode="json", exclude={"meta"}) | {"title": mask(s.title)} for s in srcs],
                                  ensure_ascii=False))
        return
    if not srcs:
        out.print(escape(_t(f"aucune source dans {state.store_uri} : chargez des fichiers avec « maillage load "
                            "FICHIER… »", f"no source in {state.store_uri}: load files with `maillage load FILE…`")))
        return
    for s in srcs:  # the id alone on its line, never cut: it is what `maillage remove` takes
        # dd/mm/yyyy in French, ISO in English, in Paris time as the reports (UTC in --json)
        when = short_when(s.loaded_at, state.lang)
        details = " · ".join(x for x in (s.format or s.kind, s.uri, _t(f"chargée le {when}", f"loaded {when}")
                                         if when else "", _t(f"« {mask(s.title)} »", f"“{mask(s.title)}”") if s.title else "") if x)
        out.print(f"{escape(s.id)}\n  {escape(details)}", soft_wrap=True)


@app.command(cls=_Command)
def remove(
    source: Annotated[str, typer.Argument(help="The source to remove: its id (see `maillage sources`) or the "
                                               "name of the file it was loaded from")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    lang: Annotated[str, _lang_option()] = "fr",
) -> None:
    """Remove a source and every statement that came from it, in one transaction. Actors that
    other sources also describe stay, with what those sources say; the others go. Refused when
    another source's ties would be left pointing at an actor only this source described."""
    from maillage.graph.store import NotFound, StoreError
    from maillage.loaders import LOADERS

    _set_lang(lang)
    with _open() as store:
        srcs = store.sources()
        by_id = {s.id: s for s in srcs}
        exact = [s for s in srcs if s.uri == source]
        # an id (« scdl:… », « reference:… ») is taken as an id only: one no longer there names no
        # file (its file name alone would remove another source loaded from a file of that name)
        kinds = set(LOADERS) | {s.id.split(":", 1)[0] for s in srcs if ":" in s.id}
        as_id = ":" in source and source.split(":", 1)[0] in kinds
        named = [] if as_id else exact or [s for s in srcs if Path(s.uri).name == Path(source).name]
        if source in by_id:
            sid = source
        elif len(named) == 1:
            sid = named[0].id
        else:
            listed = "\n".join(f"  {s.id} ({s.uri})" for s in (named or srcs)[:20])
            if named:
                why = _t(f"plusieurs sources ont été chargées depuis {source!r} dans {store.uri} ; donnez son "
                         f"identifiant :\n{listed}", f"several sources were loaded from {source!r} in {store.uri}; "
                         f"give its id:\n{listed}")
            else:
                why = _t(f"aucune source {source!r} dans {store.uri} ; sources :\n{listed or '  (aucune)'}",
                         f"no source {source!r} in {store.uri}; sources:\n{listed or '  (none)'}")
            _fail(why)
        before = store.stats()
        # a reviewer's decision belongs to its source's id: another file loaded under another id
        # does not find it (an edition of the file loaded in the place of another source)
        decided = len(store.decisions(sid))
        kept_decisions = "" if not decided else _t(
            f"sa décision de revue reste gardée sous l'identifiant {sid} : elle ne vaut que pour un fichier chargé "
            "sous cet identifiant (--source-id)" if decided == 1 else
            f"ses {_n_fr(decided, 'décision')} de revue restent gardées sous l'identifiant {sid} : elles ne valent "
            "que pour un fichier chargé sous cet identifiant (--source-id)",
            f"its review decisions ({decided}) stay kept under the id {sid}: they hold only for a file loaded "
            "under that id (--source-id)")
        if not yes:
            _confirm(_t(f"Retirer la source {sid} ({by_id[sid].uri}) et tout ce qu'elle a énoncé ?",
                        f"Remove source {sid} ({by_id[sid].uri}) and every statement it made?")
                     + (f" ({kept_decisions})" if decided else ""))
        try:
            # the persons of the other sources keep their numbers (« [personne 3] »), the source's own
            # persons leave theirs unused: kept by the store in the removal's transaction. The joins
            # the source's statements made are undone (unless another statement still makes them)
            from maillage.loaders.resolution import remove_source

            summary = remove_source(store, sid)
        except (NotFound, StoreError) as e:
            _fail(_motif(e))
        after = store.stats()
    statements, relations = before["statements"] - after["statements"], before["relations"] - after["relations"]
    kept = summary.actors_touched - summary.actors_removed
    gone = summary.actors_removed
    out.print(escape(_t(f"{sid} retirée : {_n_fr(statements, 'énoncé')} d'acteurs, {_n_fr(relations, 'relation')} ; "
                        f"{_n_fr(gone, 'acteur')} {_fr_plural(gone, 'retiré')} (décrit{'s' if gone > 1 else ''} par "
                        f"aucune autre source), {_n_fr(kept, 'gardé')} (d'autres sources les décrivent)",
                        f"removed {sid}: {statements} actor statements, {relations} relations; "
                        f"{summary.actors_removed} actors gone (described by no other source), {kept} kept "
                        "(other sources describe them)")))
    undone, redone = len(summary.joins_undone), summary.joins_redone
    if undone:
        again = sorted({sid for *_, sid in redone})
        out.print(escape("  " + _t(
            f"{_n_fr(undone, 'réunion')} d'acteurs faite{'s' if undone > 1 else ''} par ses énoncés "
            f"défaite{'s' if undone > 1 else ''}" + (
                f" ; {len(redone)} refaite{'s' if len(redone) > 1 else ''} : un énoncé d'une autre source "
                f"({', '.join(again)}) relie encore ces acteurs" if redone else
                " : ces acteurs sont de nouveau distincts"),
            f"{undone} join{'s' if undone > 1 else ''} of actors its statements made undone" + (
                f"; {len(redone)} made again: a statement of another source ({', '.join(again)}) still "
                "bridges these actors" if redone else ": these actors are distinct again"))), highlight=False)
    if made := summary.joins_made:
        by = ", ".join(sorted({s for *_, s in made}))
        out.print(escape("  " + _t(
            f"{_n_fr(len(made), 'réunion')} d'acteurs {_fr_plural(len(made), 'faite')} par des énoncés de sources "
            f"chargées après elle ({by}), comme sans elle : ses énoncés tenaient ces acteurs séparés",
            f"{len(made)} join{'s' if len(made) > 1 else ''} of actors made by statements of sources loaded after it "
            f"({by}), as without it: its statements kept these actors apart")), highlight=False)
    if unmade := summary.later_joins_undone:
        by = ", ".join(sorted({s for *_, s in unmade}))
        out.print(escape("  " + _t(
            f"{_n_fr(len(unmade), 'réunion')} d'acteurs {_fr_plural(len(unmade), 'faite')} par des énoncés de "
            f"sources chargées après elle ({by}) {_fr_plural(len(unmade), 'défaite')} : sans ses énoncés, ils ne "
            "relient plus ces acteurs",
            f"{len(unmade)} join{'s' if len(unmade) > 1 else ''} of actors made by statements of sources loaded "
            f"after it ({by}) undone: without its statements, they no longer bridge these actors")), highlight=False)
    if moved := summary.resolved_again:
        from maillage.writing import counted

        later, many = ", ".join(sorted({s for s, *_ in moved})), len(moved) > 1
        fr = ("résolus de nouveau et déplacés, avec leurs liens : ses énoncés les avaient" if many else
              "résolu de nouveau et déplacé, avec ses liens : ses énoncés l'avaient")
        out.print(escape("  " + _t(
            f"{counted(len(moved), 'énoncé', 'énoncés')} de sources chargées après elle ({later}) {fr} fait "
            "rattacher à un autre acteur",
            f"{counted(len(moved), 'statement', 'statements', 'en')} of sources loaded after it ({later}) resolved "
            f"again and moved, with {'their' if many else 'its'} ties: its statements had drawn "
            f"{'them' if many else 'it'} into another actor")), highlight=False)
    if kept_decisions:
        out.print(escape(f"  {kept_decisions}"), highlight=False)
    if after["runs"]:
        _rerun_hint()


@app.command(cls=_Command)
def forget(
    actor_id: Annotated[str, typer.Argument(help="The person's actor id (a natural person: see `maillage export "
                                                 "-f nodes.csv --include-persons`)", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    lang: Annotated[str, _lang_option()] = "fr",
) -> None:
    """Erase a natural person at their request (RGPD, article 17), in one transaction: its actor, its
    statements from every source, its ties, its values in the analysis runs, the review proposals
    and decisions about it. Its name in the free text of the store becomes « [personne effacée] »;
    the other persons keep their numbers; a later load of a file stating it rejects that row.
    Files already written (rejects, exports, maps, reports) are listed, to delete by hand."""
    from maillage.graph.store import NotAPerson, NotFound, StoreError
    from maillage.runtime import reporting

    _set_lang(lang)
    with _open() as store:
        actor = store.get_actor(actor_id)
        if actor is None:
            _fail(_t(f"aucune personne d'identifiant « {actor_id} » dans {store.uri} ; l'identifiant d'une personne se "
                     "lit dans un export qui la garde : maillage export -f nodes.csv --include-persons (colonnes id et "
                     "nom)", f"no person with id '{actor_id}' in {store.uri}; a person's id is in an export that keeps "
                     "the persons: maillage export -f nodes.csv --include-persons (columns id and name)"))
        if not actor.personal_data:
            listed = ", ".join(actor.sources)
            _fail(_t(f"« {actor_id} » ({actor.name}) n'est pas une personne physique : une organisation quitte la base "
                     f"avec la source qui l'énonce (maillage remove SOURCE ; ses sources : {listed})",
                     f"'{actor_id}' ({actor.name}) is no natural person: an organisation leaves the store with the "
                     f"source stating it (maillage remove SOURCE; its sources: {listed})"))
        if not yes:
            _confirm(_t(f"Effacer {actor.name} ({actor_id}), personne physique, et tout ce que la base sait d'elle ? "
                        "Cela ne se défait pas.", f"Erase {actor.name} ({actor_id}), a natural person, and everything "
                        "the store knows of it? This cannot be undone."))
        try:
            with _progress() as progress, reporting(_progress_callback(progress, _t("effacement", "erasure"))):
                done = store.forget_person(actor_id)  # its search of the free text: stage « texts »
        except (NotFound, NotAPerson, StoreError) as e:
            _fail(_motif(e))
        srcs = {s.id: s for s in store.sources()}
    rejects = sorted({f for sid in done.sources if (f := (srcs[sid].meta or {}).get("rejects_file")) if sid in srcs})
    out.print(escape(_t(
        f"{actor_id} effacée : {_n_fr(done.statements, 'énoncé')}, {_n_fr(done.relations, 'relation')}, "
        f"{_n_fr(done.metrics, 'mesure')} d'analyse, {_n_fr(done.proposals, 'proposition')} et "
        f"{_n_fr(done.decisions, 'décision')} de fusion ; {_n_fr(done.texts, 'texte')} où son nom est devenu "
        "« [personne effacée] »",
        f"{actor_id} erased: {done.statements} statements, {done.relations} relations, {done.metrics} analysis "
        f"values, {done.proposals} merge proposals and {done.decisions} decisions; {done.texts} texts where its "
        "name became « [personne effacée] »")), highlight=False)
    out.print(escape(_t(
        "  un fichier qui l'énonce, chargé de nouveau, verra sa ligne rejetée (personne effacée à sa demande) ; la base "
        "n'en garde qu'une empreinte (hachage à clé), jamais le nom",
        "  a file stating it, loaded again, has that row rejected (person erased at their request); the store keeps "
        "only a keyed hash of it, never the name")), highlight=False)
    out.print(escape(_t("  ce que la base ne peut atteindre, à effacer à la main :",
                        "  what the store cannot reach, to delete by hand:")), highlight=False)
    if done.sources:
        out.print(escape(_t("    les fichiers chargés qui l'énoncent : ", "    the files loaded that state it: ")
                         + ", ".join(srcs[s].uri if s in srcs else s for s in done.sources)), highlight=False)
    for f in rejects:
        out.print(escape(_t(f"    fichier des rejets : {f}", f"    rejects file: {f}")
                         + ("" if Path(f).exists() else _t(" (absent de ce poste)", " (not on this machine)"))),
                  highlight=False)
    out.print(escape(_t("    les fichiers des rejets écrits ailleurs, les exports, cartes et rapports déjà écrits, les "
                        "sauvegardes de la base", "    rejects files written elsewhere, exports, maps and reports "
                        "already written, backups of the store")), highlight=False)


def _rerun_hint(to: Console = out) -> None:
    """Say that the analysis runs made before a change of the graph keep their old figures."""
    to.print(escape(_t("  les analyses faites avant gardent leurs chiffres : relancez « maillage analyse »",
                        "  analysis runs made before keep their figures: run `maillage analyse` again")))


def _lens_word(code: str) -> str:
    """A lens in a French sentence: its French name (« financement »), as the glossary says it."""
    from maillage.graph.vocabulary import lens_word

    return lens_word(code)


def _lens_value(value: str | None) -> str | None:
    """``--lens`` takes a lens's code or its French name (« financement », « gouvernance »…):
    the code goes on (:func:`maillage.analytics.lenses.lens_code`)."""
    from maillage.graph.vocabulary import lens_code

    return lens_code(value) if value else value


def _certainty_value(values: list[str] | None) -> list[str] | None:
    """``--certainty`` takes certainties by code or French name (« affirmé », « prévu »…),
    repeated or comma-separated, or « tout »: the codes go on
    (:func:`maillage.analytics.lenses.certainty_codes`)."""
    if not values:
        return None
    from maillage.analytics.lenses import certainty_codes

    try:
        return list(certainty_codes(values))
    except ValueError as e:
        raise typer.BadParameter(_t(f"« {e} » n'est pas une certitude : affirmé, implicite, déduit, prévu ou tout",
                                    f"'{e}' is not a certainty: stated, implied, inferred, planned or all"),
                                 param_hint="--certainty") from None


#: A certainty in what ``analyse`` and ``runs`` print (« liens comptés : affirmés, implicites… »).
_CERTAINTY_WORDS = {"stated": ("affirmés", "stated"), "implied": ("implicites", "implied"),
                    "inferred": ("déduits", "inferred"), "planned": ("prévus", "planned")}


def _ties_counted(p: dict) -> str:
    """What a run counted as a tie (its ``certainty`` and ``refused``: the tie rule of
    :func:`maillage.analytics.lenses.tie_rule`), in words."""
    from maillage.analytics.lenses import NOT_DONE

    certainty = p.get("certainty")
    if certainty is None:  # a run made before the rule was recorded
        return _t("liens comptés : non enregistré par cette analyse", "ties counted: not recorded by this run")
    en = state.lang == "en"
    words = ", ".join(_CERTAINTY_WORDS.get(c, (c, c))[en] for c in certainty)
    planned = any(c in certainty for c in NOT_DONE)
    fr_not = [x for x, on in (("les liens seulement prévus ou annoncés", not planned),
                              ("les demandes de financement refusées", not p.get("refused"))) if on]
    en_not = [x for x, on in (("ties only planned or announced", not planned),
                              ("refused funding applications", not p.get("refused"))) if on]
    return _t(f"liens comptés : {words}" + (", demandes refusées comprises" if p.get("refused") else "")
              + (f" — pas {' ni '.join(fr_not)}" if fr_not else ""),
              f"ties counted: {words}" + (", refused applications included" if p.get("refused") else "")
              + (f" — not {' nor '.join(en_not)}" if en_not else ""))


@app.command(cls=_Command)
def analyse(
    lens: Annotated[str, typer.Option(help="Projection: cooperation, funding, governance or all",
                                      callback=_lens_value)] = "cooperation",
    as_of: Annotated[Optional[int], typer.Option("--as-of", help="Only ties active in that year")] = None,
    k: Annotated[Optional[int], typer.Option("--k", help="Sampled betweenness with k sources (default: exact)")] = None,
    distance_k: Annotated[Optional[int], typer.Option("--distance-k", help="Sampled closeness/harmonic with k sources "
                                                      "(default: exact; for nation-scale graphs)")] = None,
    seed: Annotated[int, typer.Option(help="Seed for sampled measures and communities")] = 0,
    diagnostics: Annotated[bool, typer.Option("--diagnostics/--metrics-only",
                                              help="Also pôle diagnostics, criteria, isolation, observatory")] = True,
    brokerage_by: Annotated[str, typer.Option("--brokerage-groups",
                                              help="Groups for brokerage roles: family, pole or departement")] = "family",
    certainty: Annotated[Optional[list[str]], typer.Option(
        "--certainty", callback=_certainty_value, show_default=False,
        help="Certainties that count as ties, repeated or comma-separated: stated, implied, inferred, planned, "
             "or all (default: all but planned: a tie only planned or announced is no tie)")] = None,
    refused: Annotated[bool, typer.Option("--refused", help="Count refused funding applications as funding ties "
                                                            "(default: a refusal is no tie)")] = False,
    note: Annotated[Optional[str], typer.Option(help="A note kept with the run")] = None,
    lang: Annotated[str, _lang_option()] = "fr",
) -> None:
    """Analyse a lens of the graph (metrics, brokerage, diagnostics) and store it as a new run."""
    from maillage.analytics.run import analyse as run_analysis
    from maillage.graph.projection import lens_types

    _set_lang(lang)
    lens_types(lens)  # an unknown lens fails here, before any work
    from maillage.analytics.run import BROKERAGE_GROUPINGS
    from maillage.tableur import measure

    if brokerage_by not in BROKERAGE_GROUPINGS:
        raise typer.BadParameter(_t(f"{brokerage_by!r} n'est pas l'un de {', '.join(BROKERAGE_GROUPINGS)}",
                                    f"{brokerage_by!r} is not one of {', '.join(BROKERAGE_GROUPINGS)}"),
                                 param_hint="--brokerage-groups")
    with _open() as store, _progress() as progress:
        run = run_analysis(store, lens=lens, as_of=as_of, betweenness_k=k, distance_k=distance_k, seed=seed, note=note,
                           brokerage_by=brokerage_by, certainty=certainty, refused=refused,
                           diagnostics=diagnostics, progress=_progress_callback(progress, "analyse"))
        elsewhere = _ties_in_other_lenses(store, run.lens, run.params) if not run.params.get("edges") else {}
    p = run.params
    n_nodes, n_edges, between = p.get("nodes", 0), p.get("edges", 0), p.get("betweenness")
    # the measures count two members of a same pôle as tied (co-membership), the isolation
    # below only ties stated between two actors: both counts say which ties they are
    shared = (p.get("layers") or {}).get("co_membership", 0)
    shared_fr = f" dont {_number(shared)} par l'appartenance à un même pôle" if shared else ""
    shared_en = f", {_number(shared)} of them through membership of a same pôle" if shared else ""
    density = measure(p.get("density", 0.0), state.lang == "fr", 3)  # « 0,000156 »: 3 significant digits
    # « 1 acteur, 0 lien » as the other lines of the command agree their words with their numbers
    out.print(escape(_t(f"analyse {run.id} : lentille {_lens_word(run.lens)}, {run.as_of or 'toutes années'} "
                        f"({_n_fr(n_nodes, 'acteur')}, {_n_fr(n_edges, 'lien')}{shared_fr}, densité {density}, "
                        f"intermédiarité {_BETWEENNESS_FR.get(between, between)})",
                        f"run {run.id}: lens={run.lens} as_of={run.as_of} ({_counted(n_nodes, 'acteur', 'actor')}, "
                        f"{_counted(n_edges, 'lien', 'tie')}{shared_en}, density {density}, betweenness {between})")))
    # what counted as a tie (lenses.tie_rule), and the lens's statements left out, said with the
    # option that counts them: a planned meeting made actors « périphériques »
    planned_out, refused_out = (p.get("left_out") or {}).get("planned", 0), (p.get("left_out") or {}).get("refused", 0)
    if planned_out or refused_out or p.get("refused") or "planned" in p.get("certainty", ()):
        out.print(escape("  " + _ties_counted(p)))
    if planned_out:
        out.print(escape(_t(f"  {_number(planned_out)} {'liens' if planned_out > 1 else 'lien'} seulement "
                            f"{_fr_plural(planned_out, 'prévu')} ou {_fr_plural(planned_out, 'annoncé')} non "
                            f"{_fr_plural(planned_out, 'compté')} (--certainty tout pour les compter)",
                            f"  {_number(planned_out)} tie{'s' if planned_out > 1 else ''} only planned or announced "
                            "not counted (--certainty all to count them)")))
    if refused_out:
        out.print(escape(_t(f"  {_number(refused_out)} {'demandes' if refused_out > 1 else 'demande'} de financement "
                            f"{_fr_plural(refused_out, 'refusée')} non {_fr_plural(refused_out, 'comptée')} "
                            "(--refused pour les compter)",
                            f"  {_number(refused_out)} refused funding application{'s' if refused_out > 1 else ''} "
                            "not counted (--refused to count them)")))
    # betweenness, closeness and PageRank are normalised over the actors the lens ties (an actor
    # without a tie, e.g. a subsidy file's bénéficiaire, changes nobody's value): say how many
    tied = p.get("normalised_over")
    if tied:  # none when the lens ties no actor (the note below says where the ties are)
        rest = p.get("nodes", 0) - tied
        density_tied = measure(p.get("density_tied", 0.0), state.lang == "fr", 3)
        rest_fr = (f" ; 0 pour les {_number(rest)} acteurs sans lien" if rest > 1
                   else " ; 0 pour l'acteur sans lien" if rest else "")
        rest_en = (f"; 0 for the {_number(rest)} actors without a tie" if rest > 1
                   else "; 0 for the actor without a tie" if rest else "")
        out.print(escape(_t(f"  intermédiarité, proximité et PageRank normalisés sur les {_number(tied)} acteurs ayant "
                            f"au moins un lien dans la lentille (densité entre eux : {density_tied}){rest_fr}",
                            f"  betweenness, closeness and PageRank normalised over the {_number(tied)} actors with at "
                            f"least one tie in the lens (density among them: {density_tied}){rest_en}")))
    if diagnostics:
        # isolé / périphérique as the territory diagnostic, the API and the reports say it
        # (territory.status_of): isolated = no direct cooperation tie in the lens (no tie at all,
        # only funding ties, only ties of other lenses: the stored codes aucun_lien,
        # seulement_financement, hors_lentille); peripheral = e.g. a single direct partner
        n_poles = p.get("poles", 0)
        isolated, peripheral = p.get("isolated", 0), p.get("peripheral", 0)
        single, pole_only = p.get("peripheral_single", 0), p.get("peripheral_pole_only", 0)
        gaps, public = p.get("documentation_gaps", 0), p.get("public_bodies", 0)
        nothing, unplaced = p.get("isolated_aucun_lien", 0), p.get("isolated_unplaced", 0)
        funded, other = p.get("isolated_seulement_financement", 0), p.get("isolated_hors_lentille", 0)
        fr_why = [f"{_number(nothing)} sans aucun lien"] + (
            [f"{_number(funded)} {_fr_plural(funded, 'relié')} seulement par des financements"] if funded else []) + (
            [f"{_number(other)} {_fr_plural(other, 'relié')} seulement par des liens hors de la lentille {_lens_word(run.lens)}"]
            if other else [])
        en_why = [f"{_number(nothing)} with no tie at all"] + (
            [f"{_number(funded)} tied by funding only"] if funded else []) + (
            [f"{_number(other)} tied only by ties outside the {run.lens} lens"] if other else [])
        fr_set = [f"{_number(gaps)} peut-être {_fr_plural(gaps, 'sous-documenté')}"] if gaps else []
        public_fr = "collectivités ou organismes publics" if public > 1 else "collectivité ou organisme public"
        fr_set += [f"{_number(public)} {public_fr}"] if public else []
        en_set = [f"{_number(gaps)} possibly under-documented"] if gaps else []
        public_en = f"collectivité{'' if public == 1 else 's'} or public bod{'y' if public == 1 else 'ies'}"
        en_set += [f"{_number(public)} {public_en}"] if public else []
        # where an isolated actor has no known place it is in no territory's diagnostic (a subsidy
        # file's bénéficiaires, until a SIRENE extract places them): said, so the counts reconcile
        where_fr = (f" ; {_number(unplaced)} d'entre eux sans lieu connu, donc dans aucun territoire" if unplaced > 1
                    else " ; 1 d'entre eux sans lieu connu, donc dans aucun territoire" if unplaced else "")
        where_en = f"; {_number(unplaced)} of them with no known place, so in no territory" if unplaced else ""
        no_tie = _NO_TIE_FR.get(run.lens, f"aucun lien de la lentille {_lens_word(run.lens)}")
        out.print(escape(_t(f"  {_n_fr(n_poles, 'pôle')} {_fr_plural(n_poles, 'diagnostiqué')} ; liens directs "
                            f"(énoncés entre deux acteurs) : {_number(isolated)} {_fr_plural(isolated, 'isolé')} "
                            f"({no_tie}{' : ' + ', '.join(fr_why) + where_fr if isolated else ''}) ; "
                            f"{_number(peripheral)} {_fr_plural(peripheral, 'périphérique')} dont "
                            f"{_number(single)} avec un seul partenaire"
                            f"{f' (leur pôle pour {_number(pole_only)})' if pole_only else ''}"
                            f"{' ; à part : ' + ', '.join(fr_set) if fr_set else ''} ; observatoire calculé",
                            f"  {n_poles} pôle{'' if n_poles == 1 else 's'} diagnosed; direct ties (stated between "
                            f"two actors): {_number(isolated)} isolated (no {run.lens if run.lens != 'all' else ''}"
                            f"{' ' if run.lens != 'all' else ''}tie"
                            f"{': ' + ', '.join(en_why) + where_en if isolated else ''}); {_number(peripheral)} peripheral, of "
                            f"which {_number(single)} with a single partner"
                            f"{f' (their pôle for {_number(pole_only)})' if pole_only else ''}"
                            f"{'; apart: ' + ', '.join(en_set) if en_set else ''}; observatory computed")))
        unseen = p.get("unobserved", 0)
        if run.as_of is not None and unseen:
            out.print(escape(_t(f"  {_n_fr(unseen, 'acteur')} non {_fr_plural(unseen, 'observé')} en {run.as_of} "
                                f"(liens tous datés d'autres années) : ni {_fr_plural(unseen, 'isolé')} ni "
                                f"{_fr_plural(unseen, 'compté')} ci-dessus",
                                f"  {_number(unseen)} actor{'' if unseen == 1 else 's'} not observed in {run.as_of} "
                                "(every tie dated in other years): neither isolated nor counted above")))
    # a French reader opens it in a spreadsheet: the file for one (--tableur), in French
    out.print(_t(f"  export : maillage export --format csv --run {run.id} --tableur -o metriques.csv",
                 f"  export: maillage export --format csv --run {run.id} -o metriques.csv"))
    if p.get("poles"):  # the pôles' figures and criteria, one row per pôle
        out.print(_t(f"  pôles : maillage export --format poles.csv --run {run.id} --tableur -o poles.csv",
                     f"  pôles: maillage export --format poles.csv --run {run.id} -o poles.csv"))
    out.print(_t(f"  pour la citer : maillage runs {run.id}", f"  to cite it: maillage runs {run.id}"))
    if elsewhere:
        # e.g. subsidy files only: every tie is funding, and the default lens is cooperation
        best = max(elsewhere, key=lambda k: (elsewhere[k], k))
        ranked = sorted(elsewhere.items(), key=lambda kv: -kv[1])
        if state.lang == "en":
            held = ", ".join(f"{name} holds {_number(n)}" for name, n in ranked)
            year, every = (f" active in {as_of}", " (all years)") if as_of is not None else ("", "")
            said = (f"  note: the {run.lens} lens holds no tie of this store{year}; {held}{every}: "
                    f"try maillage analyse --lens {best}")
        else:
            held = ", ".join(f"{_lens_word(name)} en a {_number(n)}" for name, n in ranked)
            year, every = (f" actif en {as_of}", " (toutes années)") if as_of is not None else ("", "")
            said = (f"  remarque : la lentille {_lens_word(run.lens)} n'a aucun lien de cette base{year} ; {held}{every} : "
                    f"essayez maillage analyse --lens {_lens_word(best)}")
        out.print(escape(said))


#: An isolated actor's missing tie, by lens, in French (« aucun lien de financement »).
_NO_TIE_FR = {"cooperation": "aucun lien de coopération", "funding": "aucun lien de financement",
              "governance": "aucun lien de gouvernance", "all": "aucun lien"}


#: How betweenness was computed (a run's ``betweenness`` parameter), in French.
_BETWEENNESS_FR = {"exact": "exacte", "sampled": "échantillonnée"}




#: A run's ``brokerage_groups``, as a sentence says them.
_BROKERAGE_WORDS = {"family": ("entre familles (art. 9)", "between families (art. 9)"),
                    "pole": ("entre pôles", "between pôles"), "departement": ("entre départements", "between départements")}


@app.command(cls=_Command)
def runs(
    run_ids: Annotated[Optional[list[str]], typer.Argument(
        help="A run's id: what to cite it by (date, lens, year, parameters, sources with their sha256, versions); "
             "with --remove, the runs to remove", metavar="ID", show_default=False)] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the runs given, with their metrics: they can "
                                                          "no longer be cited, exported or reported on")] = False,
    keep: Annotated[Optional[int], typer.Option("--keep", min=0, metavar="N", show_default=False,
                                                help="Keep the N most recent runs and remove the older ones")] = None,
    copy_to_actors: Annotated[bool, typer.Option(
        "--copy-to-actors", help="Neo4j only: copy the run's metrics onto the Actor nodes as properties "
                                 "mesure_* (mesure_betweenness…, mesure_run: the run's id), for Bloom's styling "
                                 "rules; other actors' mesure_* are removed")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    lang: Annotated[str, _lang_option()] = "fr",
) -> None:
    """The analysis runs in the store, newest first: id, date, lens, year, actors. Given a run's
    id: what to cite it by in a paper, as it was when the run was made (persons' names masked in
    the sources' titles). With --remove or --keep: remove runs (asked for confirmation unless
    --yes); a removed run can no longer be cited: keep the runs you cite. With --copy-to-actors
    (Neo4j): the run's metrics as properties of the actors, to size and colour them in Bloom.

    Examples:

    \b
    maillage runs
    maillage runs run-20261206T045830Z-1bb0ce
    maillage runs --remove run-20261206T045830Z-1bb0ce
    maillage runs --keep 3
    maillage --store bolt://localhost:7687 runs run-20261206T045830Z-1bb0ce --copy-to-actors
    """
    from maillage.analytics.report import when_text
    from maillage.analytics.run import person_groups, person_masker
    from maillage.api.export_view import run_sources, year_label

    _set_lang(lang)
    ids = list(dict.fromkeys(run_ids or ()))
    if remove and keep is not None:
        raise typer.BadParameter(_t("--remove ou --keep, pas les deux", "--remove or --keep, not both"),
                                 param_hint="--keep")
    if remove and not ids:
        raise typer.BadParameter(_t("donnez les identifiants des analyses à retirer (maillage runs les liste)",
                                    "give the ids of the runs to remove (maillage runs lists them)"),
                                 param_hint="--remove")
    if keep is not None and ids:
        raise typer.BadParameter(_t("--keep garde les N analyses les plus récentes : ne donnez pas d'identifiant",
                                    "--keep keeps the N most recent runs: give no id"), param_hint="--keep")
    if copy_to_actors and (remove or keep is not None or len(ids) != 1):
        raise typer.BadParameter(_t("--copy-to-actors copie les mesures d'une seule analyse : donnez son identifiant",
                                    "--copy-to-actors copies the metrics of one run: give its id"),
                                 param_hint="--copy-to-actors")
    if len(ids) > 1 and not remove:
        raise typer.BadParameter(_t("une seule analyse à la fois à citer ; pour en retirer plusieurs : "
                                    "maillage runs --remove ID…",
                                    "one run at a time to cite; to remove several: maillage runs --remove ID…"),
                                 param_hint="ID")
    run_id = ids[0] if ids else None
    cut_short: list[str] = []
    finished: dict[str, int] = {}
    with _open() as store:
        made = _newest_first(store)
        if run_id is None and not (remove or keep is not None):
            finished, cut_short = _finish_removals(store)
        if remove or keep is not None:
            _remove_runs(store, made, ids if remove else [r.id for r in made[keep:]], keep, yes, as_json)
            return
        if copy_to_actors:
            _copy_to_actors(store, made, ids[0], as_json)
            return
        if run_id is not None:
            run = next((r for r in made if r.id == run_id), None)
            if run is None:
                _unknown_run(run_id, made, store)
            srcs = run_sources(store, run, mask=person_masker(person_groups(store), _t("[personne]", "[person]")))
    if run_id is None:
        if as_json:
            out.print_json(json.dumps([{"id": r.id, "created_at": r.created_at.isoformat(), "lens": r.lens,
                                        "as_of": r.as_of, "actors": r.params.get("nodes"), "note": r.note}
                                       for r in made], ensure_ascii=False))
            return
        if not made:
            out.print(escape(_t("aucune analyse dans cette base : lancez « maillage analyse »",
                                "no analysis run in this store: run `maillage analyse`")))
        for r in made:  # the id alone on its line, never cut: it is what `maillage runs ID` and `export --run` take
            details = [when_text(r.created_at, state.lang), _t(f"lentille {_lens_word(r.lens)}", f"lens {r.lens}"),
                       year_label(r.as_of, state.lang), _counted(r.params.get("nodes", 0), "acteur", "actor")]
            if r.note:
                details.append(f"« {r.note} »" if state.lang == "fr" else f"“{r.note}”")
            out.print(f"{escape(r.id)}\n  {escape(' · '.join(details))}", soft_wrap=True, highlight=False)
        if finished:
            _print_notes([_finished_note(finished)])
        if cut_short:  # not listed (gone for every read), but the user started it: say how to finish it
            _print_notes([_cut_short_note(cut_short)])
        return
    _print_citation(run, srcs, as_json)


def _finish_removals(store) -> tuple[dict[str, int], list[str]]:
    """Finish the removals cut short (:meth:`Store.finish_run_removals`): ``({run id: metrics
    deleted}, [])``; when that fails (a read-only user, a load holding the store), ``({}, the
    ids still pending)``, for :func:`_cut_short_note` to say how to finish them."""
    from maillage.graph.store import StoreError

    try:
        return store.finish_run_removals(), []
    except StoreError:
        return {}, store.runs_being_removed()


def _finished_note(finished: dict[str, int]) -> str:
    """What ``maillage runs`` says when it finished removals cut short (:func:`_finish_removals`)."""
    listed, n = ", ".join(finished), sum(finished.values())
    left_fr = f"{_n_fr(n, 'mesure')} restante{'s' if n > 1 else ''} supprimée{'s' if n > 1 else ''}"
    left_en = f"{_number(n)} remaining metric value{'' if n == 1 else 's'} deleted"
    if len(finished) == 1:
        return _t(f"le retrait interrompu de l'analyse {listed} est terminé ({left_fr})",
                  f"the removal of analysis run {listed}, cut short earlier, is finished ({left_en})")
    return _t(f"les retraits interrompus des analyses {listed} sont terminés ({left_fr})",
              f"the removals of analysis runs {listed}, cut short earlier, are finished ({left_en})")


def _cut_short_note(ids: list[str]) -> str:
    """What ``maillage runs`` says of removals cut short (:meth:`Store.runs_being_removed`)."""
    listed, again = ", ".join(ids), " ".join(ids)
    if len(ids) == 1:
        return _t(f"le retrait de l'analyse {listed} a été interrompu : elle n'est plus listée, mais une partie de "
                  f"ses mesures reste dans la base ; « maillage runs --remove {again} » le termine",
                  f"the removal of analysis run {listed} was cut short: it is no longer listed, but some of its "
                  f"metrics remain in the store; `maillage runs --remove {again}` finishes it")
    return _t(f"le retrait des analyses {listed} a été interrompu : elles ne sont plus listées, mais une partie de "
              f"leurs mesures reste dans la base ; « maillage runs --remove {again} » le termine",
              f"the removal of analysis runs {listed} was cut short: they are no longer listed, but some of their "
              f"metrics remain in the store; `maillage runs --remove {again}` finishes it")


def _newest_first(store) -> list:
    """The store's analysis runs, newest first: as ``maillage runs`` lists them, and as a
    refused run id names the latest (:func:`_unknown_run`)."""
    return store.runs()[::-1]


def _unknown_run(run_id: str, made, store=None) -> None:
    """Refuse a run id the store does not hold, naming its latest runs (``made``: newest first);
    a run whose removal was cut short (``store`` given) is said so, with how to finish it."""
    if store is not None and run_id in store.runs_being_removed():
        _fail(_t(f"l'analyse « {run_id} » a été retirée, mais son retrait a été interrompu : une partie de ses "
                 f"mesures reste dans la base ; « maillage runs --remove {run_id} » le termine",
                 f"analysis run {run_id!r} was removed, but its removal was cut short: some of its metrics remain "
                 f"in the store; `maillage runs --remove {run_id}` finishes it"))
    latest = ", ".join(r.id for r in made[:3])
    _fail(_t(f"aucune analyse « {run_id} » dans cette base ; les dernières : {latest or 'aucune'} "
             "(maillage runs les liste toutes)",
             f"no analysis run {run_id!r} in this store; the latest: {latest or 'none'} "
             "(maillage runs lists them all)"))


def _copy_to_actors(store, made, run_id: str, as_json: bool) -> None:
    """``maillage runs ID --copy-to-actors``: the run's metrics as ``mesure_*`` properties of the
    Actor nodes (:meth:`~maillage.graph.neo4j_store.Neo4jStore.copy_run_to_actors`). Natural
    persons get none: an analysis leaves them out, and a run that held some (made by other
    means) has theirs left out, said."""
    from maillage.graph.store import NotFound, StoreError

    if not hasattr(store, "copy_run_to_actors"):
        _fail(_t("--copy-to-actors est réservé à une base Neo4j (--store bolt://…) : la base embarquée n'a pas "
                 "de propriétés de nœuds à styliser ; les mesures s'exportent avec « maillage export --run »",
                 "--copy-to-actors is for a Neo4j store (--store bolt://…): the embedded store has no node "
                 "properties to style; export the metrics with `maillage export --run`"))
    if all(r.id != run_id for r in made):
        _unknown_run(run_id, made, store)
    try:
        done = store.copy_run_to_actors(run_id)
    except (NotFound, StoreError) as e:
        _fail(_motif(e))
    if as_json:
        out.print_json(json.dumps({"run": run_id, **done}, ensure_ascii=False))
        return
    fr = [f"mesures de l'analyse {run_id} copiées sur {_n_fr(done['actors'], 'acteur')} "
          "(propriétés mesure_*, mesure_run)"]
    en = [f"metrics of run {run_id} copied onto {_number(done['actors'])} actor{'' if done['actors'] == 1 else 's'} "
          "(properties mesure_*, mesure_run)"]
    if done["cleared"]:
        fr.append(f"mesures retirées de {_n_fr(done['cleared'], 'acteur')} hors de cette analyse")
        en.append(f"removed from {_number(done['cleared'])} actor{'' if done['cleared'] == 1 else 's'} "
                  "not in this run")
    if done["persons"]:
        fr.append(f"{_n_fr(done['persons'], 'personne')} laissée{'s' if done['persons'] > 1 else ''} de côté "
                  "(données personnelles)")
        en.append(f"{_number(done['persons'])} person{'' if done['persons'] == 1 else 's'} left out "
                  "(personal data)")
    out.print(escape(_t(" ; ".join(fr), "; ".join(en))), soft_wrap=True, highlight=False)


def _remove_runs(store, made, ids: list[str], keep: int | None, yes: bool, as_json: bool) -> None:
    """``maillage runs --remove ID…`` / ``--keep N``: remove the runs ``ids`` (``made``: every run,
    newest first) after confirmation unless ``yes``; say each one removed, with its date and
    the number of metric values that went with it."""
    from maillage.analytics.report import when_text
    from maillage.graph.store import NotFound, StoreError

    by_id = {r.id: r for r in made}
    # the ids of removals cut short: no longer runs, but removing them again finishes the removal
    resumed = set(store.runs_being_removed()) & set(ids) - set(by_id) if set(ids) - set(by_id) else set()
    for rid in ids:  # every id checked before anything is removed
        if rid not in by_id and rid not in resumed:
            _unknown_run(rid, made)
    if not ids:  # `--keep N` with nothing to remove: it finishes the removals cut short all the same
        finished, _ = _finish_removals(store)
        if as_json:
            out.print_json(json.dumps([{"id": rid, "created_at": None, "metrics": n, "resumed": True}
                                       for rid, n in finished.items()], ensure_ascii=False))
            return
        if finished:
            _print_notes([_finished_note(finished)])
        n = len(made)
        fr = ("la base n'a aucune analyse" if n == 0 else f"--keep {keep} garde la seule analyse de la base" if n == 1
              else f"--keep {keep} garde les {_number(n)} analyses de la base")
        en = ("the store holds no run" if n == 0 else f"--keep {keep} keeps the only run of the store" if n == 1
              else f"--keep {keep} keeps the {_number(n)} runs of the store")
        out.print(escape(_t(f"rien à retirer : {fr}", f"nothing to remove: {en}")))
        return
    if not yes and set(ids) - resumed:  # finishing a removal cut short loses nothing more: not asked again
        asked = [rid for rid in ids if rid not in resumed]
        for rid in asked:
            out.print(escape(f"  {rid} ({when_text(by_id[rid].created_at, state.lang)})"), highlight=False)
        n = len(asked)
        _confirm(_t(f"Retirer {'cette analyse' if n == 1 else f'ces {n} analyses'} et {'ses' if n == 1 else 'leurs'} "
                    f"mesures ({'elle ne pourra' if n == 1 else 'elles ne pourront'} plus être "
                    f"{'citée' if n == 1 else 'citées'} ni {'exportée' if n == 1 else 'exportées'}) ?",
                    f"Remove {'this run' if n == 1 else f'these {n} runs'} and {'its' if n == 1 else 'their'} "
                    f"metrics ({'it' if n == 1 else 'they'} can no longer be cited or exported)?"))
    try:
        removed = store.delete_runs(ids)
    except (NotFound, StoreError) as e:
        _fail(_motif(e))
    if as_json:
        out.print_json(json.dumps([{"id": rid, "created_at": by_id[rid].created_at.isoformat(), "metrics": n}
                                   if rid in by_id else {"id": rid, "created_at": None, "metrics": n, "resumed": True}
                                   for rid, n in removed.items()], ensure_ascii=False))
        return
    for rid, n in removed.items():
        if rid not in by_id:  # a removal cut short, finished now
            out.print(escape(_t(f"retrait de l'analyse {rid} terminé ({_n_fr(n, 'mesure')} restante"
                                f"{'s' if n > 1 else ''} supprimée{'s' if n > 1 else ''})",
                                f"removal of analysis run {rid} finished ({_number(n)} remaining metric "
                                f"value{'' if n == 1 else 's'} deleted)")), soft_wrap=True, highlight=False)
            continue
        when = when_text(by_id[rid].created_at, state.lang)
        values = f"{_number(n)} metric value{'' if n == 1 else 's'}"
        out.print(escape(_t(f"analyse {rid} du {when} retirée ({_n_fr(n, 'mesure')})",
                            f"analysis run {rid} of {when} removed ({values})")),
                  soft_wrap=True, highlight=False)


def _print_citation(run, srcs, as_json: bool) -> None:
    """``maillage runs ID``: the run, its parameters, its sources and the software versions."""
    from maillage.analytics.report import when_text
    from maillage.api.export_view import run_software, year_label

    p = run.params
    if as_json:
        out.print_json(json.dumps({
            "id": run.id, "created_at": run.created_at.isoformat(), "lens": run.lens, "as_of": run.as_of,
            "note": run.note, "params": p,
            "sources": None if srcs is None else [
                {"id": x.id, "file": x.file, "label": x.label, "loaded_at": x.loaded_at and x.loaded_at.isoformat(),
                 "sha256": x.sha256, "since": x.since} for x in srcs],
            "software": {k: p.get(k) for k in ("maillage", "networkx", "igraph")}}, ensure_ascii=False))
        return
    en = state.lang == "en"

    def sampled(kind: str, k: int | None) -> str:
        if p.get(kind) != "sampled":
            return _t("exacte", "exact")
        return _t(f"échantillonnée (k = {k})", f"sampled (k = {k})")

    options = [_t(f"intermédiarité {sampled('betweenness', p.get('betweenness_k'))}",
                  f"betweenness {sampled('betweenness', p.get('betweenness_k'))}"),
               _t(f"proximité {sampled('closeness', p.get('distance_k'))}",
                  f"closeness {sampled('closeness', p.get('distance_k'))}"),
               _t(f"graine {p.get('seed', 0)}", f"seed {p.get('seed', 0)}")]
    if p.get("brokerage_groups") in _BROKERAGE_WORDS:
        options.append(_t("courtage ", "brokerage ") + _BROKERAGE_WORDS[p["brokerage_groups"]][en])
    options.append(_ties_counted(p))
    options.append(_t("avec les diagnostics (pôles, critères, isolement, observatoire)",
                      "with the diagnostics (pôles, criteria, isolation, observatory)")
                   if "poles" in p.get("computed", ()) else _t("mesures seules (--metrics-only)",
                                                               "measures only (--metrics-only)"))
    graph = [_counted(p.get("nodes", 0), "acteur", "actor"), _counted(p.get("edges", 0), "lien", "tie"),
             _counted(p.get("components", 0), "composante", "component")]
    lines = [_t(f"analyse {run.id}", f"analysis run {run.id}"),
             _t(f"  date : {when_text(run.created_at, 'fr')}", f"  date: {when_text(run.created_at, 'en')}"),
             _t(f"  lentille : {_lens_word(run.lens)}", f"  lens: {run.lens}"),
             _t(f"  année : {year_label(run.as_of, 'fr')}", f"  year: {year_label(run.as_of, 'en')}"),
             _t("  paramètres : ", "  parameters: ") + ", ".join(options),
             _t("  graphe analysé : ", "  graph analysed: ") + ", ".join(graph)]
    if run.note:
        lines.append(_t(f"  note : {run.note}", f"  note: {run.note}"))
    if srcs is None:
        lines.append(_t("  sources : non enregistrées par cette analyse", "  sources: not recorded by this run"))
    else:
        lines.append(_t(f"  sources ({len(srcs)}) :", f"  sources ({len(srcs)}):"))
        for x in srcs:
            lines.append(f"    {x.id}" + (f" — {x.label}" if x.label and x.label != x.file else ""))
            facts = [x.file]
            if x.loaded_at:
                facts.append(_t(f"chargée le {when_text(x.loaded_at, 'fr')}", f"loaded on {when_text(x.loaded_at, 'en')}"))
            facts.append(f"sha256 {x.sha256}" if x.sha256 else _t("sans sha256", "no sha256"))
            if x.since == "reloaded":
                facts.append(_t("rechargée depuis : la base en a une autre version",
                                "reloaded since: the store holds another version"))
            elif x.since == "removed":
                facts.append(_t("retirée de la base depuis", "removed from the store since"))
            lines.append("      " + " · ".join(facts))
    soft = run_software(run)
    unknown = [k for k in ("maillage", "igraph") if not p.get(k)]  # a run made before they were recorded
    if unknown:
        s = "s" if len(unknown) > 1 else ""
        of = " et ".join(("d'" if k[0] in "aeiou" else "de ") + k for k in unknown)  # « de maillage et d'igraph »
        soft += (" " if soft else "") + _t(f"(version{s} {of} non enregistrée{s} par cette analyse)",
                                           f"({' and '.join(unknown)} version{s} not recorded by this run)")
    lines.append(_t("  logiciels : ", "  software: ") + soft)
    for line in lines:
        out.print(escape(line), soft_wrap=True, highlight=False)


def _ties_in_other_lenses(store, lens: str, params: dict) -> dict[str, int]:
    """``{lens: ties}`` for the lenses other than ``lens`` (and "all") that hold any, all years:
    the statements the tie rule of the run (``params``' ``certainty`` and ``refused``) counts, as
    an analysis of that lens would (Paris's file: 4,212 grants, not its 6,463 applications)."""
    from maillage.analytics.lenses import tie_rule
    from maillage.graph.projection import lens_types
    from maillage.graph.vocabulary import vocabulary

    rule = tie_rule(params.get("certainty"), bool(params.get("refused")))
    by_type = store.stats()["relations_by_type"]
    names = sorted({name for t in vocabulary().relation_types.values() for name in t.lenses} - {lens, "all"})
    counts = {}
    for name in names:
        types = [t for t in lens_types(name) if by_type.get(t)]
        counts[name] = sum(1 for r in store.relations(types=types, certainty=list(rule.certainty))
                           if rule.counts(r)) if types else 0
    return {name: n for name, n in counts.items() if n}


#: ``maillage export --format``: ``csv`` is the metrics of a run (as before); the others are the
#: graph formats of :data:`maillage.api.exports.EXPORT_FORMATS`, the API's ``csv`` (one row
#: per relation statement) being ``edges.csv`` here.
GRAPH_EXPORTS = {"gexf": "gexf", "graphml": "graphml", "kumu.xlsx": "kumu.xlsx", "json": "json",
                 "edges.csv": "csv", "nodes.csv": "nodes.csv", "ftm.jsonl": "ftm.jsonl"}
#: The --format values that are a table of a run, not a graph: its actors' metrics (csv), its pôles'
#: figures and criteria (poles.csv), its year-by-year evolution (evolution.csv): maillage.api.run_tables.
RUN_TABLES = ("csv", "poles.csv", "evolution.csv")
#: The --format values written as CSV: --delimiter, --decimal-comma and --tableur apply to them, and only them.
CSV_EXPORTS = ("csv", "edges.csv", "nodes.csv", "poles.csv", "evolution.csv")


@app.command(cls=_Command)
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv: the actor metrics of a run; poles.csv: its "
                                     "pôle figures and criteria, one row per pôle; evolution.csv: its figures "
                                     "year by year; or the graph, for another tool: gexf (Gephi), graphml (yEd, Cytoscape), kumu.xlsx (Kumu), "
                                     "json, edges.csv, nodes.csv, ftm.jsonl (Aleph)")] = "csv",
    output: Annotated[Optional[Path], typer.Option("--out", "-o", "--output", help="File to write (default: metriques.csv, or "
                                                   "maillage-<view>.<format>; given a folder, that name in "
                                                   "it)")] = None,
    pole: Annotated[Optional[str], typer.Option("--pole", help="Graph formats: only this pôle (id or name)")] = None,
    territory: Annotated[Optional[str], typer.Option("--territory", help="Graph formats: only this territory (id, "
                                                     "code or name)")] = None,
    actor: Annotated[Optional[str], typer.Option("--actor", help="Graph formats: only this actor's neighbourhood "
                                                 "(id, SIREN or name)")] = None,
    depth: Annotated[Optional[int], typer.Option("--depth", min=1, max=3, help="--actor: ties away from it "
                                                 "(default 1; refused without --actor)")] = None,
    lens: Annotated[Optional[str], typer.Option("--lens", help="Graph formats: cooperation | funding | governance | "
                                                "all (default: all; with --projection, cooperation, as maillage "
                                                "analyse)", callback=_lens_value)] = None,
    as_of: Annotated[Optional[int], typer.Option("--as-of", help="Graph formats: only ties active that year")] = None,
    projection: Annotated[bool, typer.Option("--projection", help="Write the graph the analysis measures: one "
                                             "weighted tie per pair of actors, from the lens's direct ties, shared "
                                             "pôles and common governors (--lens governance: the board interlock "
                                             "network), not one edge per statement. Formats: gexf, graphml, json, "
                                             "edges.csv, nodes.csv")] = False,
    include_persons: Annotated[bool, typer.Option("--include-persons", help="Keep natural persons and their ties "
                                                  "(personal data: left out by default)")] = False,
    lang: Annotated[str, _lang_option("Labels in the graph formats, and what is printed: fr (default) or en")] = "fr",
    run: Annotated[Optional[str], typer.Option("--run", help="Analysis run id (default: the latest; graph "
                                                             "formats: the latest of --lens and --as-of, else "
                                                             "the latest)")] = None,
    delimiter: Annotated[Optional[str], typer.Option(help="The CSV files: column separator; ';' for a "
                                                          "French spreadsheet (default: ',', ';' with --decimal-comma)",
                                                     show_default=False)] = None,
    decimal_comma: Annotated[bool, typer.Option("--decimal-comma", help="The CSV files: write 0,25 "
                                                "instead of 0.25 (and ';' between columns)")] = False,
    tableur: Annotated[bool, typer.Option("--tableur", help="The CSV files: a file for a spreadsheet "
                                          "people read: French headers, labels instead of codes, rounded numbers, "
                                          "';' and 0,25 (with --lang en: English, ',' and 0.25)")] = False,
) -> None:
    """Export the actor metrics of an analysis run (csv; columns: docs/analytics-metrics.md), its
    pôles (poles.csv) or its years (evolution.csv), or the graph — whole, a pôle, a territory
    or an actor's neighbourhood — for Gephi, yEd, Cytoscape, Kumu, a spreadsheet or Aleph
    (docs/exports.md)."""
    from maillage.api.exports import metrics_csv

    _set_lang(lang)
    _not_stdout(output)
    if fmt not in RUN_TABLES and fmt not in GRAPH_EXPORTS:
        raise typer.BadParameter(_t(f"format d'export inconnu {fmt!r} ; possibles : csv (les mesures d'une analyse), "
                                    f"poles.csv (ses pôles), evolution.csv (ses années), {', '.join(GRAPH_EXPORTS)}",
                                    f"unknown export format {fmt!r}; available: csv (metrics of a run), poles.csv "
                                    f"(its pôles), evolution.csv (its years), {', '.join(GRAPH_EXPORTS)}"),
                                 param_hint="--format")
    _check_workbook_name(output, fmt)
    from maillage.tableur import resolve_style

    given = delimiter is not None
    if given and len(delimiter) != 1:
        raise typer.BadParameter(_t(f"le séparateur est un seul caractère, reçu {delimiter!r}",
                                    f"the delimiter must be one character, got {delimiter!r}"), param_hint="--delimiter")
    styled = [o for o, v in (("--delimiter", given and delimiter != ","), ("--decimal-comma", decimal_comma),
                             ("--tableur", tableur)) if v]
    if styled and fmt not in CSV_EXPORTS:  # said, not ignored: a file the reader did not ask for
        raise typer.BadParameter(_t(
            f"{' et '.join(styled)} ne s'applique{'nt' if len(styled) > 1 else ''} qu'aux fichiers CSV "
            f"({', '.join(CSV_EXPORTS)}), pas à --format {fmt}",
            f"{' and '.join(styled)} only appl{'y' if len(styled) > 1 else 'ies'} to the CSV files "
            f"({', '.join(CSV_EXPORTS)}), not to --format {fmt}"), param_hint=styled[0])
    # a French spreadsheet's pair: a decimal comma alone brings ';', as --tableur in French
    delimiter, decimal_comma = resolve_style(tableur, lang, delimiter, decimal_comma or None)
    if decimal_comma and delimiter == ",":
        raise typer.BadParameter(_t("la virgule décimale demande un autre séparateur de colonnes : --delimiter ';'",
                                    "decimal commas need another column separator: --delimiter ';'"),
                                 param_hint="--decimal-comma")
    if fmt in GRAPH_EXPORTS:
        _refuse_scope(depth, pole, territory, actor)
    if fmt in RUN_TABLES and projection:
        raise typer.BadParameter(_t(
            "--projection écrit un graphe : -f edges.csv (un lien pondéré par ligne), nodes.csv, gexf, graphml ou "
            f"json ; --format {fmt} est une table d'une analyse",
            "--projection writes a graph: -f edges.csv (one weighted tie per row), nodes.csv, gexf, graphml or json; "
            f"--format {fmt} is a table of an analysis run"), param_hint="--projection")
    if fmt in ("poles.csv", "evolution.csv"):
        given = [o for o, v in (("--pole", pole), ("--territory", territory), ("--actor", actor),
                                ("--depth", depth is not None), ("--as-of", as_of is not None),
                                ("--lens", lens is not None)) if v]
        if given:
            raise typer.BadParameter(_t(
                f"{', '.join(given)} ne s'applique pas à --format {fmt}, qui écrit une table d'une analyse (tous "
                "ses pôles, toutes ses années) : pour une lentille ou une année, lancez « maillage analyse --lens … "
                "--as-of … » puis exportez avec --run",
                f"{', '.join(given)} does not apply to --format {fmt}, which writes a table of an analysis run (all "
                "its pôles, all its years): for a lens or a year, run « maillage analyse --lens … --as-of … » then "
                "export with --run"), param_hint=given[0])
        _export_run_table(fmt, output, run, delimiter, decimal_comma, tableur, lang)
        if include_persons:
            _persons_unmeasured(fmt)
        return
    if fmt == "csv":
        given = [o for o, v in (("--pole", pole), ("--territory", territory), ("--actor", actor),
                                ("--depth", depth is not None), ("--as-of", as_of is not None),
                                ("--lens", lens is not None), ("--projection", projection)) if v]
        if given:
            raise typer.BadParameter(_t(
                f"{', '.join(given)} ne s'applique pas à --format csv, qui écrit les mesures d'une analyse (tous ses "
                "acteurs) : pour les mesures d'une lentille ou d'une année, lancez « maillage analyse --lens … "
                "--as-of … » puis exportez ; pour une partie du graphe, prenez un format de graphe comme edges.csv "
                "ou nodes.csv",
                f"{', '.join(given)} does not apply to --format csv, which writes the metrics of an analysis run "
                "(all its actors): for the metrics of a lens or a year, run « maillage analyse --lens … --as-of … » "
                "then export; for a part of the graph use a graph format such as edges.csv or nodes.csv"),
                param_hint=given[0])
        output = _into(output, "metriques", suffix=".csv")
        gone: list[str] = []
        persons: list[str] = []
        with _open() as store:
            choice = _run_choice(store, None, None, run)  # an unknown --run refused here, as everywhere
            n = metrics_csv(store, output, run_id=run, delimiter=delimiter, decimal_comma=decimal_comma,
                            include_persons=include_persons, left_out=gone, tableur=tableur, lang=lang,
                            persons=persons)
            mask = _export_mask(store, include_persons)
        said = f"{_counted(n, 'acteur', 'actor')} → {escape(str(output))}{_t(' ; ', '; ')}{escape(choice.label(state.lang))}"
        if gone:
            k = len(gone)
            is_fr = "ne sont" if k > 1 else "n'est"
            said += escape(_t(f" ; {_n_fr(k, 'acteur')} de l'analyse {is_fr} plus dans la base ("
                              f"{_fr_plural(k, 'fusionné')} ou {_fr_plural(k, 'retiré')} depuis) : "
                              f"{_fr_plural(k, 'laissé')} de côté",
                              f"; {_counted(k, 'acteur', 'actor')} of the run no longer in the store (merged or "
                              "removed since): left out"))
        out.print(said)
        _print_persons(n, len(persons))
        if include_persons and not persons:
            _persons_unmeasured(fmt)
        _print_notes(choice.notes(state.lang), mask)
        _print_cite(choice)
        return
    depth = depth or 1
    if projection:
        _export_projection(fmt, output, pole, territory, actor, depth, lens or "cooperation", as_of, include_persons,
                           lang, run, delimiter, decimal_comma, tableur)
        return
    lens = lens or "all"
    with _open() as store, _working(_t(f"Export {fmt}…", f"Exporting {fmt}…")):
        sub, name, (pid, tid, aid) = _export_view(store, pole, territory, actor, depth, lens, as_of, include_persons)
        output = _into(output, "maillage", name, suffix=f".{fmt}")
        choice = _run_choice(store, lens, as_of, run)
        n_actors, n_relations = _write_export(store, sub, GRAPH_EXPORTS[fmt], output, choice, include_persons, lang,
                                              delimiter, decimal_comma, tableur)
        mask = _export_mask(store, include_persons)
    from maillage.api.exports import persons_written

    said = f"{escape(str(output))} — {_counted(n_actors, 'acteur', 'actor')}, {_counted(n_relations, 'relation', 'relation')}"
    held = (_pole_statements_line(sub, pid, lens, as_of) if pid is not None else
            _territory_statements_line(sub, tid, lens, as_of) if tid is not None else
            _actor_statements_line(sub, aid, depth, lens, as_of) if aid is not None else None)
    if GRAPH_EXPORTS[fmt] in WITHOUT_MEASURES:  # one row per relation: no actor's measures to account for
        out.print(said)
        if held:
            out.print(escape(held), soft_wrap=True, highlight=False)
        _print_persons(n_actors, persons_written(sub, include_persons))
        return
    out.print(f"{said}{_t(' ; ', '; ')}{escape(choice.label(state.lang))}")
    if held:
        out.print(escape(held), soft_wrap=True, highlight=False)
    _print_persons(n_actors, persons_written(sub, include_persons))
    _print_notes(choice.notes(state.lang), mask)
    _print_cite(choice)


def _persons_unmeasured(fmt: str) -> None:
    """Say, on the error stream, that ``--include-persons`` changed nothing in a table of a run
    (``--format csv``, ``poles.csv``, ``evolution.csv``): ``maillage analyse`` leaves natural
    persons out, so a run has none to add (docs/exports.md, « Persons »)."""
    console.print(escape(_t(f"remarque : --include-persons ne change rien à --format {fmt} : une analyse ne mesure "
                            "pas les personnes physiques (« maillage analyse » les laisse de côté)",
                            f"note: --include-persons changes nothing in --format {fmt}: an analysis run does not "
                            "measure natural persons (« maillage analyse » leaves them out)")),
                  highlight=False, soft_wrap=True)


def _export_run_table(fmt, output, run, delimiter, decimal_comma, tableur, lang) -> None:
    """``maillage export --format poles.csv | evolution.csv``: a run's pôles or years
    (:mod:`maillage.api.run_tables`)."""
    from maillage.api.run_tables import evolution_csv, poles_csv

    output = _into(output, "poles" if fmt == "poles.csv" else "evolution", suffix=".csv")
    with _open() as store:
        choice = _run_choice(store, None, None, run)
        if choice.run is None:
            _fail(_t("aucune analyse dans cette base : lancez d'abord « maillage analyse »",
                     "no analysis run in this store: run « maillage analyse » first"))
        r = choice.run
        if fmt == "evolution.csv" and r.as_of is not None:
            _fail(_t(f"l'analyse {r.id} est faite en {r.as_of} : elle n'a pas d'évolution année par année, que "
                     "calcule une analyse sans --as-of (maillage analyse)",
                     f"run {r.id} is as of {r.as_of}: it has no year-by-year evolution, which a run without "
                     "--as-of computes (maillage analyse)"))
        gone: list[str] = []
        style = {"delimiter": delimiter, "decimal_comma": decimal_comma, "tableur": tableur, "lang": lang}
        if fmt == "poles.csv":
            n = poles_csv(store, output, run_id=r.id, left_out=gone, **style)
            said = _counted(n, "pôle", "pôle")
        else:
            n = evolution_csv(store, output, run_id=r.id, **style)
            said = _counted(n, "année", "year")
        mask = _export_mask(store, False)  # a table of pôles or years: no person in it, nor in its notes
    out.print(f"{said} → {escape(str(output))}{_t(' ; ', '; ')}{escape(choice.label(state.lang))}")
    if not n:  # a run made --metrics-only, or no pôle / no dated tie in the store
        _print_notes([_t("aucune ligne : cette analyse n'a pas ces chiffres (faite avec --metrics-only, ou la base "
                         "n'a aucun pôle ou aucun lien daté)", "no rows: this run does not have these figures (made "
                         "with --metrics-only, or the store has no pôle or no dated tie)")])
    if gone:
        k = len(gone)
        is_fr = "ne sont" if k > 1 else "n'est"
        _print_notes([_t(f"{_n_fr(k, 'pôle')} de l'analyse {is_fr} plus dans la base ({_fr_plural(k, 'fusionné')} ou "
                         f"{_fr_plural(k, 'retiré')} depuis) : {_fr_plural(k, 'laissé')} de côté",
                         f"{_counted(k, 'pôle', 'pôle')} of the run no longer in the store (merged or removed "
                         "since): left out")])
    _print_notes(choice.notes(state.lang), mask)


#: Export formats whose files hold no actor measures (one record per relation statement): no run
#: to name, no remark that its measures describe another view.
WITHOUT_MEASURES = ("csv", "ftm.jsonl")


def _export_projection(fmt, output, pole, territory, actor, depth, lens, as_of, include_persons, lang, run,
                       delimiter=",", decimal_comma=False, tableur=False) -> None:
    """``maillage export --projection``: the lens projection (:mod:`maillage.api.lens_export`)
    with the metrics of the run of the same lens and year."""
    from maillage.api.lens_export import PROJECTION_FORMATS, lens_view
    from maillage.graph.store import NotFound

    wanted = GRAPH_EXPORTS[fmt]
    if wanted not in PROJECTION_FORMATS:
        raise typer.BadParameter(_t(
            f"--projection s'écrit en gexf, graphml, json, edges.csv ou nodes.csv, pas en {fmt} (ses fichiers se "
            "relisent comme des relations énoncées, ce qu'un lien projeté n'est pas)",
            f"--projection is written as gexf, graphml, json, edges.csv or nodes.csv, not {fmt} (its files are read "
            "back as stated relations, which a projected tie is not)"), param_hint="--format")
    with _open() as store, _working(_t(f"Export {fmt} de la projection…", f"Exporting the projection as {fmt}…")):
        pid, tid, aid = _export_scope(store, lens, pole, territory, actor)
        choice = _run_choice(store, lens, as_of, run)
        try:  # the ties its run's measures counted (lenses.tie_rule: its --certainty, --refused)
            view = lens_view(store, pid, tid, aid, depth, lens, as_of, include_persons, **choice.counted)
        except NotFound:
            _fail(_t(f"« {actor} » n'est pas dans la lentille {_lens_word(lens)} (une personne ? --include-persons)",
                     f"'{actor}' is not in lens {lens} (a person? --include-persons)"))
        name = pid or (tid and tid.replace(":", "-")) or aid or "graphe"
        output = _into(output, "maillage", name, "lentille", lens, suffix=f".{fmt}")
        _write_file(output, lambda f: _projection_to(store, view, wanted, f, choice, include_persons, lang,
                                                     delimiter, decimal_comma, tableur))
        mask = _export_mask(store, include_persons)
    year = f", {as_of}" if as_of is not None else ""
    named = _t(f"lentille {_lens_word(lens)}", f"lens {lens}")
    said = (f"{escape(str(output))} — {_counted(view.graph.number_of_nodes(), 'acteur', 'actor')}, "
            f"{_number(view.ties)} {_t('liens pondérés' if view.ties > 1 else 'lien pondéré', 'weighted tie')}"
            f"{'s' if state.lang == 'en' and view.ties != 1 else ''} ({named}{year})")
    from maillage.api.lens_export import persons_written

    persons, written = persons_written(view, include_persons)
    held = (_pole_projection_line(view, pid) if pid is not None else
            _territory_projection_line(view, tid) if tid is not None else
            _actor_projection_line(view, aid, depth) if aid is not None else None)
    if wanted in WITHOUT_MEASURES:  # the ties alone: no actor's measures
        out.print(said)
        if held:
            out.print(escape(held), soft_wrap=True, highlight=False)
        _print_persons(written, persons)
        _print_notes(view.notes(state.lang), mask)
        return
    out.print(f"{said}{_t(' ; ', '; ')}{escape(choice.label(state.lang))}")
    if held:
        out.print(escape(held), soft_wrap=True, highlight=False)
    _print_persons(written, persons)
    _print_notes(view.notes(state.lang) + choice.notes(state.lang), mask)
    _print_cite(choice)


def _in_year(as_of: int | None) -> str:
    """« en 2023 » (" in 2023") for the content lines of a year's export; nothing for all years."""
    return _t(f" en {as_of}", f" in {as_of}") if as_of is not None else ""


def _of_lens(lens: str) -> str:
    """« de la lentille coopération » (" of lens cooperation"); nothing for lens « tout »."""
    return "" if lens == "all" else _t(f" de la lentille {_lens_word(lens)}", f" of lens {lens}")


def _members_and_porteurs(pole_id: str, members: set[str], porteurs: set[str]) -> str:
    """« 35 membres, 1 structure porteuse hors membres »: an actor both is counted once, as a member."""
    porteurs = porteurs - members - {pole_id}
    parts = [_counted(len(members), "membre", "member")] if members else []
    if porteurs:
        k = len(porteurs)
        besides = _t(" hors membres", " besides the members") if members else ""
        parts.append(_t(f"{_n_fr(k, 'structure')} {_fr_plural(k, 'porteuse')}",
                        _counted(k, "structure porteuse", "carrying structure")) + besides)
    return ", ".join(parts)


def _pole_statements_line(sub, pole_id: str, lens: str, as_of: int | None) -> str:
    """What ``export --pole`` (without ``--projection``) holds, counted from the file's own
    subgraph (:meth:`~maillage.graph.store.Store.pole_subgraph`): the pôle, every actor with a
    statement to or from it in the lens (members, carrying structures, funders, partners…),
    and the relations among them; and what the projection keeps instead."""
    pole = sub.actors[pole_id].name
    tied = {e for r in sub.relations if pole_id in (r.source, r.target) for e in (r.source, r.target)} - {pole_id}
    tied &= set(sub.actors)
    members = {r.source for r in sub.relations if r.type == "membership" and r.target == pole_id} & tied
    porteurs = {r.source for r in sub.relations if r.type == "carries" and r.target == pole_id} & tied
    others = len(tied - members - porteurs)
    kinds = _members_and_porteurs(pole_id, members, porteurs)
    if others and kinds:
        kinds += _t(f", {_number(others)} {_fr_plural(others, 'autre')} : financeurs, partenaires…",
                    f", {_number(others)} other{'s' if others > 1 else ''}: funders, partners…")
    elif others:  # no member nor carrying structure in the lens: « 2 autres » would have nothing to be other than
        kinds = _t("financeurs, partenaires…", "funders, partners…")
    year = _in_year(as_of)
    lensed = _of_lens(lens)
    k, n = len(tied), len(sub.actors)
    projection = _t(" ; la projection (--projection) ne garde que le pôle, ses membres et ses structures porteuses",
                    "; the projection (--projection) keeps only the pôle, its members and its carrying structures")
    if not k:
        return _t(f"contenu : le pôle {pole} seul (aucun acteur n'a de relation directe{lensed} avec lui{year})",
                  f"content: the pôle {pole} alone (no actor has a direct relation{lensed} to it{year})") + projection
    return _t(f"contenu : le pôle {pole} et {_n_fr(k, 'acteur')} qui {'ont' if k > 1 else 'a'} une relation "
              f"directe{lensed} avec lui{year} ({kinds}), et les relations entre ces {_n_fr(n, 'acteur')}",
              f"content: the pôle {pole} and {_counted(k, 'acteur', 'actor')} with a direct relation{lensed} to "
              f"it{year} ({kinds}), and the relations among these {_counted(n, 'acteur', 'actor')}") + projection


def _pole_projection_line(view, pole_id: str) -> str:
    """What ``export --pole --projection`` holds, counted from the file's own graph
    (:func:`~maillage.api.lens_export.lens_view`): the pôle, its members and carrying structures
    (whatever the lens), and the lens's weighted ties among them; the pôle's other partners
    are only in the export without ``--projection``."""
    G = view.graph
    pole = view.actors[pole_id].name if pole_id in view.actors else pole_id
    around = set(G) - {pole_id}
    members = {x for x in around if pole_id in (G.nodes[x].get("poles") or ())}
    year = _in_year(view.as_of)
    k, n = len(around), G.number_of_nodes()
    others = _t(" ; les autres acteurs liés au pôle (financeurs, partenaires…) ne sont que dans l'export sans "
                "--projection", "; the pôle's other tied actors (funders, partners…) are only in the export without "
                "--projection")
    if not k:
        return _t(f"contenu : le pôle {pole} seul (aucun membre ni structure porteuse connus{year})",
                  f"content: the pôle {pole} alone (no member or carrying structure known{year})") + others
    kinds = _members_and_porteurs(pole_id, members, around - members)
    return _t(f"contenu : le pôle {pole} et {_n_fr(k, 'acteur')} qui en {'sont' if k > 1 else 'est'} "
              f"{_fr_plural(k, 'membre')} ou {_fr_plural(k, 'structure')} {_fr_plural(k, 'porteuse')}{year} "
              f"({kinds}), et les liens pondérés de la lentille {_lens_word(view.lens)} entre ces "
              f"{_n_fr(n, 'acteur')}",
              f"content: the pôle {pole} and {_counted(k, 'acteur', 'actor')} that {'are' if k > 1 else 'is'} its "
              f"member{'s' if k > 1 else ''} or carrying structure{'s' if k > 1 else ''}{year} ({kinds}), and the "
              f"weighted ties of lens {view.lens} among these {_counted(n, 'acteur', 'actor')}") + others


def _rings(ties, centre: str, depth: int) -> list[int]:
    """How many actors are 1, 2… ``depth`` ties away from ``centre`` through ``ties`` (pairs)."""
    import networkx as nx

    g = nx.Graph()
    g.add_node(centre)
    g.add_edges_from((a, b) for a, b in ties if a != b)
    away = nx.single_source_shortest_path_length(g, centre, cutoff=depth)
    return [sum(1 for d in away.values() if d == k) for k in range(1, depth + 1)]


def _ring_counts(rings: list[int], fr: str, en: str) -> str:
    """« 12 à 1 relation, 28 à 2 relations »: the actors of each ring, by its distance."""
    return ", ".join(_t(f"{_number(k)} à {d} {_fr_plural(d, fr)}", f"{_number(k)} at {d} {en}{'s' if d > 1 else ''}")
                     for d, k in enumerate(rings, 1) if k)


def _territory_name(territory_id: str) -> str:
    from maillage.analytics.run import location_label

    return location_label(territory_id) or territory_id


def _territory_statements_line(sub, territory_id: str, lens: str, as_of: int | None) -> str:
    """What ``export --territory`` (without ``--projection``) holds, counted from the file's own
    subgraph: the actors located in the territory, the pôles with no known place tied to them
    (:func:`~maillage.analytics.views.with_unplaced_poles`), and the relations among them."""
    place = _territory_name(territory_id)
    unplaced = {k for k, a in sub.actors.items() if a.family == "pole" and not (a.location or a.territory)}
    n = len(sub.actors) - len(unplaced)
    year = _in_year(as_of)
    lensed = _of_lens(lens)
    if not n:
        return _t(f"contenu : aucun acteur situé dans le territoire {place}",
                  f"content: no actor located in territory {place}")
    k = len(unplaced)
    poles = _t(f" ; avec {_n_fr(k, 'pôle')} sans lieu connu {_fr_plural(k, 'lié')} à ces acteurs, et leurs "
               "relations avec eux", f"; with {_counted(k, 'pôle', 'pôle')} with no known place tied to these "
               "actors, and their relations with them") if k else ""
    among = _t(f", et les relations{lensed} entre eux{year}", f", and the relations{lensed} among them{year}") \
        if n > 1 else ""
    return _t(f"contenu : {_n_fr(n, 'acteur')} {_fr_plural(n, 'situé')} dans le territoire {place}",
              f"content: {_counted(n, 'acteur', 'actor')} located in territory {place}") + among + poles + _t(
        " ; les acteurs situés ailleurs qui leur sont liés ne sont pas dans le fichier",
        "; the actors located elsewhere that are tied to them are not in the file")


def _actor_statements_line(sub, actor_id: str, depth: int, lens: str, as_of: int | None) -> str:
    """What ``export --actor`` (without ``--projection``) holds, counted from the file's own
    subgraph: the actor, the actors at most ``depth`` relations away (each ring counted), and
    the relations among them."""
    if actor_id not in sub.actors:  # a natural person, left out: its neighbours are in the file, not it
        n = len(sub.actors)
        return _t(f"contenu : {_n_fr(n, 'acteur')} du voisinage d'une personne physique, laissée de côté (données "
                  "personnelles : --include-persons pour l'inclure), et les relations entre eux",
                  f"content: {_counted(n, 'acteur', 'actor')} of the neighbourhood of a natural person, left out "
                  "(personal data: --include-persons to include it), and the relations among them")
    name = sub.actors[actor_id].name
    rings = _rings(((r.source, r.target) for r in sub.relations), actor_id, depth)
    k, n = sum(rings), len(sub.actors)
    year = _in_year(as_of)
    lensed = _of_lens(lens)
    if not k:
        return _t(f"contenu : l'acteur {name} seul (aucun acteur n'a de relation directe{lensed} avec lui{year})",
                  f"content: the actor {name} alone (no actor has a direct relation{lensed} to it{year})")
    among = _t(f", et les relations entre ces {_n_fr(n, 'acteur')}", f", and the relations among these "
               f"{_counted(n, 'acteur', 'actor')}")
    if depth == 1:
        return _t(f"contenu : l'acteur {name} et {_n_fr(k, 'acteur')} qui {'ont' if k > 1 else 'a'} une relation "
                  f"directe{lensed} avec lui{year}", f"content: the actor {name} and {_counted(k, 'acteur', 'actor')} "
                  f"with a direct relation{lensed} to it{year}") + among
    return _t(f"contenu : l'acteur {name} et {_n_fr(k, 'acteur')} à {depth} relations{lensed} au plus de lui{year} "
              f"({_ring_counts(rings, 'relation', 'relation')})",
              f"content: the actor {name} and {_counted(k, 'acteur', 'actor')} at most {depth} relations{lensed} "
              f"away from it{year} ({_ring_counts(rings, 'relation', 'relation')})") + among


def _territory_projection_line(view, territory_id: str) -> str:
    """What ``export --territory --projection`` holds, counted from the file's own graph: the
    actors located in the territory and the lens's weighted ties among them (ties leaving it
    are left out: the notes count them)."""
    place = _territory_name(territory_id)
    n = view.graph.number_of_nodes()
    year = _in_year(view.as_of)
    if not n:
        return _t(f"contenu : aucun acteur situé dans le territoire {place} (lentille {_lens_word(view.lens)}{year})",
                  f"content: no actor located in territory {place} (lens {view.lens}{year})")
    among = _t(f", et les liens pondérés de la lentille {_lens_word(view.lens)} entre eux{year}",
               f", and the weighted ties of lens {view.lens} among them{year}") if n > 1 else ""
    return _t(f"contenu : {_n_fr(n, 'acteur')} {_fr_plural(n, 'situé')} dans le territoire {place}",
              f"content: {_counted(n, 'acteur', 'actor')} located in territory {place}") + among


def _actor_projection_line(view, actor_id: str, depth: int) -> str:
    """What ``export --actor --projection`` holds, counted from the file's own graph: the
    actor, the actors at most ``depth`` weighted ties away in the lens's projection (its ego
    network: direct ties, shared pôles, common governors, as the lens has them), and the
    weighted ties among them."""
    from maillage.analytics.lenses import LAYER_LABELS, get_lens

    G = view.graph
    name = view.actors[actor_id].name if actor_id in view.actors else actor_id
    rings = _rings(G.edges(), actor_id, depth)
    k, n = sum(rings), G.number_of_nodes()
    year = _in_year(view.as_of)
    lens = _t(f"dans la lentille {_lens_word(view.lens)}", f"in lens {view.lens}")
    kinds = [LAYER_LABELS[x][state.lang] for x in get_lens(view.lens).layers]
    layers = _t(" ou ", " or ").join(x for x in (", ".join(kinds[:-1]), kinds[-1]) if x)
    if not k:
        return _t(f"contenu : l'acteur {name} seul (aucun lien pondéré avec lui {lens}{year})",
                  f"content: the actor {name} alone (no weighted tie to it {lens}{year})")
    among = _t(f", et les liens pondérés entre ces {_n_fr(n, 'acteur')}",
               f", and the weighted ties among these {_counted(n, 'acteur', 'actor')}")
    if depth == 1:
        return _t(f"contenu : l'acteur {name} et {_n_fr(k, 'acteur')} qui lui {'sont liés' if k > 1 else 'est lié'} "
                  f"{lens}{year} ({layers})", f"content: the actor {name} and {_counted(k, 'acteur', 'actor')} tied "
                  f"to it {lens}{year} ({layers})") + among
    return _t(f"contenu : l'acteur {name} et {_n_fr(k, 'acteur')} à {depth} liens pondérés au plus de lui {lens}"
              f"{year} ({_ring_counts(rings, 'lien', 'tie')} ; {layers})",
              f"content: the actor {name} and {_counted(k, 'acteur', 'actor')} at most {depth} weighted ties away "
              f"from it {lens}{year} ({_ring_counts(rings, 'lien', 'tie')}; {layers})") + among


def _projection_to(store, view, fmt, f, choice, include_persons, lang, delimiter=",", decimal_comma=False,
                   tableur=False) -> None:
    from maillage.analytics.run import person_groups
    from maillage.api.exports import source_masker
    from maillage.api.lens_export import projection_export

    metrics = store.metrics(choice.run.id, actor_ids=list(view.graph)) if choice.run else {}
    # the run's citation names its sources: a file may be named after a person
    mask = None if include_persons else source_masker(person_groups(store))
    projection_export(view, fmt, f, lang=lang, include_persons=include_persons, metrics=metrics or None,
                      about=[*choice.about(lang, mask), *view.notes(lang)], delimiter=delimiter, decimal_comma=decimal_comma,
                      tableur=tableur)


def _run_choice(store, lens, as_of, run):
    """The run whose metrics an export carries (:func:`maillage.api.export_view.choose_run`)."""
    from maillage.api.export_view import choose_run
    from maillage.graph.store import NotFound

    try:
        return choose_run(store, lens, as_of, run)
    except NotFound:  # refused as `maillage runs ID` refuses it: its latest runs, newest first
        _unknown_run(run, _newest_first(store), store)


def _print_notes(notes: list[str], mask: Callable[[str], str] | None = None) -> None:
    """Each note on a line of its own, « remarque : » first; through ``mask`` when given
    (:func:`_export_mask`: a note may name a source whose file is named after a person)."""
    for note in notes:
        out.print(escape(_t("remarque : ", "note: ") + (mask(note) if mask is not None else note)))


def _export_mask(store, include_persons: bool, word: str = "[personne]") -> Callable[[str], str] | None:
    """What ``maillage export`` prints goes through the mask its file does, unless persons are
    kept (``--include-persons``): the run's notes name the sources loaded since it, and a
    source's file may be named after a person (« notes_DidierCOGNON.jsonl » → « notes_
    [personne 2].jsonl », :func:`maillage.api.exports.source_masker`, the persons numbered as in
    the file). So do the notes ``maillage report`` and ``maillage viz`` print, with the ``word``
    of their page (« [person 2] » in English)."""
    if include_persons:
        return None
    from maillage.analytics.run import person_groups
    from maillage.api.exports import source_masker

    return source_masker(person_groups(store), word)


def _print_persons(actors: int, persons: int) -> None:
    """Say that a file holds natural persons, as the file says it (:func:`maillage.api.exports.persons_mark`)."""
    from maillage.api.exports import persons_mark

    mark = persons_mark(actors, persons, state.lang)
    if mark:
        out.print(f"[bold]{escape(mark)}[/]", highlight=False)


def _print_cite(choice) -> None:
    """The command that prints what to cite the run of an export's measures by (a CSV file has
    no place to say it: a comment line would break the readers of R and pandas)."""
    if choice.run is not None:
        out.print(escape(_t(f"pour citer cette analyse : maillage runs {choice.run.id}",
                            f"to cite this analysis run: maillage runs {choice.run.id}")))


def _option_spelling(*options: tuple[str, object]) -> str:
    """Options as typed on the command line: ``--actor 'Le Périscope' --depth 2``."""
    return " ".join(f"--{o.replace('_', '-')}" + ("" if v is None else f" {shlex.quote(str(v))}") for o, v in options)


def _refuse_scope(depth: int | None, pole=None, territory=None, actor=None, path: bool = False) -> None:
    """Two of --pole, --territory, --actor, or --depth given to a view without depth (the rule of
    :func:`maillage.api.export_view.scope_refusal`): a usage error (exit 2), as the API's 400."""
    from maillage.api.export_view import scope_refusal

    refused = scope_refusal(pole, territory, actor, depth, path, _option_spelling)
    if refused:
        raise typer.BadParameter(_t(*refused[1:]), param_hint=refused[0])


def _export_scope(store, lens, pole, territory, actor):
    """The lens checked, and the ids of the pôle, territory and actor an export names."""
    from maillage.graph.projection import lens_types
    from maillage.graph.store import NotFound
    from maillage.queries.lookup import find_actor, find_territory

    if lens != "all":
        lens_types(lens)  # an unknown lens fails here, with the vocabulary's message
    try:
        return (find_actor(store, pole, family="pole", lang=state.lang) if pole is not None else None,
                find_territory(territory) if territory is not None else None,
                find_actor(store, actor, lang=state.lang) if actor is not None else None)
    except NotFound as e:
        _fail(_motif(e))


def _export_view(store, pole, territory, actor, depth, lens, as_of, include_persons):
    """The subgraph ``maillage export`` writes (:func:`maillage.api.export_view.export_subgraph`,
    as the API's export), a name for its file, and the ids of its pôle, territory and actor."""
    from maillage.api.export_view import export_subgraph

    pid, tid, aid = _export_scope(store, lens, pole, territory, actor)
    sub = export_subgraph(store, pid, tid, aid, depth, lens, as_of, include_persons)
    return sub, pid or (tid and tid.replace(":", "-")) or aid or "graphe", (pid, tid, aid)  # as the API's export


def _write_export(store, sub, fmt: str, output: Path, choice, include_persons: bool,
                  lang: str, delimiter: str = ",", decimal_comma: bool = False,
                  tableur: bool = False) -> tuple[int, int]:
    """Write ``sub`` as ``fmt`` with the metrics of the chosen run on the nodes (persons left
    out by the exporter unless ``include_persons``); returns the subgraph's ``(actors,
    relations)``. The file appears whole or not at all (written beside it, then renamed)."""
    from maillage.analytics.run import person_groups
    from maillage.api.exports import source_masker, subgraph_export
    from maillage.api.maps import source_labels

    metrics = store.metrics(choice.run.id, actor_ids=sub.actors) if choice.run else {}
    names = () if include_persons else person_groups(store)
    # the run's citation and the sources' labels name files: a file may be named after a person
    mask = None if include_persons else source_masker(names)
    _write_file(output, lambda f: subgraph_export(
        sub, fmt, f, lang=lang, include_persons=include_persons, metrics=metrics or None,
        person_names=names, about=choice.about(lang, mask), delimiter=delimiter, decimal_comma=decimal_comma,
        tableur=tableur, sources=source_labels(store.sources(), mask)))
    return len(sub.actors), len(sub.relations)


def _write_file(output: Path, write) -> None:
    """``write(f)`` into a file beside ``output``, renamed to it at the end: the file appears
    whole or not at all."""
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.part")
    try:
        with tmp.open("wb") as f:
            write(f)
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


VIEWS = ("ego", "pole", "territory", "path")
#: The word naming each view's map file, in French as the report's (carte-territoire-departement-31.html,
#: beside rapport-departement-31.html) and as the map's title says it (« Voisinage de … », « Chemin de … »)
VIEW_FILE_WORDS = {"ego": "voisinage", "pole": "pole", "territory": "territoire", "path": "chemin"}


@app.command(cls=_Command)
def viz(
    view: Annotated[Optional[str], typer.Argument(help="ego (an actor's neighbourhood) | pole | territory | path; "
                                                       "or name it with --actor, --pole or --territory")] = None,
    ids: Annotated[Optional[list[str]], typer.Argument(
        help="An actor (ego, pole), a territory (territory) or two actors (path): an actor is its id, "
             "SIREN/SIRET/RNA or name (Le Périscope); a territory its id, code or name (departement:31, 31, "
             "Haute-Garonne). Ambiguous names list the candidates")] = None,
    actor: Annotated[Optional[str], typer.Option("--actor", help="The same as `ego ACTOR`")] = None,
    pole: Annotated[Optional[str], typer.Option("--pole", help="The same as `pole POLE`")] = None,
    territory: Annotated[Optional[str], typer.Option("--territory", help="The same as `territory TERRITORY`")] = None,
    output: Annotated[Path, typer.Option("-o", "--output", "--out", help="HTML file to write (works offline), or a "
                                         "folder to write carte-<view>-<id>.html in (view in French: voisinage, "
                                         "pole, territoire, chemin)")] = Path("carte.html"),
    depth: Annotated[Optional[int], typer.Option("--depth", min=1, max=3, help="ego: ties away from the actor "
                                                 "(default 1; refused by the other views)")] = None,
    lens: Annotated[str, typer.Option("--lens", help="Relation types: cooperation | funding | governance | all "
                                                     "(path: default cooperation)", callback=_lens_value)] = "all",
    as_of: Annotated[Optional[int], typer.Option("--as-of", help="Only ties active that year")] = None,
    size_by: Annotated[Optional[str], typer.Option("--size-by", help="Node size: a metric (degree, betweenness, "
                                                                     "pagerank…) of the latest run of --lens and "
                                                                     "--as-of, else of the latest run")] = None,
    aggregate_above: Annotated[int, typer.Option("--aggregate-above", help="Above this many actors, draw pôles "
                                                                           "(or communities) as nodes")] = 2000,
    aggregate_by: Annotated[str, typer.Option("--aggregate-by", help="auto | pole | community | family")] = "auto",
    max_hops: Annotated[Optional[int], typer.Option("--max-hops", min=1, max=12, help="path: longest path looked "
                                                    "for (default 6; refused by the other views)")] = None,
    lang: Annotated[str, _lang_option("Language of the map and of what is printed: fr (default) or en")] = "fr",
) -> None:
    """Write an interactive map of a view (one self-contained HTML file: share it by e-mail, it
    works offline): an actor's neighbourhood, a pôle, a territory or the shortest path between
    two actors. Persons are never drawn.

    `maillage viz territory Haute-Garonne` and `maillage viz --territory Haute-Garonne` are the
    same map (the options are those of `report` and `export`)."""
    from maillage.analytics.run import location_label, person_groups
    from maillage.analytics.territory import territory_diagnostic
    from maillage.api.maps import isolated_map_marks, write_map
    from maillage.analytics.views import lens_view, view_types
    from maillage.api.service import shortest_path, unplaced_partners
    from maillage.graph.store import NotFound, Subgraph
    from maillage.queries.lookup import find_actor, find_territory, territory_notes

    _set_lang(lang)
    _check_html_output(output, "la carte est", "the map is")
    named = [(v, x) for v, x in (("ego", actor), ("pole", pole), ("territory", territory)) if x is not None]
    if named:
        if view is not None or len(named) > 1:
            raise typer.BadParameter(_t("nommez une vue : VUE IDS…, ou l'une de --actor, --pole, --territory",
                                        "name one view: VIEW IDS…, or one of --actor, --pole, --territory"),
                                     param_hint="VIEW")
        view, ids = named[0][0], [named[0][1]]
    if view is None:
        raise typer.BadParameter(_t(f"dites quoi cartographier : l'une de {', '.join(VIEWS)} et ses identifiants "
                                    "(« viz territory 31 »), ou --actor, --pole ou --territory",
                                    f"say what to map: one of {', '.join(VIEWS)} and its ids (`viz territory 31`), "
                                    "or --actor, --pole or --territory"), param_hint="VIEW")
    if view not in VIEWS:
        raise typer.BadParameter(_t(f"la vue est l'une de {', '.join(VIEWS)}", f"view must be one of "
                                    f"{', '.join(VIEWS)}"), param_hint="VIEW")
    ids = ids or []
    if len(ids) != (2 if view == "path" else 1):
        raise typer.BadParameter(_t("path prend deux acteurs, les autres vues un seul",
                                    "path takes two actor ids, the other views one"), param_hint="IDS")
    _refuse_scope(depth, **{"ego": {"actor": ids[0]}, "pole": {"pole": ids[0]}, "territory": {"territory": ids[0]},
                            "path": {"path": True}}[view])
    if max_hops is not None and view != "path":  # said, not ignored, as --depth
        raise typer.BadParameter(_t("--max-hops ne s'applique qu'à la vue path (le plus court chemin entre deux "
                                    "acteurs)", "--max-hops only applies to the path view (the shortest path "
                                    "between two actors)"), param_hint="--max-hops")
    depth, max_hops = depth or 1, max_hops or 6
    fr = lang == "fr"
    unplaced, pole_notes = 0, []
    isolated: dict[str, str] | None = None  # a territory's, circled in magenta
    peripheral: dict[str, str] | None = None  # and its peripheral actors, in orange
    if view == "path" and lens == "all":
        lens = "cooperation"
    types = view_types(lens)  # a pôle's and a territory's view: its export's (lens_view)
    with _open() as store, _working(_t("Dessin de la carte…", "Drawing the map…")):
        try:
            if view == "territory":
                ids = [find_territory(ids[0])]
            else:
                ids = [find_actor(store, i, family="pole" if view == "pole" else None, lang=state.lang)
                       for i in ids]
        except NotFound as e:
            _fail(_motif(e))
        names = {i: store.get_actor(i).name for i in ids} if view != "territory" else {}
        output = _into(output, "carte", VIEW_FILE_WORDS[view], *ids, suffix=".html")
        if view == "ego":
            sub = store.neighbourhood(ids[0], depth=depth, types=types, as_of=as_of)
            title = (f"Voisinage de {names[ids[0]]}" if fr else f"Neighbourhood of {names[ids[0]]}")
        elif view == "pole":
            sub = lens_view(store, pole=ids[0], lens=lens, as_of=as_of)[0]
            from maillage.graph.names import fold

            # « Pôle Test », « PTCE Sud Aveyron »: its name already says it (not « Pôle Pôle Test »)
            title = names[ids[0]] if fold(names[ids[0]]).startswith(("pole ", "ptce")) else f"Pôle {names[ids[0]]}"
        elif view == "territory":
            sub, pole_notes = lens_view(store, territory=ids[0], lens=lens, as_of=as_of, lang=lang)
            unplaced = unplaced_partners(store, set(sub.actors), as_of, types)
            diagnostic = territory_diagnostic(store, ids[0], as_of=as_of, lang=lang)
            isolated = isolated_map_marks(diagnostic.isolated.items, lang)
            peripheral = isolated_map_marks(diagnostic.peripheral.items, lang)
            title = (f"Territoire : {location_label(ids[0])}" if fr else f"Territory: {location_label(ids[0])}")
        else:
            persons = {a.id for a in store.persons()}  # through the index of the persons, not every actor
            nodes = shortest_path(store, ids[0], ids[1], types, as_of, persons, max_hops)
            if nodes is None:
                _fail(_t(f"aucun chemin d'au plus {max_hops} liens entre {ids[0]} et {ids[1]}",
                         f"no path of at most {max_hops} ties between {ids[0]} and {ids[1]}"))
            pos = {n: k for k, n in enumerate(nodes)}
            rels = [r for r in store.relations(among=set(nodes), types=types, as_of=as_of)
                    if abs(pos[r.source] - pos[r.target]) == 1]
            sub = Subgraph(actors=store.get_actors(nodes), relations=rels)
            title = (f"Chemin de {names[ids[0]]} à {names[ids[1]]}" if fr
                     else f"Path from {names[ids[0]]} to {names[ids[1]]}")
        sub.notes = pole_notes  # the store's notes are in English and for the API; the page says when capped
        run = _map_run(store, sub, lens, as_of, size_by, aggregate_by, aggregate_above)
        metrics = store.metrics(run.run.id, actor_ids=sub.actors) if run and run.run else None
        mask = _export_mask(store, False, _t("[personne]", "[person]")) if run else None  # as the map says them
        try:
            path = write_map(sub, output, title, lang=lang, metrics=metrics or None, size_by=size_by,
                             aggregate_above=aggregate_above, aggregate_by=aggregate_by,
                             redact=person_groups(store), isolated=isolated, run=run, sources=store.sources(),
                             peripheral=peripheral)
        except ValueError as e:  # unknown metric or lang
            _fail(_motif(e))
    out.print(f"{escape(str(path))} — {_counted(len(sub.actors), 'acteur', 'actor')}, "
              f"{_counted(len(sub.relations), 'relation', 'relation')}"
              + (f"{_t(' ; ', '; ')}{escape(run.label(lang))}" if run else ""))
    if run:
        _print_notes(run.notes(lang), mask)
    for note in [*pole_notes, *(territory_notes(ids[0], lang) if view == "territory" else [])]:
        out.print(escape(_t("remarque : ", "note: ") + note))  # the geography's, as report says it (Lyon)
    if unplaced:
        many = unplaced > 1
        them, it = ("les", "their") if many else ("le", "its")  # « qui les contient », "their source"
        have, are = ("n'ont", "ne sont") if many else ("n'a", "n'est")
        out.print(escape(_t(
            f"remarque : {_counted(unplaced, 'acteur', 'actor')} lié{'s' if many else ''} à des acteurs de ce "
            f"territoire {have} pas de lieu connu et {are} pas "
            f"sur la carte : {'leur' if many else 'sa'} source ne donne pas de commune reconnue (une liste de membres : ajoutez le code "
            f"postal ; un fichier de subventions ne donne pas d'adresse : chargez un extrait SIRENE qui {them} "
            "contient), ou cartographiez les liens d'un acteur : maillage viz --actor NOM",
            f"note: {_counted(unplaced, 'acteur', 'actor')} tied to actors of this territory {'have' if many else 'has'} "
            f"no known place and {'are' if many else 'is'} not on the map: {it} source gives no recognised commune "
            "(a member list: add the postcode; a subsidy file gives no address: load a SIRENE extract that holds "
            f"{'them' if many else 'it'}), or map one actor's ties: maillage viz --actor NAME")))


def _map_run(store, sub, lens: str, as_of: int | None, size_by: str | None, aggregate_by: str,
             aggregate_above: int):
    """The run whose metrics ``maillage viz`` draws (:func:`maillage.api.export_view.choose_run`
    of the map's lens and year), or None when the map draws none (no ``--size-by``, no
    communities grouped)."""
    from maillage.api.export_view import choose_run

    if size_by is None and not (aggregate_by == "community" and len(sub.actors) > aggregate_above):
        return None
    return choose_run(store, lens, as_of, subject="map")


@app.command(cls=_Command)
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    token: Annotated[Optional[str], typer.Option("--token", envvar="MAILLAGE_API_TOKEN", show_envvar=True,
                     help="Token for writes and include_persons (none: writes disabled)")] = None,
    cors: Annotated[Optional[list[str]], typer.Option("--cors", help="Origin allowed by CORS (repeatable)")] = None,
    max_upload_mb: Annotated[int, typer.Option("--max-upload-mb", help="Largest request body (MB)")] = 50,
    reload: Annotated[bool, typer.Option("--reload", help="Restart on code changes (development)")] = False,
    lang: Annotated[str, _lang_option("Language of what this command prints: fr (default) or en (the API "
                                      "answers each request in its own language)")] = "fr",
) -> None:
    """Serve the API, the maps and the explorer page (http://127.0.0.1:8000/)."""
    from maillage.api.app import serve as run_server

    from maillage.graph import store_file

    _set_lang(lang)
    path = store_file(state.store_uri)
    if path is not None and not path.exists():
        console.print(escape(_t(f"remarque : pas encore de base à {path} : une base vide est servie (chargez des "
                                f"fichiers avec maillage --store {path} load FICHIER…, ou par l'API avec le jeton)",
                                f"note: no store at {path} yet: serving an empty one (load files with "
                                f"maillage --store {path} load FILE…, or through the API with the token)")))
    run_server(state.store_uri, host=host, port=port, token=token, cors=cors or [], reload=reload,
               max_upload_mb=max_upload_mb, lang=state.lang)


@app.command(cls=_Command)
def report(
    output: Annotated[Path, typer.Option("--out", "-o", "--output", help="HTML file to write (self-contained, works "
                                         "offline), or a folder to write rapport-<pôle or territory>.html in "
                                         "(rapport-<…>-<year>.html with --as-of)")],
    pole: Annotated[Optional[str], typer.Option("--pole", help="Pôle report: the pôle's id or name (Le Périscope)")] = None,
    territory: Annotated[Optional[str], typer.Option("--territory", help="Territory report: its id, code or name "
                                                     "(departement:31, 31, Haute-Garonne, Sicoval)")] = None,
    observatory: Annotated[bool, typer.Option("--observatory", help="Observatory report (RTES statistics)")] = False,
    as_of: Annotated[Optional[int], typer.Option("--as-of", help="Only ties active in that year")] = None,
    lens: Annotated[str, typer.Option("--lens", help="Pôle report: the lens of its map and of the central "
                                                     "members' measures, cooperation (default) | funding | "
                                                     "governance | all",
                                      callback=_lens_value)]
    = "cooperation",
    lang: Annotated[str, _lang_option("Language of the report and of what is printed: fr (default) or en")] = "fr",
) -> None:
    """Write a meeting report (HTML, French by default): a pôle, a territory or the observatory.

    The pôle and territory reports also write their interactive map next to the file
    (<name>-carte.html: a pôle's through --lens, as its export through that lens; a territory's
    with every type of relation); a territory's, its isolated and peripheral actors for a spreadsheet
    (<name>-isoles.csv, « ; »-separated in French). In a folder, the file is named after the
    report, and after its year with --as-of (rapport-epci-243100633-2025.html): the reports of
    two years do not overwrite each other. A pôle's central members come from the latest
    `maillage analyse` run of --lens and --as-of (else the latest run: the report and a
    « remarque » say so, and when the graph changed after the run).
    """
    import time

    from maillage.analytics.report import run_sentences
    from maillage.analytics.reports import render_observatory_report, render_pole_report, render_territory_report
    from maillage.api.export_view import choose_run
    from maillage.graph.store import NotFound, StoreError
    from maillage.queries.lookup import find_actor, find_territory, territory_notes

    _set_lang(lang)
    _check_html_output(output, "le rapport est", "the report is")
    started = time.time() - 1  # a companion file older than this is not this run's
    notes: list[str] = []  # the pôle report's: the run of its members; a territory's: what the geography holds
    if sum([pole is not None, territory is not None, observatory]) != 1:
        _fail(_t("donnez exactement l'une de --pole PÔLE, --territory TERRITOIRE, --observatory",
                 "give exactly one of --pole PÔLE, --territory TERRITORY, --observatory"), code=2)
    year = [str(as_of)] if as_of is not None else []  # one file per year: 2024's is not overwritten by 2025's
    with _open() as store, _working(_t("Rédaction du rapport…", "Writing the report…")):
        try:
            if pole is not None:
                pid = find_actor(store, pole, family="pole", lang=state.lang)
                path = render_pole_report(store, pid, _into(output, "rapport", pid, *year, suffix=".html"),
                                          as_of=as_of, lang=lang, lens=lens)
                # as the page says them: the run by its date, a source by its file's name (no ids)
                notes = [n[:1].lower() + n[1:].removesuffix(".")
                         for n in run_sentences(store, choose_run(store, lens, as_of, subject="report"), lang)]
                # masked as the report masks them: a note names the files loaded since the run
                mask = _export_mask(store, False, _t("[personne]", "[person]"))
                notes = [mask(n) for n in notes] if mask is not None else notes
            elif territory is not None:
                tid = find_territory(territory)
                path = render_territory_report(store, tid, _into(output, "rapport", tid, *year, suffix=".html"),
                                               as_of=as_of, lang=lang)
                notes = territory_notes(tid, lang)  # what the geography holds for it (the Métropole de Lyon)
            else:
                path = render_observatory_report(store, _into(output, "rapport-observatoire", *year, suffix=".html"),
                                                 as_of=as_of, lang=lang)
        except (NotFound, StoreError, ValueError) as e:
            _fail(_motif(e))
    console.print(_t("Rapport écrit : ", "Report written: ") + escape(str(path)))
    for suffix, fr, en in (("-carte.html", "carte", "map"), ("-isoles.csv", "acteurs isolés et périphériques, pour un "
                           "tableur", "isolated and peripheral actors, for a spreadsheet")):
        beside = path.with_name(path.stem + suffix)
        if beside.exists() and beside.stat().st_mtime >= started:
            console.print(f"  · {_t(fr + ' :', en + ':')} {escape(str(beside))}")
        elif suffix == "-isoles.csv" and territory is not None:  # nobody flagged: no file, said, not left to look for
            earlier = _t(f" ({beside.name}, à côté, est celui d'un rapport précédent)",
                         f" ({beside.name}, beside it, is an earlier report's)") if beside.exists() else ""
            console.print("  · " + escape(_t("pas de fichier pour un tableur : aucun acteur du territoire n'est isolé, "
                                             "périphérique ni peu documenté",
                                             "no spreadsheet file: no actor of the territory is isolated, peripheral "
                                             "or thinly documented") + earlier))
    _print_notes(notes)


@app.command(cls=_Command)
def demo(
    out_dir: Annotated[Path, typer.Option("--out", "-o", "--output", help="Directory for the store, map, report and summary")] = Path("demo-output"),
    store: Annotated[Optional[str], typer.Option("--store", help="Store URI (also accepted before the command); "
                                                 "default: DIR/maillage.db")] = None,
    lang: Annotated[str, _lang_option("Language of the map, the report, the rejects files and what is printed: "
                                      "fr (default) or en")] = "fr",
) -> None:
    """Load the reference dataset, analyse it, write an interactive map and a report.

    Writes into DIR: the embedded store (unless --store is given), carte.html (offline map),
    rapport.html, chargement.json (load report) and summary.json.
    """
    from maillage.demo import run_demo

    _set_lang(lang)
    _not_stdout(out_dir)
    with _progress() as progress:
        summary = run_demo(out_dir, store_uri=store or state.store_uri, lang=lang,
                           progress=_progress_callback(progress, _t("référentiel", "reference")))
    o = summary["outputs"]
    out.print(escape(_t(
        f"Référentiel chargé et analysé : {_n_fr(summary['actors'], 'acteur')}, {_n_fr(summary['relations'], 'lien')}, "
        f"{_n_fr(summary['poles'], 'pôle')} ({_n_fr(summary['persons'], 'personne')} "
        f"{'gardée' if summary['persons'] <= 1 else 'gardées'} hors des vues publiques)",
        f"Reference dataset loaded and analysed: {_counted(summary['actors'], 'acteur', 'actor')}, "
        f"{_counted(summary['relations'], 'lien', 'tie')}, {_counted(summary['poles'], 'pôle', 'pôle')} "
        f"({_counted(summary['persons'], 'personne', 'person')} kept out of public views)")))
    others = summary["other_sources"]
    if others:  # a store given with --store that already held other sources: they are in the counts
        shown = ", ".join(others[:5]) + (", …" if len(others) > 5 else "")
        out.print(escape(_t(
            f"remarque : cette base tenait déjà {len(others)} {'autres sources' if len(others) > 1 else 'autre source'} "
            f"que le référentiel ({shown}) : "
            "les comptes ci-dessus, la carte et le rapport les incluent ; pour le référentiel seul, lancez la "
            "démonstration sans --store (elle écrit sa propre base dans le dossier de sortie)",
            f"note: this store already held {len(others)} other source{'s' if len(others) > 1 else ''} besides the "
            f"reference ({shown}): the counts above, the map and the report include them; for the reference alone, "
            "run the demo without --store (it writes its own store in the output folder)")))
    console.print(f"{_t('Carte : ', 'Map: ')}{escape(str(o['map']))}\n"
                  f"{_t('Rapport : ', 'Report: ')}{escape(str(o['report']))}\n"
                  f"{_t('Détail (JSON) : ', 'Details (JSON): ')}{escape(str(Path(o['load_report']).parent / 'summary.json'))}")


@app.command(cls=_Command)
def resolve(
    review: Annotated[bool, typer.Option("--review", help="List the possible merges waiting for a decision "
                                         "(id, statement, candidate, score, reason)")] = False,
    accept: Annotated[Optional[str], typer.Option("--accept", metavar="ID",
                                                  help="Accept proposal ID: its statement (with the statements of "
                                                       "its actor) joins the candidate")] = None,
    reject: Annotated[Optional[str], typer.Option("--reject", metavar="ID",
                                                  help="Reject proposal ID: never merge nor propose that pair again")] = None,
    log: Annotated[bool, typer.Option("--log", help="List the merges with the rule that made each one, and the "
                                                    "ids a source loaded again kept for renamed statements")] = False,
    undo: Annotated[Optional[str], typer.Option("--undo", metavar="SOURCE:KEY",
                                                help="Undo the merge of one statement, or the id it kept from its "
                                                     "source's earlier load: it gets its own actor; an accepted "
                                                     "merge is undone whole, its proposal back to review")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="--review / --log: only this source")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="--review / --log: print JSON")] = False,
    lang: Annotated[str, _lang_option()] = "fr",
) -> None:
    """Review entity resolution: possible merges, merges made, and decisions on them.

    Statements of different sources are merged into one actor by identifier, territory, name,
    core name or a fuzzy match (docs/resolution.md); matches below the merge threshold are kept
    as proposals. Every decision (--accept, --reject, --undo) is recorded in the store and
    still holds when the source is loaded again. A source loaded again keeps its actors' ids, a
    member renamed in its list included (rule kept in --log, with the earlier name); --undo
    gives it an id of its own if it is in fact another organisation.

    \b
    Examples:
      maillage resolve --review
      maillage resolve --accept p3f2a9c01d
      maillage resolve --log --source reference:s000b
      maillage resolve --undo reference:s003_004:urscop
    """
    from maillage.loaders import resolution as res

    _set_lang(lang)
    chosen = [name for name, on in (("--review", review), ("--accept", accept), ("--reject", reject),
                                     ("--log", log), ("--undo", undo)) if on]
    if len(chosen) != 1:
        one = "--review, --accept ID, --reject ID, --log, --undo SOURCE:KEY"
        raise typer.BadParameter(_t(f"donnez exactement l'une de {one}", f"give exactly one of {one}")
                                 + (_t(f" (reçu {', '.join(chosen)})", f" (got {', '.join(chosen)})") if chosen else ""))
    if (source or as_json) and not (review or log):
        raise typer.BadParameter(_t("--source et --json vont avec --review ou --log",
                                    "--source and --json go with --review or --log"))
    with _open() as store:
        if source and store.source(source) is None:
            loaded = ", ".join(s.id for s in store.sources())
            raise typer.BadParameter(_t(f"aucune source {source!r} dans {store.uri} ; chargées : {loaded or 'aucune'}",
                                        f"no source {source!r} in {store.uri}; loaded: {loaded or 'none'}"))
        if review:
            items = res.review_queue(store, source)
            if as_json:
                out.print_json(json.dumps([i.as_dict(state.lang) for i in items], ensure_ascii=False))
                return
            if not items:
                out.print(_t("Aucune proposition en attente.", "No pending proposal."))
                return
            t = Table(title=_t(f"Propositions à examiner ({len(items)})", f"Proposals to review ({len(items)})"))
            t.add_column("id", no_wrap=True)
            t.add_column(_t("énoncé (source:clé, nom)", "statement (source:key, name)"), overflow="fold")
            t.add_column(_t("candidat (nom, id)", "candidate (name, id)"), overflow="fold")
            t.add_column("score", justify="right")
            t.add_column(_t("raison", "reason"))
            for i in items:
                others = ""
                if i.together:
                    plural = "s" if i.together > 1 else ""
                    others = _t(f"\n(+ {i.together} énoncé{plural} du même acteur)",
                                f"\n(+ {i.together} statement{plural} of the same actor)")
                t.add_row(i.id, escape(f"{i.source}:{i.key}\n{i.name}{others}"),
                          escape(f"{i.candidate_name}\n{i.candidate_id}"),
                          _score(i.score), escape(res.reason_label(i.reason, state.lang)))
            out.print(t)
        elif accept or reject:
            item = res.accept(store, accept) if accept else res.reject(store, reject)
            if state.lang == "en":
                verb = "accepted: merged into" if accept else "rejected: kept apart from"
                along = f" (with the {item.together} other statements of its actor)" if accept and item.together else ""
                said = (f"{item.id} {verb} {item.candidate_id} « {item.candidate_name} »: "
                        f"{item.source}:{item.key} « {item.name} »{along}")
            else:
                verb = "acceptée : fusionné avec" if accept else "refusée : gardé à part de"
                along = (f" (avec les {item.together} autres énoncés de son acteur)" if accept and item.together
                         else "")
                said = (f"{item.id} {verb} {item.candidate_id} « {item.candidate_name} » : "
                        f"{item.source}:{item.key} « {item.name} »{along}")
            console.print(escape(said), highlight=False)
            if accept and store.runs():  # a reject changes no actor and no tie: the runs still hold
                _rerun_hint(console)
        elif log:
            rows = res.merge_log(store, source)
            if as_json:
                out.print_json(json.dumps(rows, ensure_ascii=False))
                return
            t = Table(title=_t(f"Fusions ({len(rows)})", f"Merges ({len(rows)})"))
            t.add_column(_t("énoncé (source:clé)", "statement (source:key)"), overflow="fold")
            t.add_column(_t("acteur (nom, id)", "actor (name, id)"), overflow="fold", min_width=22)  # the name first
            t.add_column(_t("règle", "rule"))
            t.add_column("score", justify="right")
            t.add_column(_t("correspondance", "matched"), overflow="fold")
            for r in rows:
                t.add_row(escape(f"{r['source']}:{r['key']}"), escape(f"{r['actor_name'] or ''}\n{r['actor_id']}"),
                          escape(res.rule_label(r["rule"], state.lang)), _score(r["score"]),
                          escape(r["matched"] or ""))
            out.print(t)
        else:
            sid, key = res.split_statement_ref(store, undo)
            was = next((r for r in store.resolution_log(sid) if r["key"] == key), None)
            new_id = res.undo(store, sid, key)
            if was and was["rule"] == "accepted":
                said = _t(f"{sid}:{key} : fusion acceptée défaite, les énoncés qu'elle avait fusionnés sont de nouveau "
                          f"l'acteur {new_id}",
                          f"{sid}:{key}: accepted merge undone, the statements it merged are actor {new_id} again")
                if any(new_id in (i.actor_id, i.candidate_id) for i in res.review_queue(store)):
                    said += _t(" ; la proposition revient à l'examen (maillage resolve --review)",
                               "; the proposal is back for review (maillage resolve --review)")
            else:
                said = _t(f"{sid}:{key} détaché : désormais l'acteur {new_id} (gardé au rechargement)",
                          f"{sid}:{key} detached: now actor {new_id} (kept on reload)")
            if was and was["rule"] == "kept" and store.get_actor(was["actor_id"]) is None:
                old = was["actor_id"]
                said += _t(f" ; l'acteur {old} du chargement précédent ({was['matched']}) n'est plus dans la base",
                           f"; actor {old} of the earlier load ({was['matched']}) is no longer in the store")
            console.print(escape(said), highlight=False)
            if store.runs():
                _rerun_hint(console)


def _argv_lang(argv: list[str]) -> str:
    """The language asked on the command line (``--lang en``, ``--lang=en``) or by
    ``$MAILLAGE_LANG``, for an error met before the command read its options."""
    for k, arg in enumerate(argv):
        if arg == "--lang" and k + 1 < len(argv):
            return "en" if argv[k + 1] == "en" else "fr"
        if arg.startswith("--lang="):
            return "en" if arg == "--lang=en" else "fr"
    return _env_lang()


def _usage_error_fr(e) -> str:
    """A usage error of the command line (click's, by shape: typer bundles its own click) in
    French: click states them in English only."""
    from maillage.loaders.motifs import motif

    kind = type(e).__name__
    param = getattr(e, "param", None)
    hint = getattr(e, "param_hint", None) or (param.get_error_hint() if param is not None else None)
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    hint = hint.replace("'", "") if hint else hint  # « --depth », not « '--depth' »
    if kind == "NoSuchOption":
        close = sorted(getattr(e, "possibilities", None) or [])
        return f"option inconnue : {e.option_name}" + (f" (vouliez-vous dire {', '.join(close)} ?)" if close else "")
    if kind == "MissingParameter":
        what = {"argument": "l'argument", "option": "l'option"}.get(getattr(param, "param_type_name", ""), "")
        return f"il manque {what} {hint}".replace("  ", " ") if hint else "il manque un paramètre"
    if kind == "NoSuchCommand" or str(e.message).startswith("No such command"):
        said = str(e.message).removeprefix("No such command ")
        name, _, close = said.partition(". Did you mean ")
        return f"commande inconnue : {name.rstrip('.')}" + (f" (vouliez-vous dire {close.rstrip('?')} ?)" if close else "")
    if m := re.fullmatch(r"Option '([^']+)' requires (?:an argument|(\d+) arguments)\.", str(e.message)):
        return f"l'option {m[1]} attend " + (f"{m[2]} valeurs" if m[2] else "une valeur") + " après son nom"
    if m := re.fullmatch(r"Option '([^']+)' does not take a value\.", str(e.message)):
        return f"l'option {m[1]} ne prend pas de valeur"
    if str(e.message).startswith("Got unexpected extra argument"):
        m = re.search(r"\(([^()]*)\)$", str(e.message))
        extra = m.group(1) if m else str(e.message)
        return (f"argument en trop : {extra} (une valeur d'option se donne après son nom, par exemple "
                "--pole « Nom du pôle »)")
    message = motif(str(e.message)).removeprefix("valeur invalide : ")  # pydantic's, through the table
    if kind == "BadParameter":
        return f"valeur invalide pour {hint} : {message}" if hint else message  # ours say what is wrong
    return message


def _show_usage_error(e) -> None:
    """A usage error (bad option, missing argument…): the usage line, where to find help and
    the error, in the language asked (click's own wording in English)."""
    if _argv_lang(sys.argv[1:]) == "en" or type(e).__name__ == "NoArgsIsHelpError":  # the latter: the help
        e.show()
        return
    ctx = e.ctx
    if ctx is not None:
        console.print(escape(ctx.get_usage().replace("Usage:", "Usage :", 1)), highlight=False)
        console.print(escape(f"Essayez « {ctx.command_path} --help » pour l'aide.\n"), highlight=False)
    else:  # click's parser says some errors before any command has a context (« --format » with no value)
        names = {c.name or c.callback.__name__ for c in app.registered_commands}
        command = next((a for a in sys.argv[1:] if a in names), None)
        console.print(escape(f"Essayez « maillage{' ' + command if command else ''} --help » pour l'aide.\n"),
                      highlight=False)
    console.print(f"[red]erreur :[/] {escape(_usage_error_fr(e))}", highlight=False, soft_wrap=True)


#: The system's refusals (``errno``) a user meets, as said once the path is known (French by
#: :mod:`maillage.loaders.motifs`).
_OS_WORDS = {errno.ENOENT: "no such file or folder", errno.EACCES: "permission denied (this user may not read or "
             "write there)", errno.EPERM: "permission denied (this user may not read or write there)",
             errno.EEXIST: "a file is there, where a folder is needed",
             errno.ENOTDIR: "a part of this path is a file, not a folder",
             errno.EISDIR: "a folder, where a file is needed", errno.ENOSPC: "no space left on the disk",
             errno.EROFS: "a read-only file system"}


def os_message(e: OSError) -> str:
    """A refusal of the system to read or write a file, as the user can act on it: the path they
    gave (not the hidden ``.NAME.PID.part`` file an output is first written to) and what is wrong,
    in words; « [Errno 13] Permission denied: '/sys/.x.gexf.7597.part' » becomes
    « /sys/x.gexf: permission denied (…) ». An errno not listed keeps the system's words.

    >>> os_message(PermissionError(13, "Permission denied", "/sys/.x.gexf.7597.part"))
    '/sys/x.gexf: permission denied (this user may not read or write there)'
    """
    path = e.filename
    if path is None:
        return str(e)
    p = Path(os.fsdecode(path))
    part = re.fullmatch(r"\.(.+)\.\d+\.part", p.name)
    shown = str(p.with_name(part.group(1)) if part else p)
    return f"{shown}: {_OS_WORDS.get(e.errno, e.strerror or str(e))}"


def main() -> None:
    """Entry point: run the app, turning errors into one clear line (in French unless ``--lang
    en``: known messages through :mod:`maillage.loaders.motifs`) unless --debug."""
    from maillage.loaders.motifs import motif

    notes = logging.getLogger("maillage")
    if not any(isinstance(h, _Notes) for h in notes.handlers):
        notes.addHandler(_Notes(logging.WARNING))
    try:
        code = app(standalone_mode=False)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        code = 130
    except Exception as e:  # noqa: BLE001 (the one place errors become messages)
        # typer bundles its own click: recognise its exceptions by shape, not by import
        if type(e).__name__ == "Exit" and hasattr(e, "exit_code"):
            sys.exit(e.exit_code)
        if type(e).__name__ == "Abort":
            console.print(_t("abandon", "aborted"))
            sys.exit(1)
        if hasattr(e, "show") and hasattr(e, "exit_code"):  # usage errors, bad parameters
            _show_usage_error(e)
            sys.exit(e.exit_code)
        if state.debug or "--debug" in sys.argv:
            raise
        message = os_message(e) if isinstance(e, OSError) else str(e)
        console.print(f"[red]{_t('erreur :', 'error:')}[/] {escape(motif(message, state.lang))}", highlight=False,
                      soft_wrap=True)
        sys.exit(1)
    if code == 130:  # Ctrl-C: click, not standalone, returns 130 instead of raising KeyboardInterrupt
        console.print(_t("interrompu (Ctrl-C) : une écriture en cours n'a rien gardé (une transaction) ; « maillage "
                         "sources » dit ce que la base contient", "interrupted (Ctrl-C): a write under way kept "
                         "nothing (one transaction); « maillage sources » says what the store holds"), highlight=False)
    if isinstance(code, int) and code:  # typer.Exit(n) in a command: click returns n when not standalone
        sys.exit(code)


if __name__ == "__main__":
    main()
