"""Reasons of entity resolution's proposals (:mod:`..resolution`): why two actors may be the same,
shown by ``maillage resolve --review`` and the API (:func:`..resolution.reason_label`)."""

_NOT_MERGED = "(non fusionné : {})"

FR: list[tuple[str, str, str]] = [
    (r"same identifier (?P<ident>.+)", "même identifiant {ident}", "same identifier siren:123456789"),
    (r"core-name match \(not merged: placeholder\)",
     "même nom principal " + _NOT_MERGED.format("fiche provisoire d'un côté"),
     "core-name match (not merged: placeholder)"),
    (r"core-name match \(not merged: qualifiers differ\)",
     "même nom principal " + _NOT_MERGED.format("précisions entre parenthèses différentes"),
     "core-name match (not merged: qualifiers differ)"),
    (r"core-name match \(not merged: the source lists it under another key\)",
     "même nom principal " + _NOT_MERGED.format("la source le décrit déjà sous une autre clé"),
     "core-name match (not merged: the source lists it under another key)"),
    (r"name match \(not merged: the source lists it under another key\)",
     "même nom " + _NOT_MERGED.format("la source le décrit déjà sous une autre clé"),
     "name match (not merged: the source lists it under another key)"),
    (r"name match \(not merged: the identifiers differ\)",
     "même nom, même lieu " + _NOT_MERGED.format("SIREN ou RNA différents"),
     "name match (not merged: the identifiers differ)"),
    (r"name match \(not merged: a network's name, no place to tell which body\)",
     "même nom " + _NOT_MERGED.format("nom d'un réseau, un organisme par territoire, et pas de lieu pour dire "
                                      "lequel"),
     "name match (not merged: a network's name, no place to tell which body)"),
    (r"core-name match \(not merged: a network's name, no place to tell which body\)",
     "même nom principal " + _NOT_MERGED.format("nom d'un réseau, un organisme par territoire, et pas de lieu "
                                                "pour dire lequel"),
     "core-name match (not merged: a network's name, no place to tell which body)"),
    (r"fuzzy name match \(not merged: a network's name, no place to tell which body\)",
     "nom proche " + _NOT_MERGED.format("nom d'un réseau, un organisme par territoire, et pas de lieu pour dire "
                                        "lequel"),
     "fuzzy name match (not merged: a network's name, no place to tell which body)"),
    (r"fuzzy name match below the merge threshold", "nom proche, sous le seuil de fusion",
     "fuzzy name match below the merge threshold"),
    (r"same structure porteuse \(not merged: no word of the names in common\)",
     "même structure porteuse " + _NOT_MERGED.format("aucun mot propre en commun dans les noms : elle peut porter "
                                                     "un second pôle"),
     "same structure porteuse (not merged: no word of the names in common)"),
    (r"same key in another extraction of the document \(not merged: no word of the names in common\)",
     "même clé dans une autre extraction du même document " + _NOT_MERGED.format(
         "aucun mot propre en commun dans les noms : chaque extraction peut numéroter ses propres lignes"),
     "same key in another extraction of the document (not merged: no word of the names in common)"),
    (r"fuzzy name match \(not merged: qualifiers differ\)",
     "nom proche " + _NOT_MERGED.format("précisions entre parenthèses différentes"),
     "fuzzy name match (not merged: qualifiers differ)"),
    (r"fuzzy name match \(not merged: person or placeholder\)",
     "nom proche " + _NOT_MERGED.format("personne physique ou fiche provisoire"),
     "fuzzy name match (not merged: person or placeholder)"),
    (r"fuzzy name match \(not merged: the source lists it under another key\)",
     "nom proche " + _NOT_MERGED.format("la source le décrit déjà sous une autre clé"),
     "fuzzy name match (not merged: the source lists it under another key)"),
    (r"fuzzy name match \(not merged: a place is missing on one side\)",
     "nom proche " + _NOT_MERGED.format("lieu inconnu d'un côté : un nom proche ne suffit pas"),
     "fuzzy name match (not merged: a place is missing on one side)"),
    (r"name match \(not merged: a person another source names, nothing else in common\)",
     "même nom " + _NOT_MERGED.format("personne physique nommée par une autre source, sans lien ni document en "
                                      "commun : un nom ne suffit pas"),
     "name match (not merged: a person another source names, nothing else in common)"),
    (r"core-name match \(not merged: a person another source names, nothing else in common\)",
     "même nom principal " + _NOT_MERGED.format("personne physique nommée par une autre source, sans lien ni "
                                                "document en commun : un nom ne suffit pas"),
     "core-name match (not merged: a person another source names, nothing else in common)"),
    (r"name: several actors share this name", "même nom : plusieurs acteurs portent ce nom",
     "name: several actors share this name"),
    (r"core-name: several actors share this name", "même nom principal : plusieurs acteurs portent ce nom",
     "core-name: several actors share this name"),
]
