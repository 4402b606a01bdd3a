"""Name normalisation for lookups and entity resolution.

Three keys, from strict to loose:

- ``name_key`` folds case, accents, apostrophes, punctuation and leading articles, writes
  dotted initials as one word (``S.M.I.C.T.O.M.`` = ``SMICTOM``) and replaces the long forms
  that have one usual abbreviation by it: legal forms ("société coopérative d'intérêt
  collectif" → ``scic``, "société par actions simplifiée" → ``sas``…), EPCI forms
  ("communauté de communes" / "Com. Com." → ``cc``, "communauté d'agglomération" → ``ca``,
  "communauté urbaine" → ``cu``), "comité de bassin d'emploi" → ``cbe`` and "économie
  sociale et solidaire" → ``ess``. Two names with the same ``name_key`` are written the
  same way.
- ``core_key`` also drops what says *what* an actor is rather than *which* one: the legal
  form in front or at the end ("association", "SCIC", "SAS"… — never "fondation" outside
  the ESS family: the Fondation MACIF is not the MACIF), the generic words of the actor's
  family ("PTCE", "pôle"; "ministère … en charge de"; for a collectivité "Région", "Conseil
  régional", "Département", "Conseil général/départemental", "Ville de", "Commune de",
  "Mairie de", CC/CA/CU, "Métropole"), parenthesised text, and the small words inside
  (de, du, la, et…). So "PTCE Le Damier" = "LE DAMIER", "Conseil Régional Rhône-Alpes" =
  "Région Rhône-Alpes", "IEP de Grenoble" = "IEP Grenoble". A core key says less than a
  name: the resolver only merges on it with guards (compatible family, *kind* and place,
  parenthesised qualifiers that agree, no placeholder) — "Ville de Nantes" and "Nantes
  Métropole" share the core ``nantes`` and are never merged, being a commune and an EPCI.
- ``name_forms`` lists the other ways one written name names the actor: the parts of
  "Pôle Sud (Drôme) / Pôle Sud Archer", and both sides of "CDC – Caisse des Dépôts" when
  one side is an acronym of the other (same first letter).

Abbreviations of EPCI legal forms: Code général des collectivités territoriales, art.
L5214-1 (CC), L5216-1 (CA), L5215-1 (CU), L5219-2 (EPT); the same table as
:mod:`maillage.geography.names`.

>>> name_key("L’Atelier  Coopératif")
'atelier cooperatif'
>>> name_key("Com. Com. Saône Vallée") == name_key("Communauté de Communes Saône Vallée")
True
>>> core_key("PTCE Le Périscope", "pole")
'periscope'
>>> core_key("Conseil Régional Rhône-Alpes", "collectivite") == core_key("région Rhône-Alpes", "collectivite")
True
>>> name_forms("CDC – Caisse des Dépôts et consignations")
['CDC – Caisse des Dépôts et consignations', 'CDC', 'Caisse des Dépôts et consignations']
"""

from __future__ import annotations

import functools
import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")
_ARTICLES = {"le", "la", "les", "l", "the", "un", "une", "des", "du", "de", "d"}
_SAINT = re.compile(r"\b(st)\b")
_SAINTE = re.compile(r"\b(ste)\b")
_DOTTED_INITIALS = re.compile(r"\b(?:[^\W\d_]\.){2,}")  # S.M.I.C.T.O.M. , C.R.I.D.

# Long forms with one usual abbreviation (folded, on word boundaries). Synonyms only: the two
# sides of a comparison get the same treatment, so this never makes two names differ.
_ABBREVIATIONS = {
    # legal forms (Code de commerce; loi n° 47-1775 (coopération), loi n° 2001-624 (SCIC))
    "societe cooperative d interet collectif": "scic",
    "societe cooperative et participative": "scop",
    "societe cooperative ouvriere de production": "scop",
    "cooperative d activites et d emploi": "cae",
    "societe par actions simplifiee unipersonnelle": "sasu",
    "societe par actions simplifiee": "sas",
    "societe a responsabilite limitee": "sarl",
    "entreprise unipersonnelle a responsabilite limitee": "eurl",
    "societe anonyme": "sa",
    "groupement europeen d interet economique": "geie",
    "groupement d interet economique": "gie",
    "association loi 1901": "association",
    "association loi de 1901": "association",
    # EPCI (CGCT L5214-1, L5216-1, L5215-1, L5219-2)
    "communaute de communes": "cc",
    "communaute de commune": "cc",
    "com com": "cc",
    "communaute d agglomeration": "ca",
    "communaute urbaine": "cu",
    "etablissement public territorial": "ept",
    # the ESS vocabulary
    "comite de bassin d emploi": "cbe",
    "comites de bassin d emploi": "cbe",
    "economie sociale et solidaire": "ess",
}
_ABBREVIATION_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _ABBREVIATIONS), key=len, reverse=True))
                              + r")\b")

