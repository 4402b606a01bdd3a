"""Name normalisation for French place names, and the hand-written tables (former régions,
former EPCI names, usage names of a few métropoles).

``normalize_name`` folds the spelling variants met in documents onto one key:

- case and accents (``Étampes`` = ``etampes``), ligatures (``œ`` → ``oe``);
- punctuation, hyphens and apostrophes become spaces (``Lot-et-Garonne`` =
  ``Lot et Garonne``);
- ``St``/``Ste``/``Sts``/``Stes`` are expanded to ``Saint``/``Sainte``/…;
- the articles ``le``, ``la``, ``les``, ``l'`` are dropped wherever they stand, so
  INSEE's ``Mans (Le)`` = ``Le Mans`` = ``le-mans``.

>>> normalize_name("L'Île-Saint-Denis") == normalize_name("Ile St Denis")
True

EPCI names carry their legal form (``CC``, ``CA``, ``CU``, written out or
abbreviated); ``epci_name_keys`` returns the normalised full name with the form
abbreviated, plus its *core* (form and leading preposition removed), so that
``Communauté d'agglomération du Sicoval``, ``CA du Sicoval`` and ``Sicoval`` meet.

``metropole_key`` reads a métropole's name whatever the order of its words (« Lyon
Métropole » = « Métropole de Lyon »), and ``USUAL_TERRITORY_NAMES`` holds the usage names
no rule derives (« Grand Lyon », « MEL »): both for a territory typed on the command line.

``collectivite_name`` writes the name of the collectivité that administers a territory, as
French writes it: ``Commune de Roques``, ``Département de la Haute-Garonne``, ``Région
Occitanie``; an EPCI's or EPT's own name is already the body's (``CA du Sicoval``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

_ARTICLES = frozenset({"le", "la", "les", "l"})
_SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_WORD = re.compile(r"[^0-9a-z]+")

# Legal forms of EPCI / EPT names, written out (already normalised) -> abbreviation.
_EPCI_FORMS = (
    ("communaute d agglomeration", "ca"),
    ("communaute de communes", "cc"),
    ("communaute de commune", "cc"),
    ("communaute urbaine", "cu"),
    ("etablissement public territorial", "ept"),
)
_EPCI_ABBREVIATIONS = frozenset(abbr for _, abbr in _EPCI_FORMS)
_PREPOSITIONS = frozenset({"de", "du", "des", "d"})
_ACRONYM = re.compile(r"\(([A-Z0-9]{2,})\)")


def normalize_name(text: str) -> str:
    """Return the comparison key of a place name (see module docstring)."""
    text = text.translate(_LIGATURES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    tokens = _NON_WORD.sub(" ", text).split()
    return " ".join(_SAINTS.get(t, t) for t in tokens if t not in _ARTICLES)


_CEDEX = re.compile(r" cedex(?: \d{1,3})?$")
_ARRONDISSEMENT = re.compile(r"^(.+) (\d{1,2}) ?(?:e|er|ere|eme|em)(?: arr(?:ondissement)?)?$")


def address_form(key: str) -> str:
    """The name an address writes, as the geography names it (normalised input): ``CEDEX`` and
    its number left out (a mail-sorting office, not a place); an arrondissement written as
    people do (``lyon 3eme``, ``paris 11e arr``) as INSEE names it (``lyon 3e arrondissement``,
    an alias of the city).

    >>> address_form("toulouse cedex 9"), address_form("lyon 3eme"), address_form("marseille 1 er")
    ('toulouse', 'lyon 3e arrondissement', 'marseille 1er arrondissement')
    """
    key = _CEDEX.sub("", key)
    if m := _ARRONDISSEMENT.match(key):
        key = f"{m[1]} {m[2]}{'er' if m[2] == '1' else 'e'} arrondissement"
    return key


def abbreviate_form(key: str) -> str:
    """``communaute d agglomeration du sicoval`` -> ``ca du sicoval`` (normalised input)."""
    for written, abbr in _EPCI_FORMS:
        if key.startswith(written + " "):
            return abbr + key[len(written):]
    return key


def epci_full_key(name: str) -> str:
    """The key of an EPCI/EPT's whole name, its legal form abbreviated and a parenthesised
    acronym left out (``CA du Sicoval``, not ``Sicoval``).

    >>> epci_full_key("Communauté d'agglomération du Sicoval (SICOVAL)"), epci_full_key("Toulouse Métropole")
    ('ca du sicoval', 'toulouse metropole')
    """
    return abbreviate_form(normalize_name(_ACRONYM.sub(" ", name)))


def epci_name_keys(name: str) -> set[str]:
    """Keys under which an EPCI/EPT name is indexed: full name, core, acronym."""
    keys: set[str] = set()
    for acronym in _ACRONYM.findall(name):
        keys.add(normalize_name(acronym))
    full = epci_full_key(name)
    keys.add(full)
    tokens = full.split()
    if len(tokens) > 1 and tokens[0] in _EPCI_ABBREVIATIONS:
        tokens = tokens[1:]
        if len(tokens) > 1 and tokens[0] in _PREPOSITIONS:
            tokens = tokens[1:]
        keys.add(" ".join(tokens))
    return keys


# INSEE's type de nom en clair (TNCC) -> « de » followed by the name's article
_DE_BY_TNCC = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'", 6: "des ", 7: "de las ", 8: "de los "}
_VOWEL = re.compile(r"[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ]", re.I)


def de_name(name: str, tncc: int | None = None) -> str:
    """« de » + ``name`` as French writes it. With INSEE's ``tncc`` (départements, whose names
    carry no article): ``de la Haute-Garonne``, ``de l'Aude``, ``du Gers``, ``des Landes``.
    Without it, from the article the name itself carries (communes: ``Le Mans`` → ``du Mans``,
    ``Les Abymes`` → ``des Abymes``, ``La Rochelle`` → ``de La Rochelle``) and elided before a
    vowel (``d'Albi``); not before *h*, muet or aspiré (``de Hautefort``), which the name cannot tell.

    >>> de_name("Haute-Garonne", 3), de_name("Aude", 5), de_name("Gers", 2), de_name("Landes", 4)
    ('de la Haute-Garonne', "de l'Aude", 'du Gers', 'des Landes')
    >>> de_name("Le Mans"), de_name("Les Abymes"), de_name("La Rochelle"), de_name("Albi"), de_name("Roques")
    ('du Mans', 'des Abymes', 'de La Rochelle', "d'Albi", 'de Roques')
    """
    if tncc is not None and tncc in _DE_BY_TNCC:
        return _DE_BY_TNCC[tncc] + name
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if _VOWEL.match(name) and not name.startswith(("La ", "L'", "L’")):
        return "d'" + name
    return "de " + name


def collectivite_name(territory) -> str:
    """The name of the collectivité that administers ``territory`` (a
    :class:`~maillage.geography.Territory`): ``Commune de …``, ``Département de …`` (article from
    INSEE, :func:`de_name`), ``Région …``; an EPCI's or EPT's name as the geography gives it
    (``CA du Sicoval``, ``Toulouse Métropole``).

    >>> from maillage.geography import load_geography
    >>> geo = load_geography()
    >>> [collectivite_name(geo.get(t)) for t in ("commune:31458", "departement:31", "region:76", "epci:243100633")]
    ['Commune de Roques', 'Département de la Haute-Garonne', 'Région Occitanie', 'CA du Sicoval']
    """
    if territory.level == "commune":
        return "Commune " + de_name(territory.name)
    if territory.level == "departement":
        return "Département " + de_name(territory.name, territory.tncc)
    if territory.level == "region":
        return "Région " + territory.name
    return territory.name


# Pre-2016 régions and their provisional names, mapped to the current région code.
# Source: loi n° 2015-29 du 16 janvier 2015 relative à la délimitation des régions,
# art. 1 (regroupements, provisional names joined by hyphens) and art. 2 (Centre →
# Centre-Val de Loire). "PACA" and "Région Sud" are usage names of région 93.
FORMER_REGIONS: dict[str, str] = {
    "Alsace": "44", "Champagne-Ardenne": "44", "Lorraine": "44",
    "Alsace-Champagne-Ardenne-Lorraine": "44", "ACAL": "44",
    "Aquitaine": "75", "Limousin": "75", "Poitou-Charentes": "75",
    "Aquitaine-Limousin-Poitou-Charentes": "75", "ALPC": "75",
    "Auvergne": "84", "Rhône-Alpes": "84",
    "Bourgogne": "27", "Franche-Comté": "27",
    "Basse-Normandie": "28", "Haute-Normandie": "28",
    "Languedoc-Roussillon": "76", "Midi-Pyrénées": "76",
    "Languedoc-Roussillon-Midi-Pyrénées": "76", "LRMP": "76",
    "Nord-Pas-de-Calais": "32", "Picardie": "32", "Nord-Pas-de-Calais-Picardie": "32",
    "Centre": "24",
    "PACA": "93", "Région Sud": "93",
}

# Former names of EPCI that changed status or name but stayed the same legal person (their
# SIREN did not change), mapped to that SIREN: a document of 2010 naming the « Grand Toulouse »
# names today's Toulouse Métropole. Transformations into métropoles on 1 January 2015 under
# loi n° 2014-58 du 27 janvier 2014 (MAPTAM), art. 43 (Toulouse, Bordeaux, Strasbourg, Brest,
# Montpellier, Rouen), on 1 July 2016 (Grand Nancy) and on 1 January 2018 (Clermont, a
# communauté urbaine from 1 January 2017), each by decree; the SIREN is the one the shipped
# geography (DGCL's list of EPCI) gives the current body. Left out on purpose: a fusion that
# made a new EPCI (Lille Métropole Communauté urbaine, SIREN 245900410, inside the Métropole
# européenne de Lille of 2017, SIREN 200093201) and the Communauté urbaine de Lyon (the
# Métropole de Lyon is a new collectivité): like the régions merged in 2016 (FORMER_REGIONS),
# a predecessor is not its successor. « Grand Lyon » named the Communauté urbaine and is
# today's usage name of the Métropole de Lyon: ambiguous for an actor, so not here; typed to
# choose a territory, it is the Métropole's (USUAL_TERRITORY_NAMES), as « Lille Métropole » the MEL's.
FORMER_EPCI_NAMES: dict[str, str] = {
    "Communauté urbaine du Grand Toulouse": "243100518", "Grand Toulouse": "243100518",
    "Communauté urbaine de Bordeaux (CUB)": "243300316",
    "Communauté urbaine de Strasbourg (CUS)": "246700488",
    "Brest Métropole Océane (BMO)": "242900314", "Communauté urbaine de Brest": "242900314",
    "Montpellier Agglomération": "243400017", "Communauté d'agglomération de Montpellier": "243400017",
    "Communauté de l'agglomération Rouen-Elbeuf-Austreberthe (CREA)": "200023414",
    "Communauté urbaine du Grand Nancy": "245400676", "Grand Nancy": "245400676",
    "Clermont Communauté": "246300701", "Clermont-Co": "246300701",
    "Communauté d'agglomération Clermont-Co": "246300701",
}


def former_epci_siren(name: str) -> str | None:
    """The SIREN of the EPCI a former name designates (:data:`FORMER_EPCI_NAMES`), if any;
    the name is compared as the geography compares EPCI names (legal form written out or
    abbreviated, or left out).

    >>> former_epci_siren("Communauté d'agglomération Clermont-Co"), former_epci_siren("CU du Grand Toulouse")
    ('246300701', '243100518')
    >>> former_epci_siren("Toulouse Métropole") is None
    True
    """
    index = _former_epci_keys()
    return next((index[k] for k in sorted(epci_name_keys(name)) if k in index), None)


@functools.cache
def _former_epci_keys() -> dict[str, str]:
    return {key: siren for former, siren in FORMER_EPCI_NAMES.items() for key in epci_name_keys(former)}


# The words that say a métropole in its name, wherever they stand: « Lyon Métropole »,
# « Métropole de Lyon », « Eurométropole de Strasbourg », « Métropole Européenne de Lille ».
_METROPOLE_WORDS = frozenset({"metropole", "eurometropole"})
_METROPOLE_QUALIFIERS = frozenset({"europeenne"})


def metropole_key(name: str) -> str | None:
    """The key of a name that says a métropole, whatever the order of its words and its
    prepositions: ``metropole`` and the other words (« Eurométropole », « Métropole
    européenne » as « Métropole »); None when the name says no métropole. For what people
    type to choose a territory (:mod:`maillage.queries.lookup`), not to identify an actor: «
    Lille Métropole » was also the name of a predecessor of the Métropole Européenne de Lille.

    >>> metropole_key("Lyon Métropole") == metropole_key("Métropole de Lyon") == "metropole lyon"
    True
    >>> metropole_key("Métropole d'Aix-Marseille-Provence"), metropole_key("Strasbourg Eurométropole")
    ('metropole aix marseille provence', 'metropole strasbourg')
    >>> metropole_key("Métropole Européenne de Lille"), metropole_key("CA du Sicoval")
    ('metropole lille', None)
    """
    tokens = normalize_name(name).split()
    if not _METROPOLE_WORDS & set(tokens):
        return None
    rest = [t for t in tokens if t not in _METROPOLE_WORDS | _METROPOLE_QUALIFIERS | _PREPOSITIONS]
    return " ".join(["metropole", *rest]) if rest else None


# Names in current use for a territory that no rule derives from its official name, mapped to
# the SIREN the shipped geography (DGCL's list of EPCI) gives it. For what people type to
# choose a territory (``--territory``), never to identify an actor. Sources: the bodies' own
# usage on their sites and documents.
USUAL_TERRITORY_NAMES: dict[str, str] = {
    # « Grand Lyon, la Métropole » (grandlyon.com): the Métropole de Lyon, a collectivité à statut
    # particulier since 1 January 2015 (loi MAPTAM, art. 26), SIREN 200046977 (nature MET69);
    # also the name of the Communauté urbaine de Lyon before it, on the same communes
    "Grand Lyon": "200046977",
    # the Métropole Européenne de Lille's acronym (lillemetropole.fr), SIREN 200093201
    "MEL": "200093201",
    # the Métropole d'Aix-Marseille-Provence's acronym (ampmetropole.fr), SIREN 200054807
    "AMP": "200054807",
    # the Métropole du Grand Paris's acronym (metropolegrandparis.fr), SIREN 200054781
    "MGP": "200054781",
}


# Free-text names of the whole country (resolved to pays:FR).
COUNTRY_NAMES = frozenset(
    normalize_name(n) for n in (
        "France", "national", "nationale", "national France", "France entière",
        "France métropolitaine", "territoire national", "République française",
    )
)
