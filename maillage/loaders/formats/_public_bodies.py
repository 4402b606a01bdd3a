"""Which public body a SIREN designates: its level (commune, EPCI, département, région, État)
and the territory it administers — from the identifier, never from the name.

Rules, in order:

1. the shipped geography (:func:`maillage.geography.load_geography`) knows the SIREN of every
   commune, EPCI à fiscalité propre and EPT: ``213104581`` → commune of Roques
   (``commune:31458``); ``243100633`` → CA du Sicoval (``epci:243100633``);
2. the shipped table ``maillage/data/collectivites/departements_regions_siren.csv`` (see its
   README for provenance) knows the conseils départementaux and régionaux: ``228000014`` →
   Département de la Somme (``departement:80``);
3. otherwise only the kind can be *inferred* from INSEE's numbering of the public sector, and
   the territory stays unknown: ``21…`` commune (e.g. a former commune merged into a commune
   nouvelle), ``22…`` département, ``23…`` région (e.g. a pre-2016 région). The shipped data
   bear this out: a commune's SIREN starts with ``21`` unless the commune is recent, an EPCI's
   with ``24``, a département's with ``22``, a région's with ``23``, and no other level uses
   these prefixes — ``tests/test_loader_scdl.py`` checks it. Bodies created since the 2000s
   get ``200…`` numbers whatever their level (and communes nouvelles of 2024–2025 ``92…``/``93…``),
   so those say nothing.

:func:`attribuant_body` adds what is reasonable for the *attribuant* of a subsidy file
(by the SCDL schema's definition a public body): another ``2…`` SIREN is a collectivité of an
unknown kind (syndicat, former EPCI…), and a ``1…`` SIREN the State or a national public body
(INSEE numbers the public sector from 1 and 2: 1 for the State and its national bodies, 2 for
collectivités and their groupings and bodies).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class PublicBody:
    """``family``/``kind`` from the vocabulary; ``territory`` it administers (or None);
    ``certainty`` ``stated`` when a reference table knows the SIREN, ``inferred`` from its shape;
    ``why`` says which rule decided."""

    family: str
    kind: str
    territory: str | None
    certainty: str
    why: str
    name: str | None = None


@lru_cache(maxsize=1)
def departements_regions() -> dict[str, tuple[str, str | None, str]]:
    """``{siren: (kind, territory or None, name)}`` from the shipped table."""
    path = resources.files("maillage.data").joinpath("collectivites/departements_regions_siren.csv")
    with path.open("r", encoding="utf-8", newline="") as f:
        return {r["siren"]: (r["kind"], r["territory"] or None, r["name"]) for r in csv.DictReader(f)}


_GEO_KIND = {"commune": "commune", "epci": "epci", "ept": "epci"}


def public_body(siren: str | None) -> PublicBody | None:
    """The collectivité a SIREN designates (rules 1–3 of the module docstring), or None."""
    if not siren:
        return None
    from maillage.geography import load_geography

    t = load_geography().by_siren(siren)
    if t is not None and t.level in _GEO_KIND:
        return PublicBody("collectivite", _GEO_KIND[t.level], t.id, "stated",
                          f"SIREN {siren} is the {t.level} {t.name} in the reference geography", t.name)
    known = departements_regions().get(siren)
    if known is not None:
        kind, territory, name = known
        return PublicBody("collectivite", kind, territory, "stated",
                          f"SIREN {siren} is the {kind} {name} in the shipped table of départements and régions",
                          name)
    prefix = {"21": "commune", "22": "departement", "23": "region"}.get(siren[:2])
    if prefix:
        said = {"departement": "département", "region": "région"}.get(prefix, prefix)
        return PublicBody("collectivite", prefix, None, "inferred",
                          f"SIREN {siren} starts with {siren[:2]}: a {said} by INSEE's numbering, "
                          "not found in the reference geography (territory unknown)")
    return None


def attribuant_body(siren: str | None) -> PublicBody | None:
    """:func:`public_body`, then what the shape of an attribuant's SIREN implies (module docstring)."""
    body = public_body(siren)
    if body is not None or not siren:
        return body
    if siren.startswith("2"):
        return PublicBody("collectivite", "collectivite_autre", None, "inferred",
                          f"SIREN {siren} starts with 2 (a collectivité or one of its groupings or bodies) "
                          "but is neither a commune, an EPCI, a département nor a région of the reference data")
    if siren.startswith("1"):
        return PublicBody("state", "etat_autre", None, "inferred",
                          f"SIREN {siren} starts with 1: the State or a national public body by INSEE's numbering")
    return None
