"""Response models of the maillage API (pydantic v2), shared by the routes and the OpenAPI schema.

The analytics results that already are pydantic models (:class:`~maillage.analytics.poles.PoleDiagnostic`,
:class:`~maillage.analytics.criteria.CriterionResult`,
:class:`~maillage.analytics.territory.TerritoryDiagnostic`,
:class:`~maillage.analytics.suggestions.PartnerSuggestions`,
:class:`~maillage.analytics.observatory.ObservatoryRow`) are served as they are: the API's
response models are the library's types (brief §3). The models here describe what only the
API has: actor summaries, subgraphs (nodes and edges with provenance), pages, errors.

Descriptions are given in French then English (« FR / EN »), the users' language first.

Large bodies (subgraphs, run metrics) are built as plain dicts that follow these models and
serialised with orjson (docs/api.md, *Performance*); the contract test
(``tests/test_api_contract.py``) checks that every response conforms to its model.

>>> SubgraphOut(nodes=[], edges=[], capped=False, limit=500, total_nodes=0).notes
[]
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from maillage.analytics.criteria import CriterionResult
from maillage.analytics.observatory import ObservatoryRow
from maillage.analytics.poles import PoleDiagnostic
from maillage.analytics.territory import ActorEntry, Reason
from maillage.graph.model import ActorView

#: Reference-dataset values used as examples in the OpenAPI document (and by the contract test).
EXAMPLE_ACTOR = "periscope-le-periscope-248958"
EXAMPLE_POLE = "periscope-le-periscope-248958"
EXAMPLE_MEMBER = "access-2b2ad1"
EXAMPLE_TERRITORY = "departement:31"


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


# ---------------------------------------------------------------------------------------------
# errors and service state

class ErrorOut(BaseModel):
    """Une erreur : un message clair (français par défaut, ``?lang=en`` pour l'anglais).
    / An error: one clear message (French by default)."""

    model_config = _examples({"detail": "Aucun acteur « inconnu-123 »."})

    detail: str = Field(description="Message d'erreur / Error message")
    errors: list[dict[str, Any]] | None = Field(
        None, description="Détail des paramètres refusés (422) / Rejected parameters (422)")


class HealthOut(BaseModel):
    """Le service répond. / The service answers."""

    model_config = _examples({"status": "ok"})

    status: str = Field(description="Toujours « ok » / Always 'ok'")


class ReadyOut(BaseModel):
    """Le service et sa base sont prêts. / The service and its store are ready."""

    model_config = _examples({"status": "ready", "actors": 521, "relations": 939, "runs": 1})

    status: str = Field(description="« ready »")
    actors: int = Field(description="Acteurs (personnes physiques exclues) / Actors (natural persons excluded)")
    relations: int = Field(description="Énoncés de relation / Relation statements")
    runs: int = Field(description="Analyses enregistrées / Stored analysis runs")


# ---------------------------------------------------------------------------------------------
# actors

class ActorSummary(BaseModel):
    """Un acteur en une ligne (recherche, listes). / One actor in a line (search, lists)."""

    model_config = _examples({
        "id": EXAMPLE_ACTOR, "name": "Le Périscope", "family": "pole", "family_label": "Pôle",
        "kind": "ptce", "kind_label": "PTCE", "location": "commune:31446",
        "location_label": "Ramonville-Saint-Agne (31)", "placeholder": False, "is_pole": True})

    id: str = Field(description="Identifiant stable / Stable id")
    name: str = Field(description="Nom canonique / Canonical name")
    family: str = Field(description="Famille (art. 9 de la loi ESS) / Actor family (vocabulary)")
    family_label: str = Field(description="Libellé de la famille / Family label")
    kind: str | None = Field(None, description="Type d'acteur / Kind")
    kind_label: str = Field("", description="Libellé du type / Kind label")
    location: str | None = Field(None, description="Territoire le plus précis connu / Most precise territory")
    location_label: str = Field("", description="Lieu lisible / Readable place")
    placeholder: bool = Field(False, description="Mentionné sans être nommé / Mentioned by type only")
    is_pole: bool = Field(False, description="Est un pôle (PTCE…) / Is a pôle")


class ActorPage(BaseModel):
    """Une page de résultats de recherche. / One page of search results."""

    items: list[ActorSummary]
    total: int = Field(description="Résultats en tout / Matches in all")
    page: int = Field(description="Numéro de page (à partir de 1) / Page number (from 1)")
    size: int = Field(description="Taille de page (≤ 200) / Page size (≤ 200)")
    capped: bool = Field(False, description="Recherche arrêtée au plafond : « total » est un minimum "
                                            "/ Search stopped at the cap: 'total' is a lower bound")


class ActorOut(ActorView):
    """Un acteur canonique avec ses libellés. / A canonical actor with its labels."""

    family_label: str = ""
    kind_label: str = ""
    location_label: str = ""
    territory_label: str = ""
    is_pole: bool = False


class ProvenanceOut(BaseModel):
    """D'où vient un fait. / Where a fact comes from."""

    source: str = Field(description="Source (fichier ou jeu de données) / Source id")
    document: str | None = Field(None, description="Document fondateur / Founding document")
    locator: str | None = Field(None, description="Ligne du document ou du fichier / Document line or file row")
    locator_label: str = Field("", description="Le même lieu, lisible (« ligne 12 », « feuille Membres, ligne 4 ») "
                                               "/ The same locator as read (« line 12 »)")
    quote: str | None = Field(None, description="Citation (noms de personnes masqués) / Quote (persons masked)")
    certainty: str = Field(description="stated | implied | inferred | planned")
    loaded_at: datetime | None = Field(None, description="Date de chargement / Load time")
    source_label: str = Field("", description="La source comme on la nomme : nom du fichier, titre du document "
                                              "/ The source as a reader names it: file name, document title")
    document_label: str | None = Field(None, description="Le titre du document fondateur / The founding "
                                                         "document's title")


class EdgeOut(BaseModel):
    """Un énoncé de relation entre deux acteurs. / One relation statement between two actors."""

    model_config = _examples({
        "id": "r_0123456789abcdef0123", "source": EXAMPLE_MEMBER, "target": EXAMPLE_POLE,
        "type": "membership", "type_label": "Adhésion", "directed": True, "fields": {}, "role_label": None, "field_rows": [],
        "start": None, "end": None,
        "provenance": {"source": "reference:s003_004", "document": "seed 003", "locator": "L120",
                       "locator_label": "ligne 120", "quote": "…", "certainty": "stated",
                       "loaded_at": "2026-01-01T00:00:00Z"}})

    id: str
    source: str = Field(description="Acteur source / Source actor id")
    target: str = Field(description="Acteur cible / Target actor id")
    type: str = Field(description="Type de relation (vocabulaire) / Relation type")
    type_label: str = Field(description="Libellé du type / Type label")
    directed: bool = Field(description="Relation orientée / Directed type")
    fields: dict[str, Any] = Field(default_factory=dict, description="Champs propres au type / Per-type fields")
    role_label: str | None = Field(
        None, description="Le rôle dans les mots du vocabulaire, puis tel que la source l'écrit s'il en dit plus "
                          "(null sans rôle ; fields.role reste tel qu'écrit) / The role in the vocabulary's words, "
                          "then as the source wrote it when it says more (null without a role; fields.role stays as written)")
    field_rows: list[list[str]] = Field(
        default_factory=list, description="Les champs comme le panneau de l'explorateur les montre, une ligne "
                                          "[libellé, valeur] chacun : libellés du vocabulaire, pas les codes / The "
                                          "fields as the explorer's side panel shows them, one [label, value] row "
                                          "each: the vocabulary's labels, not codes")
    start: str | None = Field(None, description="Début (date partielle) / Start (partial date)")
    end: str | None = Field(None, description="Fin (date partielle) / End (partial date)")
    provenance: ProvenanceOut


class ActorDetail(BaseModel):
    """Un acteur, ses métriques de la dernière analyse et ses relations (avec leurs sources).
    / An actor, its metrics of the latest run and its relations (with their sources)."""

    actor: ActorOut
    metrics: dict[str, float | None] | None = Field(
        None, description="Valeurs de la dernière analyse (null sans analyse) / Latest run's values (null without run)")
    run_id: str | None = Field(None, description="Analyse d'où viennent les métriques / Run of the metrics")
    run_label: str | None = Field(None, description="Cette analyse nommée par sa date pour le lecteur (« l'analyse du "
                                  "7 décembre 2026 à 20 h 49 ») / That run named by its date for a reader")
    run_notes: list[str] = Field(default_factory=list, description="Ce que le lecteur doit savoir de ces mesures : "
                                 "elles décrivent une autre vue, ou le graphe a changé depuis (comme les notes d'une "
                                 "vue) / What a reader must know of these measures, as a view's notes")
    source_labels: dict[str, str] = Field(default_factory=dict, description="Ses sources comme on les nomme (nom du "
                                          "fichier, titre du document), par identifiant / Its sources as a reader "
                                          "names them, by id")
    relations: list[EdgeOut] = Field(description="Relations touchant l'acteur / Relations touching the actor")
    neighbours: list[ActorSummary] = Field(default_factory=list,
                                           description="Acteurs à l'autre bout / Actors at the other end")


# ---------------------------------------------------------------------------------------------
# subgraphs

class NodeOut(BaseModel):
    """Un acteur dans un sous-graphe. / An actor in a subgraph."""

    id: str
    label: str = Field(description="Nom affiché / Displayed name")
    family: str
    family_label: str
    kind: str | None = None
    location: str | None = None
    location_label: str = ""
    placeholder: bool = False
    is_pole: bool = False
    metrics: dict[str, float | None] | None = Field(
        None, description="Métriques d'acteur de la dernière analyse / Actor metrics of the latest run")


class TerritoryMarks(BaseModel):
    """Les acteurs isolés et périphériques du diagnostic du territoire que la vue dessine, chacun
    avec ses motifs, comme sur la carte du territoire. / The isolated and peripheral actors of
    the territory diagnostic the view draws, each with its reasons, as on the territory map."""

    isolated: dict[str, str] = Field(description="Identifiant → motifs / Id → reasons")
    peripheral: dict[str, str] = Field(description="Identifiant → motifs (jamais un isolé) / Id → reasons "
                                                   "(never an isolated one)")


class SubgraphOut(BaseModel):
    """Des acteurs et les relations entre eux, plafonnés à ``limit`` acteurs.
    / Actors and the relations among them, capped at ``limit`` actors."""

    model_config = _examples({
        "nodes": [{"id": EXAMPLE_POLE, "label": "Le Périscope", "family": "pole", "family_label": "Pôle",
                   "kind": "ptce", "location": "commune:31446", "location_label": "Ramonville-Saint-Agne (31)",
                   "placeholder": False, "is_pole": True, "metrics": {"degree": 36.0}}],
        "edges": [], "capped": False, "limit": 500, "total_nodes": 1, "notes": []})

    nodes: list[NodeOut]
    edges: list[EdgeOut]
    capped: bool = Field(description="Vrai si des acteurs ont été laissés de côté / True when actors were left out")
    limit: int = Field(description="Plafond d'acteurs appliqué / Actor cap applied")
    total_nodes: int = Field(description="Acteurs trouvés avant plafonnement (un minimum si plafonné) "
                                         "/ Actors found before capping (a lower bound when capped)")
    notes: list[str] = Field(default_factory=list, description="Remarques (plafond…) / Notes (cap…)")
    marks: TerritoryMarks | None = Field(None, description="Vue d'un territoire : les acteurs dessinés que sa "
                                                           "carte entoure / A territory's view: the drawn actors "
                                                           "its map circles")


# ---------------------------------------------------------------------------------------------
# pôles

class NamedRef(BaseModel):
    id: str
    name: str


class PoleSummary(ActorSummary):
    """Un pôle et ses effectifs connus. / A pôle and its known sizes."""

    members: int = Field(description="Membres listés (adhésion au pôle) / Listed members")
    declared_members: float | None = Field(None, description="Membres déclarés par les sources / Declared members")
    phase: str | None = None
    phase_label: str = ""
    founding_year: int | None = None
    carriers: list[NamedRef] = Field(default_factory=list, description="Structures porteuses / Carrying structures")
    collectivites: int = Field(0, description="Collectivités liées au pôle / Collectivités tied to it")
    sources: int = Field(0, description="Sources distinctes / Distinct sources")


class PoleDiagnosticOut(BaseModel):
    """Le diagnostic d'un pôle et ses critères (vrai / faux / inconnu).
    / A pôle's diagnostic and its criteria (true / false / unknown)."""

    diagnostic: PoleDiagnostic
    criteria: list[CriterionResult]


# ---------------------------------------------------------------------------------------------
# territories

class TerritoryHit(BaseModel):
    """Un territoire proposé pour ce qui a été tapé. / A territory offered for what was typed."""

    id: str = Field(description="niveau:code (departement:31) / level:code")
    name: str
    level: str
    level_label: str = Field(description="Commune, Intercommunalité (EPCI), Département, Région…")
    label: str = Field(description="Le nom affiché sur les cartes (Haute-Garonne (31)) / As maps show it")
    population: int | None = None


class TerritoryActorsPage(BaseModel):
    """Les acteurs situés dans un territoire, avec leurs motifs d'isolement.
    / Actors located in a territory, with their isolation reasons."""

    territory: str
    name: str
    level: str
    as_of: int | None = None
    items: list[ActorEntry]
    total: int
    page: int
    size: int


class PartnerRef(BaseModel):
    id: str
    name: str


class IsolatedActor(BaseModel):
    """Un acteur isolé (aucun lien de coopération dans la lentille cette année-là) ou, avec
    ``peripheral=true``, périphérique (par exemple un seul partenaire), et pourquoi. / An isolated
    actor (no cooperation tie in the lens that year) or, with ``peripheral=true``, a peripheral
    one (e.g. a single partner), and why."""

    id: str
    name: str
    family: str
    family_label: str
    kind: str | None = None
    location: str | None = None
    location_label: str = ""
    status: str = Field(description="Situation, comme dans le diagnostic du territoire : isolated (isolé : aucun lien "
                                    "de coopération), peripheral (périphérique, par exemple un seul partenaire), "
                                    "documentation_gaps (peut-être sous-documenté), public_bodies (collectivité ou "
                                    "organisme public) / Status, the territory diagnostic's listing",
                        examples=["isolated"])
    status_label: str = Field(description="« isolé », « périphérique (un seul partenaire) »… / Its label",
                              examples=["isolé"])
    code: str = Field(description="Premier motif / First reason code")
    reason: str = Field(description="Texte du premier motif / Text of the first reason")
    codes: list[str]
    reasons: list[Reason]
    lens: str
    lens_degree: int = Field(description="Partenaires distincts dans la lentille / Distinct partners in the lens")
    ties: dict[str, int] = Field(description="Énoncés par type (toutes lentilles) / Statements by type")
    partners: list[PartnerRef] = Field(default_factory=list, description="Le partenaire unique / The single partner")
    placeholder: bool = False
    declared: dict[str, float] = Field(default_factory=dict)
    thinly_documented: bool = Field(description="Peut tenir à la documentation / May be a documentation gap")
    caveats: list[str] = Field(default_factory=list)


class IsolatedOut(BaseModel):
    """Les acteurs isolés d'un territoire (avec ``peripheral=true``, aussi les périphériques et les
    peut-être sous-documentés, comme le tableau du rapport ; avec ``public_bodies=true``, les
    collectivités et organismes publics ; chacun avec sa situation ``status``). / Isolated actors of
    a territory (with ``peripheral=true``, the peripheral and possibly under-documented ones too, as
    the report's table; with ``public_bodies=true``, the public bodies; each with its ``status``)."""

    territory: str
    name: str
    as_of: int | None = None
    lens: str
    peripheral: bool = Field(description="Aussi les périphériques / Peripheral too")
    public_bodies: bool = Field(False, description="Aussi les collectivités et organismes publics / "
                                                   "Public bodies too")
    total: int = Field(description="Nombre d'acteurs listés (sans peripheral : les isolés du diagnostic ; "
                                   "avec : le tableau du rapport de territoire) / Actors listed")
    items: list[IsolatedActor]


# ---------------------------------------------------------------------------------------------
# overlaps, observatory, runs

class PolePairOut(BaseModel):
    """Deux pôles ayant des membres communs (Jaccard). / Two pôles sharing members (Jaccard)."""

    pole_a: str
    pole_b: str
    name_a: str
    name_b: str
    size_a: int
    size_b: int
    shared: int
    jaccard: float
    shared_members: list[str]


class MultiPoleActorOut(BaseModel):
    """Un acteur membre de plusieurs pôles. / An actor member of several pôles."""

    actor_id: str
    name: str
    family: str
    poles: list[str]
    pole_names: list[str]
    pairs: int
    sole_pairs: int


class OverlapsOut(BaseModel):
    """Recouvrements entre pôles par leurs membres. / Overlaps between pôles through their members."""

    as_of: int | None = None
    sizes: dict[str, int] = Field(description="Membres listés par pôle / Listed members per pôle")
    pairs: list[PolePairOut]
    multi_pole: list[MultiPoleActorOut]
    bridging: list[MultiPoleActorOut]
    pairs_total: int
    multi_pole_total: int
    capped: bool = Field(False, description="Listes tronquées à « limit » / Lists cut at 'limit'")


class ObservatoryOut(BaseModel):
    """Le tableau de l'observatoire (statistiques RTES calculées sur le graphe).
    / The observatory table (RTES statistics computed from the graph)."""

    as_of: int | None = None
    lang: str
    rows: list[ObservatoryRow]


class RunOut(BaseModel):
    """Une analyse enregistrée. / A stored analysis run."""

    id: str
    created_at: datetime
    lens: str
    as_of: int | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    note: str | None = None


class RunMetricsOut(BaseModel):
    """Les valeurs d'une analyse : ``{clé: {nom: valeur}}`` (personnes exclues).
    / A run's values: ``{key: {name: value}}`` (persons excluded)."""

    run_id: str
    metrics: dict[str, dict[str, float | None]]


class ReplacedLoadOut(BaseModel):
    """Le chargement précédent de la même source, que celui-ci a remplacé. / The earlier load of
    the same source that this one replaced."""

    loaded_at: str | None = Field(None, description="Quand (ISO 8601) / When (ISO 8601)")
    rows_read: int | None = Field(None, description="Ses lignes lues (null pour une source chargée avant qu'on les "
                                                    "garde) / Its rows read (null for an older source)")
    same_content: bool = Field(description="Le fichier n'avait pas changé / The file had not changed")


class LoadReportOut(BaseModel):
    """Le compte rendu d'un chargement (comme ``maillage load``). / A load report (as ``maillage load``)."""

    file: str
    format: str
    source: str
    rows_read: int
    loaded: int
    merged: int
    rejected: int
    rejects_file: str | None = None
    actors_created: int = 0
    actors_known: int = Field(0, description="Acteurs du fichier que d'autres sources décrivent déjà (rapprochés "
                              "par la résolution) / Actors of the file other sources already describe")
    proposals: int = 0
    warnings: int = 0
    notes: list[str] = Field(default_factory=list, description="Ce que la lecture a remarqué (encodage, en-tête sous "
                             "un titre, cellules fusionnées…) / What reading the file noticed")
    rejects_csv: str | None = Field(None, description="Lignes rejetées et avertissements (CSV) / Rejected rows (CSV)")
    replaced: ReplacedLoadOut | None = Field(None, description="null pour un premier chargement ; sinon le "
                                             "chargement précédent de cette source / null for a first load; else the "
                                             "earlier load of this source")
    store: dict[str, int] = Field(default_factory=dict, description="Acteurs et relations après chargement "
                                                                   "/ Actors and relations after the load")


__all__ = ["ErrorOut", "HealthOut", "ReadyOut", "ActorSummary", "ActorPage", "ActorOut", "ProvenanceOut",
           "EdgeOut", "ActorDetail", "NodeOut", "SubgraphOut", "NamedRef", "PoleSummary", "PoleDiagnosticOut",
           "TerritoryActorsPage", "PartnerRef", "IsolatedActor", "IsolatedOut", "PolePairOut",
           "MultiPoleActorOut", "OverlapsOut", "ObservatoryOut", "RunOut", "RunMetricsOut", "ReplacedLoadOut", "LoadReportOut",
           "EXAMPLE_ACTOR", "EXAMPLE_POLE", "EXAMPLE_MEMBER", "EXAMPLE_TERRITORY"]
