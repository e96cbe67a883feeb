// name: postrisk/project_ids_acted
// purpose: The projects some persons acted on in one of the given roles in the look-back window [since, as_of], collected into one row: the projects whose approvals may be attributed to the posts those persons held.
// params: ids (list of person ids), roles (list of act roles), since (date), as_of (date)
// returns: ids (list of project ids)
UNWIND $ids AS pid
MATCH (:Person {id: pid})-[a:ACTED_ON]->(prj:Project)
WHERE a.role IN $roles AND a.date >= $since AND a.date <= $as_of
RETURN collect(DISTINCT prj.id) AS ids
