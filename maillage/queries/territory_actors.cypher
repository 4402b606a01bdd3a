// Acteurs d'un territoire : les acteurs situés dans un territoire ou n'importe où à l'intérieur
// (une commune remonte à son EPCI, à son département et à sa région ; une collectivité compte
// aussi dans le territoire qu'elle administre) — ce que renvoie Store.actors_in_territory.
// en: Territory actors: the actors located in a territory or anywhere inside it (a commune rolls
// up to its EPCI, département and région; a collectivité also counts in the territory it
// administers) — what Store.actors_in_territory returns.
// Paramètres / parameters :
//   $territory_id     string       le territoire, par son identifiant : « commune:31555 »,
//                                  « epci:243100518 », « departement:31 », « region:76 »
//                                  en: the territory, by its id: "commune:31555",
//                                  "epci:243100518", "departement:31", "region:76"
//   $family           string|null  seulement cette famille (« ess », « collectivite »,
//                                  « pole »…) ; null : toutes
//                                  en: only this family ("ess", "collectivite", "pole"…); null:
//                                  all
//   $include_persons  bool         false laisse de côté les personnes physiques (données
//                                  personnelles)
//                                  en: false keeps natural persons (personal data) out
// Renvoie / returns : une ligne par acteur : id, name, family, kind, location (son territoire le
// plus précis).
// en: one row per actor: id, name, family, kind, location (its most precise territory).
// Dans Neo4j Browser / in Neo4j Browser :
//   :param territory_id => 'departement:31'  (exemple / example)
//   :param family => null
//   :param include_persons => false
MATCH (:Territory {id: $territory_id})<-[:LOCATED_IN]-(a:Actor)
WHERE ($family IS NULL OR a.family = $family) AND ($include_persons OR NOT a.personal_data)
RETURN DISTINCT a.id AS id, a.name AS name, a.family AS family, a.kind AS kind, a.location AS location
ORDER BY name, id
