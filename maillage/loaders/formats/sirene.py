"""INSEE SIRENE stock extracts: legal units (StockUniteLegale) and establishments
(StockEtablissement), to describe and enrich actors.

Format: the CSV files of the « Base Sirene des entreprises et de leurs établissements »
(data.gouv.fr, INSEE; variables documented at https://www.sirene.fr/static-resources/documentation/,
« Description des fichiers du stock », Sirene 3.11). Any extract keeping INSEE's column names
loads: whole stock files, filtered extracts with fewer columns, joined extracts (establishment
rows carrying ``denominationUniteLegale``, ``categorieJuridiqueUniteLegale``…). Columns that
are not INSEE's are ignored.

What a row says about the actor whose key is its SIREN:

- ``denominationUniteLegale`` (else ``denominationUsuelle1UniteLegale``, ``sigleUniteLegale``)
  → name; other denominations and the sigle → aliases;
- ``categorieJuridiqueUniteLegale`` → ``legal_form`` (INSEE's label, see ``CATEGORIES``) and,
  where the law says what the body is, family and kind: associations (92xx), cooperatives
  (SCOP 5458/5558/5658, other cooperatives — CUMA 6316, coopératives agricoles, SICA
  5432/5532/6532), mutuelles (82xx, 6411) and fondations (9300) are ESS *by their status* (loi
  n° 2014-856 art. 1 II 1°); communes (7210), départements (7220), régions (7230) and EPCI
  (7343–7348) are collectivités, with the territory they administer when the reference
  geography knows their SIREN; State services (71xx) are ``state``; lycées and collèges (7331,
  établissement public local d'enseignement) training bodies; the agricultural sociétés civiles
  (GAEC 6533, SCEA 6597, EARL 6598) companies like the others;
- ``economieSocialeSolidaireUniteLegale`` (``O``/``N``) → ``ess``; a commercial company flagged
  ``O`` is an ESS enterprise (``entreprise_esus``, art. 1 II 2°), one flagged ``N`` (or not
  flagged) a classic enterprise (kind from ``categorieEntreprise``: PME, ETI, GE);
- ``identifiantAssociationUniteLegale`` → the RNA number, so RNA and SIREN meet on one actor;
  ``nicSiegeUniteLegale`` → the head office's SIRET;
- codes kept as ``attributes``: ``naf`` (``activitePrincipaleUniteLegale``), ``categorie_juridique``,
  ``etat_administratif`` (``A`` active, ``C`` ceased), ``tranche_effectifs``,
  ``categorie_entreprise``, ``date_creation``, ``ess_insee`` (the flag as INSEE states it);
- establishment rows add their SIRET, and place the actor (``location``) at the commune
  ``codeCommuneEtablissement`` (former codes and Paris, Lyon, Marseille arrondissements map to
  today's commune) of the best evidence: the establishment whose SIRET another source already
  gives the actor (the SIRET of a subsidy file's bénéficiaire: the establishment that acts on
  the territory), else the head office (``etablissementSiege`` true); a collectivité keeps the
  territory it administers. The first row of a SIREN states the actor; later rows of the same
  SIREN are merged into its statement.

Establishment rows of a **unit the store already knows** (a bare StockEtablissement: no
``categorieJuridiqueUniteLegale``, no ``denominationUniteLegale``): such a row does not say
whether its unit is a legal person or a sole trader, so it is read only when the unit is known
as an organisation — an actor that another source (a subsidy file's bénéficiaire, a member
list, a StockUniteLegale extract loaded before, or a joined row of this file) describes with
that SIREN or one of its SIRETs, and that is not a natural person. The loader reads the store
for it (``reads_store``: :func:`maillage.loaders.load_file` gives it the store it loads into,
read before anything is written); the row then adds its SIRET and place to that actor, under
the name the other sources give it, and is counted as *merged*. A row of an unknown SIREN is
rejected, saying what to load first, and the load's notes count them.

Privacy — what is never loaded:

- **units whose diffusion is restricted**: ``statutDiffusionUniteLegale`` or
  ``statutDiffusionEtablissement`` ``P`` (*diffusion partielle*, since 2023: a natural or legal
  person who objected to the public use of its data, code de commerce art. R123-232; the
  former value ``N``, non-diffusible, is treated alike) and any row where INSEE masked a value
  as ``[ND]``. INSEE still publishes some variables of such units (SIREN, NAF, legal
  category); maillage, whose outputs are public maps and reports, respects the objection as a
  whole: the row is rejected with the reason, and nothing of it is stored;
- **natural persons**: sole traders (*entrepreneurs individuels*, legal category ``1000`` and
  any ``1xxx``) are persons, not organisations: their rows are rejected. The person-name
  columns (``nomUniteLegale``, ``nomUsageUniteLegale``, ``prenom1``–``prenom4UniteLegale``,
  ``prenomUsuelUniteLegale``, ``pseudonymeUniteLegale``, ``sexeUniteLegale``) are never read,
  for any row, and are left out of the rejects file;
- an establishment row that does not say whether its unit is a legal person (a bare
  StockEtablissement row) of a unit no other source describes as an organisation: rejected
  (its content left out of the rejects file), see above.

Other rejects: a SIREN that is missing or fails its Luhn key; a unit with no denomination.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from maillage.graph.model import Actor, ActorView, Identifier, Provenance, Source
from maillage.runtime import REPORT_EVERY, report

from ..base import LoadError, Loader, Parsed, Placeholder, Reject, rejects_from_validation
from ..cells import blank, company_identifier, insee_commune, rna_identifier
from ..resolution import as_others_describe
from ..tabular import header_key, read_head, read_table, spreadsheet_header
from ._public_bodies import public_body
from .subsidies import TABLE_OPTIONS

if TYPE_CHECKING:
    from maillage.graph.store import Store

PERSON_COLUMNS = ("nomUniteLegale", "nomUsageUniteLegale", "prenom1UniteLegale", "prenom2UniteLegale",
                  "prenom3UniteLegale", "prenom4UniteLegale", "prenomUsuelUniteLegale", "pseudonymeUniteLegale",
                  "sexeUniteLegale")
COLUMNS = {
    "siren": ("siren",),
    "siret": ("siret",),
    "nic": ("nic",),
    "statut_ul": ("statutDiffusionUniteLegale",),
    "statut_et": ("statutDiffusionEtablissement",),
    "denomination": ("denominationUniteLegale",),
    "sigle": ("sigleUniteLegale",),
    "usuelle1": ("denominationUsuelle1UniteLegale",),
    "usuelle2": ("denominationUsuelle2UniteLegale",),
    "usuelle3": ("denominationUsuelle3UniteLegale",),
    "categorie": ("categorieJuridiqueUniteLegale",),
    "naf": ("activitePrincipaleUniteLegale",),
    "ess": ("economieSocialeSolidaireUniteLegale",),
    "etat_ul": ("etatAdministratifUniteLegale",),
    "rna": ("identifiantAssociationUniteLegale",),
    "nic_siege": ("nicSiegeUniteLegale",),
    "tranche": ("trancheEffectifsUniteLegale",),
    "categorie_entreprise": ("categorieEntreprise",),
    "creation": ("dateCreationUniteLegale",),
    "siege": ("etablissementSiege",),
    "commune": ("codeCommuneEtablissement",),
    "denomination_et": ("denominationUsuelleEtablissement",),
    "enseigne": ("enseigne1Etablissement",),
}
UL_MARKERS = {header_key(c) for c in ("denominationUniteLegale", "categorieJuridiqueUniteLegale",
                                      "economieSocialeSolidaireUniteLegale", "activitePrincipaleUniteLegale",
                                      "statutDiffusionUniteLegale", "etatAdministratifUniteLegale")}
ET_MARKERS = {header_key(c) for c in ("codeCommuneEtablissement", "etablissementSiege",
                                      "statutDiffusionEtablissement", "etatAdministratifEtablissement")}
KNOWN = {header_key(c) for cols in COLUMNS.values() for c in cols} | {header_key(c) for c in PERSON_COLUMNS}
#: The rejects file's *original* of a row rejected for privacy, in the file's language (French by
#: default: maillage/loaders/motifs/sirene.py); nothing of the row itself.
PRIVATE_ROW = Placeholder("(row content left out: restricted diffusion or personal data)")

# INSEE « catégories juridiques » (https://www.insee.fr/fr/information/2028129), level III code →
# (label, family, kind); family None: decided by the ESS flag and the company form.
_COOP = ("ess", "cooperative")
CATEGORIES: dict[str, tuple[str, str | None, str | None]] = {
    "1000": ("Entrepreneur individuel", "person", None),
    "5191": ("Société de caution mutuelle", "ess", "finance_solidaire"),
    "5192": ("Société coopérative de banque populaire", "ess", "finance_solidaire"),
    "5193": ("Caisse de crédit maritime mutuel", "ess", "finance_solidaire"),
    "5194": ("Caisse (fédérale) de crédit mutuel", "ess", "finance_solidaire"),
    "5195": ("Association coopérative inscrite (droit local Alsace Moselle)", *_COOP),
    "5196": ("Caisse d'épargne et de prévoyance à forme coopérative", "ess", "finance_solidaire"),
    "5202": ("Société en nom collectif", None, None),
    "5203": ("Société en nom collectif coopérative", *_COOP),
    "5306": ("Société en commandite simple", None, None),
    "5307": ("Société en commandite simple coopérative", *_COOP),
    "5308": ("Société en commandite par actions", None, None),
    "5309": ("Société en commandite par actions coopérative", *_COOP),
    "5432": ("SARL d'intérêt collectif agricole (SICA)", *_COOP),  # a coopérative: Code rural L531-1
    "5443": ("SARL coopérative de construction", *_COOP),
    "5451": ("SARL coopérative de consommation", *_COOP),
    "5453": ("SARL coopérative artisanale", *_COOP),
    "5454": ("SARL coopérative d'intérêt maritime", *_COOP),
    "5455": ("SARL coopérative de transport", *_COOP),
    "5458": ("SARL coopérative ouvrière de production (SCOP)", "ess", "scop"),
    "5459": ("SARL union de sociétés coopératives", *_COOP),
    "5460": ("Autre SARL coopérative", *_COOP),
    "5485": ("Société d'exercice libéral à responsabilité limitée", None, None),
    "5498": ("SARL unipersonnelle", None, None),
    "5499": ("Société à responsabilité limitée (sans autre indication)", None, None),
    "5532": ("SA d'intérêt collectif agricole (SICA) à conseil d'administration", *_COOP),
    "5543": ("SA coopérative de construction à conseil d'administration", *_COOP),
    "5547": ("SA coopérative de production de HLM à conseil d'administration", *_COOP),
    "5551": ("SA coopérative de consommation à conseil d'administration", *_COOP),
    "5552": ("SA coopérative de commerçants-détaillants à conseil d'administration", *_COOP),
    "5553": ("SA coopérative artisanale à conseil d'administration", *_COOP),
    "5554": ("SA coopérative (d'intérêt) maritime à conseil d'administration", *_COOP),
    "5555": ("SA coopérative de transport à conseil d'administration", *_COOP),
    "5558": ("SA coopérative ouvrière de production (SCOP) à conseil d'administration", "ess", "scop"),
    "5559": ("SA union de sociétés coopératives à conseil d'administration", *_COOP),
    "5560": ("Autre SA coopérative à conseil d'administration", *_COOP),
    "5599": ("SA à conseil d'administration (s.a.i.)", None, None),
    "5643": ("SA coopérative de construction à directoire", *_COOP),
    "5647": ("Société coopérative de production de HLM anonyme à directoire", *_COOP),
    "5651": ("SA coopérative de consommation à directoire", *_COOP),
    "5652": ("SA coopérative de commerçants-détaillants à directoire", *_COOP),
    "5653": ("SA coopérative artisanale à directoire", *_COOP),
    "5654": ("SA coopérative d'intérêt maritime à directoire", *_COOP),
    "5655": ("SA coopérative de transport à directoire", *_COOP),
    "5658": ("SA coopérative ouvrière de production (SCOP) à directoire", "ess", "scop"),
    "5659": ("SA union de sociétés coopératives à directoire", *_COOP),
    "5660": ("Autre SA coopérative à directoire", *_COOP),
    "5699": ("SA à directoire (s.a.i.)", None, None),
    "5710": ("SAS, société par actions simplifiée", None, None),
    "5720": ("Société par actions simplifiée à associé unique", None, None),
    "5785": ("Société d'exercice libéral par action simplifiée", None, None),
    "5800": ("Société européenne", None, None),
    "6100": ("Caisse d'Épargne et de Prévoyance", "ess", "finance_solidaire"),
    "6220": ("Groupement d'intérêt économique (GIE)", None, None),
    "6316": ("Coopérative d'utilisation de matériel agricole en commun (CUMA)", *_COOP),
    "6317": ("Société coopérative agricole", *_COOP),
    "6318": ("Union de sociétés coopératives agricoles", *_COOP),
    "6411": ("Société d'assurance à forme mutuelle", "ess", "mutuelle"),
    "6532": ("Société civile d'intérêt collectif agricole (SICA)", *_COOP),
    "6533": ("Groupement agricole d'exploitation en commun (GAEC)", None, None),
    "6540": ("Société civile immobilière", None, None),
    "6543": ("Société civile coopérative de construction", *_COOP),
    "6551": ("Société civile coopérative de consommation", *_COOP),
    "6554": ("Société civile coopérative d'intérêt maritime", *_COOP),
    "6558": ("Société civile coopérative entre médecins", *_COOP),
    "6560": ("Autre société civile coopérative", *_COOP),
    "6585": ("Autre société civile professionnelle", None, None),
    "6595": ("Caisse locale de crédit mutuel", "ess", "finance_solidaire"),
    "6596": ("Caisse de crédit agricole mutuel", "ess", "finance_solidaire"),
    "6597": ("Société civile d'exploitation agricole (SCEA)", None, None),
    "6598": ("Exploitation agricole à responsabilité limitée (EARL)", None, None),
    "6599": ("Autre société civile", None, None),
    "6901": ("Autre personne de droit privé inscrite au registre du commerce et des sociétés", None, None),
    "7113": ("Ministère", "state", "ministere"),
    "7120": ("Service central d'un ministère", "state", "ministere"),
    "7160": ("Service déconcentré à compétence nationale d'un ministère (hors Défense)", "state", "service_deconcentre"),
    "7171": ("Service déconcentré de l'État à compétence (inter) régionale", "state", "service_deconcentre"),
    "7172": ("Service déconcentré de l'État à compétence (inter) départementale", "state", "service_deconcentre"),
    "7179": ("(Autre) Service déconcentré de l'État à compétence territoriale", "state", "service_deconcentre"),
    "7210": ("Commune et commune nouvelle", "collectivite", "commune"),
    "7220": ("Département", "collectivite", "departement"),
    "7225": ("Collectivité et territoire d'Outre Mer", "collectivite", "collectivite_autre"),
    "7229": ("(Autre) Collectivité territoriale", "collectivite", "collectivite_autre"),
    "7230": ("Région", "collectivite", "region"),
    "7312": ("Commune associée et commune déléguée", "collectivite", "commune"),
    "7331": ("Établissement public local d'enseignement", "training", "organisme_formation"),
    "7340": ("Pôle métropolitain", "collectivite", "collectivite_autre"),
    "7343": ("Communauté urbaine", "collectivite", "epci"),
    "7344": ("Métropole", "collectivite", "epci"),
    "7345": ("Syndicat intercommunal à vocation multiple (SIVOM)", "collectivite", "collectivite_autre"),
    "7346": ("Communauté de communes", "collectivite", "epci"),
    "7347": ("Communauté de villes", "collectivite", "epci"),
    "7348": ("Communauté d'agglomération", "collectivite", "epci"),
    "7353": ("Syndicat intercommunal à vocation unique (SIVU)", "collectivite", "collectivite_autre"),
    "7354": ("Syndicat mixte fermé", "collectivite", "syndicat_mixte"),
    "7355": ("Syndicat mixte ouvert", "collectivite", "syndicat_mixte"),
    "7357": ("Pôle d'équilibre territorial et rural (PETR)", "collectivite", "petr_pays"),
    "7381": ("Organisme consulaire", "support", "chambre_consulaire"),
    "7383": ("Établissement public national à caractère scientifique culturel et professionnel", "research", "universite"),
    "7410": ("Groupement d'intérêt public (GIP)", None, None),
    "8210": ("Mutuelle", "ess", "mutuelle"),
    "8250": ("Assurance mutuelle agricole", "ess", "mutuelle"),
    "8290": ("Autre organisme mutualiste", "ess", "mutuelle"),
    "9210": ("Association non déclarée", "ess", "association"),
    "9220": ("Association déclarée", "ess", "association"),
    "9221": ("Association déclarée d'insertion par l'économique", "ess", "siae"),
    "9222": ("Association intermédiaire", "ess", "siae"),
    "9223": ("Groupement d'employeurs", "ess", "groupement_employeurs"),
    "9230": ("Association déclarée, reconnue d'utilité publique", "ess", "association"),
    "9260": ("Association de droit local (Bas-Rhin, Haut-Rhin et Moselle)", "ess", "association"),
    "9300": ("Fondation", "ess", "fondation"),
}
# level II (first two digits), for the label of a code not listed above
LEVEL2 = {
    "10": "Entrepreneur individuel", "21": "Indivision", "22": "Société créée de fait",
    "23": "Société en participation", "27": "Paroisse hors zone concordataire",
    "29": "Autre groupement de droit privé non doté de la personnalité morale",
    "31": "Personne morale de droit étranger, immatriculée au RCS",
    "32": "Personne morale de droit étranger, non immatriculée au RCS",
    "41": "Établissement public ou régie à caractère industriel ou commercial",
    "51": "Société coopérative commerciale particulière", "52": "Société en nom collectif",
    "53": "Société en commandite", "54": "Société à responsabilité limitée (SARL)",
    "55": "Société anonyme à conseil d'administration", "56": "Société anonyme à directoire",
    "57": "Société par actions simplifiée", "58": "Société européenne",
    "61": "Caisse d'épargne et de prévoyance", "62": "Groupement d'intérêt économique",
    "63": "Société coopérative agricole", "64": "Société d'assurance mutuelle", "65": "Société civile",
    "69": "Autre personne morale immatriculée au RCS", "71": "Administration de l'État",
    "72": "Collectivité territoriale", "73": "Établissement public administratif",
    "74": "Autre personne morale de droit public administratif",
    "81": "Organisme gérant un régime de protection sociale à adhésion obligatoire",
    "82": "Organisme mutualiste", "83": "Comité d'entreprise", "84": "Organisme professionnel",
    "85": "Organisme de retraite à adhésion non obligatoire", "91": "Syndicat de propriétaires",
    "92": "Association loi 1901 ou assimilé", "93": "Fondation", "99": "Autre personne morale de droit privé",
}
COMPANY_PREFIXES = ("31", "32", "52", "53", "54", "55", "56", "57", "58", "62", "65", "69")
COMPANY_SIZE = {"PME": "pme", "ETI": "eti", "GE": "grande_entreprise"}


def legal_form(code: str) -> str:
    """INSEE's label for a legal-category code (level III, else level II)."""
    if code in CATEGORIES:
        return CATEGORIES[code][0]
    if code[:2] in LEVEL2:
        return f"{LEVEL2[code[:2]]} (catégorie juridique {code})"
    return f"catégorie juridique {code}"


