"""Resolve free-text place mentions ("Ramonville (Haute-Garonne)") to territories.

``resolve_place(geo, text)`` returns the territories a text designates, most
precise first, and ``[]`` when nothing matches unambiguously — it never guesses.

How it reads a text:

1. **Segments.** The text is cut at ``, ; : / ( ) [ ] « »``, dashes between spaces
   and ``–``. Each segment is matched as a whole against the names of communes,
   EPCI/EPT (with or without their legal form), départements, régions (including
   the pre-2016 ones), département codes (``(55)``), postal codes and the country
   (``France``, ``national``). When the whole segment does not match, qualifiers
   are removed and the rest is tried again: ``Région Occitanie``, ``sud Landes``,
   ``Pays d'Apt``, ``région d'Audruicq``, ``Lille métropole``, ``Trévoux et sa
   région``; then ``X et Y`` is split. A segment that still matches nothing is
   scanned for capitalised names (``plateau de Millevaches``), which count only
   when the rest of the text confirms them (a commune), and only where they stand
   as their own words, not as a part of a longer place name written with spaces
   (``Marne la Vallée`` is not the Marne; :func:`_compound` says when).
2. **Context.** Départements and régions named elsewhere in the text (and the
   départements of postal codes) form the context used to choose between
   homonymous communes (``Roussillon`` is in Isère and in Vaucluse), to prefer a
   commune over a département of the same name only when the context places it
   (``Vienne (Isère)``; ``Landes`` alone is the département), and to complete
   shortened names (``Trouville (Calvados)`` → Trouville-sur-Mer,
   ``Ramonville`` → Ramonville-Saint-Agne).
3. **Result.** Each segment gives at most one territory; a territory that merely
   contains another one found (the région after its département, the EPCI after
   its commune) is context and is dropped. What remains is sorted finest first.
   A postal code and a name that contradict each other (« 31000 Lyon », « 31520
   Toulouse », « 31000 Ramonville ») give only what :func:`postal_code_clash` says: no
   place, or the one département both are in (:func:`read_place` says which clash).
   A segment that is exactly a postal code and a name the geography does not know but near
   a name of one of the code's communes, in any case (« 31000 toulous », « 93100 MONRTEUIL »:
   :func:`postal_code_and_name`; not « 15000 euros ») is read as the code
   (:func:`postal_code_place`), as a member list reads it; a bare postal code of several
   communes (« 29600 ») is the territory they share (:func:`common_territory`). A text
   naming several places gives them all; a member list, which places an actor in one, places
   it in the territory holding them all (:func:`one_place`).

Parts that the text flags as wrong (``le texte indique à tort « … »``) are ignored.
``place_is_inferred`` tells whether the text marks the place as inferred
(``(déduit)``, ``(implicite)``, ``added context``…).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from collections.abc import Collection
from typing import TYPE_CHECKING

from .names import COUNTRY_NAMES, normalize_name
from .reference import level_rank

if TYPE_CHECKING:
    from .reference import Geography, Territory

#: A part the text itself marks as an error (« (le texte indique à tort « Ille-et-Vilaine » L262) »):
#: not read as a place (:func:`without_errata`).
_ERRATUM = re.compile(r"[(\[][^()\[\]]*\b(?:à tort|wrongly|erroneously)\b[^()\[\]]*[)\]]", re.I)
_GLUED_PAREN = re.compile(r"(\w)\((-[^()]*)\)")  # Ramonville(-Saint-Agne)


def without_errata(text: str) -> str:
    """A place text without the parts it marks as errors, and with a name glued to its
    parenthesis made whole: what :func:`resolve_place` and a pôle's written perimeter
    (:mod:`.perimeters`) read.

    >>> without_errata("Ramonville(-Saint-Agne), Pays d'Auge (le texte indique à tort « Ille-et-Vilaine »)")
    "Ramonville-Saint-Agne, Pays d'Auge  "
    """
    return _GLUED_PAREN.sub(r"\1\2", _ERRATUM.sub(" ", text))
_SPLIT = re.compile(r"[,;:/()\[\]«»“”\"|–—\n]|\s-\s")
_AND = re.compile(r"\s+(?:et|&|ou)\s+", re.I)
_DEP_CODE = re.compile(r"^(?:0[1-9]|1\d|2[1-9ab]|[3-8]\d|9[0-5]|97[1-46])$")  # "(55)", "2A"
_POSTAL = re.compile(r"\b\d{5}\b")
_INFERRED = re.compile(
    r"d[ée]duit|implicite|implied|inferred|added context|not stated|not in text|suppos[ée]", re.I
)

# Qualifiers around a name (normalised tokens). STRONG ones do not change what is named
# ("ville de Nantes" is Nantes); the others name an area around it ("Pays d'Apt").
_STRONG_PREFIXES = ("region", "departement", "dept", "ville", "commune", "collectivite")
_WEAK_PREFIXES = (
    "bassin d emploi", "bassin de vie", "bassin", "pays", "territoire", "agglomeration",
    "aire urbaine", "metropole", "canton", "secteur", "quartier", "ile", "plateau",
)
# A part of X ("sud Landes") is inside X only for départements and régions
# ("Sud Grésivaudan" is not in the CC Le Grésivaudan).
_PART_PREFIXES = (
    "sud est", "sud ouest", "nord est", "nord ouest", "sud", "nord", "est", "ouest", "centre",
    "grand", "haut", "bas",
)
_PART_LEVELS = ("departement", "region")
_PREPOSITIONS = ("de", "du", "des", "d", "a", "au", "aux", "en")
_WEAK_SUFFIXES = (
    "et sa region", "et son agglomeration", "et environs", "et alentours", "area", "region",
    "metropole", "agglomeration",
)
# Capitalised words that are also common words: never taken from a scan, and (second
# set) not when they open the phrase, where any word is capitalised.
_SCAN_STOP = frozenset(normalize_name(w) for w in (
    "Centre", "Nord", "Sud", "Est", "Ouest", "Mer", "Pôle", "Union", "Grand", "Europe",
    "Luxembourg",
))
_SCAN_STOP_INITIAL = frozenset(normalize_name(w) for w in (
    "Cher", "Manche", "Somme", "Lot", "Var", "Ain", "Orne", "Eure", "Loire", "Vienne", "Aube",
))


@dataclass
class _Mention:
    """What one segment (or scanned phrase) may designate."""

    matches: dict[str, list[str]]
    prefix: list[str] = field(default_factory=list)  # communes whose name starts with the phrase
    weak: bool = False  # a qualifier was removed, or found by scanning
    scanned: bool = False
    key: str = ""  # the normalised phrase that matched
    text: str = ""  # the phrase as written

    @property
    def names_a_place(self) -> bool:
        """A name written whole (not a postal code, not a part of a phrase) that a code can contradict."""
        return not (self.weak or self.scanned or _POSTAL.fullmatch(self.key))


def places_named_in(geo: Geography, text: str | None) -> list[str]:
    """Every territory a text may name: :func:`resolve_place`'s, else each place a capitalised
    name inside it may be (its homonyms too), unconfirmed — evidence *against* another place,
    never a place to give: « Réseau d'échanges et services des associations du Pays de Morlaix »
    names Morlaix, which is not Ramonville-Saint-Agne.

    >>> from maillage.geography import load_geography
    >>> places_named_in(load_geography(), "Réseau d'échanges et services des associations du Pays de Morlaix")
    ['commune:29151']
    >>> places_named_in(load_geography(), "Le Solilab")
    []
    """
    found = [t.id for t in resolve_place(geo, text)]
    if found or not text:
        return found
    return list(dict.fromkeys(t for segment in _SPLIT.split(text) for m in _scan(geo, segment)
                              for level, ids in m.matches.items() if level != "pays" for t in ids))


def place_is_inferred(text: str | None) -> bool:
    """True when the text flags its place as inferred rather than stated."""
    return bool(text and _INFERRED.search(text))


def resolve_place(geo: Geography, text: str | None) -> list[Territory]:
    """Territories designated by ``text``, most precise first; ``[]`` if none (see module doc)."""
    return read_place(geo, text)[0]


def read_place(geo: Geography, text: str | None) -> tuple[list[Territory], Clash | None]:
    """:func:`resolve_place`'s territories, and the clash of a postal code and a name that
    decided them (:func:`postal_code_clash`), for a loader to say it.

    >>> from maillage.geography import load_geography
    >>> places, clash = read_place(load_geography(), "Toulouse, 31520, Haute-Garonne")
    >>> [t.id for t in places], clash.code, clash.name, clash.place
    (['departement:31'], '31520', 'Toulouse', 'departement:31')
    """
    if not text or not text.strip():
        return [], None
    text = without_errata(text)
    codes = {code: postal_communes(geo, code) for code in _POSTAL.findall(text)}
    postal_deps = {d for code, communes in codes.items() for d in
                   ({_dep_of(geo, c) for c in communes} if communes else code_departements(geo, code))}
    mentions: list[_Mention] = []
    for segment in _SPLIT.split(text):
        mentions.extend(_segment_mentions(geo, segment))
    clash = _text_clash(geo, codes, mentions)
    if clash:  # « 31000;Lyon »: no place; « 31520 Toulouse »: the Haute-Garonne, not Toulouse
        return ([geo.get(clash.place)] if clash.place else []), clash

    chosen: list[str] = []
    for i, m in enumerate(mentions):
        deps, regions = _context(geo, mentions, exclude=i)
        deps |= postal_deps
        regions |= {geo.parents(f"departement:{d}")[0].split(":")[1] for d in deps
                    if geo.get(f"departement:{d}")}
        tid = _decide(geo, m, deps, regions, postal_deps)
        if tid and tid not in chosen:
            chosen.append(tid)

    kept = [geo.get(t) for t in chosen if not any(_covers(geo, t, u) for u in chosen if u != t)]
    if not kept and _CEDEX_WORD.search(text):  # « 77455 MARNE LA VALLEE CEDEX 2 »: the code's département
        cedex = {d for code, communes in codes.items() if not communes for d in code_departements(geo, code)}
        kept = [geo.get(f"departement:{cedex.pop()}")] if len(cedex) == 1 else []
    return sorted(kept, key=lambda t: level_rank(t.level)), None  # stable: text order within a level


# ---------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Clash:
    """A postal code and a name that designate different places (:func:`postal_code_clash`)."""

    named: tuple[str, ...]  # the communes and départements the name designates
    place: str | None  # ``departement:XX`` when both are in that one département; else no place
    name: str = ""  # the name, as written
    code: str = ""  # the postal code, when the caller knows it (:func:`read_place`)


def postal_code_clash(geo: Geography, code_communes: Collection[str], name: str,
                      matches: dict[str, list[str]] | None = None) -> Clash | None:
    """The clash of a postal code (its communes) and a place name; None when they do not clash.

    They clash when the name is the name of communes or départements (``matches``, by default
    :meth:`~maillage.geography.reference.Geography.name_matches` of ``name``), or else the short
    form of communes' names (« Ramonville » for Ramonville-Saint-Agne, as :func:`resolve_place`
    completes it), and none of them is, or holds, one of the code's communes, nor is the name a
    shorter or longer form of one of their names (:func:`communes_written_as`). The place they
    then give is the one département both are in (« 31520 Toulouse »: 31520 is
    Ramonville-Saint-Agne's code; « 31000 Ramonville »), else none (« 31000 Lyon »). A name that
    is no place of the geography (a typo « Toulous ») or a code that is no commune's (a CEDEX
    code) does not clash: the other one decides. Evidence for the typo: the postal code and city
    of the Paris subsidy file (2013) joined, such as « 93100 MONRTEUIL », « 92350 LE
    PLESSIS-ROBISON », « 94600 CHOIY-LE-ROI », « 92110 CLICHY-LA-GARENNE » (a former name): in
    every row whose name the geography does not know, the code's commune is the one meant.

    >>> from maillage.geography import load_geography
    >>> geo = load_geography()
    >>> def clash(code, name):
    ...     c = postal_code_clash(geo, postal_communes(geo, code), name)
    ...     return c and (c.place or "no place")
    >>> clash("31520", "Toulouse"), clash("31000", "Lyon"), clash("31000", "Toulous"), clash("75011", "Paris")
    ('departement:31', 'no place', None, None)
    >>> clash("31000", "Ramonville"), clash("31520", "Ramonville")
    ('departement:31', None)
    """
    matches = geo.name_matches(name) if matches is None else matches
    named = list(dict.fromkeys([*matches.get("commune", []), *matches.get("commune-alias", []),
                                *matches.get("departement", [])]))
    named = named or geo.commune_prefix(normalize_name(name))  # « Ramonville »
    if not named or not code_communes or communes_written_as(geo, name, code_communes, matches):
        return None
    code_deps = {_dep_of(geo, c) for c in code_communes}
    if any(t.split(":")[1] in code_deps for t in named if t.startswith("departement:")):
        return None  # « 86000 Vienne »: Poitiers is in the Vienne
    both = code_deps & {t.split(":")[1] if t.startswith("departement:") else _dep_of(geo, t) for t in named}
    return Clash(tuple(named), f"departement:{both.pop()}" if len(both) == 1 else None, name=name)


def communes_written_as(geo: Geography, name: str, among: Collection[str],
                        matches: dict[str, list[str]] | None = None) -> list[str]:
    """The communes of ``among`` that ``name`` designates: by a name of theirs (``matches``, by
    default :meth:`~maillage.geography.reference.Geography.name_matches`), else as a shorter or longer
    form of it (« Sainte-Foy » for Sainte-Foy-lès-Lyon, « Marseille 1er arrondissement »)."""
    matches = geo.name_matches(name) if matches is None else matches
    exact = [c for c in dict.fromkeys([*matches.get("commune", []), *matches.get("commune-alias", [])])
             if c in among]
    if exact:
        return exact
    key = normalize_name(name)
    return [c for c in among if key.startswith((own := normalize_name(geo.get(c).name)) + " ")
            or own.startswith(key + " ")]


def _text_clash(geo: Geography, codes: dict[str, list[str]], mentions: list[_Mention]) -> Clash | None:
    """The first clash (:func:`postal_code_clash`) of a name of the text with those of its postal
    codes that none of its names designates: a code one name confirms does not clash with
    another name (« Ramonville (31520), Toulouse » names two communes)."""
    names = [m for m in mentions if m.names_a_place]
    unconfirmed = [c for communes in codes.values()
                   if not any(communes_written_as(geo, m.key, communes, m.matches) for m in names)
                   for c in communes]
    for m in names:
        if not any(communes_written_as(geo, m.key, cs, m.matches) for cs in codes.values()):
            clash = postal_code_clash(geo, unconfirmed, m.key, m.matches)
            if clash:
                code = next(c for c, cs in codes.items() if set(cs) & set(unconfirmed))
                return replace(clash, name=_POSTAL.sub(" ", m.text).strip() or m.key, code=code)
    return None


# « 31000;Lyon », « 31000 - Lyon », « Lyon (31000) », « Lyon, 31000 »: a postal code and a commune
# name written as a proper noun, in one text
_CODE_THEN_NAME = re.compile(r"(?P<cp>\d{5})\s*[;,:/|–—-]?\s*(?P<name>[^\W\d_].*?)")
_NAME_THEN_CODE = re.compile(r"(?P<name>.*?[^\W\d_].*?)\s*(?:[;,:/|–—-]\s*|\(\s*)?(?P<cp>\d{5})\s*\)?")


def code_and_name(text: str) -> tuple[str, str] | None:
    """(postal code, name) when a text is written as exactly both, else None; whether they are a
    postal code and a place's name is :func:`postal_code_and_name`'s to say.

    >>> code_and_name("31000;Lyon"), code_and_name("Lyon (31000)"), code_and_name("Lyon 3e"), code_and_name("31000")
    (('31000', 'Lyon'), ('31000', 'Lyon'), None, None)
    >>> code_and_name("15000 euros")
    ('15000', 'euros')
    """
    t = text.strip()
    m = _CODE_THEN_NAME.fullmatch(t) or _NAME_THEN_CODE.fullmatch(t)
    name = m and m["name"].strip(" ;,:/|–—-")
    return (m["cp"], name) if name else None


_NEAR = 85  # rapidfuzz partial ratio of two normalised names: « toulous » 100, « monrteuil » 89, « euros » 50


def postal_code_and_name(geo: Geography, text: str) -> tuple[str, str] | None:
    """(postal code, name) when a text is exactly a postal code of the geography and the name of one
    place (:func:`code_and_name`), whatever its case: a person types « 31000 toulous ».

    The name is a name of the geography (a commune's, a département's: :func:`postal_code_clash`
    then says whether the two agree), or is near a name, current or former, of one of the code's
    communes (:func:`written_near`: a typo, a part). Evidence: the postal code and city of the Paris
    subsidy file (2013): its eleven names the geography does not know are all near a name of the
    code's commune — « MONRTEUIL », « LA PLAINE SAINT DENIS », « EQUEURDREVILLE-HAINNEVIL » (a
    commune déléguée, cut), « COURCOURONNES » — while « 15000 euros » (15000 is Aurillac's code) is
    an amount, whatever its case. A text naming several places (« 31000 Toulouse et Blagnac ») is
    not one code and one name: :func:`read_place` reads each.

    >>> from maillage.geography import load_geography
    >>> geo = load_geography()
    >>> postal_code_and_name(geo, "31000 toulous"), postal_code_and_name(geo, "31000;Lyon")
    (('31000', 'toulous'), ('31000', 'Lyon'))
    >>> postal_code_and_name(geo, "15000 Euros"), postal_code_and_name(geo, "31000 Toulouse et Blagnac")
    (None, None)
    """
    both = code_and_name(text)
    communes = postal_communes(geo, both[0]) if both else []
    if not communes:
        return None
    name = both[1]
    if geo.name_matches(name) or geo.commune_prefix(normalize_name(name)):  # « Ramonville »
        return both
    if len(read_place(geo, name)[0]) > 1:
        return None
    return both if written_near(geo, name, communes) else None


def written_near(geo: Geography, name: str, among: Collection[str]) -> bool:
    """True when ``name`` is written as one of the communes ``among`` (:func:`communes_written_as`),
    or near one of their names, current or former (:meth:`~maillage.geography.reference.Geography.
    commune_names`): a part of it or a typo, rapidfuzz's partial ratio of the normalised names at
    least 85, the name at least four letters long."""
    from rapidfuzz import fuzz

    if communes_written_as(geo, name, among):
        return True
    key = normalize_name(name)
    return len(key) >= 4 and any(fuzz.partial_ratio(key, normalize_name(n)) >= _NEAR
                                 for c in among for n in geo.commune_names(c))


def postal_code_commune(geo: Geography, code: str, name: str | None = None) -> str | None:
    """The commune a postal code designates: its only commune, else the one of its communes that
    the name written beside it designates (:func:`communes_written_as`), else None."""
    communes = postal_communes(geo, code)
    if len(communes) == 1:
        return communes[0]
    written = communes_written_as(geo, name, communes) if name and communes else []
    return written[0] if len(written) == 1 else None


def common_territory(geo: Geography, places: Collection[str]) -> str | None:
    """The EPCI, else the département, that holds every territory of ``places`` (communes, mostly)."""
    for level in ("epci", "departement"):
        ups = {geo.rollup(c)[level] for c in places}
        if len(ups) == 1 and None not in ups:
            return ups.pop()
    return None


def one_place(geo: Geography, places: Collection[str]) -> str | None:
    """The one territory an actor is in when a text names ``places`` (:func:`read_place`'s ids): the
    only one, else the territory holding them all (:func:`common_territory`), as for a postal code
    of several communes: « 31000 Toulouse et Blagnac » is Toulouse and Blagnac, and a member so
    placed is in Toulouse Métropole; none when no EPCI nor département holds them all.

    >>> from maillage.geography import load_geography
    >>> geo = load_geography()
    >>> one_place(geo, [t.id for t in resolve_place(geo, "Toulouse et Blagnac")])
    'epci:243100518'
    """
    places = list(dict.fromkeys(places))
    if len(places) <= 1:
        return places[0] if places else None
    return common_territory(geo, places)


def postal_code_place(geo: Geography, code: str, name: str | None = None) -> str | None:
    """Where a postal code places a text when the name beside it does not contradict it
    (:func:`postal_code_clash`): :func:`postal_code_commune`, else the territory all the code's
    communes share (:func:`common_territory`: 29600 is Morlaix's and three other communes')."""
    return postal_code_commune(geo, code, name) or common_territory(geo, postal_communes(geo, code))


def _dep_of(geo: Geography, commune_id: str) -> str:
    return geo.parents(commune_id)[-1].split(":")[1]


def _region_of(geo: Geography, commune_id: str) -> str:
    return geo.parents(geo.parents(commune_id)[-1])[0].split(":")[1]


def _covers(geo: Geography, outer: str, inner: str) -> bool:
    """``outer`` only gives context to ``inner``: it contains it and is not finer."""
    if not geo.contains(outer, inner):
        return False
    same_extent = geo.contains(inner, outer)
    return not same_extent or level_rank(outer.split(":")[0]) > level_rank(inner.split(":")[0])


_CEDEX_WORD = re.compile(r"\bcedex\b", re.IGNORECASE)


def code_departements(geo: Geography, code: str) -> set[str]:
    """The départements a postal code's digits say, for a code that is no commune's (a CEDEX
    code): its first two digits, three overseas (« 97411 »), 2A or 2B for « 20… »; those the
    geography has.

    >>> from maillage.geography import load_geography
    >>> geo = load_geography()
    >>> code_departements(geo, "77455"), code_departements(geo, "97490"), sorted(code_departements(geo, "20090"))
    ({'77'}, {'974'}, ['2A', '2B'])
    """
    digits = code[:3] if code.startswith("97") else code[:2]
    deps = {"2A", "2B"} if digits == "20" else {digits}
    return {d for d in deps if geo.get(f"departement:{d}") is not None}


def postal_communes(geo: Geography, code: str) -> list[str]:
    """The communes of a postal code (ids; ``[]`` for a code the geography does not know)."""
    return geo._postal_index.get(code, [])  # noqa: SLF001 - shared private index


def _phrase_matches(geo: Geography, key: str) -> dict[str, list[str]]:
    if not key:
        return {}
    if key in COUNTRY_NAMES:
        return {"pays": ["pays:FR"]}
    if _DEP_CODE.match(key):
        dep = geo.get(f"departement:{key.upper().zfill(2)}")
        return {"departement": [dep.id]} if dep else {}
    if _POSTAL.fullmatch(key):
        communes = postal_communes(geo, key)
        return {"commune": communes} if communes else {}
    return geo.name_matches(key)


def _variants(key: str):
    """(phrase, mode) to try for a normalised segment, the segment itself first.

    mode is "" (same place), "weak" (an area around the place) or "part" (a part
    of it: only départements and régions are kept).
    """
    yield key, ""
    stripped = _POSTAL.sub(" ", key).split()
    if stripped and len(stripped) != len(key.split()):
        yield " ".join(stripped), ""
    for prefixes, mode in ((_STRONG_PREFIXES, ""), (_WEAK_PREFIXES, "weak"), (_PART_PREFIXES, "part")):
        for prefix in prefixes:
            if key.startswith(prefix + " "):
                rest = key[len(prefix) + 1:].split()
                if rest and rest[0] in _PREPOSITIONS and len(rest) > 1:
                    rest = rest[1:]
                yield " ".join(rest), mode
    for suffix in _WEAK_SUFFIXES:
        if key.endswith(" " + suffix):
            yield key[: -len(suffix) - 1], "weak"


def _match_phrase(geo: Geography, phrase: str) -> _Mention | None:
    acronym = phrase.isupper() and len(phrase.replace(" ", "")) <= 5  # "EU", "CNAM", "PACA"
    for key, mode in _variants(normalize_name(phrase)):
        found = _phrase_matches(geo, key)
        prefix = [] if mode or acronym else geo.commune_prefix(key)
        if acronym:
            found = {k: v for k, v in found.items() if not k.startswith("commune")}
        if mode == "part":
            found = {k: v for k, v in found.items() if k in _PART_LEVELS}
        if found or prefix:
            return _Mention(found, prefix, weak=bool(mode), key=key, text=phrase.strip())
    return None


def _segment_mentions(geo: Geography, segment: str) -> list[_Mention]:
    segment = segment.strip(" .-'’")
    if not segment:
        return []
    m = _match_phrase(geo, segment)
    if m:
        return [m]
    parts = [p for p in _AND.split(segment) if p.strip()]
    if len(parts) > 1:
        found = [m for p in parts if (m := _match_phrase(geo, p))]
        if found:
            return found
    both = postal_code_and_name(geo, segment)
    if both and (place := postal_code_place(geo, *both)):  # « 31000 toulous »: the name is no place
        return [_Mention({place.split(":")[0]: [place]}, key=both[0], text=segment)]
    return _scan(geo, segment)


def _scan(geo: Geography, segment: str, longest: int = 5) -> list[_Mention]:
    """Capitalised names inside a longer phrase, longest first, without overlap; each only where
    it stands as its own words (:func:`_name_goes_on`, :func:`_name_ends`)."""
    words = segment.split()
    out: list[_Mention] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n])
            bare = _ELIDED.sub("", phrase)
            key = normalize_name(bare)
            if (not bare[:1].isupper() or key in _SCAN_STOP or key in COUNTRY_NAMES
                    or (i == 0 and key in _SCAN_STOP_INITIAL) or (n > 1 and _link(words[i + n - 1]))):
                continue
            found = {k: v for k, v in geo.name_matches(key).items() if k != "commune-alias"}
            if i and normalize_name(words[i - 1]) in _PART_PREFIXES:  # "Sud Grésivaudan"
                found = {k: v for k, v in found.items() if k in _PART_LEVELS}
            if found:
                end = _name_goes_on(geo, words, i, i + n)
                if end is None and not _name_ends(geo, words, i):
                    out.append(_Mention(found, weak=True, scanned=True, key=key))
                i = end or i + n  # « Marne la Vallée »: the whole longer name is passed over
                break
        else:
            i += 1
    return out


# Words joining the parts of a compound place name written with spaces (« Marne la Vallée »,
# « Villeneuve sur Lot », « Saint Étienne de Loire »): see :func:`_compound`.
_ARTICLE_LINKS = frozenset({"la", "le", "les", "l"})
_NEAR_LINKS = frozenset({"sur", "sous", "lès", "lez"})
_OF_LINKS = frozenset({"de", "du", "des", "d", "en", "au", "aux"})
_ELIDED = re.compile(r"^[dl][’']", re.I)  # « d'Aisne », « l'Isle »: the link is in the word
_ENDS_SENTENCE = re.compile(r"[.!?…]$")
# words before « de » naming an area around a place, not a part of its name (« Pays de Morlaix »)
_QUALIFIERS = frozenset(_STRONG_PREFIXES + _WEAK_PREFIXES)


def _link(word: str) -> str:
    """The linking word ``word`` is (lowercase), or ``""``."""
    w = word.lower()
    return w if w in _ARTICLE_LINKS | _NEAR_LINKS | _OF_LINKS else ""


def _compound(geo: Geography, left: list[str], links: list[str], right: str, name_left: bool) -> bool:
    """True when the capitalised words ``left`` and ``right``, joined by ``links``, read as one
    longer place name, of which the name found (on the left when ``name_left``) is only a part:

    - an article after the name: a name never ends in one (« Marne la Vallée », « Paris la
      Défense »); an article before it does not join (« dans le Lot »);
    - another link, when the words on the left and it begin names of communes (« Saint Étienne
      de Loire »: Saint-Étienne-de-Baïgorry…; « Pays de Morlaix » is a qualifier, not a name), or
      « sur »/« sous » and the word on the right end names of communes (« VILLENEIUVE SUR LOT »:
      Villeneuve-sur-Lot…; not « Regard sur Paris »).
    """
    if _ENDS_SENTENCE.search(left[-1]):
        return False
    if set(links) <= _ARTICLE_LINKS:
        return name_left
    for k in range(1, min(3, len(left)) + 1):
        first = normalize_name(" ".join(left[-k:]))
        if first and first not in _QUALIFIERS and geo.commune_prefix(
                normalize_name(" ".join([*left[-k:], *links]))):
            return True
    return links[-1] in ("sur", "sous") and f"{links[-1]} {normalize_name(right)}" in _sur_endings(geo)


@functools.lru_cache(maxsize=4)
def _sur_endings(geo: Geography) -> frozenset[str]:
    """The last two words of names of communes « …-sur-X », « …-sous-X » (``sur lot``)."""
    ends = (normalize_name(t.name).split()[-2:] for t in geo.territories("commune"))
    return frozenset(" ".join(e) for e in ends if len(e) == 2 and e[0] in ("sur", "sous"))


def _name_goes_on(geo: Geography, words: list[str], start: int, end: int) -> int | None:
    """Where the longer place name that the name ``words[start:end]`` begins ends (:func:`_compound`),
    or None when the name stands as its own words."""
    links: list[str] = []
    j = end
    while j < len(words) and _link(words[j]):
        links.append(_link(words[j]))
        j += 1
    if j < len(words) and _ELIDED.match(words[j]):
        links.append(words[j][0].lower())
    right = _ELIDED.sub("", words[j]) if j < len(words) else ""
    if links and right[:1].isupper() and _compound(geo, words[start:end], links, right, name_left=True):
        return j + 1
    return None


def _name_ends(geo: Geography, words: list[str], start: int) -> bool:
    """True when the name at ``words[start]`` ends a longer place name begun by capitalised words
    before it (:func:`_compound`)."""
    links = [words[start][0].lower()] if _ELIDED.match(words[start]) else []
    k = start - 1
    while k >= 0 and _link(words[k]):
        links.insert(0, _link(words[k]))
        k -= 1
    return bool(links and k >= 0 and words[k][:1].isupper()
                and _compound(geo, words[:k + 1], links, _ELIDED.sub("", words[start]), name_left=False))


# ---------------------------------------------------------------------------- deciding


def _context(geo: Geography, mentions: list[_Mention], exclude: int) -> tuple[set[str], set[str]]:
    """Codes of the départements and régions named unambiguously by the other mentions."""
    deps: set[str] = set()
    regions: set[str] = set()
    for j, m in enumerate(mentions):
        if j == exclude:
            continue
        if len(m.matches.get("departement", [])) == 1:
            deps.add(m.matches["departement"][0].split(":")[1])
        elif len(m.matches.get("region", [])) == 1:
            regions.add(m.matches["region"][0].split(":")[1])
    return deps, regions


def _one(ids) -> str | None:
    ids = set(ids)
    return ids.pop() if len(ids) == 1 else None


def _pick_commune(geo: Geography, m: _Mention, deps: set[str], regions: set[str],
                  strict: bool = False) -> str | None:
    """The one commune a mention names, given the context; None if none or ambiguous.

    Candidates come in tiers tried in order: exact current names, names of former
    or delegated communes, then names starting with the phrase (``Ramonville``).
    With départements in the context, the first tier with a candidate inside them
    decides; failing that (for plainly named communes only) the régions of the
    context do. Without context, an unambiguous exact name is enough.
    """
    tiers = [m.matches.get("commune", []), m.matches.get("commune-alias", []), m.prefix]
    if strict:  # the phrase is also a département/région name: exact names, département context
        tiers, regions = tiers[:1], set()
    if deps:
        for tier in tiers:
            inside = [c for c in tier if _dep_of(geo, c) in deps]
            if inside:
                return _one(inside)
        if m.weak or strict:
            return None
    if regions:
        for tier in tiers:
            inside = [c for c in tier if _region_of(geo, c) in regions]
            if inside:
                return _one(inside)
        return None
    if deps or m.scanned or strict:
        return None
    for tier in tiers[:2] if m.weak else tiers:
        if tier:
            return _one(tier)
    return None


def _decide(geo: Geography, m: _Mention, deps: set[str], regions: set[str],
            postal_deps: frozenset[str] | set[str] = frozenset()) -> str | None:
    found = m.matches
    if "pays" in found:
        return "pays:FR"
    dep, region = found.get("departement", []), found.get("region", [])
    if dep or region:
        commune = _pick_commune(geo, m, deps, set(), strict=True)
        if commune:
            return commune
        if len(dep) == 1 and postal_deps and dep[0].split(":")[1] not in postal_deps:
            return None  # « 47300 VILLENEIUVE SUR LOT »: a Lot read in passing, not the code's département
        if len(dep) == 1:
            alone = geo.communes_of(dep[0])  # Paris: the commune is the whole département
            same = [c for c in found.get("commune", []) if {c} == alone]
            return same[0] if same else dep[0]
        return _one(region)
    commune = _pick_commune(geo, m, deps, regions)
    if commune:
        return commune
    if _POSTAL.fullmatch(m.key) and found.get("commune"):  # « 29600 »: as a member list's postal code column
        return common_territory(geo, found["commune"])
    for level in ("epci", "ept"):
        group = _pick_group(geo, found.get(level, []), m, deps, regions)
        if group:
            return group
    return None


def _pick_group(geo: Geography, ids: list[str], m: _Mention, deps: set[str],
                regions: set[str]) -> str | None:
    """The one EPCI/EPT a mention names: with context, one that overlaps it."""
    if not ids:
        return None
    if deps:
        inside = [i for i in ids if any(_dep_of(geo, c) in deps for c in geo.communes_of(i))]
        if inside or m.weak:
            return _one(inside)
    if regions:
        return _one(i for i in ids if any(_region_of(geo, c) in regions for c in geo.communes_of(i)))
    return None if (deps or m.scanned) else _one(ids)


def location_label(location: str | None) -> str:
    """A readable place for a territory id: ``commune:31446`` → ``Ramonville-Saint-Agne (31)``.

    Unknown ids are returned as they are; ``None`` gives ``""``.

    >>> location_label("departement:31"), location_label(None)
    ('Haute-Garonne (31)', '')
    """
    if not location:
        return ""
    from maillage.geography import load_geography

    geo = load_geography()
    t = geo.get(location)
    if t is None:
        return location
    if t.level == "commune":
        try:
            dep = geo.rollup(t.id).get("departement")
        except Exception:  # noqa: BLE001
            dep = None
        return f"{t.name} ({dep.split(':', 1)[1]})" if dep else t.name
    if t.level == "departement":
        return f"{t.name} ({t.code})"
    return t.name
