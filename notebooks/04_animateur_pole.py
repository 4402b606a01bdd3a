# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Question : à partir de mon tableau d'adhérents et du fichier des subventions, à quoi ressemble mon pôle, et que manque-t-il pour le décrire comme un PTCE ?
#
# *English: from my members spreadsheet and the subsidy file, what does my pôle look like,
# and what is missing to describe it as a PTCE?*
#
# L'animatrice d'un pôle (fictif : **PTCE Lauragais Coopérations**, Haute-Garonne) tient la
# liste des adhérents dans un tableur et récupère le fichier SCDL des subventions publié par
# les collectivités. Le carnet **écrit ces deux fichiers dans un dossier temporaire** (contenu
# inventé mais réaliste : SIRET valides par la clé de Luhn, communes et intercommunalité
# réelles), les charge avec `maillage.loaders.load_file` (formats `members` avec l'option
# `pole`, et `scdl`) dans un entrepôt en mémoire qui contient aussi le jeu de référence,
# puis établit le diagnostic du pôle, la grille des critères et une carte interactive.

# %%
import csv
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

from maillage.analytics.criteria import evaluate_criteria
from maillage.analytics.poles import pole_diagnostic
from maillage.api.maps import write_map
from maillage.graph import open_store
from maillage.loaders import load_file, load_reference

DOSSIER = Path(tempfile.mkdtemp(prefix="maillage-animation-"))
POLE = "PTCE Lauragais Coopérations"


