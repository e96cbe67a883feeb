// name: detectors/recusal/person_holdings
// purpose: The companies the given persons own, direct or work for (every OWNS, DIRECTOR_OF and EMPLOYED_BY edge from them, at any date): where the interests of a cadre's relatives start.
// params: ids (list of person ids)
// returns: holder_id, holder_is_company, company_id, company_name, company_source, type, role, percent, start_date, end_date, source
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[r:OWNS|DIRECTOR_OF|EMPLOYED_BY]->(c:Company)
RETURN p.id AS holder_id, false AS holder_is_company, c.id AS company_id,
       c.name AS company_name, c._source AS company_source, type(r) AS type, r.role AS role,
       r.percent AS percent, r.start_date AS start_date, r.end_date AS end_date,
       r._source AS source
