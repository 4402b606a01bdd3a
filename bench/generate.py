"""Synthetic but realistic ESS ecosystems for the benchmarks, in the ``maillage-jsonl`` format.

Three scales (brief §7):

========  ===============================  ==========  ==================  ======================
scale     territory (default)              actors      relations           pôles
========  ===============================  ==========  ==================  ======================
pole      one département (Haute-Garonne)  ≈ 500       ≈ 3,000             ≈ 10
region    one région (Occitanie)           ≈ 5,000     ≈ 30,000            ≈ 100
nation    all régions (pays:FR)            ≈ 100,000   ≈ 1,000,000         ≈ 2,000
========  ===============================  ==========  ==================  ======================

What the generated graph looks like, and where each choice comes from:

- **Actors** sit in real communes of the territory (reference geography), drawn with a
  weight ∝ population^0.75 so cities hold more actors without emptying the countryside.
  Families follow an ESS ecosystem map: ~60 % ESS organisations (associations first, then
  SIAE, SCOP, SCIC, ESUS…), ~18 % classic enterprises, research, training, networks
  (one CRESS per région), support bodies (one DLA, CCI and CMA per département…),
  tiers-lieux, the State (one préfecture per département, DREETS, ADEME, Banque des
  Territoires per région), EU programmes (FSE+, FEDER, LEADER per région), and
  **collectivités** at every level — every région and département of the territory, every
  EPCI, a population-weighted sample of communes — each with ``territory`` set to the
  territory it administers. Organisations carry a valid SIREN (Luhn check digit) — real
  ones for communes and EPCI, synthetic ones (never starting with 2, the public range)
  for the others; associations carry an RNA number; a few a SIRET.
- **Pôles** (family ``pole``, mostly kind ``ptce``) have a founding year (2008–2023), a
  phase consistent with their age, a perimeter (their EPCI, sometimes neighbours), labels,
  and declared sizes for some. Each has a **structure porteuse** (``carries``) and
  10–40 members (``membership``; heavy-tailed sizes, median ≈ 14 as in RTES seed 000),
  drawn mostly from its perimeter; some actors are members of several pôles.
- **Collectivités** around each pôle follow the RTES figures (seed 000): région and
  intercommunalité involved in ~¾ of pôles, département ~½, ville ~½, 2–6 public
  partners; each involved one ``funds`` it (several years), some sit in its governance
  (``governs``), some ``supports`` or ``hosts`` it. Collectivités, the State and EU
  programmes also fund actors on their territory. Amounts are log-normal (medians by
  funder level), years 2010–2024, with programme, nature, resource and status.
- **Cooperation** (``cooperates`` with form and practice, ``partner``) is clustered:
  most ties are inside a pôle, inside an EPCI, or close a triangle (friend of a friend);
  a few are long-range. Actors have a heavy-tailed activity (Pareto), networks and
  support bodies more than most. Ties have start years and some an end year.
- Support bodies ``supports`` actors; tiers-lieux ``hosts`` them; collectivités
  ``contracts`` with SIAE; founders ``founded`` pôles; a few **natural persons**
  (``personal_data: true``) ``represents`` a collectivité or an organisation, are
  ``employs``-ed, or sit in a pôle's governance.

Every line has provenance ``{"locator": "row N", "certainty": "stated"}`` (N = line number).
The output is a pure function of ``(scale, seed, territory)``: same bytes on every run
(no set or hash order is ever used to decide anything).

    python bench/generate.py --scale pole --seed 1            # → bench/data/pole.jsonl
    python bench/generate.py --scale nation --out /tmp/n.jsonl
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import orjson
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from maillage.geography import load_geography  # noqa: E402
from maillage.graph.names import core_key, name_key  # noqa: E402

FORMAT = "maillage-jsonl"
GENERATOR_VERSION = 1
YEAR_MIN, YEAR_MAX = 2010, 2024


@dataclass(frozen=True)
class Scale:
    name: str
    territory: str
    actors: int
    relations: int
    actors_per_pole: int = 50
    commune_share: float = 0.03  # communes as actors, as a share of all actors


SCALES = {
    "pole": Scale("pole", "departement:31", 500, 3_000),
    "region": Scale("region", "region:76", 5_000, 30_000),
    "nation": Scale("nation", "pays:FR", 100_000, 1_000_000),
}

# ---------------------------------------------------------------------------------------------
# Composition of the "bulk" actors (everything that is not a territorial singleton: those are
# created per territory below). Shares of the bulk; kinds within a family with their weights.
BULK_FAMILIES = [
    ("ess", 0.62), ("enterprise", 0.20), ("research", 0.035), ("training", 0.045),
    ("network", 0.02), ("support", 0.03), ("tiers_lieu", 0.035), ("other", 0.015),
]
KINDS = {
    "ess": [("association", 50), ("siae", 10), ("scop", 8), ("scic", 6), ("entreprise_esus", 6),
            ("cooperative", 4), ("mutuelle", 3), ("fondation", 3), ("cae", 2),
            ("groupement_employeurs", 3), ("finance_solidaire", 2), ("ess_autre", 3)],
    "enterprise": [("tpe", 45), ("pme", 38), ("eti", 8), ("grande_entreprise", 3), ("entreprise", 6)],
    "research": [("laboratoire", 55), ("universite", 30), ("recherche_autre", 15)],
    "training": [("organisme_formation", 1)],
    "network": [("tete_de_reseau", 60), ("reseau_autre", 30), ("reseau_collectivites", 10)],
    "support": [("incubateur", 30), ("agence_developpement", 15), ("cbe", 10), ("emploi_insertion", 25),
                ("accompagnement_autre", 20)],
    "tiers_lieu": [("tiers_lieu", 1)],
    "other": [("collectif", 60), ("lieu", 40)],
}
# Activity multipliers (how many ties an actor of that family tends to have).
ACTIVITY = {"ess": 1.0, "enterprise": 0.6, "research": 1.6, "training": 1.0, "network": 5.0,
            "support": 3.5, "tiers_lieu": 2.0, "other": 0.7, "pole": 3.0, "collectivite": 1.0,
            "state": 1.0, "eu": 1.0, "person": 0.0}
COOPERATING = ("ess", "enterprise", "research", "training", "network", "support", "tiers_lieu", "other",
               "pole")

LEGAL_FORMS = {
    "association": "Association loi 1901", "scop": "SCOP SARL", "scic": "SCIC SAS", "cae": "SCOP SA",
    "cooperative": "Société coopérative", "mutuelle": "Mutuelle (code de la mutualité)",
    "fondation": "Fondation reconnue d'utilité publique", "siae": "Association loi 1901",
    "groupement_employeurs": "Association loi 1901", "entreprise_esus": "SAS agréée ESUS",
    "finance_solidaire": "Société coopérative de banque", "tpe": "SARL", "pme": "SAS", "eti": "SA",
    "grande_entreprise": "SA", "entreprise": "SAS", "commune": "Commune", "epci": "EPCI à fiscalité propre",
    "departement": "Département", "region": "Région",
}

# ---------------------------------------------------------------------------------------------
# Words for names (synthetic; no real organisation is meant)
DISTINCT = [
    "Les Colibris", "Le Relais", "La Fabrique", "Terre Ferme", "L'Envol", "Les Quatre Saisons", "La Ruche",
    "Le Maillon", "La Bricole", "Le Grenier", "Les Petites Mains", "Le Fil d'Ariane", "La Passerelle",
    "L'Étape", "Le Tremplin", "Horizon", "Alternatives", "Cap Avenir", "Solid'Aire", "Entraide", "Le Lien",
    "Trait d'Union", "La Clé", "Le Pont", "Récup'Art", "Rebond", "Les Tisserands", "Les Compagnons",
    "La Cordée", "L'Arbre à Palabres", "Les Copeaux", "L'Étincelle", "La Boussole", "Le Phare",
    "Les Semeurs", "Germinal", "La Source", "Le Moulin", "La Forge", "Trame", "Sillon", "Racines",
    "Le Fournil", "Mosaïque", "Arc-en-ciel", "Les Glaneurs", "Le Cairn", "Archipel", "Kaléidoscope",
    "Escale", "Interlude", "Le Bercail", "Tournesol", "La Marmite", "Les Coteaux", "Le Bocage",
    "La Vigne", "L'Olivier", "Le Tilleul", "La Garrigue", "Les Ruisseaux", "Le Gué", "La Canopée",
    "Le Terreau", "La Graine", "L'Usine", "Le Hangar", "La Filature", "Le Lavoir", "Le Préau",
    "La Halle", "L'Atelier Partagé", "Le Quai", "La Péniche", "Le Chantier", "La Manufacture",
    "Les Communs", "Bien Commun", "Nouvelle Donne", "Pas à Pas", "Main dans la Main", "Coup de Pouce",
    "Vent d'Ouest", "Plein Sud", "Terra Nova", "Humus", "Compost & Cie", "Bois Vivant", "Fil Rouge",
    "Le Sens", "Demain", "Ensemble", "Le Cercle", "La Ronde", "Le Réseau Vert", "Écho", "Hélice",
    "Boréal", "Zénith", "Odyssée", "Sésame", "Marelle", "Cigale", "Fourmi", "Abeille", "Hirondelle",
]
THEMES = {
    "association": ["Recyclerie", "Ressourcerie", "Épicerie solidaire", "Atelier vélo", "Repair café",
                    "Café associatif", "Accorderie", "Centre social", "Maison de quartier", "AMAP",
                    "Compagnie théâtrale", "Radio associative", "Fablab", "Garage solidaire",
                    "Crèche parentale", "Monnaie locale", "Jardins partagés", "Ferme pédagogique",
                    "Cinéma associatif", "École de musique", "Aide à domicile", "Plateforme mobilité"],
    "siae": ["Chantier d'insertion", "Régie de quartier", "Entreprise d'insertion", "ETTI", "Jardin d'insertion",
             "Association intermédiaire", "Légumerie d'insertion", "Friperie d'insertion"],
    "scop": ["Menuiserie", "Imprimerie", "Bureau d'études", "Agence de communication", "Boulangerie",
             "Brasserie", "Librairie", "Charpente", "Électricité"],
    "scic": ["Énergie citoyenne", "Cuisine centrale", "Habitat participatif", "Conserverie", "Scierie",
             "Mobilité partagée", "Bois énergie", "Circuits courts"],
    "cae": ["CAE", "Coopérative d'activités"],
    "cooperative": ["Coopérative agricole", "CUMA", "Coopérative de consommateurs", "Centrale villageoise"],
    "mutuelle": ["Mutuelle"], "fondation": ["Fondation"],
    "groupement_employeurs": ["GEIQ", "Groupement d'employeurs"],
    "entreprise_esus": ["Conciergerie solidaire", "Traiteur solidaire", "Épicerie vrac", "Lunetterie solidaire"],
    "finance_solidaire": ["Club Cigales", "Fonds territorial", "Caisse solidaire"],
    "ess_autre": ["Collectif", "Union", "Groupement"],
    "tpe": ["Atelier", "Boutique", "Studio", "Maraîchage", "Transports"],
    "pme": ["Menuiserie industrielle", "BTP", "Agroalimentaire", "Logistique", "Mécanique", "Textile"],
    "eti": ["Industries", "Distribution", "Environnement"],
    "grande_entreprise": ["Groupe", "Énergies"], "entreprise": ["Société", "Établissements"],
    "laboratoire": ["Laboratoire", "UMR", "Centre de recherche"],
    "universite": ["Université", "IUT", "École d'ingénieurs"], "recherche_autre": ["Institut", "Observatoire"],
    "organisme_formation": ["Organisme de formation", "Centre de formation", "GRETA", "École de la deuxième chance"],
    "tete_de_reseau": ["Fédération", "Union régionale", "Réseau"], "reseau_autre": ["Réseau", "Collectif"],
    "reseau_collectivites": ["Réseau des territoires"],
    "incubateur": ["Incubateur", "Pépinière", "Couveuse"], "agence_developpement": ["Agence de développement"],
    "cbe": ["Comité de bassin d'emploi"], "emploi_insertion": ["Mission locale", "PLIE", "Maison de l'emploi"],
    "accompagnement_autre": ["Boutique de gestion", "Pôle d'accompagnement"],
    "tiers_lieu": ["Tiers-lieu", "Coworking", "Friche", "Fabrique de territoire"],
    "collectif": ["Collectif", "Groupe de travail"], "lieu": ["Site", "Halle"],
}
FIRST_NAMES = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sophie", "Camille", "Julie", "Claire", "Anne",
    "Émilie", "Céline", "Aurélie", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Laure", "Hélène", "Jean",
    "Pierre", "Michel", "Philippe", "Nicolas", "Julien", "Thomas", "Alexandre", "Laurent", "François",
    "Olivier", "Sébastien", "Christophe", "Mathieu", "Antoine", "Karim", "Hugo", "Lucas", "Yann", "Paul",
]
SURNAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
    "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guerin", "Muller", "Henry", "Roussel", "Nicolas",
    "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin",
    "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier",
    "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Perez", "Marchand", "Dufour",
    "Blanchard", "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez",
    "Benali", "Haddad", "Le Gall", "Kerleau", "Etcheverry", "Casanova", "Pujol", "Arnaud", "Giraud",
]
POLE_WORDS = [
    "Archipel", "Ecopôle", "Pôle Sud", "Coopérative de territoire", "Les Ateliers", "Quartier Génial",
    "Boucle", "Synergies", "Convergences", "Terre d'Avenir", "Village", "Carrefour", "Ruche",
    "Filière", "Grappe", "Vallée", "Campus", "Plateforme", "Cité", "Maison commune",
]
POLE_THEMES = ["de l'économie circulaire", "alimentaire", "de la mobilité", "du réemploi", "de l'habitat",
               "des transitions", "de la culture", "du bois", "de l'insertion", "de l'énergie", "des services",
               "numérique", ""]
COLLEGES = {"ess": "Collège des structures de l'ESS", "enterprise": "Collège des entreprises",
            "research": "Collège recherche et formation", "training": "Collège recherche et formation",
            "collectivite": "Collège des collectivités"}
PROGRAMMES = {
    "region": ["AAP ESS Région", "Fonds régional pour l'innovation sociale", "Pass ESS", "Contrat de plan État-Région"],
    "departement": ["AAP Économie sociale et solidaire", "Programme départemental d'insertion",
                    "Fonds départemental d'insertion"],
    "epci": ["Contrat de ville", "Fonds de développement économique", "AAP Transition écologique"],
    "commune": ["Subvention de fonctionnement", "Politique de la ville"],
    "state": ["FDVA", "Fonds de développement de l'inclusion", "French Impact", "AMI PTCE", "France Relance"],
    "eu": [],  # named after the fund and period
}
FUND_MEDIAN = {"commune": 3_000, "epci": 9_000, "departement": 14_000, "region": 22_000, "state": 18_000,
               "eu": 45_000}

# ---------------------------------------------------------------------------------------------
# Identifiers


def luhn_check_digit(digits: str) -> str:
    """The digit that makes ``digits + d`` pass the Luhn check (SIREN, SIRET)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # positions doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return luhn_check_digit(number[:-1]) == number[-1]


# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class A:
    """An actor being generated (kept in memory; written once)."""

    idx: int
    key: str
    family: str
    kind: str
    name: str
    location: str
    epci: str | None
    dep: str
    reg: str
    weight: float
    territory: str | None = None
    ids: list = field(default_factory=list)
    pole: dict | None = None
    declared: dict | None = None


def _elide(name: str) -> str:
    """"de Muret", "d'Auch" (no contraction: a commune named "Le Mans" gives "de Le Mans")."""
    return ("d'" if name[:1] in "AEIOUYÉÈÎ" else "de ") + name


class Ecosystem:
    """Builds one ecosystem; :meth:`write` streams it as maillage-jsonl."""

    def __init__(self, scale: Scale, seed: int, territory: str | None = None):
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(f"maillage-bench/{scale.name}/{seed}")
        self.geo = load_geography()
        self.territory = territory or scale.territory
        if self.geo.get(self.territory) is None:
            raise SystemExit(f"unknown territory {self.territory!r}")
        self.actors: list[A] = []
        self.relations: list[dict] = []  # structural relations (coop ties are streamed)
        self._names: set[str] = set()
        self._cores: dict[str, list[str]] = defaultdict(list)  # place bucket → core keys claimed there
        self._sirens: set[str] = set()
        self._rnas: set[str] = set()
        self._setup_geography()

    # -- geography -------------------------------------------------------------------------------
    def _setup_geography(self) -> None:
        geo = self.geo
        communes = sorted(geo.communes_of(self.territory))
        self.communes = communes
        self.roll = {}
        for c in communes:
            r = geo.rollup(c)
            self.roll[c] = (r["epci"], r["departement"], r["region"])
        self.commune_weights = list(accumulate((geo.get(c).population or 1) ** 0.75 for c in communes))
        self.deps = sorted({v[1] for v in self.roll.values()})
        self.regs = sorted({v[2] for v in self.roll.values()})
        self.epcis = sorted({v[0] for v in self.roll.values() if v[0]})
        self.communes_by_dep: dict[str, list[str]] = defaultdict(list)
        self.communes_by_epci: dict[str, list[str]] = defaultdict(list)
        for c in communes:
            e, d, _ = self.roll[c]
            self.communes_by_dep[d].append(c)
            if e:
                self.communes_by_epci[e].append(c)
        pop = lambda c: geo.get(c).population or 0  # noqa: E731
        # the most populous commune stands for the chef-lieu of a département / région
        self.capital = {d: max(cs, key=lambda c: (pop(c), c)) for d, cs in self.communes_by_dep.items()}
        by_reg: dict[str, list[str]] = defaultdict(list)
        for c in communes:
            by_reg[self.roll[c][2]].append(c)
        self.capital.update({r: max(cs, key=lambda c: (pop(c), c)) for r, cs in by_reg.items()})
        self.dep_of_region = {r: self.roll[self.capital[r]][1] for r in self.regs}

    def tname(self, tid: str) -> str:
        return self.geo.get(tid).name

    def pick_commune(self, within: list[str] | None = None) -> str:
        if within is None:
            return self.rng.choices(self.communes, cum_weights=self.commune_weights)[0]
        return self.rng.choice(within)

    # -- actor helpers ---------------------------------------------------------------------------
    def new_siren(self, first: str | None = None) -> str:
        rng = self.rng
        while True:
            body = (first or str(rng.randint(3, 9))) + "".join(rng.choices("0123456789", k=7))
            siren = body + luhn_check_digit(body)
            if siren not in self._sirens:
                self._sirens.add(siren)
                return siren

    def siret_of(self, siren: str) -> str:
        body = siren + f"{self.rng.randint(1, 99):04d}"
        return body + luhn_check_digit(body)

    def rna(self, dep: str) -> str | None:
        code = dep.split(":")[1]
        if not code.isdigit():
            return None  # Corsica (2A/2B) does not fit the W + 9 digits shape kept here
        while True:
            rna = "W" + code + "".join(self.rng.choices("0123456789", k=9 - len(code)))
            if rna not in self._rnas:
                self._rnas.add(rna)
                return rna

    def unique(self, name: str, family: str, place: str, fuzzy: bool = True) -> bool:
        """Claim a name. Entity resolution must keep the generated actors apart, so no two actors
        share a name key or a core key, and no two in the same place have core keys as similar as
        the resolver's fuzzy merge threshold (0.92; we keep below 0.88)."""
        core = core_key(name, family)
        keys = (name_key(name), "core:" + core)
        if any(k in self._names for k in keys):
            return False
        bucket = place if place.startswith("commune:") else "high"
        near = self._cores[bucket]
        if fuzzy and near and process.extractOne(core, near, scorer=fuzz.token_sort_ratio, score_cutoff=88) is not None:
            return False
        self._names.update(keys)
        near.append(core)
        return True

    def add(self, family: str, kind: str, name: str, location: str, *, territory: str | None = None,
            weight: float | None = None, key: str | None = None) -> A:
        if location.startswith("commune:"):
            epci, dep, reg = self.roll[location]
        elif location.startswith("epci:"):
            cs = self.communes_by_epci[location]
            epci, dep, reg = location, *self.roll[cs[0]][1:]
        elif location.startswith("departement:"):
            epci, dep, reg = None, location, self.roll[self.communes_by_dep[location][0]][2]
        else:  # a région
            epci, dep, reg = None, self.dep_of_region[location], location
        if weight is None:
            weight = min(200.0, self.rng.paretovariate(1.6)) * ACTIVITY[family]
        idx = len(self.actors)
        a = A(idx, key or f"a{idx:06d}", family, kind, name, location, epci, dep, reg, weight, territory)
        self.actors.append(a)
        return a

    def weighted(self, pairs: list[tuple[str, int]]) -> str:
        return self.rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]

    # -- actors ----------------------------------------------------------------------------------
    def build_actors(self) -> None:
        self._collectivites()
        self._territorial_bodies()
        n_poles = max(3, round(self.scale.actors / self.scale.actors_per_pole))
        n_persons = max(5, round(self.scale.actors * 0.012))
        bulk = self.scale.actors - len(self.actors) - n_poles - n_persons
        fams = [f for f, _ in BULK_FAMILIES]
        shares = [s for _, s in BULK_FAMILIES]
        for family in self.rng.choices(fams, weights=shares, k=bulk):
            self._bulk_actor(family)
        self._poles(n_poles)
        self._persons(n_persons)

    def _collectivites(self) -> None:
        geo = self.geo
        for r in self.regs:
            a = self.add("collectivite", "region", f"Région {self.tname(r)}", r, territory=r,
                         weight=8.0, key=f"coll-{r.replace(':', '-')}")
        for d in self.deps:
            a = self.add("collectivite", "departement", f"Conseil départemental de {self.tname(d)}", d,
                         territory=d, weight=5.0, key=f"coll-{d.replace(':', '-')}")
        for e in self.epcis:
            t = geo.get(e)
            a = self.add("collectivite", "epci", t.name, e, territory=e, weight=3.0,
                         key=f"coll-{e.replace(':', '-')}")
            a.ids.append(("siren", t.siren))
        n_communes = max(len(self.deps) * 2, round(self.scale.actors * self.scale.commune_share))
        chosen: list[str] = []
        seen: set[str] = set()
        for d in self.deps:  # every chef-lieu, then a population-weighted sample
            chosen.append(self.capital[d])
            seen.add(self.capital[d])
        tries = 0
        while len(chosen) < min(n_communes, len(self.communes)) and tries < n_communes * 20:
            tries += 1
            c = self.pick_commune()
            if c not in seen:
                seen.add(c)
                chosen.append(c)
        for c in sorted(chosen):
            t = geo.get(c)
            big = (t.population or 0) > 30_000
            a = self.add("collectivite", "commune", f"{'Ville' if big else 'Commune'} {_elide(t.name)}", c,
                         territory=c, weight=2.0 if big else 1.0, key=f"coll-{c.replace(':', '-')}")
            a.ids.append(("siren", t.siren))
            a.ids.append(("insee_commune", t.code))
        self.collectivite_of: dict[str, A] = {a.territory: a for a in self.actors}
        for a in self.actors:
            self.unique(a.name, a.family, a.location)

    def _territorial_bodies(self) -> None:
        """One CRESS, DREETS, ADEME, Banque des Territoires, agence régionale and FSE/FEDER/LEADER per
        région; one préfecture, DLA, CCI, CMA, chambre d'agriculture per département."""
        self.by_role: dict[tuple[str, str], A] = {}
        for r in self.regs:
            n, cap = self.tname(r), self.capital[r]
            for role, family, kind, name, w in [
                ("cress", "network", "cress", f"CRESS {n}", 12.0),
                ("dreets", "state", "service_deconcentre", f"DREETS {n}", 4.0),
                ("ademe", "state", "operateur", f"ADEME – direction régionale {n}", 3.0),
                ("bdt", "state", "operateur", f"Banque des Territoires – direction régionale {n}", 3.0),
                ("agence", "support", "agence_developpement", f"Agence régionale de développement économique {n}",
                 6.0),
                ("urscop", "network", "tete_de_reseau", f"Union régionale des Scop et Scic {n}", 8.0),
                ("mouvement", "network", "tete_de_reseau", f"Le Mouvement associatif {n}", 6.0),
                ("fse", "eu", "fse", f"Fonds social européen FSE+ – programme régional {n}", 1.0),
                ("feder", "eu", "feder", f"FEDER – Fonds européen de développement régional, {n}", 1.0),
                ("leader", "eu", "feader_leader", f"LEADER (FEADER) – groupes d'action locale {n}", 1.0),
            ]:
                loc = r if family == "eu" else cap
                a = self.add(family, kind, name, loc, weight=w, key=f"{role}-{r.replace(':', '-')}")
                if family != "eu":
                    a.ids.append(("siren", self.new_siren("1" if family == "state" else None)))
                self.by_role[(role, r)] = a
                self.unique(a.name, a.family, a.location)
        for d in self.deps:
            n, cap = self.tname(d), self.capital[d]
            for role, family, kind, name, w in [
                ("prefecture", "state", "prefecture", f"Préfecture – {n}", 2.0),
                ("dla", "support", "dla", f"DLA – {n}", 8.0),
                ("cci", "support", "chambre_consulaire", f"CCI – {n}", 4.0),
                ("cma", "support", "chambre_consulaire", f"Chambre de métiers et de l'artisanat – {n}", 2.0),
                ("agri", "support", "chambre_consulaire", f"Chambre d'agriculture – {n}", 2.0),
            ]:
                a = self.add(family, kind, name, cap, weight=w, key=f"{role}-{d.replace(':', '-')}")
                a.ids.append(("siren", self.new_siren("1" if family == "state" else None)))
                self.by_role[(role, d)] = a
                self.unique(a.name, a.family, a.location)

    def _bulk_actor(self, family: str) -> A:
        rng = self.rng
        kind = self.weighted(KINDS[family])
        for attempt in range(50):
            commune = self.pick_commune()
            place = self.tname(commune)
            theme = rng.choice(THEMES[kind])
            distinct = rng.choice(DISTINCT)
            style = rng.random()
            if family == "ess" and kind in ("scop", "scic", "cae", "association") and style < 0.35:
                prefix = {"association": "Association", "scop": "SCOP", "scic": "SCIC", "cae": "CAE"}[kind]
                name = f"{prefix} {distinct}"
            elif family == "enterprise" and style < 0.5:
                name = f"{rng.choice(SURNAMES)} {theme} {rng.choice(['SARL', 'SAS', '& Fils', 'et Associés', ''])}"
            else:
                name = f"{theme} {distinct}"
            if style > 0.25 or attempt > 5:
                name = f"{name} {_elide(place)}"
            name = " ".join(name.split())
            if attempt > 20:
                name = f"{name} – {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
            if self.unique(name, family, commune):
                break
        a = self.add(family, kind, name, commune)
        if family in ("ess", "enterprise", "research", "training", "network", "support", "tiers_lieu"):
            assoc = kind in ("association", "siae", "groupement_employeurs") or family in ("network", "tiers_lieu")
            if rng.random() < (0.70 if assoc else 0.95):
                siren = self.new_siren()
                a.ids.append(("siren", siren))
                if rng.random() < 0.08:
                    a.ids.append(("siret", self.siret_of(siren)))
            if assoc and rng.random() < 0.8:
                rna = self.rna(a.dep)
                if rna:
                    a.ids.append(("rna", rna))
        return a

    def _poles(self, n: int) -> None:
        rng = self.rng
        self.poles: list[A] = []
        for i in range(n):
            home = self.pick_commune()
            epci = self.roll[home][0]
            place = self.tname(epci) if epci and rng.random() < 0.4 else self.tname(home)
            kind = "ptce" if rng.random() < 0.85 else "pole_autre"
            for attempt in range(50):
                word = rng.choice(POLE_WORDS)
                theme = rng.choice(POLE_THEMES)
                base = "PTCE" if kind == "ptce" and rng.random() < 0.6 else "Pôle"
                name = " ".join(f"{base} {word} {theme} {place if attempt < 3 else place + ' ' + str(attempt)}".split())
                if self.unique(name, "pole", home):
                    break
            p = self.add("pole", kind, name, home, key=f"pole-{i:04d}")
            founded = rng.choice(range(2008, 2024))
            age = YEAR_MAX - founded
            phase = ("emergence" if age <= 1 else "amorcage" if age <= 4 else
                     "restructuration" if rng.random() < 0.08 else "consolidation")
            perimeter = [epci] if epci else [home]
            if epci and rng.random() < 0.3:
                others = [e for e in self.epcis if self.roll[self.communes_by_epci[e][0]][1] == self.roll[home][1]
                          and e != epci]
                perimeter += sorted(rng.sample(others, min(len(others), rng.randint(1, 2))))
            labels = []
            for year, label in ((2013, "AAP PTCE 2013"), (2015, "AAP PTCE 2015"), (2021, "AMI PTCE 2021")):
                if founded <= year and rng.random() < 0.3:
                    labels.append(label)
            p.pole = {"phase": phase, "founding_year": founded, "perimeter": perimeter, "labels": labels}
            self.poles.append(p)

    def _persons(self, n: int) -> None:
        rng = self.rng
        for i in range(n):
            for attempt in range(100):
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                if attempt > 50:
                    name = f"{rng.choice(FIRST_NAMES)}-{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                if self.unique(name, "person", "persons", fuzzy=False):
                    break
            kind = "elu" if rng.random() < 0.45 else "salarie"
            self.add("person", kind, name, self.pick_commune(), key=f"person-{i:04d}", weight=0.0)

    # -- groups for weighted picks ---------------------------------------------------------------
    def _groups(self) -> None:
        """Cumulative activity weights of cooperating actors, per EPCI, département, région, all."""
        def build(members: list[int]) -> tuple[list[int], list[float]]:
            return members, list(accumulate(self.actors[i].weight for i in members))
        by = {"epci": defaultdict(list), "dep": defaultdict(list), "reg": defaultdict(list)}
        everyone = []
        for a in self.actors:
            if a.family in COOPERATING:
                everyone.append(a.idx)
                if a.epci:
                    by["epci"][a.epci].append(a.idx)
                by["dep"][a.dep].append(a.idx)
                by["reg"][a.reg].append(a.idx)
        self.group = {lvl: {k: build(v) for k, v in d.items()} for lvl, d in by.items()}
        self.group["all"] = {"*": build(everyone)}
        self.coop_ids, self.coop_cw = self.group["all"]["*"]

    def pick(self, level: str, key: str | None) -> int | None:
        g = self.group[level].get(key if level != "all" else "*")
        if not g:
            return None
        ids, cw = g
        return ids[bisect.bisect_right(cw, self.rng.random() * cw[-1]) if len(ids) > 1 else 0]

    def local_pick(self, a: A, families: tuple[str, ...] | None = None, tries: int = 8) -> A | None:
        for _ in range(tries):
            lvl, key = ("epci", a.epci) if a.epci and self.rng.random() < 0.7 else ("dep", a.dep)
            j = self.pick(lvl, key)
            if j is not None and j != a.idx and (families is None or self.actors[j].family in families):
                return self.actors[j]
        return None

    # -- relations -------------------------------------------------------------------------------
    def rel(self, rtype: str, src: A, dst: A, fields: dict | None = None, start: int | None = None,
            end: int | None = None) -> None:
        r = {"record": "relation", "type": rtype, "source": src.key, "target": dst.key}
        if fields:
            r["fields"] = fields
        if start is not None:
            r["start"] = str(start)
        if end is not None:
            r["end"] = str(end)
        self.relations.append(r)

    def years(self, lo: int = YEAR_MIN, end_p: float = 0.2) -> tuple[int, int | None]:
        rng = self.rng
        lo = max(YEAR_MIN, min(lo, YEAR_MAX))
        start = min(YEAR_MAX, lo + int(rng.triangular(0, YEAR_MAX - lo + 1, YEAR_MAX - lo)))
        end = start + rng.randint(1, 6) if rng.random() < end_p else None
        return start, end if end is not None and end <= YEAR_MAX else None

    def amount(self, level: str, to_pole: bool, nature: str) -> float:
        med = FUND_MEDIAN[level] * (2.5 if to_pole else 1.0) * (2.0 if nature == "investissement" else 1.0)
        x = self.rng.lognormvariate(math.log(med), 0.9)
        return float(round(x, -2)) if self.rng.random() < 0.7 and x >= 1000 else round(x, 2)

    def fund(self, funder: A, target: A, year: int, to_pole: bool = False, years: int = 1) -> None:
        rng = self.rng
        level = funder.kind if funder.family == "collectivite" else funder.family
        if level not in FUND_MEDIAN:
            level = "state"
        nature = self.weighted([("fonctionnement", 55), ("projet", 25), ("investissement", 15), ("en_nature", 5)])
        if funder.family == "eu":
            period = "2014-2020" if year <= 2020 else "2021-2027"
            programme = f"{ {'fse': 'FSE+', 'feder': 'FEDER', 'feader_leader': 'LEADER'}[funder.kind]} {period}"
        else:
            programme = rng.choice(PROGRAMMES[level])
        status = self.weighted([("accorde", 88), ("demande", 5), ("refuse", 3), ("prevu", 4)])
        resource = "subvention"
        if funder.kind == "operateur" and rng.random() < 0.3:
            resource = rng.choice(["pret", "capital"])
        for y in range(year, min(YEAR_MAX, year + years - 1) + 1):
            fields = {"amount": self.amount(level, to_pole, nature), "year": y, "programme": programme,
                      "nature": nature, "resource": resource, "status": status}
            if rng.random() < 0.1:
                fields["share"] = round(rng.uniform(0.05, 0.6), 2)
            self.rel("funds", funder, target, fields, start=y, end=y)

    def collectivite_for(self, a: A, level: str) -> A | None:
        tid = {"commune": a.location if a.location.startswith("commune:") else None,
               "epci": a.epci, "departement": a.dep, "region": a.reg}[level]
        return self.collectivite_of.get(tid) if tid else None

    def build_structure(self) -> None:
        rng = self.rng
        self._groups()
        self.members_of: dict[int, list[int]] = {}
        self.poles_of: dict[int, list[int]] = defaultdict(list)
        member_families = [("ess", 70), ("enterprise", 15), ("research", 4), ("training", 4), ("support", 3),
                           ("network", 2), ("tiers_lieu", 2)]
        for p in self.poles:
            founded = p.pole["founding_year"]
            size = min(40, 10 + int(5 * (rng.paretovariate(1.2) - 1)))
            # structure porteuse: a local ESS organisation (association, SCIC, coopérative), or a network
            porteuse = None
            for _ in range(30):
                c = self.local_pick(p, ("ess", "network", "support", "tiers_lieu"))
                if c and (c.family != "ess" or c.kind in ("association", "scic", "cooperative", "scop", "cae")):
                    porteuse = c
                    break
            porteuse = porteuse or self.by_role[("cress", p.reg)]
            self.rel("carries", porteuse, p, {"function": "structure_porteuse"}, start=founded)
            if rng.random() < 0.15:
                cell = self.local_pick(p, ("ess", "support"))
                if cell and cell is not porteuse:
                    self.rel("carries", cell, p, {"function": "cellule_animation"}, start=founded)
            members: list[int] = []
            if rng.random() < 0.7:
                members.append(porteuse.idx)
                self.rel("membership", porteuse, p, {"tier": "socle", "college": COLLEGES.get(porteuse.family,
                         "Collège des partenaires")}, start=founded)
            tries = 0
            while len(members) < size and tries < size * 30:
                tries += 1
                fam = self.weighted(member_families)
                m = None
                if rng.random() < 0.08:  # a member of another pôle of the département joins
                    others = [q for q in self.poles if q is not p and q.dep == p.dep and q.idx in self.members_of]
                    if others:
                        q = rng.choice(others)
                        m = self.actors[rng.choice(self.members_of[q.idx])]
                if m is None:
                    m = self.local_pick(p, (fam,), tries=4)
                if m is None or m.idx in members or m.family == "pole":
                    continue
                members.append(m.idx)
                tier = self.weighted([("socle", 15), ("membre", 55), ("adherent", 15), ("partie_prenante", 10),
                                      ("partenaire_associe", 5)])
                start, end = self.years(founded, end_p=0.1)
                self.rel("membership", m, p, {"tier": tier, "college": COLLEGES.get(m.family, "Collège des partenaires")},
                         start=start, end=end)
            self.members_of[p.idx] = members
            for i in members:
                self.poles_of[i].append(p.idx)
            if rng.random() < 0.6:
                p.declared = {"members": float(len(members) + rng.choice([0, 0, 2, 5, 10, 25])),
                              "jobs": float(round(rng.lognormvariate(math.log(88), 0.8))),
                              "budget_eur": float(round(rng.lognormvariate(math.log(3e6), 0.9), -3))}
            if rng.random() < 0.5:  # founders
                for i in rng.sample(members, min(len(members), rng.randint(2, 4))):
                    self.rel("founded", self.actors[i], p, {"year": founded}, start=founded)
            self._pole_public_partners(p, porteuse, members)
            # some members sit in the pôle's governance
            for i in rng.sample(members, min(len(members), rng.randint(2, 4))):
                self.rel("governs", self.actors[i], p, {"body": rng.choice(["Conseil d'administration", "Bureau"]),
                         "seat": rng.choice(["Administrateur·rice", "Président·e", "Trésorier·e", "Secrétaire"])},
                         start=self.years(founded, 0)[0])
        self._actor_funding()
        self._support_hosting_contracts()
        self._person_ties()

    def _pole_public_partners(self, p: A, porteuse: A, members: list[int]) -> None:
        """RTES (seed 000): régions and intercommunalités in ~¾ of pôles, départements ½, villes ½;
        2–6 public partners; the same collectivité often plays several roles."""
        rng = self.rng
        founded = p.pole["founding_year"]
        involved = []
        for level, prob in (("region", 0.75), ("epci", 0.75), ("departement", 0.5), ("commune", 0.52)):
            c = self.collectivite_for(p, level)
            if c is not None and rng.random() < prob:
                involved.append(c)
        if len(involved) < 2:
            for level in ("region", "departement", "epci"):
                c = self.collectivite_for(p, level)
                if c is not None and c not in involved:
                    involved.append(c)
                if len(involved) >= 2:
                    break
        if rng.random() < 0.5:
            involved.append(self.by_role[(rng.choice(["dreets", "bdt", "ademe"]), p.reg)])
        if rng.random() < 0.3:
            involved.append(self.by_role[(rng.choice(["fse", "feder", "leader"]), p.reg)])
        for c in involved:
            first = self.years(founded, 0)[0]
            self.fund(c, p, first, to_pole=True, years=rng.randint(1, 5))
            if c.family != "collectivite":
                continue
            if rng.random() < 0.45:
                self.rel("governs", c, p, {"body": rng.choice(["Conseil d'administration", "Comité de pilotage",
                                                               "Assemblée générale"]),
                                           "seat": "Collège des collectivités",
                                           "shareholder": porteuse.kind == "scic"}, start=first)
            if rng.random() < 0.4:
                self.rel("supports", c, p, {"form": self.weighted([("conseil_ingenierie", 30), ("co_construction", 25),
                         ("reperage_emergence", 20), ("inscription_politiques", 15), ("mise_a_disposition", 10)])},
                         start=first)
            if rng.random() < 0.08:
                self.rel("hosts", c, p, {"premises": rng.choice(["Locaux municipaux", "Bâtiment intercommunal",
                                                                 "Friche réhabilitée"]),
                                         "surface_m2": float(rng.randint(40, 1500))}, start=first)
            if rng.random() < 0.05:
                self.rel("membership", c, p, {"tier": "partie_prenante", "college": COLLEGES["collectivite"]},
                         start=first)

    def _actor_funding(self) -> None:
        rng = self.rng
        for a in self.actors:
            if a.family not in ("ess", "tiers_lieu", "network", "support", "research", "training") or \
                    a.family == "support" and a.kind == "dla":
                continue
            p = 0.45 if a.family in ("ess", "tiers_lieu", "network") else 0.12
            if rng.random() >= p:
                continue
            for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
                level = self.weighted([("commune", 30), ("epci", 20), ("departement", 20), ("region", 15),
                                       ("state", 10), ("eu", 5)])
                if level == "state":
                    funder = self.by_role[(rng.choice(["dreets", "dreets", "bdt", "ademe"]), a.reg)]
                elif level == "eu":
                    funder = self.by_role[(rng.choice(["fse", "feder", "leader"]), a.reg)]
                else:
                    funder = self.collectivite_for(a, level) or self.collectivite_for(a, "departement")
                self.fund(funder, a, self.years(YEAR_MIN, 0)[0], years=rng.choice([1, 1, 2, 3]))

    def _support_hosting_contracts(self) -> None:
        rng = self.rng
        supporters = [a for a in self.actors if a.family == "support" or a.kind == "cress"]
        sup_by_dep: dict[str, list[A]] = defaultdict(list)
        for s in supporters:
            sup_by_dep[s.dep].append(s)
        tiers = [a for a in self.actors if a.family == "tiers_lieu"]
        for a in self.actors:
            if a.family not in ("ess", "enterprise", "tiers_lieu", "pole") or rng.random() >= (
                    0.25 if a.family != "enterprise" else 0.05):
                continue
            role = rng.random()
            if role < 0.35:
                s = self.by_role[("dla", a.dep)] if a.family != "enterprise" else self.by_role[("cci", a.dep)]
            elif role < 0.5:
                s = self.by_role[("cress", a.reg)]
            else:
                pool = sup_by_dep.get(a.dep) or supporters
                s = rng.choices(pool, weights=[x.weight for x in pool])[0]
            if s is a:
                continue
            start, end = self.years(YEAR_MIN, 0.5)
            form = self.weighted([("accompagnement", 45), ("conseil_ingenierie", 25), ("reperage_emergence", 15),
                                  ("co_construction", 10), ("mise_a_disposition", 5)])
            fields = {"form": form}
            if s.kind == "dla":
                fields["programme"] = "Dispositif local d'accompagnement"
            self.rel("supports", s, a, fields, start=start, end=end)
        for t in tiers:
            for _ in range(rng.randint(1, 6)):
                h = self.local_pick(t, ("ess", "enterprise", "training", "support"))
                if h is not None:
                    start, end = self.years(YEAR_MIN, 0.3)
                    self.rel("hosts", t, h, {"premises": rng.choice(["Bureau partagé", "Atelier", "Local d'activité",
                                                                     "Espace de coworking"]),
                                             "surface_m2": float(rng.randint(10, 400))}, start=start, end=end)
        for a in self.actors:
            if a.kind in ("siae", "entreprise_esus", "scop") and rng.random() < 0.12:
                c = self.collectivite_for(a, rng.choice(["commune", "epci", "departement"]))
                if c is not None:
                    y = self.years(YEAR_MIN, 0)[0]
                    self.rel("contracts", c, a, {"object": rng.choice([
                        "Entretien des espaces verts (clause d'insertion)", "Collecte et réemploi des encombrants",
                        "Restauration collective", "Nettoyage des locaux", "Prestations de communication"]),
                        "amount": self.amount("epci", False, "projet"), "year": y}, start=y, end=y)

    def _person_ties(self) -> None:
        rng = self.rng
        orgs_by_dep: dict[str, list[A]] = defaultdict(list)
        for a in self.actors:
            if a.family in ("ess", "network", "support", "tiers_lieu", "pole"):
                orgs_by_dep[a.dep].append(a)
        for person in (a for a in self.actors if a.family == "person"):
            start, end = self.years(2012, 0.3)
            if person.kind == "elu":
                level = self.weighted([("commune", 40), ("epci", 30), ("departement", 15), ("region", 15)])
                c = self.collectivite_for(person, level) or self.collectivite_for(person, "departement")
                mandate = rng.choice(["Adjoint·e à l'ESS", "Vice-président·e à l'économie sociale et solidaire",
                                      "Conseiller·e délégué·e à l'ESS", "Maire"])
                self.rel("represents", person, c, {"mandate": mandate}, start=start, end=end)
                poles_here = [p for p in self.poles if p.dep == person.dep]
                if poles_here and rng.random() < 0.4:
                    self.rel("governs", person, rng.choice(poles_here),
                             {"body": "Conseil d'administration", "seat": "Collège des collectivités"},
                             start=start, end=end)
            else:
                pool = orgs_by_dep.get(person.dep) or [p for p in self.poles]
                org = rng.choice(pool)
                position = "Coordinateur·rice du pôle" if org.family == "pole" else rng.choice(
                    ["Directeur·rice", "Chargé·e de mission", "Président·e", "Coordinateur·rice"])
                self.rel("employs", org, person, {"position": position}, start=start, end=end)
                if rng.random() < 0.6:
                    self.rel("represents", person, org, {"mandate": position}, start=start, end=end)

    # -- cooperation ties (streamed) --------------------------------------------------------------
    def cooperation(self, n: int):
        """Yield ``n`` clustered cooperation ties (``cooperates`` / ``partner``)."""
        rng = self.rng
        actors = self.actors
        nb = len(actors)
        seen: set[int] = set()
        adj: dict[int, list[int]] = defaultdict(list)
        forms = [("mutualisation_moyens", 50), ("cooperation_strategique", 35), ("mutualisation_projets", 15)]
        practices = {
            "mutualisation_moyens": ["echange_information", "locaux_partages", "outils_partages", "services_partages"],
            "cooperation_strategique": ["emplois_partages", "offre_commune", "projet_commun", "nouvelle_activite"],
            "mutualisation_projets": ["rd_commune", "fonctions_support", "strategie_commune"],
        }
        form_names = [f for f, _ in forms]
        form_cw = list(accumulate(w for _, w in forms))
        made = 0
        ids, cw = self.coop_ids, self.coop_cw
        total = cw[-1]
        while made < n:
            u = actors[ids[bisect.bisect_right(cw, rng.random() * total)]]
            mine = self.poles_of.get(u.idx)
            x = rng.random()
            v_idx = None
            lo = YEAR_MIN
            if mine and x < 0.45:
                p = self.actors[mine[0] if len(mine) == 1 else rng.choice(mine)]
                v_idx = rng.choice(self.members_of[p.idx])
                lo = p.pole["founding_year"]
            elif x < 0.62 and adj.get(u.idx):
                w = rng.choice(adj[u.idx])
                if adj.get(w):
                    v_idx = rng.choice(adj[w])
            elif x < 0.90:
                v_idx = self.pick("epci", u.epci) if u.epci and rng.random() < 0.75 else self.pick("dep", u.dep)
            elif x < 0.97:
                v_idx = self.pick("reg", u.reg)
            else:
                v_idx = self.pick("all", None)
            if v_idx is None or v_idx == u.idx:
                continue
            a, b = (u.idx, v_idx) if u.idx < v_idx else (v_idx, u.idx)
            pair = a * nb + b
            if pair in seen:
                continue
            seen.add(pair)
            adj[u.idx].append(v_idx)
            adj[v_idx].append(u.idx)
            v = actors[v_idx]
            start, end = self.years(lo, 0.25)
            if rng.random() < 0.72:
                form = form_names[bisect.bisect_right(form_cw, rng.random() * form_cw[-1])]
                r = {"record": "relation", "type": "cooperates", "source": u.key, "target": v.key,
                     "fields": {"form": form, "practice": rng.choice(practices[form])}}
            else:
                r = {"record": "relation", "type": "partner", "source": u.key, "target": v.key}
            r["start"] = str(start)
            if end is not None:
                r["end"] = str(end)
            made += 1
            yield r

    # -- output ----------------------------------------------------------------------------------
    def actor_record(self, a: A) -> dict:
        d = {"record": "actor", "key": a.key, "name": a.name, "family": a.family, "kind": a.kind}
        lf = LEGAL_FORMS.get(a.kind)
        if lf:
            d["legal_form"] = lf
        if a.ids:
            d["identifiers"] = [{"scheme": s, "value": v} for s, v in a.ids]
        d["location"] = a.location
        if a.territory:
            d["territory"] = a.territory
        if a.family == "ess":
            d["ess"] = True
        elif a.family == "enterprise":
            d["ess"] = False
        if a.family == "person":
            d["personal_data"] = True
        if a.declared:
            d["declared"] = a.declared
        if a.pole:
            d["pole"] = a.pole
        return d

    def write(self, path: Path) -> dict:
        """Build the ecosystem and stream it to ``path``; returns a summary (counts)."""
        self.build_actors()
        self.build_structure()
        n_coop = max(0, self.scale.relations - len(self.relations))
        path.parent.mkdir(parents=True, exist_ok=True)
        fam, kinds, types = Counter(), Counter(), Counter()
        dumps = orjson.dumps
        with path.open("wb", buffering=1 << 20) as f:
            header = {"record": "header", "format": FORMAT, "version": 1,
                      "title": f"Synthetic ESS ecosystem — {self.scale.name} scale, seed {self.seed}",
                      "synthetic": True, "generator": {"name": "bench/generate.py", "version": GENERATOR_VERSION,
                                                       "scale": self.scale.name, "seed": self.seed,
                                                       "territory": self.territory}}
            f.write(dumps(header) + b"\n")
            row = 1
            buf = []
            for a in self.actors:
                row += 1
                d = self.actor_record(a)
                d["provenance"] = {"locator": f"row {row}", "certainty": "stated"}
                buf.append(dumps(d))
                fam[a.family] += 1
                kinds[f"{a.family}/{a.kind}"] += 1
            for r in self._all_relations(n_coop):
                row += 1
                r["provenance"] = {"locator": f"row {row}", "certainty": "stated"}
                buf.append(dumps(r))
                types[r["type"]] += 1
                if len(buf) >= 20_000:
                    f.write(b"\n".join(buf) + b"\n")
                    buf.clear()
            if buf:
                f.write(b"\n".join(buf) + b"\n")
        multi = sum(1 for v in self.poles_of.values() if len(v) > 1)
        return {"scale": self.scale.name, "seed": self.seed, "territory": self.territory, "file": str(path),
                "lines": row, "actors": len(self.actors), "relations": sum(types.values()),
                "poles": len(self.poles), "actors_in_several_poles": multi,
                "families": dict(sorted(fam.items())), "kinds": dict(sorted(kinds.items())),
                "relation_types": dict(sorted(types.items()))}

    def _all_relations(self, n_coop: int):
        yield from self.relations
        yield from self.cooperation(n_coop)


def generate(scale: str | Scale, seed: int = 1, out: str | Path | None = None,
             territory: str | None = None) -> dict:
    """Write the ecosystem of ``scale`` (name or :class:`Scale`) to ``out``; return its summary."""
    sc = SCALES[scale] if isinstance(scale, str) else scale
    path = Path(out) if out else ROOT / "bench" / "data" / f"{sc.name}.jsonl"
    summary = Ecosystem(sc, seed, territory).write(path)
    path.with_suffix(".summary.json").write_bytes(orjson.dumps(summary, option=orjson.OPT_INDENT_2))
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", choices=sorted(SCALES), default="pole")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="output file (default bench/data/<scale>.jsonl)")
    ap.add_argument("--territory", help="override the scale's territory (e.g. departement:35, region:53)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    s = generate(args.scale, args.seed, args.out, args.territory)
    dt = time.perf_counter() - t0
    print(f"{s['file']}: {s['actors']:,} actors, {s['relations']:,} relations, {s['poles']} pôles "
          f"({dt:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
