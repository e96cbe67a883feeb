// name: ui/cadre_payments
// purpose: Payments a cadre approved (APPROVED_BY) or received (PAID_TO), with the other party.
// params: id (person id)
// returns: payment_id, direction, date, amount, payee_id, payee_name, payer_id, payer_name, source
MATCH (c:Person {id: $id})<-[r:APPROVED_BY|PAID_TO]-(pay:Payment)
OPTIONAL MATCH (pay)-[:PAID_TO]->(payee)
OPTIONAL MATCH (pay)-[:PAID_BY]->(payer)
RETURN pay.id AS payment_id, type(r) AS direction, pay.date AS date, pay.amount AS amount,
       payee.id AS payee_id, payee.name AS payee_name, payer.id AS payer_id,
       payer.name AS payer_name, pay._source AS source
ORDER BY date
