// name: graph/count_label
// purpose: Number of nodes with one label (status and import summaries).
// params: none
// returns: count (int)
// template: Label
MATCH (n:__Label__)
RETURN count(n) AS count
