// Chevauchements entre pôles : les paires de pôles qui partagent des acteurs, les plus partagées
// d'abord. Un acteur est lié à un pôle par une relation qui va de lui vers le pôle (membre de,
// structure porteuse de, finance, soutient…) ou par une relation sans sens (coopère, partenaire,
// lié) ; une relation du pôle vers l'acteur (le pôle membre d'un réseau) ne compte pas. Avec
// $types ["MEMBERSHIP"], les acteurs partagés sont les membres partagés de /api/overlaps
// (maillage.analytics.overlaps.pole_overlaps).
// en: Overlaps between pôles: pairs of pôles that share actors, most shared first. An actor is
// tied to a pôle by a relation it states towards the pôle (member of, structure porteuse of,
// funds, supports…) or by a relation without direction (cooperates, partner, related); a
// relation from the pôle to the actor (the pôle member of a network) does not count. With
// $types ["MEMBERSHIP"], shared actors are the shared members of /api/overlaps
// (maillage.analytics.overlaps.pole_overlaps).
// Paramètres / parameters :
//   $types            list<string>|null  types de relation par lesquels un acteur compte comme
//                                        lié à un pôle, p. ex. ["MEMBERSHIP"] ; null : tous
//                                        en: relationship types through which an actor counts
//                                        as tied to a pôle, e.g. ["MEMBERSHIP"]; null: every type
//   $min_shared       int                garder les paires qui partagent au moins ce nombre
//                                        d'acteurs
//                                        en: keep pairs sharing at least this many actors
//   $include_persons  bool               false laisse de côté les personnes physiques
//                                        en: false keeps natural persons out
// Renvoie / returns : une ligne par paire : pole_1_id, pole_1, pole_2_id, pole_2, shared (nombre
// d'acteurs), actors (leurs noms, triés), actor_ids (leurs identifiants, dans le même ordre).
// en: one row per pair: pole_1_id, pole_1, pole_2_id, pole_2, shared (number of actors), actors
// (names, sorted), actor_ids (their ids, in the same order).
// Dans Neo4j Browser / in Neo4j Browser :
//   :param types => null
//   :param min_shared => 1
//   :param include_persons => false
MATCH (p1:Pole)-[r1]-(a:Actor)-[r2]-(p2:Pole)
WHERE p1.id < p2.id AND a <> p1 AND a <> p2
  AND (startNode(r1) = a OR type(r1) IN ['COOPERATES', 'PARTNER', 'RELATED'])
  AND (startNode(r2) = a OR type(r2) IN ['COOPERATES', 'PARTNER', 'RELATED'])
  AND ($types IS NULL OR (type(r1) IN $types AND type(r2) IN $types))
  AND ($include_persons OR NOT a.personal_data)
WITH DISTINCT p1, p2, a ORDER BY a.name, a.id
WITH p1, p2, collect(a.name) AS actors, collect(a.id) AS actor_ids
WHERE size(actors) >= $min_shared
RETURN p1.id AS pole_1_id, p1.name AS pole_1, p2.id AS pole_2_id, p2.name AS pole_2,
       size(actors) AS shared, actors, actor_ids
ORDER BY shared DESC, pole_1, pole_2
