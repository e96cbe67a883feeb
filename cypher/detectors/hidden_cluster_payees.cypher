// name: detectors/hidden_cluster_payees
// purpose: The companies the given payments were paid to, collected into one row.
// params: ids (list of payment ids)
// returns: ids (list of company ids)
UNWIND $ids AS pid
MATCH (pay:Payment {id: pid})-[:PAID_TO]->(c:Company)
RETURN collect(DISTINCT c.id) AS ids
