// name: kinship/skeleton_approvers_batch
// purpose: The ids of the persons named as a payment's approver by an approval the given import batches wrote or updated (its _batch, indexed), collected into one row: how the in-memory kinship skeleton (riskgraph.kin_skeleton) learns of new approvers.
// params: batches (list of batch ids)
// returns: ids (list of person ids)
MATCH (:Payment)-[r:APPROVED_BY]->(x:Person)
WHERE r._batch IN $batches
RETURN collect(DISTINCT x.id) AS ids
