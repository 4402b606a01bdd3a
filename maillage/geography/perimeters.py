"""A pôle's perimeter as its sources write it (« Pays d'Apt, Vaucluse (PACA) »), read into territories.

``read_perimeter(geo, text)`` returns a :class:`PerimeterReading`: the territory ids the text
names, whether the reading is approximate, and why (in French, for a user). The rule:

1. **The finest territories the text names that the geography knows.** The places are read by
   :func:`~maillage.geography.places.resolve_place` (communes with their département in
   parentheses, EPCI by name, départements, régions, département codes), which keeps the finest
   and drops the territories named only as context: « Midi-Pyrénées – Haute-Garonne » is the
   Haute-Garonne, « Toulouse (Haute-Garonne) » the commune of Toulouse, « Picardie – Oise,
   Seine-Maritime » the two départements, « Sicoval, Haute-Garonne » the EPCI.
2. **A former région is its départements** (the table ``data/geography/anciennes_regions.csv``,
   from the loi n° 2015-29 and INSEE's COG 2015): « Midi-Pyrénées » is the eight départements
   of Midi-Pyrénées, not all of Occitanie; the former régions that make a current one whole
   (« Languedoc-Roussillon-Midi-Pyrénées ») are that région. A list of départements that names
   Paris reads Paris as the département 75.
3. **An area the geography does not know** — a segment of the text that begins with *pays,
   bassin, plateau, quartier, île, sud, nord, est, ouest, centre, agglomération, secteur,
   canton, parc, ferme*, or ends with *métropole, et sa région…*, and is not itself a
   territory's name (« Pays Voironnais » is an EPCI's) — gives the territory the text names
   that encloses it, and the reading is **approximate**: « Pays d'Apt, Vaucluse » is the
   Vaucluse (the Pays d'Apt is around Apt, which is in the Vaucluse); « sud des Landes » is the
   Landes; « quartier des Grésilles » in « Dijon, quartier des Grésilles » is Dijon. An area
   the text names no enclosing territory for (« Lille métropole » alone) gives nothing.
4. **Not read**: a place quoted as an error (« le texte indique à tort « Ille-et-Vilaine » »),
   neighbours (« entre Audomarois et Calais », « aux portes du Pays Basque »).
5. **Nothing recognised, or homonyms** → no ids, and the reason says which: the reading never
   chooses between two communes of one name that nothing in the text tells apart.

>>> from maillage.geography import load_geography
>>> geo = load_geography()
>>> read_perimeter(geo, "Toulouse (Haute-Garonne)").ids
('commune:31555',)
>>> read_perimeter(geo, "Île-de-France – Paris, Seine-Saint-Denis, Val-de-Marne").ids
('departement:75', 'departement:93', 'departement:94')
>>> r = read_perimeter(geo, "Pays d'Apt, Vaucluse (PACA)")
>>> r.ids, r.approximate
(('departement:84',), True)
>>> read_perimeter(geo, "Limousin").ids
('departement:19', 'departement:23', 'departement:87')
>>> read_perimeter(geo, "Roussillon").reason
"« Roussillon » désigne plusieurs territoires (Roussillon (38), Roussillon (84)) : aucun n'est retenu"
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .names import normalize_name
from .places import location_label, without_errata
from .reference import level_rank

if TYPE_CHECKING:
    from .reference import Geography

FORMER_REGIONS_PATH = Path(__file__).resolve().parent.parent / "data" / "geography" / "anciennes_regions.csv"

_CUT = re.compile(r"([,;:/()\[\]«»“”|–—\n]|\s-\s)")
_AREA_START = ("pays", "bassin", "plateau", "quartier", "ile", "sud", "nord", "est", "ouest", "centre",
               "agglomeration", "aire urbaine", "secteur", "canton", "parc", "ferme")
_AREA_END = ("metropole", "agglomeration", "et sa region", "et son agglomeration", "et environs", "et alentours")
_NEIGHBOURS = ("entre", "aux portes", "pres de", "a proximite")


@dataclass(frozen=True)
class PerimeterReading:
    """What a written perimeter designates (:func:`read_perimeter`)."""

    ids: tuple[str, ...]  # territory ids, finest level first; () when nothing is read
    approximate: bool = False  # an area the geography does not know was read as the territory enclosing it
    reason: str = ""  # why approximate, or why nothing is read (French); "" for a plain reading
    areas: tuple[str, ...] = ()  # the areas read as their enclosing territory, as written


@functools.lru_cache(maxsize=1)
def former_regions() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Normalised name of each région merged in 2016 → (code of the région it is part of, its
    départements' codes), from ``data/geography/anciennes_regions.csv``.

    >>> former_regions()["midi pyrenees"]
    ('76', ('09', '12', '31', '32', '46', '65', '81', '82'))
    """
    with FORMER_REGIONS_PATH.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {normalize_name(r["ancienne_region"]): (r["region_2016"], tuple(r["departements"].split()))
                for r in rows}


