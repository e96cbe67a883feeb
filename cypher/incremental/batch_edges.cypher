// name: incremental/batch_edges
// purpose: Both ends of the relationships of one type an import batch wrote or updated (their _batch, indexed), with the ends' labels.
// params: batches (list of batch ids)
// returns: src, src_labels, dst, dst_labels (ids and label lists of the start and end node)
// template: TYPE
MATCH (a)-[r:__TYPE__]->(b)
WHERE r._batch IN $batches
RETURN a.id AS src, labels(a) AS src_labels, b.id AS dst, labels(b) AS dst_labels
