// name: incremental/payments_upstream
// purpose: For each given payment made by a company, the payments that company received on or after a day and no later than the payment (one step back along a money chain), collected into one row (few Bolt records).
// params: rows (list of maps {id: payment id, lo: date})
// returns: rows (list of [payment id, payment date, earlier payment id, earlier payment date])
UNWIND $rows AS r
MATCH (p:Payment {id: r.id})-[:PAID_BY]->(k:Company)<-[:PAID_TO]-(q:Payment)
WHERE q.date >= r.lo AND q.date <= p.date
RETURN collect([p.id, p.date, q.id, q.date]) AS rows
