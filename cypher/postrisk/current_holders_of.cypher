// name: postrisk/current_holders_of
// purpose: The current holders of some posts (by id) with their earlier occupancies of the same post: detectors/post_tenure with post_before = as_of, started from the posts.
// params: ids (list of post ids), as_of (date)
// returns: person_id, person_name, person_source, rank_since, post_id, post_name, category, post_rank, in_leadership, is_head, org_id, org_name, org_kind, org_level, start_date, holds_source, earlier (list of [start, end])
UNWIND $ids AS id
MATCH (post:Post {id: id})<-[h:HOLDS]-(p:Person)
WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date > $as_of)
MATCH (post)-[:IN_ORG]->(o:Organization)
OPTIONAL MATCH (post)<-[e:HOLDS]-(p)
WHERE e.start_date < h.start_date
WITH p, h, post, o,
     collect(CASE WHEN e IS NULL THEN null ELSE [e.start_date, e.end_date] END) AS earlier
RETURN p.id AS person_id, p.name AS person_name, p._source AS person_source,
       p.rank_since AS rank_since, post.id AS post_id, post.name AS post_name,
       post.category AS category, post.rank AS post_rank, post.in_leadership AS in_leadership,
       post.is_head AS is_head, o.id AS org_id, o.name AS org_name, o.kind AS org_kind,
       o.level AS org_level, h.start_date AS start_date, h._source AS holds_source, earlier
ORDER BY person_id, post_id
