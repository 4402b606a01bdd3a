"""Each benchmark rewrites its own section of a docs page, between two HTML comments."""

from __future__ import annotations

from pathlib import Path


def write_section(doc: Path, section: str, begin: str, end: str, new_page: str = "# Benchmarks\n") -> None:
    """Put ``section`` (which starts with ``begin`` and ends with ``end``) in place of the text
    between those markers in ``doc``, markers included; append it when they are not there
    (``new_page`` when ``doc`` does not exist)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else new_page
    if begin in text and end in text:
        text = text[:text.index(begin)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")