# Legal forms: generic for every family but persons and collectivités, in front of a name or
# at its end ("SCIC Ôkhra", "Ecosimo SAS"). "sa" only at the end ("SA" in front is rare and
# "sa" is also a French word).
_LEGAL_FORMS = ("association", "asso", "scic", "scop", "sarl", "sasu", "sas", "eurl", "gie", "geie", "sa")
_TRAILING_ONLY = {"sa"}

# Generic words that say what an actor is rather than which one it is, by family (leading).
_GENERIC: dict[str, tuple[str, ...]] = {
    "pole": ("ptce", "pole territorial de cooperation economique", "pole de cooperation economique",
             "pole de cooperation", "pole", "cluster", "grappe d entreprises", "grappe"),
    "ess": ("association", "asso", "scic", "scop", "sarl scop", "sas scop", "cooperative", "cae",
            "fondation", "mutuelle", "sas", "sarl"),
    "enterprise": ("sarl", "sas", "sa", "eurl", "sasu", "societe", "entreprise"),
    "network": ("reseau", "federation", "association"),
    "support": ("association",),
    "research": ("laboratoire", "institut de recherche", "institut"),
    "state": ("ministere", "secretariat d etat", "delegue", "deleguee", "en charge", "charge", "chargee"),
    "collectivite": ("conseil regional", "region", "conseil departemental", "conseil general", "departement",
                     "ville", "commune", "mairie", "cc", "ca", "cu", "ept", "metropole", "communaute",
                     "agglomeration", "parc naturel regional", "parc", "pnr", "ex"),
}
# Generic words at the end of a name, by family ("Nantes Métropole", "Lille Métropole CU").
_TRAILING: dict[str, tuple[str, ...]] = {
    "collectivite": ("metropole", "cc", "ca", "cu", "agglomeration"),
}
# Small words dropped inside a core key ("IEP de Grenoble" = "IEP Grenoble").
_SMALL_WORDS = {"le", "la", "les", "l", "de", "du", "des", "d", "et", "en", "a", "au", "aux", "the", "of", "and"}


# « M. Jean Dupont », « Mme C. Martin », « Madame la Maire », « Dr Paul Roux »: a civility before a name
_CIVILITY = re.compile(r"^(?:M\.|MM\.|Mmes?\.?|Mlle\.?|Monsieur|Madame|Mademoiselle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|"
                       r"Docteure?|Pr\.?|Professeure?)\s+\w", re.IGNORECASE)


def civility_name(name: str) -> bool:
    """Whether a name starts with a civility (« Mme Claire Martin », « M. DUPONT Jean »): a natural
    person's, whom the loaders flag as personal data when no identifier says otherwise — unless
    the name states an organisation's legal form (« Mr Bricolage SAS », « M. Meuble SARL »).
    (« Mr Bricolage » alone, as « M. Dupont », is taken for a person: the safe side.)

    >>> [civility_name(n) for n in ("Mme Claire Martin", "M. DUPONT", "Mr Bricolage SAS", "Mutuelle Mme")]
    [True, True, False, False]
    """
    m = _CIVILITY.match(name)
    return m is not None and legal_form_in_name(name[m.end() - 1:]) is None


