// name: ui/expand
// purpose: One breadth-first step of a path search: the relationships of the allowed types (dated within [$since, $until]) around the given nodes of one label, leaving out nodes with more than $max_degree such relationships (hubs such as a whole department's MANAGED_BY edges say nothing about a link).
// params: ids (list of ids), types (list of relationship types), since (date), until (date), max_degree (int)
// returns: node, id, labels, name, type, src, dst, start_date, end_date, source
// template: Label
UNWIND $ids AS nid
MATCH (n:__Label__ {id: nid})
WITH n, COUNT { (n)-[x]-() WHERE type(x) IN $types } AS degree
WHERE degree <= $max_degree
MATCH (n)-[r]-(m)
WHERE type(r) IN $types
  AND coalesce(r.start_date, r.date, $until) <= $until
  AND coalesce(r.end_date, $since) >= $since
RETURN n.id AS node, m.id AS id, labels(m) AS labels, m.name AS name, type(r) AS type,
       startNode(r).id AS src, endNode(r).id AS dst,
       coalesce(r.start_date, r.date) AS start_date, r.end_date AS end_date, r._source AS source
