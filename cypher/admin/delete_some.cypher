// name: admin/delete_some
// purpose: Delete up to $limit nodes with their relationships; called repeatedly by
//   `riskgraph db wipe` until it returns 0, so no transaction grows unbounded.
// params: limit (int)
// returns: deleted (int)
MATCH (n)
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
