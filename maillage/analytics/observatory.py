"""The observatory table: the statistics of the RTES study, computed from the loaded graph.

The RTES study *Les rôles des collectivités locales dans les dynamiques de PTCE* (Repères,
2016 update; seed 000, notes ``s000a_notes.md`` §2 and ``s000b_notes.md`` §2) reports, over a
panel of 37 to 58 pôles: how many pôles each collectivité level is involved in, how many
collectivités and public partners a pôle has, which roles they play, how much each level
funds, the legal forms of the structures porteuses, and the median pôle (age, members, jobs,
phase). :func:`observatory_table` computes the same statistics from whatever graph is loaded,
each with its sample size ``n`` (and the number of pôles behind it), and shows the published
RTES value beside it for reference.

Denominators. A pôle is **documented** when at least one actor other than a programme,
event or place (family ``other``) is tied to it or to its structure porteuse by a
non-``related``, non-planned statement (S(P) of :mod:`maillage.analytics.criteria`). Shares of
pôles are over documented pôles: a pôle the sources only name tells nothing about its
partners. Role shares are over (public actor, pôle) pairs, as the study's "des projets qu'ils
accompagnent". Medians are over the pôles that have the figure. Where no pôle has it, the
value is ``None`` with the reason — never 0.

>>> from maillage.graph import open_store
>>> rows = observatory_table(open_store(":memory:"))
>>> rows[0].key, rows[0].value, rows[0].n
('poles', 0.0, 0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from statistics import mean

from pydantic import BaseModel, Field

from maillage.graph.names import alpha_key, fold
from maillage.graph.store import Store
from maillage.graph.vocabulary import vocabulary

from maillage.writing import counted
from .poles import PoleContext, funder_level, funding_ties, median, pole_context, tie_roles, tr, units
from .run import pole_table

#: Groups of rows, in order.
GROUPS: dict[str, dict[str, str]] = {
    "panel": {"fr": "Pôles analysés", "en": "Pôles analysed"},
    "presence": {"fr": "Présence des collectivités", "en": "Presence of collectivités"},
    "roles": {"fr": "Apports des collectivités et de l'État", "en": "Contributions of collectivités and the State"},
    "funding": {"fr": "Financements mobilisés", "en": "Funding mobilised"},
    "structures": {"fr": "Structures porteuses", "en": "Carrying structures"},
    "profile": {"fr": "Profil des pôles", "en": "Profile of the pôles"},
}

#: Levels of the RTES funding table (000 L550-560) and their published 2015 values:
#: total (EUR), number of projects, median per project (EUR).
FUNDING_2015: dict[str, tuple[float, int, float]] = {
    "commune": (246_000, 16, 30_000),
    "epci": (796_000, 20, 17_000),
    "departement": (333_000, 15, 28_000),
    "region": (1_239_000, 29, 10_000),
    "state": (1_008_000, 24, 33_000),
    "eu": (776_000, 7, 70_000),
}

#: Published shares of pôles each level is involved in (000 L486-492; ``None``: not published).
PRESENCE: dict[str, tuple[tuple[str, ...], float | None, str | None, str | None]] = {
    "region": (("region",), 0.75, "≈ 3/4", "000 L486"),
    "epci": (("epci",), 0.75, "≈ 3/4", "000 L486"),
    "departement": (("departement",), 0.50, "50 %", "000 L488"),
    "commune": (("commune",), 0.52, "52 %", "000 L490"),
    "pnr_petr": (("pnr", "petr_pays"), 0.15, "15 %", "000 L492"),
    "state": (("state",), None, None, None),
    "eu": (("eu",), 0.05, "5 % (3 projets)", "000 L492"),
}

#: The published values as an English report says them (the French, as the studies write them,
#: is the key). A quotation stays in French, its English after it. Numbers written with a space
#: before « % » and nothing else to translate (« 84 % ») are rewritten by :func:`published_words`.
PUBLISHED_EN: dict[str, str] = {
    "70 pôles interrogés en 2016 (une cinquantaine lors de la 1re étude, en 2013) ; 58 pour l'âge, 37 pour les financements 2015":
        "70 pôles surveyed in 2016 (about fifty in the first study, 2013); 58 for the age, 37 for the 2015 funding",
    "3 partenaires en moyenne": "3 partners on average",
    "3 projets": "3 projects",
    "5 % (3 projets)": "5% (3 projects)",
    "1/3 des projets accompagnés": "1/3 of the projects supported",
    "20 à 30 %": "20 to 30%",
    "10 à 20 %": "10 to 20%",
    "2 collectivités": "2 collectivités",
    "≈ 25 000 €": "≈ €25,000",
    "3,25 M€ pour 37 projets (2015) ; le tableau L550-560 donne 2 614 k€":
        "€3.25M for 37 projects (2015); the table at L550-560 gives €2,614k",
    "11 % (31 % en 2013)": "11% (31% in 2013)",
    "3 ans en 2016 (pôles nés en 2013)": "3 years in 2016 (pôles founded in 2013)",
    "14 structures (profil médian 2015)": "14 structures (median profile, 2015)",
    "« en moyenne quinze structures »": "« en moyenne quinze structures » (on average fifteen structures)",
    "88 personnes (profil médian 2015)": "88 people (median profile, 2015)",
    "près de 50 %": "nearly 50%",
    "plus de 10 %": "over 10%",
}


def published_words(text: str | None, lang: str = "fr") -> str | None:
    """A published value as a report in ``lang`` says it: the study's French as given for French
    readers; for English ones, :data:`PUBLISHED_EN`'s wording, or the French figure written the
    English way (« 84 % » → "84%", « 1 239 k€ (2015) » → "€1,239k (2015)", « 16 projets (2015) » →
    "16 projects (2015)").

    >>> published_words("84 %", "en"), published_words("84 %"), published_words("1\u202f239 k€ (2015)", "en")
    ('84%', '84 %', '€1,239k (2015)')
    >>> published_words("« en moyenne quinze structures »", "en")
    '« en moyenne quinze structures » (on average fifteen structures)'
    """
    if text is None or lang != "en":
        return text
    if text in PUBLISHED_EN:
        return PUBLISHED_EN[text]
    out = re.sub(r"(\d) %", r"\1%", text)
    out = re.sub(r"(\d[\d\u202f ]*) k€", lambda m: "€" + re.sub(r"[\u202f ]", ",", m[1]) + "k", out)
    return out.replace(" projets ", " projects ")


#: Legal forms of the structures porteuses (000 L387): association 65 %, SCIC 16 %, other
#: forms marginal (SAS, EUS, GEIE…), 11 % without a legal structure.
LEGAL_FORMS: dict[str, tuple[float | None, str]] = {
    "association": (0.65, "65 %"),
    "scic": (0.16, "16 %"),
    "autre": (None, "marginal (SAS, UES, GEIE…)"),
}


class ObservatoryRow(BaseModel):
    """One statistic computed from the graph, with its sample size and the published value."""

    key: str
    group: str
    group_label: str
    label: str
    statistic: str = Field(description="count | share | mean | median | total")
    unit: str = Field(description="pôles | share | collectivités | partners | EUR | years | structures | jobs")
    value: float | None = None
    n: int = Field(0, description="Observations the statistic is computed over")
    n_poles: int = Field(0, description="Pôles with data behind the statistic")
    denominator: str = ""
    unknown: str | None = None
    note: str | None = None
    published: float | None = None
    published_range: list[float] | None = None
    published_text: str | None = None
    published_n: int | None = None
    reference: str | None = Field(None, description="Where the published value is: 'RTES 2016, 000 L486' "
                                                  "(a seed document's code and its lines; see reference_text)")
    as_of: int | None = None


def reference_text(reference: str | None, lang: str = "fr") -> str:
    """A row's ``reference`` as a report's reader reads it: the document by its author, title and
    year, then its line or lines (:func:`maillage.analytics.criteria.cite`, as the pôle report's
    reasons cite them); anything else as given.

    >>> reference_text("RTES 2016, 000 L486")
    'RTES, « Les rôles des collectivités locales dans les dynamiques de PTCE », 2016, ligne 486'
    >>> reference_text("000 L63, L385, L1111", "en")
    'RTES, « Les rôles des collectivités locales dans les dynamiques de PTCE », 2016, line 63, line 385, line 1111'
    """
    from .criteria import cite

    m = re.fullmatch(r"(?:.+, )?(?P<doc>\d{3}) (?P<lines>L\d+(?:-\d+)?(?:, L\d+(?:-\d+)?)*)", reference or "")
    if m is None:
        return reference or ""
    name = cite(m["doc"], None, lang)
    return ", ".join([name, *(cite(m["doc"], x, lang).removeprefix(name + ", ") for x in m["lines"].split(", "))])


# ---------------------------------------------------------------------------------------------
# what each pôle contributes

@dataclass
class _Pole:
    id: str
    documented: bool = False
    coll_units: int = 0
    public_units: int = 0
    levels: set[str] = field(default_factory=set)
    pairs: list[tuple[str, str, set[str], bool]] = field(default_factory=list)  # (actor, level, roles, vague)
    funders: dict[str, dict[str, list[float | None]]] = field(default_factory=dict)  # level → actor → amounts
    legal_form: str | None = None
    members: float | None = None
    jobs: float | None = None
    age: int | None = None
    phase: str | None = None


def legal_form_class(legal_form: str | None, kind: str | None) -> str | None:
    """``association``, ``scic`` or ``autre`` from a stated legal form (free text) or, failing
    that, the kind of a structure; ``None`` when neither says.

    >>> legal_form_class("Association loi 1901", None), legal_form_class(None, "scic")
    ('association', 'scic')
    """
    if legal_form:
        t = fold(legal_form)
        if "scic" in t:
            return "scic"
        if "association" in t or "1901" in t:
            return "association"
        return "autre"
    if kind == "association":
        return "association"
    if kind == "scic":
        return "scic"
    if kind in ("cooperative", "scop", "cae", "mutuelle", "fondation"):
        return "autre"
    return None


def _carrier_form(ctx: PoleContext) -> str | None:
    def rank(cid: str) -> tuple:
        fns = {r.fields.get("function") for r in ctx.carriers[cid]}
        return (0 if "structure_porteuse" in fns else 1 if None in fns else 2, *alpha_key(ctx.actors[cid].name), cid)

    for cid in sorted(ctx.carriers, key=rank):
        form = legal_form_class(ctx.actors[cid].legal_form, ctx.actors[cid].kind)
        if form:
            return form
    if not ctx.carriers:  # the pôle is its own legal entity (a SCIC, an association…)
        return legal_form_class(ctx.pole.legal_form, None)
    return None


def _facts(ctx: PoleContext, row: dict, year: int) -> _Pole:
    p = _Pole(id=ctx.pole.id)
    wide = ctx.wide_circle()
    anchor = ctx.anchor()
    for aid in wide:
        a = ctx.actors[aid]
        if a.family == "other":
            continue
        p.documented = True
        if a.family == "collectivite":
            p.coll_units += units(a)
        if a.family in ("collectivite", "state", "eu"):
            p.public_units += units(a)
            lvl = funder_level(a)
            p.levels.add(lvl)
            if a.family != "eu":
                own = [r for r in ctx.relations if r.source == aid and r.target in anchor]
                roles = {role for r in own for role in tie_roles(r)}
                vague = any(r.type == "funds" and not r.fields.get("nature") for r in own)
                p.pairs.append((aid, lvl, roles, vague))
    ties, _ = funding_ties(ctx)
    for r in ties:
        a = ctx.actors[r.source]
        p.funders.setdefault(funder_level(a), {}).setdefault(a.id, []).append(r.fields.get("amount"))
    p.legal_form = _carrier_form(ctx)
    declared = row["declared_members"]
    p.members = float(declared) if declared is not None else (float(row["members_listed"]) or None)
    p.jobs = ctx.pole.declared.get("jobs")
    fy = row["founding_year"]
    p.age = year - fy if fy is not None and fy <= year else None
    p.phase = row["phase"]
    return p


# ---------------------------------------------------------------------------------------------
# the statistics

def _share_row(hits: int, n: int, n_poles: int, lang: str, what: str) -> dict:
    if n == 0:
        return {"value": None, "n": 0, "n_poles": n_poles,
                "unknown": tr(lang, f"aucun {what}", f"no {what}")}
    return {"value": hits / n, "n": n, "n_poles": n_poles}


def _amount_sum(amounts: list[float | None]) -> float | None:
    """The sum of a funder's amounts to one pôle, or None if one of them is unknown."""
    return None if any(a is None for a in amounts) else float(sum(amounts))


