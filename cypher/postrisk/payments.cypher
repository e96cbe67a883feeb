// name: postrisk/payments
// purpose: Payments approved by a person in the look-back window, with the post named on the approver's pay act when there is one.
// params: since (date), as_of (date), pay_roles (list of act roles)
// returns: payment_id, amount, date, person_id, post_id
MATCH (pay:Payment)-[:APPROVED_BY]->(p:Person)
WHERE pay.date >= $since AND pay.date <= $as_of
OPTIONAL MATCH (pay)<-[a:ACTED_ON]-(p)
WHERE a.role IN $pay_roles
WITH pay, p, min(a.post) AS post_id
RETURN pay.id AS payment_id, pay.amount AS amount, pay.date AS date, p.id AS person_id,
       post_id
ORDER BY payment_id
