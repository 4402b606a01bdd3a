"""Meeting reports: one self-contained HTML page per pôle, per territory, and the observatory.

The three reports lay out, for an animator, a collectivité or a researcher, what the analytics
modules compute — nothing is recomputed here:

- :func:`render_pole_report`: :func:`~maillage.analytics.poles.pole_diagnostic` (identity,
  composition, internal ties, cooperation forms, governance, funding),
  :func:`~maillage.analytics.criteria.evaluate_criteria` (tri-state checklist with the reason
  of every unknown), :func:`~maillage.analytics.overlaps.pole_overlaps`,
  :func:`~maillage.analytics.suggestions.suggest_partners` and the actor metrics of the latest
  stored analysis run of the report's lens and year, else of the latest run, with its notes
  (:func:`maillage.analytics.run.analyse`: betweenness, degree and Gould–Fernandez brokerage;
  :func:`maillage.api.export_view.choose_run`);
- :func:`render_territory_report`: :func:`~maillage.analytics.territory.territory_diagnostic`
  and :func:`~maillage.analytics.evolution.evolution`;
- :func:`render_observatory_report`: :func:`~maillage.analytics.observatory.observatory_table`
  (each statistic with its sample size and the value the RTES study published).

Charts are matplotlib figures (Agg backend, default fonts) inlined as SVG with real text;
the page loads nothing (inline CSS, no script) and prints cleanly (``@media print``). The
pôle and territory reports write the interactive map of their view
(:func:`maillage.api.maps.map_page`, itself offline) next to the page and link it. Every data
text is escaped by the templates (jinja2 autoescape) and the names of natural persons are
masked in every text, one number per person (:func:`maillage.analytics.report.report_masker`).
French by default, English with ``lang="en"``.

>>> from maillage.graph import open_store
>>> import tempfile, pathlib
>>> out = render_observatory_report(open_store(":memory:"), pathlib.Path(tempfile.mkdtemp()) / "obs.html")
>>> "Observatoire" in out.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

import io
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from maillage.clock import paris_time
from maillage.graph.model import RelationView, Source
from maillage.graph.names import alpha_key
from maillage.graph.projection import lens_types
from maillage.graph.store import NotFound, Store, StoreError, Subgraph
from maillage.graph.vocabulary import vocabulary
from maillage.writing import amount_text, listed

from .criteria import criteria_of
from .evolution import evolution
from .lenses import INTERLOCK_TYPES, get_lens, interlocks, ties_of
from .observatory import observatory_table, reference_text
from .overlaps import pole_overlaps
from .poles import (NOT_DONE, NOT_GRANTED, PoleContext, diagnostic_of, funding_ties, granted, level_label,
                    pole_context, states_no_grant)
from .report import LENS_LABELS, MAP_ON_PAPER, TEMPLATES, report_masker, fmt_measure, fmt_number, level, run_sentences, run_text, source_name, top_without_split_ties, when_text
from .suggestions import shared_text, suggest_partners, why
from .views import lens_view
from .territory import (ISOLATED_CODES, PartCount, TerritoryDiagnostic, TerritoryMaterial, YearChanges,
                        changes_since, diagnose, entry_status_label, fact_years, part_of, person_grants_of,
                        status_label)

#: Members shown in the "central and brokering members" table.
TOP_MEMBERS = 10
#: Rows of the members' funding tables shown (funder × member, then by funder).
TOP_MEMBER_GRANTS = 30
#: Members' partners outside the pôle shown.
TOP_OUTSIDE = 20
#: An outside actor's tie to a member in words, by type and by which end the outside actor is
#: (``out``: it is the source, ``in``: the member is); undirected types have one form.
OUTSIDE_TIES = {
    "fr": {("membership", "out"): "membre d'un membre", ("membership", "in"): "compte un membre parmi ses membres",
           ("carries", "out"): "structure porteuse d'un membre", ("carries", "in"): "porté par un membre",
           ("supports", "out"): "accompagne un membre", ("supports", "in"): "accompagné par un membre",
           ("hosts", "out"): "héberge un membre", ("hosts", "in"): "hébergé par un membre",
           ("founded", "out"): "a fondé un membre", ("founded", "in"): "fondé par un membre",
           ("funds", "out"): "finance un membre", ("funds", "in"): "financé par un membre",
           ("cooperates", "out"): "coopère avec un membre", ("partner", "out"): "partenaire d'un membre"},
    "en": {("membership", "out"): "member of a member", ("membership", "in"): "has a member among its members",
           ("carries", "out"): "carries a member", ("carries", "in"): "carried by a member",
           ("supports", "out"): "supports a member", ("supports", "in"): "supported by a member",
           ("hosts", "out"): "hosts a member", ("hosts", "in"): "hosted by a member",
           ("founded", "out"): "founded a member", ("founded", "in"): "founded by a member",
           ("funds", "out"): "funds a member", ("funds", "in"): "funded by a member",
           ("cooperates", "out"): "cooperates with a member", ("partner", "out"): "partner of a member"},
}
#: Suggested partners shown.
TOP_SUGGESTIONS = 8
#: Metrics of the stored run shown for members (in this order), with their labels.
MEMBER_METRICS = ("degree", "betweenness", "brokerage_total", "brokerage_liaison")

LANGS = ("fr", "en")

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "generated": "Généré le", "skip": "Aller au contenu", "page_of": "page {n} sur {N}", "as_of": "en {year}", "all_years": "toutes années confondues",
        "contents": "Sommaire", "map_link": "Ouvrir la carte interactive (fichier à côté de ce rapport)", **MAP_ON_PAPER["fr"],
        "none": "Aucun.", "n": "n", "yes": "oui", "no": "non", "unknown": "inconnu", "suggestion": "suggestion",
        "actor": "Acteur", "family": "Famille", "count": "Nombre", "share": "Part", "reason": "Raison",
        "reasons": "Raisons", "caveat": "Précaution", "place": "Lieu", "amount": "Montant connu (€)",
        "ties": "Liens", "years": "Années", "level": "Niveau", "funders": "Financeurs", "value": "Valeur",
        "source": "Source", "sources": "Sources", "documents": "Documents", "title": "Titre",
        "pole_title": "Rapport de pôle : {name}", "territory_title": "Rapport de territoire : {name}",
        "observatory_title": "Observatoire des pôles territoriaux de coopération économique",
        "persons_note": "Les personnes physiques (élu·es, salarié·es) ne sont jamais nommées dans ce rapport.",
        "s_identity": "Identité et phase", "s_composition": "Composition par famille d'acteurs (art. 9)",
        "s_criteria": "Critères : ce qui est établi, contredit ou inconnu", "s_forms": "Formes de coopération",
        "s_central": "Membres centraux et passeurs", "s_without_tie": "Membres sans lien interne documenté",
        "s_funding": "Financements reçus par le pôle et sa structure porteuse",
        "s_member_funding": "Financements reçus par les membres", "member": "Membre", "grants": "Financements",
        "by_funder": "Par financeur", "members_funded": "Membres financés",
        "member_funding_note": ("Financements reçus par les membres du pôle (hors structure porteuse) d'après les "
                                "sources chargées : {ties}, {members} financés sur {of}. Les financements du pôle et "
                                "de sa structure porteuse sont dans la section précédente."),
        "none_member_funding": ("Aucun financement reçu par un membre n'est connu. Un fichier de subventions "
                                "(format SCDL) dont les membres sont bénéficiaires les ajoute (maillage load)."),
        "more_rows": "Et {n} autres lignes, non affichées.",
        "s_outside": "Partenaires des membres, hors du pôle", "members_tied": "Membres liés",
        "tie_kinds": "Nature des liens",
        "outside_note": ("Acteurs liés à au moins un membre par une coopération, un partenariat, un accompagnement, un "
                         "financement… et qui ne sont ni membres ni structure porteuse du pôle : {n}, les plus liés "
                         "aux membres d'abord. Des partenaires à connaître, de futurs membres possibles. Les personnes "
                         "physiques ne sont jamais listées."),
        "more_actors": "Et {n} autres acteurs, non affichés.",
        "public_grants": ("{n} des subventions de {funder} (membre), non listés ici : ce qu'une collectivité "
                          "ou un organisme public membre finance n'en fait pas un partenaire du pôle."),
        "none_outside": "Aucun partenaire des membres hors du pôle n'est documenté.", "s_governance": "Gouvernance", "s_overlaps": "Recouvrements avec d'autres pôles",
        "s_suggestions": "Partenaires suggérés", "s_sources": "Sources des chiffres",
        "s_actors": "Acteurs du territoire par famille", "s_poles": "Pôles présents",
        "reason_status": "motif : {status}",
        "s_isolated": "Acteurs isolés ou périphériques", "s_funders": "Financeurs et rôles des collectivités",
        "s_border": "Liens au-delà du territoire", "s_evolution": "Évolution par année",
        "s_turnover": "Adhésions au fil des années", "year": "Année", "members_year": "Membres", "entries": "Entrées",
        "exits": "Sorties", "list_starts": "début de la liste",
        "turnover_note": ("Adhésions datées (une liste par année, des dates d'adhésion) : n = {dated} ; non datées : "
                          "{undated}, comptées chaque année. Les personnes physiques ne sont pas comptées."),
        "to_here": "Financements reçus par les acteurs du territoire", "funder": "Financeur",
        "cofunders": "Financeurs des mêmes acteurs du territoire",
        "cofunders_note": ("Deux financeurs sont rapprochés quand ils financent au moins un même acteur situé ici ; "
                           "Jaccard : part des bénéficiaires d'ici communs aux deux ; montant : ce qu'ils donnent, "
                           "à eux deux, à ces bénéficiaires communs (montants connus). Les dix premières paires."),
        "shared_beneficiaries": "Bénéficiaires communs", "territory_years": "Financements reçus par année",
        "to_itself_note": ("{name} se finance lui-même : {ties}, {amount}, comptés ci-dessus (des fonds qu'une "
                           "collectivité gère et s'attribue, européens par exemple)."),
        "to_persons": ("dont {n} subvention ({amount}) à une personne physique, non détaillée|"
                       "dont {n} subventions ({amount}) à des personnes physiques, non détaillées"),
        "not_observed": ("{n} acteur du territoire sans aucun lien en {year}, non compté ici : tous ses liens sont "
                         "datés d'autres années (parti avant, ou arrivé après)|"
                         "{n} acteurs du territoire sans aucun lien en {year}, non comptés ici : tous leurs liens sont "
                         "datés d'autres années (partis avant, ou arrivés après)"),
        "since_title": "Depuis {before}",
        "since_intro": ("Par rapport à {before} : les acteurs devenus isolés, périphériques ou peut-être "
                        "sous-documentés en {year}, et ceux qui ne le sont plus (collectivités et organismes "
                        "publics à part)."),
        "since_became": "Devenus isolés ou périphériques", "since_no_longer": "Ne le sont plus (liés depuis, ou partis)",
        "since_in": "En {year}", "since_none": "Aucun changement depuis {before}.",
        "since_no_data": "Aucune donnée datée de {before} : pas de comparaison avec l'année précédente.",
        "since_column": "situation en {before}",
        "review": ("{n} rapprochement à examiner concerne des acteurs de ce rapport : deux fiches peuvent décrire "
                   "un même acteur, compté deux fois ici. Pour trancher : maillage resolve --review|"
                   "{n} rapprochements à examiner concernent des acteurs de ce rapport : deux fiches peuvent "
                   "décrire un même acteur, compté deux fois ici. Pour trancher : maillage resolve --review"),
        "review_pairs": "Les fiches à rapprocher",
        "none_to_here": "Aucun financement reçu par un acteur du territoire n'est connu.",
        "from_here": ("Financements accordés par les acteurs du territoire à des acteurs situés ailleurs ou sans lieu "
                      "connu"),
        "beyond": "hors du territoire", "unlocated": "sans lieu connu", "and_more": "et {n} autres",
        "unlocated_note": ("Un bénéficiaire sans lieu connu n'est compté dans aucun territoire : un fichier de "
                           "subventions ne donne pas son adresse. Chargez un extrait SIRENE qui le contient "
                           "(maillage load) pour le situer."),
        "s_observatory": "Statistiques de l'étude RTES recalculées sur le graphe",
        "kind": "Type", "phase": "Phase", "founded": "Création", "perimeter": "Périmètre", "legal_form": "Forme juridique",
        "labels": "Labels", "carriers": "Structure(s) porteuse(s)", "members": "Membres",
        "members_named": "{n} nommé dans les sources|{n} nommés dans les sources",
        "members_units": " ({n} en comptant les membres cités sans nom ou par groupe)",
        "members_undeclared": " ; aucune source ne déclare leur nombre",
        "members_same": " ; nombre déclaré : {d}, identique",
        "members_fewer": " ; nombre déclaré : {d} — les sources en nomment moins que le nombre déclaré",
        "members_more": " ; nombre déclaré : {d} — les sources en nomment plus que le nombre déclaré",
        "declared": "Membres déclarés", "coverage": "Part des membres listés",
        "blau": "Indice de Blau (hétérogénéité)", "iqv": "Variation qualitative (IQV)",
        "density": "Densité des liens internes", "criterion": "Critère", "state": "État",
        "form": "Forme", "documented": "Documentée", "maturity": "marqueur de maturité",
        "unqualified": "liens de coopération sans forme précisée",
        "central_note": ("Mesures de {run} (lentille « {lens} », graphe entier{year}) pour les "
                         "{n} membres et structures porteuses qui y figurent ; les {top} premiers par "
                         "intermédiarité. Passeur : acteur qui relie des acteurs d'autres familles "
                         "(courtage de Gould et Fernandez 1989)."),
        "no_run": "Aucune analyse enregistrée : lancez « maillage analyse » pour obtenir ces mesures.",
        "central_star": ("Les membres ne sont reliés qu'à travers le pôle{through} : aucun ne se distingue "
                         "encore, le classement n'est donc pas donné. {hint}"),
        "through_carrier": " ou sa structure porteuse",
        "central_tie": "Puis {n} membres à égalité sur ces mesures, non départagés.",
        "central_tie_head": "{n} membres à égalité en tête sur ces mesures, non départagés.",
        "central_tied": ("Les {n} membres ont tous les mêmes mesures (degré {degree}, intermédiarité "
                         "{betweenness}) : aucun ne se distingue, le classement n'est donc pas donné. {hint}"),
        "central_hint": ("Chargez des partenariats, des coopérations ou des financements entre acteurs pour voir "
                         "qui relie qui"),
        "central_hint_funding": (" (les financements comptent dans « maillage analyse --lens tout », puis "
                                 "« maillage report --lens tout »)."),
        "degree": "Degré", "betweenness": "Intermédiarité", "brokerage_total": "Courtage (total)",
        "brokerage_liaison": "Courtage (liaison)", "broker": "Passeur",
        "by_level": "Financement par niveau de collectivité", "over_years": "Financements par année",
        "no_dated_funding": "Aucun financement daté : pas de série par année.",
        "undated_funding": "{n} financement(s) sans année, non placés sur le graphique.",
        "funding_basis": "Base des parts", "hhi": "Concentration (Herfindahl)", "public_share": "Part publique",
        "seats": "Sièges documentés", "governs": "Gouverne", "body": "Instance", "college": "Collège",
        "coll_gov": "Collectivités dans la gouvernance", "roles": "Rôles des collectivités",
        "collectivite": "Collectivité", "role": "Rôle", "pole": "Pôle", "shared": "Membres communs",
        "jaccard": "Indice de Jaccard", "also_in": "Aussi membre de",
        "suggestions_note": ("Suggestions à vérifier, pas des liens établis : les deux acteurs de chaque ligne ne "
                             "sont liés par aucune relation connue. Ces pistes sont calculées à partir des partenaires "
                             "communs (Adamic et Adar 2003), de la complémentarité et de la proximité territoriale. "
                             "D'abord le pôle ou un de ses membres avec un acteur hors du pôle (un nouveau membre, "
                             "un partenaire possible), puis deux membres ; deux acteurs qui n'ont que le pôle en "
                             "commun ne sont pas proposés : ils le partagent déjà."),
        "member_mark": "membre", "carrier_mark": "structure porteuse",
        "read_composition": ("Comment lire : l'indice de Blau est la probabilité que deux membres tirés au hasard "
                             "soient de familles d'acteurs différentes ; 0 quand tous sont de la même famille, "
                             "d'autant plus proche de 1 que les familles sont nombreuses et également représentées. "
                             "La variation qualitative (IQV) est le même indice rapporté à son maximum pour les K "
                             "familles possibles : 1 quand les membres se répartissent également entre toutes."),
        "read_hhi": ("Comment lire : la concentration (indice de Herfindahl) est la somme des carrés des parts de "
                     "chaque financeur ; 1 quand un seul financeur apporte tout, d'autant plus proche de 0 que les "
                     "financements se répartissent entre de nombreux financeurs de poids comparable."),
        "read_jaccard": ("Comment lire : l'indice de Jaccard est la part des membres communs parmi les membres des "
                         "deux pôles réunis ; 0 : aucun membre commun, 1 : les mêmes membres."),
        "read_suggestions": ("Comment lire : l'indice d'Adamic–Adar compte les partenaires que deux acteurs ont en "
                             "commun, chacun d'autant plus qu'il a lui-même peu de partenaires : partager un petit "
                             "partenaire rapproche plus que partager une tête de réseau liée à tout le monde. Le "
                             "score réunit cet indice, la complémentarité des familles d'acteurs et la proximité "
                             "territoriale : plus il est élevé, plus la piste est étayée."),
        "score": "Score", "why": "Pourquoi", "between": "Entre",
        "sugg_count": "les {shown} meilleures des {considered} paires non liées examinées (n = {considered})",
        "sources_note": ("Chaque chiffre de ce rapport indique son effectif n (les unités sur lesquelles il est "
                         "calculé). Sources des faits utilisés :"),
        "loaded_on": "chargé le", "source_id": "identifiant", "fingerprint": "empreinte",
        "run_small": "Mesures des membres centraux : {run}, identifiant",
        "in_pole": "Dans un pôle", "not_in_pole": "Hors pôle", "actors": "Acteurs", "members_here": "Membres ici",
        "presence": "Présence", "possible": "Pôles possibles (situés à une échelle plus large)",
        "beneficiaries": "Bénéficiaires", "stated": "{n} affirmé|{n} affirmés", "derived": "{n} déduit|{n} déduits",
        "border_note": ("{relations} vers {pairs} d'acteurs situés hors du territoire ; "
                        "{enclosing} avec des acteurs d'échelle englobante et {unlocated} avec des acteurs non "
                        "localisés, non comptées."), "types": "Types",
        "outside": "Partenaire extérieur", "inside_partners": "Partenaires ici",
        "evo_chart": "Acteurs, membres d'un pôle et liens directs", "isolated": "Isolés",
        "evo_actors": "Acteurs observés", "evo_in_pole": "Membres d'un pôle", "evo_direct": "Liens directs",
        "evo_direct_dated": "dont datés", "evo_single": "Un seul partenaire",
        "evo_how": ("Comment lire : pour chaque année, « Membres d'un pôle » compte les acteurs du territoire membres "
                    "ou structure porteuse d'un pôle (situé ici ou ailleurs) ; « Liens directs » compte les paires "
                    "d'acteurs du territoire liées entre elles (coopération, partenariat, accompagnement…), "
                    "l'adhésion à un pôle mise à part ; « Un seul partenaire » compte les acteurs qui n'ont qu'un "
                    "partenaire direct, qui peut être leur pôle."),
        "years_read": ("Chaque financement y est compté une fois, l'année où il commence : le début de sa période de "
                       "versement, sinon la date de sa convention ; les montants s'additionnent ainsi comme au "
                       "tableau des financeurs."),
        "years_spread": ("Période de versement sur plusieurs années : {grants} sur {total}, jusqu'en {last} ; la section 6 compte "
                         "un tel financement chaque année de sa période."),
        "evo_grants": ("Un acteur est observé les années où l'un de ses liens est en cours : une subvention, chaque "
                       "année de sa période de versement (ici de {first} à {last}), quand la section 4 la compte une "
                       "fois, l'année où elle commence."),
        "statistic": "Statistique", "computed": "Valeur calculée", "n_poles": "Pôles", "published": "Valeur publiée",
        "reference": "Réf.", "obs_note": ("RTES (2016), « Les rôles des collectivités locales dans les dynamiques "
                                          "de PTCE », Repères. Chaque valeur est recalculée sur les pôles chargés, "
                                          "avec son effectif n ; la valeur publiée est donnée à côté pour "
                                          "comparaison, pas comme cible."),
        "obs_chart": "Parts calculées et publiées", "group": "Groupe",
        "gaps": "peut refléter un manque de documentation",
        "peripheral": "Périphériques", "doc_gaps": "Peut-être sous-documentés",
        "csv_link": "Toute la liste pour un tableur", "csv_note": "séparateur « ; », une ligne par acteur",
        "grouped_note": ("{n} acteurs : la liste est donnée par {level}. Le tableau compte chaque groupe ; "
                         "ouvrir un groupe (clic sur son nom) montre ses acteurs avec leurs raisons."),
        "by_family": "famille d'acteurs",
        "shown_note": ("Cette page montre au plus les {shown} premiers acteurs de chaque groupe (les isolés "
                       "d'abord) : {n} acteur sur {total} n'y figure pas ; il est dans le fichier {csv}, à côté de ce "
                       "rapport, qui les liste tous, un par ligne.|"
                       "Cette page montre au plus les {shown} premiers acteurs de chaque groupe (les isolés "
                       "d'abord) : {n} acteurs sur {total} n'y figurent pas ; ils sont dans le fichier {csv}, à côté "
                       "de ce rapport, qui les liste tous, un par ligne."),
        "group_more": ("… et {n} autre acteur de ce groupe, non montré ici : voir le fichier {csv}.|"
                       "… et {n} autres acteurs de ce groupe, non montrés ici : voir le fichier {csv}."),
        "data_note": ("Isolé dans les données ne veut pas dire isolé dans les faits : un acteur est ici sans lien "
                      "quand aucune source chargée n'en décrit. Un fichier de subventions ne donne que des "
                      "financements ; une liste de membres, une enquête ou une cartographie de pôle ajoutent les "
                      "coopérations (maillage load)."),
        "status": "Situation",
        "s_leads": "Pistes de partenaires pour les acteurs isolés",
        "leads_intro": ("Suggestions à vérifier auprès des acteurs, jamais des faits : d'abord les pôles actifs "
                        "sur le territoire, les plus proches d'abord (même commune, puis même intercommunalité), "
                        "puis des partenaires possibles, calculés à partir des liens documentés (partenaires en "
                        "commun) et de la proximité (même commune, puis même intercommunalité), au plus {k} par "
                        "acteur isolé, la meilleure d'abord. Deux acteurs suggérés ici n'ont aucun lien connu. "
                        "Les collectivités et organismes publics n'y sont pas proposés : ce sont des financeurs "
                        "et des interlocuteurs, pas des partenaires de coopération."),
        "pole_lead": "Rejoindre le pôle {name}, actif sur le territoire : {members}",
        "pole_lead_members": "membre|membres",
        "leads_more": ("Pistes données pour les {n} premiers des {total} acteurs isolés (dans l'ordre de la liste "
                       "ci-dessus)."),
        "leads_tied": ("Aucune piste : plus de {most} acteurs de la même commune ou de la même intercommunalité, "
                       "sans partenaire en commun, sont à égalité ; en proposer {k} serait les choisir par ordre "
                       "alphabétique. Des liens documentés (liste de membres, enquête) ou la famille de chacun "
                       "(extrait SIRENE) les distingueraient."),
        "leads_none": ("Aucune piste : aucun candidat dans la même commune ou la même intercommunalité, et aucun "
                       "partenaire en commun."),
        "leads_not_computed": "Pistes non calculées : le rapport en donne pour les {n} premiers acteurs isolés.",
        "public_note": ("Hors de ces listes, {n} sans lien de coopération dans les données : {names}. Leurs "
                        "financements, donnés ou reçus, sont dans la section 4 ; ces listes sont celles des acteurs "
                        "que le territoire accompagne."),
        "public_what": "collectivité ou service public|collectivités ou services publics",
        "none_flagged": "Aucun acteur situé dans le territoire n'est isolé ni périphérique.",
        "unplaced_flagged": ("{n} bénéficiaire des financements accordés par {funders} est sans lieu connu : il "
                             "n'est situé dans aucun territoire, donc dans aucune de ces listes, quels que soient "
                             "ses liens (section 4). Chargez un extrait SIRENE qui le contient (maillage load) pour "
                             "le situer.|{n} bénéficiaires des financements accordés par {funders} sont sans lieu "
                             "connu : ils ne sont situés dans aucun territoire, donc dans aucune de ces listes, quels "
                             "que soient leurs liens (section 4). Chargez un extrait SIRENE qui les contient "
                             "(maillage load) pour les situer."),
    },
    "en": {
        "generated": "Generated on", "skip": "Skip to content", "page_of": "page {n} of {N}", "as_of": "in {year}", "all_years": "all years",
        "contents": "Contents", "map_link": "Open the interactive map (file next to this report)", **MAP_ON_PAPER["en"],
        "none": "None.", "n": "n", "yes": "yes", "no": "no", "unknown": "unknown", "suggestion": "suggestion",
        "actor": "Actor", "family": "Family", "count": "Count", "share": "Share", "reason": "Reason",
        "reasons": "Reasons", "caveat": "Caveat", "place": "Place", "amount": "Known amount (€)",
        "ties": "Ties", "years": "Years", "level": "Level", "funders": "Funders", "value": "Value",
        "source": "Source", "sources": "Sources", "documents": "Documents", "title": "Title",
        "pole_title": "Pôle report: {name}", "territory_title": "Territory report: {name}",
        "observatory_title": "Observatory of the PTCE",
        "persons_note": "Natural persons are never named in this report.",
        "s_identity": "Identity and phase", "s_composition": "Composition by actor family (art. 9)",
        "s_criteria": "Criteria: established, contradicted or unknown", "s_forms": "Cooperation forms",
        "s_central": "Central and brokering members", "s_without_tie": "Members with no documented internal tie",
        "s_funding": "Funding received by the pôle and its carrying structure",
        "s_member_funding": "Funding received by the members", "member": "Member", "grants": "Grants",
        "by_funder": "By funder", "members_funded": "Members funded",
        "member_funding_note": ("Funding received by the pôle's members (carrying structure aside) according to the "
                                "sources loaded: {ties}, {members} funded out of {of}. The funding of the pôle and "
                                "its carrying structure is in the previous section."),
        "none_member_funding": ("No funding received by a member is known. A subsidy file (SCDL format) whose "
                                "bénéficiaires are members adds it (maillage load)."),
        "more_rows": "And {n} more rows, not shown.",
        "s_outside": "Members' partners outside the pôle", "members_tied": "Members tied", "tie_kinds": "Kinds of ties",
        "outside_note": ("Actors tied to at least one member by a cooperation, a partnership, support, funding… that "
                         "are neither members nor the carrying structure of the pôle: {n}, the most tied to the "
                         "members first. Partners to know, possible future members. Natural persons are never "
                         "listed."),
        "more_actors": "And {n} more actors, not shown.",
        "public_grants": ("{n} of the grants of {funder} (member), not listed here: what a member collectivité "
                          "or public body funds does not make a partner of the pôle."),
        "none_outside": "No partner of the members outside the pôle is documented.", "s_governance": "Governance", "s_overlaps": "Overlaps with other pôles",
        "s_suggestions": "Suggested partners", "s_sources": "Sources behind the figures",
        "s_actors": "Actors of the territory by family", "s_poles": "Pôles present",
        "reason_status": "reason: {status}",
        "s_isolated": "Isolated or peripheral actors", "s_funders": "Funders and roles of the collectivités",
        "s_border": "Ties across the border", "s_evolution": "Evolution over the years",
        "s_turnover": "Memberships over the years", "year": "Year", "members_year": "Members", "entries": "Joined",
        "exits": "Left", "list_starts": "start of the list",
        "turnover_note": ("Dated memberships (a list per year, membership dates): n = {dated}; undated: {undated}, "
                          "counted every year. Natural persons are not counted."),
        "to_here": "Funding received by actors of the territory", "funder": "Funder",
        "cofunders": "Funders of the same actors of the territory",
        "cofunders_note": ("Two funders are paired when they fund at least one same actor located here; Jaccard: the "
                           "share of their beneficiaries here they have in common; amount: what the two give these "
                           "common beneficiaries (known amounts). The first ten pairs."),
        "shared_beneficiaries": "Shared beneficiaries", "territory_years": "Funding received by year",
        "to_itself_note": ("{name} funds itself: {ties}, {amount}, counted above (funds a collectivité manages "
                           "and attributes to itself, European funds for instance)."),
        "to_persons": ("of which {n} grant ({amount}) to a natural person, not detailed|"
                       "of which {n} grants ({amount}) to natural persons, not detailed"),
        "not_observed": ("{n} actor of the territory with no tie in {year}, not counted here: all its ties are dated "
                         "in other years (gone before, or arrived after)|"
                         "{n} actors of the territory with no tie in {year}, not counted here: all their ties are "
                         "dated in other years (gone before, or arrived after)"),
        "since_title": "Since {before}",
        "since_intro": ("Compared with {before}: the actors that became isolated, peripheral or possibly "
                        "under-documented in {year}, and those no longer so (collectivités and public bodies "
                        "apart)."),
        "since_became": "Became isolated or peripheral", "since_no_longer": "No longer so (tied since, or gone)",
        "since_in": "In {year}", "since_none": "No change since {before}.",
        "since_no_data": "No dated data for {before}: no comparison with the year before.",
        "since_column": "status in {before}",
        "review": ("{n} possible merge to review concerns actors of this report: two records may describe one "
                   "actor, counted twice here. To decide: maillage resolve --review|"
                   "{n} possible merges to review concern actors of this report: two records may describe one "
                   "actor, counted twice here. To decide: maillage resolve --review"),
        "review_pairs": "The records to compare",
        "none_to_here": "No funding received by an actor of the territory is known.",
        "from_here": "Funding by actors of the territory to actors located elsewhere or with no known place",
        "beyond": "outside the territory", "unlocated": "no known place", "and_more": "and {n} more",
        "unlocated_note": ("A beneficiary with no known place counts in no territory: a subsidy file gives no "
                           "address. Load a SIRENE extract that holds it (maillage load) to place it."),
        "s_observatory": "RTES study statistics computed on the graph",
        "kind": "Kind", "phase": "Phase", "founded": "Founded", "perimeter": "Perimeter", "legal_form": "Legal form",
        "labels": "Labels", "carriers": "Carrying structure(s)", "members": "Members",
        "members_named": "{n} named in the sources|{n} named in the sources",
        "members_units": " ({n} counting the members cited without a name or as a group)",
        "members_undeclared": "; no source declares how many there are",
        "members_same": "; declared number: {d}, the same",
        "members_fewer": "; declared number: {d} — the sources name fewer than declared",
        "members_more": "; declared number: {d} — the sources name more than declared",
        "declared": "Declared members", "coverage": "Share of members listed",
        "blau": "Blau index (heterogeneity)", "iqv": "Qualitative variation (IQV)",
        "density": "Internal tie density", "criterion": "Criterion", "state": "State",
        "form": "Form", "documented": "Documented", "maturity": "maturity marker",
        "unqualified": "cooperation ties with no stated form",
        "central_note": ("Measures of {run} ('{lens}' lens, whole graph{year}) for the {n} members and "
                         "carrying structures it holds; the first {top} by betweenness. Broker: an actor "
                         "linking actors of other families (Gould & Fernandez 1989 brokerage)."),
        "no_run": "No stored analysis: run 'maillage analyse' to get these measures.",
        "central_star": ("The members are tied only through the pôle{through}: none stands out yet, so no "
                         "ranking is given. {hint}"),
        "through_carrier": " or its carrying structure",
        "central_tie": "Then {n} members tied on these measures, not ranked.",
        "central_tie_head": "{n} members tied at the top on these measures, not ranked.",
        "central_tied": ("The {n} members all have the same measures (degree {degree}, betweenness "
                         "{betweenness}): none stands out, so no ranking is given. {hint}"),
        "central_hint": "Load partnerships, cooperations or funding between actors to see who links whom",
        "central_hint_funding": " (funding counts in 'maillage analyse --lens all', then 'maillage report --lens all').",
        "degree": "Degree", "betweenness": "Betweenness", "brokerage_total": "Brokerage (total)",
        "brokerage_liaison": "Brokerage (liaison)", "broker": "Broker",
        "by_level": "Funding by collectivité level", "over_years": "Funding by year",
        "no_dated_funding": "No dated funding: no yearly series.",
        "undated_funding": "{n} funding tie(s) without a year, not on the chart.",
        "funding_basis": "Basis of shares", "hhi": "Concentration (Herfindahl)", "public_share": "Public share",
        "seats": "Documented seats", "governs": "Governs", "body": "Body", "college": "College",
        "coll_gov": "Collectivités in governance", "roles": "Roles of the collectivités",
        "collectivite": "Collectivité", "role": "Role", "pole": "Pôle", "shared": "Shared members",
        "jaccard": "Jaccard index", "also_in": "Also a member of",
        "suggestions_note": ("Suggestions to check, not established ties: the two actors of each row have no "
                             "known tie. These leads are computed from common partners (Adamic & "
                             "Adar 2003), complementarity and territorial closeness. First the pôle or one of its "
                             "members with an actor outside the pôle (a new member, a possible partner), then two "
                             "members; two actors whose only common partner is the pôle are not suggested: they "
                             "already share it."),
        "member_mark": "member", "carrier_mark": "carrying structure",
        "read_composition": ("How to read: Blau's index is the probability that two members drawn at random belong "
                             "to different actor families; 0 when all are of one family, the closer to 1 the more "
                             "families there are and the more evenly they are represented. The qualitative "
                             "variation (IQV) is the same index divided by its maximum for the K possible families: "
                             "1 when the members are spread evenly across all of them."),
        "read_hhi": ("How to read: the concentration (Herfindahl index) is the sum of the squared shares of the "
                     "funders; 1 when a single funder gives everything, the closer to 0 the more the funding is "
                     "spread over many funders of similar weight."),
        "read_jaccard": ("How to read: the Jaccard index is the share of shared members among the members of both "
                         "pôles together; 0: no shared member, 1: the same members."),
        "read_suggestions": ("How to read: the Adamic–Adar index counts the partners two actors have in common, each "
                             "the more as it has few partners itself: sharing a small partner brings two actors "
                             "closer than sharing a federation tied to everyone. The score combines this index, the "
                             "complementarity of the actor families and territorial closeness: the higher, the "
                             "better founded the lead."),
        "score": "Score", "why": "Why", "between": "Between",
        "sugg_count": "the best {shown} of the {considered} unlinked pairs examined (n = {considered})",
        "sources_note": "Every figure of this report gives its sample size n. Sources of the facts used:",
        "loaded_on": "loaded on", "source_id": "id", "fingerprint": "fingerprint",
        "run_small": "Measures of the central members: {run}, id",
        "in_pole": "In a pôle", "not_in_pole": "In no pôle", "actors": "Actors", "members_here": "Members here",
        "presence": "Presence", "possible": "Possible pôles (located at a wider scale)",
        "beneficiaries": "Beneficiaries", "stated": "{n} stated|{n} stated", "derived": "{n} derived|{n} derived",
        "border_note": ("{relations} to {pairs} of actors located outside; {enclosing} with "
                        "actors at an enclosing scale and {unlocated} with unlocated actors, not counted."),
        "types": "Types", "outside": "Outside partner", "inside_partners": "Partners here",
        "evo_chart": "Actors, pôle members and direct ties", "isolated": "Isolated",
        "evo_actors": "Observed actors", "evo_in_pole": "Pôle members", "evo_direct": "Direct ties",
        "evo_direct_dated": "of which dated", "evo_single": "Single partner",
        "evo_how": ("How to read: for each year, 'Pôle members' counts the actors of the territory that are members "
                    "or structure porteuse of a pôle (located here or elsewhere); 'Direct ties' counts the pairs of "
                    "actors of the territory tied to each other (cooperation, partnership, support…), membership of "
                    "a pôle aside; 'Single partner' counts the actors with a single direct partner, which may be "
                    "their pôle."),
        "years_read": ("Each grant is counted here once, the year it starts: the start of its payment period, else "
                       "the date of its agreement; the amounts thus add up as in the funders' table."),
        "years_spread": ("Payment period over several years: {grants} of {total}, up to {last}; section 6 counts such a grant "
                         "each year of its period."),
        "evo_grants": ("An actor is observed the years one of its ties is running: a grant, each year of its payment "
                       "period (here {first} to {last}), where section 4 counts it once, the year it starts."),
        "statistic": "Statistic", "computed": "Computed value", "n_poles": "Pôles", "published": "Published value",
        "reference": "Ref.", "obs_note": ("RTES (2016), 'Les rôles des collectivités locales dans les dynamiques de "
                                          "PTCE', Repères. Each value is recomputed over the loaded pôles, with its "
                                          "sample size n; the published value is given for comparison, not as a target."),
        "obs_chart": "Computed and published shares", "group": "Group",
        "gaps": "may reflect missing documentation",
        "peripheral": "Peripheral", "doc_gaps": "Possibly under-documented",
        "csv_link": "The whole list for a spreadsheet", "csv_note": "comma-separated, one row per actor",
        "grouped_note": ("{n} actors: the list is given by {level}. The table counts each group; open a group "
                         "(click its name) to see its actors with their reasons."),
        "by_family": "actor family",
        "shown_note": ("This page shows at most the first {shown} actors of each group (the isolated first): "
                       "{n} actor of {total} is not in it; it is in the file {csv}, next to this report, which "
                       "lists them all, one per row.|"
                       "This page shows at most the first {shown} actors of each group (the isolated first): "
                       "{n} actors of {total} are not in it; they are in the file {csv}, next to this report, "
                       "which lists them all, one per row."),
        "group_more": ("… and {n} more actor of this group, not shown here: see the file {csv}.|"
                       "… and {n} more actors of this group, not shown here: see the file {csv}."),
        "data_note": ("Isolated in the data does not mean isolated in fact: an actor has no tie here when no "
                      "source loaded describes one. A subsidy file gives funding only; a member list, a survey or a "
                      "pôle's map add the cooperation ties (maillage load)."),
        "public_note": ("Outside these lists, {n} with no cooperation tie in the data: {names}. Their funding, "
                        "given or received, is in section 4; these lists are of the actors the territory supports."),
        "public_what": "collectivité or public service|collectivités or public services",
        "none_flagged": "No actor located in the territory is isolated or peripheral.",
        "unplaced_flagged": ("{n} beneficiary of the funding granted by {funders} has no known place: it is in no "
                             "territory, so in none of these lists, whatever its ties (section 4). Load a SIRENE "
                             "extract holding it (maillage load) to place it.|{n} beneficiaries of the funding "
                             "granted by {funders} have no known place: they are in no territory, so in none of these "
                             "lists, whatever their ties (section 4). Load a SIRENE extract holding them (maillage "
                             "load) to place them."),
        "status": "Status",
        "s_leads": "Leads for the isolated actors",
        "leads_intro": ("Suggestions to check with the actors, never facts: first the pôles active in the "
                        "territory, the closest first (same municipality, then same EPCI), then possible partners "
                        "computed from the documented ties (partners in common) and from proximity (same "
                        "municipality, then same EPCI), at most {k} per isolated actor, best first. Two actors "
                        "suggested here have no known tie. Collectivités and public bodies are not proposed: they "
                        "are funders and contacts, not cooperation partners."),
        "pole_lead": "Join the pôle {name}, active in the territory: {members}",
        "pole_lead_members": "member|members",
        "leads_more": ("Leads are given for the first {n} of the {total} isolated actors (in the order of the list "
                       "above)."),
        "leads_none": "No lead: no candidate in the same municipality or EPCI, and no partner in common.",
        "leads_tied": ("No lead: more than {most} actors of the same municipality or EPCI, with no partner in "
                       "common, are level; proposing {k} would be choosing them in alphabetical order. Documented "
                       "ties (a member list, a survey) or each one's family (a SIRENE extract) would tell them "
                       "apart."),
        "leads_not_computed": "Leads not computed: the report gives them for the first {n} isolated actors.",
    },
}

#: "unknown" in French agrees with the label it follows: « Phase inconnue », « Lieu inconnu ».
UNKNOWN_FORMS = {"fr": {"m": "inconnu", "f": "inconnue", "mp": "inconnus", "fp": "inconnues"},
                 "en": {"m": "unknown", "f": "unknown", "mp": "unknown", "fp": "unknown"}}
#: Gender (and number) of the French labels (keys of :data:`STRINGS`) an unknown value follows;
#: the others are masculine singular (« Lieu », « Montant », « Rôle », a state: « inconnu »).
LABEL_GENDER = {"phase": "f", "founded": "f", "legal_form": "f", "carriers": "f", "declared": "mp",
                "coverage": "f", "density": "f", "iqv": "f", "hhi": "f", "public_share": "f", "computed": "f",
                "documented": "f"}


def members_line(size: Any, lang: str = "fr") -> str:
    """The pôle's members in one line (:class:`~maillage.analytics.poles.Size`): how many the
    sources name, and the declared number when a source declares one, saying when they differ.

    >>> from maillage.analytics.poles import Size
    >>> members_line(Size(named_members=11, placeholder_members=0, group_members=0, member_units=11, carriers=1,
    ...                   core_units=12))
    '11 nommés dans les sources ; aucune source ne déclare leur nombre'
    >>> members_line(Size(named_members=1, placeholder_members=0, group_members=0, member_units=1, carriers=1,
    ...                   core_units=2))
    '1 nommé dans les sources ; aucune source ne déclare leur nombre'
    """
    s = STRINGS[lang]
    out = _plural("members_named", size.named_members, lang)
    if size.member_units != size.named_members:
        out += s["members_units"].format(n=fmt_number(size.member_units, lang))
    d = size.declared_members
    if d is None:
        return out + s["members_undeclared"]
    key = "members_same" if size.member_units == d else "members_fewer" if size.member_units < d else "members_more"
    return out + s[key].format(d=fmt_number(d, lang))


def _counted(n: int, fr: str, en: str, lang: str) -> str:
    """« 0 relation », « 2 relations » (French: the singular up to 1); "1 pair", "0 pairs"."""
    word = (fr + ("s" if n > 1 else "")) if lang == "fr" else (en + ("" if n == 1 else "s"))
    return f"{fmt_number(n, lang)} {word}"


def _plural(key: str, n: int, lang: str, **kw: Any) -> str:
    """The singular or plural form of ``STRINGS[lang][key]`` (« singular|plural ») for ``n``: in
    French the singular up to 1 (« 0 nommé »), in English for 1 only."""
    one, many = STRINGS[lang][key].split("|")
    return (one if n == 1 or (lang == "fr" and n < 1) else many).format(n=fmt_number(n, lang), **kw)


def to_persons_text(n: int, amount: float, lang: str = "fr") -> str:
    """« dont 1 subvention (1 500 €) à une personne physique, non détaillée »: the grants to
    natural persons a total holds, never named.

    >>> to_persons_text(2, 3500, "en")
    'of which 2 grants (€3,500) to natural persons, not detailed'
    """
    money = amount_text(amount, lang) if amount else ("montant inconnu" if lang == "fr" else "amount unknown")
    return _plural("to_persons", n, lang, amount=money)


def _unplaced_text(t: TerritoryDiagnostic, lang: str) -> str | None:
    """Section 3's sentence on the bénéficiaires of the territory's funders that no territory
    holds (:attr:`TerritoryDiagnostic.unplaced_beneficiaries`), naming those funders; ``None``
    when there is none."""
    n = t.unplaced_beneficiaries.size
    if not n:
        return None
    funders = [f.name for f in t.funded_from_here.items if f.beneficiaries_unlocated]
    return _plural("unplaced_flagged", n, lang, funders=listed(funders, "and" if lang == "en" else "et"))


def review_caveat(store: Store, ids: set[str], lang: str = "fr") -> dict[str, Any] | None:
    """The pending merge proposals (:func:`maillage.loaders.resolution.review_queue`, as
    ``maillage resolve --review`` lists them) with an actor of ``ids`` (the actors the report
    counts: no natural person) on either side: the report's caveat (its counts may hold one
    actor twice) and the pairs, a natural person written « [personne] »; None when there is
    none."""
    if not store.proposals():
        return None
    from maillage.loaders.resolution import review_queue

    items = [i for i in review_queue(store) if i.actor_id in ids or i.candidate_id in ids]
    if not items:
        return None
    actors = store.get_actors({x for i in items for x in (i.actor_id, i.candidate_id)})
    person = "[personne]" if lang == "fr" else "[person]"

    def name(aid: str) -> str:
        a = actors.get(aid)
        return person if a is None or a.personal_data else a.name

    return {"text": _plural("review", len(items), lang), "summary": STRINGS[lang]["review_pairs"],
            "pairs": [(name(i.actor_id), name(i.candidate_id)) for i in items]}


def unknown_for(label: str, lang: str = "fr") -> str:
    """The word for an unknown value shown after the label ``label`` (a key of :data:`STRINGS`),
    agreeing with it in French.

    >>> unknown_for("phase"), unknown_for("place"), unknown_for("phase", "en")
    ('inconnue', 'inconnu', 'unknown')
    """
    if label not in STRINGS[lang] and label != "state":
        raise KeyError(f"no label {label!r} in the report strings")
    return UNKNOWN_FORMS[lang][LABEL_GENDER.get(label, "m")]


CSS = """
  :root { --ink: #1f2933; --muted: #5f6b76; --line: #d9dee3; --bg: #f6f7f9; --accent: #1d5f8a;
          --warn: #8a5a00; --yes: #1b7a3a; --no: #a12622; --unk: #6b6b6b; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
  .page { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; }
  h1 { font-size: 1.6rem; margin: 0 0 4px; }
  h2 { font-size: 1.2rem; margin: 30px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
  h3 { font-size: 1rem; margin: 16px 0 6px; }
  .meta, .small { color: var(--muted); font-size: .85rem; }
  .note { background: var(--bg); border-left: 3px solid var(--accent); padding: 6px 10px; font-size: .9rem; }
  table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: .9rem; }
  th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
  th { background: var(--bg); font-weight: 600; }
  td.num, th.num { text-align: right; white-space: nowrap; }
  .n { color: var(--muted); font-size: .8rem; white-space: nowrap; }
  .state { font-weight: 600; white-space: nowrap; }
  .state-yes { color: var(--yes); } .state-no { color: var(--no); } .state-unknown { color: var(--unk); }
  .flag { display: inline-block; font-size: .75rem; padding: 0 6px; border-radius: 8px; background: #fff4d6;
          color: var(--warn); border: 1px solid #e9c46a; white-space: nowrap; }
  /* a flag that is a sentence (a caveat, a note) wraps inside the column; the merges to review
     (templates/_commun.html.j2) are a box of the column's width, apart from what follows */
  p.flag, div.flag { white-space: normal; max-width: 100%; }
  .review-caveat { display: block; margin: 1em 0; padding: 6px 10px; border-radius: 6px; font-size: .85rem; }
  .review-caveat p { margin: 0 0 4px; }
  .chart { margin: 8px 0; } .chart svg { max-width: 100%; height: auto; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 6px 0; }
  dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
  nav.toc ol { columns: 2; margin: 4px 0; }
  a { color: var(--accent); }
  details { margin: 4px 0; } details summary { cursor: pointer; color: var(--accent); font-weight: 600; }
  footer { margin-top: 40px; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--line); padding-top: 8px; }
"""

# What every report shares, the analysis report (report.html.j2) too, after its own style: the
# keyboard focus seen, the skip link, a row's header cell and printing on A4 (with the margin line of
# :func:`shared_css`); the map link is the macro of templates/_commun.html.j2.
SHARED_CSS = """\
  a:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  /* a row's header (the actor or pôle it is about) is read as such but drawn as a cell */
  tbody th { background: none; font-weight: inherit; }
  /* the skip link, out of sight until the keyboard reaches it */
  .skip { position: absolute; left: 8px; top: -80px; z-index: 10; padding: 6px 12px; background: #fff;
          border: 1px solid var(--accent); border-radius: 4px; font-weight: 600; }
  .skip:focus { top: 8px; }
  /* what only paper shows: the map link's sentence (templates/_commun.html.j2) */
  .on-paper { display: none; }
  @page { size: A4; margin: 14mm 13mm 16mm; }
  @media print {
    .page { max-width: none; padding: 0; } nav.toc, .skip { display: none; }
    body { font-size: 10.5pt; color: #000; } a { color: #000; text-decoration: none; }
    /* the interactive map cannot print: instead of a dead button, a sentence saying which file to open */
    .maplink { display: inline; border: 0; padding: 0; margin: 0; font-weight: 400; }
    .on-screen { display: none; } .on-paper { display: inline; }
    /* the territory report's list of isolated and peripheral actors on A4 (its <colgroup> names
       the columns): columns sized for what they hold (the reasons get the room left), a smaller
       type, long names and reasons wrapped inside their column (never beyond the page's edge),
       a flag wrapped like the name it follows */
    table.isolated:has(col.actor) { table-layout: fixed; font-size: 8.5pt; line-height: 1.3; }
    table.isolated:has(col.actor) :is(th, td) { padding: 3px 4px; overflow-wrap: break-word; }
    table.isolated:has(col.actor) .flag { white-space: normal; }
    col.actor { width: 21%; } col.status { width: 17%; } col.family { width: 15%; } col.place { width: 11%; }
    table[data-caveats] col.actor { width: 18%; } table[data-caveats] col.status { width: 13%; }
    table[data-caveats] col.caveat { width: 13%; }
    /* a heading stays with what follows; no row, figure or list item is cut between two pages,
       a table's header row is repeated on each page it spans (tables themselves may break:
       holding a long one back left half-empty pages) */
    h2, h3, summary, h2 + .note, h2 + .small, h3 + .note, h3 + .small { break-after: avoid; }
    tr, figure, .chart, li, dt, dd, .note, .flag { break-inside: avoid; }
    thead { display: table-header-group; }
    thead th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    /* a printed report has every group's list, opened or not (no script: the content box of
       <details> is shown, where the browser supports ::details-content — Chromium 131+, Safari 18.4+) */
    details::details-content { content-visibility: visible; display: block; }
  }
"""


# ---------------------------------------------------------------------------------------------
# charts

def _svg(fig: Any, salt: str, label: str = "") -> Markup:
    """A matplotlib figure as inline SVG markup (text kept as text, no date, stable ids), one image
    named ``label`` for a screen reader (not a string of loose tick labels)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    start = text.find("<svg")
    text = text[start:] if start >= 0 else text
    # matplotlib names every group (figure_1, axes_1, xtick_3…) alike in each chart of a page:
    # its ids, and the references to them, get the chart's salt in front
    text = re.sub(r'( id="|url\(#|href="#)', lambda m: f"{m.group(1)}{salt}-", text)
    if label and text.startswith("<svg"):
        text = f'<svg role="img" aria-label="{escape(label)}"' + text[len("<svg"):]
    return Markup(text)


def _number_axis(axis: Any, values: Sequence[float | None], lang: str) -> None:
    """Ticks of a value axis as the report writes numbers: whole ticks when every value is a
    count (no « 0,5 acteur »), French format (``20 000``, ``0,5``) in French."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if all(float(v).is_integer() for v in values if v is not None):
        axis.set_major_locator(MaxNLocator(integer=True))

    def tick(v: float, _pos: Any) -> str:
        text = f"{v:,.0f}" if float(v).is_integer() else f"{v:,g}"
        return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text
    axis.set_major_formatter(FuncFormatter(tick))


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str, colours: Sequence[str] | None = None,
              xlabel: str = "", salt: str = "bars", lang: str = "fr") -> Markup:
    """A horizontal bar chart (matplotlib, Agg backend) as inline SVG markup, each bar
    labelled with its value (French number format by default).

    >>> "<svg" in bar_chart(["ESS", "Collectivité"], [3, 1], "Composition")
    True
    """
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = max(len(labels), 1)
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * n + 1.0))
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, values, color=list(colours) if colours else "#1d5f8a", edgecolor="#333333", linewidth=0.4)
    ax.set_yticks(ys, labels=list(labels))
    top = max(values, default=0) or 1
    for y, v in zip(ys, values):
        ax.text(v + top * 0.01, y, fmt_number(v, lang), va="center", fontsize=9)
    ax.set_xlim(0, top * 1.15)
    _number_axis(ax.xaxis, values, lang)
    ax.set_title(title, fontsize=11, loc="left")
    if xlabel:
        ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, salt, title)


def grouped_bars(labels: Sequence[str], series: dict[str, Sequence[float | None]], title: str,
                 salt: str = "grouped", percent: bool = False) -> Markup:
    """Horizontal grouped bars, one group per label and one bar per series (``None``: no bar).

    >>> "<svg" in grouped_bars(["Régions"], {"calculé": [0.5], "publié": [0.75]}, "Parts", percent=True)
    True
    """
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    k = max(len(series), 1)
    fig, ax = plt.subplots(figsize=(8, 0.3 * k * max(len(labels), 1) + 1.4))
    h = 0.8 / k
    base = list(range(len(labels)))[::-1]
    palette = ["#1d5f8a", "#e9a23b", "#6a994e", "#9c6644"]
    for i, (name, vals) in enumerate(series.items()):
        ys = [b + 0.4 - h * (i + 0.5) for b in base]
        ax.barh(ys, [v if v is not None else 0 for v in vals], height=h, label=name, color=palette[i % 4])
    ax.set_yticks(base, labels=list(labels))
    if percent:
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.set_title(title, fontsize=11, loc="left")
    ax.legend(loc="lower right", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, salt, title)


def year_chart(years: Sequence[int], series: dict[str, Sequence[float]], title: str, kind: str = "line",
               salt: str = "years", lang: str = "fr") -> Markup:
    """Values over years (lines, or bars with ``kind="bar"`` for the first series) as inline SVG.

    >>> "<svg" in year_chart([2015, 2016], {"acteurs": [3, 4]}, "Évolution")
    True
    """
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    for i, (name, vals) in enumerate(series.items()):
        if kind == "bar" and i == 0:
            ax.bar(list(years), list(vals), label=name, color="#1d5f8a")
        else:
            # a marker and a dash per series: told apart printed in black and white too
            ax.plot(list(years), list(vals), marker="osD^v"[i % 5], linestyle=["-", "--", ":", "-."][i % 4], label=name)
    ax.set_xticks(list(years), labels=[str(y) for y in years])
    _number_axis(ax.yaxis, [v for vals in series.values() for v in vals], lang)
    ax.tick_params(axis="x", labelrotation=45 if len(years) > 8 else 0)
    ax.set_title(title, fontsize=11, loc="left")
    if len(series) > 1:
        ax.legend(fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, salt, title)


# ---------------------------------------------------------------------------------------------
# shared plumbing

def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")


def _render(template: str, path: Path, lang: str, mask: Callable[[str], str], **context: Any) -> Path:
    text = resources.files("maillage.analytics").joinpath(f"templates/{template}").read_text(encoding="utf-8")

    def finalize(value: Any) -> Any:  # every printed string goes through the person mask
        if isinstance(value, str) and not isinstance(value, Markup):
            return mask(value)
        return value

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, finalize=finalize, loader=TEMPLATES)
    env.filters["num"] = lambda v, digits=None: fmt_number(v, lang, digits)
    env.filters["measure"] = lambda v: fmt_measure(v, lang)
    env.filters["euros"] = lambda v: amount_text(v, lang)  # « 26 800 € », "€26,800"
    env.filters["pct"] = lambda v: "" if v is None else fmt_number(100 * v, lang, 0) + "\u202f%"
    env.globals["unknown"] = lambda label: unknown_for(label, lang)
    env.globals["counted"] = lambda n, fr, en: _counted(n, fr, en, lang)
    env.globals["plural"] = lambda key, n: _plural(key, n, lang)  # STRINGS' « singular|plural »
    s = STRINGS[lang]
    generated = when_text(lang=lang)
    css = Markup(CSS + shared_css(lang, generated, context.get("title"), context.get("period"), mask=mask))
    html = env.from_string(text).render(s=s, lang=lang, css=css, generated=generated, **context)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal, safe inside ``<style>`` (no quote, backslash or ``<`` left).

    >>> print(_css_string('Rapport « A » </style>'))
    "Rapport « A » \\3c /style>"
    """
    return '"' + "".join(f"\\{ord(c):x} " if c in '"\\<\n' else c for c in text) + '"'


def shared_css(lang: str, generated: str, *what: str | None, mask: Callable[[str], str] = lambda t: t) -> str:
    """:data:`SHARED_CSS` and the printed pages' margin line « maillage · <what…> · Généré le
    <generated> » and « page n sur N », for a report's ``<style>`` (every report's, the analysis
    report's too)."""
    s = STRINGS[lang]
    footer = " · ".join(x for x in ("maillage", *what, f"{s['generated']} {generated}") if x)
    return SHARED_CSS + _page_css(mask(footer), s)


def _page_css(footer: str, s: dict[str, str]) -> str:
    """The printed pages' margin line: what the report is and when it was generated (left), the
    page number (right) — a page printed or saved as PDF alone still says where it comes from."""
    before, _, rest = s["page_of"].partition("{n}")
    middle, _, after = rest.partition("{N}")
    number = f"{_css_string(before)} counter(page) {_css_string(middle)} counter(pages) {_css_string(after)}"
    small = "font: 8pt system-ui, sans-serif; color: #444;"
    return (f"\n  @page {{ @bottom-left {{ content: {_css_string(footer)}; {small} }}"
            f" @bottom-right {{ content: {number}; {small} white-space: nowrap; }} }}\n")


def _period(as_of: int | None, lang: str) -> str:
    s = STRINGS[lang]
    return s["as_of"].format(year=as_of) if as_of is not None else s["all_years"]


def _sources(store: Store, ids: Sequence[str] | None = None, lang: str = "fr",
             loaded: Sequence[Source] | None = None) -> list[dict[str, Any]]:
    """The loaded sources (those of ``ids`` when given) with their documents: each by its file's
    name and load date (:func:`~maillage.analytics.report.source_name`), its id and the start of
    its hash for the small print; ``loaded``: the store's sources, if the report already read them."""
    wanted = set(ids) if ids is not None else None
    out = []
    for src in store.sources() if loaded is None else loaded:
        if wanted is not None and src.id not in wanted:
            continue
        docs = (src.meta or {}).get("documents") or {}
        documents = []
        if isinstance(docs, dict):
            for key, d in docs.items():
                title = d.get("title") if isinstance(d, dict) else str(d)
                documents.append({"id": str(key), "title": str(title or "")})
        out.append({"id": src.id, "name": source_name(src), "title": src.title or "", "uri": src.uri or "",
                    "loaded": when_text(src.loaded_at, lang) if src.loaded_at else "",
                    "sha": (src.sha256 or "")[:12], "documents": documents})
    return out


def _write_map(store: Store, sub: Any, title: str, path: Path, lang: str, redact: list[str],
               isolated: dict[str, str] | None = None, peripheral: dict[str, str] | None = None,
               loaded: Sequence[Source] | None = None) -> str:
    """Write the view's interactive map next to the report (``isolated``: actors circled in
    magenta, ``peripheral`` in orange, see :func:`maillage.api.maps.map_page`; ``loaded``: the
    store's sources, if the report already read them); return its relative href."""
    from maillage.api.maps import map_page

    map_path = path.with_name(path.stem + "-carte.html")
    map_path.parent.mkdir(parents=True, exist_ok=True)
    map_path.write_text(map_page(sub, title, lang=lang, redact=redact, isolated=isolated,
                                 sources=store.sources() if loaded is None else loaded,
                                 peripheral=peripheral), encoding="utf-8")
    return map_path.name


def _map_title(name: str, lens: str, lang: str) -> str:
    """The title of a report's map: the view's name, and its lens unless it is every type's."""
    if lens == "all":
        return name
    return f"{name} — {'lens' if lang == 'en' else 'lentille'} {LENS_LABELS[lang].get(lens, lens)}"


def funding_by_year(ties: Sequence[Any], lang: str, salt: str) -> tuple[list[dict[str, Any]], Any, int]:
    """``(rows, chart, undated)``: the funding ties by the year they start — ``{year, ties,
    amount}`` (``amount`` None when no amount is stated that year) — a bar chart of the ties
    per year over the whole span (None without a dated tie), and how many have no year. A
    funder named with no grant stated (:func:`~maillage.analytics.poles.states_no_grant`: on
    the member lists of 2024 and 2025) counts in each year of its span, one tie in the total."""
    s = STRINGS[lang]
    per_year: dict[int, list[float | None]] = defaultdict(list)
    undated = 0
    for r in ties:
        y, y1 = fact_years(r)
        if y is None:
            undated += 1
            continue
        for year in range(y, (y1 if y1 is not None and states_no_grant(r) else y) + 1):
            per_year[year].append(r.fields.get("amount"))
    rows = [{"year": y, "ties": len(v), "amount": sum(x for x in v if x is not None) if any(
        x is not None for x in v) else None} for y, v in sorted(per_year.items())]
    chart = None
    if rows:
        span = list(range(rows[0]["year"], rows[-1]["year"] + 1))
        counts = {r["year"]: r["ties"] for r in rows}
        chart = year_chart(span, {s["ties"]: [counts.get(y, 0) for y in span]},
                           f"{s['over_years']} (n = {fmt_number(len(ties) - undated, lang)})", kind="bar",
                           salt=salt, lang=lang)
    return rows, chart, undated


def territory_cofunders(store: Store, territory_id: str, as_of: int | None = None,
                        top: int = 10) -> tuple[list[Any], list[RelationView]]:
    """The funders of a territory's actors that fund the same ones — pairs by beneficiaries
    in common, at most ``top`` (:func:`~maillage.analytics.overlaps.cofunding` on the grants
    to actors located there: Borgatti & Everett 1997, *Social Networks* 19(3); a funder's grants
    to itself left out) — and the grants to actors located there (``funds`` ties into the
    territory, a funder's grants to itself included, as the funders' table counts them)."""
    from .overlaps import cofunding

    inside = set(store.actors_in_territory(territory_id))
    grants = [r for r in store.relations(touching=inside, types=["funds"], as_of=as_of) if r.target in inside]
    between = [r for r in grants if r.source != r.target]
    ids = {e for r in between for e in (r.source, r.target)}
    sub = Subgraph(actors=store.get_actors(ids), relations=between)
    # the funders' side only: the beneficiaries' pairs (every two grantees of one funder) are not shown
    return cofunding(sub, as_of=as_of, sides=["funders"]).funders[:top], grants


# ---------------------------------------------------------------------------------------------
# the pôle report

def render_pole_report(store: Store, pole_id: str, path: str | Path, as_of: int | None = None,
                       lang: str = "fr", lens: str = "cooperation") -> Path:
    """Write the report of one pôle to ``path`` (and its map to ``<stem>-carte.html``).

    Sections: identity and phase; composition of M(P) (members and structures porteuses) by
    art. 9 family, with Blau's index (Blau 1977, *Inequality and Heterogeneity*), and the members
    who joined and left each year when memberships are dated (:func:`_turnover`); the
    tri-state criteria checklist (loi n° 2014-856 art. 9; Labo de l'ESS 2011, 2014) with the
    reason of every unknown; the three cooperation forms; central and brokering members
    (betweenness, Freeman 1977, *Sociometry* 40(1); brokerage, Gould & Fernandez 1989,
    *Sociological Methodology* 19) from the latest stored run of ``lens`` and ``as_of`` (else the
    latest run, said so; and said when the graph changed since); members with no internal tie;
    funding by collectivité level and by year, Herfindahl concentration; governance; overlaps
    with other pôles (Jaccard); suggested partners (Adamic & Adar 2003, *Social Networks*
    25(3)), marked as suggestions; the sources. Every figure carries its sample size n. The
    pending merges touching M(P) or the pôle are said under the title (:func:`review_caveat`).
    The map is the pôle's view through ``lens``, what ``maillage export --pole … --lens`` holds
    (:func:`~maillage.analytics.views.lens_view`), titled with the lens.
    Raises :class:`~maillage.graph.store.NotFound` for an unknown pôle.

    >>> from maillage.graph import open_store
    >>> try:
    ...     render_pole_report(open_store(":memory:"), "nope", "/tmp/x.html")
    ... except NotFound as e:
    ...     print("inconnu" in str(e))
    True
    """
    _check_lang(lang)
    lens_types(lens)  # an unknown lens fails here (VocabularyError, a ValueError)
    path = Path(path)
    actor = store.get_actor(pole_id)
    if actor is None or actor.personal_data:
        raise NotFound(f"pôle inconnu : aucun acteur d'identifiant {pole_id!r} dans la base")
    if actor.family != "pole":
        raise StoreError(f"{pole_id!r} n'est pas un pôle (famille {actor.family!r})")
    names, mask = report_masker(store, lang)
    s = STRINGS[lang]
    voc = vocabulary()

    ctx = pole_context(store, pole_id, as_of=as_of)
    loaded = store.sources()  # read once: the funders' roles (a --source-id by its kind), the sources, the map
    d = diagnostic_of(ctx, lang=lang, sources={src.id: src for src in loaded})
    criteria = criteria_of(ctx, lang=lang)

    # composition chart (vocabulary colours)
    comp = d.composition
    comp_chart = bar_chart([f.label for f in comp], [f.count for f in comp],
                           f"{s['s_composition']} (n = {fmt_number(d.composition_n, lang)})",
                           [voc.family(f.family).colour for f in comp], salt="composition", lang=lang) if comp else None

    # central and brokering members: the run of the report's lens and year
    choice = _run_choice(store, lens, as_of)
    run = choice.run
    metrics = store.metrics(run.id) if run is not None else {}
    core = {a.id: a for a in [*d.members, *d.carriers]}
    with_metrics = [aid for aid in core if aid in metrics]
    score = {a: tuple(level(metrics[a].get(m)) for m in ("betweenness", "degree", "brokerage_total"))
             for a in with_metrics}
    central = sorted(with_metrics, key=lambda a: (*(-v for v in score[a]), *alpha_key(core[a].name), a))
    shown, left_out = top_without_split_ties(central, score.__getitem__, TOP_MEMBERS,
                                             floor=min(score.values(), default=None))
    central_rows = [{"name": core[a].name, "family": core[a].family_label,
                     "values": [metrics[a].get(m) for m in MEMBER_METRICS],
                     "broker": (metrics[a].get("brokerage_total") or 0) > 0} for a in shown]
    central_tie = s["central_tie" if shown else "central_tie_head"].format(n=left_out) if left_out else ""
    lens_words = LENS_LABELS[lang].get(run.lens, run.lens) if run else ""
    central_note = s["central_note"].format(run=run_text(run, lang) if run else "", lens=lens_words, n=len(with_metrics),
                                            top=TOP_MEMBERS, year=f", {run.as_of}" if run and run.as_of else "")
    central_withheld = None
    if run is not None and with_metrics:
        # a ranking that separates no one is an alphabetical list dressed as a ranking: say why instead
        hint = s["central_hint"] + ("." if "funds" in lens_types(run.lens) else s["central_hint_funding"])
        if not _ties_beyond_pole(store, pole_id, set(core), {c.id for c in d.carriers}, run.lens, run.as_of):
            central_withheld = s["central_star"].format(
                through=s["through_carrier"] if d.carriers else "", hint=hint)
        elif len(set(score.values())) == 1:
            a = with_metrics[0]
            central_withheld = s["central_tied"].format(
                n=len(with_metrics), degree=fmt_number(metrics[a].get("degree") or 0, lang, 0),
                betweenness=fmt_measure(metrics[a].get("betweenness") or 0, lang), hint=hint)

    # funding by level and by year
    f = d.funding
    level_chart = None
    if f.by_level:
        vals = [lv.amount if f.basis == "amount" else lv.ties for lv in f.by_level]
        unit = s["amount"] if f.basis == "amount" else s["ties"]
        level_title = f"{s['by_level']} — {unit} (n = {fmt_number(f.ties, lang)})"
        level_chart = bar_chart([lv.label for lv in f.by_level], vals, level_title, salt="levels", lang=lang)
    ties, _excluded = funding_ties(ctx)
    year_rows, years_chart, undated = funding_by_year(ties, lang, "funding-years")
    mf = member_funding(store, ctx, lang)
    outside, outside_n, public_grants = outside_partners(store, ctx, lang)

    # members over the years: who joined and left (dated memberships only: a list per year, dates)
    turnover, turnover_counts = _turnover(store, pole_id, as_of, lang)

    # overlaps
    ov = pole_overlaps(store, as_of=as_of)
    pairs = [p for p in ov.pairs if pole_id in (p.pole_a, p.pole_b)]
    overlaps = [{"other": p.name_b if p.pole_a == pole_id else p.name_a, "shared": p.shared,
                 "jaccard": p.jaccard, "size_a": p.size_a, "size_b": p.size_b} for p in pairs]
    multi = [{"name": m.name, "poles": [n for pid, n in zip(m.poles, m.pole_names) if pid != pole_id]}
             for m in ov.multi_pole if pole_id in m.poles]

    # suggestions (never stated ties)
    sugg = suggest_partners(store, pole=pole_id, k=TOP_SUGGESTIONS, as_of=as_of, lang=lang)

    # the map: the pôle's view through the report's lens, what its export through that lens holds
    href = _write_map(store, lens_view(store, pole=pole_id, lens=lens, as_of=as_of, lang=lang)[0],
                      _map_title(d.name, lens, lang), path, lang, names, loaded=loaded)
    return _render("report_pole.html.j2", path, lang, mask, d=d, criteria=criteria, comp_chart=comp_chart,
                   members_line=members_line(d.size, lang), why=lambda it: why(it, lang), shared=lambda x: shared_text(x.shared, lang),
                   central_rows=central_rows, central_note=central_note, has_run=run is not None,
                   run_notes=run_sentences(store, choice, lang),
                   run_small=s["run_small"].format(run=run_text(run, lang)) if run else "", run_id=run.id if run else "",
                   central_withheld=central_withheld, central_tie=central_tie,
                   metric_labels=[s[m] for m in MEMBER_METRICS], level_chart=level_chart, years_chart=years_chart,
                   year_rows=year_rows, undated=undated, mf=mf, outside=outside, outside_n=outside_n, public_grants=public_grants,
                   overlaps=overlaps, multi=multi, sugg=sugg,
                   sugg_marks={**{a.id: s["member_mark"] for a in d.members},
                               **{c.id: s["carrier_mark"] for c in d.carriers}},
                   sources=_sources(store, d.sources, lang, loaded), map_href=href, period=_period(as_of, lang),
                   turnover=turnover, turnover_counts=turnover_counts, title=s["pole_title"].format(name=d.name),
                   review=review_caveat(store, {pole_id, *ctx.members, *ctx.carriers}, lang))


def member_funding(store: Store, ctx: PoleContext, lang: str = "fr") -> dict[str, Any]:
    """The funding received by the pôle's members (its structures porteuses aside: their grants
    are the pôle's, :func:`~maillage.analytics.poles.funding_ties`) in the pôle's year
    (``ctx.as_of``, else all years): the grants that moved money, each once
    (:func:`~maillage.analytics.poles.granted`), by funder and member (``rows``, the largest
    known amounts first) and by funder (``funders``), each with its number of grants, its
    known amount (None when none is stated) and its years; and the grants by year
    (:func:`funding_by_year`: ``year_rows``, ``chart``, ``undated``)."""
    members = set(ctx.members) - ctx.anchor()
    grants, _ = granted(store.relations(touching=sorted(members), types=["funds"], as_of=ctx.as_of), members)
    actors = store.get_actors({r.source for r in grants} | members)
    names = {a: actors[a].name if a in actors else a for a in {r.source for r in grants} | members}

    def add(d: dict[str, Any], r: RelationView) -> None:
        d["ties"] += 1
        amount = r.fields.get("amount")
        if amount is not None:
            d["amount"] = (d["amount"] or 0.0) + float(amount)
        year = fact_years(r)[0]
        if year is not None:
            d["years"].add(year)

    def new(**kw: Any) -> dict[str, Any]:
        return {"ties": 0, "amount": None, "years": set(), **kw}

    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    funders: dict[str, dict[str, Any]] = {}
    for r in grants:
        add(pairs.setdefault((r.source, r.target), new(funder=names[r.source], member=names[r.target])), r)
        f = funders.setdefault(r.source, new(funder=names[r.source], members=set()))
        f["members"].add(r.target)
        add(f, r)

    def order(d: dict[str, Any]) -> tuple:
        return (d["amount"] is None, -(d["amount"] or 0), -d["ties"], *alpha_key(d["funder"]),
                *alpha_key(d.get("member") or ""))

    rows = sorted(pairs.values(), key=order)
    by_funder = sorted(funders.values(), key=order)
    for d in [*rows, *by_funder]:
        d["years"] = sorted(d["years"])
    year_rows, chart, undated = funding_by_year(grants, lang, "member-funding-years")
    s = STRINGS[lang]
    note = s["member_funding_note"].format(
        ties=_counted(len(grants), "financement", "grant", lang),
        members=_counted(len({r.target for r in grants}), "membre", "member", lang),
        of=fmt_number(len(members), lang))
    return {"grants": len(grants), "rows": rows[:TOP_MEMBER_GRANTS], "more_rows": max(0, len(rows) - TOP_MEMBER_GRANTS),
            "funders": by_funder[:TOP_MEMBER_GRANTS], "more_funders": max(0, len(by_funder) - TOP_MEMBER_GRANTS),
            "year_rows": year_rows, "chart": chart, "undated": undated, "note": note}


def outside_partners(store: Store, ctx: PoleContext, lang: str = "fr",
                     top: int = TOP_OUTSIDE) -> tuple[list[dict[str, Any]], int, list[str]]:
    """The actors tied to at least one member of the pôle (its structures porteuses aside) in
    the pôle's year by a cooperation tie (vocabulary ``cooperation_types``) or a grant, either
    way, that are neither the pôle nor in M(P): the ``top`` most tied to members (then most
    ties, then by name), each with its family, the members it is tied to and its ties in words
    (:data:`OUTSIDE_TIES`), and how many there are in all. An actor whose only ties are grants
    from members that are collectivités or public bodies
    (:data:`~maillage.analytics.poles.PUBLIC_FAMILIES`) is not listed — a CA member's subsidy
    file would fill the list with its bénéficiaires —: the third value counts them by funder in
    one line each (« 12 bénéficiaires des subventions de CA du Sicoval (membre) … »). Natural
    persons are never listed; planned ties, requested or refused grants do not count (as in
    :func:`~maillage.analytics.poles.granted`)."""
    from .poles import PUBLIC_FAMILIES

    voc = vocabulary()
    inside = {ctx.pole.id, *ctx.core}
    members = set(ctx.members) - ctx.anchor()
    types = [*voc.cooperation_types(), "funds"]
    found: dict[str, dict[str, Any]] = {}
    public = {m for m, a in store.get_actors(members).items() if a.family in PUBLIC_FAMILIES}
    for r in store.relations(touching=sorted(members), types=types, as_of=ctx.as_of):
        if (r.source == r.target or r.provenance.certainty in NOT_DONE
                or (r.type == "funds" and r.fields.get("status") in NOT_GRANTED)):
            continue
        for member, other, end in ((r.target, r.source, "out"), (r.source, r.target, "in")):
            if member in members and other not in inside:
                d = found.setdefault(other, {"members": set(), "ties": 0, "kinds": {}, "public": set(),
                                             "other": False})
                if r.type == "funds" and end == "in" and member in public:  # the member funds `other`
                    d["public"].add(member)  # a grant of a member collectivité: not a partner on its own
                else:
                    d["other"] = True
                d["members"].add(member)
                d["ties"] += 1
                key = (r.type, end if voc.relation_types[r.type].directed else "out")
                d["kinds"].setdefault(OUTSIDE_TIES[lang].get(key) or voc.relation_types[r.type].label(lang))
    actors = store.get_actors(set(found) | members)
    rows = []
    funded: dict[str, int] = defaultdict(int)
    for aid, d in found.items():
        a = actors.get(aid)
        if a is None or a.personal_data or a.family == "person":
            continue
        if not d["other"]:
            for m in d["public"]:
                funded[m] += 1
            continue
        names = sorted((actors[m].name for m in d["members"] if m in actors), key=alpha_key)
        rows.append({"name": a.name, "family": voc.family(a.family).label(lang), "members": len(d["members"]),
                     "member_names": names[:5], "more_members": max(0, len(names) - 5), "ties": d["ties"],
                     "kinds": list(d["kinds"])})
    rows.sort(key=lambda x: (-x["members"], -x["ties"], *alpha_key(x["name"])))
    lines = [STRINGS[lang]["public_grants"].format(
                 n=(_counted(n, "bénéficiaire", "", lang) if lang == "fr"
                    else f"{fmt_number(n, lang)} {'beneficiary' if n == 1 else 'beneficiaries'}"),
                 funder=actors[m].name)
             for m, n in sorted(funded.items(), key=lambda x: (-x[1], *alpha_key(actors[x[0]].name)))]
    return rows[:top], len(rows), lines


def _run_choice(store: Store, lens: str, as_of: int | None) -> Any:
    """The run of a report's measures (:func:`maillage.api.export_view.choose_run`)."""
    from maillage.api.export_view import choose_run

    return choose_run(store, lens, as_of, subject="report")


def _ties_beyond_pole(store: Store, pole_id: str, core: set[str], carriers: set[str], lens: str,
                      as_of: int | None) -> bool:
    """Whether a member of the pôle (``core`` without the pôle's ``carriers``) has a tie of the
    lens other than with the pôle or its structure porteuse: another member, an outside
    partner, another pôle it belongs to (a natural person does not count, as in the lens
    graph), or — when the lens builds interlocks (:func:`~maillage.analytics.lenses.interlocks`)
    — a governor (a person too) it shares with another organisation: a member and another
    organisation with a common board member are tied in the lens graph. Without one, every
    member is tied only through the pôle and the measures cannot tell them apart."""
    through = {pole_id} | carriers
    members = core - through
    types = lens_types(lens)
    others: set[str] = set()
    for _rid, u, v in store.ties(members, types=types, as_of=as_of):
        if u == v or u in through or v in through:
            continue
        if u in members and v in members:
            return True
        others.add(v if u in members else u)
    if any(not a.personal_data for a in store.get_actors(others).values()):
        return True
    if "shared_governance" not in get_lens(lens).layers:
        return False
    interlock = list(INTERLOCK_TYPES)  # whatever the lens's direct types: the layer reads every governance tie
    # the governors of members (through = the pôle's side), then what else each governs
    governors = {u for _rid, u, v in store.ties(members, types=interlock, as_of=as_of)
                 if v in members and u not in through and u != v}
    governed: dict[str, set[str]] = defaultdict(set)
    for _rid, g, o in store.ties(governors, types=interlock, as_of=as_of):
        if g in governors and o not in through and o != g:
            governed[g].add(o)
    found = store.get_actors({o for orgs in governed.values() for o in orgs})
    orgs = {g: {o for o in os if o in found and not found[o].personal_data}  # as the lens: never a person
            for g, os in governed.items()}
    return any(i in members or j in members for i, j in interlocks(orgs))


def _turnover(store: Store, pole_id: str, as_of: int | None, lang: str) -> tuple[list[dict], dict[str, int]]:
    """The pôle's members year by year, with who joined and who left
    (:func:`~maillage.analytics.evolution.evolution`, Holme & Saramäki 2012's snapshots), from
    the first to the last year a dated membership covers (up to ``as_of``); ``[]`` when no
    membership is dated. The first year's members are the start of the list, not entries.

    The last year: the last one a list given its year covers (the years after it are not
    known), or, when some membership is still open, the last year of the pôle's facts and the
    year after a member's « date de sortie »: one that left on 31/12/2023 is shown leaving in
    2024, beside the members still there."""
    ev = evolution(store, pole=pole_id, lang=lang)
    if not ev.poles.items or not ev.poles.items[0].members_dated:
        return [], {}
    yearly = {s.id for s in store.sources() if s.meta.get("years")}  # lists given their year
    spans = [(fact_years(r), r.provenance.source in yearly)
             for r in store.relations(touching=[pole_id], types=["membership"])]
    spans = [((a, b), by_list) for (a, b), by_list in spans if a is not None or b is not None]
    first = min(a if a is not None else b for (a, b), _ in spans)
    # not past this year for a date de sortie: one to come (31/12/2030) is no departure seen yet
    now = paris_time().year
    last = max((b if by_list else min(b, now) for (_, b), by_list in spans if b is not None), default=ev.years[-1])
    if any(b is None for (_, b), _ in spans):  # an open membership runs past the last list and the exits
        left = [min(b + 1, now) for (_, b), by_list in spans if b is not None and not by_list]
        last = max(last, min(ev.years[-1], now), *left)
    last = last if as_of is None else min(last, as_of)
    if last > ev.years[-1]:  # no fact dated that year: ask for it
        ev = evolution(store, years=range(ev.years[0], last + 1), pole=pole_id, lang=lang)
    pt = ev.poles.items[0]
    rows = [{"year": t.year, "members": t.members, "first": t.year == first,
             "entries": [a.name for a in t.entries.items], "entries_n": t.entries.size,
             "exits": [a.name for a in t.exits.items], "exits_n": t.exits.size}
            for t in pt.years if first <= t.year <= last]
    return rows, {"dated": pt.members_dated, "undated": pt.members_undated}


# ---------------------------------------------------------------------------------------------
# the territory report

#: Above this many isolated, peripheral or possibly under-documented actors, the territory report
#: lists them by part of the territory (:data:`~maillage.analytics.territory.PART_LEVEL`: a
#: région's by département, a département's by EPCI, an EPCI's by commune) with a table counting
#: each group: a région's list was 3,631 rows in one. A territory with no finer part (a commune)
#: lists them by family of actors instead: Paris's subsidy file, 3,174 rows in one.
GROUP_FLAGGED_OVER = 100

#: In a grouped listing, the page shows the first this many actors of each group (isolated
#: first) and says how many more there are: all of them are in the spreadsheet beside it.
SHOWN_PER_GROUP = 50


@dataclass
class FlaggedGroup:
    """The flagged actors of one group of a territory's (a part of it, or a family of actors),
    for the report's grouped listing: ``part`` counts them all, ``rows`` are those the page shows,
    ``hidden`` how many more the spreadsheet alone lists."""

    part: PartCount
    anchor: str
    rows: list[tuple[Any, bool]] = field(default_factory=list)  # (ActorEntry, possibly under-documented)
    hidden: int = 0


#: Columns of the flagged actors' spreadsheet written beside a territory report (French, English):
#: the reasons in words; their codes only in the English (machine-readable) file.
FLAGGED_COLUMNS = {
    "fr": ["identifiant", "nom", "famille", "type", "lieu", "partie du territoire", "situation", "raisons",
           "nombre de partenaires de coopération", "pistes de partenaires", "précautions"],
    "en": ["id", "name", "family", "kind", "place", "part of the territory", "status", "reasons", "reason codes",
           "cooperation partners (number)", "partner leads", "caveats"],
}


def lead_texts(item: IsolatedLeads, lang: str = "fr") -> list[str]:
    """The leads of an isolated actor as the report words them, in its order: the pôles to
    join (with the territory shared), then the partners « Nom (famille) — pourquoi »."""
    out = [x.text + (f" — {shared_text(x.shared, lang)}" if x.shared else "") for x in item.poles]
    return out + [f"{x.target.name} ({x.target.family_label}) — {why(x, lang)}" for x in item.leads]


def write_flagged_csv(t: TerritoryDiagnostic, path: Path, lang: str = "fr",
                      mask: Callable[[str], str] = lambda x: x, leads: Sequence[IsolatedLeads] = (),
                      since: YearChanges | None = None) -> Path:
    """Write the isolated, peripheral and possibly under-documented actors of ``t`` to ``path``
    as a spreadsheet — UTF-8 with a byte-order mark, ``;``-separated in French (what a French
    spreadsheet opens in columns), ``,`` in English — one row per actor in the report's order,
    with its part of the territory (:data:`~maillage.analytics.territory.PART_LEVEL`), every
    reason in words (their codes in English only), the report's partner ``leads``
    (:func:`isolated_leads`, numbered, same order; « Aucune piste » said, and for an isolated
    actor beyond the first :data:`LEADS_FOR` that none were computed) and every caveat; names
    through ``mask`` (persons, as in the report); no cell a spreadsheet would read as a formula
    (:func:`~maillage.api.exports.safe_text`). With ``since`` (the report's « Depuis » for its
    year), a last column gives each actor's situation the year before."""
    import csv

    from maillage.api.exports import safe_text

    s = STRINGS[lang]
    names = {p.id: p.name for p in t.flagged_by_part}
    by_actor = {item.actor.id: lead_texts(item, lang) for item in leads}
    tied = {item.actor.id for item in leads if item.tied}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";" if lang == "fr" else ",")
        before = [s["since_column"].format(before=since.year - 1)] if since is not None else []
        w.writerow(FLAGGED_COLUMNS[lang] + before)
        for e, kind in t.flagged():
            part = names.get(part_of(t.part_level, e.location), "") if t.part_level else ""
            if e.id in by_actor:
                texts = by_actor[e.id]
                cell = (" ".join(f"{i}) {x.rstrip('.')}." for i, x in enumerate(texts, 1)) if texts
                        else tied_text(lang) if e.id in tied else s["leads_none"])
            elif kind == "isolated":
                cell = s["leads_not_computed"].format(n=fmt_number(len(by_actor), lang))
            else:
                cell = ""
            codes = [" ".join(e.codes)] if lang == "en" else []
            w.writerow([safe_text(x) for x in (
                e.id, mask(e.name), e.family_label, e.kind_label, e.location_label, part,
                status_label(kind, e.codes, lang, in_pole=bool(e.in_pole)),
                " ; ".join(r.text for r in e.reasons), *codes)] + [
                e.partners, safe_text(mask(cell)), safe_text(" ; ".join(e.caveats))]
                + ([safe_text(since.before_labels.get(e.id, ""))] if since is not None else []))
    return path


def _lower_first(text: str) -> str:
    """« Intercommunalité (EPCI) » → « intercommunalité (EPCI) », for a label inside a sentence."""
    return text[:1].lower() + text[1:]


def flagged_groups(t: TerritoryDiagnostic, shown: int = SHOWN_PER_GROUP) -> list[FlaggedGroup]:
    """The flagged actors of ``t`` in the groups of ``t.flagged_by_part`` (same order) or, for a
    territory with no parts (a commune), by family of actors (the largest first), each group's
    first ``shown`` in the diagnostic's order (isolated first), the others counted in
    ``hidden``; ``[]`` when there are at most :data:`GROUP_FLAGGED_OVER` of them.

    >>> from maillage.analytics.territory import ActorEntry, Listing
    >>> e = lambda i, f: ActorEntry(id=i, name=i, family=f, family_label=f.capitalize())
    >>> none = Listing(size=0, items=[])
    >>> t = TerritoryDiagnostic.model_construct(part_level=None, peripheral=none, documentation_gaps=none,
    ...     isolated=Listing(size=150, items=[e(f"a{i}", "ess" if i % 3 else "other") for i in range(150)]))
    >>> [(g.part.name, g.part.isolated, len(g.rows), g.hidden) for g in flagged_groups(t, shown=40)]
    [('Ess', 100, 40, 60), ('Other', 50, 40, 10)]
    """
    flagged = t.flagged()
    if len(flagged) <= GROUP_FLAGGED_OVER:
        return []
    if t.part_level:
        parts, key = t.flagged_by_part, (lambda e: part_of(t.part_level, e.location))
    else:
        parts, key = _by_family(flagged), (lambda e: e.family)
    groups = {p.id: FlaggedGroup(p, "isoles-" + (p.id.replace(":", "-") if p.id else "autres")) for p in parts}
    for e, kind in flagged:
        g = groups[key(e)]
        if len(g.rows) < shown:
            g.rows.append((e, kind == "documentation_gaps"))
        else:
            g.hidden += 1
    return list(groups.values())


def _by_family(flagged: Sequence[tuple[Any, str]]) -> list[PartCount]:
    """The flagged actors counted by family (its label for name), the largest group first."""
    counts: dict[str, dict[str, Any]] = {}
    for e, kind in flagged:
        c = counts.setdefault(e.family, {"name": e.family_label or e.family, "isolated": 0, "peripheral": 0,
                                         "documentation_gaps": 0})
        c[kind] += 1
    out = [PartCount(id=f, **c) for f, c in counts.items()]
    return sorted(out, key=lambda p: (-(p.isolated + p.peripheral + p.documentation_gaps), *alpha_key(p.name)))


#: The territory report gives partner leads (:func:`isolated_leads`) for at most this many
#: isolated actors, and at most :data:`LEADS_PER_ACTOR` actors and :data:`POLE_LEADS_PER_ACTOR`
#: pôles for each.
LEADS_FOR = 10
LEADS_PER_ACTOR = 3
POLE_LEADS_PER_ACTOR = 2
#: Above this many candidates scoring as an isolated actor's last lead, with no partner in common
#: (neighbours alike: a city's thousands of actors), the alphabet would choose: no lead of that
#: score is given, and the report says why (:func:`isolated_leads`).
LEADS_TIED_MOST = 10


@dataclass
class PoleLead:
    """A pôle active in the territory an isolated actor could join: a suggestion, not a fact."""

    id: str
    name: str
    members: int  # members and structures porteuses located in the territory
    closeness: float  # :func:`~maillage.analytics.suggestions.territory_closeness`
    shared: str | None  # the finest territory the actor shares with the pôle or one of its members
    text: str
    is_suggestion: bool = True


@dataclass
class IsolatedLeads:
    """An isolated actor of a territory, the pôles active there it could join (:class:`PoleLead`)
    and up to :data:`LEADS_PER_ACTOR` suggested partners
    (:class:`~maillage.analytics.suggestions.SuggestedTie`, each ``is_suggestion``)."""

    actor: Any  # ActorEntry
    leads: list[Any]
    poles: list[PoleLead] = field(default_factory=list)
    #: leads left out because the alphabet alone would have picked them (:func:`isolated_leads`)
    tied: bool = False


def _pole_leads(store: Store, t: TerritoryDiagnostic, lang: str) -> Callable[[Any], list[PoleLead]]:
    """For an isolated actor of ``t``: the pôles present in ``t`` in the same commune or EPCI as
    the actor — the pôle's place or one of its members' —, the closest first (same commune,
    then same EPCI), then the most members in the territory, then by name; at most
    :data:`POLE_LEADS_PER_ACTOR`."""
    from .suggestions import TERRITORY_LEVELS, _chain, territory_closeness
    from .territory import POLE_TIE_TYPES

    poles = {p.id: p for p in t.poles.items}
    if not poles:
        return lambda e: []
    places: dict[str, set[str]] = {pid: {p.id} for pid, p in poles.items()}
    for r in store.relations(touching=sorted(poles), types=list(POLE_TIE_TYPES), as_of=t.as_of):
        if r.target in poles and r.source != r.target:
            places[r.target].add(r.source)
    actors = store.get_actors({a for ps in places.values() for a in ps})
    chains = {pid: [_chain(actors[a]) for a in ps if a in actors and not actors[a].personal_data]
              for pid, ps in places.items()}
    s = STRINGS[lang]
    one, many = s["pole_lead_members"].split("|")

    def leads(e: Any) -> list[PoleLead]:
        from maillage.graph.model import ActorView

        mine = _chain(ActorView(id=e.id, name=e.name, family=e.family, location=e.location))
        out = []
        for pid, p in poles.items():
            best = max((territory_closeness(mine, c) for c in chains[pid]), key=lambda x: x[0], default=(0.0, None))
            if best[0] < TERRITORY_LEVELS["epci"]:
                continue
            members = f"{fmt_number(p.members_here, lang)} {one if p.members_here == 1 else many}"
            text = s["pole_lead"].format(name=p.name, members=members)
            out.append(PoleLead(pid, p.name, p.members_here, best[0], best[1], text))
        out.sort(key=lambda x: (-x.closeness, -x.members, *alpha_key(x.name), x.id))
        return out[:POLE_LEADS_PER_ACTOR]
    return leads


def reason_title(code: str, lang: str = "fr") -> str:
    """The hover text of a reason of the territory report: the status it gives
    (:func:`~maillage.analytics.territory.status_label`; :data:`~maillage.analytics.territory.ISOLATED_CODES`
    make an actor isolated, the others peripheral).

    >>> reason_title("seulement_financement"), reason_title("hors_pole", "en")
    ('motif : isolé', 'reason: peripheral')
    """
    status = status_label("isolated" if code in ISOLATED_CODES else "peripheral", lang=lang)
    return STRINGS[lang]["reason_status"].format(status=status)


def isolated_leads(store: Store, t: TerritoryDiagnostic, lang: str = "fr", most: int = LEADS_FOR,
                   k: int = LEADS_PER_ACTOR) -> list[IsolatedLeads]:
    """Leads for the first ``most`` isolated actors of ``t`` (the diagnostic's ``isolated``, in
    its order): the pôles present in ``t`` in the same commune or EPCI, closest first
    (:class:`PoleLead`), and up to ``k`` partners from
    :func:`~maillage.analytics.suggestions.suggest_partners` — actors in the same commune or EPCI
    qualify with no partner in common, the same commune first — unless more than
    :data:`LEADS_TIED_MOST` score alike, the alphabet alone choosing (``tied``, said by
    :func:`tied_text`). Collectivités and public bodies
    (:data:`~maillage.analytics.poles.PUBLIC_FAMILIES`: funders, not cooperation partners) and
    pôles (proposed as pôles) are never partner leads. Suggestions, never facts; natural
    persons and unnamed placeholders are never suggested.

    >>> from maillage.graph import open_store
    >>> from maillage.analytics.territory import territory_diagnostic
    >>> s = open_store(":memory:")
    >>> isolated_leads(s, territory_diagnostic(s, "departement:31"))
    []
    """
    from maillage.graph.projection import project, to_graph

    from .poles import PUBLIC_FAMILIES

    chosen = t.isolated.items[:most]
    if not chosen:
        return []
    G = to_graph(ties_of(project(store, lens="cooperation", as_of=t.as_of)))  # the tie rule (lenses.tie_rule)
    poles_for = _pole_leads(store, t, lang)
    out = []
    for e in chosen:
        # more than shown: how many score as the last shown, the names' order choosing between them
        items = suggest_partners(store, actor_id=e.id, k=k + LEADS_TIED_MOST, as_of=t.as_of, graph=G.copy(), lang=lang,
                                 exclude_families=(*PUBLIC_FAMILIES, "pole")).items
        chosen_leads, tied = _not_by_the_alphabet(items, k)
        out.append(IsolatedLeads(e, chosen_leads, poles_for(e), tied=tied))
    return out


def tied_text(lang: str = "fr") -> str:
    """What the report says of an isolated actor whose leads only the alphabet would pick
    (:data:`LEADS_TIED_MOST`).

    >>> tied_text("en").startswith("No lead: more than 10 actors")
    True
    """
    return STRINGS[lang]["leads_tied"].format(most=fmt_number(LEADS_TIED_MOST, lang),
                                              k=fmt_number(LEADS_PER_ACTOR, lang))


def _not_by_the_alphabet(items: Sequence[Any], k: int, most: int | None = None) -> tuple[list[Any], bool]:
    """``(leads, tied)``: the first ``k`` of ``items`` (suggestions, best first, up to ``k + most``),
    less those only the alphabet would pick: when more than ``most`` (:data:`LEADS_TIED_MOST`)
    candidates score as the ``k``-th, those with no partner in common (neighbours alone: in a
    city of 3,000 actors, the first three by name) are a pick by name among many, not a lead;
    ``tied`` says some were left out. A dozen neighbours alike stay leads, in the order of
    their names: an animator can go through them.

    >>> from types import SimpleNamespace as N
    >>> near = [N(score=0.3, common_neighbours=0) for _ in range(13)]
    >>> _not_by_the_alphabet(near, 3)
    ([], True)
    >>> len(_not_by_the_alphabet(near[:10], 3)[0])  # ten alike: given, by name
    3
    """
    most = LEADS_TIED_MOST if most is None else most
    if len(items) <= k:
        return list(items), False
    cut = items[k - 1].score
    if sum(1 for x in items if math.isclose(x.score, cut)) <= most:
        return list(items[:k]), False
    kept = [x for x in items[:k] if x.common_neighbours or not math.isclose(x.score, cut)]
    return kept, len(kept) < k


def render_territory_report(store: Store, territory_id: str, path: str | Path, as_of: int | None = None,
                            lang: str = "fr", lens: str = "all") -> Path:
    """Write the report of a territory (``departement:31``, ``epci:…``, ``commune:…``,
    ``region:…``) to ``path`` (and its map to ``<stem>-carte.html``).

    Sections: actors located there by family (chart), pôles present, isolated, peripheral
    and possibly under-documented actors with every reason and their status (core/periphery
    reading after Borgatti & Everett 2000, *Social Networks* 21(4)) and, for the first
    :data:`LEADS_FOR` isolated actors, up to :data:`LEADS_PER_ACTOR` partner leads each
    (:func:`isolated_leads`: suggestions to check, never facts), funders and the roles of the
    collectivités (RTES 2016), ties across the border, and the graph year by year (snapshots
    of a temporal network, Holme & Saramäki 2012, *Physics Reports* 519(3)). With ``as_of``,
    only the actors observed that year are counted (the others named in a folded list), and
    « Depuis <as_of - 1> » says who became isolated or peripheral and who no longer is
    (:func:`~maillage.analytics.territory.changes_since`; the spreadsheet gets the situation of
    the year before). Grants to natural persons count in the funders' totals, said in one line,
    never named; the pending merges touching the territory's actors are said under the title
    (:func:`review_caveat`). The map is the territory's view through ``lens`` (every type by
    default), what ``maillage export --territory … --lens`` holds (:func:`~maillage.analytics.views.lens_view`).
    Raises :class:`ValueError` for a malformed territory id or an unknown lens.

    >>> from maillage.graph import open_store
    >>> import tempfile, pathlib
    >>> out = render_territory_report(open_store(":memory:"), "departement:31",
    ...                               pathlib.Path(tempfile.mkdtemp()) / "t.html")
    >>> "departement:31" in out.read_text(encoding="utf-8")
    True
    """
    _check_lang(lang)
    lens_types(lens)  # an unknown lens fails here (VocabularyError, a ValueError)
    path = Path(path)
    names, mask = report_masker(store, lang)
    s = STRINGS[lang]
    voc = vocabulary()
    material = TerritoryMaterial.read(store, territory_id, grants_to_persons=True)
    loaded = store.sources()  # read once: where the funders' roles come from, the sources, the map
    t = diagnose(material, as_of=as_of, lang=lang, sources={src.id: src for src in loaded})
    # the year before, when the sources date something of it: who became isolated, who no longer is
    since = changes_since(material, as_of, lang) if as_of is not None else None
    fam_chart = None
    if t.by_family:
        fam_chart = bar_chart([f.label for f in t.by_family], [f.actors for f in t.by_family],
                              f"{s['s_actors']} (n = {fmt_number(t.actors.size, lang)})",
                              [voc.family(f.family).colour for f in t.by_family], salt="territory-families", lang=lang)
    flagged = [(e, kind == "documentation_gaps") for e, kind in t.flagged()]
    ev = evolution(store, territory=territory_id, lang=lang)
    evo_chart = None
    if ev.years:
        rows = ev.per_year.items
        evo_chart = year_chart([r.year for r in rows], {s["evo_actors"]: [r.actors for r in rows],
                                                        s["evo_in_pole"]: [r.in_pole for r in rows],
                                                        s["evo_direct"]: [r.direct_ties for r in rows]},
                               s["evo_chart"], salt="territory-evolution", lang=lang)
    border_note = s["border_note"].format(
        relations=_counted(t.border.relations, "relation", "relation", lang),
        pairs=_counted(t.border.pairs, "couple", "pair", lang),
        enclosing=fmt_number(t.border.enclosing, lang), unlocated=fmt_number(t.border.unlocated, lang))
    from maillage.api.maps import isolated_map_marks

    # the map: the territory's view through ``lens``, what its export through that lens holds
    sub, _ = lens_view(store, territory=territory_id, lens=lens, as_of=as_of, lang=lang)
    href = _write_map(store, sub, _map_title(t.name, lens, lang), path, lang, names,
                      isolated=isolated_map_marks(t.isolated.items, lang),
                      peripheral=isolated_map_marks(t.peripheral.items, lang), loaded=loaded)
    leads = isolated_leads(store, t, lang)
    csv_href = (write_flagged_csv(t, path.with_name(path.stem + "-isoles.csv"), lang, mask, leads, since).name
                if flagged else None)
    cofunders, grants = territory_cofunders(store, territory_id, as_of)
    to_persons, _ = person_grants_of(material, as_of)  # counted in the year totals, never named
    year_rows, years_chart, undated = funding_by_year([*grants, *to_persons], lang, "territory-funding-years")
    # the years table counts a grant the year it starts; the evolution, each year of its period: say so
    spans = [fact_years(r) for r in [*grants, *to_persons]]
    spread = [(y0, y1) for y0, y1 in spans if y0 is not None and y1 is not None and y1 > y0]
    years_spread = s["years_spread"].format(grants=_counted(len(spread), "financement", "grant", lang),
                                            total=fmt_number(len(spans), lang), last=max(y1 for _, y1 in spread)) \
        if spread else None
    evo_grants = s["evo_grants"].format(first=min(y0 for y0, _ in spread), last=max(y1 for _, y1 in spread)) \
        if spread else None
    persons_line = to_persons_text(len(to_persons), sum(float(r.fields["amount"]) for r in to_persons
                                                        if r.fields.get("amount") is not None), lang) if to_persons else None
    groups = flagged_groups(t)
    leads_more = (s["leads_more"].format(n=fmt_number(len(leads), lang), total=fmt_number(t.isolated.size, lang))
                  if t.isolated.size > len(leads) else None)
    by = _lower_first(level_label(t.part_level, lang)) if t.part_level else s["by_family"]
    grouped_note = s["grouped_note"].format(n=fmt_number(len(flagged), lang), level=by) if groups else None
    hidden = sum(g.hidden for g in groups)
    shown_note = (_plural("shown_note", hidden, lang, shown=fmt_number(SHOWN_PER_GROUP, lang),
                          total=fmt_number(len(flagged), lang), csv=csv_href) if hidden else None)
    return _render("report_territory.html.j2", path, lang, mask, t=t, fam_chart=fam_chart, flagged=flagged,
                   groups=groups, group_level=(level_label(t.part_level, lang) if t.part_level else s["family"])
                   if groups else None, grouped_note=grouped_note, shown_note=shown_note,
                   group_more=lambda g: _plural("group_more", g.hidden, lang, csv=csv_href), csv_href=csv_href, cofunders=cofunders, year_rows=year_rows,
                   leads=leads, leads_more=leads_more, leads_tied=tied_text(lang), leads_k=LEADS_PER_ACTOR, why=lambda it: why(it, lang), shared=lambda x: shared_text(x.shared, lang),
                   status=lambda e: entry_status_label(e, lang),
                   reason_title=lambda code: reason_title(code, lang),
                   years_chart=years_chart, undated=undated, years_spread=years_spread, evo_grants=evo_grants,
                   ev=ev, evo_chart=evo_chart, border_note=border_note, map_href=href,
                   period=_period(as_of, lang), title=s["territory_title"].format(name=t.name),
                   place_kind=level_label(t.level, lang) if t.level != "pays" else "",
                   sources=_sources(store, lang=lang, loaded=loaded), since=since, since_missing=as_of is not None and since is None,
                   persons_line=persons_line, to_persons=lambda f: to_persons_text(f.to_persons, f.amount_to_persons, lang),
                   not_observed=_plural("not_observed", t.not_observed.size, lang, year=as_of),
                   unplaced=_unplaced_text(t, lang),
                   review=review_caveat(store, material.inside, lang))


# ---------------------------------------------------------------------------------------------
# the observatory report

def render_observatory_report(store: Store, path: str | Path, as_of: int | None = None, lang: str = "fr") -> Path:
    """Write the observatory report to ``path``: every statistic of the RTES study (RTES 2016,
    *Les rôles des collectivités locales dans les dynamiques de PTCE*, Repères) computed on the
    loaded pôles by :func:`~maillage.analytics.observatory.observatory_table`, with its sample
    size n and the published value beside it, and a chart of computed vs published shares.

    >>> from maillage.graph import open_store
    >>> import tempfile, pathlib
    >>> p = render_observatory_report(open_store(":memory:"), pathlib.Path(tempfile.mkdtemp()) / "o.html")
    >>> p.suffix
    '.html'
    """
    _check_lang(lang)
    path = Path(path)
    _names, mask = report_masker(store, lang)
    s = STRINGS[lang]
    rows = observatory_table(store, as_of=as_of, lang=lang)
    groups: dict[str, list[Any]] = {}
    for r in rows:
        groups.setdefault(r.group_label, []).append(r)
    shares = [r for r in rows if r.unit == "share" and r.value is not None and r.published is not None]
    chart = None
    if shares:
        chart = grouped_bars([f"{r.label} (n = {fmt_number(r.n, lang)})" for r in shares],
                             {s["computed"]: [r.value for r in shares], s["published"]: [r.published for r in shares]},
                             s["obs_chart"], salt="observatory", percent=True)
    return _render("report_observatory.html.j2", path, lang, mask, groups=groups, chart=chart,
                   period=_period(as_of, lang), title=s["observatory_title"], sources=_sources(store, lang=lang),
                   reference_text=reference_text)


__all__ = ["render_pole_report", "render_territory_report", "isolated_leads", "IsolatedLeads", "PoleLead",
           "render_observatory_report", "bar_chart",
           "grouped_bars", "year_chart", "STRINGS", "unknown_for", "reason_title"]
