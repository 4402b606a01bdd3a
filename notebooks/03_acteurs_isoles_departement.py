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
# # Question : en Haute-Garonne, quels acteurs de l'ESS et de leur écosystème restent à l'écart des coopérations, et pourquoi ?
#
# *English: in the Haute-Garonne département, which actors stay outside cooperation, and why?*
#
# Étude d'une collectivité (le Département, une intercommunalité) sur le **jeu de référence**
# chargé en mémoire : `territory_diagnostic(store, "departement:31")` liste les acteurs situés
# dans le département, les **isolés** (aucun lien de coopération), les **périphériques**
# (un seul partenaire — pour un membre, son seul pôle —, pas de lien hors de leur famille, hors
# de tout pôle ; être membre d'un pôle qui rassemble plusieurs familles d'acteurs est déjà une
# coopération entre familles, art. 9 de la loi n° 2014-856), les **lacunes de
# documentation** et les pôles présents, chacun avec **toutes** ses raisons.
#
# Précautions de lecture :
#
# - un isolement **dans les données** n'est pas un isolement **dans la réalité** : les sources
#   (documents du Labo de l'ESS, RTES, article RIUESS) nomment rarement tous les partenaires ;
# - les acteurs décrits sans être nommés, ou dont seule la taille est déclarée, sont mis à
#   part (lacunes de documentation), jamais déclarés isolés ;
# - la coopération est lue dans la lentille *coopération* ; un lien de financement seul n'est
#   pas une coopération (raison `seulement_financement`).

# %%
from collections import Counter

import matplotlib.pyplot as plt

from maillage.analytics.territory import ISOLATION_CODES, territory_diagnostic
from maillage.graph import open_store
from maillage.loaders import load_reference

store = open_store(":memory:")
load_reference(store)
TERRITOIRE = "departement:31"
d = territory_diagnostic(store, TERRITOIRE)
print(d.name, "—", d.actors.size, "acteurs situés dans le territoire ; lentille :", d.lens)

# %% [markdown]
# ## 1. Qui est sur le territoire ?

# %%
print(f"{'famille':40} {'acteurs':>7} {'dans un pôle':>12} {'hors pôle':>9}")
for f in d.by_family:
    print(f"{f.label:40} {f.actors:7} {f.in_pole:12} {f.not_in_pole:9}")
for p in d.poles.items:
    print(f"pôle {p.name[:60]} : {p.members_here} membre(s) ici ; " + " ; ".join(r.text for r in p.presence))
print("pôles possibles (situés à une échelle englobante) :", d.poles_possible.size)

# %% [markdown]
# ## 2. Acteurs isolés et périphériques, avec leurs raisons

# %%
def montrer(titre, liste):
    print(f"— {titre} : {liste.size}")
    for e in liste.items:
        print(f"  {e.name[:60]:60} ({e.family_label}, {e.location_label})")
        for r in e.reasons:
            print(f"      · {r.text}")
        for c in e.caveats:
            print(f"      ! {c}")


montrer("isolés", d.isolated)
montrer("lacunes de documentation (ni isolés ni intégrés : on ne sait pas)", d.documentation_gaps)

# %%
codes = Counter(c for e in [*d.isolated.items, *d.peripheral.items] for c in e.codes)
for code, n in codes.most_common():
    print(f"{code:26} {n:3}  {ISOLATION_CODES[code]['fr']}")

fig, ax = plt.subplots(figsize=(7, 3))
ordre = sorted(codes, key=codes.get)
ax.barh(ordre, [codes[c] for c in ordre], color="#b5651d")
ax.set_xlabel("acteurs concernés (un acteur peut cumuler plusieurs raisons)")
ax.set_title(f"Raisons d'isolement et de périphérie — {d.name}")
fig.tight_layout()
plt.show()

# %% [markdown]
# Les périphériques à un seul partenaire : de qui dépendent-ils ? Un membre dont le seul lien
# direct est son pôle est dit tel quel (« Membre du pôle « … », sans autre lien direct
# documenté ») ; la structure porteuse d'un pôle, qui le porte, n'est pas concernée.

# %%
uniques = Counter()
for e in d.peripheral.items:
    for r in e.reasons:
        if r.code == "lien_unique":
            uniques[r.text if r.text.startswith("Membre du pôle") else
                    "seul partenaire : " + r.text.split(" : ", 1)[-1]] += 1
for texte, n in uniques.most_common(5):
    print(f"{n:3} acteur(s) — {texte}")

