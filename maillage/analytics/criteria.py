"""The PTCE criteria of art. 9 and of the Labo de l'ESS, as tri-state checks on one pôle.

The catalogue (:data:`CHECKS`) is the one of the seed notes 001-002 §3.2: the legal
definition (loi n° 2014-856, art. 9, quoted at 001 L169-178), the February 2011 working-group
note of the Labo de l'ESS (002 L628-660: *critères incontournables*, *critères à tester*,
*ne peuvent être considérés a priori comme PTCE*), and the 2014 characterisation (001 L354,
L494, L560). Each check is data — id, French and English labels, the documents and lines it
comes from, whether a graph can compute it (Y / P / N) — and is evaluated per pôle by
:func:`evaluate_criteria` as **True / False / None (unknown)**, with the evidence (actors and
the statements that tie them) or the reason it is unknown.

A check is ``False`` only when the data *positively* contradicts it: a declared size that
the listed members cover (so the list is complete), or a declared size too small; a stated
legal form that is not democratic; a declared count of zero. Absence of a documented tie is
never a contradiction — most documented pôles list few of their members (seed notes 001-002
§3.2, "Honest limits"). The checks are diagnostic indicators, not a label.

>>> [c.id for c in CHECKS][:3]
['K1', 'K2', 'K3']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, Field

from maillage.graph.model import RelationView, year_of
from maillage.graph.names import alpha_key, fold
from maillage.graph.store import Store, territory_rollup
from maillage.graph.vocabulary import vocabulary

from maillage.writing import counted
from .poles import (MATURITY_FORM, PoleContext, cooperation_form, cooperation_forms, fmt_number, funder_level, is_ess,
                    level_label, pole_context, thin_reason, tr, units)

# ---------------------------------------------------------------------------------------------
# the documents the checks come from

#: The documents cited by the checks (seed documents, ``../shared/seeds/``).
DOCUMENTS: dict[str, str] = {
    "loi": "Loi n° 2014-856 du 31 juillet 2014 relative à l'économie sociale et solidaire, article 9, "
           "alinéa 1 (cité dans 001 L169-178)",
    "000": "RTES, « Les rôles des collectivités locales dans les dynamiques de PTCE », Repères, 2016",
    "001": "Labo de l'ESS, « Les pôles territoriaux de coopération économique » (2e journée nationale, 2014)",
    "002": "Labo de l'ESS, « Propositions » (2012), annexe : note « Premiers éléments caractérisant les "
           "PTCE » (février 2011)",
}

#: How a reason cites a document for its reader: author, title and year, never the seed code.
CITED: dict[str, dict[str, str]] = {
    "loi": {"fr": "loi ESS du 31 juillet 2014, art. 9", "en": "French SSE law of 31 July 2014, art. 9"},
    "000": {"fr": "RTES, « Les rôles des collectivités locales dans les dynamiques de PTCE », 2016"},
    "001": {"fr": "Labo de l'ESS, brochure « Pôles territoriaux de coopération économique », 2014"},
    "002": {"fr": "Labo de l'ESS, note « Premiers éléments caractérisant les PTCE », 2011"},
}


def cite(document: str, lines: str | None = None, lang: str = "fr") -> str:
    """A document as a reason cites it (:data:`CITED`), with its line or lines when given
    (``L560``, ``L412-415``: « ligne 560 », « lignes 412 à 415 », as the map and the API say a
    line, :func:`maillage.graph.locators.locator_text`).

    >>> cite("001", "L560")
    "Labo de l'ESS, brochure « Pôles territoriaux de coopération économique », 2014, ligne 560"
    >>> cite("000", "L412-415", "en")
    'RTES, « Les rôles des collectivités locales dans les dynamiques de PTCE », 2016, lines 412 to 415'
    """
    from maillage.graph.locators import locator_text

    names = CITED.get(document, {})
    name = names.get(lang) or names.get("fr") or document
    if not lines:
        return name
    first, _, last = lines.removeprefix("L").partition("-")
    if last:  # a range: locator_text reads one line
        where = f"lines {first} to {last}" if lang == "en" else f"lignes {first} à {last}"
    else:
        where = locator_text(lines, lang)
    return f"{name}, {where}"


#: Where a check comes from.
SOURCES: dict[str, dict[str, str]] = {
    "loi": {"fr": "Définition légale (art. 9)", "en": "Legal definition (art. 9)"},
    "incontournable": {"fr": "Critère incontournable (note de 2011)", "en": "Essential criterion (2011 note)"},
    "a_tester": {"fr": "Critère à tester (note de 2011)", "en": "Criterion to be tested (2011 note)"},
    "exclusion": {"fr": "Exclusion a priori (note de 2011)", "en": "A-priori exclusion (2011 note)"},
    "caracterisation": {"fr": "Caractérisation (Labo de l'ESS, 2014)", "en": "Characterisation (Labo de l'ESS, 2014)"},
}

#: Years of documented activity taken as "continuing" (no threshold in the sources; the
#: interministerial calls supported pôles for 3 years, 000 L1157, and the RTES median age is
#: 3 years, 000 L385).
CONTINUITY_YEARS = 3
#: Minimum size "5/10 organisations" (002 L635): 5, strict reading 10.
MIN_MEMBERS, STRICT_MIN_MEMBERS = 5, 10
#: Kinds of the vocabulary read as democratic statutes (K15) and as ESS networks (K16), and
#: the kinds of the bodies a pôle must not *be* (exclusions E2-E5, 002 L655-659).
DEMOCRATIC_KINDS = ("association", "cooperative", "scop", "scic", "cae", "mutuelle")
ESS_NETWORK_KINDS = ("cress", "tete_de_reseau")
INCUBATOR_KINDS = ("incubateur",)
#: Words of a member's name (folded, whole words, plural too) read as an incubator for K14: an
#: « Incubateur Midi Pyrénées » registered as an association is an incubator all the same.
INCUBATOR_WORDS = ("incubateur", "pepiniere", "couveuse")
EXCLUDED_KINDS: dict[str, tuple[str, ...]] = {
    "X2": ("cress", "tete_de_reseau"),
    "X3": ("agence_developpement", "chambre_consulaire"),
    "X4": ("incubateur", "accompagnement_autre"),
    "X5": (),  # observatoire, centre ressources: no kind of the vocabulary
}
#: Words of a stated legal form read as democratic statutes, and as company forms.
DEMOCRATIC_FORMS = ("association", "1901", "scic", "scop", "cooperati", "coop", "ues", "mutuelle", "cae")
COMPANY_FORMS = ("sas", "sasu", "sarl", "eurl", "sa")


class Reference(BaseModel):
    document: str = Field(description="'loi', '000', '001' or '002' (see DOCUMENTS)")
    lines: str | None = Field(None, description="Lines of the document, e.g. 'L634'")
    text: str | None = None

    def cite(self) -> str:
        return f"{self.document} {self.lines}" if self.lines else self.document


class Check(BaseModel):
    """One criterion as data."""

    id: str
    labels: dict[str, str]
    source: str
    computable: str = Field(description="Y: from a typed graph; P: partly (needs attributes); N: not from a graph")
    rule: dict[str, str]
    references: list[Reference]
    optional: bool = False

    def label(self, lang: str = "fr") -> str:
        return self.labels.get(lang, self.labels["fr"])


def _check(cid: str, fr: str, en: str, source: str, computable: str, rule_fr: str, rule_en: str,
           refs: Iterable[tuple[str, str | None, str | None]], optional: bool = False) -> Check:
    return Check(id=cid, labels={"fr": fr, "en": en}, source=source, computable=computable,
                 rule={"fr": rule_fr, "en": rule_en},
                 references=[Reference(document=d, lines=ln, text=t) for d, ln, t in refs], optional=optional)


#: The check catalogue (seed notes 001-002 §3.2), in order.
CHECKS: list[Check] = [
    _check("K1", "Noyau de structures de l'ESS", "Core of SSE organisations", "loi", "P",
           "au moins 2 structures de l'ESS dans M(P) (membres et structure porteuse)",
           "at least 2 SSE organisations in M(P) (members and structure porteuse)",
           [("loi", "001 L171-172", "regroupement … d'entreprises de l'économie sociale et solidaire"),
            ("001", "L354", "le « noyau dur » d'un PTCE est constitué d'entreprises de l'ESS")]),
    _check("K2", "Association à des entreprises classiques", "Associated with classic enterprises", "loi", "Y",
           "au moins 1 entreprise classique dans S(P) ; part des entreprises lucratives dans M(P) (descriptive)",
           "at least 1 classic enterprise in S(P); for-profit share of M(P) (descriptive)",
           [("loi", "001 L172-173", "qui s'associent à des entreprises"), ("002", "L634", "PME"),
            ("001", "L359-361", "davantage parties prenantes que membres … minoritaires")]),
    _check("K3", "Partenariat avec au moins une collectivité", "Partnership with at least one collectivité",
           "incontournable", "Y",
           "au moins 1 collectivité dans S(P), par niveau (commune, EPCI, département, région…)",
           "at least 1 collectivité in S(P), by level (commune, EPCI, département, région…)",
           [("002", "L641", "Un partenariat avec au moins une collectivité locale"),
            ("loi", "001 L173", "en lien avec des collectivités territoriales et leurs groupements")]),
    _check("K4", "Lien avec la recherche ou l'enseignement supérieur", "Link with research or higher education",
           "loi", "Y", "au moins 1 acteur de la recherche dans S(P) (facultatif)",
           "at least 1 research actor in S(P) (optional)",
           [("loi", "001 L174", "des centres de recherche, des établissements d'enseignement supérieur"),
            ("002", "L634", None), ("002", "L646", None)], optional=True),
    _check("K5", "Lien avec un organisme de formation", "Link with a training body", "loi", "Y",
           "au moins 1 organisme de formation dans S(P) (facultatif)",
           "at least 1 training body in S(P) (optional)",
           [("loi", "001 L174-175", "des organismes de formation")], optional=True),
    _check("K6", "Nombre significatif et diversité des structures", "Significant number and diversity",
           "incontournable", "Y",
           f"|M(P)| ≥ {MIN_MEMBERS} (strict : {STRICT_MIN_MEMBERS}), taille déclarée comprise ; au moins 2 familles "
           "d'acteurs dans M(P)",
           f"|M(P)| ≥ {MIN_MEMBERS} (strict: {STRICT_MIN_MEMBERS}), declared size included; at least 2 actor "
           "families in M(P)",
           [("002", "L635", "minimum 5/10 organisations … de types différents"),
            ("001", "L560", "Un PTCE regroupe en moyenne quinze structures"),
            ("000", "L412-415", "un groupement de 14 structures")]),
    _check("K7", "Ancrage sur un même territoire", "Rooted in one territory", "loi", "P",
           "majorité des membres localisés dans le périmètre déclaré du pôle (au moins la moitié de M(P) localisée)",
           "majority of located members inside the pôle's declared perimeter (at least half of M(P) located)",
           [("loi", "001 L171-172", "sur un même territoire"), ("002", "L637", None), ("001", "L119-130", None),
            ("001", "L762-780", "Le périmètre d'action d'un PTCE est très spécifique")]),
    _check("K8", "Stratégie commune et formalisée", "Common, formalised strategy", "loi", "N",
           "non calculable à partir des liens (attribut déclaratif)", "not computable from ties (declared attribute)",
           [("loi", "001 L176", "stratégie commune et continue"), ("002", "L636", "Un projet partagé et formalisé")]),
    _check("K9", "Continuité, engagement dans la durée", "Continuity, long-term commitment", "loi", "P",
           f"pôle créé depuis au moins {CONTINUITY_YEARS} ans, ou liens de M(P) datés d'au moins "
           f"{CONTINUITY_YEARS} ans", f"pôle founded at least {CONTINUITY_YEARS} years ago, or ties of M(P) "
           f"dated at least {CONTINUITY_YEARS} years back",
           [("loi", "001 L176", "stratégie commune et continue"), ("002", "L639", "Un engagement sur la longue durée"),
            ("002", "L654", None)]),
    _check("K10", "Engagement économique minimal (mutualisation, co-investissement)",
           "Minimal economic engagement (pooling, co-investment)", "incontournable", "Y",
           "au moins 1 lien de coopération qualifié (une des trois formes) ou d'hébergement entre structures du pôle",
           "at least 1 qualified cooperation tie (one of the three forms) or hosting tie between the pôle's "
           "structures",
           [("002", "L640", "Un engagement économique minimal entre structures"),
            ("loi", "001 L176-177", "mutualisation, de coopération ou de partenariat")]),
    _check("K11", "Utilité sociale reconnue de la majorité des activités",
           "Recognised social utility of most activities", "incontournable", "N",
           "non calculable (évaluatif)", "not computable (evaluative)",
           [("002", "L638", None), ("001", "L944-946", None)]),
    _check("K12", "Projets innovants porteurs de développement local durable",
           "Innovative projects carrying sustainable local development", "loi", "N",
           "non calculable (évaluatif)", "not computable (evaluative)", [("loi", "001 L177-178", None)]),
    _check("K13", "Lieu identifiable", "Identifiable place", "a_tester", "P",
           "un lien d'hébergement touche le pôle ou sa structure porteuse",
           "a hosting tie touches the pôle or its structure porteuse",
           [("002", "L645", "Un lieu ou une zone géographique identifiable et visible")]),
    _check("K14", "Fonction de recherche-développement ou d'incubation", "R&D or incubation function", "a_tester",
           "P", "un acteur de la recherche dans S(P) ou un incubateur dans M(P) (de type incubateur, ou dont le "
           "nom dit incubateur, pépinière ou couveuse)",
           "a research actor in S(P) or an incubator in M(P) (of the incubator kind, or whose name says "
           "incubateur, pépinière or couveuse)",
           [("002", "L646", "Une démarche de recherche-développement")]),
    _check("K15", "Statuts de gouvernance démocratique", "Democratic governance statutes", "a_tester", "P",
           "forme juridique du pôle ou de sa structure porteuse : association, coopérative (SCIC, SCOP, CAE), "
           "UES, mutuelle", "legal form of the pôle or its structure porteuse: association, cooperative (SCIC, "
           "SCOP, CAE), UES, mutual",
           [("002", "L647", "Des statuts et un fonctionnement reposant sur une gouvernance démocratique"),
            ("001", "L599-601", "Une grande partie des PTCE est organisée sous forme associative")]),
    _check("K16", "Rattachement aux réseaux locaux de l'ESS", "Tied to local SSE networks", "a_tester", "Y",
           "une CRESS ou une tête de réseau de l'ESS dans S(P)", "a CRESS or an SSE federation in S(P)",
           [("002", "L648", "un rattachement aux réseaux locaux de l'ESS")]),
    _check("K17", "Démarche d'évaluation", "Evaluation approach", "a_tester", "N",
           "non calculable à partir des liens (attribut déclaratif)", "not computable from ties (declared attribute)",
           [("002", "L649", None)]),
    _check("K18", "Nombre significatif d'emplois", "Significant number of jobs", "a_tester", "P",
           "emplois déclarés du pôle (ou somme de ceux de ses membres) ; aucun seuil dans la source",
           "declared jobs of the pôle (or the sum of its members'); no threshold in the source",
           [("002", "L650", "Un nombre significatif d'emplois"), ("000", "L412-415", "salariant 88 personnes")]),
    _check("X1", "N'est pas un projet ponctuel", "Not a one-off project", "exclusion", "P",
           "comme K9 (continuité)", "as K9 (continuity)", [("002", "L654", None)]),
    _check("X2", "N'est pas lui-même un réseau de représentation de l'ESS",
           "Is not itself an SSE representation network", "exclusion", "P",
           "le pôle regroupe au moins 2 structures ; faux s'il se réduit à une CRESS ou une tête de réseau",
           "the pôle groups at least 2 structures; false if it is nothing but a CRESS or federation",
           [("002", "L655", None), ("002", "L660", "souvent intégrées dans un PTCE")]),
    _check("X3", "N'est pas lui-même une agence de développement ou une CCI",
           "Is not itself a development agency or chamber of commerce", "exclusion", "P",
           "le pôle regroupe au moins 2 structures ; faux s'il se réduit à une agence ou une chambre consulaire",
           "the pôle groups at least 2 structures; false if it is nothing but an agency or chamber",
           [("002", "L656", None), ("002", "L660", None)]),
    _check("X4", "N'est pas lui-même un réseau d'accompagnement à la création",
           "Is not itself a business-creation support network", "exclusion", "P",
           "le pôle regroupe au moins 2 structures ; faux s'il se réduit à un incubateur ou un accompagnateur",
           "the pôle groups at least 2 structures; false if it is nothing but an incubator or support body",
           [("002", "L658", None), ("002", "L660", None)]),
    _check("X5", "N'est pas lui-même un observatoire ou un centre ressources",
           "Is not itself an observatory or resource centre", "exclusion", "P",
           "le pôle regroupe au moins 2 structures", "the pôle groups at least 2 structures",
           [("002", "L659", None), ("002", "L660", None)]),
    _check("M1", "Maturité : mutualisation de projets", "Maturity: pooling of projects", "caracterisation", "P",
           "au moins 1 lien « mutualisation de projets » entre membres du pôle ou avec le pôle",
           "at least 1 'pooling of projects' tie among the pôle's members or with the pôle",
           [("001", "L494-508", "Une étape importante confirme la maturation d'un PTCE lorsque celui-ci met en "
                                 "place une mutualisation de projets")]),
    _check("I1", "Initiative associant l'ESS à d'autres parties prenantes",
           "Initiative associating the SSE with other stakeholders", "incontournable", "Y",
           "fondateurs ou structure porteuse documentés ; une structure de l'ESS parmi eux ou dans M(P), et une "
           "autre partie prenante dans S(P)", "founders or structure porteuse documented; an SSE organisation among "
           "them or in M(P), and another stakeholder in S(P)",
           [("002", "L634", "Une initiative qui associe des acteurs et entrepreneurs de l'ESS avec d'autres parties "
                            "prenantes"), ("002", "L533-537", "Des origines diverses")]),
]


def _check_catalogue() -> None:
    voc = vocabulary()
    kinds = {k for f in voc.families.values() for k in f.kinds}
    wanted = {*DEMOCRATIC_KINDS, *ESS_NETWORK_KINDS, *INCUBATOR_KINDS,
              *(k for ks in EXCLUDED_KINDS.values() for k in ks)}
    missing = wanted - kinds
    if missing:
        raise RuntimeError(f"criteria name kinds the vocabulary does not have: {sorted(missing)}")
    ids = [c.id for c in CHECKS]
    if len(set(ids)) != len(ids) or set(ids) != set(_EVALUATORS):
        raise RuntimeError("every check needs exactly one evaluator")


# ---------------------------------------------------------------------------------------------
# results

class Evidence(BaseModel):
    """An actor behind a check's outcome, with the statements that tie it to the pôle."""

    id: str
    name: str
    family: str
    relation_types: list[str] = Field(default_factory=list)
    relations: list[str] = Field(default_factory=list)


