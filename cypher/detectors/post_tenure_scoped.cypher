// name: detectors/post_tenure_scoped
// purpose: detectors/post_tenure for some cadres only, started from them (a scoped re-check reads their occupancies, not every current holder's): current holders whose tenure clock may have run out, with the post, its organisation and the earlier occupancies of the same post.
// params: ids (list of person ids), as_of (date), post_before (date or null), rank_before (date or null)
// returns: person_id, person_name, person_source, rank_since, post_id, post_name, category, post_rank, in_leadership, is_head, org_id, org_name, org_kind, org_level, start_date, holds_source, earlier (list of [start, end])
UNWIND $ids AS id
MATCH (p:Person {id: id})-[h:HOLDS]->(post:Post)
WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date > $as_of)
MATCH (post)-[:IN_ORG]->(o:Organization)
OPTIONAL MATCH (post)<-[e:HOLDS]-(p)
WHERE e.start_date < h.start_date
WITH p, h, post, o,
     collect(CASE WHEN e IS NULL THEN null ELSE [e.start_date, e.end_date] END) AS earlier
WHERE ($post_before IS NOT NULL AND h.start_date <= $post_before)
   OR ($rank_before IS NOT NULL AND p.rank_since <= $rank_before)
   OR size(earlier) > 0
RETURN p.id AS person_id, p.name AS person_name, p._source AS person_source,
       p.rank_since AS rank_since, post.id AS post_id, post.name AS post_name,
       post.category AS category, post.rank AS post_rank, post.in_leadership AS in_leadership,
       post.is_head AS is_head, o.id AS org_id, o.name AS org_name, o.kind AS org_kind,
       o.level AS org_level, h.start_date AS start_date, h._source AS holds_source, earlier
ORDER BY person_id, post_id
