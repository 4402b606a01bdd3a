"""Each format declares the options it takes, once (``Loader.options``); ``load_file`` refuses any
other before the file is parsed, whatever the format, and ``maillage load`` checks them all,
for every file, before loading any (tests/test_cli.py)."""

from __future__ import annotations

import pytest

from maillage.loaders import LOADERS, LoadError, formats_taking, load_file
from maillage.loaders.base import Loader


@pytest.mark.parametrize("fmt", sorted(LOADERS))
def test_an_option_the_format_does_not_take_is_refused_before_the_file_is_parsed(fmt, store, tmp_path):
    """The file is a member list whatever the format forced: a parse would fail on it otherwise
    (or load it); the option is refused first, naming the options the format takes, and nothing
    is written."""
    path = tmp_path / "membres.csv"
    path.write_text("nom;commune\nLa Cigale;Albi\n", encoding="utf-8")
    loader = LOADERS[fmt]
    assert Loader in type(loader).__mro__ and isinstance(loader.options, frozenset)  # declared on the base class
    wrong = "pole" if "pole" not in loader.options else "mapping"
    with pytest.raises(LoadError) as e:
        load_file(store, path, format=fmt, options={wrong: "x"}, rejects_dir=tmp_path / "rejets")
    assert str(e.value).startswith(f"{path}: format {fmt!r} does not take option(s) {wrong}; it takes: "), e.value
    assert store.sources() == [] and not (tmp_path / "rejets").exists()
    assert fmt not in formats_taking(wrong)


def test_what_each_format_takes():
    """The declarations the command line's check and the docs' table read (docs/cli.md)."""
    table = {"sheet", "encoding", "delimiter"}
    assert {n: set(x.options) for n, x in LOADERS.items() if not set(x.options) & {"pole"}} == {
        "maillage-jsonl": set(), "ftm": set(), "kumu": {"elements", "connections"}, "popolo": {"legislature_family"},
        "scdl": table, "odf-subventions": table, "sirene": table, "subsidies": table | {"mapping"}}
    assert LOADERS["members"].options == LOADERS["places"].options >= {"pole", "year", "sheet", "column.name"}
