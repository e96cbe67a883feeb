// name: postrisk/project_ids_approved_by
// purpose: The projects some persons acted on in one of the given roles (whatever the date), collected into one row: the rows of the held projects table that name those persons as approvers (riskgraph.posttables).
// params: ids (list of person ids), roles (list of act roles)
// returns: ids (list of project ids)
UNWIND $ids AS pid
MATCH (:Person {id: pid})-[a:ACTED_ON]->(prj:Project)
WHERE a.role IN $roles
RETURN collect(DISTINCT prj.id) AS ids