def classify(code: str | None, ess_flag: str | None, size: str | None) -> tuple[str, str | None, bool | None]:
    """``(family, kind, ess)`` from the legal category and INSEE's ESS flag (module docstring)."""
    flag = {"O": True, "N": False}.get((ess_flag or "").upper())
    family, kind = (CATEGORIES.get(code or "", (None, None, None))[1:]) if code else (None, None)
    if family == "ess":
        return "ess", kind, True  # ESS by status, whatever the flag says
    if family is not None:
        return family, kind, flag
    if code and (code.startswith(COMPANY_PREFIXES) or code[:2] in ("51", "63", "64")):
        if flag:
            return "ess", "entreprise_esus", True
        return "enterprise", COMPANY_SIZE.get((size or "").upper(), "entreprise"), flag
    if flag:
        return "ess", "ess_autre", True
    return "other", None, flag


def score(columns: list[str]) -> int:
    return sum(1 for c in columns if header_key(c) in KNOWN)


def kind_of_extract(columns: list[str] | None) -> str | None:
    """``unite_legale``, ``etablissement`` or None."""
    if not columns:
        return None
    folded = {header_key(c) for c in columns}
    if "siret" in folded and folded & ET_MARKERS:
        return "etablissement"
    if "siren" in folded and folded & UL_MARKERS:
        return "unite_legale"
    return None


