"""The CSV files for a spreadsheet that people read (``maillage export --tableur``,
``GET /api/export/{fmt}?tableur=true``): what a pôle animator or a collectivité opens in a
French Excel or LibreOffice, next to the researchers' files whose stable English codes stay the
default (docs/exports.md, « Pour un tableur »).

A spreadsheet file differs from the default one in four ways only, the rows being the same:

- **headers** in the reader's language (:data:`TABLEUR_HEADERS`: ``nom``, ``famille``,
  ``degré``, ``intermédiarité``…), the code column a label duplicates left out (``family``
  beside ``family_label``: one column ``famille`` holding the label); the ids stay, to match
  the actors of the edges file with those of the nodes file;
- **labels instead of codes**: family, kind, place, relation type, certainty (« affirmé par la
  source »), layers of a projected tie, enum values of the relation fields, ``oui``/``non``;
- **numbers for reading**: measures to :data:`MEASURE_DIGITS` significant digits
  (:func:`measure`), amounts in euros with two decimals (:func:`euros`), whole numbers as they
  are;
- **where in its source** a fact is, in words (« ligne 15 », « feuille 2022, ligne 3 »:
  :func:`maillage.graph.locators.locator_text`).

In French the cells are separated by ``;`` with a decimal comma (what a French spreadsheet
opens as columns without an import dialog); with ``lang="en"`` by ``,`` with a decimal point
(what an English spreadsheet opens). UTF-8 with a byte-order mark and spreadsheet-safe text, as
every CSV file of maillage.

>>> measure(0.001271725307336367, True), measure(12.0), measure(1234.5678), euros(5000, True)
('0,001272', '12', '1235', '5000,00')
>>> header("betweenness"), header("betweenness", "en"), header("brokerage_gatekeeper")
('intermédiarité', 'betweenness', 'courtage : gardien (gatekeeper)')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

#: Significant digits of a measure in a spreadsheet file (the whole part is never rounded).
MEASURE_DIGITS = 4

#: Column code (the default file's) → (French header, English header) in a spreadsheet file.
TABLEUR_HEADERS: dict[str, tuple[str, str]] = {
    # actors
    "id": ("identifiant", "id"),
    "name": ("nom", "name"),
    "family": ("famille", "family"),
    "kind": ("type", "kind"),
    "location": ("lieu", "place"),
    "placeholder": ("acteur générique", "placeholder"),
    "siren": ("SIREN", "SIREN"),
    "siret": ("SIRET", "SIRET"),
    "rna": ("RNA", "RNA"),
    # relations (one row per statement) and projected ties
    "source_id": ("identifiant de l'acteur", "actor id"),
    "source_name": ("acteur", "actor"),
    "type": ("relation", "relation"),
    "target_id": ("identifiant de l'acteur lié", "tied actor id"),
    "target_name": ("acteur lié", "tied actor"),
    "start": ("début", "start"),
    "end": ("fin", "end"),
    "amount": ("montant (€)", "amount (€)"),
    "fields": ("précisions", "details"),
    "provenance_source": ("source", "source"),
    "provenance_document": ("document", "document"),
    "provenance_locator": ("emplacement dans la source", "place in the source"),
    "provenance_quote": ("citation", "quote"),
    "provenance_certainty": ("certitude", "certainty"),
    "weight": ("poids", "weight"),
    "layers": ("couches", "layers"),
    "direct": ("liens directs", "direct ties"),
    "statements": ("énoncés", "statements"),
    "co_membership": ("co-appartenance (poids de Newman)", "co-membership (Newman weight)"),
    "shared_poles": ("pôles partagés", "shared pôles"),
    "poles": ("pôles", "pôles"),
    "shared_governance": ("gouvernants communs", "common governors"),
    "shared_governance_persons": ("dont personnes physiques", "of whom natural persons"),
    "governors": ("gouvernants", "governors"),
    "types": ("types de relation", "relation types"),
    "sources": ("sources", "sources"),
    "amount_known": ("montants connus", "known amounts"),
    "years": ("années", "years"),
    "funding_statements": ("financements", "funding statements"),
    # actor metrics (docs/analytics-metrics.md, docs/analytics-brokerage.md)
    "degree": ("degré", "degree"),
    "strength": ("force (degré pondéré)", "strength (weighted degree)"),
    "betweenness": ("intermédiarité", "betweenness"),
    "closeness": ("proximité", "closeness"),
    "harmonic": ("centralité harmonique", "harmonic centrality"),
    "eigenvector": ("centralité de vecteur propre", "eigenvector centrality"),
    "pagerank": ("PageRank", "PageRank"),
    "core_number": ("cœur (k-core)", "core number"),
    "component": ("composante", "component"),
    "component_size": ("taille de la composante", "component size"),
    "constraint": ("contrainte (Burt)", "constraint (Burt)"),
    "effective_size": ("taille effective (Burt)", "effective size (Burt)"),
    "community": ("communauté", "community"),
    "brokerage_coordinator": ("courtage : coordinateur", "brokerage: coordinator"),
    "brokerage_consultant": ("courtage : consultant (itinérant)", "brokerage: itinerant broker (consultant)"),
    "brokerage_representative": ("courtage : représentant", "brokerage: representative"),
    "brokerage_gatekeeper": ("courtage : gardien (gatekeeper)", "brokerage: gatekeeper"),
    "brokerage_liaison": ("courtage : agent de liaison", "brokerage: liaison"),
    "brokerage_total": ("courtage : total des rôles", "brokerage: total"),
    # pôles of a run (poles.csv; docs/analytics-poles.md), then critere_<id> (:func:`header`)
    "pole_id": ("identifiant du pôle", "pôle id"),
    "pole_name": ("pôle", "pôle"),
    "members_named": ("membres nommés", "named members"),
    "member_units": ("membres comptés", "members counted"),
    "declared_members": ("membres déclarés", "declared members"),
    "coverage": ("couverture (listés / déclarés)", "coverage (listed / declared)"),
    "families_present": ("familles d'acteurs présentes", "actor families present"),
    "blau": ("diversité (indice de Blau)", "diversity (Blau index)"),
    "iqv": ("diversité relative (IQV)", "relative diversity (IQV)"),
    "density": ("densité", "density"),
    "centralisation": ("centralisation (Freeman)", "centralisation (Freeman)"),
    "ei_index": ("indice E-I", "E-I index"),
    "cross_family_share": ("part des liens entre familles", "cross-family share of ties"),
    "members_without_tie": ("membres sans lien interne", "members without an internal tie"),
    "maturity": ("mutualisation de projets", "project pooling"),
    "collectivites_in_governance": ("collectivité dans la gouvernance", "collectivité in governance"),
    "funding_hhi": ("concentration des financements (HHI)", "funding concentration (HHI)"),
    "funding_largest_share": ("part du premier financeur", "largest funder's share"),
    "funding_public_share": ("part des financements publics", "public share of funding"),
    "funding_total": ("financements reçus (€)", "funding received (€)"),
    "overlapping_poles": ("pôles partageant des membres", "pôles sharing members"),
    "overlap_max_jaccard": ("plus fort recouvrement (Jaccard)", "largest overlap (Jaccard)"),
    # the evolution of a run, one row per year (evolution.csv; docs/analytics-territory.md)
    "year": ("année", "year"),
    "actors": ("acteurs", "actors"),
    "ties": ("liens", "ties"),
    "ties_dated": ("liens datés", "dated ties"),
    "ties_undated": ("liens non datés", "undated ties"),
    "components": ("composantes", "components"),
    "isolated": ("isolés", "isolated"),
    "single_tie": ("un seul partenaire", "single partner"),
    "documentation_gaps": ("lacunes de documentation", "documentation gaps"),
    "kept": ("liens gardés de l'année précédente", "ties kept from the year before"),
    "jaccard": ("similarité avec l'année précédente (Jaccard)", "similarity to the year before (Jaccard)"),
    "retained": ("part des liens gardés", "share of ties kept"),
    "jaccard_dated": ("similarité, liens datés (Jaccard)", "similarity, dated ties (Jaccard)"),
    "retained_dated": ("part des liens datés gardés", "share of dated ties kept"),
}

#: The columns of the default actors file (``maillage export -f nodes.csv``; its metrics after them),
#: which the Kumu loader recognises to read it back (:func:`maillage.loaders.formats.kumu.is_actors_file`)
NODE_COLUMNS = ("id", "name", "family", "family_label", "kind", "kind_label", "location", "location_label",
                "placeholder", "is_pole", "siren", "siret", "rna")

#: The columns of each spreadsheet file, by the default file's codes (then the metrics, for the
#: actors). ``csv`` is ``maillage export --format csv`` (the metrics of a run).
TABLEUR_FILES: dict[str, tuple[str, ...]] = {
    "csv": ("id", "name", "family", "kind", "location"),
    "edges.csv": ("id", "source_id", "source_name", "type", "target_id", "target_name", "start", "end", "amount",
                  "fields", "provenance_source", "provenance_document", "provenance_locator", "provenance_quote",
                  "provenance_certainty"),
    "nodes.csv": ("id", "name", "family", "kind", "location", "placeholder", "siren", "siret", "rna"),
    "edges.csv --projection": ("source_id", "source_name", "target_id", "target_name", "weight", "layers", "direct",
                               "statements", "co_membership", "shared_poles", "poles", "shared_governance",
                               "shared_governance_persons", "governors", "types", "sources", "amount",
                               "amount_known", "years", "funding_statements"),
    # the pôles and the years of a run (maillage.api.run_tables), then critere_<id> for poles.csv
    "poles.csv": ("pole_id", "pole_name", "kind", "location", "members_named", "member_units", "declared_members",
                  "coverage", "families_present", "blau", "iqv", "density", "centralisation", "ei_index",
                  "cross_family_share", "members_without_tie", "maturity", "collectivites_in_governance",
                  "funding_hhi", "funding_largest_share", "funding_public_share", "funding_total",
                  "overlapping_poles", "overlap_max_jaccard"),
    "evolution.csv": ("year", "actors", "ties", "ties_dated", "ties_undated", "density", "components", "isolated",
                      "single_tie", "documentation_gaps", "kept", "jaccard", "retained", "jaccard_dated",
                      "retained_dated"),
}

#: What a spreadsheet cell holds where it is not the default file's value as it is.
_CONTENT = {
    "family": "the family's label (« Structure de l'ESS »)",
    "kind": "the kind's label (« Association », « Intercommunalité (EPCI) »)",
    "location": "the place's name (« Toulouse (31) »)",
    "placeholder": "oui / non (yes / no)",
    "type": "the relation type's label (« membre de », « finance »)",
    "amount": "euros, two decimals",
    "fields": "the other fields as the maps say them, « Année : 2015 ; Statut : accordée » (labels, values' labels, the role in words)",
    "provenance_locator": "in words: « ligne 15 », « feuille 2022, ligne 3 » (« line 15 » in English)",
    "provenance_certainty": "the certainty's label (« affirmé par la source »)",
    "layers": "the layers' labels (« lien direct, pôle partagé »)",
    "poles": "their names, « ; » between two",
    "governors": "their names, « ; » between two (organisations only, unless persons are included)",
    "types": "the relation types' labels, « , » between two",
    "years": "« , » between two",
    "weight": "a measure (below)",
    "co_membership": "a measure (below)",
    "maturity": "oui / inconnu (yes / unknown)",
    "collectivites_in_governance": "oui / inconnu (yes / unknown)",
    "funding_total": "euros, two decimals",
}
#: The measures of the pôles and evolution tables (held rounded, as the actor metrics).
_MEASURES = {"coverage", "blau", "iqv", "density", "centralisation", "ei_index", "cross_family_share", "funding_hhi",
             "funding_largest_share", "funding_public_share", "overlap_max_jaccard", "jaccard", "retained",
             "jaccard_dated", "retained_dated"}
#: The codes of the columns that are not metrics.
_NOT_METRICS = {c for cols in TABLEUR_FILES.values() for c in cols}


def header(code: str, lang: str = "fr") -> str:
    """The header of column ``code`` in a spreadsheet file; an unknown metric keeps its code; a
    PTCE check ``critere_K3``: « critère K3 : Partenariat avec au moins une collectivité ».

    >>> header("critere_K3"), header("blau", "en")
    ('critère K3 : Partenariat avec au moins une collectivité', 'diversity (Blau index)')
    """
    if code.startswith("critere_"):
        from maillage.analytics.criteria import CHECKS

        check = next((c for c in CHECKS if c.id == code.removeprefix("critere_")), None)
        if check is not None:
            return f"criterion {check.id}: {check.label('en')}" if lang == "en" else \
                f"critère {check.id} : {check.label('fr')}"
    pair = TABLEUR_HEADERS.get(code)
    return code if pair is None else pair[lang == "en"]


def headers(codes: Iterable[str], lang: str = "fr") -> list[str]:
    return [header(c, lang) for c in codes]


def style(lang: str) -> tuple[str, bool]:
    """The ``(delimiter, decimal_comma)`` of a spreadsheet file in ``lang``: ``;`` and ``0,25``
    in French, ``,`` and ``0.25`` in English."""
    return (",", False) if lang == "en" else (";", True)


def resolve_style(tableur: bool = False, lang: str = "fr", delimiter: str | None = None,
                  decimal_comma: bool | None = None) -> tuple[str, bool]:
    """The ``(delimiter, decimal_comma)`` of a CSV file: the file's own (``,`` and ``0.25``; a
    spreadsheet file's :func:`style`) unless given; a decimal comma alone brings ``;``, a ``,``
    given alone drops the decimal comma of a French spreadsheet file.

    >>> resolve_style(), resolve_style(True), resolve_style(True, "en"), resolve_style(decimal_comma=True)
    ((',', False), (';', True), (',', False), (';', True))
    >>> resolve_style(True, delimiter=","), resolve_style(True, delimiter="|"), resolve_style(True, "en", None, True)
    ((',', False), ('|', True), (';', True))
    """
    d, c = style(lang) if tableur else (",", False)
    if decimal_comma is not None:
        c = decimal_comma
    if delimiter is not None:
        d = delimiter
        c = c if decimal_comma is not None else c and d != ","
    elif c and d == ",":
        d = ";"
    return d, c


def measure(value: Any, decimal_comma: bool = False, digits: int = MEASURE_DIGITS) -> str:
    """A measure for reading: a whole number as it is, another rounded to ``digits``
    significant digits (the whole part kept: ``1234.5678`` → ``1235``), never with an exponent.

    >>> measure(3e-9), measure(0.5, True), measure(None), measure(-0.02468)
    ('0.000000003', '0,5', '', '-0.02468')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    v = float(value)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    places = max(digits - 1 - math.floor(math.log10(abs(v))), 0)
    text = f"{v:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if decimal_comma else text


