// Plus court chemin de coopération : le moins de liens de coopération d'un acteur à un autre
// (dans un sens ou dans l'autre), par les types de relation de la lentille « coopération » du
// vocabulaire.
// en: Shortest cooperation path: the fewest cooperation ties from one actor to another (either
// direction), through the relation types of the vocabulary's "cooperation" lens.
// Paramètres / parameters :
//   $from_id          string  identifiant canonique du premier acteur
//                             en: canonical id of the first actor
//   $to_id            string  identifiant canonique du second acteur
//                             en: canonical id of the second actor
//   $include_persons  bool    false : le chemin ne passe jamais par une personne physique
//                             en: false: the path never goes through a natural person
// Renvoie / returns : au plus une ligne : hops, actors (les noms le long du chemin), ids, ties
// (types de relation). Aucune ligne : pas de chemin de coopération (en 12 liens au plus).
// en: at most one row: hops, actors (names along the path), ids, ties (relation types). No row:
// no cooperation path (within 12 ties).
// Dans Neo4j Browser / in Neo4j Browser :
//   :param from_id => 'periscope-le-periscope-248958'  (exemple / example)
//   :param to_id => 'pole-de-cooperation-sud-aquitaine-pole-s-990549'  (exemple / example)
//   :param include_persons => false
MATCH (a:Actor {id: $from_id}), (b:Actor {id: $to_id})
MATCH p = shortestPath((a)-[:MEMBERSHIP|CARRIES|SUPPORTS|HOSTS|COOPERATES|PARTNER|FOUNDED*..12]-(b))
WHERE all(n IN nodes(p) WHERE $include_persons OR NOT n.personal_data)
RETURN length(p) AS hops, [n IN nodes(p) | n.name] AS actors, [n IN nodes(p) | n.id] AS ids,
       [r IN relationships(p) | toLower(type(r))] AS ties
