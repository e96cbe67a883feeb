// name: kinship/skeleton_batch
// purpose: The base kinship edges of one type that the given import batches wrote or updated (their _batch, indexed), each as one string "src_id dst_id start end" (ISO dates, '-' when absent), collected into one row: how the in-memory kinship skeleton (riskgraph.kin_skeleton) catches up with an import without reading the whole graph again.
// params: batches (list of batch ids)
// returns: links (list of strings "src_id dst_id start end", in the edge's own direction)
// template: TYPE
MATCH (a)-[r:__TYPE__]->(b)
WHERE r._batch IN $batches
RETURN collect(a.id + ' ' + b.id + ' ' + coalesce(toString(r.start_date), '-') + ' ' +
               coalesce(toString(r.end_date), '-')) AS links
