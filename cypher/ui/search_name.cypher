// name: ui/search_name
// purpose: Nodes of one label whose name contains the text, for picking entities in a link investigation.
// params: q (string), limit (int)
// returns: id, labels, name
// template: Label
MATCH (n:__Label__)
WHERE n.name CONTAINS $q
RETURN n.id AS id, labels(n) AS labels, n.name AS name
LIMIT $limit