# %% [markdown]
# Où sont-ils ? Les mêmes comptés par intercommunalité (`d.flagged_by_part`, un niveau sous le
# territoire : les EPCI d'un département, les départements d'une région). Le rapport du
# territoire (`maillage report --territory Haute-Garonne`) les donne aussi pour un tableur
# (`…-isoles.csv`).

# %%
print(f"{'intercommunalité (EPCI)':45} {'isolés':>6} {'périphériques':>13}")
for p in d.flagged_by_part:
    print(f"{p.name[:45]:45} {p.isolated:6} {p.peripheral:13}")
assert d.part_level == "epci" and sum(p.isolated for p in d.flagged_by_part) == d.isolated.size

# %% [markdown]
# « Isolé » veut dire la même chose partout : l'API (`GET /api/territories/departement:31/isolated`,
# qui appelle `isolated_actors`) donne les mêmes isolés que le diagnostic ; un acteur à un seul
# partenaire n'y apparaît qu'avec `peripheral=true`, marqué « périphérique ».

# %%
from maillage.analytics.territory import isolated_actors

api_isoles = isolated_actors(store, territory="departement:31")
assert [r["id"] for r in api_isoles] == [e.id for e in d.isolated.items]
avec_periph = isolated_actors(store, territory="departement:31", include_peripheral=True)
print(Counter(r["status_label"] for r in avec_periph))

# %% [markdown]
# ## 3. Financeurs et liens qui franchissent la frontière du département

# %%
for f in d.funders.items:
    montant = f"{f.amount:,.0f} €".replace(",", "\u202f") if f.amounts_stated else "montant non indiqué"
    print(f"{f.name[:50]:50} {f.kind_label:28} {'dans le' if f.inside else 'hors du'} territoire ; "
          f"{f.ties} lien(s) ; {montant}")
print("liens transfrontaliers :", d.border.relations, "; avec des acteurs à une échelle englobante :",
      d.border.enclosing, "; sans localisation :", d.border.unlocated)
for n in d.notes:
    print("note :", n)

# %% [markdown]
# ## Réponse
#
# Dans le jeu de référence, la Haute-Garonne est structurée par **Le Périscope** (Sud-Est
# toulousain) : presque tous les acteurs de l'ESS situés dans le département sont membres d'un
# pôle. Les **isolés** sont peu nombreux : un financeur solidaire qui ne fait que financer et un
# lieu seulement cité. Les **collectivités** sans lien de coopération documenté (le
# Département, Toulouse Métropole) sont nommées à part (`public_bodies`) : ce sont des financeurs,
# non des acteurs à accompagner ; la **périphérie**
# est faite de membres du Périscope dont le seul lien direct documenté est leur pôle. Le
# Périscope rassemblant plusieurs familles d'acteurs, ils ne sont pas dits « sans lien avec une
# autre famille » ; un membre d'un pôle d'une seule famille (Le Multiple) l'est encore. C'est
# d'abord un **manque de documentation des coopérations entre membres** : à vérifier avec les
# acteurs avant toute conclusion.

# %%
isoles_par_famille = Counter(e.family for e in d.isolated.items)
collectivites_a_part = [e.name for e in d.public_bodies.items]
part_ess_en_pole = next(f.in_pole / f.actors for f in d.by_family if f.family == "ess")
membres_seul_pole = sum(1 for e in d.peripheral.items for r in e.reasons if r.text.startswith("Membre du pôle"))
print(f"Réponse : {d.actors.size} acteurs en Haute-Garonne ; {d.isolated.size} isolés "
      f"({dict(isoles_par_famille)}) ; à part, {len(collectivites_a_part)} collectivités sans lien de coopération "
      f"({', '.join(collectivites_a_part)}) ; {d.peripheral.size} périphériques dont {membres_seul_pole} "
      f"membres d'un pôle sans autre lien direct documenté ; {part_ess_en_pole:.0%} des structures "
      f"de l'ESS sont dans un pôle.")
# every isolated actor really has no cooperation tie: check against the lens graph
from maillage.analytics.lenses import lens_graph

G = lens_graph(store, "cooperation")
assert all(G.degree(e.id) == 0 if e.id in G else True for e in d.isolated.items)
assert all(e.id not in {x.id for x in d.isolated.items} for e in d.peripheral.items)
assert "collectivite" not in isoles_par_famille and part_ess_en_pole > 0.8
assert {"département Haute-Garonne", "Toulouse Métropole"} <= set(collectivites_a_part)
# the members of Le Périscope, a pôle of several families, cooperate across families (art. 9)
periscope = [e for e in d.peripheral.items if [p.name for p in e.poles] == ["Le Périscope"]]
assert periscope and membres_seul_pole >= len(periscope)
assert not any("sans_lien_intersectoriel" in e.codes for e in periscope)