#: Legal forms a name states (on its folded text), and the form each means.
_LEGAL_FORM_WORDS = [(re.compile(p), form) for p, form in [
    (r"\bscic\b|societe cooperative d interet collectif", "SCIC"),
    (r"\bscop\b|societe cooperative et participative|cooperative ouvriere", "SCOP"),
    (r"^association\b|^asso\b", "association"),
    (r"\bsasu$|^sasu\b", "SASU"), (r"\bsas$|^sas\b", "SAS"), (r"\bsarl$|^sarl\b", "SARL"),
    (r"\beurl$|^eurl\b", "EURL"),
    # the agricultural forms (« Earl » in front only before a particle: also a first name)
    (r"\bgaec$|^gaec\b", "GAEC"), (r"\bearl$|^earl (?:de|du|des|d|la|le|les)\b", "EARL"),
    (r"\bscea$|^scea\b", "SCEA"), (r"\bcuma$|^cuma\b", "CUMA"), (r"\bsica$|^sica\b", "SICA"),
]]


def legal_form_in_name(name: str) -> str | None:
    """The legal form a name states explicitly ("SCIC Provence Numérique" → "SCIC")."""
    t = fold(name)
    for rx, form in _LEGAL_FORM_WORDS:
        if rx.search(t):
            return form
    return None


class _Combining(dict):
    """``str.translate`` table dropping combining characters (accents once decomposed), each
    character looked up once: the same as testing ``unicodedata.combining`` on every one."""

    def __missing__(self, code: int) -> int | None:
        out = self[code] = None if unicodedata.combining(chr(code)) else code
        return out


_NO_COMBINING = _Combining()


@functools.lru_cache(maxsize=1 << 18)  # as the keys below (_KEY_CACHE)
def fold(text: str) -> str:
    """Lower-case, strip accents, turn punctuation into spaces, collapse whitespace.

    ``+`` is read as a word ("GE+" and "GE'" are two different employers' groups). Pure, so
    remembered like the keys below: a load folds each name several times (its keys while
    resolving, the search text while writing)."""
    t = text.replace("+", " plus ")
    if not t.isascii():  # ASCII has nothing to decompose (most names: the character loop skipped)
        t = unicodedata.normalize("NFKD", t)
        t = t.translate(_NO_COMBINING)
    t = t.lower().replace("œ", "oe").replace("æ", "ae")
    t = _PUNCT.sub(" ", t)
    return _SPACE.sub(" ", t).strip()


def alpha_key(name: str) -> tuple[str, str]:
    """Sort key putting names in the order a French reader expects: accents, case and
    ligatures ignored (:func:`fold`: « Épicerie » with the E, « Œuvre » with « oe », « à petits
    pas » with the A), the original string breaking ties.

    >>> sorted(["Ville de Cahors", "Épicerie solidaire", "à petits pas", "Œuvre"], key=alpha_key)
    ['à petits pas', 'Épicerie solidaire', 'Œuvre', 'Ville de Cahors']
    """
    return fold(name), name


# Legal forms of other countries that international data (FollowTheMoney / OpenSanctions)
# puts in front of names: generic too, so that "ООО «СПС»" and "ООО «РТЦ»" do not meet.
_FOREIGN_FORMS = ("public joint stock company", "joint stock company", "limited liability company", "llc", "jsc",
                  "pjsc", "ojsc", "cjsc", "ooo", "oao", "zao", "pao", "gmbh",
                  "общество с ограниченной ответственностью", "непубличное акционерное общество",
                  "публичное акционерное общество", "акционерное общество",
                  "товариство з обмеженою відповідальністю", "акціонерне товариство")
_GENERIC["enterprise"] += tuple(fold(f) for f in _FOREIGN_FORMS)


#: Names whose keys are kept: resolution computes a batch's keys, then the store writes them
#: (the same names, moments later); bounded so a nation-scale load does not hold them all.
_KEY_CACHE = 1 << 18


@functools.lru_cache(maxsize=_KEY_CACHE)
def name_key(name: str) -> str:
    """The lookup key of a name: folded, initials joined, ``st``→``saint``, usual
    abbreviations, leading articles removed.

    >>> name_key("Ville de St.-Étienne")
    'ville de saint etienne'
    """
    # each substitution only where its pattern can match (a dot; "st"): most names have neither
    t = fold(_DOTTED_INITIALS.sub(lambda m: m.group(0).replace(".", ""), name) if "." in name else name)
    if "st" in t:
        t = _SAINTE.sub("sainte", _SAINT.sub("saint", t))
    t = _ABBREVIATION_RE.sub(lambda m: _ABBREVIATIONS[m.group(1)], t)
    words = t.split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


