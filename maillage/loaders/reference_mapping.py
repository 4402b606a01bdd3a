"""Mapping rules from the seed-graph extractions to the maillage vocabulary.

The reference dataset (``maillage/data/reference/*.jsonl``) is curated from four
extractions of the founding documents (``../shared/seed-graph/*_graph.json``) by
``scripts/build_reference.py``. Every rule the curation applies lives here, as ordered
tables of ``(pattern, result)`` pairs, so that it can be read, reviewed and unit-tested
apart from the build script.

Conventions used by every table:

- Patterns are regular expressions matched with :func:`re.search` against **folded**
  text (:func:`fold`: lower case, accents removed, typographic apostrophes made ``'``,
  underscores made spaces, whitespace collapsed). Write patterns without accents.
- Tables are **ordered**: the first matching row wins.
- Precision over recall: a rule fires only on explicit wording; when nothing fires the
  field is left empty (a missing declared size is better than a wrong one).

>>> map_kind("ess_org", "scic", "Scic Ecosimo")[:2]
('ess', 'scic')
>>> map_kind("collectivite", "", "Communauté d'agglomération du Niortais (CAN)")[:2]
('collectivite', 'epci')
>>> link_certainty(note="implied")
'implied'
>>> declared_sizes(["une quarantaine d'adhérents (L748)"])
{'members': 40.0}
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

# ----------------------------------------------------------------------------- text


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})


def fold(text: str | None) -> str:
    """Comparison form of a text: lower case, no accents, plain apostrophes, no underscores."""
    if not text:
        return ""
    text = text.translate(_APOSTROPHES).replace("œ", "oe").replace("Œ", "oe")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()


def _first(table: Sequence[tuple[str, object]], text: str):
    for pattern, result in table:
        if re.search(pattern, text):
            return pattern, result
    return None, None


# ----------------------------------------------------------------------------- kinds

class KindMapping(NamedTuple):
    family: str
    kind: str
    rule: str  # the table and pattern that decided, for the build report


Rule = tuple[str, tuple[str, str]]

#: Rules tried first for organisations whatever the extraction called them (ess_org,
#: other, network, agency, enterprise, training, research, state), so that the same body
#: gets the same family in every extraction (the CBE du Seignanx is ``other`` in s000a,
#: ``ess_org`` in s000b and s003_004; the Crédit Coopératif is ``enterprise`` in s000b and
#: ``ess_org`` in s001_002). Matched against ``"<subkind> | <name>"``.
CROSS_KIND_RULES: list[Rule] = [
    (r"\bcbe\b|comite de bassin d'emploi", ("support", "cbe")),
    (r"\bcci\b|chambre de commerce|chambre des metiers|\bcma\b|chambre consulaire|chambre d'agriculture",
     ("support", "chambre_consulaire")),
    (r"\bdla\b|dispositif local d'accompagnement", ("support", "dla")),
    (r"incubat|pepiniere|couveuse", ("support", "incubateur")),
    (r"\bplie\b|mission locale|missions locales", ("support", "emploi_insertion")),
    # solidarity finance: cooperative banks, France Active and its territorial funds, microcredit
    (r"banque cooperative|banque mutualiste|credit cooperatif|cooperative financiere|finance solidaire"
     r"|financement solidaire|capital risque solidaire|fonds territorial|france active|\bactives?$"
     r"|\bactives? \||\bactive\b.*\bfonds\b|microcredit|^la nef\b|\| la nef\b",
     ("ess", "finance_solidaire")),
    (r"pole d'excellence|pole de competitivite", ("pole", "pole_autre")),
    (r"organisation patronale|organisation employeurs|syndicat salaries|syndicat de salaries",
     ("network", "reseau_autre")),
    (r"groupe de travail", ("other", "collectif")),
    (r"boutique de gestion|\| bge\b", ("support", "accompagnement_autre")),
    (r"\| (?:le )?labo de l'ess\b", ("ess", "association")),
]

#: Per extraction kind, tried after :data:`CROSS_KIND_RULES` (not for the kinds listed in
#: :data:`NO_CROSS_KIND`). Matched against ``"<subkind> | <name>"``.
KIND_RULES: dict[str, list[Rule]] = {
    # A pôle the extraction calls a PTCE stays a PTCE even when its subkind describes its
    # form (cluster, grappe, SCIC, hôtel d'activités…): Le Damier is a "grappe" *recognised
    # PTCE in 2014*, Clus'Ter Jura is on the Labo's list of PTCE. Only explicit non-PTCE
    # cluster labels make it another pôle.
    "ptce": [
        (r"pole de competitivite|pole d'excellence|\bprides\b|systeme productif local|\bspl\b",
         ("pole", "pole_autre")),
    ],
    # ESS organisations: the *function* (CAE, SIAE, GE, finance, mutual, foundation) wins
    # over the legal form (SCOP, SCIC, association), which is kept in ``legal_form``.
    "ess_org": [
        (r"\bcae\b|cooperative d'activites? et d'emploi", ("ess", "cae")),
        (r"groupements? d'employeurs|\bgeiq\b|\bge\b|\bge[+']", ("ess", "groupement_employeurs")),
        (r"\bsiae\b|insertion|chantiers? d'insertion|regie de quartier|association intermediaire"
         r"|\betti\b|\baci\b", ("ess", "siae")),
        (r"mutuelle|mutualiste|mutualite", ("ess", "mutuelle")),
        (r"fondation", ("ess", "fondation")),
        (r"\bscop\b|societe cooperative (ouvriere|et participative)", ("ess", "scop")),
        (r"\bscic\b|societe cooperative d'interet collectif", ("ess", "scic")),
        (r"cooperati(f|ve)|\bcoop\b", ("ess", "cooperative")),
        (r"association|\bassoc\b|loi 1901", ("ess", "association")),
        (r"\besus\b|entreprise sociale", ("ess", "entreprise_esus")),
    ],
    "collectivite": [
        (r"prefiguration", ("collectivite", "collectivite_autre")),
        (r"parc naturel regional|\bpnr\b|^parc\b|\| parc\b", ("collectivite", "pnr")),
        (r"syndicat mixte|s\.?m\.?i\.?c\.?t\.?o\.?m", ("collectivite", "syndicat_mixte")),
        (r"\bccas\b", ("collectivite", "collectivite_autre")),
        (r"^pays\b|\| pays\b|\bpetr\b|pole d'equilibre territorial", ("collectivite", "petr_pays")),
        (r"\bepci\b|communautes? (de communes|d'agglomeration|urbaine)|communaute-(agglomeration|de-communes)"
         r"|communaute agglomeration|com\. com\.|\bmetropole\b|\bagglomeration\b|intercommunalit"
         r"|\bsicoval\b|grand toulouse|plaine commune", ("collectivite", "epci")),
        (r"departement|conseil general|conseil departemental", ("collectivite", "departement")),
        (r"\bregion\b|conseil regional", ("collectivite", "region")),
        (r"\bcommunes?\b|\bville\b|mairie|municipalit", ("collectivite", "commune")),
    ],
    "state": [
        (r"prefet|prefecture", ("state", "prefecture")),
        (r"deconcentre|delegations? (departementales|regionales)|\bdreets\b|\bdireccte\b|\bdraaf\b|\bdreal\b",
         ("state", "service_deconcentre")),
        (r"ministere|ministre|interministeriel|administration|\bdatar\b", ("state", "ministere")),
        (r"caisse des depots|\bcdc\b|\bademe\b|\bbpi\b|bpifrance|\banct\b|pole[ -]emplois?|\boseo\b|\banr\b",
         ("state", "operateur")),
    ],
    # Agencies: regional development / innovation agencies are support bodies; Avise is an
    # ESS support agency (an association, not a State operator nor a network); the rest
    # (CDC, ADEME, BPI, Pôle emploi, CAF, ANCT, OSEO, ANR, FINORPA…) are public operators.
    "agency": [
        (r"agence (regionale )?(de|pour (la recherche et )?l')?\s?(developpement|innovation)"
         r"|agence regionale de l'innovation|agence culturelle|id champagne|\badi\b|\badi na\b",
         ("support", "agence_developpement")),
        (r"\bavise\b|agence d'ingenierie ess|agence ess", ("support", "accompagnement_autre")),
    ],
    "network": [
        (r"\b(?:cn)?cress?\b|chambres? regionales? (de l'|a l')?(economie sociale|ess)|chambre regionale ess"
         r"|tete de reseau (des )?cres", ("network", "cress")),
        (r"reseau de collectivites|association de collectivites|association d'elus|\brtes\b|\barf\b|\badcf\b",
         ("network", "reseau_collectivites")),
        (r"demarche", ("other", "programme")),
        (r"cellule", ("other", "collectif")),
        (r"inter-?reseau|partenariat de reseaux|interuniversitaire|comite territorial", ("network", "reseau_autre")),
        (r"reseau d'appui|accompagnement", ("support", "accompagnement_autre")),
    ],
    "research": [
        (r"\bumr\b|laboratoire|centre de recherche|institut de recherche|equipe de recherche|institut etudes"
         r"|\blise\b|\bcrida\b", ("research", "laboratoire")),
        (r"universit|\biut\b|\biep\b|institut d'etudes politiques|ecole|enseignement superieur|\bcnam\b",
         ("research", "universite")),
    ],
    "training": [
        (r"\biut\b|universit", ("research", "universite")),
    ],
    "eu": [
        (r"\bfse\b|fonds social europeen", ("eu", "fse")),
        (r"feader|leader", ("eu", "feader_leader")),
        (r"\bfeder\b", ("eu", "feder")),
        (r"interreg", ("eu", "interreg")),
    ],
    "enterprise": [
        (r"cooperati(f|ve)", ("ess", "cooperative")),
        (r"\btpe\b|micro-?entreprise", ("enterprise", "tpe")),
        (r"\bpme\b|\bpmi\b|petite entreprise", ("enterprise", "pme")),
        (r"\beti\b", ("enterprise", "eti")),
        (r"grande entreprise|grand groupe", ("enterprise", "grande_entreprise")),
    ],
    "other": [
        (r"fondation", ("ess", "fondation")),
        (r"cooperati(f|ve)", ("ess", "cooperative")),
        (r"site web|media|publisher", ("other", "non_precise")),
        (r"\bevent\b|evenement|rencontres|seminaire|etats generaux|journee", ("other", "evenement")),
        (r"programme|appel a projets?|\blabel|dispositif|demarche|droit a l'experimentation|\baap\b",
         ("other", "programme")),
        (r"collectif|instance participative|comite|declaration commune|cellule", ("other", "collectif")),
        (r"\blieu\b|zone d'activit|zone industrielle|technopole|equipement culturel|\bsmac\b",
         ("other", "lieu")),
    ],
    "tiers_lieu": [],
    "person": [],  # persons use PERSON_RULES
}

#: What a kind maps to when no rule of its table fires.
DEFAULT_KIND: dict[str, tuple[str, str]] = {
    "ptce": ("pole", "ptce"),
    "ess_org": ("ess", "ess_autre"),
    "collectivite": ("collectivite", "collectivite_autre"),
    "state": ("state", "etat_autre"),
    "agency": ("state", "operateur"),
    "network": ("network", "tete_de_reseau"),
    "research": ("research", "recherche_autre"),
    "training": ("training", "organisme_formation"),
    "eu": ("eu", "ue_autre"),
    "enterprise": ("enterprise", "entreprise"),
    "tiers_lieu": ("tiers_lieu", "tiers_lieu"),
    "person": ("person", "personne"),
    "other": ("other", "non_precise"),
}

#: Extraction kinds that skip the cross-kind rules (their own table is authoritative).
NO_CROSS_KIND = frozenset({"ptce", "collectivite", "eu", "person", "tiers_lieu"})

#: Persons: the subkind first, then (when the subkind is empty) the facts, which in s000b
#: and s001_002 carry the role ("maire de …", "chargée de mission ESS, …"). Elected
#: mandates win over staff roles (a councillor who chairs a network is an ``elu``).
PERSON_RULES: list[tuple[str, str]] = [
    (r"\belue?s?\b|\bmaire\b|adjointe? (au|a la|a l') ?(maire|ville)|\badjointe? a\b"
     r"|conseill(er|ere)s? (municipa|regiona|communautaire|general|departementa|delegue)"
     r"|\bdeputee?\b|senat|\bministre\b|premier ministre|ministre delegue"
     r"|vice-presidente? (du|de la|de l'|a l'|en charge)[^;]{0,60}(conseil (regional|general|departemental"
     r"|municipal|communautaire)|region|departement|communaute|agglomeration|metropole|sicoval)"
     r"|presidente? (du|de la) (sicoval|conseil (regional|general|departemental|municipal|communautaire)"
     r"|communaute|region|departement|metropole)", "elu"),
    (r"chercheu|socio-economiste|professeur|universitaire", "chercheur"),
    (r"technicien|directeu|directrice|dirigeant|charge(e)? de mission|cheffe? de mission|coordinat"
     r"|responsable|agent de developpement|animat(eur|rice)|redact|consultant|porteur de projet|\bpdg\b"
     r"|salarie|delegue(e)? general|secretaire general|\bpresidente?\b|co-president|fondateur", "salarie"),
]


def map_kind(kind: str, subkind: str | None, name: str, facts: Iterable[str] = ()) -> KindMapping:
    """Family and kind of the vocabulary for an extraction's ``kind`` + ``subkind`` + name.

    >>> map_kind("network", "cress", "CRESS Aquitaine")[:2]
    ('network', 'cress')
    >>> map_kind("person", "", "Alain Hajjaj", ["maire de La Verrière (L1428)"])[:2]
    ('person', 'elu')
    """
    if kind not in DEFAULT_KIND:
        raise KeyError(f"unknown extraction kind {kind!r}; expected one of {sorted(DEFAULT_KIND)}")
    hay = f"{fold(subkind)} | {fold(name)}"
    if kind == "person":
        for source, text in (("subkind", fold(subkind)), ("facts", " ; ".join(fold(f) for f in facts))):
            pattern, pkind = _first(PERSON_RULES, text)
            if pkind:
                return KindMapping("person", pkind, f"person/{source}: {pattern}")
        return KindMapping("person", "personne", "person: default")
    if kind not in NO_CROSS_KIND:
        pattern, res = _first(CROSS_KIND_RULES, hay)
        if res:
            return KindMapping(res[0], res[1], f"cross-kind: {pattern}")
    pattern, res = _first(KIND_RULES[kind], hay)
    if res:
        return KindMapping(res[0], res[1], f"{kind}: {pattern}")
    fam, k = DEFAULT_KIND[kind]
    return KindMapping(fam, k, f"{kind}: default")


def porteurs_of_poles(actors: Iterable[dict], links: Iterable[dict]) -> dict[str, str]:
    """Actors an extraction calls a PTCE that carry another of its PTCE: ``{key: carried key}``.

    A pôle's structure porteuse is an organisation, not a second pôle: the annex of 001 lists
    « Lille MétroPôle Solidaire (InitiativesETcité) » under the header « nom du PTCE ou structure
    porteuse » (001 L1092, L1104), and s001_002 keeps Initiatives et Cité as a ``ptce`` that
    ``carries`` Lille MétroPôle Solidaire; document 000 says what it is — « Cette coopérative […]
    initiatives ET cité s'associe à la Métropole Européenne de Lille (MEL) afin de co-construire le
    PTCE, Lille MétroPôle Solidaire » (000 L131). Such an actor is mapped as an ESS organisation
    (:data:`KIND_RULES` ``ess_org``), so the store counts one pôle, not two.
    ``actors`` and ``links`` are the extraction's own (``id``/``kind``, ``type``/``source``/``target``).

    >>> porteurs_of_poles([{"id": "iec", "kind": "ptce"}, {"id": "lms", "kind": "ptce"}],
    ...                   [{"type": "carries", "source": "iec", "target": "lms"}])
    {'iec': 'lms'}
    """
    kinds = {a["id"]: a["kind"] for a in actors}
    return {x["source"]: x["target"] for x in links
            if x["type"] == "carries" and x["source"] != x["target"]
            and kinds.get(x["source"]) == "ptce" and kinds.get(x["target"]) == "ptce"}


#: Legal forms stated in a subkind or a name (kept in ``legal_form``; never guessed).
LEGAL_FORM_RULES: list[tuple[str, str]] = [
    (r"\bscic\b|societe cooperative d'interet collectif", "SCIC"),
    (r"\bscop\b", "SCOP"),
    (r"\bgeie\b", "GEIE"),
    (r"\bsarl\b", "SARL"),
    (r"\bsas\b", "SAS"),
    (r"association|loi 1901", "association"),
    (r"cooperati(f|ve)", "coopérative"),
]

#: Families whose members can carry a legal form (not collectivités, the State, persons…).
LEGAL_FORM_FAMILIES = frozenset({"ess", "enterprise", "pole", "network", "support", "training",
                                 "research", "tiers_lieu", "other"})


def legal_form(subkind: str | None, name: str) -> str | None:
    """The legal form a subkind or name states (``"scic (porteur, unnamed)"`` is not one).

    >>> legal_form("association loi 1901 (cbe)", "Comité de Bassin d'Emploi du Pays d'Ancenis")
    'association'
    """
    sub = fold(subkind)
    if re.search(r"porteur|not stated|non precise|prefiguration|\bvers\b", sub):
        sub = ""  # the subkind talks about another body or an unknown form
    for text in (sub, fold(name)):
        _, form = _first(LEGAL_FORM_RULES, text)
        if form:
            return form
    return None


# ----------------------------------------------------------------------------- flags

#: Names that say the actor is mentioned by type only (the ``anon-`` ids of s000a, and the
#: unnamed bodies of s000b / s003_004). The name decides, not the id: every ``anon-`` id of
#: s000a has such a name, and s000b reuses s000a's ids for the same actors (« id aligned with
#: s000a »), named or not — « PTCE du Centre Isère » (000 L1057) is named.
PLACEHOLDER_NAME = re.compile(r"non[- ]nomm|nom non (cite|donne)|\bunnamed\b|\bnon precisee?\b")
PLACEHOLDER_SUBKIND = re.compile(r"\(groupe?,? (unnamed|non nomm)")

#: A group of N actors: "4 Communautés de Communes", "epci (groupe de 4)", "3 jardins…".
GROUP_COUNT = [re.compile(r"^(\d{1,3}) "), re.compile(r"groupe de (\d{1,3})\b")]


def is_placeholder(name: str, subkind: str | None) -> bool:
    """True when the extraction mentions the actor by type only: its name or subkind says so.

    >>> is_placeholder("projet PTCE de La Verrière (nom non cité)", None)
    True
    >>> is_placeholder("la CRESS (partenaire de la CAN, non précisée)", None)  # s000a, anon-cress-niort
    True
    >>> is_placeholder("PTCE du Centre Isère", None)  # s000b, under s000a's id anon-ptce-centre-isere
    False
    """
    return bool(PLACEHOLDER_NAME.search(fold(name))) or bool(PLACEHOLDER_SUBKIND.search(fold(subkind)))


def group_count(name: str, subkind: str | None) -> int | None:
    """N when the name or subkind states a group of N actors (never for "plusieurs")."""
    for text in (fold(name), fold(subkind)):
        for rx in GROUP_COUNT:
            m = rx.search(text)
            if m and int(m.group(1)) >= 2:
                return int(m.group(1))
    return None


# ----------------------------------------------------------------------------- aliases

#: Fact wordings that introduce other names of the actor. After a *list* trigger every
#: quoted string is an alias ("alias : « A », « B »", "annex lists it twice: 'A' … and 'B'",
#: "expanded as 'A' … but as 'B'"); after a *single* trigger only the quoted string right
#: after it ("spelled 'Transfo'", "as 'Garrigues'", "écrit « … »"). Facts that hedge
#: ("presumably", "probably", "inference") give no alias. Annex entries of document 001
#: ("Annexe 1: 'Drôme : Pôle Sud (Archer)'") name the pôle *and its porteur*: not aliases.
ALIAS_LIST_TRIGGERS = re.compile(r"\balias\s*:|\baliases\s*:|annex lists it twice|\bexpanded\b")
ALIAS_SINGLE_TRIGGERS = re.compile(
    r"annex name\s*:?|annex alias|^annex (?=')|also called|also written|\bspelled|; also\b|ecrit aussi|\becrit\b"
    r"|orthographiee?|sous le nom|(?<!described )(?<!listed )(?<!example )\bas\b")
ALIAS_HEDGES = re.compile(r"presumably|probabl|possibl|likely|inferen|\bguess")
_QUOTED = re.compile(r"«\s*(.+?)\s*»|'(.+?)'(?=\s*(?:[(),;:.\]]|$|and\b|but\b|in\b|at\b|pages?\b|et\b))")
#: English wording the extraction put into a few actors' names (the notes are English, the names
#: are the documents'): written back in French, as the document says it — seed 000, L1057:
#: « deux programmes Leader pilotés par […] le Pays Voironnais et […] le Sud Grésivaudan ».
NAME_WORDING: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bpiloted by the\b"), "piloté par le"),
    (re.compile(r"\bpiloted by\b"), "piloté par le"),
    (re.compile(r", implied\)$"), ", implicite)"),  # « la CRESS (Pays de la Loire, implied) »
    # « AMAP (generic: Associations pour le maintien d'une agriculture paysanne) »: the AMAP as a
    # kind of association (seed 002, L245, L390), not one of them
    (re.compile(r"\(generic: "), "(terme générique : "),
]


def french_name(name: str) -> str:
    """An actor's name with the extraction's English wording written in French.

    >>> french_name("programme Leader piloted by Sud Grésivaudan")
    'programme Leader piloté par le Sud Grésivaudan'
    >>> french_name("AMAP (generic: Associations pour le maintien d'une agriculture paysanne)")
    "AMAP (terme générique : Associations pour le maintien d'une agriculture paysanne)"
    """
    for pattern, french in NAME_WORDING:
        name = pattern.sub(french, name)
    return name


#: Other spellings the extraction wrote inside a name, in English: "Jean Brioussel (also 'Jean
#: Briussel')", "CNIAE (written 'CNAIE')", "Christiane Bouchart (also spelled Bouchard, 002 L710)"
#: (a surname, with the line that spells it), "… [= La Coursive Boutaric]".
NAME_ALIASES = re.compile(r"\s*\((?:also |spelled |written )+(?:'([^']+)'|([^',()]+?))(?:,\s*[^()]*)?\)"
                          r"|\s*\[=\s*([^\]]+)\]")


def name_notes(name: str) -> tuple[str, list[str]]:
    """``(name, other spellings)``: the name without the spellings the extraction wrote inside it
    (:data:`NAME_ALIASES`), and those spellings, each a whole name (a surname alone replaces the
    name's last word).

    >>> name_notes("Antoine Meurice (also 'Antoine Maurice')")
    ('Antoine Meurice', ['Antoine Maurice'])
    >>> name_notes("Christiane Bouchart (also spelled Bouchard, 002 L710)")
    ('Christiane Bouchart', ['Christiane Bouchard'])
    >>> name_notes("Périscope (le Périscope)")
    ('Périscope (le Périscope)', [])
    """
    bare = NAME_ALIASES.sub("", name).strip()
    spellings = []
    for m in NAME_ALIASES.finditer(name):
        if m.group(2):  # a word, not a name: the name with its last word spelled so
            spellings.append(" ".join([*bare.split()[:-1], m.group(2).strip()]) if " " not in m.group(2).strip()
                             else m.group(2).strip())
        else:
            spellings.append((m.group(1) or m.group(3)).strip())
    return bare or name, spellings
#: A trailing parenthesis of a name, whose parts (split on " / ") may be other names:
#: "Périscope (le Périscope)", "Val Horizon (Valhorizon)", "Métropole Européenne de Lille (MEL)".
#: Kept only when the part is the same name written differently (case, accents, articles,
#: punctuation, "&" for "et") or, outside pôles and persons, an acronym — in annex entries of
#: pôles the parenthesis names the porteur ("Resto Passerelle (APPUI)"), in persons' names a
#: bare surname; neither is an alias.
NAME_TRAILING_PAREN = re.compile(r"\(([^()]+)\)\s*$")
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&'\-]{1,9}$")
GENERIC_ACRONYMS = frozenset({"PTCE", "SCIC", "SCOP", "SAS", "SARL", "GEIE", "CAE", "ESS", "EPCI", "SIAE", "UMR",
                              "CBE", "PNR", "IAE", "GE", "GEIQ"})
ACRONYM_FAMILIES = frozenset({"collectivite", "network", "ess", "support", "state", "research", "training",
                              "enterprise", "other", "eu", "tiers_lieu"})


def _name_key(text: str) -> str:
    words = re.sub(r"[^0-9a-z]+", " ", fold(text).replace("&", " et ")).split()
    return "".join(w for w in words if w not in ("le", "la", "les", "l", "the"))


def name_variants(name: str, family: str | None = None) -> list[str]:
    """Other names a name carries in its trailing parenthesis (see :data:`NAME_TRAILING_PAREN`).

    >>> name_variants("Périscope (le Périscope)", "pole")
    ['le Périscope']
    >>> name_variants("Métropole Européenne de Lille (MEL)", "collectivite")
    ['MEL']
    >>> name_variants("Resto Passerelle (APPUI)", "pole")
    []
    """
    m = NAME_TRAILING_PAREN.search(name)
    if not m or family == "person":
        return []
    outer = name[:m.start()].strip()
    out = []
    for part in (p.strip() for p in m.group(1).split(" / ")):
        if not part:
            continue
        same = _name_key(part) == _name_key(outer) and _name_key(part) != ""
        acronym = (family in ACRONYM_FAMILIES and ACRONYM.match(part) and part not in GENERIC_ACRONYMS
                   and not part.isdigit())
        if same or acronym:
            out.append(part)
    return out


def aliases(name: str, facts: Iterable[str], family: str | None = None) -> list[str]:
    """Other names the extraction records for an actor, in order, without the name itself.

    Read from the actor alone; the aliases of a pôle that name another organisation of the
    extraction (its structure porteuse) are removed afterwards by :func:`drop_porteur_aliases`.

    >>> aliases("Domb'Innov", ["alias : « Domb 'Innov », « Domb Innov »."])
    ["Domb 'Innov", 'Domb Innov']
    >>> aliases("Garrigue", ["Member of 'Finances solidaires' (as 'Garrigue', 002 L120) and "
    ...                      "'circuit court' (as 'Garrigues', 002 L266) working groups"])
    ['Garrigues']
    """
    name, out = name_notes(name)
    out.extend(name_variants(name, family))
    for fact in facts:
        text = fact.translate(_APOSTROPHES)
        # fold() keeps offsets for these texts (it only lowers case and strips accents);
        # fall back to no alias when it does not
        ftext = fold(text)
        if len(ftext) != len(text) or ALIAS_HEDGES.search(ftext):
            continue
        lm = ALIAS_LIST_TRIGGERS.search(ftext)
        if lm:
            for qm in _QUOTED.finditer(text, lm.end()):
                out.append(qm.group(1) or qm.group(2))
            continue
        for tm in ALIAS_SINGLE_TRIGGERS.finditer(ftext):
            qm = _QUOTED.search(text, tm.end())
            if qm and qm.start() - tm.end() <= 3:
                out.append(qm.group(1) or qm.group(2))
    seen, result = {fold(name)}, []
    for a in out:
        a = a.strip()
        if a.startswith("(") or len(a) < 2 or fold(a) in seen:
            continue
        seen.add(fold(a))
        result.append(a)
    return result


#: A legal form written in front of or after the words that name the body ("association
#: Ecopya", "Scic Ecosimo", "Ecopya association"): left out when a pôle's alias is compared
#: with the names of the other organisations of its extraction.
_LEGAL_FORM_AFFIX = re.compile(
    r"^(?:association(?: loi(?: de)? 1901)?|scic|scop|sarl|sas|geie|societe cooperative d'interet collectif)\s+"
    r"|\s+(?:association|scic|scop|sarl|sas|geie)$")


def _body_key(text: str) -> str:
    """:func:`_name_key` of a name without its legal form ("association Ecopya" → ``ecopya``)."""
    return _name_key(_LEGAL_FORM_AFFIX.sub(" ", fold(text)))


def drop_porteur_aliases(actors: list[dict], relations: list[dict]) -> dict[str, list[str]]:
    """Remove from the pôles of one extraction the aliases that name another of its organisations.

    Definition. A pôle and its structure porteuse are two organisations, but the documents
    often name a pôle by its porteur: the annex of 000 lists "Eco-Domaine en Pays d'Auge
    (ECOPYA)", the annex of 001 is headed "nom du PTCE ou structure porteuse", and 000 L186
    cites the pôle as "Ecopya" — the name of the association that carries it (L266). Such a
    name, kept as an alias of the pôle, makes the exact-name rule of entity resolution merge
    the porteur of *another* extraction into the pôle. So an alias ``A`` of a pôle ``P``
    (whatever wording gave it: a fact, a parenthesis) is dropped when, in the same extraction,

    1. ``A`` is the name (or an alias) of an actor with a ``carries`` relation to ``P`` — its
       structure porteuse or animation cell; or
    2. ``A`` is the trailing parenthesis of ``P``'s name (or a " / " part of it) and is the
       name (or an alias) of any other actor of the extraction: the parenthesis names that
       organisation, not ``P`` (as in "Resto Passerelle (APPUI)", see :func:`name_variants`).

    Names are compared by :func:`_name_key` after removing a legal form in front or at the
    end (:data:`_LEGAL_FORM_AFFIX`): "Ecopya" names "association Ecopya". Nothing else is
    touched — an alias that merely *contains* the porteur's name ("Ecosolies (Les) (Le
    Solilab)", the annex entry of the Solilab) or a parenthesis naming no other actor
    ("PTCE Sud Aquitaine (Pôle Sud Aquitaine)") stays. Every key is read from the records as
    given, before anything is dropped, so the result does not depend on their order.

    The ``actors`` (``record: actor`` dicts of :mod:`scripts.build_reference`: ``key``,
    ``name``, ``family``, ``aliases``) are changed in place; ``relations`` need ``type``,
    ``source`` and ``target``. Returns the aliases dropped, by pôle key, for the build report.

    Reference: Le Labo de l'ESS (2014), brochure « Pôles territoriaux de coopération
    économique », annexe 1 (header "nom du PTCE ou structure porteuse"); RTES (2016), « Les
    rôles des collectivités locales dans les dynamiques de PTCE », Repères, L186 and L266.

    >>> actors = [{"key": "p", "name": "Éco-domaine (Ecopya)", "family": "pole", "aliases": ["Ecopya", "Eco domaine"]},
    ...           {"key": "a", "name": "association Ecopya", "family": "ess", "aliases": []}]
    >>> drop_porteur_aliases(actors, [{"type": "carries", "source": "a", "target": "p"}])
    {'p': ['Ecopya']}
    >>> actors[0]["aliases"]
    ['Eco domaine']
    """
    def keys(a: dict) -> set[str]:
        return {k for k in (_body_key(n) for n in (a["name"], *(a.get("aliases") or []))) if k}

    by_key = {a["key"]: a for a in actors}
    names = {a["key"]: keys(a) for a in actors}
    carriers: dict[str, set[str]] = {}
    for r in relations:
        if r["type"] == "carries" and r["source"] != r["target"] and r["source"] in by_key:
            carriers.setdefault(r["target"], set()).add(r["source"])
    dropped: dict[str, list[str]] = {}
    for a in actors:
        if a.get("family") != "pole" or not a.get("aliases"):
            continue
        porteur = set().union(*(names[c] for c in carriers.get(a["key"], ())))
        m = NAME_TRAILING_PAREN.search(a["name"])
        paren = {_body_key(p) for p in m.group(1).split(" / ")} - {""} if m else set()
        others = set().union(*(v for k, v in names.items() if k != a["key"])) if paren else set()
        gone = [x for x in a["aliases"]
                if _body_key(x) in porteur or (_body_key(x) in paren and _body_key(x) in others)]
        if gone:
            a["aliases"] = [x for x in a["aliases"] if x not in gone]
            dropped[a["key"]] = gone
    return dropped


# ----------------------------------------------------------------------------- declared sizes

#: French approximate numbers ("une quarantaine" = about 40) and small number words.
APPROX = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
          "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100}
WORDS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
         "dix": 10, "douze": 12, "quinze": 15, "vingt": 20, "ten": 10, "twelve": 12, "fifteen": 15,
         "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_N = r"(?P<n>\d{1,3}(?:[  ]\d{3})*|" + "|".join(WORDS) + r")"
_APPROX = r"(?:une )?(?P<a>" + "|".join(APPROX) + r") d(?:e |')"
_QUAL = r"(?:(?:about|environ|pres de|nearly|plus de|more than|pas moins de|~|≈|>)\s*)?"
_START = r"^(?:\[[^\]]*\]\s*)?"
_NOT_CREATED = r"(?![^;()]{0,40}\b(?:created|crees?|creation)\b)"

#: (declared size, pattern) — patterns run on folded facts; the number is group ``n``
#: (digits or a word) or group ``a`` (an approximate French number). Only the actor's own
#: figures: counts of created jobs, of a zone's employees, of members' members, of
#: project partners at an event, aggregates over many pôles are not matched.
DECLARED_SIZE_RULES: list[tuple[str, str]] = [
    ("members", _QUAL + _N + r" (?:adherents|adherent)\b"),
    ("members", _QUAL + _APPROX + r"adherents"),
    ("members", _START + _N + r" entreprises adherentes"),
    ("members", r"\b(?:scic|association|geie|cluster|pole) (?:of|de) " + _N + r" structures"),
    ("members", _N + r" (?:named )?member structures"),
    ("members", _N + r" structures membres"),
    ("members", r"(?:regroup\w*|rassembl\w*|grouping|groups?) " + _QUAL + _N
     + r" (?:structures|entreprises|acteurs|organisations)" + _NOT_CREATED),
    ("members", r"(?:regroup\w*|rassembl\w*|grouping|groups?) " + _APPROX
     + r"(?:structures|entreprises|acteurs|organisations)" + _NOT_CREATED),
    ("members", _N + r" structures se regroupent"),
    ("members", r"(?:ecosystem of|ecosysteme de) " + _N + r" (?:actors|acteurs)"),
    ("members", r"(?:more than|plus de) " + _N + r" (?:ess )?(?:actors|acteurs)"),
    ("members", _START + r"(?:about|environ|pas moins de) " + _N
     + r" (?:ess |de l'ess )?(?:enterprises|entreprises)(?: de l'ess)?" + _NOT_CREATED),
    ("members", r"\bpas moins de " + _N + r" entreprises de l'ess"),
    ("members", r"(?:about|today about) " + _N + r" (?:cultural and creative )?structures"),
    ("members", r"[~≈]\s*" + _N + r" (?:members|membres)\b"),
    ("jobs", _N + r" etp\b"),
    ("jobs", r"[~≈]\s*" + _N + r" (?:jobs|emplois)\b" + _NOT_CREATED),
    ("jobs", r"(?:une )?(?P<a>" + "|".join(APPROX) + r") d'emplois\b" + _NOT_CREATED),
    ("jobs", _START + _N + r" (?:emplois|jobs)(?: permanents)?\b" + _NOT_CREATED),
    ("jobs", r"(?:with|totalling|representant|employing|total|nearly|pres de) " + _QUAL + _N
     + r" (?:employees|salaries|jobs)\b" + _NOT_CREATED),
    ("collectivites", r"(?:une )?(?P<a>" + "|".join(APPROX) + r") de collectivites"),
    ("partners", r"partenariats? avec " + _N + r" entreprises"),
    ("partners", r"partenariats? avec " + _APPROX + r"entreprises"),
    ("partners", _N + r" entreprises partenaires"),
]

#: Budgets (declared in euros): a consolidated turnover / budget in millions or in full.
BUDGET_RULES: list[str] = [
    r"(?:chiffre d'affaires|turnover|budget)(?: annuel)?(?: consolide| consolidated)?(?: total)?(?: de| of)?\s*"
    r"(?P<m>\d+(?:[.,]\d+)?)\s*(?:millions? d'euros|m ?€|m eur)",
    r"(?:consolidated|total) turnover (?P<m>\d+(?:[.,]\d+)?) m eur",
    r"(?:total )?turnover (?P<full>\d{1,3}(?:[ ,]\d{3})+) eur",
]
#: Facts about money that is not the actor's budget, or whose unit is not stated.
BUDGET_EXCLUDE = re.compile(r"investiss|investment|loan|pret|unite monetaire non precisee|currency not stated")


def _number(m: re.Match) -> float | None:
    groups = m.groupdict()
    if groups.get("a"):
        return float(APPROX[groups["a"]])
    n = groups.get("n")
    if n is None:
        return None
    if n in WORDS:
        return float(WORDS[n])
    return float(re.sub(r"[  ]", "", n))


def declared_sizes(facts: Iterable[str]) -> dict[str, float]:
    """Sizes the facts declare for the actor (``members``, ``jobs``, ``budget_eur``…).

    The first fact that states a size wins; later different figures are left in the facts.

    >>> declared_sizes(["SCIC regroupant 12 structures (L727)",
    ...                 "une soixantaine d'emplois et un chiffre d'affaires consolidé de 2,4 millions d'euros (L738)"])
    {'members': 12.0, 'jobs': 60.0, 'budget_eur': 2400000.0}
    """
    out: dict[str, float] = {}
    for fact in facts:
        text = fold(fact)
        for size, pattern in DECLARED_SIZE_RULES:
            if size in out:
                continue
            m = re.search(pattern, text)
            if m:
                v = _number(m)
                if v and v >= 1:
                    out[size] = v
        if "budget_eur" not in out and not BUDGET_EXCLUDE.search(text):
            for pattern in BUDGET_RULES:
                m = re.search(pattern, text)
                if m:
                    if m.groupdict().get("m"):
                        out["budget_eur"] = round(float(m.group("m").replace(",", ".")) * 1_000_000, 2)
                    else:
                        out["budget_eur"] = float(re.sub(r"[ ,]", "", m.group("full")))
                    break
    return out


# ----------------------------------------------------------------------------- pôle fields

#: Founding of a pôle: "created 2011", "créé en 2011", "formalisé en 2010",
#: "huit structures se regroupent en 2011", "projet né en 2009", "co-construit en 2013".
FOUNDING_RULES: list[str] = [
    r"\b(?:created|founded|cree|creee|crees|creees|fonde|fondee|formalise|formalisee|ne|nee|co-construit)"
    r"(?: en| in)? (?P<y>(?:19|20)\d{2})\b",
    r"\bse regroupent en (?P<y>(?:19|20)\d{2})\b",
]
#: Only the pôle's own creation: not an event, a building, a call, a partner's founding.
FOUNDING_EXCLUDE = re.compile(r"\bby (?:the )?region\b|inaugur|ouvert|premises|batiment|ferme|site\b|appel|\baap\b"
                              r"|lance|launched|study|etude|since|depuis|reconnu|recognised|labell")

#: Phases stated in facts or subkinds.
PHASE_RULES: list[tuple[str, str]] = [
    (r"(?:en |in (?:the )?)?phase d'amorcage|\ben amorcage\b|amorcage phase", "amorcage"),
    (r"phase d'emergence|stade d'emergence|\ben emergence\b|^en prefiguration\b|emergence phase", "emergence"),
    (r"phase de (?:consolidation|developpement)|\ben consolidation\b|consolidation phase", "consolidation"),
    (r"phase de restructuration|\ben restructuration\b", "restructuration"),
]

#: Labels and calls won: (pattern, label template). ``{y}`` is the year found in the fact.
LABEL_RULES: list[tuple[str, str]] = [
    (r"\bpole temoin\b", "pôle témoin"),
    (r"(?<!non )\blaure(?:at|ate|ats)\b[^;]{0,80}?(?:aap|appel a projets?|appel interministeriel|call)"
     r"[^;]{0,60}?\b(?P<y>20\d{2})\b", "lauréat AAP PTCE {y}"),
    (r"(?<!non )\blaure(?:at|ate|ats)\b[^;]{0,80}?(?:aap|appel a projets?|appel interministeriel)", "lauréat AAP PTCE"),
    (r"(?:reconnu|recognised|recognized) ptce (?:en |in )?(?P<y>20\d{2})", "reconnu PTCE {y}"),
    (r"labell\w* prides[^;]{0,30}?(?P<y>20\d{2})|prides[^;]{0,40}?(?P<y2>20\d{2})", "PRIDES {y}"),
    (r"fabrique des transitions", "fabrique des transitions"),
]


#: The national calls for PTCE projects, by the year each was launched: « les deux appels à projets
#: gouvernementaux lancés en 2013 et 2015 » (seed 000, L802; L99: « les 37 lauréats en 2013 et
#: 2015 »; 001 L804: « l'Appel à projets interministériel lancé en 2013 »). A « lauréat AAP PTCE »
#: label names one of them: the year a document writes beside a laureate may be another
#: (« Lauréats du premier appel à projet gouvernemental « PTCE » en 2014 », 000 L1033; « retenu
#: par l'Etat en 2014 lors du premier appel à projet », 004 L100: the first call's laureates were
#: announced in 2014).
NATIONAL_CALLS: dict[int, str] = {2013: r"\b(?:premier|first|1er)\b", 2015: r"\b(?:deuxieme|second|2e|2nd)\b"}


def national_call_year(text: str, year: int | None) -> int | None:
    """The year of the national call a laureate's (folded) words name: its ordinal (« premier
    appel », « second call ») first, else the year written when it is a call's; ``None`` when the
    words name no call (a year that is none of them, and no ordinal).

    >>> national_call_year("laureate of first government aap 'ptce' ('en 2014' as written)", 2014)
    2013
    >>> national_call_year("laureate of national aap ptce 2015, in january 2016", 2015)
    2015
    >>> national_call_year("laureat de l'appel a projet national en 2014", 2014) is None
    True
    """
    for call, ordinal in NATIONAL_CALLS.items():
        if re.search(ordinal, text):
            return call
    return year if year in NATIONAL_CALLS else None


def founding_year(facts: Iterable[str]) -> int | None:
    """The pôle's creation year stated in its facts (the earliest when several)."""
    years = []
    for fact in facts:
        text = fold(fact)
        if FOUNDING_EXCLUDE.search(text):
            continue
        for pattern in FOUNDING_RULES:
            for m in re.finditer(pattern, text):
                years.append(int(m.group("y")))
    return min(years) if years else None


