// name: import/promote_label
// purpose: Add an extra label (e.g. Cadre) to existing nodes that lack it, so that the
//   following import/merge_nodes matches them (import/create_labelled_nodes makes only
//   the new keys) instead of creating a duplicate.
// params: ids (list of strings)
// returns: promoted (int)
// template: Label, Extra
UNWIND $ids AS key
MATCH (n:__Label__ {id: key})
WHERE NOT n:__Extra__
SET n:__Extra__
RETURN count(n) AS promoted
