"""French administrative geography as reference data (communes → EPCI → départements → régions).

Shipped data: a compact copy of the npm package ``@etalab/decoupage-administratif``
(INSEE Code officiel géographique + DGCL EPCI membership), see
``maillage/data/geography/NOTICE.md``; rebuilt by ``scripts/build_geography.py``.

Definitions used throughout:

- A **commune** is the base unit, identified by its INSEE code (``31555`` Toulouse).
- An **EPCI à fiscalité propre** (établissement public de coopération
  intercommunale with its own tax: communauté de communes, d'agglomération,
  urbaine, métropole) groups communes; it is identified by its SIREN. Every commune
  belongs to exactly one, except four island communes that form none.
- **Rollup** of a commune: its EPCI à fiscalité propre, département and région —
  one of each, so counts aggregate without double counting.
- Territory ids are ``"{level}:{code}"``: ``commune:31555``, ``epci:243100518``,
  ``departement:31``, ``region:76``, ``pays:FR`` (plus ``ept:<SIREN>`` for the
  établissements publics territoriaux of the Métropole du Grand Paris).

>>> from maillage.geography import load_geography
>>> geo = load_geography()
>>> geo.rollup("commune:31555")["epci"]
'epci:243100518'
>>> [t.id for t in geo.resolve_place("Ramonville (Haute-Garonne)")]
['commune:31446']
"""

from .names import normalize_name
from .places import place_is_inferred
from .reference import (
    COUNTRY_ID,
    LEVELS,
    ROLLUP_LEVELS,
    Geography,
    Territory,
    UnknownTerritory,
    load_geography,
)

__all__ = [
    "COUNTRY_ID",
    "LEVELS",
    "ROLLUP_LEVELS",
    "Geography",
    "Territory",
    "UnknownTerritory",
    "load_geography",
    "normalize_name",
    "place_is_inferred",
]