class SireneLoader(Loader):
    name = "sirene"
    description = "INSEE SIRENE stock extracts (StockUniteLegale, StockEtablissement): legal form, NAF, ESS flag, head office"
    priority = 25
    options = TABLE_OPTIONS
    #: :func:`maillage.loaders.load_file` gives :meth:`parse` the store it loads into: a bare
    #: StockEtablissement row is read only for a unit other sources describe (module docstring)
    reads_store = True

    def sniff(self, path: Path, head: bytes) -> bool:
        return kind_of_extract(read_head(path, head) or spreadsheet_header(path, score)) is not None

    def parse(self, path: Path, source: Source, options: dict[str, Any], store: Store | None = None) -> Parsed:
        """``store``: the store the file is loaded into, read (never written) for the units other
        sources describe; None (the file alone): an establishment row of a SIREN no joined row of
        the file describes is rejected."""
        table = read_table(path, expect=score, **{k: options[k] for k in TABLE_OPTIONS if options.get(k)})
        extract = kind_of_extract(table.columns)
        if extract is None:
            raise LoadError(f"{path}: not a SIRENE extract: expected INSEE's column names, 'siren' with "
                            f"'denominationUniteLegale' or 'categorieJuridiqueUniteLegale' (StockUniteLegale), or "
                            f"'siret' with 'codeCommuneEtablissement' (StockEtablissement). "
                            f"Columns found: {', '.join(table.columns)}")
        known = KnownUnits(store, source.id) if store is not None and extract == "etablissement" else None
        reader = _Reader(table, source, extract, known, store)
        parsed = reader.parse()
        parsed.reread = partial(_read_originals, path, {k: options[k] for k in TABLE_OPTIONS if options.get(k)},
                                frozenset(reader.private), frozenset(reader.person_idx))
        return parsed