def observatory_table(store: Store, as_of: int | None = None, lang: str = "fr") -> list[ObservatoryRow]:
    """The RTES study's statistics computed from the loaded graph (as of a year), one
    :class:`ObservatoryRow` each, with the sample size ``n`` and the number of pôles behind it,
    and the published RTES value (seed 000, with its lines) for reference.

    Rows: pôles in the graph and documented; mean number of collectivités per pôle; pôles
    without a collectivité; share with 2–6 public partners; share of pôles each level
    (région, EPCI, département, commune, PNR/PETR, État, Europe) is involved in; role shares
    over (public actor, pôle) pairs (conseil & ingénierie, operating aid by level, investment
    aid, provision of premises or staff); median number of funding collectivités per
    supported pôle and median amount per collectivité; per level: pôles funded, total and
    median amount; legal forms of the structures porteuses; median age, members, jobs;
    phases. Reference: RTES (2016), *Les rôles des collectivités locales dans les dynamiques
    de PTCE*, Repères (seed 000 L385-L571).

    >>> from maillage.graph import open_store
    >>> from maillage.loaders import load_reference
    >>> store = open_store(":memory:"); _ = load_reference(store)
    >>> row = {r.key: r for r in observatory_table(store)}["share_region"]
    >>> row.published, row.n > 0
    (0.75, True)
    """
    year = as_of if as_of is not None else date.today().year
    table = pole_table(store, as_of=as_of, lang=lang)
    poles = [_facts(pole_context(store, row["id"], as_of=as_of), row, year) for row in table]
    documented = [p for p in poles if p.documented]
    nd = len(documented)
    rows: list[ObservatoryRow] = []
    voc = vocabulary()

    def add(key, group, fr, en, statistic, unit, result, denominator_fr="", denominator_en="",
            published=None, published_text=None, published_n=None, reference=None, note=None,
            published_range=None):
        rows.append(ObservatoryRow(
            key=key, group=group, group_label=GROUPS[group].get(lang, GROUPS[group]["fr"]),
            label=tr(lang, fr, en), statistic=statistic, unit=unit, value=result.get("value"),
            n=result.get("n", 0), n_poles=result.get("n_poles", 0), unknown=result.get("unknown"),
            denominator=tr(lang, denominator_fr, denominator_en), note=note or result.get("note"),
            published=published, published_range=published_range,
            published_text=published_words(published_text, lang),
            published_n=published_n, reference=f"RTES 2016, {reference}" if reference and not
            reference.startswith("Labo") else reference, as_of=as_of))

    doc_fr, doc_en = "pôles documentés", "documented pôles"
    no_doc = tr(lang, "pôle documenté", "documented pôle")
    lower = tr(lang, "une absence peut tenir à la documentation : part minimale",
               "an absence may reflect the documentation: a lower bound")

    # -- panel -------------------------------------------------------------------------------
    add("poles", "panel", "Pôles dans le graphe", "Pôles in the graph", "count", "pôles",
        {"value": float(len(poles)), "n": len(poles), "n_poles": len(poles)}, "tous les pôles", "all pôles",
        published_text="70 pôles interrogés en 2016 (une cinquantaine lors de la 1re étude, en 2013) ; 58 pour l'âge, 37 pour les financements 2015",
        reference="000 L63, L385, L506, L1111")
    add("poles_documented", "panel", "Pôles dont au moins un partenaire est documenté",
        "Pôles with at least one documented partner", "count", "pôles",
        {"value": float(nd), "n": len(poles), "n_poles": nd}, "tous les pôles", "all pôles")

    # -- presence of collectivités -------------------------------------------------------------
    coll_counts = [p.coll_units for p in documented]
    add("mean_collectivites", "presence", "Nombre moyen de collectivités par pôle",
        "Mean number of collectivités per pôle", "mean", "collectivités",
        {"value": mean(coll_counts), "n": nd, "n_poles": nd} if nd else
        {"unknown": tr(lang, "aucun pôle documenté", "no documented pôle")}, doc_fr, doc_en,
        published=3, published_text="3 partenaires en moyenne", reference="000 L482", note=lower if nd else None)
    add("median_collectivites", "presence", "Nombre médian de collectivités par pôle",
        "Median number of collectivités per pôle", "median", "collectivités",
        {"value": median(coll_counts), "n": nd, "n_poles": nd} if nd else
        {"unknown": tr(lang, "aucun pôle documenté", "no documented pôle")}, doc_fr, doc_en, note=lower if nd else None)
    add("poles_without_collectivite", "presence", "Pôles sans aucune collectivité partenaire",
        "Pôles without any collectivité partner", "count", "pôles",
        {"value": float(sum(1 for c in coll_counts if c == 0)), "n": nd, "n_poles": nd}, doc_fr, doc_en,
        published=3, published_text="3 projets", reference="000 L484",
        note=tr(lang, "comprend les pôles dont les collectivités partenaires ne sont pas documentées",
                "includes pôles whose collectivité partners are not documented"))
    add("share_2_6_public_partners", "presence", "Part des pôles ayant 2 à 6 partenaires publics",
        "Share of pôles with 2 to 6 public partners", "share", "share",
        _share_row(sum(1 for p in documented if 2 <= p.public_units <= 6), nd, nd, lang, no_doc), doc_fr, doc_en,
        published=0.90, published_text="90 %", reference="000 L484",
        note=tr(lang, "partenaires publics : collectivités, État et opérateurs, fonds européens",
                "public partners: collectivités, the State and its operators, EU funds"))
    for key, (levels, pub, text, ref) in PRESENCE.items():
        label_fr = {"pnr_petr": "PNR ou PETR", "state": "l'État", "eu": "l'Europe"}.get(key)
        label_en = {"pnr_petr": "a PNR or PETR", "state": "the State", "eu": "Europe"}.get(key)
        if label_fr is None:
            kind = voc.family("collectivite").kinds[key]
            label_fr, label_en = kind.label("fr"), kind.label("en")
        add(f"share_{key}", "presence", f"Part des pôles où intervient : {label_fr}",
            f"Share of pôles involving {label_en}", "share", "share",
            _share_row(sum(1 for p in documented if p.levels & set(levels)), nd, nd, lang, no_doc), doc_fr, doc_en,
            published=pub, published_text=text, reference=ref, note=lower if nd else None)

    # -- roles (over (public actor, pôle) pairs) ----------------------------------------------------
    def pairs(levels: tuple[str, ...] | None) -> list[tuple[str, str, set[str], bool]]:
        return [(p.id, lvl, roles, vague) for p in documented for _a, lvl, roles, vague in p.pairs
                if levels is None or lvl in levels]

    colls = tuple(voc.family("collectivite").kinds)

    def vague(ps: list[tuple[str, str, set[str], bool]]) -> int:
        return sum(1 for *_x, v in ps if v)

    role_rows = [
        ("role_conseil_ingenierie", "conseil_ingenierie", (*colls, "state"), "collectivités et État",
         "collectivités and the State", 1 / 3, None, "1/3 des projets accompagnés", "000 L496"),
        ("role_conseil_ingenierie_pnr_petr", "conseil_ingenierie", ("pnr", "petr_pays"), "PNR et PETR",
         "PNRs and PETRs", 0.75, None, "75 %", "000 L496"),
        ("role_aide_fonctionnement_region", "aide_fonctionnement", ("region",), "Régions", "Régions", 0.84, None,
         "84 %", "000 L500"),
        ("role_aide_fonctionnement_state", "aide_fonctionnement", ("state",), "État", "the State", 0.70, None,
         "70 %", "000 L500"),
        ("role_aide_fonctionnement_local", "aide_fonctionnement", ("departement", "epci", "commune"),
         "départements, intercommunalités, communes", "départements, EPCIs, communes", 0.60, None, "60 %",
         "000 L500"),
        ("role_aide_investissement", "aide_investissement", colls, "collectivités", "collectivités", None,
         [0.20, 0.30], "20 à 30 %", "000 L502"),
        ("role_mise_a_disposition", "mise_a_disposition", colls, "collectivités", "collectivités", None,
         [0.10, 0.20], "10 à 20 %", "000 L504"),
    ]
    roles_voc = voc.enum("collectivite_roles")
    for key, role, levels, who_fr, who_en, pub, rng, text, ref in role_rows:
        ps = pairs(levels)
        hits = sum(1 for _p, _l, roles, _v in ps if role in roles)
        add(key, "roles", f"{roles_voc[role].label('fr')} : part des pôles accompagnés ({who_fr})",
            f"{roles_voc[role].label('en')}: share of the pôles supported ({who_en})", "share", "share",
            _share_row(hits, len(ps), len({x[0] for x in ps}), lang,
                       tr(lang, f"lien documenté entre {who_fr} et un pôle",
                          f"documented tie between {who_en} and a pôle")),
            "couples (acteur public, pôle) documentés", "documented (public actor, pôle) pairs",
            published=pub, published_range=rng, published_text=text, reference=ref,
            note=tr(lang, "le rôle se lit sur le type et les champs du lien (supports.form, funds.nature, hosts, "
                          f"governs…) : part minimale ; {counted(vague(ps), 'couple', 'couples')} avec un financement de "
                          "nature non précisée ; dénominateur ambigu dans la source",
                    "the role is read from the tie's type and fields (supports.form, funds.nature, hosts, "
                    f"governs…): a lower bound; {counted(vague(ps), 'pair', 'pairs', 'en')} with a funding tie of unstated "
                    "nature; the "
                    "source's denominator is ambiguous"))

    # -- funding -----------------------------------------------------------------------------------
    supported = [p for p in poles if any(lv in colls for lv in p.funders)]
    n_coll_funders = [sum(len(p.funders.get(lv, {})) for lv in colls) for p in supported]
    add("median_collectivites_funding", "funding", "Nombre médian de collectivités finançant un pôle soutenu",
        "Median number of collectivités funding a supported pôle", "median", "collectivités",
        {"value": median(n_coll_funders), "n": len(supported), "n_poles": len(supported)} if supported else
        {"unknown": tr(lang, "aucun financement de collectivité documenté", "no funding by a collectivité documented")},
        "pôles financés par au moins une collectivité", "pôles funded by at least one collectivité",
        published=2, published_text="2 collectivités", published_n=37, reference="000 L508")
    per_pair = [(p.id, s) for p in supported for lv in colls for a in p.funders.get(lv, {})
                for s in [_amount_sum(p.funders[lv][a])] if s is not None]
    total_pairs = sum(len(p.funders.get(lv, {})) for p in supported for lv in colls)
    add("median_amount_per_collectivite", "funding", "Montant médian par collectivité et par pôle",
        "Median amount per collectivité and pôle", "median", "EUR",
        {"value": median(s for _p, s in per_pair), "n": len(per_pair), "n_poles": len({p for p, _s in per_pair}),
         "note": tr(lang, f"montant connu pour {counted(len(per_pair), 'couple', 'couples')} (collectivité, pôle) "
                          f"sur {total_pairs}",
                    f"amount known for {len(per_pair)} of "
                    f"{counted(total_pairs, '(collectivité, pôle) pair', '(collectivité, pôle) pairs', 'en')}")}
        if per_pair else {"n_poles": len(supported), "unknown": tr(
            lang, f"aucun montant connu ({counted(total_pairs, 'financement', 'financements')} de collectivité "
                  "sans montant)",
            f"no amount known ({counted(total_pairs, 'funding tie', 'funding ties', 'en')} from collectivités "
            "without an amount)")},
        "couples (collectivité, pôle) dont le montant est connu", "(collectivité, pôle) pairs with a known amount",
        published=25_000, published_text="≈ 25 000 €", published_n=37, reference="000 L508")
    coll_amounts = [x for p in poles for lv in colls for amts in p.funders.get(lv, {}).values() for x in amts]
    known = [x for x in coll_amounts if x is not None]
    add("total_collectivites", "funding", "Montant total mobilisé par les collectivités",
        "Total amount mobilised by collectivités", "total", "EUR",
        {"value": float(sum(known)), "n": len(known), "n_poles": len(supported),
         "note": tr(lang, f"montant connu pour {counted(len(known), 'financement', 'financements')} sur "
                          f"{len(coll_amounts)}",
                    f"amount known for {len(known)} of {counted(len(coll_amounts), 'funding tie', 'funding ties', 'en')}")}
        if known else {"n_poles": len(supported), "unknown": tr(lang, "aucun montant connu", "no amount known")},
        "financements de collectivités dont le montant est connu", "funding ties from collectivités with an amount",
        published=3_250_000, published_text="3,25 M€ pour 37 projets (2015) ; le tableau L550-560 donne 2 614 k€",
        published_n=37, reference="000 L506")
    for lv, (tot, projects, med) in FUNDING_2015.items():
        name_fr, name_en = level_name(lv, "fr"), level_name(lv, "en")
        funded = [p for p in poles if p.funders.get(lv)]
        add(f"funding_{lv}_poles", "funding", f"Pôles financés — {name_fr}", f"Pôles funded — {name_en}", "count",
            "pôles", {"value": float(len(funded)), "n": len(poles), "n_poles": len(funded)}, "tous les pôles",
            "all pôles", published=projects, published_text=f"{projects} projets (2015)", published_n=37,
            reference="000 L550-560")
        amounts = [x for p in funded for amts in p.funders[lv].values() for x in amts]
        known = [x for x in amounts if x is not None]
        add(f"funding_{lv}_total", "funding", f"Montant total — {name_fr}", f"Total amount — {name_en}", "total",
            "EUR", {"value": float(sum(known)), "n": len(known), "n_poles": len(funded),
                    "note": tr(lang, f"montant connu pour {counted(len(known), 'financement', 'financements')} "
                                     f"sur {len(amounts)}",
                               f"amount known for {len(known)} of "
                               f"{counted(len(amounts), 'funding tie', 'funding ties', 'en')}")}
            if known else {"n_poles": len(funded), "unknown": tr(
                lang, f"aucun montant connu ({counted(len(amounts), 'financement', 'financements')})",
                f"no amount known ({counted(len(amounts), 'funding tie', 'funding ties', 'en')})")},
            "financements dont le montant est connu", "funding ties with a known amount",
            published=tot, published_text=f"{tot / 1000:,.0f} k€ (2015)".replace(",", "\u202f"), published_n=37,
            reference="000 L550-560")
        per_pole = [s for p in funded for s in [_amount_sum([x for amts in p.funders[lv].values() for x in amts])]
                    if s is not None]
        add(f"funding_{lv}_median", "funding", f"Montant médian par pôle — {name_fr}",
            f"Median amount per pôle — {name_en}", "median", "EUR",
            {"value": median(per_pole), "n": len(per_pole), "n_poles": len(per_pole)} if per_pole else
            {"n_poles": len(funded), "unknown": tr(lang, "aucun pôle dont tous les montants de ce niveau sont connus",
                                                   "no pôle with every amount from this level known")},
            "pôles dont tous les montants de ce niveau sont connus", "pôles with every amount from this level known",
            published=med, published_text=f"{med / 1000:,.0f} k€ (2015)", published_n=37, reference="000 L550-560")

    # -- structures porteuses -------------------------------------------------------------------------
    with_form = [p for p in poles if p.legal_form]
    for form, (pub, text) in LEGAL_FORMS.items():
        label = {"association": ("Association", "Association"), "scic": ("SCIC", "SCIC"),
                 "autre": ("Autre forme juridique", "Other legal form")}[form]
        add(f"legal_form_{form}", "structures", f"Forme juridique de la structure porteuse : {label[0]}",
            f"Legal form of the structure porteuse: {label[1]}", "share", "share",
            _share_row(sum(1 for p in with_form if p.legal_form == form), len(with_form), len(with_form), lang,
                       tr(lang, "pôle dont la forme juridique est connue", "pôle with a known legal form")),
            "pôles dont la forme juridique (de la structure porteuse, ou du pôle lui-même) est connue",
            "pôles whose legal form (of the structure porteuse, or of the pôle itself) is known",
            published=pub, published_text=text, reference="000 L387")
    add("legal_form_none", "structures", "Sans structuration juridique", "Without a legal structure", "share", "share",
        {"n_poles": 0, "unknown": tr(lang, "l'absence de structure juridique n'est pas un attribut du modèle : "
                                           "l'absence d'information ne la prouve pas",
                                     "having no legal structure is not an attribute of the model: missing "
                                     "information does not prove it")},
        published=0.11, published_text="11 % (31 % en 2013)", reference="000 L387")

    # -- profile ----------------------------------------------------------------------------------------
    ages = [p.age for p in poles if p.age is not None]
    add("median_age", "profile", f"Âge médian des pôles (en {year})", f"Median age of the pôles (in {year})",
        "median", "years", {"value": median(ages), "n": len(ages), "n_poles": len(ages)} if ages else
        {"unknown": tr(lang, "aucune année de création connue", "no founding year known")},
        "pôles dont l'année de création est connue", "pôles with a known founding year",
        published=3, published_text="3 ans en 2016 (pôles nés en 2013)", published_n=58, reference="000 L385")
    sizes = [p.members for p in poles if p.members]
    add("median_members", "profile", "Nombre médian de structures membres (déclaré, sinon listé)",
        "Median number of member structures (declared, else listed)", "median", "structures",
        {"value": median(sizes), "n": len(sizes), "n_poles": len(sizes)} if sizes else
        {"unknown": tr(lang, "aucun membre listé ni déclaré", "no member listed or declared")},
        "pôles dont la taille est déclarée ou au moins un membre listé",
        "pôles with a declared size or at least one listed member",
        published=14, published_text="14 structures (profil médian 2015)", reference="000 L412-415")
    add("mean_members", "profile", "Nombre moyen de structures membres (déclaré, sinon listé)",
        "Mean number of member structures (declared, else listed)", "mean", "structures",
        {"value": mean(sizes), "n": len(sizes), "n_poles": len(sizes)} if sizes else
        {"unknown": tr(lang, "aucun membre listé ni déclaré", "no member listed or declared")},
        "pôles dont la taille est déclarée ou au moins un membre listé",
        "pôles with a declared size or at least one listed member",
        published=15, published_text="« en moyenne quinze structures »", reference="Labo de l'ESS 2014, 001 L560")
    jobs = [p.jobs for p in poles if p.jobs is not None]
    add("median_jobs", "profile", "Nombre médian d'emplois des pôles (déclarés)", "Median number of jobs (declared)",
        "median", "jobs", {"value": median(jobs), "n": len(jobs), "n_poles": len(jobs)} if jobs else
        {"unknown": tr(lang, "aucun emploi déclaré", "no jobs declared")},
        "pôles dont les emplois sont déclarés", "pôles with declared jobs",
        published=88, published_text="88 personnes (profil médian 2015)", reference="000 L412-415")
    phased = [p for p in poles if p.phase]
    phases = voc.enum("phases")
    for key, members, pub, text in (("consolidation", ("consolidation",), 0.50, "près de 50 %"),
                                    ("creation", ("emergence", "amorcage"), 0.40, "40 %"),
                                    ("restructuration", ("restructuration",), 0.10, "plus de 10 %")):
        names_fr = " ou ".join(phases[m].label("fr") for m in members if m in phases)
        names_en = " or ".join(phases[m].label("en") for m in members if m in phases)
        add(f"phase_{key}", "profile", f"Part des pôles en phase : {names_fr}", f"Share of pôles in phase: {names_en}",
            "share", "share", _share_row(sum(1 for p in phased if p.phase in members), len(phased), len(phased), lang,
                                         tr(lang, "pôle dont la phase est connue", "pôle with a known phase")),
            "pôles dont la phase est connue", "pôles with a known phase", published=pub, published_text=text,
            reference="000 L419")
    return rows


def level_name(level: str, lang: str = "fr") -> str:
    """The name of a funder level in the RTES table: Communes, Intercommunalités…

    >>> level_name("epci")
    'Intercommunalités'
    """
    names = {"commune": ("Communes", "Communes"), "epci": ("Intercommunalités", "Intercommunalities (EPCI)"),
             "departement": ("Départements", "Départements"), "region": ("Régions", "Regions"),
             "state": ("État", "State"), "eu": ("Europe", "Europe")}
    fr, en = names.get(level, (level, level))
    return tr(lang, fr, en)


__all__ = ["observatory_table", "ObservatoryRow", "legal_form_class", "level_name", "GROUPS", "FUNDING_2015"]