class CriterionResult(BaseModel):
    """One check evaluated on one pôle: ``state`` True / False / None (unknown)."""

    id: str
    label: str
    source: str
    source_label: str
    computable: str
    optional: bool
    references: list[str]
    state: bool | None
    state_label: str
    reason: str
    evidence: list[Evidence] = Field(default_factory=list)
    n: int = Field(0, description="Sample size: the actors (or ties) the check looked at")
    value: float | None = None


@dataclass
class _Outcome:
    state: bool | None
    reason: str
    evidence: list[str] = field(default_factory=list)  # actor ids
    n: int = 0
    value: float | None = None


def _and(*states: bool | None) -> bool | None:
    """Kleene's three-valued AND."""
    if any(s is False for s in states):
        return False
    if all(s is True for s in states):
        return True
    return None


def _names(ctx: PoleContext, ids: Iterable[str], limit: int = 6) -> str:
    ids = list(ids)
    shown = ", ".join(ctx.actors[i].name for i in ids[:limit])
    return shown + (f" (+{len(ids) - limit})" if len(ids) > limit else "")


def _members_complete(ctx: PoleContext) -> bool:
    """The listed members cover the declared membership (so the list can be read as complete)."""
    d = ctx.declared_members
    return d is not None and ctx.member_units >= d


