// name: postrisk/holds_around
// purpose: Every occupancy overlapping the look-back window [since, as_of] of the persons who held some posts in that window: enough to attribute those posts' acts, payments and petitions (as postrisk/holds does for all posts).
// params: ids (list of post ids), since (date), as_of (date)
// returns: person_id, person_name, post_id, start_date, end_date
UNWIND $ids AS id
MATCH (:Post {id: id})<-[w:HOLDS]-(p:Person)
WHERE w.start_date <= $as_of AND (w.end_date IS NULL OR w.end_date >= $since)
WITH DISTINCT p
MATCH (p)-[h:HOLDS]->(post:Post)
WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date >= $since)
RETURN p.id AS person_id, p.name AS person_name, post.id AS post_id,
       h.start_date AS start_date, h.end_date AS end_date
ORDER BY person_id, start_date
