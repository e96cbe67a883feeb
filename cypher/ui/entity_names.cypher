// name: ui/entity_names
// purpose: Every node of one label with its id, labels and caption properties, to build the in-process entity index a link investigation searches (names by substring, ids exactly).
// params: (none)
// returns: id, labels, name, date, amount
// template: Label
MATCH (n:__Label__)
RETURN n.id AS id, labels(n) AS labels, n.name AS name, n.date AS date, n.amount AS amount
