// name: incremental/kin_neighbours
// purpose: The persons one base kinship edge (spouse, parent/child, sibling) away from each of the given persons, whatever its dates, collected into one row (few Bolt records): one step of the walk to the relatives an import's change may concern.
// params: ids (list of person ids)
// returns: pairs (list of [person id, neighbour id])
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[:SPOUSE_OF|PARENT_OF|SIBLING_OF]-(q:Person)
RETURN collect([p.id, q.id]) AS pairs