class KnownUnits:
    """The units the store knows as organisations, by SIREN, as the *other* sources describe them
    (the loading source's own earlier statements are about to be replaced: a reload must decide
    as the first load did). Read once per load (the identifiers), then one actor per SIREN asked."""

    def __init__(self, store: Store, source_id: str):
        self.store, self.source_id = store, source_id
        self.actors: dict[str, set[str]] = defaultdict(set)  # SIREN → actors with it (or a SIRET of it)
        self.sirets: dict[str, set[str]] = defaultdict(set)  # SIREN → the SIRETs other sources give
        for aid, scheme, value in store.identifier_index(exclude_source=source_id):
            if scheme == "siren":
                self.actors[value].add(aid)
            elif scheme == "siret":
                self.actors[value[:9]].add(aid)
                self.sirets[value[:9]].add(value)
        self._views: dict[str, ActorView | None] = {}

    def organisation(self, siren: str) -> ActorView | None:
        """The actor other sources describe with this SIREN (or one of its SIRETs), merged from
        their statements; None when there is none, or when it is a natural person (personal
        data: nothing is added to it). Several actors (a merge a reviewer undid): the first by
        id, as entity resolution picks."""
        if siren in self._views:
            return self._views[siren]
        view = None
        for aid in sorted(self.actors.get(siren, ())):
            v = as_others_describe(self.store, aid, self.source_id)  # the name the store shows
            if v is not None and v.family != "person" and not v.personal_data:
                view = v
                break
        self._views[siren] = view
        return view


