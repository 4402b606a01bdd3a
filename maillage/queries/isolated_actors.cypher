// Acteurs isolés : les acteurs sans aucun lien de coopération avec un autre acteur — ceux qu'un
// pôle ou une collectivité pourrait mettre en relation —, comme l'analyse de maillage les compte
// (statut « isolé », maillage.analytics.territory.isolated_actors, sans année). Mis à part comme
// le fait l'analyse : les collectivités, l'État et les organismes de l'UE (des financeurs, pas
// les acteurs qu'un territoire soutient ; $include_public_bodies les fait entrer, nommés ou non),
// et les acteurs que les sources documentent peu (mentions sans nom comme « 4 communautés de
// communes », groupes de N, effectifs donnés sans liste, pôles dont aucun membre n'est nommé).
// en: Isolated actors: actors with no cooperation tie to any other actor — candidates a pôle or
// a collectivité could connect — as maillage's analyse counts them (status « isolé »,
// maillage.analytics.territory.isolated_actors, with no year). Set apart as analyse does:
// collectivités, the State and EU bodies (funders, not the actors a territory supports;
// $include_public_bodies brings them in, named or not), and actors the sources document thinly
// (unnamed placeholders such as "4 communautés de communes", groups of N, sizes stated without a
// list, pôles with no named member).
// Paramètres / parameters :
//   $types                  list<string>  types de relation qui comptent comme coopération ; par
//                                         défaut ceux de la lentille « coopération » du
//                                         vocabulaire (maillage.queries.run les met si on l'omet)
//                                         en: relationship types that count as cooperation; by
//                                         default the vocabulary's "cooperation" lens
//                                         (maillage.queries.run fills it in when omitted)
//   $territory_id           string|null   seulement les acteurs situés dans ce territoire ;
//                                         null : partout
//                                         en: only actors located in that territory; null:
//                                         everywhere
//   $include_public_bodies  bool          true : aussi les collectivités, l'État et les
//                                         organismes de l'UE
//                                         en: true: collectivités, State and EU bodies too
//   $include_persons        bool          false laisse de côté les personnes physiques, et les
//                                         liens vers elles ne comptent ni comme coopération ni
//                                         dans other_ties
//                                         en: false keeps natural persons out, and ties to them
//                                         count neither as cooperation nor in other_ties
// Renvoie / returns : une ligne par acteur isolé : id, name, family, other_ties (nombre de liens
// d'autres types), other_types.
// en: one row per isolated actor: id, name, family, other_ties (ties of other types),
// other_types.
// Dans Neo4j Browser / in Neo4j Browser :
//   :param types => ['MEMBERSHIP', 'CARRIES', 'SUPPORTS', 'HOSTS', 'COOPERATES', 'PARTNER', 'FOUNDED']
//   :param territory_id => null
//   :param include_public_bodies => false
//   :param include_persons => false
MATCH (a:Actor)
WHERE ($include_persons OR NOT a.personal_data)
  AND CASE WHEN a.family IN ['collectivite', 'state', 'eu'] THEN $include_public_bodies
           // thinly documented (a.data is the actor as compact JSON): placeholder, group, sizes
           ELSE NOT a.placeholder AND a.data CONTAINS '"group_count":null' AND a.data CONTAINS '"declared":{}'
                // a pôle whose sources name no member: a gap of the documentation (art. 9)
                AND (a.family <> 'pole' OR EXISTS {
                  MATCH (m:Actor)-[:MEMBERSHIP]->(a) WHERE m <> a AND NOT m.personal_data })
      END
  AND ($territory_id IS NULL OR EXISTS { MATCH (a)-[:LOCATED_IN]->(:Territory {id: $territory_id}) })
  AND NOT EXISTS {
    MATCH (a)-[r]-(b:Actor)
    WHERE type(r) IN $types AND b <> a AND ($include_persons OR NOT b.personal_data)
      // un lien comme l'analyse le compte (maillage.analytics.lenses.tie_rule) : pas un lien
      // seulement prévu ou annoncé, ni une demande de financement refusée
      // en: a tie as analyse counts one: not one only planned, nor a refused funding application
      AND coalesce(r.certainty, 'stated') <> 'planned'
      AND NOT (type(r) IN ['FUNDS', 'APPLIES_TO'] AND coalesce(r.status, '') IN ['prevu', 'refuse'])
  }
OPTIONAL MATCH (a)-[o]-(b:Actor)
WHERE b <> a AND ($include_persons OR NOT b.personal_data)
RETURN a.id AS id, a.name AS name, a.family AS family, count(o) AS other_ties,
       collect(DISTINCT toLower(type(o))) AS other_types
ORDER BY name, id
