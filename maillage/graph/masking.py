"""Natural persons' names found and masked in free text, one number per person
(:func:`person_masker`): the text rule that the views, exports and reports use through
:mod:`maillage.analytics.persons`, and that :mod:`maillage.graph.erasure` uses to replace an
erased person's name in the store. No store read: the names are given. See docs/privacy.md,
« How a name is masked ».
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache


#: Words before a name that are not part of it (« Mme BARDOT Florence »).
_CIVILITY = {"m", "m.", "mme", "mlle", "mr", "mrs", "ms", "dr", "pr"}
_PARTICLES = {"de", "du", "des", "la", "le", "van", "von", "der", "den", "di", "da", "del", "dos"}
#: What follows a surname in a citation: « et al. », « (2017) », « , 2017 », or a second author
#: then one of those (« Fraisse et Laville (2015) »). A year: 1600–2099, a letter after it allowed.
_YEAR = r"(?:1[6-9]|20)\d\d[a-z]?(?!\w)"
_CITED = (r"(?=\s+et\s+al\b|\s*\(\s*" + _YEAR + r"|\s*,\s*" + _YEAR
          + r"|\s+(?:et|and|&)\s+(?-i:[A-ZÀ-Ý])[\w'’-]*(?:\s+et\s+al\b\.?)?\s*(?:\(\s*|,\s*)" + _YEAR + ")")


def _surnames(name: str) -> set[str]:
    """The surname forms of a person's ``name`` a citation may use alone: what follows the
    first name (« Le Scornet »), its last word (« Scornet »), or its words in capitals
    (« BARDOT » in « Mme BARDOT Florence »). None when ``name`` has a word that is neither
    capitalised nor a particle (« chargée de mission ESS »: a role, not a name).

    >>> sorted(_surnames("Daniel Le Scornet")), _surnames("Mme BARDOT Florence"), _surnames("chargée de mission ESS")
    (['Le Scornet', 'Scornet'], {'BARDOT'}, set())
    """
    words = [w for w in name.split() if w.lower() not in _CIVILITY]
    if not words or any(not w[:1].isupper() and w.lower() not in _PARTICLES and not re.match(r"d['’]\w", w)
                        for w in words):
        return set()
    caps = {w for w in words if len(w) > 1 and w.isupper()}
    if caps:
        return caps
    return {w for w in (" ".join(words[1:]), words[-1]) if len(w) > 1 and w.lower() not in _PARTICLES}


#: What may separate the words of a name: spaces, and in files and ids « _ . - + » (« entretien-
#: Didier-Cognon.csv », « cr_cognon_didier »); apostrophes (« Jeanne d'Arc »). Nothing too:
#: « DidierCognon », « didiercognon ».
_SEP = r"[\s_.+\-'’]"
_WORDS = re.compile(_SEP + "+")
#: The tokens of a name's form that are not letters: between two words of the first name or of
#: the surname (a separator or nothing); between the surname and the first name written after it
#: (a separator, a comma, or nothing where a capital follows a small letter: « Cognon, Didier »,
#: « CognonDidier », not « ROSEMARIE » for Marie Rose); after an initial (« T. Podlewski »,
#: « T Podlewski »).
_JOIN, _SWAP, _INITIAL = "\x01", "\x02", "\x03"
_TOKENS = {_JOIN: _SEP + "{0,3}",
           _SWAP: r"(?:" + _SEP + r"{1,3}|\s*,\s*|(?<=(?-i:[a-zß-öø-ÿ]))(?=(?-i:[A-ZÀ-ÖØ-Þ])))",
           _INITIAL: r"(?:\." + _SEP + "{0,3}|" + _SEP + "{1,3})"}
#: Where a name may start and end: not inside a word, except where a capital follows a small
#: letter (« entretienDidierCognon », « DidierCognonEntretien »).
_CAMEL = r"(?<=(?-i:[a-zß-öø-ÿ]))(?=(?-i:[A-ZÀ-ÖØ-Þ]))"
_START = r"(?:(?<![^\W\d_])|" + _CAMEL + ")"
_END = r"(?:(?![^\W\d_])|" + _CAMEL + ")"


def _fold(text: str) -> str:
    """``text`` lower-cased, without its accents (« Cécile » → « cecile », « Œuvre » → « oeuvre »)."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae") \
        .replace("ß", "ss")


