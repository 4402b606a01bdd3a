// Sous-graphe d'un pôle : un pôle, chaque acteur lié à lui (membres, structure porteuse,
// financeurs, partenaires…) et chaque relation entre eux — ce que renvoie Store.pole_subgraph.
// en: Pôle subgraph: a pôle, every actor tied to it (members, structure porteuse, funders,
// partners…) and every relation among them — what Store.pole_subgraph returns.
// Paramètres / parameters :
//   $pole_id          string    identifiant canonique d'un acteur de la famille « pole »
//                               (étiquette :Pole)
//                               en: canonical id of an actor of family "pole" (label :Pole)
//   $year             int|null  seulement les relations en cours cette année-là (début ≤ année
//                               ≤ fin) ; null : toutes
//                               en: only relations active that year (start ≤ year ≤ end); null:
//                               all
//   $include_persons  bool      false laisse de côté les personnes physiques (données
//                               personnelles) et le texte des sources (voir ci-dessous)
//                               en: false keeps natural persons (personal data) out, and the
//                               sources' text (see below)
// Renvoie / returns : une ligne par relation : source_id, source, type, target_id, target,
// statement_id (identifiant de la relation), stated_by (identifiant de la source qui la déclare),
// locator. Avec $include_persons false, la requête laisse null stated_by et locator — le nom
// d'un fichier ou d'une feuille peut nommer une personne : Neo4j Browser n'en montre rien ;
// maillage.queries.run (et python -m maillage.queries) les donne, noms des personnes masqués.
// en: one row per relation: source_id, source, type, target_id, target, statement_id (the
// relation's id), stated_by (id of the source stating it), locator. With $include_persons false,
// the query leaves stated_by and locator null — a file's or a sheet's name may name a person:
// Neo4j Browser shows none of it; maillage.queries.run (and python -m maillage.queries) gives
// them, persons' names masked.
// Dans Neo4j Browser / in Neo4j Browser :
//   :param pole_id => 'periscope-le-periscope-248958'  (exemple / example)
//   :param year => null
//   :param include_persons => false
MATCH (pole:Pole {id: $pole_id})
OPTIONAL MATCH (pole)-[r]-(m:Actor)
WHERE ($year IS NULL OR ((r.y0 IS NULL OR r.y0 <= $year) AND (r.y1 IS NULL OR r.y1 >= $year)))
  AND ($include_persons OR NOT m.personal_data)
WITH pole, collect(DISTINCT m) AS tied
WITH [x IN tied WHERE x <> pole] + [pole] AS members
UNWIND members AS a
MATCH (a)-[r]->(b:Actor)
WHERE b IN members
  AND ($year IS NULL OR ((r.y0 IS NULL OR r.y0 <= $year) AND (r.y1 IS NULL OR r.y1 >= $year)))
RETURN a.id AS source_id, a.name AS source, toLower(type(r)) AS type, b.id AS target_id, b.name AS target,
       r.id AS statement_id,
       // the sources' text may name a person (a file, a sheet): only with $include_persons
       CASE WHEN $include_persons THEN r.source END AS stated_by,
       CASE WHEN $include_persons THEN r.locator END AS locator
ORDER BY source, type, target, r.source, r.locator, statement_id
