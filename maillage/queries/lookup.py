"""What a person types to designate an actor or a territory, turned into its id.

Ids (``pole-le-periscope-3f2a…``, ``departement:31``) are what the store and the API use;
people type names. :func:`find_actor` and :func:`find_territory` accept either and answer
with one id, or refuse with a message that lists the candidates and their ids, so that the
next command can be typed without searching elsewhere. They never guess between several.

Actors, in this order (the first step that finds something decides):

1. an actor id;
2. an identifier: SIREN (9 digits), SIRET (14 digits, found through its SIREN), RNA
   (``W`` + 9 digits), spaces allowed (``450 324 660``);
3. a name or alias, compared as the entity resolution compares names
   (:func:`~maillage.graph.names.name_key`: case, accents, punctuation, leading articles,
   legal-form abbreviations);
4. a part of a name (accent- and case-insensitive), when exactly one actor contains it;
5. otherwise the closest names are suggested (rapidfuzz ``WRatio`` ≥ 70), never chosen.

Natural persons are found by id only: a name typed on the command line never reaches one
(``docs/privacy.md``). Territories: an id (``commune:31555``), a département code (``31``,
``2A``), a postal code, or a name (``Haute-Garonne``, ``Sicoval``, ``Saint-Denis`` → the
two communes of that name are listed), read by :mod:`maillage.geography.places`. A text that
is no territory's name may be a name people use for a métropole: its name in another order of
its words (« Lyon Métropole », « Métropole de Toulouse »), without « Métropole de » when no other
territory bears the rest (« Aix-Marseille-Provence », « Grand Paris »; not « Lyon »), or a usage
name (« Grand Lyon », « MEL »: :data:`maillage.geography.names.USUAL_TERRITORY_NAMES`). A text that
is no territory's name and says an intercommunality otherwise (« Agglomération de Toulouse ») is
not taken for the commune or département it was read as: that one and its EPCI are listed, to
choose from. A name that designates nothing is refused with the closest names, if any are close
(« Grand Lyone »: « vouliez-vous dire : Métropole de Lyon — epci:200046977 »).
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import TYPE_CHECKING

from maillage.graph.names import alpha_key
from maillage.graph.identifiers import InvalidIdentifier, normalise_identifier
from maillage.graph.store import NotFound

if TYPE_CHECKING:
    from maillage.geography.reference import Geography
    from maillage.graph.model import ActorView
    from maillage.graph.store import Store

#: How many candidates a refusal lists.
SHOWN = 10
_SPACES = re.compile(r"[\s.]+")


class Ambiguous(NotFound):
    """Several actors or territories answer to what was typed; the message lists them."""


def _describe(a: ActorView, lang: str = "fr") -> str:
    """One candidate: its name, its id, its family as a person reads it (« Collectivité »,
    not ``collectivite``) and where it is."""
    from maillage.analytics.run import location_label
    from maillage.graph.vocabulary import VocabularyError, vocabulary

    try:
        family = vocabulary().family(a.family).label(lang)
    except VocabularyError:
        family = a.family
    where = location_label(a.location) if a.location else ""
    return f"  {a.name} — {a.id} ({family}{' · ' + where if where else ''})"  # a label may hold a comma


def _listing(actors: list[ActorView], more: bool = False, lang: str = "fr") -> str:
    lines = [_describe(a, lang) for a in actors[:SHOWN]]
    if more or len(actors) > SHOWN:
        lines.append("  …")
    return "\n".join(lines)


def _identifier(text: str) -> tuple[str, str] | None:
    """``(scheme, value)`` when ``text`` is a valid SIREN, SIRET or RNA, else None."""
    compact = _SPACES.sub("", text)
    for scheme, shape in (("siren", compact.isdigit() and len(compact) == 9),
                          ("siret", compact.isdigit() and len(compact) == 14),
                          ("rna", compact[:1] in "Ww" and compact[1:].isdigit() and len(compact) == 10)):
        if shape:
            try:
                return scheme, normalise_identifier(scheme, compact)
            except InvalidIdentifier:
                return None
    return None


def find_actor(store: Store, text: str, family: str | None = None, lang: str = "fr") -> str:
    """The id of the one actor ``text`` designates (see the module docstring); ``family``
    (e.g. ``"pole"``) narrows the search by name. Raises :class:`NotFound` when nothing
    matches, :class:`Ambiguous` when several do; both messages list what to type instead,
    each candidate's family in ``lang`` (the message itself is English, for
    :func:`maillage.loaders.motifs.motif`).

    Tested on both stores: tests/test_lookup.py.
    """
    text = text.strip()
    if not text:
        raise NotFound("no actor given (an id, a SIREN/SIRET/RNA or a name)")
    got = store.get_actors([text])
    if text in got:
        return text
    ident = _identifier(text)
    if ident is not None:
        ids = store.find_by_identifier(*ident)
        public = [a for a in store.get_actors(ids).values() if not a.personal_data]
        if len(public) == 1:
            return public[0].id
        if len(public) > 1:
            raise Ambiguous(f"{len(public)} actors have {ident[0].upper()} {ident[1]}:\n"
                            f"{_listing(public, lang=lang)}")
        raise NotFound(f"no actor with {ident[0].upper()} {ident[1]} in {store.uri}")
    wanted = "pôle" if family == "pole" else "actor"

    def eligible(actors) -> list[ActorView]:
        return sorted((a for a in actors if not a.personal_data and (family is None or a.family == family)),
                      key=lambda a: (*alpha_key(a.name), a.id))

    named = eligible(store.get_actors(store.find_by_name(text)).values())
    if len(named) == 1:
        return named[0].id
    if named:
        raise Ambiguous(f"{len(named)} {wanted}s are named {text!r}; give one of their ids:\n"
                        f"{_listing(named, lang=lang)}")
    partial = eligible(store.search(text, family=family, limit=SHOWN + 1))
    if len(partial) == 1:
        return partial[0].id
    if partial:
        raise Ambiguous(f"several {wanted}s have {text!r} in their name; give one of their ids:\n"
                        f"{_listing(partial, more=len(partial) > SHOWN, lang=lang)}")
    close = _close_names(store, text, family)
    hint = f"; closest names:\n{_listing(close, lang=lang)}" if close else ""
    raise NotFound(f"no {wanted} named {text!r} and no actor with that id in {store.uri}{hint}")


def _close_names(store: Store, text: str, family: str | None) -> list[ActorView]:
    """The actors whose names are closest to ``text`` (rapidfuzz ``WRatio`` ≥ 70), best first."""
    from rapidfuzz import fuzz, process

    from maillage.graph.names import fold

    names: dict[str, set[str]] = {}
    for entry in store.name_index():
        if family is None or entry.family == family:
            names.setdefault(fold(entry.name), set()).add(entry.actor_id)
    best = process.extract(fold(text), list(names), scorer=fuzz.WRatio, score_cutoff=70, limit=3 * SHOWN)
    order = list(dict.fromkeys(aid for name, _, _ in best for aid in sorted(names[name])))
    found = store.get_actors(order)
    return [found[i] for i in order if i in found and not found[i].personal_data][:SHOWN]


def find_territory(text: str) -> str:
    """The id of the territory ``text`` designates: an id, a département or postal code, the
    SIREN of a commune, EPCI or EPT, or a name (see the module docstring). Raises :class:`NotFound` or :class:`Ambiguous`.

    >>> find_territory("Haute-Garonne"), find_territory("31"), find_territory("commune:31555")
    ('departement:31', 'departement:31', 'commune:31555')
    >>> find_territory("243 100 633")  # an EPCI's SIREN
    'epci:243100633'
    """
    from maillage.analytics.run import location_label
    from maillage.geography import load_geography

    geo = load_geography()
    text = text.strip()
    if ":" in text:
        known = geo.get(text)
        if known is None:
            raise NotFound(f"no territory {text!r} in the reference geography (ids are level:code, e.g. "
                           "commune:31555, epci:243100633, departement:31, region:76)")
        return known.id  # a former commune code gives the commune it belongs to now
    digits = "".join(text.split())
    if len(digits) == 9 and digits.isdigit():  # an EPCI's or a commune's SIREN, as its own papers give it
        by_siren = geo.by_siren(digits)
        if by_siren is None:
            raise NotFound(f"no commune, EPCI or EPT with SIREN {digits} in the reference geography")
        return by_siren.id
    usual = _usual_territory(geo, text)
    if usual is not None:
        return usual
    found = geo.resolve_place(text)
    if len(found) == 1:
        meant = _intercommunality_meant(geo, text, found[0])
        if meant:  # « Métropole de Toulouse »: not the commune of Toulouse without a word
            listing = "\n".join(f"  {location_label(t)} — {t}" for t in [*meant, found[0].id])
            raise Ambiguous(f"{text!r} names no territory and says an intercommunality; give the id of the one "
                            f"meant:\n{listing}")
        return found[0].id
    homonyms = geo.by_name(text) or found
    if homonyms:
        listing = "\n".join(f"  {location_label(t.id)} — {t.id}" for t in homonyms[:SHOWN])
        raise Ambiguous(f"{len(homonyms)} territories are named {text!r}; give one of their ids:\n{listing}")
    close = _closest_territories(geo, text)
    if close:
        listing = "\n".join(f"  {location_label(t)} — {t}" for t in close)
        raise NotFound(f"no territory named {text!r}; did you mean:\n{listing}")
    raise NotFound(f"no territory named {text!r} (give a name such as Haute-Garonne, a code such as 31, "
                   "or an id such as departement:31)")


@functools.lru_cache(maxsize=2)
def _usual_names(geo: Geography) -> tuple[dict[str, str], frozenset[str]]:
    """The names people use for the métropoles and are no territory's name, each with its
    territory's id: every métropole's name whatever the order of its words
    (:func:`~maillage.geography.names.metropole_key`: « Lyon Métropole »), the usage names no rule
    derives (:data:`~maillage.geography.names.USUAL_TERRITORY_NAMES`: « Grand Lyon », « MEL »);
    and the keys whose words, without « Métropole », are no other territory's name, so that they
    may be typed bare (« Aix-Marseille-Provence », « Grand Paris »; not « Lyon »: the commune's)."""
    from maillage.geography.names import USUAL_TERRITORY_NAMES, metropole_key, normalize_name

    keys: dict[str, str] = {}
    bare: set[str] = set()
    for t in [*geo.territories("epci"), *geo.territories("ept")]:
        key = metropole_key(t.name)
        if key is None or key in keys:
            continue
        keys[key] = t.id
        core = key.removeprefix("metropole ")
        if not {tid for ids in geo.name_matches(core).values() for tid in ids} - {t.id}:
            bare.add(key)
    for name, siren in USUAL_TERRITORY_NAMES.items():
        t = geo.by_siren(siren)
        if t is not None:
            keys[normalize_name(name)] = t.id
    return keys, frozenset(bare)


def _usual_territory(geo: Geography, text: str) -> str | None:
    """The territory ``text`` designates by a name people use (:func:`_usual_names`), when no
    territory bears that name itself (« Lyon » stays the commune)."""
    from maillage.geography.names import metropole_key, normalize_name

    if geo.by_name(text):
        return None
    keys, bare = _usual_names(geo)
    if (tid := keys.get(normalize_name(text))) is not None:
        return tid
    if (key := metropole_key(text)) is not None:
        return keys.get(key)
    key = metropole_key("Métropole " + text)
    return keys.get(key) if key in bare else None


#: The Métropole de Lyon (SIREN 200046977), a collectivité à statut particulier (CGCT art.
#: L3611-1), not an EPCI: DGCL's list of EPCI, from which the geography is built, holds it
#: (nature MET69), so it is a territory of level ``epci`` here; and it exercises the
#: département's powers on its communes, which INSEE still counts in the Rhône (69).
LYON_METROPOLE, RHONE = "epci:200046977", "departement:69"


def territory_notes(tid: str, lang: str = "fr") -> list[str]:
    """What a person choosing territory ``tid`` should know of what the reference geography holds
    for it, in ``lang``: said where it is chosen (``maillage report --territory``). The Métropole
    de Lyon and the Rhône only; ``[]`` for any other territory.

    >>> territory_notes("epci:243100518")
    []
    >>> "pas un EPCI" in territory_notes("epci:200046977")[0]
    True
    """
    from maillage.geography import load_geography

    geo = load_geography()
    if tid not in (LYON_METROPOLE, RHONE) or geo.get(LYON_METROPOLE) is None:
        return []
    inside = len(geo.communes_of(LYON_METROPOLE))
    rest = len(geo.communes_of(RHONE) - geo.communes_of(LYON_METROPOLE))
    if tid == LYON_METROPOLE:
        if lang == "en":
            return [f"the Métropole de Lyon is a local authority with a special status (SIREN 200046977), not an "
                    f"EPCI: the reference geography lists it with the EPCI (DGCL's list, nature MET69), its {inside} "
                    "communes; they are also counted in the Rhône (69), whose Département administers only the "
                    f"{rest} others"]
        return [f"la Métropole de Lyon est une collectivité à statut particulier (SIREN 200046977), pas un EPCI : la "
                f"géographie de référence la range avec les EPCI (liste de la DGCL, nature MET69), sur ses {inside} "
                f"communes ; elles comptent aussi dans le Rhône (69), dont le Département n'administre que les {rest} "
                "autres"]
    if lang == "en":
        return [f"the Rhône (69) counts here the {inside} communes of the Métropole de Lyon (epci:200046977), a local "
                "authority with a special status that holds the département's powers there: the Département du "
                f"Rhône administers only the {rest} others"]
    return [f"le Rhône (69) compte ici les {inside} communes de la Métropole de Lyon (epci:200046977), collectivité à "
            "statut particulier qui y exerce les compétences du département : le Département du Rhône n'administre "
            f"que les {rest} autres"]


#: How many of the closest names a refusal offers, and how close they must be (rapidfuzz's
#: ``token_sort_ratio``, 0–100: the whole names compared, their words in any order).
CLOSEST, CLOSEST_SCORE = 5, 80


def _closest_territories(geo: Geography, text: str, limit: int = CLOSEST) -> list[str]:
    """The territories whose names (or the names people use, :func:`_usual_names`) are closest
    to ``text``, best first, then widest, then most populous: « Grand Lyone » → the Métropole
    de Lyon. ``[]`` when none is close enough (« Atlantide »), or ``text`` has under four letters
    (many names are as close to « Sa »)."""
    from rapidfuzz import fuzz, process

    from maillage.geography.names import normalize_name

    key = normalize_name(text)
    if len(key) < 4:
        return []
    names, ids = _name_keys(geo)
    usual, _ = _usual_names(geo)
    choices = [*names, *usual]
    targets = [*ids, *usual.values()]
    best = process.extract(key, choices, scorer=fuzz.token_sort_ratio,
                           score_cutoff=CLOSEST_SCORE, limit=10 * limit)
    score: dict[str, float] = {}
    for _, s, i in best:
        score[targets[i]] = max(s, score.get(targets[i], 0))
    return sorted(score, key=lambda tid: (-score[tid], _rank(geo, tid)))[:limit]


#: Words that say an intercommunality (normalised as territory names are): « Agglomération de
#: Toulouse », « Agglo de Pau ».
INTERCOMMUNAL_WORDS = frozenset({"metropole", "eurometropole", "agglomeration", "agglo", "communaute", "ca", "cc",
                                 "cu", "grand", "intercommunalite", "epci", "ept"})


def _intercommunality_meant(geo: Geography, text: str, found) -> list[str]:
    """The EPCIs (and EPTs) ``text`` may mean when it is no territory's name, says an
    intercommunality (:data:`INTERCOMMUNAL_WORDS`) and was read as the commune or département
    ``found`` (its centre): the commune's own; a wider territory's whose name holds its name
    (« Grand Paris » read as Paris: the Métropole du Grand Paris). ``[]`` otherwise."""
    from maillage.geography.names import normalize_name

    if found.level in ("epci", "ept") or geo.by_name(text):
        return []
    if not INTERCOMMUNAL_WORDS & set(normalize_name(text).replace("-", " ").split()):
        return []
    communes = [found.id] if found.level == "commune" else sorted(geo.communes_of(found.id))
    key = normalize_name(found.name)
    out: list[str] = []
    for c in communes:
        for tid in geo.ancestors(c):
            t = geo.get(tid)
            if t.level in ("epci", "ept") and tid not in out and (
                    found.level == "commune" or key in normalize_name(t.name)):
                out.append(tid)
    return out if len(out) <= SHOWN else []


#: Wider territories first when listing candidates: a search for « Haute » shows the
#: département before the communes whose name starts with it.
_WIDEST_FIRST = {"pays": 0, "region": 1, "departement": 2, "epci": 3, "ept": 4, "commune": 5}


@functools.lru_cache(maxsize=2)
def _name_keys(geo: Geography) -> tuple[list[str], list[str]]:
    """Every territory's normalised name (:func:`~maillage.geography.names.normalize_name`),
    sorted, with its id: the index a prefix search bisects."""
    from maillage.geography.names import normalize_name

    pairs = sorted((normalize_name(t.name), t.id) for t in geo if t.level != "pays")
    return [k for k, _ in pairs], [i for _, i in pairs]


def territory_candidates(text: str, limit: int = SHOWN) -> list[str]:
    """The territories a search box should offer for ``text``, best first, at most ``limit``:
    what :func:`find_territory` would accept (an id, a code, a postal code, an exact name and
    its homonyms), then the territories whose name starts with ``text`` (accents, case and
    hyphens aside; three letters at least); homonyms and prefixes widest first (région,
    département, EPCI, commune), then the most populous. Never raises: nothing found is ``[]``.

    >>> territory_candidates("Haute-Garonne")[0], territory_candidates("haute gar")[0]
    ('departement:31', 'departement:31')
    >>> territory_candidates("zzzz")
    []
    """
    from maillage.geography import load_geography
    from maillage.geography.names import normalize_name

    geo = load_geography()
    text = text.strip()
    if not text or limit < 1:
        return []
    if ":" in text:
        known = geo.get(text)
        return [known.id] if known is not None else []

    def rank(tid: str) -> tuple:
        return _rank(geo, tid)

    usual = _usual_territory(geo, text)
    exact = [usual] if usual is not None else [t.id for t in geo.resolve_place(text)]
    homonyms = sorted({t.id for t in geo.by_name(text)} - set(exact), key=rank)
    out = list(dict.fromkeys(exact + homonyms))
    key = normalize_name(text)
    if len(key) >= 3 and len(out) < limit:
        keys, ids = _name_keys(geo)
        lo = bisect.bisect_left(keys, key)
        hi = bisect.bisect_left(keys, key + "\uffff")
        seen = set(out)
        out.extend(sorted((i for i in ids[lo:hi] if i not in seen), key=rank))
    if not out:
        out = _closest_territories(geo, text, limit)
    return out[:limit]


def _rank(geo: Geography, tid: str) -> tuple:
    """Widest level first, then the most populous (:data:`_WIDEST_FIRST`)."""
    t = geo.get(tid)
    return (_WIDEST_FIRST.get(t.level, 9), -(t.population or 0), t.name, tid)


__all__ = ["Ambiguous", "CLOSEST", "SHOWN", "find_actor", "find_territory", "territory_candidates", "territory_notes"]
