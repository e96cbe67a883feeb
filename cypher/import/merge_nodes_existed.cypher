// name: import/merge_nodes_existed
// purpose: import/merge_nodes that also tells which keys were nodes before this query
//   (they carry provenance: every imported node has _batch), in the same round trip, so
//   the writer knows which nodes may hold a stale reference without a separate lookup.
// params: rows (list of maps {id: string, props: map with _batch})
// returns: written (int), existed (list of strings)
// template: Label
UNWIND $rows AS r
MERGE (n:__Label__ {id: r.id})
WITH n, r, n._batch IS NOT NULL AS existed
SET n += r.props
RETURN count(n) AS written, collect(CASE WHEN existed THEN r.id END) AS existed
