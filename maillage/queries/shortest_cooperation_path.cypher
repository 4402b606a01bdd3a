// Shortest cooperation path: the fewest cooperation ties from one actor to another (either
// direction), through the relation types of the vocabulary's "cooperation" lens.
// Parameters:
//   $from_id          string  canonical id of the first actor
//   $to_id            string  canonical id of the second actor
//   $include_persons  bool    false: the path never goes through a natural person
// Returns: at most one row: hops, actors (names along the path), ids, ties (relation types).
// No row: no cooperation path (within 12 ties).
MATCH (a:Actor {id: $from_id}), (b:Actor {id: $to_id})
MATCH p = shortestPath((a)-[:MEMBERSHIP|CARRIES|SUPPORTS|HOSTS|COOPERATES|PARTNER|FOUNDED*..12]-(b))
WHERE all(n IN nodes(p) WHERE $include_persons OR NOT n.personal_data)
RETURN length(p) AS hops, [n IN nodes(p) | n.name] AS actors, [n IN nodes(p) | n.id] AS ids,
       [r IN relationships(p) | toLower(type(r))] AS ties