def phase(texts: Iterable[str]) -> str | None:
    """The phase a pôle's facts or subkind state, if any."""
    for text in texts:
        _, ph = _first(PHASE_RULES, fold(text))
        if ph:
            return ph
    return None


def labels(facts: Iterable[str]) -> list[str]:
    """Labels and calls won, normalised ("lauréat AAP PTCE 2013"), in order, no duplicates.

    >>> labels(["Pôle témoin non lauréat de l'appel à projet national. (L320)"])
    ['pôle témoin']
    >>> labels(["Lauréats du premier appel à projet gouvernemental « PTCE » en 2014 (L1033)"])
    ['lauréat AAP PTCE 2013']
    """
    out: list[str] = []
    for fact in facts:
        text = fold(fact)
        laureate = False
        for pattern, template in LABEL_RULES:
            m = re.search(pattern, text)
            if not m:
                continue
            gd = m.groupdict()
            y = gd.get("y") or gd.get("y2")
            if "{y}" in template and not y:
                continue
            if template.startswith("lauréat") and y:
                # the call's year, not the year written beside it (see NATIONAL_CALLS); none: the
                # undated rule that follows names the call without a year
                y = national_call_year(m.group(0), int(y))
                if y is None:
                    continue
            label = template.format(y=y)
            if label.startswith("lauréat"):
                if laureate:
                    continue  # one call per fact: the dated form when there is one
                laureate = True
            if label not in out:
                out.append(label)
    if any(x.startswith("lauréat AAP PTCE ") for x in out):
        out = [x for x in out if x != "lauréat AAP PTCE"]
    return out