def _key(text: str) -> str:
    """What tells a name apart from another: its letters, folded (« Didier-COGNON » and
    « didiercognon » → « didiercognon »)."""
    return "".join(c for c in _fold(text) if c.isalpha())


def _unaccented() -> list[str]:
    """A :meth:`str.translate` table writing each accented Latin letter as its letter (« É » → « E »,
    « ç » → « c »), one character for one: a match in the translated text is at the same place
    in the text. The letters written as two (« œ », « æ », « ß ») are kept. A list up to the
    general punctuation (« ’ », « — ») rather than a dict: translating is three times faster, and
    every text of a view goes through it."""
    table = [chr(cp) for cp in range(0x2070)]
    for cp in range(0xC0, 0x250):
        base = "".join(c for c in unicodedata.normalize("NFKD", chr(cp)) if not unicodedata.combining(c))
        if len(base) == 1 and base != chr(cp) and base.isalpha():
            table[cp] = base
    return table


_UNACCENTED = _unaccented()


def _forms(name: str) -> list[tuple[int, str]]:
    """The forms of ``name`` (its remarks in parentheses dropped) a text, a file name or an id
    writes it in, as token strings with their rank (lower wins when two persons' forms meet):
    0 its words in order, separated or not (« Didier Cognon », « didier_cognon », « DidierCOGNON »);
    1 the surname first (« Cognon Didier », « COGNON, Didier », « cr_cognon_didier »,
    « CognonDidier »); 2 the first name as an initial (« D. Cognon »). Civilities are dropped for
    the last two (« Mme BARDOT Florence »: « Florence Bardot »)."""
    words = [w for w in name.split() if w]
    bare = [w for w in words if w.lower() not in _CIVILITY] or words

    def joined(ws: list[str]) -> str:
        return _JOIN.join(_fold(p) for w in ws for p in _WORDS.split(w) if p)

    out = [(0, joined(words)), (0, joined(bare))]
    if len(bare) > 1:
        first, rest = bare[0], bare[1:]
        out.append((1, joined(rest) + _SWAP + joined([first])))
        initial = _fold(first)[:1]
        if initial.isalpha() and len(first) > 1:
            out.append((2, initial + _INITIAL + joined(rest)))
    return [(rank, form) for rank, form in out if _key(form)]


#: A name run into other letters with nothing to tell where it starts or ends (« ENTRETIENDIDIERCOGNON »,
#: « cr_reunion_cognondidier »: capitals or small letters only) is found only written whole, first
#: name and surname, in order or surname first, with a surname of :data:`_RUN_SURNAME` letters or
#: more and :data:`_RUN_WHOLE` letters or more in all: « Marie Rose » is not found in « rosemarie »
#: nor « Anne Mas » in « Annemasse ».
_RUN_SURNAME, _RUN_WHOLE = 5, 10
#: Where such a name may be: a run of letters long enough (without accents: :data:`_UNACCENTED`).
_LONG_RUN = re.compile(r"[A-Za-z]{%d,}" % _RUN_WHOLE)


def _run_forms(name: str) -> list[str]:
    """The forms of ``name`` (without its remarks in parentheses) searched even inside a word: its
    letters, folded, first name then surname and surname then first name, when it looks like a
    person's name (:func:`_surnames`: its words capitalised), has a first name of two letters or
    more and a surname long enough (:data:`_RUN_SURNAME`, :data:`_RUN_WHOLE`).

    >>> _run_forms("Didier Cognon"), _run_forms("Marie Rose"), _run_forms("chargée de mission ESS")
    (['didiercognon', 'cognondidier'], [], [])
    """
    bare = [w for w in name.split() if w.lower() not in _CIVILITY]
    if len(bare) < 2 or not _surnames(name):
        return []
    first, rest = _key(bare[0]), _key(" ".join(bare[1:]))
    if (not (first + rest).isascii() or len(first) < 2 or len(rest) < _RUN_SURNAME
            or len(first) + len(rest) < _RUN_WHOLE):
        return []
    return [first + rest, rest + first]


