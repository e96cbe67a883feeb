// name: import/existing_ids
// purpose: Which of the given keys exist as nodes of one label (reference checks). One
//   row holding a list: a row per key would cost the server a record each.
// params: ids (list of strings)
// returns: ids (list of strings, the existing keys)
// template: Label
UNWIND $ids AS key
MATCH (n:__Label__ {id: key})
RETURN collect(key) AS ids