def luhn_valide(chiffres: str) -> bool:
    """Clé de Luhn (SIREN et SIRET) : la somme des chiffres, un sur deux doublé, est divisible par 10."""
    total = 0
    for i, c in enumerate(reversed(chiffres)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def siren(debut8: str) -> str:
    return next(debut8 + str(k) for k in range(10) if luhn_valide(debut8 + str(k)))


def siret(siren9: str) -> str:
    return next(siren9 + f"{nic:05d}" for nic in range(10, 100) if luhn_valide(siren9 + f"{nic:05d}"))


assert luhn_valide("45032466000015") and not luhn_valide("45032466000016")

# %% [markdown]
# ## 1. Le tableau des adhérents (CSV, séparateur `;`, en-têtes en français)
#
# Pas de nom ni de courriel de personne : seulement des organisations. Comme souvent, un
# tableur est passé par là : un SIRET est devenu un nombre en notation scientifique.

# %%
SIRET = {
    "porteuse": siret(siren("81234567")), "scic": siret(siren("79345612")),
    "jardin": siret(siren("44876512")), "menuiserie": siret(siren("38765421")),
    "cae": siret(siren("52398761")), "cc": siret("200071298"),  # CC des Terres du Lauragais (SIREN réel)
}
adherents = [
    ("Nom", "N° SIRET", "Forme juridique", "Type", "Code postal", "Commune", "Rôle", "Collège", "Date d'adhésion"),
    ("Association Terres de Lauragais", SIRET["porteuse"], "Association loi 1901", "ESS", "31290",
     "Villefranche-de-Lauragais", "structure porteuse", "associations", "2015"),
    ("SCIC Bois Énergie Lauragais", SIRET["scic"], "SCIC SAS", "ESS", "31290", "Villefranche-de-Lauragais",
     "membre fondateur", "entreprises", "2015"),
    ("Jardin de Cocagne du Lauragais", SIRET["jardin"], "Association loi 1901", "ESS", "31450", "Ayguesvives",
     "membre fondateur", "associations", "2015"),
    # ce SIRET a été abîmé par un tableur (nombre en notation scientifique) : le chargement le dira
    ("Menuiserie Roques et Fils", f"{int(SIRET['menuiserie']):.5E}".replace(".", ","), "SARL", "Entreprise", "31290",
     "Villefranche-de-Lauragais", "adhérent", "entreprises", "2017"),
    ("Coopérative d'activités Lauragais Entreprendre", SIRET["cae"], "SCOP SA", "ESS", "31670", "Labège",
     "adhérent", "entreprises", "2018"),
    ("Lycée agricole d'Auzeville", "", "Établissement public", "Organisme de formation", "31320",
     "Auzeville-Tolosane", "partenaire", "partenaires", "2019"),
    ("Communauté de communes des Terres du Lauragais", SIRET["cc"], "", "Collectivité", "31290",
     "Villefranche-de-Lauragais", "partenaire", "collectivités", "2016"),
]
membres_csv = DOSSIER / "adherents.csv"
with open(membres_csv, "w", encoding="utf-8", newline="") as f:
    csv.writer(f, delimiter=";").writerows(adherents)
print(membres_csv.read_text(encoding="utf-8"))

# %% [markdown]
# ## 2. Le fichier des subventions au format SCDL
#
# Conventions de la communauté de communes (animation du pôle, versée à la structure
# porteuse), du Département, de la Région et d'une commune ; une bénéficiaire (une
# ressourcerie) n'est pas adhérente du pôle.

# %%
ENTETE = ("nomAttribuant", "idAttribuant", "dateConvention", "nomBeneficiaire", "idBeneficiaire", "rnaBeneficiaire",
          "objet", "montant", "nature", "conditionsVersement", "datesPeriodeVersement", "notificationUE",
          "pourcentageSubvention")
subventions = [
    ENTETE,
    ("CC DES TERRES DU LAURAGAIS", SIRET["cc"], "2019-03-14", "ASSOCIATION TERRES DE LAURAGAIS", SIRET["porteuse"], "",
     "Animation du pôle territorial de coopération 2019", "20000", "aide en numéraire", "unique",
     "2019-01-01_2019-12-31", "non", "1.0"),
    ("CC DES TERRES DU LAURAGAIS", SIRET["cc"], "2020-02-20", "ASSOCIATION TERRES DE LAURAGAIS", SIRET["porteuse"], "",
     "Animation du pôle territorial de coopération 2020", "20000", "aide en numéraire", "unique",
     "2020-01-01_2020-12-31", "non", "1.0"),
    ("DEPARTEMENT DE LA HAUTE-GARONNE", "22310001700423", "2020-06-02", "ASSOCIATION TERRES DE LAURAGAIS",
     SIRET["porteuse"], "", "Ingénierie de coopération ESS", "15000", "aide en numéraire", "échelonné",
     "2020-07-01_2021-06-30", "non", "1.0"),
    ("REGION OCCITANIE", "20005379100014", "2020-10-15", "ASSOCIATION TERRES DE LAURAGAIS", SIRET["porteuse"], "",
     "Plateforme bois-énergie mutualisée (part du pôle)", "60000", "aide en numéraire", "échelonné",
     "2020-11-01_2022-10-31", "non", "0.5"),
    ("DEPARTEMENT DE LA HAUTE-GARONNE", "22310001700423", "2021-05-11", "JARDIN DE COCAGNE DU LAURAGAIS",
     SIRET["jardin"], "", "Chantier d'insertion maraîchage biologique", "18000", "aide en numéraire", "échelonné",
     "2021-07-01_2022-06-30", "non", "1.0"),
    ("COMMUNE DE VILLEFRANCHE-DE-LAURAGAIS", siret("213105828"), "2021-01-28", "RESSOURCERIE DU LAURAGAIS", "",
     "W313012345", "Collecte et réemploi des encombrants", "4500", "aide en numéraire", "unique",
     "2021-01-01_2021-12-31", "non", "1.0"),
]
scdl_csv = DOSSIER / "subventions.csv"
with open(scdl_csv, "w", encoding="utf-8", newline="") as f:
    csv.writer(f, delimiter=";").writerows(subventions)
print(len(subventions) - 1, "conventions écrites dans", scdl_csv.name)

# %% [markdown]
# ## 3. Charger les deux fichiers
#
# Entrepôt en mémoire avec le jeu de référence (les collectivités déjà connues sont
# reconnues par leur SIREN) ; les adhérents avec `format="members"` et l'option `pole`, les
# subventions avec `format="scdl"`. Chaque chargement rend un rapport (lignes lues, chargées,
# fusionnées, rejetées).

# %%
store = open_store(":memory:")
load_reference(store)
r_membres = load_file(store, membres_csv, format="members", options={"pole": POLE}, rejects_dir=DOSSIER)
r_scdl = load_file(store, scdl_csv, format="scdl", rejects_dir=DOSSIER)
for r in (r_membres, r_scdl):
    print(f"{r.format:8} lues {r.rows_read}  chargées {r.loaded}  fusionnées {r.merged}  rejetées {r.rejected}  "
          f"acteurs créés {r.actors_created}")
pole_id = store.search(POLE, family="pole")[0].id
print("pôle :", pole_id)

# %% [markdown]
# Ce qui n'a pas été chargé tel quel est dans le fichier des rejets, à côté (un par fichier,
# pour un tableur : `;`, en français) : chaque ligne rejetée ou chargée avec un avertissement,
# avec sa colonne, sa valeur et le motif.

# %%
for r in (r_membres, r_scdl):
    if r.rejects_file is None:
        print(Path(r.file).name, ": aucune ligne rejetée ni avertissement")
        continue
    with open(r.rejects_file, encoding="utf-8-sig", newline="") as f:
        lignes = list(csv.DictReader(f, delimiter=";"))
    print(Path(r.rejects_file).name, ":", len(lignes), "ligne(s)")
    for ligne in lignes[:5]:
        print(f"  ligne {ligne['ligne']} ({ligne['niveau']}) {ligne['colonne']} = {ligne['valeur']!r} : {ligne['motif']}")

# %% [markdown]
# ## 4. Le diagnostic du pôle

# %%
d = pole_diagnostic(store, pole_id)
print("structure porteuse :", [c.name for c in d.carriers])
print("membres :", d.size.named_members, "; M(P) :", d.size.core_units, "; couverture :",
      d.size.coverage.value if d.size.coverage.known else d.size.coverage.unknown)
for f in d.composition:
    print(f"  {f.label:36} {f.count:2}  ({f.share:.0%})")
print(f"hétérogénéité (Blau) : {d.blau.value:.2f} ; IQV : {d.iqv.value:.2f}")
print("coopération interne :", d.internal.density.unknown or d.internal.density.value)
print("financement :", d.funding.ties, "conventions ;", d.funding.total_amount, "€ ; base :", d.funding.basis)
for lv in d.funding.by_level:
    print(f"  {lv.label:32} {lv.amount:>9,.0f} € ({lv.share:.0%})".replace(",", "\u202f"))
print("dépendance à un seul financeur :", d.funding.single_funder_dependency,
      f"(HHI {d.funding.hhi.value:.2f})")
for c in d.collectivites:
    print("collectivité :", c.actor.name, "—", c.level_label, "—", c.types, c.role_labels)
for c in d.caveats:
    print("précaution :", c)

# %%
fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.5))
a1.pie([f.count for f in d.composition], labels=[f.label for f in d.composition], autopct="%1.0f%%")
a1.set_title("Composition de M(P) par famille")
a2.bar([lv.label for lv in d.funding.by_level], [lv.amount for lv in d.funding.by_level], color="#2a6f97")
a2.set_ylabel("€")
a2.set_title("Financements du pôle par niveau")
a2.tick_params(axis="x", rotation=20)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 5. La grille des critères (art. 9 de la loi ESS, Labo de l'ESS)
#
# Vrai / faux / **inconnu** : un critère n'est faux que si les données le contredisent ; ce
# sont des indicateurs de diagnostic, pas un label.

# %%
criteres = evaluate_criteria(store, pole_id)
for c in criteres:
    print(f"{c.id:4} {c.state_label:8} {c.label[:60]:60} — {c.reason[:90]}")

# %% [markdown]
# ## 6. La carte interactive du pôle
#
# `write_map` écrit une page HTML autonome (aucune requête réseau) dans le dossier temporaire :
# à ouvrir dans un navigateur, ou à joindre à un compte rendu.

# %%
sub = store.pole_subgraph(pole_id)
carte = write_map(sub, DOSSIER / "carte-ptce-lauragais.html", f"{POLE} — membres et financeurs")
html = carte.read_text(encoding="utf-8")
print(carte.name, f"{len(html) // 1024} Kio ;", len(sub.actors), "acteurs,", len(sub.relations), "relations")

# %% [markdown]
# ## Réponse
#
# Le pôle apparaît comme un collectif **diversifié** (structures de l'ESS, une entreprise
# classique, une intercommunalité, un organisme de formation) porté par une association, dont
# l'animation est financée surtout par l'intercommunalité, puis par la Région et le
# Département — sans dépendance à un seul financeur. Les critères du noyau (ESS, entreprise,
# collectivité, diversité, continuité) sont remplis ; ce qui **manque pour le décrire** tient à
# la documentation : aucun lien de coopération entre membres (mutualisations, projets
# communs), pas de périmètre déclaré, pas de lieu, pas de lien avec la recherche. Ce sont les
# informations à recueillir en priorité auprès des adhérents.

# %%
etats = {c.id: c.state for c in criteres}
inconnus = [c.id for c in criteres if c.state is None]
montant = f"{d.funding.total_amount:,.0f}".replace(",", "\u202f")
print(f"Réponse : {d.size.core_units} structures, {d.families_present} familles (Blau {d.blau.value:.2f}) ; "
      f"{montant} € de financements en {d.funding.ties} conventions, part du premier financeur "
      f"{d.funding.largest_share.value:.0%} ; critères remplis : {', '.join(k for k, v in etats.items() if v)} ; "
      f"inconnus : {len(inconnus)} sur {len(criteres)}.")
# the subsidy amounts are read back as the file states them (share applied, beneficiary = structure porteuse)
attendu = 20000 + 20000 + 15000 + 60000 * 0.5
assert d.funding.total_amount == attendu and d.funding.basis == "amount"
assert all(etats[k] is True for k in ("K1", "K2", "K3", "K6", "K9"))
assert etats["K5"] is True and etats["K13"] is None and d.funding.single_funder_dependency is False
assert POLE in html and "<script src=" not in html