_QUALIFIER_STOP = {"les", "des", "une", "pour", "sur", "aux", "avec", "non", "nomme", "nommee", "the", "and",
                   "implicite", "implicit", "implied", "deduit", "deduite", "inferred", "precise", "precisee"}


def parenthesised(name: str) -> list[str]:
    """The text inside each top-level pair of parentheses (nested ones included)."""
    if "(" not in name:
        return []
    out, depth, start = [], 0, 0
    for i, c in enumerate(name):
        if c == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif c == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append(name[start:i])
    return out


def _outside_parentheses(name: str) -> str:
    """The name without its parenthesised parts (nested ones too); unbalanced ones are kept."""
    if "(" not in name:
        return name
    out, depth = [], 0
    for c in name:
        if c == "(":
            depth += 1
        elif c == ")" and depth:
            depth -= 1
            out.append(" ")
        elif depth == 0:
            out.append(c)
    return "".join(out) if depth == 0 else re.sub(r"\([^()]*\)", " ", name)


_NO_WORDS: frozenset[str] = frozenset()


def qualifiers(name: str) -> frozenset[str]:
    """Significant words in a name's parentheses: "Maison de l'économie solidaire (Ramonville)"
    → {"ramonville"}. Two names whose qualifiers share no word name different actors."""
    if "(" not in name:
        return _NO_WORDS
    words: set[str] = set()
    for inner in parenthesised(name):
        words |= {w for w in fold(inner).split() if len(w) >= 3 and w not in _QUALIFIER_STOP}
    return frozenset(words)


@functools.lru_cache(maxsize=None)
def _generic_words(family: str | None) -> tuple[list[list[str]], list[list[str]]]:
    """(leading, trailing) generic phrases of a family, as word lists."""
    leading = _GENERIC.get(family or "", ())
    trailing = _TRAILING.get(family or "", ())
    if family not in ("person", "collectivite"):
        leading = (*leading, *(f for f in _LEGAL_FORMS if f not in _TRAILING_ONLY))
        trailing = (*trailing, *_LEGAL_FORMS)
    return [g.split() for g in leading], [g.split() for g in trailing]


@functools.lru_cache(maxsize=None)
def _generic_index(family: str | None) -> tuple[dict[str, list[list[str]]], dict[str, list[list[str]]]]:
    """:func:`_generic_words` by first word (leading phrases) and by last word (trailing ones),
    each list in the original order: a name is only tried against the phrases that can match it."""
    leading_split, trailing_split = _generic_words(family)
    first: dict[str, list[list[str]]] = {}
    last: dict[str, list[list[str]]] = {}
    for g in leading_split:
        first.setdefault(g[0], []).append(g)
    for g in trailing_split:
        last.setdefault(g[-1], []).append(g)
    return first, last


def _strip_generic(words: list[str], family: str | None) -> list[str]:
    """Drop leading articles, legal forms and the family's generic words (leading and, for some
    families, trailing), until none is left in front; ``[]`` when nothing else remains."""
    first, last = _generic_index(family)
    changed = True
    while changed and words:
        changed = False
        if words[0] in _SMALL_WORDS:
            words, changed = words[1:], True
            continue
        for g in first.get(words[0], ()):
            if words[:len(g)] == g:
                words, changed = words[len(g):], True
                break
        else:
            for g in last.get(words[-1], ()):
                if len(words) > len(g) and words[-len(g):] == g:
                    words, changed = words[:-len(g)], True
                    break
    return words


def _core(words: list[str], family: str | None) -> str:
    kept = _strip_generic(words, family)
    return " ".join(w for w in kept if w not in _SMALL_WORDS) or " ".join(kept)