def _partners_complete(ctx: PoleContext) -> bool:
    d = ctx.pole.declared.get("partners")
    return d is not None and sum(units(ctx.actors[a]) for a in ctx.circle()) >= d


def _unlisted(ctx: PoleContext) -> int | None:
    """Members declared but not listed (an upper bound of what the list may miss), or None."""
    d = ctx.declared_members
    return None if d is None else max(0, int(round(d)) - ctx.member_units)


def _in_circle(ctx: PoleContext, pred: Callable) -> list[str]:
    wide = ctx.wide_circle()
    return sorted((a for a in wide if pred(ctx.actors[a])), key=lambda i: (*alpha_key(ctx.actors[i].name), i))


def _absent(ctx: PoleContext, none_fr: str, none_en: str, lang: str) -> _Outcome:
    """The outcome of an existence check that found nothing (``none_fr``: "aucune entreprise
    classique"): False only when both the member list and the partner list are known to be
    complete."""
    n = len(ctx.wide_circle())
    if _members_complete(ctx) and _partners_complete(ctx):
        return _Outcome(False, tr(lang, f"{none_fr} parmi les {n} acteurs du pôle et de ses partenaires, listes "
                                        "complètes au regard des tailles déclarées",
                                  f"{none_en} among the {n} actors of the pôle and its partners, lists complete "
                                  "against the declared sizes"), n=n)
    return _Outcome(None, tr(lang, f"{none_fr} parmi {counted(n, 'acteur documenté', 'acteurs documentés')} autour du "
                                   "pôle ; les listes de membres et de partenaires ne sont pas connues comme complètes",
                             f"{none_en} among {counted(n, 'actor', 'actors', 'en')} documented around the pôle; the "
                             "member and partner lists are not known to be complete"), n=n)