# ----------------------------------------------------------------------------- collectivités

#: Régions merged on 1 January 2016: a collectivité named after one of them is mapped to the
#: current région, and the mapping is said to be inferred (the document predates or ignores
#: the merger). Transitional 2016 names (``Languedoc-Roussillon Midi-Pyrénées``) name the
#: current région itself and are not listed.
PRE_2016_REGIONS: dict[str, str] = {
    "alsace": "44", "champagne ardenne": "44", "lorraine": "44",
    "aquitaine": "75", "limousin": "75", "poitou charentes": "75",
    "auvergne": "84", "rhone alpes": "84",
    "bourgogne": "27", "franche comte": "27",
    "basse normandie": "28", "haute normandie": "28",
    "languedoc roussillon": "76", "midi pyrenees": "76",
    "nord pas de calais": "32", "picardie": "32",
}
TRANSITIONAL_2016_REGIONS = ("languedoc roussillon midi pyrenees", "aquitaine limousin poitou charentes",
                             "alsace champagne ardenne lorraine", "nord pas de calais picardie")

#: Which territory level a collectivité kind administers (others have none in the geography).
KIND_LEVEL = {"commune": "commune", "epci": "epci", "departement": "departement", "region": "region"}


def pre_2016_region(name: str) -> str | None:
    """The pre-2016 région a collectivité's name uses, if any ("Région Aquitaine" → "aquitaine")."""
    key = " ".join(re.sub(r"[^0-9a-z]+", " ", fold(name)).split())
    if any(t in key for t in TRANSITIONAL_2016_REGIONS) or "nouvelle aquitaine" in key:
        return None
    for former in PRE_2016_REGIONS:
        if re.search(rf"\b{former}\b", key):
            return former
    return None


