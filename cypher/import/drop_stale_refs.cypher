// name: import/drop_stale_refs
// purpose: Before (re)writing a single-valued reference (e.g. a post's organisation),
//   delete the node's edges of that type that point elsewhere, or all of them when the
//   reference is now empty.
// params: rows (list of maps {from: string, to: string or null})
// returns: dropped (int)
// template: From, TYPE
UNWIND $rows AS r
MATCH (a:__From__ {id: r.from})-[old:__TYPE__]->(x)
WHERE r.to IS NULL OR x.id <> r.to
DELETE old
RETURN count(*) AS dropped
