// name: detectors/twofaced_current_posts
// purpose: The posts the given persons hold on a day, with their organisations (where a two-faced finding belongs, for scopes and wording).
// params: ids (list of person ids), as_of (date)
// returns: person_id, post_id, post_name, org_id, org_name, rank, start_date, holds_source
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[h:HOLDS]->(post:Post)-[:IN_ORG]->(o:Organization)
WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date > $as_of)
RETURN p.id AS person_id, post.id AS post_id, post.name AS post_name, o.id AS org_id,
       o.name AS org_name, p.rank AS rank, h.start_date AS start_date, h._source AS holds_source
ORDER BY person_id, post_id
