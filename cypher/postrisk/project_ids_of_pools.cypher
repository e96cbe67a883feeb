// name: postrisk/project_ids_of_pools
// purpose: The projects of some pools of split awards (an owner organisation and the company it awarded them to), collected into one row: the splitting red flag of a project reads its whole pool.
// params: pairs (list of [owner id, winner id])
// returns: ids (list of project ids)
UNWIND $pairs AS pair
MATCH (:Organization {id: pair[0]})<-[:OWNED_BY]-(prj:Project)-[:AWARDED_TO]->(w:Company)
WHERE w.id = pair[1]
RETURN collect(DISTINCT prj.id) AS ids
