// name: incremental/cadres_among
// purpose: Which of the given persons are cadres (the subjects a scoped detector run re-checks).
// params: ids (list of person ids)
// returns: id
UNWIND $ids AS pid
MATCH (p:Person {id: pid})
WHERE p:Cadre
RETURN p.id AS id
