"""Reasons of the tabular formats: member lists and lists of places (:mod:`..formats.members`,
:mod:`..formats.places`) and Kumu workbooks (:mod:`..formats.kumu`)."""

import re

from maillage.graph.vocabulary import vocabulary
from maillage.loaders.formats import kumu

from ._shapes import QUOTED as _Q
from ._shapes import VALUE as _V

#: How a member list's reason names another row: « row 12 », « row 12 of sheet 'Collège A' »
#: (translated by the two entries « row … » below, through a ``motif`` group).
_ROW = rf"row \d+(?: of sheet {_Q})?"

FR: list[tuple[str, str, str]] = [
    # member lists
    (r"1 member of no recognised type \(classed 'other'\): add a 'Type' column \((?P<ex>[^)]*)\) to class it",
     "1 membre sans type reconnu (classé « Autre ») : ajoutez une colonne « Type » ({ex}) pour le classer",
     "1 member of no recognised type (classed 'other'): add a 'Type' column (association, SCOP, collectivité, "
     "entreprise…) to class it"),
    (r"(?P<n>\d+) members of no recognised type \(classed 'other'\): add a 'Type' column \((?P<ex>[^)]*)\) to "
     r"class them",
     "{n} membres sans type reconnu (classés « Autre ») : ajoutez une colonne « Type » ({ex}) pour les classer",
     "7 members of no recognised type (classed 'other'): add a 'Type' column (association, SCOP, collectivité, "
     "entreprise…) to class them"),
    (r"row (?P<n>\d+)", "ligne {n}", "row 12"),
    (rf"row (?P<n>\d+) of sheet (?P<sheet>{_Q})", "ligne {n} de la feuille {sheet}", "row 12 of sheet 'Collège A'"),
    (rf"same values as (?P<motif_row>{_ROW}): counted once", "mêmes valeurs que la {motif_row} : comptée une fois",
     "same values as row 3 of sheet 'Collège A': counted once"),
    (rf"same member as (?P<motif_row>{_ROW}) \((?P<name>.+)\): merged",
     "même membre que la {motif_row} ({name}) : fusionnée avec elle",
     "same member as row 12 (Épicerie Solidaire du Lot): merged"),
    (rf"collège (?P<a>{_Q}) on (?P<motif_first>{_ROW}), (?P<b>{_Q}) on (?P<motif_here>{_ROW}): the same member "
     r"listed twice; (?P=a) kept, correct the list to choose",
     "collège {a} à la {motif_first}, {b} à la {motif_here} : le même membre inscrit deux fois ; {a} retenu, "
     "corrigez la liste pour choisir",
     "collège 'Fondateurs' on row 12, 'Usagers' on row 22: the same member listed twice; 'Fondateurs' kept, "
     "correct the list to choose"),
    (rf"collège (?P<b>{_Q}) on (?P<motif_here>{_ROW}) not loaded: the same member listed twice, and "
     rf"(?P<motif_first>{_ROW}), whose tie is kept, gives none; give it on (?P<motif_again>{_ROW})",
     "collège {b} de la {motif_here} non chargé : le même membre inscrit deux fois, et la {motif_first}, dont le "
     "lien est gardé, n'en donne pas ; indiquez-le à la {motif_again}",
     "collège 'Usagers' on row 22 not loaded: the same member listed twice, and row 12, whose tie is kept, gives none; "
     "give it on row 12"),
    (rf"role (?P<b>{_Q}) on (?P<motif_here>{_ROW}) not loaded: the same member listed twice, and "
     rf"(?P<motif_first>{_ROW}), whose tie is kept, gives none; give it on (?P<motif_again>{_ROW})",
     "rôle {b} de la {motif_here} non chargé : le même membre inscrit deux fois, et la {motif_first}, dont le "
     "lien est gardé, n'en donne pas ; indiquez-le à la {motif_again}",
     "role 'adhérent' on row 22 not loaded: the same member listed twice, and row 12, whose tie is kept, gives none; "
     "give it on row 12"),
    (rf"role (?P<a>{_Q}) on (?P<motif_first>{_ROW}), (?P<b>{_Q}) on (?P<motif_here>{_ROW}): the same member "
     r"listed twice; (?P=a) kept, correct the list to choose",
     "rôle {a} à la {motif_first}, {b} à la {motif_here} : le même membre inscrit deux fois ; {a} retenu, "
     "corrigez la liste pour choisir",
     "role 'membre fondateur' on row 12, 'adhérent' on row 22: the same member listed twice; 'membre "
     "fondateur' kept, correct the list to choose"),
    (rf"place (?P<new>{_Q}) on (?P<motif_here>{_ROW}), (?P<old>{_Q}) on (?P<motif_was>{_ROW}): the member moved; "
     r"the place of the latest year \((?P<year>[\d-]+)\) kept, the other in its history",
     "lieu {new} à la {motif_here}, {old} à la {motif_was} : le membre a déménagé ; le lieu de l'année la plus "
     "récente ({year}) est retenu, l'autre gardé dans son historique",
     "place '31750 Escalquens' on row 4 of sheet '2025', '31670 Labège' on row 3 of sheet '2024': the member moved; "
     "the place of the latest year (2025) kept, the other in its history"),
    (rf"name (?P<new>{_Q}) on (?P<motif_here>{_ROW}), (?P<old>{_Q}) on (?P<motif_was>{_ROW}): the member "
     r"renamed; the name of the latest year \((?P<year>[\d-]+)\) kept, the other as another name",
     "nom {new} à la {motif_here}, {old} à la {motif_was} : le membre a changé de nom ; le nom de l'année la plus "
     "récente ({year}) est retenu, l'autre gardé comme autre nom",
     "name 'La Boucle, ressourcerie' on row 4 of sheet '2025', 'Recyclerie Solidaire Sud' on row 3 of sheet "
     "'2024': the member renamed; the name of the latest year (2025) kept, the other as another name"),
    (r"the header again \(lists pasted one after another\?\), not a member: not loaded",
     "l'en-tête à nouveau (des listes collées l'une après l'autre ?), pas un membre : non chargée",
     "the header again (lists pasted one after another?), not a member: not loaded"),
    (rf"{_V} is a collège heading, not a member: not loaded; the rows below it without a collège of their own "
     r"are given it",
     "{value} est l'intitulé d'un collège, pas un membre : non chargée ; les lignes en dessous qui n'ont pas de "
     "collège à elles le reçoivent",
     "'Collège des fondateurs' is a collège heading, not a member: not loaded; the rows below it without a collège "
     "of their own are given it"),
    (rf"{_V} is a heading alone on its row \(it names a group of members, not one\), not a member: not loaded",
     "{value} est un intitulé seul sur sa ligne (il nomme un groupe de membres, pas un membre) : non chargée",
     "'ASSOCIATIONS' is a heading alone on its row (it names a group of members, not one), not a member: not "
     "loaded"),
    (rf"{_V} is a heading merged across the row, not a member: not loaded",
     "{value} est un intitulé fusionné sur toute la ligne, pas un membre : non chargée",
     "'Collège des fondateurs' is a heading merged across the row, not a member: not loaded"),
    (rf"{_V} is the line of text above a table of the document \(its heading\), not a member: not loaded",
     "{value} est la ligne de texte au-dessus d'un tableau du document (son intitulé), pas un membre : non chargée",
     "'Liste des adhérents' is the line of text above a table of the document (its heading), not a member: "
     "not loaded"),
    (rf"{_V} is a note under the list \(a footnote, the date of an update\), not a member: not loaded",
     "{value} est une note sous la liste (un renvoi, la date d'une mise à jour), pas un membre : non chargée",
     "'Mis à jour le 12/01/2025' is a note under the list (a footnote, the date of an update), not a member: not "
     "loaded"),
    (rf"{_V} marks a total row \(a sum of other rows\), not a member: not loaded",
     "{value} marque une ligne de total (la somme d'autres lignes), pas un membre : non chargée",
     "'Total général' marks a total row (a sum of other rows), not a member: not loaded"),
    (r"no pôle named \(--pole NAME or a 'pôle' column\): the rows are loaded as actors only, without membership",
     "aucun pôle nommé (--pole NOM ou une colonne « pôle ») : les lignes sont chargées comme acteurs seulement, "
     "sans adhésion",
     "no pôle named (--pole NAME or a 'pôle' column): the rows are loaded as actors only, without membership"),
    (r"no name: column (?P<column>.+) is empty \((?P<n>\d+) other cell\(s\) filled\); every row needs a name",
     "pas de nom : la colonne {column} est vide ({n} autre(s) cellule(s) remplie(s)) ; chaque ligne doit avoir "
     "un nom",
     "no name: column 'NOM' is empty (2 other cell(s) filled); every row needs a name"),
    (r"the row names the pôle itself: no tie to itself",
     "la ligne nomme le pôle lui-même : pas de lien vers lui-même",
     "the row names the pôle itself: no tie to itself"),
    (r"no pôle for this row \(empty pôle column and no --pole\): its role, college and dates are not loaded",
     "pas de pôle pour cette ligne (colonne pôle vide et pas de --pole) : son rôle, son collège et ses dates ne "
     "sont pas chargés",
     "no pôle for this row (empty pôle column and no --pole): its role, college and dates are not loaded"),
    (r"role " + _V + r" is not one the loader recognises \(see docs/formats/members\.md\): loaded as a plain "
     r"membership with this role",
     "rôle {value} non reconnu (voir docs/formats/members.md) : chargé comme simple adhésion avec ce rôle",
     "role \"chef d'orchestre\" is not one the loader recognises (see docs/formats/members.md): loaded as a plain "
     "membership with this role"),
    (r"circle " + _V + r" is not one of (?P<values>.+): dropped",
     "cercle {value} : n'est pas l'un de {values} ; ignoré",
     "circle 'galaxie' is not one of socle, membre, adhérent, partie prenante, partenaire associé: dropped"),
    (r"membership ends \((?P<end>[^)]*)\) before it starts \((?P<start>[^)]*)\): end dropped",
     "l'adhésion se termine ({end}) avant de commencer ({start}) : fin ignorée",
     "membership ends (2019) before it starts (2021): end dropped"),
    (r"INSEE code (?P<insee>\S+) \((?P<name>.+?)\) contradicts (?P<column>.+?) (?P<cp>\S+) and (?P<commune>.+?), "
     r"which designate (?P<other>.+) \((?P<id>[a-z]+:[0-9AB]+)\): located there",
     "le code INSEE {insee} ({name}) contredit {column} {cp} et {commune}, qui désignent {other} ({id}) : "
     "localisé là",
     "INSEE code 42078 (Le Crozet) contradicts CODPOST 34725 and 'Saint-André-de-Sangonis', which designate "
     "Saint-André-de-Sangonis (commune:34239): located there"),
    (r"INSEE code (?P<insee>\S+) \((?P<name>.+?)\) contradicts (?P<column>.+?) (?P<cp>\S+), "
     r"which designates (?P<other>.+) \((?P<id>[a-z]+:[0-9AB]+)\): located there",
     "le code INSEE {insee} ({name}) contredit {column} {cp}, qui désigne {other} ({id}) : localisé là",
     "INSEE code 42078 (Le Crozet) contradicts CODPOST 34725, which designates Saint-André-de-Sangonis "
     "(commune:34239): located there"),
    (r"(?P<scheme>SIREN|SIRET|RNA) (?P<ident>\S+) is not the SIREN of the collectivité (?P<name>.+): "
     r"kept on the place",
     "{scheme} {ident} n'est pas le SIREN de la collectivité {name} : conservé sur le lieu",
     "SIREN 390379758 is not the SIREN of the collectivité 'Ville de Chambéry': kept on the place"),
    (r"(?P<scheme>SIREN|SIRET|RNA) (?P<ident>\S+) is not the SIREN of the collectivité (?P<name>.+): dropped",
     "{scheme} {ident} n'est pas le SIREN de la collectivité {name} : ignoré",
     "SIREN 390379758 is not the SIREN of the collectivité 'Ville de Chambéry': dropped"),
    # where a row is (members.locate)
    (_V + r" is not an INSEE commune code of the reference geography: located by postal code and commune instead",
     "{value} n'est pas un code commune INSEE de la géographie de référence : localisé par le code postal et la "
     "commune à la place",
     "'99999' is not an INSEE commune code of the reference geography: located by postal code and commune instead"),
    (r"postal code (?P<cp>\S+) is not one of (?P<name>.+)'s \((?P<codes>[^)]*)\): located by the INSEE code "
     r"(?P<insee>\S+)",
     "le code postal {cp} n'est pas l'un de ceux de {name} ({codes}) : localisé par le code INSEE {insee}",
     "postal code 75001 is not one of Morlaix's (29600): located by the INSEE code 29151"),
    (r"postal code (?P<cp>\S+) is not in the reference geography",
     "le code postal {cp} est absent de la géographie de référence",
     "postal code 98000 is not in the reference geography"),
    (r"postal code (?P<cp>\S+) is not in the reference geography: no place given",
     "le code postal {cp} est absent de la géographie de référence : aucun lieu donné",
     "postal code 98800 is not in the reference geography: no place given"),
    (r"postal code (?P<cp>\S+) is not in the reference geography, and " + _V + r" does not designate one commune: no "
     r"place given",
     "le code postal {cp} est absent de la géographie de référence, et {value} ne désigne pas une seule commune : "
     "aucun lieu donné",
     "postal code 49933 is not in the reference geography, and 'ANGER' does not designate one commune: no place given"),
    (r"postal code (?P<cp>\S+) is not in the reference geography: located by the commune's name (?P<name>.+)",
     "le code postal {cp} est absent de la géographie de référence : localisé par le nom de la commune, {name}",
     "postal code 98000 is not in the reference geography: located by the commune's name 'Paris'"),
    (r"postal code (?P<cp>\S+) \(département (?P<deps>[^)]*)\) and " + _V + r" \((?P<named>[^)]*)\) contradict each "
     r"other: no place given; the code is not in the reference geography; expected the postal code of (?P<again>.+)",
     "le code postal {cp} (département {deps}) et {value} ({named}) se contredisent : aucun lieu donné ; le code est "
     "absent de la géographie de référence ; attendu : le code postal de {again}",
     "postal code 75700 (département 75) and 'Lyon' (Lyon, 69) contradict each other: no place given; the code is "
     "not in the reference geography; expected the postal code of 'Lyon'"),
    (r"postal code (?P<cp>\S+) \((?P<code>[^)]*)\) and " + _V + r" \((?P<named>[^)]*)\) contradict each other, in "
     r"different départements: no place given; expected a commune of postal code (?P=cp), or the postal code of "
     r"(?P<again>.+)",
     "le code postal {cp} ({code}) et {value} ({named}) se contredisent, dans des départements différents : "
     "aucun lieu donné ; attendu : une commune du code postal {cp}, ou le code postal de {again}",
     "postal code 31000 (Toulouse, 31) and 'Lyon' (Lyon, 69) contradict each other, in different départements: no "
     "place given; expected a commune of postal code 31000, or the postal code of 'Lyon'"),
    (r"postal code (?P<cp>\S+) \((?P<code>[^)]*)\) and " + _V + r" \((?P<named>[^)]*)\) contradict each other: "
     r"placed in the département (?P<dep>\w+) only, which both are in; expected a commune of postal code (?P=cp), or "
     r"the postal code of (?P<again>.+)",
     "le code postal {cp} ({code}) et {value} ({named}) se contredisent : localisé dans le département {dep} "
     "seulement, où sont l'un et l'autre ; attendu : une commune du code postal {cp}, ou le code postal de {again}",
     "postal code 31520 (Ramonville-Saint-Agne, 31) and 'Toulouse' (Toulouse, 31) contradict each other: placed in "
     "the département 31 only, which both are in; expected a commune of postal code 31520, or the postal code of "
     "'Toulouse'"),
    (_V + r" is not one of the communes of postal code (?P<cp>\S+)",
     "{value} n'est pas l'une des communes du code postal {cp}",
     "'Paris' is not one of the communes of postal code 29600"),
    (_V + r" is not the name of (?P<name>.+), the commune of postal code (?P<cp>\S+): located there by the code "
     r"\(a typo\?\)",
     "{value} n'est pas le nom de {name}, la commune du code postal {cp} : localisé là par le code (une faute de "
     "frappe ?)",
     "'toulous' is not the name of Toulouse, the commune of postal code 31000: located there by the code (a typo?)"),
    (_V + r" is near a former name of (?P<name>.+) \((?P<former>[^)]*)\), the commune of postal code (?P<cp>\S+): "
     r"located there by the code",
     "{value} est proche d'un ancien nom de {name} ({former}), la commune du code postal {cp} : localisé là par le code",
     "'EQUEURDREVILLE-HAINNEVIL' is near a former name of Cherbourg-en-Cotentin (Équeurdreville-Hainneville), the "
     "commune of postal code 50120: located there by the code"),
    (_V + r" is not a place: (?P<name>" + _Q + r") is no name near those of the communes of postal code (?P<cp>\S+) "
     r"\((?P<communes>.*)\)",
     "{value} n'est pas un lieu : {name} n'est proche d'aucun nom des communes du code postal {cp} ({communes})",
     "'15000 euros' is not a place: 'euros' is no name near those of the communes of postal code 15000 (Aurillac, "
     "Ytrac)"),
    (_V + r" names (?P<n>\d+) places \((?P<places>.*)\): placed in (?P<name>.+) \((?P<id>[\w:]+)\), which holds them "
     r"all",
     "{value} désigne {n} lieux ({places}) : localisé dans {name} ({id}), qui les contient tous",
     "'Toulouse et Blagnac' names 2 places (Toulouse, Blagnac): placed in Toulouse Métropole (epci:243100518), "
     "which holds them all"),
    (_V + r" names (?P<n>\d+) places \((?P<places>.*)\): no EPCI nor département holds them all: no place given; "
     r"give one commune",
     "{value} désigne {n} lieux ({places}) : aucun EPCI ni département ne les contient tous : aucun lieu donné ; "
     "indiquez une seule commune",
     "'Toulouse et Lyon' names 2 places (Toulouse, Lyon): no EPCI nor département holds them all: no place given; "
     "give one commune"),
    (_V + r" names several communes: (?P<name>.+) \((?P<dep>\w+)\) kept, in the département of most of the "
     r"list's members; give a postal code to be sure",
     "{value} désigne plusieurs communes : {name} ({dep}) retenue, dans le département de la plupart des membres de "
     "la liste ; indiquez un code postal pour en être sûr",
     "'Gourdon' names several communes: Gourdon (46) kept, in the département of most of the list's "
     "members; give a postal code to be sure"),
    (_V + r" does not designate one commune \(unknown or homonyms\): give a postal code or an INSEE code",
     "{value} ne désigne pas une seule commune (inconnue ou homonymes) : indiquez un code postal ou un code INSEE",
     "'Saint-Martin' does not designate one commune (unknown or homonyms): give a postal code or an INSEE code"),
    # identifiers and status of a row (members)
    (r"SIREN (?P<siren>\S+) differs from SIREN (?P<other>\S+) of the same row: (?P<dropped>\S+) dropped",
     "le SIREN {siren} diffère du SIREN {other} de la même ligne : {dropped} ignoré",
     "SIREN 123456789 differs from SIREN 987654321 of the same row: 123456789 dropped"),
    (r"an identifier of a structure porteuse, but no structure porteuse named: dropped",
     "un identifiant de structure porteuse, mais aucune structure porteuse nommée : ignoré",
     "an identifier of a structure porteuse, but no structure porteuse named: dropped"),
    (r"expected oui/non \(yes/no\): ESS status left unknown",
     "oui/non attendu : statut ESS laissé inconnu", "expected oui/non (yes/no): ESS status left unknown"),
    # the reference mapping (reference_mapping.parse_year)
    (r"year (?P<value>.+) is not YYYY or YYYY-YYYY", "année {value} : attendu AAAA ou AAAA-AAAA",
     "year 'vers 2015' is not YYYY or YYYY-YYYY"),
    # Kumu workbooks
    (r"no element in (?P<column>.+): a connection needs both ends",
     "aucun élément dans {column} : une connexion a besoin de ses deux extrémités",
     "no element in From: a connection needs both ends"),
    (r"(?P<motif>.+): this tie is not loaded", "{motif} : ce lien n'est pas chargé",
     "no element with the label or ID 'X' in sheet Elements: this tie is not loaded"),
    (r"no element with the label or ID " + _V + r" in sheet (?P<sheet>.+)",
     "aucun élément de libellé ou d'ID {value} dans la feuille {sheet}",
     "no element with the label or ID 'X' in sheet Elements"),
    (_V + r" is the label of (?P<n>\d+) elements of sheet (?P<sheet>.+?): name it by its ID",
     "{value} est le libellé de {n} éléments de la feuille {sheet} : désignez-le par son ID",
     "'Atelier' is the label of 2 elements of sheet Éléments: name it by its ID"),
    # (a store written before the relation type was named by its label; its label: below)
    (r"connection type " + _V + r" is not a relation type of the vocabulary \(see docs/formats/kumu\.md\): "
     r"loaded as (?P<as>'[a-z_]+')",
     "le type de connexion {value} n'est pas un type de lien du vocabulaire (voir docs/formats/kumu.md) : "
     "chargé comme {as}",
     "connection type 'amitié' is not a relation type of the vocabulary (see docs/formats/kumu.md): loaded as "
     "'related'"),
    # (a store written before the family was named by its label; its label: below, one entry a family)
    (r"type " + _V + r" is not a family or kind of the vocabulary \(see (?P<doc>docs/formats/\w+\.md)\): loaded as "
     r"(?P<as>'[a-z_]+')",
     "le type {value} n'est ni une famille ni une sorte du vocabulaire (voir {doc}) : chargé comme {as}",
     "type 'Licorne' is not a family or kind of the vocabulary (see docs/formats/kumu.md): loaded as 'other'"),
    (r"direction " + _V + r" is not directed, undirected or mutual: ignored",
     "direction {value} non reconnue (attendu : orienté, non orienté ou mutuel) : ignorée",
     "direction 'HģØ' is not directed, undirected or mutual: ignored"),
    # (a store written before the relation type was named by its label; its label: below)
    (r"direction 'undirected' on (?P<type>'[a-z_]+'), which is directed: read From → To",
     "direction « non orienté » sur {type}, qui est orienté : lu From → To",
     "direction 'undirected' on 'funds', which is directed: read From → To"),
    # the field and its relation type by their labels: « field 'Amount (€)' of 'provides funding to' », below
    (rf"(?P<motif>.+): (?P<motif_field>field {_Q} of {_Q}) left empty",
     "{motif} : {motif_field} laissé vide",
     "expected an amount such as 2400.0 or 26 956,00, got 'beaucoup': field 'Amount (€)' of 'provides funding to' "
     "left empty"),
    (r"ends \((?P<end>[^)]*)\) before it starts \((?P<start>[^)]*)\): end dropped",
     "se termine ({end}) avant de commencer ({start}) : fin ignorée",
     "ends (2019) before it starts (2021): end dropped"),
    (r"nothing to load on this row", "rien à charger sur cette ligne", "nothing to load on this row"),
]

