// name: detectors/revolving_door_scoped
// purpose: detectors/revolving_door for some persons only, started from them (a scoped re-check reads their ties, not every employment and directorship): former cadres who, within the window after a post of theirs ended in an organisation that regulates industries, were employed by or became an officer of a company registered in that organisation's region (or a division of it) in an industry it regulates.
// params: ids (list of person ids), as_of (date), years (int, the window), roles (list of director roles that count)
// returns: person_id, person_name, person_source, post_id, post_name, post_source, left_on, holds_start, holds_source, org_id, org_name, org_kind, regulates, region_id, region_name, company_id, company_name, company_industry, company_source, company_region, company_region_name, tie, role, position, tie_start, tie_end, tie_source
UNWIND $ids AS id
MATCH (p:Person {id: id})-[t:EMPLOYED_BY|DIRECTOR_OF]->(c:Company)-[:REGISTERED_IN]->(cr:Region)
WHERE t.start_date <= $as_of AND (type(t) = 'EMPLOYED_BY' OR t.role IN $roles)
MATCH (p)-[h:HOLDS]->(post:Post)-[:IN_ORG]->(o:Organization)-[:JURISDICTION]->(r:Region)
WHERE h.end_date IS NOT NULL AND h.end_date <= t.start_date
  AND t.start_date <= h.end_date + duration({years: $years})
  AND c.industry IN coalesce(o.regulates, [])
  AND EXISTS { MATCH (cr)-[:PART_OF*0..2]->(jr:Region) WHERE jr.id = r.id }
  AND NOT EXISTS {
    MATCH (p)-[now:HOLDS]->(:Post)
    WHERE now.start_date <= $as_of AND (now.end_date IS NULL OR now.end_date > $as_of)
  }
RETURN p.id AS person_id, p.name AS person_name, p._source AS person_source,
       post.id AS post_id, post.name AS post_name, post._source AS post_source,
       h.end_date AS left_on, h.start_date AS holds_start, h._source AS holds_source,
       o.id AS org_id, o.name AS org_name, o.kind AS org_kind, o.regulates AS regulates,
       r.id AS region_id, r.name AS region_name,
       c.id AS company_id, c.name AS company_name, c.industry AS company_industry,
       c._source AS company_source, cr.id AS company_region, cr.name AS company_region_name,
       type(t) AS tie, t.role AS role, t.position AS position, t.start_date AS tie_start,
       t.end_date AS tie_end, t._source AS tie_source
ORDER BY person_id, company_id, tie_start, left_on