# ----------------------------------------------------------------------------- relations

#: Extraction link type → vocabulary relation type.
LINK_TYPES: dict[str, str] = {
    "member_of": "membership",
    "partner_of": "partner",
    "cooperates_with": "cooperates",
    "contracts_with": "contracts",
    "carries": "carries",
    "funds": "funds",
    "governs": "governs",
    "supports": "supports",
    "hosts": "hosts",
    "founded": "founded",
    "employs": "employs",
    "represents": "represents",
    "other": "related",
}

#: Direction of each directed type as the vocabulary defines it, and as all four
#: extractions use it (checked by the build: carries = porteur → pôle, employs =
#: organisation → person, represents = person → organisation). Types listed here are
#: flipped when an extraction writes them the other way round; none does.
FLIPPED_LINK_TYPES: dict[str, frozenset[str]] = {"s000a": frozenset(), "s000b": frozenset(),
                                                  "s001_002": frozenset(), "s003_004": frozenset()}

#: Certainty of a link from its ``note`` and ``role`` (first match wins; else ``stated``).
CERTAINTY_RULES: list[tuple[str, str]] = [
    (r"\bplanned\b|\bprevue?s?\b|\bannounced\b|\bannoncee?s?\b", "planned"),
    (r"inferen|inferred|\binfere|probable|probably|\(deduit\)|\bdeduit|\bdeduced\b|\bassumed\b", "inferred"),
    (r"\bimplied\b|\bimplies\b|\bimplicite?\b|\bimplicitly\b", "implied"),
]


