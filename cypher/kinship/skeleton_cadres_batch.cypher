// name: kinship/skeleton_cadres_batch
// purpose: The ids of the cadres the given import batches wrote or updated (their _batch, indexed), collected into one row: how the in-memory kinship skeleton (riskgraph.kin_skeleton) learns of new cadres.
// params: batches (list of batch ids)
// returns: ids (list of person ids)
MATCH (c:Cadre)
WHERE c._batch IN $batches
RETURN collect(c.id) AS ids
