// name: postrisk/holds
// purpose: Occupancies that overlap the look-back window [since, as_of], to attribute acts, petitions and findings to the posts their persons held at the time.
// params: since (date), as_of (date)
// returns: person_id, person_name, post_id, start_date, end_date
MATCH (p:Person)-[h:HOLDS]->(post:Post)
WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date >= $since)
RETURN p.id AS person_id, p.name AS person_name, post.id AS post_id,
       h.start_date AS start_date, h.end_date AS end_date
ORDER BY person_id, start_date