def link_certainty(note: str | None = None, role: str | None = None) -> str:
    """``stated`` / ``implied`` / ``inferred`` / ``planned`` from a link's note and role.

    >>> link_certainty(note="INFERRED identity: text says only 'Région et Département'")
    'inferred'
    >>> link_certainty(note="planned (« bientôt »)")
    'planned'
    """
    text = f"{fold(note)} | {fold(role)}"
    _, c = _first(CERTAINTY_RULES, text)
    return c or "stated"


def parse_year(value) -> tuple[int | None, int | None]:
    """``(start, end)`` years of an ``attrs.year`` value (``2013``, ``"2013"``, ``"2013-2014"``)."""
    if value is None or value == "":
        return None, None
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    m = re.fullmatch(r"\s*((?:18|19|20|21)\d{2})\s*(?:[-–/]\s*((?:18|19|20|21)\d{2}))?\s*", str(value))
    if not m:
        raise ValueError(f"year {value!r} is not YYYY or YYYY-YYYY")
    return int(m.group(1)), (int(m.group(2)) if m.group(2) else None)


#: ``supports`` from a collectivité: the vocabulary's collectivité role its ``role`` names.
SUPPORT_FORM_RULES: list[tuple[str, str]] = [
    (r"co-?construction", "co_construction"),
    (r"ingenierie|etude de faisabilite|accompagnement technique", "conseil_ingenierie"),
    (r"mise a disposition (d'un |d'une |de |du |des )?(technicien|personnel|salarie|agent|locaux|foncier|terrain"
     r"|batiment)", "mise_a_disposition"),
    (r"investissement|achat (d'un|du) batiment|acquisition", "aide_investissement"),
    (r"aide au fonctionnement|fonctionnement|aide au demarrage", "aide_fonctionnement"),
    (r"\bimpulsion\b|emergence|reperage", "reperage_emergence"),
    (r"\baccompagnement\b", "accompagnement"),
]