@dataclass(slots=True)
class _Est:
    """What an establishment row says of its establishment (a row of a million-row file: small)."""

    number: int
    siret: str | None  # as written
    siege: bool
    commune: str | None  # as written


def _originals(table, rows: set[int], private: frozenset[int] | set[int],
               person_idx: frozenset[int] | set[int]) -> dict[int, Any]:
    """The rows numbered ``rows`` as read, for the rejects file: without the person-name columns,
    and a rejected non-diffusible row as :data:`PRIVATE_ROW` only."""
    return {row.number: (PRIVATE_ROW if row.number in private else
                         {c: v for i, (c, v) in enumerate(zip(table.columns, row.cells)) if i not in person_idx})
            for row in table.rows if row.number in rows}


def _read_originals(path: Path, table_options: dict[str, Any], private: frozenset[int],
                    person_idx: frozenset[int], rows: set[int]) -> dict[int, Any]:
    """:func:`_originals` of the file read again the same way (``Parsed.reread``)."""
    return _originals(read_table(path, expect=score, only=rows, **table_options), rows, private, person_idx)


UNKNOWN_UNIT = ("unit unknown: no loaded source describes its SIREN, and this row does not say whether it is a legal "
                "person or a sole trader; load first the StockUniteLegale extract of this SIREN, or the subsidy file "
                "that names it")