def _former_parts(key: str, region: str) -> set[str] | None:
    """The départements of the former régions of ``region`` that a normalised segment names, as
    whole words, longest names first; None when it names none."""
    deps: set[str] = set()
    padded = f" {key} "
    for name, (code, codes) in sorted(former_regions().items(), key=lambda kv: -len(kv[0])):
        if code == region and f" {name} " in padded:
            deps.update(codes)
            padded = padded.replace(f" {name} ", " | ")
    return deps or None


def _unit(geo: Geography, segment: str) -> frozenset[str]:
    """The territories one segment names alone, a former région as its départements."""
    out: set[str] = set()
    key = normalize_name(segment)
    for t in geo.resolve_place(segment):
        parts = _former_parts(key, t.code) if t.level == "region" else None
        whole = {d.code for d in geo.territories("departement") if geo.parents(d.id) == [t.id]}
        out |= {f"departement:{d}" for d in parts} if parts and parts != whole else {t.id}
    return frozenset(out)


def _is_area(geo: Geography, key: str) -> bool:
    if not key or geo.name_matches(key):
        return False
    return key.startswith(tuple(w + " " for w in _AREA_START)) or key.endswith(tuple(" " + w for w in _AREA_END))


def read_perimeter(geo: Geography, text: str | None) -> PerimeterReading:
    """The territories a pôle's written perimeter designates (see the module's rule)."""
    if not text or not text.strip():
        return PerimeterReading((), reason="aucun périmètre écrit")
    pieces = _CUT.split(without_errata(text))
    areas: list[str] = []
    plain: list[str] = []
    for i in range(0, len(pieces), 2):  # even pieces are the segments, odd ones the cuts
        key = normalize_name(pieces[i])
        if key.startswith(tuple(w + " " for w in _NEIGHBOURS)):
            pieces[i] = " "
        elif _is_area(geo, key):
            areas.append(pieces[i].strip())
            pieces[i] = " "
        elif key:
            plain.append(pieces[i])
    units = [u for s in plain if (u := _unit(geo, s))]
    found = _with_former_regions(geo, [t.id for t in geo.resolve_place("".join(pieces))], units)

    def communes(ids) -> set[str]:
        return set().union(*(geo.communes_of(i) for i in ids)) if ids else set()

    def enclosing(targets: set[str]) -> frozenset[str] | None:
        fits = [u for u in units if targets <= communes(u)]
        return min(fits, key=lambda u: (len(communes(u)), sorted(u))) if fits else None

    read_areas: list[str] = []
    for area in areas:
        x = [t for t in geo.resolve_place(area)]
        if x and all(t.level in ("departement", "region") for t in x):
            around = _unit(geo, area)  # « sud des Landes »: a part of the Landes
        else:
            target = communes(t.id for t in x) if x else communes(found)
            around = enclosing(target) if target else None
        if around:
            found.extend(i for i in sorted(around) if i not in found)
            read_areas.append(area)
    found = [t for t in found if not any(u != t and geo.contains(u, t) for u in found)]
    found = _paris_as_departement(geo, found)
    ids = tuple(sorted(found, key=lambda t: (level_rank(t.split(":")[0]), t)))
    if not ids:
        return PerimeterReading((), reason=_why_nothing(geo, plain, areas))
    if read_areas:
        return PerimeterReading(ids, True, f"lu approximativement : {_unknown(read_areas)}, le territoire nommé "
                                           "qui l'englobe est retenu", tuple(read_areas))
    return PerimeterReading(ids)


def _with_former_regions(geo: Geography, found: list[str], units: list[frozenset[str]]) -> list[str]:
    """``found`` with each région that segments name only by former régions replaced by their
    départements (« Lorraine - Luxembourg - Wallonie (annex: Grand Est) » is the Lorraine)."""
    out: list[str] = []
    for t in found:
        if t.startswith("region:"):
            parts = {d for u in units if u != {t} and all(geo.contains(t, d) for d in u) for d in u}
            if parts:
                out.extend(sorted(parts - set(out)))
                continue
        out.append(t)
    return out


def _paris_as_departement(geo: Geography, found: list[str]) -> list[str]:
    """Among départements, a commune that is a whole département (Paris) is that département."""
    if not any(t.startswith("departement:") for t in found):
        return found
    out = []
    for t in found:
        if t.startswith("commune:"):
            dep = geo.rollup(t)["departement"]
            t = dep if dep and geo.communes_of(dep) == {t} else t
        out.append(t)
    return out


def _unknown(areas: list[str]) -> str:
    quoted = ", ".join(f"« {a} »" for a in areas)
    return f"{quoted} n'est pas un territoire connu" if len(areas) == 1 else f"{quoted} ne sont pas des territoires connus"


def _why_nothing(geo: Geography, plain: list[str], areas: list[str]) -> str:
    for segment in plain:
        ids = [i for level, hits in geo.name_matches(segment).items() if level != "commune-alias" for i in hits]
        if len(ids) > 1 and not geo.resolve_place(segment):
            labels = ", ".join(location_label(i) for i in sorted(ids))
            return f"« {segment.strip()} » désigne plusieurs territoires ({labels}) : aucun n'est retenu"
    if areas:
        return f"{_unknown(areas)}, et le texte ne nomme aucun territoire qui l'englobe"
    return "le texte ne nomme aucun territoire connu"


__all__ = ["PerimeterReading", "former_regions", "read_perimeter"]