#: ``cooperates``: a practice of the vocabulary when the role or note names it clearly.
COOPERATION_PRACTICE_RULES: list[tuple[str, str]] = [
    (r"locaux partages|mutualis\w* (de |des )?locaux", "locaux_partages"),
    (r"groupement d'employeurs|emplois? partages", "emplois_partages"),
    (r"offre commune|reponses? communes?", "offre_commune"),
    (r"achats? groupes|services partages", "services_partages"),
    (r"\br&d\b|recherche commune", "rd_commune"),
    (r"strategie commune", "strategie_commune"),
    (r"\bjoint\b|co-publi|co-authored|diagnostic partage|projet commun", "projet_commun"),
]

#: ``membership`` tier (only the explicit "acteur socle" of 004 L115).
MEMBERSHIP_TIER_RULES: list[tuple[str, str]] = [(r"acteurs? socles?", "socle")]

#: ``carries`` function: structure porteuse, or animation cell.
CARRIES_FUNCTION_RULES: list[tuple[str, str]] = [
    (r"porteu|porteur", "structure_porteuse"),
    (r"\banimation\b", "cellule_animation"),
]

#: ``governs`` body named by the role.
GOVERNS_BODY_RULES: list[tuple[str, str]] = [
    (r"conseil d'administration", "conseil d'administration"),
    (r"comite de pilotage|copil", "comité de pilotage"),
    (r"comite de programmation", "comité de programmation"),
]

