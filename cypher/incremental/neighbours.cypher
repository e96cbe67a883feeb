// name: incremental/neighbours
// purpose: The direct neighbours of some nodes of one label, with the relationship type and the neighbour's labels, collected into one row (few Bolt records), for widening an import's changes to the persons they concern.
// params: ids (list of node ids)
// returns: rows (list of [node id, relationship type, neighbour id, neighbour's labels])
// template: Label
UNWIND $ids AS nid
MATCH (n:__Label__ {id: nid})-[r]-(m)
RETURN collect([n.id, type(r), m.id, labels(m)]) AS rows
