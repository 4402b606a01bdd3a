"""maillage's own JSON lines (maillage/loaders/jsonl.py): what a broken line leaves in the rejects file."""

from __future__ import annotations

import json
from pathlib import Path

from _jsonl import actor
from _loading import load_file, rejects_of


def test_a_line_that_is_not_json_leaves_its_content_out_of_the_rejects_file(store, tmp_path):
    """A broken line may be a person's record: its first 80 characters went to the rejects file's
    value (« Marie Martin », her e-mail); the reason says where it breaks, as for FollowTheMoney
    (docs/privacy.md, « Rejected rows »)."""
    path = tmp_path / "eco.jsonl"
    path.write_text(json.dumps(actor("a1", "Coop Alpha", "ess")) + "\n"
                    + '{"record": "actor", "key": "p1", "name": "Marie Martin", "family": "person", '
                      '"email": "marie@example.fr"\n', encoding="utf-8")
    report = load_file(store, path, format="maillage-jsonl", rejects_dir=tmp_path)
    assert (report.loaded, report.rejected) == (1, 1)
    (row,) = rejects_of(report)
    text = Path(report.rejects_file).read_text(encoding="utf-8-sig")
    assert not [s for s in ("Marie", "marie@example.fr", "p1") if s in text], text
    assert row["reason"].startswith("not valid JSON: ") and "column" in row["reason"], row
    assert (row["value"], row["original"]) == ("", "")


def test_a_certainty_is_read_in_the_words_of_every_loader(store, tmp_path):
    """« prévu » in a line's provenance (a person's edit) rejected the relation, its reason naming
    the codes only. It is read as every loader reads a certainty
    (:func:`maillage.loaders.cells.certainty_of`); another word still rejects the line, as any value
    of this format the model refuses (docs/reliability.md), naming the words expected."""
    from _jsonl import relation

    path = tmp_path / "eco.jsonl"
    lines = [actor("a", "Coop Alpha", "ess"), actor("b", "Coop Beta", "ess"),
             relation("cooperates", "a", "b", certainty="Prévu"), relation("partner", "a", "b", certainty="incertain")]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    report = load_file(store, path, format="maillage-jsonl", rejects_dir=tmp_path, lang="fr")
    assert [(r.type, r.provenance.certainty) for r in store.relations()] == [("cooperates", "planned")]
    assert [(r["row"], r["level"], r["column"], r["value"], r["reason"]) for r in rejects_of(report)] == [
        ("4", "rejected", "provenance.certainty", "incertain", "certitude 'incertain' non reconnue (attendu : "
         "« affirmé », « implicite », « déduit », « prévu », ou en anglais stated, implied, inferred, planned)")]
