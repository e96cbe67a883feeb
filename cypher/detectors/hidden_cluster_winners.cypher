// name: detectors/hidden_cluster_winners
// purpose: The companies the given projects are awarded to (any award date), collected into one row.
// params: ids (list of project ids)
// returns: ids (list of company ids)
UNWIND $ids AS pid
MATCH (prj:Project {id: pid})-[:AWARDED_TO]->(c:Company)
RETURN collect(DISTINCT c.id) AS ids
