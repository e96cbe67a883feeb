// name: ui/reach_step
// purpose: One breadth-first step of a restricted scope's reach (the entities linked to its cadres): the distinct neighbours over the allowed relationship types of the given nodes of one label, leaving out nodes with more than $max_degree such relationships (hubs are reached but not passed through).
// params: ids (list of ids), types (list of relationship types), max_degree (int)
// returns: id, labels
// template: Label
UNWIND $ids AS nid
MATCH (n:__Label__ {id: nid})
WHERE COUNT { (n)-[x]-() WHERE type(x) IN $types } <= $max_degree
MATCH (n)-[r]-(m)
WHERE type(r) IN $types
RETURN DISTINCT m.id AS id, labels(m) AS labels
