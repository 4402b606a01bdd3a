"""The notebooks of notebooks/ (jupytext percent-format .py sources): each is converted to
.ipynb in a temporary directory and executed in a Jupyter kernel running this venv's Python;
a failing cell fails the test. Each must open with its question (French, with an English
line) and end with its answer (a « Réponse » markdown cell, then code that computes and
asserts it), and no output may contain the name of a natural person of the reference data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import jupytext  # dependencies of the project (pyproject.toml): imported, never skipped
import nbclient
from nbformat.v4 import new_code_cell  # nbformat comes with nbclient

from maillage.analytics.run import person_names
from maillage.graph import open_store
from maillage.loaders import load_reference

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
PROBE = "import sys; print('PREFIX=' + sys.prefix)"


@pytest.fixture(scope="module")
def names() -> list[str]:
    store = open_store(":memory:")
    load_reference(store)
    found = person_names(store)
    store.close()
    assert found, "the reference data should hold natural persons (the check would be vacuous)"
    return found


def test_the_four_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == [
        "01_tour_api_python.py", "02_analyse_chercheur.py",
        "03_acteurs_isoles_departement.py", "04_animateur_pole.py"]
    assert not list((ROOT / "notebooks").glob("*.ipynb")), "only the .py sources are committed"


def structure_errors(nb) -> list[str]:
    """What is wrong with the question-first / answer-last layout (empty when it is right)."""
    errors, cells = [], nb.cells
    first = cells[0]
    if first.cell_type != "markdown" or not first.source.lstrip().startswith("# Question"):
        errors.append("the first cell must be a markdown cell starting with '# Question'")
    elif "English" not in first.source:
        errors.append("the question cell must have an English line")
    answers = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.lstrip().startswith("## Réponse")]
    if not answers:
        errors.append("no '## Réponse' markdown cell")
    else:
        tail = cells[answers[-1] + 1:]
        if not tail or any(c.cell_type != "code" for c in tail):
            errors.append("the '## Réponse' cell must be followed by code cells only")
        elif "assert " not in tail[-1].source or "Réponse" not in tail[-1].source:
            errors.append("the last cell must print the answer ('Réponse') and assert it")
    return errors


def texts(nb) -> list[str]:
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                out.append(o.text)
            elif o.output_type == "error":
                out.append(f"{o.ename}: {o.evalue}")
            else:
                out.extend(v for k, v in o.get("data", {}).items() if k.startswith("text/") and isinstance(v, str))
    return out


def test_structure_check_catches_a_notebook_without_an_answer():
    nb = jupytext.reads("# %% [markdown]\n# # Question : x ?\n# English: x?\n\n# %%\nprint(1)\n", fmt="py:percent")
    assert structure_errors(nb) == ["no '## Réponse' markdown cell"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_with_question_answer_and_no_person(path, tmp_path, names):
    nb = jupytext.read(path)
    assert structure_errors(nb) == []
    # the .ipynb is built here, in a temporary directory; the kernel also runs there
    ipynb = tmp_path / (path.stem + ".ipynb")
    jupytext.write(nb, ipynb)
    nb = jupytext.read(ipynb)
    nb.cells.append(new_code_cell(PROBE))
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=False,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError (the failing cell and its traceback) on error

    probe = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert probe.strip() == f"PREFIX={sys.prefix}", "the kernel must run this venv's Python"
    answer = "".join(o.get("text", "") for o in nb.cells[-2].outputs if o.output_type == "stream")
    assert answer.startswith("Réponse"), "the answer cell must print its computed answer"

    shown = "\n".join(texts(nb)).casefold()
    leaked = [n for n in names if n.casefold() in shown]
    assert leaked == [], f"natural persons shown in the outputs: {leaked}"
    # nothing is written inside the repository
    assert not list((ROOT / "notebooks").glob("*.ipynb"))