#: The other values of a pôle tie that a member listed twice may give twice (the collège and role
#: are above): (the reason's word, the French word, its agreement: « e » when feminine).
_LISTING_FIELDS = (("circle", "cercle", ""), ("start date", "date d'adhésion", "e"), ("end date", "date de sortie", "e"),
                   ("structure porteuse", "structure porteuse", "e"))
for _en, _fr, _e in _LISTING_FIELDS:
    FR += [
        (rf"{_en} (?P<a>{_Q}) on (?P<motif_first>{_ROW}), (?P<b>{_Q}) on (?P<motif_here>{_ROW}): the same member "
         r"listed twice; (?P=a) kept, correct the list to choose",
         f"{_fr} {{a}} à la {{motif_first}}, {{b}} à la {{motif_here}} : le même membre inscrit deux fois ; {{a}} "
         f"retenu{'e' if _en.endswith('date') else ''}, corrigez la liste pour choisir",
         f"{_en} '2020' on row 12, '2022' on row 22: the same member listed twice; '2020' kept, correct the list to "
         "choose"),
        (rf"{_en} (?P<b>{_Q}) on (?P<motif_here>{_ROW}) not loaded: the same member listed twice, and "
         rf"(?P<motif_first>{_ROW}), whose tie is kept, gives none; give it on (?P<motif_again>{_ROW})",
         f"{_fr} {{b}} de la {{motif_here}} non chargé{_e} : le même membre inscrit deux fois, et la {{motif_first}}, "
         f"dont le lien est gardé, n'en donne pas ; indiquez-l{'a' if _e else 'e'} à la {{motif_again}}",
         f"{_en} '2022' on row 22 not loaded: the same member listed twice, and row 12, whose tie is kept, gives "
         "none; give it on row 12"),
    ]

