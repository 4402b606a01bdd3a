// Réseau d'un acteur : les acteurs à $depth liens au plus d'un acteur, les plus proches d'abord.
// en: Ego network: the actors within $depth ties of one actor, nearest first.
// Paramètres / parameters :
//   $actor_id         string  identifiant canonique de l'acteur (Actor.id)
//                             en: canonical id of the actor (Actor.id)
//   $depth            int     1 ou 2 : combien de liens suivre (le motif s'arrête à 2)
//                             en: 1 or 2: how many ties to follow (the pattern stops at 2)
//   $include_persons  bool    false laisse de côté les personnes physiques (données
//                             personnelles), y compris comme intermédiaires
//                             en: false keeps natural persons (personal data) out, also as
//                             go-betweens
// Renvoie / returns : une ligne par acteur atteint : id, name, family, distance (en liens), via
// (les types de relation d'un plus court chemin jusqu'à lui, le plus proche d'abord).
// en: one row per actor reached: id, name, family, distance (ties), via (relation types on one
// shortest way there, nearest first).
// Dans Neo4j Browser / in Neo4j Browser :
//   :param actor_id => 'periscope-le-periscope-248958'  (exemple / example)
//   :param depth => 1
//   :param include_persons => false
MATCH (ego:Actor {id: $actor_id})
MATCH p = (ego)-[rels*1..2]-(other:Actor)
WHERE length(p) <= $depth AND other <> ego
  AND all(r IN rels WHERE NOT type(r) IN ['LOCATED_IN', 'GOVERNS_TERRITORY'])
  AND all(n IN nodes(p) WHERE $include_persons OR NOT n.personal_data)
WITH other, p ORDER BY length(p), [r IN relationships(p) | type(r)]
WITH other, head(collect(p)) AS best
RETURN other.id AS id, other.name AS name, other.family AS family, length(best) AS distance,
       [r IN relationships(best) | toLower(type(r))] AS via
ORDER BY distance, name, id