@functools.lru_cache(maxsize=_KEY_CACHE)
def core_key(name: str, family: str | None = None) -> str:
    """``name_key`` without parenthesised text, legal forms, the family's generic words and
    small words. When the name is nothing but generic words outside its parentheses ("la
    Région (Pays de la Loire)"), the parenthesised text is the core; when it is nothing but
    generic words at all, its ``name_key``."""
    outer = name_key(_outside_parentheses(name)).split()
    core = _core(outer, family) if outer else ""
    if not core:
        core = _core(name_key(name).split(), family)
    return core or name_key(name)


def core_keys(name: str, family: str | None = None) -> list[str]:
    """The core key, and for a name with parentheses the core of the whole name read as if
    they were not there (a word repeated inside them counted once): "Maison d'Economie
    Solidaire (Pays de Bray)" also gives ``maison economie solidaire pays bray``, the core of
    "Maison de l'économie solidaire du pays de Bray"."""
    first = core_key(name, family)
    if "(" not in name:
        return [first]
    flat = " ".join(dict.fromkeys(_core(name_key(name).split(), family).split()))  # "CBE (CBE du X)"
    return [first] if not flat or flat == first else [first, flat]


#: Names borne by one body per territory — a consular chamber, a mission locale, a CAF, a foyer
#: rural…: the name alone does not say which one (the Chambre de métiers et de l'artisanat of
#: Haute-Garonne is not Lille's). Not the national bodies with local offices (France Travail, ex
#: Pôle emploi: one legal unit). Compared by :func:`core_keys` (outside parentheses: « Chambre
#: des Métiers et de l'Artisanat (CMA) » is one); a name with more words (« … de la
#: Haute-Garonne ») is a particular body and is not one of them. Sources: the networks' own
#: lists (CMA France, CCI France, Chambres d'agriculture, Unml, Cnaf, Urssaf,
#: MSA, ADN Tourisme, Unccas, Unaf, Fédération des banques alimentaires, Fédération des foyers
#: ruraux, FFMJC, Fédération des centres sociaux).
NETWORK_NAMES = (
    "Chambre de métiers et de l'artisanat", "Chambre des métiers et de l'artisanat", "Chambre de métiers",
    "Chambre des métiers", "CMA", "CMAR", "Chambre de commerce et d'industrie", "CCI", "Chambre d'agriculture",
    "Mission locale", "Mission locale jeunes", "Maison de l'emploi", "Maison de l'emploi et de la formation",
    "PLIE", "Caisse d'allocations familiales", "CAF",
    "Caisse primaire d'assurance maladie", "CPAM", "URSSAF", "Mutualité sociale agricole", "MSA",
    "Office de tourisme", "Office du tourisme", "Centre communal d'action sociale", "CCAS",
    "Centre intercommunal d'action sociale", "CIAS", "UDAF", "Union départementale des associations familiales",
    "Banque alimentaire", "Foyer rural", "Comité des fêtes", "Maison des jeunes et de la culture", "MJC",
    "Centre social", "Amicale laïque", "Office municipal des sports", "École de musique", "Secours populaire",
    "Secours populaire français", "Restos du cœur", "Les Restaurants du cœur", "CRESS",
    "Chambre régionale de l'économie sociale et solidaire", "URSCOP", "Union régionale des Scop",
)


@functools.lru_cache(maxsize=None)
def network_cores(family: str | None = None) -> frozenset[str]:
    """The core keys of :data:`NETWORK_NAMES` for an actor of ``family`` (:func:`core_keys`)."""
    return frozenset(c for n in NETWORK_NAMES for c in core_keys(n, family))


def network_name(name: str, family: str | None = None) -> bool:
    """Whether ``name`` is only the name of a network of bodies, one per territory
    (:data:`NETWORK_NAMES`): matching such a name says nothing of which body it is.

    >>> network_name("CHAMBRE DE METIERS ET DE L'ARTISANAT"), network_name("Chambre des Métiers et de l'Artisanat (CMA)")
    (True, True)
    >>> network_name("Chambre de métiers et de l'artisanat de la Haute-Garonne"), network_name("Mode d'emploi")
    (False, False)
    """
    return not network_cores(family).isdisjoint(core_keys(name, family))


