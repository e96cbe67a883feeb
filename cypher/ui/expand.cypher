// name: ui/expand
// purpose: One breadth-first step of a path search: per given node of one label, its relationships of the allowed types (dated within [$since, $until]) as compact steps, leaving out nodes with more than $max_degree such relationships (hubs such as a whole department's posts say nothing about a link). Captions of the nodes on the final paths come from the entity index or ui/node_captions.
// params: ids (list of ids), types (list of relationship types), since (date), until (date), max_degree (int)
// returns: node (id), steps (list of [neighbour id, neighbour labels, relationship type, outgoing (bool), start date, end date, source])
// template: Label
UNWIND $ids AS nid
MATCH (n:__Label__ {id: nid})
WHERE COUNT { (n)-[x]-() WHERE type(x) IN $types } <= $max_degree
MATCH (n)-[r]-(m)
WHERE type(r) IN $types
  AND coalesce(r.start_date, r.date, $until) <= $until
  AND coalesce(r.end_date, $since) >= $since
RETURN n.id AS node,
       collect([m.id, labels(m), type(r), startNode(r) = n, coalesce(r.start_date, r.date),
                r.end_date, r._source]) AS steps
