"""Reasons of SIRENE extracts (:mod:`..formats.sirene`): restricted diffusion, masked values,
natural persons, establishments."""

FR: list[tuple[str, str, str]] = [
    # the rejects file's « original » of a row rejected for privacy (``sirene.PRIVATE_ROW``)
    (r"\(row content left out: restricted diffusion or personal data\)",
     "(contenu de la ligne non repris : diffusion restreinte ou données personnelles)",
     "(row content left out: restricted diffusion or personal data)"),
    (r"diffusion restricted \((?P<column>\S+) = (?P<value>[^:]*): the unit objected to the public use of its "
     r"data\): not loaded",
     "diffusion restreinte ({column} = {value} : l'unité s'est opposée à l'usage public de ses données) : "
     "non chargée",
     "diffusion restricted (statutDiffusionUniteLegale = P: the unit objected to the public use of its data): "
     "not loaded"),
    (r"values masked by INSEE as \[ND\] \((?P<columns>.+)\): a unit in partial diffusion, not loaded",
     "valeurs masquées par l'INSEE en [ND] ({columns}) : une unité en diffusion partielle, non chargée",
     "values masked by INSEE as [ND] (nomUniteLegale): a unit in partial diffusion, not loaded"),
    (r"legal category (?P<code>\S+) \((?P<label>.+)\): a natural person, not an organisation; not loaded "
     r"\(personal data\)",
     "catégorie juridique {code} ({label}) : une personne physique, pas une organisation ; non chargée "
     "(données personnelles)",
     "legal category 1000 (Entrepreneur individuel): a natural person, not an organisation; not loaded "
     "(personal data)"),
    (r"a person's name column is filled \(nomUniteLegale, prenom…\): the unit is a natural person; not loaded "
     r"\(personal data\)",
     "une colonne de nom de personne est remplie (nomUniteLegale, prenom…) : l'unité est une personne physique ; "
     "non chargée (données personnelles)",
     "a person's name column is filled (nomUniteLegale, prenom…): the unit is a natural person; not loaded "
     "(personal data)"),
    (r"unit unknown: no loaded source describes its SIREN, and this row does not say whether it is a legal person "
     r"or a sole trader; load first the StockUniteLegale extract of this SIREN, or the subsidy file that names it",
     "unité inconnue : aucune source chargée ne décrit son SIREN, et cette ligne ne dit pas si c'est une personne "
     "morale ou un entrepreneur individuel ; chargez d'abord l'extrait StockUniteLegale de ce SIREN, ou le fichier "
     "de subventions qui le nomme",
     "unit unknown: no loaded source describes its SIREN, and this row does not say whether it is a legal person "
     "or a sole trader; load first the StockUniteLegale extract of this SIREN, or the subsidy file that names it"),
    # the load's notes (maillage load prints them under the file's line)
    (r"(?P<n>\d+) sole traders? \(legal category 1xxx, a natural person\) that other sources describe as an "
     r"organisation \(same SIREN\): now a natural person, personal data kept out of public views and exports",
     "{n} entrepreneur(s) individuel(s) (catégorie juridique 1xxx, une personne physique) que d'autres sources "
     "décrivent comme une organisation (même SIREN) : désormais tenu(s) pour une personne physique, donnée "
     "personnelle gardée hors des vues publiques et des exports",
     "1 sole trader (legal category 1xxx, a natural person) that other sources describe as an organisation (same "
     "SIREN): now a natural person, personal data kept out of public views and exports"),
    (r"1 establishment row of a unit no loaded source describes: not loaded; load first the StockUniteLegale "
     r"extract of its SIREN, or the subsidy file or member list that names it, then this file again",
     "1 établissement d'une unité inconnue (aucune source chargée ne décrit son SIREN) : non chargé ; chargez "
     "d'abord l'extrait StockUniteLegale de ce SIREN, ou le fichier de subventions ou la liste de membres qui le "
     "nomme, puis ce fichier à nouveau",
     "1 establishment row of a unit no loaded source describes: not loaded; load first the StockUniteLegale "
     "extract of its SIREN, or the subsidy file or member list that names it, then this file again"),
    (r"(?P<n>\d+) establishment rows of units no loaded source describes \((?P<k>\d+) SIRENs?\): not loaded; load "
     r"first the StockUniteLegale extract of those SIRENs, or the subsidy file or member list that names them, then "
     r"this file again",
     "{n} établissements d'unités inconnues ({k} SIREN qu'aucune source chargée ne décrit) : non chargés ; "
     "chargez d'abord l'extrait StockUniteLegale de ces SIREN, ou le fichier de subventions ou la liste de membres "
     "qui les nomme, puis ce fichier à nouveau",
     "312 establishment rows of units no loaded source describes (240 SIRENs): not loaded; load first the "
     "StockUniteLegale extract of those SIRENs, or the subsidy file or member list that names them, then this "
     "file again"),
    (r"(?P<n>\d+) establishment row\(s\) of (?P<k>\d+) unit\(s\) that other sources describe \(same SIREN\): "
     r"merged into them, (?P<p>\d+) placed by an establishment's commune",
     "{n} ligne(s) d'établissements de {k} unité(s) déjà décrite(s) par d'autres sources (même SIREN) : "
     "fusionnée(s) avec elles, {p} localisée(s) par la commune d'un établissement",
     "3 establishment row(s) of 2 unit(s) that other sources describe (same SIREN): merged into them, 2 placed by "
     "an establishment's commune"),
    (r"no denomination \(denominationUniteLegale, denominationUsuelle1UniteLegale, sigleUniteLegale are empty\)",
     "pas de dénomination (denominationUniteLegale, denominationUsuelle1UniteLegale, sigleUniteLegale sont vides)",
     "no denomination (denominationUniteLegale, denominationUsuelle1UniteLegale, sigleUniteLegale are empty)"),
    (r"SIREN (?P<siren>\S+) could not be recorded \(see row (?P<row>\d+)\)",
     "le SIREN {siren} n'a pas pu être enregistré (voir la ligne {row})",
     "SIREN 441370806 could not be recorded (see row 4)"),
    (r"SIRET (?P<siret>\d+) is an establishment of SIREN (?P<other>\d+), not of this row's SIREN (?P<siren>\d+): "
     r"SIRET left out",
     "le SIRET {siret} est un établissement du SIREN {other}, pas du SIREN {siren} de cette ligne : SIRET "
     "laissé de côté",
     "SIRET 73282932000074 is an establishment of SIREN 732829320, not of this row's SIREN 441370806: "
     "SIRET left out"),
    (r"(?P<value>'[^']*') is a SIREN \(9 digits\), not a SIRET \(14\): SIRET left out",
     "{value} est un SIREN (9 chiffres), pas un SIRET (14) : SIRET laissé de côté",
     "'732829320' is a SIREN (9 digits), not a SIRET (14): SIRET left out"),
    (r"head-office commune (?P<value>'[^']*') is not a commune of the reference geography: location left unknown",
     "commune du siège {value} : pas une commune de la géographie de référence ; localisation laissée inconnue",
     "head-office commune '99999' is not a commune of the reference geography: location left unknown"),
    (r"commune (?P<value>'[^']*') of establishment (?P<siret>\d+) is not a commune of the reference geography: "
     r"not used to place the actor",
     "commune {value} de l'établissement {siret} : pas une commune de la géographie de référence ; pas utilisée "
     "pour localiser l'acteur",
     "commune '99999' of establishment 44137080600016 is not a commune of the reference geography: not used to "
     "place the actor"),
    (r"(?P<path>.+): not a SIRENE extract: expected INSEE's column names, 'siren' with 'denominationUniteLegale' or "
     r"'categorieJuridiqueUniteLegale' \(StockUniteLegale\), or 'siret' with 'codeCommuneEtablissement' "
     r"\(StockEtablissement\)\. Columns found: (?P<found>.*)",
     "{path} : pas un extrait SIRENE : les noms de colonnes de l'INSEE étaient attendus, « siren » avec "
     "« denominationUniteLegale » ou « categorieJuridiqueUniteLegale » (StockUniteLegale), ou « siret » avec "
     "« codeCommuneEtablissement » (StockEtablissement). Colonnes trouvées : {found}",
     "ab.csv: not a SIRENE extract: expected INSEE's column names, 'siren' with 'denominationUniteLegale' or "
     "'categorieJuridiqueUniteLegale' (StockUniteLegale), or 'siret' with 'codeCommuneEtablissement' "
     "(StockEtablissement). Columns found: a, b"),
]
