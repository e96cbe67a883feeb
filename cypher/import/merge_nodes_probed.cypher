// name: import/merge_nodes_probed
// purpose: import/merge_nodes_existed plus the likely-duplicate probe, in one round trip:
//   after the batch is written, the nodes sharing each row's duplicate key (for persons:
//   name and birth date) under another key, i.e. likely one person under two ID numbers.
//   Reported, never merged. Uses the index on _dupkey.
// params: rows (list of maps {id: string, props: map with _batch and _dupkey})
// returns: written (int), existed (list of strings), duplicates (list of lists of maps
//   {id, other_id, name, birth_date}, one list per row that has any)
// template: Label
UNWIND $rows AS r
MERGE (n:__Label__ {id: r.id})
WITH n, r, n._batch IS NOT NULL AS existed
SET n += r.props
WITH r, existed
CALL {
  WITH r
  MATCH (p:__Label__ {_dupkey: r.props._dupkey})
  WHERE p.id <> r.id
  RETURN collect({id: r.id, other_id: p.id, name: p.name, birth_date: p.birth_date}) AS dups
}
RETURN count(r) AS written, collect(CASE WHEN existed THEN r.id END) AS existed,
       collect(CASE WHEN size(dups) > 0 THEN dups END) AS duplicates
