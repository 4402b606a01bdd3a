"""``--help`` speaks French by default, as every line the commands print (run as a real
subprocess: the language is read from the command line and the environment)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import typer.main

from maillage.cli import app
from maillage.cli_help import FR


def _texts() -> list[tuple[str, str]]:
    """``(where, English help)`` of the group, every command and every parameter."""
    group = typer.main.get_command(app)
    out = [("maillage", group.help)] + [(f"maillage {'/'.join(p.opts)}", p.help) for p in group.params]
    for name, cmd in group.commands.items():
        out.append((name, cmd.help))
        out += [(f"{name} {'/'.join(p.opts)}", p.help) for p in cmd.params if getattr(p, "help", None)]
    return [(w, t) for w, t in out if t]


def help_of(*args: str, lang: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "MAILLAGE_LANG"} | ({"MAILLAGE_LANG": lang} if lang else {})
    env["COLUMNS"] = "100"
    res = subprocess.run([sys.executable, "-m", "maillage.cli", *args], capture_output=True, text=True, env=env,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_every_help_text_has_its_french_and_the_table_nothing_else():
    texts = _texts()
    missing = [w for w, t in texts if t not in FR]
    assert not missing, f"help texts without their French in maillage/cli_help.py: {missing}"
    stale = set(FR) - {t for _, t in texts}
    assert not stale, f"French for help texts the commands no longer have: {[s[:60] for s in stale]}"


@pytest.mark.parametrize(("where", "en"), _texts(), ids=[w for w, _ in _texts()])
def test_the_french_keeps_the_examples_and_the_layout(where, en):
    """The French of a help text keeps its example command lines word for word, its paragraphs
    and click's no-rewrap marks (``\\b``), and is not the English left as it was."""
    fr = FR[en]

    def examples(t: str) -> list[str]:
        return [x.strip() for x in t.splitlines() if x.strip().startswith("maillage ")]

    assert examples(fr) == examples(en)
    assert fr.count("\b") == en.count("\b")
    assert fr.count("\n\n") == en.count("\n\n")
    assert fr != en or len(en) < 12  # a bare name (« --debug ») may read the same in both


def test_help_is_french_by_default_and_english_when_asked():
    fr = help_of("load", "--help")
    assert fr.startswith("Usage : ")
    assert "\nArguments :\n" in fr and "\nOptions :\n" in fr
    assert "[obligatoire]" in help_of("remove", "--help")  # click's « [required] », in French
    assert "Afficher cette aide et quitter." in fr
    assert "[défaut : carte.html]" in help_of("viz", "--help")
    assert "default" not in help_of("analyse", "--help")  # « [default:\n diagnostics] », wrapped, too
    # before the command too, as --store: `maillage --lang en load --help`
    assert help_of("--lang", "en", "load", "--help").startswith("Usage: ")
    first = FR[typer.main.get_command(app).commands["load"].help].split("\n")[0]
    assert " ".join(first.split()[:6]) in " ".join(fr.split())
    assert "Load files into the store" not in fr and "Show this message" not in fr
    for en in (help_of("load", "--help", "--lang", "en"), help_of("load", "--lang=en", "--help"),
               help_of("load", "--help", lang="en")):
        assert en.startswith("Usage: ") and "Load files into the store" in en
        assert "Afficher" not in en
    # --lang fr wins over the environment, as for what the commands print
    assert help_of("load", "--help", "--lang", "fr", lang="en").startswith("Usage : ")


def test_the_command_list_is_french_and_the_texts_are_put_back():
    """``maillage --help`` lists the commands with the first sentence of their French help; the
    English texts are back on the commands once the page is drawn (a second page in English in
    the same process is English)."""
    page = help_of("--help")
    assert "\nCommandes :\n" in page
    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():
        line = next(x for x in page.splitlines() if re.match(rf"\s+{name}\s", x))
        assert line.split(None, 1)[1][:15] == " ".join(FR[cmd.help].split())[:15], name
    from typer.testing import CliRunner

    runner = CliRunner()
    assert "Usage : " in runner.invoke(app, ["stats", "--help"], env={"MAILLAGE_LANG": "fr"}).output
    assert group.commands["stats"].help in FR  # put back: the English, the table's key
    assert "Usage: " in runner.invoke(app, ["stats", "--help"], env={"MAILLAGE_LANG": "en"}).output


def test_load_help_names_the_formats_that_take_each_option_as_the_loaders_declare():
    """--pole and --year said « Member lists » though a list of places takes them too: each format
    option's help names the formats whose loader takes it (:data:`maillage.loaders.LOADERS`, each
    loader's ``options``), in English and in French; --option's points to where they are listed."""
    from maillage.loaders import formats_taking

    load = typer.main.get_command(app).commands["load"]
    helps = {p.name: p.help for p in load.params}
    for param, key in (("pole", "pole"), ("year", "year"), ("mapping", "mapping")):
        for text in (helps[param], FR[helps[param]]):
            named = re.search(r"\(formats? ([a-z, -]+)\)", text)
            assert named, (param, text)
            assert named.group(1).split(", ") == formats_taking(key), (param, text)
    assert "docs/formats/" in helps["option"]
    assert set(formats_taking("pole")) == {"members", "places"} and formats_taking("mapping") == ["subsidies"]
    en = " ".join(help_of("load", "--help", "--lang", "en").split())
    assert "--pole <str> Member or place lists (formats members, places): the pôle" in en, en
