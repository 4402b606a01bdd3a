// Overlaps between pôles: pairs of pôles that share actors (a member, funder or partner of
// both), most shared first.
// Parameters:
//   $types            list<string>|null  relationship types through which an actor counts as
//                                        tied to a pôle, e.g. ["MEMBERSHIP"]; null: every type
//   $min_shared       int                keep pairs sharing at least this many actors
//   $include_persons  bool               false keeps natural persons out
// Returns: one row per pair: pole_1_id, pole_1, pole_2_id, pole_2, shared (number of actors),
// actors (names, sorted).
MATCH (p1:Pole)-[r1]-(a:Actor)-[r2]-(p2:Pole)
WHERE p1.id < p2.id AND a <> p1 AND a <> p2
  AND ($types IS NULL OR (type(r1) IN $types AND type(r2) IN $types))
  AND ($include_persons OR NOT a.personal_data)
WITH p1, p2, a ORDER BY a.name
WITH p1, p2, collect(DISTINCT a.name) AS actors
WHERE size(actors) >= $min_shared
RETURN p1.id AS pole_1_id, p1.name AS pole_1, p2.id AS pole_2_id, p2.name AS pole_2,
       size(actors) AS shared, actors
ORDER BY shared DESC, pole_1, pole_2