#: ``funds`` nature and resource type named by the role or programme.
FUNDS_NATURE_RULES: list[tuple[str, str]] = [
    (r"investissement|investment|immobili|acquisition|achat d'un batiment|renovation", "investissement"),
    (r"\banimation\b|fonctionnement", "fonctionnement"),
]
FUNDS_RESOURCE_RULES: list[tuple[str, str]] = [
    (r"apport en capital|equity", "capital"),
    (r"\bpret\b|\bloan\b", "pret"),
]


def first_value(rules: Sequence[tuple[str, str]], *texts: str | None) -> str | None:
    """The value of the first rule matching any of the texts (folded)."""
    text = " | ".join(fold(t) for t in texts if t)
    _, v = _first(rules, text)
    return v


# ----------------------------------------------------------------------------- documents

#: Titles of the founding documents (from the extraction notes).
DOCUMENT_TITLES: dict[str, str] = {
    "000": "RTES, « Les rôles des collectivités locales dans les dynamiques de PTCE », Repères, mise à jour 2016",
    "001": "Le Labo de l'ESS, brochure « Pôles territoriaux de coopération économique » "
           "(2e journée nationale PTCE, 19 septembre 2014)",
    "002": "Le Labo de l'ESS, « Propositions » (contexte 2011-2012), avec en annexe la note "
           "« Premiers éléments caractérisant les PTCE » (février 2011)",
    # named by its title and venue: its author is a person of the graph, kept out of public views
    # (a masked « [personne], « Intelligence collective… » » read as a broken citation)
    "003": "« Intelligence collective, dynamiques culturelles et cadre institutionnel : comment se construit un "
           "PTCE », communication aux XIVe Rencontres du RIUESS, Lille, 21-23 mai 2014",
    "004": "Note de la visioconférence « PTCE et tiers-lieux : points communs, liens à tisser, "
           "projets à porter ? », 7 décembre 2023",
}

