// name: incremental/batch_edges
// purpose: Both ends of the relationships of one type an import batch wrote or updated (their _batch).
// params: batches (list of batch ids)
// returns: src, dst (ids of the start and end node)
// template: TYPE
MATCH (a)-[r:__TYPE__]->(b)
WHERE r._batch IN $batches
RETURN a.id AS src, b.id AS dst
