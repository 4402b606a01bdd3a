"""The README's French quick start, run as written: a member list and the Haute-Garonne subsidy
file, then analyse, report and map, each command as a real subprocess in a fresh folder. A
command the README gives that fails, or a file it promises that is not written, fails here."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from _env import ROOT, need_shared
from _workbooks import write_xlsx

SCDL = ("scdl-haute-garonne", "SCDL_DEP_Haute Garonne_datalocale-subvention.csv")


def quick_start_commands() -> list[list[str]]:
    """The commands of the README's French section, as argument lists (``maillage`` and after)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### En français", 1)[1].split("\n---", 1)[0]
    block = section.split("```", 2)[1]
    out = []
    for line in block.strip().splitlines():
        words = shlex.split(line, comments=True)
        assert words[0] == ".venv/bin/maillage", line
        out.append(words[1:])
    return out


def test_the_french_quick_start_runs_as_written(tmp_path):
    commands = quick_start_commands()
    assert [c[0] for c in commands] == ["load", "load", "analyse", "report", "viz", "export", "serve"]
    write_xlsx(tmp_path / "membres.xlsx", {"Membres": [
        ["Nom", "Type", "SIRET", "Collège"],
        ["Tennis Roques Olympic Club", "Association", "44137080600016", "Associations"],
        ["Le Pinceau Roquois", "Association", "43285060000011", "Associations"],
        ["Commune de Roques", "Collectivité", "21310458100011", "Collectivités"],
        ["", "Association", "", "Associations"],  # no name: rejected, into rejets/
    ]})
    scdl = need_shared("realdata", *SCDL)
    env = {k: v for k, v in os.environ.items() if k not in ("MAILLAGE_LANG", "MAILLAGE_STORE")}
    for args in commands[:-1]:  # serve runs until stopped: tests/test_serve.py starts it
        args = [str(scdl) if a == "subventions.csv" else a for a in args]
        res = subprocess.run([sys.executable, "-m", "maillage.cli", *args], cwd=tmp_path, capture_output=True,
                             text=True, timeout=600, env=env)
        assert res.returncode == 0, (args, res.stderr[-2000:])
        # followed as written, no step ends on a remark asking for another analysis
        assert "remarque" not in res.stdout + res.stderr, (args, res.stdout[-2000:])
    assert (tmp_path / "maillage.db").exists()
    (report,) = [p for p in (tmp_path / "rapports").glob("rapport-*.html") if not p.stem.endswith("-carte")]
    html = report.read_text(encoding="utf-8")
    assert "Mon pôle" in html and "Le Pinceau Roquois" in html
    assert (report.parent / f"{report.stem}-carte.html").exists()  # the report's map, beside it
    assert (tmp_path / "carte.html").stat().st_size > 10_000
    actors = (tmp_path / "acteurs.csv").read_text(encoding="utf-8-sig").splitlines()  # for a spreadsheet
    assert actors[0].startswith("identifiant;nom;famille;type;lieu;"), actors[0]
    assert any(";Le Pinceau Roquois;Structure de l'ESS;Association;" in line for line in actors), actors
    rejects = (tmp_path / "rejets" / "membres.rejects.csv").read_text(encoding="utf-8-sig")
    assert re.search(r"colonne 'Nom' est vide|pas de nom", rejects), rejects
