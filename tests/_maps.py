"""Reading a map page in the tests: the JSON data block every map carries."""

from __future__ import annotations

import json
import re


def map_data(html: str) -> dict:
    """The nodes, edges and options a map page draws (its ``donnees-carte`` block)."""
    m = re.search(r'<script type="application/json" id="donnees-carte">(.*?)</script>', html, re.S)
    assert m, "the map's data block is missing"
    return json.loads(m.group(1))
