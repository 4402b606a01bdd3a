// Territory actors: the actors located in a territory or anywhere inside it (a commune rolls up
// to its EPCI, département and région; a collectivité also counts in the territory it
// administers) — what Store.actors_in_territory returns.
// Parameters:
//   $territory_id     string       "commune:31555", "epci:243100518", "departement:31", "region:76"
//   $family           string|null  only this family ("ess", "collectivite", "pole"…); null: all
//   $include_persons  bool         false keeps natural persons (personal data) out
// Returns: one row per actor: id, name, family, kind, location (its most precise territory).
MATCH (:Territory {id: $territory_id})<-[:LOCATED_IN]-(a:Actor)
WHERE ($family IS NULL OR a.family = $family) AND ($include_persons OR NOT a.personal_data)
RETURN DISTINCT a.id AS id, a.name AS name, a.family AS family, a.kind AS kind, a.location AS location
ORDER BY name, id
