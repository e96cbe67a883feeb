// name: ui/search_id
// purpose: The node of one label with exactly this id (resident ID number, credit code or code).
// params: q (string)
// returns: id, labels, name
// template: Label
MATCH (n:__Label__ {id: $q})
RETURN n.id AS id, labels(n) AS labels, n.name AS name
