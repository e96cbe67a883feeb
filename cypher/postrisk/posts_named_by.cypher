// name: postrisk/posts_named_by
// purpose: The posts some persons' acts in the given roles name (whatever the date), collected into one row: the posts whose scores an import about those persons' acts can change.
// params: ids (list of person ids), roles (list of act roles)
// returns: ids (list of post ids)
UNWIND $ids AS pid
MATCH (:Person {id: pid})-[a:ACTED_ON]->()
WHERE a.role IN $roles AND a.post IS NOT NULL
RETURN collect(DISTINCT a.post) AS ids
