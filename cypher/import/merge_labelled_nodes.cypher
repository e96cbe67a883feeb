// name: import/merge_labelled_nodes
// purpose: Create or update nodes carrying a label and an extra label (Person:Cadre).
//   Run import/promote_label first in the same transaction.
// params: rows (list of maps {id: string, props: map})
// returns: written (int)
// template: Label, Extra
UNWIND $rows AS r
MERGE (n:__Label__:__Extra__ {id: r.id})
SET n += r.props
RETURN count(n) AS written