def generic_only(name: str, family: str | None = None) -> bool:
    """Whether a name is nothing but generic words for its family ("la Mairie", "Département")."""
    return not _core(name_key(name).split(), family)


_DASHES = re.compile(r"\s+[–—]\s+")
_SLASH = re.compile(r"\s+/\s+")
_FORM_MARKS = re.compile(r"[/–—(]")  # what name_forms splits on or looks into
_ACRONYM_SIDE = re.compile(r"^[^\W\d_][\w'’.]{1,11}(?:\s+\d{1,3})?$")


def _top_level_split(name: str, sep: re.Pattern[str]) -> list[str]:
    """Split on ``sep`` outside parentheses."""
    parts, depth, last = [], 0, 0
    for m in sep.finditer(name):
        depth = name.count("(", 0, m.start()) - name.count(")", 0, m.start())
        if depth == 0:
            parts.append(name[last:m.start()])
            last = m.end()
    parts.append(name[last:])
    return [p.strip() for p in parts if p.strip()]


def _first_letter(text: str) -> str:
    words = [w for w in name_key(text).split() if w not in _SMALL_WORDS]
    return words[0][0] if words else ""


def _acronym_of(short: str, long: str) -> bool:
    """``short`` looks like an acronym (one word, maybe a number: "SMAC 07") for ``long``
    (several words, same first letter)."""
    s = short.strip()
    return (bool(_ACRONYM_SIDE.match(s)) and len(name_key(long).split()) >= 2
            and _first_letter(s) == _first_letter(long) != "")


_UPPER_ACRONYM = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý0-9&]{1,9}$")


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _acronym_in_parentheses(name: str) -> list[str]:
    """Parenthesised parts that start with an upper-case acronym of the name outside them (its
    letters are initials of the name's words, in order, from the first) and otherwise only
    repeat its words: "Institut d'Études Politiques, Grenoble (IEP de Grenoble)" → "IEP de
    Grenoble"; not "Resto Passerelle (APPUI)" (a structure porteuse) nor "(Ramonville)"."""
    outer = [w for w in fold(_outside_parentheses(name)).split() if w not in _SMALL_WORDS]
    initials = "".join(w[0] for w in outer)
    out = []
    for inner in parenthesised(name):
        tokens = inner.replace(".", "").split()
        if not tokens or not _UPPER_ACRONYM.match(tokens[0]) or not initials:
            continue
        acronym = fold(tokens[0])
        rest = [w for w in fold(" ".join(tokens[1:])).split() if w not in _SMALL_WORDS]
        if (len(acronym) >= 2 and acronym[0] == initials[0] and _is_subsequence(acronym, initials)
                and all(w in outer for w in rest)):
            out.append(inner.strip())
    return out


def slash_parts(name: str) -> list[str]:
    """The parts of "A / B" (outside parentheses); ``[name]`` when there is no such slash."""
    return _top_level_split(name, _SLASH) if _SLASH.search(name) else [name]


def name_forms(name: str) -> list[str]:
    """The name, then the other names it contains: each part of "A / B" (parts that are only
    generic words are left out by the caller's keys), both sides of "ACRONYM – Long name"
    or "Long name – ACRONYM" (en or em dash) when the acronym starts like the long name, and
    a parenthesised acronym of the name ("Institut d'Études Politiques (IEP de Grenoble)").

    >>> name_forms("Pôle Sud (Drôme) / Pôle Sud Archer")
    ['Pôle Sud (Drôme) / Pôle Sud Archer', 'Pôle Sud (Drôme)', 'Pôle Sud Archer']
    >>> name_forms("Les Ecossolies – Le Solilab")
    ['Les Ecossolies – Le Solilab']
    """
    if not _FORM_MARKS.search(name):  # no slash, dash or parenthesis: no other form
        return [name]
    forms = [name]
    slash = slash_parts(name)
    if len(slash) > 1:
        forms += slash
    for f in list(forms):
        sides = _top_level_split(f, _DASHES)
        if len(sides) == 2 and (_acronym_of(sides[0], sides[1]) or _acronym_of(sides[1], sides[0])):
            forms += sides
    if "(" in name:
        forms += _acronym_in_parentheses(name)
    return list(dict.fromkeys(forms))