class _Reader:
    def __init__(self, table, source: Source, extract: str, known: KnownUnits | None = None,
                 store: Store | None = None):
        self.t = table
        self.source = source
        self.extract = extract
        self.known = known
        self.store = store  # read for a sole trader's SIREN other sources describe (known_person)
        self.persons: set[str] = set()  # SIRENs of sole traders other sources describe as organisations
        self.idx = table.index(COLUMNS)
        folded_person = {header_key(c) for c in PERSON_COLUMNS}
        self.person_idx = {i for i, c in enumerate(table.columns) if header_key(c) in folded_person}
        self.out = Parsed(rows_read=len(table.rows), meta={"extract": extract, "encoding": table.encoding,
                                                           "delimiter": table.delimiter, "notes": table.notes})
        self.drafts: dict[str, dict[str, Any]] = {}
        self.bare: dict[str, list[_Est]] = {}  # SIREN → its rows that do not say what the unit is
        self.private: set[int] = set()  # rows rejected for privacy: their content stays out of the rejects file
        self.placed: set[str] = set()  # SIRENs this file gave a location
        self.counts = (0, set(), 0, 0)  # rows and units of the bare rows: known, unknown (settle_bare_rows)

    def get(self, row, name: str) -> str | None:
        i = self.idx.get(name)
        if i is None:
            return None
        v = row.cells[i]
        return None if blank(v) else v.strip()

    def col(self, name: str) -> str | None:
        i = self.idx.get(name)
        return self.t.columns[i] if i is not None else None

    def reject(self, row, reason: str, name: str | None = None, value: str | None = None, fatal: bool = True):
        self.out.rejects.append(Reject(row.number, reason, self.col(name) if name else None, value, fatal))

    def parse(self) -> Parsed:
        n_rows = len(self.t.rows)
        for i, row in enumerate(self.t.rows):
            if i % REPORT_EVERY == 0:
                report("parse", i, n_rows)
            self.read(row)
        self.settle_bare_rows()
        for siren, d in self.drafts.items():
            self.place(siren, d)
            try:
                actor = Actor(**d["data"])
            except ValidationError as e:
                self.out.rejects.extend(rejects_from_validation(d["row"], e))
                self.out.merged_rows -= d["later"]
                for later in d["later"]:
                    self.out.rejects.append(Reject(later, f"SIREN {siren} could not be recorded (see row {d['row']})"))
                continue
            self.out.actors.append((d["row"], actor))
        self.note_bare_rows()
        if self.persons:
            n = len(self.persons)
            self.out.meta["notes"] = [*(self.out.meta.get("notes") or []), (
                f"{n} sole trader{'s' if n > 1 else ''} (legal category 1xxx, a natural person) that other sources "
                "describe as an organisation (same SIREN): now a natural person, personal data kept out of public "
                "views and exports")]
        problems = {r.row for r in self.out.rejects}
        self.out.originals = _originals(self.t, problems, self.private, self.person_idx)
        return self.out

    def read(self, row) -> None:
        # privacy first: restricted diffusion, masked values, natural persons
        for name in ("statut_ul", "statut_et"):
            v = self.get(row, name)
            if v and v.upper() in ("P", "N"):
                self.private.add(row.number)
                self.reject(row, f"diffusion restricted ({self.col(name)} = {v}: the unit objected to the public "
                                 "use of its data): not loaded", name, v)
                return
        masked = [c for i, (c, v) in enumerate(zip(self.t.columns, row.cells)) if v.strip().upper() == "[ND]"]
        if masked:
            self.private.add(row.number)
            self.out.rejects.append(Reject(row.number, f"values masked by INSEE as [ND] ({', '.join(masked)}): a unit "
                                                       "in partial diffusion, not loaded", masked[0], "[ND]"))
            return
        code = self.get(row, "categorie")
        if code and code.startswith("1"):
            self.private.add(row.number)
            if not self.known_person(row):
                self.reject(row, f"legal category {code} ({legal_form(code)}): a natural person, not an "
                                 "organisation; not loaded (personal data)", "categorie", code)
            return
        if any(row.cells[i].strip() for i in self.person_idx):
            self.private.add(row.number)
            if not self.known_person(row):
                self.reject(row, "a person's name column is filled (nomUniteLegale, prenom…): the unit is a natural "
                                 "person; not loaded (personal data)")
            return
        raw = self.get(row, "siren") or (self.get(row, "siret") or "")[:9]
        cid = company_identifier(raw) if raw else None
        if cid is None or not cid.siren:
            self.reject(row, f"no valid SIREN ({cid.note if cid and cid.note else 'empty'})", "siren", raw or None)
            return
        siren = cid.siren
        if self.extract == "etablissement" and code is None and self.get(row, "denomination") is None:
            # what the unit is comes from elsewhere: a joined row of this file, or the store (settle_bare_rows)
            self.bare.setdefault(siren, []).append(self.establishment(row, siren))
            return
        d = self.drafts.get(siren)
        if d is None:
            name = self.get(row, "denomination") or self.get(row, "usuelle1") or self.get(row, "sigle") \
                or self.get(row, "denomination_et") or self.get(row, "enseigne")
            if name is None:
                self.reject(row, "no denomination (denominationUniteLegale, denominationUsuelle1UniteLegale, "
                                 "sigleUniteLegale are empty)", "denomination")
                return
            d = self.new_draft(row.number, self.describe(row, siren, name, code))
            self.drafts[siren] = d
        else:
            d["later"].add(row.number)
            self.out.merged_rows.add(row.number)
        if self.extract == "etablissement":
            self.add_establishment(self.establishment(row, siren), siren, d)

    def known_person(self, row) -> bool:
        """A sole trader's row (a natural person) whose SIREN another source gives an organisation
        — a subsidy file's bénéficiaire named by its trade name: that actor is a person. The row
        states it (``personal_data``, under the name the other sources give it; nothing of the
        row but its SIREN is read), so the actor is kept out of public views and exports. False:
        no source describes that SIREN, the row is rejected as before."""
        raw = self.get(row, "siren") or (self.get(row, "siret") or "")[:9]
        cid = company_identifier(raw) if raw else None
        if cid is None or not cid.siren or self.store is None:
            return False
        d = self.drafts.get(cid.siren)
        if d is not None:  # the same unit again
            if not d["data"].get("personal_data"):
                return False
            d["later"].add(row.number)
            self.out.merged_rows.add(row.number)
            return True
        if self.known is None:
            self.known = KnownUnits(self.store, self.source.id)
        view = self.known.organisation(cid.siren)
        if view is None:
            return False
        self.drafts[cid.siren] = self.new_draft(row.number, {
            "key": f"siren:{cid.siren}", "name": view.name, "family": "other", "personal_data": True,
            "identifiers": [Identifier(scheme="siren", value=cid.siren)],
            "provenance": Provenance(source=self.source.id, locator=f"row {row.number}"),
            "attributes": {}, "_keeps_place": True})
        self.persons.add(cid.siren)
        return True

    @staticmethod
    def new_draft(row: int, data: dict[str, Any]) -> dict[str, Any]:
        return {"row": row, "later": set(), "data": data, "places": []}

    def establishment(self, row, siren: str) -> _Est:
        raw = self.get(row, "siret")
        if raw is None and self.get(row, "nic"):
            raw = siren + self.get(row, "nic").zfill(5)
        return _Est(row.number, raw, (self.get(row, "siege") or "").lower() in ("true", "vrai", "o", "oui", "1"),
                    self.get(row, "commune"))

    def settle_bare_rows(self) -> None:
        """The rows that do not say what their unit is: merged into the statement of a unit a
        joined row of this file describes, or into a statement about the organisation other
        sources describe with that SIREN (``self.known``); rejected otherwise, and counted in
        the load's notes."""
        unknown_rows, unknown_units, known_rows, known_units = 0, 0, 0, set()
        for siren, rows in self.bare.items():
            d = self.drafts.get(siren)
            view = self.known.organisation(siren) if d is None and self.known is not None else None
            if d is None and view is None:
                unknown_units += 1
                for est in rows:
                    unknown_rows += 1
                    self.private.add(est.number)  # perhaps a sole trader's: its content stays out of the rejects file
                    self.reject(est, UNKNOWN_UNIT, "siret", est.siret)
                continue
            if d is None:
                d = self.drafts[siren] = self.new_draft(rows[0].number, self.describe_known(rows[0], siren, view))
                known_rows += len(rows)
                known_units.add(siren)
                rows_later = rows[1:]
            else:  # a joined row of this file states the unit (above or below these rows)
                rows_later = rows
            for est in rows_later:
                d["later"].add(est.number)
                self.out.merged_rows.add(est.number)
            for est in rows:
                self.add_establishment(est, siren, d)
        self.counts = (known_rows, known_units, unknown_rows, unknown_units)

    def note_bare_rows(self) -> None:
        """What became of the rows that do not say what their unit is, in the load's notes (printed
        under the load's line): the units they placed, and what to load for the others."""
        known_rows, known_units, unknown_rows, unknown_units = self.counts
        notes = self.out.meta["notes"] = list(self.out.meta.get("notes") or [])
        if known_units:
            notes.append(f"{known_rows} establishment row(s) of {len(known_units)} unit(s) that other sources describe "
                         f"(same SIREN): merged into them, {len(known_units & self.placed)} placed by an "
                         "establishment's commune")
        if unknown_rows == 1:
            notes.append("1 establishment row of a unit no loaded source describes: not loaded; load first the "
                         "StockUniteLegale extract of its SIREN, or the subsidy file or member list that names it, "
                         "then this file again")
        elif unknown_rows:
            notes.append(f"{unknown_rows} establishment rows of units no loaded source describes ({unknown_units} "
                         f"SIREN{'s' if unknown_units > 1 else ''}): not loaded; load first the StockUniteLegale "
                         "extract of those SIRENs, or the subsidy file or member list that names them, then this "
                         "file again")

    def describe_known(self, est: _Est, siren: str, view: ActorView) -> dict[str, Any]:
        """A statement about an organisation other sources describe, from its establishments: its
        SIREN and SIRETs and its place; the name the other sources give it (the row has none it
        may use: ``enseigne1Etablissement`` names a shop, not the unit), no family of its own."""
        return {"key": f"siren:{siren}", "name": view.name, "family": "other",
                "identifiers": [Identifier(scheme="siren", value=siren)],
                "provenance": Provenance(source=self.source.id, locator=f"row {est.number}"),
                "attributes": {}, "_keeps_place": bool(view.territory)}

    def describe(self, row, siren: str, name: str, code: str | None) -> dict[str, Any]:
        family, kind, ess = classify(code, self.get(row, "ess"), self.get(row, "categorie_entreprise"))
        aliases = [v for v in (self.get(row, k) for k in ("sigle", "usuelle1", "usuelle2", "usuelle3"))
                   if v and v != name]
        data: dict[str, Any] = {
            "key": f"siren:{siren}", "name": name, "aliases": list(dict.fromkeys(aliases)),
            "family": family, "kind": kind, "ess": ess,
            "legal_form": legal_form(code) if code else None,
            "identifiers": [Identifier(scheme="siren", value=siren)],
            "provenance": Provenance(source=self.source.id, locator=f"row {row.number}"),
        }
        if family == "collectivite":
            body = public_body(siren)
            if body is not None and body.territory:
                data["territory"] = data["location"] = body.territory
        raw_rna = self.get(row, "rna")
        if raw_rna:
            rna, note = rna_identifier(raw_rna)
            if rna:
                data["identifiers"].append(Identifier(scheme="rna", value=rna))
            else:
                self.reject(row, f"{note}; RNA left out", "rna", raw_rna, fatal=False)
        nic = self.get(row, "nic_siege")
        if nic:
            siret = company_identifier(siren + nic.zfill(5)).siret
            if siret:
                data["identifiers"].append(Identifier(scheme="siret", value=siret))
        attributes = {"naf": self.get(row, "naf"), "categorie_juridique": code,
                      "etat_administratif": self.get(row, "etat_ul"), "tranche_effectifs": self.get(row, "tranche"),
                      "categorie_entreprise": self.get(row, "categorie_entreprise"),
                      "date_creation": self.get(row, "creation"), "ess_insee": self.get(row, "ess")}
        data["attributes"] = {k: v for k, v in attributes.items() if v}
        return data

    def add_establishment(self, est: _Est, siren: str, d: dict[str, Any]) -> None:
        """The establishment's SIRET (each damage said once), and its commune as a candidate place
        (:meth:`place`)."""
        data = d["data"]
        raw, siret = est.siret, None
        if raw:
            cid = company_identifier(raw)
            if cid.siret and cid.siren == siren:
                siret = cid.siret
                ident = Identifier(scheme="siret", value=cid.siret)
                if ident not in data["identifiers"]:
                    data["identifiers"].append(ident)
                if cid.note:  # repaired (a trailing '.0', a lost leading zero): kept, and said
                    self.reject(est, cid.note, "siret", raw, fatal=False)
            elif cid.siret:  # a valid SIRET of another unit: said, not silently left out
                self.reject(est, f"SIRET {cid.siret} is an establishment of SIREN {cid.siren}, not of this row's "
                                 f"SIREN {siren}: SIRET left out", "siret", raw, fatal=False)
            elif cid.note and "SIRET dropped" in cid.note:  # its Luhn key fails: the note says it all
                self.reject(est, cid.note, "siret", raw, fatal=False)
            elif cid.siren:  # nine valid digits: a SIREN where the SIRET was expected
                self.reject(est, f"{raw!r} is a SIREN (9 digits), not a SIRET (14): SIRET left out", "siret", raw,
                            fatal=False)
            elif cid.note:
                self.reject(est, f"{cid.note}; SIRET left out", "siret", raw, fatal=False)
        if est.commune:
            d["places"].append((siret, est.siege, est.commune, est.number))

    def place(self, siren: str, d: dict[str, Any]) -> None:
        """The actor's ``location``: the commune of the establishment whose SIRET another source
        gives the actor (the one a subsidy file funds: it acts where it is), else of the head
        office; a collectivité keeps the territory it administers. ``commune_siege``: the head
        office's commune. A commune the reference geography does not know is said (a warning)
        when it was the one to use, and the next evidence is tried."""
        data = d["data"]
        keeps_place = data.pop("_keeps_place", False) or data.get("location") is not None
        if not d["places"]:
            return
        from maillage.geography import load_geography

        geo = load_geography()

        def commune_of(code: str) -> str | None:
            commune = insee_commune(code)
            t = geo.get(f"commune:{commune}") if commune else None
            return t.id if t is not None and t.level == "commune" else None

        carried = self.known.sirets.get(siren, set()) if self.known is not None else set()
        for siret, siege, code, number in d["places"]:
            if siege and (tid := commune_of(code)) is not None:
                data["attributes"]["commune_siege"] = tid.split(":", 1)[1]
                break
        if keeps_place:
            return
        ranked = sorted((p for p in d["places"] if p[1] or p[0] in carried),
                        key=lambda p: (p[0] not in carried, not p[1]))
        for siret, siege, code, number in ranked:
            tid = commune_of(code)
            if tid is not None:
                data["location"] = tid
                self.placed.add(siren)
                return
            if siret in carried and not siege:
                self.out.rejects.append(Reject(number, f"commune {code!r} of establishment {siret} is not a commune "
                                                       "of the reference geography: not used to place the actor",
                                               self.col("commune"), code, fatal=False))
            else:
                self.out.rejects.append(Reject(number, f"head-office commune {code!r} is not a commune of the "
                                                       "reference geography: location left unknown",
                                               self.col("commune"), code, fatal=False))


LOADER = SireneLoader()