# ---------------------------------------------------------------------------------------------
# evaluators

def _k1(ctx: PoleContext, lang: str) -> _Outcome:
    core = [ctx.actors[a] for a in ctx.core]
    ess = [a.id for a in core if is_ess(a)]
    n_ess = sum(units(ctx.actors[a]) for a in ess)
    n = ctx.core_units
    share = n_ess / n if n else None
    if n_ess >= 2:
        return _Outcome(True, tr(lang, f"{n_ess} structures de l'ESS parmi les {n} membres du pôle (structure porteuse comprise) : "
                                       f"{_names(ctx, ess)}",
                                 f"{n_ess} SSE organisations among the pôle's {n} members (structure porteuse "
                                 f"included): {_names(ctx, ess)}"), ess, n, share)
    missing = _unlisted(ctx)
    if missing is not None and n_ess + missing < 2:
        d = ctx.declared_members
        return _Outcome(False, tr(lang, f"{counted(n_ess, 'structure', 'structures')} de l'ESS parmi "
                                        f"{counted(n, 'structure listée', 'structures listées')} pour "
                                        f"{counted(d, 'membre déclaré', 'membres déclarés')} : au plus {n_ess + missing}",
                                  f"{counted(n_ess, 'SSE organisation', 'SSE organisations', 'en')} among {n} listed for "
                                  f"{counted(d, 'declared member', 'declared members', 'en')}: at most {n_ess + missing}"),
                        ess, n, share)
    return _Outcome(None, thin_reason(ctx, lang) + tr(lang, f", dont {n_ess} de l'ESS : la composition ne peut pas être "
                                                      "jugée", f", {n_ess} of them SSE: composition cannot be judged"),
                    ess, n, share)


def _k2(ctx: PoleContext, lang: str) -> _Outcome:
    found = _in_circle(ctx, lambda a: a.family == "enterprise")
    core = [ctx.actors[a] for a in ctx.core]
    n = ctx.core_units
    lucrative = sum(units(a) for a in core if a.family == "enterprise")
    share = lucrative / n if n >= 2 else None
    if found:
        reason = tr(lang, f"{counted(len(found), 'entreprise classique liée', 'entreprises classiques liées')} au pôle : "
                          f"{_names(ctx, found)}",
                    f"{counted(len(found), 'classic enterprise', 'classic enterprises', 'en')} tied to the pôle: "
                    f"{_names(ctx, found)}")
        if share is not None and share >= 0.5:
            reason += tr(lang, f" ; attention : les entreprises lucratives font {share:.0%} des membres du pôle, elles ne "
                               f"sont pas minoritaires ({cite('001', 'L359-361', lang)})",
                         f"; note: for-profit enterprises are {share:.0%} of the pôle's members, not a minority "
                         f"({cite('001', 'L359-361', lang)})")
        return _Outcome(True, reason, found, len(ctx.wide_circle()), share)
    out = _absent(ctx, "aucune entreprise classique", "no classic enterprise", lang)
    out.value = share
    return out


def _k3(ctx: PoleContext, lang: str) -> _Outcome:
    found = _in_circle(ctx, lambda a: a.family == "collectivite")
    if found:
        levels: dict[str, int] = {}
        for a in found:
            lv = funder_level(ctx.actors[a])
            levels[lv] = levels.get(lv, 0) + units(ctx.actors[a])
        shown = ", ".join(f"{level_label(lv, lang)} : {c}" if lang != "en" else f"{level_label(lv, lang)}: {c}"
                          for lv, c in levels.items())
        return _Outcome(True, tr(lang, f"{counted(len(found), 'collectivité liée', 'collectivités liées')} au pôle "
                                       f"({shown}) : {_names(ctx, found)}",
                                 f"{counted(len(found), 'collectivité', 'collectivités', 'en')} tied to the pôle "
                                 f"({shown}): {_names(ctx, found)}"),
                        found, len(ctx.wide_circle()), float(sum(levels.values())))
    if ctx.pole.declared.get("collectivites") == 0:
        return _Outcome(False, tr(lang, "les sources déclarent 0 collectivité impliquée",
                                  "the sources declare 0 collectivités involved"), n=len(ctx.wide_circle()), value=0.0)
    return _absent(ctx, "aucune collectivité", "no collectivité", lang)


