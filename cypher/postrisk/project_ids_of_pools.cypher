// name: postrisk/project_ids_of_pools
// purpose: The projects of some pools of split awards (an owner organisation and the company it awarded them to), collected into one row: the splitting red flag of a project reads its whole pool.
// params: pairs (list of [owner id, winner id])
// returns: ids (list of project ids)
UNWIND $pairs AS pair
MATCH (:Company {id: pair[1]})<-[:AWARDED_TO]-(prj:Project)-[:OWNED_BY]->(o:Organization)
WHERE o.id = pair[0]
RETURN collect(DISTINCT prj.id) AS ids
