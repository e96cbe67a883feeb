// name: import/create_labelled_nodes
// purpose: Create nodes carrying a label and an extra label (Person:Cadre) for keys
//   that do not exist yet (the caller checked with import/existing_ids in the same
//   transaction); import/merge_nodes then sets their properties. CREATE with both labels
//   avoids MERGE on two labels, which ArcadeDB answers with a scan.
// params: ids (list of strings)
// returns: created (int)
// template: Label, Extra
UNWIND $ids AS key
CREATE (n:__Label__:__Extra__ {id: key})
RETURN count(n) AS created
