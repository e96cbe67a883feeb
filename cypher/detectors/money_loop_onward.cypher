// name: detectors/money_loop_onward
// purpose: detectors/money_loop_flows for the payments the given companies made only, each company within its own date range (a scoped run follows the money forward from its seeds' payees).
// params: rows (list of maps {id: company id, lo: date, hi: date})
// returns: pay_id, day, amount, purpose, pay_source, payer_id, payer_name, payee_id, payee_name, payee_is_person
UNWIND $rows AS r
MATCH (k:Company {id: r.id})<-[:PAID_BY]-(pay:Payment)
WHERE pay.date >= r.lo AND pay.date <= r.hi
MATCH (pay)-[:PAID_TO]->(b)
RETURN pay.id AS pay_id, pay.date AS day, pay.amount AS amount, pay.purpose AS purpose,
       pay._source AS pay_source, k.id AS payer_id, k.name AS payer_name, b.id AS payee_id,
       b.name AS payee_name, b:Person AS payee_is_person
ORDER BY pay_id
