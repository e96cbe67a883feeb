// name: postrisk/project_ids_of_owners
// purpose: The projects some organisations own (a project that may have left its pool of split awards concerns all its owner's projects), collected into one row.
// params: ids (list of organisation ids)
// returns: ids (list of project ids)
UNWIND $ids AS oid
MATCH (:Organization {id: oid})<-[:OWNED_BY]-(prj:Project)
RETURN collect(DISTINCT prj.id) AS ids
