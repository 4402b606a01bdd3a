// Relation provenance: which sources say that A is tied to B ("which sources say that A funds
// B?"), with the row or document line and the quote.
// Parameters:
//   $from_id          string       canonical id of A
//   $to_id            string       canonical id of B
//   $type             string|null  relationship type, e.g. "FUNDS"; null: any type
//   $include_persons  bool         false: nothing when A or B is a natural person (personal
//                                  data); maillage.queries.run also masks persons' names in quotes
// Returns: one row per statement: type, from_id (stated first end), to_id, stated_by (source
// id), source_uri, source_sha256, locator, document, quote, certainty, loaded_at.
MATCH (a:Actor {id: $from_id})-[r]-(b:Actor {id: $to_id})
WHERE ($type IS NULL OR type(r) = $type) AND NOT type(r) IN ['LOCATED_IN', 'GOVERNS_TERRITORY']
  AND ($include_persons OR NOT (a.personal_data OR b.personal_data))
OPTIONAL MATCH (s:Source {id: r.source})
RETURN toLower(type(r)) AS type, startNode(r).id AS from_id, endNode(r).id AS to_id, r.source AS stated_by,
       s.uri AS source_uri, s.sha256 AS source_sha256, r.locator AS locator, r.document AS document,
       r.quote AS quote, r.certainty AS certainty, r.loaded_at AS loaded_at
ORDER BY stated_by, locator
