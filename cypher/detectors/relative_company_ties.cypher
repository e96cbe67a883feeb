// name: detectors/relative_company_ties
// purpose: Shareholdings and company offices held on the day by given relatives of leaders in companies registered in the leader's organisation's region (or a division of it) and, unless any industry counts, in an industry the organisation regulates.
// params: rows (list of {relative, region, industries (list), any_industry (bool)}), roles (list of director roles that count), as_of (date)
// returns: relative, region, company_id, company_name, company_industry, company_source, company_region, company_region_name, tie, role, percent, start_date, end_date, source
UNWIND $rows AS row
MATCH (rel:Person {id: row.relative})-[t:OWNS|DIRECTOR_OF]->(c:Company)-[:REGISTERED_IN]->(cr:Region)
WHERE t.start_date <= $as_of AND (t.end_date IS NULL OR t.end_date > $as_of)
  AND (type(t) = 'OWNS' OR t.role IN $roles)
  AND (row.any_industry OR c.industry IN row.industries)
  AND EXISTS { MATCH (cr)-[:PART_OF*0..2]->(jr:Region) WHERE jr.id = row.region }
RETURN row.relative AS relative, row.region AS region, c.id AS company_id, c.name AS company_name,
       c.industry AS company_industry, c._source AS company_source,
       cr.id AS company_region, cr.name AS company_region_name,
       type(t) AS tie, t.role AS role, t.percent AS percent, t.start_date AS start_date,
       t.end_date AS end_date, t._source AS source
ORDER BY relative, company_id, start_date
