"""The ``places`` format: a list of places — tiers-lieux, fab labs, coworkings — with the
structure porteuse (carrying organisation) of each (CSV, XLSX, XLS, ODS).

The real example is France Tiers-Lieux's census as republished by
``augustindeche-bit/ess-numerique-database`` (``03_tiers_lieux.csv``: ``NOM``, ``Insee``,
``NOM_STRC_PORT``, ``CODPOST``, ``VILLE``, ``siren``…). It reads the same columns as the
``members`` format (:data:`maillage.loaders.formats.members.FIELDS`), with two differences:

- each row is a **place**: an actor of family ``tiers_lieu`` unless a type column says
  otherwise; its ``structure porteuse`` (``NOM_STRC_PORT``) is an actor too, tied to it by
  ``carries`` (structure → place, ``function`` = ``structure_porteuse``);
- the row's **SIREN/SIRET/RNA identify the structure porteuse** when one is named: a tiers-lieu
  is not a legal unit, the organisation that runs it is (the census names the place after that
  organisation when there is no separate one, e.g. ``Cycle²`` carried by ``Cycle²``: then the
  place keeps the identifier). A collectivité named as structure porteuse (``Ville de
  Chambéry``, ``Communauté de communes …``) is located in the territory it administers and
  never takes an identifier that is not its own SIREN in the reference geography.

A pôle is optional here (``--pole``: the places become its members); without one the file is a
plain list of places and their structures. Bad rows are treated as in ``members``: a row
without a name is rejected (the census file's last row is blank but for two columns).
"""

from __future__ import annotations

from pathlib import Path

from .members import MEMBERSHIP_FIELDS, MemberListLoader, find_header, head_tables, yes_no


class PlaceListLoader(MemberListLoader):
    name = "places"
    description = "a list of places (tiers-lieux…) with their structure porteuse (CSV/XLSX/ODS)"
    priority = 85
    default = ("tiers_lieu", "tiers_lieu")
    identifiers_to_carrier = True
    row_word = "place"
    warn_actors_only = False  # a list of places needs no pôle

    def sniff(self, path: Path, head: bytes) -> bool:
        """A name column and a structure porteuse column that names organisations (not yes/no),
        and no membership columns (those make it a member list)."""
        tables = [(rows, find_header(rows)) for rows in head_tables(path, head)]
        rows, found = next(((r, f) for r, f in tables if f is not None), ([], None))
        if found is None:
            return False
        i, idx = found
        if "carrier" not in idx or any(f in idx for f in (*MEMBERSHIP_FIELDS, "pole")):
            return False
        values = [r[idx["carrier"]].strip() for r in rows[i + 1:] if len(r) > idx["carrier"]]
        return any(v and yes_no(v) is None for v in values)


LOADER = PlaceListLoader()

__all__ = ["LOADER", "PlaceListLoader"]
