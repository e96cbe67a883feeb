// name: detectors/region_avoidance_scoped
// purpose: detectors/region_avoidance for some cadres only, started from them (a scoped re-check reads their occupancies, not every head's): current heads of the listed kinds of organisation at the listed levels, with the region the organisation governs and the region the head grew up in (each with its parent).
// params: ids (list of person ids), kinds (list of org kinds), levels (list of admin levels), as_of (date)
// returns: person_id, person_name, person_source, post_id, post_name, org_id, org_name, org_kind, org_level, region_id, region_name, region_parent, home_id, home_name, home_parent, start_date, holds_source, grew_source
UNWIND $ids AS id
MATCH (p:Person {id: id})-[h:HOLDS]->(post:Post)
WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date > $as_of)
  AND post.is_head = true
MATCH (post)-[:IN_ORG]->(o:Organization)-[:JURISDICTION]->(r:Region)
WHERE o.kind IN $kinds AND o.level IN $levels
MATCH (p)-[g:GREW_UP_IN]->(home:Region)
OPTIONAL MATCH (r)-[:PART_OF]->(rp:Region)
OPTIONAL MATCH (home)-[:PART_OF]->(hp:Region)
RETURN p.id AS person_id, p.name AS person_name, p._source AS person_source,
       post.id AS post_id, post.name AS post_name, o.id AS org_id, o.name AS org_name,
       o.kind AS org_kind, o.level AS org_level, r.id AS region_id, r.name AS region_name,
       rp.id AS region_parent, home.id AS home_id, home.name AS home_name,
       hp.id AS home_parent, h.start_date AS start_date, h._source AS holds_source,
       g._source AS grew_source
ORDER BY person_id, post_id
