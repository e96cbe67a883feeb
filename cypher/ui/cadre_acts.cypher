// name: ui/cadre_acts
// purpose: Official acts of a cadre on projects and payments (approve, decide, review, inspect, pay), with the counterparty company where there is one.
// params: id (person id)
// returns: target_id, target_label, target_name, role, date, amount, company_id, company_name, source
MATCH (c:Person {id: $id})-[a:ACTED_ON]->(t)
OPTIONAL MATCH (t)-[:AWARDED_TO|PAID_TO]->(co:Company)
RETURN t.id AS target_id, labels(t)[0] AS target_label, coalesce(t.name, t.id) AS target_name,
       a.role AS role, a.date AS date, coalesce(t.amount, t.award_amount, t.budget) AS amount,
       co.id AS company_id, co.name AS company_name, a._source AS source
ORDER BY date
