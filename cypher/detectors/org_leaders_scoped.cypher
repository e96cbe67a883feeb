// name: detectors/org_leaders_scoped
// purpose: detectors/org_leaders for some persons only, started from them (a scoped re-check reads their occupancies, not every leader's): those holding a leadership-team post (head or deputy) on the day, with the organisation's jurisdiction region and the industries it regulates.
// params: ids (list of person ids), as_of (date), heads_only (bool)
// returns: person_id, person_name, person_source, rank, post_id, post_name, is_head, post_source, start_date, holds_source, org_id, org_name, org_kind, regulates, region_id, region_name
UNWIND $ids AS id
MATCH (p:Person {id: id})-[h:HOLDS]->(post:Post)
WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date > $as_of)
  AND post.in_leadership = true AND ($heads_only = false OR post.is_head = true)
MATCH (post)-[:IN_ORG]->(o:Organization)-[:JURISDICTION]->(r:Region)
RETURN p.id AS person_id, p.name AS person_name, p._source AS person_source, p.rank AS rank,
       post.id AS post_id, post.name AS post_name, post.is_head AS is_head,
       post._source AS post_source, h.start_date AS start_date, h._source AS holds_source,
       o.id AS org_id, o.name AS org_name, o.kind AS org_kind,
       coalesce(o.regulates, []) AS regulates, r.id AS region_id, r.name AS region_name
ORDER BY person_id, post_id
