// name: kinship/skeleton_approvers
// purpose: The ids of every person some payment names as its approver, collected into one row: kept with the in-memory kinship skeleton (riskgraph.kin_skeleton) for the money-loop scope of the re-check after an import.
// params: (none)
// returns: ids (list of person ids)
MATCH (:Payment)-[:APPROVED_BY]->(x:Person)
RETURN collect(DISTINCT x.id) AS ids
