// name: incremental/neighbours
// purpose: The direct neighbours of some nodes of one label, with the relationship type and the neighbour's labels, for widening an import's changes to the persons they concern.
// params: ids (list of node ids)
// returns: node, type, other, labels (list of the neighbour's labels)
// template: Label
UNWIND $ids AS nid
MATCH (n:__Label__ {id: nid})-[r]-(m)
RETURN n.id AS node, type(r) AS type, m.id AS other, labels(m) AS labels
