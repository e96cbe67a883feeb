// name: postrisk/holds_of
// purpose: The posts some persons held in the look-back window [since, as_of]: the posts whose scores an import about those persons can change.
// params: ids (list of person ids), since (date), as_of (date)
// returns: person_id, post_id
UNWIND $ids AS id
MATCH (p:Person {id: id})-[h:HOLDS]->(post:Post)
WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date >= $since)
RETURN DISTINCT p.id AS person_id, post.id AS post_id
ORDER BY person_id, post_id
