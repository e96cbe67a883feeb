// name: postrisk/payments_among
// purpose: Some payments (by id, or all those approved by some persons) approved in the look-back window, as postrisk/payments returns them: for rescoring only the posts an import touched.
// params: ids (list of payment ids), persons (list of person ids), since (date), as_of (date), pay_roles (list of act roles)
// returns: payment_id, amount, date, person_id, post_id
UNWIND $ids AS id
MATCH (pay:Payment {id: id})-[:APPROVED_BY]->(p:Person)
WHERE pay.date >= $since AND pay.date <= $as_of
OPTIONAL MATCH (pay)<-[a:ACTED_ON]-(p)
WHERE a.role IN $pay_roles
WITH pay, p, min(a.post) AS post_id
RETURN pay.id AS payment_id, pay.amount AS amount, pay.date AS date, p.id AS person_id,
       post_id
UNION
UNWIND $persons AS pid
MATCH (p:Person {id: pid})<-[:APPROVED_BY]-(pay:Payment)
WHERE pay.date >= $since AND pay.date <= $as_of
OPTIONAL MATCH (pay)<-[a:ACTED_ON]-(p)
WHERE a.role IN $pay_roles
WITH pay, p, min(a.post) AS post_id
RETURN pay.id AS payment_id, pay.amount AS amount, pay.date AS date, p.id AS person_id,
       post_id