def _k4(ctx: PoleContext, lang: str) -> _Outcome:
    found = _in_circle(ctx, lambda a: a.family == "research")
    if found:
        return _Outcome(True, tr(lang, f"lien avec la recherche : {_names(ctx, found)}",
                                 f"link with research: {_names(ctx, found)}"), found, len(ctx.wide_circle()))
    return _absent(ctx, "aucun acteur de la recherche", "no research actor", lang)


def _k5(ctx: PoleContext, lang: str) -> _Outcome:
    found = _in_circle(ctx, lambda a: a.family == "training")
    if found:
        return _Outcome(True, tr(lang, f"lien avec la formation : {_names(ctx, found)}",
                                 f"link with training: {_names(ctx, found)}"), found, len(ctx.wide_circle()))
    return _absent(ctx, "aucun organisme de formation", "no training body", lang)


def _k6(ctx: PoleContext, lang: str) -> _Outcome:
    n = ctx.core_units
    declared = ctx.declared_members
    size_known = max(n, int(declared or 0))
    if size_known >= MIN_MEMBERS:
        size = True
    elif n < MIN_MEMBERS and ((declared is not None and declared < MIN_MEMBERS) or _members_complete(ctx)):
        size = False
    else:
        size = None
    fams = {ctx.actors[a].family for a in ctx.core}
    if len(fams) >= 2:
        diverse = True
    elif _members_complete(ctx) and len(fams) < 2 and n > 0:
        diverse = False
    else:
        diverse = None
    state = _and(size, diverse)
    met = size_known >= STRICT_MIN_MEMBERS
    strict = tr(lang, f" (seuil strict de {STRICT_MIN_MEMBERS} {'atteint' if met else 'non atteint'})",
                f" (strict threshold of {STRICT_MIN_MEMBERS} {'met' if met else 'not met'})")
    parts = [
        tr(lang, f"{counted(n, 'membre listé', 'membres listés')}, structure porteuse comprise"
           + (f", {counted(declared, 'membre déclaré', 'membres déclarés')}" if declared else ""),
           f"{counted(n, 'member', 'members', 'en')} listed, structure porteuse included"
           + (f", {counted(declared, 'member', 'members', 'en')} declared" if declared else "")),
        tr(lang, f"taille : {'oui' if size else 'non' if size is False else 'inconnue'}" + (strict if size else ""),
           f"size: {'yes' if size else 'no' if size is False else 'unknown'}" + (strict if size else "")),
        tr(lang, f"familles d'acteurs : {len(fams)}" + ("" if diverse is not None else " — diversité non jugeable, "
                                                          + thin_reason(ctx, lang)),
           f"actor families: {len(fams)}" + ("" if diverse is not None else " — diversity cannot be judged, "
                                              + thin_reason(ctx, "en"))),
        tr(lang, f"moyenne de référence : 15 structures ({cite('001', 'L560', lang)}), médiane 14 "
                 f"({cite('000', 'L412-415', lang)})",
           f"reference: mean 15 structures ({cite('001', 'L560', lang)}), median 14 ({cite('000', 'L412-415', lang)})"),
    ]
    return _Outcome(state, " ; ".join(parts) if lang != "en" else "; ".join(parts), list(ctx.core), n,
                    float(size_known) if size_known else None)


def _k7(ctx: PoleContext, lang: str) -> _Outcome:
    info = ctx.pole.pole
    perimeter = set(info.perimeter) if info else set()
    if not perimeter:
        written = info.perimeter_text if info else None
        if written:  # the sources describe it, in words no territory of the geography matches
            return _Outcome(None, tr(lang, f"périmètre décrit par les sources (« {written} ») mais rattaché à aucun "
                                           "territoire connu : l'ancrage des membres ne peut pas être mesuré (le "
                                           "périmètre est propre au projet et ne se déduit pas des limites "
                                           f"administratives : {cite('001', 'L762-780', lang)})",
                                     f"perimeter described by the sources (« {written} ») but matched to no known "
                                     "territory: the members' anchoring cannot be measured (the perimeter is "
                                     "project-specific and cannot be derived from administrative boundaries: "
                                     f"{cite('001', 'L762-780', lang)})"), n=0)
        return _Outcome(None, tr(lang, "périmètre du pôle non renseigné (il est propre au projet et ne se déduit "
                                       f"pas des limites administratives : {cite('001', 'L762-780', lang)})",
                                 "the pôle's perimeter is not stated (it is project-specific and cannot be derived "
                                 f"from administrative boundaries: {cite('001', 'L762-780', lang)})"), n=0)
    enclosing = {t for p in perimeter for t in territory_rollup(p)}
    inside, outside, vague = [], [], 0
    for a in ctx.core:
        loc = ctx.actors[a].location
        if not loc:
            continue
        chain = set(territory_rollup(loc))
        if chain & perimeter:
            inside.append(a)
        elif loc in enclosing:
            vague += 1  # located only at a level that encloses part of the perimeter
        else:
            outside.append(a)
    located = len(inside) + len(outside)
    n = len(ctx.core)
    if located < 2 or located * 2 < n:
        return _Outcome(None, tr(lang, f"{counted(located, 'structure localisée', 'structures localisées')} précisément "
                                       f"parmi {counted(n, 'membre', 'membres')} du pôle : trop peu pour juger l'ancrage",
                                 f"{counted(located, 'structure', 'structures', 'en')} precisely located among the "
                                 f"pôle's {counted(n, 'member', 'members', 'en')}: too few to judge"), inside, located)
    share = len(inside) / located
    state = share >= 0.5
    return _Outcome(state, tr(lang, f"{counted(len(inside), 'structure', 'structures')} sur {located} localisées dans le "
                                    f"périmètre ({share:.0%})",
                              f"{len(inside)} of {located} located structures inside the perimeter ({share:.0%})"),
                    inside if state else outside, located, share)


