// name: incremental/batch_edges
// purpose: Both ends of the relationships of one type an import batch wrote or updated (their _batch, indexed), with the ends' labels, collected into one row (few Bolt records).
// params: batches (list of batch ids)
// returns: rows (list of [start id, start labels, end id, end labels])
// template: TYPE
MATCH (a)-[r:__TYPE__]->(b)
WHERE r._batch IN $batches
RETURN collect([a.id, labels(a), b.id, labels(b)]) AS rows
