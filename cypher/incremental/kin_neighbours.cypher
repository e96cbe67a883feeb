// name: incremental/kin_neighbours
// purpose: The persons one base kinship edge (spouse, parent/child, sibling) away from each of the given persons, whatever its dates, and whether each is a cadre, collected into one row (few Bolt records): one step of the walk to the relatives an import's change may concern (the cadre flags spare most incremental/cadres_among look-ups).
// params: ids (list of person ids)
// returns: pairs (list of [person id, neighbour id, neighbour is a cadre])
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[:SPOUSE_OF|PARENT_OF|SIBLING_OF]-(q:Person)
RETURN collect([p.id, q.id, q:Cadre]) AS pairs
