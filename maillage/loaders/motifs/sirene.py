"""Reasons of SIRENE extracts (:mod:`..formats.sirene`): restricted diffusion, masked values,
natural persons, establishments."""

FR: list[tuple[str, str, str]] = [
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
    (r"this establishment row does not say whether its unit is a legal person \(no categorieJuridiqueUniteLegale, "
     r"no denominationUniteLegale\): not loaded, it may be a sole trader's; load an extract joined with "
     r"StockUniteLegale",
     "cette ligne d'établissement ne dit pas si son unité est une personne morale (ni categorieJuridiqueUniteLegale, "
     "ni denominationUniteLegale) : non chargée, elle peut être celle d'un entrepreneur individuel ; chargez un "
     "extrait joint au StockUniteLegale",
     "this establishment row does not say whether its unit is a legal person (no categorieJuridiqueUniteLegale, "
     "no denominationUniteLegale): not loaded, it may be a sole trader's; load an extract joined with "
     "StockUniteLegale"),
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
]
