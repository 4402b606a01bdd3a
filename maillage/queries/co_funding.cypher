// Cofinancements : les paires de financeurs qui financent les mêmes bénéficiaires (deux
// financeurs d'un même pôle ou d'une même association), les plus partagées d'abord.
// en: Co-funding: pairs of funders that fund the same beneficiaries (two funders of one pôle or
// association), most shared first.
// Paramètres / parameters :
//   $min_shared       int       garder les paires qui partagent au moins ce nombre de
//                               bénéficiaires (1 ou plus)
//                               en: keep pairs sharing at least this many beneficiaries (1 or more)
//   $year             int|null  seulement les financements en cours cette année-là (début ≤ année
//                               ≤ fin) ; null : tous
//                               en: only funding active that year (start ≤ year ≤ end); null: all
//   $include_persons  bool      false laisse de côté les personnes physiques (données
//                               personnelles), financeurs comme bénéficiaires
//                               en: false keeps natural persons (personal data) out, as funders
//                               and as beneficiaries
// Renvoie / returns : une ligne par paire : funder_1_id, funder_1, funder_2_id, funder_2, shared
// (nombre de bénéficiaires), beneficiaries (leurs noms, triés).
// en: one row per pair: funder_1_id, funder_1, funder_2_id, funder_2, shared (number of
// beneficiaries), beneficiaries (names, sorted).
// Dans Neo4j Browser / in Neo4j Browser :
//   :param min_shared => 1
//   :param year => null
//   :param include_persons => false
MATCH (f1:Actor)-[r1:FUNDS]->(b:Actor)<-[r2:FUNDS]-(f2:Actor)
WHERE f1.id < f2.id
  AND ($include_persons OR NOT (f1.personal_data OR f2.personal_data OR b.personal_data))
  AND ($year IS NULL OR ((r1.y0 IS NULL OR r1.y0 <= $year) AND (r1.y1 IS NULL OR r1.y1 >= $year)
                     AND (r2.y0 IS NULL OR r2.y0 <= $year) AND (r2.y1 IS NULL OR r2.y1 >= $year)))
WITH f1, f2, b ORDER BY b.name
WITH f1, f2, collect(DISTINCT b.name) AS beneficiaries
WHERE size(beneficiaries) >= $min_shared
RETURN f1.id AS funder_1_id, f1.name AS funder_1, f2.id AS funder_2_id, f2.name AS funder_2,
       size(beneficiaries) AS shared, beneficiaries
ORDER BY shared DESC, funder_1, funder_2