# « loaded as 'related to (unqualified)' »: a Kumu connection's type by its label (formats.kumu)
for _rtype in vocabulary().relation_types.values():
    FR.append((r"connection type " + _V + r" is not a relation type of the vocabulary \(see docs/formats/kumu\.md\): "
               r"loaded as " + re.escape(repr(_rtype.labels["en"])),
               "le type de connexion {value} n'est pas un type de lien du vocabulaire (voir docs/formats/kumu.md) : "
               "chargé comme « " + _rtype.labels["fr"].replace("{", "{{").replace("}", "}}") + " »",
               f"connection type 'amitié' is not a relation type of the vocabulary (see docs/formats/kumu.md): "
               f"loaded as {_rtype.labels['en']!r}"))

def _fr_label(label: str) -> str:
    """A label of the vocabulary in a French template: in « », its braces doubled."""
    return "« " + label.replace("{", "{{").replace("}", "}}") + " »"


# a Kumu connection's type, field and values by their labels, as formats.kumu names them
_ENUMS: dict[str, str] = {}
for _rtype in vocabulary().relation_types.values():
    # « 'cooperates with' has no field 'Année' » (a column of another type's field, formats.kumu)
    for _en, _fr in (("; a tie is dated by the columns Start and End",
                      " ; un lien est daté par les colonnes Début et Fin"), ("", "")):
        FR.append((re.escape(f"{_rtype.labels['en']!r} has no field ") + rf"(?P<column>{_Q}): not loaded"
                   + re.escape(_en), _fr_label(_rtype.labels["fr"]) + " n'a pas de champ {column} : non chargé" + _fr,
                   f"{_rtype.labels['en']!r} has no field 'Année': not loaded{_en}"))
    if _rtype.directed:  # « direction 'non orienté' on 'provides funding to', which is directed »
        FR.append((r"direction " + _V + r" on " + re.escape(repr(_rtype.labels["en"])) + r", which is directed: "
                   r"read (?P<source>.+) → (?P<target>.+)",
                   "direction {value} sur " + _fr_label(_rtype.labels["fr"]) + ", qui est orienté : lu "
                   "{source} → {target}",
                   f"direction 'non orienté' on {_rtype.labels['en']!r}, which is directed: read From → To"))
    for _spec in _rtype.fields.values():  # « field 'Amount (€)' of 'provides funding to' » (left empty)
        FR.append((re.escape(f"field {_spec.labels['en']!r} of {_rtype.labels['en']!r}"),
                   "champ " + _fr_label(_spec.labels["fr"]) + " de " + _fr_label(_rtype.labels["fr"]),
                   f"field {_spec.labels['en']!r} of {_rtype.labels['en']!r}"))
        if _spec.type == "enum":  # « expected one of 'requested', 'granted' » (kumu.coerce)
            _ENUMS.setdefault(kumu.enum_labels(_spec), kumu.enum_labels(_spec, "fr"))
FR += [(re.escape(_en), _fr.replace("{", "{{").replace("}", "}}"), _en) for _en, _fr in _ENUMS.items()]
# (a store written before the field was named by its label)
FR.append((rf"field (?P<field>{_Q}) of (?P<type>{_Q})", "champ {field} de {type}", "field 'amount' of 'funds'"))

# « loaded as 'Other' »: the family by its label (:meth:`..formats.members.ActorReader.what`)
for _family in vocabulary().families.values():
    FR.append((r"type " + _V + r" is not a family or kind of the vocabulary \(see (?P<doc>docs/formats/\w+\.md)\): "
               r"loaded as " + re.escape(repr(_family.labels["en"])),
               "le type {value} n'est ni une famille ni une sorte du vocabulaire (voir {doc}) : chargé comme « "
               + _family.labels["fr"].replace("{", "{{").replace("}", "}}") + " »",
               f"type 'Licorne' is not a family or kind of the vocabulary (see docs/formats/members.md): loaded as "
               f"{_family.labels['en']!r}"))