def _not_computable(ctx: PoleContext, lang: str) -> _Outcome:
    return _Outcome(None, tr(lang, "non calculable à partir d'un graphe : demande une donnée déclarative ou une "
                                   "évaluation qualitative", "not computable from a graph: needs declared or "
                             "evaluative data"))


def _analysis_year(ctx: PoleContext) -> int:
    return ctx.as_of if ctx.as_of is not None else date.today().year


def _k9(ctx: PoleContext, lang: str) -> _Outcome:
    year = _analysis_year(ctx)
    info = ctx.pole.pole
    founded = info.founding_year if info else None
    core = set(ctx.core)
    dated = [r for r in ctx.relations if (r.target == ctx.pole.id and r.source in core) or
             (r.source in core and r.target in core)]
    starts = [(year_of(r.start), r) for r in dated if r.start]
    earliest = min((y for y, _ in starts), default=None)
    if founded is not None and year - founded >= CONTINUITY_YEARS:
        return _Outcome(True, tr(lang, f"pôle créé en {founded}, {year - founded} ans en {year}",
                                 f"pôle founded in {founded}, {year - founded} years in {year}"),
                        n=1, value=float(year - founded))
    if earliest is not None and year - earliest >= CONTINUITY_YEARS:
        ids = sorted({r.source for y, r in starts if y == earliest})
        return _Outcome(True, tr(lang, f"liens du pôle documentés depuis {earliest} ({year - earliest} ans en {year})",
                                 f"ties of the pôle documented since {earliest} ({year - earliest} years in {year})"),
                        ids, len(starts), float(year - earliest))
    if founded is not None:
        return _Outcome(None, tr(lang, f"pôle créé en {founded} : moins de {CONTINUITY_YEARS} ans en {year}, la "
                                       "continuité ne peut pas encore être jugée",
                                 f"pôle founded in {founded}: under {CONTINUITY_YEARS} years in {year}, continuity "
                                 "cannot be judged yet"), n=1, value=float(year - founded))
    return _Outcome(None, tr(lang, "année de création inconnue et aucun lien daté",
                             "founding year unknown and no dated tie"), n=len(starts))


def _scope_ties(ctx: PoleContext) -> list[RelationView]:
    """Ties among M(P) and the pôle, without the membership and carrying star itself."""
    scope = set(ctx.core) | {ctx.pole.id}
    return [r for r in ctx.relations if r.source in scope and r.target in scope and r.source != r.target
            and not (r.type in ("membership", "carries") and r.target == ctx.pole.id)]


def _engagement_words(r: RelationView, lang: str) -> str:
    """A K10 tie in the vocabulary's words: its cooperation form's label (« Coopération
    stratégique »), else its relation type's (« héberge »)."""
    form = cooperation_form(r) if r.type == "cooperates" else None
    rtype = vocabulary().relation_type(r.type)
    return rtype.fields["form"].value_label(form, lang) if form else rtype.label(lang)


def _k10(ctx: PoleContext, lang: str) -> _Outcome:
    ties = [r for r in _scope_ties(ctx) if (r.type == "cooperates" and cooperation_form(r)) or r.type == "hosts"]
    if ties:
        ids = sorted({e for r in ties for e in (r.source, r.target)} - {ctx.pole.id})
        kinds = sorted({_engagement_words(r, lang) for r in ties})
        return _Outcome(True, tr(lang, f"{counted(len(ties), 'lien', 'liens')} d'engagement économique "
                                       f"({', '.join(kinds)}) : {_names(ctx, ids)}",
                                 f"{counted(len(ties), 'economic-engagement tie', 'economic-engagement ties', 'en')} "
                                 f"({', '.join(kinds)}): {_names(ctx, ids)}"), ids, len(ties))
    # the ties among them as the diagnostic's internal ties count them: pairs of members
    n = ctx.internal_graph().number_of_edges()
    among = tr(lang, "aucun lien direct entre elles documenté" if n == 0 else
               f"{n} lien direct entre elles" if n == 1 else f"{n} liens directs entre elles",
               "no direct tie among them documented" if n == 0 else
               f"{n} direct tie among them" if n == 1 else f"{n} direct ties among them")
    return _Outcome(None, tr(lang, "aucune mutualisation ni coopération qualifiée documentée entre les structures du "
                                   f"pôle ({among}) : absence de données ou absence d'engagement",
                             "no pooling or qualified cooperation documented between the pôle's structures "
                             f"({among}): no data or no engagement"), n=n)


def _k13(ctx: PoleContext, lang: str) -> _Outcome:
    anchor = ctx.anchor()
    ties = [r for r in ctx.relations if r.type == "hosts" and (r.source in anchor or r.target in anchor)]
    if ties:
        ids = sorted({e for r in ties for e in (r.source, r.target)} - {ctx.pole.id})
        return _Outcome(True, tr(lang, f"{counted(len(ties), 'lien', 'liens')} d'hébergement : {_names(ctx, ids)}",
                                 f"{counted(len(ties), 'hosting tie', 'hosting ties', 'en')}: {_names(ctx, ids)}"),
                        ids, len(ties))
    return _Outcome(None, tr(lang, "aucun lieu (hébergement) documenté pour le pôle ou sa structure porteuse",
                             "no place (hosting) documented for the pôle or its structure porteuse"))


def named_incubator(name: str) -> bool:
    """Whether a name says incubator (:data:`INCUBATOR_WORDS`, a whole word, accents and case
    ignored).

    >>> named_incubator("Incubateur Midi Pyrénées"), named_incubator("Pépinières d'entreprises")
    (True, True)
    >>> named_incubator("Incubatorium"), named_incubator("Pépiniériste du Lot")
    (False, False)
    """
    return any(w.removesuffix("s") in INCUBATOR_WORDS for w in fold(name).split())


def _k14(ctx: PoleContext, lang: str) -> _Outcome:
    research = _in_circle(ctx, lambda a: a.family == "research")
    incub = [a for a in ctx.core if ctx.actors[a].kind in INCUBATOR_KINDS]
    # a member whose name says incubator counts, whatever its legal form (an association, often)
    named = [a for a in ctx.by_name(set(ctx.core) - set(incub) - set(research))
             if named_incubator(ctx.actors[a].name)]
    found = sorted(set(research) | set(incub))
    if found or named:
        by_kind = ([tr(lang, f"recherche ou incubation : {_names(ctx, found)}",
                       f"research or incubation: {_names(ctx, found)}")] if found else [])
        by_name = ([tr(lang, f"incubateur d'après son nom (sa forme juridique ne le dit pas) : {_names(ctx, named)}",
                       f"incubator by its name (its legal form does not say so): {_names(ctx, named)}")]
                   if named else [])
        return _Outcome(True, " ; ".join(by_kind + by_name), found + named, len(ctx.wide_circle()))
    return _Outcome(None, tr(lang, "ni recherche ni incubateur documentés autour du pôle",
                             "neither research nor incubator documented around the pôle"), n=len(ctx.wide_circle()))


