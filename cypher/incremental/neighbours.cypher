// name: incremental/neighbours
// purpose: The direct neighbours of some nodes of one label over the given relationship types, with the type and the neighbour's labels, for widening an import's changes to the persons they concern.
// params: ids (list of node ids), types (list of relationship types to follow)
// returns: node, type, other, labels (list of the neighbour's labels)
// template: Label
UNWIND $ids AS nid
MATCH (n:__Label__ {id: nid})-[r]-(m)
WHERE type(r) IN $types
RETURN n.id AS node, type(r) AS type, m.id AS other, labels(m) AS labels
