// name: incremental/batch_nodes
// purpose: The nodes of one label an import batch wrote or updated (their _batch), the start of an incremental re-check, collected into one row.
// params: batches (list of batch ids)
// returns: ids (list of node ids)
// template: Label
MATCH (n:__Label__)
WHERE n._batch IN $batches
RETURN collect(n.id) AS ids
