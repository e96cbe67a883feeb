// name: detectors/money_loop_seeds_of
// purpose: detectors/money_loop_seeds for the payments the given persons approved only (a scoped run): payments from an organisation to a company, within a date range.
// params: ids (list of person ids), since (date), as_of (date)
// returns: pay_id, day, amount, purpose, pay_source, payer_id, payer_name, payee_id, payee_name, approver_id, approver_name, approver_source, approved_source, project_id, project_name
UNWIND $ids AS xid
MATCH (x:Person {id: xid})<-[a:APPROVED_BY]-(pay:Payment)
WHERE pay.date >= $since AND pay.date <= $as_of
MATCH (pay)-[:PAID_BY]->(o:Organization)
MATCH (pay)-[:PAID_TO]->(c:Company)
OPTIONAL MATCH (pay)-[:FOR_PROJECT]->(prj:Project)
RETURN pay.id AS pay_id, pay.date AS day, pay.amount AS amount, pay.purpose AS purpose,
       pay._source AS pay_source, o.id AS payer_id, o.name AS payer_name, c.id AS payee_id,
       c.name AS payee_name, x.id AS approver_id, x.name AS approver_name,
       x._source AS approver_source, a._source AS approved_source, prj.id AS project_id,
       prj.name AS project_name
ORDER BY pay_id