def _given_forms(given: str) -> tuple[list[tuple[int, str]], list[str]]:
    """Every form :func:`person_masker` looks for of a name as ``given``: ``(rank, form)`` as
    :func:`_forms` writes them (rank 3: a surname, found where it is cited), and the forms found
    inside a word too (:func:`_run_forms`)."""
    # the name without its parenthesised remarks (« Christiane Bouchard (RTES) ») gives the
    # forms; the name as given is masked too (« Anne (C.) Martin », « Marie Durand (Mimi) »)
    name = re.sub(r"\s*\([^)]*\)", "", given).strip(" .,;")
    found = _forms(name) if name else []
    if given != name:
        found.append((0, "".join(_JOIN if c.isspace() else _fold(c) for c in given)))
    if any(len(_fold(c)) != 1 for c in name):  # « Cœur »: « coeur » is found, and « cœur » as written
        found.append((0, "".join(_JOIN if c.isspace() else c.lower().translate(_UNACCENTED) for c in name)))
    found += [(3, _JOIN.join(_fold(p) for p in _WORDS.split(s) if p)) for s in _surnames(name)] if name else []
    return found, (_run_forms(name) if name else [])


def _trie(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words`` (folded, as :func:`_forms` writes them: use
    it case-insensitively on a text without its accents, :data:`_UNACCENTED`; each token of
    :data:`_TOKENS` matches what it stands for), written as a tree of their common prefixes so that
    hundreds of names stay fast to search; a word that is the prefix of another is tried after
    the longer one.

    >>> t = _trie(["dupont", "dupond", "du"])
    >>> t
    'du(?:pon(?:d|t))?'
    >>> _trie(["de\x01boni"]) == "de" + _TOKENS[_JOIN] + "boni"
    True
    """
    tree: dict = {}
    for w in words:
        node = tree
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def char(c: str) -> str:
        return _TOKENS.get(c) or re.escape(c)

    def walk(node: dict) -> str:
        alts = []
        for c, child in sorted(node.items()):
            if c:
                alts.append(char(c) + walk(child))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(tree)


def _numbered(mask: str, n: int) -> str:
    """``mask`` with a person's number: « [personne] » → « [personne 2] »."""
    return f"{mask[:-1]} {n}]" if mask.endswith("]") else f"{mask} {n}"


def person_masker(names: Iterable[str | Iterable[str]], mask: str = "[personne]") -> Callable[[str], str]:
    """A function replacing each person's names in text by ``mask`` and the person's number
    (« [personne 1] », « [personne 2] »: two persons are told apart, and a person is the same
    number in every text the function masks). ``names``: one item per person, in the order to
    number them (:func:`person_groups`): a tuple of its names and aliases, or a name alone, or
    an empty tuple for a number no one has (a person removed); a name already given for an
    earlier person is that person's.

    A name is found whatever its case and its accents (« CÉCILE », « Cecile »), its words
    separated by spaces or by what a file name or an id puts between them (« _ - . + »), or by
    nothing (« didiercognon », « entretienDidierCognon.csv »: inside a word after a small
    letter, at a capital), in order or surname first (« Podlewski Thomas », « Fraisse, Laurent »,
    « cr_cognon_didier »), and with the first name as an initial (« T. Podlewski »). Inside a word
    in capitals or small letters only (« ENTRETIENDIDIERCOGNON », « cr_reunion_cognondidier »),
    only a whole name long enough: :func:`_run_forms` (« rosemarie » is not Marie Rose). A word of a
    name alone is not masked (« Marie Rose »: the « rose » of « maison rose » stays), except a
    surname where it is cited as an author: followed by « et al. », by a year in parentheses or
    by « , <year> » (« Fraisse et al. », « Fraisse (2017) », « Fraisse, 2017 »); elsewhere it may
    be a place or a word (« Valence »).

    >>> person_masker(["Jeanne Dupont"])("présidé par JEANNE DUPONT, élue")
    'présidé par [personne 1], élue'
    >>> person_masker(["Thomas Podlewski"])("observation de T. Podlewski ; signé Podlewski Thomas")
    'observation de [personne 1] ; signé [personne 1]'
    >>> person_masker(["Laurent Fraisse"])("étude (Fraisse et al.) ; Fraisse (2017) ; rue Fraisse")
    'étude ([personne 1] et al.) ; [personne 1] (2017) ; rue Fraisse'
    >>> person_masker(["Anne (C.) Martin", "Marie Durand (Mimi)"])("signé Anne (C.) Martin ; Marie Durand (Mimi)")
    'signé [personne 1] ; [personne 2]'
    >>> m = person_masker([("Didier Cognon",), ("Cécile Marie Rose", "Cécile Rose")])
    >>> m("entretienDidierCognon.csv ; cr_COGNON_didier ; Cecile-Rose ; maison rose")
    'entretien[personne 1].csv ; cr_[personne 1] ; [personne 2] ; maison rose'
    >>> m("ENTRETIENDIDIERCOGNON.csv ; cr_reunion_cognondidier ; rosemarie")
    'ENTRETIEN[personne 1].csv ; cr_reunion_[personne 1] ; rosemarie'

    Built once per list of persons and mask (kept for the next calls): the API builds it for
    each map page and report, and its regular expression over every form of every name is the
    costly part.
    """
    groups = tuple((n,) if isinstance(n, str) else tuple(n) for n in names)
    # an empty tuple as given is a number no one has now (:func:`person_groups`): it is skipped
    return _person_masker(tuple(kept for g in groups if (kept := tuple(n for n in g if n)) or not g), mask)


@lru_cache(maxsize=8)
def _person_masker(groups: tuple[tuple[str, ...], ...], mask: str) -> Callable[[str], str]:
    numbers: dict[str, int] = {}  # a name as given → its person's number
    persons = 0
    for group in groups:
        known = next((numbers[n] for n in group if n in numbers), None)
        if known is None:
            persons += 1
            known = persons
        for n in group:
            numbers.setdefault(n, known)
    if not numbers:
        return lambda text: text
    by_key: dict[str, tuple[int, int]] = {}  # a form's letters → (rank, number): the lowest rank wins
    forms: set[str] = set()
    cited: set[str] = set()
    runs: set[str] = set()  # found inside a word too (:func:`_run_forms`)
    for given, number in numbers.items():
        found, inside = _given_forms(given)
        runs.update(inside)
        for rank, form in found:
            key = _key(form)
            if key not in by_key or by_key[key][0] > rank:
                by_key[key] = (rank, number)
            (cited if rank == 3 else forms).add(form)
    alts = [_trie(forms)] + ([_trie(cited) + _CITED] if cited else [])
    pattern = re.compile(_START + "(?:" + "|".join(alts) + ")" + _END, re.IGNORECASE)
    # inside a word (:func:`_run_forms`): searched only in the runs of letters long enough to hold
    # one (:data:`_LONG_RUN`, few in a text); searched at every place of the text, or as one more
    # alternative of ``pattern``, they would cost as much as the rest of the search
    inner = re.compile(_trie(runs), re.IGNORECASE) if runs else None
    labels = {key: _numbered(mask, number) for key, (_rank, number) in by_key.items()}

    def masked(text: str) -> str:
        if not isinstance(text, str):
            return text
        # the text without its accents, as long as the text: each match is at the same place in both
        plain = text.translate(_UNACCENTED)
        inside: list[tuple[int, int]] = []
        spans = [m.span() for m in pattern.finditer(plain)]
        if inner is not None:
            inside = [i.span() for w in _LONG_RUN.finditer(plain) for i in inner.finditer(plain, w.start(), w.end())]
        if inside:  # those the forms written as names did not find (« entretienDidierCognon »: both do)
            spans = sorted(spans + [(a, b) for a, b in inside if not any(a < e and s < b for s, e in spans)])
        if not spans:
            return text
        out, last = [], 0
        for s, e in spans:
            out += [text[last:s], labels.get(_key(plain[s:e]), mask)]
            last = e
        return "".join(out) + text[last:]

    return masked


#: Beyond :data:`_UNACCENTED`'s code points, the characters ``re.IGNORECASE`` takes for an ASCII
#: letter (Python's documentation of ``re.IGNORECASE``: « K », the Kelvin sign; « İ », « ı », « ſ »
#: are within the table). ``tests/test_forget_prefilter.py`` tries every code point to check it.
_FOLDED_BEYOND = "\u212a"


@lru_cache(maxsize=1)
def letter_classes() -> dict[str, str]:
    """For each small ASCII letter, every character :func:`person_masker` reads as that letter
    (« e »: « e E é É ê ë ȅ … »): found by trying each character, as the masker does, against
    the letter alone in a regular expression, without its accents (:data:`_UNACCENTED`) and
    whatever its case (``re.IGNORECASE``: « ı », « ſ », « K » too).

    >>> c = letter_classes()
    >>> all(x in c["e"] for x in "eEéÉêȅ"), "\u212a" in c["k"], "ſ" in c["s"], "ı" in c["i"], "f" in c["e"]
    (True, True, True, True, False)
    """
    every = "".join(map(chr, range(len(_UNACCENTED)))) + _FOLDED_BEYOND
    plain = every.translate(_UNACCENTED)  # one character for one: a match's place is the character's
    out = {}
    for x in "abcdefghijklmnopqrstuvwxyz":  # a literal letter and a class of one: the pattern holds both
        at = {m.start() for p in (x, f"[{x}]") for m in re.finditer(p, plain, re.IGNORECASE)}
        out[x] = "".join(every[i] for i in sorted(at))
    return out


#: The tokens of a form (:data:`_TOKENS`) and what else is no small ASCII letter: a form's runs
#: of small ASCII letters are what is left between them.
_NOT_ASCII_LETTER = re.compile(r"[^a-z]+")


def person_needles(names: Iterable[str]) -> tuple[str, ...] | None:
    """Runs of small ASCII letters such that every text in which :func:`person_masker` finds
    one of ``names`` holds one of them, each letter written as any character of its
    :func:`letter_classes` (case, accents); None when a form of a name has no such run (a name
    in another script): every text must then be searched. What lets a store look only at the
    texts that may hold a name (``maillage forget``, docs/privacy.md « Right to erasure »).

    Why every such text holds one: a match of the masker is one whole form of a name
    (:func:`_given_forms`), whose letters are literals of the pattern, matched one for one
    (separators between words are tokens, and not in a run); so a run of a form is found,
    letter by letter up to :func:`letter_classes`, in every match of that form. Each form
    gets one of its runs, or one shared with other forms (« cognon » for every form of
    Didier Cognon): a run of five letters or more shared by most forms first.

    >>> person_needles(["Didier Cognon"]), person_needles(["Mme BARDOT Florence"])
    (('cognon',), ('florence', 'bardot'))
    >>> person_needles(["Σωκράτης Παππάς"]) is None
    True
    """
    forms: list[set[str]] = []
    for given in names:
        found, inside = _given_forms(given)
        forms += [set(_NOT_ASCII_LETTER.split(form)) - {""} for _rank, form in found]
        forms += [{form} for form in inside]
    if any(not runs for runs in forms):
        return None
    needles: list[str] = []
    left = forms
    while left:  # a greedy cover: a run of 5 letters or more (rarer in texts) found in most of the forms left
        candidates = {r for runs in left for r in runs}
        best = max(sorted(candidates), key=lambda n: (min(len(n), 5), sum(any(n in r for r in runs) for runs in left),
                                                      len(n)))
        needles.append(best)
        left = [runs for runs in left if not any(best in r for r in runs)]
    return tuple(needles)


#: The one character of :func:`letter_classes` whose compatibility decomposition (NFKD) is not
#: its letter (« ı », dotless i), and that letter: written so before decomposing (:func:`needle_test`).
_NOT_DECOMPOSED = ("ı", "i")


def needle_test(needles: tuple[str, ...] | None) -> Callable[[str], bool]:
    """A test true of every text holding one of ``needles`` (:func:`person_needles`), each
    letter written as any character of its :func:`letter_classes`, and of every JSON text
    holding a ``\\u`` escape (a JSON encoder writes a letter as it is or so); it may be true of
    others. True of every text when ``needles`` is None.

    How: the text decomposed (NFKD: « ü » → « u » and its diaeresis), its characters that are
    not ASCII dropped, lower-cased, then searched for each needle. Each character of a
    letter's class decomposes to that letter and marks that are not ASCII (« ı » is written
    « i » first; ``tests/test_forget_prefilter.py`` checks every character of every class), and
    a decomposition moves no letter: the letters of a needle's match stay side by side.
    Six times faster than the masker on the same texts (docs/benchmarks.md, « Erasing a person »).

    >>> t = needle_test(("dupuis",))
    >>> t("signé Jeanne DÜPUİS"), t('{"q": "Jeanne Dupu\\u00efs"}'), t("Dupont")
    (True, True, False)
    """
    if needles is None:
        return lambda text: True
    wanted = re.compile(b"|".join(re.escape(n.encode()) for n in needles)).search

    def test(text: str) -> bool:
        if text.isascii():
            folded = text.lower().encode()
        else:
            folded = unicodedata.normalize("NFKD", text.replace(*_NOT_DECOMPOSED)).encode("ascii", "ignore").lower()
        return wanted(folded) is not None or "\\u" in text

    return test


__all__ = ["person_masker", "person_needles", "letter_classes", "needle_test"]
