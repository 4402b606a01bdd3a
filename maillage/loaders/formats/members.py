"""The ``members`` format: a pôle's member list, as animators keep it (CSV, XLSX, XLS, ODS).

One row per member organisation, with French or English headers (accepted names:
:data:`FIELDS`, also in ``docs/formats/members.md``). Read with
:func:`maillage.loaders.tabular.read_table` (encoding, separator and header row detected); a
workbook's every sheet with a name column (:meth:`MemberListLoader.read_all`).

What a row becomes:

- the **member** → an actor. Its family and kind come from a *type* column (``type``,
  ``famille``…), else its *legal form* column (``forme juridique``, ``statut``…), else the
  explicit legal-form or collectivité words of its name ("Association …", "SCIC …", "GAEC …",
  "Mairie de …", "Communauté de communes …", "Mission locale …", "… Coopérative …", "Lycée …",
  "CFA …": :data:`NAME_RULES`), else a SIREN that the reference geography knows
  as a commune's or an EPCI's, else (no identifier) the whole name of an EPCI of the geography,
  current or former (:func:`epci_by_its_name`); when nothing says what it is, family ``other``, kind
  ``non_precise`` — never guessed as ``ess``: a member list mixes ESS structures, enterprises
  and collectivités (art. 9 of loi n° 2014-856), and ``other`` stays compatible with every family
  when a SIRENE extract later tells what it is (a note counts such members when the list has
  no type column). A type or legal form saying only "Établissement public" lets the name say
  which public body (:data:`PUBLIC_BODY_FAMILIES`). Associations, coopératives (SCOP, SCIC,
  CAE, CUMA, SICA), mutuelles and fondations are ESS by status (art. 1 II of the same law):
  ``ess`` = true; a GAEC, an EARL, a SCEA is an enterprise (a société civile).
- its **place**: the INSEE commune code, else the postal code (+ commune name when the code is
  shared by several communes: 29600 is Morlaix and three other communes), through
  :mod:`maillage.geography`. When the INSEE code contradicts a postal code and commune name that
  agree with each other, the latter win and a warning says so. A postal code and a commune name
  that contradict each other (« 31000 » and « Lyon » or « Ramonville », one cell « 31000;Lyon » or
  « Toulouse, 31520, Haute-Garonne » too) give no place,
  or only the département both are in, with a warning (:func:`locate`; the rule of every loader,
  :func:`maillage.geography.places.postal_code_clash`). A postal code the commune
  name cannot decide locates the actor in the territory all its communes share (EPCI or
  département), and a cell naming several places (« 31000 Toulouse et Blagnac ») in the one holding
  them all (:func:`maillage.geography.places.one_place`), with a warning; a name beside a postal code
  that is not its commune's (a typo, « 31000 toulous ») is warned about, but not a former name of it
  (« 91080 COURCOURONNES »: :func:`_not_its_name`); a code the geography does not know (a CEDEX
  code) lets the name decide in the code's département (:func:`_unknown_code_said`). What the
  source wrote is kept in ``location_text``.
- the **pôle** → an actor of family ``pole``, kind ``ptce``, stated once (first row naming it):
  ``--pole NAME`` (option ``pole``), or a ``pôle``/``PTCE`` column (which wins row by row;
  the option fills its blanks).
- the **tie** member → pôle, read from the ``rôle`` column (:data:`ROLE_RULES`, first rule giving
  a tier wins; all effects apply): ``membership`` (fields ``role`` as written, ``tier``,
  ``college``; ``start``/``end`` from the membership dates); a *structure porteuse* also
  ``carries`` the pôle (``function`` = ``structure_porteuse``; a *cellule d'animation* likewise),
  since being listed makes it a member as well; a *membre fondateur* also ``founded`` it; a
  *financeur* ``funds`` it and an *accompagnateur* ``supports`` it, without membership.
- a ``structure porteuse`` column naming another organisation → that organisation, and
  ``carries`` from it to the row's actor; with yes/no values it marks the row's actor as the
  structure porteuse of the pôle.

Over the years: a workbook with a sheet per year (« 2023 », « Adhérents 2024 »), or a file given its
year (option ``year``, ``--year 2025``), dates each membership its list's year, so that a member
missing from the next year's list leaves (:func:`_sheet_years`, :func:`year_span`). The sheets
per year are lists of their own (:attr:`~maillage.loaders.base.Parsed.lists`: a member renamed
between two is one actor), and a member that moved between two is placed where the latest says.

Without a pôle: when the file has membership columns (rôle, collège, cercle, dates), loading
fails with a message saying how to name the pôle; otherwise the rows load as **actors only**
and the first row carries a warning saying so.

Collège headings: a row holding only « Collège des fondateurs » (alone on its row, or merged
across it) is not a member; the members below it, to the next heading, are in that collège
unless their own collège cell says otherwise (:func:`college_heading`).

Bad rows: a row without a name is rejected; an exact copy of an earlier row is merged;
a member listed again (same id or SIREN, or same name without a different id, SIREN, RNA or
place) in the same pôle is merged into its first row, said so in the rejects file, with a
warning naming both rows when they give two collèges, roles, circles, dates or « structure
porteuse » flags (the first row's kept), or when only the later row gives one (not loaded: it
is to be given on the first); two SIRETs of one SIREN are one actor keeping both;
a damaged identifier (``45032466000000.0`` or ``4,17645595E+13``: SIREN kept, SIRET dropped; ``7,17E+13``: unknown),
an unreadable date or an unknown commune is a warning and the row loads without that value.
Columns holding personal data about contacts (e-mail, téléphone, prénom…) are never read.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from maillage.geography.places import (_NEAR, Clash, code_and_name, code_departements, common_territory,
                                       communes_written_as, one_place, postal_code_and_name, postal_code_clash,
                                       postal_code_commune, postal_communes, read_place)
from maillage.graph.model import Actor, Identifier, Provenance, Relation, Source, year_of
from maillage.graph.names import civility_name, fold, legal_form_in_name, name_key
from maillage.graph.vocabulary import PUBLIC_FAMILIES, vocabulary

from ..base import LoadError, Loader, Parsed, Reject, Resolved, rejects_from_validation
from ..cells import (CellError, blank, company_identifier, insee_commune, note_label, parse_date, postal_code,
                     rna_identifier, total_label)
from ..tabular import (DOCUMENT_SUFFIXES, SPREADSHEET_SUFFIXES, Row, Table, column_of, file_kind, header_key,
                       is_spreadsheet, read_table, sheet_names, sniff_delimiter, utf16_head)
from ._public_bodies import private_siren

# ---------------------------------------------------------------------------------------------
# columns

#: Accepted header names for each field, compared folded (case, accents, punctuation:
#: "N° SIRET" = "n siret"). The first alias found in the header wins, in this order.
FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "id unique", "identifiant", "identifiant unique", "ref", "reference", "code membre"),
    "name": ("raison sociale", "denomination", "denomination sociale", "nom de la structure", "nom structure",
             "nom de l organisme", "nom du membre", "nom de l adherent", "nom adherent",
             "structure", "structure membre", "organisation",
             "organization", "organisme", "nom", "name", "label", "libelle", "membre", "member", "acteur",
             "actor", "nom du tiers lieu", "tiers lieu"),
    "alias": ("sigle", "acronyme", "acronym", "nom court", "nom usuel", "nom d usage", "autre nom", "alias",
              "short name", "also known as"),
    "siret": ("siret", "n siret", "no siret", "numero siret", "num siret", "code siret", "siret structure"),
    "siren": ("siren", "n siren", "no siren", "numero siren", "num siren", "siren siret", "siret siren",
              "siren structure"),
    "rna": ("rna", "n rna", "no rna", "numero rna", "identifiant rna", "rna number", "numero waldec", "waldec"),
    "legal_form": ("forme juridique", "statut juridique", "statut", "legal form", "legal status",
                   "categorie juridique", "nature juridique", "forme"),
    "type": ("type", "famille", "type de structure", "type structure", "type d acteur", "categorie", "category",
             "family", "kind", "typologie"),
    "ess": ("ess", "structure ess", "entreprise ess", "economie sociale et solidaire"),
    "insee": ("code insee", "insee", "code commune", "code insee commune", "insee code", "codgeo", "cog"),
    "postcode": ("code postal", "cp", "postcode", "postal code", "zip", "zip code", "codpost"),
    "commune": ("commune", "ville", "city", "town", "localite", "municipality", "nom commune", "libelle commune"),
    "pole": ("pole", "ptce", "nom du pole", "nom du ptce", "pole territorial"),
    "role": ("role", "qualite", "statut du membre", "statut membre", "type de membre", "type d adhesion",
             "membership", "membership type"),
    "college": ("college", "college de vote", "college electoral"),
    "tier": ("cercle", "tier", "niveau d engagement"),
    "start": ("date d adhesion", "date adhesion", "adhesion", "annee d adhesion", "membership date", "joined",
              "date joined", "member since", "membre depuis", "depuis", "since", "date d entree", "entree",
              "start date", "date de debut"),
    "end": ("date de sortie", "sortie", "date de fin", "end date", "left", "date left"),
    "carrier": ("structure porteuse", "nom structure porteuse", "nom de la structure porteuse", "nom strc port",
                "porteur", "porte par", "structure gestionnaire", "gestionnaire", "carrying structure",
                "carried by"),
    "carrier_siren": ("siren structure porteuse", "siret structure porteuse", "siren porteur", "siret porteur",
                      "siren de la structure porteuse", "siret de la structure porteuse"),
    "website": ("site web", "site internet", "internet", "website", "web", "url"),
    "description": ("description", "activite", "activity", "objet", "secteur", "secteur d activite"),
    "tags": ("tags", "mots cles", "keywords"),
}

#: What each field is, for the docs.
FIELD_HELP: dict[str, str] = {
    "id": "the file's own id of the row (kept as the actor's key: reloads stay stable)",
    "name": "the organisation's name — **required**",
    "siret": "SIRET (14 digits; its SIREN is kept too)",
    "siren": "SIREN (9 digits; a 14-digit SIRET here is read as one)",
    "rna": "RNA number of an association (W + 9 characters)",
    "legal_form": "legal form as written (\"SCIC SAS\", \"Association loi 1901\", INSEE code 9220…)",
    "type": "what the actor is: a family or kind of the vocabulary, in French or English",
    "ess": "ESS structure? (oui/non, yes/no, 1/0, x, a tick ✓ / ☐)",
    "insee": "INSEE commune code (2A/2B in Corsica; `8.0`-style damage repaired)",
    "postcode": "postal code (`29600.0` and lost leading zeros repaired)",
    "commune": "commune name (decides between the communes of a shared postal code)",
    "pole": "the pôle this row's member belongs to (overrides `--pole` for the row)",
    "role": "role in the pôle: membre fondateur, structure porteuse, adhérent, partenaire…",
    "college": "college (collège) of the pôle's governance",
    "tier": "circle of membership (socle, membre, adhérent, partie prenante, partenaire associé)",
    "start": "membership start (ISO, dd/mm/yyyy, dd/mm/yy, a year, an Excel date number, written out: "
             "`mars 2019`, `1er septembre 2020`)",
    "end": "membership end",
    "carrier": "the structure porteuse of the row's actor (a name), or yes/no: this row carries the pôle",
    "carrier_siren": "SIREN/SIRET of that structure porteuse",
    "alias": "another name of the organisation — its sigle, its usual name (an alias: other files naming it so "
             "are matched to it)",
    "website": "web site (kept as a fact)",
    "description": "activity, description (kept as a fact)",
    "tags": "tags, pipe-separated (kept as a fact)",
}

#: Columns about contact persons: personal data, never read.
PERSONAL_COLUMNS = ("prenom", "first name", "firstname", "email", "e mail", "mail", "courriel", "telephone",
                    "tel", "phone", "portable", "mobile", "contact", "nom du contact", "referent",
                    "nom du referent", "interlocuteur", "representant", "adresse mail", "adresse e mail")

#: Fields that only make sense with a pôle.
MEMBERSHIP_FIELDS = ("role", "college", "tier", "start", "end")


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def columns_markdown(fields: dict[str, tuple[str, ...]] = FIELDS, help: dict[str, str] = FIELD_HELP) -> str:
    """The table of accepted column names, for the docs (``docs/formats/members.md``)."""
    lines = ["| field | accepted column names (case, accents and punctuation ignored) | what it holds |",
             "|---|---|---|"]
    for f, aliases in fields.items():
        lines.append(f"| `{f}` | {_md(', '.join(aliases))} | {_md(help.get(f, ''))} |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# what an actor is

@dataclass(frozen=True)
class Classified:
    family: str
    kind: str | None
    rule: str
    legal_form: str | None = None


#: ESS by status (loi n° 2014-856, art. 1 II 1°): coopératives, mutuelles, fondations, associations.
ESS_BY_STATUS = frozenset({"association", "cooperative", "scop", "scic", "cae", "mutuelle", "fondation"})

#: The families a public body (« Établissement public », « Service public »: family ``state``,
#: no kind) may be of, its name telling which: a lycée, a university, an EPCI, a chamber of
#: commerce are établissements publics too.
PUBLIC_BODY_FAMILIES = frozenset({"state", "training", "research", "collectivite", "support"})

# (pattern on fold()ed text, family, kind). Ordered: the first match wins. Persons only on a
# whole cell ("Personne", "Élu"), never on words inside a name.
TYPE_RULES: list[tuple[str, str, str | None]] = [
    (r"^(?:personnes?(?: physiques?| qualifiees?)?|person|people|individu(?:el|elle|al)?|benevole|volunteer|"
     r"particulier|pq|habitante?|(?:(?:membre|adherente?) )?(?:a titre individuel|individuel(?:le)?))$",
     "person", "personne"),
    (r"^(?:elue?s?|elu e|elected official|elected|maire|adjointe? au maire|conseill\w+ (?:municipal|regional|"
     r"departemental|communautaire)\w*)$", "person", "elu"),
    (r"^(?:salariee?|salarie e|employee|staff|dirigeante?|directeur|directrice|chargee? de mission)$",
     "person", "salarie"),
    (r"^(?:chercheur|chercheuse|chercheur e|researcher)$", "person", "chercheur"),
    (r"\bptce\b|pole territorial de cooperation", "pole", "ptce"),
    (r"mission locale|\bplie\b|pole emploi|france travail|cap emploi", "support", "emploi_insertion"),
    (r"pole de competitivite|\bcluster\b|\bgrappe\b", "pole", "pole_autre"),
    (r"\bcress?\b|chambre regionale de l economie sociale", "network", "cress"),
    (r"\bcci\b|chambre de commerce|chambres? des? metiers|\bcma\b|chambre d agriculture|chambre consulaire",
     "support", "chambre_consulaire"),
    (r"\bdla\b|dispositif local d accompagnement", "support", "dla"),
    (r"incubat|pepiniere|couveuse", "support", "incubateur"),
    (r"\bcbe\b|comite de bassin d emploi", "support", "cbe"),
    (r"agence de developpement|agence d attractivite|agence economique", "support", "agence_developpement"),
    (r"communaute (?:de communes?|d agglomeration|urbaine)|\bmetropole\b|\bepci\b|intercommunal|^c[cau] |"
     r"\bcom com\b|etablissement public territorial", "collectivite", "epci"),
    (r"\bpetr\b|pole d equilibre territorial|^pays\b", "collectivite", "petr_pays"),
    (r"parc naturel regional|\bpnr\b", "collectivite", "pnr"),
    (r"syndicat mixte|\bsivom\b|\bsivu\b|syndicat intercommunal", "collectivite", "syndicat_mixte"),
    (r"conseil departemental|conseil general|^departement\b", "collectivite", "departement"),
    (r"conseil regional|^region\b", "collectivite", "region"),
    (r"^commune\b|^mairie\b|^ville d|\bmunicipal|^municipality$", "collectivite", "commune"),
    (r"collectivite|local authority", "collectivite", None),
    (r"prefecture|\bprefet\b", "state", "prefecture"),
    (r"\bdreets\b|\bddets\b|\bdraaf\b|\bdreal\b|\bdireccte\b|\bdrac\b|direction regionale|direction departementale",
     "state", "service_deconcentre"),
    (r"ministere|\bministry\b", "state", "ministere"),
    (r"caisse des depots|banque des territoires|\bcdc\b|\bademe\b|bpi ?france|\banct\b|\bcaf\b|\bars\b",
     "state", "operateur"),
    # a teaching establishment is a public body too (EPLE, EPLEFPA, EPSCP): said before the generic rule
    (r"lycee|\beple(?:fpa|a)?\b|\blegta\b|\bcfppa\b|enseignement agricole|etablissement (?:public )?(?:local )?"
     r"d enseignement(?! superieur)|\bmfr\b|maisons? familiales? rurales?|\bcfai?\b|\bgreta\b|\bafpa\b",
     "training", "organisme_formation"),
    (r"enseignement superieur|\bepscp\b|caractere scientifique culturel et professionnel", "research", "universite"),
    (r"\betat\b|\bstate\b|etablissement public|service public", "state", None),
    (r"\bfse\b|fonds social europeen", "eu", "fse"),
    (r"\bfeder\b", "eu", "feder"),
    (r"feader|\bleader\b", "eu", "feader_leader"),
    (r"interreg", "eu", "interreg"),
    (r"union europeenne|commission europeenne|european union|\beurope\b", "eu", "ue_autre"),
    (r"universite|university|\becole\b|\biut\b|enseignement superieur|higher education", "research", "universite"),
    (r"laboratoire|\bumr\b|\bcnrs\b|\binrae?\b|centre de recherche|\brecherche\b|research", "research",
     "laboratoire"),
    (r"organisme de formation|centre de formation|\bcfa\b|\bgreta\b|\bafpa\b|\bformation\b|training",
     "training", "organisme_formation"),
    (r"tiers ?lieux?|fab ?lab|coworking|third place|makerspace|hackerspace|espace de travail partage",
     "tiers_lieu", "tiers_lieu"),
    (r"\bcae\b|cooperative d activites? et d emploi", "ess", "cae"),
    (r"groupement d employeurs|\bgeiq\b", "ess", "groupement_employeurs"),
    (r"\bsiae\b|insertion par l activite|chantier d insertion|entreprise d insertion|\betti\b|"
     r"association intermediaire|\baci\b|regie de quartier|entreprise adaptee", "ess", "siae"),
    (r"finance solidaire|banque cooperative|credit cooperatif|france active|\bnef\b", "ess", "finance_solidaire"),
    (r"\bmutuelle|mutualit|\bmutual\b", "ess", "mutuelle"),
    (r"fondation|foundation", "ess", "fondation"),
    (r"\bscic\b|cooperative d interet collectif", "ess", "scic"),
    (r"\bscop\b|cooperative ouvriere|cooperative et participative|cooperative de production", "ess", "scop"),
    # CUMA and SICA are coopératives (Code rural L521-1, L531-1: « le statut de société coopérative »)
    (r"cooperati\w*|\bcoop\b|\bcuma\b|\bsica\b|co operative|d interet collectif agricole", "ess", "cooperative"),
    # the agricultural companies (sociétés civiles, Code rural L323-1, L324-1): enterprises, not ESS by status
    (r"\bgaec\b|groupement agricole d exploitation en commun|\bearl\b|exploitation agricole a responsabilite "
     r"limitee|\bscea\b|societe civile d exploitation agricole", "enterprise", "entreprise"),
    (r"association|\basso\b|\bassoc\b|loi 1901|\bnon profit\b|\bnonprofit\b|\bngo\b|\bong\b", "ess",
     "association"),
    (r"\besus\b|entreprise solidaire d utilite sociale|entreprise sociale|social enterprise", "ess",
     "entreprise_esus"),
    (r"\bess\b|economie sociale|social and solidarity|sse organisation", "ess", None),
    (r"federation|tete de reseau|union regionale", "network", "tete_de_reseau"),
    (r"\breseau\b|\bnetwork\b", "network", "reseau_autre"),
    (r"\btpe\b|micro ?entreprise|auto ?entrepreneur|micro enterprise", "enterprise", "tpe"),
    (r"\bpme\b|\bpmi\b|\bsme\b", "enterprise", "pme"),
    (r"\beti\b", "enterprise", "eti"),
    (r"grande entreprise|grand groupe|large (?:company|enterprise)", "enterprise", "grande_entreprise"),
    (r"\bsas\b|\bsasu\b|\bsarl\b|\beurl\b|\bsa\b|\bsnc\b|\bsci\b|\bsca\b|\bgie\b|societe|entreprise|company|"
     r"business|\bfirm\b|artisan|commerce|corporation|\bltd\b", "enterprise", "entreprise"),
    (r"programme|appel a projets|dispositif|\bprogram\b", "other", "programme"),
    (r"evenement|\bevent\b", "other", "evenement"),
    (r"collectif|groupe de travail|collective|working group", "other", "collectif"),
    (r"\blieu\b|\bsite\b|\bplace\b", "other", "lieu"),
]
_TYPE_RULES = [(re.compile(p), fam, kind) for p, fam, kind in TYPE_RULES]

#: Words of a *name* that say what the actor is (precision over recall: legal forms and the
#: names collectivités give themselves, at the start of the name, or the legal form at its end;
#: the networks and institutions that name themselves; « coopérative », « mutuelle » as words).
NAME_RULES: list[tuple[str, str, str | None]] = [
    (r"^(?:ptce|pole territorial de cooperation economique)\b", "pole", "ptce"),
    (r"^(?:mairie|ville|commune) (?:de|d|du|des)\b", "collectivite", "commune"),
    (r"^(?:communaute (?:de communes?|d agglomeration|urbaine)|cc|ca|cu|metropole|com com)\b", "collectivite",
     "epci"),
    (r"^(?:conseil departemental|conseil general|departement)\b", "collectivite", "departement"),
    (r"^(?:conseil regional|region)\b", "collectivite", "region"),
    (r"^(?:fondation)\b", "ess", "fondation"),
    (r"^(?:mutuelle)\b", "ess", "mutuelle"),
    (r"^(?:scic)\b|\bscic$|societe cooperative d interet collectif", "ess", "scic"),
    (r"^(?:scop)\b|\bscop$", "ess", "scop"),
    (r"^(?:cae)\b", "ess", "cae"),
    (r"^(?:association|assoc|asso|ass)\b", "ess", "association"),  # « ASS », « ASSOC »: SIRENE's abbreviations
    (r"^(?:cooperative)\b", "ess", "cooperative"),
    # the networks and institutions that name themselves (TYPE_RULES knows them too), as their
    # names are written: « France Active Occitanie », « Mission locale du Lot », « CRESS Occitanie »
    (r"\bfrance active\b|^(?:credit cooperatif|banque cooperative)\b", "ess", "finance_solidaire"),
    (r"\bmission locale\b|^(?:plie|france travail|pole emploi|cap emploi)\b", "support", "emploi_insertion"),
    (r"\bcress\b|chambre regionale de l economie sociale", "network", "cress"),
    (r"^(?:cci|cma|chambre de commerce|chambres? (?:regionale )?(?:des |de )?metiers|chambre (?:regionale )?"
     r"d agriculture)\b", "support", "chambre_consulaire"),
    (r"^(?:universite|university)\b(?! (?:populaire|rurale|paysanne|d ete|du temps libre|inter ages|"
     r"du troisieme age)\b)|^(?:iut|institut universitaire de technologie)\b", "research", "universite"),
    # the schools of higher education, then the other teaching and training establishments, by
    # the name they give themselves first (« Lycée agricole d'Auzeville », « CFA BTP du Lot »,
    # « Maison familiale rurale de … », « École de la 2e chance »); not « Café de l'École »
    # nor « Association des parents d'élèves du lycée … » (an association: said above). A bare
    # « École … » is not enough: most are associations (école de musique, de tennis, des
    # parents, de chiens guides, in the subsidy files)
    (r"^(?:l )?(?:grande )?ecole (?:nationale superieure|normale superieure|superieure|centrale|polytechnique|"
     r"doctorale|d ingenieurs?|nationale d ingenieurs?|des mines|des hautes etudes|pratique des hautes etudes|"
     r"nationale d architecture|nationale veterinaire)\b", "research", "universite"),
    (r"^(?:lycee|legta|lega|eplefpa|eplea|cfppa|cfai?|afpa|mfr|maisons? familiales? rurales?|e2c|"
     r"(?:l )?ecole (?:de la (?:2e|2eme|deuxieme|seconde) chance|de production|des metiers)|"
     r"(?:centre|organisme|institut) de formation|centre de formation d apprentis|"
     r"etablissement public local d enseignement)\b"
     r"|^(?!(?:federation|union|reseau|les amis|amis|amicale|collectif|comite|syndicat|conseil)\b).*"
     r"\b(?:cfai?|cfppa|afpa)\b", "training", "organisme_formation"),
    (r"\bademe\b|^(?:banque des territoires|caisse des depots|bpi ?france)\b", "state", "operateur"),
    (r"^(?:prefecture|prefet)\b", "state", "prefecture"),
    (r"^(?:dreets|ddets|draaf|dreal|drac)\b", "state", "service_deconcentre"),
    (r"^(?:parc naturel regional)\b", "collectivite", "pnr"),
    (r"^(?:syndicat mixte)\b", "collectivite", "syndicat_mixte"),
    (r"^(?:groupement d employeurs|geiq)\b", "ess", "groupement_employeurs"),
    # « coopérative » as a word of the name (« Imprimerie Coopérative Tarnaise », « Cave coopérative
    # de Cahors »), not « coopération », a plural (« Fédération des coopératives »: a network) nor
    # one's belongings (« Les Amis de la Coopérative »: an association); « mutuelle » likewise, but
    # not a groupe d'entraide mutuelle (GEM: an association)
    (r"societe cooperative (?:ouvriere|et participative|de production)", "ess", "scop"),
    (r"(?<!de la )(?<!de l )\bcooperative\b", "ess", "cooperative"),
    (r"(?<!entraide )\bmutuelle\b", "ess", "mutuelle"),
    # the agricultural legal forms, in front of the name or at its end (« GAEC de la Ferme
    # Partagée », « Ferme Partagée de Montlaur GAEC », « CUMA de Montlaur »): a CUMA or a SICA
    # is a coopérative (ESS by status); a GAEC, an EARL, a SCEA a société civile (an enterprise)
    (r"^(?:cuma|sica)\b|\b(?:cuma|sica)$|cooperative d utilisation de materiel agricole|"
     r"d interet collectif agricole", "ess", "cooperative"),
    (r"^(?:gaec|scea)\b|^earl (?:de|du|des|d|la|le|les)\b|\b(?:gaec|earl|scea)$|"
     r"groupement agricole d exploitation en commun|"
     r"exploitation agricole a responsabilite limitee|societe civile d exploitation agricole", "enterprise",
     "entreprise"),
    (r"\b(?:sas|sasu|sarl|eurl|sa)$|^(?:sas|sasu|sarl|eurl)\b", "enterprise", "entreprise"),
]
#: Acronyms a name writes in capitals, where the folded word could be a first name (« GRETA
#: Midi-Pyrénées », « EARL Dupuis », not « Greta Martin » nor « Earl Smith »): read on the name
#: as written.
CASED_NAME_RULES: list[tuple[str, str, str | None]] = [
    (r"^EARL\b", "enterprise", "entreprise"),
    (r"^(?!(?i:f[ée]d[ée]ration|union|r[ée]seau|les amis|amis|amicale)\b).*\bGRETA\b", "training",
     "organisme_formation"),
]
_NAME_RULES = [(re.compile(p), fam, kind) for p, fam, kind in NAME_RULES]
_CASED_NAME_RULES = [(re.compile(p), fam, kind) for p, fam, kind in CASED_NAME_RULES]

#: INSEE catégories juridiques (https://www.insee.fr/fr/information/2028129) that say the family.
LEGAL_CATEGORY_CODES: list[tuple[str, str, str]] = [
    (r"^92\d\d$", "ess", "association"),
    (r"^9300$", "ess", "fondation"),
    (r"^82\d\d$", "ess", "mutuelle"),
    (r"^7210$", "collectivite", "commune"),
    (r"^7220$", "collectivite", "departement"),
    (r"^7230$", "collectivite", "region"),
    (r"^734\d$", "collectivite", "epci"),
    (r"^735[45]$", "collectivite", "syndicat_mixte"),
    (r"^63(?:16|17|18)$|^(?:5432|5532|6532)$", "ess", "cooperative"),  # CUMA, coopératives agricoles, SICA
    (r"^(?:6533|6597|6598)$", "enterprise", "entreprise"),  # GAEC, SCEA, EARL
    (r"^7331$", "training", "organisme_formation"),  # établissement public local d'enseignement (lycée)
    (r"^7383$", "research", "universite"),  # établissement public à caractère scientifique, culturel et prof.
]


@lru_cache(maxsize=1)
def _vocabulary_terms() -> dict[str, tuple[str, str | None]]:
    """Folded family and kind names and labels (French and English) → (family, kind)."""
    out: dict[str, tuple[str, str | None]] = {}

    def put(text: str, value: tuple[str, str | None]) -> None:
        for t in (text, re.sub(r"\([^)]*\)", " ", text)):
            k = fold(t)
            if k and k not in out:
                out[k] = value

    v = vocabulary()
    for fam in v.families.values():
        for kind, term in fam.kinds.items():
            put(kind, (fam.name, kind))
            for lab in term.labels.values():
                put(lab, (fam.name, kind))
    for fam in v.families.values():
        only = next(iter(fam.kinds)) if len(fam.kinds) == 1 else None
        put(fam.name, (fam.name, only))
        for lab in fam.labels.values():
            put(lab, (fam.name, only))
    return out


def classify(text: str | None) -> Classified | None:
    """Family and kind a *type* or *legal form* cell designates, or None.

    Vocabulary names and labels first (``Association``, ``Collectivité``, ``EPCI``, ``SCIC``),
    then INSEE legal-category codes (``9220``), then :data:`TYPE_RULES`.

    >>> classify("Collectivité").family, classify("Communauté de communes").kind
    ('collectivite', 'epci')
    >>> classify("Person").family
    'person'
    """
    if blank(text):
        return None
    t = fold(str(text))
    hit = _vocabulary_terms().get(t)
    if hit:
        return Classified(hit[0], hit[1], "vocabulary")
    for pattern, fam, kind in LEGAL_CATEGORY_CODES:
        if re.match(pattern, t):
            return Classified(fam, kind, "catégorie juridique")
    for rx, fam, kind in _TYPE_RULES:
        if rx.search(t):
            return Classified(fam, kind, f"rule {rx.pattern}")
    return None


def classify_name(name: str, siren: str | None = None) -> Classified | None:
    """What the words of a name say the actor is (:data:`NAME_RULES`), or None. A name never makes
    a collectivité or a State body of ``siren`` when that SIREN is the private sector's by INSEE's
    numbering (:func:`~._public_bodies.private_siren`): « CA E LA, TROUPE DE THEATRE » with SIREN
    343801932 is no communauté d'agglomération, whatever « CA » says.

    >>> classify_name("CA E LA, TROUPE DE THEATRE").kind, classify_name("CA E LA, TROUPE DE THEATRE", "343801932")
    ('epci', None)
    """
    t = fold(name)
    got = next((Classified(fam, kind, f"name {rx.pattern}") for rx, fam, kind in _NAME_RULES if rx.search(t)), None)
    if got is None:
        got = next((Classified(fam, kind, f"name {rx.pattern}") for rx, fam, kind in _CASED_NAME_RULES
                    if rx.search(name)), None)
    if got is not None and got.family in PUBLIC_FAMILIES and private_siren(siren):
        return None
    return got


_PERSONS_COLLEGE = re.compile(r"personnes? (?:qualifiees?|physiques?)|individuel|\bparticuliers?\b|"
                              r"\bbenevoles?\b|\bhabitants?\b|\bcitoyens?\b")


#: A person's role written after the name (singular: « (bénévoles) » after a name is a group's).
_PERSON_ROLE = re.compile(r"pq|p q|personne (?:qualifiee?|physique)|benevole|habitante?|particuliere?|citoyenne?|"
                          r"(?:(?:membre|adherente?) )?a titre individuel|(?:membre|adherente?) individuel(?:le)?")
# « Jeanne Dupuis (PQ) », « Jeanne Dupuis – bénévole », « Jeanne Dupuis, habitante »
_NAME_THEN_ROLE = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<paren>[^()]+)\)|(?:\s[-–—]|,)\s*(?P<tail>[^()]+?))\s*$")
_PARTICLES = frozenset("de du des d le la van von der den da di del ben bin el".split())
_NOT_A_FIRST_NAME = frozenset("le la les l un une des du au aux".split())


def person_name_shape(name: str) -> bool:
    """Whether ``name`` looks like a person's: a civility (« M. Pierre Martin »), or two or three
    capitalised words, with particles (« Jeanne Dupuis », « Anne de La Tour »), that name no
    organisation (« Les Jardins », « SCOP Dupuis », « Mairie de Cahors » do).

    >>> [person_name_shape(n) for n in ("Jeanne Dupuis", "M. Pierre Martin", "Les Jardins", "Dupuis")]
    [True, True, False, False]
    """
    if civility_name(name):
        return True
    words = name.split()
    if not words or fold(words[0]) in _NOT_A_FIRST_NAME or classify_name(name) or legal_form_in_name(name):
        return False
    caps = 0
    for w in words:
        if fold(w) in _PARTICLES or re.match(r"d['’]\w", w):
            continue
        if not (w[0].isupper() and re.fullmatch(r"[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]*)*\.?", w)):
            return False
        caps += 1
    return 2 <= caps <= 3


def person_role_in_name(name: str) -> tuple[str, str] | None:
    """(the person's name, the role) when a name is a person's followed by a person's role, in
    brackets or after a dash or comma, or last: « Jeanne Dupuis (personne qualifiée) » →
    (« Jeanne Dupuis », « personne qualifiée »); not « Association des Bénévoles du Lot ».

    >>> person_role_in_name("Jeanne Dupuis (PQ)"), person_role_in_name("Association des Bénévoles du Lot")
    (('Jeanne Dupuis', 'PQ'), None)
    """
    candidates = []
    if m := _NAME_THEN_ROLE.match(name):
        candidates.append((m["name"], m["paren"] or m["tail"]))
    words = name.split()
    candidates += [(" ".join(words[:-k]), " ".join(words[-k:])) for k in range(1, min(4, len(words) - 1) + 1)]
    for person, role in candidates:
        person, role = person.strip(" ,-–—"), role.strip()
        if _PERSON_ROLE.fullmatch(fold(role)) and person_name_shape(person):
            return person, role
    return None


def person_hint(name: str, role: str | None, college: str | None) -> Classified | None:
    """A member that is a natural person, though no type column says so (personal data, kept out
    of public views): its name starts with a civility (« Mme Claire Martin ») or is a person's
    followed by a person's role (« Jeanne Dupuis (personne qualifiée) », :func:`person_role_in_name`),
    its role is one of a person (« personne qualifiée », « à titre individuel », « bénévole »),
    or its collège is one of persons (« Collège des personnes qualifiées », « Membres
    individuels », « Habitants »). Asked only of a row with no SIREN, SIRET or RNA (an
    organisation's)."""
    if civility_name(name):
        return Classified("person", "personne", "civility before the name")
    if split := person_role_in_name(name):
        return Classified("person", "personne", f"role {split[1]!r} after the name")
    if role and role_effect(role)[0].person:
        return Classified("person", "personne", f"role {role!r}")
    if college and _PERSONS_COLLEGE.search(fold(college)):
        return Classified("person", "personne", f"collège {college!r}")
    return None




_TRUE = {"oui", "o", "yes", "y", "x", "1", "vrai", "true", "ok"}
_FALSE = {"non", "n", "no", "0", "faux", "false", "-"}


#: Ticks as spreadsheets hold them (symbols, which folding would erase).
_TICKS = {"✓": True, "✔": True, "☑": True, "☒": True, "✅": True, "☐": False, "✗": False, "✘": False, "❌": False}


def yes_no(text: str) -> bool | None:
    """``oui``/``non``, ``yes``/``no``, ``x``, ``1``/``0``, a tick ``✓``/``☐``… → True/False; None otherwise.

    >>> [yes_no(x) for x in ("Oui", "non", "X", "✓", "☑", "☐", "peut-être")]
    [True, False, True, True, True, False, None]
    """
    t = text.strip()
    if t in _TICKS:
        return _TICKS[t]
    t = fold(t)
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    return None


# ---------------------------------------------------------------------------------------------
# roles

@dataclass(frozen=True)
class RoleEffect:
    """What a role says about the tie to the pôle."""

    tier: str | None = None
    member: bool = True
    carries: str | None = None  # function of a carries tie (structure_porteuse, cellule_animation)
    founded: bool = False
    funds: bool = False
    supports: bool = False
    person: bool = False  # the member is a natural person (personne qualifiée, membre à titre individuel)


#: (pattern on the fold()ed role, effect). Every matching rule applies; the tier is the first
#: one given; ``member=False`` (financeur, accompagnateur) wins: no membership is stated.
ROLE_RULES: list[tuple[str, RoleEffect]] = [
    (r"personnes? qualifiees?|personnes? physiques?|a titre individuel|\bindividuel(?:le)?s?\b|\bparticuliers?\b|"
     r"\bbenevoles?\b|natural person|\bindividual\b|^pq$|^habitante?s?$", RoleEffect(person=True)),
    (r"financ|funder|bailleur|\bfunding\b", RoleEffect(member=False, funds=True)),
    (r"accompagn|\bsoutien\b|\bsupport|\bappui\b|\bmentor", RoleEffect(member=False, supports=True)),
    (r"structure porteuse|\bporteu[rs]e?\b|\bporte\b|carrying|lead (?:organi[sz]ation|partner)|chef de file",
     RoleEffect(tier="socle", carries="structure_porteuse")),
    (r"cellule d animation|\banimat|coordinat", RoleEffect(tier="socle", carries="cellule_animation")),
    (r"fondat|founding|founder", RoleEffect(tier="socle", founded=True)),
    (r"\bsocle\b|\bnoyau\b|\bcoeur\b|\bcore\b", RoleEffect(tier="socle")),
    (r"partie prenante|stakeholder|observat|\binvite", RoleEffect(tier="partie_prenante")),
    (r"partenaire|partner|\bassociee?s?\b", RoleEffect(tier="partenaire_associe")),
    (r"adherent", RoleEffect(tier="adherent")),
    (r"\bmembres?\b|\bmembers?\b|\bactif\b|\bactive\b", RoleEffect(tier="membre")),
]
_ROLE_RULES = [(re.compile(p), e) for p, e in ROLE_RULES]


def roles_markdown() -> str:
    """The table of :data:`ROLE_RULES`, for the docs."""
    lines = ["| role words (regular expression on the folded role) | tier | ties to the pôle |", "|---|---|---|"]
    for pattern, e in ROLE_RULES:
        ties = (["membership"] if e.member else []) + ([f"carries ({e.carries})"] if e.carries else []) + \
               (["founded"] if e.founded else []) + (["funds"] if e.funds else []) + \
               (["supports"] if e.supports else []) + (["a natural person (personal data)"] if e.person else [])
        lines.append(f"| `{_md(pattern)}` | {e.tier or ''} | {', '.join(ties)} |")
    return "\n".join(lines)


def types_markdown() -> str:
    """The table of :data:`TYPE_RULES`, for the docs."""
    lines = ["| type or legal-form words (regular expression on the folded text) | family | kind |", "|---|---|---|"]
    for pattern, fam, kind in TYPE_RULES:
        lines.append(f"| `{_md(pattern)}` | `{fam}` | {f'`{kind}`' if kind else ''} |")
    return "\n".join(lines)


def role_effect(text: str | None) -> tuple[RoleEffect, bool]:
    """The combined effect of a role, and whether any rule recognised it."""
    if blank(text):
        return RoleEffect(), True
    t = fold(str(text))
    hits = [e for rx, e in _ROLE_RULES if rx.search(t)]
    if not hits:
        return RoleEffect(), False
    return RoleEffect(
        tier=next((e.tier for e in hits if e.tier), None),
        member=all(e.member for e in hits),
        carries=next((e.carries for e in hits if e.carries), None),
        founded=any(e.founded for e in hits),
        funds=any(e.funds for e in hits),
        supports=any(e.supports for e in hits),
        person=any(e.person for e in hits),
    ), True


# « Collège des fondateurs », « Collège 2 », « COLLÈGE A – Collectivités », « Collège : associations »;
# not « Collège Jean Moulin » (a school may be a member): after the word, a determiner, a number or
# a single letter, or punctuation.
_COLLEGE_HEADING = re.compile(r"^colleges?(?:$| (?:des|du|de la|de l|d|n|no|numero|[a-z]|\d+)(?: |$))")
_COLLEGE_PUNCT = re.compile(r"^\s*coll[èe]ges?\s*[:\-–—]", re.IGNORECASE)


# Words a heading grouping members is made of (« ASSOCIATIONS », « Partenaires financiers »,
# « Membres fondateurs », « Collectivités territoriales et EPCI »), none of which names one
# organisation alone; a heading needs at least one of the plural nouns (:data:`_GROUP_NOUNS`).
_GROUP_NOUNS = frozenset(
    "associations entreprises collectivites cooperatives fondations mutuelles structures acteurs organismes "
    "etablissements communes intercommunalites epci institutions societes scop scic partenaires financeurs "
    "membres adherents fondateurs invites observateurs usagers beneficiaires salaries benevoles "
    "personnes autres".split())
_GROUP_WORDS = _GROUP_NOUNS | frozenset(
    "de d des du la le l les et ou ess territoriales locales publiques publics privees prives economiques "
    "financiers institutionnels associes actifs qualifiees qualifies techniques honoraires d honneur "
    "bienfaiteurs sociales solidaires de l economie sociale et solidaire".split())


# A part of the territory a list is sorted by: « Secteur Nord », « ZONE SUD-EST », « Antenne 2 »
# (a word for a part, then only a point of the compass, a letter or a number).
_SECTOR_HEADING = re.compile(r"^(?:secteur|zone|territoire|bassin|antenne|delegation|site)s?(?: geographique)? "
                             r"(?:(?:nord|sud)(?: (?:est|ouest))?|est|ouest|centre|[a-z]|\d+)$")


def group_heading(text: str) -> bool:
    """Whether a cell alone on its row is a heading grouping the members below it by kind or
    circle (« ASSOCIATIONS », « Partenaires financiers ») rather than one organisation's name:
    every word is one of :data:`_GROUP_WORDS` and one at least a plural noun of :data:`_GROUP_NOUNS`;
    or by part of the territory, « Secteur Nord », « Zone 2 » (:data:`_SECTOR_HEADING`)."""
    t = fold(text)
    words = t.split()
    return bool(words) and ((all(w in _GROUP_WORDS for w in words) and any(w in _GROUP_NOUNS for w in words))
                            or bool(_SECTOR_HEADING.match(t)))


# The word after « Collège des / du / de la / de l' / d' » when written as a proper noun
# (« Collège des Bernardins », « Collège du Léman »: an institution, which may be a member).
_COLLEGE_OF = re.compile(r"^\s*coll[èe]ges?\s+(?:des|du|de\s+la|de\s+l['’]|d['’])\s*([^\W\d_][\w-]*)",
                         re.IGNORECASE)
# Whom a collège gathers, beyond :data:`_GROUP_WORDS` (« Collège des Producteurs »).
_COLLEGE_NOUNS = frozenset(
    "producteurs consommateurs habitants citoyens experts sympathisants soutiens porteurs professionnels elus "
    "chercheurs artisans agriculteurs commercants clients fournisseurs travailleurs parties prenantes collectifs "
    "amis createurs cooperateurs contributeurs garants acteurs".split())


def college_heading(text: str) -> bool:
    """Whether a cell alone on its row names a collège heading the members listed below it
    (the collèges de vote in which SCIC statutes and many associations group their members).

    Not when the word after « Collège des / du / de la » is written as a proper noun that names
    no group of members (« Collège des Bernardins », « Collège du Léman »: an institution); an
    acronym (« Collège de l'ESS »), a word of those groups however written (« Collège des
    Fondateurs ») or a heading in capitals (« COLLÈGE DES USAGERS ») stays a heading."""
    if not (_COLLEGE_HEADING.match(fold(text)) or _COLLEGE_PUNCT.match(text)):
        return False
    of = _COLLEGE_OF.match(text)
    if of is None or text.isupper():
        return True
    word = of.group(1)
    return not (word[0].isupper() and not word.isupper() and fold(word) not in _GROUP_WORDS | _COLLEGE_NOUNS)


# ---------------------------------------------------------------------------------------------
# places

@dataclass
class Located:
    location: str | None = None
    text: str | None = None
    warnings: list[tuple[str, str, str]] = field(default_factory=list)  # (field, value, reason)


def _geo():
    from maillage.geography import load_geography

    return load_geography()


def _commune_by_name(name: str) -> str | None:
    """The one commune (id) a name designates."""
    found = _geo().name_matches(name)
    ids = list(dict.fromkeys([*found.get("commune", []), *found.get("commune-alias", [])]))
    return ids[0] if len(ids) == 1 else None


def _by_postcode(code: str, commune: str | None) -> tuple[str | None, list[str]]:
    """(commune id decided by a postal code and a commune name, the code's communes)
    (:func:`maillage.geography.places.postal_code_commune`)."""
    geo = _geo()
    return postal_code_commune(geo, code, commune), postal_communes(geo, code)


_CEDEX = re.compile(r"\bcedex\b", re.I)


def _code_contradicted(cp: str, cands: list[str], commune: str) -> tuple[str | None, str] | None:
    """(the place, the reason said) when a postal code and a commune name contradict each other,
    as :func:`maillage.geography.places.postal_code_clash` decides for every loader: « 31000 » is
    Toulouse's, « Lyon » a commune of the Rhône (no place); « 31520 Toulouse » (Ramonville-Saint-Agne's
    code), the département both are in. None when they agree, or the name is no place the geography
    knows (« Toulous »: the code decides)."""
    clash = postal_code_clash(_geo(), cands, commune)
    return None if clash is None else _clash_said(cp, cands, clash)


def _clash_said(cp: str, cands: list[str], clash: Clash) -> tuple[str | None, str]:
    """(the place, the reason said) of the clash of postal code ``cp`` (communes ``cands``) and the
    name ``clash.name`` (:func:`maillage.geography.places.postal_code_clash`)."""
    geo = _geo()
    commune = clash.name

    def dep(i: str) -> str:
        return i.split(":")[1] if i.startswith("departement:") else geo.rollup(i)["departement"].split(":")[1]

    named = [i for i in clash.named if i.startswith("commune:")] or list(clash.named)  # « Lot »: the département
    cp_deps = sorted({dep(c) for c in cands})
    named_deps = sorted({dep(c) for c in named})
    # « Toulouse, 31 », « 4 communes, 29 »; « Lyon, 69 », « 12 communes, 01, 38, 42, 69, … »
    code = f"{geo.get(cands[0]).name if len(cands) == 1 else f'{len(cands)} communes'}, {', '.join(cp_deps)}"
    name = (f"{geo.get(named[0]).name if len(named) == 1 else f'{len(named)} communes'}, "
            f"{', '.join(named_deps[:4])}{', …' if len(named_deps) > 4 else ''}")
    expected = f"expected a commune of postal code {cp}, or the postal code of {commune!r}"
    if clash.place:
        return (clash.place, f"postal code {cp} ({code}) and {commune!r} ({name}) contradict each other: "
                             f"placed in the département {dep(clash.place)} only, which both are in; {expected}")
    return None, (f"postal code {cp} ({code}) and {commune!r} ({name}) contradict each other, in different "
                  f"départements: no place given; {expected}")


def locate(insee: str | None, postcode: str | None, commune: str | None,
           columns: dict[str, str] | None = None) -> Located:
    """Where an actor is, from an INSEE code, a postal code and a commune name (module docstring).

    >>> locate("29151", "29600.0", "MORLAIX").location
    'commune:29151'
    >>> locate(None, "29600", None).location   # four communes: their EPCI
    'epci:242900835'
    >>> locate(None, "31040", "TOULOUSE CEDEX 9").location   # a CEDEX code: the name decides
    'commune:31555'
    >>> locate(None, "91302", "MASSY").location   # the same, without the word: Massy of the Essonne
    'commune:91377'
    >>> locate(None, None, "31000;Lyon").location is None   # Toulouse's code, Lyon's name: no place, a warning
    True
    """
    out = Located()
    insee, postcode, commune = ((None if blank(x) else str(x).strip()) for x in (insee, postcode, commune))
    geo = _geo()
    cell = said = None  # the field of a cell holding both a postal code and a commune (« 31000;Lyon »), its value
    if commune and not postcode and (both := postal_code_and_name(geo, commune)):
        cell, said, (postcode, commune) = "commune", commune, both
    elif postcode and not commune and (both := postal_code_and_name(geo, postcode)):
        cell, said, (postcode, commune) = "postcode", postcode, both
    elif postcode and not commune and code_and_name(postcode):  # « 31000 Toulouse et Blagnac », « 15000 euros »
        cell, said, (postcode, commune) = "postcode", postcode, (None, postcode)  # read as in a commune cell
    elif postcode and commune and not geo.name_matches(commune) and len(read_place(geo, commune)[0]) > 1:
        # « 31000 » and « Toulouse et Blagnac »: several places, the two cells read as one text (kept whole)
        cell, said, (postcode, commune) = "commune", commune, (None, f"{postcode} {commune}")
        out.text = commune
    out.text = out.text or said
    _locate(out, insee, postcode, commune, columns or {})
    if cell:  # what is said of the postal code or the name is said of the cell holding both
        out.warnings = [(cell if f in ("postcode", "commune") else f, said if f in ("postcode", "commune") else v,
                         why) for f, v, why in out.warnings]
    return out


def _not_its_name(commune: str, tid: str, cp: str) -> str | None:
    """What is said of ``commune`` written beside postal code ``cp`` of commune ``tid``, none of whose
    names it is: nothing when it is whole words of one of them (« Courcouronnes » for Évry-Courcouronnes,
    which carries the name of the commune merged into it; « Hainneville », a part of the commune
    déléguée Équeurdreville-Hainneville: names that addresses still write, nothing to correct);
    near a former name (« EQUEURDREVILLE-HAINNEVIL », cut), that one; else a typo, perhaps
    (:meth:`~maillage.geography.reference.Geography.commune_names`)."""
    from rapidfuzz import fuzz

    from maillage.geography import normalize_name

    geo = _geo()
    key, names = normalize_name(commune), geo.commune_names(tid)
    if len(key) >= 4 and any(f" {key} " in f" {normalize_name(n)} " for n in names):
        return None
    ratio = {n: fuzz.partial_ratio(key, normalize_name(n)) for n in names}
    near = max(names[1:], key=ratio.__getitem__, default=None)
    of = f"the commune of postal code {cp}: located there by the code"
    if near and ratio[near] >= _NEAR and ratio[near] > ratio[names[0]]:
        return f"{commune!r} is near a former name of {names[0]} ({near}), {of}"
    return f"{commune!r} is not the name of {names[0]}, {of} (a typo?)"


def _unknown_code_said(out: Located, postcode: str, cp: str, commune: str | None, said: int) -> None:
    """The warning, if any, of a postal code the geography does not know, once the commune's name has
    placed the member or not (:func:`_by_name`): none when the name places it in a département the
    code's digits say (a CEDEX code written without the word: « 91302 » and « MASSY »); a contradiction
    when they say another (« 75700 » and « Lyon »): no place, as for a code the geography knows."""
    geo = _geo()
    if len(out.warnings) > said:  # the name said something of its own (a clash in one cell, several places…)
        out.warnings.insert(said, ("postcode", postcode, f"postal code {cp} is not in the reference geography"))
        return
    deps = code_departements(geo, cp)
    place = out.location
    if place and deps and any(geo.contains(f"departement:{d}", place) for d in deps):
        return
    if place and deps:
        t = geo.get(place)
        t_deps = sorted({geo.rollup(c)["departement"].split(":")[1] for c in geo.communes_of(place)})
        out.location = None
        out.warnings.append(("commune", commune or "", (
            f"postal code {cp} (département {', '.join(sorted(deps))}) and {commune!r} ({t.name}, {', '.join(t_deps)}) "
            f"contradict each other: no place given; the code is not in the reference geography; expected the "
            f"postal code of {commune!r}")))
    elif place:
        out.warnings.append(("postcode", postcode, f"postal code {cp} is not in the reference geography: located by "
                                                   f"the commune's name {commune!r}"))
    elif commune:
        out.warnings.append(("postcode", postcode, f"postal code {cp} is not in the reference geography, and "
                                                   f"{commune!r} does not designate one commune: no place given"))
    else:
        out.warnings.append(("postcode", postcode, f"postal code {cp} is not in the reference geography: no place "
                                                   "given"))


def _several_said(text: str, places: list[str], place: str | None) -> str:
    """The reason said of a text naming several ``places``, the member placed in ``place``
    (:func:`maillage.geography.places.one_place`)."""
    geo = _geo()
    named = f"{text!r} names {len(places)} places ({', '.join(geo.get(p).name for p in places)})"
    if place:
        return f"{named}: placed in {geo.get(place).name} ({place}), which holds them all"
    return f"{named}: no EPCI nor département holds them all: no place given; give one commune"


def _locate(out: Located, insee: str | None, postcode: str | None, commune: str | None,
            columns: dict[str, str]) -> None:
    """:func:`locate`, once a cell holding both a postal code and a commune is read as both."""
    geo = _geo()
    # « TOULOUSE CEDEX 9 », « Lyon 3ème »: the geography reads the names addresses write
    # (geography.names.address_form); a CEDEX code is a sorting office's, not a postal code it knows
    cedex = bool(commune and _CEDEX.search(commune))
    written = [x for x in (postcode, commune) if x]
    cp = postal_code(postcode) if postcode else None
    if postcode and not cp:
        out.warnings.append(("postcode", postcode, f"{postcode!r} is not a French postal code (5 digits)"))
    if cp:
        written[0] = cp
    out.text = out.text or " ".join(written) or (insee or None)
    if insee:
        code = insee_commune(insee)
        t = geo.get(code) if code else None
        if t is None:
            out.warnings.append(("insee", insee, f"{insee!r} is not an INSEE commune code of the reference "
                                                 "geography: located by postal code and commune instead"))
        else:
            if cp and cp not in t.postal_codes:
                alt, cands = _by_postcode(cp, commune)
                if alt and commune and _code_contradicted(cp, cands, commune):
                    alt = None  # « 31000 » and « Lyon » disagree: they designate no one place against the INSEE code
                if alt and alt != t.id:
                    out.warnings.append((
                        "insee", insee,
                        f"INSEE code {insee} ({t.name}) contradicts {columns.get('postcode', 'postal code')} {cp}"
                        f"{' and ' + repr(commune) + ', which designate' if commune else ', which designates'} "
                        f"{geo.get(alt).name} ({alt}): located there"))
                    out.location = alt
                    return
                out.warnings.append(("postcode", postcode or "",
                                     f"postal code {cp} is not one of {t.name}'s ({', '.join(t.postal_codes)}): "
                                     f"located by the INSEE code {insee}"))
            out.location = t.id
            return
    if cp:
        tid, cands = _by_postcode(cp, commune)
        if commune and cands and (clash := _code_contradicted(cp, cands, commune)):
            out.location = clash[0]  # « 31000 » and « Lyon »: not Toulouse without a word
            out.warnings.append(("commune", commune, clash[1]))
            return
        if tid:
            if commune and not cedex and not geo.name_matches(commune) and not communes_written_as(geo, commune, cands):
                if (why := _not_its_name(commune, tid, cp)) is not None:
                    out.warnings.append(("commune", commune, why))
            out.location = tid
            return
        if not cands and not cedex:  # a CEDEX code is a sorting office's, not in the geography: the name decides
            said = len(out.warnings)
            _by_name(out, cp, commune)
            _unknown_code_said(out, postcode or "", cp, commune, said)
            return
        if commune and cands:
            out.warnings.append(("commune", commune, f"{commune!r} is not one of the communes of postal code {cp}"))
        if cands:
            out.location = common_territory(geo, cands)
            return
    if commune:
        _by_name(out, cp, commune, cedex)


def _by_name(out: Located, cp: str | None, commune: str | None, cedex: bool = False) -> None:
    """:func:`_locate` by the commune's name (and a postal code that has no commune of the geography)."""
    geo = _geo()
    if commune:
        tid = _commune_by_name(commune)
        if tid is None:  # « Toulouse, 31520, Haute-Garonne »: said as its two columns would be
            # a code the geography does not know, a CEDEX one (« 77455 » and « MARNE LA VALLEE CEDEX 2 », « 91302 »
            # and « MASSY » without the word), still says its département: Massy of the Essonne, not of the Saône-et-Loire
            places, clash = read_place(geo, f"{cp} {commune}" if cp else commune)
            ids = [t.id for t in places]
            tid = one_place(geo, ids)  # « Toulouse et Blagnac »: Toulouse Métropole, which holds both
            if clash:
                out.warnings.append(("commune", commune, _clash_said(clash.code, postal_communes(geo, clash.code),
                                                                   clash)[1]))
                out.location = tid
                return
            if len(ids) > 1:
                out.warnings.append(("commune", commune, _several_said(commune, ids, tid)))
                out.location = tid
                return
            both = None if ids else code_and_name(commune)
            if both and (cands := postal_communes(geo, both[0])):  # « 15000 Euros »: an amount
                names = ", ".join(geo.get(c).name for c in cands[:4]) + (", …" if len(cands) > 4 else "")
                out.warnings.append(("commune", commune, f"{commune!r} is not a place: {both[1]!r} is no name near "
                                                         f"those of the communes of postal code {both[0]} ({names})"))
                return
        out.location = tid
        # « 77455 » and « MARNE LA VALLEE CEDEX 2 »: placed in the CEDEX code's département, still no commune
        if (tid is None and (not cp or cedex)) or (cedex and tid and not tid.startswith("commune:")):
            out.warnings.append(("commune", commune, f"{commune!r} does not designate one commune "
                                                     "(unknown or homonyms): give a postal code or an INSEE code"))


_COLLECTIVITE_PREFIX = re.compile(r"^(?:mairie|ville|commune)\s+(?:de\s+la|de|du|des|d)\s+"
                                  r"|^(?:mairie|ville|commune)\s+d'",
                                  re.I)


def epci_by_its_name(name: str) -> str | None:
    """The EPCI or EPT whose whole name ``name`` is (« Toulouse Métropole », « Plaine Commune »),
    current or former (« Grand Toulouse »: the same établissement,
    :data:`maillage.geography.names.FORMER_EPCI_NAMES`), or None. Its bare core (« Sicoval »)
    is not enough: an association may bear it.

    >>> epci_by_its_name("TOULOUSE METROPOLE"), epci_by_its_name("Grand Toulouse"), epci_by_its_name("Sicoval")
    ('epci:243100518', 'epci:243100518', None)
    """
    from maillage.geography.names import FORMER_EPCI_NAMES, epci_full_key

    key = epci_full_key(name)
    found = set()
    for t in _geo().by_name(name):
        if t.level in ("epci", "ept") and key in {epci_full_key(t.name), *(
                epci_full_key(f) for f, siren in FORMER_EPCI_NAMES.items() if siren == t.code)}:
            found.add(t.id)
    return found.pop() if len(found) == 1 else None


def collectivite_territory(name: str, kind: str | None, near: str | None = None) -> str | None:
    """The territory a collectivité named ``name`` administers ("Ville de Chambéry" →
    ``commune:73065``), using ``near`` (a commune id where the row's place is) to choose between
    homonyms and to recognise a loosely written name of the nearby commune or EPCI."""
    from rapidfuzz import fuzz

    from maillage.geography import normalize_name

    geo = _geo()
    near_t = geo.get(near) if near else None
    near_roll = geo.rollup(near_t.id) if near_t is not None and near_t.level == "commune" else {}

    def core(text: str) -> str:
        k = normalize_name(text)
        k = re.sub(r"^(?:mairie|ville|commune|communaute (?:de communes?|d agglomeration)|cc|ca|cu|metropole)\s+", "",
                   k)
        return " ".join(w for w in k.split() if w not in {"de", "du", "des", "d", "et", "en"})

    if kind == "commune":
        rest = _COLLECTIVITE_PREFIX.sub("", name.strip())
        ids = [t.id for t in geo.by_name(rest, level="commune")]
        if len(ids) > 1 and near_roll.get("departement"):
            ids = [i for i in ids if geo.rollup(i)["departement"] == near_roll["departement"]]
        if len(ids) == 1:
            return ids[0]
        if near_t is not None and fuzz.token_set_ratio(core(rest), core(near_t.name)) >= 90:
            return near_t.id
        return None
    if kind in ("departement", "region"):
        rest = re.sub(r"^(?:conseil (?:departemental|general|regional)|departement|region|collectivite "
                      r"(?:territoriale|europeenne)?)\s*(?:de la|de l|du|des|de|d)?\s+", "", fold(name))
        ids = [t.id for t in geo.by_name(name, level=kind) or geo.by_name(rest, level=kind)]
        if len(ids) != 1:
            return None
        # Only today's name: "Région Lorraine" is located in Grand Est but does not administer
        # it, and two former régions must not both become "the collectivité of region:44".
        own = normalize_name(geo.get(ids[0]).name)
        return ids[0] if own in (normalize_name(rest), normalize_name(name)) else None
    if kind == "epci":
        ids = [t.id for t in geo.by_name(name, level="epci")]
        if len(ids) > 1 and near_roll.get("departement"):
            ids = [i for i in ids if any(geo.rollup(c)["departement"] == near_roll["departement"]
                                         for c in geo.communes_of(i))]
        if len(ids) == 1:
            return ids[0]
        epci = near_roll.get("epci")
        if epci and fuzz.token_set_ratio(core(name), core(geo.get(epci).name)) >= 90:
            return epci
    return None


# ---------------------------------------------------------------------------------------------
# reading rows into actors

def clean_name(text: str | None) -> str:
    """A name as written, with HTML entities decoded (``Escale &amp; CO``) and spaces collapsed."""
    if blank(text):
        return ""
    s = str(text)
    if "&" in s and ";" in s:
        s = html.unescape(s)
    return re.sub(r"\s+", " ", s).strip()


_TRAILING_ARTICLE = re.compile(r"^(?P<name>.+?)\s*\((?P<art>les|le|la|l['’])\)$", re.I)


def article_alias(name: str) -> str | None:
    """Catalogue names put the article last: ``KazLab (La)`` → ``La KazLab``."""
    m = _TRAILING_ARTICLE.match(name)
    if not m:
        return None
    art = m["art"]
    art = art[0].upper() + art[1:].lower()
    return f"{art}{m['name']}" if art.endswith(("'", "’")) else f"{art} {m['name']}"


def _norm_id(text: str) -> str:
    s = str(text).strip()
    if m := re.fullmatch(r"(-?\d+)[.,]0+", s):
        s = m[1]
    return s


@dataclass
class RowActor:
    """An actor read from a row, with the warnings (field, value, reason) about its cells."""

    actor: Actor
    warnings: list[tuple[str, str, str]] = field(default_factory=list)
    carrier: Actor | None = None
    carries_pole: bool = False
    name_role: str = ""  # a person's role written after the name (« personne qualifiée »), taken off it


class ActorReader:
    """Turns rows of a table into actors: the shared engine of the members, places and Kumu
    (Elements sheet) formats.

    ``default``: what an actor is when nothing says (family, kind); when it is not ``other`` (a
    list of places), only a type column changes it. ``unknown_type_warns``: a type cell that says
    nothing known is a warning rather than silently ``default``, pointing to ``doc``.
    ``identifiers_to_carrier``: the row's SIREN/SIRET/RNA belong to its structure porteuse when
    one is named (a list of *places*: a tiers-lieu is not a legal unit, its structure is)."""

    def __init__(self, table: Table, source: Source, fields: dict[str, int], *,
                 default: tuple[str, str | None] = ("other", "non_precise"),
                 unknown_type_warns: bool = True, identifiers_to_carrier: bool = False,
                 locator: Callable[[int], str] = lambda n: f"row {n}", key_prefix: str = "",
                 doc: str = "docs/formats/members.md"):
        self.table = table
        self.source = source
        self.fields = fields
        self.default = default
        self.unknown_type_warns = unknown_type_warns
        self.identifiers_to_carrier = identifiers_to_carrier
        self.locator = locator
        self.key_prefix = key_prefix
        self.doc = doc
        self.carrier_is_flag = self._carrier_is_flag()

    # -- places -------------------------------------------------------------------------------
    @cached_property
    def _home_departement(self) -> str | None:
        """The département where more than half of the list's located rows are (computed once,
        when a commune name first needs it), else None."""
        geo, counts = _geo(), Counter()
        for row in self.table.rows:
            loc = locate(self.get(row, "insee"), self.get(row, "postcode"), self.get(row, "commune"))
            if loc.location and loc.location.startswith("commune:"):
                counts[geo.rollup(loc.location)["departement"]] += 1
        top = counts.most_common(1)
        return top[0][0] if top and top[0][0] and 2 * top[0][1] > sum(counts.values()) else None

    def _homonym_by_list(self, loc: Located) -> None:
        """« Gourdon » names a commune of the Lot and one of the Alpes-Maritimes: when the list's
        other members are mostly in one département and exactly one homonym lies in it, the
        member is placed there, with a warning that says so (a postal code would settle it)."""
        field_, commune, _ = loc.warnings[-1]
        home = self._home_departement
        if home is None:
            return
        geo = _geo()
        found = geo.name_matches(commune)
        ids = [i for i in dict.fromkeys([*found.get("commune", []), *found.get("commune-alias", [])])
               if geo.rollup(i)["departement"] == home]
        if len(ids) != 1:
            return
        loc.location = ids[0]
        loc.warnings[-1] = (field_, commune, f"{commune!r} names several communes: {geo.get(ids[0]).name} "
                                             f"({home.split(':')[1]}) kept, in the département of most of the "
                                             "list's members; give a postal code to be sure")

    # -- cells --------------------------------------------------------------------------------
    def column(self, f: str) -> str:
        """The header of the column holding field ``f`` (for messages)."""
        i = self.fields.get(f)
        return self.table.columns[i] if i is not None else f

    def get(self, row: Row, f: str) -> str:
        i = self.fields.get(f)
        if i is None:
            return ""
        v = row.cells[i]
        return "" if blank(v) else v.strip()

    def _carrier_is_flag(self) -> bool:
        """A structure porteuse column holding yes/no values marks rows, it names nobody."""
        if "carrier" not in self.fields:
            return False
        values = [self.get(r, "carrier") for r in self.table.rows]
        values = [v for v in values if v]
        return bool(values) and all(yes_no(v) is not None for v in values)

    # -- identifiers --------------------------------------------------------------------------
    def identifiers(self, row: Row, fields: tuple[str, ...], warnings: list) -> list[Identifier]:
        found: dict[str, str] = {}
        for f in fields:
            raw = self.get(row, f)
            if not raw:
                continue
            if f == "rna":
                rna, note = rna_identifier(raw)
                if note:
                    warnings.append((f, raw, note))
                if rna:
                    found["rna"] = rna
                continue
            cid = company_identifier(raw)
            if cid.note:
                warnings.append((f, raw, cid.note))
            if cid.siren and found.get("siren") and found["siren"] != cid.siren:
                warnings.append((f, raw, f"SIREN {cid.siren} differs from SIREN {found['siren']} of the same row: "
                                         f"{cid.siren} dropped"))
                continue
            if cid.siren:
                found["siren"] = cid.siren
            if cid.siret:
                found["siret"] = cid.siret
        return [Identifier(scheme=s, value=v) for s, v in found.items()]

    # -- the actor ----------------------------------------------------------------------------
    def what(self, row: Row, name: str, identifiers: list[Identifier], warnings: list,
             college: str | None = None) -> Classified:
        type_text, form_text = self.get(row, "type"), self.get(row, "legal_form")
        got = classify(type_text)
        unknown_type = got is None and bool(type_text)
        # a list of places says what its rows are: only a type column changes that (a legal form
        # or a "SCIC …" name describes the organisation that runs the place)
        organisations = self.default[0] == "other"
        if got is None and organisations:
            got = classify(form_text)
        if got is None and organisations and not identifiers:  # personal data: said before any name rule
            got = person_hint(name, self.get(row, "role"), college)
        if got is None and organisations:
            got = classify_name(name, next((i.value for i in identifiers if i.scheme == "siren"), None))
        if got is None and organisations:
            siren = next((i.value for i in identifiers if i.scheme == "siren"), None)
            t = _geo().by_siren(siren) if siren else None
            if t is not None and t.level in ("commune", "epci", "ept"):
                got = Classified("collectivite", "commune" if t.level == "commune" else "epci",
                                 f"SIREN of {t.id} in the reference geography")
        if got is None and organisations and not identifiers and (t := epci_by_its_name(name)):
            got = Classified("collectivite", "epci", f"the whole name of {t} in the reference geography")
        if got is None or (got.family == "other" and self.default[0] != "other" and not type_text):
            got = Classified(self.default[0], self.default[1], "default")
        if got.kind is None:  # "Collectivité" + "Région Occitanie": the name gives the kind
            by_name = classify_name(name)
            if by_name is not None and by_name.family == got.family:
                got = Classified(got.family, by_name.kind, f"{got.rule}; kind from the name")
            elif by_name is not None and got.family == "state" and by_name.family in PUBLIC_BODY_FAMILIES:
                # "Établissement public" + "Lycée agricole d'Auzeville": which public body, the name says
                got = Classified(by_name.family, by_name.kind, f"{got.rule}; a public body, {by_name.rule}")
        if unknown_type and self.unknown_type_warns:
            label = vocabulary().family(got.family).labels.get("en", got.family)
            warnings.append(("type", type_text, f"type {type_text!r} is not a family or kind of the vocabulary "
                                                f"(see {self.doc}): loaded as {label!r}"))
        return got

    def read(self, row: Row, key: str, name: str, college: str | None = None) -> RowActor:
        """The actor a row describes (``name`` already checked non-blank); ``college``: the
        collège it is listed in, by its cell or a heading above it."""
        warnings: list[tuple[str, str, str]] = []
        carrier_name = "" if self.carrier_is_flag else clean_name(self.get(row, "carrier"))
        if carrier_name and name_key(carrier_name) == name_key(name):
            carrier_name = ""  # the place is its own structure (France Tiers-Lieux: "Cycle²" / "Cycle²")
        idents = self.identifiers(row, ("siret", "siren", "rna"), warnings)
        carrier_idents = self.identifiers(row, ("carrier_siren",), warnings)
        loc = locate(self.get(row, "insee"), self.get(row, "postcode"), self.get(row, "commune"),
                     {f: self.column(f) for f in ("insee", "postcode", "commune")})
        if loc.location is None and loc.warnings and loc.warnings[-1][0] == "commune":
            self._homonym_by_list(loc)

        carrier_what = carrier_territory = None
        if carrier_name:
            # the SIREN of its own column says what it is; the row's (a list of places) may be the place's
            stated = next((i.value for i in carrier_idents if i.scheme == "siren"), None)
            carrier_what = classify_name(carrier_name, stated) or Classified("other", "non_precise", "default")
            if carrier_what.family == "collectivite":
                carrier_territory = collectivite_territory(carrier_name, carrier_what.kind, loc.location)
            if self.identifiers_to_carrier:
                carrier_idents, idents = carrier_idents + idents, []
            carrier_idents, refused = self._own_identifiers(carrier_name, carrier_what, carrier_territory,
                                                            carrier_idents)
            for ident in refused:
                where = "kept on the place" if self.identifiers_to_carrier else "dropped"
                warnings.append(("carrier_siren" if not self.identifiers_to_carrier else ident.scheme, ident.value,
                                 f"{ident.scheme.upper()} {ident.value} is not the SIREN of the collectivité "
                                 f"{carrier_name!r}: {where}"))
                if self.identifiers_to_carrier:
                    idents.append(ident)
        elif carrier_idents:
            warnings.append(("carrier_siren", self.get(row, "carrier_siren"),
                             "an identifier of a structure porteuse, but no structure porteuse named: dropped"))

        what = self.what(row, name, idents, warnings, college)
        person = vocabulary().family(what.family).personal_data
        name_role = ""
        if person:
            loc = Located()
            if split := person_role_in_name(name):  # « Jeanne Dupuis (personne qualifiée) »: her name, her role
                name, name_role = split
        warnings += loc.warnings
        prov = Provenance(source=self.source.id, locator=self.locator(row.number), certainty="stated")
        legal_form = self.get(row, "legal_form") or legal_form_in_name(name)
        ess_text = self.get(row, "ess")
        ess = yes_no(ess_text) if ess_text else None
        if ess is None and ess_text:
            warnings.append(("ess", ess_text, "expected oui/non (yes/no): ESS status left unknown"))
        if ess is None and what.kind in ESS_BY_STATUS:
            ess = True
        facts = []
        if not person:
            for f, label in (("description", "Description"), ("website", "Site web"), ("tags", "Tags")):
                if v := self.get(row, f):
                    facts.append(f"{label} : {v}")
        territory = None
        if what.family == "collectivite":
            territory = collectivite_territory(name, what.kind, loc.location)
            if territory and not loc.location:
                loc.location = territory
        alias = None if person else clean_name(self.get(row, "alias"))  # a person's other name is not kept
        aliases = [a for a in dict.fromkeys((article_alias(name), alias)) if a and name_key(a) != name_key(name)]
        data = dict(key=key, name=name, aliases=aliases, family=what.family,
                    kind=what.kind, legal_form=None if person else legal_form,
                    identifiers=[] if person else idents, location=loc.location,
                    location_text=None if person else loc.text, territory=territory,
                    ess=None if person else ess, facts=facts, provenance=prov)
        actor = Actor.model_validate(data)

        carrier = None
        if carrier_name:
            ckey = "carrier:" + (next((i.value for i in carrier_idents if i.scheme == "siren"), None)
                                 or name_key(carrier_name))
            cf = carrier_what
            carrier = Actor(key=self.key_prefix + ckey, name=carrier_name, family=cf.family, kind=cf.kind,
                            legal_form=legal_form_in_name(carrier_name) if cf.family != "collectivite" else None,
                            identifiers=carrier_idents, location=carrier_territory, territory=carrier_territory,
                            ess=True if cf.kind in ESS_BY_STATUS else None,
                            aliases=[a for a in [article_alias(carrier_name)] if a], provenance=prov)
        carries_pole = bool(self.carrier_is_flag and yes_no(self.get(row, "carrier")))
        return RowActor(actor, warnings, carrier, carries_pole, name_role)

    @staticmethod
    def _own_identifiers(name: str, what: Classified, territory: str | None,
                         idents: list[Identifier]) -> tuple[list[Identifier], list[Identifier]]:
        """(identifiers an organisation can hold, the others): a collectivité's SIREN is the one the
        reference geography gives it, and no other."""
        if what.family != "collectivite" or not idents:
            return idents, []
        t = _geo().get(territory) if territory else None
        known = t.siren if t is not None else None
        mine = [i for i in idents if i.scheme in ("siren", "siret") and known and i.value[:9] == known]
        return mine, [i for i in idents if i not in mine]


def actor_key(reader: ActorReader, row: Row, name: str, actor_ids: list[Identifier], location: str | None) -> str:
    """A key stable across reloads: the file's id, else a SIREN/RNA, else name + place."""
    if ident := reader.get(row, "id"):
        return reader.key_prefix + "id:" + _norm_id(ident)
    for scheme in ("siren", "rna"):
        v = next((i.value for i in actor_ids if i.scheme == scheme), None)
        if v:
            return reader.key_prefix + f"{scheme}:{v}"
    return reader.key_prefix + "name:" + name_key(name) + (f"@{location}" if location else "")


# ---------------------------------------------------------------------------------------------
# sniffing

def head_tables(path: Path, head: bytes, limit: int = 20, sheets: int = 10) -> list[list[list[str]]]:
    """The first rows of a CSV (from ``head``), or of each of the first sheets of a spreadsheet,
    for ``sniff``."""
    import csv
    import io

    kind = file_kind(path) if path.suffix.lower() in SPREADSHEET_SUFFIXES else "text"
    if kind == "html" or path.suffix.lower() in DOCUMENT_SUFFIXES:  # a web page's or a document's table
        try:
            t = read_table(path)
        except LoadError:
            return []
        return [[t.columns, *(r.cells for r in t.rows[:limit])]]
    if kind == "spreadsheet":
        try:
            from python_calamine import CalamineWorkbook

            from ..archives import check_spreadsheet

            check_spreadsheet(path)  # a bomb must not reach calamine, even to be sniffed
            wb = CalamineWorkbook.from_path(str(path))
            out = []
            for i in range(min(len(wb.sheet_names), sheets)):
                rows = wb.get_sheet_by_index(i).to_python(nrows=limit)
                out.append([[str(c) for c in r] for r in rows])
            return out
        except Exception:  # noqa: BLE001 - any unreadable workbook is simply not ours
            return []
    if kind != "text" or path.suffix.lower() not in (".csv", ".txt", ".tsv", "", *SPREADSHEET_SUFFIXES):
        return []
    text = utf16_head(head)
    if text is None:
        if b"\x00" in head[:4096]:
            return []
        body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as e:
            text = body[:e.start].decode("utf-8") if e.start > len(body) - 4 else body.decode("cp1252", "replace")
    lines = text.splitlines()[: limit + 1]
    if len(lines) > 1 and len(head) >= 64 * 1024:
        lines = lines[:-1]  # the last line may be cut
    sample = "\n".join(lines)
    try:
        return [list(csv.reader(io.StringIO(sample), delimiter=sniff_delimiter(sample)))[:limit]]
    except csv.Error:
        return []


def header_fields(cells: list[str], fields: dict[str, tuple[str, ...]] = FIELDS) -> dict[str, int]:
    """``{field: column index}`` for a candidate header row (as :meth:`Table.index` does)."""
    folded: dict[str, int] = {}
    for i, c in enumerate(cells):
        folded.setdefault(header_key(str(c)), i)
    if any(k in folded for k in ("prenom", "first name", "firstname")):
        fields = {**fields, "name": tuple(a for a in fields["name"] if a not in ("nom", "name"))}
    out = {}
    for f, aliases in fields.items():
        i = column_of(folded, aliases)
        if i is not None:
            out[f] = i
    return out


def misread_header(table: Table, idx: dict[str, int], fields: dict[str, tuple[str, ...]] = FIELDS) -> list[str] | None:
    """The header above the row taken for it, when a member's row was taken for the header — or None.

    The header is the row naming the most columns, a name column counting most; a list whose
    name column has a header not recognised (« Nom de l'adhérent ») has none, and a member's row
    whose role cell reads « membre » (a name column's header) was taken for it: its rows above
    lost, the others loaded under the wrong columns. A row above the one taken, naming at least
    two columns and no fewer than it, is the header: its cells are returned (the load then says
    that no column holds the names, and how to name it)."""
    if "name" not in idx:
        return None
    for _, cells in table.above:
        got = header_fields(cells, fields)
        if "name" not in got and len(got) >= 2 and len(got) >= len(idx):
            return [c.strip() for c in cells if c.strip()]
    return None


def find_header(rows: list[list[str]],
                fields: dict[str, tuple[str, ...]] = FIELDS) -> tuple[int, dict[str, int]] | None:
    """(index, fields) of the first row with a name column, or None."""
    for i, r in enumerate(rows):
        got = header_fields(r, fields)
        if "name" in got:
            return i, got
    return None


# ---------------------------------------------------------------------------------------------
# the loader

#: Rows of a workbook's k-th sheet read are numbered k × this + their row (a sheet holds at most
#: 1,048,576 rows): one numbering for the file, shown back as « Sheet!row n ».
SHEET_ROW_OFFSET = 10_000_000
#: Sheet names (folded) that say a sheet is not the current list, left out when another is read.
SHEETS_NOT_THE_LIST = re.compile(
    r"\b(?:anciens?|anciennes?|sortants?|sorties?|radies?|radiees?|demission\w*|archives?|historique|old|former|"
    r"copie|copy|brouillon|draft|tests?|modele|template|exemples?|example|legende|instructions?|notice|mode "
    r"d emploi|lisez moi|readme|aide|help|contacts?|prospects?|candidat\w*|pistes?|relances?|a contacter|"
    r"liste d attente)\b")


class MemberListLoader(Loader):
    """A pôle's member list (see the module docstring)."""

    name = "members"
    description = "a pôle's member list (CSV/XLSX/ODS; French or English headers; --pole names the pôle)"
    priority = 90
    #: --pole, --year, the sheet to read and the header of each field's column (``column.name``…)
    options = frozenset({"pole", "sheet", "year", *(f"column.{f}" for f in FIELDS)})
    default: tuple[str, str | None] = ("other", "non_precise")
    identifiers_to_carrier = False
    row_word = "member"
    warn_actors_only = True  # a member list without a pôle is unusual: say so on its first row

    def notes_after_resolution(self, done: Resolved) -> tuple[list[str], list[str]]:
        """First a pôle new to the store but close to a known one (a misspelling?,
        :func:`~maillage.loaders.member_notes.new_pole_notes`) and, loaded again, the members its earlier load had that it no
        longer has (:func:`~maillage.loaders.member_notes.members_gone`); last how the list's
        memberships are read beside the pôle's other lists (its year:
        :func:`~maillage.loaders.member_notes.member_list_notes`)."""
        from maillage.loaders.member_notes import member_list_notes, members_gone, new_pole_notes

        sid = done.source.id
        new = new_pole_notes(done.store, sid, done.file, done.options, done.statements, done.proposals,
                             done.source.meta)
        gone = members_gone(done.store, sid, done.relations, done.statements, done.policy, done.kept) \
            if done.loaded_before else []
        said = member_list_notes(done.store, sid, done.name, self.name, done.relations, done.statements,
                                 done.source.meta.get("years") or [])
        return [*new, *gone], said

    def sniff(self, path: Path, head: bytes) -> bool:
        return any(find_header(rows) is not None for rows in head_tables(path, head))

    # -- reading ------------------------------------------------------------------------------
    def _aliases(self, options: dict[str, Any]) -> dict[str, tuple[str, ...]]:
        fields = dict(FIELDS)
        for k, v in options.items():
            if k.startswith("column."):
                f = k.removeprefix("column.")
                fields[f] = (str(v),)
        return fields

    def read(self, path: Path, options: dict[str, Any]) -> tuple[Table, dict[str, int]]:
        aliases = self._aliases(options)

        def score(cols: list[str]) -> int:
            got = header_fields(cols, aliases)
            return len(got) + (10 if "name" in got else 0)

        sheets: list[str | None] = [options.get("sheet")]
        if options.get("sheet") is None and is_spreadsheet(path):
            sheets = list(sheet_names(path)) or [None]
        last, last_columns = None, []
        for sheet in sheets:
            table = read_table(path, sheet=sheet, expect=score)
            idx = header_fields(table.columns, aliases)
            header = misread_header(table, idx, aliases)
            if "name" in idx and header is None:
                return table, idx
            last, last_columns = table, header or table.columns
        where = f" (sheet {last.sheet!r})" if last is not None and last.sheet else ""
        cols = ", ".join(last_columns[:12])
        raise LoadError(f"{path}{where}: no column holds the {self.row_word}s' names; expected one of "
                        f"{', '.join(FIELDS['name'][:8])}… (found: {cols}); or name it with "
                        f"--option column.name=HEADER")

    def read_all(self, path: Path, options: dict[str, Any]) -> tuple[list[tuple[Table, dict[str, int]]], list[str]]:
        """Every sheet to read, with its columns, and what was said about the others.

        A CSV, or the sheet named by ``--option sheet=NAME``: that table (:meth:`read`). A
        workbook: each sheet whose header has a name column — a list split by collège, by year
        or by kind of member over several sheets is read whole (it was read up to its first
        sheet) — except, when another is read, those whose name says they are not the list
        (:data:`SHEETS_NOT_THE_LIST`: former members, a copy, an example, a legend)."""
        if options.get("sheet") is not None or not is_spreadsheet(path):
            return [self.read(path, options)], []
        aliases = self._aliases(options)

        def score(cols: list[str]) -> int:
            got = header_fields(cols, aliases)
            return len(got) + (10 if "name" in got else 0)

        found, without, empty = [], [], []
        for sheet in sheet_names(path):
            try:
                table = read_table(path, sheet=sheet, expect=score)
            except LoadError:  # an empty sheet (« Feuil2 »): nothing to read there
                empty.append(sheet)
                continue
            idx = header_fields(table.columns, aliases)
            if misread_header(table, idx, aliases) is not None:
                idx = {}  # a member's row was taken for the header: the header names no name column
            (found if "name" in idx else without).append((table, idx))
        if not found:
            return [self.read(path, options)], []  # says why, with the columns of a sheet
        kept = [(t, i) for t, i in found if not SHEETS_NOT_THE_LIST.search(fold(t.sheet or ""))] or found[:1]
        notes = []
        if len(kept) > 1:
            notes.append(f"sheets read: {', '.join(repr(t.sheet) for t, _ in kept)}")
        left = [t.sheet for t, _ in found if all(t is not k for k, _ in kept)]
        if left:
            say = "sheets not read, their names say" if len(left) > 1 else "sheet not read, its name says"
            notes.append(f"{say} not the current list (former members, a copy, an example…): "
                         f"{', '.join(map(repr, left))}; load one with --option sheet=NAME")
        if without and len(kept) > 1:
            notes.append(f"sheets without a name column, not read: {', '.join(repr(t.sheet) for t, _ in without)}")
        return kept, notes

    def parse(self, path: Path, source: Source, options: dict[str, Any]) -> Parsed:
        tables, sheet_notes = self.read_all(path, options)
        multi = len(tables) > 1
        out = Parsed()
        out.meta["header_row"] = tables[0][0].header_row
        if tables[0][0].sheet:
            out.meta["sheet"] = tables[0][0].sheet
        if multi:
            out.meta["sheets"] = [t.sheet for t, _ in tables]
        notes = list(sheet_notes)
        pole_option = clean_name(options.get("pole"))
        out.meta["pole"] = pole_option or None
        out.meta["notes"] = notes
        builder: _Builder | None = None
        no_pole_sheets, first_row = [], None
        years = _sheet_years([t.sheet or "" for t, _ in tables]) if multi else {}
        year_option = year_span(options.get("year"))
        if year_option and years:
            raise LoadError(f"{path}: a sheet per year ({', '.join(map(repr, years))}): each sheet's list is dated by "
                            "its name; --year (option year) is for a file holding the list of one year (to load one "
                            "sheet as that year, give --option sheet=NAME too)")
        if years:
            out.meta["years"] = sorted({_span_label(y) for y in years.values()})
            notes.append(f"a sheet per year ({', '.join(map(repr, years))}): each membership is dated its sheet's year "
                         "unless its row gives dates (the pôle's entries and exits over the years)")
            years, gaps = _bridge_year_gaps(years)
            notes += [f"no sheet for {missing}: the list of {sheet!r} taken as standing until the next one ({after!r}), "
                      "not as its members leaving and coming back" for sheet, missing, after in gaps]
        for k, (table, idx) in enumerate(tables):
            off = k * SHEET_ROW_OFFSET
            if multi:  # one numbering for the file: row n of the k-th sheet is k × offset + n
                table = replace(table, rows=[Row(r.number + off, r.cells, r.extra) for r in table.rows],
                                headings={n + off: t for n, t in table.headings.items()},
                                repeated_header={n + off for n in table.repeated_header})
            notes += _column_notes(table, idx, f"sheet {table.sheet!r}: " if multi else "")
            sheet = table.sheet
            sheet_pole = pole_option
            if not pole_option and "pole" not in idx and sheet and _names_a_pole(sheet):
                sheet_pole = clean_name(sheet)  # a workbook of a network: a sheet per PTCE, named after it
                notes.append(f"sheet {sheet!r} names a pôle: its rows are that pôle's members (--pole overrides)")
            membership_cols = [table.columns[idx[f]] for f in MEMBERSHIP_FIELDS if f in idx]
            pole_headings = not sheet_pole and "pole" not in idx and _has_pole_headings(table)
            if not sheet_pole and "pole" not in idx and membership_cols and not pole_headings:
                raise LoadError(
                    f"{path}{f' (sheet {table.sheet!r})' if multi else ''}: this member list has membership columns "
                    f"({', '.join(membership_cols)}) but names no pôle: give it with --pole \"NAME\" (option pole), or "
                    f"add a column 'pôle' naming each row's pôle")
            if not sheet_pole and "pole" not in idx and not pole_headings:
                no_pole_sheets.append(table.sheet)
                if first_row is None and table.rows:
                    first_row = table.rows[0].number
            locator = (lambda n, s=sheet, o=off: f"{s}!row {n - o}") if multi else (lambda n: f"row {n}")
            reader = ActorReader(table, source, idx, default=self.default,
                                 identifiers_to_carrier=self.identifiers_to_carrier, locator=locator,
                                 doc=f"docs/formats/{self.name}.md")
            if builder is None:
                builder = _Builder(out, source, reader, college_headings=True)
                builder.same_member = True
            else:
                builder.reader, builder.college = reader, None
            if multi:
                builder.row_name = lambda n, s=sheet, o=off: f"row {n - o} of sheet {s!r}"
            builder.pole_from = "option pole" if sheet_pole == pole_option else f"sheet name {sheet!r}"
            builder.pole_sheet = None if sheet_pole == pole_option else sheet
            builder.sheet_years = year_option or years.get(sheet)
            builder.snapshot = sheet if years else None  # a sheet per year: each its own list of members
            if years and "start" in idx and not any(n.startswith("column ") and "sheets per year" in n
                                                    for n in notes):
                notes.append(f"column {table.columns[idx['start']]!r} in the sheets per year: a row's date is when its "
                             "membership starts, its sheet's year the last it is known (a member missing from the next "
                             "year's sheet has left)")
            builder.pole_headings, builder.heading_pole, builder.heading_role = pole_headings, None, ""
            builder.sheet_role = sheet if multi and sheet and role_effect(sheet)[1] else ""
            if builder.sheet_role:
                notes.append(f"sheet {sheet!r} names a role: the role of its rows that give none")
            if multi and college_heading(sheet or ""):  # a sheet per collège: « Collège A », « Collège B »
                builder.college = sheet
            for row in table.rows:
                builder.row(row, sheet_pole)
        assert builder is not None
        if year_option and any(rel.type == "membership" for _, rel in out.relations):
            label = _span_label(year_option)
            out.meta["years"] = [label]
            notes.insert(len(sheet_notes), f"the list of the pôle's members in {label} (--year): each membership is "
                                           f"dated {label}, from its date d'adhésion when its row gives one; a member "
                                           "of an earlier year's list missing from this one has left")
        if builder.lists:
            out.lists = {k: frozenset(v) for k, v in builder.lists.items()}
        if builder.pole_names:  # a misspelt pôle name in the file: said where (new_pole_notes)
            out.meta["pole_names"] = [{"pole": k, how: what, "rows": rows, "count": n}
                                      for (k, how, what), (n, rows) in builder.pole_names.items()]
        if multi:
            names = [t.sheet for t, _ in tables]
            out.locate = lambda n: f"{names[n // SHEET_ROW_OFFSET]}!row {n % SHEET_ROW_OFFSET}"
            if colleges := [t.sheet for t, _ in tables if college_heading(t.sheet or "")]:
                notes.append(f"a sheet per collège ({', '.join(map(repr, colleges))}): the members of each are given "
                             "its collège unless they name their own")
        if no_pole_sheets and len(no_pole_sheets) == len(tables):
            notes.append("no pôle: actors only")
        elif no_pole_sheets and multi:
            notes.append(f"no pôle on sheet{'s' if len(no_pole_sheets) > 1 else ''} "
                         f"{', '.join(map(repr, no_pole_sheets))}: actors only there")
        notes += _builder_notes(builder, out.locate)
        if builder.untyped and not any("type" in idx for _, idx in tables):
            n = len(builder.untyped)
            notes.append(f"{n} member{'s' if n > 1 else ''} of no recognised type (classed 'other'): add a "
                         "'Type' column (association, SCOP, collectivité, entreprise…) to class "
                         f"{'them' if n > 1 else 'it'}")
        if no_pole_sheets and first_row is not None and self.warn_actors_only:
            out.rejects.append(Reject(first_row, "no pôle named (--pole NAME or a 'pôle' column): the rows are loaded "
                                                 "as actors only, without membership", "pole", None, fatal=False))
        if out.locate is not None:
            for r in out.rejects:
                r.locator = r.locator or out.locate(r.row)
        return out


def _column_notes(table: Table, idx: dict[str, int], said: str) -> list[str]:
    """What reading a sheet noticed, its contact columns (never read) and the columns no field
    uses; ``said`` names the sheet when several are read."""
    return [said + x for x in table.notes] + unread_column_notes(table.columns, set(idx.values()), said)


def unread_column_notes(columns: list[str], used: set[int], said: str) -> list[str]:
    """The notes naming the contact columns of a header (personal data, never read) and its other
    columns not ``used`` (their positions); ``said`` names the sheet (« sheet 'X': »).

    >>> unread_column_notes(["Nom", "Courriel", "Adresse"], {0}, "")
    ['personal data not read: Courriel', 'columns not used: Adresse']
    """
    notes = []
    personal = [c for c in columns if _personal_column(c)]
    ignored = [c for i, c in enumerate(columns) if i not in used and c not in personal]
    if personal:
        notes.append(f"{said}personal data not read: {', '.join(personal)}")
    if ignored:
        notes.append(f"{said}columns not used: {', '.join(ignored)}")
    return notes


def _builder_notes(builder: _Builder, locate: Callable[[int], str] | None) -> list[str]:
    """What the rows said: the collège headings met (rows named as the rejects file names them)
    and how many members are natural persons."""
    notes = []

    def on(ns: list[int]) -> str:
        shown = [str(n) if locate is None else locate(n) for n in ns[:10]]
        return f"on row{'s' if len(ns) > 1 else ''} {', '.join(shown)}{', …' if len(ns) > 10 else ''}"

    colleges = [n for n, t in builder.college_rows if t]
    others = [n for n, t in builder.college_rows if not t]  # after a collège sheet's name, too
    if colleges:
        notes.append(f"collège headings {on(colleges)}: the members below each are given its collège unless they "
                     "name their own" + (f"; other headings, ending the collège above them, {on(others)}"
                                         if others else ""))
    elif others:
        notes.append(f"headings ending the collège above them {on(others)}: the members below get none")
    if builder.role_rows:
        notes.append(f"headings naming a role {on(builder.role_rows)}: the rows below each that give no role are "
                     "given it")
    if builder.pole_rows:
        notes.append(f"pôle headings {on(builder.pole_rows)}: the rows below each, to the next, are its members "
                     "(--pole overrides)")
    if builder.persons:
        n = len(builder.persons)
        notes.append(f"{n} member{'s are' if n > 1 else ' is a'} natural person{'s' if n > 1 else ''} (type, "
                     "civility, role or collège): personal data, kept out of public views and exports")
    return notes


_YEARS = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:\s*[-/_–]\s*((?:19|20)\d\d))?(?!\d)")


#: The first year a member list can be given (``--year``, option ``year``, the API's ``year``);
#: the last is next year (:func:`last_list_year`): a list of 2090 is a typing error.
FIRST_LIST_YEAR = 1900


def last_list_year() -> int:
    """The last year a member list can be given: next year (a list made ready in December), in
    Paris time.

    >>> from maillage.clock import paris_time
    >>> last_list_year() == paris_time().year + 1
    True
    """
    from maillage.clock import paris_time

    return paris_time().year + 1


def year_span(value: Any) -> tuple[str, str] | None:
    """The years of option ``year`` (``--year``: the file is the list of the pôle's members in that
    year, as a sheet named so in a workbook of a sheet per year): ``(first, last)``; None when not
    given. A bad value is refused, saying what is expected: a year of four digits, or two, from
    :data:`FIRST_LIST_YEAR` to next year.

    >>> year_span("2025"), year_span(" 2024-2025 "), year_span(None)
    (('2025', '2025'), ('2024', '2025'), None)
    """
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    m = _YEARS.fullmatch(text)
    if m is None or (m.group(2) and int(m.group(2)) < int(m.group(1))):
        raise LoadError(f"option year: expected the year whose list of members the file is (2025) or a span "
                        f"(2024-2025), got {text!r}")
    if int(m.group(2) or m.group(1)) > (last := last_list_year()):
        raise LoadError(f"option year: {text!r} is after next year: expected the year whose list of members the file "
                        f"is, {last} at the latest")
    return m.group(1), m.group(2) or m.group(1)


def _span_label(span: tuple[str, str]) -> str:
    """« 2025 », « 2024-2025 »."""
    return span[0] if span[0] == span[1] else f"{span[0]}-{span[1]}"


def _span_after(span: tuple[str, str], other: tuple[str, str]) -> bool:
    """Whether the years ``span`` come after ``other`` (« 2025 » after « 2024 », « 2024-2025 »)."""
    return (int(span[0]), int(span[1])) > (int(other[0]), int(other[1]))


def year_in_name(name: str) -> str | None:
    """The one year a file's name holds (« membres_2025.csv », « Adhérents 2024-2025.xlsx »), as
    ``--year`` takes it; None when it holds none or several.

    >>> year_in_name("membres_2025.csv"), year_in_name("adherents 2023-2024.xlsx"), year_in_name("membres.csv")
    ('2025', '2023-2024', None)
    """
    found = _YEARS.findall(Path(name).stem)
    if len(found) != 1:
        return None
    a, b = found[0]
    return _span_label((a, b or a)) if not b or int(a) <= int(b) else None


def _sheet_years(sheets: list[str]) -> dict[str, tuple[str, str]]:
    """``{sheet: (first year, last year)}`` when at least two of a workbook's sheets read are each
    named with one year or one span (« 2023 », « Adhérents 2024 », « 2023-2024 »), and no two with
    the same: the list as it stood each year. Else ``{}`` (a single « Adhérents 2024 » is the
    list, not a year of it)."""
    got = {}
    for sheet in sheets:
        found = _YEARS.findall(sheet)
        if len(found) == 1:
            a, b = found[0]
            if not b or int(a) <= int(b):
                got[sheet] = (a, b or a)
    if len(got) < 2 or len(set(got.values())) < len(got):
        return {}
    return got


def _bridge_year_gaps(years: dict[str, tuple[str, str]]) -> tuple[dict[str, tuple[str, str]],
                                                                      list[tuple[str, str, str]]]:
    """A sheet per year with years missing between them (« 2022 », « 2024 »: no list for 2023):
    each sheet's list is taken as standing until the next sheet's first year, as the last list
    known — not as every member leaving in the missing year and coming back after it. Returns
    the sheets' spans so extended and the gaps: ``(sheet, missing years, next sheet)``."""
    spans = dict(years)
    gaps = []
    ordered = sorted(years, key=lambda sh: (int(years[sh][0]), int(years[sh][1])))
    for sheet, after in zip(ordered, ordered[1:]):
        first, last = spans[sheet]
        nxt = int(years[after][0])
        if nxt > int(last) + 1:
            spans[sheet] = (first, str(nxt - 1))
            gaps.append((sheet, str(int(last) + 1) if nxt == int(last) + 2 else f"{int(last) + 1}–{nxt - 1}", after))
    return spans, gaps


def _has_pole_headings(table: Table) -> bool:
    """Whether some row of a table is a pôle's name alone (merged across the row, or a lone
    cell): a network's list, each pôle above its members."""
    return any(_names_a_pole(t) for t in table.headings.values()) or any(
        (lone := _lone_cell(row)) and _names_a_pole(lone[1]) for row in table.rows)


def _lone_cell(row: Row) -> tuple[int, str] | None:
    """``(column, text)`` of the one filled cell of a row (a heading, when its words say so), else None."""
    if row.extra:
        return None
    filled = [(i, c) for i, c in enumerate(row.cells) if c]
    return filled[0] if len(filled) == 1 else None


def _names_a_pole(sheet: str) -> bool:
    """Whether a sheet's name is a pôle's (« PTCE Sud Aveyron », « Pôle territorial de coopération
    … »): the name rules of :data:`NAME_RULES` say family ``pole``."""
    got = classify_name(sheet)
    return got is not None and got.family == "pole"


@lru_cache(maxsize=4096)
def _personal_column(column: str) -> bool:
    """Whether a header names a contact-person column (:data:`PERSONAL_COLUMNS`)."""
    return header_key(column) in {header_key(p) for p in PERSONAL_COLUMNS}


class _Builder:
    """Collects the statements of one file: each actor stated once (its first row), relations
    deduplicated, and every row accounted for."""

    def __init__(self, out: Parsed, source: Source, reader: ActorReader,
                 key_of: Callable[[Row, str, Actor], str] | None = None, college_headings: bool = False):
        self.out = out
        #: Whether a cell alone on its row that names a collège is a heading (a member list's
        #: layout; not a Kumu sheet's, where an element may well be a collège with only its label).
        self.college_headings = college_headings
        self.source = source
        self.reader = reader
        self.key_of = key_of or (lambda row, name, a: actor_key(reader, row, name, a.identifiers, a.location))
        self.actors: dict[str, Actor] = {}
        self.relations: set[tuple] = set()
        self.rows_seen: dict[tuple, str | None] = {}
        self.copied: dict[tuple, str] = {}  # a row's values → how a reason names the row
        #: The collège the heading above the current row names (« Collège des fondateurs »), and
        #: every such heading met: ``(row, text)``.
        self.college: str | None = None
        self.college_rows: list[tuple[int, str | None]] = []
        self.pole_rows: list[int] = []  # the rows of pôle headings
        self.persons: set[str] = set()  # the keys of the members who are natural persons
        self.untyped: set[str] = set()  # the keys of the members nothing says the type of (family other)
        self.pole_from = "option pole"  # where the pôle of rows without a pôle cell is named
        self.pole_sheet: str | None = None  # the sheet whose name is that pôle's (a network's workbook)
        #: Where the file itself names each pôle — the cells of a pôle column, a sheet's name, a
        #: heading row — for :func:`new_pole_notes`: (pôle key, ``column``/``sheet``/``heading``,
        #: the column or the sheet) → [how many rows, the first rows as a note lists them].
        self.pole_names: dict[tuple[str, str, str], list] = {}
        #: A workbook with a sheet per year: the current sheet's years (``("2023", "2023")``), which
        #: date the ties of rows without dates of their own.
        self.sheet_years: tuple[str, str] | None = None
        #: A workbook with a sheet per year: the current sheet (each sheet is the list of its year,
        #: a list of its own), and the sheets each actor key is listed on (:attr:`Parsed.lists`).
        self.snapshot: str | None = None
        self.lists: dict[str, set[str]] = {}
        #: key → (the years of the sheet whose row gave the actor its place, how a reason names that
        #: row): a member that moved between two years' sheets is placed where the latest one says
        self.placed: dict[str, tuple[tuple[str, str] | None, str]] = {}
        #: key → (the years of the sheet whose row gave the actor its name, how a reason names that
        #: row): a member renamed between two years' sheets is named as the latest one says
        self.named: dict[str, tuple[tuple[str, str] | None, str]] = {}
        #: Whether a pôle's name alone on its row heads its members (a network's list, with no
        #: --pole and no pôle column), and the pôle so headed with its row.
        self.pole_headings = False
        self.heading_pole: tuple[str, int] | None = None
        #: Several sheets read, this one named as a role (« Financeurs », « Partenaires »,
        #: « Membres fondateurs »): the role of its rows that give none.
        self.sheet_role = ""
        #: A heading above the current row that names a role (« Partenaires financiers »), and the
        #: rows of such headings.
        self.heading_role = ""
        self.role_rows: list[int] = []
        #: A member list's rows naming one member twice (its name on two rows, without two
        #: different ids, SIRENs or places) are that member listed twice: merged, and said so
        #: (:meth:`_member_key`, :meth:`_listed_again`). Not a Kumu sheet's (its own keys).
        self.same_member = False
        self.by_name: dict[str, list[str]] = {}  # name_key → keys of the members so named
        self.file_ids: dict[str, str] = {}  # key → the file's id of the member's row
        #: (member key, pôle key, sheet years) → the rows listing the member in that pôle, each
        #: (how a reason names it, role, collège, SIRET): one, or one per establishment
        self.listed: dict[tuple, list[tuple[str, str, str, str | None]]] = {}
        #: How a reason names a row (« row 12 », « row 12 of sheet 'Collège A' »).
        self.row_name: Callable[[int], str] = lambda n: f"row {n}"

    def _member_key(self, key: str, a: Actor, file_id: str) -> str:
        """The key of the member an earlier row lists under the same name, with no different
        file id, SIREN, RNA or place (a place may hold the other: a commune in its EPCI); else
        ``key``. Two organisations of one name with two SIRENs, or in two communes, stay two."""
        if not self.same_member or key in self.actors:
            return key

        def ident(x: Actor, scheme: str) -> str | None:
            return next((i.value for i in x.identifiers if i.scheme == scheme), None)

        for k in self.by_name.get(name_key(a.name), ()):
            old = self.actors[k]
            if file_id and self.file_ids.get(k) and _norm_id(file_id) != self.file_ids[k]:
                continue
            if any(ident(old, s) and ident(a, s) and ident(old, s) != ident(a, s) for s in ("siren", "rna")):
                continue
            if old.location and a.location and not (_geo().contains(old.location, a.location)
                                                    or _geo().contains(a.location, old.location)):
                continue
            return k
        return key

    #: What a member's row gives its tie to the pôle, as :meth:`_listed_again` compares two
    #: listings of one member: (field, how a reason names it).
    LISTING_FIELDS = (("college", "collège"), ("role", "role"), ("tier", "circle"), ("start", "start date"),
                      ("end", "end date"), ("carrier", "structure porteuse"))

    def _listing(self, row: Row) -> dict[str, str]:
        """The cells of ``row`` that :meth:`pole_ties` turns into its tie (:data:`LISTING_FIELDS`):
        the collège and role as the row gets them (its cells, else the heading or sheet above
        it), the circle, the dates, and the « structure porteuse » cell when it is a yes/no flag."""
        rd = self.reader
        return {"college": rd.get(row, "college") or self.college or "",
                "role": rd.get(row, "role") or self.heading_role or self.sheet_role or "",
                "tier": rd.get(row, "tier") or "", "start": rd.get(row, "start") or "", "end": rd.get(row, "end") or "",
                "carrier": (rd.get(row, "carrier") or "") if rd.carrier_is_flag else ""}

    @staticmethod
    def _same_cell(f: str, v0: str, v: str) -> bool:
        """Two listings' cells say the same: equal once folded; two dates written two ways
        (« 01/03/2021 », « 2021-03-01 ») are one date; two flags both yes or both no."""
        if fold(v0) == fold(v):
            return True
        if f in ("start", "end"):
            try:
                return parse_date(v0) == parse_date(v)
            except CellError:
                return False
        if f == "carrier":
            return yes_no(v0) == yes_no(v)
        return False

    def _listed_again(self, n: int, name: str, a: Actor, pkey: str | None, cells: dict[str, str]) -> bool:
        """Whether row ``n`` lists again a member an earlier row listed (in the same pôle, on
        the same year's sheet; not two establishments, two SIRETs of one SIREN, each listed):
        then a reason says it is merged into that row, and a warning names both rows for each
        value of the tie (:data:`LISTING_FIELDS`: collège, role, circle, dates, structure
        porteuse) they give differently (the first row's kept), or that the later row alone
        gives (not loaded: to be given on the first row). ``cells``: :meth:`_listing` of row ``n``."""
        if not self.same_member:
            return False
        siret = next((i.value for i in a.identifiers if i.scheme == "siret"), None)
        listings = self.listed.setdefault((a.key, pkey, self.sheet_years), [])
        first = next((x for x in listings if not (x[2] and siret and x[2] != siret)), None)
        if first is None:
            listings.append((self.row_name(n), cells, siret))
            return False
        rd, (where, cells0, _) = self.reader, first
        here = self.row_name(n)
        self.out.rejects.append(Reject(n, f"same member as {where} ({self.actors[a.key].name}): merged",
                                       rd.column("name"), name, fatal=False))
        for f, what in self.LISTING_FIELDS:
            v0, v = cells0.get(f, ""), cells.get(f, "")
            if v0 and v and not self._same_cell(f, v0, v):
                self.out.rejects.append(Reject(
                    n, f"{what} {v0!r} on {where}, {v!r} on {here}: the same member listed twice; {v0!r} kept, "
                       "correct the list to choose", rd.column(f), v, fatal=False))
            elif v and not v0 and not (f == "carrier" and yes_no(v) is False):  # not silently lost
                self.out.rejects.append(Reject(
                    n, f"{what} {v!r} on {here} not loaded: the same member listed twice, and {where}, whose tie "
                       f"is kept, gives none; give it on {where}", rd.column(f), v, fatal=False))
        return True

    def _warn(self, row: int, warnings: list[tuple[str, str, str]]) -> None:
        for f, value, reason in warnings:
            self.out.rejects.append(Reject(row, reason, self.reader.column(f), value or None, fatal=False))

    def add_actor(self, row: int, a: Actor) -> bool:
        """State ``a`` (True), or enrich the actor of the same key stated earlier (False)."""
        old = self.actors.get(a.key)
        if self.sheet_years is not None:  # the name as this year's list gives it (graph/merge.py)
            a.named_in = int(self.sheet_years[1])
        if old is None:
            self.actors[a.key] = a
            self.out.actors.append((row, a))
            self.named[a.key] = (self.sheet_years, self.row_name(row))
            if a.location:
                self.placed[a.key] = (self.sheet_years, self.row_name(row))
            return True
        if a.name != old.name:
            self._renamed(row, old, a)
        elif a.named_in is not None and (old.named_in is None or a.named_in > old.named_in):
            old.named_in = a.named_in  # the same name in a later year's sheet
        have = {(i.scheme, i.value) for i in old.identifiers}
        schemes = {i.scheme for i in old.identifiers}
        sirens = {i.value[:9] for i in old.identifiers if i.scheme in ("siren", "siret")}
        for i in a.identifiers:
            if (i.scheme, i.value) in have:
                continue
            # another establishment of the same SIREN (a second site) is kept: one actor, two SIRETs
            if i.scheme not in schemes or (i.scheme == "siret" and i.value[:9] in sirens):
                old.identifiers.append(i)
        if old.location is None and a.location:
            old.location, old.location_text = a.location, a.location_text
            self.placed[a.key] = (self.sheet_years, self.row_name(row))
        elif (old.location and a.location and self.snapshot is not None and self.sheet_years is not None
              and not (_geo().contains(old.location, a.location) or _geo().contains(a.location, old.location))):
            self._moved(row, old, a)
        old.legal_form = old.legal_form or a.legal_form
        return False

    def _renamed(self, row: int, old: Actor, a: Actor) -> None:
        """The member under two names on two rows (the same SIRET, or names that fold the same):
        neither name is lost. On sheets of two years (« Recyclerie Solidaire Sud » in 2024, « La
        Boucle, ressourcerie » in 2025) the name of the latest year is its name, whatever the
        sheets' order, as for its place (:meth:`_moved`); the other is kept as another name (found
        by search and by the resolution) and, when it is another name rather than another spelling,
        a warning on the row names both. Otherwise the first row's name is kept and the other is
        another name (a second row of the same sheet is said merged: :meth:`_listed_again`)."""
        was_years, was_row = self.named.get(a.key, (None, "an earlier row"))
        now = self.sheet_years
        two_years = self.snapshot is not None and now is not None and was_years is not None and now != was_years
        later = two_years and _span_after(now, was_years)
        earlier = old.name
        if later:
            old.name, old.named_in = a.name, a.named_in
            self.named[a.key] = (now, self.row_name(row))
        other = earlier if later else a.name
        old.aliases = [x for x in dict.fromkeys([*old.aliases, other, *a.aliases]) if x != old.name]
        if two_years and name_key(a.name) != name_key(earlier):
            self.out.rejects.append(Reject(
                row, f"name {a.name!r} on {self.row_name(row)}, {earlier!r} on {was_row}: the member renamed; the name "
                     f"of the latest year ({_span_label(now if later else was_years)}) kept, the other as another name",
                self.reader.column("name"), a.name, fatal=False))

    def _moved(self, row: int, old: Actor, a: Actor) -> None:
        """The member on sheets of two years, in two places that do not hold each other (Labège in
        2024, Escalquens in 2025): it moved. The place of the latest year is its place, as the list
        of that year says; the other stays in its history (a fact of the statement: « Lieu en
        2024 : 31670 Labège ») and a warning on the row names both."""
        was_years, was_row = self.placed.get(a.key, (None, "an earlier row"))
        now = self.sheet_years
        assert now is not None
        later = was_years is None or _span_after(now, was_years)
        here = self.row_name(row)
        older, older_years = (old, was_years) if later else (a, now)
        newer_years = now if later else was_years
        if older_years is not None:
            fact = f"Lieu en {_span_label(older_years)} : {older.location_text or older.location}"
            if fact not in old.facts:
                old.facts.append(fact)
        old_text, new_text = old.location_text or old.location, a.location_text or a.location
        self.out.rejects.append(Reject(
            row, f"place {new_text!r} on {here}, {old_text!r} on {was_row}: the member moved; the place of the latest "
                 f"year ({_span_label(newer_years or now)}) kept, the other in its history",
            next((self.reader.column(f) for f in ("commune", "postcode", "insee") if f in self.reader.fields), "commune"),
            new_text, fatal=False))
        if later:
            old.location, old.location_text = a.location, a.location_text
            self.placed[a.key] = (now, here)

    def add_relation(self, row: int, rel: Relation) -> bool:
        sig = (rel.type, rel.source, rel.target, tuple(sorted(rel.fields.items())), rel.start, rel.end)
        if sig in self.relations:
            return False
        self.relations.add(sig)
        self.out.relations.append((row, rel))
        return True

    def pole_actor(self, name: str, row: int, from_option: bool, named: tuple[str, str] | None = None) -> str:
        """The key of the pôle ``name``, stated on ``row`` (the first naming it); ``named``: where
        the file names it, ``("column", header)``, ``("sheet", name)`` or ``("heading", "")``."""
        key = "pole:" + name_key(name)
        if named is None and from_option and self.pole_sheet is not None:
            named = ("sheet", self.pole_sheet)
        if named is not None:
            seen = self.pole_names.setdefault((key, *named), [0, []])
            seen[0] += 1
            if len(seen[1]) < NAMED_ROWS:
                where = self.reader.locator(row)
                seen[1].append(where.removeprefix("row "))
        locator = self.pole_from if from_option else self.reader.locator(row)
        kind = "pole_autre" if re.search(r"pole de competitivite|\bcluster\b|\bgrappe\b", fold(name)) else "ptce"
        self.add_actor(row, Actor(key=key, name=name, family="pole", kind=kind,
                                  provenance=Provenance(source=self.source.id, locator=locator)))
        return key

    def row(self, row: Row, pole_option: str = "") -> str | None:
        """Account for one row; returns the key of the actor it describes (None if rejected)."""
        out, rd = self.out, self.reader
        n = row.number
        out.rows_read += 1
        # the row as read, for the rejects file — without the contact columns, which are never read
        out.originals[n] = {c: v for c, v in row.as_dict(rd.table.columns).items() if not _personal_column(c)}
        if n in rd.table.repeated_header:  # lists pasted one after another, each with its header
            out.rejects.append(Reject(n, "the header again (lists pasted one after another?), not a member: not "
                                         "loaded", rd.table.columns[0], row.cells[0]))
            return None
        heading, column = rd.table.headings.get(n), rd.column("name")  # merged across the row (spreadsheets)
        merged = heading is not None
        lone = None if merged else _lone_cell(row)  # (column, text) of a cell alone on its row
        if self.pole_headings:  # « PTCE Sud Aveyron » above its members: a network's list
            text = heading if merged else (lone[1] if lone else None)
            if text and _names_a_pole(text):  # the row states the pôle (loaded; merged when met again)
                self.heading_pole, self.college, self.heading_role = (clean_name(text), n), None, ""
                self.pole_rows.append(n)
                seen = "pole:" + name_key(clean_name(text)) in self.actors
                key = self.pole_actor(clean_name(text), n, from_option=False, named=("heading", ""))
                if seen:
                    out.merged_rows.add(n)
                return key
        if lone and self.college_headings and (college_heading(lone[1]) or group_heading(lone[1])):
            column, heading = rd.table.columns[lone[0]], lone[1]  # alone on its row, unmerged (any CSV)
        if heading is not None:
            if college_heading(heading):
                self.college, self.heading_role = heading, ""
                self.college_rows.append((n, heading))
                out.rejects.append(Reject(n, f"{heading!r} is a collège heading, not a member: not loaded; the "
                                             "rows below it without a collège of their own are given it",
                                          column, heading))
                return None
            # « Partenaires financiers »: not a collège, so the collège above does not reach below it
            # (it may be one, « Usagers », or sort members within one: neither is guessed)
            if self.college is not None:
                self.college_rows.append((n, None))
            self.college = None
            # « Partenaires financiers », « Membres fondateurs »: a role for the rows below that give none
            self.heading_role = heading if role_effect(heading)[1] else ""
            if self.heading_role:
                self.role_rows.append(n)
            if merged and rd.table.path.suffix.lower() in DOCUMENT_SUFFIXES:  # the line above a document's table
                out.rejects.append(Reject(n, f"{heading!r} is the line of text above a table of the document (its "
                                             "heading), not a member: not loaded", column, heading))
            elif merged:
                out.rejects.append(Reject(n, f"{heading!r} is a heading merged across the row, not a member: not "
                                             "loaded", column, heading))
            else:
                out.rejects.append(Reject(n, f"{heading!r} is a heading alone on its row (it names a group of "
                                             "members, not one), not a member: not loaded", column, heading))
            return None
        sig = (tuple(row.cells), tuple(row.extra), self.college, self.sheet_years)
        if sig in self.rows_seen:
            out.merged_rows.add(n)
            if self.same_member:
                out.rejects.append(Reject(n, f"same values as {self.copied[sig]}: counted once", fatal=False))
            return self.rows_seen[sig]
        self.rows_seen[sig] = None
        self.copied[sig] = self.row_name(n)
        name = clean_name(rd.get(row, "name"))
        if lone and lone[0] == rd.fields.get("name") and note_label(name):  # « Mis à jour le … » under the list
            out.rejects.append(Reject(n, f"{name!r} is a note under the list (a footnote, the date of an update), "
                                         "not a member: not loaded", column, name))
            return None
        if not name:
            filled = [c for c in row.cells if c.strip()]
            out.rejects.append(Reject(n, f"no name: column {rd.column('name')!r} is empty "
                                         f"({len(filled)} other cell(s) filled); every row needs a name",
                                      rd.column("name"), None))
            return None
        from_heading = self.heading_pole if not (rd.get(row, "pole") or pole_option) else None
        pole_name = clean_name(rd.get(row, "pole")) or pole_option or (from_heading[0] if from_heading else "")
        try:
            ra = rd.read(row, "?", name, rd.get(row, "college") or self.college)
            name = ra.actor.name  # a person's, without the role written after it
            key = ra.actor.key = self._member_key(self.key_of(row, name, ra.actor), ra.actor, rd.get(row, "id"))
        except ValidationError as e:
            out.rejects += rejects_from_validation(n, e)
            return None
        if not ra.actor.identifiers and total_label(name):  # « TOTAL », « Total : 42 adhérents » under the list
            out.rejects.append(Reject(n, f"{name!r} marks a total row (a sum of other rows), not a member: not loaded",
                                      rd.column("name"), name))
            return None
        self.rows_seen[sig] = key
        if ra.actor.family == "person":
            self.persons.add(key)
        self._warn(n, ra.warnings)
        new = self.add_actor(n, ra.actor)
        if self.snapshot is not None:
            self.lists.setdefault(key, set()).add(self.snapshot)
        if new and (ra.actor.family, ra.actor.kind) == ("other", "non_precise"):
            self.untyped.add(key)
        if new:
            self.by_name.setdefault(name_key(name), []).append(key)
            if rd.get(row, "id"):
                self.file_ids[key] = _norm_id(rd.get(row, "id"))
        prov = Provenance(source=self.source.id, locator=rd.locator(n), certainty="stated")
        rels: list[Relation] = []
        if ra.carrier is not None:
            new |= self.add_actor(n, ra.carrier)
            rels.append(Relation(type="carries", source=ra.carrier.key, target=key,
                                 fields={"function": "structure_porteuse"}, provenance=prov))
        if pole_name:
            pkey = (self.pole_actor(pole_name, from_heading[1], from_option=False) if from_heading
                    else self.pole_actor(pole_name, n, from_option=not rd.get(row, "pole"),
                                         named=("column", rd.column("pole")) if rd.get(row, "pole") else None))
            if pkey == key:
                out.rejects.append(Reject(n, "the row names the pôle itself: no tie to itself", rd.column("name"),
                                          name, fatal=False))
            elif not self._listed_again(n, name, ra.actor, pkey, self._listing(row)):
                rels += self.pole_ties(row, key, pkey, prov, ra.carries_pole, ra.name_role)
        else:
            if any(rd.get(row, f) for f in MEMBERSHIP_FIELDS) or ra.carries_pole or self.college:
                out.rejects.append(Reject(n, "no pôle for this row (empty pôle column and no --pole): its role, "
                                             "college and dates are not loaded", rd.column("pole"), None,
                                          fatal=False))
            self._listed_again(n, name, ra.actor, None, {})
        for rel in rels:
            new |= self.add_relation(n, rel)
        if not new:
            out.merged_rows.add(n)
        return key

    def pole_ties(self, row: Row, key: str, pkey: str, prov: Provenance, carries_pole: bool,
                  name_role: str = "") -> list[Relation]:
        rd, n = self.reader, row.number
        # the role written after a person's name (« Jeanne Dupuis (PQ) »), a heading « Partenaires financiers »
        # above the row, a sheet « Financeurs »: the role of rows giving none
        role_text = rd.get(row, "role") or name_role or self.heading_role or self.sheet_role
        effect, known = role_effect(role_text)
        if not known:
            self.out.rejects.append(Reject(n, f"role {role_text!r} is not one the loader recognises (see "
                                              "docs/formats/members.md): loaded as a plain membership with "
                                              "this role", rd.column("role"), role_text, fatal=False))
        tier_text = rd.get(row, "tier")
        tier = effect.tier
        if tier_text:
            t_effect, t_known = role_effect(tier_text)
            if t_known and t_effect.tier:
                tier = t_effect.tier
            else:
                self.out.rejects.append(Reject(n, f"circle {tier_text!r} is not one of socle, membre, adhérent, "
                                                  "partie prenante, partenaire associé: dropped", rd.column("tier"),
                                               tier_text, fatal=False))
        dates: dict[str, str | None] = {}
        for f in ("start", "end"):
            v = rd.get(row, f)
            if v:
                try:
                    dates[f] = parse_date(v)
                    if not 1800 <= year_of(dates[f]) <= 2200:  # the model's years
                        dates.pop(f)
                        raise CellError(f"{v!r} is outside 1800–2200")
                except CellError as e:
                    self.out.rejects.append(Reject(n, f"{e}: date dropped", rd.column(f), v, fatal=False))
        if dates.get("start") and dates.get("end") and year_of(dates["start"]) > year_of(dates["end"]):
            self.out.rejects.append(Reject(n, f"membership ends ({dates['end']}) before it starts "
                                              f"({dates['start']}): end dropped", rd.column("end"),
                                           rd.get(row, "end"), fatal=False))
            dates.pop("end")
        if self.sheet_years is not None:  # a sheet per year: the list as it stood that year
            first, last = self.sheet_years
            if not dates:
                dates = {"start": first, "end": last}
            elif "end" not in dates and year_of(dates["start"]) <= int(last):
                dates["end"] = last  # its date d'adhésion kept: it leaves when no later sheet lists it
            elif "start" not in dates and year_of(dates["end"]) >= int(first):
                dates["start"] = first
        rels = []
        if effect.member:
            fields = {"role": role_text or None, "tier": tier, "college": rd.get(row, "college") or self.college}
            rels.append(Relation(type="membership", source=key, target=pkey, fields=fields,
                                 start=dates.get("start"), end=dates.get("end"), provenance=prov))
        carries = effect.carries or ("structure_porteuse" if carries_pole else None)
        if carries:
            rels.append(Relation(type="carries", source=key, target=pkey, fields={"function": carries},
                                 start=dates.get("start"), end=dates.get("end"), provenance=prov))
        if effect.founded:
            rels.append(Relation(type="founded", source=key, target=pkey, provenance=prov))
        if effect.funds:
            rels.append(Relation(type="funds", source=key, target=pkey, fields={"role": role_text},
                                 start=dates.get("start"), end=dates.get("end"), provenance=prov))
        if effect.supports:
            rels.append(Relation(type="supports", source=key, target=pkey, fields={"role": role_text},
                                 start=dates.get("start"), end=dates.get("end"), provenance=prov))
        return rels


#: How many rows of a pôle column (or pôle headings) naming a new pôle its note lists (:func:`new_pole_notes`).
NAMED_ROWS = 5


LOADER = MemberListLoader()
