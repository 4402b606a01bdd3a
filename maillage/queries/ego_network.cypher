// Ego network: the actors within $depth ties of one actor, nearest first.
// Parameters:
//   $actor_id         string  canonical id of the actor (Actor.id)
//   $depth            int     1 or 2: how many ties to follow (the pattern stops at 2)
//   $include_persons  bool    false keeps natural persons (personal data) out, also as go-betweens
// Returns: one row per actor reached: id, name, family, distance (ties), via (relation types on
// one shortest way there, nearest first).
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
