// name: incremental/approvers_among
// purpose: Which of the given persons are recorded as the approver of some payment, collected into one row (few Bolt records).
// params: ids (list of person ids)
// returns: ids (list of person ids)
UNWIND $ids AS pid
MATCH (x:Person {id: pid})
WHERE EXISTS { MATCH (x)<-[:APPROVED_BY]-(:Payment) }
RETURN collect(x.id) AS ids