def euros(value: Any, decimal_comma: bool = False) -> str:
    """An amount in euros with two decimals (``5000`` → ``5000,00``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{float(value):.2f}"
    return text.replace(".", ",") if decimal_comma else text


def yes_no(value: Any, lang: str = "fr") -> str:
    return ("yes" if value else "no") if lang == "en" else ("oui" if value else "non")


def locator(value: str | None, lang: str = "fr") -> str:
    """Where a fact is in its source, in words (:func:`maillage.graph.locators.locator_text`)."""
    from maillage.graph.locators import locator_text

    return locator_text(value, lang)


def certainty(code: str | None, lang: str = "fr") -> str:
    """The label of a certainty code (``stated`` → « affirmé par la source »)."""
    from maillage.graph.vocabulary import vocabulary

    term = vocabulary().enum("certainty").get(code or "")
    return term.label(lang) if term else (code or "")


def fields_text(rows: Iterable[Sequence[str]], lang: str = "fr") -> str:
    """A relation's other fields for a cell, from their ``[label, text]`` rows
    (:func:`maillage.api.maps.field_rows`, the rule of the maps and the API, given the file's
    ``decimal_comma``): « Année : 2015 ; Statut : accordée ».

    >>> fields_text([["Année", "2015"], ["Statut", "accordée"]]), fields_text([["Year", "2015"]], "en")
    ('Année : 2015 ; Statut : accordée', 'Year: 2015')
    """
    if lang == "en":
        return "; ".join(f"{label}: {text}" for label, text in rows)
    return " ; ".join(f"{label} : {text}" for label, text in rows)


def tableur_markdown() -> str:
    """The table of docs/exports.md: each column of the spreadsheet files, its headers and what
    it holds (``tests/test_export_tableur.py`` checks the doc has it)."""
    files = {code: [f"`{f}`" for f, cols in TABLEUR_FILES.items() if code in cols] for code in TABLEUR_HEADERS}
    lines = ["| code | en-tête (fr) | header (en) | files | holds |", "|---|---|---|---|---|"]
    for code, (fr, en) in TABLEUR_HEADERS.items():
        metric = code not in _NOT_METRICS or code in _MEASURES
        where = ", ".join(files[code]) or "`csv`, `nodes.csv` (metrics)"
        holds = _CONTENT.get(code, "a measure (below)" if metric else "as in the default file")
        lines.append(f"| `{code}` | {fr} | {en} | {where} | {holds} |")
    return "\n".join(lines)


__all__ = ["TABLEUR_HEADERS", "TABLEUR_FILES", "MEASURE_DIGITS", "header", "headers", "style", "resolve_style", "measure", "euros",
           "yes_no", "locator", "certainty", "fields_text", "tableur_markdown"]
