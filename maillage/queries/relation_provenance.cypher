// Provenance d'une relation : quelles sources disent que A est lié à B (« quelles sources disent
// que A finance B ? »), avec la ligne du tableau ou du document et la citation.
// en: Relation provenance: which sources say that A is tied to B ("which sources say that A funds
// B?"), with the row or document line and the quote.
// Paramètres / parameters :
//   $from_id          string       identifiant canonique de A
//                                  en: canonical id of A
//   $to_id            string       identifiant canonique de B
//                                  en: canonical id of B
//   $type             string|null  type de relation, p. ex. "FUNDS" ; null : tous les types
//                                  en: relationship type, e.g. "FUNDS"; null: any type
//   $include_persons  bool         false : aucune ligne quand A ou B est une personne physique
//                                  (donnée personnelle), et pas le texte des sources (voir
//                                  ci-dessous)
//                                  en: false: nothing when A or B is a natural person (personal
//                                  data), and not the sources' text (see below)
// Renvoie / returns : une ligne par déclaration : type, from_id (première extrémité déclarée),
// to_id, statement_id (identifiant de la relation), stated_by (identifiant de la source),
// source_uri, source_sha256, locator, document, quote, certainty, loaded_at. Avec
// $include_persons false, la requête laisse null stated_by, source_uri, locator, document et
// quote — une citation, un nom de fichier peuvent nommer une personne (« Jeanne Dupont,
// directrice de… ») : Neo4j Browser n'en montre rien ; maillage.queries.run (et python -m
// maillage.queries) les donne, noms des personnes masqués « [personne] ».
// en: one row per statement: type, from_id (stated first end), to_id, statement_id (the
// relation's id), stated_by (source id), source_uri, source_sha256, locator, document, quote,
// certainty, loaded_at. With $include_persons false, the query leaves stated_by, source_uri,
// locator, document and quote null — a quote or a file name may name a person ("Jeanne Dupont,
// directrice de…"): Neo4j Browser shows none of it; maillage.queries.run (and python -m
// maillage.queries) gives them, persons' names masked.
// Dans Neo4j Browser / in Neo4j Browser :
//   :param from_id => 'tremplin-52-d41578'  (exemple / example)
//   :param to_id => 'cis-52-cooperation-industrielle-et-socia-1133d3'  (exemple / example)
//   :param type => null
//   :param include_persons => false
MATCH (a:Actor {id: $from_id})-[r]-(b:Actor {id: $to_id})
WHERE ($type IS NULL OR type(r) = $type) AND NOT type(r) IN ['LOCATED_IN', 'GOVERNS_TERRITORY']
  AND ($include_persons OR NOT (a.personal_data OR b.personal_data))
OPTIONAL MATCH (s:Source {id: r.source})
RETURN toLower(type(r)) AS type, startNode(r).id AS from_id, endNode(r).id AS to_id, r.id AS statement_id,
       // the sources' text may name a person (a quote, a file's name): only with $include_persons
       CASE WHEN $include_persons THEN r.source END AS stated_by,
       CASE WHEN $include_persons THEN s.uri END AS source_uri, s.sha256 AS source_sha256,
       CASE WHEN $include_persons THEN r.locator END AS locator,
       CASE WHEN $include_persons THEN r.document END AS document,
       CASE WHEN $include_persons THEN r.quote END AS quote,
       r.certainty AS certainty, r.loaded_at AS loaded_at
ORDER BY r.source, r.locator, statement_id
