// name: ui/cadre_companies
// purpose: Shareholdings, directorships and employments of the given persons (a cadre and their relatives) in companies.
// params: ids (list of person ids)
// returns: person_id, type, company_id, company_name, role, percent, start_date, end_date, source
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[r:OWNS|DIRECTOR_OF|EMPLOYED_BY]->(co:Company)
RETURN p.id AS person_id, type(r) AS type, co.id AS company_id, co.name AS company_name,
       coalesce(r.role, r.position) AS role, r.percent AS percent,
       r.start_date AS start_date, r.end_date AS end_date, r._source AS source
ORDER BY start_date
