// name: detectors/recusal/actors_scoped
// purpose: detectors/recusal/actors for some persons only, started from them (a scoped re-check reads their acts, not everyone's): those of them who acted (ACTED_ON a project or payment in the listed roles, approved a payment, or took part in a personnel matter of the listed kinds) between two dates.
// params: ids (list of person ids), roles (list of act roles), matters (list of personnel matters), approvals (bool: count APPROVED_BY on payments), since (date), as_of (date)
// returns: id
UNWIND $ids AS pid
MATCH (x:Person {id: pid})
WHERE EXISTS { MATCH (x)-[a:ACTED_ON]->() WHERE a.role IN $roles AND a.date >= $since AND a.date <= $as_of }
   OR ($approvals AND EXISTS { MATCH (x)<-[:APPROVED_BY]-(t:Payment) WHERE t.date >= $since AND t.date <= $as_of })
   OR EXISTS { MATCH (x)-[d:DECIDED_ON]->() WHERE d.matter IN $matters AND d.date >= $since AND d.date <= $as_of }
RETURN x.id AS id
