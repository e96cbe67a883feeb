// name: import/merge_nodes
// purpose: Create or update nodes of one label from validated import rows. `props` holds
//   the typed properties plus provenance (_source, _batch); a null value removes the
//   property, so a corrected re-import leaves no stale value.
// params: rows (list of maps {id: string, props: map})
// returns: written (int)
// template: Label
UNWIND $rows AS r
MERGE (n:__Label__ {id: r.id})
SET n += r.props
RETURN count(n) AS written