def _legal_reading(legal_form: str | None, kind: str | None) -> bool | None:
    """True: democratic statutes; False: a company form; None: unknown or neither."""
    if legal_form:
        text = fold(legal_form)
        words = set(text.split())
        if any(w in text for w in DEMOCRATIC_FORMS if len(w) > 3) or words & {"ues", "cae", "coop", "scic", "scop"}:
            return True
        if words & set(COMPANY_FORMS):
            return False
    if kind in DEMOCRATIC_KINDS:
        return True
    return None


def _k15(ctx: PoleContext, lang: str) -> _Outcome:
    structures = [ctx.pole.id, *ctx.carriers]
    readings = {s: _legal_reading(ctx.actors[s].legal_form, ctx.actors[s].kind if s != ctx.pole.id else None)
                for s in structures}
    good = [s for s, v in readings.items() if v is True]
    bad = [s for s, v in readings.items() if v is False]

    from maillage.graph.vocabulary import kind_label

    def show(ids):  # a structure stating no legal form by its kind's label (« Coopérative »)
        return ", ".join(f"{a.name} ({a.legal_form or kind_label(a.family, a.kind, lang)})"
                         for a in (ctx.actors[s] for s in ids))

    if good:
        return _Outcome(True, tr(lang, f"statuts démocratiques : {show(good)} (la pratique démocratique n'est pas "
                                       "mesurable à partir des liens)", f"democratic statutes: {show(good)} "
                                 "(democratic practice cannot be measured from ties)"), good, len(structures))
    if bad:
        return _Outcome(False, tr(lang, f"forme de société commerciale : {show(bad)}",
                                  f"commercial company form: {show(bad)}"), bad, len(structures))
    return _Outcome(None, tr(lang, "forme juridique du pôle et de sa structure porteuse inconnue",
                             "legal form of the pôle and its structure porteuse unknown"), n=len(structures))


def _k16(ctx: PoleContext, lang: str) -> _Outcome:
    found = _in_circle(ctx, lambda a: a.family == "network" and a.kind in ESS_NETWORK_KINDS)
    if found:
        return _Outcome(True, tr(lang, f"{counted(len(found), 'réseau', 'réseaux')} de l'ESS : {_names(ctx, found)}",
                                 f"{counted(len(found), 'SSE network', 'SSE networks', 'en')}: {_names(ctx, found)}"),
                        found, len(ctx.wide_circle()))
    return _absent(ctx, "ni CRESS ni tête de réseau de l'ESS", "no CRESS or SSE federation", lang)


def _k18(ctx: PoleContext, lang: str) -> _Outcome:
    jobs = ctx.pole.declared.get("jobs")
    where = tr(lang, "déclarés pour le pôle", "declared for the pôle")
    if jobs is None:
        member_jobs = [ctx.actors[a].declared["jobs"] for a in ctx.core if "jobs" in ctx.actors[a].declared]
        if member_jobs:
            jobs = float(sum(member_jobs))
            where = tr(lang, f"somme déclarée par {counted(len(member_jobs), 'structure', 'structures')} sur "
                             f"{len(ctx.core)}",
                       f"sum declared by {len(member_jobs)} of {counted(len(ctx.core), 'structure', 'structures', 'en')}")
    if jobs is None:
        return _Outcome(None, tr(lang, "aucun emploi déclaré", "no jobs declared"))
    if jobs == 0:
        return _Outcome(False, tr(lang, f"0 emploi {where}", f"0 jobs {where}"), n=1, value=0.0)
    return _Outcome(None, tr(lang, f"{fmt_number(jobs)} emplois {where} ; la source ne fixe aucun seuil "
                                   f"({cite('002', 'L650', lang)}) — repère : médiane de 88 emplois "
                                   f"({cite('000', 'L412-415', lang)})",
                             f"{fmt_number(jobs, 'en')} jobs {where}; the source sets no threshold ({cite('002', 'L650', lang)})"
                             f" — reference: median 88 jobs ({cite('000', 'L412-415', lang)})"), n=1, value=float(jobs))


def _x1(ctx: PoleContext, lang: str) -> _Outcome:
    out = _k9(ctx, lang)
    if out.state is False:
        out.state = None
    return out


def _exclusion(cid: str) -> Callable[[PoleContext, str], _Outcome]:
    bad_kinds = EXCLUDED_KINDS[cid]

    def evaluate(ctx: PoleContext, lang: str) -> _Outcome:
        core = ctx.core
        if len(core) >= 2 or ctx.core_units >= 2:
            return _Outcome(True, tr(lang, f"le pôle regroupe {ctx.core_units} structures : il n'est pas lui-même une "
                                           "seule organisation (ces fonctions sont souvent intégrées dans un PTCE : "
                                           f"{cite('002', 'L660', lang)})", f"the pôle groups {ctx.core_units} "
                                     "structures: it is not itself a single organisation (such functions are often "
                                     f"part of a PTCE: {cite('002', 'L660', lang)})"),
                            list(core), ctx.core_units)
        only = [a for a in core if ctx.actors[a].kind in bad_kinds]
        complete = ctx.declared_members is not None and ctx.declared_members <= 1
        if only and complete:
            return _Outcome(False, tr(lang, f"le pôle se réduit à {_names(ctx, only)} ({ctx.actors[only[0]].kind})",
                                      f"the pôle is nothing but {_names(ctx, only)} ({ctx.actors[only[0]].kind})"),
                            only, 1)
        if only:
            return _Outcome(None, tr(lang, f"le pôle n'est documenté que par {_names(ctx, only)} : impossible de dire "
                                           "s'il se réduit à cette structure", f"the pôle is documented only through "
                                     f"{_names(ctx, only)}: whether it is nothing more cannot be told"), only, 1)
        return _Outcome(None, thin_reason(ctx, lang), list(core), ctx.core_units)

    return evaluate


