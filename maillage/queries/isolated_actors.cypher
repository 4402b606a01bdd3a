// Isolated actors: actors with no cooperation tie to any other actor — candidates a pôle or a
// collectivité could connect — as maillage's analyse counts them (status « isolé »,
// maillage.analytics.territory.isolated_actors, with no year). Set apart as analyse does:
// collectivités, the State and EU bodies (funders, not the actors a territory supports;
// $include_public_bodies brings them in, named or not), and actors the sources document thinly (unnamed
// placeholders such as "4 communautés de communes", groups of N, sizes stated without a list).
// Parameters:
//   $types                  list<string>  relationship types that count as cooperation; the
//                                         vocabulary's "cooperation" lens is ["MEMBERSHIP",
//                                         "CARRIES", "SUPPORTS", "HOSTS", "COOPERATES",
//                                         "PARTNER", "FOUNDED"]
//                                         (maillage.queries.run fills it in when omitted)
//   $territory_id           string|null   only actors located in that territory; null: everywhere
//   $include_public_bodies  bool          true: collectivités, State and EU bodies too
//   $include_persons        bool          false keeps natural persons out, and ties to them count
//                                         neither as cooperation nor in other_ties
// Returns: one row per isolated actor: id, name, family, other_ties (ties of other types),
// other_types.
MATCH (a:Actor)
WHERE ($include_persons OR NOT a.personal_data)
  AND CASE WHEN a.family IN ['collectivite', 'state', 'eu'] THEN $include_public_bodies
           // thinly documented (a.data is the actor as compact JSON): placeholder, group, sizes
           ELSE NOT a.placeholder AND a.data CONTAINS '"group_count":null' AND a.data CONTAINS '"declared":{}'
      END
  AND ($territory_id IS NULL OR EXISTS { MATCH (a)-[:LOCATED_IN]->(:Territory {id: $territory_id}) })
  AND NOT EXISTS {
    MATCH (a)-[r]-(b:Actor)
    WHERE type(r) IN $types AND b <> a AND ($include_persons OR NOT b.personal_data)
  }
OPTIONAL MATCH (a)-[o]-(b:Actor)
WHERE b <> a AND ($include_persons OR NOT b.personal_data)
RETURN a.id AS id, a.name AS name, a.family AS family, count(o) AS other_ties,
       collect(DISTINCT toLower(type(o))) AS other_types
ORDER BY name, id
