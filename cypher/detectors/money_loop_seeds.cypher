// name: detectors/money_loop_seeds
// purpose: Payments from an organisation to a company that a person approved, within a date range: where a closed money loop can start.
// params: since (date), as_of (date)
// returns: pay_id, day, amount, purpose, pay_source, payer_id, payer_name, payee_id, payee_name, approver_id, approver_name, approver_source, approved_source, project_id, project_name
MATCH (pay:Payment)-[:PAID_BY]->(o:Organization)
WHERE pay.date >= $since AND pay.date <= $as_of
MATCH (pay)-[:PAID_TO]->(c:Company)
MATCH (pay)-[a:APPROVED_BY]->(x:Person)
OPTIONAL MATCH (pay)-[:FOR_PROJECT]->(prj:Project)
RETURN pay.id AS pay_id, pay.date AS day, pay.amount AS amount, pay.purpose AS purpose,
       pay._source AS pay_source, o.id AS payer_id, o.name AS payer_name, c.id AS payee_id,
       c.name AS payee_name, x.id AS approver_id, x.name AS approver_name,
       x._source AS approver_source, a._source AS approved_source, prj.id AS project_id,
       prj.name AS project_name
ORDER BY pay_id
