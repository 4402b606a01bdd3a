// Isolated actors: actors with no cooperation tie to any other actor — candidates a pôle or a
// collectivité could connect. Placeholders ("4 communautés de communes") are left out.
// Parameters:
//   $types            list<string>  relationship types that count as cooperation; the vocabulary's
//                                   "cooperation" lens is ["MEMBERSHIP", "CARRIES", "SUPPORTS",
//                                   "HOSTS", "COOPERATES", "PARTNER", "FOUNDED"]
//                                   (maillage.queries.run fills it in when omitted)
//   $territory_id     string|null   only actors located in that territory; null: everywhere
//   $include_persons  bool          false keeps natural persons out (and ties to them do not count)
// Returns: one row per isolated actor: id, name, family, other_ties (ties of other types),
// other_types.
MATCH (a:Actor)
WHERE ($include_persons OR NOT a.personal_data) AND NOT a.placeholder
  AND ($territory_id IS NULL OR EXISTS { MATCH (a)-[:LOCATED_IN]->(:Territory {id: $territory_id}) })
  AND NOT EXISTS {
    MATCH (a)-[r]-(b:Actor)
    WHERE type(r) IN $types AND b <> a AND ($include_persons OR NOT b.personal_data)
  }
OPTIONAL MATCH (a)-[o]-(:Actor)
RETURN a.id AS id, a.name AS name, a.family AS family, count(o) AS other_ties,
       collect(DISTINCT toLower(type(o))) AS other_types
ORDER BY name, id
