// name: import/count_existing
// purpose: How many of the given distinct keys exist as nodes of one label. Cheaper than
//   import/existing_ids; when the answer is none or all, the caller needs no list.
// params: ids (list of distinct strings)
// returns: found (int)
// template: Label
UNWIND $ids AS key
MATCH (n:__Label__ {id: key})
RETURN count(n) AS found
