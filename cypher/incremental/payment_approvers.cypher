// name: incremental/payment_approvers
// purpose: The persons recorded as approvers of the given payments, and the payments' dates, collected into one row (few Bolt records).
// params: ids (list of payment ids)
// returns: approvers (list of person ids), dates (list of [payment id, date])
UNWIND $ids AS pid
MATCH (p:Payment {id: pid})
OPTIONAL MATCH (p)-[:APPROVED_BY]->(x:Person)
RETURN collect(DISTINCT x.id) AS approvers, collect(DISTINCT [p.id, p.date]) AS dates
