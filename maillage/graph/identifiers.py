"""Identifiers of French organisations and places, validated.

- **SIREN**: 9 digits identifying a legal unit (unité légale) in the SIRENE register; the
  last digit is a Luhn check digit. EPCI and other collectivités also have a SIREN.
- **SIRET**: 14 digits identifying an establishment: SIREN + 5-digit NIC; Luhn-checked as a
  whole (La Poste's establishments, SIREN 356000000, are the documented exception).
- **RNA**: the national register of associations, ``W`` followed by 9 characters
  (the département, which may be ``2A``/``2B``, then a sequence number).
- **INSEE commune code** (code officiel géographique): 5 characters, 2-character
  département (``2A``/``2B`` in Corsica) + 3 digits, or ``97x`` + 2 digits overseas.

The Luhn checks come from python-stdnum (``stdnum.fr.siren``/``siret``), a well-kept library.

>>> normalise_identifier("siret", "732 829 320 00074")
'73282932000074'
>>> siren_of_siret("73282932000074")
'732829320'
"""

from __future__ import annotations

import re
from functools import lru_cache

from stdnum.fr import siren as _siren
from stdnum.fr import siret as _siret

from .vocabulary import vocabulary


class InvalidIdentifier(ValueError):
    """An identifier that does not have the expected shape or check digit."""


_SPACES = re.compile(r"[\s.\-]")


@lru_cache(maxsize=262_144)
def normalise_identifier(scheme: str, value: str) -> str:
    """Return the canonical form of ``value`` under ``scheme`` or raise InvalidIdentifier.

    Spaces, dots and dashes used as digit separators are removed; RNA is upper-cased.
    Remembered (a failure is not): every stored actor read back is validated again, and the
    same actors are read many times (a hub in every pôle's context: 18 % of the time of the
    observatory's pôle contexts at nation went to Luhn checks of identifiers already checked).
    """
    schemes = vocabulary().identifier_schemes
    if scheme not in schemes:
        raise InvalidIdentifier(f"unknown identifier scheme {scheme!r}; expected one of {sorted(schemes)}")
    raw = str(value).strip()
    v = _SPACES.sub("", raw).upper() if scheme != "insee_commune" else raw.upper()
    spec = schemes[scheme]
    if not re.fullmatch(spec["pattern"], v):
        raise InvalidIdentifier(f"{spec['en']} {raw!r} does not match the expected shape {spec['pattern']}")
    if scheme == "siren" and not _siren.is_valid(v):
        raise InvalidIdentifier(f"SIREN {raw!r} fails the Luhn check digit")
    if scheme == "siret" and not _siret.is_valid(v):
        raise InvalidIdentifier(f"SIRET {raw!r} fails the Luhn check digit")
    return v


def is_valid_identifier(scheme: str, value: str) -> bool:
    try:
        normalise_identifier(scheme, value)
    except InvalidIdentifier:
        return False
    return True


def siren_of_siret(siret: str) -> str:
    """The SIREN (first 9 digits) of a valid SIRET: an establishment rolls up to its legal unit."""
    return normalise_identifier("siret", siret)[:9]
