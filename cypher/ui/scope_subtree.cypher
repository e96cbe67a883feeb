// name: ui/scope_subtree
// purpose: The organisations in the subtrees under the given root organisations (the roots included), following SUBORDINATE_TO upwards from each descendant; a user's data scope by management authority.
// params: roots (list of organisation ids)
// returns: root, ids (list of organisation ids below the root, without the root)
UNWIND $roots AS rid
MATCH (root:Organization {id: rid})
OPTIONAL MATCH (o:Organization)-[:SUBORDINATE_TO*1..12]->(root)
RETURN root.id AS root, collect(DISTINCT o.id) AS ids
