// name: import/existing_ids
// purpose: Which of the given keys exist as nodes of one label (reference checks).
// params: ids (list of strings)
// returns: id (string), one row per existing key
// template: Label
UNWIND $ids AS key
MATCH (n:__Label__ {id: key})
RETURN n.id AS id