def _m1(ctx: PoleContext, lang: str) -> _Outcome:
    ties = [r for r in _scope_ties(ctx) if r.type == "cooperates" and cooperation_form(r) == MATURITY_FORM]
    if ties:
        ids = sorted({e for r in ties for e in (r.source, r.target)} - {ctx.pole.id})
        return _Outcome(True, tr(lang, f"mutualisation de projets documentée : {_names(ctx, ids)}",
                                 f"pooling of projects documented: {_names(ctx, ids)}"), ids, len(ties))
    forms = cooperation_forms(ctx, lang)  # the report's words: « 2 liens de coopération entre membres ou avec le pôle »
    return _Outcome(None, forms.reason or "", n=forms.n)


def _i1(ctx: PoleContext, lang: str) -> _Outcome:
    founders = sorted({r.source for r in ctx.relations if r.type == "founded" and r.target == ctx.pole.id
                       and r.source in ctx.actors})
    origin = sorted(set(founders) | set(ctx.carriers))
    if not origin:
        return _Outcome(None, tr(lang, "ni fondateur ni structure porteuse documentés : l'origine de l'initiative est "
                                       "inconnue", "neither founder nor structure porteuse documented: the origin of "
                                 "the initiative is unknown"))
    voc = vocabulary()
    fams = sorted({voc.family(ctx.actors[a].family).label(lang) for a in origin})
    ess_any = [a for a in [*origin, *ctx.core] if is_ess(ctx.actors[a])]
    others = [a for a in ctx.wide_circle() if not is_ess(ctx.actors[a]) and ctx.actors[a].family != "other"]
    text = tr(lang, f"origine : {', '.join(fams)} ({_names(ctx, origin)})",
              f"origin: {', '.join(fams)} ({_names(ctx, origin)})")
    if ess_any and others:
        return _Outcome(True, text + tr(lang, f" ; ESS : {_names(ctx, sorted(set(ess_any)), 3)} ; autres parties "
                                              f"prenantes : {_names(ctx, others, 3)}",
                                        f"; SSE: {_names(ctx, sorted(set(ess_any)), 3)}; other stakeholders: "
                                        f"{_names(ctx, others, 3)}"), sorted(set(origin)), len(origin))
    return _Outcome(None, text + tr(lang, " ; l'association de l'ESS à d'autres parties prenantes n'est pas documentée",
                                    "; the association of the SSE with other stakeholders is not documented"),
                    origin, len(origin))


_EVALUATORS: dict[str, Callable[[PoleContext, str], _Outcome]] = {
    "K1": _k1, "K2": _k2, "K3": _k3, "K4": _k4, "K5": _k5, "K6": _k6, "K7": _k7, "K8": _not_computable,
    "K9": _k9, "K10": _k10, "K11": _not_computable, "K12": _not_computable, "K13": _k13, "K14": _k14,
    "K15": _k15, "K16": _k16, "K17": _not_computable, "K18": _k18, "X1": _x1, "X2": _exclusion("X2"),
    "X3": _exclusion("X3"), "X4": _exclusion("X4"), "X5": _exclusion("X5"), "M1": _m1, "I1": _i1,
}

_STATE_LABELS = {True: {"fr": "oui", "en": "yes"}, False: {"fr": "non", "en": "no"},
                 None: {"fr": "inconnu", "en": "unknown"}}


def _evidence(ctx: PoleContext, ids: Iterable[str]) -> list[Evidence]:
    wide = ctx.wide_circle()
    anchor = ctx.anchor()
    out = []
    for a in dict.fromkeys(ids):
        actor = ctx.actors.get(a)
        if actor is None:
            continue
        rels = wide.get(a) or [r for r in ctx.relations if a in (r.source, r.target)
                               and ({r.source, r.target} & (anchor | set(ctx.core)))]
        out.append(Evidence(id=a, name=actor.name, family=actor.family,
                            relation_types=sorted({r.type for r in rels}), relations=sorted({r.id for r in rels})))
    return out


def criteria_of(ctx: PoleContext, lang: str = "fr") -> list[CriterionResult]:
    """:func:`evaluate_criteria` on an already read :class:`~maillage.analytics.poles.PoleContext`
    (same checks, same tri-state definitions).

    >>> from maillage.graph import open_store
    >>> from maillage.loaders import load_reference
    >>> from maillage.analytics.poles import pole_context
    >>> s = open_store(":memory:"); _ = load_reference(s)
    >>> results = criteria_of(pole_context(s, s.search("Périscope", family="pole")[0].id))
    >>> len(results) == len(CHECKS), {r.state for r in results} <= {True, False, None}
    (True, True)
    """
    _check_catalogue()
    out = []
    for check in CHECKS:
        res = _EVALUATORS[check.id](ctx, lang)
        out.append(CriterionResult(
            id=check.id, label=check.label(lang), source=check.source,
            source_label=SOURCES[check.source].get(lang, SOURCES[check.source]["fr"]),
            computable=check.computable, optional=check.optional,
            references=[r.cite() for r in check.references], state=res.state,
            state_label=_STATE_LABELS[res.state].get(lang, _STATE_LABELS[res.state]["fr"]), reason=res.reason,
            evidence=_evidence(ctx, res.evidence), n=res.n, value=res.value))
    return out


def evaluate_criteria(store: Store, pole_id: str, as_of: int | None = None, lang: str = "fr") -> list[CriterionResult]:
    """Evaluate every check of :data:`CHECKS` on one pôle (as of a year): ``state`` True,
    False, or None (unknown), with the evidence (actors and statements) or the reason.

    Checks read M(P) (members and structures porteuses) and S(P) (M(P) plus the actors tied to
    the pôle or its structure porteuse by partner, supports, funds, cooperates, hosts, founded,
    contracts, governs or membership), as defined in seed notes 001-002 §3.2. A check is False
    only when the data positively contradicts it (a complete member list, a declared size, a
    stated legal form); a missing tie makes it unknown, never False. References: loi
    n° 2014-856 art. 9; Labo de l'ESS, note of February 2011 (seed 002 L628-660); Labo de
    l'ESS 2014 (seed 001).

    >>> from maillage.graph import open_store
    >>> from maillage.loaders import load_reference
    >>> store = open_store(":memory:"); _ = load_reference(store)
    >>> k1 = evaluate_criteria(store, "le-damier-193c5d")[0]
    >>> k1.id, k1.state, k1.reason.startswith("aucun membre nommé (40 déclarés)")
    ('K1', None, True)
    """
    return criteria_of(pole_context(store, pole_id, as_of=as_of), lang=lang)


__all__ = ["CHECKS", "DOCUMENTS", "SOURCES", "Check", "Reference", "CriterionResult", "Evidence",
           "evaluate_criteria", "criteria_of", "counted"]
