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

:attr:`PublicBody.official_name` is the body's name as the reference data write it (see
:func:`official_name`); :func:`name_in_place_of_capitals` shows it where a file writes the name
only in capitals (« COMMUNE DE ROQUES » → « Commune de Roques »).

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
    ``why`` says which rule decided; ``name`` the territory's name in the reference data and
    ``official_name`` the collectivité's own (:func:`official_name`), when the SIREN is known."""

    family: str
    kind: str
    territory: str | None
    certainty: str
    why: str
    name: str | None = None
    official_name: str | None = None


# Collectivités whose name is not « Commune/Département/Région de … » of the territory they
# administer: a statut particulier (Paris), a collectivité unique (Corse, Martinique, Guyane),
# the Collectivité européenne d'Alsace (two départements), La Réunion's région (its own usage).
_OWN_NAMES = {
    "217500016": "Ville de Paris",
    "200076958": "Collectivité de Corse",
    "200055507": "Collectivité territoriale de Martinique",
    "200052678": "Collectivité territoriale de Guyane",
    "200094332": "Collectivité européenne d'Alsace",
    "239740012": "Région Réunion",
}


def official_name(siren: str, territory: str | None) -> str | None:
    """The name of the collectivité whose SIREN this is and that administers ``territory``,
    written from the reference data (:func:`maillage.geography.names.collectivite_name`):
    ``Commune de Roques``, ``CA du Sicoval``, ``Département de la Somme``, ``Région Occitanie``;
    the few bodies named otherwise from ``_OWN_NAMES`` (``Ville de Paris``). None when neither
    knows it.

    >>> official_name("213104581", "commune:31458"), official_name("228000014", "departement:80")
    ('Commune de Roques', 'Département de la Somme')
    """
    if siren in _OWN_NAMES:
        return _OWN_NAMES[siren]
    from maillage.geography import load_geography
    from maillage.geography.names import collectivite_name

    t = load_geography().get(territory) if territory else None
    return collectivite_name(t) if t is not None else None


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
                          f"SIREN {siren} is the {t.level} {t.name} in the reference geography", t.name,
                          official_name(siren, t.id))
    known = departements_regions().get(siren)
    if known is not None:
        kind, territory, name = known
        return PublicBody("collectivite", kind, territory, "stated",
                          f"SIREN {siren} is the {kind} {name} in the shipped table of départements and régions",
                          name, official_name(siren, territory))
    prefix = {"21": "commune", "22": "departement", "23": "region"}.get(siren[:2])
    if prefix:
        said = {"departement": "département", "region": "région"}.get(prefix, prefix)
        return PublicBody("collectivite", prefix, None, "inferred",
                          f"SIREN {siren} starts with {siren[:2]}: a {said} by INSEE's numbering, "
                          "not found in the reference geography (territory unknown)")
    return None




def private_siren(siren: str | None) -> bool:
    """True when ``siren`` is a private body's by INSEE's numbering: the public sector is numbered
    from 1 and 2, so a SIREN starting with 3 to 8 is no collectivité nor State body, whatever its
    name says (« CA E LA, TROUPE DE THEATRE » is no communauté d'agglomération). A ``9…`` says
    nothing (communes nouvelles of 2024–2025 have ``92…``/``93…``).

    >>> private_siren("343801932"), private_siren("243100633"), private_siren("930000000"), private_siren(None)
    (True, False, False, False)
    """
    return bool(siren) and siren[0] in "345678"


def name_in_place_of_capitals(body: PublicBody, names: list[str]) -> str | None:
    """The name to show for ``body`` when every name a file gives it (``names``) is in capitals:
    its :attr:`~PublicBody.official_name` — « Ville de … » for a commune the file calls « VILLE
    DE … », as it calls itself. None (keep the file's name) when a name is in mixed case
    (« Ville de Nantes » is written as its author meant it), or the reference data do not know
    the SIREN. The file's names stay the actor's aliases: resolution and search still meet them.

    >>> roques = public_body("213104581")
    >>> name_in_place_of_capitals(roques, ["COMMUNE DE ROQUES"]), name_in_place_of_capitals(roques, ["Roques"])
    ('Commune de Roques', None)
    >>> name_in_place_of_capitals(public_body("218000198"), ["VILLE D'AMIENS"])
    "Ville d'Amiens"
    """
    name = body.official_name
    if not name or not names or not all(n.isupper() for n in names):
        return None
    if body.kind == "commune" and name.startswith("Commune ") and names[0].startswith("VILLE "):
        return "Ville " + name.removeprefix("Commune ")
    return name


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
