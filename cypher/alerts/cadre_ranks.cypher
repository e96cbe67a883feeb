// name: alerts/cadre_ranks
// purpose: The current rank of each given cadre, for users whose scope is limited to some ranks.
// params: ids (list of person ids)
// returns: id, rank
UNWIND $ids AS pid
MATCH (p:Person {id: pid})
WHERE p:Cadre
RETURN p.id AS id, p.rank AS rank
