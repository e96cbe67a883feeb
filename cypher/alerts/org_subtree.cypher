// name: alerts/org_subtree
// purpose: The organisations in the subtrees of the given organisations (each one itself and every unit subordinate to it, at any depth): what a user whose scope names them may see.
// params: ids (list of organisation ids)
// returns: id (organisation id)
UNWIND $ids AS oid
MATCH (top:Organization {id: oid})
MATCH (o:Organization)-[:SUBORDINATE_TO*0..12]->(top)
RETURN DISTINCT o.id AS id
