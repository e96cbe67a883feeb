// name: detectors/declaration_facts
// purpose: The facts a declaration must state about the given persons: real estate they hold, shareholdings, company roles, employment, and settling abroad (one row per fact, every fact with its import source).
// params: ids (list of person ids)
// returns: person_id, kind (estate|owns|director|employed|abroad), target_id, target_name, start, end, amount, percent, area, address, role, label, source
UNWIND $ids AS pid
MATCH (p:Person {id: pid})<-[h:HELD_BY]-(re:RealEstate)
RETURN p.id AS person_id, 'estate' AS kind, re.id AS target_id, re.address AS target_name,
       re.registered AS start, null AS end, null AS amount, null AS percent, re.area AS area,
       re.address AS address, null AS role, 'RealEstate' AS label, re._source AS source
UNION ALL
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[o:OWNS]->(c:Company)
RETURN p.id AS person_id, 'owns' AS kind, c.id AS target_id, c.name AS target_name,
       o.start_date AS start, o.end_date AS end, o.amount AS amount, o.percent AS percent,
       null AS area, c.address AS address, null AS role, 'Company' AS label, o._source AS source
UNION ALL
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[r:DIRECTOR_OF]->(c:Company)
RETURN p.id AS person_id, 'director' AS kind, c.id AS target_id, c.name AS target_name,
       r.start_date AS start, r.end_date AS end, null AS amount, null AS percent,
       null AS area, c.address AS address, r.role AS role, 'Company' AS label, r._source AS source
UNION ALL
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[e:EMPLOYED_BY]->(x)
RETURN p.id AS person_id, 'employed' AS kind, x.id AS target_id, x.name AS target_name,
       e.start_date AS start, e.end_date AS end, null AS amount, null AS percent,
       null AS area, x.address AS address, e.position AS role,
       CASE WHEN x:Company THEN 'Company' ELSE 'Organization' END AS label, e._source AS source
UNION ALL
UNWIND $ids AS pid
MATCH (p:Person {id: pid})
WHERE p.abroad_since IS NOT NULL
RETURN p.id AS person_id, 'abroad' AS kind, p.id AS target_id, p.abroad_country AS target_name,
       p.abroad_since AS start, null AS end, null AS amount, null AS percent,
       null AS area, null AS address, null AS role, 'Person' AS label, p._source AS source
