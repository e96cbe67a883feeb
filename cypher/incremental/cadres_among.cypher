// name: incremental/cadres_among
// purpose: Which of the given persons are cadres (the subjects a scoped detector run re-checks), collected into one row.
// params: ids (list of person ids)
// returns: ids (list of the cadres' ids)
UNWIND $ids AS pid
MATCH (p:Person {id: pid})
WHERE p:Cadre
RETURN collect(p.id) AS ids
