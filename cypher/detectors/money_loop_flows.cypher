// name: detectors/money_loop_flows
// purpose: Payments made by companies (to companies or persons) within a date range: the onward hops of money loops.
// params: since (date), until (date)
// returns: pay_id, day, amount, purpose, pay_source, payer_id, payer_name, payee_id, payee_name, payee_is_person
MATCH (pay:Payment)-[:PAID_BY]->(k:Company)
WHERE pay.date >= $since AND pay.date <= $until
MATCH (pay)-[:PAID_TO]->(b)
RETURN pay.id AS pay_id, pay.date AS day, pay.amount AS amount, pay.purpose AS purpose,
       pay._source AS pay_source, k.id AS payer_id, k.name AS payer_name, b.id AS payee_id,
       b.name AS payee_name, b:Person AS payee_is_person
ORDER BY pay_id