#: What each extraction covers (for the header's title and description).
EXTRACTIONS: dict[str, dict[str, str]] = {
    "s000a": {"title": "Graphe de référence s000a — RTES 2016, lignes 1-760",
              "description": "Extraction s000a du document 000 (RTES, rôles des collectivités dans les PTCE), "
                             "lignes 1 à 760 : fiches PTCE, témoignages, rôles des collectivités."},
    "s000b": {"title": "Graphe de référence s000b — RTES 2016, lignes 740-1453",
              "description": "Extraction s000b du document 000 (RTES, rôles des collectivités dans les PTCE), "
                             "lignes 740 à 1453 : fiches PTCE, séminaire de 2016, annexes (liste des pôles), "
                             "remerciements."},
    "s001_002": {"title": "Graphe de référence s001_002 — Labo de l'ESS 2014 et « Propositions »",
                 "description": "Extraction s001_002 des documents 001 (brochure PTCE du Labo de l'ESS, 2014) et "
                                "002 (« Propositions » du Labo de l'ESS) : démarche nationale, pôles engagés, "
                                "groupes de travail, signataires."},
    "s003_004": {"title": "Graphe de référence s003_004 — RIUESS 2014 et note PTCE / tiers-lieux 2023",
                 "description": "Extraction s003_004 des documents 003 (communication aux Rencontres du RIUESS, "
                                "2014 : 12 pôles "
                                "témoins, Le Périscope) et 004 (visioconférence PTCE et tiers-lieux, 2023 : "
                                "PTCE Sud Aquitaine)."},
}
